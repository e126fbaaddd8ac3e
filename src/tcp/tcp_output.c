/* TCP output: building segments, deciding what to send (RFC 9293 3.8.6:
 * sender silly-window avoidance and Nagle, RFC 896), window advertisement with
 * receiver SWS avoidance (RFC 9293 3.8.6.2.2), options (RFC 7323, RFC 2018). */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"
#include "util/checksum.h"
#include "wire/ipv4.h"

static uint8_t synopt_layout(const gt_stack *s)
{
	return s->cfg.synopt_order == GT_SYNOPT_FREEBSD ? TCP_SYNOPT_FREEBSD : TCP_SYNOPT_LINUX;
}

/* A signed segment's options are laid out as the form of TCP_MD5SIG the
 * stack has: FreeBSD's tcp_addoptions(), or Linux's tcp_options_write(). */
static uint8_t opt_layout(const gt_stack *s, bool has_sig)
{
	if (has_sig)
		return s->cfg.md5sig_bsd ? TCP_SYNOPT_FREEBSD : TCP_SYNOPT_LINUX;
	return synopt_layout(s);
}

bool tcp_syn_opts_dropped(const gt_stack *s, const struct tcp_conn *c)
{
	/* FreeBSD's tcp_timer_rexmt(): with rexmit_drop_options, the third
	 * retransmitted SYN and those after it offer no window scale,
	 * timestamps or SACK (the MSS stays), and the connection uses none. */
	return c->state == GT_TCP_SYN_SENT && s->cfg.syn_rexmit_drop_opts &&
	       c->syn_retries >= s->cfg.syn_rexmit_drop_opts;
}

unsigned tcp_syn_offer(const gt_stack *s, const struct tcp_conn *c)
{
	if (tcp_syn_opts_dropped(s, c))
		return 0;
	/* cfg.syn_opts_at_open (FreeBSD): the TCB's own request, whatever the
	 * configuration says now; a run-time change between the SYN and the
	 * SYN-ACK left one side without the timestamps the other required
	 * (swarm seed 11011586). */
	bool at_open = s->cfg.syn_opts_at_open;
	return ((at_open ? c->req_ws : s->cfg.opt_wscale) ? TCP_OFFER_WS : 0u) |
	       ((at_open ? c->req_ts : s->cfg.opt_timestamps) ? TCP_OFFER_TS : 0u) |
	       ((at_open ? c->req_sack : s->cfg.opt_sack) ? TCP_OFFER_SACK : 0u);
}

static void trace_seg(gt_stack *s, const struct tcp_conn *c, uint32_t seq, uint32_t ack,
		      uint32_t len, uint16_t win, uint8_t flags, bool retrans)
{
	struct gt_trace_event ev = {
		.type = GT_TRACE_SEG_OUT, .now_us = s->now_us,
		.laddr6 = c->laddr, .faddr6 = c->faddr, .lport = c->lport, .fport = c->fport,
		.b = retrans, .seq = seq, .ack = ack, .len = len, .wnd = win, .flags = flags,
	};
	stack_trace(s, &ev);
}

/* The SACK blocks an ACK carries now: RFC 2883 4's duplicate first. */
static uint8_t sack_list(const gt_stack *s, const struct tcp_conn *c, struct tcp_sack_block *b,
			 uint8_t max)
{
	/* cfg.sack_list_linux: tp->selective_acks[] after the D-SACK block
	 * (tcp_options_write() writes from tp->duplicate_sack on);
	 * tcp_established_options() keeps what fits. */
	if (s->cfg.sack_list_linux)
		return tcp_reass_lx_sack_get(c, b, max);
	/* cfg.sack_list_bsd: tp->sackblks[] in order, as many as fit
	 * (tcp_addoptions()). */
	if (s->cfg.sack_list_bsd)
		return c->ooo ? tcp_reass_lx_sack_get(c, b, max) : 0;
	return c->nooo ? tcp_reass_sack_blocks(c, b, max) : 0;
}

/* No SACK block to send: no D-SACK waits, nothing is held out of order
 * (no range, no held FIN), so every list below is empty. A sender's every
 * segment asks, twice (tcp_send_mss() and xmit()): 6% of `glasstcp
 * serve`'s instructions (bench/PROFILE.md). */
static bool sack_none(const struct tcp_conn *c)
{
	return !c->sack_ok || (!c->dsack_pending && !c->ooo && !c->nooo && !c->fin_ooo);
}

static void sack_fill(const gt_stack *s, const struct tcp_conn *c, struct tcp_opts *o)
{
	uint8_t first = 0;
	if (sack_none(c)) {
		o->nsack = 0;
		return;
	}
	/* cfg.sack_list_bsd: the D-SACK block of data above RCV.NXT is in
	 * FreeBSD's list already (tcp_update_dsack_list()'s saved_blks[0],
	 * tcp_reass_bsd_sack_add()), where it stays after this ACK. */
	bool listed = s->cfg.sack_list_bsd && seq_gt(c->dsack.left, c->rcv_nxt);
	if (!c->sack_ok) {
		o->nsack = 0;
	} else if (c->dsack_pending && !listed) {
		o->sack[0].left = c->dsack.left;
		o->sack[0].right = c->dsack.right;
		o->nsack = 1 + sack_list(s, c, o->sack + 1, TCP_MAX_SACK - 1);
		first = 1;
	} else {
		o->nsack = sack_list(s, c, o->sack, TCP_MAX_SACK);
	}
	/* cfg.sack_fin_linux without Linux's list, whose blocks count the FIN
	 * already: the block that ends where the held FIN is counts it
	 * (tests/pkt/linux/sack-block-counts-held-fin.pkt). */
	if (s->cfg.sack_fin_linux && !s->cfg.sack_list_linux && c->fin_ooo)
		for (uint8_t i = first; i < o->nsack; i++)
			if (o->sack[i].right == c->ooo_fin_seq)
				o->sack[i].right++;
}

/* The send MSS: the data a segment sent now may carry, c->mss (which
 * has the timestamp and signature options off already) less the room its
 * SACK option takes. RFC 6691 2: the MSS counts no options, so the
 * sender takes the options of each segment off it. Linux's
 * tcp_current_mss(): mss_cache less what tcp_established_options() gives
 * beyond tp->tcp_header_len (the SACK blocks, the D-SACK one counted),
 * once per tcp_write_xmit() and per retransmission; FreeBSD's
 * tcp_output(): "len + optlen + ipoptlen > tp->t_maxseg" trims len to
 * t_maxseg - optlen with tcp_addoptions()'s optlen, SACK blocks in it.
 * Before, glasstcp kept full-sized segments and left SACK blocks out of
 * them. A signing connection is taken to have its key (Linux sends no
 * option without one: the MSS is then a few bytes short). */
__attribute__((noinline)) static uint32_t send_mss_sack(const gt_stack *s, const struct tcp_conn *c)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	sack_fill(s, c, &o);
	if (!o.nsack || c->noopt)
		return c->mss;
	o.has_ts = c->ts_ok;
	o.has_sig = tcp_signs(c);
	uint8_t buf[TCP_OPT_MAX];
	uint32_t olen = (uint32_t)tcp_opts_emit(buf, &o, false, opt_layout(s, o.has_sig));
	uint32_t base = tcp_seg_opt_bytes(c);
	uint32_t sack = olen > base ? olen - base : 0;
	return c->mss > sack + 8u ? c->mss - sack : c->mss;
}

/* Without a SACK block to send, the usual case, c->mss at once, the
 * blocks' work apart (send_mss_sack()): the whole function's frame (the
 * options and their buffer) cost 26 Ir a call, 12 now, for about 133,000
 * calls in 30 MB sent (bench/PROFILE.md, "The send loop's slack walk"). */
uint32_t tcp_send_mss(const gt_stack *s, const struct tcp_conn *c)
{
	return sack_none(c) ? c->mss : send_mss_sack(s, c);
}

/* FreeBSD's t_sndtime, "time last data was sent" (cfg.idle_restart 2),
 * for cc_after_idle()'s second clause: tcp_output() sets "tp->t_sndtime
 * = ticks" where "SEQ_GT(tp->snd_nxt, tp->snd_max)" after a segment, so
 * new data, a FIN or an active open's SYN, not a retransmission, nor a
 * probe of a zero window (the persist branch, which leaves it) (freebsd
 * main as stored in fel1x-developer/freebsd-src 2d614aa). A passive
 * open's SYN-ACK is the syncache's (syncache_respond()), before the
 * tcpcb: tcp_newtcpcb() zeroes it and syncache_socket() sets snd_max to
 * ISS + 1 but never t_sndtime, so it is 0 until the first data, "not
 * set" ("tp->t_sndtime && ..."), which the value 0 also means here (a
 * passive SYN is not counted below; docs/freebsd.md, "t_sndtime,
 * t_rcvtime and TF_LASTIDLE at the start"); a send at
 * stack ms 0 is taken as ms 1. It lives in last_snd_ms, which
 * cfg.maxunack_ms shares (acktime_ms): with that on, it is not kept
 * (docs/freebsd.md). */
static void bsd_sndtime(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags)
{
	uint32_t end = seq + len + ((flags & TH_FIN) ? 1u : 0u) +
		       ((flags & TH_SYN) && !c->passive ? 1u : 0u);
	if (s->cfg.maxunack_ms || !seq_gt(end, c->snd_max) || (c->snd_wnd == 0 && len && !(flags & TH_SYN)))
		return;
	uint32_t now_ms = (uint32_t)(s->now_us / 1000);
	c->last_snd_ms = now_ms ? now_ms : 1;
}

static void mtup_sent(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len);
static void lx_xmit_stamp(const gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len,
			  bool retrans);

/* Linux's __tcp_transmit_skb(): "if (unlikely(err > 0)) { tcp_enter_cwr(sk);
 * err = net_xmit_eval(err); }". A qdisc's drop (NET_XMIT_DROP) of any
 * segment a connection sends, a pure ACK, a probe or a keepalive as much as
 * data, a FIN or a retransmission, starts a congestion window reduction
 * where none runs (tcp_enter_cwr(): icsk_ca_state below TCP_CA_CWR):
 * tcp_init_cwnd_reduction() takes ssthresh from the algorithm (CUBIC 7
 * from cwnd 10), keeps cwnd as prior_cwnd, high_seq SND.NXT, and the next
 * ACKs bring cwnd down by PRR (the ECE's CWR machinery: tcp_ecn.c,
 * tcp_rack.c cwr_step(), reno_cwr_step() without SACK); an ACK above
 * high_seq ends it, cwnd ssthresh. Linux 6.18.44: ca_state 2, ssthresh 7
 * after a refused write, a refused delayed ACK, a refused loss probe
 * (tests/pkt/linux/qdisc-full-cwr-*.pkt). A SYN's reduction does not
 * outlive the handshake (tcp_init_transfer(): ca_state 0, ssthresh
 * unset once ESTABLISHED) and a SYN-ACK goes by ip_build_and_send_pkt(),
 * not here: neither enters it. The Linux profile only (cfg.tx_busy_linux);
 * FreeBSD's tcp_output() sets cwnd to one segment for data instead
 * (tx_refused_bsd()). */
static void tx_refused_cwr(gt_stack *s, struct tcp_conn *c, uint8_t flags)
{
	if (!s->cfg.tx_busy_linux || (flags & TH_SYN) || c->state < GT_TCP_ESTABLISHED || !c->mss ||
	    tcp_rack_ca_state(c) >= GT_TCP_CA_CWR)
		return;
	uint32_t cwnd = c->cwnd;
	tcp_rack_start(s, c); /* the log, where the CWR state lives, if none yet */
	tcp_cubic_lx_alloc(s, c); /* CUBIC's ssthresh, as bictcp_recalc_ssthresh() */
	c->cc->on_loss(c, s->now_us);
	if (tcp_rack_cwr_enter(s, c)) {
		c->cwnd = cwnd;
	} else if (tcp_ecn_reno_cwr_on(s, c)) {
		c->ecn_reno_cwr = true; /* without SACK: tcp_ecn_echo()'s fields */
		c->reno_prr_delivered = 0;
		c->prior_cwnd = cwnd;
		c->cwnd = cwnd;
		c->ecn_recover = c->snd_max;
	} else if (c->cwnd > c->ssthresh) {
		c->cwnd = c->ssthresh;
	}
	/* tcp_init_cwnd_reduction() -> tcp_ecn_queue_cwr(): CWR on the next
	 * data segment where RFC 3168 ECN runs. */
	if (c->ecn_ok && !c->ace_ok)
		c->ecn_cwr = true;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "device refused");
}

/* The options of a SYN or SYN-ACK (synack), fo the Fast Open option. */
static void syn_opts_fill(gt_stack *s, struct tcp_conn *c, bool synack, const struct tcp_opts *fo,
			  struct tcp_opts *o)
{
	o->has_mss = true;
	o->mss = c->rcv_mss;
	/* RFC 7323 2.2, RFC 2018 2: a SYN-ACK offers only what the SYN
	 * had, as taken when it came (c->*_ok: Linux's
	 * tcp_synack_options() reads the request's flags, FreeBSD's
	 * syncache_respond() sc_flags), never the configuration again:
	 * a SYN-ACK resent after a change would otherwise drop an
	 * option the connection uses. */
	unsigned offer = synack ? 0 : tcp_syn_offer(s, c);
	o->has_wscale = synack ? c->ws_ok : (offer & TCP_OFFER_WS) != 0;
	o->wscale = c->rcv_wscale;
	o->sack_ok = synack ? c->sack_ok : (offer & TCP_OFFER_SACK) != 0;
	o->has_ts = synack ? c->ts_ok : (offer & TCP_OFFER_TS) != 0;
	/* Linux's tcp_syn_options(): no timestamps next to a signature
	 * ("&& !*md5"). */
	if (!synack && tcp_signs(c) && !s->cfg.md5sig_bsd)
		o->has_ts = false;
	/* A SYN-ACK's cookie given, or an active open's SYN asking
	 * for one or carrying it (tcp_syn_options():
	 * OPTION_FAST_OPEN_COOKIE). */
	if (fo && fo->has_fo) {
		o->has_fo = true;
		o->fo_exp = fo->fo_exp;
		o->fo_len = fo->fo_len;
		memcpy(o->fo, fo->fo, fo->fo_len);
	}
}

/* Sends one segment of the connection: header, options and len bytes of the
 * send buffer starting at seq. */
/* fo: a SYN-ACK's Fast Open option (RFC 7413 4.1.2: the cookie given), or
 * NULL. */
static void xmit_fo(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags,
		    const struct tcp_opts *fo)
{
	uint8_t *seg = s->out + ip_hdr_len(c->faddr);
	uint8_t opts[TCP_OPT_MAX];
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	bool syn = flags & TH_SYN;
	uint16_t win;
	uint8_t ect = 0;
	bool ae;
	if (syn && !(flags & TH_ACK))
		flags |= tcp_ecn_syn_flags(s, c, &ae);
	else
		ect = tcp_ecn_output(s, c, seq, len, &flags, &ae);
	if (syn) {
		/* RFC 7323 2.2: the window of a SYN is never scaled. */
		uint32_t mss = c->rcv_mss;
		/* A simultaneous open's SYN-ACK may keep the SYN's window
		 * (cfg.simopen_synack_syn_rwnd, Linux's tcp_send_synack()). */
		bool keep = !c->passive && s->cfg.simopen_synack_syn_rwnd;
		if ((flags & TH_ACK) && (c->ts_ok || c->ts_given_up) && !c->noopt && !keep)
			mss -= 12;
		/* Linux's tcp_connect_init(): a SYN with an inherited
		 * ts_recent_stamp (a reused TIME_WAIT pair, the only SYN
		 * with a TS.Recent: tcp_user_connect(); the TCB has no bit
		 * to spare for one of 0) takes the timestamp option off the
		 * MSS its window is quantized to. */
		if (!(flags & TH_ACK) && s->cfg.tw_reuse_linux && c->ts_recent &&
		    s->cfg.opt_timestamps && !c->noopt)
			mss -= 12;
		uint32_t wnd = tcp_initial_rwnd(s, tcp_rcvbuf(c), mss);
		win = wnd > 65535 ? 65535 : (uint16_t)wnd;
		if (seq_lt(c->rcv_adv, c->rcv_nxt + win))
			c->rcv_adv = c->rcv_nxt + win;
		c->rcv_wnd = wnd;
		c->rcv_ssthresh = wnd;
		s->wnd_memo = NULL; /* the window's state set anew */
	}
	if (syn && c->noopt) {
		/* no options */
	} else if (syn) {
		syn_opts_fill(s, c, flags & TH_ACK, fo, &o);
	} else {
		win = (flags & TH_RST) && !s->cfg.rst_carries_window ? 0 : tcp_window_field(s, c);
		tcp_autotune_bsd_sent(s, c); /* FreeBSD's tcp_output(): rfbuf_ts */
		if (flags & TH_ACK) {
			sack_fill(s, c, &o);
			if (o.nsack && !s->tx_dsack_keep)
				c->dsack_pending = false; /* RFC 2883 4: once */
		}
	}
	if (!c->noopt && (c->ts_ok || (syn && o.has_ts))) {
		o.has_ts = true;
		o.ts_val = tcp_now_ts(s, c);
		o.ts_ecr = (flags & TH_ACK) ? c->ts_recent : 0;
		/* Linux's tcp_syn_options(): a SYN echoes ts_recent, which only
		 * a reused TIME_WAIT pair has set (tcp_user_connect()). */
		if (syn && !(flags & TH_ACK) && s->cfg.tw_reuse_linux)
			o.ts_ecr = c->ts_recent;
	}
	/* FreeBSD's tcp_output(): TF_SIGNATURE asks TOF_SIGNATURE of every
	 * segment, unless TF_NOOPT sends no options at all. */
	o.has_sig = tcp_signs(c);
	const struct tcp_md5_lkey *lk = o.has_sig ? tcp_md5_lx_conn_key(s, c) : NULL;
	if (o.has_sig && !s->cfg.md5sig_bsd && !lk)
		o.has_sig = false; /* Linux: no key for the peer, no option */
	size_t olen = tcp_opts_emit(opts, &o, syn, opt_layout(s, o.has_sig));
	/* RFC 6691: options count against the MSS. Data is cut to
	 * tcp_send_mss(); a segment cut before the blocks changed (a pure
	 * ACK's path, a probe) still leaves blocks out rather than pass the
	 * path's MSS. A TSO segment (longer than an MSS) keeps them: the
	 * device cuts it at the MTU less the headers, these options in them. */
	while (len && len <= c->mss && o.nsack &&
	       olen + len > c->mss + (c->ts_ok ? 12u : 0u) + (o.has_sig ? TCP_MD5_OPT_BYTES : 0u)) {
		o.nsack--;
		olen = tcp_opts_emit(opts, &o, syn, opt_layout(s, o.has_sig));
	}
	uint32_t ack = (flags & TH_ACK) ? c->rcv_nxt : 0;
	struct tcp_hdr h = {
		.sport = c->lport, .dport = c->fport, .seq = seq, .ack = ack,
		.doff_bytes = (uint8_t)(TCP_HDR_MIN + olen), .flags = flags, .ae = ae, .win = win,
	};
	/* With a gather device the payload stays in the send buffer and the
	 * device copies it from there (one copy less per segment). */
	uint16_t tun = tcp_tun_port(s, c); /* FreeBSD's t_port */
	/* The digest reads the payload, and so does the UDP checksum. */
	bool gather = len && s->dev.transmitv && !o.has_sig && !tun;
	/* The send buffer starts at SND.UNA; a SYN's data (an active open's
	 * Fast Open) at ISS+1, where SND.UNA was put (tcp_tfo_syn_data()). */
	uint32_t off = seq - c->snd_una + (syn ? 1u : 0u);
	bool unsent = false;
	uint32_t psum = ip_pseudo_sum(c->laddr, c->faddr, IPPROTO_TCP_, 0);
	struct gt_iovec pay[2];
	int npay = 0;
	if (gather) {
		const uint8_t *span[2];
		uint32_t span_len[2];
		npay = ring_spans(&c->snd, off, len, span, span_len);
		for (int i = 0; i < npay; i++)
			pay[i] = (struct gt_iovec){span[i], span_len[i]};
		tcp_emit_psum(seg, &h, opts, olen, len, psum, true);
		if (!s->dev.tx_csum_offload) {
			/* The field holds the pseudo-header sum: summing the
			 * header with it, then the payload pieces, is the whole
			 * checksum (RFC 9293 3.1). */
			uint32_t sum = csum_partial(seg, h.doff_bytes, 0);
			size_t before = 0;
			for (int i = 0; i < npay; i++) {
				sum = csum_partial_at(pay[i].base, pay[i].len, sum, before);
				before += pay[i].len;
			}
			seg[16] = (uint8_t)(csum_fold(sum) >> 8);
			seg[17] = (uint8_t)csum_fold(sum);
		}
	} else {
		if (len)
			ring_peek(&c->snd, off, seg + TCP_HDR_MIN + olen, len);
		tcp_emit_psum(seg, &h, opts, olen, len, psum, s->dev.tx_csum_offload);
		/* No key: FreeBSD's tcp_output() frees the segment unsent
		 * (the state moves on as if it had been lost). */
		if (o.has_sig)
			unsent = !tcp_md5_sign_built(s, lk, c->laddr, c->faddr, seg, TCP_HDR_MIN + olen + len,
						     psum, s->dev.tx_csum_offload);
	}
	bool retrans = len && seq_lt(seq, c->snd_max);
	if (retrans && o.has_ts)
		c->rexmit_tsval = o.ts_val;
	if (retrans && c->loss_pipe && c->rack) /* Linux's undo_retrans */
		tcp_rack_loss_retransmitted(c);
	if (stack_tracing(s))
		trace_seg(s, c, seq, ack, len, win, flags, retrans);
	s->tx_tos = (uint8_t)(c->ip_dscp << 2 | ect);
	s->tx_ttl = tcp_tx_ttl(c);
	s->tx_nodf = !tcp_ip_df(s, c);
	/* Linux's tcp_event_data_sent(): CA_EVENT_TX_START when nothing is
	 * in flight, new data at SND.UNA (a retransmission with nothing in
	 * flight comes after a timeout, whose reduction ended any epoch). */
	if (len && c->cc->on_sent)
		c->cc->on_sent(c, !retrans && seq == c->snd_una, s->now_us);
	if (len && s->cfg.idle_restart == 1)
		c->last_snd_ms = (uint32_t)(s->now_us / 1000);
	else if (s->cfg.idle_restart == 2)
		bsd_sndtime(s, c, seq, len, flags);
	if ((len || (flags & TH_FIN)) && !syn && !c->acktime_on && s->cfg.maxunack_ms)
		tcp_progress_start(s, c);
	if (len && c->sacked)
		tcp_sack_prr_sent(c, len); /* prr_out of an ECN reduction */
	if (len && s->cfg.pmtud_blackhole)
		tcp_pmtud_sent(s, c, len);
	if (c->lx)
		mtup_sent(s, c, seq, len); /* ip_queue_xmit(): __sk_dst_check() */
	int rc = 0;
	/* A TSO segment to a device told its piece size (gt_device
	 * transmit_gso): what the MSS leaves beside this segment's options,
	 * FreeBSD's tcp_output() "tso_segsz = tp->t_maxseg - optlen" and
	 * the mss_now of Linux's tcp_set_skb_tso_segs() (tcp_current_mss()
	 * took the same options off). seg_max_of() cut len by that MSS. */
	uint32_t base = tcp_seg_opt_bytes(c);
	uint32_t gso = c->mss + base > olen ? c->mss + base - (uint32_t)olen : 0;
	if (len > gso && gso && s->dev.transmit_gso && s->dev.tso_max_bytes && !tun && !o.has_sig &&
	    !s->tx_whole)
		s->tx_gso = (uint16_t)gso;
	if (gather)
		rc = ip_outputv(s, c->laddr, c->faddr, IPPROTO_TCP_, TCP_HDR_MIN + olen, pay, npay, len);
	else if (!unsent && tun)
		rc = ip_output(s, c->laddr, c->faddr, IPPROTO_UDP_,
			       tcp_udptun_wrap(s, c->laddr, c->faddr, seg, TCP_HDR_MIN + olen + len, tun));
	else if (!unsent)
		rc = ip_output(s, c->laddr, c->faddr, IPPROTO_TCP_, TCP_HDR_MIN + olen + len);
	/* The device's queue was full (struct gt_device): not sent. The
	 * callers that send data and FINs decide what that means
	 * (tx_refused()); an ACK, SYN, SYN-ACK or RST is lost, as Linux's
	 * callers of tcp_transmit_skb() for them ignore its error. */
	s->tx_refused = rc == -ENOBUFS;
	if (s->tx_refused && retrans)
		s->st.TcpRetransFail++; /* __tcp_retransmit_skb(): LINUX_MIB_TCPRETRANSFAIL */
	if (s->tx_refused)
		tx_refused_cwr(s, c, flags);
	s->tx_tos = s->tx_ttl = 0; /* this packet's alone, whatever path sent it */
	s->tx_nodf = false;
	s->tx_gso = 0;
	if (retrans || ((flags & (TH_SYN | TH_FIN)) && seq_lt(seq, c->snd_max))) {
		s->st.TcpRetransSegs++;
		c->cnt.retrans_segs++;
	} else {
		s->st.TcpOutSegs++;
	}
	if (flags & TH_RST)
		s->st.TcpOutRsts++;
	c->cnt.segs_out++;
	lx_xmit_stamp(s, c, seq, len, retrans);
	/* Linux's __tcp_transmit_skb(): a segment that carries data adds its
	 * payload to bytes_sent and itself to data_segs_out, retransmissions
	 * too, and __tcp_retransmit_skb() its length to bytes_retrans; all
	 * before the qdisc, so a segment the device refused counts. */
	if (len) {
		c->cnt.bytes_sent += len;
		if (s->cfg.tcpi_chrono)
			tcp_lx_stats_sent(s, c, len, retrans);
	}
	/* Linux's tcp_event_data_sent(): within ato of the last segment
	 * received, in reply to it. */
	uint32_t reply_us = s->cfg.delack_linux ? c->ato_us : (uint32_t)s->cfg.delack_us;
	if (len && c->last_data_rcv_ms && tcp_data_rcv_age_us(s, c) < reply_us)
		c->pingpong = true; /* an answer follows the request: interactive */
	if (flags & TH_ACK) {
		if (s->cfg.delack_linux) {
			/* tcp_dec_quickack_mode(): one fewer per ACK that
			 * answered data; out of quick-ACK mode, the shortest
			 * timeout again. */
			if (c->quickack &&
			    (c->unacked_segs || c->ack_now || c->delack_at != TCP_TIMER_NONE) &&
			    !--c->quickack)
				c->ato_us = 40000;
		} else if (c->quickack) {
			uint8_t n = c->unacked_segs ? c->unacked_segs : 1;
			c->quickack = c->quickack > n ? c->quickack - n : 0;
		}
		c->ack_now = false;
		c->ack_deferred = false; /* this segment carries the held ACK */
		c->ack_pushed = c->ack_pushed2 = false;
		c->unacked_segs = 0;
		c->rcv_unacked = 0;
		/* tcp_event_ack_sent(): this ACK stands for those SACK
		 * compression held; its timer stops. */
		s->st.TcpAckCompressed += c->compressed_ack;
		c->compressed_ack = 0;
		if (c->delack_at != TCP_TIMER_NONE) {
			c->delack_at = TCP_TIMER_NONE;
			tcp_timers_update(s, c);
		}
	}
}

static void xmit(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags)
{
	xmit_fo(s, c, seq, len, flags, NULL);
}

/* The Linux side struct (c->lx): what the Linux profile keeps beyond the
 * TCB's budget. Its send half (PSH marks, skb ends in flight, the cut
 * MSS) is described with Linux's PSH below. Two sizes: the head alone
 * (LX_HEAD bytes: the path MSS, the receiver's RTT timing and the
 * out-of-order records, which an idle connection keeps), or with the marks and skb
 * ends (whole), which a write needs and which are empty once everything
 * sent is acknowledged: tcp_lx_idle() gives them back then (TcpLxShrunk),
 * so a flow that has moved data holds the head (112 bytes since Linux's
 * tcp_info counters joined the chrono, cfg.tcpi_chrono) instead of the
 * whole. One that has moved none holds
 * no head: the handshake's RTT sample and ACK make it, and
 * tcp_lx_shed() gives it back, as the TCB derives all it then holds. */
struct tcp_lxtx {
	/* The skbs held out of order (rcv_wnd_linux), NULL while none. */
	struct lx_ofo *ofo;
	/* tcp_rcv_rtt_measure()'s rcv_rtt_est: the sequence that ends the
	 * window being timed, and when it began (stack us, mod 2^32; 0 none). */
	uint32_t rtt_est_seq, rtt_est_us;
	uint16_t mss_path;              /* cfg.mss_half_wnd: the path's MSS while c->mss is cut; 0 none */
	/* FreeBSD's PMTU black-hole detection (cfg.pmtud_blackhole, either
	 * profile: this head is the connection's side struct, kept out of
	 * the TCB): t_pmtud_saved_maxseg, not 0 while TF2_PLPMTU_BLACKHOLE
	 * is set; t_blackhole_exit; TF2_PLPMTU_MAXSEGSNT (bh_full).
	 * t_blackhole_enter is always 2 and TF2_PLPMTU_PMTUD is derived
	 * (tcp_pmtud_blackhole_rto()). Laid out to keep the head at 24
	 * bytes, as it was before them. */
	uint16_t bh_saved_maxseg;
	uint8_t nmark, nskb;            /* 0 unless whole */
	bool whole : 1;                 /* v[] allocated */
	bool bh_full : 1;
	bool no_grow : 1;               /* a write's full skb without a push: tcp_push_one() */
	bool cwnd_limited : 1;          /* cwnd_validate(): tp->is_cwnd_limited */
	bool rtt_linux : 1;             /* rtt_mdev_max_us and rtt_seq are set */
	bool una_cut : 1;               /* SND.UNA inside an skb (tcp_lx_head_cut()) */
	uint8_t bh_exit;
	uint8_t neor;                   /* MSG_EOR ends kept (LX_EOR), 0 unless whole */
	/* Linux's sacked_out without SACK, as tp->delivered counts it
	 * (tcp_lx_reno_delivered()): the duplicates held to packets_out
	 * less one hole; at most c->dupacks. */
	uint8_t reno_sacked;
	/* The MSS sk_pacing_rate was last set with, while a path change
	 * (tcp_mss_set_path()) has moved c->mss since and no ACK has come
	 * to set it again; 0: c->mss (lx_tso_segs_mss()). */
	uint16_t pace_mss;
	/* The receive buffer while SO_RCVBUF is lowered under what the ring
	 * holds (c->rcv_low, tcp_rcvbuf_lower()): sk_rcvbuf, or FreeBSD's
	 * sb_hiwat, smaller than the ring. */
	uint32_t rcvbuf_low;
	/* cfg.rto_min_adds_srtt: Linux's tcp_rtt_estimator() round,
	 * tp->mdev_max_us (the round's largest mdev, at least rto_min) and
	 * tp->rtt_seq (the SND.NXT whose ACK ends the round): one profile's
	 * state, kept out of the TCB (tcp_rtt_sample()); and tp->rttvar_us,
	 * the variance term the RTO adds, which rto_us - srtt_us no longer
	 * gives once the RTO is rounded up to jiffies (cfg.rto_jiffy_us). */
	uint32_t rtt_mdev_max_us, rtt_seq, rtt_rttvar_us;
	/* The receive queue's head as the last collapse left it
	 * (rcv_wnd_linux, lx_collapse_rcvq()), parts of c->rcv.len and
	 * c->rcv.mem: rcv_kept bytes in skbs no larger at the scaling ratio
	 * than their payload, which tcp_collapse() skips, and their memory;
	 * then the last skb it made (rcv_tail, 0: none), which segments
	 * copied into its room (skb_try_coalesce()) may make one to skip. */
	uint32_t rcv_kept, rcv_kept_mem;
	uint16_t rcv_tail, rcv_tail_mem;
	/* Linux's MTU probing and the connection's cached route
	 * (struct tcp_mtup below), NULL unless cfg.mtu_probing or a route
	 * (gt_route_set()) asks for them. */
	struct tcp_mtup *mtup;
	/* cfg.tcpi_chrono: Linux's chrono and rcv_tstamp (tcp_info.c). */
	struct tcp_chrono chrono;
	/* cfg.tcpi_chrono: Linux's tcp_info counters beyond the TCB
	 * (tcp_lx_stats_sent()); all 0 until data goes out. */
	struct tcp_lx_stats stats;
	/* cfg.min_rtt_wlen_s: tp->rtt_min's three choices (tcp_lx_rtt_min()),
	 * each when taken (jiffies, mod 2^32) and its value (us, 0: none
	 * kept yet); the first value is c->min_rtt_us. */
	uint32_t rtt_min_t[3], rtt_min_v[3];
	/* FreeBSD's TCP_KEEPIDLE and TCP_KEEPINTVL above what the TCB's 15
	 * bits hold (32,767 s), and TCP_KEEPCNT above its 8 (255), whole:
	 * tcp_default_ctloutput() takes the times up to UINT_MAX / hz
	 * (4,294,967 s at hz 1000), the count as any u_int. Indexed by enum
	 * tcp_keep_long; 0: the TCB's value stands (tcp_keep_long_set()).
	 * Never shed: lx_unshed() does not make them. */
	uint32_t keep_long[TCP_KEEP_LONGS];
	/* Whole: the PSH marks (LX_MARK, TCP_PSH_MARKS) and the skb ends
	 * (LX_SKB, TCP_LX_SKBS), each sorted, above snd_una; then
	 * tcp_grow_skb()'s mark (LX_GROW_END): the end of the unsent head
	 * skb a grow made longer than the size goal, while full skbs follow
	 * it (lx_grow()); valid only above snd_max and at or below the tail
	 * skb's start, 0 none. Only a write leaves data unsent, and a write
	 * makes the struct whole, so the mark lives there. Then the length
	 * of the full unsent skbs (LX_FULL_LEN): the size goal the write
	 * that made them had, which they keep when the goal changes (a
	 * window that grows, an MSS that falls), 0 for the goal now. Then
	 * cwnd_validate()'s tp->max_packets_out and tp->cwnd_usage_seq
	 * (LX_MAX_OUT, LX_USAGE_SEQ): only data in flight needs them, and
	 * data in flight has made the struct whole. Then the ends of skbs a
	 * write with MSG_EOR closed (LX_EOR, TCP_LX_EORS, sorted, above
	 * snd_una): tcp_sendmsg_locked() sets TCP_SKB_CB(skb)->eor on the
	 * write's last skb, and nothing joins it after: no later write
	 * (tcp_skb_can_collapse_to()), no tcp_grow_skb(), no
	 * tcp_retrans_try_collapse() (tcp_skb_can_collapse()). */
	uint32_t v[];
};
#define LX_HEAD sizeof(struct tcp_lxtx)
/* 24 bytes until rcvbuf_low, 32 until Linux's RTT round, 40 until the
 * receive queue's collapsed head (56), then the MTU probing pointer (64),
 * then the chrono (88), then the tcp_info counters (112), then min_rtt's
 * window (136), then FreeBSD's long keepalive times (144, branch h-bsd)
 * and count (152 with the alignment's padding, branch h-bsd2); the head
 * is what an idle connection with a side struct keeps. */
_Static_assert(sizeof(struct tcp_lxtx) <= 152, "the Linux side struct's head grew");
#define TCP_LX_EORS 16
/* What lx_tso_defer() reads (tcp_tso_should_defer()): when the last
 * segment went (tp->tcp_wstamp_ns), and when the data in flight was last
 * sent, burst by burst, so that the skb at SND.UNA has a send time
 * (tcp_rtx_queue_head()'s tstamp): LX_TSLOG records of where a burst
 * began and when, oldest first (LX_TSO(x) below). */
#define LX_TSLOG 8
#define LX_TSO_SLOTS (4 + 3 * LX_TSLOG)
#define LX_WHOLE \
	(LX_HEAD + (TCP_PSH_MARKS + TCP_LX_SKBS + 4 + TCP_LX_EORS + 4 + LX_TSO_SLOTS) * sizeof(uint32_t))
