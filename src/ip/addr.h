/* Addresses in the core: one 16-byte form for both families. An IPv4
 * address is held IPv4-mapped (::ffff:a.b.c.d, RFC 4291 2.5.5.2), so a TCB,
 * a listener or a hash key has one address type and the family is read off
 * the address. Everything keyed by an IPv4 tuple (hash buckets, ISNs,
 * ephemeral ports, cookies) is computed from the 32-bit address exactly as
 * before, so IPv4 behaviour does not change with the representation. */
#ifndef GT_IP_ADDR_H
#define GT_IP_ADDR_H

#include <glasstcp/stack.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct gt_in6_addr ip_addr;

#define IP_ADDR_ANY6 ((ip_addr){{0}})

/* ::ffff:a.b.c.d for a (host order). */
static inline ip_addr ip_addr_v4(uint32_t a)
{
	ip_addr r = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, (uint8_t)(a >> 24),
		      (uint8_t)(a >> 16), (uint8_t)(a >> 8), (uint8_t)a}};
	return r;
}

/* The prefix ::ffff:0:0/96 compared as one 64-bit and one 32-bit word
 * (the second the bytes 0, 0, 0xff, 0xff in memory order, folded to a
 * constant): asked several times for every segment (ip_input(),
 * tcp_input(), ip_hdr_len(), the hashes), where four byte compares were
 * 1.4% of `glasstcp get`'s instructions (docs/receiving.md). */
static inline bool ip_addr_is_v4(ip_addr a)
{
	static const uint8_t mapped[4] = { 0, 0, 0xff, 0xff };
	uint64_t hi;
	uint32_t mid, want;
	memcpy(&hi, a.b, 8);
	memcpy(&mid, a.b + 8, 4);
	memcpy(&want, mapped, 4);
	return (hi | (uint64_t)(mid ^ want)) == 0;
}

/* The IPv4 address (host order) of a mapped one. */
static inline uint32_t ip_addr_v4_of(ip_addr a)
{
	return (uint32_t)a.b[12] << 24 | (uint32_t)a.b[13] << 16 | (uint32_t)a.b[14] << 8 | a.b[15];
}

static inline bool ip_addr_eq(ip_addr a, ip_addr b)
{
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, a.b, 8);
	memcpy(&a1, a.b + 8, 8);
	memcpy(&b0, b.b, 8);
	memcpy(&b1, b.b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* The wildcard of either family: :: or ::ffff:0.0.0.0 (INADDR_ANY). */
static inline bool ip_addr_is_any(ip_addr a)
{
	return ip_addr_eq(a, IP_ADDR_ANY6) || ip_addr_eq(a, ip_addr_v4(0));
}

/* 20 for IPv4, 40 for IPv6: the header our packets to dst carry. */
static inline size_t ip_hdr_len(ip_addr dst) { return ip_addr_is_v4(dst) ? 20 : 40; }

/* The two 64-bit halves folded, for bucket hashes. */
static inline uint64_t ip_addr_fold(ip_addr a)
{
	uint64_t x, y;
	memcpy(&x, a.b, 8);
	memcpy(&y, a.b + 8, 8);
	return x ^ (y * 0x9e3779b97f4a7c15ull);
}

#endif
