/* Plan 11 (sim/swarm.c: maxunack_ms in build(), the SO_RCVBUF cut at
 * accept, held_armed and inject_held(); docs/swarm.md): the counters plan
 * 10 left at zero behind which a random seed can reach a real code path.
 * Each seed below counts its counter at plan 11 and not at plan 10, where
 * it draws what it drew then. Seeds from 97990500 (the plan's trial runs,
 * not its 3,000-seed table). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#include "sim/swarm.h"

static void run(uint64_t seed, uint32_t plan, struct swarm_result *r)
{
	struct swarm_opts o = {.plan = plan};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* FreeBSD's maxunacktime dropped (TcpProgDrops), held-past-fin's attacker
 * met a FreeBSD receiver (TcpReassFinBeforeEnd) and a Linux one
 * (TcpOfoPurgedAtFin), and a Linux server that lowered SO_RCVBUF took a
 * segment whole into its empty queue (TcpRcvRingWhole). */
TEST(swarm_plan_11_counters)
{
	static const struct {
		uint64_t seed;
		size_t off; /* the counter's offset in struct gt_stats */
	} want[] = {
		{97990595, offsetof(struct gt_stats, TcpProgDrops)}, /* 97990526 before */
		{97990581, offsetof(struct gt_stats, TcpProgDrops)}, /* 97990521 before cfg.timer_wheel */
		{97990610, offsetof(struct gt_stats, TcpReassFinBeforeEnd)},
		{97990501, offsetof(struct gt_stats, TcpOfoPurgedAtFin)},
		/* 97990551 until the Linux profile's probe timer restarted
		 * at each ACK (tcp_ack_probe()): its timing moved and the
		 * segment no longer came into an empty queue. */
		{97990570, offsetof(struct gt_stats, TcpRcvRingWhole)},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct swarm_result r;
		uint64_t v;
		run(want[i].seed, 11, &r);
		memcpy(&v, (const char *)&r.stats + want[i].off, sizeof v);
		if (v == 0)
			gt_test_fail(__FILE__, __LINE__, "seed %llu: counter at %zu is 0 at plan 11",
				     (unsigned long long)want[i].seed, want[i].off);
		run(want[i].seed, 10, &r);
		memcpy(&v, (const char *)&r.stats + want[i].off, sizeof v);
		if (v != 0)
			gt_test_fail(__FILE__, __LINE__, "seed %llu: counter at %zu is %llu at plan 10",
				     (unsigned long long)want[i].seed, want[i].off,
				     (unsigned long long)v);
	}
}

/* The no-progress verdict: seed 97990595's FreeBSD host with
 * maxunacktime drops a connection for no progress, judged no-progress,
 * and at plan 10 no side is. (Seed 97990526 until the Linux profile's
 * timer wheel and probe timer restart moved its timing.) */
TEST(swarm_plan_11_no_progress_verdict)
{
	struct swarm_result r;
	run(97990595, 11, &r);
	ASSERT_GT(r.dims[SWARM_D_MaxUnack], 0);
	ASSERT_GT(r.verdicts[SWARM_V_NO_PROGRESS], 0);
	ASSERT(strcmp(swarm_verdict_name(SWARM_V_NO_PROGRESS), "no-progress") == 0);
	run(97990595, 10, &r);
	ASSERT_EQ(r.dims[SWARM_D_MaxUnack], 0);
	ASSERT_EQ(r.verdicts[SWARM_V_NO_PROGRESS], 0);
}

/* The rule can fail: with the stack given a quarter of the maxunacktime
 * the swarm set (SWARM_FAULT_PROGDROP_EARLY), the same seed's drop comes
 * sooner after SND.UNA last moved than the time set, and judge() names
 * it. */
TEST(swarm_plan_11_progdrop_early_fails)
{
	struct swarm_opts o = {.plan = 11, .fault = SWARM_FAULT_PROGDROP_EARLY};
	struct swarm_result r;
	ASSERT(!swarm_run(97990595, &o, &r));
	if (!strstr(r.why, "dropped for no progress"))
		gt_test_fail(__FILE__, __LINE__, "seed 97990595 with the fault: %s", r.why);
}

/* Seed 97950860 (plan 11's first build, 9a0ed15f, in its 3,000-seed run):
 * held-past-fin's attacker landed on conn 9, a half-close whose Linux
 * client had shut down its writing side with 29 bytes and its FIN still
 * unacknowledged; h3's FreeBSD server dropped each retransmission of them
 * whole, as ending before the range held (TcpReassFinBeforeEnd), and the
 * client, keeping its descriptor, retried for tcp_retries2's 924 s, past
 * the liveness check at 600 s after the heal, which failed it. Real TCP
 * on both sides; the plan no longer arms the attacker on a connection
 * whose client half-closes. */
TEST(swarm_seed_97950860_held_past_fin_not_on_a_half_closing_client)
{
	struct swarm_result r;
	run(97950860, 11, &r);
}

/* Seed 97859460 (found in seeds 97859000-97859999 on 2a959a0c): conn
 * 12's Linux client, corked (TCP_CORK), sent SYNs from 1.64 s through a
 * partition (h1->h0 down until the heal at 9.05 s); the SYN-ACK that got
 * through at 12.68 s echoed the first SYN's TSval, as Linux's
 * tcp_check_req() does, and the client took an 11.04 s RTT sample from it
 * (tcp_ack_update_rtt()), its RTO 33 s. Its first write came after; its
 * corked tail waited for the probe timer, max(RTO, 200 ms), and the
 * 101,313 bytes took 23.4 s on a 42 ms path: 0.0150 x a model whose tail
 * waited the cork's 200 ms. The model's tail is now the sender's own RTO
 * after such a sample (path_of()): the fourth transfer measured, 0.88 x. */
TEST(swarm_seed_97859460_corked_tail_waits_the_rto_of_a_handshake_sample)
{
	struct swarm_result r;
	run(97859460, 11, &r);
	ASSERT_GT(r.measured, 3);
	ASSERT(r.ratio[3] > 0.5f && r.ratio[3] < 2.0f);
}
