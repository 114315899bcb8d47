// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: socket filter: parse each packet, push a summary into a ring buffer
 *
 * Attached with SO_ATTACH_BPF to an AF_PACKET socket. In summary mode it
 * returns 0, so the kernel neither clones nor queues the packet: the record
 * in the ring buffer is all user space sees. When packets go to a file it
 * returns the snap length, and the kernel copies that much of the frame
 * into the socket's memory-mapped ring; the record is then optional.
 */
#include <linux/bpf.h>
#include <linux/if_packet.h>
#include <bpf/bpf_helpers.h>

#include "parse.h"
#include "owner_lookup.h"
#include "flow_update.h"

/* Set by user space between open and load. */
const volatile __u32 lo_ifindex = 0;	     /* skip loopback's outgoing copy */
const volatile __u64 wakeup_bytes = 0;	     /* wake the reader past this fill */
const volatile __u32 wakeup_check_mask = 63; /* check the fill every mask+1 */
const volatile __u32 snaplen = 0;	     /* bytes to queue to the socket; 0: none */
const volatile __u8 records = 1;	     /* push a summary record per packet */
const volatile __u8 direction = 0;	     /* SC_DIR_*: which packets to take (-Q) */
/*
 * Packets start at the network header, of EtherType skb->protocol: a
 * SOCK_DGRAM socket (-i any), or an interface without link-layer header (a
 * tun device). Otherwise at the Ethernet header.
 */
const volatile __u8 net_start = 0;
/*
 * Bytes before skb->data that belong to the frame. On a live packet socket
 * skb->data is the MAC header (0); BPF_PROG_TEST_RUN starts a socket
 * filter's data at the network header, so the tests set ETH_HLEN.
 */
const volatile __u32 len_bias = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sc_counters);
} counters SEC(".maps");

/*
 * With a filter expression, the socket's program is the expression
 * (translated from classic BPF by user space), and this program is entered
 * by a tail call through slot SC_SLOT_PARSER for each packet it accepts.
 * Slot SC_SLOT_EXPR holds the expression when it is entered through
 * sockcap_entry (below).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SC_NSLOTS);
	__type(key, __u32);
	__type(value, __u32);
} next SEC(".maps");

/*
 * A socket's filter program is charged to the socket's option memory, and
 * one larger than net.core.optmem_max (20 KiB on Linux 6.1) cannot be
 * attached: "protochain" alone unrolls to some 3000 instructions. Only the
 * attached program is charged, not those it tail-calls, so such an
 * expression is attached behind this one.
 */
SEC("socket")
int sockcap_entry(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &next, SC_SLOT_EXPR);
	return 0;
}

/*
 * Waking the reader costs about a microsecond, so records go in silently
 * and the reader polls with a short timeout; only when the ring fills past
 * the watermark is it woken early. Checking the fill level every few
 * records bounds the wakeups to one per wakeup_check_mask + 1 packets per
 * CPU while the reader is behind.
 */
