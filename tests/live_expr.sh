#!/bin/bash
# Filter expressions on a live capture, light enough to run under every
# kernel the suite meets (tests/live_filter.sh compares many more with
# tcpdump on this machine's kernel). On lo, in a namespace of the test's own:
#
# 1. "udp port 40001 or icmp": summary lines for exactly the matching
#    packets (IPv4 and IPv6); the statistics add up, and "seen by the
#    socket" counts every packet of the traffic.
# 2. The same expression with -w: the file holds exactly those packets.
# 3. "ip6 protochain 17" unrolls to some 3000 eBPF instructions, more than
#    the 20 KiB of option memory a socket may spend on its filter on Linux
#    6.1 (net.core.optmem_max, set so here where a namespace has its
#    own): it is attached all the same,
#    and takes the IPv6 UDP datagrams only.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_netns NS lo
# A namespace has its own optmem_max since Linux 6.8; before, the one
# value is the whole machine's, left as it is (20480 by default).
if ip netns exec "$NS" test -e /proc/sys/net/core/optmem_max; then
	ip netns exec "$NS" sysctl -q -w net.core.optmem_max=20480 || sc_die "cannot set optmem_max"
else
	sc_log "net.core.optmem_max is $(cat /proc/sys/net/core/optmem_max) (the machine's)"
fi

sc_start srv "$NS" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40099 40001 40002 40003 40011

sc_sockcap ex "$NS" -i lo 'udp port 40001 or icmp'
sc_sockcap exw "$NS" -i lo -w "$SC_TMP/exw.pcap" 'udp port 40001 or icmp'
sc_sockcap pc "$NS" -i lo 'ip6 protochain 17'

# Nine packets: six match (four datagrams to port 40001, one of them over
# IPv6, an echo request and its reply), three do not; every port has a
# socket, so no port unreachable comes back. The last one is the marker.
sc_tg "$NS" \
	udp 127.0.0.1 40000 127.0.0.1 40001 11 + \
	udp 127.0.0.1 40000 127.0.0.1 40002 12 + \
	udp 127.0.0.1 40000 127.0.0.1 40001 13 + \
	udp ::1 40010 ::1 40011 21 + \
	udp ::1 40010 ::1 40001 22 + \
	ping 127.0.0.1 127.0.0.1 4660 1 + \
	udp 127.0.0.1 40000 127.0.0.1 40003 14 + \
	udp 127.0.0.1 40000 127.0.0.1 40001 15 ||
	sc_die "traffic generator failed"
sc_wait_for "the last datagram (summary)" 30 sc_grep_q '40001: UDP, length 15$' "$SC_TMP/ex.out"
sc_wait_for "the IPv6 datagrams" 30 sc_has_lines 2 "$SC_TMP/pc.out"
sleep 0.5
for n in ex exw pc; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status" 0 "$SC_RC"
done

# ---------------------------------------------------------------- 1.
MATCH='^IP 127\.0\.0\.1\.40000 > 127\.0\.0\.1\.40001: UDP|^IP6 ::1\.40010 > ::1\.40001: UDP|^IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo (request|reply), id 4660, seq 1,'
sc_norm_sockcap <"$SC_TMP/ex.out" >"$SC_TMP/ex.lines"
bad=$(grep -v -E "$MATCH" "$SC_TMP/ex.lines")
[ -z "$bad" ] || sc_fail "expression: lines that do not match it: $bad"
sc_expect_line "expression: datagrams to 40001" '40001: UDP, length (11|13|15|22)$' "$SC_TMP/ex.lines" 4
sc_expect_line "expression: echo request" 'ICMP echo request, id 4660, seq 1' "$SC_TMP/ex.lines"
sc_expect_line "expression: echo reply" 'ICMP echo reply, id 4660, seq 1' "$SC_TMP/ex.lines"
sc_check_stats "expression" "$SC_TMP/ex.err" "$SC_TMP/ex.out"
sc_check_eq "expression: dropped" 0 "$SC_DROPPED"
seen=$(sed -n -E 's/^([0-9]+) packets seen by the socket \(before the filter expression\)$/\1/p' "$SC_TMP/ex.err")
[ -n "$seen" ] && [ "$seen" -ge 9 ] ||
	sc_fail "expression: 'seen by the socket' is '$seen', want at least the 9 packets sent"

# ---------------------------------------------------------------- 2.
tcpdump -n -r "$SC_TMP/exw.pcap" 2>"$SC_TMP/exw.rerr" | sed -E 's/^[0-9:.]+ //' >"$SC_TMP/exw.lines" ||
	sc_fail "-w: tcpdump cannot read the file: $(cat "$SC_TMP/exw.rerr")"
sc_check_eq "-w: packets in the file" 6 "$(sc_lines "$SC_TMP/exw.lines")"
bad=$(grep -v -E "$MATCH" "$SC_TMP/exw.lines")
[ -z "$bad" ] || sc_fail "-w: packets that do not match the expression: $bad"

# ---------------------------------------------------------------- 3.
grep -v 'listening on\|packets' "$SC_TMP/pc.err" >"$SC_TMP/pc.noise"
[ -s "$SC_TMP/pc.noise" ] && sc_fail "protochain: $(head -n 3 "$SC_TMP/pc.noise")"
sc_norm_sockcap <"$SC_TMP/pc.out" >"$SC_TMP/pc.lines"
printf '%s\n' 'IP6 ::1.40010 > ::1.40011: UDP, length 21' 'IP6 ::1.40010 > ::1.40001: UDP, length 22' \
	>"$SC_TMP/pc.want"
sc_same_lines "protochain 17: lines" "$SC_TMP/pc.want" "$SC_TMP/pc.lines"
sc_check_stats "protochain 17" "$SC_TMP/pc.err" "$SC_TMP/pc.out"

sc_done
