/* A glasstcp stack as a simulated host: its device transmits into the
 * simulator, and the simulator drives its three sans-I/O entry points. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"

struct sim_stack_host {
	gt_sim *sim;
	int id;
	gt_stack *stack;
	uint8_t *join;  /* gather device: the packet put back together */
	/* gt_sim_pause_host(): until when, and what arrived meanwhile. */
	uint64_t paused_until;
	uint32_t nheld;
	uint64_t held_drops;
	struct gt_iovec held[GT_SIM_HOLD_MAX];
	/* gt_sim_refuse_host(): the device's queue full from..until, each
	 * packet refused with probability permille / 1000; refused counts. */
	uint64_t refuse_from, refuse_until;
	uint32_t refuse_permille;
	uint64_t refused;
	/* gt_sim_down_host(): the device down from..until, every packet it
	 * transmits failing with down_err and every packet for it dropped;
	 * down_tx and down_rx count them. */
	uint64_t down_from, down_until;
	int down_err;
	uint64_t down_tx, down_rx;
};

#define JOIN_MAX 65600

/* Local congestion (gt_sim_refuse_host()): the packet not taken, the
 * device's answer -ENOBUFS (struct gt_device). */
static bool refuse(struct sim_stack_host *h)
{
	uint64_t now = gt_sim_now(h->sim);
	if (!h->refuse_permille || now < h->refuse_from || now >= h->refuse_until)
		return false;
	if (h->refuse_permille < 1000 && gt_sim_random(h->sim) % 1000 >= h->refuse_permille)
		return false;
	h->refused++;
	return true;
}

/* A device that is down (gt_sim_down_host()) at now. */
static bool down_at(const struct sim_stack_host *h, uint64_t now)
{
	return h->down_err && now >= h->down_from && now < h->down_until;
}

/* The packet fails at a device that is down (gt_sim_down_host()): 0, or
 * the device's error. */
static int down_tx(struct sim_stack_host *h)
{
	if (!down_at(h, gt_sim_now(h->sim)))
		return 0;
	h->down_tx++;
	return h->down_err;
}

/* What the device makes of a packet handed to it: 0 (it goes), the
 * error of a device that is down, or a full queue's ENOBUFS. */
static int tx_fault(struct sim_stack_host *h)
{
	int down = down_tx(h);
	if (down)
		return down;
	return refuse(h) ? -ENOBUFS : 0;
}

static int stack_transmit(void *ctx, const void *pkt, size_t len)
{
	struct sim_stack_host *h = ctx;
	int e = tx_fault(h);
	if (e)
		return e;
	return gt_sim_transmit(h->sim, h->id, pkt, len);
}

static int stack_transmitv(void *ctx, const struct gt_iovec *iov, int iovcnt)
{
	struct sim_stack_host *h = ctx;
	int e = tx_fault(h);
	if (e)
		return e;
	int len = gt_iovec_join(h->join, JOIN_MAX, iov, iovcnt);
	return len < 0 ? len : gt_sim_transmit(h->sim, h->id, h->join, (size_t)len);
}

void gt_sim_set_gather(gt_sim *sim, bool on) { sim->gather = on; }

static void node_input(void *node, uint64_t now_us, const void *pkt, size_t len)
{
	struct sim_stack_host *h = node;
	if (down_at(h, now_us)) {
		h->down_rx++; /* nothing reaches a device that is down */
		return;
	}
	if (now_us < h->paused_until) {
		/* The device queues it for the process that is not running. */
		void *copy = h->nheld < GT_SIM_HOLD_MAX ? malloc(len) : NULL;
		if (!copy) {
			h->held_drops++;
			return;
		}
		memcpy(copy, pkt, len);
		h->held[h->nheld++] = (struct gt_iovec){copy, len};
		return;
	}
	gt_stack_input(h->stack, now_us, pkt, len);
}

/* The process runs again: what its device queued, in one batch. */
static void release_held(struct sim_stack_host *h, uint64_t now_us)
{
	if (!h->nheld)
		return;
	gt_stack_input_batch(h->stack, now_us, h->held, h->nheld);
	for (uint32_t i = 0; i < h->nheld; i++)
		free((void *)h->held[i].base);
	h->nheld = 0;
}

static void node_poll(void *node, uint64_t now_us)
{
	struct sim_stack_host *h = node;
	if (now_us < h->paused_until)
		return;
	release_held(h, now_us);
	gt_stack_poll(h->stack, now_us);
}

