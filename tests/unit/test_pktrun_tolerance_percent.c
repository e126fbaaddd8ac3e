/* --tolerance_percent=N, as packetdrill's verify_time(): an event's tolerance
 * is N% of the script's interval from the event before, where that is more
 * than --tolerance_usecs (4 ms by default), on the early edge as on the late.
 * The SYN-ACK's retransmission comes 1.021 s after the first (the Linux
 * profile's initial RTO of 250 jiffies on its timer wheel, cfg.timer_wheel:
 * level 1, fired at jiffy 256, 1.024 s less the profile's 3 ms phase); the
 * script says 1.051 s, 30 ms early, then 0.959 s: 62 ms late, 30 ms past
 * the wheel's slack for a 0.959 s gap (32 ms, pk_wheel_slack_us(), which
 * the judge gives the late edge of a profile on the wheel as it gives the
 * kernel's). */
#include "harness.h"

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

static const char head[] = PK_SYNACK_HEAD;

static enum pk_verdict run_with(const char *opt, const char *when)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s\n%s%s > S. 0:0(0) ack 1 <...>\n", opt, head, when);
	struct pk_options o = {.profile = GT_PROFILE_LINUX, .profile_set = true};
	struct pk_result r = pk_test_run(text, "tolerance-percent.pkt", o, "");
	return r.verdict;
}

TEST(pktrun_tolerance_percent_widens_to_a_share_of_the_interval)
{
	ASSERT_EQ(run_with("", "+1.051"), PK_FAIL);                      /* 30 ms > 4 ms */
	ASSERT_EQ(run_with("--tolerance_percent=1", "+1.051"), PK_FAIL); /* > 10.51 ms */
	ASSERT_EQ(run_with("--tolerance_percent=5", "+1.051"), PK_PASS); /* <= 52.55 ms */
	ASSERT_EQ(run_with("", "+.959"), PK_FAIL);                       /* late, 30 ms > 4 ms */
	ASSERT_EQ(run_with("--tolerance_percent=5", "+.959"), PK_PASS);  /* late, 30 <= 47.95 ms */
	ASSERT_EQ(run_with("--tolerance_percent=2", "+.959"), PK_FAIL);  /* late, 30 > 19.18 ms */
	/* Never below --tolerance_usecs: 1% of 1 s is 10 ms, the script's 40. */
	ASSERT_EQ(run_with("--tolerance_usecs=40000\n--tolerance_percent=1", "+1.051"), PK_PASS);
}
