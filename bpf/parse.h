/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: header parser shared by the socket filter and user space
 *
 * The same code runs in the kernel (loads through
 * bpf_skb_load_bytes_relative from the MAC header) and in user space (loads
 * from a buffer with bounds checks), so the unit tests, the fuzzer and -r
 * exercise what the kernel runs. Every load can fail; a failed load marks the
 * record truncated at the layer being parsed and parsing stops there.
 */
#ifndef SOCKCAP_PARSE_H
#define SOCKCAP_PARSE_H

#include "sockcap.h"

#ifdef __bpf__
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * The packet and where offsets count from: the MAC header (BPF_HDR_START_MAC)
 * for frames with a link-layer header, the network header
 * (BPF_HDR_START_NET) for packets without one (raw IP interfaces, cooked
 * captures).
 */
struct sc_skb {
	struct __sk_buff *skb;
	__u32 start;
};
typedef struct sc_skb sc_ctx_t;

/*
 * bpf_skb_load_bytes_relative reads from the start of that header whether
 * skb->data is there (a live packet socket) or at the network header
 * (BPF_PROG_TEST_RUN), but only from the linear area. Headers in page
 * fragments (a sender's TX ring, some drivers) are read with
 * bpf_skb_load_bytes, relative to skb->data, which on a live packet socket
 * is the same header (a SOCK_RAW socket's skb->data is the MAC header, or
 * the network header where there is no link-layer header; a SOCK_DGRAM
 * socket's is the network header). Under BPF_PROG_TEST_RUN the whole frame
 * is linear, so that second load can only fail as the first did.
 */
static __always_inline long sc_load(sc_ctx_t *ctx, __u32 off, void *to, __u32 len)
{
	if (!bpf_skb_load_bytes_relative(ctx->skb, off, to, len, ctx->start))
		return 0;
	return bpf_skb_load_bytes(ctx->skb, off, to, len);
}
#else
#include <string.h>

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

struct sc_buf {
	const __u8 *data;
	__u32 len; /* bytes available (captured) */
};
typedef const struct sc_buf sc_ctx_t;

static __always_inline long sc_load(sc_ctx_t *b, __u32 off, void *to, __u32 len)
{
	if (off > b->len || len > b->len - off) {
		memset(to, 0, len);
		return -14; /* -EFAULT, as the kernel helper */
	}
	memcpy(to, b->data + off, len);
	return 0;
}
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define sc_ntohs(x) __builtin_bswap16(x)
#define sc_ntohl(x) __builtin_bswap32(x)
#else
#define sc_ntohs(x) (x)
#define sc_ntohl(x) (x)
#endif

#define SC_ETH_P_IP	 0x0800
#define SC_ETH_P_ARP	 0x0806
#define SC_ETH_P_8021Q	 0x8100
#define SC_ETH_P_8021AD	 0x88a8
#define SC_ETH_P_IPV6	 0x86dd
#define SC_ETH_P_MPLS	 0x8847
#define SC_ETH_P_MPLS_MC 0x8848
#define SC_ETH_P_TEB	 0x6558 /* transparent Ethernet bridging (GRE, Geneve) */

/* IP protocol numbers (IANA), IPv6 extension headers among them */
#define SC_IPPROTO_HOPOPTS  0
#define SC_IPPROTO_ICMP	    1
#define SC_IPPROTO_IGMP	    2
#define SC_IPPROTO_IPIP	    4
#define SC_IPPROTO_TCP	    6
#define SC_IPPROTO_UDP	    17
#define SC_IPPROTO_IPV6	    41
#define SC_IPPROTO_ROUTING  43
#define SC_IPPROTO_FRAGMENT 44
#define SC_IPPROTO_GRE	    47
#define SC_IPPROTO_ESP	    50
#define SC_IPPROTO_AH	    51
#define SC_IPPROTO_ICMPV6   58
#define SC_IPPROTO_NONE	    59
#define SC_IPPROTO_DSTOPTS  60
#define SC_IPPROTO_SCTP	    132
/* IEEE 802.3 clause 3.2.6: a type/length field up to 1500 is a length */
#define SC_ETH_MAX_LEN 1500
/* skb->protocol of an 802.3 frame with an LLC header (ETH_P_802_2) */
#define SC_ETH_P_802_2 0x0004

