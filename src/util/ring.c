/* Byte ring buffer behind the TCP send and receive buffers. The send side
 * retransmits by offset from the head (RFC 9293 3.8.1); the receive side
 * parks out-of-order data past the tail until the gap fills (RFC 9293 3.10.7.4).
 * Invariants: head < cap (or cap == 0), len <= cap; positions wrap modulo cap. */
#include "util/ring.h"

#include "util/copy.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* Position of the byte off bytes past the head. Done in 64 bits so that
 * head + len + off cannot wrap for capacities near 4 GiB. */
static uint32_t pos_of(const struct ring *r, uint64_t off)
{
	return (uint32_t)(((uint64_t)r->head + off) % r->cap);
}


/* Ring memory. Large rings start on a page: where malloc happens to put
 * them otherwise decides how copies in and out of them line up with the
 * other buffers, and bench_bulk moved between 40 and 90 Gbit/s on that
 * alone. At most a page more per ring of 64 KiB or more. */
static uint8_t *ring_mem(uint32_t cap)
{
	if (cap >= 65536)
		return aligned_alloc(4096, (cap + 4095u) & ~4095u);
	return malloc(cap ? cap : 1);
}

static void copy_in(struct ring *r, uint32_t pos, const uint8_t *src, uint32_t n)
{
	uint32_t first = min_u32(n, r->cap - pos);
	copy_blocks(r->buf + pos, src, first);
	if (n > first)
		copy_blocks(r->buf, src + first, n - first);
}

static void copy_out(const struct ring *r, uint32_t pos, uint8_t *dst, uint32_t n)
{
	uint32_t first = min_u32(n, r->cap - pos);
	copy_blocks(dst, r->buf + pos, first);
	if (n > first)
		copy_blocks(dst + first, r->buf, n - first);
}

int ring_alloc(struct ring *r, uint32_t cap)
{
	/* malloc(0) may return NULL; one spare byte keeps buf non-NULL so a
	 * zero-capacity ring still reads as "allocated". */
	uint8_t *buf = ring_mem(cap);
	if (!buf)
		return -ENOMEM;
	r->buf = buf;
	r->cap = cap;
	r->head = 0;
	r->len = 0;
	r->mem = 0;
	return 0;
}

int ring_reserve(struct ring *r)
{
	if (r->buf)
		return 0;
	r->buf = ring_mem(r->cap);
	if (!r->buf)
		return -ENOMEM;
	r->head = 0;
	return 0;
}

void ring_free(struct ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = r->head = r->len = r->mem = 0;
}

uint32_t ring_write(struct ring *r, const void *src, uint32_t n)
{
	n = min_u32(n, ring_free_space(r));
	if (n == 0)
		return 0;
	copy_in(r, pos_of(r, r->len), src, n);
	r->len += n;
	return n;
}

uint32_t ring_write_at(struct ring *r, uint32_t off, const void *src, uint32_t n)
{
	uint32_t space = ring_free_space(r);
	if (off >= space)
		return 0;
	n = min_u32(n, space - off);
	if (n == 0)
		return 0;
	copy_in(r, pos_of(r, (uint64_t)r->len + off), src, n);
	return n;
}

void ring_commit(struct ring *r, uint32_t n)
{
	/* Committing more than fits would expose bytes that were never
	 * written; clamp rather than corrupt len. */
	r->len += min_u32(n, ring_free_space(r));
}

uint32_t ring_peek(const struct ring *r, uint32_t off, void *dst, uint32_t n)
{
	if (off >= r->len)
		return 0;
	n = min_u32(n, r->len - off);
	if (n == 0)
		return 0;
	copy_out(r, pos_of(r, off), dst, n);
	return n;
}

int ring_spans(const struct ring *r, uint32_t off, uint32_t n, const uint8_t *p[2],
	       uint32_t len[2])
{
	uint32_t pos = pos_of(r, off);
	uint32_t first = min_u32(n, r->cap - pos);
	p[0] = r->buf + pos;
	len[0] = first;
	if (n == first)
		return 1;
	p[1] = r->buf;
	len[1] = n - first;
	return 2;
}

