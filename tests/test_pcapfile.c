// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: unit tests of the pcap/pcapng writer and reader
 *
 * Files written by the writer are read back in every format; files built
 * byte by byte here (the other byte order, timestamp resolutions, simple
 * and obsolete packet blocks, several sections, hostile lengths) check the
 * reader on its own. Every prefix of a valid file must read as the complete
 * packets in it followed by a clean end (at a record boundary) or an error.
 * Write errors are provoked with /dev/full, a closed pipe and RLIMIT_FSIZE.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcapfile.h"

static int failures, checks;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond)) {                                                                     \
			printf("FAIL ");                                                           \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static const char *fmt_name(enum pf_format f)
{
	return f == PF_PCAP ? "pcap" : f == PF_PCAP_NS ? "pcap-ns" : "pcapng";
}

/* ------------------------------------------------------------ helpers */

static char *temp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	if (!path)
		abort();
	sprintf(path, "%s/test_pcapfile.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(EXIT_FAILURE);
	}
	close(fd);
	return path;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	struct stat st;
	uint8_t *d;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st))
		abort();
	d = malloc(st.st_size + 1);
	if (!d || fread(d, 1, st.st_size, f) != (size_t)st.st_size)
		abort();
	fclose(f);
	*n = st.st_size;
	return d;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* What a reader returned: the packets (data copied) and how it ended. */
#define MAXP 600

struct got {
	int open_rc, rc;
	int again; /* what one more call returned */
	unsigned int n;
	struct pf_packet p[MAXP];
	uint8_t *data[MAXP];
	struct pf_comment notes[MAXP][PF_COMMENTS_MAX];
	struct pf_reader r; /* closed, but the interfaces and errbuf stay */
};

static void got_free(struct got *g)
{
	for (unsigned int i = 0; i < g->n; i++)
		free(g->data[i]);
	g->n = 0;
}

static void read_stream(FILE *f, struct got *g)
{
	g->n = 0;
	g->rc = 0;
	g->open_rc = pf_reader_open(&g->r, f);
	while (!g->open_rc) {
		struct pf_packet p;

		g->rc = pf_read_packet(&g->r, &p);
		if (g->rc <= 0)
			break;
		if (g->n == MAXP)
			abort();
		g->p[g->n] = p;
		/* the comments kept after the data: p's pointers last one call */
		size_t clen = 0;

		for (uint32_t c = 0; c < p.ncomments; c++)
			clen += p.comments[c].len;
		g->data[g->n] = malloc(p.caplen + clen + 1);
		memcpy(g->data[g->n], p.data, p.caplen);
		g->p[g->n].data = g->data[g->n];
		clen = p.caplen;
		for (uint32_t c = 0; c < p.ncomments; c++) {
			memcpy(g->data[g->n] + clen, p.comments[c].s, p.comments[c].len);
			g->notes[g->n][c] = (struct pf_comment){ (const char *)g->data[g->n] + clen,
								 p.comments[c].len };
			clen += p.comments[c].len;
		}
		g->p[g->n].comments = g->notes[g->n];
		g->n++;
	}
	if (!g->open_rc)
		g->again = pf_read_packet(&g->r, &(struct pf_packet){ 0 });
	pf_reader_close(&g->r);
}

static void read_mem(const uint8_t *d, size_t n, struct got *g)
{
	/* fmemopen of zero bytes is refused by older C libraries */
	FILE *f = n ? fmemopen((void *)d, n, "r") : fopen("/dev/null", "r");

	if (!f)
		abort();
	read_stream(f, g);
	fclose(f);
}

static void read_path(const char *path, struct got *g)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		abort();
	read_stream(f, g);
	fclose(f);
}

/* ----------------------------------------------- hand-built files */

struct bld {
	uint8_t d[1 << 16];
	size_t len;
	bool be; /* big-endian numbers */
};

static void b_bytes(struct bld *b, const void *p, size_t n)
{
	if (b->len + n > sizeof(b->d))
		abort();
	memcpy(b->d + b->len, p, n);
	b->len += n;
}

static void b_set32(struct bld *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->d[at + i] = b->be ? v >> (24 - 8 * i) : v >> (8 * i);
}

static void b16(struct bld *b, uint16_t v)
{
	uint8_t x[2] = { b->be ? v >> 8 : v, b->be ? v : v >> 8 };

	b_bytes(b, x, 2);
}

static void b32(struct bld *b, uint32_t v)
{
	b->len += 4;
	if (b->len > sizeof(b->d))
		abort();
	b_set32(b, b->len - 4, v);
}

static void b64(struct bld *b, uint64_t v)
{
	b32(b, b->be ? v >> 32 : (uint32_t)v);
	b32(b, b->be ? (uint32_t)v : v >> 32);
}

static void b_pad(struct bld *b)
{
	while (b->len % 4)
		b->d[b->len++] = 0;
}

static size_t blk_begin(struct bld *b, uint32_t type)
{
	size_t at = b->len;

	b32(b, type);
	b32(b, 0);
	return at;
}

static void blk_end(struct bld *b, size_t at)
{
	uint32_t total = b->len + 4 - at;

	b32(b, total);
	b_set32(b, at + 4, total);
}

static void opt(struct bld *b, uint16_t code, const void *v, uint16_t n)
{
	b16(b, code);
	b16(b, n);
	b_bytes(b, v, n);
	b_pad(b);
}

static void opt_end(struct bld *b)
{
	b32(b, 0);
}

static void shb(struct bld *b)
{
	size_t at = blk_begin(b, 0x0a0d0d0a);

	b32(b, 0x1a2b3c4d);
	b16(b, 1);
	b16(b, 0);
	b64(b, UINT64_MAX);
	blk_end(b, at);
}

/* tsresol < 0: no if_tsresol option; tsoffset != 0: an if_tsoffset */
static void idb(struct bld *b, uint16_t linktype, uint32_t snaplen, const char *name, int tsresol,
		int64_t tsoffset)
{
	size_t at = blk_begin(b, 1);

	b16(b, linktype);
	b16(b, 0);
	b32(b, snaplen);
	if (name)
		opt(b, 2, name, strlen(name));
	if (tsresol >= 0) {
		uint8_t v = tsresol;

		opt(b, 9, &v, 1);
	}
	if (tsoffset) {
		b16(b, 14);
		b16(b, 8);
		b64(b, (uint64_t)tsoffset);
	}
	if (name || tsresol >= 0 || tsoffset)
		opt_end(b);
	blk_end(b, at);
}

static void epb(struct bld *b, uint32_t iface, uint64_t ts, uint32_t caplen, uint32_t len,
		const void *data, uint32_t flags)
{
	size_t at = blk_begin(b, 6);

	b32(b, iface);
	b32(b, ts >> 32);
	b32(b, (uint32_t)ts);
	b32(b, caplen);
	b32(b, len);
	b_bytes(b, data, caplen);
	b_pad(b);
	if (flags) {
		b16(b, 2);
		b16(b, 4);
		b32(b, flags);
		opt_end(b);
	}
	blk_end(b, at);
}

static void pcap_hdr(struct bld *b, uint32_t magic, uint32_t snaplen, uint32_t linktype)
{
	b32(b, magic);
	b16(b, 2);
	b16(b, 4);
	b32(b, 0);
	b32(b, 0);
	b32(b, snaplen);
	b32(b, linktype);
}

static void pcap_rec(struct bld *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len,
		     const void *data)
{
	b32(b, sec);
	b32(b, frac);
	b32(b, caplen);
	b32(b, len);
	b_bytes(b, data, caplen);
}

static bool host_be(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 0;
}

static const uint8_t PAYLOAD[64] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!";

/* --------------------------------------------------------- flags */

