#!/bin/bash
# --json, without privileges: the writer and its string escaping
# (tests/test_json's cases, judged by python's json module), then
# sockcap -r --json over every golden capture file, each line parsed by
# python and compared, packet by packet, with tshark's decoding of the
# same packets (tests/json_check.py, which lists the few deliberate
# differences and why). tshark is slow to start: it reads the files
# joined by mergecap -a (packets in the same order), a file cut short
# (which ends a merge) last.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_need_cmd tshark tshark
sc_need_cmd mergecap wireshark-common
sc_init

CHECK=$srcdir/tests/json_check.py
TEST_JSON=${TEST_JSON:-$PWD/tests/test_json}
[ -x "$TEST_JSON" ] || sc_die "$TEST_JSON was not built"

# ------------------------------------------------ the writer, escaping
if ! timeout 60 "$TEST_JSON" >"$SC_TMP/cases" 2>"$SC_TMP/cases.err"; then
	sc_fail "test_json failed"
	sc_show "test_json stderr" "$SC_TMP/cases.err"
fi
if "$SC_PYTHON" "$CHECK" --escape "$SC_TMP/cases" >"$SC_TMP/escape.txt"; then
	sc_log "$(tail -n 1 "$SC_TMP/escape.txt"); $(tr '\n' ';' <"$SC_TMP/cases.err")"
else
	sc_fail "JSON strings and bounds (test_json's cases)"
	sc_show "json_check.py --escape" "$SC_TMP/escape.txt"
fi

# ------------------------------------------------ the golden files
# groups of files for one tshark run each: the whole files and one cut
# file, then each other cut file alone
groups=()
whole=
for f in "$srcdir"/tests/golden/*.pcap "$srcdir"/tests/golden/*.pcapng; do
	if [ -e "$f.err" ]; then
		groups+=("$f")
	else
		whole="$whole $f"
	fi
done
[ "${#groups[@]}" -ge 1 ] && groups[0]="$whole ${groups[0]}" || groups=("$whole")

fields=$("$SC_PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import json_check
print(" ".join("-e " + f for f in json_check.FIELDS))' "$srcdir/tests")
nfiles=0
for g in "${!groups[@]}"; do
	jl=$SC_TMP/g$g.jsonl plain=$SC_TMP/g$g.plain
	: >"$jl"
	: >"$plain"
	for f in ${groups[$g]}; do
		nfiles=$((nfiles + 1))
		want=0
		[ -e "$f.err" ] && want=1 # the file ends inside a packet
		timeout 60 "$SOCKCAP" -r "$f" --json -e >>"$jl" 2>"$SC_TMP/err"
		sc_check_eq "sockcap -r ${f##*/} --json -e: exit status" "$want" "$?"
		timeout 60 "$SOCKCAP" -r "$f" --json >>"$plain" 2>"$SC_TMP/err"
		sc_check_eq "sockcap -r ${f##*/} --json: exit status" "$want" "$?"
	done
	# shellcheck disable=SC2086 # the group's file names, split
	mergecap -a -F pcapng -w "$SC_TMP/g$g.pcapng" ${groups[$g]} 2>/dev/null
	[ -s "$SC_TMP/g$g.pcapng" ] || sc_die "mergecap made no file of: ${groups[$g]}"
	# shellcheck disable=SC2086 # the -e options, split
	timeout 120 tshark -r "$SC_TMP/g$g.pcapng" -o ip.defragment:FALSE \
		-o ipv6.defragment:FALSE -T fields $fields -E separator=/t \
		-E occurrence=a -E aggregator=';' >"$SC_TMP/g$g.tshark" 2>/dev/null
	if "$SC_PYTHON" "$CHECK" "$jl" "$SC_TMP/g$g.tshark" >"$SC_TMP/g$g.txt"; then
		sc_log "files of group $g: $(tail -n 1 "$SC_TMP/g$g.txt")"
	else
		sc_fail "sockcap --json -e against tshark (files:${groups[$g]//$srcdir\/tests\/golden\//})"
		sc_show "json_check.py" "$SC_TMP/g$g.txt"
	fi
	# without -e: the same objects, less the MAC addresses
	"$SC_PYTHON" - "$jl" "$plain" >"$SC_TMP/g$g.noe" <<-'EOF' ||
		import json, sys
		e = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
		p = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
		bad = [i + 1 for i, (a, b) in enumerate(zip(e, p))
		       if {k: v for k, v in a.items() if not k.endswith("_mac")} != b]
		if len(e) != len(p) or bad or not any("src_mac" in a for a in e):
		    print(f"{len(e)} objects with -e, {len(p)} without; differing: {bad[:10]}")
		    sys.exit(1)
	EOF
		sc_fail "--json without -e: $(cat "$SC_TMP/g$g.noe")"
done
[ "$nfiles" -ge 20 ] || sc_fail "only $nfiles golden files found"

# -w with --print: the file gets the packets, stdout the same objects
f=$srcdir/tests/golden/sockcap.pcapng
timeout 60 "$SOCKCAP" -r "$f" --json >"$SC_TMP/r.jsonl" 2>/dev/null
timeout 60 "$SOCKCAP" -r "$f" -w "$SC_TMP/copy.pcapng" --print --json >"$SC_TMP/w.jsonl" 2>/dev/null
sc_check_eq "-r -w --print --json: exit status" 0 "$?"
cmp -s "$SC_TMP/r.jsonl" "$SC_TMP/w.jsonl" || sc_fail "-w --print --json printed other objects than -r --json"
sc_check_eq "-w --print --json: packets in the copy" "$(sc_lines "$SC_TMP/r.jsonl")" \
	"$(tshark -r "$SC_TMP/copy.pcapng" 2>/dev/null | wc -l)"

sc_done
