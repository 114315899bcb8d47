/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * \summary: translate a classic BPF filter (pcap_compile's output) to eBPF
 *
 * The result is a complete BPF_PROG_TYPE_SOCKET_FILTER program that runs the
 * classic filter with the semantics of libpcap's interpreter
 * (pcap_offline_filter): A and X are 32-bit and start at 0, scratch memory
 * M[0..15] starts at 0 (libpcap 1.10.3's interpreter leaves it as it
 * finds it, but pcap_compile never reads a word it has not written first),
 * arithmetic wraps at 32 bits, shifts by 32 or more
 * give 0, a division or modulo by X == 0 and any load outside the packet
 * reject the packet (return 0), the offset X + k of an indirect load does
 * not wrap around, and backward jumps (which libpcap emits for
 * "protochain") work up to a bound (max_back_jumps).
 *
 * The Linux ancillary loads (SKF_AD_OFF + ...) that libpcap emits for live
 * Linux handles and for "inbound", "outbound" and "ifindex" read the
 * matching struct __sk_buff fields and give what the kernel's classic BPF
 * gives, whatever the load's size. libpcap's interpreter cannot evaluate
 * them (pcap_offline_filter() rejects every packet).
 *
 * Packet offsets are relative to skb->data, which on an AF_PACKET socket is
 * the MAC header: offset 0 is the first byte of the frame, as for libpcap.
 * Note that the kernel usually takes a VLAN tag out of the frame into
 * skb->vlan_tci before packet sockets see it: "vlan" compiled on a dead
 * DLT_EN10MB handle looks for the tag in the frame, while libpcap's live
 * Linux handles emit vlan_tag / vlan_tag_present loads instead.
 *
 * Name clash: libpcap's <pcap/bpf.h> and the kernel's <linux/bpf.h> both
 * define struct bpf_insn. This header needs the kernel's; the classic
 * program is taken as struct sock_filter, which has the layout of libpcap's
 * struct bpf_insn (code, jt, jf, k), so pass
 * (const struct sock_filter *)prog.bf_insns. A file that needs both headers
 * includes libpcap's first as
 *	#define bpf_insn pcap_bpf_insn
 *	#include <pcap/pcap.h>
 *	#undef bpf_insn
 * or uses cbpf_load(), which needs no struct bpf_insn at all.
 *
 * Needs Linux 5.1 or later (BPF_JMP32).
 */
#ifndef SOCKCAP_CBPF_H
#define SOCKCAP_CBPF_H

#include <stddef.h>
#include <linux/bpf.h>
#include <linux/filter.h>

enum cbpf_mode {
	/* Return what the classic program returns: the snap length or 0. */
	CBPF_STANDALONE = 0,
	/*
	 * When the classic program accepts (returns non-zero), tail-call
	 * slot `slot` of the BPF_MAP_TYPE_PROG_ARRAY `prog_array_fd`; the
	 * callee's return value is the result. Return 0 when the classic
	 * program rejects or the tail call fails (empty slot, too deep).
	 */
	CBPF_CHAIN = 1,
};

/* Count every packet the program sees (see seen_map_fd). */
#define CBPF_F_COUNT_SEEN (1U << 0)

/*
 * Backward jumps a packet may take before it is rejected. libpcap compiles
 * "protochain" to a loop over the extension headers (the only backward
 * jumps it emits, one per header); the verifier takes no unbounded loops,
 * so the loop is unrolled this many times. 64 is the per-packet bound of
 * current libpcap's interpreter (MAX_BACKWARD_JUMPS in bpf_filter.c);
 * older ones, such as Debian 12's 1.10.3, have none and spin forever on an
 * AH header that leads back to itself.
 */
#define CBPF_MAX_BACK_JUMPS 64

/* What the classic program's packet offsets count from. */
enum cbpf_link {
	/* the socket's own: offset 0 is skb->data, the frame's first byte */
	CBPF_LINK_AS_IS = 0,
	/*
	 * The program was compiled for LINKTYPE_LINUX_SLL2 (libpcap's "any"
	 * device) and runs on a SOCK_DGRAM packet socket, whose skb->data is
	 * the network header. The 20-byte header is what a file puts in
	 * front of each packet: offsets from 20 on read the packet at offset
	 * - 20, and BPF_LEN counts the header too. Of the header, the
	 * protocol (bytes 0-1), the reserved bytes (2-3, zero), the
	 * interface index (4-7) and the packet type (10) come from the skb;
	 * the link-layer type, address length and address (8-9, 11-19) are
	 * not known to a socket filter, so a load from them is refused, as
	 * is an indirect load with k < 20: libpcap makes them for offsets
	 * computed at run time (geneve, ether[len - 1]), which may land in
	 * the header. RET k counts the snap length from the network header,
	 * not from the cooked one; sockcap runs such programs in CBPF_CHAIN
	 * mode, where the parser's return value is what counts.
	 */
	CBPF_LINK_SLL2,
};

/* Bytes of the LINKTYPE_LINUX_SLL2 header. */
#define CBPF_SLL2_HDR_LEN 20

struct cbpf_opts {
	enum cbpf_mode mode;
	enum cbpf_link link;
	int prog_array_fd; /* CBPF_CHAIN: BPF_MAP_TYPE_PROG_ARRAY */
	__u32 slot;	   /* CBPF_CHAIN: index into prog_array_fd */
	__u32 flags;	   /* CBPF_F_* */
	/*
	 * CBPF_F_COUNT_SEEN: at entry, before the filter runs, add 1 to the
	 * __u64 at byte offset seen_off (a multiple of 8) of the value at
	 * key 0 of this BPF_MAP_TYPE_PERCPU_ARRAY (or ARRAY: then the add is
	 * not atomic). Once the classic filter is the socket's program, the
	 * chained program only sees the packets it accepted.
	 */
	int seen_map_fd;
	__u32 seen_off;
	/*
	 * 0: CBPF_MAX_BACK_JUMPS. Each pass copies the loop: "ip6 protochain
	 * 6" is about 3000 eBPF instructions with 64, and one protochain loop
	 * for IPv4 plus one for IPv6 exceeds the 4096 an unprivileged loader
	 * may load. Unused when the program has no backward jumps.
	 */
	unsigned int max_back_jumps;
};

/*
 * Translate the n classic instructions at in. opts may be NULL
 * (CBPF_STANDALONE, no counting). On success *out (free() it) holds *out_n
 * eBPF instructions for bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, ...),
 * and 0 is returned. An invalid or unsupported program returns -EINVAL,
 * too large a result -E2BIG, allocation failure -ENOMEM; err (if errlen)
 * then says why, naming the classic instruction.
 *
 * Rejected: an unknown opcode; a jump out of the program; a program not
 * ending in RET; M[k] with k >= 16; division or modulo by the constant 0;
 * a shift by a constant >= 32; a load from the kernel's SKF_LL_OFF /
 * SKF_NET_OFF areas (libpcap never emits them and its interpreter would
 * treat them as out of bounds where the kernel reads the packet); ancillary
 * loads other than protocol, pkttype, ifindex, vlan_tag, vlan_tag_present
 * and vlan_tpid.
 */
int cbpf_translate(const struct sock_filter *in, unsigned int n, const struct cbpf_opts *opts,
		   struct bpf_insn **out, unsigned int *out_n, char *err, size_t errlen);

/*
 * cbpf_translate(), then bpf_prog_load() as a socket filter. Returns the
 * program's fd, or a negative errno with err saying why (for a verifier
 * rejection, the end of the verifier log).
 */
int cbpf_load(const struct sock_filter *in, unsigned int n, const struct cbpf_opts *opts, char *err,
	      size_t errlen);

#endif /* SOCKCAP_CBPF_H */
