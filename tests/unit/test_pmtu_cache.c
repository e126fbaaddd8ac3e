/* The per-destination path MTU cache (src/ip/ip.c, s->pmtu): Linux's
 * route exceptions (__ip_rt_update_pmtu(): min_pmtu, never raised,
 * mtu_expires from the learning) and FreeBSD's host cache (tcp_hc_update():
 * overwritten, every use renews, freed at the purge run that finds it
 * spent); the bound (GT_PMTU_CACHE, IpPmtuCacheEvicted); the flushes
 * (gt_pmtu_flush(), `ip route flush cache`, net.ipv4.route.flush,
 * net.inet.tcp.hostcache.purgenow) and the sysctls. */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

#include "stack_internal.h"

static gt_stack *stack_of(enum gt_profile p, struct gt_config *cfg)
{
	static struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_config_default(cfg, p);
	return gt_stack_new(cfg, &dev);
}

static ip_addr v6_dst(uint8_t last)
{
	ip_addr a;
	memset(&a, 0, sizeof(a));
	a.b[0] = 0x20;
	a.b[1] = 0x01;
	a.b[15] = last;
	return a;
}

#define SEC 1000000ull

TEST(pmtu_cache_linux_floor_lowers_only_expires_from_learning)
{
	struct gt_config cfg;
	gt_stack *s = stack_of(GT_PROFILE_LINUX, &cfg);
	ASSERT(s != NULL);
	ASSERT_EQ(cfg.pmtu_min, 552u); /* net.ipv4.route.min_pmtu (src/stack.c) */
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.route.min_pmtu", "552"), 0);
	ASSERT_EQ(gt_stack_set_config(s, &cfg), 0);
	ip_addr d = ip_addr_v4(0xc0000201u);
	ASSERT_EQ(ip_mss_for(s, d), 1460);
	ASSERT_EQ(ip_pmtu_update(s, d, 1200), 1200u);
	ASSERT_EQ(ip_mss_for(s, d), 1160);
	ASSERT_EQ(ip_path_mtu(s, d), 1200u);
	/* "if (old_mtu < mtu) return": 1,400 leaves 1,200, and says so. */
	ASSERT_EQ(ip_pmtu_update(s, d, 1400), 1200u);
	ASSERT_EQ(ip_pmtu_get(s, d), 1200u);
	/* Under min_pmtu: 552. */
	ASSERT_EQ(ip_pmtu_update(s, d, 400), 552u);
	ASSERT_EQ(ip_mss_for(s, d), 512);
	/* Reads do not renew: gone 600 s after the learning. */
	s->now_us = 599 * SEC;
	ASSERT_EQ(ip_pmtu_get(s, d), 552u);
	s->now_us = 600 * SEC;
	ASSERT_EQ(ip_pmtu_get(s, d), 0u);
	ASSERT_EQ(ip_mss_for(s, d), 1460);
	/* IPv6 has no min_pmtu here (the ICMPv6 layer keeps 1280). */
	ip_addr d6 = v6_dst(1);
	ASSERT_EQ(ip_pmtu_update(s, d6, 1300), 1300u);
	ASSERT_EQ(ip_mss_for(s, d6), 1240);
	/* A locked route MTU learns nothing (dst_metric_locked()). */
	struct gt_route r;
	memset(&r, 0, sizeof(r));
	r.dst.family = GT_AF_INET;
	r.dst.addr = 0xc0000202u;
	r.mtu = 1400;
	r.mtu_lock = true;
	ASSERT_EQ(gt_route_set(s, &r), 0);
	ASSERT_EQ(ip_pmtu_update(s, ip_addr_v4(0xc0000202u), 1000), 1400u);
	ASSERT_EQ(ip_pmtu_get(s, ip_addr_v4(0xc0000202u)), 0u);
	gt_stack_free(s);
}

