/* The Linux profile's timer wheel (tcp_wheel_at(), cfg.timer_wheel):
 * when a timer_list armed with a delay fires, against values worked out
 * by hand from kernel/time/timer.c at HZ=250 (LVL_CLK_SHIFT 3, LVL_BITS
 * 6, LVL_DEPTH 9): calc_wheel_index() puts a delay of d jiffies in level
 * 0 below LVL_START(1) = 63, level 1 below LVL_START(2) = 504, level 2
 * below 4032, level 3 below 32256, ...; calc_index() makes the bucket's
 * expiry ((expires >> 3L) + 1) << 3L.
 *
 * With cfg.timer_wheel_phase_us = 300 s the jiffies clock is
 * INITIAL_JIFFIES + 75,000 = 2^32 at stack time 0 (INITIAL_JIFFIES is
 * (unsigned int)(-300 * HZ)): a multiple of every level's granularity,
 * so the bucket arithmetic below starts from clk = 0 (mod 2^32). */
#include "harness.h"
#include "null_device.h"

#include "tcp/tcp.h"

#define J 4000ull /* a jiffy at HZ=250, us */
#define ALIGNED_PHASE 300000000u

static gt_stack *wheel_stack(uint32_t phase_us)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.timer_wheel = true;
	cfg.timer_wheel_phase_us = phase_us;
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	return gt_stack_new(&cfg, &dev);
}

TEST(timer_wheel_profiles)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT_EQ(cfg.rto_jiffy_us, 4000u);
	ASSERT_EQ(cfg.timer_wheel_phase_us, 3000u);
	ASSERT(cfg.timer_wheel); /* on in the Linux profile */
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(!cfg.timer_wheel);
}

/* Armed on a tick (clk = 2^32, fraction 0). */
TEST(timer_wheel_levels_from_an_aligned_clock)
{
	gt_stack *s = wheel_stack(ALIGNED_PHASE);
	ASSERT(s != NULL);
	/* Level 0: expires = clk + d, bucket clk + d + 1. A 10-jiffy delayed
	 * ACK fires 11 ticks on; a delay of 0 at the next tick. */
	ASSERT_EQ(tcp_wheel_at(s, 0, 0), 1 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 1), 2 * J); /* usecs_to_jiffies(1) = 1 */
	ASSERT_EQ(tcp_wheel_at(s, 0, 10 * J), 11 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 62 * J), 63 * J);
	/* Level 1 from 63: (63 >> 3) + 1 = 8 -> 64; (64 >> 3) + 1 = 9 -> 72;
	 * 250 (a 1 s RTO): 31 + 1 -> 256; 503: 62 + 1 -> 504. */
	ASSERT_EQ(tcp_wheel_at(s, 0, 63 * J), 64 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 64 * J), 72 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 250 * J), 256 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 503 * J), 504 * J);
	/* Level 2 from 504: (504 >> 6) + 1 = 8 -> 512, and 505 too. */
	ASSERT_EQ(tcp_wheel_at(s, 0, 504 * J), 512 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 505 * J), 512 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 4031 * J), 4032 * J); /* 62 + 1 -> 63 x 64 */
	/* Level 3 from 4032: (4032 >> 9) + 1 = 8 -> 4096. A 60 s TIME-WAIT,
	 * 15,000 jiffies: (15000 >> 9) + 1 = 30 -> 15,360 (61.44 s). */
	ASSERT_EQ(tcp_wheel_at(s, 0, 4032 * J), 4096 * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, 60000000), 15360 * J);
	/* Level 4 from 32,256: (32256 >> 12) + 1 = 8 -> 32,768. */
	ASSERT_EQ(tcp_wheel_at(s, 0, 32255 * J), 32256 * J); /* level 3: 62 + 1 -> 63 x 512 */
	ASSERT_EQ(tcp_wheel_at(s, 0, 32256 * J), 32768 * J);
	/* Past WHEEL_TIMEOUT_CUTOFF (63 << 24): expires = clk +
	 * WHEEL_TIMEOUT_MAX (62 << 24), level 8: (62 + 1) << 24. */
	ASSERT_EQ(tcp_wheel_at(s, 0, (63ull << 24) * J), (63ull << 24) * J);
	ASSERT_EQ(tcp_wheel_at(s, 0, (100ull << 24) * J), (63ull << 24) * J);
	gt_stack_free(s);
}

