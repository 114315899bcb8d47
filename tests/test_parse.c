// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: unit tests of the shared parser and the line formatter
 *
 * Crafted frames go through sc_parse_frame() -- the same parser the socket
 * filter runs -- and sc_format(); the lines are compared with what a reader
 * of tcpdump -n output expects. Every frame is also cut at every byte offset.
 */
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse.h"
#include "pkt.h"
#include "print.h"

static int failures, checks;

/*
 * With TEST_PARSE_PCAP=FILE, every frame whose line is checked is written
 * to FILE (classic pcap, Ethernet), so that the expected lines can be
 * checked against "tcpdump -n -r FILE" (with -e and -v where the check
 * says so).
 */
static FILE *frames_out;

static void dump_frame(const struct pkt *p)
{
	uint32_t rec[4] = { (uint32_t)checks, 0, p->len, p->len };

	if (!frames_out)
		return;
	fwrite(rec, sizeof(rec), 1, frames_out);
	fwrite(p->b, 1, p->len, frames_out);
}

static void dump_open(void)
{
	const char *path = getenv("TEST_PARSE_PCAP");
	/* magic, version 2.4, zone, sigfigs, snap length, LINKTYPE_ETHERNET */
	uint32_t hdr[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 65535, 1 };

	if (!path)
		return;
	frames_out = fopen(path, "wb");
	if (!frames_out) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	fwrite(hdr, sizeof(hdr), 1, frames_out);
}

static const char *test_ifname(uint32_t ifindex, void *arg)
{
	return ifindex == 2 ? "eth0" : NULL;
}

static void printer_for(struct printer *pr, int eflag, int vflag)
{
	struct print_opts o = { .ts = TS_NONE, .eflag = eflag, .vflag = vflag };

	printer_init(pr, &o);
	pr->ifname = test_ifname;
}

/* Parse caplen bytes of p (wire length p->len) and format the line. */
static void line_of(const struct pkt *p, unsigned int caplen, int eflag, int vflag,
		    struct sc_record *r, char *out)
{
	struct printer pr;
	size_t n;

	memset(r, 0xa5, sizeof(*r)); /* stale ring memory */
	r->ts_ns = 0;
	r->ifindex = 2;
	r->pkttype = PACKET_HOST;
	sc_parse_frame(p->b, caplen, p->len, r);
	printer_for(&pr, eflag, vflag);
	n = sc_format(&pr, r, out, SC_LINE_MAX);
	if (n == 0 || n >= SC_LINE_MAX || out[n - 1] != '\n') {
		printf("FAIL %s: malformed line (%zu bytes)\n", p->name, n);
		failures++;
		n = n ? n : 1;
	}
	out[n - 1] = 0;
}

static void expect_line(const struct pkt *p, int eflag, int vflag, const char *want)
{
	struct sc_record r;
	char got[SC_LINE_MAX];

	line_of(p, p->len, eflag, vflag, &r, got);
	dump_frame(p);
	checks++;
	if (strcmp(got, want)) {
		printf("FAIL %s%s%s\n  want: %s\n  got:  %s\n", p->name, eflag ? " -e" : "",
		       vflag ? " -v" : "", want, got);
		failures++;
	}
}

#define EXPECT(p, want) expect_line(p, 0, 0, "eth0 In  " want)

/*
 * Cut the frame at every length: below hdr_end bytes the record must say
 * truncated and the line must end in "[|layer]"; from hdr_end on it must not.
 */
static void sweep_truncation(const struct pkt *p, unsigned int hdr_end)
{
	for (unsigned int n = 0; n <= p->len; n++) {
		struct sc_record r;
		char line[SC_LINE_MAX];
		int trunc, marked;

		line_of(p, n, n & 1, n & 2, &r, line);
		trunc = !!(r.flags & SC_F_TRUNC);
		marked = strstr(line, "[|") != NULL;
		checks++;
		if (trunc != (n < hdr_end) || marked != trunc) {
			printf("FAIL %s cut at %u/%u: trunc=%d marked=%d: %s\n", p->name, n, p->len,
			       trunc, marked, line);
			failures++;
		}
	}
}

