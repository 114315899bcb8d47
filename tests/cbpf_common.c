// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: what test_cbpf and test_cbpf_live share: counts, the packet
 * corpus (built here, and the frames of tests/golden/deep-*.pcap), the
 * filter expressions read from tests/cbpf_exprs.txt
 */
#include "cbpf_common.h"

#include <ctype.h>

unsigned long checks, failures;
unsigned long show_fails = 10;

void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	if (failures > show_fails)
		return;
	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failures++;
	if (failures > show_fails)
		return;
	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- frames */

struct frame *frames;
unsigned int nframes;
static unsigned int capframes;

void add_cut(const struct pb *p, unsigned int len, const char *fmt, ...)
{
	struct frame *f;
	va_list ap;

	if (len > p->len)
		len = p->len;
	if (nframes == capframes) {
		capframes = capframes ? 2 * capframes : 256;
		frames = realloc(frames, capframes * sizeof(*frames));
		if (!frames)
			abort();
	}
	f = &frames[nframes++];
	f->b = malloc(len ? len : 1);
	if (!f->b)
		abort();
	memcpy(f->b, p->b, len);
	f->len = len;
	va_start(ap, fmt);
	vsnprintf(f->name, sizeof(f->name), fmt, ap);
	va_end(ap);
}

/* Deterministic: the corpus is the same on every run. */
static uint32_t rnd_state = 0x5eed1234;

uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void add_deep_frames(void);

