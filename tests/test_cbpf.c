// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: classic BPF translation checked against libpcap's interpreter
 *
 * Every filter expression of the corpus is compiled by pcap_compile (with
 * and without the optimizer), translated by cbpf_translate, loaded as a
 * socket filter and run with BPF_PROG_TEST_RUN on every frame of the packet
 * corpus; its return value must equal pcap_offline_filter's. Hand-written
 * classic programs cover the opcodes and corner cases libpcap does not
 * emit. Then the parts libpcap's interpreter cannot judge: ancillary loads,
 * the bound on backward jumps, rejected programs, chain mode and counting.
 *
 * BPF_PROG_TEST_RUN refuses data shorter than an Ethernet header and pulls
 * 14 bytes (eth_type_trans) before a socket filter runs, so skb->data
 * starts at the network header. A live packet socket's filter sees
 * skb->data at the MAC header. So each frame goes in behind a fake 14-byte
 * Ethernet header: after the pull, skb->data and skb->len are exactly the
 * frame's, even for frames of 0 to 13 bytes. The fake header sets what the
 * kernel derives from it: skb->protocol (its ethertype) and skb->pkt_type
 * (its destination against the loopback device's all-zero address).
 *
 * The frames are read from tests/golden under $srcdir (cbpf_common.c;
 * tests/mkcbpf.py writes cbpf-frames.pcap, and cbpf-check-frames.pcap with
 * the targeted checks' frames); the expressions from tests/cbpf_exprs.txt
 * (and tests/cbpf_sll2_exprs.txt for check_sll2's own). libpcap 1.10.3's
 * interpreter leaves M[] uninitialised and follows backward jumps without
 * a bound, so no program compared with it reads a word it did not write,
 * and no frame makes "protochain" walk more than 32 headers.
 *
 * Then the corpus compiled for LINUX_SLL2 (see check_sll2). The same
 * programs on live packet sockets are test_cbpf_live's.
 *
 * Needs root (BPF); exits 77 otherwise. CBPF_SHOW_FAILS=n prints the first
 * n failures (default 10); CBPF_COVERAGE=1 prints the opcode counts and
 * the expressions that match no frame.
 */
#include "cbpf_common.h"

/* Hand-written classic programs, for what libpcap does not emit. */
struct hand {
	const char *name;
	unsigned int n;
	struct sock_filter insns[24];
};

static const struct hand hands[] = {
	{ "ret a: ihl * 4 bytes of IPv4",
	  4,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 14), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ret a: initial A is 0", 1, { BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ret x via txa: initial X is 0",
	  2,
	  { BPF_STMT(BPF_MISC | BPF_TXA, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ret k: 0xffffffff", 1, { BPF_STMT(BPF_RET | BPF_K, 0xffffffff) } },
	{ "ret k: 0x80000000", 1, { BPF_STMT(BPF_RET | BPF_K, 0x80000000) } },
	{ "ldx len, txa",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld len: ret the length",
	  2,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "jset x",
	  6,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14), BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_STMT(BPF_RET | BPF_K, 2), BPF_STMT(BPF_RET | BPF_K, 3) } },
	{ "jgt/jge/jeq x with X from the packet",
	  10,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 30), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 10), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 20), BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 30), BPF_STMT(BPF_RET | BPF_K, 40) } },
	{ "jgt/jge/jset k with bit 31 set",
	  8,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x80000000, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0xfffffffe, 0, 1), BPF_STMT(BPF_RET | BPF_K, 2),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80000000, 0, 1), BPF_STMT(BPF_RET | BPF_K, 3),
	    BPF_STMT(BPF_RET | BPF_K, 4) } },
	{ "jeq k 0xffffffff",
	  4,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_STMT(BPF_RET | BPF_K, 2) } },
	{ "div x by a packet byte (0 rejects)",
	  5,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 15), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "mod x by a packet byte (0 rejects)",
	  5,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 15), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_MOD | BPF_X, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "div/mod k with bit 31 set",
	  5,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0x80000001),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 7), BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0xfffffff0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "lsh x by a packet byte (>= 32 gives 0)",
	  6,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 22), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "rsh x by a packet byte (>= 32 gives 0)",
	  6,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 22), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "shifts by X = 31, 32, 33, 0xffffffff",
	  17,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0xf0000001), BPF_STMT(BPF_LDX | BPF_IMM, 31),
	    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ST, 0),
	    BPF_STMT(BPF_LD | BPF_IMM, 0xf0000001), BPF_STMT(BPF_LDX | BPF_IMM, 32),
	    BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0), BPF_STMT(BPF_ST, 1),
	    BPF_STMT(BPF_LD | BPF_IMM, 0xf0000001), BPF_STMT(BPF_LDX | BPF_IMM, 33),
	    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 5),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "alu k: all operations",
	  13,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 0x9abcdef0),
	    BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 0x80000001),
	    BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 0x10001), BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 3),
	    BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0x7ffffffd),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 0x80000000),
	    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfffff0ff),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0xa5a5a5a5), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 3),
	    BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 31), BPF_STMT(BPF_ALU | BPF_NEG, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "alu x: all operations",
	  16,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_MUL | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_AND | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_IMM, 7),
	    BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_MOD | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0),
	    BPF_STMT(BPF_ALU | BPF_NEG, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld ind with X = 0xffffffff (no wrap to small offsets)",
	  4,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0xffffffff), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 16),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld ind with X = 0x7ffffff0",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0x7ffffff0), BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0x20),
	    BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld ind with X = 0xfff00000 (SKF_NET_OFF)",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0xfff00000), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),
	    BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld ind with k = 0x80000000",
	  2,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0x80000000), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld ind h/w/b at the end of the frame",
	  10,
	  { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0xffffffff),
	    BPF_STMT(BPF_ST, 2), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0xfffffffe),
	    BPF_STMT(BPF_ST, 3), BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0xfffffffc),
	    BPF_STMT(BPF_LDX | BPF_MEM, 2), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_LDX | BPF_MEM, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld ind at len - 1 via X (pcap's check)",
	  6,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 1),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld abs beyond 2^31",
	  2,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0x80000000), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ld abs 0xffffffff (not an ancillary code)",
	  2,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0xffffffff), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ldx msh beyond 2^31",
	  2,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0xfffff000), BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "ldx msh keeps A",
	  5,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x12345678), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "scratch memory: words 0, 7, 8, 15",
	  15,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_ST, 15),
	    BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_STX, 7), BPF_STMT(BPF_STX, 8),
	    BPF_STMT(BPF_LD | BPF_IMM, 3), BPF_STMT(BPF_LDX | BPF_MEM, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 15),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 7),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_LDX | BPF_MEM, 8),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ja forward over dead code",
	  6,
	  { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12), BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0),
	    BPF_STMT(BPF_LD | BPF_IMM, 7), BPF_STMT(BPF_RET | BPF_K, 99),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "jumps with jt == jf and jt == 0, unreachable ret",
	  7,
	  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 1, 1),
	    BPF_STMT(BPF_RET | BPF_K, 5), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1), BPF_STMT(BPF_RET | BPF_A, 0),
	    BPF_STMT(BPF_RET | BPF_K, 9) } },
	/* libpcap 1.10.3 leaves M[] uninitialised: write before reading. */
	{ "backward loop: sum bytes up to a 0 or the 40th",
	  19,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0), BPF_STMT(BPF_ST, 1), BPF_STMT(BPF_ST, 2),
	    BPF_STMT(BPF_LDX | BPF_IMM, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 10, 0), BPF_STMT(BPF_LDX | BPF_MEM, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_ST, 1),
	    BPF_STMT(BPF_LDX | BPF_MEM, 2), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_ST, 2),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 40, 1, 0),
	    BPF_JUMP(BPF_JMP | BPF_JA, (__u32)-12, 0, 0), BPF_STMT(BPF_LD | BPF_MEM, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
};

