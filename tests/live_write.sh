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
# 2. At the same time on the namespace's lo: each packet once (the outgoing
#    copy is skipped, as libpcap does), identical to tcpdump's file.
# 3. A snap length of 14 with tagged frames: the tag put back must not make
#    a frame longer than the snap length (the same bytes as tcpdump -s 14).
# 4. Floods on a link that carries nothing else, so "received" must equal
#    what was sent: the default ring drops nothing; a one-page ring (-B 4
#    -s 1500) with its reader stopped drops, and the counts, the ISB and the
#    file still agree; -c 1000 writes exactly 1000 packets; stopped in the
#    middle of a flood, everything queued still reaches the file.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd mkfifo coreutils
sc_need_cmd getconf libc-bin
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd capinfos wireshark-common
sc_need_cmd "$SC_PYTHON" python3
sc_init

VERSION=$("$SOCKCAP" --version | sed -n -E 's/^sockcap ([^ ]+)$/\1/p')
[ -n "$VERSION" ] || sc_die "sockcap --version says '$("$SOCKCAP" --version 2>&1)'"
SNAP=262144 # sockcap's and tcpdump's default snap length

# ================================================================ helpers

# tshark and capinfos warn when run as root, tcpdump names the file it
# reads; anything else on their stderr is a complaint about the file.
complaints() {
	grep -v -E -e '^Running as user "root"|^$' \
		-e '^reading from file .*, link-type EN10MB \(Ethernet\), snapshot length [0-9]+$' "$1"
}

# tool WHAT OUT CMD...: CMD's stdout to OUT; a failure or a complaint on
# stderr is a failed check (returns 1).
tool() {
	local what=$1 out=$2 err=$SC_TMP/tool.err
	shift 2
	if ! "$@" >"$out" 2>"$err"; then
		sc_fail "$what: '$*' failed: $(head -c 300 "$err")"
		return 1
	fi
	if complaints "$err" >/dev/null; then
		sc_fail "$what: '$*' complained: $(complaints "$err" | head -c 300)"
		return 1
	fi
}

# frames FILE OUT: tcpdump -n -S -e -xx -r FILE as one line a packet,
# "TEXT | BYTES", background left out (see tests/frames.py); a file
# tcpdump cannot read, or complains about, is a failed check (returns 1).
# FILE "-": tcpdump's output on standard input.
frames() {
	local msg
	msg=$("$SC_PYTHON" "$SC_FRAMES" "$1" "$2") || { sc_fail "$msg"; return 1; }
}

# What tshark shows of each packet, tab-separated: 1 interface name, 2 epb
# direction, 3 reception type, 4 len, 5 cap_len, 6 MD5 of the captured
# bytes, 7 source and 8 destination MAC, 9 ICMPv6 type, 10 UDP source and
# 11 destination port.
TS_OPTS=(-n -o frame.generate_md5_hash:TRUE -T fields
	-e frame.interface_name -e frame.packet_flags_direction
	-e frame.packet_flags_reception_type -e frame.len -e frame.cap_len
	-e frame.md5_hash -e eth.src -e eth.dst -e icmpv6.type -e udp.srcport
	-e udp.dstport)

# fields FILE OUT: tshark -r FILE with TS_OPTS.
fields() {
	: >"$2"
	tool "tshark -r ${1##*/}" "$2" tshark -r "$1" "${TS_OPTS[@]}"
}

# Fields of the packets that are not background (as frames).
fg_fields() { awk -F '\t' '$9 !~ /^(130|131|132|133|143)$/' "$1"; }

# "len cap_len md5" of each foreground packet: the multiset to compare.
sizes_md5() { fg_fields "$1" | awk -F '\t' '{ print $4, $5, $6 }'; }

