/* Recovery without SACK when the hole was only late: the Linux profile
 * undoes it as Linux's Reno emulation does (tcp_try_undo_partial(),
 * tcp_try_undo_recovery(), by the timestamp echo: tcp_packet_delayed())
 * and raises its duplicate-ACK threshold to the reordering seen
 * (tcp_check_sack_reordering(): the segments the ACK covered), then, as
 * Linux 6.18 does, starts a new recovery at once when duplicates still
 * counted as SACKed reach the threshold (tcp_newreno_mark_lost(),
 * tcp_time_to_recover()); the FreeBSD profile keeps RFC 6582. Eight
 * segments out; the first is overtaken, three duplicates bring its fast
 * retransmission, then the late original arrives: the peer's ACK of six
 * segments (two, after five duplicates) echoes the first transmission's
 * TSval. */
#include "dlg.h"

#define SEG (DLG_MSS - 12) /* the timestamp option takes 12 */

static uint8_t data[16 * SEG];

static uint32_t at(const struct dlg *d, uint32_t segs) { return d->iss + 1 + segs * SEG; }

static void ack_echo(struct dlg *d, uint32_t segs, uint32_t tsecr)
{
	struct tcp_opts o = dlg_opts_ts(d->peer_tsval, tsecr);
	dlg_send(d, TH_ACK, d->peer_nxt, at(d, segs), DLG_WIN, NULL, 0, &o);
}

/* Eight segments out, three duplicate ACKs, the first segment's fast
 * retransmission out: *ts0 its first transmission's TSval, *ts1 the
 * retransmission's. */
static struct dlg *fast_retransmitted(bool reno_undo, uint32_t *ts0, uint32_t *ts1)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	ASSERT(cfg.reno_undo); /* the Linux profile's */
	cfg.reno_undo = reno_undo;
	struct dlg *d = dlg_new_ts(&cfg);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 8 * SEG, 0), 8 * SEG);
	for (uint32_t i = 0; i < 8; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, at(d, i));
		*ts0 = g->h.opts.ts_val;
	}
	dlg_expect_none(d);
	dlg_advance(d, 100000);
	for (int i = 0; i < 3; i++)
		ack_echo(d, 0, *ts0);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, at(d, 0)); /* the fast retransmission */
	ASSERT_EQ(g->len, SEG);
	*ts1 = g->h.opts.ts_val;
	ASSERT(*ts1 != *ts0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	return d;
}

/* Up to the partial ACK; returns the first transmission's TSval. */
static struct dlg *overtaken(bool reno_undo, uint32_t *ts0)
{
	uint32_t ts1;
	struct dlg *d = fast_retransmitted(reno_undo, ts0, &ts1);
	/* The late original fills the hole: six segments acknowledged, the
	 * echo that of their first transmission. */
	ack_echo(d, 6, *ts0);
	return d;
}

TEST(reno_undo_linux_late_original_undoes_and_raises_the_threshold)
{
	uint32_t ts0;
	struct dlg *d = overtaken(true, &ts0);
	/* Reordering, not loss: segment 7 is not resent, the reduction is
	 * gone (cwnd back to IW10, ssthresh unbounded again), and with no
	 * duplicate left counted as SACKed (six segments acknowledged, three
	 * duplicates) the connection stays open: no new recovery. */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpRenoUndo, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_GE(ti.snd_cwnd_bytes, 10u * SEG);
	ASSERT_GT(ti.snd_ssthresh_bytes, 100u * SEG);
	/* Six segments more, eight out: with the two left out, a second
	 * duplicate would be more than the segments out but the hole,
	 * reordering that sets the threshold to 2 (cfg.reno_reordering,
	 * tcp_check_reno_reordering();
	 * tests/pkt/linux/reno-reordering-more-dupacks-than-out.pkt). */
	ASSERT_EQ(gt_send(d->s, d->sd, data + 8 * SEG, 6 * SEG, 0), 6 * SEG);
	for (uint32_t i = 8; i < 14; i++)
		ASSERT_EQ(dlg_next(d)->h.seq, at(d, i));
	dlg_expect_none(d);
	/* The threshold is now the six segments the original was overtaken
	 * by: three duplicates are reordering, the sixth means loss. */
	for (int i = 0; i < 5; i++)
		ack_echo(d, 6, ts0);
	dlg_expect_none(d);
	ack_echo(d, 6, ts0);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, at(d, 6));
	ASSERT_MEMEQ(g->data, data + 6 * SEG, SEG);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 2);
	dlg_free(d);
}

/* Linux 6.18's tcp_try_undo_partial() undoes and returns false, and
 * tcp_fastretrans_alert() goes on: with duplicates still counted as SACKed
 * (sacked_out after tcp_remove_reno_sacks()) at tp->reordering or more,
 * tcp_newreno_mark_lost() marks the new head lost and tcp_time_to_recover()
 * starts a new recovery on the same ACK, its ssthresh from the restored
 * cwnd. Five duplicates, then an ACK of two segments: four left, the
 * threshold still 3 (two segments overtaken), so the third segment goes
 * at once (tests/pkt/linux/reno-recovery-partial-undo-reenters.pkt, the
 * kernel's run of the same). */
TEST(reno_undo_linux_duplicates_left_start_a_new_recovery)
{
	uint32_t ts0, ts1;
	struct dlg *d = fast_retransmitted(true, &ts0, &ts1);
	ack_echo(d, 0, ts0);
	ack_echo(d, 0, ts0);
	dlg_expect_none(d);
	ack_echo(d, 2, ts0);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, at(d, 2));
	ASSERT_MEMEQ(g->data, data + 2 * SEG, SEG);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpRenoUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 2);
	/* Linux's cwnd: one in flight, plus PRR's one for the resent head. */
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 2u * SEG);
	ASSERT_LT(ti.snd_ssthresh_bytes, 10u * SEG);
	ASSERT_GE(ti.snd_ssthresh_bytes, 5u * SEG);
	dlg_free(d);
}

/* RFC 6582 3.2 step 5 (the FreeBSD profile): the partial ACK resends the
 * next hole at once, whatever the echo says. */
TEST(reno_undo_off_partial_ack_resends_the_next_segment)
{
	uint32_t ts0;
	struct dlg *d = overtaken(false, &ts0);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, at(d, 6));
	ASSERT_EQ(dlg_stats(d)->TcpRenoUndo, 0);
	dlg_free(d);
}

/* An echo of the retransmission itself: the copy filled the hole, a real
 * loss; the partial ACK resends the next hole (RFC 6582 3.2 step 5, Linux's
 * tcp_newreno_mark_lost() on a partial ACK). */
TEST(reno_undo_linux_retransmission_echoed_is_a_loss)
{
	uint32_t ts0, ts1;
	struct dlg *d = fast_retransmitted(true, &ts0, &ts1);
	ack_echo(d, 6, ts1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, at(d, 6));
	ASSERT_EQ(dlg_stats(d)->TcpRenoUndo, 0);
	dlg_free(d);
}
