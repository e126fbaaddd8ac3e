/* Dialogues in ESTABLISHED: receiving (RFC 9293 3.10.7.4 seventh, delayed
 * ACKs per RFC 1122 4.2.3.2 / RFC 9293 3.8.6.3, out-of-order data and SACK
 * per RFC 5681 4.2 and RFC 2018), acceptability (RFC 9293 3.10.7.4 first,
 * RFC 7323 5 PAWS), RST and SYN per RFC 5961 3 and 4, ACK checks (RFC 9293
 * fifth, RFC 5961 5), and sending: RTO backoff (RFC 6298 5.5), fast
 * retransmit (RFC 5681 3.2) and zero-window probes (RFC 9293 3.8.6.1). */
#include "dlg.h"

static uint8_t big[8 * DLG_MSS];

static void fill_big(void)
{
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
}

TEST(established_data_delivered_with_delayed_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_peer_data(d, "hello world", 11);
	dlg_expect_none(d);
	dlg_advance(d, d->cfg.delack_us - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	ASSERT_EQ(d->cfg.delack_us, 40000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 12);
	ASSERT_EQ(g->len, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpDelayedAcks, 1);
	char b[32];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 11);
	ASSERT_MEMEQ(b, "hello world", 11);
	dlg_free(d);
}

TEST(established_read_emptying_buffer_sends_owed_ack)
{
	/* Linux's tcp_cleanup_rbuf() (cfg.delack_linux): a read that empties
	 * the buffer after a short (pushed) segment sends the ACK the timer
	 * would have sent later; one that leaves data unread does not. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.delack_linux = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	dlg_peer_data(d, "hello world", 11);
	dlg_expect_none(d);
	char b[32];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, 5, 0), 5);
	dlg_expect_none(d);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 6);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 12);
	ASSERT_EQ(g->len, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpDelayedAcks, 0);
	dlg_free(d);
}

TEST(established_second_full_segment_acked_at_once)
{
	struct dlg *d = dlg_new(NULL);
	fill_big();
	dlg_established_passive(d);
	dlg_peer_data(d, big, DLG_MSS);
	dlg_expect_none(d);
	dlg_peer_data(d, big + DLG_MSS, DLG_MSS);
	dlg_expect_only(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1 + 2 * DLG_MSS);
	/* The delayed-ACK timer was cancelled by that ACK. */
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpDelayedAcks, 0);
	static uint8_t b[2 * DLG_MSS];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 2 * DLG_MSS);
	ASSERT_MEMEQ(b, big, 2 * DLG_MSS);
	dlg_free(d);
}

TEST(established_out_of_order_gets_immediate_dup_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	dlg_send(d, TH_PSH | TH_ACK, base + 100, d->snd_nxt, DLG_WIN, big, 100, NULL);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 0);
	dlg_expect_none(d);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	dlg_free(d);
}

TEST(established_out_of_order_dup_ack_carries_sack)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	dlg_send(d, TH_PSH | TH_ACK, base + 100, d->snd_nxt, DLG_WIN, big, 100, NULL);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 1);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 100);
	ASSERT_EQ(g->h.opts.sack[0].right, base + 200);
	/* A second island: RFC 2018 4, the most recent block first. */
	dlg_send(d, TH_PSH | TH_ACK, base + 300, d->snd_nxt, DLG_WIN, big, 50, NULL);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 2);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 300);
	ASSERT_EQ(g->h.opts.sack[0].right, base + 350);
	ASSERT_EQ(g->h.opts.sack[1].left, base + 100);
	ASSERT_EQ(g->h.opts.sack[1].right, base + 200);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(established_hole_filled_gets_immediate_ack_for_all)
{
	struct dlg *d = dlg_new(NULL);
	fill_big();
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	dlg_send(d, TH_ACK, base + 100, d->snd_nxt, DLG_WIN, big + 100, 200, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, base);
	dlg_send(d, TH_ACK, base, d->snd_nxt, DLG_WIN, big, 100, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, base + 300);
	uint8_t b[400];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 300);
	ASSERT_MEMEQ(b, big, 300);
	dlg_free(d);
}

TEST(established_out_of_window_segment_acked_and_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	/* Beyond the right edge of the 64 KiB window. */
	dlg_send(d, TH_PSH | TH_ACK, base + 70000, d->snd_nxt, DLG_WIN, "far", 3, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, base);
	/* Entirely old: an old duplicate. */
	dlg_send(d, TH_PSH | TH_ACK, base - 10, d->snd_nxt, DLG_WIN, "old", 3, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, 2);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

TEST(established_overlapping_retransmission_trimmed)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	dlg_peer_data(d, "abcdef", 6);
	/* Overlaps the 6 bytes held and adds 3 new ones. */
	dlg_send(d, TH_PSH | TH_ACK, base + 3, d->snd_nxt, DLG_WIN, "defghi", 6, NULL);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 9);
	ASSERT_MEMEQ(b, "abcdefghi", 9);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 9);
	dlg_free(d);
}

TEST(established_rst_at_rcv_nxt_resets)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -ECONNRESET);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpEstabResets, 1);
	ASSERT_EQ(dlg_stats(d)->TcpCurrEstab, 0);
	/* The socket is writable no more. */
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), -EPIPE);
	dlg_free(d);
}

