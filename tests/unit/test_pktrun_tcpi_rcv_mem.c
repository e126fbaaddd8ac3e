/* tcpi_rcv_ssthresh and SK_MEMINFO_RMEM_ALLOC in pktrun's code blocks.
 * The kernel back-end reads Linux's tcp_info (tcp_get_info():
 * tp->rcv_ssthresh, the bound the offered window grows under) and
 * SO_MEMINFO (sk_get_meminfo(): sk_rmem_alloc, the skb memory data held
 * for reading is charged). glasstcp's Linux profile reports its
 * rcv_ssthresh (cfg.rcv_wnd_linux), FreeBSD's none (its tcp_fill_info()
 * has tcpi_rcv_ssthresh unset); neither gives SK_MEMINFO_RMEM_ALLOC. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

static const char rm_script[] =
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic net.ipv4.tcp_rmem=\"4096 131072 6291456\"`\n"
	PK_ACCEPTED_HEAD
	"+0 %{ assert 32768 <= tcpi_rcv_ssthresh <= 65535, tcpi_rcv_ssthresh }%\n"
	"+0 < P. 1:1001(1000) ack 1 win 257\n"
	"+0 > . 1:1(0) ack 1001\n";

static struct pk_result run(const char *tail, enum gt_profile p, bool kernel)
{
	static char text[sizeof(rm_script) + 512];
	snprintf(text, sizeof(text), "%s%s", rm_script, tail);
	struct pk_options opt = {.profile_set = true, .profile = p, .kernel = kernel};
	return pk_test_run(text, "rcv-mem.pkt", opt, "");
}

static const char rmem_tail[] =
	"+0 %{ assert SK_MEMINFO_RMEM_ALLOC >= 1000, SK_MEMINFO_RMEM_ALLOC }%\n"
	"+0 read(4, ..., 1000) = 1000\n"
	"+0 %{ assert SK_MEMINFO_RMEM_ALLOC == 0, SK_MEMINFO_RMEM_ALLOC }%\n";

TEST(pktrun_kernel_tcpi_rcv_ssthresh_and_rmem_alloc)
{
	struct pk_result r = run(rmem_tail, GT_PROFILE_LINUX, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
}

TEST(pktrun_tcpi_rcv_ssthresh_on_the_profiles)
{
	/* The Linux profile's rcv_ssthresh is in range; a false assert on
	 * it fails rather than being unsupported. */
	ASSERT_EQ(run("", GT_PROFILE_LINUX, false).verdict, PK_PASS);
	struct pk_result r = run("+0 %{ assert tcpi_rcv_ssthresh == 1 }%\n", GT_PROFILE_LINUX, false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 13);
	/* No sk_rmem_alloc on glasstcp: unsupported, never passed. */
	r = run(rmem_tail, GT_PROFILE_LINUX, false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 13);
	/* FreeBSD's tcp_fill_info() leaves tcpi_rcv_ssthresh unset. */
	r = run("", GT_PROFILE_FREEBSD, false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 10);
}
