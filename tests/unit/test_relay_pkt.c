/* Unit tests for the relay's packets (runtime/relay/pkt.c): the NAT
 * rewrite keeps TCP and UDP checksums right (checked by summing the whole
 * packet again, for random payloads of odd and even length), a zero UDP
 * checksum stays zero, the RST a refused SYN gets (RFC 9293 3.10.7.1), the
 * ICMP unreachable quoting the SYN's header and ports (RFC 792), a UDP
 * datagram made from scratch, and the parser's refusals. */
#include "harness.h"

#include "runtime/relay/pkt.h"
#include "util/be.h"
#include "util/checksum.h"

/* A TCP or UDP packet with valid checksums: 20 bytes of IPv4, the
 * transport header, payload bytes from a fixed pattern. */
static size_t make(uint8_t *b, uint8_t proto, uint32_t src, uint16_t sport, uint32_t dst,
		   uint16_t dport, size_t payload)
{
	size_t th = proto == RELAY_PROTO_TCP ? 20 : 8, len = 20 + th + payload;
	memset(b, 0, len);
	b[0] = 0x45;
	put_be16(b + 2, (uint16_t)len);
	put_be16(b + 6, 0x4000);
	b[8] = 64;
	b[9] = proto;
	put_be32(b + 12, src);
	put_be32(b + 16, dst);
	put_be16(b + 10, csum_fold(csum_partial(b, 20, 0)));
	uint8_t *t = b + 20;
	put_be16(t, sport);
	put_be16(t + 2, dport);
	if (proto == RELAY_PROTO_TCP) {
		put_be32(t + 4, 0x11223344);
		put_be32(t + 8, 0x55667788);
		t[12] = 5 << 4;
		t[13] = RELAY_TCP_ACK;
		put_be16(t + 14, 65535);
	} else {
		put_be16(t + 4, (uint16_t)(8 + payload));
	}
	for (size_t i = 0; i < payload; i++)
		t[th + i] = (uint8_t)(i * 131 + 7);
	size_t off = proto == RELAY_PROTO_TCP ? 16 : 6;
	uint32_t sum = csum_pseudo_ipv4(src, dst, proto, (uint16_t)(th + payload));
	uint16_t c = csum_fold(csum_partial(t, th + payload, sum));
	put_be16(t + off, proto == RELAY_PROTO_UDP && c == 0 ? 0xffff : c);
	return len;
}

static bool ip_csum_ok(const uint8_t *b) { return csum_fold(csum_partial(b, 20, 0)) == 0; }

TEST(relay_rewrite_keeps_tcp_and_udp_checksums)
{
	uint8_t b[2048];
	const uint8_t protos[] = { RELAY_PROTO_TCP, RELAY_PROTO_UDP };
	for (size_t k = 0; k < 2; k++) {
		for (size_t payload = 0; payload < 40; payload += 7) {
			size_t n = make(b, protos[k], 0x0a000264, 40000 + (uint16_t)payload, 0x5db8d822, 443,
					payload);
			relay_pkt_rewrite(b, 20, protos[k], 0x64400001, 1025, 0x0a000202, 1, false);
			struct relay_pkt p;
			ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_OK);
			ASSERT(ip_csum_ok(b));
			ASSERT(relay_pkt_l4_csum_ok(&p));
			ASSERT_EQ(p.src, 0x64400001);
			ASSERT_EQ(p.sport, 1025);
			ASSERT_EQ(p.dst, 0x0a000202);
			ASSERT_EQ(p.dport, 1);
			/* And back: the packet is what it was. */
			uint8_t again[2048];
			make(again, protos[k], 0x0a000264, 40000 + (uint16_t)payload, 0x5db8d822, 443, payload);
			relay_pkt_rewrite(b, 20, protos[k], 0x0a000264, 40000 + (uint16_t)payload, 0x5db8d822,
					  443, false);
			ASSERT_MEMEQ(b, again, n);
		}
	}
}

