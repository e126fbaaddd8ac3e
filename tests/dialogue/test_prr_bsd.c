/* Proportional rate reduction (RFC 6937) in the FreeBSD profile's RFC 6675
 * recovery, as FreeBSD's tcp_do_prr_ack() computes it (net.inet.tcp.do_prr,
 * on by default since FreeBSD 14). Ten full segments go out (RFC 6928's
 * initial window), the first four are lost, and the peer SACKs the others
 * one ACK at a time: what matters is how many segments each ACK lets out. */
#include "dlg.h"

#define SEG DLG_MSS
#define NSEG 10

static uint8_t data[40 * SEG];

/* What the SACK dialogues below share: no timestamps or window scaling,
 * fixed buffers the size of data[], every out-of-window ACK answered. */
static void sack_dialogue_cfg(struct gt_config *cfg)
{
	cfg->opt_timestamps = false;
	cfg->opt_wscale = false;
	cfg->rcvbuf_autotune = cfg->sndbuf_autotune = false;
	cfg->sndbuf_bytes = sizeof(data);
	cfg->oow_ack_window_ms = 0;
}

/* The FreeBSD profile with PRR as given, the peer SACKing or not; with ecn,
 * an active open that agrees on ECN (the peer's SYN-ACK has ECE). */
static struct dlg *bsd_ten_rev(bool prr, bool sack, bool ecn, bool unrevised)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.prr_bsd && cfg.recovery_bsd); /* the profile's defaults */
	cfg.prr_bsd = prr;   /* what pktrun sets for net.inet.tcp.do_prr */
	cfg.sack_unrevised_bsd = unrevised; /* net.inet.tcp.sack.revised=0 */
	/* Segments and windows the dialogue can predict (dlg_config's). */
	sack_dialogue_cfg(&cfg);
	if (ecn)
		cfg.ecn = 1; /* net.inet.tcp.ecn.enable = 1: ask */
	dlg_fixed_isn(&cfg);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = sack;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 5 + 3);
	if (ecn) {
		ASSERT_EQ(dlg_connect(d), TH_SYN | TH_ECE | TH_CWR);
		dlg_send(d, TH_SYN | TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0,
			 &d->peer_syn_opts);
		d->peer_nxt++;
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(dlg_stats(d)->TcpECNNegotiated, 1);
	} else {
		dlg_established_passive(d);
	}
	ASSERT_EQ(gt_send(d->s, d->sd, data, 30 * SEG, 0), 30 * SEG);
	for (uint32_t i = 0; i < NSEG; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, d->iss + 1 + i * SEG);
		ASSERT_EQ(g->len, SEG);
	}
	dlg_expect_none(d);
	return d;
}

static struct dlg *bsd_ten(bool prr, bool sack, bool ecn)
{
	return bsd_ten_rev(prr, sack, ecn, false);
}

static struct dlg *bsd_ten_in_flight(bool prr) { return bsd_ten(prr, true, false); }

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

/* The peer's ACK of ack_seg with the SACK blocks o; how many segments the
 * stack sent in answer. */
static size_t ack_sack_raw(struct dlg *d, uint32_t ack_seg, const struct tcp_opts *o)
{
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, ack_seg), DLG_WIN, NULL, 0, o);
	size_t n = dlg_pending(d);
	dlg_drain(d);
	return n;
}

/* A bare ACK at seq and nothing else in answer to the last segment sent
 * to the stack: a partial ACK of a SACK recovery whose output sends no
 * data still sends the ACK TF_ACKNOW asks for (tcp_do_segment() sets it
 * before tcp_output(), tcp_sack_partialack() too; freebsd main,
 * fel1x-developer/freebsd-src 2d614aa), at SND.MAX. */
static void expect_bare_ack(struct dlg *d, uint32_t seq)
{
	ASSERT_EQ(dlg_pending(d), 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->len, 0);
	ASSERT_EQ(g->h.flags, TH_ACK);
	ASSERT_EQ(g->h.seq, seq);
	dlg_expect_none(d);
}

