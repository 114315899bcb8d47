// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: classic BPF to eBPF translation for socket filters
 *
 * Register use. LD_ABS/LD_IND (which reject the packet by returning 0 when
 * the load is out of bounds, as classic BPF does) require the context in
 * R6, leave their result in R0 and clobber R1-R5. So:
 *
 *	R0   A: loads land in it directly, and RET A is a bare exit
 *	R6   the struct __sk_buff context
 *	R7   X
 *	R8   scratch: the offset of LD_IND, A around LDX MSH
 *	R10  M[0..15] at R10 - 64 + 4 * k, the map key below it
 *
 * A and X hold 32-bit values zero-extended to 64 bits: every write to them
 * is a 32-bit ALU operation (which zero-extends) or a load of 32 bits or
 * less. Comparisons use BPF_JMP32, so a constant with bit 31 set is not
 * sign-extended.
 *
 * Layout. Classic BPF from libpcap has backward jumps ("protochain" loops
 * over IPv6 extension headers), which the verifier only accepts as bounded
 * loops from privileged users, and only when it can see the bound. Instead
 * the region L = [lowest backward target, highest backward jump] is copied
 * max_back_jumps + 1 times; a backward jump in copy c goes to copy c + 1,
 * in the last copy to a block that returns 0. Copy c therefore runs after
 * exactly c backward jumps, and every eBPF jump is forward:
 *
 *	P (before L) | L copy 0 | ... | L copy max | reject | T (after L)
 *
 * Each (copy, classic instruction) pair is a node; only nodes reachable
 * from the start are emitted, since the verifier rejects unreachable code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "cbpf.h"

#define R_A   BPF_REG_0
#define R_CTX BPF_REG_6
#define R_X   BPF_REG_7
#define R_TMP BPF_REG_8

#define MEM_OFF (-4 * BPF_MEMWORDS)
#define KEY_OFF (MEM_OFF - 8)

/* Classic instruction j and copy c as one node id (see the layout above). */
struct layout {
	unsigned int p_end;  /* P = [0, p_end) */
	unsigned int l_end;  /* L = [p_end, l_end) */
	unsigned int copies; /* of L */
	unsigned int reject; /* id of the shared "return 0" node */
	unsigned int nodes;  /* ids are [0, nodes) */
};

/* Where a classic load goes. */
enum load_kind {
	LOAD_PKT,  /* packet bytes */
	LOAD_ANC,  /* struct __sk_buff field */
	LOAD_HDR,  /* CBPF_LINK_SLL2: the header, made of struct __sk_buff fields */
	LOAD_FAIL, /* always out of bounds: the instruction rejects */
};

struct fixup {
	unsigned int at;   /* eBPF jump instruction */
	unsigned int node; /* its target */
};

struct xlat {
	const struct sock_filter *in;
	unsigned int n;
	const struct cbpf_opts *o;
	struct layout lay;

	unsigned char *reach; /* per node */
	unsigned int *start;  /* per node: first eBPF instruction */
	unsigned int *next;   /* per node: the node emitted after it */

	struct bpf_insn *out;
	unsigned int len, cap;
	struct fixup *fix;
	unsigned int nfix, capfix;
	bool nomem;

	char *err;
	size_t errlen;
};

