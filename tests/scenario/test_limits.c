/* Bounded memory: every pool of the stack exhausted in turn -- descriptors
 * (max_sockets), TCBs (max_conns), buffer memory (max_buffer_bytes), the
 * TIME_WAIT table (max_timewait) -- on two simulated stacks. Each limit must
 * refuse new work with its error and counter, never evict silently, and the
 * stack must serve again once the load goes away. Everything is freed with
 * gt_sim_free(), so the ASan build's LeakSanitizer sees no leak. */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define CLI_ADDR 0x0a000001u
#define SRV_ADDR 0x0a000002u
#define PORT 7000

struct lim {
	gt_sim *sim;
	gt_stack *cli, *srv;
	struct gt_config ccfg, scfg;
	int lsd;
};

static void lim_config(struct gt_config *cfg)
{
	gt_config_default(cfg, GT_PROFILE_LINUX);
	cfg->sndbuf_bytes = 8192;
	cfg->rcvbuf_bytes = 8192;
	cfg->syn_retries = 2;
}

/* Two stacks on a 1 ms link; the server listens on PORT (backlog 64). */
static void lim_setup(struct lim *l)
{
	l->sim = gt_sim_new(99);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 1000;
	gt_sim_set_default_link(l->sim, &lc);
	ASSERT_GE(gt_sim_add_stack(l->sim, &l->ccfg, CLI_ADDR, 24, 1500, &l->cli), 0);
	ASSERT_GE(gt_sim_add_stack(l->sim, &l->scfg, SRV_ADDR, 24, 1500, &l->srv), 0);
	l->lsd = gt_socket(l->srv, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(l->lsd, 0);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = PORT, .addr = 0};
	ASSERT_EQ(gt_bind(l->srv, l->lsd, &a), 0);
	ASSERT_EQ(gt_listen(l->srv, l->lsd, 64), 0);
}

static void run_for(struct lim *l, uint64_t us)
{
	uint64_t t = gt_sim_now(l->sim) + us;
	gt_sim_run_until(l->sim, t);
	gt_stack_poll(l->cli, t);
	gt_stack_poll(l->srv, t);
}

static int connect_one(struct lim *l)
{
	int sd = gt_socket(l->cli, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(sd, 0);
	struct gt_sockaddr to = {.family = GT_AF_INET, .port = PORT, .addr = SRV_ADDR};
	int r = gt_connect(l->cli, sd, &to);
	if (r != -EINPROGRESS) {
		gt_close(l->cli, sd);
		return r;
	}
	return sd;
}

static uint8_t state_of(gt_stack *s, int sd)
{
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len), 0);
	return ti.state;
}

static struct gt_gauges gauges(gt_stack *s)
{
	struct gt_gauges g;
	gt_stack_gauges(s, &g);
	return g;
}

/* One connection opened, used both ways and closed by the client. */
static void serves(struct lim *l)
{
	int c = connect_one(l);
	ASSERT_GE(c, 0);
	run_for(l, 100000);
	ASSERT_EQ(state_of(l->cli, c), GT_TCP_ESTABLISHED);
	int s = gt_accept(l->srv, l->lsd, NULL);
	ASSERT_GE(s, 0);
	ASSERT_EQ(gt_send(l->cli, c, "hello", 5, 0), 5);
	run_for(l, 100000);
	char b[8];
	ASSERT_EQ(gt_recv(l->srv, s, b, sizeof(b), 0), 5);
	ASSERT_EQ(gt_close(l->cli, c), 0);
	ASSERT_EQ(gt_close(l->srv, s), 0);
	run_for(l, 100000);
}

