/* pktrun's nstat(8) lines (the Linux selftests' `nstat -n`, then `nstat
 * [-s] | grep TcpExtX | grep -q " N "`): on glasstcp, answered from the
 * stack's counters where it counts the event Linux's counter of that name
 * counts (pk_gt_nstat_names), UNSUPPORTED for one it does not, never
 * passed; on the kernel, read from the namespace's /proc/net/netstat and
 * /proc/net/snmp as nstat reads them. Deltas from the history that `nstat
 * -n` or a plain `nstat` set, `-s` keeping it; zero counters printed only
 * with -z. TCP_DEFER_ACCEPT's bare handshake ACK is dropped and counted
 * (TCPDeferAcceptDrop: Linux's tcp_check_req()) on both. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define NSTAT_HEAD                                                              \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n"                   \
	"0 `nstat -n`\n"                                                        \
	"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                       \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"             \
	"+0 setsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [5], 4) = 0\n"            \
	"+0 bind(3, ..., ...) = 0\n"                                            \
	"+0 listen(3, 1) = 0\n"                                                 \
	"+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n"                    \
	"+0 > S. 0:0(0) ack 1 <...>\n"                                          \
	"+.01 < . 1:1(0) ack 1 win 257\n"
#define NSTAT_TAIL                                                              \
	"+.01 < P. 1:101(100) ack 1 win 257\n"                                  \
	"+0 accept(3, ..., ...) = 4\n"                                          \
	"+0 > . 1:1(0) ack 101\n"

/* Lines 11-13: -s keeps the history (the same delta twice), a plain
 * nstat sets it (the delta is then 0, printed with -z). */
#define NSTAT_PASS                                                              \
	NSTAT_HEAD                                                              \
	"+0 `nstat -s | grep TcpExtTCPDeferAcceptDrop | grep -q \" 1 \"`\n"     \
	"+0 `nstat | grep -w TcpExtTCPDeferAcceptDrop | grep -q \" 1 \"`\n"     \
	"+0 `nstat -z TcpExtTCPDeferAcceptDrop | grep -q \" 0 \"`\n" NSTAT_TAIL
/* Line 13: the delta is 0, so nstat prints no line to grep. */
#define NSTAT_FAIL                                                              \
	NSTAT_HEAD                                                              \
	"+0 `nstat -s | grep TcpExtTCPDeferAcceptDrop | grep -q \" 1 \"`\n"     \
	"+0 `nstat > /dev/null`\n"                                              \
	"+0 `nstat | grep -q TcpExtTCPDeferAcceptDrop`\n" NSTAT_TAIL

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .strict = true,
				 .kernel = kernel};
	return pk_test_run(text, "nstat.pkt", opt, "");
}

TEST(pktrun_nstat_glasstcp_counters)
{
	struct pk_result r = run(NSTAT_PASS, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(NSTAT_FAIL, false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 13);
	/* A counter glasstcp does not keep under that name: never passed. */
	r = run(NSTAT_HEAD "+0 `nstat -s | grep TcpExtTCPZeroWindowDrop | grep -q \" 0 \"`\n" NSTAT_TAIL,
		false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 11);
	ASSERT(strstr(r.why, "TcpExtTCPZeroWindowDrop") != NULL);
	/* What follows nstat other than grep is not run. */
	r = run(NSTAT_HEAD "+0 `nstat | awk '{print $2}'`\n" NSTAT_TAIL, false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
}

TEST(pktrun_kernel_nstat_reads_the_namespace)
{
	struct pk_result r = run(NSTAT_PASS, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(NSTAT_FAIL, true);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 13);
	/* A name no kernel counter holds. */
	r = run(NSTAT_HEAD "+0 `nstat -s | grep TcpExtNoSuchCounterAtAll`\n" NSTAT_TAIL, true);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT(strstr(r.why, "no such counter") != NULL);
}
