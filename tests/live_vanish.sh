#!/bin/bash
# An interface that disappears during a capture ends it, as with tcpdump:
# one line naming the interface, what was captured written out (files
# complete, statistics as at a normal stop), exit status 1 -- soon after the
# interface is gone, not at the next signal.
#  1. vA deleted under three captures at once: summary lines, -w x.pcap and
#     -w x.pcapng. The files hold every datagram sent before the deletion,
#     and capinfos, tshark, tcpdump and a strict reader of the format
#     accept them.
#  2. -i v1 -i v2, v2 deleted: the capture ends, naming v2 only; lines and a
#     pcapng file keep what both interfaces had.
#  3. Down and up again is no error: the capture goes on, packets after
#     the up show, SIGINT ends it with status 0; and no busy loop while the
#     interface is down (the socket's error must be read, or poll() keeps
#     reporting it).
#  4. An interface deleted while down (the kernel then reports no error on
#     the socket) and one moved to another namespace have disappeared too.
#  5. -i any: interfaces come and go, the capture goes on.
# Each time the line has appeared within SC_VANISH_SECS (2) of the removal.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd getconf libc-bin
sc_need_cmd capinfos tshark
sc_need_cmd tshark tshark
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

# sockcap checks each binding every 200 ms and is woken at once by the
# socket's error; the rest is the machine's speed (the 6.1 VM is emulated).
VANISH_SECS=${SC_VANISH_SECS:-2}

sc_netns A a
sc_netns B b
sc_netns C c
for ns in "$A" "$B" "$C"; do
	sc_netns_no_ipv6 "$ns"
done

# pair IFA IFB NET: a veth pair from A to B, 198.18.NET.1/24 on IFA and .2
# on IFB, and a neighbour 198.18.NET.99 on IFB that is nobody: datagrams B
# sends there reach IFA as frames for another host, and A drops them
# without an answer. Nothing else crosses the link.
pair() {
	sc_veth "$A" "$1" "$B" "$2"
	ip -n "$A" addr add "198.18.$3.1/24" dev "$1" &&
		ip -n "$B" addr add "198.18.$3.2/24" dev "$2" &&
		ip -n "$B" neigh replace "198.18.$3.99" lladdr 02:00:00:00:00:63 dev "$2" nud permanent ||
		sc_die "cannot configure $1/$2"
}

# send NET COUNT: COUNT datagrams of 5 bytes from B to 198.18.NET.99:40001.
send() {
	sc_tg "$B" udp "198.18.$1.2" 40000 "198.18.$1.99" 40001 5 "$2" || sc_die "sender failed"
}

line_re() { # IFACE NET: the line of one of send's datagrams
	printf '^[0-9:.]+ %s P   IP 198\\.18\\.%s\\.2\\.40000 > 198\\.18\\.%s\\.99\\.40001: UDP, length 5$' \
		"$1" "$2" "$2"
}

gone_line() { printf '^sockcap: %s: interface disappeared$' "$1"; }

# vanish IFACE "NAME..." CMD...: run CMD, which makes IFACE disappear, and
# wait (60 s at most) for each sockcap NAME to say so; DETECT[NAME] is how
# long after the start of CMD its line appeared. The files are looked at
# with builtins only: a command started every round would itself take a
# good part of a second in the emulated VM.
declare -A DETECT=()
vanish() {
	local ifc=$1 t0 n i left l
	local -a names lines
	read -r -a names <<<"$2"
	shift 2
	for n in "${names[@]}"; do
		DETECT[$n]=
	done
	t0=$EPOCHREALTIME
	"$@" || sc_die "'$*' failed"
	for ((i = 0; i < 1200; i++)); do
		left=0
		for n in "${names[@]}"; do
			[ -n "${DETECT[$n]}" ] && continue
			mapfile -t lines <"$SC_TMP/$n.err"
			for l in "${lines[@]}"; do
				if [ "$l" = "sockcap: $ifc: interface disappeared" ]; then
					DETECT[$n]=$EPOCHREALTIME
					break
				fi
			done
			[ -n "${DETECT[$n]}" ] || left=1
		done
		[ "$left" -eq 0 ] && break
		sleep 0.05
	done
	for n in "${names[@]}"; do
		if [ -n "${DETECT[$n]}" ]; then
			DETECT[$n]=$(awk -v a="${DETECT[$n]}" -v b="$t0" 'BEGIN { printf "%.2f", a - b }')
			sc_log "$n: '$ifc: interface disappeared' ${DETECT[$n]}s after '$*'"
		else
			sc_log "$n: no '$ifc: interface disappeared' within 60 s of '$*'"
		fi
	done
}

