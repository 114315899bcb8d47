// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: IP payloads without record fields, and IPv6 extension headers
 */
#include "decode.h"
#include "parse.h"

void put_ipproto(struct printer *pr, struct line *l, const struct sc_record *r)
{
	if (put_ip_tunnel(pr, l, r))
		return;
	PUT_LIT(l, "ip-proto-");
	put_u64(l, r->l4proto);
	PUT_LIT(l, ", length ");
	put_u64(l, r->l4_len);
}

void put_ext6(struct printer *pr, struct line *l, const struct sc_record *r)
{
	(void)pr;
	(void)l;
	(void)r;
}
