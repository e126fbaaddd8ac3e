/* Loss recovery with SACK (RFC 6675) against a peer that behaves as Linux
 * does: its duplicate ACKs carry new SACK blocks and, as it autotunes its
 * receive buffer, a window that grows from one ACK to the next. Ten full
 * segments go out (RFC 6928's initial window), the first is lost. */
#include "dlg.h"

#define SEG DLG_MSS
#define NSEG 10

static uint8_t data[40 * SEG];

static struct dlg *ten_in_flight(uint32_t queued_segs)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	/* RFC 6675's DupThresh rules, as the FreeBSD profile runs them;
	 * RACK-TLP, Linux's, has its dialogues in test_rack.c. */
	cfg.rack = cfg.tlp = false;
	/* And RFC 5681's ssthresh, half the flight (Linux halves cwnd). */
	cfg.reno_ssthresh_cwnd = false;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, (NSEG + queued_segs) * SEG, 0),
		  (NSEG + queued_segs) * SEG);
	for (uint32_t i = 0; i < NSEG; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, d->iss + 1 + i * SEG);
		ASSERT_EQ(g->len, SEG);
	}
	dlg_expect_none(d);
	return d;
}

/* The peer's ACK of SND.UNA (the first segment lost) SACKing segments
 * 2..upto (1-based), with window win. */
static void sack_upto(struct dlg *d, uint32_t upto, uint16_t win)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = d->iss + 1 + SEG;
	o.sack[0].right = d->iss + 1 + upto * SEG;
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, win, NULL, 0, &o);
}

/* RFC 6675 2: each ACK that SACKs new data is a DupAck, whatever its
 * window. The stack used to require the same window (RFC 5681's rule for
 * connections without SACK) and so never entered fast recovery against a
 * Linux receiver: it waited for the RTO instead. */
TEST(sack_dupacks_with_a_growing_window_start_fast_recovery)
{
	struct dlg *d = ten_in_flight(0);
	sack_upto(d, 2, 50000);
	sack_upto(d, 3, 52000);
	dlg_expect_none(d);
	sack_upto(d, 4, 54000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->len, SEG);
	ASSERT_MEMEQ(g->data, data, SEG);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* RFC 3042 with SACK: the first two DupAcks each let one new segment out,
 * windows changing or not. */
TEST(sack_limited_transmit_on_the_first_two_dupacks)
{
	struct dlg *d = ten_in_flight(10);
	sack_upto(d, 2, 50000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1 + NSEG * SEG, d->peer_nxt);
	ASSERT_EQ(g->len, SEG);
	dlg_expect_none(d);
	sack_upto(d, 3, 51000);
	g = dlg_expect(d, TH_ACK, d->iss + 1 + (NSEG + 1) * SEG, d->peer_nxt);
	ASSERT_EQ(g->len, SEG);
	dlg_expect_none(d);
	dlg_free(d);
}

/* RFC 6675 5: in recovery cwnd is ssthresh and pipe decides. With 12
 * segments out (10, and 2 by limited transmit), NewReno's ssthresh is 6
 * segments; pipe after the retransmission is the retransmitted segment
 * plus the 8 not SACKed above the SACK block, 9: nothing more may go until
 * three more segments are SACKed, then one new segment per SACKed one. */
TEST(sack_recovery_sends_by_pipe_not_by_inflated_cwnd)
{
	struct dlg *d = ten_in_flight(10);
	sack_upto(d, 2, 50000);
	sack_upto(d, 3, 50000);
	dlg_drain(d); /* the two limited-transmit segments */
	sack_upto(d, 4, 50000);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt); /* the lost segment again */
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 6 * SEG);
	ASSERT_EQ(ti.snd_cwnd_bytes, 6 * SEG);
	/* SACKs of segments 5, 6, 7: pipe 8, 7, 6, still >= cwnd. */
	for (uint32_t k = 5; k <= 7; k++) {
		sack_upto(d, k, 50000);
		dlg_expect_none(d);
	}
	/* Segment 8 SACKed: pipe 5, one new segment (the 13th). */
	sack_upto(d, 8, 50000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1 + 12 * SEG, d->peer_nxt);
	ASSERT_EQ(g->len, SEG);
	dlg_expect_none(d);
	/* The retransmission arrives: everything up to 8 is acknowledged, a
	 * partial ACK (RecoveryPoint is 12 segments): pipe is 5 new and not
	 * SACKed (9..13) = 5, cwnd 6: one more new segment. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + 8 * SEG, 50000, NULL, 0, NULL);
	g = dlg_expect(d, TH_ACK, d->iss + 1 + 13 * SEG, d->peer_nxt);
	ASSERT_EQ(g->len, SEG);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* RFC 6675 4 IsLost(): one ACK that SACKs more than (DupThresh - 1) * SMSS
 * above SND.UNA marks it lost at once, without waiting for three DupAcks
 * (a stretch ACK, or ACKs lost on the way back). */