void build_frames(void)
{
	static const unsigned int tcp_flags[] = { 0x02, 0x12, 0x10, 0x11, 0x04, 0x14, 0x18,
						  0x30, 0xc2, 0x00, 0xff, 0x01, 0x29, 0x52 };
	static const unsigned int ports[][2] = { { 40000, 80 }, { 80, 40000 }, { 65535, 443 },
						 { 0, 0 },	{ 53, 53 },    { 1500, 1500 },
						 { 22, 1023 },	{ 1024, 2000 } };
	static const uint8_t *const srcs[] = { IP_A, IP_B, IP_C, IP_D, IP_E };
	static const uint8_t *const dsts[] = { IP_B, IP_A, IP_E, IP_C, IP_D };
	struct pb p;
	unsigned int i, j, at, at2, len;

	/* Shorter than any header. */
	p.len = 0;
	add(&p, "empty");
	p8(&p, 0xff);
	add(&p, "1 byte");
	pn(&p, MAC_BC, 5);
	add(&p, "6 bytes");
	eth(&p, MAC_BC, MAC_A, 0x0800);
	add_cut(&p, 12, "12 bytes: MACs");
	add_cut(&p, 13, "13 bytes");
	add(&p, "14 bytes: IPv4 ethertype only");
	eth(&p, MAC_B, MAC_A, 0x86dd);
	add(&p, "14 bytes: IPv6 ethertype only");
	eth(&p, MAC_BC, MAC_A, 0x0806);
	add(&p, "14 bytes: ARP ethertype only");
	p8(&p, 0x45);
	add(&p, "15 bytes: IPv4 version byte");

	/* IPv4 TCP: flag combinations, ports, addresses. */
	for (i = 0; i < sizeof(tcp_flags) / sizeof(tcp_flags[0]); i++) {
		j = i % (sizeof(ports) / sizeof(ports[0]));
		v4_tcp(&p, i % 5 ? MAC_B : MAC_BC, srcs[i % 5], dsts[(i + 2) % 5], ports[j][0],
		       ports[j][1], tcp_flags[i], i % 3 ? 0 : 16);
		add(&p, "v4 tcp flags %#x %u>%u", tcp_flags[i], ports[j][0], ports[j][1]);
	}
	for (j = 0; j < sizeof(ports) / sizeof(ports[0]); j++) {
		v4_tcp(&p, MAC_B, IP_A, IP_B, ports[j][0], ports[j][1], 0x18, 40);
		add(&p, "v4 tcp data %u>%u", ports[j][0], ports[j][1]);
	}
	/* TCP data offsets: options, and nonsense below 5. */
	for (i = 0; i <= 15; i += i < 5 ? 4 : i < 8 ? 1 : 7) {
		eth(&p, MAC_B, MAC_A, 0x0800);
		at = ip4(&p, IP_A, IP_B, 6, 5, 0, 64);
		tcp(&p, 443, 50000, 0x12, i, 4);
		ip4_done(&p, at);
		add(&p, "v4 tcp doff %u", i);
	}
	/* TLS record start after 20 bytes of TCP. */
	eth(&p, MAC_B, MAC_A, 0x0800);
	at = ip4(&p, IP_D, IP_A, 6, 5, 0x4000, 57);
	tcp(&p, 50000, 443, 0x18, 5, 0);
	p16(&p, 0x1603);
	p8(&p, 0x01);
	pz(&p, 30);
	ip4_done(&p, at);
	add(&p, "v4 tcp tls client hello");

	/* IPv4 header lengths: options, and nonsense below 5. */
	for (i = 0; i <= 15; i++) {
		if (i == 1 || i == 2 || (i > 7 && i < 15))
			continue;
		eth(&p, MAC_B, MAC_A, 0x0800);
		at = ip4(&p, IP_B, IP_A, 6, i, 0, 128); /* 20 bytes for ihl < 5 */
		tcp(&p, 8080, 80, 0x02, 5, 0);
		ip4_done(&p, at);
		add(&p, "v4 ihl %u tcp", i);
	}
	/* Fragments. */
	{
		static const struct {
			unsigned int frag, proto;
			const char *name;
		} fr[] = {
			{ 0x2000, 6, "first (MF)" },
			{ 0x20b9, 6, "middle" },
			{ 0x0172, 6, "last" },
			{ 0x4000, 17, "DF udp" },
			{ 0x2000, 17, "first udp" },
			{ 0x0003, 17, "last udp" },
			{ 0x1fff, 1, "max offset icmp" },
			{ 0xe000, 6, "all flags" },
		};

		for (i = 0; i < sizeof(fr) / sizeof(fr[0]); i++) {
			eth(&p, MAC_B, MAC_A, 0x0800);
			at = ip4(&p, IP_A, IP_C, fr[i].proto, 5, fr[i].frag, 64);
			if (fr[i].proto == 6)
				tcp(&p, 40000, 80, 0x02, 5, 8);
			else if (fr[i].proto == 17)
				udp(&p, 53, 53, 16);
			else
				icmp(&p, 8, 0);
			ip4_done(&p, at);
			add(&p, "v4 fragment %s", fr[i].name);
		}
	}
	/* UDP. */
	v4_udp(&p, MAC_B, IP_A, IP_D, 40000, 53, 30);
	add(&p, "v4 udp dns query");
	v4_udp(&p, MAC_B, IP_D, IP_A, 53, 40000, 120);
	add(&p, "v4 udp dns answer");
	v4_udp(&p, MAC_B, IP_A, IP_C, 40001, 33434, 0);
	add(&p, "v4 udp traceroute");
	v4_udp(&p, MAC_BC, IP_Z, IP_BC, 68, 67, 240);
	add(&p, "v4 udp dhcp broadcast");
	v4_udp(&p, MAC_MC4, IP_A, IP_MC, 5353, 5353, 20);
	add(&p, "v4 udp multicast");
	v4_udp(&p, MAC_B, IP_A, IP_B, 0, 65535, 1);
	add(&p, "v4 udp ports 0>65535");
	v4_udp(&p, MAC_B, IP_A, IP_B, 65535, 0, 2);
	add(&p, "v4 udp ports 65535>0");
	/* Geneve (RFC 8926) carrying Ethernet/IPv4/TCP. */
	{
		struct pb in;

		v4_tcp(&in, MAC_B, IP_C, IP_D, 1234, 80, 0x02, 0);
		eth(&p, MAC_B, MAC_A, 0x0800);
		at = ip4(&p, IP_A, IP_B, 17, 5, 0, 64);
		p16(&p, 40000);
		p16(&p, 6081);
		p16(&p, 16 + in.len);
		p16(&p, 0);
		p32(&p, 0x00006558);
		p32(&p, 100 << 8);
		pn(&p, in.b, in.len);
		ip4_done(&p, at);
		add(&p, "v4 geneve vni 100 inner tcp");
	}

	/* ICMP and other IPv4 protocols. */
	{
		static const unsigned int it[][2] = { { 8, 0 },	 { 0, 0 }, { 3, 4 },
						      { 11, 0 }, { 5, 1 }, { 13, 0 } };

		for (i = 0; i < sizeof(it) / sizeof(it[0]); i++) {
			eth(&p, MAC_B, MAC_A, 0x0800);
			at = ip4(&p, srcs[i % 5], dsts[i % 5], 1, 5, 0, i ? 64 : 1);
			icmp(&p, it[i][0], it[i][1]);
			ip4_done(&p, at);
			add(&p, "v4 icmp %u/%u", it[i][0], it[i][1]);
		}
	}
	{
		static const unsigned int pr[] = { 2, 47, 50, 51, 89, 103, 112, 132, 255, 0 };

		for (i = 0; i < sizeof(pr) / sizeof(pr[0]); i++) {
			eth(&p, pr[i] == 2 ? MAC_MC4 : MAC_B, MAC_A, 0x0800);
			at = ip4(&p, IP_A, pr[i] == 2 ? IP_MC : IP_B, pr[i], 5, 0, 64);
			p16(&p, 9);
			p16(&p, 9);
			p32(&p, 0x11223344);
			p32(&p, 0x55667788);
			ip4_done(&p, at);
			add(&p, "v4 proto %u", pr[i]);
		}
	}
	/* IPv4-in-IPv4, and IPv6-in-IPv4. */
	eth(&p, MAC_B, MAC_A, 0x0800);
	at = ip4(&p, IP_A, IP_B, 4, 5, 0, 64);
	at2 = ip4(&p, IP_C, IP_D, 6, 5, 0, 64);
	tcp(&p, 1, 2, 0x02, 5, 0);
	ip4_done(&p, at2);
	ip4_done(&p, at);
	add(&p, "v4 in v4");
	eth(&p, MAC_B, MAC_A, 0x0800);
	at = ip4(&p, IP_A, IP_B, 41, 5, 0, 64);
	at2 = ip6(&p, IP6_A, IP6_B, 6, 64);
	tcp(&p, 1, 2, 0x02, 5, 0);
	ip6_done(&p, at2);
	ip4_done(&p, at);
	add(&p, "v6 in v4");
	/* Total length disagreeing with the frame. */
	v4_tcp(&p, MAC_B, IP_A, IP_B, 1, 80, 0x02, 0);
	set16(&p, 16, 1500);
	add(&p, "v4 total length > frame");
	v4_tcp(&p, MAC_B, IP_A, IP_B, 1, 80, 0x02, 0);
	set16(&p, 16, 20);
	add(&p, "v4 total length = header");
	v4_tcp(&p, MAC_B, IP_A, IP_B, 1, 80, 0x02, 0);
	p.b[14] = 0x65;
	add(&p, "v4 ethertype, version 6");

	/* IPv6. */
	{
		static const struct {
			const uint8_t *s, *d, *mac;
			unsigned int nh, hl;
		} v6[] = {
			{ IP6_A, IP6_B, MAC_B, 6, 64 },	   { IP6_B, IP6_A, MAC_B, 6, 255 },
			{ IP6_A, IP6_B, MAC_B, 17, 1 },	   { IP6_LL, IP6_MC, MAC_MC6, 58, 255 },
			{ IP6_A, IP6_C, MAC_B, 58, 64 },   { IP6_LL, IP6_A, MAC_B, 17, 64 },
			{ IP6_C, IP6_MC, MAC_MC6, 17, 2 }, { IP6_A, IP6_B, MAC_B, 132, 64 },
			{ IP6_A, IP6_B, MAC_B, 50, 64 },   { IP6_A, IP6_B, MAC_B, 59, 64 },
		};

		for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
			eth(&p, v6[i].mac, MAC_A, 0x86dd);
			at = ip6(&p, v6[i].s, v6[i].d, v6[i].nh, v6[i].hl);
			if (v6[i].nh == 6)
				tcp(&p, i ? 80 : 40000, i ? 40000 : 80, i ? 0x12 : 0x02, 5, i * 10);
			else if (v6[i].nh == 17)
				udp(&p, 546 + i, 53, 20);
			else if (v6[i].nh == 58)
				icmp(&p, i == 3 ? 135 : 128, 0);
			else
				pz(&p, 16);
			ip6_done(&p, at);
			add(&p, "v6 nh %u hlim %u #%u", v6[i].nh, v6[i].hl, i);
		}
	}
	{
		static const unsigned int it6[] = { 128, 129, 133, 134, 135, 136, 143, 1, 2, 3 };

		for (i = 0; i < sizeof(it6) / sizeof(it6[0]); i++) {
			eth(&p, MAC_MC6, MAC_A, 0x86dd);
			at = ip6(&p, IP6_LL, IP6_MC, 58, 255);
			icmp(&p, it6[i], 0);
			ip6_done(&p, at);
			add(&p, "v6 icmp6 type %u", it6[i]);
		}
	}
	/* IPv6 extension header chains ("protochain" walks them). */
	{
		static const struct {
			uint8_t nh[8];
			unsigned int n, last;
		} ch[] = {
			{ { 0 }, 1, 6 },
			{ { 60 }, 1, 17 },
			{ { 43 }, 1, 6 },
			{ { 44 }, 1, 6 },
			{ { 51 }, 1, 6 },
			{ { 0, 60, 43, 44 }, 4, 6 },
			{ { 0, 60, 43, 44 }, 4, 17 },
			{ { 0 }, 1, 59 },
			{ { 0 }, 1, 58 },
			{ { 0, 51 }, 2, 17 },
			{ { 51, 51 }, 2, 6 },
			{ { 60, 60, 60, 60, 60, 60, 60, 60 }, 8, 6 },
			{ { 0, 0 }, 2, 50 },
			{ { 43, 60 }, 2, 58 },
		};

		for (i = 0; i < sizeof(ch) / sizeof(ch[0]); i++) {
			char name[40];
			int o = 0;

			for (j = 0; j < ch[i].n; j++)
				o += snprintf(name + o, sizeof(name) - o, "%u,", ch[i].nh[j]);
			v6_chain(&p, ch[i].nh, ch[i].n, ch[i].last);
			add(&p, "v6 ext %s%u", name, ch[i].last);
		}
	}
	{
		/*
		 * Long chains. Each header is a backward jump, and the budget
		 * (64) is per packet: a program with two protochain loops
		 * walks a chain twice. libpcap 1.10.3 has no budget, so longer
		 * chains are left to check_back_jumps().
		 */
		uint8_t hbh[64];

		memset(hbh, 60, sizeof(hbh));
		hbh[0] = 0;
		v6_chain(&p, hbh, 30, 17);
		add(&p, "v6 ext 30 headers, udp");
		v6_chain(&p, hbh, 64, 17);
		add_cut(&p, 14 + 40 + 8 * 20 + 3, "v6 ext 64 headers, cut at 20");
	}
	/* Extension header whose length points past the frame. */
	eth(&p, MAC_B, MAC_A, 0x86dd);
	at = ip6(&p, IP6_A, IP6_B, 0, 64);
	p8(&p, 6);
	p8(&p, 200);
	pz(&p, 30);
	ip6_done(&p, at);
	add(&p, "v6 hbh length past the end");
	/* IPv6 fragment with a non-zero offset. */
	eth(&p, MAC_B, MAC_A, 0x86dd);
	at = ip6(&p, IP6_A, IP6_B, 44, 64);
	frag6(&p, 6, 100, false);
	pz(&p, 24);
	ip6_done(&p, at);
	add(&p, "v6 fragment offset 100");
	v4_tcp(&p, MAC_B, IP_A, IP_B, 1, 80, 0x02, 0);
	p.b[12] = 0x86;
	p.b[13] = 0xdd;
	add(&p, "v6 ethertype, v4 packet");

	/* ARP and RARP. */
	eth(&p, MAC_BC, MAC_A, 0x0806);
	arp(&p, 1, MAC_A, IP_A, MAC_BC, IP_B);
	add(&p, "arp request");
	eth(&p, MAC_A, MAC_B, 0x0806);
	arp(&p, 2, MAC_B, IP_B, MAC_A, IP_A);
	add(&p, "arp reply");
	eth(&p, MAC_BC, MAC_A, 0x0806);
	arp(&p, 1, MAC_A, IP_C, MAC_BC, IP_C);
	pz(&p, 18);
	add(&p, "arp gratuitous padded");
	eth(&p, MAC_BC, MAC_A, 0x8035);
	arp(&p, 3, MAC_A, IP_Z, MAC_A, IP_Z);
	add(&p, "rarp request");
	eth(&p, MAC_A, MAC_B, 0x8035);
	arp(&p, 4, MAC_B, IP_D, MAC_A, IP_A);
	add(&p, "rarp reply");
	eth(&p, MAC_BC, MAC_A, 0x0806);
	arp(&p, 1, MAC_A, IP_A, MAC_BC, IP_B);
	p.b[18] = 16;
	add(&p, "arp hlen 16");
	add_cut(&p, 30, "arp cut at 30");

	/* VLAN: 802.1Q, QinQ, odd TPIDs. */
	{
		static const struct {
			unsigned int tpid[3], vid[3], n, inner;
		} vl[] = {
			{ { 0x8100 }, { 10 }, 1, 0x0800 },
			{ { 0x8100 }, { 20 }, 1, 0x86dd },
			{ { 0x8100 }, { 100 }, 1, 0x0806 },
			{ { 0x8100 }, { 4095 }, 1, 0x0800 },
			{ { 0x8100 }, { 0x6000 }, 1, 0x0800 },
			{ { 0x88a8, 0x8100 }, { 10, 20 }, 2, 0x0800 },
			{ { 0x8100, 0x8100 }, { 20, 10 }, 2, 0x86dd },
			{ { 0x9100, 0x8100 }, { 30, 100 }, 2, 0x0800 },
			{ { 0x88a8, 0x8100, 0x8100 }, { 1, 2, 10 }, 3, 0x0800 },
			{ { 0x8100 }, { 10 }, 1, 0x8847 },
		};

		for (i = 0; i < sizeof(vl) / sizeof(vl[0]); i++) {
			eth(&p, i % 4 ? MAC_B : MAC_BC, MAC_A, vl[i].tpid[0]);
			for (j = 0; j < vl[i].n; j++) {
				p16(&p, vl[i].vid[j]);
				p16(&p, j + 1 < vl[i].n ? vl[i].tpid[j + 1] : vl[i].inner);
			}
			if (vl[i].inner == 0x0800) {
				at = ip4(&p, IP_A, IP_B, 6, 5, 0, 64);
				tcp(&p, 40000, 80, 0x02, 5, 0);
				ip4_done(&p, at);
			} else if (vl[i].inner == 0x86dd) {
				at = ip6(&p, IP6_A, IP6_B, 17, 64);
				udp(&p, 53, 53, 8);
				ip6_done(&p, at);
			} else if (vl[i].inner == 0x0806) {
				arp(&p, 1, MAC_A, IP_A, MAC_BC, IP_B);
			} else {
				p32(&p, (100 << 12) | 0x100 | 64);
				at = ip4(&p, IP_A, IP_B, 17, 5, 0, 64);
				udp(&p, 1, 2, 4);
				ip4_done(&p, at);
			}
			add(&p, "vlan %#x/%u x%u inner %#x", vl[i].tpid[0], vl[i].vid[0], vl[i].n,
			    vl[i].inner);
		}
		add_cut(&p, 16, "vlan cut at 16");
	}

	/* MPLS, PPPoE, LLC, and other ethertypes. */
	eth(&p, MAC_B, MAC_A, 0x8847);
	p32(&p, (100 << 12) | 0x100 | 64);
	at = ip4(&p, IP_A, IP_B, 6, 5, 0, 64);
	tcp(&p, 40000, 80, 0x02, 5, 0);
	ip4_done(&p, at);
	add(&p, "mpls 100 ipv4");
	eth(&p, MAC_B, MAC_A, 0x8847);
	p32(&p, (200 << 12) | 64);
	p32(&p, (300 << 12) | 0x100 | 64);
	at = ip4(&p, IP_A, IP_B, 17, 5, 0, 64);
	udp(&p, 53, 53, 0);
	ip4_done(&p, at);
	add(&p, "mpls 200/300 ipv4");
	eth(&p, MAC_B, MAC_A, 0x8864);
	p8(&p, 0x11);
	p8(&p, 0);
	p16(&p, 0x1234);
	p16(&p, 2 + 40);
	p16(&p, 0x0021);
	at = ip4(&p, IP_A, IP_B, 6, 5, 0, 64);
	tcp(&p, 40000, 80, 0x02, 5, 0);
	ip4_done(&p, at);
	add(&p, "pppoe session ipv4");
	eth(&p, MAC_BC, MAC_A, 0x8863);
	p8(&p, 0x11);
	p8(&p, 0x09);
	p16(&p, 0);
	p16(&p, 4);
	p32(&p, 0x01010000);
	add(&p, "pppoe discovery");
	/* 802.3 with LLC: spanning tree BPDU. */
	eth(&p, MAC_STP, MAC_A, 38);
	p8(&p, 0x42);
	p8(&p, 0x42);
	p8(&p, 0x03);
	pz(&p, 35);
	add(&p, "802.3 llc stp");
	eth(&p, MAC_B, MAC_A, 100);
	p8(&p, 0xaa);
	p8(&p, 0xaa);
	p8(&p, 0x03);
	pz(&p, 3);
	p16(&p, 0x0800);
	at = ip4(&p, IP_A, IP_B, 17, 5, 0, 64);
	udp(&p, 1, 2, 0);
	ip4_done(&p, at);
	add(&p, "802.3 snap ipv4");
	{
		static const unsigned int et[] = { 0x88cc, 0x8137, 0x809b, 0x6003, 0x0000,
						   0xffff, 0x88e5, 0x22f3, 0x0600, 0x05dc };

		for (i = 0; i < sizeof(et) / sizeof(et[0]); i++) {
			eth(&p, i & 1 ? MAC_MC4 : MAC_B, MAC_A, et[i]);
			for (j = 0; j < 46; j++)
				p8(&p, j * 37 + i);
			add(&p, "ethertype %#06x", et[i]);
		}
	}

	/* Big frames. */
	v4_tcp(&p, MAC_B, IP_A, IP_B, 40000, 80, 0x10, 1460);
	add(&p, "v4 tcp 1514 bytes");
	eth(&p, MAC_B, MAC_A, 0x86dd);
	at = ip6(&p, IP6_A, IP6_B, 17, 64);
	udp(&p, 4000, 4001, 3000);
	ip6_done(&p, at);
	add(&p, "v6 udp jumbo %u bytes", p.len);

	/* Cut short at every interesting length. */
	{
		static const unsigned int cuts[] = { 15, 16, 20, 22, 23, 24, 25, 26, 30, 33,
						     34, 35, 36, 37, 38, 40, 42, 46, 47, 48,
						     50, 53, 54, 55, 57, 58, 62, 66, 70 };
		struct pb full;

		eth(&full, MAC_B, MAC_A, 0x0800);
		at = ip4(&full, IP_A, IP_B, 6, 7, 0, 64);
		tcp(&full, 40000, 80, 0x12, 6, 0);
		ip4_done(&full, at);
		for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
			add_cut(&full, cuts[i], "v4 opts tcp cut at %u", cuts[i]);
		{
			static const uint8_t nh[] = { 0, 44 };

			v6_chain(&full, nh, 2, 6);
		}
		for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
			add_cut(&full, cuts[i] + 20, "v6 hbh frag tcp cut at %u", cuts[i] + 20);
		eth(&full, MAC_B, MAC_A, 0x8100);
		p16(&full, 10);
		p16(&full, 0x0800);
		at = ip4(&full, IP_A, IP_B, 17, 5, 0, 64);
		udp(&full, 53, 53, 4);
		ip4_done(&full, at);
		for (i = 0; i < 10; i++)
			add_cut(&full, cuts[i * 2 + 3], "vlan udp cut at %u", cuts[i * 2 + 3]);
	}

	/* Noise: random bytes, some behind a plausible IPv4/IPv6 start. */
	for (i = 0; i < 30; i++) {
		len = rnd() % (i < 20 ? 120 : 1600);
		p.len = 0;
		for (j = 0; j < len; j++)
			p8(&p, rnd());
		if (i % 3 == 1 && len > 15) {
			p.b[12] = 0x08;
			p.b[13] = 0x00;
			p.b[14] = 0x40 | (rnd() % 16);
		} else if (i % 3 == 2 && len > 21) {
			p.b[12] = 0x86;
			p.b[13] = 0xdd;
			p.b[14] = 0x60;
			p.b[20] = "\x00\x06\x11\x2b\x2c\x3a\x3c\x33"[rnd() % 8];
		}
		add(&p, "random #%u, %u bytes", i, len);
	}

	add_deep_frames();
}

