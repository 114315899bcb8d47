// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: tunnels: GRE, IP in IP, VXLAN, Geneve, MPLS, and the packet inside
 *
 * Each decoder reads the tunnel's header from the bytes the record carries
 * (r->hdr, bounds-checked), prints it as tcpdump -n does, and hands what it
 * carries to put_inner(), which parses it as a packet of its own. Lengths
 * come from the outer headers (as tcpdump's do); the carried bytes, at most
 * SC_HDR_MAX of them, only say how far the line can go before its
 * truncation mark. tcpdump breaks some of these lines (VXLAN always, GRE,
 * Geneve and MPLS with -v); sockcap keeps one line per packet.
 */
#include "decode.h"
#include "parse.h"

/* The bytes of a header: cap of them are there, of len on the wire. */
struct bytes {
	const uint8_t *p;
	uint32_t cap;
	uint32_t len;
};

static int has(const struct bytes *b, uint32_t off, uint32_t n)
{
	return off <= b->cap && n <= b->cap - off;
}

/* A 4-byte field at off, carried and within the length the header gives. */
static int has_field4(const struct bytes *b, uint32_t off)
{
	return has(b, off, 4) && b->len >= off + 4;
}

/* Payloads by EtherType, with tcpdump's names (-e shows them). */
static const struct tok tunnel_protos[] = {
	{ SC_ETH_P_IP, "IPv4" },
	{ SC_ETH_P_IPV6, "IPv6" },
	{ SC_ETH_P_ARP, "ARP" },
	{ SC_ETH_P_TEB, "TEB" },
	{ SC_ETH_P_MPLS, "MPLS unicast" },
	{ SC_ETH_P_MPLS_MC, "MPLS multicast" },
	{ SC_ETH_P_8021Q, "802.1Q" },
	{ 0x8035, "Reverse ARP" },
	{ 0x880b, "PPP" },
	{ 0x8137, "IPX" },
	{ 0x809b, "Appletalk" },
	{ 0x00fe, "OSI" },
	{ 0, NULL },
};

/* ", proto NAME (0xNNNN)", as GRE and Geneve show their payload with -e */
static void put_tunnel_proto(struct printer *pr, struct line *l, uint16_t proto)
{
	const char *name = tok_find(tunnel_protos, proto);

	if (!pr->o.eflag)
		return;
	PUT_LIT(l, ", proto ");
	put_str(l, name ? name : "unknown");
	PUT_LIT(l, " (0x");
	put_hex(l, proto, 4);
	put_ch(l, ')');
}

/* The packet at off of b, of the given EtherType (0: an Ethernet frame). */
static void put_payload(struct printer *pr, struct line *l, const struct bytes *b, uint32_t off,
			uint16_t ethertype)
{
	uint32_t len = b->len > off ? b->len - off : 0;
	uint32_t cap = b->cap > off ? b->cap - off : 0;

	/* as tcpdump, nothing past the length the outer header gives */
	put_inner(pr, l, b->p + off, cap < len ? cap : len, len, ethertype);
}

/*
 * What GRE or Geneve carries, by its protocol type: an IP or MPLS packet,
 * an Ethernet frame (transparent Ethernet bridging), and for Geneve (wide)
 * ARP and multicast MPLS too, as tcpdump decodes them; any other type by
 * its number ("gre-proto-0x88be").
 */
static void put_carried(struct printer *pr, struct line *l, const struct bytes *b, uint32_t off,
			uint16_t proto, bool wide, const char *name)
{
	switch (proto) {
	case SC_ETH_P_ARP:
	case SC_ETH_P_MPLS_MC:
		if (!wide)
			break;
		/* fall through */
	case SC_ETH_P_IP:
	case SC_ETH_P_IPV6:
	case SC_ETH_P_MPLS:
		put_payload(pr, l, b, off, proto);
		return;
	case SC_ETH_P_TEB:
		put_payload(pr, l, b, off, 0);
		return;
	}
	put_str(l, name);
	PUT_LIT(l, "-proto-0x");
	put_hex(l, proto, 1);
}

/* ----------------------------------------------------------------- GRE */

#define GRE_CP 0x8000 /* checksum present */
#define GRE_RP 0x4000 /* routing present (RFC 1701, obsolete) */
#define GRE_KP 0x2000 /* key present */
#define GRE_SP 0x1000 /* sequence number present */
#define GRE_AP 0x0080 /* acknowledgment number present (RFC 2637, v1) */

static const struct tok gre_flags[] = {
	{ GRE_CP, "checksum present" },
	{ GRE_RP, "routing present" },
	{ GRE_KP, "key present" },
	{ GRE_SP, "sequence# present" },
	{ 0x0800, "source routing present" },
	{ GRE_AP, "ack present" },
	{ 0, NULL },
};

static void put_gre_flags(struct printer *pr, struct line *l, uint16_t flags)
{

	if (!pr->o.vflag)
		return;
	PUT_LIT(l, ", Flags [");
	put_tok_bits(l, gre_flags, flags);
	put_ch(l, ']');
}

/*
 * A GRE v0 header's optional fields (RFC 2784, RFC 2890): off is where
 * they start; returns where the payload does, or 0 if the header is cut.
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|  reserved0  | Ver |         protocol type           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      checksum (optional)      |      offset (optional)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         key (optional)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   sequence number (optional)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static uint32_t put_gre0_fields(struct printer *pr, struct line *l, const struct bytes *b,
				uint16_t flags)
{
	uint32_t off = 4;

	if (flags & (GRE_CP | GRE_RP)) {
		if (!has_field4(b, off))
			return 0;
		if (pr->o.vflag) {
			PUT_LIT(l, ", sum 0x");
			put_hex(l, be16(b->p + off), 1);
		}
		PUT_LIT(l, ", off 0x");
		put_hex(l, be16(b->p + off + 2), 1);
		off += 4;
	}
	if (flags & GRE_KP) {
		if (!has_field4(b, off))
			return 0;
		PUT_LIT(l, ", key=0x");
		put_hex(l, be32(b->p + off), 1);
		off += 4;
	}
	if (flags & GRE_SP) {
		if (!has_field4(b, off))
			return 0;
		PUT_LIT(l, ", seq ");
		put_u64(l, be32(b->p + off));
		off += 4;
	}
	return off;
}

/* RFC 2637 (PPTP): call id, sequence and acknowledgment numbers. */
static uint32_t put_gre1_fields(struct line *l, const struct bytes *b, uint16_t flags)
{
	uint32_t off = 4;

	if (flags & GRE_KP) {
		if (!has_field4(b, off))
			return 0;
		PUT_LIT(l, ", call ");
		put_u64(l, be16(b->p + off + 2));
		off += 4;
	}
	if (flags & GRE_SP) {
		if (!has_field4(b, off))
			return 0;
		PUT_LIT(l, ", seq ");
		put_u64(l, be32(b->p + off));
		off += 4;
	}
	if (flags & GRE_AP) {
		if (!has_field4(b, off))
			return 0;
		PUT_LIT(l, ", ack ");
		put_u64(l, be32(b->p + off));
		off += 4;
	}
	if (!(flags & GRE_SP))
		PUT_LIT(l, ", no-payload");
	return off;
}

/*
 * GRE, as tcpdump: "GREv0, key=0x1234, seq 7, length 60: " and the packet
 * it carries; "length" is GRE's header and payload by the IP length.
 * Not decoded: RFC 1701 source routes (the payload after them) and PPTP's
 * PPP payload; the line ends after the GRE header for them.
 */
static void put_gre(struct printer *pr, struct line *l, const struct bytes *b)
{
	uint16_t flags, proto, ver;
	uint32_t off;

	if (!has(b, 0, 2) || b->len < 2) {
		PUT_LIT(l, " [|gre]");
		return;
	}
	flags = be16(b->p);
	ver = flags & 7;
	PUT_LIT(l, "GREv");
	put_u64(l, ver);
	if (ver > 1) {
		PUT_LIT(l, " ERROR: unknown-version");
		return;
	}
	if (ver == 0)
		put_gre_flags(pr, l, flags);
	if (!has(b, 2, 2) || b->len < 4) {
		PUT_LIT(l, " [|gre]");
		return;
	}
	if (ver == 1)
		put_gre_flags(pr, l, flags);
	proto = be16(b->p + 2);
	off = ver ? put_gre1_fields(l, b, flags) : put_gre0_fields(pr, l, b, flags);
	if (!off) {
		PUT_LIT(l, " [|gre]");
		return;
	}
	put_tunnel_proto(pr, l, proto);
	PUT_LIT(l, ", length ");
	put_u64(l, b->len);
	if (ver == 1 || (flags & GRE_RP))
		return;
	PUT_LIT(l, ": ");
	put_carried(pr, l, b, off, proto, false, "gre");
}

/*
 * An IP payload that is a tunnel: GRE (47), or an IPv4 (4) or IPv6 (41)
 * packet, which tcpdump prints straight after the outer addresses.
 */
int put_ip_tunnel(struct printer *pr, struct line *l, const struct sc_record *r)
{
	struct bytes b = { r->hdr, r->hdr_len, r->l4_len };

	switch (r->l4proto) {
	case SC_IPPROTO_GRE:
		put_gre(pr, l, &b);
		return 1;
	case SC_IPPROTO_IPIP:
		put_payload(pr, l, &b, 0, SC_ETH_P_IP);
		return 1;
	case SC_IPPROTO_IPV6:
		put_payload(pr, l, &b, 0, SC_ETH_P_IPV6);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------- VXLAN, Geneve */

/*
 * VXLAN (RFC 7348) and the Ethernet frame it carries:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|               reserved                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN network identifier       |   reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * tcpdump starts the inner frame on a line of its own; here a space.
 */
static void put_vxlan(struct printer *pr, struct line *l, const struct bytes *b)
{
	PUT_LIT(l, "VXLAN");
	if (b->len < 8) {
		PUT_LIT(l, " (invalid)");
		return;
	}
	if (!has(b, 0, 1)) {
		PUT_LIT(l, " [|vxlan]");
		return;
	}
	put_str(l, b->p[0] & 0x08 ? ", flags [I] (0x" : ", flags [invalid] (0x");
	put_hex(l, b->p[0], 2);
	PUT_LIT(l, "), ");
	if (!has(b, 4, 3)) {
		PUT_LIT(l, " [|vxlan]");
		return;
	}
	PUT_LIT(l, "vni ");
	put_u64(l, (uint32_t)b->p[4] << 16 | be16(b->p + 5));
	put_ch(l, ' ');
	if (!has(b, 7, 1)) {
		PUT_LIT(l, " [|vxlan]");
		return;
	}
	put_payload(pr, l, b, 8, 0);
}

/* RFC 8926 option classes, as tcpdump names them */
static const char *geneve_class(uint16_t c)
{
	static const struct tok classes[] = {
		{ 0x0100, "Linux" },
		{ 0x0101, "Open vSwitch" },
		{ 0x0102, "Open Virtual Networking (OVN)" },
		{ 0x0103, "In-band Network Telemetry (INT)" },
		{ 0x0104, "VMware" },
		{ 0, NULL },
	};
	const char *name = tok_find(classes, c);

	if (name)
		return name;
	if (c <= 0x00ff)
		return "Standard";
	return c >= 0xfff0 ? "Experimental" : "Unknown";
}

/*
 * Geneve options with -v, at most a few: each takes some 60 columns and
 * 4 bytes, and the line has room for the packet they come with too.
 */
#define GENEVE_MAX_OPTS 4

static void put_geneve_opts(struct line *l, const uint8_t *p, uint32_t len)
{
	for (int n = 0; len > 0; n++) {
		uint32_t olen;

		if (n == GENEVE_MAX_OPTS) {
			PUT_LIT(l, ", ...");
			return;
		}
		if (n)
			PUT_LIT(l, ", ");
		olen = 4 + (p[3] & 0x1f) * 4u;
		PUT_LIT(l, "class ");
		put_str(l, geneve_class(be16(p)));
		PUT_LIT(l, " (0x");
		put_hex(l, be16(p), 1);
		PUT_LIT(l, ") type 0x");
		put_hex(l, p[2], 1);
		if (p[2] & 0x80)
			PUT_LIT(l, "(C)");
		PUT_LIT(l, " len ");
		put_u64(l, olen);
		if (olen > len) {
			PUT_LIT(l, " [bad length]");
			return;
		}
		p += olen;
		len -= olen;
	}
}

/*
 * Geneve (RFC 8926):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Variable-Length Options                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void put_geneve(struct printer *pr, struct line *l, const struct bytes *b)
{
	static const char *const flag_names[8] = { "R6", "R5", "R4", "R3", "R2", "R1", "C", "O" };
	const uint8_t *h = b->p;
	uint32_t optlen;
	uint16_t proto;
	int any = 0;

	PUT_LIT(l, "Geneve");
	if (b->len < 8) {
		PUT_LIT(l, " [length ");
		put_u64(l, b->len);
		PUT_LIT(l, " < 8] (invalid)");
		return;
	}
	if (!has(b, 0, 8)) {
		PUT_LIT(l, " [|geneve]");
		return;
	}
	if (h[0] >> 6) {
		PUT_LIT(l, " ERROR: unknown-version ");
		put_u64(l, h[0] >> 6);
		return;
	}
	PUT_LIT(l, ", Flags [");
	for (int i = 7; i >= 0; i--)
		if (h[1] & (1 << i)) {
			put_str(l, flag_names[i]);
			any = 1;
		}
	if (!any)
		PUT_LIT(l, "none");
	PUT_LIT(l, "], vni 0x");
	put_hex(l, (uint32_t)h[4] << 16 | be16(h + 5), 1);
	if (h[7]) {
		PUT_LIT(l, ", rsvd 0x");
		put_hex(l, h[7], 1);
	}
	proto = be16(h + 2);
	put_tunnel_proto(pr, l, proto);
	optlen = (h[0] & 0x3f) * 4u;
	if (b->len - 8 < optlen) {
		PUT_LIT(l, " truncated-geneve - ");
		put_u64(l, optlen - (b->len - 8));
		PUT_LIT(l, " bytes missing");
		return;
	}
	if (!has(b, 8, optlen)) {
		PUT_LIT(l, " [|geneve]");
		return;
	}
	if (optlen) {
		PUT_LIT(l, ", options [");
		if (pr->o.vflag) {
			put_geneve_opts(l, h + 8, optlen);
		} else {
			put_u64(l, optlen);
			PUT_LIT(l, " bytes");
		}
		put_ch(l, ']');
	}
	PUT_LIT(l, ": ");
	put_carried(pr, l, b, 8 + optlen, proto, true, "geneve");
}

/*
 * VXLAN or Geneve by either port, VXLAN first (tcpdump's order). tcpdump
 * takes a source port of 49152 for Broadcom's LI shim before either;
 * sockcap has no decoder for that and shows the tunnel the ports name.
 */
int put_udp_tunnel(struct printer *pr, struct line *l, const struct sc_record *r)
{
	uint16_t sp = r->l4.udp.sport, dp = r->l4.udp.dport;
	uint32_t cap = r->hdr_len > 8 ? r->hdr_len - 8u : 0;
	struct bytes b = { r->hdr + 8, cap, r->l4.udp.len - 8u };

	if (sp == SC_PORT_VXLAN || dp == SC_PORT_VXLAN)
		put_vxlan(pr, l, &b);
	else if (sp == SC_PORT_GENEVE || dp == SC_PORT_GENEVE)
		put_geneve(pr, l, &b);
	else
		return 0;
	return 1;
}

/* ---------------------------------------------------------------- MPLS */

/*
 * Label stack entries shown at most: each takes up to 50 columns, and a
 * stack of 32 (what 128 bytes hold) would not fit the line.
 */
#define MPLS_MAX_LABELS 12

static const char *const mpls_reserved[16] = {
	"IPv4 explicit NULL",
	"router alert",
	"IPv6 explicit NULL",
	"implicit NULL",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
	"rsvd",
};

/*
 * RFC 3032 label stack entries, then the packet under the bottom one,
 * IPv4 or IPv6 by the explicit NULL labels or the version nibble, as
 * tcpdump guesses it:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Label                  | TC  |S|      TTL      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void put_mpls(struct printer *pr, struct line *l, const struct sc_record *r)
{
	struct bytes b = { r->hdr, r->hdr_len, r->l4_len };
	uint32_t off = 0, e = 0, label;
	uint16_t type = 0;

	PUT_LIT(l, "MPLS");
	for (int n = 0; !(e & 0x100); n++, off += 4) {
		if (b.len < off + 4) {
			PUT_LIT(l, " (invalid)");
			return;
		}
		if (!has(&b, off, 4) || n == MPLS_MAX_LABELS) {
			PUT_LIT(l, " [|mpls]");
			return;
		}
		e = be32(b.p + off);
		label = e >> 12;
		PUT_LIT(l, " (label ");
		put_u64(l, label);
		if (pr->o.vflag && label < 16) {
			PUT_LIT(l, " (");
			put_str(l, mpls_reserved[label]);
			put_ch(l, ')');
		}
		PUT_LIT(l, ", tc ");
		put_u64(l, (e >> 9) & 7);
		if (e & 0x100)
			PUT_LIT(l, ", [S]");
		PUT_LIT(l, ", ttl ");
		put_u64(l, e & 0xff);
		put_ch(l, ')');
	}
	label = e >> 12;
	if (label == 0 || label == 3) {
		type = SC_ETH_P_IP;
	} else if (label == 2) {
		type = SC_ETH_P_IPV6;
	} else {
		if (b.len <= off)
			return;
		if (!has(&b, off, 1)) {
			PUT_LIT(l, " [|mpls]");
			return;
		}
		if (b.p[off] >= 0x45 && b.p[off] <= 0x4f)
			type = SC_ETH_P_IP;
		else if (b.p[off] >= 0x60 && b.p[off] <= 0x6f)
			type = SC_ETH_P_IPV6;
	}
	if (!type)
		return; /* tcpdump shows an unknown payload only in hex (-x) */
	put_ch(l, ' ');
	put_payload(pr, l, &b, off, type);
}

/* ------------------------------------------------- broken inner packets */

/*
 * A packet inside a packet whose parse stopped at a header it could not
 * use: keep that header's bytes in the record (hdr), so its line can say
 * what tcpdump says of it. b holds the inner packet.
 */
void sc_inner_keep(const struct sc_buf *b, struct sc_record *in)
{
	uint32_t off, n;

	if (!(in->flags & (SC_F_TRUNC | SC_F_BAD)))
		return;
	switch (in->layer) {
	case SC_L_IP:
	case SC_L_IP6:
		/* the network header: after the link header and its tags */
		off = 0;
		if (!(in->flags & SC_F_NOLINK))
			off = SC_ETH_HLEN + (in->flags & SC_F_VLAN2	 ? 8
					     : in->flags & SC_F_VLAN_INB ? 4
									 : 0);
		break;
	case SC_L_TCP:
	case SC_L_UDP:
		if (!(in->flags & SC_F_TRUNC))
			return;
		off = in->hdr_off; /* the cut L4 header */
		break;
	default:
		return;
	}
	if (off > b->len)
		return;
	n = b->len - off < SC_HDR_MAX ? b->len - off : SC_HDR_MAX;
	memcpy(in->hdr, b->data + off, n);
	in->hdr_off = off;
	in->hdr_len = n;
	/* the ports, when they are there: tcpdump prints them before its mark */
	if ((in->layer == SC_L_TCP || in->layer == SC_L_UDP) && n >= 4) {
		in->l4.tcp.sport = be16(in->hdr);
		in->l4.tcp.dport = be16(in->hdr + 2);
	}
}

/*
 * The network header of a packet inside a packet that the parser could
 * not use, in tcpdump's words (its ip_print() and ip6_print() checks, in
 * their order); r->hdr holds the header's bytes (sc_inner_keep()).
 * Returns 0 for a header whose fault lies further on (IPv4 options, IPv6
 * extension headers): the usual line, with its mark, says that.
 */
int put_inner_ip_bad(struct printer *pr, struct line *l, const struct sc_record *r, int v6)
{
	const uint8_t *h = r->hdr;
	uint32_t n = r->hdr_len, ver = n ? h[0] >> 4 : 0, hlen = n ? (h[0] & 15) * 4u : 0;

	if (r->layer != (v6 ? SC_L_IP6 : SC_L_IP) || !(r->flags & (SC_F_TRUNC | SC_F_BAD)))
		return 0;
	if (v6) {
		if (n < SC_IP6_HLEN) {
			PUT_LIT(l, " [|ip6]");
			return 1;
		}
		if (ver == 6)
			return 0;
		if (!pr->o.eflag)
			PUT_LIT(l, "IP6 ");
		PUT_LIT(l, "version error: ");
		put_u64(l, ver);
		PUT_LIT(l, " != 6");
		return 1;
	}
	if (!n) {
		PUT_LIT(l, " [|ip]");
		return 1;
	}
	if (ver != 4) {
		if (ver == 6) {
			PUT_LIT(l, "IP6, wrong link-layer encapsulation (invalid)");
		} else {
			PUT_LIT(l, "IP");
			put_u64(l, ver);
			PUT_LIT(l, " (invalid)");
		}
		return 1;
	}
	/* a header cut short, or broken in its first bytes */
	if (n >= SC_IP4_HLEN && hlen >= SC_IP4_HLEN && be16(h + 2) >= hlen)
		return 0;
	if (!pr->o.eflag)
		PUT_LIT(l, "IP ");
	if (n < SC_IP4_HLEN) {
		PUT_LIT(l, " [|ip]");
	} else if (hlen < SC_IP4_HLEN) {
		PUT_LIT(l, "bad-hlen ");
		put_u64(l, hlen);
	} else {
		PUT_LIT(l, "bad-len ");
		put_u64(l, be16(h + 2));
	}
	return 1;
}
