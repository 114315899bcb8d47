/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: JSON Lines: a writer of one flat object per line into a bounded
 * room, and the per-packet object of --json
 *
 * The writer is for every JSON output (packets, flows): it writes members
 * one at a time, and a member that would take the object past its room is
 * left out whole (the object then ends with "partial": true), so a line is
 * always a complete, valid object ending in a newline, never a cut one.
 * Put the keys a reader cannot do without first.
 *
 * Strings are written as UTF-8: a valid UTF-8 sequence as it is, a byte
 * that is not part of one as \u00XX (the code point of the byte's value,
 * as Latin-1 reads it); quotes, backslashes and control characters (C0,
 * DEL and C1) escaped, so no string can talk to a terminal.
 */
#ifndef SOCKCAP_JSON_H
#define SOCKCAP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "print.h"
#include "sockcap.h"

/* The schema version of the per-packet object ("version"). */
#define SC_JSON_VERSION 1

/* What json_end() needs after the last member: ,"partial":true}\n */
#define JSON_TAIL 17
/* The least room json_begin() accepts: "{" and the tail. */
#define JSON_ROOM_MIN (1 + JSON_TAIL)

struct json {
	char *buf;
	char *p;
	char *end;    /* the room less JSON_TAIL */
	bool members; /* a member has been written: the next needs a comma */
	bool over;    /* the member being written does not fit */
	bool partial; /* a member was left out */
};

/* Start an object in room bytes of buf (room >= JSON_ROOM_MIN). */
void json_begin(struct json *j, char *buf, size_t room);
/* A string member: s up to its NUL. */
void json_str(struct json *j, const char *key, const char *s);
/* A string member of at most n bytes of s, up to a NUL within them. */
void json_strn(struct json *j, const char *key, const char *s, size_t n);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
/*
 * A time member: ns since the epoch (UTC) in RFC 3339 with microseconds,
 * "2026-12-04T18:00:00.123456Z"; left out past the year 9999.
 */
void json_time(struct json *j, const char *key, uint64_t ns);
/* End the object and the line; returns its length in bytes. */
size_t json_end(struct json *j);

/*
 * --json: the per-packet object of r, schema SC_JSON_VERSION, as one line
 * in room bytes of buf (SC_LINE_MAX holds every such object whole).
 * linktype -1: r was decoded; another value: a frame of that link type,
 * which sockcap does not decode (only its metadata is known).
 */
size_t sc_format_json(struct printer *pr, const struct sc_record *r, int linktype, char *buf,
		      size_t room);

#endif /* SOCKCAP_JSON_H */
