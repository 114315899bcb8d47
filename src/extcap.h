/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: Wireshark's extcap interface: sockcap as a capture source of Wireshark */
#ifndef SOCKCAP_EXTCAP_H
#define SOCKCAP_EXTCAP_H

#include <stdbool.h>

#include "options.h"

/* What Wireshark calls each interface: this, then sockcap's name for it. */
#define EXTCAP_PREFIX "sockcap-"

/*
 * Is this command line one of Wireshark's extcap calls? Every one of them
 * names an --extcap-* option, and sockcap's own command line has none.
 */
bool extcap_wanted(int argc, char **argv);

/*
 * Answer the call: the interface list, an interface's link type or
 * settings, a capture filter's check, or a capture into Wireshark's FIFO,
 * which run() does from the sockcap command line the call amounts to.
 * Returns the exit status.
 */
int extcap_main(int argc, char **argv, int (*run)(struct options *opt));

#endif /* SOCKCAP_EXTCAP_H */
