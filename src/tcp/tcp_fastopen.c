/* TCP Fast Open (RFC 7413) as Linux 6.18 does it (net/ipv4/tcp_fastopen.c).
 * The server's side: the cookie a listener gives and checks (4.1.2), and
 * whether a SYN's data makes a child at once (4.2.2). The client's side:
 * the cookie cache (Linux keeps it in net/ipv4/tcp_metrics.c,
 * tcp_fastopen_cache_get() and _set()), what a SYN carries
 * (tcp_fastopen_cookie_check(), tcp_send_syn_data()) and what its SYN-ACK
 * teaches (tcp_rcv_fastopen_synack()). */
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"


/* __tcp_fastopen_cookie_gen_cipher(): siphash() of the SYN's source and
 * destination addresses as they stand in its IP header (8 bytes for
 * IPv4, 32 for IPv6), the 64-bit tag written little-endian
 * (cpu_to_le64()). */
void tcp_fastopen_cookie(const uint8_t key[16], ip_addr src, ip_addr dst,
			 uint8_t out[TCP_FO_COOKIE_LEN])
{
	uint8_t in[32];
	size_t n;
	if (ip_addr_is_v4(src)) {
		memcpy(in, src.b + 12, 4);
		memcpy(in + 4, dst.b + 12, 4);
		n = 8;
	} else {
		memcpy(in, src.b, 16);
		memcpy(in + 16, dst.b, 16);
		n = 32;
	}
	uint64_t h = siphash24(key, in, n);
	for (int i = 0; i < TCP_FO_COOKIE_LEN; i++)
		out[i] = (uint8_t)(h >> (8 * i));
}

/* The queue of a listener: TCP_FASTOPEN's length, or with
 * GT_TFO_SERVER_WO_SOCKOPT1 the backlog (inet_listen(): fastopen_queue_tune()
 * when the socket set none). */
static uint32_t tfo_qlen(const gt_stack *s, const struct tcp_listener *l)
{
	if (l->opts.tfo_qlen)
		return l->opts.tfo_qlen;
	if ((s->cfg.fastopen & GT_TFO_SERVER_WO_SOCKOPT1) && (s->cfg.fastopen & GT_TFO_SERVER_ENABLE))
		return l->backlog > 0 ? (uint32_t)l->backlog : 0;
	return 0;
}

/* tcp_fastopen_queue_check(): a listener with a queue, not full. Linux
 * may first let go of a reset child whose timer ran out
 * (rskq_rst_head); glasstcp counts a child out when it leaves
 * SYN_RECEIVED, reset or not. */
static bool queue_check(gt_stack *s, const struct tcp_listener *l)
{
	uint32_t max = tfo_qlen(s, l);
	if (!max)
		return false;
	if (l->tfo_len >= max) {
		s->st.TcpFastOpenListenOverflow++;
		return false;
	}
	return true;
}

/* tcp_try_fastopen(), for a SYN from src to dst on l whose options are in
 * (syn_data: it carries data): true when the child is made at once, its
 * data taken, and the SYN-ACK carries no cookie; false otherwise, with
 * reply's Fast Open option set where the SYN-ACK gives the client a cookie
 * (a request, or a bad cookie: tcp_fastopen_cookie_gen(),
 * tcp_fastopen_cookie_gen_check()). The caller counts
 * TcpFastOpenPassiveFail if it cannot make the child. */