/* Every classic opcode, and whether libpcap's code generator emits it. */
static const struct {
	__u16 code;
	const char *name;
	bool pcap;
} opcodes[] = {
	{ BPF_RET | BPF_K, "ret #k", true },
	{ BPF_RET | BPF_A, "ret a", false },
	{ BPF_LD | BPF_W | BPF_ABS, "ld [k]", true },
	{ BPF_LD | BPF_H | BPF_ABS, "ldh [k]", true },
	{ BPF_LD | BPF_B | BPF_ABS, "ldb [k]", true },
	{ BPF_LD | BPF_W | BPF_LEN, "ld #len", true },
	{ BPF_LDX | BPF_W | BPF_LEN, "ldx #len", false },
	{ BPF_LD | BPF_W | BPF_IND, "ld [x+k]", true },
	{ BPF_LD | BPF_H | BPF_IND, "ldh [x+k]", true },
	{ BPF_LD | BPF_B | BPF_IND, "ldb [x+k]", true },
	{ BPF_LDX | BPF_B | BPF_MSH, "ldxb 4*([k]&0xf)", true },
	{ BPF_LD | BPF_IMM, "ld #k", true },
	{ BPF_LDX | BPF_IMM, "ldx #k", true },
	{ BPF_LD | BPF_MEM, "ld M[k]", true },
	{ BPF_LDX | BPF_MEM, "ldx M[k]", true },
	{ BPF_ST, "st M[k]", true },
	{ BPF_STX, "stx M[k]", false },
	{ BPF_JMP | BPF_JA, "ja", true },
	{ BPF_JMP | BPF_JGT | BPF_K, "jgt #k", true },
	{ BPF_JMP | BPF_JGE | BPF_K, "jge #k", true },
	{ BPF_JMP | BPF_JEQ | BPF_K, "jeq #k", true },
	{ BPF_JMP | BPF_JSET | BPF_K, "jset #k", true },
	{ BPF_JMP | BPF_JGT | BPF_X, "jgt x", true },
	{ BPF_JMP | BPF_JGE | BPF_X, "jge x", true },
	{ BPF_JMP | BPF_JEQ | BPF_X, "jeq x", true },
	{ BPF_JMP | BPF_JSET | BPF_X, "jset x", false },
	{ BPF_ALU | BPF_ADD | BPF_X, "add x", true },
	{ BPF_ALU | BPF_SUB | BPF_X, "sub x", true },
	{ BPF_ALU | BPF_MUL | BPF_X, "mul x", true },
	{ BPF_ALU | BPF_DIV | BPF_X, "div x", true },
	{ BPF_ALU | BPF_MOD | BPF_X, "mod x", true },
	{ BPF_ALU | BPF_AND | BPF_X, "and x", true },
	{ BPF_ALU | BPF_OR | BPF_X, "or x", true },
	{ BPF_ALU | BPF_XOR | BPF_X, "xor x", true },
	{ BPF_ALU | BPF_LSH | BPF_X, "lsh x", true },
	{ BPF_ALU | BPF_RSH | BPF_X, "rsh x", true },
	{ BPF_ALU | BPF_ADD | BPF_K, "add #k", true },
	{ BPF_ALU | BPF_SUB | BPF_K, "sub #k", true },
	{ BPF_ALU | BPF_MUL | BPF_K, "mul #k", true },
	{ BPF_ALU | BPF_DIV | BPF_K, "div #k", true },
	{ BPF_ALU | BPF_MOD | BPF_K, "mod #k", true },
	{ BPF_ALU | BPF_AND | BPF_K, "and #k", true },
	{ BPF_ALU | BPF_OR | BPF_K, "or #k", true },
	{ BPF_ALU | BPF_XOR | BPF_K, "xor #k", true },
	{ BPF_ALU | BPF_LSH | BPF_K, "lsh #k", true },
	{ BPF_ALU | BPF_RSH | BPF_K, "rsh #k", true },
	{ BPF_ALU | BPF_NEG, "neg", true },
	{ BPF_MISC | BPF_TAX, "tax", true },
	{ BPF_MISC | BPF_TXA, "txa", true },
};

#define NOPCODES (sizeof(opcodes) / sizeof(opcodes[0]))

static unsigned long seen_pcap[NOPCODES], seen_hand[NOPCODES];

static void count_opcodes(const struct sock_filter *f, unsigned int n, unsigned long *seen)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < NOPCODES; j++)
			if (f[i].code == opcodes[j].code)
				seen[j]++;
}

/* ------------------------------------------------------------ running */

static int run_fd(int fd, const struct frame *f, const uint8_t *dst, __u32 *ret)
{
	static uint8_t buf[14 + FRAME_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = 14 + f->len,
		    .repeat = 1);
	int err;

	memset(buf, 0, 12);
	if (dst)
		memcpy(buf, dst, 6);
	buf[12] = FAKE_TYPE >> 8;
	buf[13] = FAKE_TYPE & 0xff;
	memcpy(buf + 14, f->b, f->len);
	err = bpf_prog_test_run_opts(fd, &opts);
	if (err)
		return -errno;
	*ret = opts.retval;
	return 0;
}

static __u32 pcap_ref(const struct sock_filter *insns, unsigned int n, const struct frame *f)
{
	struct bpf_program prog = { .bf_len = n, .bf_insns = (struct pcap_bpf_insn *)insns };
	struct pcap_pkthdr h = { .caplen = f->len, .len = f->len };

	return pcap_offline_filter(&prog, &h, f->b);
}

static void print_prog(const struct sock_filter *insns, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printf("    %s\n", bpf_image((const struct pcap_bpf_insn *)&insns[i], i));
}

static void print_frame(const struct frame *f)
{
	unsigned int i;

	printf("  packet \"%s\", %u bytes:", f->name, f->len);
	for (i = 0; i < f->len && i < 128; i++)
		printf("%s%02x", i % 32 ? (i % 4 ? "" : " ") : "\n    ", f->b[i]);
	printf("%s\n", f->len > 128 ? " ..." : "");
}

/*
 * One check: the test run (r, its error) returned got, libpcap want. On a
 * mismatch, says so with the frame (and the program, the first time).
 */
static bool same_verdict(const char *what, const char *how, int r, __u32 want, __u32 got,
			 const struct frame *f, const struct sock_filter *insns, unsigned int n)
{
	checks++;
	if (!r && got == want)
		return true;
	failures++;
	if (failures > show_fails)
		return false;
	if (r)
		printf("FAIL %s%s: test run: %s\n", what, how, strerror(-r));
	else
		printf("FAIL %s%s: libpcap %u, translated %u\n", what, how, want, got);
	print_frame(f);
	if (failures == 1)
		print_prog(insns, n);
	return false;
}

static unsigned int max_ebpf, max_classic;
static char max_ebpf_name[600];

/*
 * Translate, load, and compare with libpcap on every frame. Returns the
 * number of frames the program accepted, or -1 when it did not load.
 */
