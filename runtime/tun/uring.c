/* Batched device reads and writes through io_uring, without liburing: the
 * raw io_uring_setup()/io_uring_enter() system calls and the three shared
 * mappings (submission ring, completion ring, submission entries), as the
 * kernel's Documentation and io_uring(7) describe them.
 *
 * A TUN device hands over one packet per read() and takes one per write():
 * at 20,000 packets a 30 MB transfer, the system calls themselves were most
 * of the runtime's time (perf, docs/receiving.md). Here one io_uring_enter()
 * carries up to TUN_URING_ENTRIES reads or writes, each still one packet.
 * Every operation is submitted with RWF_NOWAIT on the non-blocking device
 * fd, so the kernel runs it inline during the enter and completes it there,
 * a read of an empty device with -EAGAIN (never parked on a poll, which
 * would fill a buffer behind our back later): after the enter returns, every
 * operation it submitted has its completion. */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int sys_setup(unsigned entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int sys_enter(int fd, unsigned submit, unsigned min_complete, unsigned flags)
{
	return (int)syscall(__NR_io_uring_enter, fd, submit, min_complete, flags, NULL, 0);
}

static int sys_register(int fd, unsigned op, void *arg, unsigned n)
{
	return (int)syscall(__NR_io_uring_register, fd, op, arg, n);
}

bool tun_uring_on(const struct tun_uring *u) { return u->fd >= 0; }

/* Without a fixed file every operation looks the fd up in the file table
 * and takes and drops a reference to the file (io_file_get_normal()): two
 * atomic operations per packet, all on the one TUN file. */
int tun_uring_register_fd(struct tun_uring *u, int fd)
{
	if (u->fd < 0 || u->fixed_fd >= 0)
		return -EINVAL;
	if (sys_register(u->fd, IORING_REGISTER_FILES, &fd, 1) < 0)
		return -errno;
	u->fixed_fd = fd;
	return 0;
}

void tun_uring_fini(struct tun_uring *u)
{
	/* The registered file is the ring's reference to the TUN device, and
	 * a closed ring is freed later, by the kernel's own worker
	 * (io_ring_exit_work()): until then the device stays attached and the
	 * next process to open it gets EBUSY. Unregistering puts the file now
	 * (no operation is in flight: every one completes inside its enter). */
	if (u->fd >= 0 && u->fixed_fd >= 0)
		(void)sys_register(u->fd, IORING_UNREGISTER_FILES, NULL, 0);
	if (u->sqes && u->sqes != MAP_FAILED)
		munmap(u->sqes, u->sqes_bytes);
	if (u->cq_map && u->cq_map != MAP_FAILED && u->cq_map != u->sq_map)
		munmap(u->cq_map, u->cq_bytes);
	if (u->sq_map && u->sq_map != MAP_FAILED)
		munmap(u->sq_map, u->sq_bytes);
	if (u->fd >= 0)
		close(u->fd);
	memset(u, 0, sizeof(*u));
	u->fd = -1;
	u->fixed_fd = -1;
}

int tun_uring_init(struct tun_uring *u)
{
	memset(u, 0, sizeof(*u));
	u->fd = -1;
	u->fixed_fd = -1;
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int fd = sys_setup(TUN_URING_ENTRIES, &p);
	if (fd < 0)
		return -errno;
	u->fd = fd;
	if (!(p.features & IORING_FEAT_NODROP) || p.sq_entries < TUN_URING_ENTRIES ||
	    p.cq_entries < TUN_URING_ENTRIES) {
		tun_uring_fini(u);
		return -EOPNOTSUPP;
	}
	u->sq_bytes = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	u->cq_bytes = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if ((p.features & IORING_FEAT_SINGLE_MMAP) && u->cq_bytes > u->sq_bytes)
		u->sq_bytes = u->cq_bytes;
	u->sq_map = mmap(NULL, u->sq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
			 IORING_OFF_SQ_RING);
	if (u->sq_map == MAP_FAILED) {
		int e = errno;
		tun_uring_fini(u);
		return -e;
	}
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		u->cq_map = u->sq_map;
	} else {
		u->cq_map = mmap(NULL, u->cq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
				 fd, IORING_OFF_CQ_RING);
		if (u->cq_map == MAP_FAILED) {
			int e = errno;
			tun_uring_fini(u);
			return -e;
		}
	}
	u->sqes_bytes = p.sq_entries * sizeof(struct io_uring_sqe);
	u->sqes = mmap(NULL, u->sqes_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		       IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED) {
		int e = errno;
		tun_uring_fini(u);
		return -e;
	}
	uint8_t *sq = u->sq_map, *cq = u->cq_map;
	u->sq_head = (unsigned *)(sq + p.sq_off.head);
	u->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	u->sq_mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	u->sq_array = (unsigned *)(sq + p.sq_off.array);
	u->cq_head = (unsigned *)(cq + p.cq_off.head);
	u->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	u->cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Queues one read or write of buf (not submitted yet). */
static int queue_rw(struct tun_uring *u, uint8_t op, int fd, const void *buf, size_t len,
		    uint64_t tag)
{
	if (u->queued == TUN_URING_ENTRIES)
		return -ENOSPC;
	unsigned tail = *u->sq_tail; /* ours alone to write */
	unsigned i = tail & u->sq_mask;
	struct io_uring_sqe *e = &((struct io_uring_sqe *)u->sqes)[i];
	memset(e, 0, sizeof(*e));
	e->opcode = op;
	e->fd = fd;
	if (fd == u->fixed_fd) {
		e->fd = 0; /* the index in the registered files */
		e->flags = IOSQE_FIXED_FILE;
	}
	e->addr = (uint64_t)(uintptr_t)buf;
	e->len = (uint32_t)len;
	e->off = (uint64_t)-1; /* the file position: a character device has none */
	e->rw_flags = RWF_NOWAIT;
	e->user_data = tag;
	u->sq_array[i] = i;
	__atomic_store_n(u->sq_tail, tail + 1, __ATOMIC_RELEASE);
	u->queued++;
	return 0;
}

int tun_uring_read(struct tun_uring *u, int fd, void *buf, size_t len, uint64_t tag)
{
	return queue_rw(u, IORING_OP_READ, fd, buf, len, tag);
}

int tun_uring_write(struct tun_uring *u, int fd, const void *buf, size_t len, uint64_t tag)
{
	return queue_rw(u, IORING_OP_WRITE, fd, buf, len, tag);
}

int tun_uring_submit(struct tun_uring *u)
{
	unsigned n = u->queued;
	if (n == 0)
		return 0;
	int r;
	do
		r = sys_enter(u->fd, n, 0, 0);
	while (r < 0 && errno == EINTR);
	u->enters++;
	if (r < 0)
		return -errno;
	/* Fewer taken than queued: the rest stay in the ring for the next
	 * enter (the kernel's head tells which). */
	u->queued -= (unsigned)r;
	u->inflight += (unsigned)r;
	return r;
}

bool tun_uring_next(struct tun_uring *u, uint64_t *tag, int32_t *res)
{
	unsigned head = *u->cq_head;
	if (head == __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE))
		return false;
	const struct io_uring_cqe *c = &u->cqes[head & u->cq_mask];
	*tag = c->user_data;
	*res = c->res;
	__atomic_store_n(u->cq_head, head + 1, __ATOMIC_RELEASE);
	if (u->inflight)
		u->inflight--;
	return true;
}
