/* Runs bench_lwip (next to this program) and reads its one-line result:
 * lwIP cannot live in a glasstcp process (see lwip_main.c). */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwip_peer.h"

static void run(const char *args, struct lwip_result *r)
{
	memset(r, 0, sizeof(*r));
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		snprintf(r->why, sizeof(r->why), "cannot find /proc/self/exe");
		return;
	}
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd), "%s/bench_lwip %s", self, args);
	char prog[PATH_MAX + 16];
	snprintf(prog, sizeof(prog), "%s/bench_lwip", self);
	if (access(prog, X_OK) != 0) {
		snprintf(r->why, sizeof(r->why),
			 "bench_lwip not built: lwIP not found at configure time "
			 "(apt-get install -y liblwip-dev, then reconfigure)");
		return;
	}
	FILE *p = popen(cmd, "r");
	if (!p) {
		snprintf(r->why, sizeof(r->why), "popen failed");
		return;
	}
	char line[512] = "";
	if (!fgets(line, sizeof(line), p))
		line[0] = 0;
	int rc = pclose(p);
	line[strcspn(line, "\n")] = 0;
	unsigned long long bytes = 0, conns = 0;
	if (strncmp(line, "ok ", 3) == 0 &&
	    sscanf(line + 3, "%lf %lf %llu %llu %u %u %31s", &r->wall_s, &r->cpu_s, &bytes, &conns,
		   &r->mss, &r->timewait, r->version) == 7) {
		r->ok = true;
		r->bytes = bytes;
		r->conns = conns;
	} else if (strncmp(line, "fail ", 5) == 0) {
		snprintf(r->why, sizeof(r->why), "%.200s", line + 5);
	} else {
		snprintf(r->why, sizeof(r->why), "bench_lwip failed (status %d, output \"%.100s\")",
			 rc, line);
	}
}

void lwip_bench_bulk(uint64_t bytes, uint16_t mtu, struct lwip_result *r)
{
	char args[64];
	snprintf(args, sizeof(args), "bulk %llu %u", (unsigned long long)bytes, mtu);
	run(args, r);
}

void lwip_bench_connrate(uint32_t n, struct lwip_result *r)
{
	char args[64];
	snprintf(args, sizeof(args), "connrate %u", n);
	run(args, r);
}
