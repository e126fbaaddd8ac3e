/* The retransmission timer's estimator (RFC 6298 2), table-driven: each
 * row feeds tcp_rtt_sample() a sequence of RTT samples and checks SRTT,
 * RTTVAR, RTO and the minimum RTT after every one against a model written
 * here from the RFC's formulas in exact (double) arithmetic:
 *   first sample R:  SRTT = R, RTTVAR = R/2                         (2.2)
 *   then:            RTTVAR = (1 - 1/4) RTTVAR + 1/4 |SRTT - R'|
 *                    SRTT   = (1 - 1/8) SRTT   + 1/8 R'             (2.3)
 *   always:          RTO = SRTT + max(G, 4 RTTVAR), G = 1 ms        (2.2, 2.3)
 *                    clamped to [rto_min_us, rto_max_us]            (2.4, 2.5)
 * The stack keeps microseconds in integers and divides by truncation; the
 * tolerance allowed for that is derived, sample by sample, in rounding(). */
#include "harness.h"
#include "null_device.h"

#include <math.h>
#include <stdlib.h>

#include "tcp/tcp.h"

#define G_US 1000.0 /* clock granularity G (RFC 6298 2) */
#define MAX_SAMPLES 48

struct rto_row {
	const char *name;
	uint32_t rto_min_us, rto_max_us;
	uint32_t n;
	uint32_t r_us[MAX_SAMPLES];
};

/* The model of RFC 6298, exact. */
struct model {
	double srtt, rttvar, rto;
	uint32_t min_rtt;
	bool have;
	/* Bounds on |stack - model| of SRTT and RTTVAR, from rounding(). */
	double err_srtt, err_rttvar;
};

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* How far truncating integer arithmetic may drift from the exact formulas.
 * With e_s, e_v the errors before a sample:
 *   SRTT - floor(SRTT/8) + floor(R/8) = 7/8 SRTT + R/8 + d, |d| < 7/8,
 *     so e_s' <= 7/8 e_s + 7/8;
 *   RTTVAR - floor(RTTVAR/4) + floor(|SRTT - R|/4) = 3/4 RTTVAR +
 *     1/4 |SRTT - R| + d, |d| < 3/4, and |SRTT - R| is off by at most e_s,
 *     so e_v' <= 3/4 e_v + e_s/4 + 3/4.
 * The first sample is exact for SRTT and off by at most 1/2 for RTTVAR
 * (R/2 truncated). max(), + and the clamp are 1-Lipschitz, so RTO is off by
 * at most e_s + 4 e_v. Both bounds stay under 7 and 10 us for ever, so a
 * wrong constant (alpha, beta, K = 4, G) shows far outside them. */
static void rounding(struct model *m, bool first)
{
	if (first) {
		m->err_srtt = 0;
		m->err_rttvar = 0.5;
		return;
	}
	double es = m->err_srtt;
	m->err_srtt = 7.0 / 8 * es + 7.0 / 8;
	m->err_rttvar = 3.0 / 4 * m->err_rttvar + es / 4 + 3.0 / 4;
}

static void model_sample(struct model *m, uint32_t r, const struct rto_row *row)
{
	/* A zero sample (sub-microsecond RTT) counts as the smallest nonzero one. */
	double rr = r == 0 ? 1.0 : (double)r;
	uint32_t ri = r == 0 ? 1 : r;
	rounding(m, !m->have);
	if (!m->have) {
		m->srtt = rr; /* 2.2 */
		m->rttvar = rr / 2;
		m->have = true;
		m->min_rtt = ri;
	} else {
		/* 2.3: RTTVAR first, with the SRTT from before this sample. */
		m->rttvar = (1 - 0.25) * m->rttvar + 0.25 * fabs(m->srtt - rr);
		m->srtt = (1 - 0.125) * m->srtt + 0.125 * rr;
		if (ri < m->min_rtt)
			m->min_rtt = ri;
	}
	double var4 = 4 * m->rttvar;
	m->rto = clamp(m->srtt + (var4 > G_US ? var4 : G_US), row->rto_min_us, row->rto_max_us);
}

static void check_close(const char *row, uint32_t i, const char *what, double got,
			double want, double tol)
{
	if (fabs(got - want) > tol + 1e-6)
		gt_test_fail(__FILE__, __LINE__,
			     "%s, sample %u: %s is %.0f us, RFC 6298 gives %.3f (+-%.3f)", row,
			     i, what, got, want, tol);
}