static void test_flags(void)
{
	static const struct {
		unsigned int type;
		uint32_t flags;
	} map[] = {
		{ PACKET_HOST, PF_DIR_IN | PF_RX_UNICAST },
		{ PACKET_BROADCAST, PF_DIR_IN | PF_RX_BROADCAST },
		{ PACKET_MULTICAST, PF_DIR_IN | PF_RX_MULTICAST },
		{ PACKET_OTHERHOST, PF_DIR_IN | PF_RX_PROMISC },
		{ PACKET_OUTGOING, PF_DIR_OUT },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint32_t f = pf_flags_from_pkttype(map[i].type);

		CHECK(f == map[i].flags, "flags of packet type %u: 0x%x, want 0x%x", map[i].type, f,
		      map[i].flags);
		CHECK(pf_pkttype_from_flags(f) == map[i].type, "packet type of flags 0x%x: %u", f,
		      pf_pkttype_from_flags(f));
	}
	CHECK(pf_flags_from_pkttype(PACKET_LOOPBACK) == 0, "loopback has no flags");
	CHECK(pf_flags_from_pkttype(200) == 0, "unknown packet type has no flags");
	CHECK(pf_pkttype_from_flags(0) == PF_PKTTYPE_UNKNOWN, "no flags: unknown");
	CHECK(pf_pkttype_from_flags(PF_DIR_IN) == PACKET_HOST, "inbound only: host");
	CHECK(pf_pkttype_from_flags(3) == PF_PKTTYPE_UNKNOWN, "direction 3: unknown");
	CHECK(pf_pkttype_from_flags(PF_RX_BROADCAST) == PF_PKTTYPE_UNKNOWN,
	      "reception type without direction: unknown");
	CHECK(pf_pkttype_from_flags(PF_DIR_OUT | PF_RX_MULTICAST) == PACKET_OUTGOING,
	      "outbound wins over the reception type");
	CHECK(pf_pkttype_from_flags(PF_DIR_IN | 0xff000000u) == PACKET_HOST,
	      "error bits do not change the type");
}

/* ---------------------------------------------------- round trips */

#define NPK 200

struct sample {
	struct pf_packet p[NPK + 1];
	uint8_t *data[NPK + 1];
	unsigned int type[NPK + 1]; /* the Linux packet type behind p->flags */
	unsigned int n;
};

/*
 * Packets of many sizes (0, odd, one larger than the writer's buffer),
 * some cut short, timestamps with every digit used, every packet type,
 * spread over nifs interfaces.
 */
static void make_sample(struct sample *s, uint32_t nifs, bool big)
{
	uint32_t seed = 42;

	s->n = 0;
	for (unsigned int i = 0; i < NPK + (unsigned int)big; i++) {
		struct pf_packet *p = &s->p[i];
		uint32_t len = i == NPK ? PF_WRITER_BUF + 1000 : i == 0 ? 0 : lcg(&seed) % 3000;
		/* none, one or two comments, of every length modulo 4 */
		static const struct pf_comment notes[][2] = {
			{ { NULL, 0 } },
			{ { "sockcap: pid=1 comm=a uid=0", 27 } },
			{ { "x", 1 }, { "ab", 2 } },
			{ { "abc", 3 } },
			{ { "abcd", 4 }, { "", 0 } },
		};

		memset(p, 0, sizeof(*p));
		p->comments = notes[i % 5];
		p->ncomments = i % 5 == 0 ? 0 : i % 5 == 2 || i % 5 == 4 ? 2 : 1;

		p->len = len;
		p->caplen = i % 7 == 3 ? len / 2 : len;
		p->ts_ns = 1700000000123456789ull + i * 1000001001ull + (i % 3) * 7;
		p->iface = i % nifs;
		s->type[i] = i % 6; /* 5 is PACKET_LOOPBACK: no flags */
		p->flags = pf_flags_from_pkttype(s->type[i]);
		s->data[i] = malloc(p->caplen + 1);
		for (uint32_t j = 0; j < p->caplen; j++)
			s->data[i][j] = lcg(&seed);
		p->data = s->data[i];
		s->n++;
	}
}

static void free_sample(struct sample *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		free(s->data[i]);
}

/* Size of the record the writer makes for p. */
static size_t record_size(enum pf_format fmt, const struct pf_packet *p)
{
	size_t opts = p->flags ? 8 : 0;

	for (uint32_t c = 0; c < p->ncomments; c++)
		opts += 4 + ((p->comments[c].len + 3) & ~3u);

	if (fmt != PF_PCAPNG)
		return 16 + p->caplen;
	return 28 + ((p->caplen + 3) & ~3u) + (opts ? opts + 4 : 0) + 4;
}

static void compare_packets(const char *what, const struct sample *s, const struct got *g,
			    unsigned int n, enum pf_format fmt)
{
	for (unsigned int i = 0; i < n && i < g->n; i++) {
		const struct pf_packet *w = &s->p[i], *r = &g->p[i];
		uint64_t ts = fmt == PF_PCAP ? w->ts_ns / 1000 * 1000 : w->ts_ns;
		uint32_t flags = fmt == PF_PCAPNG ? w->flags : 0;
		uint32_t iface = fmt == PF_PCAPNG ? w->iface : 0;

		CHECK(r->ts_ns == ts, "%s packet %u: ts %llu, want %llu", what, i,
		      (unsigned long long)r->ts_ns, (unsigned long long)ts);
		CHECK(r->caplen == w->caplen && r->len == w->len,
		      "%s packet %u: caplen/len %u/%u, want %u/%u", what, i, r->caplen, r->len,
		      w->caplen, w->len);
		CHECK(r->iface == iface, "%s packet %u: interface %u, want %u", what, i, r->iface,
		      iface);
		CHECK(r->flags == flags, "%s packet %u: flags 0x%x, want 0x%x", what, i, r->flags,
		      flags);
		if (fmt == PF_PCAPNG)
			CHECK(pf_pkttype_from_flags(r->flags) == (s->type[i] == PACKET_LOOPBACK
									  ? PF_PKTTYPE_UNKNOWN
									  : s->type[i]),
			      "%s packet %u: packet type %u", what, i,
			      pf_pkttype_from_flags(r->flags));
		CHECK(r->caplen == w->caplen && !memcmp(r->data, w->data, w->caplen),
		      "%s packet %u: data differs", what, i);
		CHECK(r->ncomments == (fmt == PF_PCAPNG ? w->ncomments : 0),
		      "%s packet %u: %u comments, want %u", what, i, r->ncomments,
		      fmt == PF_PCAPNG ? w->ncomments : 0);
		for (uint32_t c = 0; c < r->ncomments && c < w->ncomments; c++)
			CHECK(r->comments[c].len == w->comments[c].len &&
				      !memcmp(r->comments[c].s, w->comments[c].s,
					      w->comments[c].len),
			      "%s packet %u: comment %u '%.*s', want '%s'", what, i, c,
			      (int)r->comments[c].len, r->comments[c].s, w->comments[c].s);
	}
}

static const struct pf_iface IFS[3] = {
	{ .name = "eth0", .linktype = PF_LINKTYPE_ETHERNET, .snaplen = 262144 },
	{ .name = "an-interface-name-that-is-much-longer-than-the-sixty-three-bytes-kept",
	  .linktype = PF_LINKTYPE_RAW,
	  .snaplen = 65535 },
	{ .name = NULL, .linktype = PF_LINKTYPE_LINUX_SLL2, .snaplen = 0 },
};

