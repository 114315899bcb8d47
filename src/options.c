// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the command line: one table for getopt_long and --help
 *
 * Each option is one row of opts[]: getopt_long's short and long options
 * and the --help text are made from it, and tests/cli_help.sh checks that
 * the man page documents every row. Letters mean what they mean to tcpdump.
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "iface.h"
#include "metrics.h"
#include "options.h"
#include "pcapfile.h"
#include "util.h"

enum {
	OPT_VERSION = 256,
	OPT_DEBUG,
	OPT_FORMAT,
	OPT_NANO,
	OPT_MICRO,
	OPT_PRINT,
	OPT_DUMP_EBPF,
	OPT_NO_PROCESS,
	OPT_PID,
	OPT_UID,
	OPT_COMM,
	OPT_CGROUP,
	OPT_METRICS,
	OPT_JSON,
	OPT_FLOWS,
	OPT_FLOW_TABLE,
};

struct opt {
	int code;	  /* the letter, or OPT_*; 0: not an option */
	const char *name; /* the long name, or NULL */
	int has_arg;	  /* no_argument, required_argument */
	const char *left; /* how --help shows it */
	const char *help; /* its lines, separated by '\n' */
};

static const struct opt opts[] = {
	{ 'i', "interface", required_argument, "-i, --interface=IFACE",
	  "capture on IFACE (default: first up interface);\n"
	  "several -i for several, -i any for every one" },
	{ 'c', NULL, required_argument, "-c COUNT", "stop after COUNT packets" },
	{ 'e', NULL, no_argument, "-e", "print link-level (MAC) addresses and ethertype" },
	{ 'n', NULL, no_argument, "-n", "do not resolve names (always the case)" },
	{ 'S', NULL, no_argument, "-S", "absolute TCP sequence numbers (always the case)" },
	{ 'v', NULL, no_argument, "-v", "print more IP header fields" },
	{ 'l', NULL, no_argument, "-l", "line-buffered output" },
	{ 't', NULL, no_argument, "-t",
	  "no timestamp; -tt epoch, -ttt delta,\n-tttt date and time, -ttttt since first" },
	{ OPT_JSON, "json", no_argument, "    --json",
	  "a JSON object per packet (with --flows, per\nflow), one a line (JSON Lines), instead "
	  "of\nthe summary line or the flow tables" },
	{ 'p', "no-promiscuous-mode", no_argument, "-p, --no-promiscuous-mode",
	  "do not put the interface in promiscuous mode" },
	{ 'Q', "direction", required_argument, "-Q, --direction=in|out|inout",
	  "packets received, sent, or both (default)" },
	{ 'D', "list-interfaces", no_argument, "-D, --list-interfaces",
	  "list the interfaces and exit" },
	{ 0, NULL, 0, "expression",
	  "a tcpdump (pcap-filter) expression, run in the\nkernel before anything is recorded" },
	{ 'F', NULL, required_argument, "-F FILE", "read the expression from FILE" },
	{ 'd', NULL, no_argument, "-d", "print the expression's classic BPF and exit" },
	{ OPT_DUMP_EBPF, "dump-ebpf", no_argument, "-dd, --dump-ebpf",
	  "print the eBPF it is translated to and exit" },
	{ 'B', "buffer-size", required_argument, "-B, --buffer-size=KiB",
	  "ring buffer size (default " STR(DEFAULT_RING_KIB) "; with -w, the\n"
							     "packet ring's too, default " STR(
								     DEFAULT_PKT_RING_KIB) ")" },
	{ 'w', NULL, required_argument, "-w FILE",
	  "write packets to FILE (pcap; pcapng if it ends\nin .pcapng); - for standard output" },
	{ 's', "snapshot-length", required_argument, "-s, --snapshot-length=N",
	  "bytes of each packet to write (default " STR(MAX_SNAPLEN) ")" },
	{ OPT_FORMAT, "format", required_argument, "    --format=pcap|pcapng",
	  "file format, whatever the name" },
	{ OPT_NANO, "nano", no_argument, "    --nano", "nanosecond timestamps in pcap files" },
	{ OPT_MICRO, "micro", no_argument, "    --micro",
	  "microsecond timestamps in pcap files (default)" },
	{ OPT_PRINT, "print", no_argument, "    --print",
	  "with -w or --flows: print the summary lines as\nwell" },
	{ 'C', NULL, required_argument, "-C SIZE",
	  "with -w: a new file once one exceeds SIZE\nmillion bytes" },
	{ 'G', NULL, required_argument, "-G SECONDS",
	  "with -w: a new file every SECONDS (FILE is\na strftime pattern)" },
	{ 'W', NULL, required_argument, "-W COUNT",
	  "with -C: keep COUNT files, overwriting the\noldest; with -G: stop after COUNT files" },
	{ 'r', NULL, required_argument, "-r FILE",
	  "read packets from a pcap or pcapng FILE\n(- for standard input) instead of capturing" },
	{ OPT_NO_PROCESS, "no-process", no_argument, "    --no-process",
	  "do not name the process that owns each packet" },
	{ OPT_PID, "pid", required_argument, "    --pid=PID",
	  "only packets of process PID (repeatable; in the\nkernel, like those below)" },
	{ OPT_COMM, "comm", required_argument, "    --comm=NAME",
	  "only packets of processes named NAME (repeatable)" },
	{ OPT_UID, "uid", required_argument, "    --uid=USER",
	  "only packets of processes of USER, a name or\nnumber (repeatable)" },
	{ OPT_CGROUP, "cgroup", required_argument, "    --cgroup=PATH",
	  "only packets of processes in cgroup PATH or\nbelow it (repeatable)" },
	{ OPT_METRICS, "metrics", required_argument, "    --metrics=ADDR:PORT",
	  "serve the counters for Prometheus at\nhttp://ADDR:PORT/metrics ([ADDR]:PORT for IPv6)" },
	{ OPT_FLOWS, "flows", optional_argument, "    --flows[=SECONDS]",
	  "count packets and bytes per connection in the\nkernel; a table of the busiest every "
	  "SECONDS,\n"
	  "of every flow at exit (no lines unless --print)" },
	{ OPT_FLOW_TABLE, "flow-table", required_argument, "    --flow-table=N",
	  "with --flows: room for N flows (default " STR(SC_FLOWS_DEFAULT) ")" },
	{ 'Z', "relinquish-privileges", required_argument, "-Z, --relinquish-privileges=USER",
	  "run as USER after setup" },
	{ OPT_DEBUG, "debug", no_argument, "    --debug", "show libbpf and verifier messages" },
	{ 'h', "help", no_argument, "-h, --help", "this help" },
	{ OPT_VERSION, "version", no_argument, "    --version", "print the version" },
	/* Wireshark's calls, --extcap-*, are answered by src/extcap.c */
	{ 0, NULL, 0, "    --extcap-interfaces",
	  "list the interfaces for Wireshark, which runs\nsockcap as an extcap program (see "
	  "WIRESHARK\nin sockcap(8))" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))
