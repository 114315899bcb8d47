#!/usr/bin/env python3
# Reference output made with: tcpdump version 4.99.3 / libpcap version 1.10.3
# (Debian 12 package tcpdump 4.99.3-1), scapy 2.5.0 (Debian python3-scapy).
"""mkdeep.py: write deep.pcap, crafted frames for sockcap's deeper protocol
decoders (ICMP/ICMPv6 errors and ND/MLD, TCP options, IPv6 extension
headers, tunnels, MPLS, SCTP, IGMP, ESP/AH), whose expected output is
tcpdump's own (tests/golden/deep.pcap.tcpdump and .tcpdump-v).

  mkdeep.py OUT.pcap

Classic pcap, LINKTYPE_ETHERNET, microsecond timestamps; packet N (1-based,
as tcpdump -# numbers it) is stamped 1700000000 + N seconds. Addresses are
in 198.18.0.0/15 and 2001:db8::/32, plus fe80::/ff02:: and IPv4 multicast
groups where the protocol needs them; MACs are 02:00:00:00:00:0x. Ids are
fixed and checksums are computed by scapy, so the file is byte-for-byte
reproducible.

Regenerate the goldens with:
  python3 tests/mkdeep.py tests/golden/deep.pcap
  tcpdump -n -r tests/golden/deep.pcap -tt > tests/golden/deep.pcap.tcpdump
  tcpdump -n -v -r tests/golden/deep.pcap -tt > tests/golden/deep.pcap.tcpdump-v
"""
import os
import struct
import sys

try:
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    from scapy.all import (Ether, IP, IPv6, ICMP, UDP, TCP, Raw, GRE, VXLAN,
                           AH, ESP, IPOption_NOP, IPOption_RR,
                           IPOption_Router_Alert, IPv6ExtHdrHopByHop,
                           IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                           IPv6ExtHdrSegmentRouting, IPv6ExtHdrFragment,
                           RouterAlert, PadN, ICMPv6EchoRequest,
                           ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS, ICMPv6ND_RA,
                           ICMPv6ND_Redirect, ICMPv6NDOptSrcLLAddr,
                           ICMPv6NDOptDstLLAddr, ICMPv6NDOptPrefixInfo,
                           ICMPv6NDOptMTU, ICMPv6NDOptRedirectedHdr,
                           ICMPv6PacketTooBig, ICMPv6DestUnreach,
                           ICMPv6TimeExceeded, ICMPv6ParamProblem,
                           ICMPv6MLQuery, ICMPv6MLReport, ICMPv6MLDone,
                           ICMPv6MLQuery2, ICMPv6MLReport2,
                           ICMPv6MLDMultAddrRec, SCTP, SCTPChunkInit,
                           SCTPChunkData, load_contrib)
    load_contrib('mpls')
    load_contrib('geneve')
    load_contrib('igmp')
    load_contrib('igmpv3')
    from scapy.contrib.mpls import MPLS
    from scapy.contrib.geneve import GENEVE, GeneveOptions
    from scapy.contrib.igmp import IGMP
    from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mq, IGMPv3mr, IGMPv3gr
except ImportError:
    # python3 may be another interpreter (pyenv) than Debian's, which has
    # python3-scapy: retry once with the system one.
    if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    raise

M1, M2, M3 = '02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03'
A, B, C, D = '198.18.0.1', '198.18.0.2', '198.19.0.1', '198.19.0.2'
R = '198.18.0.254'
A6, B6, C6, D6 = '2001:db8::1', '2001:db8::2', '2001:db8:1::1', '2001:db8:1::2'
L1, L2 = 'fe80::1', 'fe80::2'


def e4(src=A, dst=B, **kw):
    return Ether(src=M1, dst=M2) / IP(src=src, dst=dst, id=kw.pop('id', 0x100), **kw)


def e6(src=A6, dst=B6, **kw):
    return Ether(src=M1, dst=M2) / IPv6(src=src, dst=dst, **kw)


def ie4(src=B, dst=C, **kw):
    """inner / quoted IPv4 header"""
    return IP(src=src, dst=dst, id=kw.pop('id', 0x200), **kw)


def tcp_rawopt(sport, dport, flags, optbytes, doff=None, seq=1000, ack=0, payload=b''):
    """TCP whose option bytes are given raw (malformed lists); the options go
    in as a payload right after the 20-byte header with doff set by hand, so
    scapy's checksum still covers them."""
    if doff is None:
        doff = (20 + len(optbytes) + 3) // 4
    return TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack,
               dataofs=doff, window=1024) / Raw(optbytes + payload)


SYN_OPTS = [('MSS', 1460), ('SAckOK', b''), ('Timestamp', (1, 0)),
            ('NOP', None), ('WScale', 7)]

FILES = {}  # file name -> [(comment, packet, caplen or None)]
CASES = None


def section(name):
    """the cases that follow go to deep-NAME.pcap"""
    global CASES
    CASES = FILES.setdefault('deep-%s.pcap' % name, [])


def case(comment, pkt, caplen=None):
    CASES.append((comment, pkt, caplen))


# ---------------------------------------------------------------- ICMPv4 errors
section('icmp4')
case('icmp port unreachable quoting UDP dport 2222',
     e4(R, A) / ICMP(type=3, code=3) / ie4(A, B) / UDP(sport=40000, dport=2222) / Raw(b'abcdefgh'))
case('icmp port unreachable quoting TCP SYN (only 8 bytes of TCP quoted)',
     e4(R, A) / ICMP(type=3, code=3) / ie4(A, B, proto=6) / Raw(bytes(TCP(sport=40001, dport=80, flags='S', seq=7))[:8]))
case('icmp port unreachable quoting a whole TCP header',
     e4(R, A) / ICMP(type=3, code=3) / ie4(A, B) / TCP(sport=40001, dport=80, flags='S', seq=7))
case('icmp protocol unreachable (quoted proto 132)',
     e4(R, A) / ICMP(type=3, code=2) / ie4(A, B, proto=132) / Raw(b'\0' * 8))
case('icmp net unreachable quoting UDP',
     e4(R, A) / ICMP(type=3, code=0) / ie4(A, C) / UDP(sport=40002, dport=2222))
case('icmp host unreachable quoting UDP',
     e4(R, A) / ICMP(type=3, code=1) / ie4(A, C) / UDP(sport=40003, dport=2222))
