/* IPv4/TCP/UDP parsing, in-place address rewriting with incremental
 * checksums (RFC 1624), and the RST, ICMP and UDP packets the relay makes
 * itself (their IPv4 headers; what follows them is pkt_common.c's, as for
 * IPv6). Bounds are checked before every read (p, end). */
#include "runtime/relay/pkt.h"
#include "runtime/relay/pkt_common.h"

#include <string.h>

#include "util/be.h"
#include "util/checksum.h"

const char *relay_pkt_verdict_name(enum relay_pkt_verdict v)
{
	switch (v) {
	case RELAY_PKT_OK: return "ok";
	case RELAY_PKT_NOT_IPV4: return "not IPv4";
	case RELAY_PKT_BAD_IP: return "bad IPv4 header";
	case RELAY_PKT_FRAGMENT: return "fragment";
	case RELAY_PKT_BAD_L4: return "bad transport header";
	case RELAY_PKT_V6_EXT: return "IPv6 extension header";
	}
	return "?";
}

enum relay_pkt_verdict relay_pkt_parse_tcp(struct relay_pkt *p)
{
	if (p->l4_len < 20)
		return RELAY_PKT_BAD_L4;
	const uint8_t *t = p->l4;
	p->sport = get_be16(t);
	p->dport = get_be16(t + 2);
	p->seq = get_be32(t + 4);
	p->ack = get_be32(t + 8);
	p->thl = (size_t)(t[12] >> 4) * 4;
	p->flags = t[13];
	if (p->thl < 20 || p->thl > p->l4_len)
		return RELAY_PKT_BAD_L4;
	p->payload_len = p->l4_len - p->thl;
	return RELAY_PKT_OK;
}

enum relay_pkt_verdict relay_pkt_parse_udp(struct relay_pkt *p)
{
	if (p->l4_len < 8)
		return RELAY_PKT_BAD_L4;
	const uint8_t *u = p->l4;
	size_t ulen = get_be16(u + 4);
	if (ulen < 8 || ulen > p->l4_len)
		return RELAY_PKT_BAD_L4;
	p->sport = get_be16(u);
	p->dport = get_be16(u + 2);
	p->l4_len = ulen; /* RFC 768: the UDP length rules; bytes after it are padding */
	p->payload_len = ulen - 8;
	return RELAY_PKT_OK;
}

enum relay_pkt_verdict relay_pkt_parse(uint8_t *buf, size_t len, struct relay_pkt *p)
{
	if (len >= 1 && buf[0] >> 4 == 6)
		return relay_pkt_parse6(buf, len, p);
	memset(p, 0, sizeof(*p));
	if (len < 1 || buf[0] >> 4 != 4)
		return RELAY_PKT_NOT_IPV4;
	if (len < 20)
		return RELAY_PKT_BAD_IP;
	p->ip = buf;
	p->ihl = (size_t)(buf[0] & 0xf) * 4;
	p->len = get_be16(buf + 2);
	if (p->ihl < 20 || p->len < p->ihl || p->len > len)
		return RELAY_PKT_BAD_IP;
	if (csum_fold(csum_partial(buf, p->ihl, 0)) != 0)
		return RELAY_PKT_BAD_IP;
	uint16_t frag = get_be16(buf + 6);
	if (frag & 0x3fff) /* MF or a fragment offset */
		return RELAY_PKT_FRAGMENT;
	p->proto = buf[9];
	p->src = get_be32(buf + 12);
	p->dst = get_be32(buf + 16);
	p->l4 = buf + p->ihl;
	p->l4_len = p->len - p->ihl;
	if (p->proto == RELAY_PROTO_TCP)
		return relay_pkt_parse_tcp(p);
	if (p->proto == RELAY_PROTO_UDP)
		return relay_pkt_parse_udp(p);
	return RELAY_PKT_OK;
}