TEST(relay_rewrite_leaves_a_zero_udp_checksum)
{
	uint8_t b[64];
	size_t n = make(b, RELAY_PROTO_UDP, 0x0a000264, 5000, 0x0a000203, 53, 12);
	put_be16(b + 26, 0); /* "no checksum" (RFC 768) */
	relay_pkt_rewrite(b, 20, RELAY_PROTO_UDP, 0x7f000001, 5000, 0x7f000001, 5353, false);
	ASSERT_EQ(get_be16(b + 26), 0);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_OK);
	ASSERT(relay_pkt_l4_csum_ok(&p));
	ASSERT(ip_csum_ok(b));
}

TEST(relay_rst_for_a_syn_acks_it)
{
	uint8_t b[64], out[64];
	size_t n = make(b, RELAY_PROTO_TCP, 0x0a000264, 41000, 0x0a000202, 9003, 0);
	b[33] = RELAY_TCP_SYN; /* flags: a bare SYN */
	put_be16(b + 36, 0);
	uint32_t sum = csum_pseudo_ipv4(0x0a000264, 0x0a000202, RELAY_PROTO_TCP, 20);
	put_be16(b + 36, csum_fold(csum_partial(b + 20, 20, sum)));
	struct relay_pkt syn, rst;
	ASSERT_EQ(relay_pkt_parse(b, n, &syn), RELAY_PKT_OK);
	ASSERT(relay_pkt_l4_csum_ok(&syn));
	size_t m = relay_emit_rst_for(out, sizeof(out), &syn, 7);
	ASSERT_EQ(m, RELAY_RST_BYTES);
	ASSERT_EQ(relay_pkt_parse(out, m, &rst), RELAY_PKT_OK);
	ASSERT(ip_csum_ok(out));
	ASSERT(relay_pkt_l4_csum_ok(&rst));
	/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, from the SYN's destination. */
	ASSERT_EQ(rst.flags, RELAY_TCP_RST | RELAY_TCP_ACK);
	ASSERT_EQ(rst.seq, 0);
	ASSERT_EQ(rst.ack, 0x11223345);
	ASSERT_EQ(rst.src, 0x0a000202);
	ASSERT_EQ(rst.sport, 9003);
	ASSERT_EQ(rst.dst, 0x0a000264);
	ASSERT_EQ(rst.dport, 41000);
}

TEST(relay_rst_for_an_ack_takes_its_seq)
{
	uint8_t b[128], out[64];
	size_t n = make(b, RELAY_PROTO_TCP, 0x0a000264, 41000, 0x0a000202, 80, 10);
	struct relay_pkt seg, rst;
	ASSERT_EQ(relay_pkt_parse(b, n, &seg), RELAY_PKT_OK);
	size_t m = relay_emit_rst_for(out, sizeof(out), &seg, 1);
	ASSERT_EQ(relay_pkt_parse(out, m, &rst), RELAY_PKT_OK);
	ASSERT_EQ(rst.flags, RELAY_TCP_RST);
	ASSERT_EQ(rst.seq, 0x55667788);
	ASSERT(relay_pkt_l4_csum_ok(&rst));
}

TEST(relay_unreach_quotes_header_and_ports)
{
	uint8_t b[128], out[128];
	size_t n = make(b, RELAY_PROTO_TCP, 0x0a000264, 41000, 0xc0000201, 80, 30);
	size_t m = relay_emit_unreach(out, sizeof(out), 0x0a000202, RELAY_UNREACH_HOST, b, n, 3);
	ASSERT_EQ(m, 20 + 8 + 20 + 8);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(out, m, &p), RELAY_PKT_OK);
	ASSERT(ip_csum_ok(out));
	ASSERT_EQ(p.proto, RELAY_PROTO_ICMP);
	ASSERT_EQ(p.src, 0x0a000202);
	ASSERT_EQ(p.dst, 0x0a000264);
	ASSERT_EQ(p.l4[0], RELAY_ICMP_UNREACH);
	ASSERT_EQ(p.l4[1], RELAY_UNREACH_HOST);
	ASSERT_EQ(csum_fold(csum_partial(p.l4, p.l4_len, 0)), 0);
	ASSERT_MEMEQ(p.l4 + 8, b, 28); /* the IPv4 header, ports and sequence number */
}

