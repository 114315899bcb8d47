#!/bin/bash
# Reading capture files (-r) against expected output kept in tests/golden/.
# No network and no privileges needed.
#
# The inputs were captured once in two throwaway network namespaces joined
# by a veth pair, with the traffic tests/live_veth.sh sends (ARP, UDP, a TCP
# connection, ICMP and ICMPv6 echo with neighbour discovery, IPv6 UDP, a
# broadcast, a frame for another host, two 802.1Q-tagged frames) and two
# datagrams on lo, by five writers at the same time:
#   tcpdump-us.pcap  tcpdump 4.99 -w (classic pcap, microseconds)
#   tcpdump-ns.pcap  tcpdump --time-stamp-precision=nano -w (nanosecond magic)
#   dumpcap.pcapng   dumpcap 4.0 -i vA -i lo (if_name, two interfaces, no
#                    epb_flags)
#   sockcap.pcapng   sockcap -w (if_name, and epb_flags for the direction)
#   snap60.pcap      sockcap -s 60 -w (every packet cut to 60 bytes)
# and, on its own, in a namespace with a veth pair:
#   sll.pcap         tcpdump -i any -y LINUX_SLL -w: a datagram sent out of
#                    the veth, one on lo, one received (directions Out, In,
#                    In, as tcpdump -e prints them)
#   ifname-ctrl.pcapng  an interface name with a newline, a space and an
#                    escape sequence, which lines show as \xHH
#   two-snaplens.pcapng  two Ethernet interfaces of snap lengths 100 and
#                    65535, three whole packets (made with a script)
#   late-snaplen.pcapng  an interface of snap length 100 and a packet on it,
#                    then one of none and a 200-byte frame (made with a script)
#   comments.pcapng  tests/mkhostile.py --comments: process comments as
#                    sockcap writes them (one end, both ends, uid and
#                    cgroup), behind another tool's comment, and hostile
#                    ones (no pid, overflows, control bytes, empty values,
#                    NUL bytes, longer than any line)
#   hostile.pcapng   tests/mkhostile.py: interface names of control bytes,
#                    a terminal escape and 63 letters, the deepest tags and
#                    headers, 802.3, fragments, cuts in every header, times
#                    from 0 to 2^64-1 ns and one back in time (its Ethernet
#                    packets, which tcpdump reads on their own from
#                    "mkhostile.py --ether FILE", for the comparison)
# and derived from those:
#   bigendian.pcap   tcpdump-us.pcap with every header field byte-swapped,
#                    as a big-endian machine writes it
#   cut.pcap         tcpdump-us.pcap cut in the middle of packet 20's data
#   cut.pcapng       sockcap.pcapng cut inside its 20th packet block
#   modpcap.pcap     tcpdump-us.pcap through "editcap -F modpcap": modified
#                    pcap (magic 0xa1b2cd34, 24-byte record headers) whose
#                    interface index, protocol and packet type are zero, as
#                    editcap writes them: no direction, the lines of
#                    tcpdump-us.pcap
#   modpcap-dir.pcap sockcap.pcapng through "editcap -F modpcap", then each
#                    record given interface index 2, the frame's ethertype
#                    as protocol and the Linux packet type its epb_flags
#                    give (a small script), as a patched libpcap wrote
#                    them: the lines of sockcap.pcapng with the direction
#                    and without the interface name
#
# FILE.out is sockcap's output for "-r FILE -tt -n", FILE.ev.out for
# "-r FILE -tt -n -e -v", FILE.err its standard error (none: empty). Each
# was checked against "tcpdump -n -S -tt -r FILE" (with -e, and -v for the
# IP header fields, for the .ev.out files): the same packets in the same
# order with the same timestamps and text, apart from the differences
# sockcap(8) documents:
#  - pcapng: a column with the interface name, and one with the direction
#    when the file has epb_flags (in sockcap.pcapng the directions were also
#    checked against the MAC addresses and tshark's packet_flags_direction);
#    classic pcap has neither;
#  - without -e, a VLAN tag shows as "vlan ID, p PRIO, " before the packet;
#  - -v adds the IP header fields as tcpdump -v prints them, nothing else
#    (no checksum checks, no ARP address lengths);
#  - a header cut short by the snap length ends decoding with a marker such
#    as "[|udp]" (without the ports tcpdump still prints), and a neighbour
#    solicitation is complete for sockcap without its target;
#  - (hostile.pcapng) two VLAN tags walked, a third shown as an EtherType;
#    no routing header fields (RT6 by name only); an IPv4 later fragment with its offset and length; a
#    SNAP header instead of CDP's decoding; PPPoE by its EtherType's name;
#    "(invalid)" for a short BPDU, as tcpdump, after "ctrl 0x03: ".
# For the cut files tcpdump too prints the 19 complete packets and then
# complains of a truncated file; sockcap must exit with status 1. tcpdump
# reads the two modified pcap files as it reads the files they were made
# from (it shows no direction for them).
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_cmd timeout coreutils
sc_need_cmd cmp diffutils
sc_init