TEST(established_rst_in_window_gets_challenge_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_RST, d->peer_nxt + 10, 0, 0, NULL, 0, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
	/* The peer's answer to the challenge: an RST at RCV.NXT. */
	dlg_peer_rst(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(established_rst_out_of_window_ignored)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_RST, d->peer_nxt + 100000, 0, 0, NULL, 0, NULL);
	dlg_send(d, TH_RST, d->peer_nxt - 1, 0, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

TEST(established_syn_in_window_gets_challenge_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_SYN, d->peer_nxt + 5, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
	dlg_free(d);
}

TEST(established_syn_at_rcv_nxt_gets_challenge_ack)
{
	/* RFC 5961 4.2: whatever the sequence number, a challenge ACK. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_SYN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

TEST(established_challenge_acks_rate_limited)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.challenge_ack_per_s = 2;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	for (int i = 0; i < 4; i++)
		dlg_send(d, TH_RST, d->peer_nxt + 10 + (uint32_t)i, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAckLimited, 2);
	dlg_advance(d, 1000000);
	dlg_send(d, TH_RST, d->peer_nxt + 10, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_free(d);
}

TEST(established_ack_for_unsent_data_acked_and_dropped)
{
	/* RFC 9293 3.10.7.4 fifth: SEG.ACK > SND.NXT: send an ACK, drop the
	 * segment (its data too), return. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt + 1000, DLG_WIN, "data", 4, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	/* The same data with a good ACK is taken. */
	dlg_peer_data(d, "data", 4);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 4);
	dlg_free(d);
}

TEST(established_too_old_ack_gets_challenge_ack)
{
	/* RFC 5961 5.2: SEG.ACK < SND.UNA - MAX.SND.WND: challenge ACK, drop. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt - 200000, DLG_WIN, "data", 4, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	dlg_free(d);
}

TEST(established_segment_without_ack_dropped)
{
	/* RFC 9293 3.10.7.4 fifth: "if the ACK bit is off, drop the segment". */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_PSH, d->peer_nxt, 0, DLG_WIN, "data", 4, NULL);
	dlg_expect_none(d);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	dlg_free(d);
}

TEST(established_send_data_and_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "ping", 4, 0), 4);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->len, 4);
	ASSERT_MEMEQ(g->data, "ping", 4);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 5, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	/* Nothing to retransmit. */
	dlg_advance(d, 5000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(established_rto_retransmits_with_exponential_backoff)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	/* The handshake's RTT sample was ~0: RTO = rto_min (RFC 6298 2.4). */
	ASSERT_EQ(ti.rto_us, d->cfg.rto_min_us);
	ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, 0), 10);
	dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	uint64_t gap_us = ti.rto_us;
	for (int i = 0; i < 5; i++) {
		dlg_advance(d, gap_us - 1);
		dlg_expect_none(d);
		dlg_advance(d, 1);
		const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
		ASSERT_EQ(g->len, 10);
		dlg_expect_none(d);
		gap_us *= 2; /* RFC 6298 5.5 */
	}
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 5);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 5);
	/* The ACK stops it; RFC 6298 5.7 aside, the timer is off. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 11, DLG_WIN, NULL, 0, NULL);
	dlg_advance(d, 60000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(established_rto_gives_up_with_etimedout)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.data_retries = 3;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), 1);
	dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	/* The Linux profile's data_retries is tcp_retries2, the boundary of
	 * a time (retransmits_timed_out()): tcp_model_timeout(3), 0.2 x 15 =
	 * 3 s, since the first retransmission (retrans_stamp, 0.2 s). At the
	 * expiry at 3.0 s 2.8 s have passed: a fourth retransmission
	 * (tests/pkt/linux/retries2-time-from-first-retransmission.pkt is
	 * the same rule against Linux). */
	dlg_advance(d, 200000 + 400000 + 800000 + 1600000);
	for (int i = 0; i < 4; i++)
		dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_advance(d, 3200000 - 1);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_advance(d, 1);
	/* RFC 9293 3.8.3 R2: give up; RFC 1122 4.2.2.13 suggests an RST
	 * (Linux's tcp_write_err() sends none). */
	dlg_drain(d);
	char b[1];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, 1, 0), -ETIMEDOUT);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnTimeout, 1);
	dlg_free(d);
}

TEST(established_fast_retransmit_after_three_dup_acks)
{
	struct dlg *d = dlg_new(NULL);
	fill_big();
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, big, 5 * DLG_MSS, 0), 5 * DLG_MSS);
	for (uint32_t i = 0; i < 4; i++)
		dlg_expect(d, TH_ACK, d->iss + 1 + i * DLG_MSS, d->peer_nxt);
	dlg_expect_only(d, TH_PSH | TH_ACK, d->iss + 1 + 4 * DLG_MSS, d->peer_nxt);
	/* The first segment is lost: the peer acks the SYN three times more
	 * (one plain ACK per later segment; the first of four is not a dup). */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->len, DLG_MSS);
	ASSERT_MEMEQ(g->data, big, DLG_MSS);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	/* RFC 5681 3.2 would take max(FlightSize / 2, 2 * SMSS), 2.5
	 * segments; the Linux profile halves cwnd (10 segments) in whole
	 * segments as Linux's tcp_reno_ssthresh() (cfg.reno_ssthresh_cwnd). */
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * DLG_MSS);
	/* The whole flight acknowledged: recovery ends, nothing more. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + 5 * DLG_MSS, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(established_zero_window_gets_persist_probes)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	/* The peer closes its window. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
	ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, 0), 10);
	dlg_expect_none(d);
	/* RFC 9293 3.8.6.1: probe after an RTO (here rto_min = persist_min),
	 * then exponentially less often. */
	uint64_t gap_us = 200000;
	for (int i = 0; i < 4; i++) {
		dlg_advance(d, gap_us - 1);
		dlg_expect_none(d);
		dlg_advance(d, 1);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT(g->h.flags & TH_ACK);
		ASSERT_EQ(g->h.ack, d->peer_nxt);
		/* One octet of data at SND.UNA, or an old octet's worth of
		 * nothing at SND.UNA - 1 (Linux). */
		ASSERT((g->len == 1 && g->h.seq == d->iss + 1) ||
		       (g->len == 0 && g->h.seq == d->iss));
		dlg_expect_none(d);
		/* The peer, window still shut, acknowledges nothing new. */
		dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
		dlg_expect_none(d);
		gap_us *= 2;
	}
	ASSERT_EQ(dlg_stats(d)->TcpWinProbes, 4);
	/* ACKs to window probes are no duplicate ACKs that call for a fast
	 * retransmit into a zero window. */
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 0);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	/* The window opens: every byte the peer has not taken goes now,
	 * from SND.UNA. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq + g->len, d->iss + 11);
	ASSERT_EQ(g->h.seq, d->iss + 1);
	dlg_free(d);
}

TEST(established_paws_drops_old_timestamp)
{
	struct dlg *d = dlg_new_ts(NULL);
	d->peer_tsval = 1000;
	dlg_established_passive(d);
	d->peer_tsval = 1010;
	dlg_peer_data(d, "new", 3);
	dlg_advance(d, d->cfg.delack_us);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT(g->h.opts.has_ts);
	ASSERT_EQ(g->h.opts.ts_ecr, 1010);
	/* RFC 7323 5.3 R1: TSval older than TS.Recent: ACK, drop. */
	struct tcp_opts old = dlg_opts_ts(900, d->stack_tsval);
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "old", 3, &old);
	g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->h.opts.ts_ecr, 1010);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSDrop, 1);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 3);
	ASSERT_MEMEQ(b, "new", 3);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	/* An RST with an old timestamp is still acceptable (RFC 7323 5.3). */
	dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, &old);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(established_window_update_from_peer_releases_data)
{
	/* The window shrinks by an update with the handshake's SEQ and ACK,
	 * which only RFC 9293's rule takes (tests/dialogue/test_wnd_update.c). */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.wnd_update = GT_WND_UPDATE_RFC;
	struct dlg *d = dlg_new(&cfg);
	fill_big();
	dlg_established_passive(d);
	/* A window of one segment. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_MSS, NULL, 0, NULL);
	ASSERT_EQ(gt_send(d->s, d->sd, big, 3 * DLG_MSS, 0), 3 * DLG_MSS);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + DLG_MSS, 2 * DLG_MSS, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1 + DLG_MSS, d->peer_nxt);
	dlg_expect_only(d, TH_PSH | TH_ACK, d->iss + 1 + 2 * DLG_MSS, d->peer_nxt);
	dlg_free(d);
}

TEST(established_seq_wraparound)
{
	/* The peer's sequence numbers cross 2^32 (RFC 9293 3.4). */
	struct dlg *d = dlg_new(NULL);
	dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, 0xfffffff0u, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.ack, 0xfffffff1u);
	d->iss = g->h.seq;
	d->snd_nxt = d->iss + 1;
	d->peer_nxt = 0xfffffff1u;
	dlg_peer_ack(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
	dlg_peer_data(d, "0123456789abcdefghijklmnopqrstuv", 32);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect(d, TH_ACK, d->iss + 1, 0x11u);
	char b[64];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 32);
	dlg_free(d);
}

