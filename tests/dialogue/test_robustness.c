/* Issue 15, segment by segment: what two glasstcp stacks did to each other
 * in the swarm. ACK wars (a bare ACK beyond a hole answered by an ACK; every
 * unacceptable segment answered, without a limit; a zero window that threw
 * away the ACKs it needed), timestamps after weeks of idle (RFC 7323 5.5),
 * and a FreeBSD connect that gave up at 128 s instead of 75 s. Each failed
 * before its fix. */
#include "dlg.h"

#define SEC 1000000ull
#define DAY (86400ull * SEC)

/* 100 bytes for the stack to send. */
static const char *big100(void)
{
	static char b[100];
	memset(b, 'd', sizeof(b));
	return b;
}

/* A data segment from the peer with a hole of `gap` bytes before it. */
static void peer_data_at(struct dlg *d, uint32_t gap, const char *data, size_t len)
{
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt + gap, d->snd_nxt, DLG_WIN, data, len, NULL);
}

/* RFC 5681 4.2 asks for an immediate ACK of out-of-order *data*. A bare
 * ACK from beyond a hole (a peer whose SND.NXT ran ahead of what we got)
 * is no out-of-order data: answered, it was answered back by the peer,
 * whose own receive side had a hole too (swarm seed 1005739 of the
 * committed swarm: 4 million segments, two connections). */
TEST(robust_bare_ack_beyond_a_hole_is_not_answered)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_ACK, d->peer_nxt + 1000, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	dlg_advance(d, SEC);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, 0);
	/* Data beyond the hole still gets its duplicate ACK at once. */
	peer_data_at(d, 1000, "late", 4);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	/* So does a FIN beyond the hole: it occupies sequence space. */
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt + 1004, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	dlg_free(d);
}

static struct dlg *established_with_limit(uint32_t window_ms, uint8_t burst, bool data)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.oow_ack_window_ms = window_ms;
	cfg.oow_ack_burst = burst;
	cfg.oow_ack_limit_data = data;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	return d;
}

/* Bare ACKs beyond the right edge of the window, n of them 10 ms apart:
 * how many ACKs answer them. */
static uint32_t answers_to_oow_acks(struct dlg *d, int n)
{
	uint32_t answers = 0;
	for (int i = 0; i < n; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt + 10 * DLG_WIN, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
		while (dlg_pending(d)) {
			dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
			answers++;
		}
		dlg_advance(d, 10000);
	}
	return answers;
}

/* Linux's tcp_invalid_ratelimit (tcp_oow_rate_limited()): one ACK per
 * 500 ms answers segments out of the window that carry no data, the
 * rest counted (TCPACKSkippedSeq). Without a limit two stacks that each
 * find the other's ACKs unacceptable trade them for ever. */
TEST(robust_oow_bare_acks_answered_once_per_500ms_linux)
{
	struct dlg *d = established_with_limit(500, 1, false);
	/* 100 segments over one second: 2 answers. */
	ASSERT_EQ(answers_to_oow_acks(d, 100), 2);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, 100);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 98);
	/* Data out of the window is always answered: no loop carries data. */
	for (int i = 0; i < 5; i++) {
		dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt + 10 * DLG_WIN, d->snd_nxt, DLG_WIN,
			 "x", 1, NULL);
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	}
	/* So is old data (a retransmission whose ACK was lost). */
	dlg_peer_data(d, "abc", 3);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	for (int i = 0; i < 5; i++) {
		dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt - 3, d->snd_nxt, DLG_WIN, "abc", 3, NULL);
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	}
	/* The limit is per period: half a second later, one answer again. */
	dlg_advance(d, 500000);
	ASSERT_EQ(answers_to_oow_acks(d, 3), 1);
	dlg_free(d);
}

/* FreeBSD's ACK-war check (ack_war_timewindow 1000 ms, ack_war_cnt 5):
 * five answers per second, data or not. */
TEST(robust_oow_acks_answered_five_per_second_freebsd)
{
	struct dlg *d = established_with_limit(1000, 5, true);
	ASSERT_EQ(answers_to_oow_acks(d, 100), 5);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 95);
	dlg_advance(d, SEC);
	for (int i = 0; i < 7; i++)
		dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt + 10 * DLG_WIN, d->snd_nxt, DLG_WIN,
			 "x", 1, NULL);
	for (int i = 0; i < 5; i++)
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	dlg_free(d);
}

/* The limit covers the other answers to unacceptable segments too: PAWS
 * (TCPACKSkippedPAWS) and RFC 5961 challenge ACKs (TCPACKSkippedChallenge),
 * before the stack-wide challenge limit. */