static int differential(const char *what, const struct sock_filter *insns, unsigned int n)
{
	struct bpf_insn *e;
	unsigned int i, en, accepted = 0;
	char err[1024];
	int fd, r;
	__u32 want, got;

	r = cbpf_translate(insns, n, NULL, &e, &en, err, sizeof(err));
	if (!r) {
		free(e);
		if (en > max_ebpf) {
			max_ebpf = en;
			snprintf(max_ebpf_name, sizeof(max_ebpf_name), "%s", what);
		}
		fd = cbpf_load(insns, n, NULL, err, sizeof(err));
	} else {
		fd = r;
	}
	checks++;
	if (fd < 0) {
		fail("%s: %s", what, err);
		if (failures <= show_fails)
			print_prog(insns, n);
		return -1;
	}
	for (i = 0; i < nframes; i++) {
		want = pcap_ref(insns, n, &frames[i]);
		r = run_fd(fd, &frames[i], NULL, &got);
		accepted += same_verdict(what, "", r, want, got, &frames[i], insns, n) && got;
	}
	close(fd);
	return accepted;
}

struct corpus_counts {
	unsigned int progs, never, always;
};

static void corpus_one(const char *what, const struct sock_filter *insns, unsigned int n, void *arg)
{
	struct corpus_counts *c = arg;
	int acc;

	count_opcodes(insns, n, seen_pcap);
	if (n > max_classic)
		max_classic = n;
	acc = differential(what, insns, n);
	if (acc == 0 && getenv("CBPF_COVERAGE"))
		printf("  accepts no frame: %s\n", what);
	if (acc == 0)
		c->never++;
	else if ((unsigned int)acc == nframes)
		c->always++;
	c->progs++;
}

static void run_corpus(pcap_t *pc)
{
	struct corpus_counts c = { 0 };
	unsigned int i, same;
	char what[600];

	same = corpus_programs(pc, true, corpus_one, &c);
	for (i = 0; i < sizeof(hands) / sizeof(hands[0]); i++) {
		snprintf(what, sizeof(what), "hand-written \"%s\"", hands[i].name);
		/* n was counted by hand: it must end the program. */
		check(BPF_CLASS(hands[i].insns[hands[i].n - 1].code) == BPF_RET &&
			      (hands[i].n == 24 || !hands[i].insns[hands[i].n].code),
		      "%s: n = %u does not end the program", what, hands[i].n);
		count_opcodes(hands[i].insns, hands[i].n, seen_hand);
		differential(what, hands[i].insns, hands[i].n);
		c.progs++;
	}
	printf("%u expressions, %u distinct programs (%u unoptimized ones the same as optimized; "
	       "%u accept no frame, %u every frame), %u frames\n",
	       nexprs, c.progs, same, c.never, c.always, nframes);
}

static void check_coverage(void)
{
	unsigned int j;

	for (j = 0; j < NOPCODES; j++) {
		if (opcodes[j].pcap)
			check(seen_pcap[j] > 0,
			      "opcode %#x (%s): libpcap emits it, but no expression produced it",
			      opcodes[j].code, opcodes[j].name);
		else
			check(seen_pcap[j] + seen_hand[j] > 0, "opcode %#x (%s): in no program",
			      opcodes[j].code, opcodes[j].name);
	}
	if (getenv("CBPF_COVERAGE"))
		for (j = 0; j < NOPCODES; j++)
			printf("  %-18s %#04x  corpus %6lu  hand-written %3lu\n", opcodes[j].name,
			       opcodes[j].code, seen_pcap[j], seen_hand[j]);
}

/* ----------------------------------------------------- targeted checks */

/* tests/golden/cbpf-check-frames.pcap: the targeted checks' frames */
static struct frame *check_frames;
static unsigned int ncheck_frames;

static const struct frame *check_frame(const char *name)
{
	return named_frame(check_frames, ncheck_frames, name);
}

/* An IPv4/TCP SYN, for checks that need one frame. */
static const struct frame *syn_frame(void)
{
	return check_frame("v4 tcp syn");
}

static int load_or_fail(const char *what, const struct sock_filter *f, unsigned int n,
			const struct cbpf_opts *o)
{
	char err[1024];
	int fd = cbpf_load(f, n, o, err, sizeof(err));

	checks++;
	if (fd < 0)
		fail("%s: %s", what, err);
	return fd;
}

static int compile_load(pcap_t *pc, const char *expr, const struct cbpf_opts *o)
{
	struct bpf_program prog;
	int fd;

	if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fail("\"%s\": pcap_compile: %s", expr, pcap_geterr(pc));
		return -1;
	}
	fd = load_or_fail(expr, (struct sock_filter *)prog.bf_insns, prog.bf_len, o);
	pcap_freecode(&prog);
	return fd;
}

static void expect_run(int fd, const char *what, const struct frame *f, const uint8_t *dst,
		       __u32 want)
{
	__u32 got = 0;
	int r = run_fd(fd, f, dst, &got);

	check(!r && got == want, "%s on \"%s\": want %u, got %u%s%s", what, f->name, want, got,
	      r ? ", test run: " : "", r ? strerror(-r) : "");
}

/*
 * Ancillary loads read what the kernel knows about the skb. Under
 * BPF_PROG_TEST_RUN: protocol is the fake header's ethertype, pkt_type
 * follows its destination (eth_type_trans against the loopback device,
 * whose address and broadcast address are all-zero),
 * ifindex is loopback's (1), and no VLAN tag was taken out of the frame.
 */
