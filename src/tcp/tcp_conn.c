/* The connection table: TCBs in slabs with a free list (no allocation per
 * packet), an O(1) 4-tuple hash, every state change through tcp_set_state(),
 * and each TCB's one entry in the stack's timer heap. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

#define SLAB_CONNS 256u

static const char *const state_names[GT_TCP_NSTATES] = {
	"CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
	"FIN_WAIT_2",  "CLOSE_WAIT", "CLOSING",    "LAST_ACK",     "TIME_WAIT",
};

const char *gt_tcp_state_name(enum gt_tcp_state st)
{
	return (unsigned)st < GT_TCP_NSTATES ? state_names[st] : "?";
}

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;
	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

int tcp_table_init(gt_stack *s)
{
	/* The hash starts small and doubles with the connections (about one
	 * bucket per connection), up to max_conns: lookups stay O(1). */
	uint32_t nb = pow2_at_least(s->cfg.max_conns < 1024 ? s->cfg.max_conns : 1024);
	s->hash = calloc(nb, sizeof(*s->hash));
	if (!s->hash)
		return -ENOMEM;
	s->hash_mask = nb - 1;
	uint32_t nslabs = (s->cfg.max_conns + SLAB_CONNS - 1) / SLAB_CONNS;
	s->slabs = calloc(nslabs, sizeof(*s->slabs));
	return s->slabs ? 0 : -ENOMEM;
}

void tcp_table_fini(gt_stack *s)
{
	if (s->slabs) {
		for (uint32_t i = 0; i < s->nslabs; i++) {
			for (uint32_t j = 0; j < SLAB_CONNS; j++) {
				struct tcp_conn *c = &s->slabs[i][j];
				if (c->in_use) {
					ring_free(&c->snd);
					ring_free(&c->rcv);
					free(c->ooo);
					free(c->sacked);
				}
			}
			free(s->slabs[i]);
		}
	}
	free(s->slabs);
	free(s->hash);
	s->slabs = NULL;
	s->hash = NULL;
}

struct tcp_conn *tcp_conn_alloc(gt_stack *s)
{
	if (s->conns >= s->cfg.max_conns) {
		s->st.TcpConnLimit++;
		return NULL;
	}
	if (!s->conn_free) {
		struct tcp_conn *slab = calloc(SLAB_CONNS, sizeof(*slab));
		if (!slab) {
			s->st.TcpConnLimit++;
			return NULL;
		}
		s->slabs[s->nslabs++] = slab;
		for (uint32_t j = SLAB_CONNS; j-- > 0;) {
			slab[j].hnext = s->conn_free;
			s->conn_free = &slab[j];
		}
	}
	struct tcp_conn *c = s->conn_free;
	s->conn_free = c->hnext;
	memset(c, 0, sizeof(*c));
	c->in_use = true;
	c->sd = -1;
	c->listen_sd = -1;
	c->heap_idx = HEAP_NONE;
	c->rtx_at = c->delack_at = c->persist_at = c->fin2_at = TCP_TIMER_NONE;
	c->cork_at = c->linger_at = c->keep_at = TCP_TIMER_NONE;
	c->open_us = (uint32_t)s->now_us;
	s->conns++;
	if (s->conns > s->conns_peak)
		s->conns_peak = s->conns;
	s->conns_by_state[GT_TCP_CLOSED]++;
	return c;
}

static uint32_t bucket(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		       uint16_t fport)
{
	return hash_tuple4(s->hash_key, laddr, faddr, lport, fport) & s->hash_mask;
}

/* Doubles the bucket array and re-chains every connection; on failure the
 * table just stays as it is (longer chains, still correct). */
static void hash_grow(gt_stack *s)
{
	uint32_t nb = (s->hash_mask + 1) * 2;
	struct tcp_conn **nh = calloc(nb, sizeof(*nh));
	if (!nh)
		return;
	for (uint32_t b = 0; b <= s->hash_mask; b++) {
		struct tcp_conn *c = s->hash[b];
		while (c) {
			struct tcp_conn *next = c->hnext;
			uint32_t nbk = hash_tuple4(s->hash_key, c->laddr, c->faddr, c->lport, c->fport) &
				       (nb - 1);
			c->hnext = nh[nbk];
			nh[nbk] = c;
			c = next;
		}
	}
	free(s->hash);
	s->hash = nh;
	s->hash_mask = nb - 1;
}

