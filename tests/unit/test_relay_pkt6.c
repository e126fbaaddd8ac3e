/* Unit tests for the relay's IPv6 packets (runtime/relay/pkt6.c): a TCP
 * segment translated IPv6 -> IPv4 -> IPv6 (RFC 7915) keeps a right
 * checksum each way (summed again in full), its addresses, ports, TTL and
 * traffic class, and a SYN's MSS drops by 20 each way, with or without a
 * NOP before it; the RST, the ICMPv6 error and the echo reply the relay
 * makes carry right checksums; extension headers are refused. */
#include "harness.h"

#include "runtime/relay/pkt.h"
#include "util/be.h"
#include "util/checksum.h"

static const uint8_t NS6[16] = { 0xfd, [14] = 0x01 };   /* fd00::100 */
static const uint8_t GW6[16] = { 0xfd, [15] = 0x02 };   /* fd00::2 */

/* An IPv6 TCP segment at b: 40 bytes of IPv6, a TCP
 * header of thl bytes (options from opt), payload bytes; checksum right. */
static size_t make6(uint8_t *b, uint8_t flags, const uint8_t *opt, size_t optlen, size_t payload)
{
	size_t thl = 20 + optlen, len = 40 + thl + payload;
	memset(b, 0, len);
	b[0] = 0x6b; /* traffic class 0xb2 */
	b[1] = 0x20;
	put_be16(b + 4, (uint16_t)(thl + payload));
	b[6] = RELAY_PROTO_TCP;
	b[7] = 57;
	memcpy(b + 8, NS6, 16);
	memcpy(b + 24, GW6, 16);
	uint8_t *t = b + 40;
	put_be16(t, 41000);
	put_be16(t + 2, 9300);
	put_be32(t + 4, 0x01020304);
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = flags;
	put_be16(t + 14, 64000);
	if (optlen)
		memcpy(t + 20, opt, optlen);
	for (size_t i = 0; i < payload; i++)
		t[thl + i] = (uint8_t)(i * 37 + 1);
	put_be16(t + 16, csum_fold(csum_partial(t, thl + payload,
						csum_pseudo_ipv6(NS6, GW6, RELAY_PROTO_TCP, (uint32_t)(thl + payload)))));
	return len;
}

static uint16_t mss_of(const uint8_t *t)
{
	size_t thl = (size_t)(t[12] >> 4) * 4;
	for (size_t i = 20; i + 3 < thl;) {
		if (t[i] == 1) {
			i++;
			continue;
		}
		if (t[i] == 2)
			return get_be16(t + i + 2);
		i += t[i + 1];
	}
	return 0;
}

TEST(relay_tcp6_to4_and_back_keep_checksums_and_clamp_mss)
{
	static const uint8_t mss[] = { 2, 4, 0xff, 0xc4, 1, 3, 3, 7 };       /* MSS 65476, wscale */
	static const uint8_t nop_mss[] = { 1, 2, 4, 0xff, 0xc4, 3, 3, 7 };   /* the MSS at an odd offset */
	const uint8_t *opts[] = { mss, nop_mss };
	for (int k = 0; k < 2; k++) {
		for (size_t payload = 0; payload < 30; payload += 29) {
			uint8_t buf[256];
			size_t n = make6(buf + 32, RELAY_TCP_SYN, opts[k], 8, payload);
			uint8_t *ip6 = buf + 32;
			size_t m = relay_tcp6_to4(ip6, n, 0x64400001, 1024, 0x0a000202, 1, false, 7);
			ASSERT_EQ(m, n - 20);
			uint8_t *ip4 = ip6 + 20;
			struct relay_pkt p;
			ASSERT_EQ(relay_pkt_parse(ip4, m, &p), RELAY_PKT_OK);
			ASSERT(!p.v6);
			ASSERT_EQ(csum_fold(csum_partial(ip4, 20, 0)), 0);
			ASSERT(relay_pkt_l4_csum_ok(&p));
			ASSERT_EQ(p.src, 0x64400001);
			ASSERT_EQ(p.dst, 0x0a000202);
			ASSERT_EQ(p.sport, 1024);
			ASSERT_EQ(p.dport, 1);
			ASSERT_EQ(ip4[1], 0xb2); /* traffic class -> TOS */
			ASSERT_EQ(ip4[8], 57);   /* hop limit -> TTL */
			ASSERT_EQ(mss_of(p.l4), 65456);
			ASSERT_EQ(p.payload_len, payload);
			/* And back, as the stack's answer would go. */
			size_t b6 = relay_tcp4_to6(ip4, m, GW6, 9300, NS6, 41000, false);
			ASSERT_EQ(b6, n);
			ASSERT_EQ(relay_pkt_parse(ip4 - 20, b6, &p), RELAY_PKT_OK);
			ASSERT(p.v6);
			ASSERT(relay_pkt_l4_csum_ok(&p));
			ASSERT_MEMEQ(p.src6, GW6, 16);
			ASSERT_MEMEQ(p.dst6, NS6, 16);
			ASSERT_EQ(p.sport, 9300);
			ASSERT_EQ(p.dport, 41000);
			ASSERT_EQ(mss_of(p.l4), 65436);
		}
	}
}

