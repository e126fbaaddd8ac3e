/* Where a timeout starts its D-SACK undo count (cfg.loss_undo_init_linux,
 * Linux's tcp_enter_loss() -> tcp_init_undo()): the counters behind
 * tests/pkt/linux/rto-loss-after-ack-dsack-undoes.pkt and
 * rto-during-recovery-dsack-count-goes-on.pkt, with the field on (the Linux
 * profile) and off. */
#include "dlg.h"

#define SEG DLG_MSS
#define RTT_US 100000u

static uint8_t data[10 * SEG];

static struct dlg *established(bool linux_init)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.tlp = false; /* the RTO, not a probe */
	cfg.frto = false;
	ASSERT(cfg.rack && cfg.loss_pipe_linux && cfg.loss_dsack_undo && cfg.loss_undo_init_linux);
	cfg.loss_undo_init_linux = linux_init;
	struct dlg *d = dlg_new(&cfg);
	dlg_accept_sack(d, RTT_US);
	return d;
}

static void timeout(struct dlg *d, uint32_t n)
{
	for (int i = 0; i < 4000 && dlg_stats(d)->TcpTimeouts < n; i++)
		dlg_advance(d, 1000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, n);
}

/* Four segments; the RTO; the ACK of the head (go-back-N); the second RTO,
 * in the loss state after an ACK; the ACK of three segments with the D-SACK
 * of the second RTO's copy of segment 2. */
static void loss_after_ack(bool linux_init)
{
	struct dlg *d = established(linux_init);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 4 * SEG, 0), 4 * SEG);
	dlg_drain(d);
	timeout(d, 1);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	dlg_peer_sack_bytes(d, SEG, NULL, 0);
	dlg_drain(d);
	timeout(d, 2);
	ASSERT_EQ(dlg_next(d)->h.seq, d->iss + 1 + SEG);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	const uint32_t dsack[1][2] = {{SEG, 2 * SEG}};
	dlg_peer_sack_bytes(d, 3 * SEG, dsack, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	if (linux_init) {
		ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 1);
		ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	} else {
		ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 0);
		ASSERT_EQ(ti.ca_state, GT_TCP_CA_LOSS);
	}
	dlg_free(d);
}

TEST(rto_in_loss_after_ack_starts_undo_count) { loss_after_ack(true); }
TEST(rto_in_loss_after_ack_no_count_field_off) { loss_after_ack(false); }

/* Ten segments, 2 to 4 SACKed: the fast retransmit of 1; the RTO in the
 * recovery resends it; the ACK of four with a D-SACK of 1 (refused: it
 * runs from SND.UNA past it), then the ACK of six with another: the
 * recovery's count (1) plus the RTO's and the go-back-N copies is not
 * spent, so nothing is undone; with the field off the recovery's own count
 * was spent by the first, cwnd raised in the loss state (TcpDSACKUndo). */
static void rto_in_recovery(bool linux_init)
{
	struct dlg *d = established(linux_init);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	for (uint32_t k = 2; k <= 4; k++) {
		const uint32_t blk[1][2] = {{SEG, k * SEG}};
		dlg_peer_sack_bytes(d, 0, blk, 1);
		dlg_advance(d, 2000);
	}
	ASSERT_EQ(dlg_next(d)->h.seq, d->iss + 1);
	dlg_drain(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	timeout(d, 1);
	dlg_drain(d);
	dlg_advance(d, 10000);
	const uint32_t dsack[1][2] = {{0, SEG}};
	dlg_peer_sack_bytes(d, 4 * SEG, dsack, 1);
	dlg_drain(d);
	dlg_advance(d, 10000);
	dlg_peer_sack_bytes(d, 6 * SEG, dsack, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_LOSS);
	ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, linux_init ? 0u : 1u);
	dlg_free(d);
}

TEST(rto_in_recovery_count_goes_on) { rto_in_recovery(true); }
TEST(rto_in_recovery_count_apart_field_off) { rto_in_recovery(false); }
