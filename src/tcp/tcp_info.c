/* TCP_INFO: a connection's state, windows, timers and counters as the
 * application and the listings see them (Linux's struct tcp_info, in
 * glasstcp's units). */
#include <errno.h>
#include <string.h>

#include "tcp/tcp.h"

/* Linux's tcpi_unacked, tp->packets_out: the segments sent and not yet
 * acknowledged, each skb counting DIV_ROUND_UP(len, mss) (tcp_skb_pcount(),
 * tcp_set_skb_tso_segs(); a partly acknowledged one is trimmed and counted
 * again, tcp_tso_acked()), a SYN one, a FIN sent alone one (tcp_send_fin()
 * queues a new skb when the last one has gone; one that rode on data
 * adds nothing). Under cfg.flight_short_pkt the skbs are those the
 * output kept (tcp_lx_acked_pkts()): three 100-byte writes with Nagle
 * off are three, as on Linux 6.18
 * (tests/pkt/linux/tcpi-unacked-short-segments-packets.pkt). A FIN that
 * rode on data in an skb whose end is not kept (more than TCP_LX_SKBS
 * skbs in flight) is counted with that skb, up to SND.MAX, as
 * pkts_upto() does: counted up to the FIN alone, the skb was cut short
 * of its end and its short data gave no packet, one fewer than Linux
 * (tests/pkt/linux/tcpi-unacked-fin-on-short-data-end-not-kept.pkt).
 * Where the ends are not kept (the FreeBSD profile, or the list overflowed) the
 * data is counted as full segments and one short one: exact while only
 * the last segment in flight is short, fewer where short ones went
 * before it; a FIN then counts where no data is out. A TFO child's
 * SYN-ACK is the request's, not in its packets_out
 * (tcp_fastopen_create_child()). */
static uint32_t unacked_segs(const gt_stack *s, const struct tcp_conn *c, uint32_t unacked)
{
	uint32_t mss = c->mss ? c->mss : 1u, segs = 0;
	bool syn = unacked && c->snd_una == c->iss;
	if (syn) {
		unacked--; /* our SYN */
		if (!tcp_tfo_child(c))
			segs++;
	}
	bool fin = unacked && c->fin_sent && !tcp_fin_acked(c);
	if (fin)
		unacked--;
	uint32_t upto = c->snd_una + unacked;
	if (fin && !c->fin_alone && !tcp_lx_skb_ends_at(c, upto))
		upto++; /* the FIN's octet: the skb ends at SND.MAX */
	uint32_t p = unacked && !syn && s->cfg.flight_short_pkt ? tcp_lx_acked_pkts(s, c, upto) : UINT32_MAX;
	if (p != UINT32_MAX)
		return p + (fin && c->fin_alone ? 1u : 0u);
	segs += (unacked + mss - 1) / mss;
	if (fin && segs == 0)
		segs = 1;
	return segs;
}

/* Linux's tcpi_last_data_recv, jiffies_to_msecs(now - icsk_ack.lrcvtime)
 * (tcp_get_info()): since the last data segment (last_data_rcv_ms), or
 * before any since the handshake's end, where tcp_finish_connect() (an
 * active open, at the SYN-ACK) and tcp_create_openreq_child() (a passive
 * one, at the handshake's ACK) set lrcvtime. tcp_init_buffer_space()
 * starts rcvq_space.time then too, and Linux's autotuning rule keeps that
 * start in rcv_space_ms (tcp_autotune_init() from tcp_start_cc()) until a
 * read measures, which data must come before: that is the time, read
 * here rather than stamped into last_data_rcv_ms, whose ping-pong and ato
 * tests would then run from the handshake. UINT32_MAX (unknown) before
 * data otherwise: FreeBSD's rule, or Linux's delayed ACKs off. */
