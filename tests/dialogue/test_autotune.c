/* Receive-buffer autotuning (Linux's dynamic right-sizing, tcp_autotune.c):
 * the application reads 31 full segments within one receiver RTT, far more
 * than the first measure (ten segments), so the buffer, and with it the
 * window the peer sees, grows as Linux's tcp_rcv_space_adjust() grows it;
 * not for a socket that set SO_RCVBUF, and never past rcvbuf_max_bytes. */
#include "dlg.h"

#define PAYLOAD 1448u /* MSS 1460 less the timestamp option */
#define NSEGS 31u

static struct dlg *autotuned(uint32_t max_bytes)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_timestamps = true;
	cfg.opt_wscale = true;
	cfg.rcvbuf_autotune = true;
	if (max_bytes)
		cfg.rcvbuf_max_bytes = max_bytes;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.has_ts = true;
	d->peer_syn_opts.has_wscale = true;
	d->peer_syn_opts.wscale = 0;
	dlg_established_passive(d);
	return d;
}

static int rcvbuf(struct dlg *d)
{
	int v = 0;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, &len), 0);
	return v;
}

/* 31 segments in, then, 50 ms later (past the receiver RTT), all read. */
static void receive_and_read(struct dlg *d)
{
	static uint8_t seg[PAYLOAD], buf[65536];
	d->now_us += 10000;
	for (uint32_t i = 0; i < NSEGS; i++) {
		d->peer_tsval++;
		dlg_peer_data(d, seg, PAYLOAD);
	}
	dlg_drain(d);
	d->now_us += 50000;
	uint32_t got = 0;
	for (ssize_t n; (n = gt_recv(d->s, d->sd, buf, sizeof(buf), 0)) > 0;)
		got += (uint32_t)n;
	ASSERT_EQ(got, NSEGS * PAYLOAD);
}

/* What Linux's tcp_rcv_space_adjust() makes of it, computed here from its
 * formula: rcvwin = 2 * copied + 16 * advmss, plus twice rcvwin * (copied -
 * space) / space, with space = min(buffer, 10 * advmss). */
static uint32_t linux_rcvwin(uint32_t copied, uint32_t advmss, uint32_t buf)
{
	uint64_t space = 10ull * advmss < buf ? 10ull * advmss : buf;
	uint64_t win = 2ull * copied + 16ull * advmss;
	win += 2 * (win * (copied - space) / space);
	return (uint32_t)win;
}

TEST(autotune_grows_the_buffer_and_the_window)
{
	struct dlg *d = autotuned(0);
	int before = rcvbuf(d);
	ASSERT_EQ(before, (int)d->cfg.rcvbuf_bytes);
	receive_and_read(d);
	uint32_t want = linux_rcvwin(NSEGS * PAYLOAD, DLG_MSS, (uint32_t)before);
	ASSERT_GT(want, (uint32_t)before);
	ASSERT_EQ(rcvbuf(d), (int)want);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 1);
	/* The peer learns at once: a window update, scaled by 2^7. */
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_ACK);
	ASSERT_GT((uint32_t)g->h.win << 7, (uint32_t)before);
	dlg_free(d);
}

TEST(autotune_stops_at_rcvbuf_max_bytes)
{
	struct dlg *d = autotuned(300000);
	receive_and_read(d);
	ASSERT_EQ(rcvbuf(d), 300000);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 1);
	dlg_free(d);
}

/* As Linux (SOCK_RCVBUF_LOCK): the application chose the size. */
TEST(autotune_leaves_a_set_so_rcvbuf_alone)
{
	struct dlg *d = autotuned(0);
	int v = 131072;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, sizeof(v)), 0);
	int set = rcvbuf(d);
	receive_and_read(d);
	ASSERT_EQ(rcvbuf(d), set);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 0);
	dlg_free(d);
}

/* A slow reader: no more read per RTT than the measure, no growth. */
TEST(autotune_does_not_grow_for_a_slow_reader)
{
	struct dlg *d = autotuned(0);
	static uint8_t seg[PAYLOAD], buf[PAYLOAD];
	for (int i = 0; i < 8; i++) {
		d->now_us += 100000;
		d->peer_tsval++;
		dlg_peer_data(d, seg, PAYLOAD);
		ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), (ssize_t)PAYLOAD);
	}
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 0);
	ASSERT_EQ(rcvbuf(d), (int)d->cfg.rcvbuf_bytes);
	dlg_free(d);
}
