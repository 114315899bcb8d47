// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: capture files: the pcap and pcapng reader
 *
 * The input may be a pipe, so every record is read once, front to back,
 * into one buffer and never sought back to. The input may also be hostile:
 * every length is checked against the record that holds it before use, and
 * a record is at most PF_MAX_BLOCK bytes, so the buffer stays bounded.
 *
 * pcapng section numbers refer to draft-ietf-opsawg-pcapng.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pcapfile.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR  16

/*
 * Modified pcap, as Alexey Kuznetsov's patched libpcap wrote it on Linux
 * (and editcap -F modpcap still does): the header of classic pcap with
 * microseconds, and after each record header what recvfrom() said of the
 * packet, in the file's byte order:
 *
 *	+---------------------------------------------------------------+
 *	|            classic record header (16 bytes)                   |
 *	+---------------------------------------------------------------+
 *	|                 interface index (32 bits)                     |
 *	+-------------------------------+---------------+---------------+
 *	|        protocol (16 bits)     |   pkt_type    |    padding    |
 *	+-------------------------------+---------------+---------------+
 *
 * libpcap reads the 24 bytes and uses only the first 16. Its snap length
 * is that of the file plus 14 for Ethernet, which a capture in cooked mode
 * may have added as a made-up link-layer header; so is ours.
 */
#define PCAP_MAGIC_MOD	 0xa1b2cd34u
#define PCAP_REC_HDR_MOD 24
#define PCAP_MOD_ETH_HDR 14

#define NG_SHB 0x0a0d0d0au /* the same in either byte order */
#define NG_IDB 1u
#define NG_PB  2u /* obsolete Packet Block (appendix A) */
#define NG_SPB 3u
#define NG_EPB 6u
#define NG_BOM 0x1a2b3c4du

#define OPT_END	       0
#define OPT_COMMENT    1
#define OPT_IF_NAME    2
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFF   14
#define OPT_EPB_FLAGS  2 /* also pack_flags of the obsolete Packet Block */

/* Larger blocks are refused rather than buffered. */
#define PF_MAX_BLOCK (16u << 20)

#define NSEC 1000000000u

static int fail(struct pf_reader *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct pf_reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->errbuf, sizeof(r->errbuf), fmt, ap);
	va_end(ap);
	r->err = err;
	return err;
}

static inline size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static uint16_t rd16(const struct pf_reader *r, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return r->swapped ? __builtin_bswap16(v) : v;
}

static uint32_t rd32(const struct pf_reader *r, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return r->swapped ? __builtin_bswap32(v) : v;
}

static uint64_t rd64(const struct pf_reader *r, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return r->swapped ? __builtin_bswap64(v) : v;
}

/*
 * Read exactly n bytes. 1 when they are there; 0 when the input ends
 * before the first of them and that is a record boundary (eof_ok); a
 * negative errno (errbuf set) otherwise. `what` names the record.
 */
static int get(struct pf_reader *r, void *p, size_t n, bool eof_ok, const char *what)
{
	size_t got = fread(p, 1, n, r->f);

	if (got == n)
		return 1;
	if (ferror(r->f))
		return fail(r, -EIO, "read error: %s", strerror(errno ? errno : EIO));
	if (got == 0 && eof_ok)
		return 0;
	return fail(r, -EINVAL, "truncated %s (file ends inside a record)", what);
}

/* Room for n bytes in r->buf. */
static int grow(struct pf_reader *r, size_t n)
{
	uint8_t *b;
	size_t cap;

	if (n <= r->cap)
		return 0;
	cap = r->cap ? r->cap : 4096;
	while (cap < n)
		cap *= 2;
	b = realloc(r->buf, cap);
	if (!b)
		return fail(r, -ENOMEM, "out of memory for a %zu-byte record", n);
	r->buf = b;
	r->cap = cap;
	return 0;
}

