// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: one summary line per record, in the spirit of tcpdump -n
 *
 * This runs once per packet on the busiest path user space has, so lines are
 * assembled with small append helpers instead of printf: a line costs a few
 * hundred instructions.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode.h"
#include "parse.h"

/* ---------------------------------------------------------------- append */

void put_str(struct line *l, const char *s)
{
	put_mem(l, s, strlen(s));
}

/* At least width digits, zero-padded. */
void put_u_pad(struct line *l, uint64_t v, int width)
{
	char tmp[20];
	int n = sizeof(tmp);

	do {
		tmp[--n] = '0' + v % 10;
		v /= 10;
	} while (v || (int)sizeof(tmp) - n < width);
	put_mem(l, tmp + n, sizeof(tmp) - n);
}

void put_u64(struct line *l, uint64_t v)
{
	put_u_pad(l, v, 1);
}

void put_hex(struct line *l, uint32_t v, int min_digits)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[8];
	int n = sizeof(tmp);

	do {
		tmp[--n] = hex[v & 0xf];
		v >>= 4;
	} while (v || (int)sizeof(tmp) - n < min_digits);
	put_mem(l, tmp + n, sizeof(tmp) - n);
}

void put_mac(struct line *l, const uint8_t *m)
{
	for (int i = 0; i < 6; i++) {
		if (i)
			put_ch(l, ':');
		put_hex(l, m[i], 2);
	}
}

void put_ip4(struct line *l, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			put_ch(l, '.');
		put_u64(l, a[i]);
	}
}

void put_ip6(struct line *l, const uint8_t *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, a, tmp, sizeof(tmp))) {
		PUT_LIT(l, "?");
		return;
	}
	put_str(l, tmp);
}

/* -------------------------------------------------------------- tables */

