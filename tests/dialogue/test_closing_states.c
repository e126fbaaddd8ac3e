/* Dialogues of the closing states: RFC 9293 3.10.7.4 fifth (FIN-WAIT-1,
 * CLOSING, LAST-ACK on the ACK of our FIN) and eighth (the peer's FIN in
 * each state), RFC 9293 3.10.4 CLOSE, and Linux's orphaned FIN_WAIT_2
 * timeout (tcp_fin_timeout). */
#include "dlg.h"

TEST(fin_wait_1_ack_of_fin_goes_fin_wait_2)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_1(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_2);
	/* The FIN is not retransmitted any more. */
	dlg_advance(d, 10000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(fin_wait_1_fin_without_ack_of_ours_goes_closing)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_1(d);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt - 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt + 1);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSING);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0); /* EOF */
	dlg_free(d);
}

TEST(fin_wait_1_fin_ack_goes_time_wait)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_1(d);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TW, 1);
	dlg_free(d);
}

TEST(fin_wait_1_fin_retransmitted_on_rto)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_1(d);
	dlg_advance(d, 200000 - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt - 1, d->peer_nxt);
	dlg_advance(d, 400000);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt - 1, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_1);
	dlg_free(d);
}

TEST(fin_wait_1_data_still_received)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_1(d);
	/* Data that does not yet acknowledge our FIN. */
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt - 1, DLG_WIN, "late", 4, NULL);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 4);
	ASSERT_MEMEQ(b, "late", 4);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_1);
	dlg_free(d);
}

TEST(fin_wait_2_fin_gets_ack_and_time_wait)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_2(d);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_conns(d), 0);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

TEST(fin_wait_2_data_then_fin)
{
	/* Half-close: the peer may send for as long as it likes. */
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_2(d);
	dlg_peer_data(d, "more", 4);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "!", 1, NULL);
	d->peer_nxt += 2;
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 5);
	ASSERT_MEMEQ(b, "more!", 5);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_free(d);
}

TEST(fin_wait_2_unread_data_survives_time_wait)
{
	/* RFC 9293 3.10.7.4 eighth: the FIN comes after the data; what was
	 * acknowledged must still reach the application, then EOF. */
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_2(d);
	dlg_peer_data(d, "unread", 6);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_timewait(d), 1);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 6);
	ASSERT_MEMEQ(b, "unread", 6);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

TEST(last_ack_unread_data_survives_close)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_peer_data(d, "unread", 6);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt++;
	dlg_peer_ack(d);
	ASSERT_EQ(dlg_conns(d), 0);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 6);
	ASSERT_MEMEQ(b, "unread", 6);
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

TEST(fin_wait_2_orphan_times_out)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt++;
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_FIN_WAIT_2), 1);
	uint64_t t = (uint64_t)d->cfg.fin_wait2_timeout_ms * 1000;
	dlg_advance(d, t - 1);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_FIN_WAIT_2), 1);
	dlg_advance(d, 1);
	dlg_drain(d); /* Linux sends an RST here; RFC 9293 says nothing */
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpFinWait2Timeouts, 1);
	dlg_free(d);
}

/* Linux keeps an orphan in FIN_WAIT_2 (tcp_fin_timeout up to 60 s) as a
 * timewait sock: tcp_timewait_state_process() ends it on any RST inside
 * its window, silently, where a connection whose socket is open answers
 * one off RCV.NXT with a challenge ACK (RFC 5961 3.2). */
TEST(fin_wait_2_orphan_ends_on_an_rst_in_its_window)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_2(d);
	dlg_send(d, TH_RST, d->peer_nxt + 100, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt); /* the challenge ACK */
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_2);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_FIN_WAIT_2), 1);
	dlg_send(d, TH_RST, d->peer_nxt + 100, 0, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(fin_wait_2_not_orphaned_waits_for_fin)
{
	/* After shutdown(WR) the application still holds the socket: no
	 * timeout (RFC 9293 lets FIN-WAIT-2 last). */
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_2(d);
	dlg_advance(d, (uint64_t)d->cfg.fin_wait2_timeout_ms * 1000 * 3);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_2);
	dlg_free(d);
}

TEST(close_wait_close_sends_fin_and_goes_last_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_close_wait(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_LAST_ACK), 1);
	d->snd_nxt++;
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_timewait(d), 0); /* the passive closer has no TIME_WAIT */
	dlg_free(d);
}

TEST(close_wait_data_can_still_be_sent)
{
	struct dlg *d = dlg_new(NULL);
	dlg_close_wait(d);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0); /* EOF */
	ASSERT_EQ(gt_send(d->s, d->sd, "reply", 5, 0), 5);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_MEMEQ(g->data, "reply", 5);
	d->snd_nxt += 5;
	dlg_peer_ack(d);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	dlg_free(d);
}

TEST(close_wait_retransmitted_fin_gets_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_close_wait(d);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	dlg_free(d);
}

TEST(closing_ack_of_fin_goes_time_wait)
{
	struct dlg *d = dlg_new(NULL);
	dlg_closing(d);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(closing_fin_retransmitted_on_rto)
{
	struct dlg *d = dlg_new(NULL);
	dlg_closing(d);
	dlg_advance(d, 200000);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt - 1, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSING);
	dlg_free(d);
}

TEST(last_ack_ack_of_fin_closes)
{
	struct dlg *d = dlg_new(NULL);
	dlg_last_ack(d);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSED);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_timewait(d), 0);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

TEST(last_ack_rst_closes)
{
	struct dlg *d = dlg_new(NULL);
	dlg_last_ack(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

TEST(last_ack_old_ack_keeps_waiting)
{
	/* An ACK that does not cover the FIN: still LAST-ACK, FIN resent. */
	struct dlg *d = dlg_new(NULL);
	dlg_last_ack(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt - 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_LAST_ACK);
	dlg_advance(d, 200000);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt - 1, d->peer_nxt);
	dlg_free(d);
}