static uint32_t last_data_recv_ms(const gt_stack *s, const struct tcp_conn *c)
{
	/* FreeBSD's tcp_fill_info(): "(ticks - tp->t_rcvtime) * tick", and
	 * tcp_do_segment() sets t_rcvtime at every segment it is given
	 * ("Segment received on connection. Reset idle time"), data or not
	 * (fel1x-developer/freebsd-src 2d614aa): the age of the last segment
	 * (last_rcv_ms), in ms here as the Linux profile's. tcp_newtcpcb()'s
	 * start before any segment is not kept: unknown in SYN_SENT. */
	if (s->cfg.tcpi_tcpcb_bsd)
		return c->state == GT_TCP_CLOSED || c->state == GT_TCP_LISTEN || c->state == GT_TCP_SYN_SENT
			       ? UINT32_MAX
			       : (uint32_t)(s->now_us / 1000) - c->last_rcv_ms;
	if (c->last_data_rcv_ms)
		return tcp_data_rcv_age_us(s, c) / 1000;
	if (!s->cfg.delack_linux || s->cfg.buf_autosize_bsd || c->state == GT_TCP_CLOSED ||
	    c->state == GT_TCP_LISTEN || c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED)
		return UINT32_MAX;
	return (uint32_t)(s->now_us / 1000) - c->rcv_space_ms;
}

/* tcp_jiffies32: with cfg.timer_wheel, the wheel's jiffies clock, its
 * ticks timer_wheel_phase_us before each whole jiffy of stack time
 * (tcp_wheel_at()); without, ticks on whole jiffies. Which jiffy a
 * chrono starts and is read in decides its whole jiffies: 50 ms from
 * stack time 0.10 s to 0.15 s is 12 jiffies from phase 0 but 13 from
 * the profile's 3000 us (the kernel's phase is its boot's). */
static uint32_t now_j(const gt_stack *s)
{
	return (uint32_t)((s->now_us + tcp_jiffy_phase_us(s)) / tcp_jiffy_us(s));
}

/* Linux's tcp_chrono_set(): the type timed so far adds its time, the new
 * one starts now. */
static void chrono_set(const gt_stack *s, struct tcp_chrono *ch, enum tcp_chrono_type t)
{
	uint32_t now = now_j(s);
	if (ch->type > TCP_CHRONO_UNSPEC)
		ch->stat_j[ch->type - 1] += now - ch->start_j;
	ch->start_j = now;
	ch->type = (uint8_t)t;
}

/* tcp_chrono_start(): "the highest priority enum takes precedence". */
void tcp_chrono_start(gt_stack *s, struct tcp_conn *c, enum tcp_chrono_type t)
{
	struct tcp_chrono *ch = tcp_lx_chrono(s, c, true);
	if (ch && t > ch->type)
		chrono_set(s, ch, t);
}

/* tcp_chrono_stop(): nothing unacknowledged or unsent
 * (tcp_rtx_and_write_queues_empty(), a FIN not yet sent counting as
 * unsent), nothing timed; else the type stopped, if it is the one timed,
 * gives way to BUSY. */
void tcp_chrono_stop(gt_stack *s, struct tcp_conn *c, enum tcp_chrono_type t)
{
	struct tcp_chrono *ch = tcp_lx_chrono(s, c, false);
	if (!ch)
		return;
	if (c->snd_una == c->snd_max && !c->snd.len && !(c->fin_queued && !c->fin_sent))
		chrono_set(s, ch, TCP_CHRONO_UNSPEC);
	else if (t == ch->type)
		chrono_set(s, ch, TCP_CHRONO_BUSY);
}

/* tcp_write_xmit(): the loop stops with is_rwnd_limited where the send
 * head passes tcp_cwnd_test() (packets in flight under cwnd) and fails
 * tcp_snd_wnd_test(): its first MSS (the skb if shorter) ends past
 * SND.UNA + SND.WND. The stack keeps no skb bounds for unsent data here,
 * so the head is taken as min(unsent, MSS): exact while the unsent head
 * skb is an MSS or more, or all that is unsent. cwnd is judged as the
 * output judges it (tcp_flight_cwnd(): a short segment a packet under
 * cfg.flight_short_pkt), so two 100-byte segments fill cwnd 2 and the
 * window behind them limits nothing
 * (tests/pkt/linux/tcp-info-chrono-cwnd-full-of-short-segments-not-rwnd-limited.pkt). */
void tcp_chrono_xmit(gt_stack *s, struct tcp_conn *c)
{
	uint32_t end = c->snd_una + c->snd.len;
	uint32_t unsent = seq_lt(c->snd_max, end) ? end - c->snd_max : 0;
	uint32_t head = unsent < c->mss ? unsent : c->mss;
	if (unsent && seq_gt(c->snd_max + head, c->snd_una + c->snd_wnd) && tcp_flight_cwnd(s, c) < c->cwnd)
		tcp_chrono_start(s, c, TCP_CHRONO_RWND_LIMITED);
	else
		tcp_chrono_stop(s, c, TCP_CHRONO_RWND_LIMITED);
}

