/* Shared benchmark plumbing: clocks, conditions, tables, pinning, RSS and
 * the zero-delay in-memory link between two stacks (see bench.h). */
#define _GNU_SOURCE
#include "bench.h"

#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "util/copy.h"

#ifndef BENCH_BUILD_TYPE
#define BENCH_BUILD_TYPE "unknown"
#endif

uint64_t bench_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bench_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int pinned_cpu = -1;

/* The ksoftirqd thread of each CPU, found once by name in /proc. */
static int ksoftirqd_pid(int cpu)
{
	static int pid[CPU_SETSIZE];
	static bool scanned;
	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return 0;
	if (!scanned) {
		scanned = true;
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char *end, path[64], comm[64];
			long p = strtol(e->d_name, &end, 10);
			if (*end || p <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%ld/comm", p);
			FILE *f = fopen(path, "r");
			if (!f)
				continue;
			int c;
			if (fgets(comm, sizeof(comm), f) && sscanf(comm, "ksoftirqd/%d", &c) == 1 &&
			    c >= 0 && c < CPU_SETSIZE)
				pid[c] = (int)p;
			fclose(f);
		}
		if (d)
			closedir(d);
	}
	return pid[cpu];
}

uint64_t bench_ksoftirqd_cpu_ns(int cpu)
{
	int pid = ksoftirqd_pid(cpu);
	if (pid <= 0)
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[1024];
	uint64_t ns = 0;
	if (fgets(line, sizeof(line), f)) {
		/* Fields 14 and 15 (utime, stime) follow the ")" of the comm. */
		char *p = strrchr(line, ')');
		unsigned long long ut = 0, st = 0;
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
				&st) == 2)
			ns = (ut + st) * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
	}
	fclose(f);
	return ns;
}

uint64_t bench_ksoftirqd_ns(void) { return bench_ksoftirqd_cpu_ns(pinned_cpu); }

int bench_pin_one_cpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	int cpu = -1;
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (CPU_ISSET(i, &set)) {
			cpu = i;
			break;
		}
	}
	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return -1;
	pinned_cpu = cpu;
	return cpu;
}

static bool in_netns;

int bench_private_loopback(int mtu)
{
	if (!in_netns) {
		if (unshare(CLONE_NEWNET) < 0)
			return -errno;
		in_netns = true;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	int err = 0;
	ifr.ifr_mtu = mtu > 0 ? mtu : 65536;
	if (ioctl(fd, SIOCSIFMTU, &ifr) < 0)
		err = -errno;
	if (!err && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			err = -errno;
	} else if (!err) {
		err = -errno;
	}
	close(fd);
	return err;
}

static uint64_t status_kb(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[256];
	uint64_t kb = 0;
	size_t kl = strlen(key);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0) {
			kb = strtoull(line + kl, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb * 1024;
}

uint64_t bench_peak_rss(void) { return status_kb("/proc/self/status", "VmHWM:"); }
uint64_t bench_rss(void) { return status_kb("/proc/self/status", "VmRSS:"); }
uint64_t bench_mem_total(void) { return status_kb("/proc/meminfo", "MemTotal:"); }
uint64_t bench_mem_available(void) { return status_kb("/proc/meminfo", "MemAvailable:"); }

double bench_scale(void)
{
	const char *s = getenv("GT_BENCH_SCALE");
	double v = s ? atof(s) : 1.0;
	return v > 0 ? v : 1.0;
}

bool bench_full(void)
{
	const char *s = getenv("GT_BENCH_FULL");
	return s && strcmp(s, "1") == 0;
}

static void cpu_model(char *out, size_t n)
{
	snprintf(out, n, "unknown");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) == 0) {
			char *p = strchr(line, ':');
			if (p) {
				p++;
				while (*p == ' ' || *p == '\t')
					p++;
				p[strcspn(p, "\n")] = 0;
				snprintf(out, n, "%s", p);
			}
			break;
		}
	}
	fclose(f);
}

void bench_header(const char *title, const char *what)
{
	char cpu[256];
	struct utsname u;
	cpu_model(cpu, sizeof(cpu));
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	printf("\n== %s ==\n", title);
	if (what)
		printf("%s\n", what);
	printf("conditions:\n");
	printf("  cpu          %s, %ld online CPUs, pinned to CPU %d\n", cpu,
	       sysconf(_SC_NPROCESSORS_ONLN), pinned_cpu);
	printf("  kernel       Linux %s %s\n", u.release, u.machine);
	printf("  memory       %.1f GiB total, %.1f GiB available at start\n",
	       bench_mem_total() / 1073741824.0, bench_mem_available() / 1073741824.0);
	printf("  build        %s, %s, assertions %s\n", BENCH_BUILD_TYPE, "gcc " __VERSION__,
#ifdef NDEBUG
	       "off"
#else
	       "on"
#endif
	);
}

