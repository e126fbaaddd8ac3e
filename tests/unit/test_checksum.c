/* Unit tests for the Internet checksum (src/util/checksum.c): the RFC 1071
 * worked example, odd lengths, unaligned data against a word-at-a-time
 * reference, and packets captured from a Linux loopback. */
#include "harness.h"

#include "util/checksum.h"

/* The RFC 1071 definition, one 16-bit word at a time, as a reference. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The RST+ACK that Linux sent from 127.0.0.1:5598 (a closed port) back to
 * 127.0.0.1:36608 for its SYN, captured on lo. Both checksums (0x3cce,
 * 0x7751) are as the kernel computed them. */
static const uint8_t captured_rst[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x3c, 0xce,
	0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
	0x15, 0xde, 0x8f, 0x00, 0x00, 0x00, 0x00, 0x00, 0xad, 0x1b, 0xe8, 0x82,
	0x50, 0x14, 0x00, 0x00, 0x77, 0x51, 0x00, 0x00,
};

TEST(checksum_rfc1071_worked_example)
{
	/* RFC 1071 3: words 0001 f203 f4f5 f6f7 sum to 2ddf0, which folds to
	 * ddf2; the checksum is its complement. */
	const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	ASSERT_EQ(csum_fold(csum_partial(b, sizeof b, 0)), 0x220d);
	ASSERT_EQ((uint16_t)~csum_fold(csum_partial(b, sizeof b, 0)), 0xddf2);
	/* Every split at an even boundary gives the same sum (RFC 1071 2(C)). */
	for (size_t cut = 0; cut <= sizeof b; cut += 2) {
		uint32_t s = csum_partial(b, cut, 0);
		s = csum_partial(b + cut, sizeof b - cut, s);
		ASSERT_EQ(csum_fold(s), 0x220d);
	}
}

TEST(checksum_odd_length_pads_with_zero)
{
	const uint8_t b[] = {0x01, 0x02, 0x03};
	/* 0102 + 0300 = 0402; complement fbfd. */
	ASSERT_EQ(csum_fold(csum_partial(b, 3, 0)), 0xfbfd);
	const uint8_t ff[] = {0xff, 0xff, 0xff};
	/* ffff + ff00 = 1feff -> ff00; complement 00ff. */
	ASSERT_EQ(csum_fold(csum_partial(ff, 3, 0)), 0x00ff);
	const uint8_t one[] = {0xab};
	ASSERT_EQ(csum_fold(csum_partial(one, 1, 0)), 0x54ff);
}

TEST(checksum_empty_and_carry_edges)
{
	ASSERT_EQ(csum_partial("", 0, 0x1234), 0x1234);
	ASSERT_EQ(csum_fold(0), 0xffff);
	/* One's-complement "negative zero": a sum of 0xffff gives 0. */
	ASSERT_EQ(csum_fold(0xffff), 0x0000);
	/* 0xffff0001 folds to 0x0001 + 0xffff = 0x10000 -> 0x0001. */
	ASSERT_EQ(csum_fold(0xffff0001u), 0xfffe);
	uint8_t big[4096];
	memset(big, 0xff, sizeof big);
	ASSERT_EQ(csum_fold(csum_partial(big, sizeof big, 0)), 0);
	ASSERT_EQ(csum_fold(csum_partial(big, sizeof big, 0xffffffffu)), 0);
}

TEST(checksum_unaligned_matches_reference)
{
	uint8_t buf[300];
	uint32_t x = 0x9e3779b9;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= 260; len++)
			ASSERT_EQ(csum_fold(csum_partial(buf + off, len, 0)),
				  ref_csum(buf + off, len));
}

TEST(checksum_pseudo_header_sum)
{
	/* 10.0.0.1 -> 10.0.0.2, TCP, 20 bytes: 0a00+0001+0a00+0002+0006+0014. */
	uint32_t s = csum_pseudo_ipv4(0x0a000001, 0x0a000002, 6, 20);
	ASSERT_EQ(csum_fold(s), (uint16_t)~(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x0006 + 0x0014));
	/* Carries out of 16 bits fold back in. */
	s = csum_pseudo_ipv4(0xffffffffu, 0xffffffffu, 0xff, 0xffff);
	ASSERT_EQ(csum_fold(s), ref_csum((const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
							   0xff, 0xff, 0x00, 0xff, 0xff, 0xff},
						 12));
}

TEST(checksum_verifies_captured_ipv4_tcp_packet)
{
	const uint8_t *ip = captured_rst, *tcp = captured_rst + 20;
	size_t tcp_len = sizeof captured_rst - 20;
	/* A correct header sums to 0xffff, so the folded complement is 0. */
	ASSERT_EQ(csum_fold(csum_partial(ip, 20, 0)), 0);
	uint32_t s = csum_pseudo_ipv4(0x7f000001, 0x7f000001, 6, (uint16_t)tcp_len);
	ASSERT_EQ(csum_fold(csum_partial(tcp, tcp_len, s)), 0);

	/* Recomputing with the field zeroed reproduces the captured values. */
	uint8_t copy[sizeof captured_rst];
	memcpy(copy, captured_rst, sizeof copy);
	copy[10] = copy[11] = 0;
	ASSERT_EQ(csum_fold(csum_partial(copy, 20, 0)), 0x3cce);
	copy[20 + 16] = copy[20 + 17] = 0;
	ASSERT_EQ(csum_fold(csum_partial(copy + 20, tcp_len, s)), 0x7751);

	/* A single flipped bit is caught. */
	copy[10] = 0x3c;
	copy[11] = 0xce;
	copy[15] ^= 0x01;
	ASSERT_NE(csum_fold(csum_partial(copy, 20, 0)), 0);
}

TEST(checksum_ipv4_hdr20_matches_generic)
{
	/* The inline 20-byte header sum agrees with the generic one and the
	 * reference on the captured header, on every single-bit flip of it,
	 * and on random headers at every alignment. */
	ASSERT_EQ(csum_ipv4_hdr20(captured_rst), 0);
	uint8_t h[20 + 8];
	for (int bit = 0; bit < 160; bit++) {
		memcpy(h, captured_rst, 20);
		h[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ASSERT_EQ(csum_ipv4_hdr20(h), ref_csum(h, 20));
		ASSERT_NE(csum_ipv4_hdr20(h), 0);
	}
	uint32_t x = 12345;
	for (int i = 0; i < 2000; i++) {
		for (size_t k = 0; k < sizeof h; k++) {
			x = x * 1103515245u + 12345u;
			h[k] = (uint8_t)(x >> 16);
		}
		size_t off = (size_t)i % 8;
		ASSERT_EQ(csum_ipv4_hdr20(h + off), ref_csum(h + off, 20));
		ASSERT_EQ(csum_ipv4_hdr20(h + off), csum_fold(csum_partial(h + off, 20, 0)));
	}
}

TEST(checksum_pieces_at_odd_offsets)
{
	/* A buffer cut into two pieces anywhere (a send ring that wraps):
	 * the first summed from offset 0, the second with csum_partial_at()
	 * told how many bytes came before, gives the sum of the whole. */
	uint8_t buf[97];
	uint32_t x = 7;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t cut = 0; cut <= sizeof buf; cut++) {
		for (uint32_t start = 0; start < 3; start++) {
			uint32_t s = csum_partial_at(buf, cut, start * 0x1234u, 0);
			s = csum_partial_at(buf + cut, sizeof buf - cut, s, cut);
			ASSERT_EQ(csum_fold(s), csum_fold(csum_partial(buf, sizeof buf, start * 0x1234u)));
		}
	}
}