#define LX_MARK(x) ((x)->v)
#define LX_SKB(x) ((x)->v + TCP_PSH_MARKS)
#define LX_GROW_END(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS])
#define LX_FULL_LEN(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 1])
#define LX_MAX_OUT(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 2])
#define LX_USAGE_SEQ(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 3])
#define LX_EOR(x) ((x)->v + TCP_PSH_MARKS + TCP_LX_SKBS + 4)
/* lx_flight_slack()'s walk as far as it is known: the whole skbs after
 * the skb end LX_SLACK_FIRST up to the end LX_SLACK_POS, their slack
 * summed in LX_SLACK_SUM, for an MSS of LX_SLACK_MSS (0: nothing known). */
#define LX_SLACK_FIRST(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 4 + TCP_LX_EORS])
#define LX_SLACK_POS(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 4 + TCP_LX_EORS + 1])
#define LX_SLACK_SUM(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 4 + TCP_LX_EORS + 2])
#define LX_SLACK_MSS(x) ((x)->v[TCP_PSH_MARKS + TCP_LX_SKBS + 4 + TCP_LX_EORS + 3])
/* The TSO deferral's times (LX_TSO_SLOTS): [0], [1] the last segment's
 * send time (stack us, low and high half), valid with LX_TSO_XMIT in [2],
 * whose low byte counts the burst records from [4]: each the sequence
 * where it began and its time (low, high). LX_TSO_HELD in [2]: the last
 * tcp_output() held the send head at [3] (SND.MAX then). */
#define LX_TSO(x) ((x)->v + TCP_PSH_MARKS + TCP_LX_SKBS + 4 + TCP_LX_EORS + 4)
#define LX_TSO_XMIT 0x100u
#define LX_TSO_HELD 0x200u
#define TSLOG0 4

/* Linux's out-of-order queue as memory (tcp_data_queue_ofo()): each skb
 * held, where it starts and ends, its truesize and the room its buffer
 * left (skb_try_coalesce() copies a next segment there), sorted by
 * sequence; mem is their sum, charged to sk_rmem_alloc as they come. The
 * array starts at 8 records and doubles as skbs come, up to TCP_LX_OFO
 * (Linux's 6 MiB tcp_rmem[2] holds about 2,700 full-sized skbs): past
 * that, or without memory to grow, a new skb's memory joins the record
 * below it (TcpOfoSkbsMerged), so a prune may take more with it and a
 * join move it early. */
struct lx_ofo_skb {
	uint32_t seq, end, mem;
	uint16_t room;
};

struct lx_ofo {
	uint32_t mem;
	uint16_t n, cap;
	struct lx_ofo_skb v[];
};

/* Room for one more record: the array doubles, up to TCP_LX_OFO. */
static struct lx_ofo *lx_ofo_room(struct tcp_conn *c)
{
	struct lx_ofo *o = c->lx->ofo;
	if (o && o->n < o->cap)
		return o;
	uint32_t cap = o ? o->cap * 2u : 8u;
	if (cap > TCP_LX_OFO)
		return NULL;
	struct lx_ofo *g = realloc(o, sizeof(*g) + cap * sizeof(g->v[0]));
	if (!g)
		return NULL;
	if (!o)
		g->mem = g->n = 0;
	g->cap = (uint16_t)cap;
	c->lx->ofo = g;
	return g;
}

static void lx_unshed(const gt_stack *s, const struct tcp_conn *c, struct tcp_lxtx *x);

/* The Linux side struct, at least its head; with the marks and skb ends
 * when whole is asked. Without the head no window sample is taken and the
 * MSS is not cut to half the peer's window; without the marks and skb
 * ends (lx_whole() false) PSH goes only on transmit units and
 * retransmissions are one segment each. */
static struct tcp_lxtx *lx_alloc(gt_stack *s, struct tcp_conn *c, bool whole)
{
	if (c->lx && (c->lx->whole || !whole))
		return c->lx;
	size_t n = whole ? LX_WHOLE : LX_HEAD;
	struct tcp_lxtx *x = realloc(c->lx, n);
	if (!x) {
		s->st.TcpPshNoMem++;
		/* What the TCB derived may not hold once this use goes on
		 * without the head: the derived state is forgotten. */
		c->lx_shed = false;
		return c->lx;
	}
	if (!c->lx) {
		memset(x, 0, LX_HEAD);
		if (c->lx_shed)
			lx_unshed(s, c, x);
		c->lx_shed = false;
	}
	if (whole) {
		if (!x->whole)
			x->neor = 0;
		LX_GROW_END(x) = LX_FULL_LEN(x) = LX_MAX_OUT(x) = 0;
		LX_USAGE_SEQ(x) = c->snd_una; /* the next send starts a window */
		LX_SLACK_MSS(x) = 0;
		LX_SLACK_POS(x) = c->snd_una; /* read by slack_forget() before a walk sets it */
		LX_TSO(x)[2] = 0; /* no send time kept yet */
		x->cwnd_limited = false;
	}
	x->whole = whole;
	c->lx = x;
	return x;
}

bool tcp_lx_rtt_round(gt_stack *s, struct tcp_conn *c, uint32_t **mdev_max_us, uint32_t **seq,
		      uint32_t **rttvar_us)
{
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (!x)
		return false;
	x->rtt_linux = true;
	*mdev_max_us = &x->rtt_mdev_max_us;
	*seq = &x->rtt_seq;
	*rttvar_us = &x->rtt_rttvar_us;
	return true;
}

/* Linux's tcp_update_rtt_min() (cfg.min_rtt_win, over
 * cfg.min_rtt_wlen_s; 0 a window of no time, win 0 below), after
 * tcp_rtt_sample_ca() made c->min_rtt_us the smallest of min0 (what it
 * was before) and the sample v: on an ACK that may have been delayed a
 * sample above min0 is not taken ("Skip suspected delayed ACKs"); else
 * the sample goes into the windowed minimum of lib/win_minmax.c
 * (minmax_running_min()), three choices, each the least seen since the
 * one before it, each at most a window old: a sample at or under the
 * best, or one after the third choice left the window, starts all three
 * again; one under the second or third takes their places; then, as the
 * window passes, the best that left it gives way to the second and third
 * (twice where the second left too), and a quarter or a half window on
 * with no new choice the sample becomes the second or the third. The
 * state lives in the side struct's head; a connection that has none yet
 * (its handshake sample taken before, or the head shed: tcp_lx_shed())
 * starts it with min0 at this sample's time. Without the head the
 * smallest sample stays. tests/pkt/linux/rtt-min-rtt-window-skips-delayed-runt.pkt. */
void tcp_lx_rtt_min(gt_stack *s, struct tcp_conn *c, uint32_t min0, uint32_t v, bool delayed)
{
	if (!s->cfg.min_rtt_win || s->cfg.rtt_bsd)
		return;
	/* A sample of 0 us is 1 us here. Linux's tcp_update_rtt_min() takes
	 * it as a jiffy ("rtt_us ? : jiffies_to_usecs(1)", 4 ms at HZ 250),
	 * but on the live kernel no sample is 0: its ACK "at once" comes
	 * tens of us after the data, so tcpi_min_rtt stays under 900 us
	 * (tests/pkt/linux/rtt-sub-tick-exact-not-one-tick.pkt,
	 * rtt-no-sack-exact-not-one-tick.pkt, 3 of 3 there). On virtual
	 * time that ACK is a 0 us sample, and a jiffy failed both scripts
	 * (tcpi_min_rtt 4000; branch h-lxrtt2, docs/recovery.md). */
	if (!v)
		v = 1;
	if (delayed && min0 && v > min0) {
		c->min_rtt_us = min0;
		return;
	}
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (!x)
		return;
	uint32_t j = tcp_jiffy_us(s);
	uint32_t now = (uint32_t)(s->now_us / j);
	uint32_t win = (uint32_t)((uint64_t)s->cfg.min_rtt_wlen_s * 1000000u / j);
	uint32_t *t = x->rtt_min_t, *m = x->rtt_min_v;
	if (!m[0] && min0) {
		t[0] = t[1] = t[2] = now;
		m[0] = m[1] = m[2] = min0;
	}
	if (!m[0] || v <= m[0] || now - t[2] > win) {
		t[0] = t[1] = t[2] = now;
		m[0] = m[1] = m[2] = v;
	} else {
		if (v <= m[1]) {
			t[1] = t[2] = now;
			m[1] = m[2] = v;
		} else if (v <= m[2]) {
			t[2] = now;
			m[2] = v;
		}
		uint32_t age = now - t[0];
		if (age > win) {
			for (int k = 0; k < 2 && now - t[0] > win; k++) {
				t[0] = t[1], m[0] = m[1];
				t[1] = t[2], m[1] = m[2];
				t[2] = now, m[2] = v;
			}
		} else if (t[1] == t[0] && age > win / 4) {
			t[1] = t[2] = now;
			m[1] = m[2] = v;
		} else if (t[2] == t[1] && age > win / 2) {
			t[2] = now;
			m[2] = v;
		}
	}
	c->min_rtt_us = m[0];
}

bool tcp_lx_rtt_linux(const struct tcp_conn *c)
{
	return c->lx ? c->lx->rtt_linux : c->lx_shed;
}

struct tcp_chrono *tcp_lx_chrono(gt_stack *s, struct tcp_conn *c, bool alloc)
{
	struct tcp_lxtx *x = alloc ? lx_alloc(s, c, false) : c->lx;
	return x ? &x->chrono : NULL;
}

/* An idle connection's head given back (tcp_lx_shed()) and made again
 * (lx_unshed()) holds what the TCB says:
 * - Linux's RTT round after one sample, the handshake's
 *   (tcp_rtt_estimator() with srtt_us 0): mdev_max_us and rttvar_us are
 *   max(mdev_us, tcp_rto_min_us()), mdev_us being c->rttvar_us, which
 *   only a sample changes, and a sample makes the head first
 *   (tcp_lx_rtt_round()); rtt_seq is SND.NXT then, ISS + 1;
 * - the chrono: nothing timed, no totals (the first write makes the head:
 *   tcp_chrono_start()), and rcv_tstamp the handshake's end, the ACK that
 *   set it and Linux's lsndtime (tcp_init_transfer(), last_snd_ms here;
 *   only data sent moves it, and a write makes the head first). A jiffy
 *   of whole milliseconds gives the jiffy from the millisecond; an idle
 *   time under 2^32 ms (49 days) gives the millisecond count in full;
 * - mss_path, the path's MSS while the half-window bound cuts c->mss
 *   (shed_mss_path()), as a relay's 65,520-byte MTU has it.
 * Everything else in the head is zero. */
static uint32_t shed_rttvar_us(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t rto_min = (uint32_t)tcp_jiffies_up_us(s, s->cfg.rto_min_us);
	return c->rttvar_us > rto_min ? c->rttvar_us : rto_min;
}

/* The path's MSS while c->mss is cut to half the peer's window
 * (cfg.mss_half_wnd, mss_sync()), 0 while it is not: what the
 * handshake set (the SYN's MSS option against ours, less the options
 * every segment carries: tcp_input.c's eff_mss()); a later path change
 * comes through tcp_mss_set_path(), which makes the head first. */
static uint16_t shed_mss_path(const struct tcp_conn *c)
{
	uint16_t m = c->peer_mss < c->rcv_mss ? c->peer_mss : c->rcv_mss;
	uint16_t opts = (uint16_t)tcp_seg_opt_bytes(c);
	if (m <= opts)
		return 0;
	m = (uint16_t)(m - opts);
	return c->mss < m ? m : 0;
}

/* The handshake's end in stack milliseconds, from Linux's
 * lsndtime (last_snd_ms), which only data sent moves; false where the
 * profile does not keep it so or it is not whole jiffies. */
static bool shed_handshake_ms(const gt_stack *s, const struct tcp_conn *c, uint64_t *ms)
{
	uint32_t ju = tcp_jiffy_us(s);
	if (s->cfg.idle_restart != 1 || s->cfg.maxunack_ms || ju % 1000u)
		return false;
	uint64_t now_ms = s->now_us / 1000;
	uint32_t age_ms = (uint32_t)now_ms - c->last_snd_ms;
	if (age_ms > now_ms)
		return false;
	*ms = now_ms - age_ms;
	return true;
}

static bool shed_rcv_tstamp_j(const gt_stack *s, const struct tcp_conn *c, uint32_t *j)
{
	uint32_t ju = tcp_jiffy_us(s);
	/* The chrono's jiffies (tcp_info.c's now_j()): with cfg.timer_wheel,
	 * from the wheel's phase, which must then be whole milliseconds too. */
	uint32_t ph = tcp_jiffy_phase_us(s);
	uint64_t ms;
	if (ph % 1000u || !shed_handshake_ms(s, c, &ms))
		return false;
	*j = (uint32_t)((ms + ph / 1000u) / (ju / 1000u));
	return true;
}

static void lx_unshed(const gt_stack *s, const struct tcp_conn *c, struct tcp_lxtx *x)
{
	x->rtt_linux = true;
	x->rtt_mdev_max_us = x->rtt_rttvar_us = shed_rttvar_us(s, c);
	x->rtt_seq = c->iss + 1;
	x->mss_path = shed_mss_path(c);
	uint32_t j;
	if (shed_rcv_tstamp_j(s, c, &j)) {
		x->chrono.rcv_tstamp_j = j;
		x->chrono.rcv_on = true;
	}
	/* min_rtt's window: the handshake's one sample, stamped with the
	 * jiffy the handshake ended (syn_rtt_sample(); tcp_lx_rtt_min()'s
	 * clock, without the chrono's phase). */
	uint64_t ms;
	if (s->cfg.min_rtt_win && !s->cfg.rtt_bsd && c->min_rtt_us && shed_handshake_ms(s, c, &ms)) {
		uint32_t ju = tcp_jiffy_us(s);
		for (int k = 0; k < 3; k++) {
			x->rtt_min_t[k] = (uint32_t)(ms * 1000u / ju);
			x->rtt_min_v[k] = c->min_rtt_us;
		}
	}
}

void tcp_lx_stats_sent(gt_stack *s, struct tcp_conn *c, uint32_t len, bool retrans)
{
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (!x)
		return;
	x->stats.data_segs_out++;
	if (retrans)
		x->stats.bytes_retrans += len;
}

void tcp_lx_stats_data_in(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_lxtx *x = s->cfg.tcpi_chrono ? lx_alloc(s, c, false) : NULL;
	if (x)
		x->stats.data_segs_in++;
}

/* Linux's tp->delivered without SACK, where duplicates stand for the
 * SACKed (sacked_out): tcp_add_reno_sack() counts what a duplicate raised
 * sacked_out by, which tcp_limit_reno_sacked() holds to packets_out less
 * one hole; tcp_remove_reno_sacks() counts max(acked - sacked_out, 1) for
 * an ACK of new packets (acked: their tcp_skb_pcount(), none for an ACK
 * inside a one-packet skb) and leaves sacked_out less acked - 1. Both
 * read packets_out as the ACK found it (out0): a fast retransmit that
 * collapses skbs (tcp_retrans_try_collapse()) comes after. What the
 * profile's duplicate count forgot (a timeout's tcp_reset_reno_sack(), a
 * recovery's end) sacked_out forgets too. Five 100-byte segments, four
 * duplicates, the retransmission collapsed into one packet: 4 after the
 * third duplicate, none for the fourth (sacked_out held at 0), one at
 * the ACK of all (Linux 6.18.44,
 * tests/pkt/linux/tcpi-delivered-no-sack-counts-dupacks.pkt). */
void tcp_lx_reno_delivered(gt_stack *s, struct tcp_conn *c, uint32_t acked, bool dup, uint8_t dupacks0,
			   uint32_t out0)
{
	if (!s->cfg.tcpi_chrono || (!acked && !dup))
		return;
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (!x)
		return;
	uint32_t sacked = x->reno_sacked < dupacks0 ? x->reno_sacked : dupacks0;
	if (acked) {
		x->stats.reno_delivered += acked > sacked ? acked - sacked : 1u;
		sacked = acked - 1u >= sacked ? 0u : sacked - (acked - 1u);
		uint32_t out1 = out0 > acked ? out0 - acked : 0u;
		uint32_t room = out1 ? out1 - 1u : 0u;
		sacked = sacked < room ? sacked : room;
	} else {
		uint32_t room = out0 ? out0 - 1u : 0u;
		uint32_t up = sacked + 1u < room ? sacked + 1u : room;
		if (up > sacked)
			x->stats.reno_delivered += up - sacked;
		sacked = up;
	}
	x->reno_sacked = (uint8_t)(sacked < UINT8_MAX ? sacked : UINT8_MAX);
}

void tcp_lx_stats_ooo_queued(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_lxtx *x = s->cfg.tcpi_chrono ? lx_alloc(s, c, false) : NULL;
	if (x)
		x->stats.rcv_ooopack++;
}

void tcp_lx_stats_get(const struct tcp_conn *c, struct tcp_lx_stats *out)
{
	*out = c->lx ? c->lx->stats : (struct tcp_lx_stats){0};
}

bool tcp_lx_chrono_get(const gt_stack *s, const struct tcp_conn *c, struct tcp_chrono *out)
{
	if (c->lx) {
		*out = c->lx->chrono;
		return true;
	}
	if (!c->lx_shed)
		return false;
	*out = (struct tcp_chrono){0};
	out->rcv_on = shed_rcv_tstamp_j(s, c, &out->rcv_tstamp_j);
	return true;
}

void tcp_lx_shed(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_lxtx *x = c->lx;
	/* A signed connection's MSS moves with its keys (tcp_mss_add()):
	 * its head stays. */
	if (!x || x->whole || c->snd.len || c->snd_una != c->snd_max || c->snd_max != c->iss + 1 ||
	    c->md5sig)
		return;
	/* The head as lx_unshed() would make it again, compared whole. */
	struct tcp_lxtx y;
	memset(&y, 0, sizeof(y));
	lx_unshed(s, c, &y);
	if (!x->chrono.rcv_on || !y.chrono.rcv_on)
		return;
	if (!x->chrono.type)
		y.chrono.start_j = x->chrono.start_j; /* not read while nothing is timed */
	/* min_rtt's window (tcp_lx_rtt_min()) is derived too where it holds
	 * the handshake's sample alone, at the handshake's end
	 * (lx_unshed()); any other window keeps the head. */
	if (memcmp(x, &y, sizeof(y)))
		return;
	free(x);
	c->lx = NULL;
	c->lx_shed = true;
}

/* The marks and skb ends are there (a write made them whole). */
static bool lx_whole(const struct tcp_conn *c)
{
	return c->lx && c->lx->whole;
}

void tcp_lx_idle(gt_stack *s, struct tcp_conn *c)
{
	/* Nothing unsent and nothing unacknowledged, the FIN included: no
	 * mark or skb end lies above SND.UNA, and none is needed before
	 * the next write (tcp_psh_write() makes it whole again). */
	if (!lx_whole(c) || c->snd.len || c->snd_una != c->snd_max)
		return;
	c->lx->nmark = c->lx->nskb = c->lx->neor = 0;
	/* A new head rather than realloc() in place: the whole block goes
	 * back to malloc() in one piece, for the next connection's write to
	 * take, where a shrink in place would leave a 160-byte hole no
	 * other allocation of the stack fits. */
	struct tcp_lxtx *x = malloc(LX_HEAD);
	if (!x)
		return; /* the whole one stays, emptied */
	memcpy(x, c->lx, LX_HEAD);
	x->whole = false;
	free(c->lx);
	c->lx = x;
	s->st.TcpLxShrunk++;
}

static uint64_t get64(const uint32_t *p) { return (uint64_t)p[1] << 32 | p[0]; }

static void put64(uint32_t *p, uint64_t v)
{
	p[0] = (uint32_t)v;
	p[1] = (uint32_t)(v >> 32);
}

/* Drops the burst records wholly below SND.UNA (the next one begins at
 * or below it); returns how many are left. */
static uint32_t tslog_prune(const struct tcp_conn *c, uint32_t *t)
{
	uint32_t n = t[2] & 0xffu, drop = 0;
	while (drop + 1 < n && !seq_gt(t[TSLOG0 + 3 * (drop + 1)], c->snd_una))
		drop++;
	if (drop) {
		memmove(t + TSLOG0, t + TSLOG0 + 3 * drop, 3 * (n - drop) * sizeof(uint32_t));
		n -= drop;
		t[2] = (t[2] & ~0xffu) | n;
	}
	return n;
}

/* Every segment the connection sends (__tcp_transmit_skb(), an ACK's
 * too, sets tp->tcp_wstamp_ns; tcp_tso_should_defer() holds nothing when
 * that is more than 1 ms ago), and each skb's send time
 * (skb->skb_mstamp_ns; tcp_tso_should_defer() asks the retransmission
 * queue's head's): new data sent at a time of its own begins a burst
 * record; a retransmission from SND.UNA gives the head record its time
 * (the whole record: the head skb's end is not looked for). With every
 * record taken, the oldest gives way (LX_TSLOG bounds the log); the head's
 * time is then unknown until SND.UNA reaches the next record, and no
 * skb is held meanwhile. */
static void lx_xmit_stamp(const gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len,
			  bool retrans)
{
	if (!s->cfg.tso_defer || !lx_whole(c))
		return;
	uint32_t *t = LX_TSO(c->lx);
	put64(t, s->now_us);
	t[2] |= LX_TSO_XMIT;
	if (!len)
		return;
	if (!retrans && !seq_lt(seq, c->snd_max)) {
		uint32_t n = c->snd_una == c->snd_max ? 0 : tslog_prune(c, t);
		if (n && get64(t + TSLOG0 + 3 * (n - 1) + 1) == s->now_us)
			return; /* the same burst */
		if (n == LX_TSLOG) {
			/* The oldest record goes: until SND.UNA passes the
			 * next one's start, the head's time is unknown, and
			 * lx_tso_defer() does not hold. */
			memmove(t + TSLOG0, t + TSLOG0 + 3, 3 * (n - 1) * sizeof(uint32_t));
			n--;
		}
		t[TSLOG0 + 3 * n] = seq;
		put64(t + TSLOG0 + 3 * n + 1, s->now_us);
		t[2] = (t[2] & ~0xffu) | (n + 1);
	} else if (seq == c->snd_una && tslog_prune(c, t)) {
		put64(t + TSLOG0 + 1, s->now_us);
	}
}

/* sk_rmem_alloc: the memory of the data held in order and out of order. */
static uint32_t lx_rmem(const struct tcp_conn *c)
{
	uint32_t ofo = c->lx && c->lx->ofo ? c->lx->ofo->mem : 0;
	return c->rcv.mem + ofo < c->rcv.mem ? UINT32_MAX : c->rcv.mem + ofo;
}

/* Linux's tcp_win_from_space(): the window a buffer of space bytes of
 * memory stands for, at the connection's scaling ratio (tp->scaling_ratio,
 * payload / truesize in 256ths, TCP_RMEM_TO_WIN_SCALE 8). Until a segment
 * has been measured it is TCP_DEFAULT_SCALING_RATIO, 128: half. */
static uint32_t lx_ratio(const struct tcp_conn *c) { return c->rcv_ratio ? c->rcv_ratio : 128u; }

static uint32_t lx_win_from_space(const struct tcp_conn *c, uint32_t space)
{
	return (uint32_t)((uint64_t)space * lx_ratio(c) >> 8);
}

/* tcp_space() as a window: the buffer less what is held in order and out
 * of order (sk_rmem_alloc), at the scaling ratio. */
static uint32_t lx_free_win_of(const struct tcp_conn *c, uint32_t buf)
{
	uint32_t mem = lx_rmem(c);
	return buf > mem ? lx_win_from_space(c, buf - mem) : 0;
}

/* The skb memory Linux 6.18 charges a segment that came in over a TUN
 * device as an IP packet of ip_len bytes (skb->truesize): tun_get_user()
 * copies a packet under a page into one linear buffer (tun_alloc_skb():
 * "Under a page? Don't bother with paged skb") of NET_SKB_PAD (64) plus the
 * packet, cache-line aligned, plus struct skb_shared_info (320), which
 * __alloc_skb() takes from the next kmalloc size (512, 1024, 2048, 4096,
 * 8192); truesize is that plus the struct sk_buff (256, SKB_TRUESIZE()).
 * A 1,460-byte segment's 1,500- or 1,512-byte packet costs 2,304 (scaling
 * ratio 162), a 1,000-byte one's too (111). *room is what the buffer has
 * left past the packet (skb_tailroom()), where a small next segment is
 * copied at no cost (skb_try_coalesce()). A packet of a page or more is
 * a head of 3,712 bytes and pages (below). */
static uint32_t lx_truesize(uint32_t ip_len, uint32_t *room)
{
	uint32_t used = 64 + ip_len;
	if (used >= 4096) {
		/* A packet of a page or more: tun_get_user() copies
		 * min(good_linear, len) into the head (no vnet header, so
		 * linear was 0; good_linear SKB_MAX_HEAD(NET_SKB_PAD), 3,712
		 * bytes, whose head is a whole 4,096-byte kmalloc) and the rest
		 * into order-0 pages (tun_alloc_skb() -> sock_alloc_send_pskb()
		 * -> alloc_skb_with_frags()): 4,096 + 4,096 x ceil((ip_len -
		 * 3,712) / 4,096), that is 4,096 x ceil((ip_len + 384) / 4,096),
		 * and the sk_buff. No tailroom: a full head and page frags
		 * (skb_tailroom() of a paged skb is 0). Linux 6.18.44:
		 * tests/pkt/linux/truesize-page-*.pkt. */
		*room = 0;
		return 256 + ((ip_len + 384 + 4095) & ~4095u);
	}
	uint32_t obj = ((used + 63) & ~63u) + 320, bucket = 512;
	if (obj <= 576) {
		/* kmalloc_reserve(): a head of SKB_SMALL_HEAD_CACHE_SIZE or
		 * less comes from skb_small_head_cache; on the 6.18.44 that
		 * pktrun --kernel ran, 576, truesize 832 (a packet of up to
		 * 192 bytes): a 16,384-byte buffer drops the 21st 100-byte
		 * segment held out of order, the 14th of 200 bytes (1,280),
		 * as tests/pkt/linux/ofo-prune-small-segments.pkt shows. */
		*room = 576 - 320 - used;
		return 576 + 256;
	}
	while (bucket < obj)
		bucket <<= 1;
	*room = bucket - 320 - used;
	return bucket + 256;
}

/* Linux's __tcp_select_window() (net/ipv4/tcp_output.c), without side
 * effects: the window the receive buffer allows now, in bytes. The buffer
 * is memory, and the window what tcp_win_from_space() makes of it at the
 * connection's scaling ratio: the whole buffer's (allowed) and what the
 * skbs held leave free (tcp_space(): sk_rcvbuf - sk_rmem_alloc). The _of
 * forms take buf, tcp_rcvbuf(c), from a caller that asks for it more than
 * once: a receiver's every segment asks these several times, and the
 * buffer's size was 3% of `glasstcp get`'s instructions
 * (docs/receiving.md). */
static uint32_t lx_window_clamp_of(const struct tcp_conn *c, uint32_t buf)
{
	/* tp->window_clamp is a value of its own, set from sk_rcvbuf only at
	 * the moments below; SO_RCVBUF on an established connection changes
	 * sk_rcvbuf alone (sk_setsockopt(), __sock_set_rcvbuf()), so the
	 * clamp keeps the buffer it was taken from (rcv_clamp_held;
	 * tests/pkt/linux/window-clamp-rcvbuf-after-handshake.pkt). */
	uint32_t full = lx_win_from_space(c, c->rcv_clamp_held ? c->rcv_space : buf);
	/* tp->window_clamp: the buffer's window, and no more than the scale
	 * can say (tcp_select_initial_window(): U16_MAX << rcv_wscale). */
	uint32_t most = 65535u << (c->ws_ok ? c->rcv_wscale : 0);
	uint32_t clamp = full < most ? full : most;
	/* A measured ratio set the clamp to the buffer's window at it
	 * (tcp_measure_rcv_mss() -> tcp_set_window_clamp(), at least
	 * SOCK_MIN_RCVBUF / 2), no longer bound by the scale: unscaled,
	 * rcv_ssthresh follows it past 65,535 (234,140 for a 540,000-byte
	 * buffer, Linux 6.18.44: tests/pkt/linux/
	 * rcv-wnd-unscaled-clamp-past-64k.pkt). Bound here before, as a
	 * clamp past 65,535 had brought a storm of identical ACKs (window
	 * 65,535) in swarm seed 1001525 while lx_window_field() capped the
	 * edge it kept (rcv_adv) at what the field says; it keeps the whole
	 * edge now, as tcp_select_window() does. */
	if (c->rcv_ratio)
		return full > 2304 ? full : 2304;
	/* tcp_init_buffer_space(), at the handshake's end: "force reservation
	 * of one segment" (tcp_app_win): a clamp within one advertised MSS of
	 * the full space drops to max(2 MSS, full - MSS), and rcv_ssthresh
	 * with it, until autotuning or a measured ratio resets the clamp to
	 * the buffer's window. A 128 KiB buffer's clamp is 64076 for MSS
	 * 1460, so an unscaled window after one byte keeps its right edge
	 * (64239) where the buffer's 64240 would move it. */
	uint32_t mss = c->rcv_mss;
	if (!c->rcv_clamp_grown && clamp > 2 * mss && clamp + mss > full)
		clamp = full - mss > 2 * mss ? full - mss : 2 * mss;
	return clamp;
}

static uint32_t lx_window_clamp(const struct tcp_conn *c) { return lx_window_clamp_of(c, tcp_rcvbuf(c)); }

/* *squeezed (where asked): the free space under half the full space, where
 * __tcp_select_window() ends quick-ACK mode ("icsk->icsk_ack.quick = 0").
 * shrink: cfg.rcv_wnd_shrink, net.ipv4.tcp_shrink_window. */
static uint32_t lx_select_window(const struct tcp_conn *c, bool *squeezed, bool shrink)
{
	uint32_t buf = tcp_rcvbuf(c);
	uint32_t allowed = lx_win_from_space(c, buf), clamp = lx_window_clamp_of(c, buf);
	uint32_t full = clamp < allowed ? clamp : allowed;
	uint32_t free_b = lx_free_win_of(c, buf);
	uint8_t ws = c->ws_ok ? c->rcv_wscale : 0;
	uint32_t mss = c->ack_rcv_mss ? c->ack_rcv_mss : c->rcv_mss;
	if (mss > full) {
		mss = full;
		if (!mss)
			return 0;
	}
	if (shrink && ws) {
		/* Linux 6.5+'s shrink_window_allowed path (commit b650d953cd39,
		 * "tcp: enforce receive buffer memory limits by allowing the
		 * tcp window to shrink"), taken only with a scale: the free
		 * space rounded down to the scale whatever its size, a zero
		 * window under 1/16 of the buffer, one segment or one unit of
		 * the scale, and rcv_ssthresh (the clamp here too) rounded up,
		 * "not a hard limit (unlike sk_rcvbuf)". With 10,000 bytes of
		 * a 32 KiB tcp_rmem unread at scale 10: 15 << 10 (Linux
		 * 6.18.44, tests/pkt/linux/shrink-window-sysctl-lets-window-
		 * shrink.pkt). */
		free_b = free_b >> ws << ws;
		if (squeezed)
			*squeezed = free_b < full / 2; /* after the rounding here */
		if (free_b < full / 2 && (free_b < allowed / 16 || free_b < mss || free_b < (1u << ws)))
			return 0;
		uint32_t top = c->rcv_ssthresh < clamp ? c->rcv_ssthresh : clamp;
		if (free_b > top)
			free_b = (top + (1u << ws) - 1) >> ws << ws;
		return free_b;
	}
	if (squeezed)
		*squeezed = free_b < full / 2;
	if (free_b < full / 2) {
		/* Never offer what the scale would round up past the free
		 * space; under 1/16 of the buffer or one segment, a zero
		 * window rather than a sliver. */
		free_b = free_b >> ws << ws;
		if (free_b < allowed / 16 || free_b < mss)
			return 0;
	}
	/* rcv_ssthresh never exceeds window_clamp in Linux (the
	 * reservation lowers both; here it is left, and the clamp bounds). */
	if (free_b > c->rcv_ssthresh)
		free_b = c->rcv_ssthresh;
	if (free_b > clamp)
		free_b = clamp;
	if (ws)
		return (free_b + (1u << ws) - 1) >> ws << ws; /* not scaled away */
	/* Unscaled: a whole number of segments, and the window offered last
	 * kept while it is within one segment of the free space. */
	uint32_t win = c->rcv_wnd;
	if (win + mss <= free_b || win > free_b)
		win = free_b / mss * mss;
	else if (mss == full && free_b > win + full / 2)
		win = free_b;
	return win;
}

/* Linux's tcp_select_window(): the offer never shrinks (the right edge
 * stays, rounded up to the scale) unless shrink (cfg.rcv_wnd_shrink) and a
 * scale is in use; the field is the window scaled. */
static uint16_t lx_window_field(struct tcp_conn *c, bool *squeezed, bool shrink)
{
	uint8_t ws = c->ws_ok ? c->rcv_wscale : 0;
	/* A TFO child that wrote is a full socket (tcp_fastopen_create_child()):
	 * its data segments take tcp_select_window(), the SYN-ACK's window
	 * rounded up to the scale (64,240 -> 502 << 7 on Linux 6.18.44,
	 * tests/pkt/linux/fastopen-child-write-syn-window.pkt). */
	if (c->state == GT_TCP_SYN_RECEIVED && c->passive && !tcp_tfo_wrote(c)) {
		/* A request sock's ACK (to a segment out of its window,
		 * tcp_check_req()) says the SYN-ACK's window scaled down,
		 * tcp_v4_reqsk_send_ack(): req->rsk_rcv_wnd >> rcv_wscale, not
		 * rounded up (64,240 >> 7 = 501 on Linux 6.18.44,
		 * tests/pkt/linux/syn-received-data-out-of-window-acked.pkt). */
		uint32_t f = c->rcv_wnd >> ws;
		return (uint16_t)(f > 65535 ? 65535 : f);
	}
	/* cur: tcp_receive_window(), rcv_wup + rcv_wnd - rcv_nxt, the edge
	 * kept (rcv_adv). tcp_select_window() stores tp->rcv_wnd = new_win
	 * before it caps what the field can say at 65,535 << rcv_wscale, so
	 * the edge kept may lie past the one the peer was told: never
	 * shrunk, it holds the field at its most while cur stays above it. */
	uint32_t cur = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	uint32_t wnd = lx_select_window(c, squeezed, shrink);
	/* "if (!READ_ONCE(net->ipv4.sysctl_tcp_shrink_window) ||
	 * !tp->rx_opt.rcv_wscale)": only then is the old edge kept. With
	 * the sysctl on, rcv_wnd and rcv_wup are taken anew, so the edge
	 * kept (rcv_adv, which the acceptance test reads as rcv_wup +
	 * rcv_wnd) moves left with the offer: tcp_sequence() then judges a
	 * segment against the edge now offered. */
	bool shrinks = shrink && ws;
	if (wnd < cur && !shrinks)
		wnd = (cur + (1u << ws) - 1) >> ws << ws;
	c->rcv_wnd = wnd;
	if (shrinks || seq_gt(c->rcv_nxt + wnd, c->rcv_adv))
		c->rcv_adv = c->rcv_nxt + wnd;
	if (wnd > 65535u << ws)
		wnd = 65535u << ws;
	return (uint16_t)(wnd >> ws);
}

/* Linux's tcp_measure_rcv_mss(), the scaling ratio's half: a segment at
 * least the peer's segment size as known, and not of that size, sets the
 * ratio to its payload / truesize; a new ratio sets the window clamp to
 * the buffer's window at it (tcp_set_window_clamp()): a wider clamp lets
 * rcv_ssthresh up to the window last offered, a narrower one lowers it.
 * The segment's size is its GSO size where it has one ("len =
 * skb_shinfo(skb)->gso_size ? : skb->len"), the ratio still skb->len /
 * skb->truesize: a GSO packet of the segment size already measured sets
 * no ratio whatever its length (Linux 6.18.44, a second 10,000-byte
 * out-of-order GSO packet of gso_size 1,000 left the window at 81 << 10:
 * tests/pkt/linux/ooo-gso-same-mss-no-ratio.pkt). */
