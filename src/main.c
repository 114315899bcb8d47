// SPDX-License-Identifier: GPL-2.0-only
/* \summary: sockcap: a live capture from setup to statistics; -r elsewhere */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "cgroups.h"
#include "dump.h"
#include "extcap.h"
#include "filter.h"
#include "flows.h"
#include "iface.h"
#include "linktype.h"
#include "metrics.h"
#include "options.h"
#include "owners.h"
#include "out.h"
#include "pcapfile.h"
#include "print.h"
#include "privs.h"
#include "procnote.h"
#include "pring.h"
#include "read.h"
#include "signals.h"
#include "util.h"

/* A quiet link still shows each packet within this many milliseconds. */
#define POLL_MS 50

/* One live capture: what it prints, writes and counts. */
struct session {
	struct options *opt;
	struct printer printer;
	struct out out;
	struct capture cap;
	enum capture_link link;
	bool opened; /* cap is open */
	/*
	 * Lines handed to the output (-c counts these; out.done of them
	 * reached it), and records read after -c was reached.
	 */
	unsigned long long printed, not_shown;
	/* packets to the file: written, and read after -c was reached */
	unsigned long long written, not_written;
	unsigned long long after_error; /* read after writing the file failed */
	unsigned long long over_limit;	/* read after -G's -W files were written */
	unsigned long long written_if[CAPTURE_MAX_IFS];
	struct dump dump;
	bool dumping;
	uint64_t start_ns;
	struct filter filt;	  /* the filter expression, compiled */
	struct iface_names names; /* for the interface column */
	struct owners owners;	  /* process attribution, when owned */
	bool owned;
	unsigned long long l4, unowned; /* TCP and UDP records; without an owner */
	unsigned long long records;	/* records read from the ring */
	/*
	 * The file's packets come with their records, each with its owners
	 * as a comment (pcapng with attribution); frame: where a frame is
	 * made whole (a tag put back, a cooked header in front).
	 */
	bool carrying;
	uint8_t *frame;
	struct cgroups cgroups; /* cgroup paths, for comments and -v */
	struct metrics metrics; /* --metrics */
	struct flows flows;	/* --flows */
	bool flowing;
	bool flows_only; /* --flows without lines or a file: the tables are the output */
};

