/* D-SACKs Linux's tcp_sacktag_write_queue() refuses as SACK blocks, and
 * counts: one wholly below the recovery's undo_marker
 * (tcp_is_sackblock_valid(): "Too old", TCPDSACKIgnoredOld), and a
 * dubious one (tcp_check_dsack() skips it, so its block is taken as a
 * plain SACK block at or below SND.UNA: TCPSACKDiscard). Neither changes
 * anything else. Read from Linux's code and checked with nstat on Linux
 * 6.18 (tests/pkt/linux/sack-recovery-dsack-old-ignored.pkt). */
#include "dlg.h"

#define SEG DLG_MSS
#define RTT_US 100000u

static uint8_t data[10 * SEG];

/* The peer's ACK of acked bytes with SACK blocks blk[0..n) of byte
 * offsets [left, right) from ISS + 1, in the order given. */
static void sack_bytes(struct dlg *d, uint32_t acked, const uint32_t (*blk)[2], int n)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = (uint8_t)n;
	for (int i = 0; i < n; i++) {
		o.sack[i].left = d->iss + 1 + blk[i][0];
		o.sack[i].right = d->iss + 1 + blk[i][1];
	}
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + acked, DLG_WIN, NULL, 0, &o);
}

/* Linux profile, SACK, a 100 ms handshake; ten segments out. */
static struct dlg *ten_out(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	ASSERT(cfg.rack);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_syn_received(d);
	dlg_advance(d, RTT_US);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
	ASSERT_EQ(gt_send(d->s, d->sd, data, sizeof(data), 0), (int)sizeof(data));
	for (uint32_t i = 0; i < 10; i++)
		ASSERT_EQ(dlg_next(d)->h.seq, d->iss + 1 + i * SEG);
	dlg_expect_none(d);
	return d;
}

TEST(rack_dsack_below_undo_marker_is_ignored_old_and_dubious_is_discarded)
{
	struct dlg *d = ten_out();
	dlg_advance(d, RTT_US);
	sack_bytes(d, 2 * SEG, NULL, 0);
	/* Three SACKed above the hole: a recovery, undo_marker 2 * SEG, the
	 * third segment resent (total_retrans 1). */
	const uint32_t three[1][2] = {{3 * SEG, 6 * SEG}};
	dlg_advance(d, 10000);
	sack_bytes(d, 2 * SEG, three, 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1 + 2 * SEG);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	ASSERT_EQ(before.ca_state, GT_TCP_CA_RECOVERY);
	/* A D-SACK of the first segment, wholly below undo_marker: valid as a
	 * D-SACK (one copy, one retransmission), refused as too old. */
	const uint32_t old[2][2] = {{0, SEG}, {3 * SEG, 6 * SEG}};
	dlg_advance(d, 10000);
	sack_bytes(d, 2 * SEG, old, 2);
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
	sack_bytes(d, 2 * SEG, old, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKDiscard, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredOld, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	dlg_free(d);
}