/*
 * Timestamp in units per second (plus an offset in seconds) to nanoseconds
 * since the epoch, in 128 bits so no step overflows; results outside what a
 * uint64_t holds are clamped.
 */
static uint64_t to_ns(uint64_t ts, uint64_t units, int64_t offset_s)
{
	__int128 ns;

	if (units == 0) /* never set that way, but never divide by it */
		units = 1000000;
	ns = (__int128)(ts / units) * NSEC;
	ns += (__int128)((unsigned __int128)(ts % units) * NSEC / units);
	ns += (__int128)offset_s * NSEC;
	if (ns < 0)
		return 0;
	if (ns > (__int128)UINT64_MAX)
		return UINT64_MAX;
	return (uint64_t)ns;
}

/* ------------------------------------------------------- classic pcap */

static int pcap_open(struct pf_reader *r, const uint8_t *h)
{
	uint32_t magic;

	memcpy(&magic, h, 4);
	r->swapped = magic == __builtin_bswap32(PCAP_MAGIC_US) ||
		     magic == __builtin_bswap32(PCAP_MAGIC_NS) ||
		     magic == __builtin_bswap32(PCAP_MAGIC_MOD);
	magic = rd32(r, h);
	r->fmt = magic == PCAP_MAGIC_NS ? PF_PCAP_NS : PF_PCAP;
	r->modified = magic == PCAP_MAGIC_MOD;
	if (rd16(r, h + 4) != 2)
		return fail(r, -EINVAL, "unsupported pcap version %u.%u", rd16(r, h + 4),
			    rd16(r, h + 6));
	r->nifs = 1;
	r->ifs[0].name[0] = 0;
	r->ifs[0].snaplen = rd32(r, h + 16);
	/* the upper bits of the link type field carry FCS information */
	r->ifs[0].linktype = (uint16_t)(rd32(r, h + 20) & 0xffff);
	r->ifs[0].units = r->fmt == PF_PCAP_NS ? NSEC : 1000000;
	r->ifs[0].offset_s = 0;
	if (r->modified && r->ifs[0].linktype == PF_LINKTYPE_ETHERNET && r->ifs[0].snaplen &&
	    r->ifs[0].snaplen <= UINT32_MAX - PCAP_MOD_ETH_HDR)
		r->ifs[0].snaplen += PCAP_MOD_ETH_HDR;
	return 0;
}

static int pcap_next(struct pf_reader *r, struct pf_packet *p)
{
	uint8_t h[PCAP_REC_HDR_MOD];
	uint32_t caplen;
	int rc;

	rc = get(r, h, r->modified ? PCAP_REC_HDR_MOD : PCAP_REC_HDR, true, "packet");
	if (rc <= 0)
		return rc;
	caplen = rd32(r, h + 8);
	if (caplen > PF_MAX_BLOCK)
		return fail(r, -EINVAL, "packet too large (%u bytes captured)", caplen);
	if (grow(r, caplen ? caplen : 1))
		return r->err;
	rc = get(r, r->buf, caplen, false, "packet");
	if (rc < 0)
		return rc;
	p->ts_ns = (uint64_t)rd32(r, h) * NSEC +
		   (uint64_t)rd32(r, h + 4) * (r->fmt == PF_PCAP_NS ? 1 : 1000);
	p->caplen = caplen;
	p->len = rd32(r, h + 12);
	p->iface = 0;
	p->flags = 0;
	/*
	 * A packet socket never gives interface 0: a writer that knew nothing
	 * of the packet (editcap writes zeros) leaves the direction unknown,
	 * as does a packet type that is not one of a direction.
	 */
	if (r->modified && rd32(r, h + 16) != 0)
		p->flags = pf_flags_from_pkttype(h[22]);
	p->data = r->buf;
	return 1;
}

/* -------------------------------------------------------------- pcapng */