static __always_inline __u64 sc_wakeup(struct sc_counters *c)
{
	if ((c->recorded & wakeup_check_mask) == 0 &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/* The capture side's fields of a record: everything sc_parse() does not set. */
static __always_inline void sc_meta(struct __sk_buff *skb, struct sc_record *r)
{
	r->version = SC_RECORD_VERSION;
	r->pkttype = skb->pkt_type;
	r->flags = 0;
	r->ifindex = skb->ifindex;
	r->ts_ns = bpf_ktime_get_tai_ns();
	r->wire_len = skb->len + len_bias;
	r->vlan_tci = 0;
	r->vlan_proto = 0;
	if (skb->vlan_present) {
		r->vlan_tci = skb->vlan_tci;
		/* 802.1Q or 802.1ad, in network order as skb->protocol */
		r->vlan_proto = sc_ntohs((__u16)skb->vlan_proto);
		r->flags = SC_F_VLAN_OOB;
	}
}

static __always_inline void sc_parse_skb(struct __sk_buff *skb, struct sc_record *r)
{
	struct sc_skb ctx = { .skb = skb,
			      .start = net_start ? BPF_HDR_START_NET : BPF_HDR_START_MAC };

	if (net_start)
		sc_parse_net(&ctx, sc_ntohs((__u16)skb->protocol), r);
	else
		sc_parse(&ctx, r);
}

/*
 * What every build of the filter does first: the packets it never looks at.
 * The counters, or NULL for a packet to leave alone.
 */
static __always_inline struct sc_counters *sc_enter(struct __sk_buff *skb)
{
	__u32 zero = 0;

	/*
	 * Loopback hands every packet to packet taps twice: once leaving
	 * (PACKET_OUTGOING) and once arriving. Keep the arrival only, as
	 * libpcap does.
	 */
	if (skb->pkt_type == PACKET_OUTGOING && skb->ifindex == lo_ifindex)
		return NULL;
	/* -Q: what another direction brings is not counted at all */
	if (direction != SC_DIR_INOUT &&
	    (skb->pkt_type == PACKET_OUTGOING) != (direction == SC_DIR_OUT))
		return NULL;
	return bpf_map_lookup_elem(&counters, &zero);
}

/*
 * The filter's body, in two programs: with process attribution and
 * without. Without CAP_PERFMON the 6.1 verifier also walks branches that
 * can never be taken (as speculative paths), so attribution switched off
 * by a flag would still have to verify, with maps that were never made;
 * user space loads one of the two instead (capture.c).
 */
static __always_inline int sc_filter(struct __sk_buff *skb, const int with_owners)
{
	struct sc_counters *c = sc_enter(skb);
	struct sc_record *r;
	__u64 flags;

	if (!c)
		return 0;
	c->seen++;
	if (!records)
		return snaplen;

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		c->lost++;
		return snaplen;
	}
	sc_meta(skb, r);
	sc_parse_skb(skb, r);
	if (with_owners)
		sc_owners(r, skb->ifindex == lo_ifindex);
	flags = sc_wakeup(c);
	c->recorded++;
	bpf_ringbuf_submit(r, flags);
	return snaplen;
}

SEC("socket")
int sockcap_filter(struct __sk_buff *skb)
{
	return sc_filter(skb, 0);
}

SEC("socket")
int sockcap_filter_owners(struct __sk_buff *skb)
{
	return sc_filter(skb, 1);
}

/*
 * The third build, for the process filters, for packets that go to a
 * file with their owner, and for the flow table (--flows): the record is made in a per-CPU scratch
 * buffer, so a packet of another process costs no ring space and no copy, and the packet's bytes
 * can follow the record in one ring entry.
 */
const volatile __u32 carry = 0; /* bytes of each packet to carry; 0: none */

struct sc_carried {
	struct sc_record r;
	__u8 data[SC_CARRY_MAX];
};

/*
 * Indexed by CPU: a per-CPU array's values are limited to 32 KiB. A socket
 * filter runs with bottom halves off, so nothing else on this CPU uses the
 * slot meanwhile.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* the number of CPUs, set by user space */
	__type(key, __u32);
	__type(value, struct sc_carried);
} scratch SEC(".maps");

SEC("socket")
int sockcap_filter_select(struct __sk_buff *skb)
{
	struct sc_counters *c = sc_enter(skb);
	__u32 cpu = bpf_get_smp_processor_id();
	struct sc_carried *s;
	__u32 size = sizeof(s->r), n;

	if (!c)
		return 0;
	s = bpf_map_lookup_elem(&scratch, &cpu);
	if (!s)
		return 0;
	sc_meta(skb, &s->r);
	sc_parse_skb(skb, &s->r);
	/* a cooked header names the sender's MAC address (see carried() in main.c) */
	if (net_start && carry &&
	    bpf_skb_load_bytes_relative(skb, 6, s->r.mac_src, 6, BPF_HDR_START_MAC))
		__builtin_memset(s->r.mac_src, 0, 6);
	sc_owners(&s->r, skb->ifindex == lo_ifindex);
	if (proc_match && !sc_proc_wanted(&s->r)) {
		c->unwanted++;
		return 0;
	}
	c->seen++;
	if (flows_on)
		sc_flow_update(&s->r, c);
	if (!records)
		return snaplen;
	if (carry) {
		/*
		 * From skb->data, as a packet socket's ring gets it: the MAC
		 * header, or the network header on a SOCK_DGRAM socket. The
		 * 6.1 verifier learns no lower bound from n != 0: the length
		 * is bounded by arithmetic, 1 to SC_CARRY_MAX.
		 */
		n = skb->len < carry ? skb->len : carry;
		if (n) {
			n = ((n - 1) & (SC_CARRY_MAX - 1)) + 1;
			if (bpf_skb_load_bytes(skb, 0, s->data, n) == 0)
				size += n;
		}
	}
	if (bpf_ringbuf_output(&events, s, size, sc_wakeup(c)))
		c->lost++;
	else
		c->recorded++;
	return snaplen; /* 0 when the packet is carried */
}

char LICENSE[] SEC("license") = "GPL";
