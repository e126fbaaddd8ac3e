/* The deterministic simulated network: the simulator object, its random
 * generator (splitmix64 seeding xoshiro256**), its hosts and the event loop
 * that, on a virtual clock in microseconds, delivers packets and polls hosts
 * at their deadlines. Nothing here reads a real clock; one seed and the same
 * calls give the same run bit for bit. The transmit path is in link.c. */
#include "sim_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- random generator ---- */

uint64_t gt_sim_random(gt_sim *sim)
{
	return rng_next(&sim->rng);
}

bool sim_chance(gt_sim *sim, double p)
{
	return rng_chance(&sim->rng, p);
}

uint64_t sim_random_upto(gt_sim *sim, uint64_t n)
{
	return rng_upto(&sim->rng, n);
}

/* ---- the simulator and its hosts ---- */

void gt_link_config_default(struct gt_link_config *cfg)
{
	/* One millisecond each way and nothing else: a clean LAN-ish path. */
	*cfg = (struct gt_link_config){ .delay_us = 1000 };
}

gt_sim *gt_sim_new(uint64_t seed)
{
	gt_sim *sim = calloc(1, sizeof(*sim));
	if (!sim)
		return NULL;
	rng_seed(&sim->rng, seed);
	gt_link_config_default(&sim->default_link);
	return sim;
}

void gt_sim_free(gt_sim *sim)
{
	if (!sim)
		return;
	/* Hosts go first: a host that sends while being freed only queues
	 * packets, which the queue then frees. */
	for (uint32_t i = 0; i < sim->nhosts; i++) {
		struct sim_host *h = &sim->hosts[i];
		if (h->release)
			h->release(h->node);
	}
	for (uint32_t i = 0; i < sim->nhosts; i++) {
		struct sim_host *h = &sim->hosts[i];
		for (uint32_t j = 0; j < h->links_cap; j++)
			sim_link_free(h->links[j]);
		free(h->links);
	}
	sim_pktq_free(&sim->inflight);
	free(sim->hosts);
	free(sim);
}

uint64_t gt_sim_now(const gt_sim *sim)
{
	return sim->now_us;
}

void gt_sim_set_tap(gt_sim *sim, gt_sim_tap_fn fn, void *ctx)
{
	sim->tap = fn;
	sim->tap_ctx = ctx;
}

size_t gt_sim_count_in_flight(const gt_sim *sim, int from, int to, gt_sim_match_fn match,
			      void *ctx)
{
	size_t n = 0;
	for (uint32_t i = 0; i < sim->inflight.len; i++) {
		const struct sim_pkt *p = &sim->inflight.v[i];
		if ((from < 0 || p->from == from) && (to < 0 || p->to == to) &&
		    (!match || match(ctx, p->data, p->len)))
			n++;
	}
	return n;
}

void sim_tap(gt_sim *sim, int from, int to, enum gt_sim_fate fate,
	     const void *pkt, size_t len)
{
	if (!sim->tap)
		return;
	struct gt_sim_packet_info info = {
		.now_us = sim->now_us, .from = from, .to = to, .fate = fate,
		.pkt = pkt, .len = len,
	};
	sim->tap(sim->tap_ctx, &info);
}

const char *gt_sim_fate_name(enum gt_sim_fate f)
{
	switch (f) {
	case GT_SIM_SENT: return "sent";
	case GT_SIM_DELIVERED: return "delivered";
	case GT_SIM_LOST: return "lost";
	case GT_SIM_QUEUE_DROP: return "queue_drop";
	case GT_SIM_MTU_DROP: return "mtu_drop";
	case GT_SIM_DOWN_DROP: return "down_drop";
	case GT_SIM_NO_ROUTE: return "no_route";
	case GT_SIM_DUPLICATED: return "duplicated";
	case GT_SIM_CORRUPTED: return "corrupted";
	case GT_SIM_REORDERED: return "reordered";
	case GT_SIM_CE_MARKED: return "ce_marked";
	case GT_SIM_FRAGMENTED: return "fragmented";
	}
	return "unknown";
}

