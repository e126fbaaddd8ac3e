/* SACK blocks that straddle SND.UNA, Linux profile (cfg.dsack_left_edge):
 * Linux's tcp_is_sackblock_valid() refuses a block that starts at or
 * below SND.UNA and ends above it, and tcp_sacktag_write_queue() counts
 * the refusal. A later block so is TCPSACKDiscard (sack_drop_straddling());
 * a first block that starts below SEG.ACK is a D-SACK, and a dubious one
 * (more copies than retransmissions: tcp_check_dsack()) is a plain block
 * again, refused, TCPSACKDiscard too (tcp_rack_ack()). Checked with nstat
 * on Linux 6.18 (tests/pkt/linux/sack-straddling-blocks-discarded.pkt:
 * TCPSACKDiscard 2, TCPDSACKRecv 1, TCPDSACKIgnoredDubious 1). */
#include "dlg.h"

#define SEG DLG_MSS
#define RTT_US 100000u

/* Linux profile, SACK, a 100 ms handshake; ten segments out
 * (dlg_sack_segments_out()). */
static struct dlg *ten_out(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	ASSERT(cfg.dsack_left_edge);
	return dlg_sack_segments_out(RTT_US, 10);
}

TEST(sack_straddling_later_block_and_dubious_dsack_are_discarded)
{
	struct dlg *d = ten_out();
	/* The ACK of the first segment; its second block runs from below
	 * SEG.ACK to past it: discarded, and only the sixth SACKed, below
	 * DupThresh: RACK waits min_rtt / 4 before the second goes again. */
	const uint32_t later[2][2] = {{5 * SEG, 6 * SEG}, {0, 3 * SEG}};
	dlg_advance(d, RTT_US);
	dlg_peer_sack_bytes(d, SEG, later, 2);
	ASSERT_EQ(dlg_stats(d)->TcpSACKDiscard, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 0);
	dlg_expect_none(d);
	dlg_advance(d, 20000);
	dlg_expect_none(d);
	dlg_advance(d, 10000);
	ASSERT_EQ(dlg_next(d)->h.seq, d->iss + 1 + SEG);
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	/* The same block first: a D-SACK (it starts below SEG.ACK) of three
	 * copies against one retransmission, dubious, so a plain block
	 * straddling SND.UNA again: discarded, nothing sent. */
	const uint32_t first[2][2] = {{0, 3 * SEG}, {5 * SEG, 6 * SEG}};
	dlg_advance(d, 10000);
	dlg_peer_sack_bytes(d, SEG, first, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKDiscard, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredOld, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredNoUndo, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_expect_none(d);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	ASSERT_EQ(ti.retrans_segs, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 0);
	/* The ACK of all: the third to fifth, never resent, below the
	 * highest SACKed, are reordering. Linux 6.18, nstat: TCPSACKReorder
	 * 0 before this ACK (a copy of the script cut here), 1 after. */
	dlg_advance(d, RTT_US);
	dlg_peer_sack_bytes(d, 10 * SEG, NULL, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	dlg_free(d);
}
