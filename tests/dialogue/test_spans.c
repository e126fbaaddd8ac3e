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
	/* Committing more than the space takes only the space (one skb's
	 * at a time under Linux's send buffer), until it is full. */
	int calls = 0;
	while ((room = gt_send_spans(d->s, d->sd, sp)) > 0) {
		ASSERT_EQ(gt_send_commit(d->s, d->sd, (size_t)room + 100, GT_MSG_MORE), room);
		ASSERT_LT(++calls, 100);
	}
	ASSERT_EQ(room, -EAGAIN); /* full */
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 0, 0), 0);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 1, 0x4), -EOPNOTSUPP);
	dlg_free(d);
}

TEST(spans_send_commit_of_nothing_gives_the_buffer_back)
{
	/* A relay reads a socket into the spans on a guess (the server may
	 * have answered): when the socket was empty, the commit of nothing
	 * gives back the buffer gt_send_spans() took, so the guess needs no
	 * peek before it to cost the stack's memory nothing. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	struct gt_gauges g0, g1, g2;
	gt_stack_gauges(d->s, &g0);
	struct gt_span sp[2];
	ASSERT(gt_send_spans(d->s, d->sd, sp) > 0);
	gt_stack_gauges(d->s, &g1);
	ASSERT_LT(g0.buffer_bytes, g1.buffer_bytes); /* taken */
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 0, 0), 0);
	gt_stack_gauges(d->s, &g2);
	ASSERT_EQ(g2.buffer_bytes, g0.buffer_bytes); /* and back */
	dlg_expect_none(d);
	/* Taken again for bytes, and kept while they are unacknowledged. */
	ASSERT(gt_send_spans(d->s, d->sd, sp) > 0);
	memcpy(sp[0].base, "ping", 4);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 4, 0), 4);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 0, 0), 0);
	gt_stack_gauges(d->s, &g2);
	ASSERT_EQ(g2.buffer_bytes, g1.buffer_bytes);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->len, 4);
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

/* Writes src through gt_send() (spans false) or gt_send_spans() and
 * gt_send_commit() (spans true) until the send buffer refuses more; the
 * segments that went out are kept in seq[] and len[]. */
static uint32_t fill_by(struct dlg *d, bool spans, uint32_t *seq, uint32_t *len, size_t *nseg)
{
	static uint8_t src[1u << 20];
	uint32_t done = 0;
	*nseg = 0;
	for (int i = 0; i < 200; i++) {
		ssize_t n;
		if (spans) {
			struct gt_span sp[2];
			n = gt_send_spans(d->s, d->sd, sp);
			if (n > 0) {
				memcpy(sp[0].base, src + done, sp[0].len);
				if (sp[1].len) /* an empty span's base may be NULL */
					memcpy(sp[1].base, src + done + sp[0].len, sp[1].len);
				n = gt_send_commit(d->s, d->sd, (size_t)n, 0);
			}
		} else {
			n = gt_send(d->s, d->sd, src + done, sizeof(src) - done, 0);
		}
		if (n <= 0)
			break;
		done += (uint32_t)n;
	}
	while (dlg_pending(d) && *nseg < 256) {
		const struct dlg_seg *g = dlg_next(d);
		seq[*nseg] = g->h.seq - d->iss;
		len[*nseg] = g->len;
		(*nseg)++;
	}
	return done;
}

/* A relay writing in place takes what a writer copying the same bytes
 * takes, and sends the same segments: Linux's send buffer is asked one
 * skb at a time (tcp_sendmsg_locked() fills an skb, sends it, and counts
 * what went out before it starts the next; what it sent of the tail skb
 * is filled again). Here an autotuned buffer of 2 x 10 x 2304 = 46080
 * and a size goal of 32120 (22 segments: half the peer's 65535): a first
 * skb of 32120, ten segments out in units of two, the tail filled again
 * (14600), then the five heads in flight and the tail's count past 46080:
 * 46720 either way. Offering every skb's room at once gave the spans
 * 64240 (two skbs, q = 65904 before any went out). */
TEST(spans_take_what_send_takes)
{
	uint32_t seq[2][256], len[2][256];
	size_t nseg[2];
	uint32_t took[2];
	for (int spans = 0; spans < 2; spans++) {
		struct dlg *d = dlg_new(NULL);
		dlg_established_passive(d);
		took[spans] = fill_by(d, spans, seq[spans], len[spans], &nseg[spans]);
		dlg_free(d);
	}
	ASSERT_EQ(took[1], took[0]);
	ASSERT_EQ(nseg[1], nseg[0]);
	for (size_t i = 0; i < nseg[0]; i++) {
		ASSERT_EQ(seq[1][i], seq[0][i]);
		ASSERT_EQ(len[1][i], len[0][i]);
	}
}
