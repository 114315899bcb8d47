// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: --metrics: the capture's counters for Prometheus, over HTTP
 *
 * The page is Prometheus's text exposition format 0.0.4: for each family a
 * HELP line, a TYPE line, then its samples. How the two threads share it
 * is told in metrics.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "metrics.h"
#include "util.h"

/* How long a scrape waits for the capture's thread to renew the page. */
#define METRICS_WAIT_MS 1000
/* Scrapers served at once; the rest wait in the listen queue. */
#define METRICS_CONNECTIONS 16
#define METRICS_BACKLOG	    16
/* A connection idle this long is closed. */
#define METRICS_IDLE_SECS 10

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* What the HTTP thread and the capture's thread share, under lock. */
struct metrics_shared {
	pthread_mutex_t lock;
	pthread_cond_t renewed; /* page and generation changed */
	atomic_bool wanted;	/* a scrape waits: the capture's thread looks */
	unsigned long generation;
	char *page;
	size_t len;
	bool stopping;
};

static const struct family {
	const char *name, *help;
	bool per_if; /* labelled with the interface (or the capture's list) */
} families[METRICS_NCOUNTERS] = {
	[METRICS_RECEIVED] = { "sockcap_packets_received_total",
			       "Packets the capture's filter received (\"received by filter\").",
			       true },
	[METRICS_DROPPED] = { "sockcap_packets_dropped_total",
			      "Packets dropped by the kernel because a ring was full.", true },
	[METRICS_CAPTURED] = { "sockcap_packets_captured_total",
			       "Packets captured: summary lines written, or packets written to "
			       "the file with -w.",
			       true },
	[METRICS_SEEN] = { "sockcap_packets_seen_total",
			   "Packets the socket saw before the filter expression.", true },
	[METRICS_ATTRIBUTED] = { "sockcap_process_attributed_packets_total",
				 "TCP and UDP packets that named their process.", false },
	[METRICS_UNATTRIBUTED] = { "sockcap_process_unattributed_packets_total",
				   "TCP and UDP packets that named no process.", false },
};

/* ------------------------------------------------------------ addresses */

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v;

	if (!sc_parse_ulong(s, 1, 65535, &v))
		return -EINVAL;
	*port = htons((uint16_t)v);
	return 0;
}

int metrics_parse_addr(const char *arg, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (arg[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		const char *end = strchr(arg, ']');

		n = end ? (size_t)(end - arg - 1) : 0;
		if (!end || end[1] != ':' || !n || n >= sizeof(host))
			return -EINVAL;
		memcpy(host, arg + 1, n);
		host[n] = '\0';
		a6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1 ||
		    parse_port(end + 2, &a6->sin6_port))
			return -EINVAL;
		*len = sizeof(*a6);
		return 0;
	}
	colon = strrchr(arg, ':');
	n = colon ? (size_t)(colon - arg) : 0;
	if (!colon || !n || n >= sizeof(host))
		return -EINVAL;
	memcpy(host, arg, n);
	host[n] = '\0';
	a4->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &a4->sin_addr) != 1 || parse_port(colon + 1, &a4->sin_port))
		return -EINVAL;
	*len = sizeof(*a4);
	return 0;
}

int metrics_listen(struct metrics *m, const char *arg)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, err;

	m->fd = -1;
	m->where = arg;
	if (metrics_parse_addr(arg, &ss, &len)) {
		sc_err("--metrics %s: not ADDR:PORT or [ADDR]:PORT", arg);
		return -EINVAL;
	}
	m->family = ss.ss_family;
	m->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->fd < 0)
		goto fail;
	/* a restart does not wait for the last run's connections to time out */
	if (setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(m->fd, (struct sockaddr *)&ss, len) < 0 || listen(m->fd, METRICS_BACKLOG) < 0)
		goto fail;
	return 0;
fail:
	err = -errno;
	sc_err("--metrics %s: %s", arg, strerror(errno));
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	return err;
}

/* --------------------------------------------------------------- flows */

static uint32_t key_hash(const struct metrics_flow_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int metrics_flows_init(struct metrics_flows *f, unsigned int max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
	for (f->nslots = 16; f->nslots <= 2 * max; f->nslots <<= 1)
		;
	f->keys = calloc(max ? max : 1, sizeof(*f->keys));
	f->counts = calloc(max ? max : 1, sizeof(*f->counts));
	f->slots = malloc(f->nslots * sizeof(*f->slots));
	if (!f->keys || !f->counts || !f->slots) {
		metrics_flows_free(f);
		return -ENOMEM;
	}
	memset(f->slots, 0xff, f->nslots * sizeof(*f->slots));
	return 0;
}

void metrics_flows_add(struct metrics_flows *f, const struct metrics_flow_key *k, uint64_t packets,
		       uint64_t bytes)
{
	struct metrics_flow_key key = { 0 };
	uint32_t i;

	/*
	 * The name as it is shown: names shown alike are one label set (one
	 * series, not two the same); compared as bytes, so nothing after
	 * its end may differ.
	 */
	for (i = 0; i < sizeof(key.comm) - 1 && k->comm[i]; i++) {
		unsigned char c = (unsigned char)k->comm[i];

		key.comm[i] = c >= ' ' && c < 0x7f ? (char)c : '?';
	}
	if (!i)
		key.comm[0] = '?';
	key.proto = k->proto;
	key.direction = k->direction;
	key.local_port = k->local_port;
	for (i = key_hash(&key) & (f->nslots - 1); f->slots[i] >= 0;
	     i = (i + 1) & (f->nslots - 1)) {
		if (!memcmp(&f->keys[f->slots[i]], &key, sizeof(key)))
			break;
	}
	if (f->slots[i] < 0) {
		if (f->n == f->max) {
			f->other[0] += packets;
			f->other[1] += bytes;
			f->other_used = true;
			return;
		}
		f->keys[f->n] = key;
		f->slots[i] = (int32_t)f->n++;
	}
	f->counts[f->slots[i]][0] += packets;
	f->counts[f->slots[i]][1] += bytes;
}

/* A label value: backslash and quote escaped, as the format wants. */
static void put_label(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		fputc(*s == '\n' ? '?' : *s, out);
	}
}

