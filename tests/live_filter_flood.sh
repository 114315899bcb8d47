#!/bin/bash
# A filter expression in a flood, on a link that carries nothing but the
# test's datagrams, of which a handful match: exactly the matching packets
# are printed and written, and "seen by the socket" - "received by filter"
# is the number of datagrams of the flood (also with -Q in and -Q out,
# whose expression program sees the packets received either way).
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_filter.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

# ================================================================ helpers

# has_n FRAMES N: the file has at least N lines (test helper for polls).
has_n() { [ "$(sc_lines "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }

# ================================================================ setup
# A and B are the quiet link's namespaces: nothing crosses it but what B
# sends to 198.18.0.99, a MAC address nobody has.
sc_quiet_link

# ================================================================ flood
# Five datagrams to port 40007 among five bursts to port 40000.
FLOOD=${SC_FLOOD:-2000}
fexpr='udp dst port 40007'
words "$fexpr"
start fs "$SOCKCAP" -i vA -B "$RING" "${WORDS[@]}"
start fw "$SOCKCAP" -i vA -B "$RING" -w "$SC_TMP/fw.pcap" "${WORDS[@]}"
start fqi "$SOCKCAP" -i vA -B "$RING" -Q in "${WORDS[@]}"
start fqo "$SOCKCAP" -i vA -B "$RING" -Q out "${WORDS[@]}"
ready_all
fl=()
for k in 1 2 3 4 5; do
	fl+=(flood 198.18.0.99 40000 "$FLOOD" 30 + udp 198.18.0.2 40009 198.18.0.99 40007 "$k" +)
done
out=$(sc_tg "$B" "${fl[@]::${#fl[@]}-1}") || sc_die "flood sender failed: $out"
SENT=$(awk '$1 == "sent" { s += $2 } END { print s + 0 }' <<<"$out")
[ "$(grep -c '^sent ' <<<"$out")" = 5 ] || sc_die "flood sender said '$out'"
sc_log "flood: $SENT datagrams to port 40000 ($(awk '$1 == "sent" { f += $4 } END { print f + 0 }' <<<"$out") not sent)"
sc_wait_for "the five matching datagrams printed" 60 has_n "$SC_TMP/fs.out" 5
stop_all INT fs fw fqi fqo
for k in 1 2 3 4 5; do echo "P  |IP 198.18.0.2.40009 > 198.18.0.99.40007: UDP, length $k"; done >"$SC_TMP/f.want"
for n in fs fqi; do
	[ -z "${FAILED[$n]:-}" ] && stats "$n" || continue
	sc_check_eq "$n: exit status" 0 "${SC_RCS[$n]}"
	sc_dir_sockcap <"$SC_TMP/$n.out" >"$SC_TMP/$n.lines"
	sc_same_lines "$n: the lines of '$fexpr' in the flood" "$SC_TMP/f.want" "$SC_TMP/$n.lines"
	sc_check_eq "$n: captured, received, dropped" "5 5 0" "$S_CAPT $S_RECV $S_DROP"
	sc_check_eq "$n: seen by the socket - received by filter (datagrams of the flood)" \
		"$SENT" "$((S_SEEN - S_RECV))"
done
# -Q out: the expression's program sees the packets received, the filter
# then leaves them out (see the man page)
if [ -z "${FAILED[fqo]:-}" ] && stats fqo; then
	sc_check_eq "fqo: exit status" 0 "${SC_RCS[fqo]}"
	sc_check_eq "fqo (-Q out): captured, received, dropped, lines" "0 0 0 0" \
		"$S_CAPT $S_RECV $S_DROP $(sc_lines "$SC_TMP/fqo.out")"
	sc_check_eq "fqo (-Q out): seen by the socket (every datagram received)" "$((SENT + 5))" "$S_SEEN"
fi
# -w
if [ -z "${FAILED[fw]:-}" ] && stats fw; then
	sc_check_eq "fw: exit status" 0 "${SC_RCS[fw]}"
	sc_check_eq "fw: captured, received, dropped" "5 5 0" "$S_CAPT $S_RECV $S_DROP"
	sc_check_eq "fw: seen by the socket - received by filter (datagrams of the flood)" \
		"$SENT" "$((S_SEEN - S_RECV))"
fi
tcpdump -n -r "$SC_TMP/fw.pcap" 2>/dev/null | sed -E 's/^[0-9:.]+ //' >"$SC_TMP/fw.lines"
sed 's/^P  |//' "$SC_TMP/f.want" >"$SC_TMP/fw.want"
sc_same_lines "fw: the packets of '$fexpr' in the file" "$SC_TMP/fw.want" "$SC_TMP/fw.lines"

sc_done
