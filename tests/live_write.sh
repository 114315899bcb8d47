#!/bin/bash
# Capture files (-w) from live traffic, checked against tcpdump -w and read
# back with tools that share no code with sockcap: tcpdump, tshark, capinfos
# and the pcap/pcapng parser tests/pcapcheck.py (sc_pf).
#
# 1. A veth pair between namespaces A and B carries mixed traffic both ways
#    (UDP, a TCP connection, ICMP echo, IPv6 UDP and ICMPv6 with neighbour
#    discovery, ARP, a broadcast, a frame for another host, 802.1Q-tagged
#    frames in and out, large datagrams). While it flows, sockcap on vA
#    writes pcap, pcapng, nanosecond pcap, pcapng chosen by --format,
#    -s 128, -c 6, --print -w FILE and --print -w -, and -w - into tshark
#    (pcapng), tcpdump (pcap) and sc_pf (pcapng) through pipes; tcpdump -w
#    records the same (default snap length, and -s 128). Every file must
#    hold tcpdump's frames byte for byte, be read without complaint by
#    capinfos, tshark and tcpdump, have the promised format, header and
#    timestamp precision, and agree with the statistics on stderr (captured
#    == packets in the file, captured + dropped + not written == received,
#    nothing dropped). pcapng: the interface name, the direction and
#    reception type of each packet (from the MAC addresses tcpdump -e shows)
#    and the interface statistics block. --print: the lines are those
#    sockcap -r prints from the file.
# 2. A snap length of 14 with tagged frames: the tag put back must not make
#    a frame longer than the snap length (the same bytes as tcpdump -s 14).
#
# The loopback interface is live_write_lo.sh's, floods live_write_flood.sh's.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_write.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd mkfifo coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd capinfos wireshark-common
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_write_init

# ================================================================ helpers

# dirs_of FIELDS: "md5 direction reception" of each foreground packet of a
# pcapng file (direction 1 in, 2 out; reception 1 unicast, 2 multicast,
# 3 broadcast, 4 promiscuous, "-" for packets going out).
dirs_of() {
	fg_fields "$1" | awk -F '\t' '{ d = $2; sub(/^0x0*/, "", d); print $6, d, (d == 2 ? "-" : $3) }'
}

# piped NAME FORMAT READER...: sockcap -i vA --format FORMAT -w - in A
# with its standard output going through a FIFO into READER, whose output
# is NAME.rd.out. READER blocks opening the FIFO until sockcap opens it, so
# it starts first.
piped() {
	local name=$1 fmt=$2 fifo=$SC_TMP/$1.fifo
	shift 2
	mkfifo "$fifo" || sc_die "mkfifo $fifo failed"
	sc_start "$name.rd" "" "" sh -c 'exec "$@" <"$0"' "$fifo" "$@"
	sc_start "$name" "$A" "err:^sockcap: listening on " \
		sh -c 'exec "$@" >"$0"' "$fifo" "$SOCKCAP" -i vA --format "$fmt" -w -
}


# ================================================================ setup
# Namespaces A and B.
sc_netns A wa
sc_netns B wb
sc_netns_quiet "$A"
sc_netns_quiet "$B"
sc_veth "$A" vA "$B" vB
sc_neigh_quiet "$A" vA
sc_neigh_quiet "$B" vB
MA=$(sc_mac "$A" vA)
MB=$(sc_mac "$B" vB)
ip -n "$A" addr add 198.18.0.1/24 dev vA &&
	ip -n "$A" addr add 198.18.0.3/24 dev vA &&
	ip -n "$A" addr add fd00:198:18::1/64 dev vA nodad &&
	ip -n "$A" addr add fd00:198:18::3/64 dev vA nodad &&
	ip -n "$B" addr add 198.18.0.2/24 dev vB &&
	ip -n "$B" addr add fd00:198:18::2/64 dev vB nodad &&
	ip -n "$B" neigh add 198.18.0.4 lladdr 02:00:00:00:00:04 dev vB ||
	sc_die "cannot configure addresses"

