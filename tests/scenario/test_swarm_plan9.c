/* Plan 9 (sim/swarm.c plan_stamps(), ts_enable(), ts_drain(),
 * probe_tfo_synack(); docs/swarm.md): SO_TIMESTAMPING senders on Linux
 * hosts, half of them reading the error queue only at the close, every
 * stamp read checked; and fragmentation needed for each of the TFO cookie
 * probe's SYNs to 34 addresses, past the 16 path MTUs a host keeps. The
 * two counters issue 15 found zero over every plan before, at 1,000
 * seeds. Seeds from 97700000 (the plan's first run). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "sim/swarm.h"

static void run(uint64_t seed, uint32_t plan, FILE *trace, struct swarm_result *r)
{
	struct swarm_opts o = {.plan = plan, .trace = trace};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* Seed 97700018 (two Linux hosts): the probe's host learns 34 path MTUs
 * and evicts 18 (IpPmtuCacheEvicted); a lazy stamping side's queue
 * overflows (TcpErrqueueDrops); the stamps read are in order. At plan 8
 * none of it. */
TEST(swarm_plan_9_adds_tx_stamps_and_pmtu_evictions)
{
	struct swarm_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ASSERT(f != NULL);
	run(97700018, 9, f, &r);
	fclose(f);
	ASSERT(strstr(buf, "each first SYN answered with fragmentation needed") != NULL);
	ASSERT(strstr(buf, "SO_TIMESTAMPING, the error queue read at the close") != NULL);
	free(buf);
	ASSERT_GT(r.dims[SWARM_D_TxStamps], 0);
	ASSERT_GT(r.dims[SWARM_D_TxStampsLazy], 0);
	ASSERT_GT(r.dims[SWARM_D_PmtuEvict], 0);
	ASSERT_EQ(r.stats.IpPmtuCacheEvicted, 18);
	ASSERT_GT(r.stats.TcpErrqueueDrops, 0);
	run(97700018, 8, NULL, &r);
	ASSERT_EQ(r.dims[SWARM_D_TxStamps], 0);
	ASSERT_EQ(r.dims[SWARM_D_PmtuEvict], 0);
	ASSERT_EQ(r.stats.IpPmtuCacheEvicted, 0);
	ASSERT_EQ(r.stats.TcpErrqueueDrops, 0);
}

/* Seed 97701340 (plan 8, found in plan 9's first 2,000 seeds): conn 51's
 * Linux client, a TFO sendto() on h1, disconnects by connect(AF_UNSPEC)
 * at once, and its listen() on the socket, which the disconnect left
 * without a port, must bind one: h1 draws a narrow ephemeral range with
 * its ports held, so Linux's inet_csk_get_port(sk, 0) finds none,
 * -EADDRINUSE, counted TcpEphemeralExhausted. The swarm demanded 0
 * (side_disconnect()); now it excuses -EADDRINUSE only where that very
 * call counted the exhaustion. Seed 97614951 (plan 8) met the same in
 * session 30's run from 97600000 (conn 79). The event moves with the
 * stack's behaviour: 97701340 lost it to the reassembly table's eviction
 * (swarm seed 97610686), 97614951 to h-sws's recovery sends; both are
 * kept clean here, and the core's half (listen() after the disconnect,
 * every ephemeral port held: -EADDRINUSE, TcpEphemeralExhausted) is
 * unit.listen_after_disconnect_with_no_ephemeral_port_is_eaddrinuse. */
TEST(swarm_seed_97701340_listen_after_disconnect_finds_no_port)
{
	struct swarm_result r;
	run(97701340, 8, NULL, &r);
	run(97614951, 8, NULL, &r);
	ASSERT_GT(r.dims[SWARM_D_Disconnect], 0);
}

/* The stamps' check can fail: with the first stamp read given twice
 * (SWARM_FAULT_STAMP_REPEAT), seed 97700018 fails in ts_drain(), naming
 * the side and the stamp. */
TEST(swarm_plan_9_stamp_read_twice_fails)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = 9, .fault = SWARM_FAULT_STAMP_REPEAT};
	bool ok = swarm_run(97700018, &o, &r);
	ASSERT(r.fault_planted);
	ASSERT(!ok);
	if (!strstr(r.why, ": stamp origin 4 errno "))
		gt_test_fail(__FILE__, __LINE__, "seed 97700018: %s", r.why);
}

/* Seed 97700164 (and ten more of 2,000 from 97700000 at plan 9): a writer
 * that writes on every poll event (POLLERR from its pending SO_TIMESTAMPING
 * stamps) refilled a partly sent tail skb write after write, and
 * tcp_lx_ring_fit()'s allowance for an SO_SNDBUF lowered under what is
 * queued, taken for every socket, grew a 16 KiB socket's ring to 153,732
 * bytes (tcp_check: snd over 137348). The allowance is now only for an
 * SO_SNDBUF the application set. */
TEST(swarm_seed_97700164_tail_refills_stay_within_the_ring_bound)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = 9};
	static const uint64_t seeds[] = {97700164, 97700377, 97700758, 97701682};
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		if (!swarm_run(seeds[i], &o, &r))
			gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seeds[i], r.why);
}

/* Seed 97603098 (found re-running 97600000- on the session's final
 * binary): a Linux sender without SACK had one 154-byte segment and its
 * FIN in flight, the last skb's end not kept; pkts_upto() counted up to
 * the FIN alone, cut that skb short of its end (tcp_lx_acked_pkts() takes
 * SND.MAX, the FIN included) and found no packet, so the fast retransmit's
 * PRR set cwnd 0 (the invariant checker). The FIN's octet is left out only
 * where a kept skb ends at it, or where it went alone. */
TEST(swarm_seed_97603098_fin_on_data_is_in_its_packet)
{
	struct swarm_result r;
	run(97603098, 9, NULL, &r);
}
