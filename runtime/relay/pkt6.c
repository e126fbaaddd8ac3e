/* IPv6 on the namespace's side of the relay: the fixed header parsed
 * (RFC 8200 3; extension headers are not followed, the packet is refused),
 * TCP translated between IPv6 and the IPv4 the stack speaks (the stateless
 * header translation of RFC 7915 4 and 5 for one flow: addresses and ports
 * from the flow, traffic class <-> TOS, hop limit <-> TTL, the transport
 * checksum updated for the other pseudo-header, RFC 1624), and the IPv6
 * packets the relay makes itself: an RST, ICMPv6 destination unreachable
 * (RFC 4443 3.1) and echo replies (4.2), their IPv6 headers before what
 * pkt_common.c makes for both versions. Pure: no I/O, unit-tested. */
#include "runtime/relay/pkt.h"
#include "runtime/relay/pkt_common.h"

#include <string.h>

#include "util/be.h"
#include "util/checksum.h"

/* The 16-bit one's complement sum of a partial sum, not complemented. */
static uint16_t fold16(uint32_t sum)
{
	return (uint16_t)~csum_fold(sum);
}

/* A checksum field c (complemented) over data whose summed terms old
 * become new (RFC 1624 eqn. 3, for whole sums). */
static uint16_t csum_replace(uint16_t c, uint16_t old, uint16_t new)
{
	return relay_csum_update16(c, old, new);
}

uint32_t relay_fold6(const uint8_t a[16])
{
	uint32_t h = 0;
	for (int i = 0; i < 16; i += 4)
		h ^= get_be32(a + i) * (0x9e3779b1u + (uint32_t)i);
	return h;
}

enum relay_pkt_verdict relay_pkt_parse6(uint8_t *buf, size_t len, struct relay_pkt *p)
{
	memset(p, 0, sizeof(*p));
	if (len < 40)
		return RELAY_PKT_BAD_IP;
	p->v6 = true;
	p->ip = buf;
	p->ihl = 40;
	p->len = 40 + (size_t)get_be16(buf + 4);
	if (p->len > len)
		return RELAY_PKT_BAD_IP;
	p->proto = buf[6];
	p->src6 = buf + 8;
	p->dst6 = buf + 24;
	p->src = relay_fold6(p->src6);
	p->dst = relay_fold6(p->dst6);
	p->l4 = buf + 40;
	p->l4_len = p->len - 40;
	if (p->proto == RELAY_PROTO_TCP)
		return relay_pkt_parse_tcp(p);
	if (p->proto == RELAY_PROTO_UDP)
		return relay_pkt_parse_udp(p);
	if (p->proto == RELAY_PROTO_ICMP6)
		return p->l4_len >= 8 ? RELAY_PKT_OK : RELAY_PKT_BAD_L4;
	/* Hop-by-hop options, routing, fragments: not followed (RFC 8200 4
	 * lets a node that does not process them drop the packet). */
	return RELAY_PKT_V6_EXT;
}

bool relay_pkt6_l4_csum_ok(const struct relay_pkt *p)
{
	if (p->proto == RELAY_PROTO_UDP && get_be16(p->l4 + 6) == 0)
		return false; /* RFC 8200 8.1: a zero UDP checksum is not allowed over IPv6 */
	uint32_t sum = csum_pseudo_ipv6(p->src6, p->dst6, p->proto, (uint32_t)p->l4_len);
	return csum_fold(csum_partial(p->l4, p->l4_len, sum)) == 0;
}

/* A SYN's MSS option less delta (the other header is 20 bytes longer),
 * the checksum *c following unless it is partial (c NULL). */
static void mss_less(uint8_t *tcp, size_t thl, uint16_t delta, uint16_t *c)
{
	for (size_t i = 20; i < thl;) {
		uint8_t kind = tcp[i];
		if (kind == 0)
			return;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= thl || tcp[i + 1] < 2 || i + tcp[i + 1] > thl)
			return;
		if (kind == 2 && tcp[i + 1] == 4) {
			uint16_t mss = get_be16(tcp + i + 2);
			/* The value may sit across two checksum words (after an odd
			 * number of NOPs): the update covers the aligned 4 bytes. */
			size_t w = (i + 2) & ~(size_t)1;
			if (mss <= 536 + delta || w + 4 > thl)
				return;
			uint16_t old = fold16(csum_partial(tcp + w, 4, 0));
			put_be16(tcp + i + 2, (uint16_t)(mss - delta));
			if (c)
				*c = csum_replace(*c, old, fold16(csum_partial(tcp + w, 4, 0)));
			return;
		}
		i += tcp[i + 1];
	}
}

