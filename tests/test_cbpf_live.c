// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: classic BPF translation on live packet sockets, against libpcap
 *
 * The programs test_cbpf compiles from tests/cbpf_exprs.txt (with and
 * without the optimizer), translated by cbpf_load and attached to packet
 * sockets on loopback, given the frames of the same corpus (cbpf_common.c).
 *
 * In a network namespace of its own,
 * the test sends every frame of 14 bytes or more (the kernel refuses
 * shorter ones) on lo, which hands it to packet sockets twice: leaving, as
 * sent, and arriving, after the receive path took a VLAN tag out of it. One
 * socket without a filter gets every copy; each program is the filter of a
 * socket of its own, and for each copy must have passed exactly what
 * libpcap's verdict on the unfiltered socket's bytes says: nothing, or the
 * copy cut at the snap length the program returned.
 *
 * Sockets register at the head of the kernel's list of packet taps and
 * get each packet in that order: the unfiltered socket, opened first, is
 * the last to get a copy, so once it has one every program has had it.
 *
 * A frame the receive path drops (a VLAN header cut short) comes back
 * once only, leaving: the first batch waits LIVE_WAIT_MS for its arrival,
 * later ones do not.
 *
 * libpcap 1.10.3's interpreter follows "protochain" loops without a bound,
 * and the receive path changes tagged frames into frames the corpus was not
 * built to keep finite: programs with backward jumps are not given tagged
 * frames.
 *
 * Needs root (BPF, a network namespace); exits 77 otherwise.
 * CBPF_SHOW_FAILS=n prints the first n failures (default 10).
 */
#include "cbpf_common.h"

#define LIVE_BATCH   128
#define LIVE_WAIT_MS 500

struct live_prog {
	char what[600];
	struct sock_filter *insns;
	unsigned int n;
	bool back; /* has backward jumps */
	int sock, prog_fd, map_fd, entry_fd;
};

struct copy {
	uint8_t b[FRAME_MAX + 64];
	unsigned int len;
	unsigned char pkttype;
};

static struct live_prog *lprogs;
static unsigned int nlprogs;
static unsigned long live_copies;
static unsigned char *live_gone; /* per frame: never arrives */

static bool has_back_jump(const struct sock_filter *f, unsigned int n)
{
	for (unsigned int j = 0; j < n; j++)
		if (f[j].code == (BPF_JMP | BPF_JA) && (__s32)f[j].k < 0)
			return true;
	return false;
}

static void live_add(const char *what, const struct sock_filter *f, unsigned int n, void *arg)
{
	struct live_prog *lp;

	lprogs = realloc(lprogs, (nlprogs + 1) * sizeof(*lprogs));
	if (!lprogs) {
		printf("out of memory\n");
		exit(1);
	}
	lp = &lprogs[nlprogs++];
	memset(lp, 0, sizeof(*lp));
	snprintf(lp->what, sizeof(lp->what), "%s", what);
	lp->insns = malloc(n * sizeof(*f));
	if (!lp->insns) {
		printf("out of memory\n");
		exit(1);
	}
	memcpy(lp->insns, f, n * sizeof(*f));
	lp->n = n;
	lp->back = has_back_jump(f, n);
	lp->sock = lp->prog_fd = lp->map_fd = lp->entry_fd = -1;
}

/*
 * A program too large for the socket's option memory (net.core.optmem_max:
 * 20 KiB on Linux 6.1; "protochain" is some 3000 instructions) goes behind
 * a small program that tail-calls it, as sockcap attaches it.
 */
