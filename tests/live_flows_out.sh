#!/bin/bash
# --flows --json and --flows --metrics, against independent references.
#
# Namespaces A and B joined by veth, tests/flows.py's sink in B and its
# clients in A (a process named flowcl: TCP and UDP over IPv4 and IPv6, a
# reset, a half-open SYN). On vA at the same time: `sockcap --flows=1`
# (text), `sockcap --flows=1 --json --metrics` (served on A's loopback, so
# the scrapes are not on vA) and tcpdump -w. Every line of the JSON output
# must parse with python's json and have the schema's keys and types; its
# final objects equal the text table's rows and tshark's counts, flow by
# flow; its interval objects add up to the final ones. The page, scraped
# once before the traffic and once after it (when the closed connections
# have left the kernel's table, so they were handed over as they were
# swept), passes promtool check metrics, and its flow families, summed by
# label set, equal the final JSON objects summed by {comm, proto,
# local_port, direction}.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd timeout coreutils
sc_need_cmd curl curl
sc_need_cmd promtool prometheus
sc_need_cmd "$SC_PYTHON" python3
sc_init
. "$srcdir/tests/lib_flows.sh"

FO=$srcdir/tests/flows_out.py
PORT=9467

sc_pair_link
ip -n "$A" link set lo up || sc_die "cannot bring up A's loopback"
# the half-open connection's SYN leaves A for a MAC address nobody has
ip -n "$A" neigh add 198.18.0.77 lladdr 02:00:00:00:00:4d dev vA nud permanent ||
	sc_die "cannot add the black hole's neighbour"
sc_start sink "$B" "out:^ready" "$SC_PYTHON" "$FL" sink 40100

scrape() { # NAME
	ip netns exec "$A" timeout 10 curl -sS -f -o "$SC_TMP/$1.prom" \
		"http://127.0.0.1:$PORT/metrics" || sc_die "$1: the scrape failed"
	promtool check metrics <"$SC_TMP/$1.prom" >"$SC_TMP/$1.promtool" 2>&1 || {
		sc_fail "$1: promtool check metrics: $(head -n 5 "$SC_TMP/$1.promtool")"
		sc_show "$1.prom" "$SC_TMP/$1.prom"
	}
}

sc_tcpdump td "$A" vA
sc_sockcap txt "$A" -i vA --flows=1
sc_sockcap js "$A" -i vA --flows=1 --json --metrics "127.0.0.1:$PORT"
scrape before
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" clients 198.18.0.2 fd00:198:18::2 \
	>"$SC_TMP/clients.out" || sc_die "client traffic failed"
# closed flows leave the kernel's table once idle 2 s and read (each second)
sleep 3.5
scrape after
sc_stop txt INT
sc_check_eq "txt: exit status" 0 "$SC_RC"
sc_stop js INT
sc_check_eq "js: exit status" 0 "$SC_RC"
sc_tcpdump_stop td

"$SC_PYTHON" "$FO" json "$SC_TMP/js.out" "$SC_TMP/txt.out" "$SC_TMP/td.pcap" >"$SC_TMP/json.cmp" ||
	{ sc_fail "--flows --json: the objects differ"; sc_show json.cmp "$SC_TMP/json.cmp" 40; }
sc_log "json: $(tail -n 1 "$SC_TMP/json.cmp")"
"$SC_PYTHON" "$FO" metrics "$SC_TMP/js.out" "$SC_TMP/after.prom" >"$SC_TMP/metrics.cmp" || {
	sc_fail "--flows --metrics: the flow families differ from the final table"
	sc_show metrics.cmp "$SC_TMP/metrics.cmp" 40
	sc_show after.prom "$SC_TMP/after.prom" 40
}
sc_log "metrics: $(tail -n 1 "$SC_TMP/metrics.cmp")"
# the owner named the labels: flowcl, not "?"
grep -q '^sockcap_flow_bytes_total{comm="flowcl",proto="tcp",' "$SC_TMP/after.prom" ||
	sc_fail "no flowcl TCP series on the page"
# closed flows were swept before the scrape: fewer in the table than in the final one
tracked=$(sed -n -E 's/^sockcap_flows_tracked ([0-9]+)$/\1/p' "$SC_TMP/after.prom")
final=$(grep -c '"table":"final"' "$SC_TMP/js.out")
[ -n "$tracked" ] && [ "$tracked" -lt "$final" ] ||
	sc_fail "sockcap_flows_tracked ${tracked:-absent}: not fewer than the $final final flows"

sc_done