void bench_calibrate(void)
{
	uint64_t best = UINT64_MAX, worst = 0, cpu_best = UINT64_MAX;
	for (int rep = 0; rep < 5; rep++) {
		volatile uint64_t x = 0;
		uint64_t t0 = bench_mono_ns(), c0 = bench_cpu_ns();
		for (uint64_t i = 0; i < 200000000ull; i++)
			x += i;
		uint64_t w = bench_mono_ns() - t0, c = bench_cpu_ns() - c0;
		if (w < best)
			best = w;
		if (w > worst)
			worst = w;
		if (c < cpu_best)
			cpu_best = c;
	}
	printf("  calibration  a fixed loop (2e8 dependent adds): wall %.1f ms best, %.1f ms worst of 5; "
	       "process CPU clock %.1f ms\n",
	       best / 1e6, worst / 1e6, cpu_best / 1e6);
	printf("               (the gap is steal: the host running something else; CPU time, "
	       "steal excluded, is what the figures below rest on)\n");
	fflush(stdout);
}

void bench_cond(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("  ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static int tab_ncols, tab_nleft;
static int tab_widths[16];

static void table_rule(void)
{
	int w = 0;
	for (int i = 0; i < tab_ncols; i++)
		w += tab_widths[i] + 2;
	for (int i = 0; i < w; i++)
		putchar('-');
	putchar('\n');
}

void bench_table_begin(int ncols, int nleft, const char *const *heads, const int *widths)
{
	tab_ncols = ncols < 16 ? ncols : 16;
	tab_nleft = nleft;
	for (int i = 0; i < tab_ncols; i++)
		tab_widths[i] = widths[i];
	printf("\n");
	bench_table_row(heads);
	table_rule();
}

void bench_table_row(const char *const *cells)
{
	for (int i = 0; i < tab_ncols; i++) {
		if (i < tab_nleft)
			printf("%-*s  ", tab_widths[i], cells[i]);
		else
			printf("%*s  ", tab_widths[i], cells[i]);
	}
	printf("\n");
	fflush(stdout);
}

void bench_table_end(void)
{
	table_rule();
}

const char *bench_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return buf;
}

const char *bench_ratio(char *buf, size_t n, double ours, double anchor)
{
	if (anchor <= 0 || ours <= 0)
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%.2fx", ours / anchor);
	return buf;
}

const char *bench_commas(char *buf, size_t n, uint64_t v)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	size_t o = 0;
	for (int i = 0; i < len && o + 1 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 2 < n)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

/* ---- the in-memory link ---- */

#define PKTQ_MAX_BYTES (512u << 20)


int bench_buf_fit(uint8_t **buf, size_t *cap, size_t need, size_t init, size_t max)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : init;
	while (need > ncap)
		ncap *= 2;
	if (ncap > max)
		return -ENOBUFS;
	uint8_t *nb = realloc(*buf, ncap);
	if (!nb)
		return -ENOBUFS;
	*buf = nb;
	*cap = ncap;
	return 0;
}

/* The link's one copy of a packet: from the pieces the stack hands over
 * (headers, then payload straight from its send buffer) into the FIFO. */
static int pktq_pushv(void *ctx, const struct gt_iovec *iov, int iovcnt)
{
	struct pktq *q = ctx;
	size_t len = 0;
	for (int i = 0; i < iovcnt; i++)
		len += iov[i].len;
	size_t need = 8 + ((len + 7) & ~(size_t)7);
	if (q->rd == q->wr)
		q->rd = q->wr = 0;
	if (bench_buf_fit(&q->buf, &q->cap, q->wr + need, 1u << 20, PKTQ_MAX_BYTES) < 0)
		return -ENOBUFS;
	uint64_t l = len;
	memcpy(q->buf + q->wr, &l, sizeof(l));
	size_t at = q->wr + 8;
	for (int i = 0; i < iovcnt; i++) {
		copy_blocks(q->buf + at, iov[i].base, iov[i].len);
		at += iov[i].len;
	}
	q->wr += need;
	q->pkts++;
	q->bytes += len;
	return 0;
}

static int pktq_push(void *ctx, const void *pkt, size_t len)
{
	struct gt_iovec one = {pkt, len};
	return pktq_pushv(ctx, &one, 1);
}

