/* Packets the swarm puts on the wire itself (see swarm_inject.h). */
#include "sim/swarm_inject.h"

#include <string.h>

#include "util/be.h"
#include "wire/icmp.h"
#include "wire/icmp6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp_wire.h"

static size_t ip_header(uint8_t *out, uint32_t src, uint32_t dst, uint8_t proto, size_t payload)
{
	struct ipv4_hdr h = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + payload),
		.id = 0x5157, .ttl = 64, .proto = proto, .src = src, .dst = dst,
	};
	return ipv4_emit(out, &h);
}

size_t inj_tcp(uint8_t *out, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
	       uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, const uint8_t *opts,
	       size_t olen, size_t payload_len)
{
	if (olen > TCP_OPT_MAX)
		olen = TCP_OPT_MAX;
	size_t doff = TCP_HDR_MIN + (olen + 3) / 4 * 4;
	if (IPV4_HDR_MIN + doff + payload_len > INJ_MAX)
		payload_len = INJ_MAX - IPV4_HDR_MIN - doff;
	uint8_t *seg = out + IPV4_HDR_MIN;
	memset(seg + doff, 0x5a, payload_len);
	struct tcp_hdr h = {.sport = sport, .dport = dport, .seq = seq, .ack = ack,
			    .doff_bytes = (uint8_t)doff, .flags = flags, .win = win};
	tcp_emit(seg, &h, opts, olen, payload_len, src, dst);
	ip_header(out, src, dst, 6, doff + payload_len);
	return IPV4_HDR_MIN + doff + payload_len;
}

size_t inj_tcp_ecn(uint8_t *out, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		   uint32_t seq, uint8_t flags, bool ae, uint8_t ecn, const uint8_t *opts,
		   size_t olen)
{
	if (olen > TCP_OPT_MAX)
		olen = TCP_OPT_MAX;
	size_t doff = TCP_HDR_MIN + (olen + 3) / 4 * 4;
	struct tcp_hdr h = {.sport = sport, .dport = dport, .seq = seq, .doff_bytes = (uint8_t)doff,
			    .flags = flags, .ae = ae, .win = 65535};
	tcp_emit(out + IPV4_HDR_MIN, &h, opts, olen, 0, src, dst);
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .tos = (uint8_t)(ecn & 3), .total_len = (uint16_t)(IPV4_HDR_MIN + doff),
		.id = 0x5157, .ttl = 64, .proto = 6, .src = src, .dst = dst,
	};
	ipv4_emit(out, &ih);
	return IPV4_HDR_MIN + doff;
}

size_t inj_icmp_unreach(uint8_t *out, uint32_t from, uint8_t code, uint16_t next_mtu,
			const uint8_t *quoted, size_t quoted_len)
{
	if (quoted_len < IPV4_HDR_MIN + 8 || (quoted[0] >> 4) != 4)
		return 0;
	size_t ihl = (size_t)(quoted[0] & 15) * 4, body = ihl + 8;
	if (body > quoted_len)
		return 0;
	uint32_t to = (uint32_t)quoted[12] << 24 | (uint32_t)quoted[13] << 16 |
		      (uint32_t)quoted[14] << 8 | quoted[15];
	size_t n = icmp_emit(out + IPV4_HDR_MIN, ICMP_DEST_UNREACH, code,
			     code == ICMP_UNREACH_FRAG_NEEDED ? next_mtu : 0, quoted, body);
	ip_header(out, from, to, 1, n);
	return IPV4_HDR_MIN + n;
}

void inj_flip_bits(uint8_t *pkt, size_t len, size_t word_off, uint32_t bits, uint64_t pick)
{
	if (word_off + 2 > len)
		return;
	if (bits < 2)
		bits = 2;
	if (bits > 15)
		bits = 15;
	uint16_t mask = 0;
	for (uint32_t n = 0; n < bits;) {
		uint16_t b = (uint16_t)(1u << (pick % 16));
		pick = pick * 6364136223846793005ull + 1442695040888963407ull;
		if (mask & b)
			continue;
		mask |= b;
		n++;
	}
	pkt[word_off] ^= (uint8_t)(mask >> 8);
	pkt[word_off + 1] ^= (uint8_t)mask;
}

