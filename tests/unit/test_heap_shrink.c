/* heap_shrink() (src/util/heap.c): the timer heap gives back the room a
 * peak of connections made, keeps every entry and its order, and never
 * goes below what it holds. */
#include "harness.h"

#include "util/heap.h"

struct owner {
	uint32_t idx;
	int id;
};

TEST(heap_shrink_keeps_entries_and_order)
{
	static struct owner o[5000];
	struct heap h;
	ASSERT_EQ(heap_init(&h, 64), 0);
	for (int i = 0; i < 5000; i++) {
		o[i].idx = HEAP_NONE;
		o[i].id = i;
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, (uint64_t)(5000 - i) * 10), 0);
	}
	ASSERT_EQ(h.cap, 8192);
	/* Everything but the 100 latest deadlines goes. */
	for (int i = 100; i < 5000; i++)
		heap_remove(&h, &o[i].idx);
	ASSERT_EQ(h.len, 100);
	/* Asked for less than it holds: it keeps room for what it holds. */
	uint64_t freed = heap_shrink(&h, 10);
	ASSERT_EQ(h.cap, 128);
	ASSERT_EQ(freed, (uint64_t)(8192 - 128) * sizeof(struct heap_entry));
	/* Nothing more to give. */
	ASSERT_EQ(heap_shrink(&h, 200), 0);
	ASSERT_EQ(h.cap, 128);
	for (uint32_t i = 0; i < h.len; i++)
		ASSERT_EQ(*h.v[i].idx, i);
	/* The 100 come out latest first (their deadlines ran backwards). */
	for (int i = 99; i >= 0; i--) {
		struct owner *m = heap_min_owner(&h);
		ASSERT_EQ(m->id, i);
		heap_remove(&h, &m->idx);
	}
	ASSERT(heap_empty(&h));
	/* It grows again when it must. */
	for (int i = 0; i < 1000; i++)
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, (uint64_t)i), 0);
	ASSERT_EQ(h.len, 1000);
	heap_fini(&h);
}