TEST(pmtu_cache_bounded_soonest_end_gives_way_counted)
{
	struct gt_config cfg;
	gt_stack *s = stack_of(GT_PROFILE_LINUX, &cfg);
	ASSERT(s != NULL);
	for (uint32_t i = 0; i < GT_PMTU_CACHE; i++) {
		s->now_us = i * SEC;
		ASSERT_EQ(ip_pmtu_update(s, ip_addr_v4(0x0a000001u + i), 1000), 1000u);
	}
	ASSERT_EQ(gt_stack_stats(s)->IpPmtuCacheEvicted, 0u);
	s->now_us = 100 * SEC;
	ASSERT_EQ(ip_pmtu_update(s, ip_addr_v4(0x0a0000ffu), 900), 900u);
	ASSERT_EQ(gt_stack_stats(s)->IpPmtuCacheEvicted, 1u);
	ASSERT_EQ(ip_pmtu_get(s, ip_addr_v4(0x0a000001u)), 0u); /* learnt first: ended soonest */
	ASSERT_EQ(ip_pmtu_get(s, ip_addr_v4(0x0a000002u)), 1000u);
	ASSERT_EQ(ip_pmtu_get(s, ip_addr_v4(0x0a0000ffu)), 900u);
	/* A spent entry is reused without an eviction. */
	s->now_us = 602 * SEC; /* the second (learnt at 1 s) is spent */
	ASSERT_EQ(ip_pmtu_update(s, ip_addr_v4(0x0a0000feu), 900), 900u);
	ASSERT_EQ(gt_stack_stats(s)->IpPmtuCacheEvicted, 1u);
	gt_stack_free(s);
}

TEST(pmtu_cache_freebsd_overwrites_renews_ends_at_purge_run)
{
	struct gt_config cfg;
	gt_stack *s = stack_of(GT_PROFILE_FREEBSD, &cfg);
	ASSERT(s != NULL);
	ASSERT(cfg.pmtu_cache_bsd);
	ASSERT_EQ(cfg.pmtu_expire_s, 3600u);
	ASSERT_EQ(cfg.pmtu_prune_s, 300u);
	ip_addr d = ip_addr_v4(0xc0000201u);
	s->now_us = 10 * SEC;
	ASSERT_EQ(ip_pmtu_update(s, d, 1200), 1200u);
	ASSERT_EQ(ip_pmtu_update(s, d, 1300), 1300u); /* rmx_mtu overwritten */
	ASSERT_EQ(ip_mss_for(s, d), 1260);
	/* Touched at 10 s: runs at 300, 600, ... lower 3600 by 300 each;
	 * the run at 300 + 12 * 300 = 3900 s finds it spent. */
	s->now_us = 3899 * SEC;
	ASSERT_EQ(ip_pmtu_update(s, ip_addr_v4(0xc0000202u), 1000), 1000u);
	s->now_us = 3899 * SEC + 1;
	ASSERT_EQ(ip_pmtu_get(s, ip_addr_v4(0xc0000201u)), 1300u); /* renews: now to 7500 s */
	s->now_us = 7499 * SEC;
	ASSERT_EQ(ip_pmtu_get(s, d), 1300u); /* renews again: to 11100 s */
	s->now_us = 11100 * SEC;
	ASSERT_EQ(ip_pmtu_get(s, d), 0u);
	/* enable 0: nothing read, nothing learnt; the entry stays. */
	ip_addr e = ip_addr_v4(0xc0000203u);
	ASSERT_EQ(ip_pmtu_update(s, e, 1100), 1100u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_FREEBSD, "net.inet.tcp.hostcache.enable", "0"), 0);
	ASSERT_EQ(gt_stack_set_config(s, &cfg), 0);
	ASSERT_EQ(ip_pmtu_get(s, e), 0u);
	ASSERT_EQ(ip_mss_for(s, e), 1460);
	(void)ip_pmtu_update(s, ip_addr_v4(0xc0000204u), 900);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_FREEBSD, "net.inet.tcp.hostcache.enable", "1"), 0);
	ASSERT_EQ(gt_stack_set_config(s, &cfg), 0);
	ASSERT_EQ(ip_pmtu_get(s, e), 1100u);
	ASSERT_EQ(ip_pmtu_get(s, ip_addr_v4(0xc0000204u)), 0u);
	/* purgenow: all go, and the runs start again from now. */
	ASSERT_EQ(ip_pmtu_update(s, v6_dst(2), 1400), 1400u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_FREEBSD, "net.inet.tcp.hostcache.purgenow", "1"), 0);
	ASSERT_EQ(gt_stack_set_config(s, &cfg), 0);
	ASSERT_EQ(ip_pmtu_get(s, e), 0u);
	ASSERT_EQ(ip_pmtu_get(s, v6_dst(2)), 0u);
	ASSERT_EQ(s->pmtu_prune_base_us, 11100 * SEC);
	gt_stack_free(s);
}