/* ----------------------------------------------------------- data */

#define LINE_MAX_LEN 1000

static void data_error(const char *path, unsigned int line, const char *what)
{
	if (line)
		printf("ERROR %s:%u: %s\n", path, line, what);
	else
		printf("ERROR %s: %s\n", path, what);
	exit(99);
}

char **read_lines(const char *name, unsigned int *n)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], buf[LINE_MAX_LEN + 2], **lines = NULL;
	unsigned int line = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/%s", srcdir && *srcdir ? srcdir : ".", name);
	f = fopen(path, "r");
	if (!f)
		data_error(path, 0, strerror(errno));
	*n = 0;
	while (fgets(buf, sizeof(buf), f)) {
		size_t len = strlen(buf);
		char *s = buf;

		line++;
		if (len && buf[len - 1] == '\n')
			buf[--len] = 0;
		else if (!feof(f))
			data_error(path, line, "line longer than 1000 bytes");
		for (size_t i = 0; i < len; i++)
			if (iscntrl((unsigned char)buf[i]) && buf[i] != '\t')
				data_error(path, line, "control character");
		while (*s == ' ' || *s == '\t')
			s++;
		while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
			buf[--len] = 0;
		if (!*s || *s == '#')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			lines = realloc(lines, cap * sizeof(*lines));
			if (!lines)
				abort();
		}
		lines[*n] = strdup(s);
		if (!lines[(*n)++])
			abort();
	}
	if (ferror(f))
		data_error(path, 0, strerror(errno));
	fclose(f);
	if (!*n)
		data_error(path, 0, "no expression in it");
	return lines;
}

