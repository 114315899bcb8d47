#!/bin/bash
# --flows' handshake time against a known delay, on a kernel without
# netem: A and B are joined through namespace R, where tests/delay.py
# bridges rA and rB and holds every frame 10 ms each way. A connection
# from A then takes 20 ms and a little from its SYN to the ACK that
# completes the handshake, as seen on vA. Three connections must each read
# 20 ms or more, their median 20 ms within 5 %, and each agree with
# tshark's initial RTT from tcpdump's file of vA within 0.3 ms. Then the
# bridge drops the first SYN of a connection to port 40101: its handshake
# time is marked ambiguous, and the retransmitted SYN is counted as tshark
# counts it. (tests/vm_flows_rtt.sh does the same with netem and nftables
# in the 6.1 VM, where emulation makes the times imprecise.)
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_flows.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd timeout coreutils
sc_need_cmd chrt util-linux
sc_need_cmd "$SC_PYTHON" python3
sc_init


sc_netns A a
sc_netns R r
sc_netns B b
sc_netns_quiet "$A"
sc_netns_quiet "$B"
sc_netns_no_ipv6 "$R"
sc_veth "$A" vA "$R" rA
sc_veth "$R" rB "$B" vB
sc_neigh_quiet "$A" vA
sc_neigh_quiet "$B" vB
ip -n "$A" addr add 198.18.0.1/24 dev vA &&
	ip -n "$B" addr add 198.18.0.2/24 dev vB ||
	sc_die "cannot configure addresses"

sc_start bridge "$R" "out:^ready" chrt -f 10 "$SC_PYTHON" "$srcdir/tests/delay.py" rA rB 20 40101
sc_start sink "$B" "out:^ready" "$SC_PYTHON" "$FL" sink 40100
sc_start sink2 "$B" "out:^ready" "$SC_PYTHON" "$FL" sink 40101

sc_tcpdump td "$A" vA
sc_sockcap fa "$A" -i vA --flows tcp
for i in 1 2 3; do
	ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" rtt 198.18.0.2 40100 >"$SC_TMP/c$i.out" ||
		sc_die "connection $i failed"
done
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" rtt 198.18.0.2 40101 >"$SC_TMP/amb.out" ||
	sc_die "the connection whose SYN is dropped failed"
sleep 0.5
sc_stop fa INT
sc_check_eq "fa: exit status" 0 "$SC_RC"
sc_tcpdump_stop td

for i in 1 2 3; do
	p=$(awk '{ print $2 }' "$SC_TMP/c$i.out")
	sc_flow_row "$SC_TMP/fa.out" "$p" || { sc_fail "no flow from port $p"; continue; }
	ref=$(sc_tshark_rtt "$SC_TMP/td.pcap" "$p")
	sc_log "connection $i (port $p): $ROW_STATE, RTT $ROW_RTT, tshark ${ref:-none} s, retransmissions $ROW_RETX"
	awk -v r="${ROW_RTT%ms}" 'BEGIN { exit !(r ~ /^[0-9.]+$/ && r >= 20) }' ||
		sc_fail "connection $i: RTT $ROW_RTT, expected 20 ms or a little more"
	echo "${ROW_RTT%ms}" >>"$SC_TMP/rtts"
	awk -v r="${ROW_RTT%ms}" -v t="$ref" 'BEGIN {
		d = r - 1000 * t; if (d < 0) d = -d
		exit !(t != "" && d <= 0.3)
	}' || sc_fail "connection $i: RTT $ROW_RTT, tshark's ${ref:-none} s"
	sc_check_eq "connection $i: state" CLOSED "$ROW_STATE"
	sc_check_eq "connection $i: retransmissions" 0 "$ROW_RETX"
done
# the median of the three: 20 ms within 5 % (a CI machine's three read
# 20.47 to 20.65 ms, an idle one's 20.19 to 20.26)
median=$(sort -n "$SC_TMP/rtts" 2>/dev/null | sed -n 2p)
awk -v m="$median" 'BEGIN { exit !(m ~ /^[0-9.]+$/ && m >= 20 && m <= 21) }' ||
	sc_fail "the median RTT is ${median:-missing} ms, expected 20 ms within 5 %"
sc_check_dropped_syn "dropped SYN" "$SC_TMP/fa.out" "$SC_TMP/td.pcap" "$(awk '{ print $2 }' "$SC_TMP/amb.out")"

sc_done