bool tcp_fastopen_try(gt_stack *s, struct tcp_listener *l, ip_addr src, ip_addr dst,
		      bool syn_data, const struct tcp_opts *in, struct tcp_opts *reply)
{
	reply->has_fo = false;
	if (!s->cfg.fastopen_linux)
		return false;
	bool asks = in->has_fo && !in->fo_bad && in->fo_len == 0;
	if (asks)
		s->st.TcpFastOpenCookieReqd++;
	/* foc->len >= 0: an option that is no bad one. */
	bool has = in->has_fo && !in->fo_bad;
	if (!(s->cfg.fastopen & GT_TFO_SERVER_ENABLE) || !(syn_data || has) || !queue_check(s, l))
		return false;
	/* tcp_fastopen_no_cookie(): the sysctl's bit, or the socket's
	 * TCP_FASTOPEN_NO_COOKIE. */
	if ((s->cfg.fastopen & GT_TFO_SERVER_COOKIE_NOT_REQD) || l->opts.tfo_no_cookie)
		return true;
	if (!has)
		return false;
	const uint8_t *key = l->opts.tfo_key_set ? l->opts.tfo_key : s->cfg.fastopen_key;
	uint8_t valid[TCP_FO_COOKIE_LEN];
	tcp_fastopen_cookie(key, src, dst, valid);
	if (in->fo_len == TCP_FO_COOKIE_LEN && !memcmp(in->fo, valid, TCP_FO_COOKIE_LEN))
		return true;
	if (in->fo_len > 0)
		s->st.TcpFastOpenPassiveFail++;
	/* The SYN-ACK gives the valid cookie, in the option's form the SYN
	 * used (valid_foc.exp = foc->exp). */
	reply->has_fo = true;
	reply->fo_exp = in->fo_exp;
	reply->fo_bad = false;
	reply->fo_len = TCP_FO_COOKIE_LEN;
	memcpy(reply->fo, valid, TCP_FO_COOKIE_LEN);
	return false;
}

/* A TFO child's handshake ends, or the child does (called before the
 * state changes): its listener's queue has room again. Linux's
 * reqsk_fastopen_remove() (fastopenq->qlen--), from
 * tcp_rcv_synrecv_state_fastopen() in SYN_RECV or, for a child closed
 * before the ACK (tcp_close_state(): FIN_WAIT1), in FIN_WAIT1
 * (tcp_rcv_state_process()), and from __tcp_close()/tcp_done() where it
 * ends; FreeBSD's tcp_fastopen_decrement_counter() from the SYN_RECEIVED
 * ACK path (tcp_do_segment()) and tcp_close() (tcp_subr.c). tcp_tfo_pending() says
 * it is still counted: a child closed by its application has no owner and
 * may have left SYN_RECEIVED (counted in TcpFastOpenChildClosedPending). Once
 * accepted the child no longer holds its listener's handle; the listener
 * on its address and port is the one (a listener closed and opened again
 * meanwhile counts it out of the new one, never below zero). */
void tcp_fastopen_child_done(gt_stack *s, struct tcp_conn *c)
{
	if (!tcp_tfo_pending(c))
		return;
	if (c->owner < 0 && !c->in_accept_q)
		s->st.TcpFastOpenChildClosedPending++;
	struct tcp_listener *l = c->lh >= 0 ? tcp_listener_get(s, c->lh)
					    : tcp_listener_find(s, c->laddr, c->lport);
	if (c->lh == TCP_LH_TFO_PENDING)
		c->lh = -1;
	if (l && l->tfo_len)
		l->tfo_len--;
}

/* The client's cache entry for src -> dst (tcp_get_metrics()), made when
 * create asks and none is there: a free one, or the least recently used
 * one given way (counted). */
static struct tfo_cache_ent *cache_get(gt_stack *s, ip_addr src, ip_addr dst, bool create)
{
	struct tfo_cache_ent *free_e = NULL, *old = NULL;
	for (int i = 0; i < GT_TFO_CACHE; i++) {
		struct tfo_cache_ent *e = &s->tfo_cache[i];
		if (!e->used) {
			if (!free_e)
				free_e = e;
			continue;
		}
		if (ip_addr_eq(e->src, src) && ip_addr_eq(e->dst, dst)) {
			e->used = ++s->tfo_clock;
			return e;
		}
		if (!old || e->used < old->used)
			old = e;
	}
	if (!create)
		return NULL;
	struct tfo_cache_ent *e = free_e ? free_e : old;
	if (!free_e)
		s->st.TcpFastOpenCacheEvicted++;
	memset(e, 0, sizeof(*e));
	e->src = src;
	e->dst = dst;
	e->used = ++s->tfo_clock;
	return e;
}

void tcp_fastopen_cache_flush(gt_stack *s)
{
	memset(s->tfo_cache, 0, sizeof(s->tfo_cache));
}

