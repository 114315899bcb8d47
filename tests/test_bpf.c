// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the real socket filter under BPF_PROG_TEST_RUN, records read back
 *
 * Each crafted frame (and each frame cut at every length) is pushed through
 * the loaded program; the record it leaves in the ring buffer must equal what
 * the same parser computes in user space, and the counters must add up. A
 * ring too small for the burst checks that every lost record is counted.
 * Then the program as it runs where packets start at the network header
 * (net_start). In both modes, every frame of tests/golden/deep-*.pcap (under
 * $srcdir; tests/mkdeep.py writes them: tunnels, ICMP errors, TCP options,
 * IPv6 extension headers, IP protocols without fields), cut at every
 * length: the records are equal, the carried header bytes (hdr) and the
 * extension headers walked (ext) included, and the kernel's record prints
 * the user-space record's line, with -e and -v too.
 */
#include <errno.h>
#include <glob.h>
#include <linux/if_ether.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "parse.h"
#include "pcapfile.h"
#include "pkt.h"
#include "print.h"
#include "sockcap.bpf.skel.h"

static int failures, checks;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("FAIL " __VA_ARGS__);                                                       \
		printf("\n");                                                                      \
		failures++;                                                                        \
	} while (0)

struct harvest {
	struct sc_record last;
	int n;
};

static int on_rec(void *ctx, void *data, size_t size)
{
	struct harvest *h = ctx;

	if (size != sizeof(struct sc_record)) {
		FAIL("record of %zu bytes", size);
		return 0;
	}
	memcpy(&h->last, data, size);
	h->n++;
	return 0;
}

struct fixture {
	struct sockcap_bpf *skel;
	struct ring_buffer *rb;
	struct harvest h;
	int prog_fd;
	bool net; /* net_start: records of the packet after the Ethernet header */
};

/*
 * The verifier's statistics of the last load (BPF_LOG_STATS): "processed N
 * insns" is how much of the verifier's budget (a million instructions) the
 * parser takes; test logs show it for every kernel the tests run on.
 */
static char verifier_log[4096];

/* stats: keep the verifier's statistics in verifier_log */
static int fixture_load(struct fixture *f, size_t ring_bytes, bool net, bool stats)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->net = net;
	f->skel = sockcap_bpf__open();
	if (!f->skel)
		return -errno;
	/*
	 * Under the test run skb->data and skb->len start at the network
	 * header. A record of the frame counts its 14-byte Ethernet header
	 * too; with net_start the record is of the packet after it, which is
	 * what skb->len counts, as on a SOCK_DGRAM socket.
	 */
	f->skel->rodata->net_start = net;
	f->skel->rodata->len_bias = net ? 0 : ETH_HLEN;
	sc_wakeup_settings(ring_bytes, &f->skel->rodata->wakeup_bytes,
			   &f->skel->rodata->wakeup_check_mask);
	err = bpf_map__set_max_entries(f->skel->maps.events, ring_bytes);
	verifier_log[0] = 0;
	if (!err && stats)
		err = bpf_program__set_log_buf(f->skel->progs.sockcap_filter, verifier_log,
					       sizeof(verifier_log));
	if (!err && stats)
		err = bpf_program__set_log_level(f->skel->progs.sockcap_filter, 4);
	if (!err)
		err = sockcap_bpf__load(f->skel);
	if (err)
		return err;
	f->prog_fd = bpf_program__fd(f->skel->progs.sockcap_filter);
	f->rb = ring_buffer__new(bpf_map__fd(f->skel->maps.events), on_rec, &f->h, NULL);
	return f->rb ? 0 : -errno;
}

static void fixture_close(struct fixture *f)
{
	ring_buffer__free(f->rb);
	sockcap_bpf__destroy(f->skel);
}

