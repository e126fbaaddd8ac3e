/* A fault-injecting wrapper for one direction of the TUN link: loss,
 * duplication, delay with jitter, and reordering, in the simulator's order
 * (loss, then queue limit, then delay, reorder, duplicate). Unlike the
 * simulator it runs on the wall clock, so it is seeded but not reproducible.
 * The queue is bounded: a packet that finds it full is dropped and counted. */
#include "runtime/tun/tun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A hard ceiling whatever the configuration asks: 64 MiB of 64 KiB packets. */
#define FAULT_MAX_PKTS 65536u

struct tun_fault_pkt {
	uint64_t at_us, order;
	uint32_t len;
	uint16_t gso_size; /* tun_fault_submit_gso()'s, for the stack */
	uint8_t *data;
};

bool tun_fault_active(const struct tun_fault_config *c)
{
	return c->delay_us || c->jitter_us || c->loss > 0 || c->duplicate > 0 || c->reorder > 0;
}

int tun_fault_init(struct tun_fault *f, const struct tun_fault_config *cfg, uint64_t seed)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	if (f->cfg.queue_pkts == 0 || f->cfg.queue_pkts > FAULT_MAX_PKTS)
		f->cfg.queue_pkts = FAULT_MAX_PKTS;
	rng_seed(&f->rng, seed);
	f->cap = 64;
	f->heap = malloc(f->cap * sizeof(*f->heap));
	return f->heap ? 0 : -ENOMEM;
}

void tun_fault_fini(struct tun_fault *f)
{
	for (uint32_t i = 0; i < f->len; i++)
		free(f->heap[i].data);
	free(f->heap);
	memset(f, 0, sizeof(*f));
}

static bool before(const struct tun_fault_pkt *a, const struct tun_fault_pkt *b)
{
	return a->at_us != b->at_us ? a->at_us < b->at_us : a->order < b->order;
}

static void swap(struct tun_fault_pkt *a, struct tun_fault_pkt *b)
{
	struct tun_fault_pkt t = *a;
	*a = *b;
	*b = t;
}

static void push(struct tun_fault *f, uint64_t at_us, const void *pkt, size_t len, uint16_t gso)
{
	if (f->len >= f->cfg.queue_pkts) {
		f->st.queue_drops++;
		return;
	}
	if (f->len == f->cap) {
		struct tun_fault_pkt *v = realloc(f->heap, 2 * f->cap * sizeof(*v));
		if (!v) {
			f->st.queue_drops++;
			return;
		}
		f->heap = v;
		f->cap *= 2;
	}
	uint8_t *d = malloc(len ? len : 1);
	if (!d) {
		f->st.queue_drops++;
		return;
	}
	memcpy(d, pkt, len);
	uint32_t i = f->len++;
	f->heap[i] = (struct tun_fault_pkt){ at_us, f->next_order++, (uint32_t)len, gso, d };
	while (i > 0 && before(&f->heap[i], &f->heap[(i - 1) / 2])) {
		swap(&f->heap[i], &f->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void pop(struct tun_fault *f)
{
	f->heap[0] = f->heap[--f->len];
	uint32_t i = 0;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < f->len && before(&f->heap[l], &f->heap[m]))
			m = l;
		if (r < f->len && before(&f->heap[r], &f->heap[m]))
			m = r;
		if (m == i)
			break;
		swap(&f->heap[i], &f->heap[m]);
		i = m;
	}
}

void tun_fault_submit(struct tun_fault *f, uint64_t now_us, const void *pkt, size_t len)
{
	tun_fault_submit_gso(f, now_us, pkt, len, 0);
}

void tun_fault_submit_gso(struct tun_fault *f, uint64_t now_us, const void *pkt, size_t len,
			  uint16_t gso)
{
	const struct tun_fault_config *c = &f->cfg;
	f->st.submitted++;
	if (rng_chance(&f->rng, c->loss)) {
		f->st.lost++;
		return;
	}
	uint64_t at = now_us + c->delay_us + rng_upto(&f->rng, c->jitter_us);
	if (rng_chance(&f->rng, c->reorder)) {
		f->st.reordered++;
		at += c->reorder_us;
	}
	push(f, at, pkt, len, gso);
	if (rng_chance(&f->rng, c->duplicate)) {
		f->st.duplicated++;
		push(f, at + rng_upto(&f->rng, c->jitter_us), pkt, len, gso);
	}
}

uint64_t tun_fault_next_us(const struct tun_fault *f)
{
	return f->len ? f->heap[0].at_us : UINT64_MAX;
}

size_t tun_fault_take(struct tun_fault *f, uint64_t now_us, struct gt_iovec *v, uint16_t *gso,
		      size_t max)
{
	size_t n = 0;
	while (n < max && f->len && f->heap[0].at_us <= now_us) {
		struct tun_fault_pkt p = f->heap[0];
		pop(f);
		f->st.delivered++;
		if (gso)
			gso[n] = p.gso_size;
		v[n++] = (struct gt_iovec){p.data, p.len};
	}
	return n;
}

void tun_fault_release(struct tun_fault *f, uint64_t now_us,
		       void (*out)(void *ctx, const uint8_t *pkt, size_t len), void *ctx)
{
	while (f->len && f->heap[0].at_us <= now_us) {
		struct tun_fault_pkt p = f->heap[0];
		pop(f);
		f->st.delivered++;
		out(ctx, p.data, p.len);
		free(p.data);
	}
}
