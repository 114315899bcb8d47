#!/usr/bin/env python3
"""mkcbpf.py: write the frames tests/test_cbpf and tests/test_cbpf_live
hold sockcap's classic BPF translation against libpcap's interpreter with
(tests/cbpf_common.c reads them, with tests/golden/deep-*.pcap).

  mkcbpf.py [DIR]      (default: tests/golden beside this program)

Writes, in DIR:
  cbpf-frames.pcap       the corpus: frames cut short at every header,
                         IPv4/IPv6 with options, extension header chains,
                         fragments, ARP/RARP, VLAN and QinQ, MPLS, PPPoE,
                         802.3/LLC, odd ethertypes, big frames, random bytes
  cbpf-sll2-frames.pcap  what the LINUX_SLL2 part adds to the corpus:
                         frames to loopback's own (all-zero) address, and
                         802.3 length fields that make ETH_P_802_3; Ethernet
                         still, as the test run takes them (the test makes
                         each frame's LINUX_SLL2 packet itself: its header
                         holds loopback's interface index, known at run time)
  cbpf-check-frames.pcap single frames for targeted checks, which the tests
                         find by name: a TCP SYN, IPv6 chains of 2, 3, 64 and
                         65 destination options headers, an AH header that
                         points back to itself
and beside each FILE.pcap, FILE.pcap.names: "N NAME" per frame, the name
the tests print for frame N.

Classic pcap, LINKTYPE_ETHERNET, microsecond timestamps, snap length
262144; frame N (1-based) is stamped 1700000000 + N seconds, and its
original length is its captured length (a frame cut short is cut in the
corpus, not by a snap length). Checksums are left zero: the filters do
not read them. Plain struct packing and a fixed xorshift32 seed for the
random frames: the files are byte-for-byte reproducible.
"""
import os
import struct
import sys

FRAME_MAX = 3600  # tests/cbpf_common.h: what BPF_PROG_TEST_RUN takes

MAC_ZERO = bytes(6)  # loopback's address
MAC_A = bytes([2, 0, 0, 0, 0, 1])
MAC_B = bytes([2, 0, 0, 0, 0, 2])
MAC_BC = b'\xff' * 6
MAC_MC4 = bytes([0x01, 0x00, 0x5e, 0x00, 0x00, 0x01])
MAC_MC6 = bytes([0x33, 0x33, 0x00, 0x00, 0x00, 0x01])
MAC_STP = bytes([0x01, 0x80, 0xc2, 0x00, 0x00, 0x00])

IP_A = bytes([198, 18, 0, 1])
IP_B = bytes([198, 18, 0, 2])
IP_C = bytes([198, 19, 255, 254])
IP_D = bytes([192, 0, 2, 1])
IP_E = bytes([10, 0, 0, 1])
IP_MC = bytes([224, 0, 0, 1])
IP_BC = b'\xff' * 4
IP_Z = bytes(4)


def ip6addr(*head, last):
    return bytes(head) + bytes(15 - len(head)) + bytes([last])


IP6_A = ip6addr(0x20, 0x01, 0x0d, 0xb8, last=1)
IP6_B = ip6addr(0x20, 0x01, 0x0d, 0xb8, last=2)
IP6_LL = ip6addr(0xfe, 0x80, last=1)
IP6_MC = ip6addr(0xff, 0x02, last=1)
IP6_C = ip6addr(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, last=3)


class Frame:
    """A frame under construction, at most FRAME_MAX bytes (more is
    dropped)."""

    def __init__(self):
        self.b = bytearray()

    def __len__(self):
        return len(self.b)

    def put(self, data):
        self.b += bytes(data)[:FRAME_MAX - len(self.b)]

    def p8(self, v):
        self.put(bytes([v & 0xff]))

    def p16(self, v):
        self.put(struct.pack('!H', v & 0xffff))

    def p32(self, v):
        self.put(struct.pack('!I', v & 0xffffffff))

    def pz(self, n):
        self.put(bytes(n))

    def set16(self, at, v):
        self.b[at:at + 2] = struct.pack('!H', v)


