#!/bin/bash
# Captures without an Ethernet header: -i any (every interface, cooked) and
# a tun device (raw IP). Namespace A has lo, a veth v1 to namespace B and a
# tun device tun0, held open by a helper that answers what goes out of it.
#
# 1. sockcap -i any prints each packet once with its own interface (v1, lo
#    -- once, not leaving and arriving --, tun0), in both directions, a VLAN
#    tag the receive path took out as a summary of its own; the statistics
#    add up. No interface becomes promiscuous (tun0, captured alone without
#    -p, does: the control).
# 2. sockcap -i any -w FILE.pcapng: one interface "any" of link type 276
#    (LINUX_SLL2), and the same frames, byte for byte, as tcpdump -i any -w;
#    sockcap -r of the file prints the lines of the live capture (tags
#    aside: a LINUX_SLL2 file does not keep them, as with tcpdump).
# 3. An expression on any (compiled for LINUX_SLL2: offsets past the cooked
#    header, the packet type and the length from the packet's metadata) takes
#    the frames tcpdump -i any takes with the same expression.
# 4. sockcap -i tun0 -e --print -w FILE 'udp': link type 101 (RAW), the same
#    frames as tcpdump -i tun0 -w with the expression, lines without MAC
#    addresses.
# 5. -i any with another -i, and two interfaces of different link types, are
#    errors; -D ends with the "any" pseudo-interface.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
# the tun driver may be a module, and /dev may have no node for it yet
if [ ! -c /dev/net/tun ]; then
	modprobe tun 2>/dev/null
	grep -q -w tun /proc/misc 2>/dev/null && [ ! -e /dev/net/tun ] &&
		mkdir -p /dev/net && mknod /dev/net/tun c 10 200
	[ -c /dev/net/tun ] || sc_die "no tun device (/dev/net/tun) and none can be made"
fi
sc_init

sc_netns A a
sc_netns B b
sc_netns_no_ipv6 "$A"
sc_netns_no_ipv6 "$B"
sc_veth "$A" v1 "$B" w1
sc_neigh_quiet "$A" v1
sc_neigh_quiet "$B" w1
ip -n "$A" addr add 198.18.1.1/24 dev v1 &&
	ip -n "$B" addr add 198.18.1.2/24 dev w1 ||
	sc_die "cannot configure addresses"

# tun0 in A, 198.18.7.1/24, made and held open by tests/tun.py: every IPv4
# datagram to port 40071 that leaves through it is answered by one coming
# in, from 198.18.7.2.40072 to 198.18.7.1.40073 with a payload one byte
# longer. Ends after 300 s at most.
sc_start tun "$A" "out:^ready" "$SC_PYTHON" "$srcdir/tests/tun.py"

# ------------------------------------------------------------ 5. errors
out=$SC_TMP/refused
ip netns exec "$A" timeout 30 "$SOCKCAP" -i any -i v1 >"$out.out" 2>"$out.err"
sc_check_eq "-i any -i v1: exit status" 1 "$?"
sc_expect_line "-i any -i v1: the reason" '^sockcap: -i any takes every interface' "$out.err"
ip netns exec "$A" timeout 30 "$SOCKCAP" -i v1 -i tun0 >"$out.out" 2>"$out.err"
sc_check_eq "-i v1 -i tun0: exit status" 1 "$?"
sc_expect_line "-i v1 -i tun0: the reason" \
	'^sockcap: v1 \(Ethernet\) and tun0 \(raw IP\): interfaces of different link types' "$out.err"
sc_check_eq "-i v1 -i tun0: lines on stderr" 1 "$(sc_lines "$out.err")"
ip netns exec "$A" timeout 30 "$SOCKCAP" -D >"$out.out" 2>"$out.err"
sc_check_eq "-D: the last line" "any (every interface) [Up, Running]" "$(tail -n 1 "$out.out")"

# ------------------------------------------------------------ capture
# (no packet is near 200 bytes: see "len" in the man page for the 20
# bytes of the cooked header that sockcap counts and tcpdump's kernel
# filter does not)
EXPR='udp port 40001 or inbound or greater 200'
td() {
	local name=$1
	shift
	sc_start "$name" "$A" "err:listening on" tcpdump -Z root -U --immediate-mode -B 16384 -n "$@"
}
td tdany -i any -w "$SC_TMP/tdany.pcap"
td tdexp -i any -w "$SC_TMP/tdexp.pcap" "$EXPR"
td tdtun -i tun0 -w "$SC_TMP/tdtun.pcap" udp
sc_sockcap sl "$A" -i any
sc_sockcap sw "$A" -i any -w "$SC_TMP/sw.pcapng"
sc_sockcap se "$A" -i any -w "$SC_TMP/se.pcap" "$EXPR"
sc_sockcap st "$A" -i tun0 -e --print -w "$SC_TMP/st.pcap" udp

