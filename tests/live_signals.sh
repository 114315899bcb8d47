#!/bin/bash
# Signals, -c and promptness on a link that carries only the test's own
# datagrams, so every count is known exactly:
#  - a packet on a quiet link is printed within a second (no -l: sockcap
#    flushes after each short poll);
#  - SIGUSR1 prints the statistics so far and capture goes on;
#  - SIGTERM and SIGINT stop with exit status 0 and final statistics;
#  - -c N stops by itself after exactly N lines, with and without packets
#    beyond the count (those are reported as "not shown");
#  - output errors: a full disk ends the capture with status 1 and a line
#    naming the error; a reader that goes away (EPIPE) ends it with status 0.
#    Either way "captured" counts only the lines written, and the others are
#    "not shown (writing the output failed)" or "not shown (output closed)":
#    with "| head -n 1", one line captured (the one head printed), with -l
#    and without.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_quiet_link

line_re='^[0-9.:]+ vA P   IP 198\.18\.0\.2\.40000 > 198\.18\.0\.99\.40001: UDP, length 5$'
send() { sc_tg "$B" udp 198.18.0.2 40000 198.18.0.99 40001 5 "$1" || sc_die "sender failed"; }

# check_block WHAT ERRFILE N: the last statistics block says N captured and
# received, nothing dropped, nothing not shown.
check_block() {
	sc_stats "$2" || return
	sc_check_eq "$1: packets captured" "$3" "$SC_CAPTURED"
	sc_check_eq "$1: packets received by filter" "$3" "$SC_RECEIVED"
	sc_check_eq "$1: packets dropped by kernel" 0 "$SC_DROPPED"
	sc_check_eq "$1: packets not shown" 0 "$SC_NOTSHOWN"
}

# ------------------------------------------------ promptness, USR1, TERM
sc_sockcap run "$A" -i vA -tt
out=$SC_TMP/run.out
send 1
seen=
for ((i = 0; i < 600; i++)); do
	if [ -s "$out" ]; then
		seen=$EPOCHREALTIME
		break
	fi
	sleep 0.05
done
if [ -z "$seen" ]; then
	sc_fail "a packet on a quiet link was not printed within 30 s"
else
	# the time stamp is taken in the kernel when the packet passes
	ts=$(sed -n -E '1s/^([0-9]+\.[0-9]+) .*/\1/p' "$out")
	lat=$(awk -v a="$seen" -v b="$ts" 'BEGIN { printf "%.3f", a - b }')
	sc_log "first line printed ${lat}s after the packet's time stamp"
	awk -v l="$lat" 'BEGIN { exit !(l >= -0.01 && l <= 1.0) }' ||
		sc_fail "the line for a packet on a quiet link took ${lat}s to appear (more than 1 s, or time stamp '$ts' is off)"
fi
send 4
sc_wait_for "5 lines" 60 sc_has_lines 5 "$out"
sc_signal run USR1
sc_wait_for "statistics after SIGUSR1" 30 sc_grep_q '^[0-9]+ packets dropped by kernel$' "$SC_TMP/run.err"
sc_alive "${SC_CPID[run]}" || sc_fail "sockcap exited on SIGUSR1"
check_block "after SIGUSR1" "$SC_TMP/run.err" 5
send 3
sc_wait_for "capture to go on after SIGUSR1 (8 lines)" 60 sc_has_lines 8 "$out"
sc_stop run TERM
sc_check_eq "exit status after SIGTERM" 0 "$SC_RC"
check_block "after SIGTERM" "$SC_TMP/run.err" 8
sc_check_eq "statistics blocks (SIGUSR1 and exit)" 2 "$SC_NBLOCKS"
sc_check_stats "after SIGTERM" "$SC_TMP/run.err" "$out"
sc_expect_line "-tt lines for the datagrams" "$line_re" "$out" 8
sc_check_stderr "SIGUSR1/SIGTERM run" "$SC_TMP/run.err"

# ------------------------------------------------ -l, SIGINT
sc_sockcap int "$A" -i vA -l
send 4
sc_wait_for "4 lines with -l" 60 sc_has_lines 4 "$SC_TMP/int.out"
sc_stop int INT
sc_check_eq "exit status after SIGINT" 0 "$SC_RC"
check_block "after SIGINT" "$SC_TMP/int.err" 4
sc_check_eq "statistics blocks after SIGINT" 1 "$SC_NBLOCKS"
sc_check_stats "after SIGINT" "$SC_TMP/int.err" "$SC_TMP/int.out"
sc_expect_line "lines with -l" "$line_re" "$SC_TMP/int.out" 4
sc_check_stderr "SIGINT run" "$SC_TMP/int.err"

# ------------------------------------------------ -c 5, exactly 5 packets
sc_sockcap c5 "$A" -i vA -c 5
send 5
if sc_wait c5; then
	sc_check_eq "-c 5: exit status" 0 "$SC_RC"
else
	sc_fail "-c 5: still running after 5 packets"
	sc_stop c5 TERM
fi
check_block "-c 5" "$SC_TMP/c5.err" 5
sc_check_stats "-c 5" "$SC_TMP/c5.err" "$SC_TMP/c5.out"
grep -q 'not shown' "$SC_TMP/c5.err" && sc_fail "-c 5: 'not shown' line printed although it is 0"
sc_expect_line "-c 5 lines" "$line_re" "$SC_TMP/c5.out" 5
sc_check_stderr "-c 5" "$SC_TMP/c5.err"

