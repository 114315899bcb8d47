// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: TCP options and the urgent pointer, from the TCP header a record carries
 *
 * The TCP header (RFC 9293 section 3.1), doff * 4 bytes of it in r->hdr:
 *
 *  0                   1                   2                   3
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                    Acknowledgment Number                      |
 * +-------+-------+---------------+-------------------------------+
 * | doff  | rsrvd |     flags     |            Window             |
 * +-------+-------+---------------+-------------------------------+
 * |           Checksum            |        Urgent Pointer         |
 * +-------------------------------+-------------------------------+
 * |                   Options (kind, length, data)                |
 * +---------------------------------------------------------------+
 *
 * The options are printed as tcpdump prints them, malformed lists
 * included: "[bad opt]" where a length does not fit, " [|tcp]" where the
 * capture ends inside the header.
 */
#include "decode.h"
#include "parse.h"

#define TCP_FIXED 20 /* the header without options */
#define TCP_SYN	  0x02
#define TCP_ACK	  0x10

enum { OPT_OK, OPT_BAD, OPT_TRUNC };

/* tcpdump's names (tcp_option_values); kind 13 (CC.ECHO) has an empty one */
static const struct tok tcp_opts[] = {
	{ 0, "eol" },	  { 1, "nop" },	   { 2, "mss" },       { 3, "wscale" }, { 4, "sackOK" },
	{ 5, "sack" },	  { 6, "echo" },   { 7, "echoreply" }, { 8, "TS" },	{ 11, "cc" },
	{ 12, "ccnew" },  { 13, "" },	   { 19, "md5" },      { 20, "scps" },	{ 28, "uto" },
	{ 29, "tcp-ao" }, { 30, "mptcp" }, { 34, "tfo" },      { 254, "exp" },	{ 0, NULL },
};

/* One option: its data, what of it the record has, what the header has left. */
struct topt {
	const uint8_t *d;  /* the option's data, after kind and length */
	uint32_t have;	   /* bytes from d on that the record carries */
	uint32_t hlen;	   /* header bytes from d on */
	uint32_t len;	   /* the length field: kind and length bytes included */
	uint32_t datalen;  /* bytes of data the printer stepped over */
	uint8_t flags;	   /* the TCP flags */
	const char *proto; /* the name a truncation mark gives */
};

/* "%llx": no leading zeros */
static void put_hex64(struct line *l, uint64_t v)
{
	if (v >> 32) {
		put_hex(l, (uint32_t)(v >> 32), 1);
		put_hex(l, (uint32_t)v, 8);
	} else {
		put_hex(l, (uint32_t)v, 1);
	}
}

/* " [|name]", as tcpdump marks the end of the capture */
static void put_cut(struct line *l, const char *name)
{
	PUT_LIT(l, " [|");
	put_str(l, name);
	put_ch(l, ']');
}

static void put_bytes(struct line *l, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		put_hex(l, p[i], 2);
}

/* tcpdump's LENCHECK: n data bytes must be in the header, then in the capture */
static int lencheck(const struct topt *o, uint32_t n)
{
	if (n > o->hlen)
		return OPT_BAD;
	if (n > o->have)
		return OPT_TRUNC;
	return OPT_OK;
}

#define LENCHECK(o, n)                                                                             \
	do {                                                                                       \
		int rc_ = lencheck((o), (n));                                                      \
		if (rc_)                                                                           \
			return rc_;                                                                \
	} while (0)

/* RFC 2018: blocks of left and right edges, absolute (as tcpdump -S) */
static int opt_sack(struct line *l, struct topt *o)
{
	o->datalen = o->len - 2;
	if (o->datalen % 8) {
		PUT_LIT(l, " invalid sack");
		return OPT_OK;
	}
	put_ch(l, ' ');
	put_u64(l, o->datalen / 8);
	put_ch(l, ' ');
	for (uint32_t i = 0; i < o->datalen; i += 8) {
		LENCHECK(o, i + 8);
		put_ch(l, '{');
		put_u64(l, be32(o->d + i));
		put_ch(l, ':');
		put_u64(l, be32(o->d + i + 4));
		put_ch(l, '}');
	}
	return OPT_OK;
}

