#!/bin/bash
# Command-line handling that needs no privileges: every malformed or unknown
# argument stops sockcap with exit status 1, nothing on stdout, and on stderr
# one line "sockcap: ..." naming the argument (optionally followed by the
# "Try 'sockcap --help'" hint); --help and --version succeed on stdout.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_cmd timeout coreutils
sc_init

out=$SC_TMP/out err=$SC_TMP/err
hint="Try 'sockcap --help' for more information."

run() {
	timeout 30 "$SOCKCAP" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

# bad NEEDLE ARGS...: exit 1, one error line containing NEEDLE. (Shell
# built-ins where possible: this runs many times, also in a slow VM.)
bad() {
	local needle=$1 what first lines
	shift
	what="sockcap $(printf "'%s' " "$@")"
	run "$@"
	sc_check_eq "$what: exit status" 1 "$rc"
	[ -s "$out" ] && sc_fail "$what: printed on stdout: $(head -c 200 "$out")"
	if [ "$(LC_ALL=C tr -d '[:print:]\n' <"$err" | wc -c)" -ne 0 ]; then
		sc_fail "$what: stderr has non-printable characters: $(cat -v "$err" | tr '\n' ' ')"
	fi
	mapfile -t lines <"$err"
	first=${lines[0]:-}
	case $first in
	"sockcap: "*) ;;
	*) sc_fail "$what: first stderr line '$first' does not start with 'sockcap: '" ;;
	esac
	[[ $first == *"$needle"* ]] ||
		sc_fail "$what: error '$first' does not name '$needle'"
	if [ "${#lines[@]}" -eq 2 ]; then
		sc_check_eq "$what: second stderr line" "$hint" "${lines[1]}"
	elif [ "${#lines[@]}" -ne 1 ]; then
		sc_fail "$what: ${#lines[@]} lines on stderr (one error line and at most the hint expected)"
		sc_show stderr "$err"
	fi
}

