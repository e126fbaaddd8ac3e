/* glasstcp: the deterministic simulated network.
 *
 * Hosts (glasstcp stacks, or any node with the same three entry points) sit
 * on one shared segment; each directed pair of hosts has a link with its own
 * delay, jitter, bandwidth, queue limit, loss, duplication, reordering and
 * corruption. A virtual clock and one seed drive everything, so a run is
 * reproducible bit for bit. Packets are routed by destination address:
 * every host has an IPv4 one and may have an IPv6 one (gt_sim_add_ipv6).
 */
#ifndef GLASSTCP_SIM_H
#define GLASSTCP_SIM_H

#include <glasstcp/stack.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gt_sim gt_sim;

struct gt_link_config {
	uint64_t delay_us;       /* one-way propagation delay */
	uint64_t jitter_us;      /* extra delay, uniform in [0, jitter_us] */
	uint64_t bandwidth_bps;  /* 0 = unlimited (no serialisation delay) */
	uint32_t queue_limit_pkts; /* drop-tail limit of the link queue; 0 = none */
	/* Larger packets are dropped, but an IPv4 one without DF is
	 * fragmented (RFC 791 3.2, sim/link.c); 0 = no limit. */
	uint32_t mtu;
	double loss;             /* probability in [0,1] a packet is dropped */
	double duplicate;        /* probability a packet is delivered twice */
	double reorder;          /* probability a packet is held back reorder_us */
	uint64_t reorder_us;     /* extra delay of a reordered packet */
	double corrupt;          /* probability one bit of the packet is flipped */
	/* ECN marks (RFC 3168 5): an ECN-capable packet (ECT(0) or ECT(1))
	 * is marked CE with probability ce_mark, and always when it finds
	 * ce_queue_pkts or more packets in the link's queue (a step AQM, as
	 * DCTCP's K); Not-ECT packets are never marked. 0: off. */
	double ce_mark;
	uint32_t ce_queue_pkts;
	bool down;               /* partition: drop everything */
};
void gt_link_config_default(struct gt_link_config *cfg);

/* What happened to a packet on a link, for taps (pcap, ladder diagrams). */
enum gt_sim_fate {
	GT_SIM_SENT,        /* entered the link (once per transmit) */
	GT_SIM_DELIVERED,   /* handed to the receiving host */
	GT_SIM_LOST,        /* dropped by random loss */
	GT_SIM_QUEUE_DROP,  /* dropped: queue full */
	GT_SIM_MTU_DROP,    /* dropped: larger than the link MTU */
	GT_SIM_DOWN_DROP,   /* dropped: link down */
	GT_SIM_NO_ROUTE,    /* no host owns the destination address */
	GT_SIM_DUPLICATED,  /* a duplicate copy was made */
	GT_SIM_CORRUPTED,   /* a bit was flipped */
	GT_SIM_REORDERED,   /* held back to arrive out of order */
	GT_SIM_CE_MARKED,   /* its ECN field set to CE (an ECT packet) */
	/* Longer than the link's MTU, IPv4 without DF: split into fragments,
	 * which the tap then sees each with its own fate. */
	GT_SIM_FRAGMENTED,
};
const char *gt_sim_fate_name(enum gt_sim_fate f);

struct gt_sim_packet_info {
	uint64_t now_us;
	int from, to;           /* host ids; to = -1 when unknown */
	enum gt_sim_fate fate;
	const uint8_t *pkt;
	size_t len;
};
typedef void (*gt_sim_tap_fn)(void *ctx, const struct gt_sim_packet_info *p);

/* A generic host: the three entry points of a sans-I/O node. */
struct gt_sim_node_ops {
	void (*input)(void *node, uint64_t now_us, const void *pkt, size_t len);
	void (*poll)(void *node, uint64_t now_us);
	uint64_t (*next_deadline)(void *node);
};

struct gt_link_stats {
	uint64_t sent, delivered, lost, queue_drops, mtu_drops, down_drops;
	uint64_t duplicated, corrupted, reordered, bytes_delivered;
	uint64_t ce_marked;
	uint64_t fragmented, fragments; /* packets split for the MTU; fragments made */
};

gt_sim *gt_sim_new(uint64_t seed);
void gt_sim_free(gt_sim *sim);
uint64_t gt_sim_now(const gt_sim *sim);
/* The deterministic generator of the simulation (splitmix64/xoshiro). */
uint64_t gt_sim_random(gt_sim *sim);

/* Adds a glasstcp stack as a host with address addr/prefix (host order). The
 * simulator owns the stack; *out gets it. Its ISN secret is derived from the
 * seed. Returns the host id (>= 0) or a negative errno. */
int gt_sim_add_stack(gt_sim *sim, const struct gt_config *cfg, uint32_t addr,
		     uint8_t prefix_len, uint16_t mtu, gt_stack **out);
