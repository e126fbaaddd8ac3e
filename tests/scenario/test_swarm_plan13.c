/* Plan 13 (sim/swarm.c: pressure_start(), pressure_end(); docs/swarm.md):
 * TcpRcvRingWholeRefused, which no plan before reached. The seed below
 * counts it at plan 13 and not at plan 12, where it draws what it drew
 * then. */
#include <stdio.h>

#include "harness.h"

#include "sim/swarm.h"

static void run(uint64_t seed, uint32_t plan, struct swarm_result *r)
{
	struct swarm_opts o = {.plan = plan};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* Seed 97898192: plan 11 cuts the SO_RCVBUF of Linux servers on h2 under
 * the windows their SYN-ACKs offered; at plan 13 the host comes under
 * memory pressure (its buffer budget lowered to 5,082 bytes for 0.97 s,
 * then 6,027 for 3.39 s), and at 21.39 s a client's 4,280-byte segment
 * at RCV.NXT finds a cut ring of 2,304 bytes empty: the growth it needs
 * passes half the budget, and tcp_rcv_ring_take_whole() refuses it. The
 * seed is clean either way. */
TEST(swarm_plan_13_memory_pressure_refuses_a_whole_ring)
{
	struct swarm_result r;
	run(97898192, 13, &r);
	ASSERT_GT(r.dims[SWARM_D_RcvBufCut], 0);
	ASSERT_GT(r.dims[SWARM_D_MemPressure], 0);
	ASSERT_GT(r.stats.TcpRcvRingWholeRefused, 0);
	run(97898192, 12, &r);
	ASSERT_GT(r.dims[SWARM_D_RcvBufCut], 0);
	ASSERT_EQ(r.dims[SWARM_D_MemPressure], 0);
	ASSERT_EQ(r.stats.TcpRcvRingWholeRefused, 0);
}
