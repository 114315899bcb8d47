#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""bench/flowscale.py: what --flows costs with a large table.

Two namespaces made for the run and a veth pair between them (198.18.0.1
and 198.18.0.2; IPv6 and ARP off; removed at the end, also on error).
`sockcap --flows --flow-table SIZE --metrics 127.0.0.1:PORT -i RX` listens
in the receiving namespace, with kernel.bpf_stats_enabled=1 (set and
restored). A sender in the other namespace writes FLOWS UDP frames through
a packet socket, each of its own flow (source addresses 198.18.1.0 and up,
source ports 10000 and up: 50,000 ports an address), to 198.19.255.254,
which the receiver does not route (forwarding off), so nothing answers.
Then the same FLOWS frames again. Measured, each run:

  insert ns    the socket filter's run time per packet (run_time_ns /
               run_cnt of the program, from sockcap's fdinfo) while every
               packet makes a new flow
  update ns    the same while every packet finds its flow
  scrape s     one GET /metrics with FLOWS flows in the table (the
               capture loop reads the whole table and hands over the
               deltas)
  final s      from SIGINT to exit: the final table read, sorted and
               printed (to a file), and the teardown
  map KiB      the hash map's memlock, from sockcap's fdinfo
  rss MiB      sockcap's peak resident memory (VmHWM) before SIGINT
  rows         the final table's flow count (must be FLOWS)

Run as root, from the source tree's top or with --sockcap:
    python3 bench/flowscale.py [--runs 3] [--flows 100000] [--table 131072]
