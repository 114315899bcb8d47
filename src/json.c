// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the JSON writer: flat objects, one a line, in a bounded room
 * (RFC 8259), every string valid UTF-8
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"

static const char hex[] = "0123456789abcdef";

static void put(struct json *j, const char *s, size_t n)
{
	if (j->over || n > (size_t)(j->end - j->p)) {
		j->over = true;
		return;
	}
	memcpy(j->p, s, n);
	j->p += n;
}

static void put_c(struct json *j, char c)
{
	put(j, &c, 1);
}

/* \u00XX: a control character, or a byte that is not part of valid UTF-8 */
static void put_u00(struct json *j, unsigned int v)
{
	char e[6] = { '\\', 'u', '0', '0', hex[v >> 4 & 0xf], hex[v & 0xf] };

	put(j, e, sizeof(e));
}

/*
 * The length of the valid UTF-8 sequence at s (n bytes left) and its code
 * point in *cp, or 0 when s does not start one: RFC 3629 section 4, so no
 * overlong form, no surrogate, nothing past U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < least[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static void put_string(struct json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	put_c(j, '"');
	while (n && !j->over) {
		uint32_t cp;
		size_t len = utf8_seq(s, n, &cp);

		if (!len) {
			put_u00(j, *s); /* not UTF-8: the byte, as Latin-1 */
			len = 1;
		} else if (cp == '"' || cp == '\\') {
			put_c(j, '\\');
			put_c(j, (char)cp);
		} else if (cp == '\n') {
			put(j, "\\n", 2);
		} else if (cp == '\t') {
			put(j, "\\t", 2);
		} else if (cp == '\r') {
			put(j, "\\r", 2);
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			put_u00(j, cp); /* C0, DEL and C1: never raw to a terminal */
		} else {
			put(j, (const char *)s, len);
		}
		s += len;
		n -= len;
	}
	put_c(j, '"');
}

/* ,"key": -- keys are the program's own ASCII names */
static char *member_start(struct json *j, const char *key)
{
	char *mark = j->p;

	if (j->members)
		put_c(j, ',');
	put_c(j, '"'); /* nothing to check or escape */
	put(j, key, strlen(key));
	put(j, "\":", 2);
	return mark;
}

/* A member that did not fit is taken back whole. */
static void member_end(struct json *j, char *mark)
{
	if (j->over) {
		j->p = mark;
		j->over = false;
		j->partial = true;
		return;
	}
	j->members = true;
}

void json_begin(struct json *j, char *buf, size_t room)
{
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->p = buf;
	j->end = buf + room - JSON_TAIL;
	*j->p++ = '{';
}

void json_strn(struct json *j, const char *key, const char *s, size_t n)
{
	char *mark = member_start(j, key);

	put_string(j, s, strnlen(s, n));
	member_end(j, mark);
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_strn(j, key, s, strlen(s));
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	char d[20], *p = d + sizeof(d);
	char *mark = member_start(j, key);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(j, p, (size_t)(d + sizeof(d) - p));
	member_end(j, mark);
}

void json_bool(struct json *j, const char *key, bool v)
{
	char *mark = member_start(j, key);

	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
	member_end(j, mark);
}

size_t json_end(struct json *j)
{
	/* the room kept back holds this tail */
	j->end += JSON_TAIL;
	if (j->partial) {
		static const char tail[] = ",\"partial\":true";

		memcpy(j->p, tail + !j->members, sizeof(tail) - 1 - !j->members);
		j->p += sizeof(tail) - 1 - !j->members;
	}
	*j->p++ = '}';
	*j->p++ = '\n';
	return (size_t)(j->p - j->buf);
}

/* RFC 3339, UTC, microseconds: "2026-12-04T18:00:00.123456Z" */
void json_time(struct json *j, const char *key, uint64_t ns)
{
	/* a packet's second is most often the last one's: its text is kept */
	static _Thread_local uint64_t cached_sec = UINT64_MAX;
	static _Thread_local char date[64];
	uint64_t sec = ns / 1000000000;
	unsigned int usec = (unsigned int)(ns % 1000000000 / 1000);
	char frac[10], *mark;

	/* RFC 3339 has four-digit years: a later time (a file's) has none */
	if (sec > 253402300799ULL)
		return;
	if (sec != cached_sec) {
		time_t t = (time_t)sec;
		struct tm tm;

		if (!gmtime_r(&t, &tm))
			return;
		snprintf(date, sizeof(date), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		cached_sec = sec;
	}
	frac[0] = '.';
	for (int i = 6; i > 0; i--, usec /= 10)
		frac[i] = (char)('0' + usec % 10);
	frac[7] = 'Z';
	/* digits and punctuation: nothing to check or escape */
	mark = member_start(j, key);
	put_c(j, '"');
	put(j, date, strlen(date));
	put(j, frac, 8);
	put_c(j, '"');
	member_end(j, mark);
}
