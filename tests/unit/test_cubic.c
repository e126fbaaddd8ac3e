/* CUBIC's arithmetic (RFC 9438 4), driven through tcp_cc_cubic's ops with
 * explicit times, against values worked out here from the RFC:
 *   W_cubic(t) = C (t - K)^3 + W_max                    (4.2, Figure 1)
 *   K = cbrt((W_max - cwnd_epoch) / C), C = 0.4         (4.2, Figure 2; 5.1)
 *   target = W_cubic(t + RTT) bounded to [cwnd, 1.5 cwnd]; each ACK adds
 *     (target - cwnd) / cwnd                            (4.2, 4.4, 4.5)
 *   W_est += alpha_cubic * segments_acked / cwnd, alpha_cubic =
 *     3 (1 - beta) / (1 + beta); cwnd = W_est when larger (4.3)
 *   on loss: ssthresh = cwnd * beta_cubic (0.7), at least 2 segments;
 *     W_max = cwnd, or cwnd (1 + beta) / 2 below the last W_max (4.6, 4.7)
 *   timeout: cwnd = 1 segment, ssthresh as on loss (4.8, RFC 5681 3.1)
 * Windows are counted in segments of MSS = 1000 bytes so that byte counts
 * read as segments * 1000. The stack counts a cumulative ACK as one ACK
 * per segment it covers (RFC 3465 byte counting, like Linux's cnt), so an
 * ACK of a whole window moves cwnd the whole way to the target: that is how
 * these tests read W_cubic at a chosen t. */
#include "harness.h"

#include <math.h>

#include "tcp/tcp.h"

#define MSS 1000u
#define C_CUBIC 0.4    /* RFC 9438 5.1 */
#define BETA_CUBIC 0.7 /* RFC 9438 4.6 */
#define ALPHA_CUBIC (3 * (1 - BETA_CUBIC) / (1 + BETA_CUBIC)) /* 4.3 */
#define SEC 1000000ull
#define T0_US (10 * SEC) /* an arbitrary start of time */

/* The window is truncated to whole bytes and W_max, K and W_est are kept
 * as floats: 2 bytes in 1000 per segment is far below what a wrong
 * constant would move (C 0.4 vs 0.3 changes W_cubic by segments). */
#define TOL_BYTES 2.0

static double w_cubic(double t_s, double k_s, double w_max)
{
	double d = t_s - k_s;
	return C_CUBIC * d * d * d + w_max;
}

static double k_of(double w_max, double cwnd_epoch)
{
	return cbrt((w_max - cwnd_epoch) / C_CUBIC);
}

static struct tcp_conn conn(double cwnd_segs, uint32_t srtt_us)
{
	struct tcp_conn c;
	memset(&c, 0, sizeof(c));
	c.mss = MSS;
	c.cc = &tcp_cc_cubic;
	c.cc->init(&c);
	c.cwnd = (uint32_t)(cwnd_segs * MSS);
	c.srtt_us = srtt_us;
	return c;
}

