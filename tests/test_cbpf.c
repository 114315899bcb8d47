// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: classic BPF translation checked against libpcap's interpreter
 *
 * Every filter expression of the corpus is compiled by pcap_compile (with
 * and without the optimizer), translated by cbpf_translate, loaded as a
 * socket filter and run with BPF_PROG_TEST_RUN on every frame of the packet
 * corpus; its return value must equal pcap_offline_filter's. Hand-written
 * classic programs cover the opcodes and corner cases libpcap does not
 * emit. Then the parts libpcap's interpreter cannot judge: ancillary loads,
 * the bound on backward jumps, rejected programs, chain mode and counting.
 *
 * BPF_PROG_TEST_RUN refuses data shorter than an Ethernet header and pulls
 * 14 bytes (eth_type_trans) before a socket filter runs, so skb->data
 * starts at the network header. A live packet socket's filter sees
 * skb->data at the MAC header. So each frame goes in behind a fake 14-byte
 * Ethernet header: after the pull, skb->data and skb->len are exactly the
 * frame's, even for frames of 0 to 13 bytes. The fake header sets what the
 * kernel derives from it: skb->protocol (its ethertype) and skb->pkt_type
 * (its destination against the loopback device's all-zero address).
 *
 * The frames are built here, deterministically. libpcap 1.10.3's
 * interpreter leaves M[] uninitialised and follows backward jumps without
 * a bound, so no program compared with it reads a word it did not write,
 * and no frame makes "protochain" walk more than 32 headers.
 *
 * Then the corpus compiled for LINUX_SLL2 (see check_sll2) and, last, the
 * programs on live packet sockets (see check_live).
 *
 * Needs root (BPF); exits 77 otherwise. CBPF_SHOW_FAILS=n prints the first
 * n failures (default 10); CBPF_COVERAGE=1 prints the opcode counts and
 * the expressions that match no frame.
 */
#define _GNU_SOURCE /* unshare() */
#define bpf_insn    pcap_bpf_insn
#include <pcap/pcap.h>
#undef bpf_insn
#undef BPF_STMT
#undef BPF_JUMP

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cbpf.h"

/* libpcap's classic instruction is passed as the kernel's: same layout. */
_Static_assert(sizeof(struct pcap_bpf_insn) == sizeof(struct sock_filter), "insn size");
_Static_assert(offsetof(struct pcap_bpf_insn, k) == offsetof(struct sock_filter, k), "insn k");
_Static_assert(offsetof(struct pcap_bpf_insn, jf) == offsetof(struct sock_filter, jf), "insn jf");

#define SNAPLEN	  262144
#define FAKE_TYPE 0x88b5 /* IEEE local experimental: the kernel does nothing with it */
#define FRAME_MAX 3600	 /* BPF_PROG_TEST_RUN takes a page minus head and tail room */

static unsigned long checks, failures;
static unsigned long show_fails = 10; /* CBPF_SHOW_FAILS=n to see more */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
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

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
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

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- frames */

struct frame {
	uint8_t *b;
	unsigned int len;
	char name[56];
};

static struct frame *frames;
static unsigned int nframes, capframes;

/* A frame under construction. */
struct pb {
	uint8_t b[FRAME_MAX];
	unsigned int len;
};

static void p8(struct pb *p, unsigned int v)
{
	if (p->len < FRAME_MAX)
		p->b[p->len++] = v & 0xff;
}

static void p16(struct pb *p, unsigned int v)
{
	p8(p, v >> 8);
	p8(p, v);
}

static void p32(struct pb *p, uint32_t v)
{
	p16(p, v >> 16);
	p16(p, v);
}

static void pn(struct pb *p, const void *d, unsigned int n)
{
	const uint8_t *s = d;

	while (n--)
		p8(p, *s++);
}

static void pz(struct pb *p, unsigned int n)
{
	while (n--)
		p8(p, 0);
}

static void set16(struct pb *p, unsigned int at, unsigned int v)
{
	p->b[at] = v >> 8;
	p->b[at + 1] = v & 0xff;
}

static void add_cut(const struct pb *p, unsigned int len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_cut(const struct pb *p, unsigned int len, const char *fmt, ...)
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

#define add(p, ...) add_cut((p), (p)->len, __VA_ARGS__)

/* Deterministic: the corpus is the same on every run. */
static uint32_t rnd_state = 0x5eed1234;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static const uint8_t MAC_A[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t MAC_BC[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_MC4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t MAC_MC6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t MAC_STP[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

static const uint8_t IP_A[4] = { 198, 18, 0, 1 };
static const uint8_t IP_B[4] = { 198, 18, 0, 2 };
static const uint8_t IP_C[4] = { 198, 19, 255, 254 };
static const uint8_t IP_D[4] = { 192, 0, 2, 1 };
static const uint8_t IP_E[4] = { 10, 0, 0, 1 };
static const uint8_t IP_MC[4] = { 224, 0, 0, 1 };
static const uint8_t IP_BC[4] = { 255, 255, 255, 255 };
static const uint8_t IP_Z[4] = { 0, 0, 0, 0 };

static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t IP6_LL[16] = { 0xfe, 0x80, [15] = 1 };
static const uint8_t IP6_MC[16] = { 0xff, 0x02, [15] = 1 };
static const uint8_t IP6_C[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, [15] = 3 };

static void eth(struct pb *p, const uint8_t *dst, const uint8_t *src, unsigned int type)
{
	p->len = 0;
	pn(p, dst, 6);
	pn(p, src, 6);
	p16(p, type);
}

/* IPv4 header; options (ihl > 5) are a router alert, then NOPs. */
static unsigned int ip4(struct pb *p, const uint8_t *src, const uint8_t *dst, unsigned int proto,
			unsigned int ihl, unsigned int frag, unsigned int ttl)
{
	unsigned int at = p->len, i;

	p8(p, 0x40 | (ihl & 0xf));
	p8(p, 0xb8); /* DSCP EF */
	p16(p, 0);   /* total length: ip4_done */
	p16(p, 0x1234);
	p16(p, frag);
	p8(p, ttl);
	p8(p, proto);
	p16(p, 0);
	pn(p, src, 4);
	pn(p, dst, 4);
	for (i = 5; i < ihl; i++) {
		if (i == 5)
			p32(p, 0x94040000);
		else
			p32(p, 0x01010101);
	}
	return at;
}

static void ip4_done(struct pb *p, unsigned int at)
{
	set16(p, at + 2, p->len - at);
}

static unsigned int ip6(struct pb *p, const uint8_t *src, const uint8_t *dst, unsigned int nh,
			unsigned int hlim)
{
	unsigned int at = p->len;

	p32(p, 0x6b812345); /* traffic class 0xb8, flow label 0x12345 */
	p16(p, 0);
	p8(p, nh);
	p8(p, hlim);
	pn(p, src, 16);
	pn(p, dst, 16);
	return at;
}

static void ip6_done(struct pb *p, unsigned int at)
{
	set16(p, at + 4, p->len - at - 40);
}

/* Hop-by-hop, destination options or routing header of 8 * (units + 1) bytes. */
static void ext6(struct pb *p, unsigned int nh, unsigned int units)
{
	p8(p, nh);
	p8(p, units);
	pz(p, 6 + 8 * units);
}

static void frag6(struct pb *p, unsigned int nh, unsigned int off, bool more)
{
	p8(p, nh);
	p8(p, 0);
	p16(p, (off << 3) | more);
	p32(p, 0xdeadbeef);
}

/* AH: its length field counts 4-byte units minus 2. */
static void ah(struct pb *p, unsigned int nh, unsigned int len)
{
	p8(p, nh);
	p8(p, len);
	pz(p, (len + 2) * 4 - 2);
}

static void tcp(struct pb *p, unsigned int sport, unsigned int dport, unsigned int flags,
		unsigned int doff, unsigned int payload)
{
	unsigned int i;

	p16(p, sport);
	p16(p, dport);
	p32(p, 0x01020304);
	p32(p, flags & 0x10 ? 0x0a0b0c0d : 0);
	p8(p, doff << 4);
	p8(p, flags);
	p16(p, 65535);
	p16(p, 0);
	p16(p, flags & 0x20 ? 7 : 0);
	for (i = 5; i < doff; i++)
		p32(p, i == 5 ? 0x020405b4 : 0x01010101); /* MSS, then NOPs */
	for (i = 0; i < payload; i++)
		p8(p, "GET / HTTP/1.1\r\n"[i % 16]);
}

static void udp(struct pb *p, unsigned int sport, unsigned int dport, unsigned int payload)
{
	unsigned int i;

	p16(p, sport);
	p16(p, dport);
	p16(p, 8 + payload);
	p16(p, 0);
	for (i = 0; i < payload; i++)
		p8(p, i * 7);
}

static void icmp(struct pb *p, unsigned int type, unsigned int code)
{
	p8(p, type);
	p8(p, code);
	p16(p, 0);
	p16(p, 0x1234);
	p16(p, 1);
	pz(p, 8);
}

static void arp(struct pb *p, unsigned int op, const uint8_t *sha, const uint8_t *spa,
		const uint8_t *tha, const uint8_t *tpa)
{
	p16(p, 1);
	p16(p, 0x0800);
	p8(p, 6);
	p8(p, 4);
	p16(p, op);
	pn(p, sha, 6);
	pn(p, spa, 4);
	pn(p, tha, 6);
	pn(p, tpa, 4);
}

static void v4_tcp(struct pb *p, const uint8_t *dmac, const uint8_t *s, const uint8_t *d,
		   unsigned int sport, unsigned int dport, unsigned int flags, unsigned int pay)
{
	unsigned int at;

	eth(p, dmac, MAC_A, 0x0800);
	at = ip4(p, s, d, 6, 5, 0x4000, 64);
	tcp(p, sport, dport, flags, 5, pay);
	ip4_done(p, at);
}

static void v4_udp(struct pb *p, const uint8_t *dmac, const uint8_t *s, const uint8_t *d,
		   unsigned int sport, unsigned int dport, unsigned int pay)
{
	unsigned int at;

	eth(p, dmac, MAC_A, 0x0800);
	at = ip4(p, s, d, 17, 5, 0, 64);
	udp(p, sport, dport, pay);
	ip4_done(p, at);
}

/* IPv6 with a chain of extension headers (0, 43, 44, 51, 60) then TCP/UDP. */
static void v6_chain(struct pb *p, const uint8_t *nhs, unsigned int n, unsigned int last)
{
	unsigned int at, i, nh;

	eth(p, MAC_B, MAC_A, 0x86dd);
	at = ip6(p, IP6_A, IP6_B, n ? nhs[0] : last, 64);
	for (i = 0; i < n; i++) {
		nh = i + 1 < n ? nhs[i + 1] : last;
		switch (nhs[i]) {
		case 44:
			frag6(p, nh, 0, true);
			break;
		case 51:
			ah(p, nh, 4);
			break;
		default:
			ext6(p, nh, i % 3 == 2 ? 1 : 0);
			break;
		}
	}
	if (last == 6)
		tcp(p, 40000, 80, 0x02, 5, 0);
	else if (last == 17)
		udp(p, 53, 40000, 12);
	else if (last == 58)
		icmp(p, 128, 0);
	ip6_done(p, at);
}

static void build_frames(void)
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
}

/* ------------------------------------------------------------ filters */

/* libpcap expressions, all for DLT_EN10MB. */
static const char *const exprs[] = {
	/* protocols */
	"ip",
	"ip6",
	"arp",
	"rarp",
	"tcp",
	"udp",
	"icmp",
	"icmp6",
	"sctp",
	"igmp",
	"pim",
	"vrrp",
	"ah",
	"esp",
	"carp",
	"ip proto 47",
	"ip proto \\tcp",
	"ip6 proto 17",
	"ip6 proto \\udp",
	"proto 6",
	"proto 132",
	"ip proto 255",
	"ip proto 0",
	"ip6 proto 0",
	"ip6 proto 44",
	"ip6 proto 58",
	"ip6 proto 43",
	"ip6 proto 60",
	"ip6 proto 51",
	"ip6 proto 59",
	"ip proto 4",
	"ip proto 41",
	"ether proto \\ip",
	"ether proto \\ip6",
	"ether proto \\arp",
	"ether proto \\rarp",
	"ether proto 0x88cc",
	"ether proto 0",
	"ether proto 65535",
	"ether proto 1500",
	"ether proto 1501",
	"ether proto 0x0600",
	"ip and not tcp and not udp",
	"ip6 and not icmp6",
	"tcp or udp",
	"not ip and not ip6",
	"llc",
	"stp",
	"ipx",
	"atalk",
	"aarp",
	"decnet",
	"lat",
	"moprc",
	"mopdl",
	"sca",
	"iso",
	"netbeui",
	"mpls",
	"mpls 100",
	"mpls 300",
	"mpls and ip",
	"mpls 200 and mpls 300",
	"pppoed",
	"pppoes",
	"pppoes 0x1234",
	"pppoes and tcp port 80",
	"pppoes 0x1234 and ip",
	"geneve",
	"geneve 100",
	"geneve 7",
	"geneve and ip and tcp",
	"geneve and tcp port 80",
	/* protochain: backward jumps (unrolled, so these are the slow ones to load) */
	"ip6 protochain 6",
	"ip6 protochain 17",
	"ip6 protochain 58",
	"ip protochain 6",
	"protochain 17",
	"ip6 protochain 6 and port 80",
	"ip6 protochain 17 or ip6 protochain 6",
	"not ip6 protochain 59",
	/* hosts */
	"host 198.18.0.1",
	"src host 198.18.0.1",
	"dst host 198.18.0.2",
	"host 198.19.255.254",
	"host 10.0.0.1",
	"host 224.0.0.1",
	"host 255.255.255.255",
	"host 0.0.0.0",
	"ip host 198.18.0.1",
	"arp host 198.18.0.1",
	"rarp host 192.0.2.1",
	"host 198.18.0.1 and host 198.18.0.2",
	"src 198.18.0.1 or dst 198.18.0.2",
	"src or dst host 198.18.0.1",
	"src and dst host 198.18.0.1",
	"not host 198.18.0.1",
	"host 2001:db8::1",
	"src host 2001:db8::1",
	"dst host 2001:db8::2",
	"host fe80::1",
	"dst host ff02::1",
	"ip6 host 2001:db8::2",
	"host 2001:db8:0:1::3",
	"host 198.18.0.1 or host 2001:db8::1",
	"host 198.18.0.1 and not port 22",
	"src host 192.0.2.1 and dst host 198.18.0.1",
	"host 198.18.0.1 and (port 80 or port 443)",
	/* nets */
	"net 198.18.0.0/15",
	"net 198.18.0.0/16",
	"src net 198.18",
	"dst net 198.19.0.0/16",
	"net 10.0.0.0 mask 255.0.0.0",
	"dst net 10.0.0.0/8",
	"net 192.0.2.0/24",
	"net 0.0.0.0/0",
	"net 198.18.0.0/31",
	"net 198.18.0.1/32",
	"dst net 224.0.0.0/4",
	"not net 198.18.0.0/15",
	"net 2001:db8::/32",
	"net 2001:db8::/64",
	"src net fe80::/10",
	"ip6 net ff00::/8",
	"dst net ff02::/16",
	"net ::/0",
	"net 2001:db8:0:1::/64",
	"src net 198.18.0.0/15 and dst net 198.18.0.0/15",
	"net 198.18.0.0/15 or net 2001:db8::/32",
	"arp and src net 198.18.0.0/16",
	/* ports */
	"port 80",
	"tcp port 80",
	"udp port 53",
	"src port 1024",
	"dst port 443",
	"port 0",
	"port 65535",
	"tcp src port 65535",
	"udp dst port 65535",
	"port 53 and udp",
	"portrange 1000-2000",
	"tcp portrange 0-1023",
	"udp dst portrange 33434-33534",
	"src portrange 1-1",
	"portrange 40000-65535",
	"dst portrange 0-0",
	"sctp port 9",
	"port 80 or port 443",
	"not port 22",
	"tcp dst port 80 and tcp[tcpflags] & tcp-syn != 0",
	"ip6 and tcp port 80",
	"ip and udp port 53",
	"ip6 and udp port 53",
	"port 6081",
	"tcp port 80 and not src host 198.18.0.1",
	"(tcp or udp) and port 1500",
	"udp port 67 or udp port 68",
	"tcp port 22 or tcp port 1023",
	"port 5353 and multicast",
	"port 40000 and ip6",
	"tcp src portrange 1-1024",
	"tcp port 443 and tcp[((tcp[12] & 0xf0) >> 2)] = 0x16",
	/* TCP flags and header bytes */
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)",
	"tcp[tcpflags] & tcp-rst != 0",
	"tcp[tcpflags] == tcp-fin|tcp-ack",
	"tcp[13] = 0x12",
	"tcp[tcpflags] & (tcp-ece|tcp-cwr) != 0",
	"tcp[tcpflags] & tcp-urg != 0",
	"tcp[tcpflags] & tcp-push != 0",
	"tcp[tcpflags] = 0",
	"tcp[tcpflags] = 0xff",
	"tcp[12] >> 4 > 5",
	"tcp[12] & 0xf0 < 0x50",
	"tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420",
	"tcp[20:2] = 0x1603",
	"tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0",
	"tcp[0:2] > 1023",
	"tcp[2:2] < 1024",
	"tcp[4:4] = 0x01020304",
	"tcp[8:4] != 0",
	"tcp[14:2] = 65535",
	"tcp[18:2] != 0",
	"tcp[20] = 2",
	"tcp[100] = 0x47",
	"tcp[0] = 0x9c",
	"tcp[tcpflags] & tcp-fin != 0 or tcp[tcpflags] & tcp-rst != 0",
	"tcp[13] & 0x17 = 0x10",
	"tcp[tcpflags] & 0xc0 = 0xc0",
	/* ICMP */
	"icmp[icmptype] == icmp-echo",
	"icmp[icmptype] == icmp-echoreply",
	"icmp[0] = 3 and icmp[1] = 4",
	"icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
	"icmp[icmptype] = icmp-timxceed",
	"icmp[icmpcode] = 1",
	"icmp[4:2] = 0x1234",
	"icmp[8] = 0",
	"icmp6[icmp6type] == icmp6-echo",
	"icmp6[icmp6type] = 135",
	"icmp6 and ip6[40] = 128",
	"icmp6[0] = 143",
	"icmp6[icmp6type] = icmp6-routeradvert",
	"icmp6[1] = 0 and icmp6[0] < 128",
	"igmp[0] = 0",
	"sctp[8] = 0x55",
	"udp[8:4] = 0x00070e15",
	/* IPv4 header bytes */
	"ip[0] & 0xf > 5",
	"ip[0] & 0xf != 5",
	"ip[0] >> 4 == 4",
	"ip[1] & 0xfc == 0xb8",
	"ip[2:2] > 1000",
	"ip[2:2] < 40",
	"ip[6] & 0x20 != 0",
	"ip[6:2] & 0x1fff != 0",
	"ip[6:2] & 0x3fff != 0",
	"ip[6] & 0x40 != 0",
	"ip[8] < 5",
	"ip[8] = 64",
	"ip[9] = 6",
	"ip[12:4] = 0xc6120001",
	"ip[16:4] & 0xffff0000 = 0xc6120000",
	"ip[10:2] = 0",
	"ip[4:2] = 0x1234",
	"ip[0:4] & 0xffff = 40",
	"ip[20] = 0x94",
	"ip[22:2] = 0",
	"ip[100] = 0x2e",
	"ip[1000] = 0x47",
	"ip[65535] = 0",
	"ip[0:2] = 0x45b8",
	"ip[8] > ip[9]",
	"ip[8] >= ip[9]",
	"ip[8] = ip[9]",
	"ip[8] != ip[9]",
	"ip[8] < ip[9]",
	"ip[8] <= ip[9]",
	"ip[6:2] & 0x1fff = 0 and tcp port 80",
	"udp and ip[6:2] & 0x3fff != 0",
	/* IPv6 header bytes */
	"ip6[6] = 6",
	"ip6[6] = 0",
	"ip6[7] = 255",
	"ip6[7] < 2",
	"ip6[0] & 0xf0 = 0x60",
	"ip6[0:4] & 0x0ff00000 = 0x0b800000",
	"ip6[0:4] & 0xfffff = 0x12345",
	"ip6[4:2] > 100",
	"ip6[8:4] = 0x20010db8",
	"ip6[24] = 0xff",
	"ip6[40] = 128",
	"ip6[40:2] = 0x8000",
	"ip6[6] = 44 and ip6[42:2] & 0xfff8 != 0",
	"ip6[6] == 58 and ip6[40] == 135",
	"ip6[39] = 2",
	"ip6[40:4] = 0",
	"ip6 multicast",
	/* arithmetic */
	"ip[2:2] - ((ip[0]&0xf)<<2) > 20",
	"ip[0] / ip[1] = 1",
	"ip[8] / ip[9] > 2",
	"ip[1] % ip[10] = 0",
	"ip[8] / ip[10] = 0",
	"ip[8] % ip[11] = 64",
	"ip[8] % 3 = 1",
	"ip[8] % ip[9] = 0",
	"len % 2 = 0",
	"len / 100 = 1",
	"len / ip[1] > 10",
	"len % ip[11] = 1",
	"ip[0] ^ ip[1] = 0xfd",
	"ip[8] ^ 0xff > 200",
	"ip[9] << 2 = 24",
	"ip[0] << ip[1] = 0",
	"ip[0] << ip[8] != 0",
	"ip[2:2] >> ip[8] = 0",
	"ip[2:2] >> (ip[9] & 0x3f) > 0",
	"len >> ip[8] = 0",
	"len << ip[9] > 1000",
	"(1 << (ip[9] & 0x1f)) & 0x40 != 0",
	"ip[8] * ip[9] > 300",
	"ip[8] * 2 + 1 > 129",
	"ip[8] - ip[9] > 50",
	"-ip[8] & 0xff = 0xc0",
	"- len < 0xffff0000",
	"-(ip[8]) + 64 = 0",
	"(ip[8] & 0xf0) | (ip[9] & 0x0f) = 0x46",
	"ip[8] & ip[9] = 0",
	"ip[8] | ip[9] = 0x51",
	"ip[8] | 0x41 = 0x41",
	"ip[8] ^ 0x40 = 0",
	"len - 14 > 100",
	"len * 2 > 200",
	"len & 1 = 1",
	"len >> 1 > 30",
	"len << 1 > 120",
	"tcp[12] / 4 > 20",
	"(tcp[12] >> 4) * 4 = 20",
	"ip[0] % (ip[1] + 1) = 0x45",
	"udp[4:2] - 8 = len - 42",
	"ip[8] + ip[9] + ip[10] + ip[11] > 0",
	"ip[16:4] ^ ip[12:4] = 3",
	"(ip[6:2] & 0x1fff) * 8 > 1000",
	"ether[12:2] / 256 = 8",
	"ip[4:4] * 0xffffffff = 0xedcbc000",
	"ip[4:4] + 0xfffffff0 > 100",
	"0 - ip[8] > 0x80000000",
	"ip[12:4] > 0x80000000",
	"ip[12:4] >= 0xc6120001",
	"ip[12:4] & 0x80000000 != 0",
	"ip[12:4] - ip[16:4] > 0x7fffffff",
	"ip[2:2] / 20 * 20 = ip[2:2]",
	"len % 60 = 0",
	"ip[8] % 0xffffffff = 64",
	"ip[1] ^ ip[1] = 0",
	"(len - 1) / len = 0",
	"ip[0] & 0xf - 5 > 0",
	"ether[len - 1] = 0",
	"ether[len - 4:4] != 0",
	"ether[len] = 0",
	"ip[len - 20] = 0",
	"ether[len - 14 - 2:2] = 0x0000",
	"ether[ip[0]] = 0",
	"ether[ether[12]:2] > 0",
	"tcp[tcp[12] >> 2 : 2] = 0x1603",
	"ether[len * 0x10000000 : 4] = 0",
	"ether[4294967295] = 0",
	"ether[2147483647] = 0",
	"ip[ip[9] * 0x7ffffff0] = 0",
	"ether[0 - ether[13]] = 0",
	/* length */
	"len >= 100",
	"len <= 64",
	"len = 60",
	"len < 15",
	"len > 1500",
	"len == 0",
	"len = 14",
	"len != 42",
	"greater 100",
	"less 64",
	"greater 1000",
	"less 14",
	"greater 3000",
	"less 0",
	"len >= 100 and tcp",
	"len < 100 or udp",
	/* Ethernet */
	"ether host 02:00:00:00:00:01",
	"ether src 02:00:00:00:00:01",
	"ether dst ff:ff:ff:ff:ff:ff",
	"ether dst 02:00:00:00:00:02",
	"ether broadcast",
	"ether multicast",
	"broadcast",
	"multicast",
	"ip multicast",
	"ether[0] & 1 != 0",
	"ether[0:4] = 0xffffffff",
	"ether[12:2] = 0x0800",
	"ether[6:4] = 0x02000000",
	"not ether broadcast",
	"ether src 02:00:00:00:00:01 and ether dst 02:00:00:00:00:02",
	"ether host ff:ff:ff:ff:ff:ff or ether host 33:33:00:00:00:01",
	"ether dst 01:80:c2:00:00:00",
	"ether[14] = 0x42",
	"ether[0] = 0x01 and ether[1] = 0x00",
	"link[0] = 0x02",
	"ether src not 02:00:00:00:00:01",
	/* VLAN */
	"vlan",
	"vlan 10",
	"vlan 4095",
	"vlan 0",
	"vlan and ip",
	"vlan 10 and host 198.18.0.1",
	"vlan 10 and vlan 20",
	"vlan and vlan",
	"vlan and vlan and vlan",
	"vlan 100 and arp",
	"not vlan",
	"vlan and ip6",
	"vlan 10 or vlan 20",
	"vlan and (tcp or udp)",
	"vlan 20 and ip6 and udp port 53",
	"vlan and tcp port 80",
	"vlan 30 and vlan 100 and ip",
	"vlan 1 and vlan 2 and vlan 10 and tcp",
	"vlan and mpls",
	"vlan 10 and mpls 100",
	"vlan 10 and tcp[tcpflags] & tcp-syn != 0",
	"vlan and ether[14:2] & 0xfff = 10",
	/* ARP */
	"arp[6:2] = 1",
	"arp[6:2] = 2",
	"arp and ether broadcast",
	"arp[7] = 2",
	"rarp[7] = 3",
	"arp[4] = 6",
	"arp[14:4] = 0xc6120001",
	"arp and not arp[24:4] = 0xc6120002",
	"arp dst host 198.18.0.2",
	"arp src host 198.18.0.1",
	/* combinations */
	"(tcp or udp) and (port 80 or port 53) and not host 198.18.0.9",
	"host 198.18.0.1 and (tcp[tcpflags] & tcp-syn != 0)",
	"ip and ip[8] > 10 and len > 60 and not broadcast",
	"tcp and (tcp[tcpflags] & (tcp-syn|tcp-fin) != 0) and not src net 10.0.0.0/8",
	"(ip and udp) or (ip6 and tcp) or arp",
	"not (tcp or udp or icmp or icmp6 or arp)",
	"ip6 or (ip and ip[9] != 6 and ip[9] != 17)",
	"(vlan and ip) or (not vlan and ip6)",
	"icmp or icmp6 or (udp and port 53)",
	"tcp and port 80 and greater 100",
	"ip and not (ip[6:2] & 0x3fff != 0) and udp",
	"ether broadcast or ether multicast or arp",
	"not ip and not ip6 and not arp and not vlan",
	"host 198.18.0.1 or host 198.18.0.2 or host 198.19.255.254 or host 192.0.2.1 or "
	"host 10.0.0.1 or host 224.0.0.1 or host 2001:db8::1 or host 2001:db8::2 or "
	"host fe80::1 or net 203.0.113.0/24 or port 1 or port 2 or port 3 or port 4 or "
	"port 5 or port 6 or port 7 or port 8 or port 9 or port 10 or port 11 or port 12",
	"tcp port 1 or tcp port 2 or tcp port 3 or tcp port 4 or tcp port 5 or tcp port 6 or "
	"tcp port 7 or tcp port 8 or tcp port 9 or tcp port 10 or tcp port 11 or tcp port 12 or "
	"tcp port 13 or tcp port 14 or tcp port 15 or tcp port 16 or tcp port 17 or tcp port 18 or "
	"tcp port 19 or tcp port 20 or tcp port 21 or tcp port 22 or udp port 53 or tcp port 80",
	"(ip[8] + ip[9]) * 2 > len / 3 and (ip[2:2] % 7 != 3 or ip[6] ^ 0x40 = 0)",
	"(tcp[0:2] ^ tcp[2:2]) & 0xff00 = 0 or (udp[0:2] - udp[2:2]) = 0",
	"ip[8] > 1 and ip[8] < 128 and ip[9] != 0 and ip[2:2] > 20 and ip[0] & 0xf = 5",
	"ip6[7] > 1 and ip6[7] < 255 and ip6[6] != 59",
	"host 198.18.0.1 and port 80 and tcp[tcpflags] & tcp-ack != 0 and len > 54",
	"not (host 198.18.0.1 or host 198.18.0.2) and ip",
};

/* Hand-written classic programs, for what libpcap does not emit. */
struct hand {
	const char *name;
	unsigned int n;
	struct sock_filter insns[24];
};

static const struct hand hands[] = {
	{ "ret a: ihl * 4 bytes of IPv4",
	  4,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 14), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ret a: initial A is 0", 1, { BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ret x via txa: initial X is 0",
	  2,
	  { BPF_STMT(BPF_MISC | BPF_TXA, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ret k: 0xffffffff", 1, { BPF_STMT(BPF_RET | BPF_K, 0xffffffff) } },
	{ "ret k: 0x80000000", 1, { BPF_STMT(BPF_RET | BPF_K, 0x80000000) } },
	{ "ldx len, txa",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld len: ret the length",
	  2,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "jset x",
	  6,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14), BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_STMT(BPF_RET | BPF_K, 2), BPF_STMT(BPF_RET | BPF_K, 3) } },
	{ "jgt/jge/jeq x with X from the packet",
	  10,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 30), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 10), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 20), BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 30), BPF_STMT(BPF_RET | BPF_K, 40) } },
	{ "jgt/jge/jset k with bit 31 set",
	  8,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x80000000, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0xfffffffe, 0, 1), BPF_STMT(BPF_RET | BPF_K, 2),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80000000, 0, 1), BPF_STMT(BPF_RET | BPF_K, 3),
	    BPF_STMT(BPF_RET | BPF_K, 4) } },
	{ "jeq k 0xffffffff",
	  4,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_STMT(BPF_RET | BPF_K, 2) } },
	{ "div x by a packet byte (0 rejects)",
	  5,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 15), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "mod x by a packet byte (0 rejects)",
	  5,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 15), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_MOD | BPF_X, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "div/mod k with bit 31 set",
	  5,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0x80000001),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 7), BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0xfffffff0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "lsh x by a packet byte (>= 32 gives 0)",
	  6,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 22), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "rsh x by a packet byte (>= 32 gives 0)",
	  6,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 22), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "shifts by X = 31, 32, 33, 0xffffffff",
	  17,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0xf0000001), BPF_STMT(BPF_LDX | BPF_IMM, 31),
	    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ST, 0),
	    BPF_STMT(BPF_LD | BPF_IMM, 0xf0000001), BPF_STMT(BPF_LDX | BPF_IMM, 32),
	    BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0), BPF_STMT(BPF_ST, 1),
	    BPF_STMT(BPF_LD | BPF_IMM, 0xf0000001), BPF_STMT(BPF_LDX | BPF_IMM, 33),
	    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 5),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "alu k: all operations",
	  13,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 0x9abcdef0),
	    BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 0x80000001),
	    BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 0x10001), BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 3),
	    BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0x7ffffffd),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 0x80000000),
	    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfffff0ff),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0xa5a5a5a5), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 3),
	    BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 31), BPF_STMT(BPF_ALU | BPF_NEG, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "alu x: all operations",
	  16,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_MUL | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_AND | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_IMM, 7),
	    BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_MOD | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_NEG, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld ind with X = 0xffffffff (no wrap to small offsets)",
	  4,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0xffffffff), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 16),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld ind with X = 0x7ffffff0",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0x7ffffff0), BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0x20),
	    BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld ind with X = 0xfff00000 (SKF_NET_OFF)",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0xfff00000), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),
	    BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld ind with k = 0x80000000",
	  2,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0x80000000), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld ind h/w/b at the end of the frame",
	  10,
	  { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0xffffffff),
	    BPF_STMT(BPF_ST, 2), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0xfffffffe),
	    BPF_STMT(BPF_ST, 3), BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0xfffffffc),
	    BPF_STMT(BPF_LDX | BPF_MEM, 2), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_LDX | BPF_MEM, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld ind at len - 1 via X (pcap's check)",
	  6,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 1),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld abs beyond 2^31",
	  2,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0x80000000), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld abs 0xffffffff (not an ancillary code)",
	  2,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0xffffffff), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ldx msh beyond 2^31",
	  2,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0xfffff000), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ldx msh keeps A",
	  5,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x12345678), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "scratch memory: words 0, 7, 8, 15",
	  15,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_ST, 15),
	    BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_STX, 7), BPF_STMT(BPF_STX, 8),
	    BPF_STMT(BPF_LD | BPF_IMM, 3), BPF_STMT(BPF_LDX | BPF_MEM, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 15),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 7),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 8),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ja forward over dead code",
	  6,
	  { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12), BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0),
	    BPF_STMT(BPF_LD | BPF_IMM, 7), BPF_STMT(BPF_RET | BPF_K, 99),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "jumps with jt == jf and jt == 0, unreachable ret",
	  7,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 1, 1),
	    BPF_STMT(BPF_RET | BPF_K, 5), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1), BPF_STMT(BPF_RET | BPF_A, 0),
	    BPF_STMT(BPF_RET | BPF_K, 9) } },
	/* libpcap 1.10.3 leaves M[] uninitialised: write before reading. */
	{ "backward loop: sum bytes up to a 0 or the 40th",
	  19,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0), BPF_STMT(BPF_ST, 1), BPF_STMT(BPF_ST, 2),
	    BPF_STMT(BPF_LDX | BPF_IMM, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 10, 0), BPF_STMT(BPF_LDX | BPF_MEM, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_ST, 1),
	    BPF_STMT(BPF_LDX | BPF_MEM, 2), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_ST, 2),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 40, 1, 0),
	    BPF_JUMP(BPF_JMP | BPF_JA, (__u32)-12, 0, 0), BPF_STMT(BPF_LD | BPF_MEM, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
};