static void test_roundtrip(enum pf_format fmt, bool big)
{
	const struct pf_shb_info shb = { .hardware = "x86_64",
					 .os = "Linux 6.1",
					 .userappl = "test_pcapfile" };
	const struct pf_ifstats st = { .start_ns = 1, .end_ns = 2, .recv = 3, .drop = 4 };
	uint32_t nifs = fmt == PF_PCAPNG ? 3 : 1;
	char what[64];
	struct sample s;
	struct pf_writer w;
	struct got *g = calloc(1, sizeof(*g));
	char *path = temp_path();
	struct stat sb;
	uint64_t size;
	int fd, err;

	snprintf(what, sizeof(what), "round trip %s%s", fmt_name(fmt), big ? " (big)" : "");
	make_sample(&s, nifs, big);
	fd = open(path, O_WRONLY | O_TRUNC);
	err = pf_writer_open(&w, fd, fmt, &shb, IFS, nifs);
	CHECK(err == 0, "%s: open: %d", what, err);
	size = pf_writer_size(&w);
	/*
	 * pcapng: the SHB (28) with options of 4 + 8, 4 + 12, 4 + 16 and the
	 * end (4); IDBs (20) with if_name (4 + 4, 4 + 72, none), if_tsresol
	 * (8) and the end (4).
	 */
	CHECK(size == (fmt == PF_PCAPNG ? 28 + 12 + 16 + 20 + 4 + 3 * (20 + 8 + 4) + 8 + 76 : 24),
	      "%s: header size %llu", what, (unsigned long long)size);
	for (unsigned int i = 0; i < s.n; i++) {
		uint64_t before = pf_writer_size(&w);

		err = pf_write_packet(&w, &s.p[i]);
		CHECK(err == 0, "%s: packet %u: %d", what, i, err);
		CHECK(pf_writer_size(&w) - before == record_size(fmt, &s.p[i]),
		      "%s: packet %u: size grew by %llu, want %zu", what, i,
		      (unsigned long long)(pf_writer_size(&w) - before), record_size(fmt, &s.p[i]));
	}
	for (uint32_t i = 0; i < nifs; i++)
		CHECK(pf_write_stats(&w, i, &st) == 0, "%s: stats", what);
	CHECK(w.packets == s.n, "%s: %llu packets counted", what, (unsigned long long)w.packets);
	size = pf_writer_size(&w);
	err = pf_writer_close(&w);
	CHECK(err == 0, "%s: close: %d", what, err);
	CHECK(fstat(fd, &sb) == 0 && (uint64_t)sb.st_size == size,
	      "%s: file has %lld bytes, writer says %llu", what, (long long)sb.st_size,
	      (unsigned long long)size);
	close(fd);

	read_path(path, g);
	CHECK(g->open_rc == 0, "%s: reader open: %d %s", what, g->open_rc, g->r.errbuf);
	CHECK(g->rc == 0 && g->n == s.n, "%s: read %u of %u packets, then %d (%s)", what, g->n, s.n,
	      g->rc, g->r.errbuf);
	CHECK(g->r.fmt == fmt, "%s: format %d", what, g->r.fmt);
	CHECK(g->r.nifs == nifs, "%s: %u interfaces", what, g->r.nifs);
	CHECK(g->r.packets == s.n, "%s: reader counted %llu", what,
	      (unsigned long long)g->r.packets);
	if (fmt == PF_PCAPNG) {
		CHECK(!strcmp(g->r.ifs[0].name, "eth0"), "%s: name 0 '%s'", what, g->r.ifs[0].name);
		CHECK(strlen(g->r.ifs[1].name) == 63 && !strncmp(g->r.ifs[1].name, IFS[1].name, 63),
		      "%s: long name cut to 63: '%s'", what, g->r.ifs[1].name);
		CHECK(!strcmp(g->r.ifs[2].name, ""), "%s: no name: '%s'", what, g->r.ifs[2].name);
		for (uint32_t i = 0; i < nifs; i++)
			CHECK(g->r.ifs[i].linktype == IFS[i].linktype &&
				      g->r.ifs[i].snaplen == IFS[i].snaplen &&
				      g->r.ifs[i].units == 1000000000,
			      "%s: interface %u: linktype %u snaplen %u units %llu", what, i,
			      g->r.ifs[i].linktype, g->r.ifs[i].snaplen,
			      (unsigned long long)g->r.ifs[i].units);
	} else {
		CHECK(!strcmp(g->r.ifs[0].name, "") && g->r.ifs[0].linktype == 1 &&
			      g->r.ifs[0].snaplen == 262144,
		      "%s: interface '%s' %u %u", what, g->r.ifs[0].name, g->r.ifs[0].linktype,
		      g->r.ifs[0].snaplen);
	}
	compare_packets(what, &s, g, s.n, fmt);
	CHECK(g->again == 0, "%s: a read after the end: %d", what, g->again);
	got_free(g);
	free_sample(&s);
	unlink(path);
	free(path);
	free(g);
}

/* No section header options at all, no interfaces: still a valid file. */
static void test_minimal_pcapng(void)
{
	char *path = temp_path();
	struct got *g = calloc(1, sizeof(*g));
	struct pf_writer w;
	int fd = open(path, O_WRONLY | O_TRUNC);
	const struct pf_packet p = { .caplen = 0, .len = 0 };

	CHECK(pf_writer_open(&w, fd, PF_PCAPNG, NULL, NULL, 0) == 0, "pcapng without interfaces");
	CHECK(pf_writer_size(&w) == 28, "bare SHB is 28 bytes: %llu",
	      (unsigned long long)pf_writer_size(&w));
	CHECK(pf_write_packet(&w, &p) == -EINVAL, "packet without interfaces refused");
	CHECK(pf_writer_close(&w) == 0, "close");
	close(fd);
	read_path(path, g);
	CHECK(g->open_rc == 0 && g->rc == 0 && g->n == 0 && g->r.nifs == 0,
	      "bare SHB reads as empty: %d %d %u", g->open_rc, g->rc, g->n);
	unlink(path);
	free(path);
	free(g);
}

/* Every interface the reader allows, written and read back. */
static void test_many_interfaces(void)
{
	static struct pf_iface ifs[PF_MAX_IFACES];
	static char names[PF_MAX_IFACES][16];
	char *path = temp_path();
	struct got *g = calloc(1, sizeof(*g));
	struct pf_writer w;
	int fd = open(path, O_WRONLY | O_TRUNC);

	for (int i = 0; i < PF_MAX_IFACES; i++) {
		snprintf(names[i], sizeof(names[i]), "if%d", i);
		ifs[i] = (struct pf_iface){ .name = names[i], .linktype = i, .snaplen = i };
	}
	CHECK(pf_writer_open(&w, fd, PF_PCAPNG, NULL, ifs, PF_MAX_IFACES) == 0, "256 interfaces");
	for (uint32_t i = 0; i < PF_MAX_IFACES; i += 51) {
		struct pf_packet p = {
			.ts_ns = i, .caplen = 4, .len = 4, .iface = i, .data = PAYLOAD
		};

		CHECK(pf_write_packet(&w, &p) == 0, "packet on interface %u", i);
	}
	CHECK(pf_writer_close(&w) == 0, "close");
	close(fd);
	read_path(path, g);
	CHECK(g->rc == 0 && g->n == 6 && g->r.nifs == PF_MAX_IFACES, "256 interfaces: %d %u %u %s",
	      g->rc, g->n, g->r.nifs, g->r.errbuf);
	for (unsigned int i = 0; i < g->n; i++)
		CHECK(g->p[i].iface == i * 51 && !strcmp(g->r.ifs[i * 51].name, names[i * 51]) &&
			      g->r.ifs[i * 51].linktype == i * 51,
		      "packet %u on interface %u '%s'", i, g->p[i].iface,
		      g->r.ifs[g->p[i].iface].name);
	got_free(g);
	unlink(path);
	free(path);
	free(g);
}

/* ------------------------------------------- truncation everywhere */

/*
 * Record ends of a file: after the header, then after every record (swap:
 * a classic pcap file in the other byte order; pcapng sections say theirs).
 */
static unsigned int boundaries(const uint8_t *d, size_t n, bool ng, bool swap, size_t *out,
			       bool *is_pkt, unsigned int max)
{
	unsigned int k = 0;
	size_t at = ng ? 0 : 24, rec = 16;

	/* modified pcap: 8 more bytes in every record header */
	if (!ng && n >= 4 &&
	    (!memcmp(d, "\x34\xcd\xb2\xa1", 4) || !memcmp(d, "\xa1\xb2\xcd\x34", 4)))
		rec = 24;
	if (!ng)
		out[k] = 24, is_pkt[k++] = false;
	while (at < n && k < max) {
		uint32_t v;

		if (ng && at + 12 <= n && !memcmp(d + at, "\x0a\x0d\x0d\x0a", 4)) {
			uint32_t bom;

			memcpy(&bom, d + at + 8, 4); /* each section has its byte order */
			swap = bom != 0x1a2b3c4d;
		}
		memcpy(&v, d + at + (ng ? 4 : 8), 4);
		if (swap)
			v = __builtin_bswap32(v);
		if (ng) {
			uint32_t type;

			memcpy(&type, d + at, 4);
			if (swap)
				type = __builtin_bswap32(type);
			is_pkt[k] = type == 6 || type == 3 || type == 2; /* EPB, SPB, PB */
			at += v;
		} else {
			is_pkt[k] = true;
			at += rec + v;
		}
		out[k++] = at;
	}
	return k;
}