/* Gives host an IPv6 address as well: IPv6 packets to it are routed there,
 * and a stack host's stack gets the address (gt_stack_add_ipv6). Returns 0
 * or a negative errno (-EADDRINUSE: another host has it). */
int gt_sim_add_ipv6(gt_sim *sim, int host, const struct gt_in6_addr *addr, uint8_t prefix_len);
/* Stacks added after this call get a gather device (gt_device.transmitv),
 * which joins the pieces on the way into the link: the same packets, built
 * the other way. Off by default. */
void gt_sim_set_gather(gt_sim *sim, bool on);
/* Packets a paused host's device queues (gt_sim_pause_host()); more are
 * dropped. */
#define GT_SIM_HOLD_MAX 1024
/* Pauses a stack host until until_us, as a process that is not scheduled:
 * its timers wait, and packets that reach it meanwhile queue at its device
 * (GT_SIM_HOLD_MAX at most; more are dropped, counted in *held_drops) and
 * are handed over in one gt_stack_input_batch() when it runs again. The
 * caller, which drives the stack's API itself, must not call it meanwhile
 * either.
 * -EINVAL for a host that is no stack. */
int gt_sim_pause_host(gt_sim *sim, int host, uint64_t until_us, uint64_t *held_drops);
/* Local congestion at a stack host's device: from from_us until until_us
 * each packet it transmits is refused with probability permille / 1000
 * (1000: all), its queue full: transmit() returns -ENOBUFS and the packet
 * does not leave (struct gt_device). *refused (may be NULL) gets how many
 * were refused so far. Permille 0 ends it. -EINVAL for a host that is no
 * stack, or permille over 1000. */
int gt_sim_refuse_host(gt_sim *sim, int host, uint64_t from_us, uint64_t until_us, uint32_t permille,
		       uint64_t *refused);
/* A stack host's device down (an interface set down: Linux's TUN answers a
 * write() to it EIO, 6.18.44 as tried): from from_us until until_us every
 * packet the stack transmits fails with err (negative; not -ENOBUFS or
 * -EAGAIN, a full queue, which gt_sim_refuse_host() is) and does not
 * leave, and every packet that reaches the host is dropped unread. The
 * stack counts a failed transmit in IpOutDiscards (struct gt_device) and
 * takes it as sent. *failed (may be NULL) gets how many packets it failed
 * so far, both ways. err 0 ends it. -EINVAL for a host that is no stack
 * or an err that is not a drop. */
int gt_sim_down_host(gt_sim *sim, int host, uint64_t from_us, uint64_t until_us, int err,
		     uint64_t *failed);
/* Adds any node. Its packets go out through gt_sim_transmit(). */
int gt_sim_add_node(gt_sim *sim, const struct gt_sim_node_ops *ops, void *node,
		    uint32_t addr);
/* A node's transmit path (a stack's device calls this). */
int gt_sim_transmit(gt_sim *sim, int from_host, const void *pkt, size_t len);

/* Sets the link from host a to host b (one direction). Links not set use the
 * default configuration given by gt_sim_set_default_link(). */
int gt_sim_set_link(gt_sim *sim, int a, int b, const struct gt_link_config *cfg);
void gt_sim_set_default_link(gt_sim *sim, const struct gt_link_config *cfg);
int gt_sim_link_stats(const gt_sim *sim, int a, int b, struct gt_link_stats *out);

void gt_sim_set_tap(gt_sim *sim, gt_sim_tap_fn fn, void *ctx);

/* Packets still on the links: sent (fate SENT) and neither delivered nor
 * dropped yet, whether waiting in a link's queue, being serialised or
 * propagating. Counts those from host `from` to host `to` (either -1: any)
 * for which match(ctx, pkt, len) is true (match NULL: every one), so a
 * caller can ask about one tuple or one side without the simulator knowing
 * TCP. Packets a paused host's device holds have been delivered and are not
 * counted. O(packets in flight). */
typedef bool (*gt_sim_match_fn)(void *ctx, const uint8_t *pkt, size_t len);
size_t gt_sim_count_in_flight(const gt_sim *sim, int from, int to, gt_sim_match_fn match,
			      void *ctx);

/* Runs the next event (a packet delivery or a host deadline); returns false
 * when nothing is left to do. */
bool gt_sim_step(gt_sim *sim);
/* Runs every event up to and including time t_us; the clock ends at t_us. */
void gt_sim_run_until(gt_sim *sim, uint64_t t_us);
/* Runs until done(ctx) is true (checked after every event) or the clock
 * passes limit_us. Returns true if done() became true. */
bool gt_sim_run_while_not(gt_sim *sim, bool (*done)(void *ctx), void *ctx,
			  uint64_t limit_us);

#ifdef __cplusplus
}
#endif
#endif
