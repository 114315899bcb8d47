#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""bench/layers.py: the socket filter's cost per packet, by kind of packet.

The parser in the kernel does more for some packets than for others: a
plain UDP datagram fills the record's fields; a TCP segment with options,
an ICMP error, a tunnel or an IP protocol without fields also copies the
header bytes the line needs into the record (hdr, up to 128 bytes); an
IPv6 extension header is walked and noted. This program measures, with the
kernel's own accounting (kernel.bpf_stats_enabled=1: the program's
run_cnt and run_time_ns), how many nanoseconds the socket filter takes per
packet for each kind, for one or more sockcap builds, so that two builds
(before and after a change of the record, say) can be compared.

Setup, as bench/run.py's (whose helpers and Bench class this program
uses): a veth pair joins two network namespaces made for the run and
removed at the end; trafgen on CPU 0 sends COUNT copies of one frame into
one end; sockcap -i IF (summary lines, to /dev/null) listens on the other
on CPU 1. With veth the filter runs in the softirq on the sending CPU. The
frames go to 198.19.255.254, which the receiver neither has nor routes
(forwarding off), so IP input drops them without a reply; IPv6 is off in
both namespaces, so the IPv6 frame is dropped too. Each measurement starts
sockcap afresh, reads the program's counters from /proc/PID/fdinfo after
"listening on", sends, reads them again and stops sockcap; the builds take
turns within a run, in alternating order.

Run as root:
    python3 bench/layers.py --build new=build/sockcap --build old=/path/to/old/sockcap
    python3 bench/layers.py --build summary=build/sockcap --build flows=build/sockcap \
        --args flows=--flows --build uid=build/sockcap --args uid='--uid 0' --kind udp
    python3 bench/layers.py [--runs N] [--count FRAMES] [--kind K ...] [--json FILE]
bench/README.md ("Cost per packet, by kind") has a table and how it was made.
"""
import argparse
import json
import os
import shlex
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no bench/__pycache__ in the tree
import run as rb  # noqa: E402  (bench/run.py: the veth pair, trafgen, capture helpers)

PROG = "layers.py"
FORMAT = "sockcap-layers/1"
RUNS = 5
COUNT = 200000
SRC, DST = rb.SRC_IP, rb.DST_IP
# Inner packets of the tunnels, and IPv6: the benchmarking ranges
# (198.18.0.0/15, RFC 2544; 2001:2::/48, RFC 5180).
IN_SRC, IN_DST = "198.18.1.1", "198.18.1.2"
SRC6, DST6 = "2001:2::1", "2001:2::2"


# ------------------------------------------------------------ the frames
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac(m):
    return bytes(int(x, 16) for x in m.split(":"))


def ipv4(proto, payload, src=SRC, dst=DST):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp_ts():
    """ACK, data offset 8: NOP, NOP, timestamps (RFC 7323), no data."""
    opts = bytes([1, 1, 8, 10]) + struct.pack("!II", 1, 2)
    return struct.pack("!HHIIBBHHH", rb.SPORT, 80, 1000, 2000, 8 << 4, 0x10, 512, 0, 0) + opts


def icmp_unreach():
    """Port unreachable (RFC 792) quoting the IP header and 8 bytes of a
    UDP datagram 198.19.255.254.40000 > 198.18.0.1.9."""
    quoted = ipv4(17, udp(rb.SPORT, rb.DPORT, bytes(18)), DST, SRC)[:28]
    h = struct.pack("!BBHI", 3, 3, 0, 0) + quoted
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def icmp_echo(payload):
    h = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + payload
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def frames(rx_mac, tx_mac):
    """kind -> (what, frame), Ethernet to the receiving end's MAC."""
    def eth(t, p):
        return mac(rx_mac) + mac(tx_mac) + struct.pack("!H", t) + p

    inner_eth = (bytes.fromhex("02000000000b") + bytes.fromhex("02000000000a")
                 + struct.pack("!H", 0x0800))
    vxlan = (struct.pack("!II", 0x08 << 24, 100 << 8) + inner_eth
             + ipv4(1, icmp_echo(bytes(16)), IN_SRC, IN_DST))
    gre = struct.pack("!HH", 0, 0x0800) + ipv4(17, udp(rb.SPORT, rb.DPORT, bytes(18)),
                                              IN_SRC, IN_DST)
    u6 = udp(rb.SPORT, rb.DPORT, bytes(18))
    # hop-by-hop (RFC 8200): next header UDP, 8 bytes, router alert + PadN
    hbh = bytes([17, 0, 5, 2, 0, 0, 1, 0])
    ip6 = (struct.pack("!IHBB", 6 << 28, len(hbh) + len(u6), 0, 64)
           + socket.inet_pton(socket.AF_INET6, SRC6) + socket.inet_pton(socket.AF_INET6, DST6))
    return {
        "udp": ("IPv4 UDP, 18 bytes of data (bench/run.py's flood)",
                eth(0x0800, ipv4(17, udp(rb.SPORT, rb.DPORT, bytes(18))))),
        "tcp-ts": ("IPv4 TCP ACK with the timestamps option", eth(0x0800, ipv4(6, tcp_ts()))),
        "icmp-unreach": ("IPv4 ICMP port unreachable", eth(0x0800, ipv4(1, icmp_unreach()))),
        "vxlan": ("VXLAN (UDP 4789), inner Ethernet IPv4 ICMP echo",
                  eth(0x0800, ipv4(17, udp(rb.SPORT, 4789, vxlan)))),
        "gre": ("GRE, inner IPv4 UDP", eth(0x0800, ipv4(47, gre))),
        "ip6-hbh": ("IPv6, hop-by-hop header, UDP", eth(0x86dd, ip6 + hbh + u6)),
    }


