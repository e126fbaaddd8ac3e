/* TIME_WAIT in compact form (RFC 9293 3.10.7.4, RFC 1337, RFC 6191).
 *
 * An entry is 32 bytes: the 4-tuple (the local address as an index into the
 * stack's few addresses), the two sequence numbers to answer with, the
 * peer's last timestamp, the window and the TOS byte (IPv6: traffic class)
 * of our ACKs, its deadline, and its hash chain (24 bits: max_timewait is
 * at most 2^21, so a ring, at most four times that, never needs more).
 * What can be derived is not stored: the
 * timestamp offset comes from the 4-tuple's keyed hash, the entry time from
 * the deadline less 2*MSL. The deadline is kept in microseconds modulo
 * 2^32, exact, read against a 64-bit base time (base_us): every live
 * deadline lies in [base_us, base_us + 2^32). The base moves up to the
 * clock whenever the clock gets 2^30 us ahead of it (tw_clock, on every
 * entry point), after expiring what is due, so a stack left unpolled for
 * any time (a stopped process, a paused VM) expires its entries on time,
 * never 71 minutes late. That bounds 2*MSL below 2^31 us (msl_ms <=
 * 1,000,000).
 *
 * Entries sit in a ring in deadline order: every entry lasts 2*MSL, so new
 * ones go at the tail and expiry looks only at the head. An entry whose
 * timer restarts (a retransmitted FIN) moves to the tail and leaves a
 * tombstone; tombstones are skipped at the head and squeezed out when the
 * ring grows. A hash of 32-bit indexes finds an entry by its 4-tuple.
 *
 * The table is bounded (max_timewait): when it is full a connection that
 * would enter TIME_WAIT is refused it and counted (TWOverflow); no entry is
 * ever evicted early.
 *
 * IPv6 connections have a table of their own with the same code: its entry
 * is the IPv4 entry behind the 12 leading bytes of the peer's address (the
 * IPv4 entry's faddr holds the last 4), 44 bytes, and the local address is
 * an index into the stack's IPv6 addresses. max_timewait bounds both
 * tables together.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

#define TW_NIL UINT32_MAX
#define TW_CHAIN_NIL 0xffffffu /* the end of a hash chain, as kept in 24 bits */
#define TW_TOS_SHIFT 24
/* The TOS byte keeps DSCP bits only; its lowest bit (an ECN bit, never
 * kept) says the connection signed its segments (FreeBSD: TF_SIGNATURE). */
#define TW_SIGNED (1u << TW_TOS_SHIFT)
#define TW_LIVE 0x01
#define TW_TS 0x02
#define TW_ADDR_SHIFT 2 /* local address index: GT_MAX_ADDRS, GT_MAX_ADDRS6 <= 64 */

struct tw_entry {
	uint32_t faddr;
	uint16_t lport, fport;
	uint32_t snd_nxt, rcv_nxt;
	uint32_t ts_recent;
	uint32_t expire_us;  /* stack time in us modulo 2^32 (2*MSL < 35 min) */
	/* The hash chain (low 24 bits, TW_CHAIN_NIL at the end) and, above it,
	 * the TOS byte or traffic class of our ACKs: the socket's IP_TOS /
	 * IPV6_TCLASS, DSCP bits only (tw_tos_of()), and TW_SIGNED. */
	uint32_t hnext_tos;
	uint16_t win;        /* window field of our ACKs */
	uint8_t flags;       /* TW_LIVE, TW_TS, local address index */
	uint8_t answered;    /* rate-limit period of the last answer (tw_answer_allowed) */
};
_Static_assert(sizeof(struct tw_entry) == 32, "a TIME_WAIT entry is 32 bytes");
_Static_assert(GT_MAX_ADDRS6 <= 64 && GT_MAX_ADDRS <= 64, "the address index has 6 bits");
_Static_assert(4ull * GT_MAX_TIMEWAIT <= TW_CHAIN_NIL, "ring indexes fit the 24-bit chain");

/* An IPv6 entry: the peer's address is hi[0..12) and e.faddr (its last 4
 * bytes, read big-endian). */
struct tw_entry6 {
	uint8_t faddr_hi[12];
	struct tw_entry e;
};
_Static_assert(sizeof(struct tw_entry6) == 44, "an IPv6 TIME_WAIT entry is 44 bytes");

struct tw_table {
	uint8_t *slots;      /* cap entries of esize bytes */
	uint32_t esize;      /* 32 (IPv4) or 44 (IPv6) */
	uint32_t eoff;       /* where struct tw_entry starts in a slot */
	bool v6;
	uint32_t cap;        /* slots, a power of two (0 until the first entry) */
	uint32_t head, tail; /* ring positions, free-running (index = pos & (cap-1)) */
	uint32_t used;       /* live entries */
	uint32_t peak;       /* s->tw's: both tables' live entries at most */
	uint32_t *bucket;    /* cap buckets */
	uint32_t *port_used; /* live entries per local port (65536), for bind() */
	uint64_t base_us;    /* what the 32-bit deadlines are read against */
};

int tw_init(gt_stack *s)
{
	s->tw = calloc(1, sizeof(*s->tw));
	s->tw6 = calloc(1, sizeof(*s->tw6));
	if (!s->tw || !s->tw6)
		return -ENOMEM;
	s->tw->esize = sizeof(struct tw_entry);
	s->tw6->esize = sizeof(struct tw_entry6);
	s->tw6->eoff = offsetof(struct tw_entry6, e);
	s->tw6->v6 = true;
	return 0;
}