# A VLAN sub-interface (kernel 802.1Q support) sends frames whose tag the
# device holds outside the frame; without one, the tagged frames sent on
# packet sockets below still reach vA both ways: in the frame going out,
# stripped by the receive path coming in.
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

# ================================================================ capture
T0=$(date +%s%N)
start_tcpdump td "$A" vA
start_tcpdump t128 "$A" vA -s 128
sc_sockcap wp "$A" -i vA -w "$SC_TMP/a.pcap"
sc_sockcap wn "$A" -i vA -w "$SC_TMP/a.pcapng"
sc_sockcap wns "$A" -i vA --nano -w "$SC_TMP/a-ns.pcap"
sc_sockcap wfmt "$A" -i vA --format pcapng -w "$SC_TMP/a.cap"
sc_sockcap w128 "$A" -i vA -s 128 -w "$SC_TMP/s128.pcap"
sc_sockcap wc "$A" -i vA -c 6 -w "$SC_TMP/c6.pcapng"
sc_sockcap pr "$A" -i vA --print -w "$SC_TMP/p.pcapng"
sc_sockcap prs "$A" -i vA --print -w -
piped pts pcapng tshark -l -r - "${TS_OPTS[@]}"
piped ptd pcap tcpdump -l -n -S -e -xx -r -
piped ppf pcapng "$SC_PYTHON" "$SC_PCAPCHECK" -

# Large datagrams and tagged frames go past 128 bytes (-s 128); a tagged
# frame of 130 bytes arrives as 126 without its tag, so only the tag put
# back makes it longer than the snap length.
from_a=(
	udp 198.18.0.1 40000 198.18.0.2 40001 18 +
	udp 198.18.0.1 40000 198.18.0.2 40001 1200 +
	tcp 198.18.0.1 40003 198.18.0.2 40002 +
	ping 198.18.0.1 198.18.0.2 4660 1 +
	udp fd00:198:18::1 40004 fd00:198:18::2 40005 21 +
	ping fd00:198:18::1 fd00:198:18::2 4661 2 +
	vlan vA "$MB" 20 5 198.18.20.1 198.18.20.2 40020 40021 23 +
	vlan vA "$MB" 21 6 198.18.21.1 198.18.21.2 40022 40023 300
)
[ "$HAVE_VLAN" = 1 ] && from_a+=(+ udp 198.18.10.1 40006 198.18.10.2 40007 22 +
	udp 198.18.10.1 40006 198.18.10.2 40007 400)
from_b=(
	bcast 198.18.0.2 40009 198.18.0.255 40010 7 +
	udp 198.18.0.2 40009 198.18.0.3 40011 8 +
	udp 198.18.0.2 40009 198.18.0.4 40012 9 +
	udp 198.18.0.2 40009 198.18.0.1 40011 1000 +
	udp fd00:198:18::2 40009 fd00:198:18::3 40013 10 +
	vlan vB "$MA" 30 3 198.18.30.2 198.18.30.1 40030 40031 24 +
	vlan vB "$MA" 31 4 198.18.31.2 198.18.31.1 40032 40033 84 +
	vlan vB "$MA" 32 7 198.18.32.2 198.18.32.1 40034 40035 300 +
	udp 198.18.0.2 40009 198.18.0.1 40099 4
)
sc_tg "$A" "${from_a[@]}" || sc_die "traffic from A failed"
sc_tg "$B" "${from_b[@]}" || sc_die "traffic from B failed"

# The last datagram is the marker: once every capture has it, they have
# everything before it.
marker='198\.18\.0\.2\.40009 > 198\.18\.0\.1\.40099: UDP, length 4$'
for f in td.pcap t128.pcap a.pcap a.pcapng a-ns.pcap a.cap s128.pcap p.pcapng; do
	sc_wait_for "the marker in $f" 60 sc_pcap_has "$marker" "$SC_TMP/$f"
