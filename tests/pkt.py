"""Packet building shared by the test suite's Python programs (tg.py,
tun.py), as tests/pkt.h is for the C tests: the Internet checksum and an
IPv4/UDP datagram as raw bytes.

Not run by itself: the programs, which live in the same directory, do
"import pkt" (after sys.dont_write_bytecode = True, so that no __pycache__
is left in the source tree).
"""
import socket
import struct


def csum(b):
    """The Internet checksum (RFC 1071) of b, an odd length padded with a
    zero byte."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def ipv4_udp(src, dst, sport, dport, payload, ident, frag=0):
    """An IPv4 packet (RFC 791: 20 bytes of header, no options, TTL 64,
    header checksum set; ident and frag, the flags and fragment offset
    word, as given) holding a UDP datagram (RFC 768: checksum 0, none)
    from src:sport to dst:dport carrying payload."""
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), ident, frag, 64, 17,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + u
