/* The goodput a transfer can expect on a swarm path (see swarm.h): the
 * steady rate is the least of the link's bandwidth, what the ACK path can
 * clock, the window over the round trip, and the loss model. That is
 * Padhye et al. (1998), eq. 30 without its window cap (ours), one ACK per
 * segment (b = 1):
 *     MSS / (RTT sqrt(2p/3) + T0 min(1, 3 sqrt(3p/8)) p (1 + 32 p^2))
 * whose first term alone is Mathis et al. (1997), MSS/RTT * 1.22/sqrt(p);
 * the second, the timeouts, matters when loss is high (p >= 10%) or the
 * RTO floor T0 dwarfs the RTT. p is the loss of data segments; reordering
 * is not loss and is not in p. A window of under two segments also waits
 * for a timer each round trip (the receiver's delayed ACK; the sender's
 * cork). A finite transfer also pays for slow start (the window doubles
 * from the initial window each round trip until it carries the steady
 * rate), the last byte's one-way trip, and the timer its last partial
 * segment may wait for (cork, or Nagle and a delayed ACK). Padhye's
 * timeouts each start a run at T0; where Karn's rule keeps the backoff
 * from one timeout to the next (karn_rtos: no RTT sample between them),
 * each waits twice the last, and the model adds what they wait beyond
 * T0. */
#include "sim/swarm.h"

#include <math.h>

/* The loss model's rate in bytes per second; *timeouts: whether the
 * timeout term outweighs the round-trip (Mathis) term. */
static double loss_Bps(const struct swarm_path *p, bool *timeouts)
{
	double q = p->loss;
	double rtt_term = p->rtt_s * sqrt(2.0 * q / 3.0);
	double to = 3.0 * sqrt(3.0 * q / 8.0);
	double rto_term = p->rto_s * (to < 1.0 ? to : 1.0) * q * (1.0 + 32.0 * q * q);
	*timeouts = rto_term > rtt_term;
	return p->mss_bytes / (rtt_term + rto_term);
}

/* What the karn_rtos timeouts waited beyond T0 each: the i-th of a run
 * T0 2^i - T0, at the ceiling rto_max_s - T0. */
static double karn_wait_s(const struct swarm_path *p, uint32_t *n)
{
	double t = 0;
	*n = 0;
	if (p->rto_s <= 0 || p->rto_max_s <= p->rto_s)
		return 0;
	for (int i = 0; i < SWARM_KARN_PLACES; i++) {
		double rto = ldexp(p->rto_s, i);
		t += p->karn_rtos[i] * ((rto < p->rto_max_s ? rto : p->rto_max_s) - p->rto_s);
		*n += p->karn_rtos[i];
	}
	return t;
}

static void bound(struct swarm_model *m, double rate_Bps, const char *why)
{
	if (rate_Bps > 0 && rate_Bps < m->rate_Bps) {
		m->rate_Bps = rate_Bps;
		m->limit = why;
	}
}

void swarm_goodput_model(const struct swarm_path *p, double bytes, struct swarm_model *m)
{
	m->rate_Bps = INFINITY;
	m->limit = "none";
	bound(m, p->bw_Bps, "bandwidth");
	bound(m, p->ack_bw_Bps, "ack-path");
	if (p->rtt_s > 0)
		bound(m, p->wnd_bytes / (p->rtt_s + p->wait_s), "window");
	if (p->loss > 0 && p->rtt_s > 0) {
		bool timeouts;
		double r = loss_Bps(p, &timeouts);
		bound(m, r, timeouts ? "loss+timeouts" : "loss");
	}
	/* Slow start: a round trip per window, doubling, until the window
	 * carries the steady rate; the rest at that rate. */
	double per_rtt = m->rate_Bps * p->rtt_s, cwnd = p->iw_bytes > 0 ? p->iw_bytes : 1;
	double left = bytes, t = 0;
	while (left > 0 && cwnd < per_rtt) {
		double n = cwnd < left ? cwnd : left;
		left -= n;
		t += left > 0 ? p->rtt_s : (p->bw_Bps > 0 ? n / p->bw_Bps : 0);
		cwnd *= 2;
	}
	if (left > 0 && isfinite(m->rate_Bps))
		t += left / m->rate_Bps;
	m->karn_s = karn_wait_s(p, &m->karn_n);
	t += p->one_way_s + p->tail_s + m->karn_s;
	m->time_s = t;
	m->goodput_Bps = t > 0 ? bytes / t : INFINITY;
}