done
sc_wait_for "the marker printed by --print -w FILE" 60 sc_grep_q " $marker" "$SC_TMP/pr.out"
sc_wait_for "the marker printed by --print -w -" 60 sc_grep_q " $marker" "$SC_TMP/prs.err"
sc_wait_for "the marker through -w - | tshark" 60 sc_grep_q $'\t40009\t40099$' "$SC_TMP/pts.rd.out"
sc_wait_for "the marker through -w - | tcpdump" 60 sc_grep_q "$marker" "$SC_TMP/ptd.rd.out"

# (sc_pf prints nothing before the end of its input, but the filter runs
# for every socket on a packet in turn: once one capture has the marker,
# all of them have it queued, and sockcap reads what is queued at exit.)
for n in wp wn wns wfmt w128 pr prs pts ptd ppf; do
	stop_sockcap "$n" INT
done
for n in pts ptd ppf; do
	if sc_wait "$n.rd"; then
		sc_check_eq "$n: the reader's exit status at the end of the pipe" 0 "$SC_RC"
	else
		sc_fail "$n: the reader did not exit within ${SC_EXIT_SECS}s of the end of the pipe"
	fi
done
if sc_wait wc; then
	sc_check_eq "wc: exit status after -c 6" 0 "$SC_RC"
else
	sc_fail "wc: -c 6 still running after all the traffic"
	sc_stop wc INT
fi
for n in td t128; do
	sc_tcpdump_stop "$n"
done
T1=$(date +%s%N)

# ================================================================ veth
# The reference: tcpdump's frames, tshark's view of them, tcpdump -e's
# MAC addresses.
frames "$SC_TMP/td.pcap" "$SC_TMP/td.frames" || sc_die "cannot read tcpdump's own file"
fields "$SC_TMP/td.pcap" "$SC_TMP/td.fields" || sc_die "tshark cannot read tcpdump's file"
sizes_md5 "$SC_TMP/td.fields" >"$SC_TMP/td.sizes"
n_td=$(sc_lines "$SC_TMP/td.frames")
sc_log "tcpdump saw $(sc_lines "$SC_TMP/td.fields") packets on vA, $n_td of them not background"

# The direction and reception type each packet should have in pcapng (as
# dirs_of shows them): from vA's MAC address, out; else in, by destination:
# broadcast, vA's (unicast), multicast, anyone else's (promiscuous).
# (pcapng defines the reception type for packets coming in only.)
tcpdump -n -e -r "$SC_TMP/td.pcap" 2>/dev/null | awk '{ d = $4; sub(/,$/, "", d); print $2, d }' >"$SC_TMP/td.macs"
sc_check_eq "tcpdump -e and tshark: packets in tcpdump's file" \
	"$(sc_lines "$SC_TMP/td.fields")" "$(sc_lines "$SC_TMP/td.macs")"
# (a temporary file, not <(...): the test VM has no /dev/fd)
awk -F '\t' '{ print ($9 == "" ? "-" : $9), $6 }' "$SC_TMP/td.fields" >"$SC_TMP/td.proto"
paste -d ' ' "$SC_TMP/td.macs" "$SC_TMP/td.proto" |
	awk -v me="$MA" '$3 !~ /^(130|131|132|133|143)$/ {
		if ($1 == me) { dir = 2; rx = "-" }
		else {
			dir = 1
			if ($2 == "ff:ff:ff:ff:ff:ff") rx = 3
			else if ($2 == me) rx = 1
			else if (index("13579bdf", substr($2, 2, 1))) rx = 2
			else rx = 4
		}
		print $4, dir, rx
	}' >"$SC_TMP/td.dirs"
sc_check_eq "directions expected for every foreground packet" "$n_td" "$(sc_lines "$SC_TMP/td.dirs")"

