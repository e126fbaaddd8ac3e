/* The relay's device writes, queued for one io_uring_enter() a flush.
 * A TUN device takes one packet a writev(), and each write that wakes the
 * namespace's client is a return to user space where the client preempts
 * the relay (docs/relay.md, "The connection rate, 5 Dec 2026": 16% of the
 * relay's samples with eight connections in flight). Queued, a pass's
 * small packets go in one system call, IORING_OP_WRITEV each, which a TUN
 * fd completes inline (bench/relay_uring_probe.c), in order (IOSQE_IO_LINK
 * is not needed: inline issue is in submission order, and a write to a
 * TUN device never waits). A flush of one packet is a plain writev(). The
 * ring is the TUN runtime's (runtime/tun/uring.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/relay/relay_int.h"
#include "runtime/tun/tun.h"

struct relay_txq {
	struct tun_uring u;
	int tun_fd;
	uint32_t n, max;           /* queued; --tx-batch, RELAY_TXQ at most */
	uint32_t len[RELAY_TXQ];  /* each queued packet's bytes, virtio-net header included */
	uint8_t buf[RELAY_TXQ][RELAY_TXQ_SLOT];
};

_Static_assert(RELAY_TXQ <= TUN_URING_ENTRIES, "a flush fits one ring");

/* NULL where io_uring is not to be had (an old kernel, a seccomp filter,
 * kernel.io_uring_disabled): the relay writes each packet at once. */
struct relay_txq *relay_txq_open(int tun_fd, uint32_t max)
{
	struct relay_txq *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->tun_fd = tun_fd;
	q->max = max < RELAY_TXQ ? max : RELAY_TXQ;
	int r = tun_uring_init(&q->u);
	if (r < 0) {
		free(q);
		errno = -r;
		return NULL;
	}
	return q;
}

void relay_txq_close(struct relay_txq *q)
{
	if (!q)
		return;
	tun_uring_fini(&q->u);
	free(q);
}

bool relay_txq_full(const struct relay_txq *q)
{
	return q->n >= q->max;
}

/* Copies the packet (iov[0..n), bytes in all) into the queue; false when
 * it does not fit a slot (the caller flushes and writes it at once). */
bool relay_txq_put(struct relay_txq *q, const struct iovec *iov, int n, size_t bytes)
{
	if (bytes > RELAY_TXQ_SLOT || q->n >= q->max)
		return false;
	uint8_t *p = q->buf[q->n];
	for (int i = 0; i < n; i++) {
		memcpy(p, iov[i].iov_base, iov[i].iov_len);
		p += iov[i].iov_len;
	}
	q->len[q->n] = (uint32_t)bytes;
	q->n++;
	return true;
}

/* Writes what is queued, in order. Returns the packets that failed; their
 * bytes in *bad_bytes. */
uint32_t relay_txq_flush(struct relay_txq *q, struct relay_stats *st, uint64_t *bad_bytes)
{
	uint32_t n = q->n, bad = 0;
	*bad_bytes = 0;
	q->n = 0;
	if (n == 0)
		return 0;
	if (n == 1 || !tun_uring_on(&q->u)) {
		for (uint32_t i = 0; i < n; i++) {
			if (write(q->tun_fd, q->buf[i], q->len[i]) != (ssize_t)q->len[i]) {
				bad++;
				*bad_bytes += q->len[i];
			}
		}
		st->TxFlushWrites += n;
		return bad;
	}
	for (uint32_t i = 0; i < n; i++)
		(void)tun_uring_write(&q->u, q->tun_fd, q->buf[i], q->len[i], i); /* room: above */
	/* A TUN write completes inside the enter that submits it (its fd is
	 * non-blocking, RWF_NOWAIT), so every completion is there after the
	 * enters that took them all. */
	unsigned submitted = 0, reaped = 0;
	while (submitted < n) {
		int r = tun_uring_submit(&q->u);
		if (r <= 0)
			break;
		submitted += (unsigned)r;
	}
	bool seen[RELAY_TXQ] = { false };
	uint64_t tag;
	int32_t res;
	while (tun_uring_next(&q->u, &tag, &res)) {
		if (tag < n && !seen[tag]) {
			seen[tag] = true;
			reaped++;
			if (res != (int32_t)q->len[tag]) {
				bad++;
				*bad_bytes += q->len[tag];
			}
		}
	}
	st->TxBatches++;
	st->TxBatchedPkts += n;
	if (reaped < n) {
		/* The ring failed: what it did not report is counted lost,
		 * and the relay writes each packet at once from now on. */
		for (uint32_t i = 0; i < n; i++) {
			if (!seen[i]) {
				bad++;
				*bad_bytes += q->len[i];
			}
		}
		st->TxRingFailed++;
		tun_uring_fini(&q->u);
	}
	return bad;
}