TEST(limits_max_sockets_emfile_then_recovers)
{
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	l.scfg.max_sockets = 4; /* the listener and three more */
	lim_setup(&l);
	int sds[3];
	for (int i = 0; i < 3; i++)
		ASSERT_GE(sds[i] = gt_socket(l.srv, GT_AF_INET, GT_SOCK_STREAM), 0);
	ASSERT_EQ(gt_socket(l.srv, GT_AF_INET, GT_SOCK_STREAM), -EMFILE);
	ASSERT_EQ(gauges(l.srv).sockets, 4);
	/* A connection completes, but accept() has no descriptor to give: it
	 * waits in the queue, nothing is dropped. */
	int c = connect_one(&l);
	run_for(&l, 100000);
	ASSERT_EQ(state_of(l.cli, c), GT_TCP_ESTABLISHED);
	ASSERT_EQ(gt_accept(l.srv, l.lsd, NULL), -EMFILE);
	ASSERT_EQ(gauges(l.srv).conns, 1);
	/* A descriptor comes back: accept() succeeds, and the stack serves. */
	ASSERT_EQ(gt_close(l.srv, sds[0]), 0);
	int s = gt_accept(l.srv, l.lsd, NULL);
	ASSERT_GE(s, 0);
	ASSERT_EQ(gt_send(l.cli, c, "x", 1, 0), 1);
	run_for(&l, 100000);
	char b[4];
	ASSERT_EQ(gt_recv(l.srv, s, b, sizeof(b), 0), 1);
	gt_sim_free(l.sim);
}

TEST(limits_max_conns_refuses_then_recovers)
{
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	l.ccfg.max_conns = 8;
	l.scfg.max_conns = 4;
	l.scfg.syncookies = 0; /* refusals show as refusals, not cookies */
	lim_setup(&l);
	/* The client's own limit: the ninth connect() is refused at once. */
	int c[8];
	for (int i = 0; i < 8; i++)
		ASSERT_GE(c[i] = connect_one(&l), 0);
	ASSERT_EQ(connect_one(&l), -ENOBUFS);
	ASSERT_EQ(gt_stack_stats(l.cli)->TcpConnLimit, 1);
	/* The server's: four are served, the other SYNs are dropped and
	 * counted, and their connects time out (syn_retries 2: 1+2+4 s). */
	run_for(&l, 10000000);
	struct gt_gauges g = gauges(l.srv);
	ASSERT_EQ(g.conns, 4);
	ASSERT_LE(g.conns_peak, 4);
	const struct gt_stats *ss = gt_stack_stats(l.srv);
	/* Counted as SYN drops, and in TcpConnLimit: the listener sees the
	 * table full before it asks for a TCB (listen_input). */
	ASSERT_GE(ss->TcpSynDrops, 4);
	int est = 0, failed = 0;
	for (int i = 0; i < 8; i++) {
		int e = -1;
		size_t len = sizeof(e);
		ASSERT_EQ(gt_getsockopt(l.cli, c[i], GT_SOL_SOCKET, GT_SO_ERROR, &e, &len), 0);
		if (e == ETIMEDOUT)
			failed++;
		else if (state_of(l.cli, c[i]) == GT_TCP_ESTABLISHED)
			est++;
	}
	ASSERT_EQ(est, 4);
	ASSERT_EQ(failed, 4);
	/* The load goes away: every connection closes and new ones work. */
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(gt_close(l.cli, c[i]), 0);
	for (int s; (s = gt_accept(l.srv, l.lsd, NULL)) >= 0;)
		ASSERT_EQ(gt_close(l.srv, s), 0);
	run_for(&l, 1000000);
	ASSERT_EQ(gauges(l.srv).conns, 0);
	for (int i = 0; i < 3; i++)
		serves(&l);
	gt_sim_free(l.sim);
}

