// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: tunnels: GRE, IP in IP, VXLAN, Geneve, MPLS, and the packet inside
 */
#include "decode.h"
#include "parse.h"

int put_udp_tunnel(struct printer *pr, struct line *l, const struct sc_record *r)
{
	(void)pr;
	(void)l;
	(void)r;
	return 0;
}

void put_mpls(struct printer *pr, struct line *l, const struct sc_record *r)
{
	(void)pr;
	if (r->ethertype == SC_ETH_P_MPLS)
		PUT_LIT(l, "MPLS unicast, length ");
	else
		PUT_LIT(l, "MPLS multicast, length ");
	put_u64(l, r->l4_len);
}
