#!/bin/bash
# The decoders tcpdump has and a plain link rarely shows, live on one end of
# a veth pair between namespaces A and B, against tcpdump on the same end:
#
#  - UDP datagrams of 4000 bytes over IPv4 and IPv6, fragmented by the
#    kernel (MTU 1500), both ways: first fragments with the UDP header and
#    the whole datagram's length, later ones as fragments;
#  - crafted first fragments of TCP and ICMP (IPv4, IPv6 TCP) and later
#    ones, to an address nobody has;
#  - 802.3 frames: STP configuration, rapid and topology change BPDUs, SNAP
#    (Cisco's CDP, and an organisation tcpdump does not decode), LLC frames
#    of the three formats; LLDP;
#  - an 802.1ad/802.1Q (QinQ) frame and one of three 802.1Q tags. Received,
#    the outer tag is taken out by the kernel (its TPID, 0x88a8, comes from
#    the packet's metadata); sent, all tags are in the frame.
#
# Every crafted frame is sent once from each side (B's arrive on vA as
# frames for another host or as multicast), by a raw packet socket.
# sockcap (plain, -e, -v) and tcpdump capture on vA at the same time; the
# lines must be tcpdump's, apart from what sockcap(8) documents (frames of
# three tags, the CDP payload), and the lines this test expects.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_pair_link

# tests/decode_frames.py sends the fragments and crafted frames.
fr() { ip netns exec "$1" timeout 60 "$SC_PYTHON" "$srcdir/tests/decode_frames.py" "${@:2}"; }

sc_start srvA "$A" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40100 40011 40013 40099
sc_start srvB "$B" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40102 40001 40005

sc_tcpdump td "$A" vA
sc_sockcap sc "$A" -i vA
sc_sockcap sce "$A" -i vA -e
sc_sockcap scv "$A" -i vA -v

fr "$A" big 198.18.0.1 40000 198.18.0.2 40001 &&
	fr "$A" big fd00:198:18::1 40004 fd00:198:18::2 40005 &&
	fr "$B" big 198.18.0.2 40010 198.18.0.1 40011 &&
	fr "$B" big fd00:198:18::2 40012 fd00:198:18::1 40013 &&
	fr "$A" frames vA 198.18.0.1 fd00:198:18::1 &&
	fr "$B" frames vB 198.18.0.2 fd00:198:18::2 ||
	sc_die "sending the frames failed"
sc_tg "$B" udp 198.18.0.2 40009 198.18.0.1 40099 4 || sc_die "sending the marker failed"

marker='198\.18\.0\.2\.40009 > 198\.18\.0\.1\.40099: UDP, length 4$'
for n in sc sce scv; do
	sc_wait_for "$n to print the marker" 60 sc_grep_q "$marker" "$SC_TMP/$n.out"
done
sc_wait_for "tcpdump to see the marker" 60 sc_pcap_has "$marker" "$SC_TMP/td.pcap"
for n in sc sce scv; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status after SIGINT" 0 "$SC_RC"
	sc_check_stats "$n" "$SC_TMP/$n.err" "$SC_TMP/$n.out"
	sc_check_eq "$n: packets dropped" 0 "$SC_DROPPED"
	sc_check_stderr "$n" "$SC_TMP/$n.err"
done
sc_tcpdump_stop td

# ---------------------------------------------------------------- tcpdump
# Lines neither side prints alike, by design (sockcap(8)): frames of three
# tags (sockcap walks two; UDP to port 40033), CDP (tcpdump decodes it).
# tcpdump's payload dumps (lines that start with a tab) and the ": " it
# ends a line with before one are left out; sockcap's IPv4 later fragment
# says more than tcpdump's "ip-proto-N".
alike() {
	grep -v -E 'vlan 33, |\.40033: |, pid CDP |CDPv2' | sc_drop_background
}
untag() { sed -E 's/^(vlan [0-9]+, p [0-9]+, )+//'; }
frag4() { sed -E 's/: frag offset [0-9]+, (ip-proto-[0-9]+), length [0-9]+$/: \1/'; }
pcap=$SC_TMP/td.pcap
tcpdump -n -S -r "$pcap" 2>/dev/null | grep -v $'^\t' | sed 's/: $//' >"$SC_TMP/td.txt"
tcpdump -n -S -e -r "$pcap" 2>/dev/null | grep -v $'^\t' | sed 's/: $//' >"$SC_TMP/tde.txt"
sc_tcpdump_v "$pcap" >"$SC_TMP/tdv.txt"
n_td=$(sc_lines "$SC_TMP/td.txt")
[ "$n_td" = "$(sc_lines "$SC_TMP/tdv.txt")" ] ||
	sc_die "tcpdump -v shows $(sc_lines "$SC_TMP/tdv.txt") packets, tcpdump $n_td"
