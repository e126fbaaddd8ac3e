/* Unit tests for the timer heap (src/util/heap.c): ordering, the
 * insertion-order tie-break, index bookkeeping, growth, and a random walk of
 * inserts, moves, removes and pops checked against a brute-force model. */
#include "harness.h"

#include "util/heap.h"

struct owner {
	uint32_t idx;
	int id;
};

static void init_owners(struct owner *o, int n)
{
	for (int i = 0; i < n; i++) {
		o[i].idx = HEAP_NONE;
		o[i].id = i;
	}
}

static int pop_id(struct heap *h)
{
	struct owner *o = heap_min_owner(h);
	ASSERT(o != NULL);
	ASSERT_EQ(h->v[o->idx].owner, o);
	heap_remove(h, &o->idx);
	ASSERT_EQ(o->idx, HEAP_NONE);
	return o->id;
}

/* The heap property and *v[i].idx == i for every entry. */
static void check_heap(const struct heap *h)
{
	for (uint32_t i = 0; i < h->len; i++) {
		ASSERT_EQ(*h->v[i].idx, i);
		if (i == 0)
			continue;
		const struct heap_entry *p = &h->v[(i - 1) / 2], *c = &h->v[i];
		ASSERT(p->deadline_us < c->deadline_us ||
		       (p->deadline_us == c->deadline_us && p->order < c->order));
	}
}

TEST(heap_pops_in_deadline_order)
{
	struct heap h;
	struct owner o[6];
	const uint64_t dl[6] = {50, 10, 40, 30, 20, 60};
	init_owners(o, 6);
	ASSERT_EQ(heap_init(&h, 4), 0);
	ASSERT(heap_empty(&h));
	ASSERT_EQ(heap_min_deadline(&h), UINT64_MAX);
	ASSERT(heap_min_owner(&h) == NULL);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, dl[i]), 0);
	check_heap(&h);
	ASSERT_EQ(heap_min_deadline(&h), 10);
	const int want[6] = {1, 4, 3, 2, 0, 5};
	for (int i = 0; i < 6; i++) {
		ASSERT_EQ(pop_id(&h), want[i]);
		check_heap(&h);
	}
	ASSERT(heap_empty(&h));
	heap_fini(&h);
}

TEST(heap_ties_break_by_insertion_order)
{
	struct heap h;
	struct owner o[8];
	init_owners(o, 8);
	ASSERT_EQ(heap_init(&h, 0), 0);
	/* Inserted 7, 3, 5, 0, ...: equal deadlines fire in that order. */
	const int ins[8] = {7, 3, 5, 0, 6, 1, 4, 2};
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(heap_set(&h, &o[ins[i]], &o[ins[i]].idx, 1000), 0);
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(pop_id(&h), ins[i]);
	heap_fini(&h);
}

TEST(heap_rearm_takes_a_fresh_order)
{
	struct heap h;
	struct owner o[3];
	init_owners(o, 3);
	ASSERT_EQ(heap_init(&h, 2), 0);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, 100), 0);
	/* Re-arming 0 at the same deadline puts it behind 1 and 2. */
	ASSERT_EQ(heap_set(&h, &o[0], &o[0].idx, 100), 0);
	ASSERT_EQ(h.len, 3);
	ASSERT_EQ(pop_id(&h), 1);
	ASSERT_EQ(pop_id(&h), 2);
	ASSERT_EQ(pop_id(&h), 0);
	heap_fini(&h);
}

TEST(heap_move_earlier_and_later)
{
	struct heap h;
	struct owner o[5];
	init_owners(o, 5);
	ASSERT_EQ(heap_init(&h, 8), 0);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, 100 + 10 * (uint64_t)i), 0);
	ASSERT_EQ(heap_set(&h, &o[4], &o[4].idx, 5), 0);   /* last to first */
	ASSERT_EQ(heap_set(&h, &o[0], &o[0].idx, 500), 0); /* first to last */
	check_heap(&h);
	ASSERT_EQ(h.len, 5);
	ASSERT(heap_min_owner(&h) == &o[4]);
	const int want[5] = {4, 1, 2, 3, 0};
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(pop_id(&h), want[i]);
	heap_fini(&h);
}

