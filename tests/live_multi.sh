#!/bin/bash
# Several -i options: one capture on two veth pairs at once, with tagged
# frames among the traffic. Each interface
# gets its own packet socket; lines name the interface of each packet, and a
# pcapng file has one interface block per -i, each packet filed under its
# own interface (compared frame by frame with a tcpdump on each interface),
# and one statistics block per interface at the end. A classic pcap file
# cannot say which interface a packet came from, so -w x.pcap with two -i
# is refused.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_netns A a
sc_netns B b
sc_netns_no_ipv6 "$A"
sc_netns_no_ipv6 "$B"
sc_veth "$A" v1 "$B" w1
sc_veth "$A" v2 "$B" w2
sc_neigh_quiet "$A" v1 v2
sc_neigh_quiet "$B" w1 w2
ip -n "$A" addr add 198.18.1.1/24 dev v1 &&
	ip -n "$B" addr add 198.18.1.2/24 dev w1 &&
	ip -n "$A" addr add 198.18.2.1/24 dev v2 &&
	ip -n "$B" addr add 198.18.2.2/24 dev w2 ||
	sc_die "cannot configure addresses"

# ------------------------------------------------------------ refused
out=$SC_TMP/refused
ip netns exec "$A" timeout 30 "$SOCKCAP" -i v1 -i v2 -w "$SC_TMP/two.pcap" >"$out.out" 2>"$out.err"
sc_check_eq "two -i into a pcap file: exit status" 1 "$?"
sc_expect_line "two -i into a pcap file: the reason" '^sockcap: .*pcapng' "$out.err"
[ -e "$SC_TMP/two.pcap" ] && sc_fail "two -i into a pcap file: the file was created"
ip netns exec "$A" timeout 30 "$SOCKCAP" -i v1 -i v1 >"$out.out" 2>"$out.err"
sc_check_eq "the same -i twice: exit status" 1 "$?"
sc_expect_line "the same -i twice: the reason" '^sockcap: v1: interface named twice$' "$out.err"

# ------------------------------------------------------------ capture
sc_start td1 "$A" "err:listening on" tcpdump -Z root -U --immediate-mode -B 16384 -n -i v1 \
	-w "$SC_TMP/td1.pcap"
sc_start td2 "$A" "err:listening on" tcpdump -Z root -U --immediate-mode -B 16384 -n -i v2 \
	-w "$SC_TMP/td2.pcap"
sc_sockcap sw "$A" -i v1 -i v2 -w "$SC_TMP/sw.pcapng"
sc_sockcap sl "$A" -i v2 -i v1

sc_tg "$A" udp 198.18.1.1 40000 198.18.1.2 40001 11 3 + \
	udp 198.18.2.1 40000 198.18.2.2 40002 22 4 + \
	ping 198.18.1.1 198.18.1.2 4660 1 + ping 198.18.2.1 198.18.2.2 4661 1 ||
	sc_die "traffic failed"
# tagged frames both ways on v1: coming in, the kernel takes the tag out of
# the frame and sockcap must put it back as tcpdump does
M1=$(sc_mac "$A" v1)
MW1=$(sc_mac "$B" w1)
sc_tg "$A" vlan v1 "$MW1" 20 5 198.18.20.1 198.18.20.2 40020 40021 23 || sc_die "traffic failed"
sc_tg "$B" vlan w1 "$M1" 30 3 198.18.30.2 198.18.30.1 40030 40031 24 + \
	udp 198.18.2.2 40009 198.18.2.1 40099 4 || sc_die "traffic failed"

marker='198\.18\.2\.2\.40009 > 198\.18\.2\.1\.40099: UDP, length 4$'
sc_wait_for "sockcap to print the marker" 60 sc_grep_q "$marker" "$SC_TMP/sl.out"
sc_wait_for "tcpdump to see the marker" 60 sc_pcap_has "$marker" "$SC_TMP/td2.pcap"
sleep 0.3 # the writing sockcap reads its last block on stop anyway
for n in sw sl; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status after SIGINT" 0 "$SC_RC"
done
sc_stop td1 TERM
sc_stop td2 TERM