TEST(established_out_of_order_fin_taken_when_hole_fills)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	dlg_send(d, TH_FIN | TH_ACK, base + 5, d->snd_nxt, DLG_WIN, "world", 5, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, base);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_send(d, TH_ACK, base, d->snd_nxt, DLG_WIN, "hello", 5, NULL);
	/* Data and FIN acknowledged at once: RCV.NXT = base + 10 + FIN. */
	dlg_expect_only(d, TH_ACK, d->iss + 1, base + 11);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 10);
	ASSERT_MEMEQ(b, "helloworld", 10);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

TEST(established_data_with_fin_acked_at_once)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_FIN | TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "bye", 3, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt + 4);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	struct gt_pollfd p = {.sd = d->sd, .events = GT_POLLIN | GT_POLLRDHUP};
	ASSERT_EQ(gt_poll(d->s, &p, 1), 1);
	ASSERT(p.revents & GT_POLLRDHUP);
	dlg_free(d);
}

/* Linux (cfg.accept_keeps_reset): tcp_done() leaves the reset child in
 * the accept queue; accept() returns it, and the first read reports the
 * reset (tests/pkt/linux/listen-reset-child-stays-queued.pkt). */
TEST(established_rst_before_accept_stays_queued_as_linux)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_peer_ack(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, sd, b, sizeof(b), 0), -ECONNRESET);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_free(d);
}

/* FreeBSD (cfg.accept_aborts_dropped): the reset child stays on sol_comp,
 * and accept() takes it off and fails, ECONNABORTED (tcp_usr_accept() on an
 * INP_DROPPED inpcb; tests/pkt/freebsd/listen-reset-child-accept-econnaborted.pkt). */
TEST(established_rst_before_accept_econnaborted_as_freebsd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.accept_keeps_reset = true;
	cfg.accept_aborts_dropped = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_received(d);
	dlg_peer_ack(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -ECONNABORTED);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_free(d);
}

/* With neither (glasstcp's old way, no profile's now) the child leaves the
 * queue at the reset. */
TEST(established_rst_before_accept_removes_from_queue)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.accept_keeps_reset = false;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_received(d);
	dlg_peer_ack(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_free(d);
}

TEST(established_window_scaling_both_ways)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_wscale = true;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.has_wscale = true;
	d->peer_syn_opts.wscale = 4;
	dlg_established_passive(d);
	/* Our window: Linux's __tcp_select_window() takes min(free space,
	 * rcv_ssthresh) = 64,240 (the initial window; a 1-byte segment does
	 * not grow it, tcp_grow_window()) and rounds it up to the scale,
	 * 10 from the default tcp_rmem[2] of 32 MiB: 64,512 >> 10 = 63, as
	 * Linux 6.18 sends it (tests/pkt/linux/handshake-default-rmem-wscale-10.pkt;
	 * with tcp_rmem[2] 6 MiB, scale 7, it sends 64,256 >> 7 = 502). */
	dlg_peer_data(d, "a", 1);
	dlg_advance(d, d->cfg.delack_us);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->h.win, 63);
	/* The peer's window field 100 means 100 << 4 = 1600 bytes. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 100, NULL, 0, NULL);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_wnd_bytes, 1600);
	ASSERT_EQ(ti.snd_wscale, 4);
	/* max_snd_wnd (FreeBSD's max_sndwnd), what the sender's SWS test
	 * reads (RFC 9293 3.8.6.2.1): the handshake ACK's 65,535 << 4 stays
	 * the largest while the window grows back to 5000 << 4. */
	ASSERT_EQ(ti.max_snd_wnd_bytes, DLG_WIN << 4);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 5000, NULL, 0, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_wnd_bytes, 80000);
	ASSERT_EQ(ti.max_snd_wnd_bytes, DLG_WIN << 4);
	dlg_free(d);
}

