/* Would io_uring batch the relay's device writes (issue 17)? A TUN device
 * takes one packet per writev(); the relay makes 3-4 a connection, and each
 * that wakes the namespace's client is a point where the client preempts
 * the relay (docs/relay.md, "The connection rate, 5 Dec 2026"). This probe
 * submits N writes to a TUN fd as one io_uring_enter() and says whether
 * they completed inline (all CQEs there when the call returns, no io-wq
 * worker thread) and what a packet costs each way.
 *
 *   cc -O2 -o /tmp/relay_uring_probe bench/relay_uring_probe.c
 *   sudo unshare -n /tmp/relay_uring_probe [N=8] [ROUNDS=3]
 *
 * Network safety: run it in a new network namespace (unshare -n); the
 * packets are ICMP echo requests from 10.9.9.2 to the device's own address
 * 10.9.9.1 in it, answered back into the device and read here. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/io_uring.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAX_N 64
#define PKT_BYTES 28 /* IPv4 header and an 8-byte ICMP echo request */

struct ring {
	int fd;
	struct io_uring_sqe *sqes;
	unsigned *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, cq_mask;
	struct io_uring_cqe *cqes;
};

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t a = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		a += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		a += (uint32_t)p[n - 1] << 8;
	while (a >> 16)
		a = (a & 0xffff) + (a >> 16);
	return (uint16_t)~a;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void echo_request(uint8_t *b, unsigned seq)
{
	memset(b, 0, PKT_BYTES);
	b[0] = 0x45;
	put16(b + 2, PKT_BYTES);
	b[8] = 64;
	b[9] = 1; /* ICMP */
	inet_pton(AF_INET, "10.9.9.2", b + 12);
	inet_pton(AF_INET, "10.9.9.1", b + 16);
	put16(b + 10, csum(b, 20));
	b[20] = 8; /* echo request */
	put16(b + 26, (uint16_t)seq);
	put16(b + 22, csum(b + 20, 8));
}

static int threads(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2; /* "." and ".." */
}

static int ring_open(struct ring *r)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(__NR_io_uring_setup, MAX_N, &p);
	if (r->fd < 0)
		return -1;
	size_t sq_bytes = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_bytes = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_bytes = cq_bytes = sq_bytes > cq_bytes ? sq_bytes : cq_bytes;
	uint8_t *sq = mmap(NULL, sq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			   IORING_OFF_SQ_RING);
	uint8_t *cq = (p.features & IORING_FEAT_SINGLE_MMAP)
			      ? sq
			      : mmap(NULL, cq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
				     IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		return -1;
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Queues n writev()s of iov[0..n) to fd; one io_uring_enter() submits them.
 * Returns the CQEs there when it returned, *ok those that wrote a packet. */
static unsigned ring_writev(struct ring *r, int fd, struct iovec *iov, unsigned n, unsigned *ok)
{
	unsigned t = *r->sq_tail;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = (t + i) & *r->sq_mask;
		struct io_uring_sqe *s = &r->sqes[k];
		memset(s, 0, sizeof(*s));
		s->opcode = IORING_OP_WRITEV;
		s->fd = fd;
		s->addr = (uint64_t)(uintptr_t)&iov[i];
		s->len = 1;
		s->user_data = i;
		r->sq_array[k] = k;
	}
	__atomic_store_n(r->sq_tail, t + n, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, n, 0, 0, NULL, 0) != (long)n)
		return 0;
	unsigned head = *r->cq_head, done = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - head;
	*ok = 0;
	for (unsigned h = head; h != head + done; h++)
		*ok += r->cqes[h & r->cq_mask].res == PKT_BYTES;
	__atomic_store_n(r->cq_head, head + done, __ATOMIC_RELEASE);
	return done;
}

static int drain(int fd)
{
	uint8_t buf[2048];
	int n = 0;
	usleep(1000);
	while (read(fd, buf, sizeof(buf)) > 0)
		n++;
	return n;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 8;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	if (n == 0 || n > MAX_N || rounds <= 0)
		return 2;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, "uprobe0");
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("relay_uring_probe: TUN device");
		return 1;
	}
	if (system("ip addr add 10.9.9.1/24 dev uprobe0 && ip link set uprobe0 up") != 0)
		return 1;
	struct ring r;
	if (ring_open(&r) < 0) {
		perror("relay_uring_probe: io_uring");
		return 1;
	}
	static uint8_t pkt[MAX_N][PKT_BYTES];
	struct iovec iov[MAX_N];
	double t_writev = 0, t_uring = 0;
	for (int k = 0; k < rounds; k++) {
		for (unsigned i = 0; i < n; i++) {
			echo_request(pkt[i], i);
			iov[i].iov_base = pkt[i];
			iov[i].iov_len = PKT_BYTES;
		}
		double a = now_us();
		for (unsigned i = 0; i < n; i++)
			if (writev(fd, &iov[i], 1) != PKT_BYTES)
				return 1;
		t_writev += now_us() - a;
		drain(fd);
		unsigned ok = 0;
		a = now_us();
		unsigned done = ring_writev(&r, fd, iov, n, &ok);
		t_uring += now_us() - a;
		int replies = drain(fd);
		if (k < 3)
			printf("round %d: %u writes in one io_uring_enter(), %u complete when it returned (%u wrote %d "
			       "bytes), threads %d, echo replies %d\n",
			       k, n, done, ok, PKT_BYTES, threads(), replies);
	}
	printf("%d rounds of %u packets: writev() %.2f us a packet, io_uring %.2f us a packet\n", rounds, n,
	       t_writev / rounds / n, t_uring / rounds / n);
	return 0;
}
