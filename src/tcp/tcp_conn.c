/* The connection table and a TCB's lifetime: TCBs in slabs with a free
 * list (no allocation per packet), an O(1) 4-tuple hash, each TCB's one
 * entry in the stack's timer heap, and the deferred free: tcp_conn_free()
 * ends a connection at once, tcp_reap() recycles its memory when the
 * stack's entry point returns (see tcp.h). The slabs, the hash and the
 * heap grow with the connections and give their memory back when the
 * load goes (table_trim), with hysteresis so that a load that comes and
 * goes does not allocate and free at every turn. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

#define SLAB_CONNS 256u
#define HEAP_MIN 64u /* the timer heap's first size (gt_stack_new) */

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;
	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

/* The hash's smallest size, where it starts. */
static uint32_t hash_min_buckets(const gt_stack *s)
{
	return pow2_at_least(s->cfg.max_conns < 1024 ? s->cfg.max_conns : 1024);
}

int tcp_table_init(gt_stack *s)
{
	/* The hash starts small and doubles with the connections (about one
	 * bucket per connection), up to max_conns: lookups stay O(1). */
	uint32_t nb = hash_min_buckets(s);
	s->hash = calloc(nb, sizeof(*s->hash));
	if (!s->hash)
		return -ENOMEM;
	s->hash_mask = nb - 1;
	s->trim_conns = UINT32_MAX;
	uint32_t nslabs = (s->cfg.max_conns + SLAB_CONNS - 1) / SLAB_CONNS;
	s->slabs = calloc(nslabs, sizeof(*s->slabs));
	s->slab_hw = calloc(nslabs, sizeof(*s->slab_hw));
	return s->slabs && s->slab_hw ? 0 : -ENOMEM;
}

void tcp_table_fini(gt_stack *s)
{
	if (s->slabs) {
		for (uint32_t i = 0; i < s->nslabs; i++) {
			for (uint32_t j = 0; j < s->slab_hw[i]; j++) {
				struct tcp_conn *c = &s->slabs[i][j];
				if (c->in_use) { /* dead ones gave theirs back */
					ring_free(&c->snd);
					ring_free(&c->rcv);
					tcp_reass_free(c);
					tcp_sack_free(c);
					tcp_rack_free(c);
					tcp_psh_free(c);
					tcp_cc_cubic_release(c);
				}
			}
			free(s->slabs[i]);
		}
	}
	free(s->slabs);
	free(s->slab_hw);
	free(s->hash);
	s->slabs = NULL;
	s->slab_hw = NULL;
	s->hash = NULL;
}

/* Raises the high-water mark of c's slab to cover it. The slab of the
 * last TCB handed out is nearly always c's: the others are looked at only
 * when it is not. */
static void slab_mark(gt_stack *s, const struct tcp_conn *c)
{
	uint32_t i = s->slab_last;
	if (i >= s->nslabs || c < s->slabs[i] || c >= s->slabs[i] + SLAB_CONNS)
		for (i = s->nslabs; i-- > 0;)
			if (c >= s->slabs[i] && c < s->slabs[i] + SLAB_CONNS)
				break;
	if (i >= s->nslabs) {
		tcp_bug(s, c, "a free TCB in no slab");
		return;
	}
	s->slab_last = i;
	uint32_t j = (uint32_t)(c - s->slabs[i]);
	if (j >= s->slab_hw[i])
		s->slab_hw[i] = (uint16_t)(j + 1);
}

struct tcp_conn *tcp_conn_alloc(gt_stack *s)
{
	if (s->conns >= s->cfg.max_conns) {
		s->st.TcpConnLimit++;
		return NULL;
	}
	/* Room in the timer heap for every TCB, taken now: arming a timer
	 * later can then never fail for want of memory. */
	if (heap_reserve(&s->timers, s->conns + 1) < 0) {
		s->st.TcpConnLimit++;
		return NULL;
	}
	if (!s->conn_free) {
		struct tcp_conn *slab = calloc(SLAB_CONNS, sizeof(*slab));
		if (!slab) {
			s->st.TcpConnLimit++;
			return NULL;
		}
		s->slab_hw[s->nslabs] = 0;
		s->slabs[s->nslabs++] = slab;
		s->trim_conns = UINT32_MAX; /* a new peak: trim again when it goes */
		for (uint32_t j = SLAB_CONNS; j-- > 0;) {
			slab[j].hnext = s->conn_free;
			s->conn_free = &slab[j];
		}
	}
	struct tcp_conn *c = s->conn_free;
	s->conn_free = c->hnext;
	slab_mark(s, c);
	memset(c, 0, sizeof(*c));
	c->in_use = true;
	c->owner = -1;
	c->lh = -1;
	c->heap_idx = HEAP_NONE;
	c->rtx_at = c->delack_at = c->persist_at = c->fin2_at = TCP_TIMER_NONE;
	c->cork_at = c->linger_at = c->keep_at = TCP_TIMER_NONE;
	c->open_us = s->now_us;
	s->conns++;
	if (s->conns > s->conns_peak)
		s->conns_peak = s->conns;
	s->conns_by_state[GT_TCP_CLOSED]++;
	return c;
}