static void lx_measure_ratio(const gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t truesize)
{
	uint32_t seen = c->ack_rcv_mss ? c->ack_rcv_mss : c->rcv_mss;
	uint32_t seg = s->rx_gso ? s->rx_gso : len;
	if (seg < seen || seg == seen || !truesize)
		return;
	uint32_t r = (uint32_t)(((uint64_t)len << 8) / truesize);
	r = r ? (r > 255 ? 255 : r) : 1;
	if (r == lx_ratio(c))
		return;
	uint32_t old = lx_window_clamp(c);
	if (c->rcv_ssthresh > old)
		c->rcv_ssthresh = old; /* tcp_init_buffer_space() lowered it so */
	c->rcv_ratio = (uint8_t)r;
	c->rcv_clamp_held = false; /* tcp_set_window_clamp(tcp_win_from_space(sk_rcvbuf)) */
	uint32_t clamp = lx_window_clamp(c);
	if (clamp < old) {
		if (c->rcv_ssthresh > clamp)
			c->rcv_ssthresh = clamp;
	} else if (clamp > old) {
		uint32_t up = c->rcv_wnd < clamp ? c->rcv_wnd : clamp;
		if (up > c->rcv_ssthresh)
			c->rcv_ssthresh = up;
	}
}

static bool lx_grow_window(gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t truesize)
{
	/* Linux's tcp_grow_window(): room up to the clamp and the free
	 * window (tcp_space()); a segment whose skb, at the ratio, is no
	 * larger than its payload lets rcv_ssthresh grow by two of our advmss
	 * (or twice its size); one with more overhead only while
	 * rcv_ssthresh is small enough for it (__tcp_grow_window(): halving
	 * both until the skb's half-window fits the payload). */
	uint32_t buf = tcp_rcvbuf(c);
	uint32_t clamp = lx_window_clamp_of(c, buf), free_b = lx_free_win_of(c, buf);
	uint32_t top = free_b < clamp ? free_b : clamp;
	if (c->rcv_ssthresh >= top)
		return false;
	uint32_t incr = 0;
	if (lx_win_from_space(c, truesize) <= len) {
		/* 2 * tp->advmss: the MSS announced less the timestamp
		 * option when it is on, as autotuning's first measure
		 * (tcp_autotune_init()). Past rcvbuf-grow-in-order.pkt's
		 * growth Linux 6.18 opens 332, 354, 377 << 7 (2,896 a
		 * segment); 2 x 1,460 gave 355 for the second
		 * (tests/pkt/linux/rcvbuf-grow-window-advmss.pkt). */
		incr = 2u * (c->rcv_mss - (c->ts_ok ? 12u : 0u));
	} else {
		uint32_t t = lx_win_from_space(c, truesize) >> 1;
		uint32_t w = lx_win_from_space(c, s->cfg.rcvbuf_max_bytes) >> 1;
		while (c->rcv_ssthresh <= w) {
			if (t <= len) {
				incr = 2u * (c->ack_rcv_mss ? c->ack_rcv_mss : c->rcv_mss);
				break;
			}
			t >>= 1;
			w >>= 1;
		}
	}
	if (!incr)
		return false;
	if (incr < 2 * len)
		incr = 2 * len;
	uint32_t room = top - c->rcv_ssthresh;
	c->rcv_ssthresh += incr < room ? incr : room;
	/* "icsk_ack.quick |= 1": a window that grew is told at once, unless
	 * the connection is interactive (tests/pkt/linux/
	 * window-truesize-small-buffer.pkt, the ACK of 3721). */
	if (s->cfg.rcv_grow_quickack && s->cfg.delack_linux && s->cfg.quickack_max_segs)
		c->quickack |= 1;
	return true;
}

/* Linux's tcp_measure_rcv_mss(): the peer's segment size as seen
 * (icsk_ack.rcv_mss). */
static void measure_rcv_mss(gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t hlen, uint8_t flags)
{
	/* Its first rule: the peer's segment
	 * size is the largest seen, up to our MSS. */
	uint16_t lss = c->ack_last_seg;
	c->ack_last_seg = 0;
	/* A GSO packet's segment size is its gso_size ("skb_shinfo(skb)->
	 * gso_size ?: skb->len"). */
	if (s->rx_gso)
		len = s->rx_gso;
	if (c->ack_rcv_mss <= len) {
		c->ack_rcv_mss = (uint16_t)(len < c->rcv_mss ? len : c->rcv_mss);
	} else if (s->cfg.rcv_wnd_linux) {
		/* Its second (Linux profile): a shorter segment, with its
		 * header at least 556 bytes, or 108 and without PSH, FIN, URG
		 * or SYN, sized without the fixed header (20 bytes, 32 with
		 * timestamps), is the peer's segment size once two in a row
		 * have that size. A sender held to a window under its MSS
		 * sends such segments, and the window, rounded down to whole
		 * segments (__tcp_select_window()), then opens by them: swarm
		 * seed 13117593, a Linux receiver's 680-byte window kept for
		 * 40 s against a 1372-byte segment size, 680 bytes per persist
		 * probe (tests/pkt/linux/window-rcv-mss-learns-short-segments.pkt). */
		uint32_t seg = len + hlen, fixed = 20u + (c->ts_ok ? 12u : 0u);
		if (seg >= 536 + 20 ||
		    (seg >= 88 + 20 && !(flags & (TH_FIN | TH_URG | TH_SYN | TH_PSH)))) {
			uint32_t l = seg > fixed ? seg - fixed : 0;
			c->ack_last_seg = (uint16_t)l;
			if (l == lss)
				c->ack_rcv_mss = (uint16_t)l;
		}
	}
}

/* ---- Linux's out-of-order queue as memory (rcv_wnd_linux) ----
 * tcp_data_queue_ofo() charges each skb it holds to sk_rmem_alloc as it
 * comes (skb_set_owner_r()), so the free space tcp_space() and
 * __tcp_select_window() see shrinks while a hole is open, and
 * tcp_grow_window() (SACK flows only) grows rcv_ssthresh against it, before
 * the new skb is charged. An skb that would take the memory past the
 * buffer (tcp_can_ingest(): sk_rmem_alloc + skb->len > sk_rcvbuf) makes
 * tcp_try_rmem_schedule() prune: tcp_prune_queue() -> tcp_clamp_window(),
 * then tcp_prune_ofo_queue() drops held skbs from the highest sequence
 * down, never one below the new skb ("would land last": an skb above all
 * held is itself dropped, TCPOFODrop, and not ACKed), sk_rcvbuf / 8 at a
 * time until the new one fits, and resets the SACK blocks
 * (tcp_sack_reset()). Before pruning, tcp_collapse_ofo_queue() and
 * tcp_collapse() of the receive queue copy runs of skbs larger at the
 * scaling ratio than their payload into compact ones, which frees memory
 * (lx_prune()). Checked with glasstcp pktrun --kernel on Linux 6.18, 3 of
 * 3 runs each: tests/pkt/linux/ofo-window-*.pkt, ofo-prune-far-end.pkt,
 * collapse-ofo-range.pkt, collapse-receive-queue.pkt. */

static void lx_ofo_free(struct tcp_conn *c)
{
	if (c->lx) {
		free(c->lx->ofo);
		c->lx->ofo = NULL;
	}
}

/* The records of skbs whose data the reassembly list no longer holds
 * (its own range limit gave the highest up, tcp_reass_insert()) go. */
static void lx_ofo_trim(struct tcp_conn *c)
{
	struct lx_ofo *o = c->lx ? c->lx->ofo : NULL;
	if (!o)
		return;
	while (o->n && (!c->nooo || seq_ge(o->v[o->n - 1].seq, c->ooo[c->nooo - 1].right))) {
		o->mem -= o->v[o->n - 1].mem;
		o->n--;
	}
	if (!o->n)
		lx_ofo_free(c);
}

/* tcp_can_ingest() as Linux 6.18.44 has it ("tcp: give up on stronger
 * sk_rcvbuf checks"): room while sk_rmem_alloc <= sk_rcvbuf, whatever the
 * new skb's length. Before it, 6.18 asked sk_rmem_alloc + skb->len <=
 * sk_rcvbuf: with a buffer tcp_clamp_window() grows to the memory held
 * (tests/pkt/linux/collapse-clamp-grows-buffer.pkt) that refused every
 * segment past it, where this kernel takes them all. */
static bool lx_can_ingest(const struct tcp_conn *c)
{
	return lx_rmem(c) <= tcp_rcvbuf(c);
}

/* What alloc_skb(copy) costs (tcp_collapse()'s nskb: a kmalloc'd head of
 * SKB_DATA_ALIGN(copy) + skb_shared_info, from the small-head cache at
 * 576 or less, plus the sk_buff, SKB_TRUESIZE()), and the room it leaves
 * past the copy (skb_tailroom(), where skb_try_coalesce() copies a next
 * segment). A collapsed skb holds at most SKB_MAX_ORDER(0, 0) = 4,096 -
 * 320 = 3,776 bytes (LX_COLLAPSE_MAX). */
#define LX_COLLAPSE_MAX 3776u
static uint32_t lx_alloc_truesize(uint32_t copy, uint32_t *room)
{
	uint32_t obj = ((copy + 63) & ~63u) + 320, bucket = 512;
	if (obj <= 576) {
		*room = 576 - 320 - copy;
		return 576 + 256;
	}
	while (bucket < obj)
		bucket <<= 1;
	*room = bucket - 320 - copy;
	return bucket + 256;
}

/* tcp_collapse() on the held skbs v[h..t) of one range (contiguous or
 * overlapping): records with nothing past start are freed; the leading
 * skbs that are no larger at the scaling ratio than their payload and
 * end where the next starts are kept; from the first other one to the
 * range's end the data is copied into compact skbs of up to 3,776 bytes
 * and the old ones freed (TCPRcvCollapsed each). Returns the index past
 * the range, which may have moved. */
static uint16_t lx_collapse_range(gt_stack *s, struct tcp_conn *c, struct lx_ofo *o, uint16_t h, uint16_t t)
{
	uint32_t start = o->v[h].seq, end = o->v[h].end;
	for (uint16_t k = h; k < t; k++)
		if (seq_gt(o->v[k].end, end))
			end = o->v[k].end;
	uint16_t i = h;
	while (i < t) {
		struct lx_ofo_skb *k = &o->v[i];
		if (seq_ge(start, k->end)) {
			/* "No new bits": tcp_collapse_one() */
			s->st.TcpRcvCollapsed++;
			o->mem -= k->mem;
			memmove(k, k + 1, (size_t)(o->n - i - 1) * sizeof(*k));
			o->n--;
			t--;
			continue;
		}
		if (lx_win_from_space(c, k->mem) > k->end - k->seq || seq_lt(k->seq, start))
			break;
		if (i + 1 < t && k->end != o->v[i + 1].seq)
			break;
		start = k->end;
		i++;
	}
	if (i == t)
		return t;
	/* Copy [start, end) into nskbs; they take the places of v[i..t). */
	uint32_t len = end - start, n = (len + LX_COLLAPSE_MAX - 1) / LX_COLLAPSE_MAX;
	uint16_t old = (uint16_t)(t - i);
	if (n > old) {
		/* More compact skbs than records (merged records): the
		 * memory of the rest joins the last (TcpOfoSkbsMerged). */
		s->st.TcpOfoSkbsMerged += n - old;
	}
	uint16_t made = (uint16_t)(n < old ? n : old);
	for (uint16_t k = i; k < t; k++)
		o->mem -= o->v[k].mem;
	s->st.TcpRcvCollapsed += old;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t copy = len - k * LX_COLLAPSE_MAX;
		if (copy > LX_COLLAPSE_MAX)
			copy = LX_COLLAPSE_MAX;
		uint32_t room = 0, mem = lx_alloc_truesize(copy, &room);
		o->mem += mem;
		uint16_t at = (uint16_t)(i + (k < made ? k : made - 1u));
		struct lx_ofo_skb *r = &o->v[at];
		if (k < made) {
			r->seq = start + k * LX_COLLAPSE_MAX;
			r->mem = 0;
		}
		r->end = start + k * LX_COLLAPSE_MAX + copy;
		r->mem += mem;
		r->room = (uint16_t)room;
	}
	memmove(&o->v[i + made], &o->v[t], (size_t)(o->n - t) * sizeof(o->v[0]));
	o->n = (uint16_t)(o->n - (old - made));
	return (uint16_t)(i + made);
}

/* tcp_collapse_ofo_queue(): each range of held skbs is collapsed, but for
 * a range of one skb under 3,776 bytes ("tiny"), which is left alone; once
 * the tiny ones add up to more than sk_rcvbuf / 8 the walk stops. */
static void lx_collapse_ofo(gt_stack *s, struct tcp_conn *c)
{
	struct lx_ofo *o = c->lx ? c->lx->ofo : NULL;
	if (!o)
		return;
	uint32_t tiny = 0;
	uint16_t h = 0;
	while (h < o->n) {
		uint16_t t = (uint16_t)(h + 1);
		uint32_t start = o->v[h].seq, end = o->v[h].end, mem = o->v[h].mem;
		while (t < o->n && !seq_gt(o->v[t].seq, end) && !seq_lt(o->v[t].end, start)) {
			mem += o->v[t].mem;
			if (seq_gt(o->v[t].end, end))
				end = o->v[t].end;
			t++;
		}
		if (mem != o->v[h].mem || end - start >= LX_COLLAPSE_MAX) {
			h = lx_collapse_range(s, c, o, h, t);
		} else {
			tiny += mem;
			if (tiny > tcp_rcvbuf(c) >> 3)
				return;
			h = t;
		}
	}
}

/* tcp_collapse() on the receive queue, copied_seq to rcv_nxt. Its first
 * loop skips the leading skbs that are no larger at the scaling ratio
 * than their payload (a "bloated" one starts the collapse): here the
 * compact skbs an earlier collapse made (rcv_kept), and the last one it
 * made (rcv_tail) once the segments copied into its room have made it so
 * (skbs that came in are not recorded one by one). The rest of the
 * queue is taken as one run, collapsed when it is larger at the ratio
 * than what it holds (where Linux starts at its first bloated skb); its
 * compact skbs join the kept ones, and the last becomes the tail. Linux
 * 6.18.44, tests/pkt/linux/window-small-mss-prune-kept.pkt: 1,824 bytes
 * collapsed into a 4,352-byte skb take 25 more segments into its room
 * and are left there by the next collapse, which starts past them. */
static void lx_collapse_rcvq(gt_stack *s, struct tcp_conn *c)
{
	/* Without the side struct the head is not recorded: the next
	 * collapse takes the whole queue again. */
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	uint32_t kept = x ? x->rcv_kept : 0, kept_mem = x ? x->rcv_kept_mem : 0;
	uint32_t tail = x ? x->rcv_tail : 0, tail_mem = x ? x->rcv_tail_mem : 0;
	if (kept + tail > c->rcv.len || kept_mem + tail_mem > c->rcv.mem)
		kept = kept_mem = tail = tail_mem = 0;
	if (tail && lx_win_from_space(c, tail_mem) <= tail) {
		kept += tail;
		kept_mem += tail_mem;
	}
	uint32_t len = c->rcv.len - kept, old = c->rcv.mem - kept_mem;
	if (!len || lx_win_from_space(c, old) <= len)
		return;
	uint32_t mem = 0, room = 0, add = 0, add_mem = 0, last = 0, last_mem = 0;
	bool run = true;
	for (uint32_t at = 0; at < len; at += LX_COLLAPSE_MAX) {
		uint32_t copy = len - at < LX_COLLAPSE_MAX ? len - at : LX_COLLAPSE_MAX;
		uint32_t m = lx_alloc_truesize(copy, &room);
		mem += m;
		if (run && at + copy == len) {
			last = copy;
			last_mem = m;
		} else if (run && lx_win_from_space(c, m) <= copy) {
			add += copy;
			add_mem += m;
		} else {
			run = false;
		}
	}
	if (mem >= old)
		return;
	s->st.TcpRcvCollapsed++; /* the boundaries unknown: one per collapse */
	c->rcv.mem = kept_mem + mem;
	c->rcv_tailroom = (uint16_t)room;
	if (x) {
		x->rcv_kept = kept + add;
		x->rcv_kept_mem = kept_mem + add_mem;
		x->rcv_tail = (uint16_t)last;
		x->rcv_tail_mem = (uint16_t)last_mem;
	}
}

/* tcp_prune_queue() (6.18) for an skb of len bytes at seq that found the
 * memory spent (tcp_can_ingest(): sk_rmem_alloc > sk_rcvbuf):
 * tcp_clamp_window(); then, while it does not fit, tcp_collapse_ofo_queue()
 * and tcp_collapse() of the receive queue, which copy bloated skbs into
 * compact ones and so free memory; then tcp_prune_ofo_queue(). Returns
 * whether the skb fits now (else RcvPruned). */
static bool lx_prune(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	uint32_t cap = tcp_rcvbuf(c);
	s->st.TcpPruneCalled++; /* LINUX_MIB_PRUNECALLED */
	/* tcp_clamp_window(): no quick ACKs; a buffer the application did
	 * not size, under tcp_rmem[2], grows to the memory held (sk_rcvbuf =
	 * min(sk_rmem_alloc, tcp_rmem[2]); global memory pressure is not
	 * modelled), which lets the skb in (tcp_can_ingest() asks rmem <=
	 * rcvbuf): tests/pkt/linux/collapse-clamp-grows-buffer.pkt, 140,608
	 * after 170 held 100-byte segments in a 131,072-byte buffer. The
	 * ring grows with it (TcpRcvBufClamped); should the stack's buffer
	 * budget refuse, it stays. Then, with more memory than the buffer,
	 * rcv_ssthresh goes down to two advmss: tests/pkt/linux/
	 * collapse-ofo-range.pkt, 2,920 here, grown back by the held
	 * segments and one read to 6,520 (a window of 6,000; 7,000 without
	 * the clamp). The window clamp, which Linux leaves, follows the
	 * grown buffer here (lx_window_clamp(); rcv_space is autotuning's). */
	c->quickack = 0;
	uint32_t max = s->cfg.rcvbuf_max_bytes;
	if (!c->rcvbuf_locked && cap < max && lx_rmem(c) > cap) {
		uint32_t want = lx_rmem(c) < max ? lx_rmem(c) : max;
		uint32_t keep = c->rcv.len + (c->nooo ? c->ooo[c->nooo - 1].right - c->rcv_nxt : 0);
		if (tcp_ring_resize_keep(s, &c->rcv, want + tcp_rcv_slack(c), keep) == 0) {
			s->st.TcpRcvBufClamped++;
			cap = tcp_rcvbuf(c);
		}
	}
	if (lx_rmem(c) > cap && (c->rcvbuf_locked || cap >= max)) {
		uint32_t two = 2u * (c->rcv_mss - (c->ts_ok ? 12u : 0u));
		uint32_t clamp = lx_window_clamp(c);
		c->rcv_ssthresh = clamp < two ? clamp : two;
	}
	if (lx_can_ingest(c))
		return true;
	lx_collapse_ofo(s, c);
	lx_collapse_rcvq(s, c);
	if (lx_can_ingest(c))
		return true;
	struct lx_ofo *o = c->lx ? c->lx->ofo : NULL;
	if (!o)
		goto pruned;
	int64_t goal = cap >> 3;
	uint32_t from = 0;
	bool pruned = false;
	while (o->n) {
		struct lx_ofo_skb *k = &o->v[o->n - 1];
		if (seq_gt(seq, k->seq))
			break; /* the new skb would land last: it goes, not these */
		pruned = true;
		from = k->seq;
		c->cnt.ooo_dropped++;
		goal -= k->mem;
		o->mem -= k->mem;
		o->n--;
		if (!o->n || goal <= 0) {
			if (lx_can_ingest(c))
				break;
			goal = cap >> 3;
		}
	}
	if (pruned) {
		s->st.TcpOfoPruned++; /* LINUX_MIB_OFOPRUNED */
		tcp_reass_prune(c, from);
		if (!o->n)
			lx_ofo_free(c);
	}
pruned:
	if (lx_can_ingest(c))
		return true;
	s->st.TcpRcvPruned++; /* LINUX_MIB_RCVPRUNED */
	return false;
}

bool tcp_rcv_ofo_admit(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint32_t hlen,
		       uint8_t flags, uint32_t ip_len)
{
	if (!s->cfg.rcv_wnd_linux || !ip_len || !len)
		return true;
	/* tcp_try_rmem_schedule() -> tcp_can_ingest() */
	if (!lx_can_ingest(c) && !lx_prune(s, c, seq, len))
		return false;
	/* Linux 6.17+ measures an out-of-order skb too (tcp_data_queue_ofo()
	 * calls tcp_measure_rcv_mss(), "tcp: call tcp_measure_rcv_mss() for
	 * ooo packets"), so the scaling ratio and the peer's segment size
	 * are known before the hole is filled, and the buffer autotuning
	 * grows for the out-of-order data is sized at that ratio
	 * (tests/pkt/linux/rcvbuf-grow-out-of-order.pkt). */
	uint32_t room = 0;
	lx_measure_ratio(s, c, len, lx_truesize(ip_len, &room));
	measure_rcv_mss(s, c, len, hlen, flags);
	return true;
}

void tcp_rcv_ofo_queued(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint32_t ip_len,
			bool queued)
{
	if (!s->cfg.rcv_wnd_linux)
		return;
	lx_ofo_trim(c);
	if (!queued || !ip_len || !len)
		return;
	uint32_t room = 0, truesize = lx_truesize(ip_len, &room);
	/* "For non sack flows, do not grow window to force DUPACK and
	 * trigger fast retransmit." */
	if (c->sack_ok)
		lx_grow_window(s, c, len, truesize);
	if (!lx_alloc(s, c, false))
		return; /* no record: the data is charged at the ratio as it joins */
	struct lx_ofo *o = c->lx->ofo;
	if (!o && !(o = lx_ofo_room(c))) {
		s->st.TcpPshNoMem++;
		return; /* no record: the data is charged at the ratio as it joins */
	}
	struct lx_ofo_skb *last = o->n ? &o->v[o->n - 1] : NULL;
	if (last && last->end == seq && len <= last->room) {
		/* tcp_ooo_try_coalesce() with ooo_last_skb: copied into the
		 * room its buffer left, at no cost. */
		last->end = seq + len;
		last->room = (uint16_t)(last->room - len);
		return;
	}
	uint16_t i = o->n;
	while (i && seq_gt(o->v[i - 1].seq, seq))
		i--;
	o->mem += truesize;
	struct lx_ofo *g = lx_ofo_room(c);
	if (!g) {
		/* No record free: the memory joins the skb below (or above,
		 * for the lowest), which a prune then takes with it. */
		s->st.TcpOfoSkbsMerged++;
		struct lx_ofo_skb *k = &o->v[i ? i - 1 : 0];
		k->mem += truesize;
		if (seq_lt(seq, k->seq))
			k->seq = seq;
		if (seq_gt(seq + len, k->end))
			k->end = seq + len;
		k->room = 0;
		return;
	}
	o = g;
	memmove(&o->v[i + 1], &o->v[i], (size_t)(o->n - i) * sizeof(o->v[0]));
	o->v[i].seq = seq;
	o->v[i].end = seq + len;
	o->v[i].mem = truesize;
	o->v[i].room = (uint16_t)room;
	o->n++;
}

/* sk_forward_alloc as Linux keeps it for a connection that only
 * receives: memory is reserved in whole pages (sk_rmem_schedule() ->
 * __sk_mem_schedule(), PAGE_SIZE quanta) and given back down to under a
 * page as skbs are freed (sk_mem_reclaim()), so what is reserved and not
 * charged is the rest of the last page sk_rmem_alloc began. */
static uint32_t lx_forward_alloc(const struct tcp_conn *c)
{
	return (4096u - lx_rmem(c) % 4096u) % 4096u;
}

bool tcp_rcv_inorder_admit(gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t ip_len)
{
	if (!s->cfg.rcv_wnd_linux || lx_can_ingest(c))
		return true;
	/* tcp_rcv_established()'s header prediction queues an in-order
	 * segment without asking sk_rcvbuf while nothing is held out of
	 * order (pred_flags; tcp_fast_path_check() turned it on when the
	 * last in-order queue found the memory under the buffer) and its
	 * truesize fits the memory already reserved ("if ((int)skb->truesize
	 * > sk->sk_forward_alloc) goto step5"). With SO_RCVBUF lowered under
	 * the memory held, Linux 6.18.44 so takes the first segment after
	 * (tests/pkt/linux/rcvbuf-lowered-under-held.pkt: 9,216 held, 3,072
	 * reserved, a 2,304-byte skb). */
	uint32_t room = 0;
	if (!c->nooo && ip_len && lx_truesize(ip_len, &room) <= lx_forward_alloc(c))
		return true;
	/* tcp_data_queue()'s queue_and_out: the segment at RCV.NXT that
	 * finds the memory spent collapses and prunes every held skb it
	 * needs to (all lie above it); when that leaves no room and data
	 * waits to be read it is dropped (TCPRcvQDrop) and ACKed at once
	 * with a window of 0 (ICSK_ACK_NOMEM: tcp_select_window() sets
	 * rcv_wnd to 0 and rcv_wup to rcv_nxt, the one shrink Linux makes);
	 * with nothing to read it is forced in (sk_forced_mem_schedule()). */
	if (lx_prune(s, c, c->rcv_nxt, len) || !c->rcv.len)
		return true;
	s->st.TcpRcvQDrop++;
	c->rcv_adv = c->rcv_nxt;
	tcp_send_ack(s, c);
	return false;
}

/* tcp_data_queue()'s queue_and_out for a bare FIN at RCV.NXT (the
 * zero-window branch sends one there, cfg.rcv_zero_wnd_fin): with the
 * memory past the buffer, tcp_try_rmem_schedule() runs tcp_prune_queue()
 * as for data (tcp_clamp_window() lowers rcv_ssthresh to two advmss
 * where the buffer cannot grow: Linux 6.18.44 offers 2,920 after the
 * read in fin-zero-window-established.pkt's connection), then the FIN is
 * forced in, never dropped ("&& skb->len"). True when the memory was past
 * the buffer: ICSK_ACK_NOMEM | ICSK_ACK_NOW, its ACK goes at once. */
bool tcp_rcv_bare_fin_nomem(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.rcv_wnd_linux || lx_can_ingest(c))
		return false;
	(void)lx_prune(s, c, c->rcv_nxt, 0);
	return true;
}

uint32_t tcp_rcvbuf_lowered(const struct tcp_conn *c) { return c->lx->rcvbuf_low; }

bool tcp_keep_long_set(gt_stack *s, struct tcp_conn *c, enum tcp_keep_long k, uint32_t v)
{
	uint32_t max = k == TCP_KEEP_LONG_CNT ? TCP_KEEP_CNT_MAX : TCP_KEEP_TIME_MAX;
	if (v <= max && !c->lx)
		return true; /* nothing to clear */
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (!x)
		return v <= max;
	x->keep_long[k] = v > max ? v : 0;
	return true;
}

uint32_t tcp_keep_long_get(const struct tcp_conn *c, enum tcp_keep_long k)
{
	return c->lx ? c->lx->keep_long[k] : 0;
}

int tcp_rcvbuf_lower(gt_stack *s, struct tcp_conn *c, uint32_t bytes)
{
	/* Linux's sk_setsockopt() (__sock_set_rcvbuf()) and FreeBSD's
	 * sosetopt() -> sbreserve_locked() set the buffer whatever it holds:
	 * nothing held is dropped, and what arrives meets a buffer smaller
	 * than its memory. The ring keeps its size for what it holds and the
	 * window still offered. */
	if (!lx_alloc(s, c, false))
		return -ENOBUFS;
	c->lx->rcvbuf_low = bytes;
	c->rcv_low = 1;
	return 0;
}

/* tcp_ofo_queue(), once the segment at RCV.NXT moved it from nxt: the
 * held skbs that start at or below the new RCV.NXT leave the queue. One
 * that holds nothing past what came before it is freed ("ofo packet was
 * already received"); the others move to the receive queue with their
 * memory, each copied into the room the last one left when it fits
 * (tcp_try_coalesce(), at no cost). Returns the bytes joined that no
 * record covered (no side struct, or records merged), charged at the
 * ratio by the caller. */
static uint32_t lx_ofo_join(struct tcp_conn *c, uint32_t nxt)
{
	struct lx_ofo *o = c->lx ? c->lx->ofo : NULL;
	if (!o)
		return c->rcv_nxt - nxt;
	uint32_t bare = 0;
	uint16_t k = 0;
	while (k < o->n && seq_lt(o->v[k].seq, c->rcv_nxt)) {
		struct lx_ofo_skb *r = &o->v[k++];
		o->mem -= r->mem;
		if (seq_le(r->end, nxt))
			continue;
		if (seq_gt(r->seq, nxt))
			bare += r->seq - nxt;
		uint32_t n = r->end - (seq_gt(r->seq, nxt) ? r->seq : nxt);
		nxt = r->end;
		if (n <= c->rcv_tailroom) {
			c->rcv_tailroom = (uint16_t)(c->rcv_tailroom - n);
			continue;
		}
		c->rcv.mem = c->rcv.mem + r->mem < c->rcv.mem ? UINT32_MAX : c->rcv.mem + r->mem;
		c->rcv_tailroom = r->room;
	}
	memmove(&o->v[0], &o->v[k], (size_t)(o->n - k) * sizeof(o->v[0]));
	o->n = (uint16_t)(o->n - k);
	if (!o->n || !c->nooo)
		lx_ofo_free(c); /* nothing held out of order: no memory either */
	return bare + (seq_lt(nxt, c->rcv_nxt) ? c->rcv_nxt - nxt : 0);
}

static void rcv_rtt_window(gt_stack *s, struct tcp_conn *c);

bool tcp_rcv_grow_window(gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t hlen, uint8_t flags,
			 uint32_t ip_len)
{
	uint32_t truesize = 0;
	if (s->cfg.rcv_wnd_linux) {
		/* tcp_queue_rcv(): the skb is charged to the socket, unless
		 * it fits in the room the last one left (skb_try_coalesce()
		 * copies it there; a kmalloc'd head cannot be stolen). */
		uint32_t room = 0;
		if (ip_len) {
			truesize = lx_truesize(ip_len, &room);
		} else {
			/* Data joined from the out-of-order queue brings the
			 * memory it was charged as it came (lx_ofo_join());
			 * what no record covers is charged at the ratio. */
			len = lx_ofo_join(c, c->rcv_nxt - len);
			if (!len)
				return false;
			truesize = (uint32_t)(((uint64_t)len << 8) / lx_ratio(c));
		}
		uint32_t charge = truesize;
		if (c->rcv.len > len && len <= c->rcv_tailroom) {
			charge = 0;
			room = c->rcv_tailroom - len;
			/* Copied into the last skb a collapse made,
			 * while it is the last one held: it grows. */
			struct tcp_lxtx *x = c->lx;
			if (ip_len && x && x->rcv_tail && x->rcv_kept + x->rcv_tail == c->rcv.len - len)
				x->rcv_tail = (uint16_t)(x->rcv_tail + len);
		}
		c->rcv.mem = c->rcv.mem + charge < c->rcv.mem ? UINT32_MAX : c->rcv.mem + charge;
		c->rcv_tailroom = (uint16_t)room;
		if (!ip_len)
			return false; /* tcp_ofo_queue(): no tcp_event_data_recv() again */
		lx_measure_ratio(s, c, len, truesize);
		rcv_rtt_window(s, c);
	}
	measure_rcv_mss(s, c, len, hlen, flags);
	if (!s->cfg.rcv_wnd_linux || len < 128)
		return false; /* tcp_event_data_recv(): only segments of 128 bytes or more */
	return lx_grow_window(s, c, len, truesize);
}

/* __tcp_ack_snd_check() asks __tcp_select_window(), which with
 * net.ipv4.tcp_shrink_window and a scale (cfg.rcv_wnd_shrink) takes the
 * shrink_window_allowed path: the free space rounded down to the scale, up
 * to one unit under the never-shrink computation's rounding up, so a right
 * edge that would just hold does not move and the ACK waits for the timer
 * (tests/pkt/linux/shrink-window-ack-waits-for-rounded-down-window.pkt). */
bool tcp_lx_window_moves(const gt_stack *s, const struct tcp_conn *c)
{
	return lx_select_window(c, NULL, s->cfg.rcv_wnd_shrink) >= c->rcv_wnd;
}

void tcp_rcv_rmem_taken(struct tcp_conn *c, uint32_t n)
{
	/* An skb is freed when the reader has taken all of it
	 * (tcp_eat_recv_skb()); the boundaries are not kept here, so the
	 * memory goes back in proportion (rcv_kept and rcv_tail apart), and all
	 * of it with the last byte. */
	struct tcp_lxtx *x = c->lx;
	if (!c->rcv.len) {
		c->rcv.mem = 0;
		c->rcv_tailroom = 0;
		if (x)
			x->rcv_kept = x->rcv_kept_mem = x->rcv_tail = x->rcv_tail_mem = 0;
		return;
	}
	uint64_t before = (uint64_t)c->rcv.len + n;
	uint32_t head = x ? x->rcv_kept + x->rcv_tail : 0, head_mem = x ? x->rcv_kept_mem + x->rcv_tail_mem : 0;
	if (!head || head > before || head_mem > c->rcv.mem) {
		if (x)
			x->rcv_kept = x->rcv_kept_mem = x->rcv_tail = x->rcv_tail_mem = 0;
		c->rcv.mem -= (uint32_t)((uint64_t)c->rcv.mem * n / before);
		return;
	}
	/* The reader takes the collapsed head first (the kept skbs, then
	 * the tail), then the rest; within each part the memory goes back
	 * in proportion. */
	uint32_t t = n < x->rcv_kept ? n : x->rcv_kept, gone = 0;
	if (t) {
		uint32_t m = (uint32_t)((uint64_t)x->rcv_kept_mem * t / x->rcv_kept);
		x->rcv_kept -= t;
		x->rcv_kept_mem -= m;
		gone += m;
		n -= t;
	}
	t = n < x->rcv_tail ? n : x->rcv_tail;
	if (t) {
		uint32_t m = (uint32_t)((uint64_t)x->rcv_tail_mem * t / x->rcv_tail);
		x->rcv_tail = (uint16_t)(x->rcv_tail - t);
		x->rcv_tail_mem = (uint16_t)(x->rcv_tail_mem - m);
		gone += m;
		n -= t;
	}
	uint64_t rest = before - head, rest_mem = c->rcv.mem - head_mem;
	if (n && rest)
		gone += (uint32_t)(rest_mem * n / rest);
	c->rcv.mem -= gone;
}

/* The right edge the next segment's window field would offer (no side
 * effect; the non-Linux arithmetic), before the field's scaling. */
static uint32_t offered_right(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t cap = tcp_rcvbuf(c); /* the window offers the buffer's size, memory or not */
	uint32_t free_bytes = tcp_rcv_space(c);
	uint32_t right = c->rcv_nxt + free_bytes;
	/* RFC 9293 3.8.6.2.2: move the right edge only by min(cap/2, MSS) or
	 * more, and never shrink the window (RFC 9293 3.8.6). */
	uint32_t step = cap / 2 < c->rcv_mss ? cap / 2 : c->rcv_mss;
	if (s->cfg.rcv_sws_bsd) {
		if (free_bytes < cap / 4 && free_bytes < c->rcv_mss)
			right = c->rcv_nxt;
	} else if (seq_ge(c->rcv_adv, c->rcv_nxt) && seq_lt(right, c->rcv_adv + step)) {
		right = c->rcv_adv;
	}
	if (seq_lt(right, c->rcv_adv))
		right = c->rcv_adv; /* never shrink the window */
	if (seq_lt(right, c->rcv_nxt))
		right = c->rcv_nxt;
	return right;
}