/*
 * Cut d at every length: the reader must return exactly the packets that
 * are complete, then 0 if the cut is on a record boundary and an error
 * otherwise; opening fails only when the first record is incomplete.
 */
static void sweep_truncation(const char *what, const uint8_t *d, size_t n, bool ng, bool swap,
			     const struct sample *s, enum pf_format fmt)
{
	static size_t ends[4 * MAXP];
	static bool is_pkt[4 * MAXP];
	unsigned int nb = boundaries(d, n, ng, swap, ends, is_pkt, 4 * MAXP);
	struct got *g = calloc(1, sizeof(*g));
	unsigned int bad = 0;

	CHECK(nb > 0 && ends[nb - 1] == n, "%s: records do not add up to the file", what);
	for (size_t cut = 0; cut <= n && bad < 5; cut++) {
		unsigned int want = 0, k;
		bool boundary = false;

		for (k = 0; k < nb && ends[k] <= cut; k++) {
			want += is_pkt[k];
			boundary |= ends[k] == cut;
		}
		read_mem(d, cut, g);
		if (cut < ends[0]) {
			checks++;
			if (g->open_rc >= 0 || !g->r.errbuf[0]) {
				printf("FAIL %s cut at %zu: open %d '%s'\n", what, cut, g->open_rc,
				       g->r.errbuf);
				failures++;
				bad++;
			}
			got_free(g);
			continue;
		}
		checks++;
		if (g->open_rc || g->n != want || (boundary ? g->rc != 0 : g->rc >= 0) ||
		    (g->rc < 0 && !g->r.errbuf[0])) {
			printf("FAIL %s cut at %zu/%zu: open %d, %u packets (want %u), then %d "
			       "'%s'\n",
			       what, cut, n, g->open_rc, g->n, want, g->rc, g->r.errbuf);
			failures++;
			bad++;
		}
		if (s)
			compare_packets(what, s, g, g->n, fmt);
		got_free(g);
	}
	free(g);
}

static void test_truncation(enum pf_format fmt)
{
	const struct pf_ifstats st = { .start_ns = 5, .end_ns = 6, .recv = 7 };
	uint32_t nifs = fmt == PF_PCAPNG ? 2 : 1;
	struct sample s;
	struct pf_writer w;
	char *path = temp_path();
	char what[64];
	uint8_t *d;
	size_t n;
	int fd = open(path, O_WRONLY | O_TRUNC);

	snprintf(what, sizeof(what), "truncated %s", fmt_name(fmt));
	make_sample(&s, nifs, false);
	s.n = 12; /* enough for every kind of record, few enough for every cut */
	for (unsigned int i = 12; i < NPK; i++)
		free(s.data[i]);
	for (unsigned int i = 0; i < s.n; i++) /* keep the file small */
		s.p[i].len = s.p[i].caplen = s.p[i].caplen % 40;
	s.p[3].len = 40;
	s.p[3].caplen = 5;
	pf_writer_open(&w, fd, fmt, &(struct pf_shb_info){ .os = "x" }, IFS, nifs);
	for (unsigned int i = 0; i < s.n; i++) {
		pf_write_packet(&w, &s.p[i]);
		if (i == 5)
			pf_write_stats(&w, 1 % nifs, &st);
	}
	CHECK(pf_writer_close(&w) == 0, "%s: write", what);
	close(fd);
	d = slurp(path, &n);
	sweep_truncation(what, d, n, fmt == PF_PCAPNG, false, &s, fmt);
	free(d);
	free_sample(&s);
	unlink(path);
	free(path);
}

/* ------------------------------------------------- foreign files */

/* Classic pcap in the other byte order, both magics, FCS bits in linktype. */
static void test_swapped_pcap(void)
{
	static struct bld b;
	struct got *g = calloc(1, sizeof(*g));

	for (int ns = 0; ns < 2; ns++) {
		for (int be = 0; be < 2; be++) {
			b.len = 0;
			b.be = be;
			pcap_hdr(&b, ns ? 0xa1b23c4d : 0xa1b2c3d4, 96, 0x14000001u);
			pcap_rec(&b, 1700000000, ns ? 999999999 : 999999, 10, 20, PAYLOAD);
			pcap_rec(&b, 0xffffffffu, 1, 0, 0, PAYLOAD);
			read_mem(b.d, b.len, g);
			CHECK(g->open_rc == 0 && g->rc == 0 && g->n == 2,
			      "pcap %s-endian ns=%d: %d %d %u %s", be ? "big" : "little", ns,
			      g->open_rc, g->rc, g->n, g->r.errbuf);
			CHECK(g->r.swapped == (be != host_be()), "pcap swapped flag");
			CHECK(g->r.fmt == (ns ? PF_PCAP_NS : PF_PCAP), "pcap format %d", g->r.fmt);
			CHECK(g->r.ifs[0].linktype == 1 && g->r.ifs[0].snaplen == 96,
			      "pcap linktype %u (FCS bits masked), snaplen %u",
			      g->r.ifs[0].linktype, g->r.ifs[0].snaplen);
			if (g->n == 2) {
				CHECK(g->p[0].ts_ns == (ns ? 1700000000999999999ull
							   : 1700000000999999000ull),
				      "pcap ts %llu", (unsigned long long)g->p[0].ts_ns);
				CHECK(g->p[0].caplen == 10 && g->p[0].len == 20 &&
					      !memcmp(g->p[0].data, PAYLOAD, 10),
				      "pcap packet");
				CHECK(g->p[1].ts_ns == 0xffffffffull * 1000000000 + (ns ? 1 : 1000),
				      "pcap ts of 2106: %llu", (unsigned long long)g->p[1].ts_ns);
			}
			got_free(g);
			sweep_truncation("swapped pcap", b.d, b.len, false, be != host_be(), NULL,
					 PF_PCAP);
		}
	}
	free(g);
}

/* A modified pcap record: the classic header, then what recvfrom() said. */
static void mod_rec(struct bld *b, uint32_t sec, uint32_t usec, uint32_t caplen, uint32_t len,
		    uint32_t ifindex, uint16_t protocol, uint8_t pkttype, const void *data)
{
	uint8_t tail[2] = { pkttype, 0xee }; /* the padding byte means nothing */

	b32(b, sec);
	b32(b, usec);
	b32(b, caplen);
	b32(b, len);
	b32(b, ifindex);
	b16(b, protocol);
	b_bytes(b, tail, 2);
	b_bytes(b, data, caplen);
}

/*
 * Modified pcap (magic 0xa1b2cd34), as libpcap reads it: 24-byte record
 * headers, microseconds, and an Ethernet file's snap length 14 larger. The
 * packet type gives the direction, unless the interface index is 0 (the
 * writer knew nothing: editcap writes zeros) or the type has none.
 */