/* VLAN tags recorded per frame, a tag the kernel stripped included. */
#define SC_MAX_VLAN 2

/*
 * Header copies on the stack are 8-byte aligned so they move in words; their
 * sizeof may then exceed the header, so loads use these lengths.
 */
#define SC_ALIGNED  __attribute__((aligned(8)))
#define SC_ETH_HLEN 14
#define SC_IP4_HLEN 20
#define SC_IP6_HLEN 40

struct sc_eth {
	__u8 addrs[12]; /* destination, source */
	__u16 proto;
} SC_ALIGNED;

struct sc_ip4 {
	__u8 vihl, tos;
	__u16 tot_len, id, frag;
	__u8 ttl, proto;
	__u16 check;
	__u32 saddr, daddr;
} SC_ALIGNED;

struct sc_ip6 {
	__u32 vtcfl; /* version, traffic class, flow label */
	__u16 plen;
	__u8 nexthdr, hlim;
	__u8 saddr[16], daddr[16];
} SC_ALIGNED;

/* RFC 826 with Ethernet/IPv4 addresses */
struct sc_arp {
	__u16 hrd, pro;
	__u8 hln, pln;
	__u16 op;
	__u8 sha[6], spa[4], tha[6], tpa[4];
};

struct sc_tcp {
	__u16 sport, dport;
	__u32 seq, ack;
	__u8 doff_res, flags;
	__u16 win, check, urg;
};

struct sc_udp {
	__u16 sport, dport, len, check;
};

/*
 * An IPv6 extension header's first 8 bytes: next header and length, then
 * (a fragment header's, RFC 8200 section 4.5) the fragment offset and
 * flags and the identification:
 *
 * +-------------+----------+-----------------+---+-+
 * | next header | reserved | fragment offset |res|M|
 * +-------------+----------+-----------------+---+-+
 * |                identification                  |
 * +------------------------------------------------+
 */
struct sc_ext6 {
	__u8 nexthdr, len;
	__u16 frag;
	__u32 id;
};

struct sc_icmp {
	__u8 type, code;
	__u16 check, id, seq;
};

/* Frame bytes from off to the end, as a 16-bit length field would count. */
static __always_inline __u16 sc_rest(const struct sc_record *r, __u32 off)
{
	if (r->wire_len <= off)
		return 0;
	return r->wire_len - off > 0xffff ? 0xffff : r->wire_len - off;
}

/* Returns the L4 protocol's layer, or SC_L_NONE if sockcap does not parse it. */
static __always_inline __u8 sc_l4_layer(__u8 proto, int v6)
{
	switch (proto) {
	case SC_IPPROTO_TCP:
		return SC_L_TCP;
	case SC_IPPROTO_UDP:
		return SC_L_UDP;
	case SC_IPPROTO_ICMP:
		return v6 ? SC_L_NONE : SC_L_ICMP;
	case SC_IPPROTO_ICMPV6:
		return v6 ? SC_L_ICMP6 : SC_L_NONE;
	}
	return SC_L_NONE;
}

/*
 * Clear the parsed part of the record, so a packet that stops early leaves
 * zeros, never stale ring memory. The caller has set the metadata fields.
 */
static __always_inline void sc_clear(struct sc_record *r)
{
	/* in words: a byte-wise memset of ring memory costs 88 stores */
	__u64 *z = (__u64 *)((char *)r + SC_PARSED_OFF);

#ifdef __bpf__
#pragma unroll
#endif
	for (unsigned int i = 0; i < (sizeof(*r) - SC_PARSED_OFF) / 8; i++)
		z[i] = 0;
}