static int attach_entry(struct live_prog *lp)
{
	__u32 zero = 0;
	struct bpf_insn entry[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM,
		  .dst_reg = BPF_REG_2,
		  .src_reg = BPF_PSEUDO_MAP_FD },
		{ 0 },
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_tail_call },
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	lp->map_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, NULL, 4, 4, 1, NULL);
	if (lp->map_fd < 0 || bpf_map_update_elem(lp->map_fd, &zero, &lp->prog_fd, BPF_ANY))
		return -errno;
	entry[0].imm = lp->map_fd;
	lp->entry_fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "entry", "GPL", entry,
				     sizeof(entry) / sizeof(entry[0]), NULL);
	if (lp->entry_fd < 0)
		return -errno;
	if (setsockopt(lp->sock, SOL_SOCKET, SO_ATTACH_BPF, &lp->entry_fd, sizeof(int)) < 0)
		return -errno;
	return 0;
}

/* A packet socket on lo with prog_fd (or none, < 0) as its filter. */
static int live_socket(int ifindex, struct live_prog *lp)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rcv = 1 << 20;

	if (s < 0)
		return -errno;
	if (lp) {
		lp->sock = s;
		if (setsockopt(s, SOL_SOCKET, SO_ATTACH_BPF, &lp->prog_fd, sizeof(int)) < 0 &&
		    (errno != ENOMEM || attach_entry(lp)))
			return -errno;
	}
	/* room for every copy of a frame, at least (root may force it) */
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return s;
}

/* Read one packet; 0 when there is none, its length otherwise. */
static long live_read(int s, struct copy *c)
{
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	ssize_t r = recvfrom(s, c->b, sizeof(c->b), MSG_TRUNC, (struct sockaddr *)&from, &fl);

	if (r < 0)
		return errno == EAGAIN ? 0 : -errno;
	c->len = r > (ssize_t)sizeof(c->b) ? sizeof(c->b) : (unsigned int)r;
	c->pkttype = from.sll_pkttype;
	return r;
}

