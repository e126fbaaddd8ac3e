/* pktrun's TCP Fast Open dialect, the Linux selftests' (branch h-tfo):
 * "FO TFO_COOKIE" and "FOEXP" in packets (the cookie ksft_runner.sh names,
 * computed for the run's addresses), TCP_FASTOPEN_KEY's "\xHH" string,
 * "= -1 (Invalid Argument)", TCPI_OPT_SYN_DATA, TCP_<state> names, a
 * grep's "> /dev/null", and an outbound SYN judged against the script's
 * own number ("S. 1234:1234(0)", packetdrill's
 * local_seq_script_to_live_offset()) and the peer's numbers after its SYN
 * counted from it ("S 999000:999010(10)" then ". 11:11(0)",
 * remote_seq_script_to_live_offset()). Each on glasstcp's Linux profile
 * and (pktrun_kernel_*) on Linux. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define TFO_HEAD                                                                                   \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic; sysctl -q net.ipv4.tcp_timestamps=0; "  \
	"sysctl -q net.ipv4.tcp_fastopen=0x3; "                                                    \
	"sysctl -q net.ipv4.tcp_fastopen_key=00000000-00000000-00000000-00000000`\n"               \
	"0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3\n"                              \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"                                 \
	"+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\", 3) = -1 (Invalid Argument)\n"           \
	"+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY,\n"                                            \
	"     \"\\xa1\\xa1\\xa1\\xa1\\xb2\\xb2\\xb2\\xb2\\xc3\\xc3\\xc3\\xc3\\xd4\\xd4\\xd4\\xd4\", 16) = 0\n" \
	"+0 bind(3, ..., ...) = 0\n"                                                               \
	"+0 listen(3, 1) = 0\n"                                                                    \
	"+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN, [1], 4) = 0\n"                                    \
	"+0 `nstat -n`\n"

/* Line 11 asks for the cookie in the experimental form; line 14 (tuple 1)
 * brings it back in IANA's; the child's SYN-ACK (line 15) names its ISN
 * 1234. */
#define TFO_BODY                                                                                   \
	"+0 < S 0:0(0) win 32792 <mss 1460,nop,nop,sackOK,nop,nop,FOEXP>\n"                         \
	"+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,FOEXP TFO_COOKIE>\n"                        \
	"+0 `nstat -s | grep -w TcpExtTCPFastOpenCookieReqd > /dev/null`\n"                         \
	"+.1 < S 999000:999010(10) win 32792 <mss 1460,nop,nop,sackOK,nop,nop,FO TFO_COOKIE> tuple 1\n" \
	"+0 > S. 1234:1234(0) ack 999011 <mss 1460,nop,nop,sackOK> tuple 1\n"                       \
	"+0 accept(3, ..., ...) = 4\n"                                                             \
	"+0 %{ assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options }%\n"                  \
	"+0 %{ assert tcpi_state == TCP_SYN_RECV, tcpi_state }%\n"                                 \
	"+0 read(4, ..., 100) = 10\n"                                                              \
	"+.1 < . 11:11(0) ack 1 win 32792 tuple 1\n"                                                \
	"+0 %{ assert tcpi_state == TCP_ESTABLISHED, tcpi_state }%\n"

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(text, "tfo.pkt", opt, "");
}

/* Line 12: the listener's cookie is not the zero key's. */
#define TFO_WRONG_KEY                                                                              \
	TFO_HEAD "+0 < S 0:0(0) win 32792 <mss 1460,nop,nop,sackOK,nop,nop,FOEXP>\n"               \
	"+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,FOEXP TFO_COOKIE_ZERO>\n"

TEST(pktrun_tfo_dialect)
{
	struct pk_result r = run(TFO_HEAD TFO_BODY, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(TFO_WRONG_KEY, false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
}

TEST(pktrun_kernel_tfo_dialect)
{
	struct pk_result r = run(TFO_HEAD TFO_BODY, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(TFO_WRONG_KEY, true);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
}
