// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: libFuzzer target: any bytes through the shared parser and formatter
 *
 * Built with clang's -fsanitize=fuzzer,address,undefined. The first bytes
 * choose the record's metadata (wire length, a VLAN tag the kernel would
 * have stripped, time, direction), the output options (every timestamp
 * style, -e, -v), an interface name of any bytes and the room the line is
 * given; the rest is the frame. Every line must stay within its room, end
 * in a newline, hold no NUL, and be whole when the room is SC_LINE_MAX.
 */
#include <linux/if_packet.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "print.h"

#define HDR 16

static char ifname[64];

static const char *fuzz_ifname(uint32_t ifindex, void *arg)
{
	return ifindex ? ifname : NULL;
}

static void check_line(const char *line, size_t n, size_t room, size_t canary)
{
	if (n > room || (room && (n == 0 || line[n - 1] != '\n')) || memchr(line, 0, n) ||
	    (unsigned char)line[canary] != 0xa5)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct print_opts o = { 0 };
	struct printer pr;
	struct sc_record r;
	char line[SC_LINE_MAX + 1];
	uint64_t ts;
	size_t n, room, namelen;

	if (size < HDR)
		return 0;
	o.ts = data[2] % 6;
	o.eflag = data[2] & 8;
	o.vflag = data[2] & 16;
	memcpy(&ts, data + 4, 8);
	memset(&r, 0xa5, sizeof(r));
	r.ts_ns = ts;
	r.ifindex = data[3] & 1;
	r.pkttype = data[12];
	r.version = SC_RECORD_VERSION;
	r.flags = (data[2] & 32) ? SC_F_VLAN_OOB : 0;
	r.vlan_tci = data[0] | data[1] << 8;
	r.wire_len = size - HDR + (data[2] & 64 ? r.vlan_tci : 0);
	/* a stripped tag's TPID, which the kernel gives: any */
	r.vlan_proto = data[13] << 8 | data[12];
	/* an interface name of the frame's first bytes, any of them */
	namelen = data[13] % sizeof(ifname);
	memset(ifname, 0, sizeof(ifname));
	memcpy(ifname, data + HDR, namelen < size - HDR ? namelen : size - HDR);
	{
		struct sc_buf b = { .data = data + HDR, .len = size - HDR };

		if (data[3] & 2)
			sc_parse_net(&b, data[14] << 8 | data[15], &r);
		else
			sc_parse(&b, &r);
	}
	printer_init(&pr, &o);
	pr.ifname = fuzz_ifname;
	pr.from_file = data[3] & 4;
	/* twice, so -ttt and -ttttt have a previous packet */
	for (int i = 0; i < 2; i++) {
		memset(line, 0xa5, sizeof(line));
		n = sc_format(&pr, &r, line, SC_LINE_MAX);
		check_line(line, n, SC_LINE_MAX, SC_LINE_MAX);
		/* with SC_LINE_MAX of room no line is cut */
		if (n >= 4 && !memcmp(line + n - 4, "...\n", 4) && n == SC_LINE_MAX)
			__builtin_trap();
		r.ts_ns += (uint64_t)data[15] << 40;
	}
	/* and in less room, never a byte more */
	room = data[14] % (n + 1);
	memset(line, 0xa5, sizeof(line));
	check_line(line, sc_format(&pr, &r, line, room), room, room);
	memset(line, 0xa5, sizeof(line));
	check_line(line, sc_format_linktype(&pr, &r, data[15], line, room), room, room);
	return 0;
}
