/* The swarm reports what each seed exercised (issue 15's coverage table):
 * swarm_run() sums every host's counters into its result, which
 * `glasstcp swarm` tallies per counter over the run. */
#include "harness.h"

#include "sim/swarm.h"

TEST(swarm_result_sums_the_hosts_counters)
{
	struct swarm_result r;
	ASSERT(swarm_run(7, NULL, &r));
	ASSERT_GT(r.hosts, 1);
	ASSERT_GT(r.conns, 0);
	/* Every connection was opened by some host's connect(). */
	ASSERT_GE(r.stats.TcpActiveOpens, r.conns);
	ASSERT_GT(r.stats.TcpPassiveOpens, 0);
	ASSERT_GT(r.stats.TcpInSegs, 0);
	ASSERT_GT(r.stats.TcpOutSegs, 0);
	/* Whatever one host received, another sent (or the swarm injected:
	 * hostile segments, ICMP errors, corrupted copies, SYN floods). */
	ASSERT_LE(r.stats.TcpInSegs, r.stats.TcpOutSegs + r.stats.TcpRetransSegs + r.injected);
}