/* RFC 7413, and its experimental form (RFC 6994, magic 0xf989) */
static void put_tfo(struct line *l, const uint8_t *p, uint32_t n, int exp)
{
	if (exp)
		PUT_LIT(l, "tfo");
	if (!n) {
		PUT_LIT(l, " cookiereq");
	} else if (n % 2 || n < 4 || n > 16) {
		PUT_LIT(l, " (invalid)");
	} else {
		PUT_LIT(l, " cookie ");
		put_bytes(l, p, n);
	}
}

/* RFC 5925: key ids and MAC, byte by byte as far as the capture goes */
static int opt_tcpao(struct line *l, struct topt *o)
{
	o->datalen = o->len - 2;
	if (o->datalen < 2) {
		PUT_LIT(l, " (invalid)");
		return OPT_OK;
	}
	LENCHECK(o, 1);
	PUT_LIT(l, " keyid ");
	put_u64(l, o->d[0]);
	LENCHECK(o, 2);
	PUT_LIT(l, " rnextkeyid ");
	put_u64(l, o->d[1]);
	if (o->datalen > 2) {
		PUT_LIT(l, " mac 0x");
		for (uint32_t i = 2; i < o->datalen; i++) {
			LENCHECK(o, i + 1);
			put_hex(l, o->d[i], 2);
		}
	}
	return OPT_OK;
}

/* RFC 5482: the timeout in minutes (low bit set) or seconds */
static int opt_uto(struct line *l, struct topt *o)
{
	uint16_t v;

	o->datalen = 2;
	LENCHECK(o, 2);
	v = be16(o->d);
	PUT_LIT(l, " 0x");
	put_hex(l, v, 1);
	put_ch(l, ' ');
	put_u64(l, v & 1 ? (uint32_t)(v >> 1) * 60 : v >> 1);
	return OPT_OK;
}

/* RFC 6994 experimental options: the magic number, TFO's decoded */
static int opt_exp(struct line *l, struct topt *o)
{
	uint16_t magic;

	o->datalen = o->len - 2;
	LENCHECK(o, o->datalen);
	if (o->datalen < 2)
		return OPT_BAD;
	magic = be16(o->d);
	put_ch(l, '-');
	if (magic == 0xf989)
		put_tfo(l, o->d + 2, o->datalen - 2, 1);
	else
		put_hex(l, magic, 4);
	return OPT_OK;
}

/* An option without a decoder: its data in hex, as far as the capture goes */
static int opt_unknown(struct line *l, struct topt *o)
{
	o->datalen = o->len - 2;
	if (o->datalen)
		PUT_LIT(l, " 0x");
	for (uint32_t i = 0; i < o->datalen; i++) {
		LENCHECK(o, i + 1);
		put_hex(l, o->d[i], 2);
	}
	return OPT_OK;
}

/* Options of a fixed size: n bytes, printed by kind. */
static int opt_fixed(struct line *l, struct topt *o, uint8_t kind, uint32_t n)
{
	o->datalen = n;
	LENCHECK(o, n);
	switch (kind) {
	case 2: /* mss */
		put_ch(l, ' ');
		put_u64(l, be16(o->d));
		break;
	case 3: /* wscale */
		put_ch(l, ' ');
		put_u64(l, o->d[0]);
		break;
	case 8: /* RFC 7323 timestamps */
		PUT_LIT(l, " val ");
		put_u64(l, be32(o->d));
		PUT_LIT(l, " ecr ");
		put_u64(l, be32(o->d + 4));
		break;
	case 19: /* RFC 2385 MD5 signature: tcpdump is given no secret to check it with */
		PUT_LIT(l, " shared secret not supplied with -M, can't check - ");
		put_bytes(l, o->d, 16);
		break;
	case 20: /* SCPS capabilities */
		PUT_LIT(l, " cap ");
		put_hex(l, o->d[0], 2);
		PUT_LIT(l, " id ");
		put_u64(l, o->d[1]);
		break;
	default: /* RFC 1072/1644 echo, echo reply, CC, CC.NEW, CC.ECHO */
		put_ch(l, ' ');
		put_u64(l, be32(o->d));
		break;
	}
	return OPT_OK;
}

