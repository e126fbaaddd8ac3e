/* FreeBSD's CUBIC for the FreeBSD profile (cfg.cubic_bsd_hz), from
 * sys/netinet/cc/cc_cubic.c and cc_cubic.h (fel1x-developer/freebsd-src
 * 2d614aa): draft-rhee-tcpm-cubic / RFC 8312 in FreeBSD's fixed point,
 * CUBIC_SHIFT 8 bits (beta 179/256, C 102/256, K in 1/256 s), the epoch
 * in ticks of kern.hz, cwnd set straight to the target of the ACK (no
 * per-ACK share as in RFC 9438 4.2 or Linux), slow start NewReno's with
 * ABC, and until CUBIC_MIN_RTT_SAMPLES RTT samples slow start whatever
 * ssthresh says. Linux's CUBIC (tcp_cc_cubic.c) is untouched by it. */
#include <limits.h>
#include <stdlib.h>

#include "tcp/tcp.h"
#include "tcp/tcp_cc_bsd.h"

/* cc_cubic.h's constants, in 1/256 (CUBIC_SHIFT). */
#define BSD_SHIFT 8
#define BSD_BETA 179u          /* CUBIC_BETA: 0.7 */
#define BSD_ONE_SUB_BETA 77u   /* ONE_SUB_CUBIC_BETA: 0.3 */
#define BSD_3_X_PT3 231u       /* THREE_X_PT3: 3 (1 - beta) */
#define BSD_2_SUB_PT3 435u     /* TWO_SUB_PT3: 2 - (1 - beta) */
#define BSD_C 102u             /* CUBIC_C_FACTOR: 0.4 */
#define BSD_FC 217u            /* CUBIC_FC_FACTOR: (1 + beta) / 2 */
#define BSD_MIN_RTT_SAMPLES 8u /* CUBIC_MIN_RTT_SAMPLES */
#define BSD_CUBE_MAX 448845    /* CUBED_ROOT_MAX_ULONG: (t - K) past it saturates */
#define BSD_RTT_SHIFT 5        /* TCP_RTT_SHIFT */

/* The CUBICFLAG_* bits glasstcp keeps; the HyStart++ ones (ENABLED,
 * IN_CSS) only matter with CCF_HYSTART_ALLOWED, which the code search
 * showed no caller in the base stack setting (docs/freebsd.md). */
#define F_CONG_EVENT 0x1u   /* CUBICFLAG_CONG_EVENT */
#define F_IN_SLOWSTART 0x2u /* CUBICFLAG_IN_SLOWSTART */
#define F_IN_APPLIMIT 0x4u  /* CUBICFLAG_IN_APPLIMIT */
#define F_RTO_EVENT 0x8u    /* CUBICFLAG_RTO_EVENT */

/* struct cubic, less HyStart++'s. w_max in bytes, k in 1/256 s,
 * t_epoch in ticks; the undo_* copies CC_RTO_ERR restores (cfg.rto_undo_bsd)
 * for the three of them (cwnd_prior, W_est and cwnd_epoch are not kept:
 * W_est comes from W_max here). */
struct tcp_cubic_bsd {
	int64_t k;
	int64_t sum_rtt_us;
	uint64_t w_max;
	int64_t undo_k;
	uint64_t undo_w_max;
	int32_t t_epoch;
	int32_t undo_t_epoch;
	int32_t min_rtt_us;       /* 0: TCPTV_SRTTBASE, none yet */
	int32_t mean_rtt_us;
	int32_t epoch_ack_count;
	uint32_t flags;
	uint32_t rtt_updated;     /* t_rttupdated, saturating */
	uint32_t tick_us;         /* FreeBSD's tick: 1000000 / hz */
	uint32_t hz;
	bool conn_init;           /* cubic_conn_init() has run: w_max is set */
};

/* FreeBSD's t_maxseg, the MSS before the options every segment carries,
 * which cc_cubic.c uses but for cubic_cong_signal() (tcp_maxseg(), the
 * payload: c->mss). */
