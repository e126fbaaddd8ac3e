/* TIME_WAIT in compact form (RFC 9293 3.10.7.4, RFC 1337, RFC 6191).
 *
 * An entry holds only what TIME_WAIT needs: the 4-tuple, the two sequence
 * numbers to answer with, the timestamp state, and its deadline. Entries live
 * in one array, found through a hash of 32-bit indexes and kept in a list in
 * deadline order (every entry lasts 2*MSL, so appending keeps the order and
 * expiry only looks at the head). The table is bounded: when it is full a new
 * entry is refused and counted (TWOverflow); no entry is ever evicted early.
 */
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

#define TW_NIL UINT32_MAX

struct tw_entry {
	uint32_t laddr, faddr;
	uint16_t lport, fport;
	uint32_t snd_nxt, rcv_nxt;
	uint32_t ts_recent, ts_offset;
	uint64_t expire_us;
	uint32_t hnext, prev, next; /* hash chain; deadline list (or free list) */
	uint32_t ts_stamp_s;        /* when ts_recent was last taken, in seconds */
	uint16_t win;               /* window field of our ACKs */
	uint8_t ts_ok;
	uint8_t in_use;
};

struct tw_table {
	struct tw_entry *e;
	uint32_t cap, used, peak;
	uint32_t free_head;
	uint32_t head, tail;        /* deadline order */
	uint32_t *bucket;
	uint32_t mask;
};

int tw_init(gt_stack *s)
{
	struct tw_table *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->free_head = t->head = t->tail = TW_NIL;
	uint32_t nb = 1024;
	while (nb < s->cfg.max_timewait / 2 && nb < (1u << 24))
		nb <<= 1;
	t->bucket = malloc(nb * sizeof(*t->bucket));
	if (!t->bucket) {
		free(t);
		return -ENOMEM;
	}
	memset(t->bucket, 0xff, nb * sizeof(*t->bucket));
	t->mask = nb - 1;
	s->tw = t;
	return 0;
}

void tw_fini(gt_stack *s)
{
	if (!s->tw)
		return;
	free(s->tw->e);
	free(s->tw->bucket);
	free(s->tw);
	s->tw = NULL;
}

static uint32_t tw_bucket(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			  uint16_t fport)
{
	return hash_tuple4(s->hash_key, laddr, faddr, lport, fport) & s->tw->mask;
}

static uint32_t find(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		     uint16_t fport)
{
	const struct tw_table *t = s->tw;
	for (uint32_t i = t->bucket[tw_bucket(s, laddr, lport, faddr, fport)]; i != TW_NIL;
	     i = t->e[i].hnext) {
		const struct tw_entry *e = &t->e[i];
		if (e->lport == lport && e->fport == fport && e->laddr == laddr && e->faddr == faddr)
			return i;
	}
	return TW_NIL;
}

static void list_unlink(struct tw_table *t, uint32_t i)
{
	struct tw_entry *e = &t->e[i];
	if (e->prev != TW_NIL)
		t->e[e->prev].next = e->next;
	else
		t->head = e->next;
	if (e->next != TW_NIL)
		t->e[e->next].prev = e->prev;
	else
		t->tail = e->prev;
}

static void list_append(struct tw_table *t, uint32_t i)
{
	struct tw_entry *e = &t->e[i];
	e->next = TW_NIL;
	e->prev = t->tail;
	if (t->tail != TW_NIL)
		t->e[t->tail].next = i;
	else
		t->head = i;
	t->tail = i;
}

static void tw_remove(gt_stack *s, uint32_t i)
{
	struct tw_table *t = s->tw;
	struct tw_entry *e = &t->e[i];
	uint32_t *pp = &t->bucket[tw_bucket(s, e->laddr, e->lport, e->faddr, e->fport)];
	while (*pp != i)
		pp = &t->e[*pp].hnext;
	*pp = e->hnext;
	list_unlink(t, i);
	e->in_use = 0;
	e->next = t->free_head;
	t->free_head = i;
	t->used--;
}

static uint32_t tw_alloc(gt_stack *s)
{
	struct tw_table *t = s->tw;
	if (t->used >= s->cfg.max_timewait)
		return TW_NIL;
	if (t->free_head == TW_NIL) {
		uint32_t ncap = t->cap ? t->cap * 2 : 256;
		if (ncap > s->cfg.max_timewait)
			ncap = s->cfg.max_timewait;
		struct tw_entry *ne = realloc(t->e, (size_t)ncap * sizeof(*ne));
		if (!ne)
			return TW_NIL;
		t->e = ne;
		for (uint32_t i = ncap; i-- > t->cap;) {
			t->e[i].in_use = 0;
			t->e[i].next = t->free_head;
			t->free_head = i;
		}
		t->cap = ncap;
	}
	uint32_t i = t->free_head;
	t->free_head = t->e[i].next;
	t->used++;
	if (t->used > t->peak)
		t->peak = t->used;
	return i;
}

