/* Receive-buffer autotuning (Linux's dynamic right-sizing, tcp_autotune.c):
 * the application reads 31 full segments within one receiver RTT, far more
 * than the first measure (ten segments), so the buffer, and with it the
 * window the peer sees, grows as Linux 6.18's tcp_rcv_space_adjust() and
 * tcp_rcvbuf_grow() grow it; not for a socket that set SO_RCVBUF, and never
 * past rcvbuf_max_bytes. */
#include "dlg.h"

#include <string.h>

#define PAYLOAD 1448u /* MSS 1460 less the timestamp option */
#define NSEGS 31u

static struct dlg *autotuned(uint32_t max_bytes)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_wscale = true;
	cfg.rcvbuf_autotune = true;
	if (max_bytes)
		cfg.rcvbuf_max_bytes = max_bytes;
	struct dlg *d = dlg_new_ts(&cfg);
	d->peer_syn_opts.has_wscale = true;
	d->peer_syn_opts.wscale = 0;
	dlg_established_passive(d);
	return d;
}

/* SO_RCVBUF or SO_SNDBUF of the connection. */
static int sockbuf(struct dlg *d, int opt)
{
	int v = 0;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, opt, &v, &len), 0);
	return v;
}

static int rcvbuf(struct dlg *d) { return sockbuf(d, GT_SO_RCVBUF); }
static int sndbuf(struct dlg *d) { return sockbuf(d, GT_SO_SNDBUF); }

/* One full segment in from the peer and, if read, read at once. */
static void segment_in(struct dlg *d, bool read)
{
	static uint8_t seg[PAYLOAD], buf[PAYLOAD];
	d->peer_tsval++;
	dlg_peer_data(d, seg, PAYLOAD);
	if (read)
		ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), (ssize_t)PAYLOAD);
}

/* 10 ms on (one receiver RTT: the data echoes the SYN-ACK's TSval), n
 * full segments in from the peer, each read as it comes. The first read
 * ends the measure begun at the handshake (one segment, less than the
 * first measure: no growth); the rest count toward the next. */
static void receive_n(struct dlg *d, uint32_t n)
{
	d->now_us += 10000;
	for (uint32_t i = 0; i < n; i++)
		segment_in(d, true);
	dlg_drain(d);
}

/* 50 ms on (past the receiver RTT), one more segment, read: the read ends
 * the measure, the segments read since the first. */
static void one_more(struct dlg *d)
{
	d->now_us += 50000;
	segment_in(d, true);
}

static void receive_and_read(struct dlg *d)
{
	receive_n(d, NSEGS);
	one_more(d);
}

/* What Linux 6.18 makes of it (tcp_rcvbuf_grow(), net/ipv4/tcp_input.c):
 * the window is twice the bytes read in the last receiver RTT ("DRS is
 * always one RTT late"), plus twice that times their growth over the
 * last measure (space = min(window, 10 * advmss) at the start,
 * tcp_init_buffer_space()) in proportion ("slow start: allow the sender
 * to double its rate"), plus the out-of-order extent; the buffer is
 * memory, the window at the scaling ratio (tcp_space_from_win()): the
 * segments' payload / truesize, which tcp_measure_rcv_mss() set from the
 * first full segment (a packet of PAYLOAD bytes and its headers is an skb
 * of 2,304 over a TUN device, lx_truesize(): 1448 * 256 / 2304 = 160, not
 * the default 128). The same arithmetic gives what Linux 6.18 reads back
 * with getsockopt(SO_RCVBUF) under `glasstcp pktrun --kernel` in
 * tests/pkt/linux/rcvbuf-grow-in-order.pkt (163,100 for 16 segments) and
 * rcvbuf-grow-out-of-order.pkt (3 of 3 runs each). */
static uint32_t linux_rcvbuf(uint32_t copied, uint32_t advmss, uint32_t buf, uint32_t ooo)
{
	uint64_t space = 10ull * advmss < buf / 2 ? 10ull * advmss : buf / 2;
	uint64_t win = 2ull * copied;
	win += 2 * (win * (copied - space) / space);
	win += ooo;
	uint64_t ratio = (uint64_t)PAYLOAD * 256 / 2304;
	return (uint32_t)((win << 8) / ratio);
}

