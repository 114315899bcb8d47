// SPDX-License-Identifier: GPL-2.0-only
/* \summary: -r: a capture file's packets as lines, or copied to a file */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"
#include "filter.h"
#include "iface.h"
#include "out.h"
#include "parse.h"
#include "print.h"
#include "privs.h"
#include "read.h"
#include "signals.h"
#include "util.h"

/* Reading one file: what it is, and where its packets go. */
struct read_session {
	struct options *opt;
	struct pf_reader rd, *reader;
	struct printer printer;
	struct out out;
	struct filter filt; /* the expression, for the file's link type */
	struct dump dump;   /* -w: the copy */
	bool dumping;
	uint32_t copy_section; /* the section whose interfaces are copied */
	unsigned long long printed, written;
	struct iface_names names; /* LINUX_SLL2: this machine's names */
	/* -v: the cgroup paths of the comments; a record's cgroup is i + 1 */
	char *cgroups[256];
	unsigned int ncgroups;
};

/* A comment's cgroup path, kept: its number in the record. */
static uint64_t keep_cgroup(void *arg, const char *path, size_t len)
{
	struct read_session *s = arg;
	unsigned int i;

	for (i = 0; i < s->ncgroups; i++)
		if (strlen(s->cgroups[i]) == len && !memcmp(s->cgroups[i], path, len))
			return i + 1;
	if (i == sizeof(s->cgroups) / sizeof(s->cgroups[0]))
		return 0;
	s->cgroups[i] = strndup(path, len);
	if (!s->cgroups[i])
		return 0;
	s->ncgroups++;
	return i + 1;
}

static const char *cgroup_name(uint64_t id, void *arg)
{
	struct read_session *s = arg;

	return id && id <= s->ncgroups ? s->cgroups[id - 1] : NULL;
}

/* A file's interface name, as the file gives it (the line escapes it). */
static const char *file_ifname(uint32_t ifindex, void *arg)
{
	struct pf_reader *r = arg;

	/* records carry the file's interface number plus one */
	if (ifindex == 0 || ifindex > r->nifs || !r->ifs[ifindex - 1].name[0])
		return NULL;
	return r->ifs[ifindex - 1].name;
}

