/* A seeded pseudo-random generator for the fault injectors (the simulator's
 * links and the TUN runtime's): xoshiro256** (Blackman and Vigna), its state
 * spread from one 64-bit seed by splitmix64. Not for anything an attacker
 * may guess: ISNs, ports and cookies use SipHash with a secret key. */
#ifndef GT_UTIL_RNG_H
#define GT_UTIL_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	/* Four distinct splitmix64 outputs are never all zero, the one state
	 * xoshiro must not start from. */
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15u);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
		r->s[i] = z ^ (z >> 31);
	}
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* True with probability p; p <= 0 never draws, p >= 1 always true. */
static inline bool rng_chance(struct rng *r, double p)
{
	if (!(p > 0.0))
		return false;
	if (p >= 1.0)
		return true;
	/* The top 53 bits make a double uniform in [0, 1). */
	return (double)(rng_next(r) >> 11) * 0x1p-53 < p;
}

/* Uniform in [0, n]. */
static inline uint64_t rng_upto(struct rng *r, uint64_t n)
{
	if (n == UINT64_MAX)
		return rng_next(r);
	uint64_t range = n + 1;
	/* Rejecting the values below 2^64 mod range removes the modulo bias;
	 * fewer than half of all draws are rejected, whatever the range. */
	uint64_t threshold = (0 - range) % range;
	for (;;) {
		uint64_t x = rng_next(r);
		if (x >= threshold)
			return x % range;
	}
}

#endif