static void check_ancillary(pcap_t *pc)
{
	static const uint8_t host[6] = { 0 };
	static const uint8_t MAC_B[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	static const uint8_t MAC_BC[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t MAC_MC6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	static const struct {
		const uint8_t *dst;
		__u32 pkttype;
	} dsts[] = {
		{ host, PACKET_HOST },
		/* loopback's broadcast address is all-zero too */
		{ MAC_BC, PACKET_MULTICAST },
		{ MAC_MC6, PACKET_MULTICAST },
		{ MAC_B, PACKET_OTHERHOST },
	};
	static const struct {
		__u32 ad;
		const char *name;
	} anc[] = {
		{ SKF_AD_PROTOCOL, "protocol" },
		{ SKF_AD_PKTTYPE, "pkttype" },
		{ SKF_AD_IFINDEX, "ifindex" },
		{ SKF_AD_VLAN_TAG, "vlan_tag" },
		{ SKF_AD_VLAN_TAG_PRESENT, "vlan_tag_present" },
		{ SKF_AD_VLAN_TPID, "vlan_tpid" },
	};
	static const struct {
		const char *expr;
		bool accept_host, accept_bc;
	} exp[] = {
		{ "inbound", true, true },	  { "outbound", false, false },
		{ "ifindex 1", true, true },	  { "ifindex 2", false, false },
		{ "inbound and ip", true, true }, { "inbound and arp", false, false },
	};
	const struct frame *f = syn_frame();
	unsigned int i, d, sz;
	int fd;

	for (i = 0; i < sizeof(anc) / sizeof(anc[0]); i++) {
		for (sz = 0; sz < 3; sz++) {
			static const __u16 size[] = { BPF_W, BPF_H, BPF_B };
			struct sock_filter prog[] = {
				BPF_STMT(BPF_LD | size[sz] | BPF_ABS,
					 (__u32)SKF_AD_OFF + anc[i].ad),
				BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1000),
				BPF_STMT(BPF_RET | BPF_A, 0),
			};
			char what[64];

			snprintf(what, sizeof(what), "ancillary %s (size %#x)", anc[i].name,
				 size[sz]);
			fd = load_or_fail(what, prog, 3, NULL);
			if (fd < 0)
				continue;
			for (d = 0; d < sizeof(dsts) / sizeof(dsts[0]); d++) {
				__u32 want = 1000;

				switch (anc[i].ad) {
				case SKF_AD_PROTOCOL:
					want += FAKE_TYPE;
					break;
				case SKF_AD_PKTTYPE:
					want += dsts[d].pkttype;
					break;
				case SKF_AD_IFINDEX:
					want += 1;
					break;
				}
				expect_run(fd, what, f, dsts[d].dst, want);
			}
			close(fd);
		}
	}
	for (i = 0; i < sizeof(exp) / sizeof(exp[0]); i++) {
		fd = compile_load(pc, exp[i].expr, NULL);
		if (fd < 0)
			continue;
		expect_run(fd, exp[i].expr, f, host, exp[i].accept_host ? SNAPLEN : 0);
		expect_run(fd, exp[i].expr, f, MAC_BC, exp[i].accept_bc ? SNAPLEN : 0);
		close(fd);
	}
}

static void expect_reject(const char *what, const struct sock_filter *f, unsigned int n,
			  const struct cbpf_opts *o, int want_err, const char *want_msg)
{
	struct bpf_insn *e = NULL;
	unsigned int en;
	char err[256];
	int r = cbpf_translate(f, n, o, &e, &en, err, sizeof(err));

	check(r == want_err && !e && strstr(err, want_msg),
	      "%s: want error %d containing \"%s\", got %d \"%s\"", what, want_err, want_msg, r,
	      err);
	free(e);
}

static void check_rejects(void)
{
	static const struct {
		const char *name, *msg;
		unsigned int n;
		struct sock_filter insns[4];
	} bad[] = {
		{ "jump past the end",
		  "outside",
		  2,
		  { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_RET | BPF_K, 0) } },
		{ "ja past the end",
		  "outside",
		  2,
		  { BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), BPF_STMT(BPF_RET | BPF_K, 0) } },
		{ "ja before the start",
		  "outside",
		  2,
		  { BPF_STMT(BPF_RET | BPF_K, 0), BPF_JUMP(BPF_JMP | BPF_JA, (__u32)-3, 0, 0) } },
		{ "no ret at the end", "RET", 1, { BPF_STMT(BPF_LD | BPF_IMM, 1) } },
		{ "falls off after a jump",
		  "RET",
		  2,
		  { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0),
		    BPF_STMT(BPF_MISC | BPF_TAX, 0) } },
		{ "div by constant 0",
		  "division",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "mod by constant 0",
		  "modulo",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "lsh by constant 32",
		  "shift",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "rsh by constant 0xffffffff",
		  "shift",
		  2,
		  { BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 0xffffffff),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "ld M[16]",
		  "M[16]",
		  2,
		  { BPF_STMT(BPF_LD | BPF_MEM, 16), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "stx M[0xffffffff]",
		  "M[4294967295]",
		  2,
		  { BPF_STMT(BPF_STX, 0xffffffff), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "unknown opcode",
		  "opcode",
		  2,
		  { BPF_STMT(BPF_LD | BPF_DW | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "ret x", "opcode", 1, { BPF_STMT(BPF_RET | BPF_X, 0) } },
		{ "ancillary mark",
		  "mark",
		  2,
		  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (__u32)SKF_AD_OFF + SKF_AD_MARK),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "ancillary random",
		  "random",
		  2,
		  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (__u32)SKF_AD_OFF + SKF_AD_RANDOM),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "SKF_NET_OFF load",
		  "SKF_NET_OFF",
		  2,
		  { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, (__u32)SKF_NET_OFF + 9),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
		{ "SKF_LL_OFF msh",
		  "SKF_LL_OFF",
		  2,
		  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, (__u32)SKF_LL_OFF + 14),
		    BPF_STMT(BPF_RET | BPF_A, 0) } },
	};
	static const struct cbpf_opts chain_nofd = { .mode = CBPF_CHAIN, .prog_array_fd = -1 };
	static const struct cbpf_opts bad_mode = { .mode = 7 };
	static const struct cbpf_opts odd_off = { .flags = CBPF_F_COUNT_SEEN, .seen_off = 4 };
	static const struct sock_filter ok[] = { BPF_STMT(BPF_RET | BPF_K, 1) };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_reject(bad[i].name, bad[i].insns, bad[i].n, NULL, -EINVAL, bad[i].msg);
	expect_reject("empty program", ok, 0, NULL, -EINVAL, "empty");
	expect_reject("chain without a map", ok, 1, &chain_nofd, -EINVAL, "program array");
	expect_reject("unknown mode", ok, 1, &bad_mode, -EINVAL, "mode");
	expect_reject("counter at a misaligned offset", ok, 1, &odd_off, -EINVAL, "aligned");
}

/*
 * Backward jumps: libpcap's "protochain" loop. 64 extension headers are
 * the most it walks; Debian 12's libpcap 1.10.3 interpreter has no bound,
 * so the 65th and the self-referencing AH header are checked here, not
 * against it (it would accept the first and never return from the second).
 */
