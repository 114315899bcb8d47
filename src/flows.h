/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: --flows: read the kernel's flow table, print it, sweep closed flows */
#ifndef SOCKCAP_FLOWS_H_USER
#define SOCKCAP_FLOWS_H_USER

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../bpf/flows.h" /* the key and the entry (src/flows.h is this file) */
#include "sockcap.h"

/* Rows of an interval table when stdout is not a terminal. */
#define FLOWS_TOP 20
/* A closed flow leaves the kernel's table once idle this long (and read). */
#define FLOWS_IDLE_NS 2000000000ull

/*
 * One flow as it is shown: in the originator's terms (the SYN's sender,
 * else the sender of the first packet seen), index 0 the originator's
 * direction, 1 the responder's. Text rows and any other output are made
 * from this, never from the kernel's entry.
 */
struct flow_view {
	char ifname[IF_NAMESIZE];
	uint8_t proto, family;	/* IP protocol; 4 or 6 */
	const char *proto_name; /* "tcp", "udp", "icmp", "icmp6", or NULL */
	char addr[2][46];	/* originator, responder */
	uint16_t port[2];	/* host order */
	bool has_ports;		/* TCP, UDP (else ports are 0) */
	uint64_t packets[2], bytes[2];
	uint32_t retrans[2];	    /* TCP: see bpf/flow_update.h */
	const char *state;	    /* TCP: SYN, ESTABLISHED, FIN, CLOSED, RST; else NULL */
	char icmp[32];		    /* ICMP: "echo id N", "type T code C"; else "" */
	int64_t rtt_ns;		    /* TCP handshake; -1: not measured */
	bool rtt_ambiguous;	    /* a SYN or SYN+ACK was sent more than once */
	bool over;		    /* CLOSED or RST */
	uint64_t first_ns, last_ns; /* CLOCK_TAI */
	struct sc_proc owner;	    /* pid 0: none known */
	int local;		    /* the local end: 0 the originator, 1 the responder */
	uint8_t tcp_flags[2];
};

/* Make v from the kernel's key and entry. */
void flow_view_of(const struct sc_flow_key *k, const struct sc_flow *e, struct flow_view *v);

/* The schema version of the flow objects (--flows --json). */
#define SC_JSON_FLOW_VERSION 1

/* An interval table's object: what the flow sent in the interval. */
struct flow_deltas {
	uint64_t ns;		       /* the interval's length */
	uint64_t packets[2], bytes[2]; /* by view side, as the totals */
};

struct json;

/*
 * --json: v's members (man/sockcap.8, JSON OUTPUT, has the schema); d:
 * an interval table's, NULL: the final table's. tai_offset_ns: CLOCK_TAI
 * less CLOCK_REALTIME, for the times.
 */
void flow_json(struct json *j, const struct flow_view *v, const struct flow_deltas *d,
	       uint64_t tai_offset_ns);

/* A flow as read, and what it added since the previous interval table. */
struct flow_row {
	struct sc_flow_key k;
	struct sc_flow e;
	uint64_t dpackets[2], dbytes[2]; /* by side, as e's counters */
};

/* What --metrics was last handed of a flow (see flows_metrics()). */
struct flow_mark {
	struct sc_flow_key k;
	uint64_t first_ns; /* tells a flow made again from the one swept */
	uint64_t packets[2], bytes[2];
};

struct metrics_flows;

struct flows {
	int fd;		       /* the kernel's table */
	uint32_t max;	       /* rows read at most: table_size and a spare per CPU */
	uint32_t table_size;   /* --flow-table: the map's max_entries */
	unsigned int interval; /* seconds between tables; 0: only the final one */
	FILE *out;
	bool tty;	       /* out is a terminal: a refreshing view */
	bool json;	       /* --json: an object per flow, no text */
	struct flow_row *rows; /* the latest read, max of them */
	size_t nrows;
	struct flow_row *prev; /* the read before, sorted by key */
	size_t nprev;
	struct flow_row *over; /* flows swept from the kernel: the final table's */
	size_t nover, over_cap;
	struct sc_flow_key *keys; /* batch buffers */
	struct sc_flow *vals;
	uint64_t next_table_ns, next_sweep_ns, last_table_ns; /* CLOCK_MONOTONIC */
	bool warned;					      /* "flow table full", once */
	bool no_batch;	       /* the kernel has no batch lookup: key by key */
	uint32_t name_ifindex; /* if_indextoname's last answer */
	char name[IF_NAMESIZE];
	/* --metrics: what each flow had at the last scrape, sorted by key */
	struct flow_mark *marks;
	size_t nmarks;
	size_t over_metered; /* f->over[0..over_metered) were handed over */
};

/* Set up for the table at fd of max entries. 0 or -ENOMEM. */
int flows_init(struct flows *f, int fd, uint32_t max, unsigned int interval, FILE *out);
/*
 * Once per round of the capture loop: an interval table when one is due,
 * the closed and idle flows swept, and the warning when the table filled
 * (k: the kernel's counters). 0 or -errno.
 */
int flows_tick(struct flows *f, const struct sc_counters *k);
/*
 * --metrics, at a scrape (capture thread): hand metrics_flows_add() what
 * every flow sent since the previous scrape, swept ones included, by its
 * local process, protocol, local port and direction; and the table's
 * gauges. k: the kernel's counters. 0 or -errno.
 */
int flows_metrics(struct flows *f, struct metrics_flows *m, const struct sc_counters *k);
/* The final table, every flow. 0 or -errno. */
int flows_final(struct flows *f);
void flows_free(struct flows *f);

#endif /* SOCKCAP_FLOWS_H_USER */