int tw_add(gt_stack *s, const struct tcp_conn *c)
{
	uint32_t i = tw_alloc(s);
	if (i == TW_NIL)
		return -ENOBUFS;
	struct tw_table *t = s->tw;
	struct tw_entry *e = &t->e[i];
	memset(e, 0, sizeof(*e));
	e->laddr = c->laddr;
	e->faddr = c->faddr;
	e->lport = c->lport;
	e->fport = c->fport;
	e->snd_nxt = c->snd_nxt;
	e->rcv_nxt = c->rcv_nxt;
	e->ts_ok = c->ts_ok;
	e->ts_recent = c->ts_recent;
	e->ts_stamp_s = (uint32_t)(c->ts_recent_us / 1000000);
	e->ts_offset = c->ts_offset;
	uint32_t wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	wnd >>= c->ws_ok ? c->rcv_wscale : 0;
	e->win = (uint16_t)(wnd > 65535 ? 65535 : wnd);
	e->expire_us = s->now_us + 2ull * s->cfg.msl_ms * 1000;
	e->in_use = 1;
	uint32_t b = tw_bucket(s, e->laddr, e->lport, e->faddr, e->fport);
	e->hnext = t->bucket[b];
	t->bucket[b] = i;
	list_append(t, i);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_TIME_WAIT,
			  tcp_trace_delay(e->expire_us - s->now_us), 0, NULL);
	return 0;
}

static void tw_ack(gt_stack *s, const struct tw_entry *e)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	if (e->ts_ok) {
		o.has_ts = true;
		o.ts_val = (uint32_t)(s->now_us / 1000) + e->ts_offset;
		o.ts_ecr = e->ts_recent;
	}
	tcp_send_raw(s, e->laddr, e->lport, e->faddr, e->fport, e->snd_nxt, e->rcv_nxt, TH_ACK,
		     e->win, &o);
}

/* RFC 6191 2 and RFC 9293 3.10.7.4 (TIME-WAIT): may a SYN open a new
 * incarnation of this pair? With timestamps, only when its TSval is newer;
 * without, only when its sequence number is beyond the old one. */
static bool syn_may_reuse(const struct tw_entry *e, const struct tcp_hdr *th)
{
	if (e->ts_ok && th->opts.has_ts)
		return (int32_t)(th->opts.ts_val - e->ts_recent) > 0;
	return seq_gt(th->seq, e->rcv_nxt);
}