static void test_basic_lines(void)
{
	struct pkt p;

	pkt_udp4(&p);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, "
		    "ethertype IPv4 (0x0800), length 60: "
		    "198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");
	expect_line(&p, 0, 1,
		    "eth0 In  IP (tos 0x0, ttl 64, id 4660, offset 0, "
		    "flags [DF], proto UDP (17), length 46) "
		    "198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");

	pkt_tcp4(&p, 0x02, 0);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [S], seq 1000, win 512, length 0");
	pkt_tcp4(&p, 0x12, 0);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [S.], seq 1000, ack 2000, win 512, "
		   "length 0");
	pkt_tcp4(&p, 0x18, 10);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [P.], seq 1000:1010, ack 2000, win "
		   "512, length 10");
	pkt_tcp4(&p, 0x00, 0);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [none], win 512, length 0");
	pkt_tcp4(&p, 0xc1 | 0x10, 0);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [F.EW], seq 1000, ack 2000, win "
		   "512, length 0");

	pkt_icmp4(&p);
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: ICMP echo request, id 4321, seq 7, length 64");

	pkt_udp6(&p);
	EXPECT(&p, "IP6 fd00:198:18::1.40000 > fd00:198:18::2.9: UDP, length 10");
	expect_line(&p, 0, 1,
		    "eth0 In  IP6 (flowlabel 0x12345, hlim 64, next-header UDP (17) "
		    "payload length: 18) fd00:198:18::1.40000 > fd00:198:18::2.9: UDP, length 10");
	pkt_icmp6(&p);
	EXPECT(&p,
	       "IP6 fd00:198:18::1 > fd00:198:18::2: ICMP6, echo request, id 99, seq 3, length 16");
	pkt_tcp6_ext(&p);
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: HBH DSTOPT 40000 > 80: Flags [S], seq 5, "
		   "win 512, length 0");

	pkt_arp(&p, 1);
	EXPECT(&p, "ARP, Request who-has 198.18.0.2 tell 198.18.0.1, length 28");
	pkt_arp(&p, 2);
	EXPECT(&p, "ARP, Reply 198.18.0.1 is-at 02:00:00:00:00:0a, length 28");
}

/* As the kernel hands it over: outer tag stripped, reported out of band. */
static void expect_oob(const struct pkt *p, uint16_t tci, const char *want)
{
	struct sc_buf b = { .data = p->b, .len = p->len };
	struct sc_record r;
	struct printer pr;
	char line[SC_LINE_MAX];
	size_t n;

	memset(&r, 0, sizeof(r));
	r.ifindex = 2;
	r.pkttype = PACKET_OUTGOING;
	r.version = SC_RECORD_VERSION;
	r.flags = SC_F_VLAN_OOB;
	r.vlan_tci = tci;
	r.wire_len = p->len;
	sc_parse(&b, &r);
	printer_for(&pr, 0, 0);
	n = sc_format(&pr, &r, line, sizeof(line));
	line[n - 1] = 0;
	checks++;
	if (strcmp(line, want)) {
		printf("FAIL %s with stripped tag\n  want: %s\n  got:  %s\n", p->name, want, line);
		failures++;
	}
}

