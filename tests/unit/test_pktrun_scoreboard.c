/* tcpi_sacked, tcpi_lost and tcpi_retrans on glasstcp's Linux profile:
 * Linux's tcp_get_info() reports sacked_out, lost_out and retrans_out,
 * which glasstcp reads off its RACK scoreboard's marks
 * (tcp_rack_scoreboard(), in segments). Ten segments out; three SACKed
 * one by one, lowest first (no reordering seen), so at the third RACK
 * (reo_wnd 0 once DupThresh segments are SACKed) marks the seven below
 * the highest SACK lost and recovery resends the first; the ACK of it
 * lets two more go. The kernel gives the same numbers (the kernel twin).
 * Without SACK, Linux counts duplicate ACKs as sacked_out
 * (tcp_add_reno_sack()) and marks only the head lost
 * (tcp_newreno_mark_lost()), which the profile derives (tcp_info.c
 * reno_scoreboard()): 1, 2, then 3 / 1 / 1, and after the ACK of the
 * copy 3 / 1 / 1 again with one segment resent, the same on Linux (the
 * kernel twin); FreeBSD's tcp_fill_info() fills none of the three. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define SB_RACK "net.ipv4.tcp_recovery=1 net.ipv4.tcp_early_retrans=3"

static const char sb_script[] =
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic net.ipv4.tcp_reordering=3 " SB_RACK "`\n"
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"+0 bind(3, ..., ...) = 0\n"
	"+0 listen(3, 1) = 0\n"
	"+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
	"+0 > S. 0:0(0) ack 1 <...>\n"
	"+.02 < . 1:1(0) ack 1 win 320\n"
	"+0 accept(3, ..., ...) = 4\n"
	"+0 %{ assert tcpi_sacked == 0; assert tcpi_lost == 0; assert tcpi_retrans == 0 }%\n"
	"+0 write(4, ..., 10000) = 10000\n"
	"+0 > P. 1:10001(10000) ack 1\n"
	"+0 %{ assert tcpi_sacked == 0; assert tcpi_lost == 0; assert tcpi_retrans == 0 }%\n"
	"+.02 < . 1:1(0) ack 1 win 320 <sack 5001:6001,nop,nop>\n"
	"+0 %{ print(tcpi_sacked, tcpi_lost, tcpi_retrans) }%\n"
	"+0 %{ assert tcpi_sacked == 1; assert tcpi_lost == 0; assert tcpi_retrans == 0 }%\n"
	"+0 < . 1:1(0) ack 1 win 320 <sack 5001:6001 7001:8001,nop,nop>\n"
	"+0 %{ assert tcpi_sacked == 2; assert tcpi_lost == 0; assert tcpi_retrans == 0 }%\n"
	"+0 < . 1:1(0) ack 1 win 320 <sack 5001:6001 7001:8001 9001:10001,nop,nop>\n"
	"+0 > . 1:1001(1000) ack 1\n"
	"+0 %{ assert tcpi_sacked == 3; assert tcpi_lost == 7; assert tcpi_retrans == 1 }%\n"
	"+.02 < . 1:1(0) ack 1001 win 320 <sack 5001:6001 7001:8001 9001:10001,nop,nop>\n"
	"+0 > . 1001:2001(1000) ack 1\n"
	"+0 > . 2001:3001(1000) ack 1\n"
	"+.01 %{ assert tcpi_sacked == 3; assert tcpi_lost == 6; assert tcpi_retrans == 2 }%\n"
;

static struct pk_result run(const char *text, enum gt_profile p, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = p, .kernel = kernel};
	return pk_test_run(text, "scoreboard.pkt", opt, "");
}

/* The script with its line "from" replaced by "to". */
static struct pk_result run_with(const char *from, const char *to, enum gt_profile p)
{
	static char text[sizeof(sb_script) + 256];
	const char *at = strstr(sb_script, from);
	if (!at)
		return (struct pk_result){.verdict = PK_ERROR};
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - sb_script), sb_script, to, at + strlen(from));
	return run(text, p, false);
}

/* The script without SACK and the counts Linux 6.18 gives then. */
static struct pk_result run_reno(bool kernel)
{
	static const char *const edit[][2] = {
		{"sackOK,nop,nop,nop,", ""},
		{"tcpi_lost == 7", "tcpi_lost == 1"},
		{"+0 > . 2001:3001(1000) ack 1\n", ""},
		{"tcpi_lost == 6; assert tcpi_retrans == 2", "tcpi_lost == 1; assert tcpi_retrans == 1"},
	};
	static char one[sizeof(sb_script)], two[sizeof(sb_script)];
	char *in = one, *out = two;
	snprintf(one, sizeof(one), "%s", sb_script);
	for (size_t i = 0; i < sizeof(edit) / sizeof(edit[0]); i++) {
		const char *at = strstr(in, edit[i][0]);
		if (!at)
			return (struct pk_result){.verdict = PK_ERROR};
		snprintf(out, sizeof(one), "%.*s%s%s", (int)(at - in), in, edit[i][1], at + strlen(edit[i][0]));
		char *t = in;
		in = out;
		out = t;
	}
	return run(in, GT_PROFILE_LINUX, kernel);
}

TEST(pktrun_tcpi_sacked_lost_retrans)
{
	ASSERT_EQ(run(sb_script, GT_PROFILE_LINUX, false).verdict, PK_PASS);
	struct pk_result r = run_with("assert tcpi_lost == 7", "assert tcpi_lost == 8", GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 21);
	r = run_with("tcpi_sacked == 2", "tcpi_sacked == 1", GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 18);
	r = run_with("assert tcpi_retrans == 2", "assert tcpi_retrans == 1", GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 25);
	/* No SACK: the duplicates and the head (branch h-reno; UNSUPPORTED
	 * before, at line 13). */
	ASSERT_EQ(run_reno(false).verdict, PK_PASS);
	/* FreeBSD: none of the three. */
	r = run_with("`sysctl -q net.ipv4.tcp_congestion_control=cubic net.ipv4.tcp_reordering=3 " SB_RACK "`",
		     "`sysctl -w net.inet.tcp.sack.enable=1`", GT_PROFILE_FREEBSD);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 10);
	/* tcpi_reord_seen: SACKs in order, no reordering event (as the
	 * kernel says below); 1 is false. FreeBSD has no such field. */
	r = run_with("tcpi_retrans == 2", "tcpi_retrans == 2; assert tcpi_reord_seen == 0", GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run_with("tcpi_retrans == 2", "tcpi_retrans == 2; assert tcpi_reord_seen == 1", GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 25);
}

TEST(pktrun_kernel_tcpi_sacked_lost_retrans)
{
	/* SACKs in order, and the ACK of a retransmission: no reordering
	 * event (tcp_clean_rtx_queue() looks only at segments sent once). */
	static char text[sizeof(sb_script) + 64];
	snprintf(text, sizeof(text), "%s+0 %%{ assert tcpi_reord_seen == 0, tcpi_reord_seen }%%\n", sb_script);
	struct pk_result r = run(text, GT_PROFILE_LINUX, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run_reno(true);
	ASSERT_KERNEL_PASS(r);
}
