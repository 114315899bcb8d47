// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: process attribution: fill the owner table (bpf/owners.h)
 *
 * The socket filter cannot learn a packet's local socket at the tap: an
 * outgoing packet there is a clone without one, an incoming one on a veth
 * still carries the sender's socket from the other namespace. So these
 * programs record, while the owning process runs, which process owns each
 * socket (sc_socks), and, as packets leave, which socket each connection
 * belongs to (sc_conns); the filter then looks packets up by their
 * addresses and ports.
 *
 * Only hooks that load on Debian 12's 6.1 and on kernels that refuse
 * fentry and kprobes: cgroup socket hooks on the cgroup v2 root (process
 * context), tp_btf/net_dev_queue (every packet leaving a device, before the
 * packet taps, with its socket), tp_btf/inet_sock_set_state (listen, close)
 * and an iter/task_file program that seeds the sockets that were open
 * before the capture started, in every namespace.
 *
 * What each can tell: a socket's owner is the last process that created,
 * bound, connected, sent to an address or received from one with it (the
 * cgroup hooks), or, for sockets older than the capture, a process that
 * held it when the capture started. A connection accepted from a listener
 * has no hook of its own in the accepting process: it is named after the
 * listener's owner, which is wrong for a server whose workers accept from
 * a listener their parent opened (unless the connection predates the
 * capture). A port that several processes' sockets share (SO_REUSEPORT)
 * names nobody for packets that only the port identifies.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "owners.h"

#define AF_INET	   2
#define AF_INET6   10
#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD
#define PF_KTHREAD 0x00200000
#define IP_OFFMASK 0x1fff

/* The fixed IP headers, read whole from the packet (no CO-RE: wire formats). */
struct sc_ip4 {
	__u8 vihl, tos;
	__u16 len, id, frag;
	__u8 ttl, proto;
	__u16 csum;
	__u32 saddr, daddr;
};

struct sc_ip6 {
	__u32 vtcfl;
	__u16 plen;
	__u8 nexthdr, hlim;
	__u32 saddr[4], daddr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SC_CONNS_MAX);
	__type(key, struct sc_conn_key);
	__type(value, struct sc_conn);
} sc_conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SC_SOCKS_MAX);
	__type(key, __u64);
	__type(value, struct sc_proc);
} sc_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SC_PORTS_MAX);
	__type(key, __u32);
	__type(value, __u8);
} sc_ports SEC(".maps");

/* Filled by user space, read by the socket filter: see owner_lookup.h. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_LOCAL_MAX);
	__type(key, __u32[4]);
	__type(value, __u8);
} sc_local SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SC_OC_MAX);
	__type(key, __u32);
	__type(value, __u64);
} sc_owner_counts SEC(".maps");

static __always_inline void count(__u32 what)
{
	__u64 *n = bpf_map_lookup_elem(&sc_owner_counts, &what);

	if (n)
		(*n)++;
}

/* A connection or port gets an owner: its port may have packets to name. */
static __always_inline long conn_set(struct sc_conn_key *k, struct sc_conn *c, __u64 flags)
{
	__u32 port = sc_port_key(k->proto, k->lport);
	__u8 *held = bpf_map_lookup_elem(&sc_ports, &port);

	/* a plain store: every writer writes the same 1 */
	if (held && !*held)
		*held = 1;
	return bpf_map_update_elem(&sc_conns, k, c, flags);
}

/* Who a task is. Kernel threads own nothing: their packets are the kernel's. */
static __always_inline int proc_of(struct task_struct *t, struct sc_proc *p)
{
	if (BPF_CORE_READ(t, flags) & PF_KTHREAD)
		return -1;
	p->pid = BPF_CORE_READ(t, tgid);
	p->uid = BPF_CORE_READ(t, cred, uid.val);
	p->cgroup = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
	/* a thread may rename itself; the process is its leader's name */
	BPF_CORE_READ_STR_INTO(&p->comm, t, group_leader, comm);
	return p->pid ? 0 : -1;
}

static __always_inline bool same_proc(const struct sc_proc *a, const struct sc_proc *b)
{
	const __u64 *x = (const __u64 *)a->comm, *y = (const __u64 *)b->comm;

	return a->pid == b->pid && x[0] == y[0] && x[1] == y[1];
}

/* In process context: the current process owns the socket. */
static __always_inline void own_socket(__u64 cookie)
{
	struct sc_proc p = {}, *old;

	if (!cookie || proc_of((struct task_struct *)bpf_get_current_task(), &p))
		return;
	old = bpf_map_lookup_elem(&sc_socks, &cookie);
	if (old && same_proc(old, &p))
		return;
	count(bpf_map_update_elem(&sc_socks, &cookie, &p, BPF_ANY) ? SC_OC_FULL : SC_OC_SOCKS);
}

