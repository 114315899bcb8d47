// SPDX-License-Identifier: GPL-2.0-only
/* \summary: a packet's owners as a pcapng comment, and back (see procnote.h) */
#include <string.h>

#include "procnote.h"

/* Bytes a value may not hold: the separator, and what is not text. */
static char clean(unsigned char c)
{
	return c > ' ' && c < 0x7f ? (char)c : '?';
}

struct note {
	char *p, *end; /* end: room for the NUL */
};

static void put(struct note *n, const char *s, size_t len)
{
	while (len-- && n->p < n->end)
		*n->p++ = clean((unsigned char)*s++);
}

/* Ours (keys, numbers): copied as they are. */
static void put_raw(struct note *n, const char *s)
{
	while (*s && n->p < n->end)
		*n->p++ = *s++;
}

static void put_key(struct note *n, const char *prefix, const char *key)
{
	put_raw(n, " ");
	put_raw(n, prefix);
	put_raw(n, key);
	put_raw(n, "=");
}

/* A note per packet written: no printf for its numbers. */
static void put_u32(struct note *n, uint32_t v)
{
	char num[11], *d = num + sizeof(num) - 1;

	*d = '\0';
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	put_raw(n, d);
}

static void put_proc(struct note *n, const char *prefix, const struct sc_proc *p,
		     procnote_cgroup_fn cgroup, void *arg)
{
	const char *path = cgroup && p->cgroup ? cgroup(p->cgroup, arg) : NULL;

	put_key(n, prefix, "pid");
	put_u32(n, p->pid);
	put_key(n, prefix, "comm");
	put(n, p->comm, strnlen(p->comm, sizeof(p->comm)));
	put_key(n, prefix, "uid");
	put_u32(n, p->uid);
	if (path) {
		put_key(n, prefix, "cgroup");
		put(n, path, strlen(path));
	}
}

size_t procnote_format(char *buf, size_t len, const struct sc_record *r, procnote_cgroup_fn cgroup,
		       void *arg)
{
	struct note n = { buf, buf + len - 1 };

	if (len < sizeof(PROCNOTE_PREFIX) || (!r->owner.pid && !r->peer.pid)) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	memcpy(n.p, PROCNOTE_PREFIX, sizeof(PROCNOTE_PREFIX) - 2); /* the space comes with a key */
	n.p += sizeof(PROCNOTE_PREFIX) - 2;
	if (r->owner.pid)
		put_proc(&n, "", &r->owner, cgroup, arg);
	if (r->peer.pid)
		put_proc(&n, "peer_", &r->peer, cgroup, arg);
	*n.p = '\0';
	return (size_t)(n.p - buf);
}

/* A whole decimal number below 2^32. */
static int number(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;

	if (!len || len > 10)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return 0;
	*out = (uint32_t)v;
	return 1;
}

/* One key=value of one end; unknown keys are skipped (later versions). */
static void set_key(struct sc_proc *p, const char *k, size_t klen, const char *v, size_t vlen,
		    uint64_t (*on_cgroup)(void *, const char *, size_t), void *arg)
{
	if (klen == 3 && !memcmp(k, "pid", 3)) {
		if (!number(v, vlen, &p->pid))
			p->pid = 0;
	} else if (klen == 3 && !memcmp(k, "uid", 3)) {
		number(v, vlen, &p->uid);
	} else if (klen == 4 && !memcmp(k, "comm", 4)) {
		memset(p->comm, 0, sizeof(p->comm));
		memcpy(p->comm, v, vlen < sizeof(p->comm) - 1 ? vlen : sizeof(p->comm) - 1);
	} else if (klen == 6 && !memcmp(k, "cgroup", 6) && on_cgroup) {
		p->cgroup = on_cgroup(arg, v, vlen);
	}
}

int procnote_parse(const char *s, size_t len, struct sc_record *r,
		   uint64_t (*on_cgroup)(void *arg, const char *path, size_t len), void *arg)
{
	const size_t plen = sizeof(PROCNOTE_PREFIX) - 1;
	const char *end = s + len;

	memset(&r->owner, 0, sizeof(r->owner));
	memset(&r->peer, 0, sizeof(r->peer));
	if (!s || len < plen || memcmp(s, PROCNOTE_PREFIX, plen))
		return 0;
	for (s += plen; s < end;) {
		const char *tok = s, *tend, *eq;
		struct sc_proc *p = &r->owner;

		while (s < end && *s != ' ')
			s++;
		tend = s;
		if (s < end)
			s++;
		eq = memchr(tok, '=', (size_t)(tend - tok));
		if (!eq)
			continue;
		if (eq - tok > 5 && !memcmp(tok, "peer_", 5)) {
			p = &r->peer;
			tok += 5;
		}
		set_key(p, tok, (size_t)(eq - tok), eq + 1, (size_t)(tend - eq - 1), on_cgroup,
			arg);
	}
	/* an end without a pid is no end at all */
	if (!r->owner.pid)
		memset(&r->owner, 0, sizeof(r->owner));
	if (!r->peer.pid)
		memset(&r->peer, 0, sizeof(r->peer));
	return 1;
}
