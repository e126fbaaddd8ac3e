/* net.ipv4.tcp_shrink_window (Linux 6.5+): gt_config_sysctl() sets
 * cfg.rcv_wnd_shrink, off by default in both profiles. The kernel's
 * handler is proc_dou8vec_minmax with SYSCTL_ZERO and SYSCTL_ONE: 0 and 1
 * are taken, 2 (and -1, and a word) refused with EINVAL (`sysctl -w
 * net.ipv4.tcp_shrink_window=2` in a fresh namespace on Linux 6.18.44:
 * "Invalid argument"). */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

TEST(sysctl_tcp_shrink_window_range)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT(!c.rcv_wnd_shrink); /* Linux's default, 0 */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_shrink_window", "1"), 0);
	ASSERT(c.rcv_wnd_shrink);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_shrink_window", "2"), -EINVAL);
	ASSERT(c.rcv_wnd_shrink); /* a refused value changes nothing */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_shrink_window", "-1"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_shrink_window", "on"), -EINVAL);
	ASSERT(c.rcv_wnd_shrink);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_shrink_window", "0"), 0);
	ASSERT(!c.rcv_wnd_shrink);

	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT(!c.rcv_wnd_shrink);
}
