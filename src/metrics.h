/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: --metrics: the capture's counters for Prometheus, over HTTP */
#ifndef SOCKCAP_METRICS_H
#define SOCKCAP_METRICS_H

/*
 * How it runs. The listening socket is bound by metrics_listen() while the
 * process still holds its capabilities (a port below 1024 needs
 * CAP_NET_BIND_SERVICE); libmicrohttpd's thread is started by
 * metrics_start() after they are dropped, so it never holds one
 * (capabilities are per thread, and a new thread copies its creator's).
 *
 * The HTTP thread never reads the capture: a scrape sets a flag and waits
 * (a second at most) for the capture's own thread, which looks at the flag
 * once per round of its loop (metrics_service()), to collect the counters
 * and write the page under a lock. So every counter is read on the thread
 * that owns it (the sockets' counters accumulate as they are read, the
 * flow table is not shared), nothing is read when nobody scrapes, and a
 * page is at most one round (50 ms) old. A page not renewed within the
 * second (the capture is stuck writing, say) is served as it was last
 * written, its numbers still true, only older.
 *
 * The counters a capture has are put into a struct metrics_sample by the
 * collect callback; the flow families by the flows callback (see below).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

struct MHD_Daemon;

/* Interfaces a capture can take at once (CAPTURE_MAX_IFS). */
#define METRICS_MAX_IFS 16
/* A counter over all the capture's interfaces together (see metrics_put). */
#define METRICS_ALL_IFS (-1)
/* The label sets of the flow families at most, besides comm="other". */
#define METRICS_FLOW_SERIES 256

/* The capture's counters; each is a family of the page. */
enum metrics_counter {
	METRICS_RECEIVED,     /* sockcap_packets_received_total */
	METRICS_DROPPED,      /* sockcap_packets_dropped_total */
	METRICS_CAPTURED,     /* sockcap_packets_captured_total */
	METRICS_SEEN,	      /* sockcap_packets_seen_total (an expression) */
	METRICS_ATTRIBUTED,   /* sockcap_process_attributed_packets_total */
	METRICS_UNATTRIBUTED, /* sockcap_process_unattributed_packets_total */
	METRICS_NCOUNTERS,
};

/*
 * What the collect callback fills: a value per counter and interface
 * (index into the capture's list, or METRICS_ALL_IFS). A counter never
 * put is not on the page.
 */
struct metrics_sample {
	uint64_t v[METRICS_NCOUNTERS][METRICS_MAX_IFS + 1];
	bool set[METRICS_NCOUNTERS][METRICS_MAX_IFS + 1];
};

static inline void metrics_put(struct metrics_sample *s, enum metrics_counter c, int iface,
			       uint64_t v)
{
	s->v[c][iface + 1] = v;
	s->set[c][iface + 1] = true;
}

/*
 * Flow families: sockcap_flow_packets_total and sockcap_flow_bytes_total,
 * labelled {comm, proto, local_port, direction}.
 *
 * The interface for whoever aggregates flows (--flows): at each scrape,
 * on the capture's thread, the flows callback calls metrics_flows_add()
 * once for each aggregate with the packets and bytes counted since the
 * previous call (a delta, never a running total: what was handed over is
 * forgotten by the caller, so an expired flow costs it nothing). The
 * metrics side keeps the running totals, so every series only ever grows.
 *
 * Cardinality: the first METRICS_FLOW_SERIES label sets seen keep a series
 * each for the rest of the run; anything beyond them is added to one
 * aggregate, comm="other" (and "other" for the other three labels), which
 * appears once it has counted something. A label set is never moved from
 * one series to another, so no counter ever goes down.
 */
enum metrics_dir {
	METRICS_DIR_IN,
	METRICS_DIR_OUT,
};

struct metrics_flow_key {
	/*
	 * The local process's name; "" when not known. A byte that is not
	 * printable ASCII is shown as '?', no name as "?" (names shown
	 * alike count as one label set).
	 */
	char comm[16];
	uint8_t proto;	     /* IPPROTO_TCP, IPPROTO_UDP, ... */
	uint8_t direction;   /* enum metrics_dir */
	uint16_t local_port; /* host order; 0 for a protocol without ports */
};

struct metrics_flows {
	unsigned int max;    /* label sets kept (METRICS_FLOW_SERIES) */
	unsigned int n;	     /* label sets seen so far, at most max */
	unsigned int nslots; /* of the index: a power of two, > 2 * max */
	struct metrics_flow_key *keys;
	uint64_t (*counts)[2]; /* packets, bytes */
	int32_t *slots;	       /* open addressing into keys; -1 empty */
	uint64_t other[2];     /* everything beyond the first max */
	bool other_used;
	/*
	 * The flow table itself, set by the flows callback: the flows in
	 * the kernel's table now (sockcap_flows_tracked), and the packets
	 * it had no room for (sockcap_flows_not_tracked_packets_total).
	 */
	bool table;
	uint64_t tracked, not_tracked;
};

/* A table of at most max label sets. 0 or -ENOMEM. */
int metrics_flows_init(struct metrics_flows *f, unsigned int max);
/* Count packets and bytes (since the previous call) for the label set k. */
void metrics_flows_add(struct metrics_flows *f, const struct metrics_flow_key *k, uint64_t packets,
		       uint64_t bytes);
/*
 * The two flow families, HELP and TYPE lines included (nothing when
 * empty), and the table's two when set.
 */
void metrics_flows_write(const struct metrics_flows *f, FILE *out);
void metrics_flows_free(struct metrics_flows *f);

/* Where the counters come from; both run on the capture's thread. */
struct metrics_source {
	const char *const *ifnames; /* the capture's interfaces, for the labels */
	unsigned int nifs;
	uint64_t start_ns; /* CLOCK_REALTIME: sockcap_start_time_seconds */
	/* fill s; 0 or -errno (then the page is not renewed) */
	int (*collect)(void *arg, struct metrics_sample *s);
	/* NULL: no flow families; else 0 or -errno, as collect */
	int (*flows)(void *arg, struct metrics_flows *f);
	void *arg;
};

struct metrics {
	int fd; /* the listening socket until the daemon owns it; -1 */
	int family;
	const char *where; /* the option's argument, for messages */
	struct MHD_Daemon *daemon;
	struct metrics_source src;
	struct metrics_flows flows;
	struct metrics_shared *shared; /* between the two threads */
};

/*
 * Parse ADDR:PORT (an IPv4 address, or an IPv6 one in brackets; a port
 * from 1 to 65535). 0, or -EINVAL with nothing printed.
 */
int metrics_parse_addr(const char *arg, struct sockaddr_storage *ss, socklen_t *len);
/*
 * Bind and listen on arg (parsed as above), before the privileges go.
 * Prints one line on failure; 0 or a negative errno.
 */
int metrics_listen(struct metrics *m, const char *arg);
/*
 * Start serving /metrics on the socket metrics_listen() bound, in a thread
 * of libmicrohttpd's, with these sources. Prints one line on failure; 0 or
 * a negative errno.
 */
int metrics_start(struct metrics *m, const struct metrics_source *src, bool debug);
/* The capture's thread, once per round: renew the page if a scrape waits. */
void metrics_service(struct metrics *m);
/* Write the whole page to out (what metrics_service() serves). 0 or -errno. */
int metrics_write(struct metrics *m, FILE *out);
/* Stop serving, close the socket, free everything; m may be unstarted. */
void metrics_stop(struct metrics *m);

#endif /* SOCKCAP_METRICS_H */
