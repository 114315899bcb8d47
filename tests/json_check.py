#!/usr/bin/env python3
"""json_check.py: sockcap --json's lines against the schema and tshark.

  python3 tests/json_check.py JSONL TSHARK_FIELDS
  python3 tests/json_check.py --escape CASES

With --escape: the cases tests/test_json writes (its header says how),
every object decoded by python's json module: a process or interface
name must decode to the bytes it was made of (valid UTF-8 as such, every
other byte as the code point of its value), with no control character
raw in the line; the longest objects whole; the writer's objects in every
room valid, their members those it wrote, "partial" when one is missing.

JSONL is sockcap -r FILE --json -e's output; TSHARK_FIELDS is tshark's
-T fields output for the same FILE, with the fields of FIELDS below in
that order (tab-separated, every occurrence, joined by ';'). Every line
must be one JSON object (python's json module) whose keys are in the
schema with the schema's types; then each packet's values are compared
with tshark's decoding of the same packet: time, interface name (where
tshark's is printable ASCII, as it prints others raw), direction, length,
MAC addresses,
VLAN, IP addresses, TTL/id, hop limit/flow label, ports, TCP flags, seq,
ack and window, ICMP type and code (id and seq of an echo), ARP.

A field is compared wherever tshark decodes the packet's layer the same
way. The deliberate exceptions, each checked as narrowly as it can be:

- A cooked capture (LINUX_SLL, SLL2): "length" is the packet's from its
  network header, as the summary line's; tshark counts the cooked header
  (16 or 20 bytes) too, so tshark's length is compared less that header.
- More VLAN tags than the two the parser walks, or an IPv6 extension
  header chain longer than its eight: sockcap stops there (the summary
  line says so); tshark goes on. The fields before that point are still
  compared, the transport is not.
- EtherTypes the parser does not walk (NOT_DECODED): tshark's ARP
  dissector takes RARP, and its VLAN one the pre-standard 0x9100 tag;
  sockcap's record (and summary line) has them by number only. The object
  must say "ether" with tshark's EtherType.
- A packet whose record is cut or malformed ("truncated"/"malformed")
  inside the IP header: sockcap gives no field it could not read whole,
  tshark some of a cut header's; the fields both give are compared.
Prints one line per difference and "checked N packets, M values"; exit
status 1 on any difference.
"""

# What the parser walks (bpf/parse.h: SC_MAX_VLAN, SC_MAX_EXTHDR).
MAX_TAGS = 2
MAX_EXTHDR = 8
NOT_DECODED = (0x8035, 0x9100)
import datetime
import json
import re
import sys

FIELDS = [
    "frame.time_epoch", "frame.len", "frame.protocols", "eth.src", "eth.dst",
    "vlan.id", "ieee8021ad.id", "ip.src", "ip.dst", "ip.ttl", "ip.id",
    "ip.proto", "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.flow",
    "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw",
    "tcp.window_size_value", "udp.srcport", "udp.dstport", "icmp.type",
    "icmp.code", "icmp.ident", "icmp.seq", "icmpv6.type", "icmpv6.code",
    "icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "arp.opcode",
    "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "sll.ifindex", "eth.type", "frame.interface_name",
    "frame.packet_flags_direction", "sll.pkttype",
]