static uint32_t bucket(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport)
{
	return tcp_hash_tuple(s->hash_key, laddr, lport, faddr, fport) & s->hash_mask;
}

/* A bucket array of nb (a power of two) with every connection re-chained;
 * on failure the table just stays as it is (longer chains, or more
 * memory, still correct). */
static void hash_resize(gt_stack *s, uint32_t nb)
{
	struct tcp_conn **nh = calloc(nb, sizeof(*nh));
	if (!nh)
		return;
	for (uint32_t b = 0; b <= s->hash_mask; b++) {
		struct tcp_conn *c = s->hash[b];
		while (c) {
			struct tcp_conn *next = c->hnext;
			uint32_t nbk = tcp_hash_tuple(s->hash_key, c->laddr, c->lport, c->faddr, c->fport) &
				       (nb - 1);
			c->hnext = nh[nbk];
			nh[nbk] = c;
			c = next;
		}
	}
	free(s->hash);
	s->hash = nh;
	s->hash_mask = nb - 1;
	s->hash_last = NULL;
}

void tcp_conn_hash(gt_stack *s, struct tcp_conn *c)
{
	if (s->conns > s->hash_mask + 1 && s->hash_mask + 1 < pow2_at_least(s->cfg.max_conns))
		hash_resize(s, (s->hash_mask + 1) * 2);
	uint32_t b = bucket(s, c->laddr, c->lport, c->faddr, c->fport);
	c->hnext = s->hash[b];
	s->hash[b] = c;
	s->hash_last = NULL; /* it may now be the first of its tuple */
}

static void unhash(gt_stack *s, struct tcp_conn *c)
{
	s->hash_last = NULL;
	struct tcp_conn **pp = &s->hash[bucket(s, c->laddr, c->lport, c->faddr, c->fport)];
	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
	}
}