/* ICMP types whose second word is an identifier and a sequence number */
static __always_inline int sc_icmp_has_idseq(const struct sc_record *r)
{
	__u8 t = r->l4.icmp.type;

	if (r->layer == SC_L_ICMP6)
		return t == 128 || t == 129;
	return t == 0 || t == 8 || t == 13 || t == 14;
}

static __always_inline int sc_parse_l4(sc_ctx_t *ctx, __u32 off, struct sc_record *r)
{
	r->hdr_off = off;
	switch (r->layer) {
	case SC_L_TCP: {
		struct sc_tcp t;

		if (sc_load(ctx, off, &t, sizeof(t)))
			return SC_F_TRUNC;
		r->l4.tcp.sport = sc_ntohs(t.sport);
		r->l4.tcp.dport = sc_ntohs(t.dport);
		r->l4.tcp.seq = sc_ntohl(t.seq);
		r->l4.tcp.ack = sc_ntohl(t.ack);
		r->l4.tcp.win = sc_ntohs(t.win);
		r->l4.tcp.flags = t.flags;
		r->l4.tcp.doff = t.doff_res >> 4;
		if (r->l4.tcp.doff < 5 || r->l4.tcp.doff * 4 > r->l4_len)
			return SC_F_BAD;
		return 0;
	}
	case SC_L_UDP: {
		struct sc_udp u;

		if (sc_load(ctx, off, &u, sizeof(u)))
			return SC_F_TRUNC;
		r->l4.udp.sport = sc_ntohs(u.sport);
		r->l4.udp.dport = sc_ntohs(u.dport);
		r->l4.udp.len = sc_ntohs(u.len);
		return 0;
	}
	case SC_L_ICMP:
	case SC_L_ICMP6: {
		struct sc_icmp ic;

		/* type and code first: the rest depends on the type */
		if (sc_load(ctx, off, &ic, 4))
			return SC_F_TRUNC;
		r->l4.icmp.type = ic.type;
		r->l4.icmp.code = ic.code;
		if (sc_load(ctx, off + 4, &ic.id, 4))
			return sc_icmp_has_idseq(r) ? SC_F_TRUNC : 0;
		r->l4.icmp.id = sc_ntohs(ic.id);
		r->l4.icmp.seq = sc_ntohs(ic.seq);
		return 0;
	}
	}
	return 0;
}

static __always_inline int sc_parse_ip4(sc_ctx_t *ctx, __u32 off, struct sc_record *r)
{
	struct sc_ip4 ip;
	__u32 hlen;

	r->layer = SC_L_IP;
	if (sc_load(ctx, off, &ip, SC_IP4_HLEN))
		return SC_F_TRUNC;
	*(__u32 *)r->src = ip.saddr;
	*(__u32 *)r->dst = ip.daddr;
	r->flags |= SC_F_ADDR;
	r->tos = ip.tos;
	r->ttl = ip.ttl;
	r->ip_id = sc_ntohs(ip.id);
	r->ip_len = sc_ntohs(ip.tot_len);
	r->frag = sc_ntohs(ip.frag);
	r->l4proto = ip.proto;
	hlen = (ip.vihl & 0x0f) * 4;
	if ((ip.vihl >> 4) != 4 || hlen < 20 || r->ip_len < hlen)
		return SC_F_BAD;
	r->l4_len = r->ip_len - hlen;
	if (r->ip_len > sc_rest(r, off))
		r->flags |= SC_F_IPSHORT;
	/* options: must at least be present */
	if (hlen > 20 && sc_load(ctx, off + hlen - 1, &ip.tos, 1))
		return SC_F_TRUNC;
	if (r->frag & 0x1fff) {
		r->flags |= SC_F_FRAG;
		return 0;
	}
	/* more fragments at offset 0: the L4 header is here, its data is not */
	if (r->frag & 0x2000)
		r->flags |= SC_F_FRAG1;
	r->layer = sc_l4_layer(ip.proto, 0);
	if (r->layer == SC_L_NONE) {
		r->layer = SC_L_IP;
		r->hdr_off = off + hlen;
		return 0;
	}
	return sc_parse_l4(ctx, off + hlen, r);
}