static void table_free(struct tw_table *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t->bucket);
	free(t->port_used);
	free(t);
}

void tw_fini(gt_stack *s)
{
	table_free(s->tw);
	table_free(s->tw6);
	s->tw = s->tw6 = NULL;
}

static struct tw_entry *E(const struct tw_table *t, uint32_t i)
{
	return (struct tw_entry *)(t->slots + (size_t)i * t->esize + t->eoff);
}

/* The table of faddr's family. */
static struct tw_table *tab(const gt_stack *s, ip_addr faddr)
{
	return ip_addr_is_v4(faddr) ? s->tw : s->tw6;
}

static ip_addr laddr_of(const gt_stack *s, const struct tw_table *t, const struct tw_entry *e)
{
	uint32_t i = e->flags >> TW_ADDR_SHIFT;
	return t->v6 ? s->addr6[i] : ip_addr_v4(s->addr[i]);
}

static ip_addr faddr_of(const struct tw_table *t, const struct tw_entry *e)
{
	ip_addr a = ip_addr_v4(e->faddr);
	if (t->v6)
		memcpy(a.b, (const uint8_t *)e - t->eoff, 12);
	return a;
}

static bool faddr_is(const struct tw_table *t, const struct tw_entry *e, ip_addr faddr)
{
	if (e->faddr != ip_addr_v4_of(faddr))
		return false;
	return !t->v6 || memcmp((const uint8_t *)e - t->eoff, faddr.b, 12) == 0;
}

static uint32_t hnext(const struct tw_entry *e)
{
	uint32_t i = e->hnext_tos & TW_CHAIN_NIL;
	return i == TW_CHAIN_NIL ? TW_NIL : i;
}

static void set_hnext(struct tw_entry *e, uint32_t i)
{
	e->hnext_tos = (e->hnext_tos & ~TW_CHAIN_NIL) | (i & TW_CHAIN_NIL);
}

static uint8_t tw_tos_of(const struct tw_entry *e)
{
	return (uint8_t)((e->hnext_tos >> TW_TOS_SHIFT) & ~3u);
}

/* FreeBSD's TIME_WAIT keeps the tcpcb: tcp_twcheck() answers with
 * tcp_respond(tp, ...), which adds TOF_SIGNATURE "if (tp->t_flags &
 * TF_SIGNATURE)" (sys/netinet/tcp_subr.c, tcp_timewait.c of freebsd-src
 * 2d614aa), its ACKs and its "UDP port numbers don't match" RSTs alike
 * (the FreeBSD suite's socket-api-setsockopt-md5-active-ipv4.pkt). Linux
 * signs with the timewait sock's key (tw_md5_key, s->tx_lkey). */
static void tw_sign(gt_stack *s, const struct tw_entry *e)
{
	if (s->cfg.md5sig_bsd && (e->hnext_tos & TW_SIGNED))
		s->tx_sign = true; /* tcp_send_raw() clears it */
}

static uint32_t now32(const gt_stack *s) { return (uint32_t)s->now_us; }

static uint32_t two_msl_us(const gt_stack *s) { return 2 * s->cfg.msl_ms * 1000; }

/* The entry's 2MSL deadline: its timer's start plus 2MSL. */
static uint64_t nominal_us(const struct tw_table *t, const struct tw_entry *e)
{
	uint64_t base = t->base_us;
	return base + (uint32_t)(e->expire_us - (uint32_t)base);
}

/* When the entry expires: Linux's tw_timer is a timer_list on the wheel
 * (__inet_twsk_schedule(): mod_timer(jiffies + timeo), TIMER_PINNED), so
 * with cfg.timer_wheel a 60 s TIME-WAIT (level 3 at HZ=250) ends up to
 * 2.048 s after its nominal deadline (tcp_wheel_at() of its start). The
 * wheel's time is monotonic in the start, so the ring stays in order. */
static uint64_t deadline_us(const gt_stack *s, const struct tw_table *t, const struct tw_entry *e)
{
	uint64_t at = nominal_us(t, e);
	if (!s->cfg.timer_wheel)
		return at;
	uint64_t two = two_msl_us(s);
	return at >= two ? tcp_wheel_at(s, at - two, two) : at;
}

/* Microseconds left before the entry expires (<= 0: due). */
static int64_t left_us(const gt_stack *s, const struct tw_table *t, const struct tw_entry *e)
{
	return (int64_t)(deadline_us(s, t, e) - s->now_us);
}

static uint32_t tw_bucket(const gt_stack *s, const struct tw_table *t, ip_addr laddr,
			  uint16_t lport, ip_addr faddr, uint16_t fport)
{
	return tcp_hash_tuple(s->hash_key, laddr, lport, faddr, fport) & (t->cap - 1);
}

static uint32_t find(const gt_stack *s, const struct tw_table *t, ip_addr laddr, uint16_t lport,
		     ip_addr faddr, uint16_t fport)
{
	if (!t->used)
		return TW_NIL;
	for (uint32_t i = t->bucket[tw_bucket(s, t, laddr, lport, faddr, fport)]; i != TW_NIL;
	     i = hnext(E(t, i))) {
		const struct tw_entry *e = E(t, i);
		if (e->lport == lport && e->fport == fport && faddr_is(t, e, faddr) &&
		    ip_addr_eq(laddr_of(s, t, e), laddr))
			return i;
	}
	return TW_NIL;
}