static void test_vlan(void)
{
	struct pkt p;

	pkt_vlan_udp4(&p, 1);
	EXPECT(&p, "vlan 10, p 1, IP 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, "
		    "ethertype 802.1Q (0x8100), length 50: vlan 10, p 1, "
		    "ethertype IPv4 (0x0800), 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	/* stacked (QinQ) tags */
	pkt_vlan_udp4(&p, 2);
	EXPECT(&p,
	       "vlan 10, p 1, vlan 20, p 1, IP 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	/* more tags than the parser walks: stops, says what it saw */
	pkt_vlan_udp4(&p, 3);
	EXPECT(&p, "vlan 10, p 1, vlan 20, p 1, ethertype 802.1Q (0x8100), length 36");
	/* a tag the kernel stripped, plus tags left in the frame */
	pkt_vlan_udp4(&p, 1);
	expect_oob(&p, 100,
		   "eth0 Out vlan 100, p 0, vlan 10, p 1, "
		   "IP 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	pkt_vlan_udp4(&p, 2);
	expect_oob(&p, 100,
		   "eth0 Out vlan 100, p 0, vlan 10, p 1, "
		   "ethertype 802.1Q (0x8100), length 36");
}

static void test_malformed(void)
{
	struct pkt p;
	unsigned int ip;

	/* IHL below 5 */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 4, 0, 0);
	udp(&p, 1, 2, 0, -1);
	finish_ip4(&p, ip);
	p.name = "ihl4";
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: [invalid ip]");

	/* IHL 15 (40 bytes of options) present: parsed past the options */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 15, 0, 0);
	udp(&p, 1, 2, 0, -1);
	finish_ip4(&p, ip);
	p.name = "ihl15";
	EXPECT(&p, "IP 198.18.0.1.1 > 198.18.0.2.2: UDP, length 0");
	sweep_truncation(&p, 14 + 60 + 8);

	/* total length zero, and total length beyond the frame */
	eth(&p, MAC_B, 0x0800);
	ip4(&p, 17, 5, 0, 0);
	udp(&p, 1, 2, 0, -1);
	p.name = "totlen0";
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: [invalid ip]");
	eth(&p, MAC_B, 0x0800);
	ip4(&p, 17, 5, 1500, 0);
	udp(&p, 40000, 9, 18, -1);
	p.name = "totlen1500";
	EXPECT(&p, "IP [truncated-ip] 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");

	/* UDP length fields: zero, shorter than the header, beyond the IP payload */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 5, 0, 0);
	udp(&p, 1, 2, 18, 0);
	finish_ip4(&p, ip);
	p.name = "udplen0";
	EXPECT(&p, "IP 198.18.0.1.1 > 198.18.0.2.2: truncated-udplength 0");
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 5, 0, 0);
	udp(&p, 1, 2, 18, 500);
	finish_ip4(&p, ip);
	p.name = "udplen500";
	EXPECT(&p, "IP 198.18.0.1.1 > 198.18.0.2.2: UDP, bad length 492 > 18");

	/* TCP data offset below 5 */
	pkt_tcp4(&p, 0x02, 0);
	p.b[14 + 20 + 12] = 4 << 4;
	p.name = "doff4";
	EXPECT(&p,
	       "IP 198.18.0.1.40000 > 198.18.0.2.80:  tcp 4 [bad hdr length 16 - too short, < 20]");

	/* IPv4 non-first fragment: no L4 header to parse */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 5, 0, 0x2000 | 185);
	putz(&p, 26);
	finish_ip4(&p, ip);
	p.name = "frag4";
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: frag offset 1480, ip-proto-17, length 26");

	/* IPv6 fragment header with a non-zero offset */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 44);
	put8(&p, 17);
	put8(&p, 0);
	put16(&p, 1480);
	put32(&p, 0xabcd);
	putz(&p, 16);
	finish_ip6(&p, ip);
	p.name = "frag6";
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (1480|16)");

	/* IPv6 chain longer than the walk: stops, never loops */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 60);
	for (int i = 0; i < SC_MAX_EXTHDR + 2; i++)
		ext8(&p, i + 1 < SC_MAX_EXTHDR + 2 ? 60 : 17);
	udp(&p, 1, 2, 0, -1);
	finish_ip6(&p, ip);
	p.name = "exthdr-deep";
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: DSTOPT DSTOPT DSTOPT DSTOPT DSTOPT DSTOPT "
		   "DSTOPT DSTOPT [extension header chain too long]");

	/* exactly as many extension headers as the walk allows */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 60);
	for (int i = 0; i < SC_MAX_EXTHDR; i++)
		ext8(&p, i + 1 < SC_MAX_EXTHDR ? 60 : 17);
	udp(&p, 1, 2, 0, -1);
	finish_ip6(&p, ip);
	p.name = "exthdr-max";
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: DSTOPT DSTOPT DSTOPT DSTOPT DSTOPT DSTOPT "
		   "DSTOPT DSTOPT 1 > 2: UDP, length 0");

	/* an extension header longer than the payload length says */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 60);
	put8(&p, 17);
	put8(&p, 10); /* 88 bytes */
	putz(&p, 6);
	udp(&p, 1, 2, 0, -1);
	finish_ip6(&p, ip);
	p.name = "exthdr-long";
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: [invalid ip6]");

	/* ... and one that runs off the end of the frame */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 0);
	ext8(&p, 60);
	put8(&p, 17);
	put8(&p, 0);
	p.name = "exthdr-offend";
	finish_ip6(&p, ip);
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: HBH [|ip6]");

	/* wrong IP version inside an IPv4 ethertype */
	pkt_udp4(&p);
	p.b[14] = 0x65;
	p.name = "version6-in-ip4";
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: [invalid ip]");

	/* ICMP type without an id/seq word, cut after type and code */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 1, 5, 0, 0);
	put8(&p, 3);
	put8(&p, 3);
	put16(&p, 0);
	finish_ip4(&p, ip);
	p.name = "icmp-unreach-short";
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2:  [|icmp]");

	/* other IP protocol, unknown ethertype, runt frame */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 47, 5, 0, 0);
	putz(&p, 24);
	finish_ip4(&p, ip);
	p.name = "gre";
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: GREv0, length 24: gre-proto-0x0");
	eth(&p, MAC_B, 0x88b5);
	putz(&p, 46);
	p.name = "ethertype-unknown";
	EXPECT(&p, "ethertype Unknown (0x88b5), length 46");
	p.len = 10;
	p.name = "runt";
	EXPECT(&p, "[|ether]");
}

