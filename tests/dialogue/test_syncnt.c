/* TCP_SYNCNT at the API (issue 14): Linux's option (tcp_sock_set_syncnt(),
 * do_tcp_getsockopt()) in the Linux profile, FreeBSD's answer to an option
 * it lacks (tcp_default_ctloutput(): ENOPROTOOPT) in the FreeBSD profile.
 * What it does to SYNs and SYN-ACKs is checked against Linux by
 * tests/pkt/linux/syncnt-*.pkt. */
#include "dlg.h"

static int set_syncnt(struct dlg *d, int v)
{
	return gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_SYNCNT, &v, sizeof(v));
}

static int get_syncnt(struct dlg *d, int *v)
{
	size_t len = sizeof(*v);
	return gt_getsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_SYNCNT, v, &len);
}

/* 1 to MAX_TCP_SYNCNT (127), else -EINVAL with the old value kept; unset
 * it reads tcp_syn_retries. On an established connection it is only kept
 * (the TCB's byte for it is reno_rtx's there, src/tcp/tcp.h). */
TEST(syncnt_linux_sockopt_errno)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	int v = -1;
	ASSERT_EQ(get_syncnt(d, &v), 0);
	ASSERT_EQ(v, (int)cfg.syn_retries);
	ASSERT_EQ(set_syncnt(d, 0), -EINVAL);
	ASSERT_EQ(set_syncnt(d, 128), -EINVAL);
	ASSERT_EQ(set_syncnt(d, 127), 0);
	ASSERT_EQ(set_syncnt(d, -1), -EINVAL);
	ASSERT_EQ(get_syncnt(d, &v), 0);
	ASSERT_EQ(v, 127);
	dlg_check(d);
}

/* FreeBSD's netinet/tcp.h has no TCP_SYNCNT: tcp_default_ctloutput()
 * answers ENOPROTOOPT to set and get. */
TEST(syncnt_freebsd_enoprotoopt)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	int v = 9;
	ASSERT_EQ(set_syncnt(d, 2), -ENOPROTOOPT);
	ASSERT_EQ(get_syncnt(d, &v), -ENOPROTOOPT);
	ASSERT_EQ(v, 9);
	dlg_check(d);
}
