// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the cgroup v2 hierarchy: finding it, cgroup ids and their paths
 *
 * A cgroup v2 id (bpf_get_current_cgroup_id(), a task's dfl_cgrp) is the
 * kernfs node id of its directory, which stat() gives as the inode number
 * on 64-bit systems. So the path of an id is found by walking the
 * hierarchy and comparing inode numbers, and a cgroup named by its path
 * gives the ids of its whole subtree the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups.h"

/* Deeper than any hierarchy systemd or a container runtime makes. */
#define WALK_DEPTH 32
/* Cgroups remembered at most: beyond, ids print as numbers. */
#define NAMES_MAX 65536

/* Where a mount table (of root, a path prefix) has the cgroup v2 hierarchy. */
static int cgroup2_in(const char *table, const char *root, char *path, size_t len)
{
	FILE *f = setmntent(table, "r");
	struct mntent *m;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (strcmp(m->mnt_type, "cgroup2"))
			continue;
		snprintf(path, len, "%s%s", root, m->mnt_dir);
		err = 0;
		if (!strcmp(m->mnt_dir, "/sys/fs/cgroup"))
			break;
	}
	endmntent(f);
	return err;
}

int cgroup2_open(char *path, size_t len)
{
	char dir[] = "/tmp/sockcap-cgroup.XXXXXX";
	int fd, err;

	if (!cgroup2_in("/proc/self/mounts", "", path, len) ||
	    !cgroup2_in("/proc/1/mounts", "/proc/1/root", path, len)) {
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			return fd;
	}
	if (!mkdtemp(dir))
		return -errno;
	if (mount("cgroup2", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		err = errno == ENODEV ? -ENOENT : -errno;
		rmdir(dir);
		return err;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = -errno;
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	snprintf(path, len, "cgroup2");
	return fd >= 0 ? fd : err;
}

int cgroups_open(struct cgroups *g)
{
	char path[256];

	memset(g, 0, sizeof(*g));
	g->root = cgroup2_open(path, sizeof(path));
	return g->root < 0 ? g->root : 0;
}

static void forget(struct cgroups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].path);
	g->n = 0;
}

static int remember(struct cgroups *g, uint64_t id, const char *path)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		struct cgroup_name *v;

		if (cap > NAMES_MAX)
			return -E2BIG;
		v = realloc(g->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		g->v = v;
		g->cap = cap;
	}
	g->v[g->n].path = strdup(path);
	if (!g->v[g->n].path)
		return -ENOMEM;
	g->v[g->n++].id = id;
	return 0;
}

/*
 * Call fn for the cgroup dir (open, at path) and every cgroup below it;
 * dir is closed. Stops at fn's first non-zero return, which it returns.
 */
static int walk(int dir, char *path, size_t len, int depth,
		int (*fn)(void *arg, uint64_t id, const char *path), void *arg)
{
	size_t plen = strlen(path);
	struct stat st;
	struct dirent *e;
	DIR *d;
	int err;

	if (fstat(dir, &st) < 0) {
		close(dir);
		return -errno;
	}
	err = fn(arg, st.st_ino, plen ? path : "/");
	d = fdopendir(dir);
	if (!d) {
		close(dir);
		return err ? err : -errno;
	}
	while (!err && depth < WALK_DEPTH && (e = readdir(d))) {
		int sub;

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (plen + 1 + strlen(e->d_name) >= len)
			continue; /* too long to name: not remembered */
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue; /* gone meanwhile */
		snprintf(path + plen, len - plen, "/%s", e->d_name);
		err = walk(sub, path, len, depth + 1, fn, arg);
		path[plen] = '\0';
	}
	closedir(d);
	return err;
}

static int remember_fn(void *arg, uint64_t id, const char *path)
{
	return remember(arg, id, path);
}

const char *cgroups_path(struct cgroups *g, uint64_t id)
{
	char path[4096] = "";
	int dir;

	/* a packet's owner is most often the last one's */
	if (g->last < g->n && g->v[g->last].id == id)
		return g->v[g->last].path;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < g->n; i++)
			if (g->v[i].id == id)
				return g->v[g->last = i].path;
		if (pass || g->root < 0 || time(NULL) == g->walked)
			return NULL;
		g->walked = time(NULL);
		forget(g);
		dir = openat(g->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			return NULL;
		walk(dir, path, sizeof(path), 0, remember_fn, g);
	}
	return NULL;
}

struct ids {
	uint64_t *ids;
	unsigned int *n, max;
};

static int add_id(void *arg, uint64_t id, const char *path)
{
	struct ids *a = arg;

	if (*a->n == a->max)
		return -E2BIG;
	a->ids[(*a->n)++] = id;
	return 0;
}

int cgroups_under(struct cgroups *g, const char *path, uint64_t *ids, unsigned int *n,
		  unsigned int max)
{
	struct ids a = { ids, n, max };
	char rel[4096];
	const char *p = path;
	int dir;

	/* a path under the mount point, or as /proc/PID/cgroup has it */
	if (!strncmp(p, "/sys/fs/cgroup/unified/", 23))
		p += 22;
	else if (!strncmp(p, "/sys/fs/cgroup/", 15))
		p += 14;
	p += strspn(p, "/");
	if (strstr(p, "..") || strlen(p) + 2 > sizeof(rel))
		return -ENOENT;
	snprintf(rel, sizeof(rel), "%s", *p ? p : ".");
	dir = openat(g->root, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	snprintf(rel, sizeof(rel), "%s%s", *p ? "/" : "", *p ? p : "");
	return walk(dir, rel, sizeof(rel), 0, add_id, &a);
}

void cgroups_close(struct cgroups *g)
{
	if (!g)
		return;
	forget(g);
	free(g->v);
	g->v = NULL;
	g->cap = 0;
	if (g->root >= 0)
		close(g->root);
	g->root = -1;
}
