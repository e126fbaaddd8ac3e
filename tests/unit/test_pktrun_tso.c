/* pktrun --tso on both back-ends.
 *
 * The kernel's (pktrun/kernel.c): the kernel runner's TUN as
 * packetdrill's Linux one (netdev.c: IFF_VNET_HDR, TUNSETOFFLOAD with
 * TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN). A 4,000-byte write
 * on a fresh connection (cwnd 10, MSS 1,000, no round trip to speak of) leaves Linux as one skb of 4
 * segments (tcp_cwnd_test()'s half cwnd is 5): with TSO it is read as one
 * GSO packet, its partial checksum finished and checked by the runner, and
 * judged as one segment of 4,000 bytes, PSH set (__tcp_transmit_skb() marks
 * a GSO skb so, and it ends the write); on the TUN without offloads the
 * kernel cuts it in software (skb_gso_segment()) and the first of four
 * 1,000-byte segments, without PSH, meets the line. A script's `ethtool -K
 * tun0 tso off` turns TSO off again, as on packetdrill's TUN. Judged with
 * --strict, so pieces are never joined.
 *
 * glasstcp's (pktrun/run.c): the device pktrun gives the stack advertises
 * TSO (gt_device tso_max_bytes, transmit_gso), so the Linux profile hands
 * it the same burst as one segment of 4,000 bytes; without it, or after
 * the setup's `ethtool -K tun0 tso off`, four MSS segments. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* The handshake's ACK at once: with a round trip of microseconds
 * tcp_tso_autosize() allows 64 KB a packet (at 10 ms, 2 segments). */
#define TSO_BURST \
	PK_ACCEPTED_HEAD_RTT("0") \
	"+0 write(4, ..., 4000) = 4000\n" \
	"+0 > P. 1:4001(4000) ack 1\n" \
	"+.01 < . 1:1(0) ack 4001 win 257\n"

static struct pk_result run_on(const char *text, bool kernel, bool tso)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel,
				 .strict = true, .tso = tso};
	struct pk_result r;
	pk_run_text(text, strlen(text), "tso.pkt", NULL, &opt, &r);
	if (r.verdict != PK_PASS)
		fprintf(stderr, "  %s%s line %d: %s\n", kernel ? "kernel" : "glasstcp", tso ? " --tso" : "",
			r.line, r.why);
	return r;
}

static struct pk_result run_tso(const char *text, bool tso)
{
	return run_on(text, true, tso);
}

TEST(pktrun_kernel_tso_burst_is_one_segment)
{
	struct pk_result r = run_tso(TSO_BURST, true);
	ASSERT_KERNEL_PASS(r);
	/* Without the offloads: four segments, the first without PSH. */
	r = run_tso(TSO_BURST, false);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
	ASSERT(strstr(r.why, "got . 1:1001(1000)") != NULL);
}

/* `ethtool -K tun0 tso off` (run for real in the namespace) takes TSO
 * away again: the burst is four segments, as without --tso. */
TEST(pktrun_kernel_tso_ethtool_tso_off)
{
	const char *text = "`ethtool -K tun0 tso off`\n" TSO_BURST;
	struct pk_result r = run_tso(text, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
	ASSERT(strstr(r.why, "got . 1:1001(1000)") != NULL);
}

/* glasstcp's device with TSO: the Linux profile's burst leaves as one
 * segment of 4,000 bytes, PSH set, as the kernel's GSO skb above. */
TEST(pktrun_tso_burst_is_one_segment)
{
	struct pk_result r = run_on(TSO_BURST, false, true);
	ASSERT_EQ(r.verdict, PK_PASS);
}

/* Without --tso: four MSS segments, the first without PSH. */
TEST(pktrun_tso_off_burst_is_mss_segments)
{
	struct pk_result r = run_on(TSO_BURST, false, false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
	ASSERT(strstr(r.why, "got . 1:1001(1000)") != NULL);
	const char *segs = PK_ACCEPTED_HEAD_RTT("0")
		"+0 write(4, ..., 4000) = 4000\n"
		"+0 > . 1:1001(1000) ack 1\n"
		"+0 > . 1001:2001(1000) ack 1\n"
		"+0 > . 2001:3001(1000) ack 1\n"
		"+0 > P. 3001:4001(1000) ack 1\n"
		"+.01 < . 1:1(0) ack 4001 win 257\n";
	r = run_on(segs, false, false);
	ASSERT_EQ(r.verdict, PK_PASS);
}

/* The setup's `ethtool -K tun0 tso off` takes TSO off glasstcp's device
 * too; the same command once the stack is made is unsupported there. */
TEST(pktrun_tso_ethtool_tso_off)
{
	const char *text = "`ethtool -K tun0 tso off`\n" TSO_BURST;
	struct pk_result r = run_on(text, false, true);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
	ASSERT(strstr(r.why, "got . 1:1001(1000)") != NULL);
	const char *late = TSO_BURST "+0 `ethtool -K tun0 tso off`\n";
	r = run_on(late, false, true);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 12);
}