#define ASSERT_SEGS(cwnd_bytes, want_segs)                                     \
	do {                                                                   \
		double got_ = (double)(cwnd_bytes), want_ = (want_segs) * MSS; \
		if (fabs(got_ - want_) > TOL_BYTES)                            \
			gt_test_fail(__FILE__, __LINE__, "%s = %.0f bytes, want %.3f", \
				     #cwnd_bytes, got_, want_);                \
	} while (0)

/* A loss at cwnd = w_max_segs, and cwnd set to the new ssthresh, as fast
 * recovery leaves it (RFC 9438 4.6: cwnd = ssthresh). */
static struct tcp_conn after_loss(double w_max_segs, uint32_t srtt_us)
{
	struct tcp_conn c = conn(w_max_segs, srtt_us);
	c.cc->on_loss(&c, T0_US - SEC);
	c.cwnd = c.ssthresh;
	return c;
}

/* An ACK for the whole window at time t_us: cwnd becomes the target. */
static void ack_window(struct tcp_conn *c, uint64_t t_us)
{
	c->cc->on_ack(c, c->cwnd, t_us);
}

TEST(cubic_slow_start_below_ssthresh)
{
	/* RFC 5681 3.1: ssthresh starts arbitrarily high; below it, each ACK
	 * adds min(N, SMSS) (RFC 9438 4.10 keeps RFC 5681's slow start). */
	struct tcp_conn c = conn(10, 100000);
	ASSERT_EQ(c.ssthresh, UINT32_MAX);
	c.cc->on_ack(&c, MSS, T0_US);
	ASSERT_EQ(c.cwnd, 11 * MSS);
	c.cc->on_ack(&c, 3 * MSS, T0_US + 1000); /* a stretch ACK: still one SMSS */
	ASSERT_EQ(c.cwnd, 12 * MSS);
	c.cc->on_ack(&c, 300, T0_US + 2000);
	ASSERT_EQ(c.cwnd, 12 * MSS + 300);
	ASSERT(!c.cubic_epoch); /* no congestion-avoidance epoch yet */

	/* After a loss, below the new ssthresh, slow start again; the cubic
	 * curve plays no part (its target would be far above one SMSS). */
	c = conn(100, 100000);
	c.cc->on_loss(&c, T0_US);
	c.cwnd = 10 * MSS;
	for (uint32_t i = 1; i <= 20; i++) {
		c.cc->on_ack(&c, 2 * MSS, T0_US + i * 100000);
		ASSERT_EQ(c.cwnd, (10 + i) * MSS);
	}
	ASSERT(!c.cubic_epoch);
}

TEST(cubic_loss_decrease_and_fast_convergence)
{
	/* First loss, no W_max yet: ssthresh = 0.7 * cwnd, W_max = cwnd. */
	struct tcp_conn c = conn(100, 100000);
	c.cc->on_loss(&c, T0_US);
	ASSERT(fabs((double)c.ssthresh - 100 * MSS * BETA_CUBIC) <= 1);
	ASSERT(fabs(c.cubic.w_max - 100.0) < 1e-3);
	ASSERT(!c.cubic_epoch); /* the next CA ACK starts a new epoch (4.2) */

	/* A loss below the last W_max (another flow took bandwidth): fast
	 * convergence (4.7) remembers W_max = 80 * (1 + 0.7) / 2 = 68. */
	c.cwnd = 80 * MSS;
	c.cc->on_loss(&c, T0_US + SEC);
	ASSERT(fabs(c.cubic.w_max - 80 * (1 + BETA_CUBIC) / 2) < 1e-3);
	ASSERT(fabs((double)c.ssthresh - 80 * MSS * BETA_CUBIC) <= 1);

	/* At or above W_max: W_max = cwnd (no convergence step). */
	c.cwnd = 90 * MSS;
	c.cc->on_loss(&c, T0_US + 2 * SEC);
	ASSERT(fabs(c.cubic.w_max - 90.0) < 1e-3);
	ASSERT(fabs((double)c.ssthresh - 90 * MSS * BETA_CUBIC) <= 1);

	/* 4.6: ssthresh = max(ssthresh, 2). */
	c.cwnd = 2 * MSS;
	c.cc->on_loss(&c, T0_US + 3 * SEC);
	ASSERT_EQ(c.ssthresh, 2 * MSS);
	c.cwnd = MSS;
	c.cc->on_loss(&c, T0_US + 4 * SEC);
	ASSERT_EQ(c.ssthresh, 2 * MSS);
}

TEST(cubic_k_and_window_curve)
{
	/* Loss at W_max = 100, then congestion avoidance from cwnd_epoch = 70
	 * with RTT = 100 ms: K = cbrt(30 / 0.4) = cbrt(75) = 4.2172 s. */
	const double rtt = 0.1, w_max = 100;
	struct tcp_conn c = after_loss(w_max, 100000);
	double epoch = (double)c.cwnd / MSS;
	ASSERT(fabs(epoch - 70) < 0.002);
	double k = k_of(w_max, epoch);
	ASSERT(fabs(k - 4.2172) < 1e-3); /* the arithmetic above */

	ack_window(&c, T0_US); /* t = 0: the epoch starts here */
	ASSERT(c.cubic_epoch);
	ASSERT(fabs(c.cubic.k - k) < 1e-4);
	ASSERT(fabs(c.cubic.w_max - w_max) < 1e-3);
	ASSERT_SEGS(c.cwnd, w_cubic(rtt, k, w_max)); /* 72.08 */

	/* Concave region (4.4): below W_max, growing ever more slowly. */
	double prev = w_cubic(rtt, k, w_max), step = INFINITY;
	for (int s = 1; s <= 3; s++) {
		ack_window(&c, T0_US + (uint64_t)s * SEC);
		double want = w_cubic(s + rtt, k, w_max); /* 87.9, 95.6, 98.8 */
		ASSERT_SEGS(c.cwnd, want);
		ASSERT(want < w_max);
		ASSERT(want - prev < step);
		step = want - prev;
		prev = want;
	}

	/* The plateau: at t + RTT = K the curve is at W_max, flat. */
	uint64_t plateau_ms = (uint64_t)llround((k - rtt) * 1000);
	ack_window(&c, T0_US + plateau_ms * 1000);
	ASSERT_SEGS(c.cwnd, w_max);
	prev = w_max;

	/* Convex region (4.5): above W_max, growing ever faster. */
	step = 0;
	const int conv_s[] = {5, 6, 7, 9};
	for (int i = 0; i < 4; i++) {
		ack_window(&c, T0_US + (uint64_t)conv_s[i] * SEC);
		double want = w_cubic(conv_s[i] + rtt, k, w_max); /* 100.3, 102.7, 109.6, 146.6 */
		ASSERT_SEGS(c.cwnd, want);
		ASSERT(want > w_max);
		ASSERT(want - prev > step);
		step = want - prev;
		prev = want;
	}

	/* 4.2: the target is at most 1.5 cwnd. W_cubic(13.1) = 380 segments,
	 * far above 1.5 * 146.6 = 219.9: one window of ACKs adds half. */
	ASSERT(w_cubic(13 + rtt, k, w_max) > 1.5 * prev);
	ack_window(&c, T0_US + 13 * SEC);
	ASSERT_SEGS(c.cwnd, 1.5 * prev);
}

TEST(cubic_per_ack_increment)
{
	/* 4.4/4.5: each ACK of one segment adds (target - cwnd) / cwnd. */
	const double rtt = 0.1, w_max = 100;
	struct tcp_conn c = after_loss(w_max, 100000);
	double epoch = (double)c.cwnd / MSS;
	double k = k_of(w_max, epoch);
	c.cc->on_ack(&c, 1, T0_US); /* starts the epoch; 1 byte moves nothing */
	ASSERT_SEGS(c.cwnd, epoch);
	for (int i = 1; i <= 5; i++) {
		double cwnd = (double)c.cwnd / MSS;
		double target = w_cubic(1 + 0.01 * i + rtt, k, w_max); /* about 88 */
		c.cc->on_ack(&c, MSS, T0_US + SEC + (uint64_t)i * 10000);
		ASSERT_SEGS(c.cwnd, cwnd + (target - cwnd) / cwnd); /* + 0.26 each */
	}
	/* A window's worth of single-segment ACKs within one RTT: each closes
	 * 1/cwnd of the gap left, cwnd <= target, so together at least
	 * 1 - (1 - 1/target)^n of it (about half here), less up to one byte a
	 * step of truncation; they never pass the target. */
	double cwnd0 = (double)c.cwnd / MSS;
	double target = w_cubic(2 + rtt, k, w_max);
	uint32_t n = c.cwnd / MSS;
	for (uint32_t i = 0; i < n; i++)
		c.cc->on_ack(&c, MSS, T0_US + 2 * SEC);
	double got = (double)c.cwnd / MSS;
	double closed = 1 - pow(1 - 1 / target, n);
	ASSERT(closed > 0.45);
	ASSERT(got >= cwnd0 + closed * (target - cwnd0) - n * 1.0 / MSS);
	ASSERT(got <= target + 0.001);
}

TEST(cubic_reno_friendly_region)
{
	/* A short RTT (1 ms) and a small W_max (40 segments): after the loss
	 * the curve starts slowly (K = cbrt(12 / 0.4) = 3.1 s) while Reno would
	 * add alpha_cubic = 0.529 segment every RTT, so W_est rules (4.3).
	 * W_est starts at cwnd_epoch = 28; each whole-window ACK, one per RTT,
	 * adds alpha_cubic * cwnd / cwnd. Stops before W_est reaches the window
	 * of the last loss, where 4.3 says alpha_cubic SHOULD become 1 (the
	 * stack, like Linux's tcp_cubic, keeps 0.53). */
	const double w_max = 40, rtt = 0.001;
	struct tcp_conn c = after_loss(w_max, 1000);
	double epoch = (double)c.cwnd / MSS;
	ASSERT(fabs(epoch - 28) < 0.002);
	double k = k_of(w_max, epoch);
	for (int j = 1; j <= 20; j++) {
		uint64_t t_ms = (uint64_t)j - 1; /* the epoch starts at the first */
		ack_window(&c, T0_US + t_ms * 1000);
		double west = epoch + ALPHA_CUBIC * j;
		ASSERT(west < w_max);
		/* Precondition of the region: the cubic curve is below W_est. */
		ASSERT(w_cubic((double)t_ms / 1000 + rtt, k, w_max) < west);
		ASSERT_SEGS(c.cwnd, west);
	}
	ASSERT(fabs(c.cubic.w_est - (epoch + 20 * ALPHA_CUBIC)) < 1e-3);
}

TEST(cubic_timeout_resets_to_loss_window)
{
	/* 4.8: a timeout takes cwnd to one segment (RFC 5681 3.1's loss
	 * window) and ssthresh to beta_cubic * cwnd, not Reno's half. */
	struct tcp_conn c = conn(100, 100000);
	c.ssthresh = 50 * MSS; /* in congestion avoidance, an epoch running */
	ack_window(&c, T0_US);
	ASSERT(c.cubic_epoch);
	uint32_t before = c.cwnd;
	c.cc->on_rto(&c, T0_US + SEC);
	ASSERT_EQ(c.cwnd, MSS);
	ASSERT(fabs((double)c.ssthresh - before * BETA_CUBIC) <= 1);
	ASSERT(!c.cubic_epoch);
	/* Then slow start: one segment per segment acknowledged. */
	for (uint32_t i = 1; i <= 10; i++) {
		c.cc->on_ack(&c, MSS, T0_US + SEC + i * 1000);
		ASSERT_EQ(c.cwnd, (1 + i) * MSS);
	}
}

/* RFC 9438 4.8: "During the first congestion avoidance stage after a
 * timeout, CUBIC increases its congestion window size using Figure 1, where
 * t is the elapsed time since the beginning of the current congestion
 * avoidance stage, K is set to 0, and W_max is set to the congestion window
 * size at the beginning of the current congestion avoidance stage." (Linux:
 * cubictcp_state() resets last_max_cwnd on TCP_CA_Loss.) The stack used to
 * keep the W_max of the timeout and climb back towards it. */
TEST(cubic_after_timeout_k_is_zero)
{
	const double rtt = 0.1;
	struct tcp_conn c = conn(100, 100000);
	c.ssthresh = 50 * MSS;
	ack_window(&c, T0_US); /* congestion avoidance, an epoch running */
	c.cwnd = 100 * MSS;
	c.cc->on_rto(&c, T0_US + SEC);
	ASSERT_EQ(c.cwnd, MSS);
	/* Slow start back to ssthresh (70 segments). */
	uint64_t now = T0_US + SEC;
	while (c.cwnd < c.ssthresh) {
		now += 1000;
		c.cc->on_ack(&c, MSS, now);
	}
	double epoch = (double)c.cwnd / MSS; /* cwnd_epoch, about 70 */
	/* The first CA stage: W_max = cwnd_epoch, K = 0, so W_cubic(t) =
	 * C t^3 + cwnd_epoch, and W_est = cwnd_epoch + alpha per window. */
	uint64_t start = now + 1000;
	ack_window(&c, start);
	ASSERT(fabs(c.cubic.k) < 1e-6);
	ASSERT(fabs(c.cubic.w_max - epoch) < 1e-3);
	double west = epoch + ALPHA_CUBIC;
	double cub = C_CUBIC * rtt * rtt * rtt + epoch;
	ASSERT_SEGS(c.cwnd, cub > west ? cub : west); /* 70.53, not 72.08 */
	/* Two seconds on: C (2.1)^3 + 70 = 73.7 segments, where a concave
	 * curve towards the old W_max of 100 would give 96. */
	ack_window(&c, start + 2 * SEC);
	ASSERT_SEGS(c.cwnd, C_CUBIC * (2 + rtt) * (2 + rtt) * (2 + rtt) + epoch);
}

/* RFC 9438 4.3 at large windows: W_est += alpha_cubic * segments_acked /
 * cwnd. Above about 2900 segments (an ACK per segment) the increment, alpha
 * / cwnd = 9e-5 at 5600 segments, is below half a float's ulp at that size
 * (2.4e-4): kept in a float (as it was), W_est never moved and the
 * Reno-friendly region was lost on short-RTT, large-BDP paths. */
TEST(cubic_reno_estimate_grows_at_large_windows)
{
	struct tcp_conn c = after_loss(8000, 1000); /* cwnd_epoch = 5600 */
	double epoch = (double)c.cwnd / MSS;
	c.cc->on_ack(&c, MSS, T0_US); /* epoch start, W_est = cwnd_epoch */
	double west = epoch + ALPHA_CUBIC / epoch;
	/* One RTT of single-segment ACKs: W_est gains about alpha = 0.53. */
	uint32_t n = c.cwnd / MSS;
	for (uint32_t i = 0; i < n; i++) {
		west += ALPHA_CUBIC / ((double)c.cwnd / MSS);
		c.cc->on_ack(&c, MSS, T0_US + 1000);
	}
	ASSERT(west - epoch > 0.5);
	ASSERT(fabs(c.cubic.w_est - west) < 0.05);
}

/* cfg.cubic_linux_hz: Linux's cubic_root() (tcp_cubic.c), a table and one
 * Newton step, is within 1% of the cube root from 2^6 up (the kernel says
 * 0.195% on average) and exact on the small cubes the table holds. */
TEST(cubic_lx_cube_root_close_to_cbrt)
{
	ASSERT_EQ(tcp_cubic_root_lx(0), 0u);
	ASSERT_EQ(tcp_cubic_root_lx(1), 1u);
	ASSERT_EQ(tcp_cubic_root_lx(8), 2u);
	ASSERT_EQ(tcp_cubic_root_lx(27), 3u);
	for (uint64_t a = 64; a < (1ull << 62); a = a * 3 + 7) {
		double want = cbrt((double)a), got = tcp_cubic_root_lx(a);
		if (fabs(got - want) > want * 0.01 + 1)
			gt_test_fail(__FILE__, __LINE__, "cbrt(%llu) = %.0f, want %.1f",
				     (unsigned long long)a, got, want);
	}
	/* K of a W_max 3 packets above cwnd, in 1/1024 s: cbrt(3 / 0.4) =
	 * 1.957 s, 2004; the kernel's table and Newton step give 2003. */
	ASSERT_EQ(tcp_cubic_root_lx(((1ull << 40) / 410u) * 3u), 2003u);
}

static int lx_drop(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	(void)pkt;
	(void)len;
	return 0;
}

/* A connection with cfg.cubic_linux_hz 250 (the Linux profile's) and
 * delay_min 10 ms: the first RTT sample allocates Linux's state. */
static struct tcp_conn lx_conn(gt_stack **sp, uint32_t cwnd_segs)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT_EQ(cfg.cubic_linux_hz, 250);
	struct gt_device dev = {.transmit = lx_drop, .mtu = 1500};
	*sp = gt_stack_new(&cfg, &dev);
	ASSERT(*sp != NULL);
	struct tcp_conn c = conn(cwnd_segs, 10000);
	ASSERT(tcp_cc_for(*sp, GT_CC_CUBIC) == &tcp_cc_cubic_lx);
	c.cc = &tcp_cc_cubic_lx;
	c.cubic.lx = NULL;
	c.cc->on_rtt(*sp, &c, 10000);
	ASSERT(c.cubic.lx != NULL);
	ASSERT_EQ(c.cubic.lx->delay_min_us, 10000u);
	return c;
}