static void run_row(const struct rto_row *row)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.rto_min_us = row->rto_min_us;
	cfg.rto_max_us = row->rto_max_us;
	cfg.rto_min_adds_srtt = false; /* the table is RFC 6298's */
	cfg.rto_jiffy_us = 0;          /* in microseconds, not Linux's jiffies */
	if (cfg.rto_initial_us < cfg.rto_min_us)
		cfg.rto_initial_us = cfg.rto_min_us;
	if (cfg.rto_initial_us > cfg.rto_max_us)
		cfg.rto_initial_us = cfg.rto_max_us;
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	struct tcp_conn c;
	memset(&c, 0, sizeof(c));
	struct model m = {0};
	for (uint32_t i = 0; i < row->n; i++) {
		tcp_rtt_sample(s, &c, row->r_us[i]);
		model_sample(&m, row->r_us[i], row);
		check_close(row->name, i, "SRTT", c.srtt_us, m.srtt, m.err_srtt);
		check_close(row->name, i, "RTTVAR", c.rttvar_us, m.rttvar, m.err_rttvar);
		check_close(row->name, i, "RTO", c.rto_us, m.rto, m.err_srtt + 4 * m.err_rttvar);
		ASSERT_GE(c.rto_us, row->rto_min_us); /* 2.4 */
		ASSERT_LE(c.rto_us, row->rto_max_us); /* 2.5 */
		if (c.min_rtt_us != m.min_rtt)
			gt_test_fail(__FILE__, __LINE__, "%s, sample %u: min_rtt_us %u, want %u",
				     row->name, i, c.min_rtt_us, m.min_rtt);
	}
	gt_stack_free(s);
}

/* Bounds low enough that the formula, not the clamp, sets RTO. */
#define OPEN 1u, 4000000000u

static const struct rto_row rows[] = {
	{"constant 100 ms", OPEN, 24,
	 {100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000,
	  100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000,
	  100000, 100000, 100000, 100000}},
	/* RTTVAR decays towards 0: RTO settles at SRTT + G, not at SRTT. */
	{"constant 10 ms, G takes over", OPEN, 48,
	 {10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000,
	  10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000,
	  10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000,
	  10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000}},
	{"odd values, every division truncates", OPEN, 10,
	 {99999, 12345, 77777, 3, 65537, 1001, 999, 31415, 27183, 16183}},
	{"rising", OPEN, 16,
	 {10000, 20000, 30000, 40000, 50000, 60000, 70000, 80000, 90000, 100000, 110000,
	  120000, 130000, 140000, 150000, 160000}},
	{"falling", OPEN, 16,
	 {160000, 150000, 140000, 130000, 120000, 110000, 100000, 90000, 80000, 70000, 60000,
	  50000, 40000, 30000, 20000, 10000}},
	{"one spike", OPEN, 12,
	 {50000, 50000, 50000, 50000, 2000000, 50000, 50000, 50000, 50000, 50000, 50000, 50000}},
	{"one dip, min_rtt remembers it", OPEN, 8,
	 {80000, 80000, 80000, 5000, 80000, 80000, 80000, 80000}},
	{"alternating", OPEN, 12,
	 {20000, 200000, 20000, 200000, 20000, 200000, 20000, 200000, 20000, 200000, 20000,
	  200000}},
	{"very small, G dominates", OPEN, 10, {1, 2, 3, 1, 5, 8, 13, 2, 1, 7}},
	/* A zero sample (an RTT under the clock's resolution) counts as 1 us:
	 * SRTT must not stay 0, or the next sample would be taken for a first. */
	{"zero sample counts as 1 us", OPEN, 4, {0, 800, 0, 800}},
	{"first sample zero then large", OPEN, 3, {0, 4000000, 4000000}},
	{"very large, no overflow", OPEN, 6,
	 {4000000000u, 4000000000u, 1000, 4000000000u, 3999999999u, 1}},
	/* 2.4: whenever RTO is computed below 1 s (here the Linux-like 200 ms
	 * floor), it is rounded up; 2.5: a maximum (here 120 s) may be placed. */
	{"clamped to rto_min", 200000u, 120000000u, 6, {1000, 1000, 1000, 2000, 500, 40000}},
	{"clamped to rto_max", 1u, 120000000u, 4, {60000000, 60000000, 90000000, 1000}},
	{"clamped at both ends in turn", 30000u, 1000000u, 8,
	 {100, 900000, 100, 100, 100, 100, 100, 100}},
};