TEST(pmtu_cache_flushes_by_family)
{
	struct gt_config cfg;
	gt_stack *s = stack_of(GT_PROFILE_LINUX, &cfg);
	ASSERT(s != NULL);
	ip_addr d4 = ip_addr_v4(0xc0000201u), d6 = v6_dst(1);
	struct gt_sockaddr a4 = {.family = GT_AF_INET, .addr = 0xc0000201u};
	(void)ip_pmtu_update(s, d4, 1200);
	(void)ip_pmtu_update(s, d6, 1300);
	ASSERT_EQ(gt_pmtu_get(s, &a4), 1200u);
	/* `ip route flush cache`: net.ipv4.route.flush, IPv4's only. */
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.route.flush", "-1"), 0);
	ASSERT_EQ(gt_stack_set_config(s, &cfg), 0);
	ASSERT_EQ(gt_pmtu_get(s, &a4), 0u);
	ASSERT_EQ(ip_pmtu_get(s, d6), 1300u);
	/* `ip -6 route flush cache` (gt_route.flush_cache). */
	struct gt_route r;
	memset(&r, 0, sizeof(r));
	r.dst.family = GT_AF_INET6;
	r.flush_cache = true;
	ASSERT_EQ(gt_route_set(s, &r), 0);
	ASSERT_EQ(ip_pmtu_get(s, d6), 0u);
	ASSERT_EQ(s->nroute, 0u); /* no route was made */
	(void)ip_pmtu_update(s, d4, 1200);
	(void)ip_pmtu_update(s, d6, 1300);
	ASSERT_EQ(gt_pmtu_flush(s, 7), -EINVAL);
	ASSERT_EQ(gt_pmtu_flush(s, 0), 2);
	ASSERT_EQ(gt_pmtu_flush(s, GT_AF_INET), 0);
	gt_stack_free(s);
}

TEST(pmtu_cache_sysctls)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(cfg.pmtu_cache && !cfg.pmtu_cache_bsd);
	ASSERT_EQ(cfg.pmtu_min, 552u);
	ASSERT_EQ(cfg.pmtu_expire_s, 600u);
	ASSERT_EQ(cfg.pmtu6_expire_s, 600u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.route.min_pmtu", "67"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.route.min_pmtu", "1000"), 0);
	ASSERT_EQ(cfg.pmtu_min, 1000u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.route.mtu_expires", "30"), 0);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv6.route.mtu_expires", "40"), 0);
	ASSERT_EQ(cfg.pmtu_expire_s, 30u);
	ASSERT_EQ(cfg.pmtu6_expire_s, 40u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.route.mtu_expires", "-1"), -EINVAL);
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_FREEBSD, "net.inet.tcp.hostcache.expire", "120"), 0);
	ASSERT_EQ(cfg.pmtu_expire_s, 120u);
	ASSERT_EQ(cfg.pmtu6_expire_s, 120u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_FREEBSD, "net.inet.tcp.hostcache.prune", "0"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_FREEBSD, "net.inet.tcp.hostcache.prune", "5"), 0);
	ASSERT_EQ(cfg.pmtu_prune_s, 5u);
}
