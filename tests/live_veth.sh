#!/bin/bash
# Live capture on one end of a veth pair between two namespaces A and B,
# with known traffic both ways: ARP, UDP, a TCP connection, ICMP echo, IPv6
# UDP and ICMPv6 echo with neighbour discovery, a broadcast, a frame for
# another host, 802.1Q-tagged frames, and (where the kernel has 802.1Q) a
# VLAN sub-interface with addresses on both sides.
#
# Three sockcaps run on vA at once (plain, -e, -v) next to tcpdump. Each
# must print exactly the packets tcpdump saw, with tcpdump's text where the
# formats are meant to agree, the right direction (In/Out/B/M/P, derived from
# the MAC addresses tcpdump -e shows), and the lines this test expects.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_pair_link
ip -n "$A" addr add 198.18.0.3/24 dev vA &&
	ip -n "$A" addr add fd00:198:18::3/64 dev vA nodad &&
	ip -n "$B" neigh add 198.18.0.4 lladdr 02:00:00:00:00:04 dev vB ||
	sc_die "cannot configure addresses"

# A VLAN sub-interface needs the kernel's 8021q support; without it the
# tagged frames below still exercise both ways a tag reaches a packet socket.
HAVE_VLAN=1
if ip -n "$A" link add link vA name vA.10 type vlan id 10 egress-qos-map 0:3 2>"$SC_TMP/vlan.err" &&
	ip -n "$B" link add link vB name vB.10 type vlan id 10 2>>"$SC_TMP/vlan.err"; then
	ip -n "$A" addr add 198.18.10.1/24 dev vA.10 &&
		ip -n "$B" addr add 198.18.10.2/24 dev vB.10 &&
		ip -n "$A" link set vA.10 up && ip -n "$B" link set vB.10 up ||
		sc_die "cannot configure the VLAN sub-interfaces"
	sc_neigh_quiet "$A" vA.10
	sc_neigh_quiet "$B" vB.10
else
	HAVE_VLAN=0
	sc_log "NOTE: this kernel cannot create VLAN sub-interfaces ($(head -n 1 "$SC_TMP/vlan.err")); checking tagged frames only"
fi

sc_start srvA "$A" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40100 40010 40011 40013 40099
sc_start srvB "$B" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40002 40001 40005 40007

sc_tcpdump td "$A" vA
sc_sockcap sc "$A" -i vA
sc_sockcap sce "$A" -i vA -e
sc_sockcap scv "$A" -i vA -v

from_a=(
	udp 198.18.0.1 40000 198.18.0.2 40001 18 +
	udp 198.18.0.1 40000 198.18.0.2 40001 19 1 33 +
	tcp 198.18.0.1 40003 198.18.0.2 40002 +
	ping 198.18.0.1 198.18.0.2 4660 1 +
	udp fd00:198:18::1 40004 fd00:198:18::2 40005 21 1 44 +
	ping fd00:198:18::1 fd00:198:18::2 4661 2 +
	vlan vA "$MB" 20 5 198.18.20.1 198.18.20.2 40020 40021 23
)
[ "$HAVE_VLAN" = 1 ] && from_a+=(+ udp 198.18.10.1 40006 198.18.10.2 40007 22)
from_b=(
	bcast 198.18.0.2 40009 198.18.0.255 40010 7 +
	udp 198.18.0.2 40009 198.18.0.3 40011 8 +
	udp 198.18.0.2 40009 198.18.0.4 40012 9 +
	udp fd00:198:18::2 40009 fd00:198:18::3 40013 10 +
	vlan vB "$MA" 30 3 198.18.30.2 198.18.30.1 40030 40031 24 +
	udp 198.18.0.2 40009 198.18.0.1 40099 4
)
sc_tg "$A" "${from_a[@]}" || sc_die "traffic from A failed"
sc_tg "$B" "${from_b[@]}" || sc_die "traffic from B failed"

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
	bad=$(grep -v -E '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} vA (In |Out|B  |M  |P  ) ' "$SC_TMP/$n.out")
	[ -z "$bad" ] || sc_fail "$n: lines without 'TIME vA DIR ': $bad"
done
sc_tcpdump_stop td

# ---------------------------------------------------------------- tcpdump
pcap=$SC_TMP/td.pcap
tcpdump -n -S -r "$pcap" 2>/dev/null >"$SC_TMP/td.txt"
tcpdump -n -S -e -r "$pcap" 2>/dev/null >"$SC_TMP/tde.txt"
sc_tcpdump_v "$pcap" >"$SC_TMP/tdv.txt"
n_td=$(sc_lines "$SC_TMP/td.txt")
[ "$n_td" = "$(sc_lines "$SC_TMP/tdv.txt")" ] ||
	sc_die "tcpdump -v shows $(sc_lines "$SC_TMP/tdv.txt") packets, tcpdump $n_td"
sc_log "tcpdump saw $n_td packets; sockcap printed $(sc_lines "$SC_TMP/sc.out"), -e $(sc_lines "$SC_TMP/sce.out"), -v $(sc_lines "$SC_TMP/scv.out")"

