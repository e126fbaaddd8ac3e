/* FreeBSD's CUBIC in the FreeBSD profile (net.inet.tcp.cc.algorithm=cubic,
 * cfg.cubic_bsd_hz 1000): cwnd and ssthresh as sys/netinet/cc/cc_cubic.c
 * and cc_cubic.h compute them, in their fixed point (CUBIC_SHIFT 8: beta
 * 179/256, C 102/256, K in 1/256 s) and whole ticks of 1 ms. Every value
 * below is worked out by hand from those formulas, with SMSS 1460
 * (no timestamps, so t_maxseg and tcp_maxseg() agree), an initial window
 * of 10 segments (14,600 bytes) and a 100 ms round trip. */
#include <stdio.h>

#include "dlg.h"
#include "util/seq.h"

#define SEG DLG_MSS
#define RTT_US 100000u

static uint8_t data[128 * SEG];

static struct gt_config bsd_cubic_cfg(void)
{
	struct gt_config cfg;
	dlg_config_plain(&cfg, GT_PROFILE_FREEBSD);
	cfg.cc = GT_CC_CUBIC;
	cfg.opt_sack = false;
	cfg.limited_transmit = false;
	cfg.sndbuf_bytes = sizeof(data);
	return cfg;
}

static struct gt_tcp_info info(struct dlg *d)
{
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	return ti;
}

/* Pops every segment sent; returns the highest sequence number sent. */
static uint32_t drain_out(struct dlg *d, uint32_t hi)
{
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		if (seq_gt(g->h.seq + g->len, hi))
			hi = g->h.seq + g->len;
	}
	return hi;
}

static void ack_to(struct dlg *d, uint32_t ack)
{
	dlg_send(d, TH_ACK, d->peer_nxt, ack, DLG_WIN, NULL, 0, NULL);
}

/* The peer's window while timed_rounds() runs: under cwnd's 14,600. */
#define SMALL_WIN (2u * SEG)

/* The passive side established over a handshake of one RTT, its last ACK
 * offering win. */
static struct dlg *bsd_cubic_open_win(uint16_t win)
{
	struct gt_config cfg = bsd_cubic_cfg();
	ASSERT_EQ(cfg.cubic_bsd_hz, 1000);
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_received(d);
	dlg_advance(d, RTT_US);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, win, NULL, 0, NULL);
	dlg_expect_none(d);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT(d->sd >= 0);
	ASSERT_EQ(info(d).snd_cwnd_bytes, 10u * SEG);
	return d;
}

static struct dlg *bsd_cubic_open(void)
{
	return bsd_cubic_open_win(DLG_WIN);
}

/* rounds round trips of one segment each, each timed: RTT samples, cwnd
 * unmoved. After bsd_cubic_open_win(SMALL_WIN): FreeBSD's
 * cc_ack_received() grows cwnd only with CCF_CWND_LIMITED, "tp->snd_cwnd
 * <= tp->snd_wnd", whatever the flight (2d614aa), so the peer offers two
 * segments, under cwnd's ten, until the last ACK opens the window to
 * DLG_WIN (step6's update comes after cc_ack_received(), which still sees
 * two). With the window open each ACK of a segment would add one in slow
 * start: 26,280 after eight rounds. */
static void timed_rounds(struct dlg *d, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		ASSERT_EQ(gt_send(d->s, d->sd, data, SEG, 0), SEG);
		uint32_t hi = drain_out(d, d->iss);
		dlg_advance(d, RTT_US);
		dlg_send(d, TH_ACK, d->peer_nxt, hi, i + 1 < rounds ? SMALL_WIN : DLG_WIN, NULL, 0, NULL);
	}
}

/* Ten segments out, the first lost: nine duplicate ACKs a round trip
 * later (fast retransmit at the third), then the ACK of all ten a round
 * trip after that. Returns SND.MAX. */
static uint32_t first_flight_loss(struct dlg *d, uint32_t una)
{
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	uint32_t hi = drain_out(d, una);
	ASSERT_EQ(hi - una, 10u * SEG);
	dlg_advance(d, RTT_US);
	for (int i = 0; i < 9; i++)
		ack_to(d, una);
	return hi;
}