sc_log "tcpdump saw $n_td packets; sockcap printed $(sc_lines "$SC_TMP/sc.out"), -e $(sc_lines "$SC_TMP/sce.out"), -v $(sc_lines "$SC_TMP/scv.out")"

sc_norm_tcpdump <"$SC_TMP/td.txt" >"$SC_TMP/td.norm"
alike <"$SC_TMP/td.norm" >"$SC_TMP/td.cmp"
sc_norm_sockcap <"$SC_TMP/sc.out" | alike | untag | frag4 >"$SC_TMP/sc.cmp"
sc_same_lines "sockcap -i vA vs tcpdump -n -S" "$SC_TMP/td.cmp" "$SC_TMP/sc.cmp"

# -e: the direction from the MAC addresses, then tcpdump -e's text
sc_norm_tcpdump <"$SC_TMP/tde.txt" | awk -v me="$MA" '{
	src = $1; dst = $3; sub(/,$/, "", dst)
	if (src == me) dir = "Out"
	else if (dst == "ff:ff:ff:ff:ff:ff") dir = "B  "
	else if (dst == me) dir = "In "
	else if (index("13579bdf", substr(dst, 2, 1))) dir = "M  "
	else dir = "P  "
	print dir "|" $0 }' | alike >"$SC_TMP/tde.cmp"
sc_dir_sockcap <"$SC_TMP/sce.out" | alike | frag4 >"$SC_TMP/sce.cmp"
sc_same_lines "sockcap -e -i vA vs tcpdump -n -S -e (with directions)" "$SC_TMP/tde.cmp" "$SC_TMP/sce.cmp"

# -v: as tcpdump -v prints each packet (sc_expect_v), without the IPv6
# header (live_veth.sh compares it; one case below checks a fragment's).
noip6() {
	sed -E 's/^IP6 \((class 0x[0-9a-f]+, )?(flowlabel 0x[0-9a-f]+, )?hlim [0-9]+, next-header [^(]*\([0-9]+\) payload length: [0-9]+\) /IP6 /'
}
sc_expect_v "$SC_TMP/tdv.txt" "$SC_TMP/td.norm" | alike | noip6 >"$SC_TMP/tdv.cmp"
sc_norm_sockcap <"$SC_TMP/scv.out" | alike | untag | frag4 | noip6 >"$SC_TMP/scv.cmp"
sc_same_lines "sockcap -v -i vA vs tcpdump -n -S -v (IP header fields)" "$SC_TMP/tdv.cmp" "$SC_TMP/scv.cmp"

# ---------------------------------------------------------------- expected
# What was sent, with direction, independently of tcpdump.
q() { sed -e 's/[].[()*+?^$|\\]/\\&/g' <<<"$1"; }
expect() { # DIR TEXT [COUNT]
	sc_expect_line "$1 '$2'" "^$(q "$1|$2")\$" "$f" "${3:-1}"
}
f=$SC_TMP/sc.dir
sc_dir_sockcap <"$SC_TMP/sc.out" >"$f"
# the kernel's fragments: 4008 bytes of UDP in 1480 + 1480 + 1048 (IPv4),
# 1448 + 1448 + 1112 (IPv6)
while IFS='|' read -r dir src sport dst dport; do
	expect "$dir" "IP $src.$sport > $dst.$dport: UDP, length 4000"
	expect "$dir" "IP $src > $dst: frag offset 1480, ip-proto-17, length 1480"
	expect "$dir" "IP $src > $dst: frag offset 2960, ip-proto-17, length 1048"
done <<EOF
Out|198.18.0.1|40000|198.18.0.2|40001
In |198.18.0.2|40010|198.18.0.1|40011
EOF
while IFS='|' read -r dir src sport dst dport; do
	expect "$dir" "IP6 $src > $dst: frag (0|1448) $sport > $dport: UDP, length 4000"
	expect "$dir" "IP6 $src > $dst: frag (1448|1448)"
	expect "$dir" "IP6 $src > $dst: frag (2896|1112)"