/*
 * The socket owns a port (a listener, a bound UDP socket). Another live
 * socket of another process on the same key (SO_REUSEPORT) makes the port
 * ambiguous: it then names nobody, for good.
 */
static __always_inline void own_port(struct sc_conn_key *k, __u64 cookie, __u32 flags)
{
	struct sc_conn c = { .cookie = cookie, .flags = flags }, *old;
	struct sc_proc *was, *now;

	old = bpf_map_lookup_elem(&sc_conns, k);
	if (old && old->cookie != cookie) {
		if (!old->cookie)
			return;
		was = bpf_map_lookup_elem(&sc_socks, &old->cookie);
		now = bpf_map_lookup_elem(&sc_socks, &cookie);
		if (was && (!now || was->pid != now->pid))
			c.cookie = 0;
	}
	if (conn_set(k, &c, BPF_ANY))
		count(SC_OC_FULL);
}

static __always_inline void v4_mapped(__u32 *a, __u32 addr)
{
	a[0] = 0;
	a[1] = 0;
	a[2] = bpf_htonl(0xffff);
	a[3] = addr;
}

/*
 * The key of a socket, from its own addresses; bound: the local half only
 * (a listener, an unconnected UDP socket).
 */
static __always_inline int key_of_sock(struct sock *sk, struct sc_conn_key *k, bool bound)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 proto = BPF_CORE_READ(sk, sk_protocol);

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -1;
	k->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, net_cookie);
	k->proto = proto;
	k->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (family == AF_INET) {
		v4_mapped(k->laddr, BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr));
		if (!bound)
			v4_mapped(k->raddr, BPF_CORE_READ(sk, __sk_common.skc_daddr));
	} else if (family == AF_INET6) {
		BPF_CORE_READ_INTO(&k->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
		if (!bound)
			BPF_CORE_READ_INTO(&k->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	} else {
		return -1;
	}
	if (!bound)
		k->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return k->lport ? 0 : -1;
}

/*
 * What names a socket in sc_socks: its cookie. A socket nothing has asked
 * for one has none yet, and the seeding cannot make one (the socket it
 * reaches is no trusted pointer to the helper on newer kernels): such an
 * old socket is named by its address instead, which no cookie (a counter
 * from 1) can equal. Its entries go when it closes (TCP, UDP).
 */
static __always_inline __u64 sock_id(struct sock *sk)
{
	__u64 cookie = BPF_CORE_READ(sk, __sk_common.skc_cookie.counter);

	return cookie ? cookie : (__u64)sk;
}

/* An IPv6 wildcard socket that also receives IPv4 (not IPV6_V6ONLY). */
static __always_inline __u32 dual_flag(struct sock *sk, const struct sc_conn_key *k)
{
	if (BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET6 ||
	    (k->laddr[0] | k->laddr[1] | k->laddr[2] | k->laddr[3]))
		return 0;
	return BPF_CORE_READ_BITFIELD_PROBED(&sk->__sk_common, skc_ipv6only) ? 0 : SC_CONN_DUAL;
}

/*
 * The key of an outgoing packet, from its headers as the tap will parse
 * them: for an unconnected UDP socket the socket's own addresses say
 * nothing of the destination. TCP and UDP right after the IP header only.
 */
static __always_inline int key_of_skb(struct sk_buff *skb, struct sc_conn_key *k,
				      unsigned char **l4)
{
	unsigned char *nh = BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, network_header);
	__u16 proto = BPF_CORE_READ(skb, protocol);
	__u16 ports[2];
	struct sc_ip4 ip4;
	struct sc_ip6 ip6;

	if (proto == bpf_htons(ETH_P_IP)) {
		if (bpf_probe_read_kernel(&ip4, sizeof(ip4), nh) ||
		    (ip4.frag & bpf_htons(IP_OFFMASK)))
			return -1;
		k->proto = ip4.proto;
		v4_mapped(k->laddr, ip4.saddr);
		v4_mapped(k->raddr, ip4.daddr);
		nh += (ip4.vihl & 0xf) * 4;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), nh))
			return -1;
		k->proto = ip6.nexthdr;
		__builtin_memcpy(k->laddr, ip6.saddr, 16);
		__builtin_memcpy(k->raddr, ip6.daddr, 16);
		nh += sizeof(ip6);
	} else {
		return -1;
	}
	if (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP)
		return -1;
	if (bpf_probe_read_kernel(ports, sizeof(ports), nh))
		return -1;
	k->lport = bpf_ntohs(ports[0]);
	k->rport = bpf_ntohs(ports[1]);
	*l4 = nh;
	return 0;
}