case('icmp need to frag, next-hop mtu 1400, quoting TCP with DF',
     e4(R, A) / ICMP(type=3, code=4, nexthopmtu=1400) / ie4(A, C, flags='DF', len=1500, proto=6) / Raw(bytes(TCP(sport=40004, dport=443, flags='A', seq=9, ack=10))[:8]))
case('icmp need to frag with mtu 0 (old style, no next-hop mtu)',
     e4(R, A) / ICMP(type=3, code=4) / ie4(A, C, flags='DF') / UDP(sport=40005, dport=9))
case('icmp admin prohibited (code 13) quoting UDP',
     e4(R, A) / ICMP(type=3, code=13) / ie4(A, C) / UDP(sport=40006, dport=161))
case('icmp redirect for host (type 5 code 1) gateway 198.18.0.253',
     e4(R, A) / ICMP(type=5, code=1, gw='198.18.0.253') / ie4(A, C) / UDP(sport=40007, dport=2222))
case('icmp redirect for net (type 5 code 0)',
     e4(R, A) / ICMP(type=5, code=0, gw='198.18.0.253') / ie4(A, C) / ICMP(type=8, id=1, seq=1))
case('icmp time exceeded in-transit (type 11 code 0) quoting UDP (traceroute)',
     e4(R, A) / ICMP(type=11, code=0) / ie4(A, C, ttl=1) / UDP(sport=40008, dport=33434))
case('icmp fragment reassembly time exceeded (type 11 code 1) quoting a first fragment',
     e4(C, A) / ICMP(type=11, code=1) / ie4(A, C, flags='MF', ttl=60) / UDP(sport=40009, dport=7, len=3000))
case('icmp parameter problem (type 12 code 0, pointer 20)',
     e4(R, A) / ICMP(type=12, code=0, ptr=20) / ie4(A, C, options=[IPOption_NOP(), IPOption_NOP(), IPOption_NOP(), IPOption_NOP()]) / UDP(sport=40010, dport=2222))
case('icmp source quench (type 4) quoting TCP',
     e4(R, A) / ICMP(type=4, code=0) / ie4(A, C) / TCP(sport=40011, dport=80, flags='A', seq=1, ack=1))
case('icmp host unreachable whose quoted IP header is cut to 4 bytes',
     e4(R, A) / ICMP(type=3, code=1) / Raw(bytes(ie4(A, C) / UDP(sport=40012, dport=2222))[:4]))
case('icmp port unreachable quoting an IPv4 header with options (RR + NOPs)',
     e4(R, A) / ICMP(type=3, code=3) / ie4(A, C, options=[IPOption_RR(routers=['198.18.0.9']), IPOption_NOP()]) / UDP(sport=40013, dport=2222))
case('icmp port unreachable quoting UDP whose quoted header is cut to 2 bytes',
     e4(R, A) / ICMP(type=3, code=3) / Raw(bytes(ie4(A, C, proto=17) / UDP(sport=40014, dport=2222))[:22]))
case('icmp time exceeded quoting ICMP echo',
     e4(R, A) / ICMP(type=11, code=0) / ie4(A, C, ttl=1) / ICMP(type=8, id=0x42, seq=3))
case('icmp net admin prohibited (code 9) quoting UDP',
     e4(R, A) / ICMP(type=3, code=9) / ie4(A, C) / UDP(sport=40015, dport=2222))
case('icmp host admin prohibited (code 10) quoting UDP',
     e4(R, A) / ICMP(type=3, code=10) / ie4(A, C) / UDP(sport=40016, dport=2222))
case('icmp source route failed (code 5)',
     e4(R, A) / ICMP(type=3, code=5) / ie4(A, C) / UDP(sport=40017, dport=2222))
case('icmp host unreachable for tos (code 12)',
     e4(R, A) / ICMP(type=3, code=12) / ie4(A, C) / UDP(sport=40018, dport=2222))
case('icmp unreachable with an unknown code (20)',
     e4(R, A) / ICMP(type=3, code=20) / ie4(A, C) / UDP(sport=40019, dport=2222))
case('icmp port unreachable quoting a protocol other than TCP/UDP (SCTP)',
     e4(R, A) / ICMP(type=3, code=3) / ie4(A, C, proto=132) / Raw(b'\x9c\x40\x00\x50' + b'\0' * 4))
case('icmp redirect for tos and host (type 5 code 3)',
     e4(R, A) / ICMP(type=5, code=3, gw='198.18.0.253') / ie4(A, C) / UDP(sport=40020, dport=2222))
case('icmp redirect with an unknown code (9)',
     e4(R, A) / ICMP(type=5, code=9, gw='198.18.0.253') / ie4(A, C) / UDP(sport=40021, dport=2222))
case('icmp time exceeded with an unknown code (2)',
     e4(R, A) / ICMP(type=11, code=2) / ie4(A, C) / UDP(sport=40022, dport=2222))
case('icmp time exceeded whose quoted IP header is cut before its destination',
     e4(R, A) / ICMP(type=11, code=0) / Raw(bytes(ie4(A, C) / UDP(sport=40023, dport=2222))[:12]))
case('icmp parameter problem code 1 (required option missing)',
     e4(R, A) / ICMP(type=12, code=1) / ie4(A, C) / UDP(sport=40024, dport=2222))
case('icmp source quench quoting only an IP header',
     e4(R, A) / ICMP(type=4, code=0) / ie4(A, C, proto=17))
case('icmp router advertisement (type 9) with two addresses, lifetime 1800',
     e4(R, '224.0.0.1') / ICMP(type=9, unused=0x02020708)
     / Raw(bytes.fromhex('c61200fe00000000c61200fd00000064')))
case('icmp router solicitation (type 10)',
     e4(A, '224.0.0.2') / ICMP(type=10))
case('icmp timestamp request (type 13)',
     e4(A, B) / ICMP(type=13, id=0x11, seq=2, ts_ori=3600000, ts_rx=0, ts_tx=0))
case('icmp timestamp reply (type 14)',
     e4(B, A) / ICMP(type=14, id=0x11, seq=2, ts_ori=3600000, ts_rx=3600500, ts_tx=86399999))
case('icmp address mask request (type 17)',
     e4(A, B) / ICMP(type=17, id=1, seq=1, addr_mask='0.0.0.0'))
case('icmp address mask reply (type 18)',
     e4(B, A) / ICMP(type=18, id=1, seq=1, addr_mask='255.255.255.0'))