static int fail(struct xlat *x, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct xlat *x, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (x->err && x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

/* ------------------------------------------------------------ emitting */

static void emit(struct xlat *x, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn *i;

	if (x->len == x->cap) {
		unsigned int cap = x->cap ? 2 * x->cap : 256;
		struct bpf_insn *p = realloc(x->out, cap * sizeof(*p));

		if (!p) {
			x->nomem = true;
			return;
		}
		x->out = p;
		x->cap = cap;
	}
	i = &x->out[x->len++];
	memset(i, 0, sizeof(*i));
	i->code = code;
	i->dst_reg = dst;
	i->src_reg = src;
	i->off = off;
	i->imm = imm;
}

/* A jump to a node, resolved once every node has its place. */
static void emit_jump(struct xlat *x, __u8 code, __u8 dst, __u8 src, __s32 imm, unsigned int node)
{
	if (x->nfix == x->capfix) {
		unsigned int cap = x->capfix ? 2 * x->capfix : 256;
		struct fixup *p = realloc(x->fix, cap * sizeof(*p));

		if (!p) {
			x->nomem = true;
			return;
		}
		x->fix = p;
		x->capfix = cap;
	}
	x->fix[x->nfix].at = x->len;
	x->fix[x->nfix].node = node;
	x->nfix++;
	emit(x, code, dst, src, 0, imm);
}

static void emit_ld_map_fd(struct xlat *x, __u8 dst, int fd)
{
	emit(x, BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, fd);
	emit(x, 0, 0, 0, 0, 0);
}

static void emit_ret0(struct xlat *x)
{
	emit(x, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/*
 * Accept with the value in A (non-zero: callers check). STANDALONE: return
 * it. CHAIN: the tail call does not return when it succeeds; when it fails
 * (empty slot, tail-call limit) the packet is rejected.
 */
static void emit_accept(struct xlat *x)
{
	if (x->o->mode != CBPF_CHAIN) {
		emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return;
	}
	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, R_CTX, 0, 0);
	emit_ld_map_fd(x, BPF_REG_2, x->o->prog_array_fd);
	emit(x, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, (__s32)x->o->slot);
	emit(x, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call);
	emit_ret0(x);
}

static void emit_ret(struct xlat *x, const struct sock_filter *f)
{
	if (BPF_RVAL(f->code) == BPF_K) {
		if (f->k == 0) {
			emit_ret0(x);
			return;
		}
		if (x->o->mode == CBPF_CHAIN) {
			emit_accept(x);
		} else {
			emit(x, BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, (__s32)f->k);
			emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		}
		return;
	}
	/* RET A */
	if (x->o->mode == CBPF_CHAIN) {
		/* A == 0: skip the tail call to its trailing "return 0". */
		emit(x, BPF_JMP32 | BPF_JEQ | BPF_K, R_A, 0, 5, 0);
		emit_accept(x);
		return;
	}
	emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* ------------------------------------------------------------- checking */

/* SKF_AD_OFF + code -> struct __sk_buff field, and whether it is big-endian. */
static int anc_field(__u32 code, bool *swap)
{
	*swap = false;
	switch (code) {
	case SKF_AD_PROTOCOL:
		/* skb->protocol is network order; classic BPF gives ntohs(). */
		*swap = true;
		return offsetof(struct __sk_buff, protocol);
	case SKF_AD_PKTTYPE:
		return offsetof(struct __sk_buff, pkt_type);
	case SKF_AD_IFINDEX:
		return offsetof(struct __sk_buff, ifindex);
	case SKF_AD_VLAN_TAG:
		return offsetof(struct __sk_buff, vlan_tci);
	case SKF_AD_VLAN_TAG_PRESENT:
		return offsetof(struct __sk_buff, vlan_present);
	case SKF_AD_VLAN_TPID:
		/* skb->vlan_proto is network order too. */
		*swap = true;
		return offsetof(struct __sk_buff, vlan_proto);
	}
	return -1;
}

static const char *anc_name(__u32 code)
{
	static const char *const names[SKF_AD_MAX / 4] = {
		"protocol",	    "pkttype",	  "ifindex",   "nlattr",
		"nlattr_nest",	    "mark",	  "queue",     "hatype",
		"rxhash",	    "cpu",	  "alu_xor_x", "vlan_tag",
		"vlan_tag_present", "pay_offset", "random",    "vlan_tpid",
	};

	return code % 4 == 0 && code < SKF_AD_MAX && names[code / 4] ? names[code / 4] : "unknown";
}

/* Bytes a load reads. */
static unsigned int load_size(__u16 code)
{
	if (BPF_CLASS(code) == BPF_LDX || BPF_SIZE(code) == BPF_B)
		return 1;
	return BPF_SIZE(code) == BPF_H ? 2 : 4;
}

/*
 * CBPF_LINK_SLL2, a LD ABS or LDX MSH at k < 20: in the header. Bytes 0-7
 * (protocol, reserved, interface index) and byte 10 (packet type) can be
 * made from the skb; see emit_hdr().
 */
static int classify_hdr_load(struct xlat *x, unsigned int j, enum load_kind *kind)
{
	__u32 k = x->in[j].k, size = load_size(x->in[j].code);

	if (k + size <= 8 || (k == 10 && size == 1)) {
		*kind = LOAD_HDR;
		return 0;
	}
	if (k + size > CBPF_SLL2_HDR_LEN)
		return fail(x, EINVAL,
			    "insn %u: a load across the end of the cooked (LINUX_SLL2) header: not "
			    "supported",
			    j);
	return fail(x, EINVAL,
		    "insn %u: reads the link-layer %s of the cooked (LINUX_SLL2) header, which a "
		    "socket filter cannot see: not supported",
		    j,
		    k >= 12   ? "address"
		    : k >= 10 ? "address length"
			      : "type");
}

/*
 * Offset k of a LD ABS (anc: ancillary loads possible) or LDX MSH. Offsets
 * from 2^31 on are negative to the kernel: SKF_AD_OFF + code names an
 * ancillary value, and loads from SKF_LL_OFF / SKF_NET_OFF on read the
 * frame relative to its MAC / network header (net/core/filter.c,
 * bpf_internal_load_pointer_neg_helper). libpcap's interpreter takes every
 * such offset as beyond the packet (it only knows the VLAN ancillary
 * values, and only with metadata pcap_offline_filter() does not pass).
 * Where the two agree (no data there) the load rejects the packet; where
 * the kernel would read the packet, refuse rather than pick one.
 */
static int classify_load(struct xlat *x, unsigned int j, bool anc, enum load_kind *kind)
{
	__u32 k = x->in[j].k;
	__u32 ad = k - (__u32)SKF_AD_OFF;
	bool swap;

	if (k <= INT32_MAX && x->o->link == CBPF_LINK_SLL2 && k < CBPF_SLL2_HDR_LEN)
		return classify_hdr_load(x, j, kind);
	if (k <= INT32_MAX) {
		*kind = LOAD_PKT;
		return 0;
	}
	if (k >= (__u32)SKF_AD_OFF && ad < SKF_AD_MAX && anc) {
		if (anc_field(ad, &swap) < 0)
			return fail(x, EINVAL,
				    "insn %u: ancillary load SKF_AD_OFF+%u (%s) is not supported",
				    j, ad, anc_name(ad));
		*kind = LOAD_ANC;
		return 0;
	}
	if (k >= (__u32)SKF_AD_OFF || k < (__u32)SKF_LL_OFF) {
		*kind = LOAD_FAIL;
		return 0;
	}
	return fail(
		x, EINVAL,
		"insn %u: offset %#x is in the kernel's %s area (offset %d from the %s header): "
		"not supported",
		j, k, k >= (__u32)SKF_NET_OFF ? "SKF_NET_OFF" : "SKF_LL_OFF",
		(int)(k - (k >= (__u32)SKF_NET_OFF ? (__u32)SKF_NET_OFF : (__u32)SKF_LL_OFF)),
		k >= (__u32)SKF_NET_OFF ? "network" : "MAC");
}

/*
 * Load kind of instruction j (LOAD_PKT for instructions that are no
 * loads). Assumes check_insn() accepted it.
 */
static enum load_kind load_kind(struct xlat *x, unsigned int j)
{
	const struct sock_filter *f = &x->in[j];
	enum load_kind kind = LOAD_PKT;

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		classify_load(x, j, true, &kind);
		break;
	case BPF_LDX | BPF_B | BPF_MSH:
		classify_load(x, j, false, &kind);
		break;
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		/* X + k >= 2^31 for any X: beyond any packet. */
		if (f->k > INT32_MAX)
			kind = LOAD_FAIL;
		break;
	}
	return kind;
}

/* The classic target of a jump: pc + 1 + offset, 64-bit so nothing wraps. */
static long long ja_target(unsigned int j, __u32 k)
{
	/* Sign-extended: libpcap's interpreter does, for "protochain". */
	return (long long)j + 1 + (__s32)k;
}

static int check_insn(struct xlat *x, unsigned int j)
{
	const struct sock_filter *f = &x->in[j];
	enum load_kind kind;
	long long t;

	switch (f->code) {
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
		return 0;
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		return classify_load(x, j, true, &kind);
	case BPF_LDX | BPF_B | BPF_MSH:
		return classify_load(x, j, false, &kind);
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		/* where X + k lands is only known at run time */
		if (x->o->link == CBPF_LINK_SLL2 && f->k < CBPF_SLL2_HDR_LEN)
			return fail(
				x, EINVAL,
				"insn %u: an indirect load that may read the cooked (LINUX_SLL2) "
				"header: not supported",
				j);
		return 0;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPF_MEMWORDS)
			return fail(x, EINVAL,
				    "insn %u: scratch memory M[%u] does not exist (M[0..%d])", j,
				    f->k, BPF_MEMWORDS - 1);
		return 0;
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_K:
		if (f->k == 0)
			return fail(x, EINVAL, "insn %u: %s by the constant 0", j,
				    BPF_OP(f->code) == BPF_DIV ? "division" : "modulo");
		return 0;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		/* As the kernel's classic checker and libpcap's validator. */
		if (f->k >= 32)
			return fail(x, EINVAL, "insn %u: shift by the constant %u (>= 32)", j,
				    f->k);
		return 0;
	case BPF_JMP | BPF_JA:
		t = ja_target(j, f->k);
		if (t < 0 || t >= x->n)
			return fail(x, EINVAL, "insn %u: jump to %lld, outside the program (0..%u)",
				    j, t, x->n - 1);
		return 0;
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_X:
		if (j + 1 + f->jt >= x->n || j + 1 + f->jf >= x->n)
			return fail(x, EINVAL, "insn %u: jump to %u, outside the program (0..%u)",
				    j, j + 1 + (f->jt > f->jf ? f->jt : f->jf), x->n - 1);
		return 0;
	}
	return fail(x, EINVAL, "insn %u: unknown opcode %#x", j, f->code);
}

/* ---------------------------------------------------------------- layout */

static unsigned int node_id(const struct layout *l, unsigned int c, unsigned int j)
{
	if (j < l->p_end)
		return j;
	if (j < l->l_end)
		return l->p_end + c * (l->l_end - l->p_end) + (j - l->p_end);
	return l->reject + 1 + (j - l->l_end);
}

/* Node id -> copy and classic instruction; false for the reject node. */
static bool node_insn(const struct layout *l, unsigned int id, unsigned int *c, unsigned int *j)
{
	unsigned int llen = l->l_end - l->p_end;

	*c = 0;
	if (id < l->p_end) {
		*j = id;
	} else if (id < l->reject) {
		*c = (id - l->p_end) / llen;
		*j = l->p_end + (id - l->p_end) % llen;
	} else if (id == l->reject) {
		return false;
	} else {
		*j = l->l_end + (id - l->reject - 1);
	}
	return true;
}

/* Node reached from instruction j of copy c by going to instruction t. */
static unsigned int node_to(const struct layout *l, unsigned int c, unsigned int j, unsigned int t)
{
	if (t <= j) /* backward: only inside L */
		return c + 1 < l->copies ? node_id(l, c + 1, t) : l->reject;
	if (j < l->p_end || j >= l->l_end)
		c = 0;
	return node_id(l, c, t);
}

/* Successor nodes of node id; returns how many (0..2). */
static int node_succ(struct xlat *x, unsigned int id, unsigned int s[2])
{
	const struct sock_filter *f;
	unsigned int c, j;

	if (!node_insn(&x->lay, id, &c, &j))
		return 0;
	f = &x->in[j];
	switch (BPF_CLASS(f->code)) {
	case BPF_RET:
		return 0;
	case BPF_JMP:
		if (BPF_OP(f->code) == BPF_JA) {
			s[0] = node_to(&x->lay, c, j, (unsigned int)ja_target(j, f->k));
			return 1;
		}
		s[0] = node_to(&x->lay, c, j, j + 1 + f->jt);
		s[1] = node_to(&x->lay, c, j, j + 1 + f->jf);
		return 2;
	}
	if (load_kind(x, j) == LOAD_FAIL)
		return 0;
	s[0] = node_to(&x->lay, c, j, j + 1);
	return 1;
}

static int plan_layout(struct xlat *x)
{
	struct layout *l = &x->lay;
	unsigned int j, t_min = x->n, s_max = 0, back = 0, max;
	unsigned long long nodes, copies;

	for (j = 0; j < x->n; j++) {
		const struct sock_filter *f = &x->in[j];
		long long t;

		if (f->code != (BPF_JMP | BPF_JA))
			continue;
		t = ja_target(j, f->k);
		if (t > j)
			continue;
		back++;
		if (t < t_min)
			t_min = (unsigned int)t;
		s_max = j;
	}
	if (!back) {
		l->p_end = l->l_end = x->n;
		copies = 1;
	} else {
		max = x->o->max_back_jumps ? x->o->max_back_jumps : CBPF_MAX_BACK_JUMPS;
		l->p_end = t_min;
		l->l_end = s_max + 1;
		copies = (unsigned long long)max + 1;
	}
	nodes = l->p_end + copies * (l->l_end - l->p_end) + 1 + (x->n - l->l_end);
	/* Each node is an eBPF instruction or more; the kernel loads 1M at most. */
	if (nodes > 1000000)
		return fail(x, E2BIG,
			    "%u instructions with %u backward jumps unrolled %llu times: too large",
			    x->n, back, copies - 1);
	l->copies = (unsigned int)copies;
	l->reject = l->p_end + l->copies * (l->l_end - l->p_end);
	l->nodes = (unsigned int)nodes;
	return 0;
}

/* Mark the nodes reachable from instruction 0; chain them in layout order. */
static int find_reachable(struct xlat *x)
{
	unsigned int *stack, sp = 0, id, prev, s[2];
	int i, ns;

	x->reach = calloc(x->lay.nodes, 1);
	x->start = calloc(x->lay.nodes, sizeof(*x->start));
	x->next = calloc(x->lay.nodes, sizeof(*x->next));
	stack = malloc(x->lay.nodes * sizeof(*stack));
	if (!x->reach || !x->start || !x->next || !stack) {
		free(stack);
		return fail(x, ENOMEM, "out of memory");
	}
	x->reach[0] = 1;
	stack[sp++] = 0;
	while (sp) {
		ns = node_succ(x, stack[--sp], s);
		for (i = 0; i < ns; i++) {
			if (!x->reach[s[i]]) {
				x->reach[s[i]] = 1;
				stack[sp++] = s[i];
			}
		}
	}
	free(stack);

	prev = x->lay.nodes; /* none */
	for (id = 0; id < x->lay.nodes; id++) {
		if (!x->reach[id])
			continue;
		if (prev < x->lay.nodes)
			x->next[prev] = id;
		prev = id;
	}
	if (prev < x->lay.nodes)
		x->next[prev] = x->lay.nodes;
	return 0;
}

/* ------------------------------------------------------------ translation */

static __s16 mem_off(__u32 k)
{
	return (__s16)(MEM_OFF + 4 * (int)k);
}

/* A = skb field of ancillary load k. */
static void emit_anc(struct xlat *x, __u32 k)
{
	bool swap;
	int off = anc_field(k - (__u32)SKF_AD_OFF, &swap);

	emit(x, BPF_LDX | BPF_MEM | BPF_W, R_A, R_CTX, (__s16)off, 0);
	/* Big-endian 16 bits to host order: a swap on little-endian hosts. */
	if (swap)
		emit(x, BPF_ALU | BPF_END | BPF_TO_BE, R_A, 0, 0, 16);
}

/* Offset of a packet load: past the header the socket does not have. */
static __s32 pkt_off(struct xlat *x, __u32 k)
{
	return (__s32)(x->o->link == CBPF_LINK_SLL2 ? k - CBPF_SLL2_HDR_LEN : k);
}

/*
 * dst = the bytes k .. k + size - 1 of the LINUX_SLL2 header, big-endian
 * as a load reads them (classify_hdr_load() allowed them). Bytes 0-7 are
 * the 64-bit value protocol << 48 | ifindex; byte 10 is the packet type.
 * Clobbers R_TMP.
 */
static void emit_hdr(struct xlat *x, __u8 dst, __u32 k, unsigned int size)
{
	unsigned int shift = 64 - 8 * (k + size);

	if (k == 10) {
		emit(x, BPF_LDX | BPF_MEM | BPF_W, dst, R_CTX, offsetof(struct __sk_buff, pkt_type),
		     0);
		return;
	}
	emit(x, BPF_LDX | BPF_MEM | BPF_W, dst, R_CTX, offsetof(struct __sk_buff, protocol), 0);
	emit(x, BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, 16);
	emit(x, BPF_ALU64 | BPF_LSH | BPF_K, dst, 0, 0, 48);
	emit(x, BPF_LDX | BPF_MEM | BPF_W, R_TMP, R_CTX, offsetof(struct __sk_buff, ifindex), 0);
	emit(x, BPF_ALU64 | BPF_OR | BPF_X, dst, R_TMP, 0, 0);
	if (shift)
		emit(x, BPF_ALU64 | BPF_RSH | BPF_K, dst, 0, 0, (__s32)shift);
	if (size < 4)
		emit(x, BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, (1 << (8 * size)) - 1);
	else
		emit(x, BPF_ALU | BPF_MOV | BPF_X, dst, dst, 0, 0); /* the low 32 bits */
}

/*
 * LD IND: libpcap's interpreter takes X + k without wrapping and rejects
 * the packet when it is past the end. The kernel's load helpers take an int
 * offset, and a negative one reaches the SKF_*_OFF areas; so compute the
 * sum in 64 bits (X zero-extended, k < 2^31 here) and reject >= 2^31 first.
 */
static void emit_ld_ind(struct xlat *x, const struct sock_filter *f)
{
	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_TMP, R_X, 0, 0);
	if (pkt_off(x, f->k))
		emit(x, BPF_ALU64 | BPF_ADD | BPF_K, R_TMP, 0, 0, pkt_off(x, f->k));
	emit(x, BPF_JMP | BPF_JLE | BPF_K, R_TMP, 0, 2, INT32_MAX);
	emit_ret0(x);
	emit(x, BPF_LD | BPF_SIZE(f->code) | BPF_IND, BPF_REG_0, R_TMP, 0, 0);
}

static void emit_alu(struct xlat *x, const struct sock_filter *f)
{
	__u8 op = BPF_OP(f->code);

	if (op == BPF_NEG) {
		emit(x, BPF_ALU | BPF_NEG, R_A, 0, 0, 0);
		return;
	}
	if (BPF_SRC(f->code) == BPF_K) {
		/* 32-bit ALU: imm's bits are k's; DIV and MOD are unsigned. */
		emit(x, BPF_ALU | op | BPF_K, R_A, 0, 0, (__s32)f->k);
		return;
	}
	switch (op) {
	case BPF_DIV:
	case BPF_MOD:
		/* eBPF gives 0 (DIV) or A (MOD); classic BPF rejects the packet. */
		emit(x, BPF_JMP32 | BPF_JNE | BPF_K, R_X, 0, 2, 0);
		emit_ret0(x);
		break;
	case BPF_LSH:
	case BPF_RSH:
		/*
		 * eBPF shifts by X & 31; libpcap's interpreter gives 0 for a
		 * shift by 32 or more (C leaves it undefined).
		 */
		emit(x, BPF_JMP32 | BPF_JLT | BPF_K, R_X, 0, 2, 32);
		emit(x, BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, 0);
		emit(x, BPF_JMP | BPF_JA, 0, 0, 1, 0);
		break;
	}
	emit(x, BPF_ALU | op | BPF_X, R_A, R_X, 0, 0);
}

/* A conditional jump to node t, else to node e. */
static void emit_cond(struct xlat *x, unsigned int id, const struct sock_filter *f, unsigned int t,
		      unsigned int e)
{
	__u8 op = BPF_OP(f->code), inv, code, src = 0;
	__s32 imm = 0;

	if (t == e) {
		if (x->next[id] != t)
			emit_jump(x, BPF_JMP | BPF_JA, 0, 0, 0, t);
		return;
	}
	if (BPF_SRC(f->code) == BPF_X)
		src = R_X;
	else
		imm = (__s32)f->k;
	switch (op) {
	case BPF_JEQ:
		inv = BPF_JNE;
		break;
	case BPF_JGT:
		inv = BPF_JLE;
		break;
	case BPF_JGE:
		inv = BPF_JLT;
		break;
	default: /* JSET has no inverse */
		inv = 0;
		break;
	}
	code = BPF_JMP32 | BPF_SRC(f->code);
	if (x->next[id] == t && inv) {
		emit_jump(x, code | inv, R_A, src, imm, e);
		return;
	}
	emit_jump(x, code | op, R_A, src, imm, t);
	if (x->next[id] != e)
		emit_jump(x, BPF_JMP | BPF_JA, 0, 0, 0, e);
}

/* X = (P[k] & 0xf) << 2; the load goes through R0, which is A. */
static void emit_msh(struct xlat *x, unsigned int j, const struct sock_filter *f)
{
	if (load_kind(x, j) == LOAD_HDR) {
		emit_hdr(x, R_X, f->k, 1);
	} else {
		emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_TMP, R_A, 0, 0);
		emit(x, BPF_LD | BPF_B | BPF_ABS, 0, 0, 0, pkt_off(x, f->k));
		emit(x, BPF_ALU | BPF_MOV | BPF_X, R_X, BPF_REG_0, 0, 0);
		emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_A, R_TMP, 0, 0);
	}
	emit(x, BPF_ALU | BPF_AND | BPF_K, R_X, 0, 0, 0xf);
	emit(x, BPF_ALU | BPF_LSH | BPF_K, R_X, 0, 0, 2);
}

