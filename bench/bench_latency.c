/* Benchmark 3 (issue 8): 1-byte request/response round trips.
 *
 * glasstcp: client and server stacks on the in-memory link, TCP_NODELAY on
 * both ends; one round trip = send 1 byte, the server reads it and answers
 * 1 byte, the client reads it. Anchor: the kernel over loopback, blocking
 * sockets in one thread, TCP_NODELAY. Each round trip is timed with
 * CLOCK_MONOTONIC; medians and tails from the same run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "kern.h"

#define WARMUP 2000

struct lat {
	bool ok;
	char why[200];
	uint32_t n;
	double p50_us, p99_us, p999_us, min_us;
	double cpu_per_rt_us; /* CPU time / round trips (steal excluded) */
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void summarise(uint64_t *ns, uint32_t n, uint64_t cpu_ns, struct lat *r)
{
	qsort(ns, n, sizeof(*ns), cmp_u64);
	r->n = n;
	r->min_us = ns[0] / 1e3;
	r->p50_us = ns[n / 2] / 1e3;
	r->p99_us = ns[(uint64_t)n * 99 / 100] / 1e3;
	r->p999_us = ns[(uint64_t)n * 999 / 1000] / 1e3;
	r->cpu_per_rt_us = (double)cpu_ns / n / 1e3;
	r->ok = true;
}

static void gt_latency(uint32_t n, uint64_t *ns, struct lat *r)
{
	memset(r, 0, sizeof(*r));
	struct gt_config cfg;
	bench_config(&cfg, 0, 0);
	struct memlink l;
	if (memlink_init(&l, &cfg, &cfg, 1500) < 0) {
		snprintf(r->why, sizeof(r->why), "stack creation failed");
		return;
	}
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = 7, .addr = MEMLINK_ADDR_B};
	int one = 1;
	int ls = gt_socket(l.b, GT_AF_INET, GT_SOCK_STREAM);
	int cs = gt_socket(l.a, GT_AF_INET, GT_SOCK_STREAM);
	gt_bind(l.b, ls, &sa);
	gt_listen(l.b, ls, 4);
	gt_setsockopt(l.a, cs, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one));
	gt_connect(l.a, cs, &sa);
	memlink_pump(&l);
	int as = gt_accept(l.b, ls, NULL);
	if (as < 0) {
		snprintf(r->why, sizeof(r->why), "accept: %d", as);
		goto out;
	}
	gt_setsockopt(l.b, as, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one));
	uint8_t c = 'x';
	uint64_t c0 = 0;
	for (uint32_t i = 0; i < n + WARMUP; i++) {
		if (i == WARMUP)
			c0 = bench_cpu_ns();
		uint64_t t0 = bench_mono_ns();
		if (gt_send(l.a, cs, &c, 1, 0) != 1)
			goto fail;
		memlink_pump(&l);
		if (gt_recv(l.b, as, &c, 1, 0) != 1 || gt_send(l.b, as, &c, 1, 0) != 1)
			goto fail;
		memlink_pump(&l);
		if (gt_recv(l.a, cs, &c, 1, 0) != 1)
			goto fail;
		if (i >= WARMUP)
			ns[i - WARMUP] = bench_mono_ns() - t0;
	}
	summarise(ns, n, bench_cpu_ns() - c0, r);
	goto out;
fail:
	snprintf(r->why, sizeof(r->why), "round trip failed");
out:
	memlink_fini(&l);
}

static void kern_latency(uint32_t n, uint64_t *ns, struct lat *r)
{
	memset(r, 0, sizeof(*r));
	int c, s;
	if (kern_pair(&c, &s, 7007, 0, false, true) < 0) {
		snprintf(r->why, sizeof(r->why), "loopback pair failed");
		return;
	}
	char b = 'x';
	uint64_t c0 = 0, k0 = 0;
	for (uint32_t i = 0; i < n + WARMUP; i++) {
		if (i == WARMUP) {
			c0 = bench_cpu_ns();
			k0 = bench_ksoftirqd_ns();
		}
		uint64_t t0 = bench_mono_ns();
		if (write(c, &b, 1) != 1 || read(s, &b, 1) != 1 || write(s, &b, 1) != 1 ||
		    read(c, &b, 1) != 1) {
			snprintf(r->why, sizeof(r->why), "round trip failed: %s", strerror(errno));
			goto out;
		}
		if (i >= WARMUP)
			ns[i - WARMUP] = bench_mono_ns() - t0;
	}
	summarise(ns, n, bench_cpu_ns() - c0 + bench_ksoftirqd_ns() - k0, r);
out:
	close(c);
	close(s);
}

