#!/usr/bin/env python3
"""--flows --json and --flows --metrics against independent references.

  flows_out.py json JSON TEXT PCAP   JSON (sockcap --flows=1 --json's output)
                                     parsed line by line by json.loads: every
                                     object has the schema's keys, of their
                                     types; its final objects equal the text
                                     table's rows of TEXT (another sockcap on
                                     the same interface at the same time) and
                                     tshark's counts from PCAP, flow by flow;
                                     the interval objects add up to the final.
  flows_out.py metrics JSON PAGE     the page's sockcap_flow_*_total series
                                     (TCP and UDP) equal the final objects of
                                     JSON summed by {comm, proto, local_port,
                                     direction}; the not-tracked counter is 0.
"""
import ipaddress
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
# key: (type, always there)
KEYS = {"version": (int, True), "table": (str, True), "ifname": (str, True),
        "proto": (str, True), "src": (str, True), "dst": (str, True),
        "packets": (int, True), "bytes": (int, True), "reply_packets": (int, True),
        "reply_bytes": (int, True), "local": (str, True), "first": (str, True),
        "last": (str, True), "sport": (int, False), "dport": (int, False),
        "ipproto": (int, False), "state": (str, False), "retrans": (int, False),
        "reply_retrans": (int, False), "rtt_us": (int, False),
        "rtt_ambiguous": (bool, False), "icmp": (str, False), "pid": (int, False),
        "comm": (str, False), "uid": (int, False), "interval_us": (int, False),
        "interval_packets": (int, False), "interval_bytes": (int, False),
        "interval_reply_packets": (int, False), "interval_reply_bytes": (int, False)}
INTERVAL = ["interval_packets", "interval_bytes", "interval_reply_packets", "interval_reply_bytes"]


def load(path):
    objs, bad = [], 0
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        try:
            o = json.loads(line)
        except ValueError as e:
            print("LINE %d: not JSON (%s): %r" % (n, e, line[:200]))
            bad += 1
            continue
        for k, v in o.items():
            if k not in KEYS:
                print("LINE %d: unknown key %r" % (n, k))
                bad += 1
            elif type(v) is not KEYS[k][0]:
                print("LINE %d: %s is %r, not %s" % (n, k, v, KEYS[k][0].__name__))
                bad += 1
        for k, (_, always) in KEYS.items():
            if always and k not in o:
                print("LINE %d: no %s" % (n, k))
                bad += 1
        if o.get("version") != 1 or o.get("table") not in ("interval", "final"):
            print("LINE %d: version %r table %r" % (n, o.get("version"), o.get("table")))
            bad += 1
        if (o.get("table") == "interval") != all(k in o for k in INTERVAL + ["interval_us"]):
            print("LINE %d: interval keys and table %r disagree" % (n, o.get("table")))
            bad += 1
        if o.get("proto") in ("tcp", "udp") and not ("sport" in o and "dport" in o):
            print("LINE %d: no ports" % n)
            bad += 1
        if o.get("proto") == "tcp" and not all(k in o for k in ("state", "retrans")):
            print("LINE %d: TCP without state or retrans" % n)
            bad += 1
        if ("rtt_us" in o) != ("rtt_ambiguous" in o) or ("pid" in o) != ("comm" in o):
            print("LINE %d: rtt_us/rtt_ambiguous or pid/comm apart" % n)
            bad += 1
        for k in ("first", "last"):
            if not RFC3339.match(str(o.get(k))):
                print("LINE %d: %s %r is not RFC 3339 UTC with microseconds" % (n, k, o.get(k)))
                bad += 1
        objs.append(o)
    return objs, bad


def end(o, side):
    return (str(ipaddress.ip_address(o[side])), o.get("sport" if side == "src" else "dport", 0))


def key(o):
    return (o["proto"], end(o, "src"), end(o, "dst"))


def text_of(o):
    """the text table's columns of a JSON object, as flows.final_rows parses them"""
    if o.get("rtt_us") is None:
        rtt = "-"
    else:
        rtt = "%.3fms%s" % (o["rtt_us"] / 1e3, "?" if o["rtt_ambiguous"] else "")
    return {"out": (o["packets"], o["bytes"]), "back": (o["reply_packets"], o["reply_bytes"]),
            "state": o.get("state", o.get("icmp", "-")), "rtt": rtt,
            "retx": o.get("retrans", 0) + o.get("reply_retrans", 0),
            "proc": "%s[%d]" % (o["comm"], o["pid"]) if "pid" in o else "-"}


