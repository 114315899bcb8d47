/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: the kernel side of a capture: program, ring buffer, packet socket */
#ifndef SOCKCAP_CAPTURE_H
#define SOCKCAP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbpf.h"
#include "pring.h"
#include "sockcap.h"

struct sockcap_bpf;
struct ring_buffer;
struct bpf_map;
struct sock_filter;

/* A block of packets only partly filled is handed over after this long. */
#define CAPTURE_BLOCK_MS 50

/* Interfaces one capture can take at once (one packet socket each). */
#define CAPTURE_MAX_IFS 16

/*
 * How often capture_poll() asks each socket whether its interface is still
 * there, when no error on the socket prompted it sooner.
 */
#define CAPTURE_CHECK_MS 200

/* What a capture's packets start with. */
enum capture_link {
	CAPTURE_LINK_ETHER = 0, /* an Ethernet header (Ethernet, loopback) */
	CAPTURE_LINK_RAW,	/* the IP header: no link-layer header (tun) */
	/*
	 * -i any: every interface, through a SOCK_DGRAM socket, so packets
	 * start at the network header whatever their interface's link layer;
	 * files get a LINUX_SLL2 header made from the packet's metadata.
	 */
	CAPTURE_LINK_COOKED,
};

/* The interface name that means every interface. */
#define CAPTURE_ANY "any"

/*
 * Check the interfaces of a capture as capture_open() does (each exists,
 * is up and of a supported link type; all of one link; "any" alone), and
 * give their link. Needs no privileges. On failure prints one line to
 * stderr and returns a negative errno.
 */
int capture_check_ifs(const char *const *ifnames, unsigned int nifs, enum capture_link *link);
/*
 * The link a capture on one interface (or "any") would have, up or down:
 * 0, -ENAMETOOLONG, -ENODEV when there is no such interface, -EOPNOTSUPP
 * for a link type sockcap cannot capture, or another -errno. say: the
 * failure in one line on stderr, as a capture on it would say it.
 */
int capture_if_link(const char *name, enum capture_link *link, bool say);

/*
 * How the translator builds an expression's program, for a capture and for
 * -dd alike: counting what it sees in the counters map, then tail-calling
 * the parser for what it accepts (map fds of -1: not loaded, as -dd shows).
 */
static inline struct cbpf_opts capture_chain_opts(enum cbpf_link link, int prog_array_fd,
						  int counters_fd)
{
	return (struct cbpf_opts){
		.mode = CBPF_CHAIN,
		.prog_array_fd = prog_array_fd,
		.slot = SC_SLOT_PARSER,
		.link = link,
		.flags = CBPF_F_COUNT_SEEN,
		.seen_map_fd = counters_fd,
		.seen_off = __builtin_offsetof(struct sc_counters, sock_seen),
	};
}

/* The owner table's maps (src/owners.c), shared with the socket filter. */
struct capture_owners {
	int conns_fd, socks_fd, local_fd, ports_fd;
	uint64_t netns; /* the capture's network namespace, its cookie */
};

/*
 * The process filters: a packet is taken when one of its ends is a
 * process in every set in force (match: SC_PM_* bits, bpf/owners.h).
 */
struct capture_procs {
	uint8_t match;
	const uint32_t *pids, *uids;
	const char (*comms)[16]; /* zero-padded */
	const uint64_t *cgroups;
	unsigned int npids, nuids, ncomms, ncgroups;
};

