/* IP_LOCAL_PORT_RANGE and IP_BIND_ADDRESS_NO_PORT (Linux's, the Linux
 * profile's): the ports connect() and bind() pick lie in the socket's range,
 * each end of it taken only inside the stack's (Linux's
 * inet_sk_get_local_port_range()); lo above hi is EINVAL
 * (do_ip_setsockopt()); bind() with port 0 under IP_BIND_ADDRESS_NO_PORT
 * keeps the address and leaves the port to connect() (__inet_bind()). */
#include <errno.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u

static gt_stack *linux_stack(void)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	static struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	if (s && gt_stack_add_ipv4(s, LADDR, 24) != 0) {
		gt_stack_free(s);
		return NULL;
	}
	return s;
}

static int sock_with_range(gt_stack *s, uint32_t range)
{
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	if (sd >= 0 && gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &range,
				     sizeof(range)) != 0)
		return -1;
	return sd;
}

/* connect() to RADDR:80; the port it took, or the error. */
static int connect_port(gt_stack *s, int sd)
{
	struct gt_sockaddr to = {.family = GT_AF_INET, .port = 80, .addr = RADDR};
	int r = gt_connect(s, sd, &to);
	if (r != -EINPROGRESS)
		return r;
	struct gt_sockaddr me;
	if (gt_getsockname(s, sd, &me) != 0)
		return -1;
	return me.port;
}

TEST(port_range_connect_picks_only_the_sockets_ports)
{
	gt_stack *s = linux_stack();
	ASSERT(s != NULL);
	bool seen[4] = {false};
	for (int i = 0; i < 4; i++) {
		int sd = sock_with_range(s, 40003u << 16 | 40000u);
		ASSERT_GE(sd, 0);
		int port = connect_port(s, sd);
		ASSERT_GE(port, 40000);
		ASSERT_LE(port, 40003);
		ASSERT(!seen[port - 40000]);
		seen[port - 40000] = true;
	}
	/* All four 4-tuples are taken: the fifth has none (Linux's
	 * __inet_hash_connect(): -EADDRNOTAVAIL). */
	int sd = sock_with_range(s, 40003u << 16 | 40000u);
	ASSERT_EQ(connect_port(s, sd), -EADDRNOTAVAIL);
	/* Another socket without a range still finds a port. */
	sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	int port = connect_port(s, sd);
	ASSERT_GE(port, 32768);
	ASSERT_LE(port, 60999);
	gt_stack_free(s);
}

TEST(port_range_end_outside_the_stacks_range_is_the_stacks)
{
	gt_stack *s = linux_stack();
	ASSERT(s != NULL);
	/* lo 1000 lies below 32768: that end stays 32768; hi 32770 is kept. */
	for (int i = 0; i < 3; i++) {
		int sd = sock_with_range(s, 32770u << 16 | 1000u);
		int port = connect_port(s, sd);
		ASSERT_GE(port, 32768);
		ASSERT_LE(port, 32770);
	}
	ASSERT_EQ(connect_port(s, sock_with_range(s, 32770u << 16 | 1000u)), -EADDRNOTAVAIL);
	/* hi 0: the stack's 60999; lo 60998 kept. */
	for (int i = 0; i < 2; i++) {
		int port = connect_port(s, sock_with_range(s, 60998u));
		ASSERT_GE(port, 60998);
		ASSERT_LE(port, 60999);
	}
	ASSERT_EQ(connect_port(s, sock_with_range(s, 60998u)), -EADDRNOTAVAIL);
	gt_stack_free(s);
}

TEST(port_range_lo_above_hi_is_einval_and_reads_back_as_set)
{
	gt_stack *s = linux_stack();
	ASSERT(s != NULL);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	uint32_t v = 0xc0008000u, got = 1;
	size_t len = sizeof(got);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &got, &len), 0);
	ASSERT_EQ(got, 0);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &v, sizeof(v)), 0);
	uint32_t bad = 0x8000c000u;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &bad, sizeof(bad)),
		  -EINVAL);
	uint64_t wide = v; /* not exactly 4 bytes */
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &wide, sizeof(wide)),
		  -EINVAL);
	len = sizeof(got);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &got, &len), 0);
	ASSERT_EQ(got, 0xc0008000u);
	gt_stack_free(s);
}

TEST(port_range_bind_port_zero_picks_in_the_range)
{
	gt_stack *s = linux_stack();
	ASSERT(s != NULL);
	int sd = sock_with_range(s, 45001u << 16 | 45000u);
	struct gt_sockaddr any = {.family = GT_AF_INET, .port = 0, .addr = 0};
	ASSERT_EQ(gt_bind(s, sd, &any), 0);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT_GE(me.port, 45000);
	ASSERT_LE(me.port, 45001);
	gt_stack_free(s);
}

TEST(bind_address_no_port_leaves_the_port_to_connect)
{
	gt_stack *s = linux_stack();
	ASSERT(s != NULL);
	int sd = sock_with_range(s, 0xdeaddeadu);
	int one = 1, got = 0;
	size_t len = sizeof(got);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)),
		  0);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_IPPROTO_IP, GT_IP_BIND_ADDRESS_NO_PORT, &got, &len), 0);
	ASSERT_EQ(got, 1);
	struct gt_sockaddr mine = {.family = GT_AF_INET, .port = 0, .addr = LADDR};
	ASSERT_EQ(gt_bind(s, sd, &mine), 0);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT_EQ(me.port, 0); /* no port yet */
	ASSERT_EQ(me.addr, LADDR);
	/* The range's one port is still free for another bind(). */
	int other = sock_with_range(s, 0xdeaddeadu);
	ASSERT_EQ(gt_bind(s, other, &(struct gt_sockaddr){.family = GT_AF_INET, .port = 0}), 0);
	ASSERT_EQ(gt_getsockname(s, other, &me), 0);
	ASSERT_EQ(me.port, 0xdead);
	gt_close(s, other);
	ASSERT_EQ(connect_port(s, sd), 0xdead);
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT_EQ(me.addr, LADDR);
	gt_stack_free(s);
}

TEST(port_range_options_are_linux_only)
{
	/* FreeBSD has neither (its IPPROTO_IP 24 is IP_BINDANY). */
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	static struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	uint32_t v = 0xdeaddeadu;
	int one = 1;
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &v, sizeof(v)),
		  -ENOPROTOOPT);
	ASSERT_EQ(gt_setsockopt(s, sd, GT_IPPROTO_IP, GT_IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)),
		  -ENOPROTOOPT);
	gt_stack_free(s);
}
