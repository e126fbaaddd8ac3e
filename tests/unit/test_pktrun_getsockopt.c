/* getsockopt()'s value and length judged as packetdrill's
 * syscall_getsockopt() judges them, on both back-ends
 * (pk_getsockopt_judge()): the length returned is the script's [N]; a
 * string value is N bytes long and equals the bytes returned; an integer
 * in [V] is the int returned. The kernel runner's namespace starts with
 * CUBIC, Linux's built-in default and the Linux profile's, whatever the
 * host runs. */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define GSO_HEAD "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"

/* Line 2: the default algorithm, unset by the script; lines 3-4 another. */
#define GSO_PASS                                                                \
	GSO_HEAD                                                                \
	"+0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"cubic\", [5]) = 0\n"      \
	"+0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", 4) = 0\n"         \
	"+0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", [4]) = 0\n"       \
	"+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .strict = true,
				 .kernel = kernel};
	return pk_test_run(text, "getsockopt.pkt", opt, "");
}

static void check(bool kernel)
{
	struct pk_result r = run(GSO_PASS, kernel);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* Another string than the one returned. */
	r = run(GSO_HEAD "+0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", [4]) = 0\n", kernel);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 2);
	ASSERT(strstr(r.why, "\"reno\"") != NULL);
	/* A length that is not the string's: the script's error, as in
	 * packetdrill. */
	r = run(GSO_HEAD "+0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"cubic\", [16]) = 0\n", kernel);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 2);
	/* A script's own algorithm wins over the runner's default, on the
	 * kernel too where the namespace refused cubic and the runner set it
	 * per socket (a leftover made every socket cubic: ssthresh 7 where a
	 * reno script wants 5). */
	r = run("0 `sysctl -q net.ipv4.tcp_congestion_control=reno`\n" GSO_HEAD
		"+0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", [4]) = 0\n",
		kernel);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* An int option returns 4 bytes, not the 8 the script says. */
	r = run(GSO_HEAD "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [8]) = 0\n", kernel);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT(strstr(r.why, "optlen") != NULL);
}

TEST(pktrun_getsockopt_string_and_length_judged)
{
	check(false);
}

TEST(pktrun_kernel_getsockopt_string_and_length_judged)
{
	struct pk_result r = run(GSO_HEAD, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	check(true);
}

/* The name and length each profile's kernel copies out (cfg.cc_names_bsd):
 * Linux's "reno" in its 16-byte field, min(optlen, 16) bytes; FreeBSD's
 * "newreno" and its NUL. */
TEST(tcp_congestion_name_and_length_per_profile)
{
	for (int bsd = 0; bsd <= 1; bsd++) {
		struct gt_config cfg;
		gt_config_default(&cfg, bsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
		struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
		gt_stack *s = gt_stack_new(&cfg, &dev);
		ASSERT(s != NULL);
		int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT(sd >= 0);
		ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_CONGESTION, "reno", 4), 0);
		char buf[32];
		memset(buf, 'x', sizeof(buf));
		size_t len = sizeof(buf);
		ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_CONGESTION, buf, &len), 0);
		if (bsd) {
			ASSERT_EQ(len, 8u);
			ASSERT(memcmp(buf, "newreno", 8) == 0);
		} else {
			ASSERT_EQ(len, 16u);
			ASSERT(memcmp(buf, "reno\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
		}
		len = 3;
		ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_CONGESTION, buf, &len), 0);
		ASSERT_EQ(len, 3u);
		ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_CONGESTION, "vegas", 5), -ENOENT);
		gt_stack_free(s);
	}
}