size_t inj_icmp_echo(uint8_t *out, uint32_t src, uint32_t dst, uint16_t id)
{
	static const uint8_t body[8] = {'g', 'l', 'a', 's', 's', 't', 'c', 'p'};
	size_t n = icmp_emit(out + IPV4_HDR_MIN, ICMP_ECHO_REQUEST, 0, (uint32_t)id << 16 | 1, body,
			     sizeof(body));
	ip_header(out, src, dst, 1, n);
	return IPV4_HDR_MIN + n;
}

size_t inj_udp_wrap(uint8_t *out, const uint8_t *pkt, size_t len, uint16_t sport, uint16_t dport,
		    bool short_len)
{
	if (len < IPV4_HDR_MIN || len + 8 > INJ_MAX)
		return 0;
	size_t seg = len - IPV4_HDR_MIN, ulen = short_len ? 8 + 10 : 8 + seg;
	memmove(out + IPV4_HDR_MIN + 8, pkt + IPV4_HDR_MIN, seg);
	if (out != pkt)
		memcpy(out, pkt, IPV4_HDR_MIN);
	uint8_t *u = out + IPV4_HDR_MIN;
	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = (uint8_t)(ulen >> 8);
	u[5] = (uint8_t)ulen;
	u[6] = u[7] = 0; /* no checksum (RFC 768: IPv4 only) */
	size_t total = IPV4_HDR_MIN + 8 + seg;
	out[2] = (uint8_t)(total >> 8);
	out[3] = (uint8_t)total;
	inj_set_ip(out, 17, false);
	return total;
}

void inj_set_ip(uint8_t *pkt, uint8_t proto, bool more_fragments)
{
	pkt[9] = proto;
	if (more_fragments)
		pkt[6] |= 0x20;
	pkt[10] = pkt[11] = 0;
	uint32_t sum = 0;
	for (int i = 0; i < IPV4_HDR_MIN; i += 2)
		sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	pkt[10] = (uint8_t)(~sum >> 8);
	pkt[11] = (uint8_t)~sum;
}

size_t inj_tcp6(uint8_t *out, const struct gt_in6_addr *src, uint16_t sport,
		const struct gt_in6_addr *dst, uint16_t dport, uint32_t seq, uint32_t ack,
		uint8_t flags, uint16_t win, const uint8_t *opts, size_t olen, size_t payload_len)
{
	if (olen > TCP_OPT_MAX)
		olen = TCP_OPT_MAX;
	size_t doff = TCP_HDR_MIN + (olen + 3) / 4 * 4;
	if (IPV6_HDR_LEN + doff + payload_len > INJ_MAX)
		payload_len = INJ_MAX - IPV6_HDR_LEN - doff;
	uint8_t *seg = out + IPV6_HDR_LEN;
	memset(seg + doff, 0x5a, payload_len);
	struct tcp_hdr h = {.sport = sport, .dport = dport, .seq = seq, .ack = ack,
			    .doff_bytes = (uint8_t)doff, .flags = flags, .win = win};
	ipv6_tcp_emit(seg, &h, opts, olen, payload_len, src, dst);
	struct ipv6_hdr ip = {.payload_len = (uint16_t)(doff + payload_len), .next = 6,
			      .hop_limit = 64, .src = *src, .dst = *dst};
	ipv6_emit(out, &ip);
	return IPV6_HDR_LEN + doff + payload_len;
}

size_t inj_icmp6_error(uint8_t *out, const struct gt_in6_addr *from, uint8_t type,
		       uint8_t code, uint32_t param, const uint8_t *quoted, size_t quoted_len)
{
	return icmp6_error_build(out, INJ_MAX, type, code, param, quoted, quoted_len, from, 64);
}

