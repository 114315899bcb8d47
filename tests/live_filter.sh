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
# 3. -D in namespace A: every interface with its index (as ip link says),
#    Up/Running for vA and lo, Down for an interface that is down, Up
#    without Running for one without carrier; "any" last.
# 4. Errors: an expression libpcap cannot compile, or that rejects every
#    packet, ends sockcap with status 1 and libpcap's message (as tcpdump
#    prints it) on one line, before anything starts (no capture file, no
#    "listening on"), in a live capture and with -r; -F reads a file with
#    '#' comments like tcpdump -F; -F with an expression on the command
#    line, and -F of a missing file, are errors.
# 5. -d prints what tcpdump -d -i vA prints for many expressions; -dd and
#    --dump-ebpf print a well-formed list of eBPF instructions.
# 6. On a link that carries nothing but the test's datagrams, a flood of
#    which a handful match: exactly the matching packets are printed and
#    written, and "seen by the socket" - "received by filter" is the number
#    of datagrams of the flood (also with -Q in and -Q out, whose
#    expression program sees the packets received either way).
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

# sockcap's rings: the traffic is a few hundred kilobytes, and some fifty
# captures with the default 16 MiB would not fit in a small VM
RING=1024
OTHER_MAC=02:00:00:00:00:04 # B's neighbour 198.18.0.4: nobody has it

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

# Shell words of an expression, as a user types it: sockcap joins them.
words() { read -r -a WORDS <<<"$1"; }

# start NAME CMD...: run CMD in A without waiting for it; ready_all then
# waits for every one started so, so that they start side by side. A
# sockcap that exits instead is a failed check, and its name is kept in
# FAILED; a tcpdump or anything else ends the test.
STARTED=()
declare -A FAILED=()
start() {
	local name=$1
	shift
	sc_start "$name" "$A" "" "$@"
	STARTED+=("$name")
}
ready_all() {
	local n i
	for n in "${STARTED[@]}"; do
		for ((i = 0; i < SC_READY_SECS * 10; i++)); do
			grep -q -E 'listening on ' "$SC_TMP/$n.err" 2>/dev/null && continue 2
			sc_alive "${SC_CPID[$n]}" || break
			sleep 0.1
		done
		if [ "${SC_CPID[$n]}" ] && ! sc_alive "${SC_CPID[$n]}" &&
			grep -q -E '^sockcap: ' "$SC_TMP/$n.err"; then
			sc_fail "$n: sockcap exited instead of capturing: $(head -c 300 "$SC_TMP/$n.err")"
			FAILED[$n]=1
			continue
		fi
		sed 's/^/  | /' "$SC_TMP/$n.err" >&2
		sc_die "$n did not start listening within ${SC_READY_SECS}s"
	done
	STARTED=()
}

# stop_all SIG NAME...: signal them all, then wait for each; SC_RCS[NAME]
# is its exit status (or "hung").
declare -A SC_RCS=()
stop_all() {
	local sig=$1 n
	shift
	for n; do [ -n "${FAILED[$n]:-}" ] || sc_signal "$n" "$sig" 2>/dev/null; done
	for n; do
		if [ -n "${FAILED[$n]:-}" ]; then
			sc_wait "$n"
			SC_RCS[$n]=failed
		elif sc_wait "$n"; then
			SC_RCS[$n]=$SC_RC
		else
			sc_fail "$n did not exit within ${SC_EXIT_SECS}s of SIG$sig"
			SC_RCS[$n]=hung
			sc_signal "$n" KILL 2>/dev/null
			sc_wait "$n" 10
		fi
	done
}

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

