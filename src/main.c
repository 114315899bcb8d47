// SPDX-License-Identifier: GPL-2.0-only
/* \summary: sockcap: options, the capture loop, output and statistics */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "dump.h"
#include "filter.h"
#include "iface.h"
#include "options.h"
#include "parse.h"
#include "pcapfile.h"
#include "print.h"
#include "privs.h"
#include "read.h"
#include "util.h"

/* A quiet link still shows each packet within this many milliseconds. */
#define POLL_MS 50

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stats_requested;

/* Output goes through our own buffer and write(2): no stdio locking. */
struct out {
	int fd;
	bool line;   /* -l: flush after every line */
	bool broken; /* reader went away (EPIPE) */
	int err;     /* first write error, negative errno */
	size_t len;
	/*
	 * Lines in buf, lines written to fd, and lines that never will be
	 * (they were in buf when a write failed, or came after it).
	 */
	unsigned long long lines, done, unsent;
	char buf[256 * 1024];
};

struct session {
	struct options *opt;
	struct printer printer;
	struct out *out;
	struct capture *cap;
	/*
	 * Lines handed to the output (-c counts these; out->done of them
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
	struct pf_reader *reader; /* -r */
	struct filter filt;	  /* the filter expression, compiled */
	uint32_t copy_section;	  /* -r -w: the section whose interfaces are copied */
	/* interface names by index, filled on first sight */
	struct {
		uint32_t ifindex;
		char name[IF_NAMESIZE];
	} names[64];
};

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		stats_requested = 1;
	else
		stop_requested = 1;
}

/*
 * SIGINT and SIGTERM ask to stop, SIGUSR1 for the statistics (or nothing,
 * without stats); a closed pipe is an error of write(2), not a signal.
 */
static void catch_signals(bool stats)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (stats)
		sigaction(SIGUSR1, &sa, NULL);
	else
		signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

static int out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			o->err = -errno;
			if (errno == EPIPE)
				o->broken = true;
			break;
		}
		done += n;
	}
	if (done == o->len) {
		o->done += o->lines;
	} else {
		/* a line is shown once all of it is written; the rest never will be */
		unsigned long long n = 0;
		const char *p = o->buf, *end = o->buf + done;

		while (p < end && (p = memchr(p, '\n', end - p))) {
			n++;
			p++;
		}
		o->done += n;
		o->unsent += o->lines - n;
	}
	o->lines = 0;
	o->len = 0;
	return o->err;
}

/*
 * The one way a line enters the buffer, for a capture and -r alike: the
 * formatter gets SC_LINE_MAX bytes of room, the buffer has them (it is
 * flushed first when it has less), and no line can be longer. A record of
 * linktype -1 is decoded, one of another link type gets a line naming it.
 */
static void out_line(struct out *o, struct printer *pr, const struct sc_record *r, int linktype)
{
	_Static_assert(sizeof(o->buf) >= SC_LINE_MAX, "the output buffer must hold a line");
	char *at;

	if (sizeof(o->buf) - o->len < SC_LINE_MAX)
		out_flush(o);
	/* the output is closed or failed: the rest is counted, not formatted */
	if (o->err) {
		o->unsent++;
		return;
	}
	at = o->buf + o->len;
	if (linktype < 0)
		o->len += sc_format(pr, r, at, SC_LINE_MAX);
	else
		o->len += sc_format_linktype(pr, r, (unsigned int)linktype, at, SC_LINE_MAX);
	o->lines++;
	if (o->line)
		out_flush(o);
}

static const char *ifname_of(uint32_t ifindex, void *arg)
{
	struct session *s = arg;
	__typeof__(s->names[0]) *slot = &s->names[ifindex % 64];

	if (slot->ifindex != ifindex || !slot->name[0]) {
		slot->ifindex = ifindex;
		if (!if_indextoname(ifindex, slot->name)) {
			slot->name[0] = 0;
			return NULL;
		}
	}
	return slot->name;
}

