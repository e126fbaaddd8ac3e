/* Many cores (issue 8): N glasstcp stacks per host, one per thread, flows
 * steered to a stack by a hash of the 4-tuple as a NIC's RSS does.
 *
 * Two hosts, a client 10.0.0.1 and a server 10.0.0.2, each made of N stacks
 * ("shards") that share the host's address. Shard i is configured with
 * rss_shards = N, rss_shard = i, so its connect() picks only ephemeral ports
 * whose 4-tuple hashes (gt_rss_hash) back to i. Every packet a stack sends
 * goes through "the NIC" below: its 4-tuple is parsed and hashed, and it is
 * queued to shard hash % N of the destination host: the sending thread's own
 * FIFO when that thread owns the shard, else the owner's inbox (a mutex-
 * protected MPSC queue it drains). With the ports partitioned right, every
 * reply, TIME_WAIT's included, lands on the shard that owns the connection:
 * the "cross-shard" count must stay 0.
 *
 * Thread i, pinned to CPU i, owns client shard i and server shard i. The
 * client runs bench_connrate's lifecycle one after another (connect, 100-byte
 * request, 1 KB response, client closes, server closes, client in TIME_WAIT);
 * the server application answers from the stack's event queue. Anchor: the
 * kernel over loopback, N threads of blocking lifecycles.
 *
 * The IPv6 variant (issue 16) is the same run between 2001:db8::1 and
 * 2001:db8::2 on AF_INET6 sockets: the NIC hashes the IPv6 4-tuple with
 * gt_rss_hash6(), which the stacks' port choice uses too (tcp_port.c).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "kern.h"

#define REQ_BYTES 100
#define RESP_BYTES 1024
#define PORT_BASE 8000
#define KERN_PORT_BASE 9000
#define REPS 3
#define MAX_THREADS 256
#define HOST_CLIENT 0
#define HOST_SERVER 1
#define STALL_US 10000000ull          /* a wait longer than this is a failure */
#define PKTBUF_MAX_BYTES (256u << 20) /* per queue; past it the NIC drops */

/* Read-only once main has filled them. */
static uint8_t req_pattern[REQ_BYTES], resp_pattern[RESP_BYTES];

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- packet queues ---- */

/* Whole IP packets, each behind a header naming the shard it goes to. */
struct pktbuf {
	uint8_t *buf;
	size_t len, cap;
};

struct pkt_hdr {
	uint32_t len;
	uint32_t target; /* host * nshards + shard */
};

static size_t pkt_space(size_t len) { return sizeof(struct pkt_hdr) + ((len + 7) & ~(size_t)7); }

static int pktbuf_put(struct pktbuf *b, uint32_t target, const void *pkt, size_t len)
{
	size_t need = pkt_space(len);
	if (bench_buf_fit(&b->buf, &b->cap, b->len + need, 65536, PKTBUF_MAX_BYTES) < 0)
		return -ENOBUFS;
	struct pkt_hdr h = {(uint32_t)len, target};
	memcpy(b->buf + b->len, &h, sizeof(h));
	memcpy(b->buf + b->len + sizeof(h), pkt, len);
	b->len += need;
	return 0;
}

static uint64_t pktbuf_count(const struct pktbuf *b)
{
	uint64_t n = 0;
	for (size_t off = 0; off < b->len; n++) {
		struct pkt_hdr h;
		memcpy(&h, b->buf + off, sizeof(h));
		off += pkt_space(h.len);
	}
	return n;
}

/* ---- the sharded hosts ---- */

struct run;
struct worker;

struct shard {
	gt_stack *st;
	struct run *run;
	struct worker *owner; /* the only thread that touches st */
	uint32_t host, idx;
};

enum sstate { S_NONE, S_LISTEN, S_REQ, S_EOF };

struct worker {
	/* Written by other threads: the inbox, on cache lines of its own. */
	alignas(64) pthread_mutex_t inbox_mu;
	struct pktbuf inbox;
	atomic_bool inbox_full;
	/* The rest belongs to the owning thread (main reads it after join). */
	alignas(64) struct run *run;
	uint32_t idx;
	int cpu;
	bool pinned;
	struct shard *cli, *srv;
	struct pktbuf local, drain;
	uint64_t now_us;
	/* The server application: per descriptor, its state and request bytes. */
	uint8_t *sstate;
	uint32_t *sgot;
	size_t scap;
	/* The NIC's counts, for packets this thread sent. */
	uint64_t pkts_local, pkts_xthread, pkts_xshard, pkts_dropped, pkts_unsteerable;
	uint64_t lifecycles, served, req_bytes_in, resp_bytes_in;
	uint64_t t0_ns, t1_ns, cpu_ns;
	bool failed;
	char why[256];
	uint8_t cbuf[4096], sbuf[4096];
};

struct run {
	uint32_t nshards;  /* = threads */
	bool v6;           /* the hosts speak IPv6 (2001:db8::1, ::2) */
	bool cross;        /* thread i owns server shard (i+1) % N: every packet crosses */
	uint64_t per_thread;
	uint32_t nports;
	int ncpus;
	struct shard *shards; /* [host * nshards + idx] */
	struct worker **w;
	pthread_barrier_t ready;
	atomic_bool abort;
	atomic_uint done;
};