static void put_proto(FILE *out, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		fputs("tcp", out);
		break;
	case IPPROTO_UDP:
		fputs("udp", out);
		break;
	case IPPROTO_ICMP:
		fputs("icmp", out);
		break;
	case IPPROTO_ICMPV6:
		fputs("icmpv6", out);
		break;
	default:
		fprintf(out, "%u", proto);
	}
}

void metrics_flows_write(const struct metrics_flows *f, FILE *out)
{
	static const char *const name[2] = { "sockcap_flow_packets_total",
					     "sockcap_flow_bytes_total" };
	static const char *const help[2] = {
		"Packets by local process, protocol, local port and direction.",
		"Bytes (IP datagrams) by local process, protocol, local port and direction.",
	};

	if (f->table)
		fprintf(out,
			"# HELP sockcap_flows_tracked Flows in the kernel's flow table.\n"
			"# TYPE sockcap_flows_tracked gauge\nsockcap_flows_tracked %llu\n"
			"# HELP sockcap_flows_not_tracked_packets_total Packets of new flows the "
			"full flow table had no room for.\n"
			"# TYPE sockcap_flows_not_tracked_packets_total counter\n"
			"sockcap_flows_not_tracked_packets_total %llu\n",
			(unsigned long long)f->tracked, (unsigned long long)f->not_tracked);
	if (!f->n && !f->other_used)
		return;
	for (int j = 0; j < 2; j++) {
		fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name[j], help[j], name[j]);
		for (unsigned int i = 0; i < f->n; i++) {
			const struct metrics_flow_key *k = &f->keys[i];

			fprintf(out, "%s{comm=\"", name[j]);
			put_label(out, k->comm);
			fputs("\",proto=\"", out);
			put_proto(out, k->proto);
			fprintf(out, "\",local_port=\"%u\",direction=\"%s\"} %llu\n", k->local_port,
				k->direction == METRICS_DIR_OUT ? "out" : "in",
				(unsigned long long)f->counts[i][j]);
		}
		if (f->other_used)
			fprintf(out,
				"%s{comm=\"other\",proto=\"other\",local_port=\"other\","
				"direction=\"other\"} %llu\n",
				name[j], (unsigned long long)f->other[j]);
	}
}

void metrics_flows_free(struct metrics_flows *f)
{
	free(f->keys);
	free(f->counts);
	free(f->slots);
	memset(f, 0, sizeof(*f));
}

/* ---------------------------------------------------------------- page */

/*
 * The interface label: one interface's name, or for a count the kernel
 * keeps for all of them together, their names joined by ','.
 */
static void put_ifaces(FILE *out, const struct metrics_source *src, int iface)
{
	fputs("{interface=\"", out);
	if (iface >= 0) {
		put_label(out, src->ifnames[iface]);
	} else {
		for (unsigned int i = 0; i < src->nifs; i++) {
			if (i)
				fputc(',', out);
			put_label(out, src->ifnames[i]);
		}
	}
	fputs("\"}", out);
}

static void write_counters(FILE *out, const struct metrics_source *src,
			   const struct metrics_sample *s)
{
	for (int c = 0; c < METRICS_NCOUNTERS; c++) {
		const struct family *fm = &families[c];
		bool any = false;

		for (unsigned int i = 0; i <= src->nifs; i++)
			any |= s->set[c][i];
		if (!any)
			continue;
		fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", fm->name, fm->help, fm->name);
		for (unsigned int i = 0; i <= src->nifs; i++) {
			if (!s->set[c][i])
				continue;
			fputs(fm->name, out);
			if (fm->per_if)
				put_ifaces(out, src, (int)i - 1);
			fprintf(out, " %llu\n", (unsigned long long)s->v[c][i]);
		}
	}
}