bool relay_pkt_l4_csum_ok(const struct relay_pkt *p)
{
	if (p->v6)
		return relay_pkt6_l4_csum_ok(p);
	/* ICMP's checksum covers the message alone (RFC 792). */
	if (p->proto == RELAY_PROTO_ICMP)
		return p->l4_len >= 4 && csum_fold(csum_partial(p->l4, p->l4_len, 0)) == 0;
	size_t off = p->proto == RELAY_PROTO_TCP ? 16 : 6;
	if (p->proto == RELAY_PROTO_UDP && get_be16(p->l4 + 6) == 0)
		return true;
	if (p->l4_len < off + 2)
		return false;
	uint32_t sum = csum_pseudo_ipv4(p->src, p->dst, p->proto, (uint16_t)p->l4_len);
	return csum_fold(csum_partial(p->l4, p->l4_len, sum)) == 0;
}

uint16_t relay_csum_update16(uint16_t csum, uint16_t old, uint16_t new)
{
	/* HC' = ~(~HC + ~m + m'), in one's complement arithmetic. */
	uint32_t sum = (uint16_t)~csum + (uint32_t)(uint16_t)~old + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Replaces the 16-bit word at p by v; the checksums that cover it follow. */
static void swap16(uint8_t *p, uint16_t v, uint16_t *c1, uint16_t *c2)
{
	uint16_t old = get_be16(p);
	if (c1)
		*c1 = relay_csum_update16(*c1, old, v);
	if (c2)
		*c2 = relay_csum_update16(*c2, old, v);
	put_be16(p, v);
}

void relay_pkt_rewrite(uint8_t *ip, size_t ihl, uint8_t proto, uint32_t src, uint16_t sport,
		       uint32_t dst, uint16_t dport, bool l4_partial)
{
	uint8_t *l4 = ip + ihl;
	size_t csum_off = proto == RELAY_PROTO_TCP ? 16 : 6;
	uint16_t ipc = get_be16(ip + 10), l4c = get_be16(l4 + csum_off);
	/* RFC 768: a UDP checksum of 0 says none was computed; it stays so. */
	uint16_t *l4cp = proto == RELAY_PROTO_UDP && l4c == 0 && !l4_partial ? NULL : &l4c;
	/* A partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM, Linux's
	 * CHECKSUM_PARTIAL) is the pseudo-header's sum, folded and not
	 * complemented; whoever completes it sums the transport header and
	 * payload from csum_start. So only the addresses change it, and RFC
	 * 1624's update applies to its complement. */
	if (l4_partial)
		l4c = (uint16_t)~l4c;
	/* The addresses are in the IPv4 header and in the transport
	 * checksum's pseudo-header; the ports only in the transport header. */
	swap16(ip + 12, (uint16_t)(src >> 16), &ipc, l4cp);
	swap16(ip + 14, (uint16_t)src, &ipc, l4cp);
	swap16(ip + 16, (uint16_t)(dst >> 16), &ipc, l4cp);
	swap16(ip + 18, (uint16_t)dst, &ipc, l4cp);
	swap16(l4, sport, l4_partial ? NULL : l4cp, NULL);
	swap16(l4 + 2, dport, l4_partial ? NULL : l4cp, NULL);
	put_be16(ip + 10, ipc);
	if (l4_partial) {
		put_be16(l4 + csum_off, (uint16_t)~l4c);
	} else if (l4cp) {
		/* RFC 768: a computed UDP checksum of 0 is sent as all ones. */
		if (proto == RELAY_PROTO_UDP && l4c == 0)
			l4c = 0xffff;
		put_be16(l4 + csum_off, l4c);
	}
}

/* An IPv4 header without options, checksum filled; DF as the stack sets it
 * for TCP, not for the relay's UDP and ICMP (they may be fragmented on
 * their way, as the kernel's would). */
static void ip_hdr(uint8_t *h, size_t total, uint8_t proto, uint32_t src, uint32_t dst,
		   uint16_t ip_id, bool df)
{
	h[0] = 0x45;
	h[1] = 0;
	put_be16(h + 2, (uint16_t)total);
	put_be16(h + 4, ip_id);
	put_be16(h + 6, df ? 0x4000 : 0);
	h[8] = 64;
	h[9] = proto;
	put_be16(h + 10, 0);
	put_be32(h + 12, src);
	put_be32(h + 16, dst);
	put_be16(h + 10, csum_fold(csum_partial(h, 20, 0)));
}

size_t relay_emit_rst_for(uint8_t *out, size_t cap, const struct relay_pkt *from, uint16_t ip_id)
{
	if (cap < RELAY_RST_BYTES)
		return 0;
	ip_hdr(out, RELAY_RST_BYTES, RELAY_PROTO_TCP, from->dst, from->src, ip_id, true);
	relay_rst_fill(out + 20, from, csum_pseudo_ipv4(from->dst, from->src, RELAY_PROTO_TCP, 20));
	return RELAY_RST_BYTES;
}

size_t relay_emit_unreach(uint8_t *out, size_t cap, uint32_t src, uint8_t code,
			  const uint8_t *orig, size_t orig_len, uint16_t ip_id)
{
	return relay_emit_icmp_error(out, cap, src, RELAY_ICMP_UNREACH, code, 0, orig, orig_len, ip_id);
}

size_t relay_emit_icmp_error(uint8_t *out, size_t cap, uint32_t src, uint8_t type, uint8_t code,
			     uint32_t rest, const uint8_t *orig, size_t orig_len, uint16_t ip_id)
{
	if (orig_len < 20)
		return 0;
	size_t quote = (size_t)(orig[0] & 0xf) * 4 + 8;
	if (quote > orig_len)
		quote = orig_len;
	size_t total = 20 + 8 + quote;
	if (cap < total)
		return 0;
	uint32_t to = get_be32(orig + 12);
	ip_hdr(out, total, RELAY_PROTO_ICMP, src, to, ip_id, false);
	relay_icmp_error_fill(out + 20, type, code, rest, orig, quote, 0);
	return total;
}

size_t relay_emit_udp(uint8_t *out, size_t cap, uint32_t src, uint16_t sport, uint32_t dst,
		      uint16_t dport, size_t payload_len, uint16_t ip_id)
{
	size_t total = RELAY_UDP_HDR_BYTES + payload_len;
	if (total > 65535 || total > cap)
		return 0;
	ip_hdr(out, total, RELAY_PROTO_UDP, src, dst, ip_id, false);
	relay_udp_fill(out + 20, sport, dport, payload_len,
		       csum_pseudo_ipv4(src, dst, RELAY_PROTO_UDP, (uint16_t)(8 + payload_len)));
	return total;
}

size_t relay_emit_echo_reply(uint8_t *out, size_t cap, uint32_t src, uint32_t dst, uint16_t id,
			     size_t icmp_len, uint16_t ip_id)
{
	size_t total = 20 + icmp_len;
	if (icmp_len < 8 || total > 65535 || total > cap)
		return 0;
	ip_hdr(out, total, RELAY_PROTO_ICMP, src, dst, ip_id, false);
	put_be16(out + 24, id);
	relay_echo_reply_fill(out + 20, icmp_len, RELAY_ICMP_ECHO_REPLY, 0);
	return total;
}

size_t relay_echo_quote(uint8_t out[RELAY_ECHO_QUOTE_BYTES], const uint8_t *echo_ip, size_t echo_len,
			const uint8_t host_icmp[8], uint16_t ns_id)
{
	if (echo_len < 20)
		return 0;
	/* The namespace's IPv4 header as it left (options dropped: the quote
	 * names the socket by addresses and the echo's identifier). */
	memcpy(out, echo_ip, 20);
	out[0] = 0x45;
	put_be16(out + 10, 0);
	put_be16(out + 10, csum_fold(csum_partial(out, 20, 0)));
	/* Its ICMP header: the host's echo as the error quoted it, with the
	 * namespace's identifier back in, so that the quote is the
	 * namespace's own echo. */
	relay_echo_hdr_back(out + 20, host_icmp, ns_id);
	return RELAY_ECHO_QUOTE_BYTES;
}
