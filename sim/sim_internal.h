/* Internal to the simulator: the simulator object, its hosts, links and queue
 * of packets in flight, shared by sim.c (clock, random generator, hosts,
 * event loop), link.c (transmit path, link faults) and pktq.c (the queue);
 * and sim_add_owned_node(), through which gt_sim_add_stack() hands the
 * simulator a host that it must free. */
#ifndef GT_SIM_INTERNAL_H
#define GT_SIM_INTERNAL_H

#include <glasstcp/sim.h>

#include "util/rng.h"

#define SIM_MAX_HOSTS 1024u
/* Packets in flight over all links; more are counted as queue drops. */
#define SIM_MAX_INFLIGHT_PKTS (1u << 20)
/* The largest IPv4 datagram; a longer "packet" is the caller's bug. */
#define SIM_MAX_PKT_BYTES 65535u
/* Events run at one instant before the loop calls it a livelock (a host
 * whose deadline never moves past now, or a zero-delay packet storm). */
#define SIM_MAX_EVENTS_PER_INSTANT (1u << 24)

/* A packet in flight; it owns its bytes. */
struct sim_pkt {
	uint64_t at_us;  /* delivery time */
	uint64_t order;  /* enqueue sequence: breaks ties between equal at_us */
	int from, to;
	uint32_t len;
	uint8_t *data;
};

/* Binary min-heap of packets ordered by (at_us, order). */
struct sim_pktq {
	struct sim_pkt *v;
	uint32_t len, cap;
	uint64_t next_order;
};

/* Makes room for n more packets; 0 or -ENOMEM. Pushes after it cannot fail. */
int sim_pktq_reserve(struct sim_pktq *q, uint32_t n);
/* Inserts p (room must be reserved) and stamps its order. */
void sim_pktq_push(struct sim_pktq *q, struct sim_pkt p);
/* Removes the earliest packet into *out; false when empty. */
bool sim_pktq_pop(struct sim_pktq *q, struct sim_pkt *out);
/* Frees the queue and the bytes of every packet still in it. */
void sim_pktq_free(struct sim_pktq *q);
static inline uint64_t sim_pktq_min_us(const struct sim_pktq *q)
{
	return q->len ? q->v[0].at_us : UINT64_MAX;
}

/* One direction between two hosts. */
struct sim_link {
	bool has_cfg;                /* false: follows the simulator's default */
	struct gt_link_config cfg;
	struct gt_link_stats stats;
	uint64_t busy_until_us;      /* when the transmitter finishes its backlog */
	/* Ring of the serialisation end times of the packets the transmitter
	 * still holds (waiting or being serialised): the drop-tail queue. */
	uint64_t *backlog_us;
	uint32_t backlog_head, backlog_len, backlog_cap;
};

struct sim_host {
	struct gt_sim_node_ops ops;
	void *node;
	uint32_t addr;                /* IPv4, host byte order */
	struct gt_in6_addr addr6;     /* IPv6, if has_addr6 (gt_sim_add_ipv6) */
	bool has_addr6;
	void (*release)(void *node);  /* called by gt_sim_free; may be NULL */
	struct sim_link **links;      /* by destination host id; NULL until used */
	uint32_t links_cap;
};

struct gt_sim {
	uint64_t now_us;
	struct rng rng;
	struct sim_host *hosts;
	uint32_t nhosts, hosts_cap;
	struct gt_link_config default_link;
	struct sim_pktq inflight;
	gt_sim_tap_fn tap;
	void *tap_ctx;
	uint64_t events_this_instant; /* livelock guard, see SIM_MAX_EVENTS_PER_INSTANT */
	bool gather;            /* stacks added from now on use transmitv */
};

/* Adds a host like gt_sim_add_node(); gt_sim_free() calls release(node).
 * Host ids are handed out in order: 0, 1, 2... */
int sim_add_owned_node(gt_sim *sim, const struct gt_sim_node_ops *ops,
		       void *node, uint32_t addr, void (*release)(void *node));

/* True with probability p. Draws nothing when p <= 0, p >= 1 or p is NaN, so
 * a perfect link leaves the random stream alone. */
bool sim_chance(gt_sim *sim, double p);
/* Uniform in [0, n]; n may be UINT64_MAX. */
uint64_t sim_random_upto(gt_sim *sim, uint64_t n);

void sim_tap(gt_sim *sim, int from, int to, enum gt_sim_fate fate,
	     const void *pkt, size_t len);
/* The link a->b if it was ever used or set, else NULL. */
struct sim_link *sim_link_find(const gt_sim *sim, int a, int b);
void sim_link_free(struct sim_link *l);

#endif