/* The window field scaled, and the right edge it really offers. Truncated
 * (RFC 7323 2.3), or with the slack of cfg.rcv_wnd_roundup rounded up to
 * the scale's unit as FreeBSD 14's tcp_output() does ("Avoid shrinking
 * window with window scaling": recwin = roundup2(recwin, 1 <<
 * rcv_scale), after the SWS rules, and rcv_adv = rcv_nxt + recwin with
 * the rounded value): a truncated field can pull the right edge back
 * below an ACK the peer sent at the old edge, taken as SND.WL1, and the
 * peer's later ACKs from SND.UNA + SND.WND never update its window again
 * (swarm seed 23048388). The rounded edge may pass the free buffer by up
 * to 2^scale - 1 bytes, and more after each ACK while nothing is read
 * (the never-shrink rule keeps the edge, and the rest is rounded up
 * again): the ring's slack holds it (tcp_rcv_slack(), grown by
 * rcv_slack_grow()). Where the ring cannot follow, the edge is kept all
 * the same, as FreeBSD keeps it (*cut set): what arrives past the ring
 * is not kept (tcp_input.c trims to the ring's free space) and the peer
 * sends it again. Rounded down instead, the edge went back below the
 * peer's SND.NXT, and a FreeBSD peer that had taken an ACK from there for
 * its SND.WL1 never took our window again (swarm seed 23048388 with the
 * slack too small). */
static uint32_t field_of(const struct tcp_conn *c, uint32_t right, uint32_t *adv, bool *cut)
{
	uint8_t shift = c->ws_ok ? c->rcv_wscale : 0;
	uint32_t wnd = right - c->rcv_nxt;
	uint32_t field = wnd >> shift;
	if (c->rcv_slack && (field << shift) != wnd) {
		field++;
		if (cut && ((uint64_t)field << shift) > ring_free_space(&c->rcv))
			*cut = true;
	}
	if (field > 65535)
		field = 65535;
	*adv = c->rcv_nxt + (field << shift);
	return field;
}

/* FreeBSD appends what comes up to its rounded edge past sb_hiwat
 * (tcp_do_segment(): sbappendstream_locked(), no check of space; only
 * out-of-order data meets a limit, tcp_reass()'s sb_mbmax), so the creep
 * of the edge past the buffer has no bound but the window's ceiling
 * (tcp_output(): recwin at most TCP_MAXWIN << rcv_scale). The slack
 * doubles when the rounded edge would pass the ring, within the stack's
 * budget (tcp_ring_resize_keep()) and that ceiling; 64 units fell short
 * for a peer whose ACKs each covered a unit and a byte (each rounded the
 * rest up by nearly a unit: tests/pkt/freebsd/window-rounded-up-creep-past-slack.pkt). */
static uint64_t slack_need(const struct tcp_conn *c, uint32_t right)
{
	uint8_t shift = c->rcv_wscale;
	uint32_t wnd = right - c->rcv_nxt;
	return ((uint64_t)(wnd >> shift) + ((wnd & ((1u << shift) - 1u)) ? 1u : 0u)) << shift;
}

/* Grows the slack towards the edge right needs; true where the ring
 * stays short of it (window_field_now() then keeps no memo). */
static bool rcv_slack_grow(gt_stack *s, struct tcp_conn *c, uint32_t right)
{
	uint8_t shift = c->rcv_wscale;
	uint64_t need = slack_need(c, right);
	while (need > ring_free_space(&c->rcv) && c->rcv_slack < TCP_RCV_SLACK_LEVELS &&
	       !c->syn_data_len) {
		uint32_t old = tcp_rcv_slack(c);
		uint32_t next = tcp_rcv_slack_of(shift, c->rcv_slack + 1u);
		if (next > (65535u << shift))
			break;
		uint32_t ooo = c->nooo ? c->ooo[c->nooo - 1].right - c->rcv_nxt : 0;
		if (tcp_ring_resize_keep(s, &c->rcv, c->rcv.cap + (next - old), c->rcv.len + ooo) < 0)
			break;
		c->rcv_slack++;
		s->st.TcpRcvWndSlackGrown++;
	}
	return need > ring_free_space(&c->rcv);
}

uint16_t tcp_tw_window_field(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t wnd = (offered_right(s, c) - c->rcv_nxt) >> (c->ws_ok ? c->rcv_wscale : 0);
	return (uint16_t)(wnd > 65535 ? 65535 : wnd);
}

/* The window field of the segment being built, and whether the next
 * segment of the same output call would get the same field with nothing
 * received or read between (*again, asked where again is given; *cut: the
 * field passed the ring). */
static inline uint16_t window_field_now(gt_stack *s, struct tcp_conn *c, bool *again, bool *cut)
{
	if (s->cfg.rcv_wnd_linux) {
		uint32_t before = c->rcv_wnd;
		bool squeezed = false;
		uint16_t field = lx_window_field(c, &squeezed, s->cfg.rcv_wnd_shrink);
		/* tcp_select_window() runs for every segment sent, and its
		 * __tcp_select_window() ends quick-ACK mode whenever the free
		 * space is under half the full space, before
		 * tcp_event_ack_sent() counts the ACK against it (so ato is
		 * left as it was). cfg.squeeze_ends_quickack. */
		if (squeezed && s->cfg.squeeze_ends_quickack)
			c->quickack = 0;
		/* It changes rcv_wnd and rcv_adv only. Scaled,
		 * __tcp_select_window() does not read rcv_wnd, and the edge
		 * kept (rcv_adv) is at or above what it chose; unscaled, it
		 * reads rcv_wnd ("window = tp->rcv_wnd"), so the same answer
		 * follows only where that stayed. */
		if (again)
			*again = (c->ws_ok && c->rcv_wscale) || c->rcv_wnd == before;
		return field;
	}
	uint32_t right = offered_right(s, c);
	/* A slack the ring could not grow to is tried again (and counted)
	 * at each segment: no shortcut then. */
	bool short_of = c->rcv_slack && c->ws_ok && rcv_slack_grow(s, c, right);
	uint32_t adv, field = field_of(c, right, &adv, cut);
	if (*cut)
		s->st.TcpRcvWndRoundCut++;
	if (seq_gt(adv, c->rcv_adv))
		c->rcv_adv = adv;
	if (again)
		*again = !short_of;
	return (uint16_t)field;
}

#ifdef GT_SLACK_CHECK
/* The field the full computation gives, against the one kept: on a copy
 * of the TCB for the Linux profile (it writes rcv_wnd and rcv_adv), by the
 * side-effect-free pieces otherwise. */
static void wnd_memo_check(const gt_stack *s, const struct tcp_conn *c)
{
	if (s->cfg.rcv_wnd_linux) {
		struct tcp_conn t = *c;
		assert(lx_window_field(&t, NULL, s->cfg.rcv_wnd_shrink) == s->wnd_memo_field);
		assert(t.rcv_wnd == c->rcv_wnd && t.rcv_adv == c->rcv_adv);
		return;
	}
	bool cut = false;
	uint32_t adv, right = offered_right(s, c);
	assert(field_of(c, right, &adv, &cut) == s->wnd_memo_field && cut == s->wnd_memo_cut);
	assert(!seq_gt(adv, c->rcv_adv));
	assert(!(c->rcv_slack && c->ws_ok) || slack_need(c, right) <= ring_free_space(&c->rcv));
}
#endif

/* Linux's tcp_select_window() runs for every skb (__tcp_transmit_skb()),
 * but within one tcp_write_xmit() its inputs stay: the receive queue's
 * memory, rcv_ssthresh and window_clamp move on input and reads, which the
 * socket lock keeps out, and the only state it writes (rcv_wnd, rcv_wup)
 * gives it back the same window (window_field_now()). FreeBSD's
 * tcp_output() takes recwin from sbspace() on each pass of its "again"
 * loop, and rcv_adv, which it moves, only holds the next pass's recwin up
 * to the same value. So the segments of one tcp_output() send loop share
 * the field its first one chose (lx_select_window() about 100 Ir a
 * segment; bench/PROFILE.md). tcp_lx_send_new() and tcp_retransmit_lost()
 * do not keep it: in recovery they send about one segment a call, and the
 * memo's bookkeeping (20 Ir a miss) cost more than its hits saved there.
 * The -DGT_SLACK_CHECK build recomputes it at every hit and asserts. */
__attribute__((noinline)) static uint16_t window_field_memo(gt_stack *s, struct tcp_conn *c)
{
	bool again = false, cut = false;
	if (s->wnd_memo == c && s->wnd_memo_nxt == c->rcv_nxt && s->wnd_memo_len == c->rcv.len) {
#ifdef GT_SLACK_CHECK
		wnd_memo_check(s, c);
#endif
		if (s->wnd_memo_cut)
			s->st.TcpRcvWndRoundCut++;
		return s->wnd_memo_field;
	}
	uint16_t field = window_field_now(s, c, &again, &cut);
	s->wnd_memo = again ? c : NULL;
	s->wnd_memo_field = field;
	s->wnd_memo_cut = cut;
	s->wnd_memo_nxt = c->rcv_nxt;
	s->wnd_memo_len = c->rcv.len;
	return field;
}

uint16_t tcp_window_field(gt_stack *s, struct tcp_conn *c)
{
	if (s->wnd_memo_on)
		return window_field_memo(s, c);
	bool cut = false; /* a lone segment (a pure ACK, a probe): nothing kept */
	return window_field_now(s, c, NULL, &cut);
}

/* Opens the window's memo for one output call (tcp_window_field()); false
 * when an enclosing call holds it open already. */
static bool wnd_memo_open(gt_stack *s)
{
	bool open = !s->wnd_memo_on; /* closed, wnd_memo is NULL */
	s->wnd_memo_on = true;
	return open;
}

static void wnd_memo_close(gt_stack *s, bool opened)
{
	if (opened) {
		s->wnd_memo_on = false;
		s->wnd_memo = NULL;
	}
}

void tcp_read_ack_check(gt_stack *s, struct tcp_conn *c)
{
	if (c->delack_at == TCP_TIMER_NONE)
		return;
	/* tcp_cleanup_rbuf(): "Once-per-two-segments ACK was not sent by
	 * tcp_input.c" (rcv_nxt - rcv_wup > icsk_ack.rcv_mss: held because
	 * the window could not move, delack_linux()), whatever is left
	 * unread (tests/pkt/linux/read-acks-two-segments-held.pkt); a FIN
	 * held with the data counts, rcv_nxt being past it
	 * (fin-with-data-ack-waits-for-window.pkt) ... */
	uint32_t full = c->ack_rcv_mss ? c->ack_rcv_mss /* icsk_ack.rcv_mss as measured */
				       : (uint32_t)c->rcv_mss - (c->ts_ok ? 12u : 0u);
	if (c->rcv_unacked + (c->fin_rcvd && c->rcv_unacked) > full) {
		tcp_send_ack(s, c);
		return;
	}
	/* ... or the read emptied the buffer after a short segment. */
	if (c->rcv.len)
		return;
	if (c->ack_pushed2 || (c->ack_pushed && !c->pingpong))
		tcp_send_ack(s, c);
}

void tcp_rcv_window_maybe_update(gt_stack *s, struct tcp_conn *c)
{
	if (c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_FIN_WAIT_1 &&
	    c->state != GT_TCP_FIN_WAIT_2)
		return;
	if (s->cfg.rcv_wnd_linux) {
		/* Linux's tcp_cleanup_rbuf(): after a read, an update when the
		 * window offered is at most half the buffer's and the window
		 * now is at least twice it. */
		uint32_t now = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
		if (2 * now <= lx_window_clamp(c)) {
			bool squeezed = false;
			uint32_t wnd = lx_select_window(c, &squeezed, s->cfg.rcv_wnd_shrink);
			if (squeezed && s->cfg.squeeze_ends_quickack)
				c->quickack = 0; /* __tcp_select_window() here too */
			if (wnd && wnd >= 2 * now)
				tcp_send_ack(s, c);
		}
		return;
	}
	/* Only an update that moves the right edge the peer was offered: the
	 * receiver's SWS rule or the scaling can leave the field where it
	 * was (0 in a small buffer), and an ACK that says what the last one
	 * said is noise; the swarm saw every small read of a full buffer
	 * answered with a pure ACK of window 0 (seeds 78, 694, 2002231). */
	uint32_t right = offered_right(s, c), offered;
	if (!field_of(c, right, &offered, NULL) || !seq_gt(offered, c->rcv_adv))
		return;
	/* Past that test none of offered_right()'s rules held the edge back
	 * (each leaves it at rcv_adv or below, or the field at 0): it is
	 * RCV.NXT plus the free buffer, taken unscaled below, up to the
	 * largest window the field can say (RFC 7323 2.3). */
	uint32_t max_wnd = 65535u << (c->ws_ok ? c->rcv_wscale : 0);
	if (right - c->rcv_nxt > max_wnd)
		right = c->rcv_nxt + max_wnd;
	uint32_t cap = tcp_rcvbuf(c);
	uint32_t adv_wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	/* RFC 1122 4.2.3.3: update the peer once the window can move by
	 * min(cap/2, MSS), and always when it was (nearly) closed. */
	uint32_t step = cap / 2 < c->rcv_mss ? cap / 2 : c->rcv_mss;
	if (!seq_ge(right, c->rcv_adv + step))
		return;
	uint32_t grow = right - c->rcv_adv;
	if (s->cfg.rcv_sws_bsd) {
		/* FreeBSD's tcp_output(), "adv" the growth: an update alone
		 * for two segments (t_maxseg, the MSS before options) when
		 * that is also a quarter of the buffer (sb_hiwat), or the
		 * window left is an eighth of it or less, or the buffer holds
		 * eight segments or fewer, or the growth is the largest window
		 * the scale can say; or for half the buffer whatever the
		 * segment size. Two segments' growth in a large buffer waits
		 * for the next segment's ACK. None while a delayed ACK is
		 * pending (TF_DELACK): "it will get piggy-backed on it". */
		if (c->delack_at != TCP_TIMER_NONE)
			return;
		uint32_t maxseg = c->mss + tcp_seg_opt_bytes(c);
		uint32_t recwin = right - c->rcv_nxt;
		bool two_segs = grow >= 2u * maxseg &&
				(grow >= cap / 4 || recwin <= cap / 8 || cap <= 8u * maxseg ||
				 grow >= max_wnd);
		if (two_segs || 2 * grow >= cap)
			tcp_send_ack(s, c);
		return;
	}
	if (adv_wnd < c->rcv_mss || grow >= 2u * c->rcv_mss || grow >= cap / 2)
		tcp_send_ack(s, c);
}

static uint32_t data_end(const struct tcp_conn *c) { return c->snd_una + c->snd.len; }

/* ---- Linux's PSH (cfg.psh_linux) ----
 * Linux marks PSH on skbs, not on writes: tcp_sendmsg_locked() fills skbs
 * of tcp_xmit_size_goal() bytes and tcp_push() marks the tail skb of a
 * write without MSG_MORE (tcp_mark_push(), which moves tp->pushed_seq);
 * when an skb fills up and more than half the peer's largest window was
 * written since pushed_seq (forced_push()), that skb is marked too. The
 * first copy of a write into an skb clears the skb's mark. Splitting an
 * skb for sending leaves its PSH on the tail piece. Here an skb's mark is
 * the sequence number where it ends: a segment ending there carries PSH.
 * Besides, __tcp_transmit_skb() sets PSH on the copy it sends of every
 * skb of two or more segments (tcp_skb_pcount() > 1: one GSO packet, PSH
 * on its last segment), marked or not, first transmission or not; the
 * skb itself keeps no trace of it (measured with pktrun --kernel: a
 * 30,000-byte write, MSG_MORE or not, leaves as PSH on every second
 * segment at an RTT of 100 ms).
 *
 * Retransmissions: tso_fragment() cut each skb at the end of the unit it
 * went out in, so the retransmission queue holds one skb per transmit
 * unit, and __tcp_retransmit_skb() sends one skb at most, cut by
 * tcp_fragment() to the segments the congestion window allows (one for
 * the RTO and the fast retransmit): a whole skb of two or more segments
 * again carries PSH on its last, a piece cut from the front carries none
 * (tcp_fragment() leaves PSH on the tail), and the tail piece is an skb of
 * its own from then on. tests/pkt/linux/data-rtx-psh-unit.pkt shows it on
 * 6.18. The skb ends in flight are kept here (lx->skb_end; at most
 * TCP_LX_SKBS, a newer end not kept merges two skbs: TcpPshSkbsDropped).
 * A retransmitted skb shorter than the MSS takes in its neighbours, up to
 * one MSS (tcp_retrans_try_collapse(), lx_rtx_len()). RACK's
 * recovery resends an skb's lost run as __tcp_retransmit_skb() does
 * (tcp_retransmit_lost()); the RFC 6675 paths (tcp_sack.c) send one
 * segment each. */

/* struct tcp_lxtx, the Linux side struct, is defined with the receive
 * window's arithmetic above. */

/* Linux's tcp_rcv_rtt_measure(), from tcp_event_data_recv(), timestamps or
 * not: each segment in order checks whether RCV.NXT has reached the
 * window's end set when the timing began (RCV.NXT + the window last
 * offered); the time since is a sample (taken when smaller,
 * tcp_autotune_rtt_window()), and a new timing begins. Without
 * timestamps it is autotuning's only RTT: Linux 6.18 grows no buffer
 * before a whole window has come in
 * (tests/pkt/linux/rcvbuf-grow-no-timestamps.pkt). */
static void rcv_rtt_window(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.rcvbuf_autotune || !lx_alloc(s, c, false))
		return;
	struct tcp_lxtx *x = c->lx;
	uint32_t now = (uint32_t)s->now_us;
	if (x->rtt_est_us) {
		if (seq_lt(c->rcv_nxt, x->rtt_est_seq))
			return;
		tcp_autotune_rtt_window(s, c, now - x->rtt_est_us);
	}
	x->rtt_est_seq = c->rcv_nxt + c->rcv_wnd;
	x->rtt_est_us = now ? now : 1;
}

/* ---- Linux's send MSS (cfg.mss_half_wnd) ----
 * tcp_sync_mss() sets mss_cache, the size segments are cut at, to the
 * path's MSS bounded by tcp_bound_to_half_wnd(): at most half the peer's
 * largest window (tp->max_window), or all of it when that is 536 bytes
 * (TCP_MSS_DEFAULT) or less, never below 68 bytes less the TCP header.
 * Linux calls it as the connection is made (tcp_v4_syn_recv_sock(), with
 * max_window from the handshake's last ACK; tcp_rcv_synsent_state_process(),
 * from the SYN-ACK), when max_window grows (tcp_ack_update_window()) and
 * when the path MTU changes (tcp_current_mss(), tcp_v4_mtu_reduced()).
 * c->mss is mss_cache; while the bound cuts it, the path's MSS is kept in
 * lx->mss_path. Against a peer offering 1,000 bytes Linux 6.18 sends
 * 500-byte segments (tests/pkt/linux/mss-half-peer-window.pkt). */
uint16_t tcp_mss_path(const struct tcp_conn *c)
{
	if (!c->lx && c->lx_shed)
		return shed_mss_path(c) ? shed_mss_path(c) : c->mss;
	return c->lx && c->lx->mss_path ? c->lx->mss_path : c->mss;
}

/* cfg.cwnd_packets: Linux's cwnd and ssthresh are packets, which an MSS
 * change keeps: the bytes follow the MSS. tcp_simple_retransmit() after
 * tcp_v4_mtu_reduced() leaves snd_cwnd ("Don't muck with the congestion
 * window here"); an MSS the half-window bound raises leaves it too, so
 * 500-byte skbs written at an initial window of 10 go ten 1,460-byte
 * packets' worth once the window opens (sndbuf-skb-old-goal-kept). */
static void mss_scale_cwnd(gt_stack *s, struct tcp_conn *c, uint16_t old)
{
	if (!s->cfg.cwnd_packets || c->state < GT_TCP_ESTABLISHED || !old || old == c->mss)
		return;
	c->cwnd = (uint32_t)((uint64_t)c->cwnd * c->mss / old);
	if (c->cwnd < c->mss)
		c->cwnd = c->mss;
	if (c->ssthresh != UINT32_MAX) {
		uint64_t t = (uint64_t)c->ssthresh * c->mss / old;
		c->ssthresh = t < UINT32_MAX ? (uint32_t)t : UINT32_MAX - 1;
	}
}

static void mss_sync(gt_stack *s, struct tcp_conn *c, uint16_t old);

void tcp_mss_sync(gt_stack *s, struct tcp_conn *c) { mss_sync(s, c, c->mss); }

static void mss_sync(gt_stack *s, struct tcp_conn *c, uint16_t old)
{
	uint16_t path = tcp_mss_path(c), m = path;
	uint32_t w = c->max_snd_wnd, cut = w > 536 ? w / 2 : w;
	uint32_t least = 68u - 20u - (c->ts_ok ? 12u : 0u); /* 68 - tp->tcp_header_len */
	if (s->cfg.mss_half_wnd && cut && path > cut)
		m = (uint16_t)(cut > least ? cut : least);
	if (m != path && !lx_alloc(s, c, false))
		m = path;
	if (c->lx)
		c->lx->mss_path = m != path ? path : 0;
	c->mss = m;
	mss_scale_cwnd(s, c, old);
}

void tcp_mss_set_path(gt_stack *s, struct tcp_conn *c, uint16_t path)
{
	uint16_t old = c->mss;
	if (c->lx_shed)
		lx_alloc(s, c, false); /* the path read from the TCB goes */
	if (c->lx)
		c->lx->mss_path = 0;
	c->mss = path;
	if (c->state >= GT_TCP_ESTABLISHED)
		mss_sync(s, c, old);
	/* Linux sets sk_pacing_rate from mss_cache only as an ACK is taken
	 * (tcp_cong_control(): tcp_update_pacing_rate()); tcp_sync_mss()
	 * from tcp_v4_mtu_reduced() leaves it, so tcp_tso_autosize() cuts
	 * the next units from a rate of the old MSS. */
	if (s->cfg.psh_linux && c->lx && c->state >= GT_TCP_ESTABLISHED && old != c->mss &&
	    !c->lx->pace_mss)
		c->lx->pace_mss = old;
}

/* ---- FreeBSD's PMTU black-hole detection (cfg.pmtud_blackhole) ----
 * FreeBSD 14's tcp_timer_rexmt() (sobomax/freebsd14_vendor 0f7ff34,
 * sys/netinet/tcp_timer.c). t_maxseg is the MSS before options
 * (tcp_maxseg() takes them off as segments are cut): c->mss plus the
 * options every segment carries (tcp_seg_opt_bytes()), as bsd_tcp_mss()
 * sets it. */

void tcp_pmtud_sent(gt_stack *s, struct tcp_conn *c, uint32_t len)
{
	/* tcp_output() at send: "if (len >= tp->t_maxseg) t_flags2 |=
	 * TF2_PLPMTU_MAXSEGSNT, else &= ~", len not yet cut for options:
	 * a segment of the full c->mss. Without the side struct the flag
	 * reads clear, and no detection runs (counted). */
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (x)
		x->bh_full = len >= c->mss;
}

static bool pmtud_blackhole_on(const gt_stack *s, const struct tcp_conn *c, bool v6)
{
	uint8_t m = s->cfg.pmtud_blackhole;
	return (m == 1 || (m == 2 && !v6) || (m == 3 && v6)) &&
	       (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_FIN_WAIT_1);
}

void tcp_pmtud_blackhole_rto(gt_stack *s, struct tcp_conn *c)
{
	bool v6 = !ip_addr_is_v4(c->faddr);
	if (!pmtud_blackhole_on(s, c, v6))
		return;
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	if (!x)
		return;
	uint32_t opts = tcp_seg_opt_bytes(c), maxseg = c->mss + opts;
	uint32_t bh = v6 ? s->cfg.v6pmtud_blackhole_mss : s->cfg.pmtud_blackhole_mss;
	/* V_tcp_v6mssdflt is TCP6_MSS (1220); V_tcp_mssdflt the stack's. */
	uint32_t dflt = tcp_mss_default_for(s, c->faddr);
	uint32_t shift = c->rtx_count; /* t_rxtshift, this timeout counted */
	if (shift == 1) {
		/* Two tries per candidate MSS, from the second timeout
		 * (t_blackhole_enter 2), a candidate only where it lowers. */
		x->bh_exit = 2;
		if (maxseg > bh)
			x->bh_exit += 2;
		if (maxseg > dflt && bh > dflt)
			x->bh_exit += 2;
	}
	/* TF2_PLPMTU_PMTUD: tcp_output() sets it on every segment while
	 * t_maxseg > V_tcp_minmss (216; V_path_mtu_discovery on), the
	 * same test that sets DF on IPv4, which every glasstcp segment
	 * carries; the clear below (a switch to the default MSS) lasts
	 * only until the retransmission this timeout sends. */
	bool pmtud = maxseg > 216;
	if (pmtud && x->bh_full && shift >= 2 && shift < x->bh_exit && (shift - 2) % 2 == 0) {
		if (!x->bh_saved_maxseg)
			x->bh_saved_maxseg = (uint16_t)maxseg; /* TF2_PLPMTU_BLACKHOLE */
		if (maxseg > bh && bh > dflt) {
			maxseg = bh;
			s->st.TcpPmtudBlackholeActivated++;
		} else {
			maxseg = dflt;
			s->st.TcpPmtudBlackholeActivatedMinMss++;
		}
	} else if (x->bh_saved_maxseg && shift >= x->bh_exit) {
		/* "maybe this isn't a blackhole": the MSS before it. */
		maxseg = x->bh_saved_maxseg;
		x->bh_saved_maxseg = 0;
		s->st.TcpPmtudBlackholeFailed++;
	} else {
		return;
	}
	/* Then CC_ALGO(tp)->conn_init(): NewReno (the FreeBSD profile's)
	 * has none in FreeBSD 14 (cc_newreno.c); cc_cong_signal(CC_RTO)
	 * after it takes the new tcp_maxseg() for cwnd and ssthresh, as
	 * on_rto() does with c->mss. */
	tcp_mss_set_path(s, c, (uint16_t)(maxseg > opts + 64 ? maxseg - opts : 64));
}

void tcp_mss_add(struct tcp_conn *c, int delta)
{
	/* Linux takes the MD5 option's room from mss_cache, bounded or not
	 * (tcp_current_mss()). */
	c->mss = (uint16_t)(c->mss + delta);
	if (c->lx && c->lx->mss_path)
		c->lx->mss_path = (uint16_t)(c->lx->mss_path + delta);
}

static uint32_t send_psh(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t max_len, bool psh);
static void skb_end_add(gt_stack *s, struct tcp_conn *c, uint32_t seq);
static uint32_t lx_flight_slack(const gt_stack *s, struct tcp_conn *c);
static bool flight_net_of_sacks(const struct tcp_conn *c);

/* ---- Linux's packetization-layer path MTU discovery (RFC 4821) ----
 * Linux 6.18's icsk_mtup and the connection's cached route, for
 * cfg.mtu_probing (net.ipv4.tcp_mtu_probing) and routes (gt_route_set()):
 * search_low and search_high bound the MTU searched (tcp_mtup_init()),
 * probe_size is the MTU of the probe in flight (0 none), which
 * [probe_seq_start, probe_seq_end) carries (tp->mtu_probe); probe_ts_ms
 * the last search's start (probe_timestamp). dst_mtu is the MTU of the
 * route the connection holds (sk_dst_cache's dst_mtu()), taken anew
 * after a segment goes out once the route changed (ip_queue_xmit()'s
 * __sk_dst_check()); pmtu_cookie the MTU the MSS was last synced to
 * (icsk_pmtu_cookie), which tcp_current_mss() compares with it. */
struct tcp_mtup {
	uint32_t probe_seq_start, probe_seq_end;
	uint32_t probe_ts_ms;
	uint32_t route_gen;
	uint16_t dst_mtu, pmtu_cookie;
	uint16_t search_low, search_high, probe_size;
	bool enabled : 1;
	bool inited : 1; /* tcp_mtup_init() ran (the connection is established) */
};

static struct tcp_mtup *mtup_of(const struct tcp_conn *c)
{
	return c->lx ? c->lx->mtup : NULL;
}

static bool mtup_wanted(const gt_stack *s)
{
	return s->cfg.mtu_probing_linux && (s->cfg.mtu_probing || s->nroute);
}

static uint32_t mtup_ip_hdr(const struct tcp_conn *c) { return (uint32_t)ip_hdr_len(c->faddr); }

/* tcp_mtu_to_mss(): the MTU less the IP and TCP headers, at most the
 * peer's MSS (rx_opt.mss_clamp), at least tcp_min_snd_mss, less the
 * timestamp option (tp->tcp_header_len). */
static uint32_t mtup_mtu_to_mss(const gt_stack *s, const struct tcp_conn *c, uint32_t mtu)
{
	uint32_t h = mtup_ip_hdr(c) + 20u;
	uint32_t m = mtu > h ? mtu - h : 0;
	if (c->peer_mss && m > c->peer_mss)
		m = c->peer_mss;
	uint32_t least = s->cfg.lx_min_snd_mss ? s->cfg.lx_min_snd_mss : 48u;
	if (m < least)
		m = least;
	return m - (c->ts_ok ? 12u : 0u);
}

/* tcp_mss_to_mtu(). */
static uint32_t mtup_mss_to_mtu(const struct tcp_conn *c, uint32_t mss)
{
	return mss + 20u + (c->ts_ok ? 12u : 0u) + mtup_ip_hdr(c);
}

/* The state, made on first need: the route the connection holds is the
 * one it finds now. NULL without memory (TcpMtupNoMem). */
static struct tcp_mtup *mtup_get(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_mtup *m = mtup_of(c);
	if (m)
		return m;
	struct tcp_lxtx *x = lx_alloc(s, c, false);
	m = x ? calloc(1, sizeof(*m)) : NULL;
	if (!m) {
		s->st.TcpMtupNoMem++;
		return NULL;
	}
	uint32_t mtu = ip_path_mtu(s, c->faddr);
	m->dst_mtu = m->pmtu_cookie = (uint16_t)(mtu < 65535 ? mtu : 65535);
	m->route_gen = s->route_gen;
	x->mtup = m;
	return m;
}

/* tcp_sync_mss(sk, pmtu). */
static void mtup_sync(gt_stack *s, struct tcp_conn *c, struct tcp_mtup *m, uint32_t pmtu)
{
	if (m->search_high > pmtu)
		m->search_high = (uint16_t)pmtu;
	uint32_t mss = mtup_mtu_to_mss(s, c, pmtu);
	if (m->enabled) {
		uint32_t low = mtup_mtu_to_mss(s, c, m->search_low);
		mss = mss < low ? mss : low;
	}
	m->pmtu_cookie = (uint16_t)pmtu;
	if (mss != tcp_mss_path(c))
		tcp_mss_set_path(s, c, (uint16_t)mss);
}

/* tcp_mtup_init(), from tcp_init_transfer(): the search from tcp_base_mss
 * to the peer's MSS; probing on with tcp_mtu_probing 2. */
static void mtup_init(gt_stack *s, struct tcp_conn *c, struct tcp_mtup *m)
{
	m->inited = true;
	/* tcp_v4_syn_recv_sock() and tcp_finish_connect() synced the MSS to
	 * the route's MTU before this: the MSS the connection took from
	 * the MSS it announced (c->rcv_mss) is that one unless the route's
	 * advmss announced another (set_rcv_mss()), which bounds nothing
	 * sent (tests/pkt/linux/route-advmss-not-send-mss.pkt). */
	const struct gt_route *r = ip_route_for(s, c->faddr);
	if (r && r->advmss) {
		m->enabled = false;
		m->search_high = UINT16_MAX;
		mtup_sync(s, c, m, m->dst_mtu);
	}
	m->enabled = s->cfg.mtu_probing > 1;
	uint32_t peer = c->peer_mss ? c->peer_mss : 536u;
	m->search_high = (uint16_t)(peer + 20u + mtup_ip_hdr(c));
	m->search_low = (uint16_t)mtup_mss_to_mtu(c, s->cfg.mtu_base_mss);
	m->probe_size = 0;
	m->probe_ts_ms = (uint32_t)(s->now_us / 1000);
}

void tcp_mtup_route_changing(gt_stack *s, ip_addr dst)
{
	if (!s->cfg.mtu_probing_linux)
		return;
	for (uint32_t i = 0; i < s->nslabs; i++)
		for (uint32_t j = 0; j < s->slab_hw[i]; j++) {
			struct tcp_conn *c = &s->slabs[i][j];
			if (c->in_use && !c->dead && c->state != GT_TCP_LISTEN && ip_addr_eq(c->faddr, dst))
				(void)mtup_get(s, c); /* it holds the route it had */
		}
}

/* The connection's probing state, made and tcp_mtup_init()'s search set
 * on first use; NULL without memory (mtup_get() counts it). */
static struct tcp_mtup *mtup_ready(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_mtup *m = mtup_get(s, c);
	if (m && !m->inited)
		mtup_init(s, c, m);
	return m;
}

/* tcp_current_mss()'s resync, at the start of a send: the route's MTU
 * changed since the MSS was taken. */
static void mtup_current(gt_stack *s, struct tcp_conn *c)
{
	if (!mtup_wanted(s) || c->state < GT_TCP_ESTABLISHED)
		return;
	struct tcp_mtup *m = mtup_ready(s, c);
	if (m && m->dst_mtu != m->pmtu_cookie)
		mtup_sync(s, c, m, m->dst_mtu);
}

/* ip_queue_xmit(): a segment went out; a stale route is looked up again.
 * A retransmission ends the probe in flight unjudged, neither success
 * nor failure (__tcp_retransmit_skb(): "if (icsk->icsk_mtup.probe_size)
 * icsk->icsk_mtup.probe_size = 0"). */
static void mtup_sent(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	struct tcp_mtup *m = mtup_of(c);
	if (m && len && seq_lt(seq, c->snd_max))
		m->probe_size = 0;
	if (!m || m->route_gen == s->route_gen)
		return;
	uint32_t mtu = ip_path_mtu(s, c->faddr);
	m->dst_mtu = (uint16_t)(mtu < 65535 ? mtu : 65535);
	m->route_gen = s->route_gen;
}

/* tcp_mtu_check_reprobe(): tcp_probe_interval after the last search, the
 * search starts again from the peer's MSS. */
static void mtup_check_reprobe(gt_stack *s, struct tcp_conn *c, struct tcp_mtup *m)
{
	uint32_t now_ms = (uint32_t)(s->now_us / 1000);
	uint64_t interval_ms = (uint64_t)s->cfg.mtu_probe_interval_s * 1000u;
	if ((uint32_t)(now_ms - m->probe_ts_ms) < interval_ms)
		return;
	uint32_t peer = c->peer_mss ? c->peer_mss : 536u;
	m->search_high = (uint16_t)(peer + 20u + mtup_ip_hdr(c));
	m->probe_ts_ms = now_ms;
	mtup_sync(s, c, m, m->pmtu_cookie);
}

/* Linux's tcp_mtu_probe(), before tcp_write_xmit()'s loop: -1 nothing
 * probed (send as usual), 0 wait (send nothing now), 1 the probe went.
 * The probe is one segment of the MSS half way between search_low and
 * search_high, taken from the unsent head; it needs the open state, cwnd
 * of 11 packets, no SACK blocks to send, a range of
 * tcp_probe_threshold, the probe and reordering + 1 segments after it
 * unsent and within the peer's window, and room for two more packets in
 * cwnd. */
