/* The TUN runtime's transmit segmentation offload (runtime/tun/gso.c): a TCP
 * segment larger than the MTU goes to the kernel whole behind a virtio-net
 * header, VIRTIO_NET_HDR_GSO_TCPV4 or _TCPV6, with the pseudo-header sum in
 * the checksum field for the kernel to complete (CHECKSUM_PARTIAL). */
#include <errno.h>
#include <linux/virtio_net.h>
#include <string.h>

#include "harness.h"

#include "runtime/tun/tun.h"
#include "util/checksum.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp_wire.h"

static const struct gt_in6_addr src6 = {{0x20, 0x01, 0x0d, 0xb8, 0x02, [15] = 2}};
static const struct gt_in6_addr dst6 = {{0x20, 0x01, 0x0d, 0xb8, 0x02, [15] = 1}};
static uint8_t pkt[40 + 32 + 10000];

/* An IPv6/TCP segment with timestamps (32-byte header) and pay bytes. */
static size_t build6(size_t pay, uint8_t flags)
{
	static const uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
	for (size_t i = 0; i < pay; i++)
		pkt[72 + i] = (uint8_t)(i * 13 + 5);
	struct tcp_hdr h = {.sport = 80, .dport = 40000, .seq = 1000, .ack = 2000,
			    .doff_bytes = 32, .flags = flags, .win = 512};
	ipv6_tcp_emit(pkt + 40, &h, ts, sizeof(ts), pay, &src6, &dst6);
	struct ipv6_hdr ip = {.payload_len = (uint16_t)(32 + pay), .next = 6, .hop_limit = 64,
			      .src = src6, .dst = dst6};
	ipv6_emit(pkt, &ip);
	return 40 + 32 + pay;
}

TEST(tun_gso_ipv6_segment_goes_whole_as_tcpv6_with_partial_checksum)
{
	size_t len = build6(10000, TH_ACK | TH_PSH);
	uint16_t full = (uint16_t)(pkt[56] << 8 | pkt[57]);
	struct tun_gso g;
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len, 1500, 0), 1);
	ASSERT_EQ(g.vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
	ASSERT_EQ(g.vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	ASSERT_EQ(g.hdr_len, 72);
	ASSERT_EQ(g.vh.hdr_len, 72);
	ASSERT_EQ(g.vh.gso_size, 1500 - 72); /* the stack's MSS over IPv6 with timestamps */
	ASSERT_EQ(g.vh.csum_start, 40);
	ASSERT_EQ(g.vh.csum_offset, 16);
	ASSERT_EQ(g.segs, (10000 + 1427) / 1428);
	ASSERT_EQ(memcmp(g.hdr, pkt, 56), 0); /* headers as they were, but the checksum */
	/* The field holds the IPv6 pseudo-header sum (RFC 8200 8.1): what the
	 * kernel does with it, summing from csum_start, gives the full sum. */
	uint8_t seg[32 + 10000];
	memcpy(seg, g.hdr + 40, 32);
	memcpy(seg + 32, pkt + 72, 10000);
	ASSERT_EQ(csum_fold(csum_partial(seg, sizeof(seg), 0)), full);
}

TEST(tun_gso_ipv6_fitting_or_with_extension_headers_goes_as_it_is)
{
	struct tun_gso g;
	ASSERT_EQ(tun_gso_prepare(&g, pkt, build6(1428, TH_ACK), 1500, 0), 0); /* fits */
	size_t len = build6(3000, TH_ACK);
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len, 1500, 0), 1);
	pkt[6] = 0; /* Hop-by-Hop first: not a segment we cut */
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len, 1500, 0), 0);
	pkt[6] = 6;
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len - 1, 1500, 0), 0); /* payload length disagrees */
	len = build6(3000, TH_ACK | TH_CWR);
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len, 1500, 0), 1);
	ASSERT_EQ(g.vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN);
}

