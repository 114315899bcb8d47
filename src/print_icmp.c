// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: ICMP and ICMPv6 messages, as tcpdump -n prints them
 *
 * The message is in r->hdr (up to SC_HDR_MAX bytes of it; echo messages
 * carry none and are printed from the record's id and seq). Bytes past
 * the message (the IP length) or past what the record carried are never
 * read: a field that is not there ends the summary in "[|icmp]" or
 * "[|icmp6]", where tcpdump ends it.
 */
#include "decode.h"
#include "parse.h"

/* ------------------------------------------------------- reading hdr */

/* The message's bytes the record has: no more than the IP length says. */
static struct sc_buf msg_of(const struct sc_record *r)
{
	struct sc_buf b = { r->hdr, r->hdr_len };

	if (b.len > r->l4_len)
		b.len = r->l4_len;
	return b;
}

/*
 * Big-endian reads at off; a read past the end sets *bad and gives 0, so
 * a printer gathers its fields and looks at bad once, before printing.
 */
static uint32_t get_u8(const struct sc_buf *b, uint32_t off, bool *bad)
{
	uint8_t v;

	if (sc_load(b, off, &v, 1))
		*bad = true;
	return v;
}

static uint32_t get_u16(const struct sc_buf *b, uint32_t off, bool *bad)
{
	uint8_t v[2];

	if (sc_load(b, off, v, 2))
		*bad = true;
	return (uint32_t)v[0] << 8 | v[1];
}

static uint32_t get_u32(const struct sc_buf *b, uint32_t off, bool *bad)
{
	uint8_t v[4];

	if (sc_load(b, off, v, 4))
		*bad = true;
	return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
}

/* n address bytes at off into a, or *bad */
static void get_addr(const struct sc_buf *b, uint32_t off, uint8_t *a, uint32_t n, bool *bad)
{
	if (sc_load(b, off, a, n))
		*bad = true;
}

/* RFC 1071: the one's complement sum of big-endian 16-bit words */
static uint32_t sum16(const uint8_t *p, uint32_t n, uint32_t s)
{
	for (uint32_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold16(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/*
 * -v: the checksum, where the whole message is here and not one fragment
 * of it: 0 when right, else what the checksum field should have held.
 * v6 adds RFC 8200 section 8.1's pseudo-header (a routing header would
 * change its destination, and is not in the record: no verdict then).
 */
static int icmp_cksum(const struct sc_record *r, int v6, uint16_t *should)
{
	struct sc_buf b = msg_of(r);
	uint32_t s;
	uint16_t field;

	if (b.len < 4 || b.len != r->l4_len || (r->flags & SC_F_FRAG1))
		return -1;
	if (v6) {
		for (int i = 0; i < r->ext_n && i < SC_MAX_EXTHDR; i++)
			if (r->ext[i] == SC_IPPROTO_ROUTING)
				return -1;
	}
	s = sum16(b.data, b.len, 0);
	if (v6) {
		s = sum16(r->src, 16, s);
		s = sum16(r->dst, 16, s);
		s += b.len + SC_IPPROTO_ICMPV6;
	}
	field = (uint16_t)(b.data[2] << 8 | b.data[3]);
	*should = fold16((uint32_t)field + (uint16_t)~fold16(s));
	return fold16(s) != 0xffff;
}

/* ------------------------------------------------------------ ICMPv4 */

/* RFC 792 and its successors: the types without a form of their own */
static const struct tok icmp_types[] = {
	{ 0, "echo reply" },
	{ 4, "source quench" },
	{ 8, "echo request" },
	{ 10, "router solicitation" },
	{ 13, "time stamp request" },
	{ 14, "time stamp reply" },
	{ 15, "information request" },
	{ 16, "information reply" },
	{ 17, "address mask request" },
	{ 0, NULL },
};

/*
 * Destination unreachable (RFC 792, 1122, 1812): "<pre>ADDR unreachable<post>",
 * ADDR the quoted packet's destination. Codes 2, 3 and 4 have forms of
 * their own.
 */
static const struct tok unreach_pre[] = {
	{ 0, "net " },	 { 1, "host " }, { 6, "net " },	  { 7, "host " },  { 9, "net " },
	{ 10, "host " }, { 11, "net " }, { 12, "host " }, { 13, "host " }, { 14, "host " },
	{ 15, "host " }, { 5, "" },	 { 8, "" },	  { 0, NULL },
};

static const struct tok unreach_post[] = {
	{ 0, "" },
	{ 1, "" },
	{ 5, " - source route failed" },
	{ 6, " - unknown" },
	{ 7, " - unknown" },
	{ 8, " - source host isolated" },
	{ 9, " - admin prohibited" },
	{ 10, " - admin prohibited" },
	{ 11, " - tos prohibited" },
	{ 12, " - tos prohibited" },
	{ 13, " - admin prohibited filter" },
	{ 14, " - host precedence violation" },
	{ 15, " - precedence cutoff" },
	{ 0, NULL },
};

/*
 * The message after its first word quotes the packet that caused it
 * (RFC 792):
 *
 *    0      1      2      3
 *   | type | code | checksum    |
 *   | unused / mtu / gateway    |   offset 4
 *   | quoted IPv4 header ...    |   offset 8: its destination at 24
 *   | quoted 8 bytes of L4 ...  |   offset 8 + IHL * 4
 */
#define ICMP_QIP  8
#define ICMP_QDST (ICMP_QIP + 16)

/* Type 3: false when a field it needs is not there. */
static bool put_unreach(struct line *l, const struct sc_buf *b, uint8_t code)
{
	bool bad = false;
	uint8_t dst[4];
	uint32_t proto = 0, dport = 0, mtu = 0;
	const char *pre = tok_find(unreach_pre, code);

	get_addr(b, ICMP_QDST, dst, 4, &bad);
	if (code == 2 || code == 3)
		proto = get_u8(b, ICMP_QIP + 9, &bad);
	if (code == 3) {
		uint32_t hlen = (get_u8(b, ICMP_QIP, &bad) & 0x0f) * 4;

		/* the quoted UDP/TCP destination port, where tcpdump reads it */
		dport = get_u16(b, ICMP_QIP + hlen + 2, &bad);
	}
	if (code == 4)
		mtu = get_u16(b, 6, &bad);
	if (bad)
		return false;
	PUT_LIT(l, "ICMP ");
	if (pre)
		put_str(l, pre);
	put_ip4(l, dst);
	switch (code) {
	case 2:
		PUT_LIT(l, " protocol ");
		put_u64(l, proto);
		break;
	case 3:
		if (proto == SC_IPPROTO_TCP || proto == SC_IPPROTO_UDP) {
			put_str(l, proto == SC_IPPROTO_TCP ? " tcp port " : " udp port ");
		} else {
			PUT_LIT(l, " protocol ");
			put_u64(l, proto);
			PUT_LIT(l, " port ");
		}
		put_u64(l, dport);
		break;
	}
	PUT_LIT(l, " unreachable");
	if (code == 4) {
		PUT_LIT(l, " - need to frag");
		if (mtu) {
			PUT_LIT(l, " (mtu ");
			put_u64(l, mtu);
			put_ch(l, ')');
		}
	} else if (pre) {
		put_str(l, tok_find(unreach_post, code));
	} else if (code > 4) {
		PUT_LIT(l, " - #");
		put_u64(l, code);
	}
	return true;
}

/* Type 5: "redirect DST to net|host GATEWAY" (RFC 792) */
static bool put_redirect(struct line *l, const struct sc_buf *b, uint8_t code)
{
	bool bad = false;
	uint8_t dst[4], gw[4];

	get_addr(b, ICMP_QDST, dst, 4, &bad);
	get_addr(b, 4, gw, 4, &bad);
	if (bad)
		return false;
	if (code > 3) {
		PUT_LIT(l, "ICMP redirect-#");
		put_u64(l, code);
		put_ch(l, ' ');
	} else {
		put_str(l, code & 2 ? "ICMP redirect-tos " : "ICMP redirect ");
	}
	put_ip4(l, dst);
	if (code > 3)
		PUT_LIT(l, " to ");
	else
		put_str(l, code & 1 ? " to host " : " to net ");
	put_ip4(l, gw);
	return true;
}

/* seconds as tcpdump shows a router's lifetime: S, M:SS or H:MM:SS */
static void put_lifetime(struct line *l, uint32_t t)
{
	if (t >= 3600) {
		put_u64(l, t / 3600);
		put_ch(l, ':');
		put_u_pad(l, t % 3600 / 60, 2);
		put_ch(l, ':');
		put_u_pad(l, t % 60, 2);
	} else if (t >= 60) {
		put_u64(l, t / 60);
		put_ch(l, ':');
		put_u_pad(l, t % 60, 2);
	} else {
		put_u64(l, t);
	}
}

/*
 * Type 9, RFC 1256: count, entry size (words), lifetime, then count
 * (address, preference) pairs. A record holds 15 at most; inside another
 * packet (a tunnel, a quoted packet) two are shown, so the line, with
 * the headers around it, stays within SC_LINE_MAX.
 */
#define RDISC_SHOWN_INNER 2

static bool put_rdisc(struct line *l, const struct sc_buf *b, int depth)
{
	bool bad = false;
	uint32_t num = get_u8(b, 4, &bad), size = get_u8(b, 5, &bad);
	uint32_t life = get_u16(b, 6, &bad), shown = num;

	if (size == 2) {
		if (depth && shown > RDISC_SHOWN_INNER)
			shown = RDISC_SHOWN_INNER;
		/* every entry shown must be here, as tcpdump checks them all */
		get_u32(b, 8 + shown * 8 - 1 - 3, &bad);
	}
	if (bad)
		return false;
	PUT_LIT(l, "ICMP router advertisement lifetime ");
	put_lifetime(l, life);
	put_ch(l, ' ');
	put_u64(l, num);
	put_ch(l, ':');
	if (size != 2) {
		PUT_LIT(l, " [size ");
		put_u64(l, size);
		put_ch(l, ']');
		return true;
	}
	for (uint32_t i = 0; i < shown; i++) {
		uint8_t a[4];

		get_addr(b, 8 + i * 8, a, 4, &bad);
		PUT_LIT(l, " {");
		put_ip4(l, a);
		put_ch(l, ' ');
		put_u64(l, get_u32(b, 12 + i * 8, &bad));
		put_ch(l, '}');
	}
	if (shown < num)
		PUT_LIT(l, " [...]");
	return true;
}

/* milliseconds since midnight UT (RFC 792 timestamps) as HH:MM:SS.mmm */
static void put_tstamp(struct line *l, uint32_t t)
{
	put_u_pad(l, t / 3600000, 2);
	put_ch(l, ':');
	put_u_pad(l, t / 60000 % 60, 2);
	put_ch(l, ':');
	put_u_pad(l, t / 1000 % 60, 2);
	put_ch(l, '.');
	put_u_pad(l, t % 1000, 3);
}

/* Types 13, 14, 18 (RFC 792, 950): what follows the first word */
static bool put_icmp_query(struct line *l, const struct sc_record *r, const struct sc_buf *b)
{
	static const char *const ts_names[] = { ": org ", ", recv ", ", xmit " };
	uint8_t type = r->l4.icmp.type;
	bool bad = false;
	uint32_t v[3];

	if (type == 18) {
		v[0] = get_u32(b, 8, &bad);
		if (bad)
			return false;
		PUT_LIT(l, "ICMP address mask is 0x");
		put_hex(l, v[0], 8);
		return true;
	}
	if (r->l4_len < 8 || (r->flags & SC_F_TRUNC))
		return false;
	if (type == 14) {
		for (int i = 0; i < 3; i++)
			v[i] = get_u32(b, 8 + i * 4, &bad);
		if (bad)
			return false;
	}
	put_str(l, type == 13 ? "ICMP time stamp query id " : "ICMP time stamp reply id ");
	put_u64(l, r->l4.icmp.id);
	PUT_LIT(l, " seq ");
	put_u64(l, r->l4.icmp.seq);
	for (int i = 0; type == 14 && i < 3; i++) {
		put_str(l, ts_names[i]);
		put_tstamp(l, v[i]);
	}
	return true;
}

/* "ICMP <text>" for the message, or false when a field is missing */
static bool put_icmp4_text(struct printer *pr, struct line *l, const struct sc_record *r,
			   const struct sc_buf *b)
{
	uint8_t type = r->l4.icmp.type, code = r->l4.icmp.code;
	bool bad = false;
	uint32_t v;
	const char *name;

	switch (type) {
	case 0:
	case 8:
		if (r->l4_len < 8 || (r->flags & SC_F_TRUNC))
			return false;
		put_str(l, type ? "ICMP echo request, id " : "ICMP echo reply, id ");
		put_u64(l, r->l4.icmp.id);
		PUT_LIT(l, ", seq ");
		put_u64(l, r->l4.icmp.seq);
		return true;
	case 3:
		return put_unreach(l, b, code);
	case 5:
		return put_redirect(l, b, code);
	case 9:
		return put_rdisc(l, b, pr->depth);
	case 11:
		get_u32(b, ICMP_QDST, &bad);
		if (bad)
			return false;
		if (code == 0) {
			PUT_LIT(l, "ICMP time exceeded in-transit");
		} else if (code == 1) {
			PUT_LIT(l, "ICMP ip reassembly time exceeded");
		} else {
			PUT_LIT(l, "ICMP time exceeded-#");
			put_u64(l, code);
		}
		return true;
	case 12:
		v = code ? code : get_u8(b, 4, &bad);
		if (bad)
			return false;
		put_str(l, code ? "ICMP parameter problem - code "
				: "ICMP parameter problem - octet ");
		put_u64(l, v);
		return true;
	case 13:
	case 14:
	case 18:
		return put_icmp_query(l, r, b);
	}
	PUT_LIT(l, "ICMP ");
	name = tok_find(icmp_types, type);
	if (name) {
		put_str(l, name);
	} else {
		PUT_LIT(l, "type-#");
		put_u64(l, type);
	}
	return true;
}

/* the error messages, which quote a packet (RFC 792) */
static int icmp4_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/*
 * -v adds a wrong checksum and the quoted packet's summary, as tcpdump
 * -v does on its next lines; only for a packet printed on its own (depth
 * 0), which keeps a tunnel's line within its room.
 */
static void put_icmp4_verbose(struct printer *pr, struct line *l, const struct sc_record *r,
			      const struct sc_buf *b)
{
	uint16_t should;
	bool bad = false;
	uint32_t qlen, have;

	if (icmp_cksum(r, 0, &should) == 1) {
		PUT_LIT(l, " (wrong icmp cksum ");
		put_hex(l, (uint32_t)(b->data[2] << 8 | b->data[3]), 1);
		PUT_LIT(l, " (->");
		put_hex(l, should, 1);
		PUT_LIT(l, ")!)");
	}
	if (!icmp4_is_error(r->l4.icmp.type) || pr->depth)
		return;
	qlen = get_u16(b, ICMP_QIP + 2, &bad);
	if (bad) {
		PUT_LIT(l, " [|icmp]");
		return;
	}
	have = b->len - ICMP_QIP;
	put_ch(l, ' ');
	put_inner(pr, l, b->data + ICMP_QIP, have, qlen > have ? qlen : have, SC_ETH_P_IP);
}

static void put_icmp4(struct printer *pr, struct line *l, const struct sc_record *r)
{
	struct sc_buf b = msg_of(r);

	if (!put_icmp4_text(pr, l, r, &b)) {
		/* as tcpdump: the summary is only the mark */
		PUT_LIT(l, " [|icmp]");
		return;
	}
	PUT_LIT(l, ", length ");
	put_u64(l, r->l4_len);
	if (pr->o.vflag)
		put_icmp4_verbose(pr, l, r, &b);
}

/* ------------------------------------------------------------ ICMPv6 */

/* RFC 4443, 4861, 2710, 3810 and others, with tcpdump's names */
static const struct tok icmp6_types[] = {
	{ 1, "destination unreachable" },
	{ 2, "packet too big" },
	{ 3, "time exceeded in-transit" },
	{ 4, "parameter problem" },
	{ 128, "echo request" },
	{ 129, "echo reply" },
	{ 130, "multicast listener query" },
	{ 131, "multicast listener report" },
	{ 132, "multicast listener done" },
	{ 133, "router solicitation" },
	{ 134, "router advertisement" },
	{ 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" },
	{ 137, "redirect" },
	{ 138, "router renumbering" },
	{ 139, "who-are-you request" },
	{ 140, "who-are-you reply" },
	{ 141, "inverse neighbor solicitation" },
	{ 142, "inverse neighbor advertisement" },
	{ 143, "multicast listener report v2" },
	{ 144, "ha discovery request" },
	{ 145, "ha discovery reply" },
	{ 146, "mobile router solicitation" },
	{ 147, "mobile router advertisement" },
	{ 155, "RPL" },
	{ 200, "mtrace response" },
	{ 201, "mtrace message" },
	{ 0, NULL },
};

/* RFC 4443 section 3.1; tcpdump's code 1 name starts with a space */
static const struct tok icmp6_unreach[] = {
	{ 0, "unreachable route" },   { 1, " unreachable prohibited" }, { 2, "beyond scope" },
	{ 3, "unreachable address" }, { 4, "unreachable port" },	{ 0, NULL },
};

/* RFC 4443 section 3.4 */
static const struct tok icmp6_paramprob[] = {
	{ 0, ", erroneous - octet " },
	{ 1, ", next header - octet " },
	{ 2, ", option - octet " },
	{ 3, ", incomplete header chain - octet " },
	{ 0, NULL },
};

/*
 * The message quotes the packet after its first 8 bytes (RFC 4443):
 * the quoted IPv6 header's destination is at 8 + 24.
 */
#define ICMP6_QIP  8
#define ICMP6_QDST (ICMP6_QIP + 24)

/*
 * -v: options and MLDv2 records are shown while the message's text is
 * shorter than this, then a mark, " [...]". One item adds at most ~170 bytes, so
 * the text stays within ~480 and the line, after the longest headers
 * in front of it, within SC_LINE_MAX.
 */
#define ICMP6_TEXT_BUDGET 300

static bool over_budget(struct line *l, const char *start)
{
	if (l->p - start < ICMP6_TEXT_BUDGET)
		return false;
	PUT_LIT(l, " [...]");
	return true;
}

static void put_trunc6(struct line *l)
{
	PUT_LIT(l, " [|icmp6]");
}

/* ", " or " " then the address at off; false (and the mark) when cut */
static bool put_addr6_at(struct line *l, const struct sc_buf *b, uint32_t off, const char *lead)
{
	uint8_t a[16];
	bool bad = false;

	get_addr(b, off, a, 16, &bad);
	if (bad) {
		put_trunc6(l);
		return false;
	}
	put_str(l, lead);
	put_ip6(l, a);
	return true;
}

/*
 * The quoted packet's TCP or UDP header, through its extension headers
 * (RFC 8200 section 4), as tcpdump looks for it: the offset of its
 * destination port, or 0 when it cannot be found in the bytes here.
 */
static uint32_t quoted_l4(const struct sc_buf *b, uint32_t *proto)
{
	bool bad = false;
	uint32_t nh = get_u8(b, ICMP6_QIP + 6, &bad), off = ICMP6_QIP, hlen = 40;

	while (!bad && off < b->len) {
		off += hlen;
		switch (nh) {
		case SC_IPPROTO_TCP:
		case SC_IPPROTO_UDP:
			get_u16(b, off + 2, &bad);
			*proto = nh;
			return bad ? 0 : off + 2;
		case SC_IPPROTO_HOPOPTS:
		case SC_IPPROTO_DSTOPTS:
		case SC_IPPROTO_ROUTING:
			hlen = (get_u8(b, off + 1, &bad) + 1) * 8;
			break;
		case SC_IPPROTO_FRAGMENT:
			/* a later fragment has no upper-layer header */
			if (get_u16(b, off + 2, &bad) & 0xfff8)
				return 0;
			hlen = 8;
			break;
		case SC_IPPROTO_AH:
			hlen = (get_u8(b, off + 1, &bad) + 2) * 4;
			break;
		default:
			return 0;
		}
		nh = get_u8(b, off, &bad);
	}
	return 0;
}

/* Type 1: false when cut (the mark is printed) or when nothing follows */
static bool put_unreach6(struct line *l, const struct sc_buf *b, uint8_t code, int vflag)
{
	const char *name = tok_find(icmp6_unreach, code);
	uint32_t proto = 0, off;
	bool bad = false;

	PUT_LIT(l, ", ");
	if (name) {
		put_str(l, name);
	} else {
		PUT_LIT(l, "unknown unreach code (");
		put_u64(l, code);
		put_ch(l, ')');
		/* tcpdump -n goes on with a hex dump, on lines of its own */
		return vflag != 0;
	}
	switch (code) {
	case 2:
		return put_addr6_at(l, b, ICMP6_QDST, " ") &&
		       put_addr6_at(l, b, ICMP6_QIP + 8, ", source address ");
	case 4:
		off = quoted_l4(b, &proto);
		if (!off || !put_addr6_at(l, b, ICMP6_QDST, ", ")) {
			if (!off)
				put_trunc6(l);
			return false;
		}
		if (proto == SC_IPPROTO_TCP)
			PUT_LIT(l, " tcp port ");
		else
			PUT_LIT(l, " udp port ");
		put_u64(l, get_u16(b, off, &bad));
		return true;
	}
	return put_addr6_at(l, b, ICMP6_QDST, " ");
}

/* Types 2, 3, 4 (RFC 4443) */
static bool put_error6(struct line *l, const struct sc_buf *b, uint8_t type, uint8_t code)
{
	bool bad = false;
	uint32_t v;
	const char *s;

	if (type == 2) {
		v = get_u32(b, 4, &bad);
		if (bad) {
			put_trunc6(l);
			return false;
		}
		PUT_LIT(l, ", mtu ");
		put_u64(l, v);
		return true;
	}
	if (type == 3) {
		if (code == 0)
			return put_addr6_at(l, b, ICMP6_QDST, " for ");
		if (code == 1) {
			PUT_LIT(l, " (reassembly)");
		} else {
			PUT_LIT(l, ", unknown code (");
			put_u64(l, code);
			put_ch(l, ')');
		}
		return true;
	}
	/* parameter problem: the quoted destination must be here */
	get_addr(b, ICMP6_QDST, (uint8_t[16]){ 0 }, 16, &bad);
	s = tok_find(icmp6_paramprob, code);
	v = s ? get_u32(b, 4, &bad) : 0;
	if (bad) {
		put_trunc6(l);
		return false;
	}
	if (!s) {
		PUT_LIT(l, ", code-#");
		put_u64(l, code);
		return true;
	}
	put_str(l, s);
	put_u64(l, v);
	return true;
}

/*
 * MLDv1 (RFC 2710): max response delay at 4, multicast address at 8.
 * tcpdump prints it right after the type name, with no separator, and
 * nothing when the 24 bytes are not all here.
 */
static void put_mld1(struct line *l, const struct sc_buf *b)
{
	bool bad = false;
	uint8_t a[16];
	uint32_t delay = get_u16(b, 4, &bad);

	get_addr(b, 8, a, 16, &bad);
	if (bad)
		return;
	PUT_LIT(l, "max resp delay: ");
	put_u64(l, delay);
	PUT_LIT(l, " addr: ");
	put_ip6(l, a);
}

/* RFC 3810 section 5.1.3/5.1.9: exponential codes for the delay and QQI */
static uint32_t mld2_mrd(uint32_t c)
{
	return c < 32768 ? c : ((c & 0x0fff) | 0x1000) << (((c & 0x7000) >> 12) + 3);
}

static uint32_t mld2_qqi(uint32_t c)
{
	return c < 128 ? c : ((c & 0x0f) | 0x10) << (((c & 0x70) >> 4) + 3);
}

/*
 * MLDv2 query (RFC 3810 section 5.1): max response code at 4, group at
 * 8, S/QRV at 24, QQIC at 25, number of sources at 26, sources at 28.
 */
static bool put_mld2_query(struct line *l, const struct sc_buf *b, uint32_t len, int vflag)
{
	bool bad = false;
	uint32_t mrc = get_u16(b, 4, &bad), sq, qqic, nsrcs;

	if (vflag) {
		PUT_LIT(l, " [max resp delay=");
		put_u64(l, mld2_mrd(mrc));
		put_ch(l, ']');
	}
	if (!put_addr6_at(l, b, 8, " [gaddr "))
		return false;
	sq = get_u8(b, 24, &bad);
	qqic = get_u8(b, 25, &bad);
	nsrcs = get_u16(b, 26, &bad);
	if (bad) {
		put_trunc6(l);
		return false;
	}
	if (vflag) {
		if (sq & 0x08)
			PUT_LIT(l, " sflag");
		if (sq & 0x07) {
			PUT_LIT(l, " robustness=");
			put_u64(l, sq & 0x07);
		}
		PUT_LIT(l, " qqi=");
		put_u64(l, mld2_qqi(qqic));
	}
	put_nsources(l, nsrcs, len >= 28 + nsrcs * 16);
	put_ch(l, ']');
	return true;
}

/* RFC 3810 section 5.2.12 */
static const struct tok mld2_rec_types[] = {
	{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" },
	{ 5, "allow" }, { 6, "block" }, { 0, NULL },
};

/*
 * MLDv2 report (RFC 3810 section 5.2): number of records at 6, records
 * from 8, each type, aux length, number of sources, group, sources. -v
 * shows each record, as far as the record carries them.
 */
static bool put_mld2_report(struct line *l, const struct sc_buf *b, uint32_t len, int vflag,
			    const char *start)
{
	bool bad = false;
	uint32_t n, group = 8;

	if (len < 8) {
		PUT_LIT(l, " [invalid len ");
		put_u64(l, len);
		put_ch(l, ']');
		return true;
	}
	n = get_u16(b, 6, &bad);
	if (bad) {
		put_trunc6(l);
		return false;
	}
	PUT_LIT(l, ", ");
	put_u64(l, n);
	PUT_LIT(l, " group record(s)");
	for (uint32_t i = 0; vflag && i < n; i++) {
		uint32_t type, nsrcs;
		const char *name;

		if (len < group + 20) {
			PUT_LIT(l, " [invalid number of groups]");
			return true;
		}
		if (over_budget(l, start))
			return true;
		if (!put_addr6_at(l, b, group + 4, " [gaddr "))
			return false;
		type = get_u8(b, group, &bad);
		nsrcs = get_u16(b, group + 2, &bad);
		name = tok_find(mld2_rec_types, type);
		put_ch(l, ' ');
		if (name) {
			put_str(l, name);
		} else {
			PUT_LIT(l, " [v2-report-#");
			put_u64(l, type);
			put_ch(l, ']');
		}
		if (len < group + 20 + nsrcs * 16) {
			PUT_LIT(l, " [invalid number of sources ");
			put_u64(l, nsrcs);
			put_ch(l, ']');
			return true;
		}
		PUT_LIT(l, ", ");
		put_u64(l, nsrcs);
		PUT_LIT(l, " source(s)]");
		group += 20 + nsrcs * 16;
	}
	return true;
}

/* Type 130: MLDv1 by its length of 24, MLDv2 from 28 (RFC 3810 section 8.1) */
static bool put_mld_query(struct line *l, const struct sc_buf *b, uint32_t len, int vflag)
{
	if (len == 24) {
		put_mld1(l, b);
		return true;
	}
	if (len >= 28) {
		PUT_LIT(l, " v2");
		return put_mld2_query(l, b, len, vflag);
	}
	PUT_LIT(l, " unknown-version (len ");
	put_u64(l, len);
	PUT_LIT(l, ") ");
	return true;
}

/* --------------------------------------------- neighbour discovery -v */

/* RFC 4861 section 4.6, RFC 8106, RFC 4191: option names as tcpdump's */
static const struct tok nd_opts[] = {
	{ 1, "source link-address" },
	{ 2, "destination link-address" },
	{ 3, "prefix info" },
	{ 4, "redirected header" },
	{ 5, "mtu" },
	{ 7, "advertisement interval" },
	{ 8, "homeagent information" },
	{ 24, "route info" },
	{ 25, "rdnss" },
	{ 31, "dnssl" },
	{ 0, NULL },
};

static void put_flags(struct line *l, const struct tok *t, uint32_t v)
{
	bool first = true;

	PUT_LIT(l, "Flags [");
	for (; t->s; t++) {
		if (!(v & t->v))
			continue;
		if (!first)
			PUT_LIT(l, ", ");
		put_str(l, t->s);
		first = false;
	}
	if (first)
		PUT_LIT(l, "none");
	put_ch(l, ']');
}

static void put_life6(struct line *l, uint32_t v)
{
	if (v == 0xffffffff) {
		PUT_LIT(l, "infinity");
		return;
	}
	put_u64(l, v);
	put_ch(l, 's');
}

static const struct tok pi_flags[] = {
	{ 0x80, "onlink" },
	{ 0x40, "auto" },
	{ 0x20, "router" },
	{ 0, NULL },
};

/* link-layer address bytes shown at most: a line has room for a few */
#define LLADDR_SHOWN 16

/*
 * One option's value (RFC 4861 section 4.6), at off, olen bytes (all
 * here). Types without a decoder show their header only.
 */
static void put_nd_opt_value(struct line *l, const struct sc_buf *b, uint32_t off, uint32_t type,
			     uint32_t olen)
{
	bool bad = false;

	switch (type) {
	case 1:
	case 2:
		for (uint32_t i = 2; i < olen && i < 2 + LLADDR_SHOWN; i++) {
			if (i > 2)
				put_ch(l, ':');
			put_hex(l, get_u8(b, off + i, &bad), 2);
		}
		if (olen > 2 + LLADDR_SHOWN)
			PUT_LIT(l, " [...]");
		break;
	case 3:
		if (olen < 32)
			break;
		put_addr6_at(l, b, off + 16, "");
		put_ch(l, '/');
		put_u64(l, get_u8(b, off + 2, &bad));
		if (olen != 32)
			PUT_LIT(l, "badlen");
		PUT_LIT(l, ", ");
		put_flags(l, pi_flags, get_u8(b, off + 3, &bad));
		PUT_LIT(l, ", valid time ");
		put_life6(l, get_u32(b, off + 4, &bad));
		PUT_LIT(l, ", pref. time ");
		put_life6(l, get_u32(b, off + 8, &bad));
		break;
	case 5:
		put_ch(l, ' ');
		put_u64(l, get_u32(b, off + 4, &bad));
		if (olen != 8)
			PUT_LIT(l, "bad option length");
		break;
	case 7:
		put_ch(l, ' ');
		put_u64(l, get_u32(b, off + 4, &bad));
		PUT_LIT(l, "ms");
		break;
	case 25:
		PUT_LIT(l, " lifetime ");
		put_u64(l, get_u32(b, off + 4, &bad));
		PUT_LIT(l, "s,");
		/* the first address only: a line has room for one */
		if (olen >= 24)
			put_addr6_at(l, b, off + 8, " addr: ");
		break;
	}
}

/*
 * -v: the options from off on, each "NAME option (T), length L (N): VALUE"
 * as tcpdump's continuation lines, here on the one line. False when one
 * is cut (the mark is printed).
 */
static bool put_nd_opts(struct line *l, const struct sc_buf *b, uint32_t off, uint32_t len,
			const char *start)
{
	while (off < b->len && off < len) {
		bool bad = false;
		uint32_t type = get_u8(b, off, &bad), olen = get_u8(b, off + 1, &bad) * 8;
		const char *name = tok_find(nd_opts, type);

		if (bad || !olen || off + olen > b->len) {
			put_trunc6(l);
			return false;
		}
		if (over_budget(l, start))
			return true;
		put_ch(l, ' ');
		put_str(l, name ? name : "unknown");
		PUT_LIT(l, " option (");
		put_u64(l, type);
		PUT_LIT(l, "), length ");
		put_u64(l, olen);
		PUT_LIT(l, " (");
		put_u64(l, olen / 8);
		put_ch(l, ')');
		/* tcpdump's hex dump of a redirected header is not shown */
		if (type != 4) {
			PUT_LIT(l, ": ");
			put_nd_opt_value(l, b, off, type, olen);
		}
		/* tcpdump shows nothing after an option it cannot decode */
		if (!name)
			return true;
		off += olen;
	}
	return true;
}

static const struct tok ra_flags[] = {
	{ 0x80, "managed" },
	{ 0x40, "other stateful" },
	{ 0x20, "home agent" },
	{ 0x02, "ipv6 only" },
	{ 0, NULL },
};

static const struct tok na_flags[] = {
	{ 0x80000000, "router" },
	{ 0x40000000, "solicited" },
	{ 0x20000000, "override" },
	{ 0, NULL },
};

/* RFC 4191 section 2.1: the router preference bits */
static const char *const rt_prefs[] = { "medium", "high", "rsv", "low" };

/* RFC 4861 section 4.2: the router advertisement's fixed part */
static bool put_ra(struct line *l, const struct sc_buf *b)
{
	bool bad = false;
	uint32_t hop = get_u8(b, 4, &bad), fl = get_u8(b, 5, &bad), life = get_u16(b, 6, &bad);
	uint32_t reach = get_u32(b, 8, &bad), retrans = get_u32(b, 12, &bad);

	if (bad) {
		put_trunc6(l);
		return false;
	}
	PUT_LIT(l, " hop limit ");
	put_u64(l, hop);
	PUT_LIT(l, ", ");
	put_flags(l, ra_flags, fl);
	PUT_LIT(l, ", pref ");
	put_str(l, rt_prefs[(fl >> 3) & 3]);
	PUT_LIT(l, ", router lifetime ");
	put_u64(l, life);
	PUT_LIT(l, "s, reachable time ");
	put_u64(l, reach);
	PUT_LIT(l, "ms, retrans timer ");
	put_u64(l, retrans);
	PUT_LIT(l, "ms");
	return true;
}

/*
 * Neighbour discovery (RFC 4861 section 4): the target of a solicitation
 * or advertisement at 8, a redirect's target at 8 and destination at 24;
 * -v adds the flags and options.
 */
static bool put_nd(struct line *l, const struct sc_buf *b, uint8_t type, uint32_t len, int vflag,
		   const char *start)
{
	static const uint8_t opts_at[] = { 8, 16, 24, 24, 40 };
	bool bad = false;
	uint32_t fl;

	switch (type) {
	case 134:
		if (vflag && !put_ra(l, b))
			return false;
		break;
	case 135:
		if (!put_addr6_at(l, b, 8, ", who has "))
			return false;
		break;
	case 136:
		if (!put_addr6_at(l, b, 8, ", tgt is "))
			return false;
		if (vflag) {
			fl = get_u32(b, 4, &bad);
			if (bad) {
				put_trunc6(l);
				return false;
			}
			PUT_LIT(l, ", ");
			put_flags(l, na_flags, fl);
		}
		break;
	case 137:
		if (!put_addr6_at(l, b, 24, ", ") || !put_addr6_at(l, b, 8, " to "))
			return false;
		break;
	}
	if (!vflag)
		return true;
	return put_nd_opts(l, b, opts_at[type - 133], len, start);
}

/*
 * The text after "ICMP6, NAME": false when it ended in a mark, or ends
 * the summary as tcpdump's does (no ", length" then).
 */
static bool put_icmp6_body(struct line *l, const struct sc_record *r, const struct sc_buf *b,
			   int vflag, const char *start)
{
	uint8_t type = r->l4.icmp.type, code = r->l4.icmp.code;
	uint32_t len = r->l4_len;
	bool bad = false;
	uint32_t v;

	switch (type) {
	case 1:
		return put_unreach6(l, b, code, vflag);
	case 2:
	case 3:
	case 4:
		return put_error6(l, b, type, code);
	case 128:
	case 129:
		if (len < 8 || (r->flags & SC_F_TRUNC)) {
			put_trunc6(l);
			return false;
		}
		PUT_LIT(l, ", id ");
		put_u64(l, r->l4.icmp.id);
		PUT_LIT(l, ", seq ");
		put_u64(l, r->l4.icmp.seq);
		return true;
	case 130:
		return put_mld_query(l, b, len, vflag);
	case 131:
	case 132:
		put_mld1(l, b);
		return true;
	case 133:
	case 134:
	case 135:
	case 136:
	case 137:
		return put_nd(l, b, type, len, vflag, start);
	case 143:
		return put_mld2_report(l, b, len, vflag, start);
	case 144:
	case 146:
		v = get_u16(b, 4, &bad);
		if (bad) {
			put_trunc6(l);
			return false;
		}
		PUT_LIT(l, ", id 0x");
		put_hex(l, v, 4);
		return true;
	}
	if (!tok_find(icmp6_types, type)) {
		/* tcpdump -n goes on with a hex dump, on lines of its own */
		PUT_LIT(l, ", length ");
		put_u64(l, len);
		return false;
	}
	return true;
}

static void put_icmp6(struct printer *pr, struct line *l, const struct sc_record *r)
{
	struct sc_buf b = msg_of(r);
	uint8_t type = r->l4.icmp.type;
	int vflag = pr->o.vflag && !pr->depth;
	const char *name = tok_find(icmp6_types, type);
	const char *start = l->p;
	uint16_t should;
	int bad;

	if (pr->o.vflag) {
		bad = icmp_cksum(r, 1, &should);
		if (bad == 0) {
			PUT_LIT(l, "[icmp6 sum ok] ");
		} else if (bad == 1) {
			PUT_LIT(l, "[bad icmp6 cksum 0x");
			put_hex(l, (uint32_t)(b.data[2] << 8 | b.data[3]), 4);
			PUT_LIT(l, " -> 0x");
			put_hex(l, should, 4);
			PUT_LIT(l, "!] ");
		}
	}
	PUT_LIT(l, "ICMP6, ");
	if (name) {
		put_str(l, name);
	} else {
		PUT_LIT(l, "unknown icmp6 type (");
		put_u64(l, type);
		put_ch(l, ')');
	}
	/* -v moves the length of these right after the name */
	if (pr->o.vflag && ((type >= 133 && type <= 137) || type == 145 || type == 147)) {
		PUT_LIT(l, ", length ");
		put_u64(l, r->l4_len);
	}
	if (!put_icmp6_body(l, r, &b, vflag, start) || pr->o.vflag)
		return;
	PUT_LIT(l, ", length ");
	put_u64(l, r->l4_len);
}

/*
 * A record cut (SC_F_TRUNC) in an ICMP message either stopped before the
 * type (then it is 0, unread) or in an echo's or timestamp's id and seq:
 * ICMPv4 then ends its summary in the mark alone, ICMPv6 names the type
 * first, as tcpdump does.
 */
void put_icmp(struct printer *pr, struct line *l, const struct sc_record *r)
{
	if ((r->flags & SC_F_BAD) ||
	    (r->layer == SC_L_ICMP6 && (r->flags & SC_F_TRUNC) && !sc_icmp_has_idseq(r)))
		put_trunc(l, r);
	else if (r->layer == SC_L_ICMP6)
		put_icmp6(pr, l, r);
	else
		put_icmp4(pr, l, r);
}
