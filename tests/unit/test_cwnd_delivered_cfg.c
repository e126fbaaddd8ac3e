/* cfg.cwnd_delivered_sack: Linux's tcp_cong_control(sk, ack, delivered)
 * is the Linux profile's; FreeBSD grows cwnd by what cc_ack_received()
 * is told was acknowledged. The behaviour itself is judged by
 * tests/pkt/linux/cwnd-grows-by-delivered-sack-of-two.pkt and
 * cwnd-ack-starting-recovery-grows-nothing.pkt against the kernel. */
#include "harness.h"

#include <glasstcp/glasstcp.h>

TEST(cwnd_delivered_sack_linux_profile_only)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT(c.cwnd_delivered_sack);
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT(!c.cwnd_delivered_sack);
}
