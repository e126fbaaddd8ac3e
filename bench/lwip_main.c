/* bench_lwip: the lwIP anchor as a program of its own, because lwIP and
 * glasstcp cannot share a process: both define global tcp_input,
 * tcp_output, ip_input... and the executable's copy wins, so lwIP's
 * tcp_connect() would call glasstcp's tcp_output(). The benchmarks run this
 * with the same sizes and read one line back (lwip_run() in lwip_client.c).
 *
 *   bench_lwip bulk BYTES MTU | bench_lwip connrate N
 * prints: ok WALL_S CPU_S BYTES CONNS MSS TIMEWAIT VERSION | fail WHY
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip_peer.h"

int main(int argc, char **argv)
{
	struct lwip_result r;
	if (argc == 4 && strcmp(argv[1], "bulk") == 0)
		lwip_bench_bulk(strtoull(argv[2], NULL, 10), (uint16_t)atoi(argv[3]), &r);
	else if (argc == 3 && strcmp(argv[1], "connrate") == 0)
		lwip_bench_connrate((uint32_t)strtoul(argv[2], NULL, 10), &r);
	else {
		fprintf(stderr, "usage: bench_lwip bulk BYTES MTU | bench_lwip connrate N\n");
		return 2;
	}
	if (!r.ok) {
		printf("fail %s\n", r.why);
		return 0;
	}
	printf("ok %.9f %.9f %llu %llu %u %u %s\n", r.wall_s, r.cpu_s, (unsigned long long)r.bytes,
	       (unsigned long long)r.conns, r.mss, r.timewait, r.version);
	return 0;
}
