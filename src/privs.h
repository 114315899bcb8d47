/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: capability checks before capture, and dropping them after setup */
#ifndef SOCKCAP_PRIVS_H
#define SOCKCAP_PRIVS_H

/* 0 if the process may load the program and open the socket, else -EPERM
 * after a one-line message naming what is missing. */
int privs_check(void);
/* Give up every capability for good. 0 or a negative errno. */
int privs_drop(void);

#endif /* SOCKCAP_PRIVS_H */
