/* CUBIC congestion control (RFC 9438): the window grows as a cubic
 * function of the time since the last congestion event, centred on the
 * window where that event happened (W_max), with a Reno-friendly floor
 * (RFC 9438 4.3) and fast convergence (4.7). Slow start is RFC 5681's,
 * ended early by HyStart (cfg.hystart) as Linux's tcp_cubic.c does it:
 * when a round's ACKs arrive as one train longer than half the minimum
 * RTT, or when a round's least RTT grows past the minimum by an eighth
 * of it (4 to 16 ms), the queue is filling: ssthresh = cwnd. Once per
 * slow start: the verdict (hystart_found, Linux's ca->found) and the
 * round's state outlast a fast recovery, and only a timeout clears them
 * (bictcp_reset() on TCP_CA_Loss). With cfg.cubic_linux_hz the congestion
 * avoidance is Linux's own integer arithmetic instead (lx_*() below). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"

#define CUBIC_C 0.4    /* RFC 9438 5.1 */
#define CUBIC_BETA 0.7 /* RFC 9438 4.6: multiplicative decrease */

/* HyStart's constants, Linux's (tcp_cubic.c). */
#define HY_LOW_WINDOW 16u        /* hystart_low_window: segments */
#define HY_ACK_DELTA_US 2000u    /* hystart_ack_delta_us: ACKs of one train */
#define HY_MIN_SAMPLES 8u        /* HYSTART_MIN_SAMPLES: per round */
#define HY_DELAY_MIN_US 4000u    /* HYSTART_DELAY_MIN */
#define HY_DELAY_MAX_US 16000u   /* HYSTART_DELAY_MAX */
#define HY_GSO_MAX_BYTES 65536u  /* GSO_LEGACY_MAX_SIZE, for hystart_ack_delay() */

#define HY_SENT 4096u            /* the send log's records, at most */
#define HY_SENT_MIN 16u          /* ... to begin with */

/* One slow start's HyStart state, allocated at its first transmission or
 * RTT sample and freed when slow start ends: a connection in congestion
 * avoidance holds none. Times are stack microseconds mod 2^32
 * (differences within a round only).
 *
 * Linux samples HyStart with ca_rtt_us (tcp_clean_rtx_queue()): the time
 * since the most recently sent of the segments an ACK newly covers went
 * out, in microseconds, on every ACK that covers new data, and none when
 * it covers a retransmission (FLAG_RETRANS_DATA_ACKED) -- not the
 * timestamp echo (1 ms, and the oldest segment the peer's delayed ACK
 * held) nor Karn's one timed segment per round trip (without
 * timestamps, too few for the delay detector's 8 samples a round). The
 * send log gives that time: bursts sent at one instant share a record.
 * It starts at 16 records and doubles with the flight up to 4096 (32 KiB,
 * a slow start's flight of some 4000 send times); full, it merges its two
 * oldest records (TcpHystartLogMerged) with the earlier time kept, so a
 * merged record overstates an RTT, never understates the least one. */
struct tcp_hystart {
	uint32_t log_lo;            /* where sent[0] starts */
	uint16_t nsent, cap;
	bool rtx;                   /* something below rtx_end was sent again */
	uint32_t rtx_end;
	uint32_t round_start_us;    /* the round began (its first ACK) */
	uint32_t last_ack_us;       /* the train's latest ACK */
	uint32_t end_seq;           /* the round ends when SND.UNA passes it */
	uint32_t curr_rtt_us;       /* the round's least RTT so far */
	uint32_t delay_min_us;      /* the least RTT of this slow start */
	uint8_t samples;            /* RTT samples in this round */
	struct {
		uint32_t end, at_us;    /* sent up to end (exclusive) at at_us */
	} sent[];
};

/* Linux's tcp_cubic.c constants: bic_scale 41 (C = 41 * 10 / 1024 = 0.4),
 * beta 717/1024, BICTCP_HZ 10 (time in 1/1024 s). */
