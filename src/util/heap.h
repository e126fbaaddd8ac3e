/* A binary min-heap of timers. Each owner has at most one entry (its earliest
 * deadline) and remembers its index; ties break by insertion order, so runs
 * are deterministic. */
#ifndef GT_UTIL_HEAP_H
#define GT_UTIL_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#define HEAP_NONE UINT32_MAX

struct heap_entry {
	uint64_t deadline_us;
	uint64_t order;     /* insertion counter: the tie-break */
	void *owner;
	uint32_t *idx;      /* where the owner keeps its index (HEAP_NONE = not in heap) */
};

struct heap {
	struct heap_entry *v;
	uint32_t len, cap;
	uint64_t next_order;
};

/* Preallocates room for cap entries; 0 or -ENOMEM. The heap grows by doubling. */
int heap_init(struct heap *h, uint32_t cap);
void heap_fini(struct heap *h);
/* Makes room for n entries, so that inserting up to n never fails. 0 or
 * -ENOMEM. */
int heap_reserve(struct heap *h, uint32_t n);
/* Inserts, moves or (with GT_NO_DEADLINE = UINT64_MAX) removes the entry of the
 * owner whose index lives at *idx. Returns 0 or -ENOMEM. */
int heap_set(struct heap *h, void *owner, uint32_t *idx, uint64_t deadline_us);
void heap_remove(struct heap *h, uint32_t *idx);
/* Gives back the room above cap entries (never below len; a power of two
 * as the heap grows). Returns the bytes freed; 0 when nothing was. */
uint64_t heap_shrink(struct heap *h, uint32_t cap);
static inline bool heap_empty(const struct heap *h) { return h->len == 0; }
static inline uint64_t heap_min_deadline(const struct heap *h)
{
	return h->len ? h->v[0].deadline_us : UINT64_MAX;
}
static inline void *heap_min_owner(const struct heap *h) { return h->len ? h->v[0].owner : 0; }

#endif
