/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: process attribution: load the owner programs, attach, seed */
#ifndef SOCKCAP_SRC_OWNERS_H
#define SOCKCAP_SRC_OWNERS_H

#include <stdbool.h>
#include <stdio.h>

#include "capture.h"

struct owners_bpf;
struct bpf_link;

/* The owner programs attached at once: two tracepoints, ten cgroup hooks. */
#define OWNERS_MAX_LINKS 16

struct owners {
	struct owners_bpf *skel;
	struct bpf_link *links[OWNERS_MAX_LINKS];
	unsigned int nlinks;
	int cgroup_fd;
	struct capture_owners maps; /* for capture_opts.owners */
	unsigned long long seeded;  /* sockets the seeding found */
	char cgroup_path[256];	    /* where the hooks are attached */
};

/*
 * Load the owner programs, attach them (the cgroup hooks to the cgroup v2
 * root), fill the table of local addresses, and seed the owners of the
 * sockets already open. Needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN;
 * after this, the capabilities can go: the links stay. On failure prints
 * one line saying why attribution is off, leaves nothing behind and
 * returns a negative errno.
 */
int owners_open(struct owners *o, bool debug);
/* Re-read the namespace's addresses (they come and go). 0 or -errno. */
int owners_refresh(struct owners *o);
/* What owners_open() did, for the statistics: "cgroup socket hooks ...". */
void owners_describe(const struct owners *o, char *buf, size_t len);
void owners_close(struct owners *o);

#endif /* SOCKCAP_SRC_OWNERS_H */
