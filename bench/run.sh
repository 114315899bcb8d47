#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/run.sh: what capturing costs, sockcap against tcpdump.
#
# A veth pair joins two network namespaces made for the run. trafgen, on
# CPU 0, sends 60-byte Ethernet/IPv4/UDP frames into one end; the capture
# tool, on CPU 1, listens on the other end. For each case the same number of
# frames is sent, and the script reports how many of them the tool printed,
# how fast the sender still went, and how much CPU the tool itself used.
#
# With veth, the receiving end's packet taps (and so the socket filter) run
# in the softirq on the sending CPU: the kernel-side cost of a capture shows
# up as a lower sender rate, while the capture process on CPU 1 only reads
# what was queued for it.
#
# Run as root: bash bench/run.sh [--runs N] [--count FRAMES] [--sockcap PATH]
# bench/README.md explains the setup and every column; --help lists options.

set -u
set -o pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

RUNS=3
COUNT=4000000
SOCKCAP_BIN=
NULL_FILTER=1
TX_RING=0
BPF_STATS=0
KEEP=0
OUTBASE=
TX_CPU=0	# trafgen's first worker pins itself to CPU 0 in any case
CAP_CPU=1
SETTLE=0.2	# seconds between "ready" and the send
TAIL=1		# seconds between the end of the send and SIGINT

usage() {
	cat <<EOF
Usage: bash bench/run.sh [OPTION]...

Measure what packet capture costs on a veth pair: no capture, sockcap,
tcpdump, tcpdump -l and a do-nothing socket filter, each while trafgen
floods the pair with 60-byte UDP frames. Needs root and two CPUs.

  --runs N           repeat the set of measurements N times (default $RUNS)
  --count FRAMES     frames sent per measurement (default $COUNT)
  --sockcap PATH     sockcap binary (default: \$SOCKCAP, else ../sockcap next
                     to this script, else sockcap in PATH)
  --no-null-filter   skip case e, the do-nothing socket filter
  --tx-ring          send with trafgen's TX_RING: frames reach the receiver
                     in page fragments, only the Ethernet header in the
                     skb's linear part (default: one sendto() per frame,
                     whole frame linear, as most NIC drivers deliver small
                     frames)
  --bpf-stats        after the runs, one more sockcap measurement with
                     kernel.bpf_stats_enabled=1 (restored afterwards) to
                     report the socket filter's average run time
  --outdir DIR       where capture output goes while it is counted
                     (default: /dev/shm if writable, else \$TMPDIR or /tmp)
  --keep             keep the capture output and logs
  -h, --help         this help
EOF
}

die() {
	echo "run.sh: $*" >&2
	exit 1
}

# Progress goes to stderr; the report on stdout is plain text to paste.
note() {
	echo "$*" >&2
}

is_uint() {
	[[ $1 =~ ^[0-9]+$ ]]
}

# ------------------------------------------------------------- options
while (($#)); do
	opt=$1
	val=
	case $opt in
	--*=*)
		val=${opt#*=}
		opt=${opt%%=*}
		;;
	esac
	case $opt in
	--runs | --count | --sockcap | --outdir)
		if [ -z "$val" ]; then
			(($# >= 2)) || die "option '$opt' needs an argument"
			val=$2
			shift
		fi
		;;
	esac
	case $opt in
	--runs)
		if ! is_uint "$val" || ((val < 1 || val > 100)); then
			die "invalid run count '$val' (1 to 100)"
		fi
		RUNS=$val
		;;
	--count)
		if ! is_uint "$val" || ((val < 1000 || val > 1000000000)); then
			die "invalid frame count '$val' (1000 to 1000000000)"
		fi
		COUNT=$val
		;;
	--sockcap) SOCKCAP_BIN=$val ;;
	--outdir) OUTBASE=$val ;;
	--no-null-filter) NULL_FILTER=0 ;;
	--tx-ring) TX_RING=1 ;;
	--bpf-stats) BPF_STATS=1 ;;
	--keep) KEEP=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "run.sh: unknown option '$1'" >&2
		echo "Try 'bash bench/run.sh --help' for more information." >&2
		exit 1
		;;
	esac
	shift
done

# --------------------------------------------------------------- checks
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, packet sockets, BPF)"

