/* A long fat path with a big receive buffer (issue 13): 1 Gbit/s, 40 ms
 * round trip, a 1000-packet queue, tcp_rmem[2] as large as the kernel's on
 * the machine that found it (32 MiB), both ends glasstcp's Linux profile.
 * Slow start overshoots the queue and hundreds of segments are dropped in
 * one window: the receiver then holds thousands of out-of-order ranges
 * (one per hole), which its buffer has room for. It must keep them all
 * (TcpOfoDrop 0; with the old table of 64 ranges it threw away data it had
 * room for, 1973 segments in `glasstcp sim --bytes 20000000 --delay 20
 * --bandwidth 1000 --sysctl 'net.ipv4.tcp_rmem=4096 131072 33554432'`), and
 * the sender's scoreboard must hold as many holes, or it resends what
 * arrived: the retransmissions are the queue's drops and no more. */
#include <stdio.h>

#include "harness.h"

#include "bulk.h"

struct bdp_run {
	double mbit;
	uint64_t ofo_drop, ofo_queue, rexmit;
};

static struct bdp_run run(uint64_t seed)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_rmem", "4096 131072 33554432"),
		  0);
	/* The sender's buffer large enough that it is not what bounds the
	 * window while holes are repaired. */
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_wmem", "4096 16384 67108864"),
		  0);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 20000;
	lc.bandwidth_bps = 1000000000ull;
	lc.queue_limit_pkts = 1000;
	struct bulk_result b;
	bulk_run(&cfg, &lc, 1000000, seed, &b);
	return (struct bdp_run){b.mbit, b.server.TcpOfoDrop, b.server.TcpOfoQueue,
				b.client.TcpRetransSegs};
}

TEST(reass_big_bdp_overshoot_keeps_every_hole)
{
	struct bdp_run r = run(1);
	printf("1 Gbit/s, 40 ms RTT, 32 MiB tcp_rmem, 1 s: %.0f Mbit/s, TcpOfoQueue %llu, "
	       "TcpOfoDrop %llu, retransmitted %llu\n",
	       r.mbit, (unsigned long long)r.ofo_queue, (unsigned long long)r.ofo_drop,
	       (unsigned long long)r.rexmit);
	ASSERT_EQ(r.ofo_drop, 0);
	ASSERT_GT(r.ofo_queue, 500); /* the overshoot happened: many holes */
	ASSERT(r.mbit > 0.4 * 1000); /* 40% of the path, ramp-up included (548 measured) */
}
