#!/bin/bash
# Filter expressions (tcpdump syntax, compiled by libpcap, run in the kernel
# as eBPF), checked against tcpdump with the same expression on the same
# traffic.
#
# 1. A veth pair between namespaces A and B carries mixed traffic both ways
#    (UDP to several ports, with TTL 33 too, TCP connections, ICMP echo,
#    IPv6 UDP and ICMPv6 with neighbour discovery, ARP, a broadcast,
#    802.1Q-tagged frames going out with their tag in the frame and coming
#    in with it taken out by the receive path, a frame for another host).
#    While it flows, for each of 22 expressions (and one read with -F
#    from a file with comments) sockcap -w, tcpdump -w and sockcap in
#    summary mode capture on vA. tcpdump's file must hold some of the
#    traffic, and sockcap's its frames byte for byte; the statistics add
#    up, "received by filter" is the number of packets in the file (or of
#    lines), "seen by the socket" counts at least every packet of the
#    traffic; the summary lines are those sockcap -r prints for tcpdump's
#    file, and those sockcap -r prints for an unfiltered capture given the
#    same expression (libpcap's interpreter) where a file can tell what the
#    live capture was told (else what tcpdump -r makes of it, or refuses).
# 2. -Q in, -Q out and -Q inout (with --print -w) against tcpdump -Q in,
#    -Q out and a plain tcpdump: the same frames, and the direction column
#    says In/B/M/P, Out, or both.
#
# -D, -d and errors are cli_filter.sh's, a flood live_filter_flood.sh's.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_filter.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

# ================================================================ helpers

# frames FILE OUT [FILE OUT]...: for each pair, tcpdump -n -S -e -xx -r FILE
# into OUT as one line a packet, "TEXT | BYTES", background and the
# warm-up left out, and the number of all packets into OUT.n (see
# tests/frames.py); a file tcpdump cannot read is a failed check. One
# process for all files (a Python start costs seconds in an emulated VM).
frames() {
	local msg
	msg=$("$SC_PYTHON" "$SC_FRAMES" --bg "$WARMUP" "$@") || sc_fail "$msg"
}

# The warm-up before the traffic (see there), left out of every comparison
# with the background.
WARMUP='198\.18\.0\.[56] > 198\.18\.0\.[56]: ICMP echo'

# The part of a line of sockcap -r (pcap: no interface, no direction)
# after the time; live_norm: of a live line, after the time, interface and
# direction (as sc_norm_sockcap). Background (sc_drop_background) and
# warm-up left out.
BG_SED="/multicast listener|router solicitation|$WARMUP/d"
r_norm() { sed -E -e "$BG_SED" -e 's/^[0-9:.]+ //'; }
live_norm() { sed -E -e "$BG_SED" -e 's/^[0-9:.]+ [^ ]+ (In |Out|B  |M  |P  |\?  ) //'; }

# td_counts NAME: ask tcpdump NAME for its counts (SIGUSR1); prints
# "CAPTURED RECEIVED DROPPED".
td_counts() {
	local f=$SC_TMP/$1.err re='^tcpdump: ([0-9]+) packets? captured, ([0-9]+) packets? received by filter, ([0-9]+) packets? dropped by kernel$'
	local before i line
	before=$(grep -c -E "$re" "$f")
	sc_signal "$1" USR1 || return 1
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c -E "$re" "$f")" -gt "$before" ] && break
		sleep 0.1
	done
	line=$(grep -E "$re" "$f" | tail -n 1)
	[[ $line =~ $re ]] || return 1
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
}

# drain_tcpdump NAME: a signal stops tcpdump without reading what is still
# queued, so wait (bounded) until it has written every packet its socket
# took: "captured" == "received" or, when libpcap leaves some out in user
# space (-Q; an expression the kernel refuses, such as protochain's
# backward jumps; see also the warm-up below), the same counts twice, half
# a second apart. One that never gets there is left to the comparison.
drain_tcpdump() {
	local i now last='' cap recv
	for ((i = 0; i < 40; i++)); do
		now=$(td_counts "$1") || break
		read -r cap recv _ <<<"$now"
		[ "$cap" = "$recv" ] && return 0
		[ "$now" = "$last" ] && return 0
		last=$now
		sleep 0.5
	done
	sc_log "NOTE: $1 still had packets to write after 20 s"
}

