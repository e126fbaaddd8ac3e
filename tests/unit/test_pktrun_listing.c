/* pktrun's socket listings: ss(8) (glasstcp's sockets written as ss -n
 * writes them; the kernel's own ss in the namespace) and FreeBSD's
 * sockstat(1), each followed by greps whose status is the command's. A
 * form the runner does not speak stays UNSUPPORTED with its reason; a grep
 * that selects nothing fails the script on both back-ends alike. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* A listener on 8080 (line 5), a request from 192.0.2.1:40000 at line 7;
 * the lines under test follow (line 8 on). */
#define LS_HEAD                                                            \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n"             \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                    \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"         \
	"+0 bind(3, ..., ...) = 0\n"                                       \
	"+0 listen(3, 1) = 0\n"                                            \
	"+.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n" \
	"+0 > S. 0:0(0) ack 1 <...>\n"

static struct pk_result run(const char *text, bool kernel, enum gt_profile prof)
{
	struct pk_options opt = {.profile_set = true, .profile = prof, .kernel = kernel};
	return pk_test_run(text, "listing.pkt", opt, "");
}

static const char ss_pass[] = LS_HEAD
	"+0 `ss -4 -n state SYN-RECV | grep 192.168.0.1:8080 > /dev/null`\n"
	"+0 `ss -4 -n state syn-recv '( sport = :8080 )' | grep -c 192.0.2.1:40000 | grep 1`\n"
	"+0 `ss -4 -tn -l | grep -q 0.0.0.0:8080`\n"
	"+0 `ss -4 -n | grep -c 8080 | grep 0`\n";
/* The request is not listed without SYN-RECV asked: line 8 fails. */
static const char ss_fail[] = LS_HEAD "+0 `ss -4 -n | grep -q 192.168.0.1:8080`\n";

TEST(pktrun_ss_listing)
{
	struct pk_result r = run(ss_pass, false, GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(ss_fail, false, GT_PROFILE_LINUX);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 8);
	/* Forms not run: no -n (ss would name the ports), no family (unix
	 * sockets too), `or` in the filter, a regular expression, another
	 * command after ss, a grep for what the detail flags add. */
	static const char *const unsup[] = {
		"+0 `ss -4 state syn-recv | grep -q 8080`\n",
		"+0 `ss -n state syn-recv | grep -q 8080`\n",
		"+0 `ss -4 -n '( sport = :8080 or dport = :8080 )' | grep -q 8080`\n",
		"+0 `ss -4 -n state syn-recv | grep -q '8080$'`\n",
		"+0 `ss -4 -n state syn-recv | wc -l`\n",
		"+0 `ss -4 -n -i state syn-recv | grep -q cubic`\n",
	};
	for (size_t i = 0; i < sizeof(unsup) / sizeof(unsup[0]); i++) {
		char text[1024];
		snprintf(text, sizeof(text), "%s%s", LS_HEAD, unsup[i]);
		r = run(text, false, GT_PROFILE_LINUX);
		ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
		ASSERT_EQ(r.line, 8);
	}
}

TEST(pktrun_kernel_ss_listing)
{
	struct pk_result r = run(ss_pass, true, GT_PROFILE_LINUX);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(ss_fail, true, GT_PROFILE_LINUX);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 8);
}

/* FreeBSD's sockstat: a listener, counted with -l; "grep 2" of a count of
 * 1 fails (the suite's rcv-rst-listen-*-ipv4 scripts expect 2, which the
 * stack's one listener does not give); -c lists no listener. */
TEST(pktrun_sockstat_freebsd_listing)
{
	struct pk_result r = run(LS_HEAD "+0 `sockstat -4 -P tcp -s -l | grep packetdril | grep -c LISTEN | grep 1`\n"
					 "+0 `sockstat -4 -P tcp -s -c | grep -c LISTEN | grep 0`\n"
					 "+0 `sockstat -6 -P tcp -s -l | grep -c LISTEN | grep 0`\n",
				 false, GT_PROFILE_FREEBSD);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(LS_HEAD "+0 `sockstat -4 -P tcp -s -l | grep packetdril | grep -c LISTEN | grep 2`\n", false,
		GT_PROFILE_FREEBSD);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 8);
	r = run(LS_HEAD "+0 `sockstat -4 -P udp -l | grep -c LISTEN | grep 0`\n", false, GT_PROFILE_FREEBSD);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	r = run(LS_HEAD "+0 `sockstat -4 -j 1 | grep -c LISTEN | grep 0`\n", false, GT_PROFILE_FREEBSD);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
}
