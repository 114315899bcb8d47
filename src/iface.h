/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: interfaces: the default choice and the list (-D) */
#ifndef SOCKCAP_IFACE_H
#define SOCKCAP_IFACE_H

/* The first interface that is up, running and not loopback, or NULL. */
const char *iface_default(void);
/* -D: print every interface, as tcpdump -D; EXIT_SUCCESS or EXIT_FAILURE. */
int iface_list(void);

#endif /* SOCKCAP_IFACE_H */