def eth(dst, src, etype):
    p = Frame()
    p.put(dst)
    p.put(src)
    p.p16(etype)
    return p


def ip4(p, src, dst, proto, ihl, frag, ttl):
    """IPv4 header, total length 0 until ip4_done; options (ihl > 5) are a
    router alert, then NOPs. Returns where it starts."""
    at = len(p)
    p.put(struct.pack('!BBHHHBBH', 0x40 | (ihl & 0xf), 0xb8, 0, 0x1234, frag, ttl,
                      proto, 0))
    p.put(src)
    p.put(dst)
    for i in range(5, ihl):
        p.p32(0x94040000 if i == 5 else 0x01010101)
    return at


def ip4_done(p, at):
    p.set16(at + 2, len(p) - at)


def ip6(p, src, dst, nh, hlim):
    """IPv6 header (traffic class 0xb8, flow label 0x12345), payload length
    0 until ip6_done."""
    at = len(p)
    p.put(struct.pack('!IHBB', 0x6b812345, 0, nh, hlim))
    p.put(src)
    p.put(dst)
    return at


def ip6_done(p, at):
    p.set16(at + 4, len(p) - at - 40)


def ext6(p, nh, units):
    """hop-by-hop, destination options or routing header, 8 * (units + 1)
    bytes"""
    p.p8(nh)
    p.p8(units)
    p.pz(6 + 8 * units)


def frag6(p, nh, off, more):
    p.put(struct.pack('!BBHI', nh, 0, (off << 3) | more, 0xdeadbeef))


def ah(p, nh, length):
    """AH: its length field counts 4-byte units minus 2"""
    p.p8(nh)
    p.p8(length)
    p.pz((length + 2) * 4 - 2)


def tcp(p, sport, dport, flags, doff, payload):
    p.put(struct.pack('!HHIIBBHHH', sport, dport, 0x01020304,
                      0x0a0b0c0d if flags & 0x10 else 0, (doff << 4) & 0xff, flags,
                      65535, 0, 7 if flags & 0x20 else 0))
    for i in range(5, doff):
        p.p32(0x020405b4 if i == 5 else 0x01010101)  # MSS, then NOPs
    p.put(bytes(b'GET / HTTP/1.1\r\n'[i % 16] for i in range(payload)))


def udp(p, sport, dport, payload):
    p.put(struct.pack('!HHHH', sport, dport, 8 + payload, 0))
    p.put(bytes(i * 7 & 0xff for i in range(payload)))


def icmp(p, itype, code):
    p.put(struct.pack('!BBHHH', itype, code, 0, 0x1234, 1))
    p.pz(8)


def arp(p, op, sha, spa, tha, tpa):
    p.put(struct.pack('!HHBBH', 1, 0x0800, 6, 4, op))
    for a in (sha, spa, tha, tpa):
        p.put(a)


def v4_tcp(dmac, s, d, sport, dport, flags, pay):
    p = eth(dmac, MAC_A, 0x0800)
    at = ip4(p, s, d, 6, 5, 0x4000, 64)
    tcp(p, sport, dport, flags, 5, pay)
    ip4_done(p, at)
    return p


def v4_udp(dmac, s, d, sport, dport, pay):
    p = eth(dmac, MAC_A, 0x0800)
    at = ip4(p, s, d, 17, 5, 0, 64)
    udp(p, sport, dport, pay)
    ip4_done(p, at)
    return p


def v6_chain(nhs, last):
    """IPv6 with a chain of extension headers (0, 43, 44, 51, 60) then
    TCP, UDP or ICMPv6 (last)"""
    p = eth(MAC_B, MAC_A, 0x86dd)
    at = ip6(p, IP6_A, IP6_B, nhs[0] if nhs else last, 64)
    for i, h in enumerate(nhs):
        nh = nhs[i + 1] if i + 1 < len(nhs) else last
        if h == 44:
            frag6(p, nh, 0, True)
        elif h == 51:
            ah(p, nh, 4)
        else:
            ext6(p, nh, 1 if i % 3 == 2 else 0)
    if last == 6:
        tcp(p, 40000, 80, 0x02, 5, 0)
    elif last == 17:
        udp(p, 53, 40000, 12)
    elif last == 58:
        icmp(p, 128, 0)
    ip6_done(p, at)
    return p