static void check_back_jumps(pcap_t *pc)
{
	struct cbpf_opts two = { .max_back_jumps = 2 };
	int fd, fd2;

	fd = compile_load(pc, "ip6 protochain 6", NULL);
	fd2 = compile_load(pc, "ip6 protochain 6", &two);
	if (fd < 0 || fd2 < 0)
		goto out;
	expect_run(fd, "protochain: 65 headers", check_frame("v6 65 extension headers"), NULL, 0);
	expect_run(fd, "protochain: 64 headers", check_frame("v6 64 extension headers"), NULL,
		   SNAPLEN);
	expect_run(fd2, "protochain, 2 back jumps: 2 headers",
		   check_frame("v6 2 extension headers"), NULL, SNAPLEN);
	expect_run(fd2, "protochain, 2 back jumps: 3 headers",
		   check_frame("v6 3 extension headers"), NULL, 0);

	/* A jump to itself: current libpcap rejects at once, 1.10.3 spins. */
	{
		static const struct sock_filter self[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
			BPF_JUMP(BPF_JMP | BPF_JA, (__u32)-1, 0, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		int sfd = load_or_fail("ja to itself", self, 3, NULL);

		if (sfd >= 0) {
			expect_run(sfd, "ja to itself", syn_frame(), NULL, 0);
			close(sfd);
		}
	}

	/* AH whose length brings the walk back to itself. */
	expect_run(fd, "protochain: AH loop", check_frame("v6 AH pointing to itself"), NULL, 0);
out:
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
}

/* Chain mode: accepted packets go on to the program in the array. */
static void check_chain(pcap_t *pc)
{
	static const struct bpf_insn callee[] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 12345 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char *const chain_exprs[] = { "tcp", "ip6 protochain 17 or arp" };
	static const struct sock_filter ret_a[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct cbpf_opts o = { .mode = CBPF_CHAIN, .slot = 0 };
	struct bpf_program prog;
	unsigned int i, e, ncpu, runs = 0, accepted = 0;
	int map = -1, seen = -1, callee_fd = -1, fd = -1, empty_fd = -1, ncpus, r;
	__u32 key = 0, got, want;
	__u64 *vals = NULL, total = 0;

	ncpus = libbpf_num_possible_cpus();
	map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "cbpf_chain", 4, 4, 2, NULL);
	seen = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "cbpf_seen", 4, 16, 1, NULL);
	callee_fd =
		bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "cbpf_callee", "GPL", callee, 2, NULL);
	checks++;
	if (ncpus <= 0 || map < 0 || seen < 0 || callee_fd < 0 ||
	    bpf_map_update_elem(map, &key, &callee_fd, BPF_ANY)) {
		fail("chain: setting up maps and the callee: %s", strerror(errno));
		goto out;
	}
	o.prog_array_fd = map;
	o.flags = CBPF_F_COUNT_SEEN;
	o.seen_map_fd = seen;
	o.seen_off = 8;

	for (e = 0; e < sizeof(chain_exprs) / sizeof(chain_exprs[0]); e++) {
		if (pcap_compile(pc, &prog, chain_exprs[e], 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail("chain: pcap_compile: %s", pcap_geterr(pc));
			continue;
		}
		fd = load_or_fail(chain_exprs[e], (struct sock_filter *)prog.bf_insns, prog.bf_len,
				  &o);
		for (i = 0; fd >= 0 && i < nframes; i++) {
			want = pcap_ref((struct sock_filter *)prog.bf_insns, prog.bf_len,
					&frames[i])
				       ? 12345
				       : 0;
			accepted += !!want;
			r = run_fd(fd, &frames[i], NULL, &got);
			runs++;
			check(!r && got == want, "chain \"%s\" on \"%s\": want %u, got %u",
			      chain_exprs[e], frames[i].name, want, got);
		}
		if (fd >= 0)
			close(fd);
		pcap_freecode(&prog);
	}
	/* RET A in chain mode: A == 0 rejects, anything else tail-calls. */
	fd = load_or_fail("chain ret a", ret_a, 3, &o);
	for (i = 0; fd >= 0 && i < nframes; i++) {
		want = pcap_ref(ret_a, 3, &frames[i]) ? 12345 : 0;
		r = run_fd(fd, &frames[i], NULL, &got);
		runs++;
		check(!r && got == want, "chain ret a on \"%s\": want %u, got %u", frames[i].name,
		      want, got);
	}
	if (fd >= 0)
		close(fd);
	check(accepted > 0 && accepted < runs, "chain: %u of %u frames accepted", accepted, runs);

	/* Every run went through the counter, on whichever CPU it ran. */
	vals = calloc(ncpus, 16);
	checks++;
	if (!vals || bpf_map_lookup_elem(seen, &key, vals)) {
		fail("chain: reading the counter: %s", strerror(errno));
		goto out;
	}
	for (ncpu = 0; ncpu < (unsigned int)ncpus; ncpu++) {
		total += vals[2 * ncpu + 1];
		check(vals[2 * ncpu] == 0, "chain: counter wrote outside its offset");
	}
	check(total == runs, "chain: counted %llu packets, ran %u", (unsigned long long)total,
	      runs);

	/* The verifier refuses a tail call through a map of the wrong type. */
	{
		struct cbpf_opts wrong = { .mode = CBPF_CHAIN, .prog_array_fd = seen };
		char err[1024];

		fd = cbpf_load(ret_a, 3, &wrong, err, sizeof(err));
		check(fd < 0 && strstr(err, "loading") && strlen(err) > 40,
		      "chain through a per-CPU array: want a verifier error, got %d \"%s\"", fd,
		      fd < 0 ? err : "");
		if (fd >= 0)
			close(fd);
	}

	/* An empty slot: the tail call fails, the packet is rejected. */
	o.slot = 1;
	o.flags = 0;
	empty_fd = compile_load(pc, "tcp or not tcp", &o);
	if (empty_fd >= 0)
		expect_run(empty_fd, "chain to an empty slot", syn_frame(), NULL, 0);
out:
	free(vals);
	if (empty_fd >= 0)
		close(empty_fd);
	if (callee_fd >= 0)
		close(callee_fd);
	if (seen >= 0)
		close(seen);
	if (map >= 0)
		close(map);
}

/* ------------------------------------------------------------ cooked */

/*
 * CBPF_LINK_SLL2: programs compiled for LINKTYPE_LINUX_SLL2 (libpcap's
 * "any"), translated to run where skb->data is the network header, as on a
 * SOCK_DGRAM packet socket. Each frame of 14 bytes or more goes in as it
 * is: the test run pulls its Ethernet header with eth_type_trans() on the
 * loopback device, which leaves skb->data at the network header and sets
 * skb->protocol (the ethertype; for an 802.3 length field ETH_P_802_3 when
 * the payload starts with 0xffff, else ETH_P_802_2), skb->pkt_type (the
 * destination against loopback's all-zero address) and skb->dev, so
 * skb->ifindex is loopback's. libpcap's interpreter gets what a file
 * written from such a socket holds: a LINUX_SLL2 header of those values,
 * ARPHRD_ETHER and the source address, then the frame from byte 14 on,
 * caplen and len counting the header. Both must return the same on every
 * frame.
 *
 * The corpus expressions that libpcap compiles for LINUX_SLL2 run (optimized
 * and not), then expressions and hand-written programs that read the
 * header, and a few expressions in chain mode, as sockcap runs them. The
 * frames are the corpus's and some of this part's own. A program that
 * reads what a socket filter cannot know -- the header's hardware type,
 * address length or address, or an indirect load with k < 20, which may
 * land in the header -- must be refused with a message that says so; which
 * programs those are is worked out here from the classic code as well, and
 * the two must agree.
 *
 * BPF_PROG_TEST_RUN refuses an IPv4 or IPv6 frame shorter than the fixed IP
 * header (so does Debian's 6.1): those frames are found with a program that
 * accepts everything, and left out.
 */
#define SLL2_HLEN CBPF_SLL2_HDR_LEN

static const uint8_t MAC_ZERO[6]; /* loopback's address */

/* A frame as the test run takes it, and the LINUX_SLL2 packet a file holds. */
struct sll2_pkt {
	const struct frame *f;
	uint8_t *b;
	unsigned int len;
};

static struct sll2_pkt *spkts;
static unsigned int nspkts, sll2_lo;
/* frames this part adds to the corpus: tests/golden/cbpf-sll2-frames.pcap */
static struct frame *sll2_own;
static unsigned int nsll2_own;

/* skb->protocol, as eth_type_trans() sets it */
static unsigned int sll2_protocol(const struct frame *f)
{
	unsigned int t = f->b[12] << 8 | f->b[13];

	if (t >= ETH_P_802_3_MIN)
		return t;
	/* a length field: raw 802.3 (Novell's IPX) starts with 0xffff */
	if (f->len >= ETH_HLEN + 2 && f->b[14] == 0xff && f->b[15] == 0xff)
		return ETH_P_802_3;
	return ETH_P_802_2;
}

/* skb->pkt_type, as eth_type_trans() sets it on the loopback device */
static unsigned int sll2_pkttype(const struct frame *f)
{
	if (!memcmp(f->b, MAC_ZERO, 6))
		return PACKET_HOST;
	/* loopback's broadcast address is all-zero too: never a group address */
	if (f->b[0] & 1)
		return PACKET_MULTICAST;
	return PACKET_OTHERHOST;
}

static void sll2_add(const struct frame *f)
{
	struct sll2_pkt *s = &spkts[nspkts++];
	unsigned int proto = sll2_protocol(f);

	s->f = f;
	s->len = f->len - ETH_HLEN + SLL2_HLEN;
	s->b = calloc(1, s->len);
	if (!s->b)
		abort();
	s->b[0] = proto >> 8;
	s->b[1] = proto & 0xff;
	/* 2-3 reserved, zero */
	s->b[4] = sll2_lo >> 24;
	s->b[5] = sll2_lo >> 16;
	s->b[6] = sll2_lo >> 8;
	s->b[7] = sll2_lo;
	s->b[8] = ARPHRD_ETHER >> 8;
	s->b[9] = ARPHRD_ETHER & 0xff;
	s->b[10] = sll2_pkttype(f);
	s->b[11] = 6;
	memcpy(s->b + 12, f->b + 6, 6); /* 18-19: the address padded to 8 bytes */
	memcpy(s->b + SLL2_HLEN, f->b + ETH_HLEN, f->len - ETH_HLEN);
}

static int sll2_run(int fd, const struct frame *f, __u32 *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->b, .data_size_in = f->len, .repeat = 1);

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	*ret = opts.retval;
	return 0;
}

