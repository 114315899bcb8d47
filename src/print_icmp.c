// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: ICMP and ICMPv6 messages, as tcpdump -n prints them
 */
#include "decode.h"
#include "parse.h"

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

void put_icmp(struct printer *pr, struct line *l, const struct sc_record *r)
{
	int v6 = r->layer == SC_L_ICMP6;
	uint8_t type = r->l4.icmp.type, code = r->l4.icmp.code;
	const char *name = NULL;

	if (v6)
		PUT_LIT(l, "ICMP6, ");
	else
		PUT_LIT(l, "ICMP ");
	if (!v6 && type == 3)
		name = tok_find(icmp_unreach, code);
	if (!name)
		name = tok_find(v6 ? icmp6_types : icmp_types, type);
	if (name) {
		put_str(l, name);
	} else {
		PUT_LIT(l, "type ");
		put_u64(l, type);
		PUT_LIT(l, ", code ");
		put_u64(l, code);
	}
	if (sc_icmp_has_idseq(r)) {
		if (r->l4_len < 8) {
			PUT_LIT(l, " [|icmp]");
			return;
		}
		PUT_LIT(l, ", id ");
		put_u64(l, r->l4.icmp.id);
		PUT_LIT(l, ", seq ");
		put_u64(l, r->l4.icmp.seq);
	}
	PUT_LIT(l, ", length ");
	put_u64(l, r->l4_len);
}
