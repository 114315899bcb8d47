// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: --flows: read the kernel's flow table, print it, sweep closed flows
 *
 * The socket filter keeps one entry per flow (bpf/flow_update.h); this side
 * reads the whole table in batches, prints the busiest flows of each
 * interval and every flow at the end, and deletes the entries of
 * connections that are over (FIN both ways, or a reset) and idle, keeping
 * them for the final table, so that a long capture's table holds the live
 * connections only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "flows.h"
#include "json.h"
#include "metrics.h"
#include "util.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static const char *proto_name(uint8_t proto, uint8_t family)
{
	switch (proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return family == 4 ? "icmp" : NULL;
	case 58:
		return family == 6 ? "icmp6" : NULL;
	}
	return NULL;
}

/*
 * The state of a TCP connection, from what each side sent: a reset ends
 * it; FINs both ways close it, one way starts closing it; the
 * originator's ACK after a SYN+ACK establishes it; a SYN alone is
 * half-open. A connection whose start was not seen is established.
 */
static const char *tcp_state(const struct sc_flow *e)
{
	if (e->rsts[0] || e->rsts[1])
		return "RST";
	if (e->fins[0] && e->fins[1])
		return "CLOSED";
	if (e->fins[0] || e->fins[1])
		return "FIN";
	if (e->ack_ns)
		return "ESTABLISHED";
	if (e->syns[0] || e->syns[1] || e->synacks[0] || e->synacks[1])
		return "SYN";
	return "ESTABLISHED";
}

static void icmp_class(const struct sc_flow_key *k, char *buf, size_t size)
{
	bool v6 = k->family == 6;

	if (k->icmp == (v6 ? SC_FLOW_ICMP6_ECHO : SC_FLOW_ICMP_ECHO))
		snprintf(buf, size, "echo:%u", k->aport);
	else if (!v6 && k->icmp == 13)
		snprintf(buf, size, "timestamp:%u", k->aport);
	else
		snprintf(buf, size, "type:%u/%u", k->icmp >> 8, k->icmp & 0xff);
}

void flow_view_of(const struct sc_flow_key *k, const struct sc_flow *e, struct flow_view *v)
{
	int o = e->orig & 1, af = k->family == 6 ? AF_INET6 : AF_INET;
	const uint8_t *addr[2] = { k->a, k->b };
	const uint16_t port[2] = { k->aport, k->bport };

	memset(v, 0, sizeof(*v));
	v->proto = k->proto;
	v->family = k->family;
	v->proto_name = proto_name(k->proto, k->family);
	v->has_ports = k->proto == 6 || k->proto == 17;
	/* view side i is kernel side o for i = 0, the other one for i = 1 */
	for (int i = 0; i < 2; i++) {
		int s = i ? !o : o;

		inet_ntop(af, addr[s], v->addr[i], sizeof(v->addr[i]));
		v->port[i] = v->has_ports ? port[s] : 0;
		v->packets[i] = e->packets[s];
		v->bytes[i] = e->bytes[s];
		v->retrans[i] = e->retrans[s];
		v->tcp_flags[i] = e->tcp_flags[s];
	}
	v->rtt_ns = -1;
	if (k->proto == 6) {
		v->state = tcp_state(e);
		v->over = !strcmp(v->state, "RST") || !strcmp(v->state, "CLOSED");
		if (e->ack_ns && e->syn_ns && e->ack_ns >= e->syn_ns)
			v->rtt_ns = (int64_t)(e->ack_ns - e->syn_ns);
		v->rtt_ambiguous = e->syns[o] > 1 || e->synacks[!o] > 1;
	} else if (k->proto == 1 || k->proto == 58) {
		icmp_class(k, v->icmp, sizeof(v->icmp));
	}
	v->first_ns = e->first_ns;
	v->last_ns = e->last_ns;
	v->owner = e->owner;
	v->local = (e->owner_side & 1) == o ? 0 : 1;
}

/* ------------------------------------------------------------- reading */

/* Rows and metrics marks (struct flow_row, flow_mark) by their key, which leads both. */
static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct sc_flow_key));
}

_Static_assert(offsetof(struct flow_row, k) == 0 && offsetof(struct flow_mark, k) == 0,
	       "key_cmp compares the key at the start");

