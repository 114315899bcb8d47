// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: link types in one place: LINKTYPE, DLT, capture link, translator
 * link, and the LINUX_SLL2 header
 */
#include <pcap/dlt.h>
#include <string.h>

#include "linktype.h"

_Static_assert(SLL2_HDR_LEN == CBPF_SLL2_HDR_LEN, "one LINUX_SLL2 header");

static const struct link_info links[] = {
	[CAPTURE_LINK_ETHER] = { PF_LINKTYPE_ETHERNET, CBPF_LINK_AS_IS, "EN10MB", "Ethernet" },
	[CAPTURE_LINK_RAW] = { PF_LINKTYPE_RAW, CBPF_LINK_AS_IS, "RAW", "Raw IP" },
	/* a SOCK_DGRAM socket's packets, seen by programs made for the header */
	[CAPTURE_LINK_COOKED] = { PF_LINKTYPE_LINUX_SLL2, CBPF_LINK_SLL2, "LINUX_SLL2",
				  "Linux cooked v2" },
};

const struct link_info *link_info(enum capture_link link)
{
	return &links[link];
}

int linktype_to_dlt(unsigned int linktype)
{
	/* LINKTYPE_RAW is libpcap's DLT_RAW; the others here are the same */
	return linktype == PF_LINKTYPE_RAW ? DLT_RAW : (int)linktype;
}

enum cbpf_link linktype_xlat(unsigned int linktype)
{
	return linktype == PF_LINKTYPE_LINUX_SLL2 ? CBPF_LINK_SLL2 : CBPF_LINK_AS_IS;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void sll2_build(uint8_t *out, const struct sll2 *h)
{
	uint8_t halen = h->halen < 8 ? h->halen : 8;

	put_be16(out, h->proto);
	put_be16(out + 2, 0);
	put_be16(out + 4, h->ifindex >> 16);
	put_be16(out + 6, h->ifindex & 0xffff);
	put_be16(out + 8, h->hatype);
	out[10] = h->pkttype;
	out[11] = h->halen;
	memset(out + 12, 0, 8);
	memcpy(out + 12, h->addr, halen);
}

void sll2_parse(const uint8_t *in, struct sll2 *h)
{
	h->proto = get_be16(in);
	h->ifindex = (uint32_t)get_be16(in + 4) << 16 | get_be16(in + 6);
	h->hatype = get_be16(in + 8);
	h->pkttype = in[10];
	h->halen = in[11];
	memcpy(h->addr, in + 12, 8);
}