TEST(rto_rfc6298_table)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ASSERT_LE(rows[i].n, MAX_SAMPLES);
		run_row(&rows[i]);
	}
}

/* A few points worked by hand from RFC 6298 2.2/2.3, where every division
 * is exact, so the stack must hit them to the microsecond. */
TEST(rto_rfc6298_worked_examples)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.rto_min_us = 1;
	cfg.rto_min_adds_srtt = false; /* RFC 6298's G, not Linux's floor */
	cfg.rto_jiffy_us = 0;          /* nor its jiffies */
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	struct tcp_conn c;
	memset(&c, 0, sizeof(c));

	/* 2.2: R = 80 ms -> SRTT 80 ms, RTTVAR 40 ms, RTO 80 + 4 * 40 = 240 ms. */
	tcp_rtt_sample(s, &c, 80000);
	ASSERT_EQ(c.srtt_us, 80000);
	ASSERT_EQ(c.rttvar_us, 40000);
	ASSERT_EQ(c.rto_us, 240000);
	ASSERT_EQ(c.min_rtt_us, 80000);

	/* 2.3: R' = 160 ms -> RTTVAR = 3/4 * 40 + 1/4 * |80 - 160| = 50 ms,
	 * SRTT = 7/8 * 80 + 1/8 * 160 = 90 ms, RTO = 90 + 200 = 290 ms. */
	tcp_rtt_sample(s, &c, 160000);
	ASSERT_EQ(c.rttvar_us, 50000);
	ASSERT_EQ(c.srtt_us, 90000);
	ASSERT_EQ(c.rto_us, 290000);
	ASSERT_EQ(c.min_rtt_us, 80000);

	/* R' = 10 ms -> RTTVAR = 37.5 + 20 = 57.5 ms, SRTT = 78.75 + 1.25 = 80 ms,
	 * RTO = 80 + 230 = 310 ms; the minimum moves to 10 ms. */
	tcp_rtt_sample(s, &c, 10000);
	ASSERT_EQ(c.rttvar_us, 57500);
	ASSERT_EQ(c.srtt_us, 80000);
	ASSERT_EQ(c.rto_us, 310000);
	ASSERT_EQ(c.min_rtt_us, 10000);

	/* A fresh connection with R = 400 us: 4 * RTTVAR = 800 us < G, so
	 * RTO = 400 + 1000 us (2.2's max(G, K * RTTVAR)). */
	memset(&c, 0, sizeof(c));
	tcp_rtt_sample(s, &c, 400);
	ASSERT_EQ(c.srtt_us, 400);
	ASSERT_EQ(c.rttvar_us, 200);
	ASSERT_EQ(c.rto_us, 1400);
	gt_stack_free(s);
}

/* Linux's tcp_rtt_estimator() and __tcp_set_rto() worked by hand (the
 * Linux profile, rto_min 200 ms): mdev (c.rttvar_us, 4 x the deviation)
 * moves by 1/32 on a sample under SRTT; the RTO adds the round's largest
 * mdev, at least rto_min, which holds within the round and decays by a
 * quarter of its gap to that maximum once SND.UNA passes the round's end.
 * In microseconds, to see each step (rto_linux_estimator_in_jiffies has
 * the jiffies Linux rounds them up to). */
/* A Linux-profile stack for the estimator's tests, its RTO kept in jiffies
 * of jiffy_us (0: microseconds), and a blank connection at SND.UNA 1000. */
static gt_stack *lx_estimator(uint32_t jiffy_us, struct tcp_conn *c)
{
	static const struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(cfg.rto_min_adds_srtt);
	ASSERT_EQ(cfg.rto_min_us, 200000);
	ASSERT_EQ(cfg.rto_jiffy_us, 4000); /* HZ 250 */
	cfg.rto_jiffy_us = jiffy_us;
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	memset(c, 0, sizeof(*c));
	c->snd_una = c->snd_nxt = 1000;
	return s;
}