static int fail(struct worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct worker *w, const char *fmt, ...)
{
	if (!w->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(w->why, sizeof(w->why), fmt, ap);
		va_end(ap);
	}
	w->failed = true;
	atomic_store(&w->run->abort, true);
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static int nic_queue(struct shard *src, struct worker *w, uint32_t target, const void *pkt,
		     size_t len);

/* An IPv6/TCP packet (the stacks send no extension header): the IPv6
 * 4-tuple hashed as the stacks hash it (gt_rss_hash6). */
static int nic_transmit6(struct shard *src, struct worker *w, const uint8_t *p, size_t len)
{
	struct gt_in6_addr sa, da;
	memcpy(sa.b, p + 8, 16);
	memcpy(da.b, p + 24, 16);
	uint32_t host;
	if (memcmp(da.b, memlink_addr6_a.b, 16) == 0)
		host = HOST_CLIENT;
	else if (memcmp(da.b, memlink_addr6_b.b, 16) == 0)
		host = HOST_SERVER;
	else {
		w->pkts_unsteerable++;
		return -EHOSTUNREACH;
	}
	uint32_t idx = gt_rss_hash6(&sa, rd16(p + 40), &da, rd16(p + 42)) % src->run->nshards;
	return nic_queue(src, w, host * src->run->nshards + idx, p, len);
}

/* The NIC: steers by the 4-tuple's hash, as RSS does, to the shard of the
 * destination host; runs in the thread that owns the sending stack. */
static int nic_transmit(void *ctx, const void *pkt, size_t len)
{
	struct shard *src = ctx;
	struct run *r = src->run;
	struct worker *w = src->owner;
	const uint8_t *p = pkt;
	if (len >= 44 && p[0] >> 4 == 6 && p[6] == 6)
		return nic_transmit6(src, w, p, len);
	size_t ihl = len >= 20 ? (size_t)(p[0] & 15) * 4 : 0;
	if (len < 20 || p[0] >> 4 != 4 || ihl < 20 || ihl > len) {
		w->pkts_unsteerable++;
		return -EINVAL;
	}
	uint32_t saddr = rd32(p + 12), daddr = rd32(p + 16);
	uint16_t sport = 0, dport = 0;
	if (p[9] == 6 && len >= ihl + 4) {
		sport = rd16(p + ihl);
		dport = rd16(p + ihl + 2);
	}
	uint32_t host;
	if (daddr == MEMLINK_ADDR_A)
		host = HOST_CLIENT;
	else if (daddr == MEMLINK_ADDR_B)
		host = HOST_SERVER;
	else {
		w->pkts_unsteerable++;
		return -EHOSTUNREACH;
	}
	uint32_t idx = gt_rss_hash(saddr, sport, daddr, dport) % r->nshards;
	return nic_queue(src, w, host * r->nshards + idx, pkt, len);
}

/* Queues a packet for shard target: the sender's own FIFO or the owner's
 * inbox. */
static int nic_queue(struct shard *src, struct worker *w, uint32_t target, const void *pkt,
		     size_t len)
{
	struct run *r = src->run;
	uint32_t idx = target % r->nshards;
	struct worker *to = r->shards[target].owner;
	if (idx != src->idx)
		w->pkts_xshard++;
	int rc;
	if (to == w) {
		rc = pktbuf_put(&w->local, target, pkt, len);
		w->pkts_local++;
	} else {
		pthread_mutex_lock(&to->inbox_mu);
		rc = pktbuf_put(&to->inbox, target, pkt, len);
		if (rc == 0)
			atomic_store_explicit(&to->inbox_full, true, memory_order_release);
		pthread_mutex_unlock(&to->inbox_mu);
		w->pkts_xthread++;
	}
	if (rc < 0)
		w->pkts_dropped++;
	return rc;
}

/* Delivers what w->drain holds to the shards it names (all w's own). */
static void deliver_drain(struct worker *w)
{
	struct run *r = w->run;
	for (size_t off = 0; off < w->drain.len;) {
		struct pkt_hdr h;
		memcpy(&h, w->drain.buf + off, sizeof(h));
		struct shard *sh = &r->shards[h.target];
		if (sh->owner != w) {
			fail(w, "NIC bug: a packet for shard %u of host %u reached thread %u", sh->idx,
			     sh->host, w->idx);
		} else {
			gt_stack_input(sh->st, w->now_us, w->drain.buf + off + sizeof(h), h.len);
		}
		off += pkt_space(h.len);
	}
	w->drain.len = 0;
}

/* The queue is swapped out before delivery: what delivery sends goes to an
 * empty buffer, never to the one being read. */
static bool take_local(struct worker *w)
{
	if (!w->local.len)
		return false;
	struct pktbuf t = w->drain;
	w->drain = w->local;
	w->local = t;
	deliver_drain(w);
	return true;
}

static bool take_inbox(struct worker *w)
{
	if (!atomic_load_explicit(&w->inbox_full, memory_order_acquire))
		return false;
	pthread_mutex_lock(&w->inbox_mu);
	struct pktbuf t = w->drain;
	w->drain = w->inbox;
	w->inbox = t;
	atomic_store_explicit(&w->inbox_full, false, memory_order_relaxed);
	pthread_mutex_unlock(&w->inbox_mu);
	deliver_drain(w);
	return true;
}

/* ---- the server application, driven by the stack's event queue ---- */

static int sstate_reserve(struct worker *w, int sd)
{
	if ((size_t)sd < w->scap)
		return 0;
	size_t ncap = w->scap ? w->scap : 256;
	while ((size_t)sd >= ncap)
		ncap *= 2;
	uint8_t *ns = realloc(w->sstate, ncap);
	if (!ns)
		return -1;
	w->sstate = ns;
	uint32_t *ng = realloc(w->sgot, ncap * sizeof(*ng));
	if (!ng)
		return -1;
	w->sgot = ng;
	memset(w->sstate + w->scap, S_NONE, ncap - w->scap);
	memset(w->sgot + w->scap, 0, (ncap - w->scap) * sizeof(*ng));
	w->scap = ncap;
	return 0;
}

static void conn_step(struct worker *w, int sd)
{
	gt_stack *b = w->srv->st;
	while ((size_t)sd < w->scap && !w->failed) {
		if (w->sstate[sd] == S_REQ) {
			uint32_t got = w->sgot[sd];
			ssize_t n = gt_recv(b, sd, w->sbuf, REQ_BYTES - got, 0);
			if (n == -EAGAIN)
				return;
			if (n <= 0) {
				fail(w, "server: request recv: %s", n == 0 ? "EOF" : strerror((int)-n));
				return;
			}
			if (memcmp(w->sbuf, req_pattern + got, (size_t)n) != 0) {
				fail(w, "server: request bytes differ from what was sent");
				return;
			}
			w->sgot[sd] = got + (uint32_t)n;
			w->req_bytes_in += (uint64_t)n;
			if (w->sgot[sd] < REQ_BYTES)
				continue;
			n = gt_send(b, sd, resp_pattern, RESP_BYTES, 0);
			if (n != RESP_BYTES) {
				fail(w, "server: response send returned %zd", n);
				return;
			}
			w->sstate[sd] = S_EOF;
		} else if (w->sstate[sd] == S_EOF) {
			ssize_t n = gt_recv(b, sd, w->sbuf, sizeof(w->sbuf), 0);
			if (n == -EAGAIN)
				return;
			if (n != 0) {
				fail(w, "server: expected EOF, got %zd", n);
				return;
			}
			gt_close(b, sd);
			w->sstate[sd] = S_NONE;
			w->served++;
			return;
		} else {
			return;
		}
	}
}

static void accept_all(struct worker *w, int ls)
{
	for (;;) {
		int as = gt_accept(w->srv->st, ls, NULL);
		if (as == -EAGAIN)
			return;
		if (as < 0 || sstate_reserve(w, as) < 0) {
			fail(w, "server: accept: %s", as < 0 ? strerror(-as) : "out of memory");
			return;
		}
		w->sstate[as] = S_REQ;
		w->sgot[as] = 0;
		conn_step(w, as); /* the request may be there already */
	}
}

static void serve(struct worker *w)
{
	struct gt_event ev[64];
	size_t n;
	while (!w->failed && (n = gt_events(w->srv->st, ev, 64)) > 0) {
		for (size_t i = 0; i < n; i++) {
			int sd = ev[i].sd;
			if ((size_t)sd < w->scap && w->sstate[sd] == S_LISTEN)
				accept_all(w, sd);
			else
				conn_step(w, sd);
		}
	}
}

/* Delivers until this thread's queues are quiet, running the server
 * application on what arrives and the stacks' due timers. */
static void pump(struct worker *w)
{
	uint64_t t = bench_mono_us();
	if (t > w->now_us)
		w->now_us = t;
	for (;;) {
		bool moved = take_local(w);
		moved |= take_inbox(w);
		if (moved)
			continue;
		serve(w);
		if (w->local.len)
			continue;
		if (gt_stack_next_deadline(w->cli->st) <= w->now_us)
			gt_stack_poll(w->cli->st, w->now_us);
		if (gt_stack_next_deadline(w->srv->st) <= w->now_us)
			gt_stack_poll(w->srv->st, w->now_us);
		if (!w->local.len)
			break;
	}
}

/* One turn of waiting for another thread (or a timer): -1 ends the wait. */
static int wait_turn(struct worker *w, uint64_t since_us, const char *what)
{
	pump(w);
	if (w->failed)
		return -1;
	if (atomic_load_explicit(&w->run->abort, memory_order_relaxed))
		return -1; /* another thread failed and said why */
	if (w->now_us - since_us > STALL_US)
		return fail(w, "stalled %.0f s waiting for %s", STALL_US / 1e6, what);
	/* More threads than CPUs: the one waited for may need this CPU. */
	if (w->run->nshards > (uint32_t)w->run->ncpus)
		sched_yield();
	return 0;
}

static int client_lifecycle(struct worker *w, uint64_t k)
{
	struct run *r = w->run;
	gt_stack *a = w->cli->st;
	struct gt_sockaddr sa = memlink_addr_b((uint16_t)(PORT_BASE + k % r->nports), r->v6);
	unsigned long long kk = (unsigned long long)k;
	int cs = gt_socket(a, sa.family, GT_SOCK_STREAM);
	if (cs < 0)
		return fail(w, "lifecycle %llu: gt_socket: %s", kk, strerror(-cs));
	int e = gt_connect(a, cs, &sa);
	if (e != -EINPROGRESS)
		return fail(w, "lifecycle %llu: gt_connect: %s", kk, strerror(-e));
	pump(w);
	uint64_t since = w->now_us;
	ssize_t n;
	while ((n = gt_send(a, cs, req_pattern, REQ_BYTES, 0)) == -EAGAIN)
		if (wait_turn(w, since, "the handshake") < 0)
			return -1;
	if (n != REQ_BYTES)
		return fail(w, "lifecycle %llu: request send: %s", kk,
			    n < 0 ? strerror((int)-n) : "short");
	pump(w);
	size_t got = 0;
	since = w->now_us;
	while (got < RESP_BYTES) {
		n = gt_recv(a, cs, w->cbuf + got, sizeof(w->cbuf) - got, 0);
		if (n == -EAGAIN) {
			if (wait_turn(w, since, "the response") < 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return fail(w, "lifecycle %llu: response recv after %zu bytes: %s", kk, got,
				    n == 0 ? "EOF" : strerror((int)-n));
		got += (size_t)n;
	}
	if (got != RESP_BYTES || memcmp(w->cbuf, resp_pattern, RESP_BYTES) != 0)
		return fail(w, "lifecycle %llu: response of %zu bytes differs from what was sent", kk,
			    got);
	w->resp_bytes_in += got;
	gt_close(a, cs);
	pump(w);
	w->lifecycles++;
	return w->failed ? -1 : 0;
}

static uint32_t stack_conns(gt_stack *s)
{
	struct gt_gauges g;
	gt_stack_gauges(s, &g);
	return g.conns;
}

static gt_stack *shard_stack(struct shard *sh, uint64_t max_timewait)
{
	struct run *r = sh->run;
	struct gt_config cfg;
	bench_config(&cfg, 0, (uint32_t)max_timewait);
	cfg.rss_shards = (uint16_t)r->nshards;
	cfg.rss_shard = (uint16_t)sh->idx;
	/* Distinct secrets: distinct ISNs, hash keys and port sequences. */
	for (int i = 0; i < 16; i++)
		cfg.isn_secret[i] =
			(uint8_t)(0x11 * (i + 1) ^ sh->host * 0x5a ^ sh->idx * 0x3d ^ sh->idx >> 8);
	struct gt_device dev = {.transmit = nic_transmit, .ctx = sh, .mtu = 1500,
				.rx_csum_verified = true, .tx_csum_offload = true};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	uint32_t addr = sh->host == HOST_CLIENT ? MEMLINK_ADDR_A : MEMLINK_ADDR_B;
	const struct gt_in6_addr *a6 =
		sh->host == HOST_CLIENT ? &memlink_addr6_a : &memlink_addr6_b;
	if (s && (gt_stack_add_ipv4(s, addr, 24) < 0 || gt_stack_add_ipv6(s, a6, 64) < 0)) {
		gt_stack_free(s);
		s = NULL;
	}
	if (s)
		gt_stack_poll(s, bench_mono_us());
	return s;
}

/* Stacks are made on the thread that runs them (its CPU's memory). */
static int worker_setup(struct worker *w)
{
	struct run *r = w->run;
	if (!(w->cli->st = shard_stack(w->cli, r->per_thread + 1024)) ||
	    !(w->srv->st = shard_stack(w->srv, 1024)))
		return fail(w, "stack creation failed");
	for (uint32_t p = 0; p < r->nports; p++) {
		struct gt_sockaddr sa = memlink_addr_b((uint16_t)(PORT_BASE + p), r->v6);
		int ls = gt_socket(w->srv->st, sa.family, GT_SOCK_STREAM);
		if (ls < 0 || gt_bind(w->srv->st, ls, &sa) < 0 || gt_listen(w->srv->st, ls, 128) < 0 ||
		    sstate_reserve(w, ls) < 0)
			return fail(w, "listen on port %u of server shard %u failed", PORT_BASE + p,
				    w->srv->idx);
		w->sstate[ls] = S_LISTEN;
	}
	w->now_us = bench_mono_us();
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->run;
	worker_setup(w);
	pthread_barrier_wait(&r->ready);
	if (atomic_load(&r->abort))
		return NULL;
	w->t0_ns = bench_mono_ns();
	uint64_t c0 = thread_cpu_ns();
	for (uint64_t k = 0; k < r->per_thread; k++)
		if (client_lifecycle(w, k) < 0)
			return NULL;
	/* This thread's share is done when its server shard has answered its
	 * clients and both stacks hold no connection but TIME_WAIT entries. */
	uint64_t since = w->now_us, served = w->served;
	while (w->served < r->per_thread || stack_conns(w->cli->st) || stack_conns(w->srv->st)) {
		if (w->served != served) { /* the stall clock counts from the last progress */
			served = w->served;
			since = w->now_us;
		}
		if (wait_turn(w, since, "the last closes") < 0)
			return NULL;
	}
	w->t1_ns = bench_mono_ns();
	w->cpu_ns = thread_cpu_ns() - c0;
	/* Keep serving the inbox until every thread is done; one that stalls
	 * says so itself and sets abort. */
	atomic_fetch_add(&r->done, 1);
	while (atomic_load(&r->done) < r->nshards && !atomic_load(&r->abort)) {
		pump(w);
		if (r->nshards > (uint32_t)r->ncpus)
			sched_yield();
	}
	return NULL;
}

/* ---- one measurement ---- */

struct result {
	bool ok;           /* the measurement was made */
	char why[1024];    /* a failure, or checks that did not hold */
	uint32_t nthreads;
	uint64_t lifecycles;
	double wall_s, cpu_s;
	uint64_t pkts, pkts_xthread, pkts_xshard;
	uint64_t out_rsts, tw_entered, tw_held, tw_recycled, retrans;
	uint32_t unpinned;   /* threads the scheduler would not pin */
};

static void add_why(struct result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_why(struct result *res, const char *fmt, ...)
{
	size_t used = strlen(res->why);
	if (used + 3 >= sizeof(res->why))
		return;
	if (used)
		used += (size_t)snprintf(res->why + used, sizeof(res->why) - used, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->why + used, sizeof(res->why) - used, fmt, ap);
	va_end(ap);
}

/* What must hold after a run: every lifecycle complete with every byte, a
 * TIME_WAIT entry per lifecycle on the client shard that ran it, each server
 * shard serving exactly its own client shard, no RST, nothing lost. */
static void gt_check(struct run *r, struct result *res)
{
	uint64_t n = r->per_thread;
	for (uint32_t i = 0; i < r->nshards; i++) {
		gt_stack *c = r->shards[HOST_CLIENT * r->nshards + i].st;
		gt_stack *s = r->shards[HOST_SERVER * r->nshards + i].st;
		const struct gt_stats *cst = gt_stack_stats(c), *sst = gt_stack_stats(s);
		struct gt_gauges g;
		gt_stack_gauges(c, &g);
		if (cst->TW != n || g.timewait + cst->TWRecycled != n)
			add_why(res, "client shard %u: %llu entered TIME_WAIT, %u held + %llu "
				     "recycled, expected %llu (TWOverflow %llu)", i, (unsigned long long)cst->TW, g.timewait,
				(unsigned long long)cst->TWRecycled, (unsigned long long)n,
				(unsigned long long)cst->TWOverflow);
		if (sst->TcpPassiveOpens != n || cst->TcpActiveOpens != n)
			add_why(res, "shard %u: %llu active opens, %llu passive opens, expected %llu each",
				i, (unsigned long long)cst->TcpActiveOpens,
				(unsigned long long)sst->TcpPassiveOpens, (unsigned long long)n);
		if (cst->TcpOutRsts || sst->TcpOutRsts)
			add_why(res, "shard %u: RSTs sent: client %llu, server %llu (TcpNoPort %llu/%llu)", i,
				(unsigned long long)cst->TcpOutRsts, (unsigned long long)sst->TcpOutRsts,
				(unsigned long long)cst->TcpNoPort, (unsigned long long)sst->TcpNoPort);
		res->out_rsts += cst->TcpOutRsts + sst->TcpOutRsts;
		res->tw_entered += cst->TW;
		res->tw_held += g.timewait;
		res->tw_recycled += cst->TWRecycled;
		res->retrans += cst->TcpRetransSegs + sst->TcpRetransSegs;
	}
	uint64_t lc = 0, served = 0, req = 0, resp = 0, left = 0, dropped = 0, unst = 0;
	for (uint32_t i = 0; i < r->nshards; i++) {
		struct worker *w = r->w[i];
		lc += w->lifecycles;
		served += w->served;
		req += w->req_bytes_in;
		resp += w->resp_bytes_in;
		dropped += w->pkts_dropped;
		unst += w->pkts_unsteerable;
		left += pktbuf_count(&w->local) + pktbuf_count(&w->inbox);
		res->pkts += w->pkts_local + w->pkts_xthread;
		res->pkts_xthread += w->pkts_xthread;
		res->pkts_xshard += w->pkts_xshard;
	}
	uint64_t total = n * r->nshards;
	if (lc != total || served != total)
		add_why(res, "%llu lifecycles and %llu served, expected %llu", (unsigned long long)lc,
			(unsigned long long)served, (unsigned long long)total);
	if (req != total * REQ_BYTES || resp != total * RESP_BYTES)
		add_why(res, "%llu request and %llu response bytes arrived, expected %llu and %llu",
			(unsigned long long)req, (unsigned long long)resp,
			(unsigned long long)(total * REQ_BYTES), (unsigned long long)(total * RESP_BYTES));
	if (dropped || unst || left)
		add_why(res, "NIC: %llu dropped (queue full), %llu unsteerable, %llu left undelivered",
			(unsigned long long)dropped, (unsigned long long)unst, (unsigned long long)left);
	if (res->pkts_xshard)
		add_why(res, "%llu packets steered to a shard other than the sender's: the ephemeral "
			     "ports are not partitioned by the RSS hash",
			(unsigned long long)res->pkts_xshard);
}

/* Listening ports per server shard: each client shard has about 1/N of the
 * ephemeral range per destination, and every lifecycle holds its 4-tuple
 * in TIME_WAIT; at most a third of those tuples are taken, so the port
 * search stays short (bench_connrate's 32 ports at N = 1). */
static uint32_t ports_for(uint64_t per_thread, uint32_t nthreads)
{
	struct gt_config cfg;
	bench_config(&cfg, 0, 0);
	uint64_t range = (uint64_t)cfg.ephemeral_hi - cfg.ephemeral_lo + 1;
	uint64_t p = (3 * per_thread * nthreads + range - 1) / range;
	return p < 32 ? 32 : p > 4096 ? 4096 : (uint32_t)p;
}

static void run_free(struct run *r)
{
	for (uint32_t i = 0; r->shards && i < 2 * r->nshards; i++)
		gt_stack_free(r->shards[i].st);
	for (uint32_t i = 0; r->w && i < r->nshards; i++) {
		struct worker *w = r->w[i];
		if (!w)
			continue;
		free(w->local.buf);
		free(w->drain.buf);
		free(w->inbox.buf);
		free(w->sstate);
		free(w->sgot);
		pthread_mutex_destroy(&w->inbox_mu);
		free(w);
	}
	free(r->shards);
	free(r->w);
}

static pthread_t start_thread(void *(*fn)(void *), void *arg, int cpu, bool *pinned)
{
	pthread_t t;
	pthread_attr_t attr;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&attr);
	*pinned = pthread_attr_setaffinity_np(&attr, sizeof(set), &set) == 0 &&
		  pthread_create(&t, &attr, fn, arg) == 0;
	pthread_attr_destroy(&attr);
	if (!*pinned && pthread_create(&t, NULL, fn, arg) != 0) {
		fprintf(stderr, "bench_multicore: cannot create a thread: %s\n", strerror(errno));
		exit(1);
	}
	return t;
}

static void gt_run(uint32_t nthreads, uint64_t per_thread, bool cross, bool v6, const int *cpus,
		   int ncpus, struct result *res)
{
	memset(res, 0, sizeof(*res));
	res->nthreads = nthreads;
	struct run r;
	memset(&r, 0, sizeof(r));
	r.nshards = nthreads;
	r.cross = cross;
	r.v6 = v6;
	r.per_thread = per_thread;
	r.nports = ports_for(per_thread, nthreads);
	r.ncpus = ncpus;
	atomic_init(&r.abort, false);
	atomic_init(&r.done, 0);
	r.shards = calloc(2 * (size_t)nthreads, sizeof(*r.shards));
	r.w = calloc(nthreads, sizeof(*r.w));
	if (!r.shards || !r.w) {
		snprintf(res->why, sizeof(res->why), "out of memory");
		run_free(&r);
		return;
	}
	for (uint32_t i = 0; i < nthreads; i++) {
		struct worker *w = aligned_alloc(64, sizeof(*w));
		if (!w) {
			snprintf(res->why, sizeof(res->why), "out of memory");
			run_free(&r);
			return;
		}
		memset(w, 0, sizeof(*w));
		pthread_mutex_init(&w->inbox_mu, NULL);
		atomic_init(&w->inbox_full, false);
		w->run = &r;
		w->idx = i;
		w->cpu = cpus[i % (uint32_t)ncpus];
		r.w[i] = w;
	}
	/* Thread i owns client shard i and server shard i, or with cross the
	 * server shard i + 1, so that every packet goes through an inbox. */
	for (uint32_t h = 0; h < 2; h++) {
		for (uint32_t i = 0; i < nthreads; i++) {
			struct shard *sh = &r.shards[h * nthreads + i];
			uint32_t owner = h == HOST_SERVER && cross ? (i + nthreads - 1) % nthreads : i;
			*sh = (struct shard){.run = &r, .owner = r.w[owner], .host = h, .idx = i};
			if (h == HOST_CLIENT)
				r.w[owner]->cli = sh;
			else
				r.w[owner]->srv = sh;
		}
	}
	pthread_barrier_init(&r.ready, NULL, nthreads);
	pthread_t *t = calloc(nthreads, sizeof(*t));
	if (!t) {
		fprintf(stderr, "bench_multicore: out of memory\n");
		exit(1);
	}
	for (uint32_t i = 0; i < nthreads; i++)
		t[i] = start_thread(worker_main, r.w[i], r.w[i]->cpu, &r.w[i]->pinned);
	for (uint32_t i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	free(t);
	pthread_barrier_destroy(&r.ready);

	uint64_t t0 = UINT64_MAX, t1 = 0, cpu = 0;
	for (uint32_t i = 0; i < nthreads; i++) {
		struct worker *w = r.w[i];
		if (w->failed && !res->why[0])
			snprintf(res->why, sizeof(res->why), "thread %u: %s", i, w->why);
		res->unpinned += !w->pinned;
		if (w->t0_ns < t0)
			t0 = w->t0_ns;
		if (w->t1_ns > t1)
			t1 = w->t1_ns;
		cpu += w->cpu_ns;
	}
	bool stacks = true;
	for (uint32_t i = 0; i < 2 * nthreads; i++)
		stacks &= r.shards[i].st != NULL;
	if (!res->why[0]) {
		res->ok = true;
		res->lifecycles = per_thread * nthreads;
		res->wall_s = (double)(t1 - t0) / 1e9;
		res->cpu_s = (double)cpu / 1e9;
	}
	/* After a failure too: the counters say what went wrong. */
	if (stacks)
		gt_check(&r, res);
	run_free(&r);
}

/* ---- the kernel, N threads of blocking lifecycles over loopback ---- */

/* CPU time of ksoftirqd on the CPUs the threads ran on (tick resolution):
 * loopback work the kernel deferred to it. */
static uint64_t ksoft_ns(const int *cpus, uint32_t n)
{
	uint64_t ns = 0;
	for (uint32_t i = 0; i < n; i++)
		ns += bench_ksoftirqd_cpu_ns(cpus[i]);
	return ns;
}

struct kworker {
	alignas(64) uint32_t idx;
	int cpu;
	bool pinned;
	uint32_t addr_block; /* clients on 127.<block>.x */
	uint64_t n;
	pthread_barrier_t *ready;
	uint64_t t0_ns, t1_ns, cpu_ns;
	bool failed;
	char why[200];
	uint8_t buf[4096];
};

#define KFAIL(...)                                               \
	do {                                                     \
		snprintf(k->why, sizeof(k->why), __VA_ARGS__);   \
		k->failed = true;                                \
		goto out;                                        \
	} while (0)

static void *kworker_main(void *arg)
{
	struct kworker *k = arg;
	uint16_t port = (uint16_t)(KERN_PORT_BASE + k->idx);
	int l = kern_listener(port, 1024);
	pthread_barrier_wait(k->ready);
	if (l < 0) {
		snprintf(k->why, sizeof(k->why), "listener on 127.0.0.1:%u failed", port);
		k->failed = true;
		return NULL;
	}
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(0x7f000001)};
	k->t0_ns = bench_mono_ns();
	uint64_t c0 = thread_cpu_ns();
	for (uint64_t i = 0; i < k->n; i++) {
		int one = 1;
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0)
			KFAIL("socket: %s", strerror(errno));
		/* Own client addresses per thread and run (10,000 lifecycles
		 * each), the port chosen at connect() against the whole
		 * 4-tuple: no run meets another's TIME_WAIT. */
		struct sockaddr_in ca = {.sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(0x7f000000u | k->addr_block << 8 |
								  (uint32_t)(2 + i / 10000))};
		setsockopt(c, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		if (bind(c, (struct sockaddr *)&ca, sizeof(ca)) < 0)
			KFAIL("bind: %s", strerror(errno));
		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			KFAIL("connect #%llu: %s", (unsigned long long)i, strerror(errno));
		if (kern_write_full(c, req_pattern, REQ_BYTES) < 0)
			KFAIL("request write: %s", strerror(errno));
		int s = accept(l, NULL, NULL);
		if (s < 0)
			KFAIL("accept: %s", strerror(errno));
		if (kern_read_full(s, k->buf, REQ_BYTES) < 0 ||
		    kern_write_full(s, resp_pattern, RESP_BYTES) < 0 ||
		    kern_read_full(c, k->buf, RESP_BYTES) < 0 ||
		    memcmp(k->buf, resp_pattern, RESP_BYTES) != 0)
			KFAIL("request/response #%llu", (unsigned long long)i);
		close(c);
		if (read(s, k->buf, sizeof(k->buf)) != 0)
			KFAIL("server expected EOF");
		close(s);
	}
	k->t1_ns = bench_mono_ns();
	k->cpu_ns = thread_cpu_ns() - c0;
out:
	close(l);
	return NULL;
}

static void kern_run(uint32_t nthreads, uint64_t per_thread, const int *cpus, int ncpus,
		     uint32_t *addr_block, struct result *res)
{
	memset(res, 0, sizeof(*res));
	res->nthreads = nthreads;
	struct kworker *k = aligned_alloc(64, nthreads * sizeof(*k));
	pthread_t *t = calloc(nthreads, sizeof(*t));
	if (!k || !t) {
		fprintf(stderr, "bench_multicore: out of memory\n");
		exit(1);
	}
	memset(k, 0, nthreads * sizeof(*k));
	pthread_barrier_t ready;
	pthread_barrier_init(&ready, NULL, nthreads);
	uint32_t used = nthreads < (uint32_t)ncpus ? nthreads : (uint32_t)ncpus;
	uint64_t s0 = ksoft_ns(cpus, used);
	for (uint32_t i = 0; i < nthreads; i++) {
		k[i].idx = i;
		k[i].cpu = cpus[i % (uint32_t)ncpus];
		k[i].n = per_thread;
		k[i].ready = &ready;
		k[i].addr_block = ++*addr_block & 0xffff;
		t[i] = start_thread(kworker_main, &k[i], k[i].cpu, &k[i].pinned);
	}
	for (uint32_t i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	uint64_t soft = ksoft_ns(cpus, used) - s0;
	pthread_barrier_destroy(&ready);
	uint64_t t0 = UINT64_MAX, t1 = 0, cpu = 0;
	for (uint32_t i = 0; i < nthreads; i++) {
		if (k[i].failed && !res->why[0])
			snprintf(res->why, sizeof(res->why), "thread %u: %s", i, k[i].why);
		res->unpinned += !k[i].pinned;
		if (k[i].t0_ns < t0)
			t0 = k[i].t0_ns;
		if (k[i].t1_ns > t1)
			t1 = k[i].t1_ns;
		cpu += k[i].cpu_ns;
	}
	if (!res->why[0]) {
		res->ok = true;
		res->lifecycles = per_thread * nthreads;
		res->wall_s = (double)(t1 - t0) / 1e9;
		res->cpu_s = (double)(cpu + soft) / 1e9;
	}
	free(k);
	free(t);
}

/* ---- the table ---- */

static void keep_best(struct result *best, const struct result *r)
{
	if (r->ok && (!best->ok || r->wall_s < best->wall_s))
		*best = *r;
	else if (!r->ok && !best->ok && !best->why[0])
		*best = *r;
}

static double rate_of(const struct result *r)
{
	return r && r->ok && r->wall_s > 0 ? (double)r->lifecycles / r->wall_s : 0;
}

enum { NCOLS = 13 };

static void row(const char *who, const struct result *r, const struct result *base,
		const struct result *kern, bool is_gt)
{
	char b[NCOLS][64];
	char thr[16];
	snprintf(thr, sizeof(thr), "%u", r->nthreads);
	if (!r->ok) {
		const char *cells[NCOLS] = {who, thr, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"};
		bench_table_row(cells);
		printf("    (%s, %u threads: %s)\n", who, r->nthreads, r->why);
		return;
	}
	double rate = rate_of(r), base_rate = rate_of(base);
	double speedup = base_rate > 0 ? rate / base_rate : 0;
	const char *cells[NCOLS] = {
		who,
		thr,
		bench_commas(b[0], 64, r->lifecycles),
		bench_fmt(b[1], 64, "%.3f", r->wall_s),
		bench_fmt(b[2], 64, "%.3f", r->cpu_s),
		bench_commas(b[3], 64, (uint64_t)rate),
		bench_commas(b[4], 64, (uint64_t)(rate / r->nthreads)),
		bench_fmt(b[5], 64, "%.2f", r->cpu_s * 1e6 / (double)r->lifecycles),
		speedup > 0 ? bench_fmt(b[6], 64, "%.2fx", speedup) : "n/a",
		speedup > 0 ? bench_fmt(b[7], 64, "%.0f%%", 100 * speedup / r->nthreads) : "n/a",
		is_gt ? bench_commas(b[8], 64, r->pkts_xshard) : "-",
		is_gt ? bench_commas(b[9], 64, r->pkts_xthread) : "-",
		kern ? bench_ratio(b[10], 64, rate, rate_of(kern)) : "(anchor)",
	};
	bench_table_row(cells);
}

/* ---- main ---- */

static int parse_threads(const char *s, uint32_t ncpus, uint32_t *out)
{
	if (!s || !*s || strcmp(s, "max") == 0) {
		*out = ncpus;
		return 0;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 1 || v > MAX_THREADS)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int main(void)
{
	static int cpus[CPU_SETSIZE];
	int ncpus = 0;
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &set))
				cpus[ncpus++] = i;
	if (ncpus == 0)
		cpus[ncpus++] = 0;
	uint32_t max_n;
	const char *env = getenv("GT_BENCH_THREADS");
	if (parse_threads(env, (uint32_t)ncpus, &max_n) < 0) {
		fprintf(stderr, "bench_multicore: GT_BENCH_THREADS must be \"max\" or 1..%d, not \"%s\"\n",
			MAX_THREADS, env);
		return 1;
	}
	if (max_n > MAX_THREADS)
		max_n = MAX_THREADS;
	const char *cross_env = getenv("GT_BENCH_MC_CROSS");
	bool cross = cross_env && strcmp(cross_env, "1") == 0;
	uint32_t ns[32];
	int nn = 0;
	for (uint32_t n = 1; n < max_n && nn < 31; n *= 2)
		ns[nn++] = n;
	ns[nn++] = max_n;

	memset(req_pattern, 'q', sizeof(req_pattern));
	for (int i = 0; i < RESP_BYTES; i++)
		resp_pattern[i] = (uint8_t)(i * 7 + 3);
	double scale = bench_scale();
	uint64_t n_gt = (uint64_t)(100000 * scale), n_kern = (uint64_t)(5000 * scale);
	if (n_gt < 100)
		n_gt = 100;
	if (n_kern < 50)
		n_kern = 50;

	int main_cpu = bench_pin_one_cpu(); /* the main thread only waits */
	bench_header("many cores: connection rate with N stacks per host, flows steered by RSS",
		     "lifecycle = handshake, 100-byte request, 1 KB response, client close, server "
		     "close; the client's end enters TIME_WAIT.\nThread i (pinned to CPU i) owns "
		     "shard i of the client host and of the server host and runs a fixed number of\n"
		     "lifecycles one after another; rate = all lifecycles / wall time of the parallel "
		     "phase (first thread's start to\nthe last one's end), the run with the least wall "
		     "time of 3 interleaved runs per N. Weak scaling: the work per\nthread is fixed, "
		     "so perfect scaling is N times the rate of one thread (efficiency 100%).");
	bench_calibrate();
	int nsret = bench_private_loopback(0);
	char cpulist[256] = "";
	for (uint32_t i = 0; i < max_n && i < 16; i++)
		snprintf(cpulist + strlen(cpulist), sizeof(cpulist) - strlen(cpulist), "%s%d",
			 i ? "," : "", cpus[i % (uint32_t)ncpus]);
	bench_cond("threads      1 up to %u (%d CPUs this process may use, %ld online; "
		   "GT_BENCH_THREADS=max|N), thread i on CPU %s%s; the main thread waits on CPU %d%s",
		   max_n, ncpus, sysconf(_SC_NPROCESSORS_ONLN), cpulist, max_n > 16 ? ",..." : "",
		   main_cpu, max_n > (uint32_t)ncpus ? "; more threads than CPUs: oversubscribed" : "");
	bench_cond("glasstcp     2 hosts (10.0.0.1 client, 10.0.0.2 server; IPv6 rows 2001:db8::1, ::2) x N stacks, Linux profile, "
		   "rss_shards N, rss_shard i; %llu lifecycles per thread; clock: CLOCK_MONOTONIC "
		   "per thread (real time)", (unsigned long long)n_gt);
	bench_cond("NIC          every packet's 4-tuple hashed with gt_rss_hash (IPv6: gt_rss_hash6), queued to shard "
		   "hash %% N of the destination host: the thread's own FIFO, or the owner's inbox "
		   "(mutex MPSC) for another thread's shard; in-memory, MTU 1500, checksum offload");
	bench_cond("ports        each server shard listens on %u.. (%u ports at N = %u, so TIME_WAIT "
		   "never fills a shard's 1/N of the ephemeral range)",
		   PORT_BASE, ports_for(n_gt, max_n), max_n);
	bench_cond("kernel       %s, thread i: blocking sockets, listener 127.0.0.1:%u+i, clients on "
		   "127.x.y.2.. of its own (IP_BIND_ADDRESS_NO_PORT), %llu lifecycles per thread; CPU "
		   "includes ksoftirqd on those CPUs",
		   nsret == 0 ? "private network namespace (lo MTU 65536)" : "host lo", KERN_PORT_BASE,
		   (unsigned long long)n_kern);
	if (cross)
		bench_cond("cross        GT_BENCH_MC_CROSS=1: extra rows where thread i owns server "
			   "shard i+1, so every packet crosses threads through an inbox");

	struct result g[32], g6[32], k[32], x[32], r;
	memset(g, 0, sizeof(g));
	memset(g6, 0, sizeof(g6));
	memset(k, 0, sizeof(k));
	memset(x, 0, sizeof(x));
	uint32_t addr_block = 0;
	int failures = 0;
	for (int rep = 0; rep < REPS; rep++) {
		for (int i = 0; i < nn; i++) {
			gt_run(ns[i], n_gt, false, false, cpus, ncpus, &r);
			if (r.why[0]) {
				printf("FAILED glasstcp, %u threads, run %d: %s\n", ns[i], rep + 1, r.why);
				failures++;
			}
			keep_best(&g[i], &r);
			gt_run(ns[i], n_gt, false, true, cpus, ncpus, &r);
			if (r.why[0]) {
				printf("FAILED glasstcp IPv6, %u threads, run %d: %s\n", ns[i], rep + 1,
				       r.why);
				failures++;
			}
			keep_best(&g6[i], &r);
			kern_run(ns[i], n_kern, cpus, ncpus, &addr_block, &r);
			keep_best(&k[i], &r);
			if (cross && ns[i] > 1) {
				gt_run(ns[i], n_gt, true, false, cpus, ncpus, &r);
				if (r.why[0]) {
					printf("FAILED glasstcp cross, %u threads, run %d: %s\n", ns[i],
					       rep + 1, r.why);
					failures++;
				}
				keep_best(&x[i], &r);
			}
		}
	}

	const int w[NCOLS] = {26, 7, 10, 7, 7, 10, 10, 11, 7, 10, 11, 12, 9};
	const char *heads[NCOLS] = {"stack", "threads", "lifecycles", "wall s", "CPU s", "conns/s",
				    "per thread", "CPU us/conn", "speedup", "efficiency",
				    "cross-shard", "cross-thread", "vs kernel"};
	bench_table_begin(NCOLS, 1, heads, w);
	for (int i = 0; i < nn; i++)
		row("glasstcp", &g[i], &g[0], &k[i], true);
	for (int i = 0; i < nn; i++)
		row("glasstcp IPv6", &g6[i], &g6[0], &k[i], true);
	if (cross)
		for (int i = 1; i < nn; i++)
			row("glasstcp, server next CPU", &x[i], &g[0], &k[i], true);
	for (int i = 0; i < nn; i++)
		row("Linux kernel (loopback)", &k[i], &k[0], NULL, false);
	bench_table_end();
	const struct result *big = &g[nn - 1];
	if (big->ok)
		printf("glasstcp at %u threads: %.1f packets per lifecycle through the NIC; %llu "
		       "TIME_WAIT entries entered, %llu held, %llu reused (tw_reuse); %llu RSTs, %llu "
		       "retransmissions; peak RSS %.1f MiB\n",
		       big->nthreads, (double)big->pkts / (double)big->lifecycles,
		       (unsigned long long)big->tw_entered, (unsigned long long)big->tw_held,
		       (unsigned long long)big->tw_recycled, (unsigned long long)big->out_rsts,
		       (unsigned long long)big->retrans, bench_peak_rss() / 1048576.0);
	for (int i = 0; i < nn; i++)
		if (g[i].ok && g6[i].ok)
			printf("glasstcp IPv6 / IPv4 conns/s at %u threads: %.3f\n", ns[i],
			       rate_of(&g6[i]) / rate_of(&g[i]));
	printf("speedup = conns/s over the same stack's 1-thread conns/s; efficiency = speedup / "
	       "threads; per thread = conns/s / threads.\ncross-shard: packets the NIC steered to a "
	       "shard other than the sender's (0 when the ephemeral ports are partitioned right);\n"
	       "cross-thread: packets that went through another thread's inbox. Wall time on a VM "
	       "includes steal (see calibration).\n");
	uint32_t unpinned = 0;
	for (int i = 0; i < nn; i++)
		unpinned += g[i].unpinned + g6[i].unpinned + k[i].unpinned + x[i].unpinned;
	if (unpinned)
		printf("note: %u threads of the best runs could not be pinned to their CPU "
		       "(pthread_attr_setaffinity_np failed); they ran where the scheduler put them\n",
		       unpinned);
	if (failures) {
		printf("result: FAILED (%d runs broke a check, listed above)\n", failures);
		return 1;
	}
	for (int i = 0; i < nn; i++)
		if (!g[i].ok || !g6[i].ok)
			return 1;
	printf("result: OK (every lifecycle delivered every byte, left one TIME_WAIT entry on its "
	       "own client shard, no RST, no packet crossed shards)\n");
	return 0;
}