case('icmp of an unknown type (42)',
     e4(A, B) / ICMP(type=42, code=0) / Raw(b'\0' * 4))
case('icmp echo request whose IP length leaves 4 bytes of it',
     e4(A, B, len=24) / ICMP(type=8, id=1, seq=1))

# ---------------------------------------------------------------- ICMPv6
section('icmp6')
case('icmp6 neighbour solicitation without options (DAD, src ::)',
     e6('::', 'ff02::1:ff00:2', hlim=255) / ICMPv6ND_NS(tgt=B6))
case('icmp6 neighbour solicitation with source link-layer option',
     e6(A6, 'ff02::1:ff00:2', hlim=255) / ICMPv6ND_NS(tgt=B6) / ICMPv6NDOptSrcLLAddr(lladdr=M1))
case('icmp6 neighbour advertisement, flags R S O, target link-layer option',
     e6(B6, A6, hlim=255) / ICMPv6ND_NA(R=1, S=1, O=1, tgt=B6) / ICMPv6NDOptDstLLAddr(lladdr=M2))
case('icmp6 neighbour advertisement, unsolicited (O only), no option',
     e6(B6, 'ff02::1', hlim=255) / ICMPv6ND_NA(R=0, S=0, O=1, tgt=B6))
case('icmp6 router solicitation with source link-layer option',
     e6(L1, 'ff02::2', hlim=255) / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=M1))
case('icmp6 router advertisement with SLLA, MTU and prefix info',
     e6(L2, 'ff02::1', hlim=255) / ICMPv6ND_RA(chlim=64, M=1, O=1, routerlifetime=1800, reachabletime=30000, retranstimer=1000)
     / ICMPv6NDOptSrcLLAddr(lladdr=M2) / ICMPv6NDOptMTU(mtu=1500)
     / ICMPv6NDOptPrefixInfo(prefix='2001:db8:1::', prefixlen=64, L=1, A=1, validlifetime=2592000, preferredlifetime=604800))
case('icmp6 redirect with target link-layer and redirected-header options',
     e6(L2, L1, hlim=255) / ICMPv6ND_Redirect(tgt='fe80::3', dst=D6) / ICMPv6NDOptDstLLAddr(lladdr=M3)
     / ICMPv6NDOptRedirectedHdr(pkt=IPv6(src=A6, dst=D6) / UDP(sport=40020, dport=2222)))
case('icmp6 packet too big mtu 1280 quoting TCP',
     e6(C6, A6) / ICMPv6PacketTooBig(mtu=1280) / IPv6(src=A6, dst=D6, plen=1440) / TCP(sport=40021, dport=443, flags='A', seq=5, ack=6))
case('icmp6 destination unreachable code 0 (no route) quoting TCP',
     e6(C6, A6) / ICMPv6DestUnreach(code=0) / IPv6(src=A6, dst=D6) / TCP(sport=40022, dport=22, flags='S', seq=1))
case('icmp6 destination unreachable code 1 (admin prohibited) quoting UDP',
     e6(C6, A6) / ICMPv6DestUnreach(code=1) / IPv6(src=A6, dst=D6) / UDP(sport=40023, dport=2222))
case('icmp6 destination unreachable code 3 (address unreachable) quoting UDP',
     e6(C6, A6) / ICMPv6DestUnreach(code=3) / IPv6(src=A6, dst=D6) / UDP(sport=40024, dport=2222))
case('icmp6 destination unreachable code 4 (port unreachable) quoting UDP',
     e6(D6, A6) / ICMPv6DestUnreach(code=4) / IPv6(src=A6, dst=D6) / UDP(sport=40025, dport=2222))
case('icmp6 destination unreachable code 4 (port unreachable) quoting TCP',
     e6(D6, A6) / ICMPv6DestUnreach(code=4) / IPv6(src=A6, dst=D6) / TCP(sport=40026, dport=2222, flags='S', seq=1))
case('icmp6 time exceeded in transit quoting UDP',
     e6(C6, A6) / ICMPv6TimeExceeded(code=0) / IPv6(src=A6, dst=D6, hlim=1) / UDP(sport=40027, dport=33434))
case('icmp6 parameter problem code 1 (unrecognized next header) pointer 40',
     e6(C6, A6) / ICMPv6ParamProblem(code=1, ptr=40) / IPv6(src=A6, dst=D6, nh=143) / Raw(b'\0' * 8))
