# shellcheck shell=bash disable=SC2034
# Shared helpers for the live (network namespace) and command-line tests.
#
# A test script does:
#
#	. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
#	sc_need_root                  # live tests: exit 77 unless root
#	sc_need_cmd tcpdump tcpdump   # command, Debian package that has it
#	sc_init                       # set -u, SOCKCAP, SC_TMP, the traps
#	... checks with sc_fail / sc_check_eq ...
#	sc_done
#
# Environment: SOCKCAP (the binary under test), srcdir (the source tree).
# Exit status: 0 pass, 1 fail, 77 skip (only when not root).
#
# Everything a test starts goes through sc_start, which wraps the command in
# timeout(1) and remembers both pids; everything it creates is named with
# SC_TAG (unique per run) and lives under SC_TMP. An EXIT trap stops the
# processes (by pid), deletes the namespaces and removes SC_TMP.
#
# Sourcing this file only defines functions and variables: sc_init does the
# setup (set -u, finding sockcap, SC_TMP, the traps).

: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
SC_NAME=${0##*/}
SC_NAME=${SC_NAME%.sh}
SC_TAG=sct$$
SC_FAILS=0
# Each sockcap or tcpdump run is bounded by this many seconds; readiness,
# markers and exits are polled for with the timeouts below. They are generous
# because the same tests run in a TCG-emulated VM about 20 times slower.
SC_TIMEOUT=${SC_TIMEOUT:-120}
SC_READY_SECS=${SC_READY_SECS:-60}
SC_EXIT_SECS=${SC_EXIT_SECS:-30}
SC_PYTHON=${SC_PYTHON:-python3}
# The Python programs several tests share (each says in its docstring what
# it does and how it is called); a program of one test only is called by
# that test as "$SC_PYTHON" "$srcdir/tests/NAME.py".
SC_TG=$srcdir/tests/tg.py               # traffic generator (sc_tg)
SC_PCAPCHECK=$srcdir/tests/pcapcheck.py # strict pcap/pcapng reader (sc_pf)
SC_LAYOUT=$srcdir/tests/layout.py       # records of files, cut ones too
SC_FRAMES=$srcdir/tests/frames.py       # tcpdump -e -xx, a line a packet

declare -A SC_WPID=() SC_CPID=()
SC_NETNS=()
SC_TMP=

sc_log() { printf '%s: %s\n' "$SC_NAME" "$*"; }

# A failed check: say what differed, keep going, fail at sc_done.
sc_fail() {
	printf 'FAIL: %s: %s\n' "$SC_NAME" "$*" >&2
	SC_FAILS=$((SC_FAILS + 1))
}

# A failure after which the rest of the test makes no sense.
sc_die() {
	printf 'FAIL: %s: %s\n' "$SC_NAME" "$*" >&2
	exit 1
}

sc_skip() {
	printf 'SKIP: %s: %s\n' "$SC_NAME" "$*"
	exit 77
}

sc_done() {
	if [ "$SC_FAILS" -ne 0 ]; then
		printf 'FAIL: %s: %d check(s) failed (%d s)\n' "$SC_NAME" "$SC_FAILS" "$SECONDS" >&2
		exit 1
	fi
	sc_log "PASS ($SECONDS s)"
	exit 0
}

sc_is_root() { [ "$(id -u)" -eq 0 ]; }

sc_need_root() {
	sc_is_root || sc_skip "needs root (network namespaces, BPF, packet sockets)"
}

# sc_need_cmd COMMAND PACKAGE: a missing tool fails as root (CI must run
# everything) and skips otherwise.
sc_need_cmd() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if sc_is_root; then
		sc_die "'$1' not found: apt-get install $2"
	fi
	sc_skip "'$1' not found (apt-get install $2)"
}