/* Every classic opcode, and whether libpcap's code generator emits it. */
static const struct {
	__u16 code;
	const char *name;
	bool pcap;
} opcodes[] = {
	{ BPF_RET | BPF_K, "ret #k", true },
	{ BPF_RET | BPF_A, "ret a", false },
	{ BPF_LD | BPF_W | BPF_ABS, "ld [k]", true },
	{ BPF_LD | BPF_H | BPF_ABS, "ldh [k]", true },
	{ BPF_LD | BPF_B | BPF_ABS, "ldb [k]", true },
	{ BPF_LD | BPF_W | BPF_LEN, "ld #len", true },
	{ BPF_LDX | BPF_W | BPF_LEN, "ldx #len", false },
	{ BPF_LD | BPF_W | BPF_IND, "ld [x+k]", true },
	{ BPF_LD | BPF_H | BPF_IND, "ldh [x+k]", true },
	{ BPF_LD | BPF_B | BPF_IND, "ldb [x+k]", true },
	{ BPF_LDX | BPF_B | BPF_MSH, "ldxb 4*([k]&0xf)", true },
	{ BPF_LD | BPF_IMM, "ld #k", true },
	{ BPF_LDX | BPF_IMM, "ldx #k", true },
	{ BPF_LD | BPF_MEM, "ld M[k]", true },
	{ BPF_LDX | BPF_MEM, "ldx M[k]", true },
	{ BPF_ST, "st M[k]", true },
	{ BPF_STX, "stx M[k]", false },
	{ BPF_JMP | BPF_JA, "ja", true },
	{ BPF_JMP | BPF_JGT | BPF_K, "jgt #k", true },
	{ BPF_JMP | BPF_JGE | BPF_K, "jge #k", true },
	{ BPF_JMP | BPF_JEQ | BPF_K, "jeq #k", true },
	{ BPF_JMP | BPF_JSET | BPF_K, "jset #k", true },
	{ BPF_JMP | BPF_JGT | BPF_X, "jgt x", true },
	{ BPF_JMP | BPF_JGE | BPF_X, "jge x", true },
	{ BPF_JMP | BPF_JEQ | BPF_X, "jeq x", true },
	{ BPF_JMP | BPF_JSET | BPF_X, "jset x", false },
	{ BPF_ALU | BPF_ADD | BPF_X, "add x", true },
	{ BPF_ALU | BPF_SUB | BPF_X, "sub x", true },
	{ BPF_ALU | BPF_MUL | BPF_X, "mul x", true },
	{ BPF_ALU | BPF_DIV | BPF_X, "div x", true },
	{ BPF_ALU | BPF_MOD | BPF_X, "mod x", true },
	{ BPF_ALU | BPF_AND | BPF_X, "and x", true },
	{ BPF_ALU | BPF_OR | BPF_X, "or x", true },
	{ BPF_ALU | BPF_XOR | BPF_X, "xor x", true },
	{ BPF_ALU | BPF_LSH | BPF_X, "lsh x", true },
	{ BPF_ALU | BPF_RSH | BPF_X, "rsh x", true },
	{ BPF_ALU | BPF_ADD | BPF_K, "add #k", true },
	{ BPF_ALU | BPF_SUB | BPF_K, "sub #k", true },
	{ BPF_ALU | BPF_MUL | BPF_K, "mul #k", true },
	{ BPF_ALU | BPF_DIV | BPF_K, "div #k", true },
	{ BPF_ALU | BPF_MOD | BPF_K, "mod #k", true },
	{ BPF_ALU | BPF_AND | BPF_K, "and #k", true },
	{ BPF_ALU | BPF_OR | BPF_K, "or #k", true },
	{ BPF_ALU | BPF_XOR | BPF_K, "xor #k", true },
	{ BPF_ALU | BPF_LSH | BPF_K, "lsh #k", true },
	{ BPF_ALU | BPF_RSH | BPF_K, "rsh #k", true },
	{ BPF_ALU | BPF_NEG, "neg", true },
	{ BPF_MISC | BPF_TAX, "tax", true },
	{ BPF_MISC | BPF_TXA, "txa", true },
};