void tcp_prefetch(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
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

struct tcp_conn *tcp_lookup(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			    uint16_t fport)
{
	/* The last answer again, without the hash: 3% of `glasstcp get`'s
	 * instructions went to hashing each segment's tuple
	 * (docs/receiving.md). */
	struct tcp_conn *c = s->hash_last;
	if (c && c->lport == lport && c->fport == fport && ip_addr_eq(c->faddr, faddr) &&
	    ip_addr_eq(c->laddr, laddr))
		return c;
	for (c = s->hash[bucket(s, laddr, lport, faddr, fport)]; c; c = c->hnext)
		if (c->lport == lport && c->fport == fport && ip_addr_eq(c->faddr, faddr) &&
		    ip_addr_eq(c->laddr, laddr)) {
			s->hash_last = c;
			return c;
		}
	return NULL;
}

void tcp_bug(gt_stack *s, const struct tcp_conn *c, const char *what)
{
	if (!s->bugs++) {
		if (c)
			snprintf(s->bug_why, sizeof(s->bug_why), "conn :%u->:%u %s: %s", c->lport,
				 c->fport, gt_tcp_state_name(c->state), what);
		else
			snprintf(s->bug_why, sizeof(s->bug_why), "%s", what);
	}
#ifndef NDEBUG
	fprintf(stderr, "glasstcp: internal error: %s\n", what);
#endif
}

static void timers_clear(gt_stack *s, struct tcp_conn *c)
{
	c->rtx_at = c->delack_at = c->persist_at = c->fin2_at = TCP_TIMER_NONE;
	c->cork_at = c->linger_at = c->keep_at = TCP_TIMER_NONE;
	c->persist = false;
	heap_remove(&s->timers, &c->heap_idx);
}

/* The end of a connection as the network sees it: CLOSED, out of the
 * lookup, no timer. */
static void conn_end(gt_stack *s, struct tcp_conn *c, int err)
{
	tcp_fastopen_child_done(s, c); /* reqsk_fastopen_remove() */
	if (c->state != GT_TCP_CLOSED)
		tcp_set_state(s, c, GT_TCP_CLOSED, err ? "aborted" : "closed");
	/* Late duplicates of its cookie ACK build nothing: glasstcp's own
	 * rule (cfg.syncookie_end_on_rst), neither Linux's nor FreeBSD's. */
	if (c->from_cookie && s->cfg.syncookie_end_on_rst)
		tcp_syncookie_end(s, c->laddr, c->lport, c->faddr, c->fport, c->rcv_nxt, c->iss + 1);
	if (s->tun_n)
		tcp_tun_set(s, c->laddr, c->lport, c->faddr, c->fport, 0);
	unhash(s, c);
	/* Every timer dies with the connection: nothing may fire on it, and
	 * nothing may put it back in the heap (tcp_timers_update ignores a
	 * dead TCB). */
	timers_clear(s, c);
}

static void conn_release(gt_stack *s, struct tcp_conn *c, int err, bool ended);

void tcp_conn_free(gt_stack *s, struct tcp_conn *c, int err)
{
	conn_release(s, c, err, tcp_accept_gone(c));
}

void tcp_conn_free_ended(gt_stack *s, struct tcp_conn *c, int err)
{
	conn_release(s, c, err, true);
}

static void conn_release(gt_stack *s, struct tcp_conn *c, int err, bool ended)
{
	if (c->dead || !c->in_use) {
		tcp_bug(s, c, "TCB freed twice");
		return;
	}
	if (s->cfg.accept_keeps_reset && c->in_accept_q && c->owner < 0 && err && !ended) {
		/* Linux's tcp_done() on a child not yet accepted: it stays in
		 * the accept queue, counted in sk_ack_backlog, and
		 * inet_csk_accept() returns it with sk_err set
		 * (tcp_user_accept(), tcp_user_accepted()). */
		conn_end(s, c, err);
		c->err = (int16_t)err;
		return;
	}
	if (!ended)
		conn_end(s, c, err);
	if (tcp_is_orphan(c))
		s->orphans--;
	if (c->lh >= 0)
		tcp_listen_child_gone(s, c);
	struct ring *left = NULL;
	if (c->owner >= 0 && (!err || s->cfg.reset_keeps_unread) && c->rcv.len) {
		/* RFC 9293 3.10.7.4: what we acknowledged must reach the
		 * application even though the connection is over. The ring's
		 * memory is the socket's from now on. Linux and FreeBSD keep
		 * it after a reset or a timeout too (tcp_done_with_error()
		 * purges only the write queue; soisdisconnected() only so_snd):
		 * read first, then the error (cfg.reset_keeps_unread). */
		s->buffer_bytes -= c->rcv.cap;
		left = &c->rcv;
	}
	if (c->owner >= 0) {
		struct gt_sock *so = sock_get(s, c->owner);
		if (so)
			tcp_info_keep(s, c, &so->o.kept); /* TCP_INFO after the end: tcp_user_info_gone() */
		sock_conn_gone(s, c->owner, err, left, c->fin_rcvd && s->cfg.reset_err_linux);
	}
	if (left)
		memset(&c->rcv, 0, sizeof(c->rcv));
	tcp_buffers_release(s, c);
	c->owner = -1;
	s->conns_by_state[GT_TCP_CLOSED]--;
	s->conns--;
	c->dead = true;
	c->hnext = s->dead;
	s->dead = c;
}

void tcp_conn_orphan(gt_stack *s, struct tcp_conn *c)
{
	if (c->owner >= 0 && !c->dead) {
		s->orphans++;
		tcp_tw_keep_tclass(s, c);
	}
	c->owner = -1;
	/* close() in FIN_WAIT_2 (after shutdown(SHUT_WR)): the keepalive
	 * timer the open socket had stops, the wait is linger2's (Linux's
	 * tcp_close() hands it to tcp_time_wait(TCP_FIN_WAIT2);
	 * tcp_keepalive_timer() sends nothing for a dead FIN_WAIT_2). An
	 * orphan reaching FIN_WAIT_2 later is kept unarmed by
	 * tcp_keepalive_arm(); nothing else arms it. */
	if (c->state == GT_TCP_FIN_WAIT_2 && tcp_is_orphan(c))
		c->keep_at = TCP_TIMER_NONE;
}

bool tcp_orphan_too_many(gt_stack *s, struct tcp_conn *c, bool do_reset)
{
	/* tcp_out_of_resources(); tcp_too_many_orphans() reads a count Linux
	 * refreshes every 100 ms (tcp_orphan_cache), this one is exact.
	 * lsndtime: the last data sent (last_snd_ms with idle_restart 1),
	 * else taken as recent. */
	uint32_t shift = 0;
	uint64_t since_snd_ms = s->cfg.idle_restart == 1
					? (uint32_t)((uint32_t)(s->now_us / 1000) - c->last_snd_ms)
					: 0;
	if (since_snd_ms > 2 * 120000 || !do_reset)
		shift++;
	if (c->err)
		shift++; /* "If some dubious ICMP arrived, penalize even more." */
	if (((uint64_t)s->orphans << shift) <= s->cfg.max_orphans)
		return false;
	if (since_snd_ms <= 60000 || (!c->snd_wnd && c->snd_una == c->snd_max))
		do_reset = true;
	if (do_reset)
		tcp_send_rst_conn(s, c); /* tcp_send_active_reset() */
	s->st.TcpAbortOnMemory++;
	tcp_conn_free(s, c, -ETIMEDOUT);
	return true;
}

/* Frees the empty slabs beyond room for twice the connections left (and
 * at least one slab), then chains the free TCBs of the slabs kept, the
 * lowest first, so that new connections fill few slabs and the next trim
 * finds whole ones empty. O(TCBs allocated); runs when the load has
 * fallen under a quarter of them, then not again before it halves
 * (s->trim_conns), so its cost is spread over the connections that
 * ended. Only here, in tcp_reap(): no TCB is dead, and no one walks the
 * slabs (tcp_foreach). */
static uint64_t slabs_trim(gt_stack *s)
{
	uint32_t want = (2 * s->conns + SLAB_CONNS - 1) / SLAB_CONNS;
	if (want < 1)
		want = 1;
	uint32_t n = 0;
	uint64_t freed = 0;
	for (uint32_t i = 0; i < s->nslabs; i++) {
		struct tcp_conn *slab = s->slabs[i];
		uint16_t hw = s->slab_hw[i];
		bool empty = true;
		for (uint32_t j = 0; j < hw && empty; j++)
			empty = !slab[j].in_use;
		/* Slabs left to look at, and those kept, still make the room
		 * wanted: this empty one can go. */
		if (empty && n + (s->nslabs - i - 1) >= want) {
			free(slab);
			freed += SLAB_CONNS * sizeof(*slab);
			continue;
		}
		s->slab_hw[n] = hw;
		s->slabs[n++] = slab;
	}
	s->nslabs = n;
	s->slab_last = 0;
	s->conn_free = NULL;
	for (uint32_t i = n; i-- > 0;)
		for (uint32_t j = SLAB_CONNS; j-- > 0;)
			if (!s->slabs[i][j].in_use) {
				s->slabs[i][j].hnext = s->conn_free;
				s->conn_free = &s->slabs[i][j];
			}
	/* Connections scattered over the slabs may keep them all: try again
	 * when half of those left have gone. */
	s->trim_conns = s->conns / 2;
	return freed;
}

/* Memory back after a peak, with hysteresis: each table shrinks when
 * the connections fill under a quarter (slabs) or an eighth (hash, heap)
 * of it, to about twice what they need, and grows again only past that. */
static void table_trim(gt_stack *s)
{
	uint64_t freed = 0;
	if (s->nslabs > 1 && s->conns < s->nslabs * SLAB_CONNS / 4 && s->conns <= s->trim_conns)
		freed += slabs_trim(s);
	uint32_t nb = s->hash_mask + 1, nb_min = hash_min_buckets(s);
	if (nb > nb_min && s->conns < nb / 8) {
		uint32_t to = pow2_at_least(2 * s->conns);
		to = to < nb_min ? nb_min : to;
		hash_resize(s, to);
		if (s->hash_mask + 1 < nb)
			freed += (uint64_t)(nb - (s->hash_mask + 1)) * sizeof(*s->hash);
	}
	if (s->timers.cap > HEAP_MIN && s->conns < s->timers.cap / 8)
		freed += heap_shrink(&s->timers, 2 * s->conns > HEAP_MIN ? 2 * s->conns : HEAP_MIN);
	s->st.TcpTableMemFreed += freed;
}

uint64_t tcp_table_bytes(const gt_stack *s)
{
	uint64_t b = (uint64_t)s->nslabs * SLAB_CONNS * sizeof(struct tcp_conn);
	b += (uint64_t)(s->hash_mask + 1) * sizeof(*s->hash);
	return b + (uint64_t)s->timers.cap * sizeof(*s->timers.v);
}

void tcp_reap(gt_stack *s)
{
	while (s->dead) {
		struct tcp_conn *c = s->dead;
		s->dead = c->hnext;
		c->in_use = false;
		c->dead = false;
		c->hnext = s->conn_free;
		s->conn_free = c;
	}
	table_trim(s);
}

void tcp_conn_mark(gt_stack *s, struct tcp_conn *c)
{
	if (c->owner >= 0) {
		sock_mark(s, c->owner);
	} else if (c->in_accept_q) {
		const struct tcp_listener *l = tcp_listener_get(s, c->lh);
		if (l)
			sock_mark(s, l->owner);
	}
}

uint32_t tcp_now_ts(const gt_stack *s, const struct tcp_conn *c)
{
	/* RFC 7323 5.4: a 1 ms clock, offset per connection (RFC 7323 7.1). */
	return (uint32_t)(s->now_us / 1000) + c->ts_offset;
}

/* FreeBSD's rule, tcp_connect() and syncache_add(): the smallest scale
 * whose largest window (TCP_MAXWIN << wscale) reaches sb_max
 * (kern.ipc.maxsockbuf, buf_max_bytes), "to fit into sweet spot", at
 * most TCP_MAX_WINSHIFT: 6 for SB_MAX's 2 MiB, 14 for 4 GiB. It does not
 * look at the socket's own buffer. */
static uint8_t wscale_for_sb_max(uint32_t sb_max_bytes)
{
	uint8_t ws = 0;
	while (ws < 14 && ((uint64_t)65535 << ws) < sb_max_bytes)
		ws++;
	return ws;
}

static uint8_t ilog2_u32(uint32_t v)
{
	uint8_t l = 0;
	while (v >>= 1)
		l++;
	return l;
}

uint8_t tcp_rcv_wscale(const gt_stack *s, uint32_t rcvbuf_bytes, bool locked)
{
	if (s->cfg.rcv_wscale != 0xff)
		return s->cfg.rcv_wscale;
	if (!s->cfg.rcv_wnd_linux)
		return wscale_for_sb_max(s->cfg.buf_max_bytes);
	/* Linux's tcp_select_initial_window(): the scale that the largest
	 * window this socket may come to offer needs, ilog2(space) - 15:
	 * with autotuning tcp_rmem[2] (or rmem_max), with SO_RCVBUF set the
	 * window clamp, which is the buffer's window (tcp_connect_init(),
	 * tcp_openreq_init_rwin()). */
	uint32_t space = rcvbuf_bytes / 2;
	if (!locked && s->cfg.rcvbuf_max_bytes > space)
		space = s->cfg.rcvbuf_max_bytes;
	int ws = space ? (int)ilog2_u32(space) - 15 : 0;
	return (uint8_t)(ws < 0 ? 0 : ws > 14 ? 14 : ws);
}

uint32_t tcp_initial_rwnd(const gt_stack *s, uint32_t rcvbuf_bytes, uint32_t mss)
{
	if (!s->cfg.rcv_wnd_linux)
		return rcvbuf_bytes > 65535 ? 65535 : rcvbuf_bytes;
	/* tcp_select_initial_window(): the buffer's window (tcp_full_space(),
	 * half of it) quantized to whole segments when it holds more than
	 * one. An active open takes the whole advmss (no timestamp is known
	 * yet: ts_recent_stamp is 0), a passive one the MSS less the
	 * timestamp option when the SYN had one. */
	uint32_t space = rcvbuf_bytes / 2;
	if (mss && space > mss)
		space = space / mss * mss;
	return space;
}

/* Linux's tcp_init_cwnd(): the route's initcwnd metric where it has one
 * (RTAX_INITCWND), else TCP_INIT_CWND (cfg.initial_cwnd_segs). */
uint32_t tcp_init_cwnd_segs(const gt_stack *s, const struct tcp_conn *c)
{
	const struct gt_route *r = s->cfg.route_metrics_linux ? ip_route_for(s, c->faddr) : NULL;
	return r && r->initcwnd ? r->initcwnd : s->cfg.initial_cwnd_segs;
}

int32_t tcp_fin2_timeout_ms(const gt_stack *s, int16_t linger2_s)
{
	if (linger2_s == 0)
		return (int32_t)s->cfg.fin_wait2_timeout_ms;
	return linger2_s < 0 ? -1 : linger2_s * 1000;
}

/* FreeBSD's tcp_newtcpcb() sets t_maxseg to V_tcp_mssdflt (IPv6:
 * V_tcp_v6mssdflt, 1220) and nothing raises it before the SYN-ACK's
 * tcp_mss() (tcp_connect() does not call it), so in SYN_SENT only an MTU
 * under 576 (IPv6: 1280) is taken (tests/pkt/freebsd/
 * icmp-frag-needed-syn-sent-*.pkt). A frag-needed taken there lowers it
 * (tcp_mtudisc() -> tcp_mss_update()), and the next one is compared with
 * that: c->mss, mss_default from tcp_conn_init() until then, holds it
 * less the options (tcp_icmp_error(), tcp_icmp6_error()), so a second MTU
 * of 520 after 500 is ignored (icmp-frag-needed-syn-sent-second-*.pkt).
 * A Fast Open connection on a disabled path has the route's MSS there
 * from the start (tcp_fastopen_bsd_disabled_maxseg()). */
uint32_t tcp_bsd_icmp_maxseg(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->state == GT_TCP_SYN_SENT && s->cfg.fastopen_bsd && tcp_tfo_syn(c)) {
		/* tcp_fastopen_connect() called tcp_mss(): not tcp_mssdflt. */
		struct tcp_opts fo;
		return tcp_fastopen_bsd_syn_maxseg(s, c, &fo);
	}
	if (c->state == GT_TCP_SYN_SENT && tcp_mss_path(c) == s->cfg.mss_default)
		return tcp_mss_default_for(s, c->faddr);
	return tcp_mss_path(c) + tcp_seg_opt_bytes(c);
}