# the 802.1Q-tagged frames, with their tags (tcpdump -e)
expect_vlan() { # WHAT FRAMES_FILE
	local f=$2 re
	for re in \
		"$MA > $MB, ethertype 802.1Q (0x8100), length 69: vlan 20, p 5, ethertype IPv4 (0x0800), 198.18.20.1.40020 > 198.18.20.2.40021: UDP, length 23" \
		"$MA > $MB, ethertype 802.1Q (0x8100), length 346: vlan 21, p 6, ethertype IPv4 (0x0800), 198.18.21.1.40022 > 198.18.21.2.40023: UDP, length 300" \
		"$MB > $MA, ethertype 802.1Q (0x8100), length 70: vlan 30, p 3, ethertype IPv4 (0x0800), 198.18.30.2.40030 > 198.18.30.1.40031: UDP, length 24" \
		"$MB > $MA, ethertype 802.1Q (0x8100), length 130: vlan 31, p 4, ethertype IPv4 (0x0800), 198.18.31.2.40032 > 198.18.31.1.40033: UDP, length 84" \
		"$MB > $MA, ethertype 802.1Q (0x8100), length 346: vlan 32, p 7, ethertype IPv4 (0x0800), 198.18.32.2.40034 > 198.18.32.1.40035: UDP, length 300"; do
		sc_expect_line "$1: tagged frame" "^$(q "$re") \\| " "$f"
	done
	if [ "$HAVE_VLAN" = 1 ]; then
		sc_expect_line "$1: tagged ARP request from vA.10" \
			"^$(q "$MA > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 10, p 3, ethertype ARP (0x0806), Request who-has 198.18.10.2 tell 198.18.10.1")" "$f"
		sc_expect_line "$1: tagged ARP reply to vA.10" \
			"^$(q "$MB > $MA, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), Reply 198.18.10.2 is-at $MB")" "$f"
		sc_expect_line "$1: tagged datagrams from vA.10" \
			"^$(q "$MA > $MB, ethertype 802.1Q (0x8100), length ")(68|446)$(q ": vlan 10, p 3, ethertype IPv4 (0x0800), 198.18.10.1.40006 > 198.18.10.2.40007: UDP, length ")" "$f" 2
	fi
}
expect_vlan "tcpdump" "$SC_TMP/td.frames"

# ---------------------------------------------------------------- files
# the same frames, byte for byte, in every file of the full snap length
for spec in wp:a.pcap:pcap wn:a.pcapng:pcapng wns:a-ns.pcap:pcap-ns wfmt:a.cap:pcapng pr:p.pcapng:pcapng; do
	IFS=: read -r n file fmt <<<"$spec"
	check_wstats "$n"
	sc_check_eq "$n: packets dropped" 0 "$W_DROP"
	sc_check_eq "$n: packets not written" 0 "$W_NOTW"
	sc_check_eq "$n: summary lines lost" 0 "$W_LOST"
	check_wstderr "$n" vA "$SNAP"
	check_file "$n" "$SC_TMP/$file" "$fmt" "$SNAP" vA
	frames "$SC_TMP/$file" "$SC_TMP/$n.frames"
	sc_same_lines "$n: frames (tcpdump -e -xx) vs tcpdump -w" "$SC_TMP/td.frames" "$SC_TMP/$n.frames"
	sizes_md5 "$SC_TMP/$n.fields" >"$SC_TMP/$n.sizes"
	sc_same_lines "$n: len, cap_len, MD5 (tshark) vs tcpdump -w" "$SC_TMP/td.sizes" "$SC_TMP/$n.sizes"
	expect_vlan "$n" "$SC_TMP/$n.frames"
	if [ "$fmt" = pcapng ]; then
		dirs_of "$SC_TMP/$n.fields" >"$SC_TMP/$n.dirs"
		sc_same_lines "$n: direction and reception type (tshark) vs MAC addresses (tcpdump -e)" \
			"$SC_TMP/td.dirs" "$SC_TMP/$n.dirs"
		# a packet captured just before the start time is possible here:
		# the background comes whenever it likes; tshark's view of the
		# ISB (slow to start) once
		[ "$n" = wn ] && isbfile=$SC_TMP/$file || isbfile=
		check_isb "$n" "$isbfile"
	fi
