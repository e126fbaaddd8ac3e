/* sendto(fd, ..., MSG_FASTOPEN, AF_UNSPEC, ...): the runner passes an
 * address of family AF_UNSPEC, as packetdrill does (the script's sockaddr
 * argument), on both back-ends; Linux's tcp_sendmsg_fastopen() refuses it
 * with EOPNOTSUPP, as the Linux profile's gt_sendto() does. Before, the
 * runner put the script's peer in its place, so the call connected
 * (EINPROGRESS): google/packetdrill fastopen/client/sendto-af-unspec.pkt:9
 * failed on both back-ends. A later plain MSG_FASTOPEN sendto() on the same
 * socket still opens the connection to the script's peer. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define UNSPEC_TEXT                                                                                \
	"0 `sysctl -q net.ipv4.tcp_timestamps=0; sysctl -q net.ipv4.tcp_fastopen=1`\n"             \
	"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                           \
	"+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"                                            \
	"+0 sendto(3, ..., 0, MSG_FASTOPEN, AF_UNSPEC, ...) = -1 EOPNOTSUPP (Operation not supported)\n" \
	"+0 sendto(3, ..., 0, MSG_FASTOPEN, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n" \
	"+0 > S 0:0(0) <...>\n"

static struct pk_result run(bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel,
				 .strict = true};
	return pk_test_run(UNSPEC_TEXT, "unspec.pkt", opt, "");
}

TEST(pktrun_sendto_fastopen_af_unspec)
{
	struct pk_result r = run(false);
	ASSERT_EQ(r.verdict, PK_PASS);
}

TEST(pktrun_kernel_sendto_fastopen_af_unspec)
{
	struct pk_result r = run(true);
	ASSERT_KERNEL_PASS(r);
}
