#!/usr/bin/env python3
"""Write hostile.pcapng: a capture file made to stretch every column of
sockcap -r's lines and every corner of its decoder.

Interfaces: a name of 63 bytes of 0x01 (each shown as \\x01: the longest
interface column), a name holding a terminal escape sequence and bytes past
ASCII, a name of 63 printable bytes, and a classic LINUX_SLL2 interface.
Packets: two VLAN tags (802.1ad then 802.1Q) over IPv6 with a destination
options header and TCP with every flag (the longest line), three tags,
802.3/LLC frames (STP, SNAP), LLDP, PPPoE, IPv4 and IPv6 first and later
fragments of UDP and TCP, an IPv6 extension chain too deep to walk, and
frames cut inside each header. Timestamps run from 0 to the largest a
pcapng file can hold.

  mkhostile.py OUT [REPEAT]   REPEAT copies of the packet list (default 1)
  mkhostile.py --ether OUT    the Ethernet packets alone, on one interface
                              named eth, a second apart: a file tcpdump
                              reads (it refuses one of several link types),
                              to compare with "tcpdump -n -S -e -v -r OUT"
  mkhostile.py --flood OUT N  N copies of the longest frame on an interface
                              whose name makes a line of 600 bytes, newline
                              included, with -e -v -tttt when the name is
                              escaped whole; 256 KiB leaves 544 bytes after
                              436 such lines, a length that catches an
                              output buffer which keeps less than a line free
"""
import struct
import sys


def block(btype, body):
    pad = (-len(body)) % 4
    total = 12 + len(body) + pad
    return struct.pack('<II', btype, total) + body + b'\0' * pad + struct.pack('<I', total)


def opt(code, val):
    pad = (-len(val)) % 4
    return struct.pack('<HH', code, len(val)) + val + b'\0' * pad


def shb():
    return block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1) + opt(0, b''))


def idb(linktype, name, snaplen=0):
    opts = (opt(2, name) if name else b'') + opt(9, b'\x09') + opt(0, b'')
    return block(1, struct.pack('<HHI', linktype, 0, snaplen) + opts)


def epb(iface, ts_ns, data, wire_len=None, flags=None):
    wire_len = len(data) if wire_len is None else wire_len
    opts = (opt(2, struct.pack('<I', flags)) + opt(0, b'')) if flags is not None else b''
    pad = (-len(data)) % 4
    body = struct.pack('<IIIII', iface, ts_ns >> 32, ts_ns & 0xffffffff, len(data),
                       wire_len) + data + b'\0' * pad + opts
    return block(6, body)


MAC_A = bytes.fromhex('02000000000a')
MAC_B = bytes.fromhex('02000000000b')
IP_A, IP_B = bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2])
IP6_A = bytes.fromhex('fd000198001800000000000000000001')
IP6_B = bytes.fromhex('fd000198001800000000000000000002')


def eth(etype, dst=MAC_B):
    return dst + MAC_A + struct.pack('>H', etype)


def tag(tci, etype):
    return struct.pack('>HH', tci, etype)


def ip4(proto, payload, frag=0, ident=0x1234, tot=None):
    tot = 20 + len(payload) if tot is None else tot
    return struct.pack('>BBHHHBBH4s4s', 0x45, 0xfc, tot, ident, frag, 1, proto, 0,
                       IP_A, IP_B) + payload


def ip6(nh, payload, plen=None):
    plen = len(payload) if plen is None else plen
    return struct.pack('>IHBB16s16s', 0x6ff12345, plen, nh, 255, IP6_A, IP6_B) + payload


def tcp(flags=0x3f, payload=b'', seq=0xffffffff, ack=0xffffffff):
    return struct.pack('>HHIIBBHHH', 65535, 65535, seq, ack, 5 << 4, flags, 65535, 0,
                       65535) + payload


def udp(payload, ulen=None):
    ulen = 8 + len(payload) if ulen is None else ulen
    return struct.pack('>HHHH', 65535, 65535, ulen, 0) + payload