TEST(robust_challenge_acks_share_the_connection_limit)
{
	struct dlg *d = established_with_limit(500, 1, false);
	/* In-window RSTs not at RCV.NXT: one challenge ACK, then silence. */
	for (int i = 0; i < 10; i++)
		dlg_send(d, TH_RST, d->peer_nxt + 100 + (uint32_t)i, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 9);
	ASSERT_EQ(dlg_conns(d), 1);
	/* Half a second later the connection may challenge again. */
	dlg_advance(d, 500000);
	dlg_send(d, TH_SYN, d->peer_nxt + 100, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_free(d);
}

/* An established connection whose receive window (2 segments: half of a
 * 4-segment buffer, Linux's tcp_win_from_space()) the peer has filled and
 * the application does not read: RCV.WND is zero. The stack has 100 bytes
 * of its own in flight. */
static struct dlg *zero_window_with_data_in_flight(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcvbuf_bytes = 4 * DLG_MSS;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	static char seg[DLG_MSS];
	memset(seg, 'p', sizeof(seg));
	dlg_peer_data(d, seg, DLG_MSS);
	dlg_peer_data(d, seg, DLG_MSS);
	dlg_advance(d, d->cfg.delack_us);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->h.win, 0);
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 100, 0), 100);
	dlg_next(d);
	dlg_expect_none(d);
	return d;
}

/* RFC 9293 3.10.7.4: "If the RCV.WND is zero, no segments will be
 * acceptable, but special allowance should be made to accept valid
 * ACKs". The peer's SND.NXT is past our RCV.NXT (it sent a segment the
 * shut window refused): its ACKs start there. Dropped, they left both
 * sides retransmitting into each other's closed windows, 600 s after
 * the network healed (swarm seed 1016702 of the committed swarm). */
TEST(robust_zero_window_still_takes_the_ack)
{
	struct dlg *d = zero_window_with_data_in_flight();
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 100);
	dlg_send(d, TH_ACK, d->peer_nxt + DLG_MSS, d->snd_nxt + 100, DLG_WIN, NULL, 0, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, 1);
	/* The segment itself is still unacceptable: answered with our ACK. */
	dlg_expect(d, TH_ACK, d->snd_nxt + 100, d->peer_nxt);
	dlg_expect_none(d);
	/* A zero-window probe at RCV.NXT carries an ACK that counts too. */
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 50, 0), 50);
	dlg_next(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 150, DLG_WIN, "p", 1, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	/* Far beyond anything we could have offered: not taken. */
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 10, 0), 10);
	dlg_drain(d);
	dlg_send(d, TH_ACK, d->peer_nxt + 1000000, d->snd_nxt + 160, DLG_WIN, NULL, 0, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 10);
	dlg_free(d);
}

/* A bare ACK at the right edge of the window, RCV.NXT + RCV.WND: the
 * peer's SND.NXT is there once it filled the window we offered. RFC
 * 9293's table takes SEG.SEQ < RCV.NXT + RCV.WND only; BSD and Linux
 * take the edge too. Dropped, the peer's ACKs of our data were lost and
 * our sending moved only when its retransmissions (at RCV.NXT) came, at
 * its RTOs (the swarm's seed 1003486: 600 s and not done). */
TEST(robust_bare_ack_at_the_right_edge_is_taken)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcvbuf_bytes = 4 * DLG_MSS; /* a window of 2 segments, half the buffer */
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	static char seg[DLG_MSS];
	memset(seg, 'p', sizeof(seg));
	dlg_peer_data(d, seg, DLG_MSS);
	dlg_advance(d, d->cfg.delack_us);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->h.win, DLG_MSS);
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 100, 0), 100);
	dlg_next(d);
	/* The peer sent the segment that fills the window (lost on the
	 * way); its ACK of our 100 bytes comes from the edge. */
	dlg_send(d, TH_ACK, d->peer_nxt + DLG_MSS, d->snd_nxt + 100, DLG_WIN, NULL, 0, NULL);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, 0);
	/* One past the edge is out of the window: answered, not taken. */
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 10, 0), 10);
	dlg_next(d);
	dlg_send(d, TH_ACK, d->peer_nxt + DLG_MSS + 1, d->snd_nxt + 110, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt + 110, d->peer_nxt);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 10);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, 1);
	dlg_free(d);
}

static struct dlg *established_with_timestamps(void)
{
	struct dlg *d = dlg_new_ts(NULL);
	d->peer_tsval = 1000;
	dlg_established_passive(d);
	return d;
}

