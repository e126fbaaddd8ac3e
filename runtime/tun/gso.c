/* Segmentation offload over the TUN device. Receive: a GSO packet the
 * kernel hands over whole keeps its gso_size for the stack
 * (tun_rx_gso_size()). Transmit: an IPv4/TCP or
 * IPv6/TCP segment whose payload exceeds what fits the MTU leaves as one
 * write, with a virtio-net header asking the kernel to cut it into segments
 * of gso_size payload bytes (VIRTIO_NET_HDR_GSO_TCPV4 or _TCPV6) and to
 * finish each one's checksum
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM). See the kernel's
 * Documentation/networking/segmentation-offloads.rst and checksum-offloads.rst.
 */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <errno.h>
#include <stdbool.h>
#include <linux/virtio_net.h>
#include <string.h>

#define IPPROTO_TCP_NUM 6u
#define TCP_CHECK_OFFSET 16u
#define TCP_FLAG_CWR 0x80u

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The one's-complement sum of the pseudo-header, folded and not
 * complemented: what CHECKSUM_PARTIAL wants in the checksum field. IPv4's
 * (RFC 9293 3.1): the addresses at 12..20; IPv6's (RFC 8200 8.1): at 8..40,
 * the length as 32 bits. The kernel adds the sum of the bytes from
 * csum_start on and complements; when it cuts the segment it adjusts the
 * length term for each piece (tcp4_gso_segment(), tcp6_gso_segment()). */
static uint16_t pseudo_sum(const uint8_t *ip, unsigned from, unsigned to, uint32_t tcp_len)
{
	uint32_t sum = 0;
	for (unsigned i = from; i < to; i += 2)
		sum += be16(ip + i); /* source and destination addresses */
	sum += IPPROTO_TCP_NUM + (tcp_len >> 16) + (tcp_len & 0xffff);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

int tun_gso_prepare(struct tun_gso *g, const uint8_t *pkt, size_t len, uint16_t mtu, uint16_t gso_size)
{
	size_t ihl;
	if (len >= 20 && pkt[0] >> 4 == 4) {
		ihl = (size_t)(pkt[0] & 15) * 4;
		if (ihl < 20 || pkt[9] != IPPROTO_TCP_NUM || be16(pkt + 2) != len)
			return 0;
	} else if (len >= 40 && pkt[0] >> 4 == 6) {
		/* TCP right after the fixed header (the stack sends no
		 * extension header), the payload length the rest. */
		ihl = 40;
		if (pkt[6] != IPPROTO_TCP_NUM || (size_t)be16(pkt + 4) + 40 != len)
			return 0;
	} else {
		return 0;
	}
	if (len < ihl + 20)
		return 0;
	bool v6 = ihl == 40 && pkt[0] >> 4 == 6;
	size_t thl = (size_t)(pkt[ihl + 12] >> 4) * 4;
	size_t hdr_len = ihl + thl;
	if (thl < 20 || hdr_len > len || hdr_len > sizeof(g->hdr) || hdr_len >= mtu)
		return 0;
	size_t payload = len - hdr_len;
	size_t seg = mtu - hdr_len; /* payload per segment that fits the MTU */
	/* The stack's piece size (the connection's MSS less the options),
	 * where it gave one that fits the MTU: a piece larger than the peer's
	 * MSS is one the peer may drop. */
	if (gso_size && gso_size < seg)
		seg = gso_size;
	if (payload <= seg)
		return 0; /* fits: leaves as it is */
	memcpy(g->hdr, pkt, hdr_len);
	uint16_t ps = v6 ? pseudo_sum(pkt, 8, 40, (uint32_t)(len - ihl))
			 : pseudo_sum(pkt, 12, 20, (uint32_t)(len - ihl));
	g->hdr[ihl + TCP_CHECK_OFFSET] = (uint8_t)(ps >> 8);
	g->hdr[ihl + TCP_CHECK_OFFSET + 1] = (uint8_t)ps;
	g->hdr_len = hdr_len;
	/* The legacy header is in the host's byte order on a TUN device that
	 * was not told otherwise (TUNSETVNETLE/BE). */
	memset(&g->vh, 0, sizeof(g->vh));
	g->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	g->vh.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	if (pkt[ihl + 13] & TCP_FLAG_CWR)
		g->vh.gso_type |= VIRTIO_NET_HDR_GSO_ECN; /* CWR on the first piece only */
	g->vh.hdr_len = (uint16_t)hdr_len;
	g->vh.gso_size = (uint16_t)seg;
	g->vh.csum_start = (uint16_t)ihl;
	g->vh.csum_offset = TCP_CHECK_OFFSET;
	g->segs = (uint32_t)((payload + seg - 1) / seg);
	return 1;
}

/* The checks the kernel makes of a header it is handed
 * (virtio_net_hdr_to_skb(), include/linux/virtio_net.h): a GSO type it
 * knows, a gso_size that is not 0; here also a gso_size within the packet
 * and a TCP type of the packet's IP version, since the stack is to measure
 * the peer's segment size by it (tcp_measure_rcv_mss()). The header is in
 * the host's byte order (no TUNSETVNETLE/BE, as for transmit). */
int tun_rx_gso_size(const struct virtio_net_hdr *h, const uint8_t *pkt, size_t len)
{
	unsigned type = h->gso_type & (unsigned)~VIRTIO_NET_HDR_GSO_ECN;
	unsigned ver;
	if (type == VIRTIO_NET_HDR_GSO_TCPV4)
		ver = 4;
	else if (type == VIRTIO_NET_HDR_GSO_TCPV6)
		ver = 6;
	else
		return 0; /* none, or UDP's: nothing for TCP to measure */
	if (h->gso_size == 0 || h->gso_size > len || len == 0 || pkt[0] >> 4 != ver)
		return -EINVAL;
	return h->gso_size;
}
