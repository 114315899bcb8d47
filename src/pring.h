/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the packet socket's memory-mapped receive ring (TPACKET_V3) */
#ifndef SOCKCAP_PRING_H
#define SOCKCAP_PRING_H

#include <stddef.h>
#include <stdint.h>

/* One packet as read from the ring, with a stripped VLAN tag put back. */
struct ring_pkt {
	uint64_t ts_ns; /* UTC */
	uint32_t caplen, len;
	uint32_t ifindex;
	uint32_t iface; /* the capture's number of the ring's interface */
	uint8_t pkttype;
	const uint8_t *data;
};

struct pring {
	uint8_t *map;
	size_t map_len;
	uint32_t block_size, block_nr;
	uint32_t cur;	  /* next block to look at */
	uint32_t snaplen; /* what the file promises: a frame grown by a tag is cut here */
	uint8_t *scratch; /* for frames whose tag or cooked header goes in front */
	/*
	 * A SOCK_DGRAM socket's packets (from the network header on) get the
	 * 20-byte LINKTYPE_LINUX_SLL2 header made from their metadata; their
	 * stripped VLAN tags are not put back (as libpcap's).
	 */
	int cooked;
	uint32_t iface; /* what its packets say in ring_pkt.iface */
};

/*
 * Size the ring for about `bytes` of memory with blocks large enough for a
 * frame of snaplen bytes, set it up on the (not yet bound) socket and map
 * it; cooked: see struct pring. Blocks that are only partly filled are handed over after
 * timeout_ms. 0 or a negative errno; prints nothing.
 */
int pring_setup(struct pring *r, int sock, size_t bytes, uint32_t snaplen, unsigned int timeout_ms,
		int cooked);

/*
 * Hand every packet of every block the kernel has filled to cb, in order,
 * and give the blocks back. cb returns 0, or a negative errno to stop: that
 * value is returned and the block is given back all the same (its other
 * packets are lost, so callers stop only on a fatal error). Returns the
 * number of packets handed over otherwise.
 */
long pring_read(struct pring *r, int (*cb)(void *arg, const struct ring_pkt *p), void *arg);

void pring_free(struct pring *r);

struct sll2;
/*
 * A frame for a file, made in scratch (room for the frame and a tag or
 * cooked header): a stripped VLAN tag put back after the two MAC
 * addresses, or the LINKTYPE_LINUX_SLL2 header in front; either cut at
 * snaplen like any frame, as libpcap does.
 */
void frame_put_tag(uint8_t *scratch, uint32_t snaplen, uint16_t tpid, uint16_t tci,
		   struct ring_pkt *p);
void frame_put_sll2(uint8_t *scratch, uint32_t snaplen, const struct sll2 *h, struct ring_pkt *p);

#endif /* SOCKCAP_PRING_H */