class Corpus:
    """frames and their names, in order"""

    def __init__(self):
        self.frames = []

    def add(self, p, name, cut=None):
        """p's bytes (bytes, or a Frame), the first cut of them when given"""
        b = bytes(p.b if isinstance(p, Frame) else p)
        self.frames.append((b if cut is None else b[:cut], name))


# ------------------------------------------------------------ the corpus

TCP_FLAGS = [0x02, 0x12, 0x10, 0x11, 0x04, 0x14, 0x18, 0x30, 0xc2, 0x00, 0xff,
             0x01, 0x29, 0x52]
PORTS = [(40000, 80), (80, 40000), (65535, 443), (0, 0), (53, 53), (1500, 1500),
         (22, 1023), (1024, 2000)]
SRCS = [IP_A, IP_B, IP_C, IP_D, IP_E]
DSTS = [IP_B, IP_A, IP_E, IP_C, IP_D]


def short_frames(c):
    """shorter than any header"""
    c.add(b'', 'empty')
    c.add(b'\xff', '1 byte')
    c.add(b'\xff' + MAC_BC[:5], '6 bytes')
    p = eth(MAC_BC, MAC_A, 0x0800)
    c.add(p, '12 bytes: MACs', 12)
    c.add(p, '13 bytes', 13)
    c.add(p, '14 bytes: IPv4 ethertype only')
    c.add(eth(MAC_B, MAC_A, 0x86dd), '14 bytes: IPv6 ethertype only')
    p = eth(MAC_BC, MAC_A, 0x0806)
    c.add(p, '14 bytes: ARP ethertype only')
    p.p8(0x45)
    c.add(p, '15 bytes: IPv4 version byte')


def tcp4_frames(c):
    """IPv4 TCP: flag combinations, ports, addresses, data offsets"""
    for i, flags in enumerate(TCP_FLAGS):
        sport, dport = PORTS[i % len(PORTS)]
        c.add(v4_tcp(MAC_B if i % 5 else MAC_BC, SRCS[i % 5], DSTS[(i + 2) % 5], sport,
                     dport, flags, 0 if i % 3 else 16),
              'v4 tcp flags %#x %u>%u' % (flags, sport, dport))
    for sport, dport in PORTS:
        c.add(v4_tcp(MAC_B, IP_A, IP_B, sport, dport, 0x18, 40),
              'v4 tcp data %u>%u' % (sport, dport))
    # data offsets: options, and nonsense below 5
    for doff in (0, 4, 8, 15):
        p = eth(MAC_B, MAC_A, 0x0800)
        at = ip4(p, IP_A, IP_B, 6, 5, 0, 64)
        tcp(p, 443, 50000, 0x12, doff, 4)
        ip4_done(p, at)
        c.add(p, 'v4 tcp doff %u' % doff)
    # a TLS record starting after 20 bytes of TCP
    p = eth(MAC_B, MAC_A, 0x0800)
    at = ip4(p, IP_D, IP_A, 6, 5, 0x4000, 57)
    tcp(p, 50000, 443, 0x18, 5, 0)
    p.p16(0x1603)
    p.p8(0x01)
    p.pz(30)
    ip4_done(p, at)
    c.add(p, 'v4 tcp tls client hello')


FRAGS = [(0x2000, 6, 'first (MF)'), (0x20b9, 6, 'middle'), (0x0172, 6, 'last'),
         (0x4000, 17, 'DF udp'), (0x2000, 17, 'first udp'), (0x0003, 17, 'last udp'),
         (0x1fff, 1, 'max offset icmp'), (0xe000, 6, 'all flags')]


