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

/* The first seed under a floor of 1 was among seeds 1-12 until the merge
 * of session 12's branches; it is seed 13 now (seeds 13, 14, 16, 17, 27, 31,
 * 32 and 37 of 1-40 fall below at 0.43-0.87 x: `glasstcp swarm --seeds 40
 * --goodput-floor 1`), so this looks at up to 24. */
#define FLOOR_SEEDS 24

TEST(swarm_goodput_floor_of_one_fails_a_seed_and_names_the_transfer)
{
	struct swarm_opts o = {.goodput_floor = 1.0};
	for (uint64_t seed = 1; seed <= FLOOR_SEEDS; seed++) {
		struct swarm_result r;
		if (swarm_run(seed, &o, &r))
			continue;
		ASSERT(strncmp(r.why, "goodput: conn ", 14) == 0);
		ASSERT(strstr(r.why, "x the model's") != NULL);
		return;
	}
	gt_test_fail(__FILE__, __LINE__, "no seed of %d fell below its model", FLOOR_SEEDS);
}

/* A receiver whose host has no buffer memory for a segment drops it
 * (TcpBufLimit, TCP_INFO rcv_nomem), and the sender resends it by RTO:
 * loss to the model, as the out-of-order segments given up are. Seed
 * 13012805, a low-limit Linux host (max_buffer_bytes) receiving: its
 * receive rings, released when read empty, were not granted again, and
 * conn 6's 68 kB took 7 to 17 s, its RTOs backed off; against a model that
 * knew of no loss it was 0.033 x (0.0134 at e0b3fd8, under the floor), and
 * with those drops counted 0.36 (at 4b03775). */
TEST(swarm_goodput_counts_receive_memory_drops_as_loss)
{
	struct swarm_opts o = {.plan = 1};
	struct swarm_result r;
	if (!swarm_run(13012805, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "seed 13012805: %s", r.why);
	ASSERT(r.stats.TcpBufLimit > 0);
	ASSERT_GE(r.measured, 3);
	for (uint32_t i = 0; i < r.measured; i++)
		ASSERT(r.ratio[i] > 0.1f);
}
