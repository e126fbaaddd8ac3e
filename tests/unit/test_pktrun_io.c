/* pktrun's system calls as the Linux selftests write them: NULL as the
 * buffer goes to the call as NULL (write/send/sendto/read/recv/recvfrom:
 * EFAULT, tcp_syscall_bad_arg_syscall-invalid-buf-ptr.pkt), lengths up to
 * PK_IO_MAX (1 MiB) run, IP_MTU_DISCOVER and IP_FREEBIND are known names
 * (every PMTU mode runs on both back-ends since the Linux profile has
 * IP_MTU_DISCOVER: tests/unit/test_ip_mtu_discover.c). */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* A listener with the options set before bind (lines 1-4), accepted at
 * fd 4 (lines 5-9). */
#define IO_HEAD(opt)                                                               \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                            \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"                 \
	"+0 setsockopt(3, SOL_IP, IP_FREEBIND, [1], 4) = 0\n"                      \
	"+0 setsockopt(3, SOL_IP, IP_MTU_DISCOVER, [" opt "], 4) = 0\n"            \
	"+0 bind(3, ..., ...) = 0\n"                                               \
	"+0 listen(3, 1) = 0\n"                                                    \
	"+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n"                        \
	"+0 > S. 0:0(0) ack 1 <...>\n"                                             \
	"+.01 < . 1:1(0) ack 1 win 257\n"                                          \
	"+0 accept(3, ..., ...) = 4\n"                                             \
	"+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"

#define IO_BODY                                                                    \
	"+0 write(4, NULL, 1000) = -1 EFAULT (Bad address)\n"                      \
	"+0 send(4, NULL, 1000, 0) = -1 EFAULT (Bad address)\n"                    \
	"+0 sendto(4, NULL, 1000, 0, ..., ...) = -1 EFAULT (Bad address)\n"        \
	"+0 read(4, ..., 100000) = -1 EAGAIN (Resource temporarily unavailable)\n" \
	"+0 < P. 1:2001(2000) ack 1 win 257\n"                                     \
	"+0 > . 1:1(0) ack 2001\n"                                                 \
	"+0 read(4, NULL, 1000) = -1 EFAULT (Bad address)\n"                       \
	"+0 recv(4, NULL, 1000, 0) = -1 EFAULT (Bad address)\n"                    \
	"+0 recvfrom(4, NULL, 1000, 0, ..., ...) = -1 EFAULT (Bad address)\n"      \
	"+0 read(4, ..., 100000) = 2000\n"

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(text, "io.pkt", opt, "");
}

TEST(pktrun_io_null_buffers_big_lengths_ip_options)
{
	struct pk_result r = run(IO_HEAD("IP_PMTUDISC_WANT") IO_BODY, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(IO_HEAD("IP_PMTUDISC_DONT") IO_BODY, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* Past the runner's buffer. */
	r = run(IO_HEAD("IP_PMTUDISC_WANT") "+0 read(4, ..., 2000000) = 2000\n", false);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
}

TEST(pktrun_kernel_io_null_buffers_big_lengths_ip_options)
{
	struct pk_result r = run(IO_HEAD("IP_PMTUDISC_DONT") IO_BODY, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
}
