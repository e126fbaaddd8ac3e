/* MD5 (RFC 1321): four rounds of sixteen operations over each 512-bit block,
 * the message padded with a 1 bit, zeros and its 64-bit length (3.1-3.2),
 * words little-endian (2). Written from the RFC's text. */
#include <string.h>

#include "util/md5.h"

/* RFC 1321 3.4: T[i] = the integer part of 4294967296 * abs(sin(i)),
 * i = 1..64, in radians. */
static const uint32_t T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391,
};

/* The shifts s of each round's four operations (3.4). */
static const uint8_t S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotl(uint32_t x, unsigned n) { return x << n | x >> (32 - n); }

static void block(uint32_t abcd[4], const uint8_t p[64])
{
	uint32_t X[16];
	for (int i = 0; i < 16; i++)
		X[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	uint32_t a = abcd[0], b = abcd[1], c = abcd[2], d = abcd[3];
	for (int i = 0; i < 64; i++) {
		int round = i / 16;
		uint32_t f;
		int k;
		switch (round) {
		case 0: f = (b & c) | (~b & d); k = i; break;                 /* F */
		case 1: f = (b & d) | (c & ~d); k = (1 + 5 * i) % 16; break;  /* G */
		case 2: f = b ^ c ^ d; k = (5 + 3 * i) % 16; break;           /* H */
		default: f = c ^ (b | ~d); k = (7 * i) % 16; break;           /* I */
		}
		/* a = b + ((a + f(b,c,d) + X[k] + T[i]) <<< s), then the four
		 * registers rotate: [abcd] [dabc] [cdab] [bcda]. */
		uint32_t t = b + rotl(a + f + X[k] + T[i], S[round][i % 4]);
		a = d;
		d = c;
		c = b;
		b = t;
	}
	abcd[0] += a;
	abcd[1] += b;
	abcd[2] += c;
	abcd[3] += d;
}

void md5_init(struct md5_ctx *m)
{
	/* RFC 1321 3.3: word A 01 23 45 67, B 89 ab cd ef, C fe dc ba 98,
	 * D 76 54 32 10, low-order bytes first. */
	m->abcd[0] = 0x67452301;
	m->abcd[1] = 0xefcdab89;
	m->abcd[2] = 0x98badcfe;
	m->abcd[3] = 0x10325476;
	m->len_bytes = 0;
}

void md5_update(struct md5_ctx *m, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = (size_t)(m->len_bytes % 64);
	m->len_bytes += len;
	if (have) {
		size_t take = 64 - have < len ? 64 - have : len;
		memcpy(m->block + have, p, take);
		p += take;
		len -= take;
		if (have + take < 64)
			return;
		block(m->abcd, m->block);
	}
	for (; len >= 64; p += 64, len -= 64)
		block(m->abcd, p);
	memcpy(m->block, p, len);
}

void md5_final(struct md5_ctx *m, uint8_t out[MD5_DIGEST_LEN])
{
	/* RFC 1321 3.1-3.2: a 1 bit, zeros to 448 mod 512, the bit length
	 * as 64 bits, low-order word first. */
	uint64_t bits = m->len_bytes * 8;
	uint8_t pad[72] = {0x80};
	size_t have = (size_t)(m->len_bytes % 64);
	size_t n = have < 56 ? 56 - have : 120 - have;
	md5_update(m, pad, n);
	uint8_t len8[8];
	for (int i = 0; i < 8; i++)
		len8[i] = (uint8_t)(bits >> (8 * i));
	md5_update(m, len8, 8);
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			out[4 * i + k] = (uint8_t)(m->abcd[i] >> (8 * k));
}

void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
	struct md5_ctx m;
	md5_init(&m);
	md5_update(&m, data, len);
	md5_final(&m, out);
}
