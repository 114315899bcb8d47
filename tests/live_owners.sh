#!/bin/bash
# Process attribution: the process column names the process that owns each
# packet's local end, never a wrong one.
#
# Namespaces A and B joined by veth; servers in B (TCP and UDP, on [::] so
# IPv4 too) and a TCP connection from A, all opened before the captures
# start; then TCP and UDP (unconnected and connected) clients in A over
# IPv4 and IPv6, and a connection attempt to a closed port. One sockcap in
# A on vA, one in B on vB. Then loopback in A, with servers started after
# the capture, where both ends are named; and --no-process. Every process
# renames itself (tests/owners.py) and says which ports it owns; every line
# is scored against that: zero wrong, the servers' lines all named.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init
. "$srcdir/tests/lib_owners.sh"

GO=$SC_TMP/go

sc_pair_link

# ------------------------------------------------ before the captures
sc_start tsrv "$B" "out:^ready" "$SC_PYTHON" "$OWN" tserve srv-tcp 40100
sc_start usrv "$B" "out:^ready" "$SC_PYTHON" "$OWN" userve srv-udp 40101
sc_start hold "$A" "out:^ready" "$SC_PYTHON" "$OWN" hold cl-early 198.18.0.2 40100 "$GO"
sc_start hold6 "$A" "out:^ready" "$SC_PYTHON" "$OWN" hold cl-early6 fd00:198:18::2 40100 "$GO"

sc_sockcap ca "$A" -i vA
sc_sockcap cb "$B" -i vB

# ------------------------------------------------ traffic
touch "$GO"
sc_wait "hold" && sc_wait "hold6" || sc_fail "the early connections did not finish"
clients_to_b
owners_stop ca cb

# ------------------------------------------------ scores
cat "$SC_TMP"/hold.out "$SC_TMP"/hold6.out "$SC_TMP"/cl-*.out >"$SC_TMP/a.own"
cat "$SC_TMP"/tsrv.out "$SC_TMP"/usrv.out >"$SC_TMP/b.own"
early=$(awk '$1 == "own" { printf "%s%s", sep, $3; sep = "," }' "$SC_TMP/hold.out" "$SC_TMP/hold6.out")
# A: the clients, the early connections named from their first packet
score ca "$SC_TMP/a.own" --need "$early"
[ "${ATTRIBUTED:-0}" -ge 20 ] || sc_fail "ca: only ${ATTRIBUTED:-0} lines named a process"
# B: the servers, every line of the TCP server's port named; the reset
# from the closed port, and the connection attempt, name nobody
score cb "$SC_TMP/b.own" --none 40999 --need 40100,40101
[ "${ATTRIBUTED:-0}" -ge 20 ] || sc_fail "cb: only ${ATTRIBUTED:-0} lines named a process"
grep -q -E ' 198\.18\.0\.2\.40999 > .*Flags \[R' "$SC_TMP/cb.out" ||
	sc_fail "cb: no reset from the closed port"
for w in srv-tcp srv-udp; do
	grep -q -F "$w[" "$SC_TMP/ca.out" && sc_fail "ca names $w, a process of the other namespace"
done

# ------------------------------------------------ loopback: both ends
sc_sockcap clo "$A" -i lo
sc_start ltsrv "$A" "out:^ready" "$SC_PYTHON" "$OWN" tserve lo-tcp 40200
sc_start lusrv "$A" "out:^ready" "$SC_PYTHON" "$OWN" userve lo-udp 40201
in_a tcp lo-cl 40200 127.0.0.1 ::1 >"$SC_TMP/lo-cl.out" &&
	in_a udp lo-ucl 40201 127.0.0.1 ::1 >"$SC_TMP/lo-ucl.out" &&
	in_a udp lo-mark 40201 127.0.0.1 >"$SC_TMP/lo-mark.out" ||
	sc_die "loopback traffic failed"
mport=$(awk '{ print $3 }' "$SC_TMP/lo-mark.out")
sc_wait_for "clo to see the marker's reply" 60 \
	sc_grep_q "127\\.0\\.0\\.1\\.40201 > 127\\.0\\.0\\.1\\.$mport: UDP" "$SC_TMP/clo.out"
sc_stop clo INT
sc_check_eq "clo: exit status" 0 "$SC_RC"
cat "$SC_TMP"/ltsrv.out "$SC_TMP"/lusrv.out "$SC_TMP"/lo-*.out >"$SC_TMP/lo.own"
score clo "$SC_TMP/lo.own" --need 40200
both=$(grep -c -E ' lo-cl\[[0-9]+\]>lo-tcp\[[0-9]+\] ' "$SC_TMP/clo.out")
sc_log "clo: $both lines name both ends (client to server, TCP)"
[ "$both" -ge 4 ] || sc_fail "clo: only $both lines name both ends of a loopback TCP connection"

# ------------------------------------------------ --no-process
sc_sockcap np "$A" -i vA --no-process
in_a udp np-cl 40101 198.18.0.2 >"$SC_TMP/np-cl.out" || sc_die "--no-process traffic failed"
mport=$(awk '{ print $3 }' "$SC_TMP/np-cl.out")
sc_wait_for "np to see the reply" 60 \
	sc_grep_q "198\\.18\\.0\\.2\\.40101 > 198\\.18\\.0\\.1\\.$mport: UDP" "$SC_TMP/np.out"
sc_stop np INT
sc_check_eq "np: exit status" 0 "$SC_RC"
named=$(grep -c -E '^[^ ]+ [^ ]+ (In |Out) [^ ]+\[[0-9]+\] ' "$SC_TMP/np.out")
sc_check_eq "--no-process: lines with a process column" 0 "$named"
grep -q 'named no process' "$SC_TMP/np.err" && sc_fail "--no-process: attribution statistics"
sc_check_stderr "np" "$SC_TMP/np.err"

sc_done
