#include "swarm_check.h"

#include <stdio.h>

#include "harness.h"

void swarm_check_side_verdict(uint64_t seed, const struct swarm_opts *o, unsigned conn, bool client,
			      int v, bool only, const char *file, int line)
{
	struct swarm_result r;
	char how[96];
	snprintf(how, sizeof(how), "plan %u%s%s%s", o->plan,
		 o->workload != SWARM_W_RANDOM ? ", workload " : "",
		 o->workload != SWARM_W_RANDOM ? swarm_workload_name(o->workload) : "",
		 o->exact_timers ? ", exact timers" : "");
	if (!swarm_run(seed, o, &r)) {
		gt_test_fail(file, line, "seed %llu (%s): %s", (unsigned long long)seed, how, r.why);
		return;
	}
	if (only && r.verdicts[v] != 1) {
		gt_test_fail(file, line, "seed %llu (%s): %u sides judged %s, not 1",
			     (unsigned long long)seed, how, r.verdicts[v], swarm_verdict_name(v));
		return;
	}
	for (uint32_t i = 0; i < r.nlisted; i++)
		if (r.listed[i].what == v && r.listed[i].conn == conn && r.listed[i].client == client)
			return;
	gt_test_fail(file, line, "seed %llu (%s): conn %u %s not judged %s", (unsigned long long)seed,
		     how, conn, client ? "client" : "server", swarm_verdict_name(v));
}
