// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: libFuzzer target: any bytes through the shared parser and formatter
 *
 * Built by `make fuzz` with clang's -fsanitize=fuzzer,address,undefined. The
 * first four input bytes choose the wire length, the VLAN tag the kernel
 * would have stripped and the output options; the rest is the frame.
 */
#include <linux/if_packet.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct print_opts o = { .ts = TS_EPOCH };
	struct printer pr;
	struct sc_record r;
	char line[SC_LINE_MAX + 64];
	uint32_t extra;
	size_t n;

	if (size < 4)
		return 0;
	extra = data[0] | data[1] << 8;
	o.eflag = data[2] & 1;
	o.vflag = data[2] & 2;
	memset(&r, 0xa5, sizeof(r));
	r.ts_ns = 1;
	r.ifindex = data[3];
	r.pkttype = data[2] >> 4;
	r.version = SC_RECORD_VERSION;
	r.flags = (data[2] & 4) ? SC_F_VLAN_OOB : 0;
	r.vlan_tci = extra;
	r.wire_len = size - 4 + (data[2] & 8 ? extra : 0);
	r.pad0 = 0;
	{
		struct sc_buf b = { .data = data + 4, .len = size - 4 };

		sc_parse(&b, &r);
	}
	printer_init(&pr, &o);
	n = sc_format(&pr, &r, line);
	if (n == 0 || n > SC_LINE_MAX || line[n - 1] != '\n' || memchr(line, 0, n))
		__builtin_trap();
	return 0;
}