void tcp_chrono_ack(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_chrono *ch = tcp_lx_chrono(s, c, true);
	if (!ch)
		return;
	ch->rcv_tstamp_j = now_j(s);
	ch->rcv_on = true;
	/* Where the head now holds only what the TCB derives (the
	 * handshake's ACK, nothing sent), it goes until something needs it
	 * (tcp_lx_shed()). */
	tcp_lx_shed(s, c);
}

/* tcp_get_info_chrono_stats(): each total plus the running type's time
 * so far, in jiffies times USEC_PER_SEC / HZ; busy is their sum. And
 * tcp_get_info()'s jiffies_to_msecs(now - lsndtime) (last_snd_ms, the
 * Linux profile's lsndtime with cfg.idle_restart 1, in ms: its jiffy is
 * the ms count over the jiffy's ms) and jiffies_to_msecs(now -
 * rcv_tstamp). */
static void chrono_info(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	ti->chrono_ok = true;
	uint32_t ju = tcp_jiffy_us(s), jm = ju >= 1000 ? ju / 1000 : 1;
	struct tcp_chrono kept;
	const struct tcp_chrono *ch = tcp_lx_chrono_get(s, c, &kept) ? &kept : NULL;
	uint64_t st[3] = {0, 0, 0};
	for (int i = 0; ch && i < 3; i++) {
		uint32_t j = ch->stat_j[i];
		if (ch->type == i + 1)
			j += now_j(s) - ch->start_j;
		st[i] = (uint64_t)j * ju;
	}
	ti->busy_time_us = st[0] + st[1] + st[2];
	ti->rwnd_limited_us = st[TCP_CHRONO_RWND_LIMITED - 1];
	ti->sndbuf_limited_us = st[TCP_CHRONO_SNDBUF_LIMITED - 1];
	uint32_t now_ms = (uint32_t)(s->now_us / 1000);
	uint32_t ph = tcp_jiffy_phase_us(s) / 1000; /* now_j()'s */
	ti->last_data_sent_ms = s->cfg.idle_restart == 1
					? ((now_ms + ph) / jm - (c->last_snd_ms + ph) / jm) * jm
					: UINT32_MAX;
	ti->last_ack_recv_ms = ch && ch->rcv_on ? (now_j(s) - ch->rcv_tstamp_j) * jm : UINT32_MAX;
}

/* FreeBSD's tcp_fill_info() (cfg.tcpi_tcpcb_bsd): "tcpi_rto = tp->t_rxtcur
 * * tick" and "tcpi_rttvar = (t_rttvar * tick) >> TCP_RTTVAR_SHIFT".
 * t_rxtcur is what TCPT_RANGESET() (tcp_timer.h) last made of it,
 * tcp_rexmit_slop included: tcp_xmit_timer() at each RTT sample,
 * tcp_timer_rexmt() with the backoff at each expiry (tcp_backoff_us(), the
 * timer armed); tcp_newtcpcb()'s tcp_rexmit_initial alone before either.
 * tcp_setpersist() leaves it: in persist, the unbacked-off value. Before a
 * sample t_rttvar is tcp_newtcpcb()'s "((tcp_rexmit_initial -
 * TCPTV_SRTTBASE) << TCP_RTTVAR_SHIFT) / 4", a quarter of the initial RTO
 * (fel1x-developer/freebsd-src 2d614aa: tcp_usrreq.c, tcp_subr.c). With
 * FreeBSD's estimator (cfg.rtt_bsd) t_rttvar is tcp_bsd_rttvar(), that
 * value before a sample and 0 after one of 0 ticks; tcpi_rtt is the TCB's
 * srtt_us, already "(t_srtt * tick) >> TCP_RTT_SHIFT". */
