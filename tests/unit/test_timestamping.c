/* Linux's SO_TIMESTAMPING for what a socket sends
 * (cfg.tx_timestamping_linux): the flags sock_set_timestamping() takes,
 * the FreeBSD profile's ENOPROTOOPT, and the error queue's bound (32
 * entries, a stamp past it dropped and counted TcpErrqueueDrops). When
 * stamps come and what they carry is checked against Linux 6.18 by
 * tests/pkt/linux/timestamping-*.pkt. */
#include <errno.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u

static int set_ts(gt_stack *s, int sd, int v)
{
	return gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_TIMESTAMPING, &v, sizeof(v));
}

TEST(timestamping_flags_refused_as_linux)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(set_ts(s, sd, 1 << 20), -EINVAL);
	ASSERT_EQ(set_ts(s, sd, GT_SOF_TIMESTAMPING_OPT_ID_TCP), -EINVAL);
	/* OPT_ID on a TCP socket in TCP_CLOSE. */
	ASSERT_EQ(set_ts(s, sd, GT_SOF_TIMESTAMPING_OPT_ID | GT_SOF_TIMESTAMPING_TX_ACK), -EINVAL);
	int v = GT_SOF_TIMESTAMPING_TX_ACK | GT_SOF_TIMESTAMPING_SOFTWARE;
	ASSERT_EQ(set_ts(s, sd, v), 0);
	int got = 0;
	size_t len = sizeof(got);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_TIMESTAMPING, &got, &len), 0);
	ASSERT_EQ(got, v);
	gt_stack_free(s);

	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	s = gt_stack_new(&cfg, &dev);
	sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(set_ts(s, sd, GT_SOF_TIMESTAMPING_TX_ACK), -ENOPROTOOPT);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_TIMESTAMPING, &got, &len), -ENOPROTOOPT);
	gt_stack_free(s);
}

/* Forty writes sent and never acknowledged: 32 SND stamps queued, 8
 * dropped and counted; the queue read in order, keys from OPT_ID's base.
 * The route's initcwnd (64) lets all forty one-byte segments out: the
 * Linux profile counts each as a packet, as Linux does, so the default
 * initial window (10) would send ten. */
TEST(timestamping_errqueue_bounded)
{
	gt_sim *sim = gt_sim_new(11);
	struct gt_config ca, cb;
	gt_config_default(&ca, GT_PROFILE_LINUX);
	gt_config_default(&cb, GT_PROFILE_LINUX);
	gt_stack *a, *b;
	int ha = gt_sim_add_stack(sim, &ca, A_ADDR, 24, 1500, &a);
	int hb = gt_sim_add_stack(sim, &cb, B_ADDR, 24, 1500, &b);
	int l = gt_socket(b, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any = {.family = GT_AF_INET, .port = 80};
	ASSERT_EQ(gt_bind(b, l, &any), 0);
	ASSERT_EQ(gt_listen(b, l, 4), 0);
	int sd = gt_socket(a, GT_AF_INET, GT_SOCK_STREAM);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(a, sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	struct gt_sockaddr to = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	struct gt_route rt = {.dst = to, .initcwnd = 64};
	ASSERT_EQ(gt_route_set(a, &rt), 0);
	ASSERT_EQ(gt_connect(a, sd, &to), -EINPROGRESS);
	gt_sim_run_until(sim, gt_sim_now(sim) + 100000);
	ASSERT_EQ(set_ts(a, sd, GT_SOF_TIMESTAMPING_TX_SOFTWARE | GT_SOF_TIMESTAMPING_OPT_ID |
				  GT_SOF_TIMESTAMPING_OPT_TSONLY), 0);
	struct gt_link_config down;
	gt_link_config_default(&down);
	down.down = true;
	ASSERT_EQ(gt_sim_set_link(sim, ha, hb, &down), 0);
	for (int i = 0; i < 40; i++)
		ASSERT_EQ(gt_send(a, sd, "x", 1, 0), 1);
	ASSERT_EQ(gt_stack_stats(a)->TcpErrqueueDrops, 8u);
	struct gt_errqueue_entry en;
	for (uint32_t i = 0; i < 32; i++) {
		ASSERT_EQ(gt_recv_errqueue(a, sd, &en), 0);
		ASSERT_EQ(en.ee.ee_errno, (uint32_t)ENOMSG);
		ASSERT_EQ(en.ee.ee_origin, GT_SO_EE_ORIGIN_TIMESTAMPING);
		ASSERT_EQ(en.ee.ee_info, (uint32_t)GT_SCM_TSTAMP_SND);
		ASSERT_EQ(en.ee.ee_data, i);
		ASSERT(!en.ts_valid);   /* no SOF_TIMESTAMPING_SOFTWARE */
		ASSERT(!en.has_payload); /* OPT_TSONLY */
	}
	ASSERT_EQ(gt_recv_errqueue(a, sd, &en), -EAGAIN);
	gt_sim_free(sim);
}