/* Delivers what the queue holds now; what the delivery produces goes to the
 * other queue, so this one does not grow while it is read. */
static bool pktq_deliver(struct pktq *q, gt_stack *to, uint64_t now_us)
{
	if (q->rd == q->wr)
		return false;
	/* In batches, as a runtime reading a NIC ring would: the stack warms
	 * its cache for the packets ahead (gt_stack_input_batch). */
	struct gt_iovec batch[64];
	while (q->rd < q->wr) {
		size_t n = 0;
		while (q->rd < q->wr && n < 64) {
			uint64_t l;
			memcpy(&l, q->buf + q->rd, sizeof(l));
			batch[n++] = (struct gt_iovec){q->buf + q->rd + 8, (size_t)l};
			q->rd += 8 + ((l + 7) & ~(uint64_t)7);
		}
		gt_stack_input_batch(to, now_us, batch, n);
	}
	q->rd = q->wr = 0;
	return true;
}

uint64_t memlink_now(struct memlink *l)
{
	if (l->real_clock) {
		uint64_t t = bench_mono_us();
		if (t > l->now_us)
			l->now_us = t;
	}
	return l->now_us;
}

void memlink_pump(struct memlink *l)
{
	uint64_t now = memlink_now(l);
	for (;;) {
		bool moved = pktq_deliver(&l->to_b, l->b, now);
		moved |= pktq_deliver(&l->to_a, l->a, now);
		if (moved)
			continue;
		/* Quiet: run due timers; go round again only if they sent. */
		if (gt_stack_next_deadline(l->a) <= now)
			gt_stack_poll(l->a, now);
		if (gt_stack_next_deadline(l->b) <= now)
			gt_stack_poll(l->b, now);
		if (l->to_a.rd == l->to_a.wr && l->to_b.rd == l->to_b.wr)
			break;
	}
}

const struct gt_in6_addr memlink_addr6_a = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
const struct gt_in6_addr memlink_addr6_b = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

struct gt_sockaddr memlink_addr_b(uint16_t port, bool v6)
{
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = port, .addr = MEMLINK_ADDR_B};
	if (v6) {
		sa = (struct gt_sockaddr){.family = GT_AF_INET6, .port = port};
		sa.addr6 = memlink_addr6_b;
	}
	return sa;
}

int memlink_init(struct memlink *l, const struct gt_config *ca, const struct gt_config *cb,
		 uint16_t mtu)
{
	memset(l, 0, sizeof(*l));
	l->real_clock = true;
	/* Checksum offload on the in-memory link, as the kernel's loopback
	 * (CHECKSUM_PARTIAL / UNNECESSARY): memory does not corrupt bits. */
	struct gt_device da = {.transmit = pktq_push, .transmitv = pktq_pushv, .ctx = &l->to_b,
			       .mtu = mtu, .rx_csum_verified = true, .tx_csum_offload = true};
	struct gt_device db = {.transmit = pktq_push, .transmitv = pktq_pushv, .ctx = &l->to_a,
			       .mtu = mtu, .rx_csum_verified = true, .tx_csum_offload = true};
	struct gt_config a = *ca, b = *cb;
	/* Distinct secrets: distinct ISNs, hash keys and port sequences. */
	for (int i = 0; i < 16; i++) {
		a.isn_secret[i] = (uint8_t)(0x11 * (i + 1));
		b.isn_secret[i] = (uint8_t)(0x5a ^ (i * 7));
	}
	l->a = gt_stack_new(&a, &da);
	l->b = gt_stack_new(&b, &db);
	if (!l->a || !l->b || gt_stack_add_ipv4(l->a, MEMLINK_ADDR_A, 24) < 0 ||
	    gt_stack_add_ipv4(l->b, MEMLINK_ADDR_B, 24) < 0 ||
	    gt_stack_add_ipv6(l->a, &memlink_addr6_a, 64) < 0 ||
	    gt_stack_add_ipv6(l->b, &memlink_addr6_b, 64) < 0) {
		memlink_fini(l);
		return -1;
	}
	l->now_us = bench_mono_us();
	gt_stack_poll(l->a, l->now_us);
	gt_stack_poll(l->b, l->now_us);
	return 0;
}

void memlink_fini(struct memlink *l)
{
	gt_stack_free(l->a);
	gt_stack_free(l->b);
	free(l->to_a.buf);
	free(l->to_b.buf);
	memset(l, 0, sizeof(*l));
}