static uint32_t entry_bucket(const gt_stack *s, const struct tw_table *t, const struct tw_entry *e)
{
	return tw_bucket(s, t, laddr_of(s, t, e), e->lport, faddr_of(t, e), e->fport);
}

static void unhash(gt_stack *s, struct tw_table *t, uint32_t i)
{
	struct tw_entry *e = E(t, i);
	uint32_t *head = &t->bucket[entry_bucket(s, t, e)];
	if (*head == i) {
		*head = hnext(e);
		return;
	}
	uint32_t p = *head;
	while (hnext(E(t, p)) != i)
		p = hnext(E(t, p));
	set_hnext(E(t, p), hnext(e));
}

static void link_hash(gt_stack *s, struct tw_table *t, uint32_t i)
{
	struct tw_entry *e = E(t, i);
	uint32_t b = entry_bucket(s, t, e);
	set_hnext(e, t->bucket[b]);
	t->bucket[b] = i;
}

/* Takes an entry out; its slot stays as a tombstone until the head passes. */
static void tw_unlink(gt_stack *s, struct tw_table *t, uint32_t i)
{
	unhash(s, t, i);
	E(t, i)->flags &= (uint8_t)~TW_LIVE;
	t->used--;
	t->port_used[E(t, i)->lport]--;
}

/* The entry ends: its remote UDP port, if it had one, goes too. */
static void tw_remove(gt_stack *s, struct tw_table *t, uint32_t i)
{
	struct tw_entry *e = E(t, i);
	if (s->tun_n)
		tcp_tun_set(s, laddr_of(s, t, e), e->lport, faddr_of(t, e), e->fport, 0);
	tw_unlink(s, t, i);
}

/* Re-lays the live entries, in deadline order, into a ring of ncap slots
 * (squeezing out tombstones) and rebuilds the hash. */
static int relayout(gt_stack *s, struct tw_table *t, uint32_t ncap)
{
	uint8_t *ne = malloc((size_t)ncap * t->esize);
	uint32_t *nb = malloc((size_t)ncap * sizeof(*nb));
	if (!ne || !nb) {
		free(ne);
		free(nb);
		return -ENOMEM;
	}
	uint32_t n = 0;
	for (uint32_t pos = t->head; pos != t->tail; pos++) {
		uint32_t i = pos & (t->cap - 1);
		if (E(t, i)->flags & TW_LIVE)
			memcpy(ne + (size_t)n++ * t->esize, t->slots + (size_t)i * t->esize, t->esize);
	}
	free(t->slots);
	free(t->bucket);
	t->slots = ne;
	t->bucket = nb;
	t->cap = ncap;
	t->head = 0;
	t->tail = n;
	memset(nb, 0xff, (size_t)ncap * sizeof(*nb));
	for (uint32_t i = 0; i < n; i++)
		link_hash(s, t, i);
	return 0;
}

/* A slot at the tail for a new entry, or TW_NIL when the tables are full. */
static uint32_t tw_slot(gt_stack *s, struct tw_table *t)
{
	if (s->tw->used + s->tw6->used >= s->cfg.max_timewait)
		return TW_NIL;
	if (t->tail - t->head == t->cap) {
		/* The ring is full of entries and tombstones: grow it, or just
		 * squeeze the tombstones out when they are many. */
		uint32_t ncap = t->cap ? t->cap : 256;
		if (t->used >= t->cap / 2 || !t->cap)
			ncap = t->cap ? t->cap * 2 : 256;
		if (relayout(s, t, ncap) < 0)
			return TW_NIL;
	}
	uint32_t i = t->tail & (t->cap - 1);
	t->tail++;
	return i;
}

static void trace_arm(gt_stack *s, const struct tcp_conn *c)
{
	tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_TIME_WAIT,
		  tcp_trace_delay(2ull * s->cfg.msl_ms * 1000), 0, NULL);
}

/* The index of a local address among the stack's of its family, or n. */
static uint32_t addr_index(const gt_stack *s, ip_addr laddr, uint32_t *n)
{
	uint32_t idx = 0;
	if (ip_addr_is_v4(laddr)) {
		*n = s->naddr;
		while (idx < s->naddr && s->addr[idx] != ip_addr_v4_of(laddr))
			idx++;
	} else {
		*n = s->naddr6;
		while (idx < s->naddr6 && !ip_addr_eq(s->addr6[idx], laddr))
			idx++;
	}
	return idx;
}

/* Linux's tcp_time_wait() takes inet->tos into tw_tos (inet_twsk_alloc())
 * and then, for a PF_INET6 socket whatever the flow, np->tclass over it
 * (tw_tclass is tw_tos): a v4-mapped connection's timewait ACKs carry the
 * socket's IPV6_TCLASS as their IPv4 TOS (tcp_v4_timewait_ack()). The
 * FreeBSD profile keeps the connection's (cfg.tw_bsd_check). While the
 * socket is open its options say it; after close() the TCB keeps it
 * (tcp_tw_keep_tclass()). Linux 6.18.44:
 * tests/pkt/linux/ip-time-wait-tos-mapped-takes-tclass.pkt,
 * close-orphan-fin-wait-2-mapped-takes-tclass.pkt. */
static bool tw_tclass_of_socket(gt_stack *s, const struct tcp_conn *c, uint8_t *dscp)
{
	if (s->cfg.tw_bsd_check || c->owner < 0)
		return false;
	const struct gt_sock *so = sock_get(s, c->owner);
	if (!so || so->local.family != GT_AF_INET6)
		return false;
	*dscp = (uint8_t)(so->o.ip6_tclass >> 2) & 0x3f;
	return true;
}

