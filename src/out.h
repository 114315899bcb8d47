/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the output path: lines into one buffer, written with write(2) */
#ifndef SOCKCAP_OUT_H
#define SOCKCAP_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "print.h"
#include "sockcap.h"

/* Output goes through our own buffer and write(2): no stdio locking. */
struct out {
	int fd;
	bool line;   /* -l: flush after every line */
	bool broken; /* reader went away (EPIPE) */
	int err;     /* first write error, negative errno */
	size_t len, size;
	/*
	 * Lines in buf, lines written to fd, and lines that never will be
	 * (they were in buf when a write failed, or came after it).
	 */
	unsigned long long lines, done, unsent;
	char *buf;
};

/* Lines to fd; with line set, each is written at once. 0 or -ENOMEM. */
int out_init(struct out *o, int fd, bool line);
void out_fini(struct out *o);
/*
 * The one way a line enters the buffer, for a capture and -r alike: the
 * formatter gets SC_LINE_MAX bytes of room, the buffer has them (it is
 * flushed first when it has less), and no line can be longer. A record of
 * linktype -1 is decoded, one of another link type gets a line naming it.
 * With --json (pr->o.json) the line is the packet's JSON object instead.
 * After a write error lines are only counted (unsent).
 */
void out_line(struct out *o, struct printer *pr, const struct sc_record *r, int linktype);
/* Write what is buffered. 0, or the first write error (negative errno). */
int out_flush(struct out *o);

#endif /* SOCKCAP_OUT_H */