/* Linux's tcp_metrics_flush_all() as `ip tcp_metrics flush all` runs it:
 * of what tcp_metrics keeps, the stack keeps the Fast Open client's
 * cookie and MSS per destination (gt_tcp_metrics_flush()). */
void gt_tcp_metrics_flush(gt_stack *s) { tcp_fastopen_cache_flush(s); }

/* What an active open's first SYN carries (tcp_send_syn_data() with
 * tcp_fastopen_cookie_check()): *fo its Fast Open option (has_fo false:
 * none), *space the data it may carry; true when it carries data. The
 * cached cookie goes with data; none cached, an empty option asks for
 * one (in the experimental form where the cache says to try it) and the
 * SYN carries no data; without a cookie needed (GT_TFO_CLIENT_NO_COOKIE, or
 * the socket's TCP_FASTOPEN_NO_COOKIE: tcp_fastopen_no_cookie()) data
 * and no option. The room: the cached MSS of the peer, else the one we
 * offer (tp->rx_opt.mss_clamp = tp->advmss), bounded by ours
 * (__tcp_mtu_to_mss(), at least tcp_min_snd_mss), less
 * MAX_TCP_OPTION_SPACE (40) "for middleboxes that add private TCP
 * options". Linux's blackhole check (tcp_fastopen_active_should_disable())
 * is not modelled: net.ipv4.tcp_fastopen_blackhole_timeout_sec is 0 by
 * default, which never disables. */
bool tcp_fastopen_client_plan(gt_stack *s, const struct tcp_conn *c, bool sock_no_cookie,
			      struct tcp_opts *fo, uint32_t *space)
{
	const struct tfo_cache_ent *e = cache_get(s, c->laddr, c->faddr, false);
	uint32_t mss = c->rcv_mss;
	if (e && e->mss && e->mss < mss)
		mss = e->mss;
	if (mss < s->cfg.lx_min_snd_mss)
		mss = s->cfg.lx_min_snd_mss;
	*space = mss > 40 ? mss - 40 : 0;
	fo->has_fo = false;
	fo->fo_bad = false;
	fo->fo_exp = false;
	fo->fo_len = 0;
	if ((s->cfg.fastopen & GT_TFO_CLIENT_NO_COOKIE) || sock_no_cookie)
		return true;
	fo->has_fo = true;
	if (e && e->len) {
		fo->fo_len = e->len;
		fo->fo_exp = e->exp;
		memcpy(fo->fo, e->cookie, e->len);
		return true;
	}
	/* tcp_fastopen_cache_get(): "if (cookie->len <= 0 && tfom->try_exp
	 * == 1) cookie->exp = true". */
	fo->fo_exp = e && e->try_exp == 1;
	*space = 0;
	return false;
}

/* tcp_rcv_fastopen_synack(), for the SYN-ACK of an active open whose SYN
 * was a Fast Open one (tcp_tfo_syn()): the cache learns the peer's MSS and
 * the cookie it gave (a SYN that asked for none ignores one: "Ignore an
 * unsolicited cookie"); a SYN-ACK without an option to a request that
 * carried no data asks for the other form next time (try_exp); after
 * the SYN timed out, one that acknowledges no data and gives no cookie
 * counts a SYN loss (syn_drop). syn_data: the SYN carried data;
 * data_unacked: the SYN-ACK left some of it unacknowledged. True when
 * that data must go again at once (TcpFastOpenActiveFail: "Retransmit
 * unacked data in SYN"); else, the data acknowledged, the connection's
 * syn_data_acked (TCPI_OPT_SYN_DATA) and TcpFastOpenActive. */
