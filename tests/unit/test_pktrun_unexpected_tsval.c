/* pktrun's messages give a live segment's TS val as the script writes it
 * once the connection's first judged TS val set the base (the SYN-ACK's
 * here: live 0 at script 100): "unexpected outbound packet" as "expected
 * ..., got ...", and as that message's "TS val: expected X, got Y
 * (rebased)" reason. The data segment leaves 200 ms after the SYN-ACK, so
 * its TS val is 300 in the script's terms; before, the unexpected-packet
 * message printed the raw value the stack sent. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"


static struct pk_result run(const char *text)
{
	/* --strict: only then is a packet no '>' line reads a failure
	 * (without it pktrun reads packets as packetdrill does, h-pkfidel). */
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_FREEBSD,
				 .ts_tick_set = true, .ts_tick_us = 1000, .strict = true};
	struct pk_result r;
	pk_run_text(text, strlen(text), "tsval.pkt", NULL, &opt, &r);
	return r;
}

TEST(pktrun_unexpected_outbound_packet_tsval_rebased)
{
	/* Line 10: an ACK comes in; the data segment before it was never
	 * expected. */
	struct pk_result r = run(PK_TS_ACCEPTED_WRITE_HEAD
				     "+1 < . 1:1(0) ack 11 win 1026 <nop,nop,TS val 3 ecr 300>\n");
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
	ASSERT(strstr(r.why, "unexpected outbound packet P. 1:11(10) ack 1 win 1027 "
			     "<nop,nop,TS val 300 ecr 2> at 0.200000") != NULL);
}

TEST(pktrun_expected_packet_got_tsval_rebased)
{
	struct pk_result r = run(PK_TS_ACCEPTED_WRITE_HEAD
				     "+0 > P. 1:11(10) ack 1 win 1027 <nop,nop,TS val 500 ecr 2>\n");
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
	ASSERT(strstr(r.why, "got P. 1:11(10) ack 1 win 1027 <nop,nop,TS val 300 ecr 2> at 0.200000: "
			     "TS val: expected 500, got 300 (rebased)") != NULL);
}
