/* FreeBSD's TCP Fast Open server sysctls (fel1x-developer/freebsd-src
 * 2d614aa, sys/netinet/tcp_fastopen.c) as gt_config_sysctl() takes them,
 * and the cookie tcp_fastopen_make_cookie() makes: SipHash-2-4 of the
 * client's address alone. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/stack.h>

#include "util/hash.h"

static struct gt_config bsd(void)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	return c;
}

static int set(struct gt_config *c, const char *name, const char *value)
{
	return gt_config_sysctl(c, GT_PROFILE_FREEBSD, name, value);
}

/* sysctl_net_inet_tcp_fastopen_setkey(): 16 bytes exactly, else EINVAL;
 * a ring of two (tcp_fastopen_addkey_locked(): newest + 1, numkeys up to
 * 2), server_enable not needed. keylen, maxkeys and numkeys are read-only. */
TEST(fastopen_bsd_setkey_ring_of_two)
{
	struct gt_config c = bsd();
	ASSERT_EQ(c.fastopen_bsd_numkeys, 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.setkey", "opaque:0001"), -EINVAL);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.setkey", "0"), -EINVAL);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.setkey", "opaque:01010101010101010101010101010101"), 0);
	ASSERT_EQ(c.fastopen_bsd_numkeys, 1);
	ASSERT_EQ(c.fastopen_bsd_newest, 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.setkey", "opaque:02020202020202020202020202020202"), 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.setkey", "opaque:03030303030303030303030303030303"), 0);
	ASSERT_EQ(c.fastopen_bsd_numkeys, 2);
	ASSERT_EQ(c.fastopen_bsd_newest, 0);
	ASSERT_EQ(c.fastopen_bsd_keys[0][0], 3);
	ASSERT_EQ(c.fastopen_bsd_keys[1][0], 2);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.numkeys", "0"), -EPERM);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.keylen", "16"), -EPERM);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.maxkeys", "2"), -EPERM);
}

/* sysctl_net_inet_tcp_fastopen_server_enable(): 0 -> 1 with autokey and no
 * key adds one (tcp_fastopen_autokey_locked()), 1 -> 0 empties the ring;
 * autokey above INT_MAX / hz is EINVAL; psk_enable takes only 0 here. */
TEST(fastopen_bsd_server_enable_autokey)
{
	struct gt_config c = bsd();
	ASSERT(!c.fastopen_bsd_server);
	ASSERT_EQ(c.fastopen_bsd_autokey_s, 120);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.server_enable", "1"), 0);
	ASSERT(c.fastopen_bsd_server);
	ASSERT_EQ(c.fastopen_bsd_numkeys, 1);
	uint8_t first[16];
	memcpy(first, c.fastopen_bsd_keys[c.fastopen_bsd_newest], 16);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.server_enable", "1"), 0); /* no transition */
	ASSERT_EQ(c.fastopen_bsd_numkeys, 1);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.server_enable", "0"), 0);
	ASSERT_EQ(c.fastopen_bsd_numkeys, 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.server_enable", "1"), 0);
	ASSERT_EQ(c.fastopen_bsd_numkeys, 1);
	/* Another key each time (arc4rand() in FreeBSD). */
	ASSERT(memcmp(first, c.fastopen_bsd_keys[c.fastopen_bsd_newest], 16) != 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.server_enable", "0"), 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.autokey", "0"), 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.server_enable", "1"), 0);
	ASSERT_EQ(c.fastopen_bsd_numkeys, 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.autokey", "2147484"), -EINVAL);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.autokey", "2147483"), 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.psk_enable", "0"), 0);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.psk_enable", "1"), -EOPNOTSUPP);
	ASSERT_EQ(set(&c, "net.inet.tcp.fastopen.acceptany", "1"), 0);
	ASSERT(c.fastopen_bsd_acceptany);
}

/* The Linux profile has no FreeBSD server rows. */
TEST(fastopen_bsd_server_rows_freebsd_only)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.inet.tcp.fastopen.server_enable", "1"),
		  -EOPNOTSUPP);
	ASSERT(!c.fastopen_bsd_server);
}

/* tcp_fastopen_make_cookie(): the all-zero key and 192.0.2.1 give
 * 2069a359c930dba9, the cookie FreeBSD's fast-open/server scripts expect
 * (SipHash_Final()'s bytes, little-endian). */
TEST(fastopen_bsd_cookie_of_zero_key)
{
	static const uint8_t key[16];
	static const uint8_t ip[4] = {192, 0, 2, 1};
	static const uint8_t want[8] = {0x20, 0x69, 0xa3, 0x59, 0xc9, 0x30, 0xdb, 0xa9};
	uint64_t h = siphash24(key, ip, sizeof(ip));
	for (int i = 0; i < 8; i++)
		ASSERT_EQ((uint8_t)(h >> (8 * i)), want[i]);
}
