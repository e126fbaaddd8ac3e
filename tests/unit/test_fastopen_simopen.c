/* A simultaneous open whose SYN carried TCP Fast Open data, on the Linux
 * profile as Linux 6.18 does it (docs/fastopen.md): the crossing SYN takes
 * tcp_rcv_synsent_state_process() to SYN_RECV, answered with a SYN-ACK
 * without data or Fast Open option that acknowledges the peer's SYN alone
 * (its data discarded), our SYN's data in flight behind it
 * (TcpFastOpenSimOpen). The peer's own SYN-ACK to our SYN, at its IRS and
 * acknowledging SND.NXT, passes tcp_validate_incoming() (no RFC 5961
 * challenge), ends the handshake and is D-SACKed as a duplicate of the SYN
 * at once (tcp_data_queue()): google/packetdrill's client script
 * simultaneous-fast-open.pkt as Linux 6.18 runs it (the script fails there
 * at the D-SACK, being older than the kernel's SYN-ACK pass); this one,
 * its two answers written in, passes 3 of 3 under `glasstcp pktrun
 * --kernel --strict` (7 Dec 2026). Until session 32 the profile dropped the
 * crossing SYN (TcpFastOpenSimOpenDropped, now the FreeBSD profile's
 * alone), and this test asserted that; before session 27 its SYN_RECEIVED
 * broke the invariant (SND.UNA past ISS, data queued; swarm seed 96326400's
 * blind SYN, h-swarmtfo). */
#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "test_pktrun.h"

static const char simopen_script[] =
	"`sysctl -q net.ipv4.tcp_rmem=\"4096 131072 6291456\"; sysctl -q net.ipv4.tcp_timestamps=0`\n"
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	"+0 sendto(3, ..., 0, MSG_FASTOPEN, ..., ...) = -1 EINPROGRESS (Operation is now in progress)\n"
	"+0 > S 0:0(0) <mss 1460,nop,nop,sackOK,nop,wscale 7,FO,nop,nop>\n"
	"+.01 < S. 123:123(0) ack 1 win 14600 <mss 1460,nop,nop,sackOK,nop,wscale 6,FO abcd1234,nop,nop>\n"
	"+0 > . 1:1(0) ack 1\n"
	"+.01 close(3) = 0\n"
	"+0 > F. 1:1(0) ack 1\n"
	"+.01 < F. 1:1(0) ack 2 win 92\n"
	"+0 > . 2:2(0) ack 2\n"
	"+.01 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
	"+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	"+0 sendto(4, ..., 1000, MSG_FASTOPEN, ..., ...) = 1000\n"
	"+0 > S 0:1000(1000) <mss 1460,nop,nop,sackOK,nop,wscale 7,FO abcd1234,nop,nop>\n"
	"+.005 < S 1234:1734(500) win 14600 <mss 1040,nop,nop,sackOK,nop,wscale 6,FO 87654321,nop,nop>\n"
	"+0 > S. 0:0(0) ack 1235 <mss 1460,nop,nop,sackOK,nop,wscale 7>\n"
	"+0 %{ assert tcpi_state == TCPI_SYN_RECV }%\n"
	"+.045 < S. 1234:1234(0) ack 1001 win 14600 <mss 940,nop,nop,sackOK,nop,wscale 6>\n"
	"+0 > . 1001:1001(0) ack 1 <nop,nop,sack 0:1>\n"
	"+0 %{ assert tcpi_state == TCPI_ESTABLISHED }%\n"
	"+.1 < P. 1:501(500) ack 1001 win 257\n"
	"+0 > . 1001:1001(0) ack 501\n"
	"+0 read(4, ..., 4096) = 500\n"
	"+0 close(4) = 0\n"
	"+0 > F. 1001:1001(0) ack 501\n"
;

TEST(fastopen_simultaneous_open_synack_then_peer_synack_opens)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .strict = true};
	struct pk_result r = pk_test_run(simopen_script, "fastopen-simopen.pkt", opt, "");
	ASSERT_EQ(r.verdict, PK_PASS);
}
