/* Simulated lifecycle scenarios with two stacks: simultaneous open and
 * close (RFC 9293 figures 8 and 13), refused and timed-out connects, and a
 * reset seen by the peer. */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u

struct pair {
	gt_sim *sim;
	gt_stack *a, *b;
	int ha, hb;
	uint32_t a_states, b_states; /* bit per state visited */
};

static void note_a(void *ctx, const struct gt_trace_event *ev)
{
	if (ev->type == GT_TRACE_STATE)
		((struct pair *)ctx)->a_states |= 1u << ev->b;
}

static void note_b(void *ctx, const struct gt_trace_event *ev)
{
	if (ev->type == GT_TRACE_STATE)
		((struct pair *)ctx)->b_states |= 1u << ev->b;
}

static void pair_setup(struct pair *p, uint64_t delay_us)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	memset(p, 0, sizeof(*p));
	p->sim = gt_sim_new(7);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = delay_us;
	gt_sim_set_default_link(p->sim, &lc);
	p->ha = gt_sim_add_stack(p->sim, &cfg, A_ADDR, 24, 1500, &p->a);
	p->hb = gt_sim_add_stack(p->sim, &cfg, B_ADDR, 24, 1500, &p->b);
	ASSERT_GE(p->ha, 0);
	ASSERT_GE(p->hb, 0);
	gt_stack_set_trace(p->a, note_a, p);
	gt_stack_set_trace(p->b, note_b, p);
}

/* Runs the simulator to t and brings both stacks' clocks there, as an
 * application's event loop does before it calls the socket API. */
static void run_to(struct pair *p, uint64_t t)
{
	gt_sim_run_until(p->sim, t);
	gt_stack_poll(p->a, t);
	gt_stack_poll(p->b, t);
}

static int bound_socket(gt_stack *s, uint16_t port)
{
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(sd, 0);
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = port, .addr = 0};
	ASSERT_EQ(gt_bind(s, sd, &sa), 0);
	return sd;
}

static uint8_t state_of(gt_stack *s, int sd)
{
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len), 0);
	return ti.state;
}

TEST(simultaneous_open_both_pass_syn_received)
{
	struct pair p;
	pair_setup(&p, 10000);
	int sa = bound_socket(p.a, 4000), sb = bound_socket(p.b, 5000);
	struct gt_sockaddr to_b = {.family = GT_AF_INET,
				   .port = 5000,
				   .addr = B_ADDR}, to_a = {.family = GT_AF_INET, .port = 4000, .addr = A_ADDR};
	ASSERT_EQ(gt_connect(p.a, sa, &to_b), -EINPROGRESS);
	ASSERT_EQ(gt_connect(p.b, sb, &to_a), -EINPROGRESS);
	run_to(&p, 100000);
	ASSERT_EQ(state_of(p.a, sa), GT_TCP_ESTABLISHED);
	ASSERT_EQ(state_of(p.b, sb), GT_TCP_ESTABLISHED);
	ASSERT(p.a_states & (1u << GT_TCP_SYN_RECEIVED));
	ASSERT(p.b_states & (1u << GT_TCP_SYN_RECEIVED));
	ASSERT_EQ(gt_send(p.a, sa, "ping", 4, 0), 4);
	run_to(&p, 200000);
	char buf[8];
	ASSERT_EQ(gt_recv(p.b, sb, buf, sizeof(buf), 0), 4);
	ASSERT_MEMEQ(buf, "ping", 4);
	gt_sim_free(p.sim);
}

TEST(simultaneous_close_both_pass_closing_and_hold_time_wait)
{
	struct pair p;
	pair_setup(&p, 10000);
	int l = bound_socket(p.b, 80);
	ASSERT_EQ(gt_listen(p.b, l, 4), 0);
	int c = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(p.a, c, &to_b), -EINPROGRESS);
	run_to(&p, 100000);
	int s = gt_accept(p.b, l, NULL);
	ASSERT_GE(s, 0);
	/* Both close in the same instant: their FINs cross. */
	ASSERT_EQ(gt_close(p.a, c), 0);
	ASSERT_EQ(gt_close(p.b, s), 0);
	run_to(&p, 200000);
	ASSERT(p.a_states & (1u << GT_TCP_CLOSING));
	ASSERT(p.b_states & (1u << GT_TCP_CLOSING));
	struct gt_gauges ga, gb;
	gt_stack_gauges(p.a, &ga);
	gt_stack_gauges(p.b, &gb);
	ASSERT_EQ(ga.timewait, 1);
	ASSERT_EQ(gb.timewait, 1);
	/* 2*MSL after entering TIME_WAIT both are gone: the Linux profile's
	 * 60 s TIME-WAIT sits on level 3 of its timer wheel (cfg.timer_wheel,
	 * tcp_wheel_at()), 512-jiffy buckets, so it ends within 2.048 s past
	 * 2MSL. */
	run_to(&p, 200000 + 60000000 + 2048000);
	gt_stack_gauges(p.a, &ga);
	gt_stack_gauges(p.b, &gb);
	ASSERT_EQ(ga.timewait, 0);
	ASSERT_EQ(gb.timewait, 0);
	gt_sim_free(p.sim);
}

