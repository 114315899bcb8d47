// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: process attribution: load the owner programs, attach, seed
 *
 * bpf/owners.bpf.c fills the owner table; the socket filter reads it. This
 * file loads the programs, attaches the cgroup hooks to the cgroup v2 root
 * (so they see every process), runs the seeding iterator once, and keeps
 * the table of the namespace's own addresses the filter needs to tell a
 * packet for this host from one it forwards.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <mntent.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cgroups.h"
#include "owners.h"
#include "owners.bpf.skel.h"
#include "privs.h"
#include "util.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* The most addresses owners_refresh() looks at in one go. */
#define OWNERS_ADDRS 256

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* The cookie of the network namespace the capture runs in (Linux 5.14). */
static int netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* An address as the owner table keys it: IPv4 as ::ffff:a.b.c.d. */
static bool addr_key(const struct sockaddr *sa, uint32_t key[4])
{
	memset(key, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		key[2] = htonl(0xffff);
		key[3] = ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

int owners_refresh(struct owners *o)
{
	uint32_t now[OWNERS_ADDRS][4], key[4], next[4];
	int fd = o->maps.local_fd, n = 0;
	struct ifaddrs *ifa, *i;
	__u8 one = 1;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i && n < OWNERS_ADDRS; i = i->ifa_next)
		if (addr_key(i->ifa_addr, now[n]))
			n++;
	freeifaddrs(ifa);
	for (int j = 0; j < n; j++)
		bpf_map_update_elem(fd, now[j], &one, BPF_ANY);
	/* gone: deleting the current key ends the walk, so it restarts (bounded) */
	for (int tries = 0, found = 1; found && tries < SC_LOCAL_MAX; tries++) {
		found = 0;
		for (int r = bpf_map_get_next_key(fd, NULL, next); !r;
		     r = bpf_map_get_next_key(fd, key, next)) {
			int j = 0;

			memcpy(key, next, sizeof(key));
			while (j < n && memcmp(now[j], key, sizeof(key)))
				j++;
			if (j == n && !bpf_map_delete_elem(fd, key)) {
				found = 1;
				break;
			}
		}
	}
	return 0;
}

/* Attach every program but the iterator; the cgroup hooks to the root. */
static int attach_all(struct owners *o)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, o->skel->obj)
	{
		const char *sec = bpf_program__section_name(p);
		struct bpf_link *l;

		if (p == o->skel->progs.sc_owners_seed)
			continue;
		if (o->nlinks == OWNERS_MAX_LINKS)
			return -E2BIG;
		l = strncmp(sec, "cgroup/", 7) ? bpf_program__attach(p)
					       : bpf_program__attach_cgroup(p, o->cgroup_fd);
		if (!l)
			return -errno;
		o->links[o->nlinks++] = l;
	}
	return 0;
}

/* Every socket open now, in every namespace: one pass of the iterator. */
static int seed(struct owners *o)
{
	struct bpf_link *l = bpf_program__attach_iter(o->skel->progs.sc_owners_seed, NULL);
	int fd, err = 0, ncpu = libbpf_num_possible_cpus();
	char buf[64];
	__u32 what = SC_OC_SEEDED;

	if (!l)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(l));
	if (fd < 0) {
		err = -errno;
		goto cleanup;
	}
	/* the program prints nothing: the first read walks every task */
	for (int i = 0; i < 1000 && (err = read(fd, buf, sizeof(buf))) > 0; i++)
		;
	err = err < 0 ? -errno : 0;
	close(fd);
	if (!err && ncpu > 0) {
		__u64 per[ncpu];

		if (!bpf_map_lookup_elem(bpf_map__fd(o->skel->maps.sc_owner_counts), &what, per))
			for (int c = 0; c < ncpu; c++)
				o->seeded += per[c];
	}
cleanup:
	bpf_link__destroy(l);
	return err;
}

/* Load and attach: 0, or -errno with what failed in why. */
static int start(struct owners *o, bool debug, char *why, size_t len)
{
	libbpf_print_fn_t old;
	int err;

	o->cgroup_fd = cgroup2_open(o->cgroup_path, sizeof(o->cgroup_path));
	if (o->cgroup_fd < 0) {
		err = o->cgroup_fd;
		snprintf(why, len, "the cgroup v2 hierarchy: %s",
			 err == -ENOENT ? "not mounted, and the kernel has none" : strerror(-err));
		return err;
	}
	err = netns_cookie(&o->maps.netns);
	if (err) {
		snprintf(why, len, "the network namespace's cookie: %s", strerror(-err));
		return err;
	}
	o->skel = owners_bpf__open();
	if (!o->skel) {
		err = -errno;
		snprintf(why, len, "opening its BPF object: %s", strerror(-err));
		return err;
	}
	/* a kernel without these hooks is not an error of sockcap's: one line says so */
	old = libbpf_set_print(quiet_print);
	if (debug)
		libbpf_set_print(old);
	err = owners_bpf__load(o->skel);
	libbpf_set_print(old);
	if (err) {
		snprintf(why, len, "loading its BPF programs: %s%s", strerror(-err),
			 debug ? "" : " (--debug shows the kernel's log)");
		return err;
	}
	err = attach_all(o);
	if (err) {
		snprintf(why, len, "attaching its BPF programs: %s", strerror(-err));
		return err;
	}
	return 0;
}

int owners_open(struct owners *o, bool debug)
{
	char why[320];
	int err;

	memset(o, 0, sizeof(*o));
	o->cgroup_fd = -1;
	err = privs_check_owners(why, sizeof(why));
	if (!err)
		err = start(o, debug, why, sizeof(why));
	if (!err) {
		o->maps.conns_fd = bpf_map__fd(o->skel->maps.sc_conns);
		o->maps.socks_fd = bpf_map__fd(o->skel->maps.sc_socks);
		o->maps.local_fd = bpf_map__fd(o->skel->maps.sc_local);
		o->maps.ports_fd = bpf_map__fd(o->skel->maps.sc_ports);
		err = owners_refresh(o);
		if (err)
			snprintf(why, sizeof(why), "reading the local addresses: %s",
				 strerror(-err));
	}
	/* after the hooks: a socket opened meanwhile is not missed */
	if (!err && (err = seed(o)))
		snprintf(why, sizeof(why), "seeding the open sockets: %s", strerror(-err));
	if (!err)
		return 0;
	sc_err("process attribution off: %s", why);
	owners_close(o);
	return err;
}

void owners_describe(const struct owners *o, char *buf, size_t len)
{
	snprintf(buf, len, "cgroup socket hooks on %s and net_dev_queue, %llu sockets seeded",
		 o->cgroup_path, o->seeded);
}

void owners_close(struct owners *o)
{
	if (!o)
		return;
	for (unsigned int i = 0; i < o->nlinks; i++)
		bpf_link__destroy(o->links[i]);
	o->nlinks = 0;
	owners_bpf__destroy(o->skel);
	o->skel = NULL;
	if (o->cgroup_fd >= 0)
		close(o->cgroup_fd);
	o->cgroup_fd = -1;
}
