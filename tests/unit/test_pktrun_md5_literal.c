/* pktrun's literal MD5 option on an inbound packet (packetdrill's "<md5
 * HEX,nop,nop>": the 16 bytes as written, no secret), and `grep WORD
 * /proc/net/tcp /proc/net/tcp6 | grep ...` (tcp_md5_md5-only-on-client-ack
 * looks for its listener so). A handshake ACK signed where no key is, is
 * dropped (Linux's tcp_inbound_md5_hash(): TCPMD5Unexpected; glasstcp's
 * TcpMd5Unexpected), twice: no connection is established until the plain
 * ACK; the listener stays in /proc/net/tcp, LISTEN (0A) on 8080 (1F90). */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define MD5_HEAD                                                                          \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n"                             \
	"0 `nstat -n`\n"                                                                  \
	"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                  \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"                        \
	"+0 bind(3, ..., ...) = 0\n"                                                      \
	"+0 listen(3, 1) = 0\n"                                                           \
	"+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 10>\n"               \
	"+0 > S. 0:0(0) ack 1 <...>\n"                                                    \
	"+.01 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>\n"  \
	"+.01 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>\n"  \
	"+0 `grep \" 0A \" /proc/net/tcp /proc/net/tcp6 | grep \":1F90\"`\n"             \
	"+0 `nstat -s | grep TcpExtTCPMD5Unexpected | grep -q \" 2 \"`\n"

#define MD5_TAIL                                                                          \
	"+.01 < . 1:1(0) ack 1 win 514\n"                                                 \
	"+0 accept(3, ..., ...) = 4\n"                                                    \
	"+0 `grep -q \" 01 \" /proc/net/tcp`\n"                                           \
	"+.01 write(4, ..., 1000) = 1000\n"                                               \
	"+0 > P. 1:1001(1000) ack 1\n"

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(text, "md5.pkt", opt, "");
}

/* Line 13: no connection is ESTABLISHED (01) before the plain ACK. */
#define MD5_NOT_YET MD5_HEAD "+0 `grep \" 01 \" /proc/net/tcp | grep -q \":1F90\"`\n" MD5_TAIL

TEST(pktrun_md5_literal_digest_and_proc_net_tcp)
{
	struct pk_result r = run(MD5_HEAD MD5_TAIL, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(MD5_NOT_YET, false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 13);
	/* A literal digest is for inbound packets only. */
	r = run(PK_ACCEPTED_HEAD "+0 > P. 1:1(0) ack 1 <md5 000102030405060708090a0b0c0d0e0f>\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
}

TEST(pktrun_kernel_md5_literal_digest_and_proc_net_tcp)
{
	struct pk_result r = run(MD5_HEAD MD5_TAIL, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(MD5_NOT_YET, true);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 13);
}
