/* The swarm seed that found an ICMP "fragmentation needed" during a fast
 * recovery without SACK, kept as a guard at the plan it was found at
 * (SWARM_PLAN 5, sim/swarm.h). The dialogue tests in
 * tests/dialogue/test_pmtu_recovery.c replay the bug itself. */
#include "harness.h"

#include "sim/swarm.h"

/* Linux profile, no SACK, in a fast recovery run by PRR (reno_prr()):
 * the frag-needed set SND.NXT to SND.UNA and called tcp_output(), and the
 * next ACK's cwnd, (SND.NXT - SND.UNA) + sndcnt, was 0: the invariant
 * checker stopped the seed at 67.4 s. The MSS fall now enters Linux's loss
 * state without touching cwnd (tcp_simple_retransmit() ->
 * tcp_non_congestion_loss_retransmit()). */
TEST(swarm_seed_96220906_pmtu_fall_in_reno_recovery_keeps_cwnd)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = 5};
	if (!swarm_run(96220906, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "seed 96220906 (plan 5): %s", r.why);
}
