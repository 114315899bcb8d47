/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: -r: a capture file's packets as records */
#ifndef SOCKCAP_READ_H
#define SOCKCAP_READ_H

#include <stdbool.h>

#include "options.h"
#include "pcapfile.h"
#include "sockcap.h"

/*
 * -r: read opt->rfile, print its lines or copy it (-w), as the options
 * say. EXIT_SUCCESS, or EXIT_FAILURE after one line on stderr.
 */
int read_file(struct options *opt);

/* The record of a file's packet could not be decoded: name its link type. */
#define READ_UNDECODED (-1)

/*
 * Make the record of packet p of the file rd reads: its time, interface
 * (the file's interface number plus one) and direction, and its headers
 * parsed as its interface's link type says. A LINUX_SLL2 header carries
 * the interface index of the machine that wrote the file: *by_index is set
 * then, and r->ifindex is that index. The owners come from the first of
 * the packet's comments that is sockcap's; their cgroup paths go to
 * on_cgroup (NULL: none kept; see procnote_parse). Returns 0, or
 * READ_UNDECODED for a link type sockcap does not decode (r's metadata
 * and wire_len are set).
 */
int read_record(const struct pf_reader *rd, const struct pf_packet *p, struct sc_record *r,
		bool *by_index, uint64_t (*on_cgroup)(void *arg, const char *path, size_t len),
		void *arg);

#endif /* SOCKCAP_READ_H */
