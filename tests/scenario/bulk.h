/* One bulk transfer between two stacks of the same configuration over a
 * simulated link, for the scenario tests that measure goodput: client
 * sends as fast as the stacks let it for limit_us, every byte checked. */
#ifndef GT_TEST_BULK_H
#define GT_TEST_BULK_H

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

struct bulk_result {
	double mbit;                 /* bytes delivered * 8 / limit */
	struct gt_stats client, server;
};

void bulk_run(const struct gt_config *cfg, const struct gt_link_config *lc, uint64_t limit_us,
	      uint64_t seed, struct bulk_result *r);

#endif
