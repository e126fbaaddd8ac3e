/* The swarm: a seeded simulation in the spirit of TigerBeetle's VOPR. One
 * seed picks a random network of 2-4 hosts (each with its profile and
 * receive-buffer autotuning on or off; delay, jitter, loss with reordering,
 * duplication, corruption, partitions that heal, bandwidth, queues, MTU)
 * and a random workload (connections with random sizes, write and read
 * patterns, socket options and close styles). Safety is checked all along
 * (every byte delivered is the sender's, in order; every stack's invariants
 * hold after every simulator event); once the network heals, liveness (every
 * connection finishes in bounded virtual time, then nothing is left in any
 * stack); and every transfer large enough to measure must reach a fraction
 * of the goodput its path allows (swarm_goodput_model()). `glasstcp swarm`
 * runs seeds; docs/swarm.md describes it. */
#ifndef GT_SIM_SWARM_H
#define GT_SIM_SWARM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glasstcp/stats.h>

/* A transfer is measured when it moves at least this many bytes one way,
 * every one of them read, with no application pause and no partition of
 * its links in between; it fails below SWARM_GOODPUT_FLOOR x the model.
 * The floor is loose on purpose: over 12,000 seeds (docs/swarm.md) the
 * stack's transfers fall off smoothly to 0.021 x the model (reordering
 * taken for loss by senders without RACK), and a stall sits among them. */
#define SWARM_GOODPUT_MIN_BYTES 65536u
#define SWARM_GOODPUT_FLOOR 0.015
#define SWARM_MAX_MEASURED 48  /* two directions of each connection */

struct swarm_opts {
	FILE *trace;           /* every app action, state change and segment; or NULL */
	FILE *goodput_log;     /* a line per measured transfer; or NULL */
	/* Fail a transfer below floor x its model; 0: SWARM_GOODPUT_FLOOR;
	 * below 0: measure, never fail. */
	double goodput_floor;
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
	/* Every host's counters, summed: what the seed exercised. */
	struct gt_stats stats;
	/* Goodput: measured / model of each transfer measured, in order. */
	uint32_t measured;
	float ratio[SWARM_MAX_MEASURED];
};

/* Runs one seed; fills *r. Returns r->ok. */
bool swarm_run(uint64_t seed, const struct swarm_opts *o, struct swarm_result *r);

/* One direction of a connection, as the goodput model sees it. */
struct swarm_path {
	double rtt_s;          /* both delays, mean jitter, one packet's serialisation */
	double one_way_s;      /* sender to receiver */
	/* Of data segments (loss, corruption), and of a window's every ACK;
	 * never reordering. */
	double loss;
	double bw_Bps;         /* payload bytes/s the link gives this transfer; 0: no limit */
	double ack_bw_Bps;     /* payload bytes/s the ACK path can clock; 0: no limit */
	double wnd_bytes;      /* least of the receiver's largest window, the sender's buffer */
	/* Timer wait per window when it holds under two segments: the
	 * receiver's delayed ACK, and the sender's cork limit if it corks. */
	double wait_s;
	/* Timer wait of the last partial segment: the cork limit if the
	 * sender corks, else the receiver's delayed ACK if Nagle holds it. */
	double tail_s;
	double mss_bytes;
	double rto_s;          /* the sender's RTO floor: Padhye's T0 */
	double iw_bytes;       /* initial congestion window */
};

struct swarm_model {
	double rate_Bps;       /* the steady bound: least of bandwidth, ACK path, window, loss */
	/* Which: "bandwidth", "ack-path", "window", "loss" (the Mathis term
	 * rules) or "loss+timeouts" (Padhye's timeout term does). */
	const char *limit;
	double time_s;         /* slow start, then the steady rate, then one way */
	double goodput_Bps;    /* bytes / time_s */
};

/* The goodput a transfer of `bytes` can expect on path p (sim/swarm_model.c). */
void swarm_goodput_model(const struct swarm_path *p, double bytes, struct swarm_model *m);

#endif
