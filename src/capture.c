// SPDX-License-Identifier: GPL-2.0-only
/* \summary: load the socket filter, attach it to a packet socket, read the ring */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "linktype.h"
#include "cbpf.h"
#include "sockcap.bpf.skel.h"
#include "util.h"

static int on_ring_record(void *ctx, void *data, size_t size)
{
	struct capture *c = ctx;
	const struct sc_record *r = data;

	if (size < sizeof(*r) || r->version != SC_RECORD_VERSION) {
		c->bad_records++;
		return 0;
	}
	return c->on_record(c->arg, r, (const uint8_t *)data + sizeof(*r),
			    (uint32_t)(size - sizeof(*r)));
}

/* The link of an interface by its hardware type (SIOCGIFHWADDR). */
static int link_of_hwtype(unsigned int type, enum capture_link *link)
{
	switch (type) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:
		*link = CAPTURE_LINK_ETHER;
		return 0;
	case ARPHRD_NONE: /* tun */
		*link = CAPTURE_LINK_RAW;
		return 0;
	}
	*link = CAPTURE_LINK_ETHER;
	return -EOPNOTSUPP;
}

static int hw_type(int fd, const char *name, unsigned int *type)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	*type = ifr.ifr_hwaddr.sa_family;
	return 0;
}

/*
 * The link of interface name, up or down, and its index: 0, or
 * -ENAMETOOLONG, -ENODEV, -EOPNOTSUPP (*type: its hardware type) or
 * another -errno. Prints nothing.
 */
static int if_link(const char *name, int *ifindex, enum capture_link *link, unsigned int *type)
{
	int fd, err;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	*ifindex = if_nametoindex(name);
	if (!*ifindex)
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = hw_type(fd, name, type);
	if (!err)
		err = link_of_hwtype(*type, link);
	close(fd);
	return err;
}

/* if_link()'s failure, in one line */
static int if_link_error(const char *name, int err, unsigned int type)
{
	if (err == -ENAMETOOLONG)
		sc_err("%s: interface name too long", name);
	else if (err == -ENODEV)
		sc_err("%s: no such interface", name);
	else if (err == -EOPNOTSUPP) /* the parser and the files know these link layers only */
		sc_err("%s: link type %u is not supported (Ethernet, loopback and raw IP are)",
		       name, type);
	else if (err)
		sc_err("%s: %s", name, strerror(-err));
	return err;
}

/* Interface must exist and be up; index 0 would mean "every interface". */
static int check_interface(const char *name, int *ifindex, enum capture_link *link)
{
	struct ifreq ifr = { 0 };
	unsigned int type = 0;
	int fd, err = if_link(name, ifindex, link, &type);

	if (err)
		return if_link_error(name, err, type);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		sc_err("socket: %s", strerror(errno));
		return err;
	}
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		err = -errno;
		sc_err("%s: %s", name, strerror(errno));
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		err = -ENETDOWN;
		sc_err("%s: interface is down", name);
	}
	close(fd);
	return err;
}

/* The interfaces of a capture: all of one link, "any" alone. */
static int check_interfaces(struct capture *c, const struct capture_opts *o)
{
	static const char *const kind[] = {
		[CAPTURE_LINK_ETHER] = "Ethernet",
		[CAPTURE_LINK_RAW] = "raw IP",
		[CAPTURE_LINK_COOKED] = "cooked",
	};
	enum capture_link link = CAPTURE_LINK_ETHER;
	int err;

	for (unsigned int i = 0; i < o->nifs; i++) {
		struct capture_if *ci = &c->ifs[i];

		if (!strcmp(o->ifnames[i], CAPTURE_ANY)) {
			if (o->nifs > 1) {
				sc_err("-i %s takes every interface: it cannot be combined with "
				       "other -i",
				       CAPTURE_ANY);
				return -EINVAL;
			}
			ci->ifindex = 0;
			link = CAPTURE_LINK_COOKED;
		} else {
			err = check_interface(o->ifnames[i], &ci->ifindex, &link);
			if (err)
				return err;
		}
		snprintf(ci->name, sizeof(ci->name), "%s", o->ifnames[i]);
		for (unsigned int j = 0; j < i; j++) {
			if (c->ifs[j].ifindex == ci->ifindex) {
				sc_err("%s: interface named twice", o->ifnames[i]);
				return -EINVAL;
			}
		}
		if (i > 0 && link != c->link) {
			sc_err("%s (%s) and %s (%s): interfaces of different link types cannot be "
			       "captured together",
			       c->ifs[0].name, kind[c->link], ci->name, kind[link]);
			return -EINVAL;
		}
		c->link = link;
	}
	c->nifs = o->nifs;
	return 0;
}