void bench_config(struct gt_config *cfg, uint32_t max_conns, uint32_t max_timewait)
{
	gt_config_default(cfg, GT_PROFILE_LINUX);
	if (max_conns > cfg->max_conns)
		cfg->max_conns = max_conns;
	if (max_conns > cfg->max_sockets)
		cfg->max_sockets = max_conns + 64;
	if (max_timewait > cfg->max_timewait)
		cfg->max_timewait = max_timewait;
}

int memlink_listen(struct memlink *l, uint32_t nports, uint16_t port_base, int *ls, char *why,
		   size_t why_len)
{
	for (uint32_t p = 0; p < nports; p++) {
		struct gt_sockaddr sa = {.family = GT_AF_INET,
					 .port = (uint16_t)(port_base + p),
					 .addr = MEMLINK_ADDR_B};
		ls[p] = gt_socket(l->b, GT_AF_INET, GT_SOCK_STREAM);
		if (ls[p] < 0 || gt_bind(l->b, ls[p], &sa) < 0 || gt_listen(l->b, ls[p], 512) < 0) {
			snprintf(why, why_len, "listen on port %u failed", port_base + p);
			return -1;
		}
	}
	return 0;
}

int memlink_open_idle(struct memlink *l, uint32_t n, uint32_t nports, uint16_t port_base,
		      const int *ls, int *cli, int *srv, char *why, size_t why_len)
{
	enum { BATCH = 512 };
	uint32_t accepted = 0;
	for (uint32_t done = 0; done < n;) {
		uint32_t batch = n - done < BATCH ? n - done : BATCH;
		for (uint32_t i = 0; i < batch; i++) {
			uint32_t k = done + i;
			struct gt_sockaddr sa = {.family = GT_AF_INET,
						 .port = (uint16_t)(port_base + k % nports),
						 .addr = MEMLINK_ADDR_B};
			int cs = gt_socket(l->a, GT_AF_INET, GT_SOCK_STREAM);
			int e = cs < 0 ? cs : gt_connect(l->a, cs, &sa);
			if (e != -EINPROGRESS) {
				snprintf(why, why_len, "connection %u: socket/connect %d", k, e);
				return -1;
			}
			if (cli)
				cli[k] = cs;
		}
		memlink_pump(l);
		for (uint32_t i = 0; i < batch; i++) {
			uint32_t k = done + i;
			int as = gt_accept(l->b, ls[k % nports], NULL);
			if (as < 0) {
				snprintf(why, why_len, "connection %u: accept %d", k, as);
				return -1;
			}
			if (srv)
				srv[accepted] = as;
			accepted++;
		}
		done += batch;
	}
	return 0;
}

int memlink_lifecycle(struct memlink *l, int ls, const struct gt_sockaddr *sa,
		      uint32_t req_bytes, uint32_t resp_bytes, char *why, size_t why_len)
{
	static uint8_t buf[65536];
	gt_stack *a = l->a, *b = l->b;
	if (req_bytes > sizeof(buf) || resp_bytes > sizeof(buf))
		return snprintf(why, why_len, "message too large"), -1;
	int cs = gt_socket(a, sa->family, GT_SOCK_STREAM);
	if (cs < 0)
		return snprintf(why, why_len, "gt_socket: %d", cs), -1;
	int e = gt_connect(a, cs, sa);
	if (e != -EINPROGRESS)
		return snprintf(why, why_len, "gt_connect: %d", e), -1;
	memlink_pump(l);
	int as = gt_accept(b, ls, NULL);
	if (as < 0)
		return snprintf(why, why_len, "gt_accept: %d", as), -1;
	if (gt_send(a, cs, buf, req_bytes, 0) != (ssize_t)req_bytes)
		return snprintf(why, why_len, "request send"), -1;
	memlink_pump(l);
	if (gt_recv(b, as, buf, sizeof(buf), 0) != (ssize_t)req_bytes)
		return snprintf(why, why_len, "request recv"), -1;
	if (gt_send(b, as, buf, resp_bytes, 0) != (ssize_t)resp_bytes)
		return snprintf(why, why_len, "response send"), -1;
	memlink_pump(l);
	if (gt_recv(a, cs, buf, sizeof(buf), 0) != (ssize_t)resp_bytes)
		return snprintf(why, why_len, "response recv"), -1;
	gt_close(a, cs);
	memlink_pump(l);
	ssize_t n = gt_recv(b, as, buf, sizeof(buf), 0);
	if (n != 0)
		return snprintf(why, why_len, "server expected EOF, got %zd", n), -1;
	gt_close(b, as);
	memlink_pump(l);
	return 0;
}
