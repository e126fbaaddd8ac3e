/* The Linux profile's TSO segments sized as the kernel's skbs, under
 * pktrun --tso on both back-ends (a script cannot ask for --tso itself:
 * these run it).
 *
 * Linux's tcp_write_xmit() hands the device one skb at a time, cut by
 * tcp_mss_split_point() to mss_now x max_segs, max_segs the least of
 * tcp_cwnd_test()'s quota (at most half cwnd) and tcp_tso_segs()
 * (tcp_tso_autosize(): 1 ms at the pacing rate, at least tcp_min_tso_segs
 * 2). At a round trip of 100 ms the pacing rate (cwnd 10 x 1,000 bytes
 * per 100 ms, doubled in slow start) is 200 bytes a millisecond: two
 * segments an skb, so a 10,000-byte write leaves as five GSO packets of
 * 2,000 bytes, each with PSH (__tcp_transmit_skb() marks every GSO skb).
 * glasstcp's device took the whole window as one segment
 * (`P. 1:10001(10000)`) before its TSO segment was cut to lx_unit_segs().
 *
 * Under TCP_CORK, tcp_mss_split_point() leaves the short last segment of
 * the write queue's tail out of the skb it sends (tcp_nagle_check(),
 * "return needed - partial"): a corked 3,500-byte write at MSS 1,000 goes
 * as `P. 1:3001(3000)`, the 500 held until the cork is pulled. glasstcp
 * sent all 3,500 in one TSO segment. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* A write of a whole window (cwnd 10) at a round trip of 100 ms. */
#define TSO_UNITS_100MS \
	PK_ACCEPTED_HEAD_RTT(".1") \
	"+0 write(4, ..., 10000) = 10000\n" \
	"+0 > P. 1:2001(2000) ack 1\n" \
	"+0 > P. 2001:4001(2000) ack 1\n" \
	"+0 > P. 4001:6001(2000) ack 1\n" \
	"+0 > P. 6001:8001(2000) ack 1\n" \
	"+0 > P. 8001:10001(2000) ack 1\n" \
	"+.1 < . 1:1(0) ack 10001 win 257\n"

/* A corked write of three and a half segments, a round trip of
 * microseconds (tcp_tso_autosize() allows 64 KB). */
#define TSO_CORK_PARTIAL \
	PK_ACCEPTED_HEAD_RTT("0") \
	"+0 setsockopt(4, IPPROTO_TCP, TCP_CORK, [1], 4) = 0\n" \
	"+0 write(4, ..., 3500) = 3500\n" \
	"+0 > P. 1:3001(3000) ack 1\n" \
	"+.01 < . 1:1(0) ack 3001 win 257\n" \
	"+.01 setsockopt(4, IPPROTO_TCP, TCP_CORK, [0], 4) = 0\n" \
	"+0 > P. 3001:3501(500) ack 1\n" \
	"+.01 < . 1:1(0) ack 3501 win 257\n"

static struct pk_result run_units(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel,
				 .strict = true, .tso = true};
	return pk_test_run(text, "tso-units.pkt", opt, " --tso");
}

TEST(pktrun_kernel_tso_units_two_segments_at_100ms)
{
	struct pk_result r = run_units(TSO_UNITS_100MS, true);
	ASSERT_KERNEL_PASS(r);
}

TEST(pktrun_kernel_tso_cork_holds_partial_segment)
{
	struct pk_result r = run_units(TSO_CORK_PARTIAL, true);
	ASSERT_KERNEL_PASS(r);
}

TEST(pktrun_tso_units_two_segments_at_100ms)
{
	struct pk_result r = run_units(TSO_UNITS_100MS, false);
	ASSERT_EQ(r.verdict, PK_PASS);
}

TEST(pktrun_tso_cork_holds_partial_segment)
{
	struct pk_result r = run_units(TSO_CORK_PARTIAL, false);
	ASSERT_EQ(r.verdict, PK_PASS);
}