INT, STR, BOOL = "int", "str", "bool"
SCHEMA = {
    "version": INT, "time": STR, "ifname": STR, "ifindex": INT, "dir": STR,
    "length": INT, "truncated": BOOL, "malformed": BOOL, "partial": BOOL,
    "linktype": INT, "src_mac": STR, "dst_mac": STR, "vlan": INT,
    "vlan2": INT, "proto": STR, "ipproto": INT, "ethertype": INT,
    "src": STR, "dst": STR, "sport": INT, "dport": INT, "flags": STR,
    "seq": INT, "ack": INT, "win": INT, "type": INT, "code": INT, "id": INT,
    "hlim": INT, "flowlabel": INT, "ttl": INT, "ip_id": INT,
    "frag_offset": INT, "arp_op": INT, "pid": INT, "comm": STR, "uid": INT,
    "peer_pid": INT, "peer_comm": STR, "peer_uid": INT,
}
PROTOS = {"tcp", "udp", "icmp", "icmp6", "ip", "ip6", "arp", "llc", "ether"}
DIRS = {"in", "out", "broadcast", "multicast", "otherhost"}
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
MAC_RE = re.compile(r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def typed(v, kind):
    if kind == BOOL:
        return isinstance(v, bool)
    if kind == INT:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    return isinstance(v, str)


def check_schema(where, o):
    """The keys, their types, and what each must look like."""
    for k, v in o.items():
        if k not in SCHEMA:
            err(where, f"unknown key {k!r}")
        elif not typed(v, SCHEMA[k]):
            err(where, f"{k}: {v!r} is not of type {SCHEMA[k]}")
    for k in ("version", "time", "length"):
        if k not in o:
            err(where, f"key {k!r} missing")
    if o.get("version") != 1:
        err(where, f"version {o.get('version')!r}")
    if "time" in o and not TIME_RE.match(str(o["time"])):
        err(where, f"time {o['time']!r} is not RFC 3339 UTC with microseconds")
    for k in ("truncated", "malformed", "partial"):
        if k in o and o[k] is not True:
            err(where, f"{k} is present but not true")
    if "dir" in o and o["dir"] not in DIRS:
        err(where, f"dir {o['dir']!r}")
    if "proto" in o and o["proto"] not in PROTOS:
        err(where, f"proto {o['proto']!r}")
    for k in ("src_mac", "dst_mac"):
        if k in o and not MAC_RE.match(str(o[k])):
            err(where, f"{k} {o[k]!r}")
    if o.get("proto") in ("tcp", "udp") and ("sport" in o) != ("dport" in o):
        err(where, "one port without the other")


def tshark_rows(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            vals = line.rstrip("\n").split("\t")
            if len(vals) != len(FIELDS):
                raise SystemExit(f"{path}: a line of {len(vals)} fields, not {len(FIELDS)}")
            rows.append({k: v.split(";") if v else [] for k, v in zip(FIELDS, vals)})
    return rows


def first(t, k):
    return t[k][0] if t[k] else None


def num(s):
    return int(s, 16) if s.startswith("0x") else int(s)


def view(t):
    """tshark's network and transport layers, from frame.protocols."""
    protos = first(t, "frame.protocols")
    layers = protos.split(":") if protos else []
    net = trans = None
    for i, p in enumerate(layers):
        if p in ("ip", "ipv6", "arp"):
            net = p
            rest = [x for x in layers[i + 1:] if not x.startswith("ipv6.")]
            trans = rest[0] if rest else None
            break
        if p not in ("eth", "ethertype", "vlan", "ieee8021ad", "sll", "raw"):
            break
    return net, trans


def usec_of_epoch(s):
    sec, _, frac = s.partition(".")
    return int(sec) * 1000000 + int((frac + "000000")[:6])


def usec_of_time(s):
    d = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
    d = d.replace(tzinfo=datetime.timezone.utc)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (d - epoch) // datetime.timedelta(microseconds=1)


compared = 0


def same(where, what, got, want):
    global compared
    compared += 1
    if got != want:
        err(where, f"{what}: sockcap {got!r}, tshark {want!r}")


def tcp_letters(f):
    s = "".join(c for i, c in enumerate("FSRP.UEW") if f & (1 << i))
    return s or "none"


def check_ip(where, o, t, net, trans):
    v6 = net == "ipv6"
    fam = "ipv6" if v6 else "ip"
    cut = o.get("truncated") or o.get("malformed")
    pairs = [("src", fam + ".src"), ("dst", fam + ".dst")]
    pairs += [("hlim", "ipv6.hlim"), ("flowlabel", "ipv6.flow")] if v6 else \
        [("ttl", "ip.ttl"), ("ip_id", "ip.id")]
    for k, tk in pairs:
        want = first(t, tk)
        if cut and (want is None or k not in o):
            continue  # a cut header: what both could read
        if want is not None and k not in ("src", "dst"):
            want = num(want)
        same(where, k, o.get(k), want)
    if cut:
        return
    ext = sum(1 for p in (first(t, "frame.protocols") or "").split(":")
              if p.startswith("ipv6."))
    if ext > MAX_EXTHDR:
        same(where, "proto", o.get("proto"), "ip6")
        return
    want = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "icmpv6": "icmp6"}.get(trans)
    if want and "frag_offset" in o and o["frag_offset"]:
        return  # a later fragment: no transport header in it
    if want:
        same(where, "proto", o.get("proto"), want)
    if trans in ("tcp", "udp") and first(t, trans + ".srcport") is not None:
        same(where, "sport", o.get("sport"), num(first(t, trans + ".srcport")))
        same(where, "dport", o.get("dport"), num(first(t, trans + ".dstport")))
    if trans == "tcp" and first(t, "tcp.flags") is not None:
        flags = num(first(t, "tcp.flags")) & 0xff
        same(where, "flags", o.get("flags"), tcp_letters(flags))
        same(where, "seq", o.get("seq"), num(first(t, "tcp.seq_raw")))
        if flags & 0x10:
            same(where, "ack", o.get("ack"), num(first(t, "tcp.ack_raw")))
        elif "ack" in o:
            err(where, "ack without the ACK flag")
        same(where, "win", o.get("win"), num(first(t, "tcp.window_size_value")))
    if trans in ("icmp", "icmpv6") and first(t, trans + ".type") is not None:
        same(where, "type", o.get("type"), num(first(t, trans + ".type")))
        same(where, "code", o.get("code"), num(first(t, trans + ".code")))
        idk, seqk = (("icmp.ident", "icmp.seq") if trans == "icmp" else
                     ("icmpv6.echo.identifier", "icmpv6.echo.sequence_number"))
        if "id" in o and first(t, idk) is not None:
            same(where, "id", o["id"], num(first(t, idk)))
            same(where, "seq", o["seq"], num(first(t, seqk)))


SLL_DIRS = {0: "in", 1: "broadcast", 2: "multicast", 3: "otherhost", 4: "out"}


def check_meta(where, o, t):
    name = first(t, "frame.interface_name")
    if "ifname" in o and name is not None and \
            all(" " <= c < "\x7f" and c != "\\" for c in name):
        same(where, "ifname", o["ifname"], name)
    flags = first(t, "frame.packet_flags_direction")
    sll = first(t, "sll.pkttype")
    # a cooked header's packet type first: sockcap's record takes it
    if sll is not None and num(sll) in SLL_DIRS:
        same(where, "dir", o.get("dir"), SLL_DIRS[num(sll)])
    elif flags is not None and num(flags) in (1, 2):
        want = "out" if num(flags) == 2 else "in"
        got = o.get("dir")
        if want == "in" and got in ("broadcast", "multicast", "otherhost"):
            got = "in"  # received, and of the type pcapng's flags may add
        same(where, "dir", got, want)
    # else: no direction tshark shows (a modified pcap's packet type it
    # does not show as a field): nothing to compare


def check_packet(where, o, t):
    check_meta(where, o, t)
    same(where, "time", usec_of_time(o["time"]), usec_of_epoch(first(t, "frame.time_epoch")))
    protos = first(t, "frame.protocols") or ""
    length = num(first(t, "frame.len"))
    if protos.startswith("sll:"):
        length -= 20 if first(t, "sll.ifindex") is not None else 16
    same(where, "length", o["length"], length)
    if "src_mac" in o and first(t, "eth.src") is not None:
        same(where, "src_mac", o["src_mac"], first(t, "eth.src"))
        same(where, "dst_mac", o["dst_mac"], first(t, "eth.dst"))
    if "vlan" in o:
        ad = protos.find("ieee8021ad")
        q = protos.find(":vlan")
        outer = "ieee8021ad.id" if ad >= 0 and (q < 0 or ad < q) else "vlan.id"
        tags = t[outer] + (t["vlan.id"] if outer != "vlan.id" else [])
        if tags:
            same(where, "vlan", o["vlan"], num(tags[0]))
        if "vlan2" in o and len(tags) > 1:
            same(where, "vlan2", o["vlan2"], num(tags[1]))
    if first(t, "eth.type") is not None and num(first(t, "eth.type")) in NOT_DECODED:
        same(where, "proto", o.get("proto"), "ether")
        same(where, "ethertype", o.get("ethertype"), num(first(t, "eth.type")))
        return
    net, trans = view(t)
    tags = sum(1 for p in protos.split(":") if p in ("vlan", "ieee8021ad"))
    if tags > MAX_TAGS:
        same(where, "proto", o.get("proto"), "ether")
        return
    if net in ("ip", "ipv6"):
        check_ip(where, o, t, net, trans)
    elif net == "arp" and first(t, "arp.opcode") is not None:
        same(where, "proto", o.get("proto"), "arp")
        same(where, "arp_op", o.get("arp_op"), num(first(t, "arp.opcode")))
        if first(t, "arp.src.proto_ipv4") is not None:
            same(where, "src", o.get("src"), first(t, "arp.src.proto_ipv4"))
            same(where, "dst", o.get("dst"), first(t, "arp.dst.proto_ipv4"))


def latin1_bytes(e):
    """A decoding error handler: each byte that is not UTF-8 as U+00XX."""
    return "".join(chr(b) for b in e.object[e.start:e.end]), e.end


import codecs  # noqa: E402
codecs.register_error("sc_bytes", latin1_bytes)
RAW_CTRL = re.compile("[\x00-\x1f\x7f-\x9f]")


def name_of(hexstr):
    raw = b"" if hexstr == "-" else bytes.fromhex(hexstr)
    return raw.decode("utf-8", errors="sc_bytes")


def room_members():
    """What test_json's test_rooms() writes, key by key."""
    m = {}
    for i in range(20):
        if i % 3 == 0:
            m[f"k{i}"] = i * 1000000007
        elif i % 3 == 1:
            m[f"k{i}"] = "s" * i + '"\\\x01\u00e9\u00ff'
        else:
            m[f"k{i}"] = bool(i % 2)
    return m


def check_escape(path):
    counts = {}
    want_members = room_members()
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            where = f"case {n}"
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                err(where, f"not UTF-8: {e}")
                continue
            fields = text.rstrip("\n").split("\t")
            kind, obj_text = fields[0], fields[-1]
            counts[kind] = counts.get(kind, 0) + 1
            if RAW_CTRL.search(obj_text):
                err(where, f"a raw control character: {obj_text[:100]!r}")
            try:
                o = json.loads(obj_text)
            except ValueError as e:
                err(where, f"not JSON: {e}: {obj_text[:100]!r}")
                continue
            if kind == "comm":
                check_schema(where, o)
                same(where, "comm", o.get("comm"), name_of(fields[1]))
                same(where, "peer_comm", o.get("peer_comm"), name_of(fields[2]))
                same(where, "ifname", o.get("ifname"), name_of(fields[3]))
                same(where, "pid", o.get("pid"), 4242)
                same(where, "partial", o.get("partial"), None)
            elif kind == "whole":
                check_schema(where, o)
                same(where, "partial", o.get("partial"), None)
            elif kind == "room":
                room = int(fields[1])
                if len(raw) - len(f"room\t{fields[1]}\t") > room:
                    err(where, f"{len(raw)} bytes in a room of {room}")
                got = {k: v for k, v in o.items() if k != "partial"}
                for k, v in got.items():
                    same(where, k, v, want_members.get(k))
                same(where, "partial", o.get("partial"),
                     True if len(got) < len(want_members) else None)
    for kind, least in (("comm", 100), ("whole", 2), ("room", 100)):
        if counts.get(kind, 0) < least:
            err(path, f"only {counts.get(kind, 0)} {kind} cases")
    for e in errors[:40]:
        print(e)
    print(f"checked {sum(counts.values())} cases, {compared} values, {len(errors)} differences")
    return 1 if errors else 0


def main():
    if sys.argv[1] == "--escape":
        return check_escape(sys.argv[2])
    jpath, tpath = sys.argv[1], sys.argv[2]
    objs = []
    with open(jpath, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                o = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                err(f"line {n}", f"not a JSON object: {e}: {raw[:120]!r}")
                objs.append(None)
                continue
            if not isinstance(o, dict):
                err(f"line {n}", "not an object")
                o = None
            else:
                check_schema(f"line {n}", o)
            objs.append(o)
    rows = tshark_rows(tpath)
    if len(rows) != len(objs):
        err(jpath, f"{len(objs)} JSON lines, tshark decoded {len(rows)} packets")
    for n, (o, t) in enumerate(zip(objs, rows), 1):
        if o is not None and "time" in o:
            check_packet(f"packet {n}", o, t)
    for e in errors[:40]:
        print(e)
    print(f"checked {len(objs)} packets, {compared} values, {len(errors)} differences")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