/*
 * The next block (3.1) into r->buf, or the rest of one whose type is in
 * first: *type, and the body between the two length fields in *body and
 * *blen. A Section Header Block's byte-order magic sets r->swapped before
 * its length is read (4.1). 1, 0 at the end of the input on a block
 * boundary, or a negative errno.
 */
static int ng_block(struct pf_reader *r, const uint8_t *first, uint32_t *type, const uint8_t **body,
		    size_t *blen)
{
	uint8_t h[12];
	uint32_t raw, len, bom;
	size_t hlen = 8;
	int rc;

	if (first) { /* the caller has read the block type already */
		memcpy(h, first, 4);
	} else {
		rc = get(r, h, 4, true, "block");
		if (rc <= 0)
			return rc;
	}
	rc = get(r, h + 4, 4, false, "block");
	if (rc < 0)
		return rc;
	memcpy(&raw, h, 4);
	if (raw == NG_SHB) {
		rc = get(r, h + 8, 4, false, "section header block");
		if (rc < 0)
			return rc;
		hlen = 12;
		memcpy(&bom, h + 8, 4);
		if (bom == NG_BOM)
			r->swapped = false;
		else if (bom == __builtin_bswap32(NG_BOM))
			r->swapped = true;
		else
			return fail(r, -EINVAL, "bad byte-order magic 0x%08x in section header",
				    bom);
	}
	*type = rd32(r, h);
	len = rd32(r, h + 4);
	if (len > PF_MAX_BLOCK)
		return fail(r, -EINVAL, "block too large (%u bytes)", len);
	if (len < 12 || len % 4 || (raw == NG_SHB && len < 28))
		return fail(r, -EINVAL, "bad block length %u (block type 0x%08x)", len, *type);
	if (grow(r, len))
		return r->err;
	memcpy(r->buf, h, hlen);
	rc = get(r, r->buf + hlen, len - hlen, false,
		 *type == NG_EPB || *type == NG_SPB || *type == NG_PB ? "packet" : "block");
	if (rc < 0)
		return rc;
	if (rd32(r, r->buf + len - 4) != len)
		return fail(r, -EINVAL, "block length mismatch (%u at the start, %u at the end)",
			    len, rd32(r, r->buf + len - 4));
	*body = r->buf + 8;
	*blen = len - 12;
	return 1;
}

/*
 * Options (3.5) at *at, up to end: 1 with the next one, 0 after the last
 * (opt_endofopt or the end of the block), a negative errno if one runs
 * past the block.
 */
static int ng_opt(struct pf_reader *r, const uint8_t **at, const uint8_t *end, uint16_t *code,
		  uint16_t *olen, const uint8_t **val)
{
	const uint8_t *p = *at;

	if (end - p < 4)
		return 0;
	*code = rd16(r, p);
	*olen = rd16(r, p + 2);
	if (*code == OPT_END)
		return 0;
	if ((size_t)(end - p - 4) < pad4(*olen))
		return fail(r, -EINVAL, "option %u (%u bytes) runs past its block", *code, *olen);
	*val = p + 4;
	*at = p + 4 + pad4(*olen);
	return 1;
}

/* Section Header Block (4.1): a new section, with no interfaces yet. */
static int ng_shb(struct pf_reader *r, const uint8_t *b, size_t n)
{
	uint16_t major = rd16(r, b + 4), minor = rd16(r, b + 6);

	(void)n; /* ng_block checked the 16 fixed bytes */
	if (major != 1)
		return fail(r, -EINVAL, "unsupported pcapng version %u.%u", major, minor);
	r->nifs = 0;
	r->sections++;
	return 0;
}

/* if_tsresol (4.2): 10^-n or, with the top bit, 2^-n of a second. */
static uint64_t tsresol_units(uint8_t v)
{
	unsigned int e = v & 0x7f;
	uint64_t u = 1;

	if (v & 0x80)
		return e > 63 ? (uint64_t)1 << 63 : (uint64_t)1 << e;
	if (e > 19) /* 10^19 is the largest power of ten in 64 bits */
		e = 19;
	while (e--)
		u *= 10;
	return u;
}