TEST(rto_linux_estimator_worked_examples)
{
	struct tcp_conn c;
	gt_stack *s = lx_estimator(0, &c);

	/* First sample 100 ms: mdev 200 ms, rttvar max(200, 200) ms; RTO 300 ms. */
	tcp_rtt_sample(s, &c, 100000);
	ASSERT_EQ(c.srtt_us, 100000);
	ASSERT_EQ(c.rttvar_us, 200000);
	ASSERT_EQ(c.rto_us, 300000);

	/* 4 ms, SND.UNA past the round: error -96 ms, SRTT 88 ms; mdev +=
	 * (96 - 50) / 8 = 5.75 ms: 205.75 ms, the round's largest, the RTO
	 * 88 + 205.75 ms (RFC 6298's 4 RTTVAR would make it 334.5 ms). */
	c.snd_una = 1500;
	c.snd_nxt = 2000;
	tcp_rtt_sample(s, &c, 4000);
	ASSERT_EQ(c.srtt_us, 88000);
	ASSERT_EQ(c.rttvar_us, 205750);
	ASSERT_EQ(c.rto_us, 293750);

	/* Within the round (SND.UNA 1800 <= 2000) a sample at SRTT lowers
	 * mdev by a quarter, 154.313 ms, and the RTO keeps the round's
	 * largest. */
	c.snd_una = 1800;
	tcp_rtt_sample(s, &c, 88000);
	ASSERT_EQ(c.srtt_us, 88000);
	ASSERT_EQ(c.rttvar_us, 154313);
	ASSERT_EQ(c.rto_us, 293750);

	/* The round ends (SND.UNA 2100): mdev 115.735 ms; the round's
	 * largest was rto_min, 200 ms, so the term falls by (205.75 - 200) / 4
	 * to 204.313 ms. */
	c.snd_una = 2100;
	c.snd_nxt = 3000;
	tcp_rtt_sample(s, &c, 88000);
	ASSERT_EQ(c.rttvar_us, 115735);
	ASSERT_EQ(c.rto_us, 292313);
	free(c.lx);
	gt_stack_free(s);
}

/* The same estimator as the Linux profile has it, in jiffies of 4 ms
 * (cfg.rto_jiffy_us; __tcp_set_rto(): usecs_to_jiffies(SRTT + rttvar),
 * rounded up), and with Linux's rttvar kept beside the round: the RTO,
 * rounded, is no longer SRTT plus it. A handshake of 100 ms, then 13 ms
 * samples, each ending a round (SND.UNA past its SND.NXT). */
TEST(rto_linux_estimator_in_jiffies)
{
	struct tcp_conn c;
	gt_stack *s = lx_estimator(4000, &c);

	/* SRTT 100 ms, rttvar 200 ms: 300 ms, 75 jiffies exactly. */
	tcp_rtt_sample(s, &c, 100000);
	ASSERT_EQ(c.rto_us, 300000);

	/* SRTT 89.125 ms, mdev (and rttvar) 204.625 ms: 293.75 ms, 74 jiffies. */
	static const struct {
		uint32_t srtt, mdev, rto;
	} want[] = {
		{89125, 204625, 296000},
		/* 79.61 + 207.746 = 287.356 ms: 72 jiffies. */
		{79610, 207746, 288000},
		/* 71.284 + 209.58 = 280.864 ms: 71 jiffies. */
		{71284, 209580, 284000},
		/* 63.999 + 210.316 = 274.315 ms: 69 jiffies. rttvar taken as
		 * the last RTO less SRTT (212.116 ms) would give 70: 280 ms. */
		{63999, 210316, 276000},
	};
	for (uint32_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		c.snd_una = 1500 + 1000 * i;
		c.snd_nxt = 2000 + 1000 * i;
		tcp_rtt_sample(s, &c, 13000);
		ASSERT_EQ(c.srtt_us, want[i].srtt);
		ASSERT_EQ(c.rttvar_us, want[i].mdev);
		ASSERT_EQ(c.rto_us, want[i].rto);
	}
	struct gt_tcp_info ti;
	tcp_fill_info(s, &c, &ti);
	ASSERT_EQ(ti.rto_us, 276000); /* jiffies_to_usecs(icsk_rto) */
	free(c.lx);
	gt_stack_free(s);
}