#define NOPCODES (sizeof(opcodes) / sizeof(opcodes[0]))

static unsigned long seen_pcap[NOPCODES], seen_hand[NOPCODES];

static void count_opcodes(const struct sock_filter *f, unsigned int n, unsigned long *seen)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < NOPCODES; j++)
			if (f[i].code == opcodes[j].code)
				seen[j]++;
}

/* ------------------------------------------------------------ running */

static int run_fd(int fd, const struct frame *f, const uint8_t *dst, __u32 *ret)
{
	static uint8_t buf[14 + FRAME_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = 14 + f->len,
		    .repeat = 1);
	int err;

	memset(buf, 0, 12);
	if (dst)
		memcpy(buf, dst, 6);
	buf[12] = FAKE_TYPE >> 8;
	buf[13] = FAKE_TYPE & 0xff;
	memcpy(buf + 14, f->b, f->len);
	err = bpf_prog_test_run_opts(fd, &opts);
	if (err)
		return -errno;
	*ret = opts.retval;
	return 0;
}

static __u32 pcap_ref(const struct sock_filter *insns, unsigned int n, const struct frame *f)
{
	struct bpf_program prog = { .bf_len = n, .bf_insns = (struct pcap_bpf_insn *)insns };
	struct pcap_pkthdr h = { .caplen = f->len, .len = f->len };

	return pcap_offline_filter(&prog, &h, f->b);
}