# Only these on stderr: the listening line, at most one line for a vanished
# interface, statistics.
check_stderr() { # WHAT FILE
	local extra
	extra=$(grep -v -E -e '^sockcap: listening on .+, (summary mode|link-type .*)$' \
		-e '^sockcap: [^ ]+: interface disappeared$' \
		-e '^[0-9]+ packets (captured|received by filter|dropped by kernel)$' \
		-e "$SC_OWNER_STATS" "$2")
	[ -z "$extra" ] && return 0
	sc_fail "$1: unexpected lines on stderr: $extra"
}

# check_vanished NAME IFACE: NAME ended with status 1 after saying once,
# and in time, that IFACE disappeared, then printed its statistics once.
check_vanished() {
	local n=$1 err=$SC_TMP/$1.err first stats
	if ! sc_wait "$n"; then
		sc_fail "$n: still running ${SC_EXIT_SECS}s after $2 disappeared"
		sc_stop "$n" INT
	fi
	sc_check_eq "$n: exit status after $2 disappeared" 1 "$SC_RC"
	sc_expect_line "$n: the line naming $2" "$(gone_line "$2")" "$err"
	sc_expect_line "$n: no other interface named" 'interface disappeared' "$err"
	if [ -z "${DETECT[$n]}" ]; then
		sc_fail "$n: no line for $2 within 60 s"
	elif ! awk -v t="${DETECT[$n]}" -v m="$VANISH_SECS" 'BEGIN { exit !(t <= m) }'; then
		sc_fail "$n: the line naming $2 came ${DETECT[$n]}s after it was removed (more than ${VANISH_SECS}s)"
	fi
	sc_stats "$err" || return 1
	sc_check_eq "$n: statistics blocks" 1 "$SC_NBLOCKS"
	first=$(grep -n -E -e "$(gone_line "$2")" "$err" | head -n 1 | cut -d: -f1)
	stats=$(grep -n -E '^[0-9]+ packets captured$' "$err" | head -n 1 | cut -d: -f1)
	[ -n "$first" ] && [ -n "$stats" ] && [ "$first" -lt "$stats" ] ||
		sc_fail "$n: the statistics do not follow the line naming $2"
	check_stderr "$n" "$err"
}

# check_file NAME FILE FORMAT NIFS COUNT: FILE is complete, of FORMAT with
# NIFS interfaces, and holds COUNT packets, all datagrams sent by the test;
# the statistics last read by sc_stats say so too.
check_file() {
	local n=$1 f=$2 got
	sc_pf "$f" >"$f.pf" || {
		sc_show "structure of ${f##*/}" "$f.pf"
		sc_fail "$n: ${f##*/} is malformed"
		return 1
	}
	sc_expect_line "$n: format" "^format $3\$" "$f.pf"
	sc_check_eq "$n: packets in ${f##*/}" "$5" "$(awk '$1 == "packets" { print $2 }' "$f.pf")"
	if [ "$3" = pcapng ]; then
		# written at the normal end of a file, one per interface
		sc_expect_line "$n: interface statistics blocks" '^isb ' "$f.pf" "$4"
		sc_check_eq "$n: the last block" "last isb" "$(grep '^last ' "$f.pf")"
	fi
	# a file cut short is an error to capinfos (status 1 and a message)
	capinfos -c -M "$f" >"$f.capinfos" 2>"$f.capinfos.err" ||
		sc_fail "$n: capinfos ${f##*/}: status $?: $(cat "$f.capinfos.err")"
	got=$(sed -n -E 's/^Number of packets: *([0-9]+) *$/\1/p' "$f.capinfos")
	sc_check_eq "$n: capinfos: number of packets" "$5" "$got"
	got=$(tcpdump -n -r "$f" 'udp dst port 40001 and udp[4:2] = 13' 2>"$f.tcpdump.err" | wc -l)
	sc_check_eq "$n: tcpdump -r: the datagrams sent" "$5" "$got"
	sc_check_eq "$n: 'packets captured' vs packets in ${f##*/}" "$5" "$SC_CAPTURED"
	sc_check_eq "$n: captured + dropped == received" "$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED))"
}