/* The sum of the 16-bit words of n bytes (n even), not folded. */
static uint32_t words(const uint8_t *b, size_t n)
{
	return csum_partial(b, n, 0);
}

size_t relay_tcp6_to4(uint8_t *ip6, size_t len, uint32_t src, uint16_t sport, uint32_t dst,
		      uint16_t dport, bool partial, uint16_t ip_id)
{
	if (len < 60)
		return 0;
	uint8_t *t = ip6 + 40;
	size_t tlen = len - 40;
	size_t thl = (size_t)(t[12] >> 4) * 4;
	uint16_t c = get_be16(t + 16);
	/* The pseudo-header terms that change: the addresses and the next
	 * header and length (both the same sums in either form), and the
	 * ports. A partial checksum holds the pseudo-header's sum alone,
	 * uncomplemented (relay_pkt_rewrite()). */
	uint32_t old = words(ip6 + 8, 32);
	uint8_t a4[8];
	put_be32(a4, src);
	put_be32(a4 + 4, dst);
	uint32_t new = words(a4, 8);
	if (!partial) {
		old += get_be16(t) + (uint32_t)get_be16(t + 2);
		new += sport + (uint32_t)dport;
	} else {
		c = (uint16_t)~c;
	}
	c = csum_replace(c, fold16(old), fold16(new));
	if (partial)
		c = (uint16_t)~c;
	put_be16(t, sport);
	put_be16(t + 2, dport);
	if ((t[13] & RELAY_TCP_SYN) && thl <= tlen)
		mss_less(t, thl, 20, partial ? NULL : &c);
	put_be16(t + 16, c);
	/* The IPv4 header in the last 20 bytes of the IPv6 one. */
	uint8_t tc = (uint8_t)((ip6[0] & 0xf) << 4 | ip6[1] >> 4), hop = ip6[7];
	uint8_t *h = ip6 + 20;
	h[0] = 0x45;
	h[1] = tc;
	put_be16(h + 2, (uint16_t)(len - 20));
	put_be16(h + 4, ip_id);
	put_be16(h + 6, 0x4000); /* DF: RFC 7915 5.1 sets it when the IPv6 packet was not a fragment */
	h[8] = hop;
	h[9] = RELAY_PROTO_TCP;
	put_be16(h + 10, 0);
	put_be32(h + 12, src);
	put_be32(h + 16, dst);
	put_be16(h + 10, csum_fold(csum_partial(h, 20, 0)));
	return len - 20;
}

size_t relay_tcp4_to6(uint8_t *ip4, size_t len, const uint8_t src6[16], uint16_t sport,
		      const uint8_t dst6[16], uint16_t dport, bool partial)
{
	size_t ihl = (size_t)(ip4[0] & 0xf) * 4;
	if (len < ihl + 20 || ihl != 20)
		return 0;
	uint8_t *t = ip4 + ihl;
	size_t thl = (size_t)(t[12] >> 4) * 4;
	uint8_t tos = ip4[1], ttl = ip4[8];
	uint16_t c = get_be16(t + 16);
	/* A partial checksum (the pseudo-header's sum, uncomplemented, as
	 * relay_tcp6_to4()) follows the addresses only: the ports and the MSS
	 * are summed by whoever completes it. */
	uint32_t old = words(ip4 + 12, 8), new = words(src6, 16) + words(dst6, 16);
	if (!partial) {
		old += get_be16(t) + (uint32_t)get_be16(t + 2);
		new += sport + (uint32_t)dport;
	} else {
		c = (uint16_t)~c;
	}
	c = csum_replace(c, fold16(old), fold16(new));
	if (partial)
		c = (uint16_t)~c;
	put_be16(t, sport);
	put_be16(t + 2, dport);
	if ((t[13] & RELAY_TCP_SYN) && thl <= len - ihl)
		mss_less(t, thl, 20, partial ? NULL : &c);
	put_be16(t + 16, c);
	/* The IPv6 header over the IPv4 one and the 20 bytes before it. */
	uint8_t *h = ip4 - 20;
	h[0] = (uint8_t)(0x60 | tos >> 4);
	h[1] = (uint8_t)(tos << 4);
	h[2] = h[3] = 0;
	put_be16(h + 4, (uint16_t)(len - ihl));
	h[6] = RELAY_PROTO_TCP;
	h[7] = ttl;
	memcpy(h + 8, src6, 16);
	memcpy(h + 24, dst6, 16);
	return len + 20;
}