/* Load the program; on failure says so (a failed check) and returns non-zero. */
static int fixture_open(struct fixture *f, size_t ring_bytes, bool net)
{
	static bool shown[2];
	int err = fixture_load(f, ring_bytes, net, true);
	const char *stats = strstr(verifier_log, "processed ");

	if (err) {
		FAIL("loading the program%s: %s", net ? " with net_start" : "", strerror(-err));
		fixture_close(f);
		/* once more without the statistics: libbpf prints the verifier's log */
		if (!fixture_load(f, ring_bytes, net, false))
			printf("(loaded without the verifier's statistics)\n");
		fixture_close(f);
		return err;
	}
	if (stats && !shown[net]) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);

		/*
		 * What is left after the verifier dropped the dead branches:
		 * an attached filter is charged to the socket's option memory
		 * (net.core.optmem_max, 20 KiB on Linux 6.1) at 8 bytes an
		 * instruction.
		 */
		if (bpf_obj_get_info_by_fd(f->prog_fd, &info, &len))
			info.xlated_prog_len = 0;
		shown[net] = true;
		printf("verifier, sockcap_filter%s: %.*s; %u instructions loaded\n",
		       net ? " with net_start" : "", (int)strcspn(stats, "\n"), stats,
		       info.xlated_prog_len / 8);
	}
	return 0;
}

static int run(struct fixture *f, const void *data, unsigned int len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = len, .repeat = 1);
	int err = bpf_prog_test_run_opts(f->prog_fd, &opts);

	if (err)
		return err;
	if (opts.retval != 0)
		FAIL("filter returned %u, want 0 (nothing queued in summary mode)", opts.retval);
	return 0;
}

static void counters(struct fixture *f, struct sc_counters *sum)
{
	int err = capture_read_counters(f->skel->maps.counters, sum);

	if (err)
		FAIL("reading counters: %s", strerror(-err));
}

/* Every run was seen and recorded, none lost; then close. */
static void fixture_done(struct fixture *f, const char *what)
{
	struct sc_counters c;

	counters(f, &c);
	checks++;
	if (c.seen == 0 || c.seen != c.recorded || c.lost != 0)
		FAIL("%s counters: seen %llu recorded %llu lost %llu", what,
		     (unsigned long long)c.seen, (unsigned long long)c.recorded,
		     (unsigned long long)c.lost);
	fixture_close(f);
}

