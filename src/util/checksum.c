/* The Internet checksum: RFC 1071 (one's-complement sum of big-endian 16-bit
 * words), RFC 1071 2(B) deferred carries, and the TCP pseudo-header of
 * RFC 9293 3.1. Words are assembled big-endian explicitly, so the result does
 * not depend on host byte order or on the alignment of the data. */
#include "util/checksum.h"

#include <string.h>

static uint64_t load_be32(const uint8_t *p)
{
	uint8_t b[4];
	memcpy(b, p, sizeof b);
	return (uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 | (uint64_t)b[2] << 8 | b[3];
}

/* Folds a 64-bit accumulator to 32 bits. 2^32 == 1 (mod 2^16 - 1), so adding
 * the high half into the low half keeps the one's-complement sum intact. */
static uint32_t fold64(uint64_t acc)
{
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint32_t csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t acc = sum;

	/* RFC 1071 2(B): carries are deferred into the upper bits of a wide
	 * accumulator. A 32-bit word w1:w2 is w1 * 2^16 + w2 == w1 + w2, so two
	 * 16-bit words go in per addition. Each 8-byte step adds < 2^33; fold
	 * every 1 GiB so the accumulator cannot overflow on huge inputs. */
	while (len >= 8) {
		size_t chunk = len < ((size_t)1 << 30) ? len : ((size_t)1 << 30);
		chunk &= ~(size_t)7;
		for (size_t i = 0; i < chunk; i += 8)
			acc += load_be32(p + i) + load_be32(p + i + 4);
		p += chunk;
		len -= chunk;
		acc = fold64(acc);
	}
	if (len >= 4) {
		acc += load_be32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc += (uint64_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	/* RFC 1071 4.1: an odd trailing byte is the high half of a word whose
	 * low half is zero. */
	if (len)
		acc += (uint64_t)p[0] << 8;
	return fold64(acc);
}

uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t csum_pseudo_ipv4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	/* RFC 9293 3.1: source, destination, zero:protocol, TCP length. */
	uint64_t acc = (uint64_t)(src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
		       proto + len;
	return fold64(acc);
}