# tcpdump's end of run: exit 0 after SIGTERM, nothing dropped (a
# comparison with a tcpdump that dropped packets would be meaningless).
check_tcpdump_end() {
	local d
	sc_check_eq "$1: tcpdump's exit status" 0 "${SC_RCS[$1]}"
	d=$(sed -n -E 's/^([0-9]+) packets? dropped by kernel$/\1/p' "$SC_TMP/$1.err")
	[ "$d" = 0 ] || sc_die "$1: tcpdump dropped packets ('${d:-no statistics}'), cannot compare"
}

# check_end NAME EXPR: sockcap NAME exited 0 after SIGINT; its counts add up
# (captured + dropped + not shown/written == received), nothing was
# dropped, and with EXPR the "seen by the socket" line is there, counting
# at least the received packets and every packet of the traffic (N_ALL).
check_end() {
	local n=$1
	sc_check_eq "$n: exit status after SIGINT" 0 "${SC_RCS[$n]}"
	stats "$n" || return 1
	sc_check_eq "$n: captured + dropped + not shown/written == received" \
		"$S_RECV" "$((S_CAPT + S_DROP + S_MORE))"
	sc_check_eq "$n: packets dropped" 0 "$S_DROP"
	if [ -z "$2" ]; then
		[ -z "$S_SEEN" ] || sc_fail "$n: a 'seen by the socket' line without an expression"
		return 0
	fi
	if [ -z "$S_SEEN" ]; then
		sc_fail "$n: no 'seen by the socket' line with an expression"
		return 1
	fi
	[ "$S_SEEN" -ge "$S_RECV" ] ||
		sc_fail "$n: $S_SEEN packets seen by the socket, fewer than the $S_RECV received by filter"
	[ "$S_SEEN" -ge "$N_ALL" ] ||
		sc_fail "$n: $S_SEEN packets seen by the socket, fewer than the $N_ALL packets of the traffic"
}

# ================================================================ setup
sc_pair_link
# a second address each side, and a host B believes is on the link
ip -n "$A" addr add 198.18.0.3/24 dev vA &&
	ip -n "$A" addr add fd00:198:18::3/64 dev vA nodad &&
	ip -n "$B" neigh add 198.18.0.4 lladdr "$OTHER_MAC" dev vB ||
	sc_die "cannot configure addresses"
# for the warm-up: addresses that need no ARP
ip -n "$A" addr add 198.18.0.5/24 dev vA &&
	ip -n "$B" addr add 198.18.0.6/24 dev vB &&
	ip -n "$A" neigh add 198.18.0.6 lladdr "$MB" dev vA nud permanent &&
	ip -n "$B" neigh add 198.18.0.5 lladdr "$MA" dev vB nud permanent ||
	sc_die "cannot configure the warm-up addresses"

filter_exprs
filter_files

# What a pcap file cannot tell: a tag that the receive path took out of a
# frame coming in is back in the frame in the file, so "not udp" (the
# EtherType at offset 12) is true there for tagged UDP, false live; and
# inbound, outbound and ifindex need what only the kernel knew, which a
# pcap file does not keep (tcpdump -r refuses them: so must sockcap).
declare -A FILE_DIFFERS=([notudp]=1)
declare -A KERNEL_ONLY=([inb]=1 [outb]=1 [ifidx]=1)

# ================================================================ capture
sc_start srvA "$A" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40100 40010 40011 40013 40099
sc_start srvB "$B" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40002 40001 40005

