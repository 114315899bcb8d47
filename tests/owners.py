#!/usr/bin/env python3
"""Processes with names of their own, and the score of sockcap's process column.

Each traffic role first renames its process (prctl(PR_SET_NAME) on the main
thread, the thread-group leader, whose name sockcap shows), then prints one
line per socket it uses: "own PROTO PORT PID NAME", PORT the local port.

  owners.py tserve NAME PORT            TCP echo server on [::] (IPv4 too)
  owners.py userve NAME PORT            UDP echo server on [::] (unconnected)
  owners.py hold NAME HOST PORT GO      a TCP connection opened now; once the
                                        file GO exists, one exchange, then exit
  owners.py tcp NAME PORT HOST...       one TCP exchange with each HOST
  owners.py udp NAME PORT HOST...       unconnected UDP: sendto, recvfrom
  owners.py udpc NAME PORT HOST...      connected UDP: connect, send, recv
  owners.py closed NAME PORT HOST       a TCP connect to a closed port (reset)

  owners.py score OWN OUT [--none PORT] [--need PORT,...]
      Every line of sockcap's output OUT that names a process must name the
      owner of that end's port, as the "own" lines in OWN say (loopback:
      both ends). --none PORT: lines of that port name nobody; --need PORT:
      lines whose local port is one of them name someone. Prints the counts
      "lines N attributed N unattributed N wrong N"; exit 1 on a wrong one.
"""
import ctypes
import os
import re
import socket
import sys
import time

PR_SET_NAME = 15
TIMEOUT = 20


def rename(name):
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode(), 0, 0, 0)


def own(proto, sock):
    print("own %s %d %d %s" % (proto, sock.getsockname()[1], os.getpid(), NAME), flush=True)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def tserve(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(64)
    own("tcp", s)
    print("ready", flush=True)
    for _ in range(1000):
        c, _ = s.accept()
        c.settimeout(TIMEOUT)
        data = c.recv(100)
        if data:
            c.sendall(data)
        c.recv(100)  # the client closes first: its end has TIME_WAIT
        c.close()


def userve(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    own("udp", s)
    print("ready", flush=True)
    for _ in range(10000):
        data, peer = s.recvfrom(100)
        s.sendto(data, peer)


def exchange(s):
    s.sendall(b"hello")
    s.recv(100)


def hold(host, port, go):
    s = socket.create_connection((host, port), timeout=TIMEOUT)
    own("tcp", s)
    print("ready", flush=True)
    for _ in range(TIMEOUT * 20):
        if os.path.exists(go):
            break
        time.sleep(0.05)
    exchange(s)
    s.close()


def tcp(port, hosts):
    for h in hosts:
        s = socket.create_connection((h, port), timeout=TIMEOUT)
        own("tcp", s)
        exchange(s)
        s.close()


def udp(port, hosts, connected):
    for h in hosts:
        s = socket.socket(family(h), socket.SOCK_DGRAM)
        s.settimeout(TIMEOUT)
        if connected:
            s.connect((h, port))
            s.send(b"hello")
        else:
            s.sendto(b"hello", (h, port))
        own("udp", s)
        s.recv(100)
        s.close()


def closed(port, host):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.bind(("", 0))
    own("tcp", s)
    try:
        s.connect((host, port))
    except ConnectionRefusedError:
        pass
    s.close()


LINE = re.compile(r"^\S+ \S+ (In |Out|B  |M  |P  |\?  ) (?:(\S+) )?IP6? (\S+)\.(\d+) > (\S+)\.(\d+): (Flags|UDP)")
PROC = re.compile(r"^(\?|[^] [>]+\[\d+\])(?:>(\?|[^] [>]+\[\d+\]))?$")


def score(own_file, out_file, none, need):
    owners = {}
    for ln in open(own_file):
        f = ln.split()
        if len(f) == 5 and f[0] == "own":
            owners.setdefault((f[1], int(f[2])), set()).add("%s[%s]" % (f[4][:15], f[3]))
    n = good = unattr = wrong = 0
    closing = set()  # TCP connections (port pairs) that have sent a FIN
    for ln in open(out_file):
        m = LINE.match(ln)
        if not m:
            continue
        n += 1
        d, col, sport, dport = m.group(1), m.group(2), int(m.group(4)), int(m.group(6))
        proto = "tcp" if m.group(7) == "Flags" else "udp"
        local = sport if d == "Out" else dport
        # From a FIN on, the local process may have closed its socket
        # already: the kernel finishes the connection on its own, and those
        # segments may name nobody (never somebody else).
        conn = tuple(sorted((sport, dport)))
        fl = re.search(r"Flags \[([^]]*)\]", ln)
        if fl and "F" in fl.group(1):
            closing.add(conn)
        if col and not PROC.match(col):
            print("not a process column: " + ln.rstrip())
            wrong += 1
            continue
        pm = PROC.match(col) if col else None
        # (process, its port): one, or sender and receiver
        ends = []
        if pm and pm.group(2) is not None:
            ends = [(pm.group(1), sport), (pm.group(2), dport)]
        elif pm:
            ends = [(pm.group(1), local)]
        named = [(p, port) for p, port in ends if p != "?"]
        bad = [p for p, port in named if p not in owners.get((proto, port), set())]
        if none and none in (sport, dport) and named:
            bad.append("(none expected)")
        if bad:
            print("WRONG %s: %s" % (",".join(bad), ln.rstrip()))
            wrong += 1
        elif named:
            good += 1
        else:
            unattr += 1
            if local in need and not (proto == "tcp" and conn in closing):
                print("UNNAMED (needed): " + ln.rstrip())
                wrong += 1
    print("lines %d attributed %d unattributed %d wrong %d" % (n, good, unattr, wrong))
    return 1 if wrong else 0


def main(a):
    global NAME
    if a[0] == "score":
        opts = dict(zip(a[3::2], a[4::2]))
        need = {int(p) for p in opts.get("--need", "").split(",") if p}
        return score(a[1], a[2], int(opts.get("--none", 0)), need)
    NAME = a[1]
    rename(NAME)
    port = int(a[3] if a[0] == "hold" else a[2])
    if a[0] == "tserve":
        tserve(port)
    elif a[0] == "userve":
        userve(port)
    elif a[0] == "hold":
        hold(a[2], port, a[4])
    elif a[0] == "tcp":
        tcp(port, a[3:])
    elif a[0] in ("udp", "udpc"):
        udp(port, a[3:], a[0] == "udpc")
    elif a[0] == "closed":
        closed(port, a[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
