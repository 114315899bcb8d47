// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: IP payloads without record fields, and IPv6 extension headers
 *
 * SCTP, IGMP, ESP and AH as tcpdump -n prints them, from the IP payload a
 * record carries in hdr (up to SC_HDR_MAX bytes of it); tunnels are
 * print_tunnel.c's. Every read is checked against the bytes present; a
 * field past them ends the line with tcpdump's truncation mark.
 */
#include "decode.h"
#include "parse.h"

/* An IP payload's bytes, as far as the record has them. */
struct pay {
	const uint8_t *p;
	uint32_t cap;	/* bytes readable at p */
	uint32_t len;	/* bytes the IP header gives the protocol */
	uint32_t known; /* bytes in the packet: cap, or more the record could not carry */
};

static struct pay pay_of(const struct sc_record *r)
{
	struct pay b = { r->hdr, r->hdr_len, r->l4_len, 0 };

	/* as tcpdump, nothing past the IP length (an Ethernet pad) is payload */
	if (b.cap > b.len)
		b.cap = b.len;
	b.known = b.cap;
	if (r->hdr_len == SC_HDR_MAX) {
		b.known = b.len;
		if (r->wire_len - r->hdr_off < b.known)
			b.known = r->wire_len - r->hdr_off;
	}
	return b;
}

/* The bytes from off on, as a payload of their own. */
static struct pay pay_from(const struct pay *b, uint32_t off)
{
	struct pay s = { b->p + off, 0, 0, 0 };

	s.cap = off < b->cap ? b->cap - off : 0;
	s.len = off < b->len ? b->len - off : 0;
	s.known = off < b->known ? b->known - off : 0;
	return s;
}

/*
 * Lists (SCTP chunks, IGMP records, AH in AH) stop while the line still
 * has this much room, with the truncation mark: a line is never cut.
 */
#define LIST_ROOM 160

static int full(const struct line *l)
{
	return l->end - l->p < LIST_ROOM;
}

static int have(const struct pay *b, uint32_t off, uint32_t n)
{
	return off <= b->cap && n <= b->cap - off;
}

static void put_cut(struct line *l, const char *proto)
{
	PUT_LIT(l, " [|");
	put_str(l, proto);
	put_ch(l, ']');
}

static void put_payload(struct printer *pr, struct line *l, const struct sc_record *r, uint8_t nh,
			const struct pay *b);

/* ---------------------------------------------------------------- SCTP */

/*
 * RFC 9260 section 3: a common header, then chunks, each padded to 4 bytes:
 *
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Verification Tag                       |
 * +---------------------------------------------------------------+
 * |                           Checksum                            |
 * +---------------+---------------+-------------------------------+
 * |  Chunk Type   |  Chunk Flags  |         Chunk Length          |
 * +---------------+---------------+-------------------------------+
 * |                          Chunk Value ...                      |
 */
static const struct tok sctp_chunks[] = {
	{ 0x00, "DATA" },
	{ 0x01, "INIT" },
	{ 0x02, "INIT ACK" },
	{ 0x03, "SACK" },
	{ 0x04, "HB REQ" },
	{ 0x05, "HB ACK" },
	{ 0x06, "ABORT" },
	{ 0x07, "SHUTDOWN" },
	{ 0x08, "SHUTDOWN ACK" },
	{ 0x09, "OP ERR" },
	{ 0x0a, "COOKIE ECHO" },
	{ 0x0b, "COOKIE ACK" },
	{ 0x0c, "ECN ECHO" },
	{ 0x0d, "ECN CWR" },
	{ 0x0e, "SHUTDOWN COMPLETE" },
	{ 0xc0, "FOR CUM TSN" },
	{ 0xc1, "REL CTRL" },
	{ 0xc2, "REL CTRL ACK" },
	{ 0, NULL },
};

