/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: what the printers of one protocol each share: the line being
 * written, its append helpers, and the decoders of the headers a record
 * carries in hdr (print_*.c), called from print.c
 */
#ifndef SOCKCAP_DECODE_H
#define SOCKCAP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "print.h"
#include "sockcap.h"

/*
 * The line being written. Every byte goes through put_mem() or put_ch(),
 * which never write at or past end, so no field, however long, and no
 * record, however odd, can take a line past the room its caller gave:
 * what does not fit is cut, and the line says so.
 */
struct line {
	char *p;
	char *end; /* where the newline goes: the last byte of the room */
	bool cut;
};

/* Inlined: a literal's length stays a constant, and its copy a few moves. */
static inline __attribute__((always_inline)) void put_mem(struct line *l, const char *s, size_t n)
{
	size_t room = (size_t)(l->end - l->p);

	if (__builtin_expect(n <= room, 1)) {
		memcpy(l->p, s, n);
		l->p += n;
		return;
	}
	memcpy(l->p, s, room);
	l->p += room;
	l->cut = true;
}

static inline __attribute__((always_inline)) void put_ch(struct line *l, char c)
{
	if (l->p < l->end)
		*l->p++ = c;
	else
		l->cut = true;
}

/* "" lit: a string literal only, whose sizeof is its length plus one */
#define PUT_LIT(l, lit) put_mem((l), "" lit, sizeof(lit) - 1)

void put_str(struct line *l, const char *s);
void put_u_pad(struct line *l, uint64_t v, int width); /* at least width digits */
void put_u64(struct line *l, uint64_t v);
void put_hex(struct line *l, uint32_t v, int min_digits);
void put_mac(struct line *l, const uint8_t *m);
void put_ip4(struct line *l, const uint8_t *a);
void put_ip6(struct line *l, const uint8_t *a);
void put_addr(struct line *l, const uint8_t *a, int v6);
/* "[|layer]" where r was cut, "[invalid layer]" where it is malformed */
void put_trunc(struct line *l, const struct sc_record *r);
/* "NAME (N)", as tcpdump -v names an IP protocol */
void put_proto_name(struct line *l, uint8_t proto);

/* Big-endian fields of carried header bytes, whose bounds the caller checked. */
static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* value -> name tables, as tcpdump's */
struct tok {
	unsigned int v;
	const char *s;
};

const char *tok_find(const struct tok *t, unsigned int v);
/* The names of the bits set in v, as "a, b", or "none": tcpdump's flag lists. */
void put_tok_bits(struct line *l, const struct tok *t, unsigned int v);
/* MLDv2's and IGMPv3's ", N source(s)", or why the count cannot be right */
void put_nsources(struct line *l, unsigned int n, bool fits);

/*
 * A packet carried inside the one being printed (a tunnel's payload): its
 * summary from its network header on, as if it were a packet of its own.
 * caplen bytes of it are at p, of len on the wire; ethertype 0 means it
 * starts with an Ethernet header. Bytes the record did not carry end its
 * summary with a truncation mark.
 */
void put_inner(struct printer *pr, struct line *l, const uint8_t *p, uint32_t caplen, uint32_t len,
	       uint16_t ethertype);

/* ------------------------------------------- decoders of the hdr bytes */

/* print_icmp.c: an ICMP or ICMPv6 message (r->layer SC_L_ICMP/SC_L_ICMP6) */
void put_icmp(struct printer *pr, struct line *l, const struct sc_record *r);

/*
 * print_tcp.c: ", urg N" and ", options [...]" when r->hdr has them;
 * returns 1 when the line ends there (a malformed option list, the end
 * of the capture), as tcpdump's does, without the length.
 */
int put_tcp_options(struct line *l, const struct sc_record *r);

/*
 * print.c: r's transport from its ports on, without addresses, as tcpdump
 * prints what follows an IPv6 extension header or an AH header.
 */
void put_l4(struct printer *pr, struct line *l, const struct sc_record *r);

/*
 * print_ipproto.c: an IP payload sockcap has no record fields for
 * (r->layer SC_L_IP/SC_L_IP6), from r->hdr. put_ipproto_ports(): 1 when
 * put_ipproto() prints the addresses itself, with ports (SCTP).
 * put_ext6(): the IPv6 extension headers walked before the upper-layer
 * header; returns 1 when the line ends with them (a later fragment, a
 * header cut or malformed).
 */
void put_ipproto(struct printer *pr, struct line *l, const struct sc_record *r);
int put_ipproto_ports(const struct sc_record *r);
int put_ext6(struct printer *pr, struct line *l, const struct sc_record *r);

/*
 * print_tunnel.c: a UDP tunnel (VXLAN, Geneve) when r's ports name one;
 * returns 0 when they do not, and nothing is written. put_mpls: an MPLS
 * frame (r->ethertype SC_ETH_P_MPLS*).
 */
int put_udp_tunnel(struct printer *pr, struct line *l, const struct sc_record *r);
/* GRE, IP in IP, IPv6 in IP (protocols 47, 4, 41); returns 1 when it printed */
int put_ip_tunnel(struct printer *pr, struct line *l, const struct sc_record *r);
void put_mpls(struct printer *pr, struct line *l, const struct sc_record *r);
/*
 * An IP payload that is a tunnel (r->layer SC_L_IP/SC_L_IP6): GRE (47),
 * IPv4 (4) or IPv6 (41) inside; returns 0 for another protocol, and
 * nothing is written.
 */
int put_ip_tunnel(struct printer *pr, struct line *l, const struct sc_record *r);
/*
 * put_inner()'s help with a packet inside a packet whose parse stopped at
 * a broken or cut header: sc_inner_keep() keeps that header's bytes in its
 * record (b holds the packet), and put_inner_ip_bad() prints what tcpdump
 * says of a network header it cannot use (returns 0 when that is not the
 * fault, and nothing is written).
 */
struct sc_buf;
void sc_inner_keep(const struct sc_buf *b, struct sc_record *in);
int put_inner_ip_bad(struct printer *pr, struct line *l, const struct sc_record *r, int v6);
/*
 * TCP flags as tcpdump's letters between "Flags [" and "]" ("FSRP.UEW",
 * lowest bit first), NUL-terminated in s; "none" when there are none.
 */
const char *tcp_flag_letters(uint8_t flags, char s[9]);

#endif /* SOCKCAP_DECODE_H */
