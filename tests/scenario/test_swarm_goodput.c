/* The swarm's goodput check (sim/swarm.c, docs/swarm.md): seeds measure
 * transfers against the model and pass at the default floor; a floor of 1
 * (as fast as the model, or fail) fails a seed and names the transfer. */
#include "harness.h"

#include <string.h>

#include "sim/swarm.h"

#define SEEDS 12

TEST(swarm_goodput_seeds_measure_and_pass)
{
	uint32_t measured = 0;
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		struct swarm_result r;
		bool ok = swarm_run(seed, NULL, &r);
		if (!ok)
			gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r.why);
		for (uint32_t i = 0; i < r.measured; i++)
			ASSERT(r.ratio[i] >= SWARM_GOODPUT_FLOOR);
		measured += r.measured;
	}
	ASSERT_GE(measured, 4);
}

TEST(swarm_goodput_floor_of_one_fails_a_seed_and_names_the_transfer)
{
	struct swarm_opts o = {.goodput_floor = 1.0};
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		struct swarm_result r;
		if (swarm_run(seed, &o, &r))
			continue;
		ASSERT(strncmp(r.why, "goodput: conn ", 14) == 0);
		ASSERT(strstr(r.why, "x the model's") != NULL);
		return;
	}
	gt_test_fail(__FILE__, __LINE__, "no seed of %d fell below its model", SEEDS);
}
