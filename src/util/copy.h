/* Copying large blocks without the CPU's string move.
 *
 * glibc's memcpy hands copies of a few KB and more to REP MOVSB, whose speed
 * on some CPUs (the AMD EPYC of bench/PROFILE.md) depends on how source and
 * destination line up: a 64 KB segment copied into a receive ring ran at
 * half speed or full speed depending on where malloc had put the buffers.
 * Fixed-size 64-byte pieces compile to vector loads and stores instead. */
#ifndef GT_UTIL_COPY_H
#define GT_UTIL_COPY_H

#include <stddef.h>
#include <string.h>

static inline void copy_blocks(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (n < 2048) {
		memcpy(d, s, n);
		return;
	}
	size_t i = 0;
	for (; i + 64 <= n; i += 64)
		memcpy(d + i, s + i, 64);
	memcpy(d + i, s + i, n - i);
}

#endif