static uint32_t t_maxseg(const struct tcp_conn *c)
{
	uint32_t m = tcp_bsd_maxseg(c);
	return m ? m : 1u;
}

/* FreeBSD's ticks: an int that counts kern.hz a second and wraps. */
static int32_t ticks_of(const struct tcp_cubic_bsd *x, uint64_t now_us)
{
	return (int32_t)(uint32_t)(now_us / x->tick_us);
}

/* An arithmetic right shift, as FreeBSD's compilers do it on int64_t. */
static int64_t asr(int64_t v, unsigned n)
{
	return v >= 0 ? v >> n : -((-(v + 1)) >> n) - 1;
}

/* cubic_k(): K = cbrt(W_max (1 - beta) / C) (the I-D's eqn 2) in 1/256
 * s, by Apple's Technical Report KT-32 polynomial on an argument rebased
 * into [1/8, 1) in steps of 8, each doubling K. */
static int64_t k_of(uint64_t wmax_pkts)
{
	int64_t s = (int64_t)(((wmax_pkts * BSD_ONE_SUB_BETA) << BSD_SHIFT) / BSD_C);
	unsigned p = 0;
	while (s >= 256) {
		s >>= 3;
		p++;
	}
	int64_t k = ((s * 275) >> BSD_SHIFT) + 98 - (((s * s * 120) >> BSD_SHIFT) >> BSD_SHIFT);
	return k << p;
}

/* cubic_cwnd(): W_cubic(t) = C (t - K)^3 + W_max (eqn 1), bytes; t - K
 * in 1/256 s, saturating past CUBED_ROOT_MAX_ULONG either way. */
static uint64_t w_cubic(const struct tcp_cubic_bsd *x, int32_t usecs, uint32_t smss)
{
	int64_t unit = (int64_t)x->hz * x->tick_us;
	int64_t d = (((int64_t)usecs << BSD_SHIFT) - x->k * unit) / unit;
	if (d > BSD_CUBE_MAX)
		return INT_MAX;
	if (d < -BSD_CUBE_MAX)
		return 0;
	/* Three shifts from the cube and one from C: 32 bits. */
	int64_t w = asr(d * d * d * (int64_t)BSD_C, 4 * BSD_SHIFT) * smss + (int64_t)x->w_max;
	return w > 0 ? (uint64_t)w : 0;
}

/* tf_cwnd(): the TCP-friendly window W_est(t) = W_max beta + 3 (1 -
 * beta) / (1 + beta) t / RTT segments (eqn 4), RTT the mean of the last
 * congestion epoch. */
static uint64_t w_est(const struct tcp_cubic_bsd *x, int32_t usecs, uint32_t smss)
{
	uint64_t rtt = (uint64_t)(BSD_2_SUB_PT3 * (uint32_t)x->mean_rtt_us);
	uint64_t grow = (((uint64_t)BSD_3_X_PT3 * (uint64_t)(uint32_t)usecs * smss) << BSD_SHIFT) /
			(rtt ? rtt : 1);
	return (x->w_max * BSD_BETA + grow) >> BSD_SHIFT;
}

static struct tcp_cubic_bsd *alloc(gt_stack *s, struct tcp_conn *c)
{
	if (c->cc != &tcp_cc_cubic_bsd || c->cubic.bsd)
		return c->cc == &tcp_cc_cubic_bsd ? c->cubic.bsd : NULL;
	struct tcp_cubic_bsd *x = calloc(1, sizeof(*x));
	if (!x) {
		s->st.TcpCubicLxNoMem++; /* the Linux and the FreeBSD state alike */
		return NULL;
	}
	/* cubic_cb_init(): the epoch now, no min RTT yet (TCPTV_SRTTBASE),
	 * a mean of 1 us. */
	x->hz = s->cfg.cubic_bsd_hz ? s->cfg.cubic_bsd_hz : 1000u;
	x->tick_us = 1000000u / x->hz;
	x->t_epoch = ticks_of(x, s->now_us);
	x->mean_rtt_us = 1;
	c->cubic.bsd = x;
	return x;
}

