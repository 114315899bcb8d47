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
  owners.py ubind NAME PORT HOST DPORT LEN
                                        UDP bound to PORT: LEN bytes to
                                        HOST DPORT, the reply (tag len=LEN)
  owners.py twclient NAME PORT HOST DPORT
                                        TCP from PORT (SO_REUSEADDR) to
                                        HOST DPORT, one exchange, closed
                                        first: TIME_WAIT (tag peer=DPORT)
  owners.py listen NAME PORT            a TCP listener on [::] PORT with
                                        SO_REUSEADDR, "ready", then idle
  owners.py poke NAME SRC SPORT DST DPORT
                                        two bare ACKs out of the window, from
                                        a raw socket, 0.6 s apart (IPv4);
                                        it owns SPORT for peer DPORT
  owners.py thread NAME TPORT UPORT HOST
                                        a thread that renames itself
                                        "renamed-thr" does one TCP
                                        exchange (TPORT) and one UDP one
  owners.py prefork NAME PORT N DONE    listens on [::] PORT, forks N
                                        children "NAME-cI" that accept and
                                        echo until the file DONE exists;
                                        each names itself and its parent as
                                        owners of each connection it accepts
                                        (tag peer=the client's port)

An "own" line may end with a tag, "peer=PORT" or "len=N": that owner is
then the only one allowed for the lines of PORT whose other end is that
port, or whose UDP length is N (the untagged owners of PORT do not count
for them).

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
import struct
import sys
import threading
import time

PR_SET_NAME = 15
TIMEOUT = 20


def rename(name):
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode(), 0, 0, 0)


def own(proto, sock, tag=""):
    line = "own %s %d %d %s" % (proto, sock.getsockname()[1], os.getpid(), NAME)
    print(line + (" " + tag if tag else ""), flush=True)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listener(port, backlog):
    """a TCP listener on [::] (IPv4 too) that says it owns its port"""
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(backlog)
    own("tcp", s)
    return s


def tserve(port):
    s = listener(port, 64)
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
    """A datagram and its echo; sent again when no echo came within a few
    seconds (the first may wait on neighbour discovery in a slow VM)."""
    tries = 5
    for h in hosts:
        s = socket.socket(family(h), socket.SOCK_DGRAM)
        s.settimeout(TIMEOUT / tries)
        if connected:
            s.connect((h, port))
        for i in range(tries):
            if connected:
                s.send(b"hello")
            else:
                s.sendto(b"hello", (h, port))
            if i == 0:
                own("udp", s)
            try:
                s.recv(100)
                break
            except socket.timeout:
                if i == tries - 1:
                    raise
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


def ubind(port, host, dport, length):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.bind(("", port))
    own("udp", s, "len=%d" % length)
    s.sendto(b"x" * length, (host, dport))
    s.recv(100)
    s.close()


def twclient(port, host, dport):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    s.connect((host, dport))
    own("tcp", s, "peer=%d" % dport)
    exchange(s)
    s.close()


def listen(port):
    s = listener(port, 8)
    print("ready", flush=True)
    time.sleep(TIMEOUT * 3)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    t = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while t >> 16:
        t = (t & 0xFFFF) + (t >> 16)
    return ~t & 0xFFFF


def poke(src, sport, dst, dport):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    # the raw socket sends the packets, and gets a copy of the answers
    print("own tcp %d %d %s peer=%d" % (sport, os.getpid(), NAME, dport), flush=True)
    for i in range(2):
        # ACK, seq and ack far from the connection's: out of the window
        hdr = struct.pack("!HHIIBBHHH", sport, dport, 0x10000000 + i, 0x20000000, 5 << 4, 0x10, 1024, 0, 0)
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(hdr))
        hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
        s.sendto(hdr, (dst, 0))
        time.sleep(0.6)


def thread(tport, uport, host):
    err = []

    def work():
        try:
            rename("renamed-thr")
            tcp(tport, [host])
            udp(uport, [host], False)
        except Exception as e:
            err.append(e)

    t = threading.Thread(target=work)
    t.start()
    t.join(TIMEOUT * 2)
    if err or t.is_alive():
        raise RuntimeError("thread failed: %s" % (err or "timeout"))


def child(s, port, name, parent, pname, done):
    global NAME
    NAME = name
    rename(NAME)
    s.settimeout(0.2)
    for _ in range(TIMEOUT * 15):
        if os.path.exists(done):
            break
        try:
            c, peer = s.accept()
        except socket.timeout:
            continue
        c.settimeout(TIMEOUT)
        tag = "peer=%d" % peer[1]
        print("own tcp %d %d %s %s\nown tcp %d %d %s %s" % (port, os.getpid(), NAME, tag,
              port, parent, pname, tag), flush=True)
        data = c.recv(100)
        if data:
            c.sendall(data)
        c.recv(100)
        c.close()


def prefork(port, n, done):
    s = listener(port, 64)
    parent, pname, kids = os.getpid(), NAME, []
    for i in range(n):
        pid = os.fork()
        if pid:
            kids.append(pid)
            continue
        try:
            child(s, port, "%s-c%d" % (pname, i), parent, pname, done)
        finally:
            os._exit(0)
    print("ready", flush=True)
    for k in kids:
        os.waitpid(k, 0)


LINE = re.compile(r"^\S+ \S+ (In |Out|B  |M  |P  |\?  ) (?:(\S+) )?IP6? (\S+)\.(\d+) > (\S+)\.(\d+): (Flags|UDP)(?:, length (\d+))?")
PROC = re.compile(r"^(\?|[^] [>]+\[\d+\])(?:>(\?|[^] [>]+\[\d+\]))?$")


def score(own_file, out_file, none, need):
    owners = {}
    for ln in open(own_file):
        f = ln.split()
        if len(f) in (5, 6) and f[0] == "own":
            key = (f[1], int(f[2])) + ((f[5],) if len(f) == 6 else ())
            owners.setdefault(key, set()).add("%s[%s]" % (f[4][:15], f[3]))

    def allowed(proto, port, peer, length):
        for tag in ("peer=%d" % peer, "len=%s" % length):
            if (proto, port, tag) in owners:
                return owners[(proto, port, tag)]
        return owners.get((proto, port), set())
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
        peer = {sport: dport, dport: sport}
        length = m.group(8) if proto == "udp" else None
        bad = [p for p, port in named if p not in allowed(proto, port, peer[port], length)]
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
    if a[0] == "poke":
        poke(a[2], int(a[3]), a[4], int(a[5]))
        return 0
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
    elif a[0] == "ubind":
        ubind(port, a[3], int(a[4]), int(a[5]))
    elif a[0] == "twclient":
        twclient(port, a[3], int(a[4]))
    elif a[0] == "listen":
        listen(port)
    elif a[0] == "thread":
        thread(port, int(a[3]), a[4])
    elif a[0] == "prefork":
        prefork(port, int(a[3]), a[4])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
