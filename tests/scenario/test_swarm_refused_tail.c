/* A Linux-profile sender whose short segment the device refused, held by
 * Nagle with nothing in flight and no timer: the refused segment had set
 * SND.SML (Minshall's last short segment sent), which Linux's
 * tcp_write_xmit() updates only after a tcp_transmit_skb() that succeeded
 * (tcp_minshall_update()). Found by h-swarm8's plan 8 (seeds 97300852,
 * 97301643 on its build, clean on main's since the course moved);
 * docs/swarm.md "Found by plan 8", docs/sending.md. */
#include "harness.h"

#include "sim/swarm.h"

/* Seed 71000185 (plan 8, every host Linux), found failing on 05b540cf by
 * the digest check of seeds 71000000-71000199: conn 154's client (h0, its
 * device refusing 44% from 1.21 s to 3.53 s) kept 151 bytes unsent for ever,
 * nothing in flight, no timer. */
TEST(swarm_seed_71000185_refused_tail_not_held_by_nagle)
{
	struct swarm_opts o = {.profile = SWARM_P_LINUX, .plan = 8};
	struct swarm_result r;
	if (!swarm_run(71000185, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "seed 71000185: %s", r.why);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_GT(r.stats.TcpTxRefused, 0);
}
