// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: the JSON writer and the per-packet object, for python to judge
 *
 * Writes cases to stdout, one a line, "KIND<TAB>...<TAB>OBJECT", which
 * tests/json_check.py --escape decodes with python's json module and
 * compares with what it expects (tests/json.sh):
 *
 *   comm OWNER PEER IFNAME OBJECT  the raw bytes (hex) of a process name,
 *                                  the peer's and an interface name, and
 *                                  the object of a packet that has them:
 *                                  fixed hostile names, then random ones
 *   whole OBJECT                   the longest objects sockcap writes, which
 *                                  must come whole (no "partial")
 *   room N OBJECT                  twenty members of every kind written in
 *                                  N bytes: whatever fits, never a cut one
 *
 * Here it checks what python cannot see: no byte written past the room,
 * every object ending in "}\n". Exit status 1 on a failure.
 */
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "parse.h"
#include "pkt.h"

static int failures;

static void fail(const char *what, size_t room, size_t n)
{
	fprintf(stderr, "FAIL %s: room %zu, %zu bytes written\n", what, room, n);
	failures++;
}

static void put_hex(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	putchar('\t');
	for (size_t i = 0; i < n; i++)
		printf("%02x", (unsigned char)s[i]);
	if (!n)
		putchar('-'); /* an empty field, that the tab split keeps */
}

static char ifname_buf[64];

static const char *the_ifname(uint32_t ifindex, void *arg)
{
	return ifname_buf;
}

/* Format r in a room of SC_LINE_MAX, checked for what python cannot see. */
static size_t format(struct printer *pr, const struct sc_record *r, char *out)
{
	char buf[SC_LINE_MAX + 8];
	size_t n;

	memset(buf, 0x5a, sizeof(buf));
	n = sc_format_json(pr, r, -1, buf, SC_LINE_MAX);
	if (n < 3 || n > SC_LINE_MAX || memcmp(buf + n - 2, "}\n", 2) ||
	    (unsigned char)buf[SC_LINE_MAX] != 0x5a)
		fail("object", SC_LINE_MAX, n);
	memcpy(out, buf, n);
	out[n] = '\0';
	return n;
}

static void printer_for(struct printer *pr, int eflag, int from_file)
{
	struct print_opts o = { .json = 1, .eflag = eflag };

	printer_init(pr, &o);
	pr->tai_offset_ns = 0;
	pr->from_file = from_file;
	pr->ifname = the_ifname;
}

/* An IPv4 TCP packet sent by a process named comm, to one named peer. */
static void comm_case(const char *comm, size_t comm_len, const char *peer, size_t peer_len,
		      const char *ifname)
{
	struct printer pr;
	struct sc_record r;
	struct pkt p = { 0 };
	char out[SC_LINE_MAX + 1];

	pkt_tcp4(&p, 0x18, 10);
	memset(&r, 0, sizeof(r));
	sc_parse_frame(p.b, p.len, p.len, &r);
	r.pkttype = PACKET_OUTGOING;
	r.ts_ns = 1700000000123456789ULL;
	r.owner.pid = 4242;
	r.owner.uid = 1000;
	memcpy(r.owner.comm, comm, comm_len);
	r.peer.pid = 4343;
	r.peer.uid = 0;
	memcpy(r.peer.comm, peer, peer_len);
	snprintf(ifname_buf, sizeof(ifname_buf), "%s", ifname);
	printer_for(&pr, 1, 0);
	format(&pr, &r, out);
	fputs("comm", stdout);
	put_hex(r.owner.comm, sizeof(r.owner.comm));
	put_hex(r.peer.comm, sizeof(r.peer.comm));
	put_hex(ifname_buf, sizeof(ifname_buf));
	printf("\t%s", out);
}

static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Bytes that make UTF-8's edge cases likely: leads, continuations, ASCII. */
static void rnd_name(char *s, size_t n)
{
	static const uint8_t pick[] = { 0x00, 0x01, 0x1b, 0x22, 0x5c, 0x7f, 0x41, 0x80,
					0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
					0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff };

	for (size_t i = 0; i < n; i++)
		s[i] = (char)(rnd() % 3 ? pick[rnd() % sizeof(pick)] : rnd() & 0xff);
	/* most names have no NUL in the first bytes: let the name run on */
	for (size_t i = 0; i < n / 2; i++)
		if (!s[i])
			s[i] = 'x';
}

