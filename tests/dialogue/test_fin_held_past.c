/* A FIN at RCV.NXT while data is held out of order past it (RFC 9293
 * 3.10.7.4 eighth: the FIN ends the peer's stream, so nothing beyond it can
 * be delivered): the FIN is taken and what is held past it is dropped,
 * counted in TcpOfoPurgedAtFin (Linux's tcp_fin(): skb_rbtree_purge()). In
 * every state a FIN is taken in, both with the Linux profile's receive
 * rules and with a configuration that is neither Linux's nor FreeBSD's
 * (no Linux SACK list, receive memory or CLOSE_WAIT reset); the invariant
 * checker (dlg_check()) sees no range at or below RCV.NXT. Before, RCV.NXT
 * landed on the held range and tcp_conn_assert() aborted. A passive
 * SYN_RECEIVED cannot hold data: a segment without ACK is dropped there,
 * one with it makes the connection ESTABLISHED first. */
#include "dlg.h"

#include "stack_internal.h"
#include "tcp/tcp.h"

/* 0: the Linux profile's rules (dlg_config()); 1: neither profile's. */
static void config_for(struct gt_config *cfg, int which)
{
	dlg_config(cfg);
	if (which == 1) {
		cfg->sack_list_linux = false;
		cfg->rcv_wnd_linux = false;
		cfg->fin_data_resets = false;
		cfg->fin_clears_dsack = false;
		cfg->reass_fin_before_end_drops = false;
	}
}

/* Holds "held" one past the FIN the peer will send at RCV.NXT. */
static void hold_past_fin(struct dlg *d, uint32_t ack)
{
	dlg_send(d, TH_ACK, d->peer_nxt + 1, ack, DLG_WIN, "held", 4, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(sock_get(d->s, d->sd)->conn->nooo, 1);
}

TEST(fin_held_past_established_goes_close_wait_held_dropped)
{
	for (int which = 0; which < 2; which++) {
		struct gt_config cfg;
		config_for(&cfg, which);
		struct dlg *d = dlg_new(&cfg);
		dlg_established_passive(d);
		hold_past_fin(d, d->snd_nxt);
		dlg_send(d, TH_ACK | TH_FIN, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
		d->peer_nxt++;
		dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		dlg_assert_state_at(d, __FILE__, __LINE__, d->sd, GT_TCP_CLOSE_WAIT);
		struct tcp_conn *c = sock_get(d->s, d->sd)->conn;
		ASSERT_EQ(c->nooo, 0);
		ASSERT_EQ(c->rcv_nxt, d->peer_nxt);
		ASSERT_EQ(dlg_stats(d)->TcpOfoPurgedAtFin, 1);
		char b[16];
		ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 0); /* EOF, nothing past it */
		/* The held data again, now at RCV.NXT: ignored (RFC 9293
		 * 3.10.7.4 seventh, CLOSE_WAIT), never taken. */
		dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "held", 4, NULL);
		ASSERT_EQ(c->rcv_nxt, d->peer_nxt);
		ASSERT_EQ(c->nooo, 0);
		dlg_check(d);
		dlg_free(d);
	}
}

TEST(fin_held_past_fin_wait_1_goes_closing_held_dropped)
{
	for (int which = 0; which < 2; which++) {
		struct gt_config cfg;
		config_for(&cfg, which);
		struct dlg *d = dlg_new(&cfg);
		dlg_fin_wait_1(d);
		/* Neither segment acknowledges our FIN. */
		hold_past_fin(d, d->snd_nxt - 1);
		dlg_send(d, TH_ACK | TH_FIN, d->peer_nxt, d->snd_nxt - 1, DLG_WIN, NULL, 0, NULL);
		d->peer_nxt++;
		dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		dlg_assert_state_at(d, __FILE__, __LINE__, d->sd, GT_TCP_CLOSING);
		ASSERT_EQ(sock_get(d->s, d->sd)->conn->nooo, 0);
		ASSERT_EQ(dlg_stats(d)->TcpOfoPurgedAtFin, 1);
		dlg_check(d);
		dlg_free(d);
	}
}

TEST(fin_held_past_fin_wait_2_goes_time_wait_held_dropped)
{
	for (int which = 0; which < 2; which++) {
		struct gt_config cfg;
		config_for(&cfg, which);
		struct dlg *d = dlg_new(&cfg);
		dlg_fin_wait_2(d);
		hold_past_fin(d, d->snd_nxt);
		dlg_send(d, TH_ACK | TH_FIN, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
		d->peer_nxt++;
		dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(dlg_timewait(d), 1);
		ASSERT_EQ(dlg_stats(d)->TcpOfoPurgedAtFin, 1);
		dlg_check(d);
		dlg_free(d);
	}
}
