/* NewReno's ssthresh in the FreeBSD profile, as FreeBSD's
 * newreno_cong_signal() sets it (sys/netinet/cc/cc.c, FreeBSD 14): after
 * an RTO (CC_RTO) half of min(SND.WND, cwnd) in whole segments, at least
 * two; after three duplicate ACKs (CC_NDUPACK) half of cwnd in whole
 * segments (beta 50), at least two. RFC 5681 eq. (4) takes half the
 * flight instead, which is what the profile did before. cwnd is the
 * initial window, 10 segments; the peer offers 8; 4 are in flight. */
#include "dlg.h"

#define SEG DLG_MSS

static uint8_t data[16 * SEG];

/* The FreeBSD profile without timestamps, window scaling or autotuning,
 * a send buffer for all of data, and a fixed ISN. */
static struct gt_config bsd_cfg(void)
{
	struct gt_config cfg;
	dlg_config_plain(&cfg, GT_PROFILE_FREEBSD);
	cfg.sndbuf_bytes = sizeof(data);
	return cfg;
}

/* An established passive connection of cfg with 16 segments written and
 * the initial window's 10 sent. */
static struct dlg *bsd_ten_sent(struct gt_config *cfg)
{
	struct dlg *d = dlg_new(cfg);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 16 * SEG, 0), 16 * SEG);
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(dlg_next(d)->len, SEG);
	dlg_expect_none(d);
	return d;
}

static struct dlg *bsd_four_in_flight(bool sack)
{
	struct gt_config cfg = bsd_cfg();
	ASSERT_EQ(cfg.cc, GT_CC_NEWRENO);
	ASSERT(cfg.reno_ssthresh_cwnd && cfg.reno_rto_ssthresh_wnd);
	cfg.limited_transmit = false;
	/* The peer's window shrinks by an update with the handshake's
	 * SEQ and ACK, which FreeBSD would ignore (only a larger window is
	 * taken from one: test_wnd_update.c); RFC 9293's rule takes it. */
	cfg.wnd_update = GT_WND_UPDATE_RFC;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = sack;
	dlg_established_passive(d);
	/* The peer's window shrinks to 8 segments (a window update). */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 8 * SEG, NULL, 0, NULL);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 4 * SEG, 0), 4 * SEG);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(dlg_next(d)->len, SEG);
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 10u * SEG);
	return d;
}

TEST(newreno_bsd_rto_ssthresh_is_half_the_smaller_of_window_and_cwnd)
{
	struct dlg *d = bsd_four_in_flight(false);
	/* Up to the first RTO (FreeBSD's slop added to it), 1 ms at a time. */
	for (int ms = 0; ms < 5000 && dlg_stats(d)->TcpTimeouts == 0; ms++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	/* min(8, 10) / 2 = 4 segments; half the flight would be 2. */
	ASSERT_EQ(ti.snd_ssthresh_bytes, 4u * SEG);
	ASSERT_EQ(ti.snd_cwnd_bytes, (uint32_t)SEG);
	dlg_free(d);
}

TEST(newreno_bsd_fast_retransmit_ssthresh_is_half_of_cwnd)
{
	struct dlg *d = bsd_four_in_flight(false);
	/* Segment 1 lost: three duplicate ACKs for 2, 3, 4. */
	for (int i = 0; i < 3; i++)
		dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, 8 * SEG, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1); /* the fast retransmit */
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	/* 10 / 2 = 5 segments; half the flight would be 2. */
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5u * SEG);
	dlg_free(d);
}

TEST(newreno_bsd_entry_inflation_less_limited_transmit)
{
	/* FreeBSD's tcp_do_segment(), without SACK: at the third duplicate
	 * cwnd = ssthresh + (DupAcks - snd_limited) segments, where
	 * snd_limited counts the segments limited transmit let out past
	 * cwnd on the first two (RFC 3042); RFC 6582 3.2 step 3 adds 3
	 * whatever they were. cwnd 10 full, 16 segments to send. */
	struct gt_config cfg = bsd_cfg();
	ASSERT(cfg.recovery_bsd && cfg.limited_transmit);
	struct dlg *d = bsd_ten_sent(&cfg);
	/* Segment 1 lost: the first two duplicates each let one new
	 * segment out (limited transmit). */
	for (int i = 0; i < 2; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, NULL, 0, NULL);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, d->iss + 1 + (uint32_t)(10 + i) * SEG);
		dlg_expect_none(d);
	}
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1); /* the fast retransmit */
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5u * SEG);
	/* 5 + (3 - 2) segments; RFC 6582 would make it 5 + 3. */
	ASSERT_EQ(ti.snd_cwnd_bytes, 6u * SEG);
	dlg_free(d);
}

TEST(newreno_bsd_slow_start_ack_of_two_segments_lets_four_out)
{
	/* FreeBSD's newreno_cc_cwnd_in_slow_start(): an ACK grows cwnd by
	 * what it acknowledged up to abc_l_var = 2 segments, so a delayed
	 * ACK of two lets four new segments out (cwnd 10 -> 12, 8 in
	 * flight). RFC 5681's L = 1 (the profile before) let three out. */
	struct gt_config cfg = bsd_cfg();
	ASSERT(cfg.slow_start_bsd);
	struct dlg *d = bsd_ten_sent(&cfg);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + 2 * SEG, DLG_WIN, NULL, 0, NULL);
	for (int i = 0; i < 4; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, d->iss + 1 + (uint32_t)(10 + i) * SEG);
	}
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 12u * SEG);
	dlg_free(d);
}