static void print_prog(const struct sock_filter *insns, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printf("    %s\n", bpf_image((const struct pcap_bpf_insn *)&insns[i], i));
}

static void print_frame(const struct frame *f)
{
	unsigned int i;

	printf("  packet \"%s\", %u bytes:", f->name, f->len);
	for (i = 0; i < f->len && i < 128; i++)
		printf("%s%02x", i % 32 ? (i % 4 ? "" : " ") : "\n    ", f->b[i]);
	printf("%s\n", f->len > 128 ? " ..." : "");
}

/*
 * One check: the test run (r, its error) returned got, libpcap want. On a
 * mismatch, says so with the frame (and the program, the first time).
 */
static bool same_verdict(const char *what, const char *how, int r, __u32 want, __u32 got,
			 const struct frame *f, const struct sock_filter *insns, unsigned int n)
{
	checks++;
	if (!r && got == want)
		return true;
	failures++;
	if (failures > show_fails)
		return false;
	if (r)
		printf("FAIL %s%s: test run: %s\n", what, how, strerror(-r));
	else
		printf("FAIL %s%s: libpcap %u, translated %u\n", what, how, want, got);
	print_frame(f);
	if (failures == 1)
		print_prog(insns, n);
	return false;
}

static void live_add(const char *what, const struct sock_filter *f, unsigned int n);

static unsigned int max_ebpf, max_classic;
static char max_ebpf_name[600];

/*
 * Translate, load, and compare with libpcap on every frame. Returns the
 * number of frames the program accepted, or -1 when it did not load.
 */
static int differential(const char *what, const struct sock_filter *insns, unsigned int n)
{
	struct bpf_insn *e;
	unsigned int i, en, accepted = 0;
	char err[1024];
	int fd, r;
	__u32 want, got;

	r = cbpf_translate(insns, n, NULL, &e, &en, err, sizeof(err));
	if (!r) {
		free(e);
		if (en > max_ebpf) {
			max_ebpf = en;
			snprintf(max_ebpf_name, sizeof(max_ebpf_name), "%s", what);
		}
		fd = cbpf_load(insns, n, NULL, err, sizeof(err));
	} else {
		fd = r;
	}
	checks++;
	if (fd < 0) {
		fail("%s: %s", what, err);
		if (failures <= show_fails)
			print_prog(insns, n);
		return -1;
	}
	for (i = 0; i < nframes; i++) {
		want = pcap_ref(insns, n, &frames[i]);
		r = run_fd(fd, &frames[i], NULL, &got);
		accepted += same_verdict(what, "", r, want, got, &frames[i], insns, n) && got;
	}
	close(fd);
	return accepted;
}

static void run_corpus(pcap_t *pc)
{
	unsigned int i, progs = 0, same = 0, never = 0, always = 0;
	struct bpf_program prog[2];
	char what[600];
	int opt, acc;

	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		for (opt = 1; opt >= 0; opt--) {
			struct bpf_program *p = &prog[opt];

			snprintf(what, sizeof(what), "\"%s\"%s", exprs[i],
				 opt ? "" : " (unoptimized)");
			checks++;
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
			count_opcodes((struct sock_filter *)p->bf_insns, p->bf_len, seen_pcap);
			if (p->bf_len > max_classic)
				max_classic = p->bf_len;
			acc = differential(what, (struct sock_filter *)p->bf_insns, p->bf_len);
			live_add(what, (struct sock_filter *)p->bf_insns, p->bf_len);
			if (acc == 0 && getenv("CBPF_COVERAGE"))
				printf("  accepts no frame: %s\n", what);
			if (acc == 0)
				never++;
			else if ((unsigned int)acc == nframes)
				always++;
			progs++;
		}
		for (opt = 0; opt < 2; opt++)
			if (prog[opt].bf_insns)
				pcap_freecode(&prog[opt]);
	}
	for (i = 0; i < sizeof(hands) / sizeof(hands[0]); i++) {
		snprintf(what, sizeof(what), "hand-written \"%s\"", hands[i].name);
		/* n was counted by hand: it must end the program. */
		check(BPF_CLASS(hands[i].insns[hands[i].n - 1].code) == BPF_RET &&
			      (hands[i].n == 24 || !hands[i].insns[hands[i].n].code),
		      "%s: n = %u does not end the program", what, hands[i].n);
		count_opcodes(hands[i].insns, hands[i].n, seen_hand);
		differential(what, hands[i].insns, hands[i].n);
		progs++;
	}
	printf("%u expressions, %u distinct programs (%u unoptimized ones the same as optimized; "
	       "%u accept no frame, %u every frame), %u frames\n",
	       (unsigned int)(sizeof(exprs) / sizeof(exprs[0])), progs, same, never, always,
	       nframes);
}

static void check_coverage(void)
{
	unsigned int j;

	for (j = 0; j < NOPCODES; j++) {
		if (opcodes[j].pcap)
			check(seen_pcap[j] > 0,
			      "opcode %#x (%s): libpcap emits it, but no expression produced it",
			      opcodes[j].code, opcodes[j].name);
		else
			check(seen_pcap[j] + seen_hand[j] > 0, "opcode %#x (%s): in no program",
			      opcodes[j].code, opcodes[j].name);
	}
	if (getenv("CBPF_COVERAGE"))
		for (j = 0; j < NOPCODES; j++)
			printf("  %-18s %#04x  corpus %6lu  hand-written %3lu\n", opcodes[j].name,
			       opcodes[j].code, seen_pcap[j], seen_hand[j]);
}

/* ----------------------------------------------------- targeted checks */

/* An IPv4/TCP SYN, for checks that need one frame. */
static const struct frame *syn_frame(void)
{
	static struct pb p;
	static struct frame f;

	if (!f.b) {
		v4_tcp(&p, MAC_B, IP_A, IP_B, 40000, 80, 0x02, 0);
		f.b = p.b;
		f.len = p.len;
		strcpy(f.name, "v4 tcp syn");
	}
	return &f;
}

static int load_or_fail(const char *what, const struct sock_filter *f, unsigned int n,
			const struct cbpf_opts *o)
{
	char err[1024];
	int fd = cbpf_load(f, n, o, err, sizeof(err));

	checks++;
	if (fd < 0)
		fail("%s: %s", what, err);
	return fd;
}

static int compile_load(pcap_t *pc, const char *expr, const struct cbpf_opts *o)
{
	struct bpf_program prog;
	int fd;

	if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fail("\"%s\": pcap_compile: %s", expr, pcap_geterr(pc));
		return -1;
	}
	fd = load_or_fail(expr, (struct sock_filter *)prog.bf_insns, prog.bf_len, o);
	pcap_freecode(&prog);
	return fd;
}

static void expect_run(int fd, const char *what, const struct frame *f, const uint8_t *dst,
		       __u32 want)
{
	__u32 got = 0;
	int r = run_fd(fd, f, dst, &got);

	check(!r && got == want, "%s on \"%s\": want %u, got %u%s%s", what, f->name, want, got,
	      r ? ", test run: " : "", r ? strerror(-r) : "");
}

/*
 * Ancillary loads read what the kernel knows about the skb. Under
 * BPF_PROG_TEST_RUN: protocol is the fake header's ethertype, pkt_type
 * follows its destination (eth_type_trans against the loopback device,
 * whose address and broadcast address are all-zero),
 * ifindex is loopback's (1), and no VLAN tag was taken out of the frame.
 */
static void check_ancillary(pcap_t *pc)
{
	static const uint8_t host[6] = { 0 };
	static const struct {
		const uint8_t *dst;
		__u32 pkttype;
	} dsts[] = {
		{ host, PACKET_HOST },
		/* loopback's broadcast address is all-zero too */
		{ MAC_BC, PACKET_MULTICAST },
		{ MAC_MC6, PACKET_MULTICAST },
		{ MAC_B, PACKET_OTHERHOST },
	};
	static const struct {
		__u32 ad;
		const char *name;
	} anc[] = {
		{ SKF_AD_PROTOCOL, "protocol" },
		{ SKF_AD_PKTTYPE, "pkttype" },
		{ SKF_AD_IFINDEX, "ifindex" },
		{ SKF_AD_VLAN_TAG, "vlan_tag" },
		{ SKF_AD_VLAN_TAG_PRESENT, "vlan_tag_present" },
		{ SKF_AD_VLAN_TPID, "vlan_tpid" },
	};
	static const struct {
		const char *expr;
		bool accept_host, accept_bc;
	} exp[] = {
		{ "inbound", true, true },	  { "outbound", false, false },
		{ "ifindex 1", true, true },	  { "ifindex 2", false, false },
		{ "inbound and ip", true, true }, { "inbound and arp", false, false },
	};
	const struct frame *f = syn_frame();
	unsigned int i, d, sz;
	int fd;

	for (i = 0; i < sizeof(anc) / sizeof(anc[0]); i++) {
		for (sz = 0; sz < 3; sz++) {
			static const __u16 size[] = { BPF_W, BPF_H, BPF_B };
			struct sock_filter prog[] = {
				BPF_STMT(BPF_LD | size[sz] | BPF_ABS,
					 (__u32)SKF_AD_OFF + anc[i].ad),
				BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1000),
				BPF_STMT(BPF_RET | BPF_A, 0),
			};
			char what[64];

			snprintf(what, sizeof(what), "ancillary %s (size %#x)", anc[i].name,
				 size[sz]);
			fd = load_or_fail(what, prog, 3, NULL);
			if (fd < 0)
				continue;
			for (d = 0; d < sizeof(dsts) / sizeof(dsts[0]); d++) {
				__u32 want = 1000;

				switch (anc[i].ad) {
				case SKF_AD_PROTOCOL:
					want += FAKE_TYPE;
					break;
				case SKF_AD_PKTTYPE:
					want += dsts[d].pkttype;
					break;
				case SKF_AD_IFINDEX:
					want += 1;
					break;
				}
				expect_run(fd, what, f, dsts[d].dst, want);
			}
			close(fd);
		}
	}
	for (i = 0; i < sizeof(exp) / sizeof(exp[0]); i++) {
		fd = compile_load(pc, exp[i].expr, NULL);
		if (fd < 0)
			continue;
		expect_run(fd, exp[i].expr, f, host, exp[i].accept_host ? SNAPLEN : 0);
		expect_run(fd, exp[i].expr, f, MAC_BC, exp[i].accept_bc ? SNAPLEN : 0);
		close(fd);
	}
}