bad "'abc'" -c abc
bad "'-5'" -c -5
bad "'0'" -c 0
bad "''" -c ''
bad "'5x'" -c 5x
bad "'+5'" -c +5
bad "' 5'" -c ' 5'
bad "'0x10'" -c 0x10
bad "'18446744073709551616'" -c 18446744073709551616
bad "'x'" -B x
bad "'0'" -B 0
bad "'-1'" -B -1
bad "'1048577'" -B 1048577
bad "'4k'" --buffer-size=4k
bad "-Z" -Z
bad "--bogus" --bogus
bad "--bogus=1" --bogus=1
bad "-c" -c
bad "-B" -B
bad "-i" -i
bad "--interface" --interface
bad "--buffer-size" --buffer-size
# filter expressions: libpcap's message, before anything starts
bad "syntax error" -i lo 'tcp port'
bad "syntax error" 'tcp port'
bad "expression rejects all packets" -i lo 'udp and not udp'
bad "-F" -i lo -F /dev/null udp
bad "/nonexistent-filter" -i lo -F /nonexistent-filter
bad "direction" -Q sideways
bad "-Q" -Q in -r /dev/null
bad "-tttttt" -tttttt
# options that take no argument, given one
bad "--version" --version=1
bad "--debug" --debug=1
bad "--help" --help=1
bad "--no-promiscuous-mode" --no-promiscuous-mode=1
# capture files: snap length (0 to 262144, as tcpdump), rotation, format
bad "'65536000'" -s 65536000
bad "'262145'" -s 262145
bad "'-1'" -s -1
bad "'abc'" -s abc
bad "'0'" -C 0
bad "'x'" -C x
bad "'0'" -G 0
bad "'0'" -W 0
bad "1 to 2147483647" -G 2147483648
bad "1 to 2147483647" -W 2147483648
bad "1 to 1000000000000" -C 1000000000001
bad "'pcapx'" --format pcapx
bad "-W needs -C or -G" -w "$SC_TMP/w.pcap" -W 3
[ -e "$SC_TMP/w.pcap" ] && sc_fail "-w FILE -W 3 created FILE"
bad "need -w" -W 3
bad "need -w" -C 1
bad "need -w" -G 1
bad "needs -w or --flows" --print
# --flows: its interval and table size, and what it cannot go with
bad "'0'" --flows=0
bad "'x'" --flows=x
bad "'86401'" --flows=86401
bad "'15'" --flows --flow-table 15
bad "'4194305'" --flows --flow-table 4194305
bad "--flow-table needs --flows" --flow-table 64
bad "cannot be combined with -r" --flows -r /dev/null
bad "-t and -v" --flows --json -tt -i lo
# --json: the file is what -w writes; -t and -v shape the summary line only
bad "add --print" --json -w "$SC_TMP/x.pcap" -i lo
bad "add --print" --json -r "$srcdir/tests/golden/sll.pcap" -w "$SC_TMP/x.pcap"
bad "-t and -v" --json -tt -i lo
bad "-t and -v" --json -v -r "$srcdir/tests/golden/sll.pcap"
bad "need -w" --format pcapng
bad "-w" -w ''
bad "-w" -i lo -w ''
bad "-C and -G need a file name" -w - -C 1
bad "-C and -G need a file name" -w - -G 1
# reading: the error names the file and says what is wrong with it
bad "/nonexistent: No such file or directory" -r /nonexistent
printf 'hello, this is not a capture file\n' >"$SC_TMP/text"
bad "$SC_TMP/text: not a pcap or pcapng file" -r "$SC_TMP/text"
printf 'vm\n' >"$SC_TMP/short" # as short as many an /etc/hostname
bad "$SC_TMP/short: not a pcap or pcapng file" -r "$SC_TMP/short"
: >"$SC_TMP/empty"
bad "$SC_TMP/empty: empty file" -r "$SC_TMP/empty"
bad "$SC_TMP: " -r "$SC_TMP"
bad "cannot be combined with -i" -r /nonexistent -i lo
# --metrics ADDR:PORT: an IPv4 address, or an IPv6 one in brackets; no names
m="metrics address"
bad "$m (ADDR:PORT, or [ADDR]:PORT for IPv6) '127.0.0.1'" --metrics 127.0.0.1
for arg in :9100 127.0.0.1: 127.0.0.1:0 127.0.0.1:65536 127.0.0.1:x 127.0.0.1:+80 \
	'127.0.0.1: 80' 256.1.1.1:9100 1.2.3:9100 localhost:9100 ::1:9100 '[::1]9100' '[::1' \
	'[::1]:' '[]:9100' '[127.0.0.1]:9100' '[fe80::1%lo]:9100' ''; do
	bad "$m" --metrics "$arg"
done
bad "$m" --metrics=1.2.3.4:9100:1
bad "--metrics" --metrics
bad "cannot be combined with -r" -r /nonexistent --metrics 127.0.0.1:9100

for h in --help -h; do
	run "$h"
	sc_check_eq "sockcap $h: exit status" 0 "$rc"
	[ -s "$err" ] && sc_fail "sockcap $h: printed on stderr: $(head -n 3 "$err")"
	first=$(head -n 1 "$out")
	[[ $first == "Usage: sockcap"* ]] || sc_fail "sockcap $h: first line '$first' is not 'Usage: sockcap ...'"
	for opt in -i -c -e -v -l -t -p -B --buffer-size --debug --help --version \
		-w -r -s -C -G -W -Z --format --nano --print; do
		grep -q -e "$opt" "$out" || sc_fail "sockcap $h: usage does not mention $opt"
	done
done

run --version
sc_check_eq "sockcap --version: exit status" 0 "$rc"
[ -s "$err" ] && sc_fail "sockcap --version: printed on stderr: $(head -n 3 "$err")"
sc_check_eq "sockcap --version: lines" 1 "$(sc_lines "$out")"
grep -q -E '^sockcap [0-9]+\.[0-9]+(\.[0-9]+)?' "$out" ||
	sc_fail "sockcap --version printed '$(head -n 1 "$out")', not 'sockcap X.Y.Z'"

sc_done