/* At every transmission with data: the state, and at the first after the
 * handshake cubic_conn_init()'s W_max = cwnd, the initial window (which
 * tcp_start_cc() sets after the module's init, and no ACK has moved yet). */
void tcp_cubic_bsd_alloc(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_cubic_bsd *x = alloc(s, c);
	if (x && !x->conn_init) {
		x->w_max = c->cwnd;
		x->conn_init = true;
	}
}

void tcp_cubic_bsd_free(struct tcp_conn *c)
{
	if (c->cc != &tcp_cc_cubic_bsd)
		return;
	free(c->cubic.bsd);
	c->cubic.bsd = NULL;
}

static void bsd_init(struct tcp_conn *c)
{
	c->ssthresh = UINT32_MAX;
	c->bytes_acked = 0;
	c->cubic_epoch = false;
	/* cubic_conn_init() is due: the next transmission takes W_max. */
	if (c->cubic.bsd)
		c->cubic.bsd->conn_init = false;
}

/* cubic_record_rtt(), at every ACK cubic_ack_received() sees: after
 * CUBIC_MIN_RTT_SAMPLES samples (t_rttupdated), SRTT's least value is
 * min_rtt (at least a tick >> TCP_RTT_SHIFT), and mean_rtt at least
 * that until cubic_post_recovery() averages an epoch; every SRTT goes
 * into that average. */
static void record_rtt(const struct tcp_conn *c, struct tcp_cubic_bsd *x)
{
	if (x->rtt_updated < BSD_MIN_RTT_SAMPLES)
		return;
	int32_t srtt = c->srtt_us < INT32_MAX ? (int32_t)c->srtt_us : INT32_MAX;
	if (srtt < x->min_rtt_us || x->min_rtt_us == 0) {
		int32_t floor = (int32_t)(x->tick_us >> BSD_RTT_SHIFT);
		x->min_rtt_us = srtt > floor ? srtt : floor;
		if (x->min_rtt_us > x->mean_rtt_us)
			x->mean_rtt_us = x->min_rtt_us;
	}
	x->sum_rtt_us += srtt;
	x->epoch_ack_count++;
}

/* cubic_does_slow_start() without HyStart++: NewReno's slow start with
 * ABC, abc_l_var segments an ACK, one after an RTO pulled SND.NXT back
 * (tcp_cc_abc_full());
 * at most TCP_MAXWIN << snd_scale. */
static void slow_start(struct tcp_conn *c, struct tcp_cubic_bsd *x, uint32_t acked)
{
	x->flags |= F_IN_SLOWSTART;
	tcp_cc_bsd_ss_step(c, acked, t_maxseg(c));
}

/* cubic_ack_received() for every CC_ACK (tcp_cc_bsd_ack_received(), after
 * cc_ack_received()'s byte count): cubic_record_rtt() first, whatever the
 * state; then nothing more in recovery (IN_RECOVERY(), fast or ECN); an
 * ACK without CCF_CWND_LIMITED (cwnd above SND.WND) marks the connection
 * application-limited (CUBICFLAG_IN_APPLIMIT), so the next ACK that may
 * grow cwnd in congestion avoidance starts a new epoch (t_epoch now, K
 * from W_max) instead of going on along the old curve; the others grow
 * cwnd: NewReno's slow start with ABC while cwnd <= ssthresh or no min RTT
 * yet, else the cubic or TCP-friendly window, clearing CCF_ABC_SENTAWND
 * (which CUBIC does not otherwise use). */
