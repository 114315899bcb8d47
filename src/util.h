/* SPDX-License-Identifier: GPL-2.0-only */
/* \summary: diagnostics and argument parsing shared by the program's parts */
#ifndef SOCKCAP_UTIL_H
#define SOCKCAP_UTIL_H

#include <stdbool.h>

/* "sockcap: <message>" on stderr. */
void sc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A macro's value as a string literal */
#define STR_(x) #x
#define STR(x)	STR_(x)

/*
 * Parse a whole decimal number in [min, max]; false for anything else
 * (empty, trailing junk, sign where min >= 0, overflow).
 */
bool sc_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

#endif /* SOCKCAP_UTIL_H */
