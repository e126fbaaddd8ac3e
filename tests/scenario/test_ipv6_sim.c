/* IPv4 and IPv6 in one simulated network (issue 16): connections of both
 * families to one dual-stack listener, under loss, deliver every byte and
 * close; the IPv6 ones travel as IPv6 (the counters say so) and go as fast
 * as the IPv4 ones within the noise of one run. */
#include <errno.h>
#include <stdio.h>

#include "harness.h"

#include "sim/transfer.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

static const struct gt_in6_addr client6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr server6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

static double goodput(const struct xfer_conn *c)
{
	return (double)c->received * 8 / (double)(c->t_received_us - c->t_established_us);
}

/* Two Linux-profile stacks, each with an IPv4 and an IPv6 address, on a
 * 50 Mbit/s link of 20 ms and 1% loss. */
static gt_sim *lossy_world(uint64_t seed, gt_stack **c, int *ch, gt_stack **s, int *sh)
{
	gt_sim *sim = gt_sim_new(seed);
	ASSERT(sim != NULL);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 20000;
	lc.bandwidth_bps = 50000000;
	lc.loss = 0.01;
	gt_sim_set_default_link(sim, &lc);
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	*ch = gt_sim_add_stack(sim, &cfg, CLIENT, 24, 1500, c);
	*sh = gt_sim_add_stack(sim, &cfg, SERVER, 24, 1500, s);
	ASSERT_GE(*ch, 0);
	ASSERT_GE(*sh, 0);
	ASSERT_EQ(gt_sim_add_ipv6(sim, *ch, &client6, 64), 0);
	ASSERT_EQ(gt_sim_add_ipv6(sim, *sh, &server6, 64), 0);
	return sim;
}

TEST(ipv6_and_ipv4_mixed_under_loss_deliver_and_close)
{
	gt_stack *c, *s;
	int ch, sh;
	gt_sim *sim = lossy_world(7, &c, &ch, &s, &sh);
	ASSERT_EQ(gt_sim_add_ipv6(sim, ch, &server6, 64), -EADDRINUSE);
	struct xfer x;
	struct xfer_config xc = {.bytes = 1000000, .conns = 32, .port = 80, .chunk_bytes = 16384,
				 .limit_us = 600000000, .family = XFER_MIXED,
				 .server_addr6 = server6};
	ASSERT_EQ(xfer_init(&x, &xc, sim, c, ch, CLIENT, s, sh, SERVER), 0);
	ASSERT(xfer_run(&x));
	double sum[2] = {0, 0};
	for (uint32_t i = 0; i < xc.conns; i++) {
		ASSERT(xfer_conn_ok(&x, i));
		ASSERT_EQ(x.conns[i].v6, i % 2 == 1);
		sum[x.conns[i].v6] += goodput(&x.conns[i]);
	}
	const struct gt_stats *cs = gt_stack_stats(c), *ss = gt_stack_stats(s);
	ASSERT_GT(cs->Ip6OutRequests, 16 * 690); /* 16 x 1 MB over IPv6 */
	ASSERT_GT(ss->Ip6InDelivers, 16 * 690);
	ASSERT_GT(cs->IpOutRequests, 16 * 690);
	ASSERT_EQ(ss->TcpPassiveOpens, 32);
	/* Same path, same loss: the means agree within 15% (the MSS differs
	 * by 20 bytes; the rest is the luck of one run's losses: seeds 1-8 of
	 * `glasstcp sim --mixed --conns 32 --bytes 1000000 --loss 1 --delay 20
	 * --bandwidth 50` gave 0.92-1.04). */
	double ratio = sum[1] / sum[0];
	printf("IPv6 / IPv4 mean goodput: %.3f\n", ratio);
	ASSERT(ratio > 0.85 && ratio < 1.15); /* ASSERT_LT compares integers */
	xfer_free(&x);
	gt_sim_free(sim);
}

/* One family alone on a world of its own (the --vs-ipv4 twin of `glasstcp
 * sim`): the mean goodput of 8 x 1 MB at 1% loss, in bit/s. */
static double family_goodput(uint64_t seed, uint8_t family, uint64_t *ip6_out)
{
	gt_stack *c, *s;
	int ch, sh;
	gt_sim *sim = lossy_world(seed, &c, &ch, &s, &sh);
	struct xfer x;
	struct xfer_config xc = {.bytes = 1000000, .conns = 8, .port = 80, .chunk_bytes = 16384,
				 .limit_us = 600000000, .family = family, .server_addr6 = server6};
	double sum = 0;
	if (xfer_init(&x, &xc, sim, c, ch, CLIENT, s, sh, SERVER) == 0 && xfer_run(&x)) {
		for (uint32_t i = 0; i < xc.conns; i++)
			sum += xfer_conn_ok(&x, i) ? goodput(&x.conns[i]) : 0;
	}
	*ip6_out = gt_stack_stats(c)->Ip6OutRequests;
	xfer_free(&x);
	gt_sim_free(sim);
	return sum / xc.conns;
}

/* Issue 16: "a v6 transfer under loss in the simulator is as fast as v4".
 * The same seed, link and loss, each family on its own: `glasstcp sim
 * --ipv6 --vs-ipv4 --conns 8 --bytes 1000000 --loss 1 --delay 20
 * --bandwidth 50 --seed N --no-time-wait` gave goodput ratios 0.948-1.029
 * for seeds 1-8 (the IPv6 MSS is 1428 against 1448: 0.986 at best on a
 * full link); since the Linux profile ends a recovery at ssthresh
 * (cfg.recovery_end_ssthresh, 3 Dec 2026) 0.915-0.981, both
 * families faster (seed 1: IPv4 5.52 -> 6.01 Mbit/s, IPv6 5.44 -> 5.56),
 * mean 0.940. The link's loss draws fall differently on the two runs: at
 * seed 1 both lost 89 packets, IPv6 59 of its data and 30 ACKs, IPv4 44 and
 * 45 (`glasstcp sim --ipv6 --conns 8 ... --seed 1` with and without
 * --ipv6), and a run that loses more data is slower. Since RACK's
 * reordering window follows Linux's tcp_dsack_seen() and its timer keeps
 * the recovery's cwnd (3 Dec 2026, session 6) 0.842-1.029, mean 0.954
 * (0.955 before): seed 2's IPv6 run took another course. Loose bounds:
 * each seed within 20%, the mean of the eight within 7.5%. */
TEST(ipv6_alone_under_loss_as_fast_as_ipv4_alone_same_seed)
{
	double sum = 0;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		uint64_t n4, n6;
		double g4 = family_goodput(seed, XFER_IPV4, &n4);
		double g6 = family_goodput(seed, XFER_IPV6, &n6);
		ASSERT(g4 > 0 && g6 > 0); /* every connection intact and closed */
		ASSERT_EQ(n4, 0);         /* the IPv4 twin sent no IPv6 ... */
		ASSERT_GT(n6, 8 * 690);   /* ... and the IPv6 one 8 x 1 MB of it */
		double r = g6 / g4;
		printf("seed %llu: IPv6 / IPv4 goodput %.3f\n", (unsigned long long)seed, r);
		ASSERT(r > 0.8 && r < 1.25);
		sum += r;
	}
	ASSERT(sum / 8 > 0.925);
}