TEST(input_batch_is_inputs_in_order)
{
	/* gt_stack_input_batch() handles its packets exactly as one
	 * gt_stack_input() each, in order: twenty in-order data segments
	 * (more than the prefetch distance), one out of order in the middle
	 * that a later one fills, a truncated packet (dropped and counted) and
	 * a packet for another address. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	static uint8_t pkts[24][DLG_PKT_MAX];
	struct gt_iovec v[24];
	size_t n = 0;
	char want[20 * 10];
	for (int i = 0; i < 20; i++)
		memset(want + i * 10, 'a' + i, 10);
	uint32_t seq = d->peer_nxt;
	for (int i = 0; i < 20; i++) {
		int k = i == 5 ? 6 : i == 6 ? 5 : i; /* 6 before 5 */
		size_t len = dlg_build(d, pkts[n], TH_ACK, seq + (uint32_t)k * 10, d->snd_nxt,
				       DLG_WIN, want + k * 10, 10, NULL);
		v[n] = (struct gt_iovec){pkts[n], len};
		n++;
		if (i == 10) {
			v[n] = (struct gt_iovec){pkts[0], 30}; /* truncated */
			n++;
		}
	}
	size_t len = dlg_build(d, pkts[n], TH_ACK, seq, d->snd_nxt, DLG_WIN, "x", 1, NULL);
	pkts[n][19] ^= 0x40; /* another destination; the IP checksum no longer fits either */
	v[n] = (struct gt_iovec){pkts[n], len};
	n++;
	uint64_t hdr0 = dlg_stats(d)->IpInHdrErrors;
	gt_stack_input_batch(d->s, d->now_us, v, n);
	char got[sizeof(want) + 8];
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), (ssize_t)sizeof(want));
	ASSERT_MEMEQ(got, want, sizeof(want));
	ASSERT_EQ(dlg_stats(d)->IpInHdrErrors, hdr0 + 2);
	ASSERT_EQ(dlg_stats(d)->TcpOfoQueue >= 1, 1);
	/* A batch too short to look ahead in takes the plain path. */
	seq += sizeof(want);
	n = 0;
	for (int i = 0; i < 2; i++) {
		len = dlg_build(d, pkts[n], TH_ACK, seq + (uint32_t)i * 3, d->snd_nxt, DLG_WIN,
				i ? "def" : "abc", 3, NULL);
		v[n] = (struct gt_iovec){pkts[n], len};
		n++;
	}
	gt_stack_input_batch(d->s, d->now_us, v, n);
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), 6);
	ASSERT_MEMEQ(got, "abcdef", 6);
	dlg_free(d);
}

TEST(cork_does_not_override_sender_sws)
{
	/* TCP_CORK's 200 ms ceiling releases a partial segment the cork held,
	 * not one the peer's window holds back: with a full segment's worth
	 * queued and 620 bytes of window left (under half the largest window
	 * the peer offered, RFC 9293 3.8.6.2.1), nothing is sent until the
	 * peer ACKs, however long that takes. Before, the cork timer fired at
	 * 200 ms and pushed the 620 bytes, then re-armed every 200 ms. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rto_min_us = 1000000; /* no retransmission within the second watched */
	struct dlg *d = dlg_new(&cfg);
	dlg_established_active(d);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_CORK, &one, sizeof(one)), 0);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 5000, NULL, 0, NULL); /* window 5000 */
	dlg_expect_none(d);
	static char blob[10000];
	ASSERT_EQ(gt_send(d->s, d->sd, blob, sizeof(blob), 0), (ssize_t)sizeof(blob));
	for (int i = 0; i < 3; i++) {
		/* The three go as one transmit unit: PSH on its last
		 * (cfg.psh_linux). */
		const struct dlg_seg *g = dlg_expect(d, i == 2 ? TH_ACK | TH_PSH : TH_ACK,
						     d->snd_nxt + (uint32_t)i * DLG_MSS, d->peer_nxt);
		ASSERT_EQ(g->len, DLG_MSS);
	}
	dlg_advance(d, 900000); /* past the cork's 200 ms, before the 1 s RTO */
	dlg_expect_none(d);
	/* The peer ACKs all three: the window opens and full segments follow. */
	d->snd_nxt += 3 * DLG_MSS;
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 5000, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, DLG_MSS);
	dlg_free(d);
}

TEST(cork_ceiling_rearmed_at_the_rto_when_the_flight_empties)
{
	/* Linux's cork ceiling is its probe timer (cfg.cork_ceiling_rto),
	 * which data in flight displaces: the partial segment still held when
	 * the last ACK empties the flight waits one RTO from then, not what
	 * was left of the RTO at the first held write. Swarm seed 13106215: a
	 * SYN-cookie handshake's 29 s RTT sample gave an RTO of 87 s at the
	 * first corked write; 288 kB went in half a second at an RTO of
	 * 250 ms, then the last 35 bytes waited out the 87 s.
	 * tests/pkt/linux/cork-ceiling-follows-rto.pkt is the same against
	 * the kernel. */
	struct gt_config cfg;
	dlg_config(&cfg);
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_received(d);
	dlg_advance(d, 900000); /* the SYN-ACK's RTT 900 ms: RTO 2.7 s */
	d->peer_tsval++;
	dlg_peer_ack(d);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT(d->sd >= 0);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_CORK, &one, sizeof(one)), 0);
	static char blob[DLG_MSS];
	ASSERT_EQ(gt_send(d->s, d->sd, blob, 100, 0), 100); /* held, nothing in flight */
	dlg_expect_none(d);
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	ASSERT_EQ(gt_send(d->s, d->sd, blob, DLG_MSS, 0), DLG_MSS);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, DLG_MSS); /* 100 bytes still held */
	d->snd_nxt += DLG_MSS;
	dlg_advance(d, 900000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	/* 2.8 s after the first held write: past its 2.7 s deadline. */
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	/* An RTO (over 2 s) after the ACK. */
	dlg_advance(d, 1500000);
	g = dlg_expect(d, TH_ACK | TH_PSH, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, 100);
	dlg_free(d);
}