TEST(limits_max_buffer_bytes_enobufs_then_recovers)
{
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	/* Room for the send buffers of two connections, no more. */
	l.ccfg.max_buffer_bytes = 2 * 8192;
	/* The server's window takes a whole 8192-byte write: half its
	 * buffer is window (Linux's tcp_win_from_space()). */
	l.scfg.rcvbuf_bytes = 2 * 8192;
	lim_setup(&l);
	int c[3], s[3];
	for (int i = 0; i < 3; i++)
		ASSERT_GE(c[i] = connect_one(&l), 0);
	run_for(&l, 100000);
	for (int i = 0; i < 3; i++)
		ASSERT_GE(s[i] = gt_accept(l.srv, l.lsd, NULL), 0);
	/* Idle connections hold no buffer memory. */
	ASSERT_EQ(gauges(l.cli).buffer_bytes, 0);
	static char blob[8192];
	ASSERT_EQ(gt_send(l.cli, c[0], blob, sizeof(blob), 0), 8192);
	ASSERT_EQ(gt_send(l.cli, c[1], blob, sizeof(blob), 0), 8192);
	ASSERT_EQ(gt_send(l.cli, c[2], blob, sizeof(blob), 0), -ENOBUFS);
	ASSERT_EQ(gt_stack_stats(l.cli)->TcpBufLimit, 1);
	ASSERT_LE(gauges(l.cli).buffer_bytes, l.ccfg.max_buffer_bytes);
	/* Data acknowledged: the memory goes back and the third one sends. */
	run_for(&l, 200000);
	char b[8192];
	for (int i = 0; i < 2; i++)
		while (gt_recv(l.srv, s[i], b, sizeof(b), 0) > 0)
			;
	run_for(&l, 200000);
	ASSERT_EQ(gauges(l.cli).buffer_bytes, 0);
	ASSERT_EQ(gt_send(l.cli, c[2], blob, sizeof(blob), 0), 8192);
	run_for(&l, 200000);
	size_t got = 0;
	for (ssize_t n; (n = gt_recv(l.srv, s[2], b, sizeof(b), 0)) > 0;)
		got += (size_t)n;
	ASSERT_EQ(got, 8192);
	/* Received data needs memory too, but the segment that finds the
	 * receive queue empty is taken with none left, past the budget
	 * (TcpBufForced), as Linux's tcp_data_queue() forces one skb into an
	 * empty queue (sk_forced_mem_schedule()): its ACK may be what frees
	 * the memory (swarm seed 15004323). Read, its ring goes back. */
	ASSERT_EQ(gt_send(l.cli, c[0], blob, sizeof(blob), 0), 8192);
	ASSERT_EQ(gt_send(l.cli, c[1], blob, sizeof(blob), 0), 8192);
	ASSERT_EQ(gt_send(l.srv, s[2], "reply", 5, 0), 5);
	run_for(&l, 100000);
	ASSERT_EQ(gt_stack_stats(l.cli)->TcpBufForced, 1);
	ASSERT_EQ(gt_recv(l.cli, c[2], b, sizeof(b), 0), 5);
	for (int i = 0; i < 2; i++)
		while (gt_recv(l.srv, s[i], b, sizeof(b), 0) > 0)
			;
	run_for(&l, 5000000);
	ASSERT_LE(gauges(l.cli).buffer_bytes, l.ccfg.max_buffer_bytes);
	gt_sim_free(l.sim);
}

TEST(limits_setsockopt_buffer_respects_max_buffer_bytes)
{
	/* Growing a buffer that holds data must stay within max_buffer_bytes
	 * like a first allocation. Fails while set_buffer() (socket.c)
	 * resizes a live ring without the check (docs/robustness.md). */
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	l.ccfg.max_buffer_bytes = 16384;
	lim_setup(&l);
	int c = connect_one(&l);
	run_for(&l, 100000);
	static char blob[4096];
	ASSERT_EQ(gt_send(l.cli, c, blob, sizeof(blob), 0), 4096);
	int v = 1 << 20;
	int r = gt_setsockopt(l.cli, c, GT_SOL_SOCKET, GT_SO_SNDBUF, &v, sizeof(v));
	ASSERT(r == 0 || r == -ENOBUFS);
	ASSERT_LE(gauges(l.cli).buffer_bytes, l.ccfg.max_buffer_bytes);
	gt_sim_free(l.sim);
}

TEST(limits_max_timewait_overflow_counted_then_recovers)
{
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	l.ccfg.max_timewait = 2;
	l.ccfg.tw_reuse = false;
	lim_setup(&l);
	/* Five connections closed by the client first: two TIME_WAIT
	 * entries, three overflows, counted; none evicted. */
	for (int i = 0; i < 5; i++)
		serves(&l);
	struct gt_gauges g = gauges(l.cli);
	ASSERT_EQ(g.timewait, 2);
	ASSERT_EQ(g.timewait_peak, 2);
	const struct gt_stats *cs = gt_stack_stats(l.cli);
	ASSERT_EQ(cs->TW, 5);
	ASSERT_EQ(cs->TWOverflow, 3);
	ASSERT_EQ(g.conns, 0);
	/* 2MSL later the table is empty and takes entries again. */
	run_for(&l, 61000000);
	ASSERT_EQ(gauges(l.cli).timewait, 0);
	ASSERT_EQ(cs->TWExpired, 2);
	serves(&l);
	ASSERT_EQ(gauges(l.cli).timewait, 1);
	ASSERT_EQ(cs->TWOverflow, 3);
	gt_sim_free(l.sim);
}

