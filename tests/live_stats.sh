#!/bin/bash
# Statistics under load, on a link that carries nothing but the test's own
# datagrams (so "received by filter" must equal what was sent):
#  - 20000 datagrams with the default ring: nothing dropped, one line each;
#  - the same with a one-page ring (-B 4), after a burst sent while sockcap
#    is stopped: drops are certain, and the counts must still add up;
#  - -c 1000 in the middle of a flood: exactly 1000 lines, the rest counted
#    as not shown;
#  - "| head -n 1000" in the middle of a flood: at least the 1000 lines head
#    printed are captured (the pipe may have taken a few more), the rest
#    are not shown because the reader went away.
# In every case: captured + dropped + not shown == received, and captured is
# the number of lines on stdout.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd getconf libc-bin
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_quiet_link

FLOOD=${SC_FLOOD:-20000}
line_re='^[0-9:.]+ vA P   IP 198\.18\.0\.2\.[0-9]+ > 198\.18\.0\.99\.40000: UDP, length 18$'

only_flood_lines() { # WHAT OUTFILE
	local n
	n=$(grep -c -v -E -e "$line_re" "$2")
	[ "$n" -eq 0 ] && return 0
	sc_fail "$1: $n lines are not the flood's datagrams"
	grep -v -E -e "$line_re" "$2" | head -n 5 | sed 's/^/  | /' >&2
}

# ------------------------------------------------------------ default ring
sc_sockcap big "$A" -i vA
sc_flood "$FLOOD"
sc_wait_for "sockcap to print $SENT lines" 120 sc_has_lines "$SENT" "$SC_TMP/big.out"
sc_stop big TERM
sc_check_eq "default ring: exit status after SIGTERM" 0 "$SC_RC"
sc_check_stats "default ring" "$SC_TMP/big.err" "$SC_TMP/big.out"
sc_check_eq "default ring: packets received by filter (datagrams sent)" "$SENT" "$SC_RECEIVED"
sc_check_eq "default ring: packets dropped (16 MiB hold them all)" 0 "$SC_DROPPED"
sc_check_eq "default ring: packets captured" "$SENT" "$SC_CAPTURED"
sc_check_eq "default ring: no 'not shown' without -c" 0 "$SC_NOTSHOWN"
sc_check_stderr "default ring" "$SC_TMP/big.err"
only_flood_lines "default ring" "$SC_TMP/big.out"

# ------------------------------------------------------------ one-page ring
# A record takes 112 bytes plus an 8-byte ring header; a stopped reader can
# leave at most page/120 of them in the ring, the rest of a burst is dropped.
page=$(getconf PAGESIZE)
cap=$((page / 120))
burst=$((4 * cap + 100))
sc_sockcap tiny "$A" -i vA -B 4
sc_signal tiny STOP
sc_flood "$burst"
burst_sent=$SENT
sc_signal tiny CONT
sc_flood "$FLOOD"
total=$((burst_sent + SENT))
sc_stop tiny TERM
sc_check_eq "-B 4: exit status after SIGTERM" 0 "$SC_RC"
sc_check_stats "-B 4" "$SC_TMP/tiny.err" "$SC_TMP/tiny.out"
sc_check_eq "-B 4: packets received by filter (datagrams sent)" "$total" "$SC_RECEIVED"
if [ "$SC_DROPPED" -lt $((burst_sent - cap)) ] 2>/dev/null; then
	sc_fail "-B 4: $SC_DROPPED packets dropped, but $burst_sent were sent while the reader was stopped with room for $cap"
fi
[ "$SC_CAPTURED" -ge 1 ] 2>/dev/null || sc_fail "-B 4: nothing captured"
sc_check_stderr "-B 4" "$SC_TMP/tiny.err"
only_flood_lines "-B 4" "$SC_TMP/tiny.out"
sc_log "-B 4: received $SC_RECEIVED, captured $SC_CAPTURED, dropped $SC_DROPPED"