def ip4_frames(c):
    """header lengths (options, nonsense below 5), fragments"""
    for ihl in (0, 3, 4, 5, 6, 7, 15):
        p = eth(MAC_B, MAC_A, 0x0800)
        at = ip4(p, IP_B, IP_A, 6, ihl, 0, 128)  # 20 bytes for ihl < 5
        tcp(p, 8080, 80, 0x02, 5, 0)
        ip4_done(p, at)
        c.add(p, 'v4 ihl %u tcp' % ihl)
    for frag, proto, name in FRAGS:
        p = eth(MAC_B, MAC_A, 0x0800)
        at = ip4(p, IP_A, IP_C, proto, 5, frag, 64)
        if proto == 6:
            tcp(p, 40000, 80, 0x02, 5, 8)
        elif proto == 17:
            udp(p, 53, 53, 16)
        else:
            icmp(p, 8, 0)
        ip4_done(p, at)
        c.add(p, 'v4 fragment ' + name)


def udp4_frames(c):
    """UDP, and Geneve (RFC 8926) carrying Ethernet/IPv4/TCP"""
    c.add(v4_udp(MAC_B, IP_A, IP_D, 40000, 53, 30), 'v4 udp dns query')
    c.add(v4_udp(MAC_B, IP_D, IP_A, 53, 40000, 120), 'v4 udp dns answer')
    c.add(v4_udp(MAC_B, IP_A, IP_C, 40001, 33434, 0), 'v4 udp traceroute')
    c.add(v4_udp(MAC_BC, IP_Z, IP_BC, 68, 67, 240), 'v4 udp dhcp broadcast')
    c.add(v4_udp(MAC_MC4, IP_A, IP_MC, 5353, 5353, 20), 'v4 udp multicast')
    c.add(v4_udp(MAC_B, IP_A, IP_B, 0, 65535, 1), 'v4 udp ports 0>65535')
    c.add(v4_udp(MAC_B, IP_A, IP_B, 65535, 0, 2), 'v4 udp ports 65535>0')
    inner = v4_tcp(MAC_B, IP_C, IP_D, 1234, 80, 0x02, 0)
    p = eth(MAC_B, MAC_A, 0x0800)
    at = ip4(p, IP_A, IP_B, 17, 5, 0, 64)
    p.put(struct.pack('!HHHHII', 40000, 6081, 16 + len(inner), 0, 0x00006558, 100 << 8))
    p.put(inner.b)
    ip4_done(p, at)
    c.add(p, 'v4 geneve vni 100 inner tcp')


def other4_frames(c):
    """ICMP, other protocols, tunnels, total lengths that disagree"""
    for i, (itype, code) in enumerate([(8, 0), (0, 0), (3, 4), (11, 0), (5, 1), (13, 0)]):
        p = eth(MAC_B, MAC_A, 0x0800)
        at = ip4(p, SRCS[i % 5], DSTS[i % 5], 1, 5, 0, 64 if i else 1)
        icmp(p, itype, code)
        ip4_done(p, at)
        c.add(p, 'v4 icmp %u/%u' % (itype, code))
    for proto in (2, 47, 50, 51, 89, 103, 112, 132, 255, 0):
        p = eth(MAC_MC4 if proto == 2 else MAC_B, MAC_A, 0x0800)
        at = ip4(p, IP_A, IP_MC if proto == 2 else IP_B, proto, 5, 0, 64)
        p.put(struct.pack('!HHII', 9, 9, 0x11223344, 0x55667788))
        ip4_done(p, at)
        c.add(p, 'v4 proto %u' % proto)
    p = eth(MAC_B, MAC_A, 0x0800)
    at = ip4(p, IP_A, IP_B, 4, 5, 0, 64)
    at2 = ip4(p, IP_C, IP_D, 6, 5, 0, 64)
    tcp(p, 1, 2, 0x02, 5, 0)
    ip4_done(p, at2)
    ip4_done(p, at)
    c.add(p, 'v4 in v4')
    p = eth(MAC_B, MAC_A, 0x0800)
    at = ip4(p, IP_A, IP_B, 41, 5, 0, 64)
    at2 = ip6(p, IP6_A, IP6_B, 6, 64)
    tcp(p, 1, 2, 0x02, 5, 0)
    ip6_done(p, at2)
    ip4_done(p, at)
    c.add(p, 'v6 in v4')
    p = v4_tcp(MAC_B, IP_A, IP_B, 1, 80, 0x02, 0)
    p.set16(16, 1500)
    c.add(p, 'v4 total length > frame')
    p.set16(16, 20)
    c.add(p, 'v4 total length = header')
    p = v4_tcp(MAC_B, IP_A, IP_B, 1, 80, 0x02, 0)
    p.b[14] = 0x65
    c.add(p, 'v4 ethertype, version 6')


