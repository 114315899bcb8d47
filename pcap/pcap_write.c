// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: capture files: the pcap and pcapng writer
 *
 * Records are built in host byte order (readers accept either) straight
 * into one buffer that goes out whole: the file on disk then always ends on
 * a record boundary, except after a failed write, which is cut back to one.
 *
 * Wire formats: classic pcap as libpcap writes it; pcapng as in
 * draft-ietf-opsawg-pcapng (section numbers below refer to it).
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pcapfile.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR  16

#define NG_SHB	   0x0a0d0d0au
#define NG_IDB	   1u
#define NG_ISB	   5u
#define NG_EPB	   6u
#define NG_BOM	   0x1a2b3c4du
#define NG_EPB_HDR 28 /* type, length, interface, ts high/low, caplen, len */

/* option codes (3.5, 4.1, 4.2, 4.3, 4.6) */
#define OPT_END		     0
#define OPT_COMMENT	     1
#define OPT_SHB_HARDWARE     2
#define OPT_SHB_OS	     3
#define OPT_SHB_USERAPPL     4
#define OPT_IF_NAME	     2
#define OPT_IF_TSRESOL	     9
#define OPT_EPB_FLAGS	     2
#define OPT_ISB_STARTTIME    2
#define OPT_ISB_ENDTIME	     3
#define OPT_ISB_IFRECV	     4
#define OPT_ISB_IFDROP	     5
#define OPT_ISB_FILTERACCEPT 6
#define OPT_ISB_OSDROP	     7
#define OPT_ISB_USRDELIV     8

/* An option's length field has 16 bits; longer strings are cut. */
#define OPT_STR_MAX 0xfffcu

#define MAX_CAPLEN 0x7fffffffu

static inline size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint32_t pf_flags_from_pkttype(unsigned int pkttype)
{
	switch (pkttype) {
	case PACKET_HOST:
		return PF_DIR_IN | PF_RX_UNICAST;
	case PACKET_BROADCAST:
		return PF_DIR_IN | PF_RX_BROADCAST;
	case PACKET_MULTICAST:
		return PF_DIR_IN | PF_RX_MULTICAST;
	case PACKET_OTHERHOST:
		return PF_DIR_IN | PF_RX_PROMISC;
	case PACKET_OUTGOING:
		return PF_DIR_OUT;
	default:
		return 0;
	}
}

unsigned int pf_pkttype_from_flags(uint32_t flags)
{
	switch (flags & 3) {
	case PF_DIR_IN:
		switch (flags & (7u << 2)) {
		case PF_RX_MULTICAST:
			return PACKET_MULTICAST;
		case PF_RX_BROADCAST:
			return PACKET_BROADCAST;
		case PF_RX_PROMISC:
			return PACKET_OTHERHOST;
		default: /* unicast, not specified or a reserved value */
			return PACKET_HOST;
		}
	case PF_DIR_OUT:
		return PACKET_OUTGOING;
	default:
		return PF_PKTTYPE_UNKNOWN;
	}
}

/*
 * Write iov[] completely, resuming after EINTR and short writes. *done says
 * how many bytes went out, also on failure.
 */