missing=()
need() {
	command -v "$1" >/dev/null 2>&1 || missing+=("$1 (apt-get install $2)")
}
need trafgen netsniff-ng
need tcpdump tcpdump
need ip iproute2
need taskset util-linux
need timeout coreutils
need awk mawk
need python3 python3
if ((${#missing[@]})); then
	note "run.sh: missing tools:"
	for m in "${missing[@]}"; do
		note "  $m"
	done
	exit 1
fi

if [ -z "$SOCKCAP_BIN" ]; then
	if [ -n "${SOCKCAP:-}" ]; then
		SOCKCAP_BIN=$SOCKCAP
	elif [ -x "$HERE/../sockcap" ]; then
		SOCKCAP_BIN=$HERE/../sockcap
	elif command -v sockcap >/dev/null 2>&1; then
		SOCKCAP_BIN=sockcap
	else
		die "no sockcap binary: build it (./configure && make), or name it with --sockcap PATH or SOCKCAP=PATH"
	fi
fi
if [[ $SOCKCAP_BIN != */* ]]; then
	SOCKCAP_BIN=$(command -v -- "$SOCKCAP_BIN") || die "sockcap: not found in PATH"
fi
SOCKCAP_BIN=$(readlink -f -- "$SOCKCAP_BIN")
if [ ! -f "$SOCKCAP_BIN" ] || [ ! -x "$SOCKCAP_BIN" ]; then
	die "$SOCKCAP_BIN: not an executable file"
fi

for cpu in $TX_CPU $CAP_CPU; do
	taskset -c "$cpu" true 2>/dev/null ||
		die "CPU $cpu is not available: the benchmark needs CPUs 0 and 1"
done

# The interpreter itself, not a version manager's wrapper script.
PY=$(python3 -c 'import sys; print(sys.executable)') || die "python3 does not run"

# The kernel thread that takes over the sender's softirq work under load.
KSOFTIRQD=
for d in /proc/[0-9]*; do
	read -r comm <"$d/comm" 2>/dev/null || continue
	if [ "$comm" = "ksoftirqd/$TX_CPU" ]; then
		KSOFTIRQD=${d#/proc/}
		break
	fi
done

# Keep this script's own work (and the tools it runs) off the sender's CPU.
taskset -pc "$CAP_CPU" $$ >/dev/null || die "cannot set this script's CPU affinity"

if [ -z "$OUTBASE" ]; then
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		OUTBASE=/dev/shm
	else
		OUTBASE=${TMPDIR:-/tmp}
	fi
fi

# ---------------------------------------------------------------- names
PFX=scb$$
NS_TX=${PFX}tx
NS_RX=${PFX}rx
IF_TX=${PFX}t
IF_RX=${PFX}r
SRC_IP=198.18.0.1
RX_IP=198.18.0.2
# Not configured anywhere and not routed: the receiver drops the frames in
# IP input without a reply (forwarding is off, so no ICMP unreachable).
DST_IP=198.19.255.254
SPORT=40000
DPORT=9
# What a fully decoded line of our frame contains, in both tools' output.
SIGNATURE="$SRC_IP.$SPORT > $DST_IP.$DPORT: UDP, length 18"

# ---------------------------------------------------------------- state
WORK=
NETNS_MADE=0
WRAP_PID=	# cpuwrap.py running the capture tool, a child of this script
CAP_PID=	# the capture tool, a child of cpuwrap.py
CAP_PIDFILE=
TG_PID=		# cpuwrap.py running timeout(1) running trafgen
TG_PIDFILE=
BPF_STATS_OLD=

proc_alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

# wait_gone PID SECONDS: poll until PID has exited, at most SECONDS.
wait_gone() {
	local pid=$1 tries=$(($2 * 20))
	while ((tries-- > 0)) && proc_alive "$pid"; do
		sleep 0.05
	done
	! proc_alive "$pid"
}

# wait_file FILE SECONDS WATCHED_PID: poll until FILE is non-empty, at most
# SECONDS, and only while WATCHED_PID is alive.
wait_file() {
	local tries=$(($2 * 20))
	while ((tries-- > 0)) && [ ! -s "$1" ] && proc_alive "$3"; do
		sleep 0.05
	done
	[ -s "$1" ]
}

# Stop the capture tool by its pid (SIGINT, then SIGTERM, then SIGKILL) and
# reap its wrapper. Returns the wrapper's exit status (the tool's).
stop_capture() {
	local rc=0
	if [ -z "$CAP_PID" ] && [ -n "$WRAP_PID" ] && wait_file "$CAP_PIDFILE" 2 "$WRAP_PID"; then
		CAP_PID=$(<"$CAP_PIDFILE")
	fi
	if proc_alive "$CAP_PID"; then
		kill -INT "$CAP_PID" 2>/dev/null
		if ! wait_gone "$CAP_PID" 60; then
			note "run.sh: capture pid $CAP_PID ignored SIGINT for 60 s, sending SIGTERM"
			kill -TERM "$CAP_PID" 2>/dev/null
			if ! wait_gone "$CAP_PID" 5; then
				kill -KILL "$CAP_PID" 2>/dev/null
				wait_gone "$CAP_PID" 5
			fi
		fi
	fi
	if [ -n "$WRAP_PID" ]; then
		# cpuwrap.py exits as soon as its child has
		wait_gone "$WRAP_PID" 5 || kill -KILL "$WRAP_PID" 2>/dev/null
		wait "$WRAP_PID" 2>/dev/null
		rc=$?
	fi
	CAP_PID=
	WRAP_PID=
	return $rc
}

# Stop a send still running: SIGTERM to timeout(1), which passes it on to
# trafgen, then reap the wrapper.
stop_send() {
	local tpid=
	[ -n "$TG_PID" ] || return 0
	if wait_file "$TG_PIDFILE" 2 "$TG_PID"; then
		tpid=$(<"$TG_PIDFILE")
	fi
	if proc_alive "$tpid"; then
		kill -TERM "$tpid" 2>/dev/null
		wait_gone "$tpid" 15 || kill -KILL "$tpid" 2>/dev/null
	fi
	wait_gone "$TG_PID" 5 || kill -KILL "$TG_PID" 2>/dev/null
	wait "$TG_PID" 2>/dev/null
	TG_PID=
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	stop_capture
	stop_send
	if [ -n "$BPF_STATS_OLD" ]; then
		sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_OLD" >/dev/null 2>&1
	fi
	if ((NETNS_MADE)); then
		ip -n "$NS_TX" link del "$IF_TX" >/dev/null 2>&1
		ip netns del "$NS_TX" >/dev/null 2>&1
		ip netns del "$NS_RX" >/dev/null 2>&1
		if [ -e "/run/netns/$NS_TX" ] || [ -e "/run/netns/$NS_RX" ]; then
			note "run.sh: could not remove namespace $NS_TX or $NS_RX"
		fi
	fi
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		if ((KEEP)); then
			note "run.sh: output kept in $WORK"
		else
			rm -rf -- "$WORK"
		fi
	fi
	exit $rc
}
trap cleanup EXIT
trap 'note "run.sh: interrupted"; exit 130' INT
trap 'note "run.sh: terminated"; exit 143' TERM HUP

WORK=$(mktemp -d "$OUTBASE/sockcap-bench.XXXXXX") || die "cannot create a directory in $OUTBASE"

# ------------------------------------------------------------- the pair
note "setting up namespaces $NS_TX, $NS_RX and veth $IF_TX <-> $IF_RX"
NETNS_MADE=1
ip netns add "$NS_TX" || die "ip netns add $NS_TX failed"
ip netns add "$NS_RX" || die "ip netns add $NS_RX failed"
for ns in "$NS_TX" "$NS_RX"; do
	# no IPv6 router solicitations or MLD reports on the link
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
done
ip netns exec "$NS_RX" sysctl -qw net.ipv4.ip_forward=0 >/dev/null ||
	die "cannot turn forwarding off in $NS_RX"
ip link add "$IF_TX" netns "$NS_TX" type veth peer name "$IF_RX" netns "$NS_RX" ||
	die "cannot create the veth pair (is the veth module available?)"
# No ARP on either end: the only frames on the link are the ones sent.
ip -n "$NS_TX" link set dev "$IF_TX" arp off up || die "cannot bring $IF_TX up"
ip -n "$NS_RX" link set dev "$IF_RX" arp off up || die "cannot bring $IF_RX up"
ip -n "$NS_TX" addr add "$SRC_IP/24" dev "$IF_TX" || die "cannot address $IF_TX"
ip -n "$NS_RX" addr add "$RX_IP/24" dev "$IF_RX" || die "cannot address $IF_RX"
# Receive processing stays on the CPU that sends (no RPS).
ip netns exec "$NS_RX" sh -c "for f in /sys/class/net/$IF_RX/queues/rx-*/rps_cpus; do echo 0 > \$f; done" 2>/dev/null

for _ in $(seq 100); do
	st_tx=$(ip netns exec "$NS_TX" cat "/sys/class/net/$IF_TX/operstate" 2>/dev/null)
	st_rx=$(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/operstate" 2>/dev/null)
	[ "$st_tx" = up ] && [ "$st_rx" = up ] && break
	sleep 0.05
done
if [ "$st_tx" != up ] || [ "$st_rx" != up ]; then
	die "veth pair did not come up ($st_tx/$st_rx)"
fi

RX_MAC=$(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/address") || die "no MAC for $IF_RX"
TX_MAC=$(ip netns exec "$NS_TX" cat "/sys/class/net/$IF_TX/address") || die "no MAC for $IF_TX"

# ------------------------------------------------------------- the frame
mac_bytes() {
	local IFS=:
	# shellcheck disable=SC2086
	set -- $1
	printf '0x%s, 0x%s, 0x%s, 0x%s, 0x%s, 0x%s' "$@"
}

ip_words() {
	local IFS=.
	# shellcheck disable=SC2086
	set -- $1
	printf '%d %d' $((($1 << 8) | $2)) $((($3 << 8) | $4))
}

# IPv4 header checksum over: version/IHL/TOS, total length 46, id 0,
# flags DF, TTL 64 / protocol UDP, source and destination addresses.
ip_checksum() {
	local sum=0 w
	# shellcheck disable=SC2046
	for w in 0x4500 46 0 0x4000 0x4011 $(ip_words "$SRC_IP") $(ip_words "$DST_IP"); do
		sum=$((sum + w))
	done
	while ((sum >> 16)); do
		sum=$(((sum & 0xffff) + (sum >> 16)))
	done
	echo $((~sum & 0xffff))
}

CFG=$WORK/udp60.trafgen
cat >"$CFG" <<EOF
/* 60 bytes: Ethernet, IPv4, UDP $SRC_IP:$SPORT -> $DST_IP:$DPORT, 18 zero bytes */
{
  $(mac_bytes "$RX_MAC"),
  $(mac_bytes "$TX_MAC"),
  c16(0x0800),
  0x45, 0x00, c16(46), c16(0), c16(0x4000), 64, 17, c16($(ip_checksum)),
  $(echo "$SRC_IP" | tr . ,),
  $(echo "$DST_IP" | tr . ,),
  c16($SPORT), c16($DPORT), c16(26), c16(0),
  fill(0x00, 18)
}
EOF

TG_ARGS=(--dev "$IF_TX" --conf "$CFG" --cpus 1 --no-sock-mem --notouch-irq)
if ((TX_RING)); then
	SEND_MODE="TX_RING (frame in page fragments, 14 bytes linear)"
else
	# A gap of 0 selects trafgen's sendto() path, one linear skb per frame.
	TG_ARGS+=(--gap 0)
	SEND_MODE="sendto() per frame (whole frame linear)"
fi
# Generous bound on one send: 60 s plus 20 k frames per second.
SEND_LIMIT=$((60 + COUNT / 20000))

# --------------------------------------------------------- measurement
# Counters of both ends: sent, came back to the sender, dropped by the
# sender's end, received, sent by the receiver, dropped by the receiver's.
counters() {
	local t r
	t=$(ip netns exec "$NS_TX" cat "/sys/class/net/$IF_TX/statistics/tx_packets" \
		"/sys/class/net/$IF_TX/statistics/rx_packets" \
		"/sys/class/net/$IF_TX/statistics/tx_dropped") || return 1
	r=$(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/statistics/rx_packets" \
		"/sys/class/net/$IF_RX/statistics/tx_packets" \
		"/sys/class/net/$IF_RX/statistics/rx_dropped") || return 1
	# one line of six numbers
	# shellcheck disable=SC2086
	echo $t $r
}

# CPU seconds used so far by a running process or kernel thread.
proc_cpu() {
	if [ -r "/proc/$1/schedstat" ]; then
		awk '{ printf "%.6f\n", $1 / 1e9 }' "/proc/$1/schedstat"
	elif [ -r "/proc/$1/stat" ]; then
		awk -v hz="$(getconf CLK_TCK)" \
			'{ sub(/.*\) /, ""); printf "%.6f\n", ($12 + $13) / hz }' "/proc/$1/stat"
	else
		echo 0
	fi
}

# "run_cnt run_time_ns" of the socket filter program the process holds.
prog_stats() {
	local f
	for f in /proc/"$1"/fdinfo/*; do
		awk '$1 == "prog_type:" && $2 == 1 { sf = 1 }
		     $1 == "run_cnt:" { c = $2 } $1 == "run_time_ns:" { t = $2 }
		     END { if (sf) print c + 0, t + 0; else exit 1 }' "$f" 2>/dev/null && return 0
	done
	return 1
}

# send FRAMES: run trafgen on CPU 0 until it has sent FRAMES frames. Sets
#   TG_PKTS   frames trafgen says it sent
#   TG_SECS   time of trafgen's send loop (its own measurement)
#   TG_CPU    CPU time of the sending path: trafgen's, with the receive
#             softirq it runs inline, plus ksoftirqd's on CPU 0
#   TG_WALL   wall-clock time of the whole trafgen process
send() {
	local log=$WORK/trafgen.log cpuf=$WORK/trafgen.cpu rc k0 k1 u s e
	TG_PKTS=
	TG_SECS=
	TG_CPU=
	TG_WALL=
	TG_PIDFILE=$WORK/trafgen.pid
	rm -f -- "$TG_PIDFILE" "$cpuf"
	k0=$(proc_cpu "${KSOFTIRQD:-0}")
	"$PY" "$HERE/cpuwrap.py" "$TG_PIDFILE" "$cpuf" -- \
		timeout -s INT -k 10 "$SEND_LIMIT" \
		taskset -c "$TX_CPU" ip netns exec "$NS_TX" \
		trafgen "${TG_ARGS[@]}" --num "$1" >"$log" 2>&1 &
	TG_PID=$!
	wait "$TG_PID"
	rc=$?
	TG_PID=
	k1=$(proc_cpu "${KSOFTIRQD:-0}")
	if ((rc != 0)); then
		note "run.sh: trafgen failed (exit status $rc):"
		sed 's/^/  /' "$log" >&2
		return 1
	fi
	# "      4 sec, 123456 usec on CPU0 (4000000 packets)"
	read -r TG_SECS TG_PKTS < <(tr -d '\r' <"$log" | awk '
		/usec on CPU/ { gsub(/\(/, "", $7); s += $1 + $3 / 1e6; n += $7 }
		END { if (n) printf "%.6f %d\n", s, n }')
	if [ -z "$TG_PKTS" ]; then
		note "run.sh: no timing in trafgen's output:"
		sed 's/^/  /' "$log" >&2
		return 1
	fi
	read -r u s e <"$cpuf" || { u=0; s=0; e=0; }
	TG_CPU=$(awk -v u="$u" -v s="$s" -v a="$k0" -v b="$k1" 'BEGIN { printf "%.6f", u + s + b - a }')
	TG_WALL=$e
}

# The captures measured; each is bracketed by sends without capture (a0,
# a1, ...), and its baseline is the mean of the two next to it.
CAPS=(b c d)
((NULL_FILTER)) && CAPS+=(e)

label() {
	case $1 in
	a*) echo "no capture" ;;
	b) echo "sockcap" ;;
	c) echo "tcpdump -n" ;;
	d) echo "tcpdump -l -n" ;;
	e) echo "do-nothing filter" ;;
	s) echo "sockcap, bpf_stats on" ;;
	esac
}

# Results, keyed "RUN,CASE".
declare -A R_SENT R_PPS R_NS R_OTHER R_LINES R_DEC R_CPU R_STATS R_NOTE R_FAIL

# measure RUN CASE: one send of COUNT frames with CASE's capture running.
measure() {
	local r=$1 c=$2 k="$1,$2" base out err cpuf
	local -a cmd=()
	case $c in
	a*) ;;
	b | s) cmd=("$SOCKCAP_BIN" -i "$IF_RX") ;;
	c) cmd=(tcpdump -n -i "$IF_RX") ;;
	d) cmd=(tcpdump -l -n -i "$IF_RX") ;;
	e) cmd=("$PY" "$HERE/nullfilter.py" "$IF_RX") ;;
	esac
	base=$WORK/run$r-$c
	out=$base.out
	err=$base.err
	cpuf=$base.cpu
	CAP_PIDFILE=$base.pid
	rm -f -- "$out" "$err" "$CAP_PIDFILE" "$cpuf"
	note "run $r: $c) $(label "$c")"

	local cpu_ready=0
	if ((${#cmd[@]})); then
		taskset -c "$CAP_CPU" "$PY" "$HERE/cpuwrap.py" "$CAP_PIDFILE" "$cpuf" -- \
			ip netns exec "$NS_RX" "${cmd[@]}" >"$out" 2>"$err" &
		WRAP_PID=$!
		wait_file "$CAP_PIDFILE" 10 "$WRAP_PID" && CAP_PID=$(<"$CAP_PIDFILE")
		# ready when it says so on stderr, as long as it is alive
		for _ in $(seq 400); do
			grep -qs "listening on" "$err" && break
			proc_alive "$CAP_PID" || break
			sleep 0.05
		done
		if ! proc_alive "$CAP_PID" || ! grep -qs "listening on" "$err"; then
			stop_capture
			R_FAIL[$k]="did not start: $(grep -v '^$' "$err" | head -n 3 | paste -sd ' ' -)"
			note "run.sh: $(label "$c"): ${R_FAIL[$k]}"
			return 1
		fi
		sleep "$SETTLE"
		cpu_ready=$(proc_cpu "$CAP_PID")
	fi

	local before after
	before=$(counters) || die "cannot read the veth counters"
	if ! send "$COUNT"; then
		stop_capture
		R_FAIL[$k]="trafgen failed"
		return 1
	fi
	after=$(counters) || die "cannot read the veth counters"

	local prog=
	if ((${#cmd[@]})); then
		sleep "$TAIL"
		[ "$c" = s ] && prog=$(prog_stats "$CAP_PID")
		stop_capture
		local wrc=$?
		((wrc == 0)) || R_NOTE[$k]+="capture exited with status $wrc; "
	fi

	local -a b0 b1
	read -r -a b0 <<<"$before"
	read -r -a b1 <<<"$after"
	# 0: tx end sent, 1: tx end received, 2: tx end dropped,
	# 3: rx end received, 4: rx end sent, 5: rx end dropped
	local sent=$((b1[0] - b0[0])) rxd=$((b1[3] - b0[3]))
	local back=$((b1[1] - b0[1] + b1[4] - b0[4])) drops=$((b1[2] - b0[2] + b1[5] - b0[5]))
	R_SENT[$k]=$sent
	R_PPS[$k]=$(awk -v n="$TG_PKTS" -v s="$TG_SECS" 'BEGIN { printf "%.1f", n / s }')
	R_NS[$k]=$(awk -v n="$TG_PKTS" -v t="$TG_CPU" 'BEGIN { printf "%.1f", t * 1e9 / n }')
	R_OTHER[$k]=$(awk -v t="$TG_CPU" -v w="$TG_WALL" \
		'BEGIN { x = w > 0 ? 100 * (1 - t / w) : 0; if (x < 0) x = 0; printf "%.0f", x }')
	((sent == TG_PKTS)) || R_NOTE[$k]+="trafgen counted $TG_PKTS frames, the veth $sent; "
	((rxd == sent)) || R_NOTE[$k]+="receiver got $rxd of $sent frames; "
	((back == 0)) || R_NOTE[$k]+="$back frames went back toward the sender; "
	((drops == 0)) || R_NOTE[$k]+="veth dropped $drops frames; "

	if ((${#cmd[@]})); then
		local u s
		if ! read -r u s _ <"$cpuf" 2>/dev/null; then
			u=0
			s=0
			R_NOTE[$k]+="no CPU time; "
		fi
		R_CPU[$k]=$(awk -v u="$u" -v s="$s" -v r="$cpu_ready" 'BEGIN { printf "%.6f", u + s - r }')
		R_LINES[$k]=$(wc -l <"$out")
		R_DEC[$k]=$(grep -cF -- "$SIGNATURE" "$out")
		R_STATS[$k]=$(grep -E '^[0-9]+ packets? ' "$err" | paste -sd ';' - | sed 's/;/; /g')
		local other
		other=$(grep -vE '^[0-9]+ packets? |listening on|verbose output suppressed' "$err" |
			head -n 3 | paste -sd ';' -)
		[ -n "$other" ] && R_NOTE[$k]+="stderr: $other; "
		[ -n "$prog" ] && R_PROG=$prog
		((KEEP)) || rm -f -- "$out"
	fi
	return 0
}

# ---------------------------------------------------------------- report
# mean2 A B: the mean of the values that are set.
mean2() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
		if (a != "" && b != "") printf "%.1f", (a + b) / 2
		else if (a != "") printf "%.1f", a
		else if (b != "") printf "%.1f", b }'
}

# mean VALUES...: the mean of the values that are set, or nothing.
mean() {
	printf '%s\n' "$@" | awk 'NF { s += $1; n++ } END { if (n) printf "%.1f", s / n }'
}

# Per-run derived values, keyed like the results.
declare -A V_CAPT V_DEC V_REL V_RELCPU V_PLUS V_US
declare -A B_PPS B_NS

# derive RUN: compare each capture with the no-capture sends next to it.
derive() {
	local r=$1 c k i bp bn
	local -a pps=() ns=()
	for ((i = 0; i <= ${#CAPS[@]}; i++)); do
		pps+=("${R_PPS[$r,a$i]:-}")
		ns+=("${R_NS[$r,a$i]:-}")
	done
	B_PPS[$r]=$(mean "${pps[@]}")
	B_NS[$r]=$(mean "${ns[@]}")
	for ((i = 0; i < ${#CAPS[@]}; i++)); do
		c=${CAPS[i]}
		k="$r,$c"
		[ -n "${R_PPS[$k]:-}" ] || continue
		bp=$(mean2 "${pps[i]}" "${pps[i + 1]}")
		bn=$(mean2 "${ns[i]}" "${ns[i + 1]}")
		if [ -n "$bp" ]; then
			V_REL[$k]=$(awk -v p="${R_PPS[$k]}" -v b="$bp" 'BEGIN { printf "%.3f", p / b }')
			V_RELCPU[$k]=$(awk -v n="${R_NS[$k]}" -v b="$bn" 'BEGIN { printf "%.3f", b / n }')
			V_PLUS[$k]=$(awk -v n="${R_NS[$k]}" -v b="$bn" 'BEGIN { printf "%.0f", n - b }')
		fi
		if [ -n "${R_LINES[$k]:-}" ] && [ "$c" != e ]; then
			V_CAPT[$k]=$(awk -v n="${R_LINES[$k]}" -v d="${R_SENT[$k]}" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
			V_DEC[$k]=$(awk -v n="${R_DEC[$k]}" -v d="${R_LINES[$k]}" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
			V_US[$k]=$(awk -v t="${R_CPU[$k]}" -v n="${R_LINES[$k]}" 'BEGIN { if (n > 0) printf "%.3f", t * 1e6 / n }')
		fi
	done
}

ROWFMT="%-20s %8s %8s %7s %6s %8s %5s %7s %5s %6s %6s\n"

print_run() {
	local r=$1 c k i
	local -a as=() other=()
	for ((i = 0; i <= ${#CAPS[@]}; i++)); do
		as+=("a$i")
		[ -n "${R_OTHER[$r,a$i]:-}" ] && other+=("${R_OTHER[$r,a$i]}")
	done
	echo
	# shellcheck disable=SC2059
	printf "$ROWFMT" "run $r of $RUNS" captured decoded "tx kpps" rel. ns/frame +ns rel.cpu other "CPU s" us/pkt
	if [ -n "${B_PPS[$r]:-}" ]; then
		# shellcheck disable=SC2059
		printf "$ROWFMT" "a no capture, mean" "" "" \
			"$(awk -v p="${B_PPS[$r]}" 'BEGIN { printf "%.1f", p / 1000 }')" \
			- "${B_NS[$r]}" - - "$(mean "${other[@]}" | awk '{ printf "%.0f", $1 }')%" - -
	fi
	for c in "${CAPS[@]}"; do
		k="$r,$c"
		if [ -n "${R_FAIL[$k]:-}" ]; then
			printf "%-20s failed: %s\n" "$c $(label "$c")" "${R_FAIL[$k]}"
			continue
		fi
		[ -n "${R_PPS[$k]:-}" ] || continue
		# shellcheck disable=SC2059
		printf "$ROWFMT" "$c $(label "$c")" \
			"${V_CAPT[$k]:+${V_CAPT[$k]}%}" \
			"${V_DEC[$k]:+${V_DEC[$k]}%}" \
			"$(awk -v p="${R_PPS[$k]}" 'BEGIN { printf "%.1f", p / 1000 }')" \
			"${V_REL[$k]:--}" \
			"${R_NS[$k]}" \
			"${V_PLUS[$k]:--}" \
			"${V_RELCPU[$k]:--}" \
			"${R_OTHER[$k]}%" \
			"$(if [ -n "${R_CPU[$k]:-}" ]; then awk -v t="${R_CPU[$k]}" 'BEGIN { printf "%.3f", t }'; else echo -; fi)" \
			"${V_US[$k]:--}"
	done
	printf "  a, in order:"
	for c in "${as[@]}"; do
		k="$r,$c"
		if [ -n "${R_PPS[$k]:-}" ]; then
			printf " %s" "$(awk -v p="${R_PPS[$k]}" -v n="${R_NS[$k]}" 'BEGIN { printf "%.1f kpps %.0f ns", p / 1000, n }')"
		else
			printf " failed"
		fi
		[ "$c" != "${as[-1]}" ] && printf ","
	done
	echo
	for c in "${CAPS[@]}"; do
		k="$r,$c"
		[ -n "${R_STATS[$k]:-}" ] && printf "  %s %s: %s\n" "$c" "$(label "$c")" "${R_STATS[$k]}"
	done
	for c in "${as[@]}" "${CAPS[@]}"; do
		k="$r,$c"
		[ -n "${R_NOTE[$k]:-}" ] && printf "  %s note: %s\n" "$c" "${R_NOTE[$k]%; }"
		[ -n "${R_FAIL[$k]:-}" ] && [ "${c:0:1}" = a ] && printf "  %s failed: %s\n" "$c" "${R_FAIL[$k]}"
	done
	return 0
}

# stat3 VALUES...: "median (min..max)" of the numeric values, or "-".
stat3() {
	local -a v=()
	local x
	for x in "$@"; do
		[[ $x =~ ^-?[0-9.]+$ ]] && v+=("$x")
	done
	((${#v[@]})) || {
		echo "-"
		return
	}
	printf '%s\n' "${v[@]}" | sort -g | awk '
		function fmt(x,   d) {
			d = a[1]; sub(/^-?[0-9]*/, "", d)
			return sprintf("%." (length(d) ? length(d) - 1 : 0) "f", x)
		}
		{ a[NR] = $1 }
		END {
			m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
			if (NR == 1) print a[1]
			else printf "%s (%s..%s)\n", fmt(m), a[1], a[NR]
		}'
}

SUMFMT="%-20s %-24s %-21s %-21s %-18s %s\n"

print_summary() {
	local c r
	local -a capt rel relc plus us
	local -a kp=() ns=()
	for ((r = 1; r <= RUNS; r++)); do
		[ -n "${B_PPS[$r]:-}" ] && kp+=("$(awk -v p="${B_PPS[$r]}" 'BEGIN { printf "%.1f", p / 1000 }')")
		[ -n "${B_NS[$r]:-}" ] && ns+=("${B_NS[$r]}")
	done
	echo
	echo "summary: $RUNS run(s) of $COUNT frames per case, median (min..max)"
	echo "no capture: $(stat3 "${kp[@]}") kpps, $(stat3 "${ns[@]}") ns/frame on CPU $TX_CPU"
	# shellcheck disable=SC2059
	printf "$SUMFMT" "" "captured %" "rel. rate" "rel. rate (CPU)" "+ns/frame CPU $TX_CPU" "CPU us/pkt"
	for c in "${CAPS[@]}"; do
		capt=() rel=() relc=() plus=() us=()
		for ((r = 1; r <= RUNS; r++)); do
			capt+=("${V_CAPT[$r,$c]:-}")
			us+=("${V_US[$r,$c]:-}")
			rel+=("${V_REL[$r,$c]:-}")
			relc+=("${V_RELCPU[$r,$c]:-}")
			plus+=("${V_PLUS[$r,$c]:-}")
		done
		# shellcheck disable=SC2059
		printf "$SUMFMT" "$c $(label "$c")" "$(stat3 "${capt[@]}")" "$(stat3 "${rel[@]}")" \
			"$(stat3 "${relc[@]}")" "$(stat3 "${plus[@]}")" "$(stat3 "${us[@]}")"
	done
}

# ------------------------------------------------------------------ run
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
eta=$(awk -v n="$COUNT" -v r="$RUNS" -v c="$((2 * ${#CAPS[@]} + 1))" \
	'BEGIN { printf "%.0f", (r * c * (n / 450000 + 3)) / 60 + 0.5 }')
note "frames per case: $COUNT; runs: $RUNS; about $eta minute(s)"

echo "sockcap benchmark"
echo "  kernel   $(uname -r), $(getconf _NPROCESSORS_ONLN) CPUs: $cpu_model"
echo "  sockcap  $("$SOCKCAP_BIN" --version 2>&1 | head -n 1) ($SOCKCAP_BIN)"
echo "  tcpdump  $(tcpdump --version 2>&1 | head -n 1), $(tcpdump --version 2>&1 | sed -n 2p)"
echo "  sender   $(trafgen -v 2>&1 | head -n 1 | awk '{ print $1, $2 }') on CPU $TX_CPU, $SEND_MODE"
echo "  frames   $COUNT per case, 60 bytes, $SRC_IP:$SPORT > $DST_IP:$DPORT UDP, to the receiver's MAC"
echo "  capture  on CPU $CAP_CPU, in the receiver's namespace, output to a file in $OUTBASE"
echo "  cases    a no capture              b sockcap -i VETH > file"
echo "           c tcpdump -n -i VETH > file  d tcpdump -l -n -i VETH > file"
((NULL_FILTER)) &&
	echo "           e do-nothing filter: packet socket with classic BPF 'ret #0', reads nothing"
echo "           a no capture: before, between and after the others; each capture is"
echo "             compared with the mean of the two no-capture sends next to it"
echo "  columns  captured  lines printed / frames sent"
echo "           decoded   lines showing the frame's UDP header / lines printed"
echo "           tx kpps   frames / time of trafgen's send loop;  rel. = / baseline"
echo "           ns/frame  CPU time of the sending path on CPU $TX_CPU (trafgen with the"
echo "                     receive softirq it runs, plus ksoftirqd/$TX_CPU) per frame"
echo "           +ns       ns/frame - baseline: the capture's kernel-side cost per frame"
echo "           rel.cpu   baseline ns/frame / ns/frame: rel. without other load"
echo "           other     share of the send's wall time CPU $TX_CPU spent elsewhere"
echo "                     (other tasks, hypervisor); when high, trust rel.cpu over rel."
echo "           CPU s     the capture process's user+sys time from ready to exit"
echo "           us/pkt    CPU s / lines printed"

note "warm-up send"
send $((COUNT / 10 > 500000 ? 500000 : COUNT / 10)) || die "warm-up send failed"

for ((run = 1; run <= RUNS; run++)); do
	measure "$run" a0
	for ((i = 0; i < ${#CAPS[@]}; i++)); do
		measure "$run" "${CAPS[i]}"
		measure "$run" "a$((i + 1))"
	done
	derive "$run"
	print_run "$run"
done

if ((BPF_STATS)); then
	R_PROG=
	BPF_STATS_OLD=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null) ||
		die "kernel.bpf_stats_enabled is not available"
	sysctl -qw kernel.bpf_stats_enabled=1 >/dev/null || die "cannot enable BPF statistics"
	measure 0 a0
	measure 0 s
	measure 0 a1
	sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_OLD" >/dev/null
	BPF_STATS_OLD=
	echo
	echo "socket filter run time (kernel.bpf_stats_enabled=1, one more send of $COUNT frames)"
	if [ -n "${R_PROG:-}" ]; then
		read -r p_cnt p_ns <<<"$R_PROG"
		awk -v c="$p_cnt" -v t="$p_ns" -v n="${R_NS[0,s]:-0}" \
			-v b="$(mean2 "${R_NS[0,a0]:-}" "${R_NS[0,a1]:-}")" 'BEGIN {
			printf "  sockcap_filter: %d runs, %.3f s in all, %.1f ns per run\n", c, t / 1e9, c ? t / c : 0
			if (b > 0) printf "  sending path meanwhile: %.1f ns/frame, %+.0f ns against no capture (%.1f ns/frame, stats on)\n", n, n - b, b
		}'
		[ -n "${R_STATS[0,s]:-}" ] && echo "  sockcap: ${R_STATS[0,s]}"
	else
		echo "  could not read the program's statistics"
	fi
fi

print_summary