#define TCP_FLAG_SYN 0x02

/* Whether a TCP packet's header has SYN set (the flags: its 14th byte). */
static __always_inline bool tcp_syn(unsigned char *th)
{
	__u8 flags = 0;

	bpf_probe_read_kernel(&flags, 1, th + 13);
	return flags & TCP_FLAG_SYN;
}

/* The listener an accepted connection came from: its port's owner. */
static __always_inline __u64 listener_of(const struct sc_conn_key *conn)
{
	struct sc_conn_key k = *conn;
	struct sc_conn *c;

	__builtin_memset(k.raddr, 0, sizeof(k.raddr));
	k.rport = 0;
	c = bpf_map_lookup_elem(&sc_conns, &k);
	if (c)
		return c->cookie;
	/* bound to the wildcard: IPv4's, else IPv6's (if it takes IPv4) */
	if (k.laddr[2] == bpf_htonl(0xffff)) {
		k.laddr[3] = 0;
		c = bpf_map_lookup_elem(&sc_conns, &k);
		if (c)
			return c->cookie;
	}
	__builtin_memset(k.laddr, 0, sizeof(k.laddr));
	c = bpf_map_lookup_elem(&sc_conns, &k);
	if (c && conn->laddr[2] == bpf_htonl(0xffff) && !(c->flags & SC_CONN_DUAL))
		c = NULL;
	return c ? c->cookie : 0;
}

/*
 * Which socket a packet leaving a device belongs to. A SYN-ACK comes from
 * a request socket (or, with Fast Open, the listener): its listener's. A
 * packet of a connection in TIME_WAIT, from one of the kernel's own
 * sockets (a reset to a closed port), or any other a listener sends (a
 * reset to a stray segment: newer kernels attach the listener to it), is
 * the kernel's: the connection then names nobody.
 */
SEC("tp_btf/net_dev_queue")
int BPF_PROG(sc_owners_xmit, struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct sc_conn_key k = {};
	struct sc_conn c = {}, *old;
	unsigned char *l4;
	__u8 state;

	if (!sk || key_of_skb(skb, &k, &l4))
		return 0;
	k.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, net_cookie);
	state = BPF_CORE_READ(sk, __sk_common.skc_state);
	old = bpf_map_lookup_elem(&sc_conns, &k);
	if (state == TCP_NEW_SYN_RECV) {
		/* a request socket is a sock_common with its listener in it */
		struct sock *l = BPF_CORE_READ(sk, __sk_common.skc_listener);

		c.cookie = sock_id(l);
		c.flags = SC_CONN_LISTENER;
	} else if (state == TCP_LISTEN) {
		if (k.proto == IPPROTO_TCP && tcp_syn(l4)) {
			c.cookie = sock_id(sk);
			c.flags = SC_CONN_LISTENER;
		}
	} else if (state != TCP_TIME_WAIT && !BPF_CORE_READ_BITFIELD_PROBED(sk, sk_kern_sock)) {
		/* read, not made: skb->sk is no trusted pointer on newer kernels */
		c.cookie = sock_id(sk);
		if (!bpf_map_lookup_elem(&sc_socks, &c.cookie)) {
			/* accepted: keep what the SYN-ACK learnt, from the right listener */
			if (old || k.proto != IPPROTO_TCP)
				return 0;
			c.cookie = listener_of(&k);
			c.flags = SC_CONN_LISTENER;
		}
	}
	if (old && old->cookie == c.cookie && old->flags == c.flags)
		return 0;
	count(conn_set(&k, &c, BPF_ANY) ? SC_OC_FULL : SC_OC_CONNS);
	return 0;
}

static __always_inline void tcp_listening(struct sock *sk)
{
	struct sc_conn_key k = {};
	__u64 cookie = bpf_get_socket_cookie(sk);

	if (key_of_sock(sk, &k, true))
		return;
	/* listen() runs in the owner's context */
	own_socket(cookie);
	own_port(&k, cookie, dual_flag(sk, &k));
}

/*
 * A connection that closes leaves a tombstone, not a hole: its TIME_WAIT
 * packets must not fall through to the listener's owner.
 */