TEST(heap_no_deadline_removes)
{
	struct heap h;
	struct owner o[4];
	init_owners(o, 4);
	ASSERT_EQ(heap_init(&h, 4), 0);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, 10 * (uint64_t)i + 10), 0);
	ASSERT_EQ(heap_set(&h, &o[1], &o[1].idx, UINT64_MAX), 0);
	ASSERT_EQ(o[1].idx, HEAP_NONE);
	ASSERT_EQ(h.len, 3);
	check_heap(&h);
	/* Removing what is not there is harmless, either way. */
	ASSERT_EQ(heap_set(&h, &o[1], &o[1].idx, UINT64_MAX), 0);
	heap_remove(&h, &o[1].idx);
	ASSERT_EQ(h.len, 3);
	heap_remove(&h, &o[0].idx);
	ASSERT_EQ(o[0].idx, HEAP_NONE);
	ASSERT_EQ(heap_min_deadline(&h), 30);
	ASSERT_EQ(pop_id(&h), 2);
	ASSERT_EQ(pop_id(&h), 3);
	heap_fini(&h);
}

TEST(heap_grows_by_doubling)
{
	enum { N = 1000 };
	static struct owner o[N];
	struct heap h;
	init_owners(o, N);
	ASSERT_EQ(heap_init(&h, 1), 0);
	for (int i = 0; i < N; i++) {
		/* Descending deadlines: every insert sifts to the root. */
		ASSERT_EQ(heap_set(&h, &o[i], &o[i].idx, (uint64_t)(N - i)), 0);
		ASSERT_GE(h.cap, h.len);
	}
	ASSERT_EQ(h.len, N);
	check_heap(&h);
	for (int i = N - 1; i >= 0; i--)
		ASSERT_EQ(pop_id(&h), i);
	heap_fini(&h);
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

TEST(heap_random_walk_matches_model)
{
	enum { N = 64 };
	struct owner o[N];
	/* Model: per owner, armed or not, its deadline and order. */
	bool armed[N] = {0};
	uint64_t dl[N], ord[N], next_ord = 0, seed = 42;
	struct heap h;
	init_owners(o, N);
	ASSERT_EQ(heap_init(&h, 0), 0);
	for (int step = 0; step < 50000; step++) {
		int k = (int)(splitmix64(&seed) % N);
		uint64_t r = splitmix64(&seed) % 10;
		if (r < 6) { /* insert or move; few distinct deadlines force ties */
			uint64_t d = splitmix64(&seed) % 16;
			ASSERT_EQ(heap_set(&h, &o[k], &o[k].idx, d), 0);
			armed[k] = true;
			dl[k] = d;
			ord[k] = next_ord++;
		} else if (r < 8) {
			if (r == 6)
				heap_remove(&h, &o[k].idx);
			else
				ASSERT_EQ(heap_set(&h, &o[k], &o[k].idx, UINT64_MAX), 0);
			armed[k] = false;
		} else if (!heap_empty(&h)) { /* pop the earliest */
			int best = -1;
			for (int i = 0; i < N; i++)
				if (armed[i] && (best < 0 || dl[i] < dl[best] ||
						 (dl[i] == dl[best] && ord[i] < ord[best])))
					best = i;
			ASSERT_EQ(heap_min_deadline(&h), dl[best]);
			ASSERT_EQ(pop_id(&h), best);
			armed[best] = false;
		}
		uint32_t n = 0;
		for (int i = 0; i < N; i++) {
			if (!armed[i]) {
				ASSERT_EQ(o[i].idx, HEAP_NONE);
				continue;
			}
			n++;
			ASSERT_LT(o[i].idx, h.len);
			ASSERT(h.v[o[i].idx].owner == &o[i]);
			ASSERT_EQ(h.v[o[i].idx].deadline_us, dl[i]);
		}
		ASSERT_EQ(h.len, n);
		check_heap(&h);
	}
	heap_fini(&h);
}
