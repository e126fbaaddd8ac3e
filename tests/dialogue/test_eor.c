/* MSG_EOR at the API (issue 14): Linux's record ends on its skbs
 * (tcp_sendmsg_locked(): TCP_SKB_CB(skb)->eor), bounded and counted in the
 * Linux profile; taken and without effect in the FreeBSD profile
 * (tcp_usr_send(): sbappendstream() keeps no record boundary). What they
 * do on the wire against the kernel: tests/pkt/linux/eor-*.pkt. */
#include "dlg.h"

/* At most 16 unacknowledged record ends are kept; the 17th is counted in
 * TcpEorEndsDropped, and the write still goes. */
TEST(eor_linux_ends_bounded_and_counted)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	for (int i = 0; i < 17; i++)
		ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, GT_MSG_EOR), 10);
	ASSERT_EQ(dlg_stats(d)->TcpEorEndsDropped, 1);
	dlg_drain(d);
	dlg_free(d);
}

/* Other flags are still refused. */
TEST(eor_linux_other_flags_refused)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, GT_MSG_EOR | 0x1), -EOPNOTSUPP);
	dlg_free(d);
}

TEST(eor_freebsd_taken_no_effect)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	for (int i = 0; i < 17; i++)
		ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, GT_MSG_EOR), 10);
	ASSERT_EQ(dlg_stats(d)->TcpEorEndsDropped, 0);
	dlg_drain(d);
	dlg_free(d);
}
