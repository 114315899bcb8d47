/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the command line: one table for getopt_long and --help */
#ifndef SOCKCAP_OPTIONS_H
#define SOCKCAP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "dump.h"
#include "../bpf/flows.h"
#include "print.h"
#include "sockcap.h"

#define DEFAULT_RING_KIB 16384
/*
 * The packet ring of -w, unless -B says otherwise: libpcap's default
 * buffer. The kernel writes every packet into it, and a ring that stays in
 * the processor's caches costs less per packet than a larger one.
 */
#define DEFAULT_PKT_RING_KIB 2048
/* tcpdump's default and largest snap length */
#define MAX_SNAPLEN 262144
/* -B's largest (KiB) */
#define MAX_BUFFER_KIB 1048576

struct options {
	const char *ifnames[CAPTURE_MAX_IFS];
	unsigned int nifs;
	unsigned long count; /* 0: no limit */
	bool promisc;
	bool line_buffered;
	bool debug;
	bool print_lines; /* --print: summary lines while writing a file */
	bool list_ifs;	  /* -D */
	bool no_process;  /* --no-process: no process attribution */
	size_t ring_bytes;
	size_t pkt_ring_bytes; /* -w */
	struct print_opts print;
	const char *wfile, *rfile, *user;
	const char *metrics;	    /* --metrics ADDR:PORT, NULL: none */
	bool flows;		    /* --flows */
	unsigned int flow_interval; /* --flows=SECONDS; 0: the final table only */
	uint32_t flow_table;	    /* --flow-table */
	uint32_t snaplen;
	int format; /* enum pf_format, or -1: from the file name */
	bool nano;
	struct dump_opts dump;
	enum sc_direction direction;
	char *expr; /* filter expression (arguments or -F), NULL: none */
	int dflag;  /* -d: classic BPF; -dd, --dump-ebpf: the eBPF that runs it */
	/* --pid, --uid, --comm, --cgroup: the sets, and the cgroups as named */
	struct capture_procs procs;
	uint32_t pids[SC_WANT_MAX], uids[SC_WANT_MAX];
	char comms[SC_WANT_MAX][16];
	const char *cgroup_paths[SC_WANT_MAX];
	unsigned int ncgroup_paths;
};

/*
 * Parse the command line into o. --help and --version print and exit 0; a
 * malformed or unknown argument, or options that cannot go together, print
 * one line naming it (and a hint) and exit 1.
 */
void options_parse(int argc, char **argv, struct options *o);
/* --help, generated from the option table. */
void options_usage(FILE *f);
/* Ring size in bytes for kib KiB: a power of two, at least one page. */
size_t ring_size(unsigned long kib);
/* Free what options_parse() allocated. */
void options_free(struct options *o);

#endif /* SOCKCAP_OPTIONS_H */