def dstopt(nh):
    return bytes([nh, 0]) + b'\x01\x04\0\0\0\0'


def frag6(nh, offset, more, ident=0xdeadbeef):
    return struct.pack('>BBHI', nh, 0, (offset << 3) | more, ident)


def packets():
    out = []
    # the longest line: 802.1ad, 802.1Q, IPv6, destination options, TCP
    longest = eth(0x88a8) + tag(0xefff, 0x8100) + tag(0xefff, 0x86dd) + \
        ip6(60, dstopt(6) + tcp(payload=b'x' * 100))
    out.append((0, longest, 65535))
    out.append((0, eth(0x8100) + tag(0xe001, 0x8100) + tag(0xe002, 0x8100) +
                tag(0xe003, 0x0800) + ip4(17, udp(b'abcd')), None))
    # 802.3 with LLC: an STP configuration BPDU, and SNAP (CDP)
    bpdu = b'\x42\x42\x03' + b'\0\0\0\0' + b'\x80\0' + MAC_A + b'\0' * 4 + \
        b'\x80\0' + MAC_A + b'\x80\x01' + b'\0\0\x14\0\x02\0\x0f\0'
    out.append((1, bytes.fromhex('0180c2000000') + MAC_A + struct.pack('>H', len(bpdu)) +
                bpdu + b'\0' * 8, None))
    snap = b'\xaa\xaa\x03\x00\x00\x0c\x20\x00' + b'\x02\xb4\0\0'
    out.append((1, bytes.fromhex('01000ccccccc') + MAC_A + struct.pack('>H', len(snap)) +
                snap + b'\0' * 34, None))
    # LLDP and PPPoE discovery/session
    out.append((2, eth(0x88cc, bytes.fromhex('0180c200000e')) +
                bytes.fromhex('020704') + MAC_A + b'\x04\x03\x03vA' + b'\x06\x02\x00\x78' +
                b'\0\0', None))
    out.append((2, eth(0x8863, b'\xff' * 6) + bytes.fromhex('1109000000040101') + b'\0' * 32,
                None))
    out.append((2, eth(0x8864) + bytes.fromhex('110000010016') + b'\x00\x21' +
                ip4(17, udp(b'x' * 12)), None))
    # fragments: IPv4 UDP first (more fragments), then a later one; TCP first
    out.append((0, eth(0x0800) + ip4(17, udp(b'y' * 1472, ulen=4008), frag=0x2000,
                                     tot=1500), None))
    out.append((0, eth(0x0800) + ip4(17, b'y' * 1480, frag=0x2000 | 185, tot=1500), None))
    out.append((0, eth(0x0800) + ip4(6, tcp(0x18, b'z' * 100), frag=0x2000), None))
    # IPv6: first fragment of UDP, a later one, first of TCP
    out.append((0, eth(0x86dd) + ip6(44, frag6(17, 0, 1) + udp(b'w' * 1232, ulen=4008)), None))
    out.append((0, eth(0x86dd) + ip6(44, frag6(17, 155, 0) + b'w' * 100), None))
    out.append((0, eth(0x86dd) + ip6(44, frag6(6, 0, 1) + tcp(0x18, b'v' * 40)), None))
    # an extension chain deeper than the walk
    chain = b''.join(dstopt(60) for _ in range(9)) + dstopt(17) + udp(b'u')
    out.append((0, eth(0x86dd) + ip6(60, chain), None))
    # cut inside every header of the longest frame
    for cut in (5, 14, 16, 18, 20, 30, 60, 62, 70, 80, 90, 100):
        out.append((0, longest[:cut], len(longest)))
    # the cooked interface: a LINUX_SLL2 header over IPv4/UDP
    sll2 = struct.pack('>HHIHBB8s', 0x0800, 0, 0xffffffff, 1, 4, 6, MAC_A + b'\0\0')
    out.append((3, sll2 + ip4(17, udp(b'sll2')), None))
    return out


