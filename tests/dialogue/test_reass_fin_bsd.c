/* FreeBSD 14's tcp_reass(): with an entry queued, a segment with FIN whose
 * data ends before the last entry's end ("Someone is trying to game us")
 * is dropped whole, data and FIN, and tcp_do_segment() ACKs at once
 * (TF_ACKNOW); cfg.reass_fin_before_end_drops. Counted in
 * TcpReassFinBeforeEnd (FreeBSD counts none). */
#include "dlg.h"

#include "stack_internal.h"
#include "tcp/tcp.h"

TEST(reass_bsd_fin_before_held_end_dropped_then_taken)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.reass_fin_before_end_drops = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	struct tcp_conn *c = sock_get(d->s, d->sd)->conn;
	uint32_t nxt = d->peer_nxt;
	dlg_send(d, TH_ACK, nxt + 10, d->snd_nxt, DLG_WIN, "x", 1, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, nxt);
	ASSERT_EQ(c->nooo, 1);
	/* Five bytes and FIN at RCV.NXT, ending before the held byte. */
	dlg_send(d, TH_ACK | TH_FIN, nxt, d->snd_nxt, DLG_WIN, "abcde", 5, NULL);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, nxt);
	ASSERT_EQ(dlg_stats(d)->TcpReassFinBeforeEnd, 1);
	ASSERT_EQ(c->rcv_nxt, nxt);
	dlg_assert_state_at(d, __FILE__, __LINE__, d->sd, GT_TCP_ESTABLISHED);
	/* The hole filled, the same FIN at the new RCV.NXT is taken. */
	dlg_send(d, TH_ACK, nxt, d->snd_nxt, DLG_WIN, "abcdefghij", 10, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, nxt + 11);
	dlg_send(d, TH_ACK | TH_FIN, nxt + 11, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, nxt + 12);
	dlg_assert_state_at(d, __FILE__, __LINE__, d->sd, GT_TCP_CLOSE_WAIT);
	ASSERT_EQ(dlg_stats(d)->TcpReassFinBeforeEnd, 1);
	dlg_check(d);
	dlg_free(d);
}

/* tcp_reass()'s other checks against the last entry (branch h-bsdin):
 * data after the FIN it holds is freed whole, counted in TcpReassLastDrop,
 * and ACKed at once; a FIN on a repeat of the last entry ("Complete
 * overlap") is not held. */
TEST(reass_bsd_data_after_held_fin_dropped_repeat_fin_not_held)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.reass_fin_before_end_drops = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	struct tcp_conn *c = sock_get(d->s, d->sd)->conn;
	uint32_t nxt = d->peer_nxt;
	/* A repeat of the held range with FIN: the FIN is not held. */
	dlg_send(d, TH_ACK, nxt + 10, d->snd_nxt, DLG_WIN, "xyz", 3, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, nxt);
	dlg_send(d, TH_ACK | TH_FIN, nxt + 10, d->snd_nxt, DLG_WIN, "xyz", 3, NULL);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, nxt);
	ASSERT_EQ(c->fin_ooo, false);
	ASSERT_EQ(dlg_stats(d)->TcpReassLastDrop, 0);
	/* Now with its FIN held: the byte after it is dropped, counted. */
	dlg_send(d, TH_ACK | TH_FIN, nxt + 13, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, nxt);
	ASSERT_EQ(c->fin_ooo, true);
	dlg_send(d, TH_ACK, nxt + 13, d->snd_nxt, DLG_WIN, "q", 1, NULL);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, nxt);
	ASSERT_EQ(dlg_stats(d)->TcpReassLastDrop, 1);
	ASSERT_EQ(c->ooo[c->nooo - 1].right, nxt + 13);
	/* The hole filled: the data and the FIN. */
	dlg_send(d, TH_ACK, nxt, d->snd_nxt, DLG_WIN, "abcdefghij", 10, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, nxt + 14);
	dlg_assert_state_at(d, __FILE__, __LINE__, d->sd, GT_TCP_CLOSE_WAIT);
	dlg_check(d);
	dlg_free(d);
}
