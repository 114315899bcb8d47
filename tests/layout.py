#!/usr/bin/env python3
"""layout.py: the records of capture files as they lie in the file, read
independently of sockcap's reader and tolerant of a file cut short (a
capture killed, a disk full), for file_faults.sh and file_rotate.sh.

  python3 tests/layout.py FILE...

prints one line a file, 14 fields separated by spaces:

   1 FILE    the path as given
   2 FORMAT  pcap, pcap-ns, pcapng, or ? (not a capture file)
   3 N       packets in complete records
   4 FIRST   the first packet's timestamp, ns since 1970 (0: no packet)
   5 LAST    the last packet's timestamp
   6 LSTART  where the last packet's record starts (offset in bytes)
   7 LEND    where it ends
   8 SIZE    the file's size
   9 TAIL    bytes after the last complete record (a record cut short)
  10 SNAP    the snap length (pcapng: of the last interface)
  11 CAP     the last packet's captured length
  12 LEN     its length on the wire
  13 BLOCKS  pcapng: the blocks in order, runs of packets counted,
             "SHB,IDB(vA),EPB*686,ISB" (IDB with its if_name, bytes other
             than printable ASCII, and " \\,()", as \\xHH); else "-"
  14 WHY     "-", or why the records stop before the end in a way a cut
             does not explain (a block length that cannot be, a trailing
             length that differs, ...): a malformed file

A record cut short is not an error: it is TAIL. Unlike tests/pcapcheck.py,
which checks complete files strictly, this one only follows the record
lengths.
"""
import struct
import sys

PCAP_MAGICS = {b"\xd4\xc3\xb2\xa1": ("<", False), b"\xa1\xb2\xc3\xd4": (">", False),
               b"\x4d\x3c\xb2\xa1": ("<", True), b"\xa1\xb2\x3c\x4d": (">", True)}
SHB = b"\x0a\x0d\x0d\x0a"


def word(b):
    """b as one word of the output line: a byte that is not printable
    ASCII, or is a space, backslash, comma or parenthesis, as \\xHH."""
    return "".join(chr(c) if 0x21 <= c <= 0x7e and c not in b"\\,()" else "\\x%02x" % c
                   for c in b)


class Layout:
    def __init__(self, d):
        self.d = d
        self.fmt, self.n, self.first, self.last = "?", 0, 0, 0
        self.lstart = self.lend = self.tail = self.snap = self.cap = self.len = 0
        self.blocks, self.why = [], "-"

    def packet(self, start, end, ts, cap, wire):
        if not self.n:
            self.first = ts
        self.n += 1
        self.last, self.lstart, self.lend, self.cap, self.len = ts, start, end, cap, wire

    def block(self, name):
        b = self.blocks
        if name == "EPB" and b and b[-1][0] == "EPB":
            b[-1][1] += 1
        else:
            b.append([name, 1])

    def pcap(self, e, ns):
        """Classic pcap: a 24-byte file header, then records of a 16-byte
        header (seconds, fraction, captured length, length) and the data."""
        d = self.d
        self.fmt = "pcap-ns" if ns else "pcap"
        if len(d) < 24:
            return 0
        self.snap = struct.unpack(e + "I", d[16:20])[0]
        at = 24
        while len(d) - at >= 16:
            sec, frac, cap, wire = struct.unpack(e + "IIII", d[at:at + 16])
            if at + 16 + cap > len(d):
                break
            self.packet(at, at + 16 + cap, sec * 10**9 + frac * (1 if ns else 1000), cap, wire)
            at += 16 + cap
        return at

    def pcapng(self):
        """pcapng: blocks of type, length, body, the length again; a section
        header block sets the byte order, interface description blocks the
        timestamp units of their packets."""
        d = self.d
        self.fmt, e, at, units = "pcapng", "<", 0, []
        while len(d) - at >= 12:
            if d[at:at + 4] == SHB:
                e = "<" if d[at + 8:at + 12] == b"\x4d\x3c\x2b\x1a" else ">"
                units = []
            btype, blen = struct.unpack(e + "II", d[at:at + 8])
            if blen < 12 or blen % 4:
                self.why = "bad-block-length-%d-at-%d" % (blen, at)
                break
            if at + blen > len(d):
                break
            if struct.unpack(e + "I", d[at + blen - 4:at + blen])[0] != blen:
                self.why = "trailing-length-differs-at-%d" % at
                break
            body = d[at + 8:at + blen - 4]
            if btype == 0x0a0d0d0a:
                self.block("SHB")
            elif btype == 1:
                if len(body) < 8:
                    self.why = "short-IDB-at-%d" % at
                    break
                name, unit, o = "", 10**6, 8
                self.snap = struct.unpack(e + "I", body[4:8])[0]
                while o + 4 <= len(body):
                    code, olen = struct.unpack(e + "HH", body[o:o + 4])
                    if code == 0:
                        break
                    val = body[o + 4:o + 4 + olen]
                    if code == 2:
                        name = word(val)
                    elif code == 9 and val:
                        unit = 2**(val[0] & 0x7f) if val[0] & 0x80 else 10**val[0]
                    o += 4 + (olen + 3) // 4 * 4
                units.append(unit)
                self.block("IDB(%s)" % name)
            elif btype == 6:
                if len(body) < 20:
                    self.why = "short-EPB-at-%d" % at
                    break
                iface, hi, lo, cap, wire = struct.unpack(e + "IIIII", body[:20])
                if iface >= len(units):
                    self.why = "EPB-of-interface-%d-of-%d-at-%d" % (iface, len(units), at)
                    break
                self.packet(at, at + blen, ((hi << 32) | lo) * 10**9 // units[iface], cap, wire)
                self.block("EPB")
            elif btype == 5:
                self.block("ISB")
            else:
                self.block("type%d" % btype)
            at += blen
        return at

    def scan(self):
        magic = self.d[:4]
        if magic in PCAP_MAGICS:
            at = self.pcap(*PCAP_MAGICS[magic])
        elif magic == SHB:
            at = self.pcapng()
        else:
            self.why = "not-a-capture-file"
            at = 0
        self.tail = len(self.d) - at
        return self

    def line(self, path):
        blocks = ",".join(b if c == 1 and b != "EPB" else "%s*%d" % (b, c)
                          for b, c in self.blocks)
        return " ".join(str(v) for v in (
            path, self.fmt, self.n, self.first, self.last, self.lstart, self.lend,
            len(self.d), self.tail, self.snap, self.cap, self.len, blocks or "-", self.why))


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            print(Layout(f.read()).scan().line(path))


if __name__ == "__main__":
    main()