TD=(tcpdump -Z root -U --immediate-mode -B 16384 -n -i vA)
start tall "${TD[@]}" -w "$SC_TMP/tall.pcap"
for n in "${NAMES[@]}"; do
	if [ "$n" = ffile ]; then
		start "t_$n" "${TD[@]}" -w "$SC_TMP/t_$n.pcap" -F "$SC_TMP/filter"
		start "w_$n" "$SOCKCAP" -i vA -B "$RING" -w "$SC_TMP/w_$n.pcap" -F "$SC_TMP/filter"
		start "s_$n" "$SOCKCAP" -i vA -B "$RING" -F "$SC_TMP/filter"
		continue
	fi
	words "${EX[$n]}"
	start "t_$n" "${TD[@]}" -w "$SC_TMP/t_$n.pcap" "${EX[$n]}"
	start "w_$n" "$SOCKCAP" -i vA -B "$RING" -w "$SC_TMP/w_$n.pcap" "${WORDS[@]}"
	start "s_$n" "$SOCKCAP" -i vA -B "$RING" "${WORDS[@]}"
done
# -Q: the file and the lines of one run (--print)
for q in in out inout; do
	start "q_$q" "$SOCKCAP" -i vA -B "$RING" -Q "$q" --print -w "$SC_TMP/q_$q.pcap"
done
start tq_in "${TD[@]}" -Q in -w "$SC_TMP/tq_in.pcap"
start tq_out "${TD[@]}" -Q out -w "$SC_TMP/tq_out.pcap"
ready_all

# Warm-up: libpcap filters the packets of the first block of its ring in
# user space (they could have passed the filter it had before), where what
# inbound, outbound and ifindex test (packet type, interface) is not known:
# those match nothing there (libpcap issues 1254 and 1482). A few echo
# requests and replies, each in a block of its own, get every tcpdump past
# that; they need no ARP, and no comparison looks at them.
for i in 1 2 3; do
	sc_tg "$B" ping 198.18.0.6 198.18.0.5 4097 "$i" || sc_die "warm-up ping $i failed"
	sleep 0.3
done

# Out of vA: tagged frames with the tag in the frame; into vA: tagged
# frames whose tag the receive path takes out (vlan reads it from the
# packet's metadata, and the file gets it back). Lengths stay clear of the
# bounds of "greater 100" and "less 80" with and without a tag.
from_a=(
	udp 198.18.0.1 40000 198.18.0.2 40001 18 +
	udp 198.18.0.1 40000 198.18.0.2 40001 1200 +
	udp 198.18.0.1 40008 198.18.0.2 40005 30 2 33 +
	tcp 198.18.0.1 40003 198.18.0.2 40002 +
	ping 198.18.0.1 198.18.0.2 4660 1 +
	udp fd00:198:18::1 40004 fd00:198:18::2 40005 21 +
	ping fd00:198:18::1 fd00:198:18::2 4661 2 +
	vlan vA "$MB" 20 5 198.18.20.1 198.18.20.2 40020 40021 23 +
	vlan vA "$MB" 21 6 198.18.21.1 198.18.21.2 40022 40023 300
)
from_b=(
	bcast 198.18.0.2 40009 198.18.0.255 40010 7 +
	udp 198.18.0.2 40009 198.18.0.3 40011 8 +
	udp 198.18.0.2 40009 198.18.0.4 40012 9 +
	udp 198.18.0.2 40009 198.18.0.1 40011 1000 +
	udp 198.18.0.2 40009 198.18.0.1 40011 40 1 33 +
	udp fd00:198:18::2 40009 fd00:198:18::3 40013 10 +
	tcp 198.18.0.2 40014 198.18.0.1 40100 +
	ping 198.18.0.2 198.18.0.1 4662 3 +
	vlan vB "$MA" 20 2 198.18.20.2 198.18.20.1 40024 40025 50 +
	vlan vB "$MA" 30 3 198.18.30.2 198.18.30.1 40030 40031 24 +
	vlan vB "$MA" 31 4 198.18.31.2 198.18.31.1 40032 40033 84 +
	udp 198.18.0.2 40009 198.18.0.1 40099 4
)
sc_tg "$A" "${from_a[@]}" || sc_die "traffic from A failed"
sc_tg "$B" "${from_b[@]}" || sc_die "traffic from B failed"