/*
 * The frames the test run takes. Checks on the way what the reference
 * header takes for granted: the interface is loopback.
 */
static void sll2_frames(void)
{
	static const struct sock_filter accept[] = { BPF_STMT(BPF_RET | BPF_K, 1) };
	static const struct sock_filter ifindex[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct cbpf_opts o = { .link = CBPF_LINK_SLL2 };
	unsigned int i, left_out = 0;
	int fd, ifd, r;
	__u32 got = 0;

	/*
	 * What the corpus lacks here: frames to loopback's own address (no
	 * corpus frame is PACKET_HOST), and 802.3 length fields that give
	 * ETH_P_802_3. Ethernet frames, as the test run takes them.
	 */
	read_frames("cbpf-sll2-frames.pcap", true, &sll2_own, &nsll2_own);
	spkts = calloc(nframes + nsll2_own, sizeof(*spkts));
	fd = load_or_fail("LINUX_SLL2 \"ret #1\"", accept, 1, &o);
	ifd = load_or_fail("LINUX_SLL2 \"ld [4]\"", ifindex, 2, &o);
	if (!spkts || fd < 0 || ifd < 0)
		goto out;
	for (i = 0; i < nframes + nsll2_own; i++) {
		const struct frame *f = i < nframes ? &frames[i] : &sll2_own[i - nframes];
		unsigned int type = f->len >= ETH_HLEN ? f->b[12] << 8 | f->b[13] : 0;

		if (f->len < ETH_HLEN)
			continue;
		r = sll2_run(fd, f, &got);
		if (r == -EINVAL) {
			check((type == ETH_P_IP && f->len < ETH_HLEN + 20) ||
				      (type == ETH_P_IPV6 && f->len < ETH_HLEN + 40),
			      "LINUX_SLL2: the test run refuses \"%s\" (%u bytes)", f->name,
			      f->len);
			left_out++;
			continue;
		}
		check(!r && got == 1, "LINUX_SLL2 \"ret #1\" on \"%s\": got %u%s%s", f->name, got,
		      r ? ", test run: " : "", r ? strerror(-r) : "");
		got = 0;
		r = sll2_run(ifd, f, &got);
		check(!r && got == sll2_lo,
		      "LINUX_SLL2 \"ld [4]\" on \"%s\": interface %u, loopback's is %u", f->name,
		      got, sll2_lo);
		sll2_add(f);
	}
	printf("cooked (LINUX_SLL2): %u frames (%u of them its own), %u left out: the test run "
	       "refuses IP frames shorter than the IP header\n",
	       nspkts, nsll2_own, left_out);
out:
	if (fd >= 0)
		close(fd);
	if (ifd >= 0)
		close(ifd);
}

/* What of the header a program reads that a socket filter cannot know. */
enum {
	SLL2_HATYPE = 1 << 0, /* bytes 8-9 */
	SLL2_HALEN = 1 << 1,  /* byte 11 */
	SLL2_ADDR = 1 << 2,   /* bytes 12-19 */
	SLL2_ACROSS = 1 << 3, /* a load from both sides of byte 20 */
	SLL2_IND = 1 << 4,    /* LD IND with k < 20 */
	SLL2_NWHY = 5,
};

static const char *const sll2_why_name[SLL2_NWHY] = {
	"hardware type", "address length", "address", "across its end", "indirect",
};

static unsigned int sll2_unknown(const struct sock_filter *f, unsigned int n)
{
	unsigned int why = 0, i, b, size;

	for (i = 0; i < n; i++) {
		switch (f[i].code) {
		case BPF_LD | BPF_W | BPF_IND:
		case BPF_LD | BPF_H | BPF_IND:
		case BPF_LD | BPF_B | BPF_IND:
			if (f[i].k < SLL2_HLEN)
				why |= SLL2_IND;
			continue;
		case BPF_LD | BPF_W | BPF_ABS:
			size = 4;
			break;
		case BPF_LD | BPF_H | BPF_ABS:
			size = 2;
			break;
		case BPF_LD | BPF_B | BPF_ABS:
		case BPF_LDX | BPF_B | BPF_MSH:
			size = 1;
			break;
		default:
			continue;
		}
		if (f[i].k >= SLL2_HLEN) /* the packet, or ancillary data */
			continue;
		if (f[i].k + size > SLL2_HLEN)
			why |= SLL2_ACROSS;
		for (b = f[i].k; b < f[i].k + size && b < SLL2_HLEN; b++) {
			if (b == 8 || b == 9)
				why |= SLL2_HATYPE;
			else if (b == 11)
				why |= SLL2_HALEN;
			else if (b >= 12)
				why |= SLL2_ADDR;
		}
	}
	return why;
}

static const char *sll2_why_str(unsigned int why)
{
	static char s[128];
	unsigned int i, o = 0;

	s[0] = '\0';
	for (i = 0; i < SLL2_NWHY; i++)
		if (why & 1U << i)
			o += snprintf(s + o, sizeof(s) - o, "%s%s", o ? ", " : "",
				      sll2_why_name[i]);
	return s;
}

static unsigned int sll2_progs, sll2_refused, sll2_why[SLL2_NWHY];
static unsigned long sll2_runs;

/*
 * Translate for LINUX_SLL2 and compare with libpcap on every frame, or, for
 * a program that reads what a socket filter cannot know, check that the
 * translation is refused. Returns the number of frames accepted; -1 when
 * the program did not run.
 */
static int sll2_differential(const char *what, const struct sock_filter *insns, unsigned int n)
{
	struct bpf_program prog = { .bf_len = n, .bf_insns = (struct pcap_bpf_insn *)insns };
	struct cbpf_opts o = { .link = CBPF_LINK_SLL2 };
	unsigned int why = sll2_unknown(insns, n), i, accepted = 0;
	char err[1024];
	__u32 want, got;
	int fd, r;

	fd = cbpf_load(insns, n, &o, err, sizeof(err));
	checks++;
	if (why) {
		sll2_refused++;
		for (i = 0; i < SLL2_NWHY; i++)
			sll2_why[i] += !!(why & 1U << i);
		if (getenv("CBPF_COVERAGE"))
			printf("  refused for LINUX_SLL2 (%s): %s\n", sll2_why_str(why), what);
		if (fd >= 0) {
			fail("%s (LINUX_SLL2): reads the cooked header's %s, but was translated",
			     what, sll2_why_str(why));
			close(fd);
		} else if (fd != -EINVAL || !strstr(err, "cooked (LINUX_SLL2) header")) {
			fail("%s (LINUX_SLL2): reads the cooked header's %s: want it refused for "
			     "that, got %d \"%s\"",
			     what, sll2_why_str(why), fd, err);
		}
		return -1;
	}
	if (fd < 0) {
		fail("%s (LINUX_SLL2): %s", what, err);
		if (failures <= show_fails)
			print_prog(insns, n);
		return -1;
	}
	sll2_progs++;
	for (i = 0; i < nspkts; i++) {
		const struct sll2_pkt *s = &spkts[i];
		struct pcap_pkthdr h = { .caplen = s->len, .len = s->len };

		want = pcap_offline_filter(&prog, &h, s->b);
		r = sll2_run(fd, s->f, &got);
		sll2_runs++;
		accepted +=
			same_verdict(what, " (LINUX_SLL2)", r, want, got, s->f, insns, n) && got;
	}
	close(fd);
	return accepted;
}

/*
 * Expressions that read the header, beyond the corpus (tests/cbpf_sll2_exprs.txt):
 * "%u" is loopback's index plus `plus`. Each must compile, translate and run.
 */
struct sll2_expr {
	const char *fmt;
	unsigned int plus;
};

static struct sll2_expr *sll2_exprs;
static unsigned int nsll2_exprs;

static void read_sll2_exprs(void)
{
	char **lines = read_lines("cbpf_sll2_exprs.txt", &nsll2_exprs);

	sll2_exprs = calloc(nsll2_exprs, sizeof(*sll2_exprs));
	if (!sll2_exprs)
		abort();
	for (unsigned int i = 0; i < nsll2_exprs; i++) {
		struct sll2_expr *e = &sll2_exprs[i];
		const char *pct;
		char *end;

		e->fmt = lines[i];
		if (*e->fmt == '+') {
			e->plus = strtoul(e->fmt + 1, &end, 10);
			if (end == e->fmt + 1 || *end != ' ') {
				printf("ERROR tests/cbpf_sll2_exprs.txt: \"%s\": \"+N \" "
				       "expected\n",
				       lines[i]);
				exit(99);
			}
			e->fmt = end + 1;
		}
		/* a format for snprintf: "%u" at most once, no other conversion */
		pct = strchr(e->fmt, '%');
		if (pct && (pct[1] != 'u' || strchr(pct + 2, '%'))) {
			printf("ERROR tests/cbpf_sll2_exprs.txt: \"%s\": one %%u at most\n",
			       lines[i]);
			exit(99);
		}
	}
	free(lines);
}

/* Programs libpcap does not emit: each load of the header a socket filter can make. */
static const struct hand sll2_hands[] = {
	{ "ld [0]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [1]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [2]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [3]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [4]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [0]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [1]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [2]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [3]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [4]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [5]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 5), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [6]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [0]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [1]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [2]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [3]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 3), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [4]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [5]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 5), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [6]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [7]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 7), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [10]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 10), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([1]&0xf), A kept",
	  4,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x10000), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 1),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([7]&0xf), A kept",
	  4,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x10000), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 7),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([10]&0xf), A kept",
	  4,
	  { BPF_STMT(BPF_LD | BPF_IMM, 0x10000), BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 10),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld #len", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldx #len",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [20]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [21]", 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 21), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [20]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [62]", 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 62), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [57]", 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 57), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [0x7fffffff]",
	  2,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0x7fffffff), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldxb 4*([20]&0xf), ldh [x+20]",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 20), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 20),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ld [x+20] with X = len - 24: the last word",
	  5,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 24),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_W | BPF_IND, 20),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldb [x+21] with X = len - 21: one past the end",
	  6,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 21),
	    BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_B | BPF_IND, 21),
	    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), BPF_STMT(BPF_RET | BPF_A, 0) } },
	{ "ldh [x+0x7ffffff0] with X = 0x10",
	  3,
	  { BPF_STMT(BPF_LDX | BPF_IMM, 0x10), BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0x7ffffff0),
	    BPF_STMT(BPF_RET | BPF_K, 1) } },
	{ "interface index + protocol + packet type + len",
	  9,
	  { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 10), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    BPF_STMT(BPF_RET | BPF_A, 0) } },
};

