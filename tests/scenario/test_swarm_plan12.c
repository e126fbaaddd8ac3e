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

/* Seed 97862367 (found in seeds 97862000-97862999 on 074dd6d6): plan
 * 11's held-past-fin attacker landed on conn 5, whose FreeBSD server then
 * dropped each FIN of its FreeBSD client (TcpReassFinBeforeEnd). The
 * client's RTO was 25 s (a 7.4 s first RTT sample: its last SYN's SYN-ACK
 * held by a partition), so its FIN, sent at 40.3 s, was retried until
 * 819.9 s (12 retransmissions, the last ten 64 s apart) before it gave
 * up and reset the server: the liveness check, 600 s after the heal at
 * 72.9 s, found the server ESTABLISHED. Real FreeBSD on both sides; the
 * work loop now waits while that client's TCB lives
 * (held_fin_retrying()), and the server is judged peer-gave-up. */
TEST(swarm_seed_97862367_held_fin_retried_past_the_liveness_window)
{
	struct swarm_result r;
	run(97862367, 12, &r);
	ASSERT_GT(r.stats.TcpReassFinBeforeEnd, 0);
	ASSERT_GT(r.verdicts[SWARM_V_PEER_GAVE_UP], 0);
}

/* Seed 97872195 (found in seeds 97872000-97872999 on 68393e7d):
 * held_fin_retrying()'s first form set the latest activity to the
 * present while plan 11's held-past-fin client lived, lowering a later
 * one: conn 15's Linux client was to write again after an idle of 647 h,
 * the work ended at 4,813.9 s instead, and the drain found its FreeBSD
 * server's socket open (a leak). The present now only raises it. */
TEST(swarm_seed_97872195_held_fin_wait_keeps_a_later_idle_end)
{
	struct swarm_result r;
	run(97872195, 12, &r);
	ASSERT_GT(r.dims[SWARM_D_LongIdle], 0);
}