/*
 * Fragments, as tcpdump -n (and -v) prints them: a first fragment's L4
 * header with the whole datagram's lengths, no "bad length"; IPv6 with
 * the fragment header's offset and length (and id with -v) before it.
 */
static void test_fragments(void)
{
	struct pkt p;
	unsigned int ip;

	pkt_frag4_first(&p, 17);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 4000");
	expect_line(&p, 0, 1,
		    "eth0 In  IP (tos 0x0, ttl 64, id 4660, offset 0, flags [+], proto UDP (17), "
		    "length 68) 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 4000");
	pkt_frag4_first(&p, 6);
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [P.], seq 1000:1040, ack 2000, win "
		   "512, length 40");
	pkt_frag4_first(&p, 1);
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: ICMP echo request, id 4321, seq 7, length 48");
	pkt_frag4_later(&p);
	EXPECT(&p, "IP 198.18.0.1 > 198.18.0.2: frag offset 1480, ip-proto-17, length 64");
	/* an unfragmented datagram still has its length checked */
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 5, 0, 0x4000);
	udp(&p, 40000, 9, 40, 4008);
	finish_ip4(&p, ip);
	p.name = "udp4-df-long";
	EXPECT(&p, "IP 198.18.0.1.40000 > 198.18.0.2.9: UDP, bad length 4000 > 40");

	pkt_frag6_first(&p, 17);
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (0|48) 40000 > 9: UDP, length 4000");
	expect_line(&p, 0, 1,
		    "eth0 In  IP6 (flowlabel 0x12345, hlim 64, next-header Fragment (44) payload "
		    "length: 56) fd00:198:18::1 > fd00:198:18::2: frag (0xdeadbeef:0|48) 40000 > "
		    "9: UDP, length 4000");
	pkt_frag6_first(&p, 6);
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (0|60) 40000 > 80: Flags [P.], seq "
		   "1000:1040, ack 2000, win 512, length 40");
	pkt_frag6_first(&p, 58);
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (0|48) ICMP6, echo request, id 99, "
		   "seq 3, length 48");
	pkt_frag6_later(&p);
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (1232|100)");
	expect_line(&p, 1, 1,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv6 (0x86dd), "
		    "length 162: (flowlabel 0x12345, hlim 64, next-header Fragment (44) payload "
		    "length: "
		    "108) fd00:198:18::1 > fd00:198:18::2: frag (0xdeadbeef:1232|100)");
	/* an atomic fragment (RFC 6946): offset 0, no more; no length check either */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 44);
	frag6_hdr(&p, 17, 0, 0, 7);
	udp(&p, 1, 2, 10, 100);
	finish_ip6(&p, ip);
	p.name = "frag6-atomic";
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (0|18) 1 > 2: UDP, length 92");
	/* a destination options header after the fragment header: skipped */
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 44);
	frag6_hdr(&p, 60, 0, 1, 7);
	ext8(&p, 17);
	udp(&p, 1, 2, 10, -1);
	finish_ip6(&p, ip);
	p.name = "frag6-dstopts";
	EXPECT(&p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (0|26) DSTOPT 1 > 2: UDP, length 10");
	/* cut inside the UDP header of a first fragment */
	pkt_frag6_first(&p, 17);
	sweep_truncation(&p, 14 + 40 + 8 + 8);
	pkt_frag4_first(&p, 6);
	sweep_truncation(&p, 14 + 20 + 20);
}