static void lx_done(gt_stack *s, struct tcp_conn *c)
{
	tcp_cc_cubic_release(c);
	ASSERT(c->cubic.lx == NULL && !c->hystart_on);
	gt_stack_free(s);
}

/* Linux's integer CUBIC at the ACK that ends a reduction from 10 to 7
 * (tests/pkt/linux/cubic-cwr-end-ack-grows-cwnd.pkt): ssthresh 10 * 717 /
 * 1024 = 7, W_max 10; delay_min 10 ms is 3 jiffies at HZ 250, so the
 * target is W(12/1024 s) = 10 - 2 = 8 and cnt 7: seven packets ACKed add
 * one (RFC 9438's W_cubic(t + RTT) = 7.44 added none). An ACK comes a
 * packet at a time, as tcp_input.c feeds it. */
TEST(cubic_lx_cwr_end_cnt_seven)
{
	gt_stack *s;
	struct tcp_conn c = lx_conn(&s, 10);
	c.cc->on_loss(&c, T0_US);
	ASSERT_EQ(c.ssthresh, 7 * MSS);
	ASSERT_EQ(c.cubic.lx->last_max_cwnd, 10u);
	c.cwnd = c.ssthresh;
	c.snd_una = 1000;
	for (int i = 0; i < 6; i++)
		c.cc->on_ack(&c, MSS, T0_US);
	ASSERT_EQ(c.cwnd, 7 * MSS);
	ASSERT_EQ(c.cubic.lx->cnt, 7u);
	ASSERT_EQ(c.cubic.lx->k, 2003u);
	c.cc->on_ack(&c, MSS, T0_US);
	ASSERT_EQ(c.cwnd, 8 * MSS);
	/* A second loss below W_max 10: fast convergence, W_max 8 * 1741 /
	 * 2048 = 6, ssthresh 8 * 717 / 1024 = 5. */
	c.cc->on_loss(&c, T0_US + SEC);
	ASSERT_EQ(c.cubic.lx->last_max_cwnd, 6u);
	ASSERT_EQ(c.ssthresh, 5 * MSS);
	ASSERT(!c.cubic_epoch);
	lx_done(s, &c);
}