# The binary under test: $SOCKCAP, else a sockcap built next to the tests.
sc_find_sockcap() {
	if [ -z "${SOCKCAP:-}" ]; then
		if [ -x ./sockcap ]; then
			SOCKCAP=$PWD/sockcap
		elif [ -x "$srcdir/sockcap" ]; then
			SOCKCAP=$srcdir/sockcap
		fi
	fi
	[ -n "${SOCKCAP:-}" ] || sc_die "SOCKCAP is not set and no ./sockcap was found"
	[ -x "$SOCKCAP" ] || sc_die "SOCKCAP=$SOCKCAP is not an executable file"
	case $SOCKCAP in
	/*) ;;
	*) SOCKCAP=$PWD/$SOCKCAP ;;
	esac
}

# --------------------------------------------------------------- cleanup

# Field N (1-based, after the command name) of /proc/PID/stat: 1 is the
# state, 2 the parent pid.
sc_proc_stat() {
	local line fields
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	read -r -a fields <<<"${line##*) }"
	printf '%s\n' "${fields[$2 - 1]:-}"
}

# True while PID runs (a zombie no longer runs).
sc_alive() {
	local st
	st=$(sc_proc_stat "$1" 1) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Signal PID only while it is still the child of PARENT that we started.
sc_kill_if_ours() { # SIG PID PARENT
	local pp
	pp=$(sc_proc_stat "$2" 2) || return 0
	[ "$pp" = "$3" ] || return 0
	kill "-$1" "$2" 2>/dev/null
}

sc_cleanup() {
	local rc=$1 name w c ns i
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -n "$SC_TMP" ]; then
		for name in "${!SC_WPID[@]}"; do
			[ -s "$SC_TMP/$name.err" ] || continue
			printf '  --- stderr of %s (last lines)\n' "$name" >&2
			tail -n 8 "$SC_TMP/$name.err" | sed 's/^/  | /' >&2
		done
	fi
	for name in "${!SC_WPID[@]}"; do
		w=${SC_WPID[$name]} c=${SC_CPID[$name]:-}
		if [ -n "$c" ]; then
			sc_kill_if_ours CONT "$c" "$w"
			sc_kill_if_ours TERM "$c" "$w"
		fi
		sc_kill_if_ours TERM "$w" "$$"
	done
	for name in "${!SC_WPID[@]}"; do
		w=${SC_WPID[$name]} c=${SC_CPID[$name]:-}
		for ((i = 0; i < 50; i++)); do
			sc_alive "$w" || break
			sleep 0.1
		done
		[ -n "$c" ] && sc_kill_if_ours KILL "$c" "$w"
		sc_kill_if_ours KILL "$w" "$$"
		wait "$w" 2>/dev/null
	done
	for ns in "${SC_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${SC_KEEP:-}" ]; then
		sc_log "kept $SC_TMP"
	elif [ -n "$SC_TMP" ]; then
		rm -rf "$SC_TMP"
	fi
}

sc_init() {
	set -u
	sc_find_sockcap
	SC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$SC_TAG.XXXXXX") ||
		sc_die "cannot create a temporary directory"
	trap 'rc=$?; sc_cleanup $rc; exit $rc' EXIT
	trap 'exit 1' INT TERM HUP
}

# --------------------------------------------------------------- namespaces

# sc_netns VAR SUFFIX: create namespace $SC_TAG$SUFFIX with lo up and store
# its name in VAR.
sc_netns() {
	local ns=$SC_TAG$2
	ip netns add "$ns" || sc_die "ip netns add $ns failed"
	SC_NETNS+=("$ns")
	ip -n "$ns" link set lo up || sc_die "cannot bring up lo in $ns"
	printf -v "$1" '%s' "$ns"
}

# Quiet namespaces: no DAD, no link-local addresses (so no router
# solicitations). Call before creating interfaces.
sc_netns_quiet() {
	ip netns exec "$1" sysctl -q -w \
		net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.addr_gen_mode=1 \
		net.ipv6.conf.default.addr_gen_mode=1 \
		net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		>/dev/null || sc_die "sysctl in $1 failed"
}

# sc_neigh_quiet NS IFACE...: neighbour entries stay valid for the whole
# test, and one learnt from a request is not probed for a long time, so no
# ARP or neighbour solicitation is sent at a random moment. (A namespace
# other than the first has no "default" entry to set this for all.)
sc_neigh_quiet() {
	local ns=$1 ifc v
	shift
	for ifc; do
		for v in ipv4 ipv6; do
			ip netns exec "$ns" sysctl -q -w \
				"net/$v/neigh/$ifc/base_reachable_time_ms=600000" \
				"net/$v/neigh/$ifc/delay_first_probe_time=600" \
				>/dev/null || sc_die "neighbour sysctl for $ifc in $ns failed"
		done
	done
}

# No IPv6 at all: a link that carries only what the test sends.
sc_netns_no_ipv6() {
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null ||
		sc_die "cannot disable IPv6 in $1"
}

# sc_veth NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both up.
sc_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" ||
		sc_die "cannot create veth pair $2/$4 (kernel without veth?)"
	ip -n "$1" link set "$2" up || sc_die "cannot bring up $2"
	ip -n "$3" link set "$4" up || sc_die "cannot bring up $4"
}

sc_mac() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }

# sc_quiet_link: namespaces A and B joined by vA (198.18.0.1/24) and vB
# (198.18.0.2/24), IPv6 off, and a static neighbour 198.18.0.99 on B whose
# MAC is nobody's: a datagram B sends there reaches vA as a frame for
# another host (direction P), which A drops without answering. Nothing else
# crosses the link, so every packet sockcap counts is one the test sent.
sc_quiet_link() {
	sc_netns A a
	sc_netns B b
	sc_netns_no_ipv6 "$A"
	sc_netns_no_ipv6 "$B"
	sc_veth "$A" vA "$B" vB
	ip -n "$A" addr add 198.18.0.1/24 dev vA &&
		ip -n "$B" addr add 198.18.0.2/24 dev vB &&
		ip -n "$B" neigh add 198.18.0.99 lladdr 02:00:00:00:00:63 dev vB nud permanent ||
		sc_die "cannot configure the quiet link"
}

# sc_pair_link: namespaces A and B joined by vA (198.18.0.1/24,
# fd00:198:18::1/64) and vB (198.18.0.2/24, fd00:198:18::2/64), quiet (no
# DAD, no router solicitations, neighbours not probed at random moments);
# their MAC addresses in MA and MB.
sc_pair_link() {
	sc_netns A a
	sc_netns B b
	sc_netns_quiet "$A"
	sc_netns_quiet "$B"
	sc_veth "$A" vA "$B" vB
	sc_neigh_quiet "$A" vA
	sc_neigh_quiet "$B" vB
	MA=$(sc_mac "$A" vA)
	MB=$(sc_mac "$B" vB)
	ip -n "$A" addr add 198.18.0.1/24 dev vA &&
		ip -n "$A" addr add fd00:198:18::1/64 dev vA nodad &&
		ip -n "$B" addr add 198.18.0.2/24 dev vB &&
		ip -n "$B" addr add fd00:198:18::2/64 dev vB nodad ||
		sc_die "cannot configure addresses"
}

# --------------------------------------------------------------- processes

# sc_start NAME NETNS READY CMD...
# Runs CMD in NETNS ("" for the current one) under timeout(1), stdout to
# $SC_TMP/NAME.out, stderr to $SC_TMP/NAME.err. READY is "" or
# "out:REGEX" / "err:REGEX": wait until that file matches. Sets
# SC_WPID[NAME] (the timeout wrapper) and SC_CPID[NAME] (CMD itself).
# A command that does not get ready ends the test, unless SC_SOFT is set:
# then that is one failed check and sc_start returns 1.
sc_start() {
	local name=$1 ns=$2 ready=$3 w c i file re
	shift 3
	if [ -n "$ns" ]; then
		ip netns exec "$ns" timeout -k 5 "$SC_TIMEOUT" "$@" \
			>"$SC_TMP/$name.out" 2>"$SC_TMP/$name.err" </dev/null &
	else
		timeout -k 5 "$SC_TIMEOUT" "$@" \
			>"$SC_TMP/$name.out" 2>"$SC_TMP/$name.err" </dev/null &
	fi
	w=$!
	SC_WPID[$name]=$w
	SC_CPID[$name]=
	# the command is timeout's only child
	for ((i = 0; i < SC_READY_SECS * 20; i++)); do
		c=
		read -r c _ 2>/dev/null <"/proc/$w/task/$w/children"
		if [ -n "$c" ]; then
			SC_CPID[$name]=$c
			break
		fi
		sc_alive "$w" || break
		sleep 0.05
	done
	c=${SC_CPID[$name]}
	if [ -n "$ready" ]; then
		file=$SC_TMP/$name.${ready%%:*} re=${ready#*:}
		for ((i = 0; i < SC_READY_SECS * 10; i++)); do
			grep -q -E -e "$re" "$file" 2>/dev/null && return 0
			[ -n "$c" ] && sc_alive "$c" || break
			sleep 0.1
		done
	elif [ -n "$c" ]; then
		return 0
	fi
	sed 's/^/  | /' "$SC_TMP/$name.err" >&2
	if [ -n "$c" ] && sc_alive "$c"; then
		set -- "not ready ('$re') within ${SC_READY_SECS}s: $*"
	else
		set -- "exited before it was ready: $*"
	fi
	[ -n "${SC_SOFT:-}" ] || sc_die "$name: $1"
	sc_fail "$name: $1"
	return 1
}

# sc_sockcap NAME NETNS ARGS...: start sockcap, wait for "listening on".
sc_sockcap() {
	local name=$1 ns=$2
	shift 2
	sc_start "$name" "$ns" "err:^sockcap: listening on " "$SOCKCAP" "$@"
}

# sc_tcpdump NAME NETNS IFACE: capture to $SC_TMP/NAME.pcap. Headers are
# all the tests need; a short snap length and a large buffer give libpcap's
# ring many slots, so a busy machine does not make tcpdump drop.
sc_tcpdump() {
	sc_start "$1" "$2" "err:listening on" tcpdump -Z root -U \
		--immediate-mode -s 512 -B 16384 -n -i "$3" -w "$SC_TMP/$1.pcap"
}

# sc_tcpdump_stop NAME: stop it; a comparison with a tcpdump that dropped
# packets would be meaningless.
sc_tcpdump_stop() {
	local d
	sc_stop "$1" TERM
	d=$(sed -n -E 's/^([0-9]+) packets? dropped by kernel$/\1/p' "$SC_TMP/$1.err")
	[ "$d" = 0 ] || sc_die "tcpdump dropped packets ('${d:-no statistics}'), cannot compare"
}

sc_signal() { kill "-$2" "${SC_CPID[$1]}"; }

# sc_wait NAME [SECS]: wait for NAME to exit; its status goes to SC_RC.
# Returns 1 if it is still running after SECS.
sc_wait() {
	local w=${SC_WPID[$1]} secs=${2:-$SC_EXIT_SECS} i
	SC_RC=
	for ((i = 0; i < secs * 20; i++)); do
		sc_alive "$w" || break
		sleep 0.05
	done
	sc_alive "$w" && return 1
	wait "$w"
	SC_RC=$?
	[ "$SC_RC" -eq 124 ] && sc_log "NOTE: $1 was killed by timeout(1) after ${SC_TIMEOUT}s"
	return 0
}

# sc_stop NAME SIGNAL: signal NAME and wait for it; status in SC_RC.
sc_stop() {
	sc_signal "$1" "$2" 2>/dev/null
	if ! sc_wait "$1"; then
		sc_fail "$1 did not exit within ${SC_EXIT_SECS}s of SIG$2"
		sc_signal "$1" KILL 2>/dev/null
		sc_wait "$1" 10
		return 1
	fi
}

# sc_wait_for DESC SECS CMD...: poll until CMD succeeds.
sc_wait_for() {
	local desc=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	sc_fail "timed out after ${secs}s waiting for $desc"
	return 1
}

sc_lines() { local n; n=$(wc -l <"$1") && echo "$n"; }
sc_has_lines() { [ "$(sc_lines "$2")" -ge "$1" ]; }
sc_grep_q() { grep -q -E -e "$1" "$2" 2>/dev/null; }
sc_pcap_has() { tcpdump -n -r "$2" 2>/dev/null | grep -q -E -e "$1"; }

# --------------------------------------------------------------- checks

sc_check_eq() { # WHAT EXPECTED ACTUAL
	[ "$2" = "$3" ] && return 0
	sc_fail "$1: expected '$2', got '$3'"
	return 1
}

# Show a file in a diagnostic, indented and bounded.
sc_show() {
	printf '  --- %s (%s lines)\n' "$1" "$(wc -l <"$2")" >&2
	head -n "${3:-40}" "$2" | sed 's/^/  | /' >&2
}

# sc_same_lines WHAT EXPECTED_FILE ACTUAL_FILE: equal as multisets of lines.
sc_same_lines() {
	local what=$1 a=$SC_TMP/cmp.a b=$SC_TMP/cmp.b
	# a file has no process column: live lines are compared without it
	sc_strip_proc <"$2" | LC_ALL=C sort >"$a"
	sc_strip_proc <"$3" | LC_ALL=C sort >"$b"
	cmp -s "$a" "$b" && return 0
	sc_fail "$what: lines differ ($(wc -l <"$a") expected, $(wc -l <"$b") seen)"
	LC_ALL=C comm -23 "$a" "$b" >"$SC_TMP/cmp.only_a"
	LC_ALL=C comm -13 "$a" "$b" >"$SC_TMP/cmp.only_b"
	sc_show "expected but missing" "$SC_TMP/cmp.only_a"
	sc_show "seen but not expected" "$SC_TMP/cmp.only_b"
	return 1
}

# sc_expect_line WHAT REGEX FILE [COUNT]: REGEX matches exactly COUNT (1)
# lines of FILE.
sc_expect_line() {
	local n want=${4:-1}
	# the lines as they would be without process attribution
	n=$(sc_strip_proc <"$3" | grep -c -E -e "$2")
	[ "$n" -eq "$want" ] && return 0
	sc_fail "$1: expected $want line(s) matching /$2/, found $n"
	sc_show "${3##*/}" "$3" 60
	return 1
}