/*
 * 802.3 frames: the LLC header, SNAP and STP with tcpdump's words (with
 * -e as tcpdump -e, whose "802.3, length N" is the length field).
 */
static void test_llc(void)
{
	struct pkt p;

	pkt_stp(&p, 0, 0, 0);
	EXPECT(&p, "STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:0a.8001, "
		   "length 35");
	expect_line(
		&p, 1, 0,
		"eth0 In  02:00:00:00:00:0a > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap "
		"STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, "
		"Flags [none], bridge-id 8000.02:00:00:00:00:0a.8001, length 35");
	pkt_stp(&p, 0, 0, 0x81);
	EXPECT(&p, "STP 802.1d, Config, Flags [Topology change, Topology change ACK], bridge-id "
		   "8000.02:00:00:00:00:0a.8001, length 35");
	pkt_stp(&p, 2, 2, 0x3c);
	EXPECT(&p, "STP 802.1w, Rapid STP, Flags [Learn, Forward], bridge-id "
		   "8000.02:00:00:00:00:0a.8001, length 36");
	pkt_stp(&p, 0, 0x80, 0);
	EXPECT(&p, "STP 802.1d, Topology Change");
	/* a configuration BPDU one byte short */
	pkt_stp(&p, 0, 0, 0);
	p.b[12] = 0;
	p.b[13] = 3 + 34;
	p.name = "stp-short";
	EXPECT(&p, "STP 802.1d, Config (invalid)");
	/* a protocol identifier other than 0, and an unknown version */
	pkt_stp(&p, 0, 0, 0);
	p.b[18] = 1;
	p.name = "stp-protocol";
	EXPECT(&p, "unknown STP version, length 35");
	pkt_stp(&p, 7, 0, 0);
	EXPECT(&p, "STP Unknown STP protocol (0x07)");

	pkt_snap_cdp(&p);
	EXPECT(&p, "02:00:00:00:00:0a > 01:00:0c:cc:cc:cc SNAP, oui Cisco (0x00000c), pid CDP "
		   "(0x2000), length 4");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 01:00:0c:cc:cc:cc, 802.3, length 12: LLC, dsap "
		    "SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco "
		    "(0x00000c), pid CDP (0x2000), length 4");

	/* other SAPs: the frame's format, after the addresses without -e */
	pkt_llc(&p, 0xf0, 0xf0, 0x03);
	EXPECT(&p, "02:00:00:00:00:0a > 02:00:00:00:00:0b NetBeui Unnumbered, ui, Flags [Command], "
		   "length 43");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, 802.3, length 43: LLC, dsap "
		    "NetBeui (0xf0) Individual, ssap NetBeui (0xf0) Command, ctrl 0x03: "
		    "Unnumbered, ui, Flags [Command], length 43");
	pkt_llc(&p, 0x10, 0x21, 0x73);
	EXPECT(&p, "02:00:00:00:00:0a Unknown SSAP 0x20 > 02:00:00:00:00:0b Unknown DSAP 0x10 "
		   "Unnumbered, ua, Flags [Final], length 43");
	pkt_llc(&p, 0x04, 0x04, 0x01);
	p.b[17] = 0x0b; /* S format, receiver ready, N(R) 5, poll */
	EXPECT(&p, "02:00:00:00:00:0a > 02:00:00:00:00:0b SNA Supervisory, Receiver Ready, rcv seq "
		   "5, Flags [Poll], length 43");
	pkt_llc(&p, 0x04, 0x05, 0x02);
	p.b[17] = 0x05; /* I format, N(S) 1, N(R) 2, final */
	EXPECT(&p, "02:00:00:00:00:0a > 02:00:00:00:00:0b SNA Information, send seq 1, rcv seq 2, "
		   "Flags [Final], length 43");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, 802.3, length 43: LLC, dsap "
		    "SNA (0x04) Individual, ssap SNA (0x04) Response, ctrl 0x0502: Information, "
		    "send seq 1, rcv seq 2, Flags [Final], length 43");
	/* a length field too short for the LLC header */
	pkt_llc(&p, 0x04, 0x04, 0x03);
	p.b[13] = 2;
	p.name = "llc-len2";
	EXPECT(&p, "[|llc]");

	/* cut everywhere: the headers end at the STP fields tcpdump prints */
	pkt_stp(&p, 0, 0, 0);
	sweep_truncation(&p, 14 + 3 + 27);
	pkt_stp(&p, 0, 0x80, 0);
	sweep_truncation(&p, 14 + 3 + 4);
	pkt_snap_cdp(&p);
	sweep_truncation(&p, 14 + 8);
	pkt_llc(&p, 0x04, 0x04, 0x02);
	sweep_truncation(&p, 14 + 4);
}

