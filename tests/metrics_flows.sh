#!/bin/bash
# The flow families of --metrics (sockcap_flow_packets_total and
# sockcap_flow_bytes_total) and their cardinality cap, without a capture:
# tests/test_metrics feeds a table rounds of flow counts, as the flows
# callback does. Each round's page must pass promtool's check, and equal
# tests/metrics.py's own model of the cap: the first CAP label sets keep a
# series each, everything after them adds up in the one comm="other"
# series, no counter goes down, names shown alike are one series.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_cmd promtool prometheus
sc_need_cmd "$SC_PYTHON" python3
sc_init

prog=./tests/test_metrics
[ -x "$prog" ] || sc_die "$prog not built"
# a cap the fixed sequence overflows in its first round, and one it does not reach
for cap in 8 1000; do
	"$prog" "$cap" "$SC_TMP/in.$cap" >"$SC_TMP/pages.$cap" || sc_die "test_metrics $cap failed"
	awk -v dir="$SC_TMP" -v cap="$cap" '/^# round / { f = dir "/page." cap "." $3 } { print > f }' \
		"$SC_TMP/pages.$cap"
	for p in "$SC_TMP/page.$cap".*; do
		promtool check metrics <"$p" >"$SC_TMP/promtool.out" 2>&1 ||
			sc_fail "cap $cap: promtool check metrics failed on ${p##*/}: $(head -n 5 "$SC_TMP/promtool.out")"
	done
	"$SC_PYTHON" "$srcdir/tests/metrics.py" flows "$cap" "$SC_TMP/in.$cap" "$SC_TMP/pages.$cap" \
		>"$SC_TMP/model.$cap" 2>&1 || {
		sc_fail "cap $cap: the pages differ from the model"
		sc_show model "$SC_TMP/model.$cap"
	}
	sc_log "cap $cap: $(tail -n 1 "$SC_TMP/model.$cap")"
done
grep -q 'comm="other"' "$SC_TMP/pages.8" || sc_fail "cap 8: no comm=\"other\" series"
grep -q 'comm="other",proto="other"' "$SC_TMP/pages.1000" &&
	sc_fail "cap 1000: a comm=\"other\" aggregate below the cap"
series=$(awk '/^# round 3/ { r = 1 } r && /^sockcap_flow_packets_total/' "$SC_TMP/pages.8" | wc -l)
sc_check_eq "cap 8: series of the last round (8 and other)" 9 "$series"

sc_done
