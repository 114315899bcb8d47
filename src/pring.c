// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the packet socket's memory-mapped receive ring (TPACKET_V3)
 *
 * With TPACKET_V3 the kernel fills whole blocks of packets and hands a
 * block over when it is full or when its timer runs out, so one poll and
 * one status write cover many packets. Each packet in a block:
 *
 *   struct tpacket3_hdr | struct sockaddr_ll | pad | frame (tp_mac on)
 *
 * Frames arrive without an 802.1Q tag the device stripped; the tag is in
 * the header and goes back into the frame here, as libpcap does. A cooked
 * socket's packets get a LINUX_SLL2 header in front instead.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linktype.h"
#include "pring.h"

#define VLAN_HLEN 4
/* What the kernel puts before a frame in a block, generously. */
#define FRAME_OVERHEAD 256

int pring_setup(struct pring *r, int sock, size_t bytes, uint32_t snaplen, unsigned int timeout_ms,
		int cooked)
{
	int version = TPACKET_V3;
	struct tpacket_req3 req = { 0 };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint32_t bs = page;

	memset(r, 0, sizeof(*r));
	/*
	 * A block must hold the largest frame (the kernel cuts what does not
	 * fit), and there are at least two. Beyond that, larger blocks (up to
	 * 1 MiB) mean fewer hand-overs, as long as there are sixteen of them,
	 * so the reader works on one while the kernel fills others. With the
	 * default snap length a block is at least 512 KiB: -B 2048 gives four.
	 */
	while (bs < snaplen + FRAME_OVERHEAD)
		bs <<= 1;
	while (bs < (1u << 20) && (size_t)bs * 16 <= bytes)
		bs <<= 1;
	req.tp_block_size = bs;
	req.tp_block_nr = bytes / bs < 2 ? 2 : bytes / bs;
	req.tp_frame_size = TPACKET_ALIGNMENT << 7; /* only checked, not used, in V3 */
	req.tp_frame_nr = (uint64_t)req.tp_block_size * req.tp_block_nr / req.tp_frame_size;
	req.tp_retire_blk_tov = timeout_ms;

	if (setsockopt(sock, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) < 0)
		return -errno;
	if (setsockopt(sock, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return -errno;
	r->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, sock, 0);
	if (r->map == MAP_FAILED) /* without MAP_LOCKED if RLIMIT_MEMLOCK says no */
		r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, sock, 0);
	if (r->map == MAP_FAILED) {
		int err = -errno;

		r->map = NULL;
		return err;
	}
	r->block_size = req.tp_block_size;
	r->block_nr = req.tp_block_nr;
	r->snaplen = snaplen;
	r->cooked = cooked;
	r->scratch = malloc((size_t)snaplen + (cooked ? SLL2_HDR_LEN : VLAN_HLEN));
	if (!r->scratch) {
		pring_free(r);
		return -ENOMEM;
	}
	return 0;
}

void frame_put_tag(uint8_t *scratch, uint32_t snaplen, uint16_t tpid, uint16_t tci,
		   struct ring_pkt *p)
{
	uint8_t tag[VLAN_HLEN] = { tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff };
	uint32_t caplen = p->caplen;

	if (caplen < 2 * ETH_ALEN)
		return; /* no room for the tag: leave the frame as it was cut */
	memcpy(scratch, p->data, 2 * ETH_ALEN);
	memcpy(scratch + 2 * ETH_ALEN, tag, VLAN_HLEN);
	memcpy(scratch + 2 * ETH_ALEN + VLAN_HLEN, p->data + 2 * ETH_ALEN, caplen - 2 * ETH_ALEN);
	caplen += VLAN_HLEN;
	p->data = scratch;
	p->caplen = caplen < snaplen ? caplen : snaplen;
	p->len += VLAN_HLEN;
}

void frame_put_sll2(uint8_t *scratch, uint32_t snaplen, const struct sll2 *h, struct ring_pkt *p)
{
	uint32_t caplen = p->caplen + SLL2_HDR_LEN;

	sll2_build(scratch, h);
	memcpy(scratch + SLL2_HDR_LEN, p->data, p->caplen);
	p->data = scratch;
	p->caplen = caplen < snaplen ? caplen : snaplen;
	p->len += SLL2_HDR_LEN;
}

/* The LINUX_SLL2 header, from what the kernel says of the packet. */
static void put_sll2(struct pring *r, const struct sockaddr_ll *sll, struct ring_pkt *p)
{
	struct sll2 h = {
		.proto = ntohs(sll->sll_protocol),
		.ifindex = (uint32_t)sll->sll_ifindex,
		.hatype = sll->sll_hatype,
		.pkttype = sll->sll_pkttype,
		.halen = sll->sll_halen,
	};

	memcpy(h.addr, sll->sll_addr, sll->sll_halen < 8 ? sll->sll_halen : 8);
	frame_put_sll2(r->scratch, r->snaplen, &h, p);
}

long pring_read(struct pring *r, int (*cb)(void *arg, const struct ring_pkt *p), void *arg)
{
	long n = 0;

	for (;;) {
		struct tpacket_block_desc *b = (void *)(r->map + (size_t)r->cur * r->block_size);
		const uint8_t *pos;
		uint32_t num;
		int stop = 0;

		/* the status is the kernel's release store; read it before the packets */
		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		num = b->hdr.bh1.num_pkts;
		pos = (const uint8_t *)b + b->hdr.bh1.offset_to_first_pkt;
		for (uint32_t i = 0; i < num && !stop; i++) {
			const struct tpacket3_hdr *h = (const void *)pos;
			const struct sockaddr_ll *sll =
				(const void *)(pos + TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
			struct ring_pkt p = {
				.ts_ns = (uint64_t)h->tp_sec * 1000000000ull + h->tp_nsec,
				.caplen = h->tp_snaplen,
				.len = h->tp_len,
				.ifindex = sll->sll_ifindex,
				.iface = r->iface,
				.pkttype = sll->sll_pkttype,
				.data = pos + h->tp_mac,
			};

			if (r->cooked)
				put_sll2(r, sll, &p);
			else if (h->tp_status & TP_STATUS_VLAN_VALID)
				frame_put_tag(r->scratch, r->snaplen,
					      h->tp_status & TP_STATUS_VLAN_TPID_VALID
						      ? h->hv1.tp_vlan_tpid
						      : ETH_P_8021Q,
					      h->hv1.tp_vlan_tci, &p);
			stop = cb(arg, &p);
			if (!stop)
				n++;
			pos += h->tp_next_offset;
		}
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		r->cur = (r->cur + 1) % r->block_nr;
		if (stop)
			return stop;
	}
	return n;
}

void pring_free(struct pring *r)
{
	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->map_len);
	free(r->scratch);
	memset(r, 0, sizeof(*r));
}
