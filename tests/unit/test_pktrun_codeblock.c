/* pktrun's Python code blocks as google/packetdrill's cubic scripts write
 * them: assignments (X = expr, X += expr, -=, *=) whose names later blocks
 * read, as packetdrill runs all of a script's blocks in one Python
 * namespace (TCP_INFINITE_SSTHRESH = 0x7fffffff, then "assert
 * tcpi_snd_ssthresh == TCP_INFINITE_SSTHRESH"; cwnd = 58, then cwnd += 1),
 * + - * // % as Python computes them, and print(), which is output only:
 * never a verdict, even of a name the back-end lacks. The kernel reads the
 * same from its own TCP_INFO. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* fd 4 accepted (lines 1-8), no data: cwnd 10 segments, ssthresh
 * infinite, on both TCPs; the code blocks are line 10 on. */
#define CB_HEAD                                                                         \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n" PK_ACCEPTED_HEAD

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(text, "codeblock.pkt", opt, "");
}

/* The script that passes: "and_ok" is a name assigned first. */
static const char pass_script[] = CB_HEAD
	"+0 %{ and_ok = True }%\n"
	"+0 %{ TCP_INFINITE_SSTHRESH = 0x7fffffff }%\n"
	"+0 %{ assert tcpi_snd_ssthresh == TCP_INFINITE_SSTHRESH, tcpi_snd_ssthresh }%\n"
	"+0 %{ print(tcpi_snd_cwnd); cwnd = 4; cwnd += 2; cwnd *= 3; cwnd -= 8 }%\n"
	"+0 %{ assert tcpi_snd_cwnd == cwnd, tcpi_snd_cwnd }%\n"
	"+0 %{ half = tcpi_snd_cwnd // 2; assert half + half == cwnd; assert -7 // 2 == -4 }%\n"
	"+0 %{ assert -7 % 2 == 1; assert 2 * (3 + 4) - 1 == 13; assert and_ok == 1 }%\n"
	"+0 %{ print(\"cwnd\", cwnd); print(tcpi_rwnd_limited); print (cwnd) }%\n";

TEST(pktrun_code_assignments_and_print)
{
	struct pk_result r = run(pass_script, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* A name keeps its value into later blocks: 11 is not cwnd 10. */
	r = run(CB_HEAD "+0 %{ cwnd = 10 }%\n+0 %{ cwnd += 1 }%\n+0 %{ assert tcpi_snd_cwnd == cwnd }%\n",
		false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
	/* "==" is a comparison, not an assignment: a statement it is not. */
	r = run(CB_HEAD "+0 %{ cwnd == 10 }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* Python's NameError: += before the name is assigned. */
	r = run(CB_HEAD "+0 %{ cwnd += 1 }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* tcpi_ names are packetdrill's, set anew before each block. */
	r = run(CB_HEAD "+0 %{ tcpi_snd_cwnd = 3 }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* A name never assigned, and one the back-end lacks outside print(). */
	r = run(CB_HEAD "+0 %{ assert tcpi_snd_cwnd == cwnd }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	r = run(CB_HEAD "+0 %{ x = tcpi_delivery_rate }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* Python's ZeroDivisionError. */
	r = run(CB_HEAD "+0 %{ x = 0; assert 1 // x == 0 }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* Bounded: 40 names are more than pktrun keeps (PK_CODE_VARS). */
	char many[4096];
	size_t n = (size_t)snprintf(many, sizeof(many), "%s+0 %%{ ", CB_HEAD);
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "v%d = %d; ", i, i);
	snprintf(many + n, sizeof(many) - n, "}%%\n");
	r = run(many, false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
}

TEST(pktrun_kernel_code_assignments_and_print)
{
	struct pk_result r = run(pass_script, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(CB_HEAD "+0 %{ cwnd = 10 }%\n+0 %{ cwnd += 1 }%\n+0 %{ assert tcpi_snd_cwnd == cwnd }%\n",
		true);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
}