/*
 * -e: each tag's TPID, and after it the EtherType that follows, as
 * tcpdump -e; an EtherType sockcap does not decode once, by its name.
 */
static void test_link_headers(void)
{
	struct pkt p;

	pkt_qinq_udp4(&p);
	EXPECT(&p,
	       "vlan 100, p 3, vlan 20, p 1, IP 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype 802.1Q-QinQ "
		    "(0x88a8), length 54: vlan 100, p 3, ethertype 802.1Q (0x8100), vlan 20, p 1, "
		    "ethertype IPv4 (0x0800), 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	/* the third tag is not walked: its EtherType, once */
	pkt_vlan_udp4(&p, 3);
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype 802.1Q (0x8100), "
		    "length 58: vlan 10, p 1, ethertype 802.1Q (0x8100), vlan 20, p 1, ethertype "
		    "802.1Q (0x8100), length 36");
	/* an inner tag of VLAN 0, priority 0 is still a tag */
	pkt_vlan_udp4(&p, 2);
	p.b[18] = 0;
	p.b[19] = 0;
	p.name = "vlan-inner-0";
	EXPECT(&p,
	       "vlan 10, p 1, vlan 0, p 0, IP 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");

	pkt_lldp(&p);
	EXPECT(&p, "LLDP, length 20");
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 01:80:c2:00:00:0e, ethertype LLDP (0x88cc), "
		    "length 34: LLDP, length 20");
	/* tagged, and a tagged 802.3 frame */
	eth(&p, MAC_LLDP, 0x8100);
	vlan_tag(&p, 0x0005, 0x88cc);
	putz(&p, 20);
	p.name = "vlan-lldp";
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 01:80:c2:00:00:0e, ethertype 802.1Q (0x8100), "
		    "length 38: vlan 5, p 0, ethertype LLDP (0x88cc), LLDP, length 20");
	/* an unknown EtherType: by its number, after -e's header its length only */
	eth(&p, MAC_B, 0x88b5);
	putz(&p, 46);
	p.name = "ethertype-unknown";
	expect_line(&p, 1, 0,
		    "eth0 In  02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype Unknown (0x88b5), "
		    "length 60: length 46");
	eth(&p, MAC_B, 0x8863);
	putz(&p, 40);
	p.name = "pppoe-discovery";
	EXPECT(&p, "PPPoE D, length 40");
}

