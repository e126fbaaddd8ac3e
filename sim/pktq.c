/* The packets in flight in the simulated network: a binary min-heap ordered
 * by delivery time, ties broken by the order in which packets were queued,
 * so that two packets due at the same microsecond always arrive in the same
 * order and a run is reproducible. */
#include "sim_internal.h"

#include <errno.h>
#include <stdlib.h>

static bool before(const struct sim_pkt *a, const struct sim_pkt *b)
{
	if (a->at_us != b->at_us)
		return a->at_us < b->at_us;
	return a->order < b->order;
}

static void swap(struct sim_pkt *a, struct sim_pkt *b)
{
	struct sim_pkt t = *a;
	*a = *b;
	*b = t;
}

int sim_pktq_reserve(struct sim_pktq *q, uint32_t n)
{
	if (n > SIM_MAX_INFLIGHT_PKTS || q->len > SIM_MAX_INFLIGHT_PKTS - n)
		return -ENOMEM;
	if (q->len + n <= q->cap)
		return 0;
	uint32_t cap = q->cap ? q->cap : 64;
	while (cap < q->len + n)
		cap *= 2;
	struct sim_pkt *v = realloc(q->v, (size_t)cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	q->v = v;
	q->cap = cap;
	return 0;
}

void sim_pktq_push(struct sim_pktq *q, struct sim_pkt p)
{
	p.order = q->next_order++;
	uint32_t i = q->len++;
	q->v[i] = p;
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(&q->v[i], &q->v[parent]))
			break;
		swap(&q->v[i], &q->v[parent]);
		i = parent;
	}
}

bool sim_pktq_pop(struct sim_pktq *q, struct sim_pkt *out)
{
	if (q->len == 0)
		return false;
	*out = q->v[0];
	q->v[0] = q->v[--q->len];
	uint32_t i = 0;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, min = i;
		if (l < q->len && before(&q->v[l], &q->v[min]))
			min = l;
		if (r < q->len && before(&q->v[r], &q->v[min]))
			min = r;
		if (min == i)
			break;
		swap(&q->v[i], &q->v[min]);
		i = min;
	}
	return true;
}

void sim_pktq_free(struct sim_pktq *q)
{
	for (uint32_t i = 0; i < q->len; i++)
		free(q->v[i].data);
	free(q->v);
	*q = (struct sim_pktq){ 0 };
}