/* payload protocol identifiers tcpdump names */
static const struct tok sctp_ppids[] = {
	{ 1, "ISDN Q.921" }, { 2, "M2UA" },	  { 3, "M3UA" },       { 4, "SUA" },
	{ 5, "M2PA" },	     { 6, "V5.2" },	  { 7, "H.248" },      { 8, "BICC" },
	{ 9, "TALI" },	     { 10, "DUA" },	  { 11, "ASAP" },      { 12, "ENRP" },
	{ 13, "H.323" },     { 14, "Q.IPC" },	  { 15, "SIMCO" },     { 16, "DDPSC" },
	{ 17, "DDPSSC" },    { 18, "S1AP" },	  { 19, "RUA" },       { 20, "HNBAP" },
	{ 21, "ForCES HP" }, { 22, "ForCES MP" }, { 23, "ForCES LP" }, { 24, "SBc-AP" },
	{ 25, "NBAP" },	     { 27, "X2AP" },	  { 0, NULL },
};

static const struct tok forces_ports[] = {
	{ 6704, "ForCES HP" },
	{ 6705, "ForCES MP" },
	{ 6706, "ForCES LP" },
	{ 0, NULL },
};

/* " [NAME: N]" (or with no colon) */
static void put_field(struct line *l, const char *name, uint32_t v)
{
	PUT_LIT(l, " [");
	put_str(l, name);
	put_u64(l, v);
	put_ch(l, ']');
}

/* SACK's gap blocks and duplicate TSNs, on the one line (tcpdump breaks it) */
static int sctp_sack_tail(struct line *l, const uint8_t *p, uint32_t n, uint32_t clen)
{
	uint32_t cum = be32(p), gaps = be16(p + 8), dups = be16(p + 10), off = 12;

	for (uint32_t i = 0; off < n && i < gaps; i++, off += 4) {
		if (n - off < 4)
			goto bogus;
		if (full(l)) {
			put_cut(l, "sctp");
			return 0;
		}
		PUT_LIT(l, " [gap ack block #");
		put_u64(l, i + 1);
		PUT_LIT(l, ": start = ");
		put_u64(l, (uint32_t)(cum + be16(p + off)));
		PUT_LIT(l, ", end = ");
		put_u64(l, (uint32_t)(cum + be16(p + off + 2)));
		put_ch(l, ']');
	}
	for (uint32_t i = 0; off < n && i < dups; i++, off += 4) {
		if (n - off < 4)
			goto bogus;
		if (full(l)) {
			put_cut(l, "sctp");
			return 0;
		}
		PUT_LIT(l, " [dup TSN #");
		put_u64(l, i + 1);
		PUT_LIT(l, ": ");
		put_u64(l, be32(p + off));
		put_ch(l, ']');
	}
	return 1;
bogus:
	PUT_LIT(l, " bogus chunk length ");
	put_u64(l, clen);
	put_ch(l, ']');
	return 0;
}

/*
 * A chunk's value, n bytes at p (the record has those it prints), as
 * tcpdump prints it: DATA, INIT, INIT ACK and SACK have fields, the
 * others their name only. Returns 0 where a length is bogus: the line
 * ends there.
 */
static int sctp_chunk(struct line *l, uint8_t type, uint8_t flags, const uint8_t *p, uint32_t n,
		      uint32_t clen)
{
	const char *ppid;

	switch (type) {
	case 0x00: /* DATA: TSN, stream id and sequence, payload protocol */
		if (flags & 7)
			put_ch(l, ' ');
		if (flags & 4)
			PUT_LIT(l, "(U)");
		if (flags & 2)
			PUT_LIT(l, "(B)");
		if (flags & 1)
			PUT_LIT(l, "(E)");
		if (n < 12)
			break;
		put_field(l, "TSN: ", be32(p));
		put_field(l, "SID: ", be16(p + 4));
		put_field(l, "SSEQ ", be16(p + 6));
		PUT_LIT(l, " [PPID ");
		ppid = tok_find(sctp_ppids, be32(p + 8));
		if (ppid) {
			put_str(l, ppid);
		} else {
			PUT_LIT(l, "0x");
			put_hex(l, be32(p + 8), 1);
		}
		put_ch(l, ']');
		if (n == 12)
			break; /* no user data */
		return 1;
	case 0x01:
	case 0x02: /* INIT, INIT ACK: the parameters after these are not shown */
		if (n < 16)
			break;
		put_field(l, "init tag: ", be32(p));
		put_field(l, "rwnd: ", be32(p + 4));
		put_field(l, "OS: ", be16(p + 8));
		put_field(l, "MIS: ", be16(p + 10));
		put_field(l, "init TSN: ", be32(p + 12));
		return 1;
	case 0x03: /* SACK */
		if (n < 12)
			break;
		put_field(l, "cum ack ", be32(p));
		put_field(l, "a_rwnd ", be32(p + 4));
		put_field(l, "#gap acks ", be16(p + 8));
		put_field(l, "#dup tsns ", be16(p + 10));
		return sctp_sack_tail(l, p, n, clen);
	default:
		return 1;
	}
	PUT_LIT(l, " bogus chunk length ");
	put_u64(l, clen);
	put_ch(l, ']');
	return 0;
}