/* Segments 1-4 lost. The first two SACKs (of 5, 5-6) send segments 11 and
 * 12 by limited transmit; the third enters recovery with 12 out: ssthresh
 * 5 segments (newreno_cong_signal(): half of cwnd, the initial 10; limited
 * transmit's cwnd is put back before it), RecoverFS 12. FreeBSD sends the
 * fast retransmit alone (cwnd one segment), prr_delivered starts at one
 * segment, prr_out at one. pipe is freebsd main's tcp_compute_pipe():
 * flight - SACKed + retransmitted - lost_bytes, the hole [1, 5) lost (more
 * than 2 segments SACKed above it; cfg.pipe_lost_bsd). In segments:
 *   SACK 5-8:  pipe 12 - 4 + 1 - 4 = 5, at ssthresh: the proportional
 *              part, delivered 2, ceil(2 * 5 / 12) - 1 -> 0
 *   SACK 5-9:  pipe 4, under it: the slow-start bound, min(5 - 4,
 *              max(3 - 1, 1) + 1)                     -> 1 (segment 2)
 *   SACK 5-10, 5-11: pipe 4 (a segment SACKed, one resent) -> 1 each
 *              (segments 3 and 4)
 *   SACK 5-12: pipe 4, no hole left                   -> 1 (new, 13)
 * where the holes counted in flight until SACKed (2bae602e's pipe) sent
 * 0, 1, 0, 1, 0. Then the retransmissions arrive. FreeBSD computes pipe
 * before SND.UNA moves, so the segment a partial ACK acknowledges still
 * counts in it:
 *   ACK of 1:  pipe 13 - 8 + 3 - 3 = 5, delivered 7: 2.92 - 5  -> 0,
 *              a bare ACK (TF_ACKNOW; none before branch h-bsdrec)
 *   ACK of 2:  pipe 12 - 8 + 2 - 2 = 4, under ssthresh: the slow-start
 *              bound, min(5 - 4, max(8 - 5, 1) + 1) -> 1 (new, 14) */
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
	static const size_t want[] = {0, 1, 1, 1, 1};
	for (uint32_t k = 0; k < 5; k++)
		ASSERT_EQ(ack_sack(d, 1, 8 + k), want[k]);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 4); /* segments 1-4; 13 is new */
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 5);
	o.sack[0].right = seg_at(d, 13);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 2), DLG_WIN, NULL, 0, &o);
	expect_bare_ack(d, seg_at(d, 14));
	ASSERT_EQ(ack_sack(d, 3, 12), 1);            /* new segment 14 */
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 4);
	/* Everything through 12 acknowledged: recovery ends (RecoveryPoint
	 * was 12). FreeBSD's newreno_post_recovery() computes pipe before
	 * SND.UNA moves, with the 10 segments this ACK acknowledges still in
	 * it: over ssthresh, so cwnd is ssthresh, 5; 13 and 14 are out, so 3
	 * new segments (15..17) go at once. RFC 6582's min(flight + 1 SMSS,
	 * ssthresh) is 3, and one goes. */
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 13), DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 3);
	dlg_drain(d);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 5 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* net.inet.tcp.do_prr=0: FreeBSD's recovery without PRR (tcp_do_segment()),
 * not RFC 6675's: the entry sets cwnd to one segment (the fast retransmit
 * fills it), and a later duplicate adds a segment only while awnd =
 * tcp_compute_pipe() (SND.MAX - SND.UNA + sack_bytes_rexmit -
 * sacked_bytes - lost_bytes, freebsd main) is below ssthresh (5): 5, then
 * 4, 4, 4, 4 segments here, the lost hole [1, 5) left out but for what was
 * resent of it: 0, 1, 1, 1, 1 sent, cwnd 5. With the holes counted in
 * flight until SACKed (2bae602e's pipe: 9, 8, 7, 6, 5) nothing went. With
 * sack.revised=0 (awnd SND.NXT - snd_fack + sack_bytes_rexmit: 5, 4, 4,
 * 4, 4) the same (tests/pkt/freebsd/sack-noprr-rfc6675-pipe-*.pkt). */
static void prr_off_dupacks(bool unrevised, const size_t want[5], uint32_t cwnd_segs)
{
	struct dlg *d = bsd_ten_rev(false, true, false, unrevised);
	ASSERT_EQ(ack_sack(d, 1, 5), 1);
	ASSERT_EQ(ack_sack(d, 1, 6), 1);
	ASSERT_EQ(ack_sack(d, 1, 7), 1);
	for (uint32_t k = 0; k < 5; k++)
		ASSERT_EQ(ack_sack(d, 1, 8 + k), want[k]);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, cwnd_segs * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

TEST(prr_bsd_off_lost_holes_leave_awnd)
{
	static const size_t want[] = {0, 1, 1, 1, 1};
	prr_off_dupacks(false, want, 5);
}

TEST(prr_bsd_off_unrevised_awnd_grows_cwnd)
{
	static const size_t want[] = {0, 1, 1, 1, 1};
	prr_off_dupacks(true, want, 5);
}

/* Recovery entered on an ACK that moves SND.UNA (FreeBSD's tcp_do_segment():
 * an advancing ACK with new SACK information counts as a DupAck, and with
 * more than 2 SMSS SACKed above it goes to enter_recovery, then on as a
 * partial ACK, resume_partialack). Segment 1 arrives, 2 is lost, 3-5
 * arrive: the ACK of 1 SACKs 3-5, 3 segments. ssthresh 5 (half of the
 * initial 10, from cwnd before this ACK), the fast retransmit of segment 2
 * (cwnd one segment), then tcp_do_prr_ack() for the same ACK:
 * prr_delivered 1 + 3: the ACK's delivered_data is the 3 SACKed alone,
 * not segment 1, since tcp_sack_doack() takes [SND.UNA, SEG.ACK) as a
 * block only while the scoreboard has holes, and it had none (tcp_sack.c
 * 0ae9dc87). RecoverFS the 10 out before the ACK, prr_out 1, pipe taken
 * before SND.UNA moves: 10 - 3 SACKed + 1 retransmitted = 8, over
 * ssthresh: ceil(4 * 5 / 10) - 1 = 1 segment, new data 11 (branch
 * h-bsdprr; before, segment 1 counted too: 1.5, rounded up, 11 and 12).
 * Without the rule, the ACK grows cwnd and sends 11 and 12, and recovery
 * waits for the next SACK. */
TEST(prr_bsd_recovery_entered_on_an_advancing_ack)
{
	struct dlg *d = bsd_ten_in_flight(true);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 3);
	o.sack[0].right = seg_at(d, 6);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 2), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, seg_at(d, 2)); /* the fast retransmit first */
	ASSERT_EQ(g->len, SEG);
	ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 11));
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 1);
	/* A second SACK of the same hole (3-6) is a DupAck in the recovery:
	 * prr_delivered 5, pipe 10 - 4 + 1 = 7, ceil(5 * 5 / 10) - 2 = 0.5,
	 * rounded up: segment 12 goes. */
	o.sack[0].right = seg_at(d, 7);
	ASSERT_EQ(ack_sack_raw(d, 2, &o), 1);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* PRR during an ECN reduction (FreeBSD's tcp_do_segment(): CC_ECN signalled
 * before the ACK is processed; newreno_cong_signal() halves cwnd and
 * ssthresh at once and enters congestion recovery; then every ACK that
 * advances below snd_recover, SND.MAX + 1 at the ECE, goes through
 * tcp_do_prr_ack() with DeliveredData the bytes it acknowledged, and cwnd
 * = pipe - DeliveredData + the segments PRR lets out). No SACK, 10 in
 * flight, each ACK acknowledges one segment, the first with ECE. ssthresh
 * 5; RecoverFS 10 (the flight at the first ACK, recover_fs still 0); pipe
 * (SND.UNA not yet moved) 10, 10, 9, 9, 8, over ssthresh, so each ACK lets
 * out ceil(prr_delivered * 5 / 10) - prr_out, rounded up to a segment:
 *   ACK of 1 (ECE): 0.5 - 0 -> 1 (segment 11, with CWR)
 *   ACK of 2:       1   - 1 -> 0
 *   ACK of 3:       1.5 - 1 -> 1 (segment 12)
 *   ACK of 4:       2   - 2 -> 0
 *   ACK of 5:       2.5 - 2 -> 1 (segment 13)
 * Without PRR, cwnd 5 against 9, 8, ... in flight sends nothing. */