done

# --print -w FILE: the lines printed live are those -r prints from the
# file, bar the time (both come from the same packets).
wstats pr
sc_check_eq "pr: lines printed vs 'packets captured'" "$W_CAPT" "$(sc_lines "$SC_TMP/pr.out")"
if tool "sockcap -r p.pcapng" "$SC_TMP/pr.r" "$SOCKCAP" -r "$SC_TMP/p.pcapng"; then
	sc_check_eq "pr: lines -r prints vs 'packets captured'" "$W_CAPT" "$(sc_lines "$SC_TMP/pr.r")"
	sed -E 's/^[0-9:.]+ //' "$SC_TMP/pr.r" >"$SC_TMP/pr.r.cmp"
	sed -E 's/^[0-9:.]+ //' "$SC_TMP/pr.out" >"$SC_TMP/pr.cmp"
	sc_same_lines "pr: --print -w FILE lines vs -r FILE" "$SC_TMP/pr.r.cmp" "$SC_TMP/pr.cmp"
fi

# --print -w -: the file on stdout, the lines on stderr among sockcap's
# own messages. A classic pcap file has no interface or direction, so
# those go from the live lines too.
check_wstats prs
sc_check_eq "prs: packets dropped" 0 "$W_DROP"
sc_check_eq "prs: summary lines lost" 0 "$W_LOST"
check_file prs "$SC_TMP/prs.out" pcap "$SNAP" vA
frames "$SC_TMP/prs.out" "$SC_TMP/prs.frames"
sc_same_lines "prs: frames on stdout vs tcpdump -w" "$SC_TMP/td.frames" "$SC_TMP/prs.frames"
sline='^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} vA (In |Out|B  |M  |P  ) '
grep -E "$sline" "$SC_TMP/prs.err" >"$SC_TMP/prs.lines"
sc_check_eq "prs: lines on stderr vs 'packets captured'" "$W_CAPT" "$(sc_lines "$SC_TMP/prs.lines")"
grep -v -E "$sline" "$SC_TMP/prs.err" >"$SC_TMP/prs.rest.err"
check_wstderr prs.rest vA "$SNAP"
if tool "sockcap -r (prs's stdout)" "$SC_TMP/prs.r" "$SOCKCAP" -r "$SC_TMP/prs.out"; then
	sed -E 's/^[0-9:.]+ //' "$SC_TMP/prs.r" >"$SC_TMP/prs.r.cmp"
	sc_norm_sockcap <"$SC_TMP/prs.lines" >"$SC_TMP/prs.cmp"
	sc_same_lines "prs: --print -w - lines (stderr) vs -r of its stdout" "$SC_TMP/prs.r.cmp" "$SC_TMP/prs.cmp"
fi

