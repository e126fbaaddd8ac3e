/* The profile's judge gives a timer on Linux's timer wheel the slack the
 * kernel back-end's judge gives the kernel (wheel_slack() in
 * pktrun/judge.c, pk_wheel_slack_us() of the script's gap at the
 * profile's HZ, 250), where cfg.timer_wheel is on; with it off a timer
 * fires at its deadline and is judged so.
 *
 * The SYN-ACK's retransmission: the Linux profile's 1 s SYN-ACK RTO, 250
 * jiffies, sits on level 1 of the wheel (63-503 jiffies, 8-jiffy
 * buckets). With the wheel on (phase 3000 us) the SYN-ACK goes at 0 s, in
 * jiffy 0 - 3 ms of the phase, so the timer fires at tick
 * ((0 + 250) >> 3 + 1) << 3 = 256, at 256 * 4 ms - 3 ms = 1.021 s: 21 ms
 * past the script's +1, inside the slack for a 1 s gap (level 1's
 * granule, 32 ms) and the 4 ms tolerance. With the wheel off it goes at
 * 1.000 s. */
#include "harness.h"

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

static const char head[] = PK_SYNACK_HEAD;

static struct pk_result run_at(bool wheel, const char *when)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s%s > S. 0:0(0) ack 1 <...>\n", head, when);
	struct pk_options o = {.profile = GT_PROFILE_LINUX, .profile_set = true, .strict = true,
			       .timer_wheel_set = true, .timer_wheel = wheel};
	return pk_test_run(text, "wheel-slack.pkt", o, wheel ? " (wheel on)" : " (wheel off)");
}

/* The retransmission at line 7 fails the script, saying why. */
static void fails_at_line_7(bool wheel, const char *when, const char *why)
{
	struct pk_result r = run_at(wheel, when);
	if (r.verdict != PK_FAIL || r.line != 7 || !strstr(r.why, why))
		gt_test_fail(__FILE__, __LINE__,
			     "%s (wheel %s): verdict %d line %d, '%s'; wanted line 7 to fail with '%s'", when,
			     wheel ? "on" : "off", (int)r.verdict, r.line, r.why, why);
}

TEST(pktrun_wheel_slack_for_a_profile_on_the_timer_wheel)
{
	/* On: 1.021 s, 21 ms past +1, forgiven by the wheel's slack. */
	ASSERT_EQ(run_at(true, "+1").verdict, PK_PASS);
	/* The slack is the level's granule, 32 ms, and no more: the window
	 * for +.98 ends 4 + 32 ms past it, before 1.021 s. */
	fails_at_line_7(true, "+.98", "nothing was sent by 1.016000");
	/* The late edge only: 1.021 s is 39 ms before +1.06. */
	fails_at_line_7(true, "+1.06", "early");
}

TEST(pktrun_wheel_off_judges_a_timer_exactly)
{
	/* Off: 1.000 s, at the script's +1. */
	ASSERT_EQ(run_at(false, "+1").verdict, PK_PASS);
	/* No slack: the window for +.99 ends at the 4 ms tolerance, though
	 * the slack for a 990 ms gap on the wheel would be 32 ms more. */
	fails_at_line_7(false, "+.99", "nothing was sent by 0.994000");
}