static void bsd_rto_rttvar(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	ti->rto_us = (uint32_t)tcp_rto_shifted_us(s, c, c->persist ? 0 : c->backoff);
	if (s->cfg.rtt_bsd) {
		uint32_t hz = s->cfg.cubic_bsd_hz ? s->cfg.cubic_bsd_hz : 1000u;
		ti->rttvar_us = (uint32_t)(((uint64_t)tcp_bsd_rttvar(s, c) * (1000000u / hz)) >> 4);
	} else if (!c->srtt_us) {
		ti->rttvar_us = s->cfg.rto_initial_us / 4;
	}
}

/* FreeBSD's tcp_fill_info() (fel1x-developer/freebsd-src b252a43):
 * "tcpi_snd_mss = tp->t_maxseg; tcpi_rcv_mss = tp->t_maxseg", the MSS
 * before the options tcp_maxseg() takes off each segment (1460 with
 * timestamps, where a full segment carries 1448); the peer's segment
 * sizes are not looked at
 * (tests/pkt/freebsd/tcpinfo-mss-is-t-maxseg-with-timestamps.pkt). The
 * application's TCP_INFO only (tcp_user_info(), tcp_info_keep()): the
 * socket listings (tcp_inspect.c) keep the segment's payload, which
 * their cwnd in segments divides by. */
static void bsd_mss(const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	ti->snd_mss = tcp_user_maxseg(c); /* getsockopt(TCP_MAXSEG)'s t_maxseg */
	ti->rcv_mss = ti->snd_mss;
}

/* Linux's sacked_out, lost_out and retrans_out without SACK
 * (tcp_is_reno()), in packets (tcp_lx_pkts_upto()), from what the Linux
 * profile's recovery by PRR (tcp_input.c reno_prr()) and its loss state
 * (cfg.loss_pipe_linux) keep. Linux 6.18, tests/pkt/linux/tcpi-reno-*.pkt:
 * - Open, Disorder, CWR: each duplicate since SND.UNA last moved is one
 *   sacked_out (tcp_fastretrans_alert()'s default arm:
 *   tcp_reset_reno_sack() on an advance, then tcp_add_reno_sack());
 *   nothing lost or resent.
 * - Recovery: sacked_out as tcp_add_reno_sack() and tcp_remove_reno_sacks()
 *   keep it (reno_sacked); the head alone is lost (tcp_newreno_mark_lost(),
 *   at the entry and at a partial ACK past the head's retransmission),
 *   in retrans_out once resent, until acknowledged (rexmit_nxt). Held at
 *   high_seq, each ACK resets sacked_out (tcp_reset_reno_sack() before
 *   tcp_try_undo_recovery()) and marks nothing: reno_sacked 0.
 * - Loss (loss_pipe): tcp_timeout_mark_lost() marked all that was out lost
 *   (up to recover, the timeout's SND.MAX) and reset sacked_out; go-back-N
 *   has resent [SND.UNA, SND.NXT) of it, each in retrans_out until
 *   acknowledged; a duplicate once new data went past high_seq is one more
 *   sacked_out (tcp_process_loss(); dup_ack() counts only those), an
 *   advance forgets them. Under F-RTO (c->frto, SND.NXT at SND.MAX) only
 *   the head went again, its copy in retrans_out until step 2b's ACK
 *   covers it (frto 2: none); a duplicate then ends F-RTO (step 3a) and
 *   go-back-N resends from SND.UNA as above.
 * Each time sacked_out is at most packets_out less max(lost_out, 1) holes
 * (tcp_limit_reno_sacked(), from tcp_check_reno_reordering()), which the
 * profile's dupacks and reno_sacked are not always held to.
 * Unknown (false): the FreeBSD recovery, and the handshake (a SYN that an
 * RTO resent is lost and in retrans_out, tcp_retransmit_timer() ->
 * tcp_enter_loss(), where the profile keeps no loss state). Not modelled:
 * tcp_timeout_mark_lost() leaves unmarked a segment sent within reo_wnd
 * before the timeout (tcp_rack_skb_timeout() with rack.rtt_us 0, as
 * tcp_rack_advance() runs only with SACK), and a path-MTU fall's loss state
 * marks only the longer segments (tcp_simple_retransmit()): both counted
 * as all lost, as tcp_flight() counts them. */
