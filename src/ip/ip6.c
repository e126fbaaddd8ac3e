/* IPv6 input and output (RFC 8200) and ICMPv6 (RFC 4443): the wire layer's
 * checks and extension-header walk (src/wire/ipv6.c), our-address check,
 * demultiplexing to TCP and ICMPv6; echo replies, errors to TCP (soft,
 * hard, Packet Too Big -> path MTU, RFC 8201), and the Parameter Problems
 * the walk asks for, rate limited (RFC 4443 2.4(f)). Fragments for us go
 * to ip/reasm.c and come back whole (ip6_input_whole); no neighbour
 * discovery is done: the devices carry IP packets (a TUN, the simulator),
 * not frames. */
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"
#include "util/be.h"
#include "wire/icmp6.h"
#include "wire/ipv6.h"

/* RFC 6437 3: one label per flow, the same for every packet of it and
 * unguessable from outside: a keyed mix of the addresses and, for TCP, the
 * ports (the first word of the payload), so TIME_WAIT's ACKs carry the
 * connection's label without storing it. */
static uint32_t flow_label(const gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto,
			   const uint8_t *l4)
{
	uint64_t h = s->hash_key ^ ip_addr_fold(src) ^ (ip_addr_fold(dst) << 1) ^ s->flow_salt;
	if (proto == IPPROTO_TCP_)
		h ^= (uint64_t)get_be32(l4) << 17;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return ipv6_flow_label((uint32_t)h);
}

/* The fixed header in place (RFC 8200 3), as ipv6_emit() writes it but
 * from the addresses as they came: building a struct ipv6_hdr copies them
 * through the stack in a way that stalls the store buffer on every packet
 * (perf annotate: half of this function's time, bench_bulk over IPv6). */
static void header(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t len)
{
	uint8_t *o = s->out;
	uint32_t flow = flow_label(s, src, dst, proto, o + IPV6_HDR_LEN);
	/* RFC 8200 7 and RFC 3168 5: the traffic class is IPV6_TCLASS's DSCP
	 * and, in its two low bits, the ECN field TCP sets (ECT(0) on new data);
	 * the hop limit IPV6_UNICAST_HOPS's, else the stack's (RFC 3542 6.3). */
	put_be32(o, 6u << 28 | (uint32_t)s->tx_tos << 20 | flow);
	put_be16(o + 4, (uint16_t)len);
	o[6] = proto;
	o[7] = s->tx_ttl ? (uint8_t)s->tx_ttl : s->cfg.hop_limit ? s->cfg.hop_limit : 64;
	memcpy(o + 8, src.b, 16);
	memcpy(o + 24, dst.b, 16);
	s->tx_tos = 0;
	s->tx_ttl = 0;
	s->st.Ip6OutRequests++;
}

int ip6_output(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t len)
{
	header(s, src, dst, proto, len);
	struct gt_iovec one = {s->out, IPV6_HDR_LEN + len};
	return ip_dev_verdict(s, ip_dev_xmit(s, &one, 1), &s->st.Ip6OutDiscards);
}

int ip6_outputv(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t hdr_len,
		const struct gt_iovec *pay, int npay, size_t pay_len)
{
	struct gt_iovec iov[3] = {{s->out, IPV6_HDR_LEN + hdr_len}};
	for (int i = 0; i < npay && i < 2; i++)
		iov[1 + i] = pay[i];
	header(s, src, dst, proto, hdr_len + pay_len);
	return ip_dev_verdict(s, ip_dev_xmit(s, iov, 1 + (npay < 2 ? npay : 2)), &s->st.Ip6OutDiscards);
}

/* An ICMPv6 error about the packet inv (RFC 4443 2.4(e) and (f)). */
void ip6_send_error(gt_stack *s, const uint8_t *inv, size_t inv_len, ip_addr src, uint8_t type,
		    uint8_t code, uint32_t param)
{
	if (icmp6_error_allowed(inv, inv_len, type, code) != ICMP6_SEND)
		return;
	if (!icmp6_ratelimit_allow(&s->icmp6_rl, s->now_us)) {
		s->st.Icmp6OutRateLimitGlobal++;
		return;
	}
	size_t n = icmp6_error_build(s->out, STACK_OUT_BUF, type, code, param, inv, inv_len, &src,
				     s->cfg.hop_limit ? s->cfg.hop_limit : 64);
	if (!n)
		return;
	s->st.Icmp6OutMsgs++;
	if (type == ICMP6_PARAM_PROB)
		s->st.Icmp6OutParmProblems++;
	else if (type == ICMP6_DST_UNREACH)
		s->st.Icmp6OutDestUnreachs++;
	else if (type == ICMP6_TIME_EXCEEDED)
		s->st.Icmp6OutTimeExcds++;
	s->st.Ip6OutRequests++;
	if (s->dev.transmit(s->dev.ctx, s->out, n) < 0) {
		s->st.Ip6OutDiscards++;
		s->st.Icmp6OutErrors++;
	}
}

