// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: Wireshark's extcap interface: sockcap as a capture source of Wireshark
 *
 * Wireshark and tshark run each program of their extcap directories (see
 * extcap(4)) with --extcap-interfaces for its interfaces, then, for one of
 * them, --extcap-dlts (its link type), --extcap-config (its settings),
 * --extcap-capture-filter (is this capture filter valid?) and --capture
 * --fifo PATH (capture into the FIFO Wireshark reads). The interfaces are
 * sockcap's own, named sockcap-IFACE so that none takes the name of one
 * Wireshark captures itself: with two interfaces of one name, Wireshark
 * lists both and cannot capture on either.
 *
 * A capture is an ordinary one: the call is turned into the sockcap
 * command line it amounts to (-i IFACE -w FIFO --format pcapng, the
 * settings, the expression) and run as any other, so the packets, the
 * statistics block and the end are those of -w.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "extcap.h"
#include "filter.h"
#include "linktype.h"
#include "util.h"

#define SNAPLEN	     STR(MAX_SNAPLEN)
#define PKT_RING_KIB STR(DEFAULT_PKT_RING_KIB)
#define MAX_KIB	     STR(MAX_BUFFER_KIB)

/* Where Wireshark's help button leads. */
#define EXTCAP_HELP "man:sockcap(8)"

/* The settings of --extcap-config, by index into settings[] */
enum {
	S_EXPRESSION, /* the filter expression */
	S_SNAPLEN,
	S_DIRECTION,
	S_BUFFER,
	S_NO_PROMISC,
	S_PID, /* a list: one --pid each */
	S_COMM,
	S_UID,
	NSETTINGS
};

/*
 * The settings of --extcap-config, in the order Wireshark shows them. Each
 * comes back with the capture as --NAME VALUE (a flag alone), and becomes
 * sockcap's option of the same name, but for --expression, the filter
 * expression, and --pid, a list that becomes one --pid each.
 */
static const struct setting {
	const char *call;  /* --NAME */
	bool flag;	   /* no value: present or not */
	const char *form;  /* the rest of its arg line, after {call=} */
	const char *value; /* its value lines (selector), '\n' after each */
} settings[NSETTINGS] = {
	[S_EXPRESSION] = { .call = "--expression",
			   .form = "{display=Filter expression}{type=string}"
				   "{tooltip=A tcpdump (pcap-filter) expression, run in the kernel "
				   "before "
				   "anything is recorded; with a capture filter too, packets must "
				   "match both}"
				   "{group=Capture}" },
	[S_SNAPLEN] = { .call = "--snapshot-length",
			.form = "{display=Snapshot length}{type=unsigned}{range=0," SNAPLEN "}"
				"{default=" SNAPLEN
				"}{tooltip=Bytes of each packet to keep (0: " SNAPLEN ")}"
				"{group=Capture}" },
	[S_DIRECTION] = { .call = "--direction",
			  .form = "{display=Direction}{type=selector}{tooltip=Packets received, "
				  "sent, or both}"
				  "{group=Capture}",
			  .value = "{value=inout}{display=Received and sent}{default=true}\n"
				   "{value=in}{display=Received}\n"
				   "{value=out}{display=Sent}\n" },
	[S_BUFFER] = { .call = "--buffer-size",
		       .form = "{display=Buffer size (KiB)}{type=unsigned}{range=1," MAX_KIB "}"
			       "{default=" PKT_RING_KIB "}{tooltip=The packet ring the kernel "
			       "writes packets into}{group=Capture}" },
	[S_NO_PROMISC] = { .call = "--no-promiscuous-mode",
			   .flag = true,
			   .form = "{display=No promiscuous mode}{type=boolflag}{default=false}"
				   "{tooltip=Do not put the interface in promiscuous "
				   "mode}{group=Capture}" },
	[S_PID] = { .call = "--pid",
		    .form = "{display=Process IDs}{type=string}{validation=^[0-9, ]*$}"
			    "{tooltip=Only packets of these processes (PIDs, separated by commas)}"
			    "{group=Processes}" },
	[S_COMM] = { .call = "--comm",
		     .form = "{display=Command name}{type=string}"
			     "{tooltip=Only packets of processes of this name (as ps -o comm shows "
			     "it)}"
			     "{group=Processes}" },
	[S_UID] = { .call = "--uid",
		    .form = "{display=User ID}{type=string}{tooltip=Only packets of processes of "
			    "this user}"
			    "{group=Processes}" },
};

