// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the output file (-w) and its rotation by size and time (-C, -G, -W)
 *
 * File names follow tcpdump: with -G the name is a strftime(3) pattern
 * expanded at the start of each period; with -C the files of a sequence
 * get a number after the name (none on the first unless -W is given, in
 * which case numbers are padded to -W's width and wrap around, so the
 * oldest file is overwritten). Every file starts with its own header (and
 * in pcapng its own interface blocks), so each one is readable alone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dump.h"
#include "signals.h"
#include "util.h"

#define NSEC_PER_SEC 1000000000ull
/*
 * How long after the end of a -G period its packets may still arrive: the
 * packet ring's block timer (CAPTURE_BLOCK_MS, 50 ms) and a poll of the
 * capture loop (50 ms), with room to spare.
 */
#define DUMP_LATE_NS (250 * 1000000ull)

enum pf_format dump_format_for(const char *path)
{
	size_t n = strlen(path);

	return n >= 7 && !strcasecmp(path + n - 7, ".pcapng") ? PF_PCAPNG : PF_PCAP;
}

/* Digits in the largest sequence number (-W 10: 0..9, one digit). */
static int width_for(unsigned int max_files)
{
	int c = 0;

	for (unsigned int x = max_files ? max_files - 1 : 0; x; x /= 10)
		c++;
	return c;
}

static int make_name(struct dump *d, unsigned int seq, int digits)
{
	char base[PATH_MAX];
	int n;

	if (d->o.rotate_secs) {
		struct tm tm;

		if (!localtime_r(&d->opened, &tm) ||
		    !strftime(base, sizeof(base), d->o.path, &tm)) {
			sc_err("%s: file name pattern gives an empty or too long name", d->o.path);
			return -ENAMETOOLONG;
		}
	} else {
		snprintf(base, sizeof(base), "%s", d->o.path);
	}
	if (seq == 0 && digits == 0)
		n = snprintf(d->name, sizeof(d->name), "%s", base);
	else
		n = snprintf(d->name, sizeof(d->name), "%s%0*u", base, digits, seq);
	if (n < 0 || (size_t)n >= sizeof(d->name)) {
		sc_err("%s: file name too long", base);
		return -ENAMETOOLONG;
	}
	return 0;
}

/*
 * One line per failure: a writer that failed keeps returning its error.
 * A reader that closes its end of a pipe or FIFO once the header is
 * through (Wireshark stopping an extcap capture, `| head`) is no failure:
 * it ends the capture, as the last file of -G and -W does.
 */
static int report(struct dump *d, int err)
{
	if (err == -EPIPE && d->w.flushed) {
		d->closed = d->full = true;
		return err;
	}
	if (err && !d->reported) {
		d->reported = true;
		sc_err("%s: %s", d->name, strerror(-err));
	}
	return err;
}