TEST(prr_bsd_ecn_reduction_sends_in_proportion)
{
	struct dlg *d = bsd_ten(true, false, true);
	static const size_t want[] = {1, 0, 1, 0, 1};
	for (uint32_t k = 0; k < 5; k++) {
		uint8_t ece = k == 0 ? TH_ECE : 0;
		dlg_send(d, TH_ACK | ece, d->peer_nxt, seg_at(d, k + 2), DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_pending(d), want[k]);
		if (k == 0) {
			const struct dlg_seg *g = dlg_next(d);
			ASSERT_EQ(g->h.seq, seg_at(d, 11));
			ASSERT(g->h.flags & TH_CWR);
		}
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 0);
	dlg_free(d);
}

/* net.inet.tcp.do_prr=0: the ECE halves cwnd and nothing more; 9, 8, 7, 6
 * in flight against 5 send nothing. */
TEST(prr_bsd_off_ecn_reduction_waits)
{
	struct dlg *d = bsd_ten(false, false, true);
	for (uint32_t k = 0; k < 4; k++) {
		uint8_t ece = k == 0 ? TH_ECE : 0;
		dlg_send(d, TH_ACK | ece, d->peer_nxt, seg_at(d, k + 2), DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_pending(d), 0);
	}
	ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
	dlg_free(d);
}

/* Without SACK, PRR's arithmetic never runs in FreeBSD (tcp_do_prr_ack() is
 * called in fast recovery only with TF_SACK_PERMIT); what tcp_do_prr
 * changes is the entry: with it (or SACK) tcp_do_segment() checks only
 * IN_FASTRECOVERY, not RFC 6582's snd_recover. After an RTO, whose
 * snd_recover is SND.MAX (tcp_timer_rexmt()), three duplicate ACKs below
 * it start a fast recovery: ssthresh half of cwnd (one segment after the
 * RTO), at least 2 segments. */
static struct dlg *bsd_rto_then_three_dupacks(bool prr)
{
	struct dlg *d = bsd_ten(prr, false, false);
	for (int ms = 0; ms < 5000 && dlg_stats(d)->TcpTimeouts == 0; ms++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, seg_at(d, 1));
	dlg_drain(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG); /* CC_RTO: min(wnd, 10) / 2 */
	for (int i = 0; i < 3; i++)
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, NULL);
	return d;
}

TEST(prr_bsd_no_sack_recovery_after_rto_below_recover)
{
	struct dlg *d = bsd_rto_then_three_dupacks(true);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 2 * SEG);
	dlg_free(d);
}

/* net.inet.tcp.do_prr=0 and no SACK: RFC 6582's bar holds (ACK at or below
 * snd_recover), no fast retransmit. */
TEST(prr_bsd_off_no_sack_no_recovery_below_recover)
{
	struct dlg *d = bsd_rto_then_three_dupacks(false);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 0);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	dlg_free(d);
}

/* A fast recovery that starts while an ECN reduction runs keeps the
 * ssthresh the ECE set (FreeBSD's newreno_cong_signal(): CC_NDUPACK sets
 * ssthresh only outside congestion recovery, IN_CONGRECOVERY). SACK and
 * ECN, 10 in flight; the ACKs of 1-4, the first with ECE, halve cwnd and
 * ssthresh to 5 and run by PRR (segments 11 and 12 go), leaving cwnd 8,
 * the flight (5-12). Segment 5 is lost: ACKs of 4 SACKing 6, 6-7, 6-8
 * start a fast recovery below the ECE's snd_recover. ssthresh stays 5;
 * halved again from cwnd 8 it was 4. */
