#!/bin/bash
# The capture-file writer checked by independent readers: tests/pf_sample
# writes the same five packets as classic pcap (micro- and nanosecond) and
# as pcapng (two interfaces, directions, interface statistics); capinfos,
# tshark and tcpdump must read every file without complaint and see what
# pf_sample.c says it wrote. No network and no privileges needed.
#
# Environment: PF_SAMPLE (default: next to this script, else
# ./tests/pf_sample in the build directory, where automake runs tests),
# srcdir (the source tree), SC_PYTHON (default python3).
#
# Exit status: 0 pass, 1 fail, 77 skip (a tool is missing and we are not
# root; as root, which CI is, a missing tool fails). Self-contained: it does
# not use tests/lib.sh, whose sc_init expects a built sockcap.
set -u
set -o pipefail

: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
SC_PYTHON=${SC_PYTHON:-python3}

NAME=pcap_tools
FAILS=0
TMP=

fail() {
	printf 'FAIL: %s: %s\n' "$NAME" "$*" >&2
	FAILS=$((FAILS + 1))
}

die() {
	printf 'FAIL: %s: %s\n' "$NAME" "$*" >&2
	exit 1
}

need_cmd() { # COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	[ "$(id -u)" -eq 0 ] && die "'$1' not found: apt-get install $2"
	printf 'SKIP: %s: %s not found (apt-get install %s)\n' "$NAME" "$1" "$2"
	exit 77
}

check_eq() { # WHAT EXPECTED ACTUAL
	[ "$2" = "$3" ] && return 0
	fail "$1: expected '$2', got '$3'"
	return 1
}

need_cmd capinfos wireshark-common
need_cmd tshark tshark
need_cmd tcpdump tcpdump
need_cmd "$SC_PYTHON" python3

if [ -z "${PF_SAMPLE:-}" ]; then
	PF_SAMPLE=$(dirname "$0")/pf_sample
	[ -x "$PF_SAMPLE" ] || PF_SAMPLE=./tests/pf_sample
fi
[ -x "$PF_SAMPLE" ] || die "pf_sample not found (set PF_SAMPLE): $PF_SAMPLE"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pcap_tools.XXXXXX") || die "mktemp -d failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

FORMATS="pcap pcap-ns pcapng"
NPKT=5
TS0=1700000000123456789 # first packet, ns; each next one STEP later
STEP=1000001001

# tshark and capinfos warn on stderr when run as root, tcpdump names the
# file and its link type; anything else there is a complaint about the file.
complaints() {
	grep -v -E -e '^Running as user "root"|^$' \
		-e '^reading from file .*, link-type EN10MB \(Ethernet\), snapshot length 262144$' "$1"
}

# run WHAT CMD...: run CMD, stdout to $TMP/out; a failure or a message on
# stderr is a failed check (returns 1).
run() {
	local what=$1
	shift
	if ! "$@" >"$TMP/out" 2>"$TMP/err"; then
		fail "$what: '$*' failed: $(head -c 300 "$TMP/err")"
		return 1
	fi
	if complaints "$TMP/err" >/dev/null; then
		fail "$what: '$*' complained: $(complaints "$TMP/err" | head -c 300)"
		return 1
	fi
}

# check_lines WHAT EXPECTED: $TMP/out must equal EXPECTED line for line.
check_lines() {
	printf '%s\n' "$2" >"$TMP/want"
	cmp -s "$TMP/want" "$TMP/out" && return 0
	fail "$1: unexpected output"
	diff "$TMP/want" "$TMP/out" | sed 's/^/  | /' >&2
	return 1
}

# The epoch timestamps tshark should show, truncated to microseconds for
# classic pcap.
expected_times() {
	local i ts ns
	for ((i = 0; i < NPKT; i++)); do
		ts=$((TS0 + i * STEP))
		ns=$((ts % 1000000000))
		[ "$1" = pcap ] && ns=$((ns / 1000 * 1000))
		printf '%d.%09d\n' $((ts / 1000000000)) "$ns"
	done
}

