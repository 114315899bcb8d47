#!/usr/bin/env python3
"""tg.py: the live tests' traffic generator, on the Python standard library
alone. It runs in a test's network namespace:

  ip netns exec NS python3 tests/tg.py ACTION ARGS... [+ ACTION ARGS...]...

(in the shell tests: sc_tg NS ACTION..., or "$SC_PYTHON" "$SC_TG" ... under
sc_start). The actions, separated by "+", run in order:

  udp SRC SPORT DST DPORT LEN [COUNT [TTL]]   datagrams of LEN bytes
  bcast SRC SPORT DST DPORT LEN              one datagram with SO_BROADCAST
  tcp SRC SPORT DST DPORT                    connect, send 5 bytes, close,
                                             wait for the peer's FIN
  ping SRC DST ID SEQ                        ICMP/ICMPv6 echo, wait for reply
  vlan IFACE DSTMAC VID PRIO SRC DST SPORT DPORT LEN
                                             a tagged IPv4/UDP frame sent on
                                             a packet socket
  flood DST DPORT COUNT SECS [LEN]           COUNT datagrams or SECS
                                             seconds, prints "sent N failed M"
  serve ADDR TCPPORT UDPPORT...              print "ready", then accept TCP
                                             connections (read to EOF,
                                             close) and swallow datagrams
                                             until killed

Addresses with a colon are IPv6. A failed action ends the program with a
message and a non-zero status.
"""
import errno
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True
import pkt  # noqa: E402 (after the line above)


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def udp(src, sport, dst, dport, length, count="1", ttl="0"):
    s = socket.socket(fam(dst), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if int(ttl):
        if fam(dst) == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, int(ttl))
        else:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, int(ttl))
    s.bind((src, int(sport)))
    for _ in range(int(count)):
        s.sendto(b"u" * int(length), (dst, int(dport)))
    s.close()


def bcast(src, sport, dst, dport, length):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind((src, int(sport)))
    s.sendto(b"b" * int(length), (dst, int(dport)))
    s.close()


def tcp(src, sport, dst, dport):
    c = socket.socket(fam(dst), socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.settimeout(30)
    c.bind((src, int(sport)))
    c.connect((dst, int(dport)))
    c.sendall(b"hello")
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096):
        pass
    c.close()


def ping(src, dst, ident, seq):
    ident, seq = int(ident), int(seq)
    v6 = fam(dst) == socket.AF_INET6
    proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
    s = socket.socket(fam(dst), socket.SOCK_RAW, proto)
    s.bind((src, 0))
    req, rep = (128, 129) if v6 else (8, 0)
    msg = struct.pack("!BBHHH", req, 0, 0, ident, seq) + b"p" * 56
    if not v6:  # the kernel fills in the ICMPv6 checksum itself
        msg = msg[:2] + struct.pack("!H", pkt.csum(msg)) + msg[4:]
    s.sendto(msg, (dst, 0))
    end = time.time() + 30
    while time.time() < end:
        r, _, _ = select.select([s], [], [], 1)
        if not r:
            continue
        data = s.recv(2048)
        if not v6:
            data = data[(data[0] & 15) * 4:]
        if len(data) >= 8 and data[0] == rep and \
                struct.unpack("!HH", data[4:8]) == (ident, seq):
            s.close()
            return
    sys.exit("ping %s: no echo reply" % dst)


def vlan(ifname, dstmac, vid, prio, src, dst, sport, dport, length):
    # IP identification 1, don't fragment
    ip = pkt.ipv4_udp(src, dst, int(sport), int(dport), b"v" * int(length), 1, 0x4000)
    mac = open("/sys/class/net/%s/address" % ifname).read().strip()
    frame = bytes.fromhex(dstmac.replace(":", "")) + \
        bytes.fromhex(mac.replace(":", "")) + \
        struct.pack("!HHH", 0x8100, (int(prio) << 13) | int(vid), 0x0800) + ip
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    s.send(frame)
    s.close()


def flood(dst, dport, count, secs, length="18"):
    s = socket.socket(fam(dst), socket.SOCK_DGRAM)
    # report local drops (ENOBUFS) instead of hiding them, so that "sent"
    # counts exactly the datagrams that left the socket
    if fam(dst) == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_RECVERR", 11), 1)
    data = b"f" * int(length)
    addr = (dst, int(dport))
    sent = failed = 0
    end = time.time() + float(secs)
    for i in range(int(count)):
        if i % 256 == 0 and time.time() > end:
            break
        try:
            s.sendto(data, addr)
            sent += 1
        except OSError as e:
            if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                raise
            failed += 1
    print("sent %d failed %d" % (sent, failed), flush=True)


def serve(addr, tcpport, *udpports):
    socks = []
    lst = socket.socket(fam(addr), socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((addr, int(tcpport)))
    lst.listen(8)
    for p in udpports:
        u = socket.socket(fam(addr), socket.SOCK_DGRAM)
        u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        u.bind((addr, int(p)))
        socks.append(u)
    conns = []
    print("ready", flush=True)
    while True:
        r, _, _ = select.select([lst] + socks + conns, [], [], 1)
        for s in r:
            if s is lst:
                conns.append(lst.accept()[0])
            elif s in conns:
                if not s.recv(4096):
                    s.close()
                    conns.remove(s)
            else:
                s.recv(65536)


ACTIONS = dict(udp=udp, bcast=bcast, tcp=tcp, ping=ping, vlan=vlan,
               flood=flood, serve=serve)


def main():
    args = sys.argv[1:]
    while args:
        cut = args.index("+") if "+" in args else len(args)
        act, rest, args = args[0], args[1:cut], args[cut + 1:]
        ACTIONS[act](*rest)


if __name__ == "__main__":
    main()
