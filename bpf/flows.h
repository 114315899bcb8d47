/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: the flow table (--flows): its key and entry, shared by bpf/ and src/
 *
 * The socket filter (bpf/flow_update.h) adds each packet it accepts to an
 * entry of a BPF hash map, sc_flows; src/flows.c reads the map, prints it
 * and deletes the entries of connections that are over. Both directions of
 * a conversation share one entry: the key holds its two ends in a
 * canonical order (a, b), and every per-direction counter is indexed by
 * the sending side (0: a sent it, 1: b did). Which side opened the
 * conversation is in the entry (orig), not in the key.
 */
#ifndef SOCKCAP_FLOWS_H
#define SOCKCAP_FLOWS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "owners.h"

#define SC_FLOWS_DEFAULT 65536 /* --flow-table */
#define SC_FLOWS_MIN	 16
#define SC_FLOWS_MAX	 (1 << 22)

/*
 * sc_flow_key.icmp for ICMP and ICMPv6: an echo (request or reply, also
 * timestamp and information) is keyed by its identifier, in both port
 * fields, with the request's type here, so the request and its reply are
 * one flow; any other message by type and code: type << 8 | code, ports 0.
 */
#define SC_FLOW_ICMP_ECHO  8   /* ICMP echo request and reply */
#define SC_FLOW_ICMP6_ECHO 128 /* ICMPv6 echo request and reply */

struct sc_flow_key {
	/* IPv4: the first 4 bytes, the rest 0; in network order */
	__u8 a[16] __attribute__((aligned(8)));
	__u8 b[16];
	__u16 aport, bport; /* host order; 0 for a protocol without ports */
	__u32 ifindex;
	__u8 proto;  /* IP protocol (after IPv6 extension headers) */
	__u8 family; /* 4 or 6 */
	__u16 icmp;  /* see above; 0 for other protocols */
	__u32 pad;
};

/* Sides of a flow: the index of every per-direction counter. */
#define SC_SIDE_A 0
#define SC_SIDE_B 1

/*
 * One flow. Counters that every packet adds to are added atomically
 * (several CPUs may carry one flow); the rest are set by plain stores
 * whose races lose nothing that matters (see flow_update.h).
 */
struct sc_flow {
	__u64 packets[2]; /* sent by side a, by side b */
	__u64 bytes[2];	  /* frame lengths (r->wire_len) */
	__u64 first_ns;	  /* CLOCK_TAI: the first packet */
	__u64 last_ns;	  /* and the latest */
	/* TCP only from here on */
	__u64 syn_ns;	  /* the first SYN (without ACK) */
	__u64 ack_ns;	  /* the originator's ACK completing the handshake */
	__u32 syns[2];	  /* SYNs without ACK sent, by side */
	__u32 synacks[2]; /* SYN+ACKs */
	__u32 fins[2];
	__u32 rsts[2];
	__u32 retrans[2];  /* segments that sent nothing new (see flow_update.h) */
	__u32 next_seq[2]; /* the highest sequence number sent, + 1 */
	__u8 tcp_flags[2]; /* every flag seen, by side */
	__u8 seq_seen[2];  /* next_seq[side] is set */
	__u8 orig;	   /* SC_SIDE_*: the side that opened it */
	__u8 orig_syn;	   /* 1: orig is known from a SYN or SYN+ACK */
	/*
	 * SC_SIDE_*: the local end. The owner's side once there is an owner
	 * (the sender of a packet sent, the receiver of one received; a
	 * peer the other end); before that, from the first packet's
	 * direction: its sender if it was sent, else its receiver.
	 */
	__u8 owner_side;
	__u8 pad;
	/* the first process attribution named for a packet of the flow */
	struct sc_proc owner;
};

_Static_assert(sizeof(struct sc_flow_key) == 48, "sc_flow_key layout changed");
_Static_assert(sizeof(struct sc_flow) == 152, "sc_flow layout changed");
_Static_assert(__builtin_offsetof(struct sc_flow, owner) == 120, "owner follows the flags");

#endif /* SOCKCAP_FLOWS_H */