/* tcpdump's chunk separator: " (1) ", then " , (2) " after a chunk's space */
static void put_sep(struct line *l, uint32_t n)
{
	put_str(l, n == 1 ? " (" : " , (");
	put_u64(l, n);
	PUT_LIT(l, ") ");
}

/*
 * The chunk list, in tcpdump's words and order of checks. A chunk must
 * be in the packet whole (b->known), and the fields printed in the record.
 */
static void sctp_chunks_print(struct line *l, const struct pay *b)
{
	uint32_t off = 12, rem = b->len - 12;

	for (uint32_t n = 1; rem; n++) {
		const uint8_t *c = b->p + off;
		const char *name;
		uint32_t clen, align, need;

		if (full(l))
			goto cut;
		if (rem < 4) {
			put_sep(l, n);
			PUT_LIT(l, "[chunk descriptor cut off at end of packet]");
			return;
		}
		if (b->known - off < 4 || !have(b, off, 4))
			goto cut;
		clen = be16(c + 2);
		align = (4 - clen % 4) % 4;
		if (clen < 4 || rem < align) {
			put_sep(l, n);
			PUT_LIT(l, "[Bad chunk length ");
			put_u64(l, clen);
			put_str(l, clen < 4 ? ", < size of chunk descriptor]"
					    : ", > remaining data in packet]");
			return;
		}
		if (clen > b->known - off)
			goto cut;
		put_sep(l, n);
		put_ch(l, '[');
		name = tok_find(sctp_chunks, c[0]);
		if (name) {
			put_str(l, name);
		} else {
			PUT_LIT(l, "Unknown chunk type: 0x");
			put_hex(l, c[0], 1);
		}
		put_ch(l, ']');
		need = c[0] == 0x03 ? clen - 4 : c[0] == 0x00 ? 12 : c[0] <= 0x02 ? 16 : 0;
		if (need > clen - 4)
			need = clen - 4;
		if (!have(b, off + 4, need))
			goto cut;
		if (!sctp_chunk(l, c[0], c[1], c + 4, clen - 4, clen))
			return;
		rem -= clen;
		off += clen;
		if (align > b->known - off)
			goto cut;
		rem -= align;
		off += align;
	}
	return;
cut:
	put_cut(l, "sctp");
}

static void put_sctp(struct line *l, const struct sc_record *r, const struct pay *b)
{
	int v6 = r->layer == SC_L_IP6;
	const char *name;

	if (b->len < 12) {
		PUT_LIT(l, "truncated-sctp - ");
		put_u64(l, 12 - b->len);
		PUT_LIT(l, " bytes missing!");
		return;
	}
	if (!have(b, 0, 12)) {
		put_cut(l, "sctp");
		return;
	}
	put_addr(l, r->src, v6);
	put_ch(l, '.');
	put_u64(l, be16(b->p));
	PUT_LIT(l, " > ");
	put_addr(l, r->dst, v6);
	put_ch(l, '.');
	put_u64(l, be16(b->p + 2));
	PUT_LIT(l, ": sctp");
	for (int i = 0; i < 2; i++) {
		name = tok_find(forces_ports, be16(b->p + 2 * i));
		if (name) {
			put_ch(l, '[');
			put_str(l, name);
			put_ch(l, ']');
		}
	}
	sctp_chunks_print(l, b);
}

/* ---------------------------------------------------------------- IGMP */

/*
 * RFC 2236 (v1, v2) and RFC 9776 (v3):
 *
 * +---------------+---------------+-------------------------------+
 * |     Type      | Max Resp Code |           Checksum            |
 * +---------------+---------------+-------------------------------+
 * |                         Group Address                         |
 * +---------------------------------------------------------------+
 * | v3 query: Resv|S|QRV, QQIC, Number of Sources, Sources ...     |
 *
 * A v3 report has instead, after the checksum, a reserved word and the
 * number of group records, each: type, aux length, number of sources,
 * group address, sources.
 */