bool tcp_fastopen_synack(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o, bool syn_data,
			 bool data_unacked)
{
	bool asked = tcp_tfo_syn(c) && !(s->cfg.fastopen & GT_TFO_CLIENT_NO_COOKIE);
	c->defer_acked = false; /* syn_data_acked from here */
	int len = o->has_fo && !o->fo_bad ? o->fo_len : -1;
	uint8_t try_exp = 0;
	bool syn_drop = false;
	struct tfo_cache_ent *e = cache_get(s, c->laddr, c->faddr, true);
	if (!asked)
		len = -1;
	else if (c->syn_retries)
		syn_drop = len < 0 && data_unacked;
	else if (len < 0 && !syn_data)
		/* "try_exp = tp->syn_fastopen_exp ? 2 : 1": the request was
		 * in the experimental form where the cache said to try it. */
		try_exp = e->try_exp == 1 && !e->len ? 2 : 1;
	/* tcp_fastopen_cache_set() */
	if (o->has_mss && o->mss)
		e->mss = o->mss;
	if (len > 0) {
		e->len = (uint8_t)len;
		e->exp = o->fo_exp;
		memcpy(e->cookie, o->fo, (size_t)len);
	} else if (try_exp > e->try_exp && !e->len && !e->exp) {
		e->try_exp = try_exp;
	}
	if (syn_drop)
		e->syn_loss++;
	else
		e->syn_loss = 0;
	if (data_unacked) {
		s->st.TcpFastOpenActiveFail++;
		return true;
	}
	if (syn_data) {
		c->defer_acked = true; /* syn_data_acked (tcp_syn_data_acked()) */
		s->st.TcpFastOpenActive++;
	}
	return false;
}

/* ---- FreeBSD's client (cfg.fastopen_bsd), sys/netinet/tcp_fastopen.c ---- */

/* net.inet.tcp.fastopen.path_disable_time's default, 900 s. */
#define BSD_PATH_DISABLE_US (900ull * 1000000u)

/* tcp_fastopen_connect() for a TF_FASTOPEN connection's implied connect:
 * false where its path is disabled (a SYN-ACK without the option, or an
 * invalid cookie, less than path_disable_time ago: TF_FASTOPEN cleared, a
 * plain SYN); else *fo the cached cookie, or an empty option asking for
 * one (no entry, or one re-enabled after path_disable_time), and *space
 * the data the SYN may carry: one segment of the cached server MSS
 * (tcp_mss(tp, server_mss); snd_wnd = t_maxseg), none with no cookie
 * (tcp_output(): "SYN_SENT && t_tfo_client_cookie_len == 0"). The cache
 * is keyed by the addresses (FreeBSD's also by the foreign port). */
bool tcp_fastopen_bsd_plan(gt_stack *s, const struct tcp_conn *c, struct tcp_opts *fo,
			   uint32_t *space)
{
	struct tfo_cache_ent *e = cache_get(s, c->laddr, c->faddr, false);
	fo->has_fo = false;
	fo->fo_bad = false;
	fo->fo_exp = false;
	fo->fo_len = 0;
	*space = 0;
	if (e && e->disabled_us) {
		if (s->now_us - e->disabled_us <= BSD_PATH_DISABLE_US)
			return false;
		e->disabled_us = 0;
		e->len = 0;
		e->mss = 0;
	}
	fo->has_fo = true;
	if (e && e->len) {
		fo->fo_len = e->len;
		memcpy(fo->fo, e->cookie, e->len);
		*space = e->mss && e->mss < c->rcv_mss ? e->mss : c->rcv_mss;
	}
	return true;
}

/* tcp_fastopen_connect() for a disabled path (tcp_fastopen_bsd_plan()
 * false): TF_FASTOPEN is cleared, but tcp_mss(tp, -1) is called all the
 * same (sys/netinet/tcp_fastopen.c), so t_maxseg is the path's MSS, at
 * least 64 (tcp_mss_update()), not tcp_mssdflt. The send MSS holds it,
 * less the options, in SYN_SENT, where tcp_bsd_icmp_maxseg() reads it: a
 * frag-needed under it is taken and the plain SYN sent again
 * (tests/pkt/freebsd/fastopen-client-path-disabled-frag-needed-*.pkt). */
void tcp_fastopen_bsd_disabled_maxseg(gt_stack *s, struct tcp_conn *c)
{
	uint32_t m = c->rcv_mss < 64 ? 64 : c->rcv_mss;
	tcp_mss_set_path(s, c, (uint16_t)(m - tcp_seg_opt_bytes(c)));
}

/* tcp_fastopen_connect() for a TF_FASTOPEN connection (sys/netinet/
 * tcp_fastopen.c): the cookie (none for a request) copied into
 * tp->t_tfo_cookie.client, and t_maxseg from tcp_mss(tp, server_mss ?
 * server_mss : -1), kept here as the SYN's data bound (space, 0 none):
 * what the cache holds later does not change them. */