bool tw_input(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport,
	      const struct tcp_hdr *th, uint32_t seglen, bool *reuse)
{
	uint32_t i = find(s, laddr, lport, faddr, fport);
	if (i == TW_NIL)
		return false;
	struct tw_table *t = s->tw;
	struct tw_entry *e = &t->e[i];
	*reuse = false;
	if (th->flags & TH_RST) {
		s->st.TcpInRsts++;
		/* RFC 1337: an RST must not cut TIME_WAIT short (TIME-WAIT
		 * assassination); RFC 793 behaviour when switched off. */
		if (s->cfg.rfc1337) {
			s->st.TWRstIgnored++;
		} else if (th->seq == e->rcv_nxt) {
			s->st.TWKilledRst++;
			tw_remove(s, i);
		}
		return true;
	}
	if ((th->flags & (TH_SYN | TH_FIN)) == (TH_SYN | TH_FIN) && s->cfg.tw_synfin_drop)
		return true;
	if ((th->flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		if (syn_may_reuse(e, th)) {
			s->st.TWRecycled++;
			s->tw_reuse_pending = true;
			s->tw_reuse_isn = e->snd_nxt + 65535 + 2;
			tw_remove(s, i);
			*reuse = true;
			return true;
		}
		/* An old duplicate SYN: RFC 5961 4 challenge ACK. */
		if (tcp_challenge_ack_allowed(s)) {
			s->st.TcpChallengeAcks++;
			tw_ack(s, e);
		}
		return true;
	}
	if (!(th->flags & TH_ACK))
		return true; /* RFC 9293 3.10.7.4 fifth: no ACK bit, drop */
	if (e->ts_ok && th->opts.has_ts && (int32_t)(th->opts.ts_val - e->ts_recent) < 0) {
		s->st.TcpPAWSDrop++; /* RFC 7323 5.3 */
		tw_ack(s, e);
		return true;
	}
	if ((th->flags & TH_FIN) && th->seq + seglen == e->rcv_nxt) {
		/* The peer's FIN again: our last ACK was lost. Re-ACK and
		 * restart the 2MSL timer (RFC 9293 3.10.7.4). */
		s->st.TWFinReacked++;
		if (e->ts_ok && th->opts.has_ts)
			e->ts_recent = th->opts.ts_val;
		e->ts_stamp_s = (uint32_t)(s->now_us / 1000000);
		e->expire_us = s->now_us + 2ull * s->cfg.msl_ms * 1000;
		list_unlink(t, i);
		list_append(t, i);
		tw_ack(s, e);
		return true;
	}
	/* An in-window pure ACK needs nothing; anything else (old data, a
	 * segment beyond the window) is answered with an ACK. */
	if (seglen == 0 && th->seq == e->rcv_nxt)
		return true;
	tw_ack(s, e);
	return true;
}

bool tw_take_for_reuse(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		       uint16_t fport, uint32_t *old_snd_nxt)
{
	/* RFC 6191 2 for the active opener, as Linux's tcp_tw_reuse: safe when
	 * the old connection used timestamps and its last one is over a second
	 * old, so that the peer's PAWS tells the incarnations apart. */
	uint32_t i = find(s, laddr, lport, faddr, fport);
	if (i == TW_NIL || !s->cfg.tw_reuse)
		return false;
	const struct tw_entry *e = &s->tw->e[i];
	if (!e->ts_ok || s->now_us / 1000000 < (uint64_t)e->ts_stamp_s + 1)
		return false;
	*old_snd_nxt = e->snd_nxt;
	s->st.TWRecycled++;
	tw_remove(s, i);
	return true;
}

bool tw_exists(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport)
{
	return find(s, laddr, lport, faddr, fport) != TW_NIL;
}

void tw_expire(gt_stack *s, uint64_t now_us)
{
	struct tw_table *t = s->tw;
	while (t->head != TW_NIL && t->e[t->head].expire_us <= now_us) {
		const struct tw_entry *e = &t->e[t->head];
		if (stack_tracing(s)) {
			struct gt_trace_event fired = {
				.type = GT_TRACE_TIMER_FIRE, .now_us = now_us, .a = GT_TIMER_TIME_WAIT,
				.laddr = e->laddr, .faddr = e->faddr, .lport = e->lport, .fport = e->fport,
			};
			stack_trace(s, &fired);
			struct gt_trace_event ev = {
				.type = GT_TRACE_STATE, .now_us = now_us,
				.laddr = e->laddr, .faddr = e->faddr, .lport = e->lport, .fport = e->fport,
				.a = GT_TCP_TIME_WAIT, .b = GT_TCP_CLOSED, .reason = "2MSL timer expired",
			};
			stack_trace(s, &ev);
		}
		s->st.TWExpired++;
		tw_remove(s, t->head);
	}
}

uint32_t gt_stack_timewait_drop_all(gt_stack *s)
{
	uint32_t n = 0;
	while (s->tw->head != TW_NIL) {
		tw_remove(s, s->tw->head);
		n++;
	}
	s->st.TWKilled += n;
	return n;
}

uint64_t tw_next_deadline(const gt_stack *s)
{
	const struct tw_table *t = s->tw;
	return t->head == TW_NIL ? GT_NO_DEADLINE : t->e[t->head].expire_us;
}

void tw_foreach(const gt_stack *s,
		void (*fn)(void *ctx, uint32_t laddr, uint16_t lport, uint32_t faddr,
			   uint16_t fport, uint64_t expire_us),
		void *ctx)
{
	const struct tw_table *t = s->tw;
	for (uint32_t i = t->head; i != TW_NIL; i = t->e[i].next) {
		const struct tw_entry *e = &t->e[i];
		fn(ctx, e->laddr, e->lport, e->faddr, e->fport, e->expire_us);
	}
}

uint32_t tw_count(const gt_stack *s) { return s->tw->used; }
uint32_t tw_peak(const gt_stack *s) { return s->tw->peak; }

uint64_t tw_bytes(const gt_stack *s)
{
	return (uint64_t)s->tw->cap * sizeof(struct tw_entry) +
	       ((uint64_t)s->tw->mask + 1) * sizeof(uint32_t);
}