def check_json(jpath, tpath, pcap):
    objs, bad = load(jpath)
    final = [o for o in objs if o["table"] == "final"]
    fkeys = {}
    for o in final:
        if key(o) in fkeys:
            print("DUPLICATE final flow %s" % (key(o),))
            bad += 1
        fkeys[key(o)] = o
    # against the text table of the same traffic: TCP and UDP (ICMPv6's
    # background messages come when they will)
    text = {(r["proto"], r["o"], r["r"]): r for r in flows.final_rows(tpath)
            if r["proto"] in ("tcp", "udp")}
    mine = {k: o for k, o in fkeys.items() if k[0] in ("tcp", "udp")}
    for k in sorted(set(text) | set(mine)):
        if k not in text or k not in mine:
            print("ONLY IN %s: %s" % ("text" if k in text else "json", k))
            bad += 1
            continue
        t, j = text[k], text_of(mine[k])
        for f in ("out", "back", "state", "retx", "proc"):
            if t[f] != j[f]:
                print("TEXT %s %s: text %r json %r" % (k, f, t[f], j[f]))
                bad += 1
        # the same handshake seen by two sockets: both measured, or neither
        if (t["rtt"] == "-") != (j["rtt"] == "-"):
            print("RTT %s: text %r json %r" % (k, t["rtt"], j["rtt"]))
            bad += 1
    # against tshark, per direction
    want = flows.tshark_counts(pcap)
    got = {}
    for k, o in mine.items():
        got[(k[0], k[1], k[2])] = [o["packets"], o["bytes"]]
        got[(k[0], k[2], k[1])] = [o["reply_packets"], o["reply_bytes"]]
    for k in sorted(set(want) | set(got)):
        if want.get(k, [0, 0]) != got.get(k, [0, 0]):
            print("TSHARK %s: tshark %s json %s" % (k, want.get(k), got.get(k)))
            bad += 1
    # the interval objects add up to the final ones
    sums, tables = {}, set()
    for o in objs:
        if o["table"] == "interval":
            s = sums.setdefault(key(o), [0, 0, 0, 0])
            for i, f in enumerate(INTERVAL):
                s[i] += o[f]
    for k, o in fkeys.items():
        tot = [o["packets"], o["bytes"], o["reply_packets"], o["reply_bytes"]]
        if sums.get(k, [0, 0, 0, 0]) != tot:
            print("INTERVALS %s: add to %s, final %s" % (k, sums.get(k), tot))
            bad += 1
    print("objects %d final %d text %d tshark %d mismatches %d" % (
        len(objs), len(final), len(text), len(want), bad))
    return 1 if bad or not mine else 0


SAMPLE = re.compile(r'^(sockcap_flow_(packets|bytes)_total)\{comm="([^"]*)",proto="([^"]*)",'
                    r'local_port="([^"]*)",direction="([^"]*)"\} (\d+)$')


def check_metrics(jpath, page):
    objs, bad = load(jpath)
    want = {}
    for o in objs:
        if o["table"] != "final" or o["proto"] not in ("tcp", "udp"):
            continue
        local = o["local"]
        comm = o.get("comm", "?") or "?"
        port = o["sport"] if local == "src" else o["dport"]
        mine = (o["packets"], o["bytes"]) if local == "src" else (o["reply_packets"], o["reply_bytes"])
        theirs = (o["reply_packets"], o["reply_bytes"]) if local == "src" else (o["packets"], o["bytes"])
        for d, (p, b) in (("out", mine), ("in", theirs)):
            if p:
                w = want.setdefault((comm, o["proto"], str(port), d), [0, 0])
                w[0] += p
                w[1] += b
    got, not_tracked = {}, None
    for line in open(page):
        m = SAMPLE.match(line.strip())
        if m and m.group(4) in ("tcp", "udp"):
            g = got.setdefault((m.group(3), m.group(4), m.group(5), m.group(6)), [0, 0])
            g[0 if m.group(2) == "packets" else 1] += int(m.group(7))
        if line.startswith("sockcap_flows_not_tracked_packets_total "):
            not_tracked = int(line.split()[1])
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            print("SERIES %s: final table %s, page %s" % (k, want.get(k), got.get(k)))
            bad += 1
    if not_tracked != 0:
        print("NOT TRACKED: %r" % not_tracked)
        bad += 1
    print("series %d mismatches %d" % (len(got), bad))
    return 1 if bad or not got else 0


def main(a):
    if a[0] == "json":
        return check_json(a[1], a[2], a[3])
    if a[0] == "metrics":
        return check_metrics(a[1], a[2])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