G=$srcdir/tests/golden
[ -d "$G" ] || sc_die "no directory $G"
INPUTS="tcpdump-us.pcap tcpdump-ns.pcap dumpcap.pcapng sockcap.pcapng snap60.pcap
	bigendian.pcap cut.pcap cut.pcapng sll.pcap ifname-ctrl.pcapng hostile.pcapng
	modpcap.pcap modpcap-dir.pcap comments.pcapng"
# timestamps are printed with -tt: a time zone with an odd offset must not
# matter (a POSIX TZ string, so no time zone database is needed)
export TZ=XST-5:45

out=$SC_TMP/out err=$SC_TMP/err

# run ARGS...: sockcap in the golden directory, so that messages name the
# files as the .err files do; stdout, stderr and status to out, err, rc.
run() {
	(cd "$G" && exec timeout 30 "$SOCKCAP" "$@") >"$out" 2>"$err" </dev/null
	rc=$?
}

# run_pipe FILE ARGS...: sockcap -r - ARGS with FILE on a pipe.
run_pipe() {
	local f=$1
	shift
	cat "$G/$f" | timeout 30 "$SOCKCAP" -r - "$@" >"$out" 2>"$err"
	rc=${PIPESTATUS[1]}
}

# same WHAT EXPECTED_FILE ACTUAL_FILE
same() {
	cmp -s "$2" "$3" && return 0
	sc_fail "$1: differs from ${2##*/}"
	diff -u "$2" "$3" | head -n 30 | sed 's/^/  | /' >&2
	return 1
}

# check WHAT EXPECTED_OUT EXPECTED_ERR(or "") EXPECTED_RC
check() {
	sc_check_eq "$1: exit status" "$4" "$rc"
	same "$1: stdout" "$2" "$out"
	if [ -n "$3" ]; then
		same "$1: stderr" "$3" "$err"
	elif [ -s "$err" ]; then
		sc_fail "$1: unexpected stderr: $(head -c 300 "$err")"
	fi
}

for f in $INPUTS; do
	[ -f "$G/$f" ] && [ -f "$G/$f.out" ] || sc_die "missing $G/$f or $f.out"
	want_err="" want_rc=0
	if [ -f "$G/$f.err" ]; then
		want_err=$G/$f.err want_rc=1
	fi
	run -r "$f" -tt -n
	check "-r $f -tt -n" "$G/$f.out" "$want_err" "$want_rc"

	# standard input, here a pipe: the same packets; an error names "-"
	# (or says it is standard input)
	run_pipe "$f" -tt -n
	if [ -n "$want_err" ]; then
		sed "s|^sockcap: $f: |sockcap: -: |" "$want_err" >"$SC_TMP/want.err"
		if grep -q '^sockcap: (standard input): ' "$err"; then
			sed "s|^sockcap: $f: |sockcap: (standard input): |" "$want_err" >"$SC_TMP/want.err"
		fi
		want_err=$SC_TMP/want.err
	fi
	check "cat $f | sockcap -r - -tt -n" "$G/$f.out" "$want_err" "$want_rc"

	if [ -f "$G/$f.ev.out" ]; then
		run -r "$f" -tt -n -e -v
		check "-r $f -tt -n -e -v" "$G/$f.ev.out" "" 0
	fi
done

# ------------------------------------------------------- the longest lines
# hostile.pcapng with every timestamp style, with and without -e and -v:
# status 0, nothing on stderr, every line whole and within the 1024 bytes
# the output path gives a line; the longest style against its golden file.
# (san_read_golden.sh runs all this with ASan and UBSan.)
for t in "" -t -tt -ttt -tttt -ttttt; do
	for ev in "" -e -v "-e -v"; do
		# shellcheck disable=SC2086
		run -r hostile.pcapng $t $ev
		what="-r hostile.pcapng $t $ev"
		sc_check_eq "$what: exit status" 0 "$rc"
		[ -s "$err" ] && sc_fail "$what: stderr: $(head -c 300 "$err")"
		sc_check_eq "$what: lines" 27 "$(sc_lines "$out")"
		long=$(awk 'length($0) >= 1024' "$out" | wc -l)
		sc_check_eq "$what: lines of 1024 bytes or more" 0 "$long"
	done
