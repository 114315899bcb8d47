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
# --write makes the captures write pcap files (sockcap -w, tcpdump -w) and
# counts the packets in each file with a third tool. --tcp replaces the
# flood with an iperf3 TCP transfer and measures the throughput that is left
# while sockcap or tcpdump writes 128 bytes of every packet to a file.
# --filter makes 1% of the flood match a tcpdump filter expression and runs
# every capture with that expression: what a capture costs when the kernel
# throws away almost everything it sees.
#
# Run as root: bash bench/run.sh [--runs N] [--count FRAMES] [--sockcap PATH]
#              [--write | --filter | --tcp [--tcp-secs SECONDS]]
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
MODE=print	# print: summary lines; write: -w FILE; tcp: iperf3 and -s 128 -w FILE;
		# filter: a filter expression that 1% of the flood matches
COUNT_SET=0
TCP_SECS=10
TCP_SECS_SET=0
TCP_PORT=5201	# in the namespaces made for the run, so it collides with nothing
TCP_SNAP=128
TX_CPU=0	# trafgen's first worker pins itself to CPU 0 in any case
CAP_CPU=1
SETTLE=0.2	# seconds between "ready" and the send
TAIL=1		# seconds between the end of the send and SIGINT
# --filter: the flood repeats a cycle of CYCLE frames of which the last one
# goes to MATCH_PORT and the others to the usual port; every capture runs
# with FILTER_EXPR, which only that one frame matches.
CYCLE=100
MATCH_PORT=10
FILTER_EXPR="udp dst port $MATCH_PORT"

usage() {
	cat <<EOF
Usage: bash bench/run.sh [OPTION]...

Measure what packet capture costs on a veth pair: no capture, sockcap,
tcpdump, tcpdump -l and a do-nothing socket filter, each while trafgen
floods the pair with 60-byte UDP frames. Needs root and two CPUs.
With --write the captures write pcap files instead; with --filter 1% of the
frames match a filter expression that every capture runs with; with --tcp
the traffic is an iperf3 TCP transfer and the captures write 128 bytes of
each packet.

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
  --write            the captures write files: sockcap -w FILE and
                     tcpdump -w FILE, each with its default snap length and
                     buffer; captured: packets in the file (counted
                     with capinfos) / frames sent
  --filter           one frame in $CYCLE of the flood goes to UDP port $MATCH_PORT, and
                     every capture runs with the filter expression
                     '$FILTER_EXPR': sockcap and tcpdump, each printing
                     and writing a file, against no capture; captured:
                     packets printed or in the file / matching frames
                     sent (FRAMES / $CYCLE; FRAMES must be a multiple of $CYCLE)
  --tcp              instead of the flood, an iperf3 TCP transfer from the
                     sender's namespace to the receiver's (client and server
                     both on CPU $TX_CPU) against sockcap -s $TCP_SNAP -w FILE and
                     tcpdump -s $TCP_SNAP -w FILE: throughput against no capture,
                     packets on the capture interface against packets in
                     the file, drops, CPU per packet
  --tcp-secs SECONDS length of each transfer with --tcp (default $TCP_SECS)
  --keep             keep the capture output (pcap files too) and logs
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
	--runs | --count | --sockcap | --outdir | --tcp-secs)
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
		COUNT_SET=1
		;;
	--tcp-secs)
		if ! is_uint "$val" || ((val < 1 || val > 3600)); then
			die "invalid transfer length '$val' (1 to 3600 seconds)"
		fi
		TCP_SECS=$val
		TCP_SECS_SET=1
		;;
	--write | --filter | --tcp)
		[ "$MODE" != print ] && [ "$MODE" != "${opt#--}" ] &&
			die "--$MODE and $opt are separate benchmarks: choose one"
		MODE=${opt#--}
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

if [ "$MODE" = tcp ]; then
	((COUNT_SET)) && die "--count does not apply to --tcp (its transfers last --tcp-secs)"
	((TX_RING)) && die "--tx-ring does not apply to --tcp (iperf3 sends, not trafgen)"
	((BPF_STATS)) && die "--bpf-stats does not apply to --tcp"
elif ((TCP_SECS_SET)); then
	die "--tcp-secs needs --tcp"
fi
# A whole number of cycles, so that exactly 1% of the frames sent match.
if [ "$MODE" = filter ] && ((COUNT % CYCLE)); then
	die "with --filter the frame count must be a multiple of $CYCLE (got $COUNT)"
fi

# --------------------------------------------------------------- checks
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, packet sockets, BPF)"

missing=()
need() {
	command -v "$1" >/dev/null 2>&1 || missing+=("$1 (apt-get install $2)")
}
[ "$MODE" = tcp ] || need trafgen netsniff-ng
need tcpdump tcpdump
need ip iproute2
need taskset util-linux
need timeout coreutils
need awk mawk
need python3 python3
if [ "$MODE" = tcp ]; then
	need iperf3 iperf3
	need ss iproute2