TEST(autotune_grows_the_buffer_and_the_window)
{
	struct dlg *d = autotuned(0);
	int before = rcvbuf(d);
	ASSERT_EQ(before, (int)d->cfg.rcvbuf_bytes);
	receive_and_read(d);
	uint32_t want = linux_rcvbuf(NSEGS * PAYLOAD, PAYLOAD, (uint32_t)before, 0);
	ASSERT_GT(want, (uint32_t)before);
	ASSERT_EQ(rcvbuf(d), (int)want);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 1);
	/* The last segment's ACK, scaled by 2^10 (tcp_rmem[2] 32 MiB). As in Linux the window
	 * does not jump with the buffer: it is rcv_ssthresh, still within
	 * the old buffer's window (tcp_win_from_space() at the measured
	 * ratio), ... */
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_ACK);
	ASSERT_GT((uint32_t)g->h.win << 10, (uint32_t)before / 4);
	ASSERT_LE((uint32_t)g->h.win << 10, (uint32_t)((uint64_t)before * (PAYLOAD * 256 / 2304) >> 8));
	/* ... and grows by two MSS per segment received (tcp_grow_window())
	 * up to the new clamp, half the new buffer: 31 segments more take
	 * it past anything the old buffer could offer. */
	d->now_us += 10000;
	for (uint32_t i = 0; i < NSEGS; i++)
		segment_in(d, false);
	while (dlg_pending(d))
		g = dlg_next(d);
	ASSERT(g->h.flags & TH_ACK);
	ASSERT_GT((uint32_t)g->h.win << 10, (uint32_t)before);
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

/* Reordering: a hole is open, two segments wait past it, when the read
 * that ends the measure comes. Linux 6.18's tcp_rcvbuf_grow() adds the
 * out-of-order extent (the last held segment's end - rcv_nxt) to the
 * window; the parked segments move with the ring and come out right once
 * the hole fills. */
TEST(autotune_grows_with_out_of_order_data_parked)
{
	struct dlg *d = autotuned(0);
	int before = rcvbuf(d);
	static uint8_t ooo[3][PAYLOAD], buf[65536];
	for (int k = 0; k < 3; k++)
		memset(ooo[k], 'a' + k, PAYLOAD);
	receive_n(d, NSEGS);
	d->now_us += 50000;
	segment_in(d, false);
	uint32_t hole = d->peer_nxt;
	d->peer_tsval++;
	dlg_send(d, TH_PSH | TH_ACK, hole + PAYLOAD, d->snd_nxt, DLG_WIN, ooo[1], PAYLOAD, NULL);
	dlg_send(d, TH_PSH | TH_ACK, hole + 2 * PAYLOAD, d->snd_nxt, DLG_WIN, ooo[2], PAYLOAD, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 0);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), (ssize_t)PAYLOAD);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 1);
	ASSERT_EQ(rcvbuf(d), (int)linux_rcvbuf(NSEGS * PAYLOAD, PAYLOAD, (uint32_t)before, 3 * PAYLOAD));
	/* The hole fills: all three segments are read, each its own bytes. */
	dlg_send(d, TH_PSH | TH_ACK, hole, d->snd_nxt, DLG_WIN, ooo[0], PAYLOAD, NULL);
	d->peer_nxt = hole + 3 * PAYLOAD;
	const struct dlg_seg *g = NULL;
	while (dlg_pending(d))
		g = dlg_next(d);
	ASSERT(g != NULL);
	ASSERT_EQ(g->h.ack, hole + 3 * PAYLOAD);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), (ssize_t)(3 * PAYLOAD));
	for (int k = 0; k < 3; k++)
		for (uint32_t i = 0; i < PAYLOAD; i++)
			ASSERT_EQ(buf[k * PAYLOAD + i], (uint8_t)('a' + k));
	dlg_free(d);
}

/* Linux 6.18's tcp_data_queue_ofo() grows the buffer as data is held out
 * of order, without a read: twice the last measure (here the first,
 * 10 x 1,448) plus the out-of-order extent, at the scaling ratio, which
 * the held segments set (tcp_measure_rcv_mss(), 6.17+): 160
 * (tests/pkt/linux/rcvbuf-grow-out-of-order.pkt, the same with a 64 KiB
 * buffer). A hole of one segment and 37 held past it: an extent of
 * 38 x 1,448, (28,960 + 55,024) x 256 / 160 = 134,374 > 131,072. */