for fmt in $FORMATS; do
	f=$TMP/sample.$fmt
	run "pf_sample $fmt" "$PF_SAMPLE" "$fmt" "$f" || continue

	# capinfos: type, link type, packet count, resolution
	case $fmt in
	pcap) type=pcap prec="microseconds (6)" ;;
	pcap-ns) type=nsecpcap prec="nanoseconds (9)" ;;
	pcapng) type=pcapng prec="nanoseconds (9)" ;;
	esac
	if run "capinfos $fmt" capinfos -T -r -t -E -c -M "$f"; then
		check_lines "capinfos $fmt" "$f	$type	ether	$NPKT"
	fi
	if run "capinfos -L $fmt" capinfos "$f"; then
		grep -q -F "File timestamp precision:  $prec" "$TMP/out" ||
			fail "capinfos $fmt: precision is not $prec: $(grep precision "$TMP/out")"
	fi

	# tshark: protocols, lengths and timestamps of every packet
	if run "tshark $fmt" tshark -r "$f" -T fields -E separator=' ' -e frame.protocols \
		-e frame.cap_len -e frame.len -e frame.time_epoch; then
		mapfile -t got <"$TMP/out"
		mapfile -t times < <(expected_times "$fmt")
		check_eq "tshark $fmt: packets" $NPKT ${#got[@]}
		want=("*:ip:udp:* 60 60" "*:ipv6:tcp 74 74" "*:arp 42 42" "*:ip:udp:* 60 60"
			"*:ipv6:tcp 54 74")
		for ((i = 0; i < NPKT && i < ${#got[@]}; i++)); do
			# shellcheck disable=SC2053 # the patterns are meant to match
			[[ ${got[i]} == ${want[i]}" "${times[i]} ]] ||
				fail "tshark $fmt: packet $((i + 1)): '${got[i]}', want '${want[i]} ${times[i]}'"
		done
	fi

	# tcpdump: the bytes, without the timestamps, are compared below
	if run "tcpdump $fmt" tcpdump -r "$f" -n -xx; then
		sed -E 's/^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+ //' "$TMP/out" >"$TMP/tcpdump.$fmt"
		check_eq "tcpdump $fmt: packets" $NPKT "$(grep -c -v -E '^\s' "$TMP/tcpdump.$fmt")"
		for re in 'IP 198\.18\.0\.1\.40000 > 198\.18\.0\.2\.9: UDP, length 18' \
			'IP6 fd00:198:18::1\.40000 > fd00:198:18::2\.80: Flags \[P\.\]' \
			'ARP, Request who-has 198\.18\.0\.2 tell 198\.18\.0\.1' \
			'IP 198\.18\.0\.1\.40000 > 239\.1\.2\.3\.9: UDP, length 18'; do
			grep -q -E "$re" "$TMP/tcpdump.$fmt" ||
				fail "tcpdump $fmt: no line matching '$re'"
		done
	fi
done

for fmt in pcap-ns pcapng; do
	if [ ! -f "$TMP/tcpdump.pcap" ] || [ ! -f "$TMP/tcpdump.$fmt" ]; then
		continue
	fi
	if ! cmp -s "$TMP/tcpdump.pcap" "$TMP/tcpdump.$fmt"; then
		fail "tcpdump -xx: pcap and $fmt differ"
		diff "$TMP/tcpdump.pcap" "$TMP/tcpdump.$fmt" | head -20 | sed 's/^/  | /' >&2
	fi
done

# pcapng only: interface names, epb_flags direction and reception type
f=$TMP/sample.pcapng
if [ -f "$f" ] && run "tshark pcapng flags" tshark -r "$f" -T fields -E separator=' ' \
	-e frame.interface_id -e frame.interface_name -e frame.packet_flags_direction \
	-e frame.packet_flags_reception_type; then
	# direction 1 in, 2 out; reception 1 unicast, 2 multicast, 3 broadcast,
	# 4 promiscuous (pcapng 4.3.1)
	want=("0 veth-a 1 1" "1 veth-b 2 0" "0 veth-a 1 3" "1 veth-b 1 2" "0 veth-a 1 4")
	mapfile -t got <"$TMP/out"
	check_eq "tshark pcapng flags: packets" $NPKT ${#got[@]}
	for ((i = 0; i < NPKT && i < ${#got[@]}; i++)); do
		read -r id name dir rx <<<"${got[i]}"
		check_eq "pcapng packet $((i + 1)): interface, direction, reception" \
			"${want[i]}" "$id $name $((dir)) $((rx))"
	done
fi

# Interface statistics: Wireshark 4.0 shows ISB contents only through its
# pcapng file dissector ("MIME Files Format"): every counter and the block
# timestamp, but not the values of isb_starttime/isb_endtime, which a small
# parser below reads instead.
ISB_WANT="isb 0 1700000006123462795 1000 7 1000 7 993
isb 1 1700000006123462795 500 3 500 3 497"
if [ -f "$f" ] && run "tshark pcapng file dissector" tshark -X 'read_format:MIME Files Format' \
	-r "$f" -T pdml; then
	awk '
	function attr(a) {
		if (!match($0, " " a "=\"[^\"]*\""))
			return ""
		return substr($0, RSTART + length(a) + 3, RLENGTH - length(a) - 4)
	}
	function done() {
		if (isb)
			print "isb", ifc, hi, lo, v["received"], v["dropped"],
				v["accepted_by_filter"], v["dropped_by_os"], v["delivered_to_user"]
		isb = 0
		delete v
	}
	/<field name="pcapng\./ {
		n = attr("name")
		s = attr("show")
		if (n == "pcapng.block.type") {
			done()
			isb = s == "0x00000005"
		} else if (n == "pcapng.interface_id") {
			ifc = s
		} else if (n == "pcapng.timestamp_high") {
			hi = s
		} else if (n == "pcapng.timestamp_low") {
			lo = s
		} else if (n ~ /^pcapng\.options\.option\.data\.interface\./) {
			sub(/.*\./, "", n)
			v[n] = s
		}
	}
	END { done() }' "$TMP/out" >"$TMP/isb.raw"
	while read -r tag ifc hi lo rest; do
		echo "$tag $ifc $(((hi << 32) | lo)) $rest"
	done <"$TMP/isb.raw" >"$TMP/out"
	check_lines "ISB as tshark shows it" "$ISB_WANT"
fi

# The independent reader of the test suite, tests/pcapcheck.py, for what
# tshark leaves out: the ISB start and end times, as nanoseconds (and the
# whole file's structure, strictly).
ISB_TIMES_WANT="isb_starttime 0 1699999999123455788
isb_endtime 0 1700000006123462795
isb_ifrecv 0 1000
isb_ifdrop 0 7
isb_filteraccept 0 1000
isb_osdrop 0 7
isb_usrdeliv 0 993
isb_starttime 1 1699999999123455788
isb_endtime 1 1700000006123462795
isb_ifrecv 1 500
isb_ifdrop 1 3
isb_filteraccept 1 500
isb_osdrop 1 3
isb_usrdeliv 1 497"
if [ -f "$f" ]; then
	if "$SC_PYTHON" "$srcdir/tests/pcapcheck.py" "$f" >"$TMP/pf"; then
		grep -E '^isb_' "$TMP/pf" >"$TMP/out"
		check_lines "ISB as tests/pcapcheck.py reads it" "$ISB_TIMES_WANT"
	else
		fail "tests/pcapcheck.py ${f##*/}: $(tail -n 1 "$TMP/pf")"
	fi
fi

# Written to a pipe and read from one.
for fmt in pcap pcapng; do
	# shellcheck disable=SC2016 # expanded by the inner shell
	if run "pf_sample $fmt - | tshark -r -" \
		bash -o pipefail -c '"$1" "$2" - | tshark -r -' sh "$PF_SAMPLE" "$fmt"; then
		check_eq "pf_sample $fmt - | tshark -r -: packets" $NPKT "$(wc -l <"$TMP/out")"
	fi
done

if [ "$FAILS" -ne 0 ]; then
	printf 'FAIL: %s: %d check(s) failed\n' "$NAME" "$FAILS" >&2
	exit 1
fi
echo "$NAME: PASS"
