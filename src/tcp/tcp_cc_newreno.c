/* NewReno congestion control: slow start and congestion avoidance with
 * appropriate byte counting (RFC 5681 3.1, RFC 3465), the loss response
 * of fast retransmit (RFC 5681 3.2); fast recovery lives in tcp_input.c
 * (RFC 6582), the RTO response here (RFC 5681 3.1 eq. 4). ssthresh as
 * the profiles' kernels set it where they differ from eq. (4): Linux's
 * tcp_reno_ssthresh() and FreeBSD's newreno_cong_signal(). */
#include "tcp/tcp.h"

static void newreno_init(struct tcp_conn *c)
{
	/* cwnd starts at the initial window, set by the caller (RFC 6928). */
	c->ssthresh = UINT32_MAX;
	c->bytes_acked = 0;
}

bool tcp_cc_ss_grow(struct tcp_conn *c, uint32_t acked)
{
	if (!c->ss_bsd) {
		if (c->cwnd >= c->ssthresh)
			return false;
		/* Slow start: grow by at most one SMSS per ACK (L = 1). */
		c->cwnd += acked < c->mss ? acked : c->mss;
		return true;
	}
	/* FreeBSD's newreno_cc_cwnd_in_slow_start() (sys/netinet/cc/cc.c),
	 * which its NewReno and CUBIC share: slow start while cwnd <=
	 * ssthresh (newreno_cc_ack_received(), cubic_ack_received()), ABC's
	 * limit of abc_l_var = 2 segments per ACK while SND.NXT = SND.MAX,
	 * one after a timeout pulled SND.NXT back (RFC 3465 2.3: L = 1 in
	 * the slow start after an RTO: tcp_cc_abc_full()); cc_ack_received()
	 * zeroes the congestion-avoidance byte count meanwhile (t_bytes_acked). */
	if (c->cwnd > c->ssthresh)
		return false;
	uint32_t l = (tcp_cc_abc_full(c) ? 2u : 1u) * c->mss;
	uint32_t grow = acked < l ? acked : l;
	c->cwnd = c->cwnd + grow > c->cwnd ? c->cwnd + grow : UINT32_MAX;
	c->bytes_acked = 0;
	return true;
}

static void newreno_on_ack(struct tcp_conn *c, uint32_t acked, uint64_t now_us)
{
	(void)now_us;
	if (tcp_cc_ss_grow(c, acked))
		return;
	/* Congestion avoidance: one SMSS per cwnd of bytes acknowledged. */
	c->bytes_acked += acked;
	if (c->bytes_acked >= c->cwnd) {
		c->bytes_acked -= c->cwnd;
		c->cwnd += c->mss;
	}
}

static uint32_t half_flight(const struct tcp_conn *c)
{
	/* Linux's tcp_reno_ssthresh(): half of cwnd in whole segments, not
	 * of the flight (RFC 5681 eq. (4)). */
	uint32_t half = c->reno_half_cwnd ? c->cwnd / c->mss / 2 * c->mss : tcp_flight(c) / 2;
	uint32_t floor = 2u * c->mss;
	return half > floor ? half : floor;
}

static void newreno_on_loss(struct tcp_conn *c, uint64_t now_us)
{
	(void)now_us;
	c->ssthresh = half_flight(c); /* RFC 5681 eq. (4) */
	c->bytes_acked = 0;
}

static void newreno_on_rto(struct tcp_conn *c, uint64_t now_us)
{
	(void)now_us;
	if (c->reno_rto_wnd) {
		/* FreeBSD's newreno_cong_signal(CC_RTO): the peer's window
		 * bounds it too, in whole segments, at least two. */
		uint32_t w = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
		uint32_t segs = w / 2 / c->mss;
		c->ssthresh = (segs > 2 ? segs : 2) * c->mss;
	} else {
		c->ssthresh = half_flight(c);
	}
	c->cwnd = c->mss; /* loss window (RFC 5681 3.1) */
	c->bytes_acked = 0;
}

const struct tcp_cc_ops *tcp_cc_by_id(enum gt_cc id)
{
	return id == GT_CC_CUBIC ? &tcp_cc_cubic : &tcp_cc_newreno;
}

const struct tcp_cc_ops tcp_cc_newreno = {
	.name = "newreno",
	.init = newreno_init,
	.on_ack = newreno_on_ack,
	.on_loss = newreno_on_loss,
	.on_rto = newreno_on_rto,
};