static int put_mptcp(struct line *l, const uint8_t *o, uint32_t len, uint8_t flags);

static int put_opt(struct line *l, struct topt *o, uint8_t kind)
{
	o->datalen = 0;
	switch (kind) {
	case 0:
	case 1:
	case 4:
		return OPT_OK;
	case 2:
	case 20:
		return opt_fixed(l, o, kind, 2);
	case 3:
		return opt_fixed(l, o, kind, 1);
	case 6:
	case 7:
	case 11:
	case 12:
	case 13:
		return opt_fixed(l, o, kind, 4);
	case 8:
		return opt_fixed(l, o, kind, 8);
	case 19:
		return opt_fixed(l, o, kind, 16);
	case 5:
		return opt_sack(l, o);
	case 28:
		return opt_uto(l, o);
	case 29:
		return opt_tcpao(l, o);
	case 30:
		o->datalen = o->len - 2;
		LENCHECK(o, o->datalen);
		o->proto = "mptcp"; /* as tcpdump, which names later marks so */
		return put_mptcp(l, o->d - 2, o->len, o->flags) ? OPT_OK : OPT_BAD;
	case 34:
		o->datalen = o->len - 2;
		LENCHECK(o, o->datalen);
		put_ch(l, ' ');
		put_tfo(l, o->d, o->datalen, 0);
		return OPT_OK;
	case 254:
		return opt_exp(l, o);
	}
	return opt_unknown(l, o);
}

/*
 * The option list, kind by kind. Returns 1 when the line ends here: a
 * length that does not fit ("[bad opt]", and "]" only if an option came
 * before it) or the end of the capture (" [|tcp]", then ">" likewise when
 * an option's data was cut), where tcpdump prints no length either.
 */
static int put_opts(struct line *l, const struct sc_record *r)
{
	const uint8_t *h = r->hdr;
	uint32_t cap = r->hdr_len, off = TCP_FIXED, hlen = r->l4.tcp.doff * 4 - TCP_FIXED;
	struct topt o = { .flags = r->l4.tcp.flags, .proto = "tcp" };
	char ch = 0;
	int rc;

	PUT_LIT(l, ", options [");
	while (hlen > 0) {
		uint8_t kind;
		const char *name;

		if (ch)
			put_ch(l, ch);
		/* a line is never cut: an option list longer than it has room for ends marked */
		if (off >= cap || l->end - l->p < 160)
			goto cut;
		kind = h[off++];
		o.len = 1;
		if (kind > 1) {
			if (off >= cap)
				goto cut;
			o.len = h[off++];
			if (o.len < 2 || o.len > hlen)
				goto bad;
			hlen--;
		}
		hlen--;
		name = tok_find(tcp_opts, kind);
		if (name) {
			put_str(l, name);
		} else {
			PUT_LIT(l, "unknown-");
			put_u64(l, kind);
		}
		o.d = h + off;
		o.have = cap - off;
		o.hlen = hlen;
		rc = put_opt(l, &o, kind);
		if (rc == OPT_BAD)
			goto bad;
		if (rc == OPT_TRUNC) {
			put_cut(l, o.proto);
			if (ch)
				put_ch(l, '>');
			return 1;
		}
		off += o.datalen;
		hlen -= o.datalen;
		if (o.datalen + 1 + (kind > 1) != o.len) {
			PUT_LIT(l, "[len ");
			put_u64(l, o.len);
			put_ch(l, ']');
		}
		ch = ',';
		if (kind == 0)
			break;
	}
	put_ch(l, ']');
	return 0;
bad:
	PUT_LIT(l, "[bad opt]");
	if (ch)
		put_ch(l, ']');
	return 1;
cut:
	put_cut(l, o.proto);
	return 1;
}

