/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the record that crosses the ring buffer, shared by bpf/ and src/ */
#ifndef SOCKCAP_H
#define SOCKCAP_H

#include <linux/types.h>

#include "owners.h"

#define SC_RECORD_VERSION 3
/* sc_record.pkttype when the direction is not known (files). */
#define SC_PKTTYPE_UNKNOWN 255

/* Where parsing stopped, or the last layer that was parsed completely. */
enum sc_layer {
	SC_L_NONE = 0,
	SC_L_ETHER,
	SC_L_VLAN,
	SC_L_ARP,
	SC_L_IP,
	SC_L_IP6,
	SC_L_TCP,
	SC_L_UDP,
	SC_L_ICMP,
	SC_L_ICMP6,
	SC_L_LLC,  /* IEEE 802.2 LLC header (802.3 frames) */
	SC_L_SNAP, /* SNAP header after LLC */
	SC_L_STP,  /* spanning tree BPDU after LLC */
	SC_L_MAX,
};

/* IPv6 extension headers walked before the upper-layer header. */
#define SC_MAX_EXTHDR 8
/* Bytes of headers a record carries past the ones it has fields for. */
#define SC_HDR_MAX 128 /* a power of two: see sc_copy_hdr() */

/* sc_record.flags */
#define SC_F_TRUNC    0x0001 /* a header ran past the end of the frame */
#define SC_F_BAD      0x0002 /* a header field is impossible (IHL < 5, ...) */
#define SC_F_VLAN_OOB 0x0004 /* the outer tag was stripped by the kernel */
#define SC_F_VLAN_INB 0x0008 /* one or more tags were found in the frame */
#define SC_F_FRAG     0x0010 /* IPv4 or IPv6 non-first fragment: no L4 */
#define SC_F_IPSHORT  0x0020 /* IP length field says more than the frame has */
#define SC_F_TOODEEP  0x0040 /* IPv6 extension header chain longer than the walk */
#define SC_F_ADDR     0x0080 /* the fixed IP header was read: addresses valid */
#define SC_F_NOLINK   0x0100 /* no link-layer header: no MAC addresses */
/*
 * A first fragment: the L4 header was parsed, but the datagram goes on in
 * later fragments, so its lengths cover more than this packet (IPv4: more
 * fragments at offset 0; IPv6: a fragment header at offset 0).
 */
#define SC_F_FRAG1    0x0200
#define SC_F_VLAN2    0x0400 /* a second (inner) tag was found: vlan_tci2 is valid */
#define SC_F_VLAN2_AD 0x0800 /* the inner tag's TPID is 802.1ad (0x88a8), else 802.1Q */

/*
 * One record per packet, fixed size. Multi-byte numbers are in host order,
 * addresses in network order. The kernel writes every byte of it (reserved
 * ring memory is not zeroed), so each field is meaningful or zero.
 */
struct sc_record {
	/* metadata, set by the capture side */
	__u8 version; /* SC_RECORD_VERSION */
	__u8 pkttype; /* PACKET_HOST, PACKET_OUTGOING, ... */
	__u16 flags;  /* SC_F_* */
	__u32 ifindex;
	__u64 ts_ns;	  /* CLOCK_TAI, nanoseconds */
	__u32 wire_len;	  /* frame bytes (a stripped outer tag excluded) */
	__u16 vlan_tci;	  /* outer tag (stripped by the kernel or in-band) */
	__u16 vlan_proto; /* its TPID: skb->vlan_proto, or the frame's EtherType field */