static const struct tok igmp_v3_types[] = {
	{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" },
	{ 5, "allow" }, { 6, "block" }, { 0, NULL },
};

/* tcpdump's unsigned_relts_print: "1m40s" */
static void put_relts(struct line *l, uint32_t secs)
{
	static const char units[] = "ywdhms";
	static const uint32_t size[] = { 31536000, 604800, 86400, 3600, 60, 1 };

	if (!secs)
		PUT_LIT(l, "0s");
	for (int i = 0; i < 6 && secs; i++) {
		if (secs < size[i])
			continue;
		put_u64(l, secs / size[i]);
		put_ch(l, units[i]);
		secs %= size[i];
	}
}

/* " [len N]" where tcpdump wants another length */
static void put_badlen(struct line *l, const char *what, uint32_t len)
{
	PUT_LIT(l, " [");
	put_str(l, what);
	put_u64(l, len);
	put_ch(l, ']');
}

/* 0 where the record ends before a field: the caller marks it */
static int igmp_v3_query(struct line *l, const struct pay *b)
{
	uint32_t mrc, mrt, nsrcs;

	PUT_LIT(l, " v3");
	if (b->len & 3) {
		put_badlen(l, "invalid len ", b->len);
		return 1;
	}
	if (!have(b, 0, 8))
		return 0;
	mrc = b->p[1];
	mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
	if (mrc != 100) {
		PUT_LIT(l, " [max resp time ");
		if (mrt < 600) {
			put_u64(l, mrt / 10);
			put_ch(l, '.');
			put_u64(l, mrt % 10);
			put_ch(l, 's');
		} else {
			put_relts(l, mrt / 10);
		}
		put_ch(l, ']');
	}
	if (!be32(b->p + 4))
		return 1;
	PUT_LIT(l, " [gaddr ");
	put_ip4(l, b->p + 4);
	if (!have(b, 10, 2))
		return 0;
	nsrcs = be16(b->p + 10);
	put_nsources(l, nsrcs, b->len >= 12 + (nsrcs << 2));
	put_ch(l, ']');
	return 1;
}

/* with -v, the group records, tcpdump -v's way: their source counts */
static int igmp_v3_records(struct line *l, const struct pay *b, uint32_t ngroups)
{
	uint32_t group = 8;

	for (uint32_t i = 0; i < ngroups; i++) {
		const char *type;
		uint32_t nsrcs;

		if (b->len < group + 8) {
			PUT_LIT(l, " [invalid number of groups]");
			return 1;
		}
		if (full(l))
			return 0;
		if (!have(b, group, 8))
			return 0;
		PUT_LIT(l, " [gaddr ");
		put_ip4(l, b->p + group + 4);
		type = tok_find(igmp_v3_types, b->p[group]);
		put_ch(l, ' ');
		if (type) {
			put_str(l, type);
		} else {
			PUT_LIT(l, " [v3-report-#");
			put_u64(l, b->p[group]);
			put_ch(l, ']');
		}
		nsrcs = be16(b->p + group + 2);
		if (b->len < group + 8 + (nsrcs << 2)) {
			PUT_LIT(l, " [invalid number of sources ");
			put_u64(l, nsrcs);
			put_ch(l, ']');
			return 1;
		}
		PUT_LIT(l, ", ");
		put_u64(l, nsrcs);
		PUT_LIT(l, " source(s)]");
		group += 8 + (nsrcs << 2);
	}
	return 1;
}

/* RFC 1071, over the message when the record has all of it */
static void igmp_cksum(struct line *l, const struct pay *b)
{
	uint32_t sum = 0;

	if (b->len < 4 || !have(b, 0, b->len))
		return;
	for (uint32_t i = 0; i < b->len; i += 2)
		sum += i + 1 < b->len ? be16(b->p + i) : (uint32_t)b->p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	if (sum != 0xffff) {
		PUT_LIT(l, " bad igmp cksum ");
		put_hex(l, be16(b->p + 2), 1);
		put_ch(l, '!');
	}
}

/* mtrace and its response (draft-ietf-idmr-traceroute-ipm): the query */
static int igmp_mtrace(struct line *l, const struct pay *b, const char *name)
{
	const uint8_t *q = b->p + 8;

	if (b->len < 8 + 16) {
		put_badlen(l, "invalid len ", b->len);
		return 1;
	}
	if (!have(b, 8, 16))
		return 0;
	put_str(l, name);
	put_ch(l, ' ');
	put_u64(l, (uint32_t)q[13] << 16 | q[14] << 8 | q[15]);
	PUT_LIT(l, ": ");
	put_ip4(l, q);
	PUT_LIT(l, " to ");
	put_ip4(l, q + 4);
	PUT_LIT(l, " reply-to ");
	put_ip4(l, q + 8);
	if ((q[8] & 0xf0) == 0xe0) {
		PUT_LIT(l, " with-ttl ");
		put_u64(l, q[12]);
	}
	return 1;
}

/* The message from its group address on; 0 where the record ends first. */
static int igmp_body(struct printer *pr, struct line *l, const struct pay *b, uint8_t type)
{
	switch (type) {
	case 0x11: /* membership query: v3 by its length */
		PUT_LIT(l, "igmp query");
		if (b->len >= 12)
			return igmp_v3_query(l, b);
		if (!have(b, 0, 8))
			return 0;
		if (b->p[1]) {
			PUT_LIT(l, " v2");
			if (b->p[1] != 100)
				put_badlen(l, "max resp time ", b->p[1]);
		} else {
			PUT_LIT(l, " v1");
		}
		if (be32(b->p + 4)) {
			PUT_LIT(l, " [gaddr ");
			put_ip4(l, b->p + 4);
			put_ch(l, ']');
		}
		if (b->len != 8)
			put_badlen(l, "len ", b->len);
		return 1;
	case 0x12:
	case 0x16:
	case 0x17: /* v1 and v2 reports, v2 leave */
		put_str(l, type == 0x12	  ? "igmp v1 report "
			   : type == 0x16 ? "igmp v2 report "
					  : "igmp leave ");
		if (!have(b, 0, 8))
			return 0;
		put_ip4(l, b->p + 4);
		if (type == 0x12 && b->len != 8)
			put_badlen(l, "len ", b->len);
		return 1;
	case 0x22: /* v3 report */
		PUT_LIT(l, "igmp v3 report");
		if (b->len < 16 || (b->len & 3)) {
			put_badlen(l, "invalid len ", b->len);
			return 1;
		}
		if (!have(b, 0, 8))
			return 0;
		PUT_LIT(l, ", ");
		put_u64(l, be16(b->p + 6));
		PUT_LIT(l, " group record(s)");
		return pr->o.vflag ? igmp_v3_records(l, b, be16(b->p + 6)) : 1;
	case 0x13: /* DVMRP and PIMv1 are named, not decoded */
		PUT_LIT(l, "igmp dvmrp");
		if (b->len < 8)
			put_badlen(l, "len ", b->len);
		return 1;
	case 0x14:
		PUT_LIT(l, "igmp pimv1");
		return 1;
	case 0x1e:
		return igmp_mtrace(l, b, "mresp");
	case 0x1f:
		return igmp_mtrace(l, b, "mtrace");
	}
	PUT_LIT(l, "igmp-");
	put_u64(l, type);
	return 1;
}

static void put_igmp(struct printer *pr, struct line *l, const struct pay *b)
{
	if (!have(b, 0, 1) || !igmp_body(pr, l, b, b->p[0])) {
		put_cut(l, "igmp");
		return;
	}
	if (pr->o.vflag)
		igmp_cksum(l, b);
}

/* ----------------------------------------------------------- ESP, AH */

/*
 * RFC 4303: the SPI and sequence number, then encrypted data tcpdump
 * does not open.
 */
static void put_esp(struct line *l, const struct pay *b)
{
	/* tcpdump wants a byte past the two words */
	if (b->known <= 8 || !have(b, 0, 8)) {
		put_cut(l, "esp");
		return;
	}
	PUT_LIT(l, "ESP(spi=0x");
	put_hex(l, be32(b->p), 8);
	PUT_LIT(l, ",seq=0x");
	put_hex(l, be32(b->p + 4), 1);
	PUT_LIT(l, "), length ");
	put_u64(l, b->len);
}

/*
 * What follows an AH header: a transport sockcap has fields for is parsed
 * into a record of its own, with the bytes this one carries, and printed
 * as after an IPv6 extension header (ports without addresses).
 */
static void put_after_ah(struct printer *pr, struct line *l, const struct sc_record *r, uint8_t nh,
			 const struct pay *b)
{
	int v6 = r->layer == SC_L_IP6;
	uint8_t buf[SC_HDR_MAX];
	struct sc_buf sb = { buf, b->cap };
	struct sc_record in;

	in = *r;
	in.layer = sc_l4_layer(nh, v6);
	in.l4proto = nh;
	in.l4_len = (uint16_t)b->len;
	in.hdr_off = (uint16_t)(r->hdr_off + (b->p - r->hdr));
	in.flags &= ~(SC_F_TRUNC | SC_F_BAD);
	memcpy(buf, b->p, b->cap);
	memset(in.hdr, 0, sizeof(in.hdr));
	memcpy(in.hdr, buf, b->cap);
	in.hdr_len = (uint8_t)b->cap;
	if (in.layer == SC_L_NONE) {
		in.layer = r->layer;
		if (nh == SC_IPPROTO_IPIP || nh == SC_IPPROTO_IPV6 || nh == SC_IPPROTO_GRE) {
			if (put_ip_tunnel(pr, l, &in))
				return;
		}
		put_payload(pr, l, r, nh, b);
		return;
	}
	memset(&in.l4, 0, sizeof(in.l4));
	in.hdr_len = 0;
	in.flags |= sc_parse_l4(&sb, 0, &in);
	sc_copy_hdr(&sb, &in);
	put_l4(pr, l, &in);
}

/*
 * RFC 4302:
 *
 * +---------------+---------------+-------------------------------+
 * | Next Header   |  Payload Len  |          RESERVED             |
 * +---------------+---------------+-------------------------------+
 * |                 Security Parameters Index (SPI)               |
 * +---------------------------------------------------------------+
 * |                    Sequence Number Field                      |
 * +---------------------------------------------------------------+
 * |                Integrity Check Value-ICV (variable)           |
 *
 * Payload Len is the header's length in 32-bit words, minus 2.
 */
static void put_ah(struct printer *pr, struct line *l, const struct sc_record *r,
		   const struct pay *b)
{
	uint32_t hlen, i;
	struct pay next;

	if (!have(b, 0, 1) || full(l)) {
		put_cut(l, "ah");
		return;
	}
	PUT_LIT(l, "AH");
	if (!have(b, 0, 4))
		goto cut;
	hlen = (b->p[1] + 2) * 4;
	put_ch(l, '(');
	if (pr->o.vflag) {
		PUT_LIT(l, "length=");
		put_u64(l, b->p[1]);
		put_ch(l, '(');
		put_u64(l, hlen);
		PUT_LIT(l, "-bytes),");
	}
	if (be16(b->p + 2)) {
		PUT_LIT(l, "reserved=0x");
		put_hex(l, be16(b->p + 2), 1);
		PUT_LIT(l, "[MustBeZero],");
	}
	if (!have(b, 4, 4))
		goto cut;
	PUT_LIT(l, "spi=0x");
	put_hex(l, be32(b->p + 4), 8);
	if (!have(b, 8, 4))
		goto cut;
	PUT_LIT(l, ",seq=0x");
	put_hex(l, be32(b->p + 8), 1);
	PUT_LIT(l, ",icv=0x");
	for (i = 12; i < hlen; i++) {
		if (!have(b, i, 1) || full(l))
			goto cut;
		put_hex(l, b->p[i], 2);
	}
	PUT_LIT(l, "): ");
	next = pay_from(b, hlen);
	put_after_ah(pr, l, r, b->p[0], &next);
	return;
cut:
	put_cut(l, "ah");
}

/* ------------------------------------------------------------ dispatch */

static void put_payload(struct printer *pr, struct line *l, const struct sc_record *r, uint8_t nh,
			const struct pay *b)
{
	int v6 = r->layer == SC_L_IP6;

	switch (nh) {
	case SC_IPPROTO_SCTP:
		put_sctp(l, r, b);
		return;
	case SC_IPPROTO_ESP:
		put_esp(l, b);
		return;
	case SC_IPPROTO_AH:
		put_ah(pr, l, r, b);
		return;
	case SC_IPPROTO_NONE:
		PUT_LIT(l, "no next header");
		return;
	case SC_IPPROTO_IGMP:
	case SC_IPPROTO_ICMP:
	case SC_IPPROTO_ICMPV6:
		/* what the parser left unparsed: on the wrong IP version */
		if (nh == SC_IPPROTO_IGMP && !v6) {
			put_igmp(pr, l, b);
			return;
		}
		put_ch(l, '[');
		put_str(l, nh == SC_IPPROTO_IGMP   ? "IGMP"
			   : nh == SC_IPPROTO_ICMP ? "ICMP"
						   : "ICMPv6");
		put_str(l, nh == SC_IPPROTO_ICMPV6 ? " requires IPv6] (invalid)"
						   : " requires IPv4] (invalid)");
		return;
	}
	PUT_LIT(l, "ip-proto-");
	put_u64(l, nh);
	PUT_LIT(l, ", length ");
	put_u64(l, b->len);
}

int put_ipproto_ports(const struct sc_record *r)
{
	return (r->layer == SC_L_IP || r->layer == SC_L_IP6) && r->l4proto == SC_IPPROTO_SCTP &&
	       !(r->flags & (SC_F_TRUNC | SC_F_BAD | SC_F_FRAG | SC_F_TOODEEP));
}

void put_ipproto(struct printer *pr, struct line *l, const struct sc_record *r)
{
	struct pay b = pay_of(r);
	uint8_t nh = r->l4proto;

	if ((nh == SC_IPPROTO_IPIP || nh == SC_IPPROTO_IPV6 || nh == SC_IPPROTO_GRE) &&
	    put_ip_tunnel(pr, l, r))
		return;
	put_payload(pr, l, r, nh, &b);
}

/* ------------------------------------------------- IPv6 extension headers */

/*
 * An IPv6 fragment header as tcpdump shows it: "frag (OFFSET|LENGTH)",
 * with -v "frag (0xID:OFFSET|LENGTH)", the length that of what follows it.
 */
static void put_frag6(struct printer *pr, struct line *l, const struct sc_record *r)
{
	PUT_LIT(l, "frag (");
	if (pr->o.vflag) {
		PUT_LIT(l, "0x");
		put_hex(l, r->frag_id, 8);
		put_ch(l, ':');
	}
	put_u64(l, r->frag);
	put_ch(l, '|');
	put_u64(l, r->frag_len);
	put_ch(l, ')');
}

/*
 * The extension headers (RFC 8200 section 4) by tcpdump's names, in the
 * order walked. The record has their types, not their contents, so those
 * whose contents tcpdump prints (the routing header's fields and
 * addresses, AH's SPI, sequence and ICV, and with -v the options) get
 * their name only; a fragment header has record fields of its own.
 */
int put_ext6(struct printer *pr, struct line *l, const struct sc_record *r)
{
	int n = r->ext_n, hbh = 0;

	/* the header the walk failed in is shown by the mark after these */
	if (r->layer == SC_L_IP6 && (r->flags & (SC_F_TRUNC | SC_F_BAD)))
		n--;
	for (int i = 0; i < n && i < SC_MAX_EXTHDR; i++) {
		switch (r->ext[i]) {
		case SC_IPPROTO_HOPOPTS:
			if (hbh || i) {
				put_str(l, hbh ? "[The Hop-by-Hop Options header was already found]"
					       : "[The Hop-by-Hop Options header don't follow the "
						 "IPv6 header]");
				PUT_LIT(l, " (invalid)");
				return 1;
			}
			hbh = 1;
			PUT_LIT(l, "HBH ");
			break;
		case SC_IPPROTO_DSTOPTS:
			PUT_LIT(l, "DSTOPT ");
			break;
		case SC_IPPROTO_ROUTING:
			PUT_LIT(l, "RT6 ");
			break;
		case SC_IPPROTO_FRAGMENT:
			put_frag6(pr, l, r);
			/* a later fragment has no more headers to show */
			if (r->flags & SC_F_FRAG)
				return 1;
			put_ch(l, ' ');
			break;
		case SC_IPPROTO_AH:
			PUT_LIT(l, "AH ");
			break;
		}
	}
	return 0;
}