static int open_file(struct dump *d)
{
	static char os[sizeof(((struct utsname *)0)->sysname) * 2 + 2], app[64];
	struct utsname u;
	struct pf_shb_info shb = { 0 };
	struct stat st;
	int err;

	if (!strcmp(d->o.path, "-")) {
		d->fd = STDOUT_FILENO;
		snprintf(d->name, sizeof(d->name), "(standard output)");
	} else {
		/*
		 * A FIFO (an extcap capture's) is opened once its reader is there.
		 * SIGUSR1 meanwhile keeps waiting; SIGINT or SIGTERM (Wireshark
		 * cancelling) ends the wait, no error: the caller stops cleanly.
		 */
		for (;;) {
			d->fd = open(d->name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (d->fd >= 0 || errno != EINTR)
				break;
			if (sc_stop_requested) {
				d->interrupted = true;
				return -EINTR;
			}
		}
		if (d->fd < 0)
			return report(d, -errno);
	}
	d->pipe = fstat(d->fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	if (uname(&u) == 0) {
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
		shb.hardware = u.machine;
		shb.os = os;
	}
	snprintf(app, sizeof(app), "sockcap %s", PACKAGE_VERSION);
	shb.userappl = app;
	d->is_open = true;
	d->files++;
	err = pf_writer_open(&d->w, d->fd, d->o.fmt, &shb, d->ifs, d->nifs);
	/* write the header now: a file is valid from the start, errors show early */
	if (!err)
		err = pf_writer_flush(&d->w);
	return report(d, err);
}

static int close_file(struct dump *d)
{
	int err = 0, cerr;

	if (!d->is_open)
		return 0;
	d->is_open = false;
	if (d->o.fmt == PF_PCAPNG && d->o.stats && !d->w.err) {
		for (uint32_t i = 0; i < d->nifs && !err; i++) {
			struct pf_ifstats st = { 0 };

			d->o.stats(d->o.arg, i, &st);
			err = pf_write_stats(&d->w, i, &st);
		}
	}
	cerr = pf_writer_close(&d->w);
	d->lost += d->w.lost;
	err = report(d, err ? err : cerr);
	if (d->fd != STDOUT_FILENO && close(d->fd) < 0 && !err)
		err = report(d, -errno);
	d->fd = -1;
	/* no statistics reach a reader that is gone, and none is missed */
	return d->closed ? 0 : err;
}

int dump_start(struct dump *d, const struct dump_opts *o, const struct pf_iface *ifs, uint32_t nifs)
{
	int err;

	memset(d, 0, sizeof(*d));
	d->o = *o;
	d->fd = -1;
	if (nifs > DUMP_MAX_IFS || (o->fmt != PF_PCAPNG && nifs != 1)) {
		sc_err("%s: a pcap file holds packets of one interface only; use pcapng", o->path);
		return -EINVAL;
	}
	if (!strcmp(o->path, "-") && (o->rotate_bytes || o->rotate_secs)) {
		sc_err("-C and -G need a file name, not standard output");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < nifs; i++) {
		d->ifs[i] = ifs[i];
		if (ifs[i].name) {
			snprintf(d->ifnames[i], sizeof(d->ifnames[i]), "%s", ifs[i].name);
			d->ifs[i].name = d->ifnames[i];
		}
	}
	d->nifs = nifs;
	d->digits = o->rotate_bytes ? width_for(o->max_files) : 0;
	d->opened = time(NULL);
	err = make_name(d, 0, d->digits);
	return err ? err : open_file(d);
}

uint64_t dump_lost(const struct dump *d)
{
	return d->lost + (d->is_open ? d->w.lost : 0);
}

bool dump_failed(const struct dump *d)
{
	return d->reported;
}

bool dump_closed(const struct dump *d)
{
	return d->closed;
}

/*
 * -G: end the current period's file and start the one of the period that
 * second t falls in. Periods follow on from the first, every rotate_secs
 * seconds, whether it is a packet or the clock that moves on, so both agree
 * on which file a moment belongs to. 1 when that was the last file -W
 * allows (the capture ends), else 0 or a negative errno.
 */
static int next_period(struct dump *d, time_t t)
{
	time_t g = d->o.rotate_secs;
	int err;

	err = close_file(d);
	if (err)
		return err;
	d->by_time++;
	/* with -C as well, -W sizes the -C ring instead */
	if (!d->o.rotate_bytes && d->o.max_files && d->by_time >= d->o.max_files) {
		d->full = true;
		sc_err("maximum file limit reached: %u", d->o.max_files);
		return 1;
	}
	d->opened += (t - d->opened) / g * g;
	d->seq = 0;
	err = make_name(d, 0, d->digits);
	return err ? err : open_file(d);
}

int dump_packet(struct dump *d, const struct pf_packet *p)
{
	time_t t = (time_t)(p->ts_ns / NSEC_PER_SEC);
	int err;

	if (d->closed)
		return -EPIPE;
	if (d->full)
		return 1;
	if (!d->is_open)
		return -EIO;
	/*
	 * A packet stamped after the period ended belongs in the next file,
	 * even when the clock has not moved the file on yet. One stamped
	 * before the current period (the clock moved on before it was read)
	 * stays in the current file: a closed file is not reopened.
	 */
	if (d->o.rotate_secs && t - d->opened >= (time_t)d->o.rotate_secs) {
		err = next_period(d, t);
		if (err)
			return err;
	}
	if (d->o.rotate_bytes && pf_writer_size(&d->w) > d->o.rotate_bytes) {
		err = close_file(d);
		if (err)
			return err;
		d->seq++;
		if (d->o.max_files && d->seq >= d->o.max_files)
			d->seq = 0;
		err = make_name(d, d->seq, d->digits);
		if (!err)
			err = open_file(d);
		if (err)
			return err;
	}
	err = pf_write_packet(&d->w, p);
	return err ? report(d, err) : 0;
}

/*
 * Has the reader of the pipe or FIFO closed its end? A quiet link writes
 * nothing that would fail with EPIPE, and Wireshark, having read the
 * packets it asked for, waits for its extcap program to end.
 */
static bool reader_gone(struct dump *d)
{
	struct pollfd pfd = { .fd = d->fd };

	if (!d->pipe || !d->is_open || poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLERR))
		return false;
	d->closed = d->full = true;
	return true;
}

int dump_tick(struct dump *d, uint64_t now_ns)
{
	uint64_t end_ns;

	if (d->full || reader_gone(d))
		return 1;
	if (!d->o.rotate_secs || !d->is_open)
		return 0;
	/*
	 * The packets of a period reach us a little after their timestamps:
	 * the kernel hands a block of them over when its timer runs out, and
	 * then the capture loop has to wake up. Wait that long past the end
	 * of the period, so they still go in its file.
	 */
	end_ns = ((uint64_t)d->opened + d->o.rotate_secs) * NSEC_PER_SEC + DUMP_LATE_NS;
	if (now_ns < end_ns)
		return 0;
	return next_period(d, (time_t)(now_ns / NSEC_PER_SEC));
}

bool dump_full(const struct dump *d)
{
	return d->full;
}

int dump_flush(struct dump *d)
{
	int err;

	if (d->full)
		return 0;
	if (!d->is_open)
		return -EIO;
	if (d->w.err)
		return d->w.err;
	err = report(d, pf_writer_flush(&d->w));
	return d->closed ? 0 : err;
}

int dump_finish(struct dump *d)
{
	return close_file(d);
}
