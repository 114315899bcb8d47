#!/usr/bin/env python3
"""frames.py: the frames of capture files as tcpdump shows them, one line a
packet, for comparing captures byte for byte (live_filter.sh, live_write.sh).

  python3 tests/frames.py [--bg REGEX] FILE OUT [FILE OUT]...

For each pair it runs tcpdump -n -S -e -xx -r FILE and writes to OUT one
line a packet, "TEXT | BYTES": TEXT is tcpdump's line without the time,
BYTES every captured byte in hex as tcpdump groups them, or past 128 bytes
their number and MD5 ("1514 bytes, MD5 ...", the hash tshark shows as
frame.md5_hash; to keep diagnostics short).
Background is left out: multicast listener reports and router
solicitations (the kernel sends them on its own timers, so captures
started at different moments do not see them alike) and packets whose
TEXT matches REGEX. OUT.n gets the number of packets, all of them.

FILE "-" reads the output of tcpdump -n -S -e -xx from standard input
instead (the caller ran tcpdump, and checks it).

A tcpdump that fails, or says more on stderr than the file's name and link
type, is named on standard output and makes the exit status 1; OUT is
written all the same. One process does all files: a Python start costs
seconds in an emulated VM.
"""
import argparse
import hashlib
import re
import subprocess
import sys

TCPDUMP = ["tcpdump", "-n", "-S", "-e", "-xx", "-r"]
BACKGROUND = r"multicast listener|router solicitation"
OK_ERR = re.compile(r"^reading from file .*, link-type EN10MB \(Ethernet\), "
                    r"snapshot length \d+$")
MAX_BYTES = 128


def packets(lines):
    """[TEXT, [HEX...]] for each packet of tcpdump -xx's lines, the time
    taken off the text, the offsets off the hex lines."""
    pkts = []
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("\t0x"):
            pkts[-1][1].append(line.split(":", 1)[1].strip())
        else:
            pkts.append([re.sub(r"^[0-9:.]+ ", "", line), []])
    return pkts


def frame_line(text, hexlines):
    hx = " ".join(hexlines)
    raw = bytes.fromhex(hx)
    if len(raw) > MAX_BYTES:
        hx = "%d bytes, MD5 %s" % (len(raw), hashlib.md5(raw).hexdigest())
    return "%s | %s\n" % (text.rstrip(), hx)


def tcpdump(path):
    """tcpdump's lines for path, and what went wrong ("" if nothing)."""
    p = subprocess.run(TCPDUMP + [path], capture_output=True, text=True)
    errs = [l for l in p.stderr.splitlines() if l and not OK_ERR.match(l)]
    why = ""
    if p.returncode or errs:
        why = "tcpdump -r %s: status %d: %s" % (path, p.returncode, " / ".join(errs)[:300])
    return p.stdout.splitlines(), why


def main():
    ap = argparse.ArgumentParser(description="tcpdump -e -xx, one line a packet")
    ap.add_argument("--bg", help="leave out packets whose text matches this too")
    ap.add_argument("pairs", nargs="+", metavar="FILE OUT")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        ap.error("FILE without OUT")
    bg = re.compile(BACKGROUND + ("|" + a.bg if a.bg else ""))
    bad = 0
    for path, out in zip(a.pairs[0::2], a.pairs[1::2]):
        if path == "-":
            lines, why = sys.stdin.readlines(), ""
        else:
            lines, why = tcpdump(path)
        if why:
            print(why)
            bad = 1
        pkts = packets(lines)
        with open(out, "w") as f:
            f.writelines(frame_line(t, h) for t, h in pkts if not bg.search(t))
        with open(out + ".n", "w") as f:
            f.write("%d\n" % len(pkts))
    sys.exit(bad)


if __name__ == "__main__":
    main()
