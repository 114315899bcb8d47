/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the cgroup v2 hierarchy: finding it, cgroup ids and their paths */
#ifndef SOCKCAP_CGROUPS_H
#define SOCKCAP_CGROUPS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * The cgroup v2 root, opened: where it is mounted (/sys/fs/cgroup, or
 * .../unified beside v1), else through init's view of the file system,
 * else mounted for the moment it takes to open it ("ip netns exec" mounts
 * a /sys of its own, without it). Its path (or "cgroup2") in path. An open
 * directory, or a negative errno.
 */
int cgroup2_open(char *path, size_t len);

/*
 * The paths of cgroup ids (a cgroup's id is its directory's inode number),
 * learnt by walking the hierarchy from its root; paths are as
 * /proc/PID/cgroup shows them ("/" the root).
 */
struct cgroups {
	int root; /* the open root, or -1 */
	struct cgroup_name {
		uint64_t id;
		char *path;
	} * v;
	size_t n, cap;
	size_t last;   /* the entry cgroups_path() found last */
	time_t walked; /* when the hierarchy was last walked */
};

/* Open the hierarchy (no walk yet). 0 or a negative errno. */
int cgroups_open(struct cgroups *g);
/*
 * The path of cgroup id, or NULL when there is none (gone, or made since
 * the last walk: the hierarchy is walked again at most once a second).
 */
const char *cgroups_path(struct cgroups *g, uint64_t id);
/*
 * The ids of the cgroup at path (as /proc/PID/cgroup shows it, or a path
 * under the hierarchy's mount point) and of every cgroup below it, added to
 * ids[*n..max). 0, -ENOENT (no such cgroup), -E2BIG (more than max), or
 * another negative errno.
 */
int cgroups_under(struct cgroups *g, const char *path, uint64_t *ids, unsigned int *n,
		  unsigned int max);
void cgroups_close(struct cgroups *g);

#endif /* SOCKCAP_CGROUPS_H */
