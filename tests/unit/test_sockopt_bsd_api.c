/* Socket options as the FreeBSD profile reads them back at the API
 * (gt_getsockopt()), where pktrun has no form for the option: SO_LINGER's
 * l_onoff is the option's bit (sogetopt(), sys/kern/uipc_socket.c), as
 * tests/pkt/freebsd/sockopt-bool-returns-option-bit.pkt shows for the
 * booleans. */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

static gt_stack *stack(enum gt_profile p)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, 0x0a000001u, 24), 0);
	return s;
}

static struct gt_linger linger_of(gt_stack *s, int sd)
{
	struct gt_linger l = {-1, -1};
	size_t len = sizeof l;
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, &len), 0);
	ASSERT_EQ(len, sizeof l);
	return l;
}

static void set_linger(gt_stack *s, int sd, int on, int secs)
{
	struct gt_linger l = {on, secs};
	ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof l), 0);
}

/* FreeBSD: "l.l_onoff = so->so_options & SO_LINGER", SO_LINGER 0x80;
 * sosetopt() sets the bit for any non-zero l_onoff. */
TEST(sockopt_bsd_linger_onoff_is_option_bit)
{
	gt_stack *s = stack(GT_PROFILE_FREEBSD);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_linger l = linger_of(s, sd);
	ASSERT_EQ(l.l_onoff, 0);
	set_linger(s, sd, 1, 5);
	l = linger_of(s, sd);
	ASSERT_EQ(l.l_onoff, 0x80);
	ASSERT_EQ(l.l_linger, 5);
	set_linger(s, sd, 7, 0);
	l = linger_of(s, sd);
	ASSERT_EQ(l.l_onoff, 0x80);
	ASSERT_EQ(l.l_linger, 0);
	set_linger(s, sd, 0, 0);
	ASSERT_EQ(linger_of(s, sd).l_onoff, 0);
	gt_stack_free(s);
}

/* Linux's sk_getsockopt(): "v.ling.l_onoff = sock_flag(sk, SOCK_LINGER)", 0 or 1. */
TEST(sockopt_linux_linger_onoff_is_one)
{
	gt_stack *s = stack(GT_PROFILE_LINUX);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	set_linger(s, sd, 7, 5);
	struct gt_linger l = linger_of(s, sd);
	ASSERT_EQ(l.l_onoff, 1);
	ASSERT_EQ(l.l_linger, 5);
	gt_stack_free(s);
}
