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

/* Plan 13's net.ipv4.tcp_max_orphans 0-3 on a low-limit Linux host in
 * two: seed 97898018 ends an orphan past the limit (TcpAbortOnMemory) at
 * plan 13 and none at plan 12. */
TEST(swarm_plan_13_orphans_past_tcp_max_orphans)
{
	struct swarm_result r;
	run(97898018, 13, &r);
	ASSERT_GT(r.dims[SWARM_D_MaxOrphans], 0);
	ASSERT_GT(r.stats.TcpAbortOnMemory, 0);
	run(97898018, 12, &r);
	ASSERT_EQ(r.dims[SWARM_D_MaxOrphans], 0);
	ASSERT_EQ(r.stats.TcpAbortOnMemory, 0);
}

/* Seed 97898396 at plan 13: conn 12's Linux server closed with its data
 * unacknowledged, an orphan past its host's tcp_max_orphans: close() sent
 * its FIN and then an RST (tcp_close()'s tcp_check_oom()), and its FreeBSD
 * client, in CLOSE_WAIT, got ECONNRESET. The peer's
 * TCB ended for a limit of its host's (AU_END_ORPHANS, peer_ended()):
 * peer-gave-up. Without the rule the seed failed "reset with its peer
 * neither aborting nor gone" (and 97898310 so, conn 39). */
TEST(swarm_seed_97898396_reset_by_an_orphan_past_the_limit)
{
	struct swarm_result r;
	run(97898396, 13, &r);
	ASSERT_GT(r.stats.TcpAbortOnMemory, 0);
	ASSERT_GT(r.verdicts[SWARM_V_PEER_GAVE_UP], 0);
}
