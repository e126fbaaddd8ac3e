/* The Linux profile's timers on Linux's timer wheel (cfg.timer_wheel,
 * tcp_wheel_at(); docs/recovery.md "Timer wheel"): the arming sites go
 * through it. The phase puts the wheel's jiffies clock at 2^32 (a multiple
 * of every level's granularity) when the dialogue starts, at DLG_T0_US,
 * and nothing moves the clock before the first timer is armed, so each
 * firing time below is worked out by hand from kernel/time/timer.c's
 * calc_wheel_index() and calc_index() at HZ=250 (4 ms jiffies): level 0
 * below 63 jiffies fires at the tick after its expiry, level 1 (63-503) at
 * the next multiple of 8 past it, level 2 (504-4,031) of 64. */
#include "dlg.h"

#define J 4000u

static struct dlg *wheel_dialogue(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.timer_wheel = true;
	/* INITIAL_JIFFIES + 75,000 = 2^32 at DLG_T0_US. */
	cfg.timer_wheel_phase_us = (uint32_t)(300000000ull - DLG_T0_US);
	return dlg_new(&cfg);
}

TEST(established_rto_backoff_on_the_timer_wheel)
{
	struct dlg *d = wheel_dialogue();
	dlg_established_passive(d);
	ASSERT_EQ(d->now_us, DLG_T0_US);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.rto_us, 200000u); /* rto_min: 50 jiffies */
	ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, 0), 10);
	dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
	/* Armed at jiffy 0 (of 2^32), each next one at the jiffy the one
	 * before fired:
	 *   50 jiffies, level 0:  0 + 50 + 1                     ->   51
	 *  100, level 1:  51 + 100 = 151, (151 >> 3) + 1 = 19 x 8 ->  152
	 *  200, level 1: 152 + 200 = 352, (352 >> 3) + 1 = 45 x 8 ->  360
	 *  400, level 1: 360 + 400 = 760, (760 >> 3) + 1 = 96 x 8 ->  768
	 *  800, level 2: 768 + 800 = 1568, (1568 >> 6) + 1 = 25 x 64 -> 1600
	 * so the gaps are 51, 101, 208, 408 and 832 jiffies, where RFC 6298's
	 * doubling alone gives 50, 100, 200, 400 and 800. */
	static const uint32_t gap_j[] = {51, 101, 208, 408, 832};
	for (int i = 0; i < 5; i++) {
		dlg_advance(d, gap_j[i] * J - 1);
		dlg_expect_none(d);
		dlg_advance(d, 1);
		const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1, d->peer_nxt);
		ASSERT_EQ(g->len, 10);
		dlg_expect_none(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 5);
	dlg_free(d);
}

TEST(established_delayed_ack_on_the_timer_wheel)
{
	struct dlg *d = wheel_dialogue();
	dlg_established_passive(d);
	ASSERT_EQ(d->now_us, DLG_T0_US);
	/* 40 ms, 10 jiffies, armed on a tick: level 0, the tick after its
	 * expiry, 11 jiffies on (Linux's tcp_send_delayed_ack() with
	 * TCP_DELACK_MIN, a 10-jiffy timer_list: 40 to 44 ms after the
	 * segment, as the jiffy it came in falls). */
	dlg_peer_data(d, "hello world", 11);
	dlg_expect_none(d);
	dlg_advance(d, 11 * J - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 12);
	dlg_expect_none(d);
	/* Again 3 ms into a jiffy: the same 11th tick, 41 ms on. */
	dlg_advance(d, 3000);
	dlg_peer_data(d, "again", 5);
	dlg_expect_none(d);
	dlg_advance(d, 41000 - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 17);
	ASSERT_EQ(dlg_stats(d)->TcpDelayedAcks, 2);
	dlg_free(d);
}

TEST(time_wait_on_the_timer_wheel)
{
	struct dlg *d = wheel_dialogue();
	dlg_time_wait(d);
	ASSERT_EQ(d->now_us, DLG_T0_US);
	ASSERT_EQ(d->cfg.msl_ms, 30000u);
	/* 2MSL, 15,000 jiffies from jiffy 0: level 3, (15000 >> 9) + 1 = 30
	 * buckets of 512, 15,360 jiffies: 61.44 s (Linux's tw_timer,
	 * __inet_twsk_schedule()). */
	dlg_advance(d, 15360ull * J - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWExpired, 1);
	dlg_free(d);

	/* The peer's FIN again 10 s in (2,500 jiffies) restarts it:
	 * 2500 + 15000 = 17500, (17500 >> 9) + 1 = 35 x 512 = 17,920
	 * jiffies from the start, 71.68 s. */
	d = wheel_dialogue();
	dlg_time_wait(d);
	dlg_advance(d, 2500 * J);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_advance(d, (17920ull - 2500) * J - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}
