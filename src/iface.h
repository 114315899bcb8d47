/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: interfaces: the default choice and the list (-D) */
#ifndef SOCKCAP_IFACE_H
#define SOCKCAP_IFACE_H

#include <net/if.h>
#include <stdint.h>

/* Interface names by index, looked up on first sight. */
struct iface_names {
	struct {
		uint32_t ifindex;
		char name[IF_NAMESIZE];
	} slot[64];
};

/*
 * The name of interface ifindex, names being a struct iface_names (a
 * printer's ifname callback); NULL when there is none.
 */
const char *iface_name(uint32_t ifindex, void *names);

/* The first interface that is up, running and not loopback, or NULL. */
const char *iface_default(void);
/* -D: print every interface, as tcpdump -D; EXIT_SUCCESS or EXIT_FAILURE. */
int iface_list(void);

#endif /* SOCKCAP_IFACE_H */