static void test_modified_pcap(void)
{
	static const struct {
		uint32_t ifindex;
		uint8_t pkttype;
		uint32_t flags;
	} recs[] = {
		{ 2, PACKET_HOST, PF_DIR_IN | PF_RX_UNICAST },
		{ 2, PACKET_OUTGOING, PF_DIR_OUT },
		{ 7, PACKET_BROADCAST, PF_DIR_IN | PF_RX_BROADCAST },
		{ 7, PACKET_MULTICAST, PF_DIR_IN | PF_RX_MULTICAST },
		{ 2, PACKET_OTHERHOST, PF_DIR_IN | PF_RX_PROMISC },
		{ 0, PACKET_OUTGOING, 0 }, /* no interface: nothing known */
		{ 0, PACKET_HOST, 0 },	   /* editcap's zeros */
		{ 2, PACKET_LOOPBACK, 0 }, /* no direction */
		{ 2, 200, 0 },		   /* not a packet type */
		{ 0xffffffffu, PACKET_OUTGOING, PF_DIR_OUT },
	};
	const unsigned int nrecs = sizeof(recs) / sizeof(recs[0]);
	static struct bld b;
	struct got *g = calloc(1, sizeof(*g));

	for (int be = 0; be < 2; be++) {
		b.len = 0;
		b.be = be;
		pcap_hdr(&b, 0xa1b2cd34u, 96, 1);
		for (unsigned int i = 0; i < nrecs; i++)
			mod_rec(&b, 1700000000 + i, 999999 - i, i == 3 ? 0 : 10 + i, 60 + i,
				recs[i].ifindex, 0x0008, recs[i].pkttype, PAYLOAD + i);
		read_mem(b.d, b.len, g);
		CHECK(g->open_rc == 0 && g->rc == 0 && g->n == nrecs,
		      "modified pcap %s-endian: %d %d %u '%s'", be ? "big" : "little", g->open_rc,
		      g->rc, g->n, g->r.errbuf);
		CHECK(g->r.fmt == PF_PCAP && g->r.modified, "modified pcap: format %d, modified %d",
		      g->r.fmt, g->r.modified);
		CHECK(g->r.swapped == (be != host_be()), "modified pcap: swapped flag");
		CHECK(g->r.nifs == 1 && g->r.ifs[0].linktype == 1 && g->r.ifs[0].snaplen == 110,
		      "modified pcap: linktype %u, snaplen %u (96 + 14)", g->r.ifs[0].linktype,
		      g->r.ifs[0].snaplen);
		for (unsigned int i = 0; i < g->n && i < nrecs; i++) {
			uint32_t caplen = i == 3 ? 0 : 10 + i;

			CHECK(g->p[i].ts_ns ==
				      (1700000000ull + i) * 1000000000 + (999999ull - i) * 1000,
			      "modified pcap: packet %u: ts %llu", i,
			      (unsigned long long)g->p[i].ts_ns);
			CHECK(g->p[i].caplen == caplen && g->p[i].len == 60 + i &&
				      !memcmp(g->p[i].data, PAYLOAD + i, caplen),
			      "modified pcap: packet %u: caplen %u, len %u or data", i,
			      g->p[i].caplen, g->p[i].len);
			CHECK(g->p[i].iface == 0 && g->p[i].flags == recs[i].flags,
			      "modified pcap: packet %u (ifindex %u, type %u): iface %u, flags "
			      "0x%x "
			      "(want 0x%x)",
			      i, recs[i].ifindex, recs[i].pkttype, g->p[i].iface, g->p[i].flags,
			      recs[i].flags);
		}
		got_free(g);
		sweep_truncation("modified pcap", b.d, b.len, false, be != host_be(), NULL,
				 PF_PCAP);
	}

	/* other link types keep their snap length, and 0 (none) stays 0 */
	for (int lt = 0; lt < 2; lt++) {
		b.len = 0;
		b.be = host_be();
		pcap_hdr(&b, 0xa1b2cd34u, lt ? 0 : 96, lt ? 1 : 113);
		mod_rec(&b, 1, 2, 16, 16, 3, 0x0008, PACKET_HOST, PAYLOAD);
		read_mem(b.d, b.len, g);
		CHECK(g->open_rc == 0 && g->n == 1 && g->rc == 0 &&
			      g->r.ifs[0].snaplen == (lt ? 0u : 96u) &&
			      g->p[0].flags == (PF_DIR_IN | PF_RX_UNICAST),
		      "modified pcap, link type %u, snaplen %d: %d %u %d, snaplen %u, flags 0x%x",
		      lt ? 1 : 113, lt ? 0 : 96, g->open_rc, g->n, g->rc, g->r.ifs[0].snaplen,
		      g->n ? g->p[0].flags : 0);
		got_free(g);
	}

	/* a record header cut short: the packet before it, then an error */
	b.len = 0;
	b.be = host_be();
	pcap_hdr(&b, 0xa1b2cd34u, 96, 1);
	mod_rec(&b, 1, 2, 16, 16, 3, 0x0008, PACKET_HOST, PAYLOAD);
	mod_rec(&b, 1, 2, 16, 16, 3, 0x0008, PACKET_HOST, PAYLOAD);
	read_mem(b.d, b.len - 16 - 4, g);
	CHECK(g->open_rc == 0 && g->n == 1 && g->rc == -EINVAL && strstr(g->r.errbuf, "truncated"),
	      "modified pcap cut in a record header: %d %u %d '%s'", g->open_rc, g->n, g->rc,
	      g->r.errbuf);
	got_free(g);
	free(g);
}

/* pcapng in both byte orders, timestamp resolutions and offsets. */
static void test_swapped_pcapng(void)
{
	static struct bld b;
	struct got *g = calloc(1, sizeof(*g));

	for (int be = 0; be < 2; be++) {
		b.len = 0;
		b.be = be;
		shb(&b);
		idb(&b, 1, 0, "ms", 3, 0);	      /* milliseconds */
		idb(&b, 101, 128, "bin", 0x8a, 1000); /* 1/1024 s, 1000 s later */
		idb(&b, 113, 0, NULL, -1, -5);	      /* microseconds by default */
		idb(&b, 1, 0, "s", 0, 0);	      /* seconds */
		idb(&b, 1, 0, "2^-127", 0xff, 0);     /* finer than 64 bits hold */
		idb(&b, 1, 0, "10^-25", 25, 0);	      /* finer than 64 bits hold */
		epb(&b, 0, 1700000000123ull, 3, 3, PAYLOAD, PF_DIR_OUT);
		epb(&b, 1, 5 * 1024 + 512, 7, 9, PAYLOAD, PF_DIR_IN | PF_RX_BROADCAST);
		epb(&b, 2, 1500001, 0, 0, PAYLOAD, 0);
		epb(&b, 2, 1, 0, 0, PAYLOAD, 0);	  /* before the epoch after the offset */
		epb(&b, 3, UINT64_MAX, 0, 0, PAYLOAD, 0); /* beyond 2554 */
		epb(&b, 4, UINT64_MAX, 1, 1, PAYLOAD, 0);
		epb(&b, 5, UINT64_MAX, 1, 1, PAYLOAD, 0);
		read_mem(b.d, b.len, g);
		CHECK(g->open_rc == 0 && g->rc == 0 && g->n == 7, "pcapng %s-endian: %d %d %u %s",
		      be ? "big" : "little", g->open_rc, g->rc, g->n, g->r.errbuf);
		CHECK(g->r.swapped == (be != host_be()), "pcapng swapped flag");
		CHECK(g->r.nifs == 6 && !strcmp(g->r.ifs[1].name, "bin") &&
			      g->r.ifs[1].linktype == 101 && g->r.ifs[1].snaplen == 128 &&
			      g->r.ifs[1].units == 1024 && g->r.ifs[1].offset_s == 1000 &&
			      g->r.ifs[0].units == 1000 && g->r.ifs[2].units == 1000000 &&
			      g->r.ifs[2].offset_s == -5,
		      "pcapng interfaces");
		if (g->n == 7) {
			CHECK(g->p[0].ts_ns == 1700000000123000000ull &&
				      g->p[0].flags == PF_DIR_OUT && g->p[0].caplen == 3 &&
				      !memcmp(g->p[0].data, PAYLOAD, 3),
			      "ms packet: %llu", (unsigned long long)g->p[0].ts_ns);
			CHECK(g->p[1].ts_ns == 1005500000000ull && g->p[1].iface == 1 &&
				      g->p[1].flags == (PF_DIR_IN | PF_RX_BROADCAST) &&
				      g->p[1].caplen == 7 && g->p[1].len == 9,
			      "2^-10 packet with offset: %llu", (unsigned long long)g->p[1].ts_ns);
			CHECK(g->p[2].ts_ns == 0 && g->p[3].ts_ns == 0,
			      "negative times clamp to 0: %llu %llu",
			      (unsigned long long)g->p[2].ts_ns, (unsigned long long)g->p[3].ts_ns);
			CHECK(g->p[4].ts_ns == UINT64_MAX, "huge seconds clamp: %llu",
			      (unsigned long long)g->p[4].ts_ns);
			/* (2^64 - 1) / 2^63 s: 1 s and 999999999.9... ns */
			CHECK(g->p[5].ts_ns == 1999999999, "2^-127 is taken as 2^-63: %llu",
			      (unsigned long long)g->p[5].ts_ns);
			CHECK(g->p[6].ts_ns == 1844674407, "10^-25 is taken as 10^-19: %llu",
			      (unsigned long long)g->p[6].ts_ns);
		}
		got_free(g);
		sweep_truncation("swapped pcapng", b.d, b.len, true, be != host_be(), NULL,
				 PF_PCAPNG);
	}
	free(g);
}

/*
 * Simple Packet Blocks, the obsolete Packet Block and blocks the reader
 * does not need, in the other byte order.
 */