V6 = [(IP6_A, IP6_B, MAC_B, 6, 64), (IP6_B, IP6_A, MAC_B, 6, 255),
      (IP6_A, IP6_B, MAC_B, 17, 1), (IP6_LL, IP6_MC, MAC_MC6, 58, 255),
      (IP6_A, IP6_C, MAC_B, 58, 64), (IP6_LL, IP6_A, MAC_B, 17, 64),
      (IP6_C, IP6_MC, MAC_MC6, 17, 2), (IP6_A, IP6_B, MAC_B, 132, 64),
      (IP6_A, IP6_B, MAC_B, 50, 64), (IP6_A, IP6_B, MAC_B, 59, 64)]

CHAINS = [([0], 6), ([60], 17), ([43], 6), ([44], 6), ([51], 6), ([0, 60, 43, 44], 6),
          ([0, 60, 43, 44], 17), ([0], 59), ([0], 58), ([0, 51], 17), ([51, 51], 6),
          ([60] * 8, 6), ([0, 0], 50), ([43, 60], 58)]


def ip6_frames(c):
    """next headers, ICMPv6 types, extension header chains"""
    for i, (s, d, mac, nh, hl) in enumerate(V6):
        p = eth(mac, MAC_A, 0x86dd)
        at = ip6(p, s, d, nh, hl)
        if nh == 6:
            tcp(p, 80 if i else 40000, 40000 if i else 80, 0x12 if i else 0x02, 5, i * 10)
        elif nh == 17:
            udp(p, 546 + i, 53, 20)
        elif nh == 58:
            icmp(p, 135 if i == 3 else 128, 0)
        else:
            p.pz(16)
        ip6_done(p, at)
        c.add(p, 'v6 nh %u hlim %u #%u' % (nh, hl, i))
    for itype in (128, 129, 133, 134, 135, 136, 143, 1, 2, 3):
        p = eth(MAC_MC6, MAC_A, 0x86dd)
        at = ip6(p, IP6_LL, IP6_MC, 58, 255)
        icmp(p, itype, 0)
        ip6_done(p, at)
        c.add(p, 'v6 icmp6 type %u' % itype)
    # "protochain" walks them
    for nhs, last in CHAINS:
        c.add(v6_chain(nhs, last), 'v6 ext %s%u' % (''.join('%u,' % h for h in nhs), last))
    # Long chains: each header is a backward jump, and the budget (64) is
    # per packet; test_cbpf's check_back_jumps() has the longer ones.
    hbh = [0] + [60] * 63
    c.add(v6_chain(hbh[:30], 17), 'v6 ext 30 headers, udp')
    c.add(v6_chain(hbh, 17), 'v6 ext 64 headers, cut at 20', 14 + 40 + 8 * 20 + 3)
    # an extension header whose length points past the frame
    p = eth(MAC_B, MAC_A, 0x86dd)
    at = ip6(p, IP6_A, IP6_B, 0, 64)
    p.p8(6)
    p.p8(200)
    p.pz(30)
    ip6_done(p, at)
    c.add(p, 'v6 hbh length past the end')
    p = eth(MAC_B, MAC_A, 0x86dd)
    at = ip6(p, IP6_A, IP6_B, 44, 64)
    frag6(p, 6, 100, False)
    p.pz(24)
    ip6_done(p, at)
    c.add(p, 'v6 fragment offset 100')
    p = v4_tcp(MAC_B, IP_A, IP_B, 1, 80, 0x02, 0)
    p.set16(12, 0x86dd)
    c.add(p, 'v6 ethertype, v4 packet')