static uint64_t tai_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_TAI, &t);
	return (uint64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* skb->protocol of a frame, as eth_type_trans() sets it */
static uint16_t frame_protocol(const struct pkt *p, unsigned int caplen)
{
	uint16_t type = p->b[12] << 8 | p->b[13];

	if (type >= ETH_P_802_3_MIN)
		return type;
	/* a length field: raw 802.3 starts with 0xffff, 802.2 LLC otherwise */
	if (caplen >= ETH_HLEN + 2 && p->b[14] == 0xff && p->b[15] == 0xff)
		return ETH_P_802_3;
	return ETH_P_802_2;
}

/*
 * Push caplen bytes of p through the kernel; compare with the user parser,
 * of the frame, or (net_start) of what follows its Ethernet header, which
 * is left in *want. True when the records are equal.
 */
static bool check_frame_want(struct fixture *f, const struct pkt *p, unsigned int caplen,
			     struct sc_record *wantp)
{
	struct sc_record want;
	const struct sc_record *got = &f->h.last;
	uint64_t before = tai_now(), after;
	unsigned int wire = f->net ? caplen - ETH_HLEN : caplen;
	int err;

	f->h.n = 0;
	err = run(f, p->b, caplen);
	after = tai_now();
	checks++;
	if (err) {
		FAIL("%s/%u: test run: %s", p->name, caplen, strerror(-err));
		return false;
	}
	ring_buffer__consume(f->rb);
	if (f->h.n != 1) {
		FAIL("%s/%u: %d records, want 1", p->name, caplen, f->h.n);
		return false;
	}
	memset(&want, 0, sizeof(want));
	if (f->net)
		sc_parse_packet_net(p->b + ETH_HLEN, wire, wire, frame_protocol(p, caplen), &want);
	else
		sc_parse_frame(p->b, caplen, caplen, &want);
	if (got->version != SC_RECORD_VERSION || got->wire_len != wire ||
	    got->flags != want.flags || !(got->flags & SC_F_NOLINK) != !f->net ||
	    got->ifindex == 0 || got->vlan_tci != want.vlan_tci ||
	    got->vlan_proto != want.vlan_proto ||
	    memcmp((const char *)got + SC_PARSED_OFF, (const char *)&want + SC_PARSED_OFF,
		   sizeof(want) - SC_PARSED_OFF)) {
		FAIL("%s/%u: kernel record differs from user-space parse "
		     "(flags %#x/%#x layer %u/%u wire_len %u)",
		     p->name, caplen, got->flags, want.flags, got->layer, want.layer,
		     got->wire_len);
		return false;
	}
	if (got->ts_ns < before || got->ts_ns > after)
		FAIL("%s/%u: timestamp %llu outside [%llu, %llu] (CLOCK_TAI)", p->name, caplen,
		     (unsigned long long)got->ts_ns, (unsigned long long)before,
		     (unsigned long long)after);
	if (wantp)
		*wantp = want;
	return true;
}

static void check_frame(struct fixture *f, const struct pkt *p, unsigned int caplen)
{
	check_frame_want(f, p, caplen, NULL);
}

/* A few formatted lines, to see that the kernel's record prints right. */
static void check_line_e(struct fixture *f, const struct pkt *p, int eflag, const char *want)
{
	struct print_opts o = { .ts = TS_NONE, .eflag = eflag };
	struct printer pr;
	char line[SC_LINE_MAX];
	const char *body;
	size_t n;

	check_frame(f, p, p->len);
	printer_init(&pr, &o);
	n = sc_format(&pr, &f->h.last, line, sizeof(line));
	line[n - 1] = 0;
	/* skip interface and direction: they depend on the test device */
	body = strchr(line, ' ');
	body = body ? body + 5 : line;
	checks++;
	if (strcmp(body, want))
		FAIL("%s: line\n  want: %s\n  got:  %s", p->name, want, body);
}

static void check_line(struct fixture *f, const struct pkt *p, const char *want)
{
	check_line_e(f, p, 0, want);
}

/*
 * BPF_PROG_TEST_RUN refuses frames shorter than the Ethernet header, and IPv4
 * or IPv6 frames shorter than the fixed IP header; the user-space tests cover
 * those lengths.
 */
static unsigned int shortest_accepted(const struct pkt *p)
{
	uint16_t type = p->b[12] << 8 | p->b[13];

	if (type == ETH_P_IP)
		return ETH_HLEN + 20;
	if (type == ETH_P_IPV6)
		return ETH_HLEN + 40;
	return ETH_HLEN;
}

static void sweep(struct fixture *f, const struct pkt *p)
{
	for (unsigned int n = shortest_accepted(p); n <= p->len; n++)
		check_frame(f, p, n);
}

/* The usual packets, each cut at every length (sweep()). */
static void sweep_all(struct fixture *f)
{
	struct pkt p;

	pkt_udp4(&p);
	sweep(f, &p);
	pkt_tcp4(&p, 0x02, 0);
	sweep(f, &p);
	pkt_icmp4(&p);
	sweep(f, &p);
	pkt_udp6(&p);
	sweep(f, &p);
	pkt_tcp6_ext(&p);
	sweep(f, &p);
	pkt_arp(&p, 2);
	sweep(f, &p);
}

/*
 * Fragments (first and later, IPv4 and IPv6, of UDP, TCP and ICMP),
 * 802.3 frames (STP of each BPDU type, SNAP, LLC of the three formats),
 * and LLDP, each cut at every length.
 */
static void sweep_decoders(struct fixture *f)
{
	static const uint8_t protos[] = { 17, 6, 1 };
	struct pkt p;

	for (unsigned int i = 0; i < sizeof(protos); i++) {
		pkt_frag4_first(&p, protos[i]);
		sweep(f, &p);
		pkt_frag6_first(&p, protos[i] == 1 ? 58 : protos[i]);
		sweep(f, &p);
	}
	pkt_frag4_later(&p);
	sweep(f, &p);
	pkt_frag6_later(&p);
	sweep(f, &p);
	pkt_stp(&p, 0, 0, 0x81);
	sweep(f, &p);
	pkt_stp(&p, 2, 2, 0x3c);
	sweep(f, &p);
	pkt_stp(&p, 0, 0x80, 0);
	sweep(f, &p);
	pkt_snap_cdp(&p);
	sweep(f, &p);
	pkt_llc(&p, 0xf0, 0xf0, 0x03);
	sweep(f, &p);
	pkt_llc(&p, 0x04, 0x05, 0x02);
	sweep(f, &p);
	pkt_llc(&p, 0x04, 0x04, 0x01);
	sweep(f, &p);
	pkt_lldp(&p);
	sweep(f, &p);
}

/* Malformed headers: IHL 4 and 15, an endless extension chain, a long total length. */
static void malformed(struct fixture *f)
{
	struct pkt p;
	unsigned int ip;

	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 17, 4, 0, 0);
	udp(&p, 1, 2, 0, -1);
	finish_ip4(&p, ip);
	p.name = "ihl4";
	check_line(f, &p, "IP 198.18.0.1 > 198.18.0.2: [invalid ip]");
	eth(&p, MAC_B, 0x0800);
	ip = ip4(&p, 6, 15, 0, 0);
	tcp(&p, 0x02, 1, 0, 0);
	finish_ip4(&p, ip);
	p.name = "ihl15-tcp";
	sweep(f, &p);
	eth(&p, MAC_B, 0x86dd);
	ip = ip6(&p, 60);
	for (int i = 0; i < SC_MAX_EXTHDR + 2; i++)
		ext8(&p, 60);
	finish_ip6(&p, ip);
	p.name = "exthdr-deep";
	check_line(f, &p,
		   "IP6 fd00:198:18::1 > fd00:198:18::2: DSTOPT DSTOPT DSTOPT DSTOPT DSTOPT DSTOPT "
		   "DSTOPT DSTOPT [extension header chain too long]");
	eth(&p, MAC_B, 0x0800);
	ip4(&p, 17, 5, 1500, 0);
	udp(&p, 40000, 9, 18, -1);
	p.name = "totlen1500";
	check_line(f, &p, "IP [truncated-ip] 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");
}