TEST(autotune_grows_for_out_of_order_data_without_a_read)
{
	struct dlg *d = autotuned(0);
	int before = rcvbuf(d);
	static uint8_t seg[PAYLOAD];
	uint32_t hole = d->peer_nxt;
	d->now_us += 10000;
	for (uint32_t i = 1; i <= 37; i++) {
		d->peer_tsval++;
		dlg_send(d, TH_ACK, hole + i * PAYLOAD, d->snd_nxt, DLG_WIN, seg, PAYLOAD, NULL);
		if (i < 36)
			ASSERT_EQ(rcvbuf(d), before);
	}
	ASSERT_EQ(before, 131072);
	ASSERT_EQ(rcvbuf(d), (int)(((10u * PAYLOAD * 2 + 38u * PAYLOAD) << 8) / 160));
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 2);
	dlg_free(d);
}

/* FreeBSD's receive auto-sizing (tcp_autorcvbuf(), the FreeBSD profile's
 * rule): with a 100 ms SRTT, in-order data that came to more than 3/8 of
 * the 64 KiB buffer within the measurement, evaluated by the first segment
 * more than SRTT / 2 after our last ACK started it, grows the buffer by
 * half. What the application reads plays no part. */
static struct dlg *bsd_sized(uint32_t max_bytes)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcvbuf_bytes = 65536;
	cfg.rcvbuf_autotune = true;
	cfg.buf_autosize_bsd = true;
	cfg.rcvbuf_max_bytes = max_bytes;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_received(d);
	dlg_advance(d, 100000); /* the handshake's sample: SRTT 100 ms */
	dlg_peer_ack(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
	return d;
}

/* nseg full segments at once, every ACK taken, then, after, one more
 * segment: the one that closes the measurement. */
static void bsd_burst_then_one(struct dlg *d, uint32_t nseg, uint64_t after_us)
{
	static uint8_t seg[DLG_MSS], buf[65536];
	for (uint32_t i = 0; i < nseg; i++)
		dlg_peer_data(d, seg, DLG_MSS);
	dlg_advance(d, 1000); /* a delayed ACK, if one waits, goes: it starts the measurement */
	dlg_drain(d);
	while (gt_recv(d->s, d->sd, buf, sizeof(buf), 0) > 0)
		;
	dlg_drain(d);
	dlg_advance(d, after_us);
	dlg_drain(d);
	dlg_peer_data(d, seg, DLG_MSS);
	dlg_drain(d);
}

TEST(autosize_bsd_grows_by_half_after_three_eighths_in_half_an_srtt)
{
	struct dlg *d = bsd_sized(2u << 20);
	/* 17 x 1460 = 24820 > 65536 / 2 / 4 * 3 = 24576. */
	bsd_burst_then_one(d, 17, 51000);
	ASSERT_EQ(rcvbuf(d), 65536 + 32768);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 1);
	dlg_free(d);
}

TEST(autosize_bsd_needs_more_than_three_eighths)
{
	struct dlg *d = bsd_sized(2u << 20);
	bsd_burst_then_one(d, 16, 51000); /* 23360 <= 24576 */
	ASSERT_EQ(rcvbuf(d), 65536);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 0);
	dlg_free(d);
}

TEST(autosize_bsd_waits_half_an_srtt)
{
	struct dlg *d = bsd_sized(2u << 20);
	bsd_burst_then_one(d, 17, 40000); /* 41 ms < SRTT / 2: still adding up */
	ASSERT_EQ(rcvbuf(d), 65536);
	ASSERT_EQ(dlg_stats(d)->TcpRcvBufGrown, 0);
	dlg_free(d);
}

TEST(autosize_bsd_stops_at_recvbuf_max)
{
	struct dlg *d = bsd_sized(80000);
	bsd_burst_then_one(d, 17, 51000);
	ASSERT_EQ(rcvbuf(d), 80000);
	dlg_free(d);
}

TEST(autosize_is_the_freebsd_profiles_rule)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.rcvbuf_autotune && cfg.buf_autosize_bsd);
	ASSERT_EQ(cfg.rcvbuf_max_bytes, 2u << 20); /* net.inet.tcp.recvbuf_max */
	ASSERT(cfg.sndbuf_autotune);
	ASSERT_EQ(cfg.sndbuf_max_bytes, 2u << 20); /* net.inet.tcp.sendbuf_max */
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(cfg.rcvbuf_autotune && !cfg.buf_autosize_bsd);
}