bool tcp_cubic_bsd_ack_received(struct tcp_conn *c, uint32_t acked, bool recovery, bool limited,
				uint64_t now_us)
{
	struct tcp_cubic_bsd *x = c->cc == &tcp_cc_cubic_bsd ? c->cubic.bsd : NULL;
	if (!x)
		return false;
	record_rtt(c, x);
	if (recovery)
		return true;
	if (!limited) {
		x->flags |= F_IN_APPLIMIT;
		return true;
	}
	if (c->cwnd <= c->ssthresh || x->min_rtt_us == 0) {
		slow_start(c, x, acked);
		return true;
	}
	c->bytes_acked &= ~TCP_CC_BSD_SENTAWND; /* "ccv->flags &= ~CCF_ABC_SENTAWND" */
	uint32_t mss = t_maxseg(c);
	int32_t ticks = ticks_of(x, now_us);
	if ((x->flags & F_RTO_EVENT) && (x->flags & F_IN_SLOWSTART)) {
		/* RFC 8312 4.7: the first epoch after a timeout starts on its
		 * plateau, W_max the window, K 0; t_epoch stays. */
		x->flags &= ~(F_RTO_EVENT | F_IN_SLOWSTART);
		x->w_max = c->cwnd;
		x->k = 0;
	} else if (x->flags & (F_IN_SLOWSTART | F_IN_APPLIMIT)) {
		/* The first ACK of congestion avoidance after slow start
		 * (or an application-limited spell) starts the epoch. */
		x->flags &= ~(F_IN_SLOWSTART | F_IN_APPLIMIT);
		x->t_epoch = ticks;
		x->k = k_of(x->w_max / mss);
	}
	/* usecs_since_epoch: whole ticks, an int; one that wrapped
	 * negative drags t_epoch along. */
	int32_t usecs = (int32_t)((uint32_t)(ticks - x->t_epoch) * x->tick_us);
	if (usecs < 0) {
		usecs = INT_MAX;
		x->t_epoch = (int32_t)((uint32_t)ticks - (uint32_t)INT_MAX);
	}
	uint64_t est = w_est(x, usecs, mss);
	uint64_t cub = w_cubic(x, (int32_t)((uint32_t)usecs + (uint32_t)x->mean_rtt_us), mss);
	/* W_est(t) against W_cubic(t + RTT): cwnd goes to the larger at
	 * once, and never down. */
	if (cub < est) {
		if (c->cwnd < est)
			c->cwnd = (uint32_t)(est < INT_MAX ? est : INT_MAX);
	} else if (c->cwnd < cub) {
		c->cwnd = (uint32_t)(cub < INT_MAX ? cub : INT_MAX);
	}
	/* No congestion yet (a window from the host cache): W_max follows
	 * cwnd up. */
	if (!(x->flags & F_CONG_EVENT) && x->w_max < c->cwnd) {
		x->w_max = c->cwnd;
		x->k = k_of(x->w_max / mss);
	}
	return true;
}

/* The ops' on_ack: an ACK that may grow cwnd, outside recovery and
 * limited by cwnd; cc_ack_received()'s slow-start reset of t_bytes_acked
 * with it. tcp_input.c calls tcp_cc_bsd_ack_received() instead. */
static void bsd_on_ack(struct tcp_conn *c, uint32_t acked, uint64_t now_us)
{
	if (c->cwnd <= c->ssthresh)
		c->bytes_acked = 0;
	if (!tcp_cubic_bsd_ack_received(c, acked, false, true, now_us))
		tcp_cc_newreno.on_ack(c, acked, now_us);
}

/* cubic_ssthresh_update(): fast convergence below the last W_max (cwnd
 * (1 + beta) / 2); the first congestion event takes ssthresh cwnd / 2
 * and W_max cwnd beta, later ones ssthresh cwnd beta and W_max cwnd; at
 * least two segments. */
static void ssthresh_update(struct tcp_conn *c, struct tcp_cubic_bsd *x)
{
	uint64_t cwnd = c->cwnd;
	if (cwnd < x->w_max)
		cwnd = (cwnd * BSD_FC) >> BSD_SHIFT;
	x->undo_w_max = x->w_max;
	x->w_max = cwnd;
	uint64_t ss;
	if (!(x->flags & F_CONG_EVENT)) {
		ss = cwnd >> 1;
		x->w_max = (cwnd * BSD_BETA) >> BSD_SHIFT;
	} else {
		ss = (cwnd * BSD_BETA) >> BSD_SHIFT;
	}
	uint64_t floor = 2ull * c->mss;
	c->ssthresh = (uint32_t)(ss > floor ? ss : floor);
}