enum {
	X_INTERFACES = 1,
	X_VERSION,
	X_INTERFACE,
	X_DLTS,
	X_CONFIG,
	X_FILTER,
	X_CAPTURE,
	X_FIFO,
	X_IGNORED, /* the control pipes of a toolbar, which sockcap has none of */
	X_SETTING, /* X_SETTING + i: settings[i] */
};

/* One call: what it asks for, and the settings it came with. */
struct call {
	bool interfaces, version, dlts, config, capture;
	const char *iface; /* the interface, with the prefix */
	const char *fifo, *filter;
	const char *set[NSETTINGS]; /* "" for a flag that is given */
};

static const struct option protocol[] = {
	{ "extcap-interfaces", no_argument, NULL, X_INTERFACES },
	{ "extcap-version", optional_argument, NULL, X_VERSION },
	{ "extcap-interface", required_argument, NULL, X_INTERFACE },
	{ "extcap-dlts", no_argument, NULL, X_DLTS },
	{ "extcap-config", no_argument, NULL, X_CONFIG },
	{ "extcap-capture-filter", required_argument, NULL, X_FILTER },
	{ "capture", no_argument, NULL, X_CAPTURE },
	{ "fifo", required_argument, NULL, X_FIFO },
	{ "extcap-control-in", required_argument, NULL, X_IGNORED },
	{ "extcap-control-out", required_argument, NULL, X_IGNORED },
};

#define NPROTOCOL (sizeof(protocol) / sizeof(protocol[0]))

bool extcap_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strncmp(argv[i], "--extcap-", 9))
			return true;
	return false;
}

static void set_arg(struct call *c, int code, char *arg)
{
	switch (code) {
	case X_INTERFACES:
		c->interfaces = true;
		break;
	case X_VERSION:
		c->version = true; /* Wireshark's version: nothing depends on it */
		break;
	case X_INTERFACE:
		c->iface = arg;
		break;
	case X_DLTS:
		c->dlts = true;
		break;
	case X_CONFIG:
		c->config = true;
		break;
	case X_FILTER:
		c->filter = arg;
		break;
	case X_CAPTURE:
		c->capture = true;
		break;
	case X_FIFO:
		c->fifo = arg;
		break;
	case X_IGNORED:
		break;
	default:
		c->set[code - X_SETTING] = arg ? arg : "";
	}
}

