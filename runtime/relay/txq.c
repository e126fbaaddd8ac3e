/* The relay's device writes, queued for one io_uring_enter() a flush.
 * A TUN device takes one packet a writev(), and each write that wakes the
 * namespace's client is a return to user space where the client preempts
 * the relay (docs/relay.md, "The connection rate, 5 Dec 2026": 16% of the
 * relay's samples with eight connections in flight). Queued, a pass's
 * small packets go in one system call, IORING_OP_WRITEV each, which a TUN
 * fd completes inline (bench/relay_uring_probe.c), in order (IOSQE_IO_LINK
 * is not needed: inline issue is in submission order, and a write to a
 * TUN device never waits). A flush of one packet is a plain writev(). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/relay/relay_int.h"

struct relay_txq {
	int ring_fd;
	int tun_fd;
	struct io_uring_sqe *sqes;
	unsigned *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, cq_mask;
	struct io_uring_cqe *cqes;
	void *sq_map, *cq_map, *sqe_map;
	size_t sq_bytes, cq_bytes, sqe_bytes;
	uint32_t n, max;           /* queued; --tx-batch, RELAY_TXQ at most */
	uint32_t len[RELAY_TXQ];  /* each queued packet's bytes, virtio-net header included */
	struct iovec iov[RELAY_TXQ];
	uint8_t buf[RELAY_TXQ][RELAY_TXQ_SLOT];
};

static void unmap(struct relay_txq *q)
{
	if (q->sqe_map && q->sqe_map != MAP_FAILED)
		munmap(q->sqe_map, q->sqe_bytes);
	if (q->cq_map && q->cq_map != MAP_FAILED && q->cq_map != q->sq_map)
		munmap(q->cq_map, q->cq_bytes);
	if (q->sq_map && q->sq_map != MAP_FAILED)
		munmap(q->sq_map, q->sq_bytes);
	if (q->ring_fd >= 0)
		close(q->ring_fd);
	q->ring_fd = -1;
}

/* NULL where io_uring is not to be had (an old kernel, a seccomp filter,
 * kernel.io_uring_disabled): the relay writes each packet at once. */
struct relay_txq *relay_txq_open(int tun_fd, uint32_t max)
{
	struct relay_txq *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->tun_fd = tun_fd;
	q->max = max < RELAY_TXQ ? max : RELAY_TXQ;
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	q->ring_fd = (int)syscall(__NR_io_uring_setup, RELAY_TXQ, &p);
	if (q->ring_fd < 0) {
		int e = errno;
		free(q);
		errno = e;
		return NULL;
	}
	q->sq_bytes = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	q->cq_bytes = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		q->sq_bytes = q->cq_bytes = q->sq_bytes > q->cq_bytes ? q->sq_bytes : q->cq_bytes;
	q->sq_map = mmap(NULL, q->sq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->ring_fd,
			 IORING_OFF_SQ_RING);
	q->cq_map = (p.features & IORING_FEAT_SINGLE_MMAP)
			    ? q->sq_map
			    : mmap(NULL, q->cq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
				   q->ring_fd, IORING_OFF_CQ_RING);
	q->sqe_bytes = p.sq_entries * sizeof(struct io_uring_sqe);
	q->sqe_map = mmap(NULL, q->sqe_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->ring_fd,
			  IORING_OFF_SQES);
	if (q->sq_map == MAP_FAILED || q->cq_map == MAP_FAILED || q->sqe_map == MAP_FAILED ||
	    p.sq_entries < RELAY_TXQ || p.cq_entries < RELAY_TXQ) {
		int e = q->sq_map == MAP_FAILED || q->cq_map == MAP_FAILED || q->sqe_map == MAP_FAILED ? errno : ENOSPC;
		unmap(q);
		free(q);
		errno = e;
		return NULL;
	}
	uint8_t *sq = q->sq_map, *cq = q->cq_map;
	q->sqes = q->sqe_map;
	q->sq_tail = (unsigned *)(void *)(sq + p.sq_off.tail);
	q->sq_mask = (unsigned *)(void *)(sq + p.sq_off.ring_mask);
	q->sq_array = (unsigned *)(void *)(sq + p.sq_off.array);
	q->cq_head = (unsigned *)(void *)(cq + p.cq_off.head);
	q->cq_tail = (unsigned *)(void *)(cq + p.cq_off.tail);
	q->cq_mask = *(unsigned *)(void *)(cq + p.cq_off.ring_mask);
	q->cqes = (struct io_uring_cqe *)(void *)(cq + p.cq_off.cqes);
	return q;
}

void relay_txq_close(struct relay_txq *q)
{
	if (!q)
		return;
	unmap(q);
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
	q->iov[q->n] = (struct iovec){ q->buf[q->n], bytes };
	q->n++;
	return true;
}

static int enter(int fd, unsigned submit, unsigned wait)
{
	return (int)syscall(__NR_io_uring_enter, fd, submit, wait, IORING_ENTER_GETEVENTS, NULL, 0);
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
	if (n == 1 || q->ring_fd < 0) {
		for (uint32_t i = 0; i < n; i++) {
			if (writev(q->tun_fd, &q->iov[i], 1) != (ssize_t)q->len[i]) {
				bad++;
				*bad_bytes += q->len[i];
			}
		}
		st->TxFlushWrites += n;
		return bad;
	}
	unsigned t = *q->sq_tail;
	for (uint32_t i = 0; i < n; i++) {
		unsigned k = (t + i) & *q->sq_mask;
		struct io_uring_sqe *s = &q->sqes[k];
		memset(s, 0, sizeof(*s));
		s->opcode = IORING_OP_WRITEV;
		s->fd = q->tun_fd;
		s->addr = (uint64_t)(uintptr_t)&q->iov[i];
		s->len = 1;
		s->user_data = i;
		q->sq_array[k] = k;
	}
	__atomic_store_n(q->sq_tail, t + n, __ATOMIC_RELEASE);
	unsigned submitted = 0, reaped = 0;
	bool seen[RELAY_TXQ] = { false };
	while (reaped < n) {
		int r = enter(q->ring_fd, n - submitted, n - reaped);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0)
			submitted += (unsigned)r;
		unsigned head = *q->cq_head, tail = __atomic_load_n(q->cq_tail, __ATOMIC_ACQUIRE);
		for (; head != tail; head++) {
			const struct io_uring_cqe *c = &q->cqes[head & q->cq_mask];
			uint64_t i = c->user_data;
			if (i < n && !seen[i]) {
				seen[i] = true;
				reaped++;
				if (c->res != (int)q->len[i]) {
					bad++;
					*bad_bytes += q->len[i];
				}
			}
		}
		__atomic_store_n(q->cq_head, head, __ATOMIC_RELEASE);
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
		unmap(q);
	}
	return bad;
}