/* cubic_cong_signal(CC_NDUPACK): tcp_input.c asks only outside a
 * congestion recovery (IN_CONGRECOVERY); the epoch starts now. */
static void bsd_on_loss(struct tcp_conn *c, uint64_t now_us)
{
	struct tcp_cubic_bsd *x = c->cubic.bsd;
	if (!x) {
		tcp_cc_newreno.on_loss(c, now_us);
		return;
	}
	ssthresh_update(c, x);
	x->flags |= F_CONG_EVENT;
	x->t_epoch = ticks_of(x, now_us);
	x->k = k_of(x->w_max / (c->mss ? c->mss : 1u));
	/* t_bytes_acked is left to cc_post_recovery()
	 * (tcp_cc_bsd_post_recovery()). */
}

/* cubic_cong_signal(CC_RTO): ssthresh cwnd beta, with no floor and no
 * fast convergence, W_max and K as they were; cwnd one segment. The first
 * timeout (t_rxtshift 1) keeps the epoch, W_max and K for CC_RTO_ERR
 * ("Remember the state only for the first RTO event"); undo_W_max is
 * W_max at every one. */
static void bsd_on_rto(struct tcp_conn *c, uint64_t now_us)
{
	struct tcp_cubic_bsd *x = c->cubic.bsd;
	if (!x) {
		tcp_cc_newreno.on_rto(c, now_us);
		return;
	}
	if (c->rtx_count == 1) {
		x->undo_t_epoch = x->t_epoch;
		x->undo_k = x->k;
	}
	x->undo_w_max = x->w_max;
	x->flags |= F_CONG_EVENT | F_RTO_EVENT;
	c->ssthresh = (uint32_t)(((uint64_t)c->cwnd * BSD_BETA) >> BSD_SHIFT);
	c->cwnd = c->mss;
	/* cc_cong_signal(): t_bytes_acked 0, CCF_ABC_SENTAWND kept. */
	c->bytes_acked = c->ss_bsd ? c->bytes_acked & TCP_CC_BSD_SENTAWND : 0;
}

/* cubic_cong_signal(CC_RTO_ERR), after cc_cong_signal() restored cwnd
 * and ssthresh: no congestion event (CONG_EVENT and RTO_EVENT cleared,
 * even one from before the timeout), K, W_max and the epoch from the
 * undo copies. */
static void bsd_on_rto_err(struct tcp_conn *c)
{
	struct tcp_cubic_bsd *x = c->cubic.bsd;
	if (!x)
		return;
	x->flags &= ~(F_CONG_EVENT | F_RTO_EVENT);
	x->k = x->undo_k;
	x->w_max = x->undo_w_max;
	x->t_epoch = x->undo_t_epoch;
}

/* tcp_xmit_timer()'s t_rttupdated, which cubic_record_rtt() waits on. */
static void bsd_on_rtt(gt_stack *s, struct tcp_conn *c, uint32_t rtt_us)
{
	(void)rtt_us;
	struct tcp_cubic_bsd *x = alloc(s, c);
	if (x && x->rtt_updated < UINT32_MAX)
		x->rtt_updated++;
}

/* cubic_post_recovery() at the end of a fast recovery: as NewReno's
 * below ssthresh (the flight and a segment, at least two), else W_max
 * beta where NewReno takes ssthresh, at least two segments (after the
 * first event W_max is already cwnd beta: cwnd beta^2, 0.49 of it);
 * then mean_rtt, the average SRTT of the epoch's ACKs. */
