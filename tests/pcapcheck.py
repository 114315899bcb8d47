#!/usr/bin/env python3
"""pcapcheck.py: a reader of classic pcap and pcapng that knows nothing of
sockcap's own reader and checks the structure strictly: block lengths
(leading and trailing), option lengths and alignment, interface numbers,
zero padding, caplen <= len and <= the snap length, timestamp fractions in
range, no bytes after the last record.

  python3 tests/pcapcheck.py FILE       (FILE "-": standard input)

(in the shell tests: sc_pf FILE, or "$SC_PYTHON" "$SC_PCAPCHECK" FILE;
pcap_tools.sh reads its interface statistics blocks with it.) It prints
one fact a line, times in ns since 1970:

  format pcap|pcap-ns|pcapng
  header LINKTYPE SNAPLEN                       (pcap)
  shb MAJOR.MINOR, shb_hardware|shb_os|shb_userappl TEXT   (pcapng)
  idb IFACE LINKTYPE SNAPLEN, if_name IFACE NAME, if_tsresol IFACE VALUE
  pkt IFACE TS_NS CAPLEN LEN FLAGS              (FLAGS: epb_flags or -)
  isb IFACE TS_NS, isb_NAME IFACE VALUE         (NAME: starttime, endtime,
                                                 ifrecv, ifdrop,
                                                 filteraccept, osdrop,
                                                 usrdeliv)
  block TYPE                                    (any other pcapng block)
  last header|shb|idb|pkt|isb|block             (the last record's kind)
  packets N

On a malformed file the last line is "error WHY" and the status is 1.
Nothing is printed before the whole input is read.

Formats: classic pcap (the tcpdump.org page "Libpcap File Format"), and
pcapng (draft-ietf-opsawg-pcapng: section header 4.1, interface
description 4.2, enhanced packet 4.3, interface statistics 4.6; options
3.5).
"""
import struct
import sys

SHB_TYPE = 0x0a0d0d0a
SHB_MAGIC = b"\x0a\x0d\x0d\x0a"  # the block type, the same in either byte order
PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
SHB_OPTIONS = {2: "shb_hardware", 3: "shb_os", 4: "shb_userappl"}
ISB_OPTIONS = {2: "starttime", 3: "endtime", 4: "ifrecv", 5: "ifdrop",
               6: "filteraccept", 7: "osdrop", 8: "usrdeliv"}


class Malformed(Exception):
    pass


def pad4(n):
    return (n + 3) & ~3


def text(v):
    return v.decode("utf-8", "replace").replace("\n", " ")


def options(e, body, at, what):
    """(code, value) pairs from body[at:], checked against the body's end"""
    while at < len(body):
        if at + 4 > len(body):
            raise Malformed("%s: option header past the block" % what)
        code, olen = struct.unpack(e + "HH", body[at:at + 4])
        if code == 0:
            if olen != 0 or at + 4 != len(body):
                raise Malformed("%s: opt_endofopt with length %d, %d bytes before the end" %
                                (what, olen, len(body) - at - 4))
            return
        if at + 4 + pad4(olen) > len(body):
            raise Malformed("%s: option %d of %d bytes past the block" % (what, code, olen))
        yield code, body[at + 4:at + 4 + olen]
        at += 4 + pad4(olen)