/* Without a loss yet (W_max 0) the epoch starts on its plateau and cnt
 * is at most 20 (5% a round trip); the timeout forgets all. */
TEST(cubic_lx_no_loss_grows_five_percent)
{
	gt_stack *s;
	struct tcp_conn c = lx_conn(&s, 40);
	c.ssthresh = 40 * MSS;
	for (int i = 0; i < 20; i++)
		c.cc->on_ack(&c, MSS, T0_US);
	ASSERT_EQ(c.cubic.lx->cnt, 20u);
	ASSERT_EQ(c.cwnd, 41 * MSS);
	/* bictcp_reset(): cwnd 1, W_max and delay_min 0. */
	c.cc->on_rto(&c, T0_US + SEC);
	ASSERT_EQ(c.cwnd, MSS);
	ASSERT_EQ(c.ssthresh, 28 * MSS);
	ASSERT_EQ(c.cubic.lx->last_max_cwnd, 0u);
	ASSERT_EQ(c.cubic.lx->delay_min_us, 0u);
	ASSERT_EQ(c.cubic.lx->hz, 250);
	lx_done(s, &c);
}

/* tcp_cong_avoid_ai() as one call for a whole ACK: an ACK of 20 packets
 * that lowers cnt part-way (the Reno estimate passing cwnd) grows cwnd by
 * the cnt its last packet leaves, for all 20, not by the first packets'
 * larger cnt. */
