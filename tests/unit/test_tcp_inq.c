/* Linux's TCP_INQ (GT_TCP_INQ, cfg.inq_linux): the option's values, and
 * its absence from the FreeBSD profile (netinet/tcp.h has no TCP_INQ;
 * its 36 is TCP_LOGID, which glasstcp does not have either). The hint
 * itself is checked against Linux 6.18 by
 * tests/pkt/linux/tcp-inq-cmsg-fin-peek-inherited.pkt. */
#include <errno.h>

#include "harness.h"
#include "null_device.h"

#include "glasstcp/glasstcp.h"

/* do_tcp_setsockopt(): 0 or 1, else -EINVAL; read back as set. A socket
 * with it off, or not connected, reports no hint from gt_recvmsg(). */
TEST(tcp_inq_linux_values)
{
	gt_stack *s = null_device_stack(GT_PROFILE_LINUX);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT(sd >= 0);
	int v = 0;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, &len), 0);
	ASSERT_EQ(v, 0);
	v = 2;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, sizeof(v)), -EINVAL);
	v = -1;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, sizeof(v)), -EINVAL);
	v = 1;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, sizeof(v)), 0);
	v = 0;
	len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, &len), 0);
	ASSERT_EQ(v, 1);
	char buf[8];
	int inq = 7;
	ASSERT_EQ(gt_recvmsg(s, sd, buf, sizeof(buf), 0, &inq), -ENOTCONN);
	ASSERT_EQ(inq, -1);
	gt_stack_free(s);
}

/* FreeBSD's tcp_default_ctloutput(): an option it lacks is -ENOPROTOOPT. */
TEST(tcp_inq_freebsd_none)
{
	gt_stack *s = null_device_stack(GT_PROFILE_FREEBSD);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT(sd >= 0);
	int v = 1;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, sizeof(v)), -ENOPROTOOPT);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_INQ, &v, &len), -ENOPROTOOPT);
	gt_stack_free(s);
}