static void expect_reject(const char *what, const struct sock_filter *f, unsigned int n,
			  const struct cbpf_opts *o, int want_err, const char *want_msg)
{
	struct bpf_insn *e = NULL;
	unsigned int en;
	char err[256];
	int r = cbpf_translate(f, n, o, &e, &en, err, sizeof(err));

	check(r == want_err && !e && strstr(err, want_msg),
	      "%s: want error %d containing \"%s\", got %d \"%s\"", what, want_err, want_msg, r,
	      err);
	free(e);
}

static void check_rejects(void)
{
	static const struct {
		const char *name, *msg;
		unsigned int n;
		struct sock_filter insns[4];
	} bad[] = {
		{ "jump past the end",
		  "outside",
		  2,
		  { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_RET | BPF_K, 0) } },
		{ "ja past the end",
		  "outside",
		  2,
		  { BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), BPF_STMT(BPF_RET | BPF_K, 0) } },
		{ "ja before the start",
		  "outside",
		  2,
		  { BPF_STMT(BPF_RET | BPF_K, 0), BPF_JUMP(BPF_JMP | BPF_JA, (__u32)-3, 0, 0) } },
		{ "no ret at the end", "RET", 1, { BPF_STMT(BPF_LD | BPF_IMM, 1) } },
		{ "falls off after a jump",
		  "RET",
		  2,
		  { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0),
		    BPF_STMT(BPF_MISC | BPF_TAX, 0) } },
		{ "div by constant 0",
		  "division",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "mod by constant 0",
		  "modulo",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "lsh by constant 32",
		  "shift",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "rsh by constant 0xffffffff",
		  "shift",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 0xffffffff),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "ld M[16]",
		  "M[16]",
		  2,
		  { BPF_STMT(BPF_LD | BPF_MEM, 16), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "stx M[0xffffffff]",
		  "M[4294967295]",
		  2,
		  { BPF_STMT(BPF_STX, 0xffffffff), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "unknown opcode",
		  "opcode",
		  2,
		  { BPF_STMT(BPF_LD | BPF_DW | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "ret x", "opcode", 1, { BPF_STMT(BPF_RET | BPF_X, 0) } },
		{ "ancillary mark",
		  "mark",
		  2,
		  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (__u32)SKF_AD_OFF + SKF_AD_MARK),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "ancillary random",
		  "random",
		  2,
		  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (__u32)SKF_AD_OFF + SKF_AD_RANDOM),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "SKF_NET_OFF load",
		  "SKF_NET_OFF",
		  2,
		  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, (__u32)SKF_NET_OFF + 9),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "SKF_LL_OFF msh",
		  "SKF_LL_OFF",
		  2,
		  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, (__u32)SKF_LL_OFF + 14),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
	};
	static const struct cbpf_opts chain_nofd = { .mode = CBPF_CHAIN, .prog_array_fd = -1 };
	static const struct cbpf_opts bad_mode = { .mode = 7 };
	static const struct cbpf_opts odd_off = { .flags = CBPF_F_COUNT_SEEN, .seen_off = 4 };
	static const struct sock_filter ok[] = { BPF_STMT(BPF_RET | BPF_K, 1) };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_reject(bad[i].name, bad[i].insns, bad[i].n, NULL, -EINVAL, bad[i].msg);
	expect_reject("empty program", ok, 0, NULL, -EINVAL, "empty");
	expect_reject("chain without a map", ok, 1, &chain_nofd, -EINVAL, "program array");
	expect_reject("unknown mode", ok, 1, &bad_mode, -EINVAL, "mode");
	expect_reject("counter at a misaligned offset", ok, 1, &odd_off, -EINVAL, "aligned");
}

/*
 * Backward jumps: libpcap's "protochain" loop. 64 extension headers are
 * the most it walks; Debian 12's libpcap 1.10.3 interpreter has no bound,
 * so the 65th and the self-referencing AH header are checked here, not
 * against it (it would accept the first and never return from the second).
 */
static void check_back_jumps(pcap_t *pc)
{
	struct cbpf_opts two = { .max_back_jumps = 2 };
	uint8_t nh[65];
	struct frame f;
	struct pb p;
	unsigned int at;
	int fd, fd2;

	memset(nh, 60, sizeof(nh));
	fd = compile_load(pc, "ip6 protochain 6", NULL);
	fd2 = compile_load(pc, "ip6 protochain 6", &two);
	if (fd < 0 || fd2 < 0)
		goto out;
	f.b = p.b;
	strcpy(f.name, "v6 65 extension headers");
	v6_chain(&p, nh, 65, 6);
	f.len = p.len;
	expect_run(fd, "protochain: 65 headers", &f, NULL, 0);
	v6_chain(&p, nh, 64, 6);
	f.len = p.len;
	strcpy(f.name, "v6 64 extension headers");
	expect_run(fd, "protochain: 64 headers", &f, NULL, SNAPLEN);
	v6_chain(&p, nh, 2, 6);
	f.len = p.len;
	strcpy(f.name, "v6 2 extension headers");
	expect_run(fd2, "protochain, 2 back jumps: 2 headers", &f, NULL, SNAPLEN);
	v6_chain(&p, nh, 3, 6);
	f.len = p.len;
	strcpy(f.name, "v6 3 extension headers");
	expect_run(fd2, "protochain, 2 back jumps: 3 headers", &f, NULL, 0);

	/* A jump to itself: current libpcap rejects at once, 1.10.3 spins. */
	{
		static const struct sock_filter self[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
			BPF_JUMP(BPF_JMP | BPF_JA, (__u32)-1, 0, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		int sfd = load_or_fail("ja to itself", self, 3, NULL);

		if (sfd >= 0) {
			expect_run(sfd, "ja to itself", syn_frame(), NULL, 0);
			close(sfd);
		}
	}

	/* AH whose length brings the walk back to itself. */
	eth(&p, MAC_B, MAC_A, 0x86dd);
	at = ip6(&p, IP6_A, IP6_B, 51, 64);
	p8(&p, 51);
	p8(&p, 8);
	pz(&p, 38);
	ip6_done(&p, at);
	f.len = p.len;
	strcpy(f.name, "v6 AH pointing to itself");
	expect_run(fd, "protochain: AH loop", &f, NULL, 0);
out:
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
}

/* Chain mode: accepted packets go on to the program in the array. */
static void check_chain(pcap_t *pc)
{
	static const struct bpf_insn callee[] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 12345 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char *const chain_exprs[] = { "tcp", "ip6 protochain 17 or arp" };
	static const struct sock_filter ret_a[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct cbpf_opts o = { .mode = CBPF_CHAIN, .slot = 0 };
	struct bpf_program prog;
	unsigned int i, e, ncpu, runs = 0, accepted = 0;
	int map = -1, seen = -1, callee_fd = -1, fd = -1, empty_fd = -1, ncpus, r;
	__u32 key = 0, got, want;
	__u64 *vals = NULL, total = 0;

	ncpus = libbpf_num_possible_cpus();
	map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "cbpf_chain", 4, 4, 2, NULL);
	seen = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "cbpf_seen", 4, 16, 1, NULL);
	callee_fd =
		bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "cbpf_callee", "GPL", callee, 2, NULL);
	checks++;
	if (ncpus <= 0 || map < 0 || seen < 0 || callee_fd < 0 ||
	    bpf_map_update_elem(map, &key, &callee_fd, BPF_ANY)) {
		fail("chain: setting up maps and the callee: %s", strerror(errno));
		goto out;
	}
	o.prog_array_fd = map;
	o.flags = CBPF_F_COUNT_SEEN;
	o.seen_map_fd = seen;
	o.seen_off = 8;

	for (e = 0; e < sizeof(chain_exprs) / sizeof(chain_exprs[0]); e++) {
		if (pcap_compile(pc, &prog, chain_exprs[e], 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail("chain: pcap_compile: %s", pcap_geterr(pc));
			continue;
		}
		fd = load_or_fail(chain_exprs[e], (struct sock_filter *)prog.bf_insns, prog.bf_len,
				  &o);
		for (i = 0; fd >= 0 && i < nframes; i++) {
			want = pcap_ref((struct sock_filter *)prog.bf_insns, prog.bf_len,
					&frames[i])
				       ? 12345
				       : 0;
			accepted += !!want;
			r = run_fd(fd, &frames[i], NULL, &got);
			runs++;
			check(!r && got == want, "chain \"%s\" on \"%s\": want %u, got %u",
			      chain_exprs[e], frames[i].name, want, got);
		}
		if (fd >= 0)
			close(fd);
		pcap_freecode(&prog);
	}
	/* RET A in chain mode: A == 0 rejects, anything else tail-calls. */
	fd = load_or_fail("chain ret a", ret_a, 3, &o);
	for (i = 0; fd >= 0 && i < nframes; i++) {
		want = pcap_ref(ret_a, 3, &frames[i]) ? 12345 : 0;
		r = run_fd(fd, &frames[i], NULL, &got);
		runs++;
		check(!r && got == want, "chain ret a on \"%s\": want %u, got %u", frames[i].name,
		      want, got);
	}
	if (fd >= 0)
		close(fd);
	check(accepted > 0 && accepted < runs, "chain: %u of %u frames accepted", accepted, runs);

	/* Every run went through the counter, on whichever CPU it ran. */
	vals = calloc(ncpus, 16);
	checks++;
	if (!vals || bpf_map_lookup_elem(seen, &key, vals)) {
		fail("chain: reading the counter: %s", strerror(errno));
		goto out;
	}
	for (ncpu = 0; ncpu < (unsigned int)ncpus; ncpu++) {
		total += vals[2 * ncpu + 1];
		check(vals[2 * ncpu] == 0, "chain: counter wrote outside its offset");
	}
	check(total == runs, "chain: counted %llu packets, ran %u", (unsigned long long)total,
	      runs);

	/* The verifier refuses a tail call through a map of the wrong type. */
	{
		struct cbpf_opts wrong = { .mode = CBPF_CHAIN, .prog_array_fd = seen };
		char err[1024];

		fd = cbpf_load(ret_a, 3, &wrong, err, sizeof(err));
		check(fd < 0 && strstr(err, "loading") && strlen(err) > 40,
		      "chain through a per-CPU array: want a verifier error, got %d \"%s\"", fd,
		      fd < 0 ? err : "");
		if (fd >= 0)
			close(fd);
	}

	/* An empty slot: the tail call fails, the packet is rejected. */
	o.slot = 1;
	o.flags = 0;
	empty_fd = compile_load(pc, "tcp or not tcp", &o);
	if (empty_fd >= 0)
		expect_run(empty_fd, "chain to an empty slot", syn_frame(), NULL, 0);
out:
	free(vals);
	if (empty_fd >= 0)
		close(empty_fd);
	if (callee_fd >= 0)
		close(callee_fd);
	if (seen >= 0)
		close(seen);
	if (map >= 0)
		close(map);
}

/* ------------------------------------------------------------ cooked */

/*
 * CBPF_LINK_SLL2: programs compiled for LINKTYPE_LINUX_SLL2 (libpcap's
 * "any"), translated to run where skb->data is the network header, as on a
 * SOCK_DGRAM packet socket. Each frame of 14 bytes or more goes in as it
 * is: the test run pulls its Ethernet header with eth_type_trans() on the
 * loopback device, which leaves skb->data at the network header and sets
 * skb->protocol (the ethertype; for an 802.3 length field ETH_P_802_3 when
 * the payload starts with 0xffff, else ETH_P_802_2), skb->pkt_type (the
 * destination against loopback's all-zero address) and skb->dev, so
 * skb->ifindex is loopback's. libpcap's interpreter gets what a file
 * written from such a socket holds: a LINUX_SLL2 header of those values,
 * ARPHRD_ETHER and the source address, then the frame from byte 14 on,
 * caplen and len counting the header. Both must return the same on every
 * frame.
 *
 * The corpus expressions that libpcap compiles for LINUX_SLL2 run (optimized
 * and not), then expressions and hand-written programs that read the
 * header, and a few expressions in chain mode, as sockcap runs them. The
 * frames are the corpus's and some of this part's own. A program that
 * reads what a socket filter cannot know -- the header's hardware type,
 * address length or address, or an indirect load with k < 20, which may
 * land in the header -- must be refused with a message that says so; which
 * programs those are is worked out here from the classic code as well, and
 * the two must agree.
 *
 * BPF_PROG_TEST_RUN refuses an IPv4 or IPv6 frame shorter than the fixed IP
 * header (so does Debian's 6.1): those frames are found with a program that
 * accepts everything, and left out.
 */
#define SLL2_HLEN CBPF_SLL2_HDR_LEN

static const uint8_t MAC_ZERO[6]; /* loopback's address */

/* A frame as the test run takes it, and the LINUX_SLL2 packet a file holds. */
struct sll2_pkt {
	const struct frame *f;
	uint8_t *b;
	unsigned int len;
};

static struct sll2_pkt *spkts;
static unsigned int nspkts, sll2_lo;
static struct frame sll2_own[8]; /* frames this part adds to the corpus */
static unsigned int nsll2_own;

/* skb->protocol, as eth_type_trans() sets it */
static unsigned int sll2_protocol(const struct frame *f)
{
	unsigned int t = f->b[12] << 8 | f->b[13];

	if (t >= ETH_P_802_3_MIN)
		return t;
	/* a length field: raw 802.3 (Novell's IPX) starts with 0xffff */
	if (f->len >= ETH_HLEN + 2 && f->b[14] == 0xff && f->b[15] == 0xff)
		return ETH_P_802_3;
	return ETH_P_802_2;
}

/* skb->pkt_type, as eth_type_trans() sets it on the loopback device */
static unsigned int sll2_pkttype(const struct frame *f)
{
	if (!memcmp(f->b, MAC_ZERO, 6))
		return PACKET_HOST;
	/* loopback's broadcast address is all-zero too: never a group address */
	if (f->b[0] & 1)
		return PACKET_MULTICAST;
	return PACKET_OTHERHOST;
}

static void sll2_add(const struct frame *f)
{
	struct sll2_pkt *s = &spkts[nspkts++];
	unsigned int proto = sll2_protocol(f);

	s->f = f;
	s->len = f->len - ETH_HLEN + SLL2_HLEN;
	s->b = calloc(1, s->len);
	if (!s->b)
		abort();
	s->b[0] = proto >> 8;
	s->b[1] = proto & 0xff;
	/* 2-3 reserved, zero */
	s->b[4] = sll2_lo >> 24;
	s->b[5] = sll2_lo >> 16;
	s->b[6] = sll2_lo >> 8;
	s->b[7] = sll2_lo;
	s->b[8] = ARPHRD_ETHER >> 8;
	s->b[9] = ARPHRD_ETHER & 0xff;
	s->b[10] = sll2_pkttype(f);
	s->b[11] = 6;
	memcpy(s->b + 12, f->b + 6, 6); /* 18-19: the address padded to 8 bytes */
	memcpy(s->b + SLL2_HLEN, f->b + ETH_HLEN, f->len - ETH_HLEN);
}

static void sll2_own_frame(const struct pb *p, const char *name)
{
	struct frame *f;

	if (nsll2_own == sizeof(sll2_own) / sizeof(sll2_own[0]))
		abort();
	f = &sll2_own[nsll2_own++];
	f->b = malloc(p->len);
	if (!f->b)
		abort();
	memcpy(f->b, p->b, p->len);
	f->len = p->len;
	snprintf(f->name, sizeof(f->name), "%s", name);
}

/*
 * What the corpus lacks here: frames to loopback's own address (no corpus
 * frame is PACKET_HOST), and 802.3 length fields that give ETH_P_802_3.
 */
static void sll2_build_frames(void)
{
	struct pb p;
	unsigned int at;

	v4_tcp(&p, MAC_ZERO, IP_A, IP_B, 40000, 80, 0x02, 0);
	sll2_own_frame(&p, "v4 tcp syn to loopback's address");
	eth(&p, MAC_ZERO, MAC_B, 0x86dd);
	at = ip6(&p, IP6_B, IP6_A, 17, 64);
	udp(&p, 53, 40000, 20);
	ip6_done(&p, at);
	sll2_own_frame(&p, "v6 udp to loopback's address");
	eth(&p, MAC_ZERO, MAC_B, 0x0806);
	arp(&p, 2, MAC_B, IP_B, MAC_ZERO, IP_A);
	sll2_own_frame(&p, "arp reply to loopback's address");
	eth(&p, MAC_B, MAC_A, 30);
	p16(&p, 0xffff);
	pz(&p, 28);
	sll2_own_frame(&p, "802.3 raw (ipx)");
	eth(&p, MAC_ZERO, MAC_A, 2);
	p16(&p, 0xffff);
	sll2_own_frame(&p, "802.3 raw, 16 bytes, to loopback's address");
	eth(&p, MAC_B, MAC_A, 1);
	p8(&p, 0xff);
	sll2_own_frame(&p, "802.3, a single 0xff (802.2)");
	eth(&p, MAC_MC4, MAC_A, 0x05ff);
	p16(&p, 0xfffe);
	pz(&p, 40);
	sll2_own_frame(&p, "802.3 length 0x5ff, llc");
}

static int sll2_run(int fd, const struct frame *f, __u32 *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->b, .data_size_in = f->len, .repeat = 1);

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	*ret = opts.retval;
	return 0;
}

