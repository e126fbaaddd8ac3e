/* csum_partial() and csum_partial_at() (src/util/checksum.c) against the
 * RFC 1071 definition taken one byte at a time: every length 0..2,100,
 * every start alignment of the 64-bit loads, both halves of the 16-bit
 * word the first byte falls in (odd_before), on random data and on the
 * data that carries out of every add (all 0xFF). The 32-bit partial sum
 * returned must be the same value, not only the same folded checksum:
 * callers chain it (xmit() sums the header, then the payload's pieces). */
#include "harness.h"

#include "util/checksum.h"

#define MAX_LEN 2100
#define ALIGNS 16

/* RFC 1071 2: bytes at even offsets of the word stream (odd_before
 * counted) are the high halves of big-endian 16-bit words. The integer
 * sum is folded with end-around carries to 16 bits (0 only for all-zero
 * data), then added to sum and folded to 32 bits, as csum_partial()
 * documents its result. */
static uint32_t ref_partial(const uint8_t *p, size_t len, uint32_t sum, size_t odd_before)
{
	uint64_t x = 0;
	for (size_t i = 0; i < len; i++)
		x += ((odd_before + i) & 1) ? p[i] : (uint64_t)p[i] << 8;
	while (x >> 16)
		x = (x & 0xffff) + (x >> 16);
	uint64_t t = (uint64_t)sum + x;
	while (t >> 32)
		t = (t & 0xffffffffu) + (t >> 32);
	return (uint32_t)t;
}

static uint32_t rnd(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

/* Every length and alignment, both parities, a few starting sums. */
static void check_all(const uint8_t *buf, uint32_t *seed)
{
	for (size_t al = 0; al < ALIGNS; al++) {
		for (size_t len = 0; len <= MAX_LEN; len++) {
			const uint8_t *p = buf + al;
			uint32_t sum = (len % 3 == 0) ? 0 : (len % 3 == 1) ? 0xffffffffu : rnd(seed);
			ASSERT_EQ(csum_partial(p, len, sum), ref_partial(p, len, sum, 0));
			ASSERT_EQ(csum_partial_at(p, len, sum, 0), ref_partial(p, len, sum, 0));
			ASSERT_EQ(csum_partial_at(p, len, sum, 1), ref_partial(p, len, sum, 1));
			ASSERT_EQ(csum_partial_at(p, len, sum, 1449), ref_partial(p, len, sum, 1));
		}
	}
}

TEST(checksum_sum_random_every_length_alignment)
{
	static uint8_t buf[MAX_LEN + ALIGNS];
	uint32_t x = 0x2545f491u;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)rnd(&x);
	check_all(buf, &x);
}

TEST(checksum_sum_carry_worst_cases)
{
	static uint8_t buf[MAX_LEN + ALIGNS];
	uint32_t x = 7;
	/* All 0xFF: every 64-bit add carries out. */
	memset(buf, 0xff, sizeof buf);
	check_all(buf, &x);
	/* All zero: the sum stays 0 (not 0xffff), as RFC 1071's does. */
	memset(buf, 0, sizeof buf);
	check_all(buf, &x);
	/* Words that bring an accumulator back to exactly 0 with a carry
	 * out: ff..ff then 00..01 (in either byte order), repeated. */
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (i / 8) % 2 == 0 ? 0xff : (i % 8 == 0 || i % 8 == 7) ? 0x01 : 0x00;
	check_all(buf, &x);
	/* Mostly 0xFF with sparse random bytes. */
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = rnd(&x) % 61 == 0 ? (uint8_t)rnd(&x) : 0xff;
	check_all(buf, &x);
}

TEST(checksum_sum_pieces_chain_as_xmit_does)
{
	/* xmit() sums a payload in up to two pieces (the send ring's wrap),
	 * each after the bytes before it: any cut, at any offset, gives the
	 * one-piece sum. */
	static uint8_t buf[MAX_LEN + ALIGNS];
	uint32_t x = 99;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)rnd(&x);
	for (int n = 0; n < 20000; n++) {
		size_t len = rnd(&x) % (MAX_LEN + 1), al = rnd(&x) % ALIGNS;
		size_t cut = len ? rnd(&x) % (len + 1) : 0;
		uint32_t sum = rnd(&x), head = rnd(&x) % 61;
		const uint8_t *p = buf + al;
		uint32_t s = csum_partial(buf, head, sum);
		s = csum_partial_at(p, cut, s, head);
		s = csum_partial_at(p + cut, len - cut, s, head + cut);
		uint32_t whole = ref_partial(p, len, ref_partial(buf, head, sum, 0), head);
		ASSERT_EQ(csum_fold(s), csum_fold(whole));
	}
}