/* Loads of what a socket filter cannot know: refused, naming it. */
static const struct {
	const char *name, *msg;
	struct sock_filter insn;
} sll2_bad[] = {
	{ "ldh [8]", "link-layer type", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 8) },
	{ "ldb [9]", "link-layer type", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9) },
	{ "ld [6]", "link-layer type", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 6) },
	{ "ldh [7]", "link-layer type", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 7) },
	{ "ldh [9]", "link-layer type", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 9) },
	{ "ld [5]", "link-layer type", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 5) },
	{ "ldxb 4*([8]&0xf)", "link-layer type", BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 8) },
	{ "ldh [10]", "address length", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 10) },
	{ "ld [10]", "address length", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 10) },
	{ "ldb [11]", "address length", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 11) },
	{ "ldh [11]", "address length", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 11) },
	{ "ldb [12]", "link-layer address", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 12) },
	{ "ld [12]", "link-layer address", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 12) },
	{ "ld [16]", "link-layer address", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16) },
	{ "ldb [19]", "link-layer address", BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 19) },
	{ "ldxb 4*([19]&0xf)", "link-layer address", BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 19) },
	{ "ldh [19]", "across the end", BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 19) },
	{ "ld [17]", "across the end", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 17) },
	{ "ld [18]", "across the end", BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 18) },
	{ "ldb [x+0]", "indirect load", BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0) },
	{ "ldh [x+4]", "indirect load", BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4) },
	{ "ld [x+19]", "indirect load", BPF_STMT(BPF_LD | BPF_W | BPF_IND, 19) },
};

/*
 * Chain mode, as sockcap runs an expression on "any": a packet the
 * expression accepts goes on to the program in the array (here one that
 * returns 12345), which the header loads must leave able to run.
 */
static void sll2_chain(pcap_t *pc)
{
	static const struct bpf_insn callee[] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 12345 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char *const chain_exprs[] = {
		"inbound and ifindex %u and ip",
		"link[10] = 3 or len > 100",
		"inbound and ifindex %u and ip6 protochain 17",
	};
	struct cbpf_opts o = { .mode = CBPF_CHAIN, .link = CBPF_LINK_SLL2 };
	struct bpf_program prog;
	unsigned int e, i, runs = 0, accepted = 0;
	int map, callee_fd, fd, r;
	__u32 key = 0, got, want;
	char expr[128];

	map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "cbpf_sll2", 4, 4, 1, NULL);
	callee_fd =
		bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "cbpf_callee", "GPL", callee, 2, NULL);
	checks++;
	if (map < 0 || callee_fd < 0 || bpf_map_update_elem(map, &key, &callee_fd, BPF_ANY)) {
		fail("LINUX_SLL2 chain: setting up the map and the callee: %s", strerror(errno));
		goto out;
	}
	o.prog_array_fd = map;
	for (e = 0; e < sizeof(chain_exprs) / sizeof(chain_exprs[0]); e++) {
		snprintf(expr, sizeof(expr), chain_exprs[e], sll2_lo);
		checks++;
		if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail("LINUX_SLL2 chain \"%s\": pcap_compile: %s", expr, pcap_geterr(pc));
			continue;
		}
		fd = load_or_fail(expr, (struct sock_filter *)prog.bf_insns, prog.bf_len, &o);
		for (i = 0; fd >= 0 && i < nspkts; i++) {
			struct pcap_pkthdr h = { .caplen = spkts[i].len, .len = spkts[i].len };

			want = pcap_offline_filter(&prog, &h, spkts[i].b) ? 12345 : 0;
			accepted += !!want;
			got = 0;
			r = sll2_run(fd, spkts[i].f, &got);
			runs++;
			check(!r && got == want,
			      "LINUX_SLL2 chain \"%s\" on \"%s\": want %u, got %u", expr,
			      spkts[i].f->name, want, got);
		}
		if (fd >= 0)
			close(fd);
		pcap_freecode(&prog);
	}
	check(accepted > 0 && accepted < runs, "LINUX_SLL2 chain: %u of %u frames accepted",
	      accepted, runs);
