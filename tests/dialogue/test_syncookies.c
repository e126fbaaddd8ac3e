/* SYN cookies at the segment level (RFC 4987 3.6): a full SYN queue is
 * answered with a stateless SYN-ACK; a forged ACK gets the LISTEN-state
 * RST; the genuine ACK builds the connection. */
#include "dlg.h"

TEST(listen_full_queue_answers_with_syn_cookie)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.max_syn_backlog = 0; /* every SYN finds the queue full */
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, d->peer_nxt + 1);
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	ASSERT_EQ(dlg_conns(d), 0); /* no state kept */
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesSent, 1);
	/* A forged ACK (wrong cookie): the LISTEN answer, RST seq = SEG.ACK. */
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 1);
	ASSERT_EQ(dlg_conns(d), 0);
	/* The genuine ACK, with data: the connection exists, the data is in. */
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, cookie + 1, DLG_WIN, "hi", 2, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	char buf[4];
	ASSERT_EQ(gt_recv(d->s, sd, buf, sizeof(buf), 0), 2);
	ASSERT_MEMEQ(buf, "hi", 2);
	dlg_free(d);
}