TEST(relay_udp_from_scratch)
{
	uint8_t out[256];
	memcpy(out + RELAY_UDP_HDR_BYTES, "hello, namespace", 16);
	size_t m = relay_emit_udp(out, sizeof(out), 0x0a000203, 53, 0x0a000264, 33000, 16, 9);
	ASSERT_EQ(m, 44);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(out, m, &p), RELAY_PKT_OK);
	ASSERT(ip_csum_ok(out));
	ASSERT(relay_pkt_l4_csum_ok(&p));
	ASSERT_EQ(p.payload_len, 16);
	ASSERT_EQ(p.sport, 53);
	ASSERT_EQ(relay_emit_udp(out, 40, 1, 2, 3, 4, 16, 0), 0); /* does not fit */
}

TEST(relay_parse_refuses)
{
	uint8_t b[128];
	struct relay_pkt p;
	size_t n = make(b, RELAY_PROTO_TCP, 0x0a000264, 1, 0x0a000202, 2, 0);
	ASSERT_EQ(relay_pkt_parse(b, 19, &p), RELAY_PKT_BAD_IP);
	ASSERT_EQ(relay_pkt_parse(b, n - 1, &p), RELAY_PKT_BAD_IP); /* total length past the read */
	b[0] = 0x50; /* neither 4 nor 6 (IPv6 is parsed: test_relay_pkt6.c) */
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_NOT_IPV4);
	make(b, RELAY_PROTO_TCP, 0x0a000264, 1, 0x0a000202, 2, 0);
	b[8] = 63; /* header checksum now wrong */
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_BAD_IP);
	make(b, RELAY_PROTO_TCP, 0x0a000264, 1, 0x0a000202, 2, 0);
	put_be16(b + 6, 0x2000); /* MF */
	put_be16(b + 10, 0);
	put_be16(b + 10, csum_fold(csum_partial(b, 20, 0)));
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_FRAGMENT);
	make(b, RELAY_PROTO_TCP, 0x0a000264, 1, 0x0a000202, 2, 0);
	b[32] = 15 << 4; /* data offset 60 > 20 bytes there */
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_BAD_L4);
	n = make(b, RELAY_PROTO_UDP, 0x0a000264, 1, 0x0a000203, 53, 4);
	put_be16(b + 24, 40); /* UDP length past the datagram */
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_BAD_L4);
}

/* A partial checksum (the pseudo-header's sum, folded, not complemented:
 * VIRTIO_NET_HDR_F_NEEDS_CSUM) stays the partial sum of the new addresses,
 * whatever the ports become: completing it then gives the right checksum. */
TEST(relay_rewrite_keeps_a_partial_checksum_partial)
{
	uint8_t b[2048];
	for (size_t payload = 0; payload < 40; payload += 13) {
		size_t n = make(b, RELAY_PROTO_TCP, 0x0a000264, 40000, 0x5db8d822, 443, payload);
		uint16_t len = (uint16_t)(n - 20);
		uint32_t ps = csum_pseudo_ipv4(0x0a000264, 0x5db8d822, RELAY_PROTO_TCP, len);
		ps = (ps & 0xffff) + (ps >> 16);
		put_be16(b + 20 + 16, (uint16_t)((ps & 0xffff) + (ps >> 16)));
		relay_pkt_rewrite(b, 20, RELAY_PROTO_TCP, 0x64400007, 1031, 0x0a000202, 1, true);
		uint32_t want = csum_pseudo_ipv4(0x64400007, 0x0a000202, RELAY_PROTO_TCP, len);
		want = (want & 0xffff) + (want >> 16);
		want = (want & 0xffff) + (want >> 16);
		ASSERT_EQ(get_be16(b + 20 + 16), want);
		ASSERT(ip_csum_ok(b));
		/* Completed as a device would (sum from csum_start), it is right. */
		put_be16(b + 20 + 16, csum_fold(csum_partial(b + 20, len, 0)));
		struct relay_pkt p;
		ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_OK);
		ASSERT(relay_pkt_l4_csum_ok(&p));
	}
}

/* An echo reply as a ping socket returned it, made a packet to the
 * namespace: the identifier is the namespace's, the checksum right. */