/*
 * The extension headers the walk steps over (RFC 8200 section 4). AH (RFC
 * 4302) ends it, as it ends an IPv4 header: what it protects is printed
 * from the bytes the record carries, after AH's own fields.
 */
static __always_inline int sc_ip6_exthdr(__u8 nh)
{
	return nh == SC_IPPROTO_HOPOPTS || nh == SC_IPPROTO_ROUTING || nh == SC_IPPROTO_FRAGMENT ||
	       nh == SC_IPPROTO_DSTOPTS;
}

/* RFC 8200 section 4: a bounded walk over the extension header chain. */
static __always_inline int sc_parse_ip6(sc_ctx_t *ctx, __u32 off, struct sc_record *r)
{
	struct sc_ip6 ip;
	__u8 nh;
	__u32 vtcfl;
	int i;

	r->layer = SC_L_IP6;
	if (sc_load(ctx, off, &ip, SC_IP6_HLEN))
		return SC_F_TRUNC;
	__builtin_memcpy(r->src, ip.saddr, 16);
	__builtin_memcpy(r->dst, ip.daddr, 16);
	r->flags |= SC_F_ADDR;
	vtcfl = sc_ntohl(ip.vtcfl);
	r->tos = (vtcfl >> 20) & 0xff;
	r->flowlabel = vtcfl & 0xfffff;
	r->ttl = ip.hlim;
	r->ip_len = sc_ntohs(ip.plen);
	if ((vtcfl >> 28) != 6)
		return SC_F_BAD;
	off += SC_IP6_HLEN;
	if (r->ip_len > sc_rest(r, off))
		r->flags |= SC_F_IPSHORT;
	r->l4_len = r->ip_len;
	nh = ip.nexthdr;
	/*
	 * Unrolled: as a real loop, the 6.1 verifier, for a loader without
	 * CAP_PERFMON, also walks the speculative path past the loop's bound
	 * and gives up ("sequence of jumps is too complex"). Each header
	 * costs its copy of the body, so the body does the least it can.
	 */
#ifdef __bpf__
#pragma unroll
#endif
	for (i = 0; i < SC_MAX_EXTHDR; i++) {
		struct sc_ext6 eh;
		__u32 len;

		if (!sc_ip6_exthdr(nh))
			break;
		r->ext[i] = nh;
		r->ext_n = i + 1;
		if (sc_load(ctx, off, &eh, 8))
			return SC_F_TRUNC;
		if (nh == SC_IPPROTO_FRAGMENT)
			len = 8;
		else
			len = (eh.len + 1) * 8;
		if (len > r->l4_len)
			return SC_F_BAD;
		r->l4_len -= len;
		off += len;
		if (nh == SC_IPPROTO_FRAGMENT) {
			/*
			 * A fragment header. The first fragment (an atomic
			 * one too, RFC 6946) has the upper-layer header, but
			 * its lengths are those of the whole datagram; a
			 * later one has none. Each header has its copy of
			 * this body, so a later fragment is sorted out after
			 * the walk.
			 */
			r->frag = sc_ntohs(eh.frag) & 0xfff8;
			r->frag_id = sc_ntohl(eh.id);
			r->frag_len = r->l4_len;
			r->flags |= SC_F_FRAG1;
		}
		nh = eh.nexthdr;
		if (r->frag)
			break;
	}
	if (r->frag) {
		r->flags ^= SC_F_FRAG1 | SC_F_FRAG;
		r->l4proto = nh;
		return 0;
	}
	r->l4proto = nh;
	if (i == SC_MAX_EXTHDR && sc_ip6_exthdr(nh)) {
		r->flags |= SC_F_TOODEEP;
		return 0;
	}
	r->layer = sc_l4_layer(nh, 1);
	if (r->layer == SC_L_NONE) {
		r->layer = SC_L_IP6;
		r->hdr_off = off;
		return 0;
	}
	return sc_parse_l4(ctx, off, r);
}