TEST(linux_rcv_mss_learns_two_short_segments_in_a_row)
{
	/* Linux's tcp_measure_rcv_mss(): two segments in a row of one size
	 * under the largest seen (at least 88 bytes and no PSH) make that
	 * size the peer's, and __tcp_select_window() rounds the window to it.
	 * A 300-byte window kept after a 1160-byte segment (SO_RCVBUF 2048:
	 * 2048 of window, one 1460-byte segment), one segment of 1460 after
	 * the first 300-byte segment, is five of 300 at the second; before,
	 * with the size still 1460, it stayed 1460 (and a 300-byte one 300)
	 * (swarm seed 13117593: a sender with an MSS over twice the window
	 * sent one window per persist probe for 40 s).
	 * tests/pkt/linux/window-rcv-mss-learns-short-segments.pkt is the
	 * same against the kernel. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.quickack_max_segs = 16; /* the profile's, as in the kernel script */
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	int v = 2048;
	ASSERT_EQ(gt_setsockopt(d->s, d->lsd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, sizeof(v)), 0);
	dlg_established_passive(d);
	static const char blob[DLG_MSS];
	static char got[DLG_MSS];
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, blob, DLG_MSS, NULL);
	d->peer_nxt += DLG_MSS;
	ASSERT_EQ(dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt)->h.win, 0);
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), DLG_MSS);
	ASSERT_EQ(dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt)->h.win, DLG_MSS);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, blob, 1160, NULL);
	d->peer_nxt += 1160;
	dlg_advance(d, 300000);
	ASSERT_EQ(dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt)->h.win, 300); /* the edge kept */
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), 1160);
	dlg_advance(d, 300000);
	dlg_expect_none(d);
	uint16_t want[3] = {1460, 1500, 1500}; /* the segment size 1460, then 300 */
	for (int i = 0; i < 3; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, blob, 300, NULL);
		d->peer_nxt += 300;
		dlg_advance(d, 300000);
		ASSERT_EQ(dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt)->h.win, want[i]);
		ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), 300);
		dlg_advance(d, 300000);
		dlg_expect_none(d);
	}
	dlg_free(d);
}

/* A full receive window of 4 segments read a byte at a time: no read frees
 * enough to move the right edge past receiver SWS avoidance (RFC 9293
 * 3.8.6.2.2; Linux's __tcp_select_window() offers 0 under one MSS free), so
 * none sends anything; an update that repeats window 0 is noise (the
 * swarm's storm check caught every small recv() answering with one; Linux's
 * tcp_cleanup_rbuf() never sends for 0). Emptying the buffer sends the
 * update (FreeBSD's rule waits for two segments' worth). Both profiles'
 * arithmetic: Linux's window is half its buffer (rcv_wnd_linux,
 * tcp_win_from_space()), BSD's the buffer. */
static void small_reads_of_a_full_buffer(enum gt_profile p)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcv_wnd_linux = p == GT_PROFILE_LINUX;
	cfg.rcv_sws_bsd = p == GT_PROFILE_FREEBSD;
	cfg.rcvbuf_bytes = (p == GT_PROFILE_LINUX ? 8 : 4) * DLG_MSS;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	static uint8_t seg[DLG_MSS], buf[4 * DLG_MSS];
	for (int i = 0; i < 4; i++)
		dlg_peer_data(d, seg, DLG_MSS);
	dlg_advance(d, 500000); /* every ACK out, the last with window 0 */
	dlg_drain(d);
	for (int i = 0; i < 100; i++) {
		ASSERT_EQ(gt_recv(d->s, d->sd, buf, 1, 0), 1);
		dlg_expect_none(d);
	}
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), (ssize_t)(4 * DLG_MSS - 100));
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_ACK);
	ASSERT_GT(g->h.win, 0);
	dlg_free(d);
}

TEST(established_small_reads_of_a_full_buffer_send_no_zero_window_update)
{
	small_reads_of_a_full_buffer(GT_PROFILE_LINUX);
	small_reads_of_a_full_buffer(GT_PROFILE_FREEBSD);
}

/* The same with window scaling: a 200-byte buffer under wscale 7. Half
 * the buffer (the SWS step, RFC 9293 3.8.6.2.2) is 100 bytes, less than one
 * unit of the scaled field (128): the old rule sent an update at 100 bytes
 * freed whose field said 0 again. Now the update waits for the field to
 * say something: 1 (128 bytes) once 128 bytes are free. This checks the
 * RFC 9293 rule itself, the arithmetic gt_config selects with both
 * rcv_wnd_linux and rcv_sws_bsd off (no profile's default since the
 * Linux profile took Linux's arithmetic, which never offers a field
 * under one MSS free: small_reads_of_a_full_buffer() above). */
TEST(established_scaled_window_update_waits_for_a_field_that_moves)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcv_wnd_linux = false;
	cfg.opt_wscale = true;
	cfg.rcv_wscale = 7;
	cfg.rcvbuf_bytes = 200;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.has_wscale = true;
	d->peer_syn_opts.wscale = 0;
	dlg_established_passive(d);
	static uint8_t seg[200], buf[1];
	dlg_peer_data(d, seg, 200);
	dlg_advance(d, 500000);
	dlg_drain(d);
	for (int i = 0; i < 127; i++) {
		ASSERT_EQ(gt_recv(d->s, d->sd, buf, 1, 0), 1);
		dlg_expect_none(d);
	}
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, 1, 0), 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_ACK);
	ASSERT_EQ(g->h.win, 1);
	dlg_free(d);
}

/* Sequence numbers and timestamps across 2^32 (RFC 9293 3.4's modular
 * arithmetic, RFC 7323 5.2's "the timestamp clock may wrap"), through the
 * test hooks isn_wrap_bytes and ts_wrap_ms: the ISS lies within 3000
 * bytes below 2^32 and the TSval clock wraps within 1.5 s. 12 rounds of
 * 600 bytes, one every 100 ms, cross both; every byte is acknowledged,
 * every RTT sample is the 100 ms round trip, no timeout. */
