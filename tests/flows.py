#!/usr/bin/env python3
"""Traffic of known shape for --flows, and sockcap's flow tables against tshark.

  flows.py sink PORT          TCP on [::] PORT: read to the end, close; UDP
                              on [::] PORT: echo each datagram. "ready".
  flows.py clients HOSTS...   from a process named "flowcl", to each HOST's
                              sink on 40100: TCP with 1000 and 20000 bytes,
                              closed in order; three UDP datagrams of 100
                              and of 1400 bytes, echoed; to the first HOST a
                              connection to closed port 40999 (reset) and,
                              unless it is a loopback address, one to
                              BLACKHOLE 40100, whose SYN nobody answers
                              (closed after 0.3 s, before a
                              retransmission). Prints "expect PROTO PORT
                              STATE PID" for each, PORT its local port.
  flows.py many HOST PORT N   N datagrams, from ports 42000 to 42000+N-1.
  flows.py spray HOST PORT N  N datagrams from one socket, to ports PORT
                              to PORT+N-1: N flows, however large N.
  flows.py rtt HOST PORT      one TCP connection, closed in order.
  flows.py compare OUT PCAP [EXPECT]
                              the final table in OUT (after its last
                              "N flows" line) against the pcap, read by
                              tshark: every TCP and UDP flow's packets and
                              bytes each way equal, no flow more or fewer;
                              EXPECT's states, originators and processes.
                              Prints the table's rows as it parsed them.
                              With FLOWS_IFACE in the environment, only
                              the rows of that interface.
  flows.py intervals OUT      the interval tables of OUT summed per flow
                              equal the final table.
  flows.py row OUT PROTO PORT the final table's row whose originator has
                              port PORT, as "STATE RTT RETX".
"""
import ctypes
import ipaddress
import os
import re
import socket
import subprocess
import sys
import time

BLACKHOLE = "198.18.0.77"


def rename(name):
    ctypes.CDLL(None, use_errno=True).prctl(15, name.encode(), 0, 0, 0)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def sink(port):
    t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    t.bind(("::", port))
    t.listen(64)
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    u.bind(("::", port))
    print("ready", flush=True)
    import select
    for _ in range(100000):
        r, _, _ = select.select([t, u], [], [], 30)
        if not r:
            return
        if u in r:
            data, peer = u.recvfrom(65536)
            u.sendto(data, peer)
        if t in r:
            c, _ = t.accept()
            c.settimeout(20)
            while c.recv(65536):
                pass
            c.close()


def expect(proto, s, state):
    print("expect %s %d %s %d" % (proto, s.getsockname()[1], state, os.getpid()), flush=True)


def clients(hosts):
    rename("flowcl")
    for h in hosts:
        for size in (1000, 20000):
            s = socket.create_connection((h, 40100), timeout=20)
            expect("tcp", s, "CLOSED")
            s.sendall(b"x" * size)
            s.shutdown(socket.SHUT_WR)
            s.recv(10)  # the server's FIN
            s.close()
        for size in (100, 1400):
            s = socket.socket(family(h), socket.SOCK_DGRAM)
            s.settimeout(20)
            s.connect((h, 40100))
            expect("udp", s, "-")
            for _ in range(3):
                s.send(b"u" * size)
                s.recv(65536)
            s.close()
    s = socket.socket(family(hosts[0]), socket.SOCK_STREAM)
    s.bind(("", 0))
    expect("tcp", s, "RST")
    try:
        s.connect((hosts[0], 40999))
    except ConnectionRefusedError:
        pass
    s.close()
    if ipaddress.ip_address(hosts[0]).is_loopback:
        return
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.bind(("", 0))
    expect("tcp", s, "SYN")
    try:
        s.connect((BLACKHOLE, 40100))
    except BlockingIOError:
        pass
    time.sleep(0.3)
    s.close()


def many(host, port, n):
    for i in range(n):
        s = socket.socket(family(host), socket.SOCK_DGRAM)
        s.bind(("", 42000 + i))  # an ephemeral port could come twice
        s.sendto(b"m" * 10, (host, port))
        s.close()