int put_tcp_options(struct line *l, const struct sc_record *r)
{
	if (r->l4.tcp.flags & SC_TCP_URG) {
		if (r->hdr_len < TCP_FIXED) {
			put_cut(l, "tcp");
			return 1;
		}
		PUT_LIT(l, ", urg ");
		put_u64(l, be16(r->hdr + 18));
	}
	if (r->l4.tcp.doff <= 5)
		return 0;
	return put_opts(l, r);
}

/* ------------------------------------------------------------- MPTCP */

/*
 * RFC 8684 section 3: kind 30, length, then a subtype in the high nibble:
 *
 * +---------------+---------------+-------+-----------------------+
 * |   Kind (30)   |    Length     |Subtype|  subtype-specific ... |
 * +---------------+---------------+-------+-----------------------+
 *
 * Each subtype's printer checks the length it is given, as tcpdump's
 * does; the caller has made sure all len bytes are in the record.
 */
static int mp_capable(struct line *l, const uint8_t *o, uint32_t len, uint8_t flags)
{
	uint8_t v = o[2] & 0xf;

	if (!((len == 12 || len == 4) && (flags & TCP_SYN)) &&
	    !((len == 20 || len == 22) && (flags & (TCP_SYN | TCP_ACK)) == TCP_ACK))
		return 0;
	if (v > 1) {
		PUT_LIT(l, " Unknown Version (");
		put_u64(l, v);
		put_ch(l, ')');
		return 1;
	}
	PUT_LIT(l, " v");
	put_u64(l, v);
	if (o[3] & 0x80)
		PUT_LIT(l, " csum");
	if (len == 12 || len >= 20) {
		PUT_LIT(l, " {0x");
		put_hex64(l, be64(o + 4));
		if (len >= 20) {
			PUT_LIT(l, ",0x");
			put_hex64(l, be64(o + 12));
		}
		put_ch(l, '}');
	}
	return 1;
}