/*
 * The frames the test run takes. Checks on the way what the reference
 * header takes for granted: the interface is loopback.
 */
static void sll2_frames(void)
{
	static const struct sock_filter accept[] = { BPF_STMT(BPF_RET | BPF_K, 1) };
	static const struct sock_filter ifindex[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct cbpf_opts o = { .link = CBPF_LINK_SLL2 };
	unsigned int i, left_out = 0;
	int fd, ifd, r;
	__u32 got = 0;

	sll2_build_frames();
	spkts = calloc(nframes + nsll2_own, sizeof(*spkts));
	fd = load_or_fail("LINUX_SLL2 \"ret #1\"", accept, 1, &o);
	ifd = load_or_fail("LINUX_SLL2 \"ld [4]\"", ifindex, 2, &o);
	if (!spkts || fd < 0 || ifd < 0)
		goto out;
	for (i = 0; i < nframes + nsll2_own; i++) {
		const struct frame *f = i < nframes ? &frames[i] : &sll2_own[i - nframes];
		unsigned int type = f->len >= ETH_HLEN ? f->b[12] << 8 | f->b[13] : 0;

		if (f->len < ETH_HLEN)
			continue;
		r = sll2_run(fd, f, &got);
		if (r == -EINVAL) {
			check((type == ETH_P_IP && f->len < ETH_HLEN + 20) ||
				      (type == ETH_P_IPV6 && f->len < ETH_HLEN + 40),
			      "LINUX_SLL2: the test run refuses \"%s\" (%u bytes)", f->name,
			      f->len);
			left_out++;
			continue;
		}
		check(!r && got == 1, "LINUX_SLL2 \"ret #1\" on \"%s\": got %u%s%s", f->name, got,
		      r ? ", test run: " : "", r ? strerror(-r) : "");
		got = 0;
		r = sll2_run(ifd, f, &got);
		check(!r && got == sll2_lo,
		      "LINUX_SLL2 \"ld [4]\" on \"%s\": interface %u, loopback's is %u", f->name,
		      got, sll2_lo);
		sll2_add(f);
	}
	printf("cooked (LINUX_SLL2): %u frames (%u of them its own), %u left out: the test run "
	       "refuses IP frames shorter than the IP header\n",
	       nspkts, nsll2_own, left_out);
out:
	if (fd >= 0)
		close(fd);
	if (ifd >= 0)
		close(ifd);
}

/* What of the header a program reads that a socket filter cannot know. */
enum {
	SLL2_HATYPE = 1 << 0, /* bytes 8-9 */
	SLL2_HALEN = 1 << 1,  /* byte 11 */
	SLL2_ADDR = 1 << 2,   /* bytes 12-19 */
	SLL2_ACROSS = 1 << 3, /* a load from both sides of byte 20 */
	SLL2_IND = 1 << 4,    /* LD IND with k < 20 */
	SLL2_NWHY = 5,
};

static const char *const sll2_why_name[SLL2_NWHY] = {
	"hardware type", "address length", "address", "across its end", "indirect",
};

static unsigned int sll2_unknown(const struct sock_filter *f, unsigned int n)
{
	unsigned int why = 0, i, b, size;

	for (i = 0; i < n; i++) {
		switch (f[i].code) {
		case BPF_LD | BPF_W | BPF_IND:
		case BPF_LD | BPF_H | BPF_IND:
		case BPF_LD | BPF_B | BPF_IND:
			if (f[i].k < SLL2_HLEN)
				why |= SLL2_IND;
			continue;
		case BPF_LD | BPF_W | BPF_ABS:
			size = 4;
			break;
		case BPF_LD | BPF_H | BPF_ABS:
			size = 2;
			break;
		case BPF_LD | BPF_B | BPF_ABS:
		case BPF_LDX | BPF_B | BPF_MSH:
			size = 1;
			break;
		default:
			continue;
		}
		if (f[i].k >= SLL2_HLEN) /* the packet, or ancillary data */
			continue;
		if (f[i].k + size > SLL2_HLEN)
			why |= SLL2_ACROSS;
		for (b = f[i].k; b < f[i].k + size && b < SLL2_HLEN; b++) {
			if (b == 8 || b == 9)
				why |= SLL2_HATYPE;
			else if (b == 11)
				why |= SLL2_HALEN;
			else if (b >= 12)
				why |= SLL2_ADDR;
		}
	}
	return why;
}

static const char *sll2_why_str(unsigned int why)
{
	static char s[128];
	unsigned int i, o = 0;

	s[0] = '\0';
	for (i = 0; i < SLL2_NWHY; i++)
		if (why & 1U << i)
			o += snprintf(s + o, sizeof(s) - o, "%s%s", o ? ", " : "",
				      sll2_why_name[i]);
	return s;
}

static unsigned int sll2_progs, sll2_refused, sll2_why[SLL2_NWHY];
static unsigned long sll2_runs;

/*
 * Translate for LINUX_SLL2 and compare with libpcap on every frame, or, for
 * a program that reads what a socket filter cannot know, check that the
 * translation is refused. Returns the number of frames accepted; -1 when
 * the program did not run.
 */
static int sll2_differential(const char *what, const struct sock_filter *insns, unsigned int n)
{
	struct bpf_program prog = { .bf_len = n, .bf_insns = (struct pcap_bpf_insn *)insns };
	struct cbpf_opts o = { .link = CBPF_LINK_SLL2 };
	unsigned int why = sll2_unknown(insns, n), i, accepted = 0;
	char err[1024];
	__u32 want, got;
	int fd, r;

	fd = cbpf_load(insns, n, &o, err, sizeof(err));
	checks++;
	if (why) {
		sll2_refused++;
		for (i = 0; i < SLL2_NWHY; i++)
			sll2_why[i] += !!(why & 1U << i);
		if (getenv("CBPF_COVERAGE"))
			printf("  refused for LINUX_SLL2 (%s): %s\n", sll2_why_str(why), what);
		if (fd >= 0) {
			fail("%s (LINUX_SLL2): reads the cooked header's %s, but was translated",
			     what, sll2_why_str(why));
			close(fd);
		} else if (fd != -EINVAL || !strstr(err, "cooked (LINUX_SLL2) header")) {
			fail("%s (LINUX_SLL2): reads the cooked header's %s: want it refused for "
			     "that, got %d \"%s\"",
			     what, sll2_why_str(why), fd, err);
		}
		return -1;
	}
	if (fd < 0) {
		fail("%s (LINUX_SLL2): %s", what, err);
		if (failures <= show_fails)
			print_prog(insns, n);
		return -1;
	}
	sll2_progs++;
	for (i = 0; i < nspkts; i++) {
		const struct sll2_pkt *s = &spkts[i];
		struct pcap_pkthdr h = { .caplen = s->len, .len = s->len };

		want = pcap_offline_filter(&prog, &h, s->b);
		r = sll2_run(fd, s->f, &got);
		sll2_runs++;
		accepted +=
			same_verdict(what, " (LINUX_SLL2)", r, want, got, s->f, insns, n) && got;
	}
	close(fd);
	return accepted;
}

/*
 * Expressions that read the header, beyond the corpus: "%u" is loopback's
 * index plus `plus`. Each must compile, translate and run.
 */
static const struct {
	const char *fmt;
	unsigned int plus;
} sll2_exprs[] = {
	{ .fmt = "inbound" },
	{ .fmt = "outbound" },
	{ .fmt = "inbound and udp" },
	{ .fmt = "outbound or ip6" },
	{ .fmt = "ifindex %u" },
	{ .fmt = "ifindex %u", .plus = 1 },
	{ .fmt = "not ifindex %u" },
	{ .fmt = "ifindex %u and arp" },
	{ .fmt = "link[4:4] = %u" },
	{ .fmt = "link[6:2] = %u" },
	{ .fmt = "link[7] = %u" },
	{ .fmt = "link[4:2] = 0 and link[5] = 0" },
	{ .fmt = "link[0:4] = 0x08000000" },
	{ .fmt = "link[0:4] = 0x86dd0000" },
	{ .fmt = "link[2:2] = 0" },
	{ .fmt = "link[0] = 0x86" },
	{ .fmt = "link[1] = 0x06" },
	{ .fmt = "link[1] & 0xf = 4" },
	{ .fmt = "link[10] = 0" },
	{ .fmt = "link[10] = 2" },
	{ .fmt = "link[10] = 3" },
	{ .fmt = "link[10] & 4 = 0" },
	{ .fmt = "ether proto 0x0800" },
	{ .fmt = "ether proto \\arp" },
	{ .fmt = "ether proto 0x8100" },
	{ .fmt = "ether proto 0x0001" },
	{ .fmt = "ether proto 0x0004" },
	{ .fmt = "ether proto 0x05ff" },
	{ .fmt = "len > 100" },
	{ .fmt = "greater 60" },
	{ .fmt = "less 80" },
	{ .fmt = "len >= 74 and len <= 120" },
	{ .fmt = "len = 62" },
	{ .fmt = "ip and len > 60" },
	{ .fmt = "len - 20 = ip[2:2]" },
	{ .fmt = "len - 60 = ip6[4:2]" },
	{ .fmt = "ip[ip[0] & 0xf] = 0x40" },
	{ .fmt = "tcp[tcpflags] & tcp-syn != 0 and link[10] = 0" },
};

/* Programs libpcap does not emit: each load of the header a socket filter can make. */
static const struct hand sll2_hands[] = {
	{ "ld [0]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [1]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [2]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [3]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [4]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [0]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [1]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [2]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [3]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [4]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [5]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 5), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [6]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [0]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [1]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [2]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [3]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [4]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [5]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 5), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [6]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [7]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 7), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [10]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 10), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([1]&0xf), A kept",
	  4,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x10000), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([7]&0xf), A kept",
	  4,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x10000), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 7),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([10]&0xf), A kept",
	  4,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x10000), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 10),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld #len", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldx #len",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [20]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [21]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 21), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [20]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [62]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 62), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [57]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 57), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [0x7fffffff]",
	  2,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0x7fffffff), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([20]&0xf), ldh [x+20]",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 20), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 20),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [x+20] with X = len - 24: the last word",
	  5,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 24),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_W | BPF_IND, 20),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [x+21] with X = len - 21: one past the end",
	  6,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 21),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 21),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [x+0x7ffffff0] with X = 0x10",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0x10), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0x7ffffff0),
	    BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "interface index + protocol + packet type + len",
	  9,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 10), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
};

