/* The Internet checksum's payload sum (csum_partial(), src/util/checksum.c)
 * by length and alignment, beside the one-chain loop it replaced (kept
 * here, in this file only, as the yardstick of the same run: the machine's
 * load moves every wall-clock figure, and both columns meet the same).
 * Prints ns a call and bytes a ns, CPU time of the process (steal not
 * counted). A guide, never a gate: instruction counts come from
 *   valgrind --tool=callgrind --toggle-collect=run_new build-bench/bench/bench_csum
 * (GT_BENCH_SCALE scales the calls; 0.01 under valgrind). */
#include "bench.h"
#include "util/checksum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The loop csum_partial() had before (bench/PROFILE.md "Checksum, four
 * ways"): one accumulator, each 64-bit word's carry added back at once. */
static uint64_t old_add64(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w);
}

static uint32_t old_fold64(uint64_t acc)
{
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

static uint32_t old_csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t acc = 0, w0, w1, w2, w3;
	while (len >= 32) {
		memcpy(&w0, p, 8);
		memcpy(&w1, p + 8, 8);
		memcpy(&w2, p + 16, 8);
		memcpy(&w3, p + 24, 8);
		acc = old_add64(old_add64(old_add64(old_add64(acc, w0), w1), w2), w3);
		p += 32;
		len -= 32;
	}
	while (len >= 8) {
		memcpy(&w0, p, 8);
		acc = old_add64(acc, w0);
		p += 8;
		len -= 8;
	}
	if (len & 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		acc = old_add64(acc, v);
		p += 4;
	}
	if (len & 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		acc = old_add64(acc, v);
		p += 2;
	}
	if (len & 1) {
		uint16_t v = 0;
		memcpy(&v, p, 1);
		acc = old_add64(acc, v);
	}
	uint32_t r = old_fold64(acc);
	r = (r & 0xffff) + (r >> 16);
	r = (r & 0xffff) + (r >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	r = (uint32_t)__builtin_bswap16((uint16_t)r);
#endif
	return old_fold64((uint64_t)sum + r);
}

/* Each run in a function of its own, so that callgrind can count it alone
 * (--toggle-collect=run_new / run_old). The sum feeds the next call: the
 * compiler cannot drop or hoist any of them. */
__attribute__((noinline)) static uint32_t run_new(const uint8_t *p, size_t len, uint64_t n)
{
	uint32_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s = csum_partial(p, len, s & 0xffff);
	return s;
}

__attribute__((noinline)) static uint32_t run_old(const uint8_t *p, size_t len, uint64_t n)
{
	uint32_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s = old_csum_partial(p, len, s & 0xffff);
	return s;
}

int main(void)
{
	static const size_t lens[] = {20, 64, 536, 1448, 8948, 65483};
	static const size_t aligns[] = {0, 1};
	static uint8_t buf[65536 + 64];
	uint64_t bytes_per_row = (uint64_t)(200e6 * bench_scale()) + 1;
	uint32_t x = 1;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	bench_pin_one_cpu();
	bench_header("csum: the Internet checksum's payload sum (csum_partial)",
		     "one buffer summed again and again, in cache");
	bench_cond("rows         %llu bytes summed per row and column (GT_BENCH_SCALE)",
		   (unsigned long long)bytes_per_row);
	bench_cond("new          csum_partial(): four sums, carries counted beside them");
	bench_cond("old          the loop before it (one sum, each carry added back), copied here");
	bench_cond("time         process CPU time (steal not counted); a guide, callgrind's Ir "
		   "the measure");
	static const char *const heads[] = {"length", "align", "same sum", "new ns", "old ns",
					    "new B/ns", "old B/ns", "new/old"};
	static const int widths[] = {7, 5, 8, 9, 9, 8, 8, 7};
	bench_table_begin(8, 0, heads, widths);
	for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
		for (size_t ai = 0; ai < sizeof aligns / sizeof aligns[0]; ai++) {
			size_t len = lens[li];
			const uint8_t *p = buf + aligns[ai];
			uint64_t n = bytes_per_row / len + 1;
			bool same = csum_partial(p, len, 0x1234) == old_csum_partial(p, len, 0x1234);
			uint64_t t0 = bench_cpu_ns();
			volatile uint32_t sink = run_new(p, len, n);
			uint64_t t1 = bench_cpu_ns();
			sink = run_old(p, len, n);
			uint64_t t2 = bench_cpu_ns();
			(void)sink;
			double new_ns = (double)(t1 - t0) / (double)n, old_ns = (double)(t2 - t1) / (double)n;
			char c[8][32];
			const char *row[8] = {
				bench_fmt(c[0], sizeof c[0], "%zu", len),
				bench_fmt(c[1], sizeof c[1], "%zu", aligns[ai]),
				same ? "yes" : "NO",
				bench_fmt(c[3], sizeof c[3], "%.1f", new_ns),
				bench_fmt(c[4], sizeof c[4], "%.1f", old_ns),
				bench_fmt(c[5], sizeof c[5], "%.2f", new_ns > 0 ? (double)len / new_ns : 0),
				bench_fmt(c[6], sizeof c[6], "%.2f", old_ns > 0 ? (double)len / old_ns : 0),
				bench_fmt(c[7], sizeof c[7], "%.2f", old_ns > 0 ? new_ns / old_ns : 0),
			};
			bench_table_row(row);
		}
	}
	bench_table_end();
	return 0;
}
