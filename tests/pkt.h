/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: crafted frames for the parser, formatter and BPF tests */
#ifndef SOCKCAP_TESTS_PKT_H
#define SOCKCAP_TESTS_PKT_H

#include <stdint.h>
#include <string.h>

#define PKT_MAX 256

struct pkt {
	uint8_t b[PKT_MAX];
	unsigned int len;
	const char *name;
};

static inline void put8(struct pkt *p, uint8_t v)
{
	p->b[p->len++] = v;
}

static inline void put16(struct pkt *p, uint16_t v)
{
	put8(p, v >> 8);
	put8(p, v & 0xff);
}

static inline void put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

static inline void putn(struct pkt *p, const void *d, unsigned int n)
{
	memcpy(p->b + p->len, d, n);
	p->len += n;
}

static inline void putz(struct pkt *p, unsigned int n)
{
	memset(p->b + p->len, 0, n);
	p->len += n;
}

static const uint8_t MAC_A[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t IP_A[4] = { 198, 18, 0, 1 };
static const uint8_t IP_B[4] = { 198, 18, 0, 2 };
static const uint8_t IP6_A[16] = { 0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t IP6_B[16] = { 0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };

static inline void eth(struct pkt *p, const uint8_t *dst, uint16_t type)
{
	p->len = 0;
	putn(p, dst, 6);
	putn(p, MAC_A, 6);
	put16(p, type);
}

static inline void vlan_tag(struct pkt *p, uint16_t tci, uint16_t type)
{
	put16(p, tci);
	put16(p, type);
}

/* IPv4 header with total length tot (0: computed by finish_ip4) */
static inline unsigned int ip4(struct pkt *p, uint8_t proto, uint8_t ihl, uint16_t tot,
			       uint16_t frag)
{
	unsigned int at = p->len;

	put8(p, 0x40 | ihl);
	put8(p, 0);
	put16(p, tot);
	put16(p, 0x1234);
	put16(p, frag);
	put8(p, 64);
	put8(p, proto);
	put16(p, 0);
	putn(p, IP_A, 4);
	putn(p, IP_B, 4);
	for (int i = 5; i < ihl && i < 15; i++)
		put32(p, 0x01010101); /* NOP options */
	return at;
}

static inline void finish_ip4(struct pkt *p, unsigned int at)
{
	uint16_t tot = p->len - at;

	p->b[at + 2] = tot >> 8;
	p->b[at + 3] = tot & 0xff;
}

static inline unsigned int ip6(struct pkt *p, uint8_t nh)
{
	unsigned int at = p->len;

	put32(p, 0x60012345); /* flow label 0x12345 */
	put16(p, 0);
	put8(p, nh);
	put8(p, 64);
	putn(p, IP6_A, 16);
	putn(p, IP6_B, 16);
	return at;
}

static inline void finish_ip6(struct pkt *p, unsigned int at)
{
	uint16_t plen = p->len - at - 40;

	p->b[at + 4] = plen >> 8;
	p->b[at + 5] = plen & 0xff;
}

/* An 8-byte extension header (hop-by-hop, routing, destination options). */
static inline void ext8(struct pkt *p, uint8_t nh)
{
	put8(p, nh);
	put8(p, 0);
	put16(p, 0x0104); /* PadN, 4 bytes */
	put32(p, 0);
}

static inline void udp(struct pkt *p, uint16_t sport, uint16_t dport, unsigned int payload,
		       int ulen)
{
	put16(p, sport);
	put16(p, dport);
	put16(p, ulen >= 0 ? (uint16_t)ulen : (uint16_t)(8 + payload));
	put16(p, 0);
	for (unsigned int i = 0; i < payload; i++)
		put8(p, 'a' + i % 26);
}

static inline void tcp(struct pkt *p, uint8_t flags, uint32_t seq, uint32_t ack,
		       unsigned int payload)
{
	put16(p, 40000);
	put16(p, 80);
	put32(p, seq);
	put32(p, ack);
	put8(p, 5 << 4);
	put8(p, flags);
	put16(p, 512);
	put16(p, 0);
	put16(p, 0);
	for (unsigned int i = 0; i < payload; i++)
		put8(p, 'x');
}

static inline void icmp_echo(struct pkt *p, uint8_t type, uint16_t id, uint16_t seq,
			     unsigned int payload)
{
	put8(p, type);
	put8(p, 0);
	put16(p, 0);
	put16(p, id);
	put16(p, seq);
	putz(p, payload);
}

static inline void arp(struct pkt *p, uint16_t op)
{
	put16(p, 1);
	put16(p, 0x0800);
	put8(p, 6);
	put8(p, 4);
	put16(p, op);
	putn(p, MAC_A, 6);
	putn(p, IP_A, 4);
	if (op == 1)
		putz(p, 6);
	else
		putn(p, MAC_B, 6);
	putn(p, IP_B, 4);
}

/* --- complete frames ---------------------------------------------------- */

static inline void pkt_udp4(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x0800);
	ip = ip4(p, 17, 5, 0, 0x4000);
	udp(p, 40000, 9, 18, -1);
	finish_ip4(p, ip);
	p->name = "udp4";
}

static inline void pkt_tcp4(struct pkt *p, uint8_t flags, unsigned int payload)
{
	unsigned int ip;

	eth(p, MAC_B, 0x0800);
	ip = ip4(p, 6, 5, 0, 0x4000);
	tcp(p, flags, 1000, 2000, payload);
	finish_ip4(p, ip);
	p->name = "tcp4";
}

static inline void pkt_icmp4(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x0800);
	ip = ip4(p, 1, 5, 0, 0);
	icmp_echo(p, 8, 4321, 7, 56);
	finish_ip4(p, ip);
	p->name = "icmp4";
}

static inline void pkt_udp6(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x86dd);
	ip = ip6(p, 17);
	udp(p, 40000, 9, 10, -1);
	finish_ip6(p, ip);
	p->name = "udp6";
}

static inline void pkt_icmp6(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x86dd);
	ip = ip6(p, 58);
	icmp_echo(p, 128, 99, 3, 8);
	finish_ip6(p, ip);
	p->name = "icmp6";
}

/* hop-by-hop, destination options, then TCP */
static inline void pkt_tcp6_ext(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x86dd);
	ip = ip6(p, 0);
	ext8(p, 60);
	ext8(p, 6);
	tcp(p, 0x02, 5, 0, 0);
	finish_ip6(p, ip);
	p->name = "tcp6-ext";
}

static inline void pkt_arp(struct pkt *p, uint16_t op)
{
	eth(p, op == 1 ? MAC_BCAST : MAC_B, 0x0806);
	arp(p, op);
	p->name = op == 1 ? "arp-request" : "arp-reply";
}

static inline void pkt_vlan_udp4(struct pkt *p, int tags)
{
	unsigned int ip;

	eth(p, MAC_B, tags ? 0x8100 : 0x0800);
	for (int i = 0; i < tags; i++)
		vlan_tag(p, (uint16_t)(0x2000 | (10 * (i + 1))), i + 1 < tags ? 0x8100 : 0x0800);
	ip = ip4(p, 17, 5, 0, 0);
	udp(p, 5000, 6000, 4, -1);
	finish_ip4(p, ip);
	p->name = "vlan-udp4";
}

#endif /* SOCKCAP_TESTS_PKT_H */