/* Armed 5 jiffies and 1,234 us after the aligned tick (clk = 2^32 + 5). */
TEST(timer_wheel_mid_tick)
{
	gt_stack *s = wheel_stack(ALIGNED_PHASE);
	ASSERT(s != NULL);
	uint64_t at = 5 * J + 1234;
	/* Level 0, 10 jiffies: bucket 5 + 10 + 1 = 16: 42,766 us after it
	 * was armed, in (40 ms, 44 ms]. */
	ASSERT_EQ(tcp_wheel_at(s, at, 40000), 16 * J);
	/* Level 1, 64 jiffies: expires 69, (69 >> 3) + 1 = 9 -> 72. */
	ASSERT_EQ(tcp_wheel_at(s, at, 64 * J), 72 * J);
	/* Level 1, 59 + 5 = 64 is still level 0 by the delta: 5 + 59 + 1. */
	ASSERT_EQ(tcp_wheel_at(s, at, 59 * J), 65 * J);
	/* Level 2, 1,000 jiffies (4 s): expires 1005, (1005 >> 6) + 1 = 16
	 * -> 1024: 96 ms late, at most 64 jiffies + the tick's fraction. */
	ASSERT_EQ(tcp_wheel_at(s, at, 1000 * J), 1024 * J);
	gt_stack_free(s);
}

/* The profile's own phase: a tick 1 ms after each whole 4 ms of stack
 * time, so a level-0 timer armed on such a time fires 1 ms after its
 * nominal deadline, and one armed up to 1 ms later with it. */
TEST(timer_wheel_profile_phase)
{
	gt_stack *s = wheel_stack(3000);
	ASSERT(s != NULL);
	ASSERT_EQ(tcp_wheel_at(s, 100000, 40000), 141000u);
	ASSERT_EQ(tcp_wheel_at(s, 100999, 40000), 141000u);
	ASSERT_EQ(tcp_wheel_at(s, 101000, 40000), 145000u);
	gt_stack_free(s);
}

/* Never early, and late by less than the level's granularity plus the
 * jiffy the delay and the arming time round up: every phase, every delay
 * class. */
TEST(timer_wheel_bounds)
{
	static const uint32_t phases[] = {0, 1, 1999, 3999, 4000, 123457, 2047999, ALIGNED_PHASE};
	static const uint64_t delays[] = {0, 1, 3999, 40000, 200000, 248000, 252000, 256000, 1000000,
					  2012000, 2016000, 3000000, 16128000, 60000000, 120000000};
	for (size_t p = 0; p < sizeof(phases) / sizeof(phases[0]); p++) {
		gt_stack *s = wheel_stack(phases[p]);
		ASSERT(s != NULL);
		for (uint64_t arm = 0; arm < 3000000; arm += 7919) {
			for (size_t k = 0; k < sizeof(delays) / sizeof(delays[0]); k++) {
				uint64_t d = (delays[k] + J - 1) / J;
				unsigned lvl = 0;
				while (lvl < 8 && d >= (63ull << (3 * lvl)))
					lvl++;
				uint64_t at = tcp_wheel_at(s, arm, delays[k]);
				ASSERT_GE(at, arm + d * J);
				ASSERT_LE(at, arm + d * J + ((1ull << (3 * lvl)) + 1) * J);
				/* Fires on a tick of the jiffies clock. */
				ASSERT_EQ((at + phases[p]) % J, 0u);
			}
		}
		gt_stack_free(s);
	}
}

TEST(timer_wheel_off_is_the_deadline)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.timer_wheel = false;
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(tcp_wheel_at(s, 1234, 1000000), 1001234u);
	gt_stack_free(s);
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(tcp_wheel_at(s, 1234, 60000000), 60001234u);
	gt_stack_free(s);
}
