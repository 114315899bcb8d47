/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the kernel side of a capture: program, ring buffer, packet socket */
#ifndef SOCKCAP_CAPTURE_H
#define SOCKCAP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "sockcap.h"

struct sockcap_bpf;
struct ring_buffer;
struct bpf_map;

struct capture_opts {
	const char *ifname;
	bool promisc;
	size_t ring_bytes; /* power of two, multiple of the page size */
	/* called for each record from capture_poll() */
	int (*on_record)(void *arg, const struct sc_record *r);
	void *arg;
};

struct capture {
	struct sockcap_bpf *skel;
	struct ring_buffer *rb;
	int sock;
	int ifindex;
	int (*on_record)(void *arg, const struct sc_record *r);
	void *arg;
	unsigned long long bad_records; /* wrong size or version */
};

/*
 * Look up and check the interface, load the program, create the socket,
 * attach and bind. On failure prints one line to stderr and returns a
 * negative errno.
 */
int capture_open(struct capture *c, const struct capture_opts *o);
/* Wait up to timeout_ms for records, then hand every available one over. */
int capture_poll(struct capture *c, int timeout_ms);
/* Stop the filter: no new records after this returns. */
void capture_stop(struct capture *c);
/* Sum the per-CPU counters. 0 or a negative errno. */
int capture_counters(struct capture *c, struct sc_counters *out);
int capture_read_counters(const struct bpf_map *counters, struct sc_counters *out);
void capture_close(struct capture *c);

#endif /* SOCKCAP_CAPTURE_H */