/* ------------------------------------------------ tests/golden/deep-*.pcap */

/* What tests/mkdeep.py writes: a missing one is a failure, not a skip. */
static const char *const deep_required[] = { "deep-ext6.pcap",	"deep-icmp4.pcap",
					     "deep-icmp6.pcap", "deep-ipproto.pcap",
					     "deep-tcp.pcap",	"deep-tunnel.pcap" };

static struct pkt *deep;
static char (*deep_names)[48];
static unsigned int ndeep, ndeep_files;

static void deep_add(const char *file, uint64_t no, const struct pf_packet *pp)
{
	struct pkt *p;

	checks++;
	if (pp->caplen > PKT_MAX || pp->caplen < ETH_HLEN) {
		FAIL("%s #%llu: %u bytes, the test takes %d to %d", file, (unsigned long long)no,
		     pp->caplen, ETH_HLEN, PKT_MAX);
		return;
	}
	deep = realloc(deep, (ndeep + 1) * sizeof(*deep));
	deep_names = realloc(deep_names, (ndeep + 1) * sizeof(*deep_names));
	if (!deep || !deep_names)
		abort();
	p = &deep[ndeep];
	memcpy(p->b, pp->data, pp->caplen);
	p->len = pp->caplen;
	snprintf(deep_names[ndeep], sizeof(deep_names[0]), "%s#%llu", file, (unsigned long long)no);
	ndeep++;
}