def arp_frames(c):
    """ARP and RARP"""
    p = eth(MAC_BC, MAC_A, 0x0806)
    arp(p, 1, MAC_A, IP_A, MAC_BC, IP_B)
    c.add(p, 'arp request')
    p = eth(MAC_A, MAC_B, 0x0806)
    arp(p, 2, MAC_B, IP_B, MAC_A, IP_A)
    c.add(p, 'arp reply')
    p = eth(MAC_BC, MAC_A, 0x0806)
    arp(p, 1, MAC_A, IP_C, MAC_BC, IP_C)
    p.pz(18)
    c.add(p, 'arp gratuitous padded')
    p = eth(MAC_BC, MAC_A, 0x8035)
    arp(p, 3, MAC_A, IP_Z, MAC_A, IP_Z)
    c.add(p, 'rarp request')
    p = eth(MAC_A, MAC_B, 0x8035)
    arp(p, 4, MAC_B, IP_D, MAC_A, IP_A)
    c.add(p, 'rarp reply')
    p = eth(MAC_BC, MAC_A, 0x0806)
    arp(p, 1, MAC_A, IP_A, MAC_BC, IP_B)
    p.b[18] = 16
    c.add(p, 'arp hlen 16')
    c.add(p, 'arp cut at 30', 30)


VLANS = [([0x8100], [10], 0x0800), ([0x8100], [20], 0x86dd), ([0x8100], [100], 0x0806),
         ([0x8100], [4095], 0x0800), ([0x8100], [0x6000], 0x0800),
         ([0x88a8, 0x8100], [10, 20], 0x0800), ([0x8100, 0x8100], [20, 10], 0x86dd),
         ([0x9100, 0x8100], [30, 100], 0x0800),
         ([0x88a8, 0x8100, 0x8100], [1, 2, 10], 0x0800), ([0x8100], [10], 0x8847)]


def vlan_frames(c):
    """802.1Q, QinQ, odd TPIDs"""
    for i, (tpids, vids, inner) in enumerate(VLANS):
        p = eth(MAC_B if i % 4 else MAC_BC, MAC_A, tpids[0])
        for j, vid in enumerate(vids):
            p.p16(vid)
            p.p16(tpids[j + 1] if j + 1 < len(vids) else inner)
        if inner == 0x0800:
            at = ip4(p, IP_A, IP_B, 6, 5, 0, 64)
            tcp(p, 40000, 80, 0x02, 5, 0)
            ip4_done(p, at)
        elif inner == 0x86dd:
            at = ip6(p, IP6_A, IP6_B, 17, 64)
            udp(p, 53, 53, 8)
            ip6_done(p, at)
        elif inner == 0x0806:
            arp(p, 1, MAC_A, IP_A, MAC_BC, IP_B)
        else:
            p.p32((100 << 12) | 0x100 | 64)
            at = ip4(p, IP_A, IP_B, 17, 5, 0, 64)
            udp(p, 1, 2, 4)
            ip4_done(p, at)
        c.add(p, 'vlan %#x/%u x%u inner %#x' % (tpids[0], vids[0], len(vids), inner))
    c.add(p, 'vlan cut at 16', 16)


