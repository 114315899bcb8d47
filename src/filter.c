// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: tcpdump filter expressions: compiled by libpcap, shown, matched
 *
 * libpcap compiles the expression to classic BPF; for a live capture
 * src/cbpf.c translates that into an eBPF socket filter which runs before
 * our own program (see capture.c), and for a file libpcap's interpreter
 * decides in user space.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* libpcap's struct bpf_insn and the kernel's share a name */
#define bpf_insn pcap_bpf_insn
#include <pcap/pcap.h>
#undef bpf_insn

#include "cbpf.h"
#include "capture.h"
#include "filter.h"
#include "linktype.h"
#include "sockcap.h"
#include "util.h"

char *filter_join(char **argv, int argc)
{
	size_t n = 0;
	char *s, *p;

	if (argc <= 0)
		return NULL;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = p = malloc(n);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);

		memcpy(p, argv[i], l);
		p += l;
		*p++ = i + 1 < argc ? ' ' : 0;
	}
	return s;
}

char *filter_read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *s = NULL;
	size_t n = 0, cap = 0;
	int c;

	if (!f) {
		sc_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	/* tcpdump drops '#' comments to the end of the line */
	while ((c = getc(f)) != EOF) {
		if (c == '#') {
			while ((c = getc(f)) != EOF && c != '\n')
				;
			if (c == EOF)
				break;
		}
		if (n + 2 > cap) {
			char *t = realloc(s, cap = cap ? 2 * cap : 256);

			if (!t) {
				free(s);
				fclose(f);
				sc_err("%s: out of memory", path);
				return NULL;
			}
			s = t;
		}
		s[n++] = c == '\n' || c == '\t' ? ' ' : (char)c;
	}
	if (ferror(f)) {
		sc_err("%s: %s", path, strerror(errno));
		free(s);
		s = NULL;
	} else if (!s) {
		s = strdup("");
	} else {
		s[n] = 0;
	}
	fclose(f);
	return s;
}

int filter_compile(struct filter *f, const char *expr, const char *ifname, int linktype,
		   uint32_t snaplen)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *p = NULL;
	int dlt = linktype_to_dlt(linktype), err = 0;

	memset(f, 0, sizeof(*f));
	if (ifname) {
		/*
		 * A handle on the interface compiles as tcpdump's does: for
		 * Linux, "vlan" then reads the tag the kernel keeps out of the
		 * frame. It must be of the link type the capture has ("any":
		 * LINUX_SLL2, not the older LINUX_SLL); if it cannot be opened
		 * so, compile for that link type alone.
		 */
		p = pcap_create(ifname, errbuf);
		if (p && (pcap_set_snaplen(p, snaplen) || pcap_set_buffer_size(p, 65536) ||
			  pcap_activate(p) < 0 ||
			  (pcap_datalink(p) != dlt && pcap_set_datalink(p, dlt)))) {
			pcap_close(p);
			p = NULL;
		}
	}
	if (!p)
		p = pcap_open_dead(dlt, snaplen);
	if (!p) {
		sc_err("cannot compile the filter expression: out of memory");
		return -ENOMEM;
	}
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		sc_err("%s", pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}
	f->len = prog.bf_len;
	f->insns = calloc(prog.bf_len, sizeof(*f->insns));
	f->expr = strdup(expr);
	if (!f->insns || !f->expr) {
		sc_err("cannot compile the filter expression: out of memory");
		err = -ENOMEM;
	} else {
		/* the same layout: code, jt, jf, k */
		memcpy(f->insns, prog.bf_insns, prog.bf_len * sizeof(*f->insns));
		f->linktype = linktype;
	}
	pcap_freecode(&prog);
	pcap_close(p);
	if (err)
		filter_free(f);
	return err;
}

void filter_dump_classic(const struct filter *f, FILE *out)
{
	struct bpf_program prog = {
		.bf_len = f->len,
		.bf_insns = (struct pcap_bpf_insn *)f->insns,
	};

	fflush(out);
	bpf_dump(&prog, 1);
	fflush(stdout);
}

int filter_dump_ebpf(const struct filter *f, FILE *out)
{
	struct bpf_insn *insns;
	unsigned int n;
	char err[256];
	/*
	 * As a capture runs it: counting what it sees, then handing accepted
	 * packets to sockcap's own program. The maps do not exist yet: their
	 * file descriptors show as 0.
	 */
	struct cbpf_opts o = capture_chain_opts(linktype_xlat(f->linktype), 0, 0);
	int rc = cbpf_translate(f->insns, f->len, &o, &insns, &n, err, sizeof(err));

	if (rc) {
		sc_err("translating the filter: %s", err);
		return rc;
	}
	for (unsigned int i = 0; i < n; i++)
		fprintf(out, "(%03u) code 0x%02x dst r%u src r%u off %-6d imm %d\n", i,
			insns[i].code, insns[i].dst_reg, insns[i].src_reg, insns[i].off,
			insns[i].imm);
	free(insns);
	return 0;
}

uint32_t filter_match(const struct filter *f, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct bpf_program prog = {
		.bf_len = f->len,
		.bf_insns = (struct pcap_bpf_insn *)f->insns,
	};
	struct pcap_pkthdr h = { .caplen = caplen, .len = len };

	return pcap_offline_filter(&prog, &h, data) ? 1 : 0;
}

bool filter_needs_kernel(const struct filter *f)
{
	for (unsigned int i = 0; i < f->len; i++) {
		const struct sock_filter *in = &f->insns[i];

		/* the kernel's ancillary data sits at negative offsets (SKF_AD_OFF) */
		if (BPF_CLASS(in->code) == BPF_LD && BPF_MODE(in->code) == BPF_ABS &&
		    (int32_t)in->k < 0)
			return true;
	}
	return false;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	free(f->insns);
	free(f->expr);
	memset(f, 0, sizeof(*f));
}

int filter_show(const struct filter *f, int dflag)
{
	if (dflag == 1)
		filter_dump_classic(f, stdout);
	else if (filter_dump_ebpf(f, stdout))
		return EXIT_FAILURE;
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