const char *tok_find(const struct tok *t, unsigned int v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

void put_tok_bits(struct line *l, const struct tok *t, unsigned int v)
{
	int any = 0;

	for (; t->s; t++) {
		if (!(v & t->v))
			continue;
		if (any++)
			PUT_LIT(l, ", ");
		put_str(l, t->s);
	}
	if (!any)
		PUT_LIT(l, "none");
}

void put_nsources(struct line *l, unsigned int n, bool fits)
{
	if (n && !fits) {
		PUT_LIT(l, " [invalid number of sources]");
	} else if (n) {
		PUT_LIT(l, ", ");
		put_u64(l, n);
		PUT_LIT(l, " source(s)");
	}
}

static const struct tok ethertypes[] = {
	{ 0x0800, "IPv4" },
	{ 0x0806, "ARP" },
	{ 0x86dd, "IPv6" },
	{ 0x8100, "802.1Q" },
	{ 0x88a8, "802.1Q-QinQ" },
	{ 0x88cc, "LLDP" },
	{ 0x8035, "Reverse ARP" },
	{ 0x88e5, "802.1AE MACsec" },
	{ 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" },
	{ 0x888e, "EAPOL" },
	{ 0x8863, "PPPoE D" },
	{ 0x8864, "PPPoE S" },
	{ 0x0842, "Wake-on-LAN" },
	{ 0, NULL },
};

static const struct tok ipprotos[] = {
	{ 0, "Options" }, { 1, "ICMP" },   { 2, "IGMP" },     { 4, "IPIP" },	  { 6, "TCP" },
	{ 17, "UDP" },	  { 41, "IPv6" },  { 43, "Routing" }, { 44, "Fragment" }, { 47, "GRE" },
	{ 50, "ESP" },	  { 51, "AH" },	   { 58, "ICMPv6" },  { 89, "OSPF" },	  { 103, "PIM" },
	{ 112, "VRRP" },  { 132, "SCTP" }, { 0, NULL },
};

/* IEEE 802.2 SAPs, as tcpdump names them */
static const struct tok llc_saps[] = {
	{ 0x00, "Null" },  { 0xff, "Global" },	{ 0x02, "802.1B I" },  { 0x03, "802.1B G" },
	{ 0x06, "IP" },	   { 0x04, "SNA" },	{ 0x0e, "ProWay NM" }, { 0x42, "STP" },
	{ 0x4e, "RS511" }, { 0x7e, "ISO8208" }, { 0x8e, "ProWay" },    { 0xaa, "SNAP" },
	{ 0xe0, "IPX" },   { 0xf0, "NetBeui" }, { 0xfe, "OSI" },       { 0, NULL },
};

/* U-format commands, the poll/final bit (0x10) cleared */
static const struct tok llc_u_cmds[] = {
	{ 0x03, "ui" }, { 0xe3, "test" },  { 0xaf, "xid" },  { 0x63, "ua" }, { 0x43, "disc" },
	{ 0x0f, "dm" }, { 0x6f, "sabme" }, { 0x87, "frmr" }, { 0, NULL },
};

static const struct tok llc_s_cmds[] = {
	{ 0, "Receiver Ready" },
	{ 1, "Receiver not Ready" },
	{ 2, "Reject" },
	{ 0, NULL },
};

/* SNAP organisation codes (tcpdump's list) */
static const struct tok snap_ouis[] = {
	{ 0x000000, "Ethernet" },
	{ 0x00000c, "Cisco" },
	{ 0x00005e, "IANA" },
	{ 0x000081, "Nortel Networks SONMP" },
	{ 0x0000f8, "Cisco bridged" },
	{ 0x0080c2, "Ethernet bridged" },
	{ 0x00a03e, "ATM Forum" },
	{ 0x00e02f, "DOCSIS Spanning Tree" },
	{ 0x080007, "Appletalk" },
	{ 0x009069, "Juniper" },
	{ 0x080009, "Hewlett-Packard" },
	{ 0x00120f, "IEEE 802.3 Private" },
	{ 0x0012bb, "ANSI/TIA" },
	{ 0x001b21, "DCBX" },
	{ 0x002320, "Nicira Networks" },
	{ 0x5c16c7, "Big Switch Networks" },
	{ 0xb0d2f5, "Vello Systems" },
	{ 0x002481, "HP" },
	{ 0x0004ea, "HP-Labs" },
	{ 0x748771, "Infoblox Inc" },
	{ 0xa42305, "Open Networking Lab" },
	{ 0x00049f, "Freescale" },
	{ 0x0015ad, "Netronome" },
	{ 0x001018, "Broadcom" },
	{ 0x00e004, "PMC-Sierra" },
	{ 0xd0f0db, "Ericsson" },
	{ 0, NULL },
};

static const struct tok cisco_pids[] = {
	{ 0x2000, "CDP" },  { 0x2003, "VTP" },	       { 0x2004, "DTP" }, { 0x0111, "UDLD" },
	{ 0x010b, "PVST" }, { 0x010c, "VLAN Bridge" }, { 0, NULL },
};

/* RFC 2684 bridged protocols */
static const struct tok bridged_pids[] = {
	{ 0x0001, "Ethernet + FCS" },
	{ 0x0007, "Ethernet w/o FCS" },
	{ 0x0002, "802.4 + FCS" },
	{ 0x0008, "802.4 w/o FCS" },
	{ 0x0003, "Token Ring + FCS" },
	{ 0x0009, "Token Ring w/o FCS" },
	{ 0x0004, "FDDI + FCS" },
	{ 0x000a, "FDDI w/o FCS" },
	{ 0x0005, "802.6 + FCS" },
	{ 0x000b, "802.6 w/o FCS" },
	{ 0x000e, "BPDU" },
	{ 0, NULL },
};

static const struct tok stp_versions[] = {
	{ 0, "802.1d" }, { 2, "802.1w" }, { 3, "802.1s" }, { 4, "802.1aq" }, { 0, NULL },
};

static const struct tok stp_types[] = {
	{ 0x00, "Config" },
	{ 0x02, "Rapid STP" },
	{ 0x80, "Topology Change" },
	{ 0, NULL },
};

/* BPDU flags in tcpdump's order; the port role bits (0x0c) are not flags */
static const struct tok stp_flags[] = {
	{ 0x01, "Topology change" },
	{ 0x02, "Proposal" },
	{ 0x10, "Learn" },
	{ 0x20, "Forward" },
	{ 0x40, "Agreement" },
	{ 0x80, "Topology change ACK" },
	{ 0, NULL },
};

static const char *const layer_names[SC_L_MAX] = {
	[SC_L_NONE] = "packet", [SC_L_ETHER] = "ether", [SC_L_VLAN] = "vlan", [SC_L_ARP] = "arp",
	[SC_L_IP] = "ip",	[SC_L_IP6] = "ip6",	[SC_L_TCP] = "tcp",   [SC_L_UDP] = "udp",
	[SC_L_ICMP] = "icmp",	[SC_L_ICMP6] = "icmp6", [SC_L_LLC] = "llc",   [SC_L_SNAP] = "snap",
	[SC_L_STP] = "stp",
};

/* ------------------------------------------------------------- time */

void printer_init(struct printer *p, const struct print_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->o = *o;
	p->cached_sec = UINT64_MAX;
	printer_sync_clock(p);
}

static int64_t ts_of(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/*
 * Records carry CLOCK_TAI, which the kernel steps together with the wall
 * clock, so a clock step is reflected at capture time. TAI and UTC differ by
 * a whole number of seconds; read both and round the difference.
 */
void printer_sync_clock(struct printer *p)
{
	int64_t tai = ts_of(CLOCK_TAI), utc = ts_of(CLOCK_REALTIME);
	int64_t d = tai - utc;

	p->tai_offset_ns = (d + (d >= 0 ? 500000000 : -500000000)) / 1000000000 * 1000000000;
}

/* The time from b to a, signed, as HH:MM:SS.uuuuuu (hours may be more). */
static void put_hms_delta(struct line *l, uint64_t a, uint64_t b)
{
	uint64_t us;

	if (a < b) {
		put_ch(l, '-');
		us = (b - a) / 1000;
	} else {
		us = (a - b) / 1000;
	}
	put_u_pad(l, us / 3600000000ULL, 2);
	put_ch(l, ':');
	put_u_pad(l, us / 60000000 % 60, 2);
	put_ch(l, ':');
	put_u_pad(l, us / 1000000 % 60, 2);
	put_ch(l, '.');
	put_u_pad(l, us % 1000000, 6);
}

/* Local date and time of sec, cached: it changes once a second. */
static void cache_local_time(struct printer *pr, uint64_t sec)
{
	time_t t = (time_t)sec;
	struct tm tm;

	pr->cached_sec = sec;
	pr->cached_len = 0;
	if (localtime_r(&t, &tm))
		pr->cached_len =
			strftime(pr->cached_hms, sizeof(pr->cached_hms),
				 pr->o.ts == TS_DATE ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
	/* a time the C library cannot convert is shown in seconds */
	if (!pr->cached_len)
		pr->cached_len = (size_t)snprintf(pr->cached_hms, sizeof(pr->cached_hms), "%llu",
						  (unsigned long long)sec);
}

static void put_time(struct printer *pr, struct line *l, uint64_t ts_ns)
{
	/* unsigned: a file's timestamp may be any 64-bit number */
	uint64_t ns = ts_ns - (uint64_t)pr->tai_offset_ns;
	uint64_t sec = ns / 1000000000;
	uint32_t usec = (uint32_t)(ns % 1000000000) / 1000;

	switch (pr->o.ts) {
	case TS_NONE:
		return;
	case TS_EPOCH:
		put_u64(l, sec);
		put_ch(l, '.');
		put_u_pad(l, usec, 6);
		break;
	case TS_DELTA:
		put_hms_delta(l, ts_ns, pr->prev_ns ? pr->prev_ns : ts_ns);
		break;
	case TS_SINCE_FIRST:
		if (!pr->first_ns)
			pr->first_ns = ts_ns;
		put_hms_delta(l, ts_ns, pr->first_ns);
		break;
	case TS_TIME:
	case TS_DATE:
		if (sec != pr->cached_sec)
			cache_local_time(pr, sec);
		put_mem(l, pr->cached_hms, pr->cached_len);
		put_ch(l, '.');
		put_u_pad(l, usec, 6);
		break;
	}
	pr->prev_ns = ts_ns;
	put_ch(l, ' ');
}

/* ------------------------------------------------------------ layers */

void put_trunc(struct line *l, const struct sc_record *r)
{
	const char *name = r->layer < SC_L_MAX ? layer_names[r->layer] : "packet";

	if (r->flags & SC_F_TRUNC) {
		PUT_LIT(l, "[|");
		put_str(l, name);
		PUT_LIT(l, "]");
		return;
	}
	PUT_LIT(l, "[invalid ");
	put_str(l, name);
	PUT_LIT(l, "]");
}

static int stopped_at(const struct sc_record *r, enum sc_layer l)
{
	return r->layer == l && (r->flags & (SC_F_TRUNC | SC_F_BAD));
}

static void put_ethertype(struct line *l, uint16_t type)
{
	const char *name = tok_find(ethertypes, type);

	PUT_LIT(l, "ethertype ");
	put_str(l, name ? name : "Unknown");
	PUT_LIT(l, " (0x");
	put_hex(l, type, 4);
	PUT_LIT(l, ")");
}

void put_proto_name(struct line *l, uint8_t proto)
{
	const char *name = tok_find(ipprotos, proto);

	if (name)
		put_str(l, name);
	else
		PUT_LIT(l, "unknown");
	PUT_LIT(l, " (");
	put_u64(l, proto);
	PUT_LIT(l, ")");
}

const char *tcp_flag_letters(uint8_t flags, char s[9])
{
	static const char letters[] = "FSRP.UEW";
	size_t n = 0;

	for (int i = 0; i < 8; i++)
		if (flags & (1 << i))
			s[n++] = letters[i];
	s[n] = '\0';
	return n ? s : "none";
}

static void put_tcp(struct line *l, const struct sc_record *r)
{
	char letters[9];
	uint8_t f = r->l4.tcp.flags;
	uint32_t hlen = r->l4.tcp.doff * 4, len = r->l4_len - hlen;

	/* a header length the parser refused: tcpdump's words for it */
	if (hlen < 20) {
		PUT_LIT(l, " tcp ");
		put_u64(l, len);
		PUT_LIT(l, " [bad hdr length ");
		put_u64(l, hlen);
		PUT_LIT(l, " - too short, < 20]");
		return;
	}
	PUT_LIT(l, "Flags [");
	put_str(l, tcp_flag_letters(f, letters));
	put_ch(l, ']');
	if (hlen > r->l4_len) {
		PUT_LIT(l, " [bad hdr length ");
		put_u64(l, hlen);
		PUT_LIT(l, " - too long, > ");
		put_u64(l, r->l4_len);
		put_ch(l, ']');
		return;
	}
	/* as tcpdump: a bare acknowledgment carries no sequence number */
	if (len || (f & 0x07)) {
		PUT_LIT(l, ", seq ");
		put_u64(l, r->l4.tcp.seq);
	}
	if (len) {
		put_ch(l, ':');
		put_u64(l, (uint32_t)(r->l4.tcp.seq + len));
	}
	if (f & 0x10) {
		PUT_LIT(l, ", ack ");
		put_u64(l, r->l4.tcp.ack);
	}
	PUT_LIT(l, ", win ");
	put_u64(l, r->l4.tcp.win);
	if (put_tcp_options(l, r))
		return;
	PUT_LIT(l, ", length ");
	put_u64(l, len);
}

/* As tcpdump: the lengths it compares are those of the data, header excluded. */
static void put_udp(struct printer *pr, struct line *l, const struct sc_record *r)
{
	uint16_t ulen = r->l4.udp.len;

	if (r->l4_len < 8) {
		PUT_LIT(l, "truncated-udp ");
		put_u64(l, r->l4_len);
		return;
	}
	if (ulen < 8) {
		PUT_LIT(l, "truncated-udplength ");
		put_u64(l, ulen);
		return;
	}
	/* a first fragment's length field counts the later fragments too */
	if (ulen > r->l4_len && !(r->flags & SC_F_FRAG1)) {
		PUT_LIT(l, "UDP, bad length ");
		put_u64(l, ulen - 8);
		PUT_LIT(l, " > ");
		put_u64(l, r->l4_len - 8);
		return;
	}
	if (put_udp_tunnel(pr, l, r))
		return;
	PUT_LIT(l, "UDP, length ");
	put_u64(l, ulen - 8);
}

void put_addr(struct line *l, const uint8_t *a, int v6)
{
	if (v6)
		put_ip6(l, a);
	else
		put_ip4(l, a);
}

/* "src[.port] > dst[.port]: " */
static void put_endpoints(struct line *l, const struct sc_record *r, int v6, int ports)
{
	put_addr(l, r->src, v6);
	if (ports) {
		put_ch(l, '.');
		put_u64(l, r->l4.tcp.sport);
	}
	PUT_LIT(l, " > ");
	put_addr(l, r->dst, v6);
	if (ports) {
		put_ch(l, '.');
		put_u64(l, r->l4.tcp.dport);
	}
	PUT_LIT(l, ": ");
}

static void put_ip_verbose(struct line *l, const struct sc_record *r, int v6)
{
	put_ch(l, '(');
	if (v6) {
		if (r->tos) {
			PUT_LIT(l, "class 0x");
			put_hex(l, r->tos, 1);
			PUT_LIT(l, ", ");
		}
		if (r->flowlabel) {
			PUT_LIT(l, "flowlabel 0x");
			put_hex(l, r->flowlabel, 5);
			PUT_LIT(l, ", ");
		}
		PUT_LIT(l, "hlim ");
		put_u64(l, r->ttl);
		PUT_LIT(l, ", next-header ");
		put_proto_name(l, r->ext_n ? r->ext[0] : r->l4proto);
		PUT_LIT(l, " payload length: ");
		put_u64(l, r->ip_len);
	} else {
		uint16_t fl = r->frag & 0xe000;

		PUT_LIT(l, "tos 0x");
		put_hex(l, r->tos, 1);
		PUT_LIT(l, ", ttl ");
		put_u64(l, r->ttl);
		PUT_LIT(l, ", id ");
		put_u64(l, r->ip_id);
		PUT_LIT(l, ", offset ");
		put_u64(l, (r->frag & 0x1fff) * 8);
		PUT_LIT(l, ", flags [");
		if (!fl)
			PUT_LIT(l, "none");
		if (fl & 0x8000)
			PUT_LIT(l, "rsvd");
		if (fl & 0x4000)
			PUT_LIT(l, "DF");
		if (fl & 0x2000)
			put_ch(l, '+');
		PUT_LIT(l, "], proto ");
		put_proto_name(l, r->l4proto);
		PUT_LIT(l, ", length ");
		put_u64(l, r->ip_len);
	}
	PUT_LIT(l, ") ");
}

/*
 * A TCP or UDP header whose ports can be shown: a whole one, or, inside a
 * tunnel, a cut one whose first four bytes came along (put_inner).
 */
static int sc_has_ports(const struct sc_record *r)
{
	return (r->layer == SC_L_TCP || r->layer == SC_L_UDP) &&
	       (!(r->flags & SC_F_TRUNC) || r->hdr_len >= 4);
}

/* The transport's summary, after "src > dst: " (or the ports alone). */
static void put_transport(struct printer *pr, struct line *l, const struct sc_record *r)
{
	int ports = sc_has_ports(r);

	/*
	 * put_icmp() marks a cut ICMP message where tcpdump does, put_tcp()
	 * names a TCP header length the parser refused. Inside a tunnel,
	 * tcpdump's " [|udp]"; "[|tcp]" before TCP's ports.
	 */
	if (((r->flags & SC_F_TRUNC) || ((r->flags & SC_F_BAD) && r->layer != SC_L_TCP)) &&
	    r->layer != SC_L_ICMP && r->layer != SC_L_ICMP6) {
		if (pr->depth && (ports || r->layer != SC_L_TCP))
			put_ch(l, ' ');
		put_trunc(l, r);
		return;
	}
	switch (r->layer) {
	case SC_L_TCP:
		put_tcp(l, r);
		return;
	case SC_L_UDP:
		put_udp(pr, l, r);
		return;
	case SC_L_ICMP:
	case SC_L_ICMP6:
		put_icmp(pr, l, r);
		return;
	default:
		put_ipproto(pr, l, r);
		return;
	}
}

void put_l4(struct printer *pr, struct line *l, const struct sc_record *r)
{
	if ((r->layer == SC_L_TCP || r->layer == SC_L_UDP) && !(r->flags & SC_F_TRUNC)) {
		put_u64(l, r->l4.tcp.sport);
		PUT_LIT(l, " > ");
		put_u64(l, r->l4.tcp.dport);
		PUT_LIT(l, ": ");
	}
	put_transport(pr, l, r);
}

static void put_ip(struct printer *pr, struct line *l, const struct sc_record *r, int v6)
{
	enum sc_layer l3 = v6 ? SC_L_IP6 : SC_L_IP;
	int ext = v6 && r->ext_n, ports;

	/* a broken header inside a tunnel, in tcpdump's words (its bytes came along) */
	if (pr->depth && put_inner_ip_bad(pr, l, r, v6))
		return;
	/* with -e the ethertype already names the protocol, as in tcpdump */
	if (!pr->o.eflag)
		put_str(l, v6 ? "IP6 " : "IP ");
	if (!(r->flags & SC_F_ADDR)) {
		put_trunc(l, r);
		return;
	}
	if (pr->o.vflag)
		put_ip_verbose(l, r, v6);
	if (r->flags & SC_F_IPSHORT)
		PUT_LIT(l, "[truncated-ip] ");
	ports = sc_has_ports(r);
	/*
	 * As tcpdump: after IPv6 extension headers the ports alone; SCTP
	 * prints its addresses with its ports (put_ipproto).
	 */
	if (ext || !put_ipproto_ports(r))
		put_endpoints(l, r, v6, ports && !ext);
	if (ext && put_ext6(pr, l, r))
		return;
	if (r->layer == l3 && (r->flags & SC_F_BAD)) {
		put_trunc(l, r);
		return;
	}
	if (r->flags & SC_F_FRAG) {
		PUT_LIT(l, "frag offset ");
		put_u64(l, (r->frag & 0x1fff) * 8);
		PUT_LIT(l, ", ip-proto-");
		put_u64(l, r->l4proto);
		PUT_LIT(l, ", length ");
		put_u64(l, r->l4_len);
		return;
	}
	if (r->flags & SC_F_TOODEEP) {
		PUT_LIT(l, "[extension header chain too long]");
		return;
	}
	if (ext)
		put_l4(pr, l, r);
	else
		put_transport(pr, l, r);
}

static void put_arp(struct line *l, const struct sc_record *r, int eflag)
{
	static const uint8_t zero[6];
	uint16_t op = r->l4.arp.op;
	int ipv4 = r->l4.arp.hrd == 1 && r->l4.arp.pro == SC_ETH_P_IP && r->l4.arp.hln == 6 &&
		   r->l4.arp.pln == 4;

	if (!eflag)
		PUT_LIT(l, "ARP, ");
	if (r->flags & (SC_F_TRUNC | SC_F_BAD)) {
		put_trunc(l, r);
		return;
	}
	if (ipv4 && op == 1) {
		PUT_LIT(l, "Request who-has ");
		put_ip4(l, r->dst);
		if (memcmp(r->l4.arp.tha, zero, 6)) {
			PUT_LIT(l, " (");
			put_mac(l, r->l4.arp.tha);
			put_ch(l, ')');
		}
		PUT_LIT(l, " tell ");
		put_ip4(l, r->src);
	} else if (ipv4 && op == 2) {
		PUT_LIT(l, "Reply ");
		put_ip4(l, r->src);
		PUT_LIT(l, " is-at ");
		put_mac(l, r->l4.arp.sha);
	} else {
		PUT_LIT(l, "hardware ");
		put_u64(l, r->l4.arp.hrd);
		PUT_LIT(l, ", proto 0x");
		put_hex(l, r->l4.arp.pro, 4);
		PUT_LIT(l, ", op ");
		put_u64(l, op);
	}
	PUT_LIT(l, ", length ");
	put_u64(l, r->l4_len);
}

static const char *direction(uint8_t pkttype)
{
	switch (pkttype) {
	case PACKET_HOST:
		return "In ";
	case PACKET_OUTGOING:
		return "Out";
	case PACKET_BROADCAST:
		return "B  ";
	case PACKET_MULTICAST:
		return "M  ";
	case PACKET_OTHERHOST:
		return "P  ";
	}
	return "?  ";
}

static void put_vlan(struct line *l, uint16_t tci)
{
	PUT_LIT(l, "vlan ");
	put_u64(l, tci & 0x0fff);
	PUT_LIT(l, ", p ");
	put_u64(l, tci >> 13);
	PUT_LIT(l, ", ");
}

/* "NAME (0xNN)" of a SAP, the I/G or C/R bit cleared */
static void put_sap(struct line *l, uint8_t sap)
{
	const char *name = tok_find(llc_saps, sap);

	put_str(l, name ? name : "Unknown");
	PUT_LIT(l, " (0x");
	put_hex(l, sap, 2);
	put_ch(l, ')');
}

/* Without -e tcpdump names an unknown SAP with its number. */
static void put_sap_short(struct line *l, uint8_t sap, const char *unknown)
{
	const char *name = tok_find(llc_saps, sap);

	if (name) {
		put_str(l, name);
		return;
	}
	put_str(l, unknown);
	put_hex(l, sap, 2);
}

/*
 * RFC 1042 SNAP: the organisation and the protocol it numbers. Without -e
 * as tcpdump shows a SNAP protocol it does not decode: after the MAC
 * addresses, and the encapsulated Ethernet without its OUI.
 */
static void put_snap(struct printer *pr, struct line *l, const struct sc_record *r)
{
	uint32_t oui = r->l4.llc.snap.oui;
	uint16_t pid = r->l4.llc.snap.pid;
	const struct tok *pids = NULL;
	const char *name = tok_find(snap_ouis, oui);

	if (!pr->o.eflag) {
		if (!(r->flags & SC_F_NOLINK)) {
			put_mac(l, r->mac_src);
			PUT_LIT(l, " > ");
			put_mac(l, r->mac_dst);
			put_ch(l, ' ');
		}
		PUT_LIT(l, "SNAP, ");
	}
	if (oui || pr->o.eflag) {
		PUT_LIT(l, "oui ");
		put_str(l, name ? name : "Unknown");
		PUT_LIT(l, " (0x");
		put_hex(l, oui, 6);
		PUT_LIT(l, "), ");
	}
	put_str(l, oui ? "pid " : "ethertype ");
	/* the encapsulated Ethernet, Cisco bridging and AppleTalk use EtherTypes */
	if (oui == 0x000000 || oui == 0x0000f8 || oui == 0x080007)
		pids = ethertypes;
	else if (oui == 0x00000c)
		pids = cisco_pids;
	else if (oui == 0x0080c2)
		pids = bridged_pids;
	name = pids ? tok_find(pids, pid) : NULL;
	put_str(l, name ? name : "Unknown");
	PUT_LIT(l, " (0x");
	put_hex(l, pid, 4);
	PUT_LIT(l, "), length ");
	put_u64(l, r->l4_len - 8);
}

/*
 * A spanning tree BPDU with tcpdump's words, and the fields it prints
 * without -v (its -v adds timers, the root and MSTP's instances).
 */
static void put_stp(struct line *l, const struct sc_record *r)
{
	uint8_t version = r->l4.llc.stp.version, type = r->l4.llc.stp.type;
	uint8_t flags = r->l4.llc.stp.flags;
	const uint8_t *b = r->l4.llc.stp.bridge;
	uint32_t len = r->l4_len - 3;
	const char *name;

	if (len < 4) {
		PUT_LIT(l, "(invalid)");
		return;
	}
	if (r->l4.llc.stp.proto) {
		PUT_LIT(l, "unknown STP version, length ");
		put_u64(l, len);
		return;
	}
	PUT_LIT(l, "STP ");
	name = tok_find(stp_versions, version);
	if (!name) {
		PUT_LIT(l, "Unknown STP protocol (0x");
		put_hex(l, version, 2);
		put_ch(l, ')');
		return;
	}
	put_str(l, name);
	PUT_LIT(l, ", ");
	name = tok_find(stp_types, type);
	if (name) {
		put_str(l, name);
	} else {
		PUT_LIT(l, "Unknown BPDU Type (0x");
		put_hex(l, type, 2);
		put_ch(l, ')');
	}
	if (r->flags & SC_F_BAD) {
		PUT_LIT(l, " (invalid)");
		return;
	}
	if (type != 0 && type != 2)
		return;
	if (type == 2 && version == 0)
		return; /* a rapid BPDU of plain 802.1D: tcpdump shows no more */
	put_str(l, version > 2 && type == 2 ? ", CIST Flags [" : ", Flags [");
	put_tok_bits(l, stp_flags, flags);
	put_ch(l, ']');
	if (version <= 2 || type != 2) {
		/* bridge priority and MAC address, then the port */
		PUT_LIT(l, ", bridge-id ");
		put_hex(l, b[0], 2);
		put_hex(l, b[1], 2);
		put_ch(l, '.');
		put_mac(l, b + 2);
		put_ch(l, '.');
		put_hex(l, r->l4.llc.stp.port, 4);
	}
	PUT_LIT(l, ", length ");
	put_u64(l, len);
}

/*
 * IEEE 802.2 LLC, as tcpdump prints it: with -e the header, then SNAP,
 * STP or a summary of the frame's format (without -e after the MAC
 * addresses and SAP names, for other SAPs).
 */
static void put_llc(struct printer *pr, struct line *l, const struct sc_record *r)
{
	uint8_t dsap_f = r->l4.llc.dsap, ssap_f = r->l4.llc.ssap;
	uint8_t dsap = dsap_f & 0xfe, ssap = ssap_f & 0xfe;
	uint16_t ctrl = r->l4.llc.ctrl;
	int u = (ctrl & 3) == 3, resp = ssap_f & 1;

	if (stopped_at(r, SC_L_LLC)) {
		put_trunc(l, r);
		return;
	}
	/* Novell's raw 802.3: an IPX packet (checksum 0xffff), no LLC header */
	if (dsap_f == 0xff && ssap_f == 0xff) {
		PUT_LIT(l, "IPX 802.3, length ");
		put_u64(l, r->l4_len);
		return;
	}
	if (pr->o.eflag) {
		PUT_LIT(l, "LLC, dsap ");
		put_sap(l, dsap);
		put_str(l, dsap_f & 1 ? " Group, ssap " : " Individual, ssap ");
		put_sap(l, ssap);
		put_str(l, resp ? " Response, ctrl 0x" : " Command, ctrl 0x");
		put_hex(l, ctrl, u ? 2 : 4);
		PUT_LIT(l, ": ");
	}
	if (r->layer == SC_L_SNAP || r->layer == SC_L_STP) {
		if (r->flags & SC_F_TRUNC)
			put_trunc(l, r);
		else if (r->layer == SC_L_SNAP)
			put_snap(pr, l, r);
		else
			put_stp(l, r);
		return;
	}
	if (!pr->o.eflag) {
		int link = !(r->flags & SC_F_NOLINK);

		if (link) {
			put_mac(l, r->mac_src);
			put_ch(l, ' ');
		}
		if (ssap != dsap) {
			put_sap_short(l, ssap, "Unknown SSAP 0x");
			put_ch(l, ' ');
		}
		if (link || ssap != dsap)
			PUT_LIT(l, "> ");
		if (link) {
			put_mac(l, r->mac_dst);
			put_ch(l, ' ');
		}
		put_sap_short(l, dsap, "Unknown DSAP 0x");
		put_ch(l, ' ');
	}
	if (u) {
		const char *cmd = tok_find(llc_u_cmds, ctrl & 0xef);

		PUT_LIT(l, "Unnumbered, ");
		if (cmd)
			put_str(l, cmd);
		else
			put_hex(l, ctrl & 0xef, 2);
		ctrl &= 0x10; /* poll/final */
	} else if (ctrl & 1) {
		const char *cmd = tok_find(llc_s_cmds, (ctrl >> 2) & 3);

		PUT_LIT(l, "Supervisory, ");
		put_str(l, cmd ? cmd : "?");
		PUT_LIT(l, ", rcv seq ");
		put_u64(l, (ctrl >> 9) & 0x7f);
		ctrl &= 0x100;
	} else {
		PUT_LIT(l, "Information, send seq ");
		put_u64(l, (ctrl >> 1) & 0x7f);
		PUT_LIT(l, ", rcv seq ");
		put_u64(l, (ctrl >> 9) & 0x7f);
		ctrl &= 0x100;
	}
	PUT_LIT(l, ", Flags [");
	if (ctrl)
		put_str(l, resp ? "Final" : "Poll");
	else
		put_str(l, resp ? "Response" : "Command");
	PUT_LIT(l, "], length ");
	put_u64(l, r->l4_len);
}

/* An 802.3 frame (a length, not an EtherType), or 802.2 on a cooked capture */
static int is_llc(const struct sc_record *r)
{
	if (r->flags & SC_F_NOLINK)
		return r->ethertype == SC_ETH_P_802_2;
	return r->ethertype <= 1500;
}

/* Where -e shows the EtherType of an 802.3 frame: its LLC length. */
static void put_dot3(struct line *l, const struct sc_record *r)
{
	put_str(l, r->flags & SC_F_NOLINK ? "802.2, length " : "802.3, length ");
	put_u64(l, r->l4_len);
	PUT_LIT(l, ": ");
}

/*
 * A payload sockcap does not decode: a named EtherType by its name, as
 * tcpdump's "LLDP, length 20"; another (or a tag past the two the parser
 * walks) by its number, unless -e has just shown it.
 */
static void put_other(struct printer *pr, struct line *l, const struct sc_record *r)
{
	uint16_t type = r->ethertype;
	const char *name = tok_find(ethertypes, type);

	if (name && type != SC_ETH_P_8021Q && type != SC_ETH_P_8021AD) {
		put_str(l, name);
		PUT_LIT(l, ", ");
	} else if (!pr->o.eflag) {
		put_ethertype(l, type);
		PUT_LIT(l, ", ");
	}
	PUT_LIT(l, "length ");
	put_u64(l, r->l4_len);
}

/*
 * An interface name as the kernel or a file gives it: control characters,
 * spaces and bytes past ASCII as \xHH, so a name cannot move the columns
 * or talk to the terminal, and at most SC_IFNAME_COLS bytes of it.
 */
static void put_ifname(struct line *l, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *n = (const unsigned char *)name;
	char col[SC_IFNAME_COLS];
	size_t len = 0;

	for (; *n; n++) {
		size_t w = *n > ' ' && *n < 0x7f ? 1 : 4;

		/* keep room for "..." unless this is the name's last byte */
		if (len + w > sizeof(col) - (n[1] ? 3 : 0)) {
			memcpy(col + len, "...", 3);
			len += 3;
			break;
		}
		if (w == 1) {
			col[len++] = (char)*n;
		} else {
			col[len++] = '\\';
			col[len++] = 'x';
			col[len++] = hex[*n >> 4];
			col[len++] = hex[*n & 0xf];
		}
	}
	put_mem(l, col, len);
}

/*
 * -v: the process's uid and cgroup, as (uid=N,cgroup=PATH), with no space
 * so the column stays one word; a cgroup whose path is not known (gone, or
 * not in a file's comment) as its id, #N.
 */
static void put_proc_v(const struct printer *pr, struct line *l, const struct sc_proc *p)
{
	const char *path =
		pr->cgroup_name && p->cgroup ? pr->cgroup_name(p->cgroup, pr->cgroup_arg) : NULL;

	PUT_LIT(l, "(uid=");
	put_u64(l, p->uid);
	if (path) {
		PUT_LIT(l, ",cgroup=");
		for (; *path; path++)
			put_ch(l, *path > ' ' && *path < 0x7f ? *path : '?');
	} else if (p->cgroup && !pr->from_file) {
		PUT_LIT(l, ",cgroup=#");
		put_u64(l, p->cgroup);
	}
	put_ch(l, ')');
}

/*
 * A process as NAME[PID]. A name is what the process set itself (up to 15
 * bytes): a space, a bracket, '>' or a byte that is not printable ASCII
 * shows as '?', so the column stays one word that splits the same way.
 */
static void put_proc(const struct printer *pr, struct line *l, const struct sc_proc *p)
{
	char name[sizeof(p->comm)];
	size_t n = 0;

	if (!p->pid) {
		put_ch(l, '?');
		return;
	}
	for (; n < sizeof(name) && p->comm[n]; n++) {
		unsigned char c = (unsigned char)p->comm[n];

		name[n] = c > ' ' && c < 0x7f && !strchr("[]>", c) ? (char)c : '?';
	}
	put_mem(l, name, n);
	put_ch(l, '[');
	put_u64(l, p->pid);
	put_ch(l, ']');
	if (pr->o.vflag)
		put_proc_v(pr, l, p);
}

/*
 * The process column: the local owner (the sender of a packet sent, the
 * receiver of one received); where both ends are local sockets, as on
 * loopback, SENDER>RECEIVER, '?' for one not known. Nothing at all when
 * no process is known.
 */
static void put_owner(const struct printer *pr, struct line *l, const struct sc_record *r)
{
	const struct sc_proc *from = &r->owner, *to = &r->peer;

	if (!r->owner.pid && !r->peer.pid)
		return;
	if (r->pkttype != PACKET_OUTGOING) {
		from = &r->peer;
		to = &r->owner;
	}
	if (r->peer.pid) {
		put_proc(pr, l, from);
		put_ch(l, '>');
		put_proc(pr, l, to);
	} else {
		put_proc(pr, l, &r->owner);
	}
	put_ch(l, ' ');
}

/* Time, interface and direction: the columns every line starts with. */
static void put_prefix(struct printer *pr, struct line *l, const struct sc_record *r)
{
	const char *ifn = pr->ifname ? pr->ifname(r->ifindex, pr->ifname_arg) : NULL;

	put_time(pr, l, r->ts_ns);
	if (ifn) {
		put_ifname(l, ifn);
		put_ch(l, ' ');
	} else if (!pr->from_file) {
		PUT_LIT(l, "if");
		put_u64(l, r->ifindex);
		put_ch(l, ' ');
	}
	/* a file's packets have one when it says (epb_flags, a cooked header) */
	if (r->pkttype != SC_PKTTYPE_UNKNOWN) {
		put_str(l, direction(r->pkttype));
		put_ch(l, ' ');
	}
	put_owner(pr, l, r);
}

/* A line in room bytes of buf, of which the newline takes the last. */
static struct line line_start(char *buf, size_t room)
{
	return (struct line){ .p = buf, .end = buf + room - 1 };
}

/* End the line; one that did not fit whole ends in "...". */
static size_t line_finish(struct line *l, char *buf)
{
	if (l->cut && l->p - buf >= 3)
		memcpy(l->p - 3, "...", 3);
	*l->p++ = '\n';
	return (size_t)(l->p - buf);
}

size_t sc_format_linktype(struct printer *pr, const struct sc_record *r, unsigned int linktype,
			  char *buf, size_t room)
{
	struct line ln = line_start(buf, room), *l = &ln;

	if (!room)
		return 0;
	put_prefix(pr, l, r);
	PUT_LIT(l, "[link type ");
	put_u64(l, linktype);
	PUT_LIT(l, "], length ");
	put_u64(l, r->wire_len);
	return line_finish(l, buf);
}

/* What follows the link-layer header (and its tags). */
static void put_net(struct printer *pr, struct line *l, const struct sc_record *r)
{
	switch (r->ethertype) {
	case SC_ETH_P_IP:
		put_ip(pr, l, r, 0);
		break;
	case SC_ETH_P_IPV6:
		put_ip(pr, l, r, 1);
		break;
	case SC_ETH_P_ARP:
		put_arp(l, r, pr->o.eflag);
		break;
	case SC_ETH_P_MPLS:
	case SC_ETH_P_MPLS_MC:
		put_mpls(pr, l, r);
		break;
	default:
		if (is_llc(r))
			put_llc(pr, l, r);
		else
			put_other(pr, l, r);
		break;
	}
}

/* Everything after the time, interface and direction columns. */
static void put_frame(struct printer *pr, struct line *l, const struct sc_record *r)
{
	int vlan = r->flags & (SC_F_VLAN_OOB | SC_F_VLAN_INB);

	if (stopped_at(r, SC_L_ETHER)) {
		put_trunc(l, r);
		return;
	}
	/*
	 * -e: as tcpdump, the EtherType of the frame (the first tag's TPID
	 * for a tagged one), then after each tag the EtherType that follows
	 * it; an 802.3 frame has its length instead.
	 */
	if (pr->o.eflag) {
		/* a packet without link-layer header has its EtherType only */
		if (!(r->flags & SC_F_NOLINK)) {
			put_mac(l, r->mac_src);
			PUT_LIT(l, " > ");
			put_mac(l, r->mac_dst);
			PUT_LIT(l, ", ");
		}
		if (!vlan && is_llc(r)) {
			put_dot3(l, r);
		} else {
			put_ethertype(l, !vlan		 ? r->ethertype
					 : r->vlan_proto ? r->vlan_proto
							 : SC_ETH_P_8021Q);
			PUT_LIT(l, ", length ");
			put_u64(l, r->wire_len + (r->flags & SC_F_VLAN_OOB ? 4 : 0));
			PUT_LIT(l, ": ");
		}
	}
	if (vlan) {
		put_vlan(l, r->vlan_tci);
		if (r->flags & SC_F_VLAN2) {
			if (pr->o.eflag) {
				put_ethertype(l, r->flags & SC_F_VLAN2_AD ? SC_ETH_P_8021AD
									  : SC_ETH_P_8021Q);
				PUT_LIT(l, ", ");
			}
			put_vlan(l, r->vlan_tci2);
		}
	}
	if (stopped_at(r, SC_L_VLAN)) {
		put_trunc(l, r);
		return;
	}
	if (vlan && pr->o.eflag) {
		if (is_llc(r)) {
			put_dot3(l, r);
		} else {
			put_ethertype(l, r->ethertype);
			PUT_LIT(l, ", ");
		}
	}
	put_net(pr, l, r);
}

/*
 * Packets inside packets: the bytes a record carries (SC_HDR_MAX) run out
 * after a few (each takes 20 bytes at least); this bound only keeps the
 * stack small. An inner packet that would take the line past its room is
 * left out, with a mark, so every line stays whole.
 */
#define SC_MAX_DEPTH 8

void put_inner(struct printer *pr, struct line *l, const uint8_t *p, uint32_t caplen, uint32_t len,
	       uint16_t ethertype)
{
	struct sc_buf b = { .data = p, .len = caplen };
	struct sc_record in;
	char *at = l->p;
	bool was_cut = l->cut;

	if (pr->depth >= SC_MAX_DEPTH) {
		PUT_LIT(l, " [|tunnel]");
		return;
	}
	/* as tcpdump: no part of an Ethernet header cut short */
	if (!ethertype && caplen < SC_ETH_HLEN) {
		PUT_LIT(l, " [|ether]");
		return;
	}
	memset(&in, 0, SC_PARSED_OFF);
	sc_record_init(&in, caplen, len);
	if (ethertype)
		sc_parse_net(&b, ethertype, &in);
	else
		sc_parse(&b, &in);
	sc_inner_keep(&b, &in);
	pr->depth++;
	/* without its own link-layer header, the tunnel has named its type */
	if (ethertype)
		put_net(pr, l, &in);
	else
		put_frame(pr, l, &in);
	pr->depth--;
	if (l->cut && !was_cut) {
		l->p = at;
		l->cut = false;
		PUT_LIT(l, " [|tunnel]");
	}
}

size_t sc_format(struct printer *pr, const struct sc_record *r, char *buf, size_t room)
{
	struct line ln = line_start(buf, room), *l = &ln;

	if (!room)
		return 0;
	put_prefix(pr, l, r);
	put_frame(pr, l, r);
	return line_finish(l, buf);
}