# sc_stats FILE: the last statistics block sockcap wrote to FILE (stderr):
# SC_CAPTURED, SC_RECEIVED, SC_DROPPED, SC_NOTSHOWN (count reached),
# SC_UNSENT (not shown because writing the output failed or its reader went
# away) (both 0 when absent, as sockcap prints them only when they are not
# zero), SC_NBLOCKS.
sc_stats() {
	local f=$1
	SC_NBLOCKS=$(grep -c -E '^[0-9]+ packets captured$' "$f")
	SC_CAPTURED=$(sed -n -E 's/^([0-9]+) packets captured$/\1/p' "$f" | tail -n 1)
	SC_RECEIVED=$(sed -n -E 's/^([0-9]+) packets received by filter$/\1/p' "$f" | tail -n 1)
	SC_DROPPED=$(sed -n -E 's/^([0-9]+) packets dropped by kernel$/\1/p' "$f" | tail -n 1)
	SC_NOTSHOWN=$(awk '/^[0-9]+ packets captured$/ { v = 0 }
		/^[0-9]+ packets not shown \(count reached\)$/ { v = $1 }
		END { print v + 0 }' "$f")
	SC_UNSENT=$(awk '/^[0-9]+ packets captured$/ { v = 0 }
		/^[0-9]+ packets not shown \((output closed|writing the output failed)\)$/ { v = $1 }
		END { print v + 0 }' "$f")
	if [ -z "$SC_CAPTURED" ] || [ -z "$SC_RECEIVED" ] || [ -z "$SC_DROPPED" ]; then
		sc_fail "no complete statistics block in ${f##*/}"
		sc_show "${f##*/}" "$f"
		SC_CAPTURED=${SC_CAPTURED:-x} SC_RECEIVED=${SC_RECEIVED:-x} SC_DROPPED=${SC_DROPPED:-x}
		return 1
	fi
}

# sc_check_stats WHAT ERRFILE OUTFILE: the final statistics add up exactly
# and "captured" is the number of lines on stdout.
sc_check_stats() {
	local what=$1 lines
	sc_stats "$2" || return 1
	lines=$(sc_lines "$3")
	sc_check_eq "$what: 'packets captured' vs lines printed" "$lines" "$SC_CAPTURED"
	sc_check_eq "$what: captured + dropped + not shown == received" \
		"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED + SC_NOTSHOWN + SC_UNSENT))"
}

# sc_check_stderr WHAT FILE: only the expected diagnostics: the "listening
# on" line and statistics blocks.
sc_check_stderr() {
	local extra
	extra=$(grep -v -E -e '^sockcap: listening on [^ ]+, summary mode$' \
		-e '^[0-9]+ packets (captured|received by filter|dropped by kernel|not shown \(count reached\))$' \
		-e "$SC_OWNER_STATS" "$2")
	[ -z "$extra" ] && return 0
	sc_fail "$1: unexpected lines on stderr: $extra"
}

# --------------------------------------------------------------- formats

# The statistics line of process attribution, on stderr at exit.
SC_OWNER_STATS='^[0-9]+ of [0-9]+ TCP and UDP packets named no process \(.*\)$'

# The process column: NAME[PID], or SENDER>RECEIVER with '?' for one not
# known (a name has no space, bracket or '>'); with -v each process also
# (uid=N,cgroup=PATH), with no space.
SC_PROC_ONE='(\?|[^] [>]+\[[0-9]+\](\(uid=[0-9]+(,cgroup=[^ ]*)?\))?)'
SC_PROC_RE="$SC_PROC_ONE(>$SC_PROC_ONE)? "

# A sockcap line without its process column, the rest as it was; also a
# line whose time (and interface and direction) were cut off already.
sc_strip_proc() {
	sed -E "s/(^|(In |Out|B  |M  |P  |\\?  ) )$SC_PROC_RE/\\1/"
}

# The part of a sockcap line after time, interface, direction and process.
sc_norm_sockcap() {
	sed -E "s/^[0-9:.]+ [^ ]+ (In |Out|B  |M  |P  |\\?  ) ($SC_PROC_RE)?//"
}

# "DIR|rest" for a sockcap line (direction kept; time, interface, process gone).
sc_dir_sockcap() {
	sed -E "s/^[0-9:.]+ [^ ]+ (In |Out|B  |M  |P  |\\?  ) ($SC_PROC_RE)?/\\1|/"
}

# tcpdump -n -S's line without its timestamp: what sockcap's must equal.
sc_norm_tcpdump() {
	sed -E -e 's/^[0-9:.]+ //'
}

# sc_tcpdump_v PCAP: "tcpdump -n -S -v -r PCAP", one line per packet (the
# lines it continues a packet on, which start with white space, joined).
sc_tcpdump_v() {
	tcpdump -n -S -v -r "$1" 2>/dev/null |
		awk '/^[ \t]/ { line = line " " $0; next } NR > 1 { print line } { line = $0 } END { print line }'
}

# sc_expect_v TDV NORM: what sockcap -v prints for each packet, from
# tcpdump -v's line (sc_tcpdump_v) and the plain one without its
# timestamp (sc_norm_tcpdump), a line of each per packet: tcpdump -v's IP
# header in front of the plain line, with an IPv6 fragment's id; an ICMP
# or ICMPv6 line (its checksum, neighbour discovery's options, a quoted
# packet) as tcpdump -v prints it, on one line. sockcap has no checksum
# verdict for an ICMPv6 echo: its record carries no copy of the message.
sc_expect_v() {
	paste -d '\n' "$1" "$2" | awk '
	NR % 2 == 1 { v = $0; next }
	v ~ /: (\[icmp6 sum ok\] )?ICMP6?[ ,]/ {
		sub(/^[0-9:.]+ /, "", v)
		gsub(/[ \t]+/, " ", v)
		if (v ~ /ICMP6, echo (request|reply)/)
			sub(/\[icmp6 sum ok\] /, "", v)
		print v
		next
	}
	{
		hdr = ""
		if (match(v, /\(tos 0x[0-9a-f]+, ttl [^)]*\([0-9]+\), length [0-9]+\)/) ||
		    match(v, /\((class 0x[0-9a-f]+, )?(flowlabel 0x[0-9a-f]+, )?hlim [0-9]+, next-header [^(]*\([0-9]+\) payload length: [0-9]+\)/))
			hdr = substr(v, RSTART, RLENGTH)
		line = $0
		if (hdr != "" && match(line, /^IP6? /))
			line = substr(line, 1, RLENGTH) hdr " " substr(line, RLENGTH + 1)
		if (match(v, /frag \(0x[0-9a-f]+:/)) {
			id = substr(v, RSTART, RLENGTH)
			sub(/frag \(/, id, line)
		}
		print line
	}'
}

# Without -e tcpdump shows nothing of an 802.1Q tag; sockcap shows
# "vlan ID, p PRIO, " in front of the protocol (checked against tcpdump -e).
sc_strip_vlan() { sed -E 's/^vlan [0-9]+, p [0-9]+, //'; }

# Lines neither side can line up in time: multicast listener reports are
# sent by the kernel on its own timers whenever an address is added.
sc_drop_background() { grep -v -E 'multicast listener|router solicitation' || true; }

# ------------------------------------------------------------ traffic

# sc_tg NETNS ACTION... : run the traffic generator tests/tg.py in NETNS
# ("" for the current one); its docstring lists the actions.
sc_tg() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" timeout 120 "$SC_PYTHON" "$SC_TG" "$@"
	else
		timeout 120 "$SC_PYTHON" "$SC_TG" "$@"
	fi
}

# sc_flood COUNT [LEN]: on sc_quiet_link, COUNT datagrams of LEN bytes (18
# by default) from B to 198.18.0.99 port 40000, which reach vA as frames
# for another host, in 60 s at most. SENT is the number that left B (a
# datagram the sender's own queue refused does not count).
sc_flood() {
	local out
	out=$(sc_tg "$B" flood 198.18.0.99 40000 "$1" 60 ${2:+"$2"}) ||
		sc_die "flood sender failed: $out"
	SENT=$(sed -n -E 's/^sent ([0-9]+) failed ([0-9]+)$/\1/p' <<<"$out")
	[ -n "$SENT" ] || sc_die "flood sender said '$out'"
	sc_log "flood of $1: $out"
}

# --------------------------------------------------------------- capture files

# sc_pf FILE: the structure of the capture file FILE ("-": standard input),
# strictly checked by tests/pcapcheck.py: one fact a line, "error WHY" last
# and status 1 if it is malformed (its docstring has the details).
sc_pf() { "$SC_PYTHON" "$SC_PCAPCHECK" "$1"; }
