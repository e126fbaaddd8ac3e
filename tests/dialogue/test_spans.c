/* Dialogues for the buffers in place (gt_recv_spans / gt_recv_consume,
 * gt_send_spans / gt_send_commit, socket.h): what a relay reads and writes
 * through them is what gt_recv() and gt_send() would have moved, the window
 * opens when bytes are consumed (RFC 9293 3.8.6.2.2), and the spans wrap
 * with the buffer. */
#include <string.h>

#include "dlg.h"

TEST(spans_recv_then_consume_reads_in_place)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	struct gt_span sp[2];
	ASSERT_EQ(gt_recv_spans(d->s, d->sd, sp), -EAGAIN);
	dlg_peer_data(d, "hello world", 11);
	ASSERT_EQ(gt_recv_spans(d->s, d->sd, sp), 11);
	ASSERT_EQ(sp[0].len, 11);
	ASSERT_EQ(sp[1].len, 0);
	ASSERT_MEMEQ(sp[0].base, "hello world", 11);
	/* Consuming part leaves the rest where gt_recv() finds it. */
	ASSERT_EQ(gt_recv_consume(d->s, d->sd, 6), 6);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 5);
	ASSERT_MEMEQ(b, "world", 5);
	ASSERT_EQ(gt_recv_consume(d->s, d->sd, 1), 0);
	dlg_peer_fin(d);
	ASSERT_EQ(gt_recv_spans(d->s, d->sd, sp), 0); /* the end of the stream */
	dlg_free(d);
}

TEST(spans_consume_opens_the_window)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcvbuf_bytes = 4 * DLG_MSS;
	cfg.rcvbuf_autotune = false;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	static uint8_t data[2 * DLG_MSS];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 1);
	dlg_peer_data(d, data, DLG_MSS);
	dlg_peer_data(d, data + DLG_MSS, DLG_MSS);
	/* Two segments fill half of a window that cannot move: the ACK waits
	 * for the delayed-ACK timer, as Linux's __tcp_ack_snd_check() holds
	 * it (tests/pkt/linux/data-ack-second-segment-window-held.pkt). */
	dlg_expect_none(d);
	dlg_advance(d, 200000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	uint16_t shut_win = g->h.win; /* two of four MSS held */
	struct gt_span sp[2];
	ASSERT_EQ(gt_recv_spans(d->s, d->sd, sp), 2 * DLG_MSS);
	ASSERT_EQ(sp[0].len + sp[1].len, 2 * DLG_MSS);
	ASSERT_MEMEQ(sp[0].base, data, sp[0].len);
	dlg_expect_none(d); /* looking is not reading */
	/* Taking them opens the window by two MSS: announced at once
	 * (RFC 9293 3.8.6.2.2), as after gt_recv(). */
	ASSERT_EQ(gt_recv_consume(d->s, d->sd, 2 * DLG_MSS), 2 * DLG_MSS);
	g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_LT(shut_win, g->h.win);
	dlg_free(d);
}

TEST(spans_send_commit_sends_what_was_written)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	struct gt_span sp[2];
	ssize_t room = gt_send_spans(d->s, d->sd, sp);
	ASSERT(room >= 4);
	ASSERT_EQ((size_t)room, sp[0].len + sp[1].len);
	memcpy(sp[0].base, "ping", 4);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 4, 0), 4);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->len, 4);
	ASSERT_MEMEQ(g->data, "ping", 4);
	/* Committing more than the space takes only the space. */
	room = gt_send_spans(d->s, d->sd, sp);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, (size_t)room + 100, GT_MSG_MORE), room);
	ASSERT_EQ(gt_send_spans(d->s, d->sd, sp), -EAGAIN); /* full */
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 0, 0), 0);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 1, 0x4), -EOPNOTSUPP);
	dlg_free(d);
}

TEST(spans_send_after_shutdown_is_epipe)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_1(d);
	struct gt_span sp[2];
	ASSERT_EQ(gt_send_spans(d->s, d->sd, sp), -EPIPE);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 1, 0), -EPIPE);
	ASSERT_EQ(gt_recv_spans(d->s, 999, sp), -EBADF);
	dlg_free(d);
}

TEST(spans_wrap_with_the_buffer)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.sndbuf_bytes = 4 * DLG_MSS;
	cfg.sndbuf_autotune = false;
	/* The ring itself: without Linux's skb accounting, which lets the
	 * ring grow past the buffer (tcp_lx_sndbuf()). */
	cfg.sndbuf_skb_overhead = 0;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	static uint8_t a[3 * DLG_MSS];
	memset(a, 'a', sizeof(a));
	ASSERT_EQ(gt_send(d->s, d->sd, a, sizeof(a), 0), (ssize_t)sizeof(a));
	dlg_drain(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + 2 * DLG_MSS, DLG_WIN, NULL, 0, NULL);
	dlg_drain(d);
	/* Head at 2 MSS, 1 MSS held: the free space runs from 3 MSS to the
	 * end, then wraps to the start. */
	struct gt_span sp[2];
	ssize_t room = gt_send_spans(d->s, d->sd, sp);
	ASSERT_EQ(room, 3 * DLG_MSS);
	ASSERT_EQ(sp[0].len, DLG_MSS);
	ASSERT_EQ(sp[1].len, 2 * DLG_MSS);
	memset(sp[0].base, 'x', sp[0].len);
	memset(sp[1].base, 'y', 10);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, DLG_MSS + 10, 0), DLG_MSS + 10);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1 + 3 * DLG_MSS, d->peer_nxt);
	ASSERT_EQ(g->len, DLG_MSS);
	ASSERT_EQ(g->data[0], 'x');
	g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1 + 4 * DLG_MSS, d->peer_nxt);
	ASSERT_EQ(g->len, 10);
	ASSERT_EQ(g->data[0], 'y');
	dlg_free(d);
}