# -w - into pipes: the readers saw every packet sockcap counted, the same
# as tcpdump -w.
for n in pts ptd ppf; do
	check_wstats "$n" || continue
	sc_check_eq "$n: packets dropped" 0 "$W_DROP"
	check_wstderr "$n" vA "$SNAP"
	complaints "$SC_TMP/$n.rd.err" >/dev/null &&
		sc_fail "$n: the reader complained: $(complaints "$SC_TMP/$n.rd.err" | head -c 300)"
	out=$SC_TMP/$n.rd.out
	case $n in
	pts) # pcapng into tshark
		sc_check_eq "pts: packets tshark read from the pipe vs 'packets captured'" "$W_CAPT" "$(sc_lines "$out")"
		sizes_md5 "$out" >"$SC_TMP/pts.sizes"
		sc_same_lines "pts: -w - | tshark -r -: len, cap_len, MD5 vs tcpdump -w" "$SC_TMP/td.sizes" "$SC_TMP/pts.sizes"
		bad=$(awk -F '\t' '$1 != "vA" { print NR ": " $1; exit }' "$out")
		[ -z "$bad" ] || sc_fail "pts: tshark's interface name is not vA: packet $bad"
		dirs_of "$out" >"$SC_TMP/pts.dirs"
		sc_same_lines "pts: direction and reception type through the pipe vs MAC addresses" \
			"$SC_TMP/td.dirs" "$SC_TMP/pts.dirs"
		;;
	ptd) # pcap into tcpdump
		sc_check_eq "ptd: packets tcpdump read from the pipe vs 'packets captured'" \
			"$W_CAPT" "$(grep -c -v -E '^\s' "$out")"
		frames - "$SC_TMP/ptd.frames" <"$out"
		sc_same_lines "ptd: -w - | tcpdump -r -: frames vs tcpdump -w" "$SC_TMP/td.frames" "$SC_TMP/ptd.frames"
		;;
	ppf) # pcapng into sc_pf: the structure, the statistics block at the end
		cp "$out" "$SC_TMP/ppf.pf"
		if [ "$(tail -n 1 "$SC_TMP/ppf.pf")" != "packets $W_CAPT" ]; then
			sc_fail "ppf: -w - | sc_pf: expected 'packets $W_CAPT' at the end, got '$(tail -n 1 "$SC_TMP/ppf.pf")'"
		else
			check_isb ppf ""
		fi
		;;
	esac
done

# -c 6: exactly six packets, all of them among tcpdump's.
check_wstats wc
check_wstderr wc vA "$SNAP"
sc_check_eq "wc: packets captured with -c 6" 6 "$W_CAPT"
check_file wc "$SC_TMP/c6.pcapng" pcapng "$SNAP" vA
check_isb wc ""
frames "$SC_TMP/c6.pcapng" "$SC_TMP/wc.frames"
LC_ALL=C sort "$SC_TMP/td.frames" >"$SC_TMP/td.frames.sorted"
extra=$(LC_ALL=C sort "$SC_TMP/wc.frames" | LC_ALL=C comm -13 "$SC_TMP/td.frames.sorted" -)
[ -z "$extra" ] || sc_fail "wc: frames that tcpdump did not see: $(head -c 300 <<<"$extra")"
# the background too, by MD5
awk -F '\t' '{ print $4, $5, $6 }' "$SC_TMP/td.fields" | LC_ALL=C sort >"$SC_TMP/td.sizes.all"
extra=$(awk -F '\t' '{ print $4, $5, $6 }' "$SC_TMP/wc.fields" | LC_ALL=C sort |
	LC_ALL=C comm -13 "$SC_TMP/td.sizes.all" -)
[ -z "$extra" ] || sc_fail "wc: packets that tcpdump did not see: $extra"

# ---------------------------------------------------------------- -s 128
# Every frame cut to 128 bytes, its length on the wire kept; the same
# bytes as tcpdump -s 128 (a tag put back does not make a frame longer).
check_wstats w128
sc_check_eq "w128: packets dropped" 0 "$W_DROP"
check_wstderr w128 vA 128
check_file w128 "$SC_TMP/s128.pcap" pcap 128 vA
frames "$SC_TMP/t128.pcap" "$SC_TMP/t128.frames" || sc_die "cannot read tcpdump's -s 128 file"
fields "$SC_TMP/t128.pcap" "$SC_TMP/t128.fields"
frames "$SC_TMP/s128.pcap" "$SC_TMP/w128.frames"
sc_same_lines "w128: frames vs tcpdump -s 128" "$SC_TMP/t128.frames" "$SC_TMP/w128.frames"
sizes_md5 "$SC_TMP/t128.fields" >"$SC_TMP/t128.sizes"
sizes_md5 "$SC_TMP/w128.fields" >"$SC_TMP/w128.sizes"
sc_same_lines "w128: len, cap_len, MD5 vs tcpdump -s 128" "$SC_TMP/t128.sizes" "$SC_TMP/w128.sizes"
bad=$(awk -F '\t' '$5 != ($4 < 128 ? $4 : 128) { print NR ": len " $4 ", cap_len " $5; exit }' "$SC_TMP/w128.fields")
[ -z "$bad" ] || sc_fail "w128: a frame not cut to min(len, 128): packet $bad"
sc_check_eq "w128: frames longer than 128 bytes, on the wire" \
	"$(fg_fields "$SC_TMP/td.fields" | awk -F '\t' '$4 > 128' | wc -l)" \
	"$(fg_fields "$SC_TMP/w128.fields" | awk -F '\t' '$4 > 128 && $5 == 128' | wc -l)"
