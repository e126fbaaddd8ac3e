/* The swarm: a seeded simulation in the spirit of TigerBeetle's VOPR. One
 * seed picks a random network of 2-4 hosts (delay, jitter, loss, duplication,
 * reordering, corruption, partitions that heal, bandwidth, queues, MTU) and
 * a random workload (connections with random sizes, write and read patterns,
 * socket options and close styles). Safety is checked all along (every byte
 * delivered is the sender's, in order; every stack's invariants hold after
 * every simulator event); once the network heals, liveness (every connection
 * finishes in bounded virtual time, then nothing is left in any stack).
 * `glasstcp swarm` runs seeds; docs/swarm.md describes it. */
#ifndef GT_SIM_SWARM_H
#define GT_SIM_SWARM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct swarm_opts {
	FILE *trace;           /* every app action, state change and segment; or NULL */
};

struct swarm_result {
	bool ok;
	char why[512];         /* the first failure */
	uint64_t fail_at_us;   /* virtual time of the failure */
	uint32_t hosts, conns;
	uint32_t conns_clean;  /* every byte both ways, EOF both ways, no error */
	uint32_t conns_reset;  /* ended by an error on either side (RST, timeout) */
	uint32_t half_open;    /* peer gone, nothing to send: closed by the app's timeout */
	uint64_t events;       /* simulator events */
	uint64_t bytes;        /* bytes delivered, all connections */
	uint64_t heal_us;      /* when the network healed */
	uint64_t finish_us;    /* when every connection had finished */
	uint64_t end_us;       /* when every stack was empty */
};

/* Runs one seed; fills *r. Returns r->ok. */
bool swarm_run(uint64_t seed, const struct swarm_opts *o, struct swarm_result *r);

#endif
