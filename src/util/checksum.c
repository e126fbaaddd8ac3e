/* The Internet checksum: RFC 1071 (one's-complement sum of big-endian 16-bit
 * words), RFC 1071 2(B) deferred carries, and the TCP pseudo-header of
 * RFC 9293 3.1. The result does not depend on host byte order or on the
 * alignment of the data. */
#include "util/checksum.h"

#include "util/be.h"

#include <string.h>

/* Folds a 64-bit accumulator to 32 bits. 2^32 == 1 (mod 2^16 - 1), so adding
 * the high half into the low half keeps the one's-complement sum intact. */
static uint32_t fold64(uint64_t acc)
{
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

/* One's-complement addition of 64-bit words: the carry out wraps around. */
static uint64_t add64(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w);
}

/* A lone byte as the first byte of a native 16-bit word. */
static uint64_t native_first_byte(uint8_t b)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (uint64_t)b << 8;
#else
	return b;
#endif
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8); /* any alignment; one load */
	return w;
}

/* The 32-byte blocks of csum_partial(): RFC 1071 2(C) parallel summation,
 * four ways. Each of four accumulators takes every fourth word with a
 * plain add, and the carries out of it are counted beside it (c += a < w:
 * one add-with-carry of 0). A carry out of bit 63 is worth 2^64, and 2^64
 * == 1 (mod 2^16 - 1), so the counts are added in once at the end. Before,
 * one accumulator took each word's carry back in at once (add64()), a
 * chain of dependent adds: 14 instructions per 32 bytes with gcc 12
 * -O2/-O3 against 11 here (bench/PROFILE.md, bench_csum). The counts
 * cannot wrap: each grows by at most one per 32 bytes. Zero only for
 * all-zero data, as the end-around sum was, so the folds that follow give
 * the same 16 bits (0, or 1..0xffff) as before. Kept apart, from 64
 * bytes on, so that a header's few bytes do not pay for its eight
 * registers (callgrind, gcc 12 -O2 and -O3: 1,448 bytes 683 -> 578 Ir,
 * 536 bytes 284 -> 265, headers of 20-60 bytes the same or fewer; 64-200
 * bytes 12-29 more, the call's cost, even from about 300). */
__attribute__((noinline)) static uint64_t sum_blocks(const uint8_t *p, size_t blocks)
{
	uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0, w0, w1, w2, w3;
	for (; blocks; blocks--, p += 32) {
		w0 = load64(p);
		w1 = load64(p + 8);
		w2 = load64(p + 16);
		w3 = load64(p + 24);
		a0 += w0;
		c0 += a0 < w0;
		a1 += w1;
		c1 += a1 < w1;
		a2 += w2;
		c2 += a2 < w2;
		a3 += w3;
		c3 += a3 < w3;
	}
	return add64(add64(add64(a0, a1), add64(a2, a3)), c0 + c1 + c2 + c3);
}

uint32_t csum_partial(const void *data, size_t len, uint32_t sum)
{
	/* RFC 1071 2(B): the sum is independent of byte order, so the data is
	 * summed in native-endian 64-bit words (memcpy loads: any alignment)
	 * and the folded 16-bit result swapped to network order at the end.
	 * A trailing odd byte lands where a memcpy puts it: the first byte of
	 * a 16-bit word, the high half in network order (RFC 1071 4.1). */
	const uint8_t *p = data;
	uint64_t acc = 0;
	if (len >= 64) {
		acc = sum_blocks(p, len / 32);
		p += len / 32 * 32;
		len %= 32;
	}
	/* Under 64 bytes left (a header's, or the blocks' rest): each piece
	 * once, no loop. */
	if (len & 32) {
		acc = add64(add64(add64(add64(acc, load64(p)), load64(p + 8)), load64(p + 16)),
			    load64(p + 24));
		p += 32;
	}
	if (len & 16) {
		acc = add64(add64(acc, load64(p)), load64(p + 8));
		p += 16;
	}
	if (len & 8) {
		acc = add64(acc, load64(p));
		p += 8;
	}
	/* 0..7 bytes left, each piece at an even offset of its word, so each
	 * lands in the same 16-bit lanes as in a zero-padded word (a variable
	 * length memcpy would be a library call on every segment). */
	if (len & 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		acc = add64(acc, v);
		p += 4;
	}
	if (len & 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		acc = add64(acc, v);
		p += 2;
	}
	if (len & 1)
		acc = add64(acc, native_first_byte(*p));
	uint32_t r = fold64(acc);
	r = (r & 0xffff) + (r >> 16);
	r = (r & 0xffff) + (r >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	r = (uint32_t)__builtin_bswap16((uint16_t)r);
#endif
	return fold64((uint64_t)sum + r);
}

uint32_t csum_partial_at(const void *data, size_t len, uint32_t sum, size_t odd_before)
{
	if (!(odd_before & 1))
		return csum_partial(data, len, sum);
	uint32_t r = csum_partial(data, len, 0); /* 16 bits, folded */
	r = (uint32_t)__builtin_bswap16((uint16_t)r);
	return fold64((uint64_t)sum + r);
}

uint32_t csum_pseudo_ipv4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	/* RFC 9293 3.1: source, destination, zero:protocol, TCP length. */
	uint64_t acc = (uint64_t)(src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
		       proto + len;
	return fold64(acc);
}

uint32_t csum_pseudo_ipv6(const uint8_t src[16], const uint8_t dst[16], uint8_t next_header,
			  uint32_t upper_len)
{
	/* RFC 8200 8.1: source, destination, upper-layer packet length,
	 * zero (24 bits), next header; the last two make one 32-bit word. */
	/* Eight big-endian 32-bit words summed in 64 bits: a sum of 32-bit
	 * words folds to the same 16 bits as the sum of their halves (2^16 == 1
	 * mod 2^16 - 1), and it runs per segment, so not csum_partial()'s loop. */
	uint64_t acc = (uint64_t)upper_len + next_header;
	for (int i = 0; i < 16; i += 4)
		acc += (uint64_t)get_be32(src + i) + get_be32(dst + i);
	acc = fold64(acc);
	acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)((acc & 0xffff) + (acc >> 16));
}