static int mtu_probe(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_mtup *m = mtup_of(c);
	uint32_t mss = c->mss;
	if (!m || !m->enabled || m->probe_size || c->in_recovery || c->loss_pipe ||
	    tcp_rack_cwr_holds(c) || !mss || c->cwnd / mss < 11 || c->nooo || c->dsack_pending)
		return -1;
	uint32_t probe = mtup_mtu_to_mss(s, c, ((uint32_t)m->search_high + m->search_low) >> 1);
	uint32_t need = probe + (tcp_reordering(s, c) + 1u) * mss;
	uint32_t interval = m->search_high > m->search_low ? m->search_high - m->search_low : 0;
	if (probe > mtup_mtu_to_mss(s, c, m->search_high) || interval < s->cfg.mtu_probe_threshold) {
		mtup_check_reprobe(s, c, m);
		return -1;
	}
	uint32_t end = data_end(c);
	if (!seq_lt(c->snd_nxt, end) || end - c->snd_nxt < need)
		return -1;
	if (c->snd_wnd < need)
		return -1;
	if (seq_gt(c->snd_nxt + need, c->snd_una + c->snd_wnd))
		return 0;
	uint32_t flight = tcp_flight(c);
	uint32_t pkts = flight ? (flight + lx_flight_slack(s, c) + mss - 1) / mss : 0;
	if (pkts + 2 > c->cwnd / mss)
		return pkts ? 0 : -1;
	uint32_t seq = c->snd_nxt;
	bool fresh_timing = !c->rtt_timing && !c->ts_ok;
	/* One packet, however much longer than the MSS: Linux's
	 * tcp_mtu_probe() "tcp_set_skb_tso_segs(nskb, nskb->len)". */
	s->tx_whole = true;
	uint32_t used = send_psh(s, c, seq, probe, false);
	s->tx_whole = false;
	if (!used)
		return -1;
	if (fresh_timing) {
		c->rtt_timing = true;
		c->rtt_seq = seq;
		c->rtt_start_us = s->now_us;
	}
	c->snd_nxt += used;
	if (seq_lt(c->snd_max, c->snd_nxt)) {
		c->snd_max = c->snd_nxt;
	}
	if (s->cfg.psh_linux)
		skb_end_add(s, c, c->snd_nxt); /* the probe is an skb of its own */
	tcp_arm_rtx(s, c);
	/* "Decrement cwnd here because we are sending effectively two
	 * packets." */
	c->cwnd -= mss;
	m->probe_size = (uint16_t)mtup_mss_to_mtu(c, used);
	m->probe_seq_start = seq;
	m->probe_seq_end = seq + used;
	return 1;
}

/* tcp_clean_rtx_queue(): the probe's end acknowledged is
 * tcp_mtup_probe_success(): cwnd kept in bytes (scaled from the MSS's MTU
 * to the probe's), search_low the probe's MTU, the MSS synced to it. */
void tcp_mtup_acked(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_mtup *m = mtup_of(c);
	if (!m || !m->probe_size || seq_gt(m->probe_seq_end, c->snd_una))
		return;
	uint32_t mss = c->mss ? c->mss : 1u;
	c->prior_ssthresh = tcp_current_ssthresh(s, c);
	uint64_t pk = (uint64_t)(c->cwnd / mss) * mtup_mss_to_mtu(c, mss) / m->probe_size;
	c->cwnd = (uint32_t)(pk ? pk : 1u) * mss;
	c->ssthresh = tcp_current_ssthresh(s, c);
	m->search_low = m->probe_size;
	m->probe_size = 0;
	mtup_sync(s, c, m, m->pmtu_cookie);
	c->lx->pace_mss = 0; /* tcp_ack() goes on to tcp_cong_control() */
	s->st.TcpMtupSuccess++;
}

/* tcp_fastretrans_alert() before it enters recovery: with the probe in
 * flight and SND.UNA at its start, the loss is the probe's:
 * tcp_mtup_probe_failed() (search_high below the probe) and cwnd given
 * back the packet the probe took. True when so: the caller then runs
 * tcp_simple_retransmit() (tcp_input.c's pmtu_resend()) in place of the
 * recovery. */
bool tcp_mtup_probe_lost(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_mtup *m = mtup_of(c);
	if (!m || !m->probe_size || c->snd_una != m->probe_seq_start || c->loss_pipe ||
	    tcp_rack_cwr_holds(c))
		return false;
	m->search_high = (uint16_t)(m->probe_size - 1u);
	m->probe_size = 0;
	s->st.TcpMtupFail++;
	c->cwnd += c->mss;
	return true;
}

/* tcp_mtu_probing() from tcp_write_timeout(), after tcp_retries1's
 * time of retransmissions (black-hole detection, tcp_mtu_probing >= 1):
 * probing on, or search_low down to half its MSS (at most tcp_base_mss,
 * at least tcp_mtu_probe_floor and tcp_min_snd_mss); the MSS synced. */
void tcp_mtup_blackhole(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.mtu_probing_linux || !s->cfg.mtu_probing || c->state < GT_TCP_ESTABLISHED)
		return;
	struct tcp_mtup *m = mtup_ready(s, c);
	if (!m)
		return;
	if (!m->enabled) {
		m->enabled = true;
		m->probe_ts_ms = (uint32_t)(s->now_us / 1000);
	} else {
		uint32_t mss = mtup_mtu_to_mss(s, c, m->search_low) >> 1;
		mss = mss < s->cfg.mtu_base_mss ? mss : s->cfg.mtu_base_mss;
		mss = mss > s->cfg.mtu_probe_floor ? mss : s->cfg.mtu_probe_floor;
		mss = mss > s->cfg.lx_min_snd_mss ? mss : s->cfg.lx_min_snd_mss;
		m->search_low = (uint16_t)mtup_mss_to_mtu(c, mss);
	}
	s->st.TcpMtupBlackhole++;
	mtup_sync(s, c, m, m->pmtu_cookie);
}

/* tcp_v4_mtu_reduced() where the connection holds the state (Linux
 * profile, cfg.mtu_probing or a route): the MTU is the route's, as
 * ip_rt_update_pmtu() left it (unchanged when the route's MTU is locked),
 * compared with the one the MSS was synced to (icsk_pmtu_cookie), not
 * the MSS: tcp_sync_mss() (search_high lowered, the MSS at most
 * search_low's while probing), then the caller's tcp_simple_retransmit().
 * 1: synced, resend; 0: nothing to do; -1: no state here (the caller's
 * own rule). */
/* Linux's ip_dont_fragment(): DF for IP_PMTUDISC_DO, and for WANT unless
 * the route's MTU is locked (ip_mtu_locked(): a host route's lock, or
 * the route exception __ip_rt_update_pmtu() locked at min_pmtu, which
 * ip_pmtu_locked() keeps); DONT, PROBE, INTERFACE and OMIT send without it. */
bool tcp_ip_df(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->pmtud == TCP_PMTUD_DO)
		return true;
	if (c->pmtud != TCP_PMTUD_WANT)
		return false;
	return !ip_pmtu_locked(s, c->faddr);
}

int tcp_mtup_frag_needed(gt_stack *s, struct tcp_conn *c, uint32_t mtu)
{
	struct tcp_mtup *m = mtup_of(c);
	if (!m || !m->inited)
		return -1;
	const struct gt_route *r = ip_route_for(s, c->faddr);
	if (r && r->mtu && r->mtu_lock)
		return 0; /* ip_rt_update_pmtu(): "if (dst_metric_locked(dst, RTAX_MTU)) return" */
	if (mtu < m->dst_mtu)
		m->dst_mtu = (uint16_t)mtu;
	if (m->pmtu_cookie <= m->dst_mtu)
		return 0;
	mtup_sync(s, c, m, m->dst_mtu);
	return 1;
}

void tcp_psh_init(struct tcp_conn *c)
{
	c->lx_pushed_seq = c->lx_skb_start = c->iss + 1;
	if (lx_whole(c)) {
		c->lx->nmark = c->lx->nskb = c->lx->neor = 0;
		LX_SLACK_MSS(c->lx) = 0;
	}
}

void tcp_psh_free(struct tcp_conn *c)
{
	c->rcv_low = 0;
	lx_ofo_free(c);
	if (c->lx)
		free(c->lx->mtup);
	free(c->lx);
	c->lx = NULL;
	c->lx_shed = false;
}

static bool psh_marked(const struct tcp_conn *c, uint32_t seq)
{
	for (uint8_t i = 0; lx_whole(c) && i < c->lx->nmark; i++)
		if (LX_MARK(c->lx)[i] == seq)
			return true;
	return false;
}

/* Keeps the sequence numbers in v[] above snd_una but seq, in order. */
static uint8_t seqs_keep(const struct tcp_conn *c, uint32_t *v, uint8_t n, uint32_t seq)
{
	uint8_t k = 0;
	for (uint8_t i = 0; i < n; i++)
		if (seq_gt(v[i], c->snd_una) && v[i] != seq)
			v[k++] = v[i];
	return k;
}

static void psh_keep(struct tcp_conn *c, uint32_t seq)
{
	if (lx_whole(c))
		c->lx->nmark = seqs_keep(c, LX_MARK(c->lx), c->lx->nmark, seq);
}

/* tcp_mark_push(): the skb ending at seq carries PSH; pushed_seq moves. */
static void psh_mark(gt_stack *s, struct tcp_conn *c, uint32_t seq)
{
	c->lx_pushed_seq = seq;
	struct tcp_lxtx *x = c->lx;
	if (!lx_whole(c))
		return;
	psh_keep(c, seq);
	if (x->nmark == TCP_PSH_MARKS) {
		/* The oldest unacknowledged mark goes: only its
		 * retransmission would have carried PSH. */
		memmove(LX_MARK(x), LX_MARK(x) + 1, (TCP_PSH_MARKS - 1) * sizeof(LX_MARK(x)[0]));
		x->nmark--;
		s->st.TcpPshMarksDropped++;
	}
	LX_MARK(x)[x->nmark++] = seq;
}

/* An skb end at seq comes or goes: lx_flight_slack()'s walk, if it got
 * that far, is no longer known. (Ends at or below SND.UNA, which
 * seqs_keep() drops, lie below the skbs summed, or, the end the sum
 * began after among them, make it begin again (slack_from()); one above
 * where the walk stopped leaves the skbs it passed as they were.) */
static void slack_forget(struct tcp_conn *c, uint32_t seq)
{
	if (seq_le(seq, LX_SLACK_POS(c->lx)))
		LX_SLACK_MSS(c->lx) = 0;
}

static uint8_t ends_upto(const uint32_t *v, uint8_t n, uint32_t seq);

/* seqs_keep() for the skb ends, which are sorted: with the first above
 * SND.UNA and seq not among them nothing goes, found with one binary
 * search instead of a walk that rewrites all of them (bench_ackpath's
 * recovery keeps all TCP_LX_SKBS and adds an end at each
 * retransmission: 387 Ir a call). */
static uint8_t skb_ends_keep(const struct tcp_conn *c, uint32_t seq)
{
	uint32_t *v = LX_SKB(c->lx);
	uint8_t n = c->lx->nskb;
	if (n && seq_gt(v[0], c->snd_una)) {
		uint8_t i = ends_upto(v, n, seq);
		if (!i || v[i - 1] != seq) {
#ifdef GT_SLACK_CHECK
			for (uint8_t k = 0; k < n; k++)
				assert(seq_gt(v[k], c->snd_una) && v[k] != seq);
#endif
			return n;
		}
	}
	return seqs_keep(c, v, n, seq);
}

/* An skb in flight ends at seq (tso_fragment(), tcp_fragment()). */
static void skb_end_add(gt_stack *s, struct tcp_conn *c, uint32_t seq)
{
	struct tcp_lxtx *x = c->lx;
	if (!lx_whole(c) || !seq_gt(seq, c->snd_una))
		return;
	slack_forget(c, seq);
	x->nskb = skb_ends_keep(c, seq);
	if (x->nskb == TCP_LX_SKBS) {
		s->st.TcpPshSkbsDropped++; /* this end is not kept */
		return;
	}
	uint8_t i = x->nskb;
	while (i && seq_gt(LX_SKB(x)[i - 1], seq)) {
		LX_SKB(x)[i] = LX_SKB(x)[i - 1];
		i--;
	}
	LX_SKB(x)[i] = seq;
	x->nskb++;
}

/* The end of an skb a write with MSG_EOR closed (tcp_psh_write()): kept
 * until acknowledged; past TCP_LX_EORS unacknowledged ones it is not
 * kept (TcpEorEndsDropped), and later data may join that skb. */
static void eor_add(gt_stack *s, struct tcp_conn *c, uint32_t seq)
{
	struct tcp_lxtx *x = c->lx;
	if (!lx_whole(c))
		return;
	x->neor = seqs_keep(c, LX_EOR(x), x->neor, seq);
	if (x->neor == TCP_LX_EORS) {
		s->st.TcpEorEndsDropped++;
		return;
	}
	LX_EOR(x)[x->neor++] = seq; /* writes come in order: the largest */
}

/* The first MSG_EOR end above seq, or 0 (a sequence number, 0 included,
 * is told apart by found). */
static bool eor_after(const struct tcp_conn *c, uint32_t seq, uint32_t *end)
{
	for (uint8_t i = 0; lx_whole(c) && i < c->lx->neor; i++)
		if (seq_gt(LX_EOR(c->lx)[i], seq) && seq_gt(LX_EOR(c->lx)[i], c->snd_una)) {
			*end = LX_EOR(c->lx)[i];
			return true;
		}
	return false;
}

static bool eor_at(const struct tcp_conn *c, uint32_t seq)
{
	uint32_t e;
	return eor_after(c, seq - 1, &e) && e == seq;
}

/* Where the skb holding seq (sent before) ends: the first end above it,
 * else SND.MAX. */
static uint32_t skb_end_of(const struct tcp_conn *c, uint32_t seq)
{
	for (uint8_t i = 0; lx_whole(c) && i < c->lx->nskb; i++)
		if (seq_gt(LX_SKB(c->lx)[i], seq))
			return LX_SKB(c->lx)[i];
	return c->snd_max;
}

/* The skb holding seq starts at *start and ends at *end; SND.UNA starts
 * the first (tcp_clean_rtx_queue() trimmed its head). The ends are sorted:
 * the last one at or below seq starts it, the next one ends it (one binary
 * search, not two walks of all TCP_LX_SKBS: tcp_lx_sack_align() takes
 * two per SACK block of every ACK, 2,900 Ir an ACK with three blocks in
 * bench_ackpath's recovery). */
static void skb_bounds(const struct tcp_conn *c, uint32_t seq, uint32_t *start, uint32_t *end)
{
	const uint32_t *v = LX_SKB(c->lx);
	uint8_t n = c->lx->nskb, i = ends_upto(v, n, seq);
	*start = i && seq_gt(v[i - 1], c->snd_una) ? v[i - 1] : c->snd_una;
	*end = i < n ? v[i] : c->snd_max;
}

/* psh_linux: Linux tags whole segments as SACKed, never part of one
 * (tcp_match_skb_to_sack(), RFC 2018 leaves it to the sender): an skb
 * a block covers in part is cut only at a multiple of its MSS from its
 * start, the block's left edge rounded up, its right edge down, and a
 * segment the block does not cover whole stays un-SACKed. A block of the
 * last byte of a 4-segment flight SACKs nothing, and no RACK loss
 * detection follows (the tail loss probe does). Each block of o above ack
 * and SND.UNA is cut to those edges, or emptied (left = right) where no
 * whole segment is left; o's D-SACK block is left as it came. */
void tcp_lx_sack_align(const struct tcp_conn *c, struct tcp_opts *o, uint32_t ack)
{
	uint32_t mss = c->mss;
	if (!mss || !lx_whole(c))
		return;
	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = o->sack[i].left, r = o->sack[i].right, s0, e0;
		if (!seq_lt(l, r) || seq_le(r, ack) || seq_le(r, c->snd_una) || seq_gt(r, c->snd_max) ||
		    (i == 0 && o->nsack > 1 && seq_ge(l, o->sack[1].left) && seq_le(r, o->sack[1].right)))
			continue;
		l = seq_max(l, c->snd_una);
		skb_bounds(c, l, &s0, &e0);
		if (seq_gt(l, s0)) {
			uint32_t up = s0 + (l - s0 + mss - 1) / mss * mss;
			l = seq_lt(up, e0) ? up : e0;
		}
		skb_bounds(c, r - 1, &s0, &e0);
		if (seq_lt(r, e0))
			r = s0 + (r - s0) / mss * mss;
		o->sack[i].left = l;
		o->sack[i].right = seq_lt(l, r) ? r : l;
	}
}

/* Linux's tcp_send_loss_probe() with no new data to send: the last skb
 * of the retransmission queue (the data up to end), cut at (pcount - 1)
 * x mss_now when that leaves a piece past it (tcp_fragment()), then at
 * most mss_now of the piece (__tcp_retransmit_skb() with segs 1), where
 * mss_now is tcp_current_mss() (tcp_send_mss()) and pcount the skb's
 * segments as it went (tcp_skb_pcount(): taken at c->mss here; a skb sent
 * shortened by SACK blocks counts as if sent full). With SACK blocks
 * shortening mss_now, the probe starts (pcount - 1) x mss_now into the
 * skb and ends short of it: tests/pkt/linux/tlp-probe-refragmented-to-
 * current-mss.pkt. Returns the probe's first sequence number and its
 * length in *len; false without the skb ends (lx_whole()). */
bool tcp_lx_probe_seq(gt_stack *s, struct tcp_conn *c, uint32_t end, uint32_t *seq, uint32_t *len)
{
	if (!lx_whole(c) || !seq_lt(c->snd_una, end))
		return false;
	uint32_t start = c->snd_una;
	for (uint8_t i = 0; i < c->lx->nskb; i++)
		if (seq_lt(LX_SKB(c->lx)[i], end) && seq_gt(LX_SKB(c->lx)[i], start))
			start = LX_SKB(c->lx)[i];
	uint32_t mss = tcp_send_mss(s, c), sent_mss = c->mss ? c->mss : 1;
	uint32_t skb = end - start, pcount = (skb + sent_mss - 1) / sent_mss;
	if (pcount > 1 && skb > (pcount - 1) * mss) {
		start += (pcount - 1) * mss;
		skb_end_add(s, c, start); /* tcp_fragment() */
	}
	*seq = start;
	*len = end - start < mss ? end - start : mss;
	if (seq_lt(start + *len, end))
		skb_end_add(s, c, start + *len);
	return true;
}

/* __tcp_retransmit_skb(): a retransmission stays within the skb at
 * snd_nxt, cut to len (tcp_fragment()); an skb sent whole that is shorter
 * than the MSS and the window left takes in the whole skbs after it while
 * the sum fits (tcp_retrans_try_collapse(), net.ipv4.tcp_retrans_collapse
 * 1): from then on they are one skb, and PSH on any of them is the merged
 * skb's (tcp_collapse_retrans() ORs the flags). With no window left (the
 * RTO's probe of a zero window) the head skb goes whole, as it is.
 * Returns the segment's
 * length (tests/pkt/linux/data-rtx-collapse.pkt). */
static uint32_t lx_rtx_len(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	uint32_t end = skb_end_of(c, seq), whole = end - seq;
	if (whole >= len)
		return len;
	/* avail_wnd: the MSS, at most what the peer's window leaves. */
	int32_t wnd_left = (int32_t)(c->snd_una + c->snd_wnd - seq);
	uint32_t mss = tcp_send_mss(s, c), space = len < mss ? len : mss;
	if (wnd_left < (int32_t)space)
		space = wnd_left > 0 ? (uint32_t)wnd_left : 0;
	if (whole >= space)
		return whole;
	bool push = false;
	/* tcp_retrans_try_collapse(): nothing joins an EOR skb. */
	while (lx_whole(c) && seq_lt(end, c->snd_max) && !eor_at(c, end) &&
	       !tcp_sacked(c, end, &(uint32_t){0})) {
		uint32_t next = skb_end_of(c, end);
		if (next - seq > space)
			break;
		push |= psh_marked(c, end);
		psh_keep(c, end);
		slack_forget(c, end);
		c->lx->nskb = seqs_keep(c, LX_SKB(c->lx), c->lx->nskb, end);
		end = next;
	}
	/* A mark is where data ends: with the FIN taken in, the data's end. */
	uint32_t mark = seq_gt(end, data_end(c)) ? data_end(c) : end;
	if (push && !psh_marked(c, mark)) {
		uint32_t pushed = c->lx_pushed_seq;
		psh_mark(s, c, mark);
		c->lx_pushed_seq = pushed;
	}
	return end - seq;
}

/* tcp_xmit_size_goal(): whole segments of a GSO packet's 64 KiB less
 * headers (sk_gso_max_size less MAX_TCP_HEADER + 1), at most half the
 * peer's largest window (tcp_bound_to_half_wnd()), of mss_now: where
 * tcp_sendmsg() and tcp_tso_autosize() ask, tcp_current_mss(), which
 * SACK blocks shorten (tcp_send_mss(); lx_size_goal_now()). The send
 * buffer's skb accounting keeps the plain c->mss. */
static uint32_t lx_size_goal_mss(const struct tcp_conn *c, uint32_t mss)
{
	/* A signing socket has no GSO (tcp_md5_do_add(): sk_gso_disable()):
	 * the goal is one segment (tcp_xmit_size_goal() without
	 * sk_can_gso()). */
	if (tcp_signs(c))
		return mss;
	uint32_t goal = TCP_LX_GOAL_MAX;
	uint32_t half = c->max_snd_wnd > 536 ? c->max_snd_wnd / 2 : c->max_snd_wnd;
	if (half && goal > half)
		goal = half;
	uint32_t segs = goal / mss;
	return (segs ? segs : 1) * mss;
}

static uint32_t lx_size_goal(const struct tcp_conn *c) { return lx_size_goal_mss(c, c->mss); }

static uint32_t lx_size_goal_now(const gt_stack *s, const struct tcp_conn *c)
{
	return lx_size_goal_mss(c, tcp_send_mss(s, c));
}

void tcp_psh_write(gt_stack *s, struct tcp_conn *c, uint32_t n, bool first, bool push, bool eor)
{
	lx_alloc(s, c, true);
	uint32_t end = data_end(c), pos = end - n;
	uint32_t goal = lx_size_goal_now(s, c), half = c->max_snd_wnd / 2;
	/* The skb the write appends to: the unsent one at the tail (what a
	 * split for sending left of it starts at snd_max), or a new one; a
	 * new one after an EOR skb (tcp_skb_can_collapse_to()). */
	uint32_t start = pos;
	if (seq_lt(c->snd_max, pos) && !eor_at(c, pos))
		start = seq_gt(c->lx_skb_start, c->snd_max) ? c->lx_skb_start : c->snd_max;
	if (start != pos && pos - start < goal) {
		/* tcp_sendmsg_locked() clears the tail skb's PSH on a write's
		 * first copy only ("if (!copied)"): a later copy of the same
		 * write leaves the flag on the skb, which now ends further on
		 * (forced_push() marked it, tso_fragment() sent its head;
		 * tests/pkt/linux/psh-mark-moves-with-growing-skb.pkt). */
		bool moves = !first && n && psh_marked(c, pos);
		psh_keep(c, pos);
		if (moves) {
			uint32_t skb_end = seq_gt(start + goal, end) ? end : start + goal;
			uint32_t pushed = c->lx_pushed_seq;
			psh_mark(s, c, skb_end);
			c->lx_pushed_seq = pushed;
		}
	}
	while (seq_lt(pos, end)) {
		if (pos - start >= goal) {
			start = pos; /* tcp_sendmsg_locked(): a new skb */
			/* The skbs before it are full at this goal (skbs of
			 * another goal still unsent before them are taken as
			 * this length: not modelled). */
			if (lx_whole(c))
				LX_FULL_LEN(c->lx) = goal;
		}
		uint32_t room = start + goal - pos, left = end - pos;
		pos += room < left ? room : left;
		if (pos != end && seq_gt(pos, c->lx_pushed_seq + half))
			psh_mark(s, c, pos); /* forced_push() at a full skb */
	}
	c->lx_skb_start = start;
	if (push || seq_gt(end, c->lx_pushed_seq + half))
		psh_mark(s, c, end); /* tcp_push() */
	if (eor && n)
		eor_add(s, c, end); /* TCP_SKB_CB(skb)->eor = 1 */
}

/* Linux's send buffer (cfg.sndbuf_skb_overhead; issue 14, measured on
 * 6.18 with pktrun --kernel and SO_MEMINFO, docs/conformance.md). Linux
 * counts sk_wmem_queued: each skb's bytes plus the truesize of its head
 * (tcp_stream_alloc_skb(), charged by tcp_skb_entail()); a partial ACK
 * gives back the bytes only (tcp_trim_head()), the skb's head goes when
 * all of it is acknowledged (tcp_clean_rtx_queue()). tcp_sendmsg_locked()
 * asks sk_stream_memory_free() (sk_wmem_queued < sk_sndbuf) only when it
 * starts an skb; an skb it has started takes bytes up to the size goal.
 * The skbs are those tcp_psh_write() and tcp_output() model: in flight,
 * one per transmit unit (lx->skb_end); unsent, the tail skb a write
 * appends to and full ones of the size goal before it, the first of them
 * perhaps grown past the goal (lx_grow(), tcp_grow_skb()). A socket that
 * never set SO_SNDBUF has its sk_sndbuf autotuned as Linux's
 * (tcp_sndbuf_expand(): tcp_autotune_init(), tcp_autotune_lx_space()).
 * Where Linux queues more bytes than SO_SNDBUF (a size goal larger than the room the
 * heads leave, as with a peer that offered no window yet: 64512 bytes at
 * SO_SNDBUF 8192), the ring grows past SO_SNDBUF (tcp_lx_ring_fit()). */
bool tcp_lx_sndbuf(const gt_stack *s, const struct tcp_conn *c)
{
	/* A configuration that autotunes by FreeBSD's rule
	 * (buf_autosize_bsd) sizes an unlocked buffer by bytes. */
	return s->cfg.sndbuf_skb_overhead && s->cfg.psh_linux &&
	       (c->sndbuf_locked || !s->cfg.sndbuf_autotune || !s->cfg.buf_autosize_bsd);
}

/* The start of the unsent skb a write would append to, if there is one
 * (as tcp_psh_write() finds it). */
static bool lx_tail_start(const struct tcp_conn *c, uint32_t *start)
{
	uint32_t end = data_end(c);
	if (!seq_lt(c->snd_max, end))
		return false; /* all sent: the tail skb is in flight */
	*start = seq_gt(c->lx_skb_start, c->snd_max) ? c->lx_skb_start : c->snd_max;
	return true;
}

/* The grown head's end (lx_grow()), if it still holds for a tail skb
 * starting at start; 0 if not. */
static uint32_t lx_grow_end(const struct tcp_conn *c, uint32_t start)
{
	uint32_t g = lx_whole(c) ? LX_GROW_END(c->lx) : 0;
	return g && seq_gt(g, c->snd_max) && !seq_gt(g, start) ? g : 0;
}

/* The length of the full unsent skbs between the head and the tail: the
 * size goal of the write that made them (LX_FULL_LEN), or the goal now. */
static uint32_t lx_full_len(const struct tcp_conn *c)
{
	uint32_t f = lx_whole(c) ? LX_FULL_LEN(c->lx) : 0;
	return f ? f : lx_size_goal(c);
}

/* The end of the first full skb above seq, on the grid of full skbs that
 * ends at the tail skb's start. */
static uint32_t lx_full_end(const struct tcp_conn *c, uint32_t start, uint32_t seq)
{
	uint32_t full = lx_full_len(c);
	return start - (start - seq - 1) / full * full;
}

/* The end of the unsent skb at snd_max (the send head), given the tail
 * skb's start (lx_tail_start()): the tail's end when it is the head, the
 * grown head's end (lx_grow()), else the first full skb's end. A grow
 * that took part of a full skb leaves it shorter, its end on the grid. */
static uint32_t lx_head_end(const struct tcp_conn *c, uint32_t start)
{
	uint32_t e, h;
	if (start == c->snd_max) {
		h = data_end(c);
	} else {
		uint32_t g = lx_grow_end(c, start);
		h = g ? g : lx_full_end(c, start, c->snd_max);
	}
	/* An EOR skb before it ends the head there. The skbs before an EOR
	 * end are taken on the tail's grid: a write of more than a size
	 * goal ending with MSG_EOR behind unsent data is not modelled. */
	return eor_after(c, c->snd_max, &e) && seq_lt(e, h) ? e : h;
}