void tcp_fastopen_bsd_syn_copy(gt_stack *s, const struct tcp_conn *c, const struct tcp_opts *fo,
			       uint32_t space)
{
	struct tfo_syn_copy *slot = NULL, *oldest = NULL;
	for (int i = 0; i < GT_TFO_SYN_COPIES && !slot; i++) {
		struct tfo_syn_copy *x = &s->tfo_syn_copy[i];
		if (x->c == c || !x->c)
			slot = x;
		else if (!oldest || x->at_us < oldest->at_us)
			oldest = x;
	}
	if (!slot) {
		slot = oldest;
		s->st.TcpFastOpenSynCopyEvicted++;
	}
	slot->c = c;
	slot->at_us = s->now_us;
	slot->iss = c->iss;
	slot->mss = (uint16_t)(space < UINT16_MAX ? space : UINT16_MAX);
	slot->len = fo->fo_len;
	memcpy(slot->cookie, fo->fo, fo->fo_len);
}

/* A TF_FASTOPEN active open in SYN_SENT (tcp_tfo_syn()): *fo the cookie
 * its SYN sends, FreeBSD's copy in the connection (tp->t_tfo_cookie.client,
 * tcp_fastopen_bsd_syn_copy(): the same after the cache entry it came from
 * was emptied, disabled or changed; the cache entry read again where the
 * copy gave way), and the return t_maxseg as tcp_fastopen_connect()'s
 * tcp_mss(tp, server_mss ? server_mss : -1) left it: the path's MSS
 * (rcv_mss, as tcp_mtudisc() has lowered it since) bounded by the cached
 * server MSS, at least 64 (tcp_mss_update()). Nothing in the cache
 * changes. */
uint32_t tcp_fastopen_bsd_syn_maxseg(const gt_stack *s, const struct tcp_conn *c,
				     struct tcp_opts *fo)
{
	uint32_t m = c->rcv_mss;
	fo->has_fo = true;
	fo->fo_bad = false;
	fo->fo_exp = false;
	fo->fo_len = 0;
	for (int i = 0; i < GT_TFO_SYN_COPIES; i++) {
		const struct tfo_syn_copy *x = &s->tfo_syn_copy[i];
		if (x->c == c && x->iss == c->iss) {
			fo->fo_len = x->len;
			memcpy(fo->fo, x->cookie, x->len);
			if (x->mss && x->mss < m)
				m = x->mss;
			return m < 64 ? 64 : m;
		}
	}
	const struct tfo_cache_ent *e = NULL;
	for (int i = 0; i < GT_TFO_CACHE && !e; i++) {
		const struct tfo_cache_ent *x = &s->tfo_cache[i];
		if (x->used && ip_addr_eq(x->src, c->laddr) && ip_addr_eq(x->dst, c->faddr))
			e = x;
	}
	if (e && e->len && !e->disabled_us) {
		fo->fo_len = e->len;
		memcpy(fo->fo, e->cookie, e->len);
		if (e->mss && e->mss < m)
			m = e->mss;
	}
	return m < 64 ? 64 : m;
}

/* tcp_do_segment() in SYN_SENT for a TF_FASTOPEN connection (tcp_tfo_syn()):
 * a SYN-ACK with the option updates the cache (tcp_fastopen_update_cache():
 * a cookie of 4 to 16 bytes, even, is kept with the SYN-ACK's MSS, or
 * TCP_MSS / TCP6_MSS without one; any other length disables the path),
 * one without it disables the path and clears TF_FASTOPEN
 * (tcp_fastopen_disable_path()). True where the SYN's data is left
 * unacknowledged with TF_FASTOPEN still on ("snd_nxt = th_ack;
 * tfo_partial_ack = 1": resent at once). */