void tcp_conn_hash(gt_stack *s, struct tcp_conn *c)
{
	if (s->conns > s->hash_mask + 1 && s->hash_mask + 1 < pow2_at_least(s->cfg.max_conns))
		hash_grow(s);
	uint32_t b = bucket(s, c->laddr, c->lport, c->faddr, c->fport);
	c->hnext = s->hash[b];
	s->hash[b] = c;
}

static void unhash(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_conn **pp = &s->hash[bucket(s, c->laddr, c->lport, c->faddr, c->fport)];
	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
	}
}

void tcp_prefetch(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		  uint16_t fport, int stage)
{
	struct tcp_conn *const *slot = &s->hash[bucket(s, laddr, lport, faddr, fport)];
	if (stage == 0) {
		__builtin_prefetch(slot);
		return;
	}
	const char *c = (const char *)*slot;
	if (c) {
		/* The tuple, sequence space and timers span the first lines. */
		__builtin_prefetch(c);
		__builtin_prefetch(c + 64);
		__builtin_prefetch(c + 128);
		__builtin_prefetch(c + 192);
	}
}

struct tcp_conn *tcp_lookup(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			    uint16_t fport)
{
	for (struct tcp_conn *c = s->hash[bucket(s, laddr, lport, faddr, fport)]; c; c = c->hnext)
		if (c->lport == lport && c->fport == fport && c->laddr == laddr &&
		    c->faddr == faddr)
			return c;
	return NULL;
}

/* The buffer cache: a free() and a malloc() of a 256 KiB ring each time a
 * request/response connection empties and refills a buffer cost more than
 * the segment itself (bench_latency), so emptied buffers wait here, bounded
 * by cfg.buffer_cache_bytes, for the next ring of the same capacity. */
static uint8_t *buf_cache_get(gt_stack *s, uint32_t cap)
{
	for (uint32_t i = s->buf_cache_n; i-- > 0;) {
		if (s->buf_cache[i].cap != cap)
			continue;
		uint8_t *b = s->buf_cache[i].buf;
		s->buf_cache_n--;
		s->buf_cache[i] = s->buf_cache[s->buf_cache_n];
		s->buf_cache_bytes -= cap;
		return b;
	}
	return NULL;
}

static void buf_cache_put(gt_stack *s, uint8_t *b, uint32_t cap)
{
	if (s->buf_cache_n == GT_BUF_CACHE_SLOTS ||
	    s->buf_cache_bytes + cap > s->cfg.buffer_cache_bytes) {
		free(b);
		return;
	}
	s->buf_cache[s->buf_cache_n].buf = b;
	s->buf_cache[s->buf_cache_n].cap = cap;
	s->buf_cache_n++;
	s->buf_cache_bytes += cap;
}

void tcp_buf_cache_trim(gt_stack *s, uint64_t max_bytes)
{
	while (s->buf_cache_n && s->buf_cache_bytes > max_bytes) {
		s->buf_cache_n--;
		free(s->buf_cache[s->buf_cache_n].buf);
		s->buf_cache_bytes -= s->buf_cache[s->buf_cache_n].cap;
	}
}

/* Takes r's memory away (r reads as unallocated) into the cache. */
static void ring_to_cache(gt_stack *s, struct ring *r)
{
	if (!r->buf)
		return;
	buf_cache_put(s, r->buf, r->cap);
	r->buf = NULL;
	r->head = r->len = 0;
}

static void buffers_release(gt_stack *s, struct tcp_conn *c)
{
	free(c->ooo);
	free(c->sacked);
	c->ooo = c->sacked = NULL;
	c->nooo = c->nsacked = 0;
	s->buffer_bytes -= (c->snd.buf ? (uint64_t)c->snd.cap : 0) +
			   (c->rcv.buf ? (uint64_t)c->rcv.cap : 0);
	ring_to_cache(s, &c->snd);
	ring_to_cache(s, &c->rcv);
	c->snd.cap = c->rcv.cap = 0;
}

static void listener_unlink(gt_stack *s, struct tcp_conn *c)
{
	struct gt_sock *l = c->listen_sd >= 0 ? sock_get(s, c->listen_sd) : NULL;
	if (!l || !l->listening)
		return;
	if (c->in_accept_q) {
		struct tcp_conn **pp = &l->accept_head, *prev = NULL;
		for (; *pp && *pp != c; pp = &(*pp)->qnext)
			prev = *pp;
		if (*pp) {
			*pp = c->qnext;
			if (l->accept_tail == c)
				l->accept_tail = prev;
			l->accept_len--;
		}
	} else {
		/* A half-open child (counted in syn_len until it is queued);
		 * its state already reads CLOSED when tcp_conn_free() calls. */
		l->syn_len--;
	}
	c->listen_sd = -1;
	c->in_accept_q = false;
}