/* The stack's segment to an IPv6 flow with a partial checksum (the relay
 * sends them NEEDS_CSUM): made IPv6, the field is the IPv6 pseudo-header's
 * sum, uncomplemented, whatever the ports and the SYN's MSS became, and
 * completed as a device would (summed from the TCP header) it is right. */
TEST(relay_tcp4_to6_keeps_a_partial_checksum_partial)
{
	static const uint8_t mss[] = { 2, 4, 0xff, 0xc4, 1, 3, 3, 7 };     /* MSS 65476, wscale */
	static const uint8_t nop_mss[] = { 1, 2, 4, 0xff, 0xc4, 3, 3, 7 }; /* at an odd offset */
	const uint8_t *opts[] = { mss, nop_mss };
	for (int k = 0; k < 2; k++) {
		for (size_t payload = 0; payload < 30; payload += 29) {
			uint8_t buf[256];
			size_t n = make6(buf + 32, (uint8_t)(RELAY_TCP_SYN | RELAY_TCP_ACK), opts[k], 8, payload);
			uint8_t *ip6 = buf + 32;
			size_t m = relay_tcp6_to4(ip6, n, 0x64400001, 1024, 0x0a000202, 1, false, 7);
			ASSERT_EQ(m, n - 20);
			uint8_t *ip4 = ip6 + 20, *t = ip4 + 20;
			/* As the stack leaves it with tx_csum_offload: the IPv4
			 * pseudo-header's sum, folded, not complemented. */
			uint16_t tlen = (uint16_t)(m - 20);
			uint32_t ps = csum_pseudo_ipv4(0x64400001, 0x0a000202, RELAY_PROTO_TCP, tlen);
			ps = (ps & 0xffff) + (ps >> 16);
			put_be16(t + 16, (uint16_t)((ps & 0xffff) + (ps >> 16)));
			size_t b6 = relay_tcp4_to6(ip4, m, GW6, 9300, NS6, 41000, true);
			ASSERT_EQ(b6, n);
			uint8_t *o = ip4 - 20, *ot = o + 40;
			uint32_t want = csum_pseudo_ipv6(GW6, NS6, RELAY_PROTO_TCP, tlen);
			want = (want & 0xffff) + (want >> 16);
			want = (want & 0xffff) + (want >> 16);
			ASSERT_EQ(get_be16(ot + 16), want);
			ASSERT_EQ(mss_of(ot), 65436);
			put_be16(ot + 16, csum_fold(csum_partial(ot, tlen, 0)));
			struct relay_pkt p;
			ASSERT_EQ(relay_pkt_parse(o, b6, &p), RELAY_PKT_OK);
			ASSERT(p.v6);
			ASSERT(relay_pkt_l4_csum_ok(&p));
			ASSERT_EQ(p.sport, 9300);
			ASSERT_EQ(p.dport, 41000);
		}
	}
}

