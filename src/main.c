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
#include "parse.h"
#include "pcapfile.h"
#include "print.h"
#include "privs.h"
#include "util.h"

/* A quiet link still shows each packet within this many milliseconds. */
#define POLL_MS		 50
#define DEFAULT_RING_KIB (16 * 1024)
/*
 * The packet ring of -w, unless -B says otherwise: libpcap's default
 * buffer. The kernel writes every packet into it, and a ring that stays in
 * the processor's caches costs less per packet than a larger one.
 */
#define DEFAULT_PKT_RING_KIB 2048
/* tcpdump's default and largest snap length */
#define MAX_SNAPLEN 262144

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stats_requested;

struct options {
	const char *ifnames[CAPTURE_MAX_IFS];
	unsigned int nifs;
	unsigned long count; /* 0: no limit */
	bool promisc;
	bool line_buffered;
	bool debug;
	bool print_lines; /* --print: summary lines while writing a file */
	size_t ring_bytes;
	size_t pkt_ring_bytes; /* -w */
	struct print_opts print;
	const char *wfile, *rfile, *user;
	uint32_t snaplen;
	int format; /* enum pf_format, or -1: from the file name */
	bool nano;
	struct dump_opts dump;
	enum sc_direction direction;
	char *expr; /* filter expression (arguments or -F), NULL: none */
	int dflag;  /* -d: classic BPF; -dd, --dump-ebpf: the eBPF that runs it */
};

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
	s->printed++;
	if (sizeof(o->buf) - o->len < SC_LINE_MAX)
		out_flush(o);
	/* the output is closed or failed: the rest is counted, not formatted */
	if (o->err) {
		o->unsent++;
		return 0;
	}
	o->len += sc_format(&s->printer, r, o->buf + o->len);
	o->lines++;
	if (o->line)
		out_flush(o);
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

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcap [-elnpv] [-t...] [-B KiB] [-c count] [-i interface] [-Q dir]\n"
		"               [-w file [-C size] [-G seconds] [-W count] [--print]]\n"
		"               [-s snaplen] [-r file] [-Z user] [-F file | expression]\n"
		"\n"
		"  -i, --interface=IFACE   capture on IFACE (default: first up interface);\n"
		"                          several -i for several, -i any for every one\n"
		"  -c COUNT                stop after COUNT packets\n"
		"  -e                      print link-level (MAC) addresses and ethertype\n"
		"  -n                      do not resolve names (always the case)\n"
		"  -S                      absolute TCP sequence numbers (always the case)\n"
		"  -v                      print more IP header fields\n"
		"  -l                      line-buffered output\n"
		"  -t                      no timestamp; -tt epoch, -ttt delta,\n"
		"                          -tttt date and time, -ttttt since first\n"
		"  -p, --no-promiscuous-mode  do not put the interface in promiscuous mode\n"
		"  -Q, --direction=in|out|inout  packets received, sent, or both (default)\n"
		"  -D, --list-interfaces   list the interfaces and exit\n"
		"  expression              a tcpdump (pcap-filter) expression, run in the\n"
		"                          kernel before anything is recorded\n"
		"  -F FILE                 read the expression from FILE\n"
		"  -d                      print the expression's classic BPF and exit\n"
		"  -dd, --dump-ebpf        print the eBPF it is translated to and exit\n"
		"  -B, --buffer-size=KiB   ring buffer size (default %d; with -w, the\n"
		"                          packet ring's too, default %d)\n"
		"  -w FILE                 write packets to FILE (pcap; pcapng if it ends\n"
		"                          in .pcapng); - for standard output\n"
		"  -s, --snapshot-length=N bytes of each packet to write (default %d)\n"
		"      --format=pcap|pcapng  file format, whatever the name\n"
		"      --nano              nanosecond timestamps in pcap files\n"
		"      --micro             microsecond timestamps in pcap files (default)\n"
		"      --print             with -w: print the summary lines as well\n"
		"  -C SIZE                 with -w: a new file once one exceeds SIZE\n"
		"                          million bytes\n"
		"  -G SECONDS              with -w: a new file every SECONDS (FILE is\n"
		"                          a strftime pattern)\n"
		"  -W COUNT                with -C: keep COUNT files, overwriting the\n"
		"                          oldest; with -G: stop after COUNT files\n"
		"  -r FILE                 read packets from a pcap or pcapng FILE\n"
		"                          (- for standard input) instead of capturing\n"
		"  -Z, --relinquish-privileges=USER  run as USER after setup\n"
		"      --debug             show libbpf and verifier messages\n"
		"  -h, --help              this help\n"
		"      --version           print the version\n",
		DEFAULT_RING_KIB, DEFAULT_PKT_RING_KIB, MAX_SNAPLEN);
}

