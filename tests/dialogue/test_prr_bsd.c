/* Proportional rate reduction (RFC 6937) in the FreeBSD profile's RFC 6675
 * recovery, as FreeBSD's tcp_do_prr_ack() computes it (net.inet.tcp.do_prr,
 * on by default since FreeBSD 14). Ten full segments go out (RFC 6928's
 * initial window), the first four are lost, and the peer SACKs the others
 * one ACK at a time: what matters is how many segments each ACK lets out. */
#include "dlg.h"

#define SEG DLG_MSS
#define NSEG 10

static uint8_t data[40 * SEG];

static struct dlg *bsd_ten_in_flight(bool prr)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.prr_bsd); /* the profile's default */
	cfg.prr_bsd = prr;   /* what pktrun sets for net.inet.tcp.do_prr */
	/* Segments and windows the dialogue can predict (dlg_config's). */
	cfg.opt_timestamps = false;
	cfg.opt_wscale = false;
	cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
	cfg.sndbuf_bytes = sizeof(data);
	cfg.oow_ack_window_ms = 0;
	for (int i = 0; i < 16; i++)
		cfg.isn_secret[i] = (uint8_t)(0x5a + 7 * i);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 5 + 3);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 30 * SEG, 0), 30 * SEG);
	for (uint32_t i = 0; i < NSEG; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, d->iss + 1 + i * SEG);
		ASSERT_EQ(g->len, SEG);
	}
	dlg_expect_none(d);
	return d;
}

/* Segment k (1-based) starts here. */
static uint32_t seg_at(const struct dlg *d, uint32_t k) { return d->iss + 1 + (k - 1) * SEG; }

/* The peer's ACK of ack_seg (1-based: segments before it arrived), SACKing
 * segments 5..upto. Returns how many segments the stack sent in answer. */
static size_t ack_sack(struct dlg *d, uint32_t ack_seg, uint32_t upto)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 5);
	o.sack[0].right = seg_at(d, upto + 1);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, ack_seg), DLG_WIN, NULL, 0, &o);
	size_t n = dlg_pending(d);
	dlg_drain(d);
	return n;
}

/* Segments 1-4 lost. The first two SACKs (of 5, 5-6) send segments 11 and
 * 12 by limited transmit; the third enters recovery with 12 out: ssthresh
 * 5 segments (newreno_cong_signal(): half of cwnd, the initial 10; limited
 * transmit's cwnd is put back before it), RecoverFS 12. FreeBSD sends the
 * fast retransmit alone (cwnd one segment), prr_delivered starts at one
 * segment, prr_out at one. Then, with pipe (FreeBSD's: flight - SACKed +
 * retransmitted) at or above ssthresh, each ACK lets out
 * ceil(prr_delivered * 5 / 12) - prr_out, rounded up to a segment (in
 * bytes, as FreeBSD computes it):
 *   SACK 5-8:  delivered 2, 0.83 - 1           -> 0
 *   SACK 5-9:  delivered 3, 1.25 - 1           -> 1 (segment 2)
 *   SACK 5-10: delivered 4, 1.67 - 2           -> 0
 *   SACK 5-11: delivered 5, 2.08 - 2           -> 1 (segment 3)
 *   SACK 5-12: delivered 6, 2.5 - 3            -> 0
 * half a segment per segment delivered, where RFC 6675 (cwnd = ssthresh
 * at once, pipe without the lost segments) sends one for each. Then the
 * retransmissions arrive. FreeBSD computes pipe before SND.UNA moves, so
 * the segment a partial ACK acknowledges still counts in it:
 *   ACK of 1:  pipe 11 - 8 + 2 + 1 = 6, delivered 7: 2.92 - 3  -> 0
 *   ACK of 2:  pipe 10 - 8 + 1 + 1 = 4, under ssthresh: the slow-start
 *              bound, min(5 - 4, max(8 - 3, 1) + 1) -> 1 (segment 4) */
TEST(prr_bsd_recovery_sends_in_proportion_to_delivery)
{
	struct dlg *d = bsd_ten_in_flight(true);
	ASSERT_EQ(ack_sack(d, 1, 5), 1);  /* limited transmit: 11 */
	ASSERT_EQ(ack_sack(d, 1, 6), 1);  /* limited transmit: 12 */
	ASSERT_EQ(ack_sack(d, 1, 7), 1);  /* the fast retransmit only */
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	static const size_t want[] = {0, 1, 0, 1, 0};
	for (uint32_t k = 0; k < 5; k++)
		ASSERT_EQ(ack_sack(d, 1, 8 + k), want[k]);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 3); /* segments 1, 2, 3 */
	ASSERT_EQ(ack_sack(d, 2, 12), 0);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 3);
	ASSERT_EQ(ack_sack(d, 3, 12), 1);            /* segment 4 */
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 4);
	/* Everything through 12 acknowledged: recovery ends (RecoveryPoint
	 * was 12). FreeBSD's newreno_post_recovery() computes pipe before
	 * SND.UNA moves: 10 - 8 SACKed + 2 retransmitted = 4, under ssthresh,
	 * so cwnd is 4 + 1 = 5 segments; here the 10 segments this ACK
	 * acknowledged count in pipe, over ssthresh, so cwnd is ssthresh:
	 * the same 5, and 5 new segments (13..17) go at once. RFC 6582's
	 * min(flight + 1 SMSS, ssthresh), nothing left in flight, is one. */
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 13), DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 5);
	dlg_drain(d);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 5 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* net.inet.tcp.do_prr=0: RFC 6675 as before, cwnd ssthresh (5) at once and
 * pipe (lost segments out of it) deciding: 5 at the first SACK after the
 * entry (nothing goes), then 4 at each (one segment each). */
TEST(prr_bsd_off_sends_by_pipe)
{
	struct dlg *d = bsd_ten_in_flight(false);
	ASSERT_EQ(ack_sack(d, 1, 5), 1);
	ASSERT_EQ(ack_sack(d, 1, 6), 1);
	ASSERT_EQ(ack_sack(d, 1, 7), 1);
	static const size_t want[] = {0, 1, 1, 1, 1};
	for (uint32_t k = 0; k < 5; k++)
		ASSERT_EQ(ack_sack(d, 1, 8 + k), want[k]);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}
