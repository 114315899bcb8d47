// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: what test_cbpf and test_cbpf_live share: counts, the packet
 * corpus (the frames of tests/golden/cbpf-frames.pcap and deep-*.pcap), the
 * filter expressions read from tests/cbpf_exprs.txt
 */
#include "cbpf_common.h"

#include <ctype.h>

unsigned long checks, failures;
unsigned long show_fails = 10;

static void vfail(const char *fmt, va_list ap)
{
	failures++;
	if (failures > show_fails)
		return;
	printf("FAIL ");
	vprintf(fmt, ap);
	printf("\n");
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap);
	va_end(ap);
}

void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	va_start(ap, fmt);
	vfail(fmt, ap);
	va_end(ap);
}

double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- frames */

struct frame *frames;
unsigned int nframes;

/* ----------------------------------------------------------- data */

#define LINE_MAX_LEN 1000

static void data_error(const char *path, unsigned int line, const char *what)
{
	if (line)
		printf("ERROR %s:%u: %s\n", path, line, what);
	else
		printf("ERROR %s: %s\n", path, what);
	exit(99);
}

char **read_lines(const char *name, unsigned int *n)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], buf[LINE_MAX_LEN + 2], **lines = NULL;
	unsigned int line = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/%s", srcdir && *srcdir ? srcdir : ".", name);
	f = fopen(path, "r");
	if (!f)
		data_error(path, 0, strerror(errno));
	*n = 0;
	while (fgets(buf, sizeof(buf), f)) {
		size_t len = strlen(buf);
		char *s = buf;

		line++;
		if (len && buf[len - 1] == '\n')
			buf[--len] = 0;
		else if (!feof(f))
			data_error(path, line, "line longer than 1000 bytes");
		for (size_t i = 0; i < len; i++)
			if (iscntrl((unsigned char)buf[i]) && buf[i] != '\t')
				data_error(path, line, "control character");
		while (*s == ' ' || *s == '\t')
			s++;
		while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
			buf[--len] = 0;
		if (!*s || *s == '#')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			lines = realloc(lines, cap * sizeof(*lines));
			if (!lines)
				abort();
		}
		lines[*n] = strdup(s);
		if (!lines[(*n)++])
			abort();
	}
	if (ferror(f))
		data_error(path, 0, strerror(errno));
	fclose(f);
	if (!*n)
		data_error(path, 0, "no expression in it");
	return lines;
}

static void name_error(const char *path, unsigned int n, const char *why)
{
	printf("ERROR %s.names: frame %u: %s\n", path, n, why);
	exit(99);
}

/* Names frame n (0-based) of path from line "N NAME" n of path.names. */
static void name_frame(struct frame *f, const char *path, char **names, unsigned int nnames,
		       unsigned int n)
{
	unsigned int num;
	int at = -1;

	if (n >= nnames)
		name_error(path, n + 1, "no name: the file holds more frames");
	if (sscanf(names[n], "%u %n", &num, &at) != 1 || at < 0 || num != n + 1 || !names[n][at])
		name_error(path, n + 1, "not \"N NAME\" of this frame, in order");
	if (strlen(names[n] + at) >= sizeof(f->name))
		name_error(path, n + 1, "name too long");
	strcpy(f->name, names[n] + at);
	free(names[n]);
}