# dirs_of FIELDS: "md5 direction reception" of each foreground packet of a
# pcapng file (direction 1 in, 2 out; reception 1 unicast, 2 multicast,
# 3 broadcast, 4 promiscuous, "-" for packets going out).
dirs_of() {
	fg_fields "$1" | awk -F '\t' '{ d = $2; sub(/^0x0*/, "", d); print $6, d, (d == 2 ? "-" : $3) }'
}

# capinfos_facts FILE: "type encapsulation packets|precision".
capinfos_facts() {
	local t p
	tool "capinfos ${1##*/}" "$SC_TMP/ci.t" capinfos -T -r -t -E -c -M "$1" &&
		tool "capinfos ${1##*/}" "$SC_TMP/ci.l" capinfos -M "$1" || return 1
	t=$(cut -f 2- "$SC_TMP/ci.t" | tr '\t' ' ')
	p=$(sed -n -E 's/^File timestamp precision: +//p' "$SC_TMP/ci.l")
	echo "$t|$p"
}

# wstats NAME: the statistics block sockcap NAME printed on stderr when it
# exited with a file: W_CAPT, W_RECV, W_DROP, W_NOTW ("not written", 0 when
# absent), W_LOST ("summary lines lost", 0 when absent).
wstats() {
	local f=$SC_TMP/$1.err v
	W_CAPT='' W_RECV='' W_DROP='' W_NOTW=0 W_LOST=0
	if [ "$(grep -c -E '^[0-9]+ packets captured$' "$f")" != 1 ]; then
		sc_fail "$1: not exactly one statistics block on stderr"
		sc_show "$1.err" "$f"
		W_CAPT=x W_RECV=y W_DROP=z
		return 1
	fi
	W_CAPT=$(sed -n -E 's/^([0-9]+) packets captured$/\1/p' "$f")
	W_RECV=$(sed -n -E 's/^([0-9]+) packets received by filter$/\1/p' "$f")
	W_DROP=$(sed -n -E 's/^([0-9]+) packets dropped by kernel$/\1/p' "$f")
	v=$(sed -n -E 's/^([0-9]+) packets not written \(count reached\)$/\1/p' "$f")
	W_NOTW=${v:-0}
	v=$(sed -n -E 's/^([0-9]+) summary lines lost \(ring buffer full\)$/\1/p' "$f")
	W_LOST=${v:-0}
	if [ -z "$W_RECV" ] || [ -z "$W_DROP" ]; then
		sc_fail "$1: incomplete statistics block"
		sc_show "$1.err" "$f"
		W_CAPT=x W_RECV=y W_DROP=z
		return 1
	fi
}

# check_wstats NAME: the counts add up; sets W_* (see wstats).
check_wstats() {
	wstats "$1" || return 1
	sc_check_eq "$1: captured + dropped + not written == received" \
		"$W_RECV" "$((W_CAPT + W_DROP + W_NOTW))"
}

# check_wstderr NAME IFACE SNAPLEN: nothing on stderr but the "listening
# on" line (with the file's link type and snap length) and the statistics.
check_wstderr() {
	local extra
	extra=$(grep -v -E -e "^sockcap: listening on $2, link-type EN10MB \\(Ethernet\\), snapshot length $3 bytes\$" \
		-e '^[0-9]+ (packets (captured|received by filter|dropped by kernel|not written \(count reached\))|summary lines lost \(ring buffer full\))$' \
		"$SC_TMP/$1.err")
	[ -z "$extra" ] && return 0
	sc_fail "$1: unexpected lines on stderr: $(head -c 500 <<<"$extra")"
}