/* Loads of what a socket filter cannot know: refused, naming it. */
static const struct {
	const char *name, *msg;
	struct sock_filter insn;
} sll2_bad[] = {
	{ "ldh [8]", "link-layer type", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 8) },
	{ "ldb [9]", "link-layer type", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9) },
	{ "ld [6]", "link-layer type", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 6) },
	{ "ldh [7]", "link-layer type", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 7) },
	{ "ldh [9]", "link-layer type", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 9) },
	{ "ld [5]", "link-layer type", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 5) },
	{ "ldxb 4*([8]&0xf)", "link-layer type", BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 8) },
	{ "ldh [10]", "address length", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 10) },
	{ "ld [10]", "address length", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 10) },
	{ "ldb [11]", "address length", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 11) },
	{ "ldh [11]", "address length", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 11) },
	{ "ldb [12]", "link-layer address", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 12) },
	{ "ld [12]", "link-layer address", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 12) },
	{ "ld [16]", "link-layer address", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16) },
	{ "ldb [19]", "link-layer address", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 19) },
	{ "ldxb 4*([19]&0xf)", "link-layer address", BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 19) },
	{ "ldh [19]", "across the end", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 19) },
	{ "ld [17]", "across the end", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 17) },
	{ "ld [18]", "across the end", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 18) },
	{ "ldb [x+0]", "indirect load", BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0) },
	{ "ldh [x+4]", "indirect load", BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4) },
	{ "ld [x+19]", "indirect load", BPF_STMT(BPF_LD | BPF_W | BPF_IND, 19) },
};

/*
 * Chain mode, as sockcap runs an expression on "any": a packet the
 * expression accepts goes on to the program in the array (here one that
 * returns 12345), which the header loads must leave able to run.
 */
static void sll2_chain(pcap_t *pc)
{
	static const struct bpf_insn callee[] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 12345 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char *const chain_exprs[] = {
		"inbound and ifindex %u and ip",
		"link[10] = 3 or len > 100",
		"inbound and ifindex %u and ip6 protochain 17",
	};
	struct cbpf_opts o = { .mode = CBPF_CHAIN, .link = CBPF_LINK_SLL2 };
	struct bpf_program prog;
	unsigned int e, i, runs = 0, accepted = 0;
	int map, callee_fd, fd, r;
	__u32 key = 0, got, want;
	char expr[128];

	map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "cbpf_sll2", 4, 4, 1, NULL);
	callee_fd =
		bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "cbpf_callee", "GPL", callee, 2, NULL);
	checks++;
	if (map < 0 || callee_fd < 0 || bpf_map_update_elem(map, &key, &callee_fd, BPF_ANY)) {
		fail("LINUX_SLL2 chain: setting up the map and the callee: %s", strerror(errno));
		goto out;
	}
	o.prog_array_fd = map;
	for (e = 0; e < sizeof(chain_exprs) / sizeof(chain_exprs[0]); e++) {
		snprintf(expr, sizeof(expr), chain_exprs[e], sll2_lo);
		checks++;
		if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail("LINUX_SLL2 chain \"%s\": pcap_compile: %s", expr, pcap_geterr(pc));
			continue;
		}
		fd = load_or_fail(expr, (struct sock_filter *)prog.bf_insns, prog.bf_len, &o);
		for (i = 0; fd >= 0 && i < nspkts; i++) {
			struct pcap_pkthdr h = { .caplen = spkts[i].len, .len = spkts[i].len };

			want = pcap_offline_filter(&prog, &h, spkts[i].b) ? 12345 : 0;
			accepted += !!want;
			got = 0;
			r = sll2_run(fd, spkts[i].f, &got);
			runs++;
			check(!r && got == want,
			      "LINUX_SLL2 chain \"%s\" on \"%s\": want %u, got %u", expr,
			      spkts[i].f->name, want, got);
		}
		if (fd >= 0)
			close(fd);
		pcap_freecode(&prog);
	}
	check(accepted > 0 && accepted < runs, "LINUX_SLL2 chain: %u of %u frames accepted",
	      accepted, runs);
out:
	if (callee_fd >= 0)
		close(callee_fd);
	if (map >= 0)
		close(map);
}

static void check_sll2(void)
{
	pcap_t *pc = pcap_open_dead(DLT_LINUX_SLL2, SNAPLEN);
	struct bpf_program prog[2];
	struct cbpf_opts o = { .link = CBPF_LINK_SLL2 };
	unsigned int i, compiled = 0, same = 0, never = 0, refused_opt = 0, corpus, hand, before;
	char what[600], expr[128];
	double t0 = now();
	int opt, acc;

	sll2_lo = if_nametoindex("lo");
	checks++;
	if (!pc || !sll2_lo) {
		fail("LINUX_SLL2: no dead LINUX_SLL2 handle, or no lo");
		if (pc)
			pcap_close(pc);
		return;
	}
	sll2_frames();

	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		prog[0].bf_insns = prog[1].bf_insns = NULL;
		for (opt = 1; opt >= 0; opt--) {
			struct bpf_program *p = &prog[opt];

			if (pcap_compile(pc, p, exprs[i], opt, PCAP_NETMASK_UNKNOWN) < 0) {
				/* optimized or not, libpcap's parser refuses it the same */
				checks++;
				if (!opt && prog[1].bf_insns)
					fail("\"%s\" (LINUX_SLL2, unoptimized): pcap_compile: %s",
					     exprs[i], pcap_geterr(pc));
				break;
			}
			compiled += opt;
			if (!opt && prog[1].bf_len == p->bf_len &&
			    !memcmp(prog[1].bf_insns, p->bf_insns,
				    p->bf_len * sizeof(*p->bf_insns))) {
				same++;
				continue;
			}
			snprintf(what, sizeof(what), "\"%s\"%s", exprs[i],
				 opt ? "" : " (unoptimized)");
			before = sll2_refused;
			acc = sll2_differential(what, (struct sock_filter *)p->bf_insns, p->bf_len);
			never += acc == 0;
			refused_opt += opt && sll2_refused != before;
		}
		for (opt = 0; opt < 2; opt++)
			if (prog[opt].bf_insns)
				pcap_freecode(&prog[opt]);
	}
	corpus = sll2_progs;

	for (i = 0; i < sizeof(sll2_exprs) / sizeof(sll2_exprs[0]); i++) {
		snprintf(expr, sizeof(expr), sll2_exprs[i].fmt, sll2_lo + sll2_exprs[i].plus);
		snprintf(what, sizeof(what), "\"%s\"", expr);
		checks++;
		if (pcap_compile(pc, &prog[0], expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail("%s (LINUX_SLL2): pcap_compile: %s", what, pcap_geterr(pc));
			continue;
		}
		checks++;
		if (sll2_unknown((struct sock_filter *)prog[0].bf_insns, prog[0].bf_len))
			fail("%s (LINUX_SLL2): reads what a socket filter cannot know", what);
		else
			sll2_differential(what, (struct sock_filter *)prog[0].bf_insns,
					  prog[0].bf_len);
		pcap_freecode(&prog[0]);
	}
	for (i = 0; i < sizeof(sll2_hands) / sizeof(sll2_hands[0]); i++) {
		snprintf(what, sizeof(what), "hand-written \"%s\"", sll2_hands[i].name);
		check(BPF_CLASS(sll2_hands[i].insns[sll2_hands[i].n - 1].code) == BPF_RET &&
			      (sll2_hands[i].n == 24 || !sll2_hands[i].insns[sll2_hands[i].n].code),
		      "%s: n = %u does not end the program", what, sll2_hands[i].n);
		checks++;
		if (sll2_unknown(sll2_hands[i].insns, sll2_hands[i].n))
			fail("%s (LINUX_SLL2): reads what a socket filter cannot know", what);
		else
			sll2_differential(what, sll2_hands[i].insns, sll2_hands[i].n);
	}
	hand = sll2_progs - corpus;
	check(hand == sizeof(sll2_exprs) / sizeof(sll2_exprs[0]) +
			      sizeof(sll2_hands) / sizeof(sll2_hands[0]),
	      "LINUX_SLL2: %u of the programs reading the header ran", hand);

	for (i = 0; i < sizeof(sll2_bad) / sizeof(sll2_bad[0]); i++) {
		struct sock_filter f[2] = { sll2_bad[i].insn, BPF_STMT(BPF_RET | BPF_A, 0) };

		snprintf(what, sizeof(what), "LINUX_SLL2 \"%s\"", sll2_bad[i].name);
		check(sll2_unknown(f, 2) != 0, "%s: reads nothing a socket filter cannot know",
		      what);
		expect_reject(what, f, 2, &o, -EINVAL, "cooked (LINUX_SLL2) header");
		expect_reject(what, f, 2, &o, -EINVAL, sll2_bad[i].msg);
	}
	sll2_chain(pc);
	pcap_close(pc);

	printf("cooked (LINUX_SLL2): %u of %u expressions compiled for it; %u programs (%u "
	       "unoptimized ones the same as optimized; %u accept no frame) and %u reading the "
	       "header run on every frame, %lu runs; %u programs (%u of them optimized) refused "
	       "for reading the header: %u its hardware type, %u its address length, %u its "
	       "address, %u across its end, %u indirect; %u hand-written loads refused; %.2f s\n",
	       compiled, (unsigned int)(sizeof(exprs) / sizeof(exprs[0])), corpus, same, never,
	       hand, sll2_runs, sll2_refused, refused_opt, sll2_why[0], sll2_why[1], sll2_why[2],
	       sll2_why[3], sll2_why[4], (unsigned int)(sizeof(sll2_bad) / sizeof(sll2_bad[0])),
	       now() - t0);
	check(compiled >= 350 && corpus >= 600,
	      "LINUX_SLL2: only %u expressions compiled, %u corpus programs ran", compiled, corpus);
	for (i = 0; i < nspkts; i++)
		free(spkts[i].b);
	free(spkts);
	for (i = 0; i < nsll2_own; i++)
		free(sll2_own[i].b);
}