void tcp_conn_free(gt_stack *s, struct tcp_conn *c, int err)
{
	if (c->state == GT_TCP_TIME_WAIT) {
		/* It lives on as a compact TIME_WAIT entry, which reports its
		 * own end (tcp_timewait.c). */
		s->conns_by_state[GT_TCP_TIME_WAIT]--;
		s->conns_by_state[GT_TCP_CLOSED]++;
		c->state = GT_TCP_CLOSED;
	} else if (c->state != GT_TCP_CLOSED) {
		tcp_set_state(s, c, GT_TCP_CLOSED, err ? "aborted" : "closed");
	}
	listener_unlink(s, c);
	unhash(s, c);
	heap_remove(&s->timers, &c->heap_idx);
	struct gt_sock *so = c->sd >= 0 ? sock_get(s, c->sd) : NULL;
	if (so && so->conn == c && !err && c->rcv.len) {
		/* RFC 9293 3.10.7.4: what we acknowledged must reach the
		 * application even though the connection is over. */
		so->rcv_left = c->rcv;
		memset(&c->rcv, 0, sizeof(c->rcv));
		s->buffer_bytes -= so->rcv_left.cap; /* counted by the socket now */
	}
	buffers_release(s, c);
	if (so && so->conn == c) {
		so->conn = NULL;
		so->conn_gone = true;
		if (err)
			so->so_error = err;
		sock_mark(s, c->sd);
	}
	s->conns_by_state[GT_TCP_CLOSED]--;
	s->conns--;
	c->in_use = false;
	c->hnext = s->conn_free;
	s->conn_free = c;
}

void tcp_set_state(gt_stack *s, struct tcp_conn *c, uint8_t st, const char *why)
{
	uint8_t old = c->state;
	if (old == st)
		return;
	bool was_estab = old == GT_TCP_ESTABLISHED || old == GT_TCP_CLOSE_WAIT;
	bool is_estab = st == GT_TCP_ESTABLISHED || st == GT_TCP_CLOSE_WAIT;
	if (was_estab && !is_estab)
		s->st.TcpCurrEstab--;
	else if (!was_estab && is_estab)
		s->st.TcpCurrEstab++;
	s->conns_by_state[old]--;
	s->conns_by_state[st]++;
	c->state = st;
	if (c->keepalive) {
		tcp_keepalive_arm(s, c);
		tcp_timers_update(s, c);
	}
	struct gt_sock *so = c->sd >= 0 ? sock_get(s, c->sd) : NULL;
	if (so)
		so->final_state = st;
	if (stack_tracing(s)) {
		struct gt_trace_event ev = {
			.type = GT_TRACE_STATE, .now_us = s->now_us,
			.laddr = c->laddr, .faddr = c->faddr, .lport = c->lport, .fport = c->fport,
			.a = old, .b = st, .reason = why,
		};
		stack_trace(s, &ev);
	}
	tcp_conn_mark(s, c);
}

void tcp_conn_mark(gt_stack *s, struct tcp_conn *c)
{
	if (c->sd >= 0)
		sock_mark(s, c->sd);
	else if (c->in_accept_q && c->listen_sd >= 0)
		sock_mark(s, c->listen_sd);
}

void tcp_timers_update(gt_stack *s, struct tcp_conn *c)
{
	uint64_t t = c->rtx_at;
	if (c->delack_at < t)
		t = c->delack_at;
	if (c->persist_at < t)
		t = c->persist_at;
	if (c->fin2_at < t)
		t = c->fin2_at;
	if (c->cork_at < t)
		t = c->cork_at;
	if (c->linger_at < t)
		t = c->linger_at;
	if (c->keep_at < t)
		t = c->keep_at;
	uint64_t cur = c->heap_idx == HEAP_NONE ? TCP_TIMER_NONE : s->timers.v[c->heap_idx].deadline_us;
	/* The entry moves only earlier: a timer stopped or pushed later
	 * leaves it where it is, and when it comes due with nothing to do
	 * (tcp_timers_run) it moves to the true earliest. Never late; at
	 * most one early wakeup, instead of a heap operation for every ACK
	 * that moves the retransmission timer. */
	if (t < cur)
		heap_set(&s->timers, c, &c->heap_idx, t);
}

