/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: capture files: a pcap/pcapng writer and reader
 *
 * libpcap writes classic pcap only and its reader hides the pcapng
 * per-packet interface and direction, so both directions are done here,
 * small and self-contained (no other sockcap code is needed).
 */
#ifndef SOCKCAP_PCAPFILE_H
#define SOCKCAP_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum pf_format {
	PF_PCAP,    /* classic pcap, microsecond timestamps */
	PF_PCAP_NS, /* classic pcap, nanosecond magic */
	PF_PCAPNG,  /* pcapng, nanosecond if_tsresol */
};

/* Link types used by sockcap (the LINKTYPE_ numbers of the registry). */
#define PF_LINKTYPE_ETHERNET   1
#define PF_LINKTYPE_RAW	       101
#define PF_LINKTYPE_LINUX_SLL  113
#define PF_LINKTYPE_LINUX_SLL2 276

/* pcapng epb_flags: direction in bits 0-1, reception type in bits 2-4. */
#define PF_DIR_UNKNOWN	0
#define PF_DIR_IN	1
#define PF_DIR_OUT	2
#define PF_RX_UNICAST	(1u << 2)
#define PF_RX_MULTICAST (2u << 2)
#define PF_RX_BROADCAST (3u << 2)
#define PF_RX_PROMISC	(4u << 2)

/* epb_flags for a Linux packet type (PACKET_HOST, PACKET_OUTGOING, ...). */
uint32_t pf_flags_from_pkttype(unsigned int pkttype);
/* The reverse; PF_PKTTYPE_UNKNOWN when the flags say nothing. */
#define PF_PKTTYPE_UNKNOWN 255
unsigned int pf_pkttype_from_flags(uint32_t flags);

struct pf_iface {
	const char *name; /* if_name; NULL: no option */
	uint16_t linktype;
	uint32_t snaplen;
};

/* A comment: len bytes of UTF-8 text, not NUL-terminated. */
struct pf_comment {
	const char *s;
	uint32_t len;
};

struct pf_packet {
	uint64_t ts_ns;	 /* UTC nanoseconds since the epoch */
	uint32_t caplen; /* bytes in data */
	uint32_t len;	 /* bytes on the wire */
	uint32_t iface;	 /* index into the interfaces of the section */
	uint32_t flags;	 /* epb_flags (pcapng); 0 when unknown */
	const uint8_t *data;
	/*
	 * opt_comment options (pcapng; a pcap file has none), in order. The
	 * writer keeps PF_COMMENTS_MAX of them and PF_COMMENT_MAX bytes of
	 * each; the reader gives the first PF_COMMENTS_MAX (valid until the
	 * next packet is read).
	 */
	const struct pf_comment *comments;
	uint32_t ncomments;
};

#define PF_COMMENT_MAX	1024
#define PF_COMMENTS_MAX 4

/* Interface statistics (pcapng ISB). */
struct pf_ifstats {
	uint64_t start_ns, end_ns; /* isb_starttime, isb_endtime */
	uint64_t recv;		   /* isb_ifrecv: packets seen */
	uint64_t drop;		   /* isb_ifdrop: all drops */
	uint64_t filter_accept;	   /* isb_filteraccept */
	uint64_t os_drop;	   /* isb_osdrop */
	uint64_t usr_deliv;	   /* isb_usrdeliv: packets written */
};

/* Section header options (pcapng): NULL leaves one out. */
struct pf_shb_info {
	const char *hardware, *os, *userappl;
};

/* ------------------------------------------------------------ writer */

#define PF_WRITER_BUF (256 * 1024)

/*
 * Buffered writer on a file descriptor the caller owns. Packets are
 * appended to a buffer that goes out with write(2) whole records at a time,
 * so a file killed between flushes ends on a record boundary. After a failed
 * write the writer truncates a regular file back to the end of the last
 * complete record it holds, remembers the error and refuses further work.
 */
struct pf_writer {
	int fd;
	enum pf_format fmt;
	uint32_t nifs;
	int err;	  /* first error, negative errno */
	uint64_t flushed; /* bytes written to fd so far */
	uint64_t packets; /* packets accepted */
	uint64_t lost;	  /* of those, not in the file after a failed write */
	size_t len;	  /* bytes in buf */
	uint8_t *buf;	  /* PF_WRITER_BUF bytes */
};

/*
 * Start a file: the header (pcap) or the section header and one interface
 * description block per interface (pcapng). A classic pcap file takes one
 * interface (its link type and snap length go into the file header).
 * 0 or a negative errno.
 */
int pf_writer_open(struct pf_writer *w, int fd, enum pf_format fmt, const struct pf_shb_info *shb,
		   const struct pf_iface *ifs, uint32_t nifs);
/* Append one packet. 0 or a negative errno (also the writer's first error). */
int pf_write_packet(struct pf_writer *w, const struct pf_packet *p);
/* Append an interface statistics block (pcapng; nothing for pcap). */
int pf_write_stats(struct pf_writer *w, uint32_t iface, const struct pf_ifstats *s);
/* Write out the buffer. 0 or a negative errno. */
int pf_writer_flush(struct pf_writer *w);
/* Bytes in the file once everything buffered is written. */
uint64_t pf_writer_size(const struct pf_writer *w);
/* Flush and free the buffer (the fd stays open). 0 or a negative errno. */
int pf_writer_close(struct pf_writer *w);

/* ------------------------------------------------------------ reader */

#define PF_MAX_IFACES 256

/*
 * Reads classic pcap (either byte order, micro- or nanosecond magic, and
 * the modified pcap of Alexey Kuznetsov's patched libpcap) and pcapng
 * (either byte order, several sections, if_tsresol, if_tsoffset, enhanced,
 * simple and obsolete packet blocks; other blocks are skipped) from a
 * stream, which may be a pipe.
 */
struct pf_reader {
	FILE *f;
	enum pf_format fmt;
	bool swapped;
	bool modified; /* modified pcap (PF_PCAP): 24-byte record headers */
	uint32_t nifs;
	struct {
		char name[64]; /* "" when the file names none */
		uint16_t linktype;
		uint32_t snaplen;
		uint64_t units;	  /* timestamp units per second */
		int64_t offset_s; /* if_tsoffset */
	} ifs[PF_MAX_IFACES];
	uint64_t packets;			     /* packets returned so far */
	uint32_t sections;			     /* pcapng section headers read */
	char errbuf[128];			     /* why pf_read_packet() failed */
	struct pf_comment comments[PF_COMMENTS_MAX]; /* the current packet's */
	uint8_t *buf;				     /* current block */
	size_t cap;
	int err; /* first error: later calls return it again */
};

/* Start reading; on failure errbuf says why. 0 or a negative errno. */
int pf_reader_open(struct pf_reader *r, FILE *f);
/*
 * The next packet: 1 with *p filled (p->data valid until the next call),
 * 0 at a clean end of file, a negative errno with errbuf set otherwise
 * (a truncated or malformed file: every packet before it was returned).
 */
int pf_read_packet(struct pf_reader *r, struct pf_packet *p);
void pf_reader_close(struct pf_reader *r); /* frees; does not fclose */

#endif /* SOCKCAP_PCAPFILE_H */
