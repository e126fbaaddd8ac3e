/* packetdrill never judges an outbound TS ecr: verify_outbound_tcp_option()
 * (google/packetdrill gtests/net/packetdrill/run_packet.c) compares only
 * the TS val, and that only with --tcp_ts_tick_usecs. Without --strict
 * pktrun does the same, so a script whose ecr says what an older kernel
 * echoed (ts_recent/tw_reuse/tw_reuse_ok_after_0sec_with_portlock.pkt:50,
 * "ecr 0" where Linux 6.18 echoes the inherited TS.Recent) is read as
 * packetdrill reads it. --strict keeps judging the ecr, the rule the
 * project's own scripts are written to. The data segment here echoes the
 * peer's TS val 2; the script says 7. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"


static struct pk_result run(const char *text, bool strict)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_FREEBSD,
				 .ts_tick_set = true, .ts_tick_us = 1000, .strict = strict};
	return pk_test_run(text, "ecr.pkt", opt, strict ? " --strict" : "");
}

TEST(pktrun_outbound_ts_ecr_judged_only_with_strict)
{
	const char *text = PK_TS_ACCEPTED_WRITE_HEAD
			   "+0 > P. 1:11(10) ack 1 win 1027 <nop,nop,TS val 300 ecr 7>\n";
	struct pk_result r = run(text, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(text, true);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
	ASSERT(strstr(r.why, "TS ecr: expected 7, got 2") != NULL);
}

TEST(pktrun_outbound_ts_val_still_judged_without_strict)
{
	/* Only the ecr is passed over: the TS val, 300 at 0.2 s on a 1 ms
	 * tick, is judged as packetdrill judges it. */
	struct pk_result r = run(PK_TS_ACCEPTED_WRITE_HEAD
				     "+0 > P. 1:11(10) ack 1 win 1027 <nop,nop,TS val 500 ecr 7>\n", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
	ASSERT(strstr(r.why, "TS val: expected 500, got 300 (rebased)") != NULL);
}
