/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the output file (-w) and its rotation by size and time (-C, -G, -W) */
#ifndef SOCKCAP_DUMP_H
#define SOCKCAP_DUMP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "pcapfile.h"

#define DUMP_MAX_IFS 64

struct dump_opts {
	const char *path; /* "-": standard output */
	enum pf_format fmt;
	uint64_t rotate_bytes;	  /* -C: a new file once one is larger; 0: never */
	unsigned int rotate_secs; /* -G: a new file every so many seconds; 0: never */
	unsigned int max_files;	  /* -W */
	/* statistics for interface i, written (pcapng) as each file is closed */
	void (*stats)(void *arg, uint32_t iface, struct pf_ifstats *out);
	void *arg;
};

struct dump {
	struct dump_opts o;
	struct pf_iface ifs[DUMP_MAX_IFS];
	char ifnames[DUMP_MAX_IFS][64];
	uint32_t nifs;
	struct pf_writer w;
	int fd;
	bool is_open;
	bool reported;	  /* an error was reported: the capture must end */
	bool full;	  /* -G with -W: the last file is written, no more are */
	bool pipe;	  /* the file is a pipe or FIFO (or a socket) */
	bool closed;	  /* its reader closed it: the capture ends (full too) */
	bool interrupted; /* stopped by a signal before a FIFO's reader came */
	char name[PATH_MAX];
	unsigned int seq;     /* number of the current file in a -C sequence */
	unsigned int by_time; /* files closed because of -G */
	int digits;	      /* -W's width for the sequence number */
	time_t opened;	      /* when the current -G period began */
	uint64_t files;	      /* files opened */
	uint64_t lost;	      /* packets of closed files lost to a failed write */
};

/*
 * Check the options (one line on stderr and -EINVAL when they cannot work
 * together) and open the first file. Errors are reported on stderr, naming
 * the file. 0 or a negative errno.
 */
int dump_start(struct dump *d, const struct dump_opts *o, const struct pf_iface *ifs,
	       uint32_t nifs);
/*
 * Write one packet, first moving to the next file when its timestamp is
 * past the end of the -G period or when -C says so. 0 when it is written,
 * 1 when it is not because -G's -W files are all written (see dump_full()),
 * or a negative errno.
 */
int dump_packet(struct dump *d, const struct pf_packet *p);
/*
 * Move to the next file when the -G period is over, packet or not (the
 * time is now_ns, nanoseconds since the Epoch). Call it often: it waits a
 * moment past the end of a period for packets stamped within it. 1 when -W
 * files have been written and capture should end, else 0 or -errno.
 */
int dump_tick(struct dump *d, uint64_t now_ns);
/*
 * Have -G's -W files all been written (the line saying so was printed), or
 * has the reader of a pipe closed it? Either ends the capture.
 */
bool dump_full(const struct dump *d);
/* Push what is buffered to the file. 0 or a negative errno. */
int dump_flush(struct dump *d);
/* Write the statistics (pcapng), flush and close. 0 or a negative errno. */
int dump_finish(struct dump *d);
/* Packets handed to dump_packet() that are not in any file (a write failed). */
uint64_t dump_lost(const struct dump *d);
/* Has a write failed? (The error was reported when it happened.) */
bool dump_failed(const struct dump *d);
/*
 * Did the reader of a pipe or FIFO close it? Not a failure: packets after
 * that are refused with -EPIPE, and dump_flush() and dump_finish() say 0.
 */
bool dump_closed(const struct dump *d);

/* The format for a file name: pcapng for *.pcapng, else pcap. */
enum pf_format dump_format_for(const char *path);

#endif /* SOCKCAP_DUMP_H */