/* How many of the sorted ends v[0..n) are at or below seq. */
static uint8_t ends_upto(const uint32_t *v, uint8_t n, uint32_t seq)
{
	uint8_t lo = 0, hi = n;
	while (lo < hi) {
		uint8_t mid = (uint8_t)((lo + hi) / 2);
		if (seq_gt(v[mid], seq))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* sk_wmem_queued: the bytes not yet acknowledged and a head per skb. */
static uint64_t lx_wmem(const struct tcp_conn *c, uint32_t overhead)
{
	uint32_t n = 0, last = c->snd_una;
	if (lx_whole(c)) {
		/* The ends are sorted (skb_end_add()): those in (SND.UNA,
		 * SND.MAX] are one run. A walk of all of them, at every
		 * write and poll, was 1.9% of `glasstcp sim --bytes
		 * 200000000 --delay 1`'s instructions (docs/sending.md). */
		const uint32_t *v = LX_SKB(c->lx);
		uint8_t ns = c->lx->nskb;
		/* Most often every end lies in (SND.UNA, SND.MAX]: the
		 * first and the last answer without a search. */
		uint8_t lo = !ns || seq_gt(v[0], c->snd_una) ? 0 : ends_upto(v, ns, c->snd_una);
		uint8_t hi = !ns || !seq_gt(v[ns - 1], c->snd_max) ? ns : ends_upto(v, ns, c->snd_max);
		if (hi > lo) {
			n = (uint32_t)(hi - lo);
			last = v[hi - 1];
		}
#ifdef GT_SLACK_CHECK
		uint32_t n0 = 0, last0 = c->snd_una;
		for (uint8_t i = 0; i < c->lx->nskb; i++)
			if (seq_gt(v[i], c->snd_una) && !seq_gt(v[i], c->snd_max)) {
				n0++;
				last0 = v[i];
			}
		assert(n0 == n && last0 == last);
#endif
	}
	if (seq_lt(last, c->snd_max) && seq_lt(last, data_end(c)))
		n++; /* in flight beyond the last end kept */
	uint32_t start;
	if (lx_tail_start(c, &start)) {
		uint32_t full = lx_full_len(c), g = lx_grow_end(c, start);
		if (g) /* the grown head, the full skbs after it, the tail */
			n += 2 + (start - g + full - 1) / full;
		else
			n += 1 + (start - c->snd_max + full - 1) / full;
		/* Each EOR end before the tail ends one more (short) skb. */
		for (uint8_t i = 0; i < c->lx->neor; i++)
			if (seq_gt(LX_EOR(c->lx)[i], c->snd_max) && seq_lt(LX_EOR(c->lx)[i], start))
				n++;
	}
	return (uint64_t)c->snd.len + (uint64_t)n * overhead;
}

uint32_t tcp_lx_skb_left(const struct tcp_conn *c)
{
	uint32_t goal = lx_size_goal(c), start;
	if (lx_tail_start(c, &start) && data_end(c) - start < goal && !eor_at(c, data_end(c)))
		return goal - (data_end(c) - start);
	return goal;
}

uint32_t tcp_lx_send_room(const struct tcp_conn *c, uint32_t overhead, uint32_t want)
{
	uint64_t q = lx_wmem(c, overhead), sndbuf = tcp_sndbuf(c);
	uint32_t goal = lx_size_goal(c), room = 0, start;
	if (lx_tail_start(c, &start) && data_end(c) - start < goal && !eor_at(c, data_end(c))) {
		room = goal - (data_end(c) - start);
		room = room < want ? room : want;
		q += room;
	}
	while (room < want && q < sndbuf) {
		uint32_t take = want - room < goal ? want - room : goal;
		q += overhead + take; /* a new skb */
		room += take;
	}
	return room;
}

/* tcp_poll(): __sk_stream_is_writeable(), free space of at least half of
 * sk_wmem_queued (sk_stream_min_wspace()) and below SO_SNDBUF. */
bool tcp_lx_writable(const struct tcp_conn *c, uint32_t overhead)
{
	uint64_t q = lx_wmem(c, overhead), sndbuf = tcp_sndbuf(c);
	return q < sndbuf && sndbuf - q >= q / 2;
}

/* How many bytes Linux's skbs may hold: tcp_sendmsg_locked() starts an
 * skb only while sk_stream_memory_free() (sk_wmem_queued < sk_sndbuf),
 * and fills the write queue's tail skb to the size goal without asking
 * again (copy = size_goal - skb->len). When the last skb starts, bytes +
 * 832 x skbs < SO_SNDBUF; it then takes at most one size goal, at most
 * TCP_LX_GOAL_MAX: fewer than SO_SNDBUF + 65215 bytes are queued. (What
 * a write sent of its tail skb, tso_fragment(), it fills again, lx_send():
 * Linux may then hold up to what is in flight more, which the ring's
 * bound cuts short.) The ring grows to what the
 * write needs and goes back to SO_SNDBUF when it empties
 * (tcp_snd_ring_release()); its memory is charged to the stack's budget as
 * any ring's, so the worst case per socket is SO_SNDBUF + 65215 bytes
 * (after SO_SNDBUF was lowered under what is queued: what the ring held
 * then and the tail skb's room). */
void tcp_lx_ring_fit(gt_stack *s, struct tcp_conn *c, uint32_t want)
{
	struct ring *r = &c->snd;
	if (want <= ring_free_space(r))
		return;
	uint32_t sndbuf = tcp_sndbuf(c), goal = lx_size_goal(c), start;
	uint64_t cap = (uint64_t)r->len + want, max = (uint64_t)sndbuf + TCP_LX_GOAL_MAX;
	/* SO_SNDBUF lowered under what is queued: a write still fills the
	 * tail skb's free room (tcp_sendmsg_locked(): copy = size_goal -
	 * skb->len on tcp_write_queue_tail(), sk_stream_memory_free() asked
	 * only for a new skb), which may reach past the bound above; that
	 * skb was started under the old SO_SNDBUF, so the ring stays within
	 * one size goal of what it held (sndbuf-lowered-tail-skb-filled).
	 * Only for an SO_SNDBUF the application set (sndbuf_locked): taken
	 * for every write, each refill of a tail that had been partly sent
	 * raised the bound by what the write added, and an application
	 * that wrote on every poll event (POLLERR from pending
	 * SO_TIMESTAMPING stamps, not only POLLOUT) grew a 16 KiB socket's
	 * ring to 153,732 bytes (swarm plan 9 seed 97700164 and ten more
	 * from 97700000, tcp_check's bound). Linux would take those refills
	 * too, up to about what is in flight; the ring's bound cuts them. */
	if (c->sndbuf_locked && lx_tail_start(c, &start) && data_end(c) - start < goal &&
	    (uint64_t)r->len + (goal - (data_end(c) - start)) > max)
		max = (uint64_t)r->len + (goal - (data_end(c) - start));
	if (cap > max)
		cap = max;
	if (cap <= r->cap)
		return;
	if (tcp_ring_resize(s, r, (uint32_t)cap) == 0)
		r->over = (uint32_t)cap - sndbuf;
}

/* Segments in the next transmit unit (tcp_write_xmit()): what the
 * congestion window lets go, at most half of it (tcp_cwnd_test()), at
 * most tcp_tso_segs() -- about 1 ms at the pacing rate, which
 * tcp_update_pacing_rate() sets to cwnd x MSS per SRTT, doubled in slow
 * start below half ssthresh and 1.2 times after it, plus a share of
 * 64 KiB at small RTTs (tcp_tso_autosize(), tcp_tso_rtt_log 9) -- and no
 * more than one skb holds. The rate is the last ACK's: after a path MTU
 * change with no ACK since, of the old MSS (lx->pace_mss; 6.18 sends a
 * 2,400-byte write at an RTT of 8 ms, 960-byte MSS, as one unit of
 * three segments, tests/pkt/linux/psh-mss-drop-idle-ipv4.pkt). */
static uint32_t lx_tso_segs_mss(const gt_stack *s, const struct tcp_conn *c, uint32_t flight,
				uint32_t mss)
{
	uint32_t cwnd = c->cwnd / mss, out = (flight + mss - 1) / mss;
	uint32_t rate_mss = c->lx && c->lx->pace_mss ? c->lx->pace_mss : mss;
	uint64_t bytes = 65536 - 321;
	if (c->srtt_us) {
		uint32_t ratio = c->cwnd < c->ssthresh / 2 ? 200 : 120;
		uint64_t rate = (uint64_t)rate_mss * (cwnd > out ? cwnd : out) * ratio * 10000 / c->srtt_us;
		uint32_t r = c->min_rtt_us >> 9;
		bytes = (rate >> 10) + (c->min_rtt_us && r < 32 ? 65536u >> r : 0);
		if (bytes > 65536 - 321)
			bytes = 65536 - 321;
	}
	uint32_t tso = (uint32_t)(bytes / mss);
	return tso < s->cfg.min_tso_segs ? s->cfg.min_tso_segs : tso;
}

static uint32_t lx_tso_segs(const gt_stack *s, const struct tcp_conn *c, uint32_t flight)
{
	return lx_tso_segs_mss(s, c, flight, tcp_send_mss(s, c));
}

static uint32_t lx_unit_segs(const gt_stack *s, const struct tcp_conn *c, uint32_t cw,
			     uint32_t flight)
{
	uint32_t mss = tcp_send_mss(s, c), cwnd = c->cwnd / mss;
	uint32_t half = cwnd / 2 ? cwnd / 2 : 1;
	uint32_t room = cw > flight ? (cw - flight + mss - 1) / mss : 1;
	uint32_t segs = room < half ? room : half;
	uint32_t tso = lx_tso_segs(s, c, flight);
	uint32_t goal = lx_size_goal_now(s, c) / mss, start;
	/* A unit stays within its skb (tcp_mss_split_point()), not within
	 * the size goal: an skb started under a larger goal (the peer
	 * offered no window yet) goes in units of more segments than the
	 * goal now holds (sndbuf-full-eagain). */
	bool tail = lx_tail_start(c, &start);
	if (tail && !seq_lt(c->snd_nxt, start) && (data_end(c) - c->snd_nxt) / mss > goal)
		goal = (data_end(c) - c->snd_nxt) / mss;
	/* So does an unsent skb before the tail, of whatever length a grow
	 * (lx_grow()) or an older goal (LX_FULL_LEN) left it: its last
	 * segment may be short, sent in the same unit (tcp_write_xmit()
	 * splits only at the window or the quota). */
	if (tail && seq_lt(c->snd_nxt, start) && c->snd_nxt == c->snd_max)
		goal = (lx_head_end(c, start) - c->snd_nxt + mss - 1) / mss;
	segs = segs < tso ? segs : tso;
	segs = segs < goal ? segs : goal;
	return segs ? segs : 1;
}

/* Linux's tcp_tso_should_defer() (net/ipv4/tcp_output.c, 6.18 with
 * commit 295ce1eb36ae, "tcp: fix tcp_tso_should_defer() vs large RTT"),
 * which tcp_write_xmit() asks for an skb of new data of two or more
 * segments (tcp_init_tso_segs() > 1) that cwnd and the window let start
 * (tcp_cwnd_test(), tcp_snd_wnd_test()), except for tcp_push_one() and a
 * loss probe (push_one): true holds it, and everything after it, until
 * the next call (an ACK, a write, the loss probe). It sends at once:
 * in Recovery or Loss; when the last segment sent (tp->tcp_wstamp_ns, an
 * ACK's too) went more than 1 ms ago; when limit = min(window from the
 * skb, cwnd less what is in flight) takes tcp_tso_segs() full segments,
 * or the skb is not the write queue's tail and limit takes it whole;
 * when limit is at least min(snd_wnd, cwnd) / tcp_tso_win_divisor (with
 * the divisor 0: more than 3 segments); with nothing in flight; when the
 * next ACK, due an SRTT after the retransmission queue's head went, is
 * further off than min(SRTT / 2, 1 ms). Else it holds: when cwnd (or,
 * cwnd being larger, the window) leaves no more than the skb
 * (*cwnd_limited for the first, tcp_cwnd_validate()), or when no FIN or
 * MSG_EOR ends the skb. The skb is the profile's: the unsent head skb
 * (lx_head_end()), or the tail skb a write appends to. */
static bool lx_tso_defer(const gt_stack *s, const struct tcp_conn *c, uint32_t cw, uint32_t pipe,
			 uint32_t flight, uint32_t mss, bool *cwnd_limited)
{
	uint32_t start, mss_cache = c->mss;
	if (!s->cfg.tso_defer || !lx_whole(c) || !mss_cache || c->snd_nxt != c->snd_max ||
	    !lx_tail_start(c, &start))
		return false;
	const uint32_t *t = LX_TSO(c->lx);
	bool tail = start == c->snd_max;
	uint32_t skb_end = tail ? data_end(c) : lx_head_end(c, start);
	uint32_t skb_len = skb_end - c->snd_max;
	if (skb_len <= mss || tcp_rack_ca_state(c) >= GT_TCP_CA_RECOVERY)
		return false;
	/* "Avoid bursty behavior by allowing defer only if the last write
	 * was recent (1 ms)." */
	if (!(t[2] & LX_TSO_XMIT) || s->now_us - get64(t) > 1000)
		return false;
	uint32_t right = c->snd_una + c->snd_wnd;
	uint32_t send_win = seq_gt(right, c->snd_max) ? right - c->snd_max : 0;
	uint32_t cwnd = cw / mss_cache, in_flight = (pipe + mss_cache - 1) / mss_cache;
	if (cwnd <= in_flight)
		return false; /* tcp_cwnd_test() stopped it first */
	uint32_t cong_win = (cwnd - in_flight) * mss_cache;
	uint32_t limit = send_win < cong_win ? send_win : cong_win;
	if (limit >= lx_tso_segs(s, c, flight) * mss_cache)
		return false; /* a full-sized TSO skb */
	if (!tail && limit >= skb_len)
		return false; /* the middle of the queue gets no more data */
	uint32_t div = s->cfg.tso_win_divisor;
	if (div) {
		uint32_t chunk = c->snd_wnd < cwnd * mss_cache ? c->snd_wnd : cwnd * mss_cache;
		if (limit >= chunk / div)
			return false;
	} else if (limit > 3 * mss_cache) {
		return false; /* tcp_max_tso_deferred_mss() */
	}
	uint32_t n = t[2] & 0xffu, i = 0;
	if (c->snd_una == c->snd_max || !n || seq_gt(t[TSLOG0], c->snd_una))
		return false; /* no head: nothing in flight (or its time unknown) */
	while (i + 1 < n && !seq_gt(t[TSLOG0 + 3 * (i + 1)], c->snd_una))
		i++;
	/* When is the ACK expected, and how far from now? */
	uint64_t expected = get64(t + TSLOG0 + 3 * i + 1) + c->srtt_us;
	uint64_t threshold = c->srtt_us / 2 < 1000 ? c->srtt_us / 2 : 1000;
	if (expected > s->now_us + threshold)
		return false;
	if (cong_win < send_win) {
		if (cong_win <= skb_len) {
			*cwnd_limited = true;
			return true;
		}
	} else if (send_win <= skb_len) {
		return true; /* rwnd-limited */
	}
	/* "If this packet won't get more data, do not wait." */
	if ((tail && c->fin_queued) || eor_at(c, skb_end))
		return false;
	return true;
}

/* What a piece of [seq, end) of len bytes lacks of whole MSS packets.
 * Only skbs of more than one segment: a lone short skb (Nagle off, small
 * writes) is a packet to Linux too, counted by short_pkt_slack() under
 * cfg.flight_short_pkt, which leaves out what the peer SACKed (this sum
 * is kept across calls, a SACK would change it). */
static uint32_t slack_of(uint32_t len, uint32_t mss)
{
	if (len <= mss) /* no division for the one-segment pieces */
		return 0;
	uint32_t r = len % mss;
	return r ? mss - r : 0;
}

#ifdef GT_SLACK_CHECK
/* The walk as it was, skb by skb from SND.UNA, each skb's end looked up
 * anew: what the kept one must equal. Only in a build made to check it
 * (-DCMAKE_C_FLAGS=-DGT_SLACK_CHECK): it costs what the kept walk saves,
 * and asserts stay in every build but Release. */
static uint32_t slack_walk_all(const struct tcp_conn *c, uint32_t mss)
{
	uint32_t seq = c->snd_una, slack = 0;
	while (seq_lt(seq, c->snd_nxt)) {
		uint32_t end = skb_end_of(c, seq);
		if (seq_gt(end, c->snd_nxt) || !seq_gt(end, seq))
			end = c->snd_nxt;
		slack += slack_of(end - seq, mss);
		seq = end;
	}
	return slack;
}
#endif

/* SND.UNA inside an skb, an ACK having covered part of it: Linux's
 * tcp_clean_rtx_queue() keeps such an skb (a one-segment skb whole, "if
 * (tcp_skb_pcount(skb) == 1 || !after(tp->snd_una, scb->seq)) break;"; a
 * longer one trimmed by tcp_tso_acked() to whole segments, tcp_trim_head()
 * setting its pcount again, at least 1), so tcp_packets_in_flight()
 * counts what is left of it as one packet or more, never less. Modelled
 * only for F-RTO's partial ACK of the head (frto_ack() calls
 * tcp_lx_head_cut()): counted after any partial ACK, the flight changed
 * the course of swarm seeds 47001408 and 53005834 (a backed-off Linux
 * sender, FreeBSD receivers without reassembly room), whose tests then
 * failed; a general model waits for that to be understood. An skb end
 * the list could not keep (TcpPshSkbsDropped) makes two skbs one, and an
 * ACK at that end looks like a cut. */
static bool una_inside(const struct tcp_conn *c)
{
	return lx_whole(c) && c->snd_una != c->snd_max && skb_end_of(c, c->snd_una - 1) != c->snd_una;
}

void tcp_lx_head_cut(struct tcp_conn *c)
{
	if (c->lx)
		c->lx->una_cut = una_inside(c);
}

/* SND.UNA moved (ack_advance()): a cut ends once it leaves the skb, or
 * the struct stops being whole (all acknowledged, tcp_lx_idle()), so
 * none outlives it into the next write's first skb. */
void tcp_lx_una_moved(struct tcp_conn *c)
{
	if (c->lx)
		c->lx->una_cut = c->lx->una_cut && una_inside(c);
	/* The ACK's tcp_cong_control() sets sk_pacing_rate from the MSS
	 * now (tcp_update_pacing_rate()). */
	if (c->lx)
		c->lx->pace_mss = 0;
}

/* Where Linux's retransmission of the head (one segment at the RTO: cwnd
 * one, tcp_fragment() in __tcp_retransmit_skb()) ends: the skb at
 * SND.UNA, at most one MSS of it. F-RTO (frto_ack()) needs it to tell a
 * partial ACK of that retransmission from one of all of it. */
uint32_t tcp_lx_head_rtx_end(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t end = skb_end_of(c, c->snd_una), mss = tcp_send_mss(s, c);
	return mss && end - c->snd_una > mss ? c->snd_una + mss : end;
}

/* What an ACK up to ack delivers beyond its bytes: the rest of a cut
 * skb at SND.UNA (una_cut), shorter than an MSS, is one packet to
 * Linux's tcp_clean_rtx_queue() (acked_pcount, tp->delivered), so slow
 * start grows cwnd by a segment for it, not by its bytes: cwnd 2 after
 * the ACK of the rest of F-RTO's head, as on Linux 6.18
 * (tests/pkt/linux/frto-partial-ack-of-head-then-rest.pkt; before, 1.5
 * segments). */
uint32_t tcp_lx_cut_pad(const gt_stack *s, const struct tcp_conn *c, uint32_t ack)
{
	if (!s->cfg.cwnd_packets || !lx_whole(c) || !c->lx->una_cut)
		return 0; /* every ACK asks; the MSS only for a cut head */
	uint32_t mss = tcp_send_mss(s, c);
	if (!mss)
		return 0;
	uint32_t end = skb_end_of(c, c->snd_una);
	if (seq_lt(ack, end) || end - c->snd_una >= mss)
		return 0;
	return mss - (end - c->snd_una);
}

/* Whether a kept skb end is at seq (ends_upto()'s binary search). */
bool tcp_lx_skb_ends_at(const struct tcp_conn *c, uint32_t seq)
{
	if (!lx_whole(c))
		return false;
	uint8_t i = ends_upto(LX_SKB(c->lx), c->lx->nskb, seq);
	return i && LX_SKB(c->lx)[i - 1] == seq;
}

/* cfg.cwnd_packets: what an ACK up to ack delivers in Linux's packets
 * (tcp_clean_rtx_queue()'s pkts_acked, which tp->delivered and the
 * congestion control's acked_sacked count): each skb it covers whole, its
 * tcp_skb_pcount() (ceil(len / mss), a lone short skb one packet); an skb
 * it covers in part, what tcp_tso_acked() takes off after tcp_trim_head()
 * sets its pcount again, ceil(len / mss) less ceil(rest / mss), so
 * nothing for a one-segment skb ("if (tcp_skb_pcount(skb) == 1 ...)
 * break;"). The skb at SND.UNA counts from SND.UNA: trimmed or kept
 * whole, its pcount is ceil((end - SND.UNA) / mss). Five 1,100-byte
 * skbs acknowledged at once are ten packets (cwnd 10 -> 20), and an ACK inside a one-segment
 * skb none (tests/pkt/linux/cwnd-two-packet-skbs-slow-start.pkt,
 * cwnd-partial-ack-of-two-packet-skb.pkt,
 * cwnd-reno-recovery-ack-inside-rexmit.pkt). Past the last end kept the
 * rest, up to SND.MAX, is counted as one skb (the list full,
 * TcpPshSkbsDropped); where a FIN rode on data there and the ACK covers
 * it, the skb's pcount counts its data alone (tcp_set_skb_tso_segs()
 * takes skb->len, which the FIN adds nothing to): 1,000 bytes and their
 * FIN at MSS 1,000 are one packet, not two
 * (tests/pkt/linux/tcpi-unacked-fin-on-full-data-end-not-kept.pkt).
 * UINT32_MAX where the skb ends are not kept: the caller counts bytes. */
uint32_t tcp_lx_acked_pkts(const gt_stack *s, const struct tcp_conn *c, uint32_t ack)
{
	uint32_t mss = tcp_send_mss(s, c);
	if (!s->cfg.cwnd_packets || !lx_whole(c) || !mss)
		return UINT32_MAX;
	const uint32_t *e = LX_SKB(c->lx);
	uint32_t seq = c->snd_una, pkts = 0;
	uint8_t i = 0;
	while (i < c->lx->nskb && !seq_gt(e[i], seq))
		i++;
	while (seq_lt(seq, ack)) {
		bool last = i >= c->lx->nskb;
		uint32_t end = last ? c->snd_max : e[i++];
		if (!seq_gt(end, seq))
			break;
		uint32_t len = end - seq;
		if (last && ack == end && c->fin_sent && !c->fin_alone && !tcp_fin_acked(c) &&
		    seq_lt(seq, tcp_fin_seq(c)))
			len--; /* the FIN's octet, in the data's skb */
		pkts += (len + mss - 1) / mss;
		if (seq_lt(ack, end))
			pkts -= (end - ack + mss - 1) / mss;
		seq = end;
	}
	return pkts;
}

/* What the skb at SND.UNA, cut by an ACK (una_cut) and sent whole below
 * SND.NXT, lacks of one packet: lx_flight_slack()'s walk counts a piece
 * shorter than an MSS as its bytes (slack_of()), Linux as one packet. An
 * F-RTO whose first new ACK covers half the head's retransmission then
 * finds cwnd (one packet) full and sends nothing, as Linux 6.18 does
 * (tests/pkt/linux/frto-partial-ack-of-head-ends-frto.pkt); counted by
 * its bytes, F-RTO's end alone let 500 more go (1001:1501, an earlier
 * attempt's failure). */
static uint32_t head_cut_slack(const struct tcp_conn *c, uint32_t mss)
{
	if (!c->lx->una_cut)
		return 0;
	uint32_t end = skb_end_of(c, c->snd_una);
	if (seq_gt(end, c->snd_nxt) || end - c->snd_una >= mss)
		return 0;
	return mss - (end - c->snd_una);
}

/* cfg.flight_short_pkt: what the pieces of [SND.UNA, SND.NXT) shorter
 * than an MSS lack of one, each a packet to Linux's
 * tcp_packets_in_flight() (tcp_skb_pcount() is at least 1: a 100-byte
 * skb of a write with Nagle off, the rest of an skb an ACK cut, a short
 * retransmission). A piece the peer SACKed whole is out of flight
 * (sacked_out) and adds nothing. Where tcp_flight() took the SACKed
 * bytes off (net), a longer piece whose short last segment the peer
 * SACKed has that packet out of flight too (tcp_match_skb_to_sack()
 * splits an skb at MSS multiples, the SACKed part its own pcount): *less
 * is what slack_of() added for it, which lx_flight_slack()'s kept sum
 * holds. A 1,500-byte skb at MSS 1,000 SACKed is two packets out, its
 * last 500 SACKed one, not 500 bytes left in
 * (flight-sacked-two-packet-skb-out-of-flight.pkt,
 * flight-sacked-short-tail-of-skb-out-of-flight.pkt). A SACK that ends
 * inside the short segment splits nothing (Linux's rounding up to a
 * whole MSS) and the slack stays, as Linux's pcount does.
 * O(skb ends) a call, 255 at most. */
static uint32_t short_pkt_slack(const struct tcp_conn *c, uint32_t mss, bool net, uint32_t *less)
{
	const uint32_t *e = LX_SKB(c->lx);
	uint8_t n = c->lx->nskb, i = 0;
	while (i < n && !seq_gt(e[i], c->snd_una))
		i++;
	uint32_t seq = c->snd_una, slack = 0;
	*less = 0;
	while (seq_lt(seq, c->snd_nxt)) {
		uint32_t end = i < n && seq_lt(e[i], c->snd_nxt) ? e[i++] : c->snd_nxt;
		uint32_t sack_end, len = end - seq;
		if (len < mss) {
			if (!(c->nsacked && tcp_sacked(c, seq, &sack_end) && !seq_lt(sack_end, end)))
				slack += mss - len;
		} else if (net && len % mss && tcp_sacked(c, end - len % mss, &sack_end) &&
			   !seq_lt(sack_end, end)) {
			*less += slack_of(len, mss);
		}
		seq = end;
	}
	return slack;
}

/* lx_flight_slack()'s sum brought to e[i], the first skb end above
 * SND.UNA (e[i] <= SND.NXT): kept where it began there, or where it began
 * at a kept end below e[i] and got at least that far (the skbs between
 * leave it); else begun again, nothing summed. */
static void slack_from(struct tcp_lxtx *x, const uint32_t *e, uint8_t i, uint32_t mss, uint32_t nxt)
{
	uint32_t first = LX_SLACK_FIRST(x), pos = LX_SLACK_POS(x);
	if (LX_SLACK_MSS(x) == mss && !seq_gt(pos, nxt)) {
		if (first == e[i])
			return;
		uint8_t a = 0;
		while (a < i && e[a] != first)
			a++;
		if (a < i && !seq_gt(e[i], pos)) {
			uint32_t sum = LX_SLACK_SUM(x);
			for (a++; a <= i; a++)
				sum -= slack_of(e[a] - e[a - 1], mss);
			LX_SLACK_SUM(x) = sum;
			LX_SLACK_FIRST(x) = e[i];
			return;
		}
	}
	LX_SLACK_MSS(x) = mss;
	LX_SLACK_FIRST(x) = LX_SLACK_POS(x) = e[i];
	LX_SLACK_SUM(x) = 0;
}

/* cfg.cwnd_packets: Linux's tcp_packets_in_flight() counts each skb as
 * tcp_skb_pcount() packets, ceil(len / mss) (tcp_set_skb_tso_segs()), so
 * an skb's short last segment is a packet as a full one is. Returns what
 * those short segments between snd_una and snd_nxt lack of an MSS, which
 * tcp_output() adds to the flight in bytes (tcp_flight()) so that cwnd
 * counts them as packets: after a path MTU fall to 1,000, 2,920-byte skbs
 * go again as 960, 960, 960 and 40, and Linux resends ten packets, 7,760
 * bytes, where bytes against ten MSS let 1,840 more go
 * (pmtu-fall-short-segments-count). SACKed pieces are not taken out of
 * the kept sum; under cfg.flight_short_pkt short_pkt_slack() takes off
 * what it holds for a piece SACKed whole where tcp_flight() took the
 * SACKed bytes off (flight_net_of_sacks()).
 *
 * The pieces are [SND.UNA, the first skb end above it), the whole skbs
 * after it up to SND.NXT, and the last one cut at SND.NXT. It is called
 * for each segment sent, so it keeps the sum over the whole skbs after
 * the first (LX_SLACK_*, from LX_SLACK_FIRST to LX_SLACK_POS) and goes on
 * from there while the MSS stays and no skb end comes or goes below that
 * point (slack_forget()). When SND.UNA passes skbs whose ends are still
 * kept (an ACK; they go at the next skb_end_add()), their slack leaves the
 * sum instead of the walk starting again: each skb is added once and
 * taken out once, amortised O(1) per segment and per ACK, and the same sum
 * as the whole walk (slack_walk_all()). The skb ends are sorted, so the
 * skb holding seq ends at the first of them above seq. */
static uint32_t lx_flight_slack(const gt_stack *s, struct tcp_conn *c)
{
	uint32_t mss = tcp_send_mss(s, c);
	if (!s->cfg.cwnd_packets || !lx_whole(c) || !mss)
		return 0;
	if (tcp_rack_loss_marks(c))
		return 0; /* tcp_flight() counted each record's segments whole */
	struct tcp_lxtx *x = c->lx;
	const uint32_t *e = LX_SKB(x);
	uint8_t n = x->nskb, i = 0;
	while (i < n && !seq_gt(e[i], c->snd_una)) /* those ACKed lie low, few */
		i++;
	uint32_t slack;
	if (i == n || seq_gt(e[i], c->snd_nxt)) {
		/* One piece: cut at SND.NXT, or the last skb (to SND.MAX =
		 * SND.NXT) whole; the same length either way. */
		slack = slack_of(c->snd_nxt - c->snd_una, mss);
	} else {
		slack = slack_of(e[i] - c->snd_una, mss);
		slack_from(x, e, i, mss, c->snd_nxt);
		uint8_t k = n;
		while (k && seq_gt(e[k - 1], LX_SLACK_POS(x))) /* POS lies near the top */
			k--;
		uint32_t sum = LX_SLACK_SUM(x);
		while (k < n && !seq_gt(e[k], c->snd_nxt)) {
			sum += slack_of(e[k] - e[k - 1], mss);
			k++;
		}
		LX_SLACK_POS(x) = e[k - 1];
		LX_SLACK_SUM(x) = sum;
		slack += sum + slack_of(c->snd_nxt - e[k - 1], mss); /* the last, cut at SND.NXT */
	}
#ifdef GT_SLACK_CHECK
	assert(slack == slack_walk_all(c, mss));
#endif
	if (s->cfg.flight_short_pkt) {
		uint32_t less, short_slack = short_pkt_slack(c, mss, flight_net_of_sacks(c), &less);
		return (slack > less ? slack - less : 0) + short_slack; /* the cut head among them */
	}
	return slack + head_cut_slack(c, mss);
}

/* The PSH of the skb that ended at from goes with it to its new end. */
static void psh_move(gt_stack *s, struct tcp_conn *c, uint32_t from, uint32_t to)
{
	if (!psh_marked(c, from))
		return;
	uint32_t pushed = c->lx_pushed_seq;
	psh_keep(c, from);
	psh_mark(s, c, to);
	c->lx_pushed_seq = pushed;
}

/* Linux 6.10+'s tcp_grow_skb(), in tcp_write_xmit() for each skb at the
 * send head once tcp_cwnd_test() gives a quota and before the window is
 * tested: the head takes up to min(quota, tcp_tso_segs()) x mss_now less
 * its length from the next unsent skb (skb_shift()), and frees that skb
 * when it takes all of it (tcp_eat_one_skb(): its head's truesize back,
 * its PSH now the head's). So skbs written under a size goal smaller than
 * that quota merge at the head while the window holds them: with a window
 * of 2048 and mss_now 1024 (goal 1024) and tcp_tso_segs() 2, the fourth
 * skb of a write goes into the third at the forced push
 * (tests/pkt/linux/sndbuf-skb-grow-at-head.pkt). tcp_tso_segs() is
 * about 1 ms at the pacing rate but at least tcp_min_tso_segs (2), or
 * the algorithm's own floor: BBR's bbr_min_tso_segs() is 1 below a
 * pacing rate of 150 kB/s, which is why the probes with the host's BBR
 * merged at win 16 and not at win 8 (docs/conformance.md). The unsent
 * skbs here are the head, full skbs after it (of the goal they were
 * written under, LX_FULL_LEN, aligned on the tail skb's start) and the
 * tail; a part taken from a full skb leaves that skb shorter, its end on
 * the grid (lx_head_end()). */
static void lx_grow(gt_stack *s, struct tcp_conn *c)
{
	uint32_t mss = c->mss, start;
	if (!s->cfg.sndbuf_skb_overhead || !lx_whole(c) || c->lx->no_grow || !mss || tcp_signs(c) ||
	    c->snd_nxt != c->snd_max || !lx_tail_start(c, &start) || start == c->snd_max)
		return;
	uint32_t flight = tcp_flight(c), cwnd = c->cwnd / mss, out = (flight + mss - 1) / mss;
	if (out >= cwnd)
		return; /* tcp_cwnd_test(): no quota, the loop ends first */
	uint32_t half = cwnd / 2 ? cwnd / 2 : 1, quota = cwnd - out < half ? cwnd - out : half;
	uint32_t tso = lx_tso_segs(s, c, flight);
	quota = quota < tso ? quota : tso;
	uint32_t end = data_end(c), head = lx_head_end(c, start), e;
	uint32_t len = head - c->snd_max;
	/* tcp_grow_skb(): tcp_skb_can_collapse() is false for an EOR head. */
	if ((uint64_t)quota * mss <= len || head == end || eor_at(c, head))
		return;
	uint32_t missing = quota * mss - len;
	uint32_t next = head == start ? end : lx_full_end(c, start, head);
	if (eor_after(c, head, &e) && seq_lt(e, next))
		next = e; /* the next skb is EOR: eaten whole, the head is EOR */
	if (missing >= next - head) {
		psh_move(s, c, head, next);
		if (next == end) {
			c->lx_skb_start = c->snd_max; /* the head is the tail now */
			LX_GROW_END(c->lx) = 0;
		} else {
			LX_GROW_END(c->lx) = next;
		}
	} else {
		/* skb_shift() of part of the next skb: its PSH stays with
		 * it, the head's goes to the head's new end. */
		psh_move(s, c, head, head + missing);
		LX_GROW_END(c->lx) = head + missing;
		if (next == end)
			c->lx_skb_start = head + missing;
	}
}

/* New data at snd_max goes at most to the end of its skb (tcp_write_xmit()
 * sends an skb at a time); cut is set when that end, not the tail's,
 * cut the segment: Nagle does not hold it (a skb not last in the queue
 * goes with TCP_NAGLE_PUSH). */
static uint32_t lx_new_len(const struct tcp_conn *c, uint32_t len, bool *cut)
{
	uint32_t start;
	if (!lx_whole(c) || !lx_tail_start(c, &start) || start == c->snd_max)
		return len;
	uint32_t left = lx_head_end(c, start) - c->snd_max;
	if (left >= len)
		return len;
	*cut = true;
	return left;
}

void tcp_lx_hold_grow(struct tcp_conn *c, bool hold)
{
	if (lx_whole(c))
		c->lx->no_grow = hold;
}

/* Linux's probe timer, fired for a window too small for the send head
 * (sender SWS, nothing in flight), runs tcp_write_wakeup(): it cuts from
 * the head skb at most the window and the MSS, sets PSH on the skb before
 * tcp_fragment() (whose rest keeps the skb's flags) and again on the piece
 * it sends, and moves pushed_seq to the skb's end. So the probe's piece
 * carries PSH, and so does the rest of its skb when it goes. */
void tcp_lx_wakeup_mark(gt_stack *s, struct tcp_conn *c)
{
	uint32_t start, right = c->snd_una + c->snd_wnd;
	if (!s->cfg.psh_linux || !lx_whole(c) || c->snd_nxt != c->snd_max ||
	    !lx_tail_start(c, &start) || !seq_lt(c->snd_nxt, right))
		return;
	uint32_t head = lx_head_end(c, start), seg = right - c->snd_nxt, mss = tcp_send_mss(s, c);
	seg = seg < mss ? seg : mss; /* tcp_current_mss() */
	seg = seg < head - c->snd_nxt ? seg : head - c->snd_nxt;
	uint32_t pushed = c->lx_pushed_seq;
	psh_mark(s, c, head);
	psh_mark(s, c, c->snd_nxt + seg);
	c->lx_pushed_seq = seq_gt(pushed, head) ? pushed : head;
}

static bool small_segment_ok(const struct tcp_conn *c, uint32_t len, uint32_t avail);

/* Linux's tcp_mss_split_point(): a transmit unit whose skb the peer's
 * window ends inside takes the window's short last piece along (needed =
 * min(skb->len, window)), unless tcp_nagle_check() holds it: corked, or
 * Nagle on with packets out and an earlier short segment unacknowledged
 * (tcp_minshall_check()), as found when the unit starts (partial). The
 * unit's first segment needs a full MSS within the window
 * (tcp_snd_wnd_test()), so a window that ends inside it holds it all, and
 * a unit the quota ends before the piece leaves the piece to start the
 * next, held the same way. len is the piece, cut to the window when
 * len == wnd_room; avail what data there is from it; mss mss_now. */
static bool lx_wnd_piece(uint32_t len, uint32_t avail, uint32_t wnd_room, uint32_t mss, bool partial)
{
	return partial && len && len < mss && len == wnd_room && len < avail;
}

/* tcp_nagle_check() as tcp_mss_split_point() asks it when a unit starts:
 * may the unit take the window's short piece? Not corked, and Nagle off
 * (TCP_NODELAY, a forced push), nothing out, or no earlier short segment
 * unacknowledged (tcp_minshall_check()). */
static bool lx_unit_partial(const struct tcp_conn *c)
{
	return !c->cork && (c->nodelay || c->push_once || c->snd_max == c->snd_una ||
			    !seq_gt(c->snd_sml, c->snd_una));
}

/* A TSO segment of new data in the Linux profile (psh_linux, the device
 * taking several segments at once): the skb Linux's tcp_write_xmit() sends
 * whole, len bytes cut from it to at most unit segments of mss
 * (lx_unit_segs(): half cwnd in tcp_cwnd_test(), tcp_tso_segs() from
 * tcp_tso_autosize(), the size goal), as tcp_mss_split_point()'s max_len
 * "mss_now * max_segs" cuts it (tso_fragment()). A short last segment
 * goes along where the segment-by-segment path would send it in the same
 * unit (more_now()): the end of an skb not the queue's tail (cut;
 * tcp_mss_split_point() returns max_len for it), the window's piece
 * (lx_wnd_piece()) or a tail Nagle lets go (small_segment_ok());
 * otherwise tcp_nagle_check() holds it, "return needed - partial":
 * under TCP_CORK the full segments leave and the short one waits. avail
 * and wnd_room are the data and window from snd_nxt. */
static uint32_t lx_tso_len(const struct tcp_conn *c, uint32_t len, uint32_t avail, uint32_t wnd_room,
			   uint32_t mss, uint32_t unit, bool cut)
{
	if (unit && len / mss >= unit)
		return unit * mss;
	uint32_t part = len % mss, whole = len - part;
	if (!part || cut || len <= mss)
		return len;
	bool partial = lx_unit_partial(c);
	if (small_segment_ok(c, part, avail - whole) ||
	    lx_wnd_piece(part, avail - whole, wnd_room - whole, mss, partial))
		return len;
	return whole;
}

/* Segments of the skb at snd_nxt one retransmission sends
 * (tcp_xmit_retransmit_queue()): what cwnd leaves of the pipe (usable
 * bytes of room), at most tcp_tso_segs() and the skb. */
static uint32_t lx_rtx_segs(const gt_stack *s, const struct tcp_conn *c, uint32_t usable, uint32_t flight,
			    uint32_t mss)
{
	uint32_t room = (usable + mss - 1) / mss;
	uint32_t tso = lx_tso_segs(s, c, flight);
	uint32_t segs = (skb_end_of(c, c->snd_nxt) - c->snd_nxt + mss - 1) / mss;
	segs = segs < room ? segs : room;
	return segs < tso ? segs : tso;
}

/* Would tcp_output() send another segment now, with avail bytes left,
 * usable bytes of room (cwnd and window), wnd_room of window, segments of
 * mss, in a unit that may take the window's piece (partial)? */
static bool more_now(const struct tcp_conn *c, uint32_t avail, uint32_t usable, uint32_t wnd_room,
		     uint32_t seg_max, uint32_t mss, bool partial)
{
	uint32_t len = avail < seg_max ? avail : seg_max;
	if (len > usable)
		len = usable;
	return len && (len >= mss || small_segment_ok(c, len, avail) ||
		       lx_wnd_piece(len, avail, wnd_room, mss, partial));
}

/* A data or FIN segment the device refused, its queue full. Linux
 * (cfg.tx_busy_linux): never sent, as tcp_write_xmit() and
 * tcp_xmit_retransmit_queue() stop at a tcp_transmit_skb() that fails
 * before tcp_event_new_data_sent(): true, the caller sends nothing more
 * and moves nothing. FreeBSD's tcp_output() advances SND.NXT and SND.MAX,
 * arms the retransmission timer, then on ENOBUFS backs SND.NXT out and
 * sets cwnd to one segment (tx_refused_bsd()): false, taken as sent here. */
static bool tx_refused(gt_stack *s)
{
	s->st.TcpTxRefused++;
	return s->cfg.tx_busy_linux;
}

/* FreeBSD's tcp_output() after ENOBUFS, the segment [SND.NXT, +used)
 * having been taken as sent: "tp->snd_nxt -= len" (SND.MAX keeps it, the
 * retransmission timer armed for it runs), "tp->snd_cwnd = tp->t_maxseg",
 * and no "goto again". */
static void tx_refused_bsd(gt_stack *s, struct tcp_conn *c, uint32_t used)
{
	uint32_t end = c->snd_nxt + used;
	if (seq_lt(c->snd_max, end)) {
		c->snd_max = end;
	}
	tcp_arm_rtx(s, c);
	if (c->mss)
		c->cwnd = c->mss;
}

/* Linux's tcp_check_probe_timer() after a tcp_write_xmit() that sent
 * nothing for a refusal: with nothing in flight and no timer pending,
 * the zero-window probe timer at tcp_probe0_base(); it retries the send
 * (tcp_timer.c persist_fire()). A probe under way re-arms it itself. */
static void persist_arm(gt_stack *s, struct tcp_conn *c);

static void tx_blocked_arm(gt_stack *s, struct tcp_conn *c)
{
	if (c->persist || c->rtx_at != TCP_TIMER_NONE)
		return;
	/* Data in flight is timed by the RTO (tcp_rearm_rto(): packets_out
	 * means ICSK_TIME_RETRANS), never by nothing. */
	if (c->snd_una != c->snd_max) {
		tcp_arm_rtx(s, c);
		return;
	}
	persist_arm(s, c);
}

/* Sends data from seq, at most max_len bytes, and the FIN if this segment
 * reaches the end of a closed stream; PSH too with psh (Linux: the end of
 * a transmit unit). Returns the sequence space consumed. */
static uint32_t send_psh(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t max_len, bool psh)
{
	s->tx_refused = false;
	uint32_t end = data_end(c);
	uint32_t avail = seq_lt(seq, end) ? end - seq : 0;
	uint32_t len = avail < max_len ? avail : max_len;
	uint8_t flags = TH_ACK;
	if (s->cfg.psh_linux) {
		if (len && (psh || psh_marked(c, seq + len)))
			flags |= TH_PSH;
	} else if (len && len == avail && (c->psh_end || c->fin_queued || s->cfg.nagle_bsd)) {
		/* PSH ends what a write asked to push (not MSG_MORE data).
		 * FreeBSD's tcp_output() asks only whether the segment empties
		 * the buffer: "if (((uint32_t)off + (uint32_t)len ==
		 * sbused(&so->so_snd)) && !(flags & TH_SYN)) flags |= TH_PUSH",
		 * TF_MORETOCOME or not. */
		flags |= TH_PSH;
	}
	bool fin = c->fin_queued && !tcp_fin_acked(c) && seq + len == end;
	/* Linux (cfg.fin_needs_window): a FIN never sent goes only with room
	 * for it in the window; the data before it goes without it
	 * (tcp_snd_wnd_test(); fin-held-at-window-edge-*.pkt). */
	if (fin && s->cfg.fin_needs_window && !c->fin_sent && !seq_lt(seq + len, c->snd_una + c->snd_wnd))
		fin = false;
	if (fin)
		flags |= TH_FIN;
	/* Linux's tcp_write_wakeup() sets TCPHDR_PSH on the skb it sends, a
	 * FIN's own too (a refused FIN retried by the probe timer goes as
	 * FP.: qdisc-full-fin-alone-retried-with-psh.pkt). */
	if (fin && !len && s->tx_wakeup && s->cfg.psh_linux)
		flags |= TH_PSH;
	if (!len && !fin)
		return 0;
	xmit(s, c, seq, len, flags);
	if (s->tx_refused && tx_refused(s))
		return 0;
	if (fin) {
		if (!c->fin_sent)
			c->fin_alone = !len; /* Linux: an skb of its own (tcp_send_fin()) */
		c->fin_sent = true;
	}
	tcp_rack_sent(s, c, seq, len + fin);
	tcp_hystart_sent(s, c, seq, len);
	return len + fin;
}

static uint32_t send_at(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t max_len)
{
	return send_psh(s, c, seq, max_len, false);
}

/* The sequence number of a segment without data, SYN or FIN. After a
 * go-back-N retransmission snd_nxt lies below what the peer may hold; an
 * ACK there is an old segment to it, answered by an ACK of its own (an ACK
 * war when both sides do it), and an RST there only earns a challenge ACK
 * (RFC 5961 3.2). As Linux's tcp_acceptable_seq(): the highest sequence
 * sent, but no further than the peer's window reaches (a zero-window
 * probe's octet lies beyond it, where the peer would drop the ACK unread).
 * FreeBSD (cfg.ack_seq_bsd) does not clamp: SND.MAX unless persisting. */
static uint32_t acceptable_seq(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t seq = c->snd_max, wnd_end = c->snd_una + c->snd_wnd;
	if (c->state == GT_TCP_SYN_SENT)
		return c->snd_nxt;
	if (s->cfg.ack_seq_bsd && !c->persist)
		return seq;
	if (c->state != GT_TCP_SYN_RECEIVED && seq_gt(seq, wnd_end))
		seq = wnd_end;
	return seq;
}

void tcp_send_ack(gt_stack *s, struct tcp_conn *c)
{
	if (tcp_fastopen_bsd_synack_due(s, c))
		return; /* FreeBSD's TFO child: the delayed ACK is its SYN-ACK */
	if (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_CLOSED || c->state == GT_TCP_LISTEN)
		return;
	if (s->cfg.ack_resends_fin && c->fin_sent && !tcp_fin_acked(c) && c->snd_nxt == tcp_fin_seq(c) + 1) {
		xmit(s, c, tcp_fin_seq(c), 0, TH_ACK | TH_FIN);
		return;
	}
	xmit(s, c, acceptable_seq(s, c), 0, TH_ACK);
}

void tcp_ack_due(gt_stack *s, struct tcp_conn *c)
{
	if (!s->in_batch) {
		c->ack_now = true;
		return;
	}
	/* Linux 6.7+, a socket's backlog: __tcp_ack_snd_check() only sets
	 * TCP_ACK_DEFERRED for an ACK it would send now, and tcp_release_cb()
	 * sends one ACK when the backlog is done, if one is still scheduled. */
	c->ack_deferred = true;
	s->st.TcpAckDeferred++;
	if (c->ack_defer_listed)
		return;
	if (s->nack_defer == GT_ACK_DEFER_SLOTS)
		tcp_ack_defer_flush(s); /* bounded: the held ACKs go early */
	s->ack_defer[s->nack_defer++] = c;
	c->ack_defer_listed = true;
}

void tcp_ack_defer_flush(gt_stack *s)
{
	for (uint32_t i = 0; i < s->nack_defer; i++) {
		struct tcp_conn *c = s->ack_defer[i];
		bool owed = c->ack_deferred;
		c->ack_defer_listed = c->ack_deferred = false;
		/* A TCB freed in the batch is recycled only after it (done()). */
		if (!owed || c->dead)
			continue;
		s->st.TcpAckDeferredSent++;
		tcp_send_ack(s, c);
	}
	s->nack_defer = 0;
}

void tcp_send_keepalive(gt_stack *s, struct tcp_conn *c)
{
	xmit(s, c, c->snd_una - 1, 0, TH_ACK);
}

void tcp_send_pure_ack(gt_stack *s, struct tcp_conn *c)
{
	if (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_CLOSED || c->state == GT_TCP_LISTEN)
		return;
	xmit(s, c, c->snd_nxt, 0, TH_ACK);
}

void tcp_send_syn(gt_stack *s, struct tcp_conn *c)
{
	tcp_send_synack_fo(s, c, NULL);
}

/* tcp_conn_request()'s first SYN-ACK carries the cookie it gave (foc);
 * a resent one never does (tcp_rtx_synack(): foc NULL). */
void tcp_send_synack_fo(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo)
{
	uint8_t flags = c->state == GT_TCP_SYN_SENT ? TH_SYN : TH_SYN | TH_ACK;
	if (!c->syn_retries)
		c->rexmit_tsval = tcp_now_ts(s, c); /* no echo is older than this */
	xmit_fo(s, c, c->iss, 0, flags, fo);
	/* A TFO child's data sent before the handshake stays in flight while
	 * the SYN-ACK goes again: Linux's tcp_fastopen_synack_timer() resends
	 * the SYN-ACK alone, and only from its second expiry on enters the
	 * loss state ("if (icsk->icsk_retransmits == 1) tcp_enter_loss(sk)"),
	 * the data then resent from ISS+1 when the handshake's ACK comes, one
	 * segment at a time (tests/pkt/linux/fastopen-child-write-synack-rtx-*.pkt). */
	if (tcp_tfo_wrote(c)) {
		if (c->syn_retries >= 2 && c->snd_nxt != c->iss + 1) {
			c->snd_nxt = c->iss + 1;
			c->cwnd = c->mss;
		}
		tcp_arm_rtx(s, c);
		return;
	}
	c->snd_nxt = c->iss + 1;
	if (seq_lt(c->snd_max, c->snd_nxt))
		c->snd_max = c->snd_nxt;
	tcp_arm_rtx(s, c);
}

/* Linux's tcp_send_syn_data(): an active open's first SYN with the Fast
 * Open option fo (asking for a cookie or carrying one) and the first len
 * bytes of the send buffer (the caller put SND.UNA at ISS+1 for them). A
 * resent SYN carries neither ("Exclude Fast Open option for SYN
 * retries": tcp_send_synack_fo()); the data then goes after the
 * handshake (tcp_fastopen_synack()). */
void tcp_send_syn_data(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo, uint32_t len)
{
	c->defer_acked = fo->has_fo || len; /* tcp_tfo_syn() */
	c->rtt_timing = true;
	c->rtt_start_us = s->now_us;
	c->rexmit_tsval = tcp_now_ts(s, c);
	c->snd_nxt = c->snd_max = c->iss; /* a first transmission */
	/* FreeBSD's TFO child sends its SYN-ACK with data the same way
	 * (tcp_fastopen_bsd_synack_due()). */
	xmit_fo(s, c, c->iss, len, c->state == GT_TCP_SYN_SENT ? TH_SYN : TH_SYN | TH_ACK, fo);
	c->snd_nxt = c->snd_max = c->iss + 1 + len;
	tcp_arm_rtx(s, c);
}

uint32_t tcp_syn_data_bsd_len(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo,
			      uint32_t avail, uint32_t maxseg)
{
	if (!fo->has_fo || !fo->fo_len || c->noopt)
		return 0;
	struct tcp_opts o;
	uint8_t opts[TCP_OPT_MAX];
	memset(&o, 0, sizeof(o));
	syn_opts_fill(s, c, false, fo, &o);
	o.has_sig = tcp_signs(c);
	uint32_t olen = (uint32_t)tcp_opts_emit(opts, &o, true, opt_layout(s, o.has_sig));
	uint32_t len = avail < maxseg ? avail : maxseg; /* sendwin: snd_wnd = t_maxseg */
	if (len + olen > maxseg)
		len = maxseg > olen ? maxseg - olen : 0;
	return len;
}

/* FreeBSD's tcp_output() for a TF_FASTOPEN active open after
 * tcp_mtudisc() put SND.NXT at SND.UNA in SYN_SENT (sys/netinet/
 * tcp_output.c): the SYN with the Fast Open option (t_rxtshift 0), its
 * MSS option tcp_mssopt()'s (rcv_mss, lowered), and "len =
 * min(sbavail, sendwin)" cut by "len + optlen > t_maxseg" to t_maxseg -
 * optlen; none with no cookie ("SYN_SENT && t_tfo_client_cookie_len ==
 * 0"). dont_sendalot: nothing more until the SYN-ACK. SND.MAX stays where
 * the first SYN left it; tcp_mtudisc()'s "t_rtttime = 0" leaves the
 * handshake untimed, and the retransmission timer runs on as armed. */
void tcp_send_syn_data_bsd_again(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo,
				 uint32_t maxseg)
{
	uint32_t len = tcp_syn_data_bsd_len(s, c, fo, c->snd.len, maxseg);
	c->rtt_timing = false;
	xmit_fo(s, c, c->iss, len, TH_SYN, fo);
	c->snd_nxt = c->iss + 1 + len;
	if (seq_lt(c->snd_max, c->snd_nxt))
		c->snd_max = c->snd_nxt;
}

void tcp_send_rst_conn(gt_stack *s, struct tcp_conn *c)
{
	uint8_t flags = TH_RST;
	if (c->state != GT_TCP_SYN_SENT)
		flags |= TH_ACK;
	xmit(s, c, acceptable_seq(s, c), 0, flags);
}

/* FreeBSD's tcp_drop() from a timer: tcp_output() in CLOSED sends RST|ACK
 * at snd_max (no timer active: th_seq = snd_max), which after a
 * zero-window probe is past the octet the probe sent (tcp_output()'s
 * persist case raises snd_max), window 0 (flags & TH_RST). */
void tcp_send_rst_snd_max(gt_stack *s, struct tcp_conn *c)
{
	xmit(s, c, c->snd_max, 0, TH_RST | TH_ACK);
}

void tcp_send_raw(gt_stack *s, ip_addr src, uint16_t sport, ip_addr dst, uint16_t dport,
		  uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
		  const struct tcp_opts *o)
{
	uint8_t *seg = s->out + ip_hdr_len(dst);
	uint8_t opts[TCP_OPT_MAX];
	/* FreeBSD's tcp_respond() and syncache_respond(): a reply for a TCB
	 * or listener with TF_SIGNATURE carries a signature. */
	struct tcp_opts signed_o;
	const struct tcp_md5_lkey *lk = s->tx_lkey;
	if (s->tx_sign || lk) {
		if (o)
			signed_o = *o;
		else
			memset(&signed_o, 0, sizeof(signed_o));
		signed_o.has_sig = true;
		/* Linux's tcp_v4_send_ack(): the timestamps, then the
		 * signature (tcp_v4_send_reset() has the signature alone). */
		signed_o.sig_after_ts = true;
		o = &signed_o;
		s->tx_sign = false;
		s->tx_lkey = NULL;
	}
	/* A SYN (a SYN-cookie SYN-ACK) lays its options out as the profile's. */
	size_t olen = o ? tcp_opts_emit(opts, o, flags & TH_SYN, opt_layout(s, o->has_sig)) : 0;
	struct tcp_hdr h = {
		.sport = sport, .dport = dport, .seq = seq, .ack = ack,
		.doff_bytes = (uint8_t)(TCP_HDR_MIN + olen), .flags = flags, .win = win,
	};
	uint32_t psum = ip_pseudo_sum(src, dst, IPPROTO_TCP_, 0);
	tcp_emit_psum(seg, &h, opts, olen, 0, psum, s->dev.tx_csum_offload);
	if (o && o->has_sig &&
	    !tcp_md5_sign_built(s, lk, src, dst, seg, TCP_HDR_MIN + olen, psum, s->dev.tx_csum_offload))
		return;
	/* Every RST sent here answers the segment being handled (rx_tos is
	 * its TOS or traffic class): Linux's tcp_v4_send_reset() and
	 * tcp_v6_send_reset() (ipv6_get_dsfield(ipv6h) & ~INET_ECN_MASK)
	 * send its DSCP back. */
	if ((flags & TH_RST) && s->cfg.rst_reflects_tos && !s->tx_tos)
		s->tx_tos = (uint8_t)(s->rx_tos & ~3u);
	if (stack_tracing(s)) {
		struct gt_trace_event ev = {
			.type = GT_TRACE_SEG_OUT, .now_us = s->now_us, .laddr6 = src, .faddr6 = dst,
			.lport = sport, .fport = dport, .seq = seq, .ack = ack, .wnd = win,
			.flags = flags,
		};
		stack_trace(s, &ev);
	}
	/* tcp_respond() with the segment: back the way it came, in UDP to
	 * its port when it came in UDP. */
	if (s->rx_tun_port)
		ip_output(s, src, dst, IPPROTO_UDP_,
			  tcp_udptun_wrap(s, src, dst, seg, TCP_HDR_MIN + olen, s->rx_tun_port));
	else
		ip_output(s, src, dst, IPPROTO_TCP_, TCP_HDR_MIN + olen);
	s->tx_tos = s->tx_ttl = 0;
	s->st.TcpOutSegs++;
	if (flags & TH_RST)
		s->st.TcpOutRsts++;
}

void tcp_retransmit_head(gt_stack *s, struct tcp_conn *c)
{
	/* Within the peer's window, as any segment; a zero window is the
	 * persist timer's, which probes with one octet. At most the send MSS
	 * (tcp_retransmit_skb(): tcp_current_mss()). */
	uint32_t lim = tcp_send_mss(s, c);
	if (c->snd_wnd && c->snd_wnd < lim)
		lim = c->snd_wnd;
	/* A window closed under the data in flight (an RTO's retransmission;
	 * the persist timer comes with a one-octet MSS): Linux's
	 * tcp_retransmit_timer() resends the head skb as it was sent, at most
	 * one MSS (__tcp_retransmit_skb()), and tcp_retrans_try_collapse()
	 * joins nothing past the window's end (lx_rtx_len(): avail_wnd 0).
	 * Re-cut to a full MSS from the stream, it carried bytes never offered
	 * room, and a Linux receiver took its size as the peer's segment size
	 * (icsk_ack.rcv_mss) above its rcv_ssthresh: __tcp_select_window()
	 * kept the window 0 for ever once the buffer had grown (swarm seed
	 * 13011872 with the binary of e0b3fd8). The FreeBSD profile sends
	 * nothing here (cfg.rto_zero_wnd_persist, rto_fire()). */
	if (s->cfg.psh_linux && seq_lt(c->snd_una, c->snd_max))
		lim = lx_rtx_len(s, c, c->snd_una, lim);
	uint32_t used = send_at(s, c, c->snd_una, lim);
	/* Linux: tcp_fragment() cut one segment from the head skb (the
	 * RTO's tcp_retransmit_skb(..., 1), tcp_mark_head_lost()). */
	if (s->cfg.psh_linux && used && seq_lt(c->snd_una + used, skb_end_of(c, c->snd_una)))
		skb_end_add(s, c, c->snd_una + used);
	if (seq_lt(c->snd_nxt, c->snd_una + used))
		c->snd_nxt = c->snd_una + used;
	if (seq_lt(c->snd_max, c->snd_nxt))
		c->snd_max = c->snd_nxt;
	c->rtt_timing = false; /* Karn: no sample from a retransmitted segment */
}

static void retransmit_range_psh(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, bool psh)
{
	uint32_t used = send_psh(s, c, seq, len, psh);
	if (seq_gt(seq + used, c->snd_max)) {
		/* Our FIN, first sent on a retransmission that ends where the
		 * data does (RFC 6675's rescue of the tail while the FIN still
		 * waited): SND.MAX moves past it, as for any FIN sent, and
		 * SND.NXT with it where it waited at the data's end. Left
		 * behind, the FIN lay past SND.MAX (swarm seed 12003408: the
		 * invariant checker caught it in FIN_WAIT_1). */
		if (c->snd_nxt == c->snd_max)
			c->snd_nxt = seq + used;
		c->snd_max = seq + used;
	}
	c->rexmit_nxt = seq + (used ? used : len);
	c->rtt_timing = false; /* Karn: no sample from a retransmitted segment */
}

void tcp_retransmit_range(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	retransmit_range_psh(s, c, seq, len, false);
}

/* The SACK recoveries' retransmission of lost bytes [seq, seq + lost) in
 * the Linux profile (cfg.psh_linux): tcp_xmit_retransmit_queue() hands
 * __tcp_retransmit_skb() the skb at seq (cut at SACK edges by
 * tcp_sacktag_write_queue(), so at most the lost run) and the segments
 * the window leaves (room, at least one; at most tcp_tso_segs()).
 * tcp_fragment() cuts the skb to them, and the piece goes as one GSO
 * packet: PSH on its last segment when it holds two or more
 * (__tcp_transmit_skb()), or where the skb's mark is. An skb shorter than
 * the MSS goes as one segment, as before (its collapse is the RTO's,
 * lx_rtx_len()). Returns the bytes sent
 * (tests/pkt/linux/sack-rtx-psh-unit-whole.pkt). */
uint32_t tcp_retransmit_lost(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t lost, uint32_t room)
{
	uint32_t mss = c->mss ? tcp_send_mss(s, c) : 1; /* tcp_current_mss() */
	if (!s->cfg.psh_linux || !lx_whole(c)) {
		uint32_t len = lost < mss ? lost : mss;
		tcp_retransmit_range(s, c, seq, len);
		return len;
	}
	uint32_t end = skb_end_of(c, seq);
	uint32_t whole = end - seq < lost ? end - seq : lost;
	uint32_t segs = room / mss ? room / mss : 1;
	/* Nothing sent since: the MSS above is tcp_tso_segs()'s too. */
	uint32_t tso = c->mss ? lx_tso_segs_mss(s, c, tcp_flight(c), mss) : lx_tso_segs(s, c, tcp_flight(c));
	if (segs > tso)
		segs = tso;
	uint32_t len = whole < segs * mss ? whole : segs * mss;
	if (seq_lt(seq + len, end))
		skb_end_add(s, c, seq + len); /* tcp_fragment() */
	uint32_t sent = 0;
	while (sent < len) {
		uint32_t part = len - sent < mss ? len - sent : mss;
		retransmit_range_psh(s, c, seq + sent, part, sent + part == len && len > mss);
		sent += part;
	}
	return len;
}

/* Bytes sent after the timeout that began the loss state (cfg.loss_pipe_linux). */
static uint32_t loss_fresh(const struct tcp_conn *c)
{
	return c->loss_pipe && seq_gt(c->snd_max, c->recover) ? c->snd_max - c->recover : 0;
}

/* tcp_flight() takes what the peer SACKed off the flight (below). */
static bool flight_net_of_sacks(const struct tcp_conn *c)
{
	return (c->loss_pipe || (!c->in_recovery && tcp_rack_flight_sacked(c))) && c->sack_ok && c->nsacked;
}

uint32_t tcp_flight(const struct tcp_conn *c)
{
	/* cfg.loss_gbn_marks: the loss state's marks, as Linux counts them. */
	if (tcp_rack_loss_marks(c))
		return tcp_rack_loss_flight(c);
	uint32_t f = c->snd_nxt - c->snd_una;
	/* Linux's tcp_packets_in_flight() in its loss state: packets_out -
	 * lost_out - sacked_out + retrans_out. What the peer SACKed is not in
	 * flight (sacked_out), though go-back-N has passed it: counted, it
	 * kept one segment fewer out than Linux sends after an RTO
	 * (tests/pkt/linux/rto-sacked-not-in-flight.pkt). Outside the loss
	 * state too, with cfg.flight_sacked_linux: tcp_packets_in_flight()
	 * always takes sacked_out off, so a SACK that grows cwnd while
	 * SND.UNA stays lets as many more segments out as it SACKed
	 * (tests/pkt/linux/flight-sacked-not-in-flight.pkt). */
	bool sacked = flight_net_of_sacks(c);
	if (sacked) {
		uint32_t held = tcp_sack_bytes_above(c, c->snd_una) - tcp_sack_bytes_above(c, c->snd_nxt);
		f = f > held ? f - held : 0;
	}
	uint32_t fresh = loss_fresh(c);
	if (!fresh)
		return f;
	/* What the timeout found is lost until sent again (go-back-N up to
	 * recover); the new data F-RTO sent beyond it is not, and stays in
	 * flight, less what of it is SACKed. */
	if (seq_lt(c->snd_nxt, c->recover)) {
		uint32_t held = sacked ? tcp_sack_bytes_above(c, c->recover) : 0;
		f += fresh > held ? fresh - held : 0;
	}
	if (!c->sack_ok) {
		/* Each duplicate ACK since the last advance, once new data
		 * went out, stands for a segment that left the network
		 * (tcp_add_reno_sack()); at most the segments not lost
		 * (tcp_limit_reno_sacked()). */
		uint32_t gone = (uint32_t)c->dupacks * c->mss;
		gone = gone < fresh ? gone : fresh;
		f = f > gone ? f - gone : 0;
	}
	return f;
}

/* What cwnd is measured against: tcp_flight() and what its short
 * segments lack of an MSS (lx_flight_slack()), so that the Linux
 * profile's flight is tcp_packets_in_flight() in MSS units. */
uint32_t tcp_flight_cwnd(const gt_stack *s, struct tcp_conn *c)
{
	uint32_t f = tcp_flight(c);
	return f ? f + lx_flight_slack(s, c) : 0;
}

static void persist_arm(gt_stack *s, struct tcp_conn *c)
{
	if (c->persist_at != TCP_TIMER_NONE)
		return;
	/* Derived from the RTO or, in FreeBSD, its parts (tcp_persist_us()),
	 * within the persist bounds. */
	uint64_t t = tcp_persist_us(s, c);
	/* Probing starts: TCP_USER_TIMEOUT's clock starts at the first
	 * probe (persist_fire(), Linux's icsk_probes_tstamp). */
	if (!c->persist)
		c->stall_start_ms = 0;
	c->persist = true;
	c->persist_at = tcp_timer_at(s, t); /* ICSK_TIME_PROBE0, on the wheel */
	c->rtx_at = TCP_TIMER_NONE;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_PERSIST, tcp_trace_delay(t), 0, NULL);
	tcp_timers_update(s, c);
}

static bool can_send_data(const struct tcp_conn *c)
{
	switch (c->state) {
	case GT_TCP_ESTABLISHED:
	case GT_TCP_CLOSE_WAIT:
	case GT_TCP_FIN_WAIT_1:
	case GT_TCP_CLOSING:
	case GT_TCP_LAST_ACK:
		return true;
	case GT_TCP_SYN_RECEIVED:
		return tcp_tfo_child(c);
	default:
		return false;
	}
}

/* May a segment of len bytes (short of a full MSS) go now? RFC 9293
 * 3.8.6.2.1 and Nagle (RFC 896, RFC 1122 4.2.3.4). */
static bool small_segment_ok(const struct tcp_conn *c, uint32_t len, uint32_t avail)
{
	if (c->fin_queued && len == avail)
		return true; /* closing pushes everything out */
	if (c->push_once)
		return true; /* the override timer, a cork's ceiling, NODELAY set */
	/* Nagle (RFC 896, RFC 9293 3.7.4) in Minshall's form, as Linux and
	 * BSD: a short segment waits only while an earlier short one is
	 * unacknowledged, so the tail of a large write is not held. */
	if (len == avail && !c->cork && (c->nodelay || !seq_gt(c->snd_sml, c->snd_una)))
		return true;
	return c->max_snd_wnd && len >= c->max_snd_wnd / 2;
}

/* The same question as FreeBSD's tcp_output() asks it (cfg.nagle_bsd; its
 * "Sender silly window avoidance" block, FreeBSD 14, sobomax/freebsd14_vendor
 * 0f7ff34). A full segment (len >= t_maxseg, options counted) and a
 * retransmission (SND.NXT < SND.MAX, sack_rxmit) the caller lets go before
 * asking. idle is SND.MAX == SND.UNA when the output call began: FreeBSD
 * takes it once, before "again:", so the short tail of a write that found
 * the connection idle follows its full segments (sendalot), while a write
 * made with anything unacknowledged, a full segment or not, waits for the
 * last ACK (Nagle's rule, RFC 896, not Minshall's). */
static bool bsd_small_segment_ok(const struct tcp_conn *c, uint32_t len, uint32_t avail, bool idle)
{
	/* tcp_outflags[] carry the FIN once the stream is closed, dropped
	 * unless this segment reaches the buffer's end: "flags & TH_FIN &&
	 * (TF_SENTFIN) == 0" goes to send. */
	if (c->fin_queued && len == avail)
		return true;
	/* "(idle || (tp->t_flags & TF_NODELAY)) && len + off >=
	 * sbavail(&so->so_snd) && (tp->t_flags & TF_NOPUSH) == 0": off + len
	 * reaching sbavail is len == avail; TF_NOPUSH is the cork here, which
	 * a write with GT_MSG_MORE also sets (TF_MORETOCOME). */
	if (len == avail && !c->cork && (idle || c->nodelay))
		return true;
	if (c->push_once)
		return true; /* TF_FORCEDATA: the persist timer fired; or the cork's ceiling */
	/* "len >= tp->max_sndwnd / 2 && tp->max_sndwnd > 0" */
	return c->max_snd_wnd && len >= c->max_snd_wnd / 2;
}

/* The same for a SACK recovery's new data (tcp_sack.c): idle is false
 * there, something being unacknowledged. */
bool tcp_bsd_small_segment_ok(const struct tcp_conn *c, uint32_t len, uint32_t avail)
{
	return bsd_small_segment_ok(c, len, avail, c->snd_max == c->snd_una);
}

/* Linux's tcp_send_loss_probe() (net/ipv4/tcp_output.c, 6.18) sends new
 * data only when tcp_snd_wnd_test() passes for the send head: its first
 * segment, min(skb->len, mss_now), must end within SND.UNA + SND.WND. A
 * window that takes only part of it sends no new data; the probe resends
 * the last skb's last MSS instead (RFC 8985 7.3: new data "if the receive
 * window allows"). Cork and Nagle do not hold the probe: tcp_write_xmit()
 * runs with TCP_NAGLE_OFF and push_one 2, which also lifts the cwnd.
 * Without skb ends (no Linux PSH model) the send head is all unsent data.
 * tests/pkt/linux/tlp-new-data-*.pkt. */
bool tcp_tlp_new_ok(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t end = data_end(c);
	if (!seq_lt(c->snd_nxt, end))
		return false;
	uint32_t seg = end - c->snd_nxt, start;
	if (lx_whole(c) && lx_tail_start(c, &start) && start != c->snd_max)
		seg = lx_head_end(c, start) - c->snd_max;
	uint32_t mss = tcp_send_mss(s, c);
	seg = seg < mss ? seg : mss;
	return !seq_gt(c->snd_nxt + seg, c->snd_una + c->snd_wnd);
}

/* The send head the last tcp_output() held (lx_tso_defer()), still
 * unsent, in a state that may send it (Open, Disorder, CWR). */
static bool lx_tso_held(const gt_stack *s, const struct tcp_conn *c)
{
	if (!s->cfg.tso_defer || !lx_whole(c))
		return false;
	const uint32_t *t = LX_TSO(c->lx);
	return (t[2] & LX_TSO_HELD) && t[3] == c->snd_max && c->snd_nxt == c->snd_max &&
	       tcp_rack_ca_state(c) < GT_TCP_CA_RECOVERY;
}

/* The held send head as a loss probe sends it: tcp_send_loss_probe()
 * runs tcp_write_xmit() with push_one 2 and TCP_NAGLE_OFF, so no
 * deferral, cwnd_quota tcp_cwnd_test()'s (at least 1), and one skb:
 * tcp_mss_split_point() cuts it to min(quota, tcp_tso_segs()) segments
 * and the window, the short last piece kept (Nagle off); PSH on the
 * unit's last segment when it has two or more, as any unit. */
static void lx_held_unit(gt_stack *s, struct tcp_conn *c)
{
	uint32_t start, mss = tcp_send_mss(s, c), mss_cache = c->mss;
	LX_TSO(c->lx)[2] &= ~LX_TSO_HELD;
	if (!lx_tail_start(c, &start) || !mss || !mss_cache)
		return;
	uint32_t skb_end = start == c->snd_max ? data_end(c) : lx_head_end(c, start);
	uint32_t right = c->snd_una + c->snd_wnd;
	if (!seq_lt(c->snd_nxt, right))
		return;
	uint32_t pipe = tcp_flight_cwnd(s, c);
	uint32_t cwnd = c->cwnd / mss_cache, out = (pipe + mss_cache - 1) / mss_cache;
	uint32_t half = cwnd / 2 ? cwnd / 2 : 1;
	uint32_t quota = cwnd > out ? (cwnd - out < half ? cwnd - out : half) : 1;
	uint32_t tso = lx_tso_segs(s, c, tcp_flight(c));
	uint32_t segs = quota < tso ? quota : tso;
	uint32_t len = skb_end - c->snd_nxt;
	len = len < right - c->snd_nxt ? len : right - c->snd_nxt;
	len = len < segs * mss ? len : segs * mss;
	uint32_t n = (len + mss - 1) / mss, seq = c->snd_nxt;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t part = len - (c->snd_nxt - seq) < mss ? len - (c->snd_nxt - seq) : mss;
		uint32_t used = send_psh(s, c, c->snd_nxt, part, n >= 2 && i == n - 1);
		if (!used)
			break;
		c->snd_nxt += used;
		if (seq_lt(c->snd_max, c->snd_nxt))
			c->snd_max = c->snd_nxt;
	}
	if (c->snd_nxt == seq)
		return;
	if (c->snd_nxt - seq < n * mss)
		c->snd_sml = c->snd_nxt; /* tcp_minshall_update() */
	if (n >= 2)
		skb_end_add(s, c, c->snd_nxt); /* tso_fragment() */
	tcp_arm_rtx(s, c);
}