static int write_all(int fd, struct iovec *iov, int cnt, size_t *done)
{
	*done = 0;
	while (cnt > 0) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0) /* no progress and no reason: do not spin */
			return -EIO;
		*done += (size_t)n;
		while (cnt > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

static size_t record_len(const struct pf_writer *w, size_t at);

/* Packet records of the buffer that do not end within its first `done` bytes. */
static uint64_t packets_after(const struct pf_writer *w, size_t done)
{
	uint64_t n = 0;

	for (size_t at = 0, len; at < w->len; at += len) {
		len = record_len(w, at);
		if (at + len > done && (w->fmt != PF_PCAPNG || get32(w->buf + at) == NG_EPB))
			n += !(w->fmt != PF_PCAPNG && w->flushed == 0 && at == 0);
	}
	return n;
}

/*
 * A write of a chunk failed after `done` of its bytes reached the file, of
 * which the first `keep` end on a record boundary. Cut a regular file back
 * to that boundary (a pipe cannot be helped), account for what stays and
 * remember the error: from now on the writer refuses work.
 */
static int write_failed(struct pf_writer *w, int err, size_t done, size_t keep)
{
	struct stat st;
	off_t end;

	if (keep < done && fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		end = lseek(w->fd, 0, SEEK_CUR);
		if (end >= (off_t)done) {
			off_t to = end - (off_t)done + (off_t)keep;

			if (ftruncate(w->fd, to) == 0) {
				done = keep;
				(void)lseek(w->fd, to, SEEK_SET);
			}
		}
	}
	w->lost += packets_after(w, done); /* before flushed moves: it finds the header */
	w->flushed += done;
	w->len = 0;
	w->err = err;
	return err;
}

/* Length of the record that starts at `at` in the buffer. */
static size_t record_len(const struct pf_writer *w, size_t at)
{
	if (w->fmt == PF_PCAPNG)
		return get32(w->buf + at + 4); /* block total length (3.1) */
	if (w->flushed == 0 && at == 0)
		return PCAP_FILE_HDR; /* the buffer starts with the file header */
	return PCAP_REC_HDR + (size_t)get32(w->buf + at + 8); /* caplen */
}

/* Bytes of the buffer's first `done` bytes that form complete records. */
static size_t complete_records(const struct pf_writer *w, size_t done)
{
	size_t at = 0, n;

	while (at < w->len) {
		n = record_len(w, at);
		if (at + n > done)
			break;
		at += n;
	}
	return at;
}

int pf_writer_flush(struct pf_writer *w)
{
	struct iovec iov;
	size_t done;
	int err;

	if (w->err)
		return w->err;
	if (!w->buf)
		return -EINVAL;
	if (w->len == 0)
		return 0;
	iov.iov_base = w->buf;
	iov.iov_len = w->len;
	err = write_all(w->fd, &iov, 1, &done);
	if (err)
		return write_failed(w, err, done, complete_records(w, done));
	w->flushed += w->len;
	w->len = 0;
	return 0;
}

/*
 * Room for n more bytes at the end of the buffer, flushed first if needed.
 * NULL with w->err set when that flush fails.
 */
static uint8_t *reserve(struct pf_writer *w, size_t n)
{
	if (w->len + n > PF_WRITER_BUF && pf_writer_flush(w))
		return NULL;
	return w->buf + w->len;
}

/* Block header (3.1); the caller puts the same length at the end. */
static size_t block_start(uint8_t *b, uint32_t type, size_t total)
{
	put32(b, type);
	put32(b + 4, (uint32_t)total);
	return 8;
}

static size_t opt_size_str(const char *s)
{
	size_t n;

	if (!s)
		return 0;
	n = strnlen(s, OPT_STR_MAX);
	return 4 + pad4(n);
}

/* Option TLV (3.5), value padded with zeros to 32 bits. */
static size_t put_opt(uint8_t *b, uint16_t code, const void *v, size_t n)
{
	put16(b, code);
	put16(b + 2, (uint16_t)n);
	memcpy(b + 4, v, n);
	memset(b + 4 + n, 0, pad4(n) - n);
	return 4 + pad4(n);
}

static size_t put_opt_str(uint8_t *b, uint16_t code, const char *s)
{
	if (!s)
		return 0;
	return put_opt(b, code, s, strnlen(s, OPT_STR_MAX));
}

/* Section Header Block (4.1), its options only where given. */
static int put_shb(struct pf_writer *w, const struct pf_shb_info *shb)
{
	const struct pf_shb_info none = { 0 };
	size_t opts, total, at;
	uint8_t *b;

	if (!shb)
		shb = &none;
	opts = opt_size_str(shb->hardware) + opt_size_str(shb->os) + opt_size_str(shb->userappl);
	if (opts)
		opts += 4; /* opt_endofopt */
	total = 8 + 16 + opts + 4;
	b = reserve(w, total);
	if (!b)
		return w->err;
	at = block_start(b, NG_SHB, total);
	put32(b + at, NG_BOM);
	put16(b + at + 4, 1);	       /* major version */
	put16(b + at + 6, 0);	       /* minor version */
	put64(b + at + 8, UINT64_MAX); /* section length -1: not given */
	at += 16;
	at += put_opt_str(b + at, OPT_SHB_HARDWARE, shb->hardware);
	at += put_opt_str(b + at, OPT_SHB_OS, shb->os);
	at += put_opt_str(b + at, OPT_SHB_USERAPPL, shb->userappl);
	if (opts) {
		put32(b + at, OPT_END);
		at += 4;
	}
	put32(b + at, (uint32_t)total);
	w->len += total;
	return 0;
}

/*
 * Interface Description Block (4.2). if_tsresol 9: the timestamps of this
 * interface's packets and statistics count nanoseconds.
 */
static int put_idb(struct pf_writer *w, const struct pf_iface *ifc)
{
	const uint8_t tsresol = 9;
	size_t total, at;
	uint8_t *b;

	total = 8 + 8 + opt_size_str(ifc->name) + 8 + 4 + 4;
	b = reserve(w, total);
	if (!b)
		return w->err;
	at = block_start(b, NG_IDB, total);
	put16(b + at, ifc->linktype);
	put16(b + at + 2, 0); /* reserved */
	put32(b + at + 4, ifc->snaplen);
	at += 8;
	at += put_opt_str(b + at, OPT_IF_NAME, ifc->name);
	at += put_opt(b + at, OPT_IF_TSRESOL, &tsresol, 1);
	put32(b + at, OPT_END);
	put32(b + at + 4, (uint32_t)total);
	w->len += total;
	return 0;
}

/* Classic pcap file header. */
static int put_pcap_header(struct pf_writer *w, const struct pf_iface *ifc)
{
	uint8_t *b = reserve(w, PCAP_FILE_HDR);

	if (!b)
		return w->err;
	put32(b, w->fmt == PF_PCAP_NS ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
	put16(b + 4, 2); /* version 2.4 */
	put16(b + 6, 4);
	put32(b + 8, 0);  /* thiszone: timestamps are UTC */
	put32(b + 12, 0); /* sigfigs */
	put32(b + 16, ifc->snaplen);
	put32(b + 20, ifc->linktype);
	w->len += PCAP_FILE_HDR;
	return 0;
}

int pf_writer_open(struct pf_writer *w, int fd, enum pf_format fmt, const struct pf_shb_info *shb,
		   const struct pf_iface *ifs, uint32_t nifs)
{
	int err;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->fmt = fmt;
	w->nifs = nifs;
	if (fd < 0 || (nifs && !ifs))
		return -EINVAL;
	switch (fmt) {
	case PF_PCAP:
	case PF_PCAP_NS:
		if (nifs != 1) /* one link type and snap length per file */
			return -EINVAL;
		break;
	case PF_PCAPNG:
		break;
	default:
		return -EINVAL;
	}
	w->buf = malloc(PF_WRITER_BUF);
	if (!w->buf)
		return -ENOMEM;
	if (fmt == PF_PCAPNG) {
		err = put_shb(w, shb);
		for (uint32_t i = 0; !err && i < nifs; i++)
			err = put_idb(w, &ifs[i]);
	} else {
		err = put_pcap_header(w, &ifs[0]);
	}
	if (err) {
		free(w->buf);
		w->buf = NULL;
	}
	return err;
}

uint64_t pf_writer_size(const struct pf_writer *w)
{
	return w->flushed + w->len;
}

/* A comment's bytes as written: at most PF_COMMENT_MAX. */
static uint32_t comment_len(const struct pf_comment *c)
{
	return c->s ? (c->len < PF_COMMENT_MAX ? c->len : PF_COMMENT_MAX) : 0;
}

/*
 * The fixed part before the packet data (hdr) and the part after it (tail:
 * padding, options, trailing length); returns the record's total size.
 */
static size_t packet_parts(const struct pf_writer *w, const struct pf_packet *p, uint8_t *hdr,
			   size_t *hdr_len, uint8_t *tail, size_t *tail_len)
{
	size_t total, at, opts;
	uint32_t n;

	if (w->fmt != PF_PCAPNG) {
		uint32_t sub = (uint32_t)(p->ts_ns % 1000000000u);

		put32(hdr, (uint32_t)(p->ts_ns / 1000000000u));
		/* constant divisors: the compiler turns them into multiplications */
		put32(hdr + 4, w->fmt == PF_PCAP_NS ? sub : sub / 1000u);
		put32(hdr + 8, p->caplen);
		put32(hdr + 12, p->len);
		*hdr_len = PCAP_REC_HDR;
		*tail_len = 0;
		return PCAP_REC_HDR + (size_t)p->caplen;
	}

	/*
	 * Enhanced Packet Block (4.3); epb_flags (4.3.1) only when known, and
	 * the comments (opt_comment, 3.5).
	 */
	n = p->ncomments < PF_COMMENTS_MAX ? p->ncomments : PF_COMMENTS_MAX;
	opts = p->flags ? 8 : 0;
	for (uint32_t i = 0; i < n; i++)
		opts += 4 + pad4(comment_len(&p->comments[i]));
	total = NG_EPB_HDR + pad4(p->caplen) + (opts ? opts + 4 : 0) + 4;
	block_start(hdr, NG_EPB, total);
	put32(hdr + 8, p->iface);
	put32(hdr + 12, (uint32_t)(p->ts_ns >> 32));
	put32(hdr + 16, (uint32_t)p->ts_ns);
	put32(hdr + 20, p->caplen);
	put32(hdr + 24, p->len);
	*hdr_len = NG_EPB_HDR;

	at = pad4(p->caplen) - p->caplen;
	memset(tail, 0, at);
	if (p->flags) {
		put16(tail + at, OPT_EPB_FLAGS);
		put16(tail + at + 2, 4);
		put32(tail + at + 4, p->flags);
		at += 8;
	}
	for (uint32_t i = 0; i < n; i++)
		at += put_opt(tail + at, OPT_COMMENT, p->comments[i].s,
			      comment_len(&p->comments[i]));
	if (opts) {
		put32(tail + at, OPT_END);
		at += 4;
	}
	put32(tail + at, (uint32_t)total);
	*tail_len = at + 4;
	return total;
}

int pf_write_packet(struct pf_writer *w, const struct pf_packet *p)
{
	uint8_t hdr[NG_EPB_HDR], tail[3 + 8 + PF_COMMENTS_MAX * (4 + PF_COMMENT_MAX) + 4 + 4];
	size_t hdr_len, tail_len, total, done;
	struct iovec iov[3];
	uint8_t *b;
	int err;

	if (w->err)
		return w->err;
	if (!w->buf || !p || p->iface >= w->nifs || p->caplen > p->len || p->caplen > MAX_CAPLEN ||
	    (p->caplen && !p->data))
		return -EINVAL;

	total = packet_parts(w, p, hdr, &hdr_len, tail, &tail_len);
	if (total <= PF_WRITER_BUF) {
		b = reserve(w, total);
		if (!b)
			return w->err;
		memcpy(b, hdr, hdr_len);
		if (p->caplen)
			memcpy(b + hdr_len, p->data, p->caplen);
		memcpy(b + hdr_len + p->caplen, tail, tail_len);
		w->len += total;
		w->packets++;
		return 0;
	}

	/* Larger than the whole buffer: straight to the file, after the rest. */
	err = pf_writer_flush(w);
	if (err)
		return err;
	iov[0].iov_base = hdr;
	iov[0].iov_len = hdr_len;
	iov[1].iov_base = (void *)p->data;
	iov[1].iov_len = p->caplen;
	iov[2].iov_base = tail;
	iov[2].iov_len = tail_len;
	err = write_all(w->fd, iov, 3, &done);
	if (err) /* not accepted: the caller sees the error */
		return write_failed(w, err, done, 0);
	w->flushed += total;
	w->packets++;
	return 0;
}

/* Interface Statistics Block (4.6). */
static int put_isb(struct pf_writer *w, uint32_t iface, const struct pf_ifstats *s)
{
	const struct {
		uint16_t code;
		uint64_t v;
	} counters[] = {
		{ OPT_ISB_IFRECV, s->recv },
		{ OPT_ISB_IFDROP, s->drop },
		{ OPT_ISB_FILTERACCEPT, s->filter_accept },
		{ OPT_ISB_OSDROP, s->os_drop },
		{ OPT_ISB_USRDELIV, s->usr_deliv },
	};
	const size_t ncounters = sizeof(counters) / sizeof(counters[0]);
	size_t total, at;
	uint8_t *b;

	/* header, interface and timestamp, 12 bytes an option, end, length */
	total = 8 + 12 + 12 * ncounters + 4 + 4;
	total += (s->start_ns ? 12 : 0) + (s->end_ns ? 12 : 0);
	b = reserve(w, total);
	if (!b)
		return w->err;
	at = block_start(b, NG_ISB, total);
	/* the block's own timestamp: when the counters were read */
	put32(b + at, iface);
	put32(b + at + 4, (uint32_t)(s->end_ns >> 32));
	put32(b + at + 8, (uint32_t)s->end_ns);
	at += 12;
	/* isb_starttime, isb_endtime: high, then low 32-bit word, as in the EPB */
	if (s->start_ns) {
		put16(b + at, OPT_ISB_STARTTIME);
		put16(b + at + 2, 8);
		put32(b + at + 4, (uint32_t)(s->start_ns >> 32));
		put32(b + at + 8, (uint32_t)s->start_ns);
		at += 12;
	}
	if (s->end_ns) {
		put16(b + at, OPT_ISB_ENDTIME);
		put16(b + at + 2, 8);
		put32(b + at + 4, (uint32_t)(s->end_ns >> 32));
		put32(b + at + 8, (uint32_t)s->end_ns);
		at += 12;
	}
	for (size_t i = 0; i < ncounters; i++) {
		put16(b + at, counters[i].code);
		put16(b + at + 2, 8);
		put64(b + at + 4, counters[i].v);
		at += 12;
	}
	put32(b + at, OPT_END);
	put32(b + at + 4, (uint32_t)total);
	w->len += total;
	return 0;
}

int pf_write_stats(struct pf_writer *w, uint32_t iface, const struct pf_ifstats *s)
{
	if (w->err)
		return w->err;
	if (!w->buf || !s || iface >= w->nifs)
		return -EINVAL;
	if (w->fmt != PF_PCAPNG) /* classic pcap has no place for statistics */
		return 0;
	return put_isb(w, iface, s);
}

int pf_writer_close(struct pf_writer *w)
{
	int err = w->buf ? pf_writer_flush(w) : w->err;

	free(w->buf);
	w->buf = NULL;
	return err;
}