static void test_names(void)
{
	static const struct {
		const char *comm, *peer, *ifname;
	} fixed[] = {
		{ "a\"b\\c\x01\x1b[31m\xff", "\t\n\r\x7f\xc2\x85\xc2\xa0", "eth0" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "\xf0\x9f\x90\x8d py", "\x1b]0;x\x07" },
		/* overlong, surrogate, past U+10FFFF, a cut sequence at the end */
		{ "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", "abc\xe2\x82", "\xe2\x82" },
		/* sixteen bytes, no NUL: the name runs to the end of the field */
		{ "0123456789abcdef", "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"", "lo" },
	};
	char a[16], b[16], ifn[24];

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		comm_case(fixed[i].comm, strnlen(fixed[i].comm, 16), fixed[i].peer,
			  strnlen(fixed[i].peer, 16), fixed[i].ifname);
	for (int i = 0; i < 3000; i++) {
		rnd_name(a, sizeof(a));
		rnd_name(b, sizeof(b));
		rnd_name(ifn, sizeof(ifn) - 1);
		ifn[sizeof(ifn) - 1] = '\0';
		comm_case(a, sizeof(a), b, sizeof(b), ifn);
	}
}

/* Two tags, IPv6 with an extension header and TCP: the most keys. */
static void qinq_tcp6(struct sc_record *r)
{
	struct pkt p = { 0 };
	unsigned int ip;

	eth(&p, MAC_B, 0x88a8);
	vlan_tag(&p, 0xefff, 0x8100);
	vlan_tag(&p, 0xefff, 0x86dd);
	ip = ip6(&p, 60);
	ext8(&p, 6);
	tcp(&p, 0xff, 0xffffffff, 0xffffffff, 100);
	finish_ip6(&p, ip);
	memset(r, 0, sizeof(*r));
	sc_parse_frame(p.b, p.len, 0xffffffff, r);
	r->pkttype = PACKET_OTHERHOST;
	r->ts_ns = UINT64_MAX; /* the longest time: 2554-07-21T23:34:33.709551Z */
}

/*
 * The longest objects sockcap writes whole: a file's (an interface name of
 * 63 bytes, each escaped to six) and a live capture's (a name of at most
 * 15 bytes, both processes' names of 16 escaped bytes), with -e.
 */
static void test_whole(void)
{
	struct printer pr;
	struct sc_record r;
	char out[SC_LINE_MAX + 1];
	size_t n;

	qinq_tcp6(&r);
	memset(ifname_buf, 0x01, 63);
	ifname_buf[63] = '\0';
	printer_for(&pr, 1, 1);
	n = format(&pr, &r, out);
	printf("whole\t%s", out);
	fprintf(stderr, "longest file object: %zu bytes of %d\n", n, SC_LINE_MAX);

	qinq_tcp6(&r);
	memset(ifname_buf, 0x01, 15);
	ifname_buf[15] = '\0';
	for (int i = 0; i < 2; i++) {
		struct sc_proc *pc = i ? &r.peer : &r.owner;

		pc->pid = 4294967295u;
		pc->uid = 4294967295u;
		memset(pc->comm, 0x01, sizeof(pc->comm));
	}
	printer_for(&pr, 1, 0);
	n = format(&pr, &r, out);
	printf("whole\t%s", out);
	fprintf(stderr, "longest live object: %zu bytes of %d\n", n, SC_LINE_MAX);
}

/*
 * The writer in every room from the least it takes: members are taken
 * back whole, the object ends, nothing goes past the room. The members'
 * values are those json_check.py expects (its room_members()).
 */
static void test_rooms(void)
{
	for (size_t room = JSON_ROOM_MIN; room <= 400; room++) {
		char buf[512], key[16], val[64];
		struct json j;
		size_t n;

		memset(buf, 0x5a, sizeof(buf));
		json_begin(&j, buf, room);
		for (int i = 0; i < 20; i++) {
			snprintf(key, sizeof(key), "k%d", i);
			if (i % 3 == 0) {
				json_u64(&j, key, (uint64_t)i * 1000000007u);
			} else if (i % 3 == 1) {
				memset(val, 's', (size_t)i);
				snprintf(val + i, sizeof(val) - (size_t)i, "\"\\\x01\xc3\xa9\xff");
				json_str(&j, key, val);
			} else {
				json_bool(&j, key, i % 2);
			}
		}
		n = json_end(&j);
		if (n > room || n < 3 || memcmp(buf + n - 2, "}\n", 2) ||
		    (unsigned char)buf[room] != 0x5a)
			fail("writer", room, n);
		buf[n] = '\0';
		printf("room\t%zu\t%s", room, buf);
	}
}

int main(void)
{
	test_names();
	test_whole();
	test_rooms();
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