static void bad_arg(const char *what, const char *arg)
{
	sc_err("invalid %s '%s'", what, arg);
	fprintf(stderr, "Try 'sockcap --help' for more information.\n");
	exit(EXIT_FAILURE);
}

static void bad_usage(const char *msg)
{
	sc_err("%s", msg);
	fprintf(stderr, "Try 'sockcap --help' for more information.\n");
	exit(EXIT_FAILURE);
}

/* Ring size in bytes: a power of two, at least one page. */
static size_t ring_size(unsigned long kib)
{
	size_t want = (size_t)kib * 1024, sz = (size_t)sysconf(_SC_PAGESIZE);

	while (sz < want)
		sz <<= 1;
	return sz;
}

/* The first interface that is up, running and not loopback, as tcpdump picks. */
static const char *default_interface(void)
{
	static char name[IF_NAMESIZE];
	struct if_nameindex *all = if_nameindex(), *i;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	name[0] = 0;
	for (i = all; fd >= 0 && i && i->if_index; i++) {
		struct ifreq ifr = { 0 };

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 &&
		    (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING) &&
		    !(ifr.ifr_flags & IFF_LOOPBACK)) {
			snprintf(name, sizeof(name), "%s", i->if_name);
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	if_freenameindex(all);
	return name[0] ? name : NULL;
}

enum {
	OPT_VERSION = 256,
	OPT_DEBUG,
	OPT_FORMAT,
	OPT_NANO,
	OPT_MICRO,
	OPT_PRINT,
	OPT_DUMP_EBPF,
};

/* -D: every interface with its index, name, state and flags, as tcpdump -D. */
static int list_interfaces(void)
{
	static const struct {
		short flag;
		const char *name;
	} flags[] = {
		{ IFF_UP, "Up" },
		{ IFF_RUNNING, "Running" },
		{ IFF_LOOPBACK, "Loopback" },
		{ IFF_POINTOPOINT, "Point-to-point" },
		{ IFF_PROMISC, "Promiscuous" },
		{ IFF_NOARP, "No ARP" },
	};
	struct if_nameindex *all = if_nameindex();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (!all || fd < 0) {
		sc_err("listing interfaces: %s", strerror(errno));
		if (all)
			if_freenameindex(all);
		return EXIT_FAILURE;
	}
	for (struct if_nameindex *i = all; i->if_index; i++) {
		struct ifreq ifr = { 0 };
		const char *sep = "";

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		printf("%u.%s [", i->if_index, i->if_name);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
			for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
				if (ifr.ifr_flags & flags[f].flag) {
					printf("%s%s", sep, flags[f].name);
					sep = ", ";
				}
			}
			if (!(ifr.ifr_flags & IFF_UP))
				printf("%sDown", sep);
		}
		printf("]\n");
	}
	printf("%s (every interface) [Up, Running]\n", CAPTURE_ANY);
	close(fd);
	if_freenameindex(all);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "buffer-size", required_argument, NULL, 'B' },
		{ "no-promiscuous-mode", no_argument, NULL, 'p' },
		{ "snapshot-length", required_argument, NULL, 's' },
		{ "relinquish-privileges", required_argument, NULL, 'Z' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "nano", no_argument, NULL, OPT_NANO },
		{ "micro", no_argument, NULL, OPT_MICRO },
		{ "print", no_argument, NULL, OPT_PRINT },
		{ "direction", required_argument, NULL, 'Q' },
		{ "list-interfaces", no_argument, NULL, 'D' },
		{ "dump-ebpf", no_argument, NULL, OPT_DUMP_EBPF },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, tflag = 0;
	bool wflag_set = false;
	const char *ffile = NULL;

	memset(o, 0, sizeof(*o));
	o->promisc = true;
	o->ring_bytes = ring_size(DEFAULT_RING_KIB);
	o->pkt_ring_bytes = ring_size(DEFAULT_PKT_RING_KIB);
	o->snaplen = MAX_SNAPLEN;
	o->format = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":B:c:C:dDeF:G:hi:lnpQ:r:s:Stvw:W:Z:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'B':
			if (!sc_parse_ulong(optarg, 1, 1024 * 1024, &v))
				bad_arg("buffer size (KiB, 1 to 1048576)", optarg);
			o->ring_bytes = o->pkt_ring_bytes = ring_size(v);
			break;
		case 'c':
			if (!sc_parse_ulong(optarg, 1, ULONG_MAX, &v))
				bad_arg("packet count", optarg);
			o->count = v;
			break;
		case 'C':
			/* million bytes, as tcpdump; at most what fits in 64 bits */
			if (!sc_parse_ulong(optarg, 1, 1000000000000ul, &v))
				bad_arg("file size (million bytes, 1 to 1000000000000)", optarg);
			o->dump.rotate_bytes = (uint64_t)v * 1000000;
			break;
		case 'd':
			o->dflag++;
			break;
		case 'D':
			exit(list_interfaces());
		case 'F':
			ffile = optarg;
			break;
		case 'e':
			o->print.eflag = 1;
			break;
		case 'G':
			if (!sc_parse_ulong(optarg, 1, INT_MAX, &v))
				bad_arg("rotation interval (seconds, 1 to 2147483647)", optarg);
			o->dump.rotate_secs = v;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		case 'i':
			if (o->nifs == CAPTURE_MAX_IFS)
				bad_arg("interface (at most 16 -i options)", optarg);
			o->ifnames[o->nifs++] = optarg;
			break;
		case 'l':
			o->line_buffered = true;
			break;
		case 'n':
		case 'S':
			break;
		case 'p':
			o->promisc = false;
			break;
		case 'Q':
			if (!strcmp(optarg, "in"))
				o->direction = SC_DIR_IN;
			else if (!strcmp(optarg, "out"))
				o->direction = SC_DIR_OUT;
			else if (!strcmp(optarg, "inout"))
				o->direction = SC_DIR_INOUT;
			else
				bad_arg("direction (in, out or inout)", optarg);
			break;
		case 'r':
			o->rfile = optarg;
			break;
		case 's':
			/* 0 means the largest, as in tcpdump */
			if (!sc_parse_ulong(optarg, 0, MAX_SNAPLEN, &v))
				bad_arg("snap length (0 to 262144)", optarg);
			o->snaplen = v ? v : MAX_SNAPLEN;
			break;
		case 't':
			tflag++;
			break;
		case 'v':
			o->print.vflag++;
			break;
		case 'w':
			o->wfile = optarg;
			break;
		case 'W':
			if (!sc_parse_ulong(optarg, 1, INT_MAX, &v))
				bad_arg("file count (1 to 2147483647)", optarg);
			o->dump.max_files = v;
			wflag_set = true;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "pcap"))
				o->format = PF_PCAP;
			else if (!strcmp(optarg, "pcapng"))
				o->format = PF_PCAPNG;
			else
				bad_arg("file format (pcap or pcapng)", optarg);
			break;
		case OPT_NANO:
			o->nano = true;
			break;
		case OPT_MICRO:
			o->nano = false;
			break;
		case OPT_PRINT:
			o->print_lines = true;
			break;
		case OPT_DUMP_EBPF:
			o->dflag = 2;
			break;
		case OPT_VERSION:
			printf("sockcap %s\n", PACKAGE_VERSION);
			exit(EXIT_SUCCESS);
		case OPT_DEBUG:
			o->debug = true;
			break;
		case ':':
			sc_err("option '%s' needs an argument", argv[optind - 1]);
			fprintf(stderr, "Try 'sockcap --help' for more information.\n");
			exit(EXIT_FAILURE);
		default:
			/* for a long option optopt holds its code, not a letter */
			if (!strncmp(argv[optind - 1], "--", 2))
				sc_err("unknown option, or one that takes no argument: '%s'",
				       argv[optind - 1]);
			else
				sc_err("unknown option '-%c'", optopt);
			fprintf(stderr, "Try 'sockcap --help' for more information.\n");
			exit(EXIT_FAILURE);
		}
	}
	if (ffile && optind < argc)
		bad_usage("a filter expression comes either from -F or from the command line");
	o->expr = ffile ? filter_read_file(ffile) : filter_join(argv + optind, argc - optind);
	if (ffile && !o->expr)
		exit(EXIT_FAILURE);
	if (o->expr && !o->expr[strspn(o->expr, " \t\r\n")]) {
		free(o->expr); /* empty: everything, as for tcpdump */
		o->expr = NULL;
	}
	if (o->dflag && !o->expr)
		o->expr = strdup(""); /* -d shows the program that accepts everything */
	if (tflag > TS_SINCE_FIRST)
		bad_arg("timestamp option", "-tttttt");
	o->print.ts = tflag;

	if (!o->wfile && (o->dump.rotate_bytes || o->dump.rotate_secs || wflag_set ||
			  o->print_lines || o->format >= 0 || o->nano))
		bad_usage("-C, -G, -W, --print, --format and --nano need -w");
	if (wflag_set && !o->dump.rotate_bytes && !o->dump.rotate_secs)
		bad_usage("-W needs -C or -G");
	if (o->wfile) {
		o->dump.path = o->wfile;
		o->dump.fmt =
			o->format >= 0 ? (enum pf_format)o->format : dump_format_for(o->wfile);
		if (o->dump.fmt == PF_PCAP && o->nano)
			o->dump.fmt = PF_PCAP_NS;
	}
	if (o->nifs > 1 && o->wfile && o->dump.fmt != PF_PCAPNG)
		bad_usage("a pcap file holds one interface; use a .pcapng name or --format pcapng "
			  "with several -i");
	if (o->rfile && o->nifs)
		bad_usage("-r reads a file; it cannot be combined with -i");
	if (o->rfile && o->direction != SC_DIR_INOUT)
		bad_usage("-Q chooses the direction of a live capture; it cannot be combined with "
			  "-r");
	if (o->rfile && o->dump.rotate_secs)
		bad_usage("-G rotates files of a live capture; it cannot be combined with -r");
	if (o->wfile && !strcmp(o->wfile, "-") && (o->dump.rotate_bytes || o->dump.rotate_secs))
		bad_usage("-C and -G need a file name, not standard output");
	if (o->wfile && !o->wfile[0])
		bad_usage("-w needs a file name");
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

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const char *file_ifname(uint32_t ifindex, void *arg)
{
	static char buf[4 * sizeof(((struct pf_reader *)0)->ifs[0].name) + 1];
	struct pf_reader *r = arg;
	const unsigned char *n;
	char *o = buf;

	/* records carry the file's interface number plus one */
	if (ifindex == 0 || ifindex > r->nifs || !r->ifs[ifindex - 1].name[0])
		return NULL;
	/* the file's words: control characters and spaces are shown as \xHH */
	for (n = (const unsigned char *)r->ifs[ifindex - 1].name; *n; n++) {
		if (*n > ' ' && *n < 0x7f)
			*o++ = (char)*n;
		else
			o += sprintf(o, "\\x%02x", *n);
	}
	*o = '\0';
	return buf;
}