void tcp_output_one(gt_stack *s, struct tcp_conn *c)
{
	uint32_t end = data_end(c);
	/* The loss probe's new data, an skb the TSO deferral held. */
	if (lx_tso_held(s, c)) {
		lx_held_unit(s, c);
		return;
	}
	/* The receiver's window still rules, as a right edge: SND.UNA +
	 * SND.WND (Linux's tcp_snd_wnd_test(): end_seq within tcp_wnd_end();
	 * FreeBSD's tcp_output(): len = min(avail, sendwin) - off). Measured
	 * against the pipe instead, which duplicate ACKs shrink without SACK
	 * (tcp_flight()), a Linux sender put a segment wholly past the edge;
	 * its FreeBSD peer, which judges by its buffer's space, took its
	 * SEQ as SND.WL1, above every ACK the sender sent afterwards from
	 * the edge (tcp_acceptable_seq()), and never took a window again:
	 * 1-byte probes for 4,800 s (swarm seed 15009377). */
	uint32_t right = c->snd_una + c->snd_wnd;
	if (!seq_lt(c->snd_nxt, end) || !seq_lt(c->snd_nxt, right))
		return;
	uint32_t mss = tcp_send_mss(s, c);
	uint32_t len = end - c->snd_nxt < mss ? end - c->snd_nxt : mss;
	if (len > right - c->snd_nxt)
		len = right - c->snd_nxt;
	c->snd_nxt += send_at(s, c, c->snd_nxt, len);
	if (stack_tx_blocked(s)) {
		tx_blocked_arm(s, c);
		return;
	}
	if (seq_lt(c->snd_max, c->snd_nxt)) {
		c->snd_max = c->snd_nxt;
	}
	tcp_arm_rtx(s, c);
}

/* psh_linux, a recovery's new data: what tcp_write_xmit() sends with a
 * cwnd_quota of segs (tcp_cwnd_reduction() set cwnd to what is in flight
 * plus sndcnt): MSS-sized segments within the peer's window, in transmit
 * units of up to tcp_tso_segs() segments and half cwnd (tcp_cwnd_test(),
 * tcp_mss_split_point()), each
 * unit of two or more a GSO packet whose last segment carries PSH
 * (tso_fragment() leaves the flag on the unit's tail), as outside
 * recovery. Sent one segment a call, the second of two new segments
 * an ACK let out in recovery went without the PSH Linux sets
 * (google/packetdrill fast_recovery/prr-ss-30pkt-lost-1_4-11_16.pkt).
 * The window's edge rules the units as outside recovery (tcp_output(),
 * lx_wnd_piece()): a unit starts only with its first segment, a full MSS
 * where more data waits, within the window (tcp_snd_wnd_test()), and
 * takes the window's short last piece along only if tcp_nagle_check()
 * lets it (tcp_mss_split_point(): "needed - partial" otherwise). Before,
 * each ACK of a recovery that moved the right edge a few bytes sent those
 * bytes: a receiver on an MTU-576 device whose edge crept 12 bytes an ACK
 * (a window that does not grow, never shrunk and rounded up to its scale
 * unit, tcp_select_window(): 524 bytes taken leave it 512 smaller at
 * scale 7) got runs of 12-byte segments, which Linux 6.18 does not send
 * (tests/pkt/linux/recovery-new-data-window-edge-creeps.pkt). The
 * write's short tail waits as Nagle says too (tcp_nagle_test() in any CA
 * state; recovery-new-data-tail-waits-for-minshall.pkt).
 * Returns the sequence space sent. */
uint32_t tcp_lx_send_new(gt_stack *s, struct tcp_conn *c, uint32_t segs)
{
	uint32_t dend = data_end(c), right = c->snd_una + c->snd_wnd, sent = 0;
	uint32_t mss = tcp_send_mss(s, c);
	uint32_t end = seq_lt(right, dend) ? right : dend;
	bool first = true;
	while (segs && mss && seq_lt(c->snd_nxt, end) && !c->dead) {
		uint32_t avail = dend - c->snd_nxt, wnd_room = right - c->snd_nxt;
		/* tcp_snd_wnd_test(): the unit's first segment within the
		 * window, a full one unless the data ends sooner. */
		if (wnd_room < avail && wnd_room < mss)
			break;
		/* tcp_cwnd_test(): at most half cwnd a unit. */
		uint32_t half = c->cwnd / mss / 2 ? c->cwnd / mss / 2 : 1;
		/* The first unit's tcp_tso_segs() takes the MSS found above;
		 * a later one asks again, a segment sent since having taken
		 * a D-SACK block off the options (sack_fill()). */
		uint32_t unit = first ? lx_tso_segs_mss(s, c, tcp_flight(c), mss)
				      : lx_tso_segs(s, c, tcp_flight(c));
		first = false;
		unit = unit < half ? unit : half;
		unit = unit < segs ? unit : segs;
		/* tcp_mss_split_point(): the unit's bytes, cut by the window
		 * or the data's end, its short last piece kept only as Nagle
		 * allows; the write's short tail likewise (tcp_nagle_test()
		 * for a last skb of one segment; a FIN's goes). */
		uint32_t limit = unit * mss;
		if (limit > end - c->snd_nxt) {
			limit = end - c->snd_nxt;
			uint32_t partial = limit % mss;
			bool fin = c->fin_queued && limit == avail;
			if (partial && !fin && !lx_unit_partial(c))
				limit -= partial;
		}
		if (!limit)
			break;
		uint32_t n = (limit + mss - 1) / mss, seq = c->snd_nxt;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t len = limit - (c->snd_nxt - seq) < mss ? limit - (c->snd_nxt - seq) : mss;
			uint32_t used = send_psh(s, c, c->snd_nxt, len, n >= 2 && i == n - 1);
			if (!used)
				return sent;
			c->snd_nxt += used;
			if (seq_lt(c->snd_max, c->snd_nxt)) {
				c->snd_max = c->snd_nxt;
			}
			sent += used;
		}
		/* tcp_minshall_update(): a unit with a short segment, shorter
		 * than its segments times the MSS (wnd-piece-in-flight-
		 * minshall-holds.pkt: a unit's piece holds the next). */
		if (limit < n * mss)
			c->snd_sml = seq + limit;
		if (n >= 2)
			skb_end_add(s, c, c->snd_nxt); /* tso_fragment() */
		segs -= n;
		tcp_arm_rtx(s, c);
	}
	return sent;
}

