// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: TCP options and the urgent pointer, from the TCP header a record carries
 */
#include "decode.h"
#include "parse.h"

void put_tcp_options(struct line *l, const struct sc_record *r)
{
	(void)l;
	(void)r;
}
