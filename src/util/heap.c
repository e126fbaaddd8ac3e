/* Binary min-heap of timer deadlines, keyed by (deadline_us, order). Every
 * move writes the entry's new index through its idx pointer, so owners can
 * re-arm or cancel in O(log n) without searching. Invariant: for each i > 0,
 * key(v[(i-1)/2]) <= key(v[i]) and *v[i].idx == i. */
#include "util/heap.h"

#include <errno.h>
#include <stdlib.h>

static bool less(const struct heap_entry *a, const struct heap_entry *b)
{
	if (a->deadline_us != b->deadline_us)
		return a->deadline_us < b->deadline_us;
	return a->order < b->order;
}

static void place(struct heap *h, uint32_t i, struct heap_entry e)
{
	h->v[i] = e;
	*e.idx = i;
}

static void sift_up(struct heap *h, uint32_t i)
{
	struct heap_entry e = h->v[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!less(&e, &h->v[parent]))
			break;
		place(h, i, h->v[parent]);
		i = parent;
	}
	place(h, i, e);
}

static void sift_down(struct heap *h, uint32_t i)
{
	struct heap_entry e = h->v[i];
	for (;;) {
		uint64_t child = 2 * (uint64_t)i + 1;
		if (child >= h->len)
			break;
		if (child + 1 < h->len && less(&h->v[child + 1], &h->v[child]))
			child++;
		if (!less(&h->v[child], &e))
			break;
		place(h, i, h->v[child]);
		i = (uint32_t)child;
	}
	place(h, i, e);
}

/* After an entry at i changed or was replaced, restore the order in
 * whichever direction it is now out of place. */
static void fix(struct heap *h, uint32_t i)
{
	if (i > 0 && less(&h->v[i], &h->v[(i - 1) / 2]))
		sift_up(h, i);
	else
		sift_down(h, i);
}

static int grow(struct heap *h)
{
	/* len must stay below HEAP_NONE, which marks "not in the heap". */
	if (h->cap >= HEAP_NONE / 2)
		return -ENOMEM;
	uint32_t cap = h->cap ? 2 * h->cap : 8;
	struct heap_entry *v = realloc(h->v, (size_t)cap * sizeof *v);
	if (!v)
		return -ENOMEM;
	h->v = v;
	h->cap = cap;
	return 0;
}

int heap_reserve(struct heap *h, uint32_t n)
{
	while (h->cap < n) {
		int err = grow(h);
		if (err)
			return err;
	}
	return 0;
}

int heap_init(struct heap *h, uint32_t cap)
{
	h->v = NULL;
	h->len = h->cap = 0;
	h->next_order = 0;
	if (cap == 0)
		return 0;
	if (cap >= HEAP_NONE / 2)
		return -ENOMEM;
	h->v = malloc((size_t)cap * sizeof *h->v);
	if (!h->v)
		return -ENOMEM;
	h->cap = cap;
	return 0;
}

void heap_fini(struct heap *h)
{
	/* Owners' idx slots are left alone: the owners may already be gone. */
	free(h->v);
	h->v = NULL;
	h->len = h->cap = 0;
}

int heap_set(struct heap *h, void *owner, uint32_t *idx, uint64_t deadline_us)
{
	if (deadline_us == UINT64_MAX) {
		heap_remove(h, idx);
		return 0;
	}
	/* A re-armed timer takes a fresh order, as if cancelled and inserted
	 * again, so equal deadlines fire in the order they were last set. */
	struct heap_entry e = {
		.deadline_us = deadline_us,
		.order = h->next_order++,
		.owner = owner,
		.idx = idx,
	};
	uint32_t i = *idx;
	if (i != HEAP_NONE && i < h->len && h->v[i].idx == idx) {
		h->v[i] = e;
		fix(h, i);
		return 0;
	}
	if (h->len == h->cap) {
		int err = grow(h);
		if (err)
			return err;
	}
	i = h->len++;
	h->v[i] = e;
	sift_up(h, i);
	return 0;
}

uint64_t heap_shrink(struct heap *h, uint32_t cap)
{
	uint32_t c = 8;
	while (c < cap || c < h->len)
		c *= 2;
	if (c >= h->cap)
		return 0;
	struct heap_entry *v = realloc(h->v, (size_t)c * sizeof *v);
	if (!v)
		return 0; /* the old block stays, whole and valid */
	uint64_t freed = (uint64_t)(h->cap - c) * sizeof *v;
	h->v = v;
	h->cap = c;
	return freed;
}

void heap_remove(struct heap *h, uint32_t *idx)
{
	uint32_t i = *idx;
	if (i == HEAP_NONE || i >= h->len || h->v[i].idx != idx)
		return;
	*idx = HEAP_NONE;
	uint32_t last = --h->len;
	if (i == last)
		return;
	/* The last entry fills the hole; it may belong above or below it. */
	h->v[i] = h->v[last];
	fix(h, i);
}