/* RFC 7323 5.5: after 24 days of idle TS.Recent is invalid; the peer's
 * clock moved 25 days (more than 2^31 ms), so its TSval compares as
 * older. PAWS let the segment in, but TS.Recent stayed: the stack echoed
 * a 25-day-old TSval for ever, and PAWS stayed off for good. */
TEST(robust_ts_recent_taken_again_after_25_days_idle)
{
	struct dlg *d = established_with_timestamps();
	dlg_advance(d, 25 * DAY);
	d->peer_tsval += (uint32_t)(25 * DAY / 1000);
	ASSERT((int32_t)(d->peer_tsval - 1000) < 0); /* looks older */
	dlg_peer_data(d, "wake", 4);
	dlg_advance(d, d->cfg.delack_us);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->h.opts.ts_ecr, d->peer_tsval);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSDrop, 0);
	/* TS.Recent is valid again: an older TSval is PAWS-dropped. */
	struct tcp_opts old = dlg_opts_ts(d->peer_tsval - 100, d->stack_tsval);
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "old", 3, &old);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSDrop, 1);
	dlg_free(d);
}

/* The stack's own side of the same idle: an echo is judged against our
 * latest retransmission (Karn's rule, RFC 7323 4.2). After 25 days
 * without one, a signed difference called every echo older than it, and
 * nothing was timed again. */
TEST(robust_echo_times_after_25_days_without_retransmission)
{
	struct dlg *d = established_with_timestamps();
	dlg_advance(d, 25 * DAY);
	d->peer_tsval += (uint32_t)(25 * DAY / 1000);
	struct gt_tcp_info t0, ti;
	dlg_info(d, d->sd, &t0);
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 100, 0), 100);
	const struct dlg_seg *g = dlg_next(d);
	uint32_t tsval = g->h.opts.ts_val;
	d->now_us += 30000;
	struct tcp_opts o = dlg_opts_ts(d->peer_tsval, tsval);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 100, DLG_WIN, NULL, 0, &o);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	/* A 30 ms sample (RFC 6298 2.3: SRTT moves by 1/8 of it). */
	ASSERT_EQ(ti.srtt_us, t0.srtt_us - t0.srtt_us / 8 + 30000 / 8);
	dlg_free(d);
}

/* An ACK of new data that echoes an earlier retransmission than the
 * latest is an RTT sample: Linux's tcp_ack_update_rtt() and FreeBSD's
 * tcp_do_segment() take every non-zero echo on such an ACK (timestamps
 * end Karn's ambiguity: the echo names the copy that arrived), and with
 * the sample Linux ends the RTO's backoff. Judging the echo against our
 * latest retransmission refused it whenever reordering delivered an
 * earlier copy last: swarm seed 14002208's go-back-N never took a
 * sample, and its RTO backed off to 120 s with ACKs arriving. */
TEST(robust_echo_of_an_earlier_retransmission_is_an_rtt_sample)
{
	struct dlg *d = established_with_timestamps();
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 100, 0), 100);
	dlg_next(d);
	struct gt_tcp_info t0, t1;
	dlg_info(d, d->sd, &t0);
	dlg_advance(d, t0.rto_us);
	uint32_t ts1 = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt)->h.opts.ts_val;
	dlg_info(d, d->sd, &t1);
	ASSERT_EQ(t1.backoff, 1);
	dlg_advance(d, 2 * t0.rto_us);
	uint32_t ts2 = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt)->h.opts.ts_val;
	ASSERT((int32_t)(ts2 - ts1) > 0);
	dlg_info(d, d->sd, &t1);
	ASSERT_EQ(t1.backoff, 2);
	/* The first retransmission arrives last, and is what is ACKed. */
	d->now_us += 20000;
	struct tcp_opts o = dlg_opts_ts(++d->peer_tsval, ts1);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 100, DLG_WIN, NULL, 0, &o);
	d->snd_nxt += 100;
	struct gt_tcp_info t2;
	dlg_info(d, d->sd, &t2);
	ASSERT_EQ(t2.unacked_bytes, 0);
	ASSERT_EQ(t2.backoff, 0);
	/* Timed from ts1: the second RTO's wait and 20 ms, a long sample. */
	ASSERT(t2.srtt_us > t1.srtt_us);
	dlg_free(d);
}

/* A peer that kept a stale TS.Recent echoes a TSval from before the
 * idle: a 1,000 s "round trip" pinned the RTO at 120 s (20 KB at 20% loss
 * took 120 s after a 25-day idle). No RTT is longer than the
 * retransmission timer ever waits. With the echo as the only source:
 * Linux's order (cfg.rtt_exact_first) times data sent once itself first
 * (robust_stale_echo_linux_times_the_data). */