int sim_add_owned_node(gt_sim *sim, const struct gt_sim_node_ops *ops,
		       void *node, uint32_t addr, void (*release)(void *node))
{
	/* A host with a deadline must be pollable; one without needs neither. */
	if (!ops || !ops->input || (ops->next_deadline && !ops->poll))
		return -EINVAL;
	for (uint32_t i = 0; i < sim->nhosts; i++)
		if (sim->hosts[i].addr == addr)
			return -EADDRINUSE;
	if (sim->nhosts == SIM_MAX_HOSTS)
		return -ENOSPC;
	if (sim->nhosts == sim->hosts_cap) {
		uint32_t cap = sim->hosts_cap ? sim->hosts_cap * 2 : 8;
		struct sim_host *v = realloc(sim->hosts, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		sim->hosts = v;
		sim->hosts_cap = cap;
	}
	sim->hosts[sim->nhosts] = (struct sim_host){
		.ops = *ops, .node = node, .addr = addr, .release = release,
	};
	return (int)sim->nhosts++;
}

int gt_sim_add_node(gt_sim *sim, const struct gt_sim_node_ops *ops, void *node,
		    uint32_t addr)
{
	return sim_add_owned_node(sim, ops, node, addr, NULL);
}

/* ---- the event loop ---- */

enum event_kind { EV_NONE, EV_DELIVER, EV_POLL };

struct event {
	enum event_kind kind;
	uint64_t at_us;
	uint32_t host; /* EV_POLL only */
};

/* A deadline already past runs now: the clock never goes backwards. */
static uint64_t host_deadline(const gt_sim *sim, uint32_t i)
{
	const struct sim_host *h = &sim->hosts[i];
	if (!h->ops.next_deadline)
		return UINT64_MAX;
	uint64_t d = h->ops.next_deadline(h->node);
	if (d == UINT64_MAX)
		return UINT64_MAX;
	return d < sim->now_us ? sim->now_us : d;
}

/* The earliest event. Ties go to packets before polls, so a host polled at
 * t has already seen every packet due at t; among hosts the lowest id goes
 * first. Both rules keep runs reproducible. */
static struct event next_event(const gt_sim *sim)
{
	struct event ev = { EV_NONE, UINT64_MAX, 0 };
	uint64_t pkt_us = sim_pktq_min_us(&sim->inflight);
	if (pkt_us != UINT64_MAX)
		ev = (struct event){ EV_DELIVER, pkt_us, 0 };
	for (uint32_t i = 0; i < sim->nhosts; i++) {
		uint64_t d = host_deadline(sim, i);
		if (d < ev.at_us)
			ev = (struct event){ EV_POLL, d, i };
	}
	return ev;
}

/* Moves the clock to t_us unless it is already later. */
static void clock_forward(gt_sim *sim, uint64_t t_us)
{
	if (t_us > sim->now_us) {
		sim->now_us = t_us;
		sim->events_this_instant = 0;
	}
}

/* Moves the clock to an event and counts the events of this instant. */
static void advance_clock(gt_sim *sim, uint64_t at_us)
{
	clock_forward(sim, at_us);
	if (++sim->events_this_instant > SIM_MAX_EVENTS_PER_INSTANT) {
		/* A run that cannot make time pass would never end; stop loudly
		 * rather than spin, since every caller is a test or a tool. */
		fprintf(stderr, "glasstcp sim: livelock, %u events at %llu us\n",
			SIM_MAX_EVENTS_PER_INSTANT, (unsigned long long)sim->now_us);
		abort();
	}
}

static void deliver(gt_sim *sim)
{
	struct sim_pkt p;
	if (!sim_pktq_pop(&sim->inflight, &p))
		return;
	advance_clock(sim, p.at_us);
	struct sim_link *l = sim_link_find(sim, p.from, p.to);
	if (l) {
		l->stats.delivered++;
		l->stats.bytes_delivered += p.len;
	}
	sim_tap(sim, p.from, p.to, GT_SIM_DELIVERED, p.data, p.len);
	/* Copies, not a pointer into hosts[]: the host may add hosts. */
	struct sim_host h = sim->hosts[p.to];
	h.ops.input(h.node, sim->now_us, p.data, p.len);
	free(p.data);
}

static void run_event(gt_sim *sim, const struct event *ev)
{
	if (ev->kind == EV_DELIVER) {
		deliver(sim);
	} else if (ev->kind == EV_POLL) {
		advance_clock(sim, ev->at_us);
		struct sim_host h = sim->hosts[ev->host];
		h.ops.poll(h.node, sim->now_us);
	}
}

bool gt_sim_step(gt_sim *sim)
{
	struct event ev = next_event(sim);
	if (ev.kind == EV_NONE)
		return false;
	run_event(sim, &ev);
	return true;
}

void gt_sim_run_until(gt_sim *sim, uint64_t t_us)
{
	for (;;) {
		struct event ev = next_event(sim);
		if (ev.kind == EV_NONE || ev.at_us > t_us)
			break;
		run_event(sim, &ev);
	}
	clock_forward(sim, t_us);
}

bool gt_sim_run_while_not(gt_sim *sim, bool (*done)(void *ctx), void *ctx,
			  uint64_t limit_us)
{
	if (done(ctx))
		return true;
	for (;;) {
		struct event ev = next_event(sim);
		if (ev.kind == EV_NONE)
			return done(ctx);
		if (ev.at_us > limit_us) {
			clock_forward(sim, limit_us);
			return false;
		}
		run_event(sim, &ev);
		if (done(ctx))
			return true;
	}
}