# Lines: each packet names the interface it was seen on.
sc_expect_line "lines: UDP on v1" '^[0-9:.]+ v1 Out IP 198\.18\.1\.1\.40000 > 198\.18\.1\.2\.40001: UDP, length 11$' "$SC_TMP/sl.out" 3
sc_expect_line "lines: UDP on v2" '^[0-9:.]+ v2 Out IP 198\.18\.2\.1\.40000 > 198\.18\.2\.2\.40002: UDP, length 22$' "$SC_TMP/sl.out" 4
sc_expect_line "lines: echo reply on v1" '^[0-9:.]+ v1 In  IP 198\.18\.1\.2 > 198\.18\.1\.1: ICMP echo reply, id 4660' "$SC_TMP/sl.out"
sc_expect_line "lines: echo reply on v2" '^[0-9:.]+ v2 In  IP 198\.18\.2\.2 > 198\.18\.2\.1: ICMP echo reply, id 4661' "$SC_TMP/sl.out"
sc_expect_line "lines: tagged frame out on v1" '^[0-9:.]+ v1 Out vlan 20, p 5, IP 198\.18\.20\.1\.40020 > 198\.18\.20\.2\.40021: UDP, length 23$' "$SC_TMP/sl.out"
sc_expect_line "lines: tagged frame in on v1" '^[0-9:.]+ v1 In  vlan 30, p 3, IP 198\.18\.30\.2\.40030 > 198\.18\.30\.1\.40031: UDP, length 24$' "$SC_TMP/sl.out"
sc_expect_line "lines: the listening line names both" '^sockcap: listening on v2, v1, summary mode$' "$SC_TMP/sl.err"
sc_check_stats sl "$SC_TMP/sl.err" "$SC_TMP/sl.out"

# The file: per interface, the frames tcpdump saw there, byte for byte.
sc_pf "$SC_TMP/sw.pcapng" >"$SC_TMP/sw.pf" || {
	sc_show "structure of sw.pcapng" "$SC_TMP/sw.pf"
	sc_die "sw.pcapng is malformed"
}
sc_expect_line "pcapng: interface 0 is v1" '^if_name 0 v1$' "$SC_TMP/sw.pf"
sc_expect_line "pcapng: interface 1 is v2" '^if_name 1 v2$' "$SC_TMP/sw.pf"
sc_expect_line "pcapng: two interface blocks" '^idb ' "$SC_TMP/sw.pf" 2
sc_expect_line "pcapng: two statistics blocks" '^isb ' "$SC_TMP/sw.pf" 2
for i in 1 2; do
	tcpdump -r "$SC_TMP/td$i.pcap" -n -xx 2>/dev/null | sed -E 's/^[0-9:.]+ //' >"$SC_TMP/td$i.x"
done
# the packets per interface, by the reader that knows nothing of sockcap
for i in 0 1; do
	n=$(awk -v i="$i" '$1 == "pkt" && $2 == i' "$SC_TMP/sw.pf" | wc -l)
	m=$(tcpdump -r "$SC_TMP/td$((i + 1)).pcap" -n 2>/dev/null | wc -l)
	sc_check_eq "pcapng: packets on interface $i vs tcpdump on v$((i + 1))" "$m" "$n"
	recv=$(awk -v i="$i" '$1 == "isb_ifrecv" && $2 == i { print $3 }' "$SC_TMP/sw.pf")
	deliv=$(awk -v i="$i" '$1 == "isb_usrdeliv" && $2 == i { print $3 }' "$SC_TMP/sw.pf")
	sc_check_eq "pcapng: isb_usrdeliv of interface $i" "$n" "$deliv"
	sc_check_eq "pcapng: isb_ifrecv of interface $i (nothing dropped)" "$n" "$recv"
done
# byte for byte, per interface: tshark splits the file by interface
if command -v tshark >/dev/null 2>&1; then
	for i in 1 2; do
		tshark -r "$SC_TMP/sw.pcapng" -Y "frame.interface_name == \"v$i\"" -w "$SC_TMP/sw$i.pcap" \
			-F pcap 2>/dev/null || sc_fail "tshark cannot split sw.pcapng"
		tcpdump -r "$SC_TMP/sw$i.pcap" -n -xx 2>/dev/null | sed -E 's/^[0-9:.]+ //' >"$SC_TMP/sw$i.x"
		sc_same_lines "frames on v$i: sockcap -i v1 -i v2 vs tcpdump -i v$i" "$SC_TMP/td$i.x" "$SC_TMP/sw$i.x"
	done
fi
sc_stats "$SC_TMP/sw.err"
n=$(awk '$1 == "packets" { print $2 }' "$SC_TMP/sw.pf")
sc_check_eq "sw: 'packets captured' vs packets in the file" "$n" "$SC_CAPTURED"
sc_check_eq "sw: captured + dropped == received" "$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED))"

sc_done
