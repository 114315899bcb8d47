/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: capability checks before capture, and dropping them after setup */
#ifndef SOCKCAP_PRIVS_H
#define SOCKCAP_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

/* 0 if the process may load the program and open the socket, else -EPERM
 * after a one-line message naming what is missing. */
int privs_check(void);
/*
 * 0 if the process may also load and attach the process-attribution
 * programs (CAP_PERFMON, CAP_NET_ADMIN, besides what privs_check() wants),
 * else -EPERM with what is missing in missing[len] (nothing printed).
 */
int privs_check_owners(char *missing, size_t len);
/* Give up every capability for good. 0 or a negative errno. */
int privs_drop(void);

/* Look up the user for -Z (before anything starts). 0 or a negative errno. */
int privs_lookup_user(const char *name, uid_t *uid, gid_t *gid);
/*
 * Become that user, with its group and supplementary groups, then drop every
 * capability as privs_drop() does. Reports on stderr; 0 or a negative errno.
 */
int privs_become(const char *name, uid_t uid, gid_t gid);

#endif /* SOCKCAP_PRIVS_H */