def l2_frames(c):
    """MPLS, PPPoE, 802.3 with LLC and SNAP, other ethertypes"""
    p = eth(MAC_B, MAC_A, 0x8847)
    p.p32((100 << 12) | 0x100 | 64)
    at = ip4(p, IP_A, IP_B, 6, 5, 0, 64)
    tcp(p, 40000, 80, 0x02, 5, 0)
    ip4_done(p, at)
    c.add(p, 'mpls 100 ipv4')
    p = eth(MAC_B, MAC_A, 0x8847)
    p.p32((200 << 12) | 64)
    p.p32((300 << 12) | 0x100 | 64)
    at = ip4(p, IP_A, IP_B, 17, 5, 0, 64)
    udp(p, 53, 53, 0)
    ip4_done(p, at)
    c.add(p, 'mpls 200/300 ipv4')
    p = eth(MAC_B, MAC_A, 0x8864)
    p.put(struct.pack('!BBHHH', 0x11, 0, 0x1234, 2 + 40, 0x0021))
    at = ip4(p, IP_A, IP_B, 6, 5, 0, 64)
    tcp(p, 40000, 80, 0x02, 5, 0)
    ip4_done(p, at)
    c.add(p, 'pppoe session ipv4')
    p = eth(MAC_BC, MAC_A, 0x8863)
    p.put(struct.pack('!BBHHI', 0x11, 0x09, 0, 4, 0x01010000))
    c.add(p, 'pppoe discovery')
    p = eth(MAC_STP, MAC_A, 38)  # a spanning tree BPDU
    p.put(b'\x42\x42\x03')
    p.pz(35)
    c.add(p, '802.3 llc stp')
    p = eth(MAC_B, MAC_A, 100)
    p.put(b'\xaa\xaa\x03\0\0\0\x08\x00')
    at = ip4(p, IP_A, IP_B, 17, 5, 0, 64)
    udp(p, 1, 2, 0)
    ip4_done(p, at)
    c.add(p, '802.3 snap ipv4')
    for i, etype in enumerate([0x88cc, 0x8137, 0x809b, 0x6003, 0x0000, 0xffff, 0x88e5,
                               0x22f3, 0x0600, 0x05dc]):
        p = eth(MAC_MC4 if i & 1 else MAC_B, MAC_A, etype)
        p.put(bytes((j * 37 + i) & 0xff for j in range(46)))
        c.add(p, 'ethertype %#06x' % etype)


CUTS = [15, 16, 20, 22, 23, 24, 25, 26, 30, 33, 34, 35, 36, 37, 38, 40, 42, 46, 47, 48, 50,
        53, 54, 55, 57, 58, 62, 66, 70]


def big_and_cut_frames(c):
    """big frames, and frames cut short at every interesting length"""
    c.add(v4_tcp(MAC_B, IP_A, IP_B, 40000, 80, 0x10, 1460), 'v4 tcp 1514 bytes')
    p = eth(MAC_B, MAC_A, 0x86dd)
    at = ip6(p, IP6_A, IP6_B, 17, 64)
    udp(p, 4000, 4001, 3000)
    ip6_done(p, at)
    c.add(p, 'v6 udp jumbo %u bytes' % len(p))
    p = eth(MAC_B, MAC_A, 0x0800)
    at = ip4(p, IP_A, IP_B, 6, 7, 0, 64)
    tcp(p, 40000, 80, 0x12, 6, 0)
    ip4_done(p, at)
    for n in CUTS:
        c.add(p, 'v4 opts tcp cut at %u' % n, n)
    p = v6_chain([0, 44], 6)
    for n in CUTS:
        c.add(p, 'v6 hbh frag tcp cut at %u' % (n + 20), n + 20)
    p = eth(MAC_B, MAC_A, 0x8100)
    p.p16(10)
    p.p16(0x0800)
    at = ip4(p, IP_A, IP_B, 17, 5, 0, 64)
    udp(p, 53, 53, 4)
    ip4_done(p, at)
    for n in CUTS[3:23:2]:
        c.add(p, 'vlan udp cut at %u' % n, n)


class Xorshift32:
    """the corpus's random numbers: xorshift32 from a fixed seed"""

    def __init__(self, seed=0x5eed1234):
        self.s = seed

    def __call__(self):
        s = self.s
        s ^= (s << 13) & 0xffffffff
        s ^= s >> 17
        s ^= (s << 5) & 0xffffffff
        self.s = s
        return s