TEST(tun_gso_ipv4_segment_still_tcpv4)
{
	uint8_t p4[20 + 20 + 4000];
	struct tcp_hdr h = {.sport = 80, .dport = 40000, .seq = 1, .ack = 2, .doff_bytes = 20,
			    .flags = TH_ACK, .win = 512};
	memset(p4 + 40, 0x33, 4000);
	tcp_emit(p4 + 20, &h, NULL, 0, 4000, 0x0ac80002, 0x0ac80001);
	struct ipv4_hdr ip = {.ihl_bytes = 20, .total_len = sizeof(p4), .ttl = 64, .proto = 6,
			      .src = 0x0ac80002, .dst = 0x0ac80001};
	ipv4_emit(p4, &ip);
	struct tun_gso g;
	ASSERT_EQ(tun_gso_prepare(&g, p4, sizeof(p4), 1500, 0), 1);
	ASSERT_EQ(g.vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	ASSERT_EQ(g.vh.csum_start, 20);
	ASSERT_EQ(g.vh.gso_size, 1460);
	ASSERT_EQ(g.segs, 3);
	uint16_t full = (uint16_t)(p4[36] << 8 | p4[37]);
	uint8_t seg[20 + 4000];
	memcpy(seg, g.hdr + 20, 20);
	memcpy(seg + 20, p4 + 40, 4000);
	ASSERT_EQ(csum_fold(csum_partial(seg, sizeof(seg), 0)), full);
}

/* The stack's piece size (gt_device.transmit_gso): a peer's MSS of 536
 * less the timestamps, 524, cuts a 3,000-byte payload into 6 pieces that
 * a 1500 MTU would have taken in 3 of 1428; a payload of one piece goes as
 * it is; a size larger than the MTU allows is not taken. */
TEST(tun_gso_takes_the_stacks_gso_size)
{
	struct tun_gso g;
	size_t len = build6(3000, TH_ACK);
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len, 1500, 524), 1);
	ASSERT_EQ(g.vh.gso_size, 524);
	ASSERT_EQ(g.segs, 6);
	ASSERT_EQ(tun_gso_prepare(&g, pkt, build6(524, TH_ACK), 1500, 524), 0);
	ASSERT_EQ(tun_gso_prepare(&g, pkt, build6(1000, TH_ACK), 1500, 524), 1);
	ASSERT_EQ(g.segs, 2);
	len = build6(3000, TH_ACK);
	ASSERT_EQ(tun_gso_prepare(&g, pkt, len, 1500, 9000), 1);
	ASSERT_EQ(g.vh.gso_size, 1428); /* what fits the MTU */
}

/* Receive: the gso_size a packet the kernel handed over whole goes to the
 * stack with (tun_rx_gso_size()): a TCP GSO header's, 0 for a plain packet
 * or UDP's GSO, -EINVAL (counted, the packet handed as a plain one) for a
 * header that says TCP GSO but cannot be one. */
TEST(tun_rx_gso_size_takes_tcp_gso_headers_only)
{
	size_t len6 = build6(4000, TH_ACK);
	uint8_t v4[60] = {0x45};
	struct virtio_net_hdr h = {.gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .gso_size = 1428};
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), 1428);
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN; /* CWR on the first */
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), 1428);
	h = (struct virtio_net_hdr){.gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 40};
	ASSERT_EQ(tun_rx_gso_size(&h, v4, sizeof(v4)), 40);
	/* Not TCP's GSO: nothing for TCP to measure, and not bad. */
	h = (struct virtio_net_hdr){.gso_type = VIRTIO_NET_HDR_GSO_NONE, .gso_size = 1428};
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), 0);
	h = (struct virtio_net_hdr){.gso_type = VIRTIO_NET_HDR_GSO_UDP, .gso_size = 1428};
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), 0);
}

TEST(tun_rx_gso_size_refuses_bad_tcp_gso_headers)
{
	size_t len6 = build6(4000, TH_ACK);
	uint8_t v4[60] = {0x45};
	/* gso_size 0 with a GSO type (the kernel's virtio_net_hdr_to_skb()
	 * refuses it too). */
	struct virtio_net_hdr h = {.gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .gso_size = 0};
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), -EINVAL);
	/* Larger than the packet. */
	h.gso_size = (uint16_t)(len6 + 1);
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), -EINVAL);
	h.gso_size = (uint16_t)len6;
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), (int)len6);
	/* The other IP version's type. */
	h = (struct virtio_net_hdr){.gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1428};
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, len6), -EINVAL);
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	h.gso_size = 40;
	ASSERT_EQ(tun_rx_gso_size(&h, v4, sizeof(v4)), -EINVAL);
	/* An empty packet. */
	ASSERT_EQ(tun_rx_gso_size(&h, pkt, 0), -EINVAL);
}