uint8_t tcp_tw_dscp(gt_stack *s, const struct tcp_conn *c)
{
	uint8_t dscp;
	if (tw_tclass_of_socket(s, c, &dscp))
		return dscp;
	if (c->owner < 0 && !s->cfg.tw_bsd_check && !s->cfg.keepinit_bsd &&
	    (c->orphan_tclass & TCP_ORPHAN_TCLASS))
		return (uint8_t)(c->orphan_tclass & 0x3f);
	return c->ip_dscp;
}

void tcp_tw_keep_tclass(gt_stack *s, struct tcp_conn *c)
{
	/* keep_init_s is an active open's in SYN_SENT and SYN_RECEIVED,
	 * where it stays, and TCP_KEEPINIT's where the profile has it
	 * (cfg.keepinit_bsd; Linux has no such option). */
	uint8_t dscp;
	if (s->cfg.keepinit_bsd ||
	    ((c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED) && !c->passive))
		return;
	if (tw_tclass_of_socket(s, c, &dscp))
		c->orphan_tclass = (uint16_t)(TCP_ORPHAN_TCLASS | dscp);
}

int tw_add(gt_stack *s, const struct tcp_conn *c)
{
	uint32_t naddr;
	uint32_t idx = addr_index(s, c->laddr, &naddr);
	struct tw_table *t = tab(s, c->faddr);
	if (!t->port_used) {
		t->port_used = calloc(65536, sizeof(*t->port_used));
		if (!t->port_used)
			return -ENOBUFS;
	}
	uint32_t i = idx < naddr ? tw_slot(s, t) : TW_NIL;
	if (i == TW_NIL)
		return -ENOBUFS;
	memset(t->slots + (size_t)i * t->esize, 0, t->esize);
	if (t->v6)
		memcpy(t->slots + (size_t)i * t->esize, c->faddr.b, 12);
	struct tw_entry *e = E(t, i);
	e->faddr = ip_addr_v4_of(c->faddr);
	e->lport = c->lport;
	e->fport = c->fport;
	e->snd_nxt = c->snd_nxt;
	e->rcv_nxt = c->rcv_nxt;
	e->ts_recent = c->ts_recent;
	/* Our ACKs keep the socket's IP_TOS / IPV6_TCLASS, as Linux's
	 * tcp_time_wait() keeps tw_tos and tw_tclass for tcp_v4_timewait_ack()
	 * and tcp_v6_timewait_ack() (an AF_INET6 socket's class even over
	 * IPv4: tcp_tw_dscp()); their TTL or hop limit is the stack's,
	 * as Linux's, whose answers go out from its control socket
	 * (ip_send_unicast_reply(), tcp_v6_send_response()). */
	e->hnext_tos = (uint32_t)(tcp_tw_dscp(s, c) << 2) << TW_TOS_SHIFT;
	if (s->cfg.md5sig_bsd && tcp_signs(c))
		e->hnext_tos |= TW_SIGNED;
	e->flags = (uint8_t)(TW_LIVE | (c->ts_ok ? TW_TS : 0) | idx << TW_ADDR_SHIFT);
	if (s->cfg.tw_bsd_check && s->cfg.tw_win_tcpcb_bsd) {
		/* FreeBSD main keeps the tcpcb in TIME_WAIT (2d614aa's
		 * tcp_twstart(): "This function used to free tcpcb and
		 * allocate a compressed TCP time-wait structure tcptw"). The
		 * ACK owed goes out through tcp_output(), from the connection
		 * before it becomes this entry (tcp_enter_time_wait());
		 * tcp_twcheck() answers later through tcp_respond():
		 * win = sbspace(&so->so_rcv), at most TCP_MAXWIN << rcv_scale,
		 * then win >> rcv_scale, no floor at rcv_adv - rcv_nxt. The
		 * free space is read here, once: the entry keeps no buffer. */
		uint8_t shift = c->ws_ok ? c->rcv_wscale : 0;
		uint64_t space = tcp_rcv_space(c), cap = 65535ull << shift;
		e->win = (uint16_t)((space < cap ? space : cap) >> shift);
	} else if (s->cfg.tw_bsd_check) {
		/* 0f7ff34's tcp_twstart(): "Recover last window size sent". */
		e->win = tcp_tw_window_field(s, c);
	} else {
		/* Linux's tcp_time_wait(): tw_rcv_wnd = tcp_receive_window(),
		 * which tcp_v4_timewait_ack() / tcp_v6_timewait_ack() shift by
		 * the scale and tcp_v4_send_ack() / tcp_v6_send_ack() put in
		 * the field with htons(): its low 16 bits, not capped (6,495
		 * for 268,639 unscaled, Linux 6.18.44: tests/pkt/linux/
		 * time-wait-ack-unscaled-window-truncated.pkt). */
		uint32_t wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
		wnd >>= c->ws_ok ? c->rcv_wscale : 0;
		e->win = (uint16_t)wnd;
	}
	if (!t->used)
		t->base_us = s->now_us;
	e->expire_us = now32(s) + two_msl_us(s);
	link_hash(s, t, i);
	t->port_used[e->lport]++;
	t->used++;
	if (s->tw->used + s->tw6->used > s->tw->peak)
		s->tw->peak = s->tw->used + s->tw6->used;
	if (stack_tracing(s))
		trace_arm(s, c);
	return 0;
}