KINDS = ["udp", "tcp-ts", "icmp-unreach", "vxlan", "gre", "ip6-hbh"]


def trafgen_conf(what, f):
    lines = ["/* %s: %d bytes */" % (what, len(f)), "{"]
    for i in range(0, len(f), 12):
        lines.append("  " + ", ".join("0x%02x" % b for b in f[i:i + 12]) + ",")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def write_pcap(path, fl):
    """The frames in a classic pcap file, to show each build's line for them."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, b in enumerate(fl):
            f.write(struct.pack("<IIII", i + 1, 0, len(b), len(b)) + b)


# ------------------------------------------------------------ measuring
class Layers(rb.Bench):
    def measure(self, run, build, path, kind):
        """One send of COUNT frames of kind while build's sockcap runs:
        the program's runs and nanoseconds meanwhile."""
        rec = {"run": run, "build": build, "kind": kind, "label": "%s %s" % (build, kind),
               "notes": []}
        base = os.path.join(self.work, "r%d-%s-%s" % (run, build, kind))
        err, cpuf = base + ".err", base + ".cpu"
        self.cap_pidfile = base + ".pid"
        with open(self.cfg, "w") as f:
            f.write(self.confs[kind])
        rb.note("run %d: %s, %s" % (run, build, kind))
        cmd = [path] + self.a.extra.get(build, []) + ["-i", self.if_rx]
        if self.start_capture(rec, cmd, os.devnull, err, cpuf) is None:
            return rec
        s0 = rb.prog_stats(self.cap_pid)
        l0 = self.link_counters()
        tg = self.send(self.a.count)
        time.sleep(0.2)
        s1 = rb.prog_stats(self.cap_pid)
        l1 = self.link_counters()
        rc = self.stop_capture()
        text = rb.read_text(err)
        rec["stats"] = [l for l in text.splitlines() if l[:1].isdigit()]
        if tg is None or rc != 0 or not s0 or not s1:
            rec["failed"] = "trafgen failed" if tg is None else (
                "sockcap exit status %d" % rc if rc else "no program statistics")
            return rec
        rec["runs"], rec["ns"] = s1[0] - s0[0], s1[1] - s0[1]
        rec["rx"] = l1[0] - l0[0]
        rec["tg_pkts"] = tg["tg_pkts"]
        if rec["runs"] != self.a.count or rec["rx"] != self.a.count:
            rec["notes"].append("%d runs, %d received, %d sent"
                                % (rec["runs"], rec["rx"], self.a.count))
        # a full ring makes the filter's path shorter (no record): say so
        lost = rb.stat_value(rec["stats"], "dropped")
        if lost:
            rec["notes"].append("%d records lost (ring full)" % lost)
        return rec

    def lines(self, builds):
        """Each build's line for each kind (sockcap -r -t -n)."""
        pcap = os.path.join(self.work, "kinds.pcap")
        fl = frames(self.rx_mac, self.tx_mac)
        write_pcap(pcap, [fl[k][1] for k in self.kinds])
        out = {}
        for b, path in builds:
            r = rb.run_quiet([path, "-r", pcap, "-t", "-n"])
            out[b] = r.stdout.splitlines()
        return out

    def go(self, builds):
        self.check()
        if not builds:
            builds = [("sockcap", self.sockcap)]
        self.kinds = self.a.kind or KINDS
        doc = {"format": FORMAT, "started": rb.now_iso(), "kernel": os.uname().release,
               "options": {"runs": self.a.runs, "count": self.a.count},
               "builds": [{"name": b, "path": p, "sha16": rb.sha16(p),
                           "args": self.a.extra.get(b, [])} for b, p in builds],
               "loadavg_start": rb.loadavg(), "results": []}
        r = rb.run_quiet(["sysctl", "-n", "kernel.bpf_stats_enabled"])
        if r.returncode:
            rb.die("kernel.bpf_stats_enabled is not available")
        self.bpf_stats_old = r.stdout.strip()
        if rb.run_quiet(["sysctl", "-qw", "kernel.bpf_stats_enabled=1"]).returncode:
            rb.die("cannot set kernel.bpf_stats_enabled=1")
        self.setup()
        fl = frames(self.rx_mac, self.tx_mac)
        self.confs = {k: trafgen_conf(*fl[k]) for k in self.kinds}
        doc["frames"] = {k: {"what": fl[k][0], "bytes": len(fl[k][1])} for k in self.kinds}
        doc["lines"] = self.lines(builds)
        for run in range(1, self.a.runs + 1):
            for kind in self.kinds:
                order = builds if run % 2 else builds[::-1]
                for b, path in order:
                    doc["results"].append(self.measure(run, b, path, kind))
        doc["loadavg_end"] = rb.loadavg()
        doc["ended"] = rb.now_iso()
        return doc