# check_file NAME FILE FORMAT SNAPLEN IFACE: what sockcap NAME wrote (its
# statistics in W_*, see wstats) is a well-formed FORMAT file (pcap,
# pcap-ns, pcapng) for IFACE with SNAPLEN, holding W_CAPT packets stamped
# between T0 and T1, as sc_pf, capinfos and tshark read it. tshark's view is
# left in $SC_TMP/NAME.fields, sc_pf's in $SC_TMP/NAME.pf.
check_file() {
	local name=$1 file=$2 fmt=$3 snap=$4 ifc=$5 what n facts want bad first last
	local pf=$SC_TMP/$1.pf
	what="$name (${file##*/})"
	: >"$SC_TMP/$name.fields"
	if ! sc_pf "$file" >"$pf"; then
		sc_fail "$what: malformed file: $(tail -n 1 "$pf")"
		return 1
	fi
	sc_check_eq "$what: format" "$fmt" "$(sed -n 's/^format //p' "$pf")"
	sc_check_eq "$what: packets in the file vs 'packets captured'" \
		"$W_CAPT" "$(sed -n 's/^packets //p' "$pf")"
	if [ "$fmt" = pcapng ]; then
		sc_check_eq "$what: section header" "shb 1.0
shb_hardware $(uname -m)
shb_os $(uname -s) $(uname -r)
shb_userappl sockcap $VERSION" "$(grep -E '^shb' "$pf")"
		sc_check_eq "$what: interface description" "idb 0 1 $snap
if_name 0 $ifc
if_tsresol 0 9" "$(grep -E '^(idb|if_)' "$pf")"
		n=$(grep -c -E '^pkt 0 [0-9]+ [0-9]+ [0-9]+ 0x[0-9a-f]{8}$' "$pf")
		sc_check_eq "$what: packets with epb_flags" "$W_CAPT" "$n"
		bad=$(grep -E '^block ' "$pf" | head -n 3)
		[ -z "$bad" ] || sc_fail "$what: unexpected blocks: $bad"
	else
		sc_check_eq "$what: file header (link type, snap length)" "header 1 $snap" \
			"$(grep -E '^header' "$pf")"
	fi
	# every timestamp within the run (sort -n compares the digits exactly)
	awk '$1 == "pkt" { print $3 }' "$pf" | sort -n >"$SC_TMP/ts"
	first=$(head -n 1 "$SC_TMP/ts")
	last=$(tail -n 1 "$SC_TMP/ts")
	if [ -n "$first" ] && { [ "$first" -lt "$T0" ] || [ "$last" -gt "$T1" ]; }; then
		sc_fail "$what: packets stamped from $first to $last, outside the run [$T0, $T1]"
	fi

	case $fmt in
	pcap) want="pcap ether $W_CAPT|microseconds (6)" ;;
	pcap-ns) want="nsecpcap ether $W_CAPT|nanoseconds (9)" ;;
	pcapng) want="pcapng ether $W_CAPT|nanoseconds (9)" ;;
	esac
	facts=$(capinfos_facts "$file") &&
		sc_check_eq "$what: capinfos type, encapsulation, packets|precision" "$want" "$facts"

	if fields "$file" "$SC_TMP/$name.fields"; then
		sc_check_eq "$what: packets tshark reads" "$W_CAPT" "$(sc_lines "$SC_TMP/$name.fields")"
		if [ "$fmt" = pcapng ]; then
			bad=$(awk -F '\t' -v i="$ifc" '$1 != i { print NR ": " $1; exit }' "$SC_TMP/$name.fields")
			[ -z "$bad" ] || sc_fail "$what: tshark's interface name is not $ifc: packet $bad"
		fi
	fi
}