done
run -r hostile.pcapng -tttt -e -v
check "-r hostile.pcapng -tttt -e -v" "$G/hostile.pcapng.tttt.out" "" 0

# Many of the longest lines: 600 bytes each were the interface name shown
# whole, a length that once took the output buffer past its end.
sc_need_cmd "$SC_PYTHON" python3
"$SC_PYTHON" "$srcdir/tests/mkhostile.py" --flood "$SC_TMP/flood.pcapng" 3000 ||
	sc_die "mkhostile.py failed"
(exec timeout 60 "$SOCKCAP" -r "$SC_TMP/flood.pcapng" -e -v -tttt) >"$out" 2>"$err"
rc=$?
sc_check_eq "-r flood.pcapng -e -v -tttt: exit status" 0 "$rc"
sc_check_eq "-r flood.pcapng -e -v -tttt: lines" 3000 "$(sc_lines "$out")"
[ -s "$err" ] && sc_fail "-r flood.pcapng -e -v -tttt: stderr: $(head -c 300 "$err")"

# The expected files were made in UTC.
TZ=UTC run -r tcpdump-us.pcap -tt -n
check "-r tcpdump-us.pcap -tt -n in UTC" "$G/tcpdump-us.pcap.out" "" 0

# ------------------------------------------------------------ -r IN -w OUT
# A classic pcap copy is the same bytes as libpcap's file (same header,
# same records), microseconds and nanoseconds alike.
run -r tcpdump-us.pcap -w "$SC_TMP/copy-us.pcap"
check "-r tcpdump-us.pcap -w FILE" /dev/null "" 0
cmp -s "$G/tcpdump-us.pcap" "$SC_TMP/copy-us.pcap" ||
	sc_fail "-r tcpdump-us.pcap -w FILE: the copy differs from the original"
run -r tcpdump-ns.pcap -w "$SC_TMP/copy-ns.pcap" --nano
check "-r tcpdump-ns.pcap -w FILE --nano" /dev/null "" 0
cmp -s "$G/tcpdump-ns.pcap" "$SC_TMP/copy-ns.pcap" ||
	sc_fail "-r tcpdump-ns.pcap -w FILE --nano: the copy differs from the original"

# Modified pcap into pcap: the same bytes as tcpdump's copy, with the snap
# length libpcap gives such a file (14 more, for a made-up Ethernet header).
run -r modpcap.pcap -w "$SC_TMP/copy-mod.pcap"
check "-r modpcap.pcap -w FILE" /dev/null "" 0
od -A n -t u4 -j 16 -N 4 "$SC_TMP/copy-mod.pcap" >"$SC_TMP/snap.txt"
sc_check_eq "modpcap.pcap: the snap length of its pcap copy" 262158 "$(tr -d ' ' <"$SC_TMP/snap.txt")"
cmp -s -i 24 "$G/tcpdump-us.pcap" "$SC_TMP/copy-mod.pcap" ||
	sc_fail "-r modpcap.pcap -w FILE: the records differ from tcpdump-us.pcap's"
# ... and into pcapng: the directions go into epb_flags.
run -r modpcap-dir.pcap -w "$SC_TMP/copy-mod.pcapng"
check "-r modpcap-dir.pcap -w FILE.pcapng" /dev/null "" 0
run -r "$SC_TMP/copy-mod.pcapng" -tt -n
check "the pcapng copy of modpcap-dir.pcap" "$G/modpcap-dir.pcap.out" "" 0

# pcapng to pcapng keeps interface names and directions.
for f in sockcap.pcapng dumpcap.pcapng; do
	run -r "$f" -w "$SC_TMP/copy-$f"
	check "-r $f -w FILE.pcapng" /dev/null "" 0
	run -r "$SC_TMP/copy-$f" -tt -n
	check "the pcapng copy of $f" "$G/$f.out" "" 0
done

# A cut input: what was read is copied, the file is valid, status 1.
run -r cut.pcap -w "$SC_TMP/copy-cut.pcap"
check "-r cut.pcap -w FILE" /dev/null "$G/cut.pcap.err" 1
run -r "$SC_TMP/copy-cut.pcap" -tt -n
check "the copy of cut.pcap" "$G/cut.pcap.out" "" 0

