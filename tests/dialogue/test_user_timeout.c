/* TCP_USER_TIMEOUT at the API (issue 14): Linux's option (do_tcp_setsockopt(),
 * tcp_sock_set_user_timeout(), do_tcp_getsockopt()) in the Linux profile,
 * FreeBSD's answer to an option it lacks (tcp_default_ctloutput():
 * ENOPROTOOPT) in the FreeBSD profile, and the end it gives a connection
 * whose data nobody acknowledges (tcp_write_timeout()). The packet scripts
 * tests/pkt/linux/user-timeout-*.pkt check the same against Linux. */
#include "dlg.h"

static int set_uto(struct dlg *d, int v, size_t len)
{
	return gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_USER_TIMEOUT, &v, len);
}

static int get_uto(struct dlg *d, int *v)
{
	size_t len = sizeof(*v);
	return gt_getsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_USER_TIMEOUT, v, &len);
}

/* Milliseconds, 0 off (the default), "if (val < 0) return -EINVAL" with
 * the old value kept, a value shorter than an int -EINVAL. */
TEST(user_timeout_linux_sockopt_errno)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	int v = -1;
	ASSERT_EQ(get_uto(d, &v), 0);
	ASSERT_EQ(v, 0);
	ASSERT_EQ(set_uto(d, 1500, sizeof(int)), 0);
	ASSERT_EQ(set_uto(d, -1, sizeof(int)), -EINVAL);
	ASSERT_EQ(set_uto(d, 3000, 2), -EINVAL);
	ASSERT_EQ(get_uto(d, &v), 0);
	ASSERT_EQ(v, 1500);
	ASSERT_EQ(set_uto(d, 0x7fffffff, sizeof(int)), 0);
	ASSERT_EQ(get_uto(d, &v), 0);
	ASSERT_EQ(v, 0x7fffffff);
	dlg_check(d);
}

/* FreeBSD's netinet/tcp.h has no TCP_USER_TIMEOUT: the stack's
 * tcp_default_ctloutput() answers ENOPROTOOPT to set and get. */
TEST(user_timeout_freebsd_enoprotoopt)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	int v = 7;
	ASSERT_EQ(set_uto(d, 1500, sizeof(int)), -ENOPROTOOPT);
	ASSERT_EQ(get_uto(d, &v), -ENOPROTOOPT);
	ASSERT_EQ(v, 7);
	dlg_check(d);
}

/* Data nobody acknowledges: the first retransmission one RTO after the
 * write starts the clock (Linux's retrans_stamp); the RTO timer after a
 * retransmission is clamped to the time left
 * (tcp_clamp_rto_to_user_timeout()), and at that expiry the connection
 * ends with ETIMEDOUT, nothing sent (tcp_write_err()): exactly 1 s after
 * the first retransmission, where tcp_retries2 (15) would go on for
 * minutes. */
TEST(user_timeout_linux_rto_ends_on_time)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.tlp = false; /* the RTO alone: retransmissions at its doublings */
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(set_uto(d, 1000, sizeof(int)), 0);
	dlg_drain(d);
	dlg_app_send(d, 100);
	dlg_next(d);
	uint64_t waited = 0;
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint64_t rto = ti.rto_us;
	ASSERT_GT(rto, 0);
	dlg_advance(d, rto);
	dlg_next(d); /* the first retransmission: the clock starts */
	/* Retransmissions at doubling intervals while the clock runs. */
	for (uint64_t t = 2 * rto; waited + t < 1000000; t *= 2) {
		dlg_advance(d, t);
		dlg_next(d);
		waited += t;
	}
	/* The clamped timer: nothing a microsecond before the timeout... */
	dlg_advance(d, 1000000 - waited - 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_so_error(d, d->sd), 0);
	/* ... and the end at it, without a segment. */
	dlg_advance(d, 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
}