static void test_other_blocks(void)
{
	static struct bld b;
	struct got *g = calloc(1, sizeof(*g));
	size_t at;

	b.len = 0;
	b.be = !host_be();
	shb(&b);
	at = blk_begin(&b, 4); /* name resolution */
	b16(&b, 1);
	b16(&b, 6);
	b_bytes(&b, "\x7f\x00\x00\x01x\0", 6);
	b_pad(&b);
	b32(&b, 0);
	blk_end(&b, at);
	idb(&b, 1, 8, "spb", 9, 0);
	at = blk_begin(&b, 3); /* SPB, cut by the snap length */
	b32(&b, 100);
	b_bytes(&b, PAYLOAD, 12);
	blk_end(&b, at);
	at = blk_begin(&b, 3); /* SPB, 3 bytes and padding */
	b32(&b, 3);
	b_bytes(&b, PAYLOAD, 3);
	b_pad(&b);
	blk_end(&b, at);
	at = blk_begin(&b, 5); /* statistics */
	b32(&b, 0);
	b64(&b, 0);
	blk_end(&b, at);
	at = blk_begin(&b, 0x00000bad); /* custom */
	b32(&b, 32473);
	blk_end(&b, at);
	at = blk_begin(&b, 0x80000001); /* local use */
	blk_end(&b, at);
	at = blk_begin(&b, 2); /* obsolete Packet Block */
	b16(&b, 0);
	b16(&b, 17); /* drops */
	b32(&b, 0);
	b32(&b, 1234567890);
	b32(&b, 5);
	b32(&b, 60);
	b_bytes(&b, PAYLOAD, 5);
	b_pad(&b);
	b16(&b, 2);
	b16(&b, 4);
	b32(&b, PF_DIR_OUT);
	opt_end(&b);
	blk_end(&b, at);
	read_mem(b.d, b.len, g);
	CHECK(g->open_rc == 0 && g->rc == 0 && g->n == 3, "other blocks: %d %d %u %s", g->open_rc,
	      g->rc, g->n, g->r.errbuf);
	if (g->n == 3) {
		CHECK(g->p[0].caplen == 8 && g->p[0].len == 100 && g->p[0].ts_ns == 0 &&
			      !memcmp(g->p[0].data, PAYLOAD, 8),
		      "SPB cut by the snap length: %u/%u", g->p[0].caplen, g->p[0].len);
		CHECK(g->p[1].caplen == 3 && g->p[1].len == 3 && !memcmp(g->p[1].data, PAYLOAD, 3),
		      "SPB with padding: %u/%u", g->p[1].caplen, g->p[1].len);
		CHECK(g->p[2].caplen == 5 && g->p[2].len == 60 && g->p[2].ts_ns == 1234567890 &&
			      g->p[2].flags == PF_DIR_OUT && g->p[2].iface == 0 &&
			      !memcmp(g->p[2].data, PAYLOAD, 5),
		      "obsolete PB: %u/%u ts %llu flags %x", g->p[2].caplen, g->p[2].len,
		      (unsigned long long)g->p[2].ts_ns, g->p[2].flags);
	}
	got_free(g);
	sweep_truncation("other blocks", b.d, b.len, true, b.be != host_be(), NULL, PF_PCAPNG);
	free(g);
}

/* A second section, in the other byte order, forgets the interfaces. */
static void test_sections(void)
{
	static struct bld b1, b2;
	struct got *g = calloc(1, sizeof(*g));

	b1.be = host_be();
	shb(&b1);
	idb(&b1, 1, 0, "first-a", -1, 0);
	idb(&b1, 1, 0, "first-b", -1, 0);
	epb(&b1, 1, 1000000, 4, 4, PAYLOAD, 0);
	b2.be = !host_be();
	shb(&b2);
	idb(&b2, 101, 0, "second", 9, 0);
	epb(&b2, 0, 2000000000, 4, 4, PAYLOAD + 4, PF_DIR_IN);
	b_bytes(&b1, b2.d, b2.len);
	read_mem(b1.d, b1.len, g);
	CHECK(g->open_rc == 0 && g->rc == 0 && g->n == 2, "two sections: %d %d %u %s", g->open_rc,
	      g->rc, g->n, g->r.errbuf);
	CHECK(g->r.nifs == 1 && !strcmp(g->r.ifs[0].name, "second") && g->r.ifs[0].linktype == 101,
	      "second section's interfaces: %u '%s'", g->r.nifs, g->r.ifs[0].name);
	if (g->n == 2)
		CHECK(g->p[0].iface == 1 && g->p[0].ts_ns == 1000000000 && g->p[1].iface == 0 &&
			      g->p[1].ts_ns == 2000000000 && !memcmp(g->p[1].data, PAYLOAD + 4, 4),
		      "packets of both sections");
	got_free(g);
	sweep_truncation("two sections", b1.d, b1.len, true, false, NULL, PF_PCAPNG);

	/* interface 1 of the first section is gone in the second */
	b1.be = b2.be;
	epb(&b1, 1, 0, 0, 0, PAYLOAD, 0);
	read_mem(b1.d, b1.len, g);
	CHECK(g->n == 2 && g->rc == -EINVAL && strstr(g->r.errbuf, "interface 1 not described"),
	      "old interface after a new section: %u %d '%s'", g->n, g->rc, g->r.errbuf);
	got_free(g);
	free(g);
}

/* ---------------------------------------------------- hostile input */

/*
 * A valid section with one interface and one packet, then `bad`: the
 * packet, and npk - 1 more in `bad`, must come out, then an error naming
 * the problem (-EINVAL), and the same error again on the next call.
 */
static void expect_bad_n(const char *what, const struct bld *bad, const char *msg, unsigned int npk)
{
	static struct bld b;
	struct got *g = calloc(1, sizeof(*g));
	struct pf_packet p;

	b.len = 0;
	b.be = bad->be;
	shb(&b);
	idb(&b, 1, 0, "x", -1, 0);
	epb(&b, 0, 0, 1, 1, PAYLOAD, 0);
	b_bytes(&b, bad->d, bad->len);
	read_mem(b.d, b.len, g);
	CHECK(g->open_rc == 0 && g->n == npk && g->rc == -EINVAL && strstr(g->r.errbuf, msg),
	      "%s: %d, %u packets, then %d '%s' (want '%s')", what, g->open_rc, g->n, g->rc,
	      g->r.errbuf, msg);
	CHECK(pf_read_packet(&g->r, &p) == g->rc, "%s: the error sticks", what);
	got_free(g);
	free(g);
}

static void expect_bad(const char *what, const struct bld *bad, const char *msg)
{
	expect_bad_n(what, bad, msg, 1);
}

static void expect_open_fails(const char *what, const uint8_t *d, size_t n, const char *msg)
{
	struct got *g = calloc(1, sizeof(*g));

	read_mem(d, n, g);
	CHECK(g->open_rc == -EINVAL && strstr(g->r.errbuf, msg), "%s: open %d '%s' (want '%s')",
	      what, g->open_rc, g->r.errbuf, msg);
	free(g);
}

