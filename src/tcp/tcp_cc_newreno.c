/* NewReno congestion control: slow start and congestion avoidance with
 * appropriate byte counting (RFC 5681 3.1, RFC 3465), the loss response
 * of fast retransmit (RFC 5681 3.2); fast recovery lives in tcp_input.c
 * (RFC 6582), the RTO response here (RFC 5681 3.1 eq. 4). ssthresh as
 * the profiles' kernels set it where they differ from eq. (4): Linux's
 * tcp_reno_ssthresh() and FreeBSD's newreno_cong_signal(). */
#include "tcp/tcp.h"
#include "tcp/tcp_cc_bsd.h"

void tcp_cc_bsd_cwnd_add(struct tcp_conn *c, uint32_t n)
{
	uint64_t cw = (uint64_t)c->cwnd + n;
	uint64_t max = (uint64_t)65535u << c->snd_wscale; /* TCP_MAXWIN << snd_scale */
	c->cwnd = (uint32_t)(cw < max ? cw : max);
}

void tcp_cc_bsd_ss_step(struct tcp_conn *c, uint32_t acked, uint32_t maxseg)
{
	uint32_t l = (tcp_cc_abc_full(c) ? 2u : 1u) * maxseg; /* abc_l_var = 2 */
	tcp_cc_bsd_cwnd_add(c, acked < l ? acked : l);
}

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
	 * zeroes the congestion-avoidance byte count meanwhile (t_bytes_acked).
	 * The segment is t_maxseg, with the options' bytes: an ACK of 8
	 * segments of 1,448 adds 2,920 (newreno_ack_received():
	 * "ccv->nsegs * abc_val * CCV(ccv, t_maxseg)", nsegs 1 without LRO). */
	if (c->cwnd > c->ssthresh)
		return false;
	tcp_cc_bsd_ss_step(c, acked, tcp_bsd_maxseg(c));
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

/* FreeBSD's cc_ack_received(CC_ACK) (tcp_input.c, 2d614aa), in order:
 * CCF_CWND_LIMITED "if (tp->snd_cwnd <= tp->snd_wnd)" (net.inet.tcp.newcwv
 * off, the default: whether the flight filled cwnd is not asked, so an
 * application-limited sender grows while cwnd is within the peer's
 * window); in congestion avoidance t_bytes_acked += bytes_this_ack on
 * every such ACK, limited or not, in recovery too, CCF_ABC_SENTAWND set
 * (and a cwnd taken off) when it reaches cwnd, the flag kept until an ACK
 * that may grow cwnd takes it; in slow start the count and the flag
 * cleared. Then the module: newreno_ack_received() grows only for "type
 * == CC_ACK && !IN_RECOVERY(...) && (ccv->flags & CCF_CWND_LIMITED)": in
 * slow start (cwnd <= ssthresh) by ABC (net.inet.tcp.rfc3465 on, the
 * default; tcp_cc_ss_grow()), in congestion avoidance by one t_maxseg when
 * CCF_ABC_SENTAWND is set (clearing it), at most TCP_MAXWIN << snd_scale.
 * cubic_ack_received() has its own (tcp_cubic_bsd_ack_received()). */
void tcp_cc_bsd_ack_received(struct tcp_conn *c, uint32_t acked, bool recovery, uint32_t wnd,
			     uint64_t now_us)
{
	bool limited = c->cwnd <= wnd;
	uint32_t count = c->bytes_acked & ~TCP_CC_BSD_SENTAWND;
	bool sentawnd = (c->bytes_acked & TCP_CC_BSD_SENTAWND) != 0;
	if (c->cwnd > c->ssthresh) {
		count = count + acked > count ? count + acked : ~TCP_CC_BSD_SENTAWND;
		if (count >= c->cwnd) {
			count -= c->cwnd;
			sentawnd = true;
		}
	} else {
		count = 0;
		sentawnd = false;
	}
	c->bytes_acked = (count & ~TCP_CC_BSD_SENTAWND) | (sentawnd ? TCP_CC_BSD_SENTAWND : 0);
	if (c->cc == &tcp_cc_cubic_bsd && tcp_cubic_bsd_ack_received(c, acked, recovery, limited, now_us))
		return;
	if (recovery || !limited)
		return;
	if (tcp_cc_ss_grow(c, acked))
		return;
	if (!(c->bytes_acked & TCP_CC_BSD_SENTAWND))
		return; /* "ABC is on by default, so incr equals 0 frequently" */
	c->bytes_acked &= ~TCP_CC_BSD_SENTAWND;
	tcp_cc_bsd_cwnd_add(c, tcp_bsd_maxseg(c));
}

void tcp_cc_bsd_post_recovery(struct tcp_conn *c)
{
	c->bytes_acked &= TCP_CC_BSD_SENTAWND;
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
	/* FreeBSD's cc_cong_signal(CC_NDUPACK) leaves t_bytes_acked to
	 * cc_post_recovery() (tcp_cc_bsd_post_recovery()). */
	if (!c->ss_bsd)
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
	/* FreeBSD's cc_cong_signal(CC_RTO): "tp->t_bytes_acked = 0", the
	 * CCF_ABC_SENTAWND flag (ccv->flags) left as it is: after a
	 * CC_RTO_ERR undo puts cwnd back above ssthresh the flag set before
	 * the timeout still grows cwnd
	 * (tests/pkt/freebsd/rto-undo-keeps-abc-sentawnd.pkt). */
	c->bytes_acked = c->ss_bsd ? c->bytes_acked & TCP_CC_BSD_SENTAWND : 0;
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