# promiscuity while they run: -i any makes no interface promiscuous; tun0,
# captured by itself without -p by sockcap and tcpdump, is twice (the control)
ip -n "$A" -d -o link show >"$SC_TMP/links"
for i in v1:0 lo:0 tun0:2; do
	p=
	while IFS= read -r line; do
		[[ $line =~ ^[0-9]+:\ ${i%:*}[:@].*\ promiscuity\ ([0-9]+) ]] && p=${BASH_REMATCH[1]}
	done <"$SC_TMP/links"
	sc_check_eq "promiscuity of ${i%:*} during the captures" "${i#*:}" "$p"
done

M1=$(sc_mac "$A" v1)
sc_tg "$A" udp 198.18.1.1 40000 198.18.1.2 40001 11 3 + \
	ping 198.18.1.1 198.18.1.2 4660 1 + \
	udp 127.0.0.1 40010 127.0.0.1 40011 12 2 + \
	udp 198.18.1.1 40002 198.18.1.2 40003 300 + \
	udp 198.18.7.1 40070 198.18.7.2 40071 13 ||
	sc_die "traffic failed"
sc_tg "$B" vlan w1 "$M1" 30 3 198.18.30.2 198.18.30.1 40030 40031 24 + \
	udp 198.18.1.2 40009 198.18.1.1 40099 4 || sc_die "traffic failed"

marker='198\.18\.1\.2\.40009 > 198\.18\.1\.1\.40099: UDP, length 4$'
sc_wait_for "sockcap -i any to print the marker" 60 sc_grep_q "v1 In  IP $marker" "$SC_TMP/sl.out"
sc_wait_for "tcpdump -i any to see the marker" 60 sc_pcap_has "$marker" "$SC_TMP/tdany.pcap"
sc_wait_for "tcpdump with the expression to see the marker" 60 sc_pcap_has "$marker" "$SC_TMP/tdexp.pcap"
sc_wait_for "the answer from tun0" 60 sc_grep_q '198\.18\.7\.2\.40072 > 198\.18\.7\.1\.40073: UDP, length 14$' "$SC_TMP/st.out"
sc_wait_for "tcpdump -i tun0 to see the answer" 60 sc_pcap_has '40072 > 198\.18\.7\.1\.40073' "$SC_TMP/tdtun.pcap"
sleep 0.3
for n in sl sw se st; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status after SIGINT" 0 "$SC_RC"
done
for n in tdany tdexp tdtun; do
	sc_tcpdump_stop "$n"
done

# ------------------------------------------------------------ 1. lines
L=$SC_TMP/sl.out
sc_expect_line "any: UDP out of v1" '^[0-9:.]+ v1 Out IP 198\.18\.1\.1\.40000 > 198\.18\.1\.2\.40001: UDP, length 11$' "$L" 3
sc_expect_line "any: echo reply into v1" '^[0-9:.]+ v1 In  IP 198\.18\.1\.2 > 198\.18\.1\.1: ICMP echo reply, id 4660, seq 1,' "$L"
sc_expect_line "any: UDP on lo, once each" '^[0-9:.]+ lo In  IP 127\.0\.0\.1\.40010 > 127\.0\.0\.1\.40011: UDP, length 12$' "$L" 2
sc_expect_line "any: UDP out of tun0" '^[0-9:.]+ tun0 Out IP 198\.18\.7\.1\.40070 > 198\.18\.7\.2\.40071: UDP, length 13$' "$L"
sc_expect_line "any: UDP into tun0" '^[0-9:.]+ tun0 In  IP 198\.18\.7\.2\.40072 > 198\.18\.7\.1\.40073: UDP, length 14$' "$L"
sc_expect_line "any: tagged frame into v1" '^[0-9:.]+ v1 In  vlan 30, p 3, IP 198\.18\.30\.2\.40030 > 198\.18\.30\.1\.40031: UDP, length 24$' "$L"
sc_expect_line "any: the listening line" '^sockcap: listening on any, summary mode$' "$SC_TMP/sl.err"
sc_check_stats "any" "$SC_TMP/sl.err" "$L"
sc_check_eq "any: dropped" 0 "$SC_DROPPED"