/* FreeBSD's send-buffer autoscaling (tcp_sndbuf_autoscale()): an
 * application that keeps the 32 KiB buffer full on a path whose windows
 * could send all of it is held back by the buffer, which grows by 8 KiB
 * steps; one that leaves it mostly empty, or a peer window under 4/5 of
 * it, does not make it grow. Each round: fill what the buffer takes, let
 * it all go, a round trip, the peer ACKs everything (window win). */
static struct dlg *bsd_sender(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.sndbuf_bytes = 32768;
	cfg.sndbuf_autotune = true;
	cfg.buf_autosize_bsd = true;
	cfg.sndbuf_max_bytes = 2u << 20;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	return d;
}

/* Pops every pending segment; *hi: the highest sequence sent. */
static void track_highest(struct dlg *d, uint32_t *hi)
{
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		if ((int32_t)(g->h.seq + g->len - *hi) > 0)
			*hi = g->h.seq + g->len;
	}
}

static void bsd_rounds(struct dlg *d, int rounds, uint32_t write_max, uint16_t win)
{
	static uint8_t buf[1u << 16];
	uint32_t hi = d->iss + 1;
	for (int r = 0; r < rounds; r++) {
		for (uint32_t put = 0; put < write_max;) {
			uint32_t want = write_max - put < sizeof(buf) ? write_max - put : (uint32_t)sizeof(buf);
			ssize_t n = gt_send(d->s, d->sd, buf, want, 0);
			if (n <= 0)
				break;
			put += (uint32_t)n;
		}
		track_highest(d, &hi);
		dlg_advance(d, 10000);
		dlg_send(d, TH_ACK, d->peer_nxt, hi, win, NULL, 0, NULL);
		track_highest(d, &hi);
	}
}

TEST(autosize_bsd_send_buffer_grows_while_the_application_fills_it)
{
	struct dlg *d = bsd_sender();
	ASSERT_EQ(sndbuf(d), 32768);
	bsd_rounds(d, 8, 1u << 20, 65535);
	ASSERT_GT(sndbuf(d), 32768);
	ASSERT_EQ((sndbuf(d) - 32768) % 8192, 0); /* sendbuf_inc steps */
	ASSERT_GT(dlg_stats(d)->TcpSndBufGrown, 0);
	dlg_free(d);
}

TEST(autosize_bsd_send_buffer_stays_for_a_light_writer)
{
	struct dlg *d = bsd_sender();
	bsd_rounds(d, 8, 8192, 65535); /* a quarter of the buffer a round */
	ASSERT_EQ(sndbuf(d), 32768);
	ASSERT_EQ(dlg_stats(d)->TcpSndBufGrown, 0);
	dlg_free(d);
}

TEST(autosize_bsd_send_buffer_stays_under_a_small_peer_window)
{
	struct dlg *d = bsd_sender();
	bsd_rounds(d, 8, 1u << 20, 16384); /* 16384 * 5 / 4 < 32768 */
	ASSERT_EQ(sndbuf(d), 32768);
	ASSERT_EQ(dlg_stats(d)->TcpSndBufGrown, 0);
	dlg_free(d);
}

/* A buffer larger than the stack's whole buffer budget is never granted
 * (tcp_ring_reserve): the connection dropped every segment (TcpBufLimit)
 * and never failed. SO_RCVBUF and the configured default are cut to half
 * the budget (TcpBufClamped), as Linux cuts SO_RCVBUF to rmem_max, and data
 * flows. */
TEST(established_buffer_larger_than_the_budget_is_clamped_and_data_flows)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
	cfg.rcvbuf_bytes = 300000;
	cfg.max_buffer_bytes = 100000;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(rcvbuf(d), 50000);
	ASSERT_GE(dlg_stats(d)->TcpBufClamped, 1);
	dlg_peer_data(d, "hello", 5);
	dlg_advance(d, 200000); /* the delayed ACK */
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.ack, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpBufLimit, 0);
	char buf[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), 5);
	int v = 300000;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, sizeof(v)), 0);
	ASSERT_EQ(rcvbuf(d), 50000);
	dlg_free(d);
}

