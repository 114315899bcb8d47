// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the flow families' table and its cardinality cap
 *
 *   test_metrics CAP INPUT >PAGE
 *
 * Feeds a fixed pseudo-random sequence of flow counts (deltas, in rounds,
 * as the flows callback hands them over) to a table of at most CAP label
 * sets, writing each call to INPUT ("round comm-in-hex proto port dir
 * packets bytes") and after each round the families to PAGE, a round per
 * block starting "# round N". tests/metrics_flows.sh checks the pages with
 * promtool and against its own model of the cap (tests/metrics.py).
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

/* Names a cap must tell apart, escape, or take as one. */
static const char *const names[] = {
	"sshd",	 "curl",   "nginx", "a\"quote", "back\\slash",	   "", "caf\xc3\xa9", "caf\xc3\xa8",
	"other", "sp ace", "x\x01", "x\x02",	"fifteen-bytes!!",
};

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

int main(int argc, char **argv)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, 132 };
	static const uint16_t ports[] = { 22, 80, 443, 53, 0 };
	struct metrics_flows f;
	uint64_t seed = 42;
	FILE *in;

	if (argc != 3 || metrics_flows_init(&f, (unsigned int)atoi(argv[1]))) {
		fprintf(stderr, "usage: test_metrics CAP INPUT\n");
		return 1;
	}
	in = fopen(argv[2], "w");
	if (!in) {
		perror(argv[2]);
		return 1;
	}
	for (int round = 0; round < 4; round++) {
		for (int j = 0; j < 30; j++) {
			struct metrics_flow_key k = { 0 };
			const char *name = names[rnd(&seed) % (sizeof(names) / sizeof(names[0]))];
			uint64_t packets = rnd(&seed) % 1000,
				 bytes = packets * (40 + rnd(&seed) % 1460);

			/* the last round: some that do not change, some large */
			if (round == 3 && j % 3 == 0)
				packets = bytes = 0;
			if (round == 3 && j % 7 == 0)
				bytes += 1ull << 40;
			strncpy(k.comm, name, sizeof(k.comm) - 1);
			k.proto = protos[rnd(&seed) % sizeof(protos)];
			k.local_port = ports[rnd(&seed) % (sizeof(ports) / sizeof(ports[0]))];
			k.direction = rnd(&seed) % 2 ? METRICS_DIR_OUT : METRICS_DIR_IN;
			metrics_flows_add(&f, &k, packets, bytes);
			fprintf(in, "%d ", round);
			for (const char *c = k.comm; *c; c++)
				fprintf(in, "%02x", (unsigned char)*c);
			fprintf(in, "%s %u %u %s %llu %llu\n", k.comm[0] ? "" : "-", k.proto,
				k.local_port, k.direction == METRICS_DIR_OUT ? "out" : "in",
				(unsigned long long)packets, (unsigned long long)bytes);
		}
		printf("# round %d\n", round);
		metrics_flows_write(&f, stdout);
	}
	metrics_flows_free(&f);
	return fclose(in) || fflush(stdout) ? 1 : 0;
}