/* Interface Description Block (4.2). */
static int ng_idb(struct pf_reader *r, const uint8_t *b, size_t n)
{
	const uint8_t *at = b + 8, *val = NULL;
	uint16_t code, olen;
	uint32_t i = r->nifs;
	int rc;

	if (n < 8)
		return fail(r, -EINVAL, "interface description block too short (%zu bytes)", n);
	if (i >= PF_MAX_IFACES)
		return fail(r, -EINVAL, "too many interfaces (more than %u)", PF_MAX_IFACES);
	memset(&r->ifs[i], 0, sizeof(r->ifs[i]));
	r->ifs[i].linktype = rd16(r, b);
	r->ifs[i].snaplen = rd32(r, b + 4);
	r->ifs[i].units = 1000000;
	while ((rc = ng_opt(r, &at, b + n, &code, &olen, &val)) > 0) {
		switch (code) {
		case OPT_IF_NAME: {
			size_t len = olen < sizeof(r->ifs[i].name) - 1 ? olen
								       : sizeof(r->ifs[i].name) - 1;

			len = strnlen((const char *)val, len);
			memcpy(r->ifs[i].name, val, len);
			r->ifs[i].name[len] = 0;
			break;
		}
		case OPT_IF_TSRESOL:
			if (olen >= 1)
				r->ifs[i].units = tsresol_units(val[0]);
			break;
		case OPT_IF_TSOFF:
			if (olen == 8)
				r->ifs[i].offset_s = (int64_t)rd64(r, val);
			break;
		}
	}
	if (rc < 0)
		return rc;
	r->nifs++;
	return 0;
}

/* epb_flags / pack_flags and the opt_comments among the options from at to end. */
static int ng_flags(struct pf_reader *r, const uint8_t *at, const uint8_t *end, struct pf_packet *p)
{
	const uint8_t *val = NULL;
	uint16_t code, olen;
	int rc;

	p->flags = 0;
	while ((rc = ng_opt(r, &at, end, &code, &olen, &val)) > 0) {
		if (code == OPT_EPB_FLAGS && olen == 4)
			p->flags = rd32(r, val);
		if (code == OPT_COMMENT && p->ncomments < PF_COMMENTS_MAX)
			r->comments[p->ncomments++] =
				(struct pf_comment){ (const char *)val, olen };
	}
	return rc;
}

static int ng_iface(struct pf_reader *r, uint32_t iface)
{
	if (iface >= r->nifs)
		return fail(r, -EINVAL, "interface %u not described", iface);
	return 0;
}

/*
 * Enhanced Packet Block (4.3) and the obsolete Packet Block (appendix A),
 * which differ only in the first word: a 32-bit interface id, or 16 bits
 * of interface id and 16 of drop count.
 */
static int ng_epb(struct pf_reader *r, uint32_t type, const uint8_t *b, size_t n,
		  struct pf_packet *p)
{
	uint32_t iface, caplen, len;
	int rc;

	if (n < 20)
		return fail(r, -EINVAL, "packet block too short (%zu bytes)", n);
	iface = type == NG_PB ? rd16(r, b) : rd32(r, b);
	if (ng_iface(r, iface))
		return r->err;
	caplen = rd32(r, b + 12);
	len = rd32(r, b + 16);
	if (caplen > n - 20)
		return fail(r, -EINVAL, "captured length %u exceeds its block (%zu bytes of data)",
			    caplen, n - 20);
	rc = ng_flags(r, b + 20 + pad4(caplen), b + n, p);
	if (rc < 0)
		return rc;
	p->ts_ns = to_ns((uint64_t)rd32(r, b + 4) << 32 | rd32(r, b + 8), r->ifs[iface].units,
			 r->ifs[iface].offset_s);
	p->caplen = caplen;
	p->len = len;
	p->iface = iface;
	p->data = b + 20;
	return 1;
}