# check_isb NAME FILE [STRICT]: the pcapng file of sockcap NAME (sc_pf's
# view in $SC_TMP/NAME.pf, as check_file leaves it) ends with one interface
# statistics block whose counts are those on stderr (W_*): ifrecv and
# filteraccept = received, ifdrop and osdrop = dropped, usrdeliv =
# captured; its start and end times lie within the run and frame the
# packets (the first packet is checked only with STRICT=1: on a link where
# nothing is sent before sockcap is listening). The counters once more as
# tshark's pcapng file dissector (the only place Wireshark 4.0 shows them)
# reads them, unless FILE is "".
check_isb() {
	local name=$1 file=$2 strict=${3:-0} pf=$SC_TMP/$1.pf got first lastts start end
	sc_check_eq "$name: blocks after the last packet" "isb" "$(sed -n 's/^last //p' "$pf")"
	sc_check_eq "$name: interface statistics blocks" 1 "$(grep -c '^isb ' "$pf")"
	got=$(awk '$1 ~ /^isb_(ifrecv|ifdrop|filteraccept|osdrop|usrdeliv)$/ && $2 == 0 { print $1 "=" $3 }' "$pf" | tr '\n' ' ')
	sc_check_eq "$name: ISB counters vs stderr" \
		"isb_ifrecv=$W_RECV isb_ifdrop=$W_DROP isb_filteraccept=$W_RECV isb_osdrop=$W_DROP isb_usrdeliv=$W_CAPT " "$got"
	start=$(sed -n -E 's/^isb_starttime 0 //p' "$pf")
	end=$(sed -n -E 's/^isb_endtime 0 //p' "$pf")
	first=$(awk '$1 == "pkt" { print $3; exit }' "$pf")
	lastts=$(awk '$1 == "pkt" { t = $3 } END { print t }' "$pf")
	if [ -z "$start" ] || [ -z "$end" ]; then
		sc_fail "$name: ISB without isb_starttime ('$start') or isb_endtime ('$end')"
	else
		[ "$T0" -le "$start" ] && [ "$start" -le "$end" ] && [ "$end" -le "$T1" ] ||
			sc_fail "$name: ISB start $start / end $end not within the run [$T0, $T1]"
		if [ -n "$first" ]; then
			[ "$lastts" -le "$end" ] ||
				sc_fail "$name: a packet at $lastts, after the ISB's end time $end"
			if [ "$strict" = 1 ] && [ "$first" -lt "$start" ]; then
				sc_fail "$name: a packet at $first, before the ISB's start time $start"
			fi
		fi
	fi
	[ -n "$file" ] || return 0
	if tool "$name: tshark pcapng file dissector" "$SC_TMP/$name.isb" \
		tshark -X 'read_format:MIME Files Format' -r "$file" -T fields -E separator=' ' \
		-e pcapng.options.option.data.interface.received \
		-e pcapng.options.option.data.interface.dropped \
		-e pcapng.options.option.data.interface.accepted_by_filter \
		-e pcapng.options.option.data.interface.dropped_by_os \
		-e pcapng.options.option.data.interface.delivered_to_user; then
		sc_check_eq "$name: ISB counters as tshark reads them (received, dropped, accepted, OS dropped, delivered)" \
			"$W_RECV $W_DROP $W_RECV $W_DROP $W_CAPT" "$(cat "$SC_TMP/$name.isb")"
	fi
}

# stop_sockcap NAME SIG: stop it; it must exit 0.
stop_sockcap() {
	sc_stop "$1" "$2"
	sc_check_eq "$1: exit status after SIG$2" 0 "$SC_RC"
}

