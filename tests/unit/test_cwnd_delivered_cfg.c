/* cfg.cwnd_delivered_sack and cfg.reno_reordering are the Linux
 * profile's: Linux's tcp_cong_control(sk, ack, delivered) and
 * tcp_check_reno_reordering(); FreeBSD grows cwnd by what
 * cc_ack_received() is told was acknowledged and keeps no reordering
 * estimate. The behaviour itself is judged against the kernel by
 * tests/pkt/linux/cwnd-grows-by-delivered-sack-of-two.pkt,
 * cwnd-ack-starting-recovery-grows-nothing.pkt and
 * reno-reordering-more-dupacks-than-out.pkt. */
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

/* cfg.reno_reordering: Linux's tcp_check_reno_reordering(), judged by
 * tests/pkt/linux/reno-reordering-more-dupacks-than-out.pkt. */
TEST(reno_reordering_linux_profile_only)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT(c.reno_reordering);
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT(!c.reno_reordering);
}
