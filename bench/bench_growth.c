/* Benchmark 5 (issue 8): does the cost stay flat as connections pile up?
 *
 * For each size (1k, 100k, 1M idle established connections held open
 * between two glasstcp stacks on the in-memory link), a measured set runs
 * beside them:
 *   open      the cost of opening the idle connections themselves, per
 *             connection, for the last tenth of them (where the table is
 *             fullest);
 *   lifecycle full lifecycles (handshake, 100 B request, 1 KB response,
 *             close, TIME_WAIT) on other listening ports;
 *   bulk      one new connection moving 32 MiB at MTU 1500: CPU per segment;
 *   scattered a 100-byte request on each of 10,000 idle connections picked
 *             across the whole table, read by the server: CPU per segment,
 *             with every lookup landing on a different TCB (cache misses
 *             included, as a busy server would see them).
 * CPU time (steal excluded), best of 3 for the three measured sets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define IDLE_PORT_BASE 20000
#define LIFE_PORT 9000
#define LIFE_PORTS 8
#define REPS 3

struct point {
	bool ok;
	char why[200];
	uint32_t n;
	double open_us;        /* CPU per connection opened, last tenth */
	double life_us;        /* CPU per lifecycle */
	double bulk_ns_seg;    /* CPU per segment (both directions) */
	double scat_ns_seg;
	uint32_t life_n, scat_n;
	uint64_t rss;
};

static uint64_t segs(struct memlink *l)
{
	return gt_stack_stats(l->a)->TcpOutSegs + gt_stack_stats(l->b)->TcpOutSegs;
}

static double min_d(double a, double b) { return a < b ? a : b; }

static int measure_bulk(struct memlink *l, int ls, const struct gt_sockaddr *sa, double *ns_seg,
			char *why, size_t wl)
{
	static uint8_t buf[65536];
	const uint64_t total = 32u << 20;
	int cs = gt_socket(l->a, GT_AF_INET, GT_SOCK_STREAM);
	if (gt_connect(l->a, cs, sa) != -EINPROGRESS)
		return snprintf(why, wl, "bulk connect"), -1;
	memlink_pump(l);
	int as = gt_accept(l->b, ls, NULL);
	if (as < 0)
		return snprintf(why, wl, "bulk accept %d", as), -1;
	uint64_t s0 = segs(l), c0 = bench_cpu_ns(), sent = 0, rcvd = 0, t0 = bench_mono_ns();
	while (rcvd < total) {
		while (sent < total) {
			ssize_t n = gt_send(l->a, cs, buf, sizeof(buf), 0);
			if (n <= 0)
				break;
			sent += (uint64_t)n;
		}
		memlink_pump(l);
		ssize_t n;
		while ((n = gt_recv(l->b, as, buf, sizeof(buf), 0)) > 0)
			rcvd += (uint64_t)n;
		memlink_pump(l);
		if (bench_mono_ns() - t0 > 20000000000ull)
			return snprintf(why, wl, "bulk stalled"), -1;
	}
	*ns_seg = (double)(bench_cpu_ns() - c0) / (double)(segs(l) - s0);
	gt_close(l->a, cs);
	gt_close(l->b, as);
	memlink_pump(l);
	return 0;
}

static int measure_scattered(struct memlink *l, const int *cli, const int *srv, uint32_t n,
			     uint32_t m, double *ns_seg, char *why, size_t wl)
{
	static uint8_t buf[256];
	/* Every (n/m)-th connection, offset by a prime so repeats differ. */
	static uint32_t rep;
	uint32_t stride = n / m ? n / m : 1;
	uint64_t s0 = segs(l), c0 = bench_cpu_ns();
	for (uint32_t done = 0; done < m;) {
		uint32_t batch = m - done < 256 ? m - done : 256;
		for (uint32_t i = 0; i < batch; i++) {
			uint32_t k = ((done + i) * stride + rep * 7919u) % n;
			if (gt_send(l->a, cli[k], buf, 100, 0) != 100)
				return snprintf(why, wl, "scattered send on %u", k), -1;
		}
		memlink_pump(l);
		for (uint32_t i = 0; i < batch; i++) {
			uint32_t k = ((done + i) * stride + rep * 7919u) % n;
			if (gt_recv(l->b, srv[k], buf, sizeof(buf), 0) != 100)
				return snprintf(why, wl, "scattered recv on %u", k), -1;
		}
		memlink_pump(l);
		done += batch;
	}
	rep++;
	*ns_seg = (double)(bench_cpu_ns() - c0) / (double)(segs(l) - s0);
	return 0;
}