# The last datagram is the marker: once the unfiltered tcpdump has it,
# every socket on vA has had every packet through its filter (they run
# for each packet in turn), and sockcap reads what is queued when it is
# stopped. tcpdump does not: see drain_tcpdump.
marker='198\.18\.0\.2\.40009 > 198\.18\.0\.1\.40099: UDP, length 4$'
sc_wait_for "the marker in tcpdump's file" 60 sc_pcap_has "$marker" "$SC_TMP/tall.pcap"
drain_tcpdump tall
for n in "${NAMES[@]}" ; do drain_tcpdump "t_$n"; done
drain_tcpdump tq_in
drain_tcpdump tq_out

sockcaps=()
for n in "${NAMES[@]}"; do sockcaps+=("w_$n" "s_$n"); done
stop_all INT "${sockcaps[@]}" q_in q_out q_inout
tcpdumps=(tall tq_in tq_out)
for n in "${NAMES[@]}"; do tcpdumps+=("t_$n"); done
stop_all TERM "${tcpdumps[@]}"
for n in "${tcpdumps[@]}"; do check_tcpdump_end "$n"; done

# ================================================================ compare
args=("$SC_TMP/tall.pcap" "$SC_TMP/tall.frames")
for n in "${NAMES[@]}"; do
	args+=("$SC_TMP/t_$n.pcap" "$SC_TMP/t_$n.frames")
	[ -n "${FAILED[w_$n]:-}" ] || args+=("$SC_TMP/w_$n.pcap" "$SC_TMP/w_$n.frames")
done
for q in in out inout; do args+=("$SC_TMP/q_$q.pcap" "$SC_TMP/q_$q.frames"); done
for q in in out; do args+=("$SC_TMP/tq_$q.pcap" "$SC_TMP/tq_$q.frames"); done
frames "${args[@]}"
N_ALL=$(sc_lines "$SC_TMP/tall.frames")
sc_log "tcpdump saw $(<"$SC_TMP/tall.frames.n") packets on vA, $N_ALL of them the test's"