def flood(path, n):
    frame = packets()[0][1]
    data = [shb(), idb(1, b'\x01' * 56 + b'A' * 6)]
    data += [epb(0, i * 1000000001, frame, 65535, flags=1) for i in range(n)]
    with open(path, 'wb') as f:
        f.write(b''.join(data))


def ether(path):
    data = [shb(), idb(1, b'eth')]
    data += [epb(0, i * 1000000000, frame, wire)
             for i, (iface, frame, wire) in enumerate(packets()) if iface != 3]
    with open(path, 'wb') as f:
        f.write(b''.join(data))


def epb_note(iface, ts_ns, data, notes, flags=1):
    """An EPB with epb_flags and opt_comment options (several: all kept)."""
    opts = opt(2, struct.pack('<I', flags)) + b''.join(opt(1, n) for n in notes) + opt(0, b'')
    pad = (-len(data)) % 4
    body = struct.pack('<IIIII', iface, ts_ns >> 32, ts_ns & 0xffffffff, len(data),
                       len(data)) + data + b'\0' * pad + opts
    return block(6, body)


def comments(path):
    """Process comments as sockcap writes them, and hostile ones: each must
    print its owners or none, never bytes it does not hold."""
    t = tcp(0x18, b'hi')
    u = udp(b'hello')
    one = b'sockcap: pid=4242 comm=curl uid=1000 cgroup=/user.slice/user-1000.slice'
    notes = [
        [one],
        [b'sockcap: pid=80 comm=nginx uid=33 cgroup=/system.slice/nginx.service '
         b'peer_pid=4242 peer_comm=curl peer_uid=1000 peer_cgroup=/user.slice'],
        [b'sockcap: peer_pid=7 peer_comm=only-peer peer_uid=0'],
        [b'a comment of another tool', one],       # sockcap's, behind it
        [b'sockcap: pid=abc comm=bad-pid uid=0'],    # no pid: no owner
        [b'sockcap: pid=99999999999 comm=overflow uid=0'],
        [b'sockcap: pid=5 comm=' + b'L' * 40 + b' uid=4294967295'],
        [b'sockcap: pid=6 comm=ctl\x01\x1b[31m\xff uid=1 cgroup=/a\x1b]0;x\x07b'],
        [b'sockcap: pid=7 comm= uid='],              # empty values
        [b'sockcap: pid=8 comm=x=y==z uid=2 junk noequals =v'],
        [b'sockcap: pid=9 comm=a\0b uid=3'],         # a NUL inside
        [b'sockcap:'],                               # the prefix cut
        [b'sockcap: pid=10 comm=' + b'c' * 2000],    # longer than any line
        [b'sockcap: pid=11 comm=last uid=12 cgroup=' + b'/d' * 600],
    ]
    data = [shb(), idb(1, b'vA')]
    for i, n in enumerate(notes):
        frame = eth(0x0800) + (ip4(6, t) if i % 2 == 0 else ip4(17, u))
        data.append(epb_note(0, 1700000000000000000 + i * 1000001, frame, n))
    with open(path, 'wb') as f:
        f.write(b''.join(data))


def main():
    if sys.argv[1] == '--comments':
        comments(sys.argv[2])
        return
    if sys.argv[1] == '--flood':
        flood(sys.argv[2], int(sys.argv[3]))
        return
    if sys.argv[1] == '--ether':
        ether(sys.argv[2])
        return
    path = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    data = [shb(), idb(1, b'\x01' * 63), idb(1, b'\x1b[31mred\x1b[0m\xff\xfe tab\there'),
            idb(1, b'A' * 63), idb(276, b'any')]
    pk = packets()
    n = 0
    for r in range(repeat):
        for i, (iface, frame, wire) in enumerate(pk):
            # a second apart from the epoch on, once back in time, and last
            # the end of what 64 bits of nanoseconds hold
            ts = n * 1000000001 if n != 5 else 0
            if r == repeat - 1 and i == len(pk) - 1:
                ts = (1 << 64) - 1
            data.append(epb(iface, ts, frame, wire, flags=1 + (i % 2)))
            n += 1
    with open(path, 'wb') as f:
        f.write(b''.join(data))


main()
