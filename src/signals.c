// SPDX-License-Identifier: GPL-2.0-only
/* \summary: signals only set flags; the loops look at them */
#include <stddef.h>

#include "signals.h"

volatile sig_atomic_t sc_stop_requested;
volatile sig_atomic_t sc_stats_requested;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		sc_stats_requested = 1;
	else
		sc_stop_requested = 1;
}

void sc_catch_signals(bool stats)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (stats)
		sigaction(SIGUSR1, &sa, NULL);
	else
		signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}
