/* Unit tests for SipHash-2-4 (src/util/hash.c) against the paper's test
 * vector (appendix A) and values from an independent implementation
 * (OpenSSL's SIPHASH MAC, 8-byte output, read little-endian). */
#include "harness.h"

#include "ip/addr.h"
#include "util/hash.h"

static const uint8_t key_00_0f[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

TEST(hash_siphash_paper_vector)
{
	uint8_t msg[15];
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	ASSERT_EQ(siphash24(key_00_0f, msg, sizeof msg), 0xa129ca6149be45e5ull);
}

TEST(hash_siphash_lengths_around_the_block)
{
	/* Message 00 01 02 ... of each length; covers the empty message, a
	 * partial last word, exactly one word, and several words. */
	static const struct {
		size_t len;
		uint64_t want;
	} cases[] = {
		{0, 0x726fdb47dd0e0e31ull},  {1, 0x74f839c593dc67fdull},
		{7, 0xab0200f58b01d137ull},  {8, 0x93f5f5799a932462ull},
		{15, 0xa129ca6149be45e5ull}, {16, 0x3f2acc7f57c29bdbull},
		{63, 0x958a324ceb064572ull},
	};
	uint8_t msg[64];
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ASSERT_EQ(siphash24(key_00_0f, msg, cases[i].len), cases[i].want);
}

TEST(hash_siphash_unaligned_input)
{
	uint8_t buf[80];
	for (int i = 0; i < 64; i++)
		buf[i] = (uint8_t)i;
	uint64_t want = siphash24(key_00_0f, buf, 63);
	for (size_t off = 1; off < 8; off++) {
		uint8_t moved[80];
		memcpy(moved + off, buf, 63);
		ASSERT_EQ(siphash24(key_00_0f, moved + off, 63), want);
	}
}

TEST(hash_siphash_depends_on_key_and_length)
{
	uint8_t key[16];
	memcpy(key, key_00_0f, sizeof key);
	uint8_t zeros[16] = {0};
	uint64_t base = siphash24(key, zeros, 8);
	/* A trailing zero byte changes the length byte, so the hash. */
	ASSERT_NE(siphash24(key, zeros, 9), base);
	for (int bit = 0; bit < 128; bit++) {
		key[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ASSERT_NE(siphash24(key, zeros, 8), base);
		key[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ASSERT_EQ(siphash24(key, zeros, 8), base);
}

TEST(hash_tuple4_is_keyed_and_spreads)
{
	uint32_t a = hash_tuple4(1, 0x0a000001, 0x0a000002, 80, 40000);
	ASSERT_EQ(a, hash_tuple4(1, 0x0a000001, 0x0a000002, 80, 40000));
	ASSERT_NE(a, hash_tuple4(2, 0x0a000001, 0x0a000002, 80, 40000));
	ASSERT_NE(a, hash_tuple4(1, 0x0a000001, 0x0a000002, 80, 40001));
	/* Consecutive client ports should fill 64 buckets roughly evenly. */
	unsigned buckets[64] = {0};
	for (uint16_t p = 0; p < 6400; p++)
		buckets[hash_tuple4(0x1234, 0x0a000001, 0x0a000002, 80, (uint16_t)(32768 + p)) % 64]++;
	for (int i = 0; i < 64; i++) {
		ASSERT_GT(buckets[i], 50);
		ASSERT_LT(buckets[i], 150);
	}
}

/* ip_addr_is_v4() reads the ::ffff:0:0/96 prefix as two words: every one
 * of its twelve bytes counts, and the last four (the IPv4 address) do not. */
TEST(hash_ip_addr_is_v4_every_prefix_byte)
{
	static const uint32_t v4[] = {0, 1, 0x0a000001u, 0x7f000001u, 0xffffffffu, 0xff000000u};
	for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
		ip_addr a = ip_addr_v4(v4[i]);
		ASSERT(ip_addr_is_v4(a));
		ASSERT_EQ(ip_addr_v4_of(a), v4[i]);
		for (int b = 0; b < 12; b++) {
			static const uint8_t flips[] = {0x01, 0x80, 0xff, 0x0f};
			for (size_t f = 0; f < sizeof flips; f++) {
				ip_addr x = a;
				x.b[b] ^= flips[f];
				ASSERT(!ip_addr_is_v4(x));
			}
		}
	}
	ASSERT(!ip_addr_is_v4(IP_ADDR_ANY6));
	ip_addr compat = IP_ADDR_ANY6; /* ::a.b.c.d, the deprecated compatible form */
	compat.b[12] = 10;
	compat.b[15] = 1;
	ASSERT(!ip_addr_is_v4(compat));
}