static __always_inline void tcp_closed(struct sock *sk, int oldstate)
{
	struct sc_conn_key k = {};
	struct sc_conn none = {}, *c;
	__u64 cookie = bpf_get_socket_cookie(sk);

	if (oldstate == TCP_LISTEN) {
		if (!key_of_sock(sk, &k, true)) {
			c = bpf_map_lookup_elem(&sc_conns, &k);
			if (c && (c->cookie == cookie || c->cookie == (__u64)sk))
				bpf_map_delete_elem(&sc_conns, &k);
		}
	} else if (!key_of_sock(sk, &k, false) && k.rport) {
		bpf_map_update_elem(&sc_conns, &k, &none, BPF_ANY);
	}
	bpf_map_delete_elem(&sc_socks, &cookie);
	cookie = (__u64)sk; /* seeded without a cookie */
	bpf_map_delete_elem(&sc_socks, &cookie);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sc_owners_state, struct sock *sk, int oldstate, int newstate)
{
	if (newstate == TCP_LISTEN)
		tcp_listening(sk);
	else if (newstate == TCP_CLOSE)
		tcp_closed(sk, oldstate);
	return 0;
}

SEC("cgroup/sock_create")
int sc_owners_create(struct bpf_sock *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

/* A TCP socket's end is its close (above); a UDP socket ends here. */
SEC("cgroup/sock_release")
int sc_owners_release(struct bpf_sock *ctx)
{
	__u64 cookie = bpf_get_socket_cookie(ctx);

	if (ctx->protocol != IPPROTO_TCP || ctx->state == BPF_TCP_CLOSE) {
		bpf_map_delete_elem(&sc_socks, &cookie);
		cookie = (__u64)ctx; /* the socket itself: seeded without a cookie */
		bpf_map_delete_elem(&sc_socks, &cookie);
	}
	return 1;
}

/* A bound UDP socket receives on its port before it sends anything. */
static __always_inline void bound(struct bpf_sock *ctx, bool v6)
{
	struct sc_conn_key k = { .netns = bpf_get_netns_cookie(ctx), .proto = IPPROTO_UDP };
	__u64 cookie = bpf_get_socket_cookie(ctx);

	own_socket(cookie);
	if (ctx->protocol != IPPROTO_UDP)
		return;
	k.lport = ctx->src_port;
	if (v6) {
		k.laddr[0] = ctx->src_ip6[0];
		k.laddr[1] = ctx->src_ip6[1];
		k.laddr[2] = ctx->src_ip6[2];
		k.laddr[3] = ctx->src_ip6[3];
	} else {
		v4_mapped(k.laddr, ctx->src_ip4);
	}
	/* whether an IPv6 one takes IPv4 is not known here: it does not, then */
	own_port(&k, cookie, 0);
}

SEC("cgroup/post_bind4")
int sc_owners_bind4(struct bpf_sock *ctx)
{
	bound(ctx, false);
	return 1;
}

SEC("cgroup/post_bind6")
int sc_owners_bind6(struct bpf_sock *ctx)
{
	bound(ctx, true);
	return 1;
}

/* Whoever connects, sends to an address or receives from one, owns the socket. */
SEC("cgroup/connect4")
int sc_owners_connect4(struct bpf_sock_addr *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

SEC("cgroup/connect6")
int sc_owners_connect6(struct bpf_sock_addr *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

SEC("cgroup/sendmsg4")
int sc_owners_sendmsg4(struct bpf_sock_addr *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

SEC("cgroup/sendmsg6")
int sc_owners_sendmsg6(struct bpf_sock_addr *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

SEC("cgroup/recvmsg4")
int sc_owners_recvmsg4(struct bpf_sock_addr *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

SEC("cgroup/recvmsg6")
int sc_owners_recvmsg6(struct bpf_sock_addr *ctx)
{
	own_socket(bpf_get_socket_cookie(ctx));
	return 1;
}

/*
 * Run once at start: every socket file of every process, in every
 * namespace. What a hook recorded since the hooks were attached is newer,
 * so nothing is overwritten.
 */
SEC("iter/task_file")
int sc_owners_seed(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct sc_conn_key k = {};
	struct sc_conn c = {};
	struct sc_proc p = {};
	struct socket *sock;
	struct sock *sk;

	if (!task || !file)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk || proc_of(task, &p) || key_of_sock(sk, &k, false))
		return 0;
	c.cookie = sock_id(sk);
	if (!bpf_map_update_elem(&sc_socks, &c.cookie, &p, BPF_NOEXIST))
		count(SC_OC_SEEDED);
	if (BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_LISTEN ||
	    (k.proto == IPPROTO_UDP && !k.rport)) {
		__builtin_memset(k.raddr, 0, sizeof(k.raddr));
		own_port(&k, c.cookie, dual_flag(sk, &k));
	} else if (k.rport) {
		conn_set(&k, &c, BPF_NOEXIST);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
