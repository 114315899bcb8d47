#!/usr/bin/env python3
"""decode_frames.py: what live_decode.sh sends to compare sockcap's lines
with tcpdump's.

  decode_frames.py big SRC SPORT DST DPORT
      one UDP datagram of 4000 bytes, fragmented by the sender (no path MTU
      discovery, so no DF and no EMSGSIZE)
  decode_frames.py frames IFACE SRC4 SRC6
      the crafted frames below (802.3/LLC, STP, SNAP, LLDP, 802.1ad and
      triple tags, IPv4 and IPv6 first and later fragments), once each, from
      IFACE through a packet socket
"""
import socket, struct, sys

sys.dont_write_bytecode = True
from pkt import csum  # noqa: E402

NOBODY = bytes.fromhex("020000000063")
STP_MAC = bytes.fromhex("0180c2000000")
CDP_MAC = bytes.fromhex("01000ccccccc")
LLDP_MAC = bytes.fromhex("0180c200000e")

def big(src, sport, dst, dport):
    v6 = ":" in dst
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, 23, 0)  # IPV6_MTU_DISCOVER: DONT
    else:
        s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: DONT
    s.bind((src, int(sport)))
    s.sendto(b"f" * 4000, (dst, int(dport)))
    s.close()

def ip4(src, proto, payload, frag):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x4d2, frag, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton("198.18.0.99"))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def ip6(src, payload, offset, more):
    frag = struct.pack("!BBHI", payload[0], 0, (offset << 3) | more, 0xdec0de)
    return struct.pack("!IHBB16s16s", 0x60000000, 8 + len(payload) - 1, 44, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, "fd00:198:18::99")) + frag + payload[1:]

def tcp(payload):
    return struct.pack("!HHIIBBHHH", 40020, 40021, 1000, 2000, 5 << 4, 0x18, 512, 0, 0) + payload

def udp(payload, dport=40031):
    return struct.pack("!HHHH", dport - 1, dport, 8 + len(payload), 0) + payload

def echo(payload):
    m = struct.pack("!BBHHH", 8, 0, 0, 77, 5) + payload
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]

def dot3(payload):
    """an 802.3 length field, the payload, padding to 60 bytes"""
    f = struct.pack("!H", len(payload)) + payload
    return f + b"\0" * max(0, 46 - len(f))

def bpdu(version, btype, flags):
    b = struct.pack("!HBB", 0, version, btype)
    if btype != 0x80:
        b += struct.pack("!BH6sIH6sHHHHH", flags, 0x8000, NOBODY, 4, 0x8000,
                         bytes.fromhex("02000000000b"), 0x8001, 256, 20 * 256, 512, 15 * 256)
        if version >= 2:
            b += b"\0"
    return b"\x42\x42\x03" + b

def frames(ifname, src4, src6):
    mac = bytes.fromhex(open("/sys/class/net/%s/address" % ifname).read().strip().replace(":", ""))
    def eth(dst, rest):
        return dst + mac + rest
    out = [
        # first fragments of TCP and ICMP (more fragments set), later ones
        eth(NOBODY, b"\x08\x00" + ip4(src4, 6, tcp(b"t" * 40), 0x2000)),
        eth(NOBODY, b"\x08\x00" + ip4(src4, 1, echo(b"i" * 40), 0x2000)),
        eth(NOBODY, b"\x08\x00" + ip4(src4, 6, b"t" * 64, 185)),
        eth(NOBODY, b"\x86\xdd" + ip6(src6, b"\x06" + tcp(b"t" * 40), 0, 1)),
        eth(NOBODY, b"\x86\xdd" + ip6(src6, b"\x06" + b"t" * 64, 185, 0)),
        # STP: configuration (topology change), rapid, topology change
        eth(STP_MAC, dot3(bpdu(0, 0, 0x01))),
        eth(STP_MAC, dot3(bpdu(2, 2, 0x3c))),
        eth(STP_MAC, dot3(bpdu(0, 0x80, 0))),
        # SNAP: CDP (version 2, TTL 180, a device id), an unknown organisation
        eth(CDP_MAC, dot3(b"\xaa\xaa\x03\x00\x00\x0c\x20\x00" + b"\x02\xb4\x00\x00" +
                          b"\x00\x01\x00\x06vA")),
        eth(NOBODY, dot3(b"\xaa\xaa\x03\x12\x34\x56\x01\x02" + b"s" * 10)),
        # LLC: SNA UI, an I frame, a supervisory (receiver ready, poll)
        eth(NOBODY, dot3(b"\x04\x04\x03" + b"u" * 40)),
        eth(NOBODY, dot3(b"\x04\x05\x02\x05" + b"i" * 40)),
        eth(NOBODY, dot3(b"\x04\x04\x01\x0b")),
        # LLDP: chassis id (MAC), port id (name), TTL, end
        eth(LLDP_MAC, b"\x88\xcc" + b"\x02\x07\x04" + mac + b"\x04\x03\x05vA" +
            b"\x06\x02\x00\x78" + b"\x00\x00"),
        # QinQ: 802.1ad VLAN 100 priority 3, 802.1Q VLAN 20 priority 1, IPv4/UDP
        eth(NOBODY, struct.pack("!HHHHH", 0x88a8, 0x6064, 0x8100, 0x2014, 0x0800) +
            ip4(src4, 17, udp(b"q" * 10), 0)),
        # three 802.1Q tags: VLANs 33, 34, 35
        eth(NOBODY, struct.pack("!HHHHHHH", 0x8100, 33, 0x8100, 34, 0x8100, 35, 0x0800) +
            ip4(src4, 17, udp(b"3" * 10, 40033), 0)),
    ]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for f in out:
        s.send(f)
    s.close()

args = sys.argv[1:]
{"big": big, "frames": frames}[args[0]](*args[1:])