static void test_hostile(void)
{
	static struct bld b;
	size_t at;

	for (int be = 0; be < 2; be++) {
		b.be = be;

		b.len = 0;
		b32(&b, 6);
		b32(&b, 0xfffffff0u);
		expect_bad("huge block", &b, "block too large");

		b.len = 0;
		b32(&b, 6);
		b32(&b, (16u << 20) + 4);
		expect_bad("block over 16 MiB", &b, "block too large");

		b.len = 0;
		at = blk_begin(&b, 0x1234);
		b16(&b, 0);
		blk_end(&b, at); /* 14 bytes */
		expect_bad("length not a multiple of 4", &b, "bad block length 14");

		b.len = 0;
		b32(&b, 6);
		b32(&b, 8);
		b32(&b, 8);
		expect_bad("length below 12", &b, "bad block length 8");

		b.len = 0;
		at = blk_begin(&b, 6);
		b32(&b, 0);
		b64(&b, 0);
		b32(&b, 9); /* caplen beyond the 8 bytes there */
		b32(&b, 9);
		b64(&b, 0);
		blk_end(&b, at);
		expect_bad("caplen beyond the block", &b, "captured length 9 exceeds its block");

		b.len = 0;
		at = blk_begin(&b, 6);
		b32(&b, 0);
		blk_end(&b, at);
		expect_bad("EPB too short", &b, "packet block too short");

		b.len = 0;
		epb(&b, 3, 0, 1, 1, PAYLOAD, 0);
		expect_bad("interface out of range", &b, "interface 3 not described");

		b.len = 0;
		epb(&b, 0, 0, 4, 4, PAYLOAD, 0);
		b.d[b.len - 1] ^= 0x40;
		expect_bad("trailing length differs", &b, "block length mismatch");

		b.len = 0;
		at = blk_begin(&b, 1);
		b16(&b, 1);
		b16(&b, 0);
		b32(&b, 0);
		b16(&b, 2);
		b16(&b, 200); /* if_name longer than the block */
		b32(&b, 0);
		blk_end(&b, at);
		expect_bad("option past the block", &b, "runs past its block");

		b.len = 0;
		at = blk_begin(&b, 1);
		b16(&b, 1);
		b16(&b, 0);
		blk_end(&b, at);
		expect_bad("IDB too short", &b, "interface description block too short");

		b.len = 0;
		at = blk_begin(&b, 3);
		blk_end(&b, at);
		expect_bad("SPB too short", &b, "simple packet block too short");

		b.len = 0;
		for (int i = 1; i < PF_MAX_IFACES; i++)
			idb(&b, 1, 0, NULL, -1, 0);
		epb(&b, PF_MAX_IFACES - 1, 0, 1, 1, PAYLOAD, 0);
		idb(&b, 1, 0, NULL, -1, 0);
		expect_bad_n("257 interfaces", &b, "too many interfaces (more than 256)", 2);

		b.len = 0;
		at = blk_begin(&b, 0x0a0d0d0a);
		b32(&b, 0x1a2b3c4d);
		b16(&b, 2);
		b16(&b, 0);
		b64(&b, 0);
		blk_end(&b, at);
		expect_bad("pcapng 2.0 section", &b, "unsupported pcapng version 2.0");

		b.len = 0;
		at = blk_begin(&b, 0x0a0d0d0a);
		b32(&b, 0x1a2b3c4e);
		b16(&b, 1);
		b16(&b, 0);
		b64(&b, 0);
		blk_end(&b, at);
		expect_bad("bad byte-order magic", &b, "bad byte-order magic");

		b.len = 0;
		at = blk_begin(&b, 0x0a0d0d0a);
		b32(&b, 0x1a2b3c4d);
		blk_end(&b, at);
		expect_bad("short section header", &b, "bad block length 16");

		/* the same problems in the first section header */
		b.len = 0;
		at = blk_begin(&b, 0x0a0d0d0a);
		b32(&b, 0x1a2b3c4d);
		b16(&b, 1);
		b16(&b, 0);
		b64(&b, 0);
		b.len += 64; /* garbage the reader must not get to */
		b32(&b, 0);
		b_set32(&b, at + 4, 0x7ffffff0u);
		expect_open_fails("huge section header", b.d, b.len, "block too large");

		b.len = 0;
		pcap_hdr(&b, 0xa1b2c3d4, 65535, 1);
		pcap_rec(&b, 0, 0, 1, 1, PAYLOAD);
		b32(&b, 0);
		b32(&b, 0);
		b32(&b, 0x7fffffffu);
		b32(&b, 0x7fffffffu);
		{
			struct got *g = calloc(1, sizeof(*g));

			read_mem(b.d, b.len, g);
			CHECK(g->open_rc == 0 && g->n == 1 && g->rc == -EINVAL &&
				      strstr(g->r.errbuf, "packet too large"),
			      "pcap caplen 2^31-1: %u %d '%s'", g->n, g->rc, g->r.errbuf);
			got_free(g);
			free(g);
		}

		b.len = 0;
		pcap_hdr(&b, 0xa1b2c3d4, 65535, 1);
		b_set32(&b, 4, be ? 0x00010000 : 0x00000001); /* version 1.0 */
		expect_open_fails("pcap version 1", b.d, b.len, "unsupported pcap version");
	}
	expect_open_fails("text", (const uint8_t *)"hello, world\n", 13,
			  "not a pcap or pcapng file");
	expect_open_fails("empty", (const uint8_t *)"", 0, "empty file");
	expect_open_fails("three bytes", (const uint8_t *)"\xd4\xc3\xb2", 3,
			  "not a pcap or pcapng file");
	{
		struct pf_reader r;
		FILE *dir = fopen("/", "r"); /* opens, but reading fails */

		CHECK(pf_reader_open(&r, NULL) == -EINVAL, "no stream");
		pf_reader_close(&r);
		if (dir) {
			CHECK(pf_reader_open(&r, dir) == -EIO && strstr(r.errbuf, "read error"),
			      "read error: '%s'", r.errbuf);
			pf_reader_close(&r);
			fclose(dir);
		}
	}
}

/* ----------------------------------------------------- write errors */

static void test_bad_arguments(void)
{
	const struct pf_packet ok = { .caplen = 4, .len = 4, .data = PAYLOAD };
	struct pf_packet p;
	struct pf_writer w;
	int fd = open("/dev/null", O_WRONLY);

	CHECK(pf_writer_open(&w, fd, PF_PCAP, NULL, IFS, 2) == -EINVAL, "pcap with 2 interfaces");
	pf_writer_close(&w);
	CHECK(pf_writer_open(&w, fd, PF_PCAP_NS, NULL, IFS, 0) == -EINVAL,
	      "pcap without interface");
	pf_writer_close(&w);
	CHECK(pf_writer_open(&w, fd, (enum pf_format)7, NULL, IFS, 1) == -EINVAL, "bad format");
	pf_writer_close(&w);
	CHECK(pf_writer_open(&w, -1, PF_PCAP, NULL, IFS, 1) == -EINVAL, "bad fd");
	pf_writer_close(&w);
	CHECK(pf_writer_open(&w, fd, PF_PCAPNG, NULL, NULL, 2) == -EINVAL, "no interface array");
	pf_writer_close(&w);

	for (int fmt = PF_PCAP; fmt <= PF_PCAPNG; fmt++) {
		CHECK(pf_writer_open(&w, fd, fmt, NULL, IFS, fmt == PF_PCAPNG ? 2 : 1) == 0,
		      "open");
		p = ok;
		p.iface = fmt == PF_PCAPNG ? 2 : 1;
		CHECK(pf_write_packet(&w, &p) == -EINVAL, "%s: interface out of range",
		      fmt_name(fmt));
		p = ok;
		p.len = 3;
		CHECK(pf_write_packet(&w, &p) == -EINVAL, "%s: caplen > len", fmt_name(fmt));
		p = ok;
		p.caplen = p.len = 0x80000000u;
		CHECK(pf_write_packet(&w, &p) == -EINVAL, "%s: caplen 2^31", fmt_name(fmt));
		p = ok;
		p.data = NULL;
		CHECK(pf_write_packet(&w, &p) == -EINVAL, "%s: no data", fmt_name(fmt));
		CHECK(pf_write_stats(&w, 5, &(struct pf_ifstats){ 0 }) == -EINVAL,
		      "%s: stats for a missing interface", fmt_name(fmt));
		CHECK(pf_write_packet(&w, NULL) == -EINVAL, "%s: no packet", fmt_name(fmt));
		CHECK(w.err == 0 && w.packets == 0, "%s: bad arguments do not stop the writer",
		      fmt_name(fmt));
		CHECK(pf_write_packet(&w, &ok) == 0, "%s: a good packet after bad ones",
		      fmt_name(fmt));
		CHECK(pf_write_stats(&w, 0, &(struct pf_ifstats){ 0 }) == 0, "%s: stats",
		      fmt_name(fmt));
		CHECK(pf_writer_close(&w) == 0, "%s: close", fmt_name(fmt));
		CHECK(pf_writer_close(&w) == 0, "%s: second close", fmt_name(fmt));
		CHECK(pf_write_packet(&w, &ok) == -EINVAL, "%s: write after close", fmt_name(fmt));
	}
	close(fd);
}

