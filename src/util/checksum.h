/* The Internet checksum (RFC 1071), with partial sums for pseudo-headers. */
#ifndef GT_UTIL_CHECKSUM_H
#define GT_UTIL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds the bytes to a 32-bit partial sum (big-endian 16-bit words). An odd
 * length pads with a zero byte, so only the last call may be odd. */
uint32_t csum_partial(const void *data, size_t len, uint32_t sum);
/* Folds a partial sum to 16 bits and complements it (host order result,
 * to be stored big-endian). */
uint16_t csum_fold(uint32_t sum);
/* The IPv4 pseudo-header sum for TCP/UDP (addresses in host order). */
uint32_t csum_pseudo_ipv4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

#endif
