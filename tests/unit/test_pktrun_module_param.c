/* `echo V > /sys/module/tcp_cubic/parameters/NAME`, as google/packetdrill's
 * cubic-hystart-delay-* scripts set hystart_detect. On glasstcp the Linux
 * profile's CUBIC is tcp_cubic.c with its default parameters: hystart and
 * hystart_detect map to cfg.hystart (3: both detectors, on; 0: none, off),
 * the rest are kept where the script asks for the value the stack runs
 * with, and any other value is UNSUPPORTED. On the kernel a module
 * parameter is the host's, shared by every namespace: the runner never
 * writes it, keeps a value the host has already, and is UNSUPPORTED for
 * another, saying what the host has. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define PARAM "/sys/module/tcp_cubic/parameters/"

/* The connection's first round trip is 200 ms; its second round's ACKs
 * come 240 ms after their data, 1 ms apart: nine RTT samples an eighth
 * and more above the least (HyStart's delay detector, hystart_update()
 * with HYSTART_DELAY at 8 samples), so slow start ends at cwnd 36 with
 * HyStart, and goes on without it. */
static void script(char *buf, size_t size, const char *echo, const char *final)
{
	size_t n = (size_t)snprintf(buf, size,
				    "`sysctl -q net.ipv4.tcp_congestion_control=cubic\n%s`\n" PK_ACCEPTED_HEAD_RTT(".2")
				    "+0 setsockopt(4, SOL_SOCKET, SO_SNDBUF, [200000], 4) = 0\n"
				    "+0 write(4, ..., 30000) = 30000\n"
				    "+0 > P. 1:10001(10000) ack 1\n"
				    "+.2 < . 1:1(0) ack 10001 win 257\n"
				    "+0 > P. 10001:30001(20000) ack 1\n",
				    echo);
	for (int k = 0; k < 9; k++)
		n += (size_t)snprintf(buf + n, size - n, "+%s < . 1:1(0) ack %d win 257\n", k ? ".001" : ".24",
				      12001 + 2000 * k);
	snprintf(buf + n, size - n, "+0 %%{ assert %s, tcpi_snd_ssthresh }%%\n", final);
}

static struct pk_result run(const char *echo, const char *final, enum gt_profile p, bool kernel)
{
	char text[4096];
	script(text, sizeof(text), echo, final);
	struct pk_options opt = {.profile_set = true, .profile = p, .kernel = kernel};
	return pk_test_run(text, "module-param.pkt", opt, "");
}

#define SLOW_START "tcpi_snd_ssthresh == 0x7fffffff"

TEST(pktrun_module_param_tcp_cubic)
{
	/* The scenario, without and with the default written. */
	ASSERT_EQ(run("", "tcpi_snd_ssthresh == 36", GT_PROFILE_LINUX, false).verdict, PK_PASS);
	ASSERT_EQ(run("echo 3 > " PARAM "hystart_detect", "tcpi_snd_ssthresh == 36", GT_PROFILE_LINUX, false)
			  .verdict,
		  PK_PASS);
	/* HyStart off, either way: slow start goes on. */
	ASSERT_EQ(run("echo 0 > " PARAM "hystart_detect", SLOW_START, GT_PROFILE_LINUX, false).verdict, PK_PASS);
	ASSERT_EQ(run("echo 0 > " PARAM "hystart", SLOW_START, GT_PROFILE_LINUX, false).verdict, PK_PASS);
	ASSERT_EQ(run("echo 0 > " PARAM "hystart_detect\necho 3 > " PARAM "hystart_detect",
		      "tcpi_snd_ssthresh == 36", GT_PROFILE_LINUX, false)
			  .verdict,
		  PK_PASS);
	/* The values the stack runs with are kept. */
	ASSERT_EQ(run("echo '717' > " PARAM "beta\necho 16 > " PARAM "hystart_low_window\n"
		      "echo 2000 > " PARAM "hystart_ack_delta_us\necho 1 > " PARAM "fast_convergence\n"
		      "echo 1 > " PARAM "tcp_friendliness\necho 0 > " PARAM "initial_ssthresh",
		      "tcpi_snd_ssthresh == 36", GT_PROFILE_LINUX, false)
			  .verdict,
		  PK_PASS);
	/* What glasstcp does not model. */
	ASSERT_EQ(run("echo 1 > " PARAM "hystart_detect", SLOW_START, GT_PROFILE_LINUX, false).verdict,
		  PK_UNSUPPORTED);
	ASSERT_EQ(run("echo 800 > " PARAM "beta", SLOW_START, GT_PROFILE_LINUX, false).verdict, PK_UNSUPPORTED);
	ASSERT_EQ(run("echo 0 > " PARAM "fast_convergence", SLOW_START, GT_PROFILE_LINUX, false).verdict,
		  PK_UNSUPPORTED);
	ASSERT_EQ(run("echo 41 > " PARAM "bic_scale", SLOW_START, GT_PROFILE_LINUX, false).verdict,
		  PK_UNSUPPORTED);
	ASSERT_EQ(run("echo 1 > /sys/module/tcp_bbr/parameters/x", SLOW_START, GT_PROFILE_LINUX, false).verdict,
		  PK_UNSUPPORTED);
	ASSERT_EQ(run("echo 3 > " PARAM "hystart_detect", SLOW_START, GT_PROFILE_FREEBSD, false).verdict,
		  PK_UNSUPPORTED);
}

TEST(pktrun_kernel_module_param_tcp_cubic)
{
	char cur[32] = "";
	FILE *f = fopen(PARAM "hystart_detect", "r");
	if (!f || !fgets(cur, sizeof(cur), f)) {
		if (f)
			fclose(f);
		SKIP("no tcp_cubic hystart_detect here");
	}
	fclose(f);
	if (strcmp(cur, "3\n"))
		SKIP("the host's hystart_detect is %s", cur);
	struct pk_result r = run("echo 3 > " PARAM "hystart_detect", "tcpi_snd_ssthresh == 36", GT_PROFILE_LINUX,
				 true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* Another value would be the whole host's: refused, and not written. */
	r = run("echo 2 > " PARAM "hystart_detect", SLOW_START, GT_PROFILE_LINUX, true);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 1);
	f = fopen(PARAM "hystart_detect", "r");
	ASSERT_NE(f, NULL);
	ASSERT_NE(fgets(cur, sizeof(cur), f), NULL);
	fclose(f);
	ASSERT_EQ(strcmp(cur, "3\n"), 0);
	/* Read-only (0444) even where the value is the host's: echo fails. */
	f = fopen(PARAM "bic_scale", "r");
	if (f && fgets(cur, sizeof(cur), f) && !strcmp(cur, "41\n")) {
		r = run("echo 41 > " PARAM "bic_scale", SLOW_START, GT_PROFILE_LINUX, true);
		ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	}
	if (f)
		fclose(f);
}