done <<EOF
Out|fd00:198:18::1|40004|fd00:198:18::2|40005
In |fd00:198:18::2|40012|fd00:198:18::1|40013
EOF
while IFS='|' read -r dir ip4 ip6 mac; do
	expect "$dir" "IP $ip4.40020 > 198.18.0.99.40021: Flags [P.], seq 1000:1040, ack 2000, win 512, length 40"
	expect "$dir" "IP $ip4 > 198.18.0.99: ICMP echo request, id 77, seq 5, length 48"
	expect "$dir" "IP $ip4 > 198.18.0.99: frag offset 1480, ip-proto-6, length 64"
	expect "$dir" "IP6 $ip6 > fd00:198:18::99: frag (0|60) 40020 > 40021: Flags [P.], seq 1000:1040, ack 2000, win 512, length 40"
	expect "$dir" "IP6 $ip6 > fd00:198:18::99: frag (1480|64)"
	expect "$dir" "$mac > 02:00:00:00:00:63 SNAP, oui Unknown (0x123456), pid Unknown (0x0102), length 10"
	expect "$dir" "$mac > 02:00:00:00:00:63 SNA Unnumbered, ui, Flags [Command], length 43"
	expect "$dir" "$mac > 02:00:00:00:00:63 SNA Information, send seq 1, rcv seq 2, Flags [Final], length 44"
	expect "$dir" "$mac > 02:00:00:00:00:63 SNA Supervisory, Receiver Ready, rcv seq 5, Flags [Poll], length 4"
	expect "$dir" "vlan 100, p 3, vlan 20, p 1, IP $ip4.40030 > 198.18.0.99.40031: UDP, length 10"
	expect "$dir" "vlan 33, p 0, vlan 34, p 0, ethertype 802.1Q (0x8100), length 42"
done <<EOF
Out|198.18.0.1|fd00:198:18::1|$MA
P  |198.18.0.2|fd00:198:18::2|$MB
EOF
for dir in "Out" "M  "; do
	expect "$dir" "STP 802.1d, Config, Flags [Topology change], bridge-id 8000.02:00:00:00:00:0b.8001, length 35"
	expect "$dir" "STP 802.1w, Rapid STP, Flags [Learn, Forward], bridge-id 8000.02:00:00:00:00:0b.8001, length 36"
	expect "$dir" "STP 802.1d, Topology Change"
	expect "$dir" "LLDP, length 20"
done
expect "Out" "$MA > 01:00:0c:cc:cc:cc SNAP, oui Cisco (0x00000c), pid CDP (0x2000), length 10"
expect "M  " "$MB > 01:00:0c:cc:cc:cc SNAP, oui Cisco (0x00000c), pid CDP (0x2000), length 10"

# -e: the TPIDs of both tags, whether the kernel took the outer one out
# (received: it comes from the packet's metadata) or not (sent); the
# 802.3 length field; a named EtherType once.
f=$SC_TMP/sce.dir
sc_dir_sockcap <"$SC_TMP/sce.out" >"$f"
for d in "Out|Out|$MA|198.18.0.1" "P  |M  |$MB|198.18.0.2"; do
	IFS='|' read -r dir mdir mac ip4 <<<"$d"
	expect "$dir" "$mac > 02:00:00:00:00:63, ethertype 802.1Q-QinQ (0x88a8), length 60: vlan 100, p 3, ethertype 802.1Q (0x8100), vlan 20, p 1, ethertype IPv4 (0x0800), $ip4.40030 > 198.18.0.99.40031: UDP, length 10"
	expect "$dir" "$mac > 02:00:00:00:00:63, ethertype 802.1Q (0x8100), length 64: vlan 33, p 0, ethertype 802.1Q (0x8100), vlan 34, p 0, ethertype 802.1Q (0x8100), length 42"
	expect "$mdir" "$mac > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [Topology change], bridge-id 8000.02:00:00:00:00:0b.8001, length 35"
	expect "$mdir" "$mac > 01:00:0c:cc:cc:cc, 802.3, length 18: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco (0x00000c), pid CDP (0x2000), length 10"
	expect "$mdir" "$mac > 01:80:c2:00:00:0e, ethertype LLDP (0x88cc), length 34: LLDP, length 20"
done

# -v: a fragment's identification (IPv6, in hex) and flags
f=$SC_TMP/scv.out
sc_expect_line "-v: the IPv6 fragment's id" \
	'IP6 \(hlim 64, next-header Fragment \(44\) payload length: 68\) fd00:198:18::1 > fd00:198:18::99: frag \(0x00dec0de:0\|60\) 40020 > 40021: ' "$f"
sc_expect_line "-v: more fragments on a first fragment" \
	'Out IP \(tos 0x0, ttl 64, id 1234, offset 0, flags \[\+\], proto TCP \(6\), length 80\) 198\.18\.0\.1\.40020 > 198\.18\.0\.99\.40021: ' "$f"

sc_done
