/* The Internet checksum (RFC 1071), with partial sums for pseudo-headers. */
#ifndef GT_UTIL_CHECKSUM_H
#define GT_UTIL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Adds the bytes to a 32-bit partial sum (big-endian 16-bit words). An odd
 * length pads with a zero byte, so only the last call may be odd. */
uint32_t csum_partial(const void *data, size_t len, uint32_t sum);
/* Folds a partial sum to 16 bits and complements it (host order result,
 * to be stored big-endian). */
static inline uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
/* csum_partial() of bytes that follow odd_before bytes already summed: a
 * piece that starts at an odd offset has its bytes in the other halves of
 * the 16-bit words, so its sum is byte-swapped (RFC 1071 2(B)). */
uint32_t csum_partial_at(const void *data, size_t len, uint32_t sum, size_t odd_before);
/* The IPv4 pseudo-header sum for TCP/UDP (addresses in host order). */
uint32_t csum_pseudo_ipv4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
/* The IPv6 pseudo-header sum for TCP, UDP and ICMPv6 (RFC 8200 8.1): the
 * 16-byte addresses in network order, the 32-bit upper-layer length, three
 * zero bytes and the next header. Folded to 16 bits, not complemented. */
uint32_t csum_pseudo_ipv6(const uint8_t src[16], const uint8_t dst[16], uint8_t next_header,
			  uint32_t upper_len);

/* csum_fold(csum_partial(h, 20, 0)) for an IPv4 header without options,
 * inline: it runs twice per packet. Five native 32-bit words summed, folded,
 * swapped to network order once (RFC 1071 2(B)): 0 for a correct header. */
static inline uint16_t csum_ipv4_hdr20(const uint8_t *h)
{
	uint32_t w[5];
	memcpy(w, h, sizeof(w));
	uint64_t acc = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	uint16_t r = (uint16_t)acc;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	r = __builtin_bswap16(r);
#endif
	return (uint16_t)~r;
}

#endif