int ring_free_spans(const struct ring *r, uint8_t *p[2], uint32_t len[2])
{
	uint32_t space = ring_free_space(r);
	if (space == 0)
		return 0;
	uint32_t pos = pos_of(r, r->len);
	uint32_t first = min_u32(space, r->cap - pos);
	p[0] = r->buf + pos;
	len[0] = first;
	if (space == first)
		return 1;
	p[1] = r->buf;
	len[1] = space - first;
	return 2;
}

uint32_t ring_read(struct ring *r, void *dst, uint32_t n)
{
	n = ring_peek(r, 0, dst, n);
	return ring_discard(r, n);
}

uint32_t ring_discard(struct ring *r, uint32_t n)
{
	n = min_u32(n, r->len);
	if (n == 0)
		return 0;
	/* The head is not rewound to 0 when the ring empties: data written
	 * past the tail by ring_write_at() must stay where it was put. */
	r->head = pos_of(r, n);
	r->len -= n;
	return n;
}

/* Growing: realloc() keeps the bytes where they are (glibc moves a large
 * block's pages with mremap(), neither copying nor touching them), so the
 * kept bytes stay at the head unless they wrap; the wrapped part, at the
 * start of the memory, then moves to just past the old end, where the ring
 * now continues. A copy of everything into fresh memory (each page faulted
 * in) cost 1% of `glasstcp serve`'s time in a 30 MB send, its send buffer
 * grown four times (docs/sending.md). -1 when it cannot (the wrapped part is
 * longer than the growth, realloc fails, or a large ring would lose its page
 * alignment): the caller copies. */
static int grow_in_place(struct ring *r, uint32_t cap, uint32_t keep)
{
	uint32_t old = r->cap;
	uint64_t end = (uint64_t)r->head + keep;
	uint32_t wrapped = end > old ? (uint32_t)(end - old) : 0;
	if (wrapped > cap - old || (cap >= 65536) != (old >= 65536))
		return -1;
	uint8_t *buf = realloc(r->buf, old >= 65536 ? (cap + 4095u) & ~4095u : cap);
	if (!buf)
		return -1;
	if (old >= 65536 && ((uintptr_t)buf & 4095u)) {
		/* Moved off its page: put it back on one, copying once. */
		uint8_t *al = ring_mem(cap);
		if (!al) {
			r->buf = buf; /* still a valid ring of the old size */
			return -1;
		}
		memcpy(al, buf, old);
		free(buf);
		buf = al;
	}
	if (wrapped)
		memcpy(buf + old, buf, wrapped);
	r->buf = buf;
	r->cap = cap;
	return 0;
}

int ring_resize_keep(struct ring *r, uint32_t cap, uint32_t keep)
{
	/* The first keep bytes from the head move: the committed ones and,
	 * past them, what ring_write_at() parked ahead of the tail (the
	 * receive side's out-of-order data keeps its offset from the tail).
	 * Anything further is lost. */
	if (cap < r->len || keep < r->len || keep > cap || (r->buf && keep > r->cap))
		return -EINVAL;
	if (!r->buf) {
		r->cap = cap; /* lazy: nothing to move */
		return 0;
	}
	if (cap > r->cap && grow_in_place(r, cap, keep) == 0)
		return 0;
	uint8_t *buf = ring_mem(cap);
	if (!buf)
		return -ENOMEM;
	if (keep)
		copy_out(r, r->head, buf, keep);
	free(r->buf);
	r->buf = buf;
	r->cap = cap;
	r->head = 0;
	return 0;
}

int ring_resize(struct ring *r, uint32_t cap)
{
	/* Only committed bytes move; anything parked past the tail is lost,
	 * so callers that hold out-of-order data use ring_resize_keep(). */
	return ring_resize_keep(r, cap, r->len);
}