static void print_file_packet(struct read_session *s, const struct pf_packet *p)
{
	struct sc_record r;
	bool by_index;
	int lt = s->reader->ifs[p->iface].linktype;

	/* -v shows the cgroups the comments name */
	int rc = read_record(s->reader, p, &r, &by_index, s->opt->print.vflag ? keep_cgroup : NULL,
			     s);

	if (rc == READ_UNDECODED) {
		out_line(&s->out, &s->printer, &r, lt);
	} else if (by_index) {
		/* the interface index of the machine that wrote it: named here */
		struct printer pr = s->printer;

		pr.ifname = iface_name;
		pr.ifname_arg = &s->names;
		out_line(&s->out, &pr, &r, -1);
		/* the time columns moved on in the copy */
		s->printer.prev_ns = pr.prev_ns;
		s->printer.first_ns = pr.first_ns;
	} else {
		out_line(&s->out, &s->printer, &r, -1);
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
static int start_copy(struct read_session *s, const struct pf_packet *first)
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

static int copy_packet(struct read_session *s, const struct pf_packet *p)
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

/* Lines go to stdout, or to stderr when the copy does. */
static int read_start(struct read_session *s, struct options *opt, FILE *f)
{
	int fd = opt->wfile && !strcmp(opt->wfile, "-") ? STDERR_FILENO : STDOUT_FILENO;

	s->opt = opt;
	s->reader = &s->rd;
	s->dump.fd = -1;
	/* a terminal sees each line as its packet is read, as with stdio */
	if (out_init(&s->out, fd, opt->line_buffered || isatty(fd))) {
		sc_err("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	printer_init(&s->printer, &opt->print);
	s->printer.tai_offset_ns = 0; /* file timestamps are UTC already */
	s->printer.from_file = 1;
	s->printer.ifname = file_ifname;
	s->printer.ifname_arg = &s->rd;
	s->printer.cgroup_name = cgroup_name;
	s->printer.cgroup_arg = s;
	if (pf_reader_open(&s->rd, f) < 0) {
		sc_err("%s: %s", opt->rfile, s->rd.errbuf);
		return -EINVAL;
	}
	return 0;
}

/* One packet: filtered, copied, printed. 0, 1 when -c is reached, or -errno. */
static int read_one(struct read_session *s, const struct pf_packet *p)
{
	struct options *opt = s->opt;
	int err;

	if (opt->expr) {
		int lt = s->rd.ifs[p->iface].linktype;

		/* compiled for the link type at hand; files seldom mix them */
		if (s->filt.linktype != lt && (err = compile_for_file(&s->filt, opt, lt)))
			return err;
		if (!filter_match(&s->filt, p->data, p->caplen, p->len))
			return 0;
	}
	if (opt->wfile) {
		if (!s->dumping && (err = start_copy(s, p)))
			return err;
		if ((err = copy_packet(s, p)))
			return err;
		s->written++;
	}
	if (!opt->wfile || opt->print_lines)
		print_file_packet(s, p);
	if (s->out.err)
		return s->out.err;
	return opt->count && (opt->wfile ? s->written : s->printed) >= opt->count;
}

/*
 * Stop at a packet boundary: the lines of the packets read so far are
 * written out, a copy is closed properly. A read that the signal
 * interrupts ends the loop, not as an error. No capture statistics to
 * show on SIGUSR1.
 */
static int read_loop(struct read_session *s)
{
	struct pf_packet p;
	int rc, err = 0;

	sc_catch_signals(false);
	while (!sc_stop_requested && !err) {
		rc = pf_read_packet(&s->rd, &p);
		if (rc == 0 || sc_stop_requested)
			break;
		if (rc < 0) {
			out_flush(&s->out);
			sc_err("%s: %s", s->opt->rfile, s->rd.errbuf);
			return rc;
		}
		err = read_one(s, &p);
	}
	/* -c reached; an output error is reported at the end; stopped while a
	 * FIFO waited for its reader */
	if (err == 1 || (err && err == s->out.err) || (err && s->dump.interrupted))
		err = 0;
	/* an empty input still gives a valid (empty) output file */
	if (s->opt->wfile && !s->dumping && !err && !sc_stop_requested && s->rd.nifs) {
		struct pf_packet none = { .iface = 0 };

		err = start_copy(s, &none);
	}
	return err;
}

/* Checked before anything is read or written: for the first link type. */
static int read_prepare(struct read_session *s)
{
	struct options *opt = s->opt;

	if (opt->expr) {
		int err = compile_for_file(
			&s->filt, opt, s->rd.nifs ? s->rd.ifs[0].linktype : PF_LINKTYPE_ETHERNET);

		if (err)
			return err;
		if (opt->dflag)
			return filter_show(&s->filt, opt->dflag) ? -EIO : 1;
	}
	if (opt->user) {
		uid_t uid;
		gid_t gid;

		if (privs_lookup_user(opt->user, &uid, &gid) || privs_become(opt->user, uid, gid))
			return -EPERM;
	}
	return 0;
}

int read_file(struct options *opt)
{
	struct read_session *s = calloc(1, sizeof(*s));
	FILE *f = stdin;
	int err;

	if (!s) {
		sc_err("%s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	if (strcmp(opt->rfile, "-") && !(f = fopen(opt->rfile, "rbe"))) {
		sc_err("%s: %s", opt->rfile, strerror(errno));
		free(s);
		return EXIT_FAILURE;
	}
	err = read_start(s, opt, f);
	if (!err)
		err = read_prepare(s);
	if (!err)
		err = read_loop(s);
	if (err == 1)
		err = 0; /* -d, -dd shown */
	out_flush(&s->out);
	if (s->dumping && dump_finish(&s->dump) && !err)
		err = -EIO;
	if (s->out.err && !s->out.broken) {
		sc_err("writing output: %s", strerror(-s->out.err));
		err = s->out.err;
	}
	out_fini(&s->out);
	filter_free(&s->filt);
	for (unsigned int i = 0; i < s->ncgroups; i++)
		free(s->cgroups[i]);
	pf_reader_close(&s->rd);
	if (f != stdin)
		fclose(f);
	free(s);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