/* A line for a record, unless -c is reached. */
static void show(struct session *s, const struct sc_record *r)
{
	if (s->opt->count && s->printed >= s->opt->count) {
		s->not_shown++;
		return;
	}
	out_line(&s->out, &s->printer, r, -1);
	s->printed++;
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* One packet to the file, with its comment (NULL: none). */
static void write_packet(struct session *s, const struct ring_pkt *rp, const char *note,
			 size_t note_len)
{
	struct pf_comment comment = { note, (uint32_t)note_len };
	struct pf_packet p = {
		.iface = rp->iface,
		.ts_ns = rp->ts_ns,
		.caplen = rp->caplen,
		.len = rp->len,
		.flags = pf_flags_from_pkttype(rp->pkttype),
		.data = rp->data,
		.comments = &comment,
		.ncomments = note_len ? 1 : 0,
	};
	int err;

	if (s->opt->count && s->written >= s->opt->count) {
		s->not_written++;
		return;
	}
	/*
	 * After a write error (reported, and ending the capture) packets are
	 * still counted: the rest of this block and what is drained. So are
	 * those after the last file -G and -W allow, which end it too.
	 */
	err = dump_failed(&s->dump) ? -EIO : dump_packet(&s->dump, &p);
	if (err > 0) {
		s->over_limit++;
		return;
	}
	if (err < 0) {
		s->after_error++;
		return;
	}
	s->written++;
	s->written_if[p.iface]++;
}

static const char *cgroup_name(uint64_t id, void *arg)
{
	return cgroups_path(arg, id);
}

/*
 * A packet that came with its record: the frame made as the packet ring
 * would have given it, and its owners as the comment.
 */
static void carried(struct session *s, const struct sc_record *r, const uint8_t *data,
		    uint32_t caplen)
{
	struct ring_pkt p = {
		.ts_ns = r->ts_ns - (uint64_t)s->printer.tai_offset_ns,
		.caplen = caplen,
		.len = r->wire_len,
		.ifindex = r->ifindex,
		.iface = capture_iface_of(&s->cap, r->ifindex),
		.pkttype = r->pkttype,
		.data = data,
	};
	char note[PF_COMMENT_MAX];
	size_t note_len;

	if (s->link == CAPTURE_LINK_COOKED) {
		struct sll2 h = {
			.proto = r->ethertype,
			.ifindex = r->ifindex,
			.hatype = capture_hatype(&s->cap, r->ifindex),
			.pkttype = r->pkttype,
		};

		/* what the kernel's header_ops->parse gives: Ethernet's source */
		if (h.hatype == ARPHRD_ETHER || h.hatype == ARPHRD_LOOPBACK) {
			h.halen = 6;
			memcpy(h.addr, r->mac_src, 6);
		}
		frame_put_sll2(s->frame, s->opt->snaplen, &h, &p);
	} else if (r->flags & SC_F_VLAN_OOB) {
		frame_put_tag(s->frame, s->opt->snaplen, r->vlan_proto, r->vlan_tci, &p);
	}
	note_len = procnote_format(note, sizeof(note), r, cgroup_name, &s->cgroups);
	write_packet(s, &p, note, note_len);
}

static int on_record(void *arg, const struct sc_record *r, const uint8_t *data, uint32_t caplen)
{
	struct session *s = arg;

	s->records++;
	if (r->layer == SC_L_TCP || r->layer == SC_L_UDP) {
		s->l4++;
		s->unowned += !r->owner.pid && !r->peer.pid;
	}
	if (s->carrying)
		carried(s, r, data, caplen);
	if (!s->carrying || s->opt->print_lines)
		show(s, r);
	return 0;
}

static int on_packet(void *arg, const struct ring_pkt *rp)
{
	write_packet(arg, rp, NULL, 0);
	return 0;
}

/* What the pcapng interface statistics block says when a file closes. */
static void file_stats(void *arg, uint32_t iface, struct pf_ifstats *st)
{
	struct session *s = arg;
	struct sc_counters k = { 0 };
	struct sock_counters sk = { 0 };

	if (!s->opened)
		return;
	capture_counters(&s->cap, &k);
	capture_if_counters(&s->cap, iface, &sk);
	if (s->carrying) {
		/*
		 * The packets came with their records, counted for all the
		 * interfaces together: the drops of the whole capture are in
		 * the first interface's block.
		 */
		sk.queued = s->cap.nifs == 1 ? k.recorded + k.lost : s->written_if[iface];
		sk.dropped = iface == 0 ? k.lost : 0;
	}
	st->start_ns = s->start_ns;
	st->end_ns = realtime_ns();
	/* the socket counts what the filter passed: every packet it accepted */
	st->filter_accept = sk.queued;
	/*
	 * What an expression rejected is counted for all interfaces together:
	 * with several, each block reports what its interface's filter passed.
	 */
	if (s->cap.nifs == 1)
		st->recv = s->filt.insns ? k.sock_seen : k.seen;
	else
		st->recv = sk.queued;
	st->drop = sk.dropped;
	st->os_drop = sk.dropped;
	st->usr_deliv = s->written_if[iface];
}

/*
 * Once the filter is stopped no new run starts, but records and packets
 * already in the rings must still be read: read until everything the kernel
 * counted has been consumed, so the statistics add up exactly. A block of
 * packets reaches us when its timer runs out, so this can take a moment.
 */
static void drain(struct capture *c, struct session *s)
{
	for (int tries = 0; tries < 400; tries++) {
		struct sc_counters k;
		struct sock_counters sk;
		bool done;

		/* first settled, then read: what is counted is in the rings */
		if (capture_quiet(c, &done) || capture_poll(c, 0))
			return;
		/* printed: the lines shown, still buffered, or unsent */
		if (done && c->rb) {
			if (capture_counters(c, &k))
				return;
			done = k.recorded == s->records + c->bad_records;
		}
		if (done && s->dumping && !s->carrying) {
			if (capture_sock_counters(c, &sk))
				return;
			done = sk.queued - sk.dropped ==
			       s->written + s->not_written + s->over_limit + s->after_error;
		}
		if (done)
			return;
		usleep(5000);
	}
	sc_err("some records or packets were still unread after the capture stopped");
}

/* --flows: where each packet received by the filter went. */
static void flows_stats(const struct sc_counters *k)
{
	fprintf(stderr, "%llu packets counted in flows\n", (unsigned long long)k->flowed);
	fprintf(stderr, "%llu packets not tracked (flow table full)\n",
		(unsigned long long)k->untracked);
	fprintf(stderr, "%llu packets in no flow (not IP)\n", (unsigned long long)k->noflow);
}

static void print_stats(struct capture *c, struct session *s)
{
	struct sc_counters k;
	struct sock_counters sk = { 0 };
	int err = capture_counters(c, &k);

	if (!err && s->dumping)
		err = capture_sock_counters(c, &sk);
	if (err) {
		sc_err("reading counters: %s", strerror(-err));
		return;
	}
	if (s->carrying) /* the packets came with the records */
		sk.dropped = k.lost;
	if (s->dumping) {
		/* the file is the capture; lines are a view of it */
		unsigned long long lost = dump_lost(&s->dump) + s->after_error;

		fprintf(stderr, "%llu packets captured\n", s->written - dump_lost(&s->dump));
		fprintf(stderr, "%llu packets received by filter\n", (unsigned long long)k.seen);
		fprintf(stderr, "%llu packets dropped by kernel\n", (unsigned long long)sk.dropped);
		if (s->not_written)
			fprintf(stderr, "%llu packets not written (count reached)\n",
				s->not_written);
		if (s->over_limit)
			fprintf(stderr, "%llu packets not written (file limit reached)\n",
				s->over_limit);
		if (lost)
			fprintf(stderr, "%llu packets lost (%s)\n", lost,
				dump_closed(&s->dump) ? "output closed"
						      : "writing the file failed");
		if (k.lost && !s->carrying)
			fprintf(stderr, "%llu summary lines lost (ring buffer full)\n",
				(unsigned long long)k.lost);
	} else if (s->flows_only) {
		/* a packet is captured once it is in a flow, or known to be in none */
		fprintf(stderr, "%llu packets captured\n",
			(unsigned long long)(k.flowed + k.noflow));
		fprintf(stderr, "%llu packets received by filter\n", (unsigned long long)k.seen);
		fprintf(stderr, "%llu packets dropped by kernel\n",
			(unsigned long long)k.untracked);
	} else {
		/* a line is captured once it is written, not when it is formatted */
		fprintf(stderr, "%llu packets captured\n", s->out.done);
		fprintf(stderr, "%llu packets received by filter\n", (unsigned long long)k.seen);
		fprintf(stderr, "%llu packets dropped by kernel\n", (unsigned long long)k.lost);
		if (s->not_shown)
			fprintf(stderr, "%llu packets not shown (count reached)\n", s->not_shown);
		if (s->out.unsent)
			fprintf(stderr, "%llu packets not shown (%s)\n", s->out.unsent,
				s->out.broken ? "output closed" : "writing the output failed");
	}
	if (s->flowing)
		flows_stats(&k);
	if (s->filt.insns)
		fprintf(stderr, "%llu packets seen by the socket (before the filter expression)\n",
			(unsigned long long)k.sock_seen);
	if (c->bad_records)
		fprintf(stderr, "%llu malformed records ignored\n", c->bad_records);
	if (s->opt->procs.match)
		fprintf(stderr,
			"%llu packets of other processes (not chosen by --pid, --uid, "
			"--comm, --cgroup)\n",
			(unsigned long long)k.unwanted);
	/* from the records: with the flow tables alone there are none */
	if (s->owned && !s->flows_only) {
		char how[384];

		owners_describe(&s->owners, how, sizeof(how));
		fprintf(stderr, "%llu of %llu TCP and UDP packets named no process (%s)\n",
			s->unowned, s->l4, how);
	}
}

/*
 * The counters --metrics serves, as print_stats() counts them: the kernel's
 * per-CPU counters are for all interfaces together, a packet socket's (-w)
 * for its interface.
 */
static int metrics_collect(void *arg, struct metrics_sample *m)
{
	_Static_assert(METRICS_MAX_IFS >= CAPTURE_MAX_IFS, "an interface label each");
	struct session *s = arg;
	struct sc_counters k;
	struct sock_counters sk;
	int err = capture_counters(&s->cap, &k);

	if (err)
		return err;
	metrics_put(m, METRICS_RECEIVED, METRICS_ALL_IFS, k.seen);
	if (s->filt.insns)
		metrics_put(m, METRICS_SEEN, METRICS_ALL_IFS, k.sock_seen);
	if (s->owned) {
		metrics_put(m, METRICS_ATTRIBUTED, METRICS_ALL_IFS, s->l4 - s->unowned);
		metrics_put(m, METRICS_UNATTRIBUTED, METRICS_ALL_IFS, s->unowned);
	}
	if (!s->dumping) {
		metrics_put(m, METRICS_CAPTURED, METRICS_ALL_IFS, s->out.done);
		metrics_put(m, METRICS_DROPPED, METRICS_ALL_IFS, k.lost);
		return 0;
	}
	for (unsigned int i = 0; i < s->cap.nifs; i++) {
		err = capture_if_counters(&s->cap, i, &sk);
		if (err)
			return err;
		/*
		 * Packets that came with their records (pcapng comments): the
		 * ring buffer's drops, of all the interfaces, go with the
		 * first, as in the file's statistics blocks.
		 */
		if (s->carrying)
			sk.dropped = i == 0 ? k.lost : 0;
		metrics_put(m, METRICS_DROPPED, (int)i, sk.dropped);
		metrics_put(m, METRICS_CAPTURED, (int)i, s->written_if[i]);
	}
	return 0;
}

/* --metrics with --flows: what the flows sent since the last scrape. */
static int metrics_flows(void *arg, struct metrics_flows *m)
{
	struct session *s = arg;
	struct sc_counters k;
	int err = capture_counters(&s->cap, &k);

	return err ? err : flows_metrics(&s->flows, m, &k);
}

/* libbpf's warnings always reach stderr; its other messages with --debug. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/*
 * Everything that can be checked without privileges, in the order tcpdump
 * checks it: the interfaces (a number from -D names one), then the
 * expression, compiled for their link type. 1 when -d or -dd has shown the
 * program, else 0 or a negative errno (the error was printed).
 */
static int prepare(struct session *s)
{
	static char byindex[CAPTURE_MAX_IFS][IF_NAMESIZE];
	struct options *opt = s->opt;

	for (unsigned int i = 0; i < opt->nifs; i++) {
		unsigned long idx;

		/* a number from -D names an interface, unless one has that name */
		if (!if_nametoindex(opt->ifnames[i]) &&
		    sc_parse_ulong(opt->ifnames[i], 1, UINT_MAX, &idx) &&
		    if_indextoname(idx, byindex[i]))
			opt->ifnames[i] = byindex[i];
	}
	if (!opt->nifs) {
		opt->ifnames[opt->nifs++] = iface_default();
		if (!opt->ifnames[0]) {
			sc_err("no interface is up; name one with -i");
			return -ENODEV;
		}
	}
	/* before the expression, which is compiled for their link type (-d too) */
	if (capture_check_ifs(opt->ifnames, opt->nifs, &s->link))
		return -EINVAL;
	if (opt->expr) {
		/* before the privilege check: a bad expression is reported to anyone */
		if (filter_compile(&s->filt, opt->expr, opt->ifnames[0],
				   link_info(s->link)->linktype,
				   opt->wfile ? opt->snaplen : MAX_SNAPLEN))
			return -EINVAL;
		if (opt->dflag)
			return filter_show(&s->filt, opt->dflag) == EXIT_SUCCESS ? 1 : -EIO;
	}
	return privs_check() ? -EPERM : 0;
}

/* The cgroups --cgroup names, with those below them: into the set. */
static int resolve_cgroups(struct session *s)
{
	struct options *opt = s->opt;
	static uint64_t ids[SC_WANT_CGROUPS];
	unsigned int n = 0;
	int err = 0;

	for (unsigned int i = 0; i < opt->ncgroup_paths && !err; i++) {
		err = cgroups_under(&s->cgroups, opt->cgroup_paths[i], ids, &n, SC_WANT_CGROUPS);
		if (err == -ENOENT)
			sc_err("--cgroup %s: no such cgroup (paths are as /proc/PID/cgroup shows "
			       "them)",
			       opt->cgroup_paths[i]);
		else if (err == -E2BIG)
			sc_err("--cgroup: more than %d cgroups in all", SC_WANT_CGROUPS);
		else if (err)
			sc_err("--cgroup %s: %s", opt->cgroup_paths[i], strerror(-err));
	}
	opt->procs.cgroups = ids;
	opt->procs.ncgroups = n;
	return err;
}

/*
 * Process attribution, when something shows it: lines, the comments of a
 * pcapng file, or the process filters (which refuse to run without it).
 */
static int open_owners(struct session *s, bool records)
{
	struct options *opt = s->opt;
	bool comments = opt->wfile && opt->dump.fmt == PF_PCAPNG;
	int err;

	if (opt->no_process || (!records && !comments && !opt->procs.match))
		return 0;
	/* loaded before the capabilities go; without it the capture goes on */
	err = owners_open(&s->owners, opt->debug);
	if (err && opt->procs.match) {
		sc_err("--pid, --uid, --comm and --cgroup need process attribution, which is "
		       "unavailable (see above)");
		return err;
	}
	if (err)
		return 0;
	s->owned = true;
	s->printer.cgroup_name = cgroup_name;
	s->printer.cgroup_arg = &s->cgroups;
	/* paths for comments and -v; the hierarchy's root is opened now */
	if (cgroups_open(&s->cgroups) && opt->ncgroup_paths) {
		sc_err("--cgroup: the cgroup v2 hierarchy cannot be opened");
		return -ENOENT;
	}
	if (opt->ncgroup_paths)
		return resolve_cgroups(s);
	return 0;
}

/* Load, attach and bind, then give up the privileges that took. */
static int open_capture(struct session *s)
{
	struct options *opt = s->opt;
	struct capture_opts copt = {
		.ifnames = opt->ifnames,
		.nifs = opt->nifs,
		.promisc = opt->promisc,
		.records = (!opt->wfile && !opt->flows) || opt->print_lines,
		.flows = opt->flows ? opt->flow_table : 0,
		.direction = opt->direction,
		.match = s->filt.insns,
		.match_len = s->filt.len,
		.on_record = on_record,
		.arg = s,
	};
	uid_t uid = 0;
	gid_t gid = 0;

	if (opt->user && privs_lookup_user(opt->user, &uid, &gid))
		return -EINVAL;
	/* the flow tables name processes too */
	if (open_owners(s, copt.records || opt->flows))
		return -EINVAL;
	if (s->owned) {
		copt.owners = &s->owners.maps;
		copt.procs = &opt->procs;
	}
	/* bound while it may take a port below 1024; served after the drop */
	if (opt->metrics && metrics_listen(&s->metrics, opt->metrics))
		return -EINVAL;
	if (opt->wfile) {
		copt.snaplen = opt->snaplen;
		copt.pkt_ring_bytes = opt->pkt_ring_bytes;
		copt.on_packet = on_packet;
	}
	/*
	 * pcapng with attribution: each packet comes with its record, which
	 * names its owners, in one ring entry: the packet ring and the ring
	 * buffer are filled on different CPUs in different orders, and a
	 * packet must never get another's comment.
	 */
	if (s->owned && opt->wfile && opt->dump.fmt == PF_PCAPNG) {
		s->carrying = true;
		s->frame = malloc(SC_CARRY_MAX + SLL2_HDR_LEN);
		if (!s->frame)
			return -ENOMEM;
		copt.carry = opt->snaplen < SC_CARRY_MAX ? opt->snaplen : SC_CARRY_MAX;
		copt.records = true;
		copt.snaplen = 0;
	}
	/* without lines the record ring is never read: keep it at one page */
	copt.ring_bytes = copt.records ? opt->ring_bytes : ring_size(1);
	if (capture_open(&s->cap, &copt))
		return -EINVAL;
	s->opened = true;
	s->link = s->cap.link;
	if (opt->flows) {
		if (flows_init(&s->flows, capture_flows_fd(&s->cap), opt->flow_table,
			       opt->flow_interval, stdout)) {
			sc_err("the flow table: %s", strerror(ENOMEM));
			return -ENOMEM;
		}
		s->flows.json = opt->print.json;
		s->flowing = true;
		s->flows_only = !copt.records && !opt->wfile;
	}
	return opt->user ? privs_become(opt->user, uid, gid) : privs_drop();
}

/*
 * Files are created now, with the privileges the capture runs with; the
 * line that says what is captured.
 */
static int start_output(struct session *s)
{
	struct options *opt = s->opt;
	char names[CAPTURE_MAX_IFS * (IF_NAMESIZE + 2)] = "";
	struct pf_iface ifc[CAPTURE_MAX_IFS];

	for (unsigned int i = 0; i < opt->nifs; i++) {
		size_t len = strlen(names);

		snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "", opt->ifnames[i]);
		ifc[i] = (struct pf_iface){
			.name = opt->ifnames[i],
			.linktype = link_info(s->link)->linktype,
			.snaplen = opt->snaplen,
		};
	}
	s->start_ns = realtime_ns();
	if (!opt->wfile) {
		fprintf(stderr, "sockcap: listening on %s, %s mode\n", names,
			s->flows_only ? "flow" : "summary");
		return 0;
	}
	opt->dump.stats = file_stats;
	opt->dump.arg = s;
	if (dump_start(&s->dump, &opt->dump, ifc, opt->nifs))
		return s->dump.interrupted ? 1 : -EIO; /* 1: stopped, nothing captured */
	s->dumping = true;
	fprintf(stderr, "sockcap: listening on %s, link-type %s (%s), snapshot length %u bytes\n",
		names, link_info(s->link)->name, link_info(s->link)->desc, opt->snaplen);
	return 0;
}

