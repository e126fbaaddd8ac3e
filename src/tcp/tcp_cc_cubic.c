/* CUBIC congestion control (RFC 9438): the window grows as a cubic
 * function of the time since the last congestion event, centred on the
 * window where that event happened (W_max), with a Reno-friendly floor
 * (RFC 9438 4.3) and fast convergence (4.7). Slow start is RFC 5681's. */
#include <math.h>

#include "tcp/tcp.h"

#define CUBIC_C 0.4    /* RFC 9438 5.1 */
#define CUBIC_BETA 0.7 /* RFC 9438 4.6: multiplicative decrease */

static double segs(const struct tcp_conn *c, uint32_t bytes)
{
	return (double)bytes / (double)(c->mss ? c->mss : 1);
}

static void cubic_init(struct tcp_conn *c)
{
	c->ssthresh = UINT32_MAX;
	c->bytes_acked = 0;
	c->cubic.w_max = 0;
	c->cubic_epoch = false;
}

static void cubic_on_ack(struct tcp_conn *c, uint32_t acked, uint64_t now_us)
{
	if (c->cwnd < c->ssthresh) {
		c->cwnd += acked < c->mss ? acked : c->mss; /* slow start, L = 1 */
		return;
	}
	double cwnd = segs(c, c->cwnd);
	if (!c->cubic_epoch) {
		/* First ACK of a congestion-avoidance epoch (RFC 9438 4.2). */
		c->cubic_epoch = true;
		c->cubic.epoch_us = now_us;
		if (c->cubic.w_max < cwnd)
			c->cubic.w_max = (float)cwnd; /* no loss yet: start on the plateau */
		c->cubic.k = (float)cbrt((c->cubic.w_max - cwnd) / CUBIC_C);
		c->cubic.w_est = cwnd;
	}
	double rtt = (double)(c->srtt_us ? c->srtt_us : 100000) / 1e6;
	/* The epoch's age in full 64 bits: an idle connection's first ACK
	 * after 49 days must not find it young again (a 32-bit ms count). */
	double t = (double)(now_us > c->cubic.epoch_us ? now_us - c->cubic.epoch_us : 0) / 1e6;
	double d = t + rtt - c->cubic.k;
	double target = CUBIC_C * d * d * d + c->cubic.w_max; /* W_cubic(t + RTT), eq. 1 */
	if (target < cwnd)
		target = cwnd;
	if (target > 1.5 * cwnd)
		target = 1.5 * cwnd; /* RFC 9438 4.2: at most 50% growth per RTT */
	double n = segs(c, acked);
	/* Reno-friendly estimate (4.3), alpha = 3(1 - beta)/(1 + beta). */
	c->cubic.w_est += 3.0 * (1 - CUBIC_BETA) / (1 + CUBIC_BETA) * n / cwnd;
	double next = cwnd + (target - cwnd) / cwnd * n;
	if (c->cubic.w_est > next)
		next = c->cubic.w_est;
	uint32_t bytes = (uint32_t)(next * c->mss);
	if (bytes > c->cwnd)
		c->cwnd = bytes;
}

static void cubic_reduce(struct tcp_conn *c, uint64_t now_us)
{
	double cwnd = segs(c, c->cwnd);
	/* Fast convergence (4.7): yield to newer flows. */
	if (cwnd < c->cubic.w_max)
		c->cubic.w_max = (float)(cwnd * (1 + CUBIC_BETA) / 2);
	else
		c->cubic.w_max = (float)cwnd;
	uint32_t ss = (uint32_t)(c->cwnd * CUBIC_BETA);
	uint32_t floor = 2u * c->mss;
	c->ssthresh = ss > floor ? ss : floor;
	c->cubic_epoch = false;
	c->bytes_acked = 0;
	(void)now_us;
}

static void cubic_on_loss(struct tcp_conn *c, uint64_t now_us)
{
	cubic_reduce(c, now_us);
}

static void cubic_on_rto(struct tcp_conn *c, uint64_t now_us)
{
	cubic_reduce(c, now_us);
	c->cwnd = c->mss; /* RFC 9438 4.8: loss window after a timeout */
	/* RFC 9438 4.8: the first congestion-avoidance stage after a timeout
	 * runs with K = 0 and W_max = the window it starts at (as Linux's
	 * cubictcp_state() forgets last_max_cwnd on TCP_CA_Loss): the epoch
	 * then begins on its plateau, not climbing back to the old W_max. */
	c->cubic.w_max = 0;
}

const struct tcp_cc_ops tcp_cc_cubic = {
	.name = "cubic",
	.init = cubic_init,
	.on_ack = cubic_on_ack,
	.on_loss = cubic_on_loss,
	.on_rto = cubic_on_rto,
};