# ------------------------------------------------------- 1. one interface
pair vA vB 0
sc_sockcap s1 "$A" -i vA
sc_sockcap p1 "$A" -i vA -w "$SC_TMP/x.pcap"
sc_sockcap n1 "$A" -i vA -w "$SC_TMP/x.pcapng"
send 0 7
# every socket on vA is handed each frame in the same pass: once the lines
# are out, the files' sockets have the frames as well (read or not)
sc_wait_for "7 lines before the deletion" 60 sc_has_lines 7 "$SC_TMP/s1.out"
vanish vA "s1 p1 n1" ip -n "$A" link del vA
for n in s1 p1 n1; do
	check_vanished "$n" vA
done
sc_stats "$SC_TMP/s1.err" &&
	sc_check_stats s1 "$SC_TMP/s1.err" "$SC_TMP/s1.out" &&
	sc_check_eq "s1: packets received by filter" 7 "$SC_RECEIVED"
sc_expect_line "s1: lines" "$(line_re vA 0)" "$SC_TMP/s1.out" 7
sc_stats "$SC_TMP/p1.err" && check_file p1 "$SC_TMP/x.pcap" pcap 1 7
sc_stats "$SC_TMP/n1.err" && check_file n1 "$SC_TMP/x.pcapng" pcapng 1 7
# and Wireshark's dissectors (once a format: tshark takes seconds to start
# in the emulated VM)
for f in x.pcap x.pcapng; do
	got=$(tshark -r "$SC_TMP/$f" -Y 'udp.dstport == 40001 && udp.length == 13' 2>"$SC_TMP/$f.tshark.err" | wc -l)
	sc_check_eq "tshark -r $f: the datagrams sent" 7 "$got"
	grep -v -e 'Running as user "root"' "$SC_TMP/$f.tshark.err" | grep -q . &&
		sc_fail "tshark -r $f: $(cat "$SC_TMP/$f.tshark.err")"
done

# ------------------------------------------------------- 2. one of two
pair v1 w1 1
pair v2 w2 2
sc_sockcap s2 "$A" -i v1 -i v2
sc_sockcap n2 "$A" -i v1 -i v2 -w "$SC_TMP/two.pcapng"
send 1 3
send 2 4
sc_wait_for "7 lines before the deletion" 60 sc_has_lines 7 "$SC_TMP/s2.out"
vanish v2 "s2 n2" ip -n "$A" link del v2
for n in s2 n2; do
	check_vanished "$n" v2
done
sc_stats "$SC_TMP/s2.err" && sc_check_stats s2 "$SC_TMP/s2.err" "$SC_TMP/s2.out"
sc_expect_line "s2: lines on v1" "$(line_re v1 1)" "$SC_TMP/s2.out" 3
sc_expect_line "s2: lines on v2" "$(line_re v2 2)" "$SC_TMP/s2.out" 4
if sc_stats "$SC_TMP/n2.err" && check_file n2 "$SC_TMP/two.pcapng" pcapng 2 7; then
	sc_check_eq "n2: packets of v1 in the file" 3 "$(awk '$1 == "pkt" && $2 == 0' "$SC_TMP/two.pcapng.pf" | wc -l)"
	sc_check_eq "n2: packets of v2 in the file" 4 "$(awk '$1 == "pkt" && $2 == 1' "$SC_TMP/two.pcapng.pf" | wc -l)"
fi
ip -n "$A" link del v1