static void test_truncation_everywhere(void)
{
	struct pkt p;

	pkt_udp4(&p);
	sweep_truncation(&p, 42);
	pkt_tcp4(&p, 0x18, 10);
	sweep_truncation(&p, 54);
	pkt_icmp4(&p);
	sweep_truncation(&p, 42);
	pkt_udp6(&p);
	sweep_truncation(&p, 62);
	pkt_icmp6(&p);
	sweep_truncation(&p, 62);
	pkt_tcp6_ext(&p);
	sweep_truncation(&p, 90);
	pkt_arp(&p, 1);
	sweep_truncation(&p, 42);
	pkt_vlan_udp4(&p, 2);
	sweep_truncation(&p, 50);
}

static void expect_ts(enum ts_style ts, int64_t offset, const uint64_t *stamps, int n,
		      const char *want_last)
{
	struct print_opts o = { .ts = ts };
	struct printer pr;
	struct sc_record r;
	struct pkt p;
	char line[SC_LINE_MAX];

	pkt_udp4(&p);
	memset(&r, 0, sizeof(r));
	sc_parse_frame(p.b, p.len, p.len, &r);
	r.ifindex = 2;
	printer_init(&pr, &o);
	pr.ifname = test_ifname;
	pr.tai_offset_ns = offset;
	for (int i = 0; i < n; i++) {
		r.ts_ns = stamps[i];
		line[sc_format(&pr, &r, line, sizeof(line) - 1)] = 0;
	}
	checks++;
	if (strncmp(line, want_last, strlen(want_last))) {
		printf("FAIL timestamp style %d\n  want: %s...\n  got:  %s", ts, want_last, line);
		failures++;
	}
}

static void test_timestamps(void)
{
	/* 2023-11-14 22:13:20.123456789 UTC, 37 s TAI offset */
	const uint64_t t[] = { 1700000037123456789ULL, 1700000038623456789ULL };

	setenv("TZ", "UTC", 1);
	tzset();
	expect_ts(TS_TIME, 37000000000LL, t, 1, "22:13:20.123456 eth0 In  IP ");
	expect_ts(TS_EPOCH, 37000000000LL, t, 1, "1700000000.123456 eth0 ");
	expect_ts(TS_DATE, 37000000000LL, t, 1, "2023-11-14 22:13:20.123456 eth0 ");
	expect_ts(TS_DELTA, 37000000000LL, t, 1, "00:00:00.000000 eth0 ");
	expect_ts(TS_DELTA, 37000000000LL, t, 2, "00:00:01.500000 eth0 ");
	expect_ts(TS_SINCE_FIRST, 0, t, 2, "00:00:01.500000 eth0 ");
	expect_ts(TS_NONE, 0, t, 1, "eth0 In  IP ");
	expect_ts(TS_TIME, 0, t, 1, "22:13:57.123456 ");
}