#define LX_BETA 717u
#define LX_BETA_SCALE 1024u
#define LX_CUBE_RTT_SCALE 410u                          /* bic_scale * 10 */
#define LX_CUBE_FACTOR ((1ull << 40) / LX_CUBE_RTT_SCALE) /* 2^(10+3*10) / 410 */
/* tcp_friendliness's beta_scale: 8 (1024 + 717) / 3 / (1024 - 717). */
#define LX_FRIENDLY_SCALE (8u * (LX_BETA_SCALE + LX_BETA) / 3u / (LX_BETA_SCALE - LX_BETA))


static double segs(const struct tcp_conn *c, uint32_t bytes)
{
	return (double)bytes / (double)(c->mss ? c->mss : 1);
}

static void hy_free(struct tcp_conn *c)
{
	if (!c->hystart_on)
		return;
	free(c->cubic.hy);
	c->cubic.hy = NULL;
	c->hystart_on = false;
}

void tcp_cc_cubic_release(struct tcp_conn *c)
{
	hy_free(c);
	tcp_cubic_bsd_free(c);
	if (c->cc == &tcp_cc_cubic_lx && c->cubic.lx) {
		free(c->cubic.lx);
		c->cubic.lx = NULL;
	}
}

/* Linux's state for cfg.cubic_linux_hz, at the connection's first
 * transmission or RTT sample; without memory (counted) the connection
 * runs NewReno's rules until a later try finds some. */
static void lx_alloc(gt_stack *s, struct tcp_conn *c)
{
	if (c->cc != &tcp_cc_cubic_lx || c->cubic.lx)
		return;
	struct tcp_cubic_lx *x = calloc(1, sizeof(*x));
	if (!x) {
		s->st.TcpCubicLxNoMem++;
		return;
	}
	x->hz = s->cfg.cubic_linux_hz ? s->cfg.cubic_linux_hz : 250u;
	c->cubic.lx = x;
}

/* The state before anything is sent, for a reduction that comes first
 * (a refused send's tcp_enter_cwr(): tcp_output.c tx_refused_cwr()). */
void tcp_cubic_lx_alloc(gt_stack *s, struct tcp_conn *c)
{
	lx_alloc(s, c);
}

static bool lx_mode(const struct tcp_conn *c)
{
	return c->cc == &tcp_cc_cubic_lx && c->cubic.lx;
}

/* tcp_cc_cubic_lx without its state (TcpCubicLxNoMem): NewReno's rules,
 * which keep nothing in the union the state's pointer lives in. */
static bool lx_none(const struct tcp_conn *c)
{
	return c->cc == &tcp_cc_cubic_lx && !c->cubic.lx;
}

/* bictcp_reset(): CUBIC's state, not the socket's (HZ, lsndtime). */
static void lx_reset(struct tcp_conn *c)
{
	struct tcp_cubic_lx *x = c->cubic.lx, keep = *x;
	memset(x, 0, sizeof(*x));
	x->hz = keep.hz;
	x->lsnd_on = keep.lsnd_on;
	x->lsnd_j = keep.lsnd_j;
}

static void cubic_init(struct tcp_conn *c)
{
	/* The union held open_us until now: no HyStart state is live
	 * (hystart_on says whether it is; a second start frees it). */
	hy_free(c);
	c->hystart_on = false;
	c->hystart_found = false;
	c->cubic.hy = NULL;
	c->ssthresh = UINT32_MAX;
	c->bytes_acked = 0;
	c->cubic.w_max = 0;
	c->cubic_epoch = false;
	if (lx_mode(c)) {
		lx_reset(c);
	}
}

/* Linux's cubic_root(): the cube root of a 64-bit value from a table of
 * the top six bits' roots and one Newton-Raphson step, 0.2% off on
 * average. The result is kept as Linux's (bic_K, hence the whole curve,
 * comes from it), so the table is the kernel's: cbrt(x << 18) - 1 for x
 * in 0..63, adjusted by hand there. */
