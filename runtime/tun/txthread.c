/* --tx-thread: the device's writes on a thread of their own. A write to a
 * TUN device runs the kernel's receive path for the packet inside the
 * write (tun_get_user() -> netif_receive_skb(): forwarding, and a local
 * peer's TCP receiving it), on the writer's CPU: sending over TUN, that was
 * about half of `glasstcp serve`'s CPU time (perf record, docs/sending.md).
 * Here the main thread copies packets into one of two banks of slots and
 * hands a full bank (or a partial one, before it waits or reads) to the
 * writer, which writes them in order (its own io_uring, one enter a bank,
 * or write() per packet) while the main thread goes on with the next bank.
 * Two banks: order is kept (the writer takes them alternately), and the
 * main thread waits only when both are handed over and unwritten. */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BANK_FREE, BANK_QUEUED, BANK_DONE };

#define NO_RESULT INT32_MIN

/* Writes bank b: through the ring when there is one, one enter for the
 * bank, else (or for what the ring did not take: a failed enter, a kernel
 * that refuses RWF_NOWAIT, which gives the ring up) one write() a packet.
 * Called without the lock: the bank is the writer's while QUEUED. */
static void write_bank(struct tun_txw *w, unsigned b)
{
	unsigned n = w->n[b];
	uint8_t *base = w->slots + (size_t)b * TUN_TXW_BANK_PKTS * w->slot_bytes;
	for (unsigned i = 0; i < n; i++)
		w->res[b][i] = NO_RESULT;
	if (tun_uring_on(&w->ur)) {
		for (unsigned i = 0; i < n; i++)
			(void)tun_uring_write(&w->ur, w->fd, base + i * w->slot_bytes, w->len[b][i], i);
		bool refused = tun_uring_submit(&w->ur) < 0;
		uint64_t tag;
		int32_t res;
		while (tun_uring_next(&w->ur, &tag, &res)) {
			if (res == -EOPNOTSUPP)
				refused = true;
			else if (tag < n)
				w->res[b][tag] = res;
		}
		w->enters++;
		if (refused || w->ur.inflight || w->ur.queued)
			tun_uring_fini(&w->ur); /* closing it cancels what it still holds */
	}
	for (unsigned i = 0; i < n; i++) {
		if (w->res[b][i] != NO_RESULT)
			continue;
		ssize_t r = write(w->fd, base + i * w->slot_bytes, w->len[b][i]);
		w->res[b][i] = r < 0 ? -errno : (int32_t)r;
	}
}

static void *writer(void *arg)
{
	struct tun_txw *w = arg;
	unsigned b = 0;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->state[b] != BANK_QUEUED && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->state[b] != BANK_QUEUED)
			break; /* stopped with nothing left */
		pthread_mutex_unlock(&w->mu);
		write_bank(w, b);
		pthread_mutex_lock(&w->mu);
		w->state[b] = BANK_DONE;
		pthread_cond_broadcast(&w->cv);
		b ^= 1u;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int tun_txw_start(struct tun_txw *w, int fd, size_t slot_bytes, bool ring)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->ur.fd = -1;
	w->ur.fixed_fd = -1;
	w->slot_bytes = slot_bytes;
	w->slots = malloc(2 * TUN_TXW_BANK_PKTS * slot_bytes);
	if (!w->slots)
		return -ENOMEM;
	/* The writer's own ring (a ring is one thread's: the main thread's
	 * reads keep theirs); without one, write() per packet. */
	if (ring && tun_uring_init(&w->ur) == 0)
		w->fixed_file = tun_uring_register_fd(&w->ur, fd) == 0;
	int e = pthread_mutex_init(&w->mu, NULL);
	if (e == 0 && (e = pthread_cond_init(&w->cv, NULL)) != 0)
		pthread_mutex_destroy(&w->mu);
	if (e == 0 && (e = pthread_create(&w->th, NULL, writer, w)) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
	}
	if (e != 0) {
		tun_uring_fini(&w->ur);
		free(w->slots);
		w->slots = NULL;
		return -e;
	}
	w->on = true;
	return 0;
}

uint8_t *tun_txw_slot(struct tun_txw *w)
{
	if (w->n[w->cur] == TUN_TXW_BANK_PKTS)
		return NULL;
	return w->slots + ((size_t)w->cur * TUN_TXW_BANK_PKTS + w->n[w->cur]) * w->slot_bytes;
}

void tun_txw_queued(struct tun_txw *w, size_t len, uint32_t hdr, uint32_t segs)
{
	unsigned b = w->cur, i = w->n[b]++;
	w->len[b][i] = len;
	w->hdr[b][i] = hdr;
	w->segs[b][i] = segs;
}

/* Under the lock: the results of a bank the writer is done with, to the
 * caller (done), and the bank free again. */
static void take(struct tun_txw *w, unsigned b, tun_txw_done_fn *done, void *ctx)
{
	if (w->state[b] != BANK_DONE)
		return;
	for (unsigned i = 0; i < w->n[b]; i++)
		done(ctx, w->res[b][i], w->len[b][i], w->hdr[b][i], w->segs[b][i]);
	w->n[b] = 0;
	w->state[b] = BANK_FREE;
}

void tun_txw_hand(struct tun_txw *w, tun_txw_done_fn *done, void *ctx)
{
	unsigned b = w->cur, next = b ^ 1u;
	if (!w->on || !w->n[b])
		return;
	pthread_mutex_lock(&w->mu);
	w->state[b] = BANK_QUEUED;
	w->handed++;
	if (w->n[b] > w->batch_max)
		w->batch_max = w->n[b];
	pthread_cond_broadcast(&w->cv);
	if (w->state[next] == BANK_QUEUED)
		w->waits++; /* both banks out: the writer is behind */
	while (w->state[next] == BANK_QUEUED)
		pthread_cond_wait(&w->cv, &w->mu);
	take(w, next, done, ctx);
	pthread_mutex_unlock(&w->mu);
	w->cur = next;
}

void tun_txw_sync(struct tun_txw *w, tun_txw_done_fn *done, void *ctx)
{
	if (!w->on)
		return;
	tun_txw_hand(w, done, ctx);
	pthread_mutex_lock(&w->mu);
	while (w->state[0] == BANK_QUEUED || w->state[1] == BANK_QUEUED)
		pthread_cond_wait(&w->cv, &w->mu);
	take(w, 0, done, ctx);
	take(w, 1, done, ctx);
	pthread_mutex_unlock(&w->mu);
}

void tun_txw_stop(struct tun_txw *w, tun_txw_done_fn *done, void *ctx)
{
	if (!w->on)
		return;
	tun_txw_sync(w, done, ctx);
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	tun_uring_fini(&w->ur);
	free(w->slots);
	w->slots = NULL;
	w->on = false;
}