/* A = len or X = len: the packet's length. */
static void emit_len(struct xlat *x, const struct sock_filter *f)
{
	__u8 dst = BPF_CLASS(f->code) == BPF_LD ? R_A : R_X;

	emit(x, BPF_LDX | BPF_MEM | BPF_W, dst, R_CTX, offsetof(struct __sk_buff, len), 0);
	/* a file's length counts the header (no packet is near 2^32) */
	if (x->o->link == CBPF_LINK_SLL2)
		emit(x, BPF_ALU | BPF_ADD | BPF_K, dst, 0, 0, CBPF_SLL2_HDR_LEN);
}

static void emit_node(struct xlat *x, unsigned int id)
{
	const struct sock_filter *f;
	unsigned int c, j, s[2];
	int ns;

	if (!node_insn(&x->lay, id, &c, &j)) {
		emit_ret0(x);
		return;
	}
	f = &x->in[j];
	ns = node_succ(x, id, s);

	switch (BPF_CLASS(f->code)) {
	case BPF_RET:
		emit_ret(x, f);
		return;
	case BPF_JMP:
		if (ns == 1) {
			if (x->next[id] != s[0])
				emit_jump(x, BPF_JMP | BPF_JA, 0, 0, 0, s[0]);
		} else {
			emit_cond(x, id, f, s[0], s[1]);
		}
		return;
	}
	if (load_kind(x, j) == LOAD_FAIL) {
		emit_ret0(x);
		return;
	}

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		if (load_kind(x, j) == LOAD_ANC)
			emit_anc(x, f->k);
		else if (load_kind(x, j) == LOAD_HDR)
			emit_hdr(x, R_A, f->k, load_size(f->code));
		else /* eBPF kept classic BPF's LD ABS encoding */
			emit(x, f->code, 0, 0, 0, pkt_off(x, f->k));
		break;
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		emit_ld_ind(x, f);
		break;
	case BPF_LDX | BPF_B | BPF_MSH:
		emit_msh(x, j, f);
		break;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
		emit_len(x, f);
		break;
	case BPF_LD | BPF_IMM:
		emit(x, BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, (__s32)f->k);
		break;
	case BPF_LDX | BPF_IMM:
		emit(x, BPF_ALU | BPF_MOV | BPF_K, R_X, 0, 0, (__s32)f->k);
		break;
	case BPF_LD | BPF_MEM:
		emit(x, BPF_LDX | BPF_MEM | BPF_W, R_A, BPF_REG_10, mem_off(f->k), 0);
		break;
	case BPF_LDX | BPF_MEM:
		emit(x, BPF_LDX | BPF_MEM | BPF_W, R_X, BPF_REG_10, mem_off(f->k), 0);
		break;
	case BPF_ST:
		emit(x, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, R_A, mem_off(f->k), 0);
		break;
	case BPF_STX:
		emit(x, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, R_X, mem_off(f->k), 0);
		break;
	case BPF_MISC | BPF_TAX:
		emit(x, BPF_ALU | BPF_MOV | BPF_X, R_X, R_A, 0, 0);
		break;
	case BPF_MISC | BPF_TXA:
		emit(x, BPF_ALU | BPF_MOV | BPF_X, R_A, R_X, 0, 0);
		break;
	default: /* BPF_ALU */
		emit_alu(x, f);
		break;
	}
	/* Fall through to j + 1, unless that is not what comes next. */
	if (x->next[id] != s[0])
		emit_jump(x, BPF_JMP | BPF_JA, 0, 0, 0, s[0]);
}