/* ------------------------------------------------------------ live */

/*
 * The corpus on live packet sockets. In a network namespace of its own,
 * the test sends every frame of 14 bytes or more (the kernel refuses
 * shorter ones) on lo, which hands it to packet sockets twice: leaving, as
 * sent, and arriving, after the receive path took a VLAN tag out of it. One
 * socket without a filter gets every copy; each program is the filter of a
 * socket of its own, and for each copy must have passed exactly what
 * libpcap's verdict on the unfiltered socket's bytes says: nothing, or the
 * copy cut at the snap length the program returned.
 *
 * Sockets register at the head of the kernel's list of packet taps and
 * get each packet in that order: the unfiltered socket, opened first, is
 * the last to get a copy, so once it has one every program has had it.
 *
 * A frame the receive path drops (a VLAN header cut short) comes back
 * once only, leaving: the first batch waits LIVE_WAIT_MS for its arrival,
 * later ones do not.
 *
 * libpcap 1.10.3's interpreter follows "protochain" loops without a bound,
 * and the receive path changes tagged frames into frames the corpus was not
 * built to keep finite: programs with backward jumps are not given tagged
 * frames.
 */
#define LIVE_BATCH   128
#define LIVE_WAIT_MS 500

struct live_prog {
	char what[600];
	struct sock_filter *insns;
	unsigned int n;
	bool back; /* has backward jumps */
	int sock, prog_fd, map_fd, entry_fd;
};

struct copy {
	uint8_t b[FRAME_MAX + 64];
	unsigned int len;
	unsigned char pkttype;
};

static struct live_prog *lprogs;
static unsigned int nlprogs;
static unsigned long live_copies;
static unsigned char *live_gone; /* per frame: never arrives */

static bool has_back_jump(const struct sock_filter *f, unsigned int n)
{
	for (unsigned int j = 0; j < n; j++)
		if (f[j].code == (BPF_JMP | BPF_JA) && (__s32)f[j].k < 0)
			return true;
	return false;
}

static void live_add(const char *what, const struct sock_filter *f, unsigned int n)
{
	struct live_prog *lp;

	lprogs = realloc(lprogs, (nlprogs + 1) * sizeof(*lprogs));
	if (!lprogs) {
		printf("out of memory\n");
		exit(1);
	}
	lp = &lprogs[nlprogs++];
	memset(lp, 0, sizeof(*lp));
	snprintf(lp->what, sizeof(lp->what), "%s", what);
	lp->insns = malloc(n * sizeof(*f));
	if (!lp->insns) {
		printf("out of memory\n");
		exit(1);
	}
	memcpy(lp->insns, f, n * sizeof(*f));
	lp->n = n;
	lp->back = has_back_jump(f, n);
	lp->sock = lp->prog_fd = lp->map_fd = lp->entry_fd = -1;
}

/*
 * A program too large for the socket's option memory (net.core.optmem_max:
 * 20 KiB on Linux 6.1; "protochain" is some 3000 instructions) goes behind
 * a small program that tail-calls it, as sockcap attaches it.
 */
static int attach_entry(struct live_prog *lp)
{
	__u32 zero = 0;
	struct bpf_insn entry[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM,
		  .dst_reg = BPF_REG_2,
		  .src_reg = BPF_PSEUDO_MAP_FD },
		{ 0 },
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_tail_call },
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	lp->map_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, NULL, 4, 4, 1, NULL);
	if (lp->map_fd < 0 || bpf_map_update_elem(lp->map_fd, &zero, &lp->prog_fd, BPF_ANY))
		return -errno;
	entry[0].imm = lp->map_fd;
	lp->entry_fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "entry", "GPL", entry,
				     sizeof(entry) / sizeof(entry[0]), NULL);
	if (lp->entry_fd < 0)
		return -errno;
	if (setsockopt(lp->sock, SOL_SOCKET, SO_ATTACH_BPF, &lp->entry_fd, sizeof(int)) < 0)
		return -errno;
	return 0;
}

/* A packet socket on lo with prog_fd (or none, < 0) as its filter. */
static int live_socket(int ifindex, struct live_prog *lp)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rcv = 1 << 20;

	if (s < 0)
		return -errno;
	if (lp) {
		lp->sock = s;
		if (setsockopt(s, SOL_SOCKET, SO_ATTACH_BPF, &lp->prog_fd, sizeof(int)) < 0 &&
		    (errno != ENOMEM || attach_entry(lp)))
			return -errno;
	}
	/* room for every copy of a frame, at least (root may force it) */
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return s;
}

/* Read one packet; 0 when there is none, its length otherwise. */
static long live_read(int s, struct copy *c)
{
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	ssize_t r = recvfrom(s, c->b, sizeof(c->b), MSG_TRUNC, (struct sockaddr *)&from, &fl);

	if (r < 0)
		return errno == EAGAIN ? 0 : -errno;
	c->len = r > (ssize_t)sizeof(c->b) ? sizeof(c->b) : (unsigned int)r;
	c->pkttype = from.sll_pkttype;
	return r;
}

static void live_close(struct live_prog *lp)
{
	int *fds[] = { &lp->sock, &lp->prog_fd, &lp->map_fd, &lp->entry_fd };

	for (unsigned int i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static bool tagged(const struct frame *f)
{
	unsigned int t = f->len >= 14 ? (unsigned int)(f->b[12] << 8 | f->b[13]) : 0;

	return t == 0x8100 || t == 0x88a8 || t == 0x9100;
}

/* Send every frame to the programs lp[0..n), which have sockets. */
static void live_batch(int ifindex, int ref, int tx, struct live_prog **lp, unsigned int n,
		       bool back)
{
	static struct copy copies[8], got;
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };

	for (unsigned int i = 0; i < nframes; i++) {
		const struct frame *f = &frames[i];
		unsigned int nc = 0, waited = 0, wait = live_gone[i] ? 0 : LIVE_WAIT_MS;
		bool arrived = false;

		if (f->len < 14 || (back && tagged(f)))
			continue;
		if (sendto(tx, f->b, f->len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			fail("live: sending \"%s\" (%u bytes): %s", f->name, f->len,
			     strerror(errno));
			continue;
		}
		/* the copies the unfiltered socket gets, up to the arriving one */
		while (!arrived && nc < 8) {
			struct pollfd pfd = { .fd = ref, .events = POLLIN };
			long r = live_read(ref, &copies[nc]);

			if (r > 0) {
				arrived = copies[nc++].pkttype != PACKET_OUTGOING;
			} else if (r < 0 || waited >= wait) {
				break;
			} else {
				poll(&pfd, 1, 10);
				waited += 10;
			}
		}
		live_gone[i] = !arrived;
		checks++;
		if (!nc) {
			fail("live: \"%s\": no copy on lo", f->name);
			continue;
		}
		live_copies += nc;
		for (unsigned int p = 0; p < n; p++) {
			struct bpf_program prog = { .bf_len = lp[p]->n,
						    .bf_insns =
							    (struct pcap_bpf_insn *)lp[p]->insns };

			for (unsigned int c = 0; c < nc; c++) {
				struct pcap_pkthdr h = { .caplen = copies[c].len,
							 .len = copies[c].len };
				unsigned int want = pcap_offline_filter(&prog, &h, copies[c].b);

				if (want > copies[c].len)
					want = copies[c].len;
				if (!want)
					continue;
				checks++;
				if (live_read(lp[p]->sock, &got) <= 0) {
					fail("%s: live, \"%s\" (%s copy): libpcap takes %u bytes, "
					     "the "
					     "socket got nothing",
					     lp[p]->what, f->name,
					     copies[c].pkttype == PACKET_OUTGOING ? "outgoing"
										  : "incoming",
					     want);
					break;
				}
				if (got.len != want || memcmp(got.b, copies[c].b, want)) {
					fail("%s: live, \"%s\": libpcap takes %u bytes, the socket "
					     "got "
					     "%u%s",
					     lp[p]->what, f->name, want, got.len,
					     got.len == want ? " different ones" : "");
					break;
				}
			}
			/* and nothing more */
			checks++;
			if (live_read(lp[p]->sock, &got) > 0) {
				fail("%s: live, \"%s\": the socket got a copy libpcap rejects (%u "
				     "bytes)",
				     lp[p]->what, f->name, got.len);
				while (live_read(lp[p]->sock, &got) > 0)
					;
			}
		}
	}
}

static void check_live(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	unsigned int i, start, ifindex, nb = 0, nback = 0, nb_gone = 0;
	int fd, ref, tx;
	char err[1024];
	double t0 = now();

	if (unshare(CLONE_NEWNET) < 0) {
		fail("live: a network namespace of its own: %s", strerror(errno));
		return;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
		fail("live: bringing lo up: %s", strerror(errno));
		return;
	}
	close(fd);
	ifindex = if_nametoindex("lo");
	live_gone = calloc(nframes, 1);
	ref = live_socket(ifindex, NULL);
	tx = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: receives nothing */
	if (ref < 0 || tx < 0) {
		fail("live: packet sockets: %s", strerror(ref < 0 ? -ref : errno));
		return;
	}
	/* programs without backward jumps first, then those with */
	for (int back = 0; back < 2; back++) {
		for (start = 0; start < nlprogs;) {
			unsigned int n = 0;
			struct live_prog *batch[LIVE_BATCH];

			for (i = start; i < nlprogs && n < LIVE_BATCH; i++, start++) {
				struct live_prog *lp = &lprogs[i];
				int s;

				if (lp->back != back)
					continue;
				checks++;
				lp->prog_fd = cbpf_load(lp->insns, lp->n, NULL, err, sizeof(err));
				if (lp->prog_fd < 0) {
					fail("%s: live: %s", lp->what, err);
					continue;
				}
				s = live_socket(ifindex, lp);
				if (s < 0) {
					fail("%s: live: attaching: %s", lp->what, strerror(-s));
					live_close(lp);
					continue;
				}
				batch[n++] = lp;
			}
			if (!n)
				continue;
			live_batch(ifindex, ref, tx, batch, n, back);
			for (i = 0; i < n; i++)
				live_close(batch[i]);
			nb++;
			nback += back ? n : 0;
		}
	}
	close(ref);
	close(tx);
	for (i = 0; i < nframes; i++)
		nb_gone += live_gone[i];
	free(live_gone);
	printf("live: %u frames dropped by the receive path; %u programs (%u with backward jumps, "
	       "not given tagged frames) in %u "
	       "batches on lo, %lu copies of frames compared, %.2f s\n",
	       nb_gone, nlprogs, nback, nb, live_copies, now() - t0);
}

int main(void)
{
	double t0 = now(), t1;
	pcap_t *pc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("CBPF_SHOW_FAILS"))
		show_fails = strtoul(getenv("CBPF_SHOW_FAILS"), NULL, 0);
	if (geteuid() != 0) {
		printf("SKIP: needs root for BPF\n");
		return 77;
	}
	pc = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!pc) {
		printf("pcap_open_dead failed\n");
		return 1;
	}
	build_frames();
	run_corpus(pc);
	check_coverage();
	t1 = now();
	check_ancillary(pc);
	check_rejects();
	check_back_jumps(pc);
	check_chain(pc);
	check_sll2();
	check_live();
	printf("largest program: %u classic instructions; %u eBPF instructions (%s)\n", max_classic,
	       max_ebpf, max_ebpf_name);
	printf("differential %.2f s, targeted %.2f s\n", t1 - t0, now() - t1);
	printf("%lu checks, %lu failures\n", checks, failures);
	pcap_close(pc);
	return failures ? 1 : 0;
}