fg_fields "$SC_TMP/td.fields" | cut -f 4 | LC_ALL=C sort >"$SC_TMP/td.lens"
fg_fields "$SC_TMP/w128.fields" | cut -f 4 | LC_ALL=C sort >"$SC_TMP/w128.lens"
sc_same_lines "w128: lengths on the wire vs the full capture" "$SC_TMP/td.lens" "$SC_TMP/w128.lens"
expect_vlan w128 "$SC_TMP/w128.frames"

# ================================================================ -s 14
# A snap length that keeps no more than the MAC header: a tag put back
# into a frame cut this short must still leave at most 14 bytes, the first
# 14 of the tagged frame, as libpcap's are. Tagged frames both ways (the
# one coming in has its tag stripped by the receive path), then a datagram
# to 02:00:00:00:00:04 as the marker: at 14 bytes only the MAC addresses
# tell frames apart. IPv6 multicast (33:33:...) is left out of the
# comparison: at this length a late listener report cannot be told apart.
T0=$(date +%s%N)
start_tcpdump t14 "$A" vA -s 14
sc_sockcap w14 "$A" -i vA -s 14 -w "$SC_TMP/s14.pcap"
sc_tg "$A" vlan vA "$MB" 20 5 198.18.20.1 198.18.20.2 40020 40021 23 + \
	udp 198.18.0.1 40000 198.18.0.2 40001 18 || sc_die "traffic from A failed"
sc_tg "$B" vlan vB "$MA" 30 3 198.18.30.2 198.18.30.1 40030 40031 24 + \
	udp 198.18.0.2 40009 198.18.0.4 40012 9 || sc_die "traffic from B failed"
has_m14() { tcpdump -n -e -r "$1" 2>/dev/null | grep -q -F "> 02:00:00:00:00:04, "; }
# or sockcap is gone (then its exit status tells)
has_m14_or_gone() { has_m14 "$2" || ! sc_alive "${SC_CPID[$1]}"; }
sc_wait_for "the marker in t14.pcap" 60 has_m14 "$SC_TMP/t14.pcap"
sc_wait_for "the marker in s14.pcap" 60 has_m14_or_gone w14 "$SC_TMP/s14.pcap"
stop_sockcap w14 INT
sc_tcpdump_stop t14
T1=$(date +%s%N)
if check_wstats w14; then
	sc_check_eq "w14: packets dropped" 0 "$W_DROP"
	check_wstderr w14 vA 14
	check_file w14 "$SC_TMP/s14.pcap" pcap 14 vA
fi
for n in t14 w14; do
	tcpdump -n -S -e -xx -r "$SC_TMP/${n/w14/s14}.pcap" 2>/dev/null |
		"$SC_PYTHON" "$SC_FRAMES" --bg '> 33:33:' - "$SC_TMP/$n.frames"
done
sc_same_lines "w14: frames vs tcpdump -s 14" "$SC_TMP/t14.frames" "$SC_TMP/w14.frames"
# tcpdump -xx's bytes of a MAC address
machex() { tr -d ':' <<<"$1" | sed -E 's/(....)/\1 /g'; }
sc_expect_line "w14: the tagged frame coming in: MAC addresses and TPID, no more" \
	"^$(q "$MB > $MA,  [|vlan] | $(machex "$MA")$(machex "$MB")8100")\$" "$SC_TMP/w14.frames"
sc_done
