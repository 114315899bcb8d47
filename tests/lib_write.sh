# shellcheck shell=bash disable=SC2034
# Helpers of the capture file tests (live_write.sh, live_write_lo.sh,
# live_write_flood.sh), sourced after tests/lib.sh: reading files back
# with tcpdump, tshark, capinfos and sc_pf, sockcap's statistics on
# stderr, the pcapng interface statistics block. Sourcing defines
# functions and constants only; sc_write_init (after sc_init) sets VERSION.

SNAP=262144 # sockcap's and tcpdump's default snap length

# sc_write_init: VERSION, the version sockcap says it is (check_file
# expects it in the pcapng section header).
sc_write_init() {
	VERSION=$("$SOCKCAP" --version | sed -n -E 's/^sockcap ([^ ]+)$/\1/p')
	[ -n "$VERSION" ] || sc_die "sockcap --version says '$("$SOCKCAP" --version 2>&1)'"
}


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
		-e "$SC_OWNER_STATS" "$SC_TMP/$1.err")
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

q() { sed -e 's/[].[()*+?^$|\\]/\\&/g' <<<"$1"; }