# Plain: the line after time, interface and direction.
sc_norm_tcpdump <"$SC_TMP/td.txt" >"$SC_TMP/td.norm"
sc_drop_background <"$SC_TMP/td.norm" >"$SC_TMP/td.cmp"
sc_norm_sockcap <"$SC_TMP/sc.out" | sc_strip_vlan |
	sc_drop_background >"$SC_TMP/sc.cmp"
sc_same_lines "sockcap -i vA vs tcpdump -n -S" "$SC_TMP/td.cmp" "$SC_TMP/sc.cmp"

# -e: direction from the MAC addresses, then tcpdump -e's text.
sc_norm_tcpdump <"$SC_TMP/tde.txt" | awk -v me="$MA" '{
	src = $1; dst = $3; sub(/,$/, "", dst)
	if (src == me) dir = "Out"
	else if (dst == "ff:ff:ff:ff:ff:ff") dir = "B  "
	else if (dst == me) dir = "In "
	else if (index("13579bdf", substr(dst, 2, 1))) dir = "M  "
	else dir = "P  "
	print dir "|" $0 }' | sc_drop_background >"$SC_TMP/tde.cmp"
sc_dir_sockcap <"$SC_TMP/sce.out" | sc_drop_background >"$SC_TMP/sce.cmp"
sc_same_lines "sockcap -e -i vA vs tcpdump -n -S -e (with directions)" "$SC_TMP/tde.cmp" "$SC_TMP/sce.cmp"

# -v: as tcpdump -v prints each packet (sc_expect_v)
sc_expect_v "$SC_TMP/tdv.txt" "$SC_TMP/td.norm" | sc_drop_background >"$SC_TMP/tdv.cmp"
sc_norm_sockcap <"$SC_TMP/scv.out" | sc_strip_vlan |
	sc_drop_background >"$SC_TMP/scv.cmp"
sc_same_lines "sockcap -v -i vA vs tcpdump -n -S -v (IP header fields)" "$SC_TMP/tdv.cmp" "$SC_TMP/scv.cmp"

# ---------------------------------------------------------------- expected
# What was sent, with direction, independently of tcpdump.
f=$SC_TMP/sc.dir
sc_dir_sockcap <"$SC_TMP/sc.out" >"$f"
q() { sed -e 's/[].[()*+?^$|\\]/\\&/g' <<<"$1"; }
expect() { # DIR TEXT [COUNT]
	sc_expect_line "$1 '$2'" "^$(q "$1|$2")\$" "$f" "${3:-1}"
}
expect "Out" "ARP, Request who-has 198.18.0.2 tell 198.18.0.1, length 28"
expect "In " "ARP, Reply 198.18.0.2 is-at $MB, length 28"
expect "Out" "IP 198.18.0.1.40000 > 198.18.0.2.40001: UDP, length 18"
expect "Out" "IP 198.18.0.1.40000 > 198.18.0.2.40001: UDP, length 19"
expect "Out" "IP 198.18.0.1 > 198.18.0.2: ICMP echo request, id 4660, seq 1, length 64"
expect "In " "IP 198.18.0.2 > 198.18.0.1: ICMP echo reply, id 4660, seq 1, length 64"
expect "Out" "IP6 fd00:198:18::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has fd00:198:18::2, length 32"
expect "In " "IP6 fd00:198:18::2 > fd00:198:18::1: ICMP6, neighbor advertisement, tgt is fd00:198:18::2, length 32"
expect "Out" "IP6 fd00:198:18::1.40004 > fd00:198:18::2.40005: UDP, length 21"
expect "Out" "IP6 fd00:198:18::1 > fd00:198:18::2: ICMP6, echo request, id 4661, seq 2, length 64"
expect "In " "IP6 fd00:198:18::2 > fd00:198:18::1: ICMP6, echo reply, id 4661, seq 2, length 64"
expect "Out" "vlan 20, p 5, IP 198.18.20.1.40020 > 198.18.20.2.40021: UDP, length 23"
expect "B  " "IP 198.18.0.2.40009 > 198.18.0.255.40010: UDP, length 7"
expect "B  " "ARP, Request who-has 198.18.0.3 tell 198.18.0.2, length 28"
expect "Out" "ARP, Reply 198.18.0.3 is-at $MA, length 28"
expect "In " "IP 198.18.0.2.40009 > 198.18.0.3.40011: UDP, length 8"
expect "P  " "IP 198.18.0.2.40009 > 198.18.0.4.40012: UDP, length 9"
expect "M  " "IP6 fd00:198:18::2 > ff02::1:ff00:3: ICMP6, neighbor solicitation, who has fd00:198:18::3, length 32"
expect "Out" "IP6 fd00:198:18::3 > fd00:198:18::2: ICMP6, neighbor advertisement, tgt is fd00:198:18::3, length 32"
expect "In " "IP6 fd00:198:18::2.40009 > fd00:198:18::3.40013: UDP, length 10"
expect "In " "vlan 30, p 3, IP 198.18.30.2.40030 > 198.18.30.1.40031: UDP, length 24"
expect "In " "IP 198.18.0.2.40009 > 198.18.0.1.40099: UDP, length 4"
if [ "$HAVE_VLAN" = 1 ]; then
	expect "Out" "vlan 10, p 3, ARP, Request who-has 198.18.10.2 tell 198.18.10.1, length 28"
	expect "In " "vlan 10, p 0, ARP, Reply 198.18.10.2 is-at $MB, length 28"
	expect "Out" "vlan 10, p 3, IP 198.18.10.1.40006 > 198.18.10.2.40007: UDP, length 22"