static void emit_prologue(struct xlat *x)
{
	const struct cbpf_opts *o = x->o;
	bool mem_read = false;
	unsigned int id, c, j;
	int i;

	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_CTX, BPF_REG_1, 0, 0);

	if (o->flags & CBPF_F_COUNT_SEEN) {
		/* value = lookup(map, &0); if (value) value->seen++ */
		emit(x, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, KEY_OFF, 0);
		emit_ld_map_fd(x, BPF_REG_1, o->seen_map_fd);
		emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
		emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, KEY_OFF);
		emit(x, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		emit(x, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 3, 0);
		emit(x, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_0, (__s16)o->seen_off, 0);
		emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 1);
		emit(x, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_1, (__s16)o->seen_off, 0);
	}

	/* Classic BPF starts with A = X = 0 (kernel and libpcap alike). */
	emit(x, BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, 0);
	emit(x, BPF_ALU | BPF_MOV | BPF_K, R_X, 0, 0, 0);

	/*
	 * The verifier refuses reads of stack it has not seen written, and
	 * libpcap's interpreter starts with M[] zeroed: zero it when some
	 * reachable instruction reads it.
	 */
	for (id = 0; id < x->lay.nodes && !mem_read; id++) {
		if (!x->reach[id] || !node_insn(&x->lay, id, &c, &j))
			continue;
		mem_read =
			x->in[j].code == (BPF_LD | BPF_MEM) || x->in[j].code == (BPF_LDX | BPF_MEM);
	}
	if (mem_read)
		for (i = 0; i < BPF_MEMWORDS / 2; i++)
			emit(x, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, MEM_OFF + 8 * i, 0);
}