uint32_t tcp_cubic_root_lx(uint64_t a)
{
	static const uint8_t top[64] = {
		0, 54, 54, 54, 118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
		157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
		200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
		231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254,
	};
	uint32_t bits = a ? 64u - (uint32_t)__builtin_clzll(a) : 0; /* fls64() */
	if (bits < 7)
		return ((uint32_t)top[a] + 35u) >> 6;
	/* bits * 84 / 256 - 1 is a third of the width less one: the top six
	 * bits of a, shifted down by a multiple of 3, index the table. */
	uint32_t b = ((bits * 84u) >> 8) - 1u;
	uint32_t x = ((uint32_t)(((uint32_t)top[a >> (b * 3u)] + 10u) << b)) >> 6;
	/* x' = (2x + a / x^2) / 3, with x(x - 1) for x^2 and 341/1024 for 1/3
	 * as the kernel has them. */
	x = 2u * x + (uint32_t)(a / ((uint64_t)x * (uint64_t)(x - 1u)));
	return (x * 341u) >> 10;
}

static uint32_t lx_jiffies(const struct tcp_conn *c, uint64_t now_us)
{
	return (uint32_t)(now_us * c->cubic.lx->hz / 1000000u);
}

/* bictcp_update()'s tcp_friendliness: the window Reno would have by now,
 * a packet per cwnd * 15 / 8 acknowledged (alpha = 3 (1 - beta) / (1 +
 * beta)), bounds cnt from above; and at most 1 packet per 2 acknowledged,
 * 1.5 times a round trip. */
static void lx_friendly(struct tcp_conn *c, uint32_t cwnd)
{
	struct tcp_cubic_lx *x = c->cubic.lx;
	uint32_t per = (cwnd * LX_FRIENDLY_SCALE) >> 3;
	if (per && x->ack_cnt > per) {
		uint32_t n = (x->ack_cnt - 1u) / per;
		x->ack_cnt -= n * per;
		x->tcp_cwnd += n;
	}
	if (x->tcp_cwnd > cwnd) {
		uint32_t max_cnt = cwnd / (x->tcp_cwnd - cwnd);
		if (x->cnt > max_cnt)
			x->cnt = max_cnt;
	}
	if (x->cnt < 2u)
		x->cnt = 2u;
}

/* bictcp_update(): ca->cnt, the packets acknowledged per packet of cwnd
 * growth, from the cubic target at t + delay_min, where t and delay_min
 * are whole jiffies (usecs_to_jiffies() rounds up) and W_max the origin;
 * at most once a jiffy, and not again within HZ/32 for an unchanged cwnd
 * (then false: nothing but ack_cnt moved). */
static bool lx_update(struct tcp_conn *c, uint32_t cwnd, uint32_t acked, uint32_t j)
{
	struct tcp_cubic_lx *x = c->cubic.lx;
	uint32_t hz = x->hz;
	x->ack_cnt += acked;
	if (x->last_cwnd == cwnd && (int32_t)(j - x->last_j) <= (int32_t)(hz / 32u))
		return false;
	if (!(c->cubic_epoch && j == x->last_j)) {
		x->last_cwnd = cwnd;
		x->last_j = j;
		if (!c->cubic_epoch) {
			hy_free(c); /* slow start is over */
			c->cubic_epoch = true;
			x->epoch_j = j;
			x->ack_cnt = acked;
			x->tcp_cwnd = cwnd;
			if (x->last_max_cwnd <= cwnd) {
				x->k = 0;
				x->origin = cwnd;
			} else {
				/* K = cbrt((W_max - cwnd) / C) in 1/1024 s. */
				x->k = tcp_cubic_root_lx(
					LX_CUBE_FACTOR * (x->last_max_cwnd - cwnd));
				x->origin = x->last_max_cwnd;
			}
		}
		uint64_t t = (uint64_t)(int64_t)(int32_t)(j - x->epoch_j);
		t += ((uint64_t)x->delay_min_us * hz + 999999u) / 1000000u;
		t = (t << 10) / hz;
		uint64_t k = x->k;
		uint64_t offs = t < k ? k - t : t - k;
		/* C (t - K)^3 in packets; wraps in 64 bits as the kernel's. */
		uint32_t delta = (uint32_t)((LX_CUBE_RTT_SCALE * offs * offs * offs) >> 40);
		uint32_t target = t < k ? x->origin - delta : x->origin + delta;
		x->cnt = target > cwnd ? cwnd / (target - cwnd) : 100u * cwnd;
		/* No loss yet: at least 5% a round trip. */
		if (!x->last_max_cwnd && x->cnt > 20u)
			x->cnt = 20u;
	}
	lx_friendly(c, cwnd);
	return true;
}

