/* cfg.sack_reordering and cfg.max_reordering_segs: Linux's
 * tcp_check_sack_reordering() is the Linux profile's, not FreeBSD's (which
 * keeps no reordering estimate), and net.ipv4.tcp_max_reordering sets its
 * ceiling (300 by default, tcp_sk_init()). The behaviour itself is judged
 * by tests/pkt/linux/sack-reorder-*.pkt against the kernel. */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

TEST(sack_reordering_linux_profile_only)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT(c.sack_reordering);
	ASSERT_EQ(c.max_reordering_segs, 300u);
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT(!c.sack_reordering);
}

TEST(sack_reordering_max_reordering_sysctl)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_reordering", "5"), 0);
	ASSERT_EQ(c.max_reordering_segs, 5u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_reordering", "0"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_reordering", "x"), -EINVAL);
	ASSERT_EQ(c.max_reordering_segs, 5u);
}