uint32_t tcp_pmtu_learn(gt_stack *s, struct tcp_conn *c, uint32_t mtu)
{
	if (!mtu)
		return mtu; /* no next-hop MTU (ip_next_mtu()'s guess): not modelled */
	if (!s->cfg.pmtu_cache_bsd) {
		/* tcp_v4_mtu_reduced() acts on dst_mtu(), as the route now
		 * has it. An MTU the profile ignores (under 68 + 40, below
		 * any pmtu_min) is not learnt either. */
		uint32_t eff = mtu > s->cfg.pmtu_min ? mtu : s->cfg.pmtu_min;
		return eff < 68 + 40 ? mtu : ip_pmtu_update(s, c->faddr, mtu);
	}
	/* FreeBSD's tcp_ctlinput_with_port(): the MTU raised to V_tcp_minmss
	 * + 40 (tcp_next_pmtu()) goes to tcp_hc_updatemtu() only when under
	 * t_maxseg + sizeof(struct tcpiphdr); tcp_mtudisc() follows there. */
	uint32_t lo = (uint32_t)s->cfg.bsd_minmss + 40, m = mtu < lo ? lo : mtu;
	if (m < tcp_bsd_icmp_maxseg(s, c) + 40)
		(void)ip_pmtu_update(s, c->faddr, m);
	return mtu;
}

