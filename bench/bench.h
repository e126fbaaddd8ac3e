/* What the benchmarks share: clocks (CLOCK_MONOTONIC here, never in src/),
 * the conditions header every table starts with, a table printer, pinning to
 * one core, peak RSS, and the zero-delay in-memory link that joins two
 * glasstcp stacks.
 *
 * Not tests: each program prints a table and exits 0 unless the measurement
 * itself could not be made (then it says why and exits 1).
 */
#ifndef GT_BENCH_H
#define GT_BENCH_H

#include <glasstcp/glasstcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Clocks. */
uint64_t bench_mono_ns(void);
static inline uint64_t bench_mono_us(void) { return bench_mono_ns() / 1000; }
/* User + system CPU time of the process (includes the kernel's work on its
 * behalf: loopback softirqs run in the sender's context). */
uint64_t bench_cpu_ns(void);
/* CPU time of ksoftirqd on the pinned CPU (tick resolution): loopback
 * packets the kernel defers to it are work done for the kernel anchor. */
uint64_t bench_ksoftirqd_ns(void);
/* The same for any CPU (0 when its ksoftirqd cannot be read). */
uint64_t bench_ksoftirqd_cpu_ns(int cpu);

/* Pins the calling thread (and what it creates later) to one CPU; returns
 * the CPU, or -1 when it could not. */
int bench_pin_one_cpu(void);

/* The first call moves the process into a fresh network namespace (root
 * only), so kernel anchors run on a loopback of their own whose TIME_WAIT
 * sockets vanish with it; every call sets that lo's MTU (0 = 65536, the
 * kernel default) and brings it up. Returns 0 or a negative errno (then the
 * host's lo is used as it is). */
int bench_private_loopback(int mtu);

/* VmHWM / VmRSS of this process, in bytes (0 if unreadable). */
uint64_t bench_peak_rss(void);
uint64_t bench_rss(void);
uint64_t bench_mem_total(void);
uint64_t bench_mem_available(void);

/* Environment knobs: GT_BENCH_SCALE (float multiplier on sizes) and
 * GT_BENCH_FULL=1 (the full sizes, slow). */
double bench_scale(void);
bool bench_full(void);

/* Conditions: CPU model, kernel, build type, compiler, pinning, plus the
 * benchmark's own lines. */
void bench_header(const char *title, const char *what);
/* Times a fixed spin loop five times and prints the spread of wall time
 * beside the process CPU clock for it: on a VM the wall clock carries the
 * time the host ran something else (steal), the CPU clock does not. */
void bench_calibrate(void);
void bench_cond(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Table printing: a row of cells, widths from the header; the first nleft
 * columns are left-aligned, the others right-aligned. */
void bench_table_begin(int ncols, int nleft, const char *const *heads, const int *widths);
void bench_table_row(const char *const *cells);
void bench_table_end(void);
const char *bench_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "1.23x" or "n/a" when the anchor is missing. */
const char *bench_ratio(char *buf, size_t n, double ours, double anchor);
/* Thousands separators: 1234567 -> "1,234,567". */
const char *bench_commas(char *buf, size_t n, uint64_t v);

/* The in-memory link: each direction is a FIFO of whole IP packets; a
 * transmit copies the packet into the peer's FIFO and returns, and
 * memlink_pump() delivers until both FIFOs are empty. No delay, no loss, no
 * bandwidth limit: the cost measured is the stacks' own. */
struct pktq {
	uint8_t *buf;
	size_t cap, rd, wr;
	uint64_t pkts, bytes;
};

struct memlink {
	gt_stack *a, *b;
	struct pktq to_a, to_b;
	uint64_t now_us;       /* last clock reading given to the stacks */
	bool real_clock;       /* true: CLOCK_MONOTONIC; false: now_us as set by the caller */
};

/* Creates stacks a (10.0.0.1, 2001:db8::1) and b (10.0.0.2, 2001:db8::2)
 * with the given configs and device MTU. Returns 0 or -1. */
int memlink_init(struct memlink *l, const struct gt_config *ca, const struct gt_config *cb,
		 uint16_t mtu);
void memlink_fini(struct memlink *l);
/* Reads the clock (when real_clock) and delivers every queued packet, and
 * what the deliveries produce, until the link is quiet; runs due timers. */
void memlink_pump(struct memlink *l);
uint64_t memlink_now(struct memlink *l);

#define MEMLINK_ADDR_A 0x0a000001u
#define MEMLINK_ADDR_B 0x0a000002u
/* The stacks' IPv6 addresses, 2001:db8::1 (a) and 2001:db8::2 (b). */
extern const struct gt_in6_addr memlink_addr6_a, memlink_addr6_b;
/* b's address at port, IPv6 or IPv4. */
struct gt_sockaddr memlink_addr_b(uint16_t port, bool v6);

/* Makes nports listeners on b at port_base.. (backlog 512); ls[] gets them.
 * Returns 0, or -1 with why filled. */
int memlink_listen(struct memlink *l, uint32_t nports, uint16_t port_base, int *ls, char *why,
		   size_t why_len);
/* Opens n idle established connections from a to b's listeners ls[0..nports)
 * (made by memlink_listen at port_base..), in batches; client descriptors go
 * to cli[] and accepted ones to srv[] (cli[k]'s peer) when not NULL.
 * Returns 0, or -1 with why filled. */
int memlink_open_idle(struct memlink *l, uint32_t n, uint32_t nports, uint16_t port_base,
		      const int *ls, int *cli, int *srv, char *why, size_t why_len);

/* One full lifecycle from a to the listener ls of b at sa: connect, a
 * req_bytes request, a resp_bytes response, the client closes, the server
 * reads EOF and closes (the client's end enters TIME_WAIT). 0 or -1. */
int memlink_lifecycle(struct memlink *l, int ls, const struct gt_sockaddr *sa,
		      uint32_t req_bytes, uint32_t resp_bytes, char *why, size_t why_len);

/* Makes *buf (capacity *cap; init bytes the first time) hold at least need
 * bytes by doubling, keeping its contents, up to max; 0 or -ENOBUFS. */
int bench_buf_fit(uint8_t **buf, size_t *cap, size_t need, size_t init, size_t max);

/* A Linux-profile config with the table limits raised for large runs. */
void bench_config(struct gt_config *cfg, uint32_t max_conns, uint32_t max_timewait);

#endif