static int on_record(void *arg, const struct sc_record *r)
{
	struct session *s = arg;
	struct out *o = s->out;

	if (s->opt->count && s->printed >= s->opt->count) {
		s->not_shown++;
		return 0;
	}
	out_line(o, &s->printer, r, -1);
	s->printed++;
	return 0;
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int on_packet(void *arg, const struct ring_pkt *rp)
{
	struct session *s = arg;
	struct pf_packet p = {
		.iface = s->cap->cur_if,
		.ts_ns = rp->ts_ns,
		.caplen = rp->caplen,
		.len = rp->len,
		.flags = pf_flags_from_pkttype(rp->pkttype),
		.data = rp->data,
	};
	int err;

	if (s->opt->count && s->written >= s->opt->count) {
		s->not_written++;
		return 0;
	}
	/*
	 * After a write error (reported, and ending the capture) packets are
	 * still counted: the rest of this block and what is drained. So are
	 * those after the last file -G and -W allow, which end it too.
	 */
	err = dump_failed(&s->dump) ? -EIO : dump_packet(&s->dump, &p);
	if (err > 0) {
		s->over_limit++;
		return 0;
	}
	if (err < 0) {
		s->after_error++;
		return 0;
	}
	s->written++;
	s->written_if[p.iface]++;
	return 0;
}

/* What the pcapng interface statistics block says when a file closes. */
static void file_stats(void *arg, uint32_t iface, struct pf_ifstats *st)
{
	struct session *s = arg;
	struct sc_counters k = { 0 };
	struct sock_counters sk = { 0 };

	if (!s->cap)
		return;
	capture_counters(s->cap, &k);
	capture_if_counters(s->cap, iface, &sk);
	st->start_ns = s->start_ns;
	st->end_ns = realtime_ns();
	/* the socket counts what the filter passed: every packet it accepted */
	st->filter_accept = sk.queued;
	/*
	 * What an expression rejected is counted for all interfaces together:
	 * with several, each block reports what its interface's filter passed.
	 */
	if (s->cap->nifs == 1)
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
			done = k.recorded == s->printed + s->not_shown + c->bad_records;
		}
		if (done && s->dumping) {
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
			fprintf(stderr, "%llu packets lost (writing the file failed)\n", lost);
		if (k.lost)
			fprintf(stderr, "%llu summary lines lost (ring buffer full)\n",
				(unsigned long long)k.lost);
	} else {
		/* a line is captured once it is written, not when it is formatted */
		fprintf(stderr, "%llu packets captured\n", s->out->done);
		fprintf(stderr, "%llu packets received by filter\n", (unsigned long long)k.seen);
		fprintf(stderr, "%llu packets dropped by kernel\n", (unsigned long long)k.lost);
		if (s->not_shown)
			fprintf(stderr, "%llu packets not shown (count reached)\n", s->not_shown);
		if (s->out->unsent)
			fprintf(stderr, "%llu packets not shown (%s)\n", s->out->unsent,
				s->out->broken ? "output closed" : "writing the output failed");
	}
	if (s->filt.insns)
		fprintf(stderr, "%llu packets seen by the socket (before the filter expression)\n",
			(unsigned long long)k.sock_seen);
	if (c->bad_records)
		fprintf(stderr, "%llu malformed records ignored\n", c->bad_records);
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

/* -d, -dd: show the program and exit. */
static int dump_program(const struct filter *f, int dflag)
{
	if (dflag == 1)
		filter_dump_classic(f, stdout);
	else if (filter_dump_ebpf(f, stdout))
		return EXIT_FAILURE;
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Lines go to stdout, or to stderr when the file does. */
static void setup_lines(struct session *s, struct options *opt, struct out *out)
{
	s->opt = opt;
	s->out = out;
	out->fd = opt->wfile && !strcmp(opt->wfile, "-") ? STDERR_FILENO : STDOUT_FILENO;
	out->line = opt->line_buffered;
	printer_init(&s->printer, &opt->print);
}

/* ---------------------------------------------------------------- -r */

/* A file's interface name, as the file gives it (the line escapes it). */
static const char *file_ifname(uint32_t ifindex, void *arg)
{
	struct pf_reader *r = arg;

	/* records carry the file's interface number plus one */
	if (ifindex == 0 || ifindex > r->nifs || !r->ifs[ifindex - 1].name[0])
		return NULL;
	return r->ifs[ifindex - 1].name;
}

static void print_file_packet(struct session *s, const struct pf_packet *p)
{
	struct sc_record r;
	bool by_index;
	int lt = s->reader->ifs[p->iface].linktype;

	if (read_record(s->reader, p, &r, &by_index) == READ_UNDECODED) {
		out_line(s->out, &s->printer, &r, lt);
	} else if (by_index) {
		/* the interface index of the machine that wrote it: named here */
		struct printer pr = s->printer;

		pr.ifname = ifname_of;
		pr.ifname_arg = s;
		out_line(s->out, &pr, &r, -1);
		/* the time columns moved on in the copy */
		s->printer.prev_ns = pr.prev_ns;
		s->printer.first_ns = pr.first_ns;
	} else {
		out_line(s->out, &s->printer, &r, -1);
	}
	s->printed++;
}

/*
 * A pcap copy takes the packets of every interface of one link type: its
 * header gets the largest snap length of those known (0, no limit, wins).
 */
static uint32_t pcap_snaplen(const struct pf_reader *rd, unsigned int linktype)
{
	uint32_t snaplen = 1;

	for (uint32_t i = 0; i < rd->nifs && snaplen; i++)
		if (rd->ifs[i].linktype == linktype &&
		    (!rd->ifs[i].snaplen || rd->ifs[i].snaplen > snaplen))
			snaplen = rd->ifs[i].snaplen;
	return snaplen;
}

/* The file being copied: its interfaces as known at the first packet. */
static int start_copy(struct session *s, const struct pf_packet *first)
{
	struct pf_reader *rd = s->reader;
	struct pf_iface ifs[DUMP_MAX_IFS];
	uint32_t n = rd->nifs, base = 0;

	if (s->opt->dump.fmt != PF_PCAPNG) {
		base = first->iface; /* pcap: one interface, the first packet's */
		n = 1;
	}
	if (n > DUMP_MAX_IFS) {
		sc_err("%s: more than %d interfaces", s->opt->rfile, DUMP_MAX_IFS);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < n; i++) {
		ifs[i].name = rd->ifs[base + i].name[0] ? rd->ifs[base + i].name : NULL;
		ifs[i].linktype = rd->ifs[base + i].linktype;
		ifs[i].snaplen = rd->ifs[base + i].snaplen;
	}
	if (s->opt->dump.fmt != PF_PCAPNG)
		ifs[0].snaplen = pcap_snaplen(rd, ifs[0].linktype);
	s->dumping = true;
	s->copy_section = rd->sections;
	return dump_start(&s->dump, &s->opt->dump, ifs, n);
}

static int copy_packet(struct session *s, const struct pf_packet *p)
{
	struct pf_reader *rd = s->reader;
	struct pf_packet q = *p;

	if (s->opt->dump.fmt != PF_PCAPNG) {
		if (rd->ifs[p->iface].linktype != s->dump.ifs[0].linktype) {
			sc_err("%s: packets of link types %u and %u cannot share a pcap file; "
			       "use pcapng",
			       s->opt->rfile, s->dump.ifs[0].linktype, rd->ifs[p->iface].linktype);
			return -EINVAL;
		}
		q.iface = 0;
		/* an interface described later may have a larger one: cut to the file's */
		if (s->dump.ifs[0].snaplen && q.caplen > s->dump.ifs[0].snaplen)
			q.caplen = s->dump.ifs[0].snaplen;
	} else if (rd->sections != s->copy_section) {
		sc_err("%s: copying a pcapng file of several sections is not supported",
		       s->opt->rfile);
		return -EINVAL;
	} else if (p->iface >= s->dump.nifs) {
		sc_err("%s: interface %u is described after the first packet; copying such a "
		       "file is not supported",
		       s->opt->rfile, p->iface);
		return -EINVAL;
	}
	return dump_packet(&s->dump, &q);
}

static int compile_for_file(struct filter *f, const struct options *opt, int linktype)
{
	filter_free(f);
	if (filter_compile(f, opt->expr, NULL, linktype, MAX_SNAPLEN))
		return -EINVAL;
	if (filter_needs_kernel(f)) {
		sc_err("%s: the expression tests what only a live capture knows (direction, "
		       "interface); it cannot filter a file",
		       opt->rfile);
		return -EINVAL;
	}
	return 0;
}

static int run_read(struct options *opt)
{
	static struct out out;
	static struct session sess;
	struct pf_reader rd;
	struct pf_packet p;
	FILE *f;
	int err = 0, rc;
	bool lines = !opt->wfile || opt->print_lines;

	setup_lines(&sess, opt, &out);
	/* a terminal sees each line as its packet is read, as with stdio */
	if (isatty(out.fd))
		out.line = true;
	sess.reader = &rd;
	sess.printer.tai_offset_ns = 0; /* file timestamps are UTC already */
	sess.printer.from_file = 1;
	sess.printer.ifname = file_ifname;
	sess.printer.ifname_arg = &rd;
	sess.dump.fd = -1;

	if (!strcmp(opt->rfile, "-")) {
		f = stdin;
	} else {
		f = fopen(opt->rfile, "rbe");
		if (!f) {
			sc_err("%s: %s", opt->rfile, strerror(errno));
			return EXIT_FAILURE;
		}
	}
	if (pf_reader_open(&rd, f) < 0) {
		sc_err("%s: %s", opt->rfile, rd.errbuf);
		pf_reader_close(&rd);
		if (f != stdin)
			fclose(f);
		return EXIT_FAILURE;
	}
	if (opt->expr) {
		/* checked before anything is read or written: for the first link type */
		err = compile_for_file(&sess.filt, opt,
				       rd.nifs ? rd.ifs[0].linktype : PF_LINKTYPE_ETHERNET);
		if (err || opt->dflag) {
			if (!err)
				err = dump_program(&sess.filt, opt->dflag) ? -EIO : 0;
			goto done;
		}
	}
	if (opt->user) {
		uid_t uid;
		gid_t gid;

		if (privs_lookup_user(opt->user, &uid, &gid) || privs_become(opt->user, uid, gid)) {
			err = -EPERM;
			goto done;
		}
	}
	/*
	 * Stop at a packet boundary: the lines of the packets read so far are
	 * written out, a copy is closed properly. A read that the signal
	 * interrupts ends the loop below, not as an error. No capture
	 * statistics to show on SIGUSR1.
	 */
	catch_signals(false);
	while (!stop_requested) {
		rc = pf_read_packet(&rd, &p);
		if (rc == 0 || stop_requested)
			break;
		if (rc < 0) {
			out_flush(&out);
			sc_err("%s: %s", opt->rfile, rd.errbuf);
			err = rc;
			break;
		}
		if (opt->expr) {
			int lt = rd.ifs[p.iface].linktype;

			/* compiled for the link type at hand; files seldom mix them */
			if (sess.filt.linktype != lt &&
			    (err = compile_for_file(&sess.filt, opt, lt)))
				break;
			if (!filter_match(&sess.filt, p.data, p.caplen, p.len))
				continue;
		}
		if (opt->wfile) {
			if (!sess.dumping && (err = start_copy(&sess, &p)))
				break;
			if ((err = copy_packet(&sess, &p)))
				break;
			sess.written++;
		}
		if (lines)
			print_file_packet(&sess, &p);
		if (out.err)
			break;
		if (opt->count && (opt->wfile ? sess.written : sess.printed) >= opt->count)
			break;
	}
	/* an empty input still gives a valid (empty) output file */
	if (opt->wfile && !sess.dumping && !err && !stop_requested && rd.nifs) {
		struct pf_packet none = { .iface = 0 };

		err = start_copy(&sess, &none);
	}
done:
	out_flush(&out);
	if (sess.dumping && dump_finish(&sess.dump) && !err)
		err = -EIO;
	if (out.err && !out.broken) {
		sc_err("writing output: %s", strerror(-out.err));
		err = out.err;
	}
	pf_reader_close(&rd);
	if (f != stdin)
		fclose(f);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ------------------------------------------------------------ capture */

/* What a capture's files say of its link: the LINKTYPE, and its names. */
static const struct {
	unsigned int linktype;
	const char *name, *desc;
} links[] = {
	[CAPTURE_LINK_ETHER] = { PF_LINKTYPE_ETHERNET, "EN10MB", "Ethernet" },
	[CAPTURE_LINK_RAW] = { PF_LINKTYPE_RAW, "RAW", "Raw IP" },
	[CAPTURE_LINK_COOKED] = { PF_LINKTYPE_LINUX_SLL2, "LINUX_SLL2", "Linux cooked v2" },
};

int main(int argc, char **argv)
{
	static struct out out;
	static struct session sess;
	static struct options opt; /* what it holds lives until exit */
	struct capture cap;
	struct capture_opts copt = { 0 };
	time_t last_sync;
	char names[CAPTURE_MAX_IFS * (IF_NAMESIZE + 2)] = "";
	size_t len;
	uid_t uid = 0;
	gid_t gid = 0;
	enum capture_link link;
	int err, status = EXIT_SUCCESS;

	options_parse(argc, argv, &opt);
	libbpf_set_print(opt.debug ? libbpf_print : libbpf_warnings);
	if (opt.rfile)
		return run_read(&opt);

	for (unsigned int i = 0; i < opt.nifs; i++) {
		static char byindex[CAPTURE_MAX_IFS][IF_NAMESIZE];
		unsigned long idx;

		/* a number from -D names an interface, unless one has that name */
		if (!if_nametoindex(opt.ifnames[i]) &&
		    sc_parse_ulong(opt.ifnames[i], 1, UINT_MAX, &idx) &&
		    if_indextoname(idx, byindex[i]))
			opt.ifnames[i] = byindex[i];
	}
	if (!opt.nifs) {
		opt.ifnames[opt.nifs++] = iface_default();
		if (!opt.ifnames[0]) {
			sc_err("no interface is up; name one with -i");
			return EXIT_FAILURE;
		}
	}
	/* before the expression, which is compiled for their link type (-d too) */
	if (capture_check_ifs(opt.ifnames, opt.nifs, &link))
		return EXIT_FAILURE;
	if (opt.expr) {
		/* before the privilege check: a bad expression is reported to anyone */
		if (filter_compile(&sess.filt, opt.expr, opt.ifnames[0], links[link].linktype,
				   opt.wfile ? opt.snaplen : MAX_SNAPLEN))
			return EXIT_FAILURE;
		if (opt.dflag)
			return dump_program(&sess.filt, opt.dflag);
	}
	if (privs_check())
		return EXIT_FAILURE;
	if (opt.user && privs_lookup_user(opt.user, &uid, &gid))
		return EXIT_FAILURE;

	setup_lines(&sess, &opt, &out);
	sess.printer.ifname = ifname_of;
	sess.printer.ifname_arg = &sess;
	sess.cap = &cap;
	sess.dump.fd = -1;

	copt.ifnames = opt.ifnames;
	copt.nifs = opt.nifs;
	copt.promisc = opt.promisc;
	copt.records = !opt.wfile || opt.print_lines;
	copt.direction = opt.direction;
	copt.match = sess.filt.insns;
	copt.match_len = sess.filt.len;
	/* without lines the record ring is never read: keep it at one page */
	copt.ring_bytes = copt.records ? opt.ring_bytes : ring_size(1);
	copt.on_record = on_record;
	if (opt.wfile) {
		copt.snaplen = opt.snaplen;
		copt.pkt_ring_bytes = opt.pkt_ring_bytes;
		copt.on_packet = on_packet;
	}
	copt.arg = &sess;
	if (capture_open(&cap, &copt))
		return EXIT_FAILURE;
	link = cap.link;
	err = opt.user ? privs_become(opt.user, uid, gid) : privs_drop();
	if (err) {
		capture_close(&cap);
		return EXIT_FAILURE;
	}

	catch_signals(true);
	/* a file size limit shows as EFBIG from write(2), not as a signal */
	signal(SIGXFSZ, SIG_IGN);

	sess.start_ns = realtime_ns();
	for (unsigned int i = 0; i < opt.nifs; i++) {
		len = strlen(names);
		snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "", opt.ifnames[i]);
	}
	if (opt.wfile) {
		/* files are created now, with the privileges the capture runs with */
		struct pf_iface ifc[CAPTURE_MAX_IFS];

		for (unsigned int i = 0; i < opt.nifs; i++) {
			ifc[i] = (struct pf_iface){
				.name = opt.ifnames[i],
				.linktype = links[link].linktype,
				.snaplen = opt.snaplen,
			};
		}
		opt.dump.stats = file_stats;
		opt.dump.arg = &sess;
		if (dump_start(&sess.dump, &opt.dump, ifc, opt.nifs)) {
			capture_close(&cap);
			return EXIT_FAILURE;
		}
		sess.dumping = true;
		fprintf(stderr,
			"sockcap: listening on %s, link-type %s (%s), snapshot length %u bytes\n",
			names, links[link].name, links[link].desc, opt.snaplen);
	} else {
		fprintf(stderr, "sockcap: listening on %s, summary mode\n", names);
	}

	last_sync = time(NULL);
	while (!stop_requested) {
		err = capture_poll(&cap, POLL_MS);
		if (err) {
			/* an interface that disappeared was named where it was found */
			if (err != -ENODEV)
				sc_err("reading packets: %s", strerror(-err));
			status = EXIT_FAILURE;
			break;
		}
		/* a file error was reported where it happened */
		if (sess.dumping && dump_failed(&sess.dump)) {
			status = EXIT_FAILURE;
			break;
		}
		out_flush(&out);
		if (out.err)
			break;
		/* the last file -G and -W allow is written: the line said so */
		if (sess.dumping && dump_full(&sess.dump))
			break;
		if (sess.dumping && dump_flush(&sess.dump)) {
			status = EXIT_FAILURE;
			break;
		}
		if (opt.count && (sess.dumping ? sess.written : sess.printed) >= opt.count)
			break;
		if (stats_requested) {
			stats_requested = 0;
			print_stats(&cap, &sess);
		}
		if (time(NULL) != last_sync) {
			last_sync = time(NULL);
			printer_sync_clock(&sess.printer);
		}
		/* -G: the period is over, packets or not (shortly after its end) */
		if (sess.dumping) {
			err = dump_tick(&sess.dump, realtime_ns());
			if (err < 0) {
				status = EXIT_FAILURE;
				break;
			}
			if (err > 0)
				break;
		}
	}

	capture_stop(&cap);
	drain(&cap, &sess);
	out_flush(&out);
	if (out.err && !out.broken) {
		sc_err("writing output: %s", strerror(-out.err));
		status = EXIT_FAILURE;
	}
	if (sess.dumping && dump_finish(&sess.dump))
		status = EXIT_FAILURE;
	print_stats(&cap, &sess);
	capture_close(&cap);
	return status;
}
