/* Flow steering for many cores: the hash is symmetric, and a sharded stack
 * picks only ephemeral ports whose flows hash back to its own shard. */
#include <errno.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

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
		struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
		gt_stack *s = gt_stack_new(&cfg, &dev);
		ASSERT(s != NULL);
		ASSERT_EQ(gt_stack_add_ipv4(s, 0x0a000001, 24), 0);
		for (int i = 0; i < 50; i++) {
			int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
			struct gt_sockaddr to = {.family = GT_AF_INET,
						 .port = 80,
						 .addr = 0x0a000002};
			ASSERT_EQ(gt_connect(s, sd, &to), -EINPROGRESS);
			struct gt_sockaddr me;
			ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
			/* The reply (from the server's side) steers to this shard. */
			ASSERT_EQ(gt_rss_hash(0x0a000002, 80, 0x0a000001, me.port) % 4, shard);
		}
		gt_stack_free(s);
	}
}

TEST(rss_hash6_is_symmetric_spreads_and_matches_ipv4_for_mapped)
{
	uint32_t counts[4] = {0};
	for (uint32_t i = 0; i < 4000; i++) {
		struct gt_in6_addr a = {{0x20, 0x01, 0x0d, 0xb8, [8] = (uint8_t)(i % 7), [15] = 1}};
		struct gt_in6_addr b = {{0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = (uint8_t)(i % 13)}};
		uint16_t pa = (uint16_t)(32768 + i), pb = 443;
		ASSERT_EQ(gt_rss_hash6(&a, pa, &b, pb), gt_rss_hash6(&b, pb, &a, pa));
		counts[gt_rss_hash6(&a, pa, &b, pb) % 4]++;
	}
	for (int k = 0; k < 4; k++) {
		ASSERT_GT(counts[k], 800);
		ASSERT_LT(counts[k], 1200);
	}
	/* The high bytes count: two prefixes, otherwise alike, hash apart. */
	struct gt_in6_addr x = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}}, y = x, z = x;
	y.b[1] = 0x02;
	z.b[15] = 2;
	ASSERT_NE(gt_rss_hash6(&x, 1000, &z, 80), gt_rss_hash6(&y, 1000, &z, 80));
	/* ::ffff:10.0.0.1 steers as 10.0.0.1 does. */
	struct gt_in6_addr m1 = {{[10] = 0xff, [11] = 0xff, 10, 0, 0, 1}};
	struct gt_in6_addr m2 = {{[10] = 0xff, [11] = 0xff, 10, 0, 0, 2}};
	ASSERT_EQ(gt_rss_hash6(&m1, 40000, &m2, 80), gt_rss_hash(0x0a000001, 40000, 0x0a000002, 80));
}