/* The call's arguments; an unknown or malformed one is an error (exit 1). */
static int parse_call(int argc, char **argv, struct call *c)
{
	struct option longs[NPROTOCOL + NSETTINGS + 1];
	int code;

	memcpy(longs, protocol, sizeof(protocol));
	for (size_t i = 0; i < NSETTINGS; i++)
		longs[NPROTOCOL + i] =
			(struct option){ settings[i].call + 2,
					 settings[i].flag ? no_argument : required_argument, NULL,
					 X_SETTING + (int)i };
	longs[NPROTOCOL + NSETTINGS] = (struct option){ NULL, 0, NULL, 0 };
	memset(c, 0, sizeof(*c));
	opterr = 0;
	optind = 0;
	while ((code = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (code == '?' || code == ':') {
			sc_err("extcap: unknown argument, or one that needs a value: '%s'",
			       argv[optind - 1]);
			return -EINVAL;
		}
		set_arg(c, code, optarg);
	}
	if (optind < argc) {
		sc_err("extcap: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* The interface a call names, without the prefix; NULL after an error line. */
static const char *iface_of(const struct call *c)
{
	size_t n = strlen(EXTCAP_PREFIX);

	if (!c->iface) {
		sc_err("extcap: --extcap-interface is needed");
		return NULL;
	}
	if (strncmp(c->iface, EXTCAP_PREFIX, n) || !c->iface[n]) {
		sc_err("extcap: %s: not one of sockcap's interfaces (" EXTCAP_PREFIX "IFACE)",
		       c->iface);
		return NULL;
	}
	return c->iface + n;
}

static int done(void)
{
	if (fflush(stdout) == 0)
		return EXIT_SUCCESS;
	sc_err("writing output: %s", strerror(errno));
	return EXIT_FAILURE;
}

/*
 * --extcap-interfaces: every interface of a link type sockcap captures,
 * up or down (Wireshark lists them all, and asks again when they change),
 * and "any".
 */
static int list_interfaces(bool interfaces)
{
	struct if_nameindex *all;
	enum capture_link link;

	printf("extcap {version=%s}{help=%s}\n", PACKAGE_VERSION, EXTCAP_HELP);
	if (!interfaces)
		return done(); /* --extcap-version alone: who we are */
	all = if_nameindex();
	if (!all) {
		sc_err("listing interfaces: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	for (struct if_nameindex *i = all; i->if_index; i++) {
		/* braces would end the field early */
		if (strpbrk(i->if_name, "{}") || capture_if_link(i->if_name, &link, false))
			continue;
		printf("interface {value=" EXTCAP_PREFIX "%s}{display=sockcap: %s}\n", i->if_name,
		       i->if_name);
	}
	if_freenameindex(all);
	printf("interface {value=" EXTCAP_PREFIX CAPTURE_ANY "}{display=sockcap: every "
	       "interface (" CAPTURE_ANY ")}\n");
	return done();
}

/* --extcap-dlts: the one link type a capture on the interface writes. */
static int list_dlts(const char *ifname)
{
	enum capture_link link;
	const struct link_info *li;

	if (capture_if_link(ifname, &link, true))
		return EXIT_FAILURE;
	li = link_info(link);
	printf("dlt {number=%d}{name=%s}{display=%s}\n", linktype_to_dlt(li->linktype), li->name,
	       li->desc);
	return done();
}

/* --extcap-config: the settings, numbered in order, with their values. */
static int list_config(void)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *v = settings[i].value;

		printf("arg {number=%zu}{call=%s}%s\n", i, settings[i].call, settings[i].form);
		while (v && *v) {
			size_t n = strcspn(v, "\n");

			printf("value {arg=%zu}%.*s\n", i, (int)n, v);
			v += n + !!v[n];
		}
	}
	return done();
}

/*
 * --extcap-capture-filter without --capture: Wireshark colours its capture
 * filter field from what this prints on standard output, nothing for a
 * valid filter, libpcap's error (its first line) for an invalid one, with
 * exit status 0 either way; any other status means "could not check". So
 * the filter's error goes to stdout, and what stops the check (no such
 * interface) to stderr with status 1.
 */
static int check_filter(const char *ifname, const char *expr)
{
	enum capture_link link;
	struct filter f;
	int saved, err;

	if (capture_if_link(ifname, &link, true))
		return EXIT_FAILURE;
	if (!expr[strspn(expr, " \t\r\n")])
		return done(); /* empty: everything */
	fflush(stderr);
	saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved < 0 || dup2(STDOUT_FILENO, STDERR_FILENO) < 0) {
		sc_err("extcap: %s", strerror(errno));
		if (saved >= 0)
			close(saved);
		return EXIT_FAILURE;
	}
	err = filter_compile(&f, expr, ifname, link_info(link)->linktype, MAX_SNAPLEN);
	if (!err)
		filter_free(&f);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	return done();
}

/*
 * The expression setting and the capture filter: a packet must pass both.
 * *e is NULL when there is neither. 0 or -ENOMEM.
 */
static int expression(const struct call *c, char **e)
{
	const char *a = c->set[S_EXPRESSION], *b = c->filter;
	int n = 0;

	if (a && !a[strspn(a, " \t\r\n")])
		a = NULL;
	if (b && !b[strspn(b, " \t\r\n")])
		b = NULL;
	*e = NULL;
	if (a && b)
		n = asprintf(e, "(%s) and (%s)", a, b);
	else if (a || b)
		n = asprintf(e, "%s", a ? a : b);
	if (n >= 0)
		return 0;
	*e = NULL;
	return -ENOMEM;
}

/*
 * The sockcap command line a capture call amounts to, in av (room for
 * every word: see capture()); its words point into the call, pids (a copy
 * of the list, cut into words) and expr. Returns the number of words.
 */
static int command_line(const struct call *c, const char *ifname, char *pids, char *expr, char **av)
{
	int ac = 0;
	char *save = NULL;

	av[ac++] = "sockcap";
	av[ac++] = "-i";
	av[ac++] = (char *)ifname;
	av[ac++] = "-w";
	av[ac++] = (char *)c->fifo;
	av[ac++] = "--format";
	av[ac++] = "pcapng";
	for (size_t i = 0; i < NSETTINGS; i++) {
		/* an empty value is one left unset */
		if (!c->set[i] || (!settings[i].flag && !*c->set[i]) || i == S_EXPRESSION ||
		    i == S_PID)
			continue;
		av[ac++] = (char *)settings[i].call;
		if (!settings[i].flag)
			av[ac++] = (char *)c->set[i];
	}
	for (char *p = pids ? strtok_r(pids, ", \t", &save) : NULL; p;
	     p = strtok_r(NULL, ", \t", &save)) {
		av[ac++] = "--pid";
		av[ac++] = p;
	}
	if (expr) {
		av[ac++] = "--";
		av[ac++] = expr;
	}
	av[ac] = NULL;
	return ac;
}

/*
 * Wireshark takes anything a capture writes on stderr for an error ("Error
 * by extcap pipe"), even when it ends well. What sockcap says while it
 * captures (the line saying what, the statistics) is kept aside, in a
 * memory file in place of stderr, and shown only when the capture fails.
 * Returns the real stderr, or -1 when it could not be set aside.
 */
static int hold_stderr(void)
{
	int mem = memfd_create("sockcap-stderr", MFD_CLOEXEC), saved = -1;

	fflush(stderr);
	if (mem >= 0)
		saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved >= 0 && dup2(mem, STDERR_FILENO) < 0) {
		close(saved);
		saved = -1;
	}
	if (mem >= 0)
		close(mem);
	return saved;
}

static void release_stderr(int saved, bool show)
{
	char buf[4096];
	ssize_t n;

	if (saved < 0)
		return;
	fflush(stderr);
	if (show && lseek(STDERR_FILENO, 0, SEEK_SET) == 0) {
		while ((n = read(STDERR_FILENO, buf, sizeof(buf))) > 0)
			if (write(saved, buf, (size_t)n) != n)
				break;
	}
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* --capture: the normal capture of -w, into Wireshark's FIFO. */
static int capture(const struct call *c, const char *ifname, int (*run)(struct options *opt))
{
	const char *pidlist = c->set[S_PID] ? c->set[S_PID] : "";
	/* a --pid for every other character at most, and the rest */
	size_t words = 16 + 2 * NSETTINGS + strlen(pidlist) + 1;
	char **av = calloc(words, sizeof(*av));
	char *pids = strdup(pidlist), *expr = NULL;
	struct options opt;
	int ac, saved, status = EXIT_FAILURE;

	if (!c->fifo) {
		sc_err("extcap: --capture needs --fifo");
	} else if (!av || !pids || expression(c, &expr)) {
		sc_err("extcap: %s", strerror(ENOMEM));
	} else {
		ac = command_line(c, ifname, pids, expr, av);
		/* a malformed setting is reported as on sockcap's command line */
		optind = 0; /* getopt starts afresh */
		options_parse(ac, av, &opt);
		saved = hold_stderr();
		status = run(&opt);
		release_stderr(saved, status != EXIT_SUCCESS);
		options_free(&opt);
	}
	free(expr);
	free(pids);
	free(av);
	return status;
}

int extcap_main(int argc, char **argv, int (*run)(struct options *opt))
{
	struct call c;
	const char *ifname;

	if (parse_call(argc, argv, &c))
		return EXIT_FAILURE;
	if (c.interfaces || (c.version && !c.iface))
		return list_interfaces(c.interfaces);
	ifname = iface_of(&c);
	if (!ifname)
		return EXIT_FAILURE;
	if (c.dlts)
		return list_dlts(ifname);
	if (c.config)
		return list_config();
	if (c.capture)
		return capture(&c, ifname, run);
	if (c.filter)
		return check_filter(ifname, c.filter);
	sc_err("extcap: nothing to do: --extcap-dlts, --extcap-config, --extcap-capture-filter "
	       "or --capture");
	return EXIT_FAILURE;
}
