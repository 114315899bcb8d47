/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: signals only set flags; the loops look at them */
#ifndef SOCKCAP_SIGNALS_H
#define SOCKCAP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

extern volatile sig_atomic_t sc_stop_requested;	 /* SIGINT, SIGTERM */
extern volatile sig_atomic_t sc_stats_requested; /* SIGUSR1 */

/*
 * SIGINT and SIGTERM ask to stop, SIGUSR1 for the statistics (or nothing,
 * without stats); a closed pipe is an error of write(2), and a file size
 * limit EFBIG, not signals.
 */
void sc_catch_signals(bool stats);

#endif /* SOCKCAP_SIGNALS_H */
