// SPDX-License-Identifier: GPL-2.0-only
/* \summary: the record of a capture file's packet, for -r and its fuzzer */
#include <string.h>

#include "linktype.h"
#include "parse.h"
#include "print.h"
#include "procnote.h"
#include "read.h"

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* pf_pkttype_from_flags() says "unknown" as the record does */
_Static_assert(PF_PKTTYPE_UNKNOWN == SC_PKTTYPE_UNKNOWN, "one unknown direction");

int read_record(const struct pf_reader *rd, const struct pf_packet *p, struct sc_record *r,
		bool *by_index, uint64_t (*on_cgroup)(void *arg, const char *path, size_t len),
		void *arg)
{
	unsigned int lt = rd->ifs[p->iface].linktype;

	memset(r, 0, sizeof(*r));
	r->ts_ns = p->ts_ns;
	r->ifindex = p->iface + 1;
	r->pkttype = pf_pkttype_from_flags(p->flags);
	*by_index = false;
	if (lt == PF_LINKTYPE_ETHERNET) {
		sc_parse_frame(p->data, p->caplen, p->len, r);
	} else if (lt == PF_LINKTYPE_RAW) {
		uint8_t v = p->caplen ? p->data[0] >> 4 : 0;

		sc_parse_packet_net(p->data, p->caplen, p->len,
				    v == 4   ? SC_ETH_P_IP
				    : v == 6 ? SC_ETH_P_IPV6
					     : 0,
				    r);
	} else if (lt == PF_LINKTYPE_LINUX_SLL2 && p->caplen >= SLL2_HDR_LEN) {
		struct sll2 h;

		sll2_parse(p->data, &h);
		*by_index = true;
		r->ifindex = h.ifindex;
		r->pkttype = h.pkttype;
		sc_parse_packet_net(p->data + SLL2_HDR_LEN, p->caplen - SLL2_HDR_LEN,
				    p->len - SLL2_HDR_LEN, h.proto, r);
	} else if (lt == PF_LINKTYPE_LINUX_SLL && p->caplen >= 16) {
		uint16_t type = get_be16(p->data);

		r->pkttype = type < 0x100 ? type : SC_PKTTYPE_UNKNOWN;
		sc_parse_packet_net(p->data + 16, p->caplen - 16, p->len - 16,
				    get_be16(p->data + 14), r);
	} else {
		r->wire_len = p->len;
		return READ_UNDECODED;
	}
	/* the owners sockcap wrote as one of the packet's comments */
	for (uint32_t i = 0; i < p->ncomments; i++)
		if (procnote_parse(p->comments[i].s, p->comments[i].len, r, on_cgroup, arg))
			break;
	return 0;
}