/* --help: where the text column starts, after two spaces of indent */
#define HELP_LEFT 24

void options_usage(FILE *f)
{
	fputs("Usage: sockcap [-elnpv] [-t...] [-B KiB] [-c count] [-i interface] [-Q dir]\n"
	      "               [-w file [-C size] [-G seconds] [-W count] [--print]]\n"
	      "               [--json] [-s snaplen] [-r file] [-Z user] [--no-process]\n"
	      "               [--pid pid] [--comm name] [--uid user] [--cgroup path]\n"
	      "               [--flows[=seconds] [--flow-table n]]\n"
	      "               [-F file | expression]\n"
	      "\n",
	      f);
	for (size_t i = 0; i < NOPTS; i++) {
		const char *h = opts[i].help;
		int w = (int)strlen(opts[i].left);

		/* a long left column is followed by two spaces, not padded */
		fprintf(f, "  %s%*s", opts[i].left, w < HELP_LEFT ? HELP_LEFT - w : 2, "");
		for (;;) {
			size_t n = strcspn(h, "\n");

			fprintf(f, "%.*s\n", (int)n, h);
			if (!h[n])
				break;
			h += n + 1;
			fprintf(f, "%*s", HELP_LEFT + 2, "");
		}
	}
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

size_t ring_size(unsigned long kib)
{
	size_t want = (size_t)kib * 1024, sz = (size_t)sysconf(_SC_PAGESIZE);

	while (sz < want)
		sz <<= 1;
	return sz;
}

/* getopt_long's short option string and long options, from the table. */
static void getopt_tables(char *shorts, struct option *longs)
{
	char *s = shorts;

	*s++ = ':'; /* a missing argument is ':', told apart from unknown */
	for (size_t i = 0; i < NOPTS; i++) {
		if (opts[i].code > 0 && opts[i].code < 256) {
			*s++ = (char)opts[i].code;
			if (opts[i].has_arg == required_argument)
				*s++ = ':';
		}
		if (opts[i].name)
			*longs++ = (struct option){ opts[i].name, opts[i].has_arg, NULL,
						    opts[i].code };
	}
	*s = '\0';
	*longs = (struct option){ NULL, 0, NULL, 0 };
}

/* The options that take a number: false for any other. */
static bool set_number(struct options *o, int c, const char *arg, bool *wflag_set)
{
	unsigned long v;

	switch (c) {
	case 'B':
		if (!sc_parse_ulong(arg, 1, MAX_BUFFER_KIB, &v))
			bad_arg("buffer size (KiB, 1 to " STR(MAX_BUFFER_KIB) ")", arg);
		o->ring_bytes = o->pkt_ring_bytes = ring_size(v);
		break;
	case 'c':
		if (!sc_parse_ulong(arg, 1, ULONG_MAX, &v))
			bad_arg("packet count", arg);
		o->count = v;
		break;
	case 'C':
		/* million bytes, as tcpdump; at most what fits in 64 bits */
		if (!sc_parse_ulong(arg, 1, 1000000000000ul, &v))
			bad_arg("file size (million bytes, 1 to 1000000000000)", arg);
		o->dump.rotate_bytes = (uint64_t)v * 1000000;
		break;
	case 'G':
		if (!sc_parse_ulong(arg, 1, INT_MAX, &v))
			bad_arg("rotation interval (seconds, 1 to 2147483647)", arg);
		o->dump.rotate_secs = v;
		break;
	case 's':
		/* 0 means the largest, as in tcpdump */
		if (!sc_parse_ulong(arg, 0, MAX_SNAPLEN, &v))
			bad_arg("snap length (0 to 262144)", arg);
		o->snaplen = v ? v : MAX_SNAPLEN;
		break;
	case OPT_FLOWS:
		/* --flows alone: the final table only */
		if (arg && !sc_parse_ulong(arg, 1, 86400, &v))
			bad_arg("flow table interval (seconds, 1 to 86400)", arg);
		o->flows = true;
		o->flow_interval = arg ? (unsigned int)v : 0;
		break;
	case OPT_FLOW_TABLE:
		if (!sc_parse_ulong(arg, SC_FLOWS_MIN, SC_FLOWS_MAX, &v))
			bad_arg("flow table size (" STR(SC_FLOWS_MIN) " to " STR(SC_FLOWS_MAX) ")",
				arg);
		o->flow_table = (uint32_t)v;
		break;
	case 'W':
		if (!sc_parse_ulong(arg, 1, INT_MAX, &v))
			bad_arg("file count (1 to 2147483647)", arg);
		o->dump.max_files = v;
		*wflag_set = true;
		break;
	default:
		return false;
	}
	return true;
}

/* --pid, --uid, --comm, --cgroup: a value added to its set. */
static bool set_proc(struct options *o, int c, const char *arg)
{
	struct capture_procs *p = &o->procs;
	unsigned long v;
	struct passwd *pw;

	switch (c) {
	case OPT_PID:
		/* the kernel's largest pid_max */
		if (!sc_parse_ulong(arg, 1, 4194304, &v))
			bad_arg("process id", arg);
		if (p->npids == SC_WANT_MAX)
			bad_arg("process id (at most " STR(SC_WANT_MAX) " --pid)", arg);
		o->pids[p->npids++] = (uint32_t)v;
		p->match |= SC_PM_PID;
		break;
	case OPT_UID:
		if (!sc_parse_ulong(arg, 0, UINT32_MAX - 1, &v)) {
			pw = getpwnam(arg);
			if (!pw)
				bad_arg("user (no such user or uid)", arg);
			v = pw->pw_uid;
		}
		if (p->nuids == SC_WANT_MAX)
			bad_arg("user (at most " STR(SC_WANT_MAX) " --uid)", arg);
		o->uids[p->nuids++] = (uint32_t)v;
		p->match |= SC_PM_UID;
		break;
	case OPT_COMM:
		/* the kernel keeps 15 bytes of a name: compared as it keeps them */
		if (!arg[0])
			bad_arg("process name", arg);
		if (p->ncomms == SC_WANT_MAX)
			bad_arg("process name (at most " STR(SC_WANT_MAX) " --comm)", arg);
		strncpy(o->comms[p->ncomms++], arg, 15);
		p->match |= SC_PM_COMM;
		break;
	case OPT_CGROUP:
		if (!arg[0])
			bad_arg("cgroup", arg);
		if (o->ncgroup_paths == SC_WANT_MAX)
			bad_arg("cgroup (at most " STR(SC_WANT_MAX) " --cgroup)", arg);
		o->cgroup_paths[o->ncgroup_paths++] = arg;
		p->match |= SC_PM_CGROUP;
		break;
	default:
		return false;
	}
	return true;
}

/* -w and the options of the file it writes: false for any other. */
static bool set_file(struct options *o, int c, const char *arg)
{
	switch (c) {
	case 'w':
		o->wfile = arg;
		break;
	case OPT_FORMAT:
		if (!strcmp(arg, "pcap"))
			o->format = PF_PCAP;
		else if (!strcmp(arg, "pcapng"))
			o->format = PF_PCAPNG;
		else
			bad_arg("file format (pcap or pcapng)", arg);
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
	default:
		return false;
	}
	return true;
}

/* What one option sets; the checks across options come after. */
static void set_option(struct options *o, int c, const char *arg, int *tflag, bool *wflag_set,
		       const char **ffile)
{
	if (set_number(o, c, arg, wflag_set) || set_proc(o, c, arg) || set_file(o, c, arg))
		return;
	switch (c) {
	case 'd':
		o->dflag++;
		break;
	case 'D':
		o->list_ifs = true;
		break;
	case 'F':
		*ffile = arg;
		break;
	case 'e':
		o->print.eflag = 1;
		break;
	case 'h':
		options_usage(stdout);
		exit(EXIT_SUCCESS);
	case 'i':
		if (o->nifs == CAPTURE_MAX_IFS)
			bad_arg("interface (at most 16 -i options)", arg);
		o->ifnames[o->nifs++] = arg;
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
		if (!strcmp(arg, "in"))
			o->direction = SC_DIR_IN;
		else if (!strcmp(arg, "out"))
			o->direction = SC_DIR_OUT;
		else if (!strcmp(arg, "inout"))
			o->direction = SC_DIR_INOUT;
		else
			bad_arg("direction (in, out or inout)", arg);
		break;
	case 'r':
		o->rfile = arg;
		break;
	case 't':
		(*tflag)++;
		break;
	case 'v':
		o->print.vflag++;
		break;
	case 'Z':
		o->user = arg;
		break;
	case OPT_DUMP_EBPF:
		o->dflag = 2;
		break;
	case OPT_NO_PROCESS:
		o->no_process = true;
		break;
	case OPT_METRICS: {
		struct sockaddr_storage ss;
		socklen_t len;

		if (metrics_parse_addr(arg, &ss, &len))
			bad_arg("metrics address (ADDR:PORT, or [ADDR]:PORT for IPv6)", arg);
		o->metrics = arg;
		break;
	}
	case OPT_JSON:
		o->print.json = 1;
		break;
	case OPT_VERSION:
		printf("sockcap %s\n", PACKAGE_VERSION);
		exit(EXIT_SUCCESS);
	case OPT_DEBUG:
		o->debug = true;
		break;
	}
}

/* Options that need, or exclude, others; the file format. */
static void check_combinations(struct options *o, bool wflag_set)
{
	if (!o->wfile &&
	    (o->dump.rotate_bytes || o->dump.rotate_secs || wflag_set || o->format >= 0 || o->nano))
		bad_usage("-C, -G, -W, --format and --nano need -w");
	if (o->print_lines && !o->wfile && !o->flows)
		bad_usage("--print needs -w or --flows");
	if (o->flow_table && !o->flows)
		bad_usage("--flow-table needs --flows");
	if (o->flows && o->wfile && !strcmp(o->wfile, "-"))
		bad_usage("--flows prints its tables on standard output, where -w - writes the "
			  "file");
	if (o->rfile && o->flows)
		bad_usage("--flows counts a live capture's connections; it cannot be combined with "
			  "-r");
	if (!o->flow_table)
		o->flow_table = SC_FLOWS_DEFAULT;
	/* with -w the file is the output: JSON is what --print would print */
	if (o->print.json && o->wfile && !o->print_lines)
		bad_usage("--json formats the printed packets; with -w, add --print to print them");
	if (o->print.json && (o->print.ts != TS_TIME || o->print.vflag))
		bad_usage("-t and -v shape the summary line; --json has a time in RFC 3339 UTC "
			  "and every field");
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
	if (o->rfile && o->metrics)
		bad_usage("--metrics serves a live capture's counters; it cannot be combined with "
			  "-r");
	if (o->rfile && o->dump.rotate_secs)
		bad_usage("-G rotates files of a live capture; it cannot be combined with -r");
	if (o->wfile && !strcmp(o->wfile, "-") && (o->dump.rotate_bytes || o->dump.rotate_secs))
		bad_usage("-C and -G need a file name, not standard output");
	if (o->wfile && !o->wfile[0])
		bad_usage("-w needs a file name");
	if (o->procs.match && o->no_process)
		bad_usage("--pid, --uid, --comm and --cgroup need process attribution; "
			  "--no-process turns it off");
	if (o->procs.match && o->rfile)
		bad_usage("--pid, --uid, --comm and --cgroup choose packets of a live capture; "
			  "they cannot be combined with -r");
	o->procs.pids = o->pids;
	o->procs.uids = o->uids;
	o->procs.comms = (const char(*)[16])o->comms;
}

void options_parse(int argc, char **argv, struct options *o)
{
	char shorts[2 * NOPTS + 2];
	struct option longs[NOPTS + 1];
	int c, tflag = 0;
	bool wflag_set = false;
	const char *ffile = NULL;

	memset(o, 0, sizeof(*o));
	o->promisc = true;
	o->ring_bytes = ring_size(DEFAULT_RING_KIB);
	o->pkt_ring_bytes = ring_size(DEFAULT_PKT_RING_KIB);
	o->snaplen = MAX_SNAPLEN;
	o->format = -1;
	getopt_tables(shorts, longs);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == ':') {
			sc_err("option '%s' needs an argument", argv[optind - 1]);
			fprintf(stderr, "Try 'sockcap --help' for more information.\n");
			exit(EXIT_FAILURE);
		}
		if (c == '?') {
			/* for a long option optopt holds its code, not a letter */
			if (!strncmp(argv[optind - 1], "--", 2))
				sc_err("unknown option, or one that takes no argument: '%s'",
				       argv[optind - 1]);
			else
				sc_err("unknown option '-%c'", optopt);
			fprintf(stderr, "Try 'sockcap --help' for more information.\n");
			exit(EXIT_FAILURE);
		}
		set_option(o, c, optarg, &tflag, &wflag_set, &ffile);
		/* -D lists at once, as tcpdump: what follows is not looked at */
		if (o->list_ifs)
			exit(iface_list());
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
	check_combinations(o, wflag_set);
}

void options_free(struct options *o)
{
	free(o->expr);
	o->expr = NULL;
}
