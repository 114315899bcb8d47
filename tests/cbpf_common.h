/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What tests/test_cbpf.c and tests/test_cbpf_live.c share: the counts of
 * checks and failures, the packet corpus, read from tests/golden under
 * $srcdir, and the filter expressions, read from tests/cbpf_exprs.txt.
 */
#ifndef SOCKCAP_TESTS_CBPF_COMMON_H
#define SOCKCAP_TESTS_CBPF_COMMON_H

#define _GNU_SOURCE /* unshare() */
#define bpf_insn    pcap_bpf_insn
#include <pcap/pcap.h>
#undef bpf_insn
#undef BPF_STMT
#undef BPF_JUMP

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cbpf.h"

/* libpcap's classic instruction is passed as the kernel's: same layout. */
_Static_assert(sizeof(struct pcap_bpf_insn) == sizeof(struct sock_filter), "insn size");
_Static_assert(offsetof(struct pcap_bpf_insn, k) == offsetof(struct sock_filter, k), "insn k");
_Static_assert(offsetof(struct pcap_bpf_insn, jf) == offsetof(struct sock_filter, jf), "insn jf");

#define SNAPLEN	  262144
#define FAKE_TYPE 0x88b5 /* IEEE local experimental: the kernel does nothing with it */
#define FRAME_MAX 3600	 /* BPF_PROG_TEST_RUN takes a page minus head and tail room */

extern unsigned long checks, failures;
extern unsigned long show_fails; /* CBPF_SHOW_FAILS=n to see more */

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double now(void);

/* ------------------------------------------------------------- frames */

struct frame {
	uint8_t *b;
	unsigned int len;
	char name[56];
};

extern struct frame *frames;
extern unsigned int nframes;

/*
 * The frames of $srcdir/tests/golden/<file>, a capture file of
 * LINKTYPE_ETHERNET, appended to (*fs)[0..*n). With named, frame N is named
 * by the line "N NAME" of <file>.names, next to it; else "<file> #N".
 * Exits with 99 when a file cannot be read, holds no frame, a frame longer
 * than FRAME_MAX, or names that do not match its frames.
 */
void read_frames(const char *file, bool named, struct frame **fs, unsigned int *n);

/*
 * The packet corpus, into frames[]: tests/golden/cbpf-frames.pcap, which
 * tests/mkcbpf.py writes, then the frames of tests/golden/deep-*.pcap.
 */
void load_frames(void);

/* The frame of fs[0..n) named name; exits with 99 when there is none. */
const struct frame *named_frame(const struct frame *fs, unsigned int n, const char *name);

/* ----------------------------------------------------------- data */

/*
 * The lines of $srcdir/tests/<name> (srcdir "." when unset) that are
 * neither blank nor comments (#), trimmed. Exits with 99 when the file
 * cannot be read, holds no such line, or a line holding a control
 * character or longer than 1000 bytes.
 */
char **read_lines(const char *name, unsigned int *n);

/* tests/cbpf_exprs.txt: libpcap expressions for DLT_EN10MB. */
extern char **exprs;
extern unsigned int nexprs;
void read_exprs(void);
/*
 * What both programs do first: line-buffered output, CBPF_SHOW_FAILS, exit
 * 77 unless root, the expressions read; a handle to compile them with.
 */
pcap_t *cbpf_test_start(void);

/*
 * Each expression compiled by pcap_compile, optimized then not; the
 * unoptimized program is left out when it is the optimized one again.
 * fn gets what (the expression, quoted, and whether unoptimized) and the
 * program. A compilation that fails is a failure, and a check when count.
 * Returns how many unoptimized programs were left out.
 */
typedef void corpus_fn(const char *what, const struct sock_filter *insns, unsigned int n,
		       void *arg);
unsigned int corpus_programs(pcap_t *pc, bool count, corpus_fn *fn, void *arg);

#endif /* SOCKCAP_TESTS_CBPF_COMMON_H */