TEST(sack_one_ack_sacking_three_segments_starts_recovery)
{
	struct dlg *d = ten_in_flight(0);
	sack_upto(d, 5, 50000); /* segments 2..4 SACKed: 3 * SMSS > 2 * SMSS */
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_free(d);
}

/* Without SACK, RFC 5681's rule stands: an ACK with another window is a
 * window update, not a duplicate. */
TEST(sack_off_window_changes_are_not_dupacks)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 5 * SEG, 0), 5 * SEG);
	dlg_drain(d);
	for (int i = 0; i < 4; i++)
		dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, (uint16_t)(50000 + i * 1000), NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 0);
	dlg_free(d);
}

/* RFC 6675 4 NextSeg() rule 4: the first and the last segment lost, nothing
 * more to send. The retransmission of the first leaves room in cwnd (5
 * segments) over pipe (2), rules 1-3 find nothing, and the rescue
 * retransmission resends the tail at once rather than after an RTO; only
 * once per recovery. */
TEST(sack_rescue_retransmits_the_tail_once)
{
	struct dlg *d = ten_in_flight(0);
	sack_upto(d, 3, DLG_WIN); /* 2 SACKed segments: not yet lost */
	dlg_expect_none(d);
	sack_upto(d, 9, DLG_WIN); /* 2..9 SACKed, 10 not */
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1 + 9 * SEG, d->peer_nxt);
	ASSERT_EQ(g->len, SEG);
	dlg_expect_none(d);
	sack_upto(d, 9, DLG_WIN); /* nothing new: no second rescue */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 2);
	dlg_free(d);
}

/* A FIN waiting behind a go-back-N resend when the application closed,
 * then an ACK that enters recovery with most of the flight SACKed
 * (FreeBSD's recovery_bsd): RFC 6675's rescue retransmission of the tail
 * (NextSeg() rule 4) ends where the data does, so it carries that FIN, its
 * first sending. SND.MAX must move past it (the invariant checker, run
 * after every input here, holds the FIN at SND.MAX - 1); left behind, the
 * FIN lay past SND.MAX (swarm seed 12003408, FIN_WAIT_1). */
TEST(sack_rescue_carrying_the_first_fin_moves_snd_max)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rack = cfg.tlp = false;
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	cfg.prr_bsd = bsd.prr_bsd;
	cfg.recovery_bsd = bsd.recovery_bsd;
	cfg.prr = bsd.prr;
	/* FreeBSD's go-back-N: Linux's F-RTO, which runs with nothing
	 * unsent too (h-lxfrto), leaves SND.NXT at SND.MAX. */
	cfg.frto = bsd.frto;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, NSEG * SEG, 0), NSEG * SEG);
	dlg_drain(d);
	for (int i = 0; i < 1000 && dlg_stats(d)->TcpTimeouts == 0; i++)
		dlg_advance(d, 10000);
	dlg_expect_only(d, TH_ACK, d->iss + 1, d->peer_nxt); /* the RTO's: go-back-N */
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_check(d);
	dlg_expect_none(d); /* the FIN waits for the resend to reach it */
	/* Segment 1 acknowledged, 3..9 SACKed. */
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = d->iss + 1 + 2 * SEG;
	o.sack[0].right = d->iss + 1 + 9 * SEG;
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + SEG, DLG_WIN, NULL, 0, &o);
	int fins = 0;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		if (g->h.flags & TH_FIN) {
			fins++;
			ASSERT_EQ(g->h.seq, d->iss + 1 + (NSEG - 1) * SEG);
			ASSERT_EQ(g->len, SEG);
		}
	}
	ASSERT_EQ(fins, 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_1);
	dlg_free(d);
}

/* The full ACK that ends a recovery with nothing left in flight: Linux's
 * tcp_end_cwnd_reduction() sets cwnd to ssthresh (cfg.recovery_end_ssthresh,
 * the Linux profile), where RFC 6582 3.2 step 6 would leave
 * min(ssthresh, FlightSize + SMSS), one segment, and a slow start from it
 * (a sender whose buffer was full behind the holes lost half its goodput
 * so: `glasstcp sim --bytes 20000000 --delay 20 --bandwidth 1000`, 135
 * against 197 Mbit/s). Ten sent, the first lost, the rest SACKed. */
TEST(sack_recovery_ends_at_ssthresh_with_nothing_in_flight)
{
	struct dlg *d = ten_in_flight(0);
	ASSERT(gt_stack_config(d->s)->recovery_end_ssthresh);
	for (uint32_t k = 2; k <= 4; k++)
		sack_upto(d, k, 50000);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt); /* the fast retransmit */
	sack_upto(d, NSEG, 50000);
	dlg_drain(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t ssthresh = ti.snd_ssthresh_bytes;
	ASSERT_EQ(ssthresh, 5 * SEG); /* half the flight of ten */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + NSEG * SEG, 50000, NULL, 0, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	ASSERT_EQ(ti.snd_cwnd_bytes, ssthresh); /* RFC 6582: one segment */
	dlg_free(d);
}
