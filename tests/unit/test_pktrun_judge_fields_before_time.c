/* An outbound packet that differs from the '>' line and also comes
 * outside its time is reported as different, as packetdrill's
 * verify_outbound_live_packet() judges the headers, options and payload
 * before verify_time(). pktrun judged the time first and said "got it at
 * ..., 100 ms early" of a packet whose ACK differed: Linux 6.18's
 * DSACK'ing ACK of an old SYN-ACK in google/packetdrill
 * fastopen/client/simultaneous-fast-open.pkt:37 read as a timing miss on
 * both back-ends. A time outside the window still goes through
 * pk_fail_time() (a runner that shrank the intervals leaves it unjudged). */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* Lines 9-10: 10 bytes in, ACKed at once (quick ACK at the start); the
 * script wants another ACK number 100 ms later. */
static const char script[] = "`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n" PK_ACCEPTED_HEAD
			     "+0 < P. 1:11(10) ack 1 win 257\n"
			     "+.1 > . 1:1(0) ack 5\n";

static struct pk_result run(bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(script, "fields_before_time.pkt", opt, "");
}

TEST(pktrun_judge_fields_before_time)
{
	struct pk_result r = run(false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
	ASSERT(strstr(r.why, "got . 1:1(0) ack 11") != NULL);
	ASSERT(strstr(r.why, "got it") == NULL);
}

TEST(pktrun_kernel_judge_fields_before_time)
{
	struct pk_result r = run(true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict == PK_UNSUPPORTED)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
	ASSERT(strstr(r.why, "got . 1:1(0) ack 11") != NULL);
	ASSERT(strstr(r.why, "got it") == NULL);
}