static __always_inline int sc_parse_arp(sc_ctx_t *ctx, __u32 off, struct sc_record *r)
{
	struct sc_arp a;

	r->layer = SC_L_ARP;
	r->l4_len = sc_rest(r, off);
	if (sc_load(ctx, off, &a, 8))
		return SC_F_TRUNC;
	r->l4.arp.hrd = sc_ntohs(a.hrd);
	r->l4.arp.pro = sc_ntohs(a.pro);
	r->l4.arp.hln = a.hln;
	r->l4.arp.pln = a.pln;
	r->l4.arp.op = sc_ntohs(a.op);
	/* only Ethernet/IPv4 addresses are decoded */
	if (r->l4.arp.pro != SC_ETH_P_IP || a.hln != 6 || a.pln != 4)
		return 0;
	if (sc_load(ctx, off + 8, a.sha, 20))
		return SC_F_TRUNC;
	__builtin_memcpy(r->l4.arp.sha, a.sha, 6);
	__builtin_memcpy(r->l4.arp.tha, a.tha, 6);
	__builtin_memcpy(r->src, a.spa, 4);
	__builtin_memcpy(r->dst, a.tpa, 4);
	return 0;
}

/*
 * A spanning tree BPDU (IEEE 802.1D-2004 clause 9.3; MSTP: IEEE 802.1Q-2005
 * clause 14.6), len bytes at off by the LLC length:
 *
 *  0        2         3      4       5         13          17          25
 * +--------+---------+------+-------+---------+-----------+-----------+------+
 * | proto  | version | type | flags | root id | root path | bridge id | port |
 * | id (0) |         |      |       |  (8)    | cost (4)  |    (8)    | id   |
 * +--------+---------+------+-------+---------+-----------+-----------+------+
 *  27       29        31      33       35          36
 * +--------+---------+-------+--------+-----------+------------+-------
 * | msg    | max age | hello | fwd    | version 1 | version 3  | MSTP ...
 * | age    |         | time  | delay  | length    | length     |
 * +--------+---------+-------+--------+-----------+------------+-------
 *
 * Types: 0x00 configuration (35 bytes), 0x80 topology change notification
 * (4), 0x02 rapid (36 bytes; MSTP and SPB, versions 3 and 4: 102 at least).
 * A BPDU shorter than its type needs is invalid, as tcpdump says; the
 * fields tcpdump prints without -v are kept.
 */
static __always_inline int sc_parse_stp(sc_ctx_t *ctx, __u32 off, __u32 len, struct sc_record *r)
{
	__u8 b[24] SC_ALIGNED;
	__u8 version, type;
	__u32 need;

	r->layer = SC_L_STP;
	if (len < 4)
		return SC_F_BAD;
	if (sc_load(ctx, off, b, 4))
		return SC_F_TRUNC;
	version = b[2];
	type = b[3];
	r->l4.llc.stp.proto = (b[0] << 8) | b[1];
	r->l4.llc.stp.version = version;
	r->l4.llc.stp.type = type;
	/* the versions tcpdump decodes: 802.1D, 802.1w, 802.1s, 802.1aq */
	if (b[0] || b[1] || version == 1 || version > 4)
		return 0;
	if (type == 0)
		need = 35;
	else if (type == 2 && version == 2)
		need = 36;
	else if (type == 2 && version > 2)
		need = 102;
	else
		return 0; /* a topology change (or unknown type) has no more */
	if (len < need)
		return SC_F_BAD;
	/* flags to port identifier */
	if (sc_load(ctx, off + 4, b, 23))
		return SC_F_TRUNC;
	r->l4.llc.stp.flags = b[0];
	__builtin_memcpy(r->l4.llc.stp.bridge, &b[13], 8);
	r->l4.llc.stp.port = (b[21] << 8) | b[22];
	if (need == 102) {
		/* MSTP: no version 1 data, and the version 3 data inside */
		if (sc_load(ctx, off + 35, b, 3))
			return SC_F_TRUNC;
		if (b[0] || len < 36 + 2 + ((__u32)b[1] << 8 | b[2]))
			return SC_F_BAD;
	}
	return 0;
}