struct capture_opts {
	const char *const *ifnames;
	unsigned int nifs;
	bool promisc;
	size_t ring_bytes; /* power of two, multiple of the page size */
	/*
	 * Packets: with snaplen > 0 the filter queues that many bytes of each
	 * packet to the socket's ring (pkt_ring_bytes of memory), and
	 * capture_poll() hands them to on_packet.
	 */
	uint32_t snaplen;
	size_t pkt_ring_bytes;
	bool records;		     /* summary records through the BPF ring buffer */
	enum sc_direction direction; /* -Q */
	/* a filter expression, compiled to classic BPF; NULL: none */
	const struct sock_filter *match;
	unsigned int match_len;
	/* process attribution: look each packet up in these; NULL: none */
	const struct capture_owners *owners;
	/* with owners: the process filters; NULL or match 0: none */
	const struct capture_procs *procs;
	/*
	 * With owners and records: each record carries up to this many bytes
	 * of its packet (a file whose packets name their owner), and none go
	 * through a packet ring; 0: none. At most SC_CARRY_MAX.
	 */
	uint32_t carry;
	/* --flows: the flow table's entries (sc_flows, bpf/flows.h); 0: none */
	uint32_t flows;
	/*
	 * Called for each record or packet from capture_poll(); 0 or -errno.
	 * A record carries caplen bytes of its packet at data (none: 0).
	 */
	int (*on_record)(void *arg, const struct sc_record *r, const uint8_t *data,
			 uint32_t caplen);
	int (*on_packet)(void *arg, const struct ring_pkt *p);
	void *arg;
};

/* The socket's own counts (PACKET_STATISTICS, accumulated). */
struct sock_counters {
	uint64_t queued;  /* packets the filter passed to the socket */
	uint64_t dropped; /* of those, dropped: the ring was full */
};

struct capture_if {
	char name[16];
	int ifindex;
	int sock;
	struct pring pring; /* with snaplen > 0 */
	struct sock_counters stats;
	bool gone; /* the interface disappeared (reported once) */
};

struct capture {
	struct sockcap_bpf *skel;
	struct ring_buffer *rb;
	struct capture_if ifs[CAPTURE_MAX_IFS];
	unsigned int nifs;
	enum capture_link link; /* every interface's */
	int (*on_record)(void *arg, const struct sc_record *r, const uint8_t *data,
			 uint32_t caplen);
	int (*on_packet)(void *arg, const struct ring_pkt *p);
	void *arg;
	unsigned long long bad_records; /* wrong size or version */
	bool stopped;
	int match_fd; /* the filter expression's program, or -1 */
	/* CLOCK_MONOTONIC: when capture_poll() next checks the interfaces */
	uint64_t check_ns;
	uint32_t hatype_ifindex, hatype; /* capture_hatype()'s last answer */
	uint32_t flows;			 /* the flow table's entries; 0: none */
};

/*
 * Look up and check the interface, load the program, create the socket,
 * attach and bind. On failure prints one line to stderr and returns a
 * negative errno.
 */
int capture_open(struct capture *c, const struct capture_opts *o);
/*
 * Wait up to timeout_ms for records or packets, then hand every available
 * one over. 0 or a negative errno (from reading, or from a callback).
 * -ENODEV: an interface disappeared (deleted, or moved to another network
 * namespace), and a line naming it was printed; its socket will receive
 * nothing more. An interface that merely goes down is not an error: the
 * capture goes on when it comes up. Until capture_stop() only.
 */
int capture_poll(struct capture *c, int timeout_ms);
/*
 * Stop the filter: no new record or packet after this returns (what is in
 * the rings stays there to be read).
 */
void capture_stop(struct capture *c);
/*
 * After capture_stop(): has every filter run that started finished
 * accounting for its packet (a record, a lost record, a queued packet)?
 * 0 or a negative errno.
 */
int capture_quiet(struct capture *c, bool *quiet);
/* Read and accumulate the sockets' counters, summed. 0 or a negative errno. */
int capture_sock_counters(struct capture *c, struct sock_counters *out);
/* The same for the socket of interface i only. */
int capture_if_counters(struct capture *c, unsigned int i, struct sock_counters *out);
/* Sum the per-CPU counters. 0 or a negative errno. */
int capture_counters(struct capture *c, struct sc_counters *out);
int capture_read_counters(const struct bpf_map *counters, struct sc_counters *out);
/* The capture's number of the interface of ifindex (0 for -i any). */
unsigned int capture_iface_of(const struct capture *c, uint32_t ifindex);
/* The ARPHRD_ type of interface ifindex (ARPHRD_VOID when it is gone). */
unsigned int capture_hatype(struct capture *c, uint32_t ifindex);
/* The flow table's map (bpf/flows.h), or -1 without --flows. */
int capture_flows_fd(const struct capture *c);
void capture_close(struct capture *c);

#endif /* SOCKCAP_CAPTURE_H */