/*
 * Simple Packet Block (4.4): interface 0, no timestamp, and a captured
 * length that only follows from the block, the wire length and the snap
 * length.
 */
static int ng_spb(struct pf_reader *r, const uint8_t *b, size_t n, struct pf_packet *p)
{
	uint32_t caplen, len;

	if (n < 4)
		return fail(r, -EINVAL, "simple packet block too short (%zu bytes)", n);
	if (ng_iface(r, 0))
		return r->err;
	len = rd32(r, b);
	caplen = n - 4 < len ? (uint32_t)(n - 4) : len;
	if (r->ifs[0].snaplen && r->ifs[0].snaplen < caplen)
		caplen = r->ifs[0].snaplen;
	p->ts_ns = 0;
	p->caplen = caplen;
	p->len = len;
	p->iface = 0;
	p->flags = 0;
	p->data = b + 4;
	return 1;
}

static int ng_next(struct pf_reader *r, struct pf_packet *p)
{
	const uint8_t *b;
	uint32_t type;
	size_t n;
	int rc;

	for (;;) {
		rc = ng_block(r, NULL, &type, &b, &n);
		if (rc <= 0)
			return rc;
		switch (type) {
		case NG_SHB:
			rc = ng_shb(r, b, n);
			break;
		case NG_IDB:
			rc = ng_idb(r, b, n);
			break;
		case NG_EPB:
		case NG_PB:
			return ng_epb(r, type, b, n, p);
		case NG_SPB:
			return ng_spb(r, b, n, p);
		default: /* statistics, name resolution, custom, ...: not needed */
			rc = 0;
			break;
		}
		if (rc < 0)
			return rc;
	}
}

/* ------------------------------------------------------------- common */

int pf_reader_open(struct pf_reader *r, FILE *f)
{
	uint8_t h[PCAP_FILE_HDR];
	const uint8_t *b;
	uint32_t magic, type;
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	r->f = f;
	if (!f)
		return fail(r, -EINVAL, "no input");
	n = fread(h, 1, 4, f);
	if (n < 4 && ferror(f))
		return fail(r, -EIO, "read error: %s", strerror(errno ? errno : EIO));
	if (n == 0)
		return fail(r, -EINVAL, "empty file (not a pcap or pcapng file)");
	if (n < 4) /* too short for any magic number */
		return fail(r, -EINVAL, "not a pcap or pcapng file");
	memcpy(&magic, h, 4);
	switch (magic) {
	case PCAP_MAGIC_US:
	case PCAP_MAGIC_NS:
	case PCAP_MAGIC_MOD:
	case __builtin_bswap32(PCAP_MAGIC_US):
	case __builtin_bswap32(PCAP_MAGIC_NS):
	case __builtin_bswap32(PCAP_MAGIC_MOD):
		rc = get(r, h + 4, sizeof(h) - 4, false, "file header");
		if (rc < 0)
			return rc;
		return pcap_open(r, h);
	case NG_SHB:
		r->fmt = PF_PCAPNG;
		rc = ng_block(r, h, &type, &b, &n);
		if (rc < 0)
			return rc;
		return ng_shb(r, b, n);
	}
	return fail(r, -EINVAL, "not a pcap or pcapng file");
}

int pf_read_packet(struct pf_reader *r, struct pf_packet *p)
{
	int rc;

	if (r->err)
		return r->err;
	if (!r->f)
		return fail(r, -EINVAL, "reader not open");
	p->comments = r->comments;
	p->ncomments = 0;
	rc = r->fmt == PF_PCAPNG ? ng_next(r, p) : pcap_next(r, p);
	if (rc > 0) {
		/* a wire length below the captured one is nonsense: trust the data */
		if (p->len < p->caplen)
			p->len = p->caplen;
		r->packets++;
	}
	return rc;
}

void pf_reader_close(struct pf_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}