/* FreeBSD's tcp_mss() rounds both buffers up to a multiple of the MSS
 * (buf_round_to_mss), but not past half the budget: rounded past it (each
 * 50,000 to 51,100 here), the send ring full of unacknowledged data left
 * the receive ring no memory within max_buffer_bytes, and every segment
 * from the peer was dropped (TcpBufLimit) for ever (swarm seed 11005106:
 * 55,314 rounded to 55,552 on 256-byte segments, a 110,628-byte budget). */
TEST(established_mss_rounding_keeps_both_buffers_within_the_budget)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.buf_round_to_mss = true;
	cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
	cfg.sndbuf_bytes = cfg.rcvbuf_bytes = 300000;
	cfg.max_buffer_bytes = 100000;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_LE(rcvbuf(d), 50000);
	ASSERT_LE(sndbuf(d), 50000);
	/* The send ring full, nothing acknowledged. */
	dlg_app_send(d, (uint32_t)sndbuf(d));
	dlg_drain(d);
	/* Data from the peer still finds room, and is acknowledged. */
	dlg_peer_data(d, "hello", 5);
	dlg_advance(d, 200000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.ack, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpBufLimit, 0);
	char buf[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), 5);
	dlg_free(d);
}

/* FreeBSD's tcp_mss() rounds a receive buffer up to a multiple of the MSS
 * only when it is larger than the MSS ("if (bufsize > mss)"); one under it
 * stays as it is. Rounded up, a 2,048-byte buffer behind a 4,280-byte MSS
 * offered 4,288 bytes, later 2,048 at most, and its FreeBSD sender held
 * each window under half the largest for its 5 s persist timer (swarm
 * seed 23084468). A buffer over the MSS is still rounded. */
TEST(established_mss_rounding_leaves_a_buffer_under_the_mss)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.buf_round_to_mss = true;
	cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
	cfg.sndbuf_bytes = cfg.rcvbuf_bytes = 1000;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(rcvbuf(d), 1000);
	ASSERT_EQ(sndbuf(d), 1000);
	dlg_free(d);
	cfg.sndbuf_bytes = cfg.rcvbuf_bytes = 2000;
	d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(rcvbuf(d), 2920);
	ASSERT_EQ(sndbuf(d), 2920);
	dlg_free(d);
}

/* Two connections whose send rings, each holding unacknowledged data, take
 * the whole buffer budget: the peer's next in-order segment finds the
 * receive queue empty and no memory for its ring. Linux's tcp_data_queue()
 * takes such a segment past its memory limits (sk_forced_mem_schedule()
 * when sk_receive_queue is empty); dropped, as before, its ACK field, the
 * only thing that could free the rings, was lost with it, and two ends on
 * low-limit hosts dropped each other's data until they gave up (swarm seed
 * 15004323: backoff 13 after 604 s). */
TEST(established_rcv_empty_queue_takes_segment_past_the_budget)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
	cfg.max_buffer_bytes = 32768; /* every ring cut to 16,384 */
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	dlg_established_passive(d);
	int a = d->sd;
	uint32_t a_una = d->snd_nxt, a_peer = d->peer_nxt;
	dlg_app_send(d, 2000);
	dlg_drain(d);
	d->rport = DLG_RPORT + 1;
	dlg_established_passive(d);
	dlg_app_send(d, 2000);
	dlg_drain(d);
	struct gt_gauges gg;
	gt_stack_gauges(d->s, &gg);
	ASSERT_EQ(gg.buffer_bytes, 32768u); /* the two send rings */
	/* Connection a: 500 bytes at RCV.NXT, acknowledging none of ours. */
	d->rport = DLG_RPORT;
	d->sd = a;
	d->peer_nxt = a_peer;
	static const char blob[500];
	dlg_send(d, TH_ACK | TH_PSH, a_peer, a_una, DLG_WIN, blob, sizeof(blob), NULL);
	dlg_advance(d, 50000); /* the delayed ACK, before any RTO */
	bool acked = false;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		if (g->h.dport == DLG_RPORT && g->h.ack == a_peer + sizeof(blob))
			acked = true;
	}
	ASSERT(acked);
	char buf[600];
	ASSERT_EQ(gt_recv(d->s, a, buf, sizeof(buf), 0), (ssize_t)sizeof(blob));
	ASSERT_EQ(dlg_stats(d)->TcpBufForced, 1);
	/* Read empty, its ring goes back: the budget holds again. */
	gt_stack_gauges(d->s, &gg);
	ASSERT_EQ(gg.buffer_bytes, 32768u);
	dlg_free(d);
}