# has_n FRAMES N: the file has at least N lines (test helper for polls).
has_n() { [ "$(sc_lines "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }

# tcpdump's end of run: exit 0 after SIGTERM, nothing dropped (a
# comparison with a tcpdump that dropped packets would be meaningless).
check_tcpdump_end() {
	local d
	sc_check_eq "$1: tcpdump's exit status" 0 "${SC_RCS[$1]}"
	d=$(sed -n -E 's/^([0-9]+) packets? dropped by kernel$/\1/p' "$SC_TMP/$1.err")
	[ "$d" = 0 ] || sc_die "$1: tcpdump dropped packets ('${d:-no statistics}'), cannot compare"
}

# stats NAME: the statistics block sockcap NAME printed when it exited:
# S_CAPT, S_RECV, S_DROP, S_MORE ("not shown" or "not written", 0 when
# absent), S_SEEN ("seen by the socket", "" when absent). Exactly one
# block, and nothing else on stderr but the "listening on" line. (Read
# with the shell's own means: this runs for some fifty captures.)
stats() {
	local line blocks=0 extra=
	S_CAPT='' S_RECV='' S_DROP='' S_MORE=0 S_SEEN=''
	while IFS= read -r line; do
		if [[ $line =~ ^([0-9]+)\ packets\ captured$ ]]; then
			S_CAPT=${BASH_REMATCH[1]} blocks=$((blocks + 1))
		elif [[ $line =~ ^([0-9]+)\ packets\ received\ by\ filter$ ]]; then
			S_RECV=${BASH_REMATCH[1]}
		elif [[ $line =~ ^([0-9]+)\ packets\ dropped\ by\ kernel$ ]]; then
			S_DROP=${BASH_REMATCH[1]}
		elif [[ $line =~ ^([0-9]+)\ packets\ not\ (shown|written)\ \(count\ reached\)$ ]]; then
			S_MORE=${BASH_REMATCH[1]}
		elif [[ $line =~ ^([0-9]+)\ packets\ seen\ by\ the\ socket\ \(before\ the\ filter\ expression\)$ ]]; then
			S_SEEN=${BASH_REMATCH[1]}
		elif [[ $line != "sockcap: listening on vA, summary mode" &&
			$line != "sockcap: listening on vA, link-type EN10MB (Ethernet), snapshot length 262144 bytes" ]]; then
			extra+="$line; "
		fi
	done <"$SC_TMP/$1.err"
	[ -z "$extra" ] || sc_fail "$1: unexpected lines on stderr: ${extra:0:300}"
	if [ "$blocks" != 1 ] || [ -z "$S_RECV" ] || [ -z "$S_DROP" ]; then
		sc_fail "$1: not exactly one complete statistics block on stderr"
		sc_show "$1.err" "$SC_TMP/$1.err"
		S_CAPT=x S_RECV=y S_DROP=z
		return 1
	fi
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

# in_a CMD...: CMD in namespace A, bounded in time, stdin from /dev/null.
in_a() { ip netns exec "$A" timeout "$SC_EXIT_SECS" "$@" </dev/null; }

# ================================================================ setup
sc_netns A fa
sc_netns B fb
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
	ip -n "$B" neigh add 198.18.0.4 lladdr "$OTHER_MAC" dev vB ||
	sc_die "cannot configure addresses"
# for the warm-up: addresses that need no ARP
ip -n "$A" addr add 198.18.0.5/24 dev vA &&
	ip -n "$B" addr add 198.18.0.6/24 dev vB &&
	ip -n "$A" neigh add 198.18.0.6 lladdr "$MB" dev vA nud permanent &&
	ip -n "$B" neigh add 198.18.0.5 lladdr "$MA" dev vB nud permanent ||
	sc_die "cannot configure the warm-up addresses"

# The expressions of the live comparison: NAME -> expression. "ffile" is
# read with -F from the file below; the last five go beyond what the
# others need of the translation (an indirect load computed from the
# packet, protochain's loop over IPv6 headers, arithmetic, the interface
# index the kernel knows, a tag read from the metadata or the frame in
# either branch).
NAMES=(port icmparp ip6 syn vlan20 vlanudp notudp gt100 lt80 bcast hostudp
	prange ttl icmp6 ehost inb outb ffile tcpdata pchain arith ifidx v2030)
declare -A EX=(
	[port]='udp port 40001'
	[icmparp]='icmp or arp'
	[ip6]='ip6'
	[syn]='tcp[tcpflags] & tcp-syn != 0'
	[vlan20]='vlan 20'
	[vlanudp]='vlan and udp'
	[notudp]='not udp'
	[gt100]='greater 100'
	[lt80]='less 80'
	[bcast]='ether broadcast'
	[hostudp]='host 198.18.0.2 and udp'
	[prange]='portrange 40000-40005'
	[ttl]='ip[8] == 33'
	[icmp6]='icmp6'
	[ehost]="ether host $OTHER_MAC"
	[inb]='inbound'
	[outb]='outbound'
	[ffile]='udp and dst host 198.18.0.1 and not port 40099'
	[tcpdata]='tcp[((tcp[12] & 0xf0) >> 2):4] = 0x68656c6c'
	[pchain]='ip6 protochain 58'
	[arith]='udp and (ip[2:2] - 28) % 100 == 0'
	[ifidx]="ifindex $(ip -n "$A" -o link show vA | cut -d: -f1)"
	[v2030]='vlan 20 or vlan 30'
)
# the same as EX[ffile], with comments as tcpdump -F takes them: whole
# lines, after a word, right after a word, tab-indented, at the very end
# without a newline
printf '%s\n' '# datagrams for namespace A' 'udp # any UDP' \
	'	and dst host 198.18.0.1# to A only' '# (not the marker)' >"$SC_TMP/filter"
printf '%s' 'and not port 40099 # at the end' >>"$SC_TMP/filter"
printf '%s\n' '# nothing but comments' '   # here either' >"$SC_TMP/filter.empty"

# What a pcap file cannot tell: a tag that the receive path took out of a
# frame coming in is back in the frame in the file, so "not udp" (the
# EtherType at offset 12) is true there for tagged UDP, false live; and
# inbound, outbound and ifindex need what only the kernel knew, which a
# pcap file does not keep (tcpdump -r refuses them: so must sockcap).
declare -A FILE_DIFFERS=([notudp]=1)
declare -A KERNEL_ONLY=([inb]=1 [outb]=1 [ifidx]=1)

# ================================================================ -D
# Before any capture (none makes vA promiscuous yet). vD/vD2: a veth pair
# in A, down; then vD up with vD2 down (no carrier: Up, not Running).
ip -n "$A" link add vD type veth peer name vD2 || sc_die "cannot create vD/vD2"
listing() {
	in_a "$SOCKCAP" -D >"$SC_TMP/D.out" 2>"$SC_TMP/D.err"
	D_RC=$?
}
# d_has NAME FLAGS: -D (run now) has the line "INDEX.NAME [FLAGS]", with
# the index ip link gives NAME
d_has() { listing && grep -q -x -F "$(ip -n "$A" -o link show "$1" | cut -d: -f1).$1 [$2]" "$SC_TMP/D.out"; }
sc_wait_for "-D to show vA up and running" 20 d_has vA "Up, Running"
sc_check_eq "-D: exit status" 0 "$D_RC"
[ -s "$SC_TMP/D.err" ] && sc_fail "-D: wrote on stderr: $(head -c 300 "$SC_TMP/D.err")"
# the last line is the pseudo-interface for every interface (-i any)
ANY_LINE='any (every interface) [Up, Running]'
sc_check_eq "-D: last line" "$ANY_LINE" "$(tail -n 1 "$SC_TMP/D.out")"
ip -n "$A" -o link show | awk -F ': ' '{ split($2, n, "@"); print $1 "." n[1] }' >"$SC_TMP/D.want"
sed -e '$d' -E -e 's/ \[[^]]*\]$//' "$SC_TMP/D.out" >"$SC_TMP/D.got"
sc_check_eq "-D: INDEX.NAME of every interface in A, as ip link lists them" \
	"$(cat "$SC_TMP/D.want")" "$(cat "$SC_TMP/D.got")"
bad=$(sed '$d' "$SC_TMP/D.out" | grep -v -E '^[0-9]+\.[^ ]+ \[[A-Za-z -]*(, [A-Za-z -]+)*\]$')
[ -z "$bad" ] || sc_fail "-D: malformed lines: $bad"
for spec in "lo|Up, Running, Loopback" "vA|Up, Running" "vD|Down" "vD2|Down"; do
	d_has "${spec%%|*}" "${spec#*|}" ||
		sc_fail "-D: no line '<index>.${spec%%|*} [${spec#*|}]': $(tr '\n' ';' <"$SC_TMP/D.out")"
done
ip -n "$A" link set vD up || sc_die "cannot bring up vD"
sc_wait_for "-D to show vD up without carrier" 20 d_has vD "Up"
d_has vD2 "Down" || sc_fail "-D: vD2 not shown as Down: $(tr '\n' ';' <"$SC_TMP/D.out")"
ip -n "$A" link set vD2 up || sc_die "cannot bring up vD2"
sc_wait_for "-D to show vD up and running once its peer is up" 20 d_has vD "Up, Running"
# and in B, B's interfaces
ip netns exec "$B" timeout "$SC_EXIT_SECS" "$SOCKCAP" -D >"$SC_TMP/DB.out" 2>&1 </dev/null
sc_check_eq "-D in B" "1.lo [Up, Running, Loopback]
$(ip -n "$B" -o link show vB | cut -d: -f1).vB [Up, Running]
$ANY_LINE" "$(cat "$SC_TMP/DB.out")"
ip -n "$A" link del vD || sc_die "cannot delete vD"

# ================================================================ -d, -dd
# -d against tcpdump -d -i vA, for expressions of every kind (VLAN stacks,
# MPLS, protochain, ancillary data, arithmetic, loads past any packet, no
# expression). One shell in A runs them all: each command started costs
# much in an emulated VM.
DEXPRS=('vlan 10' 'ip6 protochain 6' 'tcp port 80' '' 'udp port 40001' 'vlan and udp'
	'tcp[tcpflags] & tcp-syn != 0' 'inbound' 'vlan 10 and vlan 20' 'mpls 5'
	'icmp[icmptype] == icmp-echo' 'ether host 02:00:00:00:00:04 or ether broadcast'
	'ip[2:2] % 7 == 3' 'ip[70000] = 1' 'ifindex 2' "${EX[tcpdata]}" "${EX[arith]}")
D=$SC_TMP/d
mkdir "$D" || sc_die "mkdir $D failed"
D=$D SC=$SOCKCAP ip netns exec "$A" timeout $((SC_EXIT_SECS * 4)) bash -c '
	i=0
	for e; do
		i=$((i + 1))
		tcpdump -d -i vA "$e" >"$D/td.$i" 2>"$D/td.$i.err"
		echo $? >"$D/td.$i.rc"
		read -r -a w <<<"$e"
		"$SC" -d -i vA "${w[@]}" >"$D/sc.$i" 2>"$D/sc.$i.err"
		echo $? >"$D/sc.$i.rc"
	done' _ "${DEXPRS[@]}" </dev/null || sc_die "the -d commands in A failed or took too long"
i=0
for e in "${DEXPRS[@]}"; do
	i=$((i + 1))
	[ "$(<"$D/td.$i.rc")" = 0 ] || sc_die "tcpdump -d -i vA '$e' failed: $(<"$D/td.$i.err")"
	sc_check_eq "-d '$e': exit status" 0 "$(<"$D/sc.$i.rc")"
	[ -s "$D/sc.$i.err" ] && sc_fail "-d '$e': wrote on stderr: $(<"$D/sc.$i.err")"
	[ "$(<"$D/td.$i")" = "$(<"$D/sc.$i")" ] || {
		sc_fail "-d '$e': differs from tcpdump -d -i vA"
		diff "$D/td.$i" "$D/sc.$i" | head -n 20 | sed 's/^/  | /' >&2
	}
done
# with -w the program returns the snap length, as tcpdump's; -d writes no file
in_a tcpdump -d -i vA -s 128 udp >"$SC_TMP/d.td" 2>/dev/null
in_a "$SOCKCAP" -d -i vA -s 128 -w "$SC_TMP/d.pcap" udp >"$SC_TMP/d.sc" 2>&1
sc_check_eq "-d -s 128 -w FILE udp vs tcpdump -d -s 128" "$(cat "$SC_TMP/d.td")" "$(cat "$SC_TMP/d.sc")"
[ -e "$SC_TMP/d.pcap" ] && sc_fail "-d -w FILE created FILE"
# -F, with comments: as tcpdump -F, and as the expression on the command line
in_a tcpdump -d -i vA -F "$SC_TMP/filter" >"$SC_TMP/d.td" 2>/dev/null
words "${EX[ffile]}"
in_a "$SOCKCAP" -d -i vA "${WORDS[@]}" >"$SC_TMP/d.cl" 2>&1
in_a "$SOCKCAP" -d -i vA -F "$SC_TMP/filter" >"$SC_TMP/d.sc" 2>&1
sc_check_eq "-d -F FILE (with comments) vs tcpdump -d -F FILE" "$(cat "$SC_TMP/d.td")" "$(cat "$SC_TMP/d.sc")"
sc_check_eq "-d -F FILE vs -d with its expression on the command line" "$(cat "$SC_TMP/d.cl")" "$(cat "$SC_TMP/d.sc")"
# a file of comments only is no expression: every packet
in_a tcpdump -d -i vA -F "$SC_TMP/filter.empty" >"$SC_TMP/d.td" 2>/dev/null
in_a "$SOCKCAP" -d -i vA -F "$SC_TMP/filter.empty" >"$SC_TMP/d.sc" 2>&1
sc_check_eq "-d -F FILE of comments only vs tcpdump" "$(cat "$SC_TMP/d.td")" "$(cat "$SC_TMP/d.sc")"

# -dd: one instruction a line, numbered from 0; a tail call (helper 12) to
# sockcap's filter; the same with --dump-ebpf and -ddd
insn='^\(([0-9]{3,})\) code 0x[0-9a-f]{2} dst r([0-9]|10) src r([0-9]|10) off -?[0-9]+ +imm -?[0-9]+$'
for e in 'vlan 20 and udp port 40001' 'ip6 protochain 6'; do
	words "$e"
	in_a "$SOCKCAP" -dd -i vA "${WORDS[@]}" >"$SC_TMP/dd.out" 2>"$SC_TMP/dd.err"
	sc_check_eq "-dd '$e': exit status" 0 "$?"
	[ -s "$SC_TMP/dd.err" ] && sc_fail "-dd '$e': wrote on stderr: $(head -c 300 "$SC_TMP/dd.err")"
	n=$(sc_lines "$SC_TMP/dd.out")
	[ "$n" -gt 0 ] || sc_fail "-dd '$e': no instructions"
	bad=$(grep -v -E "$insn" "$SC_TMP/dd.out" | head -n 3)
	[ -z "$bad" ] || sc_fail "-dd '$e': malformed lines: $bad"
	sc_check_eq "-dd '$e': instructions numbered 0 to $((n - 1))" "$(seq 0 $((n - 1)))" \
		"$(sed -n -E 's/^\(0*([0-9]+)\).*/\1/p' "$SC_TMP/dd.out")"
	grep -q -E '^\([0-9]+\) code 0x85 dst r0 src r0 off 0 +imm 12$' "$SC_TMP/dd.out" ||
		sc_fail "-dd '$e': no tail call (code 0x85, imm 12)"
	in_a "$SOCKCAP" --dump-ebpf -i vA "${WORDS[@]}" >"$SC_TMP/dd2.out" 2>&1
	cmp -s "$SC_TMP/dd.out" "$SC_TMP/dd2.out" || sc_fail "--dump-ebpf '$e' differs from -dd"
	in_a "$SOCKCAP" -ddd -i vA "${WORDS[@]}" >"$SC_TMP/dd2.out" 2>&1
	cmp -s "$SC_TMP/dd.out" "$SC_TMP/dd2.out" || sc_fail "-ddd '$e' differs from -dd"
done

# ================================================================ errors
# tcpmsg EXPR: libpcap's message for EXPR, as tcpdump prints it.
tcpmsg() {
	local m
	m=$(in_a tcpdump -d -i vA "$1" 2>&1 >/dev/null)
	[[ $m == "tcpdump: "* ]] && [ "$(wc -l <<<"$m")" = 1 ] ||
		sc_die "tcpdump -d -i vA '$1' said '$m', not one line of error"
	printf '%s\n' "${m#tcpdump: }"
}

# err_exact WHAT WANT ARGS...: sockcap ARGS exits 1 with nothing on stdout
# and exactly the line WANT on stderr.
err_exact() {
	local what=$1 want=$2 rc
	shift 2
	in_a "$SOCKCAP" "$@" >"$SC_TMP/e.out" 2>"$SC_TMP/e.err"
	rc=$?
	sc_check_eq "$what: exit status" 1 "$rc"
	[ -s "$SC_TMP/e.out" ] && sc_fail "$what: printed on stdout: $(head -c 300 "$SC_TMP/e.out")"
	sc_check_eq "$what: stderr" "$want" "$(cat "$SC_TMP/e.err")"
}

# err_like WHAT NEEDLE ARGS...: exit 1, nothing on stdout, stderr starts
# with a line "sockcap: ...NEEDLE..." and says nothing of listening.
err_like() {
	local what=$1 needle=$2 rc first
	shift 2
	in_a "$SOCKCAP" "$@" >"$SC_TMP/e.out" 2>"$SC_TMP/e.err"
	rc=$?
	sc_check_eq "$what: exit status" 1 "$rc"
	[ -s "$SC_TMP/e.out" ] && sc_fail "$what: printed on stdout: $(head -c 300 "$SC_TMP/e.out")"
	first=$(head -n 1 "$SC_TMP/e.err")
	[[ $first == "sockcap: "*"$needle"* ]] ||
		sc_fail "$what: first line on stderr '$first' is not 'sockcap: ...$needle...'"
	grep -q 'listening on' "$SC_TMP/e.err" && sc_fail "$what: started listening"
}

# what libpcap cannot parse, what it refuses to compile, what it finds
# matches nothing; as the words of a command line, with -w (no file may
# be created) and with -d
for e in 'tcp port' 'udp and not udp' 'ip6 and arp' 'port 70000' 'vlan 5000' 'proto \foo'; do
	m=$(tcpmsg "$e")
	err_exact "'$e'" "sockcap: $m" -i vA "$e"
	case $e in
	'tcp port' | 'udp and not udp')
		words "$e"
		err_exact "'$e' as separate words, -w FILE" "sockcap: $m" -i vA -w "$SC_TMP/e.pcap" "${WORDS[@]}"
		[ -e "$SC_TMP/e.pcap" ] && sc_fail "'$e' -w FILE: FILE was created" && rm -f "$SC_TMP/e.pcap"
		err_exact "-d '$e'" "sockcap: $m" -d -i vA "$e"
		;;
	esac
done
printf 'tcp port # the port is missing\n' >"$SC_TMP/filter.bad"
err_exact "-F FILE with 'tcp port'" "sockcap: $(tcpmsg 'tcp port')" -i vA -F "$SC_TMP/filter.bad"
err_like "-F FILE and an expression on the command line" "-F" -i vA -F "$SC_TMP/filter" udp
err_like "-F FILE and an expression on the command line, -d" "-F" -d -i vA -F "$SC_TMP/filter" udp
err_like "-F of a missing file" "$SC_TMP/nonexistent" -i vA -F "$SC_TMP/nonexistent"
sc_check_eq "-F of a missing file: lines on stderr" 1 "$(sc_lines "$SC_TMP/e.err")"

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

# ================================================================ -r errors
# With -r the expression is compiled for the file's link type; an
# expression that cannot be compiled is an error whatever the file holds.
head -c 24 "$SC_TMP/tall.pcap" >"$SC_TMP/empty.pcap"
for e in 'tcp port' 'udp and not udp'; do
	m=$(tcpmsg "$e")
	err_exact "-r FILE '$e'" "sockcap: $m" -r "$SC_TMP/tall.pcap" "$e"
	err_exact "-r FILE -w FILE '$e'" "sockcap: $m" -r "$SC_TMP/tall.pcap" -w "$SC_TMP/e.pcap" "$e"
	[ -e "$SC_TMP/e.pcap" ] && sc_fail "-r FILE -w FILE '$e': FILE was created" && rm -f "$SC_TMP/e.pcap"
	err_exact "-r FILE-WITHOUT-PACKETS '$e' (tcpdump -r refuses it too)" "sockcap: $m" -r "$SC_TMP/empty.pcap" "$e"
done

# ================================================================ flood
# From here on A and B are the quiet link's namespaces: nothing crosses it
# but what B sends to 198.18.0.99, a MAC address nobody has. Five datagrams
# to port 40007 among five bursts to port 40000.
sc_quiet_link
FLOOD=${SC_FLOOD:-2000}
fexpr='udp dst port 40007'
words "$fexpr"
start fs "$SOCKCAP" -i vA -B "$RING" "${WORDS[@]}"
start fw "$SOCKCAP" -i vA -B "$RING" -w "$SC_TMP/fw.pcap" "${WORDS[@]}"
start fqi "$SOCKCAP" -i vA -B "$RING" -Q in "${WORDS[@]}"
start fqo "$SOCKCAP" -i vA -B "$RING" -Q out "${WORDS[@]}"
ready_all
fl=()
for k in 1 2 3 4 5; do
	fl+=(flood 198.18.0.99 40000 "$FLOOD" 30 + udp 198.18.0.2 40009 198.18.0.99 40007 "$k" +)
done
out=$(sc_tg "$B" "${fl[@]::${#fl[@]}-1}") || sc_die "flood sender failed: $out"
SENT=$(awk '$1 == "sent" { s += $2 } END { print s + 0 }' <<<"$out")
[ "$(grep -c '^sent ' <<<"$out")" = 5 ] || sc_die "flood sender said '$out'"
sc_log "flood: $SENT datagrams to port 40000 ($(awk '$1 == "sent" { f += $4 } END { print f + 0 }' <<<"$out") not sent)"
sc_wait_for "the five matching datagrams printed" 60 has_n "$SC_TMP/fs.out" 5
stop_all INT fs fw fqi fqo
for k in 1 2 3 4 5; do echo "P  |IP 198.18.0.2.40009 > 198.18.0.99.40007: UDP, length $k"; done >"$SC_TMP/f.want"
for n in fs fqi; do
	[ -z "${FAILED[$n]:-}" ] && stats "$n" || continue
	sc_check_eq "$n: exit status" 0 "${SC_RCS[$n]}"
	sc_dir_sockcap <"$SC_TMP/$n.out" >"$SC_TMP/$n.lines"
	sc_same_lines "$n: the lines of '$fexpr' in the flood" "$SC_TMP/f.want" "$SC_TMP/$n.lines"
	sc_check_eq "$n: captured, received, dropped" "5 5 0" "$S_CAPT $S_RECV $S_DROP"
	sc_check_eq "$n: seen by the socket - received by filter (datagrams of the flood)" \
		"$SENT" "$((S_SEEN - S_RECV))"
done
# -Q out: the expression's program sees the packets received, the filter
# then leaves them out (see the man page)
if [ -z "${FAILED[fqo]:-}" ] && stats fqo; then
	sc_check_eq "fqo: exit status" 0 "${SC_RCS[fqo]}"
	sc_check_eq "fqo (-Q out): captured, received, dropped, lines" "0 0 0 0" \
		"$S_CAPT $S_RECV $S_DROP $(sc_lines "$SC_TMP/fqo.out")"
	sc_check_eq "fqo (-Q out): seen by the socket (every datagram received)" "$((SENT + 5))" "$S_SEEN"
fi
# -w
if [ -z "${FAILED[fw]:-}" ] && stats fw; then
	sc_check_eq "fw: exit status" 0 "${SC_RCS[fw]}"
	sc_check_eq "fw: captured, received, dropped" "5 5 0" "$S_CAPT $S_RECV $S_DROP"
	sc_check_eq "fw: seen by the socket - received by filter (datagrams of the flood)" \
		"$SENT" "$((S_SEEN - S_RECV))"
fi
tcpdump -n -r "$SC_TMP/fw.pcap" 2>/dev/null | sed -E 's/^[0-9:.]+ //' >"$SC_TMP/fw.lines"
sed 's/^P  |//' "$SC_TMP/f.want" >"$SC_TMP/fw.want"
sc_same_lines "fw: the packets of '$fexpr' in the file" "$SC_TMP/fw.want" "$SC_TMP/fw.lines"

sc_done