void tcp_idle_restart(gt_stack *s, struct tcp_conn *c)
{
	uint8_t mode = s->cfg.idle_restart;
	/* FreeBSD's tcp_output() takes "idle = (tp->t_flags & TF_LASTIDLE)
	 * || (tp->snd_max == tp->snd_una)" for cc_after_idle() too (freebsd
	 * main as stored in fel1x-developer/freebsd-src 2d614aa): a call
	 * after one that found the connection idle under TF_MORETOCOME
	 * (c->bsd_lastidle) restarts cwnd with data out. Before branch h-bsd5
	 * the profile asked SND.MAX == SND.UNA alone
	 * (tests/pkt/freebsd/idle-restart-lastidle-data-out.pkt). */
	bool idle = c->snd_max == c->snd_una || (mode == 2 && c->bsd_lastidle);
	if (!mode || !idle ||
	    (c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_CLOSE_WAIT))
		return;
	uint32_t now_ms = (uint32_t)(s->now_us / 1000);
	uint32_t rto_ms = c->rto_us / 1000;
	/* Linux's tcp_slow_start_after_idle_check(): idle since the last
	 * data sent, longer than the RTO. FreeBSD's tcp_output(): since the
	 * last segment received, at least the RTO. */
	uint32_t idle_ms = now_ms - (mode == 1 ? c->last_snd_ms : c->last_rcv_ms);
	/* FreeBSD main's second clause, "(tp->t_sndtime && ((ticks -
	 * tp->t_sndtime) >= tp->t_rxtcur))": an RTO since the last data
	 * sent (bsd_sndtime()), however recent the last segment received.
	 * Before branch h-bsd6 the profile asked only the first
	 * (tests/pkt/freebsd/idle-restart-sndtime-receiving.pkt). */
	bool snd_idle = mode == 2 && !s->cfg.maxunack_ms && c->last_snd_ms &&
			now_ms - c->last_snd_ms >= rto_ms;
	if (mode == 1 ? idle_ms <= rto_ms : (idle_ms < rto_ms && !snd_idle))
		return;
	/* cc_after_idle(): the module first (FreeBSD's cubic_after_idle()
	 * takes W_max from the cwnd before newreno_cc_after_idle() cuts it). */
	if (c->cc->after_idle)
		c->cc->after_idle(c, s->now_us);
	uint32_t iw = tcp_init_cwnd_segs(s, c) * (uint32_t)c->mss;
	uint32_t cwnd = c->cwnd, restart = iw < cwnd ? iw : cwnd;
	/* Both keep three quarters of cwnd in ssthresh, whether or not cwnd
	 * shrinks, each rounding its own way: Linux's tcp_current_ssthresh()
	 * "(tcp_snd_cwnd(tp) >> 1) + (tcp_snd_cwnd(tp) >> 2)" in packets
	 * (cfg.cwnd_packets; 41 segments keep 30, not 30.75), FreeBSD's
	 * newreno_cc_after_idle() "snd_cwnd - (snd_cwnd >> 2)" in bytes
	 * (14,890 keeps 11,168, not 11,167:
	 * dialogue.cubic_bsd_after_idle_takes_w_max_and_starts_the_epoch). */
	uint32_t keep = cwnd / 2 + cwnd / 4;
	if (mode == 2)
		keep = cwnd - cwnd / 4;
	else if (s->cfg.cwnd_packets && c->mss)
		keep = (cwnd / c->mss / 2 + cwnd / c->mss / 4) * (uint32_t)c->mss;
	if (!c->in_recovery && c->ssthresh < keep)
		c->ssthresh = keep;
	if (mode == 1) {
		/* tcp_cwnd_restart(): halved for each RTO idle, down to the
		 * initial window. */
		uint32_t step = rto_ms ? rto_ms : 1;
		for (int64_t d = (int64_t)idle_ms - step; d > 0 && cwnd > restart; d -= step)
			cwnd >>= 1;
	} else {
		cwnd = restart;
	}
	cwnd = cwnd > restart ? cwnd : restart;
	if (cwnd == c->cwnd)
		return;
	c->cwnd = cwnd;
	s->st.TcpCwndRestarts++;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, 0, "restart after idle");
}

/* With TSO, one segment may carry many MSS for the device to cut. A
 * device told each segment's piece size (gt_device.transmit_gso, which
 * xmit_fo() gives the MSS less the options) takes it at any MSS: a peer's
 * smaller one, a learnt path MTU, TCP_MAXSEG, as Linux's and FreeBSD's
 * drivers get gso_size / tso_segsz with the packet. Without it only when
 * the MSS is what the MTU allows: that device cuts at the MTU less the IP
 * and TCP headers, of either family, the options counted. Never for a
 * signed segment (Linux's tcp_md5_do_add() sk_gso_disable(), FreeBSD's
 * "(tp->t_flags & TF_SIGNATURE) == 0": one digest cannot cover the
 * pieces) nor one sent in UDP (FreeBSD's "tp->t_port == 0"). Not in
 * recovery either: Linux's tcp_write_xmit() would size new data by
 * tcp_tso_segs() there too, and FreeBSD takes TSO for all but
 * sack_rxmit, but PRR releases about one segment per ACK, so allowing it
 * changed no segment (tests/unit/test_tso_gso_size.c, a piece lost).
 * The Linux profile then cuts each TSO segment to one kernel skb
 * (lx_tso_len(), lx_rtx_segs()). */
static uint32_t seg_max_of(const gt_stack *s, const struct tcp_conn *c, uint32_t mss)
{
	uint32_t full_mss = (uint32_t)s->dev.mtu - (uint32_t)ip_hdr_len(c->faddr) - 20u -
			    (c->ts_ok ? 12u : 0u);
	/* FreeBSD's tcp_output() takes TSO only with "tp->rcv_numsacks ==
	 * 0": no SACK blocks to send (they would shorten mss). */
	if (!s->cfg.psh_linux && mss != c->mss)
		return mss;
	if (s->dev.tso_max_bytes <= c->mss || c->in_recovery || tcp_signs(c) || tcp_tun_port(s, c))
		return mss;
	if (s->dev.transmit_gso || c->mss == full_mss) {
		uint32_t cap = s->dev.tso_max_bytes < 65000 ? s->dev.tso_max_bytes : 65000;
		return cap / mss * mss;
	}
	return mss;
}

/* cfg.cwnd_validate_linux: the end of Linux's tcp_write_xmit(), which
 * runs only with unsent data (tcp_push_pending_frames()):
 * "is_cwnd_limited |= (tcp_packets_in_flight(tp) >= tcp_snd_cwnd(tp))",
 * then tcp_cwnd_validate() if it sent new data or cwnd is full. That keeps
 * for the window now in flight (up to SND.NXT, cwnd_usage_seq) whether
 * it filled cwnd, or else the most segments it had out (packets_out);
 * a new window starts once SND.UNA reaches the old one's end. */
static void cwnd_validate(gt_stack *s, struct tcp_conn *c, bool sent_new, bool deferred_limited)
{
	uint32_t mss = tcp_send_mss(s, c);
	if (!mss || !lx_whole(c))
		return;
	struct tcp_lxtx *x = c->lx;
	uint32_t pipe = tcp_flight(c);
	/* One walk for both uses (nothing between them changes its answer);
	 * with nothing in flight it is asked only past the return. */
	bool asked = pipe != 0;
	uint32_t slack = asked ? lx_flight_slack(s, c) : 0;
	pipe += slack;
	bool limited = deferred_limited || (pipe + mss - 1) / mss >= c->cwnd / mss;
	if (!sent_new && !limited)
		return;
	if (!asked)
		slack = lx_flight_slack(s, c);
	uint32_t out = (c->snd_max - c->snd_una + slack + mss - 1) / mss;
	if (!seq_lt(c->snd_una, LX_USAGE_SEQ(x)) || limited || (!x->cwnd_limited && out > LX_MAX_OUT(x))) {
		x->cwnd_limited = limited;
		LX_MAX_OUT(x) = out;
		LX_USAGE_SEQ(x) = c->snd_nxt;
	}
	/* tcp_cwnd_validate(), "the starvation is caused by insufficient
	 * sender buffer": not cwnd-limited, nothing unsent, and a write
	 * found the buffer full (SOCK_NOSPACE), in ESTABLISHED or
	 * CLOSE_WAIT: the SNDBUF_LIMITED chrono starts. */
	bool cl;
	if (s->cfg.tcpi_chrono && c->lx_nospace && tcp_lx_cwnd_limited(c, &cl) && !cl &&
	    c->snd.len == c->snd_max - c->snd_una &&
	    (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_CLOSE_WAIT))
		tcp_chrono_start(s, c, TCP_CHRONO_SNDBUF_LIMITED);
}

/* Linux's tcp_check_space(): SOCK_NOSPACE set, the buffer may grow and
 * the flag go (tcp_autotune_lx_space()); gone, the SNDBUF_LIMITED chrono
 * stops. */
void tcp_check_space(gt_stack *s, struct tcp_conn *c)
{
	bool nospace = c->lx_nospace;
	tcp_autotune_lx_space(s, c);
	if (nospace && !c->lx_nospace && s->cfg.tcpi_chrono)
		tcp_chrono_stop(s, c, TCP_CHRONO_SNDBUF_LIMITED);
}

/* Linux's tcp_is_cwnd_limited() (cfg.cwnd_validate_linux), from what
 * cwnd_validate() kept: the window in flight filled cwnd, or, in slow
 * start, cwnd is under twice the most segments it had out ("ensure cwnd
 * grows to twice what was ACKed"): an application that sends 9 segments
 * of an initial 10 takes cwnd to 18, one that sends 5 leaves it at 10.
 * False, *limited untouched, where nothing was kept (no skb ends). */
bool tcp_lx_cwnd_limited(const struct tcp_conn *c, bool *limited)
{
	if (!lx_whole(c) || !c->mss)
		return false;
	*limited = c->lx->cwnd_limited ||
		   (c->cwnd < c->ssthresh && c->cwnd / c->mss < 2 * LX_MAX_OUT(c->lx));
	return true;
}

void tcp_output(gt_stack *s, struct tcp_conn *c)
{
	if (c->dead)
		return; /* freed earlier in this call: nothing more goes out */
	/* A FreeBSD TFO child with data to send: its SYN-ACK carries the
	 * first segment of it (tcp_fastopen_bsd_synack_due()). */
	if (c->snd.len)
		(void)tcp_fastopen_bsd_synack_due(s, c);
	/* FreeBSD's tcp_output(): idle as the call begins (cfg.nagle_bsd):
	 * "idle = (tp->t_flags & TF_LASTIDLE) || (tp->snd_max ==
	 * tp->snd_una); ... tp->t_flags &= ~TF_LASTIDLE; if (idle) { if
	 * (tp->t_flags & TF_MORETOCOME) { tp->t_flags |= TF_LASTIDLE; idle =
	 * 0; } }". A write with more to come (GT_MSG_MORE) that finds the
	 * connection idle passes the idleness on to the next call, whatever
	 * it sent meanwhile: the next write, or an ACK's output call, may
	 * send its short tail though segments are unacknowledged. The
	 * profile's segment path does not end in this call for the segments
	 * FreeBSD's tcp_do_segment() sends nothing for (an old ACK, a SACK
	 * ACK without new information, ...: tcp_input.c's bsd_quiet_ack(),
	 * docs/freebsd.md "Which inbound segments call tcp_output()"), so
	 * they leave the flag for the next call. */
	bool idle = c->snd_max == c->snd_una;
	/* "if (idle && (((ticks - tp->t_rcvtime) >= tp->t_rxtcur) || ...))
	 * cc_after_idle(tp);" comes between the two, with TF_LASTIDLE
	 * still set: tcp_idle_restart() takes it as idle (branch h-bsd5).
	 * At every call, unsent data or not: FreeBSD asks as tcp_output()
	 * begins, and with nothing to send the cwnd it restarts is the one
	 * the next ACKs grow (branch h-bsd6; before, only where unsent data
	 * waited). */
	if (s->cfg.idle_restart == 2)
		tcp_idle_restart(s, c);
	if (s->cfg.nagle_bsd) {
		idle = idle || c->bsd_lastidle;
		c->bsd_lastidle = false;
		if (idle && s->tx_moretocome) {
			c->bsd_lastidle = true;
			idle = false;
		}
	}
	/* The two FreeBSD rules, asked only where the profile has them (each
	 * returns at once without its cfg bit; a receiver comes here for
	 * every segment). */
	if (s->cfg.buf_autosize_bsd)
		tcp_autotune_bsd_output(s, c); /* FreeBSD's tcp_sndbuf_autoscale() */
	if (s->cfg.recovery_bsd)
		tcp_sack_bsd_output(s, c); /* a hole first, in FreeBSD's SACK recovery */
	/* Unsent data at the start (Linux's tcp_send_head()), new data sent. */
	bool had_unsent = seq_lt(c->snd_max, data_end(c)), sent_new = false;
	if (s->cfg.tcpi_chrono && (had_unsent || (c->fin_queued && !c->fin_sent)))
		tcp_chrono_start(s, c, TCP_CHRONO_BUSY); /* tcp_add_write_queue_tail(), a FIN's too */
	/* Nothing to send or resend, no FIN to send: the loop below would
	 * stop at its first pass (len 0, lx_grow() finding no tail skb), and
	 * the send MSS it takes first asks for the SACK blocks an ACK would
	 * carry (sack_fill()). A receiver's every data segment comes here:
	 * 5% of `glasstcp get`'s instructions (bench/PROFILE.md). Linux's
	 * tcp_data_snd_check() likewise returns at once without a send head
	 * (tcp_push_pending_frames()). */
	bool nothing = c->snd_nxt == c->snd_max && !had_unsent && !c->fin_queued;
	bool tso_cwnd_limited = false; /* lx_tso_defer()'s is_cwnd_limited */
	if (!nothing && can_send_data(c) && !tcp_fin_acked(c)) {
		bool memo = wnd_memo_open(s); /* one window for the burst */
		if (lx_whole(c))
			LX_TSO(c->lx)[2] &= ~LX_TSO_HELD; /* asked again below */
		/* The send MSS (tcp_send_mss()): Linux's tcp_write_xmit()
		 * takes tcp_current_mss() once for the whole burst, so a
		 * D-SACK block shortens its every segment; FreeBSD's
		 * tcp_output() trims each segment by its own options
		 * (below). */
		mtup_current(s, c); /* tcp_current_mss(): the route's MTU changed? */
		uint32_t mss = tcp_send_mss(s, c);
		uint32_t seg_max = seg_max_of(s, c, mss);
		uint32_t unit_left = 0, unit_n = 0; /* Linux's transmit unit (psh_linux) */
		bool unit_partial = false; /* it may take the window's piece (lx_wnd_piece()) */
		/* tcp_push_one() for a write's full skb (tcp_lx_hold_grow()):
		 * tcp_write_xmit() with push_one sends one skb and stops, so
		 * the rest of a skb it cut stays the write queue's tail, which
		 * the write fills to the size goal again before anything else
		 * goes (tso_fragment() leaves it there); sending on, the
		 * profile put the rest out alone, without the refill's PSH
		 * (`. 3001:4001` for Linux's `P. 3001:4001`). */
		bool push_one = s->cfg.psh_linux && lx_whole(c) && c->lx->no_grow;
		/* A retransmitted skb (psh_linux): where the next segment of
		 * it starts, segments left, and sent. */
		uint32_t rtx_seq = 0, rtx_left = 0, rtx_n = 0;
		/* New data sent while a go-back-N waits for a reneging peer's
		 * RTO: the go-back-N's point, its pipe, SND.MAX then. */
		bool gbn_held = false;
		uint32_t gbn_at = 0, gbn_flight = 0, gbn_max = 0;
		/* tcp_write_xmit(): "Do MTU probing" unless push_one; 0 sends
		 * nothing now. */
		int probed = -1;
		if (!push_one && c->snd_nxt == c->snd_max && mtup_of(c))
			probed = mtu_probe(s, c);
		sent_new = probed > 0;
		for (; probed != 0;) {
			if (!s->cfg.psh_linux) {
				mss = tcp_send_mss(s, c);
				seg_max = seg_max_of(s, c, mss);
			}
			/* Skip what the peer already holds (SACK) when resending. */
			uint32_t sack_end;
			if (seq_lt(c->snd_nxt, c->snd_max) && tcp_sacked(c, c->snd_nxt, &sack_end)) {
				c->snd_nxt = seq_min(sack_end, c->snd_max);
				continue;
			}
			/* cfg.loss_gbn_marks: and what is still in flight by
			 * the loss state's marks (tcp_xmit_retransmit_queue()
			 * skips a segment not LOST, or SACKED_RETRANS). */
			if (seq_lt(c->snd_nxt, c->snd_max) && tcp_rack_gbn_skip(c, c->snd_nxt, &sack_end)) {
				c->snd_nxt = seq_min(sack_end, c->snd_max);
				continue;
			}
			/* Reneging found after the timeout: the RTO armed for
			 * it resends, with the scoreboard forgotten. New data
			 * goes meanwhile as cwnd allows: Linux's
			 * tcp_fastretrans_alert() returns at
			 * tcp_check_sack_reneging() with rexmit REXMIT_NONE, so
			 * tcp_xmit_retransmit_queue() does not run, but
			 * tcp_data_snd_check()'s tcp_write_xmit() does, against
			 * tcp_packets_in_flight(), which counts the lost
			 * segments beyond the go-back-N out (lost_out). So the
			 * pipe is taken at the go-back-N's point, the new data
			 * sent from SND.MAX, and the go-back-N's point kept
			 * (tests/pkt/linux/rto-loss-state-sack-reneging-new-data.pkt). */
			if (seq_lt(c->snd_nxt, c->snd_max) && tcp_rack_reneg_wait(c)) {
				if (gbn_held || !c->loss_pipe)
					break;
				gbn_held = true;
				gbn_at = c->snd_nxt;
				gbn_flight = tcp_flight(c);
				gbn_max = c->snd_max;
				c->snd_nxt = c->snd_max;
				continue;
			}
			/* Go-back-N ends at recover: what lies beyond is new
			 * data still in flight (cfg.loss_pipe_linux). */
			uint32_t beyond = loss_fresh(c);
			/* Under cfg.loss_gbn_marks the marks tell what beyond
			 * is lost (RACK's) and what is in flight. */
			if (beyond && c->snd_nxt == c->recover && !tcp_rack_loss_marks(c)) {
				c->snd_nxt = c->snd_max;
				continue;
			}
			if (s->cfg.psh_linux && !unit_left)
				lx_grow(s, c); /* tcp_grow_skb(), before the window test */
			uint32_t end = data_end(c);
			uint32_t avail = seq_lt(c->snd_nxt, end) ? end - c->snd_nxt : 0;
			/* snd_nxt == end: every byte sent, the FIN not (yet, or
			 * again after a go-back-N retransmission). */
			bool fin_pending = c->fin_queued && c->snd_nxt == end;
			/* RFC 3042 limited transmit: the first two duplicate ACKs
			 * each let one new segment out beyond cwnd. With SACK
			 * under cfg.flight_sacked_linux the SACKed segments have
			 * left the flight already (tcp_flight()), which is all
			 * Linux's limited transmit is: no allowance on top. */
			uint32_t cw = c->cwnd;
			if (!c->in_recovery && c->dupacks && c->dupacks <= 2 && s->cfg.limited_transmit &&
			    !(c->sack_ok && tcp_rack_flight_sacked(c)) &&
			    seq_ge(c->snd_nxt, c->snd_max)) /* new data only */
				cw += (uint32_t)c->dupacks * c->mss;
			/* cwnd limits what is in flight (the pipe); the peer's
			 * window limits sequence space, up to its right edge
			 * SND.UNA + SND.WND (Linux's tcp_snd_wnd_test() and
			 * tcp_retransmit_skb()'s avail_wnd; FreeBSD's
			 * tcp_output(): sendwin less off). Taken off the pipe,
			 * which duplicate ACKs shrink without SACK
			 * (tcp_flight()), the window let a Linux sender put a
			 * limited-transmit segment wholly past the edge; its
			 * FreeBSD peer, which judges by its buffer's space,
			 * took that SEQ as SND.WL1, above every ACK the sender
			 * then sent from the edge (tcp_acceptable_seq()), and
			 * never took a window again: 1-byte probes for 4,800 s
			 * (swarm seed 15009377). */
			uint32_t flight = gbn_held ? gbn_flight + (c->snd_max - gbn_max) : tcp_flight(c);
			uint32_t right = c->snd_una + c->snd_wnd;
			uint32_t wnd_room = seq_lt(c->snd_nxt, right) ? right - c->snd_nxt : 0;
			/* cwnd counts packets in the Linux profile. */
			uint32_t pipe = flight ? flight + lx_flight_slack(s, c) : 0;
			uint32_t usable = cw > pipe ? cw - pipe : 0;
			/* FreeBSD's SACK recovery without PRR counts new data
			 * past snd_recover and the bytes resent, not the flight;
			 * so does it with PRR under the cwnd a partial ACK's
			 * tcp_sack_partialack() set. */
			if (tcp_sack_bsd_noprr(s, c) || tcp_sack_bsd_partialack_cwnd(c))
				usable = tcp_sack_bsd_room(c, cw, pipe);
			if (usable > wnd_room)
				usable = wnd_room;
			uint32_t len = avail < seg_max ? avail : seg_max;
			if (len > usable)
				len = usable;
			if (beyond && seq_lt(c->snd_nxt, c->recover) && len > c->recover - c->snd_nxt)
				len = c->recover - c->snd_nxt;
			if (s->cfg.psh_linux && len && seq_lt(c->snd_nxt, c->snd_max))
				len = lx_rtx_len(s, c, c->snd_nxt, len);
			/* A TSO retransmission likewise: at most the segments
			 * __tcp_retransmit_skb() is given, the rest of its skb
			 * tcp_fragment()ed off for the next. */
			uint32_t rtx_unit = 0;
			if (s->cfg.psh_linux && len > mss && seq_lt(c->snd_nxt, c->snd_max) &&
			    (!rtx_left || rtx_seq != c->snd_nxt)) {
				rtx_unit = lx_rtx_segs(s, c, usable, flight, mss);
				if (rtx_unit && len / mss >= rtx_unit)
					len = rtx_unit * mss;
			}
			bool skb_cut = false; /* new data cut at an unsent skb's end */
			if (s->cfg.psh_linux && len && c->snd_nxt == c->snd_max)
				len = lx_new_len(c, len, &skb_cut);
			/* tcp_tso_should_defer(): the skb at the send head
			 * held for the next ACK, and all after it. Asked for
			 * an skb of two or more segments whose first segment
			 * cwnd and the window let go, not for tcp_push_one(). */
			if (s->cfg.tso_defer && s->cfg.psh_linux && len && c->snd_nxt == c->snd_max &&
			    !unit_left && !push_one && wnd_room >= (avail < mss ? avail : mss) &&
			    lx_tso_defer(s, c, cw, pipe, flight, mss, &tso_cwnd_limited)) {
				LX_TSO(c->lx)[2] |= LX_TSO_HELD;
				LX_TSO(c->lx)[3] = c->snd_max;
				break;
			}
			/* A TSO segment of new data in the Linux profile is one
			 * transmit unit, the skb tcp_write_xmit() hands the
			 * device (lx_tso_len()). */
			uint32_t tso_unit = 0;
			if (s->cfg.psh_linux && len > mss && c->snd_nxt == c->snd_max && !unit_left) {
				tso_unit = lx_unit_segs(s, c, cw, pipe);
				len = lx_tso_len(c, len, avail, wnd_room, mss, tso_unit, skb_cut);
			}
			/* A closed window with nothing in flight: the persist
			 * timer. In Linux only with nothing unacknowledged at all
			 * (tcp_check_probe_timer() asks packets_out, SACKed and
			 * lost ones included): with all of it SACKed or marked
			 * lost the RTO or RACK's timer stays, and arming probes
			 * beside it left both timers set (fuzz seed
			 * corpus/conn_state/persist-with-sacked-flight-lx).
			 * FreeBSD's tcp_output() pulls snd_nxt back to a closed
			 * window and probes, outstanding data or not. */
			if (avail && c->snd_wnd == 0 && flight == 0 &&
			    (s->cfg.persist_bsd || c->snd_una == c->snd_max)) {
				persist_arm(s, c);
				break;
			}
			if (len == 0) {
				if (avail == 0 && fin_pending && s->cfg.fin_needs_window && !c->fin_sent &&
				    wnd_room == 0) {
					/* Linux: the FIN waits for room in the
					 * window (tcp_snd_wnd_test()); with
					 * nothing in flight the zero-window
					 * probe timer runs until the window
					 * opens (tcp_check_probe_timer()). */
					if (c->snd_una == c->snd_max)
						persist_arm(s, c);
					break;
				}
				/* FreeBSD: a bare FIN needs no window. */
				if (avail == 0 && fin_pending) {
					/* New sequence space is timed by the RTO,
					 * not the persist timer (FreeBSD's
					 * tcp_output() after a send, as for data
					 * below). Left persisting, the FIN had no
					 * timer once the probe found nothing to
					 * send (fuzz/crashers/
					 * conn_state-fin-zero-window-no-timer). */
					if (c->persist && !c->push_once)
						tcp_persist_leave(c);
					c->snd_nxt += send_at(s, c, c->snd_nxt, 0);
					if (stack_tx_blocked(s)) {
						tx_blocked_arm(s, c); /* the FIN waits */
						break;
					}
					if (seq_lt(c->snd_max, c->snd_nxt))
						c->snd_max = c->snd_nxt;
					tcp_arm_rtx(s, c);
				}
				break;
			}
			bool piece = unit_left && lx_wnd_piece(len, avail, wnd_room, mss, unit_partial);
			bool small_ok = s->cfg.nagle_bsd ? bsd_small_segment_ok(c, len, avail, idle)
							 : small_segment_ok(c, len, avail);
			if (len < mss && !skb_cut && !piece && !small_ok &&
			    seq_ge(c->snd_nxt, c->snd_max)) {
				/* RFC 9293 3.8.6.2.1: held back by a window too small to
				 * be worth it with nothing in flight, only a timer can
				 * release it (the override timeout): the persist timer. */
				/* Nothing unacknowledged, SACKed or not: Linux's
				 * tcp_check_probe_timer() asks packets_out, FreeBSD
				 * that no retransmission timer runs. With all of it
				 * SACKed and the RTO armed for a reneging peer, the
				 * persist timer took the RTO's place and no timer
				 * was left for the data (swarm seed 19004764). */
				/* FreeBSD arms it for whatever tcp_output() holds
				 * with no retransmission timer running: "if
				 * (sbavail(&so->so_snd) && !tcp_timer_active(tp,
				 * TT_REXMT) && !tcp_timer_active(tp, TT_PERSIST))
				 * tcp_setpersist(tp)", a tail that TCP_NOPUSH or
				 * TF_MORETOCOME holds too: it has no cork timer,
				 * and tcp_timer_persist()'s TF_FORCEDATA sends the
				 * tail (push_once) after tcp_persmin at least: so
				 * here with nagle_bsd and no cork ceiling
				 * (cork_max_us 0, the FreeBSD profile's). It
				 * starts the backoff afresh ("tp->t_rxtshift = 0;
				 * tcp_setpersist(tp)"). */
				bool bsd_hold = s->cfg.nagle_bsd && !s->cfg.cork_max_us && c->cork;
				if (flight == 0 && (len < avail || bsd_hold) && c->snd_una == c->snd_max) {
					if (s->cfg.nagle_bsd && c->persist_at == TCP_TIMER_NONE)
						c->backoff = 0;
					persist_arm(s, c);
				}
				/* The cork's ceiling is for a partial segment the cork
				 * holds (all there is, under an MSS), not for one the
				 * window holds back (sender SWS): that waits for ACKs. */
				if (c->cork && len == avail && c->cork_at == TCP_TIMER_NONE &&
				    s->cfg.cork_max_us) {
					/* Linux has no cork timer: with nothing in
					 * flight the zero-window probe timer is armed
					 * (tcp_check_probe_timer(), max(RTO, 200 ms))
					 * and sends the held data when it fires
					 * (tcp_write_wakeup()). */
					uint64_t t = s->cfg.cork_max_us;
					if (s->cfg.cork_ceiling_rto && flight == 0 && tcp_backoff_us(s, c) > t)
						t = tcp_backoff_us(s, c);
					c->cork_at = tcp_timer_at(s, t);
					if (stack_tracing(s))
						tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_CORK,
							  tcp_trace_delay(t), 0, NULL);
					tcp_timers_update(s, c);
				}
				break;
			}
			uint32_t sml0 = c->snd_sml; /* restored if the device refuses */
			bool fresh = seq_ge(c->snd_nxt, c->snd_max);
			/* Linux's tcp_minshall_update() follows new data only
			 * (tcp_write_xmit()); a short retransmission marks
			 * nothing, and Nagle lets the next small write go
			 * (tests/pkt/linux/minshall-short-retransmission-marks-nothing.pkt). */
			if (len < mss && (fresh || !s->cfg.psh_linux))
				c->snd_sml = c->snd_nxt + len;
			if (fresh && !c->rtt_timing && !c->ts_ok) {
				c->rtt_timing = true;
				c->rtt_seq = c->snd_nxt;
				c->rtt_start_us = s->now_us;
			}
			bool unit_end = false;
			if (s->cfg.psh_linux && fresh) {
				if (!unit_left) {
					unit_left = tso_unit ? tso_unit : lx_unit_segs(s, c, cw, pipe);
					unit_n = 0;
					/* tcp_nagle_check() for the unit's piece:
					 * TCP_NAGLE_CORK, or Nagle with packets_out
					 * and tcp_minshall_check(). */
					unit_partial = lx_unit_partial(c);
				}
				unit_n++;
				unit_left--;
				if (len > mss) {
					unit_end = true; /* a TSO segment is a unit of its own */
					unit_left = 0;
				} else if (!unit_left || !more_now(c, avail - len, usable - len, wnd_room - len,
								   seg_max, mss, unit_partial)) {
					unit_end = unit_n >= 2;
					unit_left = 0;
				}
			}
			if (s->cfg.psh_linux && !fresh) {
				/* __tcp_retransmit_skb(): the skb at snd_nxt, cut
				 * to what tcp_xmit_retransmit_queue() allows
				 * (cwnd less what is in flight, at most
				 * tcp_tso_segs()). */
				uint32_t skb_end = skb_end_of(c, c->snd_nxt);
				if (!rtx_left || rtx_seq != c->snd_nxt) {
					rtx_left = rtx_unit ? rtx_unit : lx_rtx_segs(s, c, usable, flight, mss);
					rtx_n = 0;
				}
				rtx_n++;
				rtx_left = rtx_left ? rtx_left - 1 : 0;
				rtx_seq = c->snd_nxt + len;
				if (len > mss || !seq_lt(rtx_seq, skb_end) || !rtx_left ||
				    !more_now(c, avail - len, usable - len, wnd_room - len, seg_max, mss, false)) {
					unit_end = len > mss || rtx_n >= 2;
					rtx_left = 0;
					if (seq_lt(rtx_seq, skb_end))
						skb_end_add(s, c, rtx_seq); /* tcp_fragment() */
				}
			}
			/* Linux's tcp_options_write() clears the D-SACK after one
			 * skb, whose GSO segments all carry it
			 * (dsack-rides-data-shortens-burst.pkt). */
			s->tx_dsack_keep = s->cfg.psh_linux && len <= mss && (fresh ? unit_left : rtx_left);
			uint32_t used = send_psh(s, c, c->snd_nxt, len, unit_end);
			s->tx_dsack_keep = false;
			if (s->tx_refused) {
				/* The device's queue is full: nothing more now. In
				 * Linux's tcp_write_xmit() tcp_minshall_update()
				 * follows only a tcp_transmit_skb() that succeeded:
				 * a refused short segment is no short segment in
				 * flight. Kept, SND.SML beyond SND.MAX made Nagle
				 * (small_segment_ok()) hold the refused tail with
				 * nothing in flight and no timer once an ACK or a
				 * window update ended the resource probe: swarm
				 * plan 8 seeds 97300852, 97301643 on h-swarm8's
				 * build. */
				if (s->cfg.tx_busy_linux) {
					c->snd_sml = sml0;
					tx_blocked_arm(s, c);
				} else
					tx_refused_bsd(s, c, used);
				break;
			}
			if (s->cfg.psh_linux && fresh && !unit_left)
				skb_end_add(s, c, c->snd_nxt + len); /* tso_fragment() */
			c->snd_nxt += used;
			if (seq_lt(c->snd_max, c->snd_nxt)) {
				c->snd_max = c->snd_nxt;
				sent_new = true;
			}
			/* FreeBSD's tcp_output() after a send that is not the
			 * persist timer's (TF_FORCEDATA): "if
			 * (tcp_timer_active(tp, TT_PERSIST)) {
			 * tcp_timer_activate(tp, TT_PERSIST, 0); tp->t_rxtshift
			 * = 0; } tcp_timer_activate(tp, TT_REXMT, ...)": data
			 * written after a held tail armed the persist timer
			 * is timed by the RTO. Linux's too: tcp_event_new_data_sent()
			 * with nothing in flight before runs tcp_rearm_rto(), whose
			 * ICSK_TIME_RETRANS takes the probe timer's slot
			 * (icsk_pending): a tail a refusal left to the probe timer
			 * (tx_blocked_arm()) that an ACK's output sends is timed by
			 * the RTO, not left with no timer (swarm seed 71000185,
			 * LAST_ACK with data in flight; seed 97601359: left
			 * persisting, a window update ended the probing and a
			 * refused retransmission left no timer at all). */
			if ((s->cfg.nagle_bsd || s->cfg.tx_busy_linux) && c->persist && !c->push_once)
				tcp_persist_leave(c);
			tcp_arm_rtx(s, c);
			/* Linux's tcp_event_new_data_sent(), for each skb of new
			 * data sent: tcp_check_space(), which may grow a buffer a
			 * write found full while cwnd is not yet filled. */
			if (s->cfg.psh_linux && fresh && !unit_left && c->lx_nospace)
				tcp_check_space(s, c);
			if (push_one && fresh && !unit_left)
				break;
		}
		if (gbn_held)
			c->snd_nxt = gbn_at;
		wnd_memo_close(s, memo);
		if (s->cfg.tcpi_chrono && had_unsent)
			tcp_chrono_xmit(s, c); /* tcp_write_xmit()'s is_rwnd_limited */
	}
	if (s->cfg.cwnd_validate_linux && (sent_new || had_unsent))
		cwnd_validate(s, c, sent_new, tso_cwnd_limited);
	/* Linux's probe timer, which ends the cork there, shares its slot with
	 * the retransmission timer (icsk_pending): data in flight displaces
	 * it, and only a push that finds nothing in flight and the partial
	 * still held arms it again, at the RTO of that moment
	 * (tcp_check_probe_timer()). Kept from the first held write, the
	 * deadline outlived a 29 s RTT sample's 87 s RTO by a minute after the
	 * RTO had fallen to 250 ms (swarm seed 13106215). */
	if (c->cork_at != TCP_TIMER_NONE &&
	    (!c->cork || c->snd_nxt == data_end(c) || (s->cfg.cork_ceiling_rto && tcp_flight(c)))) {
		c->cork_at = TCP_TIMER_NONE; /* nothing partial is held any more */
		tcp_timers_update(s, c);
	}
	if (c->ack_now)
		tcp_send_ack(s, c);
}
