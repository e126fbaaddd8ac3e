/* Seeds the long swarm runs on new seeds found failing, kept as a guard,
 * each with what it found. They replay the failure only with the swarm of
 * their time (a change to the plan draws other networks from the same
 * number, docs/swarm.md); the dialogue test named beside each replays the
 * bug itself. Each must stay clean. */
#include "harness.h"

#include "sim/swarm.h"

static void seed_clean(uint64_t seed, const char *file, int line)
{
	struct swarm_result r;
	if (!swarm_run(seed, NULL, &r))
		gt_test_fail(file, line, "seed %llu: %s", (unsigned long long)seed, r.why);
}

/* A client's linger abort RST overtook its cookie ACK; the ACK rebuilt
 * the connection, left half-open for ever (fixed by
 * dialogue.listen_syncookie_ack_behind_its_rst_builds_nothing). */
TEST(swarm_seed_2007111_cookie_ack_behind_its_rst)
{
	seed_clean(2007111, __FILE__, __LINE__);
}

TEST(swarm_seed_2008392_cookie_ack_behind_its_rst)
{
	seed_clean(2008392, __FILE__, __LINE__);
}