static void set_rcv_mss(gt_stack *s, struct tcp_conn *c, const struct tcp_user_opts *so)
{
	c->rcv_mss = ip_mss_for(s, c->faddr);
	/* The route's advmss metric (dst_metric_advmss()), which Linux
	 * announces in place of the MTU's (tcp_advertise_mss(),
	 * tcp_make_synack()). */
	const struct gt_route *r = s->cfg.route_metrics_linux ? ip_route_for(s, c->faddr) : NULL;
	if (r && r->advmss)
		c->rcv_mss = r->advmss;
	/* TCP over UDP (tcp_tun_mss()). */
	c->rcv_mss = (uint16_t)tcp_tun_mss(s, c, c->rcv_mss);
	/* Linux's tcp_advertise_mss() clamps by user_mss. FreeBSD's
	 * tcp_mssopt() reads the route and host cache alone, and the
	 * SYN-ACK's tcp_mss() -> tcp_mss_update() overwrites t_maxseg: a
	 * TCP_MAXSEG set before connect() is not kept (cfg.maxseg_bsd;
	 * tests/pkt/freebsd/maxseg-before-connect-overwritten.pkt). */
	if (so && so->maxseg && so->maxseg < c->rcv_mss && !s->cfg.maxseg_bsd)
		c->rcv_mss = so->maxseg;
}