# ------------------------------------------------ -c 3, 10 packets queued
# Stopped while 10 packets arrive, sockcap finds them all in the ring when
# it resumes: it prints 3 and counts 7 as not shown.
sc_sockcap c3 "$A" -i vA -c 3
sc_signal c3 STOP
send 10
sc_signal c3 CONT
if sc_wait c3; then
	sc_check_eq "-c 3: exit status" 0 "$SC_RC"
else
	sc_fail "-c 3: still running after 10 packets"
	sc_stop c3 TERM
fi
sc_check_stats "-c 3" "$SC_TMP/c3.err" "$SC_TMP/c3.out"
sc_check_eq "-c 3: lines printed" 3 "$(sc_lines "$SC_TMP/c3.out")"
sc_check_eq "-c 3: packets captured" 3 "$SC_CAPTURED"
sc_check_eq "-c 3: packets received by filter" 10 "$SC_RECEIVED"
sc_check_eq "-c 3: packets dropped by kernel" 0 "$SC_DROPPED"
sc_check_eq "-c 3: packets not shown (count reached)" 7 "$SC_NOTSHOWN"
sc_expect_line "-c 3 lines" "$line_re" "$SC_TMP/c3.out" 3
sc_check_stderr "-c 3" "$SC_TMP/c3.err"

# ------------------------------------------------------- output errors
# stdout is redirected inside the command, past sc_start's own redirection
sc_start full "$A" "err:^sockcap: listening on " sh -c 'exec "$0" "$@" >/dev/full' "$SOCKCAP" -i vA
send 1
if sc_wait full 30; then
	sc_check_eq "stdout on a full disk: exit status" 1 "$SC_RC"
	sc_expect_line "stdout on a full disk: diagnostic" \
		'^sockcap: writing output: No space left on device$' "$SC_TMP/full.err" 1
	# nothing reached stdout: the line is not shown, not captured
	if sc_stats "$SC_TMP/full.err"; then
		sc_check_eq "stdout on a full disk: packets captured" 0 "$SC_CAPTURED"
		sc_check_eq "stdout on a full disk: packets not shown (writing the output failed)" \
			1 "$SC_UNSENT"
		sc_check_eq "stdout on a full disk: captured + dropped + not shown == received" \
			"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED + SC_NOTSHOWN + SC_UNSENT))"
		sc_expect_line "stdout on a full disk: 'not shown' line" \
			'^1 packets not shown \(writing the output failed\)$' "$SC_TMP/full.err"
		# the error first, then the statistics
		sc_check_eq "stdout on a full disk: the error line comes before the statistics" \
			"sockcap: writing output: No space left on device" \
			"$(grep -B 1 -E '^[0-9]+ packets captured$' "$SC_TMP/full.err" | head -n 1)"
	fi
else
	sc_fail "stdout on a full disk: still running 30 s after the write failed"
	sc_stop full TERM
fi

# head_gone NAME: the head(1) that the shell NAME runs has exited, so the
# pipe has no reader any more.
head_gone() {
	local sh=${SC_CPID[$1]} c comm
	for c in $(cat "/proc/$sh/task/$sh/children" 2>/dev/null); do
		read -r comm 2>/dev/null <"/proc/$c/comm" || continue
		[ "$comm" = head ] && sc_alive "$c" && return 1
	done
	return 0
}

# "sockcap | head -n 1", then 3 more datagrams once head has gone: one line
# reached the pipe and head printed it; the first write after it fails and
# ends the capture. The lines of what had arrived by then (1 to 3 of the
# datagrams: with -l each line is written by itself, without they may be
# in the output buffer together, and a slow machine may see them one at a
# time) are not shown, never captured.
for l in -l ""; do
	name=pipe${l#-}
	sc_start "$name" "$A" "err:^sockcap: listening on " \
		bash -c 'set -o pipefail; "$0" "$@" | head -n 1 >"'"$SC_TMP/$name"'.head"' \
		"$SOCKCAP" -i vA $l
	what="reader gone (EPIPE${l:+, $l})"
	send 1
	sc_wait_for "the first line through the pipe" 30 sc_has_lines 1 "$SC_TMP/$name.head"
	sc_wait_for "head(1) to exit" 30 head_gone "$name"
	send 3 # written after head(1) has gone: EPIPE
	if sc_wait "$name" 30; then
		sc_check_eq "$what: exit status" 0 "$SC_RC"
		sc_expect_line "$what: the line head printed" "$line_re" "$SC_TMP/$name.head"
		sc_check_stats "$what" "$SC_TMP/$name.err" "$SC_TMP/$name.head"
		sc_check_eq "$what: packets captured" 1 "$SC_CAPTURED"
		[ "$SC_RECEIVED" -ge 2 ] && [ "$SC_RECEIVED" -le 4 ] ||
			sc_fail "$what: $SC_RECEIVED packets received by filter, expected 2 to 4"
		sc_check_eq "$what: packets not shown (output closed)" $((SC_RECEIVED - 1)) "$SC_UNSENT"
		sc_expect_line "$what: 'not shown' line" "^$SC_UNSENT packets not shown \\(output closed\\)\$" \
			"$SC_TMP/$name.err"
		extra=$(grep -v -E -e '^sockcap: listening on vA, summary mode$' \
			-e '^[0-9]+ packets (captured|received by filter|dropped by kernel)$' \
			-e '^[0-9]+ packets not shown \(output closed\)$' -e "$SC_OWNER_STATS" "$SC_TMP/$name.err")
		[ -z "$extra" ] || sc_fail "$what: unexpected lines on stderr: $extra"
	else
		sc_fail "$what: still running 30 s later"
		sc_stop "$name" TERM
	fi
done

sc_done
