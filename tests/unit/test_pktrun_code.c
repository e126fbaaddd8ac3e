/* pktrun's Python code blocks as the Linux selftests write them: chained
 * comparisons (990 <= tcpi_x <= 1010, as Python chains them), '&' and
 * '|' with TCPI_OPT_ names, SK_MEMINFO_RCVBUF (SO_MEMINFO's sk_rcvbuf), a
 * backslash joining lines, and the tcpi_ fields glasstcp now fills
 * (tcpi_bytes_received, tcpi_reordering, tcpi_probes,
 * tcpi_last_data_recv, before data from the handshake's end;
 * tcpi_rwnd_limited, branch h-chrono; tcpi_sndbuf_limited, branch
 * h-tcpinfo); what glasstcp does not know (tcpi_delivery_rate,
 * Linux-only TCPI_OPT_ bits)
 * is UNSUPPORTED, never passed. The kernel reads the same
 * from its own TCP_INFO and SO_MEMINFO. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* fd 4 with a 1,000-byte segment in at 0.01, ACKed, read; 0.5 s later
 * (lines 1-14), then code blocks (line 15 on). */
#define CODE_HEAD                                                     \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic net.ipv4.tcp_reordering=3`\n" \
	PK_ACCEPTED_HEAD                                              \
	"+0 setsockopt(4, SOL_SOCKET, SO_RCVBUF, [20000], 4) = 0\n"   \
	"+0 < P. 1:1001(1000) ack 1 win 257\n"                        \
	"+0 > . 1:1(0) ack 1001\n"                                    \
	"+0 read(4, ..., 1000) = 1000\n"                              \
	"+.5 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"

#define CODE_PASS                                                                      \
	CODE_HEAD                                                                      \
	"+0 %{ assert 450 <= tcpi_last_data_recv <= 550, tcpi_last_data_recv }%\n"     \
	"+0 %{ assert tcpi_bytes_received == 1000, tcpi_bytes_received; \\\n"          \
	"      assert tcpi_reordering == 3; assert tcpi_probes == 0 }%\n"              \
	"+0 %{ assert (tcpi_options & TCPI_OPT_WSCALE) != 0, tcpi_options }%\n"        \
	"+0 %{ assert (tcpi_options & (TCPI_OPT_SACK | TCPI_OPT_TIMESTAMPS)) == 0 }%\n" \
	"+0 %{ assert SK_MEMINFO_RCVBUF == 40000, SK_MEMINFO_RCVBUF }%\n"

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(text, "code.pkt", opt, "");
}

TEST(pktrun_code_chained_and_bitwise_asserts)
{
	struct pk_result r = run(CODE_PASS, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* A chain fails where either comparison does. */
	r = run(CODE_HEAD "+0 %{ assert 0 <= tcpi_last_data_recv <= 400, tcpi_last_data_recv }%\n", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 15);
	r = run(CODE_HEAD "+0 %{ assert (tcpi_options & TCPI_OPT_WSCALE) == 0 }%\n", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	r = run(CODE_HEAD "+0 %{ assert SK_MEMINFO_RCVBUF > 40000, SK_MEMINFO_RCVBUF }%\n", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	/* What glasstcp does not know. */
	r = run(CODE_HEAD "+0 %{ assert tcpi_rwnd_limited == 0 }%\n", false);
	ASSERT_EQ(r.verdict, PK_PASS); /* the Linux profile's chrono (cfg.tcpi_chrono) */
	r = run(CODE_HEAD "+0 %{ assert tcpi_sndbuf_limited == 0 }%\n", false);
	ASSERT_EQ(r.verdict, PK_PASS); /* the same chrono's, since branch h-tcpinfo */
	r = run(CODE_HEAD "+0 %{ assert tcpi_delivery_rate == 0 }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* TCPI_OPT_SYN_DATA is the Linux profile's since branch h-tfo; the
	 * TFO child bit is still the kernel's only. */
	r = run(CODE_HEAD "+0 %{ assert (tcpi_options & TCPI_OPT_TFO_CHILD) == 0 }%\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* Before any data, the time since the handshake's end (Linux's
	 * lrcvtime from tcp_create_openreq_child()): 0 here, not 100. */
	r = run(PK_ACCEPTED_HEAD "+0 %{ assert tcpi_last_data_recv < 100 }%\n", false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(PK_ACCEPTED_HEAD "+0 %{ assert tcpi_last_data_recv >= 100 }%\n", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
}

TEST(pktrun_kernel_code_chained_and_bitwise_asserts)
{
	struct pk_result r = run(CODE_PASS "+0 %{ assert (tcpi_options & TCPI_OPT_SYN_DATA) == 0 }%\n"
					   "+0 %{ assert tcpi_rwnd_limited >= 0; assert tcpi_sndbuf_limited >= 0 }%\n",
				 true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(CODE_HEAD "+0 %{ assert 0 <= tcpi_last_data_recv <= 400, tcpi_last_data_recv }%\n", true);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 15);
}
