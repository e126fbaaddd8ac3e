/* The Linux profile's send ring past SO_SNDBUF (tcp_lx_ring_fit()): Linux
 * checks SO_SNDBUF only when a write starts an skb and fills an skb it
 * started to the size goal, so its skbs hold up to one goal more than
 * SO_SNDBUF. The ring grows to what a write needs, is charged to the
 * stack's budget (the gauge counts the real bytes), goes back to SO_SNDBUF
 * when it empties, and a growth the budget refuses leaves the write at
 * what the ring holds (TcpBufLimit). getsockopt() reports SO_SNDBUF. */
#include "dlg.h"

#include <string.h>

#include "util/seq.h"

#define WRITE 40000u

static int sndbuf(struct dlg *d)
{
	int v = 0;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &v, &len), 0);
	return v;
}

static uint64_t buffer_bytes(struct dlg *d)
{
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	return g.buffer_bytes;
}

/* SO_SNDBUF 4096 (8192) on an established connection whose peer offers
 * 65535: the size goal is 22 segments of 1460, 32120 bytes. */
static struct dlg *small_sndbuf(uint64_t budget)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	if (budget)
		cfg.max_buffer_bytes = budget;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	int v = 4096;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &v, sizeof(v)), 0);
	ASSERT_EQ(sndbuf(d), 8192);
	return d;
}

/* The peer acknowledges everything sent, round after round. */
static void ack_all(struct dlg *d, uint32_t end)
{
	for (int round = 0; round < 50; round++) {
		uint32_t hi = d->iss + 1;
		bool any = false;
		while (dlg_pending(d)) {
			const struct dlg_seg *g = dlg_next(d);
			if (g->len && seq_gt(g->h.seq + g->len, hi))
				hi = g->h.seq + g->len;
			any |= g->len > 0;
		}
		if (any)
			dlg_send(d, TH_ACK, d->peer_nxt, hi, DLG_WIN, NULL, 0, NULL);
		if (hi == end)
			return;
		dlg_advance(d, 10000);
	}
	ASSERT(!"the peer acknowledged everything");
}

TEST(lx_send_ring_grows_past_sndbuf_and_back)
{
	struct dlg *d = small_sndbuf(0);
	static uint8_t buf[WRITE];
	/* One skb of 32120 (past SO_SNDBUF); ten segments go, and the rest
	 * of that skb is filled again: all 40000. */
	ASSERT_EQ(gt_send(d->s, d->sd, buf, WRITE, 0), (ssize_t)WRITE);
	ASSERT_EQ(sndbuf(d), 8192);
	ASSERT_EQ(buffer_bytes(d), WRITE);
	ASSERT_EQ(dlg_stats(d)->TcpBufLimit, 0);
	ack_all(d, d->iss + 1 + WRITE);
	ASSERT_EQ(buffer_bytes(d), 0);
	ASSERT_EQ(sndbuf(d), 8192);
	dlg_free(d);
}

TEST(lx_send_ring_growth_refused_by_the_budget)
{
	/* Half the budget is SO_SNDBUF's 8192; the growth would pass it. */
	struct dlg *d = small_sndbuf(16384);
	static uint8_t buf[WRITE];
	ASSERT_EQ(gt_send(d->s, d->sd, buf, WRITE, 0), 8192);
	ASSERT_GE(dlg_stats(d)->TcpBufLimit, 1);
	ASSERT_EQ(buffer_bytes(d), 8192);
	ASSERT_EQ(sndbuf(d), 8192);
	dlg_free(d);
}