/* Every frame of one file, Ethernet frames of a classic pcap file. */
static void deep_read(const char *path)
{
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct pf_reader r = { 0 };
	struct pf_packet pp;
	FILE *in = fopen(path, "rb");
	int err = in ? pf_reader_open(&r, in) : -errno;

	checks++;
	if (err) {
		FAIL("%s: %s", path, in ? r.errbuf : strerror(-err));
		goto out;
	}
	while ((err = pf_read_packet(&r, &pp)) > 0) {
		if (r.ifs[pp.iface].linktype != 1) {
			FAIL("%s #%llu: link type %u, want Ethernet (1)", file,
			     (unsigned long long)r.packets, r.ifs[pp.iface].linktype);
			continue;
		}
		deep_add(file, r.packets, &pp);
	}
	if (err < 0)
		FAIL("%s: %s", path, r.errbuf);
	else if (r.packets == 0)
		FAIL("%s: no packets", path);
	ndeep_files++;
out:
	pf_reader_close(&r);
	if (in)
		fclose(in);
}

/* All of $srcdir/tests/golden/deep-*.pcap, each of deep_required among them. */
static void deep_load(void)
{
	const char *srcdir = getenv("srcdir");
	char pattern[4096];
	glob_t g;
	unsigned int i;
	size_t j;

	snprintf(pattern, sizeof(pattern), "%s/tests/golden/deep-*.pcap",
		 srcdir && *srcdir ? srcdir : ".");
	if (glob(pattern, 0, NULL, &g))
		g.gl_pathc = 0;
	for (i = 0; i < sizeof(deep_required) / sizeof(deep_required[0]); i++) {
		for (j = 0; j < g.gl_pathc; j++) {
			const char *base = strrchr(g.gl_pathv[j], '/');

			if (!strcmp(base ? base + 1 : g.gl_pathv[j], deep_required[i]))
				break;
		}
		checks++;
		if (j == g.gl_pathc)
			FAIL("%s: no such file (srcdir=%s)", deep_required[i],
			     srcdir ? srcdir : "unset");
	}
	for (j = 0; j < g.gl_pathc; j++)
		deep_read(g.gl_pathv[j]);
	if (g.gl_pathc)
		globfree(&g);
}

/*
 * The kernel's record (got) prints the line the user-space record (want)
 * prints, with and without -e and -v; the metadata only the capture side
 * sets (time, interface, direction) copied from got.
 */
static void check_lines(const char *name, unsigned int caplen, const struct sc_record *got,
			struct sc_record *want)
{
	static const struct print_opts opts[] = {
		{ .ts = TS_EPOCH },
		{ .ts = TS_EPOCH, .eflag = 1 },
		{ .ts = TS_EPOCH, .vflag = 1 },
		{ .ts = TS_EPOCH, .eflag = 1, .vflag = 1 },
	};
	char lg[SC_LINE_MAX], lw[SC_LINE_MAX];
	struct printer pr;
	size_t ng, nw;

	want->ts_ns = got->ts_ns;
	want->ifindex = got->ifindex;
	want->pkttype = got->pkttype;
	for (unsigned int i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		printer_init(&pr, &opts[i]);
		ng = sc_format(&pr, got, lg, sizeof(lg));
		printer_init(&pr, &opts[i]);
		nw = sc_format(&pr, want, lw, sizeof(lw));
		checks++;
		if (ng != nw || memcmp(lg, lw, ng))
			FAIL("%s/%u%s%s: line\n  user:   %.*s  kernel: %.*s", name, caplen,
			     opts[i].eflag ? " -e" : "", opts[i].vflag ? " -v" : "", (int)nw, lw,
			     (int)ng, lg);
	}
}

