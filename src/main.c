// SPDX-License-Identifier: GPL-2.0-only
/* \summary: sockcap: options, the capture loop, output and statistics */
#include "config.h"

#include <errno.h>
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
#include "print.h"
#include "privs.h"
#include "util.h"

/* A quiet link still shows each packet within this many milliseconds. */
#define POLL_MS		 50
#define DEFAULT_RING_KIB (16 * 1024)

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stats_requested;

struct options {
	const char *ifname;
	unsigned long count; /* 0: no limit */
	bool promisc;
	bool line_buffered;
	bool debug;
	size_t ring_bytes;
	struct print_opts print;
};

/* Output goes through our own buffer and write(2): no stdio locking. */
struct out {
	int fd;
	bool line;   /* -l: flush after every line */
	bool broken; /* reader went away (EPIPE) */
	int err;     /* first write error, negative errno */
	size_t len;
	char buf[256 * 1024];
};

struct session {
	struct options *opt;
	struct printer printer;
	struct out *out;
	unsigned long long printed, not_shown;
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
	if (sizeof(o->buf) - o->len < SC_LINE_MAX)
		out_flush(o);
	o->len += sc_format(&s->printer, r, o->buf + o->len);
	s->printed++;
	if (o->line)
		out_flush(o);
	return 0;
}

/*
 * Once the socket is closed no new filter run starts, but one already
 * running on another CPU may still submit; read until every record the
 * kernel counted has been consumed, so the statistics add up exactly.
 */
static void drain(struct capture *c, struct session *s)
{
	struct sc_counters k;

	for (int tries = 0; tries < 100; tries++) {
		if (capture_poll(c, 0) || capture_counters(c, &k))
			return;
		if (k.recorded == s->printed + s->not_shown + c->bad_records)
			return;
		usleep(1000);
	}
}

static void print_stats(struct capture *c, struct session *s)
{
	struct sc_counters k;
	int err = capture_counters(c, &k);

	if (err) {
		sc_err("reading counters: %s", strerror(-err));
		return;
	}
	fprintf(stderr, "%llu packets captured\n", s->printed);
	fprintf(stderr, "%llu packets received by filter\n", (unsigned long long)k.seen);
	fprintf(stderr, "%llu packets dropped by kernel\n", (unsigned long long)k.lost);
	if (s->not_shown)
		fprintf(stderr, "%llu packets not shown (count reached)\n", s->not_shown);
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
		"Usage: sockcap [-elnpv] [-t...] [-B KiB] [-c count] [-i interface]\n"
		"\n"
		"  -i, --interface=IFACE   capture on IFACE (default: first up interface)\n"
		"  -c COUNT                stop after COUNT packets\n"
		"  -e                      print link-level (MAC) addresses and ethertype\n"
		"  -n                      do not resolve names (always the case)\n"
		"  -v                      print more IP header fields\n"
		"  -l                      line-buffered output\n"
		"  -t                      no timestamp; -tt epoch, -ttt delta,\n"
		"                          -tttt date and time, -ttttt since first\n"
		"  -p, --no-promiscuous-mode  do not put the interface in promiscuous mode\n"
		"  -B, --buffer-size=KiB   ring buffer size (default %d)\n"
		"      --debug             show libbpf and verifier messages\n"
		"  -h, --help              this help\n"
		"      --version           print the version\n",
		DEFAULT_RING_KIB);
}

static void bad_arg(const char *what, const char *arg)
{
	sc_err("invalid %s '%s'", what, arg);
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

enum { OPT_VERSION = 256, OPT_DEBUG };

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "buffer-size", required_argument, NULL, 'B' },
		{ "no-promiscuous-mode", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, tflag = 0;

	memset(o, 0, sizeof(*o));
	o->promisc = true;
	o->ring_bytes = ring_size(DEFAULT_RING_KIB);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":B:c:ehi:lnptv", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			if (!sc_parse_ulong(optarg, 1, 1024 * 1024, &v))
				bad_arg("buffer size (KiB, 1 to 1048576)", optarg);
			o->ring_bytes = ring_size(v);
			break;
		case 'c':
			if (!sc_parse_ulong(optarg, 1, ULONG_MAX, &v))
				bad_arg("packet count", optarg);
			o->count = v;
			break;
		case 'e':
			o->print.eflag = 1;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		case 'i':
			o->ifname = optarg;
			break;
		case 'l':
			o->line_buffered = true;
			break;
		case 'n':
			break;
		case 'p':
			o->promisc = false;
			break;
		case 't':
			tflag++;
			break;
		case 'v':
			o->print.vflag++;
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
	if (optind < argc) {
		sc_err("unexpected argument '%s' (filter expressions are not supported yet)",
		       argv[optind]);
		fprintf(stderr, "Try 'sockcap --help' for more information.\n");
		exit(EXIT_FAILURE);
	}
	if (tflag > TS_SINCE_FIRST)
		bad_arg("timestamp option", "-tttttt");
	o->print.ts = tflag;
}

int main(int argc, char **argv)
{
	static struct out out;
	struct options opt;
	struct session sess = { 0 };
	struct capture cap;
	struct capture_opts copt = { 0 };
	struct sigaction sa = { 0 };
	time_t last_sync;
	int err, status = EXIT_SUCCESS;

	parse_args(argc, argv, &opt);
	libbpf_set_print(opt.debug ? libbpf_print : libbpf_quiet);

	if (!opt.ifname) {
		opt.ifname = default_interface();
		if (!opt.ifname) {
			sc_err("no interface is up; name one with -i");
			return EXIT_FAILURE;
		}
	}
	if (privs_check())
		return EXIT_FAILURE;

	sess.opt = &opt;
	sess.out = &out;
	out.fd = STDOUT_FILENO;
	out.line = opt.line_buffered;
	printer_init(&sess.printer, &opt.print);
	sess.printer.ifname = ifname_of;
	sess.printer.ifname_arg = &sess;

	copt.ifname = opt.ifname;
	copt.promisc = opt.promisc;
	copt.ring_bytes = opt.ring_bytes;
	copt.on_record = on_record;
	copt.arg = &sess;
	if (capture_open(&cap, &copt))
		return EXIT_FAILURE;
	if (privs_drop()) {
		capture_close(&cap);
		return EXIT_FAILURE;
	}

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fprintf(stderr, "sockcap: listening on %s, summary mode\n", opt.ifname);
	last_sync = time(NULL);
	while (!stop_requested) {
		err = capture_poll(&cap, POLL_MS);
		if (err) {
			sc_err("reading ring buffer: %s", strerror(-err));
			status = EXIT_FAILURE;
			break;
		}
		out_flush(&out);
		if (out.err)
			break;
		if (opt.count && sess.printed >= opt.count)
			break;
		if (stats_requested) {
			stats_requested = 0;
			print_stats(&cap, &sess);
		}
		if (time(NULL) != last_sync) {
			last_sync = time(NULL);
			printer_sync_clock(&sess.printer);
		}
	}

	capture_stop(&cap);
	drain(&cap, &sess);
	out_flush(&out);
	if (out.err && !out.broken) {
		sc_err("writing output: %s", strerror(-out.err));
		status = EXIT_FAILURE;
	}
	print_stats(&cap, &sess);
	capture_close(&cap);
	return status;
}