static void tw_ack(gt_stack *s, const struct tw_table *t, const struct tw_entry *e)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	ip_addr laddr = laddr_of(s, t, e), faddr = faddr_of(t, e);
	if (e->flags & TW_TS) {
		/* The connection's timestamp clock, continued (RFC 7323 7.1). */
		uint32_t off = tcp_ts_offset_tuple(s, laddr, e->lport, faddr, e->fport);
		o.has_ts = true;
		o.ts_val = (uint32_t)(s->now_us / 1000) + off;
		o.ts_ecr = e->ts_recent;
	}
	s->tx_tos = tw_tos_of(e);
	s->tx_ttl = tcp_tw_ttl_of(s, laddr, e->lport, faddr, e->fport);
	/* Linux's tcp_v4_timewait_ack(): signed with tw_md5_key. */
	if (!s->cfg.md5sig_bsd)
		s->tx_lkey = tcp_md5_lx_tuple_key(s, laddr, e->lport, faddr, e->fport);
	tw_sign(s, e);
	tcp_send_raw(s, laddr, e->lport, faddr, e->fport, e->snd_nxt, e->rcv_nxt, TH_ACK, e->win, &o);
}

/* tcp_twcheck(): "Send RST if UDP port numbers don't match", after RSTs,
 * SYN|FIN and a SYN that may open a new connection (which may change the
 * port) had their turn: a segment in UDP from another port than the
 * connection's, or in plain TCP for a tunneled one, draws an RST (seq
 * SEG.ACK) or RST|ACK (ack SEG.SEQ+SEG.LEN, SYN and FIN counted), back
 * the way it came (tcp_respond() with the segment). */
static bool port_mismatch(gt_stack *s, const struct tw_table *t, const struct tw_entry *e,
			  const struct tcp_hdr *th, uint32_t seglen)
{
	ip_addr laddr = laddr_of(s, t, e), faddr = faddr_of(t, e);
	if (tcp_tun_port_of(s, laddr, e->lport, faddr, e->fport) == s->rx_tun_port)
		return false;
	s->st.TcpUdpTunPortRst++;
	s->tx_tos = tw_tos_of(e);
	s->tx_ttl = tcp_tw_ttl_of(s, laddr, e->lport, faddr, e->fport);
	tw_sign(s, e);
	if (th->flags & TH_ACK)
		tcp_send_raw(s, laddr, e->lport, faddr, e->fport, th->ack, 0, TH_RST, 0, NULL);
	else
		tcp_send_raw(s, laddr, e->lport, faddr, e->fport, 0, th->seq + seglen,
			     TH_RST | TH_ACK, 0, NULL);
	return true;
}

/* RFC 6191 2 and RFC 9293 3.10.7.4 (TIME-WAIT): may a SYN open a new
 * incarnation of this pair? With timestamps, only when its TSval is newer;
 * without, only when its sequence number is beyond the old one. */
static bool syn_may_reuse(const gt_stack *s, const struct tw_entry *e, const struct tcp_hdr *th)
{
	if ((e->flags & TW_TS) && th->opts.has_ts && !s->cfg.tw_bsd_check)
		return (int32_t)(th->opts.ts_val - e->ts_recent) > 0;
	return seq_gt(th->seq, e->rcv_nxt);
}

/* Puts entry i back as it was after tw_remove(). */
static void relink(gt_stack *s, struct tw_table *t, uint32_t i)
{
	E(t, i)->flags |= TW_LIVE;
	link_hash(s, t, i);
	t->used++;
	t->port_used[E(t, i)->lport]++;
}

/* The peer's FIN again: restart the 2MSL timer, moving the entry to the
 * tail of the ring. Returns its new index. */
static uint32_t restart(gt_stack *s, struct tw_table *t, uint32_t i)
{
	struct tw_entry6 saved; /* big enough for either */
	memcpy(&saved, t->slots + (size_t)i * t->esize, t->esize);
	tw_unlink(s, t, i);
	uint32_t j = tw_slot(s, t);
	if (j == TW_NIL) {
		/* The ring is full and could not grow (no memory): the entry
		 * keeps its place and its deadline, 2MSL after the FIN before,
		 * rather than being lost; counted. */
		s->st.TWRestartFailed++;
		relink(s, t, i);
		return i;
	}
	memcpy(t->slots + (size_t)j * t->esize, &saved, t->esize);
	struct tw_entry *e = E(t, j);
	e->expire_us = now32(s) + two_msl_us(s);
	link_hash(s, t, j);
	t->used++;
	t->port_used[e->lport]++;
	return j;
}

/* Linux's tcp_timewait_check_oow_rate_limit(): an ACK that answers a
 * segment with nothing in it (a pure ACK out of the window, one PAWS
 * rejected) goes out at most once per oow_ack_window_ms (Linux's
 * tcp_invalid_ratelimit, 500 ms), so reordered old ACKs, or a peer that
 * answers too, never draw a burst; a segment with data or a FIN is always
 * answered (tcp_oow_rate_limited()). One byte of the entry holds the
 * period of the last answer, numbered modulo 255 from 1: an entry whose
 * life passes 255 periods (127 s at 500 ms, past Linux's 60 s TIME_WAIT)
 * may wait one period more, never longer. FreeBSD's tcp_twcheck() has no
 * such limit (tw_ack_ratelimit off). */
static bool tw_answer_allowed(gt_stack *s, struct tw_entry *e, uint32_t seglen)
{
	if (!s->cfg.tw_ack_ratelimit || seglen || !s->cfg.oow_ack_window_ms)
		return true;
	uint8_t period = (uint8_t)(1 + s->now_us / 1000 / s->cfg.oow_ack_window_ms % 255);
	if (e->answered == period) {
		s->st.TcpAckSkipped++;
		return false;
	}
	e->answered = period;
	return true;
}

