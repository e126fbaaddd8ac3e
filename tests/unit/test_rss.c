/* Flow steering for many cores: the hash is symmetric, and a sharded stack
 * picks only ephemeral ports whose flows hash back to its own shard. */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

static int drop(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	(void)pkt;
	(void)len;
	return 0;
}

TEST(rss_hash_is_symmetric_and_spreads)
{
	uint32_t counts[4] = {0};
	for (uint32_t i = 0; i < 4000; i++) {
		uint32_t a = 0x0a000001 + (i % 7), b = 0x0a000100 + (i % 13);
		uint16_t pa = (uint16_t)(32768 + i), pb = 80;
		ASSERT_EQ(gt_rss_hash(a, pa, b, pb), gt_rss_hash(b, pb, a, pa));
		counts[gt_rss_hash(a, pa, b, pb) % 4]++;
	}
	for (int k = 0; k < 4; k++) {
		ASSERT_GT(counts[k], 800); /* about 1000 each */
		ASSERT_LT(counts[k], 1200);
	}
}

TEST(rss_shard_picks_ports_of_its_own_shard)
{
	for (uint16_t shard = 0; shard < 4; shard++) {
		struct gt_config cfg;
		gt_config_default(&cfg, GT_PROFILE_LINUX);
		cfg.rss_shards = 4;
		cfg.rss_shard = shard;
		struct gt_device dev = {.transmit = drop, .mtu = 1500};
		gt_stack *s = gt_stack_new(&cfg, &dev);
		ASSERT(s != NULL);
		ASSERT_EQ(gt_stack_add_ipv4(s, 0x0a000001, 24), 0);
		for (int i = 0; i < 50; i++) {
			int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
			struct gt_sockaddr to = {.family = GT_AF_INET, .port = 80, .addr = 0x0a000002};
			ASSERT_EQ(gt_connect(s, sd, &to), -EINPROGRESS);
			struct gt_sockaddr me;
			ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
			/* The reply (from the server's side) steers to this shard. */
			ASSERT_EQ(gt_rss_hash(0x0a000002, 80, 0x0a000001, me.port) % 4, shard);
		}
		gt_stack_free(s);
	}
}
