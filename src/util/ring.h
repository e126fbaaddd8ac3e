/* A byte ring buffer: the send buffer (retransmitted by offset from its head)
 * and the receive buffer (out-of-order data written ahead of its tail). */
#ifndef GT_UTIL_RING_H
#define GT_UTIL_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	uint8_t *buf;   /* NULL until ring_alloc() */
	uint32_t cap;   /* bytes */
	uint32_t head;  /* offset of the first byte held */
	uint32_t len;   /* bytes held */
	/* In what was padding, one field for each kind of ring; the ring
	 * never reads it, and ring_alloc(), ring_free() and ring_init_lazy()
	 * zero it. */
	union {
		/* A receive ring: memory its owner charges for what it
		 * holds, beyond len (per-packet overhead). */
		uint32_t mem;
		/* A send ring: of cap, bytes past the buffer size its owner
		 * counts (the Linux profile's send ring grows past SO_SNDBUF
		 * to hold what Linux's skbs hold, tcp_lx_ring_fit()). */
		uint32_t over;
	};
};

/* Allocates cap bytes; returns 0 or -ENOMEM. ring_free() releases them. */
int ring_alloc(struct ring *r, uint32_t cap);
/* A ring of capacity cap with no memory behind it yet: its owner gives it
 * memory when used (ring_reserve) and takes it back when empty, so an idle
 * connection holds none. */
static inline void ring_init_lazy(struct ring *r, uint32_t cap)
{
	r->buf = NULL;
	r->cap = cap;
	r->head = r->len = r->over = 0;
}
/* Allocates the memory of a lazy ring if it has none; 0 or -ENOMEM. */
int ring_reserve(struct ring *r);
void ring_free(struct ring *r);
static inline uint32_t ring_free_space(const struct ring *r) { return r->cap - r->len; }
/* Appends up to n bytes; returns how many fit. */
uint32_t ring_write(struct ring *r, const void *src, uint32_t n);
/* Writes n bytes at offset off past the tail without making them readable
 * (off + n <= free space); returns how many were written. */
uint32_t ring_write_at(struct ring *r, uint32_t off, const void *src, uint32_t n);
/* Makes n bytes written by ring_write_at() at the tail readable. */
void ring_commit(struct ring *r, uint32_t n);
/* Copies up to n bytes from offset off past the head; returns the count. */
uint32_t ring_peek(const struct ring *r, uint32_t off, void *dst, uint32_t n);
/* Where the n bytes at offset off past the head lie (off + n <= len): one
 * or, when they wrap, two contiguous spans; returns how many (1 or 2). */
int ring_spans(const struct ring *r, uint32_t off, uint32_t n, const uint8_t *p[2],
	       uint32_t len[2]);
/* Where the free space past the tail lies (the next ring_commit()'s
 * bytes): one or two spans; returns how many (0 when the ring is full). */
int ring_free_spans(const struct ring *r, uint8_t *p[2], uint32_t len[2]);
/* Copies and removes up to n bytes; returns the count. */
uint32_t ring_read(struct ring *r, void *dst, uint32_t n);
/* Removes up to n bytes from the head; returns the count. */
uint32_t ring_discard(struct ring *r, uint32_t n);
/* Changes capacity keeping contents (new cap >= len); 0 or -ENOMEM. */
int ring_resize(struct ring *r, uint32_t cap);
/* The same, keeping the first keep bytes from the head: the committed ones
 * and the data parked past the tail (len <= keep <= cap, keep <= the old
 * cap); 0, -EINVAL or -ENOMEM. */
int ring_resize_keep(struct ring *r, uint32_t cap, uint32_t keep);

#endif
