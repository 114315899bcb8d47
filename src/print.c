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

#include "parse.h"
#include "print.h"

/* ---------------------------------------------------------------- append */

static inline char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Exactly width digits, zero-padded. */
static char *put_u_pad(char *p, uint32_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = '0' + v % 10;
		v /= 10;
	}
	return p + width;
}

static char *put_hex(char *p, uint32_t v, int min_digits)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = hex[v & 0xf];
		v >>= 4;
	} while (v || n < min_digits);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_mac(char *p, const uint8_t *m)
{
	for (int i = 0; i < 6; i++) {
		if (i)
			*p++ = ':';
		p = put_hex(p, m[i], 2);
	}
	return p;
}

static char *put_ip4(char *p, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_u64(p, a[i]);
	}
	return p;
}

static char *put_ip6(char *p, const uint8_t *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, a, tmp, sizeof(tmp)))
		return PUT_LIT(p, "?");
	return put_str(p, tmp);
}

/* -------------------------------------------------------------- tables */

struct tok {
	unsigned int v;
	const char *s;
};

static const char *tok_find(const struct tok *t, unsigned int v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

static const struct tok ethertypes[] = {
	{ 0x0800, "IPv4" },	      { 0x0806, "ARP" },	 { 0x86dd, "IPv6" },
	{ 0x8100, "802.1Q" },	      { 0x88a8, "802.1Q-QinQ" }, { 0x88cc, "LLDP" },
	{ 0x8035, "Reverse ARP" },    { 0x88e5, "MACsec" },	 { 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" }, { 0x888e, "EAPOL" },	 { 0x8863, "PPPoE D" },
	{ 0x8864, "PPPoE S" },	      { 0x0842, "Wake-on-LAN" }, { 0, NULL },
};

static const struct tok ipprotos[] = {
	{ 0, "HBH" },	{ 1, "ICMP" },	{ 2, "IGMP" },	   { 4, "IPIP" },   { 6, "TCP" },
	{ 17, "UDP" },	{ 41, "IPv6" }, { 43, "Routing" }, { 44, "frag" },  { 47, "GRE" },
	{ 50, "ESP" },	{ 51, "AH" },	{ 58, "ICMPv6" },  { 59, "NONE" },  { 60, "DSTOPTS" },
	{ 89, "OSPF" }, { 103, "PIM" }, { 112, "VRRP" },   { 132, "SCTP" }, { 0, NULL },
};

static const struct tok icmp_types[] = {
	{ 0, "echo reply" },	       { 3, "unreachable" },
	{ 4, "source quench" },	       { 5, "redirect" },
	{ 8, "echo request" },	       { 9, "router advertisement" },
	{ 10, "router solicitation" }, { 11, "time exceeded" },
	{ 12, "parameter problem" },   { 13, "time stamp request" },
	{ 14, "time stamp reply" },    { 0, NULL },
};

static const struct tok icmp_unreach[] = {
	{ 0, "net unreachable" },
	{ 1, "host unreachable" },
	{ 2, "protocol unreachable" },
	{ 3, "port unreachable" },
	{ 4, "unreachable - need to frag" },
	{ 5, "source route failed" },
	{ 9, "net prohibited" },
	{ 10, "host prohibited" },
	{ 13, "unreachable - admin prohibited" },
	{ 0, NULL },
};

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
	{ 143, "multicast listener report v2" },
	{ 0, NULL },
};

static const char *const layer_names[SC_L_MAX] = {
	[SC_L_NONE] = "packet", [SC_L_ETHER] = "ether", [SC_L_VLAN] = "vlan", [SC_L_ARP] = "arp",
	[SC_L_IP] = "ip",	[SC_L_IP6] = "ip6",	[SC_L_TCP] = "tcp",   [SC_L_UDP] = "udp",
	[SC_L_ICMP] = "icmp",	[SC_L_ICMP6] = "icmp6",
};

/* ------------------------------------------------------------- time */

void printer_init(struct printer *p, const struct print_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->o = *o;
	p->cached_sec = INT64_MIN;
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

static char *put_hms_delta(char *p, int64_t ns)
{
	uint64_t us;

	if (ns < 0) {
		*p++ = '-';
		ns = -ns;
	}
	us = (uint64_t)ns / 1000;
	p = put_u_pad(p, us / 3600000000ULL, 2);
	*p++ = ':';
	p = put_u_pad(p, us / 60000000 % 60, 2);
	*p++ = ':';
	p = put_u_pad(p, us / 1000000 % 60, 2);
	*p++ = '.';
	return put_u_pad(p, us % 1000000, 6);
}

static char *put_time(struct printer *pr, char *p, uint64_t ts_ns)
{
	int64_t ns = (int64_t)ts_ns - pr->tai_offset_ns;
	int64_t sec = ns / 1000000000;
	uint32_t usec = (uint32_t)(ns % 1000000000) / 1000;

	switch (pr->o.ts) {
	case TS_NONE:
		return p;
	case TS_EPOCH:
		p = put_u64(p, sec);
		*p++ = '.';
		p = put_u_pad(p, usec, 6);
		break;
	case TS_DELTA:
		p = put_hms_delta(p, pr->prev_ns ? (int64_t)(ts_ns - pr->prev_ns) : 0);
		break;
	case TS_SINCE_FIRST:
		if (!pr->first_ns)
			pr->first_ns = ts_ns;
		p = put_hms_delta(p, (int64_t)(ts_ns - pr->first_ns));
		break;
	case TS_TIME:
	case TS_DATE:
		if (sec != pr->cached_sec) {
			time_t t = sec;
			struct tm tm;

			localtime_r(&t, &tm);
			pr->cached_len = strftime(
				pr->cached_hms, sizeof(pr->cached_hms),
				pr->o.ts == TS_DATE ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
			pr->cached_sec = sec;
		}
		memcpy(p, pr->cached_hms, pr->cached_len);
		p += pr->cached_len;
		*p++ = '.';
		p = put_u_pad(p, usec, 6);
		break;
	}
	pr->prev_ns = ts_ns;
	*p++ = ' ';
	return p;
}

/* ------------------------------------------------------------ layers */

static char *put_trunc(char *p, const struct sc_record *r)
{
	const char *name = r->layer < SC_L_MAX ? layer_names[r->layer] : "packet";

	if (r->flags & SC_F_TRUNC) {
		p = PUT_LIT(p, "[|");
		p = put_str(p, name);
		return PUT_LIT(p, "]");
	}
	p = PUT_LIT(p, "[invalid ");
	p = put_str(p, name);
	return PUT_LIT(p, "]");
}

static int stopped_at(const struct sc_record *r, enum sc_layer l)
{
	return r->layer == l && (r->flags & (SC_F_TRUNC | SC_F_BAD));
}

static char *put_ethertype(char *p, uint16_t type)
{
	const char *name = tok_find(ethertypes, type);

	p = PUT_LIT(p, "ethertype ");
	p = put_str(p, name ? name : "Unknown");
	p = PUT_LIT(p, " (0x");
	p = put_hex(p, type, 4);
	return PUT_LIT(p, ")");
}

static char *put_proto_name(char *p, uint8_t proto)
{
	const char *name = tok_find(ipprotos, proto);

	if (name)
		p = put_str(p, name);
	else
		p = PUT_LIT(p, "unknown");
	p = PUT_LIT(p, " (");
	p = put_u64(p, proto);
	return PUT_LIT(p, ")");
}

static char *put_tcp(char *p, const struct sc_record *r)
{
	static const char flagchars[] = "FSRP.UEW";
	uint8_t f = r->l4.tcp.flags;
	uint32_t len = r->l4_len - r->l4.tcp.doff * 4;

	p = PUT_LIT(p, "Flags [");
	if (!f)
		p = PUT_LIT(p, "none");
	for (int i = 0; i < 8; i++)
		if (f & (1 << i))
			*p++ = flagchars[i];
	*p++ = ']';
	/* as tcpdump: a bare acknowledgment carries no sequence number */
	if (len || (f & 0x07)) {
		p = PUT_LIT(p, ", seq ");
		p = put_u64(p, r->l4.tcp.seq);
	}
	if (len) {
		*p++ = ':';
		p = put_u64(p, (uint32_t)(r->l4.tcp.seq + len));
	}
	if (f & 0x10) {
		p = PUT_LIT(p, ", ack ");
		p = put_u64(p, r->l4.tcp.ack);
	}
	p = PUT_LIT(p, ", win ");
	p = put_u64(p, r->l4.tcp.win);
	p = PUT_LIT(p, ", length ");
	return put_u64(p, len);
}

static char *put_udp(char *p, const struct sc_record *r)
{
	uint16_t ulen = r->l4.udp.len;

	p = PUT_LIT(p, "UDP, ");
	if (ulen < 8) {
		p = PUT_LIT(p, "bad length ");
		p = put_u64(p, ulen);
		return PUT_LIT(p, " < 8");
	}
	if (ulen > r->l4_len) {
		p = PUT_LIT(p, "bad length ");
		p = put_u64(p, ulen);
		p = PUT_LIT(p, " > ");
		return put_u64(p, r->l4_len);
	}
	p = PUT_LIT(p, "length ");
	return put_u64(p, ulen - 8);
}

static char *put_icmp(char *p, const struct sc_record *r)
{
	int v6 = r->layer == SC_L_ICMP6;
	uint8_t type = r->l4.icmp.type, code = r->l4.icmp.code;
	const char *name = NULL;

	p = v6 ? PUT_LIT(p, "ICMP6, ") : PUT_LIT(p, "ICMP ");
	if (!v6 && type == 3)
		name = tok_find(icmp_unreach, code);
	if (!name)
		name = tok_find(v6 ? icmp6_types : icmp_types, type);
	if (name) {
		p = put_str(p, name);
	} else {
		p = PUT_LIT(p, "type ");
		p = put_u64(p, type);
		p = PUT_LIT(p, ", code ");
		p = put_u64(p, code);
	}
	if (sc_icmp_has_idseq(r)) {
		if (r->l4_len < 8)
			return PUT_LIT(p, " [|icmp]");
		p = PUT_LIT(p, ", id ");
		p = put_u64(p, r->l4.icmp.id);
		p = PUT_LIT(p, ", seq ");
		p = put_u64(p, r->l4.icmp.seq);
	}
	p = PUT_LIT(p, ", length ");
	return put_u64(p, r->l4_len);
}

static char *put_addr(char *p, const uint8_t *a, int v6)
{
	return v6 ? put_ip6(p, a) : put_ip4(p, a);
}

/* "src[.port] > dst[.port]: " */
static char *put_endpoints(char *p, const struct sc_record *r, int v6)
{
	int ports = (r->layer == SC_L_TCP || r->layer == SC_L_UDP) && !(r->flags & SC_F_TRUNC);

	p = put_addr(p, r->src, v6);
	if (ports) {
		*p++ = '.';
		p = put_u64(p, r->l4.tcp.sport);
	}
	p = PUT_LIT(p, " > ");
	p = put_addr(p, r->dst, v6);
	if (ports) {
		*p++ = '.';
		p = put_u64(p, r->l4.tcp.dport);
	}
	return PUT_LIT(p, ": ");
}

static char *put_ip_verbose(char *p, const struct sc_record *r, int v6)
{
	*p++ = '(';
	if (v6) {
		if (r->tos) {
			p = PUT_LIT(p, "class 0x");
			p = put_hex(p, r->tos, 1);
			p = PUT_LIT(p, ", ");
		}
		if (r->flowlabel) {
			p = PUT_LIT(p, "flowlabel 0x");
			p = put_hex(p, r->flowlabel, 5);
			p = PUT_LIT(p, ", ");
		}
		p = PUT_LIT(p, "hlim ");
		p = put_u64(p, r->ttl);
		p = PUT_LIT(p, ", next-header ");
		p = put_proto_name(p, r->l4proto);
		p = PUT_LIT(p, " payload length: ");
		p = put_u64(p, r->ip_len);
	} else {
		uint16_t fl = r->frag & 0xe000;

		p = PUT_LIT(p, "tos 0x");
		p = put_hex(p, r->tos, 1);
		p = PUT_LIT(p, ", ttl ");
		p = put_u64(p, r->ttl);
		p = PUT_LIT(p, ", id ");
		p = put_u64(p, r->ip_id);
		p = PUT_LIT(p, ", offset ");
		p = put_u64(p, (r->frag & 0x1fff) * 8);
		p = PUT_LIT(p, ", flags [");
		if (!fl)
			p = PUT_LIT(p, "none");
		if (fl & 0x8000)
			p = PUT_LIT(p, "rsvd");
		if (fl & 0x4000)
			p = PUT_LIT(p, "DF");
		if (fl & 0x2000)
			*p++ = '+';
		p = PUT_LIT(p, "], proto ");
		p = put_proto_name(p, r->l4proto);
		p = PUT_LIT(p, ", length ");
		p = put_u64(p, r->ip_len);
	}
	return PUT_LIT(p, ") ");
}

static char *put_ip(struct printer *pr, char *p, const struct sc_record *r, int v6)
{
	enum sc_layer l3 = v6 ? SC_L_IP6 : SC_L_IP;

	/* with -e the ethertype already names the protocol, as in tcpdump */
	if (!pr->o.eflag)
		p = v6 ? PUT_LIT(p, "IP6 ") : PUT_LIT(p, "IP ");
	if (!(r->flags & SC_F_ADDR))
		return put_trunc(p, r);
	if (pr->o.vflag)
		p = put_ip_verbose(p, r, v6);
	if (r->flags & SC_F_IPSHORT)
		p = PUT_LIT(p, "[truncated-ip] ");
	p = put_endpoints(p, r, v6);
	if (r->layer == l3 && (r->flags & SC_F_BAD))
		return put_trunc(p, r);
	if (r->flags & SC_F_FRAG) {
		p = PUT_LIT(p, "frag offset ");
		p = put_u64(p, v6 ? r->frag : (r->frag & 0x1fff) * 8);
		p = PUT_LIT(p, ", ip-proto-");
		p = put_u64(p, r->l4proto);
		p = PUT_LIT(p, ", length ");
		return put_u64(p, r->l4_len);
	}
	if (r->flags & SC_F_TOODEEP)
		return PUT_LIT(p, "[extension header chain too long]");
	if (r->flags & (SC_F_TRUNC | SC_F_BAD))
		return put_trunc(p, r);
	switch (r->layer) {
	case SC_L_TCP:
		return put_tcp(p, r);
	case SC_L_UDP:
		return put_udp(p, r);
	case SC_L_ICMP:
	case SC_L_ICMP6:
		return put_icmp(p, r);
	default:
		p = PUT_LIT(p, "ip-proto-");
		p = put_u64(p, r->l4proto);
		p = PUT_LIT(p, ", length ");
		return put_u64(p, r->l4_len);
	}
}

static char *put_arp(char *p, const struct sc_record *r, int eflag)
{
	static const uint8_t zero[6];
	uint16_t op = r->l4.arp.op;
	int ipv4 = r->l4.arp.hrd == 1 && r->l4.arp.pro == 0x0800 && r->l4.arp.hln == 6 &&
		   r->l4.arp.pln == 4;

	if (!eflag)
		p = PUT_LIT(p, "ARP, ");
	if (r->flags & (SC_F_TRUNC | SC_F_BAD))
		return put_trunc(p, r);
	if (ipv4 && op == 1) {
		p = PUT_LIT(p, "Request who-has ");
		p = put_ip4(p, r->dst);
		if (memcmp(r->l4.arp.tha, zero, 6)) {
			p = PUT_LIT(p, " (");
			p = put_mac(p, r->l4.arp.tha);
			*p++ = ')';
		}
		p = PUT_LIT(p, " tell ");
		p = put_ip4(p, r->src);
	} else if (ipv4 && op == 2) {
		p = PUT_LIT(p, "Reply ");
		p = put_ip4(p, r->src);
		p = PUT_LIT(p, " is-at ");
		p = put_mac(p, r->l4.arp.sha);
	} else {
		p = PUT_LIT(p, "hardware ");
		p = put_u64(p, r->l4.arp.hrd);
		p = PUT_LIT(p, ", proto 0x");
		p = put_hex(p, r->l4.arp.pro, 4);
		p = PUT_LIT(p, ", op ");
		p = put_u64(p, op);
	}
	p = PUT_LIT(p, ", length ");
	return put_u64(p, r->l4_len);
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

static char *put_vlan(char *p, uint16_t tci)
{
	p = PUT_LIT(p, "vlan ");
	p = put_u64(p, tci & 0x0fff);
	p = PUT_LIT(p, ", p ");
	p = put_u64(p, tci >> 13);
	return PUT_LIT(p, ", ");
}

/* Time, interface and direction: the columns every line starts with. */
static char *put_prefix(struct printer *pr, char *p, const struct sc_record *r)
{
	const char *ifn = pr->ifname ? pr->ifname(r->ifindex, pr->ifname_arg) : NULL;

	p = put_time(pr, p, r->ts_ns);
	if (ifn) {
		p = put_str(p, ifn);
		*p++ = ' ';
	} else if (!pr->from_file) {
		p = PUT_LIT(p, "if");
		p = put_u64(p, r->ifindex);
		*p++ = ' ';
	}
	/* a file's packets have one when it says (epb_flags, a cooked header) */
	if (r->pkttype != SC_PKTTYPE_UNKNOWN) {
		p = put_str(p, direction(r->pkttype));
		*p++ = ' ';
	}
	return p;
}

size_t sc_format_linktype(struct printer *pr, const struct sc_record *r, unsigned int linktype,
			  char *buf)
{
	char *p = put_prefix(pr, buf, r);

	p = PUT_LIT(p, "[link type ");
	p = put_u64(p, linktype);
	p = PUT_LIT(p, "], length ");
	p = put_u64(p, r->wire_len);
	*p++ = '\n';
	return p - buf;
}

size_t sc_format(struct printer *pr, const struct sc_record *r, char *buf)
{
	int vlan = r->flags & (SC_F_VLAN_OOB | SC_F_VLAN_INB);
	char *p = put_prefix(pr, buf, r);

	if (stopped_at(r, SC_L_ETHER)) {
		p = put_trunc(p, r);
		goto done;
	}
	if (pr->o.eflag) {
		/* a packet without link-layer header has its EtherType only */
		if (!(r->flags & SC_F_NOLINK)) {
			p = put_mac(p, r->mac_src);
			p = PUT_LIT(p, " > ");
			p = put_mac(p, r->mac_dst);
			p = PUT_LIT(p, ", ");
		}
		p = put_ethertype(p, vlan ? 0x8100 : r->ethertype);
		p = PUT_LIT(p, ", length ");
		p = put_u64(p, r->wire_len + (r->flags & SC_F_VLAN_OOB ? 4 : 0));
		p = PUT_LIT(p, ": ");
	}
	if (vlan) {
		p = put_vlan(p, r->vlan_tci);
		if (r->vlan_tci2)
			p = put_vlan(p, r->vlan_tci2);
	}
	if (stopped_at(r, SC_L_VLAN)) {
		p = put_trunc(p, r);
		goto done;
	}
	if (vlan && pr->o.eflag) {
		p = put_ethertype(p, r->ethertype);
		p = PUT_LIT(p, ", ");
	}
	switch (r->ethertype) {
	case 0x0800:
		p = put_ip(pr, p, r, 0);
		break;
	case 0x86dd:
		p = put_ip(pr, p, r, 1);
		break;
	case 0x0806:
		p = put_arp(p, r, pr->o.eflag);
		break;
	default:
		p = put_ethertype(p, r->ethertype);
		p = PUT_LIT(p, ", length ");
		p = put_u64(p, r->l4_len);
		break;
	}
done:
	*p++ = '\n';
	return p - buf;
}