TEST(established_sequence_and_timestamps_across_two_to_the_32)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.isn_wrap_bytes = 3000;
	cfg.ts_wrap_ms = 1500;
	struct dlg *d = dlg_new_ts(&cfg);
	d->peer_tsval = 1000;
	dlg_established_active(d);
	ASSERT(d->iss >= 0u - 3000u);
	uint32_t ts0 = d->stack_tsval;
	ASSERT(ts0 >= 0u - 1500u);
	static const char chunk[600];
	bool seq_wrapped = false, ts_wrapped = false;
	for (int i = 0; i < 12; i++) {
		ASSERT_EQ(gt_send(d->s, d->sd, chunk, sizeof(chunk), 0), (int)sizeof(chunk));
		const struct dlg_seg *g = dlg_expect(d, TH_ACK | TH_PSH, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(g->len, sizeof(chunk));
		d->snd_nxt += g->len;
		seq_wrapped |= d->snd_nxt < d->iss;
		ts_wrapped |= d->stack_tsval < ts0;
		dlg_advance(d, 100000);
		d->peer_tsval += 100;
		dlg_peer_ack(d);
		dlg_expect_none(d);
	}
	ASSERT(seq_wrapped);
	ASSERT(ts_wrapped);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.bytes_acked, 12 * sizeof(chunk));
	ASSERT_EQ(ti.unacked_bytes, 0);
	ASSERT_EQ(ti.rto_expiries, 0);
	ASSERT_LT(ti.srtt_us, 150000);
	ASSERT_GT(ti.srtt_us, 50000);
	dlg_free(d);
}

/* What a Linux sender reads from the receiver under reordering (issue 13's
 * 5% reordering row, glasstcp receiving): a segment held back, its
 * retransmission filling the hole, then the late original, older by its
 * timestamp. Linux's receiver PAWS-drops that original and answers at once
 * with a D-SACK of it (tcp_validate_incoming() -> tcp_send_dupack(); a data
 * segment is never held back by tcp_oow_rate_limited()), which is how the
 * sender learns that its retransmission was needless and undoes the
 * recovery (tcp_try_undo_dsack()). Here with the Linux profile's out-of-
 * window ACK limit on (one per 500 ms): two late originals in a row, each
 * D-SACKed. */
TEST(established_late_originals_after_their_retransmissions_are_dsacked)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.opt_wscale = false;
	cfg.rcvbuf_autotune = false;
	dlg_fixed_isn(&cfg);
	fill_big();
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	d->peer_syn_opts.has_ts = true;
	d->peer_tsval = 1000;
	dlg_established_passive(d);
	dlg_drain(d);
	uint32_t base = d->peer_nxt, m = DLG_MSS - 12; /* timestamps take 12 */
	uint32_t tsecr = d->stack_tsval;
	struct tcp_opts o;
	/* Segments 1 and 3 arrive, 0 and 2 are held back. */
	o = dlg_opts_ts(1001, tsecr);
	dlg_send(d, TH_ACK, base + m, d->snd_nxt, DLG_WIN, big + m, m, &o);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 1);
	o = dlg_opts_ts(1003, tsecr);
	dlg_send(d, TH_ACK, base + 3 * m, d->snd_nxt, DLG_WIN, big + 3 * m, m, &o);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 2);
	/* The sender's retransmissions of 0 and 2 fill both holes. */
	o = dlg_opts_ts(1010, tsecr);
	dlg_send(d, TH_ACK, base, d->snd_nxt, DLG_WIN, big, m, &o);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 2 * m);
	ASSERT_EQ(g->h.opts.ts_ecr, 1010);
	o = dlg_opts_ts(1011, tsecr);
	dlg_send(d, TH_ACK, base + 2 * m, d->snd_nxt, DLG_WIN, big + 2 * m, m, &o);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * m);
	ASSERT_EQ(g->h.opts.ts_ecr, 1011);
	ASSERT_EQ(g->h.opts.nsack, 0);
	dlg_expect_none(d);
	/* The late originals: dropped by PAWS, each D-SACKed at once. */
	uint64_t paws0 = dlg_stats(d)->TcpPAWSDrop;
	o = dlg_opts_ts(1000, tsecr);
	dlg_send(d, TH_ACK, base, d->snd_nxt, DLG_WIN, big, m, &o);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * m);
	ASSERT_EQ(g->h.opts.nsack, 1);
	ASSERT_EQ(g->h.opts.sack[0].left, base);
	ASSERT_EQ(g->h.opts.sack[0].right, base + m);
	ASSERT_EQ(g->h.opts.ts_ecr, 1011);
	o = dlg_opts_ts(1002, tsecr);
	dlg_send(d, TH_ACK, base + 2 * m, d->snd_nxt, DLG_WIN, big + 2 * m, m, &o);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * m);
	ASSERT_EQ(g->h.opts.nsack, 1);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 2 * m);
	ASSERT_EQ(g->h.opts.sack[0].right, base + 3 * m);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSDrop, paws0 + 2);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 0);
	uint8_t b[4 * DLG_MSS];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), (ssize_t)(4 * m));
	ASSERT_MEMEQ(b, big, 4 * m);
	dlg_free(d);
}

/* The FreeBSD profile after an RST: tcp_close() -> soisdisconnected()
 * drops so_snd but keeps so_rcv, and soreceive_generic() delivers queued
 * data before so_error ("if (m != NULL) goto dontblock"), tests so_error
 * before SBS_CANTRCVMORE (the error, then the end of stream, also after the
 * peer's FIN) and clears it once read. With
 * reset_keeps_unread off (RFC 9293 3.10.7.4: queues flushed) the data is
 * gone and the error comes at once. */