/* The ACK of everything sent, a round trip on. Returns SND.MAX then. */
static uint32_t round_trip(struct dlg *d, uint32_t hi)
{
	hi = drain_out(d, hi);
	dlg_advance(d, RTT_US);
	ack_to(d, hi);
	return hi;
}

TEST(cubic_bsd_first_loss_ssthresh_half_of_cwnd)
{
	/* cubic_cong_signal(CC_NDUPACK) -> cubic_ssthresh_update(): cwnd
	 * 14,600 is not below W_max (14,600, cubic_conn_init()'s cwnd), so
	 * no fast convergence; on the first congestion event (no
	 * CUBICFLAG_CONG_EVENT yet) ssthresh = cwnd >> 1 = 7,300, W_max =
	 * (14,600 * 179) >> 8 = 10,208. Linux's CUBIC takes cwnd * 0.7 =
	 * 10,220. The entry (tcp_do_segment(), no SACK): cwnd = ssthresh +
	 * 3 segments = 11,680. */
	struct dlg *d = bsd_cubic_open();
	uint32_t una = d->iss + 1;
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	uint32_t hi = drain_out(d, una);
	dlg_advance(d, RTT_US);
	for (int i = 0; i < 3; i++)
		ack_to(d, una);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, una); /* the fast retransmit */
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 7300u);
	ASSERT_EQ(ti.snd_cwnd_bytes, 11680u);
	(void)hi;
	dlg_free(d);
}

TEST(cubic_bsd_post_recovery_cwnd_is_w_max_beta)
{
	/* cubic_post_recovery() at the ACK of all ten: pipe (SND.MAX -
	 * SND.UNA before it, no SACK) 14,600 is not below ssthresh 7,300,
	 * so cwnd = max((W_max * 179) >> 8, 2 * 1,460) = (10,208 * 179) >> 8
	 * = 1,827,232 >> 8 = 7,137: beta twice over the first event's cwnd.
	 * newreno_cc_post_recovery() would take ssthresh, 7,300; Linux's
	 * CUBIC ends at its ssthresh, 10,220. */
	struct dlg *d = bsd_cubic_open();
	uint32_t hi = first_flight_loss(d, d->iss + 1);
	ASSERT_EQ(info(d).snd_cwnd_bytes, 20440u); /* 11,680 + 6 duplicates */
	round_trip(d, hi);
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 7300u);
	ASSERT_EQ(ti.snd_cwnd_bytes, 7137u);
	dlg_free(d);
}

TEST(cubic_bsd_slow_start_past_ssthresh_until_eight_rtt_samples)
{
	/* cubic_ack_received() slow-starts while min_rtt_usecs is
	 * TCPTV_SRTTBASE (0), whatever ssthresh says: cubic_record_rtt()
	 * sets it only once t_rttupdated reaches CUBIC_MIN_RTT_SAMPLES (8).
	 * Here the loss comes in the first flight: by the third round after
	 * the recovery at most 4 RTTs were timed (the handshake's and one a
	 * round; the retransmitted segment's none). cwnd 7,137 grows by
	 * min(acked, abc_l_var 2 * 1,460) an ACK, one cumulative ACK a round:
	 * 10,057 (6 segments sent), 12,977 (8), 15,897, past ssthresh 7,300.
	 * In congestion avoidance it would stay at 10,057 (the next test). */
	struct dlg *d = bsd_cubic_open();
	uint32_t hi = first_flight_loss(d, d->iss + 1);
	hi = round_trip(d, hi);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 64 * SEG, 0), 64 * SEG);
	static const uint32_t want[3] = {10057u, 12977u, 15897u};
	for (int r = 0; r < 3; r++) {
		hi = round_trip(d, hi);
		ASSERT_EQ(info(d).snd_cwnd_bytes, want[r]);
	}
	ASSERT_EQ(info(d).snd_ssthresh_bytes, 7300u);
	dlg_free(d);
}