class Check:
    def __init__(self, data, emit):
        self.data, self.emit = data, emit
        self.npkt, self.last = 0, None

    def pcap(self):
        data, emit = self.data, self.emit
        for e in "<>":
            magic, = struct.unpack(e + "I", data[:4])
            if magic in (0xa1b2c3d4, 0xa1b23c4d):
                break
        units = 10**6 if magic == 0xa1b2c3d4 else 10**9
        if len(data) < 24:
            raise Malformed("pcap file header truncated")
        _, major, minor, _, _, snap, link = struct.unpack(e + "IHHiIII", data[:24])
        if (major, minor) != (2, 4):
            raise Malformed("pcap version %d.%d" % (major, minor))
        emit("format " + ("pcap" if units == 10**6 else "pcap-ns"))
        emit("header %d %d" % (link & 0xffff, snap))
        self.last = "header"
        at = 24
        while at < len(data):
            if at + 16 > len(data):
                raise Malformed("record header truncated at offset %d" % at)
            sec, frac, caplen, plen = struct.unpack(e + "IIII", data[at:at + 16])
            if frac >= units:
                raise Malformed("timestamp fraction %d out of range at offset %d" % (frac, at))
            if caplen > plen or caplen > snap:
                raise Malformed("caplen %d, len %d, snaplen %d at offset %d" %
                                (caplen, plen, snap, at))
            if at + 16 + caplen > len(data):
                raise Malformed("packet data truncated at offset %d" % at)
            emit("pkt 0 %d %d %d -" % (sec * 10**9 + frac * (10**9 // units), caplen, plen))
            self.npkt += 1
            self.last = "pkt"
            at += 16 + caplen

    def pcapng(self):
        data, emit = self.data, self.emit
        e, at, ifs = "<", 0, []
        emit("format pcapng")
        while at < len(data):
            if at + 12 > len(data):
                raise Malformed("block header truncated at offset %d" % at)
            if data[at:at + 4] == SHB_MAGIC:
                bom = data[at + 8:at + 12]
                if bom == b"\x4d\x3c\x2b\x1a":
                    e = "<"
                elif bom == b"\x1a\x2b\x3c\x4d":
                    e = ">"
                else:
                    raise Malformed("bad byte-order magic")
                ifs = []
            elif at == 0:
                raise Malformed("no section header block at the start")
            btype, blen = struct.unpack(e + "II", data[at:at + 8])
            if blen < 12 or blen % 4 or at + blen > len(data):
                raise Malformed("block 0x%x at offset %d: length %d" % (btype, at, blen))
            if struct.unpack(e + "I", data[at + blen - 4:at + blen])[0] != blen:
                raise Malformed("block 0x%x at offset %d: trailing length differs" % (btype, at))
            body = data[at + 8:at + blen - 4]
            what = "block 0x%x at offset %d" % (btype, at)
            if btype == SHB_TYPE:
                self.shb(e, body, what)
            elif btype == 1:
                self.idb(e, body, what, ifs)
            elif btype == 6:
                self.epb(e, body, what, ifs)
            elif btype == 5:
                self.isb(e, body, what, ifs)
            else:
                emit("block 0x%x" % btype)
                self.last = "block"
            at += blen

    def shb(self, e, body, what):
        if len(body) < 16:
            raise Malformed(what + ": too short")
        major, minor = struct.unpack(e + "HH", body[4:8])
        self.emit("shb %d.%d" % (major, minor))
        for code, v in options(e, body, 16, what):
            if code in SHB_OPTIONS:
                self.emit("%s %s" % (SHB_OPTIONS[code], text(v)))
        self.last = "shb"

    def idb(self, e, body, what, ifs):
        if len(body) < 8:
            raise Malformed(what + ": too short")
        link, _, snap = struct.unpack(e + "HHI", body[:8])
        i = len(ifs)
        units = 10**6
        self.emit("idb %d %d %d" % (i, link, snap))
        for code, v in options(e, body, 8, what):
            if code == 2:
                self.emit("if_name %d %s" % (i, text(v)))
            elif code == 9:
                if len(v) != 1:
                    raise Malformed(what + ": if_tsresol of %d bytes" % len(v))
                units = 2**(v[0] & 0x7f) if v[0] & 0x80 else 10**v[0]
                self.emit("if_tsresol %d %d" % (i, v[0]))
        ifs.append((snap, units))
        self.last = "idb"

    def epb(self, e, body, what, ifs):
        if len(body) < 20:
            raise Malformed(what + ": too short")
        i, hi, lo, caplen, plen = struct.unpack(e + "IIIII", body[:20])
        if i >= len(ifs):
            raise Malformed(what + ": interface %d of %d" % (i, len(ifs)))
        snap, units = ifs[i]
        if caplen > plen or (snap and caplen > snap):
            raise Malformed(what + ": caplen %d, len %d, snaplen %d" % (caplen, plen, snap))
        if 20 + pad4(caplen) > len(body):
            raise Malformed(what + ": packet data past the block")
        if any(body[20 + caplen:20 + pad4(caplen)]):
            raise Malformed(what + ": padding is not zero")
        flags = "-"
        for code, v in options(e, body, 20 + pad4(caplen), what):
            if code == 2:
                if len(v) != 4:
                    raise Malformed(what + ": epb_flags of %d bytes" % len(v))
                flags = "0x%08x" % struct.unpack(e + "I", v)[0]
        self.emit("pkt %d %d %d %d %s" % (i, ((hi << 32) | lo) * 10**9 // units, caplen, plen, flags))
        self.npkt += 1
        self.last = "pkt"

    def isb(self, e, body, what, ifs):
        if len(body) < 12:
            raise Malformed(what + ": too short")
        i, hi, lo = struct.unpack(e + "III", body[:12])
        if i >= len(ifs):
            raise Malformed(what + ": interface %d of %d" % (i, len(ifs)))
        units = ifs[i][1]
        self.emit("isb %d %d" % (i, ((hi << 32) | lo) * 10**9 // units))
        for code, v in options(e, body, 12, what):
            if code not in ISB_OPTIONS:
                continue
            if len(v) != 8:
                raise Malformed(what + ": option %d of %d bytes" % (code, len(v)))
            if code in (2, 3):
                h, l = struct.unpack(e + "II", v)
                val = ((h << 32) | l) * 10**9 // units
            else:
                val, = struct.unpack(e + "Q", v)
            self.emit("isb_%s %d %d" % (ISB_OPTIONS[code], i, val))
        self.last = "isb"

    def run(self):
        data = self.data
        if len(data) < 4:
            raise Malformed("%d bytes: no file header" % len(data))
        if data[:4] == SHB_MAGIC:
            self.pcapng()
        elif data[:4] in PCAP_MAGICS:
            self.pcap()
        else:
            raise Malformed("not a pcap or pcapng file (magic %s)" % data[:4].hex())
        self.emit("last %s" % self.last)
        self.emit("packets %d" % self.npkt)


def main():
    path = sys.argv[1]
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    out = []
    try:
        Check(data, out.append).run()
    except Malformed as why:
        out.append("error %s" % why)
        sys.stdout.write("".join(s + "\n" for s in out))
        sys.exit(1)
    sys.stdout.write("".join(s + "\n" for s in out))


if __name__ == "__main__":
    main()
