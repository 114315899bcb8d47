// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: libFuzzer target: any file through -r's whole path to the line
 *
 * Built with clang's -fsanitize=fuzzer,address,undefined. The input is a
 * capture file: the reader, the record each packet makes (every link type
 * -r knows), and its line with each timestamp style, with and without -e
 * and -v, the interface names being whatever the file says. Every line must
 * fit SC_LINE_MAX whole and end in a newline.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct printer pr[24];
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
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (pf_reader_open(&rd, f) == 0) {
		while (pf_read_packet(&rd, &p) > 0) {
			struct sc_record r;
			bool idx;
			int undecoded = read_record(&rd, &p, &r, &idx) == READ_UNDECODED;

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
		}
	}
	pf_reader_close(&rd);
	fclose(f);
	return 0;
}
