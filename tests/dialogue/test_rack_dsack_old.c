/* D-SACKs Linux's tcp_sacktag_write_queue() refuses as SACK blocks, and
 * counts: one wholly below the recovery's undo_marker
 * (tcp_is_sackblock_valid(): "Too old", TCPDSACKIgnoredOld), and a
 * dubious one (tcp_check_dsack() skips it, so its block is taken as a
 * plain SACK block at or below SND.UNA: TCPSACKDiscard). Neither changes
 * anything else. Read from Linux's code and checked with nstat on Linux
 * 6.18 (tests/pkt/linux/sack-recovery-dsack-old-ignored.pkt). And RACK's
 * reo_wnd_persist across an undone recovery (below). */
#include "dlg.h"

#define SEG DLG_MSS
#define RTT_US 100000u

static uint8_t data[10 * SEG];


/* Linux profile, SACK, a 100 ms handshake; ten segments out
 * (dlg_sack_segments_out()). */
static struct dlg *ten_out(void)
{
	return dlg_sack_segments_out(RTT_US, 10);
}

TEST(rack_dsack_below_undo_marker_is_ignored_old_and_dubious_is_discarded)
{
	struct dlg *d = ten_out();
	dlg_advance(d, RTT_US);
	dlg_peer_sack_bytes(d, 2 * SEG, NULL, 0);
	/* Three SACKed above the hole: a recovery, undo_marker 2 * SEG, the
	 * third segment resent (total_retrans 1). */
	const uint32_t three[1][2] = {{3 * SEG, 6 * SEG}};
	dlg_advance(d, 10000);
	dlg_peer_sack_bytes(d, 2 * SEG, three, 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1 + 2 * SEG);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	ASSERT_EQ(before.ca_state, GT_TCP_CA_RECOVERY);
	/* A D-SACK of the first segment, wholly below undo_marker: valid as a
	 * D-SACK (one copy, one retransmission), refused as too old. */
	const uint32_t old[2][2] = {{0, SEG}, {3 * SEG, 6 * SEG}};
	dlg_advance(d, 10000);
	dlg_peer_sack_bytes(d, 2 * SEG, old, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredOld, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredNoUndo, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSACKDiscard, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	ASSERT_EQ(ti.snd_ssthresh_bytes, before.snd_ssthresh_bytes);
	/* The same again: two copies reported against one retransmission,
	 * dubious; its block, at or below SND.UNA, is discarded. */
	dlg_advance(d, 10000);
	dlg_peer_sack_bytes(d, 2 * SEG, old, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKDiscard, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredOld, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	dlg_free(d);
}

/* RACK's reo_wnd_persist as Linux's tcp_try_undo_recovery() keeps it: a
 * recovery undone at its end (the ACK echoes the original's TSval,
 * tcp_packet_delayed(): TCPFullUndo) does not count among the 16 that
 * bring the reordering window back to one step. Timestamps on, 100 ms
 * round trips. Reordering and a D-SACK round give two steps (50 ms) and
 * reo_wnd_persist 16; fifteen recoveries leave 1; the sixteenth, undone,
 * leaves it 1, so the next hole still waits 50 ms (+ 2 ms). Before, the
 * profile counted the undone one too and resent the hole after 27 ms.
 * Read from Linux's code (the kernel script for the same rule at the loss
 * state's end: tests/pkt/linux/rack-reo-wnd-persist-falls-at-loss-end.pkt). */

/* The segment size with timestamps (DLG_MSS less their 12 bytes). */
static uint32_t m = DLG_MSS - 12;

static uint32_t ts_of(const struct dlg_seg *g) { return g->h.opts.ts_val; }

/* The peer's ACK of ack (absolute) echoing ecr, with one SACK block
 * [l, r) (absolute) unless l == r. */
static void ack_ts(struct dlg *d, uint32_t ack, uint32_t ecr, uint32_t l, uint32_t r)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.has_ts = true;
	o.ts_val = ++d->peer_tsval;
	o.ts_ecr = ecr;
	if (l != r) {
		o.nsack = 1;
		o.sack[0].left = l;
		o.sack[0].right = r;
	}
	dlg_send(d, TH_ACK, d->peer_nxt, ack, DLG_WIN, NULL, 0, &o);
}

/* Two segments from SND.UNA, the second SACKed a round trip later; the
 * first must go again wait_ms (+ 2 ms) after that, and is ACKed with the
 * second a round trip after. undo: that ACK echoes the original's TSval. */
static void one_recovery(struct dlg *d, uint32_t wait_ms, bool undo)
{
	uint32_t una;
	ASSERT_EQ(gt_send(d->s, d->sd, data, 2 * m, 0), 2 * m);
	const struct dlg_seg *g = dlg_next(d);
	una = g->h.seq;
	uint32_t ts1 = ts_of(g);
	ASSERT_EQ(dlg_next(d)->h.seq, una + m);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	ack_ts(d, una, ts1, una + m, una + 2 * m);
	dlg_expect_none(d);
	dlg_advance(d, wait_ms * 1000 + 1000);
	dlg_expect_none(d);
	dlg_advance(d, 1500);
	g = dlg_next(d);
	ASSERT_EQ(g->h.seq, una);
	uint32_t ts2 = ts_of(g);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	ack_ts(d, una + 2 * m, undo ? ts1 : ts2, 0, 0);
	dlg_drain(d);
	dlg_advance(d, 10000);
}

TEST(rack_reo_wnd_persist_not_lowered_by_an_undone_recovery)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.opt_timestamps = true;
	struct dlg *d = dlg_new_ts(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_syn_received(d);
	dlg_advance(d, RTT_US);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	/* Four segments; the third SACKed, then the second: reordering. The
	 * first goes again after 25 ms; its original and then its copy
	 * arrive (the ACK echoes the copy's TSval: no undo by timestamps): a
	 * D-SACK round, two steps. */
	ASSERT_EQ(gt_send(d->s, d->sd, data, 4 * m, 0), 4 * m);
	const struct dlg_seg *g = dlg_next(d);
	uint32_t base = g->h.seq, ts1 = ts_of(g);
	for (int i = 1; i < 4; i++)
		ASSERT_EQ(dlg_next(d)->h.seq, base + (uint32_t)i * m);
	dlg_advance(d, RTT_US);
	ack_ts(d, base, ts1, base + 2 * m, base + 3 * m);
	dlg_advance(d, 2000);
	ack_ts(d, base, ts1, base + m, base + 3 * m);
	dlg_advance(d, 40000);
	g = dlg_next(d);
	ASSERT_EQ(g->h.seq, base);
	uint32_t ts2 = ts_of(g);
	dlg_advance(d, RTT_US);
	ack_ts(d, base + 4 * m, ts2, 0, 0);
	dlg_advance(d, 2000);
	ack_ts(d, base + 4 * m, ts2, base, base + m);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	dlg_drain(d);
	dlg_advance(d, 10000);
	/* 16 recoveries: fifteen plain, the last undone. */
	for (int i = 0; i < 15; i++)
		one_recovery(d, 50, false);
	uint64_t full = dlg_stats(d)->TcpFullUndo;
	one_recovery(d, 50, true);
	ASSERT_EQ(dlg_stats(d)->TcpFullUndo, full + 1);
	/* Still two steps. */
	one_recovery(d, 50, false);
	dlg_free(d);
}