case('icmp6 MLDv1 query (general) with hop-by-hop router alert',
     e6(L1, 'ff02::1', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLQuery(mrd=10000, mladdr='::'))
case('icmp6 MLDv1 report with hop-by-hop router alert',
     e6(L1, 'ff02::1:3', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLReport(mladdr='ff02::1:3'))
case('icmp6 MLDv1 done with hop-by-hop router alert',
     e6(L1, 'ff02::2', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLDone(mladdr='ff02::1:3'))
case('icmp6 MLDv2 query, group-specific with 2 sources',
     e6(L1, 'ff02::1:3', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLQuery2(mrd=1000, mladdr='ff02::1:3', QRV=2, QQIC=125, sources=[A6, B6]))
case('icmp6 MLDv2 general query',
     e6(L1, 'ff02::1', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLQuery2(mrd=10000, mladdr='::', QRV=2, QQIC=125))
case('icmp6 MLDv2 report with 1 group record (change to exclude, no sources)',
     e6(L1, 'ff02::16', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(rtype=4, dst='ff02::1:3')]))
case('icmp6 MLDv2 report with 2 group records (is_in with 1 source, allow with 2)',
     e6(L1, 'ff02::16', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLReport2(records=[
         ICMPv6MLDMultAddrRec(rtype=1, dst='ff02::1:3', sources=[A6]),
         ICMPv6MLDMultAddrRec(rtype=5, dst='ff02::1:4', sources=[A6, B6])]))
case('icmp6 destination unreachable code 2 (beyond scope) quoting UDP',
     e6(C6, A6) / ICMPv6DestUnreach(code=2) / IPv6(src=L1, dst=D6) / UDP(sport=40028, dport=2222))
case('icmp6 destination unreachable code 4 quoting UDP after a destination options header',
     e6(D6, A6) / ICMPv6DestUnreach(code=4) / IPv6(src=A6, dst=D6) / IPv6ExtHdrDestOpt() / UDP(sport=40029, dport=2223))
case('icmp6 destination unreachable code 4 quoting an ICMPv6 echo (no port)',
     e6(D6, A6) / ICMPv6DestUnreach(code=4) / IPv6(src=A6, dst=D6) / ICMPv6EchoRequest(id=1, seq=1))
case('icmp6 destination unreachable with an unknown code (7)',
     e6(C6, A6) / ICMPv6DestUnreach(code=7) / IPv6(src=A6, dst=D6) / UDP(sport=40030, dport=2222))
case('icmp6 time exceeded in reassembly (code 1)',
     e6(C6, A6) / ICMPv6TimeExceeded(code=1) / IPv6(src=A6, dst=D6) / UDP(sport=40031, dport=2222))
case('icmp6 parameter problem code 0 (erroneous header field) pointer 6',
     e6(C6, A6) / ICMPv6ParamProblem(code=0, ptr=6) / IPv6(src=A6, dst=D6) / UDP(sport=40032, dport=2222))
case('icmp6 parameter problem code 2 (unrecognized option) pointer 42',
     e6(C6, A6) / ICMPv6ParamProblem(code=2, ptr=42) / IPv6(src=A6, dst=D6) / UDP(sport=40033, dport=2222))
case('icmp6 packet too big whose IPv6 payload length leaves 6 bytes of it',
     e6(C6, A6, plen=6) / ICMPv6PacketTooBig(mtu=1280) / IPv6(src=A6, dst=D6) / UDP(sport=40034, dport=2222))
case('icmp6 neighbour solicitation whose target is cut (payload length 16)',
     e6(A6, 'ff02::1:ff00:2', hlim=255, plen=16) / ICMPv6ND_NS(tgt=B6))
case('icmp6 MLD query of 26 bytes (neither version)',
     e6(L1, 'ff02::1', hlim=1) / ICMPv6MLQuery(mrd=10000, mladdr='::') / Raw(b'\0\0'))
case('icmp6 inverse neighbour solicitation (type 141)',
     e6(L1, 'ff02::1', hlim=255) / ICMPv6ND_NS(type=141, tgt='::'))

# ---------------------------------------------------------------- TCP options
section('tcp')
case('tcp SYN [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]',
     e4() / TCP(sport=40100, dport=2222, flags='S', seq=1000, window=64240, options=SYN_OPTS))
case('tcp SYN-ACK with the same options',
     e4(B, A) / TCP(sport=2222, dport=40100, flags='SA', seq=5000, ack=1001, window=65160,
                    options=[('MSS', 1400), ('SAckOK', b''), ('Timestamp', (99, 1)), ('NOP', None), ('WScale', 9)]))
case('tcp ACK with timestamps only (nop,nop,TS)',
     e4() / TCP(sport=40100, dport=2222, flags='A', seq=1001, ack=5001, window=502,
                options=[('NOP', None), ('NOP', None), ('Timestamp', (2, 99))]))
case('tcp ACK with SACK, one block',
     e4() / TCP(sport=40100, dport=2222, flags='A', seq=1001, ack=5001, window=502,
                options=[('NOP', None), ('NOP', None), ('SAck', (6001, 7001))]))
case('tcp ACK with TS and SACK, two blocks',
     e4() / TCP(sport=40100, dport=2222, flags='A', seq=1001, ack=5001, window=502,
                options=[('NOP', None), ('NOP', None), ('Timestamp', (3, 100)), ('NOP', None), ('NOP', None), ('SAck', (6001, 7001, 8001, 9001))]))
case('tcp unknown option kind 253 with 4 bytes of data (experimental magic 0x1234)',
     e4() / tcp_rawopt(40101, 80, 'A', b'\xfd\x06\x12\x34\x56\x78\x01\x01', ack=1))
case('tcp unknown option kind 99 with 2 bytes of data',
     e4() / tcp_rawopt(40101, 80, 'A', b'\x63\x04\xab\xcd', ack=1))
case('tcp malformed option: mss with length byte 0',
     e4() / tcp_rawopt(40102, 80, 'S', b'\x02\x00\x05\xb4'))
case('tcp malformed option: timestamp length 10 runs past doff (8 option bytes)',
     e4() / tcp_rawopt(40103, 80, 'A', b'\x01\x01\x08\x0a\x00\x00\x00\x01', ack=1))
case('tcp malformed option: mss with wrong length 3',
     e4() / tcp_rawopt(40104, 80, 'S', b'\x02\x03\x05\x01'))
case('tcp option list with eol then padding',
     e4() / tcp_rawopt(40105, 80, 'S', b'\x02\x04\x05\xb4\x00\x00\x00\x00'))
case('tcp option list with nop,eol then junk after eol',
     e4() / tcp_rawopt(40106, 80, 'S', b'\x01\x00\xff\xff'))
case('tcp MD5 signature option (kind 19)',
     e4() / TCP(sport=179, dport=40107, flags='A', seq=1, ack=1, window=1024,
                options=[('MD5', bytes(range(16))), ('NOP', None), ('NOP', None)]))
case('tcp fast open cookie (kind 34)',
     e4() / tcp_rawopt(40108, 80, 'S', b'\x02\x04\x05\xb4\x22\x0a\x01\x02\x03\x04\x05\x06\x07\x08\x01\x01'))
case('tcp fast open cookie request (kind 34, empty)',
     e4() / tcp_rawopt(40109, 80, 'S', b'\x22\x02\x01\x01'))
case('tcp experimental TFO (kind 254 magic 0xf989)',
     e4() / tcp_rawopt(40110, 80, 'S', b'\xfe\x0c\xf9\x89\x01\x02\x03\x04\x05\x06\x07\x08'))
case('tcp user timeout option (kind 28)',
     e4() / tcp_rawopt(40111, 80, 'A', b'\x1c\x04\x80\x3c', ack=1))
case('tcp multipath capable (kind 30)',
     e4() / tcp_rawopt(40112, 80, 'S', b'\x1e\x0c\x01\x81\x01\x02\x03\x04\x05\x06\x07\x08'))
case('tcp URG|PSH|ACK with urgent pointer 3 and 5 bytes of data',
     e4() / TCP(sport=40113, dport=23, flags='UPA', seq=100, ack=200, window=1024, urgptr=3) / Raw(b'hello'))
case('tcp SYN over IPv6 with [mss 1440,sackOK,TS,nop,wscale 7]',
     e6() / TCP(sport=40114, dport=443, flags='S', seq=1000, window=64800,
                options=[('MSS', 1440), ('SAckOK', b''), ('Timestamp', (1, 0)), ('NOP', None), ('WScale', 7)]))
case('tcp over IPv6 with SACK one block and unknown option kind 253',
     e6() / tcp_rawopt(40115, 443, 'A', b'\x01\x01\x05\x0a\x00\x00\x17\x71\x00\x00\x1b\x59\xfd\x04\xaa\xbb', ack=1))
case('tcp ACK with data after the SYN/SYN-ACK above (relative seq/ack)',
     e4() / TCP(sport=40100, dport=2222, flags='PA', seq=1001, ack=5001, window=502,
                options=[('NOP', None), ('NOP', None), ('Timestamp', (4, 100))]) / Raw(b'GET'))
case('tcp doff 4 (less than 20 bytes)',
     e4() / TCP(sport=40116, dport=80, flags='S', seq=1, dataofs=4))
case('tcp doff 15 running past the end of the packet',
     e4() / TCP(sport=40117, dport=80, flags='S', seq=1, dataofs=15) / Raw(b'\x01' * 8))
case('tcp SACK option whose length is not 2 + 8n',
     e4() / tcp_rawopt(40118, 80, 'A', b'\x05\x06\x00\x00\x00\x01\x01\x01', ack=1))
case('tcp authentication option (kind 29): key ids and MAC',
     e4() / tcp_rawopt(40119, 80, 'A', b'\x1d\x08\x01\x02\xde\xad\xbe\xef', ack=1))
case('tcp echo (kind 6), CC.ECHO (kind 13, no name) and SCPS (kind 20)',
     e4() / tcp_rawopt(40120, 80, 'S', b'\x06\x06\x00\x00\x00\x07\x0d\x06\x00\x00\x00\x08\x14\x04\x01\x02'))
case('tcp experimental option with an unknown magic, and an empty unknown option',
     e4() / tcp_rawopt(40121, 80, 'S', b'\xfe\x04\x12\x34\xc8\x02\x01\x01'))
case('tcp fast open cookie of 3 bytes (invalid) and wscale with length 4',
     e4() / tcp_rawopt(40122, 80, 'S', b'\x22\x05\x01\x02\x03\x03\x04\x07\x00\x01\x01\x01'))
case('tcp multipath DSS with 4-byte ack and mapping (kind 30 subtype 2)',
     e4() / tcp_rawopt(40123, 80, 'A', b'\x1e\x14\x20\x05\x00\x00\x00\x09\x00\x00\x00\x0a\x00\x00\x00\x01\x00\x05\x01\x01', ack=1))
case('tcp multipath join on a SYN, then add-addr v1 with a port',
     e4() / tcp_rawopt(40124, 80, 'S', b'\x1e\x0c\x11\x03\x00\x00\x12\x34\x00\x00\x56\x78\x1e\x0a\x30\x07\xc6\x12\x00\x09\x1f\x90\x01\x01'))
case('tcp multipath remove-addr, prio and fast-close',
     e4() / tcp_rawopt(40125, 80, 'A', b'\x1e\x05\x40\x01\x02\x1e\x04\x51\x03\x1e\x0c\x70\x00\x01\x02\x03\x04\x05\x06\x07\x08\x01\x01\x01', ack=1))
case('tcp multipath capable of a length no SYN has: [bad opt]',
     e4() / tcp_rawopt(40126, 80, 'S', b'\x01\x01\x1e\x08\x01\x81\x00\x00\x00\x00\x01\x01'))
case('tcp URG with options and urgent pointer 1',
     e4() / TCP(sport=40127, dport=23, flags='UA', seq=100, ack=200, window=1024, urgptr=1,
                options=[('NOP', None), ('NOP', None), ('Timestamp', (5, 6))]) / Raw(b'!'))
case('tcp options cut by the capture inside the timestamp option',
     e4() / TCP(sport=40128, dport=80, flags='S', seq=1000, window=1024, options=SYN_OPTS), caplen=14 + 20 + 20 + 10)
case('tcp options cut by the capture before an option kind',
     e4() / TCP(sport=40129, dport=80, flags='S', seq=1000, window=1024, options=SYN_OPTS), caplen=14 + 20 + 20 + 6)

# ---------------------------------------------------------------- IPv6 extension headers
section('ext6')
case('ipv6 hop-by-hop router alert + MLDv1 report',
     e6(L1, 'ff02::1:5', hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLReport(mladdr='ff02::1:5'))
case('ipv6 destination options (PadN) then UDP',
     e6() / IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\0\0\0\0')]) / UDP(sport=40200, dport=2222) / Raw(b'x' * 4))
case('ipv6 routing header type 0, 2 addresses, segleft 1, then TCP',
     e6() / IPv6ExtHdrRouting(type=0, segleft=1, addresses=[C6, D6]) / TCP(sport=40201, dport=80, flags='S', seq=1))
case('ipv6 segment routing header (type 4), 2 segments, segleft 1, then TCP',
     e6() / IPv6ExtHdrSegmentRouting(segleft=1, lastentry=1, addresses=[D6, C6]) / TCP(sport=40202, dport=80, flags='S', seq=1))
case('ipv6 fragment header, first fragment (offset 0, M) of UDP',
     e6() / IPv6ExtHdrFragment(id=0x1234, offset=0, m=1) / UDP(sport=40203, dport=2222, len=2000) / Raw(b'y' * 24))
case('ipv6 fragment header, non-first fragment (offset 1232, last)',
     e6() / IPv6ExtHdrFragment(id=0x1234, offset=154, m=0, nh=17) / Raw(b'z' * 24))
case('ipv6 AH then ICMPv6 echo request',
     e6() / AH(nh=58, payloadlen=4, spi=0x100, seq=7, icv=b'\xaa' * 12) / ICMPv6EchoRequest(id=1, seq=1))
case('ipv6 chain: hop-by-hop + destination options + routing type 0 + UDP',
     e6() / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\0\0\0\0')])
     / IPv6ExtHdrRouting(type=0, segleft=1, addresses=[C6]) / UDP(sport=40204, dport=2222) / Raw(b'q' * 4))
case('ipv6 hop-by-hop then a first fragment of UDP',
     e6() / IPv6ExtHdrHopByHop(options=[PadN(optdata=b'\0\0\0\0')]) / IPv6ExtHdrFragment(id=0x99, offset=0, m=1)
     / UDP(sport=40205, dport=2222, len=100) / Raw(b'f' * 16))
case('ipv6 destination options then a hop-by-hop header (out of place)',
     e6() / IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\0\0\0\0')]) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b'\0\0\0\0')])
     / UDP(sport=40206, dport=2222))
case('ipv6 destination options then SCTP (addresses printed again, with ports)',
     e6() / IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\0\0\0\0')]) / SCTP(sport=5000, dport=5001, tag=1)
     / SCTPChunkData(tsn=3, stream_id=0, stream_seq=0, proto_id=0, beginning=1, ending=1, data=b'abcd'))
case('ipv6 no next header (59) after destination options',
     e6() / IPv6ExtHdrDestOpt(nh=59, options=[PadN(optdata=b'\0\0\0\0')]) / Raw(b'n' * 4))
case('ipv6 destination options then ESP',
     e6() / IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\0\0\0\0')]) / ESP(spi=0x42, seq=1, data=b'\x33' * 8))

# ---------------------------------------------------------------- tunnels
section('tunnel')
case('GRE v0 carrying IPv4 ICMP echo request',
     e4() / GRE(proto=0x0800) / ie4(C, D) / ICMP(type=8, id=0x10, seq=1) / Raw(b'ping'))
case('GRE with key 0x1234 and sequence 7 carrying IPv6 ICMPv6 echo',
     e4() / GRE(key_present=1, seqnum_present=1, key=0x1234, sequence_number=7, proto=0x86dd)
     / IPv6(src=C6, dst=D6) / ICMPv6EchoRequest(id=2, seq=2))
case('GRE transparent Ethernet bridging (0x6558) with inner Ethernet/IPv4/UDP',
     e4() / GRE(proto=0x6558) / Ether(src=M3, dst='02:00:00:00:00:04') / ie4(C, D) / UDP(sport=40300, dport=2222) / Raw(b'teb!'))
case('GRE with checksum bit carrying IPv4 UDP',
     e4() / GRE(chksum_present=1, proto=0x0800) / ie4(C, D) / UDP(sport=40301, dport=2222))
case('IPIP (proto 4) with inner TCP SYN',
     e4(proto=4) / ie4(C, D) / TCP(sport=40302, dport=80, flags='S', seq=1, options=[('MSS', 1460)]))
case('IPv6-in-IPv4 (proto 41) with inner ICMPv6 echo',
     e4(proto=41) / IPv6(src=C6, dst=D6) / ICMPv6EchoRequest(id=3, seq=3))
case('IPv4-in-IPv6 (next header 4) with inner UDP',
     e6(nh=4) / ie4(C, D) / UDP(sport=40303, dport=2222))
case('IPv6-in-IPv6 (next header 41) with inner TCP SYN',
     e6(nh=41) / IPv6(src=C6, dst=D6) / TCP(sport=40304, dport=80, flags='S', seq=1))
case('VXLAN (UDP 4789, vni 100) with inner Ethernet/IPv4/ICMP echo',
     e4() / UDP(sport=49200, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=100) / Ether(src=M3, dst='02:00:00:00:00:04')
     / ie4(C, D) / ICMP(type=8, id=0x11, seq=1))
case('VXLAN with UDP source port 49152: tcpdump takes it for BCM-LI first',
     e4() / UDP(sport=49152, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=100) / Ether(src=M3, dst='02:00:00:00:00:04')
     / ie4(C, D) / ICMP(type=8, id=0x11, seq=2))
case('VXLAN over IPv6 with inner Ethernet/IPv6/UDP',
     e6() / UDP(sport=49153, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=200) / Ether(src=M3, dst='02:00:00:00:00:04')
     / IPv6(src=C6, dst=D6) / UDP(sport=40305, dport=2222))
case('Geneve (UDP 6081, vni 0x1234, proto 0x6558) with inner Ethernet/IPv6/UDP',
     e4() / UDP(sport=49154, dport=6081) / GENEVE(vni=0x1234, proto=0x6558) / Ether(src=M3, dst='02:00:00:00:00:04')
     / IPv6(src=C6, dst=D6) / UDP(sport=40306, dport=2222) / Raw(b'gnv'))
case('Geneve with one 8-byte option (class 0x0102 type 0x80), inner Ethernet/IPv4/UDP',
     e4() / UDP(sport=49155, dport=6081)
     / GENEVE(vni=0x1234, proto=0x6558, options=[GeneveOptions(classid=0x0102, type=0x80, data=b'\x01\x02\x03\x04')])
     / Ether(src=M3, dst='02:00:00:00:00:04') / ie4(C, D) / UDP(sport=40307, dport=2222))
case('Geneve carrying IPv4 directly (proto 0x0800), OAM bit set',
     e4() / UDP(sport=49156, dport=6081) / GENEVE(vni=7, proto=0x0800, oam=1) / ie4(C, D) / ICMP(type=8, id=0x12, seq=1))
case('MPLS one label (100, s=1, ttl 64) then IPv4 ICMP echo',
     Ether(src=M1, dst=M2, type=0x8847) / MPLS(label=100, cos=0, s=1, ttl=64) / ie4(A, B) / ICMP(type=8, id=0x13, seq=1))
case('MPLS two labels (16 then 17 bottom of stack) then IPv6 UDP',
     Ether(src=M1, dst=M2, type=0x8847) / MPLS(label=16, cos=0, s=0, ttl=255) / MPLS(label=17, cos=0, s=1, ttl=255)
     / IPv6(src=A6, dst=B6) / UDP(sport=40308, dport=2222))
case('MPLS label 1048575 with exp 5 and ttl 3 then IPv4 UDP',
     Ether(src=M1, dst=M2, type=0x8847) / MPLS(label=1048575, cos=5, s=1, ttl=3) / ie4(A, B) / UDP(sport=40309, dport=2222))
case('MPLS IPv4 explicit null label 0 then IPv4 TCP',
     Ether(src=M1, dst=M2, type=0x8847) / MPLS(label=0, cos=7, s=1, ttl=1) / ie4(A, B) / TCP(sport=40310, dport=80, flags='S', seq=1))
case('GRE inside GRE, innermost IPv4 ICMP echo',
     e4() / GRE(proto=0x0800) / ie4(C, D) / GRE(proto=0x0800) / ie4('198.19.1.1', '198.19.1.2', id=0x300)
     / ICMP(type=8, id=0x14, seq=1))
case('VXLAN inside GRE, innermost Ethernet/IPv4/ICMP echo',
     e4() / GRE(proto=0x0800) / ie4(C, D) / UDP(sport=49157, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=300)
     / Ether(src=M3, dst='02:00:00:00:00:04') / ie4('198.19.1.1', '198.19.1.2', id=0x300) / ICMP(type=8, id=0x15, seq=1))
case('VXLAN whose inner IPv4 header is cut (caplen 42+8+8+14+10)',
     e4() / UDP(sport=49158, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=100) / Ether(src=M3, dst='02:00:00:00:00:04')
     / ie4(C, D) / ICMP(type=8, id=0x16, seq=1) / Raw(b'0123456789'), 14 + 20 + 8 + 8 + 14 + 10)
case('GRE whose inner TCP header is cut (caplen 14+20+4+20+6)',
     e4() / GRE(proto=0x0800) / ie4(C, D) / TCP(sport=40311, dport=80, flags='S', seq=1), 14 + 20 + 4 + 20 + 6)
case('GRE-TEB whose inner Ethernet header is cut (caplen 14+20+4+10)',
     e4() / GRE(proto=0x6558) / Ether(src=M3, dst='02:00:00:00:00:04') / ie4(C, D) / UDP(sport=40316, dport=2222), 14 + 20 + 4 + 10)
case('VXLAN whose inner UDP header is cut (caplen 14+20+8+8+14+20+4)',
     e4() / UDP(sport=49160, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=100) / Ether(src=M3, dst='02:00:00:00:00:04')
     / ie4(C, D) / UDP(sport=40317, dport=2222) / Raw(b'abcd'), 14 + 20 + 8 + 8 + 14 + 20 + 4)
case('IPIP whose inner IPv4 header is cut after 12 bytes',
     e4(proto=4) / ie4(C, D) / UDP(sport=40312, dport=2222), 14 + 20 + 12)
case('IPIP with inner IPv4 header of IHL 3',
     e4(proto=4) / ie4(C, D, ihl=3) / UDP(sport=40313, dport=2222))
case('GRE carrying an inner IPv4 header of IHL 3',
     e4() / GRE(proto=0x0800) / ie4(C, D, ihl=3) / UDP(sport=40314, dport=2222))
case('VXLAN with inner Ethernet carrying an IPv4 header of IHL 3',
     e4() / UDP(sport=49159, dport=4789) / VXLAN(flags=0x08, NextProtocol=0, vni=100) / Ether(src=M3, dst='02:00:00:00:00:04')
     / ie4(C, D, ihl=3) / UDP(sport=40315, dport=2222))

case('GRE inside GRE six deep: the 128 bytes a record carries end inside the innermost IPv4 header',
     e4() / GRE() / ie4('198.19.0.5', '198.19.1.5') / GRE() / ie4('198.19.0.4', '198.19.1.4') / GRE()
     / ie4('198.19.0.3', '198.19.1.3') / GRE() / ie4('198.19.0.2', '198.19.1.2') / GRE()
     / ie4('198.19.0.1', '198.19.1.1') / GRE() / ie4('198.19.0.0', '198.19.1.0') / ICMP(type=8, id=0x18, seq=1))
case('MPLS over GRE (proto 0x8847), one label, then IPv4 ICMP echo',
     e4() / GRE(proto=0x8847) / MPLS(label=200, cos=0, s=1, ttl=64) / ie4(C, D) / ICMP(type=8, id=0x19, seq=1))
case('GRE whose inner TCP header is cut before its ports (caplen 14+20+4+20+3)',
     e4() / GRE(proto=0x0800) / ie4(C, D) / TCP(sport=40318, dport=80, flags='S', seq=1), 14 + 20 + 4 + 20 + 3)
case('IPv6-in-IPv4 (proto 41) carrying a 28-byte IPv4 packet',
     e4(proto=41) / ie4(C, D) / UDP(sport=40319, dport=2222))

# ---------------------------------------------------------------- other IP protocols
section('ipproto')
case('SCTP INIT chunk',
     e4() / SCTP(sport=5000, dport=5001, tag=0) / SCTPChunkInit(init_tag=0x11223344, a_rwnd=65535, n_out_streams=10, n_in_streams=10, init_tsn=1))
case('SCTP DATA chunk (B/E set, 5 bytes)',
     e4() / SCTP(sport=5000, dport=5001, tag=0x55667788) / SCTPChunkData(tsn=1, stream_id=0, stream_seq=0, proto_id=0, beginning=1, ending=1, data=b'hello'))
case('SCTP over IPv6 with DATA chunk',
     e6() / SCTP(sport=5000, dport=5001, tag=0x55667788) / SCTPChunkData(tsn=2, stream_id=1, stream_seq=1, proto_id=46, beginning=1, ending=1, data=b'abcd'))
case('IGMPv1 report for 239.1.2.3',
     e4(A, '239.1.2.3', ttl=1) / IGMP(type=0x12, mrcode=0, gaddr='239.1.2.3'))
case('IGMPv2 report for 239.1.2.3 (router alert option)',
     e4(A, '239.1.2.3', ttl=1, options=[IPOption_Router_Alert()]) / IGMP(type=0x16, mrcode=0, gaddr='239.1.2.3'))
case('IGMPv2 leave for 239.1.2.3',
     e4(A, '224.0.0.2', ttl=1, options=[IPOption_Router_Alert()]) / IGMP(type=0x17, mrcode=0, gaddr='239.1.2.3'))
case('IGMPv2 general query (max resp 10s)',
     e4(R, '224.0.0.1', ttl=1, options=[IPOption_Router_Alert()]) / IGMP(type=0x11, mrcode=100, gaddr='0.0.0.0'))
case('IGMPv2 group-specific query',
     e4(R, '239.1.2.3', ttl=1, options=[IPOption_Router_Alert()]) / IGMP(type=0x11, mrcode=10, gaddr='239.1.2.3'))
case('IGMPv3 general query',
     e4(R, '224.0.0.1', ttl=1, options=[IPOption_Router_Alert()]) / IGMPv3(type=0x11, mrcode=100) / IGMPv3mq(gaddr='0.0.0.0', qrv=2, qqic=125))
case('IGMPv3 group-and-source-specific query with 2 sources',
     e4(R, '239.1.2.3', ttl=1, options=[IPOption_Router_Alert()]) / IGMPv3(type=0x11, mrcode=10) / IGMPv3mq(gaddr='239.1.2.3', qrv=2, qqic=125, srcaddrs=[C, D]))
case('IGMPv3 report with 2 group records (to_ex no sources, allow 2 sources)',
     e4(A, '224.0.0.22', ttl=1, options=[IPOption_Router_Alert()]) / IGMPv3(type=0x22) / IGMPv3mr(records=[
         IGMPv3gr(rtype=4, maddr='239.1.2.3'),
         IGMPv3gr(rtype=5, maddr='239.1.2.4', srcaddrs=[C, D])]))
case('ESP over IPv4 spi 0x00001234 seq 5',
     e4(proto=50) / ESP(spi=0x1234, seq=5, data=b'\x11' * 24))
case('ESP over IPv6 spi 0x00001234 seq 6',
     e6() / ESP(spi=0x1234, seq=6, data=b'\x22' * 24))
case('AH over IPv4 (spi 0x00000100 seq 9) then ICMP echo',
     e4() / AH(nh=1, payloadlen=4, spi=0x100, seq=9, icv=b'\xbb' * 12) / ICMP(type=8, id=0x17, seq=1))
case('AH over IPv6 (spi 0x00000200 seq 10) then UDP',
     e6() / AH(nh=17, payloadlen=4, spi=0x200, seq=10, icv=b'\xcc' * 12)
     # scapy leaves a UDP checksum of 0 under AH: take it from a plain IPv6/UDP
     / Raw(bytes(IPv6(src=A6, dst=B6) / UDP(sport=40400, dport=2222))[40:]))

case('SCTP with a COOKIE ACK chunk then a DATA chunk (U flag)',
     e4() / SCTP(sport=5002, dport=5003, tag=1) / Raw(b'\x0b\x00\x00\x04')
     / SCTPChunkData(tsn=7, stream_id=2, stream_seq=3, proto_id=3, unordered=1, data=b'xyz'))
case('SCTP SACK without gap blocks, then INIT ACK',
     e4() / SCTP(sport=5002, dport=5003, tag=1)
     / Raw(b'\x03\x00\x00\x10\x00\x00\x00\x05\x00\x01\x00\x00\x00\x00\x00\x00'
           b'\x02\x00\x00\x14\x00\x00\x00\x09\x00\x00\x10\x00\x00\x05\x00\x06\x00\x00\x00\x64'))
case('SCTP SACK with a gap block and a duplicate TSN',
     e4() / SCTP(sport=5002, dport=5003, tag=1)
     / Raw(b'\x03\x00\x00\x18\x00\x00\x00\x05\x00\x01\x00\x00\x00\x01\x00\x01\x00\x02\x00\x03\x00\x00\x00\x04'))
case('SCTP with an unknown chunk type 0x40, then a chunk of length 2',
     e4() / SCTP(sport=5002, dport=5003, tag=1) / Raw(b'\x40\x00\x00\x06\xaa\xbb\x00\x00\x0b\x00\x00\x02'))
case('SCTP DATA chunk too short for its header',
     e4() / SCTP(sport=5002, dport=5003, tag=1) / Raw(b'\x00\x03\x00\x08\x00\x00\x00\x01'))
case('SCTP packet of 8 bytes (shorter than the common header)',
     e4(proto=132) / Raw(b'\x13\x88\x13\x89\x00\x00\x00\x01'))
case('SCTP DATA cut by the capture inside the chunk',
     e4() / SCTP(sport=5000, dport=5001, tag=1) / SCTPChunkData(tsn=9, data=b'p' * 40), caplen=14 + 20 + 12 + 20)
case('IGMPv1 query (max resp code 0)',
     e4(R, '224.0.0.1', ttl=1) / IGMP(type=0x11, mrcode=0, gaddr='0.0.0.0'))
case('IGMPv3 query with max resp code 200 (exponential form)',
     e4(R, '224.0.0.1', ttl=1, options=[IPOption_Router_Alert()]) / IGMPv3(type=0x11, mrcode=200) / IGMPv3mq(gaddr='0.0.0.0', qrv=2, qqic=125))
case('IGMP mtrace query',
     e4(A, '224.0.0.2', ttl=1, proto=2) / Raw(b'\x1f\x10\x00\x00\xe0\x00\x00\x02' + bytes([198, 18, 0, 9, 198, 18, 0, 10, 239, 1, 1, 1, 32, 0, 0, 42])))
case('IGMP of an unknown type 0x99',
     e4(A, '224.0.0.2', ttl=1, proto=2) / IGMP(type=0x99, mrcode=0, gaddr='0.0.0.0'))
case('IGMP over IPv6 (next header 2)',
     e6(nh=2) / Raw(b'\x16\x00\x00\x00\xef\x01\x02\x03'))
case('ESP cut by the capture after 6 bytes',
     e4(proto=50) / ESP(spi=0x1234, seq=5, data=b'\x11' * 24), caplen=14 + 20 + 6)
case('AH over IPv4 then TCP with options',
     e4() / AH(nh=6, payloadlen=4, spi=0x300, seq=11, icv=b'\xdd' * 12)
     / Raw(bytes(IP(src=A, dst=B) / TCP(sport=40401, dport=80, flags='S', seq=77, window=1024, options=[('MSS', 1200)]))[20:]))
case('AH over IPv4 then ESP',
     e4() / AH(nh=50, payloadlen=4, spi=0x301, seq=12, icv=b'\xdd' * 12) / ESP(spi=0x55, seq=2, data=b'\x44' * 8))
case('AH over IPv4 cut by the capture inside the ICV',
     e4() / AH(nh=1, payloadlen=4, spi=0x302, seq=13, icv=b'\xee' * 12) / ICMP(type=8, id=1, seq=1), caplen=14 + 20 + 16)
case('IPv4 protocol 59 (no next header)',
     e4(proto=59) / Raw(b'n' * 4))


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: mkdeep.py OUTDIR')
    for name, cases in FILES.items():
        out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)]
        for n, (_, pkt, caplen) in enumerate(cases, 1):
            data = bytes(pkt)
            cap = data if caplen is None else data[:caplen]
            out.append(struct.pack('<IIII', 1700000000 + n, 0, len(cap), len(data)) + cap)
        with open(os.path.join(sys.argv[1], name), 'wb') as f:
            f.write(b''.join(out))


if __name__ == '__main__':
    main()