TEST(limits_everything_freed_after_a_busy_run)
{
	/* Many connections at once, closed every way, then the stacks freed
	 * with work still in flight: LeakSanitizer (the ASan build) checks
	 * that gt_sim_free() releases every buffer, TCB and entry. */
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	lim_setup(&l);
	int c[20];
	static char blob[20000];
	for (int i = 0; i < 20; i++)
		ASSERT_GE(c[i] = connect_one(&l), 0);
	run_for(&l, 100000);
	for (int i = 0; i < 20; i++)
		gt_send(l.cli, c[i], blob, sizeof(blob), 0);
	for (int s; (s = gt_accept(l.srv, l.lsd, NULL)) >= 0;)
		if (s % 3 == 0)
			gt_close(l.srv, s); /* unread data: RST */
	for (int i = 0; i < 20; i += 2)
		gt_close(l.cli, c[i]);
	run_for(&l, 50000);
	ASSERT_GT(gauges(l.cli).conns + gauges(l.srv).conns, 0);
	gt_sim_free(l.sim);
}

TEST(limits_buffer_cache_bounded_and_reused)
{
	/* Emptied buffers go to the stack's cache (cfg.buffer_cache_bytes),
	 * not to the connection: an idle connection holds none, the cache
	 * never exceeds its bound, and lowering the bound at run time frees
	 * the excess at once. */
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	l.ccfg.buffer_cache_bytes = 3 * 8192; /* room for three 8 KiB rings */
	l.scfg.buffer_cache_bytes = 0;        /* the server keeps none */
	l.ccfg.buffer_cache_hold_bytes = 0;   /* and nothing above that */
	l.scfg.buffer_cache_hold_bytes = 0;
	lim_setup(&l);
	int c[4], s[4];
	for (int i = 0; i < 4; i++)
		ASSERT_GE(c[i] = connect_one(&l), 0);
	run_for(&l, 100000);
	for (int i = 0; i < 4; i++)
		ASSERT_GE(s[i] = gt_accept(l.srv, l.lsd, NULL), 0);
	ASSERT_EQ(gauges(l.cli).buffer_cache_bytes, 0);
	/* Four requests answered: each client connection fills and empties a
	 * send and a receive ring; eight rings, three kept. */
	char b[64];
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(gt_send(l.cli, c[i], "ping", 4, 0), 4);
	run_for(&l, 100000);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(gt_recv(l.srv, s[i], b, sizeof(b), 0), 4);
		ASSERT_EQ(gt_send(l.srv, s[i], "pong", 4, 0), 4);
	}
	run_for(&l, 100000);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(gt_recv(l.cli, c[i], b, sizeof(b), 0), 4);
	run_for(&l, 100000);
	ASSERT_EQ(gauges(l.cli).buffer_bytes, 0);
	ASSERT_EQ(gauges(l.cli).buffer_cache_bytes, 3 * 8192);
	ASSERT_EQ(gauges(l.srv).buffer_bytes, 0);
	ASSERT_EQ(gauges(l.srv).buffer_cache_bytes, 0);
	/* A ring taken from the cache works as a fresh one: the bytes that
	 * arrive are the bytes sent, not what the cached memory held. */
	ASSERT_EQ(gt_send(l.srv, s[0], "fresh", 5, 0), 5);
	run_for(&l, 100000);
	ASSERT_EQ(gauges(l.cli).buffer_cache_bytes, 2 * 8192);
	ASSERT_EQ(gauges(l.cli).buffer_bytes, 8192);
	ASSERT_EQ(gt_recv(l.cli, c[0], b, sizeof(b), 0), 5);
	ASSERT_EQ(memcmp(b, "fresh", 5), 0);
	/* Lowered at run time: the excess is freed now. */
	struct gt_config cfg = l.ccfg;
	cfg.buffer_cache_bytes = 8192;
	ASSERT_EQ(gt_stack_set_config(l.cli, &cfg), 0);
	ASSERT_EQ(gauges(l.cli).buffer_cache_bytes, 8192);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(gt_close(l.cli, c[i]), 0);
		ASSERT_EQ(gt_close(l.srv, s[i]), 0);
	}
	run_for(&l, 1000000);
	ASSERT_LE(gauges(l.cli).buffer_cache_bytes, 8192);
	gt_sim_free(l.sim);
}