TEST(prr_bsd_recovery_during_ecn_reduction_keeps_ssthresh)
{
	struct dlg *d = bsd_ten(true, true, true);
	for (uint32_t k = 0; k < 4; k++) {
		uint8_t ece = k == 0 ? TH_ECE : 0;
		dlg_send(d, TH_ACK | ece, d->peer_nxt, seg_at(d, k + 2), DLG_WIN, NULL, 0, NULL);
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT_EQ(ti.snd_cwnd_bytes, 8 * SEG);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 6);
	for (uint32_t k = 0; k < 3; k++) {
		o.sack[0].right = seg_at(d, 7 + k);
		(void)ack_sack_raw(d, 5, &o);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
	dlg_free(d);
}

/* net.inet.tcp.do_prr=0: the ACKs of an ECN reduction do not grow cwnd
 * (newreno_ack_received() skips IN_RECOVERY, congestion recovery
 * included) until one reaches snd_recover, SND.MAX + 1 at the ECE. No
 * SACK, 10 in flight, each ACK acknowledges one segment, the first with
 * ECE: cwnd stays 5 through the ACK of segment 10, while 11-14 go as the
 * flight drops under it; the ACK of 11, past snd_recover, ends the
 * reduction and grows nothing either (newreno_ack_received() runs before
 * EXIT_RECOVERY); a cwnd's worth acknowledged after it (congestion
 * avoidance, cwnd at ssthresh) grows it again. */
TEST(prr_bsd_off_ecn_reduction_acks_do_not_grow_cwnd)
{
	struct dlg *d = bsd_ten(false, false, true);
	struct gt_tcp_info ti;
	for (uint32_t k = 0; k < 11; k++) {
		uint8_t ece = k == 0 ? TH_ECE : 0;
		dlg_send(d, TH_ACK | ece, d->peer_nxt, seg_at(d, k + 2), DLG_WIN, NULL, 0, NULL);
		dlg_drain(d);
		dlg_info(d, d->sd, &ti);
		ASSERT_EQ(ti.snd_cwnd_bytes, 5 * SEG);
	}
	ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
	for (uint32_t k = 13; k < 19; k++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, k), DLG_WIN, NULL, 0, NULL);
		dlg_drain(d);
	}
	dlg_info(d, d->sd, &ti);
	ASSERT(ti.snd_cwnd_bytes > 5 * SEG);
	dlg_free(d);
}

/* Every fast recovery ends as newreno_post_recovery() has it, not only one
 * that ran by PRR: cwnd from tcp_compute_pipe(), taken before SND.UNA
 * moves (without SACK, SND.MAX - SND.UNA): ssthresh if pipe reached it,
 * else pipe + 1 segment. No SACK, segment 1 lost: the first two duplicates
 * send 11 and 12 by limited transmit, the third the fast retransmit
 * (ssthresh 5). The ACK of everything (12 segments in pipe, over
 * ssthresh) leaves cwnd 5, and 13-17 go at once; RFC 6582's min(flight +
 * 1 SMSS, ssthresh), nothing left in flight, was one segment. */
TEST(prr_bsd_newreno_recovery_ends_with_cwnd_from_pipe)
{
	struct dlg *d = bsd_ten(true, false, false);
	for (int i = 0; i < 3; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, NULL);
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 13), DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 5);
	dlg_drain(d);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 5 * SEG);
	dlg_free(d);
}

/* The same with SACK and do_prr=0 (RFC 6675's recovery, cwnd ssthresh at
 * once): segment 1 lost, SACKs of 2, 2-3, 2-4 send 11 and 12 by limited
 * transmit, then the fast retransmit (ssthresh 5; pipe 9 with 1 counted
 * lost and resent, nothing more goes). The ACK of 1-12 (12 segments in
 * pipe, over ssthresh) leaves cwnd 5, and 13-17 go at once; RFC 6582's
 * rule gave one segment. */
TEST(prr_bsd_off_sack_recovery_ends_with_cwnd_from_pipe)
{
	struct dlg *d = bsd_ten(false, true, false);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 2);
	static const size_t want[] = {1, 1, 1};
	for (uint32_t k = 0; k < 3; k++) {
		o.sack[0].right = seg_at(d, 3 + k);
		ASSERT_EQ(ack_sack_raw(d, 1, &o), want[k]);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 13), DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 5);
	dlg_drain(d);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 5 * SEG);
	dlg_free(d);
}

/* The same entry with do_prr=0: ssthresh 5, cwnd one segment, tcp_output()
 * resends segment 2; then the ACK goes on as a partial ACK
 * (resume_partialack) to tcp_sack_partialack(): cwnd = sack_bytes_rexmit
 * 1 + SND.NXT - snd_recover 0 + 1 segment (the ACK covered one) = 2, new
 * data within 2 - 0 - 1: segment 11. The second SACK (3-6) is a duplicate
 * in the recovery: awnd = tcp_compute_pipe() = 10 + 1 - 4 = 7 segments,
 * not below ssthresh: cwnd stays 2, and 2 - 1 - 1 leaves no room. */
TEST(prr_bsd_off_recovery_entered_on_an_advancing_ack)
{
	struct dlg *d = bsd_ten_in_flight(false);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 3);
	o.sack[0].right = seg_at(d, 6);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 2), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, seg_at(d, 2));
	ASSERT_EQ(g->len, SEG);
	ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 11));
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT_EQ(ti.snd_cwnd_bytes, 2 * SEG);
	o.sack[0].right = seg_at(d, 7);
	ASSERT_EQ(ack_sack_raw(d, 2, &o), 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 2 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* A connection that agreed on SACK, whose peer sends no SACK blocks (a
 * middlebox strips them): FreeBSD's tcp_do_segment() counts its duplicates
 * as without SACK (tcp_is_sack_recovery() false, the window unchecked
 * under TF_SACK_PERMIT) and enters recovery as without SACK. Segment 1
 * lost; duplicates of the ACK of nothing send 11 and 12 by limited
 * transmit, the third the fast retransmit (ssthresh 5, cwnd 5 + 3 - 2).
 * With PRR, prr_delivered starts at 3 segments (min(flight, DupAcks *
 * SMSS)), RecoverFS 12, prr_out 1; each later duplicate goes through
 * tcp_do_prr_ack()'s branch without SACK information: one segment
 * delivered, pipe the flight less a segment per duplicate (12 - 4 = 8,
 * 13 - 5, 14 - 6, 14 - 7, 14 - 8), over ssthresh until the last, and
 * ceil(prr_delivered * 5 / 12) - prr_out, rounded up to a segment:
 *   dup 4: 1.67 - 1 -> 1 (13)    dup 5: 2.08 - 2 -> 1 (14)
 *   dup 6: 2.5 - 3  -> 0         dup 7: 2.92 - 3 -> 0
 *   dup 8: pipe 6 still over 5: 3.33 - 3 -> 1 (15)
 * Before, none of them counted (RFC 6675's DupAck needs new SACK
 * information) and the loss waited for the RTO. */
static struct dlg *bsd_blockless_recovery(bool prr)
{
	struct dlg *d = bsd_ten(prr, true, false);
	static const size_t want[] = {1, 1, 1};
	for (uint32_t k = 0; k < 3; k++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_pending(d), want[k]);
		if (k == 2)
			ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 1));
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT_EQ(ti.snd_cwnd_bytes, 6 * SEG);
	return d;
}