	/* parsed, from offset SC_PARSED_OFF on: sc_parse() clears it first */
	__u16 vlan_tci2; /* second (inner) tag, QinQ: with SC_F_VLAN2 */
	__u16 ethertype; /* after all VLAN tags; 802.3: the length field (<= 1500) */
	__u8 layer;	 /* enum sc_layer: last layer reached */
	__u8 l4proto;	 /* IP protocol after IPv6 extension headers */
	__u8 ttl;	 /* IPv4 TTL, IPv6 hop limit */
	__u8 tos;	 /* IPv4 TOS, IPv6 traffic class */
	/* as on the wire, so one aligned copy fills both */
	__u8 mac_dst[6];
	__u8 mac_src[6];
	union {
		__u16 ip_id;	/* IPv4 id */
		__u16 frag_len; /* IPv6 fragment: payload bytes after the fragment header */
	};
	__u16 ip_len; /* IPv4 total length, IPv6 payload length */
	/* 8-byte aligned, so addresses are copied in words, not bytes */
	__u8 src[16] __attribute__((aligned(8))); /* IPv4: first 4 bytes; ARP sender */
	__u8 dst[16];				  /* ARP target */
	__u16 frag;	 /* IPv4 flags+offset field; IPv6 fragment offset */
	__u16 l4_len;	 /* IP payload bytes from the L4 header on; 802.3: LLC bytes */
	__u32 flowlabel; /* IPv6 */
	union {
		struct {
			__u16 sport, dport;
			__u32 seq, ack;
			__u16 win;
			__u8 flags; /* TCP flags byte (CWR..FIN) */
			__u8 doff;  /* header length in 32-bit words */
		} tcp;
		struct {
			__u16 sport, dport;
			__u16 len; /* UDP length field */
		} udp;
		struct {
			__u8 type, code;
			__u16 id, seq;
		} icmp;
		struct {
			__u16 op;
			__u16 hrd; /* hardware type */
			__u16 pro; /* protocol type */
			__u8 hln, pln;
			__u8 sha[6]; /* sender hardware address */
			__u8 tha[6]; /* target hardware address */
		} arp;
		struct {
			__u8 dsap, ssap; /* as on the wire, with the I/G and C/R bits */
			__u16 ctrl;	 /* 1 byte (U format) or 2 (I and S formats) */
			union {
				struct {
					__u32 oui;
					__u16 pid; /* protocol id */
				} snap;
				struct {
					__u16 proto; /* protocol identifier: 0 */
					__u8 version, type, flags, pad;
					__u16 port;	/* port identifier */
					__u8 bridge[8]; /* bridge identifier */
				} stp;
			};
		} llc;
	} l4;
	__u32 frag_id; /* IPv6 fragment header's identification */
	/*
	 * The headers after the last one parsed into fields, as the frame
	 * has them: hdr_len bytes from frame offset hdr_off (the L4 header;
	 * an IP payload sockcap has no fields for; the network header of an
	 * MPLS frame). Copied only where the line needs more than the
	 * fields (sc_hdr_want() in parse.h); user space decodes them with
	 * the same parser, so a live line and a file's line are the same.
	 */
	__u16 hdr_off;
	__u8 hdr_len;
	__u8 ext_n;		 /* IPv6 extension headers walked */
	__u8 ext[SC_MAX_EXTHDR]; /* their types, in order */
	__u32 pad;
	__u8 hdr[SC_HDR_MAX] __attribute__((aligned(8)));
	/*
	 * Process attribution (bpf/owners.h), TCP and UDP only: the owner of
	 * the local socket, the sender of a packet sent and the receiver of
	 * one received; and on loopback, where both ends are this
	 * namespace's sockets, the other end too (the sender). A pid of 0:
	 * not known, or the kernel's own packet.
	 */
	struct sc_proc owner;
	struct sc_proc peer;
};

#define SC_PARSED_OFF 24
_Static_assert(sizeof(struct sc_record) == 320, "sc_record layout changed");
_Static_assert(__builtin_offsetof(struct sc_record, owner) == 256, "owner follows hdr");
_Static_assert(__builtin_offsetof(struct sc_record, hdr) == 128, "hdr must stay aligned");
_Static_assert(__builtin_offsetof(struct sc_record, src) == 48, "addresses must stay aligned");
_Static_assert(__builtin_offsetof(struct sc_record, vlan_tci2) == SC_PARSED_OFF,
	       "parsed fields must start at SC_PARSED_OFF");
_Static_assert(sizeof(((struct sc_record *)0)->l4) == 20, "the L4 union grew");

/* Directions a capture takes (-Q). */
enum sc_direction {
	SC_DIR_INOUT = 0,
	SC_DIR_IN,  /* everything but PACKET_OUTGOING */
	SC_DIR_OUT, /* PACKET_OUTGOING only */
};

/* Slots of the program array "next". */
enum sc_slot {
	SC_SLOT_PARSER = 0, /* the filter (the expression tail-calls it) */
	SC_SLOT_EXPR,	    /* the expression, behind sockcap_entry */
	SC_NSLOTS,
};

/* Counters kept per CPU in the kernel; user space sums them. */
struct sc_counters {
	__u64 seen;	 /* packets the filter looked at (that matched an expression) */
	__u64 recorded;	 /* records submitted to the ring */
	__u64 lost;	 /* ring full: no record */
	__u64 sock_seen; /* with an expression: packets it looked at */
	__u64 unwanted;	 /* of another process than --pid/--uid/--comm/--cgroup name */
	/* --flows: of the packets seen, added to a flow, or not (table full, not IP) */
	__u64 flowed, untracked, noflow;
};

/*
 * A record that carries its packet (process comments in pcapng files):
 * the record, then up to SC_CARRY_MAX bytes of the frame, in one ring
 * entry, so that the packet and its owner cannot be mismatched. The entry's
 * size says how many bytes came.
 */
#define SC_CARRY_MAX 65536 /* a power of two: see sc_filter_select() */

#ifndef __bpf__
/*
 * When the filter wakes the reader early: past a quarter of the ring, with
 * the fill checked every 64 records, or more often in a ring too small to
 * hold many times 64 (a check per eighth of the ring at least).
 */
static inline void sc_wakeup_settings(__u64 ring_bytes, __u64 *bytes, __u32 *check_mask)
{
	__u64 records = ring_bytes / (sizeof(struct sc_record) + 8);
	__u32 step = 64;

	while (step > 1 && step > records / 8)
		step >>= 1;
	*bytes = ring_bytes / 4;
	*check_mask = step - 1;
}
#endif

#endif /* SOCKCAP_H */
