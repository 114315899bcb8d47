#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""bench/run.py: what capturing costs, sockcap against tcpdump.

A veth pair joins two network namespaces made for the run. trafgen, on
CPU 0, sends 60-byte Ethernet/IPv4/UDP frames into one end; the capture
tool, on CPU 1, listens on the other end. For each case the same number of
frames is sent, and the program reports how many of them the tool printed,
how fast the sender still went, and how much CPU the tool itself used.

With veth, the receiving end's packet taps (and so the socket filter) run
in the softirq on the sending CPU: the kernel-side cost of a capture shows
up as a lower sender rate, while the capture process on CPU 1 only reads
what was queued for it.

--write makes the captures write pcap files (sockcap -w, tcpdump -w) and
counts the packets in each file with a third tool. --tcp replaces the
flood with an iperf3 TCP transfer and measures the throughput that is left
while sockcap or tcpdump writes 128 bytes of every packet to a file.
--filter makes 1% of the flood match a tcpdump filter expression and runs
every capture with that expression. --shared-cpu runs the capture tools on
the sender's CPU (a busy host), printing and writing files.

Every send's raw results go to a JSON file (--json FILE); the report is
computed from that file and can be made again from it without sending
anything (--report FILE.json, --table for the README's performance table).

Run as root: python3 bench/run.py [--runs N] [--count FRAMES] [--sockcap PATH]
             [--write | --filter | --shared-cpu | --tcp [--tcp-secs SECONDS]]
bench/README.md explains the setup, every column and the JSON format.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROG = "run.py"
FORMAT = "sockcap-bench/1"

RUNS = 3
COUNT = 4000000
TCP_SECS = 10
TCP_PORT = 5201  # in the namespaces made for the run, so it collides with nothing
TCP_SNAP = 128
TX_CPU = 0  # trafgen's first worker pins itself to CPU 0 in any case
CAP_CPU = 1
SETTLE = 0.2  # seconds between "ready" and the send
TAIL = 1.0  # seconds between the end of the send and SIGINT
# --filter: the flood repeats a cycle of CYCLE frames of which the last one
# goes to MATCH_PORT and the others to the usual port; every capture runs
# with FILTER_EXPR, which only that one frame matches.
CYCLE = 100
MATCH_PORT = 10
FILTER_EXPR = "udp dst port %d" % MATCH_PORT
CHECK_FRAMES = CYCLE * 100

SRC_IP = "198.18.0.1"
RX_IP = "198.18.0.2"
# Not configured anywhere and not routed: the receiver drops the frames in
# IP input without a reply (forwarding is off, so no ICMP unreachable).
DST_IP = "198.19.255.254"
SPORT = 40000
DPORT = 9


def signature(port):
    """What a fully decoded line of our frame contains, in both tools' output."""
    return "%s.%d > %s.%d: UDP, length 18" % (SRC_IP, SPORT, DST_IP, port)


# The captures of each mode, in the order they are measured: (case, label,
# command template, writes a file). Each is bracketed by sends without
# capture (a0, a1, ...). In a template, SOCKCAP, IF, FILE and PY stand for
# the binary, the capture interface, the output file and the interpreter.
NULLF = ["PY", os.path.join(HERE, "nullfilter.py"), "IF"]
CASES = {
    "print": [
        ("b", "sockcap", ["SOCKCAP", "-i", "IF"], False),
        ("c", "tcpdump -n", ["tcpdump", "-n", "-i", "IF"], False),
        ("d", "tcpdump -l -n", ["tcpdump", "-l", "-n", "-i", "IF"], False),
    ],
    # defaults apart from -i and -w: snap length 262144 for both; sockcap's
    # ring 2048 KiB (its -w default), tcpdump's buffer libpcap's 2 MiB
    "write": [
        ("b", "sockcap -w", ["SOCKCAP", "-i", "IF", "-w", "FILE"], True),
        ("c", "tcpdump -w", ["tcpdump", "-i", "IF", "-w", "FILE"], True),
    ],
    # the same expression, one argument, for all four; otherwise defaults
    "filter": [
        ("b", "sockcap EXPR", ["SOCKCAP", "-i", "IF", FILTER_EXPR], False),
        ("c", "sockcap -w EXPR", ["SOCKCAP", "-i", "IF", "-w", "FILE", FILTER_EXPR], True),
        ("d", "tcpdump -n EXPR", ["tcpdump", "-n", "-i", "IF", FILTER_EXPR], False),
        ("f", "tcpdump -w EXPR", ["tcpdump", "-i", "IF", "-w", "FILE", FILTER_EXPR], True),
    ],
    # process attribution on (the default) and off, in the same run
    "attribution": [
        ("b", "sockcap", ["SOCKCAP", "-i", "IF"], False),
        ("c", "sockcap --no-process", ["SOCKCAP", "--no-process", "-i", "IF"], False),
        ("d", "tcpdump -n", ["tcpdump", "-n", "-i", "IF"], False),
    ],
    # --flows alone (the final table, no summary record per frame) against
    # summary mode and tcpdump, in the same run
    "flows": [
        ("b", "sockcap", ["SOCKCAP", "-i", "IF"], False),
        ("c", "sockcap --flows", ["SOCKCAP", "--flows", "-i", "IF"], False),
        ("d", "tcpdump -n", ["tcpdump", "-n", "-i", "IF"], False),
    ],
    # the capture on the sender's CPU: printing and writing, both tools
    "shared": [
        ("b", "sockcap", ["SOCKCAP", "-i", "IF"], False),
        ("c", "tcpdump -n", ["tcpdump", "-n", "-i", "IF"], False),
        ("d", "sockcap -w", ["SOCKCAP", "-i", "IF", "-w", "FILE"], True),
        ("f", "tcpdump -w", ["tcpdump", "-i", "IF", "-w", "FILE"], True),
    ],
    "tcp": [
        ("b", "sockcap -s %d -w" % TCP_SNAP,
         ["SOCKCAP", "-i", "IF", "-s", str(TCP_SNAP), "-w", "FILE"], True),
        ("c", "tcpdump -s %d -w" % TCP_SNAP,
         ["tcpdump", "-i", "IF", "-s", str(TCP_SNAP), "-w", "FILE"], True),
    ],
}
NULL_CASE = ("e", "do-nothing filter", NULLF, False)
# --bpf-stats: one more sockcap measurement, case s
STATS_CASE = {
    "print": ("s", "sockcap, bpf_stats on", ["SOCKCAP", "-i", "IF"], False),
    "attribution": ("s", "sockcap, bpf_stats on", ["SOCKCAP", "-i", "IF"], False),
    "shared": ("s", "sockcap, bpf_stats on", ["SOCKCAP", "-i", "IF"], False),
    "flows": ("s", "sockcap --flows, bpf_stats on", ["SOCKCAP", "--flows", "-i", "IF"], False),
    "write": ("s", "sockcap -w, bpf_stats on", ["SOCKCAP", "-i", "IF", "-w", "FILE"], True),
    "filter": ("s", "sockcap EXPR, bpf_stats on", ["SOCKCAP", "-i", "IF", FILTER_EXPR], False),
}
# Pairs compared directly in the summary: (sockcap case, tcpdump case).
PAIRS = {
    "print": [("b", "c")],
    "attribution": [("b", "c"), ("b", "d")],
    "flows": [("c", "d"), ("c", "b"), ("b", "d")],
    "write": [("b", "c")],
    "filter": [("b", "d"), ("c", "f")],
    "shared": [("b", "c"), ("d", "f")],
    "tcp": [("b", "c")],
}


def note(msg):
    """Progress goes to stderr; the report on stdout is plain text to paste."""
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


class Fatal(Exception):
    pass


class Stopped(Exception):
    def __init__(self, code, why):
        super().__init__(why)
        self.code = code


def die(msg):
    raise Fatal(msg)


# ----------------------------------------------------------- processes
def pid_alive(pid):
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_gone(pid, secs):
    """Poll until pid (not a child of ours) has exited, at most secs."""
    end = time.monotonic() + secs
    while pid_alive(pid) and time.monotonic() < end:
        time.sleep(0.05)
    return not pid_alive(pid)


def wait_file(path, secs, proc):
    """Poll until path is non-empty, at most secs, while proc is running."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return True
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    return os.path.exists(path) and os.path.getsize(path) > 0


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def reap(proc, secs):
    """Wait for a child of ours, then kill it if it has not exited."""
    try:
        return proc.wait(secs)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def stop_timeout(proc):
    """Stop a timeout(1) we started, and what it runs. timeout(1) passes
    SIGTERM on to its command; it put itself and that command in a process
    group of its own (its pid), so a SIGKILL to that group reaches exactly
    the two of them."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
    proc.poll()


def run_quiet(cmd, check=False):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        die("%s failed: %s" % (" ".join(cmd), r.stderr.strip()))
    return r


def first_line(cmd, line=0):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError:
        return "?"
    lines = r.stdout.splitlines()
    return lines[line].strip() if len(lines) > line else "?"


def proc_cpu(pid):
    """CPU seconds used so far by a running process or kernel thread."""
    if not pid:
        return 0.0
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def prog_stats(pid):
    """[run_cnt, run_time_ns] of the socket filter program the process
    holds, the one the socket runs. With a filter expression the process
    holds two: the expression, which the socket runs for every packet, and
    the parser it tail-calls for the packets that match. The kernel counts
    a program's runs and time only where the socket enters it, so the
    parser's counters stay at 0 and the expression's include the parser's
    time: the one with the most runs is the one to report."""
    best = None
    d = "/proc/%d/fdinfo" % pid
    try:
        names = os.listdir(d)
    except OSError:
        return None
    for n in names:
        try:
            with open(os.path.join(d, n)) as f:
                kv = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
        except OSError:
            continue
        if kv.get("prog_type", "").strip() != "1":
            continue
        cnt = int(kv.get("run_cnt", "0").strip() or 0)
        ns = int(kv.get("run_time_ns", "0").strip() or 0)
        if best is None or cnt > best[0]:
            best = [cnt, ns]
    return best


def sha16(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()[:16]
    except OSError:
        return None


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except (OSError, ValueError):
        return None


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -------------------------------------------------------------- options
class Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("%s: %s\n" % (PROG, message))
        sys.stderr.write("Try 'python3 bench/run.py --help' for more information.\n")
        sys.exit(1)


def uint_in(lo, hi, what):
    def conv(s):
        if not re.fullmatch(r"[0-9]+", s) or not lo <= int(s) <= hi:
            raise argparse.ArgumentTypeError("invalid %s '%s' (%d to %d)" % (what, s, lo, hi))
        return int(s)
    return conv


def parse_args(argv):
    p = Parser(
        prog="run.py", allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Measure what packet capture costs on a veth pair: no capture, sockcap,
tcpdump, tcpdump -l and a do-nothing socket filter, each while trafgen
floods the pair with 60-byte UDP frames. Needs root and two CPUs.
With --write the captures write pcap files instead; with --filter 1% of the
frames match a filter expression that every capture runs with; with
--shared-cpu the captures run on the sender's CPU; with --tcp the traffic is
an iperf3 TCP transfer and the captures write 128 bytes of each packet.
Raw results go to a JSON file; --report makes the report again from one.""")
    p.add_argument("--runs", type=uint_in(1, 100, "run count"), default=RUNS,
                   help="repeat the set of measurements N times (default %d)" % RUNS)
    p.add_argument("--count", type=uint_in(1000, 1000000000, "frame count"),
                   help="frames sent per measurement (default %d)" % COUNT)
    p.add_argument("--sockcap", metavar="PATH",
                   help="sockcap binary (default: $SOCKCAP, else ../sockcap next to "
                   "this program, else sockcap in PATH)")
    p.add_argument("--no-null-filter", action="store_true",
                   help="skip case e, the do-nothing socket filter")
    p.add_argument("--tx-ring", action="store_true",
                   help="send with trafgen's TX_RING: frames reach the receiver in page "
                   "fragments, only the Ethernet header in the skb's linear part (default: "
                   "one sendto() per frame, whole frame linear)")
    p.add_argument("--bpf-stats", action="store_true",
                   help="after the runs, one more sockcap measurement with "
                   "kernel.bpf_stats_enabled=1 (restored afterwards) to report the "
                   "socket filter's average run time")
    p.add_argument("--outdir", metavar="DIR",
                   help="where capture output goes while it is counted, and the JSON "
                   "file by default (default: /dev/shm if writable, else $TMPDIR or /tmp)")
    p.add_argument("--json", metavar="FILE",
                   help="where the raw results go (default: "
                   "OUTDIR/sockcap-bench-MODE-DATE-PID.json)")
    m = p.add_mutually_exclusive_group()
    m.add_argument("--write", dest="mode", action="store_const", const="write",
                   help="the captures write files: sockcap -w FILE and tcpdump -w FILE; "
                   "captured: packets in the file (capinfos) / frames sent")
    m.add_argument("--filter", dest="mode", action="store_const", const="filter",
                   help="one frame in %d goes to UDP port %d, and every capture runs with "
                   "'%s'; captured: of the matching frames sent (FRAMES must be a "
                   "multiple of %d)" % (CYCLE, MATCH_PORT, FILTER_EXPR, CYCLE))
    m.add_argument("--shared-cpu", dest="mode", action="store_const", const="shared",
                   help="the captures run on the sender's CPU %d (a busy host): sockcap "
                   "and tcpdump -n printing, sockcap -w and tcpdump -w" % TX_CPU)
    m.add_argument("--attribution", dest="mode", action="store_const", const="attribution",
                   help="sockcap with process attribution (the default) against "
                   "sockcap --no-process and tcpdump -n, all printing")
    p.add_argument("--listening", action="store_true",
                   help="a UDP socket in the receiving namespace holds the flood's port "
                   "(so the owner lookup goes all the way), instead of no socket")
    m.add_argument("--flows", dest="mode", action="store_const", const="flows",
                   help="sockcap --flows (the final table only) against sockcap's summary "
                   "mode and tcpdump -n")
    m.add_argument("--tcp", dest="mode", action="store_const", const="tcp",
                   help="an iperf3 TCP transfer (client and server on CPU %d) against "
                   "sockcap -s %d -w FILE and tcpdump -s %d -w FILE"
                   % (TX_CPU, TCP_SNAP, TCP_SNAP))
    p.add_argument("--tcp-secs", metavar="SECONDS", type=uint_in(1, 3600, "transfer length"),
                   help="length of each transfer with --tcp (default %d)" % TCP_SECS)
    p.add_argument("--keep", action="store_true",
                   help="keep the capture output (pcap files too) and logs")
    p.add_argument("--report", metavar="FILE.json", nargs="+",
                   help="send nothing: print the report of saved results")
    p.add_argument("--table", action="store_true",
                   help="with --report: print the rows of README.md's performance table")
    a = p.parse_args(argv)
    a.mode = a.mode or "print"
    if a.table and not a.report:
        p.error("--table needs --report")
    if a.report:
        return a
    if a.mode == "tcp":
        if a.count is not None:
            p.error("--count does not apply to --tcp (its transfers last --tcp-secs)")
        if a.tx_ring:
            p.error("--tx-ring does not apply to --tcp (iperf3 sends, not trafgen)")
        if a.bpf_stats:
            p.error("--bpf-stats does not apply to --tcp")
    elif a.tcp_secs is not None:
        p.error("--tcp-secs needs --tcp")
    if a.listening and a.mode not in ("print", "attribution", "shared"):
        p.error("--listening applies to printing modes only (the default, --attribution, "
                "--shared-cpu)")
    if a.count is None:
        a.count = COUNT
    if a.tcp_secs is None:
        a.tcp_secs = TCP_SECS
    # A whole number of cycles, so that exactly 1% of the frames sent match.
    if a.mode == "filter" and a.count % CYCLE:
        p.error("with --filter the frame count must be a multiple of %d (got %d)"
                % (CYCLE, a.count))
    return a


# ------------------------------------------------------------ the frame
def ip_checksum():
    """IPv4 header checksum over: version/IHL/TOS, total length 46, id 0,
    flags DF, TTL 64 / protocol UDP, source and destination addresses."""
    words = [0x4500, 46, 0, 0x4000, 0x4011]
    for ip in (SRC_IP, DST_IP):
        b = [int(x) for x in ip.split(".")]
        words += [(b[0] << 8) | b[1], (b[2] << 8) | b[3]]
    s = sum(words)
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(port, rx_mac, tx_mac):
    """One packet of a trafgen configuration, to UDP port PORT (the ports
    are not in the IP checksum, and the UDP checksum is 0)."""
    def mac(m):
        return ", ".join("0x" + x for x in m.split(":"))
    return """/* 60 bytes: Ethernet, IPv4, UDP %s:%d -> %s:%d, 18 zero bytes */
{
  %s,
  %s,
  c16(0x0800),
  0x45, 0x00, c16(46), c16(0), c16(0x4000), 64, 17, c16(%d),
  %s,
  %s,
  c16(%d), c16(%d), c16(26), c16(0),
  fill(0x00, 18)
}
""" % (SRC_IP, SPORT, DST_IP, port, mac(rx_mac), mac(tx_mac), ip_checksum(),
       SRC_IP.replace(".", ","), DST_IP.replace(".", ","), SPORT, port)


# ------------------------------------------------------------ the bench
class Bench:
    def __init__(self, a):
        self.a = a
        self.mode = a.mode
        self.work = None
        self.netns_made = False
        self.wrap = None  # cpuwrap.py running the capture tool, a child of ours
        self.cap_pid = None  # the capture tool, a child of cpuwrap.py
        self.cap_pidfile = None
        self.tg = None  # cpuwrap.py running timeout(1) running trafgen
        self.tg_pidfile = None
        self.srv = None  # timeout(1) running the iperf3 server
        self.holder = None  # timeout(1) running the UDP socket of --listening
        self.cli = None  # timeout(1) running the iperf3 client
        self.bpf_stats_old = None
        pfx = "scb%d" % os.getpid()
        self.ns_tx, self.ns_rx = pfx + "tx", pfx + "rx"
        self.if_tx, self.if_rx = pfx + "t", pfx + "r"
        self.cap_cpu = TX_CPU if self.mode == "shared" else CAP_CPU
        self.doc = None
        self.json_path = None

    # ------------------------------------------------------- checks
    def check(self):
        a = self.a
        if os.geteuid() != 0:
            die("must run as root (namespaces, packet sockets, BPF)")
        need = [("tcpdump", "tcpdump"), ("ip", "iproute2"), ("taskset", "util-linux"),
                ("timeout", "coreutils")]
        if self.mode == "tcp":
            need += [("iperf3", "iperf3"), ("ss", "iproute2")]
        else:
            need.insert(0, ("trafgen", "netsniff-ng"))
        missing = ["%s (apt-get install %s)" % n for n in need if not shutil.which(n[0])]
        if missing:
            die("missing tools:\n  " + "\n  ".join(missing))
        # Packets in a capture file are counted by a tool that is neither of
        # the two writing them: capinfos (wireshark-common) reads only the
        # record headers. Without it, tcpdump -r, which shares libpcap with
        # tcpdump -w.
        self.file_counter = None
        if self.mode != "print":
            if shutil.which("capinfos"):
                self.file_counter = "capinfos"
            else:
                self.file_counter = "tcpdump"
                note("%s: capinfos not found (apt-get install wireshark-common); "
                     "counting with tcpdump -r" % PROG)
        b = a.sockcap or os.environ.get("SOCKCAP")
        if not b:
            if os.access(os.path.join(HERE, "..", "sockcap"), os.X_OK):
                b = os.path.join(HERE, "..", "sockcap")
            elif shutil.which("sockcap"):
                b = "sockcap"
            else:
                die("no sockcap binary: build it (./configure && make), or name it with "
                    "--sockcap PATH or SOCKCAP=PATH")
        if "/" not in b:
            found = shutil.which(b)
            if not found:
                die("sockcap: not found in PATH")
            b = found
        b = os.path.realpath(b)
        if not os.path.isfile(b) or not os.access(b, os.X_OK):
            die("%s: not an executable file" % b)
        self.sockcap = b
        for cpu in (TX_CPU, CAP_CPU):
            if run_quiet(["taskset", "-c", str(cpu), "true"]).returncode != 0:
                die("CPU %d is not available: the benchmark needs CPUs 0 and 1" % cpu)
        # The kernel thread that takes over the sender's softirq work under load.
        self.ksoftirqd = None
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/comm" % d) as f:
                    if f.read().strip() == "ksoftirqd/%d" % TX_CPU:
                        self.ksoftirqd = int(d)
                        break
            except OSError:
                pass
        # Keep this program's own work (and the tools it runs) off the
        # sender's CPU.
        try:
            os.sched_setaffinity(0, {CAP_CPU})
        except OSError:
            die("cannot set this program's CPU affinity")
        self.outbase = a.outdir
        if not self.outbase:
            if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
                self.outbase = "/dev/shm"
            else:
                self.outbase = os.environ.get("TMPDIR") or "/tmp"

    # ---------------------------------------------------- clean-up
    def stop_capture(self):
        """Stop the capture tool by its pid (SIGINT, then SIGTERM, then
        SIGKILL) and reap its wrapper. Returns the wrapper's exit status
        (the tool's)."""
        rc = 0
        if self.wrap is None:
            return rc
        if self.cap_pid is None and wait_file(self.cap_pidfile, 2, self.wrap):
            self.cap_pid = read_pid(self.cap_pidfile)
        pid = self.cap_pid
        if pid_alive(pid) and self.wrap.poll() is None:
            os.kill(pid, signal.SIGINT)
            if not wait_gone(pid, 60):
                note("%s: capture pid %d ignored SIGINT for 60 s, sending SIGTERM" % (PROG, pid))
                os.kill(pid, signal.SIGTERM)
                if not wait_gone(pid, 5):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                    wait_gone(pid, 5)
        # cpuwrap.py exits as soon as its child has
        rc = reap(self.wrap, 5)
        self.wrap = None
        self.cap_pid = None
        return rc

    def stop_send(self):
        """Stop a send still running: SIGTERM to timeout(1), which passes it
        on to trafgen, then reap the wrapper."""
        if self.tg is None:
            return
        tpid = None
        if wait_file(self.tg_pidfile, 2, self.tg):
            tpid = read_pid(self.tg_pidfile)
        if tpid and self.tg.poll() is None and pid_alive(tpid):
            os.kill(tpid, signal.SIGTERM)
            if not wait_gone(tpid, 15):
                try:
                    os.kill(tpid, signal.SIGKILL)
                except OSError:
                    pass
        reap(self.tg, 5)
        self.tg = None

    def stop_tcp(self):
        stop_timeout(self.cli)
        self.cli = None
        stop_timeout(self.srv)
        self.srv = None

    def listen(self):
        """--listening: a UDP socket bound to the flood's port, never read
        (its queue fills and the kernel drops the rest, as for any slow
        reader), so that every frame has a local owner to look up. The
        flood's destination becomes an address of the receiving end."""
        if run_quiet(["ip", "-n", self.ns_rx, "addr", "add", DST_IP + "/32", "dev",
                      self.if_rx]).returncode:
            die("cannot give %s the address %s" % (self.if_rx, DST_IP))
        code = ("import socket, time\n"
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                "s.bind(('%s', %d))\n"
                "print('ready', flush=True)\n"
                "time.sleep(100000)\n" % (DST_IP, DPORT))
        self.holder = subprocess.Popen(
            ["timeout", "-k", "5", "86400"] + self.nsx(self.ns_rx, sys.executable or "python3",
                                                       "-c", code),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if self.holder.stdout.readline().strip() != b"ready":
            die("the UDP socket of --listening did not start")
        note("a UDP socket holds %s port %d" % (DST_IP, DPORT))

    def stop_listen(self):
        if self.holder is not None:
            if self.holder.poll() is None:
                self.holder.terminate()
            reap(self.holder, 10)
            self.holder = None

    def cleanup(self):
        for f in (self.stop_capture, self.stop_send, self.stop_tcp, self.stop_listen):
            try:
                f()
            except Exception as e:  # keep going: the namespaces must go
                note("%s: clean-up: %s" % (PROG, e))
        if self.bpf_stats_old is not None:
            run_quiet(["sysctl", "-qw", "kernel.bpf_stats_enabled=" + self.bpf_stats_old])
            self.bpf_stats_old = None
        if self.netns_made:
            run_quiet(["ip", "-n", self.ns_tx, "link", "del", self.if_tx])
            run_quiet(["ip", "netns", "del", self.ns_tx])
            run_quiet(["ip", "netns", "del", self.ns_rx])
            if os.path.exists("/run/netns/" + self.ns_tx) or os.path.exists("/run/netns/" + self.ns_rx):
                note("%s: could not remove namespace %s or %s" % (PROG, self.ns_tx, self.ns_rx))
            self.netns_made = False
        if self.work and os.path.isdir(self.work):
            if self.a.keep:
                note("%s: output kept in %s" % (PROG, self.work))
            else:
                shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    # ----------------------------------------------------- the pair
    def nsx(self, ns, *cmd):
        return ["ip", "netns", "exec", ns] + list(cmd)

    def setup(self):
        self.work = tempfile.mkdtemp(prefix="sockcap-bench.", dir=self.outbase)
        note("setting up namespaces %s, %s and veth %s <-> %s"
             % (self.ns_tx, self.ns_rx, self.if_tx, self.if_rx))
        self.netns_made = True
        run_quiet(["ip", "netns", "add", self.ns_tx], check=True)
        run_quiet(["ip", "netns", "add", self.ns_rx], check=True)
        for ns in (self.ns_tx, self.ns_rx):
            # no IPv6 router solicitations or MLD reports on the link
            run_quiet(self.nsx(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                               "net.ipv6.conf.default.disable_ipv6=1"))
        if run_quiet(self.nsx(self.ns_rx, "sysctl", "-qw", "net.ipv4.ip_forward=0")).returncode:
            die("cannot turn forwarding off in %s" % self.ns_rx)
        if run_quiet(["ip", "link", "add", self.if_tx, "netns", self.ns_tx, "type", "veth",
                      "peer", "name", self.if_rx, "netns", self.ns_rx]).returncode:
            die("cannot create the veth pair (is the veth module available?)")
        # No ARP on either end: the only frames on the link are the ones sent.
        for ns, dev, ip in ((self.ns_tx, self.if_tx, SRC_IP), (self.ns_rx, self.if_rx, RX_IP)):
            if run_quiet(["ip", "-n", ns, "link", "set", "dev", dev, "arp", "off", "up"]).returncode:
                die("cannot bring %s up" % dev)
            if run_quiet(["ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev]).returncode:
                die("cannot address %s" % dev)
        # Receive processing stays on the CPU that sends (no RPS).
        run_quiet(self.nsx(self.ns_rx, "sh", "-c",
                           "for f in /sys/class/net/%s/queues/rx-*/rps_cpus; do echo 0 > $f; done"
                           % self.if_rx))
        st = None
        for _ in range(100):
            st = (self.sysfs(self.ns_tx, self.if_tx, "operstate"),
                  self.sysfs(self.ns_rx, self.if_rx, "operstate"))
            if st == ("up", "up"):
                break
            time.sleep(0.05)
        if st != ("up", "up"):
            die("veth pair did not come up (%s/%s)" % st)
        self.rx_mac = self.sysfs(self.ns_rx, self.if_rx, "address")
        self.tx_mac = self.sysfs(self.ns_tx, self.if_tx, "address")
        if not self.rx_mac or not self.tx_mac:
            die("no MAC address for the veth pair")
        if self.mode == "tcp":
            # ARP stays off, so TCP needs each end's MAC as a permanent neighbour.
            for ns, ip, mac, dev in ((self.ns_tx, RX_IP, self.rx_mac, self.if_tx),
                                     (self.ns_rx, SRC_IP, self.tx_mac, self.if_rx)):
                if run_quiet(["ip", "-n", ns, "neigh", "replace", ip, "lladdr", mac, "dev", dev,
                              "nud", "permanent"]).returncode:
                    die("cannot add a neighbour entry for %s" % ip)
            return
        self.cfg = os.path.join(self.work, "udp60.trafgen")
        with open(self.cfg, "w") as f:
            if self.mode == "filter":
                # trafgen sends the packets of a configuration in turn, from
                # the first on each start: CYCLE - 1 frames to DPORT, then one
                # to MATCH_PORT. The matching frame comes last, so that any
                # number of frames sent holds exactly (frames / CYCLE)
                # matches; check_cycle verifies the order.
                for _ in range(CYCLE - 1):
                    f.write(frame(DPORT, self.rx_mac, self.tx_mac))
                f.write(frame(MATCH_PORT, self.rx_mac, self.tx_mac))
            else:
                f.write(frame(DPORT, self.rx_mac, self.tx_mac))
        self.tg_args = ["--dev", self.if_tx, "--conf", self.cfg, "--cpus", "1",
                        "--no-sock-mem", "--notouch-irq"]
        if self.a.tx_ring:
            self.send_mode = "TX_RING (frame in page fragments, 14 bytes linear)"
        else:
            # A gap of 0 selects trafgen's sendto() path, one linear skb per frame.
            self.tg_args += ["--gap", "0"]
            self.send_mode = "sendto() per frame (whole frame linear)"
        # Generous bound on one send: 60 s plus 20 k frames per second.
        self.send_limit = 60 + self.a.count // 20000

    def sysfs(self, ns, dev, *names):
        paths = ["/sys/class/net/%s/%s" % (dev, n) for n in names]
        r = run_quiet(self.nsx(ns, "cat", *paths))
        if r.returncode:
            return None
        v = r.stdout.split()
        return v[0] if len(names) == 1 and v else v

    def counters(self):
        """Sent, came back to the sender, dropped by the sender's end,
        received, sent by the receiver, dropped by the receiver's."""
        t = self.sysfs(self.ns_tx, self.if_tx, "statistics/tx_packets",
                       "statistics/rx_packets", "statistics/tx_dropped")
        r = self.sysfs(self.ns_rx, self.if_rx, "statistics/rx_packets",
                       "statistics/tx_packets", "statistics/rx_dropped")
        if not t or not r or len(t) + len(r) != 6:
            die("cannot read the veth counters")
        return [int(x) for x in t + r]

    def link_counters(self):
        """Packets and bytes on the capture interface, both directions."""
        v = self.sysfs(self.ns_rx, self.if_rx, "statistics/rx_packets", "statistics/tx_packets",
                       "statistics/rx_bytes", "statistics/tx_bytes")
        if not v or len(v) != 4:
            die("cannot read the veth counters")
        return [int(x) for x in v]

    # ------------------------------------------------------- sending
    def send(self, n):
        """Run trafgen on CPU 0 until it has sent n frames. Returns its
        figures: frames it says it sent, time of its send loop (its own
        measurement), the CPU time of the sending path (trafgen's, with the
        receive softirq it runs inline, plus ksoftirqd's on CPU 0) and the
        wall-clock time of the whole trafgen process; None on failure."""
        log = os.path.join(self.work, "trafgen.log")
        cpuf = os.path.join(self.work, "trafgen.cpu")
        self.tg_pidfile = os.path.join(self.work, "trafgen.pid")
        for f in (self.tg_pidfile, cpuf):
            if os.path.exists(f):
                os.unlink(f)
        k0 = proc_cpu(self.ksoftirqd)
        with open(log, "w") as lf:
            self.tg = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "cpuwrap.py"), self.tg_pidfile, cpuf, "--",
                 "timeout", "-s", "INT", "-k", "10", str(self.send_limit),
                 "taskset", "-c", str(TX_CPU)] + self.nsx(self.ns_tx, "trafgen", *self.tg_args)
                + ["--num", str(n)], stdout=lf, stderr=subprocess.STDOUT)
        rc = self.tg.wait()
        self.tg = None
        k1 = proc_cpu(self.ksoftirqd)
        with open(log, errors="replace") as f:
            text = f.read().replace("\r", "")
        if rc != 0:
            note("%s: trafgen failed (exit status %d):\n%s" % (PROG, rc, indent(text)))
            return None
        # "      4 sec, 123456 usec on CPU0 (4000000 packets)"
        secs, pkts = 0.0, 0
        for m in re.finditer(r"(\d+) sec, (\d+) usec on CPU\d+ \((\d+) packets", text):
            secs += int(m.group(1)) + int(m.group(2)) / 1e6
            pkts += int(m.group(3))
        if not pkts:
            note("%s: no timing in trafgen's output:\n%s" % (PROG, indent(text)))
            return None
        try:
            with open(cpuf) as f:
                u, s, e = (float(x) for x in f.read().split()[:3])
        except (OSError, ValueError):
            u = s = e = 0.0
        return {"tg_pkts": pkts, "tg_secs": secs, "tg_user": u, "tg_sys": s,
                "ksoftirqd_cpu": k1 - k0, "tg_wall": e}

    # ------------------------------------------------------ captures
    def cmd(self, template, file):
        sub = {"SOCKCAP": self.sockcap, "IF": self.if_rx, "FILE": file, "PY": sys.executable}
        return [sub.get(x, x) for x in template]

    def start_capture(self, rec, cmd, out, err, cpuf):
        """Start cmd on the capture CPU in the receiver's namespace and wait
        until it says it is listening. Returns the CPU time it has used by
        then (its start-up), or None if it did not start."""
        with open(out, "w") as of, open(err, "w") as ef:
            self.wrap = subprocess.Popen(
                ["taskset", "-c", str(self.cap_cpu), sys.executable,
                 os.path.join(HERE, "cpuwrap.py"), self.cap_pidfile, cpuf, "--"]
                + self.nsx(self.ns_rx, *cmd), stdout=of, stderr=ef)
        if wait_file(self.cap_pidfile, 10, self.wrap):
            self.cap_pid = read_pid(self.cap_pidfile)
        ready = False
        for _ in range(400):
            if "listening on" in read_text(err):
                ready = True
                break
            if not pid_alive(self.cap_pid) or self.wrap.poll() is not None:
                break
            time.sleep(0.05)
        if not ready or not pid_alive(self.cap_pid) or self.wrap.poll() is not None:
            self.stop_capture()
            lines = [l for l in read_text(err).splitlines() if l.strip()][:3]
            rec["failed"] = "did not start: " + " ".join(lines)
            note("%s: %s: %s" % (PROG, rec["label"], rec["failed"]))
            return None
        time.sleep(SETTLE)
        return proc_cpu(self.cap_pid)

    def collect_capture(self, rec, cpuf, err, ready):
        """After the capture has exited: its CPU time from ready to exit and
        its own statistics lines."""
        try:
            with open(cpuf) as f:
                u, s = (float(x) for x in f.read().split()[:2])
        except (OSError, ValueError):
            u = s = 0.0
            rec["notes"].append("no CPU time")
        rec["cpu_user"], rec["cpu_sys"], rec["cpu_ready"] = u, s, ready
        text = read_text(err)
        rec["stats"] = [l for l in text.splitlines() if re.match(r"[0-9]+ packets? ", l)]
        rec["stderr_other"] = [l for l in text.splitlines()
                               if l and not re.match(r"[0-9]+ packets? ", l)
                               and "listening on" not in l
                               and "verbose output suppressed" not in l][:3]
        if rec["stderr_other"]:
            rec["notes"].append("stderr: " + ";".join(rec["stderr_other"]))

    def count_file(self, path):
        """Packets in a capture file and the bytes of packet data they hold
        (None when the counter does not say), and an error message."""
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            return None, None, "no file"
        err = None
        if self.file_counter == "capinfos":
            # one line, tab-separated: name, packets, data bytes
            r = run_quiet(["capinfos", "-T", "-r", "-c", "-d", "-M", path])
            lines = r.stdout.splitlines()
            m = re.search(r"\t([0-9]+)\t([0-9]+)$", lines[-1]) if lines else None
            if r.returncode == 0 and m:
                return int(m.group(1)), int(m.group(2)), None
            # a file cut short in a record, say: count what can be read
            err = "capinfos: " + " ".join(r.stderr.splitlines()[:2])
        n = count_lines(["tcpdump", "-r", path, "-q", "-n"])
        return n, None, err

    def file_result(self, rec, path, out):
        """Count the packets in the capture's file, then delete it (and the
        empty standard output) unless --keep."""
        pkts, nbytes, err = self.count_file(path)
        if pkts is not None:
            rec["file_pkts"] = pkts
            rec["file_bytes"] = nbytes
            if err:
                rec["notes"].append("%s, counted with tcpdump -r" % err)
            said = stat_value(rec.get("stats", []), "captured")
            if said is not None and said != pkts:
                rec["notes"].append("the file holds %d packets, %s says it captured %d"
                                    % (pkts, rec["label"], said))
            # every frame of the flood is 60 bytes and fits the snap length
            if self.mode != "tcp" and nbytes is not None and nbytes != 60 * pkts:
                rec["notes"].append("%d bytes of packet data in the file, not 60 per packet"
                                    % nbytes)
            # --filter: are they the matching frames? (the file is small: 1%)
            if self.mode == "filter":
                rec["decoded"] = count_lines(["tcpdump", "-r", path, "-n"],
                                             signature(MATCH_PORT))
        else:
            rec["notes"].append("no packets counted in the file (%s)" % err)
        if os.path.exists(out) and os.path.getsize(out) > 0:
            rec["notes"].append("%d lines on standard output" % len(read_text(out).splitlines()))
        if not self.a.keep:
            for f in (path, out):
                if os.path.exists(f):
                    os.unlink(f)

    def new_rec(self, run, case):
        c, label, template, writes = case
        base = os.path.join(self.work, "run%d-%s" % (run, c))
        file = base + ".pcap"
        cmd = self.cmd(template, file) if template else []
        rec = {"case": c, "label": label, "cmd": cmd, "writes_file": writes, "notes": []}
        return rec, base, file

    def begin(self, run, case):
        """A measurement's files made fresh and its capture started:
        (rec, base, file, out, err, cpuf, ready), ready None when the
        capture did not start (rec says why)."""
        rec, base, file = self.new_rec(run, case)
        out, err, cpuf = base + ".out", base + ".err", base + ".cpu"
        self.cap_pidfile = base + ".pid"
        for f in (out, err, self.cap_pidfile, cpuf, file):
            if os.path.exists(f):
                os.unlink(f)
        note("run %d: %s) %s" % (run, rec["case"], rec["label"]))
        ready = 0.0
        if rec["cmd"]:
            ready = self.start_capture(rec, rec["cmd"], out, err, cpuf)
        return rec, base, file, out, err, cpuf, ready

    def measure(self, run, case):
        """One send of COUNT frames with case's capture running."""
        rec, base, file, out, err, cpuf, ready = self.begin(run, case)
        if ready is None:
            return rec
        cmd = rec["cmd"]
        before = self.counters()
        tg = self.send(self.a.count)
        if tg is None:
            self.stop_capture()
            rec["failed"] = "trafgen failed"
            return rec
        after = self.counters()
        rec.update(tg)
        if cmd:
            time.sleep(TAIL)
            if rec["case"] == "s":
                rec["prog_stats"] = prog_stats(self.cap_pid)
            wrc = self.stop_capture()
            rec["exit_status"] = wrc
            if wrc != 0:
                rec["notes"].append("capture exited with status %d" % wrc)
        d = [y - x for x, y in zip(before, after)]
        # 0: tx end sent, 1: tx end received, 2: tx end dropped,
        # 3: rx end received, 4: rx end sent, 5: rx end dropped
        rec["veth"] = {"sent": d[0], "received": d[3], "back": d[1] + d[4], "dropped": d[2] + d[5]}
        v = rec["veth"]
        if v["sent"] != tg["tg_pkts"]:
            rec["notes"].append("trafgen counted %d frames, the veth %d" % (tg["tg_pkts"], v["sent"]))
        if v["received"] != v["sent"]:
            rec["notes"].append("receiver got %d of %d frames" % (v["received"], v["sent"]))
        if v["back"]:
            rec["notes"].append("%d frames went back toward the sender" % v["back"])
        if v["dropped"]:
            rec["notes"].append("veth dropped %d frames" % v["dropped"])
        # --filter: the last frame of each cycle matches, so however many
        # frames went out, this many of them matched (check_cycle checked it)
        if self.mode == "filter":
            rec["matching"] = v["sent"] // CYCLE
        if cmd:
            self.collect_capture(rec, cpuf, err, ready)
            if rec["case"] == "e":
                if not self.a.keep and os.path.exists(out):
                    os.unlink(out)
            elif rec["writes_file"]:
                self.file_result(rec, file, out)
            else:
                # tcpdump ends its output with an empty line when interrupted
                lines = [l for l in read_text(out).splitlines() if l]
                if "--flows" in cmd:
                    rec["flow_pkts"] = flow_packets(lines)
                    lines = []
                rec["lines"] = len(lines)
                sig = signature(MATCH_PORT if self.mode == "filter" else DPORT)
                rec["decoded"] = sum(1 for l in lines if sig in l)
                if not self.a.keep:
                    os.unlink(out)
            if self.mode == "filter" and rec["case"] != "e":
                self.check_filter_stats(rec)
        return rec

    def check_filter_stats(self, rec):
        """--filter: hold the tool's own statistics against what was sent
        and what it printed or wrote."""
        want = rec["matching"]
        sent = rec["veth"]["sent"]
        got = rec.get("lines", rec.get("file_pkts"))
        st = rec.get("stats", [])
        n = stat_value(st, "received by filter")
        if n is not None and n != want:
            rec["notes"].append("received by filter %d, but %d matching frames were sent" % (n, want))
        n = stat_value(st, "captured")
        # (for a file, file_result compares the file with "captured")
        if n is not None and "lines" in rec and n != rec["lines"]:
            rec["notes"].append("says it captured %d, printed %d lines" % (n, rec["lines"]))
        n = stat_value(st, "seen by the socket")
        if n is not None and n != sent:
            rec["notes"].append("its socket saw %d packets, %d frames were sent" % (n, sent))
        dec = rec.get("decoded")
        if got is not None and dec is not None and dec != got:
            rec["notes"].append("%d of %d packets are not the matching frame" % (got - dec, got))

    def check_cycle(self):
        """--filter: before the measurements, send CHECK_FRAMES frames while
        tcpdump (no filter, a buffer far larger than they need) writes every
        one of them to a file, and verify that trafgen sent the cycle in
        order: frames 1 to CYCLE - 1 of each cycle to DPORT, frame CYCLE to
        MATCH_PORT, nothing else. That is what makes "matching frames sent"
        exactly 1% of the frames sent."""
        base = os.path.join(self.work, "cycle-check")
        out, err, cpuf, file = base + ".out", base + ".err", base + ".cpu", base + ".pcap"
        self.cap_pidfile = base + ".pid"
        rec = {"label": "order check (tcpdump -w, no filter)", "notes": []}
        if self.start_capture(rec, ["tcpdump", "-i", self.if_rx, "-B", "65536", "-w", file],
                              out, err, cpuf) is None:
            die("order check: tcpdump did not start")
        before = self.counters()
        if self.send(CHECK_FRAMES) is None:
            die("order check: trafgen failed")
        after = self.counters()
        time.sleep(TAIL)
        self.stop_capture()
        sent = after[0] - before[0]
        # each frame's destination port against its place in the cycle
        r = subprocess.run(["tcpdump", "-r", file, "-n"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        total = match = other_port = other = bad = 0
        src = "%s.%d" % (SRC_IP, SPORT)
        for line in r.stdout.splitlines():
            total += 1
            f = line.split()
            port = ""
            for i in range(len(f) - 2):
                if f[i] == src and f[i + 1] == ">":
                    port = f[i + 2].rstrip(":").rsplit(".", 1)[-1]
                    if not f[i + 2].startswith(DST_IP + "."):
                        port = "?"
            if port == str(MATCH_PORT):
                match += 1
            elif port == str(DPORT):
                other_port += 1
            else:
                other += 1
            want = MATCH_PORT if total % CYCLE == 0 else DPORT
            if port != str(want):
                bad += 1
        stats = "; ".join(l for l in read_text(err).splitlines()
                          if re.match(r"[0-9]+ packets? ", l))
        if not self.a.keep:
            for f in (file, out):
                if os.path.exists(f):
                    os.unlink(f)
        self.doc["order_check"] = {"frames": CHECK_FRAMES, "sent": sent, "written": total,
                                   "to_dport": other_port, "to_match_port": match,
                                   "other": other, "out_of_place": bad}
        if total != CHECK_FRAMES or sent != CHECK_FRAMES or match != CHECK_FRAMES // CYCLE or bad:
            die("order check failed: sent %d frames, tcpdump wrote %d: %d to port %d, %d to "
                "port %d, %d other, %d out of place (tcpdump: %s)"
                % (sent, total, other_port, DPORT, match, MATCH_PORT, other, bad, stats))

    # ------------------------------------------------------------ TCP
    def transfer(self, secs, base):
        """One iperf3 TCP transfer of secs from the sender's namespace to
        the receiver's, server and client both on CPU TX_CPU. Returns
        (receiver's bits per second, sender's retransmissions) or None."""
        slog, cjson, clog = base + ".iperf-server.log", base + ".iperf.json", base + ".iperf-client.err"
        # -1: the server exits after one test; timeout(1) bounds it if no
        # client ever comes
        with open(slog, "w") as sf:
            self.srv = subprocess.Popen(
                ["timeout", "-s", "TERM", "-k", "5", str(secs + 60), "taskset", "-c", str(TX_CPU)]
                + self.nsx(self.ns_rx, "iperf3", "-s", "-1", "-p", str(TCP_PORT)),
                stdout=sf, stderr=subprocess.STDOUT)
        up = False
        for _ in range(200):
            r = run_quiet(self.nsx(self.ns_rx, "ss", "-Hltn", "sport = :%d" % TCP_PORT))
            if r.returncode == 0 and r.stdout.strip():
                up = True
                break
            if self.srv.poll() is not None:
                break
            time.sleep(0.05)
        if not up:
            note("%s: the iperf3 server did not start listening:\n%s" % (PROG, indent(read_text(slog))))
            stop_timeout(self.srv)
            self.srv = None
            return None
        with open(cjson, "w") as jf, open(clog, "w") as ef:
            self.cli = subprocess.Popen(
                ["timeout", "-s", "TERM", "-k", "10", str(secs + 30), "taskset", "-c", str(TX_CPU)]
                + self.nsx(self.ns_tx, "iperf3", "-c", RX_IP, "-p", str(TCP_PORT), "-t", str(secs),
                           "--json"), stdout=jf, stderr=ef)
        rc = self.cli.wait()
        self.cli = None
        # the one-off server ends by itself once the test is over
        try:
            self.srv.wait(10)
        except subprocess.TimeoutExpired:
            note("%s: the iperf3 server did not exit after the test; stopping it" % PROG)
        stop_timeout(self.srv)
        self.srv = None
        try:
            with open(cjson) as f:
                d = json.load(f)
            if d.get("error"):
                raise ValueError("iperf3: %s" % d["error"])
            e = d.get("end", {})
            res = (e["sum_received"]["bits_per_second"], e.get("sum_sent", {}).get("retransmits", 0))
        except (OSError, ValueError, KeyError, TypeError) as e:
            note("%s: iperf3 client failed (exit status %d): %s\n%s"
                 % (PROG, rc, e, indent(read_text(clog))))
            return None
        if rc != 0:
            note("%s: iperf3 client exited with status %d" % (PROG, rc))
        return res

    def measure_tcp(self, run, case):
        """One transfer with case's capture running."""
        rec, base, file, out, err, cpuf, ready = self.begin(run, case)
        if ready is None:
            return rec
        cmd = rec["cmd"]
        before = self.link_counters()
        res = self.transfer(self.a.tcp_secs, base)
        if res is None:
            self.stop_capture()
            rec["failed"] = "iperf3 failed"
            return rec
        after = self.link_counters()
        if cmd:
            time.sleep(TAIL)
            wrc = self.stop_capture()
            rec["exit_status"] = wrc
            if wrc != 0:
                rec["notes"].append("capture exited with status %d" % wrc)
        rec["bps"], rec["retransmits"] = res
        d = [y - x for x, y in zip(before, after)]
        rec["link_pkts"] = d[0] + d[1]
        rec["link_bytes"] = d[2] + d[3]
        if cmd:
            self.collect_capture(rec, cpuf, err, ready)
            self.file_result(rec, file, out)
        if not self.a.keep:
            for f in os.listdir(self.work):
                if f.startswith(os.path.basename(base) + ".iperf"):
                    os.unlink(os.path.join(self.work, f))
        return rec

    # ------------------------------------------------------------ run
    def caps(self):
        c = list(CASES[self.mode])
        if self.mode != "tcp" and not self.a.no_null_filter:
            c.append(NULL_CASE)
        return c

    def save(self):
        tmp = self.json_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.doc, f, indent=1)
            f.write("\n")
        os.rename(tmp, self.json_path)

    def main(self):
        a = self.a
        self.check()
        caps = self.caps()
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.json_path = os.path.abspath(a.json or os.path.join(
            self.outbase, "sockcap-bench-%s-%s-%d.json" % (self.mode, stamp, os.getpid())))
        self.setup()
        if a.listening:
            self.listen()
        cpu_model = "?"
        with open("/proc/cpuinfo") as f:
            for l in f:
                if l.startswith("model name"):
                    cpu_model = l.split(":", 1)[1].strip()
                    break
        self.doc = {
            "format": FORMAT,
            "mode": self.mode,
            "started": now_iso(),
            "options": {"runs": a.runs, "count": None if self.mode == "tcp" else a.count,
                        "tcp_secs": a.tcp_secs if self.mode == "tcp" else None,
                        "tx_ring": a.tx_ring, "null_filter": not a.no_null_filter,
                        "bpf_stats": a.bpf_stats, "outdir": self.outbase,
                        "listening": a.listening},
            "host": {"kernel": os.uname().release, "cpus": os.cpu_count(), "cpu_model": cpu_model,
                     "loadavg_start": loadavg()},
            "cpus": {"sender": TX_CPU, "capture": self.cap_cpu},
            "tools": {
                "sockcap": {"path": self.sockcap, "version": first_line([self.sockcap, "--version"]),
                            "sha256_16": sha16(self.sockcap)},
                "tcpdump": first_line(["tcpdump", "--version"]) + ", "
                + first_line(["tcpdump", "--version"], 1),
                "sender": (" ".join(first_line(["iperf3", "--version"]).split()[:2])
                           if self.mode == "tcp"
                           else " ".join(first_line(["trafgen", "-v"]).split()[:2])),
                "file_counter": self.file_counter,
            },
            "send_mode": getattr(self, "send_mode", None),
            "cases": [{"case": c[0], "label": c[1], "cmd": self.cmd(c[2], "FILE"), "writes_file": c[3]}
                      for c in caps],
            "runs": [],
        }
        if self.mode == "tcp":
            sends = 2 * len(caps) + 1
            eta = (a.runs * sends * (a.tcp_secs + 4)) / 60 + 0.5
            note("seconds per transfer: %d; runs: %d; about %.0f minute(s)" % (a.tcp_secs, a.runs, eta))
        else:
            sends = 2 * len(caps) + 1
            eta = (a.runs * sends * (a.count / 450000 + 3)) / 60 + 0.5
            note("frames per case: %d; runs: %d; about %.0f minute(s)" % (a.count, a.runs, eta))
        note("raw results: %s" % self.json_path)
        if self.mode == "filter":
            note("order check: %d frames, every one of them written by tcpdump" % CHECK_FRAMES)
            self.check_cycle()
        self.save()
        sys.stdout.write(report_header(self.doc))
        sys.stdout.flush()

        if self.mode == "tcp":
            note("warm-up transfer")
            if self.transfer(1, os.path.join(self.work, "warmup")) is None:
                die("warm-up transfer failed")
            measure = self.measure_tcp
        else:
            note("warm-up send")
            if self.send(min(a.count // 10, 500000)) is None:
                die("warm-up send failed")
            measure = self.measure

        for run in range(1, a.runs + 1):
            r = {"run": run, "loadavg_start": loadavg(), "started": now_iso(), "sends": []}
            self.doc["runs"].append(r)
            r["sends"].append(measure(run, ("a0", "no capture", None, False)))
            for i, c in enumerate(caps):
                r["sends"].append(measure(run, c))
                r["sends"].append(measure(run, ("a%d" % (i + 1), "no capture", None, False)))
            r["loadavg_end"] = loadavg()
            self.save()
            sys.stdout.write(report_run(self.doc, r))
            sys.stdout.flush()

        if a.bpf_stats:
            r = run_quiet(["sysctl", "-n", "kernel.bpf_stats_enabled"])
            if r.returncode:
                die("kernel.bpf_stats_enabled is not available")
            self.bpf_stats_old = r.stdout.strip()
            if run_quiet(["sysctl", "-qw", "kernel.bpf_stats_enabled=1"]).returncode:
                die("cannot enable BPF statistics")
            b = {"sends": []}
            self.doc["bpf_stats"] = b
            b["sends"].append(self.measure(0, ("a0", "no capture", None, False)))
            b["sends"].append(self.measure(0, STATS_CASE[self.mode]))
            b["sends"].append(self.measure(0, ("a1", "no capture", None, False)))
            run_quiet(["sysctl", "-qw", "kernel.bpf_stats_enabled=" + self.bpf_stats_old])
            self.bpf_stats_old = None
            sys.stdout.write(report_bpf_stats(self.doc))

        self.doc["tools"]["sockcap"]["sha256_16_end"] = sha16(self.sockcap)
        self.doc["host"]["loadavg_end"] = loadavg()
        self.doc["finished"] = now_iso()
        self.save()
        sys.stdout.write(report_tail(self.doc))
        sys.stdout.flush()
        note("raw results saved in %s (python3 %s --report FILE makes the report again)"
             % (self.json_path, os.path.relpath(__file__)))


def flow_packets(lines):
    """--flows: the packets of the final table's flows, both ways (the
    columns PKTS> and PKTS<, after the last "N flows" line)."""
    start = max((i for i, l in enumerate(lines) if re.match(r"^[0-9]+ flows$", l)), default=None)
    if start is None:
        return None
    n = 0
    for l in lines[start + 2:]:
        f = l.split()
        if len(f) > 6 and f[4].isdigit() and f[6].isdigit():
            n += int(f[4]) + int(f[6])
    return n


def indent(text):
    return "\n".join("  " + l for l in text.splitlines())


def read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def count_lines(cmd, containing=None):
    """Lines a command prints (those containing a string, if given)."""
    n = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, errors="replace") as p:
        for line in p.stdout:
            if containing is None or containing in line:
                n += 1
    return n


def stat_value(stats, what):
    """The number of a tool's statistics line "N packet(s) WHAT ...", or None."""
    for l in stats:
        m = re.match(r"([0-9]+) packets? " + re.escape(what), l)
        if m:
            return int(m.group(1))
    return None


# ------------------------------------------------------------ the report
# Everything below works on the JSON document alone.

def mean(vals):
    v = [x for x in vals if x is not None]
    return sum(v) / len(v) if v else None


def median(vals):
    v = sorted(x for x in vals if x is not None)
    if not v:
        return None
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def fmt(x, d, suffix=""):
    return "-" if x is None else ("%." + str(d) + "f") % x + suffix


def stat3(vals, d):
    """"median (min..max)" of the values, or "-"."""
    v = sorted(x for x in vals if x is not None)
    if not v:
        return "-"
    if len(v) == 1:
        return fmt(v[0], d)
    return "%s (%s..%s)" % (fmt(median(v), d), fmt(v[0], d), fmt(v[-1], d))


def send_figures(s):
    """Rate, ns/frame and "other" share of one send, from its raw figures."""
    if s.get("failed") or not s.get("tg_pkts"):
        return None
    cpu = s["tg_user"] + s["tg_sys"] + s["ksoftirqd_cpu"]
    pps = s["tg_pkts"] / s["tg_secs"] if s["tg_secs"] > 0 else None
    ns = cpu * 1e9 / s["tg_pkts"]
    other = max(0.0, 100 * (1 - cpu / s["tg_wall"])) if s["tg_wall"] > 0 else 0.0
    return {"pps": pps, "ns": ns, "other": other}


def cap_cpu_s(s):
    if "cpu_user" not in s:
        return None
    return s["cpu_user"] + s["cpu_sys"] - s["cpu_ready"]


def derive(doc, run):
    """Per-capture values of a run, each capture compared with the
    no-capture sends next to it. Returns (baseline, {case: values})."""
    mode = doc["mode"]
    by = {s["case"]: s for s in run["sends"]}
    caps = [c["case"] for c in doc["cases"]]
    out = {}
    if mode == "tcp":
        bps = [by.get("a%d" % i, {}).get("bps") for i in range(len(caps) + 1)]
        base = {"bps": mean(bps), "as": bps}
        for i, c in enumerate(caps):
            s = by.get(c)
            if not s or s.get("failed") or s.get("bps") is None:
                continue
            v = {}
            bb = mean([bps[i], bps[i + 1]])
            if bb:
                v["rel"] = s["bps"] / bb
            if s.get("file_pkts") is not None:
                if s["link_pkts"] > 0:
                    v["captured"] = 100 * s["file_pkts"] / s["link_pkts"]
                if s["file_pkts"] > 0 and cap_cpu_s(s) is not None:
                    v["us"] = cap_cpu_s(s) * 1e6 / s["file_pkts"]
            v["dropped"] = stat_value(s.get("stats", []), "dropped by kernel")
            out[c] = v
        return base, out
    fa = [send_figures(by.get("a%d" % i, {})) for i in range(len(caps) + 1)]
    pps = [f and f["pps"] for f in fa]
    ns = [f and f["ns"] for f in fa]
    base = {"pps": mean(pps), "ns": mean(ns), "other": mean([f and f["other"] for f in fa]),
            "as": fa}
    for i, c in enumerate(caps):
        s = by.get(c)
        f = send_figures(s) if s else None
        if not f:
            continue
        v = dict(f)
        bp, bn = mean([pps[i], pps[i + 1]]), mean([ns[i], ns[i + 1]])
        if bp is not None and f["pps"] is not None:
            v["rel"] = f["pps"] / bp
            v["relcpu"] = bn / f["ns"]
            v["plus"] = f["ns"] - bn
        cpu = cap_cpu_s(s)
        v["cpu"] = cpu
        if mode == "filter":
            m = s.get("matching")
            if m:
                if cpu is not None:
                    v["us"] = cpu * 1e6 / m
                n = s.get("lines", s.get("file_pkts"))
                if c != "e" and n is not None:
                    v["captured"] = 100 * n / m
                    if s.get("decoded") is not None and n > 0:
                        v["decoded"] = 100 * s["decoded"] / n
        elif s.get("flow_pkts") is not None:
            # the final table counts the frames; the CPU is per frame sent
            sent = s["veth"]["sent"]
            if sent > 0:
                v["captured"] = 100 * s["flow_pkts"] / sent
                if cpu is not None:
                    v["us"] = cpu * 1e6 / sent
        elif c != "e" and s.get("lines") is not None:
            sent = s["veth"]["sent"]
            if sent > 0:
                v["captured"] = 100 * s["lines"] / sent
            if s["lines"] > 0:
                v["decoded"] = 100 * s["decoded"] / s["lines"]
                if cpu is not None:
                    v["us"] = cpu * 1e6 / s["lines"]
        elif s.get("file_pkts") is not None:
            # what the file holds is what was captured
            sent = s["veth"]["sent"]
            if sent > 0:
                v["captured"] = 100 * s["file_pkts"] / sent
            if s["file_pkts"] > 0 and cpu is not None:
                v["us"] = cpu * 1e6 / s["file_pkts"]
        v["dropped"] = stat_value(s.get("stats", []), "dropped by kernel")
        out[c] = v
    return base, out


def load_str(l):
    return "-" if not l else "%.2f %.2f %.2f" % tuple(l)


def report_header(doc):
    mode = doc["mode"]
    o = doc["options"]
    t = doc["tools"]
    h = doc["host"]
    tx, cap = doc["cpus"]["sender"], doc["cpus"]["capture"]
    L = ["sockcap benchmark (%s)" % {"print": "summary lines", "write": "--write",
                                     "filter": "--filter", "shared": "--shared-cpu",
                                     "tcp": "--tcp", "attribution": "--attribution",
                                     "flows": "--flows"}[mode]
         + (", --listening" if o.get("listening") else ""),
         "  date     %s" % doc["started"],
         "  kernel   %s, %s CPUs: %s" % (h["kernel"], h["cpus"], h["cpu_model"]),
         "  load     %s at the start (1, 5, 15 min load average)" % load_str(h.get("loadavg_start")),
         "  sockcap  %s (%s, sha256 %s...)" % (t["sockcap"]["version"], t["sockcap"]["path"],
                                             t["sockcap"]["sha256_16"] or "?"),
         "  tcpdump  %s" % t["tcpdump"]]
    ncase = {c["case"]: c for c in doc["cases"]}
    fc = t.get("file_counter")
    outdir = o["outdir"]
    col_common = [
        "           tx kpps   frames / time of trafgen's send loop;  rel. = / baseline",
        "           ns/frame  CPU time of the sending path on CPU %d (trafgen with the" % tx,
        "                     receive softirq it runs, plus ksoftirqd/%d) per frame" % tx,
        "           +ns       ns/frame - baseline: the capture's kernel-side cost per frame",
        "           rel.cpu   baseline ns/frame / ns/frame: rel. without other load",
        "           other     share of the send's wall time CPU %d spent elsewhere" % tx,
        "                     (other tasks, hypervisor); when high, trust rel.cpu over rel.",
        "           CPU s     the capture process's user+sys time from ready to exit"]
    brackets = ["           a no capture: before, between and after the others; each capture is",
                "             compared with the mean of the two no-capture %s next to it"
                % ("transfers" if mode == "tcp" else "sends")]
    nullf = (["           e do-nothing filter: packet socket with classic BPF 'ret #0', reads nothing"]
             if "e" in ncase else [])
    if mode == "tcp":
        L += ["  traffic  %s TCP %s > %s:%d, %d s per case;" % (t["sender"], SRC_IP, RX_IP, TCP_PORT,
                                                             o["tcp_secs"]),
              "           client and server both on CPU %d, default options" % tx,
              "  capture  on CPU %d, in the receiver's namespace, writing a pcap file in %s" % (cap, outdir),
              "  cases    a no capture              b sockcap -i VETH -s %d -w FILE" % TCP_SNAP,
              "           c tcpdump -i VETH -s %d -w FILE" % TCP_SNAP] + brackets + [
              "  columns  Gbit/s    the receiver's throughput (iperf3 --json, sum_received)",
              "           rel.      Gbit/s / that of the no-capture transfers next to it",
              "           B/pkt     bytes per packet on the capture interface (TSO/GSO",
              "                     packets are counted once, as the capture sees them)",
              "           link pkts rx_packets + tx_packets of the capture interface",
              "           file pkts packets in the file (counted with %s)" % fc,
              "           captured  file pkts / link pkts",
              "           dropped   the tool's own \"packets dropped by kernel\"",
              "           retr      TCP retransmissions (iperf3, sender)",
              "           CPU s     the capture process's user+sys time from ready to exit",
              "           us/pkt    CPU s / file pkts"]
        return "\n".join(L) + "\n"
    L.append("  sender   %s on CPU %d, %s" % (t["sender"], tx, doc["send_mode"]))
    if mode == "filter":
        oc = doc.get("order_check", {})
        L += ["  frames   %d per case, 60 bytes, %s:%d > %s UDP, to the receiver's MAC,"
              % (o["count"], SRC_IP, SPORT, DST_IP),
              "           in cycles of %d: %d to port %d, then 1 to port %d"
              % (CYCLE, CYCLE - 1, DPORT, MATCH_PORT),
              "           (%d matching frames per case; order checked with tcpdump"
              % (o["count"] // CYCLE),
              "           before the runs: %s of %s frames to port %d, all in place)"
              % (oc.get("to_match_port", "?"), oc.get("written", "?"), MATCH_PORT),
              "  filter   EXPR = '%s', the same for every capture" % FILTER_EXPR,
              "  capture  on CPU %d, in the receiver's namespace, output to a file in %s" % (cap, outdir),
              "  cases    a no capture              b sockcap -i VETH EXPR > file",
              "           c sockcap -i VETH -w FILE EXPR",
              "           d tcpdump -n -i VETH EXPR > file",
              "           f tcpdump -i VETH -w FILE EXPR"] + nullf + brackets + [
              "  target   sender at >= 0.94 of its no-capture rate while sockcap runs with a",
              "           filter that 1% of the frames match, sockcap's CPU near zero (a goal",
              "           to compare with, not something this run assumes)",
              "  columns  captured  lines printed, or packets in the file (counted with",
              "                     %s) / matching frames sent" % fc,
              "           decoded   of those, the ones showing the matching frame's UDP header",
              "                     (files: as tcpdump -r -n shows them)"] + col_common + [
              "           us/match  CPU s / matching frames sent"]
        return "\n".join(L) + "\n"
    L.append("  frames   %d per case, 60 bytes, %s:%d > %s:%d UDP, to the receiver's MAC"
             % (o["count"], SRC_IP, SPORT, DST_IP, DPORT))
    if mode == "write":
        L += ["  capture  on CPU %d, in the receiver's namespace, writing a pcap file in %s" % (cap, outdir),
              "  cases    a no capture              b sockcap -i VETH -w FILE",
              "           c tcpdump -i VETH -w FILE"] + nullf + brackets + [
              "  defaults snap length 262144 for both; buffer: sockcap's packet ring 2048 KiB",
              "           (its -w default), tcpdump's libpcap buffer 2 MiB (-B 2048)",
              "  columns  captured  packets in the file (counted with %s) / frames sent" % fc]
        L += col_common + ["           us/pkt    CPU s / packets in the file"]
    elif mode == "attribution":
        L += ["  capture  on CPU %d, in the receiver's namespace, output to a file in %s" % (cap, outdir),
              "  receiver %s" % ("a UDP socket bound to the destination, never read: every frame"
                                 " has an owner to look up" if o.get("listening") else
                                 "no socket holds the port: one array lookup per frame"),
              "  cases    a no capture              b sockcap -i VETH > file (attribution)",
              "           c sockcap --no-process -i VETH > file",
              "           d tcpdump -n -i VETH > file"] + nullf + brackets + [
              "  columns  captured  lines printed / frames sent",
              "           decoded   lines showing the frame's UDP header / lines printed"]
    elif mode == "flows":
        L += ["  capture  on CPU %d, in the receiver's namespace, output to a file in %s" % (cap, outdir),
              "  cases    a no capture              b sockcap -i VETH > file",
              "           c sockcap --flows -i VETH > file (the final table only)",
              "           d tcpdump -n -i VETH > file"] + nullf + brackets + [
              "  columns  captured  lines printed, or for --flows the packets of the",
              "                     final table's flows / frames sent",
              "           decoded   lines showing the frame's UDP header / lines printed"]
        L += col_common + ["           us/pkt    CPU s / lines printed (--flows: / frames sent)"]
    elif mode == "shared":
        L += ["  capture  on CPU %d, the sender's CPU (a busy host), in the receiver's" % cap,
              "           namespace, output to a file in %s" % outdir,
              "  cases    a no capture              b sockcap -i VETH > file",
              "           c tcpdump -n -i VETH > file  d sockcap -i VETH -w FILE",
              "           f tcpdump -i VETH -w FILE"] + nullf + brackets + [
              "  columns  captured  lines printed, or packets in the file (counted with",
              "                     %s) / frames sent" % fc,
              "           decoded   lines showing the frame's UDP header / lines printed"]
        L += col_common[:1] + [
            "           ns/frame  CPU time of trafgen (with the receive softirq it runs) plus",
            "                     ksoftirqd/%d per frame; the capture's own time on CPU %d is" % (tx, tx),
            "                     not in it, it shows in \"other\" and in tx kpps"] + col_common[3:] + [
            "           us/pkt    CPU s / lines printed or packets in the file"]
    else:
        L += ["  capture  on CPU %d, in the receiver's namespace, output to a file in %s" % (cap, outdir),
              "  cases    a no capture              b sockcap -i VETH > file",
              "           c tcpdump -n -i VETH > file  d tcpdump -l -n -i VETH > file"] + nullf + brackets + [
              "  columns  captured  lines printed / frames sent",
              "           decoded   lines showing the frame's UDP header / lines printed"]
        L += col_common + ["           us/pkt    CPU s / lines printed"]
    return "\n".join(L) + "\n"


ROWFMT = "%-20s %8s %8s %7s %6s %8s %5s %7s %5s %6s %6s\n"
# --write: no "decoded" column (the file is not decoded)
WROWFMT = "%-20s %8s %7s %6s %8s %5s %7s %5s %6s %6s\n"
TROWFMT = "%-20s %7s %6s %6s %10s %10s %9s %8s %5s %6s %6s\n"


def row(mode, *f):
    if mode == "write":
        return WROWFMT % ((f[0], f[1]) + f[3:])
    return ROWFMT % f


def notes_lines(doc, run):
    L = []
    labels = {c["case"]: c["label"] for c in doc["cases"]}
    by = {s["case"]: s for s in run["sends"]}
    for c in labels:
        s = by.get(c)
        if s and s.get("stats"):
            L.append("  %s %s: %s\n" % (c, labels[c], "; ".join(s["stats"])))
    order = [s["case"] for s in run["sends"] if s["case"].startswith("a")] + list(labels)
    for c in order:
        s = by.get(c)
        if not s:
            continue
        if s.get("notes"):
            L.append("  %s note: %s\n" % (c, "; ".join(s["notes"])))
        if s.get("failed") and c.startswith("a"):
            L.append("  %s failed: %s\n" % (c, s["failed"]))
    return "".join(L)


def report_run(doc, run):
    mode = doc["mode"]
    nruns = doc["options"]["runs"]
    r = run["run"]
    by = {s["case"]: s for s in run["sends"]}
    base, v = derive(doc, run)
    caps = doc["cases"]
    L = ["\n"]
    if mode == "tcp":
        L.append(TROWFMT % ("run %d of %d" % (r, nruns), "Gbit/s", "rel.", "B/pkt", "link pkts",
                            "file pkts", "captured", "dropped", "retr", "CPU s", "us/pkt"))
        if base["bps"] is not None:
            L.append(TROWFMT % (("a no capture, mean", fmt(base["bps"] / 1e9, 2)) + ("-",) * 9))
        for cc in caps:
            c = cc["case"]
            s = by.get(c)
            if s and s.get("failed"):
                L.append("%-20s failed: %s\n" % (c + " " + cc["label"], s["failed"]))
                continue
            if not s or s.get("bps") is None:
                continue
            x = v.get(c, {})
            L.append(TROWFMT % (
                c + " " + cc["label"], fmt(s["bps"] / 1e9, 2), fmt(x.get("rel"), 3),
                bpp(s["link_bytes"], s["link_pkts"]), s["link_pkts"],
                s.get("file_pkts", "-") if s.get("file_pkts") is not None else "-",
                fmt(x.get("captured"), 2, "%") if x.get("captured") is not None else "",
                "-" if x.get("dropped") is None else x["dropped"],
                s.get("retransmits", "-"), fmt(cap_cpu_s(s), 3), fmt(x.get("us"), 3)))
        parts = []
        for i in range(len(caps) + 1):
            s = by.get("a%d" % i)
            if s and s.get("bps") is not None:
                parts.append(" %s Gbit/s %d pkts %s B/pkt %d retr" % (
                    fmt(s["bps"] / 1e9, 2), s["link_pkts"], bpp(s["link_bytes"], s["link_pkts"]),
                    s["retransmits"]))
            else:
                parts.append(" failed")
        L.append("  a, in order:" + ",".join(parts) + "\n")
    else:
        unit = "us/match" if mode == "filter" else "us/pkt"
        L.append(row(mode, "run %d of %d" % (r, nruns), "captured", "decoded", "tx kpps", "rel.",
                     "ns/frame", "+ns", "rel.cpu", "other", "CPU s", unit))
        if base["pps"] is not None:
            L.append(row(mode, "a no capture, mean", "", "", fmt(base["pps"] / 1000, 1), "-",
                         fmt(base["ns"], 1), "-", "-", fmt(base["other"], 0, "%"), "-", "-"))
        for cc in caps:
            c = cc["case"]
            s = by.get(c)
            if s and s.get("failed"):
                L.append("%-20s failed: %s\n" % (c + " " + cc["label"], s["failed"]))
                continue
            if c not in v:
                continue
            x = v[c]
            L.append(row(mode, c + " " + cc["label"],
                         fmt(x["captured"], 2, "%") if x.get("captured") is not None else "",
                         fmt(x["decoded"], 2, "%") if x.get("decoded") is not None else "",
                         fmt(x["pps"] / 1000, 1), fmt(x.get("rel"), 3), fmt(x["ns"], 1),
                         fmt(x.get("plus"), 0), fmt(x.get("relcpu"), 3), fmt(x["other"], 0, "%"),
                         fmt(x.get("cpu"), 3), fmt(x.get("us"), 3)))
        parts = []
        for f in base["as"]:
            parts.append(" %s kpps %s ns" % (fmt(f["pps"] / 1000, 1), fmt(f["ns"], 0)) if f else " failed")
        L.append("  a, in order:" + ",".join(parts) + "\n")
        if mode == "filter":
            # the same number unless a send stopped short (then a note says so)
            L.append("  matching frames sent:" + "".join(
                " %s %s" % (cc["case"], by.get(cc["case"], {}).get("matching", "-")) for cc in caps) + "\n")
    L.append("  load: %s at the start of the run, %s at its end\n"
             % (load_str(run.get("loadavg_start")), load_str(run.get("loadavg_end"))))
    L.append(notes_lines(doc, run))
    return "".join(L)


def bpp(b, n):
    return "%.0f" % (b / n) if n and n > 0 else "-"


def report_bpf_stats(doc):
    b = doc.get("bpf_stats")
    if not b:
        return ""
    mode = doc["mode"]
    by = {s["case"]: s for s in b["sends"]}
    s = by.get("s", {})
    L = ["\nsocket filter run time (kernel.bpf_stats_enabled=1, one more send of %d frames)\n"
         % doc["options"]["count"]]
    ps = s.get("prog_stats")
    if ps:
        cnt, t = ps
        name = "sockcap_filter"
        if mode == "filter":
            name = "filter expression (with the parser it tail-calls for a match)"
        elif mode == "flows":
            name = "sockcap_filter_select (--flows: the flow update, no record)"
        L.append("  %s: %d runs, %.3f s in all, %.1f ns per run\n" % (name, cnt, t / 1e9, t / cnt if cnt else 0))
        fs = send_figures(s)
        bn = mean([(send_figures(by.get(a, {})) or {}).get("ns") for a in ("a0", "a1")])
        if fs and bn:
            L.append("  sending path meanwhile: %.1f ns/frame, %+.0f ns against no capture "
                     "(%.1f ns/frame, stats on)\n" % (fs["ns"], fs["ns"] - bn, bn))
        cmd = {"write": "sockcap -w", "filter": "sockcap EXPR"}.get(mode, "sockcap")
        if s.get("stats"):
            L.append("  %s: %s\n" % (cmd, "; ".join(s["stats"])))
        if mode != "print" and s.get("notes"):
            L.append("  note: %s\n" % "; ".join(s["notes"]))
    else:
        L.append("  could not read the program's statistics\n")
    return "".join(L)


def pair_ratios(doc, a, b, key="rel"):
    """Per run: capture a's value / capture b's value, the same run."""
    out = []
    for run in doc["runs"]:
        _, v = derive(doc, run)
        x, y = v.get(a, {}).get(key), v.get(b, {}).get(key)
        out.append(x / y if x is not None and y else None)
    return out


def report_tail(doc):
    L = []
    t = doc["tools"]["sockcap"]
    if t.get("sha256_16_end") and t["sha256_16_end"] != t["sha256_16"]:
        L.append("\nnote: %s changed during the run (sha256 %s... at the start,\n"
                 "      %s... now): the measurements may mix two builds\n"
                 % (t["path"], t["sha256_16"], t["sha256_16_end"]))
    mode = doc["mode"]
    o = doc["options"]
    runs = doc["runs"]
    dv = [derive(doc, r) for r in runs]
    caps = doc["cases"]
    tx = doc["cpus"]["sender"]
    L.append("\n")
    if mode == "tcp":
        L.append("summary: %d run(s) of %d s transfers per case, median (min..max)\n"
                 % (len(runs), o["tcp_secs"]))
        L.append("no capture: %s Gbit/s\n" % stat3([b["bps"] and b["bps"] / 1e9 for b, _ in dv], 2))
        fm = "%-20s %-24s %-21s %-21s %s\n"
        L.append(fm % ("", "captured %", "rel. throughput", "dropped by kernel", "CPU us/pkt"))
        for cc in caps:
            c = cc["case"]
            g = [v.get(c, {}) for _, v in dv]
            L.append(fm % (c + " " + cc["label"], stat3([x.get("captured") for x in g], 2),
                           stat3([x.get("rel") for x in g], 3),
                           stat3([x.get("dropped") for x in g], 0), stat3([x.get("us") for x in g], 3)))
    else:
        L.append("summary: %d run(s) of %d frames per case, median (min..max)\n" % (len(runs), o["count"]))
        L.append("no capture: %s kpps, %s ns/frame on CPU %d\n" % (
            stat3([b["pps"] and b["pps"] / 1000 for b, _ in dv], 1), stat3([b["ns"] for b, _ in dv], 1), tx))
        if mode == "filter":
            L.append("filter expression '%s': %d matching frames per case (1 in %d)\n"
                     % (FILTER_EXPR, o["count"] // CYCLE, CYCLE))
            fm = "%-20s %-24s %-21s %-21s %-18s %-21s %s\n"
            L.append(fm % ("", "captured % of matching", "rel. rate", "rel. rate (CPU)",
                           "+ns/frame CPU %d" % tx, "CPU s", "CPU us/match"))
        else:
            fm = "%-20s %-24s %-21s %-21s %-18s %s\n"
            L.append(fm % ("", "captured %", "rel. rate", "rel. rate (CPU)",
                           "+ns/frame CPU %d" % tx, "CPU us/pkt"))
        for cc in caps:
            c = cc["case"]
            g = [v.get(c, {}) for _, v in dv]
            cols = [c + " " + cc["label"], stat3([x.get("captured") for x in g], 2),
                    stat3([x.get("rel") for x in g], 3), stat3([x.get("relcpu") for x in g], 3),
                    stat3([x.get("plus") for x in g], 0)]
            if mode == "filter":
                cols.append(stat3([x.get("cpu") for x in g], 3))
            cols.append(stat3([x.get("us") for x in g], 3))
            L.append(fm % tuple(cols))
    lab = {c["case"]: c["label"] for c in caps}
    what = "throughput" if mode == "tcp" else "sender rate"
    for a, b in PAIRS[mode]:
        L.append("%s with %s / with %s, same run: %s\n"
                 % (what, lab[a], lab[b], stat3(pair_ratios(doc, a, b), 2)))
    h = doc["host"]
    L.append("load: %s at the start, %s at the end (1, 5, 15 min load average)\n"
             % (load_str(h.get("loadavg_start")), load_str(h.get("loadavg_end"))))
    return "".join(L)


def report(doc):
    out = [report_header(doc)]
    for r in doc["runs"]:
        out.append(report_run(doc, r))
    out.append(report_bpf_stats(doc))
    out.append(report_tail(doc))
    return "".join(out)


MODE_TAG = {"print": "", "write": " (`--write`)", "filter": " (`--filter`)",
            "attribution": " (`--attribution`)", "flows": " (`--flows`)",
            "shared": " (`--shared-cpu`)", "tcp": " (`--tcp`)"}
README_LABEL = {
    ("print", "b"): "`sockcap -i veth > file`", ("print", "c"): "`tcpdump -n -i veth > file`",
    ("print", "d"): "`tcpdump -l -n -i veth > file`",
    ("write", "b"): "`sockcap -w`", ("write", "c"): "`tcpdump -w`",
    ("filter", "b"): "`sockcap 'udp dst port 10'`, 1 % matching",
    ("filter", "c"): "`sockcap -w 'udp dst port 10'`",
    ("filter", "d"): "`tcpdump -n 'udp dst port 10'`", ("filter", "f"): "`tcpdump -w 'udp dst port 10'`",
    ("shared", "b"): "`sockcap -i veth > file`, capture on the sender's CPU",
    ("shared", "c"): "`tcpdump -n -i veth > file`, capture on the sender's CPU",
    ("shared", "d"): "`sockcap -w`, capture on the sender's CPU",
    ("shared", "f"): "`tcpdump -w`, capture on the sender's CPU",
    ("attribution", "b"): "`sockcap -i veth > file`",
    ("attribution", "c"): "`sockcap --no-process -i veth > file`",
    ("attribution", "d"): "`tcpdump -n -i veth > file`",
    ("flows", "b"): "`sockcap -i veth > file`", ("flows", "c"): "`sockcap --flows -i veth`",
    ("flows", "d"): "`tcpdump -n -i veth > file`",
    ("tcp", "b"): "`sockcap -s 128 -w`, iperf3 TCP", ("tcp", "c"): "`tcpdump -s 128 -w`, iperf3 TCP",
}


def stat3t(vals, d):
    """stat3 for the README's table: one value when all runs agree."""
    v = [x for x in vals if x is not None]
    if v and fmt(min(v), d) == fmt(max(v), d):
        return fmt(v[0], d)
    return stat3(v, d)


def table(docs):
    """The rows of README.md's performance table, from saved results."""
    L = ["| | runs | captured | sender rate | capture CPU per packet |\n", "|---|---|---|---|---|\n"]
    for doc in docs:
        mode = doc["mode"]
        dv = [derive(doc, r)[1] for r in doc["runs"]]
        n = len(doc["runs"])
        date = doc["started"][:10]
        for cc in doc["cases"]:
            c = cc["case"]
            g = [v.get(c, {}) for v in dv]
            name = README_LABEL.get((mode, c), "do-nothing socket filter" if c == "e" else cc["label"])
            if c == "e":
                capt = "-"
            else:
                capt = stat3t([x.get("captured") for x in g], 2).replace(" (", " % (", 1)
                if "%" not in capt and capt != "-":
                    capt += " %"
                if mode == "filter":
                    capt += " of matches"
                drops = [x.get("dropped") for x in g if x.get("dropped") is not None]
                if drops and max(drops) == 0:
                    capt += ", 0 dropped"
            us = "-" if c == "e" else stat3t([x.get("us") for x in g], 3) + " µs"
            if mode == "filter" and c != "e":
                us = stat3t([x.get("cpu") for x in g], 3) + " s in all"
            L.append("| %s%s, %s | %d | %s | %s | %s |\n" % (
                name, MODE_TAG[mode], date, n, capt, stat3t([x.get("rel") for x in g], 3), us))
    for doc in docs:
        lab = {c["case"]: c["label"] for c in doc["cases"]}
        for a, b in PAIRS[doc["mode"]]:
            L.append("\n%s%s: sender rate with `%s` / with `%s` in the same run, median (range) "
                     "over %d runs: %s\n" % (doc["started"][:10], MODE_TAG[doc["mode"]], lab[a], lab[b],
                                            len(doc["runs"]), stat3t(pair_ratios(doc, a, b), 2)))
    return "".join(L)


def main(argv):
    a = parse_args(argv)
    if a.report:
        docs = []
        for path in a.report:
            try:
                with open(path) as f:
                    d = json.load(f)
            except (OSError, ValueError) as e:
                sys.stderr.write("%s: %s: %s\n" % (PROG, path, e))
                return 1
            if d.get("format") != FORMAT:
                sys.stderr.write("%s: %s: not a %s file\n" % (PROG, path, FORMAT))
                return 1
            docs.append(d)
        if a.table:
            sys.stdout.write(table(docs))
        else:
            sys.stdout.write("\n".join(report(d) for d in docs))
        return 0

    def stop(signum, _frame):
        raise Stopped(128 + signum, "interrupted" if signum == signal.SIGINT else "terminated")
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, stop)

    b = Bench(a)
    rc = 0
    try:
        b.main()
    except Fatal as e:
        note("%s: %s" % (PROG, e))
        rc = 1
    except Stopped as e:
        note("%s: %s" % (PROG, e))
        rc = e.code
    finally:
        # the clean-up runs to its end, whatever arrives meanwhile
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        if b.doc is not None and b.json_path and rc:
            try:
                b.doc["aborted"] = True
                b.save()
                note("%s: partial results in %s" % (PROG, b.json_path))
            except OSError:
                pass
        b.cleanup()
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
