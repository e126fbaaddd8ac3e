/* Congestion control in the simulator (RFC 5681/6582 NewReno, RFC 9438
 * CUBIC): goodput under random loss on a 10 Mbit/s, 50 ms link as a
 * fraction of its capacity, and fairness between two flows sharing it
 * (Jain's index). The figures are printed for the record. */
#include <stdio.h>

#include "harness.h"

#include "sim/transfer.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u
#define LINK_BPS 10000000ull

struct cc_run {
	double goodput_bps[2];
	double jain;
};

static struct cc_run run(enum gt_cc cc, double loss, uint32_t conns, uint64_t secs, uint64_t seed)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.cc = cc;
	cfg.sndbuf_bytes = cfg.rcvbuf_bytes = 4u << 20; /* the window is not the limit */
	gt_sim *sim = gt_sim_new(seed);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 25000; /* 50 ms RTT */
	lc.bandwidth_bps = LINK_BPS;
	lc.queue_limit_pkts = 100;
	lc.loss = loss;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	int ch = gt_sim_add_stack(sim, &cfg, CLIENT, 24, 1500, &c);
	int sh = gt_sim_add_stack(sim, &cfg, SERVER, 24, 1500, &s);
	struct xfer x;
	struct xfer_config xc = {.bytes = 1ull << 40, .conns = conns, .port = 80,
				 .chunk_bytes = 65536, .limit_us = secs * 1000000};
	ASSERT_EQ(xfer_init(&x, &xc, sim, c, ch, CLIENT, s, sh, SERVER), 0);
	xfer_run(&x); /* stops at the time limit: the bytes are what counts */
	struct cc_run r = {{0, 0}, 0};
	double sum = 0, sq = 0;
	for (uint32_t i = 0; i < conns; i++) {
		ASSERT_EQ(x.conns[i].bad_offset, UINT64_MAX);
		r.goodput_bps[i] = (double)x.conns[i].received * 8 / (double)secs;
		sum += r.goodput_bps[i];
		sq += r.goodput_bps[i] * r.goodput_bps[i];
	}
	r.jain = sum * sum / (conns * sq);
	xfer_free(&x);
	gt_sim_free(sim);
	return r;
}

TEST(cc_goodput_under_loss_newreno_and_cubic)
{
	const double losses[2] = {0.01, 0.05};
	for (int i = 0; i < 2; i++) {
		struct cc_run nr = run(GT_CC_NEWRENO, losses[i], 1, 60, 21);
		struct cc_run cu = run(GT_CC_CUBIC, losses[i], 1, 60, 21);
		printf("cc: 10 Mbit/s, 50 ms RTT, %.0f%% loss, 60 s: newreno %.2f Mbit/s (%.0f%% of the link), cubic %.2f Mbit/s (%.0f%%)\n",
		       losses[i] * 100, nr.goodput_bps[0] / 1e6, nr.goodput_bps[0] * 100 / LINK_BPS,
		       cu.goodput_bps[0] / 1e6, cu.goodput_bps[0] * 100 / LINK_BPS);
		/* Loss-based control under random loss stays well below the link
		 * (the Mathis bound) but must make progress. */
		ASSERT(nr.goodput_bps[0] > 100000);
		ASSERT(cu.goodput_bps[0] > 100000);
	}
}

TEST(cc_clean_link_reaches_most_of_capacity)
{
	struct cc_run nr = run(GT_CC_NEWRENO, 0, 1, 30, 22);
	struct cc_run cu = run(GT_CC_CUBIC, 0, 1, 30, 22);
	printf("cc: 10 Mbit/s, 50 ms RTT, no random loss, queue 100 pkts, 30 s: newreno %.2f Mbit/s, cubic %.2f Mbit/s\n",
	       nr.goodput_bps[0] / 1e6, cu.goodput_bps[0] / 1e6);
	ASSERT(nr.goodput_bps[0] > 0.8 * LINK_BPS);
	ASSERT(cu.goodput_bps[0] > 0.8 * LINK_BPS);
}

TEST(cc_two_flows_share_fairly)
{
	struct cc_run nr = run(GT_CC_NEWRENO, 0, 2, 60, 23);
	struct cc_run cu = run(GT_CC_CUBIC, 0, 2, 60, 23);
	printf("cc: two flows, 10 Mbit/s, 50 ms RTT, 60 s: Jain's index newreno %.3f (%.2f / %.2f Mbit/s), cubic %.3f (%.2f / %.2f Mbit/s)\n",
	       nr.jain, nr.goodput_bps[0] / 1e6, nr.goodput_bps[1] / 1e6, cu.jain,
	       cu.goodput_bps[0] / 1e6, cu.goodput_bps[1] / 1e6);
	ASSERT(nr.jain > 0.9);
	ASSERT(cu.jain > 0.9);
}