void read_frames(const char *file, bool named, struct frame **fs, unsigned int *n)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], rel[300], err[PCAP_ERRBUF_SIZE], **names = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned int i, nnames = 0;
	struct frame *f;
	pcap_t *pc;
	int r;

	snprintf(path, sizeof(path), "%s/tests/golden/%s", srcdir && *srcdir ? srcdir : ".", file);
	if (named) {
		snprintf(rel, sizeof(rel), "golden/%s.names", file); /* under tests/ */
		names = read_lines(rel, &nnames);
	}
	pc = pcap_open_offline(path, err);
	if (!pc) {
		printf("ERROR %s\n", err); /* libpcap's message names the file */
		exit(99);
	}
	if (pcap_datalink(pc) != DLT_EN10MB)
		data_error(path, 0, "not Ethernet");
	for (i = 0; (r = pcap_next_ex(pc, &h, &data)) == 1; i++) {
		if (h->caplen > FRAME_MAX)
			data_error(path, i + 1, "packet longer than FRAME_MAX");
		*fs = realloc(*fs, (*n + 1) * sizeof(**fs));
		if (!*fs)
			abort();
		f = &(*fs)[(*n)++];
		f->b = malloc(h->caplen ? h->caplen : 1);
		if (!f->b)
			abort();
		memcpy(f->b, data, h->caplen);
		f->len = h->caplen;
		if (named)
			name_frame(f, path, names, nnames, i);
		else
			snprintf(f->name, sizeof(f->name), "%s #%u", file, i + 1);
	}
	if (r != PCAP_ERROR_BREAK)
		data_error(path, 0, pcap_geterr(pc));
	if (!i)
		data_error(path, 0, "no frame in it");
	if (named && i != nnames)
		data_error(path, 0, "its .names file names more frames than it holds");
	free(names);
	pcap_close(pc);
}

/*
 * The corpus: the frames tests/mkcbpf.py writes to
 * tests/golden/cbpf-frames.pcap (cut short at every header, options,
 * extension header chains, fragments, ARP, VLAN, MPLS, PPPoE, LLC, random
 * bytes), then those tests/mkdeep.py wrote for the decoders (tunnels, ICMP
 * errors, TCP options, IPv6 extension headers, IP protocols without fields).
 */
void load_frames(void)
{
	static const char *const deep[] = { "deep-ext6.pcap",  "deep-icmp4.pcap",
					    "deep-icmp6.pcap", "deep-ipproto.pcap",
					    "deep-tcp.pcap",   "deep-tunnel.pcap" };

	read_frames("cbpf-frames.pcap", true, &frames, &nframes);
	for (unsigned int i = 0; i < sizeof(deep) / sizeof(deep[0]); i++)
		read_frames(deep[i], false, &frames, &nframes);
}

const struct frame *named_frame(const struct frame *fs, unsigned int n, const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(fs[i].name, name))
			return &fs[i];
	printf("ERROR no frame named \"%s\"\n", name);
	exit(99);
}

char **exprs;
unsigned int nexprs;

void read_exprs(void)
{
	exprs = read_lines("cbpf_exprs.txt", &nexprs);
}

unsigned int corpus_programs(pcap_t *pc, bool count, corpus_fn *fn, void *arg)
{
	unsigned int i, same = 0;
	struct bpf_program prog[2];
	char what[600];
	int opt;

	for (i = 0; i < nexprs; i++) {
		for (opt = 1; opt >= 0; opt--) {
			struct bpf_program *p = &prog[opt];

			snprintf(what, sizeof(what), "\"%s\"%s", exprs[i],
				 opt ? "" : " (unoptimized)");
			checks += count;
			if (pcap_compile(pc, p, exprs[i], opt, PCAP_NETMASK_UNKNOWN) < 0) {
				fail("%s: pcap_compile: %s", what, pcap_geterr(pc));
				p->bf_insns = NULL;
				continue;
			}
			/*
			 * The optimizer may change nothing (and "protochain"
			 * turns it off): the same program again would only
			 * cost time, mostly the verifier's.
			 */
			if (!opt && prog[1].bf_insns && prog[1].bf_len == p->bf_len &&
			    !memcmp(prog[1].bf_insns, p->bf_insns,
				    p->bf_len * sizeof(*p->bf_insns))) {
				same++;
				continue;
			}
			fn(what, (struct sock_filter *)p->bf_insns, p->bf_len, arg);
		}
		for (opt = 0; opt < 2; opt++)
			if (prog[opt].bf_insns)
				pcap_freecode(&prog[opt]);
	}
	return same;
}

pcap_t *cbpf_test_start(void)
{
	pcap_t *pc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("CBPF_SHOW_FAILS"))
		show_fails = strtoul(getenv("CBPF_SHOW_FAILS"), NULL, 0);
	if (geteuid() != 0) {
		printf("SKIP: needs root for BPF\n");
		exit(77);
	}
	pc = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!pc) {
		printf("pcap_open_dead failed\n");
		exit(1);
	}
	read_exprs();
	return pc;
}
