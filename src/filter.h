/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: tcpdump filter expressions: compiled by libpcap, shown, matched */
#ifndef SOCKCAP_FILTER_H
#define SOCKCAP_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/filter.h>

struct filter {
	char *expr;		   /* the expression, as given */
	struct sock_filter *insns; /* classic BPF, as pcap_compile made it */
	unsigned int len;
	int linktype; /* the link type the program was compiled for, as asked */
};

/*
 * Join the words of argv into one expression, as tcpdump does. NULL when
 * there are none.
 */
char *filter_join(char **argv, int argc);
/* The expression in a file (-F), '#' comments and all. NULL on error (reported). */
char *filter_read_file(const char *path);

/*
 * Compile expr for a live capture on ifname (a libpcap handle on the
 * interface, so "vlan" reads the tag the kernel took out of the frame, as
 * tcpdump's filter does) whose packets are of the given link type, or,
 * with ifname NULL, for a file's link type. linktype is a LINKTYPE_ number
 * (as in files: 1 Ethernet, 101 raw IP, 276 LINUX_SLL2).
 * On failure prints libpcap's message on one line and returns -EINVAL.
 */
int filter_compile(struct filter *f, const char *expr, const char *ifname, int linktype,
		   uint32_t snaplen);
/* -d: the classic program as tcpdump -d shows it. */
void filter_dump_classic(const struct filter *f, FILE *out);
/* -dd: the eBPF program that runs it in the kernel (as loaded with -w or not). */
int filter_dump_ebpf(const struct filter *f, FILE *out);
/* -d (dflag 1) or -dd (2) on stdout: EXIT_SUCCESS or EXIT_FAILURE. */
int filter_show(const struct filter *f, int dflag);
/* The snap length for a packet of a file (user space, libpcap's interpreter). */
uint32_t filter_match(const struct filter *f, const uint8_t *data, uint32_t caplen, uint32_t len);
/*
 * Does the program read what only the kernel knows of a packet (direction,
 * interface, a tag taken out of the frame: "inbound", "ifindex")? libpcap's
 * interpreter cannot, so such an expression cannot filter a file.
 */
bool filter_needs_kernel(const struct filter *f);
void filter_free(struct filter *f);

#endif /* SOCKCAP_FILTER_H */