static void live_close(struct live_prog *lp)
{
	int *fds[] = { &lp->sock, &lp->prog_fd, &lp->map_fd, &lp->entry_fd };

	for (unsigned int i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static bool tagged(const struct frame *f)
{
	unsigned int t = f->len >= 14 ? (unsigned int)(f->b[12] << 8 | f->b[13]) : 0;

	return t == 0x8100 || t == 0x88a8 || t == 0x9100;
}

/* Send every frame to the programs lp[0..n), which have sockets. */
static void live_batch(int ifindex, int ref, int tx, struct live_prog **lp, unsigned int n,
		       bool back)
{
	static struct copy copies[8], got;
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };

	for (unsigned int i = 0; i < nframes; i++) {
		const struct frame *f = &frames[i];
		unsigned int nc = 0, waited = 0, wait = live_gone[i] ? 0 : LIVE_WAIT_MS;
		bool arrived = false;

		if (f->len < 14 || (back && tagged(f)))
			continue;
		if (sendto(tx, f->b, f->len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			fail("live: sending \"%s\" (%u bytes): %s", f->name, f->len,
			     strerror(errno));
			continue;
		}
		/* the copies the unfiltered socket gets, up to the arriving one */
		while (!arrived && nc < 8) {
			struct pollfd pfd = { .fd = ref, .events = POLLIN };
			long r = live_read(ref, &copies[nc]);

			if (r > 0) {
				arrived = copies[nc++].pkttype != PACKET_OUTGOING;
			} else if (r < 0 || waited >= wait) {
				break;
			} else {
				poll(&pfd, 1, 10);
				waited += 10;
			}
		}
		live_gone[i] = !arrived;
		checks++;
		if (!nc) {
			fail("live: \"%s\": no copy on lo", f->name);
			continue;
		}
		live_copies += nc;
		for (unsigned int p = 0; p < n; p++) {
			struct bpf_program prog = { .bf_len = lp[p]->n,
						    .bf_insns =
							    (struct pcap_bpf_insn *)lp[p]->insns };

			for (unsigned int c = 0; c < nc; c++) {
				struct pcap_pkthdr h = { .caplen = copies[c].len,
							 .len = copies[c].len };
				unsigned int want = pcap_offline_filter(&prog, &h, copies[c].b);

				if (want > copies[c].len)
					want = copies[c].len;
				if (!want)
					continue;
				checks++;
				if (live_read(lp[p]->sock, &got) <= 0) {
					fail("%s: live, \"%s\" (%s copy): libpcap takes %u bytes, "
					     "the "
					     "socket got nothing",
					     lp[p]->what, f->name,
					     copies[c].pkttype == PACKET_OUTGOING ? "outgoing"
										  : "incoming",
					     want);
					break;
				}
				if (got.len != want || memcmp(got.b, copies[c].b, want)) {
					fail("%s: live, \"%s\": libpcap takes %u bytes, the socket "
					     "got "
					     "%u%s",
					     lp[p]->what, f->name, want, got.len,
					     got.len == want ? " different ones" : "");
					break;
				}
			}
			/* and nothing more */
			checks++;
			if (live_read(lp[p]->sock, &got) > 0) {
				fail("%s: live, \"%s\": the socket got a copy libpcap rejects (%u "
				     "bytes)",
				     lp[p]->what, f->name, got.len);
				while (live_read(lp[p]->sock, &got) > 0)
					;
			}
		}
	}
}

static void check_live(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	unsigned int i, start, ifindex, nb = 0, nback = 0, nb_gone = 0;
	int fd, ref, tx;
	char err[1024];
	double t0 = now();

	if (unshare(CLONE_NEWNET) < 0) {
		fail("live: a network namespace of its own: %s", strerror(errno));
		return;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
		fail("live: bringing lo up: %s", strerror(errno));
		return;
	}
	close(fd);
	ifindex = if_nametoindex("lo");
	live_gone = calloc(nframes, 1);
	ref = live_socket(ifindex, NULL);
	tx = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: receives nothing */
	if (ref < 0 || tx < 0) {
		fail("live: packet sockets: %s", strerror(ref < 0 ? -ref : errno));
		return;
	}
	/* programs without backward jumps first, then those with */
	for (int back = 0; back < 2; back++) {
		for (start = 0; start < nlprogs;) {
			unsigned int n = 0;
			struct live_prog *batch[LIVE_BATCH];

			for (i = start; i < nlprogs && n < LIVE_BATCH; i++, start++) {
				struct live_prog *lp = &lprogs[i];
				int s;

				if (lp->back != back)
					continue;
				checks++;
				lp->prog_fd = cbpf_load(lp->insns, lp->n, NULL, err, sizeof(err));
				if (lp->prog_fd < 0) {
					fail("%s: live: %s", lp->what, err);
					continue;
				}
				s = live_socket(ifindex, lp);
				if (s < 0) {
					fail("%s: live: attaching: %s", lp->what, strerror(-s));
					live_close(lp);
					continue;
				}
				batch[n++] = lp;
			}
			if (!n)
				continue;
			live_batch(ifindex, ref, tx, batch, n, back);
			for (i = 0; i < n; i++)
				live_close(batch[i]);
			nb++;
			nback += back ? n : 0;
		}
	}
	close(ref);
	close(tx);
	for (i = 0; i < nframes; i++)
		nb_gone += live_gone[i];
	free(live_gone);
	printf("live: %u frames dropped by the receive path; %u programs (%u with backward jumps, "
	       "not given tagged frames) in %u "
	       "batches on lo, %lu copies of frames compared, %.2f s\n",
	       nb_gone, nlprogs, nback, nb, live_copies, now() - t0);
}

int main(void)
{
	unsigned int same;
	pcap_t *pc;

	pc = cbpf_test_start();
	load_frames();
	/* test_cbpf counts the compilations */
	same = corpus_programs(pc, false, live_add, NULL);
	printf("%u expressions, %u distinct programs (%u unoptimized ones the same as optimized), "
	       "%u frames\n",
	       nexprs, nlprogs, same, nframes);
	check_live();
	printf("%lu checks, %lu failures\n", checks, failures);
	pcap_close(pc);
	return failures ? 1 : 0;
}
