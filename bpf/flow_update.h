/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: the socket filter's side of --flows: add a packet to its flow
 *
 * Included by sockcap.bpf.c only, and used by its third build
 * (sockcap_filter_select), which has the whole record before it decides
 * anything. The map is a plain hash, not an LRU one: a full table must be
 * counted (sc_counters.untracked), never make room by forgetting a flow.
 */
#ifndef SOCKCAP_FLOW_UPDATE_H
#define SOCKCAP_FLOW_UPDATE_H

#include "flows.h"

const volatile __u8 flows_on = 0; /* --flows */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* --flow-table, set by user space */
	__type(key, struct sc_flow_key);
	__type(value, struct sc_flow);
} sc_flows SEC(".maps");

#define SC_TCP_FIN 0x01
#define SC_TCP_SYN 0x02
#define SC_TCP_RST 0x04
#define SC_TCP_ACK 0x10

/* The ICMP fields of the key: see SC_FLOW_ICMP_ECHO in flows.h. */
static __always_inline void sc_flow_icmp(const struct sc_record *r, struct sc_flow_key *k)
{
	__u8 t = r->l4.icmp.type;
	int v6 = r->layer == SC_L_ICMP6;

	if (sc_icmp_has_idseq(r)) {
		/* a reply and its request: echo (8, 0), timestamp (13, 14) */
		k->icmp = v6 ? SC_FLOW_ICMP6_ECHO : t == 0 || t == 8 ? SC_FLOW_ICMP_ECHO : 13;
		k->aport = k->bport = r->l4.icmp.id;
		return;
	}
	k->icmp = (__u16)t << 8 | r->l4.icmp.code;
}

/*
 * The key of r's flow, its two ends in canonical order: the smaller
 * (address, port) first, compared as words (any fixed order would do).
 * Returns the sending side, SC_SIDE_A or SC_SIDE_B, or -1: an IP packet
 * only has a flow.
 */
static __always_inline int sc_flow_key_of(const struct sc_record *r, struct sc_flow_key *k)
{
	const __u64 *s = (const __u64 *)r->src, *d = (const __u64 *)r->dst;
	__u16 sport = 0, dport = 0;
	int v6 = r->ethertype == SC_ETH_P_IPV6, swap;

	if (!(r->flags & SC_F_ADDR) || (r->ethertype != SC_ETH_P_IP && !v6))
		return -1;
	k->ifindex = r->ifindex;
	k->proto = r->l4proto;
	k->family = v6 ? 6 : 4;
	if (r->layer == SC_L_TCP || r->layer == SC_L_UDP) {
		sport = r->l4.udp.sport;
		dport = r->l4.udp.dport;
	} else if (r->layer == SC_L_ICMP || r->layer == SC_L_ICMP6) {
		sc_flow_icmp(r, k);
		sport = k->aport;
		dport = k->bport;
	}
	/* an IPv4 record's last 12 address bytes are 0 (sc_clear()) */
	if (s[0] != d[0])
		swap = s[0] > d[0];
	else if (s[1] != d[1])
		swap = s[1] > d[1];
	else
		swap = sport > dport;
	__builtin_memcpy(k->a, swap ? r->dst : r->src, 16);
	__builtin_memcpy(k->b, swap ? r->src : r->dst, 16);
	k->aport = swap ? dport : sport;
	k->bport = swap ? sport : dport;
	return swap ? SC_SIDE_B : SC_SIDE_A;
}

/*
 * TCP: the flags, the handshake and retransmissions. Plain stores here
 * race only between CPUs that carry the same connection at the same
 * instant: a flag bit could be lost, a time be a packet's later; the
 * counters of SYNs, FINs and resets are added atomically, since the state
 * is read from them.
 */
