/* Plan 12 (sim/swarm.c: plan_refused6(), inject_refused6(); docs/swarm.md):
 * the counters plan 11 left at zero behind which a random seed can reach
 * a real code path. Each seed below counts its counter at plan 12 and not
 * at plan 11, where it draws what it drew then. */
#include <stdio.h>

#include "harness.h"

#include "sim/swarm.h"

static void run(uint64_t seed, uint32_t plan, struct swarm_result *r)
{
	struct swarm_opts o = {.plan = plan};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* Seed 97850026: UDP over IPv6 to a host inside its device's refusal
 * window; the ICMPv6 Parameter Problems it answers with are refused
 * (ip6_send_error(): Icmp6OutErrors, Ip6OutDiscards). At plan 11 the
 * same seed sends no such datagram and neither counter moves. */
TEST(swarm_plan_12_icmp6_error_refused_at_the_device)
{
	struct swarm_result r;
	run(97850026, 12, &r);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_GT(r.stats.Icmp6OutErrors, 0);
	ASSERT_GT(r.stats.Ip6OutDiscards, 0);
	run(97850026, 11, &r);
	ASSERT_EQ(r.stats.Icmp6OutErrors, 0);
	ASSERT_EQ(r.stats.Ip6OutDiscards, 0);
}