bool tcp_fastopen_bsd_synack(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o,
			     bool data_unacked)
{
	bool tfo = tcp_tfo_syn(c);
	c->defer_acked = false;
	if (!tfo)
		return false;
	struct tfo_cache_ent *e = cache_get(s, c->laddr, c->faddr, true);
	uint64_t now = s->now_us | 1;
	if (!o->has_fo) {
		e->len = 0;
		if (!e->disabled_us)
			e->disabled_us = now;
		return false;
	}
	bool valid = !o->fo_bad && o->fo_len >= 4 && o->fo_len <= 16 && !(o->fo_len & 1);
	if (valid) {
		e->len = o->fo_len;
		e->exp = false;
		memcpy(e->cookie, o->fo, o->fo_len);
		/* TCP_MSS / TCP6_MSS, which are mss_default's 536 and
		 * IPv6's 1220 (tcp_mss_default_for()). */
		e->mss = o->has_mss && o->mss ? o->mss : (uint16_t)tcp_mss_default_for(s, c->faddr);
		e->disabled_us = 0;
	} else {
		e->len = 0;
		if (!e->disabled_us)
			e->disabled_us = now;
	}
	return data_unacked;
}

/* ---- FreeBSD's server (cfg.fastopen_bsd_server), sys/netinet ---- */

/* tcp_fastopen_make_cookie(): SipHash-2-4 under a 16-byte key of the
 * client's address alone (inc_faddr, 4 bytes, or inc6_faddr, 16), the
 * 64-bit tag as SipHash_Final() writes it (little-endian). */
static void bsd_cookie(const uint8_t key[16], ip_addr client, uint8_t out[TCP_FO_COOKIE_LEN])
{
	bool v4 = ip_addr_is_v4(client);
	uint64_t h = siphash24(key, v4 ? client.b + 12 : client.b, v4 ? 4 : 16);
	for (int i = 0; i < TCP_FO_COOKIE_LEN; i++)
		out[i] = (uint8_t)(h >> (8 * i));
}

/* The cookie a SYN-ACK gives client (tcp_fastopen_check_cookie()'s
 * *latest_cookie): the newest key's; all zeros under acceptany; false
 * with no key installed. */
bool tcp_fastopen_bsd_latest_cookie(const gt_stack *s, ip_addr client,
				    uint8_t out[TCP_FO_COOKIE_LEN])
{
	if (s->cfg.fastopen_bsd_acceptany) {
		memset(out, 0, TCP_FO_COOKIE_LEN);
		return true;
	}
	if (!s->cfg.fastopen_bsd_numkeys)
		return false;
	bsd_cookie(s->cfg.fastopen_bsd_keys[s->cfg.fastopen_bsd_newest & 1], client, out);
	return true;
}

static void bsd_reply(const uint8_t cookie[TCP_FO_COOKIE_LEN], struct tcp_opts *reply)
{
	reply->has_fo = true;
	reply->fo_exp = false;
	reply->fo_bad = false;
	reply->fo_len = TCP_FO_COOKIE_LEN;
	memcpy(reply->fo, cookie, TCP_FO_COOKIE_LEN);
}

/* syncache_add() for a SYN to l from client: true where
 * tcp_fastopen_check_cookie() takes its cookie and syncache_tfo_expand()
 * makes the child at once; else reply's Fast Open option is what the SYN
 * cache's SYN-ACK gives (syncache_respond(): sc_tfo_cookie, once). Only
 * with server_enable, a listener with TF_FASTOPEN (its t_tfo_pending
 * counter) and a Fast Open option (tcp_dooptions(): TCPOPT_FAST_OPEN,
 * not the experimental kind); and only while "atomic_fetchadd_int(
 * tp->t_tfo_pending, 1) <= (so->sol_qlimit / 2)": the counter starts at 1
 * (tcp_fastopen_alloc_counter()), so with p children pending the SYN is
 * looked at while 1 + p <= backlog / 2. Past it the SYN cache answers
 * with no option. tcp_fastopen_check_cookie(): acceptany takes any
 * cookie; one of another length than 8 (an empty one asks for a cookie)
 * gets the newest key's cookie, or none with no key; one of 8 bytes is
 * compared with each key's cookie, newest first. FreeBSD keeps no
 * counters here; glasstcp counts each outcome. */