/*
 * The IEEE 802.2 LLC header of an 802.3 frame, r->l4_len bytes at off:
 *
 * +------+------+---------+
 * | DSAP | SSAP | control |  control: 1 byte in U format (low bits 11),
 * +------+------+---------+  2 (little-endian) in I and S formats
 *
 * DSAP's low bit is Individual/Group, SSAP's Command/Response. A UI frame
 * (control 0x03) between SAPs 0xaa carries a SNAP header (RFC 1042):
 *
 * +--------------------+-----------------+
 * | OUI (3 bytes)      | protocol id (2) |
 * +--------------------+-----------------+
 *
 * and between SAPs 0x42 a spanning tree BPDU.
 */
static __always_inline int sc_parse_llc(sc_ctx_t *ctx, __u32 off, struct sc_record *r)
{
	__u8 h[8] SC_ALIGNED;
	__u32 len = r->l4_len;

	r->layer = SC_L_LLC;
	/* as tcpdump: a length field too short for the header cuts it */
	if (len < 3 || sc_load(ctx, off, h, 3))
		return SC_F_TRUNC;
	r->l4.llc.dsap = h[0];
	r->l4.llc.ssap = h[1];
	r->l4.llc.ctrl = h[2];
	if ((h[2] & 3) != 3) {
		if (len < 4 || sc_load(ctx, off + 3, &h[3], 1))
			return SC_F_TRUNC;
		r->l4.llc.ctrl |= h[3] << 8;
		return 0;
	}
	if (h[2] != 0x03)
		return 0;
	if ((h[0] & 0xfe) == 0xaa && (h[1] & 0xfe) == 0xaa) {
		r->layer = SC_L_SNAP;
		if (len < 8 || sc_load(ctx, off + 3, &h[3], 5))
			return SC_F_TRUNC;
		r->l4.llc.snap.oui = (h[3] << 16) | (h[4] << 8) | h[5];
		r->l4.llc.snap.pid = (h[6] << 8) | h[7];
		return 0;
	}
	if ((h[0] & 0xfe) == 0x42 && (h[1] & 0xfe) == 0x42)
		return sc_parse_stp(ctx, off + 3, len - 3, r);
	return 0;
}

#define SC_PORT_VXLAN  4789 /* RFC 7348 */
#define SC_PORT_GENEVE 6081 /* RFC 8926 */
#define SC_TCP_URG     0x20

/*
 * How many bytes from r->hdr_off the line needs beyond the record's
 * fields, at most: TCP options and the urgent pointer (the TCP header
 * again), an ICMP message's body (the packet an error quotes, neighbour
 * discovery's target), a UDP tunnel's header and inner packet, an IP
 * payload of a protocol without fields (tunnels, SCTP, IGMP, ESP, AH), an
 * MPLS label stack and what it carries. Plain TCP, UDP and echo
 * messages, the bulk of traffic, copy nothing.
 */