/* A trace event about entry e, its a and b as enum gt_trace_type says. */
static void trace_entry(gt_stack *s, const struct tw_table *t, const struct tw_entry *e,
			enum gt_trace_type type, uint32_t a, uint32_t b, const char *reason)
{
	if (!stack_tracing(s))
		return;
	struct gt_trace_event ev = {
		.type = type, .now_us = s->now_us, .a = a, .b = b, .reason = reason,
		.laddr6 = laddr_of(s, t, e), .faddr6 = faddr_of(t, e), .lport = e->lport,
		.fport = e->fport,
	};
	stack_trace(s, &ev);
}

/* The 2MSL timer starts again: Linux's inet_twsk_reschedule() on what
 * tcp_timewait_state_process() accepts or answers, FreeBSD's
 * tcp_tw_2msl_reset() on a duplicate FIN. Traced, so that a reader of the
 * trace (the swarm's audit) knows when the entry is due. */
static uint32_t restart_traced(gt_stack *s, struct tw_table *t, uint32_t i)
{
	uint64_t failed = s->st.TWRestartFailed;
	i = restart(s, t, i);
	if (s->st.TWRestartFailed == failed) /* else its old deadline stands */
		trace_entry(s, t, E(t, i), GT_TRACE_TIMER_ARM, GT_TIMER_TIME_WAIT, two_msl_us(s),
			    NULL);
	return i;
}