static void row(const char *who, const struct lat *r, const struct lat *k)
{
	char b[10][48];
	if (!r->ok) {
		const char *cells[9] = {who, "-", "-", "-", "-", "-", "-", "-", "-"};
		bench_table_row(cells);
		printf("    (%s: %s)\n", who, r->why);
		return;
	}
	const char *cells[9] = {
		who,
		bench_commas(b[0], 48, r->n),
		bench_fmt(b[1], 48, "%.2f", r->min_us),
		bench_fmt(b[2], 48, "%.2f", r->p50_us),
		bench_fmt(b[3], 48, "%.2f", r->p99_us),
		bench_fmt(b[4], 48, "%.2f", r->p999_us),
		bench_fmt(b[5], 48, "%.2f", r->cpu_per_rt_us),
		/* "x faster": the anchor's time over ours. */
		k ? bench_ratio(b[6], 48, k->p50_us, r->p50_us) : "(anchor)",
		k ? bench_ratio(b[7], 48, k->p99_us, r->p99_us) : "",
	};
	bench_table_row(cells);
}

int main(void)
{
	bench_pin_one_cpu();
	uint32_t n = (uint32_t)(200000 * bench_scale());
	uint64_t *ns = malloc((size_t)n * sizeof(*ns));
	if (!ns)
		return 1;
	bench_header("latency: 1-byte request/response round trips",
		     "one thread drives both ends; every round trip timed with CLOCK_MONOTONIC "
		     "(wall time, so steal shows in the tail);\n'CPU us/RT' = process CPU time / "
		     "round trips; ratios are the kernel's time over glasstcp's ('x faster').");
	/* GT_BENCH_ONLY=glasstcp: no anchor (for perf record, PROFILE.md). */
	const char *only = getenv("GT_BENCH_ONLY");
	bool only_gt = only && strcmp(only, "glasstcp") == 0;
	if (!only_gt)
		bench_calibrate();
	uint64_t t0 = bench_mono_ns();
	for (int i = 0; i < 1000; i++)
		(void)bench_mono_ns();
	bench_cond("clock        one clock_gettime(CLOCK_MONOTONIC) costs %.0f ns (inside every figure)",
		   (double)(bench_mono_ns() - t0) / 1000.0);
	int nsret = only_gt ? -1 : bench_private_loopback(0);
	bench_cond("round trips  %u measured after %d warm-up, per stack", n, WARMUP);
	bench_cond("glasstcp     Linux profile, in-memory link MTU 1500, TCP_NODELAY both ends");
	bench_cond("kernel       %s, blocking read/write, TCP_NODELAY both ends",
		   nsret == 0 ? "private network namespace, lo" : "host lo");
	struct lat g, k;
	if (only_gt) {
		memset(&k, 0, sizeof(k));
		snprintf(k.why, sizeof(k.why), "skipped (GT_BENCH_ONLY=glasstcp)");
	} else {
		kern_latency(n, ns, &k);
	}
	gt_latency(n, ns, &g);
	const int w[9] = {24, 9, 8, 8, 8, 9, 10, 12, 10};
	const char *heads[9] = {"stack", "RTs", "min us", "p50 us", "p99 us", "p99.9 us",
				"CPU us/RT", "p50 faster", "p99 faster"};
	bench_table_begin(9, 1, heads, w);
	row("glasstcp (in-memory)", &g, &k);
	row("Linux kernel (loopback)", &k, NULL);
	bench_table_end();
	printf("goal (issue 8): round trip >= 20x faster than the kernel's loopback\n");
	free(ns);
	return 0;
}