/* W_est(t) = ((W_max * 179) + ((231 * t * 1460) << 8) / (435 * RTT)) >> 8,
 * tf_cwnd() with W_max 10,208 and the mean RTT 100,000 us: */
TEST(cubic_bsd_congestion_avoidance_over_rounds)
{
	/* Eight timed round trips first (window limited, cwnd stays 14,600:
	 * timed_rounds()), so that min_rtt_usecs and mean_rtt_usecs are SRTT,
	 * 100,000 us; then the first flight's loss and recovery as above:
	 * cwnd 7,137, ssthresh 7,300, W_max 10,208, K = cubic_k(10,208 /
	 * 1,460 = 6): s = (6 * 77 << 8) / 102 = 1,159, >> 3 once (p = 1):
	 * 144; K = ((144 * 275) >> 8) + 98 - (((144^2 * 120) >> 8) >> 8) =
	 * 154 + 98 - 37 = 215, << 1 = 430 (1.68 s).
	 * Round 1: slow start (cwnd <= ssthresh): 7,137 + 2,920 = 10,057.
	 * Round 2 starts the epoch (CUBICFLAG_IN_SLOWSTART: t_epoch = ticks,
	 * t = 0); each later round is 0.1 s on. cwnd = the larger of W_est(t)
	 * and W_cubic(t + RTT), never lower:
	 *   W_cubic(0.1 s): (t - K) = ((100,000 << 8) - 430 * 10^6) / 10^6 =
	 *   -404; (-404^3 * 102) >> 32 = -2 segments: 10,208 - 2,920 = 7,288.
	 *   W_est(0) = 1,827,232 >> 8 = 7,137; W_est(0.1) = (1,827,232 +
	 *   198,479) >> 8 = 7,912; W_est(0.2) = 8,688; W_est(0.3) = 9,463;
	 *   all below 10,057: rounds 2 to 5 keep it.
	 *   W_est(0.4) = (1,827,232 + 793,917) >> 8 = 10,238 (round 6),
	 *   W_est(0.5) = 11,014, then 775 or 776 bytes a round (3 * 0.3 /
	 *   1.7 segments a round trip): W_est(1.0) = (1,827,232 +
	 *   1,984,794) >> 8 = 14,890 (round 12). W_cubic(t + RTT) stays
	 *   below: 7,288 for t up to 0.2 s, then 10,208 - 1,460 = 8,748
	 *   ((t - K) from -327 to -46: -1 segment) -- the TCP-friendly
	 *   region.
	 * Linux's CUBIC in the profile grows from its own 10,220 instead. */
	struct dlg *d = bsd_cubic_open_win(SMALL_WIN);
	timed_rounds(d, 8);
	ASSERT_EQ(info(d).snd_cwnd_bytes, 10u * SEG);
	/* SRTT as tcp_xmit_timer() keeps it (docs/freebsd.md, "RTT
	 * estimator"): the SYN's 100 ticks set t_srtt 3200; each timed round
	 * of 100 ticks then adds ((100 - 1) << 2) - (t_srtt >> 3), the "origin
	 * 0" pulling it towards 99 ms: 3196, 3193, 3190, 3188, 3186, 3184,
	 * 3182, 3181, and (3181 * 1000) >> 5 = 99,406 us. The mean RTT that
	 * W_est divides by is the epoch's SRTTs, about 99.4 ms, so from round
	 * 6 on cwnd runs 19 bytes above the 100 ms figures above, and each
	 * round adds 780 bytes, not 775 or 776 (the profile's numbers; with
	 * RFC 6298 in microseconds SRTT was 100,000 us and these were 10,238,
	 * 11,014, ..., 14,890). */
	ASSERT_EQ(info(d).srtt_us, 99406u);
	uint32_t hi = first_flight_loss(d, d->iss + 1 + 8 * SEG);
	hi = round_trip(d, hi);
	ASSERT_EQ(info(d).snd_cwnd_bytes, 7137u);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 128 * SEG, 0), 128 * SEG);
	static const uint32_t want[12] = {10057u, 10057u, 10057u, 10057u, 10057u, 10257u,
					  11037u, 11817u, 12597u, 13377u, 14157u, 14937u};
	for (int r = 0; r < 12; r++) {
		hi = round_trip(d, hi);
		ASSERT_EQ(info(d).snd_cwnd_bytes, want[r]);
	}
	ASSERT_EQ(info(d).snd_ssthresh_bytes, 7300u);
	dlg_free(d);
}