int tcp_ring_reserve(gt_stack *s, struct ring *r)
{
	if (r->buf)
		return 0;
	if (s->buffer_bytes + r->cap > s->cfg.max_buffer_bytes) {
		s->st.TcpBufLimit++;
		return -ENOBUFS;
	}
	uint8_t *b = r->cap ? buf_cache_get(s, r->cap) : NULL;
	if (b) {
		r->buf = b;
		r->head = 0;
	} else if (ring_reserve(r) < 0) {
		s->st.TcpBufLimit++;
		return -ENOBUFS;
	}
	s->buffer_bytes += r->cap;
	return 0;
}

void tcp_ring_release(gt_stack *s, struct ring *r)
{
	if (!r->buf || r->len)
		return;
	s->buffer_bytes -= r->cap;
	ring_to_cache(s, r);
}

uint32_t tcp_now_ts(const gt_stack *s, const struct tcp_conn *c)
{
	/* RFC 7323 5.4: a 1 ms clock, offset per connection (RFC 7323 7.1). */
	return (uint32_t)(s->now_us / 1000) + c->ts_offset;
}

static uint8_t wscale_for(uint32_t bytes)
{
	uint8_t ws = 0;
	while (ws < 14 && (bytes >> ws) > 65535)
		ws++;
	return ws;
}

uint8_t tcp_rcv_wscale(const gt_stack *s, uint32_t rcvbuf_bytes)
{
	return s->cfg.rcv_wscale == 0xff ? wscale_for(rcvbuf_bytes) : s->cfg.rcv_wscale;
}

void tcp_conn_init(gt_stack *s, struct tcp_conn *c, const struct gt_sock *so)
{
	const struct gt_config *cfg = &s->cfg;
	/* The buffer sizes are the rings' capacities. Memory comes when data
	 * does (tcp_ring_reserve) and goes when a ring empties
	 * (tcp_ring_release): an idle connection holds none. */
	ring_init_lazy(&c->snd, so ? so->sndbuf_bytes : cfg->sndbuf_bytes);
	ring_init_lazy(&c->rcv, so ? so->rcvbuf_bytes : cfg->rcvbuf_bytes);
	c->nodelay = so && so->nodelay;
	c->cork = so && so->cork;
	c->keepalive = so && so->keepalive;
	c->noopt = so && so->noopt;
	c->fin2_timeout_ms = so && so->linger2_s ? (so->linger2_s < 0 ? -1 : so->linger2_s * 1000)
						  : (int32_t)cfg->fin_wait2_timeout_ms;
	c->rcv_wscale = tcp_rcv_wscale(s, c->rcv.cap);
	uint16_t mtu = s->dev.mtu;
	c->rcv_mss = (uint16_t)(mtu - 40);
	if (so && so->maxseg && so->maxseg < c->rcv_mss)
		c->rcv_mss = so->maxseg;
	c->mss = cfg->mss_default;
	c->rto_us = cfg->rto_initial_us;
	c->srtt_us = 0;
	c->cc = tcp_cc_by_id(so && so->cc_set ? so->cc : cfg->cc);
}

void tcp_arm_fin2(gt_stack *s, struct tcp_conn *c)
{
	/* Linux tcp_fin_timeout / TCP_LINGER2: an orphan does not wait for
	 * the peer's FIN forever; a negative TCP_LINGER2 means not at all. */
	uint64_t wait = c->fin2_timeout_ms < 0 ? 0 : (uint64_t)c->fin2_timeout_ms * 1000;
	c->fin2_at = s->now_us + wait;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_FIN_WAIT_2, tcp_trace_delay(wait), 0, NULL);
}

static const struct gt_sock *keep_sock(gt_stack *s, const struct tcp_conn *c)
{
	int sd = c->sd >= 0 ? c->sd : c->listen_sd;
	return sd >= 0 ? sock_get(s, sd) : NULL;
}

uint32_t tcp_keep_idle_s(gt_stack *s, const struct tcp_conn *c)
{
	const struct gt_sock *so = keep_sock(s, c);
	return so && so->keep_idle_s ? so->keep_idle_s : s->cfg.keepalive_idle_s;
}