/* --flows, once a round: an interval table when one is due, the sweep. */
static int flows_round(struct session *s)
{
	struct sc_counters k;
	int err = capture_counters(&s->cap, &k);

	if (!err)
		err = flows_tick(&s->flows, &k);
	if (err)
		sc_err("reading the flow table: %s", strerror(-err));
	return err;
}

/* -c with the flow tables alone: COUNT packets seen (a few more may come). */
static bool flows_count_reached(struct session *s)
{
	struct sc_counters k;

	return s->opt->count && !capture_counters(&s->cap, &k) && k.seen >= s->opt->count;
}

/* Until a signal, -c, -W or an error: EXIT_SUCCESS or EXIT_FAILURE. */
static int capture_loop(struct session *s)
{
	time_t last_sync = time(NULL);
	int err;

	while (!sc_stop_requested) {
		err = capture_poll(&s->cap, POLL_MS);
		if (err) {
			/* an interface that disappeared was named where it was found */
			if (err != -ENODEV)
				sc_err("reading packets: %s", strerror(-err));
			return EXIT_FAILURE;
		}
		/* a file error was reported where it happened */
		if (s->dumping && dump_failed(&s->dump))
			return EXIT_FAILURE;
		if (out_flush(&s->out))
			break;
		/* the last file -G and -W allow is written: the line said so */
		if (s->dumping && dump_full(&s->dump))
			break;
		if (s->dumping && dump_flush(&s->dump))
			return EXIT_FAILURE;
		if (s->opt->count && (s->dumping ? s->written : s->printed) >= s->opt->count)
			break;
		metrics_service(&s->metrics);
		if (s->flowing && flows_round(s))
			return EXIT_FAILURE;
		if (s->flows_only && flows_count_reached(s))
			break;
		if (sc_stats_requested) {
			sc_stats_requested = 0;
			print_stats(&s->cap, s);
		}
		if (time(NULL) != last_sync) {
			last_sync = time(NULL);
			printer_sync_clock(&s->printer);
			if (s->owned)
				owners_refresh(&s->owners);
		}
		/* -G: the period is over, packets or not (shortly after its end) */
		if (s->dumping) {
			err = dump_tick(&s->dump, realtime_ns());
			if (err < 0)
				return EXIT_FAILURE;
			if (err > 0)
				break;
		}
	}
	return EXIT_SUCCESS;
}