/* cubictcp_cong_avoid(): tcp_slow_start() up to ssthresh, the rest of the
 * ACK's packets to bictcp_update() and tcp_cong_avoid_ai(), whose credit
 * (snd_cwnd_cnt) is bytes_acked here, counted in packets. The caller
 * has asked tcp_is_cwnd_limited(), and hands the ACK over a packet at a
 * time where Linux takes it whole: the first packet of an ACK decides as
 * bictcp_update() would for all of it (early return or not, from the
 * cwnd before the ACK), the others only count (ack_cnt and the
 * friendliness bound, which come out as for the whole ACK at its last
 * packet), and tcp_cong_avoid_ai() is taken again from the ACK's start
 * with the packets so far at the cnt now, so that a cnt lowered by a
 * later packet applies to the whole ACK, as in Linux. */
static void lx_on_ack(struct tcp_conn *c, uint32_t acked, uint64_t now_us)
{
	struct tcp_cubic_lx *x = c->cubic.lx;
	uint32_t mss = c->mss ? c->mss : 1u;
	uint32_t pkts = (acked + mss - 1u) / mss;
	uint32_t cwnd = c->cwnd / mss, ss = c->ssthresh / mss;
	if (cwnd < ss) {
		/* tcp_slow_start(): packets, up to ssthresh; the rest of the
		 * ACK goes on to congestion avoidance. */
		uint32_t to = cwnd + pkts < ss ? cwnd + pkts : ss;
		pkts -= to - cwnd;
		c->cwnd += (to - cwnd) * mss;
		cwnd = to;
	}
	if (!pkts)
		return;
	uint32_t j = lx_jiffies(c, now_us);
	bool cont = c->cubic_epoch && x->ack_k && x->ack_una == c->snd_una &&
		    x->ack_j16 == (uint16_t)j && x->ack_k < UINT16_MAX - pkts;
	if (!cont) {
		x->ack_una = c->snd_una;
		x->ack_j16 = (uint16_t)j;
		x->ack_cwnd0 = c->cwnd;
		x->ack_acc0 = c->bytes_acked;
		x->ack_k = (uint16_t)pkts;
		x->early = !lx_update(c, cwnd ? cwnd : 1u, pkts, j);
	} else {
		x->ack_k = (uint16_t)(x->ack_k + pkts);
		x->ack_cnt += pkts;
		if (!x->early)
			lx_friendly(c, x->ack_cwnd0 / mss ? x->ack_cwnd0 / mss : 1u);
	}
	/* tcp_cong_avoid_ai(cnt, ack_k) from the ACK's start. */
	uint32_t w = x->cnt, acc = x->ack_acc0, grow = 0;
	if (acc >= w) {
		/* Credit earned at a larger w goes now, gently. */
		acc = 0;
		grow = 1;
	}
	acc += x->ack_k;
	if (acc >= w) {
		grow += acc / w;
		acc -= (acc / w) * w;
	}
	c->bytes_acked = acc;
	uint64_t b = (uint64_t)x->ack_cwnd0 + (uint64_t)grow * mss;
	c->cwnd = b < UINT32_MAX ? (uint32_t)b : UINT32_MAX;
}

