#!/usr/bin/env python3
"""What process attribution costs per call: each owner program's run time.

Runs sockcap -i lo (attribution on) in a network namespace of its own, with
the kernel's BPF statistics on (kernel.bpf_stats_enabled), and drives one
kind of socket call at a time from a process in that namespace: creating
and closing UDP sockets, connecting a UDP socket, sending datagrams to an
address, TCP connections over loopback. Before and after each phase it
reads every owner program's run count and run time (bpftool prog show),
and prints, per phase, the programs that ran: calls per operation and
nanoseconds per call. The socket filter's own time is shown too.

  python3 bench/hooks.py [--sockcap PATH] [--count N] [--runs R]

Needs root, bpftool and sockcap built. Traffic stays on the namespace's
loopback. The numbers are averages measured by the kernel around each
program run (bpf_stats adds two clock reads to each); on a quiet machine.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

PROG = "hooks.py"
HERE = os.path.dirname(os.path.abspath(__file__))

# The workload, run inside the namespace: one phase per argv[1].
WORK = r'''
import socket, sys
phase, n = sys.argv[1], int(sys.argv[2])
if phase == "create":
    for _ in range(n):
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
elif phase == "connect":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        s.connect(("127.0.0.1", 40000 + (i & 1)))
elif phase == "sendto":
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.bind(("127.0.0.1", 40002))
    r.setblocking(False)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        s.sendto(b"x", ("127.0.0.1", 40002))
        try:
            r.recv(16)
        except BlockingIOError:
            pass
elif phase == "tcp":
    l = socket.socket()
    l.bind(("127.0.0.1", 40003))
    l.listen(64)
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", 40003))
        a, _ = l.accept()
        a.close()
        c.close()
print("done", flush=True)
'''

PHASES = [
    ("create", "socket() + close(), UDP", 1),
    ("connect", "connect(), UDP", 1),
    ("sendto", "sendto() + recv(), UDP on loopback", 1),
    ("tcp", "TCP connect + accept + close, loopback", 20),
]


def die(msg):
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.exit(1)


def all_progs():
    out = subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True, text=True)
    if out.returncode:
        die("bpftool prog show: %s" % out.stderr.strip())
    return json.loads(out.stdout)


def progs(ids):
    """{name: (run_cnt, run_time_ns)} of the BPF programs of these ids."""
    res = {}
    for p in all_progs():
        if p["id"] not in ids:
            continue
        name = p.get("name", "?")
        cnt, ns = p.get("run_cnt", 0), p.get("run_time_ns", 0)
        old = res.get(name, (0, 0))
        res[name] = (old[0] + cnt, old[1] + ns)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sockcap", default=os.path.join(HERE, "..", "build", "sockcap"))
    ap.add_argument("--count", type=int, default=20000, help="operations per phase")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if os.geteuid():
        die("run as root")
    if not os.access(a.sockcap, os.X_OK):
        die("no sockcap at %s (--sockcap PATH)" % a.sockcap)
    ns = "schooks%d" % os.getpid()
    old = open("/proc/sys/kernel/bpf_stats_enabled").read().strip()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    cap = None
    results = {}  # (phase, prog) -> [ns per call], [calls per op]
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        with open("/proc/sys/kernel/bpf_stats_enabled", "w") as f:
            f.write("1")
        for run in range(a.runs):
            old_ids = {p["id"] for p in all_progs()}
            cap = subprocess.Popen(["timeout", "-s", "INT", "600", "ip", "netns", "exec", ns,
                                    a.sockcap, "-i", "lo"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
            line = cap.stderr.readline()
            if "listening" not in line:
                die("sockcap did not start: %s" % line.strip())
            # the programs it loaded (run nothing else that loads sockcap meanwhile)
            ids = {p["id"] for p in all_progs() if p["id"] not in old_ids and
                   p.get("name", "").startswith(("sc_owners_", "sockcap_"))}
            for phase, _, div in PHASES:
                n = a.count // div
                before = progs(ids)
                subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", WORK, phase,
                                str(n)], check=True, stdout=subprocess.DEVNULL, timeout=600)
                after = progs(ids)
                for name, (cnt, t) in after.items():
                    c0, t0 = before.get(name, (0, 0))
                    if cnt - c0 < n // 2:
                        continue  # not this phase's program
                    ns_call, per_op = (t - t0) / (cnt - c0), (cnt - c0) / n
                    results.setdefault((phase, name), ([], []))
                    results[(phase, name)][0].append(ns_call)
                    results[(phase, name)][1].append(per_op)
            cap.send_signal(2)
            cap.wait(60)
            cap = None
    finally:
        if cap is not None:
            cap.kill()
            cap.wait()
        with open("/proc/sys/kernel/bpf_stats_enabled", "w") as f:
            f.write(old)
        subprocess.run(["ip", "netns", "del", ns])
    print("kernel %s, %d runs of %d operations per phase; medians (ranges)"
          % (os.uname().release, a.runs, a.count))
    print("| operation | program | calls per operation | ns per call |")
    print("|---|---|---|---|")
    for phase, what, _ in PHASES:
        for (ph, name), (nss, per) in sorted(results.items()):
            if ph != phase:
                continue
            print("| %s | %s | %.1f | %.0f (%.0f..%.0f) |"
                  % (what, name, statistics.median(per), statistics.median(nss), min(nss),
                     max(nss)))


if __name__ == "__main__":
    main()