TEST(prr_bsd_sack_peer_without_blocks_recovers_by_prr)
{
	struct dlg *d = bsd_blockless_recovery(true);
	static const size_t want[] = {1, 1, 0, 0, 1};
	for (uint32_t k = 0; k < 5; k++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_pending(d), want[k]);
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* do_prr=0: each later duplicate inflates cwnd by a segment, as without
 * SACK (6 + 1 ... against 12 in flight): the seventh goes at cwnd 13. */
TEST(prr_bsd_off_sack_peer_without_blocks_inflates)
{
	struct dlg *d = bsd_blockless_recovery(false);
	static const size_t want[] = {0, 0, 0, 0, 0, 0, 1, 1};
	for (uint32_t k = 0; k < 8; k++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_pending(d), want[k]);
		dlg_drain(d);
	}
	dlg_free(d);
}

/* A partial ACK without SACK blocks in a recovery that runs by PRR goes to
 * tcp_sack_partialack(), not tcp_do_prr_ack() (tcp_do_segment() calls the
 * latter only with TOF_SACK): cwnd min(ssthresh, sack_bytes_rexmit +
 * SND.NXT - snd_recover + one segment, the ACK covering one), and
 * tcp_output() resends the next hole in what that leaves. The recovery of
 * prr_bsd_recovery_sends_in_proportion_to_delivery: 1-4 lost; after the
 * SACKs of 5-8 and 5-9, 1 and 2 resent; the ACK of 1 comes without SACK
 * blocks: one segment resent and out, nothing new past the recovery
 * point, cwnd 2, so one segment of room: 3 goes. Through tcp_do_prr_ack()
 * (the ACK with its blocks: pipe 12 - 5 + 1 - 3 lost = 5, at ssthresh,
 * prr_delivered 4, ceil(4 * 5 / 12) - 2) nothing went. */
TEST(prr_bsd_partial_ack_without_blocks_sends_as_sack_partialack)
{
	struct dlg *d = bsd_ten_in_flight(true);
	ASSERT_EQ(ack_sack(d, 1, 5), 1);
	ASSERT_EQ(ack_sack(d, 1, 6), 1);
	ASSERT_EQ(ack_sack(d, 1, 7), 1);
	static const size_t want[] = {0, 1};
	for (uint32_t k = 0; k < 2; k++)
		ASSERT_EQ(ack_sack(d, 1, 8 + k), want[k]);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 2);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 2), DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, seg_at(d, 3));
	ASSERT_EQ(g->len, SEG);
	dlg_drain(d);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 3);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* Without SACK a partial ACK resends from the ACK whatever was resent
 * before (FreeBSD's tcp_newreno_partial_ack(): snd_nxt = th_ack, cwnd one
 * segment past it, tcp_output()), also when the ACK lands inside the fast
 * retransmission, as when the peer took half of it (a smaller path MTU
 * split it). Segment 1 lost, resent after three duplicates; the ACK of
 * its first half draws a full segment from there. Before, the profile
 * resent only once the ACK passed its last retransmission, as Linux, and
 * the second half waited for the RTO. */
TEST(prr_bsd_newreno_partial_ack_inside_the_retransmission_resends)
{
	struct dlg *d = bsd_ten(true, false, false);
	for (int i = 0; i < 3; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, NULL);
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 1);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1) + SEG / 2, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, seg_at(d, 1) + SEG / 2);
	ASSERT_EQ(g->len, SEG);
	dlg_drain(d);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 2);
	dlg_free(d);
}

/* Ten segments written, all out (the application limited: nothing waits),
 * the peer SACKing; the FreeBSD profile with PRR, the rescue hole on (the
 * profile's default, net.inet.tcp.sack.revised=1) or off
 * (cfg.sack_partialack_rescue, sack.revised=0). */
static struct dlg *bsd_ten_written(bool rescue)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.prr_bsd && cfg.recovery_bsd && cfg.sack_partialack_rescue &&
	       !cfg.sack_unrevised_bsd);
	cfg.sack_partialack_rescue = rescue;
	sack_dialogue_cfg(&cfg);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, NSEG * SEG, 0), NSEG * SEG);
	for (uint32_t i = 0; i < NSEG; i++)
		ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, i + 1));
	dlg_expect_none(d);
	return d;
}

/* Segments 1 and 10 lost: SACKs of 2..k enter recovery at the third
 * (1 resent) and send nothing after (no hole left, nothing new). The
 * cumulative ACK of 1-9 without blocks is a partial ACK below snd_recover
 * (SND.MAX: nothing new went) that empties the scoreboard:
 * tcp_sack_partialack() (rscheff/freebsd-src, V_tcp_do_newsack) inserts
 * the hole [SND.MAX - maxseg, SND.MAX) and tcp_output() resends segment
 * 10 at once. Without it, no data goes until the RTO: only the bare ACK
 * of TF_ACKNOW (expect_bare_ack()). */