out:
	if (callee_fd >= 0)
		close(callee_fd);
	if (map >= 0)
		close(map);
}

static void check_sll2(void)
{
	pcap_t *pc = pcap_open_dead(DLT_LINUX_SLL2, SNAPLEN);
	struct bpf_program prog[2];
	struct cbpf_opts o = { .link = CBPF_LINK_SLL2 };
	unsigned int i, compiled = 0, same = 0, never = 0, refused_opt = 0, corpus, hand, before;
	char what[600], expr[128];
	double t0 = now();
	int opt, acc;

	sll2_lo = if_nametoindex("lo");
	checks++;
	if (!pc || !sll2_lo) {
		fail("LINUX_SLL2: no dead LINUX_SLL2 handle, or no lo");
		if (pc)
			pcap_close(pc);
		return;
	}
	sll2_frames();

	for (i = 0; i < nexprs; i++) {
		prog[0].bf_insns = prog[1].bf_insns = NULL;
		for (opt = 1; opt >= 0; opt--) {
			struct bpf_program *p = &prog[opt];

			if (pcap_compile(pc, p, exprs[i], opt, PCAP_NETMASK_UNKNOWN) < 0) {
				/* optimized or not, libpcap's parser refuses it the same */
				checks++;
				if (!opt && prog[1].bf_insns)
					fail("\"%s\" (LINUX_SLL2, unoptimized): pcap_compile: %s",
					     exprs[i], pcap_geterr(pc));
				break;
			}
			compiled += opt;
			if (!opt && prog[1].bf_len == p->bf_len &&
			    !memcmp(prog[1].bf_insns, p->bf_insns,
				    p->bf_len * sizeof(*p->bf_insns))) {
				same++;
				continue;
			}
			snprintf(what, sizeof(what), "\"%s\"%s", exprs[i],
				 opt ? "" : " (unoptimized)");
			before = sll2_refused;
			acc = sll2_differential(what, (struct sock_filter *)p->bf_insns, p->bf_len);
			never += acc == 0;
			refused_opt += opt && sll2_refused != before;
		}
		for (opt = 0; opt < 2; opt++)
			if (prog[opt].bf_insns)
				pcap_freecode(&prog[opt]);
	}
	corpus = sll2_progs;

	for (i = 0; i < nsll2_exprs; i++) {
		snprintf(expr, sizeof(expr), sll2_exprs[i].fmt, sll2_lo + sll2_exprs[i].plus);
		snprintf(what, sizeof(what), "\"%s\"", expr);
		checks++;
		if (pcap_compile(pc, &prog[0], expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail("%s (LINUX_SLL2): pcap_compile: %s", what, pcap_geterr(pc));
			continue;
		}
		checks++;
		if (sll2_unknown((struct sock_filter *)prog[0].bf_insns, prog[0].bf_len))
			fail("%s (LINUX_SLL2): reads what a socket filter cannot know", what);
		else
			sll2_differential(what, (struct sock_filter *)prog[0].bf_insns,
					  prog[0].bf_len);
		pcap_freecode(&prog[0]);
	}
	for (i = 0; i < sizeof(sll2_hands) / sizeof(sll2_hands[0]); i++) {
		snprintf(what, sizeof(what), "hand-written \"%s\"", sll2_hands[i].name);
		check(BPF_CLASS(sll2_hands[i].insns[sll2_hands[i].n - 1].code) == BPF_RET &&
			      (sll2_hands[i].n == 24 || !sll2_hands[i].insns[sll2_hands[i].n].code),
		      "%s: n = %u does not end the program", what, sll2_hands[i].n);
		checks++;
		if (sll2_unknown(sll2_hands[i].insns, sll2_hands[i].n))
			fail("%s (LINUX_SLL2): reads what a socket filter cannot know", what);
		else
			sll2_differential(what, sll2_hands[i].insns, sll2_hands[i].n);
	}
	hand = sll2_progs - corpus;
	check(hand == nsll2_exprs + sizeof(sll2_hands) / sizeof(sll2_hands[0]),
	      "LINUX_SLL2: %u of the programs reading the header ran", hand);

	for (i = 0; i < sizeof(sll2_bad) / sizeof(sll2_bad[0]); i++) {
		struct sock_filter f[2] = { sll2_bad[i].insn, BPF_STMT(BPF_RET | BPF_A, 0) };

		snprintf(what, sizeof(what), "LINUX_SLL2 \"%s\"", sll2_bad[i].name);
		check(sll2_unknown(f, 2) != 0, "%s: reads nothing a socket filter cannot know",
		      what);
		expect_reject(what, f, 2, &o, -EINVAL, "cooked (LINUX_SLL2) header");
		expect_reject(what, f, 2, &o, -EINVAL, sll2_bad[i].msg);
	}
	sll2_chain(pc);
	pcap_close(pc);

	printf("cooked (LINUX_SLL2): %u of %u expressions compiled for it; %u programs (%u "
	       "unoptimized ones the same as optimized; %u accept no frame) and %u reading the "
	       "header run on every frame, %lu runs; %u programs (%u of them optimized) refused "
	       "for reading the header: %u its hardware type, %u its address length, %u its "
	       "address, %u across its end, %u indirect; %u hand-written loads refused; %.2f s\n",
	       compiled, nexprs, corpus, same, never, hand, sll2_runs, sll2_refused, refused_opt,
	       sll2_why[0], sll2_why[1], sll2_why[2], sll2_why[3], sll2_why[4],
	       (unsigned int)(sizeof(sll2_bad) / sizeof(sll2_bad[0])), now() - t0);
	check(compiled >= 350 && corpus >= 600,
	      "LINUX_SLL2: only %u expressions compiled, %u corpus programs ran", compiled, corpus);
	for (i = 0; i < nspkts; i++)
		free(spkts[i].b);
	free(spkts);
	for (i = 0; i < nsll2_own; i++)
		free(sll2_own[i].b);
	free(sll2_own);
}

int main(void)
{
	double t0 = now(), t1;
	pcap_t *pc;

	pc = cbpf_test_start();
	read_sll2_exprs();
	load_frames();
	read_frames("cbpf-check-frames.pcap", true, &check_frames, &ncheck_frames);
	run_corpus(pc);
	check_coverage();
	t1 = now();
	check_ancillary(pc);
	check_rejects();
	check_back_jumps(pc);
	check_chain(pc);
	check_sll2();
	printf("largest program: %u classic instructions; %u eBPF instructions (%s)\n", max_classic,
	       max_ebpf, max_ebpf_name);
	printf("differential %.2f s, targeted %.2f s\n", t1 - t0, now() - t1);
	printf("%lu checks, %lu failures\n", checks, failures);
	pcap_close(pc);
	return failures ? 1 : 0;
}