int capture_check_ifs(const char *const *ifnames, unsigned int nifs, enum capture_link *link)
{
	static struct capture c;
	struct capture_opts o = { .ifnames = ifnames, .nifs = nifs };
	int err;

	memset(&c, 0, sizeof(c));
	err = check_interfaces(&c, &o);
	*link = c.link;
	return err;
}

int capture_if_link(const char *name, enum capture_link *link, bool say)
{
	unsigned int type = 0;
	int ifindex, err;

	if (!strcmp(name, CAPTURE_ANY)) {
		*link = CAPTURE_LINK_COOKED;
		return 0;
	}
	err = if_link(name, &ifindex, link, &type);
	return say ? if_link_error(name, err, type) : err;
}

/*
 * Process attribution: the filter looks packets up in the owner table's
 * maps. Without it they are not even created, and the filter that reads
 * them is not loaded -- unless the flow table needs that filter (select):
 * then it gets maps of its own, small and empty, where every lookup misses.
 */
static int share_owners(struct sockcap_bpf *skel, const struct capture_owners *ow, bool select)
{
	struct {
		struct bpf_map *map;
		int fd;
	} m[] = {
		{ skel->maps.sc_conns, ow ? ow->conns_fd : -1 },
		{ skel->maps.sc_socks, ow ? ow->socks_fd : -1 },
		{ skel->maps.sc_local, ow ? ow->local_fd : -1 },
		{ skel->maps.sc_ports, ow ? ow->ports_fd : -1 },
	};
	int err;

	skel->rodata->owners_netns = ow ? ow->netns : 0;
	if (!ow && select)
		return 0;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		err = ow ? bpf_map__reuse_fd(m[i].map, m[i].fd)
			 : bpf_map__set_autocreate(m[i].map, false);
		if (err) {
			sc_err("sharing the owner table: %s", strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Does the capture need the filter's third build, sockcap_filter_select? */
static bool selecting(const struct capture_opts *o)
{
	return o->flows ||
	       (o->owners && ((o->procs && o->procs->match) || (o->carry && o->records)));
}

/*
 * Load one of the filter's three builds (see sc_filter()) and create the
 * maps it uses only: without CAP_PERFMON the 6.1 verifier would walk the
 * others' code too, with maps that do not exist.
 */
static int choose_filter(struct sockcap_bpf *skel, const struct capture_opts *o)
{
	struct bpf_program *progs[] = { skel->progs.sockcap_filter,
					skel->progs.sockcap_filter_owners,
					skel->progs.sockcap_filter_select };
	struct bpf_map *select_maps[] = { skel->maps.scratch,	     skel->maps.sc_want_pid,
					  skel->maps.sc_want_uid,    skel->maps.sc_want_comm,
					  skel->maps.sc_want_cgroup, skel->maps.sc_flows };
	unsigned int use = selecting(o) ? 2 : o->owners ? 1 : 0;
	int ncpu = libbpf_num_possible_cpus(), err = 0;

	for (unsigned int i = 0; i < 3 && !err; i++)
		err = bpf_program__set_autoload(progs[i], i == use);
	for (size_t i = 0; i < sizeof(select_maps) / sizeof(select_maps[0]) && !err; i++)
		err = bpf_map__set_autocreate(select_maps[i], use == 2);
	if (!err && use == 2)
		err = ncpu < 0 ? ncpu : bpf_map__set_max_entries(skel->maps.scratch, ncpu);
	if (!err && o->flows)
		err = bpf_map__set_max_entries(skel->maps.sc_flows, o->flows);
	if (err) {
		sc_err("choosing the filter: %s", strerror(-err));
		return err;
	}
	if (use == 2) {
		skel->rodata->proc_match = o->procs ? o->procs->match : 0;
		skel->rodata->carry = o->records ? o->carry : 0;
		skel->rodata->flows_on = o->flows != 0;
	}
	return share_owners(skel, o->owners, use == 2);
}

static int want(struct bpf_map *map, const void *keys, size_t key_size, unsigned int n)
{
	__u8 one = 1;

	for (unsigned int i = 0; i < n; i++)
		if (bpf_map__update_elem(map, (const char *)keys + i * key_size, key_size, &one,
					 sizeof(one), BPF_ANY))
			return -errno;
	return 0;
}

/* Fill the process filters' sets, before the filter is attached. */
static int fill_procs(struct sockcap_bpf *skel, const struct capture_procs *p)
{
	int err;

	if (!p || !p->match)
		return 0;
	err = want(skel->maps.sc_want_pid, p->pids, sizeof(*p->pids), p->npids);
	if (!err)
		err = want(skel->maps.sc_want_uid, p->uids, sizeof(*p->uids), p->nuids);
	if (!err)
		err = want(skel->maps.sc_want_comm, p->comms, sizeof(*p->comms), p->ncomms);
	if (!err)
		err = want(skel->maps.sc_want_cgroup, p->cgroups, sizeof(*p->cgroups), p->ncgroups);
	if (err)
		sc_err("setting the process filters: %s", strerror(-err));
	return err;
}

/*
 * A filter expression runs first, as its own program: translated from
 * classic BPF it reads the packet with LD_ABS/LD_IND, which a program may
 * only use without bpf-to-bpf calls and while it holds no ring-buffer
 * reservation -- so it cannot be code inside ours. It counts what it sees
 * and tail-calls our program (slot 0 of the prog array "next") for the
 * packets it accepts, so a packet that does not match costs no record, no
 * queueing and no wakeup. Splicing the classic code into our program would
 * save the tail call, but would tie the parser to LD_ABS's rules.
 */
static int attach_expression(struct capture *c, const struct capture_opts *o, int parser_fd)
{
	/* compiled for LINUX_SLL2 on "any", as libpcap does */
	struct cbpf_opts co =
		capture_chain_opts(link_info(c->link)->xlat, bpf_map__fd(c->skel->maps.next),
				   bpf_map__fd(c->skel->maps.counters));
	char msg[512];
	__u32 slot = SC_SLOT_PARSER;
	int err;

	err = bpf_map_update_elem(co.prog_array_fd, &slot, &parser_fd, BPF_ANY);
	if (err) {
		err = -errno;
		sc_err("chaining BPF programs: %s", strerror(errno));
		return err;
	}
	c->match_fd = cbpf_load(o->match, o->match_len, &co, msg, sizeof(msg));
	if (c->match_fd < 0) {
		err = c->match_fd;
		sc_err("loading the filter expression: %s", msg);
		return err;
	}
	return 0;
}

/* Put prog_fd behind sockcap_entry (slot SC_SLOT_EXPR). */
static int chain_entry(struct capture *c, int prog_fd)
{
	__u32 slot = SC_SLOT_EXPR;

	if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.next), &slot, &prog_fd, BPF_ANY) < 0) {
		int err = -errno;

		sc_err("chaining BPF programs: %s", strerror(errno));
		return err;
	}
	return 0;
}

