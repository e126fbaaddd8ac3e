/* Keyed hashing: SipHash-2-4 for ISNs (RFC 6528) and ephemeral ports
 * (RFC 6056), and a fast keyed mix for hash-table buckets. */
#ifndef GT_UTIL_HASH_H
#define GT_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash24(const uint8_t key[16], const void *data, size_t len);

/* Bucket hash of an IPv4 4-tuple under a 64-bit key. */
static inline uint32_t hash_tuple4(uint64_t key, uint32_t laddr, uint32_t faddr,
				   uint16_t lport, uint16_t fport)
{
	uint64_t h = key ^ ((uint64_t)laddr << 32 | faddr);
	h ^= (uint64_t)lport << 16 | fport;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

#endif