static void tail_lost(bool rescue)
{
	struct dlg *d = bsd_ten_written(rescue);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 2);
	for (uint32_t k = 2; k <= 9; k++) {
		o.sack[0].right = seg_at(d, k + 1);
		size_t n = ack_sack_raw(d, 1, &o);
		ASSERT_EQ(n, k == 4 ? 1u : 0u);
	}
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 1);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 10), DLG_WIN, NULL, 0, NULL);
	if (rescue) {
		ASSERT_EQ(dlg_pending(d), 1);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, seg_at(d, 10));
		ASSERT_EQ(g->len, SEG);
		ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 2);
	} else {
		expect_bare_ack(d, seg_at(d, 11));
		ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 1);
	}
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 11), DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

TEST(prr_bsd_partial_ack_emptying_the_scoreboard_resends_the_tail)
{
	tail_lost(true);
}

TEST(prr_bsd_partial_ack_emptying_the_scoreboard_sack_revised_0_waits)
{
	tail_lost(false);
}

/* An ACK at SND.UNA without SACK blocks while the rescue hole is on the
 * scoreboard is no duplicate: tcp_is_sack_recovery() (freebsd main as
 * stored in fel1x-developer/freebsd-src 2d614aa, tcp_input.c) holds on
 * "!TAILQ_EMPTY(&tp->snd_holes)", tcp_sack_doack() finds SACK_NOCHANGE and
 * tcp_do_segment() "break"s to step 6. tail_lost()'s recovery: the ACK of
 * 1-9 without blocks makes the hole [10, 11) and resends 10, cwnd
 * tcp_sack_partialack()'s 0 + 0 + 2 segments (nine acknowledged). Three
 * more ACKs of 1-9 without blocks send nothing and leave that cwnd (each
 * counted in dupacks_in as tcps_rcvdupack counts it, no duplicate). Before branch h-bsd4 each was a duplicate without SACK
 * (nothing being SACKed): counted, through tcp_do_prr_ack()'s branch
 * without SACK, cwnd held at the flight (one segment). */
TEST(prr_bsd_ack_without_blocks_over_the_rescue_hole_is_no_duplicate)
{
	struct dlg *d = bsd_ten_written(true);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 2);
	for (uint32_t k = 2; k <= 9; k++) {
		o.sack[0].right = seg_at(d, k + 1);
		ack_sack_raw(d, 1, &o);
	}
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 10), DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_pending(d), 1);
	ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 10));
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint64_t dups = ti.dupacks_in;
	ASSERT_EQ(ti.snd_cwnd_bytes, 2 * SEG);
	for (int i = 0; i < 3; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 10), DLG_WIN, NULL, 0, NULL);
		dlg_expect_none(d);
	}
	dlg_info(d, d->sd, &ti);
	/* Each is counted in tcps_rcvdupack ("tlen == 0 && (... ||
	 * TF_SACK_PERMIT)", before the SACK_NOCHANGE break: dupacks_in,
	 * cfg.rcvdupack_bsd) and is no duplicate: cwnd stays. */
	ASSERT_EQ(ti.dupacks_in, dups + 3);
	ASSERT_EQ(ti.snd_cwnd_bytes, 2 * SEG);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 2);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 11), DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* No rescue while holes remain: the partial ACK of 1 (segments 1 and 3
 * lost, 2 and 4-10 SACKed) leaves the hole at 3, which
 * tcp_sack_partialack()'s output resends unless PRR resent it already
 * (then a bare ACK at SND.MAX goes: TF_ACKNOW); the tail is SACKed,
 * nothing is rescued. */
TEST(prr_bsd_partial_ack_with_holes_left_rescues_nothing)
{
	struct dlg *d = bsd_ten_written(true);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 2;
	o.sack[0].left = seg_at(d, 4);
	o.sack[1].left = seg_at(d, 2);
	o.sack[1].right = seg_at(d, 3);
	for (uint32_t k = 4; k <= 10; k++) {
		o.sack[0].right = seg_at(d, k + 1);
		ack_sack_raw(d, 1, &o);
	}
	uint64_t rtx = dlg_stats(d)->TcpRetransSegs;
	ASSERT_GE(rtx, 1);
	memset(&o, 0, sizeof(o));
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 3), DLG_WIN, NULL, 0, NULL);
	size_t n = dlg_pending(d);
	ASSERT_GE(n, 1);
	for (size_t i = 0; i < n; i++) {
		const struct dlg_seg *g = dlg_next(d);
		if (g->len)
			ASSERT((int32_t)(g->h.seq - seg_at(d, 4)) < 0);
		else
			ASSERT_EQ(g->h.seq, seg_at(d, 11)); /* TF_ACKNOW's, at SND.MAX */
	}
	dlg_free(d);
}

/* SACK blocks as FreeBSD's tcp_sack_doack() filters them
 * (cfg.sack_doack_bsd): a block from at or below SEG.ACK to past it is
 * dropped whole (TcpSACKBlockDropped), one that ends at or below SEG.ACK
 * is a D-SACK (tcp_record_dsack(): TcpDSACKRecv), and neither SACKs
 * anything: three duplicates whose only block starts at SEG.ACK
 * (SEQ_GT(sack.start, th_ack) fails) are no DupAcks, so no fast
 * retransmit; with the filter off the profile took [SND.UNA, end) as
 * SACKed and resent segment 2. */
static void sack_blocks_at_or_below_ack(bool filter)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.sack_doack_bsd);
	cfg.sack_doack_bsd = filter;
	sack_dialogue_cfg(&cfg);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 5 * SEG, 0), 5 * SEG);
	dlg_drain(d);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	/* The ACK of segment 1 with a D-SACK of it. */
	o.sack[0].left = seg_at(d, 1);
	o.sack[0].right = seg_at(d, 2);
	ASSERT_EQ(ack_sack_raw(d, 2, &o), 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, filter ? 1u : 0u);
	/* Three duplicates, each with a block from SEG.ACK to past it. */
	for (uint32_t k = 3; k <= 5; k++) {
		o.sack[0].left = seg_at(d, 2);
		o.sack[0].right = seg_at(d, k + 1);
		size_t sent = ack_sack_raw(d, 2, &o);
		if (filter)
			ASSERT_EQ(sent, 0);
	}
	ASSERT_EQ(dlg_stats(d)->TcpSACKBlockDropped, filter ? 3u : 0u);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, filter ? 0u : 1u);
	dlg_free(d);
}