fi
if ((${#missing[@]})); then
	note "run.sh: missing tools:"
	for m in "${missing[@]}"; do
		note "  $m"
	done
	exit 1
fi

# Packets in a capture file are counted by a tool that is neither of the
# two writing them: capinfos (wireshark-common) reads only the record
# headers. Without it, tcpdump -r, which shares libpcap with tcpdump -w.
FILE_COUNTER=
if [ "$MODE" != print ]; then
	if command -v capinfos >/dev/null 2>&1; then
		FILE_COUNTER=capinfos
	else
		FILE_COUNTER=tcpdump
		note "run.sh: capinfos not found (apt-get install wireshark-common); counting with tcpdump -r"
	fi
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
SRV_PID=	# timeout(1) running the iperf3 server, a child of this script
CLI_PID=	# timeout(1) running the iperf3 client, a child of this script
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

# stop_timeout PID: stop a timeout(1) this script started, and what it runs.
# timeout(1) passes SIGTERM on to its command; it put itself and that
# command in a process group of their own (its pid), so a SIGKILL to that
# group reaches exactly the two of them.
stop_timeout() {
	local pid=$1
	[ -n "$pid" ] || return 0
	if proc_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		if ! wait_gone "$pid" 10; then
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
			wait_gone "$pid" 5
		fi
	fi
	wait "$pid" 2>/dev/null
}

stop_tcp() {
	stop_timeout "$CLI_PID"
	CLI_PID=
	stop_timeout "$SRV_PID"
	SRV_PID=
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	stop_capture
	stop_send
	stop_tcp
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

if [ "$MODE" = tcp ]; then
	# ARP stays off, so TCP needs each end's MAC as a permanent neighbour.
	ip -n "$NS_TX" neigh replace "$RX_IP" lladdr "$RX_MAC" dev "$IF_TX" nud permanent ||
		die "cannot add a neighbour entry for $RX_IP"
	ip -n "$NS_RX" neigh replace "$SRC_IP" lladdr "$TX_MAC" dev "$IF_RX" nud permanent ||
		die "cannot add a neighbour entry for $SRC_IP"
fi

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

# frame PORT: one packet of a trafgen configuration, to UDP port PORT (the
# ports are not in the IP checksum, and the UDP checksum is 0).
frame() {
	cat <<EOF
/* 60 bytes: Ethernet, IPv4, UDP $SRC_IP:$SPORT -> $DST_IP:$1, 18 zero bytes */
{
  $(mac_bytes "$RX_MAC"),
  $(mac_bytes "$TX_MAC"),
  c16(0x0800),
  0x45, 0x00, c16(46), c16(0), c16(0x4000), 64, 17, c16($(ip_checksum)),
  $(echo "$SRC_IP" | tr . ,),
  $(echo "$DST_IP" | tr . ,),
  c16($SPORT), c16($1), c16(26), c16(0),
  fill(0x00, 18)
}
EOF
}

CFG=$WORK/udp60.trafgen
if [ "$MODE" = filter ]; then
	# trafgen sends the packets of a configuration in turn, from the first
	# on each start: CYCLE - 1 frames to DPORT, then one to MATCH_PORT. The
	# matching frame comes last, so that any number of frames sent holds
	# exactly (frames / CYCLE) matches; check_cycle verifies the order.
	{
		for ((i = 1; i < CYCLE; i++)); do
			frame "$DPORT"
		done
		frame "$MATCH_PORT"
	} >"$CFG"
	# What a fully decoded line of the matching frame contains.
	SIGNATURE="$SRC_IP.$SPORT > $DST_IP.$MATCH_PORT: UDP, length 18"
else
	frame "$DPORT" >"$CFG"
fi

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

# "run_cnt run_time_ns" of the socket filter program the process holds, the
# one the socket runs. With a filter expression the process holds two: the
# expression, which the socket runs for every packet, and the parser it
# tail-calls for the packets that match. The kernel counts a program's runs
# and time only where the socket enters it, so the parser's counters stay
# at 0 and the expression's include the parser's time: the one with the
# most runs is the one to report.
prog_stats() {
	local f line
	line=$(for f in /proc/"$1"/fdinfo/*; do
		awk '$1 == "prog_type:" && $2 == 1 { sf = 1 }
		     $1 == "run_cnt:" { c = $2 } $1 == "run_time_ns:" { t = $2 }
		     END { if (sf) print c + 0, t + 0; else exit 1 }' "$f" 2>/dev/null
	done | sort -n -k1,1 | tail -n 1)
	[ -n "$line" ] || return 1
	echo "$line"
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
case $MODE in
print) CAPS=(b c d) ;;
filter) CAPS=(b c d f) ;;
*) CAPS=(b c) ;;
esac
[ "$MODE" != tcp ] && ((NULL_FILTER)) && CAPS+=(e)

label() {
	case $MODE,$1 in
	*,a*) echo "no capture" ;;
	print,b) echo "sockcap" ;;
	print,c) echo "tcpdump -n" ;;
	print,d) echo "tcpdump -l -n" ;;
	write,b) echo "sockcap -w" ;;
	write,c) echo "tcpdump -w" ;;
	filter,b) echo "sockcap EXPR" ;;
	filter,c) echo "sockcap -w EXPR" ;;
	filter,d) echo "tcpdump -n EXPR" ;;
	filter,f) echo "tcpdump -w EXPR" ;;
	tcp,b) echo "sockcap -s $TCP_SNAP -w" ;;
	tcp,c) echo "tcpdump -s $TCP_SNAP -w" ;;
	*,e) echo "do-nothing filter" ;;
	print,s) echo "sockcap, bpf_stats on" ;;
	write,s) echo "sockcap -w, bpf_stats on" ;;
	filter,s) echo "sockcap EXPR, bpf_stats on" ;;
	filter,v) echo "order check (tcpdump -w, no filter)" ;;
	esac
}

# writes_file CASE: whether CASE's capture writes a pcap file (rather than
# lines to standard output, or nothing).
writes_file() {
	case $MODE,$1 in
	*,a* | *,e | print,* | filter,b | filter,d | filter,s) return 1 ;;
	esac
	return 0
}

# capture_cmd CASE FILE: set CMD to CASE's capture command (none for a*);
# FILE is where it writes packets in --write and --tcp.
capture_cmd() {
	CMD=()
	case $MODE,$1 in
	*,a*) ;;
	print,b | print,s) CMD=("$SOCKCAP_BIN" -i "$IF_RX") ;;
	print,c) CMD=(tcpdump -n -i "$IF_RX") ;;
	print,d) CMD=(tcpdump -l -n -i "$IF_RX") ;;
	# defaults apart from -i and -w: snap length 262144 for both; sockcap's
	# ring 2048 KiB (its -w default), tcpdump's buffer libpcap's 2 MiB
	write,b | write,s) CMD=("$SOCKCAP_BIN" -i "$IF_RX" -w "$2") ;;
	write,c) CMD=(tcpdump -i "$IF_RX" -w "$2") ;;
	tcp,b) CMD=("$SOCKCAP_BIN" -i "$IF_RX" -s "$TCP_SNAP" -w "$2") ;;
	tcp,c) CMD=(tcpdump -i "$IF_RX" -s "$TCP_SNAP" -w "$2") ;;
	# the same expression, one argument, for all four; otherwise defaults
	filter,b | filter,s) CMD=("$SOCKCAP_BIN" -i "$IF_RX" "$FILTER_EXPR") ;;
	filter,c) CMD=("$SOCKCAP_BIN" -i "$IF_RX" -w "$2" "$FILTER_EXPR") ;;
	filter,d) CMD=(tcpdump -n -i "$IF_RX" "$FILTER_EXPR") ;;
	filter,f) CMD=(tcpdump -i "$IF_RX" -w "$2" "$FILTER_EXPR") ;;
	*,e) CMD=("$PY" "$HERE/nullfilter.py" "$IF_RX") ;;
	esac
}

# Results, keyed "RUN,CASE".
declare -A R_SENT R_PPS R_NS R_OTHER R_LINES R_DEC R_CPU R_STATS R_NOTE R_FAIL
declare -A R_FILE R_DROP R_BPS R_RETR R_LINK R_LBYTES R_MATCH

# start_capture KEY CASE OUT ERR CPUFILE: start CMD on the capture CPU in
# the receiver's namespace and wait until it says it is listening. Sets
# CAP_READY, the CPU time it has used by then (its start-up).
start_capture() {
	local k=$1 c=$2 out=$3 err=$4 cpuf=$5
	CAP_READY=0
	taskset -c "$CAP_CPU" "$PY" "$HERE/cpuwrap.py" "$CAP_PIDFILE" "$cpuf" -- \
		ip netns exec "$NS_RX" "${CMD[@]}" >"$out" 2>"$err" &
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
	CAP_READY=$(proc_cpu "$CAP_PID")
}

# collect_capture KEY CPUFILE ERR CPU_READY: after the capture has exited,
# its CPU time from ready to exit and its own statistics lines.
collect_capture() {
	local k=$1 cpuf=$2 err=$3 ready=$4 u s other
	if ! read -r u s _ <"$cpuf" 2>/dev/null; then
		u=0
		s=0
		R_NOTE[$k]+="no CPU time; "
	fi
	R_CPU[$k]=$(awk -v u="$u" -v s="$s" -v r="$ready" 'BEGIN { printf "%.6f", u + s - r }')
	R_STATS[$k]=$(grep -E '^[0-9]+ packets? ' "$err" | paste -sd ';' - | sed 's/;/; /g')
	R_DROP[$k]=$(awk '/^[0-9]+ packets? dropped by kernel/ { print $1; exit }' "$err")
	other=$(grep -vE '^[0-9]+ packets? |listening on|verbose output suppressed' "$err" |
		head -n 3 | paste -sd ';' -)
	[ -n "$other" ] && R_NOTE[$k]+="stderr: $other; "
}

# count_file FILE: packets in a capture file, and the bytes of packet data
# they hold (empty when the counter does not say). Sets F_PKTS, F_BYTES,
# F_ERR.
count_file() {
	local f=$1 line
	F_PKTS=
	F_BYTES=
	F_ERR=
	if [ ! -s "$f" ]; then
		F_ERR="no file"
		return 1
	fi
	if [ "$FILE_COUNTER" = capinfos ]; then
		# one line, tab-separated: name, packets, data bytes
		if line=$(capinfos -T -r -c -d -M "$f" 2>"$f.count.err" | tail -n 1) &&
			[[ $line =~ $'\t'([0-9]+)$'\t'([0-9]+)$ ]]; then
			F_PKTS=${BASH_REMATCH[1]}
			F_BYTES=${BASH_REMATCH[2]}
			rm -f -- "$f.count.err"
			return 0
		fi
		# a file cut short in a record, say: count what can be read
		F_ERR="capinfos: $(head -n 2 "$f.count.err" | paste -sd ' ' -)"
		rm -f -- "$f.count.err"
	fi
	F_PKTS=$(tcpdump -r "$f" -q -n 2>/dev/null | wc -l) || return 1
	return 0
}

# file_result KEY CASE FILE OUT ERR: count the packets in the capture's
# file, then delete it (and the empty standard output) unless --keep.
file_result() {
	local k=$1 c=$2 f=$3 out=$4 err=$5 said
	if count_file "$f"; then
		R_FILE[$k]=$F_PKTS
		[ -n "$F_ERR" ] && R_NOTE[$k]+="$F_ERR, counted with tcpdump -r; "
		said=$(awk '/^[0-9]+ packets? captured/ { print $1; exit }' "$err")
		[ -n "$said" ] && ((said != F_PKTS)) &&
			R_NOTE[$k]+="the file holds $F_PKTS packets, $(label "$c") says it captured $said; "
		# every frame of the flood is 60 bytes and fits the snap length
		[ "$MODE" != tcp ] && [ -n "$F_BYTES" ] && ((F_BYTES != 60 * F_PKTS)) &&
			R_NOTE[$k]+="$F_BYTES bytes of packet data in the file, not 60 per packet; "
		# --filter: are they the matching frames? (the file is small: 1%)
		[ "$MODE" = filter ] &&
			R_DEC[$k]=$(tcpdump -r "$f" -n 2>/dev/null | grep -cF -- "$SIGNATURE")
	else
		R_NOTE[$k]+="no packets counted in the file ($F_ERR); "
	fi
	[ -s "$out" ] && R_NOTE[$k]+="$(wc -l <"$out") lines on standard output; "
	((KEEP)) || rm -f -- "$f" "$out"
}

# measure RUN CASE: one send of COUNT frames with CASE's capture running.
measure() {
	local r=$1 c=$2 k="$1,$2" base out err cpuf file
	base=$WORK/run$r-$c
	out=$base.out
	err=$base.err
	cpuf=$base.cpu
	file=$base.pcap
	CAP_PIDFILE=$base.pid
	capture_cmd "$c" "$file"
	rm -f -- "$out" "$err" "$CAP_PIDFILE" "$cpuf" "$file"
	note "run $r: $c) $(label "$c")"

	local cpu_ready=0
	if ((${#CMD[@]})); then
		start_capture "$k" "$c" "$out" "$err" "$cpuf" || return 1
		cpu_ready=$CAP_READY
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
	if ((${#CMD[@]})); then
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

	# --filter: the last frame of each cycle matches, so however many
	# frames went out, this many of them matched (check_cycle checked it)
	[ "$MODE" = filter ] && R_MATCH[$k]=$((sent / CYCLE))

	if ((${#CMD[@]})); then
		collect_capture "$k" "$cpuf" "$err" "$cpu_ready"
		if [ "$c" = e ]; then
			((KEEP)) || rm -f -- "$out"
		elif writes_file "$c"; then
			file_result "$k" "$c" "$file" "$out" "$err"
		else
			# tcpdump ends its output with an empty line when interrupted
			R_LINES[$k]=$(grep -c . "$out")
			R_DEC[$k]=$(grep -cF -- "$SIGNATURE" "$out")
			((KEEP)) || rm -f -- "$out"
		fi
		[ "$MODE" = filter ] && [ "$c" != e ] && check_filter_stats "$k" "$c" "$err" "$sent"
		[ -n "$prog" ] && R_PROG=$prog
	fi
	return 0
}

# check_filter_stats KEY CASE ERR SENT: --filter: hold the tool's own
# statistics against what was sent and what it printed or wrote.
check_filter_stats() {
	local k=$1 c=$2 err=$3 sent=$4 n got
	local want=${R_MATCH[$k]}
	got=${R_LINES[$k]:-${R_FILE[$k]:-}}
	n=$(awk '/^[0-9]+ packets? received by filter/ { print $1; exit }' "$err")
	[ -n "$n" ] && ((n != want)) &&
		R_NOTE[$k]+="received by filter $n, but $want matching frames were sent; "
	n=$(awk '/^[0-9]+ packets? captured/ { print $1; exit }' "$err")
	# (for a file, file_result compares the file with "captured")
	[ -n "$n" ] && [ -n "${R_LINES[$k]:-}" ] && ((n != R_LINES[$k])) &&
		R_NOTE[$k]+="says it captured $n, printed ${R_LINES[$k]} lines; "
	n=$(awk '/^[0-9]+ packets? seen by the socket/ { print $1; exit }' "$err")
	[ -n "$n" ] && ((n != sent)) &&
		R_NOTE[$k]+="its socket saw $n packets, $sent frames were sent; "
	[ -n "$got" ] && [ -n "${R_DEC[$k]:-}" ] && ((R_DEC[$k] != got)) &&
		R_NOTE[$k]+="$((got - R_DEC[$k])) of $got packets are not the matching frame; "
	return 0
}

# check_cycle: --filter: before the measurements, send CHECK_FRAMES frames
# while tcpdump (no filter, a buffer far larger than they need) writes
# every one of them to a file, and verify that trafgen sent the cycle in
# order: frames 1 to CYCLE - 1 of each cycle to DPORT, frame CYCLE to
# MATCH_PORT, nothing else. That is what makes "matching frames sent"
# exactly 1% of the frames sent.
CHECK_FRAMES=$((CYCLE * 100))
check_cycle() {
	local base=$WORK/cycle-check k=0,v res sent before after
	local out=$base.out err=$base.err cpuf=$base.cpu file=$base.pcap
	CAP_PIDFILE=$base.pid
	CMD=(tcpdump -i "$IF_RX" -B 65536 -w "$file")
	start_capture "$k" v "$out" "$err" "$cpuf" || die "order check: tcpdump did not start"
	before=$(counters) || die "cannot read the veth counters"
	send "$CHECK_FRAMES" || die "order check: trafgen failed"
	after=$(counters) || die "cannot read the veth counters"
	sleep "$TAIL"
	stop_capture
	sent=$(($(echo "$after" | awk '{ print $1 }') - $(echo "$before" | awk '{ print $1 }')))
	# each frame's destination port against its place in the cycle: one
	# line of totals, "frames port-9 port-10 other out-of-place"
	res=$(tcpdump -r "$file" -n 2>/dev/null | awk -v c="$CYCLE" -v p9="$DPORT" -v p10="$MATCH_PORT" \
		-v src="$SRC_IP.$SPORT" -v dst="$DST_IP" '
		{
			port = ""
			for (i = 1; i < NF; i++)
				if ($i == src && $(i + 1) == ">") {
					port = $(i + 2); sub(/^.*\./, "", port); sub(/:$/, "", port)
					if (substr($(i + 2), 1, length(dst) + 1) != dst ".") port = "?"
				}
			if (port == p10) m++; else if (port == p9) n++; else o++
			want = (NR % c == 0) ? p10 : p9
			if (port != want) bad++
		}
		END { printf "%d %d %d %d %d\n", NR, n, m, o, bad }')
	read -r CHECK_TOTAL CHECK_OTHER_PORT CHECK_MATCH CHECK_ELSE CHECK_BAD <<<"$res"
	CHECK_STATS=$(grep -E '^[0-9]+ packets? ' "$err" | paste -sd ';' - | sed 's/;/; /g')
	((KEEP)) || rm -f -- "$file" "$out"
	if [ "${CHECK_TOTAL:-0}" != "$CHECK_FRAMES" ] || [ "$sent" != "$CHECK_FRAMES" ] ||
		[ "${CHECK_MATCH:-0}" != $((CHECK_FRAMES / CYCLE)) ] || [ "${CHECK_BAD:-1}" != 0 ]; then
		die "order check failed: sent $sent frames, tcpdump wrote ${CHECK_TOTAL:-0}: ${CHECK_OTHER_PORT:-0} to port $DPORT, ${CHECK_MATCH:-0} to port $MATCH_PORT, ${CHECK_ELSE:-0} other, ${CHECK_BAD:-?} out of place (tcpdump: $CHECK_STATS)"
	fi
}

# --------------------------------------------------------------- TCP
# Packets and bytes on the capture interface, both directions: the data
# segments it receives and the ACKs it sends, as the capture sees them.
link_counters() {
	ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/statistics/rx_packets" \
		"/sys/class/net/$IF_RX/statistics/tx_packets" \
		"/sys/class/net/$IF_RX/statistics/rx_bytes" \
		"/sys/class/net/$IF_RX/statistics/tx_bytes" | paste -sd ' ' -
}

# transfer SECONDS LOGBASE: one iperf3 TCP transfer of SECONDS from the
# sender's namespace to the receiver's, server and client both on CPU
# TX_CPU. Sets TCP_BPS (the receiver's bits per second) and TCP_RETR (the
# sender's retransmissions).
transfer() {
	local secs=$1 base=$2 rc up=0 res
	local slog=$base.iperf-server.log cjson=$base.iperf.json clog=$base.iperf-client.err
	TCP_BPS=
	TCP_RETR=
	# -1: the server exits after one test; timeout(1) bounds it if no
	# client ever comes
	timeout -s TERM -k 5 $((secs + 60)) taskset -c "$TX_CPU" \
		ip netns exec "$NS_RX" iperf3 -s -1 -p "$TCP_PORT" >"$slog" 2>&1 &
	SRV_PID=$!
	for _ in $(seq 200); do
		if ip netns exec "$NS_RX" ss -Hltn "sport = :$TCP_PORT" 2>/dev/null | grep -q .; then
			up=1
			break
		fi
		proc_alive "$SRV_PID" || break
		sleep 0.05
	done
	if ((!up)); then
		note "run.sh: the iperf3 server did not start listening:"
		sed 's/^/  /' "$slog" >&2
		stop_timeout "$SRV_PID"
		SRV_PID=
		return 1
	fi
	timeout -s TERM -k 10 $((secs + 30)) taskset -c "$TX_CPU" \
		ip netns exec "$NS_TX" iperf3 -c "$RX_IP" -p "$TCP_PORT" -t "$secs" --json \
		>"$cjson" 2>"$clog" &
	CLI_PID=$!
	wait "$CLI_PID"
	rc=$?
	CLI_PID=
	# the one-off server ends by itself once the test is over
	wait_gone "$SRV_PID" 10 || note "run.sh: the iperf3 server did not exit after the test; stopping it"
	stop_timeout "$SRV_PID"
	SRV_PID=
	if ! res=$("$PY" -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    sys.exit("no JSON from iperf3: %s" % e)
if d.get("error"):
    sys.exit("iperf3: %s" % d["error"])
e = d.get("end", {})
print("%.0f %d" % (e["sum_received"]["bits_per_second"], e.get("sum_sent", {}).get("retransmits", 0)))
' "$cjson" 2>&1); then
		note "run.sh: iperf3 client failed (exit status $rc): $res"
		sed 's/^/  /' "$clog" >&2
		return 1
	fi
	read -r TCP_BPS TCP_RETR <<<"$res"
	((rc == 0)) || note "run.sh: iperf3 client exited with status $rc"
	return 0
}

# measure_tcp RUN CASE: one transfer with CASE's capture running.
measure_tcp() {
	local r=$1 c=$2 k="$1,$2" base out err cpuf file
	base=$WORK/run$r-$c
	out=$base.out
	err=$base.err
	cpuf=$base.cpu
	file=$base.pcap
	CAP_PIDFILE=$base.pid
	capture_cmd "$c" "$file"
	rm -f -- "$out" "$err" "$CAP_PIDFILE" "$cpuf" "$file"
	note "run $r: $c) $(label "$c")"

	local cpu_ready=0
	if ((${#CMD[@]})); then
		start_capture "$k" "$c" "$out" "$err" "$cpuf" || return 1
		cpu_ready=$CAP_READY
	fi

	local before after
	before=$(link_counters) || die "cannot read the veth counters"
	if ! transfer "$TCP_SECS" "$base"; then
		stop_capture
		R_FAIL[$k]="iperf3 failed"
		return 1
	fi
	after=$(link_counters) || die "cannot read the veth counters"

	if ((${#CMD[@]})); then
		sleep "$TAIL"
		stop_capture
		local wrc=$?
		((wrc == 0)) || R_NOTE[$k]+="capture exited with status $wrc; "
	fi

	local -a b0 b1
	read -r -a b0 <<<"$before"
	read -r -a b1 <<<"$after"
	R_BPS[$k]=$TCP_BPS
	R_RETR[$k]=$TCP_RETR
	R_LINK[$k]=$((b1[0] - b0[0] + b1[1] - b0[1]))
	R_LBYTES[$k]=$((b1[2] - b0[2] + b1[3] - b0[3]))
	if ((${#CMD[@]})); then
		collect_capture "$k" "$cpuf" "$err" "$cpu_ready"
		file_result "$k" "$c" "$file" "$out" "$err"
	fi
	((KEEP)) || rm -f -- "$base".iperf*
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
		if [ "$MODE" = filter ]; then
			derive_filter "$k" "$c"
		elif [ -n "${R_LINES[$k]:-}" ] && [ "$c" != e ]; then
			V_CAPT[$k]=$(awk -v n="${R_LINES[$k]}" -v d="${R_SENT[$k]}" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
			V_DEC[$k]=$(awk -v n="${R_DEC[$k]}" -v d="${R_LINES[$k]}" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
			V_US[$k]=$(awk -v t="${R_CPU[$k]}" -v n="${R_LINES[$k]}" 'BEGIN { if (n > 0) printf "%.3f", t * 1e6 / n }')
		elif [ -n "${R_FILE[$k]:-}" ]; then
			# --write: what the file holds is what was captured
			V_CAPT[$k]=$(awk -v n="${R_FILE[$k]}" -v d="${R_SENT[$k]}" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
			V_US[$k]=$(awk -v t="${R_CPU[$k]}" -v n="${R_FILE[$k]}" 'BEGIN { if (n > 0) printf "%.3f", t * 1e6 / n }')
		fi
	done
}

# derive_filter KEY CASE: --filter: what was captured against the matching
# frames sent, and the capture's CPU time per matching frame.
derive_filter() {
	local k=$1 c=$2 n m=${R_MATCH[$1]:-}
	[ -n "$m" ] && ((m > 0)) || return 0
	V_US[$k]=$(awk -v t="${R_CPU[$k]:-}" -v n="$m" 'BEGIN { if (t != "") printf "%.3f", t * 1e6 / n }')
	[ "$c" = e ] && return 0
	n=${R_LINES[$k]:-${R_FILE[$k]:-}}
	[ -n "$n" ] || return 0
	V_CAPT[$k]=$(awk -v n="$n" -v d="$m" 'BEGIN { printf "%.2f", 100 * n / d }')
	[ -n "${R_DEC[$k]:-}" ] &&
		V_DEC[$k]=$(awk -v n="${R_DEC[$k]}" -v d="$n" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
	return 0
}

ROWFMT="%-20s %8s %8s %7s %6s %8s %5s %7s %5s %6s %6s\n"
# --write: no "decoded" column (the file is not decoded)
WROWFMT="%-20s %8s %7s %6s %8s %5s %7s %5s %6s %6s\n"

# row FIELDS...: one line of the table; --write leaves out the third field.
row() {
	if [ "$MODE" = write ]; then
		# shellcheck disable=SC2059
		printf "$WROWFMT" "$1" "$2" "${@:4}"
	else
		# shellcheck disable=SC2059
		printf "$ROWFMT" "$@"
	fi
}

print_run() {
	local r=$1 c k i
	local -a as=() other=()
	for ((i = 0; i <= ${#CAPS[@]}; i++)); do
		as+=("a$i")
		[ -n "${R_OTHER[$r,a$i]:-}" ] && other+=("${R_OTHER[$r,a$i]}")
	done
	echo
	if [ "$MODE" = filter ]; then
		row "run $r of $RUNS" captured decoded "tx kpps" rel. ns/frame +ns rel.cpu other "CPU s" us/match
	else
		row "run $r of $RUNS" captured decoded "tx kpps" rel. ns/frame +ns rel.cpu other "CPU s" us/pkt
	fi
	if [ -n "${B_PPS[$r]:-}" ]; then
		row "a no capture, mean" "" "" \
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
		row "$c $(label "$c")" \
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
	if [ "$MODE" = filter ]; then
		# the same number unless a send stopped short (then a note says so)
		printf "  matching frames sent:"
		for c in "${CAPS[@]}"; do
			printf " %s %s" "$c" "${R_MATCH[$r,$c]:--}"
		done
		echo
	fi
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
# --filter: CPU seconds as well, and per matching frame
FSUMFMT="%-20s %-24s %-21s %-21s %-18s %-21s %s\n"

print_summary() {
	local c r
	local -a capt rel relc plus us cpu
	local -a kp=() ns=()
	for ((r = 1; r <= RUNS; r++)); do
		[ -n "${B_PPS[$r]:-}" ] && kp+=("$(awk -v p="${B_PPS[$r]}" 'BEGIN { printf "%.1f", p / 1000 }')")
		[ -n "${B_NS[$r]:-}" ] && ns+=("${B_NS[$r]}")
	done
	echo
	echo "summary: $RUNS run(s) of $COUNT frames per case, median (min..max)"
	echo "no capture: $(stat3 "${kp[@]}") kpps, $(stat3 "${ns[@]}") ns/frame on CPU $TX_CPU"
	if [ "$MODE" = filter ]; then
		echo "filter expression '$FILTER_EXPR': $((COUNT / CYCLE)) matching frames per case (1 in $CYCLE)"
		# shellcheck disable=SC2059
		printf "$FSUMFMT" "" "captured % of matching" "rel. rate" "rel. rate (CPU)" \
			"+ns/frame CPU $TX_CPU" "CPU s" "CPU us/match"
	else
		# shellcheck disable=SC2059
		printf "$SUMFMT" "" "captured %" "rel. rate" "rel. rate (CPU)" "+ns/frame CPU $TX_CPU" "CPU us/pkt"
	fi
	for c in "${CAPS[@]}"; do
		capt=() rel=() relc=() plus=() us=() cpu=()
		for ((r = 1; r <= RUNS; r++)); do
			capt+=("${V_CAPT[$r,$c]:-}")
			us+=("${V_US[$r,$c]:-}")
			rel+=("${V_REL[$r,$c]:-}")
			relc+=("${V_RELCPU[$r,$c]:-}")
			plus+=("${V_PLUS[$r,$c]:-}")
			cpu+=("$(awk -v t="${R_CPU[$r,$c]:-}" 'BEGIN { if (t != "") printf "%.3f", t }')")
		done
		if [ "$MODE" = filter ]; then
			# shellcheck disable=SC2059
			printf "$FSUMFMT" "$c $(label "$c")" "$(stat3 "${capt[@]}")" "$(stat3 "${rel[@]}")" \
				"$(stat3 "${relc[@]}")" "$(stat3 "${plus[@]}")" "$(stat3 "${cpu[@]}")" \
				"$(stat3 "${us[@]}")"
		else
			# shellcheck disable=SC2059
			printf "$SUMFMT" "$c $(label "$c")" "$(stat3 "${capt[@]}")" "$(stat3 "${rel[@]}")" \
				"$(stat3 "${relc[@]}")" "$(stat3 "${plus[@]}")" "$(stat3 "${us[@]}")"
		fi
	done
}

# --tcp: per-run values, keyed like the results.
declare -A B_BPS

gbit() {
	awk -v b="${1:-}" 'BEGIN { if (b != "") printf "%.2f", b / 1e9 }'
}

# derive_tcp RUN: compare each capture with the transfers without capture
# next to it.
derive_tcp() {
	local r=$1 c k i bb
	local -a bps=()
	for ((i = 0; i <= ${#CAPS[@]}; i++)); do
		bps+=("${R_BPS[$r,a$i]:-}")
	done
	B_BPS[$r]=$(mean "${bps[@]}")
	for ((i = 0; i < ${#CAPS[@]}; i++)); do
		c=${CAPS[i]}
		k="$r,$c"
		[ -n "${R_BPS[$k]:-}" ] || continue
		bb=$(mean2 "${bps[i]}" "${bps[i + 1]}")
		[ -n "$bb" ] &&
			V_REL[$k]=$(awk -v p="${R_BPS[$k]}" -v b="$bb" 'BEGIN { if (b > 0) printf "%.3f", p / b }')
		if [ -n "${R_FILE[$k]:-}" ]; then
			V_CAPT[$k]=$(awk -v n="${R_FILE[$k]}" -v d="${R_LINK[$k]}" 'BEGIN { if (d > 0) printf "%.2f", 100 * n / d }')
			V_US[$k]=$(awk -v t="${R_CPU[$k]}" -v n="${R_FILE[$k]}" 'BEGIN { if (n > 0) printf "%.3f", t * 1e6 / n }')
		fi
	done
}

TROWFMT="%-20s %7s %6s %6s %10s %10s %9s %8s %5s %6s %6s\n"

# bytes per packet on the link
bpp() {
	awk -v b="${1:-}" -v n="${2:-}" 'BEGIN { if (n > 0) printf "%.0f", b / n; else printf "-" }'
}

print_run_tcp() {
	local r=$1 c k i
	local -a as=()
	for ((i = 0; i <= ${#CAPS[@]}; i++)); do
		as+=("a$i")
	done
	echo
	# shellcheck disable=SC2059
	printf "$TROWFMT" "run $r of $RUNS" Gbit/s rel. B/pkt "link pkts" "file pkts" captured dropped retr "CPU s" us/pkt
	if [ -n "${B_BPS[$r]:-}" ]; then
		# shellcheck disable=SC2059
		printf "$TROWFMT" "a no capture, mean" "$(gbit "${B_BPS[$r]}")" - - - - - - - - -
	fi
	for c in "${CAPS[@]}"; do
		k="$r,$c"
		if [ -n "${R_FAIL[$k]:-}" ]; then
			printf "%-20s failed: %s\n" "$c $(label "$c")" "${R_FAIL[$k]}"
			continue
		fi
		[ -n "${R_BPS[$k]:-}" ] || continue
		# shellcheck disable=SC2059
		printf "$TROWFMT" "$c $(label "$c")" \
			"$(gbit "${R_BPS[$k]}")" \
			"${V_REL[$k]:--}" \
			"$(bpp "${R_LBYTES[$k]}" "${R_LINK[$k]}")" \
			"${R_LINK[$k]}" \
			"${R_FILE[$k]:--}" \
			"${V_CAPT[$k]:+${V_CAPT[$k]}%}" \
			"${R_DROP[$k]:--}" \
			"${R_RETR[$k]:--}" \
			"$(if [ -n "${R_CPU[$k]:-}" ]; then awk -v t="${R_CPU[$k]}" 'BEGIN { printf "%.3f", t }'; else echo -; fi)" \
			"${V_US[$k]:--}"
	done
	printf "  a, in order:"
	for c in "${as[@]}"; do
		k="$r,$c"
		if [ -n "${R_BPS[$k]:-}" ]; then
			printf " %s Gbit/s %s pkts %s B/pkt %s retr" "$(gbit "${R_BPS[$k]}")" "${R_LINK[$k]}" \
				"$(bpp "${R_LBYTES[$k]}" "${R_LINK[$k]}")" "${R_RETR[$k]}"
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

TSUMFMT="%-20s %-24s %-21s %-21s %s\n"

print_summary_tcp() {
	local c r
	local -a capt rel drop us
	local -a gb=()
	for ((r = 1; r <= RUNS; r++)); do
		[ -n "${B_BPS[$r]:-}" ] && gb+=("$(gbit "${B_BPS[$r]}")")
	done
	echo
	echo "summary: $RUNS run(s) of $TCP_SECS s transfers per case, median (min..max)"
	echo "no capture: $(stat3 "${gb[@]}") Gbit/s"
	# shellcheck disable=SC2059
	printf "$TSUMFMT" "" "captured %" "rel. throughput" "dropped by kernel" "CPU us/pkt"
	for c in "${CAPS[@]}"; do
		capt=() rel=() drop=() us=()
		for ((r = 1; r <= RUNS; r++)); do
			capt+=("${V_CAPT[$r,$c]:-}")
			rel+=("${V_REL[$r,$c]:-}")
			drop+=("${R_DROP[$r,$c]:-}")
			us+=("${V_US[$r,$c]:-}")
		done
		# shellcheck disable=SC2059
		printf "$TSUMFMT" "$c $(label "$c")" "$(stat3 "${capt[@]}")" "$(stat3 "${rel[@]}")" \
			"$(stat3 "${drop[@]}")" "$(stat3 "${us[@]}")"
	done
}

# ------------------------------------------------------------------ run
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
if [ "$MODE" = tcp ]; then
	eta=$(awk -v s="$TCP_SECS" -v r="$RUNS" -v c="$((2 * ${#CAPS[@]} + 1))" \
		'BEGIN { printf "%.0f", (r * c * (s + 4)) / 60 + 0.5 }')
	note "seconds per transfer: $TCP_SECS; runs: $RUNS; about $eta minute(s)"
else
	# sends per run: each capture and the no-capture sends around them
	eta=$(awk -v n="$COUNT" -v r="$RUNS" -v c="$((2 * ${#CAPS[@]} + 1))" \
		'BEGIN { printf "%.0f", (r * c * (n / 450000 + 3)) / 60 + 0.5 }')
	note "frames per case: $COUNT; runs: $RUNS; about $eta minute(s)"
fi

if [ "$MODE" = filter ]; then
	note "order check: $CHECK_FRAMES frames, every one of them written by tcpdump"
	check_cycle
fi

echo "sockcap benchmark"
echo "  kernel   $(uname -r), $(getconf _NPROCESSORS_ONLN) CPUs: $cpu_model"
# The binary's checksum, to tell builds apart and to notice one replaced
# while the script runs (a build directory shared with others, say).
bin_sum() {
	sha256sum -- "$SOCKCAP_BIN" 2>/dev/null | cut -c1-16
}
SOCKCAP_SUM=$(bin_sum)
echo "  sockcap  $("$SOCKCAP_BIN" --version 2>&1 | head -n 1) ($SOCKCAP_BIN, sha256 ${SOCKCAP_SUM:-?}...)"
echo "  tcpdump  $(tcpdump --version 2>&1 | head -n 1), $(tcpdump --version 2>&1 | sed -n 2p)"
if [ "$MODE" = write ]; then
	echo "  sender   $(trafgen -v 2>&1 | head -n 1 | awk '{ print $1, $2 }') on CPU $TX_CPU, $SEND_MODE"
	echo "  frames   $COUNT per case, 60 bytes, $SRC_IP:$SPORT > $DST_IP:$DPORT UDP, to the receiver's MAC"
	echo "  capture  on CPU $CAP_CPU, in the receiver's namespace, writing a pcap file in $OUTBASE"
	echo "  cases    a no capture              b sockcap -i VETH -w FILE"
	echo "           c tcpdump -i VETH -w FILE"
	((NULL_FILTER)) &&
		echo "           e do-nothing filter: packet socket with classic BPF 'ret #0', reads nothing"
	echo "           a no capture: before, between and after the others; each capture is"
	echo "             compared with the mean of the two no-capture sends next to it"
	echo "  defaults snap length 262144 for both; buffer: sockcap's packet ring 2048 KiB"
	echo "           (its -w default), tcpdump's libpcap buffer 2 MiB (-B 2048)"
	echo "  columns  captured  packets in the file (counted with $FILE_COUNTER) / frames sent"
	echo "           tx kpps   frames / time of trafgen's send loop;  rel. = / baseline"
	echo "           ns/frame  CPU time of the sending path on CPU $TX_CPU (trafgen with the"
	echo "                     receive softirq it runs, plus ksoftirqd/$TX_CPU) per frame"
	echo "           +ns       ns/frame - baseline: the capture's kernel-side cost per frame"
	echo "           rel.cpu   baseline ns/frame / ns/frame: rel. without other load"
	echo "           other     share of the send's wall time CPU $TX_CPU spent elsewhere"
	echo "                     (other tasks, hypervisor); when high, trust rel.cpu over rel."
	echo "           CPU s     the capture process's user+sys time from ready to exit"
	echo "           us/pkt    CPU s / packets in the file"
elif [ "$MODE" = filter ]; then
	echo "  sender   $(trafgen -v 2>&1 | head -n 1 | awk '{ print $1, $2 }') on CPU $TX_CPU, $SEND_MODE"
	echo "  frames   $COUNT per case, 60 bytes, $SRC_IP:$SPORT > $DST_IP UDP, to the receiver's MAC,"
	echo "           in cycles of $CYCLE: $((CYCLE - 1)) to port $DPORT, then 1 to port $MATCH_PORT"
	echo "           ($((COUNT / CYCLE)) matching frames per case; order checked with tcpdump"
	echo "           before the runs: $CHECK_MATCH of $CHECK_TOTAL frames to port $MATCH_PORT, all in place)"
	echo "  filter   EXPR = '$FILTER_EXPR', the same for every capture"
	echo "  capture  on CPU $CAP_CPU, in the receiver's namespace, output to a file in $OUTBASE"
	echo "  cases    a no capture              b sockcap -i VETH EXPR > file"
	echo "           c sockcap -i VETH -w FILE EXPR"
	echo "           d tcpdump -n -i VETH EXPR > file"
	echo "           f tcpdump -i VETH -w FILE EXPR"
	((NULL_FILTER)) &&
		echo "           e do-nothing filter: packet socket with classic BPF 'ret #0', reads nothing"
	echo "           a no capture: before, between and after the others; each capture is"
	echo "             compared with the mean of the two no-capture sends next to it"
	echo "  target   sender at >= 0.94 of its no-capture rate while sockcap runs with a"
	echo "           filter that 1% of the frames match, sockcap's CPU near zero (a goal"
	echo "           to compare with, not something this run assumes)"
	echo "  columns  captured  lines printed, or packets in the file (counted with"
	echo "                     $FILE_COUNTER) / matching frames sent"
	echo "           decoded   of those, the ones showing the matching frame's UDP header"
	echo "                     (files: as tcpdump -r -n shows them)"
	echo "           tx kpps   frames / time of trafgen's send loop;  rel. = / baseline"
	echo "           ns/frame  CPU time of the sending path on CPU $TX_CPU (trafgen with the"
	echo "                     receive softirq it runs, plus ksoftirqd/$TX_CPU) per frame"
	echo "           +ns       ns/frame - baseline: the capture's kernel-side cost per frame"
	echo "           rel.cpu   baseline ns/frame / ns/frame: rel. without other load"
	echo "           other     share of the send's wall time CPU $TX_CPU spent elsewhere"
	echo "                     (other tasks, hypervisor); when high, trust rel.cpu over rel."
	echo "           CPU s     the capture process's user+sys time from ready to exit"
	echo "           us/match  CPU s / matching frames sent"
elif [ "$MODE" = tcp ]; then
	echo "  traffic  $(iperf3 --version 2>&1 | head -n 1 | awk '{ print $1, $2 }') TCP $SRC_IP > $RX_IP:$TCP_PORT, $TCP_SECS s per case;"
	echo "           client and server both on CPU $TX_CPU, default options"
	echo "  capture  on CPU $CAP_CPU, in the receiver's namespace, writing a pcap file in $OUTBASE"
	echo "  cases    a no capture              b sockcap -i VETH -s $TCP_SNAP -w FILE"
	echo "           c tcpdump -i VETH -s $TCP_SNAP -w FILE"
	echo "           a no capture: before, between and after the others; each capture is"
	echo "             compared with the mean of the two no-capture transfers next to it"
	echo "  columns  Gbit/s    the receiver's throughput (iperf3 --json, sum_received)"
	echo "           rel.      Gbit/s / that of the no-capture transfers next to it"
	echo "           B/pkt     bytes per packet on the capture interface (TSO/GSO"
	echo "                     packets are counted once, as the capture sees them)"
	echo "           link pkts rx_packets + tx_packets of the capture interface"
	echo "           file pkts packets in the file (counted with $FILE_COUNTER)"
	echo "           captured  file pkts / link pkts"
	echo "           dropped   the tool's own \"packets dropped by kernel\""
	echo "           retr      TCP retransmissions (iperf3, sender)"
	echo "           CPU s     the capture process's user+sys time from ready to exit"
	echo "           us/pkt    CPU s / file pkts"
else
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
fi

if [ "$MODE" = tcp ]; then
	note "warm-up transfer"
	transfer 1 "$WORK/warmup" || die "warm-up transfer failed"
	((KEEP)) || rm -f -- "$WORK"/warmup.iperf*
	MEASURE=measure_tcp
else
	note "warm-up send"
	send $((COUNT / 10 > 500000 ? 500000 : COUNT / 10)) || die "warm-up send failed"
	MEASURE=measure
fi

for ((run = 1; run <= RUNS; run++)); do
	$MEASURE "$run" a0
	for ((i = 0; i < ${#CAPS[@]}; i++)); do
		$MEASURE "$run" "${CAPS[i]}"
		$MEASURE "$run" "a$((i + 1))"
	done
	if [ "$MODE" = tcp ]; then
		derive_tcp "$run"
		print_run_tcp "$run"
	else
		derive "$run"
		print_run "$run"
	fi
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
		p_name=sockcap_filter
		[ "$MODE" = filter ] && p_name="filter expression (with the parser it tail-calls for a match)"
		awk -v c="$p_cnt" -v t="$p_ns" -v n="${R_NS[0,s]:-0}" -v name="$p_name" \
			-v b="$(mean2 "${R_NS[0,a0]:-}" "${R_NS[0,a1]:-}")" 'BEGIN {
			printf "  %s: %d runs, %.3f s in all, %.1f ns per run\n", name, c, t / 1e9, c ? t / c : 0
			if (b > 0) printf "  sending path meanwhile: %.1f ns/frame, %+.0f ns against no capture (%.1f ns/frame, stats on)\n", n, n - b, b
		}'
		if [ "$MODE" != print ]; then
			p_cmd="sockcap -w"
			[ "$MODE" = filter ] && p_cmd="sockcap EXPR"
			[ -n "${R_STATS[0,s]:-}" ] && echo "  $p_cmd: ${R_STATS[0,s]}"
			[ -n "${R_NOTE[0,s]:-}" ] && echo "  note: ${R_NOTE[0,s]%; }"
		else
			[ -n "${R_STATS[0,s]:-}" ] && echo "  sockcap: ${R_STATS[0,s]}"
		fi
	else
		echo "  could not read the program's statistics"
	fi
fi

if [ "$(bin_sum)" != "$SOCKCAP_SUM" ]; then
	echo
	echo "note: $SOCKCAP_BIN changed during the run (sha256 ${SOCKCAP_SUM:-?}... at the start,"
	echo "      $(bin_sum)... now): the measurements may mix two builds"
fi

if [ "$MODE" = tcp ]; then
	print_summary_tcp
else
	print_summary
fi
