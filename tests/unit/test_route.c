/* gt_route_set() (a host route's metrics: `ip route add ... mtu advmss
 * initcwnd`) and the Linux MTU probing sysctls (net.ipv4.tcp_mtu_probing
 * and its companions): what each takes and refuses, and the bound on
 * routes held (GT_ROUTES, -ENOSPC). */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

static struct gt_route host_route(uint32_t addr)
{
	struct gt_route r;
	memset(&r, 0, sizeof(r));
	r.dst.family = GT_AF_INET;
	r.dst.addr = addr;
	return r;
}

TEST(route_set_bounds_and_refusals)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	static struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	struct gt_route r = host_route(0xc0000201u);
	r.mtu = 67; /* under IPv4's least */
	ASSERT_EQ(gt_route_set(s, &r), -EINVAL);
	r.mtu = 640;
	r.mtu_lock = true;
	r.advmss = 600;
	r.initcwnd = 11;
	ASSERT_EQ(gt_route_set(s, &r), 0);
	ASSERT_EQ(gt_route_set(s, &r), 0); /* a change takes no new slot */
	r.dst.family = 99;
	ASSERT_EQ(gt_route_set(s, &r), -EINVAL);
	for (uint32_t i = 1; i < GT_ROUTES; i++) {
		struct gt_route o = host_route(0xc0000201u + i);
		ASSERT_EQ(gt_route_set(s, &o), 0);
	}
	struct gt_route full = host_route(0xc0000201u + GT_ROUTES);
	ASSERT_EQ(gt_route_set(s, &full), -ENOSPC);
	struct gt_route v6;
	memset(&v6, 0, sizeof(v6));
	v6.dst.family = GT_AF_INET6;
	v6.dst.addr6.b[0] = 0x20;
	ASSERT_EQ(gt_route_set(s, &v6), -ENOSPC);
	gt_stack_free(s);
}

TEST(mtu_probing_sysctls_linux)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(cfg.mtu_probing_linux);
	ASSERT_EQ(cfg.mtu_probing, 0);
	ASSERT_EQ(cfg.mtu_base_mss, 1024u);
	ASSERT_EQ(cfg.retries1, 3);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_mtu_probing", "2"), 0);
	ASSERT_EQ(cfg.mtu_probing, 2);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_mtu_probing", "3"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_base_mss", "512"), 0);
	ASSERT_EQ(cfg.mtu_base_mss, 512u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_mtu_probe_floor", "47"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_probe_threshold", "16"), 0);
	ASSERT_EQ(cfg.mtu_probe_threshold, 16u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_probe_interval", "30"), 0);
	ASSERT_EQ(cfg.mtu_probe_interval_s, 30u);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_retries1", "5"), 0);
	ASSERT_EQ(cfg.retries1, 5);
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT(!bsd.mtu_probing_linux && !bsd.route_metrics_linux);
	ASSERT(cfg.route_metrics_linux);
}