# start_tcpdump NAME NETNS IFACE [ARGS...]: tcpdump -w $SC_TMP/NAME.pcap with
# its default snap length unless ARGS say otherwise; a large buffer so a
# busy machine does not make it drop.
start_tcpdump() {
	local name=$1 ns=$2 ifc=$3
	shift 3
	sc_start "$name" "$ns" "err:listening on" tcpdump -Z root -U --immediate-mode \
		-B 16384 -n -i "$ifc" "$@" -w "$SC_TMP/$name.pcap"
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

q() { sed -e 's/[].[()*+?^$|\\]/\\&/g' <<<"$1"; }

# ================================================================ setup
# Namespaces A and B (the quiet link of the floods comes later).
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
start_tcpdump ltd "$A" lo
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
sc_sockcap lp "$A" -i lo -w "$SC_TMP/lo.pcap"
sc_sockcap ln "$A" -i lo -w "$SC_TMP/lo.pcapng"

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
# lo's MTU is 64 KiB: a datagram of 60000 bytes stays one frame
on_lo=(
	ping 127.0.0.1 127.0.0.1 4662 3 +
	udp 127.0.0.1 40050 127.0.0.1 40011 31 +
	udp 127.0.0.1 40050 127.0.0.1 40011 60000 +
	tcp 127.0.0.1 40051 127.0.0.1 40100 +
	ping ::1 ::1 4663 4 +
	udp ::1 40052 ::1 40013 33 +
	udp 127.0.0.1 40050 127.0.0.1 40099 5
)
sc_tg "$A" "${from_a[@]}" || sc_die "traffic from A failed"
sc_tg "$B" "${from_b[@]}" || sc_die "traffic from B failed"
sc_tg "$A" "${on_lo[@]}" || sc_die "traffic on lo failed"

# The last datagram of each kind is the marker: once every capture has it,
# they have everything before it.
marker='198\.18\.0\.2\.40009 > 198\.18\.0\.1\.40099: UDP, length 4$'
lmarker='127\.0\.0\.1\.40050 > 127\.0\.0\.1\.40099: UDP, length 5$'
for f in td.pcap t128.pcap a.pcap a.pcapng a-ns.pcap a.cap s128.pcap p.pcapng; do
	sc_wait_for "the marker in $f" 60 sc_pcap_has "$marker" "$SC_TMP/$f"
done
for f in ltd.pcap lo.pcap lo.pcapng; do
	sc_wait_for "the marker in $f" 60 sc_pcap_has "$lmarker" "$SC_TMP/$f"
done
sc_wait_for "the marker printed by --print -w FILE" 60 sc_grep_q " $marker" "$SC_TMP/pr.out"
sc_wait_for "the marker printed by --print -w -" 60 sc_grep_q " $marker" "$SC_TMP/prs.err"
sc_wait_for "the marker through -w - | tshark" 60 sc_grep_q $'\t40009\t40099$' "$SC_TMP/pts.rd.out"
sc_wait_for "the marker through -w - | tcpdump" 60 sc_grep_q "$marker" "$SC_TMP/ptd.rd.out"

# (sc_pf prints nothing before the end of its input, but the filter runs
# for every socket on a packet in turn: once one capture has the marker,
# all of them have it queued, and sockcap reads what is queued at exit.)
for n in wp wn wns wfmt w128 pr prs pts ptd ppf lp ln; do
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
for n in td t128 ltd; do
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

# ================================================================ lo
# Each packet once: loopback hands packets to taps leaving and arriving,
# and only the arrival is kept. On lo nothing runs in the background.
frames "$SC_TMP/ltd.pcap" "$SC_TMP/ltd.frames" || sc_die "cannot read tcpdump's lo file"
fields "$SC_TMP/ltd.pcap" "$SC_TMP/ltd.fields"
sizes_md5 "$SC_TMP/ltd.fields" >"$SC_TMP/ltd.sizes"
n_lo=$(sc_lines "$SC_TMP/ltd.fields")
sc_log "tcpdump saw $n_lo packets on lo"
lo_once() { # WHAT FRAMES_FILE
	local re
	for re in \
		'127.0.0.1 > 127.0.0.1: ICMP echo request, id 4662, seq 3, length 64' \
		'127.0.0.1 > 127.0.0.1: ICMP echo reply, id 4662, seq 3, length 64' \
		'127.0.0.1.40050 > 127.0.0.1.40011: UDP, length 31' \
		'127.0.0.1.40050 > 127.0.0.1.40011: UDP, length 60000' \
		'::1 > ::1: ICMP6, echo request, id 4663, seq 4, length 64' \
		'::1 > ::1: ICMP6, echo reply, id 4663, seq 4, length 64' \
		'::1.40052 > ::1.40013: UDP, length 33' \
		'127.0.0.1.40050 > 127.0.0.1.40099: UDP, length 5'; do
		sc_expect_line "$1: once" ": $(q "$re") \\| " "$2"
	done
	sc_expect_line "$1: the TCP SYN once" ': 127\.0\.0\.1\.40051 > 127\.0\.0\.1\.40100: Flags \[S\],' "$2"
}
lo_once tcpdump "$SC_TMP/ltd.frames"
for spec in lp:lo.pcap:pcap ln:lo.pcapng:pcapng; do
	IFS=: read -r n file fmt <<<"$spec"
	check_wstats "$n"
	sc_check_eq "$n: packets dropped" 0 "$W_DROP"
	sc_check_eq "$n: packets captured vs tcpdump on lo" "$n_lo" "$W_CAPT"
	check_wstderr "$n" lo "$SNAP"
	check_file "$n" "$SC_TMP/$file" "$fmt" "$SNAP" lo
	frames "$SC_TMP/$file" "$SC_TMP/$n.frames"
	sc_same_lines "$n: frames vs tcpdump -w on lo" "$SC_TMP/ltd.frames" "$SC_TMP/$n.frames"
	sizes_md5 "$SC_TMP/$n.fields" >"$SC_TMP/$n.sizes"
	sc_same_lines "$n: len, cap_len, MD5 vs tcpdump -w on lo" "$SC_TMP/ltd.sizes" "$SC_TMP/$n.sizes"
	lo_once "$n" "$SC_TMP/$n.frames"
	if [ "$fmt" = pcapng ]; then
		# arrivals only: in, addressed to lo (unicast)
		bad=$(awk -F '\t' '$2 != "0x00000001" || $3 != 1 { print NR ": " $2 " " $3; exit }' "$SC_TMP/$n.fields")
		[ -z "$bad" ] || sc_fail "$n: a packet on lo not 'inbound, unicast': packet $bad"
		check_isb "$n" "" 1
	fi
done

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

# ================================================================ floods
# From here on A and B are the quiet link's namespaces: nothing but the
# test's datagrams crosses it, to a MAC address nobody has.
sc_quiet_link
FLOOD=${SC_FLOOD:-20000}
fmarker='^IP 198\.18\.0\.2\.[0-9]+ > 198\.18\.0\.99\.40000: UDP, length 18$'

# only_flood NAME FILE: every packet in FILE is one of the flood's.
only_flood() {
	local n
	tool "tcpdump -r ${2##*/}" "$SC_TMP/$1.txt" tcpdump -t -n -r "$2" || return 1
	n=$(grep -c -v -E -e "$fmarker" "$SC_TMP/$1.txt")
	[ "$n" -eq 0 ] && return 0
	sc_fail "$1: $n packets are not the flood's datagrams"
	grep -v -E -e "$fmarker" "$SC_TMP/$1.txt" | head -n 5 | sed 's/^/  | /' >&2
}

file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
size_is() { [ "$(file_size "$1")" = "$2" ]; }

# A 16 MiB packet ring: a 60-byte frame takes 16 + 60 bytes of pcap; wait
# until all SENT are in the file (nothing may be dropped: the ring holds them
# all, even if the writer falls behind; -w's default of 2 MiB may not).
T0=$(date +%s%N)
sc_sockcap fd "$A" -i vA -B 16384 -w "$SC_TMP/fd.pcap"
sc_flood "$FLOOD"
sc_wait_for "all $SENT datagrams in the file" 60 size_is "$SC_TMP/fd.pcap" $((24 + 76 * SENT))
stop_sockcap fd TERM
T1=$(date +%s%N)
check_wstats fd
check_wstderr fd vA "$SNAP"
sc_check_eq "fd: packets received by filter (datagrams sent)" "$SENT" "$W_RECV"
sc_check_eq "fd: packets dropped (the ring holds them all)" 0 "$W_DROP"
sc_check_eq "fd: packets captured" "$SENT" "$W_CAPT"
check_file fd "$SC_TMP/fd.pcap" pcap "$SNAP" vA
only_flood fd "$SC_TMP/fd.pcap"

# One-page ring, -s 1500: the ring is two blocks of a page each (a block
# must hold a whole frame), and a packet takes more than 64 bytes of it,
# so with the reader stopped no more than 2 * page / 64 fit; the rest of a
# burst is dropped. Then a flood with the reader running.
page=$(getconf PAGESIZE)
cap=$((2 * page / 64))
burst=$((4 * cap + 100))
T0=$(date +%s%N)
sc_sockcap ft "$A" -i vA -B 4 -s 1500 -w "$SC_TMP/ft.pcapng"
sc_signal ft STOP
sc_flood "$burst"
burst_sent=$SENT
sc_signal ft CONT
sc_flood "$FLOOD"
total=$((burst_sent + SENT))
stop_sockcap ft TERM
T1=$(date +%s%N)
check_wstats ft
check_wstderr ft vA 1500
sc_check_eq "ft: packets received by filter (datagrams sent)" "$total" "$W_RECV"
if ! [ "$W_DROP" -ge $((burst_sent - cap)) ] 2>/dev/null; then
	sc_fail "ft: $W_DROP packets dropped, but $burst_sent were sent while the reader was stopped with room for $cap"
fi
check_file ft "$SC_TMP/ft.pcapng" pcapng 1500 vA
check_isb ft "$SC_TMP/ft.pcapng" 1
only_flood ft "$SC_TMP/ft.pcapng"
sc_log "-B 4: received $W_RECV, captured $W_CAPT, dropped $W_DROP"

# -c 1000 in a flood: exactly 1000 written, the rest counted.
T0=$(date +%s%N)
sc_sockcap fc "$A" -i vA -c 1000 -w "$SC_TMP/fc.pcapng"
sc_flood "$FLOOD"
if sc_wait fc; then
	sc_check_eq "fc: exit status with -c 1000" 0 "$SC_RC"
else
	sc_fail "fc: -c 1000 still running after $SENT datagrams"
	sc_stop fc TERM
fi
T1=$(date +%s%N)
check_wstats fc
check_wstderr fc vA "$SNAP"
sc_check_eq "fc: packets captured with -c 1000" 1000 "$W_CAPT"
[ "$W_RECV" -ge 1000 ] 2>/dev/null && [ "$W_RECV" -le "$SENT" ] ||
	sc_fail "fc: $W_RECV received by filter, expected 1000..$SENT"
check_file fc "$SC_TMP/fc.pcapng" pcapng "$SNAP" vA
check_isb fc "$SC_TMP/fc.pcapng" 1
only_flood fc "$SC_TMP/fc.pcapng"
sc_log "-c 1000: received $W_RECV, dropped $W_DROP, not written $W_NOTW"

# Stopped in the middle of a flood, with a ring small enough to drop:
# what the kernel queued before the stop must still reach the file, and
# the counts add up.
bigger_than() { [ "$(file_size "$1")" -gt "$2" ]; }
T0=$(date +%s%N)
sc_sockcap fm "$A" -i vA -B 64 -s 1500 -w "$SC_TMP/fm.pcapng"
sc_start fmfl "$B" "" "$SC_PYTHON" "$SC_TG" flood 198.18.0.99 40000 100000 5
sc_wait_for "the file to grow during the flood" 60 bigger_than "$SC_TMP/fm.pcapng" 100000
sc_alive "${SC_CPID[fmfl]}" || sc_log "NOTE: the flood ended before sockcap was stopped"
stop_sockcap fm INT
T1=$(date +%s%N)
sc_wait fmfl 30 || sc_fail "the 5 s flood did not end within 30 s"
check_wstats fm
check_wstderr fm vA 1500
check_file fm "$SC_TMP/fm.pcapng" pcapng 1500 vA
check_isb fm "" 1
only_flood fm "$SC_TMP/fm.pcapng"
sc_log "stopped mid-flood: received $W_RECV, captured $W_CAPT, dropped $W_DROP"

sc_done
