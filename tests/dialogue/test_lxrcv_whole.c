/* The Linux profile's in-order segment that finds the receive queue empty
 * (cfg.rcv_empty_takes_whole): Linux 6.18's tcp_data_queue() queues it
 * whole however far it passes the window and the buffer, so the receive
 * ring grows for it (tcp_rcv_ring_take_whole()), at most 64 KiB and half
 * of max_buffer_bytes; the buffer the window rules read does not, and the
 * ring goes back to it once read empty. */
#include "dlg.h"

#include <string.h>

#include "wire/ipv4.h"

#define SEG_MAX 20000u

static uint8_t data[SEG_MAX], got[SEG_MAX];

/* A passive connection with SO_RCVBUF set to rcvbuf; max_buffer_bytes
 * budget (0: the default). */
static struct dlg *small_buffer(int rcvbuf, uint64_t budget)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	if (budget)
		cfg.max_buffer_bytes = budget;
	struct dlg *d = dlg_new(&cfg);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_setsockopt(d->s, l, GT_SOL_SOCKET, GT_SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	dlg_established_passive(d);
	return d;
}

/* len bytes at RCV.NXT from the peer, in one IPv4 packet larger than
 * dlg_build() makes (no options: the dialogue agreed none). */
static void segment_in(struct dlg *d, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + d->peer_nxt);
	dlg_send_big(d, data, len);
}

TEST(lxrcv_empty_queue_takes_segment_past_buffer_whole)
{
	struct dlg *d = small_buffer(4096, 0);
	int v = 0;
	size_t vl = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, &vl), 0);
	uint32_t peer = d->peer_nxt;
	segment_in(d, SEG_MAX);
	dlg_advance(d, 200000);
	const struct dlg_seg *g = dlg_expect_only(d, TH_ACK, d->iss + 1, peer + SEG_MAX);
	ASSERT_EQ(g->h.win, 0);
	ASSERT_EQ(dlg_stats(d)->TcpRcvRingWhole, 1);
	ASSERT_EQ(dlg_stats(d)->TcpRcvRingWholeRefused, 0);
	/* The buffer is what SO_RCVBUF made it. */
	int after = 0;
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &after, &vl), 0);
	ASSERT_EQ(after, v);
	/* Unread data: the next segment, past the zero window, is dropped. */
	d->peer_nxt = peer + SEG_MAX;
	segment_in(d, 1000);
	dlg_expect_only(d, TH_ACK, d->iss + 1, peer + SEG_MAX);
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), (ssize_t)SEG_MAX);
	for (uint32_t i = 0; i < SEG_MAX; i++)
		ASSERT_EQ(got[i], (uint8_t)(i * 7 + peer));
	dlg_drain(d);
	/* Read empty: the ring is the buffer again, and the next one grows
	 * it again. */
	struct gt_gauges gg;
	gt_stack_gauges(d->s, &gg);
	ASSERT(gg.buffer_bytes < SEG_MAX);
	segment_in(d, 9000);
	dlg_advance(d, 200000);
	dlg_expect_only(d, TH_ACK, d->iss + 1, peer + SEG_MAX + 9000);
	ASSERT_EQ(dlg_stats(d)->TcpRcvRingWhole, 2);
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), 9000);
	dlg_free(d);
}

/* Past half the budget the ring does not grow: the segment is cut to what
 * the ring holds, as before, and counted. */
TEST(lxrcv_empty_queue_segment_past_half_budget_cut)
{
	struct dlg *d = small_buffer(4096, 32768);
	uint32_t peer = d->peer_nxt;
	segment_in(d, SEG_MAX);
	dlg_advance(d, 200000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.ack != peer + SEG_MAX);
	ASSERT(g->h.ack - peer > 0 && g->h.ack - peer < SEG_MAX);
	ASSERT_EQ(dlg_stats(d)->TcpRcvRingWhole, 0);
	ASSERT_EQ(dlg_stats(d)->TcpRcvRingWholeRefused, 1);
	dlg_free(d);
}

/* The field off: the segment is cut to the ring's free space. */
TEST(lxrcv_empty_queue_segment_cut_without_take_whole)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcv_empty_takes_whole = false;
	struct dlg *d = dlg_new(&cfg);
	int b = 4096, l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_setsockopt(d->s, l, GT_SOL_SOCKET, GT_SO_RCVBUF, &b, sizeof(b)), 0);
	dlg_established_passive(d);
	uint32_t peer = d->peer_nxt;
	segment_in(d, SEG_MAX);
	dlg_advance(d, 200000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.ack != peer + SEG_MAX);
	ASSERT_EQ(dlg_stats(d)->TcpRcvRingWhole, 0);
	dlg_free(d);
}
