#!/usr/bin/env python3
"""metrics.py: Prometheus pages for the --metrics tests, on the Python
standard library alone.

  vector                  a Prometheus server's answer to an instant
                          query (/api/v1/query, JSON on standard input):
                          "{L1=V1,L2=V2} VALUE" per series, the labels
                          sorted, without __name__
  flows CAP INPUT PAGES   the flow families of PAGES (tests/test_metrics's
                          output: rounds of pages) against a model of the
                          cardinality cap over INPUT (what it fed)

A page that does not parse ends the program with a message and status 1.
"""
import json
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def die(msg):
    sys.exit("metrics.py: " + msg)


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {'n': '\n'}.get(m.group(1), m.group(1)), v)


def labels(text):
    out, pos = {}, 0
    while pos < len(text):
        m = LABEL.match(text, pos)
        if not m:
            die("bad labels: %r" % text)
        out[m.group(1)] = unescape(m.group(2))
        pos = m.end()
    return out


def fmt(name, lab):
    return "%s{%s}" % (name, ",".join("%s=%s" % kv for kv in sorted(lab.items())))


def parse(lines):
    """[(name, labels, value)] of the sample lines."""
    out = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            die("not a sample line: %r" % line)
        out.append((m.group(1), labels(m.group(2) or ""), m.group(3)))
    return out


def vector():
    ans = json.load(sys.stdin)
    if ans.get("status") != "success" or ans["data"]["resultType"] != "vector":
        die("not an instant vector: %r" % ans)
    for s in ans["data"]["result"]:
        lab = dict(s["metric"])
        lab.pop("__name__", None)
        print(fmt("", lab), s["value"][1])


def shown(comm):
    """A process name as the page shows it (metrics.h)."""
    name = "".join(chr(b) if 32 <= b < 127 else "?" for b in comm)
    return name or "?"


def flows(cap, inpath, pagepath):
    protos = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6"}
    rounds = {}
    with open(inpath) as f:
        for line in f:
            rnd, comm, proto, port, dirn, pk, by = line.split()
            comm = bytes.fromhex("" if comm == "-" else comm)
            key = (shown(comm), protos.get(int(proto), proto), port, dirn)
            rounds.setdefault(int(rnd), []).append((key, int(pk), int(by)))
    with open(pagepath, encoding="utf-8") as f:
        pages = f.read().split("# round ")[1:]
    if len(pages) != len(rounds):
        die("%d pages for %d rounds" % (len(pages), len(rounds)))
    # the model: the first CAP label sets each keep a series for good,
    # everything after them goes to the one "other" aggregate
    kept, other = {}, None
    other_key = ("other", "other", "other", "other")
    for n in sorted(rounds):
        for key, pk, by in rounds[n]:
            if key not in kept and len(kept) == cap:
                other = [a + b for a, b in zip(other or [0, 0], (pk, by))]
                continue
            kept[key] = [a + b for a, b in zip(kept.get(key, [0, 0]), (pk, by))]
        want = dict(kept)
        if other is not None:
            want[other_key] = other
        got = {}
        for name, lab, value in parse(pages[n].split("\n")[1:]):
            j = {"sockcap_flow_packets_total": 0, "sockcap_flow_bytes_total": 1}.get(name)
            if j is None or set(lab) != {"comm", "proto", "local_port", "direction"}:
                die("round %d: unexpected sample %s" % (n, fmt(name, lab)))
            key = (lab["comm"], lab["proto"], lab["local_port"], lab["direction"])
            if (key, j) in got:
                die("round %d: %s twice" % (n, fmt(name, lab)))
            got[(key, j)] = int(value)
        expect = {(k, j): v[j] for k, v in want.items() for j in (0, 1)}
        if got != expect:
            for k in sorted(set(got) | set(expect)):
                if got.get(k) != expect.get(k):
                    print("round %d: %s: page %s, model %s" % (n, k, got.get(k), expect.get(k)),
                          file=sys.stderr)
            die("round %d: the page differs from the model" % n)
        print("round %d: %d label sets, other %s" % (n, len(kept), other))


def main(argv):
    if argv == ["vector"]:
        vector()
    elif len(argv) == 4 and argv[0] == "flows":
        flows(int(argv[1]), argv[2], argv[3])
    else:
        die("usage: see the docstring")


if __name__ == "__main__":
    main(sys.argv[1:])