TEST(connect_to_closed_port_is_refused)
{
	struct pair p;
	pair_setup(&p, 1000);
	int c = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 9, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(p.a, c, &to_b), -EINPROGRESS);
	run_to(&p, 10000);
	struct gt_pollfd pf = {c, GT_POLLOUT, 0};
	ASSERT_EQ(gt_poll(p.a, &pf, 1), 1);
	ASSERT(pf.revents & GT_POLLERR);
	int err = 0;
	size_t len = sizeof(err);
	ASSERT_EQ(gt_getsockopt(p.a, c, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len), 0);
	ASSERT_EQ(err, ECONNREFUSED);
	ASSERT_EQ(gt_stack_stats(p.a)->TcpAttemptFails, 1);
	ASSERT_EQ(gt_stack_stats(p.b)->TcpOutRsts, 1);
	gt_sim_free(p.sim);
}

TEST(connect_into_a_partition_times_out_after_syn_retries)
{
	struct pair p;
	pair_setup(&p, 1000);
	struct gt_link_config down;
	gt_link_config_default(&down);
	down.down = true;
	ASSERT_EQ(gt_sim_set_link(p.sim, p.ha, p.hb, &down), 0);
	int c = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(p.a, c, &to_b), -EINPROGRESS);
	/* Linux profile (6.5+: tcp_syn_retries 6, tcp_syn_linear_timeouts 4):
	 * timeouts of 1, 1, 1, 1, 1 s (no backoff while the SYN has timed out
	 * at most 4 times), then 2, 4, 8, 16, 32 and 64 s, the last past both
	 * 6 + 4 retransmissions and tcp_model_timeout(6, 1 s) = 127 s. Each
	 * is armed when the one before fired and fires by Linux's timer wheel
	 * (cfg.timer_wheel, tcp_wheel_at(); jiffies tick 1 ms past each whole
	 * 4 ms at the profile's phase): 1 s (250 jiffies, level 1) comes 256
	 * jiffies on, at 1.021, 2.045, 3.069, 4.093, 5.117 s; then 7.133,
	 * 11.229 (level 2, 64-jiffy buckets), 19.421, 35.549 (level 3, 512),
	 * 68.573 and the timeout at 134.109 s (the live 6.x kernel gives up
	 * after about 133 s). */
	run_to(&p, 134000000);
	ASSERT_EQ(state_of(p.a, c), GT_TCP_SYN_SENT);
	run_to(&p, 134200000);
	ASSERT_EQ(gt_recv(p.a, c, NULL, 0, 0), -ETIMEDOUT);
	ASSERT_EQ(gt_stack_stats(p.a)->TcpTimeouts, 11);
	ASSERT_EQ(gt_stack_stats(p.a)->TcpRetransSegs, 10);
	gt_sim_free(p.sim);
}

TEST(linger_zero_close_resets_peer)
{
	struct pair p;
	pair_setup(&p, 1000);
	int l = bound_socket(p.b, 80);
	ASSERT_EQ(gt_listen(p.b, l, 4), 0);
	int c = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(p.a, c, &to_b), -EINPROGRESS);
	run_to(&p, 10000);
	int s = gt_accept(p.b, l, NULL);
	ASSERT_GE(s, 0);
	struct gt_linger lg = {1, 0};
	ASSERT_EQ(gt_setsockopt(p.a, c, GT_SOL_SOCKET, GT_SO_LINGER, &lg, sizeof(lg)), 0);
	ASSERT_EQ(gt_send(p.a, c, "unsent?", 7, 0), 7);
	ASSERT_EQ(gt_close(p.a, c), 0);
	run_to(&p, 20000);
	char buf[16];
	/* The data sent before close may have arrived; then the reset. */
	ssize_t r = gt_recv(p.b, s, buf, sizeof(buf), 0);
	if (r == 7)
		r = gt_recv(p.b, s, buf, sizeof(buf), 0);
	ASSERT_EQ(r, -ECONNRESET);
	struct gt_gauges ga;
	gt_stack_gauges(p.a, &ga);
	ASSERT_EQ(ga.timewait, 0);
	ASSERT_EQ(ga.conns, 0);
	ASSERT_EQ(gt_stack_stats(p.a)->TcpAbortOnLinger, 1);
	gt_sim_free(p.sim);
}
