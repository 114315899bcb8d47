// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: write a fixed sample capture file, for checks with other tools
 *
 * Usage: pf_sample FORMAT OUTFILE, FORMAT one of pcap, pcap-ns, pcapng,
 * OUTFILE "-" for standard output. tests/pcap_tools.sh reads the result
 * with capinfos, tshark and tcpdump; what it expects is listed here:
 *
 *   #  frame           direction          pcapng interface  caplen/len
 *   1  UDP/IPv4        in, unicast        0 veth-a          60/60
 *   2  TCP/IPv6        out                1 veth-b          74/74
 *   3  ARP request     in, broadcast      0 veth-a          42/42
 *   4  UDP/IPv4        in, multicast      1 veth-b          60/60
 *   5  TCP/IPv6        in, other host     0 veth-a          54/74
 *
 * Timestamps are 1700000000.123456789 s plus 1.000001001 s per packet.
 * Classic pcap has one interface and no direction; pcapng adds interface
 * statistics: veth-a recv 1000 drop 7 filter_accept 1000 os_drop 7
 * usr_deliv 993, veth-b recv 500 drop 3 filter_accept 500 os_drop 3
 * usr_deliv 497.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pcapfile.h"
#include "pkt.h"

#define TS0  1700000000123456789ull
#define STEP 1000001001ull

static const uint8_t MAC_MCAST[6] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };

/* to 198.18.0.2, or with a multicast MAC to the group 239.1.2.3 */
static void frame_udp4(struct pkt *p, const uint8_t *dst)
{
	static const uint8_t group[4] = { 239, 1, 2, 3 };
	unsigned int ip;

	eth(p, dst, 0x0800);
	ip = ip4(p, 17, 5, 0, 0x4000);
	if (dst[0] & 1)
		memcpy(p->b + ip + 16, group, 4);
	udp(p, 40000, 9, 18, -1);
	finish_ip4(p, ip);
}

static void frame_tcp6(struct pkt *p)
{
	unsigned int ip;

	eth(p, MAC_B, 0x86dd);
	ip = ip6(p, 6);
	tcp(p, 0x18, 1000, 2000, 0);
	finish_ip6(p, ip);
}

int main(int argc, char **argv)
{
	static const struct pf_iface ifs[2] = {
		{ .name = "veth-a", .linktype = PF_LINKTYPE_ETHERNET, .snaplen = 262144 },
		{ .name = "veth-b", .linktype = PF_LINKTYPE_ETHERNET, .snaplen = 262144 },
	};
	static const struct pf_shb_info shb = { .os = "Linux", .userappl = "sockcap pf_sample" };
	static const struct pf_ifstats stats[2] = {
		{ .start_ns = TS0 - STEP,
		  .end_ns = TS0 + 6 * STEP,
		  .recv = 1000,
		  .drop = 7,
		  .filter_accept = 1000,
		  .os_drop = 7,
		  .usr_deliv = 993 },
		{ .start_ns = TS0 - STEP,
		  .end_ns = TS0 + 6 * STEP,
		  .recv = 500,
		  .drop = 3,
		  .filter_accept = 500,
		  .os_drop = 3,
		  .usr_deliv = 497 },
	};
	struct {
		struct pkt frame;
		unsigned int pkttype, iface, caplen;
	} pk[5];
	struct pf_writer w;
	enum pf_format fmt;
	int fd, err, ng;

	if (argc != 3) {
		fprintf(stderr, "usage: pf_sample pcap|pcap-ns|pcapng OUTFILE|-\n");
		return 2;
	}
	if (!strcmp(argv[1], "pcap")) {
		fmt = PF_PCAP;
	} else if (!strcmp(argv[1], "pcap-ns")) {
		fmt = PF_PCAP_NS;
	} else if (!strcmp(argv[1], "pcapng")) {
		fmt = PF_PCAPNG;
	} else {
		fprintf(stderr, "pf_sample: unknown format '%s'\n", argv[1]);
		return 2;
	}
	ng = fmt == PF_PCAPNG;

	memset(pk, 0, sizeof(pk));
	frame_udp4(&pk[0].frame, MAC_B);
	pk[0].pkttype = PACKET_HOST;
	frame_tcp6(&pk[1].frame);
	pk[1].pkttype = PACKET_OUTGOING;
	pk[1].iface = 1;
	pkt_arp(&pk[2].frame, 1);
	pk[2].pkttype = PACKET_BROADCAST;
	frame_udp4(&pk[3].frame, MAC_MCAST);
	pk[3].pkttype = PACKET_MULTICAST;
	pk[3].iface = 1;
	frame_tcp6(&pk[4].frame);
	pk[4].pkttype = PACKET_OTHERHOST;
	pk[4].caplen = 54; /* Ethernet and IPv6 headers only */

	if (!strcmp(argv[2], "-"))
		fd = STDOUT_FILENO;
	else
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "pf_sample: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	err = pf_writer_open(&w, fd, fmt, &shb, ifs, ng ? 2 : 1);
	for (unsigned int i = 0; !err && i < sizeof(pk) / sizeof(pk[0]); i++) {
		struct pf_packet p = {
			.ts_ns = TS0 + i * STEP,
			.len = pk[i].frame.len,
			.caplen = pk[i].caplen ? pk[i].caplen : pk[i].frame.len,
			.iface = ng ? pk[i].iface : 0,
			.flags = pf_flags_from_pkttype(pk[i].pkttype),
			.data = pk[i].frame.b,
		};

		err = pf_write_packet(&w, &p);
	}
	for (unsigned int i = 0; !err && ng && i < 2; i++)
		err = pf_write_stats(&w, i, &stats[i]);
	if (!err)
		err = pf_writer_close(&w);
	else
		pf_writer_close(&w);
	if (err) {
		fprintf(stderr, "pf_sample: writing %s: %s\n", argv[2], strerror(-err));
		return 1;
	}
	if (fd != STDOUT_FILENO && close(fd)) {
		fprintf(stderr, "pf_sample: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
