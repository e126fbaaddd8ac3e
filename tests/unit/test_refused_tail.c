/* A Linux-profile sender whose refused short segment (the device's queue
 * full, -ENOBUFS: pktrun's `tc qdisc ... pfifo limit 0`) must go once the
 * queue frees and an ACK or window update arrives: Linux's tcp_write_xmit()
 * calls tcp_minshall_update() only after a tcp_transmit_skb() that
 * succeeded, so Nagle never waits on a segment that did not leave. The
 * profile set SND.SML for the refused segment and held the tail with
 * nothing in flight and no timer (swarm plan 8 seeds 97300852 and 97301643
 * on h-swarm8's build). The same dialogues, checked against Linux 6.18.44,
 * are tests/pkt/linux/qdisc-full-refused-tail-sent-on-{ack,window-update}.pkt;
 * here on the glasstcp back-end only. */
#include "harness.h"
#include "test_pktrun.h"

#define HEAD \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" \
	"+0 bind(3, ..., ...) = 0\n" \
	"+0 listen(3, 1) = 0\n" \
	"+0 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>\n" \
	"+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 10>\n" \
	"+.1 < . 1:1(0) ack 1 win 257\n" \
	"+0 accept(3, ..., ...) = 4\n"

/* Refused with a full segment in flight (no probe timer: the RTO covers
 * it); the ACK of the segment sends the tail at once. */
TEST(refused_tail_sent_on_the_ack_of_the_flight)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	const char text[] = HEAD
		"+0 write(4, ..., 1460) = 1460\n"
		"+0 > P. 1:1461(1460) ack 1\n"
		"+0 `tc qdisc add dev tun0 root pfifo limit 0`\n"
		"+.01 write(4, ..., 230) = 230\n"
		"+.01 %{ assert tcpi_unacked == 1, tcpi_unacked }%\n"
		"+0 `tc qdisc delete dev tun0 root`\n"
		"+.08 < . 1:1(0) ack 1461 win 257\n"
		"+0 > P. 1461:1691(230) ack 1\n"
		"+.1 < . 1:1(0) ack 1691 win 257\n"
		"+0 %{ assert tcpi_unacked == 0, tcpi_unacked; assert tcpi_probes == 0, tcpi_probes }%\n";
	ASSERT_EQ(pk_test_run(text, "refused-tail-ack.pkt", opt, "").verdict, PK_PASS);
}

/* Refused with nothing in flight (the resource probe timer armed); a data
 * segment with a new window ends the probing (tcp_ack_probe()) and the
 * tail goes with its ACK (tcp_data_snd_check()). */
TEST(refused_tail_sent_on_a_window_update_with_nothing_in_flight)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	const char text[] = HEAD
		"+0 `tc qdisc add dev tun0 root pfifo limit 0`\n"
		"+0 write(4, ..., 1000) = 1000\n"
		"+.05 %{ assert tcpi_probes == 0, tcpi_probes; assert tcpi_unacked == 0, tcpi_unacked }%\n"
		"+0 `tc qdisc delete dev tun0 root`\n"
		"+.05 < P. 1:101(100) ack 1 win 300\n"
		"+0 > P. 1:1001(1000) ack 101\n"
		"+0 %{ assert tcpi_probes == 0, tcpi_probes; assert tcpi_unacked == 1, tcpi_unacked }%\n"
		"+.1 < . 101:101(0) ack 1001 win 257\n"
		"+0 read(4, ..., 100) = 100\n";
	ASSERT_EQ(pk_test_run(text, "refused-tail-window.pkt", opt, "").verdict, PK_PASS);
}