void tcp_conn_ip_opts(struct tcp_conn *c, const struct tcp_user_opts *o)
{
	bool v4 = ip_addr_is_v4(c->faddr);
	c->ip_dscp = (uint8_t)((v4 ? o->ip_tos : o->ip6_tclass) >> 2) & 0x3f;
	c->ip_ttl = v4 ? o->ip_ttl : o->ip6_hops_set ? o->ip6_hops : 0;
	c->ip_ttl_zero = !v4 && o->ip6_hops_set && o->ip6_hops == 0;
	int mode = o->pmtudisc ? o->pmtudisc - 1 : GT_IP_PMTUDISC_WANT;
	c->pmtud = mode == GT_IP_PMTUDISC_WANT ? TCP_PMTUD_WANT
		 : mode == GT_IP_PMTUDISC_DO   ? TCP_PMTUD_DO
		 : mode == GT_IP_PMTUDISC_PROBE ? TCP_PMTUD_PROBE
						: TCP_PMTUD_NO_RESEND;
}

void tcp_conn_init(gt_stack *s, struct tcp_conn *c, const struct tcp_user_opts *so)
{
	const struct gt_config *cfg = &s->cfg;
	/* The buffer sizes are the rings' capacities. Memory comes when data
	 * does (tcp_ring_reserve) and goes when a ring empties
	 * (tcp_ring_release): an idle connection holds none. */
	ring_init_lazy(&c->snd, tcp_buf_clamp(s, so ? so->sndbuf_bytes : cfg->sndbuf_bytes));
	ring_init_lazy(&c->rcv, tcp_buf_clamp(s, so ? so->rcvbuf_bytes : cfg->rcvbuf_bytes));
	c->nodelay = so && so->nodelay;
	c->cork = so && so->cork;
	c->keepalive = so && so->keepalive;
	c->noopt = so && so->noopt;
	c->md5sig = so && so->md5sig;
	c->rcvbuf_locked = so && so->rcvbuf_set;
	c->sndbuf_locked = so && so->sndbuf_set;
	c->fin2_timeout_ms = tcp_fin2_timeout_ms(s, so ? so->linger2_s : 0);
	if (so) {
		tcp_user_keep_times(s, c, so);
		c->user_timeout_ms = so->user_timeout_ms;
		tcp_conn_ip_opts(c, so);
	}
	c->req_ws = cfg->opt_wscale; /* tcp_syn_offer() */
	c->req_ts = cfg->opt_timestamps;
	c->req_sack = cfg->opt_sack;
	/* TCP_NOOPT on a listener: FreeBSD's syncache_add() takes neither the
	 * SYN's timestamps nor its window scale ("if (V_tcp_do_rfc1323 &&
	 * !(ltflags & TF_NOOPT))"), and syncache_socket() gives the new
	 * connection TF_NOOPT instead of TF_REQ_SCALE, TF_REQ_TSTMP and
	 * TF_SACK_PERMIT (freebsd-src 2d614aa): with no option in the SYN-ACK,
	 * none is in use, and an ACK without timestamps completes the
	 * handshake under tolerate_missing_ts = 0 (the suite's
	 * snippets/noopt-strict-tsopt.pkt). An active open takes the socket's
	 * own requests after this (tcp_user.c). */
	if (c->noopt && cfg->syn_opts_at_open)
		c->req_ws = c->req_ts = c->req_sack = false;
	c->rcv_wscale = tcp_rcv_wscale(s, c->rcv.cap, c->rcvbuf_locked);
	set_rcv_mss(s, c, so);
	c->mss = cfg->mss_default;
	c->rto_us = cfg->rto_initial_us;
	c->srtt_us = 0;
	c->cc = tcp_cc_for(s, so && so->cc_set ? so->cc : cfg->cc);
	c->reno_half_cwnd = cfg->reno_ssthresh_cwnd;
	c->reno_rto_wnd = cfg->reno_rto_ssthresh_wnd;
	c->ss_bsd = cfg->slow_start_bsd;
}