static void bsd_post_recovery(struct tcp_conn *c, uint32_t pipe)
{
	struct tcp_cubic_bsd *x = c->cubic.bsd;
	uint32_t mss = t_maxseg(c);
	if (pipe < c->ssthresh) {
		c->cwnd = (pipe > mss ? pipe : mss) + mss;
	} else if (x) {
		uint64_t w = (x->w_max * BSD_BETA) >> BSD_SHIFT, floor = 2ull * mss;
		w = w > floor ? w : floor;
		c->cwnd = (uint32_t)(w < UINT32_MAX ? w : UINT32_MAX);
	} else {
		c->cwnd = c->ssthresh;
	}
	tcp_cubic_bsd_epoch_rtt(c);
}

/* cubic_post_recovery()'s tail, which runs at the end of every recovery,
 * fast or ECN (cc_post_recovery() from tcp_do_segment()'s
 * IN_FASTRECOVERY and IN_CONGRECOVERY branches alike; only the cwnd part
 * asks IN_FASTRECOVERY): mean_rtt, the average SRTT of the ACKs since
 * the last one, then the sum and the count start again. cc_cubic.c
 * 2d614aa keeps no t_last_cong, and cwnd_prior only for CC_RTO_ERR. */
void tcp_cubic_bsd_epoch_rtt(struct tcp_conn *c)
{
	struct tcp_cubic_bsd *x = c->cc == &tcp_cc_cubic_bsd ? c->cubic.bsd : NULL;
	if (!x)
		return;
	if (x->epoch_ack_count > 0 && x->sum_rtt_us >= x->epoch_ack_count) {
		int64_t m = x->sum_rtt_us / x->epoch_ack_count;
		x->mean_rtt_us = (int32_t)(m < INT32_MAX ? m : INT32_MAX);
	}
	x->epoch_ack_count = 0;
	x->sum_rtt_us = 0;
}

/* cubic_after_idle(), when tcp_output() finds the connection idle for an
 * RTO: W_max at least the cwnd the idle found, K from it, the epoch now
 * (then newreno_cc_after_idle() cuts cwnd to the restart window, in
 * tcp_idle_restart()). The HyStart++ re-enable it also does is not
 * modelled (no caller sets CCF_HYSTART_ALLOWED, above). */
static void bsd_after_idle(struct tcp_conn *c, uint64_t now_us)
{
	struct tcp_cubic_bsd *x = c->cubic.bsd;
	if (!x)
		return;
	if (x->w_max < c->cwnd)
		x->w_max = c->cwnd;
	x->k = k_of(x->w_max / t_maxseg(c));
	x->t_epoch = ticks_of(x, now_us);
}

/* cubic_cong_signal(CC_ECN), outside a congestion recovery (tcp_ecn.c
 * asks once a window): ssthresh as for a loss (fast convergence, cwnd / 2
 * at the first event), the epoch now, K from the new W_max; cwnd =
 * ssthresh (tcp_ecn.c brings cwnd down to it). Without the state
 * (TcpCubicLxNoMem) false: tcp_ecn.c takes NewReno's half. */
static bool bsd_on_ecn(struct tcp_conn *c, uint64_t now_us)
{
	struct tcp_cubic_bsd *x = c->cubic.bsd;
	if (!x)
		return false; /* no state (short of memory): NewReno's rule */
	ssthresh_update(c, x);
	x->flags |= F_CONG_EVENT;
	x->t_epoch = ticks_of(x, now_us);
	x->k = k_of(x->w_max / (c->mss ? c->mss : 1u));
	return true;
}

const struct tcp_cc_ops tcp_cc_cubic_bsd = {
	.name = "cubic",
	.init = bsd_init,
	.on_ack = bsd_on_ack,
	.on_loss = bsd_on_loss,
	.on_rto = bsd_on_rto,
	.on_rto_err = bsd_on_rto_err,
	.on_rtt = bsd_on_rtt,
	.post_recovery = bsd_post_recovery,
	.after_idle = bsd_after_idle,
	.on_ecn = bsd_on_ecn,
};
