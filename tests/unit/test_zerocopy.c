/* Linux's SO_ZEROCOPY and MSG_ZEROCOPY (cfg.zerocopy_linux): the option's
 * values, the flag's absence from the FreeBSD profile, the error queue's
 * errnos, and the bound on sends awaiting their notification
 * (cfg.zerocopy_pending_max, ENOBUFS, TcpZerocopyNoBufs). When and how
 * notifications come is checked against Linux 6.18 by
 * tests/pkt/linux/zerocopy-*.pkt. */
#include <errno.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u

TEST(zerocopy_option_values_and_errqueue_errnos)
{
	gt_stack *s = null_device_stack(GT_PROFILE_LINUX);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	int v = 2;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, sizeof(v)), -EINVAL);
	v = -1;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, sizeof(v)), -EINVAL);
	v = 1;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, 2), -EINVAL);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, sizeof(v)), 0);
	v = 0;
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, &len), 0);
	ASSERT_EQ(v, 1);
	struct gt_errqueue_entry ee;
	ASSERT_EQ(gt_recv_errqueue(s, sd, &ee), -EAGAIN);
	ASSERT_EQ(gt_recv_errqueue(s, sd, NULL), -EFAULT);
	ASSERT_EQ(gt_recv_errqueue(s, sd + 1, &ee), -EBADF);
	/* Nothing to send: the flag asks for nothing (tcp_sendmsg_locked():
	 * "&& size"); unconnected, the error any send has. */
	ASSERT_EQ(gt_send(s, sd, "", 0, GT_MSG_ZEROCOPY), gt_send(s, sd, "", 0, 0));
	ASSERT_EQ(gt_send(s, sd, "x", 1, GT_MSG_ZEROCOPY), -EPIPE);
	ASSERT_EQ(gt_recv_errqueue(s, sd, &ee), -EAGAIN);
	gt_stack_free(s);
}

/* FreeBSD's sosetopt(): no SO_ZEROCOPY (ENOPROTOOPT); the flag is one
 * the profile does not take (EOPNOTSUPP, as any unknown one). */
TEST(zerocopy_freebsd_none)
{
	gt_stack *s = null_device_stack(GT_PROFILE_FREEBSD);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	int v = 1;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, sizeof(v)), -ENOPROTOOPT);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, &len), -ENOPROTOOPT);
	ASSERT_EQ(gt_send(s, sd, "x", 1, GT_MSG_ZEROCOPY), -EOPNOTSUPP);
	gt_stack_free(s);
}

/* Two sends await their notification with zerocopy_pending_max 2: a
 * third is refused with ENOBUFS and counted, until the ACKs come. */
TEST(zerocopy_pending_bound_enobufs)
{
	gt_sim *sim = gt_sim_new(7);
	struct gt_config ca, cb;
	gt_config_default(&ca, GT_PROFILE_LINUX);
	gt_config_default(&cb, GT_PROFILE_LINUX);
	ca.zerocopy_pending_max = 2;
	gt_stack *a, *b;
	int ha = gt_sim_add_stack(sim, &ca, A_ADDR, 24, 1500, &a);
	int hb = gt_sim_add_stack(sim, &cb, B_ADDR, 24, 1500, &b);
	ASSERT(ha >= 0 && hb >= 0);
	int l = gt_socket(b, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any = {.family = GT_AF_INET, .port = 80};
	ASSERT_EQ(gt_bind(b, l, &any), 0);
	ASSERT_EQ(gt_listen(b, l, 4), 0);
	int sd = gt_socket(a, GT_AF_INET, GT_SOCK_STREAM);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(a, sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &one, sizeof(one)), 0);
	ASSERT_EQ(gt_setsockopt(a, sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	struct gt_sockaddr to = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(a, sd, &to), -EINPROGRESS);
	gt_sim_run_until(sim, gt_sim_now(sim) + 100000);
	ASSERT(gt_accept(b, l, NULL) >= 0);

	struct gt_link_config down;
	gt_link_config_default(&down);
	down.down = true;
	ASSERT_EQ(gt_sim_set_link(sim, ha, hb, &down), 0);
	ASSERT_EQ(gt_send(a, sd, "a", 1, GT_MSG_ZEROCOPY), 1);
	ASSERT_EQ(gt_send(a, sd, "b", 1, GT_MSG_ZEROCOPY), 1);
	ASSERT_EQ(gt_send(a, sd, "c", 1, GT_MSG_ZEROCOPY), -ENOBUFS);
	ASSERT_EQ(gt_stack_stats(a)->TcpZerocopyNoBufs, 1u);
	ASSERT_EQ(gt_send(a, sd, "c", 1, 0), 1); /* a plain send still goes */

	struct gt_link_config up;
	gt_link_config_default(&up);
	ASSERT_EQ(gt_sim_set_link(sim, ha, hb, &up), 0);
	gt_sim_run_until(sim, gt_sim_now(sim) + 3000000);
	struct gt_pollfd pf = {.sd = sd, .events = GT_POLLIN};
	ASSERT_EQ(gt_poll(a, &pf, 1), 1);
	ASSERT(pf.revents & GT_POLLERR);
	struct gt_errqueue_entry en;
	ASSERT_EQ(gt_recv_errqueue(a, sd, &en), 0);
	const struct gt_sock_extended_err *e = &en.ee;
	ASSERT_EQ(e->ee_errno, 0u);
	ASSERT_EQ(e->ee_origin, GT_SO_EE_ORIGIN_ZEROCOPY);
	ASSERT_EQ(e->ee_code, GT_SO_EE_CODE_ZEROCOPY_COPIED);
	ASSERT_EQ(e->ee_info, 0u);
	ASSERT_EQ(e->ee_data, 1u);
	ASSERT(!en.ts_valid);
	ASSERT_EQ(gt_recv_errqueue(a, sd, &en), -EAGAIN);
	pf.revents = 0;
	ASSERT_EQ(gt_poll(a, &pf, 1), 0);
	ASSERT_EQ(gt_send(a, sd, "d", 1, GT_MSG_ZEROCOPY), 1); /* id 2 */
	gt_sim_run_until(sim, gt_sim_now(sim) + 1000000);
	ASSERT_EQ(gt_recv_errqueue(a, sd, &en), 0);
	ASSERT_EQ(e->ee_info, 2u);
	ASSERT_EQ(e->ee_data, 2u);
	gt_sim_free(sim);
}