static __always_inline __u32 sc_hdr_want(const struct sc_record *r)
{
	if (r->flags & (SC_F_TRUNC | SC_F_BAD | SC_F_FRAG | SC_F_TOODEEP))
		return 0;
	switch (r->layer) {
	case SC_L_TCP:
		if (r->l4.tcp.doff > 5 || (r->l4.tcp.flags & SC_TCP_URG))
			return r->l4.tcp.doff * 4;
		return 0;
	case SC_L_UDP:
		if (r->l4.udp.sport == SC_PORT_VXLAN || r->l4.udp.dport == SC_PORT_VXLAN ||
		    r->l4.udp.sport == SC_PORT_GENEVE || r->l4.udp.dport == SC_PORT_GENEVE)
			return SC_HDR_MAX;
		return 0;
	case SC_L_ICMP:
	case SC_L_ICMP6:
		/* a timestamp reply's times follow its id and seq */
		if (r->layer == SC_L_ICMP && r->l4.icmp.type == 14)
			return SC_HDR_MAX;
		return sc_icmp_has_idseq(r) ? 0 : SC_HDR_MAX;
	case SC_L_IP:
	case SC_L_IP6:
		return (r->flags & SC_F_ADDR) ? SC_HDR_MAX : 0;
	case SC_L_ETHER:
		return (r->ethertype == SC_ETH_P_MPLS || r->ethertype == SC_ETH_P_MPLS_MC)
			       ? SC_HDR_MAX
			       : 0;
	}
	return 0;
}

#ifdef __bpf__
/* The frame's length, as offsets count (see len_bias in sockcap.bpf.c). */
static __always_inline __u32 sc_avail(sc_ctx_t *ctx, const struct sc_record *r)
{
	return r->wire_len;
}
#else
static __always_inline __u32 sc_avail(sc_ctx_t *b, const struct sc_record *r)
{
	return b->len;
}
#endif

/*
 * Copy what sc_hdr_want() asks for, or as much of it as the frame has. A
 * load that fails leaves hdr_len 0, and the line shows the layer cut.
 */
static __always_inline void sc_copy_hdr(sc_ctx_t *ctx, struct sc_record *r)
{
	__u32 want = sc_hdr_want(r), avail = sc_avail(ctx, r), off = r->hdr_off;
	__u64 n;

	if (!want || avail <= off)
		return;
	n = avail - off < want ? avail - off : want;
#ifdef __bpf__
	/*
	 * The verifier needs the bounds on the very register the helper
	 * gets; without this clang checks one copy and passes another.
	 */
	asm volatile("" : "+r"(n));
#endif
	if (n > SC_HDR_MAX || n < 1)
		return;
	/*
	 * The same n, but 6.1's verifier learns no lower bound from "n != 0",
	 * and the helper takes no size 0: this form bounds it to [1, 128] by
	 * arithmetic alone (SC_HDR_MAX is a power of two).
	 */
	n = ((n - 1) & (SC_HDR_MAX - 1)) + 1;
	if (sc_load(ctx, off, r->hdr, n))
		return;
	r->hdr_len = n;
}

/* Parse what follows the link-layer header (at off) into r. */
static __always_inline void sc_parse_l3(sc_ctx_t *ctx, __u32 off, __u16 proto, struct sc_record *r)
{
	int ret;

	switch (proto) {
	case SC_ETH_P_IP:
		ret = sc_parse_ip4(ctx, off, r);
		break;
	case SC_ETH_P_IPV6:
		ret = sc_parse_ip6(ctx, off, r);
		break;
	case SC_ETH_P_ARP:
		ret = sc_parse_arp(ctx, off, r);
		break;
	default:
		ret = 0;
		/* payload length, as tcpdump prints for unknown ethertypes */
		r->l4_len = sc_rest(r, off);
		r->hdr_off = off;
		if (r->flags & SC_F_NOLINK) {
			/* a cooked capture's 802.3 frame starts at its LLC header */
			if (proto == SC_ETH_P_802_2)
				ret = sc_parse_llc(ctx, off, r);
		} else if (proto <= SC_ETH_MAX_LEN) {
			/* 802.3: the LLC header and data, unless the frame is shorter */
			if (proto < r->l4_len)
				r->l4_len = proto;
			ret = sc_parse_llc(ctx, off, r);
		}
		break;
	}
	r->flags |= ret;
	sc_copy_hdr(ctx, r);
}

/*
 * Parse the frame into r. off is 0 at the Ethernet header. Sets r->layer,
 * r->flags (SC_F_TRUNC/SC_F_BAD at r->layer) and the parsed fields.
 */