# ------------------------------------------------------------ stop mid-flood
# Records the kernel submits while sockcap is on its way out must still be
# read (or the counts would not add up): stop it while datagrams pour in.
sc_sockcap mid "$A" -i vA
sc_start midfl "$B" "" "$SC_PYTHON" "$SC_TG" flood 198.18.0.99 40000 2000000 5
sc_wait_for "2000 lines during a flood" 60 sc_has_lines 2000 "$SC_TMP/mid.out"
sc_alive "${SC_CPID[midfl]}" || sc_log "NOTE: the flood ended before sockcap was stopped"
sc_stop mid INT
sc_check_eq "stopped mid-flood: exit status after SIGINT" 0 "$SC_RC"
sc_check_stats "stopped mid-flood" "$SC_TMP/mid.err" "$SC_TMP/mid.out"
sc_check_stderr "stopped mid-flood" "$SC_TMP/mid.err"
only_flood_lines "stopped mid-flood" "$SC_TMP/mid.out"
sc_wait midfl 30 || sc_fail "the 5 s flood did not end within 30 s"
sc_log "stopped mid-flood: received $SC_RECEIVED, captured $SC_CAPTURED, dropped $SC_DROPPED"

# ------------------------------------------------------------ -c in a flood
sc_sockcap count "$A" -i vA -c 1000
sc_flood "$FLOOD"
if sc_wait count; then
	sc_check_eq "-c 1000: exit status" 0 "$SC_RC"
else
	sc_fail "-c 1000: still running after $SENT datagrams"
	sc_stop count TERM
fi
sc_check_stats "-c 1000" "$SC_TMP/count.err" "$SC_TMP/count.out"
sc_check_eq "-c 1000: lines printed" 1000 "$(sc_lines "$SC_TMP/count.out")"
sc_check_eq "-c 1000: packets captured" 1000 "$SC_CAPTURED"
[ "$SC_RECEIVED" -ge 1000 ] 2>/dev/null && [ "$SC_RECEIVED" -le "$SENT" ] ||
	sc_fail "-c 1000: $SC_RECEIVED received by filter, expected 1000..$SENT"
sc_check_stderr "-c 1000" "$SC_TMP/count.err"
only_flood_lines "-c 1000" "$SC_TMP/count.out"

# ------------------------------------------------------------ | head
# Lines are counted as captured once write(2) has taken them: the ones in
# the output buffer when the pipe broke, and those after, are not shown.
sc_start head "$A" "err:^sockcap: listening on " \
	bash -c 'set -o pipefail; "$0" "$@" | head -n 1000 >"'"$SC_TMP"'/head.out"' "$SOCKCAP" -i vA
sc_flood "$FLOOD"
if sc_wait head 30; then
	sc_check_eq "| head -n 1000: exit status" 0 "$SC_RC"
else
	sc_fail "| head -n 1000: still running 30 s after the flood"
	sc_stop head TERM
fi
sc_check_eq "| head -n 1000: lines head printed" 1000 "$(sc_lines "$SC_TMP/head.out")"
only_flood_lines "| head -n 1000" "$SC_TMP/head.out"
if sc_stats "$SC_TMP/head.err"; then
	[ "$SC_CAPTURED" -ge 1000 ] && [ "$SC_CAPTURED" -lt "$SC_RECEIVED" ] ||
		sc_fail "| head -n 1000: $SC_CAPTURED captured, expected from 1000 to less than the $SC_RECEIVED received"
	[ "$SC_UNSENT" -ge 1 ] || sc_fail "| head -n 1000: no packet counted as not shown (output closed)"
	[ "$SC_RECEIVED" -le "$SENT" ] || sc_fail "| head -n 1000: $SC_RECEIVED received, $SENT sent"
	sc_check_eq "| head -n 1000: captured + dropped + not shown == received" \
		"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED + SC_NOTSHOWN + SC_UNSENT))"
	sc_log "| head -n 1000: received $SC_RECEIVED, captured $SC_CAPTURED, not shown $SC_UNSENT"
fi
extra=$(grep -v -E -e '^sockcap: listening on vA, summary mode$' \
	-e '^[0-9]+ packets (captured|received by filter|dropped by kernel)$' \
	-e '^[0-9]+ packets not shown \(output closed\)$' -e "$SC_OWNER_STATS" "$SC_TMP/head.err")
[ -z "$extra" ] || sc_fail "| head -n 1000: unexpected lines on stderr: $extra"

sc_done
