/* The whole-stack invariant checker: in every build, Release included,
 * after every input and poll of the dialogue tests, every simulator event of
 * the swarm and every step of the fuzzers. Per TCB: RFC 9293 3.3.1 sequence variables in
 * order, buffers that match sequence space, out-of-order ranges inside the
 * window, FIN flags that match the state (RFC 9293 3.3.2 diagram), one heap
 * entry at the earliest armed timer, a retransmission timer whenever
 * something is unacknowledged (RFC 6298 5.1) unless the persist timer owns
 * the connection, and never a heap entry later than the earliest timer. Per
 * stack: counters, sockets, listeners and buffer bytes agree with the TCBs;
 * freed TCBs hold nothing; no internal error was recorded (tcp_bug). */
#include <stdarg.h>
#include <stdio.h>

#include "tcp/tcp.h"
#include "tcp/tcp_check.h"

struct check_ctx {
	bool ok;
	char *why;
	size_t why_len;
	uint32_t conns, armed, orphans;
	uint32_t by_state[GT_TCP_NSTATES];
	uint64_t buffer_bytes;
	/* Half-open TCBs per listener, counted in the same pass as the TCBs
	 * (one pass per listener made the checker a fifth of a swarm seed's
	 * time); listeners past the array are counted apart. */
	uint32_t syn[32];
};

static void fail(struct check_ctx *k, const struct tcp_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct check_ctx *k, const struct tcp_conn *c, const char *fmt, ...)
{
	if (!k->ok)
		return;
	k->ok = false;
	int n = 0;
	if (c)
		n = snprintf(k->why, k->why_len, "conn :%u->:%u %s: ", c->lport, c->fport,
			     gt_tcp_state_name(c->state));
	if (n < 0 || (size_t)n >= k->why_len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->why + n, k->why_len - (size_t)n, fmt, ap);
	va_end(ap);
}