/* A frame of two 802.1ad/802.1Q tags and IPv6 with an extension and TCP. */
static void pkt_qinq_tcp6(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x88a8);
	vlan_tag(p, 0xefff, 0x8100);
	vlan_tag(p, 0xefff, 0x86dd);
	ip = ip6(p, 60);
	ext8(p, 6);
	tcp(p, 0x3f, 0xffffffff, 0xffffffff, 100);
	finish_ip6(p, ip);
	p->name = "qinq-tcp6";
}

static const char *hostile_ifname(uint32_t ifindex, void *arg)
{
	static char name[64];

	/* the longest name a pcapng reader keeps, every byte escaped */
	memset(name, ifindex == 1 ? 0x01 : 0xff, sizeof(name) - 1);
	return name;
}

/*
 * The formatter owns the line's bound: whatever room it is given, it
 * writes no more, the line ends in a newline, and with SC_LINE_MAX of room
 * the longest lines (two tags, IPv6/TCP, -e -v, a date, an interface name
 * of 63 escaped bytes) are whole.
 */
static void test_line_bound(void)
{
	static const enum ts_style styles[] = { TS_TIME,  TS_NONE, TS_EPOCH,
						TS_DELTA, TS_DATE, TS_SINCE_FIRST };
	struct pkt p;
	struct sc_record r;
	size_t longest = 0;
	char shown[SC_LINE_MAX + 1] = "";

	pkt_qinq_tcp6(&p);
	for (size_t s = 0; s < sizeof(styles) / sizeof(styles[0]); s++) {
		struct print_opts o = { .ts = styles[s], .eflag = 1, .vflag = 1 };
		char full[SC_LINE_MAX + 1], buf[SC_LINE_MAX + 16];
		struct printer pr;
		size_t n, whole;

		memset(&r, 0, sizeof(r));
		r.ifindex = 1;
		r.pkttype = PACKET_OUTGOING;
		/* the largest time each style can show */
		r.ts_ns = UINT64_MAX;
		sc_parse_frame(p.b, p.len, 0xffff, &r);
		printer_init(&pr, &o);
		pr.ifname = hostile_ifname;
		pr.from_file = 1;
		whole = sc_format(&pr, &r, full, SC_LINE_MAX);
		checks++;
		if (whole < 2 || full[whole - 1] != '\n' ||
		    (whole >= 4 && !memcmp(full + whole - 4, "...", 3))) {
			printf("FAIL longest line, style %d: cut or malformed\n", styles[s]);
			failures++;
			continue;
		}
		if (whole > longest) {
			longest = whole;
			memcpy(shown, full, whole);
			shown[whole] = 0;
		}
		for (size_t room = 0; room <= whole + 1; room++) {
			memset(buf, 0x5a, sizeof(buf));
			/* the same time columns every time: a fresh printer */
			printer_init(&pr, &o);
			pr.ifname = hostile_ifname;
			pr.from_file = 1;
			n = sc_format(&pr, &r, buf, room);
			checks++;
			if (n > room || (room && (n == 0 || buf[n - 1] != '\n')) ||
			    buf[room] != 0x5a || (room >= whole && memcmp(buf, full, whole)) ||
			    (room < whole && room >= 4 && memcmp(buf + n - 4, "...\n", 4))) {
				printf("FAIL line in %zu bytes of room, style %d: %zu written\n",
				       room, styles[s], n);
				failures++;
				break;
			}
		}
	}
	printf("longest line: %zu bytes of %d\n", longest, SC_LINE_MAX);
	if (getenv("TEST_PARSE_SHOW"))
		fputs(shown, stdout);
}

int main(void)
{
	dump_open();
	test_basic_lines();
	test_vlan();
	test_malformed();
	test_fragments();
	test_llc();
	test_link_headers();
	test_truncation_everywhere();
	test_timestamps();
	test_line_bound();
	if (frames_out)
		fclose(frames_out);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