TEST(cubic_bsd_rto_ssthresh_is_cwnd_beta_without_floor)
{
	/* cubic_cong_signal(CC_RTO): ssthresh = (cwnd * 179) >> 8, no fast
	 * convergence, no two-segment floor; cwnd one segment. First RTO:
	 * (14,600 * 179) >> 8 = 10,208 (Linux's CUBIC: 10,220; NewReno's
	 * CC_RTO: 7,300). The second, from cwnd 1,460: 261,340 >> 8 = 1,020,
	 * under one segment (Linux's CUBIC: the floor, 2,920). */
	struct dlg *d = bsd_cubic_open();
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	(void)drain_out(d, d->iss + 1);
	for (int ms = 0; ms < 10000 && dlg_stats(d)->TcpTimeouts == 0; ms++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 10208u);
	ASSERT_EQ(ti.snd_cwnd_bytes, (uint32_t)SEG);
	dlg_drain(d);
	for (int ms = 0; ms < 20000 && dlg_stats(d)->TcpTimeouts == 1; ms++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 2);
	ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 1020u);
	ASSERT_EQ(ti.snd_cwnd_bytes, (uint32_t)SEG);
	dlg_free(d);
}

TEST(cubic_bsd_second_loss_fast_convergence_and_beta)
{
	/* The congestion-avoidance test's start (eight timed rounds, the
	 * first flight's loss: W_max 10,208, CUBICFLAG_CONG_EVENT), one
	 * round on (cwnd 10,057, six segments out), the first of those six
	 * lost. At the third duplicate cubic_ssthresh_update() finds cwnd
	 * 10,057 below W_max: fast convergence, W_max = (10,057 * 217) >> 8
	 * = 2,182,369 >> 8 = 8,524; a later event, so ssthresh = (8,524 *
	 * 179) >> 8 = 1,525,796 >> 8 = 5,960 and the recovery starts at
	 * 5,960 + 3 segments = 10,340. Without fast convergence: (10,057 *
	 * 179) >> 8 = 7,032; as a first event: 8,524 >> 1 = 4,262; Linux's
	 * CUBIC: 10,057 * 0.7 = 7,039. */
	struct dlg *d = bsd_cubic_open_win(SMALL_WIN);
	timed_rounds(d, 8);
	uint32_t hi = first_flight_loss(d, d->iss + 1 + 8 * SEG);
	hi = round_trip(d, hi);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 64 * SEG, 0), 64 * SEG);
	hi = round_trip(d, hi);
	ASSERT_EQ(info(d).snd_cwnd_bytes, 10057u);
	uint32_t lost = hi;
	hi = drain_out(d, hi);
	ASSERT_EQ(hi - lost, 6u * SEG);
	dlg_advance(d, RTT_US);
	for (int i = 0; i < 3; i++)
		ack_to(d, lost);
	ASSERT_EQ(dlg_next(d)->h.seq, lost); /* the fast retransmit */
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5960u);
	ASSERT_EQ(ti.snd_cwnd_bytes, 10340u);
	dlg_free(d);
}

