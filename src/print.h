/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: one summary line per record, in the spirit of tcpdump -n */
#ifndef SOCKCAP_PRINT_H
#define SOCKCAP_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "sockcap.h"

/* Timestamp styles, as tcpdump's -t repeated 0..5 times. */
enum ts_style {
	TS_TIME = 0,	/* HH:MM:SS.uuuuuu, local time (default) */
	TS_NONE,	/* -t */
	TS_EPOCH,	/* -tt: seconds since the epoch */
	TS_DELTA,	/* -ttt: since the previous packet */
	TS_DATE,	/* -tttt: date and time */
	TS_SINCE_FIRST, /* -ttttt: since the first packet */
};

struct print_opts {
	enum ts_style ts;
	int eflag; /* -e: link-level header */
	int vflag; /* -v: more IP header fields */
	int json;  /* --json: an object per packet (json.h), not a line */
};

/*
 * The room an output path gives each line: every line sockcap writes fits
 * in it (the fuzzers check this on any record, option and interface name).
 * The formatter itself never writes past the room it is given, whatever it
 * is: a line that does not fit is cut and ends in "...".
 */
#define SC_LINE_MAX 1024
/* The interface column's widest form, escapes and "..." included. */
#define SC_IFNAME_COLS 64

struct printer {
	struct print_opts o;
	int64_t tai_offset_ns; /* CLOCK_TAI - CLOCK_REALTIME */
	uint64_t first_ns, prev_ns;
	/* local time of day cached per second */
	uint64_t cached_sec; /* UINT64_MAX: none yet */
	char cached_hms[32];
	size_t cached_len;
	/*
	 * Interface names by index, as the kernel or a file gives them (the
	 * line escapes and bounds them); NULL prints the number.
	 */
	const char *(*ifname)(uint32_t ifindex, void *arg);
	void *ifname_arg;
	/*
	 * Reading a file: an interface without a name (classic pcap) and an
	 * unknown direction (SC_PKTTYPE_UNKNOWN) are left out of the line.
	 */
	int from_file;
	/* -v: a cgroup id's path; NULL, or NULL from it: not known */
	const char *(*cgroup_name)(uint64_t id, void *arg);
	void *cgroup_arg;
	int depth; /* packets inside packets being printed (tunnels) */
};

void printer_init(struct printer *p, const struct print_opts *o);
/* Re-read the TAI-to-UTC offset (it changes only at leap seconds). */
void printer_sync_clock(struct printer *p);

/*
 * Format one record as a line ending in '\n' into buf, writing at most room
 * bytes (SC_LINE_MAX or more holds every line whole). Returns the number of
 * bytes written: 0 only when room is 0.
 */
size_t sc_format(struct printer *p, const struct sc_record *r, char *buf, size_t room);
/*
 * A line for a frame of a link type sockcap does not decode: the time and
 * interface columns as sc_format() writes them (from r's metadata), then
 * "[link type N], length LEN".
 */
size_t sc_format_linktype(struct printer *p, const struct sc_record *r, unsigned int linktype,
			  char *buf, size_t room);

#endif /* SOCKCAP_PRINT_H */
