/* Send-buffer autotuning (Linux's tcp_sndbuf_expand()): on a path whose
 * bandwidth-delay product (100 Mbit/s x 100 ms = 1.25 MB) is five times
 * the Linux profile's starting send buffer (16 KiB, tcp_wmem[1]), the
 * buffer, not the network, would hold the sender to about 16 KiB per round
 * trip (1.3 Mbit/s). Autotuning grows it to twice cwnd as cwnd grows, measured
 * against the same path with autotuning off, in the same run. */
#include <errno.h>
#include <stdio.h>

#include "harness.h"

#include "bulk.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

struct snd_run {
	double mbit;
	uint64_t grown;
};

static struct snd_run run(bool autotune, uint64_t seed)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.sndbuf_autotune = autotune;
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 50000;
	lc.bandwidth_bps = 100000000ull;
	lc.queue_limit_pkts = 1000;
	struct bulk_result b;
	bulk_run(&cfg, &lc, 4000000, seed, &b);
	return (struct snd_run){b.mbit, b.client.TcpSndBufGrown};
}

TEST(sndbuf_autotune_fills_a_long_fat_path)
{
	struct snd_run fixed = run(false, 41);
	struct snd_run tuned = run(true, 41);
	printf("sndbuf: 100 Mbit/s, 100 ms RTT, 4 s: %.1f Mbit/s autotuned (%llu growths), %.1f fixed at 16 KiB\n",
	       tuned.mbit, (unsigned long long)tuned.grown, fixed.mbit);
	ASSERT_EQ(fixed.grown, 0);
	ASSERT_GT(tuned.grown, 0);
	ASSERT(tuned.mbit > 2 * fixed.mbit);
}

/* SO_SNDBUF locks the size, as Linux's SOCK_SNDBUF_LOCK. */
TEST(sndbuf_autotune_leaves_a_set_so_sndbuf_alone)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(cfg.sndbuf_autotune);
	gt_sim *sim = gt_sim_new(42);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 50000;
	lc.bandwidth_bps = 100000000ull;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	gt_sim_add_stack(sim, &cfg, CLIENT, 24, 1500, &c);
	gt_sim_add_stack(sim, &cfg, SERVER, 24, 1500, &s);
	int lsd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr la = {.family = GT_AF_INET, .port = 80, .addr = 0};
	ASSERT_EQ(gt_bind(s, lsd, &la), 0);
	ASSERT_EQ(gt_listen(s, lsd, 1), 0);
	int sd = gt_socket(c, GT_AF_INET, GT_SOCK_STREAM);
	int v = 100000;
	ASSERT_EQ(gt_setsockopt(c, sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &v, sizeof(v)), 0);
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = 80, .addr = SERVER};
	ASSERT_EQ(gt_connect(c, sd, &sa), -EINPROGRESS);
	static uint8_t buf[65536];
	int ssd = -1;
	for (int i = 0; i < 300; i++) {
		gt_sim_run_until(sim, (uint64_t)(i + 1) * 10000);
		if (ssd < 0)
			ssd = gt_accept(s, lsd, NULL);
		while (gt_send(c, sd, buf, sizeof(buf), 0) > 0)
			;
		while (ssd >= 0 && gt_recv(s, ssd, buf, sizeof(buf), 0) > 0)
			;
	}
	ASSERT_EQ(gt_stack_stats(c)->TcpSndBufGrown, 0);
	int got = 0;
	size_t len = sizeof(got);
	ASSERT_EQ(gt_getsockopt(c, sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &got, &len), 0);
	ASSERT_EQ(got, 200000); /* Linux doubles what it is given */
	gt_sim_free(sim);
}
