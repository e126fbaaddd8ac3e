/* CUBIC (RFC 9438) against NewReno (RFC 5681, RFC 6582) on one long bulk
 * transfer over a high-BDP path: 100 Mbit/s, 50 ms RTT, a drop-tail queue
 * of 100 packets, no random loss, so every loss is the queue overflowing
 * and the run is the same on every machine. The algorithm is chosen per
 * socket with TCP_CONGESTION, against the stack's default, and cwnd is read
 * every 10 ms through TCP_INFO. test_cc.c covers goodput under random loss
 * and fairness; this one checks that the two really grow differently after
 * a loss. */
#include "harness.h"

#include <errno.h>
#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u
#define LINK_BPS 100000000ull
#define ONE_WAY_US 25000ull
#define STEP_US 10000ull      /* the application runs and samples every 10 ms */
#define RUN_S 45ull
#define STEPS (RUN_S * 1000000 / STEP_US)
#define SETTLE_S 5            /* slow start and its overshoot are over by then */
#define AFTER_STEPS 300       /* 3 s after a loss */
#define QUIET_STEPS 350       /* no further loss for 3.5 s */

struct sample {
	uint32_t cwnd_bytes, ssthresh_bytes, srtt_us;
	uint64_t congestion_events; /* fast retransmits + RTO expiries */
	uint64_t rto_expiries;
};

struct flow {
	struct sample *s; /* one per step */
	uint32_t mss;
	uint64_t received_bytes;
	uint64_t received_at_settle;
	char cc_name[16];
};

static void run_flow(struct flow *f, const char *cc, enum gt_cc stack_default, uint64_t seed)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.cc = stack_default; /* the socket option must win over this */
	cfg.sndbuf_bytes = cfg.rcvbuf_bytes = 8u << 20; /* the window is not the limit */
	gt_sim *sim = gt_sim_new(seed);
	ASSERT(sim != NULL);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = ONE_WAY_US;
	lc.bandwidth_bps = LINK_BPS;
	lc.queue_limit_pkts = 100;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	ASSERT_GE(gt_sim_add_stack(sim, &cfg, CLIENT, 24, 1500, &c), 0);
	ASSERT_GE(gt_sim_add_stack(sim, &cfg, SERVER, 24, 1500, &s), 0);

	int lsd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(lsd, 0);
	struct gt_sockaddr la = {.family = GT_AF_INET, .port = 5001, .addr = 0};
	ASSERT_EQ(gt_bind(s, lsd, &la), 0);
	ASSERT_EQ(gt_listen(s, lsd, 1), 0);
	int csd = gt_socket(c, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(csd, 0);
	ASSERT_EQ(gt_setsockopt(c, csd, GT_IPPROTO_TCP, GT_TCP_CONGESTION, cc, strlen(cc)), 0);
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = 5001, .addr = SERVER};
	ASSERT_EQ(gt_connect(c, csd, &sa), -EINPROGRESS);

	f->s = calloc(STEPS, sizeof(*f->s));
	ASSERT(f->s != NULL);
	static uint8_t buf[1 << 16];
	int ssd = -1;
	for (uint64_t i = 0; i < STEPS; i++) {
		gt_sim_run_until(sim, (i + 1) * STEP_US);
		if (ssd < 0)
			ssd = gt_accept(s, lsd, NULL);
		while (gt_send(c, csd, buf, sizeof(buf), 0) > 0)
			;
		ssize_t n;
		while (ssd >= 0 && (n = gt_recv(s, ssd, buf, sizeof(buf), 0)) > 0)
			f->received_bytes += (uint64_t)n;
		if (i + 1 == SETTLE_S * 1000000 / STEP_US)
			f->received_at_settle = f->received_bytes;
		struct gt_tcp_info ti;
		size_t len = sizeof(ti);
		ASSERT_EQ(gt_getsockopt(c, csd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len), 0);
		f->mss = ti.snd_mss;
		f->s[i] = (struct sample){ti.snd_cwnd_bytes, ti.snd_ssthresh_bytes, ti.srtt_us,
					  ti.fast_retrans + ti.rto_expiries, ti.rto_expiries};
	}
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	ASSERT_EQ(gt_getsockopt(c, csd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len), 0);
	ASSERT_EQ(ti.state, GT_TCP_ESTABLISHED);
	len = sizeof(f->cc_name);
	memset(f->cc_name, 0, sizeof(f->cc_name));
	ASSERT_EQ(gt_getsockopt(c, csd, GT_IPPROTO_TCP, GT_TCP_CONGESTION, f->cc_name, &len), 0);
	gt_sim_free(sim);
}

/* A congestion event in congestion avoidance with the path quiet for
 * QUIET_STEPS after it: its step, or 0 past the last one. */
static uint64_t next_event(const struct flow *f, uint64_t from)
{
	for (uint64_t i = from; i + QUIET_STEPS < STEPS; i++) {
		if (f->s[i].congestion_events == f->s[i - 1].congestion_events)
			continue;
		bool quiet = true;
		for (uint64_t j = i + 1; j <= i + QUIET_STEPS; j++)
			quiet = quiet && f->s[j].congestion_events == f->s[i].congestion_events;
		if (quiet)
			return i;
	}
	return 0;
}

struct after_loss {
	double w_before, ssthresh, at_3s; /* segments */
	double segs_per_rtt;              /* growth from 0.5 s to 3.5 s after */
};

