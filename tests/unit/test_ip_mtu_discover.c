/* Linux's IP_MTU_DISCOVER (cfg.ip_mtu_discover_linux): the values it
 * takes (do_ip_setsockopt(): IP_PMTUDISC_DONT..OMIT, an int or one byte),
 * reads back, and the DF bit of what the connection sends
 * (ip_dont_fragment(): DO, or WANT unless the route's MTU is locked). What
 * an ICMP "fragmentation needed" does under DONT is checked against Linux
 * 6.18 by tests/pkt/linux/ip-mtu-discover-dont-next-send-takes-mtu.pkt;
 * the FreeBSD profile has no such option. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u

struct cap {
	int n;
	uint8_t first[64];
};

static int capture(void *ctx, const void *pkt, size_t len)
{
	struct cap *c = ctx;
	if (c->n++ == 0)
		memcpy(c->first, pkt, len < sizeof(c->first) ? len : sizeof(c->first));
	return 0;
}

static gt_stack *stack(enum gt_profile p, struct cap *cap)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	struct gt_device dev = {.transmit = capture, .ctx = cap, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, LADDR, 24), 0);
	return s;
}

/* The DF bit of the SYN a socket with mode (or the default, -1) sends. */
static bool syn_df(int mode, bool locked_route)
{
	struct cap cap = {0};
	gt_stack *s = stack(GT_PROFILE_LINUX, &cap);
	if (locked_route) {
		struct gt_route r = {.dst = {.family = GT_AF_INET, .addr = RADDR}, .mtu = 1400,
				     .mtu_lock = true};
		ASSERT_EQ(gt_route_set(s, &r), 0);
	}
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT(sd >= 0);
	if (mode >= 0)
		ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &mode, sizeof(mode)), 0);
	struct gt_sockaddr to = {.family = GT_AF_INET, .port = 80, .addr = RADDR};
	ASSERT_EQ(gt_connect(s, sd, &to), -EINPROGRESS);
	ASSERT(cap.n >= 1);
	bool df = (cap.first[6] & 0x40) != 0;
	gt_stack_free(s);
	return df;
}

TEST(ip_mtu_discover_sets_df_as_linux)
{
	ASSERT(syn_df(-1, false));                       /* WANT, the default */
	ASSERT(!syn_df(-1, true));                       /* WANT, the route's MTU locked */
	ASSERT(syn_df(GT_IP_PMTUDISC_DO, true));
	ASSERT(!syn_df(GT_IP_PMTUDISC_DONT, false));
	ASSERT(!syn_df(GT_IP_PMTUDISC_PROBE, false));
	ASSERT(!syn_df(GT_IP_PMTUDISC_INTERFACE, false));
	ASSERT(!syn_df(GT_IP_PMTUDISC_OMIT, false));
}

TEST(ip_mtu_discover_values_and_profiles)
{
	struct cap cap = {0};
	gt_stack *s = stack(GT_PROFILE_LINUX, &cap);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	int v = -1;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &v, &len), 0);
	ASSERT_EQ(v, GT_IP_PMTUDISC_WANT);
	uint8_t one = GT_IP_PMTUDISC_DO; /* one byte, as do_ip_setsockopt() takes it */
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &one, 1), 0);
	len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &v, &len), 0);
	ASSERT_EQ(v, GT_IP_PMTUDISC_DO);
	v = 6;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &v, sizeof(v)), -EINVAL);
	gt_stack_free(s);

	s = stack(GT_PROFILE_FREEBSD, &cap);
	sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	v = GT_IP_PMTUDISC_DONT;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &v, sizeof(v)), -ENOPROTOOPT);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_TOS, &one, 1), -EINVAL);
	gt_stack_free(s);
}