/* Key by key, for a kernel without batch lookups of hash maps. */
static int read_keys(struct flows *f, size_t *n)
{
	struct sc_flow_key *prev = NULL;

	*n = 0;
	while (*n < f->max && bpf_map_get_next_key(f->fd, prev, &f->keys[*n]) == 0) {
		prev = &f->keys[*n];
		/* deleted meanwhile: the next key is still found from this one */
		if (bpf_map_lookup_elem(f->fd, prev, &f->vals[*n]) == 0)
			(*n)++;
	}
	return errno == ENOENT || *n == f->max ? 0 : -errno;
}

static int read_batches(struct flows *f, size_t *n)
{
	__u32 token = 0, count;
	bool first = true;
	int err;

	*n = 0;
	do {
		count = f->max - *n;
		if (!count)
			break;
		err = bpf_map_lookup_batch(f->fd, first ? NULL : &token, &token, f->keys + *n,
					   f->vals + *n, &count, NULL);
		if (err && errno != ENOENT)
			return -errno;
		*n += count;
		first = false;
	} while (!err);
	return 0;
}

/* The whole table into f->rows, each with what it added since f->prev. */
static int read_table(struct flows *f)
{
	size_t n = 0;
	int err = -EINVAL;

	if (!f->no_batch) {
		err = read_batches(f, &n);
		if (err == -EINVAL || err == -ENOTSUP || err == -EOPNOTSUPP)
			f->no_batch = true;
	}
	if (f->no_batch)
		err = read_keys(f, &n);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		struct flow_row *r = &f->rows[i], *p;

		r->k = f->keys[i];
		r->e = f->vals[i];
		p = bsearch(r, f->prev, f->nprev, sizeof(*r), key_cmp);
		/* swept since, and made again by a later packet: new */
		if (p && p->e.first_ns != r->e.first_ns)
			p = NULL;
		for (int s = 0; s < 2; s++) {
			r->dpackets[s] = r->e.packets[s] - (p ? p->e.packets[s] : 0);
			r->dbytes[s] = r->e.bytes[s] - (p ? p->e.bytes[s] : 0);
		}
	}
	f->nrows = n;
	return 0;
}

/* Remember this read, sorted by key, for the next interval's differences. */
static void keep_as_prev(struct flows *f)
{
	struct flow_row *t = f->prev;

	qsort(f->rows, f->nrows, sizeof(*f->rows), key_cmp);
	f->prev = f->rows;
	f->nprev = f->nrows;
	f->rows = t;
	f->nrows = 0;
}

/*
 * Connections that are over and idle leave the kernel's table, kept here
 * for the final table. A packet that comes after all makes a new entry.
 */
static int sweep(struct flows *f, const struct flow_row *rows, size_t n)
{
	uint64_t now = clock_ns(CLOCK_TAI);

	for (size_t i = 0; i < n; i++) {
		struct flow_view v;

		flow_view_of(&rows[i].k, &rows[i].e, &v);
		if (!v.over || now - v.last_ns < FLOWS_IDLE_NS)
			continue;
		if (f->nover == f->over_cap) {
			size_t cap = f->over_cap ? 2 * f->over_cap : 1024;
			struct flow_row *t = realloc(f->over, cap * sizeof(*t));

			if (!t)
				return -ENOMEM;
			f->over = t;
			f->over_cap = cap;
		}
		if (bpf_map_delete_elem(f->fd, &rows[i].k) == 0)
			f->over[f->nover++] = rows[i];
	}
	return 0;
}

/* ------------------------------------------------------------ printing */

static const char *ifname_of(struct flows *f, uint32_t ifindex)
{
	if (ifindex != f->name_ifindex) {
		if (!if_indextoname(ifindex, f->name))
			snprintf(f->name, sizeof(f->name), "#%u", ifindex);
		f->name_ifindex = ifindex;
	}
	return f->name;
}

static void endpoint(const struct flow_view *v, int i, char *buf, size_t size)
{
	if (!v->has_ports)
		snprintf(buf, size, "%s", v->addr[i]);
	else if (v->family == 6)
		snprintf(buf, size, "[%s]:%u", v->addr[i], v->port[i]);
	else
		snprintf(buf, size, "%s:%u", v->addr[i], v->port[i]);
}