/* Writes that fail for good: a full device, a pipe nobody reads. */
static void test_write_errors(void)
{
	static uint8_t big[PF_WRITER_BUF + 10];
	const struct pf_packet ok = { .caplen = 4, .len = 4, .data = PAYLOAD };
	const struct pf_packet huge = { .caplen = sizeof(big), .len = sizeof(big), .data = big };
	struct pf_writer w;
	int fd, p[2];

	fd = open("/dev/full", O_WRONLY);
	if (fd < 0) {
		printf("note: no /dev/full, skipping its checks\n");
	} else {
		CHECK(pf_writer_open(&w, fd, PF_PCAPNG, NULL, IFS, 1) == 0, "/dev/full: open");
		CHECK(pf_write_packet(&w, &ok) == 0, "/dev/full: buffered packet");
		CHECK(pf_writer_flush(&w) == -ENOSPC, "/dev/full: flush %d", w.err);
		CHECK(pf_write_packet(&w, &ok) == -ENOSPC, "/dev/full: the error sticks");
		CHECK(pf_write_stats(&w, 0, &(struct pf_ifstats){ 0 }) == -ENOSPC,
		      "/dev/full: stats refused");
		CHECK(pf_writer_size(&w) == 0, "/dev/full: nothing landed: %llu",
		      (unsigned long long)pf_writer_size(&w));
		CHECK(pf_writer_close(&w) == -ENOSPC, "/dev/full: close");

		CHECK(pf_writer_open(&w, fd, PF_PCAP, NULL, IFS, 1) == 0, "/dev/full: open");
		CHECK(pf_write_packet(&w, &huge) == -ENOSPC,
		      "/dev/full: a packet too big to buffer");
		CHECK(pf_writer_close(&w) == -ENOSPC, "/dev/full: close after direct write");
		close(fd);
	}

	if (pipe(p) == 0) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		close(p[0]);
		CHECK(pf_writer_open(&w, p[1], PF_PCAP, NULL, IFS, 1) == 0, "pipe: open");
		CHECK(pf_writer_close(&w) == -EPIPE, "pipe without reader: %d", w.err);
		close(p[1]);
		signal(SIGPIPE, old);
	}
}

/*
 * A file size limit (RLIMIT_FSIZE, SIGXFSZ ignored) in a child: the write
 * that crosses it fails with EFBIG after a short write. The file must then
 * end on a record boundary holding exactly the records that fit, and
 * pf_writer_size() must say how big it is.
 */
struct fsize_result {
	int err;	 /* the writer's error */
	unsigned int ok; /* packets accepted before it */
	uint64_t size;	 /* pf_writer_size() after it */
	uint64_t lost;	 /* the writer's count of accepted packets not in the file */
};

static void fsize_child(int out, const char *path, enum pf_format fmt, rlim_t limit,
			const struct sample *s)
{
	struct rlimit rl = { limit, limit };
	struct fsize_result res = { 0 };
	struct pf_writer w;
	int fd;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl))
		_exit(3);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		_exit(4);
	res.err = pf_writer_open(&w, fd, fmt, NULL, IFS, 1);
	for (unsigned int i = 0; !res.err && i < s->n; i++) {
		res.err = pf_write_packet(&w, &s->p[i]);
		if (!res.err)
			res.ok++;
	}
	if (!res.err)
		res.err = pf_writer_flush(&w);
	res.size = pf_writer_size(&w);
	if (pf_writer_close(&w) != res.err)
		_exit(5);
	res.lost = w.lost;
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(6);
	_exit(0);
}

static void test_file_size_limit(enum pf_format fmt, const struct sample *s, rlim_t limit)
{
	char *path = temp_path();
	struct fsize_result res = { 0 };
	struct got *g;
	size_t fit = fmt == PF_PCAPNG ? 28 + 8 + 12 + 8 + 4 + 4 + 4 : 24, file_size;
	unsigned int nfit = 0;
	struct stat st;
	char what[96];
	int p[2], status;
	pid_t pid;

	snprintf(what, sizeof(what), "%s limited to %llu bytes", fmt_name(fmt),
		 (unsigned long long)limit);
	/* what fits: the header (SHB and IDB for pcapng), then whole records */
	if (fit > limit)
		fit = 0;
	for (unsigned int i = 0; fit && i < s->n && fit + record_size(fmt, &s->p[i]) <= limit;
	     i++) {
		fit += record_size(fmt, &s->p[i]);
		nfit++;
	}
	if (pipe(p))
		abort();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fsize_child(p[1], path, fmt, limit, s);
	}
	close(p[1]);
	CHECK(read(p[0], &res, sizeof(res)) == sizeof(res), "%s: no result from the child", what);
	close(p[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: child status 0x%x", what, status);
	if (nfit == s->n)
		CHECK(res.err == 0 && res.ok == s->n, "%s: error %d, %u packets", what, res.err,
		      res.ok);
	else
		CHECK(res.err == -EFBIG && res.ok >= nfit,
		      "%s: error %d after %u packets, want -EFBIG", what, res.err, res.ok);
	CHECK(stat(path, &st) == 0 && (uint64_t)st.st_size == res.size,
	      "%s: file has %lld bytes, writer says %llu", what, (long long)st.st_size,
	      (unsigned long long)res.size);
	file_size = st.st_size;
	g = calloc(1, sizeof(*g)); /* not before the fork: the child leaves by _exit */
	CHECK(file_size == fit, "%s: cut back to %zu bytes, want %zu (%u packets)", what, file_size,
	      fit, nfit);
	read_path(path, g);
	if (fit) {
		CHECK(g->open_rc == 0 && g->rc == 0 && g->n == nfit,
		      "%s: reads %u packets then %d '%s', want %u and a clean end", what, g->n,
		      g->rc, g->r.errbuf, nfit);
		compare_packets(what, s, g, nfit, fmt);
		CHECK(res.ok - res.lost == g->n,
		      "%s: %u packets accepted, %llu counted lost, %u in the file", what, res.ok,
		      (unsigned long long)res.lost, g->n);
	} else {
		CHECK(g->open_rc < 0, "%s: an empty file does not open", what);
	}
	got_free(g);
	unlink(path);
	free(path);
	free(g);
}

/*
 * Limits in the file header, in the first buffer written, in a later one,
 * in the packet too big for the buffer, in the last buffer, and none.
 */
static void test_file_size_limits(enum pf_format fmt)
{
	struct sample s;
	uint64_t before_big = fmt == PF_PCAPNG ? 68 : 24, total;
	struct pf_packet t;
	unsigned int type;
	uint8_t *d;

	make_sample(&s, 1, true);
	/* the big packet second to last: written directly, then one buffered */
	t = s.p[NPK];
	d = s.data[NPK];
	type = s.type[NPK];
	s.p[NPK] = s.p[NPK - 1];
	s.data[NPK] = s.data[NPK - 1];
	s.type[NPK] = s.type[NPK - 1];
	s.p[NPK - 1] = t;
	s.data[NPK - 1] = d;
	s.type[NPK - 1] = type;
	for (unsigned int i = 0; i < NPK - 1; i++)
		before_big += record_size(fmt, &s.p[i]);
	total = before_big + record_size(fmt, &s.p[NPK - 1]) + record_size(fmt, &s.p[NPK]);
	CHECK(before_big > PF_WRITER_BUF + 5000, "the sample fills more than one buffer");

	test_file_size_limit(fmt, &s, 10);
	test_file_size_limit(fmt, &s, 1000);
	test_file_size_limit(fmt, &s, PF_WRITER_BUF + 5000);
	test_file_size_limit(fmt, &s, before_big + 1000);
	test_file_size_limit(fmt, &s, total - 10);
	test_file_size_limit(fmt, &s, total);
	free_sample(&s);
}

int main(void)
{
	test_flags();
	for (int big = 0; big < 2; big++)
		for (int fmt = PF_PCAP; fmt <= PF_PCAPNG; fmt++)
			test_roundtrip(fmt, big);
	test_minimal_pcapng();
	test_many_interfaces();
	for (int fmt = PF_PCAP; fmt <= PF_PCAPNG; fmt++)
		test_truncation(fmt);
	test_swapped_pcap();
	test_modified_pcap();
	test_swapped_pcapng();
	test_other_blocks();
	test_sections();
	test_hostile();
	test_bad_arguments();
	test_write_errors();
	for (int fmt = PF_PCAP; fmt <= PF_PCAPNG; fmt++)
		test_file_size_limits(fmt);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