/* cubictcp_recalc_ssthresh(): the epoch ends; W_max is cwnd, or with
 * fast convergence (below the last W_max) cwnd (1 + beta) / 2; ssthresh
 * cwnd beta, at least 2 packets. snd_cwnd_cnt goes with the reduction
 * (tcp_init_cwnd_reduction()). */
static void lx_reduce(struct tcp_conn *c)
{
	struct tcp_cubic_lx *x = c->cubic.lx;
	uint32_t mss = c->mss ? c->mss : 1u;
	uint32_t cwnd = c->cwnd / mss;
	c->cubic_epoch = false;
	if (cwnd < x->last_max_cwnd)
		x->last_max_cwnd = cwnd * (LX_BETA_SCALE + LX_BETA) / (2u * LX_BETA_SCALE);
	else
		x->last_max_cwnd = cwnd;
	uint32_t ss = cwnd * LX_BETA / LX_BETA_SCALE;
	c->ssthresh = (ss > 2u ? ss : 2u) * mss;
	c->bytes_acked = 0;
}

static void cubic_on_ack(struct tcp_conn *c, uint32_t acked, uint64_t now_us)
{
	if (lx_mode(c)) {
		lx_on_ack(c, acked, now_us);
		return;
	}
	if (lx_none(c)) {
		tcp_cc_newreno.on_ack(c, acked, now_us);
		return;
	}
	if (tcp_cc_ss_grow(c, acked))
		return; /* slow start */
	double cwnd = segs(c, c->cwnd);
	if (!c->cubic_epoch) {
		/* First ACK of a congestion-avoidance epoch (RFC 9438 4.2). */
		hy_free(c); /* slow start is over */
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
	if (lx_mode(c)) {
		lx_reduce(c);
		return;
	}
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
	if (lx_none(c)) {
		tcp_cc_newreno.on_loss(c, now_us);
		return;
	}
	cubic_reduce(c, now_us);
}

static void cubic_on_rto(struct tcp_conn *c, uint64_t now_us)
{
	/* A timeout starts HyStart afresh (Linux's bictcp_reset() and
	 * bictcp_hystart_reset() on TCP_CA_Loss, delay_min and found with
	 * them). */
	hy_free(c);
	c->hystart_found = false;
	if (lx_none(c)) {
		tcp_cc_newreno.on_rto(c, now_us);
		return;
	}
	cubic_reduce(c, now_us);
	c->cwnd = c->mss; /* RFC 9438 4.8: loss window after a timeout */
	if (lx_mode(c)) {
		/* cubictcp_state(TCP_CA_Loss): bictcp_reset() forgets it all,
		 * last_max_cwnd and delay_min with the epoch. */
		lx_reset(c);
		return;
	}
	/* RFC 9438 4.8: the first congestion-avoidance stage after a timeout
	 * runs with K = 0 and W_max = the window it starts at (as Linux's
	 * cubictcp_state() forgets last_max_cwnd on TCP_CA_Loss): the epoch
	 * then begins on its plateau, not climbing back to the old W_max. */
	c->cubic.w_max = 0;
}

/* bictcp_hystart_reset(): a new round. */
static void hy_round(const gt_stack *s, struct tcp_conn *c, struct tcp_hystart *h)
{
	h->round_start_us = h->last_ack_us = (uint32_t)s->now_us;
	h->end_seq = c->snd_nxt;
	h->curr_rtt_us = UINT32_MAX;
	h->samples = 0;
}

/* hystart_ack_delay(): how late a train's ACK may come for the pacing
 * of a GSO burst. glasstcp does not pace, but Linux derives the rate it
 * would (tcp_update_pacing_rate(): 200% of cwnd per SRTT in slow start)
 * and allows 4 GSO packets at it, at most 1 ms. */
static uint32_t hy_ack_delay_us(const struct tcp_conn *c)
{
	if (!c->srtt_us)
		return 0;
	uint64_t rate = 2ull * c->cwnd * 1000000u / c->srtt_us; /* bytes/s */
	if (!rate)
		return 0;
	uint64_t d = 4ull * HY_GSO_MAX_BYTES * 1000000u / rate;
	return d < 1000 ? (uint32_t)d : 1000u;
}

static void hy_found(gt_stack *s, struct tcp_conn *c, bool train)
{
	c->ssthresh = c->cwnd;
	c->hystart_found = true;
	if (train) {
		s->st.TcpHystartTrainDetect++;
		s->st.TcpHystartTrainCwnd += c->cwnd / c->mss;
	} else {
		s->st.TcpHystartDelayDetect++;
		s->st.TcpHystartDelayCwnd += c->cwnd / c->mss;
	}
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c),
			  train ? "HyStart ACK train" : "HyStart delay");
	hy_free(c);
}