static uint64_t node_deadline(void *node)
{
	struct sim_stack_host *h = node;
	uint64_t d = gt_stack_next_deadline(h->stack);
	if (h->paused_until && (h->nheld || d < h->paused_until))
		return h->paused_until;
	return d;
}

/* Host id's node if it is a stack host (gt_sim_add_stack()), else NULL. */
static struct sim_stack_host *stack_host(gt_sim *sim, int id)
{
	if (id < 0 || (uint32_t)id >= sim->nhosts || sim->hosts[id].ops.input != node_input)
		return NULL;
	return sim->hosts[id].node;
}

int gt_sim_pause_host(gt_sim *sim, int id, uint64_t until_us, uint64_t *held_drops)
{
	struct sim_stack_host *h = stack_host(sim, id);
	if (!h)
		return -EINVAL;
	h->paused_until = until_us;
	if (held_drops)
		*held_drops = h->held_drops;
	return 0;
}

int gt_sim_refuse_host(gt_sim *sim, int id, uint64_t from_us, uint64_t until_us, uint32_t permille,
		       uint64_t *refused)
{
	struct sim_stack_host *h = stack_host(sim, id);
	if (!h || permille > 1000)
		return -EINVAL;
	h->refuse_from = from_us;
	h->refuse_until = until_us;
	h->refuse_permille = permille;
	if (refused)
		*refused = h->refused;
	return 0;
}

int gt_sim_down_host(gt_sim *sim, int id, uint64_t from_us, uint64_t until_us, int err,
		     uint64_t *failed)
{
	struct sim_stack_host *h = stack_host(sim, id);
	if (!h || err > 0 || err == -ENOBUFS || err == -EAGAIN)
		return -EINVAL;
	h->down_from = from_us;
	h->down_until = until_us;
	h->down_err = err;
	if (failed)
		*failed = h->down_tx + h->down_rx;
	return 0;
}

static void node_release(void *node)
{
	struct sim_stack_host *h = node;
	for (uint32_t i = 0; i < h->nheld; i++)
		free((void *)h->held[i].base);
	gt_stack_free(h->stack);
	free(h->join);
	free(h);
}

static const struct gt_sim_node_ops stack_ops = {
	.input = node_input,
	.poll = node_poll,
	.next_deadline = node_deadline,
};

int gt_sim_add_ipv6(gt_sim *sim, int host, const struct gt_in6_addr *addr, uint8_t prefix_len)
{
	if (host < 0 || (uint32_t)host >= sim->nhosts || !addr)
		return -EINVAL;
	for (uint32_t i = 0; i < sim->nhosts; i++)
		if (sim->hosts[i].has_addr6 && !memcmp(sim->hosts[i].addr6.b, addr->b, 16))
			return -EADDRINUSE;
	struct sim_host *h = &sim->hosts[host];
	if (h->ops.input == stack_ops.input) {
		int r = gt_stack_add_ipv6(((struct sim_stack_host *)h->node)->stack, addr, prefix_len);
		if (r < 0)
			return r;
	}
	h->addr6 = *addr;
	h->has_addr6 = true;
	return 0;
}

int gt_sim_add_stack(gt_sim *sim, const struct gt_config *cfg, uint32_t addr,
		     uint8_t prefix_len, uint16_t mtu, gt_stack **out)
{
	struct sim_stack_host *h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	struct gt_config c = *cfg;
	/* Each host's secret comes from the seed: reproducible, yet distinct. */
	for (size_t i = 0; i < sizeof(c.isn_secret); i += 8) {
		uint64_t r = gt_sim_random(sim);
		memcpy(c.isn_secret + i, &r, 8);
	}
	struct gt_device dev = {.transmit = stack_transmit, .ctx = h, .mtu = mtu ? mtu : 1500};
	if (sim->gather) {
		h->join = malloc(JOIN_MAX);
		if (!h->join) {
			free(h);
			return -ENOMEM;
		}
		dev.transmitv = stack_transmitv;
	}
	h->sim = sim;
	h->stack = gt_stack_new(&c, &dev);
	if (!h->stack) {
		free(h->join);
		free(h);
		return -EINVAL;
	}
	int r = gt_stack_add_ipv4(h->stack, addr, prefix_len);
	if (r == 0)
		r = sim_add_owned_node(sim, &stack_ops, h, addr, node_release);
	if (r < 0) {
		gt_stack_free(h->stack);
		free(h->join);
		free(h);
		return r;
	}
	h->id = r;
	if (out)
		*out = h->stack;
	return r;
}