bool tcp_fastopen_bsd_try(gt_stack *s, struct tcp_listener *l, ip_addr client,
			  const struct tcp_opts *in, struct tcp_opts *reply)
{
	reply->has_fo = false;
	if (!s->cfg.fastopen_bsd_server || !l->opts.tfo_bsd || !in->has_fo || in->fo_exp)
		return false;
	if (1 + (int64_t)l->tfo_len > (int64_t)(l->backlog / 2)) {
		s->st.TcpFastOpenBsdPendingLimit++;
		return false;
	}
	uint8_t latest[TCP_FO_COOKIE_LEN];
	if (s->cfg.fastopen_bsd_acceptany) {
		s->st.TcpFastOpenBsdCookieValid++;
		return true;
	}
	if (!tcp_fastopen_bsd_latest_cookie(s, client, latest)) {
		/* -1; for an 8-byte cookie FreeBSD's loop runs no key and
		 * returns 0 with *latest_cookie never written: glasstcp gives
		 * no option then either. */
		s->st.TcpFastOpenBsdNoKey++;
		return false;
	}
	if (in->fo_bad || in->fo_len != TCP_FO_COOKIE_LEN) {
		s->st.TcpFastOpenBsdCookieReqd++;
		bsd_reply(latest, reply);
		return false;
	}
	uint8_t k = s->cfg.fastopen_bsd_newest & 1;
	for (uint8_t i = 0; i < s->cfg.fastopen_bsd_numkeys && i < 2; i++, k ^= 1) {
		uint8_t cur[TCP_FO_COOKIE_LEN];
		bsd_cookie(s->cfg.fastopen_bsd_keys[k], client, cur);
		if (!memcmp(cur, in->fo, TCP_FO_COOKIE_LEN)) {
			s->st.TcpFastOpenBsdCookieValid++;
			return true;
		}
	}
	s->st.TcpFastOpenBsdCookieInvalid++;
	bsd_reply(latest, reply);
	return false;
}

/* syncache_tfo_expand() made c: "tp->snd_max = tp->iss; tp->snd_nxt =
 * tp->iss", no SYN-ACK yet. tcp_do_segment() then takes the SYN's data
 * and, for the TFO SYN, sets TF_DELACK ("DELAY_ACK(tp, tlen) ||
 * tfo_syn"): the SYN-ACK goes when the delayed-ACK timer fires
 * (tcp_fastopen_bsd_synack_due()), or before with the first data
 * written. */
void tcp_fastopen_bsd_defer(gt_stack *s, struct tcp_conn *c)
{
	c->snd_nxt = c->snd_max = c->snd_una = c->iss;
	if (c->delack_at == TCP_TIMER_NONE) {
		c->delack_at = s->now_us + s->cfg.delack_us;
		tcp_timers_update(s, c);
	}
}

/* A FreeBSD TFO child whose SYN-ACK has not gone (snd_max still ISS):
 * tcp_output() in SYN_RECEIVED sends it (tcp_outflags[]: SYN|ACK), with
 * the Fast Open option of t_tfo_cookie.server while t_rxtshift is 0 (the
 * cookie is computed again from the keys as they are now). A child that
 * wrote (tcp_tfo_wrote(): its data from ISS+1) sends the first segment's
 * worth on it: TF_FASTOPEN lets tcp_output() put data on a SYN, up to
 * the peer's window and t_maxseg. True where it was sent. */
bool tcp_fastopen_bsd_synack_due(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.fastopen_bsd || c->state != GT_TCP_SYN_RECEIVED || !c->passive ||
	    c->snd_max != c->iss || !tcp_tfo_child(c))
		return false;
	struct tcp_opts fo;
	uint8_t latest[TCP_FO_COOKIE_LEN];
	fo.has_fo = false;
	if (tcp_fastopen_bsd_latest_cookie(s, c->faddr, latest))
		bsd_reply(latest, &fo);
	if (!tcp_tfo_wrote(c)) {
		tcp_send_synack_fo(s, c, &fo);
		return true;
	}
	uint32_t len = c->snd.len;
	if (len > c->mss)
		len = c->mss;
	if (len > c->snd_wnd)
		len = c->snd_wnd;
	bool taken = c->defer_acked; /* the child's SYN data taken, not this */
	tcp_send_syn_data(s, c, &fo, len);
	c->defer_acked = taken;
	return true;
}