def spray(host, port, n):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    for i in range(n):
        s.sendto(b"s" * 10, (host, port + i))
    s.close()


def rtt(host, port):
    s = socket.create_connection((host, port), timeout=20)
    print("port %d" % s.getsockname()[1], flush=True)
    s.sendall(b"r" * 100)
    s.shutdown(socket.SHUT_WR)
    s.recv(10)
    s.close()


# ------------------------------------------------------------ the tables

ROW = re.compile(r"^(\S+) +(\S+) +(\S+) +(\S+) +(\d+) +(\d+) +(\d+) +(\d+) +(\S+) +(\S+) +(\d+) +(\S+) +(\S+) +(.*)$")
IROW = re.compile(r"^(\S+) +(\S+) +(\S+) +(\S+) +(\d+) +(\d+) +\S+ +(\d+) +(\d+) +\S+ +(\S+) +(\S+) +(\d+) +(\S+) +(\S+) +(.*)$")


def endpoint(text):
    """("addr", port) of "a.b.c.d:p", "[v6]:p" or a bare address"""
    m = re.match(r"^\[(.*)\]:(\d+)$", text) or re.match(r"^([0-9.]+):(\d+)$", text)
    if m:
        return (str(ipaddress.ip_address(m.group(1))), int(m.group(2)))
    return (str(ipaddress.ip_address(text)), 0)


def final_rows(out):
    lines = open(out).read().splitlines()
    start = max(i for i, l in enumerate(lines) if re.match(r"^\d+ flows$", l))
    n = int(lines[start].split()[0])
    rows = []
    for l in lines[start + 2:start + 2 + n]:
        m = ROW.match(l)
        if not m:
            sys.exit("unparsed row: %r" % l)
        g = m.groups()
        if (os.environ.get("FLOWS_IFACE") or g[0]) != g[0]:
            continue
        rows.append({"proto": g[1], "o": endpoint(g[2]), "r": endpoint(g[3]),
                     "out": (int(g[4]), int(g[5])), "back": (int(g[6]), int(g[7])),
                     "state": g[8], "rtt": g[9], "retx": int(g[10]), "proc": g[13]})
    if len(rows) != n and not os.environ.get("FLOWS_IFACE"):
        sys.exit("%d rows, the table said %d" % (len(rows), n))
    return rows


def tshark_counts(pcap):
    """{(proto, src, dst): [packets, bytes]} for TCP and UDP, src and dst endpoints"""
    fields = ["frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport",
              "tcp.dstport", "udp.srcport", "udp.dstport", "ip.proto", "ipv6.nxt"]
    cmd = ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    counts = {}
    for line in res.stdout.splitlines():
        v = line.split("\t")
        v += [""] * (len(fields) - len(v))
        src, dst = v[1] or v[3], v[2] or v[4]
        outer = v[9] or v[10]
        if v[5] and outer == "6":
            proto, sp, dp = "tcp", v[5], v[6]
        elif v[7] and outer == "17":
            proto, sp, dp = "udp", v[7], v[8]
        else:
            continue
        # (an ICMP error quotes a datagram, whose ports tshark shows too)
        k = (proto, (str(ipaddress.ip_address(src)), int(sp)), (str(ipaddress.ip_address(dst)), int(dp)))
        c = counts.setdefault(k, [0, 0])
        c[0] += 1
        c[1] += int(v[0])
    return counts


