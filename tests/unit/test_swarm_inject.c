/* The swarm's fragment injectors (sim/swarm_inject.c, plan 2): each
 * fragment set they build does to a stack what the swarm counts on. A
 * datagram in two fragments is reassembled (ReasmOKs) and its SYN to a
 * closed port answered with an RST; overlapping fragments drop the datagram
 * (ReasmOverlaps; RFC 5722 for IPv6); an IPv6 first fragment alone waits
 * for its 60 s deadline (Ip6ReasmTimeout) and is reported with a Time
 * Exceeded (RFC 8200 4.5). */
#include "harness.h"

#include <string.h>

#include <glasstcp/glasstcp.h>

#include "sim/swarm_inject.h"

#define HOST4 0x0a000001u
#define PEER4 0x0a0000c8u
static const struct gt_in6_addr HOST6 = {{0xfd, 0x00, [15] = 1}};
static const struct gt_in6_addr PEER6 = {{0xfd, 0x00, [15] = 0xc8}};

struct sent {
	unsigned n;
	uint8_t last[256];
};

static int capture(void *ctx, const void *pkt, size_t len)
{
	struct sent *s = ctx;
	s->n++;
	memcpy(s->last, pkt, len < sizeof(s->last) ? len : sizeof(s->last));
	return 0;
}

static gt_stack *host(struct sent *out)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_device dev = {.transmit = capture, .ctx = out, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, HOST4, 24), 0);
	ASSERT_EQ(gt_stack_add_ipv6(s, &HOST6, 64), 0);
	return s;
}

/* A SYN carrying 12 bytes to port 5000 (32 bytes of TCP), as the swarm's. */
static size_t dgram(uint8_t *dg, bool v6)
{
	return v6 ? inj_tcp6(dg, &PEER6, 1234, &HOST6, 5000, 1, 0, 0x02, 1024, NULL, 0, 12)
		  : inj_tcp(dg, PEER4, 1234, HOST4, 5000, 1, 0, 0x02, 1024, NULL, 0, 12);
}

TEST(swarm_inject_ipv4_fragments_reassemble_and_overlap)
{
	struct sent out = {0};
	gt_stack *s = host(&out);
	uint8_t dg[INJ_MAX], p[INJ_MAX];
	dgram(dg, false);
	gt_stack_input(s, 1000, p, inj_frag4(p, dg, 0, 16, true));
	gt_stack_input(s, 1000, p, inj_frag4(p, dg, 16, 16, false));
	const struct gt_stats *st = gt_stack_stats(s);
	ASSERT_EQ(st->IpReasmOKs, 1);
	ASSERT_EQ(st->TcpOutRsts, 1); /* the SYN, whole, to a closed port */
	ASSERT_EQ(out.last[33] & 0x04, 0x04);
	/* The same bytes again, the second piece overlapping the first. */
	dg[5] ^= 1; /* another IP ID: another datagram */
	gt_stack_input(s, 2000, p, inj_frag4(p, dg, 0, 16, true));
	gt_stack_input(s, 2000, p, inj_frag4(p, dg, 8, 24, false));
	ASSERT_EQ(st->IpReasmOverlaps, 1);
	ASSERT_EQ(st->IpReasmOKs, 1);
	ASSERT_EQ(st->TcpOutRsts, 1);
	gt_stack_free(s);
}

TEST(swarm_inject_ipv6_fragments_reassemble_overlap_and_expire)
{
	struct sent out = {0};
	gt_stack *s = host(&out);
	uint8_t dg[INJ_MAX], p[INJ_MAX];
	dgram(dg, true);
	const struct gt_stats *st = gt_stack_stats(s);
	/* The first fragment holds the whole TCP header (RFC 7112). */
	gt_stack_input(s, 1000, p, inj_frag6(p, dg, 0, 24, true, 7));
	gt_stack_input(s, 1000, p, inj_frag6(p, dg, 24, 8, false, 7));
	ASSERT_EQ(st->Ip6ReasmOKs, 1);
	ASSERT_EQ(st->TcpOutRsts, 1);
	gt_stack_input(s, 2000, p, inj_frag6(p, dg, 0, 24, true, 8));
	gt_stack_input(s, 2000, p, inj_frag6(p, dg, 16, 16, false, 8));
	ASSERT_EQ(st->Ip6ReasmOverlaps, 1);
	ASSERT_EQ(st->TcpOutRsts, 1);
	/* A first fragment alone, its length a multiple of 8: held. */
	gt_stack_input(s, 3000, p, inj_frag6(p, dg, 0, 24, true, 9));
	ASSERT_EQ(st->Ip6ReasmTimeout, 0);
	gt_stack_poll(s, 3000 + 61ull * 1000000);
	ASSERT_EQ(st->Ip6ReasmTimeout, 1);
	ASSERT_EQ(st->Icmp6OutTimeExcds, 1);
	gt_stack_free(s);
}