static int check_opts(struct xlat *x)
{
	const struct cbpf_opts *o = x->o;

	if (o->mode != CBPF_STANDALONE && o->mode != CBPF_CHAIN)
		return fail(x, EINVAL, "unknown mode %d", (int)o->mode);
	if (o->link != CBPF_LINK_AS_IS && o->link != CBPF_LINK_SLL2)
		return fail(x, EINVAL, "unknown link framing %d", (int)o->link);
	if (o->mode == CBPF_CHAIN && o->prog_array_fd < 0)
		return fail(x, EINVAL, "chain mode needs a program array");
	if (o->flags & ~CBPF_F_COUNT_SEEN)
		return fail(x, EINVAL, "unknown flags %#x", o->flags);
	if ((o->flags & CBPF_F_COUNT_SEEN) &&
	    (o->seen_map_fd < 0 || o->seen_off % 8 || o->seen_off > INT16_MAX - 8))
		return fail(x, EINVAL, "counting needs a map and an 8-byte aligned offset below %d",
			    INT16_MAX - 8);
	return 0;
}

int cbpf_translate(const struct sock_filter *in, unsigned int n, const struct cbpf_opts *opts,
		   struct bpf_insn **out, unsigned int *out_n, char *err, size_t errlen)
{
	static const struct cbpf_opts defaults = { .mode = CBPF_STANDALONE };
	struct xlat x = {
		.in = in,
		.n = n,
		.o = opts ? opts : &defaults,
		.err = err,
		.errlen = errlen,
	};
	unsigned int id, i;
	int ret;

