/* Dialogues of the ways to end a connection from the application side:
 * SO_LINGER {1,0} abort (RFC 9293 3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST>),
 * close with unread data (RFC 1122 4.2.2.13, RFC 2525 2.17), closing a
 * listener with queued connections (RFC 9293 3.10.4), shutdown(SHUT_WR). */
#include "dlg.h"

static void set_linger0(struct dlg *d, int sd)
{
	struct gt_linger l = {1, 0};
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof(l)), 0);
}

TEST(close_linger_zero_sends_rst_at_snd_nxt)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	set_linger0(d, d->sd);
	ASSERT_EQ(gt_send(d->s, d->sd, "unacked", 7, 0), 7);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	/* Linux sends RST|ACK; the RFC's <SEQ=SND.NXT><CTL=RST> is the seq. */
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_RST);
	ASSERT_EQ(g->h.seq, d->snd_nxt + 7);
	ASSERT_EQ(g->len, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnLinger, 1);
	/* Nothing is retransmitted afterwards. */
	dlg_advance(d, 10000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(close_linger_zero_exact_segment)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	set_linger0(d, d->sd);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_RST | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(close_with_unread_data_sends_rst)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_peer_data(d, "never read", 10);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_RST | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnClose, 1);
	dlg_free(d);
}

TEST(close_listener_resets_queued_connection)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_peer_ack(d); /* established, in the accept queue */
	dlg_expect_none(d);
	ASSERT_EQ(gt_close(d->s, d->lsd), 0);
	dlg_expect(d, TH_RST | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(close_listener_forgets_half_open_connection)
{
	/* A half-open connection is dropped without a word (as Linux and
	 * BSD do); the peer's next segment then meets a closed port. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	ASSERT_EQ(gt_close(d->s, d->lsd), 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_advance(d, 5000000);
	dlg_expect_none(d); /* no SYN-ACK retransmission either */
	dlg_peer_ack(d);
	dlg_expect(d, TH_RST, d->snd_nxt, 0);
	dlg_free(d);
}

TEST(close_listener_keeps_accepted_connection)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_close(d->s, d->lsd), 0);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_peer_data(d, "still", 5);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 5);
	dlg_free(d);
}

TEST(shutdown_wr_sends_fin_and_recv_still_works)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt++;
	dlg_peer_data(d, "answer", 6);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 6);
	ASSERT_MEMEQ(b, "answer", 6);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_2);
	dlg_free(d);
}

TEST(shutdown_wr_then_send_gets_epipe)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), -EPIPE);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(shutdown_wr_after_data_sends_fin_behind_it)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "abc", 3, 0), 3);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt + 3, d->peer_nxt);
	dlg_expect_none(d);
	/* Loss of both: the RTO resends data and FIN together. */
	dlg_advance(d, 200000);
	const struct dlg_seg *g = dlg_expect(d, TH_FIN | TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, 3);
	dlg_free(d);
}

TEST(close_gracefully_sends_fin_after_queued_data)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "abc", 3, 0), 3);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt + 3, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_FIN_WAIT_1), 1);
	dlg_free(d);
}

TEST(orphan_receiving_data_resets)
{
	/* RFC 1122 4.2.2.13 / RFC 2525 2.17: data for a closed socket cannot be
	 * delivered: RST. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt++;
	dlg_peer_data(d, "zzz", 3);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_RST);
	ASSERT_EQ(g->h.seq, d->snd_nxt);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnData, 1);
	dlg_free(d);
}

/* Linux's tcp_close() with more orphans than tcp_max_orphans
 * (tcp_check_oom(sk, 0), this orphan counted): the FIN goes, then an RST
 * at SND.NXT past it, and the connection is gone (TcpAbortOnMemory). */
TEST(close_over_max_orphans_fin_then_rst)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.max_orphans = 0;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect(d, TH_RST | TH_ACK, d->snd_nxt + 1, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnMemory, 1);
	dlg_free(d);
}

/* One orphan is not more than a limit of 1: the close is graceful. */
TEST(close_at_max_orphans_graceful)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.max_orphans = 1;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnMemory, 0);
	dlg_free(d);
}

static uint32_t orphans(const struct dlg *d)
{
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	return g.orphans;
}

/* The orphan count (Linux's sockstat "orphan", what tcp_max_orphans
 * bounds): one from close() in LAST_ACK until the peer's ACK ends it; a
 * descriptor's connection, half closed or not, is none; an abort at close
 * leaves none. The invariant checker matches it against the TCBs at every
 * step. */
TEST(orphans_counted_from_close_to_the_end)
{
	struct dlg *d = dlg_new(NULL);
	dlg_last_ack(d);
	ASSERT_EQ(orphans(d), 0);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	ASSERT_EQ(orphans(d), 1);
	dlg_peer_ack(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(orphans(d), 0);
	dlg_free(d);

	d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_peer_data(d, "unread", 6);
	dlg_drain(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0); /* RST: unread data */
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(orphans(d), 0);
	dlg_free(d);
}
