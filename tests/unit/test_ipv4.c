/* Unit tests for IPv4 header parsing and emission (src/wire/ipv4.c): known
 * headers byte for byte, fragments, options, and every rejection. */
#include "harness.h"

#include "util/checksum.h"
#include "wire/ipv4.h"

/* The IPv4 header of a 115-byte UDP datagram 192.168.0.1 -> 192.168.0.199,
 * a widely published worked example of the header checksum (0xb861). */
static const uint8_t udp_hdr[20] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

/* The header of a SYN captured on a Linux loopback (id 0xad83, DF). */
static const uint8_t syn_hdr[20] = {
	0x45, 0x00, 0x00, 0x3c, 0xad, 0x83, 0x40, 0x00, 0x40, 0x06,
	0x8f, 0x36, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
};

static void reseal(uint8_t *pkt, size_t ihl_bytes)
{
	pkt[10] = pkt[11] = 0;
	uint16_t c = csum_fold(csum_partial(pkt, ihl_bytes, 0));
	pkt[10] = (uint8_t)(c >> 8);
	pkt[11] = (uint8_t)c;
}

TEST(ipv4_parse_published_example)
{
	uint8_t pkt[0x73] = {0};
	struct ipv4_hdr h;
	memcpy(pkt, udp_hdr, sizeof udp_hdr);
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_OK);
	ASSERT_EQ(h.ihl_bytes, 20);
	ASSERT_EQ(h.tos, 0);
	ASSERT_EQ(h.total_len, 115);
	ASSERT_EQ(h.id, 0);
	ASSERT(h.df);
	ASSERT(!h.mf);
	ASSERT_EQ(h.frag_off, 0);
	ASSERT_EQ(h.ttl, 64);
	ASSERT_EQ(h.proto, 17);
	ASSERT_EQ(h.src, 0xc0a80001);
	ASSERT_EQ(h.dst, 0xc0a800c7);
	/* A buffer longer than total_len (link padding) is fine. */
	uint8_t padded[0x73 + 10] = {0};
	memcpy(padded, udp_hdr, sizeof udp_hdr);
	ASSERT_EQ(ipv4_parse(padded, sizeof padded, &h), IPV4_OK);
	ASSERT_EQ(h.total_len, 115);
}

TEST(ipv4_emit_reproduces_known_headers)
{
	uint8_t out[20];
	struct ipv4_hdr h = {
		.ihl_bytes = 20, .total_len = 0x73, .df = true, .ttl = 64, .proto = 17,
		.src = 0xc0a80001, .dst = 0xc0a800c7,
	};
	memset(out, 0xaa, sizeof out);
	ASSERT_EQ(ipv4_emit(out, &h), 20);
	ASSERT_MEMEQ(out, udp_hdr, 20);

	struct ipv4_hdr s = {
		.ihl_bytes = 20, .total_len = 60, .id = 0xad83, .df = true, .ttl = 64,
		.proto = IPPROTO_TCP_, .src = 0x7f000001, .dst = 0x7f000001,
	};
	ASSERT_EQ(ipv4_emit(out, &s), 20);
	ASSERT_MEMEQ(out, syn_hdr, 20);
}

TEST(ipv4_fragment_fields_round_trip)
{
	uint8_t pkt[1500] = {0};
	struct ipv4_hdr in = {
		.tos = 0x10, .total_len = 1500, .id = 0x1c46, .mf = true, .frag_off = 1480,
		.ttl = 3, .proto = IPPROTO_ICMP_, .src = 0x0a000001, .dst = 0x0a000002,
	}, out;
	ASSERT_EQ(ipv4_emit(pkt, &in), 20);
	/* 1480 bytes = 185 units of 8; MF is 0x2000. */
	ASSERT_EQ(pkt[6], 0x20);
	ASSERT_EQ(pkt[7], 185);
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &out), IPV4_OK);
	ASSERT(out.mf);
	ASSERT(!out.df);
	ASSERT_EQ(out.frag_off, 1480);
	ASSERT_EQ(out.id, 0x1c46);
	ASSERT_EQ(out.tos, 0x10);
	ASSERT_EQ(out.ttl, 3);
	ASSERT_EQ(out.proto, IPPROTO_ICMP_);
	ASSERT_EQ(out.src, 0x0a000001);
	ASSERT_EQ(out.dst, 0x0a000002);
	/* The last fragment: offset only. */
	in.mf = false;
	in.frag_off = 8 * 8191;
	ipv4_emit(pkt, &in);
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &out), IPV4_OK);
	ASSERT(!out.mf);
	ASSERT_EQ(out.frag_off, 65528);
}