static void run_point(uint32_t n, struct point *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->n = n;
	struct gt_config cfg;
	uint32_t life_n = 20000;
	bench_config(&cfg, n + 4096, REPS * life_n + 1024);
	struct memlink l;
	if (memlink_init(&l, &cfg, &cfg, 1500) < 0) {
		snprintf(pt->why, sizeof(pt->why), "stack creation failed");
		return;
	}
	int *cli = malloc((size_t)n * sizeof(int)), *srv = malloc((size_t)n * sizeof(int));
	uint32_t nports = n / 14000 + 1;
	/* The first nine tenths, then the last tenth timed. */
	uint32_t first = n - n / 10;
	int *ls = malloc(2 * (size_t)nports * sizeof(int));
	if (!cli || !srv || !ls ||
	    memlink_listen(&l, 2 * nports, IDLE_PORT_BASE, ls, pt->why, sizeof(pt->why)) < 0 ||
	    memlink_open_idle(&l, first, nports, IDLE_PORT_BASE, ls, cli, srv, pt->why,
			      sizeof(pt->why)) < 0)
		goto out;
	{
		/* The last tenth, on listeners of their own (made beforehand:
		 * bind() is not what is measured here). */
		uint64_t c0 = bench_cpu_ns();
		if (memlink_open_idle(&l, n - first, nports, (uint16_t)(IDLE_PORT_BASE + nports),
				      ls + nports, cli + first, srv + first, pt->why,
				      sizeof(pt->why)) < 0)
			goto out;
		pt->open_us = (double)(bench_cpu_ns() - c0) / 1e3 / (double)(n - first);
	}
	free(ls);
	ls = NULL;
	/* Lifecycles over LIFE_PORTS listeners, so that their TIME_WAIT
	 * entries never crowd one port's ephemeral range. */
	struct gt_sockaddr las[LIFE_PORTS];
	int lls[LIFE_PORTS];
	for (int p = 0; p < LIFE_PORTS; p++) {
		las[p] = (struct gt_sockaddr){.family = GT_AF_INET,
					      .port = (uint16_t)(LIFE_PORT + p),
					      .addr = MEMLINK_ADDR_B};
		lls[p] = gt_socket(l.b, GT_AF_INET, GT_SOCK_STREAM);
		if (gt_bind(l.b, lls[p], &las[p]) < 0 || gt_listen(l.b, lls[p], 128) < 0) {
			snprintf(pt->why, sizeof(pt->why), "listen failed");
			goto out;
		}
	}
	pt->life_us = pt->bulk_ns_seg = pt->scat_ns_seg = 1e18;
	pt->life_n = life_n;
	pt->scat_n = n < 10000 ? n : 10000;
	for (int rep = 0; rep < REPS; rep++) {
		uint64_t c0 = bench_cpu_ns();
		for (uint32_t i = 0; i < life_n; i++)
			if (memlink_lifecycle(&l, lls[i % LIFE_PORTS], &las[i % LIFE_PORTS], 100, 1024,
					      pt->why, sizeof(pt->why)) < 0)
				goto out;
		pt->life_us = min_d(pt->life_us, (double)(bench_cpu_ns() - c0) / 1e3 / life_n);
		double v;
		if (measure_bulk(&l, lls[0], &las[0], &v, pt->why, sizeof(pt->why)) < 0)
			goto out;
		pt->bulk_ns_seg = min_d(pt->bulk_ns_seg, v);
		if (measure_scattered(&l, cli, srv, n, pt->scat_n, &v, pt->why, sizeof(pt->why)) < 0)
			goto out;
		pt->scat_ns_seg = min_d(pt->scat_ns_seg, v);
	}
	pt->rss = bench_rss();
	pt->ok = true;
out:
	free(ls);
	free(cli);
	free(srv);
	memlink_fini(&l);
}

