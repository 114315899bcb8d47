// SPDX-License-Identifier: GPL-2.0-only
/* \summary: the output path: lines into one buffer, written with write(2) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "out.h"

#define OUT_BUF_SIZE (256 * 1024)
_Static_assert(OUT_BUF_SIZE >= SC_LINE_MAX, "the output buffer must hold a line");

int out_init(struct out *o, int fd, bool line)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->line = line;
	o->size = OUT_BUF_SIZE;
	o->buf = malloc(o->size);
	return o->buf ? 0 : -ENOMEM;
}

void out_fini(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}

int out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			o->err = -errno;
			if (errno == EPIPE)
				o->broken = true;
			break;
		}
		done += n;
	}
	if (done == o->len) {
		o->done += o->lines;
	} else {
		/* a line is shown once all of it is written; the rest never will be */
		unsigned long long n = 0;
		const char *p = o->buf, *end = o->buf + done;

		while (p < end && (p = memchr(p, '\n', end - p))) {
			n++;
			p++;
		}
		o->done += n;
		o->unsent += o->lines - n;
	}
	o->lines = 0;
	o->len = 0;
	return o->err;
}

void out_line(struct out *o, struct printer *pr, const struct sc_record *r, int linktype)
{
	char *at;

	if (o->size - o->len < SC_LINE_MAX)
		out_flush(o);
	/* the output is closed or failed: the rest is counted, not formatted */
	if (o->err) {
		o->unsent++;
		return;
	}
	at = o->buf + o->len;
	if (pr->o.json)
		o->len += sc_format_json(pr, r, linktype, at, SC_LINE_MAX);
	else if (linktype < 0)
		o->len += sc_format(pr, r, at, SC_LINE_MAX);
	else
		o->len += sc_format_linktype(pr, r, (unsigned int)linktype, at, SC_LINE_MAX);
	o->lines++;
	if (o->line)
		out_flush(o);
}