static bool hy_wanted(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.hystart && (c->cc == &tcp_cc_cubic || c->cc == &tcp_cc_cubic_lx) &&
	       !c->hystart_found && !c->cubic_epoch &&
	       c->cwnd < c->ssthresh && !c->in_recovery;
}

static struct tcp_hystart *hy_get(gt_stack *s, struct tcp_conn *c)
{
	if (!c->hystart_on) {
		struct tcp_hystart *h = calloc(1, sizeof(*h) + HY_SENT_MIN * sizeof(h->sent[0]));
		if (!h) {
			s->st.TcpHystartNoMem++;
			return NULL;
		}
		h->cap = HY_SENT_MIN;
		c->cubic.hy = h;
		c->hystart_on = true;
		hy_round(s, c, h);
	}
	return c->cubic.hy;
}

void tcp_hystart_sent(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	if (len) {
		lx_alloc(s, c);
		tcp_cubic_bsd_alloc(s, c);
	}
	if (!len || !hy_wanted(s, c))
		return;
	struct tcp_hystart *h = hy_get(s, c);
	if (!h)
		return;
	uint32_t end = seq + len, now = (uint32_t)s->now_us;
	if (seq_lt(seq, c->snd_max)) {
		if (!h->rtx || seq_gt(end, h->rtx_end))
			h->rtx_end = end;
		h->rtx = true;
		return;
	}
	if (h->nsent && h->sent[h->nsent - 1].at_us == now && h->sent[h->nsent - 1].end == seq) {
		h->sent[h->nsent - 1].end = end;
		return;
	}
	if (h->nsent == h->cap && h->cap < HY_SENT) {
		uint16_t cap = (uint16_t)(h->cap * 2);
		struct tcp_hystart *g = realloc(h, sizeof(*h) + cap * sizeof(h->sent[0]));
		if (g) {
			g->cap = cap;
			c->cubic.hy = h = g;
		}
	}
	if (h->nsent == h->cap) {
		/* Records 0 and 1 become one, sent at record 0's time. */
		h->sent[1].at_us = h->sent[0].at_us;
		memmove(h->sent, h->sent + 1, (size_t)(h->cap - 1) * sizeof(h->sent[0]));
		h->nsent--;
		s->st.TcpHystartLogMerged++;
	}
	if (!h->nsent)
		h->log_lo = seq;
	h->sent[h->nsent].end = end;
	h->sent[h->nsent].at_us = now;
	h->nsent++;
}