TEST(relay_echo_reply_carries_the_namespace_identifier)
{
	uint8_t b[128];
	uint8_t *m = b + 20;
	m[0] = RELAY_ICMP_ECHO_REPLY;
	m[1] = 0;
	put_be16(m + 2, 0x1234); /* the kernel's, wrong for the new identifier */
	put_be16(m + 4, 0x9999); /* the ping socket's identifier */
	put_be16(m + 6, 7);      /* sequence */
	memcpy(m + 8, "abcdefgh", 8);
	size_t n = relay_emit_echo_reply(b, sizeof(b), 0xc0000201, 0x0a000264, 0x4242, 16, 5);
	ASSERT_EQ(n, 36);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(b, n, &p), RELAY_PKT_OK);
	ASSERT_EQ(p.proto, RELAY_PROTO_ICMP);
	ASSERT_EQ(p.src, 0xc0000201);
	ASSERT_EQ(p.dst, 0x0a000264);
	ASSERT_EQ(get_be16(m + 4), 0x4242);
	ASSERT_EQ(get_be16(m + 6), 7);
	ASSERT(relay_pkt_l4_csum_ok(&p));
	ASSERT(ip_csum_ok(b));
	ASSERT_EQ(relay_emit_echo_reply(b, sizeof(b), 1, 2, 3, 4, 5), 0); /* shorter than a header */
}

/* An ICMP error for a relayed echo quotes the namespace's own echo: its
 * IPv4 header (options dropped) and its ICMP header with the namespace's
 * identifier, whose checksum is the one the namespace sent. */
TEST(relay_echo_quote_is_the_namespace_echo)
{
	uint8_t ns[64], host[8], q[RELAY_ECHO_QUOTE_BYTES];
	memset(ns, 0, sizeof(ns));
	ns[0] = 0x46; /* one option word, dropped in the quote */
	put_be16(ns + 2, 24 + 16);
	ns[8] = 5;
	ns[9] = RELAY_PROTO_ICMP;
	put_be32(ns + 12, 0x0a000264);
	put_be32(ns + 16, 0xcb007181);
	uint8_t *m = ns + 24;
	m[0] = RELAY_ICMP_ECHO;
	put_be16(m + 4, 0x4242); /* the namespace's identifier */
	put_be16(m + 6, 7);
	memcpy(m + 8, "abcdefgh", 8);
	put_be16(m + 2, csum_fold(csum_partial(m, 16, 0)));
	uint16_t ns_csum = get_be16(m + 2);
	/* The host's echo: the ping socket's identifier, its own checksum. */
	memcpy(host, m, 8);
	put_be16(host + 4, 0x9999);
	put_be16(host + 2, 0);
	uint8_t whole[16];
	memcpy(whole, host, 8);
	memcpy(whole + 8, "abcdefgh", 8);
	put_be16(host + 2, csum_fold(csum_partial(whole, 16, 0)));
	ASSERT_EQ(relay_echo_quote(q, ns, 40, host, 0x4242), RELAY_ECHO_QUOTE_BYTES);
	ASSERT_EQ(q[0], 0x45);
	ASSERT(ip_csum_ok(q));
	ASSERT_MEMEQ(q + 12, ns + 12, 8); /* the namespace's addresses */
	ASSERT_EQ(q[8], 5);               /* and its TTL */
	ASSERT_EQ(q[20], RELAY_ICMP_ECHO);
	ASSERT_EQ(get_be16(q + 24), 0x4242);
	ASSERT_EQ(get_be16(q + 26), 7);
	ASSERT_EQ(get_be16(q + 22), ns_csum);
	ASSERT_EQ(relay_echo_quote(q, ns, 19, host, 1), 0); /* shorter than a header */
	/* And the error that carries it. */
	uint8_t out[128];
	size_t n = relay_emit_icmp_error(out, sizeof(out), 0xc6120002, RELAY_ICMP_TIME_EXCEEDED, 0, 0, q,
					 sizeof(q), 9);
	ASSERT_EQ(n, 20 + 8 + 28);
	struct relay_pkt p;
	ASSERT_EQ(relay_pkt_parse(out, n, &p), RELAY_PKT_OK);
	ASSERT_EQ(p.src, 0xc6120002);
	ASSERT_EQ(p.dst, 0x0a000264);
	ASSERT_EQ(p.l4[0], RELAY_ICMP_TIME_EXCEEDED);
	ASSERT(relay_pkt_l4_csum_ok(&p));
	ASSERT_MEMEQ(p.l4 + 8, q, 28);
}