void tcp_enter_time_wait(gt_stack *s, struct tcp_conn *c, bool ack)
{
	/* Who sends the ACK owed. Linux's tcp_fin() ACKs from the full socket
	 * (tcp_send_ack()) before tcp_time_wait(). FreeBSD main keeps the
	 * tcpcb (fel1x 2d614aa's tcp_twstart(): tcp_state_change(tp,
	 * TCPS_TIME_WAIT), then "if (tp->t_flags & TF_ACKNOW) tcp_output(tp)"),
	 * so the ACK leaves in TIME_WAIT with all tcp_output() adds: SACK and
	 * D-SACK blocks (TCPS_HAVEESTABLISHED() && rcv_numsacks > 0), the
	 * ECN / AccECN bits (tcp_ecn_output_established() for any
	 * TCPS_HAVERCVDSYN() state), timestamps, the signature, and the
	 * window tcp_output() rounds (cfg.tw_win_tcpcb_bsd). FreeBSD 14's
	 * compressed entry (0f7ff34's tcp_twstart()) sent it from the entry
	 * after the tcpcb was gone, tcp_twrespond(tw, TH_ACK): the timestamp
	 * option alone. Signed when the connection was, as every later
	 * answer of the entry: a FreeBSD that keeps the tcpcb in TIME_WAIT
	 * answers with tcp_respond(tp, ...) and its TF_SIGNATURE (2d614aa's
	 * tcp_twcheck(); the suite's md5-passive and md5-active scripts),
	 * though 0f7ff34's struct tcptw kept none (tw_sign()). */
	bool bsd = s->cfg.tw_bsd_check;
	bool from_entry = ack && bsd && !s->cfg.tw_win_tcpcb_bsd;
	if (ack && !bsd)
		tcp_send_ack(s, c);
	tcp_set_state(s, c, GT_TCP_TIME_WAIT, "2MSL wait");
	if (ack && bsd && s->cfg.tw_win_tcpcb_bsd)
		tcp_send_ack(s, c);
	s->st.TW++;
	/* Linux's tcp_time_wait(): the timewait sock keeps a copy of the
	 * connection's key for the peer (tw_md5_key). */
	if (!s->cfg.md5sig_bsd && s->md5_lx_n)
		tcp_md5_lx_set_tuple(s, tcp_md5_lx_conn_key(s, c), c->laddr, c->lport, c->faddr,
				     c->fport);
	if (tw_add(s, c) < 0) {
		/* The table is full: the connection closes at once, without
		 * TIME_WAIT protection; counted, never silent (as Linux's
		 * TCPTimeWaitOverflow). */
		s->st.TWOverflow++;
		if (from_entry)
			tcp_send_ack(s, c);
		tcp_conn_free(s, c, 0);
		return;
	}
	/* The connection lives on as a compact entry, which reports its own
	 * end (tcp_timewait.c); the TCB is handed over without a state event
	 * of its own. */
	tcp_state_handoff(s, c);
	/* The entry keeps the connection's UDP port (tcp_twcheck() compares
	 * it with the segment's); tcp_conn_free() lets it go with the TCB. */
	/* FreeBSD's TIME_WAIT is the whole inpcb: its answers keep
	 * inp_ip_ttl (tcp_respond()); Linux's timewait sock answers with the
	 * default TTL. */
	uint16_t tun = tcp_tun_port(s, c), ttl = s->cfg.tw_bsd_check ? tcp_tx_ttl(c) : 0;
	tcp_conn_free(s, c, 0);
	if (tun || ttl)
		tcp_tun_set2(s, c->laddr, c->lport, c->faddr, c->fport, tun, ttl);
	if (from_entry)
		tw_respond(s, c->laddr, c->lport, c->faddr, c->fport);
}