uint32_t tcp_keep_intvl_s(gt_stack *s, const struct tcp_conn *c)
{
	const struct gt_sock *so = keep_sock(s, c);
	return so && so->keep_intvl_s ? so->keep_intvl_s : s->cfg.keepalive_intvl_s;
}

uint32_t tcp_keep_cnt(gt_stack *s, const struct tcp_conn *c)
{
	const struct gt_sock *so = keep_sock(s, c);
	return so && so->keep_cnt ? so->keep_cnt : s->cfg.keepalive_probes;
}

void tcp_keepalive_arm(gt_stack *s, struct tcp_conn *c)
{
	/* RFC 1122 4.2.3.6: probe an idle connection only when asked, after
	 * the idle time, then every interval; any segment from the peer
	 * restarts the count. */
	if (!c->keepalive || (c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_CLOSE_WAIT)) {
		c->keep_at = TCP_TIMER_NONE;
		return;
	}
	c->keep_probes_out = 0;
	c->keep_at = s->now_us + (uint64_t)tcp_keep_idle_s(s, c) * 1000000;
}

void tcp_enter_time_wait(gt_stack *s, struct tcp_conn *c)
{
	tcp_set_state(s, c, GT_TCP_TIME_WAIT, "2MSL wait");
	s->st.TW++;
	if (tw_add(s, c) < 0) {
		/* The table is full: the connection closes at once, without
		 * TIME_WAIT protection; counted, never silent (as Linux's
		 * TCPTimeWaitOverflow). */
		s->st.TWOverflow++;
	}
	tcp_conn_free(s, c, 0);
}

void tcp_foreach(gt_stack *s, void (*fn)(gt_stack *s, struct tcp_conn *c, void *ctx), void *ctx)
{
	for (uint32_t i = 0; i < s->nslabs; i++)
		for (uint32_t j = 0; j < SLAB_CONNS; j++)
			if (s->slabs[i][j].in_use)
				fn(s, &s->slabs[i][j], ctx);
}

void tcp_fill_info(const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	uint32_t unacked = c->snd_max - c->snd_una;
	ti->state = c->state;
	ti->snd_wscale = c->snd_wscale;
	ti->rcv_wscale = c->rcv_wscale;
	ti->ts_ok = c->ts_ok;
	ti->sack_ok = c->sack_ok;
	ti->snd_mss = c->mss;
	ti->rcv_mss = c->rcv_mss;
	ti->rto_us = c->rto_us;
	ti->srtt_us = c->srtt_us;
	ti->rttvar_us = c->rttvar_us;
	ti->min_rtt_us = c->min_rtt_us;
	ti->snd_cwnd_bytes = c->cwnd;
	ti->snd_ssthresh_bytes = c->ssthresh;
	ti->snd_wnd_bytes = c->snd_wnd;
	ti->rcv_wnd_bytes = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	ti->unacked_bytes = unacked;
	ti->notsent_bytes = c->snd.len > unacked ? c->snd.len - unacked : 0;
	ti->rcv_queued_bytes = c->rcv.len;
	ti->backoff = c->backoff;
	ti->bytes_sent = c->cnt.bytes_sent;
	ti->bytes_acked = c->cnt.bytes_acked;
	ti->bytes_received = c->cnt.bytes_received;
	ti->segs_out = c->cnt.segs_out;
	ti->segs_in = c->cnt.segs_in;
	ti->retrans_segs = c->cnt.retrans_segs;
	ti->fast_retrans = c->cnt.fast_retrans;
	ti->rto_expiries = c->cnt.rto_expiries;
	ti->dupacks_in = c->cnt.dupacks_in;
	ti->sacks_in = c->cnt.sacks_in;
	ti->ooo_segs_in = c->cnt.ooo_segs_in;
}

void tcp_check(const struct tcp_conn *c)
{
#ifndef NDEBUG
	assert(seq_le(c->snd_una, c->snd_nxt));
	assert(seq_le(c->snd_nxt, c->snd_max));
	assert(c->snd.len <= c->snd.cap);
	assert(c->rcv.len <= c->rcv.cap);
	for (uint8_t i = 0; i < c->nooo; i++) {
		assert(seq_gt(c->ooo[i].left, c->rcv_nxt));
		assert(seq_lt(c->ooo[i].left, c->ooo[i].right));
		if (i)
			assert(seq_gt(c->ooo[i].left, c->ooo[i - 1].right));
	}
#else
	(void)c;
#endif
}