fi

# The TCP handshake: SYN, SYN-ACK acknowledging it, ACK of the SYN-ACK.
tcp_a='IP 198\.18\.0\.1\.40003 > 198\.18\.0\.2\.40002: Flags'
tcp_b='IP 198\.18\.0\.2\.40002 > 198\.18\.0\.1\.40003: Flags'
syn=$(sed -n -E "s/^Out\|$tcp_a \[S\], seq ([0-9]+), win [0-9]+(, options \[[^]]*\])?, length 0\$/\1/p" "$f")
synack=$(sed -n -E "s/^In \|$tcp_b \[S\.\], seq ([0-9]+), ack ([0-9]+), win [0-9]+(, options \[[^]]*\])?, length 0\$/\1 \2/p" "$f")
if [ -z "$syn" ] || [ -z "$synack" ]; then
	sc_fail "TCP handshake: no 'Out ... Flags [S]' ('$syn') or 'In ... Flags [S.]' ('$synack') line"
else
	set -- $synack
	sc_check_eq "SYN-ACK acknowledges the SYN" "$(((syn + 1) % 4294967296))" "$2"
	sc_expect_line "ACK of the SYN-ACK" \
		"^Out\\|$tcp_a \\[\\.\\], (seq $(((syn + 1) % 4294967296)), )?ack $((($1 + 1) % 4294967296)), win [0-9]+(, options \[[^]]*\])?, length 0\$" "$f"
fi

# -e: the MAC addresses, ethertypes and frame lengths.
f=$SC_TMP/sce.dir
sc_dir_sockcap <"$SC_TMP/sce.out" >"$f"
expect "Out" "$MA > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 198.18.0.2 tell 198.18.0.1, length 28"
expect "In " "$MB > $MA, ethertype ARP (0x0806), length 42: Reply 198.18.0.2 is-at $MB, length 28"
expect "Out" "$MA > $MB, ethertype IPv4 (0x0800), length 60: 198.18.0.1.40000 > 198.18.0.2.40001: UDP, length 18"
expect "P  " "$MB > 02:00:00:00:00:04, ethertype IPv4 (0x0800), length 51: 198.18.0.2.40009 > 198.18.0.4.40012: UDP, length 9"
expect "M  " "$MB > 33:33:ff:00:00:03, ethertype IPv6 (0x86dd), length 86: fd00:198:18::2 > ff02::1:ff00:3: ICMP6, neighbor solicitation, who has fd00:198:18::3, length 32"
expect "Out" "$MA > $MB, ethertype 802.1Q (0x8100), length 69: vlan 20, p 5, ethertype IPv4 (0x0800), 198.18.20.1.40020 > 198.18.20.2.40021: UDP, length 23"
expect "In " "$MB > $MA, ethertype 802.1Q (0x8100), length 70: vlan 30, p 3, ethertype IPv4 (0x0800), 198.18.30.2.40030 > 198.18.30.1.40031: UDP, length 24"
if [ "$HAVE_VLAN" = 1 ]; then
	expect "Out" "$MA > $MB, ethertype 802.1Q (0x8100), length 68: vlan 10, p 3, ethertype IPv4 (0x0800), 198.18.10.1.40006 > 198.18.10.2.40007: UDP, length 22"
fi

# -v: TTL and hop limit as sent (the punctuation is left to the comparison
# with tcpdump above).
f=$SC_TMP/scv.noproc
sc_strip_proc <"$SC_TMP/scv.out" >"$f"
sc_expect_line "-v shows TTL 33" \
	'Out IP \(tos 0x0, ttl 33, id [0-9]+, offset 0, flags \[DF\], proto UDP \(17\), length 47\) 198\.18\.0\.1\.40000 > 198\.18\.0\.2\.40001: UDP, length 19$' "$f"
sc_expect_line "-v shows TTL 64 on the echo reply" \
	'In  IP \(tos 0x0, ttl 64, id [0-9]+, offset 0, flags \[none\], proto ICMP \(1\), length 84\) 198\.18\.0\.2 > 198\.18\.0\.1: ICMP echo reply' "$f"
sc_expect_line "-v shows hop limit 44" \
	'Out IP6 \((flowlabel 0x[0-9a-f]+, )?hlim 44, next-header UDP \(17\),? payload length:? 29\) fd00:198:18::1\.40004 > fd00:198:18::2\.40005: UDP, length 21$' "$f"

sc_done
