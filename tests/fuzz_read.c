// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: libFuzzer target: any file through -r's whole path to the line
 *
 * Built with clang's -fsanitize=fuzzer,address,undefined. The input is a
 * capture file: the reader, the record each packet makes (every link type
 * -r knows), and its line with each timestamp style, with and without -e
 * and -v, the interface names being whatever the file says. Every line must
 * fit SC_LINE_MAX whole and end in a newline. --json's object too, with and
 * without -e: a valid flat JSON object, its strings valid UTF-8 without a
 * raw control character, whole (no member left out), on one line.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "pcapfile.h"
#include "print.h"
#include "read.h"

static struct pf_reader rd; /* large: not on the stack */

static const char *name_of(uint32_t ifindex, void *arg)
{
	if (ifindex == 0 || ifindex > rd.nifs || !rd.ifs[ifindex - 1].name[0])
		return NULL;
	return rd.ifs[ifindex - 1].name;
}

static const char *by_index(uint32_t ifindex, void *arg)
{
	return ifindex & 1 ? "eth0" : NULL;
}

/* A string's body at p; the byte after its closing quote, or NULL. */
static const char *json_string(const char *p, const char *end)
{
	while (p < end && *p != '"') {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f) {
			return NULL;
		} else if (c == '\\') {
			if (end - p >= 6 && p[1] == 'u' && p[2] == '0' && p[3] == '0')
				p += 6;
			else if (end - p >= 2 && strchr("\"\\ntr", p[1]))
				p += 2;
			else
				return NULL;
		} else if (c < 0x80) {
			p++;
		} else {
			/* as json.c's utf8_seq(), with C1 (U+0080..U+009F) refused */
			int len = c >= 0xc2 && c <= 0xdf   ? 2
				  : (c & 0xf0) == 0xe0	   ? 3
				  : c >= 0xf0 && c <= 0xf4 ? 4
							   : 0;
			uint32_t v = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);

			if (!len || end - p < len)
				return NULL;
			for (int i = 1; i < len; i++) {
				if (((unsigned char)p[i] & 0xc0) != 0x80)
					return NULL;
				v = v << 6 | ((unsigned char)p[i] & 0x3f);
			}
			if (v < 0xa0 || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
			    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
				return NULL;
			p += len;
		}
	}
	return p < end ? p + 1 : NULL;
}

/* {"key":value,...}\n, values strings, unsigned numbers, true or false */
static int json_valid(const char *p, size_t n)
{
	static const char partial[] = "\"partial\":true";
	const char *end = p + n;

	if (n < 3 || *p++ != '{' || end[-1] != '\n' || end[-2] != '}')
		return 0;
	end -= 2;
	while (p < end) {
		if (*p++ != '"' || !(p = json_string(p, end)) || p >= end || *p++ != ':')
			return 0;
		if (p < end && *p == '"') {
			if (!(p = json_string(p + 1, end)))
				return 0;
		} else if (end - p >= 4 && !memcmp(p, "true", 4)) {
			p += 4;
		} else if (end - p >= 5 && !memcmp(p, "false", 5)) {
			p += 5;
		} else {
			const char *d = p;

			while (p < end && *p >= '0' && *p <= '9')
				p++;
			if (p == d || (*d == '0' && p - d > 1))
				return 0;
		}
		if (p < end && *p++ != ',')
			return 0;
		if (p == end && p[-1] == ',')
			return 0;
	}
	/* the member json_end() adds when one was left out: none may be */
	return !(n >= sizeof(partial) + 2 &&
		 !memcmp(end - sizeof(partial) + 1, partial, sizeof(partial) - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct printer pr[24], jpr[2];
	struct pf_packet p;
	char line[SC_LINE_MAX + 1];
	FILE *f;

	if (size == 0)
		return 0;
	for (int i = 0; i < 24; i++) {
		struct print_opts o = { .ts = i % 6, .eflag = i / 6 & 1, .vflag = i / 12 };

		printer_init(&pr[i], &o);
		pr[i].tai_offset_ns = 0;
		pr[i].from_file = 1;
	}
	for (int i = 0; i < 2; i++) {
		struct print_opts o = { .json = 1, .eflag = i };

		printer_init(&jpr[i], &o);
		jpr[i].tai_offset_ns = 0;
		jpr[i].from_file = 1;
	}
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (pf_reader_open(&rd, f) == 0) {
		while (pf_read_packet(&rd, &p) > 0) {
			struct sc_record r;
			bool idx;
			int undecoded =
				read_record(&rd, &p, &r, &idx, NULL, NULL) == READ_UNDECODED;

			for (int i = 0; i < 24; i++) {
				size_t n;

				pr[i].ifname = idx ? by_index : name_of;
				memset(line, 0xa5, sizeof(line));
				n = undecoded ? sc_format_linktype(&pr[i], &r, 7, line, SC_LINE_MAX)
					      : sc_format(&pr[i], &r, line, SC_LINE_MAX);
				if (n < 1 || n > SC_LINE_MAX || line[n - 1] != '\n' ||
				    (unsigned char)line[SC_LINE_MAX] != 0xa5 ||
				    (n >= 4 && !memcmp(line + n - 4, "...\n", 4)))
					__builtin_trap();
			}
			for (int i = 0; i < 2; i++) {
				size_t n;

				jpr[i].ifname = idx ? by_index : name_of;
				memset(line, 0xa5, sizeof(line));
				n = sc_format_json(&jpr[i], &r, undecoded ? 7 : -1, line,
						   SC_LINE_MAX);
				if (n < 1 || n > SC_LINE_MAX ||
				    (unsigned char)line[SC_LINE_MAX] != 0xa5 ||
				    memchr(line, '\n', n - 1) || !json_valid(line, n))
					__builtin_trap();
			}
		}
	}
	pf_reader_close(&rd);
	fclose(f);
	return 0;
}
