/* IPv4 input and output (RFC 791, RFC 1122 3.2) and ICMP (RFC 792): echo
 * replies, and destination-unreachable handed to TCP. Fragments are not
 * reassembled: they are dropped and counted. */
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"
#include "util/checksum.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

bool ip_is_local(const gt_stack *s, uint32_t addr)
{
	for (uint32_t i = 0; i < s->naddr; i++)
		if (s->addr[i] == addr)
			return true;
	return false;
}

uint32_t ip_source_for(const gt_stack *s, uint32_t dst)
{
	for (uint32_t i = 0; i < s->naddr; i++) {
		uint32_t mask = s->prefix[i] ? ~0u << (32 - s->prefix[i]) : 0;
		if ((s->addr[i] & mask) == (dst & mask))
			return s->addr[i];
	}
	return s->naddr ? s->addr[0] : 0;
}

static void ip_header(gt_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	struct ipv4_hdr h = {
		.ihl_bytes = IPV4_HDR_MIN,
		.total_len = (uint16_t)(IPV4_HDR_MIN + len),
		.id = s->ip_id++,
		.tos = s->tx_tos,
		.df = true,
		.ttl = s->tx_ttl ? s->tx_ttl : GT_IP_DEFAULT_TTL,
		.proto = proto,
		.src = src,
		.dst = dst,
	};
	ipv4_emit(s->out, &h);
	s->tx_tos = s->tx_ttl = 0;
	s->st.IpOutRequests++;
}

int ip_outputv(gt_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t hdr_len,
	       const struct gt_iovec *pay, int npay, size_t pay_len)
{
	struct gt_iovec iov[3] = {{s->out, IPV4_HDR_MIN + hdr_len}};
	for (int i = 0; i < npay && i < 2; i++)
		iov[1 + i] = pay[i];
	ip_header(s, src, dst, proto, hdr_len + pay_len);
	if (s->dev.transmitv(s->dev.ctx, iov, 1 + (npay < 2 ? npay : 2)) < 0) {
		s->st.IpOutDiscards++;
		return -ENOBUFS;
	}
	return 0;
}

int ip_output(gt_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	ip_header(s, src, dst, proto, len);
	if (s->dev.transmit(s->dev.ctx, s->out, IPV4_HDR_MIN + len) < 0) {
		s->st.IpOutDiscards++;
		return -ENOBUFS;
	}
	return 0;
}

static void icmp_input(gt_stack *s, const struct ipv4_hdr *ih, const uint8_t *msg, size_t len)
{
	struct icmp_hdr h;
	s->st.IcmpInMsgs++;
	if (icmp_parse(msg, len, &h) < 0) {
		s->st.IcmpInErrors++;
		return;
	}
	switch (h.type) {
	case ICMP_ECHO_REQUEST: {
		s->st.IcmpInEchos++;
		if (len > STACK_OUT_BUF - IPV4_HDR_MIN)
			return;
		uint32_t rest = (uint32_t)h.id << 16 | h.seq;
		size_t n = icmp_emit(s->out + IPV4_HDR_MIN, ICMP_ECHO_REPLY, 0, rest, h.body,
				     h.body_len);
		if (ip_output(s, ih->dst, ih->src, IPPROTO_ICMP_, n) == 0)
			s->st.IcmpOutEchoReps++;
		break;
	}
	case ICMP_TIME_EXCEEDED:
		tcp_icmp_error(s, h.type, h.code, 0, h.body, h.body_len);
		break;
	case ICMP_DEST_UNREACH:
		s->st.IcmpInDestUnreachs++;
		/* The body holds the IP header and at least 8 bytes of the
		 * segment we sent (RFC 792). */
		tcp_icmp_error(s, h.type, h.code, h.next_mtu, h.body, h.body_len);
		break;
	default:
		break;
	}
}

void ip_input(gt_stack *s, const uint8_t *pkt, size_t len)
{
	struct ipv4_hdr h;
	s->st.IpInReceives++;
	if (ipv4_parse(pkt, len, &h) != IPV4_OK) {
		s->st.IpInHdrErrors++;
		return;
	}
	if (!ip_is_local(s, h.dst)) {
		s->st.IpInAddrErrors++;
		return;
	}
	if (h.mf || h.frag_off) {
		s->st.IpReasmFails++;
		return;
	}
	const uint8_t *payload = pkt + h.ihl_bytes;
	size_t plen = (size_t)h.total_len - h.ihl_bytes;
	switch (h.proto) {
	case IPPROTO_TCP_:
		s->st.IpInDelivers++;
		s->rx_tos = h.tos;
		tcp_input(s, h.src, h.dst, payload, plen);
		s->rx_tos = 0;
		break;
	case IPPROTO_ICMP_:
		s->st.IpInDelivers++;
		icmp_input(s, &h, payload, plen);
		break;
	default:
		s->st.IpInUnknownProtos++;
		break;
	}
}
