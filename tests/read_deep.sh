#!/bin/bash
# The deeper decoders (ICMP errors and neighbour discovery, TCP options,
# IPv6 extension headers, tunnels, MPLS, SCTP, IGMP, ESP, AH) held against
# tcpdump. No network and no privileges needed.
#
# tests/mkdeep.py writes tests/golden/deep-NAME.pcap, crafted frames of
# each family; DEEP.tcpdump is "tcpdump -n -S -tt -r DEEP" by Debian 12's
# tcpdump 4.99.3. For each file:
#  - "sockcap -r DEEP -tt -n" must print DEEP.out, and -v DEEP.v.out
#    (regression: tests/regen-golden.sh writes both);
#  - each line of DEEP.out must be tcpdump's line for that packet (its
#    continuation lines joined with a space: sockcap prints one line per
#    packet), unless DEEP.why names the packet's number and says why
#    sockcap's line differs. A difference without a reason fails, and so
#    does a reason for a line that no longer differs.
# Every file is read once more by sockcap built with the sanitizers.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_cmd timeout coreutils
sc_init

G=$srcdir/tests/golden
export TZ=UTC
out=$SC_TMP/out tcp=$SC_TMP/tcpdump
files=0

for deep in "$G"/deep-*.pcap; do
	name=$(basename "$deep")
	files=$((files + 1))
	for bin in "$SOCKCAP" ${SOCKCAP_SAN:+"$SOCKCAP_SAN"}; do
		for v in "" -v; do
			exp=$deep${v:+.v}.out
			if ! timeout 30 "$bin" -r "$deep" -tt -n $v >"$out" 2>"$SC_TMP/err"; then
				sc_fail "$name $v: sockcap failed: $(head -c 300 "$SC_TMP/err")"
				continue
			fi
			[ -s "$SC_TMP/err" ] && sc_fail "$name $v: stderr: $(head -c 300 "$SC_TMP/err")"
			if ! cmp -s "$exp" "$out"; then
				sc_fail "$name $v: output differs from $(basename "$exp")"
				diff "$exp" "$out" | head -20 >&2
			fi
		done
	done

	# tcpdump's lines, one per packet
	awk 'NR > 1 && /^[0-9]+\.[0-9]+ / { print line; line = "" }
	     { sub(/ +$/, ""); line = line == "" ? $0 : line " " $0 }
	     END { if (line != "") print line }' "$deep.tcpdump" >"$tcp"
	sc_check_eq "$name: packets" "$(wc -l <"$tcp")" "$(wc -l <"$deep.out")"
	n=0 same=0
	while IFS= read -r line <&3 && IFS= read -r want <&4; do
		n=$((n + 1))
		why=$(awk -v n="$n" '$1 == n { $1 = ""; print substr($0, 2) }' "$deep.why" 2>/dev/null)
		if [ "$line" = "$want" ]; then
			same=$((same + 1))
			[ -n "$why" ] && sc_fail "$name #$n: same as tcpdump's, yet $name.why gives a reason"
		elif [ -z "$why" ]; then
			sc_fail "$name #$n: differs from tcpdump's, and $name.why says nothing of it"
			printf '  sockcap: %s\n  tcpdump: %s\n' "$line" "$want" >&2
		fi
	done 3<"$deep.out" 4<"$tcp"
	sc_log "$name: $same of $n lines as tcpdump's, $((n - same)) differ with a reason"
done
[ "$files" -ge 6 ] || sc_fail "only $files deep-*.pcap files in $G"
sc_done