# ------------------------------------------------------------ 2. file
sc_pf "$SC_TMP/sw.pcapng" >"$SC_TMP/sw.pf" || {
	sc_show "structure of sw.pcapng" "$SC_TMP/sw.pf"
	sc_die "sw.pcapng is malformed"
}
sc_expect_line "pcapng: one interface block, LINUX_SLL2" '^idb 0 276 ' "$SC_TMP/sw.pf"
sc_expect_line "pcapng: no other interface block" '^idb ' "$SC_TMP/sw.pf"
sc_expect_line "pcapng: the interface is any" '^if_name 0 any$' "$SC_TMP/sw.pf"
# frames: as tcpdump -r prints them, every byte, without the time (in A,
# whose interfaces the indexes of a cooked header name)
frames() {
	ip netns exec "$A" tcpdump -r "$1" -n -xx 2>"$2.rerr" | sed -E 's/^[0-9:.]+ //' >"$2"
}
frames "$SC_TMP/tdany.pcap" "$SC_TMP/tdany.x"
frames "$SC_TMP/sw.pcapng" "$SC_TMP/sw.x"
grep -q 'link-type LINUX_SLL2' "$SC_TMP/sw.x.rerr" ||
	sc_fail "tcpdump -r sw.pcapng: not LINUX_SLL2: $(cat "$SC_TMP/sw.x.rerr")"
# (tcpdump's file must hold the traffic for the comparison to mean much)
sc_expect_line "tcpdump -i any: datagrams to 40001" '^v1 +Out IP 198\.18\.1\.1\.40000 > 198\.18\.1\.2\.40001: UDP, length 11$' "$SC_TMP/tdany.x" 3
sc_expect_line "tcpdump -i any: the answer into tun0" '^tun0 +In +IP 198\.18\.7\.2\.40072 > 198\.18\.7\.1\.40073: UDP, length 14$' "$SC_TMP/tdany.x"
sc_same_lines "-i any -w: frames vs tcpdump -i any -w" "$SC_TMP/tdany.x" "$SC_TMP/sw.x"
n=$(awk '$1 == "packets" { print $2 }' "$SC_TMP/sw.pf")
sc_stats "$SC_TMP/sw.err"
sc_check_eq "-i any -w: 'packets captured' vs packets in the file" "$n" "$SC_CAPTURED"
sc_check_eq "-i any -w: captured + dropped == received" "$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED))"
# -r in A, where the file's interface indexes name the same interfaces
strip() { sed -E -e 's/^[0-9:.]+ //' -e 's/vlan [0-9]+, p [0-9]+, //'; }
ip netns exec "$A" timeout 30 "$SOCKCAP" -r "$SC_TMP/sw.pcapng" 2>"$SC_TMP/r.err" | strip >"$SC_TMP/r.lines"
[ -s "$SC_TMP/r.err" ] && sc_fail "-r of the any file: stderr: $(head -c 300 "$SC_TMP/r.err")"
sc_strip_proc <"$L" | strip >"$SC_TMP/sl.lines"
sc_same_lines "-r of the -i any file vs the live lines" "$SC_TMP/sl.lines" "$SC_TMP/r.lines"

# ------------------------------------------------------------ 3. expression
frames "$SC_TMP/tdexp.pcap" "$SC_TMP/tdexp.x"
frames "$SC_TMP/se.pcap" "$SC_TMP/se.x"
sc_same_lines "-i any '$EXPR': frames vs tcpdump" "$SC_TMP/tdexp.x" "$SC_TMP/se.x"
# what the expression leaves out: datagrams sent to other ports, short
grep -q '40000 > 198\.18\.1\.2\.40001: UDP' "$SC_TMP/se.x" || sc_fail "expression: no datagram to port 40001"
grep -q '40002 > 198\.18\.1\.2\.40003: UDP, length 300' "$SC_TMP/se.x" || sc_fail "expression: no long datagram"
grep -q '40070 > 198\.18\.7\.2\.40071' "$SC_TMP/se.x" && sc_fail "expression: a short datagram sent out of tun0"
sc_stats "$SC_TMP/se.err"
sc_check_eq "expression: 'received by filter' vs packets in the file" "$(grep -c -v '^	' "$SC_TMP/se.x")" "$SC_RECEIVED"

# ------------------------------------------------------------ 4. tun
frames "$SC_TMP/tdtun.pcap" "$SC_TMP/tdtun.x"
frames "$SC_TMP/st.pcap" "$SC_TMP/st.x"
grep -q 'link-type RAW' "$SC_TMP/st.x.rerr" || sc_fail "tun0 file: not RAW: $(cat "$SC_TMP/st.x.rerr")"
sc_expect_line "tcpdump -i tun0 udp: packets" '^IP ' "$SC_TMP/tdtun.x" 2
sc_same_lines "-i tun0 -w udp: frames vs tcpdump -i tun0" "$SC_TMP/tdtun.x" "$SC_TMP/st.x"
sc_expect_line "tun0: line with -e" \
	'^[0-9:.]+ tun0 Out ethertype IPv4 \(0x0800\), length 41: 198\.18\.7\.1\.40070 > 198\.18\.7\.2\.40071: UDP, length 13$' \
	"$SC_TMP/st.out"
sc_expect_line "tun0: the listening line" '^sockcap: listening on tun0, link-type RAW \(Raw IP\),' "$SC_TMP/st.err"

sc_stop tun TERM
sc_done
