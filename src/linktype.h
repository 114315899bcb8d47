/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: link types in one place: LINKTYPE, DLT, capture link, translator
 * link, and the LINUX_SLL2 header
 */
#ifndef SOCKCAP_LINKTYPE_H
#define SOCKCAP_LINKTYPE_H

#include <stdint.h>

#include "capture.h"
#include "cbpf.h"
#include "pcapfile.h"

/* What a capture's link is called everywhere. */
struct link_info {
	unsigned int linktype;	 /* LINKTYPE_ (files) */
	enum cbpf_link xlat;	 /* how the translator reads the program */
	const char *name, *desc; /* as tcpdump's "listening on" line says */
};

const struct link_info *link_info(enum capture_link link);
/* libpcap's DLT_ for a LINKTYPE_ (they differ for raw IP only). */
int linktype_to_dlt(unsigned int linktype);
/* How the translator reads a program compiled for linktype. */
enum cbpf_link linktype_xlat(unsigned int linktype);

/*
 * The LINUX_SLL2 header, 20 bytes, every field in network byte order
 * (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html):
 *
 *   0  protocol type (EtherType)       2  reserved (0)
 *   4  interface index
 *   8  ARPHRD_ type    10 packet type  11 address length
 *  12  link-layer address (8 bytes, zero-padded)
 */
#define SLL2_HDR_LEN 20

struct sll2 {
	uint16_t proto;
	uint32_t ifindex;
	uint16_t hatype;
	uint8_t pkttype;
	uint8_t halen;
	uint8_t addr[8];
};

void sll2_build(uint8_t *out, const struct sll2 *h);
void sll2_parse(const uint8_t *in, struct sll2 *h);

#endif /* SOCKCAP_LINKTYPE_H */