/*
 * The frames tests/mkdeep.py wrote for the decoders (tunnels, ICMP errors,
 * TCP options, IPv6 extension headers, IP protocols without fields), read
 * with libpcap from $srcdir/tests/golden. Exits with 99 when one cannot be
 * read or holds no frame.
 */
static void add_deep_frames(void)
{
	static const char *const names[] = { "deep-ext6.pcap",	"deep-icmp4.pcap",
					     "deep-icmp6.pcap", "deep-ipproto.pcap",
					     "deep-tcp.pcap",	"deep-tunnel.pcap" };
	const char *srcdir = getenv("srcdir");
	char path[4096], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pb p;
	unsigned int i, n;
	pcap_t *pc;
	int r;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/tests/golden/%s", srcdir && *srcdir ? srcdir : ".",
			 names[i]);
		pc = pcap_open_offline(path, err);
		if (!pc) {
			printf("ERROR %s\n", err); /* libpcap's message names the file */
			exit(99);
		}
		if (pcap_datalink(pc) != DLT_EN10MB)
			data_error(path, 0, "not Ethernet");
		for (n = 0; (r = pcap_next_ex(pc, &h, &data)) == 1;) {
			if (h->caplen > FRAME_MAX)
				data_error(path, n + 1, "packet longer than FRAME_MAX");
			memcpy(p.b, data, h->caplen);
			p.len = h->caplen;
			add(&p, "%s #%u", names[i], ++n);
		}
		if (r != PCAP_ERROR_BREAK)
			data_error(path, 0, pcap_geterr(pc));
		if (!n)
			data_error(path, 0, "no frame in it");
		pcap_close(pc);
	}
}