bool tcp_hystart_rtt(gt_stack *s, struct tcp_conn *c, uint32_t una0, uint32_t *rtt_us)
{
	if (!c->hystart_on || !c->cubic.hy)
		return false;
	struct tcp_hystart *h = c->cubic.hy;
	uint32_t ack = c->snd_una;
	bool rtx = h->rtx && seq_gt(h->rtx_end, una0);
	if (h->rtx && !seq_gt(h->rtx_end, ack))
		h->rtx = false;
	/* The most recent record the ACK covers in full (records are in
	 * sending order, so in sequence order too). */
	uint16_t k = 0;
	bool have = false;
	uint32_t at = 0;
	while (k < h->nsent && seq_le(h->sent[k].end, ack)) {
		if (seq_gt(h->sent[k].end, una0)) {
			at = h->sent[k].at_us;
			have = true;
		}
		k++;
	}
	uint32_t start = k ? h->sent[k - 1].end : h->log_lo;
	if (k < h->nsent && seq_lt(una0, ack) && seq_lt(start, ack)) {
		at = h->sent[k].at_us; /* part of a record: its segments share its time */
		have = true;
	}
	if (k)
		h->log_lo = h->sent[k - 1].end;
	memmove(h->sent, h->sent + k, (size_t)(h->nsent - k) * sizeof(h->sent[0]));
	h->nsent = (uint16_t)(h->nsent - k);
	/* The log holds only what went out while HyStart watched (hy_wanted():
	 * slow start, not in recovery); the state lives on until cubic's
	 * first congestion-avoidance ACK, which an application-limited flow
	 * may never bring. With nothing of this ACK in the log, the log has no
	 * word on it: the ACK's own sample stands, as Linux's seq_rtt_us from
	 * the retransmission queue (tcp_clean_rtx_queue(), first_ackt), which
	 * ends the backoff (tcp_ack_update_rtt()). Answered "no sample", an
	 * RTO backoff of 6 outlived 4,700 s of ACKed segments sent once, and
	 * held every short segment behind a cork ceiling of 64 RTOs, 15 s
	 * (swarm seed 30008922 with a 2,048-byte send buffer). */
	if (!have && !rtx)
		return false;
	*rtt_us = have && !rtx ? (uint32_t)s->now_us - at : UINT32_MAX;
	return true;
}

/* An ACK that moves no SND.UNA but SACKs new data up to hi: Linux's
 * ca_rtt_us is then the time since the most recently sent of the newly
 * SACKed segments went out (tcp_clean_rtx_queue(): sack->last_sackt,
 * which tcp_sacktag_one() takes from segments never retransmitted), and
 * cubictcp_acked() gets it like any other: a SACK keeps an ACK train
 * going and counts as a delay sample. Blocks are taken in sequence order
 * there, so the last is the highest, the latest sent. */
bool tcp_hystart_sack_rtt(gt_stack *s, struct tcp_conn *c, uint32_t hi, uint32_t *rtt_us)
{
	if (!c->hystart_on || !c->cubic.hy)
		return false;
	const struct tcp_hystart *h = c->cubic.hy;
	uint32_t last = hi - 1;
	if (h->rtx && seq_lt(last, h->rtx_end))
		return false; /* sent again: no sample (TCPCB_RETRANS) */
	uint32_t start = h->log_lo;
	for (uint16_t k = 0; k < h->nsent; k++) {
		if (seq_ge(last, start) && seq_lt(last, h->sent[k].end)) {
			*rtt_us = (uint32_t)s->now_us - h->sent[k].at_us;
			return true;
		}
		start = h->sent[k].end;
	}
	return false;
}

