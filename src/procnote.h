/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: a packet's owners as a pcapng comment, and back
 *
 * sockcap writes, for each packet whose owner is known, an opt_comment of
 * the form
 *
 *   sockcap: pid=4242 comm=curl uid=1000 cgroup=/user.slice/... peer_pid=88 ...
 *
 * pid, comm, uid and cgroup name the local owner (struct sc_record's
 * owner: the sender of a packet sent, the receiver of one received); the
 * peer_ keys the other end where it is a local socket too (loopback). The
 * keys are those of the JSON output. A name's spaces and control bytes
 * are written as '?', as the summary line shows them.
 */
#ifndef SOCKCAP_PROCNOTE_H
#define SOCKCAP_PROCNOTE_H

#include <stddef.h>
#include <stdint.h>

#include "sockcap.h"

#define PROCNOTE_PREFIX "sockcap: "

/* A cgroup id's path, or NULL when it is not known (printer.cgroup_name's form). */
typedef const char *(*procnote_cgroup_fn)(uint64_t id, void *arg);

/*
 * The comment for r in buf (NUL-terminated): its length, or 0 when no
 * owner is known (no comment). cgroup may be NULL (no cgroup keys).
 */
size_t procnote_format(char *buf, size_t len, const struct sc_record *r, procnote_cgroup_fn cgroup,
		       void *arg);

/*
 * Read a comment back into r->owner and r->peer (cleared first). The
 * cgroup paths go to on_cgroup, which gives the id to keep in the record
 * (0: none; NULL on_cgroup: none kept). 1 when it was sockcap's comment,
 * 0 when it was not (the owners stay unknown).
 */
int procnote_parse(const char *s, size_t len, struct sc_record *r,
		   uint64_t (*on_cgroup)(void *arg, const char *path, size_t len), void *arg);

#endif /* SOCKCAP_PROCNOTE_H */