static int mp_join(struct line *l, const uint8_t *o, uint32_t len, uint8_t flags)
{
	if (!(len == 12 && (flags & TCP_SYN)) &&
	    !(len == 16 && (flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) &&
	    !(len == 24 && (flags & TCP_ACK)))
		return 0;
	if (len != 24) {
		if (o[2] & 1)
			PUT_LIT(l, " backup");
		PUT_LIT(l, " id ");
		put_u64(l, o[3]);
	}
	if (len == 12) {
		PUT_LIT(l, " token 0x");
		put_hex(l, be32(o + 4), 1);
		PUT_LIT(l, " nonce 0x");
		put_hex(l, be32(o + 8), 1);
	} else if (len == 16) {
		PUT_LIT(l, " hmac 0x");
		put_hex64(l, be64(o + 4));
		PUT_LIT(l, " nonce 0x");
		put_hex(l, be32(o + 12), 1);
	} else {
		PUT_LIT(l, " hmac 0x");
		put_bytes(l, o + 4, 20);
	}
	return 1;
}

/* A 4- or 8-byte number (the flag says which) if n bytes are left. */
static int mp_num(struct line *l, const uint8_t **o, uint32_t *n, int wide)
{
	uint32_t w = wide ? 8 : 4;

	if (*n < w)
		return 0;
	put_u64(l, wide ? be64(*o) : be32(*o));
	*o += w;
	*n -= w;
	return 1;
}

static int mp_dss(struct line *l, const uint8_t *o, uint32_t len, uint8_t flags)
{
	uint8_t f;

	if (len < 4 || (flags & TCP_SYN))
		return 0;
	f = o[3];
	if (f & 0x10)
		PUT_LIT(l, " fin");
	o += 4;
	len -= 4;
	if (f & 0x01) {
		PUT_LIT(l, " ack ");
		if (!mp_num(l, &o, &len, f & 0x02))
			return 0;
	}
	if (f & 0x04) {
		PUT_LIT(l, " seq ");
		if (!mp_num(l, &o, &len, f & 0x08))
			return 0;
		if (len < 4)
			return 0;
		PUT_LIT(l, " subseq ");
		put_u64(l, be32(o));
		if (len < 6)
			return 0;
		PUT_LIT(l, " len ");
		put_u64(l, be16(o + 4));
		o += 6;
		len -= 6;
		if (len >= 2) {
			PUT_LIT(l, " csum 0x");
			put_hex(l, be16(o), 1);
			len -= 2;
		}
	}
	return len == 0;
}

static const struct tok mp_addr_echo[] = {
	{ 0x6, "v0-ip6" }, { 0x4, "v0-ip4" }, { 0x1, "v1-echo" }, { 0x0, "v1" }, { 0, NULL },
};

static int mp_add_addr(struct line *l, const uint8_t *o, uint32_t len)
{
	const char *name = tok_find(mp_addr_echo, o[2] & 0xf);
	int v6 = len >= 20;
	uint32_t a = v6 ? 20 : 8; /* the end of the address */

	if (len != 8 && len != 10 && len != 16 && len != 18 && len != 20 && len != 22 &&
	    len != 28 && len != 30)
		return 0;
	put_ch(l, ' ');
	put_str(l, name ? name : "[bad version/echo]");
	PUT_LIT(l, " id ");
	put_u64(l, o[3]);
	put_ch(l, ' ');
	put_addr(l, o + 4, v6);
	if (len == a + 2 || len == a + 10) {
		put_ch(l, ':');
		put_u64(l, be16(o + a));
	}
	if (len == a + 8 || len == a + 10) {
		PUT_LIT(l, " hmac 0x");
		put_hex64(l, be64(o + len - 8));
	}
	return 1;
}

static const char *const mp_names[] = {
	"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail", "fast-close", "unknown",
};

static int put_mptcp(struct line *l, const uint8_t *o, uint32_t len, uint8_t flags)
{
	uint32_t sub;

	if (len < 3)
		return 0;
	sub = o[2] >> 4;
	if (sub > 8)
		sub = 8;
	put_ch(l, ' ');
	put_u64(l, len);
	put_ch(l, ' ');
	put_str(l, mp_names[sub]);
	switch (sub) {
	case 0:
		return mp_capable(l, o, len, flags);
	case 1:
		return mp_join(l, o, len, flags);
	case 2:
		return mp_dss(l, o, len, flags);
	case 3:
		return mp_add_addr(l, o, len);
	case 4: /* remove: the address ids */
		if (len < 4)
			return 0;
		PUT_LIT(l, " id");
		for (uint32_t i = 3; i < len; i++) {
			put_ch(l, ' ');
			put_u64(l, o[i]);
		}
		return 1;
	case 5: /* priority */
		if (len != 3 && len != 4)
			return 0;
		put_str(l, o[2] & 1 ? " backup" : " non-backup");
		if (len == 4) {
			PUT_LIT(l, " id ");
			put_u64(l, o[3]);
		}
		return 1;
	case 6: /* fail: the data sequence number */
	case 7: /* fast close: the receiver's key */
		if (len != 12)
			return 0;
		if (sub == 6) {
			PUT_LIT(l, " seq ");
			put_u64(l, be64(o + 4));
		} else {
			PUT_LIT(l, " key 0x");
			put_hex64(l, be64(o + 4));
		}
		return 1;
	}
	return 1;
}