# pcapng of two Ethernet interfaces, snap lengths 100 and 65535, the first
# packet on the first, into pcap: the header takes the larger, so the file
# says no packet is longer than it is, and every byte of all three is kept.
run -r two-snaplens.pcapng -w "$SC_TMP/two-snaplens.pcap"
check "-r two-snaplens.pcapng -w FILE.pcap" /dev/null "" 0
od -A n -t u4 -j 16 -N 4 "$SC_TMP/two-snaplens.pcap" >"$SC_TMP/snap.txt"
sc_check_eq "two-snaplens: the pcap header's snap length" 65535 "$(tr -d ' ' <"$SC_TMP/snap.txt")"
# the three records hold 100 bytes (cut on its interface), 243 and 244
sc_check_eq "two-snaplens: bytes of the packets in the pcap copy" 587 \
	"$(($(stat -c %s "$SC_TMP/two-snaplens.pcap") - 24 - 3 * 16))"

# Into pcap again, the second interface (no snap length) described after
# the first packet, on the first (100): the header says 100, and the second
# interface's 200-byte frame is cut to it (24 + 16 + 60 + 16 + 100 bytes).
run -r late-snaplen.pcapng -w "$SC_TMP/late-snaplen.pcap"
check "-r late-snaplen.pcapng -w FILE.pcap" /dev/null "" 0
sc_check_eq "late-snaplen: bytes of the pcap copy" 216 "$(stat -c %s "$SC_TMP/late-snaplen.pcap")"

# A pcapng copy stops at a second section (not supported): status 1, one
# line, and the copy holds the first section's packets, valid.
cat "$G/sockcap.pcapng" "$G/dumpcap.pcapng" >"$SC_TMP/two-sections.pcapng"
run -r "$SC_TMP/two-sections.pcapng" -w "$SC_TMP/copy-two.pcapng"
sc_check_eq "-r FILE of two sections -w FILE.pcapng: exit status" 1 "$rc"
[ -s "$out" ] && sc_fail "-r FILE of two sections -w FILE.pcapng: printed $(head -c 200 "$out")"
sc_check_eq "-r FILE of two sections -w FILE.pcapng: lines on stderr" 1 "$(sc_lines "$err")"
grep -q "several sections" "$err" ||
	sc_fail "-r FILE of two sections -w FILE.pcapng: error '$(head -c 200 "$err")'"
run -r "$SC_TMP/copy-two.pcapng" -tt -n
check "the copy of the first of two sections" "$G/sockcap.pcapng.out" "" 0

# ------------------------------------------------------- a signal mid-input
# SIGINT or SIGTERM while -r waits for more of its input (a pipe a writer
# keeps open): the lines of every packet read so far are written out, and
# the exit status is 0, as when a capture is stopped.
for sig in INT TERM; do
	fifo=$SC_TMP/in-$sig.fifo
	mkfifo "$fifo" || sc_die "mkfifo $fifo"
	sc_start "rsig$sig" "" "" "$SOCKCAP" -r "$fifo" -tt -n
	exec 9>"$fifo"
	cat "$G/tcpdump-us.pcap" >&9
	# all of it is in the pipe now; blocked in read(2), sockcap has taken it all
	c=${SC_CPID[rsig$sig]}
	blocked() { local nr; read -r nr _ <"/proc/$c/syscall" && [ "$nr" = 0 ]; }
	sc_wait_for "sockcap -r to wait for more input" 20 blocked
	sc_stop "rsig$sig" "$sig"
	exec 9>&-
	rc=$SC_RC out=$SC_TMP/rsig$sig.out err=$SC_TMP/rsig$sig.err
	check "SIG$sig while -r waits for input" "$G/tcpdump-us.pcap.out" "" 0
done
out=$SC_TMP/out err=$SC_TMP/err

# ------------------------------------------------------------ no privileges
# Reading needs none: as root, read one file again as nobody.
if sc_is_root && command -v setpriv >/dev/null 2>&1; then
	np=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
	if "${np[@]}" test -x "$SOCKCAP"; then
		cat "$G/sockcap.pcapng" | timeout 30 "${np[@]}" "$SOCKCAP" -r - -tt -n >"$out" 2>"$err"
		rc=${PIPESTATUS[1]}
		check "sockcap -r - as nobody" "$G/sockcap.pcapng.out" "" 0
	else
		sc_log "NOTE: nobody cannot execute $SOCKCAP; not reading as nobody"
	fi
fi

sc_done