static void icmp6_input(gt_stack *s, const struct ipv6_hdr *ip, const uint8_t *msg, size_t len)
{
	struct icmp6_hdr h;
	s->st.Icmp6InMsgs++;
	switch (icmp6_parse(msg, len, &ip->src, &ip->dst, &h)) {
	case ICMP6_OK:
		break;
	case ICMP6_ERR_CHECKSUM:
		s->st.Icmp6InCsumErrors++;
		s->st.Icmp6InErrors++;
		return;
	default:
		s->st.Icmp6InErrors++;
		return;
	}
	switch (h.type) {
	case ICMP6_ECHO_REQUEST: {
		s->st.Icmp6InEchos++;
		size_t n = icmp6_echo_reply(s->out, STACK_OUT_BUF, ip, &h, &ip->dst,
					    s->cfg.hop_limit ? s->cfg.hop_limit : 64);
		if (!n)
			return;
		s->st.Icmp6OutMsgs++;
		s->st.Icmp6OutEchoReplies++;
		s->st.Ip6OutRequests++;
		if (s->dev.transmit(s->dev.ctx, s->out, n) < 0)
			s->st.Ip6OutDiscards++;
		return;
	}
	case ICMP6_ECHO_REPLY:
		s->st.Icmp6InEchoReplies++;
		return;
	case ICMP6_DST_UNREACH:
		s->st.Icmp6InDestUnreachs++;
		break;
	case ICMP6_PACKET_TOO_BIG:
		s->st.Icmp6InPktTooBigs++;
		break;
	case ICMP6_TIME_EXCEEDED:
		s->st.Icmp6InTimeExcds++;
		break;
	case ICMP6_PARAM_PROB:
		s->st.Icmp6InParmProblems++;
		break;
	default:
		/* RFC 4443 2.4(b): unknown informational messages (and ND,
		 * MLD: no link layer here) are dropped silently. */
		return;
	}
	struct icmp6_tcp_error e;
	if (icmp6_tcp_error(&h, &e) == 0)
		tcp_icmp6_error(s, &e);
}

static void ip6_receive(gt_stack *s, const uint8_t *pkt, size_t len, bool whole)
{
	struct ipv6_hdr h;
	struct ipv6_chain c;
	memset(&c, 0, sizeof(c));
	enum ipv6_drop r = ipv6_parse_packet(pkt, len, &h, &c);
	if (r == IPV6_ERR_FRAGMENT && !whole) {
		/* RFC 8200 4.5: fragments of a packet for us are reassembled;
		 * the walk stopped at the Fragment header (c.l4_off), named by
		 * the field at c.nh_off. */
		s->st.Ip6InReceives++;
		if (!ip_is_local(s, h.dst)) {
			s->st.Ip6InAddrErrors++;
			return;
		}
		ip6_reasm(s, pkt, IPV6_HDR_LEN + (size_t)h.payload_len, c.l4_off, c.nh_off);
		return;
	}
	if (!whole) {
		IPV6_COUNT_INPUT(&s->st, r, &c);
	} else if (r != IPV6_OK) {
		/* A reassembled datagram is not received again; another
		 * Fragment header in it is not reassembled again. */
		IP6_STAT_INC(&s->st, ipv6_drop_stat(r));
	}
	if (r != IPV6_OK) {
		/* The walk's Parameter Problems, for packets that were ours. */
		if (c.icmp_type && r > IPV6_ERR_DST_INVALID && ip_is_local(s, h.dst))
			ip6_send_error(s, pkt, IPV6_HDR_LEN + (size_t)h.payload_len, h.dst, c.icmp_type,
				   c.icmp_code, c.icmp_pointer);
		return;
	}
	if (!ip_is_local(s, h.dst)) {
		s->st.Ip6InAddrErrors++; /* RFC 4293: not one of ours (we join no group) */
		return;
	}
	const uint8_t *l4 = pkt + c.l4_off;
	switch (c.proto) {
	case IPPROTO_TCP_:
		s->st.Ip6InDelivers++;
		s->rx_tos = h.tclass; /* its ECN field, for TCP (RFC 3168 6.1.3) */
		tcp_input(s, h.src, h.dst, l4, c.l4_len);
		s->rx_tos = 0;
		break;
	case IPPROTO_ICMPV6_:
		s->st.Ip6InDelivers++;
		icmp6_input(s, &h, l4, c.l4_len);
		break;
	case IPPROTO_UDP_:
		s->rx_tos = h.tclass;
		if (tcp_udptun_input(s, h.src, h.dst, l4, c.l4_len)) {
			s->rx_tos = 0;
			s->st.Ip6InDelivers++;
			break;
		}
		s->rx_tos = 0;
		goto unknown;
	case IPPROTO_NONE_:
		break; /* RFC 8200 4.7: nothing to deliver */
	default:
	unknown:
		/* RFC 8200 4: an unrecognised Next Header. */
		s->st.Ip6InUnknownProtos++;
		ip6_send_error(s, pkt, IPV6_HDR_LEN + (size_t)h.payload_len, h.dst, ICMP6_PARAM_PROB,
			   ICMP6_PARAM_NEXTHDR, c.nh_off);
		break;
	}
}

void ip6_input(gt_stack *s, const uint8_t *pkt, size_t len) { ip6_receive(s, pkt, len, false); }

void ip6_input_whole(gt_stack *s, const uint8_t *pkt, size_t len) { ip6_receive(s, pkt, len, true); }
