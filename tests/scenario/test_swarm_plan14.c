/* Plan 14 (sim/swarm.c: plan_dev_down(); docs/swarm.md): a host's device
 * down a while (gt_sim_down_host(), a TUN write failing EIO), which
 * IpOutDiscards counts and no plan before reached. The seed below counts
 * it at plan 14 and not at plan 13, where it draws what it drew then. */
#include <errno.h>

#include "harness.h"

#include "sim/swarm.h"
#include "sim/transfer.h"

static void run(uint64_t seed, uint32_t plan, struct swarm_result *r)
{
	struct swarm_opts o = {.plan = plan};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* Seed 98100029: h2's device (FreeBSD) down from 3.258 s to 3.998 s; its
 * listener's two segments to a client at 3.456 s and 3.736 s fail
 * (IpOutDiscards 2, IPv4 only) and the audit finds each, lost on its
 * tuple's side (out_settle()); the seed is clean. */
TEST(swarm_plan_14_device_down_discards_and_the_audit_counts_each)
{
	struct swarm_result r;
	run(98100029, 14, &r);
	ASSERT_EQ(r.dims[SWARM_D_DevDown], 1);
	ASSERT_GT(r.stats.IpOutDiscards, 0);
	ASSERT_EQ(r.stats.Ip6OutDiscards, 0);
	ASSERT_EQ(r.out_discarded, r.stats.IpOutDiscards);
	run(98100029, 13, &r);
	ASSERT_EQ(r.dims[SWARM_D_DevDown], 0);
	ASSERT_EQ(r.stats.IpOutDiscards, 0);
	ASSERT_EQ(r.out_discarded, 0);
}


/* gt_sim_down_host() itself: a transfer across a client device down for
 * 600 ms arrives intact in both profiles; each packet the client sent
 * meanwhile failed EIO (IpOutDiscards, not IpOutQueueFull: taken as sent
 * and lost), and the server's packets to it were dropped unread. A host
 * that is no stack, or a full queue's error (gt_sim_refuse_host()'s), is
 * refused. */
TEST(sim_device_down_fails_writes_eio_and_drops_what_arrives)
{
	static const enum gt_profile profiles[] = {GT_PROFILE_LINUX, GT_PROFILE_FREEBSD};
	for (size_t p = 0; p < 2; p++) {
		struct gt_config cfg;
		gt_config_default(&cfg, profiles[p]);
		gt_sim *sim = gt_sim_new(11);
		ASSERT(sim != NULL);
		struct gt_link_config lc;
		gt_link_config_default(&lc);
		lc.delay_us = 10000;
		lc.bandwidth_bps = 100000000;
		lc.queue_limit_pkts = 1000;
		gt_sim_set_default_link(sim, &lc);
		gt_stack *client, *server;
		int ch = gt_sim_add_stack(sim, &cfg, 0x0a000001u, 24, 1500, &client);
		int sh = gt_sim_add_stack(sim, &cfg, 0x0a000002u, 24, 1500, &server);
		ASSERT_GE(ch, 0);
		ASSERT_GE(sh, 0);
		ASSERT_EQ(gt_sim_down_host(sim, ch, 0, 1, -ENOBUFS, NULL), -EINVAL);
		ASSERT_EQ(gt_sim_down_host(sim, ch, 0, 1, 5, NULL), -EINVAL);
		ASSERT_EQ(gt_sim_down_host(sim, 7, 0, 1, -EIO, NULL), -EINVAL);
		ASSERT_EQ(gt_sim_down_host(sim, ch, 100000, 700000, -EIO, NULL), 0);
		struct xfer_config xc = {
			.bytes = 1000000, .conns = 2, .port = 5001, .chunk_bytes = 8192,
			.limit_us = 600ull * 1000000, .wait_time_wait = false, .family = XFER_IPV4,
		};
		struct xfer x;
		ASSERT_EQ(xfer_init(&x, &xc, sim, client, ch, 0x0a000001u, server, sh, 0x0a000002u), 0);
		ASSERT(xfer_run(&x));
		for (uint32_t i = 0; i < xc.conns; i++) {
			ASSERT_EQ(x.conns[i].error, 0);
			ASSERT_EQ(x.conns[i].received, xc.bytes);
			ASSERT(xfer_conn_ok(&x, i));
		}
		uint64_t failed = 0;
		ASSERT_EQ(gt_sim_down_host(sim, ch, 0, 0, 0, &failed), 0);
		const struct gt_stats *st = gt_stack_stats(client);
		ASSERT_GT(st->IpOutDiscards, 0);
		ASSERT_EQ(st->IpOutQueueFull, 0);
		ASSERT_GT(failed, st->IpOutDiscards); /* the server's packets too */
		xfer_free(&x);
		gt_sim_free(sim);
	}
}