/* Every frame of the deep files, cut at every length the kernel accepts. */
static void sweep_deep(struct fixture *f)
{
	struct sc_record want;
	unsigned int before = checks, runs = 0, with_hdr = 0, with_ext = 0;

	for (unsigned int i = 0; i < ndeep; i++) {
		deep[i].name = deep_names[i];
		for (unsigned int n = shortest_accepted(&deep[i]); n <= deep[i].len; n++, runs++) {
			if (!check_frame_want(f, &deep[i], n, &want))
				continue;
			check_lines(deep[i].name, n, &f->h.last, &want);
			with_hdr += want.hdr_len > 0;
			with_ext += want.ext_n > 0;
		}
	}
	/* that the comparison covers hdr and ext: how many records had them */
	printf("deep%s: %u frames of %u files, %u test runs (%u records with header bytes, %u "
	       "with extension headers), %u checks\n",
	       f->net ? " (net_start)" : "", ndeep, ndeep_files, runs, with_hdr, with_ext,
	       checks - before);
}

static void test_frames(void)
{
	struct fixture f;
	struct pkt p;

	if (fixture_open(&f, 1 << 20, false))
		return;

	pkt_udp4(&p);
	check_line(&f, &p, "IP 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");
	pkt_tcp4(&p, 0x18, 10);
	check_line(&f, &p,
		   "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [P.], seq 1000:1010, ack 2000, win "
		   "512, length 10");
	pkt_icmp6(&p);
	check_line(&f, &p,
		   "IP6 fd00:198:18::1 > fd00:198:18::2: ICMP6, echo request, id 99, seq 3, length "
		   "16");
	pkt_arp(&p, 1);
	check_line(&f, &p, "ARP, Request who-has 198.18.0.2 tell 198.18.0.1, length 28");
	pkt_vlan_udp4(&p, 2);
	check_line(
		&f, &p,
		"vlan 10, p 1, vlan 20, p 1, IP 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");

	/* the kernel's record of the new decoders prints as the user's */
	pkt_frag4_first(&p, 17);
	check_line(&f, &p, "IP 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 4000");
	pkt_frag6_first(&p, 17);
	check_line(&f, &p,
		   "IP6 fd00:198:18::1 > fd00:198:18::2: frag (0|48) 40000 > 9: UDP, length 4000");
	pkt_frag6_later(&p);
	check_line(&f, &p, "IP6 fd00:198:18::1 > fd00:198:18::2: frag (1232|100)");
	pkt_stp(&p, 0, 0, 0);
	check_line(&f, &p,
		   "STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:0a.8001, "
		   "length 35");
	pkt_snap_cdp(&p);
	check_line_e(&f, &p, 1,
		     "02:00:00:00:00:0a > 01:00:0c:cc:cc:cc, 802.3, length 12: LLC, dsap SNAP "
		     "(0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco "
		     "(0x00000c), pid CDP (0x2000), length 4");
	pkt_qinq_udp4(&p);
	check_line_e(&f, &p, 1,
		     "02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype 802.1Q-QinQ (0x88a8), "
		     "length 54: vlan 100, p 3, ethertype 802.1Q (0x8100), vlan 20, p 1, ethertype "
		     "IPv4 (0x0800), 198.18.0.1.5000 > 198.18.0.2.6000: UDP, length 4");
	pkt_lldp(&p);
	check_line(&f, &p, "LLDP, length 20");

	/* every frame, cut at every length the kernel accepts */
	sweep_all(&f);
	sweep_decoders(&f);
	pkt_vlan_udp4(&p, 3);
	sweep(&f, &p);
	pkt_qinq_udp4(&p);
	sweep(&f, &p);

	malformed(&f);
	sweep_deep(&f);

	/* every run was seen and recorded, none lost */
	fixture_done(&f, "frames");
}