TEST(cubic_bsd_after_idle_takes_w_max_and_starts_the_epoch)
{
	/* The congestion-avoidance test's twelve rounds (cwnd 14,890, W_max
	 * 10,208), then 2 s idle, past the RTO: tcp_output() calls
	 * cc_after_idle() -> cubic_after_idle(): W_max = max(10,208, 14,890)
	 * = 14,890, K = cubic_k(14,890 / 1,460 = 10): s = (10 * 77 << 8) /
	 * 102 = 1,932, >> 3 once: 241; ((241 * 275) >> 8) + 98 - (((241^2 *
	 * 120) >> 8) >> 8) = 258 + 98 - 106 = 250, << 1 = 500; the epoch
	 * now. Then newreno_cc_after_idle(): ssthresh = max(7,300, 14,890 -
	 * (14,890 >> 2)) = 11,168, cwnd = min(the initial window 14,600,
	 * 14,890) = 14,600.
	 * Round n after the restart is t = n * 0.1 s into the epoch:
	 * W_est(t) = (14,890 * 179 + 1,984,794 t) >> 8 = 11,186 at 0.1 s,
	 * 775 or 776 more a round: 15,063 at 0.6 s (the first above 14,600);
	 * W_cubic(t + RTT) = 14,890 + ((t - K)^3 * 102 >> 32) segments, with
	 * (t - K) = ((t + 0.1) * 256 - 500): -3 segments at 0.1 s (10,510),
	 * -1 at 0.6 s (13,430): below W_est, the TCP-friendly region. So
	 * cwnd stays 14,600 for five rounds, then 15,063. Without
	 * cubic_after_idle() the epoch would be 3.1 s old at the first ACK
	 * and W_est(3.1 s) = 31,172 bytes would take cwnd there at once. */
	struct dlg *d = bsd_cubic_open_win(SMALL_WIN);
	timed_rounds(d, 8);
	uint32_t hi = first_flight_loss(d, d->iss + 1 + 8 * SEG);
	hi = round_trip(d, hi);
	/* 82 segments: what the twelve rounds send, so that the twelfth ACK
	 * leaves nothing in flight and nothing to send. */
	ASSERT_EQ(gt_send(d->s, d->sd, data, 82 * SEG, 0), 82 * SEG);
	for (int r = 0; r < 12; r++)
		hi = round_trip(d, hi);
	/* With FreeBSD's SRTT of about 99.4 ms (the congestion-avoidance
	 * test): 14,937 where 100 ms gave 14,890, so W_max 14,937 (K the
	 * same, 10 segments), ssthresh 14,937 - 3,734 = 11,203 and W_est(0.6
	 * s) 15,123, not 15,063 (the profile's numbers). */
	ASSERT_EQ(info(d).snd_cwnd_bytes, 14937u);
	dlg_expect_none(d);
	dlg_advance(d, 2000000);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 64 * SEG, 0), 64 * SEG);
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_cwnd_bytes, 14600u);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 11203u);
	static const uint32_t want[6] = {14600u, 14600u, 14600u, 14600u, 14600u, 15123u};
	for (int r = 0; r < 6; r++) {
		hi = round_trip(d, hi);
		ASSERT_EQ(info(d).snd_cwnd_bytes, want[r]);
	}
	dlg_free(d);
}