size_t inj_icmp6_echo(uint8_t *out, const struct gt_in6_addr *src,
		      const struct gt_in6_addr *dst, uint16_t id, bool reply)
{
	static const uint8_t body[8] = {'g', 'l', 'a', 's', 's', 't', 'c', 'p'};
	struct ipv6_hdr ip = {.payload_len = ICMP6_HDR_LEN + sizeof(body), .next = 58,
			      .hop_limit = 64, .src = *src, .dst = *dst};
	ipv6_emit(out, &ip);
	return IPV6_HDR_LEN + icmp6_emit(out + IPV6_HDR_LEN,
					 reply ? ICMP6_ECHO_REPLY : ICMP6_ECHO_REQUEST, 0,
					 (uint32_t)id << 16 | 1, body, sizeof(body), src, dst);
}

size_t inj_fragment6(uint8_t *pkt, size_t len, uint32_t ident)
{
	if (len < IPV6_HDR_LEN)
		return len;
	memmove(pkt + IPV6_HDR_LEN + 8, pkt + IPV6_HDR_LEN, len - IPV6_HDR_LEN);
	uint8_t *f = pkt + IPV6_HDR_LEN;
	f[0] = pkt[6];  /* what follows it: the fixed header's old Next Header */
	f[1] = 0;
	put_be16(f + 2, 1); /* offset 0, M = 1 */
	put_be32(f + 4, ident);
	pkt[6] = 44;    /* Fragment */
	put_be16(pkt + 4, (uint16_t)(get_be16(pkt + 4) + 8));
	return len + 8;
}

size_t inj_frag4(uint8_t *out, const uint8_t *dgram, size_t lo, size_t n, bool more)
{
	memcpy(out, dgram, IPV4_HDR_MIN);
	memcpy(out + IPV4_HDR_MIN, dgram + IPV4_HDR_MIN + lo, n);
	put_be16(out + 2, (uint16_t)(IPV4_HDR_MIN + n));
	put_be16(out + 6, (uint16_t)(lo / 8));
	inj_set_ip(out, dgram[9], more);
	return IPV4_HDR_MIN + n;
}

size_t inj_frag6(uint8_t *out, const uint8_t *dgram, size_t lo, size_t n, bool more,
		 uint32_t ident)
{
	memcpy(out, dgram, IPV6_HDR_LEN);
	uint8_t *f = out + IPV6_HDR_LEN;
	f[0] = dgram[6]; /* the datagram's Next Header */
	f[1] = 0;
	put_be16(f + 2, (uint16_t)(lo / 8 << 3 | (more ? 1 : 0)));
	put_be32(f + 4, ident);
	memcpy(f + 8, dgram + IPV6_HDR_LEN + lo, n);
	out[6] = 44; /* Fragment */
	put_be16(out + 4, (uint16_t)(8 + n));
	return IPV6_HDR_LEN + 8 + n;
}

size_t inj_ext6(uint8_t *pkt, size_t len, int n)
{
	if (len < IPV6_HDR_LEN || len + 8 * (size_t)n > INJ_MAX)
		return len;
	for (int i = 0; i < n; i++) {
		memmove(pkt + IPV6_HDR_LEN + 8, pkt + IPV6_HDR_LEN, len - IPV6_HDR_LEN);
		uint8_t *d = pkt + IPV6_HDR_LEN;
		d[0] = pkt[6]; /* what follows it */
		d[1] = 0;      /* 8 bytes */
		d[2] = 1;      /* PadN over the rest */
		d[3] = 4;
		memset(d + 4, 0, 4);
		pkt[6] = 60;   /* Destination Options */
		put_be16(pkt + 4, (uint16_t)(get_be16(pkt + 4) + 8));
		len += 8;
	}
	return len;
}