int main(void)
{
	bench_pin_one_cpu();
	/* Buffers are allocated on first use and freed when empty; with
	 * glibc's defaults a small heap then grows and trims (brk, page
	 * faults) around every 256 KiB ring, which would swamp the 1k row.
	 * Fixed thresholds keep the allocator's state out of this table
	 * (bench_connrate shows the default behaviour). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	uint32_t sizes[3] = {1000, 100000, 1000000};
	const char *labels[3] = {"1k", "100k", "1M"};
	uint64_t avail = bench_mem_available();
	bench_header("growth: cost with 1k, 100k and 1M connections open",
		     "idle established connections held open between two glasstcp stacks while a "
		     "measured set runs beside them;\nCPU time (steal excluded), best of 3; 'x 1k' "
		     "is each figure over the 1k row's (1.00x = flat).");
	bench_calibrate();
	bench_cond("glasstcp     Linux profile, in-memory link MTU 1500, idle connections spread over "
		   "n/14000+1 listening ports");
	bench_cond("malloc       M_TRIM_THRESHOLD 256 MiB, M_MMAP_THRESHOLD 4 MiB (see the comment in "
		   "main: keeps glibc's heap trimming out of the per-size comparison)");
	bench_cond("measured     open = CPU per connection for the last tenth opened; lifecycle = "
		   "20,000 full lifecycles; bulk = 32 MiB on one connection;");
	bench_cond("             scattered = 100 B on each of 10,000 idle connections spread across "
		   "the table (1,000 at 1k)");
	struct point pts[3];
	for (int i = 0; i < 3; i++) {
		/* Both ends: about 3 KB per connection; leave half the memory. */
		if ((uint64_t)sizes[i] * 3000 > avail / 2) {
			memset(&pts[i], 0, sizeof(pts[i]));
			snprintf(pts[i].why, sizeof(pts[i].why), "not enough memory");
			continue;
		}
		run_point(sizes[i], &pts[i]);
	}
	const int w[10] = {6, 10, 6, 12, 6, 11, 6, 14, 6, 8};
	const char *heads[10] = {"conns", "open us", "x 1k", "lifecycle us", "x 1k", "bulk ns/seg",
				 "x 1k", "scatter ns/seg", "x 1k", "RSS MiB"};
	bench_table_begin(10, 1, heads, w);
	char b[10][48];
	for (int i = 0; i < 3; i++) {
		const struct point *p = &pts[i], *base = &pts[0];
		if (!p->ok) {
			const char *cells[10] = {labels[i], "-", "-", "-", "-", "-", "-", "-", "-", "-"};
			bench_table_row(cells);
			printf("    (%s: %s)\n", labels[i], p->why);
			continue;
		}
		const char *cells[10] = {
			labels[i],
			bench_fmt(b[0], 48, "%.2f", p->open_us),
			base->ok ? bench_ratio(b[1], 48, p->open_us, base->open_us) : "n/a",
			bench_fmt(b[2], 48, "%.2f", p->life_us),
			base->ok ? bench_ratio(b[3], 48, p->life_us, base->life_us) : "n/a",
			bench_fmt(b[4], 48, "%.0f", p->bulk_ns_seg),
			base->ok ? bench_ratio(b[5], 48, p->bulk_ns_seg, base->bulk_ns_seg) : "n/a",
			bench_fmt(b[6], 48, "%.0f", p->scat_ns_seg),
			base->ok ? bench_ratio(b[7], 48, p->scat_ns_seg, base->scat_ns_seg) : "n/a",
			bench_fmt(b[8], 48, "%.0f", p->rss / 1048576.0),
		};
		bench_table_row(cells);
	}
	bench_table_end();
	printf("goal (issue 8): flat cost from 1k to 1M connections (lookup and timers)\n");
	return 0;
}
