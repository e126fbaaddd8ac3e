/* pktrun's --tolerance_usecs=N (packetdrill's command-line option): the
 * timing tolerance of a script that sets none of its own; a script's own
 * --tolerance_usecs line stands (packetdrill applies a script's option
 * lines after the command line's). gVisor's packetdrill_test.sh runs its
 * suite with 100000, and make conformance runs the gvisor sample so. The
 * script: a lone data segment's ACK, which the Linux profile delays 40 ms
 * (quick-ACK mode ended by TCP_QUICKACK 0), expected at once. */
#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "test_pktrun.h"

#define TOL_BODY \
	PK_ACCEPTED_HEAD \
	"+0 setsockopt(4, IPPROTO_TCP, TCP_QUICKACK, [0], 4) = 0\n" \
	"+.1 < P. 1:101(100) ack 1 win 257\n" \
	"+0 > . 1:1(0) ack 101\n"

static struct pk_result run(const char *text, bool set, int64_t us)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
				 .tolerance_set = set, .tolerance_us = us};
	return pk_test_run(text, "tolerance.pkt", opt, "");
}

TEST(pktrun_tolerance_usecs_option_default_for_scripts)
{
	/* The default, 4 ms: the ACK 40 ms late fails. */
	struct pk_result r = run(TOL_BODY, false, 0);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
	/* 100 ms from the command line: it passes. */
	ASSERT_EQ(run(TOL_BODY, true, 100000).verdict, PK_PASS);
	/* 10 ms: still late. */
	ASSERT_EQ(run(TOL_BODY, true, 10000).verdict, PK_FAIL);
	/* The script's own 4 ms stands over the command line's 100 ms. */
	r = run("--tolerance_usecs=4000\n" TOL_BODY, true, 100000);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
}
