/* SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012), the keyed PRF behind initial sequence numbers (RFC 6528 3) and
 * ephemeral port selection (RFC 6056 3.3.4). Key and message words are read
 * little-endian as the paper specifies, whatever the host order. */
#include "util/hash.h"

#include <string.h>

static uint64_t rotl(uint64_t x, unsigned b) { return (x << b) | (x >> (64 - b)); }

static uint64_t load_le64(const uint8_t *p)
{
	uint8_t b[8];
	uint64_t v = 0;
	memcpy(b, p, sizeof b);
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* One SipRound (paper section 2, figure 2.1). */
static void sipround(uint64_t v[4])
{
	v[0] += v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32);
	v[2] += v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32);
}

static void compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

uint64_t siphash24(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	/* Initialization constants: "somepseudorandomlygeneratedbytes". */
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ull,
		k1 ^ 0x646f72616e646f6dull,
		k0 ^ 0x6c7967656e657261ull,
		k1 ^ 0x7465646279746573ull,
	};
	size_t left = len;

	for (; left >= 8; left -= 8, p += 8)
		compress(v, load_le64(p));

	/* The last word holds the remaining 0..7 bytes and, in its top byte,
	 * the message length mod 256. */
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	for (size_t i = 0; i < left; i++)
		last |= (uint64_t)p[i] << (8 * i);
	compress(v, last);

	/* Finalization: four rounds after xoring 0xff into v2. */
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