/* Ten bytes ACKed 20 ms on echoing their TSval (t0 after it), then, after
 * 1,000 s idle, ten more ACKed 20 ms on echoing that same old TSval (t1). */
static void stale_echo_exchange(struct dlg *d, struct gt_tcp_info *t0, struct gt_tcp_info *t1)
{
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 10, 0), 10);
	uint32_t tsval = dlg_next(d)->h.opts.ts_val;
	d->now_us += 20000;
	struct tcp_opts o = dlg_opts_ts(++d->peer_tsval, tsval);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 10, DLG_WIN, NULL, 0, &o);
	d->snd_nxt += 10;
	dlg_info(d, d->sd, t0);
	dlg_advance(d, 1000 * SEC);
	ASSERT_EQ(gt_send(d->s, d->sd, big100(), 10, 0), 10);
	dlg_next(d);
	d->now_us += 20000;
	o = dlg_opts_ts(++d->peer_tsval, tsval);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 10, DLG_WIN, NULL, 0, &o);
	dlg_info(d, d->sd, t1);
	ASSERT_EQ(t1->unacked_bytes, 0);
}

TEST(robust_stale_echo_is_no_rtt_sample)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rtt_exact_first = false;
	struct dlg *d = dlg_new_ts(&cfg);
	d->peer_tsval = 1000;
	dlg_established_passive(d);
	struct gt_tcp_info t0, t1;
	stale_echo_exchange(d, &t0, &t1);
	ASSERT_GT(t0.srtt_us, 2000);
	ASSERT_EQ(t1.srtt_us, t0.srtt_us);
	ASSERT_EQ(t1.rto_us, t0.rto_us);
	dlg_free(d);
}

/* The stale echo under Linux's order (cfg.rtt_exact_first): the ACK of
 * data sent once is timed from when it went (tcp_clean_rtx_queue()'s
 * first_ackt, which tcp_ack_update_rtt() prefers to the echo), 20 ms,
 * SACK or not: SRTT and the RTO stay a round trip's, not 1,000 s's (Linux
 * 6.18.44: tests/pkt/linux/rtt-no-sack-stale-echo-exact-time-first.pkt). */
TEST(robust_stale_echo_linux_times_the_data)
{
	struct dlg *d = established_with_timestamps();
	ASSERT(d->cfg.rtt_exact_first);
	struct gt_tcp_info t0, t1;
	stale_echo_exchange(d, &t0, &t1);
	/* SRTT + (20 ms - SRTT) / 8: toward 20 ms, the 1,000 s echo not taken. */
	ASSERT(t0.srtt_us < 20000 && t1.srtt_us > t0.srtt_us);
	ASSERT_LT(t1.srtt_us, t0.srtt_us + (20000 - t0.srtt_us) / 8 + 100);
	ASSERT_LT(t1.rto_us, 1000000);
	dlg_free(d);
}

/* FreeBSD's keepinit: connect() gives up 75 s after it started
 * (TCPTV_KEEP_INIT; tcp_timer_keep() drops a connection not yet
 * ESTABLISHED), not when the SYN's retransmission timer next fires: the
 * timeout used to be checked only then, at 128 s. */
TEST(robust_freebsd_connect_gives_up_at_75_s)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	cfg.opt_timestamps = false;
	cfg.opt_sack = false;
	cfg.opt_wscale = false;
	ASSERT_EQ(cfg.connect_timeout_ms, 75000);
	struct dlg *d = dlg_new(&cfg);
	uint64_t t0 = d->now_us;
	dlg_syn_sent(d);
	uint32_t syns = 0;
	uint64_t gone_us = 0;
	for (uint64_t t = 0; t < 200 * SEC && !gone_us; t += 100000) {
		dlg_advance(d, 100000);
		while (dlg_pending(d))
			if (dlg_next(d)->h.flags & TH_SYN)
				syns++;
		if (dlg_conns(d) == 0)
			gone_us = d->now_us - t0;
	}
	ASSERT_EQ(gone_us, 75 * SEC);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
	ASSERT_EQ(dlg_stats(d)->TcpAttemptFails, 1);
	ASSERT_GE(syns, 5);
	/* The deadline is the timer's: no poll at 75 s is needed to learn
	 * it, the stack asks for one. */
	dlg_free(d);
	d = dlg_new(&cfg);
	t0 = d->now_us;
	dlg_syn_sent(d);
	uint64_t t;
	while ((t = gt_stack_next_deadline(d->s)) != GT_NO_DEADLINE && dlg_conns(d)) {
		d->now_us = t;
		gt_stack_poll(d->s, t);
		dlg_check(d);
	}
	ASSERT_EQ(d->now_us - t0, 75 * SEC);
	dlg_free(d);
}