/*
 * Attach *prog_fd to sock. The socket's option memory (net.core.optmem_max)
 * pays for the program: an expression too large for it is attached behind
 * sockcap_entry instead, which *prog_fd then names.
 */
static int attach_prog(struct capture *c, int sock, int *prog_fd)
{
	int entry_fd, err;

	if (setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, prog_fd, sizeof(*prog_fd)) == 0)
		return 0;
	err = errno;
	if (err == ENOMEM && *prog_fd == c->match_fd) {
		entry_fd = bpf_program__fd(c->skel->progs.sockcap_entry);
		err = chain_entry(c, c->match_fd);
		if (err)
			return err;
		if (setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &entry_fd, sizeof(entry_fd)) == 0) {
			*prog_fd = entry_fd;
			return 0;
		}
		err = errno;
	}
	sc_err("attaching BPF program: %s%s", strerror(err),
	       err == ENOMEM ? " (socket option memory: see net.core.optmem_max)" : "");
	return -err;
}

/* One packet socket on one interface, with the program (*prog_fd) attached. */
static int open_socket(struct capture *c, const struct capture_opts *o, struct capture_if *ci,
		       int *prog_fd)
{
	struct sockaddr_ll sll = { 0 };
	int err;

	/*
	 * Protocol 0 receives nothing until bind(), so the filter is in place
	 * before the first packet can arrive.
	 */
	ci->sock =
		socket(AF_PACKET,
		       (c->link == CAPTURE_LINK_COOKED ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC, 0);
	if (ci->sock < 0) {
		err = -errno;
		sc_err("packet socket: %s", strerror(errno));
		return err;
	}
	err = attach_prog(c, ci->sock, prog_fd);
	if (err)
		return err;
	if (o->direction == SC_DIR_IN || ci->ifindex == (int)c->skel->rodata->lo_ifindex) {
		int one = 1;

		/*
		 * The kernel then skips the filters for packets sent (Linux
		 * 4.20): with -Q in, and on loopback, where every packet comes
		 * back in anyway -- so a filter expression does not count it
		 * twice either.
		 */
		if (setsockopt(ci->sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) <
		    0) {
			err = -errno;
			sc_err("ignoring outgoing packets: %s", strerror(errno));
			return err;
		}
	}
	if (o->snaplen) {
		/* before bind: a packet queued without a ring would never be read */
		err = pring_setup(&ci->pring, ci->sock, o->pkt_ring_bytes, o->snaplen,
				  CAPTURE_BLOCK_MS, c->link == CAPTURE_LINK_COOKED);
		if (err) {
			sc_err("packet ring of %zu bytes: %s", o->pkt_ring_bytes, strerror(-err));
			return err;
		}
		ci->pring.iface = (uint32_t)(ci - c->ifs);
	}
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ci->ifindex;
	if (bind(ci->sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = -errno;
		sc_err("%s: bind: %s", ci->name, strerror(errno));
		return err;
	}
	/* every interface: none is made promiscuous (libpcap: not supported) */
	if (o->promisc && ci->ifindex) {
		struct packet_mreq mr = {
			.mr_ifindex = ci->ifindex,
			.mr_type = PACKET_MR_PROMISC,
		};

		/* undone by the kernel when the socket closes */
		if (setsockopt(ci->sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
			err = -errno;
			sc_err("%s: promiscuous mode: %s", ci->name, strerror(errno));
			return err;
		}
	}
	return 0;
}

int capture_open(struct capture *c, const struct capture_opts *o)
{
	int prog_fd, err;

	memset(c, 0, sizeof(*c));
	c->match_fd = -1;
	for (unsigned int i = 0; i < CAPTURE_MAX_IFS; i++)
		c->ifs[i].sock = -1;
	c->on_record = o->on_record;
	c->on_packet = o->on_packet;
	c->flows = o->flows;
	c->arg = o->arg;

	if (o->nifs < 1 || o->nifs > CAPTURE_MAX_IFS) {
		sc_err("between 1 and %d interfaces can be captured on at once", CAPTURE_MAX_IFS);
		return -EINVAL;
	}
	err = check_interfaces(c, o);
	if (err)
		return err;

	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 0) {
		sc_err("this kernel has no BPF ring buffer (Linux 6.1 or later is needed)");
		return -EOPNOTSUPP;
	}
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_ktime_get_tai_ns, NULL) ==
	    0) {
		sc_err("this kernel has no CLOCK_TAI helper for BPF (Linux 6.1 or later is "
		       "needed)");
		return -EOPNOTSUPP;
	}

	c->skel = sockcap_bpf__open();
	if (!c->skel) {
		err = -errno;
		sc_err("opening BPF object: %s", strerror(errno));
		return err;
	}
	c->skel->rodata->lo_ifindex = if_nametoindex("lo");
	c->skel->rodata->snaplen = o->snaplen;
	c->skel->rodata->records = o->records;
	c->skel->rodata->direction = o->direction;
	c->skel->rodata->net_start = c->link != CAPTURE_LINK_ETHER;
	sc_wakeup_settings(o->ring_bytes, &c->skel->rodata->wakeup_bytes,
			   &c->skel->rodata->wakeup_check_mask);
	err = bpf_map__set_max_entries(c->skel->maps.events, o->ring_bytes);
	if (err) {
		sc_err("ring buffer size %zu: %s", o->ring_bytes, strerror(-err));
		goto fail;
	}
	err = choose_filter(c->skel, o);
	if (err)
		goto fail;
	err = sockcap_bpf__load(c->skel);
	if (err) {
		sc_err("loading BPF program: %s (--debug shows the kernel's log)", strerror(-err));
		goto fail;
	}
	err = fill_procs(c->skel, o->procs);
	if (err)
		goto fail;

	if (o->records) {
		c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_ring_record, c,
					 NULL);
		if (!c->rb) {
			err = -errno;
			sc_err("ring buffer: %s", strerror(errno));
			goto fail;
		}
	}

	prog_fd = bpf_program__fd(selecting(o) ? c->skel->progs.sockcap_filter_select
				  : o->owners  ? c->skel->progs.sockcap_filter_owners
					       : c->skel->progs.sockcap_filter);
	if (o->match) {
		err = attach_expression(c, o, prog_fd);
		if (err < 0)
			goto fail;
		prog_fd = c->match_fd;
	} else if (selecting(o)) {
		/*
		 * Too large for the socket's option memory: attached behind
		 * sockcap_entry, whose tail calls are not charged to it.
		 */
		err = chain_entry(c, prog_fd);
		if (err < 0)
			goto fail;
		prog_fd = bpf_program__fd(c->skel->progs.sockcap_entry);
	}
	for (unsigned int i = 0; i < c->nifs; i++) {
		err = open_socket(c, o, &c->ifs[i], &prog_fd);
		if (err)
			goto fail;
	}
	return 0;