static void rtt_text(const struct flow_view *v, char *buf, size_t size)
{
	if (v->rtt_ns < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.3fms%s", v->rtt_ns / 1e6, v->rtt_ambiguous ? "?" : "");
}

/* A rate in bytes per second, in kB, MB, GB (powers of 1000). */
static void rate_text(double bps, char *buf, size_t size)
{
	static const char *const unit[] = { "B/s", "kB/s", "MB/s", "GB/s" };
	unsigned int u = 0;

	while (bps >= 1000 && u < 3) {
		bps /= 1000;
		u++;
	}
	snprintf(buf, size, u ? "%.1f%s" : "%.0f%s", bps, unit[u]);
}

static const char *const header_final[] = { "IFACE",  "PROTO", "ORIGINATOR", "RESPONDER", "PKTS>",
					    "BYTES>", "PKTS<", "BYTES<",     "STATE",	  "RTT",
					    "RETX",   "START", "DURATION",   "PROCESS" };

/* CLOCK_TAI less CLOCK_REALTIME: whole seconds (leap seconds) */
static uint64_t tai_offset(void)
{
	return (clock_ns(CLOCK_TAI) - clock_ns(CLOCK_REALTIME) + 500000000ull) / 1000000000ull *
	       1000000000ull;
}

/*
 * One row. interval: the differences of row r and the rates over secs
 * seconds, else the totals. Fields never hold spaces but the last, the
 * process's name. tai_off: tai_offset(), taken once for the table.
 */
static void print_row(struct flows *f, const struct flow_row *r, bool interval, double secs, int w,
		      uint64_t tai_off)
{
	struct flow_view v;
	char a[64], b[64], rtt[32], start[32], proto[16], proc[40], rate[2][24];
	uint64_t pk[2], by[2];
	int o = r->e.orig & 1;
	time_t t;
	struct tm tm;
	uint64_t real_ns;

	flow_view_of(&r->k, &r->e, &v);
	endpoint(&v, 0, a, sizeof(a));
	endpoint(&v, 1, b, sizeof(b));
	rtt_text(&v, rtt, sizeof(rtt));
	if (v.proto_name)
		snprintf(proto, sizeof(proto), "%s", v.proto_name);
	else
		snprintf(proto, sizeof(proto), "ip%s:%u", v.family == 6 ? "6" : "", v.proto);
	for (int i = 0; i < 2; i++) {
		int s = i ? !o : o;

		pk[i] = interval ? r->dpackets[s] : v.packets[i];
		by[i] = interval ? r->dbytes[s] : v.bytes[i];
		rate_text(secs > 0 ? by[i] / secs : 0, rate[i], sizeof(rate[i]));
	}
	real_ns = v.first_ns - tai_off;
	t = (time_t)(real_ns / 1000000000ull);
	localtime_r(&t, &tm);
	snprintf(start, sizeof(start), "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned int)(real_ns % 1000000000ull / 1000));
	if (v.owner.pid)
		snprintf(proc, sizeof(proc), "%.16s[%u]", v.owner.comm, v.owner.pid);
	else
		snprintf(proc, sizeof(proc), "-");
	fprintf(f->out, "%-8s %-6s %-*s %-*s %8" PRIu64 " %11" PRIu64, ifname_of(f, r->k.ifindex),
		proto, w, a, w, b, pk[0], by[0]);
	if (interval)
		fprintf(f->out, " %10s", rate[0]);
	fprintf(f->out, " %8" PRIu64 " %11" PRIu64, pk[1], by[1]);
	if (interval)
		fprintf(f->out, " %10s", rate[1]);
	fprintf(f->out, " %-11s %-11s %4u %s %10.3f %s\n",
		v.state	    ? v.state
		: v.icmp[0] ? v.icmp
			    : "-",
		rtt, v.retrans[0] + v.retrans[1], start, (v.last_ns - v.first_ns) / 1e9, proc);
}

static void print_header(struct flows *f, bool interval, int w)
{
	const char *const *h = header_final;

	fprintf(f->out, "%-8s %-6s %-*s %-*s %8s %11s", h[0], h[1], w, h[2], w, h[3], h[4], h[5]);
	if (interval)
		fprintf(f->out, " %10s", "RATE>");
	fprintf(f->out, " %8s %11s", h[6], h[7]);
	if (interval)
		fprintf(f->out, " %10s", "RATE<");
	fprintf(f->out, " %-11s %-11s %4s %-15s %10s %s\n", h[8], h[9], h[10], h[11], h[12], h[13]);
}

/* The endpoint column's width: the widest of the rows shown. */
static int endpoint_width(const struct flow_row *rows, size_t n)
{
	int w = 15;

	for (size_t i = 0; i < n; i++) {
		struct flow_view v;
		char buf[64];

		flow_view_of(&rows[i].k, &rows[i].e, &v);
		for (int s = 0; s < 2; s++) {
			endpoint(&v, s, buf, sizeof(buf));
			if ((int)strlen(buf) > w)
				w = (int)strlen(buf);
		}
	}
	return w;
}

static uint64_t total_bytes(const struct flow_row *r)
{
	return r->e.bytes[0] + r->e.bytes[1];
}

static int by_bytes(const void *a, const void *b)
{
	uint64_t x = total_bytes(a), y = total_bytes(b);

	return x < y ? 1 : x > y ? -1 : key_cmp(a, b);
}

static int by_interval_bytes(const void *a, const void *b)
{
	const struct flow_row *p = a, *q = b;
	uint64_t x = p->dbytes[0] + p->dbytes[1], y = q->dbytes[0] + q->dbytes[1];

	return x < y ? 1 : x > y ? -1 : by_bytes(a, b);
}

/* Rows that fit a terminal under the table's own lines. */
static size_t top_rows(struct flows *f)
{
	struct winsize ws;

	if (!f->tty || ioctl(fileno(f->out), TIOCGWINSZ, &ws) < 0 || ws.ws_row < 8)
		return FLOWS_TOP;
	return ws.ws_row - 4;
}

/* ---------------------------------------------------------------- JSON */

void flow_json(struct json *j, const struct flow_view *v, const struct flow_deltas *d,
	       uint64_t tai_offset_ns)
{
	static const char *const side[2] = { "src", "dst" };

	json_u64(j, "version", SC_JSON_FLOW_VERSION);
	json_str(j, "table", d ? "interval" : "final");
	json_str(j, "ifname", v->ifname);
	if (v->proto_name) {
		json_str(j, "proto", v->proto_name);
	} else {
		json_str(j, "proto", v->family == 6 ? "ip6" : "ip");
		json_u64(j, "ipproto", v->proto);
	}
	json_str(j, "src", v->addr[0]);
	if (v->has_ports)
		json_u64(j, "sport", v->port[0]);
	json_str(j, "dst", v->addr[1]);
	if (v->has_ports)
		json_u64(j, "dport", v->port[1]);
	json_u64(j, "packets", v->packets[0]);
	json_u64(j, "bytes", v->bytes[0]);
	json_u64(j, "reply_packets", v->packets[1]);
	json_u64(j, "reply_bytes", v->bytes[1]);
	if (d) {
		json_u64(j, "interval_us", d->ns / 1000);
		json_u64(j, "interval_packets", d->packets[0]);
		json_u64(j, "interval_bytes", d->bytes[0]);
		json_u64(j, "interval_reply_packets", d->packets[1]);
		json_u64(j, "interval_reply_bytes", d->bytes[1]);
	}
	if (v->state) {
		json_str(j, "state", v->state);
		json_u64(j, "retrans", v->retrans[0]);
		json_u64(j, "reply_retrans", v->retrans[1]);
	}
	if (v->rtt_ns >= 0) {
		json_u64(j, "rtt_us", (uint64_t)v->rtt_ns / 1000);
		json_bool(j, "rtt_ambiguous", v->rtt_ambiguous);
	}
	if (v->icmp[0])
		json_str(j, "icmp", v->icmp);
	json_str(j, "local", side[v->local & 1]);
	if (v->owner.pid) {
		json_u64(j, "pid", v->owner.pid);
		json_strn(j, "comm", v->owner.comm, sizeof(v->owner.comm));
		json_u64(j, "uid", v->owner.uid);
	}
	json_time(j, "first", v->first_ns - tai_offset_ns);
	json_time(j, "last", v->last_ns - tai_offset_ns);
}

/* One flow's object. interval: with what row r added in secs_ns. */
static void json_row(struct flows *f, const struct flow_row *r, bool interval, uint64_t secs_ns,
		     uint64_t off)
{
	char buf[1024];
	struct flow_deltas d = { .ns = secs_ns };
	struct flow_view v;
	struct json j;
	int o = r->e.orig & 1;

	flow_view_of(&r->k, &r->e, &v);
	snprintf(v.ifname, sizeof(v.ifname), "%s", ifname_of(f, r->k.ifindex));
	for (int i = 0; i < 2; i++) {
		d.packets[i] = r->dpackets[i ? !o : o];
		d.bytes[i] = r->dbytes[i ? !o : o];
	}
	json_begin(&j, buf, sizeof(buf));
	flow_json(&j, &v, interval ? &d : NULL, off);
	fwrite(buf, 1, json_end(&j), f->out);
}

static int interval_table(struct flows *f, uint64_t now)
{
	uint64_t off = tai_offset(), ns = now - f->last_table_ns;
	double secs = ns / 1e9;
	size_t active = 0, top = top_rows(f);
	time_t t = time(NULL);
	struct tm tm;
	int err = read_table(f), w;

	if (err)
		return err;
	f->last_table_ns = now;
	qsort(f->rows, f->nrows, sizeof(*f->rows), by_interval_bytes);
	while (active < f->nrows && f->rows[active].dpackets[0] + f->rows[active].dpackets[1])
		active++;
	if (top > active)
		top = active;
	if (f->json) {
		/* every active flow: a reader picks its own top */
		for (size_t i = 0; i < active; i++)
			json_row(f, &f->rows[i], true, ns, off);
		goto out;
	}
	w = endpoint_width(f->rows, top);
	localtime_r(&t, &tm);
	if (f->tty)
		fputs("\033[H\033[J", f->out); /* home, clear: a view that refreshes */
	fprintf(f->out, "flows at %02d:%02d:%02d: %zu active in %.1f s, %zu in the table\n",
		tm.tm_hour, tm.tm_min, tm.tm_sec, active, secs, f->nrows);
	print_header(f, true, w);
	for (size_t i = 0; i < top; i++)
		print_row(f, &f->rows[i], true, secs, w, off);
	if (!f->tty)
		fputc('\n', f->out);
out:
	fflush(f->out);
	err = sweep(f, f->rows, f->nrows);
	keep_as_prev(f);
	return err;
}

int flows_tick(struct flows *f, const struct sc_counters *k)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	int err = 0;

	if (k->untracked && !f->warned) {
		f->warned = true;
		sc_err("the flow table is full (%u flows): new flows are not tracked (see "
		       "--flow-table)",
		       f->table_size);
	}
	if (f->interval && now >= f->next_table_ns) {
		f->next_table_ns = now + f->interval * 1000000000ull;
		f->next_sweep_ns = now + 1000000000ull;
		return interval_table(f, now);
	}
	/* without interval tables, a sweep every second */
	if (!f->interval && now >= f->next_sweep_ns) {
		f->next_sweep_ns = now + 1000000000ull;
		err = read_table(f);
		if (!err)
			err = sweep(f, f->rows, f->nrows);
	}
	return err;
}

int flows_final(struct flows *f)
{
	struct flow_row *all;
	size_t n;
	uint64_t off = tai_offset();
	int err = read_table(f), w;

	if (err)
		return err;
	n = f->nrows + f->nover;
	all = malloc((n ? n : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	memcpy(all, f->rows, f->nrows * sizeof(*all));
	if (f->nover)
		memcpy(all + f->nrows, f->over, f->nover * sizeof(*all));
	qsort(all, n, sizeof(*all), by_bytes);
	if (f->json) {
		for (size_t i = 0; i < n; i++)
			json_row(f, &all[i], false, 0, off);
		goto out;
	}
	w = endpoint_width(all, n);
	fprintf(f->out, "%zu flows\n", n);
	print_header(f, false, w);
	for (size_t i = 0; i < n; i++)
		print_row(f, &all[i], false, 0, w, off);
out:
	fflush(f->out);
	free(all);
	return ferror(f->out) ? -EIO : 0;
}

/* ------------------------------------------------------------- metrics */

/*
 * What r sent since the last scrape, each direction to its label set.
 * The local port is the local side's; ICMP's port fields hold an echo's
 * identifier, not a port: 0.
 */
static void meter(struct flows *f, struct metrics_flows *m, const struct flow_row *r)
{
	struct flow_mark key = { .k = r->k }, *p;
	struct metrics_flow_key mk = { .proto = r->k.proto };
	int local = r->e.owner_side & 1;

	p = bsearch(&key, f->marks, f->nmarks, sizeof(*p), key_cmp);
	/* swept since, and made again by a later packet: new */
	if (p && p->first_ns != r->e.first_ns)
		p = NULL;
	if (r->e.owner.pid)
		memcpy(mk.comm, r->e.owner.comm, sizeof(mk.comm));
	if (r->k.proto == 6 || r->k.proto == 17)
		mk.local_port = local == SC_SIDE_A ? r->k.aport : r->k.bport;
	for (int s = 0; s < 2; s++) {
		uint64_t dp = r->e.packets[s] - (p ? p->packets[s] : 0);
		uint64_t db = r->e.bytes[s] - (p ? p->bytes[s] : 0);

		mk.direction = s == local ? METRICS_DIR_OUT : METRICS_DIR_IN;
		if (dp || db)
			metrics_flows_add(m, &mk, dp, db);
	}
}

int flows_metrics(struct flows *f, struct metrics_flows *m, const struct sc_counters *k)
{
	int err;

	if (!f->marks) {
		f->marks = calloc(f->max, sizeof(*f->marks));
		if (!f->marks)
			return -ENOMEM;
	}
	/* swept since the last scrape: their marks are still those of then */
	for (size_t i = f->over_metered; i < f->nover; i++)
		meter(f, m, &f->over[i]);
	f->over_metered = f->nover;
	err = read_table(f);
	if (err)
		return err;
	for (size_t i = 0; i < f->nrows; i++)
		meter(f, m, &f->rows[i]);
	for (size_t i = 0; i < f->nrows; i++) {
		struct flow_mark *mk = &f->marks[i];

		mk->k = f->rows[i].k;
		mk->first_ns = f->rows[i].e.first_ns;
		memcpy(mk->packets, f->rows[i].e.packets, sizeof(mk->packets));
		memcpy(mk->bytes, f->rows[i].e.bytes, sizeof(mk->bytes));
	}
	f->nmarks = f->nrows;
	qsort(f->marks, f->nmarks, sizeof(*f->marks), key_cmp);
	m->table = true;
	m->tracked = f->nrows;
	m->not_tracked = k->untracked;
	return 0;
}

int flows_init(struct flows *f, int fd, uint32_t max, unsigned int interval, FILE *out)
{
	int ncpu = libbpf_num_possible_cpus();

	memset(f, 0, sizeof(*f));
	f->fd = fd;
	/*
	 * A preallocated hash map holds an element per CPU beyond max_entries
	 * (the kernel's spare for updates): the table can be that much larger.
	 */
	f->max = max + (ncpu > 0 ? (uint32_t)ncpu : 0);
	f->table_size = max;
	f->interval = interval;
	f->out = out;
	f->tty = isatty(fileno(out));
	f->rows = calloc(f->max, sizeof(*f->rows));
	f->prev = calloc(f->max, sizeof(*f->prev));
	f->keys = calloc(f->max, sizeof(*f->keys));
	f->vals = calloc(f->max, sizeof(*f->vals));
	if (!f->rows || !f->prev || !f->keys || !f->vals) {
		flows_free(f);
		return -ENOMEM;
	}
	f->last_table_ns = clock_ns(CLOCK_MONOTONIC);
	f->next_table_ns = f->last_table_ns + interval * 1000000000ull;
	f->next_sweep_ns = f->last_table_ns + 1000000000ull;
	return 0;
}

void flows_free(struct flows *f)
{
	if (!f)
		return;
	free(f->rows);
	free(f->prev);
	free(f->over);
	free(f->keys);
	free(f->vals);
	free(f->marks);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}