static __always_inline void sc_parse(sc_ctx_t *ctx, struct sc_record *r)
{
	struct sc_eth eth;
	__u32 off = SC_ETH_HLEN;
	__u16 proto;
	int ntags = (r->flags & SC_F_VLAN_OOB) ? 1 : 0, i;

	sc_clear(r);
	r->layer = SC_L_ETHER;
	if (sc_load(ctx, 0, &eth, SC_ETH_HLEN)) {
		r->flags |= SC_F_TRUNC;
		return;
	}
	__builtin_memcpy(r->mac_dst, eth.addrs, 12);
	proto = sc_ntohs(eth.proto);

	/* 802.1Q / 802.1ad tags still in the frame (QinQ inner tags, files) */
#ifdef __bpf__
#pragma unroll
#endif
	for (i = 0; i < SC_MAX_VLAN; i++) {
		__u16 tag[2];

		if (proto != SC_ETH_P_8021Q && proto != SC_ETH_P_8021AD)
			break;
		if (ntags >= SC_MAX_VLAN)
			break; /* deeper tags: shown as an unparsed 802.1Q payload */
		r->layer = SC_L_VLAN;
		if (sc_load(ctx, off, tag, sizeof(tag))) {
			r->ethertype = proto;
			r->flags |= SC_F_TRUNC;
			return;
		}
		r->flags |= SC_F_VLAN_INB;
		if (ntags == 0) {
			r->vlan_tci = sc_ntohs(tag[0]);
			r->vlan_proto = proto;
		} else {
			r->vlan_tci2 = sc_ntohs(tag[0]);
			r->flags |= SC_F_VLAN2 | (proto == SC_ETH_P_8021AD ? SC_F_VLAN2_AD : 0);
		}
		ntags++;
		proto = sc_ntohs(tag[1]);
		off += sizeof(tag);
	}
	r->ethertype = proto;
	sc_parse_l3(ctx, off, proto, r);
}

/*
 * Parse a packet that starts at its network header (no link-layer header:
 * raw IP, cooked captures), of the given EtherType.
 */
static __always_inline void sc_parse_net(sc_ctx_t *ctx, __u16 proto, struct sc_record *r)
{
	sc_clear(r);
	r->layer = SC_L_ETHER;
	r->flags |= SC_F_NOLINK;
	r->ethertype = proto;
	sc_parse_l3(ctx, 0, proto, r);
}

#ifndef __bpf__
/*
 * The metadata a record of a packet in memory starts with, the capture's
 * (time, interface, direction) left as they are: no tag stripped by a
 * kernel, the wire length at least what is there.
 */
static inline void sc_record_init(struct sc_record *r, __u32 caplen, __u32 wire_len)
{
	r->version = SC_RECORD_VERSION;
	r->flags = 0;
	r->wire_len = wire_len > caplen ? wire_len : caplen;
	r->vlan_tci = 0;
	r->vlan_proto = 0;
}

/*
 * Parse a frame held in memory (a file, a test): caplen bytes are present of
 * a frame that was wire_len long. Sets everything but ts_ns, ifindex and
 * pkttype.
 */
static inline void sc_parse_frame(const __u8 *data, __u32 caplen, __u32 wire_len,
				  struct sc_record *r)
{
	struct sc_buf b = { .data = data, .len = caplen };

	sc_record_init(r, caplen, wire_len);
	sc_parse(&b, r);
}

/*
 * The same for a packet without a link-layer header (LINKTYPE_RAW, or what
 * follows a cooked header), of EtherType proto.
 */
static inline void sc_parse_packet_net(const __u8 *data, __u32 caplen, __u32 wire_len, __u16 proto,
				       struct sc_record *r)
{
	struct sc_buf b = { .data = data, .len = caplen };

	sc_record_init(r, caplen, wire_len);
	sc_parse_net(&b, proto, r);
}
#endif

#endif /* SOCKCAP_PARSE_H */