static __always_inline void sc_flow_tcp(const struct sc_record *r, struct sc_flow *f, int side)
{
	__u8 fl = r->l4.tcp.flags;
	int other = side ^ 1;
	__u32 len, end;

	if ((f->tcp_flags[side] & fl) != fl)
		f->tcp_flags[side] |= fl;
	if (fl & SC_TCP_RST)
		__sync_fetch_and_add(&f->rsts[side], 1);
	if (fl & SC_TCP_FIN)
		__sync_fetch_and_add(&f->fins[side], 1);
	if ((fl & (SC_TCP_SYN | SC_TCP_ACK)) == SC_TCP_SYN) {
		/* the SYN's sender opened the connection */
		__sync_fetch_and_add(&f->syns[side], 1);
		if (!f->syn_ns)
			f->syn_ns = r->ts_ns;
		f->orig = side;
		f->orig_syn = 1;
	} else if (fl & SC_TCP_SYN) {
		/* a SYN+ACK answers a SYN (perhaps not seen) from the other side */
		__sync_fetch_and_add(&f->synacks[side], 1);
		if (!f->orig_syn) {
			f->orig = other;
			f->orig_syn = 1;
		}
	} else if ((fl & (SC_TCP_ACK | SC_TCP_RST)) == SC_TCP_ACK && side == f->orig &&
		   f->synacks[other] && f->syn_ns && !f->ack_ns) {
		/* the originator's first ACK after the SYN+ACK: the handshake is done */
		f->ack_ns = r->ts_ns;
	}
	/*
	 * Retransmissions, the cheap way: a segment that occupies sequence
	 * space (data, SYN, FIN) and ends at or before the highest end its
	 * side already sent. A reordered segment counts too.
	 */
	if (r->l4_len < r->l4.tcp.doff * 4)
		return;
	len = r->l4_len - r->l4.tcp.doff * 4 + !!(fl & SC_TCP_SYN) + !!(fl & SC_TCP_FIN);
	if (!len || (r->flags & (SC_F_TRUNC | SC_F_BAD)))
		return;
	end = r->l4.tcp.seq + len;
	if (f->seq_seen[side] && (__s32)(end - f->next_seq[side]) <= 0) {
		__sync_fetch_and_add(&f->retrans[side], 1);
		return;
	}
	f->next_seq[side] = end;
	f->seq_seen[side] = 1;
}

/*
 * Add r to its flow, making the flow if it is new. Two CPUs may make it
 * at once: BPF_NOEXIST lets one win, and the other looks it up again.
 * A full table (the update fails, and the lookup still misses) leaves the
 * packet counted as not tracked.
 */
static __noinline void sc_flow_update(const struct sc_record *r, struct sc_counters *c)
{
	struct sc_flow_key k = {};
	struct sc_flow *f;
	int side = sc_flow_key_of(r, &k), local;

	if (side < 0) {
		c->noflow++;
		return;
	}
	side &= 1; /* for the verifier: an index of two */
	/* the local end: the sender of a packet sent, the receiver of one received */
	local = r->pkttype == PACKET_OUTGOING ? side : side ^ 1;
	f = bpf_map_lookup_elem(&sc_flows, &k);
	if (!f) {
		struct sc_flow n = {};

		n.first_ns = r->ts_ns;
		n.last_ns = r->ts_ns;
		n.orig = side;
		n.owner_side = local;
		bpf_map_update_elem(&sc_flows, &k, &n, BPF_NOEXIST);
		f = bpf_map_lookup_elem(&sc_flows, &k);
		if (!f) {
			c->untracked++;
			return;
		}
	}
	__sync_fetch_and_add(&f->packets[side], 1);
	__sync_fetch_and_add(&f->bytes[side], r->wire_len);
	if (f->last_ns < r->ts_ns)
		f->last_ns = r->ts_ns;
	if (!f->owner.pid && (r->owner.pid || r->peer.pid)) {
		/*
		 * The owner is the local end's process, the peer the other's.
		 * With both ends here (loopback), the originator's process: the
		 * client rather than the server it connected to.
		 */
		int peer = !r->owner.pid || (r->peer.pid && local != f->orig);

		f->owner = peer ? r->peer : r->owner;
		f->owner_side = peer ? local ^ 1 : local;
	}
	if (r->layer == SC_L_TCP)
		sc_flow_tcp(r, f, side);
	c->flowed++;
}

#endif /* SOCKCAP_FLOW_UPDATE_H */