void tcp_foreach(gt_stack *s, void (*fn)(gt_stack *s, struct tcp_conn *c, void *ctx), void *ctx)
{
	for (uint32_t i = 0; i < s->nslabs; i++)
		for (uint32_t j = 0; j < s->slab_hw[i]; j++)
			if (s->slabs[i][j].in_use && !s->slabs[i][j].dead)
				fn(s, &s->slabs[i][j], ctx);
}

void tcp_conn_assert(const struct tcp_conn *c)
{
#ifndef NDEBUG
	assert(seq_le(c->snd_una, c->snd_nxt));
	assert(seq_le(c->snd_nxt, c->snd_max));
	assert(c->snd.len <= c->snd.cap);
	assert(c->rcv.len <= c->rcv.cap);
	for (uint16_t i = 0; i < c->nooo; i++) {
		/* FreeBSD's simultaneous open holds data at RCV.NXT until the
		 * handshake ACK (cfg.synrcvd_simopen_bsd, simopen_hold_bsd()). */
		assert(seq_gt(c->ooo[i].left, c->rcv_nxt) ||
		       (i == 0 && c->state == GT_TCP_SYN_RECEIVED && !c->passive &&
			c->ooo[i].left == c->rcv_nxt));
		assert(seq_lt(c->ooo[i].left, c->ooo[i].right));
		if (i)
			assert(seq_gt(c->ooo[i].left, c->ooo[i - 1].right));
	}
#else
	(void)c;
#endif
}