static bool reno_scoreboard(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	if (!s->cfg.prr || !s->cfg.loss_pipe_linux || s->cfg.recovery_bsd || !c->mss ||
	    c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED)
		return false;
	uint32_t out = tcp_lx_packets_out(s, c), sacked = c->dupacks, lost = 0, retrans = 0;
	if (c->loss_pipe) {
		lost = tcp_lx_pkts_upto(s, c, c->recover);
		if (c->frto == 1) /* F-RTO: the head's copy alone, SND.NXT at SND.MAX */
			retrans = lost ? 1u : 0u;
		else if (!c->frto)
			retrans = tcp_lx_pkts_upto(s, c, seq_lt(c->snd_nxt, c->recover) ? c->snd_nxt : c->recover);
	} else if (c->in_recovery) {
		bool resent = !c->reno_head_lost && seq_lt(c->snd_una, c->rexmit_nxt);
		lost = c->reno_head_lost || resent ? 1u : 0u;
		retrans = resent ? 1u : 0u;
		sacked = c->reno_sacked;
	}
	uint32_t holes = lost > 1 ? lost : 1;
	holes = holes < out ? holes : out;
	ti->sacked_segs = sacked < out - holes ? sacked : out - holes;
	ti->lost_segs = lost;
	ti->retrans_out_segs = retrans;
	return true;
}

void tcp_fill_info(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	uint32_t unacked = c->snd_max - c->snd_una;
	ti->state = c->state;
	ti->ca_state = tcp_rack_ca_state(c);
	ti->snd_wscale = c->snd_wscale;
	ti->rcv_wscale = c->rcv_wscale;
	ti->ts_ok = c->ts_ok;
	ti->sack_ok = c->sack_ok;
	ti->ws_ok = c->ws_ok;
	ti->ecn_ok = c->ecn_ok;
	ti->ace_ok = c->ace_ok;
	ti->syn_data = tcp_syn_data_acked(c); /* tcp_get_info(): tp->syn_data_acked */
	/* FreeBSD's tcp_fill_info(): "tcpi_snd_nxt = tp->snd_nxt;
	 * tcpi_rcv_nxt = tp->rcv_nxt" (fel1x-developer/freebsd-src b252a43). */
	ti->snd_nxt = c->snd_nxt;
	ti->rcv_nxt = c->rcv_nxt;
	ti->seq_ok = true;
	ti->snd_mss = c->mss;
	ti->rcv_mss = s->cfg.tcpi_rcv_mss_seen ? c->ack_rcv_mss : c->mss;
	ti->advmss = c->rcv_mss;
	ti->rto_us = c->rto_us;
	if (s->cfg.tcpi_rto_backed_off && !c->persist)
		ti->rto_us = (uint32_t)tcp_backoff_us(s, c); /* icsk_rto, doubled per expiry */
	/* A TFO child's icsk_rto is tcp_init_metrics()'s fallback from its
	 * making (tcp_fastopen_create_child() -> tcp_init_transfer()); the
	 * SYN-ACK's timer, the request's, leaves it (Linux 6.18.44). */
	if (tcp_tfo_child(c) && !c->srtt_us)
		ti->rto_us = TCP_TFO_RTO_FALLBACK_US;
	ti->srtt_us = c->srtt_us;
	/* With Linux's estimator rttvar_us is its mdev_us, and tcpi_rttvar
	 * is mdev_us >> 2 (tcp_get_info()). */
	ti->rttvar_us = tcp_lx_rtt_linux(c) ? c->rttvar_us >> 2 : c->rttvar_us;
	if (s->cfg.tcpi_tcpcb_bsd)
		bsd_rto_rttvar(s, c, ti);
	ti->min_rtt_us = c->min_rtt_us;
	ti->snd_cwnd_bytes = tcp_cwnd_linux(c);
	ti->snd_ssthresh_bytes = c->ssthresh;
	ti->snd_wnd_bytes = c->snd_wnd;
	ti->max_snd_wnd_bytes = c->max_snd_wnd;
	ti->rcv_wnd_bytes = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	ti->unacked_bytes = unacked;
	ti->unacked_segs = unacked_segs(s, c, unacked);
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
	ti->ooo_dropped = c->cnt.ooo_dropped;
	ti->rcv_nomem = c->cnt.rcv_nomem;
	ti->reordering = tcp_reordering(s, c);
	ti->reord_seen = tcp_rack_reord_seen(c);
	ti->delivered_ok = tcp_lx_delivered(s, c, &ti->delivered);
	if (ti->delivered_ok)
		ti->delivered_ce = tcp_lx_delivered_ce(c);
	ti->dsack_dups_ok = tcp_lx_dsack_dups(s, c, &ti->dsack_dups);
	ti->seg_stats_ok = s->cfg.tcpi_chrono;
	if (ti->seg_stats_ok) {
		struct tcp_lx_stats st;
		tcp_lx_stats_get(c, &st);
		ti->data_segs_out = st.data_segs_out;
		ti->bytes_retrans = st.bytes_retrans;
		ti->data_segs_in = st.data_segs_in;
		ti->rcv_ooopack = st.rcv_ooopack;
	}
	ti->probes = (uint32_t)c->persist_probes + c->keep_probes_out;
	ti->last_data_recv_ms = last_data_recv_ms(s, c);
	if (s->cfg.tcpi_chrono)
		chrono_info(s, c, ti);
	ti->rcv_ssthresh_ok = s->cfg.rcv_wnd_linux;
	if (ti->rcv_ssthresh_ok)
		ti->rcv_ssthresh_bytes = c->rcv_ssthresh; /* tcp_get_info(): tp->rcv_ssthresh */
	/* tcp_get_info(): tcpi_rcv_rtt and tcpi_rcv_space. The profile keeps
	 * them only where its autotuning runs (tcp_autotune.c: the window-based
	 * sample is taken for it alone), and rcv_space holds another buffer once
	 * the application locked it (rcv_clamp_held). */
	ti->rcv_rtt_ok = s->cfg.rcvbuf_autotune && !s->cfg.buf_autosize_bsd && !c->rcvbuf_locked &&
			 !c->rcv_clamp_held;
	if (ti->rcv_rtt_ok) {
		ti->rcv_rtt_us = c->rcv_rtt_us;
		ti->rcv_space_bytes = c->rcv_space;
	}
	/* tcp_get_info(): tp->sacked_out, lost_out, retrans_out. Nothing
	 * in flight: all 0. With SACK, the RACK log's marks; without, what
	 * the recovery and the loss state keep (reno_scoreboard()). */
	if (unacked == 0)
		ti->scoreboard_ok = true;
	else if (c->sack_ok)
		ti->scoreboard_ok = tcp_rack_scoreboard(c, &ti->sacked_segs, &ti->lost_segs, &ti->retrans_out_segs);
	else
		ti->scoreboard_ok = reno_scoreboard(s, c, ti);
}