static void ip6_hdr(uint8_t *h, size_t payload, uint8_t nh, const uint8_t src[16],
		    const uint8_t dst[16])
{
	memset(h, 0, 4);
	h[0] = 0x60;
	put_be16(h + 4, (uint16_t)payload);
	h[6] = nh;
	h[7] = 64;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

size_t relay_emit_rst6_for(uint8_t *out, size_t cap, const struct relay_pkt *from)
{
	if (cap < 60)
		return 0;
	ip6_hdr(out, 20, RELAY_PROTO_TCP, from->dst6, from->src6);
	relay_rst_fill(out + 40, from, csum_pseudo_ipv6(from->dst6, from->src6, RELAY_PROTO_TCP, 20));
	return 60;
}

size_t relay_emit_icmp6_error(uint8_t *out, size_t cap, const uint8_t src[16], uint8_t type,
			      uint8_t code, uint32_t rest, const uint8_t *orig, size_t orig_len)
{
	if (orig_len < 40)
		return 0;
	/* RFC 4443 2.4 (c): as much of the packet as fits in the minimum MTU. */
	size_t quote = orig_len;
	if (quote > 1280 - 48)
		quote = 1280 - 48;
	if (cap < 48 + quote)
		quote = cap < 48 + 40 ? 0 : cap - 48;
	if (!quote)
		return 0;
	uint32_t pseudo = csum_pseudo_ipv6(src, orig + 8, RELAY_PROTO_ICMP6, (uint32_t)(8 + quote));
	relay_icmp_error_fill(out + 40, type, code, rest, orig, quote, pseudo);
	ip6_hdr(out, 8 + quote, RELAY_PROTO_ICMP6, src, orig + 8);
	return 48 + quote;
}

size_t relay_emit_echo6_reply(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16],
			      const uint8_t *echo, size_t echo_len)
{
	if (echo_len < 8 || 40 + echo_len > cap || echo_len > 65535)
		return 0;
	memmove(out + 40, echo, echo_len);
	ip6_hdr(out, echo_len, RELAY_PROTO_ICMP6, src, dst);
	relay_echo_reply_fill(out + 40, echo_len, RELAY_ICMP6_ECHO_REPLY,
			      csum_pseudo_ipv6(src, dst, RELAY_PROTO_ICMP6, (uint32_t)echo_len));
	return 40 + echo_len;
}

size_t relay_emit_udp6(uint8_t *out, size_t cap, const uint8_t src[16], uint16_t sport,
		       const uint8_t dst[16], uint16_t dport, size_t payload_len)
{
	size_t total = RELAY_UDP6_HDR_BYTES + payload_len;
	if (8 + payload_len > 65535 || total > cap)
		return 0;
	ip6_hdr(out, 8 + payload_len, RELAY_PROTO_UDP, src, dst);
	relay_udp_fill(out + 40, sport, dport, payload_len,
		       csum_pseudo_ipv6(src, dst, RELAY_PROTO_UDP, (uint32_t)(8 + payload_len)));
	return total;
}

size_t relay_echo6_quote(uint8_t out[RELAY_ECHO6_QUOTE_BYTES], const uint8_t *echo_ip, size_t echo_len,
			 const uint8_t host_icmp[8], uint16_t ns_id)
{
	if (echo_len < 40)
		return 0;
	memcpy(out, echo_ip, 40);
	/* The identifier and, with it, the checksum back to the namespace's
	 * (the pseudo-header's addresses were the host's: ICMPv6 sums them,
	 * RFC 4443 2.3, so the quoted checksum is not the namespace's own;
	 * nothing matches a quote by its checksum). */
	relay_echo_hdr_back(out + 40, host_icmp, ns_id);
	return RELAY_ECHO6_QUOTE_BYTES;
}
