/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What tests/test_cbpf.c and tests/test_cbpf_live.c share: the counts of
 * checks and failures, the packet corpus and its builders, and the filter
 * expressions, read from tests/cbpf_exprs.txt under $srcdir.
 */
#ifndef SOCKCAP_TESTS_CBPF_COMMON_H
#define SOCKCAP_TESTS_CBPF_COMMON_H

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

extern unsigned long checks, failures;
extern unsigned long show_fails; /* CBPF_SHOW_FAILS=n to see more */

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double now(void);

/* ------------------------------------------------------------- frames */

struct frame {
	uint8_t *b;
	unsigned int len;
	char name[56];
};

extern struct frame *frames;
extern unsigned int nframes;

/* A frame under construction. */
struct pb {
	uint8_t b[FRAME_MAX];
	unsigned int len;
};

static inline void p8(struct pb *p, unsigned int v)
{
	if (p->len < FRAME_MAX)
		p->b[p->len++] = v & 0xff;
}

static inline void p16(struct pb *p, unsigned int v)
{
	p8(p, v >> 8);
	p8(p, v);
}

static inline void p32(struct pb *p, uint32_t v)
{
	p16(p, v >> 16);
	p16(p, v);
}

static inline void pn(struct pb *p, const void *d, unsigned int n)
{
	const uint8_t *s = d;

	while (n--)
		p8(p, *s++);
}

static inline void pz(struct pb *p, unsigned int n)
{
	while (n--)
		p8(p, 0);
}

static inline void set16(struct pb *p, unsigned int at, unsigned int v)
{
	p->b[at] = v >> 8;
	p->b[at + 1] = v & 0xff;
}

void add_cut(const struct pb *p, unsigned int len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define add(p, ...) add_cut((p), (p)->len, __VA_ARGS__)

uint32_t rnd(void);

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

static inline void eth(struct pb *p, const uint8_t *dst, const uint8_t *src, unsigned int type)
{
	p->len = 0;
	pn(p, dst, 6);
	pn(p, src, 6);
	p16(p, type);
}

/* IPv4 header; options (ihl > 5) are a router alert, then NOPs. */
static inline unsigned int ip4(struct pb *p, const uint8_t *src, const uint8_t *dst,
			       unsigned int proto, unsigned int ihl, unsigned int frag,
			       unsigned int ttl)
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

static inline void ip4_done(struct pb *p, unsigned int at)
{
	set16(p, at + 2, p->len - at);
}

static inline unsigned int ip6(struct pb *p, const uint8_t *src, const uint8_t *dst,
			       unsigned int nh, unsigned int hlim)
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

static inline void ip6_done(struct pb *p, unsigned int at)
{
	set16(p, at + 4, p->len - at - 40);
}

/* Hop-by-hop, destination options or routing header of 8 * (units + 1) bytes. */
static inline void ext6(struct pb *p, unsigned int nh, unsigned int units)
{
	p8(p, nh);
	p8(p, units);
	pz(p, 6 + 8 * units);
}

static inline void frag6(struct pb *p, unsigned int nh, unsigned int off, bool more)
{
	p8(p, nh);
	p8(p, 0);
	p16(p, (off << 3) | more);
	p32(p, 0xdeadbeef);
}

/* AH: its length field counts 4-byte units minus 2. */
static inline void ah(struct pb *p, unsigned int nh, unsigned int len)
{
	p8(p, nh);
	p8(p, len);
	pz(p, (len + 2) * 4 - 2);
}

static inline void tcp(struct pb *p, unsigned int sport, unsigned int dport, unsigned int flags,
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

static inline void udp(struct pb *p, unsigned int sport, unsigned int dport, unsigned int payload)
{
	unsigned int i;

	p16(p, sport);
	p16(p, dport);
	p16(p, 8 + payload);
	p16(p, 0);
	for (i = 0; i < payload; i++)
		p8(p, i * 7);
}

static inline void icmp(struct pb *p, unsigned int type, unsigned int code)
{
	p8(p, type);
	p8(p, code);
	p16(p, 0);
	p16(p, 0x1234);
	p16(p, 1);
	pz(p, 8);
}

static inline void arp(struct pb *p, unsigned int op, const uint8_t *sha, const uint8_t *spa,
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

static inline void v4_tcp(struct pb *p, const uint8_t *dmac, const uint8_t *s, const uint8_t *d,
			  unsigned int sport, unsigned int dport, unsigned int flags,
			  unsigned int pay)
{
	unsigned int at;

	eth(p, dmac, MAC_A, 0x0800);
	at = ip4(p, s, d, 6, 5, 0x4000, 64);
	tcp(p, sport, dport, flags, 5, pay);
	ip4_done(p, at);
}

static inline void v4_udp(struct pb *p, const uint8_t *dmac, const uint8_t *s, const uint8_t *d,
			  unsigned int sport, unsigned int dport, unsigned int pay)
{
	unsigned int at;

	eth(p, dmac, MAC_A, 0x0800);
	at = ip4(p, s, d, 17, 5, 0, 64);
	udp(p, sport, dport, pay);
	ip4_done(p, at);
}

/* IPv6 with a chain of extension headers (0, 43, 44, 51, 60) then TCP/UDP. */
static inline void v6_chain(struct pb *p, const uint8_t *nhs, unsigned int n, unsigned int last)
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

/* The packet corpus, built deterministically into frames[]. */
void build_frames(void);

/* ----------------------------------------------------------- data */

/*
 * The lines of $srcdir/tests/<name> (srcdir "." when unset) that are
 * neither blank nor comments (#), trimmed. Exits with 99 when the file
 * cannot be read, holds no such line, or a line holding a control
 * character or longer than 1000 bytes.
 */
char **read_lines(const char *name, unsigned int *n);

/* tests/cbpf_exprs.txt: libpcap expressions for DLT_EN10MB. */
extern char **exprs;
extern unsigned int nexprs;
void read_exprs(void);
/*
 * What both programs do first: line-buffered output, CBPF_SHOW_FAILS, exit
 * 77 unless root, the expressions read; a handle to compile them with.
 */
pcap_t *cbpf_test_start(void);

/*
 * Each expression compiled by pcap_compile, optimized then not; the
 * unoptimized program is left out when it is the optimized one again.
 * fn gets what (the expression, quoted, and whether unoptimized) and the
 * program. A compilation that fails is a failure, and a check when count.
 * Returns how many unoptimized programs were left out.
 */
typedef void corpus_fn(const char *what, const struct sock_filter *insns, unsigned int n,
		       void *arg);
unsigned int corpus_programs(pcap_t *pc, bool count, corpus_fn *fn, void *arg);

#endif /* SOCKCAP_TESTS_CBPF_COMMON_H */