static struct dlg *freebsd_reset(bool keep, bool fin_first)
{
	struct gt_config cfg, prof;
	dlg_config(&cfg);
	gt_config_default(&prof, GT_PROFILE_FREEBSD);
	cfg.reset_err_linux = prof.reset_err_linux;
	cfg.reset_keeps_unread = keep && prof.reset_keeps_unread;
	cfg.rst_closing_err = prof.rst_closing_err;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	dlg_peer_data(d, "abcdef", 6);
	if (fin_first)
		dlg_peer_fin(d);
	dlg_drain(d);
	dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	return d;
}

TEST(freebsd_reset_unread_data_read_before_the_error)
{
	for (int fin_first = 0; fin_first < 2; fin_first++) {
		struct dlg *d = freebsd_reset(true, fin_first);
		char b[16];
		ASSERT_EQ(gt_recv(d->s, d->sd, b, 4, GT_MSG_PEEK), 4);
		ASSERT_EQ(gt_recv(d->s, d->sd, b, 4, 0), 4);
		ASSERT_MEMEQ(b, "abcd", 4);
		ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 2);
		ASSERT_MEMEQ(b, "ef", 2);
		ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -ECONNRESET);
		ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
		dlg_free(d);
	}
	struct dlg *d = freebsd_reset(false, false);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -ECONNRESET);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

/* After an RST a FreeBSD send gives EPIPE and leaves the error for
 * recv(): soisdisconnected() sets SBS_CANTSENDMORE, which
 * sosend_generic() tests before so_error. Linux's tcp_sendmsg_locked()
 * returns sk_err (and clears it) first, EPIPE after. */
TEST(reset_then_send_epipe_or_the_error_by_profile)
{
	for (int bsd = 0; bsd < 2; bsd++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.send_epipe_keeps_error = bsd;
		struct dlg *d = dlg_new(&cfg);
		dlg_established_passive(d);
		dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL);
		ASSERT_EQ(dlg_conns(d), 0);
		char b[16];
		struct gt_span sp[2];
		if (bsd) {
			ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), -EPIPE);
			ASSERT_EQ(gt_send_spans(d->s, d->sd, sp), -EPIPE);
			ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -ECONNRESET);
		} else {
			ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), -ECONNRESET);
		}
		ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), -EPIPE);
		ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
		dlg_free(d);
	}
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT(bsd.send_epipe_keeps_error);
	gt_config_default(&bsd, GT_PROFILE_LINUX);
	ASSERT(!bsd.send_epipe_keeps_error);
}

/* The peer offers 500 octets, takes none of the 500 sent into them, and an
 * update with the same ACK closes the window (two ACKs of one instant,
 * reordered on the way): the retransmission timeout finds the window 0
 * with 500 octets in flight and more waiting. Both window changes come
 * with the SEQ and ACK of the last update, which only RFC 9293's rule takes
 * whole (Linux takes the zero, FreeBSD neither: test_wnd_update.c): the
 * profile's own rule is set aside for the setup. */
static struct dlg *rto_into_zero_window(const struct gt_config *cfg0)
{
	fill_big();
	struct gt_config cfg;
	if (cfg0)
		cfg = *cfg0;
	else
		dlg_config(&cfg);
	cfg.wnd_update = GT_WND_UPDATE_RFC;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 500, NULL, 0, NULL);
	ASSERT_EQ(gt_send(d->s, d->sd, big, 3 * DLG_MSS, 0), 3 * DLG_MSS);
	/* Under an MSS: sent when sender SWS avoidance's override timer
	 * fires (RFC 9293 3.8.6.2.1). */
	for (int ms = 0; ms < 5000 && !dlg_pending(d); ms++)
		dlg_advance(d, 1000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1);
	ASSERT_EQ(g->len, 500);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	for (int ms = 0; ms < 5000 && dlg_stats(d)->TcpTimeouts == 0; ms++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	return d;
}