/* cubictcp_acked() and hystart_update(). */
static void cubic_on_rtt(gt_stack *s, struct tcp_conn *c, uint32_t rtt_us)
{
	/* cubictcp_acked(): delay_min, bictcp_update()'s RTT, is the least
	 * sample, but none is taken in the first second (HZ) of an epoch:
	 * right after a recovery the samples are the queue's. */
	lx_alloc(s, c);
	if (lx_mode(c)) {
		struct tcp_cubic_lx *x = c->cubic.lx;
		bool young = c->cubic_epoch && (int32_t)(lx_jiffies(c, s->now_us) - x->epoch_j) <
						     (int32_t)x->hz;
		uint32_t d = rtt_us ? rtt_us : 1u;
		if (!young && (!x->delay_min_us || d < x->delay_min_us))
			x->delay_min_us = d;
	}
	if (!hy_wanted(s, c))
		return;
	struct tcp_hystart *h = hy_get(s, c);
	if (!h)
		return;
	uint32_t delay = rtt_us ? rtt_us : 1;
	if (!h->delay_min_us || delay < h->delay_min_us)
		h->delay_min_us = delay;
	if (seq_gt(c->snd_una, h->end_seq))
		hy_round(s, c, h);
	if (c->cwnd < HY_LOW_WINDOW * c->mss)
		return;
	uint32_t now = (uint32_t)s->now_us;
	/* The ACK train: ACKs no more than 2 ms apart since the round
	 * began, for longer than half the least RTT (the threshold halved
	 * because nothing is paced: sk_pacing_status SK_PACING_NONE). */
	if ((int32_t)(now - h->last_ack_us) <= (int32_t)HY_ACK_DELTA_US) {
		h->last_ack_us = now;
		uint32_t threshold = (h->delay_min_us + hy_ack_delay_us(c)) / 2;
		if ((int32_t)(now - h->round_start_us) > (int32_t)threshold) {
			hy_found(s, c, true);
			return;
		}
	}
	/* The delay: the round's least RTT, after 8 samples, past the
	 * minimum by an eighth of it, clamped to 4..16 ms. */
	if (h->curr_rtt_us > delay)
		h->curr_rtt_us = delay;
	if (h->samples < HY_MIN_SAMPLES) {
		h->samples++;
		return;
	}
	uint32_t thresh = h->delay_min_us / 8;
	thresh = thresh < HY_DELAY_MIN_US ? HY_DELAY_MIN_US
	       : thresh > HY_DELAY_MAX_US ? HY_DELAY_MAX_US : thresh;
	if (h->curr_rtt_us > h->delay_min_us + thresh)
		hy_found(s, c, false);
}

/* cubictcp_cwnd_event(CA_EVENT_TX_START), raised by Linux's
 * tcp_event_data_sent() when data goes out with nothing in flight: after
 * an idle (application-limited) spell, epoch_start moves forward by the
 * time since the last data sent (lsndtime), never past now, so the cubic
 * curve goes on from where the sender stopped rather than from where the
 * idle time would have taken it. Linux 6.18, CUBIC in congestion
 * avoidance, 2 s idle with tcp_slow_start_after_idle 0: the round after
 * keeps cwnd 8, where the unshifted epoch gave 11
 * (tests/pkt/linux/cubic-idle-shifts-epoch.pkt). Every data segment
 * then stamps lsndtime. */
static void cubic_on_sent(struct tcp_conn *c, bool idle, uint64_t now_us)
{
	if (!lx_mode(c))
		return;
	struct tcp_cubic_lx *x = c->cubic.lx;
	uint32_t j = lx_jiffies(c, now_us);
	int32_t delta = (int32_t)(j - x->lsnd_j);
	if (idle && x->lsnd_on && c->cubic_epoch && delta > 0) {
		x->epoch_j += (uint32_t)delta;
		if ((int32_t)(x->epoch_j - j) > 0)
			x->epoch_j = j;
	}
	x->lsnd_j = j;
	x->lsnd_on = true;
}

const struct tcp_cc_ops tcp_cc_cubic = {
	.name = "cubic",
	.init = cubic_init,
	.on_ack = cubic_on_ack,
	.on_loss = cubic_on_loss,
	.on_rto = cubic_on_rto,
	.on_rtt = cubic_on_rtt,
};

/* The same functions; lx_mode() tells them apart by these ops. */
const struct tcp_cc_ops tcp_cc_cubic_lx = {
	.name = "cubic",
	.init = cubic_init,
	.on_ack = cubic_on_ack,
	.on_loss = cubic_on_loss,
	.on_rto = cubic_on_rto,
	.on_rtt = cubic_on_rtt,
	.on_sent = cubic_on_sent,
};

const struct tcp_cc_ops *tcp_cc_for(const gt_stack *s, enum gt_cc id)
{
	if (id == GT_CC_CUBIC && s->cfg.cubic_bsd_hz)
		return &tcp_cc_cubic_bsd; /* tcp_cc_cubic_bsd.c */
	if (id == GT_CC_CUBIC && s->cfg.cubic_linux_hz)
		return &tcp_cc_cubic_lx;
	return tcp_cc_by_id(id);
}
