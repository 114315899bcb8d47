/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: the owner table: which process owns each local TCP and UDP socket
 *
 * Shared by bpf/owners.bpf.c (which fills it), the socket filter (which
 * looks packets up in it) and src/owners.c (which loads, seeds and reads
 * it). Two maps, so that one socket's end invalidates every connection
 * that names it at once:
 *
 *   sc_conns  connection (namespace, protocol, local and remote address and
 *             port) -> socket cookie; the remote half zero for a listener or
 *             a bound UDP socket, the local address too for a wildcard one
 *   sc_socks  socket cookie -> the process that owns the socket, captured
 *             in that process's context
 */
#ifndef SOCKCAP_OWNERS_H
#define SOCKCAP_OWNERS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SC_CONNS_MAX 65536
#define SC_SOCKS_MAX 65536
#define SC_LOCAL_MAX 1024 /* addresses of the capture's namespace */

/* A process, as a record carries it: pid 0 means unknown. */
struct sc_proc {
	__u32 pid;     /* thread-group id */
	__u32 uid;     /* real uid */
	__u64 cgroup;  /* cgroup v2 id */
	char comm[16]; /* the thread-group leader's name */
};

/*
 * A connection as its packets show it: addresses are 16 bytes, an IPv4
 * one as ::ffff:a.b.c.d (so the IPv4 wildcard, ::ffff:0.0.0.0, differs
 * from the IPv6 one, ::); ports in host order. The network namespace's
 * cookie keeps loopback addresses of different namespaces apart.
 */
struct sc_conn_key {
	__u64 netns;
	__u8 proto; /* IPPROTO_TCP, IPPROTO_UDP */
	__u8 pad[3];
	__u16 lport, rport;
	__u32 laddr[4];
	__u32 raddr[4];
};

/*
 * sc_ports, by protocol and local port (sc_port_key()): 1 once some socket
 * has held that port. A packet whose local port has none cannot have an
 * owner, and the filter learns that from one array lookup instead of
 * missing in sc_conns four times (a flood to a closed port). Entries are
 * never cleared: a stale one costs lookups, never a name.
 */
#define SC_PORTS_MAX (2 << 16)

static inline __u32 sc_port_key(__u8 proto, __u16 port)
{
	return (proto == 6 ? 0 : 1u << 16) | port; /* TCP, else UDP */
}

/* sc_conn.flags */
#define SC_CONN_DUAL	 0x1 /* an IPv6 wildcard socket that takes IPv4 as well */
#define SC_CONN_LISTENER 0x2 /* an accepted connection: its listener's owner */

struct sc_conn {
	/*
	 * The socket, the key of sc_socks; 0: no process (a connection in
	 * TIME_WAIT, a packet the kernel made, a port bound by several
	 * processes), which ends the search.
	 */
	__u64 cookie;
	__u32 flags;
	__u32 pad;
};

/* Counters of the owner programs (a per-CPU array), for the statistics. */
enum sc_owner_count {
	SC_OC_SEEDED = 0, /* sockets found by the seeding iterator */
	SC_OC_SOCKS,	  /* sockets whose owner a hook recorded */
	SC_OC_CONNS,	  /* connections learnt from outgoing packets */
	SC_OC_FULL,	  /* updates that failed */
	SC_OC_MAX,
};

/*
 * The process filters (--pid, --uid, --comm, --cgroup): which kinds are in
 * force (the filter's proc_match), each a set of wanted values in a map of
 * its own. A packet is taken when one of its ends is a process that is in
 * every set in force.
 */
#define SC_PM_PID	0x1
#define SC_PM_UID	0x2
#define SC_PM_COMM	0x4
#define SC_PM_CGROUP	0x8
#define SC_WANT_MAX	64   /* pids, uids, names */
#define SC_WANT_CGROUPS 4096 /* a cgroup and those below it */

_Static_assert(sizeof(struct sc_proc) == 32, "sc_proc layout changed");
_Static_assert(sizeof(struct sc_conn_key) == 48, "sc_conn_key layout changed");

#endif /* SOCKCAP_OWNERS_H */