def noise_frames(c):
    """random bytes, some behind a plausible IPv4/IPv6 start"""
    rnd = Xorshift32()
    for i in range(30):
        n = rnd() % (120 if i < 20 else 1600)
        b = bytearray(rnd() & 0xff for _ in range(n))
        if i % 3 == 1 and n > 15:
            b[12:14] = b'\x08\x00'
            b[14] = 0x40 | (rnd() % 16)
        elif i % 3 == 2 and n > 21:
            b[12:15] = b'\x86\xdd\x60'
            b[20] = b'\x00\x06\x11\x2b\x2c\x3a\x3c\x33'[rnd() % 8]
        c.add(b, 'random #%u, %u bytes' % (i, n))


def corpus():
    c = Corpus()
    for part in (short_frames, tcp4_frames, ip4_frames, udp4_frames, other4_frames,
                 ip6_frames, arp_frames, vlan_frames, l2_frames, big_and_cut_frames,
                 noise_frames):
        part(c)
    return c


def sll2_frames():
    """what the corpus lacks for LINUX_SLL2: frames to loopback's own
    address (no corpus frame is PACKET_HOST there), and 802.3 length fields
    that give ETH_P_802_3"""
    c = Corpus()
    c.add(v4_tcp(MAC_ZERO, IP_A, IP_B, 40000, 80, 0x02, 0),
          "v4 tcp syn to loopback's address")
    p = eth(MAC_ZERO, MAC_B, 0x86dd)
    at = ip6(p, IP6_B, IP6_A, 17, 64)
    udp(p, 53, 40000, 20)
    ip6_done(p, at)
    c.add(p, "v6 udp to loopback's address")
    p = eth(MAC_ZERO, MAC_B, 0x0806)
    arp(p, 2, MAC_B, IP_B, MAC_ZERO, IP_A)
    c.add(p, "arp reply to loopback's address")
    p = eth(MAC_B, MAC_A, 30)
    p.p16(0xffff)
    p.pz(28)
    c.add(p, '802.3 raw (ipx)')
    p = eth(MAC_ZERO, MAC_A, 2)
    p.p16(0xffff)
    c.add(p, "802.3 raw, 16 bytes, to loopback's address")
    p = eth(MAC_B, MAC_A, 1)
    p.p8(0xff)
    c.add(p, '802.3, a single 0xff (802.2)')
    p = eth(MAC_MC4, MAC_A, 0x05ff)
    p.p16(0xfffe)
    p.pz(40)
    c.add(p, '802.3 length 0x5ff, llc')
    return c


def check_frames():
    """the frames of test_cbpf's targeted checks, found by name"""
    c = Corpus()
    c.add(v4_tcp(MAC_B, IP_A, IP_B, 40000, 80, 0x02, 0), 'v4 tcp syn')
    for n in (65, 64, 2, 3):
        c.add(v6_chain([60] * n, 6), 'v6 %u extension headers' % n)
    p = eth(MAC_B, MAC_A, 0x86dd)
    at = ip6(p, IP6_A, IP6_B, 51, 64)
    p.p8(51)
    p.p8(8)
    p.pz(38)
    ip6_done(p, at)
    c.add(p, 'v6 AH pointing to itself')
    return c


def write(path, c):
    out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)]
    names = []
    for n, (b, name) in enumerate(c.frames, 1):
        out.append(struct.pack('<IIII', 1700000000 + n, 0, len(b), len(b)) + b)
        names.append('%u %s\n' % (n, name))
    with open(path, 'wb') as f:
        f.write(b''.join(out))
    with open(path + '.names', 'w') as f:
        f.write('# written by tests/mkcbpf.py: frame number, then its name\n')
        f.write(''.join(names))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'golden')
    write(os.path.join(outdir, 'cbpf-frames.pcap'), corpus())
    write(os.path.join(outdir, 'cbpf-sll2-frames.pcap'), sll2_frames())
    write(os.path.join(outdir, 'cbpf-check-frames.pcap'), check_frames())


if __name__ == '__main__':
    main()