# ------------------------------------------------------- 3. down and up
tck=$(getconf CLK_TCK)
cpu() { echo $(($(sc_proc_stat "$1" 12) + $(sc_proc_stat "$1" 13))); }
pair vA vB 0
sc_sockcap s3 "$A" -i vA
sc_sockcap n3 "$A" -i vA -w "$SC_TMP/du.pcapng"
send 0 2
sc_wait_for "2 lines before the interface goes down" 60 sc_has_lines 2 "$SC_TMP/s3.out"
declare -A c0=()
for n in s3 n3; do
	c0[$n]=$(cpu "${SC_CPID[$n]}")
done
ip -n "$A" link set vA down || sc_die "ip link set vA down failed"
sleep 1
for n in s3 n3; do
	used=$(($(cpu "${SC_CPID[$n]}") - ${c0[$n]}))
	sc_log "$n: $used/$tck s of processor time in the second vA was down"
	[ "$used" -lt $((tck / 2)) ] ||
		sc_fail "$n: $used/$tck s of processor time in the second vA was down: a busy loop"
	sc_alive "${SC_CPID[$n]}" || sc_fail "$n: exited when vA went down"
done
ip -n "$A" link set vA up || sc_die "ip link set vA up failed"
# the link may take a moment to carry frames again: send until one shows
ip -n "$B" neigh replace 198.18.0.99 lladdr 02:00:00:00:00:63 dev vB nud permanent
for ((i = 0; i < 50; i++)); do
	send 0 1
	sleep 0.2
	sc_has_lines 3 "$SC_TMP/s3.out" && break
done
sc_has_lines 3 "$SC_TMP/s3.out" || sc_fail "s3: no packet shown after vA came up again"
sleep 0.3
shown=$(sc_lines "$SC_TMP/s3.out")
send 0 3
sc_wait_for "3 more lines after the up" 60 sc_has_lines $((shown + 3)) "$SC_TMP/s3.out"
sleep 0.5 # a few of sockcap's checks of the binding
for n in s3 n3; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status after down, up and SIGINT" 0 "$SC_RC"
	grep -q 'disappeared' "$SC_TMP/$n.err" && sc_fail "$n: vA said to have disappeared"
	check_stderr "$n" "$SC_TMP/$n.err"
done
sc_stats "$SC_TMP/s3.err" && sc_check_stats s3 "$SC_TMP/s3.err" "$SC_TMP/s3.out"
sc_check_eq "s3: every line one of the datagrams" 0 \
	"$(grep -c -v -E -e "$(line_re vA 0)" "$SC_TMP/s3.out")"
sent=$(sc_lines "$SC_TMP/s3.out")
sc_stats "$SC_TMP/n3.err" && check_file n3 "$SC_TMP/du.pcapng" pcapng 1 "$sent"

# ------------------------------------------------------- 4. down, then deleted; moved
sc_sockcap s4 "$A" -i vA
ip -n "$A" link set vA down || sc_die "ip link set vA down failed"
sleep 0.5
sc_alive "${SC_CPID[s4]}" || sc_fail "s4: exited when vA went down"
vanish vA s4 ip -n "$A" link del vA
check_vanished s4 vA

pair vA vB 0
sc_sockcap s5 "$A" -i vA
vanish vA s5 ip -n "$A" link set vA netns "$C"
check_vanished s5 vA
ip -n "$C" link del vA

# ------------------------------------------------------- 5. -i any
sc_sockcap s6 "$A" -i any
ip -n "$A" link add vX type veth peer name vY &&
	ip -n "$A" link set vX up && ip -n "$A" link set vY up ||
	sc_die "cannot create vX/vY"
sleep 0.3
ip -n "$A" link del vX || sc_die "cannot delete vX"
sleep 1 # five of sockcap's checks
sc_alive "${SC_CPID[s6]}" || sc_fail "s6: -i any ended when an interface was deleted"
sc_stop s6 INT
sc_check_eq "s6: -i any: exit status after SIGINT" 0 "$SC_RC"
check_stderr s6 "$SC_TMP/s6.err"
grep -q 'disappeared' "$SC_TMP/s6.err" && sc_fail "s6: -i any: an interface said to have disappeared"
sc_stats "$SC_TMP/s6.err" && sc_check_stats s6 "$SC_TMP/s6.err" "$SC_TMP/s6.out"

sc_done