TEST(cubic_lx_one_ack_one_cnt)
{
	gt_stack *s;
	struct tcp_conn c = lx_conn(&s, 10);
	c.cc->on_loss(&c, T0_US); /* W_max 10, ssthresh 7 */
	c.cwnd = 10 * MSS;      /* at the plateau: the target is cwnd */
	c.snd_una = 1;
	c.cc->on_ack(&c, MSS, T0_US);
	ASSERT_EQ(c.cubic.lx->cnt, 1000u); /* 100 * cwnd */
	/* The next ACK, 10 jiffies on (past HZ / 32 = 7: within that, with
	 * cwnd unchanged, bictcp_update() returns before its friendliness
	 * bound): the Reno estimate (10 at the epoch, a packet per 18
	 * acknowledged at cwnd 10) reaches 11 at its 18th packet and 12 at
	 * its 36th: cnt 10 / (12 - 10) = 5 for all of it. */
	c.snd_una = 2;
	for (int i = 0; i < 40; i++)
		c.cc->on_ack(&c, MSS, T0_US + 40000);
	ASSERT_EQ(c.cubic.lx->tcp_cwnd, 12u);
	ASSERT_EQ(c.cubic.lx->cnt, 5u);
	ASSERT_EQ(c.cwnd, (10 + 41 / 5) * MSS); /* credit 1 + 40 at cnt 5 */
	lx_done(s, &c);
}