"""
import argparse
import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = 9479


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def ns_exec(ns, *cmd):
    return ["ip", "netns", "exec", ns] + list(cmd)


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frames(n, dst_mac, src_mac):
    """n UDP frames, each of its own flow"""
    out = []
    for i in range(n):
        src = bytes([198, 18, 1 + i // 50000, 0])
        sport = 10000 + i % 50000
        udp = struct.pack("!HHHH", sport, 9, 8 + 18, 0) + bytes(18)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src,
                         bytes([198, 19, 255, 254]))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        out.append(dst_mac + src_mac + b"\x08\x00" + ip + udp)
    return out


SENDER = r'''
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
data = sys.stdin.buffer.read()
n = int(sys.argv[2]); size = len(data) // n
for i in range(n):
    s.send(data[i * size:(i + 1) * size])
'''


def fdinfo(pid):
    """(prog run_cnt, run_time_ns) of the socket filter, and the memlock of
    the largest hash map sockcap holds"""
    best, mem = None, 0
    d = "/proc/%d/fdinfo" % pid
    for n in os.listdir(d):
        try:
            kv = dict(l.split(":", 1) for l in open(os.path.join(d, n)).read().splitlines() if ":" in l)
        except OSError:
            continue
        kv = {k: v.strip() for k, v in kv.items()}
        if kv.get("prog_type") == "1":
            c = (int(kv.get("run_cnt", 0)), int(kv.get("run_time_ns", 0)))
            if best is None or c[0] > best[0]:
                best = c
        if kv.get("map_type") == "1":
            mem = max(mem, int(kv.get("memlock", 0)))
    return best, mem


def vmhwm(pid):
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmHWM:"):
            return int(l.split()[1]) / 1024
    return None


class Run:
    def __init__(self, a):
        self.a = a
        tag = "fsc%d" % os.getpid()
        self.tx, self.rx = tag + "tx", tag + "rx"
        self.itx, self.irx = tag + "t", tag + "r"

    def setup(self):
        for ns in (self.tx, self.rx):
            sh("ip", "netns", "add", ns)
            sh(*ns_exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"))
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "link", "add", self.itx, "netns", self.tx, "type", "veth", "peer", "name",
           self.irx, "netns", self.rx)
        for ns, i, addr in ((self.tx, self.itx, "198.18.0.1/24"), (self.rx, self.irx, "198.18.0.2/24")):
            sh("ip", "-n", ns, "link", "set", i, "arp", "off", "up")
            sh("ip", "-n", ns, "addr", "add", addr, "dev", i)
        mac = lambda ns, i: bytes.fromhex(sh(*ns_exec(ns, "cat", "/sys/class/net/%s/address" % i))
                                          .stdout.strip().replace(":", ""))
        self.data = b"".join(frames(self.a.flows, mac(self.rx, self.irx), mac(self.tx, self.itx)))

    def cleanup(self):
        for ns in (self.tx, self.rx):
            sh("ip", "netns", "del", ns, check=False)

    def send(self):
        p = subprocess.run(ns_exec(self.tx, sys.executable, "-c", SENDER, self.itx, str(self.a.flows)),
                           input=self.data, timeout=120)
        if p.returncode:
            raise RuntimeError("the sender failed")

    def once(self, n):
        out, err = "/tmp/%s-%d.out" % (self.rx, n), "/tmp/%s-%d.err" % (self.rx, n)
        with open(out, "w") as of, open(err, "w") as ef:
            cap = subprocess.Popen(ns_exec(self.rx, "taskset", "-c", "1", self.a.sockcap, "--flows",
                                           "--flow-table", str(self.a.table), "--no-process",
                                           "--metrics", "127.0.0.1:%d" % PORT, "-i", self.irx),
                                   stdout=of, stderr=ef)
        try:
            for _ in range(200):
                if "listening on" in open(err).read():
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError("sockcap did not start: " + open(err).read()[:300])
            pid = cap.pid  # ip netns exec and taskset exec it
            r = {}
            s0, _ = fdinfo(pid)
            self.send()
            time.sleep(0.3)
            s1, _ = fdinfo(pid)
            self.send()
            time.sleep(0.3)
            s2, mem = fdinfo(pid)
            r["insert_ns"] = (s1[1] - s0[1]) / max(1, s1[0] - s0[0])
            r["update_ns"] = (s2[1] - s1[1]) / max(1, s2[0] - s1[0])
            r["runs"] = [s1[0] - s0[0], s2[0] - s1[0]]
            t = time.monotonic()
            page = subprocess.run(ns_exec(self.rx, "curl", "-sS", "-f", "http://127.0.0.1:%d/metrics" % PORT),
                                  capture_output=True, text=True, timeout=30).stdout
            r["scrape_s"] = time.monotonic() - t
            m = re.search(r"^sockcap_flows_tracked (\d+)$", page, re.M)
            r["tracked"] = int(m.group(1)) if m else None
            r["map_kib"] = mem / 1024
            r["rss_mib"] = vmhwm(pid)
            t = time.monotonic()
            os.kill(pid, signal.SIGINT)
            cap.wait(timeout=120)
            r["final_s"] = time.monotonic() - t
            m = re.search(r"^(\d+) flows$", open(out).read(), re.M)
            r["rows"] = int(m.group(1)) if m else None
            return r, pid
        finally:
            if cap.poll() is None:
                cap.kill()
                cap.wait()


def med(vals, d=1):
    v = [x for x in vals if x is not None]
    if not v:
        return "-"
    return "%.*f (%.*f..%.*f)" % (d, statistics.median(v), d, min(v), d, max(v))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--flows", type=int, default=100000)
    p.add_argument("--table", type=int, default=131072)
    p.add_argument("--sockcap", default=os.environ.get("SOCKCAP") or os.path.join(HERE, "..", "sockcap"))
    a = p.parse_args(argv)
    if a.flows > 50000 * 254:
        p.error("at most %d flows" % (50000 * 254))
    old = sh("sysctl", "-n", "kernel.bpf_stats_enabled").stdout.strip()
    run = Run(a)
    res = []
    try:
        sh("sysctl", "-qw", "kernel.bpf_stats_enabled=1")
        run.setup()
        for n in range(1, a.runs + 1):
            r, _ = run.once(n)
            res.append(r)
            print("run %d: %s" % (n, " ".join("%s=%s" % (k, ("%.3f" % v) if isinstance(v, float) else v)
                                             for k, v in r.items())), flush=True)
    finally:
        sh("sysctl", "-qw", "kernel.bpf_stats_enabled=" + old, check=False)
        run.cleanup()
    print("%d flows, --flow-table %d, %d runs: median (min..max)" % (a.flows, a.table, len(res)))
    for k, d, what in (("insert_ns", 0, "filter ns/packet, each packet a new flow"),
                       ("update_ns", 0, "filter ns/packet, each packet's flow found"),
                       ("scrape_s", 3, "s, one /metrics scrape (the whole table read)"),
                       ("final_s", 3, "s, SIGINT to exit (final table read, sorted, printed)"),
                       ("map_kib", 0, "KiB, the hash map's memlock"),
                       ("rss_mib", 1, "MiB, sockcap's peak RSS before SIGINT"),
                       ("rows", 0, "flows in the final table"),
                       ("tracked", 0, "sockcap_flows_tracked at the scrape")):
        print("  %-24s %s" % (med([r.get(k) for r in res], d), what))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
