#!/bin/bash
# --json live, on loopback in a namespace of its own: every line is a JSON
# object (python's json module), one per packet captured (the statistics'
# "packets captured"), the datagrams of a python sender all there with
# their ports and lengths, and named: the sender's pid and name (from its
# own /proc/self) and the receiving server's, each on the end the packet's
# direction says (attribution is on by default as root).
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_netns NS lo
sc_start srv "$NS" "out:^ready" "$SC_PYTHON" "$SC_TG" serve 127.0.0.1 40002 40001 40009
sc_sockcap sc "$NS" -i lo --json

# five datagrams of 11..15 bytes from port 40000, then the marker
ip netns exec "$NS" timeout 60 "$SC_PYTHON" -c '
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 40000))
for n in range(11, 16):
    s.sendto(b"x" * n, ("127.0.0.1", 40001))
s.sendto(b"end", ("127.0.0.1", 40009))
print(os.getpid(), open("/proc/self/comm").read().strip())
' >"$SC_TMP/sender" || sc_die "the sender failed"
read -r spid scomm <"$SC_TMP/sender"
sc_log "sender: pid $spid, name $scomm; server: pid ${SC_CPID[srv]}"

sc_wait_for "sockcap to print the marker" 60 sc_grep_q '"dport":40009' "$SC_TMP/sc.out"
sc_stop sc INT
sc_check_eq "sockcap --json: exit status after SIGINT" 0 "$SC_RC"
sc_check_stats "sockcap --json" "$SC_TMP/sc.err" "$SC_TMP/sc.out"
sc_check_eq "sockcap --json: packets dropped" 0 "$SC_DROPPED"
sc_check_stderr "sockcap --json" "$SC_TMP/sc.err"

"$SC_PYTHON" - "$SC_TMP/sc.out" "$spid" "$scomm" "${SC_CPID[srv]}" >"$SC_TMP/check" <<'EOF' ||
import json, sys
path, spid, scomm, rpid = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
bad, seen = [], []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        bad.append(f"line {n} is not JSON: {e}: {line[:100]!r}")
        continue
    if o.get("version") != 1 or o.get("ifname") != "lo" or "time" not in o:
        bad.append(f"line {n}: version, ifname or time: {line[:100]!r}")
    if o.get("sport") != 40000 or o.get("dport") != 40001:
        continue
    seen.append(o["length"] - 42)  # Ethernet, IPv4 and UDP headers
    # the sender owns a packet sent, the server one received
    send, recv = ("pid", "peer_pid") if o.get("dir") == "out" else ("peer_pid", "pid")
    comm = "comm" if send == "pid" else "peer_comm"
    if o.get("proto") != "udp" or o.get(send) != spid or o.get(comm) != scomm \
            or o.get(recv) != rpid:
        bad.append(f"line {n}: not udp from {scomm}[{spid}] to [{rpid}]: {line.strip()}")
if sorted(seen) != list(range(11, 16)):
    bad.append(f"datagrams of {sorted(seen)} bytes seen, 11..15 sent")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
	{
		sc_fail "sockcap --json's lines"
		sc_show "what differs" "$SC_TMP/check"
		sc_show "sockcap --json" "$SC_TMP/sc.out"
	}

sc_done