TEST(prr_bsd_sack_blocks_at_or_below_ack_ignored)
{
	sack_blocks_at_or_below_ack(true);
}

TEST(prr_bsd_sack_blocks_at_or_below_ack_taken_without_the_filter)
{
	sack_blocks_at_or_below_ack(false);
}

/* SACK_NEWLOSS as freebsd main's tcp_sack_doack() returns it
 * (fel1x-developer/freebsd-src 2d614aa), which tcp_do_prr_ack() reads
 * for PRR's bound below ssthresh: a block that splits a hole, or moves
 * the rescue hole, is SACK_NEWLOSS (the conservative bound,
 * prr_delivered - prr_out); one that appends a hole at the tail is
 * SACK_CHANGE (the slow-start bound, max(prr_delivered - prr_out,
 * DeliveredData) + 1 SMSS). Six segments written (the application
 * limits the flight), 1 lost; the SACKs of 2, 2-3, 2-4 enter recovery:
 * ssthresh 5 (half the initial 10), RecoverFS 6, the fast retransmit of
 * 1, prr_delivered 1 and prr_out 1. Ten more segments are written. The
 * SACK of 2-4 and 6 appends the hole [5, 6) (SACK_CHANGE): DeliveredData
 * 1, pipe (tcp_compute_pipe()) 6 + 1 - 4 = 3 under ssthresh, limit
 * max(2 - 1, 1) + 1 = 2, min(5 - 3, 2) = 2 segments: 5 (the hole) and 7
 * (new data, within cwnd 0 + 1 + 2 less the 2 resent). The profile's
 * earlier rule (a block above a new hole past the highest SACKed byte is
 * a new loss, RFC 6937bis's wording, which the flag keeps when
 * cfg.sack_doack_bsd is off) took the conservative bound, 1: segment 5
 * alone. */
static void tail_hole_prr(bool main_rule)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.sack_doack_bsd);
	cfg.sack_doack_bsd = main_rule;
	sack_dialogue_cfg(&cfg);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 6 * SEG, 0), 6 * SEG);
	ASSERT_EQ(dlg_pending(d), 6);
	dlg_drain(d);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 2);
	for (uint32_t k = 2; k <= 4; k++) {
		o.sack[0].right = seg_at(d, k + 1);
		ASSERT_EQ(ack_sack_raw(d, 1, &o), k == 4 ? 1u : 0u);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	ASSERT_EQ(gt_send(d->s, d->sd, data + 6 * SEG, 10 * SEG, 0), 10 * SEG);
	dlg_expect_none(d);
	o.nsack = 2;
	o.sack[0].left = seg_at(d, 6);
	o.sack[0].right = seg_at(d, 7);
	o.sack[1].left = seg_at(d, 2);
	o.sack[1].right = seg_at(d, 5);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 1), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 5));
	if (main_rule)
		ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 7));
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(prr_bsd_tail_hole_is_no_new_loss)
{
	tail_hole_prr(true);
}

TEST(prr_bsd_tail_hole_new_loss_without_the_doack_rules)
{
	tail_hole_prr(false);
}

/* SACK_NEWLOSS for a block that splits a hole ("ACKs some data in middle
 * of a hole; need to split current hole": tcp_sack_doack(), freebsd main
 * as stored in fel1x-developer/freebsd-src 2d614aa), which
 * tcp_do_prr_ack() reads for PRR's bound below ssthresh: the conservative
 * bound, prr_delivered - prr_out. Ten segments written and acknowledged
 * one by one: each ACK grows cwnd by a segment, to 20 (cc_ack_received()
 * asks only "tp->snd_cwnd <= tp->snd_wnd"; 14 before branch h-bsdcc,
 * whose profile asked whether the flight filled cwnd), then eight more
 * (the application limits the flight, so ssthresh, half of cwnd, 10
 * segments, lies above what is out). Of those eight (11-18), 11 and 15-17 are lost; the SACKs
 * of 12, 12-13, 12-14 enter recovery (the fast retransmit of 11), and
 * ten more segments are written. The SACK of 12-14 and 18 appends the
 * hole [15, 18) (SACK_CHANGE), and PRR resends from it. The SACK of
 * 12-14, 16 and 18 splits that hole: SACK_NEWLOSS, so PRR lets out
 * prr_delivered - prr_out, here nothing; the profile's earlier rule (a
 * block above a new hole past the highest SACKed byte is a new loss,
 * RFC 6937bis's wording, kept when cfg.sack_doack_bsd is off) finds no
 * new loss and takes the slow-start bound, max(prr_delivered - prr_out,
 * DeliveredData) + 1 SMSS, within ssthresh - pipe. */
