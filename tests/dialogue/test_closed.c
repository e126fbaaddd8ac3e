/* Dialogues with no socket at all: RFC 9293 3.10.7.1 (SEGMENT ARRIVES,
 * CLOSED). An RST answers everything but an RST, its fields taken from the
 * segment: <SEQ=SEG.ACK><CTL=RST> when it had an ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
#include "dlg.h"

TEST(closed_syn_gets_rst_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_send(d, TH_SYN, 5000, 0, DLG_WIN, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_expect(d, TH_RST | TH_ACK, 0, 5001);
	ASSERT_EQ(g->h.win, 0);
	ASSERT_EQ(g->len, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpNoPort, 1);
	ASSERT_EQ(dlg_stats(d)->TcpOutRsts, 1);
	dlg_free(d);
}

TEST(closed_ack_gets_rst_with_seq_of_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_send(d, TH_ACK, 5000, 777777, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_RST, 777777, 0);
	dlg_free(d);
}

TEST(closed_rst_gets_nothing)
{
	struct dlg *d = dlg_new(NULL);
	dlg_send(d, TH_RST, 5000, 0, 0, NULL, 0, NULL);
	dlg_send(d, TH_RST | TH_ACK, 5000, 1234, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpOutRsts, 0);
	dlg_free(d);
}

TEST(closed_data_without_ack_gets_rst_ack_seq_plus_len)
{
	struct dlg *d = dlg_new(NULL);
	dlg_send(d, TH_PSH, 5000, 0, DLG_WIN, "0123456789", 10, NULL);
	dlg_expect_only(d, TH_RST | TH_ACK, 0, 5010);
	dlg_free(d);
}

TEST(closed_data_with_ack_gets_rst_seq_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_send(d, TH_PSH | TH_ACK, 5000, 4242, DLG_WIN, "0123456789", 10, NULL);
	dlg_expect_only(d, TH_RST, 4242, 0);
	dlg_free(d);
}

TEST(closed_fin_counts_in_seg_len)
{
	/* RFC 9293 3.4: SEG.LEN counts the SYN and the FIN. */
	struct dlg *d = dlg_new(NULL);
	dlg_send(d, TH_FIN, 5000, 0, DLG_WIN, "abc", 3, NULL);
	dlg_expect(d, TH_RST | TH_ACK, 0, 5004);
	dlg_send(d, TH_SYN | TH_FIN, 9000, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_RST | TH_ACK, 0, 9002);
	dlg_free(d);
}

TEST(closed_port_after_listener_closed)
{
	struct dlg *d = dlg_new(NULL);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_close(d->s, l), 0);
	dlg_send(d, TH_SYN, 5000, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_RST | TH_ACK, 0, 5001);
	dlg_free(d);
}