fail:
	capture_close(c);
	return err;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Is each interface still there? The kernel tells a packet socket of its
 * interface going down and of its being unregistered alike: POLLERR, and
 * ENETDOWN from SO_ERROR (reading it clears it; left set, poll() would
 * return at once for ever). What tells them apart is the binding:
 * unregistering the interface (deleting it, or moving it to another
 * namespace) leaves the socket bound to index -1 for good, so nothing
 * arrives on it again, not even from a new interface of the same name; a
 * down interface keeps the binding, and packets arrive again once it is
 * up. An interface deleted while down raises no error at all, hence the
 * look at every binding each CAPTURE_CHECK_MS as well. "any" (index 0) is
 * bound to no interface: interfaces come and go under it.
 */
static int check_interfaces_present(struct capture *c, const bool *errored)
{
	for (unsigned int i = 0; i < c->nifs; i++) {
		struct capture_if *ci = &c->ifs[i];
		struct sockaddr_ll sll = { 0 };
		socklen_t len = sizeof(sll), errlen = sizeof(int);
		int soerr = 0;

		if (ci->sock < 0 || ci->gone)
			continue;
		if (errored[i]) {
			if (getsockopt(ci->sock, SOL_SOCKET, SO_ERROR, &soerr, &errlen) < 0)
				return -errno;
			/* ENETDOWN is what the interface's going gives; others end it */
			if (soerr && soerr != ENETDOWN)
				return -soerr;
		}
		if (!ci->ifindex)
			continue;
		if (getsockname(ci->sock, (struct sockaddr *)&sll, &len) < 0)
			return -errno;
		if (sll.sll_ifindex == ci->ifindex)
			continue;
		ci->gone = true;
		sc_err("%s: interface disappeared", ci->name);
		return -ENODEV;
	}
	return 0;
}