int metrics_write(struct metrics *m, FILE *out)
{
	struct metrics_sample s;
	int err;

	memset(&s, 0, sizeof(s));
	err = m->src.collect(m->src.arg, &s);
	if (!err && m->src.flows)
		err = m->src.flows(m->src.arg, &m->flows);
	if (err)
		return err;
	write_counters(out, &m->src, &s);
	metrics_flows_write(&m->flows, out);
	fputs("# HELP sockcap_start_time_seconds When the capture started, in seconds since the "
	      "epoch.\n# TYPE sockcap_start_time_seconds gauge\n",
	      out);
	fprintf(out, "sockcap_start_time_seconds %llu.%09llu\n",
		(unsigned long long)(m->src.start_ns / 1000000000ull),
		(unsigned long long)(m->src.start_ns % 1000000000ull));
	fputs("# HELP sockcap_build_info The version of sockcap serving these metrics.\n"
	      "# TYPE sockcap_build_info gauge\n",
	      out);
	fprintf(out, "sockcap_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
	return ferror(out) ? -EIO : 0;
}

/* ---------------------------------------------------------------- HTTP */

/* The newest page, renewed for this scrape if the capture answers in time. */
static char *fresh_page(struct metrics_shared *sh, size_t *len)
{
	struct timespec until;
	unsigned long gen;
	char *copy = NULL;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += METRICS_WAIT_MS / 1000;
	until.tv_nsec += (METRICS_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sh->lock);
	gen = sh->generation;
	atomic_store(&sh->wanted, true);
	while (sh->generation == gen && !sh->stopping)
		if (pthread_cond_timedwait(&sh->renewed, &sh->lock, &until) == ETIMEDOUT)
			break;
	if (sh->page) {
		copy = malloc(sh->len ? sh->len : 1);
		if (copy) {
			memcpy(copy, sh->page, sh->len);
			*len = sh->len;
		}
	}
	pthread_mutex_unlock(&sh->lock);
	return copy;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status, char *body,
			     size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				status == MHD_HTTP_OK ? CONTENT_TYPE : "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

#define TEXT(s) (char *)(s), sizeof(s) - 1, MHD_RESPMEM_PERSISTENT

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **req_cls)
{
	struct metrics_shared *sh = cls;
	char *page;
	size_t len = 0;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, TEXT("method not allowed\n"));
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND,
			     TEXT("sockcap: the metrics are at /metrics\n"));
	page = fresh_page(sh, &len);
	if (!page)
		return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
			     TEXT("sockcap: no metrics yet; try again\n"));
	return reply(conn, MHD_HTTP_OK, page, len, MHD_RESPMEM_MUST_FREE);
}

static void mhd_log(void *arg, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	sc_err("metrics: %s", msg);
}

int metrics_start(struct metrics *m, const struct metrics_source *src, bool debug)
{
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC;
	sigset_t all, old;
	int err;

	m->src = *src;
	m->shared = calloc(1, sizeof(*m->shared));
	if (!m->shared || metrics_flows_init(&m->flows, METRICS_FLOW_SERIES)) {
		sc_err("metrics: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	pthread_mutex_init(&m->shared->lock, NULL);
	pthread_cond_init(&m->shared->renewed, NULL);
	if (m->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* libmicrohttpd's messages (a client gone, say) only with --debug */
	if (debug)
		flags |= MHD_USE_ERROR_LOG;
	/*
	 * Signals are for the capture's thread (its poll wakes up for them):
	 * the HTTP thread inherits a mask that blocks them all.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	m->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, m->shared,
				     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)m->fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)METRICS_CONNECTIONS,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)METRICS_IDLE_SECS,
				     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
	err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!m->daemon) {
		sc_err("--metrics %s: starting the HTTP server: %s", m->where,
		       err ? strerror(err) : "failed");
		return err ? -err : -EIO;
	}
	m->fd = -1; /* the daemon's now: it closes it */
	return 0;
}

void metrics_service(struct metrics *m)
{
	struct metrics_shared *sh = m->shared;
	char *page = NULL;
	size_t len = 0;
	FILE *out;
	int err;

	if (!m->daemon || !atomic_load_explicit(&sh->wanted, memory_order_relaxed))
		return;
	atomic_store(&sh->wanted, false);
	/* written without the lock: the scrape waits, it does not block us */
	out = open_memstream(&page, &len);
	if (!out)
		return;
	err = metrics_write(m, out);
	if (fclose(out) || err) {
		free(page);
		return;
	}
	pthread_mutex_lock(&sh->lock);
	free(sh->page);
	sh->page = page;
	sh->len = len;
	sh->generation++;
	pthread_cond_broadcast(&sh->renewed);
	pthread_mutex_unlock(&sh->lock);
}

void metrics_stop(struct metrics *m)
{
	struct metrics_shared *sh = m->shared;

	if (sh) {
		/* a scrape still waiting gets the last page at once */
		pthread_mutex_lock(&sh->lock);
		sh->stopping = true;
		pthread_cond_broadcast(&sh->renewed);
		pthread_mutex_unlock(&sh->lock);
	}
	if (m->daemon)
		MHD_stop_daemon(m->daemon);
	m->daemon = NULL;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	if (sh) {
		pthread_cond_destroy(&sh->renewed);
		pthread_mutex_destroy(&sh->lock);
		free(sh->page);
		free(sh);
	}
	m->shared = NULL;
	metrics_flows_free(&m->flows);
}
