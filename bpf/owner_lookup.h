/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: the socket filter's side of process attribution: look a packet up
 *
 * Included by sockcap.bpf.c only. The maps are bpf/owners.bpf.c's, handed
 * over by user space (bpf_map__reuse_fd); without attribution they are not
 * created, and the program that uses them (sockcap_filter_owners) is not
 * loaded.
 */
#ifndef SOCKCAP_OWNER_LOOKUP_H
#define SOCKCAP_OWNER_LOOKUP_H

#include "owners.h"

/* Word 2 of an IPv4 address as ::ffff:a.b.c.d (byte swaps are their own inverse). */
#define SC_V4MAPPED sc_ntohl(0xffff)

const volatile __u64 owners_netns = 0; /* the capture's namespace (its cookie) */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, struct sc_conn_key);
	__type(value, struct sc_conn);
} sc_conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, struct sc_proc);
} sc_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} sc_ports SEC(".maps");

/* The capture namespace's addresses, kept by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32[4]);
	__type(value, __u8);
} sc_local SEC(".maps");

/* The process filters' sets (SC_PM_* in owners.h), filled by user space. */
const volatile __u8 proc_match = 0; /* SC_PM_*: the sets in force */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_WANT_MAX);
	__type(key, __u32);
	__type(value, __u8);
} sc_want_pid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_WANT_MAX);
	__type(key, __u32);
	__type(value, __u8);
} sc_want_uid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_WANT_MAX);
	__type(key, char[16]);
	__type(value, __u8);
} sc_want_comm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_WANT_CGROUPS);
	__type(key, __u64);
	__type(value, __u8);
} sc_want_cgroup SEC(".maps");

static __always_inline void sc_key_addr(__u32 *to, const __u8 *from, int v6)
{
	const __u32 *a = (const __u32 *)from;

	to[0] = v6 ? a[0] : 0;
	to[1] = v6 ? a[1] : 0;
	to[2] = v6 ? a[2] : SC_V4MAPPED;
	to[3] = v6 ? a[3] : a[0];
}

/*
 * A forwarded packet may be for a port a local socket listens on too: only
 * a local destination falls through to a wildcard socket. 127/8 is
 * loopback's whole.
 */
static __always_inline int sc_is_local(const __u32 *a)
{
	if (a[2] == SC_V4MAPPED && (sc_ntohl(a[3]) >> 24) == 127)
		return 1;
	return bpf_map_lookup_elem(&sc_local, a) != NULL;
}

/*
 * The owner of the local end k names; received (the packet arrives), a
 * socket bound to the local address or the wildcard takes what no
 * connection does, as the kernel's own lookup does.
 */
static __noinline int sc_owner_find(struct sc_conn_key *k, int received, struct sc_proc *p)
{
	int v4 = k->laddr[2] == SC_V4MAPPED;
	struct sc_conn *c = bpf_map_lookup_elem(&sc_conns, k);
	struct sc_proc *o;

	if (!c && received) {
		__builtin_memset(k->raddr, 0, sizeof(k->raddr));
		k->rport = 0;
		c = bpf_map_lookup_elem(&sc_conns, k);
		if (!c && sc_is_local(k->laddr)) {
			k->laddr[3] = 0;
			if (!v4)
				k->laddr[0] = k->laddr[1] = k->laddr[2] = 0;
			c = bpf_map_lookup_elem(&sc_conns, k);
			if (!c && v4) {
				k->laddr[2] = 0;
				c = bpf_map_lookup_elem(&sc_conns, k);
				if (c && !(c->flags & SC_CONN_DUAL))
					c = NULL;
			}
		}
	}
	if (!c || !c->cookie)
		return 0;
	o = bpf_map_lookup_elem(&sc_socks, &c->cookie);
	if (!o)
		return 0;
	*p = *o;
	return 1;
}

/*
 * Name the local end's owner: the sender of a packet sent, the receiver of
 * one received. On loopback both ends are this namespace's sockets, and the
 * sender's socket sent it, so its connection is known exactly (peer).
 */
/*
 * Whether some socket ever held this local port: one array lookup, before
 * any key is built, so that a flood to a closed port costs little (see
 * sc_ports in owners.h).
 */
static __always_inline int sc_port_held(__u8 proto, __u16 port)
{
	__u32 key = sc_port_key(proto, port);
	__u8 *held = bpf_map_lookup_elem(&sc_ports, &key);

	return held && *held;
}

/*
 * The owner of the receiving end of r, or of its sending end (out: a
 * packet sent, or the peer on loopback).
 */
static __noinline int sc_owner_of(struct sc_record *r, int sender, struct sc_proc *p)
{
	int v6 = r->ethertype == SC_ETH_P_IPV6;
	__u16 sport = r->l4.udp.sport, dport = r->l4.udp.dport;
	struct sc_conn_key k = { .netns = owners_netns, .proto = r->l4proto };

	k.lport = sender ? sport : dport;
	k.rport = sender ? dport : sport;
	/* checked before the key is built: most of a flood stops here */
	if (!sc_port_held(k.proto, k.lport))
		return 0;
	sc_key_addr(k.laddr, sender ? r->src : r->dst, v6);
	sc_key_addr(k.raddr, sender ? r->dst : r->src, v6);
	return sc_owner_find(&k, !sender, p);
}

static __always_inline void sc_owners(struct sc_record *r, int loopback)
{
	int out = r->pkttype == PACKET_OUTGOING;

	if ((r->layer != SC_L_TCP && r->layer != SC_L_UDP) || r->pkttype == PACKET_OTHERHOST)
		return;
	sc_owner_of(r, out, &r->owner);
	/* on loopback the sender's end is this namespace's too */
	if (loopback && !out)
		sc_owner_of(r, 1, &r->peer);
}

/* Is p a process in every set in force? (Not when it is not known.) */
static __noinline int sc_proc_is(const struct sc_proc *p)
{
	if (!p->pid)
		return 0;
	if ((proc_match & SC_PM_PID) && !bpf_map_lookup_elem(&sc_want_pid, &p->pid))
		return 0;
	if ((proc_match & SC_PM_UID) && !bpf_map_lookup_elem(&sc_want_uid, &p->uid))
		return 0;
	if ((proc_match & SC_PM_COMM) && !bpf_map_lookup_elem(&sc_want_comm, p->comm))
		return 0;
	if ((proc_match & SC_PM_CGROUP) && !bpf_map_lookup_elem(&sc_want_cgroup, &p->cgroup))
		return 0;
	return 1;
}

/* Either end of r, on loopback the sender as well as the receiver. */
static __always_inline int sc_proc_wanted(const struct sc_record *r)
{
	return sc_proc_is(&r->owner) || sc_proc_is(&r->peer);
}

#endif /* SOCKCAP_OWNER_LOOKUP_H */
