/* While a connect() waits for its SYN, only a SYN is the socket under
 * test's: packetdrill's socket() makes the new socket the one under test
 * (run_syscall_socket()), and find_connect_for_live_packet() claims only
 * its SYN, so an earlier connection's packet sent meanwhile is passed over
 * (sniff_outbound_live_packet()). Here the first connection, closed, gets
 * the peer's FIN that does not ack its own and ACKs it at once (FIN_WAIT_1
 * to CLOSING, Linux's tcp_fin()); fd 4's blocking connect() then sends its
 * SYN. The kernel back-end learns fd 4's port only when that call returns,
 * after the handshake, so before this change it read the old ACK as line
 * 13's SYN (google/packetdrill fastopen/client/fallback-exp-opt.pkt:19);
 * the glasstcp back-end knows the port at once and passed. --strict still
 * judges every packet. A connect() that opens nothing (EALREADY, EISCONN)
 * leaves the rule off: line 17's ACK is fd 4's own. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define OLD_ACK_TEXT                                                                               \
	"0 `sysctl -q net.ipv4.tcp_timestamps=0`\n"                                                \
	"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                           \
	"+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"                                            \
	"+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"                   \
	"+0 > S 0:0(0) <...>\n"                                                                    \
	"+.01 < S. 0:0(0) ack 1 win 5840 <mss 1460>\n"                                             \
	"+0 > . 1:1(0) ack 1\n"                                                                    \
	"+0 close(3) = 0\n"                                                                        \
	"+0 > F. 1:1(0) ack 1\n"                                                                   \
	"+.01 < F. 1:1(0) ack 1 win 5840\n"                                                        \
	"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"                                           \
	"+0...0.030 connect(4, ..., ...) = 0\n"                                                    \
	"+0 > S 0:0(0) <...>\n"                                                                    \
	"+.03 < S. 0:0(0) ack 1 win 5840 <mss 1460>\n"                                             \
	"+0 > . 1:1(0) ack 1\n"                                                                    \
	"+0 connect(4, ..., ...) = -1 EISCONN (Transport endpoint is already connected)\n"         \
	"+.01 < P. 1:11(10) ack 1 win 5840\n"                                                      \
	"+0 > . 1:1(0) ack 11\n"

static struct pk_result run(bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(OLD_ACK_TEXT, "oldack.pkt", opt, "");
}

TEST(pktrun_connect_waits_for_its_syn)
{
	struct pk_result r = run(false);
	ASSERT_EQ(r.verdict, PK_PASS);
}

TEST(pktrun_kernel_connect_waits_for_its_syn)
{
	struct pk_result r = run(true);
	ASSERT_KERNEL_PASS(r);
}