/* A one-page ring overflows; every packet is either recorded or lost. */
static void test_ring_full(void)
{
	const int burst = 200;
	struct fixture f;
	struct sc_counters c;
	struct pkt p;

	if (fixture_open(&f, sysconf(_SC_PAGESIZE), false))
		return;
	pkt_udp4(&p);
	for (int i = 0; i < burst; i++)
		if (run(&f, p.b, p.len))
			FAIL("test run %d", i);
	counters(&f, &c);
	f.h.n = 0;
	ring_buffer__consume(f.rb);
	checks++;
	if (c.seen != (unsigned)burst || c.recorded + c.lost != c.seen || c.lost == 0 ||
	    c.recorded != (unsigned)f.h.n)
		FAIL("ring full: seen %llu recorded %llu lost %llu read %d (burst %d)",
		     (unsigned long long)c.seen, (unsigned long long)c.recorded,
		     (unsigned long long)c.lost, f.h.n, burst);

	/* space again once the reader has caught up */
	f.h.n = 0;
	run(&f, p.b, p.len);
	ring_buffer__consume(f.rb);
	checks++;
	if (f.h.n != 1)
		FAIL("after draining: %d records, want 1", f.h.n);
	fixture_close(&f);
}

/*
 * net_start: the program parses from the network header, of EtherType
 * skb->protocol, as on a SOCK_DGRAM socket ("any") or a device without a
 * link-layer header. Under the test run that header is the frame's byte 14
 * and skb->protocol is what eth_type_trans() made of the Ethernet header.
 * Each record must be sc_parse_packet_net() of the bytes after the
 * Ethernet header, with SC_F_NOLINK set and the packet's length.
 */
static void test_net_start(void)
{
	struct fixture f;
	struct pkt p;

	if (fixture_open(&f, 1 << 20, true))
		return;

	pkt_udp4(&p);
	check_line(&f, &p, "IP 198.18.0.1.40000 > 198.18.0.2.9: UDP, length 18");
	/* -e: no MAC addresses to show, and the length is the packet's */
	check_line_e(&f, &p, 1,
		     "ethertype IPv4 (0x0800), length 46: 198.18.0.1.40000 > 198.18.0.2.9: UDP, "
		     "length 18");
	pkt_icmp6(&p);
	check_line(&f, &p,
		   "IP6 fd00:198:18::1 > fd00:198:18::2: ICMP6, echo request, id 99, seq 3, length "
		   "16");
	pkt_arp(&p, 1);
	check_line(&f, &p, "ARP, Request who-has 198.18.0.2 tell 198.18.0.1, length 28");
	/* 802.3 (ETH_P_802_2): the LLC header first, its length the packet's */
	pkt_stp(&p, 0, 0, 0);
	check_line_e(&f, &p, 1,
		     "802.2, length 46: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, "
		     "ctrl 0x03: STP 802.1d, Config, Flags [none], bridge-id "
		     "8000.02:00:00:00:00:0a.8001, length 43");

	/* every packet, cut at every length the kernel accepts */
	sweep_all(&f);
	sweep_decoders(&f);
	pkt_tcp4(&p, 0x12, 6);
	sweep(&f, &p);
	pkt_icmp6(&p);
	sweep(&f, &p);
	pkt_arp(&p, 1);
	sweep(&f, &p);
	/* a tag left in the frame: EtherType 802.1Q, whose payload is not parsed */
	pkt_vlan_udp4(&p, 1);
	sweep(&f, &p);

	malformed(&f);

	/* other EtherTypes, and 802.3 length fields (ETH_P_802_2, ETH_P_802_3) */
	eth(&p, MAC_B, 0x88b5);
	putz(&p, 20);
	p.name = "ethertype-88b5";
	sweep(&f, &p);
	eth(&p, MAC_BCAST, 3 + 20);
	put8(&p, 0x42);
	put8(&p, 0x42);
	put8(&p, 0x03);
	putz(&p, 20);
	p.name = "802.2-llc";
	sweep(&f, &p);
	eth(&p, MAC_B, 30);
	put16(&p, 0xffff);
	putz(&p, 28);
	p.name = "802.3-raw";
	sweep(&f, &p);

	sweep_deep(&f);
	fixture_done(&f, "net_start");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: loading BPF programs needs root\n");
		return 77;
	}
	deep_load();
	test_frames();
	test_ring_full();
	test_net_start();
	printf("%d checks, %d failures\n", checks, failures);
	free(deep);
	free(deep_names);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