TEST(limits_buffer_cache_holds_a_bulk_ring_then_frees_it)
{
	/* A ring larger than buffer_cache_bytes, emptied by the application,
	 * waits in the cache for buffer_cache_hold_us (the next segment takes
	 * it back instead of a free() and a malloc() of the whole ring), and
	 * is freed when that passes with no use: the stack's deadline names
	 * the moment, the gauge falls to the bound, TcpBufCacheExpired
	 * counts it. */
	struct lim l;
	lim_config(&l.ccfg);
	lim_config(&l.scfg);
	l.ccfg.sndbuf_bytes = 64 * 1024;
	l.scfg.rcvbuf_bytes = 64 * 1024;
	l.scfg.rcvbuf_autotune = false;             /* one ring size */
	l.scfg.buffer_cache_bytes = 8192;           /* smaller than the ring */
	l.scfg.buffer_cache_hold_bytes = 256 * 1024;
	l.scfg.buffer_cache_hold_us = 500000;
	lim_setup(&l);
	int c = connect_one(&l), s;
	ASSERT_GE(c, 0);
	run_for(&l, 100000);
	ASSERT_GE(s = gt_accept(l.srv, l.lsd, NULL), 0);
	static char blob[20000], b[20000];
	uint64_t ring = 0;
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(gt_send(l.cli, c, blob, sizeof(blob), 0), (long)sizeof(blob));
		run_for(&l, 100000);
		ring = gauges(l.srv).buffer_bytes;
		ASSERT_GT(ring, 8192);
		ASSERT_EQ(gt_recv(l.srv, s, b, sizeof(b), 0), (long)sizeof(b));
		/* Emptied: held, not freed, and the connection holds none. */
		ASSERT_EQ(gauges(l.srv).buffer_bytes, 0);
		ASSERT_EQ(gauges(l.srv).buffer_cache_bytes, ring);
	}
	ASSERT_EQ(gt_stack_stats(l.srv)->TcpBufCacheExpired, 0);
	uint64_t now = gt_stack_now(l.srv);
	uint64_t due = gt_stack_next_deadline(l.srv);
	ASSERT_LE(due, now + 500000);
	run_for(&l, 600000);
	ASSERT_EQ(gauges(l.srv).buffer_cache_bytes, 0);
	ASSERT_EQ(gt_stack_stats(l.srv)->TcpBufCacheExpired, 1);
	gt_sim_free(l.sim);
}

TEST(limits_buffer_cache_holds_a_ring_past_the_default_hold)
{
	/* tcp_rmem[2] 32 MiB raises buf_max_bytes, the largest ring, past
	 * the default hold (16 MiB): a ring of 20 MiB emptied by the
	 * application is held all the same, not freed to be allocated
	 * again by the next segment (37,000 times a simulated second in
	 * scenario.reass_big_bdp_overshoot_keeps_every_hole). */
	struct lim l;
	lim_config(&l.ccfg);
	l.ccfg.sndbuf_bytes = 64 * 1024;
	gt_config_default(&l.scfg, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&l.scfg, GT_PROFILE_LINUX, "net.ipv4.tcp_rmem",
				   "4096 20971520 33554432"),
		  0);
	l.scfg.rcvbuf_autotune = false; /* one ring size */
	ASSERT_LT(l.scfg.buffer_cache_hold_bytes, 20u << 20);
	lim_setup(&l);
	int c = connect_one(&l), s;
	ASSERT_GE(c, 0);
	run_for(&l, 100000);
	ASSERT_GE(s = gt_accept(l.srv, l.lsd, NULL), 0);
	static char blob[20000], b[20000];
	for (int round = 0; round < 2; round++) {
		ASSERT_EQ(gt_send(l.cli, c, blob, sizeof(blob), 0), (long)sizeof(blob));
		run_for(&l, 100000);
		uint64_t ring = gauges(l.srv).buffer_bytes;
		ASSERT_GE(ring, 20u << 20);
		ASSERT_EQ(gt_recv(l.srv, s, b, sizeof(b), 0), (long)sizeof(b));
		ASSERT_EQ(gauges(l.srv).buffer_bytes, 0);
		ASSERT_EQ(gauges(l.srv).buffer_cache_bytes, ring);
	}
	run_for(&l, 1100000); /* buffer_cache_hold_us: freed */
	ASSERT_EQ(gauges(l.srv).buffer_cache_bytes, 0);
	ASSERT_EQ(gt_stack_stats(l.srv)->TcpBufCacheExpired, 1);
	gt_sim_free(l.sim);
}
