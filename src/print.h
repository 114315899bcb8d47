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
};

/* Longest line sc_format() writes, newline included. */
#define SC_LINE_MAX 512

struct printer {
	struct print_opts o;
	int64_t tai_offset_ns; /* CLOCK_TAI - CLOCK_REALTIME */
	uint64_t first_ns, prev_ns;
	/* local time of day cached per second */
	int64_t cached_sec;
	char cached_hms[32];
	size_t cached_len;
	/* interface names by index; NULL name prints the number */
	const char *(*ifname)(uint32_t ifindex, void *arg);
	void *ifname_arg;
	/*
	 * Reading a file: an interface without a name (classic pcap) and an
	 * unknown direction (SC_PKTTYPE_UNKNOWN) are left out of the line.
	 */
	int from_file;
};

/* sc_record.pkttype when the direction is not known (files). */
#define SC_PKTTYPE_UNKNOWN 255

void printer_init(struct printer *p, const struct print_opts *o);
/* Re-read the TAI-to-UTC offset (it changes only at leap seconds). */
void printer_sync_clock(struct printer *p);

/*
 * Format one record as a line ending in '\n' into buf, which has room for
 * SC_LINE_MAX bytes. Returns the number of bytes written.
 */
size_t sc_format(struct printer *p, const struct sc_record *r, char *buf);
/*
 * A line for a frame of a link type sockcap does not decode: the time and
 * interface columns as sc_format() writes them (from r's metadata), then
 * "[link type N], length LEN".
 */
size_t sc_format_linktype(struct printer *p, const struct sc_record *r, unsigned int linktype,
			  char *buf);

#endif /* SOCKCAP_PRINT_H */