#define CHECK(k, c, cond, ...)                                                 \
	do {                                                                   \
		if (!(cond))                                                   \
			fail(k, c, "!(" #cond ") " __VA_ARGS__);               \
	} while (0)

static void check_seq(struct check_ctx *k, const struct tcp_conn *c)
{
	CHECK(k, c, seq_le(c->snd_una, c->snd_nxt), "una %u nxt %u", c->snd_una, c->snd_nxt);
	CHECK(k, c, seq_le(c->snd_nxt, c->snd_max), "nxt %u max %u", c->snd_nxt, c->snd_max);
	CHECK(k, c, c->snd.len <= c->snd.cap, "snd %u/%u", c->snd.len, c->snd.cap);
	/* The send ring grows past SO_SNDBUF only while it holds memory, by
	 * at most one Linux size goal (tcp_lx_ring_fit()), and a third of
	 * itself more while autotuning grows SO_SNDBUF (lx_sndbuf_expand()
	 * grows it by half, not by every ACK's step); SO_SNDBUF lowered
	 * under what it holds leaves more (tcp_user_set_buffer()), and the
	 * tail skb's room a write then fills (tcp_lx_ring_fit()). */
	CHECK(k, c, (c->snd.over <= TCP_LX_GOAL_MAX + c->snd.cap / 3 || c->sndbuf_locked) &&
		    c->snd.over <= c->snd.cap &&
		    (!c->snd.over || c->snd.buf), "snd over %u cap %u", c->snd.over, c->snd.cap);
	CHECK(k, c, c->rcv.len <= c->rcv.cap, "rcv %u/%u", c->rcv.len, c->rcv.cap);
	bool syn_state = c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED;
	uint32_t space = c->snd.len + (c->fin_sent ? 1u : 0u) + (syn_state ? 1u : 0u);
	CHECK(k, c, c->snd_max - c->snd_una <= space, "max-una %u > len %u + fin %d",
	      c->snd_max - c->snd_una, c->snd.len, c->fin_sent);
	/* A TFO child's write moves SND.UNA past the SYN-ACK (tcp_tfo_wrote()),
	 * an active open's Fast Open SYN data past its SYN (tcp_tfo_syn_data()). */
	if (syn_state && !tcp_tfo_wrote(c) && !tcp_tfo_syn_data(c))
		CHECK(k, c, c->snd_una == c->iss && c->snd.len == 0, "una %u iss %u snd %u",
		      c->snd_una, c->iss, c->snd.len);
	if (c->fin_sent) {
		CHECK(k, c, c->fin_queued, "FIN sent, not queued");
		CHECK(k, c, tcp_fin_seq(c) == c->snd_una + c->snd.len ||
			    (c->snd_una == tcp_fin_seq(c) + 1 && c->snd.len == 0),
		      "fin_seq %u una %u snd %u", tcp_fin_seq(c), c->snd_una, c->snd.len);
	}
	/* Ring memory comes with data and goes when a ring empties; the
	 * capacities are the buffer sizes either way. */
	CHECK(k, c, c->snd.buf || c->snd.len == 0, "snd holds %u bytes, no memory", c->snd.len);
	CHECK(k, c, c->rcv.buf || (c->rcv.len == 0 && c->nooo == 0), "rcv holds %u bytes, %u ranges, "
	      "no memory", c->rcv.len, c->nooo);
}

static void check_rcv(gt_stack *s, struct check_ctx *k, const struct tcp_conn *c)
{
	uint32_t room = c->rcv.cap - c->rcv.len;
	CHECK(k, c, c->nooo <= tcp_reass_bound(s, c), "nooo %u bound %u", c->nooo,
	      tcp_reass_bound(s, c));
	for (uint16_t i = 0; i < c->nooo; i++) {
		const struct tcp_range *r = &c->ooo[i];
		/* FreeBSD's simultaneous open holds data at RCV.NXT until the
		 * handshake ACK (cfg.synrcvd_simopen_bsd, simopen_hold_bsd();
		 * tcp_conn_assert() allows the same): the first range only, in
		 * that state only (fuzz.short found the checker without it). */
		bool held_at_nxt = i == 0 && r->left == c->rcv_nxt && s->cfg.synrcvd_simopen_bsd &&
				   c->state == GT_TCP_SYN_RECEIVED && !c->passive;
		CHECK(k, c, seq_gt(r->left, c->rcv_nxt) || held_at_nxt, "ooo[%u].left %u rcv_nxt %u", i,
		      r->left, c->rcv_nxt);
		CHECK(k, c, seq_lt(r->left, r->right), "ooo[%u] [%u,%u)", i, r->left, r->right);
		CHECK(k, c, r->right - c->rcv_nxt <= room, "ooo[%u].right %u beyond ring (nxt %u room %u)",
		      i, r->right, c->rcv_nxt, room);
		if (i)
			CHECK(k, c, seq_gt(r->left, c->ooo[i - 1].right), "ooo[%u] not sorted", i);
	}
	/* Not the current tcp_sack_limit(): it falls with the ring (swarm
	 * seed 14002599: 28 ranges of small segments, gathered while the send
	 * ring was 262,144 bytes, limit 110; the ring was 36,434, limit 17,
	 * when the old check tripped). */
	CHECK(k, c, c->nsacked <= tcp_sack_room(c) && tcp_sack_room(c) <= TCP_MAX_SACKED,
	      "nsacked %u allocated %u", c->nsacked, tcp_sack_room(c));
	/* The scoreboard: what the peer SACKed above SND.UNA and no more. */
	for (uint16_t i = 0; i < c->nsacked; i++) {
		const struct tcp_range *r = &c->sacked[i];
		CHECK(k, c, seq_lt(r->left, r->right) && seq_ge(r->left, c->snd_una) &&
			    seq_le(r->right, c->snd_max),
		      "sacked[%u] [%u,%u) outside (una %u, max %u]", i, r->left, r->right,
		      c->snd_una, c->snd_max);
		if (i)
			CHECK(k, c, seq_gt(r->left, c->sacked[i - 1].right), "sacked[%u] not sorted", i);
	}
	/* The bytes kept with the scoreboard (tcp_sack_bytes_above(), FreeBSD's
	 * pipe and sack_bytes_rexmit read them) are its ranges' sum. */
	CHECK(k, c, tcp_sack_bytes_kept(c) == tcp_sack_bytes(c), "SACKed bytes kept %u, ranges %u",
	      tcp_sack_bytes_kept(c), tcp_sack_bytes(c));
	if (c->syn_data_len)
		CHECK(k, c, c->state == GT_TCP_SYN_RECEIVED, "SYN text held");
}

static void check_state(const gt_stack *s, struct check_ctx *k, const struct tcp_conn *c)
{
	uint8_t st = c->state;
	CHECK(k, c, st >= GT_TCP_SYN_SENT && st <= GT_TCP_LAST_ACK, "state %u in a TCB", st);
	bool fin_rcvd_state = st == GT_TCP_CLOSE_WAIT || st == GT_TCP_CLOSING || st == GT_TCP_LAST_ACK;
	CHECK(k, c, c->fin_rcvd == fin_rcvd_state, "fin_rcvd %d", c->fin_rcvd);
	bool fin_q_state = st == GT_TCP_FIN_WAIT_1 || st == GT_TCP_FIN_WAIT_2 ||
			   st == GT_TCP_CLOSING || st == GT_TCP_LAST_ACK;
	/* shutdown(SHUT_WR) in SYN_RECEIVED (cfg.shut_wr_synrcvd_defer, as
	 * Linux's tcp_shutdown()) queues the FIN and sends nothing: the
	 * handshake's ACK sends it. Queued there, never sent there. So does
	 * close() of a FreeBSD TFO child (tcp_usrclosed(): TF_NEEDFIN). */
	bool fin_deferred = st == GT_TCP_SYN_RECEIVED &&
			    (s->cfg.shut_wr_synrcvd_defer || s->cfg.shut_wr_synsent_needfin ||
			     (s->cfg.fastopen_bsd && tcp_tfo_child(c))) &&
			    !c->fin_sent;
	/* And shutdown(SHUT_WR) in SYN_SENT under cfg.shut_wr_synsent_needfin
	 * (FreeBSD's TF_NEEDFIN), kept if a crossing SYN comes first. */
	if (st == GT_TCP_SYN_SENT && s->cfg.shut_wr_synsent_needfin && !c->fin_sent)
		fin_deferred = true;
	CHECK(k, c, c->fin_queued == fin_q_state || (c->fin_queued && fin_deferred),
	      "fin_queued %d", c->fin_queued);
	if (st == GT_TCP_FIN_WAIT_2)
		CHECK(k, c, tcp_fin_acked(c), "FIN not acknowledged");
	if (st == GT_TCP_FIN_WAIT_1 || st == GT_TCP_CLOSING || st == GT_TCP_LAST_ACK)
		CHECK(k, c, !tcp_fin_acked(c), "FIN acknowledged");
	/* RFC 3168: ECE and CWR belong to a connection that agreed on ECN
	 * (CWR may be queued by a SYN timeout before the SYN-ACK tells), and
	 * the end of the reduced window was sent. */
	CHECK(k, c, c->ecn_ok || !c->ecn_ece, "ECE owed without ECN");
	CHECK(k, c, c->ecn_ok || !c->ace_ok, "AccECN without ECN");
	CHECK(k, c, !c->ace_ok || (!c->ecn_ece && !c->ecn_cwr), "RFC 3168 ECE or CWR owed with AccECN");
	CHECK(k, c, c->ecn_ok || !c->ecn_cwr || st == GT_TCP_SYN_SENT, "CWR owed without ECN");
	if (c->ecn_ok)
		CHECK(k, c, seq_le(c->ecn_recover, c->snd_max), "ecn_recover %u snd_max %u",
		      c->ecn_recover, c->snd_max);
}

/* The congestion window is never empty and the slow start threshold
 * never below two segments (RFC 5681 3.1, equation (4), and 3.2 step 2;
 * Linux's ssthresh functions return at least 2 and tcp_snd_cwnd_set()
 * warns at 0; FreeBSD's newreno_cong_signal() keeps 2 * maxseg), once
 * the handshake gave an MSS. cwnd counts bytes: the Linux profile's PRR
 * sets it to the bytes in flight plus sndcnt segments (Linux's packets),
 * under one MSS where segments are small (swarm seed 89506266, MTU 296,
 * 116 bytes), so a byte is the floor. With 0, nothing is sent again
 * (that seed: an F-RTO undo to ssthresh 0, then cwnd 0). */
static void check_cc(struct check_ctx *k, const struct tcp_conn *c)
{
	if (!c->mss || c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED)
		return;
	CHECK(k, c, c->cwnd > 0, "cwnd %u mss %u", c->cwnd, c->mss);
	/* FreeBSD's CUBIC sets ssthresh on a timeout with no floor
	 * (cubic_cong_signal(CC_RTO): cwnd * 179 >> 8, 1,020 bytes after a
	 * second one at cwnd 1,460); every other rule keeps two segments. */
	CHECK(k, c, c->ssthresh >= 2 * c->mss || c->cc == &tcp_cc_cubic_bsd, "ssthresh %u mss %u",
	      c->ssthresh, c->mss);
}

static void check_timers(gt_stack *s, struct check_ctx *k, const struct tcp_conn *c)
{
	uint64_t min = tcp_timers_min(c);
	/* The heap entry may be early (a timer stopped without moving it:
	 * the entry then fires for nothing and moves), never late. */
	if (c->heap_idx != HEAP_NONE)
		k->armed++;
	if (min != TCP_TIMER_NONE)
		CHECK(k, c, c->heap_idx < s->timers.len, "timer armed, not in the heap");
	if (c->heap_idx != HEAP_NONE && c->heap_idx < s->timers.len) {
		const struct heap_entry *e = &s->timers.v[c->heap_idx];
		CHECK(k, c, e->owner == c && e->deadline_us <= min,
		      "heap deadline %llu, earliest timer %llu",
		      (unsigned long long)e->deadline_us, (unsigned long long)min);
	}
	/* RFC 6298 5.1: something unacknowledged keeps the retransmission
	 * timer running, unless the persist timer probes a zero window. */
	bool outstanding = c->snd_una != c->snd_max || tcp_tfo_syn_data(c); /* its SYN, before the data */
	if (outstanding && !c->persist)
		CHECK(k, c, c->rtx_at != TCP_TIMER_NONE, "una %u max %u, no rtx timer",
		      c->snd_una, c->snd_max);
	if (c->rtx_at != TCP_TIMER_NONE)
		CHECK(k, c, outstanding, "rtx timer with nothing outstanding");
	if (c->persist)
		CHECK(k, c, c->persist_at != TCP_TIMER_NONE && c->rtx_at == TCP_TIMER_NONE,
		      "persist without its timer, or with rtx");
	const char *rack = tcp_rack_check(c);
	CHECK(k, c, !rack, "%s (una %u max %u)", rack ? rack : "", c->snd_una, c->snd_max);
	if (c->fin2_at != TCP_TIMER_NONE)
		CHECK(k, c, c->state == GT_TCP_FIN_WAIT_2, "FIN_WAIT_2 timer");
	if (c->keep_at != TCP_TIMER_NONE)
		CHECK(k, c,
		      tcp_keepalive_timer_on(s, c) && tcp_keepalive_state(s, c->state) &&
			      !(c->state == GT_TCP_FIN_WAIT_2 && tcp_is_orphan(c)),
		      "keepalive timer");
	if (c->linger_at != TCP_TIMER_NONE) {
		const struct gt_sock *so = c->owner >= 0 ? sock_get(s, c->owner) : NULL;
		CHECK(k, c, so && so->closing, "linger timer without a lingering close()");
	}
}

static void check_owner(gt_stack *s, struct check_ctx *k, struct tcp_conn *c)
{
	CHECK(k, c, tcp_lookup(s, c->laddr, c->lport, c->faddr, c->fport) == c, "not hashed");
	CHECK(k, c, !tw_exists(s, c->laddr, c->lport, c->faddr, c->fport), "also in TIME_WAIT");
	if (c->owner >= 0) {
		const struct gt_sock *so = sock_get(s, c->owner);
		CHECK(k, c, so && so->conn == c, "socket %d does not point back", c->owner);
		CHECK(k, c, !c->in_accept_q && c->lh < 0, "owned and its listener's");
	}
	if (c->in_accept_q)
		CHECK(k, c, c->lh >= 0, "queued for no listener");

	if (c->lh >= 0) {
		const struct tcp_listener *l = tcp_listener_get(s, c->lh);
		CHECK(k, c, l != NULL, "listener %d gone", c->lh);
		if (!c->in_accept_q)
			CHECK(k, c, c->state == GT_TCP_SYN_RECEIVED, "a listener's half-open child");
		if (l) {
			const struct gt_sock *so = sock_get(s, l->owner);
			CHECK(k, c, so && so->listening && so->lh == c->lh,
			      "listener %d has no listening socket", c->lh);
		}
	}
}

static void check_conn(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	struct check_ctx *k = ctx;
	k->conns++;
	k->orphans += tcp_is_orphan(c); /* tcp_conn_orphan() counted it */
	if (c->state < GT_TCP_NSTATES)
		k->by_state[c->state]++;
	if (c->lh >= 0 && (size_t)c->lh < sizeof(k->syn) / sizeof(k->syn[0]) && !c->in_accept_q)
		k->syn[c->lh]++; /* count_syn()'s rule */
	k->buffer_bytes += (c->snd.buf ? (uint64_t)c->snd.cap : 0) +
			   (c->rcv.buf ? (uint64_t)c->rcv.cap : 0);
	if (tcp_accept_gone(c)) {
		/* cfg.accept_keeps_reset: ended, waiting in its queue. */
		CHECK(k, c, c->state == GT_TCP_CLOSED && c->in_accept_q && c->owner < 0 &&
			    c->rtx_at == TCP_TIMER_NONE && c->err,
		      "an ended child out of its accept queue");
		CHECK(k, c, tcp_lookup(s, c->laddr, c->lport, c->faddr, c->fport) != c, "ended and hashed");
		return;
	}
	check_seq(k, c);
	check_rcv(s, k, c);
	check_state(s, k, c);
	check_cc(k, c);
	check_timers(s, k, c);
	check_owner(s, k, c);
	/* An ACK held for an input batch's end was sent at that end. */
	CHECK(k, c, !c->ack_deferred && !c->ack_defer_listed, "an ACK still held after the batch");
}

struct syn_count {
	int lh;
	uint32_t n;
};

static void count_syn(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	struct syn_count *sc = ctx;
	(void)s;
	if (c->lh == sc->lh && !c->in_accept_q)
		sc->n++;
}

static void check_listeners(gt_stack *s, struct check_ctx *k)
{
	for (uint32_t lh = 0; lh < s->listeners_cap; lh++) {
		const struct tcp_listener *l = &s->listeners[lh];
		if (!l->in_use)
			continue;
		const struct gt_sock *so = sock_get(s, l->owner);
		CHECK(k, NULL, so && so->listening && so->lh == (int)lh,
		      "listener %u: owner %d does not point back", lh, l->owner);
		uint32_t n = 0;
		for (const struct tcp_conn *c = l->accept_head; c && n <= l->accept_len; c = c->qnext) {
			CHECK(k, c, c->in_accept_q && c->lh == (int)lh && !c->dead,
			      "in queue of listener %u", lh);
			n++;
		}
		CHECK(k, NULL, n == l->accept_len, "listener %u: queue %u, accept_len %u", lh, n,
		      l->accept_len);
		struct syn_count sc = {(int)lh, 0};
		if (lh < sizeof(k->syn) / sizeof(k->syn[0]))
			sc.n = k->syn[lh];
		else
			tcp_foreach(s, count_syn, &sc);
		CHECK(k, NULL, sc.n == l->syn_len, "listener %u: %u half-open, syn_len %u", lh, sc.n,
		      l->syn_len);
	}
}

static void check_sockets(gt_stack *s, struct check_ctx *k)
{
	uint32_t nsocks = 0;
	for (uint32_t sd = 0; sd < s->socks_cap; sd++) {
		const struct gt_sock *so = &s->socks[sd];
		if (!so->in_use)
			continue;
		nsocks++;
		if (so->conn) {
			CHECK(k, so->conn, so->conn->in_use && !so->conn->dead &&
					     so->conn->owner == (int)sd,
			      "socket %u points at a TCB that is not its own", sd);
		}
		if (so->listening)
			CHECK(k, NULL, tcp_listener_get(s, so->lh) &&
					       s->listeners[so->lh].owner == (int)sd,
			      "socket %u listens on no listener of its own", sd);
	}
	CHECK(k, NULL, nsocks == s->nsocks, "sockets in use %u, nsocks %u", nsocks, s->nsocks);
}

static void check_dead(gt_stack *s, struct check_ctx *k)
{
	/* Between entry points no freed TCB waits to be recycled; a dead
	 * one holds nothing. */
	for (const struct tcp_conn *c = s->dead; c; c = c->hnext)
		CHECK(k, c, c->heap_idx == HEAP_NONE && c->owner < 0 && c->lh < 0,
		      "a freed TCB still holds a timer, an owner or a listener");
}

/* The cache of emptied buffers (tcp_buf.c): its count is its contents,
 * its entries in emptying order (expiry frees from the bottom), within
 * its bound (tcp_buf_cache_bound()). */
static void check_buf_cache(gt_stack *s, struct check_ctx *k)
{
	uint64_t bytes = 0, bound = tcp_buf_cache_bound(s);
	for (uint32_t i = 0; i < s->buf_cache_n; i++) {
		bytes += s->buf_cache[i].cap;
		CHECK(k, NULL, !i || s->buf_cache[i - 1].put_us <= s->buf_cache[i].put_us,
		      "buffer cache entry %u emptied before the one under it", i);
	}
	CHECK(k, NULL, bytes == s->buf_cache_bytes, "buffer cache holds %llu, counted %llu",
	      (unsigned long long)bytes, (unsigned long long)s->buf_cache_bytes);
	CHECK(k, NULL, bytes <= bound, "buffer cache holds %llu over its bound %llu",
	      (unsigned long long)bytes, (unsigned long long)bound);
}

bool tcp_check_all(gt_stack *s, char *why, size_t why_len)
{
	/* Not on any hot path (the dialogue tests, the swarm and the fuzzers
	 * call it): it runs in every build, Release included. */
	struct check_ctx k = {.ok = true, .why = why, .why_len = why_len};
	if (why_len)
		why[0] = '\0';
	tcp_foreach(s, check_conn, &k);
	CHECK(&k, NULL, k.conns == s->conns, "TCBs in use %u, conns %u", k.conns, s->conns);
	CHECK(&k, NULL, k.orphans == s->orphans, "orphaned TCBs %u, orphans %u", k.orphans,
	      s->orphans);
	for (int st = 0; st < GT_TCP_NSTATES; st++)
		CHECK(&k, NULL, k.by_state[st] == s->conns_by_state[st],
		      "state %s: %u TCBs, counted %u", gt_tcp_state_name(st), k.by_state[st],
		      s->conns_by_state[st]);
	CHECK(&k, NULL, k.buffer_bytes == s->buffer_bytes, "buffers %llu, counted %llu",
	      (unsigned long long)k.buffer_bytes, (unsigned long long)s->buffer_bytes);
	CHECK(&k, NULL, k.armed == s->timers.len, "TCBs in the heap %u, heap entries %u", k.armed,
	      s->timers.len);
	check_sockets(s, &k);
	check_buf_cache(s, &k);
	check_listeners(s, &k);
	check_dead(s, &k);
	CHECK(&k, NULL, !s->in_batch && s->nack_defer == 0, "input batch not ended: %u ACKs held",
	      s->nack_defer);
	CHECK(&k, NULL, s->bugs == 0, "%u internal error(s), the first: %s", s->bugs, s->bug_why);
	return k.ok;
}

bool tcp_check_has_tuple6(gt_stack *s, const struct gt_in6_addr *laddr, uint16_t lport,
			  const struct gt_in6_addr *faddr, uint16_t fport)
{
	return tcp_lookup(s, *laddr, lport, *faddr, fport) ||
	       tw_exists(s, *laddr, lport, *faddr, fport);
}

int tcp_check_tuple_state6(gt_stack *s, const struct gt_in6_addr *laddr, uint16_t lport,
			   const struct gt_in6_addr *faddr, uint16_t fport)
{
	const struct tcp_conn *c = tcp_lookup(s, *laddr, lport, *faddr, fport);
	if (c)
		return (int)c->state;
	return tw_exists(s, *laddr, lport, *faddr, fport) ? (int)GT_TCP_TIME_WAIT : -1;
}

bool tcp_check_has_tuple(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			 uint16_t fport)
{
	ip_addr l = ip_addr_v4(laddr), f = ip_addr_v4(faddr);
	return tcp_check_has_tuple6(s, &l, lport, &f, fport);
}