int capture_poll(struct capture *c, int timeout_ms)
{
	struct pollfd fds[CAPTURE_MAX_IFS + 1];
	bool errored[CAPTURE_MAX_IFS] = { false }, check = false;
	unsigned int n = 0, first_sock;
	uint64_t now;
	int err;

	/*
	 * The filter submits records without waking us (see the BPF program),
	 * and a packet block is handed over only when full or timed out, so
	 * both are looked at whatever poll() says. Every packet socket is
	 * polled, also one without a ring (summary mode): for its errors,
	 * which poll() reports whatever the events asked for.
	 */
	if (c->rb)
		fds[n++] = (struct pollfd){ .fd = ring_buffer__epoll_fd(c->rb), .events = POLLIN };
	first_sock = n;
	for (unsigned int i = 0; i < c->nifs; i++)
		fds[n++] = (struct pollfd){ .fd = c->ifs[i].sock,
					    .events = c->ifs[i].pring.map ? POLLIN : 0 };
	if (timeout_ms && poll(fds, n, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	if (c->rb) {
		err = ring_buffer__consume(c->rb);
		if (err < 0 && err != -EINTR)
			return err;
	}
	for (unsigned int i = 0; i < c->nifs; i++) {
		struct capture_if *ci = &c->ifs[i];
		long got;

		if (fds[first_sock + i].revents & (POLLERR | POLLHUP)) {
			errored[i] = true;
			check = true;
		}
		if (!ci->pring.map)
			continue;
		got = pring_read(&ci->pring, c->on_packet, c->arg);
		if (got < 0)
			return got;
	}
	/* the drain after capture_stop() reads what is left, whatever happens */
	if (c->stopped)
		return 0;
	now = monotonic_ns();
	if (now >= c->check_ns) {
		check = true;
		c->check_ns = now + CAPTURE_CHECK_MS * 1000000ull;
	}
	return check ? check_interfaces_present(c, errored) : 0;
}

/*
 * Swap our program for a classic filter that accepts nothing: the swap is
 * atomic, every packet from then on meets the new filter, and the rings
 * stay mapped. (Binding to protocol 0 would not do: the kernel reads 0 as
 * "keep the current protocol".) A run of our program that had already
 * started finishes on its own; capture_quiet() tells when.
 */
void capture_stop(struct capture *c)
{
	struct sock_filter none = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog fp = { .len = 1, .filter = &none };

	if (c->stopped)
		return;
	c->stopped = true;
	for (unsigned int i = 0; i < c->nifs; i++) {
		struct capture_if *ci = &c->ifs[i];

		if (ci->sock < 0 ||
		    setsockopt(ci->sock, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) == 0)
			continue;
		/* closing stops it as well, at the price of the packet ring */
		sc_err("stopping capture: %s", strerror(errno));
		capture_sock_counters(c, NULL);
		pring_free(&ci->pring);
		close(ci->sock);
		ci->sock = -1;
	}
}

int capture_quiet(struct capture *c, bool *quiet)
{
	struct sc_counters k;
	struct sock_counters sk;
	int err = capture_counters(c, &k);

	if (!err)
		err = capture_sock_counters(c, &sk);
	if (err)
		return err;
	/* every run that counted a packet as seen has also accounted for it */
	if (c->rb)
		*quiet = k.seen == k.recorded + k.lost;
	else
		*quiet = true;
	/* every packet seen is in a flow, or counted as in none */
	if (c->flows)
		*quiet = *quiet && k.seen == k.flowed + k.untracked + k.noflow;
	if (c->ifs[0].pring.map)
		*quiet = *quiet && k.seen == sk.queued;
	return 0;
}

int capture_if_counters(struct capture *c, unsigned int i, struct sock_counters *out)
{
	struct capture_if *ci = &c->ifs[i];
	struct tpacket_stats_v3 st = { 0 };
	socklen_t len = sizeof(st);

	/* the kernel resets these on every read: keep the sums here */
	if (ci->sock >= 0 && ci->pring.map) {
		if (getsockopt(ci->sock, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
			return -errno;
		/* tp_packets already includes tp_drops */
		ci->stats.queued += st.tp_packets;
		ci->stats.dropped += st.tp_drops;
	}
	if (out)
		*out = ci->stats;
	return 0;
}

int capture_sock_counters(struct capture *c, struct sock_counters *out)
{
	struct sock_counters sum = { 0 }, one = { 0 };
	int err;

	for (unsigned int i = 0; i < c->nifs; i++) {
		err = capture_if_counters(c, i, &one);
		if (err)
			return err;
		sum.queued += one.queued;
		sum.dropped += one.dropped;
	}
	if (out)
		*out = sum;
	return 0;
}

int capture_read_counters(const struct bpf_map *counters, struct sc_counters *out)
{
	int ncpu = libbpf_num_possible_cpus(), err;
	__u32 zero = 0;

	memset(out, 0, sizeof(*out));
	if (ncpu < 0)
		return ncpu;
	struct sc_counters per[ncpu];

	err = bpf_map__lookup_elem(counters, &zero, sizeof(zero), per, sizeof(per), 0);
	if (err)
		return err;
	for (int i = 0; i < ncpu; i++) {
		out->seen += per[i].seen;
		out->recorded += per[i].recorded;
		out->lost += per[i].lost;
		out->sock_seen += per[i].sock_seen;
		out->unwanted += per[i].unwanted;
		out->flowed += per[i].flowed;
		out->untracked += per[i].untracked;
		out->noflow += per[i].noflow;
	}
	return 0;
}

unsigned int capture_iface_of(const struct capture *c, uint32_t ifindex)
{
	for (unsigned int i = 0; i < c->nifs; i++)
		if ((uint32_t)c->ifs[i].ifindex == ifindex)
			return i;
	return 0; /* -i any: the one socket */
}

unsigned int capture_hatype(struct capture *c, uint32_t ifindex)
{
	char name[IF_NAMESIZE];
	unsigned int type = ARPHRD_VOID;
	int fd;

	if (ifindex == c->hatype_ifindex)
		return c->hatype;
	if (!if_indextoname(ifindex, name))
		return type;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (hw_type(fd, name, &type))
			type = ARPHRD_VOID;
		close(fd);
	}
	c->hatype_ifindex = ifindex;
	c->hatype = type;
	return type;
}

int capture_flows_fd(const struct capture *c)
{
	return c->flows ? bpf_map__fd(c->skel->maps.sc_flows) : -1;
}

int capture_counters(struct capture *c, struct sc_counters *out)
{
	return capture_read_counters(c->skel->maps.counters, out);
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	for (unsigned int i = 0; i < CAPTURE_MAX_IFS; i++) {
		if (c->ifs[i].sock >= 0)
			close(c->ifs[i].sock);
		c->ifs[i].sock = -1;
		pring_free(&c->ifs[i].pring);
	}
	if (c->match_fd >= 0)
		close(c->match_fd);
	c->match_fd = -1;
	ring_buffer__free(c->rb);
	c->rb = NULL;
	sockcap_bpf__destroy(c->skel);
	c->skel = NULL;
}
