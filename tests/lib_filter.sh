# shellcheck shell=bash disable=SC2034
# Helpers of the filter expression tests (cli_filter.sh, live_filter.sh,
# live_filter_flood.sh), sourced after tests/lib.sh: the expressions
# compared with tcpdump, sockcaps and tcpdumps started side by side in
# namespace A and stopped together, sockcap's statistics on stderr.
# Sourcing defines functions, constants and empty tables only.

# sockcap's rings: the traffic is a few hundred kilobytes, and some fifty
# captures with the default 16 MiB would not fit in a small VM
RING=1024
OTHER_MAC=02:00:00:00:00:04 # B's neighbour 198.18.0.4: nobody has it

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
		elif [[ $line =~ $SC_OWNER_STATS ]]; then
			: # process attribution
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

# (captured + dropped + not shown/written == received), nothing was
# dropped, and with EXPR the "seen by the socket" line is there, counting

# filter_exprs: NAMES and EX, the expressions of the live comparison:
# NAME -> expression (ifidx: vA's index in namespace A). "ffile" is read
# with -F from the file of filter_files; the last five go beyond what the
# others need of the translation (an indirect load computed from the
# packet, protochain's loop over IPv6 headers, arithmetic, the interface
# index the kernel knows, a tag read from the metadata or the frame in
# either branch).
filter_exprs() {
	NAMES=(port icmparp ip6 syn vlan20 vlanudp notudp gt100 lt80 bcast hostudp
		prange ttl icmp6 ehost inb outb ffile tcpdata pchain arith ifidx v2030)
	declare -g -A EX=(
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
}

# filter_files: $SC_TMP/filter, the same as EX[ffile], with comments as
# tcpdump -F takes them: whole lines, after a word, right after a word,
# tab-indented, at the very end without a newline; $SC_TMP/filter.empty,
# nothing but comments.
filter_files() {
	printf '%s\n' '# datagrams for namespace A' 'udp # any UDP' \
		'	and dst host 198.18.0.1# to A only' '# (not the marker)' >"$SC_TMP/filter"
	printf '%s' 'and not port 40099 # at the end' >>"$SC_TMP/filter"
	printf '%s\n' '# nothing but comments' '   # here either' >"$SC_TMP/filter.empty"
}
