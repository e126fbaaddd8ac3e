/* Two glasstcp stacks in the simulator where issue 15 found them
 * misbehaving: timestamps after weeks of idle (RFC 7323 5.5), and memory
 * given back after a peak of connections. */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#include "sim/swarm.h"
#include "tcp/tcp.h"

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u
#define SEC 1000000ull
#define DAY (86400ull * SEC)

struct pair {
	gt_sim *sim;
	gt_stack *a, *b;
	int ha, hb;
};

static void pair_setup(struct pair *p, enum gt_profile prof, uint64_t delay_us)
{
	struct gt_config cfg;
	gt_config_default(&cfg, prof);
	memset(p, 0, sizeof(*p));
	p->sim = gt_sim_new(15);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = delay_us;
	gt_sim_set_default_link(p->sim, &lc);
	p->ha = gt_sim_add_stack(p->sim, &cfg, A_ADDR, 24, 1500, &p->a);
	p->hb = gt_sim_add_stack(p->sim, &cfg, B_ADDR, 24, 1500, &p->b);
	ASSERT_GE(p->ha, 0);
	ASSERT_GE(p->hb, 0);
}

static void run_to(struct pair *p, uint64_t t)
{
	gt_sim_run_until(p->sim, t);
	gt_stack_poll(p->a, t);
	gt_stack_poll(p->b, t);
}

static void tcp_info(gt_stack *s, int sd, struct gt_tcp_info *ti)
{
	size_t len = sizeof(*ti);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INFO, ti, &len), 0);
}