TEST(cubic_bsd_ecn_echo_reduces_by_cubics_rule)
{
	/* cubic_cong_signal(CC_ECN), not NewReno's halving: an active open
	 * with ECN (ECE on the SYN-ACK), ten segments out and acknowledged
	 * with ECE. First congestion event: cwnd 14,600 is W_max
	 * (cubic_conn_init()), no fast convergence; ssthresh = 14,600 >> 1 =
	 * 7,300 (NewReno's half, the same), W_max = (14,600 * 179) >> 8 =
	 * 10,208; cwnd = ssthresh, and no growth in the congestion recovery
	 * (cubic_ack_received() waits for !IN_RECOVERY). The five segments
	 * that cwnd lets out are acknowledged with ECE again, at SND.MAX past
	 * snd_recover (cc_cong_signal() ends the congestion recovery first):
	 * cwnd 7,300 < W_max, so fast convergence, W_max = (7,300 * 217) >> 8
	 * = 6,187, and a later event: ssthresh = (6,187 * 179) >> 8 = 4,326.
	 * NewReno's rule (and the profile's before): 7,300 / 2 -> two
	 * segments, 2,920. */
	struct gt_config cfg = bsd_cubic_cfg();
	cfg.ecn = 1;
	ASSERT(cfg.ecn_halves_cwnd);
	struct dlg *d = dlg_new(&cfg);
	ASSERT_EQ(dlg_connect(d) & (TH_ECE | TH_CWR), TH_ECE | TH_CWR);
	dlg_advance(d, RTT_US);
	dlg_send(d, TH_SYN | TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0,
		 &d->peer_syn_opts);
	d->peer_nxt++;
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(info(d).snd_cwnd_bytes, 10u * SEG);
	uint32_t una = d->snd_nxt;
	ASSERT_EQ(gt_send(d->s, d->sd, data, 15 * SEG, 0), 15 * SEG);
	uint32_t hi = drain_out(d, una);
	ASSERT_EQ(hi - una, 10u * SEG);
	dlg_advance(d, RTT_US);
	dlg_send(d, TH_ACK | TH_ECE, d->peer_nxt, hi, DLG_WIN, NULL, 0, NULL);
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 7300u);
	ASSERT_EQ(ti.snd_cwnd_bytes, 7300u);
	uint32_t hi2 = drain_out(d, hi);
	ASSERT_EQ(hi2 - hi, 5u * SEG);
	dlg_advance(d, RTT_US);
	dlg_send(d, TH_ACK | TH_ECE, d->peer_nxt, hi2, DLG_WIN, NULL, 0, NULL);
	ti = info(d);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 4326u);
	/* cwnd is then PRR's in the new congestion recovery (this ACK is
	 * below its snd_recover, SND.MAX + 1: tcp_do_prr_ack()), as for
	 * NewReno; not this test's matter. */
	dlg_free(d);
}

TEST(cubic_bsd_rto_err_undo_clears_the_congestion_event)
{
	/* cfg.rto_undo_bsd: one segment out, the RTO resends it (SND.NXT =
	 * SND.MAX again) and cubic_cong_signal(CC_RTO) sets
	 * CUBICFLAG_CONG_EVENT; its ACK comes 20 ms later, within SRTT/2 (50
	 * ms), on header prediction without timestamps: CC_RTO_ERR restores
	 * cwnd 14,600 and the initial ssthresh, and cubic_cong_signal(CC_RTO_ERR)
	 * clears CUBICFLAG_CONG_EVENT | CUBICFLAG_RTO_EVENT. The same ACK's
	 * cc_ack_received() then slow-starts (cwnd 14,600 <= SND.WND, SND.NXT
	 * = SND.MAX again): 16,060. No restart after idle follows: header
	 * prediction calls tcp_output() only "if (sbavail(&so->so_snd))", and
	 * its idle check compares with t_rxtcur, which tcp_timer_rexmt() backed
	 * off to 800 ms and CC_RTO_ERR leaves (branch h-bsd; before, the
	 * profile compared with the 500 ms before the backoff, and
	 * cubic_after_idle() and newreno_cc_after_idle() took cwnd back to
	 * 14,600). The first loss after: cwnd 16,060 not below W_max, no fast
	 * convergence, and a first event for cubic_ssthresh_update():
	 * ssthresh = 16,060 >> 1 = 8,030. With the event left set (no CUBIC
	 * undo): (16,060 * 179) >> 8 = 11,229. (7,300 before branch h-bsdcc,
	 * whose profile grew cwnd only when the flight filled it.) */
	struct dlg *d = bsd_cubic_open();
	ASSERT_EQ(gt_send(d->s, d->sd, data, SEG, 0), SEG);
	uint32_t hi = drain_out(d, d->iss + 1);
	for (int ms = 0; ms < 10000 && dlg_stats(d)->TcpTimeouts == 0; ms++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	ASSERT_EQ(info(d).snd_cwnd_bytes, (uint32_t)SEG);
	hi = drain_out(d, hi);
	dlg_advance(d, 20000);
	ack_to(d, hi);
	ASSERT_EQ(dlg_stats(d)->TcpSndRexmitBad, 1);
	struct gt_tcp_info ti = info(d);
	ASSERT_EQ(ti.snd_cwnd_bytes, 16060u);
	(void)first_flight_loss(d, hi);
	ASSERT_EQ(info(d).snd_ssthresh_bytes, 8030u);
	dlg_free(d);
}