TEST(relay_ipv6_packets_of_the_relay_have_right_checksums)
{
	uint8_t syn[128], out[1400];
	size_t n = make6(syn, RELAY_TCP_SYN, NULL, 0, 0);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(syn, n, &p), RELAY_PKT_OK);
	/* The RST for a refused SYN: ACK of SEQ + 1, from the SYN's destination. */
	size_t m = relay_emit_rst6_for(out, sizeof(out), &p);
	ASSERT_EQ(m, 60);
	struct relay_pkt r;
	ASSERT_EQ(relay_pkt_parse(out, m, &r), RELAY_PKT_OK);
	ASSERT(relay_pkt_l4_csum_ok(&r));
	ASSERT_EQ(r.flags, RELAY_TCP_RST | RELAY_TCP_ACK);
	ASSERT_EQ(r.ack, 0x01020305u);
	ASSERT_MEMEQ(r.src6, GW6, 16);
	/* ICMPv6 no route, quoting the SYN whole. */
	m = relay_emit_icmp6_error(out, sizeof(out), GW6, RELAY_ICMP6_UNREACH, RELAY_UNREACH6_NOROUTE, 0, syn, n);
	ASSERT_EQ(m, 48 + n);
	ASSERT_EQ(relay_pkt_parse(out, m, &r), RELAY_PKT_OK);
	ASSERT_EQ(r.proto, RELAY_PROTO_ICMP6);
	ASSERT(relay_pkt_l4_csum_ok(&r));
	ASSERT_MEMEQ(r.dst6, NS6, 16);
	ASSERT_MEMEQ(r.l4 + 8, syn, n);
	/* An echo reply made over its request. */
	uint8_t e[64];
	memset(e, 0, sizeof(e));
	e[0] = 0x60;
	put_be16(e + 4, 16);
	e[6] = RELAY_PROTO_ICMP6;
	memcpy(e + 8, NS6, 16);
	memcpy(e + 24, GW6, 16);
	e[40] = RELAY_ICMP6_ECHO;
	put_be16(e + 44, 0x4242);
	memcpy(e + 48, "pingping", 8);
	m = relay_emit_echo6_reply(e, sizeof(e), GW6, NS6, e + 40, 16);
	ASSERT_EQ(m, 56);
	ASSERT_EQ(relay_pkt_parse(e, m, &r), RELAY_PKT_OK);
	ASSERT_EQ(r.l4[0], RELAY_ICMP6_ECHO_REPLY);
	ASSERT(relay_pkt_l4_csum_ok(&r));
	ASSERT_EQ(get_be16(r.l4 + 4), 0x4242);
	/* Extension headers are not followed. */
	syn[6] = 0;
	ASSERT_EQ(relay_pkt_parse(syn, n, &r), RELAY_PKT_V6_EXT);
}

TEST(relay_udp6_and_echo6_quote)
{
	uint8_t out[256];
	memcpy(out + RELAY_UDP6_HDR_BYTES, "hello, v6", 9);
	size_t m = relay_emit_udp6(out, sizeof(out), GW6, 9310, NS6, 40000, 9);
	ASSERT_EQ(m, 57);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(out, m, &p), RELAY_PKT_OK);
	ASSERT(p.v6);
	ASSERT(relay_pkt_l4_csum_ok(&p));
	ASSERT_EQ(p.sport, 9310);
	ASSERT_EQ(p.dport, 40000);
	ASSERT_EQ(p.payload_len, 9);
	/* The quote of the namespace's echo: its IPv6 header, its identifier. */
	uint8_t echo[48], host[8] = { RELAY_ICMP6_ECHO, 0, 0x12, 0x34, 0x99, 0x99, 0, 7 }, q[RELAY_ECHO6_QUOTE_BYTES];
	memset(echo, 0, sizeof(echo));
	echo[0] = 0x60;
	memcpy(echo + 8, NS6, 16);
	ASSERT_EQ(relay_echo6_quote(q, echo, 40, host, 0x4242), RELAY_ECHO6_QUOTE_BYTES);
	ASSERT_MEMEQ(q, echo, 40);
	ASSERT_EQ(get_be16(q + 44), 0x4242);
	ASSERT_EQ(get_be16(q + 46), 7);
	ASSERT_EQ(get_be16(q + 42), relay_csum_update16(0x1234, 0x9999, 0x4242));
	ASSERT_EQ(relay_echo6_quote(q, echo, 39, host, 1), 0);
}
