/* Seeds the long swarm runs found failing since session 34, kept as a
 * guard (as tests/scenario/test_swarm_seeds.c; the check both use is
 * swarm_check.c's): each runs at the plan version it was kept at (SWARM_PLAN in
 * sim/swarm.h) and must stay clean; docs/swarm.md says what each found. */
#include "harness.h"

#include "sim/swarm.h"
#include "swarm_check.h"

/* swarm_check_side_verdict() at plan, with exact_timers or not. */
static void seed_side_verdict_at(uint64_t seed, uint32_t plan, bool exact_timers, unsigned conn,
				 bool client, int v, bool only, const char *file, int line)
{
	struct swarm_opts o = {.plan = plan, .exact_timers = exact_timers};
	swarm_check_side_verdict(seed, &o, conn, client, v, only, file, line);
}

/* Seed 98004148 (plan 13, and 12 the same): conn 18's FreeBSD client (h0) sends its SYN
 * twice (5.599 s, 6.599 s); h1's Linux listener answers each with a
 * SYN-ACK from its request socket, but h1's device refuses 81.5% of its
 * packets from 5.198 s to 6.648 s and refuses both, so the client's
 * connect() gives up in SYN-SENT at 8.799 s (ETIMEDOUT). A refused packet
 * never reaches the tap, and the listener never made a TCB: the audit
 * saw nothing lost ("ETIMEDOUT with nothing lost since it last heard its
 * peer, and its peer alive"). The swarm now matches each segment a stack
 * traces out with the packet the tap sees leave its host, and a segment
 * that never left while the host's IpOutQueueFull moved counts as refused
 * on its tuple's side (out_settle()): timeout-after-refusal. The seed was
 * found with the Linux profile's timers off the timer wheel; with them on
 * (session 34) its course moves and no connection meets the refusals,
 * and the case is rare (no side judged timeout-after-refusal in the
 * 36,000 seeds after it), so it replays with exact_timers. */
TEST(swarm_seed_98004148_synacks_refused_at_the_listeners_device)
{
	seed_side_verdict_at(98004148, 13, true, 18, true, SWARM_V_TIMEOUT_REFUSED, true, __FILE__,
			     __LINE__);
}

/* Seed 98030070 (plan 14, and 13 the same; found in 98030000-98030999):
 * conn 4's FreeBSD TFO client (h2) writes 143,729 bytes to a FreeBSD
 * server whose application set SO_RCVBUF 1,067 98 ms after the accept:
 * it offers 1,088 bytes (17 << 6) each time it reads the buffer empty,
 * under one segment (1,220) and under half the SYN-ACK's window, so the
 * sender holds each round (tcp_output(): len >= max_sndwnd / 2) for its
 * persist timer, 5 s: 680 s for the transfer, as FreeBSD does. path_of()
 * has that rule (seed 78508442), but it reads the sender's max_snd_wnd at
 * its first write, and a TFO client's first write (its sendto() in
 * SYN-SENT; no cookie yet, so the SYN went bare, win 8,540 in the SYN-ACK)
 * comes before any window: 0, so the rule never held and the
 * transfer failed the goodput floor (0.0128 x the model). The first
 * write that saw a window counts now. */
TEST(swarm_seed_98030070_tfo_first_write_before_any_window_persist_rounds)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = 14};
	if (!swarm_run(98030070, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "seed 98030070 (plan 14): %s", r.why);
}
