/* The Linux side struct's head (c->lx) and an idle connection: after the
 * handshake it holds only what the TCB says again (the RTT round of the
 * handshake's one sample, the chrono's rcv_tstamp at the handshake's end),
 * so neither end of a connection that has moved no data keeps one
 * (tcp_lx_shed(), docs/relay.md "Per idle flow, again"); TCP_INFO reads
 * the same values from the TCB, and data makes the head again. */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#include "stack_internal.h"
#include "tcp/tcp.h"

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u

static struct tcp_conn *conn_of(gt_stack *s, int sd)
{
	struct gt_sock *so = sock_get(s, sd);
	ASSERT(so != NULL && so->conn != NULL);
	return so->conn;
}

static void info(gt_stack *s, int sd, struct gt_tcp_info *ti)
{
	size_t len = sizeof(*ti);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INFO, ti, &len), 0);
}

static void idle_then_data(uint32_t mtu)
{
	gt_sim *sim = gt_sim_new(11);
	struct gt_config ca, cb;
	gt_config_default(&ca, GT_PROFILE_LINUX);
	gt_config_default(&cb, GT_PROFILE_LINUX);
	gt_stack *a, *b;
	int ha = gt_sim_add_stack(sim, &ca, A_ADDR, 24, mtu, &a);
	int hb = gt_sim_add_stack(sim, &cb, B_ADDR, 24, mtu, &b);
	ASSERT(ha >= 0 && hb >= 0);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000; /* 20 ms round trips: the handshake's RTT sample */
	ASSERT_EQ(gt_sim_set_link(sim, ha, hb, &lc), 0);
	int l = gt_socket(b, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any = {.family = GT_AF_INET, .port = 80};
	ASSERT_EQ(gt_bind(b, l, &any), 0);
	ASSERT_EQ(gt_listen(b, l, 4), 0);
	int sd = gt_socket(a, GT_AF_INET, GT_SOCK_STREAM);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(a, sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	struct gt_sockaddr to = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(a, sd, &to), -EINPROGRESS);
	gt_sim_run_until(sim, gt_sim_now(sim) + 200000);
	int ad = gt_accept(b, l, NULL);
	ASSERT(ad >= 0);

	/* Idle after the handshake: no head at either end. */
	ASSERT(conn_of(a, sd)->lx == NULL);
	ASSERT(conn_of(b, ad)->lx == NULL);
	ASSERT(conn_of(a, sd)->lx_shed);
	ASSERT(conn_of(b, ad)->lx_shed);
	uint16_t path_a = tcp_mss_path(conn_of(a, sd));
	ASSERT(conn_of(a, sd)->mss < path_a || mtu <= 1500); /* cut: the path is the TCB's */

	/* TCP_INFO as the head gave it: the handshake's ACK about a second
	 * ago (rcv_tstamp, in 4 ms jiffies, the same as lsndtime's),
	 * nothing timed, Linux's mdev / 4. */
	gt_sim_run_until(sim, gt_sim_now(sim) + 1000000);
	struct gt_tcp_info ti;
	info(b, ad, &ti);
	ASSERT(ti.chrono_ok);
	ASSERT(ti.last_ack_recv_ms >= 900 && ti.last_ack_recv_ms <= 1200);
	ASSERT_EQ(ti.last_ack_recv_ms, ti.last_data_sent_ms);
	ASSERT_EQ(ti.busy_time_us, 0u);
	ASSERT(ti.srtt_us > 0);
	ASSERT_EQ(ti.rttvar_us, conn_of(b, ad)->rttvar_us >> 2);
	info(a, sd, &ti);
	ASSERT(ti.last_ack_recv_ms >= 900 && ti.last_ack_recv_ms <= 1200);
	ASSERT_EQ(ti.busy_time_us, 0u);
	ASSERT_EQ(ti.rttvar_us, conn_of(a, sd)->rttvar_us >> 2);
	ASSERT(conn_of(b, ad)->lx == NULL); /* reading TCP_INFO makes none */

	/* A byte each way: the chrono's totals need the head, which stays. */
	ASSERT_EQ(gt_send(a, sd, "x", 1, 0), 1);
	gt_sim_run_until(sim, gt_sim_now(sim) + 100000);
	char c;
	ASSERT_EQ(gt_recv(b, ad, &c, 1, 0), 1);
	ASSERT_EQ(gt_send(b, ad, &c, 1, 0), 1);
	gt_sim_run_until(sim, gt_sim_now(sim) + 300000);
	ASSERT_EQ(gt_recv(a, sd, &c, 1, 0), 1);
	ASSERT(conn_of(a, sd)->lx != NULL);
	ASSERT(conn_of(b, ad)->lx != NULL);
	/* The head made again has the path's MSS the TCB gave while idle. */
	ASSERT_EQ(tcp_mss_path(conn_of(a, sd)), path_a);
	ASSERT(!conn_of(b, ad)->lx_shed);
	info(b, ad, &ti);
	ASSERT(ti.busy_time_us > 0);
	ASSERT(ti.last_ack_recv_ms < 1000);
	gt_sim_free(sim);
}

TEST(lx_head_not_held_by_an_idle_connection_until_data)
{
	idle_then_data(1500);
}

/* A relay's 65,520-byte MTU: the MSS is cut to half the peer's window
 * (cfg.mss_half_wnd) and the path's MSS, kept in the head, comes from the
 * TCB while the head is away. */
TEST(lx_head_not_held_by_an_idle_connection_with_its_mss_cut)
{
	idle_then_data(65520);
}
