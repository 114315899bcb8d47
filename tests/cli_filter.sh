#!/bin/bash
# Filter expressions (tcpdump syntax, compiled by libpcap) on the command
# line, with no traffic: listings, dumps of the compiled programs and
# errors, checked against tcpdump in a namespace of the test's own.
#
# 1. -D in namespace A: every interface with its index (as ip link says),
#    Up/Running for vA and lo, Down for an interface that is down, Up
#    without Running for one without carrier; "any" last.
# 2. -d prints what tcpdump -d -i vA prints for many expressions; -dd and
#    --dump-ebpf print a well-formed list of eBPF instructions.
# 3. Errors: an expression libpcap cannot compile, or that rejects every
#    packet, ends sockcap with status 1 and libpcap's message (as tcpdump
#    prints it) on one line, before anything starts (no capture file, no
#    "listening on"), in a live capture and with -r (a file with packets
#    and one without); -F reads a file with '#' comments like tcpdump -F;
#    -F with an expression on the command line, and -F of a missing file,
#    are errors.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_filter.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_init

# ================================================================ helpers

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
filter_exprs
filter_files

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
# and in B, B's interfaces, once vB has its carrier (its peer just came up)
vb_running() { ip -n "$B" link show vB | grep -q 'LOWER_UP'; }
sc_wait_for "vB to be running" 20 vb_running
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
# be created) and with -d. And a keyword of tcpdump's manual that this
# libpcap does not know (vxlan: 1.10.3, Debian 12's, does not; a newer
# one may).
BAD_EXPRS=('tcp port' 'udp and not udp' 'ip6 and arp' 'port 70000' 'vlan 5000' 'proto \foo')
UNKNOWN=()
in_a tcpdump -d -i vA vxlan >/dev/null 2>&1 || UNKNOWN=(vxlan)
BAD_EXPRS+=("${UNKNOWN[@]}")
for e in "${BAD_EXPRS[@]}"; do
	m=$(tcpmsg "$e")
	err_exact "'$e'" "sockcap: $m" -i vA "$e"
	case $e in
	'tcp port' | 'udp and not udp' | vxlan)
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

# ================================================================ -r errors
# With -r the expression is compiled for the file's link type; an
# expression that cannot be compiled is an error whatever the file holds.
# The file: tcpdump's, Ethernet, with packets; and its header alone.
RFILE=$srcdir/tests/golden/tcpdump-us.pcap
head -c 24 "$RFILE" >"$SC_TMP/empty.pcap"
for e in 'tcp port' 'udp and not udp' "${UNKNOWN[@]}"; do
	m=$(tcpmsg "$e")
	err_exact "-r FILE '$e'" "sockcap: $m" -r "$RFILE" "$e"
	err_exact "-r FILE -w FILE '$e'" "sockcap: $m" -r "$RFILE" -w "$SC_TMP/e.pcap" "$e"
	[ -e "$SC_TMP/e.pcap" ] && sc_fail "-r FILE -w FILE '$e': FILE was created" && rm -f "$SC_TMP/e.pcap"
	err_exact "-r FILE-WITHOUT-PACKETS '$e' (tcpdump -r refuses it too)" "sockcap: $m" -r "$SC_TMP/empty.pcap" "$e"
done

sc_done
