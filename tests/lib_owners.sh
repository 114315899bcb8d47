# shellcheck shell=bash disable=SC2034
# Helpers of the process attribution tests (live_owners.sh, live_owners3.sh,
# live_owners2.sh), sourced after tests/lib.sh and sc_pair_link's
# namespaces A and B: running tests/owners.py, scoring a capture's lines
# against the ports its processes say they own, and stopping both
# captures once they have seen everything. Defines functions only.

OWN=$srcdir/tests/owners.py
own() { "$SC_PYTHON" "$OWN" "$@"; }
in_a() { ip netns exec "$A" timeout 60 "$SC_PYTHON" "$OWN" "$@"; }
in_b() { ip netns exec "$B" timeout 60 "$SC_PYTHON" "$OWN" "$@"; }

# score NAME OWNFILE [--none PORT] [--need PORT]: the lines of sockcap NAME
score() {
	local name=$1 file=$2 res
	shift 2
	res=$(own score "$file" "$SC_TMP/$name.out" "$@")
	local rc=$?
	sc_log "$name: $(tail -n 1 <<<"$res")"
	[ "$rc" -eq 0 ] || sc_fail "$name: misattributed lines:"$'\n'"$(head -n 20 <<<"$res")"
	ATTRIBUTED=$(sed -n -E 's/.* attributed ([0-9]+) .*/\1/p' <<<"$res" | tail -n 1)
}

# clients_to_b: from A, to B's servers (TCP 40100, UDP 40101) over IPv4
# and IPv6, TCP, unconnected and connected UDP, and a TCP connection
# attempt to B's closed port 40999; what each owns in $SC_TMP/cl-*.out.
clients_to_b() {
	local hosts=(198.18.0.2 fd00:198:18::2)
	in_a tcp cl-tcp 40100 "${hosts[@]}" >"$SC_TMP/cl-tcp.out" &&
		in_a udp cl-udp 40101 "${hosts[@]}" >"$SC_TMP/cl-udp.out" &&
		in_a udpc cl-udpc 40101 "${hosts[@]}" >"$SC_TMP/cl-udpc.out" &&
		in_a closed cl-closed 40999 198.18.0.2 >"$SC_TMP/cl-closed.out" ||
		sc_die "client traffic failed"
}

# owners_stop ca cb: a marker datagram from A to B's UDP server on port
# 40101, the last packet both captures see; once each has shown its reply,
# stop it and check its exit.
owners_stop() {
	local n mport
	in_a udp cl-mark 40101 198.18.0.2 >"$SC_TMP/cl-mark.out" || sc_die "marker failed"
	mport=$(awk '{ print $3 }' "$SC_TMP/cl-mark.out")
	for n in "$@"; do
		sc_wait_for "$n to see the marker's reply" 60 \
			sc_grep_q "198\\.18\\.0\\.2\\.40101 > 198\\.18\\.0\\.1\\.$mport: UDP" "$SC_TMP/$n.out"
		sc_stop "$n" INT
		sc_check_eq "$n: exit status" 0 "$SC_RC"
		sc_check_stderr "$n" "$SC_TMP/$n.err"
	done
}