char **exprs;
unsigned int nexprs;

void read_exprs(void)
{
	exprs = read_lines("cbpf_exprs.txt", &nexprs);
}

unsigned int corpus_programs(pcap_t *pc, bool count, corpus_fn *fn, void *arg)
{
	unsigned int i, same = 0;
	struct bpf_program prog[2];
	char what[600];
	int opt;

	for (i = 0; i < nexprs; i++) {
		for (opt = 1; opt >= 0; opt--) {
			struct bpf_program *p = &prog[opt];

			snprintf(what, sizeof(what), "\"%s\"%s", exprs[i],
				 opt ? "" : " (unoptimized)");
			checks += count;
			if (pcap_compile(pc, p, exprs[i], opt, PCAP_NETMASK_UNKNOWN) < 0) {
				fail("%s: pcap_compile: %s", what, pcap_geterr(pc));
				p->bf_insns = NULL;
				continue;
			}
			/*
			 * The optimizer may change nothing (and "protochain"
			 * turns it off): the same program again would only
			 * cost time, mostly the verifier's.
			 */
			if (!opt && prog[1].bf_insns && prog[1].bf_len == p->bf_len &&
			    !memcmp(prog[1].bf_insns, p->bf_insns,
				    p->bf_len * sizeof(*p->bf_insns))) {
				same++;
				continue;
			}
			fn(what, (struct sock_filter *)p->bf_insns, p->bf_len, arg);
		}
		for (opt = 0; opt < 2; opt++)
			if (prog[opt].bf_insns)
				pcap_freecode(&prog[opt]);
	}
	return same;
}

pcap_t *cbpf_test_start(void)
{
	pcap_t *pc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("CBPF_SHOW_FAILS"))
		show_fails = strtoul(getenv("CBPF_SHOW_FAILS"), NULL, 0);
	if (geteuid() != 0) {
		printf("SKIP: needs root for BPF\n");
		exit(77);
	}
	pc = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!pc) {
		printf("pcap_open_dead failed\n");
		exit(1);
	}
	read_exprs();
	return pc;
}
