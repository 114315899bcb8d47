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

/* --- fragments ---------------------------------------------------------- */

/*
 * The first fragment of a UDP datagram of 4000 data bytes (length field
 * 4008) with 1480 bytes of it: the length field is the whole datagram's.
 */
static inline void pkt_frag4_first(struct pkt *p, uint8_t proto)
{
	unsigned int ip;

	eth(p, MAC_B, 0x0800);
	ip = ip4(p, proto, 5, 0, 0x2000); /* more fragments, offset 0 */
	if (proto == 17)
		udp(p, 40000, 9, 40, 4008);
	else if (proto == 6)
		tcp(p, 0x18, 1000, 2000, 40);
	else
		icmp_echo(p, 8, 4321, 7, 40);
	finish_ip4(p, ip);
	p->name = "frag4-first";
}

/* A later fragment: at offset 1480, the last one. */
static inline void pkt_frag4_later(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x0800);
	ip = ip4(p, 17, 5, 0, 185);
	putz(p, 64);
	finish_ip4(p, ip);
	p->name = "frag4-later";
}

/* RFC 8200 fragment header */
static inline void frag6_hdr(struct pkt *p, uint8_t nh, uint16_t offset, int more, uint32_t id)
{
	put8(p, nh);
	put8(p, 0);
	put16(p, (uint16_t)(offset | (more ? 1 : 0)));
	put32(p, id);
}

/* IPv6 first fragment of a datagram of proto (UDP: length field 4008) */
static inline void pkt_frag6_first(struct pkt *p, uint8_t proto)
{
	unsigned int ip;

	eth(p, MAC_B, 0x86dd);
	ip = ip6(p, 44);
	frag6_hdr(p, proto, 0, 1, 0xdeadbeef);
	if (proto == 17)
		udp(p, 40000, 9, 40, 4008);
	else if (proto == 6)
		tcp(p, 0x18, 1000, 2000, 40);
	else
		icmp_echo(p, 128, 99, 3, 40);
	finish_ip6(p, ip);
	p->name = "frag6-first";
}

/* IPv6 later fragment, at offset 1232 */
static inline void pkt_frag6_later(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x86dd);
	ip = ip6(p, 44);
	frag6_hdr(p, 17, 1232, 0, 0xdeadbeef);
	putz(p, 100);
	finish_ip6(p, ip);
	p->name = "frag6-later";
}

/* --- 802.3, LLC and link-level odds -------------------------------------- */

static const uint8_t MAC_STP[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };
static const uint8_t MAC_CDP[6] = { 0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc };
static const uint8_t MAC_LLDP[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };

/* An 802.3 header whose length field finish_dot3() fills in. */
static inline unsigned int dot3(struct pkt *p, const uint8_t *dst)
{
	eth(p, dst, 0);
	return p->len;
}

/* The length field counts what follows it; then padding to 60 bytes. */
static inline void finish_dot3(struct pkt *p, unsigned int at)
{
	uint16_t len = p->len - at;

	p->b[at - 2] = len >> 8;
	p->b[at - 1] = len & 0xff;
	if (p->len < 60)
		putz(p, 60 - p->len);
}

static inline void llc(struct pkt *p, uint8_t dsap, uint8_t ssap, uint8_t ctrl)
{
	put8(p, dsap);
	put8(p, ssap);
	put8(p, ctrl);
}

/*
 * A spanning tree BPDU (IEEE 802.1D-2004 clause 9.3): configuration (type
 * 0, 35 bytes), rapid (type 2, version 2, 36 bytes), or topology change
 * (type 0x80, 4 bytes). Bridge 8000.MAC_A, port 0x8001.
 */
static inline void pkt_stp(struct pkt *p, uint8_t version, uint8_t type, uint8_t flags)
{
	unsigned int at = dot3(p, MAC_STP);

	llc(p, 0x42, 0x42, 0x03);
	put16(p, 0);
	put8(p, version);
	put8(p, type);
	if (type != 0x80) {
		put8(p, flags);
		put16(p, 0x8000); /* root: priority, address */
		putn(p, MAC_B, 6);
		put32(p, 4); /* root path cost */
		put16(p, 0x8000);
		putn(p, MAC_A, 6);
		put16(p, 0x8001);
		put16(p, 1 << 8);  /* message age, in 1/256 s */
		put16(p, 20 << 8); /* max age */
		put16(p, 2 << 8);  /* hello time */
		put16(p, 15 << 8); /* forward delay */
		if (version >= 2)
			put8(p, 0); /* version 1 length */
	}
	finish_dot3(p, at);
	p->name = "stp";
}

/* SNAP (RFC 1042) to Cisco's CDP, 4 bytes of it */
static inline void pkt_snap_cdp(struct pkt *p)
{
	unsigned int at = dot3(p, MAC_CDP);

	llc(p, 0xaa, 0xaa, 0x03);
	put8(p, 0x00);
	put16(p, 0x000c);
	put16(p, 0x2000);
	put32(p, 0x02b40000); /* version 2, TTL 180, checksum */
	finish_dot3(p, at);
	p->name = "snap-cdp";
}

/* Another SAP: an LLC header and 40 bytes */
static inline void pkt_llc(struct pkt *p, uint8_t dsap, uint8_t ssap, uint8_t ctrl)
{
	unsigned int at = dot3(p, MAC_B);

	llc(p, dsap, ssap, ctrl);
	putz(p, 40);
	finish_dot3(p, at);
	p->name = "llc";
}

/*
 * 802.1ad outer tag (TPID 0x88a8, VLAN 100), 802.1Q inner tag (VLAN 20),
 * IPv4/UDP
 */
static inline void pkt_qinq_udp4(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x88a8);
	vlan_tag(p, 0x6064, 0x8100);
	vlan_tag(p, 0x2014, 0x0800);
	ip = ip4(p, 17, 5, 0, 0);
	udp(p, 5000, 6000, 4, -1);
	finish_ip4(p, ip);
	p->name = "qinq-udp4";
}

/* LLDP (IEEE 802.1AB): chassis and port ids, TTL, end */
static inline void pkt_lldp(struct pkt *p)
{
	eth(p, MAC_LLDP, 0x88cc);
	put16(p, (1 << 9) | 7); /* chassis id: MAC address */
	put8(p, 4);
	putn(p, MAC_A, 6);
	put16(p, (2 << 9) | 3); /* port id: interface name "vA" */
	put8(p, 5);
	putn(p, "vA", 2);
	put16(p, (3 << 9) | 2); /* TTL 120 s */
	put16(p, 120);
	put16(p, 0); /* end */
	p->name = "lldp";
}

#endif /* SOCKCAP_TESTS_PKT_H */