# ------------------------------------------------------------ the report
def per_packet(doc, build, kind):
    return [r["ns"] / r["runs"] for r in doc["results"]
            if r["build"] == build and r["kind"] == kind and not r.get("failed")
            and r.get("runs")]


def report(doc):
    builds = [b["name"] for b in doc["builds"]]
    o = doc["options"]
    L = ["socket filter, ns per packet (kernel.bpf_stats_enabled=1: run_time_ns / run_cnt)\n",
         "%d runs of %d frames per kind and build; kernel %s; load average %s at the start, "
         "%s at the end\n" % (o["runs"], o["count"], doc["kernel"], doc["loadavg_start"],
                             doc["loadavg_end"]),
         "median (min..max) over the runs, spread = (max - min) / median; the differences "
         "in ns\n\n"]
    head = "| kind | bytes |" + "".join(" %s |" % b for b in builds)
    if len(builds) == 2:
        head += " %s - %s, medians | minima |" % (builds[0], builds[1])
    L.append(head + "\n|" + "---|" * (head.count("|") - 1) + "\n")
    for kind in doc["frames"]:
        row = "| %s | %d |" % (kind, doc["frames"][kind]["bytes"])
        meds, mins = [], []
        for b in builds:
            v = per_packet(doc, b, kind)
            meds.append(rb.median(v))
            mins.append(min(v) if v else None)
            sp = (max(v) - min(v)) / rb.median(v) * 100 if v else None
            row += " %s, %s |" % (rb.stat3(v, 1), rb.fmt(sp, 0, "%"))
        if len(builds) == 2:
            for x in (meds, mins):
                d = x[0] - x[1] if None not in x else None
                row += " %s%s |" % ("+" if d is not None and d >= 0 else "", rb.fmt(d, 1))
        L.append(row + "\n")
    L.append("\nkinds:\n")
    for kind, f in doc["frames"].items():
        L.append("  %-13s %s\n" % (kind, f["what"]))
    for b in builds:
        L.append("\n%s's lines for them (sockcap -r -t -n):\n" % b)
        for line in doc["lines"].get(b, []):
            L.append("  %s\n" % line)
    notes = ["%s run %d %s: %s" % (r["build"], r["run"], r["kind"],
                                   r.get("failed") or "; ".join(r["notes"]))
             for r in doc["results"] if r.get("failed") or r["notes"]]
    if notes:
        L.append("\nnotes:\n" + "".join("  %s\n" % n for n in notes))
    return "".join(L)


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    p.add_argument("--build", action="append", metavar="NAME=PATH",
                   help="a sockcap binary to measure (repeatable; default: the one "
                   "bench/run.py would use, as 'sockcap')")
    p.add_argument("--args", action="append", metavar="NAME=ARGS",
                   help="more arguments for build NAME's capture, before -i (repeatable; "
                   "e.g. flows=--flows: the same binary measured with --flows as another "
                   "build)")
    p.add_argument("--runs", type=rb.uint_in(1, 100, "runs"), default=RUNS)
    p.add_argument("--count", type=rb.uint_in(1000, 100000000, "count"), default=COUNT)
    p.add_argument("--kind", action="append", choices=KINDS,
                   help="a kind of packet (repeatable; default: all)")
    p.add_argument("--json", metavar="FILE", help="the raw results, as JSON")
    p.add_argument("--report", metavar="FILE.json", help="the report again, from saved results")
    a = p.parse_args(argv)
    # what rb.Bench expects of its options
    a.mode, a.tx_ring, a.keep, a.outdir = "print", False, False, None
    a.sockcap = None
    builds = []
    for b in a.build or []:
        name, sep, path = b.partition("=")
        if not sep or not name or not path:
            p.error("--build wants NAME=PATH, got %r" % b)
        if not os.access(path, os.X_OK):
            p.error("%s: not an executable file" % path)
        builds.append((name, os.path.realpath(path)))
    a.extra = {}
    for x in a.args or []:
        name, sep, args = x.partition("=")
        if not sep or name not in [b for b, _ in builds]:
            p.error("--args wants NAME=ARGS of a --build NAME, got %r" % x)
        a.extra[name] = shlex.split(args)
    if builds:
        a.sockcap = builds[0][1]
    return a, builds


def main(argv):
    a, builds = parse_args(argv)
    if a.report:
        with open(a.report) as f:
            sys.stdout.write(report(json.load(f)))
        return 0
    bench = Layers(a)
    try:
        doc = bench.go(builds)
    except rb.Fatal as e:
        rb.note("%s: %s" % (PROG, e))
        return 1
    except KeyboardInterrupt:
        rb.note("%s: interrupted" % PROG)
        return 130
    finally:
        bench.cleanup()
    if a.json:
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=1)
    sys.stdout.write(report(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