/* a connects to b's listener on port 80; returns a's descriptor, *bs b's. */
static int pair_connect(struct pair *p, int *bs)
{
	int l = gt_socket(p->b, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any80 = {.family = GT_AF_INET, .port = 80, .addr = 0};
	ASSERT_EQ(gt_bind(p->b, l, &any80), 0);
	ASSERT_EQ(gt_listen(p->b, l, 16), 0);
	int c = gt_socket(p->a, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	ASSERT_EQ(gt_connect(p->a, c, &to_b), -EINPROGRESS);
	run_to(p, gt_sim_now(p->sim) + SEC);
	*bs = gt_accept(p->b, l, NULL);
	ASSERT_GE(*bs, 0);
	return c;
}

/* Sends n bytes a -> b, b reading as they come, until all arrived or the
 * clock passes limit_us; returns the bytes b read. */
static size_t transfer(struct pair *p, int as, int bs, size_t n, uint64_t limit_us)
{
	static uint8_t buf[65536];
	size_t sent = 0, got = 0;
	uint64_t t = gt_sim_now(p->sim);
	while (got < n && t < limit_us) {
		if (sent < n) {
			size_t want = n - sent < sizeof(buf) ? n - sent : sizeof(buf);
			ssize_t r = gt_send(p->a, as, buf, want, 0);
			if (r > 0)
				sent += (size_t)r;
		}
		t += 10000;
		run_to(p, t);
		ssize_t r;
		while ((r = gt_recv(p->b, bs, buf, sizeof(buf), 0)) > 0)
			got += (size_t)r;
	}
	return got;
}

/* Issue 15: after 25 days of silence the peer's TSval has moved more than
 * 2^31 ms, so it looks older than TS.Recent. RFC 7323 5.5 lets such a
 * segment through PAWS, and TS.Recent must then be taken from it; the
 * receiver kept the old one and echoed it for ever, the sender timed its
 * segments from that echo: RTT samples of thousands of seconds, an RTO
 * stuck at 120 s (20 KB at 20% loss took 120 s). */
static void count_rtt(void *ctx, const struct gt_trace_event *ev)
{
	if (ev->type == GT_TRACE_RTT)
		(*(uint32_t *)ctx)++;
}

static void idle_then_lossy_transfer(uint64_t idle_us)
{
	struct pair p;
	pair_setup(&p, GT_PROFILE_LINUX, 10000);
	uint32_t samples = 0;
	gt_stack_set_trace(p.a, count_rtt, &samples);
	int bs, as = pair_connect(&p, &bs);
	ASSERT_EQ(transfer(&p, as, bs, 20000, gt_sim_now(p.sim) + 10 * SEC), 20000);
	run_to(&p, gt_sim_now(p.sim) + idle_us);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.loss = 0.2;
	gt_sim_set_link(p.sim, p.ha, p.hb, &lc);
	gt_sim_set_link(p.sim, p.hb, p.ha, &lc);
	uint64_t t0 = gt_sim_now(p.sim);
	samples = 0;
	ASSERT_EQ(transfer(&p, as, bs, 20000, t0 + 300 * SEC), 20000);
	/* The receiver echoes the TSvals it gets again: the sender times
	 * its segments from them. */
	ASSERT_GT(samples, 1);
	struct gt_tcp_info ti;
	tcp_info(p.a, as, &ti);
	/* 20 ms of path: no sample may be seconds long. */
	ASSERT_LT(ti.srtt_us, 1000000);
	ASSERT_LT(ti.rto_us, 3000000);
	ASSERT_LT(gt_sim_now(p.sim) - t0, 30 * SEC);
	gt_sim_free(p.sim);
}

TEST(timestamps_after_25_days_idle_keep_a_sane_rto)
{
	idle_then_lossy_transfer(25 * DAY);
}

TEST(timestamps_after_40_days_idle_keep_a_sane_rto)
{
	idle_then_lossy_transfer(40 * DAY);
}

TEST(timestamps_after_24_days_idle_keep_a_sane_rto)
{
	idle_then_lossy_transfer(24 * DAY + DAY / 2);
}

/* Issue 15: 100k connections opened and closed left the heap 135 MB up
 * for good; the TCB slabs, the 4-tuple hash and the timer heap only ever
 * grew. The peak's memory must go back once the connections have. */

#define PEAK_CONNS 20000

static int accept_all(gt_stack *s, int l, int *sds, int n)
{
	int sd;
	while ((sd = gt_accept(s, l, NULL)) >= 0)
		sds[n++] = sd;
	return n;
}

TEST(memory_given_back_after_a_peak_of_connections)
{
	static int as[PEAK_CONNS], bs[PEAK_CONNS];
	struct pair p;
	pair_setup(&p, GT_PROFILE_LINUX, 1000);
	int l = gt_socket(p.b, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any80 = {.family = GT_AF_INET, .port = 80, .addr = 0};
	ASSERT_EQ(gt_bind(p.b, l, &any80), 0);
	ASSERT_EQ(gt_listen(p.b, l, 1024), 0);
	uint64_t base_a = tcp_table_bytes(p.a), base_b = tcp_table_bytes(p.b);
	int nb = 0;
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	for (int i = 0; i < PEAK_CONNS; i++) {
		as[i] = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT_EQ(gt_connect(p.a, as[i], &to_b), -EINPROGRESS);
		if (i % 500 == 499) {
			run_to(&p, gt_sim_now(p.sim) + 10000);
			nb = accept_all(p.b, l, bs, nb);
		}
	}
	run_to(&p, gt_sim_now(p.sim) + 10000);
	nb = accept_all(p.b, l, bs, nb);
	ASSERT_EQ(nb, PEAK_CONNS);
	struct gt_gauges g;
	gt_stack_gauges(p.a, &g);
	ASSERT_EQ(g.conns, PEAK_CONNS);
	uint64_t peak_a = tcp_table_bytes(p.a), peak_b = tcp_table_bytes(p.b);
	ASSERT_GT(peak_a, base_a + (uint64_t)PEAK_CONNS * sizeof(struct tcp_conn));
	/* Every connection ends: the client closes first (TIME_WAIT keeps
	 * only a compact entry), then the server. */
	for (int i = 0; i < PEAK_CONNS; i++)
		ASSERT_EQ(gt_close(p.a, as[i]), 0);
	run_to(&p, gt_sim_now(p.sim) + 100000);
	for (int i = 0; i < PEAK_CONNS; i++)
		ASSERT_EQ(gt_close(p.b, bs[i]), 0);
	run_to(&p, gt_sim_now(p.sim) + 100000);
	gt_stack_gauges(p.a, &g);
	ASSERT_EQ(g.conns, 0);
	gt_stack_gauges(p.b, &g);
	ASSERT_EQ(g.conns, 0);
	/* One slab (256 TCBs) is kept for what comes next; the rest went. */
	uint64_t slack = 256 * sizeof(struct tcp_conn);
	ASSERT_LE(tcp_table_bytes(p.a), base_a + slack);
	ASSERT_LE(tcp_table_bytes(p.b), base_b + slack);
	ASSERT_GE(gt_stack_stats(p.a)->TcpTableMemFreed, peak_a - base_a - slack);
	ASSERT_GE(gt_stack_stats(p.b)->TcpTableMemFreed, peak_b - base_b - slack);
	/* The table works as before: a new connection, and data through it. */
	int c = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_connect(p.a, c, &to_b), -EINPROGRESS);
	run_to(&p, gt_sim_now(p.sim) + 10000);
	int s = gt_accept(p.b, l, NULL);
	ASSERT_GE(s, 0);
	ASSERT_EQ(transfer(&p, c, s, 100000, gt_sim_now(p.sim) + 10 * SEC), 100000);
	gt_sim_free(p.sim);
}

/* Hysteresis: a load that comes and goes around the same size does not
 * free and allocate slabs at every turn. */
TEST(memory_trim_has_hysteresis)
{
	static int as[2048], bs[2048];
	struct pair p;
	pair_setup(&p, GT_PROFILE_LINUX, 1000);
	int l = gt_socket(p.b, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any80 = {.family = GT_AF_INET, .port = 80, .addr = 0};
	ASSERT_EQ(gt_bind(p.b, l, &any80), 0);
	ASSERT_EQ(gt_listen(p.b, l, 1024), 0);
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 80, .addr = B_ADDR};
	uint64_t freed = 0, bytes = 0;
	for (int round = 0; round < 4; round++) {
		int nb = 0;
		for (int i = 0; i < 2048; i++) {
			as[i] = gt_socket(p.a, GT_AF_INET, GT_SOCK_STREAM);
			ASSERT_EQ(gt_connect(p.a, as[i], &to_b), -EINPROGRESS);
			if (i % 512 == 511) {
				run_to(&p, gt_sim_now(p.sim) + 10000);
				nb = accept_all(p.b, l, bs, nb);
			}
		}
		ASSERT_EQ(nb, 2048);
		/* Down to 1,024 and back up: no trim, no new slab. */
		for (int i = 1024; i < 2048; i++) {
			ASSERT_EQ(gt_close(p.a, as[i]), 0);
			ASSERT_EQ(gt_close(p.b, bs[i]), 0);
		}
		run_to(&p, gt_sim_now(p.sim) + 100000);
		if (round == 0) {
			freed = gt_stack_stats(p.a)->TcpTableMemFreed;
			bytes = tcp_table_bytes(p.a);
		}
		ASSERT_EQ(gt_stack_stats(p.a)->TcpTableMemFreed, freed);
		ASSERT_EQ(tcp_table_bytes(p.a), bytes);
		for (int i = 0; i < 1024; i++) {
			ASSERT_EQ(gt_close(p.a, as[i]), 0);
			ASSERT_EQ(gt_close(p.b, bs[i]), 0);
		}
		run_to(&p, gt_sim_now(p.sim) + 100000);
		/* Empty: the slabs went, bar one. */
		ASSERT_GT(gt_stack_stats(p.a)->TcpTableMemFreed, freed);
		freed = gt_stack_stats(p.a)->TcpTableMemFreed;
		/* TIME_WAIT entries hold the ports; let them expire. */
		run_to(&p, gt_sim_now(p.sim) + 61 * SEC);
	}
	gt_sim_free(p.sim);
}

/* The seeds issue 15 named, and the one its fixes' swarm run found, kept
 * as a guard. With `glasstcp swarm` as committed in 20d329f, 1005739 was
 * an ACK war and 1016702 stuck 600 s after the heal; with the swarm of the
 * working tree just before 0bcf405, 1003486 (a bare ACK at the window's
 * edge) stuck too. The swarm has drawn other networks from the same seeds
 * since, so these no longer replay those failures (the dialogue tests in
 * tests/dialogue/test_robustness.c do); they must stay clean all the
 * same. */
TEST(swarm_issue15_seeds_stay_clean)
{
	static const uint64_t seeds[] = {1000280, 1001525, 1004472, 1005739,
					 1016025, 1016702, 1003486};
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct swarm_result r;
		if (!swarm_run(seeds[i], NULL, &r))
			gt_test_fail(__FILE__, __LINE__, "seed %llu: %s",
				     (unsigned long long)seeds[i], r.why);
	}
}
