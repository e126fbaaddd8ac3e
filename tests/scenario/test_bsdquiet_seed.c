/* The swarm seed that found held data waiting for ever after a quiet
 * FreeBSD segment (tcp_input.c's bsd_quiet_ack()), kept as a guard at the
 * plan it was found at (SWARM_PLAN 5, sim/swarm.h). */
#include "harness.h"

#include "sim/swarm.h"

/* An unread workload: the server held a 158-byte tail behind a 63-byte
 * window with nothing in flight and neither the retransmission nor the
 * persist timer running; the client's window updates were lost and the
 * segments that came after were quiet (no tcp_output()), so nothing ever
 * sent the tail or probed the window: the liveness check failed 605 s
 * after the heal. FreeBSD's tcp_output() never leaves held data without a
 * timer, so a quiet segment there never meets that state; the profile now
 * runs the output call where it does. */
TEST(swarm_seed_96235585_quiet_segment_leaves_no_held_data_untimed)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = 5};
	if (!swarm_run(96235585, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "seed 96235585 (plan 5): %s", r.why);
}