TEST(established_linux_rto_into_zero_window_resends_the_head_as_sent)
{
	/* Linux's tcp_retransmit_timer() resends the head skb, the 500
	 * octets the window took (tcp_retrans_try_collapse() joins nothing
	 * past the window's end), not a full MSS re-cut from the stream:
	 * those 1000 octets more were never offered room, and a Linux
	 * receiver takes a segment's size as the peer's segment size (swarm
	 * seeds 13011872, 13014175 with the binary of e0b3fd8). */
	struct dlg *d = rto_into_zero_window(NULL);
	ASSERT(d->cfg.psh_linux && !d->cfg.rto_zero_wnd_persist);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1);
	ASSERT_EQ(g->len, 500);
	ASSERT_MEMEQ(g->data, big, 500);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(established_freebsd_rto_into_zero_window_probes_instead)
{
	/* FreeBSD's tcp_output() as tcp_timer_rexmt() calls it: sendwin 0,
	 * so len 0; the retransmission timer stops, t_rxtshift and SND.NXT
	 * go back (0, SND.UNA), tcp_setpersist() starts the persist timer,
	 * and what goes out is a one-octet probe. Resending a full segment
	 * into the closed window, as before, sent 1000 octets past any window
	 * the peer offered (swarm seed 13111842: a Linux receiver then kept
	 * its window 0 for ever). */
	struct gt_config cfg;
	dlg_config_plain(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.rto_zero_wnd_persist);
	cfg.opt_sack = false;
	struct dlg *d = rto_into_zero_window(&cfg);
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.backoff, 0);
	for (int ms = 0; ms < 5000 && dlg_stats(d)->TcpWinProbes == 0; ms++) {
		dlg_advance(d, 1000);
		if (dlg_stats(d)->TcpWinProbes == 0)
			dlg_expect_none(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpWinProbes, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1);
	ASSERT_EQ(g->len, 1);
	dlg_expect_none(d);
	/* The window opens: sending goes on from SND.UNA. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1);
	ASSERT_MEMEQ(g->data, big, g->len);
	dlg_free(d);
}

/* The peer's window limits sending as a right edge, SND.UNA + SND.WND
 * (Linux's tcp_snd_wnd_test(), FreeBSD's tcp_output(): sendwin less off),
 * whatever the pipe says. After a timeout that new data followed (F-RTO),
 * duplicate ACKs without SACK take segments out of the pipe
 * (tcp_add_reno_sack()); the window was measured against that pipe, and a
 * Linux sender put a segment wholly past the edge, which its FreeBSD peer
 * took as SND.WL1: no window update from it again (swarm seed 15009377). */
TEST(established_dupack_new_data_stops_at_the_right_edge)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	dlg_established_passive(d);
	const uint16_t wnd = 3 * DLG_MSS;
	/* The second of two bytes carries the smaller window: Linux takes a
	 * smaller one only from a newer SEQ than SND.WL1 (tcp_may_update_window()). */
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, DLG_WIN, "x", 1, NULL);
	d->peer_nxt++;
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, wnd, "y", 1, NULL);
	d->peer_nxt++;
	dlg_advance(d, 500000);
	dlg_drain(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_wnd_bytes, wnd);
	dlg_app_send(d, 10 * DLG_MSS);
	uint32_t una = d->snd_nxt;
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(dlg_next(d)->h.seq, una + (uint32_t)i * DLG_MSS);
	dlg_expect_none(d);
	/* The timeout resends the first. */
	for (int i = 0; i < 40 && !dlg_pending(d); i++)
		dlg_advance(d, 100000);
	ASSERT_EQ(dlg_next(d)->h.seq, una);
	dlg_drain(d);
	/* Its ACK moves the edge by one segment: F-RTO's new data. */
	una += DLG_MSS;
	dlg_send(d, TH_ACK, d->peer_nxt, una, wnd, NULL, 0, NULL);
	uint32_t edge = una + wnd;
	for (int k = 0; k < 4; k++) {
		while (dlg_pending(d)) {
			const struct dlg_seg *g = dlg_next(d);
			char buf[160];
			if (g->len && (int32_t)(g->h.seq + g->len - edge) > 0)
				gt_test_fail(__FILE__, __LINE__, "past the edge %u: %s", edge,
					     dlg_seg_str(d, g, buf, sizeof(buf)));
		}
		/* Duplicate ACKs, the window unchanged. */
		dlg_send(d, TH_ACK, d->peer_nxt, una, wnd, NULL, 0, NULL);
	}
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		char buf[160];
		if (g->len && (int32_t)(g->h.seq + g->len - edge) > 0)
			gt_test_fail(__FILE__, __LINE__, "past the edge %u: %s", edge,
				     dlg_seg_str(d, g, buf, sizeof(buf)));
	}
	dlg_free(d);
}

TEST(established_lx_state_given_back_when_all_is_acked)
{
	/* The Linux profile's PSH marks and skb ends (c->lx, 176 bytes) are
	 * needed only while data is unacknowledged or unsent: once the peer
	 * has acknowledged everything, they go back (TcpLxShrunk), leaving
	 * the 16-byte head (the path MSS, the receiver's RTT timing), and a
	 * write brings them back: a 100-byte skb retransmitted by the RTO
	 * still takes in the next one (tcp_retrans_try_collapse(),
	 * tests/pkt/linux/data-rtx-collapse.pkt), which it cannot without
	 * the skb ends. An idle relay flow holds 160 bytes less (docs/relay.md). */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	dlg_peer_data(d, "ping", 4); /* the receive side takes the head */
	ASSERT_EQ(gt_send(d->s, d->sd, "pong", 4, 0), 4);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt += 4;
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLxShrunk, 1);
	static char blob[200];
	ASSERT_EQ(gt_send(d->s, d->sd, blob, 100, 0), 100);
	ASSERT_EQ(gt_send(d->s, d->sd, blob, 100, 0), 100);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt + 100, d->peer_nxt);
	dlg_advance(d, 300000); /* the RTO (200 ms at least) */
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, 200);
	d->snd_nxt += 200;
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpLxShrunk, 2);
	dlg_free(d);
}

/* Linux 6.18's tcp_sequence() and tcp_data_queue() at the window's right
 * edge (cfg.rcv_edge_linux): with the receive queue empty, data at the
 * edge is taken by the one and dropped by the other (out_of_window,
 * TcpOverWindowDrop) with an ACK at once; with data unread, the same
 * segment and one across the edge are out of the window (TcpOutOfWindow),
 * the in-window part of the second not kept (no SACK block). */
TEST(established_data_at_window_edge_linux)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	dlg_peer_data(d, "abc", 3);
	dlg_advance(d, 200000); /* the delayed ACK (no quick ACKs here) */
	const struct dlg_seg *g = dlg_expect_only(d, TH_ACK, d->iss + 1, base + 3);
	uint32_t edge = base + 3 + g->h.win; /* no window scaling */
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 3);
	dlg_expect_none(d);
	uint64_t oow = dlg_stats(d)->TcpOutOfWindow;
	dlg_send(d, TH_PSH | TH_ACK, edge, d->snd_nxt, DLG_WIN, "far", 3, NULL);
	g = dlg_expect_only(d, TH_ACK, d->iss + 1, base + 3);
	ASSERT_EQ(g->h.opts.nsack, 0);
	ASSERT_EQ(dlg_stats(d)->TcpOverWindowDrop, 1);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, oow);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	/* Data unread: at the edge, and across it. */
	dlg_peer_data(d, "def", 3);
	dlg_advance(d, 200000);
	g = dlg_expect_only(d, TH_ACK, d->iss + 1, base + 6);
	edge = base + 6 + g->h.win;
	dlg_send(d, TH_PSH | TH_ACK, edge, d->snd_nxt, DLG_WIN, "far", 3, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, base + 6);
	dlg_send(d, TH_PSH | TH_ACK, edge - 1, d->snd_nxt, DLG_WIN, "far", 3, NULL);
	g = dlg_expect_only(d, TH_ACK, d->iss + 1, base + 6);
	ASSERT_EQ(g->h.opts.nsack, 0);
	ASSERT_EQ(dlg_stats(d)->TcpOverWindowDrop, 1);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, oow + 2);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 3);
	ASSERT_MEMEQ(b, "def", 3);
	dlg_free(d);
}