static void split_hole_prr(bool main_rule)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.sack_doack_bsd && cfg.prr_bsd);
	cfg.sack_doack_bsd = main_rule;
	sack_dialogue_cfg(&cfg);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	ASSERT_EQ(dlg_pending(d), 10);
	dlg_drain(d);
	for (uint32_t k = 2; k <= 11; k++) {
		dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, k), DLG_WIN, NULL, 0, NULL);
		dlg_expect_none(d);
	}
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t cwnd0 = ti.snd_cwnd_bytes;
	ASSERT_EQ(cwnd0, 20 * SEG);
	ASSERT_EQ(gt_send(d->s, d->sd, data + 10 * SEG, 8 * SEG, 0), 8 * SEG);
	ASSERT_EQ(dlg_pending(d), 8);
	dlg_drain(d);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = seg_at(d, 12);
	for (uint32_t k = 12; k <= 14; k++) {
		o.sack[0].right = seg_at(d, k + 1);
		ASSERT_EQ(ack_sack_raw(d, 11, &o), k == 14 ? 1u : 0u);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, cwnd0 / 2 / SEG * SEG);
	ASSERT_EQ(gt_send(d->s, d->sd, data + 18 * SEG, 10 * SEG, 0), 10 * SEG);
	dlg_expect_none(d);
	/* The hole [15, 18) appended. */
	o.nsack = 2;
	o.sack[0].left = seg_at(d, 18);
	o.sack[0].right = seg_at(d, 19);
	o.sack[1].left = seg_at(d, 12);
	o.sack[1].right = seg_at(d, 15);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 11), DLG_WIN, NULL, 0, &o);
	/* SACK_CHANGE: pipe 8 - 4 + 1 = 5 segments under ssthresh 10, the
	 * slow-start bound max(2 - 1, 1) + 1 = 2 within 10 - 5: segments 15 and 16 from
	 * the hole. The earlier rule took the appended hole for a new
	 * loss: 2 - 1 = 1, segment 15 alone. */
	ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 15));
	if (main_rule)
		ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 16));
	dlg_expect_none(d);
	/* 16 SACKed: the hole split into [15, 16) and [17, 18). pipe 8 -
	 * 5 + 2 (11 and 15 resent and out) = 5, under ssthresh 10. */
	o.nsack = 3;
	o.sack[2].left = seg_at(d, 16);
	o.sack[2].right = seg_at(d, 17);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, 11), DLG_WIN, NULL, 0, &o);
	if (main_rule) {
		/* SACK_NEWLOSS: prr_delivered - prr_out = 3 - 3 = 0. */
		dlg_expect_none(d);
	} else {
		/* No new loss: max(3 - 2, 1) + 1 = 2 within 10 - 5: the rest
		 * of the hole (17) and new data (19). */
		ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 17));
		ASSERT_EQ(dlg_next(d)->h.seq, seg_at(d, 19));
		dlg_expect_none(d);
	}
	dlg_free(d);
}

TEST(prr_bsd_split_hole_is_new_loss)
{
	split_hole_prr(true);
}

TEST(prr_bsd_split_hole_no_new_loss_without_the_doack_rules)
{
	split_hole_prr(false);
}


/* tcp_sack_doack()'s SACK_NEWLOSS when a SACK moves the rescue hole
 * ("check if there was a successful Rescue Retransmission, and move this
 * hole left": the highest block lies past snd_fack and the last hole ends
 * at or past it), which tcp_do_prr_ack() reads for its conservative limit
 * ("sack_changed == SACK_NEWLOSS || del_data == 0": prr_delivered -
 * prr_out, no extra segment; freebsd main as stored in
 * fel1x-developer/freebsd-src 2d614aa). Segments 1, 10 and 11 lost (11
 * and 12 sent by limited transmit at the first two SACKs), the third enters
 * recovery (ssthresh 5, snd_recover 13, prr_delivered 1, prr_out 1) and
 * resends 1. The ACK of 10 without blocks empties the scoreboard:
 * tcp_sack_partialack() sets cwnd 0 + 0 + 2 segments and inserts the
 * rescue hole [12, 13), snd_fack 10; tcp_output() resends 12 and, with
 * resent bytes out, new data 13 in what is left (prr_out 3). The SACK of
 * 12-13 moves the hole to [10, 12), rxmit 10, keeps the rescue's segment in
 * sack_bytes_rexmit, and returns SACK_NEWLOSS: prr_delivered 1 + 2 = 3,
 * pipe under ssthresh (4 out + 1 resent - 6 sacked_bytes, the ACK of 10
 * having left sacked_bytes 4 high), limit 3 - 3 = 0, snd_cnt 0. cwnd =
 * SND.NXT - snd_recover + sack_bytes_rexmit = 2 segments, and tcp_output()
 * resends 10 within it less the one resent: segment 10 alone. With
 * SACK_CHANGE the limit would be max(0, 2) + 1 and three segments go (10,
 * 11 and new 14), as the profile sent when tcp_sack_bsd_newloss() missed
 * the move (checked by making it return SACK_CHANGE there). */
static void ack_blocks(struct dlg *d, uint32_t ack_seg, uint32_t left, uint32_t right)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = left ? 1 : 0;
	o.sack[0].left = seg_at(d, left);
	o.sack[0].right = seg_at(d, right);
	dlg_send(d, TH_ACK, d->peer_nxt, seg_at(d, ack_seg), DLG_WIN, NULL, 0, left ? &o : NULL);
}

static void expect_seg(struct dlg *d, uint32_t k)
{
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, seg_at(d, k));
	ASSERT_EQ(g->len, SEG);
}

TEST(prr_bsd_rescue_moved_by_a_sack_is_a_new_loss)
{
	struct dlg *d = bsd_ten_in_flight(true);
	ack_blocks(d, 1, 2, 3);
	expect_seg(d, 11); /* limited transmit */
	ack_blocks(d, 1, 2, 4);
	expect_seg(d, 12);
	ack_blocks(d, 1, 2, 5);
	expect_seg(d, 1); /* the fast retransmit */
	dlg_expect_none(d);
	ack_blocks(d, 10, 0, 0);
	expect_seg(d, 12); /* the rescue hole */
	expect_seg(d, 13); /* new data in what cwnd leaves */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 2);
	ack_blocks(d, 10, 12, 14);
	expect_seg(d, 10); /* the moved hole's first segment, and only it */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 3);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}
