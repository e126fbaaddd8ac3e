/* TCP input: RFC 9293 3.10.7 "SEGMENT ARRIVES", in the RFC's order, with
 * RFC 5961 (challenge ACKs), RFC 7323 (PAWS, timestamps), RFC 6582 (NewReno
 * fast recovery) and RFC 1122 4.2.3.2 (when to ACK).
 *
 * Two stages, as the RFC writes it: is the segment acceptable? then, what
 * does it do in this state? A segment for no TCB goes to TIME_WAIT, then to
 * a listener, then gets the CLOSED-state answer.
 */
#include <string.h>

#include "tcp/tcp.h"
#include "tcp/tcp_cc_bsd.h"
#include "wire/icmp6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

struct tcp_seg {
	struct tcp_hdr h;
	const uint8_t *data;
	uint32_t len;    /* payload bytes */
	uint32_t seglen; /* payload + SYN + FIN (RFC 9293 3.4) */
	uint32_t ip_len; /* the IP packet's length, headers and all (lx_truesize()) */
	ip_addr src, dst;
	/* RCV.NXT + RCV.WND when the segment was judged, if data from there
	 * on is dropped as Linux's tcp_data_queue() drops it (edge_on). */
	uint32_t edge;
	bool edge_on;
};

bool tcp_challenge_ack_allowed(gt_stack *s)
{
	/* RFC 5961 7: at most challenge_ack_per_s per second, stack-wide. */
	if (s->now_us - s->chack_window_start_us >= 1000000) {
		s->chack_window_start_us = s->now_us;
		s->chack_count = 0;
	}
	if (s->chack_count >= s->cfg.challenge_ack_per_s) {
		s->st.TcpChallengeAckLimited++;
		return false;
	}
	s->chack_count++;
	return true;
}

/* An ACK that answers an unacceptable segment can meet a peer that
 * answers it in turn, and two stacks then trade the same ACK for ever
 * (an ACK war). Per connection, at most oow_ack_burst such ACKs in
 * oow_ack_window_ms: Linux's tcp_oow_rate_limited() (one per
 * tcp_invalid_ratelimit, and a segment that carries data, no SYN, is
 * always answered: it is no part of a loop), FreeBSD's ACK-war check
 * (a count per ack_war_timewindow, whatever the segment). A period
 * starts with the first ACK after the last one ended. */
static bool ack_budget(gt_stack *s, uint32_t *start_ms, uint8_t *sent)
{
	const struct gt_config *cfg = &s->cfg;
	uint32_t now_ms = (uint32_t)(s->now_us / 1000);
	if (!*sent || now_ms - *start_ms >= cfg->oow_ack_window_ms) {
		*start_ms = now_ms;
		*sent = 0;
	}
	if (*sent >= cfg->oow_ack_burst) {
		s->st.TcpAckSkipped++;
		return false;
	}
	(*sent)++;
	return true;
}

/* g NULL: no segment is exempt (a challenge ACK, Linux's
 * __tcp_oow_rate_limited()). */
static bool oow_ack_allowed(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	const struct gt_config *cfg = &s->cfg;
	if (!cfg->oow_ack_window_ms || !cfg->oow_ack_burst)
		return true;
	if (g && g->seglen && !(g->h.flags & TH_SYN) && !cfg->oow_ack_limit_data)
		return true;
	return ack_budget(s, &c->oow_ack_ms, &c->oow_acks);
}

/* RFC 5961 3.2 (an RST in the window, not at RCV.NXT), 4.2 (a SYN in a
 * synchronized state) and 5.2 (an ACK below SND.UNA - MAX.SND.WND). The
 * connection's own limit first, then RFC 5961 7's stack-wide one, as
 * Linux's tcp_send_challenge_ack() and FreeBSD's do. Linux counts a
 * challenge ACK against last_oow_ack_time, the budget of every other
 * out-of-window ACK, whatever the segment carried; FreeBSD keeps it apart
 * (t_challenge_ack_cnt, cfg.chack_own_limit), so its dupACKs never
 * silence an RST's challenge. */
static void challenge_ack(gt_stack *s, struct tcp_conn *c)
{
	const struct gt_config *cfg = &s->cfg;
	bool own = !cfg->oow_ack_window_ms || !cfg->oow_ack_burst ||
		   (cfg->chack_own_limit ? ack_budget(s, &c->chack_ms, &c->chack_acks)
					 : oow_ack_allowed(s, c, NULL));
	if (!own || !tcp_challenge_ack_allowed(s))
		return;
	s->st.TcpChallengeAcks++;
	tcp_send_pure_ack(s, c);
}

static void trace_in(gt_stack *s, const struct tcp_seg *g)
{
	struct gt_trace_event ev = {
		.type = GT_TRACE_SEG_IN, .now_us = s->now_us,
		.laddr6 = g->dst, .faddr6 = g->src, .lport = g->h.dport, .fport = g->h.sport,
		.seq = g->h.seq, .ack = g->h.ack, .len = g->len, .wnd = g->h.win, .flags = g->h.flags,
	};
	stack_trace(s, &ev);
}

/* RFC 9293 3.10.7.1: the answer of a CLOSED port. */
static void reply_rst(gt_stack *s, const struct tcp_seg *g)
{
	if (g->h.flags & TH_RST)
		return;
	/* A socket bound to the port but not listening is FreeBSD's TCB in
	 * CLOSED: tcp_dropwithreset() answers with it, and tcp_respond()
	 * signs the RST when it has TF_SIGNATURE. */
	s->tx_sign = sock_bound_md5sig(s, g->dst, g->h.dport);
	if (!s->cfg.md5sig_bsd && g->h.opts.has_sig) {
		/* Linux's tcp_v4_send_reset() without a socket, for a signed
		 * segment: the key is a listener's on the segment's source
		 * port (__inet_lookup_listener() with th->source), the segment
		 * must check out with it, and the RST is signed; else no RST. */
		struct tcp_listener *l = tcp_listener_find(s, g->dst, g->h.sport);
		const struct tcp_md5_lkey *lk = l ? tcp_md5_lx_sock_key(s, l->owner, g->src) : NULL;
		const uint8_t *seg = g->data - g->h.doff_bytes;
		if (!lk || !tcp_md5_check(s, lk, g->src, g->dst, seg, g->h.doff_bytes + g->len, &g->h))
			return;
		s->tx_lkey = lk;
	}
	if (g->h.flags & TH_ACK)
		tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.ack, 0, TH_RST, 0, NULL);
	else
		tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, 0, g->h.seq + g->seglen,
			     TH_RST | TH_ACK, 0, NULL);
}

/* tcp_input_with_port(): "(tp->t_port != port) && (tp->t_state >
 * TCPS_LISTEN)" goes to dropwithreset: a segment in UDP from another port
 * than the connection's, or in plain TCP for a tunneled one, is refused
 * with an RST as a closed port refuses it (tcp_dropwithreset()), sent
 * back the way the segment came, with the connection's TTL and TOS
 * (tcp_respond() with tp); the connection goes on. */
static void port_rst(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	s->st.TcpUdpTunPortRst++;
	if (g->h.flags & TH_RST)
		return;
	s->tx_sign = tcp_signs(c);
	s->tx_ttl = tcp_tx_ttl(c);
	s->tx_tos = (uint8_t)(c->ip_dscp << 2);
	if (g->h.flags & TH_ACK)
		tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.ack, 0, TH_RST, 0, NULL);
	else
		tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, 0, g->h.seq + g->seglen,
			     TH_RST | TH_ACK, 0, NULL);
}

/* blackhole(4), FreeBSD's tcp_input_with_port() before its
 * dropwithreset: an RST for a closed port (no listener, or a TCB in
 * CLOSED) is withheld for a SYN with blackhole 1 and for any segment
 * with 2 and 3; one a listener would send (an ACK with no SYN cache or
 * cookie behind it) only with 3. A segment from one of the stack's own
 * addresses (in_localip(), in6_localip()) is still answered unless
 * blackhole_local. Returns true, counted, when the RST is withheld. */
static bool blackholed(gt_stack *s, const struct tcp_seg *g, bool closed_port)
{
	uint8_t b = s->cfg.blackhole;
	bool drop = closed_port ? (b == 1 && (g->h.flags & TH_SYN)) || b >= 2 : b == 3;
	if (!drop || (g->h.flags & TH_RST) || (!s->cfg.blackhole_local && ip_is_local(s, g->src)))
		return false;
	s->st.TcpBlackholed++;
	return true;
}

static uint16_t eff_mss(const struct tcp_conn *c)
{
	uint16_t m = c->peer_mss < c->rcv_mss ? c->peer_mss : c->rcv_mss;
	if (c->ts_ok)
		m -= 12; /* the timestamp option rides in every segment */
	if (tcp_signs(c))
		m -= TCP_MD5_OPT_BYTES; /* tcp_output(): len cut by optlen */
	return m;
}

/* The D-SACK block the next ACK reports (RFC 2883 4): [left, right),
 * below RCV.NXT or inside a queued range. */
static void dsack_mark(struct tcp_conn *c, uint32_t left, uint32_t right)
{
	c->dsack.left = left;
	c->dsack.right = right;
	c->dsack_pending = true;
}

/* FreeBSD's tcp_do_segment() after tcp_reass() took an in-order segment
 * [start, RCV.NXT) with data held (cfg.sack_list_bsd): unless the segment
 * began below RCV.NXT (its todrop block is sackblks[0], and
 * tcp_update_sack_list() runs again), tcp_update_dsack_list() with the
 * segment's range and RCV.NXT past the held data it joined. Its D-SACK
 * block is the overlap with the lowest listed block the segment reaches,
 * or the segment itself when it ends below the new RCV.NXT and reaches no
 * listed block (the block of the range it joined was forgotten); none
 * else, even where note_duplicate() saw held data repeated. */
static void bsd_sack_inorder(gt_stack *s, struct tcp_conn *c, uint32_t start)
{
	if (c->dsack_pending && c->dsack.right == start)
		return;
	uint32_t nxt = c->rcv_nxt;
	if (c->nooo && seq_le(c->ooo[0].left, nxt))
		nxt = seq_max(nxt, c->ooo[0].right);
	struct tcp_sack_block d = tcp_reass_bsd_sack_update(c, start, c->rcv_nxt, start, nxt);
	if (seq_lt(d.left, d.right) && s->cfg.opt_dsack) {
		dsack_mark(c, d.left, d.right);
	} else if (c->dsack_pending && seq_ge(c->dsack.left, start)) {
		c->dsack_pending = false;
	}
}

/* A full-sized segment from the peer: the MSS we announced, less the
 * timestamp option that rides in every segment. */
static uint32_t rcv_full_seg(const struct tcp_conn *c)
{
	return (uint32_t)c->rcv_mss - tcp_seg_opt_bytes(c);
}

/* RFC 6298 5.1: what is unacknowledged keeps the retransmission timer
 * running. A window update that ended the persist state (update_window())
 * may leave the output call nothing it can send (cwnd full, the rest
 * SACKed), or a quiet segment no output call, where the persist timer had
 * stood in for the RTO: FreeBSD keeps TT_PERSIST until tcp_output() sends,
 * Linux never stops the RTO while packets are out (fuzz seed
 * corpus/conn_state/persist-left-cwnd-full-no-timer). */
static void rtx_keep(gt_stack *s, struct tcp_conn *c)
{
	if (c->snd_una != c->snd_max && !c->persist && c->rtx_at == TCP_TIMER_NONE)
		tcp_arm_rtx(s, c);
}

/* TS.Recent and when it was taken: Linux's ts_recent_stamp (seconds),
 * FreeBSD's ts_recent_age (tcp_ts_getticks(), a uint32_t count of ms;
 * cfg.paws_bsd). */
static void ts_recent_set(gt_stack *s, struct tcp_conn *c, uint32_t ts_val)
{
	c->ts_recent = ts_val;
	c->ts_recent_stamp = s->cfg.paws_bsd ? (uint32_t)(s->now_us / 1000)
					     : (uint32_t)(s->now_us / 1000000);
}

static void bsd_tcp_mss(gt_stack *s, struct tcp_conn *c);
static void rcv_slack_add(gt_stack *s, struct tcp_conn *c);
static bool text_input(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool *fin_now);
static void synchronized_input(gt_stack *s, struct tcp_conn *c, struct tcp_seg *g);
static bool fin_input(gt_stack *s, struct tcp_conn *c);

/* Records the options of a SYN or SYN-ACK (RFC 9293 3.7.1, RFC 7323 2, RFC 2018 2).
 * syn_sent: a SYN or SYN-ACK that reached SYN_SENT (an active open). */
static void take_syn_options(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o,
			     bool cookie, bool syn_sent)
{
	/* No MSS option: the address family's default (RFC 9293 3.7.1,
	 * MUST-15: 536 for IPv4, 1220 for IPv6). Linux's tcp_conn_request()
	 * and tcp_connect_init() start rx_opt.mss_clamp at af_ops->mss_clamp
	 * (tcp_request_sock_ipv6_ops: IPV6_MIN_MTU - 60); FreeBSD's
	 * tcp_mss_update() takes t_maxseg, V_tcp_v6mssdflt for IPv6
	 * (tests/pkt/linux/opts-syn-no-mss-ipv6-default-1220.pkt). */
	c->peer_mss = o->has_mss && o->mss ? o->mss : tcp_mss_default_for(s, c->faddr);
	/* FreeBSD 14's tcp_mss_update() (sobomax/freebsd14_vendor 0f7ff34,
	 * sys/netinet/tcp_input.c): a nonzero offer is raised to at least
	 * V_tcp_minmss ("Prevent DoS attack with too small MSS"), then
	 * bounded by the link's MSS; an offer of 0 or none takes
	 * tcp_mssdflt as it stands. A cookie's MSS comes from its table,
	 * whose floor is the same 216. */
	if (o->has_mss && o->mss && c->peer_mss < s->cfg.bsd_minmss)
		c->peer_mss = s->cfg.bsd_minmss;
	/* Linux's __tcp_mtu_to_mss() (net/ipv4/tcp_output.c, 6.18): the
	 * MSS clamped by the offer is raised to tcp_min_snd_mss ("reserve
	 * room for full set of TCP options and 8 bytes of data"), then
	 * tcp_mtu_to_mss() takes the timestamp option off: an offer of 40
	 * sends 48 (tests/pkt/linux/min-snd-mss-raises-tiny-offer.pkt). */
	if (c->peer_mss < s->cfg.lx_min_snd_mss)
		c->peer_mss = s->cfg.lx_min_snd_mss;
	/* A cookie's options are the ones its SYN-ACK offered and the ACK
	 * proves (tcp_syncookie_check()), whatever is switched on now. */
	unsigned offer = cookie ? TCP_OFFER_WS | TCP_OFFER_SACK | TCP_OFFER_TS : tcp_syn_offer(s, c);
	c->ws_ok = (offer & TCP_OFFER_WS) && o->has_wscale;
	c->snd_wscale = c->ws_ok ? (o->wscale > 14 ? 14 : o->wscale) : 0;
	if (!c->ws_ok)
		c->rcv_wscale = 0;
	c->sack_ok = (offer & TCP_OFFER_SACK) && o->sack_ok;
	c->ts_ok = (offer & TCP_OFFER_TS) && o->has_ts;
	if (c->ts_ok) {
		ts_recent_set(s, c, o->ts_val);
	}
	uint16_t m = eff_mss(c);
	/* FreeBSD's tcp_mss_update(): "mss = max(mss, 64)" after min(host
	 * cache MTU - 40, offer), then tcp_maxseg() takes the options off:
	 * a host cache MTU of 80 (minmss 0) offers 40 (tcp_mssopt(), no
	 * floor) and sends 64 - 12. */
	if (s->cfg.maxseg_bsd && m + tcp_seg_opt_bytes(c) < 64u)
		m = (uint16_t)(64u - tcp_seg_opt_bytes(c));
	tcp_mss_set_path(s, c, m);
	/* FreeBSD's tcp_do_segment() in SYN_SENT calls tcp_mss() only "if
	 * (to.to_flags & TOF_MSS)": without the option the buffers keep
	 * their sizes (t_maxseg stays tcp_mssdflt, as here); a passive open
	 * always calls it (syncache_socket(): tcp_mss(tp, sc->sc_peer_mss))
	 * (tests/pkt/freebsd/mss-active-open-no-mss-option-buffers-not-rounded.pkt). */
	if (s->cfg.buf_round_to_mss && (!syn_sent || o->has_mss))
		bsd_tcp_mss(s, c);
	rcv_slack_add(s, c);
}

/* cfg.rcv_wnd_roundup: once a scale is agreed, the receive ring grows by
 * tcp_rcv_slack() bytes past the buffer, room for what the rounded-up
 * window field offers beyond it (tcp_window_field()), so that what the
 * peer sends there is held, as FreeBSD's sbappendstream() holds it past
 * sb_hiwat. Without the memory the field stays truncated for this
 * connection. */
static void rcv_slack_add(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.rcv_wnd_roundup || s->cfg.rcv_wnd_linux || c->rcv_slack || !c->ws_ok ||
	    !c->rcv_wscale)
		return;
	uint32_t old = c->rcv.cap, extra = tcp_rcv_slack_of(c->rcv_wscale, 1);
	bool held = c->rcv.buf != NULL;
	if (ring_resize(&c->rcv, old + extra) < 0)
		return;
	if (held)
		s->buffer_bytes += extra;
	c->rcv_slack = 1;
	s->st.TcpRcvWndSlack++;
}

/* FreeBSD's tcp_mss() once the MSS is known (FreeBSD 14,
 * sobomax/freebsd14_vendor 0f7ff34). The send buffer first: one smaller
 * than the MSS cuts the MSS to it ("if (bufsize < mss) mss = bufsize"),
 * t_maxseg at least 64, less the options each segment carries as
 * tcp_maxseg() takes them (tests/pkt/freebsd/sndbuf-cuts-mss.pkt); one
 * not smaller is rounded up to a multiple of the MSS. Then the receive
 * buffer, only if larger than that (cut) MSS ("if (bufsize > mss)"): a
 * 2,048-byte receive buffer rounded to a 4,280-byte MSS offered 4,288
 * bytes, then no more than 2,048, the sender holding every window under
 * max_sndwnd / 2 for its 5 s persist timer (swarm seed 23084468). The
 * rounding is capped at sb_max (buf_max_bytes), and sbreserve_locked()
 * refuses a size past sb_max_adj, leaving the buffer as it was. Nor past
 * half of max_buffer_bytes, the ceiling of every buffer size here
 * (tcp_buf_clamp()): rounded past it, one connection's two rings outgrew
 * the whole budget, and with the send ring full behind a zero window the
 * receive ring never found memory, every segment from the peer dropped
 * (TcpBufLimit) for ever (swarm seed 11005106). */
static void bsd_tcp_mss(gt_stack *s, struct tcp_conn *c)
{
	uint32_t m = c->peer_mss < c->rcv_mss ? c->peer_mss : c->rcv_mss;
	uint64_t sb_max_adj = tcp_user_sb_max_adj(s);
	uint64_t half = s->cfg.max_buffer_bytes / 2;
	if (!m)
		return;
	if (s->cfg.maxseg_bsd && m < 64)
		m = 64; /* tcp_mss_update()'s t_maxseg, at least 64 */
	if (c->snd.cap < m) {
		m = c->snd.cap;
		uint32_t maxseg = m < 64 ? 64 : m;
		uint32_t opts = tcp_seg_opt_bytes(c);
		tcp_mss_set_path(s, c, (uint16_t)(maxseg - opts));
	}
	struct ring *rings[2] = {&c->snd, &c->rcv};
	for (int i = 0; i < 2; i++) {
		uint32_t old = rings[i]->cap;
		if (old <= m) /* equal: roundup() leaves it */
			continue;
		uint64_t up = ((uint64_t)old + m - 1) / m * m;
		if (up > s->cfg.buf_max_bytes)
			up = s->cfg.buf_max_bytes;
		if (up <= old || up > sb_max_adj)
			continue;
		uint32_t want = (uint32_t)(up < half ? up : half);
		if (want <= old)
			continue;
		bool held = rings[i]->buf != NULL;
		if (ring_resize(rings[i], want) < 0)
			continue;
		if (held)
			s->buffer_bytes += want - old;
	}
}

void tcp_start_cc(gt_stack *s, struct tcp_conn *c)
{
	tcp_autotune_init(s, c);
	/* Linux's tcp_initialize_rcv_mss(): the peer's segment size is first
	 * guessed low (at most 536, half the window), then learnt. */
	uint32_t g = c->rcv_mss < c->mss ? c->rcv_mss : c->mss;
	if (g > c->rcv_wnd / 2)
		g = c->rcv_wnd / 2;
	g = g < 536 ? g : 536;
	c->ack_rcv_mss = (uint16_t)(g < 88 ? 88 : g);
	/* The handshake's deadline shares the union congestion control
	 * takes from here (tcp.h). */
	c->keep_dl_us = 0;
	c->cc->init(c);
	/* RFC 6928; RFC 5681 3.1: one segment when the SYN or SYN-ACK was
	 * retransmitted (cfg.syn_rtx_cwnd_one times: Linux waits for two). */
	bool one = s->cfg.syn_rtx_cwnd_one && c->syn_retries >= s->cfg.syn_rtx_cwnd_one;
	c->cwnd = one ? c->mss : tcp_init_cwnd_segs(s, c) * (uint32_t)c->mss;
	c->recover = c->iss;
	if (s->cfg.idle_restart == 1)
		c->last_snd_ms = (uint32_t)(s->now_us / 1000); /* Linux's tcp_init_transfer() */
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, 0, "initial window");
}

/* The handshake's RTT sample, timed where the SYN (or SYN|ACK) went once:
 * Linux's order (cfg.rtt_exact_first) takes that time first
 * (tcp_clean_rtx_queue()'s first_ackt for the SYN's skb), then the echo;
 * otherwise the echo first. UINT32_MAX: no sample. */
static uint32_t handshake_rtt(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool timed)
{
	if (timed && s->cfg.rtt_exact_first)
		return tcp_rtt_sample_timed(s, c);
	if (c->ts_ok && g->h.opts.has_ts && g->h.opts.ts_ecr)
		return tcp_rtt_sample_ts(s, c, g->h.opts.ts_ecr);
	if (timed)
		return tcp_rtt_sample_timed(s, c);
	return UINT32_MAX;
}

/* The SYN's or SYN-ACK's RTT sample: the echo, else Karn's timed SYN
 * (FreeBSD's tcp_do_segment()). cfg.rtt_exact_first: the SYN or SYN-ACK
 * timed where it went once, the echo only where it went again (Linux's
 * tcp_synack_rtt_meas(), no sample of its own once req->num_retrans; the
 * SYN's skb in tcp_clean_rtx_queue(), FLAG_RETRANS_DATA_ACKED). */
static void syn_rtt_sample(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	uint32_t min0 = c->min_rtt_us;
	uint32_t v = handshake_rtt(s, c, g, c->syn_retries == 0 && c->rtt_timing);
	/* min_rtt's window starts here: tcp_ack_update_rtt() ->
	 * tcp_update_rtt_min() stamps the handshake's sample with the
	 * jiffy it came (tcp_synack_rtt_meas(), or the SYN's skb in
	 * tcp_clean_rtx_queue()), not the next sample's
	 * (tests/pkt/linux/rtt-min-rtt-window-from-handshake.pkt). */
	if (v != UINT32_MAX)
		tcp_lx_rtt_min(s, c, min0, v, false);
	c->rtt_timing = false;
	/* FreeBSD's one t_rxtshift goes back to 0 only in tcp_xmit_timer():
	 * an active open's handshake without a sample (the SYN or SYN|ACK
	 * went again, no echo) keeps the SYN's backoff, t_rxtcur backed off
	 * for the first data and tcp_fill_info()'s tcpi_rto, and the data's
	 * retries count on from the SYN's
	 * (tests/pkt/freebsd/handshake-no-rtt-sample-keeps-syn-backoff.pkt).
	 * A passive open's tcpcb is new (syncache_socket()). */
	if (v == UINT32_MAX && s->cfg.retries_need_rtt && s->cfg.backoff_needs_rtt && !c->passive) {
		c->rtx_count = c->syn_retries;
		return;
	}
	c->backoff = 0;
}

/* A listener with TF_SIGNATURE: FreeBSD's syncache_add() drops a SYN that
 * is unsigned or badly signed; syncache_expand() on the SYN-cookie path
 * checks an ACK's signature when it has one. */
static bool listen_sig_ok(gt_stack *s, const struct tcp_seg *g, const uint8_t *seg, size_t len)
{
	if (g->h.flags & TH_RST)
		return true;
	if ((g->h.flags & TH_SYN) || g->h.opts.has_sig)
		return tcp_md5_check(s, NULL, g->src, g->dst, seg, len, &g->h);
	return true;
}

/* RFC 9293 3.10.7.2: LISTEN. */
/* A passive connection for the SYN g on listener l, with our ISN iss:
 * options taken (o; cookie: as a SYN cookie rebuilt them), buffers
 * allocated, hashed. NULL (counted) when refused. */
static struct tcp_conn *passive_open(gt_stack *s, struct tcp_listener *l, const struct tcp_seg *g,
				     const struct tcp_opts *o, uint32_t irs, uint32_t iss, bool cookie)
{
	/* syncache_add(): sc_port is the SYN's UDP port, and
	 * syncache_socket() makes it the connection's t_port. */
	if (s->rx_tun_port &&
	    tcp_tun_set(s, g->dst, g->h.dport, g->src, g->h.sport, s->rx_tun_port) < 0) {
		s->st.TcpSynDrops++;
		return NULL;
	}
	struct tcp_conn *c = tcp_conn_alloc(s);
	if (!c) {
		tcp_tun_set(s, g->dst, g->h.dport, g->src, g->h.sport, 0);
		s->st.TcpSynDrops++;
		return NULL;
	}
	c->laddr = g->dst;
	c->lport = g->h.dport;
	c->faddr = g->src;
	c->fport = g->h.sport;
	/* A listener's TCP_MAXSEG under cfg.maxseg_bsd is its own tcpcb's
	 * alone: FreeBSD's syncache_respond() announces tcp_mssopt(), and
	 * syncache_socket() does not copy t_maxseg (tcp_mss() sets the
	 * child's from the route and the peer's offer). */
	struct tcp_user_opts lo = l->opts;
	if (s->cfg.maxseg_bsd)
		lo.maxseg = 0;
	tcp_conn_init(s, c, &lo);
	take_syn_options(s, c, o, cookie, false);
	if (!s->cfg.md5sig_bsd && s->md5_lx_n) {
		/* Linux: the request sock signs with the listener's key for the
		 * peer, and the child keeps a copy (tcp_v4_syn_recv_sock());
		 * tcp_synack_options() gives up the timestamps for SACK
		 * (ireq->tstamp_ok &= !ireq->sack_ok). */
		const struct tcp_md5_lkey *lk = tcp_md5_lx_sock_key(s, l->owner, g->src);
		tcp_md5_lx_set_tuple(s, lk, c->laddr, c->lport, c->faddr, c->fport);
		if (lk && tcp_md5_lx_tuple_key(s, c->laddr, c->lport, c->faddr, c->fport)) {
			c->md5sig = true;
			if (!cookie && c->sack_ok && c->ts_ok) {
				c->ts_ok = false;
				c->ts_given_up = true;
			}
			c->mss = eff_mss(c); /* tcp_options_size less the option's 20 */
		}
	}
	c->irs = irs;
	c->rcv_nxt = irs + 1;
	c->rcv_adv = c->rcv_nxt;
	c->iss = iss;
	c->snd_una = c->snd_nxt = c->snd_max = c->snd_sml = c->iss;
	tcp_psh_init(c);
	c->snd_wnd = g->h.win; /* RFC 7323 2.2: never scaled in a SYN */
	c->max_snd_wnd = c->snd_wnd;
	c->snd_wl1 = irs;
	c->snd_wl2 = c->iss;
	c->ts_offset = tcp_ts_offset(s, c);
	c->passive = true;
	c->cnt.segs_in = 1; /* the SYN: tcp_create_openreq_child()'s segs_in = 1 */
	tcp_listen_child_add(s, l, c);
	tcp_conn_hash(s, c);
	s->st.TcpPassiveOpens++;
	return c;
}

/* The ACK of a SYN-cookie SYN-ACK: rebuild the connection the cookie
 * describes (RFC 4987 3.6). Returns false if it is no valid cookie, or
 * a valid one whose connection could not be made and that the profile
 * answers with an RST (cfg.syncookie_fail_rst): the caller sends it. */
static bool cookie_ack(gt_stack *s, struct tcp_listener *l, const struct tcp_seg *g)
{
	struct tcp_opts o;
	/* A FIN with the ACK is checked too, and the TCB it builds takes the
	 * FIN: FreeBSD's tcp_input() hands every segment whose SYN, RST and
	 * ACK are just ACK to syncache_expand(), then tcp_do_segment();
	 * Linux's cookie_v4_check() refuses only !th->ack or th->rst, and
	 * tcp_child_process() goes on with the segment
	 * (tests/pkt/linux/syncookie-fin-ack-completes-handshake.pkt, Linux
	 * 6.18; tests/pkt/freebsd/syncookie-fin-ack-completes-handshake.pkt).
	 * It was refused, and reset, before branches h-lxck and h-bsdck. */
	if (!s->cfg.syncookies || (g->h.flags & (TH_SYN | TH_RST)))
		return false;
	uint32_t irs = g->h.seq - 1, iss = g->h.ack - 1;
	int valid = tcp_syncookie_check(s, g->dst, g->h.dport, g->src, g->h.sport, irs, iss,
					g->h.opts.has_ts ? &g->h.opts : NULL, &o);
	if (valid < 0) {
		/* Linux counts it received (cookie_tcp_check()), then
		 * refuses it; the caller answers with an RST. */
		s->st.TcpSyncookiesRecv++;
		s->st.TcpSyncookiesOptsOff++;
		return false;
	}
	if (!valid) {
		s->st.TcpSyncookiesFailed++;
		return false;
	}
	if (tcp_syncookie_after_end(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.seq,
				    g->h.ack)) {
		s->st.TcpSyncookiesAfterRst++;
		return false;
	}
	s->st.TcpSyncookiesRecv++;
	if (tcp_listen_full(s, l)) {
		/* A valid cookie, no room: Linux's tcp_get_cookie_sock() ->
		 * tcp_v4_syn_recv_sock() refuses the child while
		 * sk_acceptq_is_full() (LISTENOVERFLOWS, tcp_listendrop())
		 * and cookie_v4_check() returns no socket: dropped. FreeBSD's
		 * syncache_socket() gets no socket from sonewconn() past the
		 * queue's limit and tcp_input() resets it
		 * (rst_on_sock_fail). */
		s->st.TcpListenOverflows++;
		s->st.TcpSynDrops++;
		return s->cfg.syncookie_overflow_drop;
	}
	struct tcp_conn *c = passive_open(s, l, g, &o, irs, iss, true);
	if (!c) /* counted: TcpConnLimit or TcpSynDrops */
		return !s->cfg.syncookie_fail_rst;
	c->snd_nxt = c->snd_max = iss + 1;
	c->from_cookie = true;
	/* The first window: FreeBSD's the cookie SYN-ACK advertised
	 * (unscaled), rounded to our own segment. Linux's cookie_v4_check()
	 * and cookie_v6_check() choose it again with
	 * tcp_select_initial_window(..., req->mss, ...): the MSS the cookie
	 * encodes (its family's msstab[]), timestamps not taken off, where
	 * the SYN-ACK's was rounded to our MSS less them (tcp_openreq_init_rwin())
	 * (tests/pkt/linux/syncookie-window-rounds-to-cookie-mss*.pkt). */
	uint32_t seg = s->cfg.syncookie_bsd ? rcv_full_seg(c) : o.mss;
	c->rcv_wnd = c->rcv_ssthresh = tcp_initial_rwnd(s, tcp_rcvbuf(c), seg);
	c->rcv_adv = c->rcv_nxt + (c->rcv_wnd > 65535 ? 65535 : c->rcv_wnd);
	tcp_set_state(s, c, GT_TCP_SYN_RECEIVED, "SYN cookie ACK"); /* sim: AU_COOKIE_BUILT */
	synchronized_input(s, c, (struct tcp_seg *)g);
	return true;
}

/* Is an ACK that finds no connection checked as a cookie
 * (cfg.syncookie_after_overflow)? FreeBSD's syncache_expand()
 * (sobomax/freebsd14_vendor 0f7ff34) tries syncookie_lookup() only with
 * syncookies_only, or when the bucket overflowed within
 * SYNCOOKIE_LIFETIME (15 s in its tcp_syncache.h, 16 in FreeBSD 10's;
 * seconds of time_uptime); else "Spurious ACK, segment rejected (no
 * syncache entry)": the RST, no cookie counted.
 * Linux's cookie_tcp_check() returns before __cookie_v4_check() (and
 * before LINUX_MIB_SYNCOOKIESFAILED) while tcp_synq_no_recent_overflow():
 * unless now lies in [stamp - HZ, stamp + TCP_SYNCOOKIE_VALID], 120 s,
 * whatever tcp_syncookies says; the ACK then meets tcp_rcv_state_process()'s
 * LISTEN RST. */
static bool cookie_tried(const gt_stack *s, const struct tcp_listener *l)
{
	if (!s->cfg.syncookie_after_overflow)
		return true;
	if (s->cfg.syncookie_bsd)
		return s->cfg.syncookies == 2 ||
		       (l->overflowed &&
			(uint32_t)(s->now_us / 1000000) - (uint32_t)(l->overflow_us / 1000000) <= 15);
	return l->overflowed && s->now_us + 1000000 >= l->overflow_us &&
	       s->now_us <= l->overflow_us + 120000000ull;
}

/* A cookie SYN-ACK leaves the listener's overflow stamp. FreeBSD:
 * syncache_insert() sets sch_last_overflow = time_uptime when the bucket
 * is full, not for syncookies_only. Linux: cookie_init_sequence() ->
 * tcp_synq_overflow() for every cookie, tcp_syncookies 2 too, and moves
 * the stamp only when now is outside [stamp, stamp + HZ]. */
static void cookie_sent(gt_stack *s, struct tcp_listener *l, bool full)
{
	if (s->cfg.syncookie_bsd ? !full
				 : l->overflowed && s->now_us >= l->overflow_us &&
					   s->now_us <= l->overflow_us + 1000000)
		return;
	l->overflowed = true;
	l->overflow_us = s->now_us;
}

/* tcp_conn_request()'s drop: tcp_listendrop(); conn_limit: glasstcp's own
 * bound on TCBs was why. */
static int synq_drop(gt_stack *s, bool conn_limit)
{
	s->st.TcpSynDrops++;
	if (conn_limit)
		s->st.TcpConnLimit++;
	return -1;
}

/* A SYN at a Linux listener (cfg.synq_backlog_linux), in the order of
 * tcp_conn_request(): -1 dropped, 1 answered with a cookie, 0 a half-open
 * connection. Cookies are wanted when tcp_syncookies is 2 or the SYN queue
 * is full by the listen backlog (inet_csk_reqsk_queue_is_full(): qlen >
 * sk_max_ack_backlog, 6.18), counted by tcp_syn_flood_action(); without
 * cookies that SYN is dropped. Then sk_acceptq_is_full() drops any SYN,
 * cookie or not (LINUX_MIB_LISTENOVERFLOWS). Without syncookies at all, a
 * SYN from an unproven peer is dropped once fewer than a quarter of
 * tcp_max_syn_backlog is left. Every drop is tcp_listendrop()'s
 * (TcpSynDrops). A SYN reopening a TIME_WAIT tuple (isn != 0) skips the
 * two SYN-queue rules. max_conns is glasstcp's own bound on TCBs. */
static int synq_linux(gt_stack *s, const struct tcp_listener *l)
{
	bool tw = s->tw_reuse_pending;
	bool full = l->syn_len > (uint32_t)l->backlog || s->conns >= s->cfg.max_conns;
	bool cookie = false;
	if ((s->cfg.syncookies == 2 || full) && !tw) {
		if (!s->cfg.syncookies) {
			s->st.TcpReqQFullDrop++;
			return synq_drop(s, s->conns >= s->cfg.max_conns);
		}
		cookie = true;
		s->st.TcpReqQFullDoCookies++;
	}
	if (!s->cfg.acceptq_full_at_ack && tcp_listen_full(s, l)) {
		s->st.TcpListenOverflows++;
		return synq_drop(s, false);
	}
	if (cookie)
		return 1;
	if (s->conns >= s->cfg.max_conns)
		return synq_drop(s, true);
	/* "Kill the following clause, if you dislike this way." */
	uint32_t max = s->cfg.max_syn_backlog;
	if (!tw && !s->cfg.syncookies && (int64_t)max - l->syn_len < (int64_t)(max >> 2))
		return synq_drop(s, false);
	return 0;
}

/* RFC 7413 4.2.2: a SYN whose cookie is good (or that needs none) makes
 * a child that takes its data at once and is in the accept queue before
 * the handshake ends, as Linux's tcp_fastopen_create_child() and
 * tcp_fastopen_add_skb() do: the data readable, RCV.NXT past it, the
 * SYN-ACK acknowledging it (syn_data_acked when there was some). The
 * SYN-ACK timer runs as for any SYN_RECEIVED connection. */
static void fastopen_child(gt_stack *s, struct tcp_listener *l, struct tcp_conn *c,
			   const struct tcp_seg *g)
{
	l->tfo_len++; /* tcp_tfo_child() from here: queued in SYN_RECEIVED */
	s->st.TcpFastOpenPassive++;
	if (g->len && !c->rcv_released && tcp_ring_reserve_forced(s, &c->rcv) == 0) {
		uint32_t n = g->len < ring_free_space(&c->rcv) ? g->len : ring_free_space(&c->rcv);
		ring_write_at(&c->rcv, 0, g->data, n);
		ring_commit(&c->rcv, n);
		c->rcv_nxt += n;
		c->rcv_adv = c->rcv_nxt;
		c->cnt.bytes_received += n;
		c->defer_acked = n > 0; /* syn_data_acked (tcp_syn_data_acked()) */
	}
	tcp_listen_child_ready(s, c);
	tcp_conn_mark(s, c);
}

/* RFC 9293 3.10.7.2: LISTEN. */
static void listen_input(gt_stack *s, struct tcp_listener *l, const struct tcp_seg *g)
{
	if (g->h.flags & TH_RST) {
		/* A client's abort that overtook its cookie ACK: glasstcp's own
		 * rule (cfg.syncookie_end_on_rst, off in both profiles).
		 * Linux's tcp_rcv_state_process() drops an RST in LISTEN;
		 * FreeBSD's syncache_chkrst() ignores one with no entry. */
		if (s->cfg.syncookies && s->cfg.syncookie_end_on_rst && (g->h.flags & TH_ACK))
			tcp_syncookie_end(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.seq,
					  g->h.ack);
		return;
	}
	if ((g->h.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) && s->cfg.listen_synack_drop)
		return;
	if (g->h.flags & TH_ACK) {
		if (cookie_tried(s, l) && cookie_ack(s, l, g))
			return;
		if (!blackholed(s, g, false)) {
			s->tx_sign = l->opts.md5sig; /* tcp_dropwithreset() with the listener's tp */
			/* Linux: tcp_v4_send_reset() with the listener, its key for the peer. */
			if (!s->cfg.md5sig_bsd)
				s->tx_lkey = tcp_md5_lx_sock_key(s, l->owner, g->src);
			tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.ack, 0, TH_RST, 0,
				     NULL);
		}
		/* The client takes this RST (its SEQ is the client's RCV.NXT):
		 * a handshake ACK it sent before, arriving after, must not
		 * rebuild what it was told is gone (seed 4005811: its FIN and
		 * data overtook its handshake ACK). glasstcp's own rule
		 * (cfg.syncookie_end_on_rst), off in both profiles:
		 * tcp_v4_send_reset() and tcp_dropwithreset() keep nothing. */
		if (s->cfg.syncookies && s->cfg.syncookie_end_on_rst)
			tcp_syncookie_end(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.seq,
					  g->h.ack);
		return;
	}
	if (!(g->h.flags & TH_SYN))
		return;
	bool full = false, cookie;
	if (s->cfg.synq_backlog_linux) {
		int r = synq_linux(s, l);
		if (r < 0)
			return;
		cookie = r > 0;
	} else {
		/* FreeBSD's syncache_add() never looks at the accept queue,
		 * which refuses the socket at the ACK (acceptq_full_at_ack,
		 * ack_input()). */
		if (!s->cfg.acceptq_full_at_ack && tcp_listen_full(s, l)) {
			s->st.TcpListenOverflows++;
			s->st.TcpSynDrops++;
			return;
		}
		full = l->syn_len >= s->cfg.max_syn_backlog || s->conns >= s->cfg.max_conns;
		cookie = s->cfg.syncookies == 2 || (full && s->cfg.syncookies);
		if (!cookie && full) {
			s->st.TcpSynDrops++;
			if (s->conns >= s->cfg.max_conns)
				s->st.TcpConnLimit++;
			return;
		}
	}
	if (cookie) {
		/* RFC 4987 3.6: answer without keeping state; the ACK brings
		 * back what the SYN-ACK's sequence number encodes. */
		s->st.TcpSyncookiesSent++;
		cookie_sent(s, l, full);
		/* The scale announced must be the one the TCB the ACK rebuilds
		 * computes (tcp_conn_init(): the buffer cut to half the budget,
		 * and SO_RCVBUF's lock), as Linux's cookie_v4_check() redoes
		 * tcp_openreq_init_rwin()'s tcp_select_initial_window() with
		 * the listener's clamp. Announced as if unlocked (7 for the
		 * largest buffer autotuning may reach), it left a server with
		 * SO_RCVBUF 8192 at scale 0 and its peer scaling the window
		 * by 7: 8,948 bytes into a window of 8,040, and the Linux
		 * window wedged at 0 (window-zero-kept-after-overrun.pkt),
		 * 3,658 bytes never delivered (swarm seed 15011820). */
		uint32_t rb = l->opts.rcvbuf_bytes;
		if (rb > s->cfg.max_buffer_bytes / 2)
			rb = (uint32_t)(s->cfg.max_buffer_bytes / 2); /* tcp_buf_clamp(), uncounted */
		s->tx_sign = l->opts.md5sig; /* syncache_respond(): SCF_SIGNATURE */
		/* Linux: the cookie SYN-ACK is signed with the listener's key
		 * for the peer (tcp_v4_send_synack()), its timestamps kept
		 * (tcp_synack_options(): not for TCP_SYNACK_COOKIE). */
		if (!s->cfg.md5sig_bsd)
			s->tx_lkey = tcp_md5_lx_sock_key(s, l->owner, g->src);
		tcp_send_syncookie(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.seq, &g->h.opts,
				   rb, l->opts.rcvbuf_set, s->cfg.maxseg_bsd ? 0 : l->opts.maxseg);
		return;
	}
	uint32_t iss;
	if (s->cfg.syncookie_bsd && s->cfg.syncookies) {
		/* FreeBSD's syncache_add(): with net.inet.tcp.syncookies on,
		 * "sc->sc_iss = syncookie_generate(sch, sc)", the cookie a
		 * cookie SYN-ACK for this SYN would carry, whatever TIME_WAIT
		 * held (syncache_add() is given none of it); a retransmitted
		 * SYN gets the entry's SYN-ACK again, the same ISS
		 * (syncache_respond()). So an ACK of either SYN-ACK fits the
		 * entry (tcp_syncookie_iss()). */
		iss = tcp_syncookie_iss(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.seq,
					&g->h.opts);
	} else {
		iss = tcp_isn(s, g->dst, g->h.dport, g->src, g->h.sport);
		if (s->tw_reuse_pending && seq_lt(iss, s->tw_reuse_isn))
			iss = s->tw_reuse_isn;
	}
	/* tcp_conn_request(): tcp_try_fastopen() before the SYN-ACK; FreeBSD's
	 * syncache_add(): tcp_fastopen_check_cookie(). */
	struct tcp_opts fo;
	bool bsd_tfo = s->cfg.fastopen_bsd;
	bool tfo = bsd_tfo ? tcp_fastopen_bsd_try(s, l, g->src, &g->h.opts, &fo)
			   : tcp_fastopen_try(s, l, g->src, g->dst, g->len > 0, &g->h.opts, &fo);
	struct tcp_conn *c = passive_open(s, l, g, &g->h.opts, g->h.seq, iss, false);
	if (!c) {
		if (tfo)
			s->st.TcpFastOpenPassiveFail++;
		return;
	}
	tcp_ecn_passive(s, c, &g->h);
	tcp_set_state(s, c, GT_TCP_SYN_RECEIVED, "SYN received");
	c->rtt_timing = true;
	c->rtt_start_us = s->now_us;
	if (tfo)
		fastopen_child(s, l, c, g);
	if (tfo && bsd_tfo) {
		/* syncache_tfo_expand(): no SYN-ACK yet (tcp_fastopen_bsd_defer()). */
		tcp_fastopen_bsd_defer(s, c);
		return;
	}
	tcp_send_synack_fo(s, c, &fo);
	/* A TFO child is a full socket from here (tcp_fastopen_create_child()):
	 * its window is the request's rsk_rcv_wnd, the SYN-ACK's field only
	 * capped at 65,535 (tcp_make_synack()), from the SYN's data's end on
	 * (tp->rcv_wup = tp->rcv_nxt). tcp_cleanup_rbuf() after a read of the
	 * data measures against it: no window update where the field's
	 * 65,535 would have called for one (Linux 6.18.44,
	 * tests/pkt/linux/fastopen-child-read-no-window-update.pkt). */
	if (tfo && s->cfg.rcv_wnd_linux && seq_lt(c->rcv_adv, c->rcv_nxt + c->rcv_wnd))
		c->rcv_adv = c->rcv_nxt + c->rcv_wnd;
}

static void conn_reset(gt_stack *s, struct tcp_conn *c, int err)
{
	if (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_CLOSE_WAIT)
		s->st.TcpEstabResets++;
	if (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED)
		s->st.TcpAttemptFails++;
	tcp_conn_free(s, c, err);
}

static void enter_quickack_mode(gt_stack *s, struct tcp_conn *c);
#define DELACK_MAX_US 200000u /* TCP_DELACK_MAX: HZ / 5 */

/* The delayed-ACK timer due within us: tcp_send_delayed_ack()'s
 * "time_before_eq(icsk_delack_timeout(icsk), jiffies + (ato >> 2))". On
 * the wheel (cfg.timer_wheel) in jiffies as Linux compares them: the
 * expiry is the tick before the one the timer fires at (calc_index(),
 * level 0: the delayed ACK is at most TCP_DELACK_MAX, 50 jiffies);
 * tests/pkt/linux/delack-timer-restart.pkt at every phase. */
static bool delack_due_within(const gt_stack *s, const struct tcp_conn *c, uint32_t us)
{
	if (s->cfg.timer_wheel && s->cfg.rto_jiffy_us)
		return tcp_wheel_jiffy(s, c->delack_at) - 1 <=
		       tcp_wheel_jiffy(s, s->now_us) + us / s->cfg.rto_jiffy_us;
	return c->delack_at <= s->now_us + us;
}

/* RFC 9293 3.10.7.3: SYN-SENT. */
static void syn_sent_input(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	uint8_t f = g->h.flags;
	bool ack_ok = false;
	if (f & TH_ACK) {
		if (seq_le(g->h.ack, c->iss) || seq_gt(g->h.ack, c->snd_max)) {
			s->tx_ttl = tcp_tx_ttl(c);
			if (!(f & TH_RST)) {
				tcp_sign_reply(s, c); /* tcp_respond(); Linux: tcp_v4_send_reset() with sk */
				tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, g->h.ack, 0,
					     TH_RST, 0, NULL);
			}
			/* Linux: the SYN again soon, once (syn_sent_bad_ack_resend_us:
			 * TCP_TIMEOUT_MIN on the retransmission timer, on the wheel). */
			uint64_t soon = tcp_timer_at(s, s->cfg.syn_sent_bad_ack_resend_us);
			if (s->cfg.syn_sent_bad_ack_resend_us && !c->syn_retries && soon < c->rtx_at) {
				c->rtx_at = soon;
				tcp_timers_update(s, c);
			}
			return;
		}
		/* Linux: an echo of a TSval never sent, from before our first
		 * SYN (Linux's retrans_stamp) or from the future, is refused
		 * as a bad ACK is, but the SYN timer runs on. That includes an
		 * RST, which draws nothing. */
		if (s->cfg.syn_sent_ts_echo_check && (tcp_syn_offer(s, c) & TCP_OFFER_TS) &&
		    g->h.opts.has_ts && g->h.opts.ts_ecr) {
			uint32_t now_ts = tcp_now_ts(s, c);
			uint32_t syn_ts = (uint32_t)(c->rtt_start_us / 1000) + c->ts_offset;
			if (g->h.opts.ts_ecr - syn_ts > now_ts - syn_ts) {
				s->st.TcpPAWSActiveRejected++;
				s->tx_ttl = tcp_tx_ttl(c);
				if (!(f & TH_RST)) {
					tcp_sign_reply(s, c); /* tcp_respond(); Linux: tcp_v4_send_reset() with sk */
					tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport,
						     g->h.ack, 0, TH_RST, 0, NULL);
				}
				return;
			}
		}
		ack_ok = true;
	}
	if (f & TH_RST) {
		if (ack_ok)
			conn_reset(s, c, -ECONNREFUSED);
		return;
	}
	if (!(f & TH_SYN))
		return;
	/* A simultaneous open whose SYN carried Fast Open data. Linux's
	 * tcp_rcv_synsent_state_process() goes to SYN_RECV and
	 * tcp_send_synack() sends the write queue's head, the bare SYN
	 * (tcp_send_syn_data() queued the data in its own skb), with ACK set:
	 * no data, no Fast Open option; the data stays in flight behind it
	 * and the crossing SYN's data is dropped (Linux 6.18 under `glasstcp
	 * pktrun --kernel --strict`: tests/pkt/linux/fastopen-client-
	 * simultaneous-open-*.pkt; counted TcpFastOpenSimOpen below). The
	 * core keeps SND.UNA at ISS + 1 there, as a TFO child that wrote
	 * (tcp_tfo_wrote()). FreeBSD's tcp_do_segment() (fel1x-developer/
	 * freebsd-src 2d614aa) reads the SYN's options first: without the
	 * Fast Open option tcp_fastopen_disable_path() disables the path and
	 * clears TF_FASTOPEN, and the open goes on as a plain simultaneous
	 * one (SYN_RECEIVED, TF_NEEDSYN; the SYN's text held for
	 * ESTABLISHED): bsd_simopen_tfo(). With the option the cache takes
	 * its cookie, TF_FASTOPEN stays, and tcp_output() sends nothing in
	 * SYN_RECEIVED while the SYN's data is out ("For TFO connections in
	 * SYN_SENT or SYN_RECEIVED, only allow the initial SYN or SYN|ACK
	 * and those sent by the retransmit timer", the timer stopped): not
	 * modelled, that SYN is dropped and counted
	 * (TcpFastOpenSimOpenDropped; docs/freebsd.md). */
	bool bsd_tfo_simopen = !(f & TH_ACK) && tcp_tfo_syn_data(c) && s->cfg.fastopen_bsd;
	if (bsd_tfo_simopen && g->h.opts.has_fo) {
		s->st.TcpFastOpenSimOpenDropped++;
		return;
	}
	if (bsd_tfo_simopen)
		(void)tcp_fastopen_bsd_synack(s, c, &g->h.opts, false); /* tcp_fastopen_disable_path() */
	tcp_ecn_syn_sent(s, c, &g->h);
	take_syn_options(s, c, &g->h.opts, false, true);
	c->irs = g->h.seq;
	c->rcv_nxt = g->h.seq + 1;
	c->rcv_adv = c->rcv_nxt;
	/* Linux: the window our SYN offered stands from the peer's ISN on
	 * (tp->rcv_wup = SEG.SEQ + 1 with tp->rcv_wnd from the SYN), so the
	 * ACK that ends the handshake never offers less (tcp_select_window()). */
	if (s->cfg.rcv_wnd_linux)
		c->rcv_adv = c->rcv_nxt + c->rcv_wnd;
	/* A Fast Open SYN's data (from ISS+1: tcp_tfo_syn_data()): what the
	 * SYN-ACK acknowledges of it leaves the send buffer (tcp_ack() runs
	 * before tcp_rcv_fastopen_synack()). */
	bool syn_data = tcp_tfo_syn_data(c);
	if (ack_ok) {
		if (syn_data && seq_gt(g->h.ack, c->snd_una)) {
			uint32_t n = g->h.ack - c->snd_una;
			n = n < c->snd.len ? n : c->snd.len;
			ring_discard(&c->snd, n);
			c->cnt.bytes_acked += n;
			tcp_snd_ring_release(s, c);
		}
		c->snd_una = g->h.ack;
		if (seq_lt(c->snd_nxt, c->snd_una))
			c->snd_nxt = c->snd_una;
	}
	c->snd_wnd = g->h.win;
	c->max_snd_wnd = c->snd_wnd;
	c->snd_wl1 = g->h.seq;
	c->snd_wl2 = g->h.ack;
	if (ack_ok && seq_gt(c->snd_una, c->iss)) {
		syn_rtt_sample(s, c, g);
		c->rtx_at = TCP_TIMER_NONE;
		/* tcp_rcv_synsent_state_process(): tcp_sync_mss() with
		 * max_window the SYN-ACK's window, before the initial window
		 * (in segments) and tcp_initialize_rcv_mss() read mss_cache. */
		tcp_mss_sync(s, c);
		tcp_start_cc(s, c);
		/* tcp_rcv_synsent_state_process() -> tcp_ack(): rcv_tstamp. Taken
		 * once the RTT sample and lsndtime (tcp_start_cc()) are in, the
		 * same instant, so that an idle connection's head can go at once
		 * (tcp_lx_shed()); every acceptable SYN-ACK comes here. */
		if (s->cfg.tcpi_chrono)
			tcp_chrono_ack(s, c);
		/* tcp_rcv_synsent_state_process(): "if ((tp->syn_fastopen ||
		 * tp->syn_data) && tcp_rcv_fastopen_synack(...))": the cookie
		 * cache learns, and the SYN's data not acknowledged goes again
		 * from SND.UNA at once, the ACK riding on it
		 * (tcp_non_congestion_loss_retransmit()). */
		bool unacked = syn_data && seq_lt(g->h.ack, c->snd_max);
		if (s->cfg.fastopen_bsd ? tcp_fastopen_bsd_synack(s, c, &g->h.opts, unacked)
					: (tcp_tfo_syn(c) || syn_data) &&
						  tcp_fastopen_synack(s, c, &g->h.opts, syn_data, unacked))
			c->snd_nxt = c->snd_una;
		else if (unacked)
			tcp_arm_rtx(s, c); /* FreeBSD without TF_FASTOPEN now: the RTO resends it */
		/* shutdown(SHUT_WR) before the SYN-ACK (cfg.shut_wr_synsent_
		 * needfin): FreeBSD's tcp_do_segment(), "SYN_SENT* -->
		 * FIN_WAIT_1" on TF_NEEDFIN; the ACK below carries the FIN. */
		if (c->fin_queued)
			tcp_set_state(s, c, GT_TCP_FIN_WAIT_1, "SYN-ACK received, FIN wanted");
		else
			tcp_set_state(s, c, GT_TCP_ESTABLISHED, "SYN-ACK received");
		/* "if (sk->sk_write_pending || ...) { Save one ACK. Data will
		 * be ready after several ticks": tcp_enter_quickack_mode(),
		 * the delayed-ACK timer at TCP_DELACK_MAX; the writer's data
		 * carries the ACK (cfg.synsent_save_ack). Not for data of the
		 * SYN's own to resend (that segment carries it). With ato now
		 * TCP_ATO_MIN and lrcvtime the SYN-ACK's (tcp_finish_connect()),
		 * that data is an answer (tcp_event_data_sent(): "(now -
		 * lrcvtime) < ato", pingpong); after a plain SYN-ACK ato is
		 * still 0 and nothing is (fastopen-client-plain-connect-reply-
		 * acked-at-once.pkt). */
		if (s->cfg.synsent_save_ack && c->snd_nxt == c->snd_max && sock_write_pending(s, c->owner)) {
			enter_quickack_mode(s, c);
			c->last_data_rcv_ms = (uint32_t)(s->now_us / 1000) | 1;
			c->delack_at = tcp_timer_at(s, DELACK_MAX_US); /* ICSK_TIME_DACK */
		} else {
			c->ack_now = true;
		}
		tcp_timers_update(s, c);
		if (g->len || (g->h.flags & TH_FIN)) {
			/* RFC 9293 3.10.7.3: "continue processing at the sixth
			 * step": text and FIN riding on the SYN-ACK. */
			struct tcp_seg rest = *g;
			rest.h.seq++;
			rest.h.flags &= (uint8_t)~TH_SYN;
			rest.seglen--;
			bool fin_now;
			if (!text_input(s, c, &rest, &fin_now) || (fin_now && !fin_input(s, c)))
				return;
		}
		tcp_output(s, c);
		return;
	}
	/* Simultaneous open (RFC 9293 figure 8). Text in the SYN is queued
	 * until ESTABLISHED (3.10.7.3): held past the tail, unacknowledged. */
	if (tcp_tfo_syn_data(c))
		s->st.TcpFastOpenSimOpen++; /* its data in flight behind the SYN-ACK */
	tcp_set_state(s, c, GT_TCP_SYN_RECEIVED, "SYN received in SYN-SENT");
	/* Linux's tcp_send_synack() sends the SYN's own skb as the SYN-ACK,
	 * restamped: an ACK of it, with no echo, times the RTT from now
	 * (cfg.simopen_close_syn_rtx). Karn: not once the SYN went twice. */
	if (s->cfg.simopen_close_syn_rtx && !c->syn_retries)
		c->rtt_start_us = s->now_us;
	/* FreeBSD trims the SYN's text to rcv_wnd here ("If data, trim to
	 * stay within window"), 0 once SHUT_RD gave the buffer up. Linux
	 * keeps none of it (cfg.simopen_syn_text_discard): the SYN-ACK
	 * acknowledges the SYN alone either way. */
	if (g->len && !s->cfg.simopen_syn_text_discard && !c->rcv_released &&
	    tcp_ring_reserve(s, &c->rcv) == 0) {
		uint32_t n = g->len < ring_free_space(&c->rcv) ? g->len : ring_free_space(&c->rcv);
		ring_write_at(&c->rcv, 0, g->data, n);
		c->syn_data_len = (uint16_t)n;
	}
	/* FreeBSD's tcp_do_segment(), "simultaneous open":
	 * "tcp_timer_activate(tp, TT_REXMT, 0)" stops the SYN's timer, and
	 * tcp_output() arms it afresh for the SYN|ACK with t_rxtcur as it
	 * stands, t_rxtshift kept (tcp_arm_rtx() from the backoff so far;
	 * tests/pkt/freebsd/simultaneous-open-synack-rexmt-*.pkt). The Linux
	 * profile keeps the SYN's timer running. */
	if (s->cfg.synrcvd_simopen_bsd)
		c->rtx_at = TCP_TIMER_NONE;
	tcp_send_syn(s, c);
	/* FreeBSD, our SYN's Fast Open data out and TF_FASTOPEN now clear:
	 * tcp_output() sends the SYN|ACK from ISS without data, leaving
	 * snd_nxt at ISS + 1 with snd_max past the data, so the output that
	 * ends the handshake's ACK sends it again at once (the "retransmit
	 * case", snd_nxt < snd_max), not at the RTO as Linux
	 * (tests/pkt/freebsd/fastopen-client-simultaneous-open-path-disabled.pkt). */
	if (bsd_tfo_simopen)
		c->snd_nxt = c->snd_una;
}

/* RCV.WND as segments are judged against it. */
static uint32_t rcv_wnd(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	if (s->cfg.rcv_wnd_from_space && !(c->state == GT_TCP_SYN_RECEIVED && c->passive) &&
	    tcp_rcv_space(c) > wnd)
		wnd = tcp_rcv_space(c); /* sbspace(), the slack not counted */
	return wnd;
}

/* Linux 6.18's tcp_sequence() for data whose end passes the window's
 * right edge (cfg.rcv_edge_linux): 1 taken, 0 dropped, -1 not such a
 * segment (RFC 9293's table decides). "Some stacks are known to handle FIN
 * incorrectly; allow the FIN to extend beyond the window": the data's end
 * counts. A segment starting past the edge is dropped; one starting in
 * the window or at its edge is taken "only ... if receive queue is empty"
 * (TCP_INVALID_END_SEQUENCE otherwise: the whole segment is dropped and
 * tcp_send_dupack() answers it). Linux's request sock (a passive
 * SYN-RECEIVED) uses tcp_in_window() instead, and a timewait sock (the
 * orphan in FIN_WAIT_2) tcp_timewait_state_process(); CLOSE_WAIT and
 * later take no data, and stay with the table. */
static int seq_edge_linux(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g,
			  uint32_t wnd)
{
	if (!s->cfg.rcv_edge_linux || !g->len)
		return -1;
	/* Data that ends inside the window, nearly every segment (asked
	 * twice for each), is answered before the flags and the state. */
	uint32_t limit = c->rcv_nxt + wnd;
	if (!seq_gt(g->h.seq + g->len, limit))
		return -1;
	if ((g->h.flags & (TH_SYN | TH_RST)) ||
	    (c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_FIN_WAIT_1 &&
	     c->state != GT_TCP_FIN_WAIT_2) ||
	    tcp_fin2_tw(s, c))
		return -1;
	if (seq_gt(g->h.seq, limit))
		return 0;
	return c->rcv.len == 0;
}

/* A bare FIN at RCV.NXT in a zero window (cfg.rcv_zero_wnd_fin): Linux
 * 6.18's tcp_sequence() judges its end without the FIN ("allow the FIN to
 * extend beyond the window"), and tcp_data_queue()'s zero-window branch
 * sends it to queue_and_out, tcp_fin() ("Some stacks are known to send bare
 * FIN packets in a loop even if we send RWIN 0 in our ACK. Accepting this
 * FIN does not hurt memory pressure"), in ESTABLISHED, FIN_WAIT_1 and
 * FIN_WAIT_2 alike; the FIN_WAIT_2 timewait sock's tcp_in_window() takes
 * SEG.SEQ = RCV.NXT whatever the window. RFC 9293's table takes no segment
 * of length 1 in a zero window. (FreeBSD's tcp_do_segment() trims by the
 * data alone, trim_by_data below, and takes it too.) */
static bool zero_wnd_fin(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g,
			 uint32_t wnd)
{
	return s->cfg.rcv_zero_wnd_fin && wnd == 0 && g->len == 0 &&
	       (g->h.flags & (TH_FIN | TH_SYN | TH_RST)) == TH_FIN && g->h.seq == c->rcv_nxt &&
	       (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_FIN_WAIT_1 ||
		c->state == GT_TCP_FIN_WAIT_2);
}

/* RFC 9293 3.10.7.4 first: is the segment acceptable? */
static bool seq_acceptable(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g)
{
	uint32_t wnd = rcv_wnd(s, c);
	uint32_t seq = g->h.seq;
	int lx = seq_edge_linux(s, c, g, wnd);
	if (lx >= 0)
		return lx;
	if (zero_wnd_fin(s, c, g, wnd))
		return true;
	/* BSD trims by the data alone (tcp_do_segment(): todrop = SEG.SEQ +
	 * tlen - (rcv_nxt + rcv_wnd), tlen without SYN or FIN): a FIN with no
	 * data at RCV.NXT + RCV.WND is inside, like a bare ACK. */
	bool bare = g->seglen == 0 ||
		    (s->cfg.trim_by_data && g->len == 0 && !(g->h.flags & (TH_SYN | TH_RST)));
	/* And its RFC 5961 4.2 block judges a SYN by SEG.SEQ alone, in
	 * [last_ack_sent, last_ack_sent + rcv_wnd): a FIN riding on it does
	 * not reach into the window from its left. */
	if (s->cfg.trim_by_data && g->len == 0 && (g->h.flags & TH_SYN))
		return wnd ? seq_in(seq, c->rcv_nxt, c->rcv_nxt + wnd) : seq == c->rcv_nxt;
	if (bare) {
		/* RFC 9293's table: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND (=
		 * RCV.NXT in a zero window). BSD (tcp_input()'s todrop: the
		 * segment's end past the window) and Linux (tcp_sequence())
		 * take SEG.SEQ = RCV.NXT+RCV.WND too: a peer that filled our
		 * window sends its ACKs from the right edge, and dropped they
		 * starve its own receiving (issue 15's swarm: a connection's
		 * one direction moved only at the other's RTOs). */
		/* Not an RST: BSD judges those against [last_ack_sent,
		 * last_ack_sent + rcv_wnd), the right edge outside, and the
		 * FreeBSD suite's rcv-rst-*-outside-right scripts expect it
		 * ignored (RFC 5961 3.2: silently). */
		if (g->h.flags & TH_RST)
			return wnd ? seq_in(seq, c->rcv_nxt, c->rcv_nxt + wnd) : seq == c->rcv_nxt;
		return seq_ge(seq, c->rcv_nxt) && seq_le(seq, c->rcv_nxt + wnd);
	}
	if (wnd == 0)
		return false;
	return seq_in(seq, c->rcv_nxt, c->rcv_nxt + wnd) ||
	       seq_in(seq + g->seglen - 1, c->rcv_nxt, c->rcv_nxt + wnd);
}

/* RFC 7323 5.5: a TS.Recent taken more than 24 days ago is invalid: the
 * peer's clock may have moved more than 2^31 ms since, so that its TSval
 * compares as older. Linux's tcp_paws_check(): whole seconds, ">="
 * TCP_PAWS_24DAYS. FreeBSD's tcp_do_segment() (cfg.paws_bsd):
 * "tcp_ts_getticks() - tp->ts_recent_age > TCP_PAWS_IDLE", ms, strictly
 * more than 24 days, and in 32 bits: 2^32 ms (49.7 days) after the take
 * the difference wraps and TS.Recent reads as fresh again
 * (tests/pkt/freebsd/paws-idle-*.pkt). */
#define TCP_PAWS_IDLE_MS (24u * 24 * 60 * 60 * 1000)

static bool ts_recent_stale(const gt_stack *s, const struct tcp_conn *c)
{
	if (s->cfg.paws_bsd)
		return (uint32_t)(s->now_us / 1000) - c->ts_recent_stamp > TCP_PAWS_IDLE_MS;
	return s->now_us / 1000000 - c->ts_recent_stamp >= 24u * 86400;
}

/* May the segment's TSval become TS.Recent (its sequence space permitting)?
 * Linux's tcp_replace_ts_recent(): one not older, or any once TS.Recent is
 * stale. FreeBSD's tcp_do_segment() (cfg.paws_bsd) does not compare:
 * "updating only on newer timestamps interferes with our earlier PAWS
 * tests, so this check should be solely predicated on the sequence space
 * of this segment"; its PAWS let through only a TSval not older than
 * TS.Recent, or any while TS.Recent is 0. */
static bool ts_may_replace(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g)
{
	if (s->cfg.paws_bsd)
		return true;
	return (int32_t)(g->h.opts.ts_val - c->ts_recent) >= 0 || ts_recent_stale(s, c);
}

/* RFC 7323 5.3: PAWS. True when the segment must be dropped. */
static bool paws_reject(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!c->ts_ok || !g->h.opts.has_ts || (g->h.flags & TH_RST))
		return false;
	if ((int32_t)(g->h.opts.ts_val - c->ts_recent) >= 0)
		return false;
	/* FreeBSD's tcp_do_segment(): "(to.to_flags & TOF_TS) != 0 &&
	 * tp->ts_recent && TSTMP_LT(to.to_tsval, tp->ts_recent)", no
	 * exception for a reordered ACK. A stale TS.Recent is invalidated
	 * instead of dropping: "tp->ts_recent = 0", its age kept ("we don't
	 * want out-of-order segments to be dropped when ts_recent is old"),
	 * so that PAWS is off and the ACKs echo 0 (RFC 7323 5.5) until a
	 * segment at last_ack_sent sets it and its age again
	 * (tests/pkt/freebsd/paws-idle-over-24-days-ts-recent-zeroed.pkt). */
	if (s->cfg.paws_bsd) {
		if (!c->ts_recent)
			return false;
		if (!ts_recent_stale(s, c))
			return true;
		c->ts_recent = 0;
		return false;
	}
	/* A reordered duplicate ACK, as Linux's tcp_disordered_ack(): no
	 * data, at RCV.NXT, acknowledging SND.UNA again with the same window,
	 * and a TSval older than TS.Recent by less than an RTO. Dropping it
	 * would lose its SACK blocks, which reordering needs most. */
	uint32_t rto_ms = c->rto_us / 1000;
	if (!g->seglen && g->h.seq == c->rcv_nxt && (g->h.flags & TH_ACK) &&
	    g->h.ack == c->snd_una && ((uint32_t)g->h.win << c->snd_wscale) == c->snd_wnd &&
	    c->ts_recent - g->h.opts.ts_val <= rto_ms)
		return false;
	return !ts_recent_stale(s, c);
}

/* May the segment set SND.WND? seq: its SEQ as the rule sees it (below);
 * una0: SND.UNA before the segment's ACK. */
static bool may_update_window(const gt_stack *s, const struct tcp_conn *c,
			      const struct tcp_seg *g, uint32_t seq, uint32_t una0, uint32_t nwin)
{
	uint32_t ack = g->h.ack;
	switch (s->cfg.wnd_update) {
	case GT_WND_UPDATE_LINUX:
		/* tcp_may_update_window(): an ACK that moves SND.UNA updates
		 * whatever its SEQ; at SND.WL1 only a larger window or zero
		 * (zero since 2023, "net: tcp: fix unexcepted socket die when
		 * snd_wnd is 0", in the 6.18 kernel here: a peer can close
		 * its window without new data). tcp_ack() never gets here
		 * with an ACK below SND.UNA (old_ack). */
		if (seq_lt(ack, una0))
			return false;
		return seq_gt(ack, una0) || seq_gt(seq, c->snd_wl1) ||
		       (seq == c->snd_wl1 && (nwin > c->snd_wnd || !nwin));
	case GT_WND_UPDATE_BSD:
		/* tcp_do_segment(), "Update window information": at SND.WL1
		 * and SND.WL2, only a larger window, so that a reordered
		 * duplicate ACK cannot shrink or close the window a later
		 * update opened. */
		return seq_lt(c->snd_wl1, seq) ||
		       (c->snd_wl1 == seq &&
			(seq_lt(c->snd_wl2, ack) || (c->snd_wl2 == ack && nwin > c->snd_wnd)));
	default:
		/* RFC 9293 3.10.7.4 fifth, ESTABLISHED: SND.WL1/SND.WL2
		 * guard against old segments updating the window. */
		return seq_lt(c->snd_wl1, seq) || (c->snd_wl1 == seq && seq_le(c->snd_wl2, ack));
	}
}

static void update_window(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, uint32_t una0)
{
	uint32_t wnd0 = c->snd_wnd;
	uint32_t nwin = (uint32_t)g->h.win << c->snd_wscale;
	uint32_t seq = g->h.seq;
	/* FreeBSD's tcp_do_segment() trims data already received before it
	 * looks at the ACK ("todrop": th_seq moves past it, at most to the
	 * segment's end), so its SND.WL1 test and SND.WL1 see the trimmed
	 * SEQ; Linux's tcp_ack() and RFC 9293 the segment's own. */
	if (s->cfg.wnd_update == GT_WND_UPDATE_BSD && seq_lt(seq, c->rcv_nxt))
		seq += c->rcv_nxt - seq < g->len ? c->rcv_nxt - seq : g->len;
	if (may_update_window(s, c, g, seq, una0, nwin)) {
		c->snd_wnd = nwin;
		c->snd_wl1 = seq;
		c->snd_wl2 = g->h.ack;
		if (c->snd_wnd > c->max_snd_wnd) {
			c->max_snd_wnd = c->snd_wnd;
			tcp_mss_sync(s, c); /* tcp_ack_update_window() */
		}
		if (c->snd_wnd && c->persist) {
			/* The window opened: leave probing, and send again from
			 * SND.UNA, the probe octet included if it was not taken. */
			tcp_persist_leave(c);
			c->snd_nxt = c->snd_una;
		}
		/* Linux's tcp_ack_update_window(): a window change with data
		 * queued checks for a restart after idle. */
		if (s->cfg.idle_restart == 1 && c->snd_wnd != wnd0 && c->snd.len)
			tcp_idle_restart(s, c);
	}
}

/* The ssthresh a reduction that begins now saves for its undo: Linux's
 * tcp_current_ssthresh() (include/net/tcp.h), as tcp_enter_recovery() and
 * tcp_enter_loss() take it for prior_ssthresh. In a cwnd reduction (CWR
 * or Recovery, tcp_in_cwnd_reduction()) ssthresh itself, else
 * max(ssthresh, (cwnd >> 1) + (cwnd >> 2)) in segments: "If cwnd >
 * ssthresh, we may raise ssthresh to be half-way to cwnd", so the undo of
 * a reduction in congestion avoidance restores more than the ssthresh
 * the last loss set (tests/pkt/linux/sack-undo-restores-three-quarters-cwnd.pkt:
 * ssthresh 5, cwnd 8, undone to 6). Without cfg.prior_ssthresh_current,
 * ssthresh as it is. */
uint32_t tcp_current_ssthresh(const gt_stack *s, const struct tcp_conn *c)
{
	if (!s->cfg.prior_ssthresh_current || !c->mss || c->in_recovery || tcp_rack_cwr_holds(c))
		return c->ssthresh;
	uint32_t segs = c->cwnd / c->mss;
	uint32_t cur = ((segs >> 1) + (segs >> 2)) * (uint32_t)c->mss;
	return cur > c->ssthresh ? cur : c->ssthresh;
}

/* Fast recovery begins: RecoveryPoint, the counts and the trace; with
 * reduce, the congestion controller's response (RFC 5681 3.2 step 2). */
static void recovery_start(gt_stack *s, struct tcp_conn *c, bool reduce)
{
	/* Linux's tcp_enter_recovery(): prior_ssthresh from zero, then, unless
	 * a CWR reduction runs (tcp_in_cwnd_reduction()), tcp_current_ssthresh()
	 * and tcp_init_cwnd_reduction()'s prior_cwnd. An RTO during this
	 * recovery keeps them (tcp_enter_loss() reduces nothing there), and
	 * an F-RTO undo restores them. Before, they stayed the last timeout's
	 * or zero: swarm seed 89506266 undid to ssthresh 0 and then cwnd 0
	 * (dialogue rack_frto_undo_after_rto_in_recovery_keeps_cwnd). The
	 * recovery a timeout's own marks begin (reduce false) is Linux's
	 * loss state and keeps the timeout's. */
	bool cwr = reduce && s->cfg.loss_pipe_linux && tcp_rack_cwr_holds(c);
	if (reduce && s->cfg.loss_pipe_linux) {
		c->prior_ssthresh = cwr ? 0 : tcp_current_ssthresh(s, c);
		if (!cwr)
			c->prior_cwnd = c->cwnd;
	}
	/* FreeBSD's newreno_cong_signal(CC_NDUPACK) sets ssthresh only
	 * outside congestion recovery: a fast recovery that starts while an
	 * ECN reduction runs keeps the ssthresh the ECE set, not half of a
	 * cwnd already halved. Linux's the same from CWR: without
	 * tcp_init_cwnd_reduction() ssthresh, high_seq and PRR stay the
	 * CWR's, and no CWR is queued again (tcp_ecn_queue_cwr())
	 * (tests/pkt/linux/ecn-cwr-then-recovery-keeps-the-reduction.pkt). */
	if (reduce && !cwr && !(s->cfg.recovery_bsd && tcp_sack_in_cong(c)))
		c->cc->on_loss(c, s->now_us);
	c->recover = cwr ? tcp_rack_cwr_high(c) : c->snd_max;
	c->ecn_reno_cwr = false; /* the recovery's reduction takes over */
	if (!cwr)
		tcp_ecn_reduced(c);
	tcp_sack_prr_cong_end(c);
	c->in_recovery = true;
	c->rescue_sent = false;
	tcp_sack_rescue_done(c);
	s->st.TcpFastRetrans++;
	c->cnt.fast_retrans++;
	if (stack_tracing(s)) {
		struct gt_trace_event ev = {
			.type = GT_TRACE_FAST_RETRANS, .now_us = s->now_us,
			.laddr6 = c->laddr, .faddr6 = c->faddr, .lport = c->lport, .fport = c->fport,
			.seq = c->snd_una,
		};
		stack_trace(s, &ev);
	}
}

/* Linux's recovery without SACK (cfg.prr, the Linux profile): cwnd by the
 * same PRR as with SACK (tcp_cwnd_reduction()), the duplicates counted as
 * SACKed segments (tcp_add_reno_sack()), only the head marked lost
 * (tcp_newreno_mark_lost()), not RFC 6582's inflation. */
static bool reno_prr_on(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.prr && !c->sack_ok && !s->cfg.recovery_bsd && c->mss;
}

static uint32_t segs_of(const struct tcp_conn *c, uint32_t bytes)
{
	return (bytes + c->mss - 1) / c->mss;
}

/* Packets in [SND.UNA, seq) as Linux's packets_out counts them: under
 * cfg.flight_short_pkt each skb tcp_skb_pcount(), a short one a packet
 * (tcp_lx_acked_pkts()), so ten 100-byte TCP_NODELAY segments are ten,
 * not one; a FIN in flight is one where it went alone (tcp_send_fin():
 * an skb of its own), none where it rode on data (the skb's pcount
 * counts its data: tests/pkt/linux/reno-recovery-fin-on-data-one-packet.pkt).
 * Else, or where the skb ends are not kept, the bytes rounded up to
 * segments. */
static uint32_t pkts_upto(const gt_stack *s, const struct tcp_conn *c, uint32_t seq)
{
	if (!seq_gt(seq, c->snd_una))
		return 0;
	if (s->cfg.flight_short_pkt) {
		uint32_t upto = seq, fin = 0;
		/* A FIN that rode on data in the last skb, whose end is not
		 * kept: counted up to SND.MAX, the FIN's octet included
		 * (tcp_lx_acked_pkts() then counts that last run by its data
		 * alone, the FIN adding nothing, as Linux's pcount; h-lxunacked).
		 * Counted up to the FIN alone that skb was cut short of its end,
		 * no packet, and one short segment with its FIN in flight made
		 * PRR's cwnd 0 (swarm seed 97603098). */
		if (c->fin_sent && !tcp_fin_acked(c) && seq_gt(seq, tcp_fin_seq(c)) &&
		    (c->fin_alone || tcp_lx_skb_ends_at(c, tcp_fin_seq(c)))) {
			upto = tcp_fin_seq(c);
			fin = c->fin_alone ? 1u : 0u;
		}
		uint32_t p = seq_gt(upto, c->snd_una) ? tcp_lx_acked_pkts(s, c, upto) : 0;
		if (p != UINT32_MAX)
			return p + fin;
	}
	return segs_of(c, seq - c->snd_una);
}

/* Linux's packets_out: pkts_upto() of all that is in flight. */
uint32_t tcp_lx_packets_out(const gt_stack *s, const struct tcp_conn *c)
{
	return pkts_upto(s, c, c->snd_max);
}

/* For tcp_info.c (tcpi_sacked, _lost, _retrans without SACK). */
uint32_t tcp_lx_pkts_upto(const gt_stack *s, const struct tcp_conn *c, uint32_t seq)
{
	return pkts_upto(s, c, seq);
}

/* tcp_cwnd_reduction()'s sndcnt, in segments, prr_delivered already
 * counting this ACK's delivered: proportional while more than ssthresh
 * is in flight (prior_cwnd the divisor), else slow start bounded by
 * ssthresh, one more for an ACK that moved SND.UNA and marked nothing
 * lost (bump); at least one while nothing went out in the reduction. */
static int64_t prr_sndcnt(const struct tcp_conn *c, uint32_t prior_cwnd, int64_t in_flight, int64_t prr_out,
			  uint32_t delivered, bool bump)
{
	int64_t ss = c->ssthresh / c->mss, prior = prior_cwnd / c->mss;
	int64_t del = c->reno_prr_delivered, delta = ss - in_flight, sndcnt;
	if (delta < 0) {
		sndcnt = (ss * del + (prior ? prior : 1) - 1) / (prior ? prior : 1) - prr_out;
	} else {
		sndcnt = del - prr_out > (int64_t)delivered ? del - prr_out : (int64_t)delivered;
		if (bump)
			sndcnt++;
		if (sndcnt > delta)
			sndcnt = delta;
	}
	/* "Force a fast retransmit upon entering fast recovery". */
	if (sndcnt < (prr_out ? 0 : 1))
		sndcnt = prr_out ? 0 : 1;
	return sndcnt;
}

/* Linux's CWR without SACK (c->ecn_reno_cwr, entered by tcp_ecn_echo()),
 * after each ACK that is not a recovery's, as with SACK (tcp_rack.c:
 * cwr_step()): tcp_fastretrans_alert() ends it once SND.UNA is above
 * high_seq, cwnd then ssthresh (tcp_end_cwnd_reduction()); else
 * tcp_cong_control() -> tcp_cwnd_reduction(): cwnd is what is in flight,
 * the duplicates counted as SACKed (tcp_add_reno_sack(), at most all but
 * one segment), plus sndcnt; prr_out is what went past high_seq (no
 * retransmission runs in CWR without SACK). All in Linux's packets
 * (pkts_upto(): a short segment one, cfg.flight_short_pkt). delivered:
 * this ACK's packets (tcp_remove_reno_sacks(): an ACK of new packets
 * delivers at least one, the rest eats the duplicates), advanced: it
 * moved SND.UNA. tests/pkt/linux/ecn-ece-no-sack-cwr-prr.pkt,
 * ecn-ece-no-sack-cwr-short-segments-packets.pkt. */
static void reno_cwr_step(const gt_stack *s, struct tcp_conn *c, uint32_t delivered, bool advanced)
{
	if (seq_gt(c->snd_una, c->ecn_recover)) {
		c->ecn_reno_cwr = false;
		c->cwnd = c->ssthresh;
		return;
	}
	if (!delivered)
		return;
	c->reno_prr_delivered = (uint16_t)(c->reno_prr_delivered + delivered < UINT16_MAX
					   ? c->reno_prr_delivered + delivered : UINT16_MAX);
	int64_t out = pkts_upto(s, c, c->snd_max);
	int64_t sacked = c->dupacks < out ? c->dupacks : (out > 0 ? out - 1 : 0);
	int64_t prr_out = seq_gt(c->snd_max, c->ecn_recover) ? out - pkts_upto(s, c, c->ecn_recover) : 0;
	int64_t sndcnt = prr_sndcnt(c, c->prior_cwnd, out - sacked, prr_out, delivered, advanced);
	c->cwnd = (uint32_t)((out - sacked + sndcnt) * (int64_t)c->mss);
}

/* tcp_cwnd_reduction() for an ACK in that recovery that delivered
 * segments (delivered), moved SND.UNA (advanced) and marked the head lost
 * (newly_lost); then tcp_xmit_retransmit_queue(): the lost head first.
 * Linux's cwnd is tcp_packets_in_flight() + sndcnt; here cwnd covers the
 * bytes out (the duplicated and the lost ones too) plus sndcnt segments,
 * so that the output sends what Linux sends. */
static void reno_prr(gt_stack *s, struct tcp_conn *c, uint32_t delivered, bool advanced, bool newly_lost)
{
	if (!delivered)
		return;
	int64_t out = pkts_upto(s, c, c->snd_max);
	int64_t in_flight = out - c->reno_sacked - (c->reno_head_lost ? 1 : 0);
	/* The output's pipe counts a short segment as a packet under
	 * cfg.flight_short_pkt (lx_flight_slack()): so does cwnd here, taken
	 * before the head's retransmission may merge skbs. */
	uint32_t held = s->cfg.flight_short_pkt ? pkts_upto(s, c, c->snd_nxt) * c->mss : 0;
	c->reno_prr_delivered = (uint16_t)(c->reno_prr_delivered + delivered < UINT16_MAX
					   ? c->reno_prr_delivered + delivered : UINT16_MAX);
	int64_t prr_out = (seq_gt(c->snd_max, c->recover) ? out - pkts_upto(s, c, c->recover) : 0) + c->reno_rtx;
	int64_t sndcnt = prr_sndcnt(c, c->reno_undo_cwnd, in_flight, prr_out, delivered, advanced && !newly_lost);
	if (c->reno_head_lost && sndcnt > 0) {
		tcp_retransmit_head(s, c);
		/* Refused by the device (the Linux profile): Linux's
		 * tcp_xmit_retransmit_queue() "if (tcp_retransmit_skb(sk,
		 * skb, segs)) break;": the head stays lost, nothing counted
		 * in prr_out, no RTO restarted, no retrans_stamp; the next
		 * duplicate sends it, not the RTO
		 * (tests/pkt/linux/qdisc-full-fast-retransmit-refused-no-sack.pkt). */
		if (!stack_tx_blocked(s)) {
			/* tcp_xmit_retransmit_queue(): resending the head
			 * restarts the RTO (an RTO during this recovery comes
			 * one RTO after the fast retransmit,
			 * rto-during-recovery-undo-late-original-ts-no-sack.pkt). */
			c->rtx_at = TCP_TIMER_NONE;
			tcp_arm_rtx(s, c);
			c->rexmit_nxt = c->snd_una + c->mss;
			c->reno_head_lost = false;
			/* Linux's retrans_stamp: the recovery's first
			 * retransmission's TSval (every entry clears
			 * reno_rtx), which PRR may hold past the entry (from
			 * CWR, with prr_out not 0); until it goes the undo
			 * waits (cfg.reno_undo). */
			if (!c->reno_rtx) {
				c->reno_undo_on = s->cfg.reno_undo && c->ts_ok;
				c->reno_undo_ts = c->rexmit_tsval;
			}
			if (c->reno_rtx < UINT8_MAX)
				c->reno_rtx++;
			sndcnt--;
		}
	}
	if (!s->cfg.flight_short_pkt)
		held = c->snd_nxt - c->snd_una;
	c->cwnd = held + (uint32_t)sndcnt * c->mss;
}

/* acked: how far the ACK that enters moved SND.UNA (0 for a duplicate);
 * blockless: duplicates without SACK blocks on a SACK connection brought it
 * (the FreeBSD profile), so it runs as without SACK. */
static void enter_fast_recovery(gt_stack *s, struct tcp_conn *c, uint32_t acked, bool blockless)
{
	/* RFC 6582 3.2 steps 1-3; with SACK, RFC 6675 5 step (4). ssthresh0
	 * is what an undo restores (tcp_enter_recovery()'s prior_ssthresh). */
	uint32_t cwnd0 = c->cwnd, ssthresh0 = tcp_current_ssthresh(s, c), flight0 = tcp_flight(c);
	/* From Linux's CWR (c->ecn_reno_cwr, which recovery_start() ends):
	 * tcp_enter_recovery() calls no tcp_init_cwnd_reduction(), so PRR
	 * goes on with the CWR's prr_delivered and prior_cwnd (prr_out,
	 * what went past high_seq, goes on by itself), and prior_ssthresh
	 * stays 0 (tests/pkt/linux/ecn-cwr-no-sack-then-recovery-keeps-prr.pkt).
	 * tcp_init_undo() runs all the same: the undo is armed, restores
	 * nothing (reno_undo_ssthresh 0, reno_undo()), and spares the
	 * recovery's end tcp_end_cwnd_reduction()'s cwnd = ssthresh
	 * (tests/pkt/linux/ecn-cwr-no-sack-then-recovery-undo-keeps-prr-cwnd.pkt). */
	bool from_cwr = c->ecn_reno_cwr && s->cfg.loss_pipe_linux && tcp_rack_cwr_holds(c);
	recovery_start(s, c, true);
	if (reno_prr_on(s, c) && !blockless) {
		/* Linux: the duplicates so far are sacked_out (at most all
		 * but the head, tcp_limit_reno_sacked()), the head is marked
		 * lost, and this duplicate delivered one segment. */
		uint32_t out = pkts_upto(s, c, c->snd_max);
		c->reno_sacked = (uint16_t)(c->dupacks < out ? c->dupacks : (out ? out - 1 : 0));
		if (!from_cwr)
			c->reno_prr_delivered = 0;
		c->reno_rtx = 0;
		c->reno_head_lost = true;
		c->reno_undone = false;
		c->reno_undo_cwnd = from_cwr ? c->prior_cwnd : cwnd0;
		c->reno_undo_ssthresh = from_cwr ? 0 : ssthresh0;
		c->reno_undo_on = false; /* armed by reno_prr()'s first retransmission */
		reno_prr(s, c, 1, false, true);
		return;
	}
	/* FreeBSD enters through tcp_output() ("tp->snd_cwnd = maxseg;
	 * (void)tcp_output(tp)"), which spends TF_LASTIDLE ("tp->t_flags &=
	 * ~TF_LASTIDLE", no TF_MORETOCOME from input) and sends no new data
	 * with it: cwnd is the one segment the hole or SND.UNA takes. So
	 * every later output of the recovery is idle only by SND.MAX ==
	 * SND.UNA (bsd_part_held(), tcp_bsd_small_segment_ok()), the output
	 * at the end of a partial ACK that entered it included; the profile
	 * kept c->bsd_lastidle to that output before branch h-bsd5 and sent
	 * a short tail there by Nagle's idle rule
	 * (tests/pkt/freebsd/sack-entry-spends-lastidle.pkt). */
	if (s->cfg.recovery_bsd)
		c->bsd_lastidle = false;
	/* FreeBSD: a SACKed rescue's bytes still in sack_bytes_rexmit
	 * shrink the fast retransmit, or hold it for PRR's first ACK
	 * (tcp_sack_bsd_entry_len()); 0 in every other case. */
	uint32_t head = c->sack_ok ? tcp_sack_bsd_entry_len(c) : c->mss;
	if (head == c->mss)
		tcp_retransmit_head(s, c);
	else if (head)
		tcp_retransmit_range(s, c, c->snd_una, head);
	c->rexmit_nxt = c->snd_una + head;
	if (!c->sack_ok || blockless) {
		/* RFC 6582 3.2 step 3: ssthresh + 3 SMSS. FreeBSD's
		 * tcp_do_segment() inflates by the duplicates less the
		 * segments limited transmit already let out (snd_limited,
		 * at most 2): those are in flight past cwnd, which is how
		 * they are counted here. */
		uint32_t inflate = 3;
		if (s->cfg.recovery_bsd) {
			uint32_t lt = flight0 > cwnd0 ? (flight0 - cwnd0 + c->mss - 1) / c->mss : 0;
			if (lt > 2)
				lt = 2;
			inflate = c->dupacks > lt ? c->dupacks - lt : 0;
		}
		c->cwnd = c->ssthresh + inflate * c->mss;
		/* FreeBSD's enter_recovery when tcp_is_sack_recovery() is
		 * false on a SACK connection: the same entry, and with PRR
		 * prr_delivered from the duplicates (tcp_sack.c). */
		if (blockless)
			(void)tcp_sack_prr_start_blockless(s, c, c->rexmit_nxt - c->snd_una);
		else
			tcp_sack_prr_start_reno(s, c, c->rexmit_nxt - c->snd_una);
		/* Linux's undo_marker, retrans_stamp, prior_cwnd. */
		c->reno_undo_on = s->cfg.reno_undo && c->ts_ok;
		c->reno_undo_ts = c->rexmit_tsval;
		c->reno_undo_cwnd = cwnd0;
		c->reno_undo_ssthresh = ssthresh0;
		return;
	}
	/* With PRR (FreeBSD's tcp_do_prr), the fast retransmit alone goes
	 * now (cwnd one segment, as tcp_input() sets it); each later ACK
	 * lets out what tcp_do_prr_ack() computes. */
	if (tcp_sack_prr_start(s, c, c->rexmit_nxt - c->snd_una, acked)) {
		c->cwnd = c->mss;
		return;
	}
	/* Without PRR FreeBSD enters the same way ("tp->snd_cwnd = maxseg;
	 * (void) tcp_output(tp)"), and each later duplicate ACK grows cwnd
	 * by a segment while awnd is below ssthresh (tcp_sack_bsd_dupack()):
	 * not RFC 6675's cwnd = ssthresh and pipe. */
	if (tcp_sack_bsd_noprr(s, c)) {
		tcp_sack_bsd_entry(s, c);
		return;
	}
	/* RFC 6675 (4.2): cwnd = ssthresh, no inflation: pipe, not cwnd,
	 * accounts for what has left the network; (4.4) then NextSeg(). */
	c->cwnd = c->ssthresh;
	tcp_sack_recovery_send(s, c);
}

static void pmtu_resend(gt_stack *s, struct tcp_conn *c);

void tcp_rack_enter_recovery(gt_stack *s, struct tcp_conn *c)
{
	/* RACK marked a loss (RFC 8985 3.3): RFC 6675 5 step (4) without
	 * its own retransmission, which tcp_rack.c's recovery_send() makes with
	 * the rest. The recovery an RTO's own marks begin (Linux's loss
	 * state) reduces nothing again; a retransmission lost again there
	 * ends that state first (rack_run(): recover at SND.UNA), and this
	 * recovery reduces, as tcp_enter_recovery() does from TCP_CA_Loss. */
	bool after_rto = seq_lt(c->snd_una, c->recover);
	if (!after_rto && tcp_mtup_probe_lost(s, c)) {
		pmtu_resend(s, c); /* "MTU probe failure: don't reduce cwnd": tcp_simple_retransmit() */
		return;
	}
	recovery_start(s, c, !after_rto);
	if (!after_rto || c->cwnd > c->ssthresh)
		c->cwnd = c->ssthresh;
}

/* cfg.reno_undo, in a recovery without SACK: does this ACK echo a TSval
 * older than the recovery's first retransmission, so that an original,
 * not a copy, filled the hole (Linux's tcp_packet_delayed(), RFC 3522's
 * Eifel detection)? */
static bool reno_delayed(const struct tcp_conn *c, const struct tcp_seg *g)
{
	return c->reno_undo_on && g->h.opts.has_ts && g->h.opts.ts_ecr &&
	       (int32_t)(g->h.opts.ts_ecr - c->reno_undo_ts) < 0;
}

/* Linux's tcp_undo_cwnd_reduction(): the reduction goes back, where
 * tcp_enter_recovery() saved a prior_ssthresh (reno_undo_ssthresh; 0 in a
 * recovery begun in CWR: the undo ends the episode and restores nothing). */
static void reno_undo(gt_stack *s, struct tcp_conn *c)
{
	c->reno_undo_on = false;
	if (!c->reno_undo_ssthresh) {
		s->st.TcpRenoUndo++;
		return;
	}
	tcp_undo_raise(c, c->reno_undo_cwnd, c->reno_undo_ssthresh);
	s->st.TcpRenoUndo++;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "Reno undo");
}

/* What follows tcp_try_undo_partial()'s undo in tcp_fastretrans_alert()
 * (it returns false then): the duplicates still counted as SACKed stay so
 * (sacked_out, kept as dupacks here), tcp_identify_packet_loss() runs
 * tcp_newreno_mark_lost(), which below the Recovery state marks the head
 * lost when sacked_out reaches tp->reordering, and tcp_time_to_recover()
 * (lost_out) starts a new recovery on the same ACK: tcp_enter_recovery(),
 * tcp_init_cwnd_reduction() from the restored cwnd (ssthresh from it,
 * high_seq = SND.NXT, PRR from zero), the undo armed again, and
 * tcp_cwnd_reduction() with the loss newly marked lets out the new head.
 * Linux 6.18: cwnd 10 undone, then 4, ssthresh 5, 2001:3001 resent
 * (tests/pkt/linux/reno-recovery-partial-undo-reenters.pkt). */
static void undo_grow(gt_stack *s, struct tcp_conn *c, uint32_t delivered, bool cwnd_limited);
static bool reno_reorder_acked(gt_stack *s, struct tcp_conn *c, uint32_t segs, uint32_t *sacked);

/* The congestion-control RTT (Linux's ca_rtt_us) where one was taken,
 * else the sample itself, as tcp_rtt_sample_ca() reads it. */
static uint32_t ca_or_sample(uint32_t ca, uint32_t r)
{
	return ca && ca != UINT32_MAX ? ca : r;
}

static void reno_reopen(gt_stack *s, struct tcp_conn *c, uint32_t delivered, bool cwnd_limited)
{
	c->dupacks = c->reno_sacked < UINT8_MAX ? (uint8_t)c->reno_sacked : UINT8_MAX;
	if (c->reno_sacked < tcp_reordering(s, c) || !delivered) {
		/* Open (or Disorder): tcp_cong_control() grows cwnd by what
		 * the ACK delivered (tcp_may_raise_cwnd()): 10 + 1 in
		 * tests/pkt/linux/reno-recovery-partial-undo-opens.pkt. */
		undo_grow(s, c, delivered * c->mss, cwnd_limited);
		return;
	}
	uint32_t cwnd0 = c->cwnd, ssthresh0 = tcp_current_ssthresh(s, c);
	recovery_start(s, c, true);
	c->reno_prr_delivered = c->reno_rtx = 0;
	c->reno_head_lost = true;
	c->reno_undone = false;
	c->reno_undo_cwnd = cwnd0;
	c->reno_undo_ssthresh = ssthresh0;
	c->reno_undo_on = false; /* armed by reno_prr()'s first retransmission */
	reno_prr(s, c, delivered, true, true);
}

/* After cfg.ts_undo's undo: what the ACK delivered grows cwnd as in
 * Linux's open state, a segment at a time (tcp_cong_avoid() with
 * acked_sacked: SACKed before, not counted again). */
static void undo_grow(gt_stack *s, struct tcp_conn *c, uint32_t delivered, bool cwnd_limited)
{
	if (!cwnd_limited)
		return;
	uint32_t segs = c->mss ? (delivered + c->mss - 1) / c->mss : 0;
	for (uint32_t i = 0; i < segs && i < 1024; i++)
		c->cc->on_ack(c, c->mss, s->now_us);
}

/* The ACK that ends CWR (SND.UNA above its high_seq, no recovery begun
 * on it: reno_cwr_step(), tcp_rack.c's cwr_step()): Linux's
 * tcp_fastretrans_alert() ends the state first (tcp_end_cwnd_reduction(),
 * cwnd ssthresh, Open), so tcp_cong_control() then grows cwnd by the
 * ACK's acked_sacked (tcp_cong_avoid(), which asks tcp_is_cwnd_limited()),
 * where the profile left it at ssthresh: Reno, five delivered, cwnd 5 + 1
 * (tests/pkt/linux/ecn-cwr-end-ack-grows-cwnd.pkt and
 * ecn-cwr-end-ack-grows-cwnd-no-sack.pkt). delivered: bytes (SACK: newly
 * acknowledged and SACKed; without: tcp_remove_reno_sacks()'s segments);
 * flight0: what was out before the ACK. */
static void cwr_end_grow(gt_stack *s, struct tcp_conn *c, uint32_t delivered, uint32_t flight0)
{
	bool limited = flight0 + c->mss >= c->cwnd;
	if (s->cfg.cwnd_validate_linux)
		(void)tcp_lx_cwnd_limited(c, &limited);
	undo_grow(s, c, delivered, limited);
}

/* cfg.sack_reordering: an ACK that SACKs new data and moves SND.UNA
 * nowhere grows cwnd by what it SACKed once the threshold is above
 * net.ipv4.tcp_reordering, as Linux's tcp_cong_control() does where
 * tcp_may_raise_cwnd() takes FLAG_FORWARD_PROGRESS for FLAG_DATA_ACKED
 * ("If reordering is high then always grow cwnd whenever data is
 * delivered regardless of its ordering"), not in CWR or recovery
 * (tcp_in_cwnd_reduction()); the loss state grows. Linux 6.18: cwnd 10 +
 * 1 on the SACK that raised reordering to 5 (sack-reorder-*.pkt). flight0:
 * what was out before the ACK. */
static void sack_reorder_grow(gt_stack *s, struct tcp_conn *c, uint32_t flight0)
{
	if (!s->cfg.sack_reordering || !tcp_rack_active(s, c) ||
	    tcp_reordering(s, c) <= tcp_reordering_base(s) || (c->in_recovery && !c->loss_pipe) ||
	    tcp_rack_in_cwr(c))
		return;
	bool limited = flight0 + c->mss >= c->cwnd || (c->cwnd < c->ssthresh && 2 * flight0 >= c->cwnd);
	if (s->cfg.cwnd_validate_linux)
		(void)tcp_lx_cwnd_limited(c, &limited);
	undo_grow(s, c, tcp_rack_delivered_now(c), limited);
}

/* New data acknowledged: RFC 9293 3.10.7.4 fifth, RFC 6298 5.3, RFC 6582. */
/* undone: loss_ts_undo() just undid the loss state on this ACK. */
static void ack_advance_cc(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool sack_new,
			   bool undone)
{
	uint32_t una0 = c->snd_una;
	/* Linux's loss state as the ACK found it: tcp_ack() lets
	 * tcp_fastretrans_alert() end it (tcp_process_loss() ->
	 * tcp_try_undo_recovery()) before tcp_cong_control() grows cwnd by
	 * tcp_newly_delivered(), so the ACK that ends it grows by what it
	 * newly delivered too (below). */
	bool loss0 = c->loss_pipe;
	/* Whether this ACK covers a retransmission, where no transmit log
	 * says (no SACK): Linux's go-back-N after a timeout resends from
	 * SND.UNA up to recover (high_seq) unless F-RTO sends new data
	 * instead, and a Reno recovery resends the head it starts from. */
	bool rtx_acked = ((loss0 && c->frto != 2) || c->in_recovery) && seq_lt(una0, c->recover);
	uint32_t acked = g->h.ack - c->snd_una;
	uint32_t data = acked < c->snd.len ? acked : c->snd.len;
	uint32_t wnd0 = c->snd_wnd; /* FreeBSD's tcp_sack_partialack() sees it */
	/* RFC 7661 spirit: cwnd grows only while it limits the sender, so a
	 * window- or application-limited flow does not inflate it. Not in
	 * the FreeBSD profile (ss_bsd): its cc_ack_received() asks only
	 * whether cwnd is within the peer's window (tcp_cc_bsd_ack_received(),
	 * below). */
	uint32_t flight_before = c->snd_max - c->snd_una;
	bool cwnd_limited = flight_before + c->mss >= c->cwnd ||
			    (c->cwnd < c->ssthresh && 2 * flight_before >= c->cwnd);
	/* Linux's own answer where the profile keeps what it needs. */
	if (s->cfg.cwnd_validate_linux)
		(void)tcp_lx_cwnd_limited(c, &cwnd_limited);
	/* Linux's tcp_cong_control(): no growth while CWR reduces cwnd. */
	if (tcp_rack_in_cwr(c))
		cwnd_limited = false;
	uint32_t cut_pad = tcp_lx_cut_pad(s, c, g->h.ack); /* before SND.UNA moves */
	uint32_t pkts = tcp_lx_acked_pkts(s, c, c->snd_una + data); /* the same */
	/* cfg.rtt_exact_first: the packets Linux's tcp_clean_rtx_queue()
	 * takes off, for its FLAG_ACKED (an RTT sample, the echo's included,
	 * and the timer's re-arm, below). An ACK of the data a FIN rode on
	 * but not the FIN ends inside their skb (tcp_send_fin(): end_seq one
	 * past the data), which keeps the FIN as one packet
	 * (tcp_trim_head()): one fewer than tcp_lx_acked_pkts() counts where
	 * the data's end is kept, none for one segment and its FIN (Linux
	 * 6.18.44: tests/pkt/linux/rtt-fin-on-data-ack-of-data-ts-no-sample.pkt,
	 * the echo refused). cwnd keeps pkts (none of these scripts shows
	 * growth there). */
	uint32_t acked_pkts = pkts;
	if (s->cfg.rtt_exact_first && pkts != UINT32_MAX && pkts && tcp_fin_skb_cut(c, g->h.ack) &&
	    tcp_lx_skb_ends_at(c, g->h.ack))
		acked_pkts--;
	/* tcp_clean_rtx_queue()'s FLAG_ACK_MAYBE_DELAYED, for min_rtt
	 * (tcp_lx_rtt_min()): one packet acknowledged whole, less than an
	 * MSS, nothing SACKed before, no SACK, D-SACK or ECE on this ACK
	 * (FLAG_CA_ALERT), not the SYN; and the ACK delivered one
	 * ("rate->prior_delivered + 1 == tp->delivered"), which only a SACK
	 * connection has counted by then (tcp_count_delivered() in the
	 * loop; without SACK tcp_remove_reno_sacks() counts it after), so
	 * without SACK no ACK is one (Linux 6.18.44:
	 * tests/pkt/linux/rtt-min-rtt-window-no-sack-takes-runt.pkt). The
	 * flag is set only where the loop timed the packet (first_ackt, none
	 * of it retransmitted: FLAG_RETRANS_DATA_ACKED): the ACK of a
	 * retransmitted runt gives the echo's sample, taken (below: the
	 * exact branch only; rtt-min-rtt-window-retransmitted-runt-taken.pkt,
	 * 20 ms kept before where Linux 6.18.44 has the echo's 0.45 s). */
	bool maybe_delayed = s->cfg.min_rtt_win && c->sack_ok && acked < c->mss && una0 != c->iss &&
			     (pkts != UINT32_MAX ? pkts : segs_of(c, acked)) == 1 &&
			     (g->h.ack == c->snd_max || tcp_lx_skb_ends_at(c, g->h.ack)) &&
			     !sack_new && !g->h.opts.nsack && !(g->h.flags & TH_ECE) && !tcp_sack_bytes(c);
	ring_discard(&c->snd, data);
	tcp_snd_ring_release(s, c); /* an idle connection holds no buffer */
	c->snd_una = g->h.ack;
	tcp_lx_idle(s, c); /* nor the PSH marks and skb ends */
	tcp_lx_una_moved(c); /* F-RTO's head cut (tcp_lx_head_cut()) ends? */
	tcp_mtup_acked(s, c); /* tcp_clean_rtx_queue(): tcp_mtup_probe_success() */
	if (s->cfg.maxunack_ms)
		tcp_progress_acked(s, c);
	/* FreeBSD's tcp_do_segment() takes the octets acknowledged off
	 * snd_wnd ("tp->snd_wnd -= acked", the FIN not counted) before it
	 * looks at the window: an ACK that moves SND.UNA but may not update
	 * the window (an older SEQ than SND.WL1, after reordering) keeps the
	 * right edge where the last update put it. Measured from the new
	 * SND.UNA, the old SND.WND let the sender run past every window the
	 * peer offered: swarm seed 80795011, 8,192 bytes sent into a window
	 * of 4,095. Linux's tcp_ack() updates the window on every ACK that
	 * moves SND.UNA, so the question does not arise there. */
	if (s->cfg.wnd_update == GT_WND_UPDATE_BSD)
		c->snd_wnd = c->snd_wnd > data ? c->snd_wnd - data : 0;
	/* What the cumulative ACK covers leaves the scoreboard now, not at
	 * the next ACK with SACK blocks (FreeBSD's tcp_sack_doack() and
	 * Linux's tcp_clean_rtx_queue() forget it with the ACK itself): stale
	 * ranges kept FreeBSD's block-less duplicates from counting, and
	 * outlived the send ring that bounds them (swarm seed 14000863). */
	tcp_sack_prune(c);
	if (c->loss_pipe && seq_ge(c->snd_una, c->recover)) {
		/* Linux's loss state ends (tcp_process_loss()'s "recovered"):
		 * what was sent after the timeout is in flight, not to be
		 * sent again. */
		c->loss_pipe = false;
		c->snd_nxt = c->snd_max;
		/* ... through tcp_try_undo_recovery(), not undone (the undos
		 * leave the loss state before): RACK's reo_wnd_persist falls
		 * (tests/pkt/linux/rack-reo-wnd-persist-falls-at-loss-end.pkt). */
		tcp_rack_recovery_done(s, c, false);
	}
	if (c->reno_hold && seq_gt(c->snd_una, c->recover))
		c->reno_hold = false; /* above high_seq: open (dup_ack()) */
	if (seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->cnt.bytes_acked += data;
	/* RTT: from the echoed timestamp, else Karn's timed segment, else
	 * (with RACK's transmit log) Linux's samples: the first segment
	 * acknowledged that was sent once, or the earliest newly SACKed one
	 * (tcp_rack_rtt()). cfg.rtt_exact_first keeps that log without SACK
	 * too, for these samples only (tcp_rack.c log_kept(): SRTT 957 us,
	 * a whole TS tick, where Linux 6.18.44 has under 900 us,
	 * tests/pkt/linux/rtt-no-sack-exact-not-one-tick.pkt), and takes
	 * them first, as
	 * Linux's tcp_ack_update_rtt() does ("Prefer RTT measured from ACK's
	 * timing to TS-ECR"), min_rtt from the latest of them (ca_rtt_us):
	 * an echo of an older TSval than the data's (a peer's stale
	 * TS.Recent) gave an SRTT of 231 ms where Linux 6.18 has 94 ms
	 * (tests/pkt/linux/rtt-stale-echo-exact-time-first.pkt), an echo of
	 * this tick 1 ms on a sub-millisecond path
	 * (rtt-sub-tick-exact-not-one-tick.pkt). Every non-zero echo on an
	 * ACK of new data is a sample, that of an earlier retransmission
	 * than the latest included: Linux's
	 * tcp_ack_update_rtt() and FreeBSD's tcp_do_segment() take it (the
	 * echo names the copy that arrived, so Karn's ambiguity is gone).
	 * Refusing it left a go-back-N whose earlier copies arrived last
	 * without a sample, its RTO backed off to 120 s with ACKs arriving
	 * (swarm seed 14002208). A stale or future echo is refused by
	 * tcp_rtt_sample_ts(). */
	uint32_t rtt_us = UINT32_MAX, exact_ca_us = UINT32_MAX, min0 = c->min_rtt_us;
	if (s->cfg.rtt_exact_first && tcp_rack_rtt(c, &rtt_us)) {
		exact_ca_us = tcp_rack_ca_rtt(c);
		tcp_rtt_sample_ca(s, c, rtt_us, exact_ca_us);
		if (c->rtt_timing && seq_gt(g->h.ack, c->rtt_seq))
			c->rtt_timing = false;
	} else if (c->ts_ok && g->h.opts.has_ts && g->h.opts.ts_ecr &&
		   !(s->cfg.rtt_exact_first && data && acked_pkts == 0)) {
		/* cfg.rtt_exact_first: only on an ACK that acknowledges a
		 * packet (tcp_ack_update_rtt()'s FLAG_ACKED): one that ends
		 * inside an skb and takes no packet off it
		 * (tcp_clean_rtx_queue() breaks on a one-segment skb, or where
		 * tcp_tso_acked() finds none gone, before FLAG_DATA_ACKED) is
		 * no sample, its echo neither (Linux 6.18.44:
		 * tests/pkt/linux/rtt-partial-ack-inside-skb-ts-no-sample.pkt,
		 * min_rtt 100 ms kept where the echo gave 20 ms). */
		rtt_us = tcp_rtt_sample_ts(s, c, g->h.opts.ts_ecr);
	} else if (c->rtt_timing && seq_gt(g->h.ack, c->rtt_seq)) {
		/* Linux times no one segment: an ACK that covers a
		 * retransmission is no sample even where it covers the data
		 * sent once after it (tcp_clean_rtx_queue():
		 * FLAG_RETRANS_DATA_ACKED leaves seq_rtt_us -1), so the
		 * backoff stays (tests/pkt/linux/rto-karn-backoff-kept-by-
		 * acks-of-retransmissions.pkt; swarm seed 98902862). With
		 * the transmit log, tcp_rack_rtt() above has decided. */
		if (!(s->cfg.rtt_exact_first && (c->rack || rtx_acked)))
			rtt_us = tcp_rtt_sample_timed(s, c);
		c->rtt_timing = false;
	} else if (tcp_rack_rtt(c, &rtt_us)) {
		tcp_rtt_sample(s, c, rtt_us);
	}
	/* An echo ahead of our clock is no sample (tcp_rtt_sample_ts()),
	 * and ends no backoff: Linux's tcp_ack_update_rtt() returns early. */
	bool sampled = rtt_us != UINT32_MAX;
	if (sampled)
		tcp_lx_rtt_min(s, c, min0,
			       ca_or_sample(exact_ca_us, rtt_us),
			       maybe_delayed && exact_ca_us != UINT32_MAX);
	/* HyStart takes Linux's ca_rtt_us where its send log runs
	 * (tcp_hystart_rtt()), else the sample above. That answer is the
	 * congestion control's alone: Linux's tcp_ack_update_rtt() ends the
	 * backoff on seq_rtt_us, the echo included ("seq_rtt_us = ca_rtt_us
	 * = tcp_rtt_tsopt_us()" when the ACK covers a retransmission), and
	 * hands that echo to the congestion control too. Taken for the
	 * backoff's, HyStart's "covers a retransmission" kept an RTO backed
	 * off after an ACK echoing the original: 48.6 s, then 97 s and 120
	 * s, where Linux waits 6 s (swarm seed 30040642, SACK off, 28% ACK
	 * loss; tests/pkt/linux/rto-undo-echo-in-slow-start-ends-backoff.pkt). */
	uint32_t ca_rtt_us = exact_ca_us != UINT32_MAX ? exact_ca_us : rtt_us;
	bool ca_sampled = sampled;
	if (tcp_hystart_rtt(s, c, una0, &ca_rtt_us)) {
		if (ca_rtt_us == UINT32_MAX && sampled && c->ts_ok && g->h.opts.has_ts &&
		    g->h.opts.ts_ecr)
			ca_rtt_us = rtt_us;
		ca_sampled = ca_rtt_us != UINT32_MAX;
	}
	if (ca_sampled && c->cc->on_rtt)
		c->cc->on_rtt(s, c, ca_rtt_us);
	/* RFC 6298 5.7 lets the backed-off RTO stand until new data is timed;
	 * Linux resets icsk_backoff only with an RTT sample
	 * (tcp_ack_update_rtt()), its retry count on any new ACK (tcp_ack()).
	 * FreeBSD resets both, one t_rxtshift, only in tcp_xmit_timer(); the
	 * ACK restarts the timer with the backed-off t_rxtcur
	 * (tests/pkt/freebsd/rto-backoff-kept-after-partial-ack.pkt). */
	if (sampled || !s->cfg.retries_need_rtt)
		c->rtx_count = 0;
	if (sampled || !s->cfg.backoff_needs_rtt)
		c->backoff = 0;
	/* Linux's tcp_ack() re-arms (FLAG_SET_XMIT_TIMER) only on an ACK
	 * that acknowledges a packet (FLAG_ACKED): one that ends inside an
	 * skb and takes no packet off it (cfg.cwnd_packets' pkts 0: a
	 * one-segment skb, or tcp_tso_acked() finds none gone) leaves the
	 * timer as it was. Linux 6.18.44: a segment ACKed in half 200 ms
	 * on is resent at its first RTO, 0.3 s after it went, not 0.3 s
	 * after that ACK
	 * (tests/pkt/linux/rtt-partial-ack-inside-skb-rto-not-rearmed.pkt). */
	if (!(data && acked_pkts == 0)) {
		c->rtx_at = TCP_TIMER_NONE;
		if (c->snd_una != c->snd_max)
			tcp_arm_rtx(s, c);
	}
	/* FreeBSD's tcp_do_segment(): an ACK that advances and brings new
	 * SACK information counts as a DupAck (RFC 6675 2), and with more
	 * than (DupThresh - 1) * SMSS SACKed above it recovery starts at once
	 * (goto enter_recovery): ssthresh from cwnd before this ACK, the fast
	 * retransmit at the new SND.UNA, then the same ACK as a partial ACK
	 * (resume_partialack) below. Without it, the next DupAck would. */
	if (!c->in_recovery && s->cfg.recovery_bsd && c->sack_ok && sack_new &&
	    !tcp_rack_active(s, c) && tcp_sack_bytes_above(c, c->snd_una) > 2u * c->mss) {
		c->dupacks = 3; /* tcprexmtthresh */
		enter_fast_recovery(s, c, acked, false);
		if (c->dead)
			return;
	}
	bool lx_reno = c->in_recovery && reno_prr_on(s, c);
	uint32_t reno_delivered = 0;
	/* Linux's cwnd as the last ACK set it, before this one takes its
	 * segments off the counts tcp_cwnd_linux() reads. */
	uint32_t lx_cwnd = lx_reno ? tcp_cwnd_linux(c) : c->cwnd;
	if (lx_reno) {
		/* tcp_remove_reno_sacks(): the ACK covers the hole, the rest
		 * eats duplicates. */
		/* In Linux's packets (cfg.cwnd_packets, tcp_lx_acked_pkts()):
		 * an ACK inside the head's retransmission acknowledges none,
		 * so nothing is delivered, the duplicates stay counted
		 * ("if (acked > 0)"), and tcp_cwnd_reduction() returns at
		 * once: no PRR step, cwnd kept, nothing sent
		 * (tests/pkt/linux/cwnd-reno-recovery-ack-inside-rexmit.pkt;
		 * counted as a segment, cwnd went 7 -> 6). */
		uint32_t segs = pkts != UINT32_MAX ? pkts : segs_of(c, acked);
		if (segs) {
			reno_delivered = segs > c->reno_sacked + 1u ? segs - c->reno_sacked : 1;
			c->reno_sacked = (uint16_t)(c->reno_sacked - (segs - 1 < c->reno_sacked ? segs - 1 : c->reno_sacked));
			/* tcp_check_reno_reordering(sk, acked) (lost_out 0:
			 * the head was the lost one, now acknowledged). */
			uint32_t sacked = c->reno_sacked;
			if (reno_reorder_acked(s, c, segs, &sacked))
				c->reno_sacked = (uint16_t)sacked;
		}
	}
	if (lx_reno && g->h.ack == c->recover) {
		/* Linux holds the recovery while SND.UNA sits at high_seq
		 * ("Hold old state until something *above* high_seq is
		 * ACKed", tcp_try_undo_recovery() ->
		 * tcp_is_non_sack_preventing_reopen()): the duplicates count
		 * for nothing (tcp_reset_reno_sack(), dup_ack()), and this
		 * ACK lets out what PRR says, nothing marked lost
		 * (tests/pkt/linux/reno-recovery-prr-held-at-high-seq.pkt).
		 * An echo older than the first retransmission undoes the
		 * reduction first (tcp_try_undo_recovery()'s
		 * tcp_undo_cwnd_reduction(), then the same hold): PRR then
		 * runs against the restored ssthresh, and the recovery ends
		 * above high_seq without tcp_end_cwnd_reduction()'s cwnd =
		 * ssthresh, undo_marker being 0
		 * (tests/pkt/linux/reno-recovery-undo-at-high-seq-held.pkt). */
		if (reno_delayed(c, g)) {
			reno_undo(s, c);
			c->reno_undone = true;
		}
		c->reno_sacked = 0;
		c->reno_head_lost = false;
		reno_prr(s, c, reno_delivered, true, false);
	} else if (c->in_recovery) {
		if (seq_ge(g->h.ack, c->recover)) {
			/* Full acknowledgment (RFC 6582 3.2 step 6). */
			uint32_t f = tcp_flight(c) + c->mss, cwnd_rec = c->cwnd;
			bool sack_undo = c->sack_ok && (tcp_rack_ts_delayed(s, c, g->h.opts.has_ts, g->h.opts.ts_ecr) ||
							tcp_rack_dsack_undo_due(c));
			/* In the FreeBSD profile every fast recovery ends as
			 * FreeBSD's (newreno_post_recovery(): cwnd from
			 * tcp_compute_pipe(), tcp_sack_prr_end()); elsewhere
			 * a recovery that ran by PRR does. */
			/* Undone at high_seq (reno_undone), cwnd stays as PRR
			 * left it there: tcp_end_cwnd_reduction() sets
			 * ssthresh only while undo_marker is set. */
			if (!c->reno_undone && !tcp_sack_prr_end(c, acked, s->cfg.recovery_bsd,
							   s->cfg.sack_unrevised_bsd))
				c->cwnd = f < c->ssthresh ? f : c->ssthresh;
			/* Linux's tcp_end_cwnd_reduction(): ssthresh, whatever
			 * the flight (an undo below restores the prior cwnd),
			 * but only a finite one ("tp->snd_ssthresh <
			 * TCP_INFINITE_SSTHRESH"): a D-SACK undo of a recovery
			 * begun in slow start restores the infinite ssthresh,
			 * and cwnd stays where the undo left it. It was set to
			 * the 4 GB ssthresh, so later recoveries cut from there
			 * and never limited anything
			 * (rack-reo-wnd-reset-at-next-delivering-ack.pkt). */
			if (s->cfg.recovery_end_ssthresh && !c->reno_undone && c->ssthresh != UINT32_MAX)
				c->cwnd = c->ssthresh;
			c->in_recovery = false;
			c->dupacks = 0;
			tcp_rack_recovery_done(s, c, sack_undo);
			/* Linux's tcp_try_undo_recovery(): the late original
			 * was all it took. It runs before
			 * tcp_end_cwnd_reduction(), which then, undo_marker
			 * 0, leaves cwnd as PRR had it: Reno's undo_cwnd is
			 * max(that, prior_cwnd), and with no prior_ssthresh
			 * (a recovery begun in CWR) cwnd stays PRR's: 7, then
			 * 8 by the ACK, where ssthresh gave 5 and 6
			 * (ecn-cwr-no-sack-then-recovery-undo-keeps-prr-cwnd.pkt). */
			if (!c->sack_ok && reno_delayed(c, g)) {
				if (lx_reno)
					c->cwnd = lx_cwnd;
				reno_undo(s, c);
			}
			c->reno_undo_on = false;
			/* ... and the connection open, this ACK grows cwnd as
			 * there (tcp_cong_control()): 10 + 1 in
			 * reno-recovery-undo-at-high-seq-held.pkt. */
			if (c->reno_undone) {
				c->reno_undone = false;
				undo_grow(s, c, reno_delivered * c->mss, cwnd_limited);
			} else if (lx_reno && s->cfg.recovery_end_ssthresh) {
				/* Not undone, the same: from ssthresh, by the
				 * segments this ACK delivered (5 + 5 in
				 * congestion avoidance, 6, in
				 * tests/pkt/linux/reno-undo-restores-three-quarters-cwnd.pkt;
				 * before, 5). */
				undo_grow(s, c, reno_delivered * c->mss, cwnd_limited);
			}
			/* The same with SACK (cfg.ts_undo): then the connection
			 * is open, and this ACK grows cwnd as any ACK there
			 * (tcp_cong_control() after tcp_fastretrans_alert()). */
			if (sack_undo) {
				/* tcp_try_undo_recovery() runs before
				 * tcp_end_cwnd_reduction(), which then, with
				 * undo_marker 0, leaves cwnd as the recovery
				 * had it: the undo raises it to prior_cwnd only
				 * where a prior_ssthresh was saved (not in a
				 * recovery begun in CWR or on an ECE:
				 * tests/pkt/linux/ecn-ece-recovery-undo-restores-nothing.pkt,
				 * cwnd 8 where ssthresh would give 6). */
				c->cwnd = cwnd_rec;
				undo_grow(s, c, tcp_rack_undo(s, c, false), cwnd_limited);
			}
			/* Not undone, Linux is open again too by the time
			 * tcp_cong_control() runs: cwnd grows from ssthresh by
			 * what the ACK delivered (tcp_cong_avoid()), in
			 * congestion avoidance: 5 + 7 delivered = 6 in
			 * tests/pkt/linux/sack-recovery-end-cwnd-ssthresh.pkt. */
			else if (c->sack_ok && s->cfg.recovery_end_ssthresh && tcp_rack_active(s, c))
				undo_grow(s, c, tcp_rack_delivered_now(c), cwnd_limited);
		} else if (tcp_rack_active(s, c) &&
			   tcp_rack_ts_delayed(s, c, g->h.opts.has_ts, g->h.opts.ts_ecr) &&
			   !tcp_rack_retrans_out(c)) {
			/* Linux's tcp_try_undo_partial() with SACK: the hole was
			 * filled by the late original and no retransmission is
			 * in flight: reordering, not loss. The reduction and the
			 * loss marks go, the connection is open again
			 * (tcp_try_keep_open()) and this ACK grows cwnd as there.
			 * With a retransmission still in flight it is held
			 * below. Either way the threshold rises first
			 * (tcp_check_sack_reordering(sk, prior_snd_una, 1)). */
			tcp_rack_ts_reordering(s, c, una0);
			uint32_t delivered = tcp_rack_undo(s, c, true);
			c->in_recovery = false;
			c->dupacks = 0;
			c->recover = c->snd_una - 1; /* RFC 6582 4.1's bar lifted */
			undo_grow(s, c, delivered, cwnd_limited);
		} else if (tcp_rack_active(s, c) &&
			   tcp_rack_ts_delayed(s, c, g->h.opts.has_ts, g->h.opts.ts_ecr)) {
			/* The same with a retransmission still in flight: Linux
			 * marks and resends nothing on this ACK
			 * (tests/pkt/linux/sack-partial-ack-delayed-holds-rexmit.pkt). */
			tcp_rack_ts_reordering(s, c, una0);
			tcp_rack_hold(c);
		} else if (tcp_rack_active(s, c)) {
			/* tcp_rack_after_ack() marks and sends. A recovery that
			 * began after an RTO is Linux's loss state (loss_pipe),
			 * no reduction: cwnd grows by slow start as outside
			 * recovery (tcp_cong_control(): tcp_in_cwnd_reduction()
			 * means CWR and Recovery only). Held at one segment, the
			 * repair went one segment a round trip (swarm seed
			 * 11012969). */
			if (c->loss_pipe && cwnd_limited)
				c->cc->on_ack(c, acked, s->now_us);
		} else if (c->sack_ok) {
			/* RFC 6675 5 (B), (C): the scoreboard and pipe say what
			 * goes next; cwnd stays at ssthresh. In the FreeBSD
			 * profile a partial ACK without SACK blocks in a PRR
			 * recovery goes to tcp_sack_partialack() instead, and
			 * without PRR every partial ACK does. */
			bool noprr = tcp_sack_bsd_noprr(s, c);
			uint32_t segs0 = c->cnt.segs_out;
			tcp_sack_bsd_acknow_set(s, c); /* TF_ACKNOW before tcp_output() */
			if ((g->h.opts.nsack && !noprr) || !tcp_sack_partialack(s, c, acked, wnd0))
				tcp_sack_recovery_send(s, c);
			tcp_sack_bsd_acknow(s, c, segs0);
		} else if (seq_ge(c->snd_una, c->rexmit_nxt) && reno_delayed(c, g)) {
			/* Linux's tcp_try_undo_partial(): the hole was filled
			 * by the late original, and no retransmission is still
			 * out: reordering, not loss. The threshold rises to the
			 * distance it was overtaken by: tcp_check_sack_reordering()
			 * from the old SND.UNA to tcp_highest_sack_seq(), which
			 * without SACK is the new SND.UNA (highest_sack is the
			 * retransmission queue's head: tcp_event_new_data_sent()
			 * sets it, tcp_clean_rtx_queue() moves it on), so the
			 * segments this ACK covered. The reduction is undone and
			 * the connection open again (tcp_try_keep_open()); then
			 * reno_reopen(). */
			uint32_t dist = (c->snd_una - una0 + c->mss - 1) / c->mss;
			uint32_t thresh = tcp_reordering(s, c);
			if (dist > thresh)
				c->dupthresh = (uint8_t)(dist < UINT8_MAX ? dist : UINT8_MAX);
			if (s->cfg.reno_reordering) {
				s->st.TcpTSReorder++; /* the same event's TCPTSReorder */
				tcp_rack_reno_reordered(c); /* and reord_seen++ */
			}
			/* Reno's undo_cwnd, max(cwnd, prior_cwnd), from Linux's
			 * cwnd, not the one over every byte out (reno_prr()). */
			c->cwnd = lx_cwnd;
			reno_undo(s, c);
			c->in_recovery = false;
			c->dupacks = 0;
			c->recover = c->snd_una - 1; /* RFC 6582 4.1's bar lifted */
			if (lx_reno)
				reno_reopen(s, c, reno_delivered, cwnd_limited);
		} else if (lx_reno) {
			/* A partial ACK: the new head is marked lost unless the
			 * ACK landed inside its retransmission
			 * (tcp_newreno_mark_lost()), and PRR lets out what it
			 * says, the head first. */
			bool mark = seq_ge(c->snd_una, c->rexmit_nxt);
			if (mark)
				c->reno_head_lost = true;
			reno_prr(s, c, reno_delivered, true, mark);
		} else {
			/* Partial acknowledgment (RFC 6582 3.2 step 5): resend the
			 * next hole, deflate. Linux resends a head it has not
			 * resent yet; FreeBSD's tcp_newreno_partial_ack() sends
			 * a segment from the ACK whatever was resent, also when
			 * the ACK lands inside the last retransmission. */
			if (seq_ge(c->snd_una, c->rexmit_nxt) || s->cfg.recovery_bsd) {
				tcp_retransmit_head(s, c);
				c->rexmit_nxt = c->snd_una + c->mss;
			}
			c->cwnd = (c->cwnd > acked ? c->cwnd - acked : 0) + c->mss;
		}
		/* FreeBSD's process_ACK calls cc_ack_received(CC_ACK) in
		 * fast recovery too, after cc_post_recovery() at the full ACK
		 * and before EXIT_RECOVERY: no growth (IN_RECOVERY), but
		 * t_bytes_acked counts and CUBIC takes its RTT. */
		if (c->ss_bsd && acked) {
			if (!c->in_recovery)
				tcp_cc_bsd_post_recovery(c);
			tcp_cc_bsd_ack_received(c, acked, true, wnd0, s->now_us);
		}
	} else {
		uint32_t dup_bytes = (uint32_t)c->dupacks * c->mss;
		/* tcp_remove_reno_sacks() takes acked - 1 off sacked_out and
		 * checks the reordering that leaves (taken first here), then
		 * tcp_fastretrans_alert()'s Open/Disorder branch forgets the
		 * rest (tcp_reset_reno_sack() on FLAG_SND_UNA_ADVANCED; an ACK
		 * in Disorder is dubious): the count starts again
		 * (tests/pkt/linux/reno-dupack-ack-of-new-data-clears-count.pkt). */
		uint32_t segs = pkts != UINT32_MAX ? pkts : segs_of(c, acked);
		if (c->dupacks && !c->loss_pipe && segs) {
			uint32_t sacked = segs - 1u >= c->dupacks ? 0u : c->dupacks - (segs - 1u);
			(void)reno_reorder_acked(s, c, segs, &sacked);
		}
		c->dupacks = 0;
		if (tcp_sack_prr_cong_ack(c, acked, s->cfg.recovery_bsd && s->cfg.sack_unrevised_bsd)) {
			/* An ECN reduction running by PRR set cwnd: FreeBSD's
			 * IN_CONGRECOVERY, still set on the ACK that ends it. */
			if (c->ss_bsd && acked)
				tcp_cc_bsd_ack_received(c, acked, true, wnd0, s->now_us);
		} else if (c->ss_bsd) {
			/* FreeBSD's cc_ack_received(CC_ACK): cwnd grows while
			 * "tp->snd_cwnd <= tp->snd_wnd", the window as the ACK
			 * found it (wnd0), however little is in flight: an
			 * application-limited sender's 14,480 becomes 15,480
			 * at the ACK of 1,000 bytes
			 * (tests/pkt/freebsd/accecn-active-ace-counting.pkt),
			 * where the flight rule above kept it. */
			if (acked)
				tcp_cc_bsd_ack_received(c, acked, false, wnd0, s->now_us);
		} else if (cwnd_limited && s->cfg.slow_start_every_seg) {
			/* Linux's tcp_slow_start(): every segment the ACK delivers
			 * counts (no RFC 3465 limit), what passes ssthresh goes to
			 * congestion avoidance: the ACK is fed a segment at a time.
			 * A segment a duplicate ACK reported was delivered then
			 * (tcp_add_reno_sack()); at least one counts now
			 * (tcp_remove_reno_sacks()). */
			uint32_t left = acked > dup_bytes + c->mss ? acked - dup_bytes
				      : (acked < c->mss ? acked : c->mss);
			left += cut_pad; /* a cut head is a whole packet */
			/* cfg.cwnd_packets: Linux counts packets, not bytes
			 * (tcp_lx_acked_pkts()): tcp_remove_reno_sacks()'s
			 * max(acked - sacked_out, 1) where the ACK delivered
			 * any, none for an ACK inside a one-segment skb, so a
			 * partial ACK grows nothing and a 100-byte segment a
			 * whole one. */
			if (pkts != UINT32_MAX) {
				uint32_t dup = c->mss ? dup_bytes / c->mss : 0;
				left = (pkts > dup + 1u ? pkts - dup : (pkts ? 1u : 0u)) * c->mss;
			}
			/* cfg.cwnd_delivered_sack: with SACK, Linux's delivered
			 * (tcp_newly_delivered()): what was SACKed before is
			 * left out, what the ACK newly SACKs counts, duplicate
			 * ACKs themselves nothing. One duplicate SACKing two
			 * segments, then the ACK of all ten: 8, not 9
			 * (cwnd-grows-by-delivered-sack-of-two.pkt). */
			if (s->cfg.cwnd_delivered_sack && c->sack_ok && tcp_rack_active(s, c))
				left = pkts != UINT32_MAX ? tcp_rack_delivered_pkts(c, pkts) * c->mss
							  : tcp_rack_delivered_now(c);
			/* In the loss state, with SACK: what the ACK newly
			 * delivered (Linux's tcp_newly_delivered()), not what
			 * was SACKed before the timeout and is only now
			 * cumulatively acknowledged: cwnd 1 -> 2 on the ACK
			 * of the resent head with three segments SACKed
			 * above it (rto-during-recovery-keeps-ssthresh.pkt);
			 * also on the ACK whose echo undid that state (open
			 * now): cwnd 10 + 1, not + 4, in
			 * rto-during-recovery-undo-late-original-ts.pkt.
			 * The ACK that ends the loss state (loss0) the same:
			 * cwnd 6 + 1/6, not + 9/6, at the end of
			 * tlp-then-rto-no-dsack-stays-loss.pkt. */
			if ((c->loss_pipe || loss0 || undone) && tcp_rack_active(s, c))
				left = tcp_rack_delivered_now(c);
			uint32_t cw_pre = c->cwnd;
			while (left) {
				uint32_t part = left < c->mss ? left : c->mss;
				c->cc->on_ack(c, part, s->now_us);
				left -= part;
			}
			tcp_rack_grew(s, c, cw_pre);
		} else if (cwnd_limited) {
			c->cc->on_ack(c, acked, s->now_us);
		}
	}
	tcp_autotune_snd(s, c);
	tcp_conn_mark(s, c);
}

/* FreeBSD's tcps_rcvdupack (cfg.rcvdupack_bsd): tcp_do_segment() counts
 * it for an acceptable ACK with "SEQ_LEQ(th->th_ack, tp->snd_una)", "tlen
 * == 0 && (tiwin == tp->snd_wnd || (tp->t_flags & TF_SACK_PERMIT))", not
 * a first FIN ("(thflags & TH_FIN) && (TCPS_HAVERCVDFIN(tp->t_state) ==
 * 0)" breaks out first), before it asks whether the ACK is old
 * ("th->th_ack != tp->snd_una"), brings no new SACK information
 * (SACK_NOCHANGE) or finds nothing outstanding ("!tcp_timer_active(tp,
 * TT_REXMT)"): each of those is counted and then is no duplicate (freebsd
 * main as stored in fel1x-developer/freebsd-src 2d614aa). tlen is the
 * text left once the duplicate part below RCV.NXT is trimmed ("todrop"),
 * so a wholly duplicate data segment counts too. The profile counted
 * only what dup_ack() takes as a duplicate before branch h-bsd5
 * (dialogue.rcvdupack_bsd_*). */
/* ack_advance_cc() with FreeBSD's order for the congestion control:
 * tcp_do_segment() calls cc_ack_received() before "if
 * (SEQ_LT(tp->snd_nxt, tp->snd_una)) tp->snd_nxt = tp->snd_una", where
 * ack_advance_cc() pulls SND.NXT up first; the module's ABC test
 * (tcp_cc_abc_full()) sees SND.NXT as the ACK found it
 * (tests/pkt/freebsd/rto-slow-start-abc-one-segment-until-resent.pkt). */
static void ack_advance(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool sack_new, bool undone)
{
	c->ack_nxt_behind = c->ss_bsd && seq_lt(c->snd_nxt, c->snd_max);
	ack_advance_cc(s, c, g, sack_new, undone);
	c->ack_nxt_behind = false;
}

static void rcvdupack_bsd(const gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!s->cfg.rcvdupack_bsd || seq_gt(g->h.ack, c->snd_una))
		return;
	uint32_t tlen = g->len;
	if (seq_lt(g->h.seq, c->rcv_nxt))
		tlen -= c->rcv_nxt - g->h.seq < tlen ? c->rcv_nxt - g->h.seq : tlen;
	if (tlen)
		return;
	if ((g->h.flags & TH_FIN) && !c->fin_rcvd)
		return; /* "this is not a duplicate" (a simultaneous close) */
	if (((uint32_t)g->h.win << c->snd_wscale) != c->snd_wnd && !c->sack_ok)
		return;
	c->cnt.dupacks_in++;
}

/* A duplicate ACK. Returns true when the segment is done with: FreeBSD's
 * tcp_do_segment() ends a counted duplicate with "goto drop" (limited
 * transmit's, the one that enters recovery, every one in recovery), before
 * step6, so its window is not taken (cfg.wnd_update GT_WND_UPDATE_BSD). A
 * SACK connection counts a duplicate whatever its window ("tiwin ==
 * tp->snd_wnd || (tp->t_flags & TF_SACK_PERMIT)"), so a SACK-bearing
 * duplicate that grows the window leaves SND.WND as it was (freebsd main,
 * fel1x-developer/freebsd-src 2d614aa;
 * tests/pkt/freebsd/sack-dupack-window-growth-not-taken.pkt). */
/* cfg.reno_reordering: tp->reordering as Linux's
 * tcp_check_reno_reordering() sets it (reno_reordering_set()). For a
 * duplicate without SACK outside recovery, reno_reorder() (in recovery:
 * dup_ack()'s reno_prr_on() branch; an ACK that moves SND.UNA:
 * reno_reorder_acked()): Linux's tcp_add_reno_sack() -> tcp_check_reno_reordering(). More duplicates than
 * the segments out less the one hole (tcp_limit_reno_sacked():
 * sacked_out + max(lost_out, 1) > packets_out) are reordering: sacked_out
 * is held at packets_out - 1, and tp->reordering is set to packets_out,
 * at most net.ipv4.tcp_max_reordering, lower than before too
 * (TCPRenoReorder). Linux 6.18: two segments out, three duplicates,
 * reordering 2 and no fast retransmit (tcp_newreno_mark_lost(): sacked_out
 * 1 under it); the next flight's second duplicate starts the recovery
 * (tests/pkt/linux/reno-reordering-more-dupacks-than-out.pkt). */
static void reno_reordering_set(gt_stack *s, struct tcp_conn *c, uint32_t out)
{
	uint32_t r = out, max = s->cfg.max_reordering_segs;
	if (max && r > max)
		r = max;
	c->dupthresh = (uint8_t)(r < UINT8_MAX ? r : UINT8_MAX);
	s->st.TcpRenoReorder++;
	tcp_rack_reno_reordered(c); /* tp->reord_seen++ */
}

/* The same check where an ACK moves SND.UNA: Linux's
 * tcp_clean_rtx_queue() -> tcp_remove_reno_sacks() takes acked - 1 off
 * sacked_out (one ACK fills the hole, the rest eat duplicates), then
 * tcp_check_reno_reordering(sk, acked): with more left than the packets
 * still out less one hole, sacked_out is held at packets_out - 1 and
 * tp->reordering = packets_out + acked, the packets out before the ACK.
 * sacked: the duplicates counted (c->dupacks outside recovery,
 * reno_sacked in it), acked - 1 already taken off; held (true) where the
 * check fired. segs: the packets this ACK covered; SND.UNA has moved. Linux 6.18.44: two out, one duplicate,
 * the ACK of the first: reordering 2, the next flight's second
 * duplicate resends (tests/pkt/linux/reno-reorder-partial-ack-lowers.pkt);
 * in recovery, five out, four duplicates, the ACK of two: 5
 * (reno-reorder-in-recovery-partial-ack-raises.pkt). */
static bool reno_reorder_acked(gt_stack *s, struct tcp_conn *c, uint32_t segs, uint32_t *sacked)
{
	if (!segs || !s->cfg.reno_reordering || c->sack_ok || !c->mss)
		return false;
	uint32_t out = pkts_upto(s, c, c->snd_max);
	if (!out || *sacked + 1u <= out)
		return false;
	*sacked = out - 1u;
	reno_reordering_set(s, c, out + segs);
	return true;
}

static void reno_reorder(gt_stack *s, struct tcp_conn *c)
{
	uint32_t out = c->mss ? pkts_upto(s, c, c->snd_max) : 0;
	if (!out || (uint32_t)c->dupacks + 1u <= out)
		return;
	c->dupacks = (uint8_t)(out - 1u < UINT8_MAX ? out - 1u : UINT8_MAX);
	reno_reordering_set(s, c, out);
}

static bool dup_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool sack_new)
{
	/* ACKs of zero-window probes are no sign of loss (RFC 9293 3.8.6.1). */
	if (g->seglen != 0 || c->snd_una == c->snd_max || c->persist || c->snd_wnd == 0)
		return false;
	/* FreeBSD's tcp_do_segment() counts a duplicate without SACK blocks
	 * on a SACK connection as one without SACK, its window unchecked
	 * (TF_SACK_PERMIT waives it), when tcp_is_sack_recovery() is false:
	 * no blocks and no hole on the scoreboard (tcp_sack_bsd_holes()). A
	 * peer that agreed on SACK but never sends blocks (a middlebox that
	 * strips them) still gets a fast retransmit. With a hole, an ACK
	 * without blocks is SACK_NOCHANGE and "break"s to step 6: no
	 * duplicate, its window taken. Only the rescue hole tells the two
	 * apart here (a SACKed range fails both tests): before branch h-bsd4
	 * the profile counted a window update after a block-less partial
	 * ACK as a duplicate, skipped its window and left the hole's rest
	 * to the RTO (tests/pkt/freebsd/sack-partialack-rescue-window-update.pkt). */
	bool blockless = c->sack_ok && s->cfg.recovery_bsd && !g->h.opts.nsack && !tcp_sack_bsd_holes(c);
	if (c->sack_ok) {
		/* RFC 6675 2: with SACK, a DupAck is an ACK that SACKs data
		 * not SACKed before, whatever its window: a Linux receiver
		 * grows its window as it autotunes, in the very ACKs that
		 * report a loss. */
		if (!sack_new && !blockless)
			return false;
	} else if (((uint32_t)g->h.win << c->snd_wscale) != c->snd_wnd) {
		/* RFC 5681 2: without SACK, a duplicate ACK also carries the
		 * same window. */
		return false;
	}
	if (!s->cfg.rcvdupack_bsd)
		c->cnt.dupacks_in++; /* else counted by rcvdupack_bsd() */
	/* In Linux's loss state a duplicate counts only once data went out
	 * after the timeout (tcp_process_loss(): after(snd_nxt, high_seq)). */
	if (c->loss_pipe && !seq_gt(c->snd_max, c->recover))
		return false;
	/* Without SACK, Linux holds the loss state while SND.UNA sits at
	 * high_seq, the SND.MAX of the timeout ("Hold old state until
	 * something *above* high_seq is ACKed", tcp_process_loss() ->
	 * tcp_try_undo_recovery() -> tcp_is_non_sack_preventing_reopen()):
	 * such a duplicate counts for nothing, lets no new segment out and
	 * starts no recovery; the first ACK above high_seq opens the
	 * connection, and the duplicates after it count again
	 * (tests/pkt/linux/rto-no-sack-loss-held-at-high-seq.pkt). */
	if (c->reno_hold && c->snd_una == c->recover)
		return false;
	if (c->dupacks < UINT8_MAX)
		c->dupacks++;
	if (!c->sack_ok && s->cfg.reno_reordering && !c->in_recovery && !c->loss_pipe)
		reno_reorder(s, c);
	if (tcp_rack_active(s, c))
		return false; /* RACK, not the count, finds losses (RFC 8985 3.3) */
	bool drop = s->cfg.wnd_update == GT_WND_UPDATE_BSD;
	if (c->in_recovery) {
		if (blockless) {
			/* tcp_do_prr_ack()'s branch without SACK information,
			 * or (do_prr=0) a segment more, as without SACK. */
			if (!tcp_sack_prr_dup_blockless(s, c))
				c->cwnd += c->mss;
		} else if (tcp_sack_bsd_noprr(s, c)) {
			tcp_sack_bsd_dupack(s, c); /* FreeBSD, do_prr=0 */
		} else if (c->sack_ok) {
			tcp_sack_recovery_send(s, c); /* RFC 6675 5 (C) */
		} else if (reno_prr_on(s, c)) {
			/* Held at high_seq (ack_advance()): nothing. Else one
			 * more SACKed segment (tcp_add_reno_sack(), at most all
			 * but the head) and what PRR lets out. */
			uint32_t out = pkts_upto(s, c, c->snd_max);
			if (c->snd_una != c->recover && c->reno_sacked + 1u < out && c->reno_sacked < UINT16_MAX) {
				c->reno_sacked++;
				reno_prr(s, c, 1, false, false);
			} else if (c->snd_una != c->recover && out && s->cfg.reno_reordering) {
				/* One more than all but the head: Linux's
				 * tcp_add_reno_sack() calls
				 * tcp_check_reno_reordering() in recovery too,
				 * and tcp_limit_reno_sacked() (holes: lost_out,
				 * the head, 1) sets tp->reordering to
				 * packets_out, higher or lower. Linux 6.18.44:
				 * four out, the fourth duplicate makes it 4
				 * (tests/pkt/linux/reno-reorder-in-recovery-raises.pkt);
				 * five 100-byte segments resent as one packet,
				 * 1, and the next flight's first duplicate
				 * starts a recovery
				 * (reno-reorder-in-recovery-collapsed-lowers.pkt).
				 * Nothing more delivered: no PRR step. */
				reno_reordering_set(s, c, out);
			}
		} else {
			c->cwnd += c->mss; /* RFC 6582 3.2 step 4 */
		}
		return drop;
	}
	/* RFC 6675 5 (2.a), (2.b): the third DupAck, or SACKs enough above
	 * SND.UNA that its segment is lost; not again below RecoveryPoint
	 * (RFC 6582 4.1). FreeBSD with net.inet.tcp.sack.revised=0 takes
	 * only the first (cfg.sack_unrevised_bsd). */
	bool lost = c->dupacks >= tcp_reordering(s, c) ||
		    (c->sack_ok && !(s->cfg.recovery_bsd && s->cfg.sack_unrevised_bsd) &&
		     tcp_sack_is_lost(c, c->snd_una));
	/* FreeBSD checks only IN_FASTRECOVERY when it does SACK or PRR
	 * (tcp_do_segment(), enter_recovery: "if (V_tcp_do_prr ||
	 * (tp->t_flags & TF_SACK_PERMIT))"): after an RTO, whose snd_recover
	 * is SND.MAX (tcp_timer_rexmt()), DupThresh duplicates below it start
	 * a recovery. */
	bool barred = !(s->cfg.recovery_bsd && (s->cfg.prr_bsd || c->sack_ok));
	if (lost && (!barred || seq_gt(g->h.ack - 1, c->recover - 1))) {
		enter_fast_recovery(s, c, 0, blockless);
		return drop;
	}
	/* A recovery refused (enter_recovery's "t_dupacks = 0; break") goes
	 * on to step6; limited transmit's first two end in "goto drop". */
	return drop && !lost && s->cfg.limited_transmit;
}

/* Linux's tcp_undo_cwnd_reduction() for a spurious timeout: only where
 * a prior_ssthresh was saved, cwnd back to at least prior_cwnd (Reno's and
 * CUBIC's undo_cwnd) and ssthresh to at least prior_ssthresh; never
 * lowered (before, ssthresh took prior_ssthresh as it was, 0 included). */
static void loss_undo_cwnd(struct tcp_conn *c)
{
	if (!c->prior_ssthresh)
		return;
	tcp_undo_raise(c, c->prior_cwnd, c->prior_ssthresh);
}

/* F-RTO found the timeout spurious (Linux's tcp_try_undo_loss()): the
 * connection is open again, its reduction undone first, then the ACK
 * grows cwnd as any ACK in the restored state (tcp_try_undo_loss() in
 * tcp_fastretrans_alert(), before tcp_cong_control()). unmark: the loss
 * marks go too, as Linux's undo clears them (the step-3b undo of the
 * second new ACK keeps them: docs/recovery.md). recover goes to SND.UNA,
 * so a recovery RACK starts now reduces (tcp_fastretrans_alert() falls
 * through to tcp_enter_recovery() once the undo left TCP_CA_Loss).
 * Before, recover stayed SND.MAX at the timeout and that recovery was
 * taken for the loss state's, cwnd cut to ssthresh without a reduction
 * (seed 89506266). Returns false: the ACK is handled. */
static void loss_undo_state(struct tcp_conn *c, bool unmark)
{
	c->frto = 0;
	c->loss_pipe = false;
	tcp_rack_loss_undo_off(c);
	c->reno_hold = false;
	loss_undo_cwnd(c);
	if (unmark)
		tcp_rack_unmark_lost(c);
}

static void loss_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool unmark)
{
	loss_undo_state(c, unmark);
	ack_advance(s, c, g, false, false);
	c->backoff = 0;
	c->rtx_count = 0;
	c->recover = c->snd_una;
}

/* F-RTO's undo: Linux's tcp_try_undo_loss(sk, true), which counts
 * TcpLossUndo as every undo there does, and TcpSpuriousRTOs (Linux 6.18,
 * nstat in the namespace of tests/pkt/linux/frto-late-acks-then-dsack-
 * undo-counts.pkt: 1 and 1; before, the profile counted only the second).
 * Returns false: the ACK is handled. */
static bool frto_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool unmark)
{
	s->st.TcpSpuriousRTOs++;
	if (s->cfg.loss_pipe_linux)
		s->st.TcpLossUndo++;
	loss_undo(s, c, g, unmark);
	return false;
}

/* cfg.loss_dsack_undo in the loss state: D-SACKs that cover every segment
 * retransmitted since the timeout show that nothing was lost (Linux's
 * undo_retrans down to 0: tcp_check_dsack() for data below SND.UNA,
 * tcp_sacktag_one() for data still queued, D-SACKs above undo_marker
 * only). The ACK of new data that finds it so undoes, this one or a later
 * one (tcp_process_loss(): FLAG_SND_UNA_ADVANCED, then
 * tcp_try_undo_loss(sk, false) with tcp_may_undo(), before F-RTO looks at
 * the ACK; without timestamps tcp_packet_delayed() is false, so undo_retrans
 * decides): TcpLossUndo only, the loss marks gone, open; then RACK judges
 * the originals sent before the retransmission as outside a loss state,
 * as after F-RTO's undo (tests/pkt/linux/rto-dsack-of-head-undoes-loss.pkt:
 * Recovery, cwnd 2, ssthresh 5 on Linux 6.18). Before, the profile took
 * that ACK as F-RTO's first new ACK and sent new data in the loss state.
 * Returns true where it undid and handled the ACK. */
static bool loss_dsack_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool dsack)
{
	const struct tcp_opts *o = &g->h.opts;
	if (!c->loss_pipe || !tcp_rack_loss_dsack(c, dsack, o->sack[0].right) ||
	    !seq_gt(g->h.ack, c->snd_una))
		return false;
	s->st.TcpLossUndo++;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->prior_cwnd, c->prior_ssthresh, tcp_flight(c), "D-SACK loss undo");
	loss_undo(s, c, g, true);
	return true;
}

/* RFC 5682 2.1 steps 2 and 3. Returns false if the ACK has been fully
 * handled here. */
static bool frto_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool sack_new, bool *send_new)
{
	bool advances = seq_gt(g->h.ack, c->snd_una);
	/* A segment that carries data and acknowledges nothing new is no
	 * duplicate for Linux (tcp_ack(): FLAG_DATA is part of
	 * FLAG_NOT_DUP, num_dupack 0), so tcp_process_loss() leaves F-RTO
	 * on, before step 2b and after it (step 3a asks for
	 * FLAG_DATA_SACKED or a duplicate), and REXMIT_LOST finds cwnd full:
	 * nothing is sent but the ACK of the data. Before, the profile ended
	 * F-RTO: no step 2b, the rest waited for the next RTO, and no undo
	 * (tests/pkt/linux/frto-data-dupack-before-step-2b-keeps-frto.pkt,
	 * frto-data-dupack-after-step-2b-keeps-frto.pkt). One that SACKs
	 * new data goes on below (not checked). */
	if (s->cfg.loss_pipe_linux && !advances && g->seglen && !sack_new)
		return true;
	/* Linux's tcp_process_loss() (RFC 5682 3.1, the SACK version, step
	 * 3.b): a new ACK that delivers data never retransmitted,
	 * cumulatively or in a SACK block, shows the timeout spurious, the
	 * first new ACK too (FLAG_ORIG_SACK_ACKED: tcp_try_undo_loss(sk,
	 * true), before F-RTO's step 2b); the connection is open again, the
	 * loss marks gone, and RACK then judges the holes as outside a loss
	 * state (tcp_identify_packet_loss(), then tcp_enter_recovery(),
	 * which reduces). Before, the first new ACK sent new data
	 * (tests/pkt/linux/frto-sack-of-original-undoes.pkt). A duplicate
	 * ACK that SACKs original data undoes too on Linux 6.18 (ca_state
	 * Disorder, cwnd back; cfg.frto_sack_undo_dupack, below; before,
	 * the profile stayed in the loss state). With SACK
	 * an ACK of everything sent
	 * before the timeout undoes as well: tcp_process_loss() tests
	 * FLAG_ORIG_SACK_ACKED before it asks whether SND.UNA reached
	 * high_seq (tests/pkt/linux/frto-ack-of-all-outstanding-undoes.pkt;
	 * before, the episode ended without undo). Without SACK Linux 6.18
	 * undoes nothing there (cwnd 7 under cubic, as the profile), and
	 * stays in Loss (tcp_is_non_sack_preventing_reopen()), as the
	 * profile's reno_hold (tests/pkt/linux/frto-no-sack-ack-of-all-
	 * outstanding-stays-loss.pkt): a cumulative ACK that covers the
	 * head's retransmission sets FLAG_RETRANS_DATA_ACKED, and without
	 * SACK tcp_clean_rtx_queue() then clears FLAG_ORIG_SACK_ACKED, the
	 * originals it covers notwithstanding. No transmit log is kept
	 * without SACK (tcp_rack_orig_acked() is false); the rule for the
	 * ACKs after step 2b is below. */
	bool orig_undo = seq_lt(g->h.ack, c->recover) || c->sack_ok;
	if (s->cfg.loss_pipe_linux && advances && orig_undo && tcp_rack_orig_acked(c)) {
		return frto_undo(s, c, g, true);
	}
	/* cfg.frto_sack_undo_dupack: the duplicate ACK above, as Linux's
	 * tcp_process_loss() takes it (FLAG_ORIG_SACK_ACKED, step 3b, whether
	 * SND.UNA moved or not): undone, open (Linux's Disorder, the SACKed
	 * data out of order), the loss marks gone and the head's
	 * retransmission still in flight and unmarked; SND.UNA and the timer
	 * as they were. Linux 6.18: cwnd 10, ssthresh 2147483647
	 * (tests/pkt/linux/frto-sack-undo-then-rto-counts-head-copy.pkt). */
	if (s->cfg.frto_sack_undo_dupack && c->sack_ok && !advances && sack_new && !g->seglen &&
	    tcp_rack_orig_acked(c)) {
		s->st.TcpSpuriousRTOs++;
		s->st.TcpLossUndo++;
		loss_undo_state(c, true);
		c->rtx_count = 0; /* tcp_try_undo_loss(): icsk_retransmits */
		c->recover = c->snd_una;
		/* The RTO from now, backed off as it was (Linux 6.18: the next
		 * timeout 0.6 s after this ACK, not after the first). */
		c->rtx_at = TCP_TIMER_NONE;
		tcp_arm_rtx(s, c);
		return false;
	}
	/* recover is SND.MAX at the timeout (rto_fire sets it; nothing moves
	 * it while F-RTO runs): RFC 5682's "recover". */
	bool dup = !advances && g->h.ack == c->snd_una && !g->seglen;
	if (dup && c->frto == 1) {
		/* Linux's tcp_process_loss() before step 2b: a duplicate ACK
		 * changes nothing in F-RTO (snd_nxt not after high_seq), and
		 * REXMIT_LOST finds cwnd (one segment) filled by the head's
		 * retransmission, still in flight: nothing is sent, F-RTO
		 * goes on. Before, SND.NXT went back to SND.UNA and the head
		 * went again. One that carries data is above. */
		return true;
	}
	if (s->cfg.loss_pipe_linux && !c->sack_ok && advances && c->frto == 2) {
		/* Without SACK, after step 2b: the first new ACK covered the
		 * head's retransmission (one that covers part of it only
		 * ended F-RTO, above), so this one covers data
		 * never retransmitted (tcp_clean_rtx_queue() sets
		 * FLAG_ORIG_SACK_ACKED, FLAG_RETRANS_DATA_ACKED not clearing
		 * it): tcp_process_loss() undoes, tcp_try_undo_loss(sk, true),
		 * up to high_seq and above it too; at high_seq exactly the
		 * undone connection stays in Loss
		 * (tcp_is_non_sack_preventing_reopen(): reno_hold). Before,
		 * an ACK that reached high_seq ended F-RTO without undo, cwnd
		 * 7 where Linux 6.18 has 19 and 20
		 * (tests/pkt/linux/frto-no-sack-second-ack-at-high-seq-undoes-
		 * stays-loss.pkt, frto-no-sack-second-ack-above-high-seq-
		 * undoes.pkt). */
		bool hold = g->h.ack == c->recover;
		(void)frto_undo(s, c, g, false);
		c->reno_hold = hold;
		return false;
	}
	if (!advances || seq_ge(g->h.ack, c->recover)) {
		/* A duplicate ACK after step 2b: the timeout was real (step
		 * 3a); recover as usual, going back to SND.UNA, which was
		 * never retransmitted. An ACK of everything ends it too. */
		if (dup)
			c->snd_nxt = c->snd_una;
		c->frto = 0;
		return true;
	}
	uint32_t head_end = tcp_lx_head_rtx_end(s, c);
	if (s->cfg.loss_pipe_linux && s->cfg.cwnd_packets && c->frto == 1 && seq_lt(g->h.ack, head_end)) {
		/* Step 2b on an ACK of part of the head's retransmission:
		 * Linux's tcp_process_loss() asks for new data (REXMIT_NEW),
		 * but tcp_clean_rtx_queue() keeps the head skb whole, one
		 * packet in flight that fills cwnd (one), and delivers
		 * nothing, so cwnd does not grow (tcp_slow_start() with 0
		 * acked); tcp_xmit_recovery() sends nothing and, SND.NXT not
		 * past high_seq, ends F-RTO (tp->frto = 0). The go-back-N
		 * stands after the head (SND.NXT), whose rest counts one
		 * packet (tcp_lx_head_cut()): the next ACK resends from
		 * SND.UNA, or the RTO does. Linux 6.18: nothing sent, then
		 * an ACK of original data undoes nothing
		 * (tests/pkt/linux/frto-partial-ack-of-head-ends-frto.pkt);
		 * before, two new segments went. With nothing unsent Linux
		 * ends F-RTO as well and REXMIT_LOST finds cwnd as full:
		 * the same here, before the test below. */
		uint32_t cwnd = c->cwnd;
		c->frto = 0;
		c->snd_nxt = head_end;
		ack_advance(s, c, g, false, false);
		tcp_lx_head_cut(c);
		c->cwnd = cwnd;
		return false;
	}
	/* Step 2b wants data unsent and room in the window the ACK offers
	 * (tcp_process_loss(): !tcp_write_queue_empty(sk) &&
	 * after(tcp_wnd_end(tp), tp->snd_nxt)); otherwise F-RTO ends and the
	 * loss state resends what the timeout marked lost, from the new
	 * SND.UNA (the head's retransmission is acknowledged). */
	uint32_t wnd_end = g->h.ack + ((uint32_t)g->h.win << c->snd_wscale);
	if (c->frto == 1 && (c->snd.len <= c->snd_max - c->snd_una || !seq_gt(wnd_end, c->snd_max))) {
		c->snd_nxt = c->snd_una;
		c->frto = 0;
		return true;
	}
	if (c->frto == 1) {
		/* The first new ACK: new data rather than retransmissions. */
		ack_advance(s, c, g, false, false);
		c->frto = 2;
		*send_new = true;
		return false;
	}
	/* The second new ACK, with SACK, acknowledges data sent before the
	 * timeout but nothing never retransmitted (tcp_rack_orig_acked()
	 * false: what it covers was SACKed or resent before). RFC 5682 2.1
	 * step 3b undoes (RFC 4015); Linux does not: without
	 * FLAG_ORIG_SACK_ACKED tcp_process_loss() keeps the loss state and
	 * resends what the timeout marked lost (REXMIT_LOST), cwnd as the
	 * slow start left it. Linux keeps tp->frto on until new SACK data or
	 * a duplicate (step 3a), so a later ACK of original data could still
	 * undo; the profile ends F-RTO here, no difference seen on the wire
	 * (tests/pkt/linux/frto-second-ack-of-resent-data-stays-loss.pkt: an
	 * ACK of a segment the fast recovery resent, Loss, cwnd 3, ssthresh
	 * 7; then one of data SACKed before, the same; before, undone).
	 * Without RACK's transmit log (cfg.rack off, or none allocated,
	 * TcpRackNoMem, or no SACK, where the log only times) nothing tells
	 * what was sent once: RFC 5682's rule. */
	if (s->cfg.loss_pipe_linux && c->rack && c->sack_ok) {
		c->snd_nxt = c->snd_una;
		c->frto = 0;
		return true;
	}
	return frto_undo(s, c, g, false);
}

/* cfg.ts_undo in the loss state: an ACK of new data that echoes a TSval
 * older than the timeout's retransmission shows the original arrived: the
 * timeout was spurious (Linux's tcp_process_loss(): tcp_try_undo_loss()
 * with tcp_may_undo() before F-RTO's own test, TCPLossUndo). cwnd and
 * ssthresh go back, nothing is lost any more and the connection is open;
 * the ACK then grows cwnd as there. */
static bool loss_ts_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!c->loss_undo_on || !c->loss_pipe || !seq_gt(g->h.ack, c->snd_una) || !g->h.opts.has_ts ||
	    !g->h.opts.ts_ecr || (int32_t)(g->h.opts.ts_ecr - c->loss_undo_ts) >= 0)
		return false;
	c->loss_undo_on = false;
	tcp_rack_loss_undo_off(c);
	c->loss_pipe = false;
	c->frto = 0;
	loss_undo_cwnd(c);
	c->snd_nxt = c->snd_max; /* go-back-N ends: nothing to resend */
	c->rtx_count = 0;
	tcp_rack_unmark_lost(c);
	s->st.TcpLossUndo++;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "loss undo");
	return true;
}

/* FreeBSD's tcp_do_segment() header prediction for a pure ACK of new
 * data: ESTABLISHED, SEG.SEQ = RCV.NXT, the ACK flag alone, SND.NXT =
 * SND.MAX, the window unchanged and not 0, nothing held out of order, no
 * payload, SND.UNA < SEG.ACK <= SND.MAX, no recovery (IN_RECOVERY), no
 * SACK option and no scoreboard. */
static bool bsd_predicted_ack(const struct tcp_conn *c, const struct tcp_seg *g)
{
	uint32_t win = (uint32_t)g->h.win << c->snd_wscale;
	return c->state == GT_TCP_ESTABLISHED && g->h.seq == c->rcv_nxt &&
	       (g->h.flags & (TH_SYN | TH_FIN | TH_RST | TH_URG | TH_ACK)) == TH_ACK &&
	       c->snd_nxt == c->snd_max && win && win == c->snd_wnd && !c->nooo && !g->len &&
	       seq_gt(g->h.ack, c->snd_una) && seq_le(g->h.ack, c->snd_max) && !c->in_recovery &&
	       !tcp_sack_in_cong(c) && !(c->sack_ok && g->h.opts.nsack) && !c->nsacked;
}

/* cfg.rto_undo_bsd: FreeBSD's "bad retransmit" test on an ACK of new
 * data, at t_rxtshift 1 with TF_PREVVALID and t_badrxtwin set. The
 * header-prediction path asks it only without timestamps, ticks before
 * t_badrxtwin (SRTT/2 after the retransmission); the slow path only with
 * them, a non-zero echo older than the retransmission's TSval
 * ("TSTMP_LT(to.to_tsecr, tp->t_badrxtwin)"). A predicted ACK with
 * timestamps is never asked. Then cc_cong_signal(CC_RTO_ERR): cwnd and
 * ssthresh back, SND.NXT = SND.MAX (no go-back-N), TF_PREVVALID and
 * t_badrxtwin cleared, tcps_sndrexmitbad, and the module's own undo.
 * t_rxtshift is left to tcp_xmit_timer() as there (the ACK's RTT sample).
 * snd_recover and the recovery flags are not restored (tcp_timer.c). */
static void bsd_badrxt_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!s->cfg.rto_undo_bsd || s->cfg.loss_pipe_linux || c->rtx_count != 1 || !c->loss_undo_on ||
	    !c->loss_undo_ts || !seq_gt(g->h.ack, c->snd_una))
		return;
	const struct tcp_opts *o = &g->h.opts;
	bool ts = c->ts_ok && o->has_ts;
	bool bad;
	if (bsd_predicted_ack(c, g))
		bad = !ts && (int32_t)(tcp_bsd_ticks(s) - c->loss_undo_ts) < 0;
	else
		bad = ts && o->ts_ecr && (int32_t)(o->ts_ecr - c->loss_undo_ts) < 0;
	if (!bad)
		return;
	s->st.TcpSndRexmitBad++;
	c->cwnd = c->prior_cwnd;
	c->ssthresh = c->prior_ssthresh;
	c->snd_nxt = c->snd_max;
	c->loss_undo_on = false;
	c->loss_undo_ts = 0;
	if (c->cc->on_rto_err)
		c->cc->on_rto_err(c);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "CC_RTO_ERR");
}

/* FreeBSD's end of a half-open connection whose handshake ACK the SYN
 * cache refused (syncache_expand()'s "failed:", syncache_socket() without
 * a socket): the entry freed and, when rst, tcp_input()'s
 * <SEQ=SEG.ACK><CTL=RST> from the listener (tcp_dropwithreset() with its
 * tp). */
static void refuse_half_open(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool rst)
{
	if (rst) {
		tcp_sign_reply(s, c);
		tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, g->h.ack, 0, TH_RST, 0, NULL);
	}
	s->st.TcpAttemptFails++;
	tcp_conn_free(s, c, 0);
}

/* The handshake's ACK of a passive open that finds the accept queue over
 * its limit (cfg.acceptq_full_at_ack): FreeBSD's syncache_expand() has
 * taken the entry out of the SYN cache, syncache_socket() gets no socket
 * from sonewconn() ("Listen queue overflow"), counts tcps_listendrop and
 * frees the entry; tcp_input() ("Socket allocation failed due to limits
 * or memory shortage") answers <SEQ=SEG.ACK><CTL=RST> as
 * BANDLIM_UNLIMITED (no blackhole) while rst_on_sock_fail is on, else
 * drops the ACK. Either way nothing is left: a retransmitted ACK meets
 * the listener and its RST. Returns true when the child is gone. */
static bool refused_at_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!s->cfg.acceptq_full_at_ack || !c->passive || c->in_accept_q)
		return false;
	const struct tcp_listener *l = tcp_listener_get(s, c->lh);
	if (!l || !tcp_listen_full(s, l))
		return false;
	s->st.TcpListenOverflows++;
	s->st.TcpSynDrops++;
	refuse_half_open(s, c, g, s->cfg.syncookie_fail_rst);
	return true;
}

/* FreeBSD's tcp_do_segment(), SYN_RECEIVED's ACK processing: "If segment
 * contains data or ACK, will call tcp_reass() later; if not, do so now to
 * pass queued data to user": what simopen_hold_bsd() held at RCV.NXT is
 * presented, and no ACK is asked for it (tcp_output() finds no window
 * update worth sending). The call's result is thrown away ("(void)
 * tcp_reass(...)"): a held FIN that comes in with it is lost (bare). A
 * segment with data or FIN presents the held data here too, before its own
 * (FreeBSD's tcp_reass() merges them, and presents nothing when the
 * segment only repeats what is held: not modelled), so that nothing is
 * held at RCV.NXT once ESTABLISHED. */
static void simopen_present_bsd(gt_stack *s, struct tcp_conn *c, bool bare)
{
	uint32_t joined = tcp_reass_advance(c);
	if (joined) {
		c->cnt.bytes_received += joined;
		tcp_conn_mark(s, c);
	}
	if (bare && c->fin_ooo && c->ooo_fin_seq == c->rcv_nxt)
		c->fin_ooo = false;
}
/* cfg.dsack_left_edge: Linux's tcp_is_sackblock_valid() refuses a block
 * that starts at or below SND.UNA (SEG.ACK once this ACK moved it) and
 * ends above it: not a SACK of what lies above SND.UNA, nor, as a D-SACK,
 * of what lies below (it "must reside below snd_una completely"). Such a
 * block is emptied here, where the profile took [SND.UNA, end) of it.
 * The first block is then a D-SACK (it starts below SEG.ACK), whose
 * refusal tcp_rack_ack() counts; any other is TcpSACKDiscard, as Linux
 * counts it (tcp_sacktag_write_queue(): it ends above SND.UNA, so not an
 * old one of ACK reordering). Linux 6.18: an ACK of 1001 whose blocks are
 * 1:3001 and 5001:6001 SACKs 5001:6001 alone, and the recovery resends
 * 1001:2001 first (tests/pkt/linux/sack-first-block-straddling-ack-is-dsack.pkt). */
static void sack_drop_straddling(gt_stack *s, const struct tcp_conn *c, struct tcp_opts *o, uint32_t ack)
{
	uint32_t una = seq_gt(ack, c->snd_una) ? ack : c->snd_una;
	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = o->sack[i].left, r = o->sack[i].right;
		if (!seq_le(l, una) || !seq_gt(r, una))
			continue;
		o->sack[i].left = r;
		if (i)
			s->st.TcpSACKDiscard++;
	}
}


/* Returns false when the connection is gone. */
static bool ack_input(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool *sack_new_out)
{
	/* The ACK that completes a passive open is above SND.UNA for
	 * FreeBSD ("incforsyn": the SYN's octet is taken later), no
	 * duplicate even where it acknowledges the SYN alone. */
	bool handshake = c->state == GT_TCP_SYN_RECEIVED;
	/* A TFO child closed before its handshake's ACK (FIN_WAIT_1 or on,
	 * tcp_tfo_pending()): Linux's tcp_rcv_state_process() "case TCP_FIN_WAIT1:
	 * if (req) tcp_rcv_synrecv_state_fastopen(sk)", for the ACK of the
	 * SYN-ACK: its listener's queue has room again. */
	if (c->lh == TCP_LH_TFO_PENDING && !handshake && seq_gt(g->h.ack, c->iss) &&
	    seq_le(g->h.ack, c->snd_max))
		tcp_fastopen_child_done(s, c);
	if (handshake) {
		/* A TFO child that wrote: SND.UNA is past the SYN-ACK already
		 * (tcp_tfo_wrote()); an ACK of it alone is at SND.UNA. */
		bool wrote = tcp_tfo_wrote(c);
		if (seq_lt(g->h.ack, c->snd_una + (wrote ? 0u : 1u)) || seq_gt(g->h.ack, c->snd_max)) {
			tcp_sign_reply(s, c); /* tcp_respond(); Linux: tcp_v4_send_reset() with sk */
			tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, g->h.ack, 0,
				     TH_RST, 0, NULL);
			return false;
		}
		/* Linux's tcp_check_req(): "While TCP_DEFER_ACCEPT is active,
		 * drop bare ACK" (end_seq at rcv_isn + 1: no data, no FIN),
		 * remembered (inet_rsk(req)->acked) for the SYN-ACK timer
		 * (rto_fire()). Cookie ACKs never meet it (cookie_v4_check()). */
		if (c->syn_retries < tcp_listen_defer(s, c) && g->h.seq + g->seglen == c->irs + 1) {
			c->defer_acked = true;
			s->st.TcpDeferAcceptDrop++;
			return false;
		}
		if (refused_at_ack(s, c, g))
			return false;
		syn_rtt_sample(s, c, g);
		/* A TFO child ran tcp_init_transfer() when it was made
		 * (tcp_fastopen_create_child()), before any RTT sample:
		 * tcp_init_metrics() set icsk_rto to TCP_TIMEOUT_FALLBACK,
		 * 3 s ("RFC6298: 5.7 We've failed to get a valid RTT sample
		 * from 3WHS"), kept where the handshake's ACK gives no sample
		 * (Linux 6.18.44: tcpi_rto 3,000,000 after a resent SYN-ACK,
		 * fastopen-child-write-synack-rtx-once.pkt). */
		if (tcp_tfo_child(c) && !c->srtt_us)
			c->rto_us = TCP_TFO_RTO_FALLBACK_US;
		c->snd_wnd = (uint32_t)g->h.win << c->snd_wscale;
		c->max_snd_wnd = c->snd_wnd;
		/* tcp_create_openreq_child() takes max_window from this ACK,
		 * tcp_v4_syn_recv_sock() then calls tcp_sync_mss(), before
		 * tcp_init_transfer() sets the initial window. */
		tcp_mss_sync(s, c);
		/* The child's window is the request's rsk_rcv_wnd
		 * (tcp_create_openreq_child(): tp->rcv_wnd, with rcv_wup =
		 * rcv_nxt): since Linux 6.10 tcp_select_initial_window()'s
		 * whole quantized space, no longer min(space, U16_MAX); the
		 * request itself accepted and answered by the SYN-ACK's field
		 * (tcp_synack_window(): at most 65,535). From here
		 * tcp_select_window() never offers less than that edge, as for
		 * a TFO child (fastopen_child()). */
		if (s->cfg.rcv_wnd_linux && c->passive && seq_lt(c->rcv_adv, c->rcv_nxt + c->rcv_wnd))
			c->rcv_adv = c->rcv_nxt + c->rcv_wnd;
		if (!wrote || !c->passive)
			tcp_start_cc(s, c); /* a TFO child's ran at its birth */
		if (!wrote)
			c->snd_una = c->snd_una + 1; /* our SYN */
		/* tcp_rcv_synrecv_state_fastopen(): "Re-arm the timer because
		 * data may have been sent out" (tcp_rearm_rto()). */
		c->rtx_at = TCP_TIMER_NONE;
		if (wrote && c->snd_max != c->snd_una)
			tcp_arm_rtx(s, c);
		c->snd_wl1 = g->h.seq;
		c->snd_wl2 = g->h.ack;
		if (!tcp_tfo_child(c))
			c->defer_acked = false; /* its TCP_DEFER_ACCEPT meaning ends here */
		tcp_fastopen_child_done(s, c); /* tcp_rcv_synrecv_state_fastopen() */
		tcp_set_state(s, c, GT_TCP_ESTABLISHED, "handshake ACK");
		if (c->fin_queued) {
			/* shutdown(SHUT_WR) in SYN_RECEIVED (cfg.shut_wr_
			 * synrcvd_defer): Linux's tcp_rcv_state_process()
			 * "if (sk->sk_shutdown & SEND_SHUTDOWN)
			 * tcp_shutdown(sk, SEND_SHUTDOWN)": the FIN goes now,
			 * before this segment's data is taken. FreeBSD's
			 * TF_NEEDFIN (cfg.shut_wr_synsent_needfin):
			 * tcp_do_segment() makes "SYN-RECEIVED* -> FIN-WAIT-1"
			 * and goes on to process_ACK, step6 and dodata; the
			 * FIN goes from the tcp_output() that ends the segment
			 * (synchronized_input()), acknowledging its data
			 * (shutdown-wr-syn-rcvd-handshake-ack-data-then-fin.pkt). */
			tcp_set_state(s, c, GT_TCP_FIN_WAIT_1, "shutdown() before the handshake");
			if (!s->cfg.shut_wr_synsent_needfin)
				tcp_output(s, c);
		}
		if (c->syn_data_len) {
			ring_commit(&c->rcv, c->syn_data_len);
			c->rcv_nxt += c->syn_data_len;
			c->cnt.bytes_received += c->syn_data_len;
			c->syn_data_len = 0;
			tcp_conn_mark(s, c);
		}
		if (c->passive)
			tcp_listen_child_ready(s, c);
		else if (s->cfg.synrcvd_simopen_bsd)
			simopen_present_bsd(s, c, !g->len && !(g->h.flags & TH_FIN));
		tcp_timers_update(s, c);
	}
	/* RFC 5961 5.2: an ACK must lie in [SND.UNA - MAX.SND.WND, SND.NXT]. */
	uint32_t lo = c->snd_una - c->max_snd_wnd;
	if (seq_gt(g->h.ack, c->snd_max)) {
		/* RFC 9293 3.10.7.4 fifth: send an ACK, drop the segment;
		 * Linux's is a challenge ACK (ack-above-snd-nxt-challenged.pkt). */
		if (s->cfg.ack_unsent_challenge)
			challenge_ack(s, c);
		else if (oow_ack_allowed(s, c, g))
			tcp_send_ack(s, c);
		return false;
	}
	if (s->cfg.rfc5961 && seq_lt(g->h.ack, lo)) {
		challenge_ack(s, c);
		return false;
	}
	if (!handshake && c->state != GT_TCP_TIME_WAIT)
		rcvdupack_bsd(s, c, g);
	/* cfg.simopen_close_syn_rtx: the ACK of our SYN after close() in
	 * SYN_RECEIVED (start_fin() moved SND.UNA to ISS+1 and left SND.WL2
	 * at ISS: no ACK has covered the SYN). Linux's tcp_clean_rtx_queue()
	 * frees the SYN's skb then (FLAG_SYN_ACKED): the ACK of the SYN
	 * alone is an ACK of new data, not a duplicate, with an RTT sample
	 * as tcp_ack_update_rtt() takes it (the echo, else Karn's SYN-ACK
	 * time), and the timer restarts below. An ACK of SYN and FIN goes
	 * through ack_advance() as before. */
	bool syn_only = false;
	if (s->cfg.simopen_close_syn_rtx && c->snd_wl2 == c->iss && seq_ge(g->h.ack, c->snd_una) &&
	    (c->state == GT_TCP_FIN_WAIT_1 || c->state == GT_TCP_CLOSING)) {
		c->snd_wl2 = g->h.ack; /* once: the SYN is acknowledged */
		syn_only = g->h.ack == c->snd_una;
		uint32_t r = syn_only ? handshake_rtt(s, c, g, !c->syn_retries && c->rtt_timing)
				      : UINT32_MAX;
		if (syn_only)
			c->rtt_timing = false;
		/* "RFC6298: only reset backoff on valid RTT measurement"
		 * (tcp_ack_update_rtt()). */
		if (r != UINT32_MAX)
			c->backoff = 0;
	}
	c->persist_probes = 0; /* the peer answers: alive */
	if (s->cfg.tcpi_chrono && seq_ge(g->h.ack, c->snd_una))
		tcp_chrono_ack(s, c); /* tcp_ack(): tp->rcv_tstamp */
	/* Linux's tcp_ack(), past its old-ACK test: "We passed data and got
	 * it acked, remove any soft error log. Something worked..." */
	if (s->cfg.soft_err_ack_clears && seq_ge(g->h.ack, c->snd_una))
		c->err = 0;
	bool sack_new = false;
	/* An empty scoreboard (most ACKs) has nothing above SND.UNA. */
	uint32_t sacked0 = c->nsacked ? tcp_sack_bytes_above(c, c->snd_una) : 0;
	uint32_t fack0 = c->nsacked ? tcp_sack_fack(c) : c->snd_una;
	/* The highest newly SACKed byte's end, for HyStart's sample on an
	 * ACK that moves nothing else (tcp_hystart_sack_rtt()): a block
	 * whose last byte was not SACKed before. */
	uint32_t sack_hi = 0;
	bool sack_hi_set = false;
	/* The blocks as the scoreboard takes them: whole segments only in
	 * the Linux profile (tcp_lx_sack_align()). Copied only when there
	 * are blocks to change (an ACK without them reads the segment's). */
	const struct tcp_opts *skp = &g->h.opts;
	struct tcp_opts sk;
	if (c->sack_ok && skp->nsack && (s->cfg.psh_linux || s->cfg.sack_doack_bsd || s->cfg.dsack_left_edge)) {
		sk = g->h.opts;
		if (s->cfg.dsack_left_edge)
			sack_drop_straddling(s, c, &sk, g->h.ack);
		if (s->cfg.psh_linux)
			tcp_lx_sack_align(c, &sk, g->h.ack);
		if (s->cfg.sack_doack_bsd && sk.nsack)
			tcp_sack_bsd_filter(s, c, &sk, g->h.ack);
		skp = &sk;
	}
	if (c->sack_ok && skp->nsack && c->hystart_on && g->h.ack == c->snd_una) {
		for (uint8_t i = 0; i < skp->nsack; i++) {
			uint32_t l = skp->sack[i].left, r = skp->sack[i].right, end;
			if (!seq_lt(l, r) || seq_le(r, c->snd_una) || seq_gt(r, c->snd_max) ||
			    tcp_sacked(c, r - 1, &end))
				continue;
			if (!sack_hi_set || seq_gt(r, sack_hi))
				sack_hi = r;
			sack_hi_set = true;
		}
	}
	/* FreeBSD: SACK_NEWLOSS from the scoreboard before the merge; -1
	 * elsewhere (RFC 6937bis's rule, tcp_sack_prr_ack()). */
	int newloss = s->cfg.sack_doack_bsd ? 0 : -1;
	if (c->sack_ok && g->h.opts.nsack) {
		c->cnt.sacks_in++;
		if (s->cfg.sack_doack_bsd)
			newloss = tcp_sack_bsd_newloss(c, skp, g->h.ack);
		sack_new = tcp_sack_update(c, skp);
	}
	if (sack_new_out)
		*sack_new_out = sack_new;
	if (c->sacked && seq_ge(g->h.ack, c->snd_una))
		tcp_sack_prr_ack(c, g->h.ack, sacked0, fack0, newloss); /* PRR's DeliveredData */
	/* RFC 2883 4: a D-SACK block is the first, below the cumulative ACK
	 * or inside the second block. cfg.dsack_left_edge: below it is where
	 * it starts below SEG.ACK, as Linux's tcp_check_dsack() tests
	 * (before(start_seq_0, ack_seq)): a block whose edges straddle
	 * SEG.ACK is a D-SACK, which tcp_is_sackblock_valid() then refuses
	 * (sack_drop_straddling()). */
	const struct tcp_opts *o = &g->h.opts;
	bool dsack = c->sack_ok && o->nsack &&
		     ((s->cfg.dsack_left_edge ? seq_lt(o->sack[0].left, g->h.ack)
					      : seq_le(o->sack[0].right, g->h.ack)) ||
		      (o->nsack > 1 && seq_ge(o->sack[0].left, o->sack[1].left) &&
		       seq_le(o->sack[0].right, o->sack[1].right)));
	if (c->rack) {
		struct tcp_rack_ack ra = {
			.ack = g->h.ack, .ts_ecr = o->ts_ecr, .has_ts = o->has_ts,
			.advances = seq_gt(g->h.ack, c->snd_una) || syn_only, .sack_new = sack_new,
			.dsack = dsack,
			.dsack_left = o->sack[0].left, .dsack_right = o->sack[0].right,
			.sack = skp->sack, .nsack = c->sack_ok ? skp->nsack : 0,
			.ece = c->ecn_ok && !c->ace_ok && (g->h.flags & (TH_ECE | TH_SYN)) == TH_ECE,
		};
		tcp_rack_ack(s, c, &ra);
		uint32_t rtt_us;
		if (!ra.advances && (s->cfg.rtt_exact_first || !(c->ts_ok && o->has_ts)) &&
		    tcp_rack_rtt(c, &rtt_us)) {
			/* Linux times newly SACKed segments sent once
			 * (tcp_sacktag_one()) on any ACK, timestamps or not,
			 * and the sample ends the backoff
			 * (tcp_ack_update_rtt(); Linux 6.18:
			 * tests/pkt/linux/rtt-sack-dupack-with-timestamps-samples.pkt).
			 * Without cfg.rtt_exact_first, only without timestamps,
			 * where nothing else would. */
			uint32_t ca = tcp_rack_ca_rtt(c), min0 = c->min_rtt_us;
			tcp_rtt_sample_ca(s, c, rtt_us, ca);
			tcp_lx_rtt_min(s, c, min0, ca_or_sample(ca, rtt_us), false);
			c->backoff = 0;
			if (c->cc->on_rtt && !sack_hi_set)
				c->cc->on_rtt(s, c, ca != UINT32_MAX ? ca : rtt_us);
		}
	}
	uint32_t ca_rtt_us;
	if (sack_hi_set && sack_new && c->cc->on_rtt && tcp_hystart_sack_rtt(s, c, sack_hi, &ca_rtt_us))
		c->cc->on_rtt(s, c, ca_rtt_us);
	uint32_t cwnd0 = c->cwnd, ssthresh0 = c->ssthresh, wnd0 = c->snd_wnd;
	/* FreeBSD answers an ECE before it processes the ACK (tcp_do_segment()
	 * signals CC_ECN first): ssthresh from cwnd before the ACK, which then
	 * does not grow it, and with PRR runs by PRR already. Linux after
	 * (tcp_ack(): tcp_fastretrans_alert() after the ACK is taken). */
	bool ece_first = s->cfg.ecn_halves_cwnd;
	/* Linux enters CWR in tcp_fastretrans_alert(), which runs before
	 * tcp_cong_control() could grow cwnd: ssthresh from cwnd before this
	 * ACK, which then does not grow it (tcp_in_cwnd_reduction()). */
	if (!ece_first && (g->h.flags & TH_ECE) && s->cfg.prr && tcp_rack_active(s, c) && !c->in_recovery)
		ece_first = true;
	/* And without SACK (tcp_ecn_reno_cwr_on()): tcp_try_to_open() ->
	 * tcp_enter_cwr(), the same order. */
	if (!ece_first && (g->h.flags & TH_ECE) && tcp_ecn_reno_cwr_on(s, c) && !c->in_recovery)
		ece_first = true;
	if (ece_first)
		tcp_ecn_echo(s, c, g->h.flags, g->h.ack, s->now_us);
	/* A CWR this ACK may end (cwr_end_grow()). */
	bool cwr0 = s->cfg.recovery_end_ssthresh && tcp_rack_in_cwr(c);
	uint32_t flight0 = c->snd_max - c->snd_una;
	bsd_badrxt_undo(s, c, g);
	bool undone = loss_ts_undo(s, c, g);
	bool dsack_undone = !undone && loss_dsack_undo(s, c, g, dsack);
	bool frto_new = false;
	uint32_t una0 = c->snd_una;
	uint8_t dupacks0 = c->dupacks;
	/* The packets this ACK covers, counted before SND.UNA moves
	 * (reno_cwr_step()). */
	bool cwr_adv = c->ecn_reno_cwr && !c->in_recovery && seq_gt(g->h.ack, c->snd_una);
	uint32_t cwr_pkts = cwr_adv ? pkts_upto(s, c, g->h.ack) : 0;
	/* Without SACK, Linux's tp->delivered (tcpi_delivered): the packets
	 * out and those this ACK covers, counted before SND.UNA moves and
	 * before a fast retransmit collapses skbs (tcp_lx_reno_delivered()). */
	bool reno_dlv = s->cfg.rack && s->cfg.tcpi_chrono && !c->sack_ok;
	uint32_t reno_out0 = reno_dlv ? pkts_upto(s, c, c->snd_max) : 0;
	uint32_t reno_acked = reno_dlv ? pkts_upto(s, c, g->h.ack) : 0;
	bool dup_done = false; /* FreeBSD: "goto drop", no step6 */
	if (dsack_undone) {
		/* loss_undo() took the ACK */
	} else if (!c->frto || frto_ack(s, c, g, sack_new, &frto_new)) {
		if (seq_gt(g->h.ack, c->snd_una))
			ack_advance(s, c, g, sack_new, undone);
		else if (g->h.ack == c->snd_una && !syn_only)
			dup_done = dup_ack(s, c, g, sack_new);
	}
	if (s->cfg.tcpi_chrono && flight0 && !c->dead && c->snd_una == c->snd_max)
		tcp_chrono_stop(s, c, TCP_CHRONO_BUSY); /* tcp_clean_rtx_queue(): the rtx queue emptied */
	if (syn_only && c->rtx_kind != TCP_RTX_REO) {
		/* tcp_ack(): FLAG_SET_XMIT_TIMER -> tcp_set_xmit_timer(): the
		 * probe timeout from now with the new RTO (RACK's acked_now),
		 * else tcp_rearm_rto(), the whole RTO from now (RFC 6298 5.3). */
		c->rtx_at = TCP_TIMER_NONE;
		tcp_arm_rtx(s, c);
	}
	if (!dup_done)
		update_window(s, c, g, una0);
	if (reno_dlv && !c->dead)
		tcp_lx_reno_delivered(s, c, seq_gt(c->snd_una, una0) ? reno_acked : 0,
				      c->dupacks > dupacks0, dupacks0, reno_out0);
	/* Linux's tcp_ack(): with no packets out before this ACK
	 * ("no_queue"), tcp_ack_probe() restarts the probe timer while the
	 * window still shuts the send head out (update_window() ended
	 * probing otherwise). */
	if (s->cfg.probe_ack_rearm && c->persist && una0 == c->snd_max && !c->dead)
		tcp_persist_ack_rearm(s, c);
	if (!ece_first)
		tcp_ecn_echo(s, c, g->h.flags, g->h.ack, s->now_us);
	uint32_t cwr_segs = 0;
	if (c->ecn_reno_cwr && !c->in_recovery && !c->dead) {
		bool adv = seq_gt(c->snd_una, una0);
		/* tcp_remove_reno_sacks(): an ACK of new packets delivers
		 * max(acked - sacked_out, 1), one inside a one-packet skb
		 * none (pkts_upto(): tcp_clean_rtx_queue() acks nothing). */
		uint32_t segs = adv ? (cwr_adv ? cwr_pkts : segs_of(c, c->snd_una - una0))
				    : (c->dupacks > dupacks0 ? 1u : 0u);
		if (adv && segs)
			segs = segs > dupacks0 ? segs - dupacks0 : 1;
		cwr_segs = segs;
		reno_cwr_step(s, c, segs, adv);
	}
	tcp_rack_after_ack(s, c);
	if (sack_new && !syn_only && !c->dead && g->h.ack == una0 && c->snd_una == una0 && !dsack_undone)
		sack_reorder_grow(s, c, flight0);
	if (cwr0 && !c->dead && !c->in_recovery && !c->loss_pipe && !tcp_rack_in_cwr(c) &&
	    seq_gt(c->snd_una, una0))
		cwr_end_grow(s, c, c->sack_ok ? tcp_rack_delivered_now(c) : cwr_segs * c->mss, flight0);
	if (frto_new) {
		/* RFC 5682 2.1 step 2b: up to two new segments, not a
		 * retransmission, whatever cwnd says. */
		for (int i = 0; i < 2; i++)
			tcp_output_one(s, c);
	}
	if (stack_tracing(s)) {
		if (c->cwnd != cwnd0 || c->ssthresh != ssthresh0)
			tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c),
				  c->in_recovery ? "recovery" : "ACK");
		if (c->snd_wnd != wnd0)
			tcp_trace(s, c, GT_TRACE_WINDOW, wnd0, c->snd_wnd, 0, NULL);
	}

	bool fin_acked = tcp_fin_acked(c);
	switch (c->state) {
	case GT_TCP_FIN_WAIT_1:
		if (fin_acked) {
			tcp_set_state(s, c, GT_TCP_FIN_WAIT_2, "FIN acknowledged");
			c->rtx_at = TCP_TIMER_NONE;
			if (c->owner < 0) {
				tcp_arm_fin2(s, c);
				/* With the peer's FIN in the segment Linux's full
				 * socket ACKs it (tcp_rcv_state_process()). */
				if (!(g->h.flags & TH_FIN))
					tcp_fin2_orphan_ttl(s, c);
			} else if (s->cfg.fin2_idle_bsd && c->rcv_shut && c->fin2_timeout_ms >= 0) {
				/* FreeBSD's tcp_do_segment(), FIN_WAIT_1 with our
				 * FIN acked: "If we can't receive any more data"
				 * (SBS_CANTRCVMORE: shutdown(SHUT_RD or SHUT_RDWR)
				 * with the descriptor still open) TT_2MSL is armed
				 * with TP_MAXIDLE, as for a closed socket. */
				tcp_arm_fin2(s, c);
			}
			tcp_timers_update(s, c);
		}
		break;
	case GT_TCP_CLOSING:
		if (fin_acked) {
			tcp_enter_time_wait(s, c, false);
			return false;
		}
		break;
	case GT_TCP_LAST_ACK:
		if (fin_acked) {
			tcp_conn_free(s, c, 0);
			return false;
		}
		break;
	default:
		break;
	}
	return true;
}

/* Linux's tcp_incr_quickack(): quick-ACK the next segments, as many as
 * fill half the window offered, at most quickack_max_segs; "if (quickacks
 * == 0) quickacks = 2": a window under two segments gets 2, one of two or
 * three segments 1 (SO_RCVBUF 2048, a window of 1460 and a segment size
 * of 536: one quick ACK on Linux 6.18, tests/pkt/linux/
 * quickack-zero-window-probe-not-quickack.pkt). */
static void incr_quickack(gt_stack *s, struct tcp_conn *c)
{
	uint32_t wnd = c->rcv_wnd ? c->rcv_wnd : tcp_rcvbuf(c) / 2;
	uint32_t mss = c->ack_rcv_mss ? c->ack_rcv_mss : c->rcv_mss;
	uint32_t q = wnd / (2 * (mss ? mss : 1));
	if (q == 0)
		q = 2;
	if (q > s->cfg.quickack_max_segs)
		q = s->cfg.quickack_max_segs;
	if (q > c->quickack)
		c->quickack = (uint8_t)q;
}

#define ATO_MIN_US 40000u /* TCP_ATO_MIN, TCP_DELACK_MIN: HZ / 25 */

/* Linux's tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS): quick ACKs
 * (tcp_incr_quickack()), pingpong mode ended, ato at its least. */
static void enter_quickack_mode(gt_stack *s, struct tcp_conn *c)
{
	incr_quickack(s, c);
	c->pingpong = false; /* inet_csk_exit_pingpong_mode() */
	c->ato_us = ATO_MIN_US;
}

/* Linux's tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS) for a segment
 * answered as a duplicate (cfg.dup_quickack): tcp_send_dupack() calls it
 * for one that occupies sequence space and starts below RCV.NXT (PAWS,
 * out of the window), tcp_data_queue() for one wholly below it ("A
 * retransmit ... Force an immediate ack"). A late original after its
 * needless retransmission is such a segment: the ACKs after it go one per
 * segment while the sender undoes its reduction
 * (tests/pkt/linux/quickack-after-duplicate.pkt). */
static void dup_quickack(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!s->cfg.dup_quickack || !s->cfg.delack_linux || !g->seglen ||
	    (g->h.flags & (TH_SYN | TH_RST)) || !seq_lt(g->h.seq, c->rcv_nxt))
		return;
	enter_quickack_mode(s, c);
}

/* Linux's tcp_data_queue(), "Out of window. F.e. zero window probe.": data
 * that tcp_sequence() let through (the receive queue empty) but that
 * starts at the window's right edge, or at RCV.NXT in a zero window (Linux
 * counts those in TCPZeroWindowDrop), goes to out_of_window:
 * tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS) and an ACK at once; the
 * segment is dropped, a FIN on it too. The segments after it are ACKed at
 * once, not by the delayed-ACK timer
 * (tests/pkt/linux/quickack-after-data-at-window-edge.pkt). */
static void edge_drop(gt_stack *s, struct tcp_conn *c)
{
	s->st.TcpOverWindowDrop++;
	if (s->cfg.delack_linux && s->cfg.quickack_max_segs)
		enter_quickack_mode(s, c);
	tcp_ack_due(s, c);
}

/* Linux's tcp_event_data_recv() and __tcp_ack_snd_check() with
 * tcp_send_delayed_ack(), for in-order data (cfg.delack_linux). */
static void delack_linux(gt_stack *s, struct tcp_conn *c, uint32_t full)
{
	uint32_t now_ms = (uint32_t)(s->now_us / 1000);
	if (!c->ato_us) {
		/* The first data: quick-ACK mode, the shortest timeout. */
		incr_quickack(s, c);
		c->ato_us = ATO_MIN_US;
	} else {
		uint32_t m = tcp_data_rcv_age_us(s, c);
		if (m <= ATO_MIN_US / 2) {
			c->ato_us = c->ato_us / 2 + ATO_MIN_US / 2;
		} else if (m < c->ato_us) {
			c->ato_us = c->ato_us / 2 + m;
			if (c->ato_us > c->rto_us)
				c->ato_us = c->rto_us;
		} else if (m > c->rto_us) {
			incr_quickack(s, c); /* the sender was idle: ACK at once again */
		}
	}
	c->last_data_rcv_ms = now_ms | 1;
	c->quickack_init = true;
	/* __tcp_ack_snd_check(): more than one segment unACKed is ACKed at
	 * once only if the right edge can move as far as the data came in
	 * (__tcp_select_window(sk) >= tp->rcv_wnd), or unread data is under
	 * SO_RCVLOWAT (1: none is unread). With a buffer whose window cannot
	 * move, the delayed-ACK timer (or a read) sends it. */
	bool more = c->rcv_unacked > full;
	if (more && s->cfg.rcv_wnd_linux && c->rcv.len >= sock_rcv_lowat(s, c->owner)) {
		/* That question is __tcp_select_window(), which ends quick-ACK
		 * mode when the free space is under half the full space: asked
		 * before tcp_in_quickack_mode(), it leaves a first segment that
		 * takes half the buffer to the timer (cfg.squeeze_ends_quickack;
		 * Linux 6.18.44, tests/pkt/linux/
		 * quickack-ended-by-squeezed-buffer.pkt). */
		if (s->cfg.squeeze_ends_quickack && tcp_autotune_lx_squeezed(s, c))
			c->quickack = 0;
		if (!tcp_lx_window_moves(s, c))
			more = false;
	}
	if (more || (c->quickack && !c->pingpong)) {
		tcp_ack_due(s, c); /* in a batch, at its end (ack_defer_batch) */
		return;
	}
	uint32_t ato = c->ato_us;
	if (ato > ATO_MIN_US) {
		/* A slow peer: at most 200 ms when interactive (or pushed,
		 * which every short segment here is), else 500 ms, and at
		 * most the RTT. */
		uint32_t max_ato = DELACK_MAX_US;
		if (c->srtt_us) {
			uint32_t rtt = c->srtt_us > ATO_MIN_US ? c->srtt_us : ATO_MIN_US;
			if (rtt < max_ato)
				max_ato = rtt;
		}
		if (ato > max_ato)
			ato = max_ato;
	}
	if (ato > DELACK_MAX_US)
		ato = DELACK_MAX_US;
	/* tcp_send_delayed_ack(): sk_reset_timer(jiffies + ato), on the
	 * timer wheel (tcp_timer_at(): level 0, the tick after). */
	uint64_t at = tcp_timer_at(s, ato);
	if (c->delack_at != TCP_TIMER_NONE) {
		/* The timer is not pushed back; due within a quarter of the
		 * timeout, the ACK goes now, batch or not (tcp_send_delayed_ack()
		 * sends it itself). */
		if (delack_due_within(s, c, ato / 4)) {
			c->ack_now = true;
			return;
		}
		if (at > c->delack_at)
			at = c->delack_at;
	}
	if (at != c->delack_at) {
		c->delack_at = at;
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_DELACK, at - s->now_us, 0, NULL);
		tcp_timers_update(s, c);
	}
}

/* seen_before: the peer's segment size as measured before this segment
 * (icsk_ack.rcv_mss when tcp_measure_rcv_mss() was called; 0: none). */
static void schedule_ack(gt_stack *s, struct tcp_conn *c, uint32_t len, uint8_t flags, uint32_t seen_before)
{
	/* RFC 9293 3.8.6.3 / RFC 1122 4.2.3.2: ACK at least every second
	 * full-sized segment, else within the delayed-ACK time. */
	uint32_t full = rcv_full_seg(c);
	c->unacked_segs++;
	c->rcv_unacked += len;
	if (s->cfg.delack_linux) {
		/* tcp_measure_rcv_mss(): a segment short of the peer's size
		 * is pushed. */
		uint32_t seen = c->ack_rcv_mss ? c->ack_rcv_mss : full;
		if (len < seen) {
			c->ack_pushed2 = c->ack_pushed;
			c->ack_pushed = true;
		}
		/* Its first branch (len >= icsk_ack.rcv_mss as it stood):
		 * since Linux 6.6 a full-sized segment with PSH is pushed too
		 * ("likely the end of an application write"), ICSK_ACK_PUSHED
		 * alone; tcp_cleanup_rbuf() then ACKs a read that empties the
		 * queue (tcp_read_ack_check()). A GSO packet is measured by
		 * its gso_size (cfg.ack_pushed_full_psh; Linux 6.18.44,
		 * tests/pkt/linux/ack-every-segment-*.pkt). */
		uint32_t mlen = s->rx_gso ? s->rx_gso : len;
		if (s->cfg.ack_pushed_full_psh && (flags & TH_PSH) && mlen >= seen_before)
			c->ack_pushed = true;
		delack_linux(s, c, full);
		return;
	}
	c->last_data_rcv_ms = (uint32_t)(s->now_us / 1000) | 1;
	if (!c->quickack_init) {
		/* Linux: the first data opens quick-ACK mode for about a
		 * window's worth of segments (half the window / MSS). */
		uint32_t q = (tcp_rcvbuf(c) / 2) / (c->rcv_mss ? c->rcv_mss : 1);
		if (q < 2)
			q = 2;
		c->quickack = (uint8_t)(q < s->cfg.quickack_max_segs ? q : s->cfg.quickack_max_segs);
		c->quickack_init = true;
	}
	if (c->rcv_unacked > full || (c->quickack && !c->pingpong) ||
	    (s->cfg.ack_every_second_seg && c->unacked_segs >= 2)) {
		tcp_ack_due(s, c);
		return;
	}
	if (c->delack_at == TCP_TIMER_NONE) {
		c->delack_at = tcp_timer_at(s, s->cfg.delack_us);
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_DELACK, s->cfg.delack_us, 0, NULL);
		tcp_timers_update(s, c);
	}
}

/* Linux's __tcp_ack_snd_check(), its out-of-order branch (SACK compression,
 * cfg.comp_sack_nr): true when the duplicate ACK this segment asks for is
 * held. The first TCP_FASTRETRANS_THRESH (3) duplicate ACKs at one RCV.NXT
 * go at once, for a sender that still counts three; after them each ACK
 * is held, and the compressed-ACK timer, min(tcp_comp_sack_delay_ns,
 * RTT / 20) with the RTT the lesser of the receiver's estimate and SRTT
 * (0 with no receiver estimate, as Linux: the timer then fires at once),
 * sends one ACK for all (tcp_compressed_ack_kick()); any ACK sent first
 * ends the hold (tcp_event_ack_sent()), and with comp_sack_nr held the
 * next goes at once. The timer's range (tcp_comp_sack_slack_ns, 100 us)
 * is not modelled: it fires at its start. */
static bool sack_compress(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.comp_sack_nr || !c->sack_ok || c->compressed_ack >= s->cfg.comp_sack_nr)
		return false;
	/* Linux restarts dup_ack_counter when RCV.NXT has moved
	 * (compressed_ack_rcv_nxt); here RCV.NXT's moves reset it. */
	if (c->dup_ack_counter < 3) {
		c->dup_ack_counter++;
		return false;
	}
	if (c->compressed_ack++)
		return true; /* the timer runs */
	uint32_t rtt = c->rcv_rtt_us;
	if (c->srtt_us && c->srtt_us < rtt)
		rtt = c->srtt_us;
	uint32_t delay = rtt / 20 < s->cfg.comp_sack_delay_us ? rtt / 20 : s->cfg.comp_sack_delay_us;
	/* The deadline is the delayed ACK's, if that comes first: either
	 * sends the one ACK. */
	if (s->now_us + delay < c->delack_at) {
		c->delack_at = s->now_us + delay;
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_DELACK, delay, 0, NULL);
		tcp_timers_update(s, c);
	}
	return true;
}

/* FreeBSD's tcp_reass() (sobomax/freebsd14_vendor 0f7ff34) against its
 * last entry before anything is queued: the highest range held, or a bare
 * FIN's empty entry above it (fin_ooo), whose tqe_flags hold TH_FIN when
 * fin_ooo ends it. In order: "Someone is trying to game us" (a FIN before
 * the entry's end), then, for a segment from within the entry or past it,
 * "Complete overlap" (it ends within the entry: tcps_rcvduppack) and "We
 * have data after the FIN on the last?". Each frees the segment whole, a
 * FIN on it too (*tlenp = 0, nothing joins tqe_flags). seq, len: the
 * segment after tcp_do_segment()'s trims; len or fin. */
enum reass_last_bsd { REASS_BSD_TAKE, REASS_BSD_FIN_EARLY, REASS_BSD_DUP, REASS_BSD_AFTER_FIN };

static enum reass_last_bsd reass_last_bsd(const struct tcp_conn *c, uint32_t seq, uint32_t len,
					  bool fin)
{
	if (!c->nooo && !c->fin_ooo)
		return REASS_BSD_TAKE;
	uint32_t l, r;
	bool last_fin;
	if (c->fin_ooo && (!c->nooo || seq_gt(c->ooo_fin_seq, c->ooo[c->nooo - 1].right))) {
		l = r = c->ooo_fin_seq;
		last_fin = true;
	} else {
		l = c->ooo[c->nooo - 1].left;
		r = c->ooo[c->nooo - 1].right;
		last_fin = c->fin_ooo && c->ooo_fin_seq == r;
	}
	if (fin && seq_lt(seq + len, r))
		return REASS_BSD_FIN_EARLY;
	if (seq_lt(seq, l))
		return REASS_BSD_TAKE; /* the walk from the front: not modelled here */
	if (seq_lt(seq, r) && r - seq >= len)
		return REASS_BSD_DUP;
	return last_fin ? REASS_BSD_AFTER_FIN : REASS_BSD_TAKE;
}

/* FreeBSD 14's tcp_reass(): with anything queued, a segment with FIN
 * whose data ends before the end of the last entry ("Someone is trying
 * to game us": SEQ_LT(th_seq + tlen, last->tqe_start + last->tqe_len))
 * is freed, data and FIN, and nothing counted; tcp_do_segment() sends it
 * there whenever the queue is not empty, at RCV.NXT too, and sets
 * TF_ACKNOW. The last entry is the highest range held, or a bare FIN's
 * empty entry (fin_ooo) when that lies higher. A FIN the window trimmed
 * off ("drop trailing data (and PUSH and FIN)"), or one wholly before
 * RCV.NXT (cleared there), never gets so far. */
static bool fin_before_held_end(const struct tcp_conn *c, uint32_t seq, uint32_t len,
				uint32_t space)
{
	if (seq_lt(seq, c->rcv_nxt) || seq + len - c->rcv_nxt > space)
		return false;
	if (!c->nooo && !c->fin_ooo)
		return false;
	uint32_t end = c->nooo ? c->ooo[c->nooo - 1].right : c->ooo_fin_seq;
	if (c->fin_ooo && seq_gt(c->ooo_fin_seq, end))
		end = c->ooo_fin_seq;
	return seq_lt(seq + len, end);
}

/* RFC 9293 3.10.7.4 seventh: segment text. Returns false if gone. */
static bool text_input(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g, bool *fin_now)
{
	uint32_t seq = g->h.seq, len = g->len;
	const uint8_t *data = g->data;
	bool fin = g->h.flags & TH_FIN;
	*fin_now = false;
	/* Linux's RCV_SHUTDOWN and FreeBSD's TF_CLOSED test data past
	 * RCV.NXT, what is left once duplicates are trimmed. */
	bool new_data = len && seq_gt(seq + len, c->rcv_nxt);
	/* Data past the peer's FIN (cfg.fin_data_resets): RFC 9293
	 * 3.10.7.4 says to ignore segment text in CLOSE_WAIT, CLOSING and
	 * LAST_ACK; Linux ignores only what starts at RCV.NXT or later. */
	bool past_fin = s->cfg.fin_data_resets && c->fin_rcvd && new_data &&
			seq_lt(seq, c->rcv_nxt) &&
			(c->state == GT_TCP_CLOSE_WAIT || c->state == GT_TCP_CLOSING ||
			 c->state == GT_TCP_LAST_ACK);
	if (!past_fin && c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_FIN_WAIT_1 &&
	    c->state != GT_TCP_FIN_WAIT_2 && c->state != GT_TCP_SYN_RECEIVED) {
		return true;
	}
	if (past_fin ||
	    (new_data && c->fin_queued && !c->in_accept_q &&
	     (c->owner < 0 || (s->cfg.shut_rd_data_resets && c->rcv_shut)))) {
		/* RFC 1122 4.2.2.13, RFC 2525 2.17: data for a connection the
		 * application has closed cannot be delivered: reset. */
		s->st.TcpAbortOnData++;
		if (s->cfg.abort_rst_from_segment && (g->h.flags & TH_ACK)) {
			tcp_sign_reply(s, c); /* tcp_respond(); Linux: tcp_v4_send_reset() with sk */
			tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.ack, 0, TH_RST, 0,
				     NULL);
		} else {
			tcp_send_rst_conn(s, c);
		}
		/* tcp_reset(): EPIPE in CLOSE_WAIT */
		bool epipe = past_fin && s->cfg.reset_err_linux && c->state == GT_TCP_CLOSE_WAIT;
		conn_reset(s, c, epipe ? -EPIPE : -ECONNRESET);
		return false;
	}
	/* Trim what we already have (RFC 9293 3.10.7.4: "trimmed"). */
	if (seq_lt(seq, c->rcv_nxt)) {
		uint32_t dup = c->rcv_nxt - seq;
		if (dup >= len) {
			/* Only old data, maybe a FIN: nothing new to store. */
			data += len;
			seq += len;
			len = 0;
		} else {
			data += dup;
			seq += dup;
			len -= dup;
		}
	}
	if (len && g->edge_on && seq_ge(seq, g->edge)) {
		edge_drop(s, c);
		return true;
	}
	if (len)
		tcp_autotune_rtt(s, c, &g->h.opts, len);
	if (s->cfg.buf_autosize_bsd && len && seq == c->rcv_nxt && !c->nooo &&
	    c->state == GT_TCP_ESTABLISHED)
		tcp_autotune_bsd_data(s, c, len); /* FreeBSD's tcp_autorcvbuf(); it asks the cfg bit too */
	uint32_t space = ring_free_space(&c->rcv);
	/* A buffer given up keeps only the window offered, and
	 * tcp_do_segment() trims what passes its right edge ("drop trailing
	 * data (and PUSH and FIN)"); the ring, emptied at each segment, would
	 * take more. So does a buffer lowered under what it holds
	 * (rcv_low): the ring keeps its old size, FreeBSD's sb_hiwat does
	 * not, and tcp_do_segment() trims to rcv_wnd, the edge offered
	 * (sbspace() is negative); Linux takes an skb that starts in the
	 * window whole (tcp_data_queue()), as the ring's room allows. */
	if ((c->rcv_released || (c->rcv_low && !s->cfg.rcv_wnd_linux)) && rcv_wnd(s, c) < space)
		space = rcv_wnd(s, c);
	if (fin && s->cfg.reass_fin_before_end_drops && fin_before_held_end(c, seq, len, space)) {
		s->st.TcpReassFinBeforeEnd++;
		c->ack_now = true; /* tcp_do_segment(): TF_ACKNOW after tcp_reass() */
		return true;
	}
	if (seq == c->rcv_nxt) {
		/* Linux takes it whole with the receive queue empty
		 * (tcp_rcv_ring_take_whole()). */
		if (len > space && s->cfg.rcv_empty_takes_whole && !c->rcv.len &&
		    !c->rcv_released && tcp_rcv_ring_take_whole(s, c, len) == 0)
			space = ring_free_space(&c->rcv);
		if (len > space) {
			len = space;
			fin = false; /* the FIN lies beyond what we keep */
		}
		/* The segment at RCV.NXT finds the queue empty whenever the
		 * ring holds no memory (tcp_ring_release()): it is taken past
		 * the budget, as Linux's tcp_data_queue() does
		 * (sk_forced_mem_schedule() when sk_receive_queue is empty;
		 * FreeBSD's sbappendstream() has no such limit to refuse it).
		 * Refused, two ends whose send rings held the budget dropped
		 * each other's data, whose ACKs alone would free them, until
		 * they gave up (swarm seed 15004323: backoff 13 and still
		 * stuck 604 s after the heal). */
		if (len && tcp_ring_reserve_forced(s, &c->rcv) < 0) {
			/* No memory for it now: as if lost; the peer resends. */
			c->cnt.rcv_nomem++;
			len = 0;
			fin = false;
		}
		if (len && !tcp_rcv_inorder_admit(s, c, len, g->ip_len)) {
			len = 0; /* TCPRcvQDrop, answered already */
			fin = false;
		}
		if (len) {
			uint32_t before = c->rcv.len;
			ring_write_at(&c->rcv, 0, data, len);
			ring_commit(&c->rcv, len);
			c->rcv_nxt += len;
			c->dup_ack_counter = 0; /* RCV.NXT moved (sack_compress()) */
			c->cnt.bytes_received += len;
			uint32_t seen_before = c->ack_rcv_mss; /* before tcp_measure_rcv_mss() */
			bool grew = tcp_rcv_grow_window(s, c, len, g->h.doff_bytes, g->h.flags, g->ip_len);
			bool had_holes = c->nooo > 0;
			if (had_holes && s->cfg.sack_list_bsd && c->sack_ok)
				bsd_sack_inorder(s, c, c->rcv_nxt - len);
			uint32_t joined = tcp_reass_advance(c);
			c->cnt.bytes_received += joined;
			tcp_rcv_count_over(s, c, before);
			/* Linux profile: held skbs the segment covered are
			 * freed even when nothing joined (tcp_ofo_queue()). */
			if (joined || (had_holes && s->cfg.rcv_wnd_linux))
				tcp_rcv_grow_window(s, c, joined, 0, 0, 0);
			/* RFC 5681 4.2: a filled hole is ACKed at once (Linux:
			 * ICSK_ACK_NOW, held to a backlog's end as the others). */
			if (had_holes)
				tcp_ack_due(s, c);
			else
				schedule_ack(s, c, len, g->h.flags, seen_before);
			/* tcp_event_data_recv(): tcp_grow_window()'s "quick |= 1"
			 * comes after tcp_incr_quickack(), so a first segment
			 * that grows the window gets one quick ACK more than
			 * the window's count when that is even (SO_RCVBUF
			 * 6000, 1,460-byte segments: 2 | 1, three quick ACKs
			 * on Linux 6.18.44, tests/pkt/linux/
			 * quickack-at-start-window-grows.pkt). */
			if (grew && s->cfg.rcv_grow_quickack && s->cfg.delack_linux &&
			    s->cfg.quickack_max_segs)
				c->quickack |= 1;
			tcp_conn_mark(s, c);
			if ((s->cfg.close_flush_bsd && c->rcv_shut &&
			     (c->owner < 0 || c->linger_at != TCP_TIMER_NONE)) ||
			    c->rcv_released) {
				/* FreeBSD's tcp_do_segment() and tcp_reass()
				 * after close() (close_flush(); an SO_LINGER
				 * wait holds the descriptor) or shutdown(SHUT_RD)
				 * (sorflush()): SBS_CANTRCVMORE, the data is
				 * ACKed (above) and freed (m_freem()). */
				tcp_rcv_drop_unread(s, c);
			}
		}
		/* tcp_data_queue(): a bare FIN at queue_and_out (the
		 * zero-window branch sends it there, cfg.rcv_zero_wnd_fin)
		 * meets tcp_try_rmem_schedule() as data does; with the memory
		 * held past the buffer it is forced in, never dropped ("&&
		 * skb->len"), and ICSK_ACK_NOMEM | ICSK_ACK_NOW send its ACK at
		 * once (Linux 6.18.44: tests/pkt/linux/
		 * fin-zero-window-established.pkt). The memory held out of
		 * order is tcp_output.c's: the in-order skbs' decide here. */
		if (fin && !len && s->cfg.rcv_zero_wnd_fin && tcp_rcv_bare_fin_nomem(s, c))
			c->ack_now = true;
		if (fin)
			*fin_now = true;
		else if (c->fin_ooo && c->ooo_fin_seq == c->rcv_nxt)
			*fin_now = true;
	} else if (seq_gt(seq, c->rcv_nxt)) {
		bool early_sent = false;
		if (len && tcp_ring_reserve(s, &c->rcv) < 0) {
			c->cnt.rcv_nomem++;
			len = 0;
			fin = false;
		}
		if (len && !tcp_rcv_ofo_admit(s, c, seq, len, g->h.doff_bytes, g->h.flags, g->ip_len)) {
			/* Linux: no receive memory for it, even pruned
			 * (tcp_data_queue_ofo(), TCPOFODrop): dropped, and
			 * no ACK is scheduled for it. */
			s->st.TcpOfoDrop++;
			c->cnt.ooo_dropped++;
			c->cnt.ooo_segs_in++;
			return true;
		}
		/* A bare FIN has a block of its own in Linux's list
		 * (tcp_sack_new_ofo_skb() with its end_seq, one past it),
		 * so it ends the hold as data does. */
		uint8_t rank = 0;
		if (c->compressed_ack && c->sack_ok && len)
			rank = s->cfg.sack_list_linux ? tcp_reass_lx_sack_rank(c, seq, seq + len + fin)
						      : tcp_reass_sack_rank(c, seq, seq + len);
		else if (c->compressed_ack && c->sack_ok && fin && s->cfg.sack_list_linux)
			rank = tcp_reass_lx_sack_rank(c, seq, seq + 1);
		if (rank >= 2) {
			/* Linux's tcp_sack_new_ofo_skb(): a segment for a block
			 * past the two most recent (TCP_SACK_BLOCKS_EXPECTED)
			 * first sends the ACK SACK compression holds, with the
			 * blocks as they were, so that a sender that reads only
			 * the first blocks misses none (tcp_sack_compress_send_ack()).
			 * That ACK clears the one this segment would ask for
			 * (tcp_event_ack_sent() unschedules it): the segment's
			 * own block goes with the next ACK, whenever that is
			 * (Linux 6.18 under pktrun --kernel:
			 * sack-compress-third-block-sends-held.pkt). */
			c->compressed_ack--;
			tcp_send_ack(s, c);
			early_sent = true;
		}
		/* FreeBSD's tcp_reass() (cfg.reass_fin_before_end_drops):
		 * data after the FIN the last entry holds is freed whole and
		 * ACKed at once; a repeat of the last entry is dropped as a
		 * duplicate, and a FIN on it with it (the FIN was held and
		 * taken when the hole filled:
		 * tests/pkt/freebsd/reass-fin-on-repeat-of-last-held-lost.pkt,
		 * reass-data-after-held-fin-dropped.pkt). */
		if (s->cfg.reass_fin_before_end_drops && (len || fin)) {
			enum reass_last_bsd v = reass_last_bsd(c, seq, len, fin);
			if (v == REASS_BSD_AFTER_FIN) {
				s->st.TcpReassLastDrop++;
				c->ack_now = true;
				return true;
			}
			if (v == REASS_BSD_DUP)
				fin = false;
		}
		uint32_t kept = 0;
		if (len) {
			uint32_t pruned = 0;
			int held = tcp_reass_find(c, seq);
			bool dup = held >= 0 && seq_ge(c->ooo[held].right, seq + len);
			int r = tcp_reass_insert(c, seq, data, len, tcp_reass_limit(s, c),
						 s->cfg.reass_full_drops_new, &pruned);
			if (r < 0 && s->cfg.reass_full_drops_new)
				fin = false; /* tcp_reass(): "queue limit reached,
					      * segment dropped", its FIN with it */
			if (r < 0)
				pruned++;
			else
				s->st.TcpOfoQueue++;
			if (r >= 0)
				tcp_lx_stats_ooo_queued(s, c); /* beside TCPOFOQUEUE */
			kept = r > 0 ? (uint32_t)r : 0;
			s->st.TcpOfoDrop += pruned;
			c->cnt.ooo_dropped += pruned;
			c->cnt.ooo_segs_in++;
			tcp_rcv_ofo_queued(s, c, seq, len, g->ip_len, r > 0 && !dup);
			tcp_autotune_ofo(s, c); /* Linux 6.18's tcp_data_queue_ofo() */
		}
		/* tcp_reass(): with no queue (reass.maxqueuelen 0) an
		 * out-of-order FIN is refused with its segment, as every new
		 * entry is; a bare FIN that does not touch the last entry is
		 * a new entry too, refused while the queue is at its limit
		 * (t_segqlen >= min(sb_hiwat / t_maxseg + 1, maxqueuelen)). */
		if (fin && !len && s->cfg.reass_full_drops_new && c->nooo &&
		    seq_gt(seq, c->ooo[c->nooo - 1].right) && c->nooo >= tcp_reass_limit(s, c))
			fin = false;
		if (fin && seq_le(seq + len - c->rcv_nxt, space) && !s->cfg.reass_none) {
			c->fin_ooo = true;
			c->ooo_fin_seq = seq + len;
		}
		/* Linux's tcp_data_queue_ofo() ends in tcp_sack_new_ofo_skb(sk,
		 * seq, end_seq) for every skb it holds or finds held already
		 * (a duplicate too), the FIN counted in end_seq, a bare FIN as
		 * well (tests/pkt/linux/sack-list-*.pkt,
		 * sack-block-bare-fin-held.pkt). */
		/* FreeBSD's tcp_do_segment(): a data segment tcp_reass()
		 * kept goes to tcp_update_dsack_list() with its own range; a
		 * bare FIN (save_tlen 0) or a segment dropped (tlen 0) leaves
		 * the list as it is (tests/pkt/freebsd/sack-list-*.pkt). */
		if (s->cfg.sack_list_bsd && c->sack_ok && kept)
			tcp_reass_bsd_sack_add(c, seq, seq + kept);
		if (s->cfg.sack_list_linux && c->sack_ok) {
			uint32_t end = seq + kept;
			if (fin && kept == len && c->fin_ooo && c->ooo_fin_seq == end)
				end++;
			if (end != seq)
				tcp_reass_lx_sack_add(c, seq, end);
		}
		/* RFC 5681 4.2: out-of-order data, a duplicate ACK at once.
		 * Not for a bare ACK beyond a hole (Linux's tcp_data_queue()
		 * never sees one): the peer's ACK answered by ours, answered
		 * by the peer's... is an ACK war between two such stacks.
		 * In a batch, Linux's __tcp_ack_snd_check() holds it with the
		 * regular ACKs when one is due anyway (more than one full
		 * segment of in-order data unACKed, or quick-ACK mode): only
		 * its out-of-order branch sends at once (send_now), unless
		 * SACK compression holds it (sack_compress()). */
		uint32_t full = rcv_full_seg(c);
		if ((g->len || (g->h.flags & TH_FIN)) && !early_sent) {
			bool due = c->rcv_unacked > full || (c->quickack && !c->pingpong);
			if (s->in_batch && due)
				tcp_ack_due(s, c);
			else if (due || !sack_compress(s, c))
				c->ack_now = true;
		}
	} else if (fin && len == 0 && seq == c->rcv_nxt) {
		*fin_now = true;
	}
	return true;
}

/* Data held out of order past the FIN just taken: the peer's stream ends
 * at the FIN (RFC 9293 3.10.7.4 eighth: nothing follows it), so what lies
 * beyond can never be delivered. Linux's tcp_fin(): "It _is_ possible,
 * that we have something out-of-order _after_ FIN. Probably, we should
 * reset in this case. For now drop them." -- skb_rbtree_purge() of the
 * out-of-order queue and tcp_sack_reset(), counted nowhere
 * (TcpOfoPurgedAtFin here). Kept, RCV.NXT would now sit at or past the
 * start of a range still held (swarm workload held-past-fin-linux).
 * FreeBSD never gets here with data held: tcp_reass() drops a FIN that
 * ends before the last entry (fin_before_held_end()). */
static void purge_past_fin(gt_stack *s, struct tcp_conn *c)
{
	if (!c->nooo)
		return;
	s->st.TcpOfoPurgedAtFin++;
	c->cnt.ooo_dropped += c->nooo;
	tcp_reass_prune(c, c->rcv_nxt - 1);
	/* The skbs' memory goes with them (sk_mem_reclaim()). */
	tcp_rcv_ofo_queued(s, c, c->rcv_nxt, 0, 0, false);
}

/* RFC 9293 3.10.7.4 eighth: the FIN. Returns false if gone. */
static bool fin_input(gt_stack *s, struct tcp_conn *c)
{
	bool owed = c->ack_now; /* the segment's data already asked for an ACK */
	/* A FIN held out of order comes in when its hole fills: Linux's
	 * tcp_data_queue() sets ICSK_ACK_NOW once tcp_ofo_queue() (which
	 * calls tcp_fin()) has emptied the queue, so the ACK goes at once,
	 * pingpong or not (tests/pkt/linux/sack-block-counts-held-fin.pkt). */
	bool held = c->fin_ooo;
	c->rcv_nxt++;
	c->dup_ack_counter = 0; /* RCV.NXT moved (sack_compress()) */
	c->fin_rcvd = true;
	c->fin_ooo = false;
	c->ack_now = true;
	if (s->cfg.fin_clears_dsack)
		c->dsack_pending = false;
	/* In FIN_WAIT_1 and FIN_WAIT_2, Linux's tcp_fin() sends its ACK
	 * (tcp_send_ack()) before it purges the queue and resets the SACK
	 * list: the ACK still reports what is held past the FIN
	 * (tests/pkt/linux/fin-held-past-fin-wait-2.pkt). */
	bool ack_first = s->cfg.sack_list_linux && c->nooo &&
			 (c->state == GT_TCP_FIN_WAIT_1 || c->state == GT_TCP_FIN_WAIT_2);
	if (ack_first) {
		tcp_reass_lx_fin_ack(s, c);
		c->ack_now = false;
	}
	tcp_reass_lx_sack_reset(c); /* tcp_fin(): tcp_sack_reset() */
	purge_past_fin(s, c);
	tcp_conn_mark(s, c);
	switch (c->state) {
	case GT_TCP_SYN_RECEIVED:
	case GT_TCP_ESTABLISHED:
		tcp_set_state(s, c, GT_TCP_CLOSE_WAIT, "FIN received");
		/* Linux's tcp_fin() enters pingpong mode, which ends quick-ACK
		 * mode: an ACK the data asked for only because of quick-ACK
		 * waits with the FIN's; more than one of the peer's segments
		 * unACKed, the FIN counted (rcv_nxt - rcv_wup > rcv_mss in
		 * __tcp_ack_snd_check()), still goes at once. With no data
		 * ever received, the delayed-ACK timeout (icsk_ack.ato) is
		 * still 0: the FIN's ACK goes at the next tick (Linux 6.18
		 * under pktrun --kernel: 1.5-7 ms at HZ=250), here at once. */
		uint32_t seg = c->ack_rcv_mss ? c->ack_rcv_mss : rcv_full_seg(c);
		/* That "at once" is __tcp_ack_snd_check()'s, window condition
		 * included: with the data unread the right edge cannot move as
		 * far as the data came in (__tcp_select_window() < rcv_wnd), so
		 * the ACK waits for the timer or a read (Linux 6.18.44,
		 * tests/pkt/linux/fin-with-data-ack-waits-for-window.pkt). */
		bool more = c->rcv_unacked + 1 > seg;
		if (more && s->cfg.rcv_wnd_linux && c->rcv.len >= sock_rcv_lowat(s, c->owner) &&
		    !tcp_lx_window_moves(s, c))
			more = false;
		if (s->cfg.fin_delack && owed && c->quickack && !c->pingpong && !more && !c->nooo)
			owed = false;
		if (s->cfg.fin_delack && (!c->quickack_init || held))
			owed = true;
		if (s->cfg.fin_delack && !owed) {
			c->ack_now = false;
			c->pingpong = true;
			if (c->delack_at == TCP_TIMER_NONE) {
				c->delack_at = tcp_timer_at(s, s->cfg.delack_us);
				tcp_timers_update(s, c);
			}
		}
		break;
	case GT_TCP_FIN_WAIT_1:
		if (tcp_fin_acked(c)) {
			tcp_enter_time_wait(s, c, !ack_first);
			return false;
		}
		tcp_set_state(s, c, GT_TCP_CLOSING, "FIN received in FIN_WAIT_1");
		break;
	case GT_TCP_FIN_WAIT_2:
		tcp_enter_time_wait(s, c, !ack_first);
		return false;
	default:
		break;
	}
	return true;
}

/* RFC 2883: remember the first part of a segment that duplicates data we
 * hold, below RCV.NXT or in an out-of-order range, to report it. */
static void note_duplicate(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	/* No FIN, nothing held out of order, nothing below RCV.NXT: no
	 * duplicate to report (each rule below would find none). A
	 * receiver's every in-order segment, answered before the rules. */
	if (!(g->h.flags & TH_FIN) && !c->nooo && seq_ge(g->h.seq, c->rcv_nxt))
		return;
	/* A Linux timewait sock's ACK (tcp_v4_timewait_ack()) carries no
	 * SACK blocks. */
	uint32_t l = g->h.seq, r = g->h.seq + g->len;
	/* Linux holds an out-of-order FIN in its skb (cfg.sack_list_linux):
	 * a segment that brings the held FIN again duplicates it too, and
	 * tcp_data_queue_ofo() reports it with the FIN, tcp_dsack_set(sk,
	 * seq, end_seq) (tests/pkt/linux/dsack-held-fin.pkt). */
	bool fin_dup = s->cfg.sack_list_linux && (g->h.flags & TH_FIN) && c->fin_ooo &&
		       r == c->ooo_fin_seq;
	/* A FIN (with its data, if any) wholly below RCV.NXT: the peer's
	 * FIN again after we took it, in CLOSE_WAIT or LAST_ACK (our ACK
	 * lost). Linux's tcp_rcv_state_process() passes it to
	 * tcp_data_queue(), whose "A retransmit" branch reports [seq,
	 * end_seq), the FIN's byte counted, with tcp_dsack_set()
	 * (tests/pkt/linux/dsack-fin-again-close-wait-last-ack.pkt). */
	bool fin_below = s->cfg.sack_fin_linux && (g->h.flags & TH_FIN) &&
			 seq_le(r + 1, c->rcv_nxt);
	if (!c->sack_ok || !s->cfg.opt_dsack || (!g->len && !fin_dup && !fin_below) ||
	    (g->h.flags & (TH_SYN | TH_RST)) || tcp_fin2_tw(s, c))
		return;
	if (fin_below) {
		dsack_mark(c, l, r + 1);
		return;
	}
	if (!g->len) {
		dsack_mark(c, r, r + 1);
		return;
	}
	if (seq_lt(l, c->rcv_nxt)) {
		dsack_mark(c, l, seq_min(r, c->rcv_nxt));
		/* FreeBSD's tcp_do_segment(), trimming duplicate data: "ACK
		 * now, as the next in-sequence segment will clear the DSACK
		 * block again". */
		if (s->cfg.dsack_ack_now)
			c->ack_now = true;
		if (s->cfg.sack_list_bsd)
			tcp_reass_bsd_sack_dup_below(c);
		return;
	}
	/* The first range that ends above l (binary search: thousands of
	 * ranges with a large window). */
	uint16_t i = c->nooo ? tcp_range_search(c->ooo, c->nooo, l) : 0;
	if (i < c->nooo && c->ooo[i].right == l)
		i++;
	if (i < c->nooo && seq_gt(r, c->ooo[i].left)) {
		dsack_mark(c, seq_max(l, c->ooo[i].left), seq_min(r, c->ooo[i].right));
		if (fin_dup && c->dsack.right == r)
			c->dsack.right++;
	}
}

/* A bare ACK left of RCV.NXT, which FreeBSD's tcp_do_segment() trims to
 * nothing and reads on (trim_by_data: the FreeBSD profile). */
static bool old_bare_ack_bsd(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g)
{
	return s->cfg.trim_by_data && !g->seglen && (g->h.flags & TH_ACK) &&
	       !(g->h.flags & (TH_SYN | TH_RST)) && seq_lt(g->h.seq, c->rcv_nxt);
}

/* An unacceptable segment whose ACK is processed all the same. */
static bool ack_still_taken(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g)
{
	/* BSD (TCP/IP Illustrated vol. 2, p. 960) and Linux take the ACK of
	 * an old duplicate: after a simultaneous close whose ACKs were lost,
	 * the FINs each side resends (ack_resends_fin) carry the only
	 * acknowledgment of the other's FIN. */
	if (g->seglen && seq_le(g->h.seq + g->seglen, c->rcv_nxt))
		return true;
	/* FreeBSD takes that of an old bare ACK too: tcp_do_segment() trims
	 * a segment left of RCV.NXT to nothing, "Send an ACK to resynchronize
	 * and drop any data. But keep on processing for RST or ACK"
	 * (TF_ACKNOW); an ACK below RCV.NXT that acknowledges our FIN ends
	 * LAST_ACK silently (tcp-testsuite snippets/closed-via-last-ack).
	 * Linux's tcp_sequence() drops it (end_seq before rcv_wup). */
	if (old_bare_ack_bsd(s, c, g))
		return true;
	/* RFC 9293 3.10.7.4: "If the RCV.WND is zero, no segments will be
	 * acceptable, but special allowance should be made to accept valid
	 * ACKs". A peer whose SND.NXT ran ahead of a window that then shut
	 * sends its ACKs from there: dropped, they starve both sides. The
	 * segment must start where the peer may have sent: at RCV.NXT, at
	 * most a receive buffer beyond (our window never shrinks). BSD makes
	 * no such allowance (cfg.zero_wnd_drops_ack) beyond the probe at
	 * RCV.NXT: its peers' ACKs come from SND.NXT, pulled back to SND.UNA
	 * once they persist (tcp_output()), and one taken from beyond
	 * RCV.NXT set SND.WL1 above every later ACK, which then never opened
	 * the window: both sides probed each other's closed windows for
	 * 4,775 s (swarm seed 21008884). */
	if (s->cfg.zero_wnd_drops_ack)
		return rcv_wnd(s, c) == 0 && g->h.seq == c->rcv_nxt;
	return rcv_wnd(s, c) == 0 && seq_ge(g->h.seq, c->rcv_nxt) &&
	       g->h.seq - c->rcv_nxt <= tcp_rcvbuf(c);
}

/* Last.ACK.sent (RFC 7323 4.3): the RCV.NXT our last ACK carried, RCV.NXT
 * less what came in order since (rcv_unacked, reset by every segment sent
 * with ACK: Linux's rcv_wup, FreeBSD's last_ack_sent, which tcp_output()
 * sets to rcv_nxt with each segment it sends and tcp_respond()'s challenge
 * ACKs set too). A filled hole and a FIN are not counted: both are ACKed
 * at once, FreeBSD's per segment, Linux's per skb, so the next segment is
 * judged as if that ACK had gone. Without ts_recent_last_ack, RCV.NXT. */
static uint32_t last_ack_sent(const gt_stack *s, const struct tcp_conn *c)
{
	return c->rcv_nxt - (s->cfg.ts_recent_last_ack ? c->rcv_unacked : 0);
}

static void ts_recent_take(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	ts_recent_set(s, c, g->h.opts.ts_val);
}

/* FreeBSD (cfg.ts_recent_bsd_trim): a segment out of the window whose
 * tcp_do_segment() trims leave an empty segment rather than drop it
 * reaches the ts_recent test, SEG.SEQ <= last_ack_sent <= SEG.SEQ + tlen
 * (+1 for SYN or FIN), which runs before the ACK is looked at: a
 * duplicate (todrop: all its data old, TH_FIN cleared) is empty at its
 * data's end, and data at RCV.NXT in a zero window ("can only take
 * segments at window edge") is empty at RCV.NXT. So a duplicate is taken
 * when it ends at last_ack_sent: with an ACK held, one ending at RCV.NXT
 * is not, one ending at what we last ACKed is
 * (tests/pkt/freebsd/ts-recent-duplicate-ending-at-last-ack-sent.pkt).
 * Past the right edge, dropafterack comes first. PAWS has run: a TSval
 * older than TS.Recent got here only if TS.Recent is 0, or was stale and
 * paws_reject() made it 0. */
static void trimmed_ts_bsd(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!s->cfg.ts_recent_bsd_trim || !c->ts_ok || !g->h.opts.has_ts)
		return;
	uint32_t end = g->h.seq + g->len, at;
	if (seq_lt(g->h.seq, c->rcv_nxt) && seq_le(end, c->rcv_nxt))
		at = end;
	else if (rcv_wnd(s, c) == 0 && seq_le(g->h.seq, c->rcv_nxt) && seq_ge(end, c->rcv_nxt))
		at = c->rcv_nxt;
	else
		return;
	if (at == last_ack_sent(s, c) && ts_may_replace(s, c, g))
		ts_recent_take(s, c, g);
}

/* A duplicate that ends at RCV.NXT, a retransmission of what we have:
 * its timestamp becomes TS.Recent before our ACK echoes it (RFC 7323 4.3:
 * SEG.SEQ <= Last.ACK.sent). Linux takes such a segment (tcp_sequence():
 * its end is not before rcv_wup) and tcp_ack() calls
 * tcp_replace_ts_recent() (FreeBSD's rule, which takes it only when
 * RCV.NXT is last_ack_sent, is trimmed_ts_bsd()). Echoing the older one instead, the ACK timed the sender's RTT
 * from the first transmission: a 46 s sample after RTOs, an RTO of 120 s
 * (swarm seed 23030307). Only with an ACK the sender could have sent
 * (within SND.UNA..SND.MAX), as tcp_ack() first checks. */
static void dup_at_edge_ts(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (s->cfg.ts_recent_bsd_trim)
		return; /* trimmed_ts_bsd() */
	if (!c->ts_ok || !g->h.opts.has_ts || !g->seglen || !(g->h.flags & TH_ACK) ||
	    g->h.seq + g->seglen != c->rcv_nxt || seq_lt(g->h.ack, c->snd_una) ||
	    seq_gt(g->h.ack, c->snd_max) || (int32_t)(g->h.opts.ts_val - c->ts_recent) < 0)
		return;
	ts_recent_take(s, c, g);
}

/* A duplicate that ends at RCV.NXT, with an ACK: its ACK (and D-SACK
 * block) goes with what the ACK it carries lets out, not before it. Linux
 * takes the segment (tcp_sequence(): end_seq not before rcv_wup), runs
 * tcp_ack(), then tcp_data_queue() sets the D-SACK and schedules the ACK,
 * and tcp_data_snd_check() sends data that carries both; FreeBSD's
 * tcp_do_segment() trims the duplicate, sets TF_ACKNOW, goes on with the
 * ACK and its tcp_output() does the same. Before, the ACK went first and
 * the data after it without the block
 * (tests/pkt/linux/dsack-rides-data-shortens-burst.pkt). */
static bool dup_ack_rides_output(const struct tcp_conn *c, const struct tcp_seg *g)
{
	return g->seglen && (g->h.flags & TH_ACK) && g->h.seq + g->seglen == c->rcv_nxt;
}

/* RFC 5961 3.2: an RST resets only at RCV.NXT. Linux takes two more
 * (cfg.rst_linux_edges, tcp_validate_incoming()): RCV.NXT - 1 once the
 * peer's FIN is in (tcp_reset_check()), since a peer may send its RST
 * with the SEQ of the FIN it sent; and the right edge of the highest SACK
 * block it would send, the SND.NXT of a peer that aborts while data of its
 * is held out of order. */
static bool rst_at_fin_edge(const gt_stack *s, const struct tcp_conn *c, uint32_t seq)
{
	return s->cfg.rst_linux_edges && seq == c->rcv_nxt - 1 &&
	       (c->state == GT_TCP_CLOSE_WAIT || c->state == GT_TCP_LAST_ACK || c->state == GT_TCP_CLOSING);
}

static bool rst_seq_matches(const gt_stack *s, const struct tcp_conn *c, uint32_t seq)
{
	if (seq == c->rcv_nxt || rst_at_fin_edge(s, c, seq))
		return true;
	if (!s->cfg.rst_linux_edges || !c->sack_ok)
		return false;
	struct tcp_sack_block b[TCP_MAX_SACK];
	uint8_t n = s->cfg.sack_list_linux ? tcp_reass_lx_sack_get(c, b, TCP_MAX_SACK)
					   : tcp_reass_sack_blocks(c, b, TCP_MAX_SACK);
	if (!n)
		return false;
	uint32_t edge = b[0].right;
	for (uint8_t i = 1; i < n; i++)
		edge = seq_max(edge, b[i].right);
	/* The blocks sent count a held FIN (cfg.sack_fin_linux): a peer that
	 * aborts after its FIN sends its RST from past it
	 * (sack-block-counts-held-fin-rst.pkt). */
	if (s->cfg.sack_fin_linux && !s->cfg.sack_list_linux && c->fin_ooo && edge == c->ooo_fin_seq)
		edge++;
	return seq == edge;
}

/* FreeBSD's tcp_do_segment() once the application has closed the socket
 * (SS_NOFDREF in the tcp_input.c read; later FreeBSD tests a TCB flag,
 * TF_CLOSED, not read here): a segment in a state past
 * CLOSE_WAIT that still carries data once what is already received is
 * trimmed from its left ends the connection (tcp_close(),
 * tcps_rcvafterclose) and is answered by tcp_dropwithreset(): RST at
 * SEG.ACK, or without an ACK, RST-ACK at SEG.SEQ + SEG.LEN. The test comes
 * after PAWS and before the window's right edge is applied, so a byte
 * beyond the window, a zero-window probe's included, resets too. RST and
 * SYN segments take their own paths. True: the connection is gone. */
static bool rcv_after_close_bsd(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (c->owner >= 0 || c->in_accept_q || !c->fin_queued || !g->len ||
	    (g->h.flags & (TH_RST | TH_SYN)))
		return false;
	if (c->state != GT_TCP_FIN_WAIT_1 && c->state != GT_TCP_FIN_WAIT_2 &&
	    c->state != GT_TCP_CLOSING && c->state != GT_TCP_LAST_ACK)
		return false;
	uint32_t end = g->h.seq + g->len;
	if (!seq_gt(end, c->rcv_nxt))
		return false; /* all of it already received: trimmed to nothing */
	s->st.TcpAbortOnData++;
	/* Unsigned, whatever TF_SIGNATURE said: tcp_close() has returned NULL
	 * for the closed socket, and tcp_respond() with no tcpcb adds no
	 * options (incl_opts false: no TOF_SIGNATURE, no timestamp), in 14
	 * and in main (2bae602) alike (md5-close-data-rst-unsigned.pkt). */
	if (g->h.flags & TH_ACK)
		tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, g->h.ack, 0, TH_RST, 0,
			     NULL);
	else
		tcp_send_raw(s, g->dst, g->h.dport, g->src, g->h.sport, 0,
			     end + ((g->h.flags & TH_FIN) ? 1 : 0), TH_RST | TH_ACK, 0, NULL);
	conn_reset(s, c, -ECONNRESET);
	return true;
}

/* FreeBSD's syncache_socket(): the child's t_maxseg is tcp_mss(tp,
 * sc->sc_peer_mss), which reads the host cache at the handshake's ACK
 * (tcp_mss_update(): min(host cache MTU, link MTU) - min_protoh, bounded
 * by the offer, at least 64; tcp_mss(): cut to a smaller send buffer).
 * An MTU learnt between the SYN and the ACK (icmp6_mtudisc_update() for
 * a Packet Too Big quoting the SYN-ACK) lowers it; an entry purged in
 * between (net.inet.tcp.hostcache.purgenow) raises it past the MSS the
 * SYN-ACK offered, which the syncache does not keep (tests/pkt/freebsd/
 * hostcache-purged-between-syn-and-ack-child-raises-mss.pkt). The buffers
 * keep the rounding of the SYN's MSS (bsd_tcp_mss()), where tcp_mss()
 * rounds the listener's sizes to the ACK's. */
static void syncache_socket_mss(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.pmtu_cache_bsd || !s->cfg.maxseg_bsd)
		return;
	uint32_t m = ip_mss_for(s, c->faddr);
	m = tcp_tun_mss(s, c, m);
	if (c->peer_mss < m)
		m = c->peer_mss;
	if (s->cfg.buf_round_to_mss && c->snd.cap < m)
		m = c->snd.cap;
	if (m < 64)
		m = 64;
	uint32_t opts = tcp_seg_opt_bytes(c);
	if (m - opts != tcp_mss_path(c))
		tcp_mss_set_path(s, c, (uint16_t)(m - opts));
}

/* FreeBSD's syncache_expand() (sobomax/freebsd14_vendor 0f7ff34), the
 * ACK that would complete a passive open, its entry found. Before the
 * entry leaves the bucket (TAILQ_REMOVE) a failed check drops the segment
 * silently and keeps the entry: the MD5 signature, then PAWS ("SEG.TSval
 * < TS.Recent, segment dropped": TSTMP_LT against the SYN's TSval, no ACK
 * even for data), then a missing timestamp (ts_required, checked by the
 * caller first). After it, SEG.ACK must be ISS + 1 and SEG.SEQ in (IRS,
 * IRS + sc_wnd]; else "failed:" frees the entry, and tcp_input(), given
 * 0, answers from the listener (dropwithreset, BANDLIM_RST_OPENPORT):
 * <SEQ=SEG.ACK><CTL=RST>. A later proper ACK finds no entry. (The
 * rscheff/freebsd-src tree at 1343572 has the older order: an unexpected
 * timestamp frees the entry after the removal, a missing one is let
 * through.) Returns false when the segment is done with. */
static bool syncache_expand(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	if (c->ts_ok && g->h.opts.has_ts && (int32_t)(g->h.opts.ts_val - c->ts_recent) < 0) {
		s->st.TcpPAWSDrop++;
		return false;
	}
	if (g->h.ack == c->iss + 1 && seq_gt(g->h.seq, c->irs) &&
	    seq_le(g->h.seq, c->irs + rcv_wnd(s, c))) {
		syncache_socket_mss(s, c);
		return true;
	}
	/* Nothing remembers the refusal: a cookie ACK of the same SYN that
	 * comes later is syncookie_lookup()'s, after an overflow. With
	 * cookies on, the entry's ISS is the cookie (syncache_add()), so a
	 * cookie SYN-ACK's ACK is refused here only if the two SYN-ACKs were
	 * made with different secrets or for SYNs with different options. */
	refuse_half_open(s, c, g, !blackholed(s, g, false));
	return false;
}

/* FreeBSD's tcp_do_segment() for a segment without ACK in a simultaneous
 * open's SYN_RECEIVED (cfg.synrcvd_simopen_bsd): the trimming, then
 * "if ((thflags & TH_ACK) == 0) ... goto step6" and dodata: not yet
 * ESTABLISHED, tcp_reass() holds data and FIN (new_entry; present returns
 * 0 before ESTABLISHED) and TF_ACKNOW is set, so tcp_output() sends the
 * SYN|ACK again (TF_NEEDSYN). Trimmed to nothing, TF_ACKNOW too ("send an
 * ACK to resynchronize"); past the right edge, dropafterack. */
static void simopen_hold_bsd(gt_stack *s, struct tcp_conn *c, const struct tcp_seg *g)
{
	uint32_t seq = g->h.seq, len = g->len;
	const uint8_t *data = g->data;
	bool fin = g->h.flags & TH_FIN, ack_now = false;
	int32_t todrop = (int32_t)(c->rcv_nxt - seq);
	if (todrop > 0) {
		if (g->h.flags & TH_SYN) {
			seq++; /* the SYN goes first: "thflags &= ~TH_SYN; th->th_seq++" */
			todrop--;
		}
		if ((uint32_t)todrop > len || ((uint32_t)todrop == len && !fin)) {
			len = 0;
			fin = false; /* "Any valid FIN must be to the left of the window" */
			ack_now = true;
		} else {
			seq += (uint32_t)todrop;
			data += todrop;
			len -= (uint32_t)todrop;
		}
	}
	uint32_t edge = c->rcv_nxt + rcv_wnd(s, c);
	if (len && seq_gt(seq + len, edge)) {
		uint32_t over = seq + len - edge;
		if (over >= len) {
			s->st.TcpOutOfWindow++;
			tcp_send_syn(s, c); /* dropafterack */
			return;
		}
		len -= over;
		fin = false;
	} else if (!len && seq_gt(seq, edge)) {
		s->st.TcpOutOfWindow++;
		tcp_send_syn(s, c); /* dropafterack: a SYN or FIN past the edge */
		return;
	}
	/* "If last ACK falls within this segment's sequence numbers, record
	 * its timestamp", on the trimmed segment, SYN or FIN counted, before
	 * the ACK bit is looked at. */
	bool ctl = (fin || ((g->h.flags & TH_SYN) && seq == g->h.seq));
	if (c->ts_ok && g->h.opts.has_ts && seq_le(seq, last_ack_sent(s, c)) &&
	    seq_le(last_ack_sent(s, c), seq + len + ctl))
		ts_recent_take(s, c, g);
	/* A repeat of what is held, a FIN on it included, is freed and the
	 * SYN|ACK goes again (TF_ACKNOW after tcp_reass()): kept, the FIN
	 * was taken at RCV.NXT once ESTABLISHED, below data still held
	 * (tests/pkt/freebsd/simultaneous-open-syn-rcvd-held-data-repeated.pkt). */
	enum reass_last_bsd v = len || fin ? reass_last_bsd(c, seq, len, fin) : REASS_BSD_TAKE;
	if (v != REASS_BSD_TAKE) {
		if (v == REASS_BSD_FIN_EARLY)
			s->st.TcpReassFinBeforeEnd++;
		else
			s->st.TcpReassLastDrop++;
		tcp_send_syn(s, c);
		return;
	}
	if (len && tcp_ring_reserve(s, &c->rcv) == 0) {
		uint32_t pruned = 0;
		int r = tcp_reass_insert(c, seq, data, len, tcp_reass_limit(s, c),
					 s->cfg.reass_full_drops_new, &pruned);
		if (r > 0)
			s->st.TcpOfoQueue++;
		else
			fin = false; /* dropped with its segment */
		s->st.TcpOfoDrop += pruned;
	} else if (len) {
		c->cnt.rcv_nomem++;
		fin = false;
	}
	if (fin) {
		c->fin_ooo = true; /* a zero-length entry with TH_FIN */
		c->ooo_fin_seq = seq + len;
	}
	if (len || fin || ack_now)
		tcp_send_syn(s, c);
}

/* Linux's tcp_validate_incoming(), step 4: in an active open's SYN_RECV
 * (a simultaneous open), a bare SYN-ACK at the IRS that acknowledges
 * SND.NXT is no RFC 5961 4.2 challenge: it passes (RFC 9293 3.5 figure
 * 8's crossing SYN-ACK) and its ACK completes the handshake
 * (cfg.simopen_synack_accept). Its SYN's octet is below RCV.NXT:
 * tcp_data_queue()'s "A retransmit" branch D-SACKs [SEG.SEQ, SEG.SEQ + 1)
 * (tcp_dsack_set()) and enters quick-ACK mode, the ACK going at once.
 * Here the SYN is taken off, leaving an ACK at RCV.NXT. Linux 6.18 under
 * `glasstcp pktrun --kernel --strict`
 * (tests/pkt/linux/fastopen-client-simultaneous-open-peer-synack.pkt). */
static void simopen_synack_pass(gt_stack *s, struct tcp_conn *c, struct tcp_seg *g)
{
	if (!s->cfg.simopen_synack_accept || c->state != GT_TCP_SYN_RECEIVED || c->passive ||
	    (g->h.flags & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) != (TH_SYN | TH_ACK) || g->len ||
	    g->h.seq + 1 != c->rcv_nxt || g->h.ack != c->snd_nxt)
		return;
	if (c->sack_ok && s->cfg.opt_dsack) {
		dsack_mark(c, g->h.seq, g->h.seq + 1);
	}
	enter_quickack_mode(s, c);
	c->ack_now = true;
	g->h.flags &= (uint8_t)~TH_SYN;
	g->h.seq++;
	g->seglen--;
}

/* FreeBSD's tcp_do_segment() in a simultaneous open's SYN_RECEIVED, the
 * parts before the window check (cfg.synrcvd_simopen_bsd). True: the
 * segment is done with. */
static bool simopen_bsd(gt_stack *s, struct tcp_conn *c, struct tcp_seg *g)
{
	uint8_t f = g->h.flags;
	if (!s->cfg.synrcvd_simopen_bsd || c->state != GT_TCP_SYN_RECEIVED || c->passive ||
	    (f & TH_RST))
		return false;
	/* The state switch: "if seg contains an ACK, but not for our
	 * SYN/ACK, send a RST" (SND.UNA is the ISS while TF_NEEDSYN), before
	 * the RFC 5961 blocks, PAWS and the trimming. A Fast Open SYN's data
	 * out (tcp_tfo_wrote()) has SND.UNA at ISS + 1 here; FreeBSD's is
	 * still the ISS. */
	uint32_t una = tcp_tfo_wrote(c) ? c->iss : c->snd_una;
	if ((f & TH_ACK) && (!seq_gt(g->h.ack, una) || seq_gt(g->h.ack, c->snd_max))) {
		tcp_sign_reply(s, c); /* tcp_dropwithreset() -> tcp_respond() */
		tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, g->h.ack, 0, TH_RST, 0, NULL);
		return true;
	}
	/* PAWS, before the "LAND" check and the trimming: data is
	 * dropafterack's (the SYN|ACK again in SYN_RECEIVED), the rest
	 * dropped. */
	if (paws_reject(s, c, g)) {
		s->st.TcpPAWSDrop++;
		if (g->len)
			tcp_send_syn(s, c);
		return true;
	}
	/* "validate that the packet belongs to this connection": SEG.SEQ below
	 * the IRS is dropwithreset, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
	 * without an ACK. */
	if (seq_lt(g->h.seq, c->irs)) {
		tcp_sign_reply(s, c);
		if (f & TH_ACK)
			tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, g->h.ack, 0, TH_RST, 0,
				     NULL);
		else
			tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, 0, g->h.seq + g->seglen,
				     TH_RST | TH_ACK, 0, NULL);
		return true;
	}
	if (!(f & TH_ACK)) {
		simopen_hold_bsd(s, c, g);
		return true;
	}
	/* An acceptable ACK: "ACK processing" makes the connection
	 * ESTABLISHED; a SYN with it is no news (the RFC 5961 4.2 block
	 * skips SYN_RECEIVED) and is trimmed only below RCV.NXT, where what
	 * is left of a bare SYN|ACK is a duplicate: TF_ACKNOW. */
	if (f & TH_SYN) {
		g->h.flags &= (uint8_t)~TH_SYN;
		g->seglen--;
		if (seq_lt(g->h.seq, c->rcv_nxt)) {
			g->h.seq++;
			if (!g->seglen && g->h.seq == c->rcv_nxt)
				c->ack_now = true;
		}
	}
	/* A bare ACK at the IRS: trimmed to nothing, TF_ACKNOW, "But keep on
	 * processing for RST or ACK": it completes the handshake, and the ACK
	 * goes out (was: judged out of the window, the ACK not taken). */
	if (!g->seglen && seq_lt(g->h.seq, c->rcv_nxt)) {
		g->h.seq = c->rcv_nxt;
		c->ack_now = true;
	}
	/* Data past the window's right edge: dropafterack before the ACK
	 * is processed, and in SYN_RECEIVED tcp_output() sends the SYN|ACK. */
	uint32_t edge = c->rcv_nxt + rcv_wnd(s, c);
	if (g->len && seq_ge(g->h.seq, edge) && rcv_wnd(s, c)) {
		s->st.TcpOutOfWindow++;
		tcp_send_syn(s, c);
		return true;
	}
	return false;
}

/* Whether FreeBSD's tcp_do_segment() leaves this segment without a
 * tcp_output() call (cfg.nagle_bsd), asked before the ACK is taken (freebsd
 * main as stored in fel1x-developer/freebsd-src 2d614aa). Every path that
 * reaches tcp_output() ends a segment that takes text, a FIN, a window
 * update or an ACK of new data, or a duplicate ACK that is counted; the
 * others end at "if (needoutput || (tp->t_flags & TF_ACKNOW)) (void)
 * tcp_output(tp);" with neither set unless an ACK is due (the caller asks
 * c->ack_now after the text): docs/freebsd.md, "Which inbound segments call
 * tcp_output()". */
enum bsd_quiet {
	BSD_OUTPUT,             /* tcp_output() as before */
	BSD_QUIET,              /* none, unless an ACK is due */
	BSD_QUIET_NO_SACK_NEWS, /* none if the ACK brings no new SACK information */
};

static enum bsd_quiet bsd_quiet_ack(const gt_stack *s, const struct tcp_conn *c, const struct tcp_seg *g)
{
	if (!s->cfg.nagle_bsd || !(g->h.flags & TH_ACK) || (g->h.flags & (TH_SYN | TH_RST | TH_FIN)) ||
	    c->state == GT_TCP_SYN_RECEIVED || seq_gt(g->h.ack, c->snd_una))
		return BSD_OUTPUT;
	uint32_t win = (uint32_t)g->h.win << c->snd_wscale;
	if (g->len) {
		/* Header prediction, in-order data: "if (tp->t_state ==
		 * TCPS_ESTABLISHED && th->th_seq == tp->rcv_nxt && (thflags &
		 * (TH_SYN | TH_FIN | TH_RST | TH_URG | TH_ACK)) == TH_ACK &&
		 * tp->snd_nxt == tp->snd_max && tiwin && tiwin == tp->snd_wnd
		 * && ... SEGQ_EMPTY(tp) && ((to.to_flags & TOF_TS) == 0 ||
		 * TSTMP_GEQ(to.to_tsval, tp->ts_recent)))", then "else if
		 * (th->th_ack == tp->snd_una && tlen <= sbspace(&so->so_rcv))":
		 * "if (DELAY_ACK(tp, tlen)) { tp->t_flags |= TF_DELACK; } else
		 * { tp->t_flags |= TF_ACKNOW; tcp_output(tp); }". Data taken
		 * by the slow path is a window update ("SEQ_LT(tp->snd_wl1,
		 * th->th_seq)"), and out-of-order data sets TF_ACKNOW: both
		 * call it (tests/pkt/freebsd/nagle-lastidle-predicted-data-no-output.pkt). */
		bool ts_ok = !c->ts_ok || !g->h.opts.has_ts || !seq_lt(g->h.opts.ts_val, c->ts_recent);
		return c->state == GT_TCP_ESTABLISHED && g->h.seq == c->rcv_nxt && !(g->h.flags & TH_URG) &&
			       c->snd_nxt == c->snd_max && win && win == c->snd_wnd && !c->nooo && ts_ok &&
			       g->h.ack == c->snd_una && g->len <= tcp_rcv_space(c)
			   ? BSD_QUIET
			   : BSD_OUTPUT;
	}
	/* Step 6's window update sets needoutput: "SEQ_LT(tp->snd_wl1,
	 * th->th_seq) || (tp->snd_wl1 == th->th_seq && (SEQ_LT(tp->snd_wl2,
	 * th->th_ack) || (tp->snd_wl2 == th->th_ack && tiwin > tp->snd_wnd)))". */
	if (may_update_window(s, c, g, g->h.seq, c->snd_una, win))
		return BSD_OUTPUT;
	/* An old ACK "break"s out of the duplicate-ACK test: "if (th->th_ack
	 * != tp->snd_una || ...) break;" (branch h-bsdquiet,
	 * tests/pkt/freebsd/nagle-lastidle-old-ack-no-output.pkt). */
	if (seq_lt(g->h.ack, c->snd_una))
		return BSD_QUIET;
	/* At SND.UNA, a duplicate only "if (tlen == 0 && (tiwin ==
	 * tp->snd_wnd || (tp->t_flags & TF_SACK_PERMIT)))"; else "break"
	 * (tests/pkt/freebsd/nagle-lastidle-shrunk-window-dup-no-output.pkt:
	 * a smaller window without SACK, refused by step 6's test above). */
	if (!c->sack_ok && win != c->snd_wnd)
		return BSD_QUIET;
	/* "else if (!tcp_timer_active(tp, TT_REXMT)) tp->t_dupacks = 0;",
	 * then "break": nothing outstanding, or the persist timer in place of
	 * the retransmission timer
	 * (tests/pkt/freebsd/nagle-lastidle-nothing-outstanding-no-output.pkt). */
	if (c->snd_una == c->snd_max || c->persist)
		return BSD_QUIET;
	/* "(tcp_is_sack_recovery(tp, &to) && (sack_changed == SACK_NOCHANGE))"
	 * comes before it, and "break"s too: tcp_is_sack_recovery() is
	 * "(tp->t_flags & TF_SACK_PERMIT) && ((to->to_flags & TOF_SACK) ||
	 * (!TAILQ_EMPTY(&tp->snd_holes)))" (tcp_sack_bsd_holes()), and
	 * tcp_sack_doack() (tcp_sack.c) returns SACK_NOCHANGE for an ACK at
	 * SND.UNA whose blocks change nothing on the scoreboard, a D-SACK
	 * below SND.UNA among them: the ACK's sack_new
	 * (tests/pkt/freebsd/nagle-lastidle-sack-no-new-info-no-output.pkt). */
	if (c->sack_ok && (g->h.opts.nsack || tcp_sack_bsd_holes(c)))
		return BSD_QUIET_NO_SACK_NEWS;
	/* Counted: limited transmit, the recovery's entry, a duplicate in
	 * it: each calls tcp_output() ("(void)tcp_output(tp); goto drop;"). */
	return BSD_OUTPUT;
}

static void synchronized_input(gt_stack *s, struct tcp_conn *c, struct tcp_seg *g)
{
	uint8_t f = g->h.flags;
	/* A FreeBSD TFO child (syncache_tfo_expand()) is a socket, not a
	 * syncache entry: tcp_do_segment() in SYN_RECEIVED with TF_FASTOPEN
	 * takes "the initial SYN, a retransmit/copy of the initial SYN ..., a
	 * valid ACK, a FIN, or a RST": a SYN|ACK draws dropwithreset
	 * (<SEQ=SEG.ACK><CTL=RST>, the socket kept), another SYN is dropped
	 * while the delayed-ACK or retransmit timer runs, a segment without
	 * ACK, FIN or RST is dropped. */
	bool bsd_tfo_child = s->cfg.fastopen_bsd && tcp_tfo_child(c);
	if (bsd_tfo_child) {
		if ((f & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
			if (!(f & TH_RST) && !blackholed(s, g, false))
				tcp_send_raw(s, c->laddr, c->lport, c->faddr, c->fport, g->h.ack, 0,
					     TH_RST, 0, NULL);
			return;
		}
		if ((f & TH_SYN) && (c->delack_at != TCP_TIMER_NONE || c->rtx_at != TCP_TIMER_NONE))
			return;
		if (!(f & (TH_SYN | TH_ACK | TH_FIN | TH_RST)))
			return;
	}
	/* A retransmitted SYN in SYN-RECEIVED: our SYN-ACK was lost. A
	 * FreeBSD entry takes any SYN for its tuple so (cfg.dupsyn_bsd). */
	bool entry_bsd = s->cfg.dupsyn_bsd && c->passive;
	if (c->state == GT_TCP_SYN_RECEIVED && (f & TH_SYN) && !(f & TH_ACK) &&
	    (g->h.seq == c->irs || entry_bsd)) {
		/* FreeBSD's syncache_add(), a duplicate SYN: "if ((sc->sc_flags &
		 * SCF_TIMESTAMP) && (to->to_flags & TOF_TS)) ... else clear
		 * SCF_TIMESTAMP". A Linux peer reads its timestamp sysctl at
		 * each SYN and again at the SYN-ACK: turned off between its
		 * first SYN and the SYN-ACK, it uses none, and a FreeBSD side
		 * that kept them and requires them dropped all it sent (swarm
		 * seed 13003977). */
		if (s->cfg.dupsyn_drops_ts && c->passive && c->ts_ok && !g->h.opts.has_ts) {
			c->ts_ok = false;
			tcp_mss_set_path(s, c, eff_mss(c));
		}
		if (entry_bsd) {
			/* syncache_add(): "sc->sc_tsreflect = to->to_tsval",
			 * then syncache_respond() and, sent, "sc->sc_rxmits =
			 * 0; syncache_timeout()". The IRS stays the first
			 * SYN's (the SYN-ACK acknowledges it). */
			if (c->ts_ok && g->h.opts.has_ts) {
				ts_recent_set(s, c, g->h.opts.ts_val);
			}
			/* ... counted (TCPSTAT_INC(tcps_sc_dupsyn)), and SCF_ECN
			 * cleared without ECE|CWR. */
			s->st.TcpSyncacheDupSyn++;
			tcp_ecn_dupsyn(s, c, &g->h);
			c->syn_retries = 0;
			c->backoff = 0;
			c->rtx_at = TCP_TIMER_NONE;
			tcp_send_syn(s, c);
			return;
		}
		/* Linux's tcp_check_req(): a SYN-ACK again only if
		 * tcp_oow_rate_limited() allows (one per
		 * tcp_invalid_ratelimit; the first SYN-ACK starts no period);
		 * swarm seed 13100638 had seven queued SYNs draw seven at one
		 * instant (tests/pkt/linux/handshake-dup-syn-ratelimit.pkt). */
		if (s->cfg.dupsyn_ratelimit && !oow_ack_allowed(s, c, g)) {
			s->st.TcpAckSkippedSynRecv++;
			return;
		}
		tcp_send_syn(s, c);
		return;
	}
	/* A simultaneous open's SYN_RECEIVED in FreeBSD: no RFC 5961 4.2
	 * SYN block there (cfg.synrcvd_syn_bsd); a bare SYN at or past IRS +
	 * 1 leaves nothing to trim, has no ACK bit and goes to step6 with
	 * nothing to send (tests/pkt/freebsd/matrix/rcv-syn-syn-rcvd-via-syn-sent-*).
	 * FreeBSD counts no statistic on that path; TcpSimOpenSynIgnored
	 * does. Past RCV.NXT + RCV.WND (the right-hand trim, by data alone,
	 * finds SEG.SEQ beyond it) it is dropafterack's, and one below the
	 * IRS the "LAND" check's: simopen_bsd(). */
	if (s->cfg.synrcvd_syn_bsd && c->state == GT_TCP_SYN_RECEIVED && !c->passive &&
	    (f & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) == TH_SYN && g->len == 0 &&
	    seq_gt(g->h.seq, c->irs) && seq_le(g->h.seq, c->rcv_nxt + rcv_wnd(s, c))) {
		s->st.TcpSimOpenSynIgnored++;
		return;
	}
	/* A passive open still in FreeBSD's syncache is the listener's:
	 * "(SYN|ACK) is bogus on a listen socket" (tcp_input()):
	 * syncache_badack() drops the entry (tcps_sc_badack) and
	 * dropwithreset answers <SEQ=SEG.ACK><CTL=RST> (BANDLIM_RST_OPENPORT),
	 * wherever SEG.SEQ falls
	 * (tests/pkt/freebsd/matrix/rcv-syn-ack-syn-rcvd-via-listen-*). */
	bool in_syncache = s->cfg.syncache_expand_bsd && c->state == GT_TCP_SYN_RECEIVED &&
			   c->passive && !bsd_tfo_child;
	if (in_syncache && (f & (TH_SYN | TH_RST | TH_ACK)) == (TH_SYN | TH_ACK)) {
		refuse_half_open(s, c, g, !blackholed(s, g, false));
		return;
	}
	/* RFC 7323 3.2: "a TCP MAY drop" a non-RST segment without a
	 * timestamp once they are in use; FreeBSD does with
	 * tolerate_missing_ts = 0: tcp_do_segment() before the state machine,
	 * and for a passive open still in the syncache, syncache_expand()
	 * before it checks SEG.ACK ("Timestamp missing, segment silently
	 * dropped", no RST). The handshake ACK of a peer whose timestamps
	 * went off after its SYN never completes it (swarm seed 40004403). */
	if (s->cfg.ts_required && c->ts_ok && !g->h.opts.has_ts && !(f & TH_RST)) {
		s->st.TcpTsMissingDrop++;
		return;
	}
	if (simopen_bsd(s, c, g))
		return;
	f = g->h.flags; /* a SYN|ACK's SYN may be gone */
	in_syncache = in_syncache && c->state == GT_TCP_SYN_RECEIVED;
	if (in_syncache && (f & (TH_SYN | TH_RST | TH_ACK)) == TH_ACK && !syncache_expand(s, c, g))
		return;
	/* A passive open still in FreeBSD's syncache is the listener's: a
	 * segment without SYN, RST or ACK goes nowhere else (tcp_input():
	 * "if ((thflags & TH_SYN) == 0) ... SYN is missing, segment
	 * ignored", tcps_badsyn, dropunlock), not even to the window check
	 * that answers one before the window with an ACK
	 * (tests/pkt/freebsd/matrix/rcv-fin-syn-rcvd-via-listen-*). */
	if (in_syncache && !(f & (TH_SYN | TH_RST | TH_ACK))) {
		s->st.TcpSyncacheNoSyn++;
		return;
	}
	/* FreeBSD's tcp_do_segment() answers a SYN outside SYN_RECEIVED
	 * before PAWS (RFC 5961 4.2: "Send challenge ACK for any SYN in
	 * synchronized state", then "goto drop"): an old TSval does not
	 * silence the challenge ACK, nor does a stale one clear TS.Recent
	 * (tests/pkt/freebsd/paws-old-tsval-syn-challenge-acked.pkt). */
	bool syn_before_paws = s->cfg.paws_bsd && (f & TH_SYN) && c->state != GT_TCP_SYN_RECEIVED;
	if (!syn_before_paws && paws_reject(s, c, g)) {
		s->st.TcpPAWSDrop++;
		/* RFC 7323 5.3 asks for an ACK; BSD (tcp_input's PAWS check)
		 * sends it only for a segment that occupies sequence space: a
		 * reordered pure ACK answered with an ACK can start an ACK war.
		 * Old data is reported as a duplicate (Linux's tcp_send_dupack()
		 * D-SACKs it): a late original after its retransmission is how
		 * the sender learns the retransmission was needless. */
		/* FreeBSD: "if (tlen) goto dropafterack; goto drop;", data
		 * alone (a bare FIN is dropped silently). Linux 6.18's
		 * tcp_validate_incoming() drops silently only an old ACK, a
		 * pure ACK below RCV.NXT (tcp_disordered_ack_check():
		 * SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK, "Old ACK are
		 * common"); any other segment, a pure ACK at RCV.NXT
		 * included, draws tcp_send_dupack(), rate-limited for one
		 * without data (tcp_oow_rate_limited(): tcp_invalid_ratelimit,
		 * TCPACKSkippedPAWS). Before, the profile answered data only
		 * (tests/pkt/linux/paws-pure-ack-dupack-rate-limited.pkt). */
		bool old_ack = !g->seglen && (g->h.flags & TH_ACK) && seq_lt(g->h.seq, c->rcv_nxt);
		if (s->cfg.paws_bsd ? g->len : (g->seglen || !old_ack)) {
			note_duplicate(s, c, g);
			if (oow_ack_allowed(s, c, g)) {
				dup_quickack(s, c, g);
				tcp_send_ack(s, c);
			}
		}
		return;
	}
	simopen_synack_pass(s, c, g);
	f = g->h.flags;
	note_duplicate(s, c, g);
	if (s->cfg.close_flush_bsd && rcv_after_close_bsd(s, c, g))
		return;
	/* First: sequence number. Linux takes an RST at RCV.NXT - 1 after
	 * the peer's FIN here, out of the window (tcp_validate_incoming()'s
	 * step 1 calls tcp_reset_check()). */
	if (!((f & TH_RST) && rst_at_fin_edge(s, c, g->h.seq)) && !seq_acceptable(s, c, g)) {
		s->st.TcpOutOfWindow++;
		if (!(f & (TH_SYN | TH_RST)) && seq_gt(g->h.seq + g->len, c->rcv_nxt + rcv_wnd(s, c)))
			s->st.TcpBeyondWindow++; /* tcp_sequence()'s INVALID_SEQUENCE, INVALID_END_SEQUENCE */
		if (!(f & (TH_SYN | TH_RST)))
			trimmed_ts_bsd(s, c, g);
		/* A SYN out of the window draws a challenge ACK as one in it
		 * (Linux: tcp_validate_incoming()'s syn_challenge; FreeBSD
		 * checks the SYN before the window). */
		if ((f & (TH_SYN | TH_RST)) == TH_SYN && s->cfg.rfc5961)
			challenge_ack(s, c);
		else if ((f & (TH_SYN | TH_RST)) == TH_SYN && oow_ack_allowed(s, c, g))
			tcp_send_pure_ack(s, c);
		else if (!(f & (TH_SYN | TH_RST)) && oow_ack_allowed(s, c, g)) {
			dup_at_edge_ts(s, c, g);
			dup_quickack(s, c, g);
			/* FreeBSD's resynchronising ACK of an old bare ACK
			 * (TF_ACKNOW) goes after its ACK field was read, and
			 * not at all if that closed the connection. */
			if (dup_ack_rides_output(c, g) || old_bare_ack_bsd(s, c, g))
				c->ack_now = true; /* tcp_output() below sends it */
			else
				tcp_send_ack(s, c);
		}
		if ((f & TH_ACK) && !(f & (TH_SYN | TH_RST)) && ack_still_taken(s, c, g) &&
		    ack_input(s, c, g, NULL))
			tcp_output(s, c);
		return;
	}
	/* Linux's tcp_data_queue(): data taken by tcp_sequence() from the
	 * window's right edge on is out_of_window (text_input()). */
	uint32_t wnd = rcv_wnd(s, c);
	g->edge = c->rcv_nxt + wnd;
	g->edge_on = seq_edge_linux(s, c, g, wnd) == 1;
	/* Second: RST (RFC 5961 3.2: exact match resets, else challenge). */
	if (f & TH_RST) {
		s->st.TcpInRsts++;
		/* Linux's orphan in FIN_WAIT_2, a timewait sock, ends on any
		 * RST inside its window: tcp_timewait_state_process() checks
		 * the window, then "if (th->rst) goto kill", silently
		 * (close-orphan-fin-wait-2-rst-in-window-ends-it.pkt). */
		if (s->cfg.rfc5961 && !rst_seq_matches(s, c, g->h.seq) && !tcp_fin2_tw(s, c)) {
			challenge_ack(s, c);
			return;
		}
		if (tcp_tfo_child(c))
			conn_reset(s, c, -ECONNRESET); /* a full socket: tcp_reset()'s default */
		else if (c->state == GT_TCP_SYN_RECEIVED)
			/* A simultaneous open's: Linux's tcp_reset() gives
			 * ECONNREFUSED in SYN_SENT alone, ECONNRESET here
			 * (cfg.reset_err_linux; tests/pkt/linux/fastopen-client-
			 * simultaneous-open-rst.pkt). FreeBSD's tcp_do_segment():
			 * "case TCPS_SYN_RECEIVED: so->so_error = ECONNREFUSED". */
			conn_reset(s, c, c->passive ? 0 : s->cfg.reset_err_linux ? -ECONNRESET : -ECONNREFUSED);
		else if (c->state == GT_TCP_CLOSING || c->state == GT_TCP_LAST_ACK)
			tcp_conn_free(s, c, s->cfg.rst_closing_err ? -ECONNRESET : 0);
		else if (c->state == GT_TCP_CLOSE_WAIT && s->cfg.reset_err_linux)
			conn_reset(s, c, -EPIPE); /* tcp_reset() */
		else
			conn_reset(s, c, -ECONNRESET);
		return;
	}
	/* Fourth: SYN in a synchronized state (RFC 5961 4.2). */
	if (f & TH_SYN) {
		if (c->state == GT_TCP_SYN_RECEIVED && c->passive) {
			s->st.TcpAttemptFails++;
			tcp_conn_free(s, c, 0);
			return;
		}
		if (!s->cfg.rfc5961) {
			/* RFC 793 3.9: a SYN in the window is an error: reset. */
			tcp_send_rst_conn(s, c);
			conn_reset(s, c, -ECONNRESET);
			return;
		}
		challenge_ack(s, c);
		return;
	}
	/* The segment is acceptable: its CE mark and CWR (RFC 3168 6.1.3). */
	tcp_ecn_input(s, c, &g->h, g->len);
	/* FreeBSD's tcp_do_segment() (cfg.nagle_bsd) ends a segment with
	 * tcp_output() only where it must; the profile's segment path
	 * otherwise ends in tcp_output() whatever the segment did, spending
	 * TF_LASTIDLE (a GT_MSG_MORE write's held tail) and cc_after_idle()
	 * where FreeBSD leaves them for the next call (bsd_quiet_ack();
	 * docs/freebsd.md, "Which inbound segments call tcp_output()"). */
	bool sack_new = false;
	enum bsd_quiet quiet = bsd_quiet_ack(s, c, g);
	/* RFC 7323 4.3: remember the peer's timestamp from segments at the
	 * left edge of the window, once the ACK has proven acceptable (a
	 * forged ACK must not move TS.Recent; Linux does the same). FreeBSD
	 * does not wait for the ACK: below. */
	/* A segment that passed PAWS only because TS.Recent had gone stale
	 * (RFC 7323 5.5) replaces it, as Linux's tcp_replace_ts_recent():
	 * kept, it would be echoed for ever and time nothing. */
	/* Only from a segment at or below Last.ACK.sent (last_ack_sent()):
	 * with an ACK held (delayed, or to a batch's end), the second
	 * segment it will cover does not move TS.Recent, and the ACK echoes
	 * the first (tests/pkt/linux/ts-recent-delayed-ack-echoes-first.pkt,
	 * tests/pkt/freebsd/ts-recent-two-segments-ack-echoes-first.pkt).
	 * FreeBSD's tcp_do_segment() tests the segment after trimming what
	 * lies below RCV.NXT (cfg.ts_recent_bsd_trim): one that reaches
	 * below Last.ACK.sent with new data starts at RCV.NXT and is not
	 * taken while an ACK is held; Linux's tcp_replace_ts_recent() tests
	 * SEG.SEQ as it came
	 * (tests/pkt/freebsd/ts-recent-retransmission-over-last-ack-sent.pkt).
	 * The upper bound, Last.ACK.sent <= SEG.SEQ + SEG.LEN, holds for
	 * any segment that reaches RCV.NXT. */
	uint32_t ts_seq = g->h.seq;
	if (s->cfg.ts_recent_bsd_trim && seq_lt(ts_seq, c->rcv_nxt))
		ts_seq = c->rcv_nxt;
	bool ts_update = c->ts_ok && g->h.opts.has_ts && seq_le(ts_seq, last_ack_sent(s, c)) &&
			 ts_may_replace(s, c, g);
	/* FreeBSD's tcp_do_segment() runs its ts_recent test before it looks
	 * at the ACK bit or field: a segment without ACK moves TS.Recent and
	 * is dropped, one whose ACK is past SND.MAX moves it and is answered
	 * (dropafterack) with its TSval
	 * (tests/pkt/freebsd/ts-recent-before-ack-check.pkt). Not in
	 * SYN-RECEIVED, whose ACK check comes first there (dropwithreset). */
	if (ts_update && s->cfg.ts_recent_bsd_trim && c->state != GT_TCP_SYN_RECEIVED) {
		ts_recent_take(s, c, g);
		ts_update = false;
	}
	/* Fifth: ACK. */
	if (!(f & TH_ACK))
		return;
	/* An ACK within SND.UNA..SND.MAX is acceptable: TS.Recent moves
	 * before the ACK is taken, so that what the ACK sends (a fast
	 * retransmission, new data) echoes this segment, as Linux's tcp_ack()
	 * (tcp_replace_ts_recent() before tcp_fastretrans_alert()) and
	 * FreeBSD's tcp_do_segment() (ts_recent before the ACK processing)
	 * do. Other ACKs are judged by ack_input() first. */
	bool ts_early = ts_update && seq_ge(g->h.ack, c->snd_una) && seq_le(g->h.ack, c->snd_max);
	if (ts_early)
		ts_recent_take(s, c, g);
	if (!ack_input(s, c, g, &sack_new))
		return;
	if (ts_update && !ts_early)
		ts_recent_take(s, c, g);
	/* Seventh and eighth: text and FIN. */
	bool fin_now;
	if (!text_input(s, c, g, &fin_now))
		return;
	if (fin_now && !fin_input(s, c))
		return;
	/* "if (needoutput || (tp->t_flags & TF_ACKNOW)) (void)tcp_output(tp);"
	 * (the fast path: "if (DELAY_ACK(tp, tlen)) ... else { tp->t_flags |=
	 * TF_ACKNOW; tcp_output(tp); }"): an ACK due is sent by the output
	 * call; a delayed one waits for its timer as there. */
	bool quiet_now = quiet == BSD_QUIET || (quiet == BSD_QUIET_NO_SACK_NEWS && !sack_new);
	/* FreeBSD's tcp_output() leaves no held data without a timer ("if
	 * (sbavail(&so->so_snd) && !tcp_timer_active(tp, TT_REXMT) &&
	 * !tcp_timer_active(tp, TT_PERSIST)) tcp_setpersist(tp)"), so a quiet
	 * segment there never finds unsent data with neither timer running.
	 * Where the profile's state does, the output call runs: quiet, the
	 * held data waited for ever (swarm seed 96235585, a 158-byte tail
	 * behind a 63-byte window, the peer's window updates lost). */
	bool held_untimed = c->snd.len > c->snd_max - c->snd_una && c->rtx_at == TCP_TIMER_NONE &&
			    c->persist_at == TCP_TIMER_NONE;
	if (quiet_now && !c->ack_now && !c->ack_deferred && !held_untimed) {
		rtx_keep(s, c);
		tcp_conn_assert(c);
		return;
	}
	tcp_output(s, c);
	rtx_keep(s, c);
	tcp_check_space(s, c); /* Linux's tcp_data_snd_check() */
	tcp_user_check_space(s, c); /* its write-space wake-up (sk_stream_write_space()) */
	tcp_conn_assert(c);
}

void tcp_input(gt_stack *s, ip_addr src, ip_addr dst, const uint8_t *seg, size_t len)
{
	struct tcp_seg g;
	s->st.TcpInSegs++;
	/* tcp_input_with_port(): a segment that came in UDP had the
	 * datagram's checksum checked; its own is not looked at. */
	bool verify = !s->dev.rx_csum_verified && !s->rx_tun_port;
	enum tcp_parse_err pe =
		ip_addr_is_v4(src) ? tcp_parse_ex(seg, len, ip_addr_v4_of(src), ip_addr_v4_of(dst), &g.h, verify)
				   : ipv6_tcp_parse(seg, len, &src, &dst, &g.h, verify);
	if (pe != TCP_OK) {
		s->st.TcpInErrs++;
		return;
	}
	/* A malformed option is no reason to drop the segment (Linux's
	 * tcp_parse_options(), FreeBSD's tcp_dooptions()); it is counted. */
	s->st.TcpInBadOpts += g.h.opts.bad_opts;
	g.src = src;
	g.dst = dst;
	g.data = seg + g.h.doff_bytes;
	g.len = (uint32_t)(len - g.h.doff_bytes);
	g.ip_len = (uint32_t)(len + ip_hdr_len(src));
	g.edge = 0;
	g.edge_on = false;
	g.seglen = g.len + !!(g.h.flags & TH_SYN) + !!(g.h.flags & TH_FIN);
	if (stack_tracing(s))
		trace_in(s, &g);
	if (s->cfg.drop_synfin && (g.h.flags & (TH_SYN | TH_FIN)) == (TH_SYN | TH_FIN))
		return; /* counted in TcpInSegs only, as FreeBSD's drop_synfin */
	struct tcp_conn *c = tcp_lookup(s, dst, g.h.dport, src, g.h.sport);
	/* FreeBSD's tcp_input_with_port(): a TCB with TF_SIGNATURE takes only
	 * segments signed with the pair's key, before anything else. */
	if (c && s->cfg.md5sig_bsd && tcp_signs(c) && !tcp_md5_check(s, NULL, src, dst, seg, len, &g.h))
		return;
	/* Linux's tcp_v4_rcv(): tcp_inbound_hash() for a full socket, with
	 * its key for the peer, before anything else. */
	if (c && !s->cfg.md5sig_bsd && (s->md5_lx_n || g.h.opts.has_sig) &&
	    !tcp_md5_lx_inbound(s, tcp_md5_lx_conn_key(s, c), src, dst, seg, len, &g.h))
		return;
	if (c && tcp_tun_port(s, c) != s->rx_tun_port) {
		port_rst(s, c, &g);
		return;
	}
	if (c) {
		/* Linux's tcp_segs_in() adds max(1, gso_segs): a GSO packet
		 * written into a TUN device has gso_segs 0 there
		 * (virtio_net_hdr_to_skb()) and counts one, as here
		 * (tests/pkt/linux/tcpi-segs-in-syn-and-gso.pkt). */
		c->cnt.segs_in++;
		if (g.len)
			tcp_lx_stats_data_in(s, c); /* tcp_segs_in(): skb->len > tcp_hdrlen(skb) */
		c->last_rcv_ms = (uint32_t)(s->now_us / 1000);
		/* Linux's tcp_ack() takes rcv_tstamp and clears icsk_probes_out
		 * only past its old_ack exit: a bare ACK below SND.UNA (a
		 * reordered one) is no sign of life for the keepalive timer
		 * (keepalive_time_elapsed(); lrcvtime moves with data only;
		 * tests/pkt/linux/keepalive-old-ack-not-an-answer.pkt). */
		bool old_ack = s->cfg.keepalive_model == GT_KEEPALIVE_LINUX && !g.seglen && (g.h.flags & TH_ACK) &&
			       !(g.h.flags & TH_RST) && seq_lt(g.h.ack, c->snd_una);
		if (c->keep_at != TCP_TIMER_NONE && !old_ack) {
			tcp_keepalive_arm(s, c); /* the peer is alive */
			tcp_timers_update(s, c);
		}
		if (c->state == GT_TCP_SYN_SENT)
			syn_sent_input(s, c, &g);
		else
			synchronized_input(s, c, &g);
		return;
	}
	bool reuse = false;
	if (tw_input(s, dst, g.h.dport, src, g.h.sport, &g.h, g.seglen, &reuse) && !reuse)
		return;
	struct tcp_listener *l = tcp_listener_find(s, dst, g.h.dport);
	if (l && l->opts.md5sig && !listen_sig_ok(s, &g, seg, len))
		return;
	/* Linux: tcp_inbound_hash() for a listener, every segment (an RST
	 * too), with the listener's key for the peer. */
	if (l && !s->cfg.md5sig_bsd && (s->md5_lx_n || g.h.opts.has_sig) &&
	    !tcp_md5_lx_inbound(s, tcp_md5_lx_sock_key(s, l->owner, src), src, dst, seg, len, &g.h))
		return;
	if (l) {
		listen_input(s, l, &g);
		s->tw_reuse_pending = false;
		return;
	}
	s->tw_reuse_pending = false;
	s->st.TcpNoPort++;
	if (!blackholed(s, &g, true))
		reply_rst(s, &g);
}

/* The MSS fell (RFC 1191, RFC 8201): what is in flight goes again in
 * smaller segments. Linux's tcp_v4_mtu_reduced() and tcp_v6_mtu_reduced()
 * -> tcp_simple_retransmit(): every segment not SACKed is marked lost
 * (those longer than the new MSS: all of them, here) and, unless already in
 * the loss state, tcp_non_congestion_loss_retransmit() enters it, from a
 * fast recovery too: high_seq = SND.MAX, ssthresh = tcp_current_ssthresh()
 * (the recovery's own there), prior_ssthresh and undo_marker 0 (no undo),
 * and cwnd as it was ("Don't muck with the congestion window here"). The
 * profile's loss state is the one an RTO gives (tcp_timer.c's rto_fire()):
 * loss_pipe, go-back-N from SND.UNA past what was SACKed. A recovery
 * without SACK holds cwnd over the duplicated and lost bytes (reno_prr());
 * Linux's is what tcp_cwnd_linux() reports. Before, SND.NXT went back to
 * SND.UNA inside the recovery, and reno_prr()'s next cwnd, (SND.NXT -
 * SND.UNA) + sndcnt, was 0 (swarm seed 96220906).
 * FreeBSD's tcp_mtudisc(): t_rtttime 0, SND.NXT = SND.UNA,
 * tcp_free_sackholes(), snd_recover = SND.MAX, EXIT_FASTRECOVERY() with
 * SACK only (without it the NewReno recovery goes on to the new
 * snd_recover), cwnd untouched; then tcp_output(). */
static void pmtu_resend(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.loss_pipe_linux) {
		tcp_sack_rescue_clear(c);
		c->recover = c->snd_max;
		if (c->sack_ok)
			c->in_recovery = false;
	} else if (c->snd_max - c->snd_una <= (c->fin_sent ? 1u : 0u) +
						  (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED ? 1u : 0u) ||
		   !tcp_rack_mtu_fall_loses(s, c)) {
		/* "if (!tp->lost_out) return": no data in flight, or none
		 * of it lost or longer than the new MSS: nothing marked, no
		 * loss state (a FIN alone is no longer than any MSS;
		 * pmtu-fall-nothing-longer-resends-nothing.pkt; nor a SYN
		 * or SYN-ACK: a simultaneous open's SYN_RECEIVED kept no RTT
		 * sample and took ssthresh from a loss state,
		 * icmp-frag-needed-simultaneous-open-keeps-rtt-sample.pkt). */
		tcp_output(s, c);
		return;
	} else if (!c->loss_pipe) {
		uint32_t ssthresh = tcp_current_ssthresh(s, c);
		c->cwnd = tcp_cwnd_linux(c);
		if (c->cwnd < c->mss)
			c->cwnd = c->mss;
		c->ssthresh = ssthresh;
		c->prior_ssthresh = 0;
		/* undo_marker = 0: neither the recovery's undo nor one of
		 * the loss state's (tcp_rack_loss_undo_init() drops the
		 * recovery's, then the loss state's is switched off). */
		tcp_rack_loss_undo_init(c, true);
		tcp_rack_loss_undo_off(c);
		c->loss_undo_on = false;
		c->reno_undo_on = false;
		c->reno_undone = false;
		c->in_recovery = false;
		tcp_sack_prr_cong_end(c);
		c->reno_sacked = 0; /* tcp_limit_reno_sacked(): all is lost */
		c->reno_head_lost = false;
		c->dupacks = 0;
		c->ecn_reno_cwr = false;
		c->frto = 0;
		c->recover = c->snd_max;
		c->loss_pipe = true;
		c->reno_hold = !c->sack_ok;
	}
	if (s->cfg.loss_pipe_linux)
		tcp_rack_on_mtu_fall(s, c);
	c->rtt_timing = false; /* Karn (RFC 6298 3): the timed segment goes again */
	c->snd_nxt = c->snd_una;
	tcp_output(s, c);
}

/* Linux's errno for an ICMP or ICMPv6 error about one of our segments;
 * 0 where it ignores the message. IPv4: tcp_v4_err() with
 * icmp_err_convert[] for Destination Unreachable (codes past 15 ignored),
 * EHOSTUNREACH for Time Exceeded (icmp_unreach() drops the reassembly
 * code first), EPROTO for Parameter Problem; source quench and redirect
 * never reach TCP as errors. IPv6: icmpv6_err_convert(). Checked on Linux
 * 6.18 for fourteen of them (unit.pktrun_kernel_icmp_names_reach_linux_in_syn_sent). */
static int icmp_errno_linux(bool v6, uint8_t type, uint8_t code)
{
	static const uint8_t unreach4[16] = {
		ENETUNREACH, EHOSTUNREACH, ENOPROTOOPT, ECONNREFUSED, EMSGSIZE,   EOPNOTSUPP,
		ENETUNREACH, EHOSTDOWN,    ENONET,      ENETUNREACH,  EHOSTUNREACH, ENETUNREACH,
		EHOSTUNREACH, EHOSTUNREACH, EHOSTUNREACH, EHOSTUNREACH,
	};
	static const uint8_t unreach6[7] = {
		ENETUNREACH, EACCES, EHOSTUNREACH, EHOSTUNREACH, ECONNREFUSED, EACCES, EACCES,
	};
	if (v6) {
		switch (type) {
		case 1: return code < 7 ? unreach6[code] : EPROTO;
		case 3: return EHOSTUNREACH;
		case 4: return EPROTO;
		default: return 0;
		}
	}
	switch (type) {
	case 3: return code < 16 ? unreach4[code] : 0;
	case 11: return code == 0 ? EHOSTUNREACH : 0;
	case 12: return EPROTO;
	default: return 0;
	}
}

/* Linux (cfg.icmp_err_linux): tcp_v4_err() and tcp_v6_err() end a
 * connection in SYN_SENT, or a simultaneous open's SYN_RECEIVED, with any
 * error (tcp_done_with_error()); after that the error is soft
 * (sk_err_soft: reported if the connection times out). */
static void icmp_err_linux(gt_stack *s, struct tcp_conn *c, int err, bool req_abort)
{
	/* A passive open still a request (TCP_NEW_SYN_RECV): tcp_req_err()
	 * removes it silently where tcp_v4_err() calls the error fatal
	 * (parameter problem, time exceeded, network or host unreachable;
	 * tcp_v6_err(): icmpv6_err_convert()'s fatal, parameter problem and
	 * destination unreachable but codes 0, 2, 3), LINUX_MIB_LISTENDROPS, no
	 * RST; the handshake's ACK then meets the listener alone and gets
	 * one. Any other error leaves it as it was, no soft error kept
	 * (Linux 6.18: tests/pkt/linux/icmp-unreachable-syn-received-*.pkt). */
	if (c->passive && c->state == GT_TCP_SYN_RECEIVED && !tcp_tfo_child(c)) {
		if (req_abort) {
			s->st.TcpIcmpAborts++;
			tcp_conn_free(s, c, -err);
		}
		return;
	}
	/* tcp_v4_err(), SYN_SENT and SYN_RECV: "Only in fast or simultaneous
	 * open. If a fast open socket is already accepted it is treated as a
	 * connected one": a TFO child still queued ends with the error
	 * (tcp_done_with_error()) and stays in the accept queue. */
	bool tfo_queued = tcp_tfo_child(c) && c->in_accept_q;
	if (c->state == GT_TCP_SYN_SENT ||
	    (c->state == GT_TCP_SYN_RECEIVED && (!c->passive || tfo_queued))) {
		s->st.TcpIcmpAborts++;
		conn_reset(s, c, -err);
	} else {
		c->err = (int16_t)-err;
	}
}

/* FreeBSD's tcp_notify() for an error that does not drop the connection:
 * an established one ignores the unreachable ones; one still opening that
 * has resent several times and already holds a soft error gives up
 * ("t_rxtshift > 3 && t_softerror": tcp_drop()); else it is kept. */
static void icmp_notify_bsd(gt_stack *s, struct tcp_conn *c, int err)
{
	if (c->state == GT_TCP_ESTABLISHED &&
	    (err == -EHOSTUNREACH || err == -ENETUNREACH || err == -EHOSTDOWN))
		return;
	if ((c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED) && c->backoff > 3 && c->err) {
		s->st.TcpIcmpAborts++;
		/* tcp_drop(tp, error): TCPS_HAVERCVDSYN in a simultaneous
		 * open's SYN_RECEIVED, RST|ACK at snd_max through tcp_output()
		 * in CLOSED (tcp_subr.c). */
		if (c->state == GT_TCP_SYN_RECEIVED && !c->passive)
			tcp_send_rst_snd_max(s, c);
		conn_reset(s, c, err);
		return;
	}
	c->err = (int16_t)err;
}

/* An ICMP "fragmentation needed" or ICMPv6 "packet too big" quoting the
 * SYN-ACK of a passive open, its connection still a request: neither
 * profile learns the MTU or resends. Linux's tcp_v4_err() and tcp_v6_err()
 * hand a request socket (TCP_NEW_SYN_RECV) to tcp_req_err(), which only
 * drops it on a fatal error; neither route nor MSS changes, and the child
 * sends full-sized segments (Linux 6.18:
 * tests/pkt/linux/icmp-frag-needed-syn-received-ignored-ipv{4,6}.pkt). A
 * TFO child is a full socket there (tcp_v4_mtu_reduced()). FreeBSD keeps
 * the connection in the syncache, which tcp_ctlinput_with_port() and
 * tcp6_ctlinput_with_port() do not find as an inpcb: the error goes to
 * syncache_unreach(), which neither learns the MTU nor resends (its TFO
 * child, an inpcb at once, is left out here too). Taken on, pmtu_resend()
 * put SND.NXT back at the ISS, which tcp_output() does not resend from in
 * SYN_RECEIVED, and the handshake's ACK then left SND.UNA past SND.NXT
 * (fuzz/crashers/conn_state-bsd-synrcvd-frag-needed). */
/* FreeBSD's tcp_mtudisc() after the MSS fell, before the handshake ends:
 * SND.NXT = SND.UNA and tcp_output(). In SYN_SENT that sends the SYN again
 * at once (flags & TH_SYN without TF_NEEDSYN: "goto send"), its MSS
 * option tcp_mssopt()'s, min(route MTU, host cache MTU) - 40, the new
 * maxseg (adv); the retransmission timer runs on as armed. A simultaneous
 * open's SYN_RECEIVED has TF_NEEDSYN: tcp_output() sends nothing, and the
 * handshake's ACK brings SND.NXT up to SND.UNA (tcp_do_segment(): "if
 * (SEQ_LT(tp->snd_nxt, tp->snd_una)) tp->snd_nxt = tp->snd_una"), so
 * SND.NXT stays where it is here; a SYN|ACK sent again offers adv. Before,
 * pmtu_resend() put SND.NXT at the ISS and the ACK left SND.UNA past it.
 * Past the handshake: pmtu_resend(). */
static void icmp_resend_bsd(gt_stack *s, struct tcp_conn *c, uint32_t adv)
{
	if (c->state != GT_TCP_SYN_SENT && c->state != GT_TCP_SYN_RECEIVED) {
		pmtu_resend(s, c);
		return;
	}
	if (adv < c->rcv_mss)
		c->rcv_mss = (uint16_t)adv;
	/* tcp_mtudisc(): "t_rtttime = 0", and the SYN sent again is no new
	 * data (SND.NXT not past SND.MAX), so tcp_output() times nothing: the
	 * SYN-ACK gives no RTT sample without a timestamp echo (process_ACK's
	 * "else if (tp->t_rtttime && ...)"), t_rxtcur stays TCPTV_RTOBASE
	 * (icmp-frag-needed-syn-sent-no-rtt-sample.pkt). */
	c->rtt_timing = false;
	if (c->state == GT_TCP_SYN_SENT && s->cfg.fastopen_bsd && tcp_tfo_syn(c)) {
		/* tcp_output()'s TFO guard lets a segment from SND.UNA through
		 * (t_rxtshift 0): the SYN with the Fast Open option and data
		 * (tests/pkt/freebsd/fastopen-client-frag-needed-*.pkt). */
		struct tcp_opts fo;
		uint32_t maxseg = tcp_fastopen_bsd_syn_maxseg(s, c, &fo);
		tcp_send_syn_data_bsd_again(s, c, &fo, maxseg);
		return;
	}
	if (c->state == GT_TCP_SYN_SENT)
		tcp_send_syn(s, c);
}

static bool icmp_to_request(const gt_stack *s, const struct tcp_conn *c)
{
	return c->passive && c->state == GT_TCP_SYN_RECEIVED &&
	       (s->cfg.maxseg_bsd || !tcp_tfo_child(c));
}

void tcp_icmp_error(gt_stack *s, uint8_t type, uint8_t code, uint16_t mtu,
		    const uint8_t *inner, size_t inner_len)
{
	/* RFC 792: the quoted IP header and the first 8 bytes of our segment:
	 * ports and sequence number. */
	if (inner_len < IPV4_HDR_MIN)
		return;
	size_t ihl = (size_t)(inner[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_MIN || inner_len < ihl + 8 || inner[9] != IPPROTO_TCP_)
		return;
	ip_addr src = ip_addr_v4((uint32_t)inner[12] << 24 | (uint32_t)inner[13] << 16 |
				 (uint32_t)inner[14] << 8 | inner[15]);
	ip_addr dst = ip_addr_v4((uint32_t)inner[16] << 24 | (uint32_t)inner[17] << 16 |
				 (uint32_t)inner[18] << 8 | inner[19]);
	const uint8_t *t = inner + ihl;
	uint16_t sport = (uint16_t)(t[0] << 8 | t[1]), dport = (uint16_t)(t[2] << 8 | t[3]);
	uint32_t seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
	struct tcp_conn *c = tcp_lookup(s, src, sport, dst, dport);
	/* RFC 5927 4.1: believe only errors about data in flight (Linux's
	 * tcp_v4_err(): LINUX_MIB_OUTOFWINDOWICMPS). */
	if (!c)
		return;
	/* A Fast Open SYN's data lies past SND.UNA (tcp_tfo_syn_data()); the
	 * SYN itself is in flight from ISS, Linux's snd_una. */
	uint32_t una = tcp_tfo_syn_data(c) ? c->iss : c->snd_una;
	/* FreeBSD's tcp_ctlinput_with_port(): "SEQ_GEQ(icmp_tcp_seq,
	 * snd_una) && SEQ_LT(icmp_tcp_seq, snd_max)": an idle connection
	 * (snd_una == snd_max) takes no error at all, neither frag-needed
	 * (no host cache entry, t_maxseg kept) nor any other; Linux's
	 * tcp_v4_err() takes SND.UNA itself then. */
	bool idle_ok = !s->cfg.maxseg_bsd && una == c->snd_max;
	if (!seq_in(seq, una, c->snd_max + idle_ok)) {
		s->st.TcpOutOfWindowIcmps++;
		return;
	}
	if (s->cfg.icmp_err_linux && !(type == 3 && code == 4)) {
		int err = icmp_errno_linux(false, type, code);
		if (err)
			icmp_err_linux(s, c, err, type == 12 || type == 11 || (type == 3 && code <= 1));
		return;
	}
	if (type == 11) {
		/* A routing loop or too small a TTL: fatal while connecting
		 * with icmp_may_rst, soft afterwards; FreeBSD's icmp_errmap()
		 * ignores time exceeded in reassembly (code 1). */
		if (code != 0)
			return;
		if (c->state == GT_TCP_SYN_SENT && s->cfg.icmp_may_rst) {
			s->st.TcpIcmpAborts++;
			conn_reset(s, c, -EHOSTUNREACH);
		} else {
			icmp_notify_bsd(s, c, -EHOSTUNREACH);
		}
		return;
	}
	if (type == 12) {
		/* icmp_errmap(): a pointer to the error or a missing option
		 * is ENOPROTOOPT, notified; other codes ignored. */
		if (code <= 1)
			icmp_notify_bsd(s, c, -ENOPROTOOPT);
		return;
	}
	if (type != 3 || code > 15)
		return;
	switch (code) {
	case 4:
		/* A passive SYN_RECEIVED: neither learnt nor acted on
		 * (icmp_to_request()). */
		if (icmp_to_request(s, c))
			break;
		/* RFC 1191: lower the MSS and resend at once; the MTU is kept
		 * for the destination (s->pmtu), and is the route's now. */
		mtu = tcp_pmtu_learn(s, c, mtu);
		if (s->cfg.maxseg_bsd && mtu) {
			/* FreeBSD 14's tcp_ctlinput_with_port(): tcp_next_pmtu()
			 * raises the MTU to V_tcp_minmss + 40 (256 at 216), and
			 * only one under t_maxseg + 40 is taken; tcp_mtudisc()
			 * -> tcp_mss_update(): t_maxseg = max(mtu - 40, 64) (the
			 * host cache holds the MTU; with minmss 0 an offer of 0
			 * would be tcp_mssdflt, but the cached MTU bounds it),
			 * then tcp_maxseg() takes the options off each segment
			 * as for tcp_input.c's bsd_tcp_mss(). An MTU of 0 (no
			 * next-hop MTU: ip_next_mtu()) is not modelled. */
			uint32_t lo = (uint32_t)s->cfg.bsd_minmss + 40;
			uint32_t m = mtu < lo ? lo : mtu;
			uint32_t opts = tcp_seg_opt_bytes(c);
			if (m < tcp_bsd_icmp_maxseg(s, c) + 40) {
				uint32_t maxseg = m - 40 < 64 ? 64 : m - 40;
				tcp_mss_set_path(s, c, (uint16_t)(maxseg - opts));
				icmp_resend_bsd(s, c, maxseg);
			}
		} else if (mtu >= 68 + 40 && tcp_tfo_syn_data(c)) {
			/* Linux's tcp_v4_mtu_reduced() -> tcp_simple_retransmit()
			 * in SYN_SENT: "A fastopen SYN request is stored as two
			 * separate packets ... assume that the fastopen SYN was
			 * lost": the SYN goes again at once, without its data,
			 * offering the path's MSS (tcp_advertise_mss()); the
			 * data follows the handshake (tcp_fastopen_synack()). */
			if (mtu - 40u < c->rcv_mss) {
				c->rcv_mss = (uint16_t)(mtu - 40u);
				tcp_send_syn(s, c);
			}
		} else if (mtu >= 68 + 40) {
			/* The signature's 20 bytes too, as eff_mss(): Linux's
			 * tcp_mtu_to_mss() takes tcp_header_len, which has
			 * them (tcp_connect_init()); FreeBSD's tcp_maxseg(). */
			uint16_t m = (uint16_t)(mtu - 40 - (c->ts_ok ? 12 : 0) -
						(tcp_signs(c) ? TCP_MD5_OPT_BYTES : 0));
			/* tcp_v4_mtu_reduced(): with IP_PMTUDISC_DONT, INTERFACE
			 * or OMIT the route learns the MTU but nothing is resent
			 * at once ("if (inet->pmtudisc != IP_PMTUDISC_DONT &&
			 * ip_sk_accept_pmtu(sk) && ...)"); the next segment sent
			 * takes the smaller MSS (tcp_current_mss() ->
			 * tcp_sync_mss(): Linux 6.18, ip-mtu-discover-dont-*.pkt). */
			/* In SYN_SENT nothing is resent at once (the SYN is no
			 * longer than any MSS: tcp_simple_retransmit() marks
			 * nothing lost), but the SYN resent at the RTO offers
			 * the route's advmss, max(MTU - 40, ip_rt_min_advmss
			 * 256) (tcp_advertise_mss(), ipv4_default_advmss()),
			 * under min_pmtu too: 552 - 40 (Linux 6.18,
			 * icmp-frag-needed-syn-sent-*.pkt). */
			if (c->state == GT_TCP_SYN_SENT) {
				uint32_t adv = mtu - 40u < 256u ? 256u : mtu - 40u;
				if (adv < c->rcv_mss)
					c->rcv_mss = (uint16_t)adv;
			}
			bool resend = c->pmtud != TCP_PMTUD_NO_RESEND;
			if (!resend)
				s->st.TcpPmtuIgnoredBySocket++;
			int lx = tcp_mtup_frag_needed(s, c, mtu); /* Linux's MTU probing state */
			if (lx >= 0) {
				if (lx && resend)
					pmtu_resend(s, c);
			} else if (m < tcp_mss_path(c)) {
				tcp_mss_set_path(s, c, m); /* tcp_v4_mtu_reduced() */
				if (resend)
					pmtu_resend(s, c);
			}
		}
		break;
	case 2:  /* protocol unreachable */
	case 3:  /* port unreachable: RFC 1122 4.2.3.9 says these are hard errors */
	case 9:  /* network administratively prohibited */
	case 10: /* host administratively prohibited */
	case 13: /* communication administratively prohibited (RFC 1812) */
		/* FreeBSD drops the attempt only with icmp_may_rst
		 * (tcp_ctlinput() -> tcp_drop_syn_sent()); else soft. */
		if (c->state == GT_TCP_SYN_SENT && s->cfg.icmp_may_rst) {
			s->st.TcpIcmpAborts++;
			conn_reset(s, c, -ECONNREFUSED);
		} else {
			icmp_notify_bsd(s, c, -ECONNREFUSED);
		}
		break;
	default:
		/* Soft errors (RFC 1122 4.2.3.9): reported only if the
		 * connection later times out; icmp_errmap() calls every
		 * other code EHOSTUNREACH, which an established connection
		 * ignores (tcp_notify()). */
		icmp_notify_bsd(s, c, -EHOSTUNREACH);
		break;
	}
}

/* FreeBSD's tcp6_next_pmtu() and icmp6_mtudisc_update(): a Packet Too
 * Big under IPV6_MMTU means IPV6_MMTU - 8, 1272 ("alwaysfrag"). */
static uint32_t bsd_v6_next_pmtu(uint32_t mtu)
{
	return mtu < IPV6_MIN_MTU ? IPV6_MIN_MTU - 8u : mtu;
}

/* FreeBSD's icmp6_notify_error() calls icmp6_mtudisc_update() for every
 * Packet Too Big before tcp6_ctlinput_with_port() sees it, whatever it
 * quotes and whatever state the connection is in: an MTU under 48
 * (sizeof(struct ip6_hdr) + sizeof(struct ip6_frag) + 8) is dropped, one
 * under 1280 made 1272, and the host cache learns it when under its own
 * MTU for the destination, else the route's (tcp_hc_getmtu(),
 * tcp_maxmtu6()). The connection's t_maxseg is tcp6_ctlinput_with_port()'s
 * (below); the host cache bounds the next tcp_mss() and tcp_mssopt(). */
static void icmp6_mtudisc_update_bsd(gt_stack *s, const struct icmp6_tcp_error *e)
{
	if (e->mtu_sent < IPV6_HDR_LEN + 8u + 8u)
		return;
	ip_addr dst = e->faddr;
	uint32_t mtu = bsd_v6_next_pmtu(e->mtu_sent);
	uint32_t max = ip_pmtu_get(s, dst);
	if (!max)
		max = (uint32_t)ip_mss_for(s, dst) + IPV6_HDR_LEN + TCP_HDR_MIN;
	if (mtu >= max)
		return;
	(void)ip_pmtu_update(s, dst, mtu);
	/* An active open still in SYN_SENT reads the host cache twice more:
	 * tcp_output()'s tcp_mssopt() for the SYN it sends again (min(route
	 * MTU, host cache MTU) - 60) and the SYN-ACK's tcp_mss() ->
	 * tcp_mss_update() for t_maxseg, both mtu - 60 now; the profile
	 * fixes both at connect() (rcv_mss), so it lowers rcv_mss here. */
	struct tcp_conn *c = tcp_lookup(s, e->laddr, e->lport, e->faddr, e->fport);
	uint32_t adv = mtu - IPV6_HDR_LEN - TCP_HDR_MIN;
	if (c && c->state == GT_TCP_SYN_SENT && adv < c->rcv_mss)
		c->rcv_mss = (uint16_t)adv;
}

void tcp_icmp6_error(gt_stack *s, const struct icmp6_tcp_error *e)
{
	struct tcp_conn *c = tcp_lookup(s, e->laddr, e->lport, e->faddr, e->fport);
	/* t_maxseg as tcp6_ctlinput_with_port() finds it: a Fast Open's in
	 * SYN_SENT is read from rcv_mss, which the host cache's update
	 * below lowers first (tcp_bsd_icmp_maxseg()). */
	uint32_t was_maxseg = c && s->cfg.maxseg_bsd ? tcp_bsd_icmp_maxseg(s, c) : 0;
	if (e->kind == ICMP6_KIND_PMTU && s->cfg.pmtu_cache_bsd)
		icmp6_mtudisc_update_bsd(s, e);
	/* RFC 5927 4.1, as for IPv4: only errors about data in flight.
	 * FreeBSD's tcp6_ctlinput_with_port(): "SEQ_GEQ(icmp_tcp_seq,
	 * snd_una) && SEQ_LT(icmp_tcp_seq, snd_max)", so an idle connection
	 * (snd_una == snd_max) takes none; Linux's tcp_v6_err() takes SND.UNA
	 * itself then (tcp_icmp_error()). */
	bool idle_ok = !s->cfg.maxseg_bsd && c && c->snd_una == c->snd_max;
	if (!c)
		return;
	/* A Fast Open SYN's data lies past SND.UNA (tcp_tfo_syn_data()), the
	 * SYN in flight from ISS, as for IPv4 (tcp_icmp_error()): Linux's
	 * tcp_v6_err() checks between(seq, snd_una, snd_nxt), snd_una the
	 * ISS in SYN_SENT (a Packet Too Big then: below). */
	uint32_t una = tcp_tfo_syn_data(c) ? c->iss : c->snd_una;
	if (!seq_in(e->seq, una, c->snd_max + idle_ok)) {
		s->st.TcpOutOfWindowIcmps++;
		return;
	}
	if (e->kind != ICMP6_KIND_PMTU && s->cfg.icmp_err_linux) {
		int err = icmp_errno_linux(true, e->type, e->code);
		/* icmpv6_err_convert()'s fatal, which tcp_v6_err() hands a
		 * request (tcp_req_err()): parameter problem, and destination
		 * unreachable but for codes 0, 2 and 3 (no route, beyond
		 * scope, address unreachable: tab_unreach[]'s fatal 0); codes
		 * past its table are fatal (tests/pkt/linux/
		 * icmp6-unreachable-syn-received-*.pkt). */
		bool fatal = e->type == 4 ||
			     (e->type == 1 && e->code != 0 && e->code != 2 && e->code != 3);
		if (err)
			icmp_err_linux(s, c, err, fatal);
		return;
	}
	if (e->kind == ICMP6_KIND_HARD || e->kind == ICMP6_KIND_SOFT) {
		/* FreeBSD's tcp6_ctlinput_with_port(): "There are only four
		 * ICMPs that may reset connection": administratively
		 * prohibited, port unreachable, time exceeded in transit,
		 * unknown next header, and only with icmp_may_rst
		 * (tcp_drop_syn_sent()); time exceeded in reassembly is not
		 * an error (icmp6_errmap()); the rest go to tcp_notify(). */
		if (e->type == 3 && e->code != 0)
			return;
		bool reset = (e->type == 1 && (e->code == 1 || e->code == 4)) ||
			     (e->type == 3 && e->code == 0) || (e->type == 4 && e->code == 1);
		if (reset && s->cfg.icmp_may_rst && c->state == GT_TCP_SYN_SENT) {
			s->st.TcpIcmpAborts++;
			conn_reset(s, c, e->err);
		} else {
			icmp_notify_bsd(s, c, e->err);
		}
		return;
	}
	if (e->kind != ICMP6_KIND_PMTU)
		return; /* ignored (ICMP6_KIND_IGNORE) */
	if (icmp_to_request(s, c))
		return;
	/* Linux's tcp_v6_err() ignores a Packet Too Big under 1280 ("if
	 * (mtu < IPV6_MIN_MTU) goto out": neither route nor MSS changes),
	 * and in SYN_SENT tcp_v6_mtu_reduced() ignores any ("if
	 * (tcp_mtu_to_mss(sk, mtu) >= tcp_sk(sk)->mss_cache) return": until
	 * the SYN-ACK both are bounded by rx_opt.mss_clamp, TCP_MSS_DEFAULT
	 * 536; a TCP_MAXSEG over that is not modelled; a Fast Open SYN with
	 * data below): the route does not learn it, unlike IPv4's
	 * tcp_v4_mtu_reduced(). Linux 6.18:
	 * tests/pkt/linux/icmp6-packet-too-big-*.pkt,
	 * icmp-frag-needed-established-idle-ipv6.pkt. */
	if (!s->cfg.maxseg_bsd && e->mtu_sent < IPV6_MIN_MTU)
		return;
	if (!s->cfg.maxseg_bsd && c->state == GT_TCP_SYN_SENT) {
		/* A Fast Open SYN with data: tcp_fastopen_cookie_check()
		 * raised mss_clamp to the MSS cached with the cookie, so an
		 * MTU under it passes tcp_v6_mtu_reduced()'s test; as for
		 * IPv4 (tcp_icmp_error()), tcp_simple_retransmit() takes the
		 * SYN as lost and it goes again at once without its data,
		 * offering mtu - 60 (tests/pkt/linux/
		 * fastopen-client-syn-data-packet-too-big-ipv6.pkt). */
		if (tcp_tfo_syn_data(c) && e->mtu - (IPV6_HDR_LEN + TCP_HDR_MIN) < c->rcv_mss) {
			ip6_pmtu_update(s, c->faddr, e->mtu);
			c->rcv_mss = (uint16_t)(e->mtu - (IPV6_HDR_LEN + TCP_HDR_MIN));
			tcp_send_syn(s, c);
		}
		return;
	}
	/* FreeBSD's tcp6_ctlinput_with_port(): tcp6_next_pmtu() makes an MTU
	 * under 1280 1272, and only one under t_maxseg + 60 is taken (in
	 * SYN_SENT t_maxseg is V_tcp_v6mssdflt, 1220: tcp_bsd_icmp_maxseg(),
	 * so only one under 1280); tcp_hc_updatemtu(), then tcp_mtudisc() ->
	 * tcp_mss_update(): t_maxseg = max(mtu - 60, 64), the options off
	 * each segment as for IPv4 (tcp_icmp_error()); tcp_output() resends
	 * (icmp_resend_bsd()), the SYN offering tcp_mssopt()'s min(route MTU,
	 * host cache MTU) - 60, the same mtu - 60. */
	if (s->cfg.maxseg_bsd) {
		uint32_t mtu = bsd_v6_next_pmtu(e->mtu_sent);
		if (mtu >= was_maxseg + IPV6_HDR_LEN + TCP_HDR_MIN)
			return;
		(void)ip_pmtu_update(s, c->faddr, mtu);
		uint32_t maxseg = mtu - IPV6_HDR_LEN - TCP_HDR_MIN;
		if (maxseg < 64)
			maxseg = 64;
		tcp_mss_set_path(s, c, (uint16_t)(maxseg - tcp_seg_opt_bytes(c)));
		icmp_resend_bsd(s, c, maxseg);
		return;
	}
	/* RFC 8201 4-5: the path MTU for the destination falls (never below
	 * 1280, never up), and the MSS follows; what is in flight is sent
	 * again in smaller segments, as for IPv4. */
	ip6_pmtu_update(s, c->faddr, e->mtu);
	uint16_t m = ip_mss_for(s, c->faddr);
	if (c->peer_mss && c->peer_mss < m)
		m = c->peer_mss;
	if (c->rcv_mss < m)
		m = c->rcv_mss; /* as eff_mss(): TCP_MAXSEG bounds it too */
	if (c->ts_ok)
		m = (uint16_t)(m - 12);
	if (tcp_signs(c))
		m = (uint16_t)(m - TCP_MD5_OPT_BYTES);
	if (m < tcp_mss_path(c)) {
		tcp_mss_set_path(s, c, m);
		pmtu_resend(s, c);
	}
}