	*out = NULL;
	*out_n = 0;
	if (err && errlen)
		err[0] = '\0';
	ret = check_opts(&x);
	if (ret)
		return ret;
	if (!in || n == 0)
		return fail(&x, EINVAL, "empty program");
	/* libpcap's own bound; classic jumps and node ids stay far from overflow. */
	if (n > 3060000)
		return fail(&x, E2BIG, "%u instructions: too many", n);
	for (i = 0; i < n; i++) {
		ret = check_insn(&x, i);
		if (ret)
			return ret;
	}
	/* Nothing may fall off the end: the kernel's classic checker agrees. */
	if (BPF_CLASS(in[n - 1].code) != BPF_RET)
		return fail(&x, EINVAL, "insn %u: the program does not end with RET", n - 1);

	ret = plan_layout(&x);
	if (!ret)
		ret = find_reachable(&x);
	if (ret)
		goto out;

	emit_prologue(&x);
	for (id = 0; id < x.lay.nodes && !x.nomem; id++) {
		if (!x.reach[id])
			continue;
		x.start[id] = x.len;
		emit_node(&x, id);
	}
	if (x.nomem) {
		ret = fail(&x, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < x.nfix; i++) {
		long long off = (long long)x.start[x.fix[i].node] - x.fix[i].at - 1;

		if (off > INT16_MAX) {
			ret = fail(&x, E2BIG,
				   "program too large: %u eBPF instructions, a jump of %lld", x.len,
				   off);
			goto out;
		}
		x.out[x.fix[i].at].off = (__s16)off;
	}
	*out = x.out;
	*out_n = x.len;
	x.out = NULL;
out:
	free(x.out);
	free(x.fix);
	free(x.reach);
	free(x.start);
	free(x.next);
	return ret;
}

int cbpf_load(const struct sock_filter *in, unsigned int n, const struct cbpf_opts *opts, char *err,
	      size_t errlen)
{
	const size_t log_size = 1 << 22;
	struct bpf_insn *insns;
	unsigned int cnt;
	char *log = NULL;
	int fd, fd2;

	fd = cbpf_translate(in, n, opts, &insns, &cnt, err, errlen);
	if (fd)
		return fd;
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "cbpf", "GPL", insns, cnt, NULL);
	if (fd < 0)
		fd = -errno;
	if (fd >= 0 || !err || !errlen)
		goto out;
	/* Again with the verifier's log, whose end says why. */
	log = malloc(log_size);
	if (log) {
		LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_buf = log, .log_size = log_size,
			    .log_level = 1);
		size_t l;

		log[0] = '\0';
		fd2 = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "cbpf", "GPL", insns, cnt, &lo);
		if (fd2 >= 0)
			close(fd2);
		log[log_size - 1] = '\0';
		l = strlen(log);
		while (l && log[l - 1] == '\n')
			log[--l] = '\0';
		snprintf(err, errlen, "loading %u eBPF instructions: %s%s%s", cnt, strerror(-fd),
			 l ? ": " : "", l > errlen / 2 ? log + l - errlen / 2 : log);
	} else {
		snprintf(err, errlen, "loading %u eBPF instructions: %s", cnt, strerror(-fd));
	}
out:
	free(log);
	free(insns);
	return fd;
}