/* Stop, read what is left, close the files, and say what was seen. */
static int finish(struct session *s, int status)
{
	metrics_stop(&s->metrics);
	capture_stop(&s->cap);
	drain(&s->cap, s);
	out_flush(&s->out);
	if (s->out.err && !s->out.broken) {
		sc_err("writing output: %s", strerror(-s->out.err));
		status = EXIT_FAILURE;
	}
	if (s->dumping && dump_finish(&s->dump))
		status = EXIT_FAILURE;
	if (s->flowing) {
		int err = flows_final(&s->flows);

		if (err) {
			sc_err("the flow table: %s", strerror(-err));
			status = EXIT_FAILURE;
		}
	}
	print_stats(&s->cap, s);
	return status;
}

static int run_capture(struct options *opt)
{
	struct session *s = calloc(1, sizeof(*s));
	int fd = opt->wfile && !strcmp(opt->wfile, "-") ? STDERR_FILENO : STDOUT_FILENO;
	int err, status = EXIT_FAILURE;

	if (!s || out_init(&s->out, fd, opt->line_buffered)) {
		sc_err("%s", strerror(ENOMEM));
		free(s);
		return EXIT_FAILURE;
	}
	/* lines go to stdout, or to stderr when the file does */
	s->opt = opt;
	s->dump.fd = -1;
	s->cgroups.root = -1;
	s->metrics.fd = -1;
	printer_init(&s->printer, &opt->print);
	s->printer.ifname = iface_name;
	s->printer.ifname_arg = &s->names;
	err = prepare(s);
	if (err > 0)
		status = EXIT_SUCCESS; /* -d, -dd */
	if (!err)
		err = open_capture(s);
	if (!err) {
		sc_catch_signals(true);
		err = start_output(s);
		if (err > 0)
			status = EXIT_SUCCESS;
	}
	if (!err && opt->metrics) {
		struct metrics_source src = {
			.ifnames = opt->ifnames,
			.nifs = opt->nifs,
			.start_ns = s->start_ns,
			.collect = metrics_collect,
			.flows = s->flowing ? metrics_flows : NULL,
			.arg = s,
		};

		err = metrics_start(&s->metrics, &src, opt->debug);
	}
	if (!err)
		status = finish(s, capture_loop(s));
	if (s->opened)
		capture_close(&s->cap);
	if (s->owned)
		owners_close(&s->owners);
	cgroups_close(&s->cgroups);
	free(s->frame);
	metrics_stop(&s->metrics);
	flows_free(&s->flows);
	filter_free(&s->filt);
	out_fini(&s->out);
	free(s);
	return status;
}

/* What the command line asks for: -r, or a live capture. */
static int run(struct options *opt)
{
	libbpf_set_print(opt->debug ? libbpf_print : libbpf_warnings);
	return opt->rfile ? read_file(opt) : run_capture(opt);
}

int main(int argc, char **argv)
{
	struct options opt;
	int status;

	/* Wireshark runs sockcap as an extcap program: src/extcap.c */
	if (extcap_wanted(argc, argv))
		return extcap_main(argc, argv, run);
	options_parse(argc, argv, &opt);
	status = run(&opt);
	options_free(&opt);
	return status;
}