static void print_file_packet(struct session *s, const struct pf_packet *p)
{
	struct pf_reader *rd = s->reader;
	struct out *o = s->out;
	struct sc_record r;
	unsigned int lt = rd->ifs[p->iface].linktype;

	memset(&r, 0, sizeof(r));
	r.ts_ns = p->ts_ns;
	r.ifindex = p->iface + 1;
	r.pkttype = pf_pkttype_from_flags(p->flags);
	if (sizeof(o->buf) - o->len < SC_LINE_MAX)
		out_flush(o);
	if (lt == PF_LINKTYPE_ETHERNET) {
		sc_parse_frame(p->data, p->caplen, p->len, &r);
		o->len += sc_format(&s->printer, &r, o->buf + o->len);
	} else if (lt == PF_LINKTYPE_RAW) {
		uint8_t v = p->caplen ? p->data[0] >> 4 : 0;

		sc_parse_packet_net(p->data, p->caplen, p->len,
				    v == 4 ? 0x0800 : v == 6 ? 0x86dd : 0, &r);
		o->len += sc_format(&s->printer, &r, o->buf + o->len);
	} else if (lt == PF_LINKTYPE_LINUX_SLL2 && p->caplen >= 20) {
		struct printer pr = s->printer;

		/* the interface index of the machine that wrote it: named here */
		pr.ifname = ifname_of;
		pr.ifname_arg = s;
		r.ifindex = get_be32(p->data + 4);
		r.pkttype = p->data[10];
		sc_parse_packet_net(p->data + 20, p->caplen - 20, p->len - 20,
				    get_be16(p->data), &r);
		o->len += sc_format(&pr, &r, o->buf + o->len);
	} else if (lt == PF_LINKTYPE_LINUX_SLL && p->caplen >= 16) {
		r.pkttype = get_be16(p->data) < 0x100 ? get_be16(p->data) : SC_PKTTYPE_UNKNOWN;
		sc_parse_packet_net(p->data + 16, p->caplen - 16, p->len - 16,
				    get_be16(p->data + 14), &r);
		o->len += sc_format(&s->printer, &r, o->buf + o->len);
	} else {
		r.wire_len = p->len;
		o->len += sc_format_linktype(&s->printer, &r, lt, o->buf + o->len);
	}
	s->printed++;
	o->lines++;
	if (o->line)
		out_flush(o);
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
	struct options opt;
	struct capture cap;
	struct capture_opts copt = { 0 };
	time_t last_sync;
	char names[CAPTURE_MAX_IFS * (IF_NAMESIZE + 2)] = "";
	size_t len;
	uid_t uid = 0;
	gid_t gid = 0;
	enum capture_link link;
	int err, status = EXIT_SUCCESS;

	parse_args(argc, argv, &opt);
	libbpf_set_print(opt.debug ? libbpf_print : libbpf_quiet);
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
		opt.ifnames[opt.nifs++] = default_interface();
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
		fprintf(stderr, "sockcap: listening on %s, link-type %s (%s), snapshot length %u bytes\n",
			names, links[link].name, links[link].desc, opt.snaplen);
	} else {
		fprintf(stderr, "sockcap: listening on %s, summary mode\n", names);
	}

	last_sync = time(NULL);
	while (!stop_requested) {
		err = capture_poll(&cap, POLL_MS);
		if (err) {
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
