// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: libFuzzer target: any bytes through the capture-file reader
 *
 * Built by `make fuzz-pcap` with clang's -fsanitize=fuzzer,address,undefined.
 * The input is read as a file from a memory stream until the reader stops;
 * every byte of every packet is touched, so the sanitizers see a packet
 * that points outside its block, and the reader's promises are checked.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcapfile.h"

static struct pf_reader r; /* large: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	volatile uint8_t sink = 0;
	struct pf_packet p;
	FILE *f;
	int rc;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	rc = pf_reader_open(&r, f);
	if (rc > 0 || (rc < 0 && !r.errbuf[0]))
		__builtin_trap();
	while (rc == 0) {
		rc = pf_read_packet(&r, &p);
		if (rc <= 0)
			break;
		if (p.caplen > p.len || p.iface >= r.nifs || r.nifs > PF_MAX_IFACES ||
		    (p.caplen && !p.data))
			__builtin_trap();
		for (uint32_t i = 0; i < p.caplen; i++)
			sink ^= p.data[i];
		if (memchr(r.ifs[p.iface].name, 0, sizeof(r.ifs[p.iface].name)) == NULL)
			__builtin_trap();
		rc = 0;
	}
	if (rc < 0 && (!r.errbuf[0] || !memchr(r.errbuf, 0, sizeof(r.errbuf))))
		__builtin_trap();
	pf_reader_close(&r);
	fclose(f);
	(void)sink;
	return 0;
}