/* At the TCB's end (conn_release()). Under cfg.tcpi_tcpcb_bsd also what
 * FreeBSD's tcpcb would still show in TIME_WAIT. A connection that went to
 * TIME_WAIT has already become its 4-tuple's entry by then
 * (tcp_enter_time_wait(): tw_add(), then tcp_state_handoff() to CLOSED,
 * then the TCB freed), which is how time_wait knows it. */
void tcp_info_keep(gt_stack *s, const struct tcp_conn *c, struct tcp_info_kept *k)
{
	*k = (struct tcp_info_kept){
		.valid = true,
		.ts_ok = c->ts_ok,
		.sack_ok = c->sack_ok,
		.ws_ok = c->ws_ok,
		.ecn_ok = c->ecn_ok,
		.syn_data = tcp_syn_data_acked(c),
		.snd_wscale = c->snd_wscale,
		.rcv_wscale = c->rcv_wscale,
		.snd_mss = c->mss,
		.advmss = c->rcv_mss,
		.bytes_received = c->cnt.bytes_received,
		.probes = (uint8_t)(c->persist_probes + c->keep_probes_out),
		.backoff = c->backoff,
	};
	if (!s->cfg.tcpi_tcpcb_bsd)
		return;
	struct gt_tcp_info ti;
	tcp_user_info(s, c, &ti);
	k->time_wait = tw_exists(s, c->laddr, c->lport, c->faddr, c->fport);
	k->rto_us = ti.rto_us;
	k->srtt_us = ti.srtt_us;
	k->rttvar_us = ti.rttvar_us;
	k->cwnd = ti.snd_cwnd_bytes;
	k->ssthresh = ti.snd_ssthresh_bytes;
	k->last_data_rcv_ms = c->last_rcv_ms; /* t_rcvtime: last_data_recv_ms() */
	k->snd_mss = (uint16_t)ti.snd_mss; /* t_maxseg */
	k->rcv_mss = ti.rcv_mss;
	k->lport = c->lport;
	k->fport = c->fport;
	k->laddr = c->laddr;
	k->faddr = c->faddr;
}

