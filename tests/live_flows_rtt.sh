#!/bin/bash
# --flows' handshake time against a known delay, on a kernel without
# netem: A and B are joined through namespace R, where tests/delay.py
# bridges rA and rB and holds every frame from B for 20 ms. A connection
# from A then takes 20 ms and a little (two hops through the bridge) from
# its SYN to the ACK that completes the handshake, as seen on vA. Three
# connections must each read 20 ms within 3 %, and agree with tshark's
# initial RTT from tcpdump's file of vA within 0.3 ms. Then the bridge
# drops the first SYN of a connection to port 40101: its handshake time is
# marked ambiguous, and the retransmitted SYN is counted as tshark counts
# it. (tests/vm_flows_rtt.sh does the same with netem and nftables in the
# 6.1 VM, where emulation makes the times imprecise.)
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd timeout coreutils
sc_need_cmd chrt util-linux
sc_need_cmd "$SC_PYTHON" python3
sc_init

FL=$srcdir/tests/flows.py
fl() { "$SC_PYTHON" "$FL" "$@"; }

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
	fl row "$SC_TMP/fa.out" tcp "$p" >"$SC_TMP/row$i" || { sc_fail "no flow from port $p"; continue; }
	read -r st rtt retx <"$SC_TMP/row$i"
	# tshark's initial RTT (SYN to the ACK completing the handshake), in s
	ref=$(tshark -n -r "$SC_TMP/td.pcap" -Y "tcp.srcport == $p && tcp.analysis.initial_rtt" \
		-T fields -e tcp.analysis.initial_rtt 2>/dev/null | sed -n 1p)
	sc_log "connection $i (port $p): $st, RTT $rtt, tshark ${ref:-none} s, retransmissions $retx"
	awk -v r="${rtt%ms}" 'BEGIN { exit !(r ~ /^[0-9.]+$/ && r >= 20 && r <= 20.6) }' ||
		sc_fail "connection $i: RTT $rtt, expected 20 ms within 3 %"
	awk -v r="${rtt%ms}" -v t="$ref" 'BEGIN {
		d = r - 1000 * t; if (d < 0) d = -d
		exit !(t != "" && d <= 0.3)
	}' || sc_fail "connection $i: RTT $rtt, tshark's ${ref:-none} s"
	sc_check_eq "connection $i: state" CLOSED "$st"
	sc_check_eq "connection $i: retransmissions" 0 "$retx"
done

p=$(awk '{ print $2 }' "$SC_TMP/amb.out")
if fl row "$SC_TMP/fa.out" tcp "$p" >"$SC_TMP/row.amb"; then
	read -r st rtt retx <"$SC_TMP/row.amb"
	sc_log "dropped SYN (port $p): $st, RTT $rtt, retransmissions $retx"
	sc_check_eq "dropped SYN: state" CLOSED "$st"
	[[ $rtt == *ms\? ]] || sc_fail "dropped SYN: RTT '$rtt' is not marked ambiguous"
	syns=$(tshark -n -r "$SC_TMP/td.pcap" -Y "tcp.srcport == $p && tcp.flags.syn == 1" 2>/dev/null | wc -l)
	sc_check_eq "dropped SYN: SYNs in tcpdump's file" 2 "$syns"
	rx=$(tshark -n -r "$SC_TMP/td.pcap" -Y "tcp.port == $p && tcp.analysis.retransmission" 2>/dev/null | wc -l)
	sc_check_eq "dropped SYN: retransmissions, as tshark counts them" "$rx" "$retx"
else
	sc_fail "no flow from port $p"
fi

sc_done