for n in "${NAMES[@]}"; do
	e=${EX[$n]}
	what="$n ('$e')"
	words "$e"
	[ "$n" = ffile ] && what="$n (-F, '$e')"
	nt=$(sc_lines "$SC_TMP/t_$n.frames")
	[ "$nt" -gt 0 ] || sc_fail "$what: tcpdump's file has no packet of the traffic: nothing is compared"

	# -w: tcpdump's frames, byte for byte; received == packets in the file
	if [ -z "${FAILED[w_$n]:-}" ]; then
		check_end "w_$n" "$e"
		sc_check_eq "$what -w: packets in the file vs 'packets captured'" "$S_CAPT" "$(<"$SC_TMP/w_$n.frames.n")"
		sc_check_eq "$what -w: packets in the file vs 'received by filter'" "$S_RECV" "$(<"$SC_TMP/w_$n.frames.n")"
		sc_same_lines "$what -w: frames vs tcpdump -w" "$SC_TMP/t_$n.frames" "$SC_TMP/w_$n.frames"
	fi

	# summary mode: the lines sockcap -r prints for tcpdump's file
	"$SOCKCAP" -r "$SC_TMP/t_$n.pcap" >"$SC_TMP/r_$n.out" 2>"$SC_TMP/r_$n.err" ||
		sc_fail "$what: sockcap -r of tcpdump's file failed: $(head -c 300 "$SC_TMP/r_$n.err")"
	r_norm <"$SC_TMP/r_$n.out" >"$SC_TMP/r_$n.lines"
	if [ -z "${FAILED[s_$n]:-}" ]; then
		check_end "s_$n" "$e"
		sc_check_eq "$what: lines printed vs 'packets captured'" "$S_CAPT" "$(sc_lines "$SC_TMP/s_$n.out")"
		live_norm <"$SC_TMP/s_$n.out" >"$SC_TMP/s_$n.lines"
		sc_same_lines "$what: summary lines vs sockcap -r of tcpdump's file" "$SC_TMP/r_$n.lines" "$SC_TMP/s_$n.lines"
	fi

	# the unfiltered capture read with the expression (libpcap's
	# interpreter): the same lines, where a file can tell what the live
	# capture was told; else what tcpdump -r makes of it
	if [ "$n" = ffile ]; then
		rx=(-F "$SC_TMP/filter") tx=(-F "$SC_TMP/filter")
	else
		rx=("${WORDS[@]}") tx=("$e")
	fi
	"$SOCKCAP" -r "$SC_TMP/tall.pcap" "${rx[@]}" >"$SC_TMP/ra_$n.out" 2>"$SC_TMP/ra_$n.err"
	rc=$?
	if [ -n "${KERNEL_ONLY[$n]:-}" ]; then
		tcpdump -r "$SC_TMP/tall.pcap" "${tx[@]}" >/dev/null 2>&1 &&
			sc_die "tcpdump -r accepts '$e' for a file"
		sc_check_eq "$what: sockcap -r of the unfiltered capture (tcpdump -r refuses it): exit status" 1 "$rc"
		[ -s "$SC_TMP/ra_$n.out" ] && sc_fail "$what: sockcap -r of the unfiltered capture printed lines"
		[ "$(sc_lines "$SC_TMP/ra_$n.err")" = 1 ] && grep -q '^sockcap: ' "$SC_TMP/ra_$n.err" ||
			sc_fail "$what: sockcap -r of the unfiltered capture: not one line 'sockcap: ...' on stderr: $(head -c 300 "$SC_TMP/ra_$n.err")"
		continue
	fi
	sc_check_eq "$what: sockcap -r of the unfiltered capture with the expression: exit status" 0 "$rc"
	r_norm <"$SC_TMP/ra_$n.out" >"$SC_TMP/ra_$n.lines"
	if [ -z "${FILE_DIFFERS[$n]:-}" ]; then
		sc_same_lines "$what: sockcap -r of the unfiltered capture with the expression vs the live lines" \
			"$SC_TMP/r_$n.lines" "$SC_TMP/ra_$n.lines"
	else
		tcpdump -r "$SC_TMP/tall.pcap" -w "$SC_TMP/ref_$n.pcap" "${tx[@]}" 2>"$SC_TMP/ref_$n.err" ||
			sc_die "tcpdump -r with '$e' failed: $(head -c 300 "$SC_TMP/ref_$n.err")"
		"$SOCKCAP" -r "$SC_TMP/ref_$n.pcap" | r_norm >"$SC_TMP/ref_$n.lines"
		sc_same_lines "$what: sockcap -r of the unfiltered capture with the expression vs tcpdump -r with it" \
			"$SC_TMP/ref_$n.lines" "$SC_TMP/ra_$n.lines"
	fi
done

# ================================================================ -Q
# tcpdump -Q in/out and the plain tcpdump: the same frames; every line of
# -Q in received (In, B, M, P), of -Q out sent; inout has both.
for q in in out inout; do
	n=q_$q
	check_end "$n" ""
	sc_check_eq "-Q $q: packets in the file vs 'received by filter'" "$S_RECV" "$(<"$SC_TMP/$n.frames.n")"
	sc_check_eq "-Q $q: lines printed vs 'packets captured'" "$S_CAPT" "$(sc_lines "$SC_TMP/$n.out")"
	ref=$SC_TMP/tq_$q.frames
	[ "$q" = inout ] && ref=$SC_TMP/tall.frames
	sc_same_lines "-Q $q: frames vs tcpdump -Q $q" "$ref" "$SC_TMP/$n.frames"
	sc_dir_sockcap <"$SC_TMP/$n.out" | cut -d '|' -f 1 >"$SC_TMP/$n.dirs"
	case $q in
	in) bad=$(grep -v -x -E '(In |B  |M  |P  )' "$SC_TMP/$n.dirs" | sort | uniq -c) ;;
	out) bad=$(grep -v -x -E 'Out' "$SC_TMP/$n.dirs" | sort | uniq -c) ;;
	inout) bad=$(grep -q -x 'Out' "$SC_TMP/$n.dirs" && grep -q -x 'In ' "$SC_TMP/$n.dirs" ||
		echo "not both In and Out") ;;
	esac
	[ -z "$bad" ] || sc_fail "-Q $q: wrong directions: $(tr '\n' ' ' <<<"$bad")"
	sc_log "-Q $q: directions $(sort "$SC_TMP/$n.dirs" | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')"
done

sc_done