def compare(out, pcap, exp_file=None):
    rows = final_rows(out)
    want = tshark_counts(pcap)
    bad = 0
    got = {}
    for r in rows:
        print("row %s %s:%d > %s:%d out %d/%d back %d/%d %s rtt %s retx %d %s" % (
            r["proto"], r["o"][0], r["o"][1], r["r"][0], r["r"][1], r["out"][0], r["out"][1],
            r["back"][0], r["back"][1], r["state"], r["rtt"], r["retx"], r["proc"]))
        if r["proto"] not in ("tcp", "udp"):
            continue
        got[(r["proto"], r["o"], r["r"])] = list(r["out"])
        got[(r["proto"], r["r"], r["o"])] = list(r["back"])
    for k in sorted(set(want) | set(got)):
        w, g = want.get(k, [0, 0]), got.get(k, [0, 0])
        if w != g:
            print("MISMATCH %s %s -> %s: tshark %s, sockcap %s" % (k[0], k[1], k[2], w, g))
            bad += 1
    if exp_file:
        # the clients' expectations, by protocol and originating port (an
        # IPv4 and an IPv6 connection may have the same port: both rows)
        exp = {}
        for line in open(exp_file):
            p = line.split()
            if p and p[0] == "expect":
                exp.setdefault((p[1], int(p[2])), []).append((p[3], p[4]))
        for (proto, port), wants in sorted(exp.items()):
            mine = [r for r in rows if r["proto"] == proto and r["o"][1] == port]
            if len(mine) != len(wants):
                print("MISSING %s flow from port %d as originator (%d rows, %d expected)"
                      % (proto, port, len(mine), len(wants)))
                bad += 1
                continue
            if sorted(r["state"] for r in mine) != sorted(w[0] for w in wants):
                print("STATE %s %d: %s, expected %s" % (proto, port, [r["state"] for r in mine],
                                                        [w[0] for w in wants]))
                bad += 1
            for r, (state, pid) in zip(mine, wants):
                if r["state"] == "CLOSED" and not re.match(r"^\d+\.\d{3}ms$", r["rtt"]):
                    print("RTT %s %d: %r, expected a handshake time" % (proto, port, r["rtt"]))
                    bad += 1
                if r["proc"] != "flowcl[%s]" % pid and os.environ.get("FLOWS_NO_PROCESS") != "1":
                    print("PROCESS %s %d: %r, expected flowcl[%s]" % (proto, port, r["proc"], pid))
                    bad += 1
    print("flows %d compared %d mismatches %d" % (len(rows), len(want), bad))
    return 1 if bad else 0


def intervals(out):
    lines = open(out).read().splitlines()
    start = max(i for i, l in enumerate(lines) if re.match(r"^\d+ flows$", l))
    sums, tables = {}, 0
    for l in lines[:start]:
        if l.startswith("flows at "):
            tables += 1
        m = IROW.match(l)
        if not m or l.startswith("IFACE"):
            continue
        g = m.groups()
        k = (g[1], endpoint(g[2]), endpoint(g[3]))
        s = sums.setdefault(k, [0, 0, 0, 0])
        for i in range(4):
            s[i] += int(g[4 + i])
    final = {(r["proto"], r["o"], r["r"]): [*r["out"], *r["back"]] for r in final_rows(out)}
    bad = 0
    for k in sorted(set(sums) | set(final)):
        if sums.get(k) != final.get(k):
            print("INTERVALS %s: tables add to %s, final %s" % (k, sums.get(k), final.get(k)))
            bad += 1
    print("tables %d flows %d mismatches %d" % (tables, len(final), bad))
    return 1 if bad or tables < 2 else 0


def row(out, proto, port):
    for r in final_rows(out):
        if r["proto"] == proto and r["o"][1] == int(port):
            print(r["state"], r["rtt"], r["retx"])
            return 0
    return 1


def main(a):
    if a[0] == "sink":
        sink(int(a[1]))
    elif a[0] == "clients":
        clients(a[1:])
    elif a[0] == "many":
        many(a[1], int(a[2]), int(a[3]))
    elif a[0] == "spray":
        spray(a[1], int(a[2]), int(a[3]))
    elif a[0] == "rtt":
        rtt(a[1], int(a[2]))
    elif a[0] == "compare":
        return compare(a[1], a[2], a[3] if len(a) > 3 else None)
    elif a[0] == "intervals":
        return intervals(a[1])
    elif a[0] == "row":
        return row(a[1], a[2], a[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