/* TCP_INFO as the application asks for it (gt_getsockopt()). */
void tcp_user_info(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti)
{
	tcp_fill_info(s, c, ti);
	if (s->cfg.tcpi_tcpcb_bsd)
		bsd_mss(c, ti);
}

void tcp_user_info_kept(const struct tcp_info_kept *k, struct gt_tcp_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	ti->state = GT_TCP_CLOSED;
	if (!k->valid)
		return;
	ti->ts_ok = k->ts_ok;
	ti->sack_ok = k->sack_ok;
	ti->ws_ok = k->ws_ok;
	ti->ecn_ok = k->ecn_ok;
	ti->syn_data = k->syn_data;
	ti->snd_wscale = k->snd_wscale;
	ti->rcv_wscale = k->rcv_wscale;
	ti->snd_mss = k->snd_mss;
	ti->advmss = k->advmss;
	ti->bytes_received = k->bytes_received;
	ti->probes = k->probes;
	ti->backoff = k->backoff;
}

/* FreeBSD (fel1x-developer/freebsd-src 2d614aa) keeps the socket's tcpcb
 * and inpcb until the socket goes; what TCP_INFO says of them:
 * - TIME_WAIT: tcp_twstart() only changes t_state and arms TT_2MSL (the
 *   compressed tcptw is gone), so tcp_fill_info() reports t_state
 *   TIME_WAIT with the rest of the tcpcb as the connection left it. Here
 *   the TCB has become the TIME_WAIT entry (tcp_enter_time_wait()), and
 *   the socket answers from what tcp_info_keep() took from it while the
 *   4-tuple's entry lives.
 * - Ended: tcp_close() (tcp_do_segment() on an RST in a synchronized
 *   state and on LAST_ACK's ACK, tcp_drop() on a refused SYN or a
 *   timeout, tcp_timer_2msl(), tcp_twcheck() on a SYN that reuses the
 *   4-tuple) marks the inpcb INP_DROPPED (in_pcbdrop()), and
 *   tcp_ctloutput() answers any getsockopt() below SOL_SOCKET with
 *   ECONNRESET from then on.
 * - Never connected: a tcpcb in TCPS_CLOSED (tcp_usr_attach()), all 0. */
int tcp_user_info_gone(gt_stack *s, const struct tcp_info_kept *k, struct gt_tcp_info *ti)
{
	tcp_user_info_kept(k, ti);
	int e = tcp_user_opt_gone(s, k);
	if (e < 0 || !s->cfg.tcpi_tcpcb_bsd || !k->valid)
		return e;
	ti->state = GT_TCP_TIME_WAIT;
	ti->rto_us = k->rto_us;
	ti->srtt_us = k->srtt_us;
	ti->rttvar_us = k->rttvar_us;
	ti->snd_cwnd_bytes = k->cwnd;
	ti->snd_ssthresh_bytes = k->ssthresh;
	ti->rcv_mss = k->rcv_mss;
	/* last_data_recv_ms()'s rule: the age of t_rcvtime, the last
	 * segment's (a connection in TIME_WAIT has had one). */
	int32_t ms = (int32_t)((uint32_t)(s->now_us / 1000) - k->last_data_rcv_ms);
	ti->last_data_recv_ms = ms <= 0 ? 0 : ms < 4000000 ? (uint32_t)ms : 4000000u;
	return 0;
}

/* The same test for any other option below SOL_SOCKET: tcp_ctloutput()'s
 * INP_DROPPED comes before the level and the name are looked at, so
 * IPPROTO_TCP's, IPPROTO_IP's and IPPROTO_IPV6's get and set all answer
 * ECONNRESET once the connection ended (tcp_user.h). */
int tcp_user_opt_gone(gt_stack *s, const struct tcp_info_kept *k)
{
	if (!s->cfg.tcpi_tcpcb_bsd || !k->valid)
		return 0;
	if (k->time_wait && tw_exists(s, k->laddr, k->lport, k->faddr, k->fport))
		return 0;
	return -ECONNRESET;
}