bool tw_input(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
	      const struct tcp_hdr *th, uint32_t seglen, bool *reuse)
{
	struct tw_table *t = tab(s, faddr);
	uint32_t i = find(s, t, laddr, lport, faddr, fport);
	if (i == TW_NIL)
		return false;
	struct tw_entry *e = E(t, i);
	bool ts = (e->flags & TW_TS) && th->opts.has_ts;
	/* RFC 7323 5.3. Linux relaxes it for an RST whose entry has heard
	 * nothing for TCP_PAWS_MSL (60 s, tcp_paws_reject()); an entry lives
	 * 60 s from its last restart, so that is not modelled. */
	bool paws = ts && (int32_t)(th->opts.ts_val - e->ts_recent) < 0;
	bool linux_tw = !s->cfg.tw_bsd_check;
	*reuse = false;
	if (th->flags & TH_RST) {
		s->st.TcpInRsts++;
		/* RFC 1337 (fix F1): an RST must not cut TIME_WAIT short
		 * (TIME-WAIT assassination); FreeBSD's tcp_twcheck() drops
		 * every RST. Switched off (Linux's default tcp_rfc1337=0),
		 * tcp_timewait_state_process() ends the entry on an RST at
		 * exactly RCV.NXT that passes PAWS, and drops any other. */
		if (!s->cfg.rfc1337 && th->seq == e->rcv_nxt && !paws) {
			s->st.TWKilledRst++;
			trace_entry(s, t, e, GT_TRACE_STATE, GT_TCP_TIME_WAIT, GT_TCP_CLOSED,
				    "RST in TIME_WAIT (tcp_rfc1337 off)");
			tw_remove(s, t, i);
		} else {
			s->st.TWRstIgnored++;
		}
		return true;
	}
	/* A SYN|FIN meets the SYN rule below as a SYN does: FreeBSD's
	 * tcp_twcheck() asks only for TH_SYN ("if ((thflags & TH_SYN) &&
	 * SEQ_GT(th->th_seq, tw->rcv_nxt))", tcp_timewait.c of
	 * sobomax/freebsd14_vendor 0f7ff34), and the listener that then
	 * takes it answers the SYN alone unless net.inet.tcp.drop_synfin is
	 * set; with it set, tcp_input() dropped it before (the sample's
	 * recordings: TIME_WAIT stays). */
	if ((th->flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		if (!paws && syn_may_reuse(s, e, th)) {
			s->st.TWRecycled++;
			s->tw_reuse_pending = true;
			s->tw_reuse_isn = e->snd_nxt + 65535 + 2;
			tw_remove(s, t, i);
			*reuse = true;
			return true;
		}
		if (port_mismatch(s, t, e, th, seglen))
			return true;
		/* An old duplicate SYN: FreeBSD's tcp_twcheck() drops it
		 * ("does not contain an ACK"), silent to the peer, counted
		 * here: a new connection whose ISN lies below the old one's
		 * end gets no answer until the entry expires, and may time
		 * out first (swarm seed 12001223). */
		if (s->cfg.tw_bsd_check) {
			s->st.TWSynDropped++;
			return true;
		}
		/* Linux answers it with an ACK restating the final sequence
		 * numbers (RFC 5961 4's challenge ACK), limited per entry as
		 * any answer to a segment without data
		 * (tcp_timewait_check_oow_rate_limit(): a SYN is limited too,
		 * tcp_oow_rate_limited()), and restarts the timer only when
		 * PAWS rejected it: "If it is ACKless SYN it may be both old
		 * duplicate and new good SYN with random sequence number
		 * <rcv_nxt. Do not reschedule in the last case." */
		if (paws) {
			s->st.TcpPAWSDrop++;
			i = restart_traced(s, t, i);
			e = E(t, i);
		}
		if (tw_answer_allowed(s, e, 0)) {
			s->st.TcpChallengeAcks++;
			tw_ack(s, t, e);
		}
		return true;
	}
	/* RFC 9293 3.10.7.4 fifth: no ACK bit, drop; FreeBSD's tcp_twcheck()
	 * does. Linux's tcp_timewait_state_process() never looks for it: such
	 * a segment is answered as any other it does not accept, without a
	 * restart (timewait-segment-without-ack-answered.pkt). */
	if (port_mismatch(s, t, e, th, seglen))
		return true;
	bool ack = th->flags & TH_ACK;
	if (!ack && !linux_tw)
		return true;
	if (paws) {
		s->st.TcpPAWSDrop++; /* RFC 7323 5.3 */
		if (linux_tw) {
			i = restart_traced(s, t, i);
			e = E(t, i);
		}
		if (tw_answer_allowed(s, e, seglen))
			tw_ack(s, t, e);
		return true;
	}
	if ((th->flags & TH_FIN) && th->seq + seglen == e->rcv_nxt) {
		/* The peer's FIN again: our last ACK was lost. Re-ACK and
		 * restart the 2MSL timer (RFC 9293 3.10.7.4). */
		s->st.TWFinReacked++;
		/* Linux takes a timestamp only from a segment at RCV.NXT (the
		 * in-window case of tcp_timewait_state_process()); the FIN
		 * again sits one before it, and the ACK echoes the last one
		 * taken (md5-linux-time-wait-ack-signed.pkt, on the kernel). */
		if (ts && !linux_tw)
			e->ts_recent = th->opts.ts_val;
		if (ack)
			i = restart_traced(s, t, i);
		tw_ack(s, t, E(t, i));
		return true;
	}
	if (seglen == 0 && th->seq == e->rcv_nxt && !(th->flags & TH_FIN)) {
		/* An empty segment at RCV.NXT. Linux takes its timestamp and
		 * restarts the timer, answering nothing
		 * (tcp_timewait_state_process(): "In window segment, it may
		 * be only reset or bare ack"); FreeBSD's tcp_twcheck()
		 * answers all but an exact duplicate ACK. */
		if (linux_tw) {
			if (ts)
				e->ts_recent = th->opts.ts_val;
			restart_traced(s, t, i);
			return true;
		}
		if (th->flags == TH_ACK && th->ack == e->snd_nxt)
			return true;
	} else if (linux_tw && ack) {
		/* Anything else with an ACK (old data, a segment beyond the
		 * window): Linux restarts the timer and answers, a segment
		 * without data at most once per oow_ack_window_ms. */
		i = restart_traced(s, t, i);
		e = E(t, i);
	}
	if (tw_answer_allowed(s, e, seglen))
		tw_ack(s, t, e);
	return true;
}

/* tcp_tw_reuse = 2: an address of the pair is a loopback one (Linux's
 * tcp_twsk_unique(): 127/8, ::1, ::ffff:127/104). */
static bool loopback_pair(ip_addr laddr, ip_addr faddr)
{
	const ip_addr *a[2] = {&laddr, &faddr};
	for (int k = 0; k < 2; k++) {
		if (ip_addr_is_v4(*a[k]) ? (ip_addr_v4_of(*a[k]) >> 24) == 127
					 : ipv6_addr_is_loopback(a[k]))
			return true;
	}
	return false;
}

bool tw_take_for_reuse(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport, bool bound, struct tw_reuse *old)
{
	struct tw_table *t = tab(s, faddr);
	uint32_t i = find(s, t, laddr, lport, faddr, fport);
	if (i == TW_NIL)
		return false;
	const struct tw_entry *e = E(t, i);
	int64_t since_us = (int64_t)two_msl_us(s) - (int64_t)(nominal_us(t, e) - s->now_us);
	int64_t at_us = (int64_t)s->now_us - since_us; /* the entry's stamp */
	bool ok;
	if (s->cfg.tw_reuse_linux) {
		/* Linux's tcp_twsk_unique(): the old connection kept a
		 * TS.Recent (tw_ts_recent_stamp), and the socket bound the
		 * port itself (twp == NULL: any tcp_tw_reuse) or tcp_tw_reuse
		 * allows the pair and tcp_clock_ms() is past tw_entry_stamp +
		 * tcp_tw_reuse_delay (time_after32(), milliseconds). The
		 * entry's stamp is when its timer last started (tw_add(),
		 * restart()), where Linux keeps the entry's first. */
		bool reuse = s->cfg.tw_reuse &&
			     (!s->cfg.tw_reuse_loopback || loopback_pair(laddr, faddr));
		uint32_t entry_ms = (uint32_t)(at_us / 1000);
		uint32_t thresh = entry_ms + s->cfg.tw_reuse_delay_ms;
		bool after = (int32_t)(thresh - (uint32_t)(s->now_us / 1000)) < 0;
		ok = (e->flags & TW_TS) && (bound || (reuse && after));
	} else {
		/* RFC 6191 2 for the active opener, as Linux's tcp_tw_reuse
		 * before 6.14: safe when the old connection used timestamps
		 * and its last one (taken when the entry's timer last
		 * started) is over a second old, so that the peer's PAWS
		 * tells the incarnations apart. */
		ok = s->cfg.tw_reuse && (e->flags & TW_TS) && since_us >= 1000000;
	}
	if (!ok)
		return false;
	old->snd_nxt = e->snd_nxt;
	old->ts_recent = e->ts_recent;
	old->ts_recent_stamp = (uint32_t)(at_us / (s->cfg.paws_bsd ? 1000 : 1000000));
	s->st.TWRecycled++;
	tw_remove(s, t, i);
	return true;
}

bool tw_exists(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport)
{
	return find(s, tab(s, faddr), laddr, lport, faddr, fport) != TW_NIL;
}

void tw_respond(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport)
{
	struct tw_table *t = tab(s, faddr);
	uint32_t i = find(s, t, laddr, lport, faddr, fport);
	if (i == TW_NIL)
		return;
	tw_ack(s, t, E(t, i));
}

/* Drops tombstones at the head; returns the head's index or TW_NIL. */
static uint32_t live_head(struct tw_table *t)
{
	while (t->head != t->tail && !(E(t, t->head & (t->cap - 1))->flags & TW_LIVE))
		t->head++;
	return t->head == t->tail ? TW_NIL : t->head & (t->cap - 1);
}

static void expire(gt_stack *s, struct tw_table *t)
{
	for (uint32_t i; (i = live_head(t)) != TW_NIL && left_us(s, t, E(t, i)) <= 0;) {
		trace_entry(s, t, E(t, i), GT_TRACE_TIMER_FIRE, GT_TIMER_TIME_WAIT, 0, NULL);
		trace_entry(s, t, E(t, i), GT_TRACE_STATE, GT_TCP_TIME_WAIT, GT_TCP_CLOSED,
			    "2MSL timer expired");
		s->st.TWExpired++;
		tw_remove(s, t, i);
	}
}

static void table_clock(gt_stack *s, struct tw_table *t)
{
	if (s->now_us - t->base_us < (1ull << 30))
		return;
	/* Deadlines are still read right against the old base (each lies
	 * within 2^30 us + 2MSL of it): expire what is due, then every
	 * remaining deadline is in (now, now + 2MSL]. */
	expire(s, t);
	t->base_us = s->now_us;
}

void tw_clock(gt_stack *s)
{
	table_clock(s, s->tw);
	table_clock(s, s->tw6);
}

void tw_expire(gt_stack *s, uint64_t now_us)
{
	(void)now_us; /* the stack's clock, already set to it */
	expire(s, s->tw);
	expire(s, s->tw6);
}

static uint32_t drop_all(gt_stack *s, struct tw_table *t)
{
	uint32_t n = 0;
	for (uint32_t i; (i = live_head(t)) != TW_NIL; n++)
		tw_remove(s, t, i);
	return n;
}

uint32_t gt_stack_timewait_drop_all(gt_stack *s)
{
	uint32_t n = drop_all(s, s->tw) + drop_all(s, s->tw6);
	s->st.TWKilled += n;
	return n;
}

static uint64_t next_deadline(const gt_stack *s, struct tw_table *t)
{
	uint32_t i = live_head(t);
	if (i == TW_NIL)
		return GT_NO_DEADLINE;
	int64_t left = left_us(s, t, E(t, i));
	return left <= 0 ? s->now_us : s->now_us + (uint64_t)left;
}

uint64_t tw_next_deadline(const gt_stack *s)
{
	uint64_t a = next_deadline(s, s->tw), b = next_deadline(s, s->tw6);
	return a < b ? a : b;
}

/* The next live entry of t at or after *pos, or TW_NIL. */
static uint32_t next_live(const struct tw_table *t, uint32_t *pos)
{
	for (; *pos != t->tail; (*pos)++) {
		uint32_t i = *pos & (t->cap - 1);
		if (E(t, i)->flags & TW_LIVE)
			return i;
	}
	return TW_NIL;
}

void tw_foreach(const gt_stack *s,
		void (*fn)(void *ctx, ip_addr laddr, uint16_t lport, ip_addr faddr,
			   uint16_t fport, uint64_t expire_us),
		void *ctx)
{
	/* Both rings are in deadline order: merged, so is the walk. */
	const struct tw_table *tt[2] = {s->tw, s->tw6};
	uint32_t pos[2] = {s->tw->head, s->tw6->head};
	for (;;) {
		uint32_t i0 = next_live(tt[0], &pos[0]), i1 = next_live(tt[1], &pos[1]);
		if (i0 == TW_NIL && i1 == TW_NIL)
			return;
		int k = i0 == TW_NIL ? 1
			: i1 == TW_NIL ? 0
			: deadline_us(s, tt[1], E(tt[1], i1)) < deadline_us(s, tt[0], E(tt[0], i0)) ? 1 : 0;
		const struct tw_table *t = tt[k];
		const struct tw_entry *e = E(t, k ? i1 : i0);
		pos[k]++;
		int64_t left = left_us(s, t, e);
		fn(ctx, laddr_of(s, t, e), e->lport, faddr_of(t, e), e->fport,
		   left <= 0 ? s->now_us : s->now_us + (uint64_t)left);
	}
}

uint32_t tw_count(const gt_stack *s) { return s->tw->used + s->tw6->used; }

uint32_t tw_on_local_port(const gt_stack *s, uint16_t port)
{
	return (s->tw->port_used ? s->tw->port_used[port] : 0) +
	       (s->tw6->port_used ? s->tw6->port_used[port] : 0);
}
uint32_t tw_peak(const gt_stack *s) { return s->tw->peak; }

static uint64_t table_bytes(const struct tw_table *t)
{
	return (uint64_t)t->cap * (t->esize + sizeof(uint32_t)) +
	       (t->port_used ? 65536u * sizeof(uint32_t) : 0);
}

uint64_t tw_bytes(const gt_stack *s) { return table_bytes(s->tw) + table_bytes(s->tw6); }
