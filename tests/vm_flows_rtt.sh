#!/bin/bash
# --flows' handshake time, in the VM only (`make check-vm`): the host's
# kernel has no netem. A's side of the link delays every packet by 20 ms,
# so a connection from A has a handshake of 20 ms and more as seen on vA;
# tshark's initial RTT from tcpdump's file is the reference. Then a connection
# whose first SYN B's nftables drops (a quota of the first SYN's bytes):
# its handshake time is marked ambiguous, and the retransmitted SYN is
# counted as tshark counts it.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_flows.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd tc iproute2
sc_need_cmd nft nftables
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init


modprobe sch_netem 2>/dev/null
sc_pair_link
tc -n "$A" qdisc add dev vA root netem delay 20ms || sc_die "no netem (sch_netem)"
sc_start sink "$B" "out:^ready" "$SC_PYTHON" "$FL" sink 40100

sc_tcpdump td "$A" vA
sc_sockcap fa "$A" -i vA --flows tcp
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" rtt 198.18.0.2 40100 >"$SC_TMP/one.out" ||
	sc_die "the first connection failed"
# the next connection's first SYN (60 bytes at B's input) is dropped, the
# retransmission passes
ip netns exec "$B" nft -f - <<NFT || sc_die "nftables rule in B failed"
table inet sc {
	chain in {
		type filter hook input priority 0;
		tcp dport 40100 tcp flags == syn quota until 100 bytes drop
	}
}
NFT
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" rtt 198.18.0.2 40100 >"$SC_TMP/two.out" ||
	sc_die "the second connection failed"
sleep 0.5
sc_stop fa INT
sc_check_eq "fa: exit status" 0 "$SC_RC"
sc_tcpdump_stop td

p1=$(awk '{ print $2 }' "$SC_TMP/one.out")
p2=$(awk '{ print $2 }' "$SC_TMP/two.out")
if sc_flow_row "$SC_TMP/fa.out" "$p1"; then
	ref=$(sc_tshark_rtt "$SC_TMP/td.pcap" "$p1")
	sc_log "first (port $p1): $ROW_STATE, RTT $ROW_RTT, tshark ${ref:-none} s, retransmissions $ROW_RETX"
	# Under KVM the handshake takes 20 ms and a little; emulated (TCG),
	# every hop adds milliseconds of its own, so the reference is tshark's
	# time from the same interface, and the delay a lower bound. Within
	# 10% or 5 ms: a packet sent carries TCP's own timestamp to tcpdump,
	# taken before netem holds it, sockcap's is taken as the packet leaves.
	awk -v r="${ROW_RTT%ms}" -v t="$ref" 'BEGIN {
		if (r !~ /^[0-9.]+$/ || t == "") exit 1
		d = r - 1000 * t; if (d < 0) d = -d
		exit !((d <= 0.1 * r || d <= 5) && r >= 20)
	}' || sc_fail "first: RTT $ROW_RTT, expected tshark's ${ref:-?} s within 10% or 5 ms, at least 20 ms"
	sc_check_eq "first: state" CLOSED "$ROW_STATE"
	sc_check_eq "first: retransmissions" 0 "$ROW_RETX"
else
	sc_fail "no flow from port $p1"
fi
sc_check_dropped_syn second "$SC_TMP/fa.out" "$SC_TMP/td.pcap" "$p2"

sc_done
