#!/bin/bash
# Process attribution, the pitfalls (tests/live_owners.sh has the basics):
#  - a UDP port bound, used and left by one process, then bound by another
#    within the second: the second's packets never name the first;
#  - a TCP connection in TIME_WAIT whose port another process then
#    listens on: late packets of the old connection (bare ACKs injected
#    from the peer, the kernel's answers) name nobody or the old client,
#    never the new listener;
#  - a thread that renamed itself with prctl: the line names the process;
#  - a pre-fork server (parent listens, children accept): each connection
#    names the child that accepted it or, as the man page says, the parent;
#  - the resets a listener sends to stray segments name nobody (newer
#    kernels attach the listener to them).
# Namespaces A and B joined by veth, one sockcap in each; every line is
# scored by tests/owners.py: zero wrong, the servers' lines all named.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd ss iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init
. "$srcdir/tests/lib_owners.sh"

DONE=$SC_TMP/done

sc_pair_link
# TIME_WAIT must outlive the late packets: not ended by the reset that B's
# listener sends to the kernel's answer (RFC 1337)
ip netns exec "$A" sysctl -q -w net.ipv4.tcp_rfc1337=1 || sc_die "cannot set tcp_rfc1337"

# lines NAME ERE: how many lines of sockcap NAME match
lines() { grep -c -E -e "$2" "$SC_TMP/$1.out"; }
# tw_held: A still has a connection of port 40111 in TIME_WAIT
tw_held() { ip netns exec "$A" ss -H -t -n state time-wait | grep -q -E ':40111 '; }
# tw_answered N: ca saw N ACKs from port 40111 after the connection closed
tw_answered() {
	[ "$(awk '/Out .*198\.18\.0\.1\.40111 > 198\.18\.0\.2\.40110: Flags \[F/ { f = 1; next }
		f && /Out .*198\.18\.0\.1\.40111 > 198\.18\.0\.2\.40110: Flags \[\.\]/ { n++ }
		END { print n + 0 }' "$SC_TMP/ca.out")" -ge "$1" ]
}

sc_start tsrv "$B" "out:^ready" "$SC_PYTHON" "$OWN" tserve srv-tcp 40110
sc_start usrv "$B" "out:^ready" "$SC_PYTHON" "$OWN" userve srv-udp 40101
sc_sockcap ca "$A" -i vA
sc_sockcap cb "$B" -i vB

# ------------------------------------------------ a UDP port reused
in_a ubind reuse-one 40300 198.18.0.2 40101 7 >"$SC_TMP/cl-reuse1.out" &&
	in_a ubind reuse-two 40300 198.18.0.2 40101 9 >"$SC_TMP/cl-reuse2.out" &&
	in_a ubind reuse-three 40300 198.18.0.2 40101 11 >"$SC_TMP/cl-reuse3.out" ||
	sc_die "port reuse traffic failed"

# ------------------------------------------------ TIME_WAIT, then a listener
in_a twclient tw-client 40111 198.18.0.2 40110 >"$SC_TMP/cl-tw.out" || sc_die "TIME_WAIT client failed"
sc_wait_for "the client's end in TIME_WAIT" 20 tw_held
sc_start twl "$A" "out:^ready" "$SC_PYTHON" "$OWN" listen tw-listen 40111
in_b poke tw-poke 198.18.0.2 40110 198.18.0.1 40111 >"$SC_TMP/poke.out" ||
	sc_die "cannot inject the late ACKs"
# the client's last ACK, then the answers to the two late ones
sc_wait_for "ca to see the kernel's answers from TIME_WAIT" 20 tw_answered 3
tw_held || sc_fail "the connection left TIME_WAIT before the late packets"
sc_stop twl TERM
cat "$SC_TMP/twl.out" >"$SC_TMP/cl-twl.out"

# ------------------------------------------------ a renamed thread
in_a thread cl-thread 40110 40101 198.18.0.2 >"$SC_TMP/cl-thread.out" || sc_die "thread traffic failed"

# ------------------------------------------------ a pre-fork server
sc_start pf "$B" "out:^ready" "$SC_PYTHON" "$OWN" prefork pf-srv 40120 3 "$DONE"
for i in 1 2 3; do
	in_a tcp cl-pf 40120 198.18.0.2 fd00:198:18::2 >"$SC_TMP/cl-pf$i.out" || sc_die "pre-fork traffic failed"
done
touch "$DONE"
sc_wait pf || sc_fail "the pre-fork server did not finish"

owners_stop ca cb

# ------------------------------------------------ scores
cat "$SC_TMP"/cl-*.out >"$SC_TMP/a.own"
# B's end of the old connection: the server's, or the raw socket's that
# injected the late ACKs (it also gets a copy of the answers)
awk '$1 == "own" && $3 == 40110 { print $0, "peer=40111" }' "$SC_TMP/tsrv.out" >"$SC_TMP/tw.own"
cat "$SC_TMP"/tsrv.out "$SC_TMP"/usrv.out "$SC_TMP"/pf.out "$SC_TMP"/poke.out "$SC_TMP"/tw.own >"$SC_TMP/b.own"
# A: each process that used port 40300 named for its own datagrams only;
# the old connection's packets never the new listener's
score ca "$SC_TMP/a.own" --need 40300
[ "${ATTRIBUTED:-0}" -ge 30 ] || sc_fail "ca: only ${ATTRIBUTED:-0} lines named a process"
sc_check_eq "ca: lines of port 40300" 6 "$(lines ca '198\.18\.0\.1\.40300[ :]')"
late=$(lines ca 'In  (.* )?IP 198\.18\.0\.2\.40110 > 198\.18\.0\.1\.40111: Flags \[\.\], ack 536870912,')
sc_check_eq "ca: the injected late ACKs" 2 "$late"
grep -q -F 'tw-listen[' "$SC_TMP/ca.out" && sc_fail "ca names the listener of a port in TIME_WAIT"
grep -q -F 'renamed-thr[' "$SC_TMP/ca.out" && sc_fail "ca names a thread, not its process"
thr=$(lines ca "cl-thread\\[[0-9]+\\] IP")
sc_log "ca: $thr lines name the process whose thread renamed itself"
[ "$thr" -ge 6 ] || sc_fail "ca: only $thr lines of the renamed thread named its process"
# B: the servers (but for the resets below); the pre-fork server's
# connections all named, the child that accepted each or the parent
score cb "$SC_TMP/b.own" --need 40101,40120
[ "${ATTRIBUTED:-0}" -ge 30 ] || sc_fail "cb: only ${ATTRIBUTED:-0} lines named a process"
# the resets B's listener sends to the answers from TIME_WAIT: the kernel's
rst=$(lines cb "Out ($SC_PROC_RE)?IP 198\\.18\\.0\\.2\\.40110 > 198\\.18\\.0\\.1\\.40111: Flags \\[R\\]")
sc_check_eq "cb: the listener's resets to the answers from TIME_WAIT" 2 "$rst"
named=$(lines cb "Out $SC_PROC_RE""IP 198\\.18\\.0\\.2\\.40110 > 198\\.18\\.0\\.1\\.40111: Flags \\[R\\]")
sc_check_eq "cb: the listener's resets that name a process" 0 "$named"
sc_log "cb: pre-fork lines naming the parent $(lines cb ' pf-srv\[[0-9]+\] IP'), a child $(lines cb ' pf-srv-c[0-9]\[[0-9]+\] IP')"

sc_done