TEST(ipv4_parse_header_with_options)
{
	/* IHL 6: one word of options (Router Alert, RFC 2113). */
	uint8_t pkt[28] = {
		0x46, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0, 0,
		0x0a, 0x00, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x01,
		0x94, 0x04, 0x00, 0x00, 0x11, 0x64, 0xee, 0x9b,
	};
	struct ipv4_hdr h;
	reseal(pkt, 24);
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_OK);
	ASSERT_EQ(h.ihl_bytes, 24);
	ASSERT_EQ(h.total_len, 28);
	ASSERT_EQ(h.proto, 2);
	ASSERT_EQ(h.dst, 0xe0000001);
	/* The checksum covers the options too. */
	pkt[22] ^= 0x80;
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_ERR_CHECKSUM);
}

TEST(ipv4_rejects_short_buffers)
{
	uint8_t pkt[0x73] = {0};
	struct ipv4_hdr h;
	memcpy(pkt, udp_hdr, sizeof udp_hdr);
	for (size_t len = 0; len < 20; len++)
		ASSERT_EQ(ipv4_parse(pkt, len, &h), IPV4_ERR_TRUNCATED);
	/* total_len 115 but only 114 bytes held. */
	ASSERT_EQ(ipv4_parse(pkt, 114, &h), IPV4_ERR_TRUNCATED);
	ASSERT_EQ(ipv4_parse(pkt, 20, &h), IPV4_ERR_TRUNCATED);
	/* IHL 15 (60 bytes) in a 40-byte buffer. */
	uint8_t big_ihl[40] = {0};
	memcpy(big_ihl, udp_hdr, 20);
	big_ihl[0] = 0x4f;
	big_ihl[3] = 40;
	ASSERT_EQ(ipv4_parse(big_ihl, sizeof big_ihl, &h), IPV4_ERR_TRUNCATED);
}

TEST(ipv4_rejects_bad_version_and_ihl)
{
	uint8_t pkt[0x73] = {0};
	struct ipv4_hdr h;
	memcpy(pkt, udp_hdr, sizeof udp_hdr);
	pkt[0] = 0x65;
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_ERR_VERSION);
	pkt[0] = 0x05;
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_ERR_VERSION);
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		pkt[0] = (uint8_t)(0x40 | ihl);
		ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_ERR_IHL);
	}
	/* A total length shorter than the header itself. */
	pkt[0] = 0x45;
	pkt[2] = 0;
	pkt[3] = 19;
	reseal(pkt, 20);
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_ERR_IHL);
	pkt[3] = 20; /* header only, no payload: valid */
	reseal(pkt, 20);
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_OK);
}

TEST(ipv4_rejects_bad_checksum)
{
	uint8_t pkt[0x73] = {0};
	struct ipv4_hdr h;
	memcpy(pkt, udp_hdr, sizeof udp_hdr);
	for (int byte = 0; byte < 20; byte++) {
		if (byte == 0 || byte == 2 || byte == 3)
			continue; /* those would fail an earlier check */
		pkt[byte] ^= 0x04;
		ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_ERR_CHECKSUM);
		pkt[byte] ^= 0x04;
	}
	/* The payload is not covered by the header checksum. */
	pkt[50] ^= 0xff;
	ASSERT_EQ(ipv4_parse(pkt, sizeof pkt, &h), IPV4_OK);
}