static struct after_loss measure(const struct flow *f, uint64_t i)
{
	double mss = f->mss;
	struct after_loss a;
	a.w_before = f->s[i - 1].cwnd_bytes / mss;
	a.ssthresh = f->s[i].ssthresh_bytes / mss;
	a.at_3s = f->s[i + AFTER_STEPS].cwnd_bytes / mss;
	double srtt_sum = 0;
	for (uint64_t j = i + 50; j < i + QUIET_STEPS; j++)
		srtt_sum += f->s[j].srtt_us;
	double rtts = (QUIET_STEPS - 50) * (double)STEP_US / (srtt_sum / (QUIET_STEPS - 50));
	a.segs_per_rtt = ((double)f->s[i + QUIET_STEPS].cwnd_bytes - f->s[i + 50].cwnd_bytes) / mss / rtts;
	return a;
}

/* What the arithmetic says, with W the window when the queue overflows.
 * The path holds BDP = 100 Mbit/s * 50 ms = 625,000 bytes = 431 segments of
 * 1448, plus 100 in the queue, so W is about 530 and surely above 431.
 *   NewReno: ssthresh = FlightSize / 2 (RFC 5681 eq. 4), then one SMSS per
 *   RTT (3.1); RTT >= 50 ms, so 3 s later cwnd <= W/2 + 60, a fraction
 *   <= 0.5 + 60/431 = 0.64 of W.
 *   CUBIC: ssthresh = 0.7 W (RFC 9438 4.6); W_max = W, or 0.85 W with fast
 *   convergence (4.7); K = cbrt((W_max - 0.7 W) / 0.4): 7.3 s or 5.8 s for
 *   W = 530. 3 s later W_cubic = W_max - 0.4 (K - 3)^3 = 0.94 W, or 0.83 W
 *   with fast convergence; for any W in [431, 1000] at least 0.82 W.
 * So the line between them is drawn at 0.75: 0.11 above NewReno's bound,
 * 0.07 below CUBIC's. Likewise the decrease: 0.5 against 0.7 of W, split at
 * 0.6; and NewReno's growth rate, 1 segment per RTT, is checked to +-40%. */
TEST(cc_compare_cubic_regrows_faster_than_newreno_after_loss)
{
	struct flow nr = {0}, cu = {0};
	/* Each against the stack default of the other: TCP_CONGESTION chooses. */
	run_flow(&nr, "reno", GT_CC_CUBIC, 31);
	run_flow(&cu, "cubic", GT_CC_NEWRENO, 31);
	ASSERT_STREQ(nr.cc_name, "reno"); /* Linux's name for it (cfg.cc_names_bsd off) */
	ASSERT_STREQ(cu.cc_name, "cubic");
	ASSERT_EQ(nr.mss, 1448);
	ASSERT_EQ(cu.mss, 1448);

	struct flow *flows[2] = {&nr, &cu};
	for (int k = 0; k < 2; k++) {
		struct flow *f = flows[k];
		bool cubic = f == &cu;
		uint32_t checked = 0;
		for (uint64_t i = next_event(f, SETTLE_S * 1000000 / STEP_US); i;
		     i = next_event(f, i + 1)) {
			struct after_loss a = measure(f, i);
			printf("cc_compare: %s loss at %.2f s: W %.0f, ssthresh %.0f (%.2f W), 3 s later %.0f (%.2f W), %.2f segments per RTT from 0.5 to 3.5 s\n",
			       f->cc_name, (double)(i + 1) * STEP_US / 1e6, a.w_before, a.ssthresh,
			       a.ssthresh / a.w_before, a.at_3s, a.at_3s / a.w_before, a.segs_per_rtt);
			/* The overflowing queue is the only loss: W above the BDP. */
			ASSERT(a.w_before > 431);
			/* Fast retransmit, not a timeout, in a loss of one queue's excess. */
			ASSERT_EQ(f->s[i].rto_expiries, f->s[i - 1].rto_expiries);
			if (cubic) {
				ASSERT(a.ssthresh > 0.6 * a.w_before);
				ASSERT(a.at_3s > 0.75 * a.w_before);
			} else {
				ASSERT(a.ssthresh < 0.6 * a.w_before);
				ASSERT(a.at_3s < 0.75 * a.w_before);
				ASSERT(a.segs_per_rtt > 0.6 && a.segs_per_rtt < 1.4);
			}
			checked++;
		}
		/* 45 s hold at least three sawtooth periods of NewReno (W/2
		 * RTTs = 13 s) and more of CUBIC (about K). */
		ASSERT_GE(checked, 2);
		/* No timeouts once the flow settled: each loss was repaired
		 * by fast retransmit and recovery. */
		ASSERT_EQ(f->s[STEPS - 1].rto_expiries, f->s[SETTLE_S * 1000000 / STEP_US].rto_expiries);
	}

	/* Goodput after slow start: NewReno spends most of each period below
	 * the BDP (from W/2 = 265 up to 431 segments, 8 of its 13 s, at 80%
	 * of the link on average) where CUBIC spends about a second (0.7 W =
	 * 371 to 431); CUBIC's must come out ahead. */
	double secs = (double)(RUN_S - SETTLE_S);
	double nr_bps = (double)(nr.received_bytes - nr.received_at_settle) * 8 / secs;
	double cu_bps = (double)(cu.received_bytes - cu.received_at_settle) * 8 / secs;
	printf("cc_compare: goodput from %d to %llu s: newreno %.1f Mbit/s, cubic %.1f Mbit/s\n",
	       SETTLE_S, (unsigned long long)RUN_S, nr_bps / 1e6, cu_bps / 1e6);
	ASSERT(cu_bps > nr_bps);
	ASSERT(nr_bps > 0.5 * LINK_BPS);
	free(nr.s);
	free(cu.s);
}
