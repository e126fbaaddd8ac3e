/* The links of the simulated network and the transmit path: a packet is
 * routed by its IPv4 destination, then meets the faults of its directed link
 * in a fixed order (down, MTU, loss, drop-tail queue, serialisation, delay
 * and jitter, reordering, duplication, corruption), and every fate is
 * counted in the link's stats and shown to the tap. An IPv4 packet longer
 * than the link's MTU without DF is fragmented instead of dropped (RFC 791
 * 3.2), and each fragment meets the faults from loss on as a packet. */
#include "sim_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Offset of the destination address in an IPv4 header (RFC 791 3.1). */
#define IPV4_DST_OFFSET 16
#define IPV4_MIN_HEADER_BYTES 20
#define IPV6_DST_OFFSET 24
#define IPV6_HEADER_BYTES 40

static bool valid_host(const gt_sim *sim, int id)
{
	return id >= 0 && (uint32_t)id < sim->nhosts;
}

static uint64_t add_sat_us(uint64_t a, uint64_t b)
{
	/* UINT64_MAX means "never" to the event loop; stay below it. */
	return a > UINT64_MAX - 1 - b ? UINT64_MAX - 1 : a + b;
}

struct sim_link *sim_link_find(const gt_sim *sim, int a, int b)
{
	if (!valid_host(sim, a) || !valid_host(sim, b))
		return NULL;
	const struct sim_host *h = &sim->hosts[a];
	return (uint32_t)b < h->links_cap ? h->links[b] : NULL;
}

static struct sim_link *link_get(gt_sim *sim, int a, int b)
{
	struct sim_link *l = sim_link_find(sim, a, b);
	if (l)
		return l;
	struct sim_host *h = &sim->hosts[a];
	if ((uint32_t)b >= h->links_cap) {
		uint32_t cap = sim->hosts_cap;
		struct sim_link **v = realloc(h->links, cap * sizeof(*v));
		if (!v)
			return NULL;
		memset(v + h->links_cap, 0, (cap - h->links_cap) * sizeof(*v));
		h->links = v;
		h->links_cap = cap;
	}
	l = calloc(1, sizeof(*l));
	h->links[b] = l;
	return l;
}

void sim_link_free(struct sim_link *l)
{
	if (l)
		free(l->backlog_us);
	free(l);
}

static const struct gt_link_config *link_config(const gt_sim *sim,
						const struct sim_link *l)
{
	return l->has_cfg ? &l->cfg : &sim->default_link;
}

static bool probability_ok(double p)
{
	return p >= 0.0 && p <= 1.0; /* false for NaN too */
}

int gt_sim_set_link(gt_sim *sim, int a, int b, const struct gt_link_config *cfg)
{
	if (!valid_host(sim, a) || !valid_host(sim, b) || !cfg)
		return -EINVAL;
	if (!probability_ok(cfg->loss) || !probability_ok(cfg->duplicate) ||
	    !probability_ok(cfg->reorder) || !probability_ok(cfg->corrupt) ||
	    !probability_ok(cfg->ce_mark))
		return -EINVAL;
	struct sim_link *l = link_get(sim, a, b);
	if (!l)
		return -ENOMEM;
	l->cfg = *cfg;
	l->has_cfg = true;
	return 0;
}

void gt_sim_set_default_link(gt_sim *sim, const struct gt_link_config *cfg)
{
	/* Not validated (no error to return): a probability below 0 or NaN
	 * acts as 0, one above 1 as 1. */
	if (cfg)
		sim->default_link = *cfg;
}

int gt_sim_link_stats(const gt_sim *sim, int a, int b, struct gt_link_stats *out)
{
	if (!valid_host(sim, a) || !valid_host(sim, b) || !out)
		return -EINVAL;
	const struct sim_link *l = sim_link_find(sim, a, b);
	*out = l ? l->stats : (struct gt_link_stats){ 0 };
	return 0;
}

/* ---- the drop-tail queue of a bandwidth-limited link ---- */

static void backlog_expire(struct sim_link *l, uint64_t now_us)
{
	while (l->backlog_len && l->backlog_us[l->backlog_head] <= now_us) {
		l->backlog_head = (l->backlog_head + 1) % l->backlog_cap;
		l->backlog_len--;
	}
}

static int backlog_reserve(struct sim_link *l)
{
	if (l->backlog_len < l->backlog_cap)
		return 0;
	/* Bounded by the packets in flight: each entry's packet is one. */
	uint32_t cap = l->backlog_cap ? l->backlog_cap * 2 : 16;
	uint64_t *v = malloc(cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < l->backlog_len; i++)
		v[i] = l->backlog_us[(l->backlog_head + i) % l->backlog_cap];
	free(l->backlog_us);
	l->backlog_us = v;
	l->backlog_head = 0;
	l->backlog_cap = cap;
	return 0;
}

static void backlog_push(struct sim_link *l, uint64_t done_us)
{
	l->backlog_us[(l->backlog_head + l->backlog_len) % l->backlog_cap] = done_us;
	l->backlog_len++;
}

/* ---- transmit ---- */

/* RFC 3168 5: a router that would signal congestion to an ECN-capable
 * packet sets its ECN field to CE (11) instead of dropping it; the IPv4
 * header checksum changes with it (RFC 1624's incremental update). IPv6
 * has the field in its traffic class (RFC 8200 7: bits 5-4 of the second
 * byte) and no header checksum. */
static bool ce_mark(uint8_t *pkt, size_t len)
{
	if (len >= IPV6_HEADER_BYTES && (pkt[0] >> 4) == 6) {
		uint8_t ecn6 = (pkt[1] >> 4) & 3u;
		if (ecn6 == 0 || ecn6 == 3)
			return false;
		pkt[1] |= 0x30;
		return true;
	}
	if (len < IPV4_MIN_HEADER_BYTES || (pkt[0] >> 4) != 4)
		return false;
	uint8_t ecn = pkt[1] & 3u;
	if (ecn == 0 || ecn == 3)
		return false;
	uint16_t old_word = (uint16_t)(pkt[0] << 8 | pkt[1]);
	pkt[1] |= 3u;
	uint16_t new_word = (uint16_t)(pkt[0] << 8 | pkt[1]);
	/* HC' = ~(~HC + ~m + m') */
	uint32_t sum = (uint16_t)~(pkt[10] << 8 | pkt[11]);
	sum += (uint16_t)~old_word;
	sum += new_word;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t hc = (uint16_t)~sum;
	pkt[10] = (uint8_t)(hc >> 8);
	pkt[11] = (uint8_t)hc;
	return true;
}

static int route(const gt_sim *sim, const uint8_t *pkt, size_t len)
{
	if (len >= IPV6_HEADER_BYTES && pkt[0] >> 4 == 6) {
		for (uint32_t i = 0; i < sim->nhosts; i++)
			if (sim->hosts[i].has_addr6 &&
			    memcmp(sim->hosts[i].addr6.b, pkt + IPV6_DST_OFFSET, 16) == 0)
				return (int)i;
		return -1;
	}
	if (len < IPV4_MIN_HEADER_BYTES)
		return -1;
	const uint8_t *d = pkt + IPV4_DST_OFFSET;
	uint32_t dst = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		       (uint32_t)d[2] << 8 | d[3];
	for (uint32_t i = 0; i < sim->nhosts; i++)
		if (sim->hosts[i].addr == dst)
			return (int)i;
	return -1;
}

/* Microseconds the packet holds a transmitter of bandwidth_bps, rounded up
 * so that a link is never faster than configured. */
static uint64_t serialisation_us(uint64_t bandwidth_bps, size_t len)
{
	if (bandwidth_bps == 0)
		return 0;
	uint64_t bits_us = (uint64_t)len * 8 * 1000000; /* len <= 65535: fits */
	return bits_us / bandwidth_bps + (bits_us % bandwidth_bps != 0);
}

/* Counts a fate in the link's stats and shows it to the tap. Returns 0 so
 * that a drop can end gt_sim_transmit(): the wire tells the sender nothing. */
static int record(gt_sim *sim, int from, int to, uint64_t *counter,
		  enum gt_sim_fate fate, const void *pkt, size_t len)
{
	(*counter)++;
	sim_tap(sim, from, to, fate, pkt, len);
	return 0;
}

static uint8_t *copy_of(const void *pkt, size_t len)
{
	uint8_t *c = malloc(len);
	if (c)
		memcpy(c, pkt, len);
	return c;
}

/* What the random faults decided for one packet, drawn in a fixed order. */
struct faults {
	uint64_t jitter_us;
	bool reorder, duplicate, corrupt;
	uint64_t corrupt_bit;
};

static struct faults draw_faults(gt_sim *sim, const struct gt_link_config *cfg,
				 size_t len)
{
	struct faults f = { 0 };
	if (cfg->jitter_us)
		f.jitter_us = sim_random_upto(sim, cfg->jitter_us);
	f.reorder = sim_chance(sim, cfg->reorder);
	f.duplicate = sim_chance(sim, cfg->duplicate);
	f.corrupt = sim_chance(sim, cfg->corrupt);
	if (f.corrupt)
		f.corrupt_bit = sim_random_upto(sim, (uint64_t)len * 8 - 1);
	return f;
}

/* Queues the packet (and its duplicate) once it passed every drop. */
static int schedule(gt_sim *sim, struct sim_link *l, const struct gt_link_config *cfg,
		    int from, int to, const void *pkt, size_t len)
{
	struct faults f = draw_faults(sim, cfg, len);
	bool dup_room = f.duplicate && sim->inflight.len + 2 <= SIM_MAX_INFLIGHT_PKTS;

	/* A FIFO transmitter: serialisation starts when the one before ends. */
	uint64_t now_us = sim->now_us;
	uint64_t start_us = l->busy_until_us > now_us ? l->busy_until_us : now_us;
	uint64_t done_us = add_sat_us(start_us, serialisation_us(cfg->bandwidth_bps, len));
	bool queued = done_us > now_us;

	uint8_t *data = copy_of(pkt, len);
	uint8_t *dup = dup_room ? copy_of(pkt, len) : NULL;
	/* Drawn only on a link that marks: other links' random sequences,
	 * and so every seed's run, stay as they were. */
	bool mark = (cfg->ce_queue_pkts && l->backlog_len >= cfg->ce_queue_pkts) ||
		    (cfg->ce_mark > 0 && sim_chance(sim, cfg->ce_mark));
	if (!data || (dup_room && !dup) ||
	    sim_pktq_reserve(&sim->inflight, dup_room ? 2 : 1) < 0 ||
	    (queued && backlog_reserve(l) < 0)) {
		free(data);
		free(dup);
		record(sim, from, to, &l->stats.queue_drops, GT_SIM_QUEUE_DROP, pkt, len);
		return -ENOMEM;
	}
	l->busy_until_us = done_us;
	if (queued)
		backlog_push(l, done_us);
	if (mark && ce_mark(data, len)) {
		if (dup)
			ce_mark(dup, len);
		record(sim, from, to, &l->stats.ce_marked, GT_SIM_CE_MARKED, data, len);
	}

	/* Jitter is drawn per packet, so like netem it may reorder packets
	 * that left close together; the reorder fault comes on top of it. */
	uint64_t at_us = add_sat_us(done_us, add_sat_us(cfg->delay_us, f.jitter_us));
	if (f.reorder) {
		at_us = add_sat_us(at_us, cfg->reorder_us);
		record(sim, from, to, &l->stats.reordered, GT_SIM_REORDERED, pkt, len);
	}
	if (f.corrupt) {
		data[f.corrupt_bit / 8] ^= (uint8_t)(1u << (f.corrupt_bit % 8));
		record(sim, from, to, &l->stats.corrupted, GT_SIM_CORRUPTED, data, len);
	}
	sim_pktq_push(&sim->inflight, (struct sim_pkt){
		.at_us = at_us, .from = from, .to = to, .len = (uint32_t)len, .data = data });

	if (f.duplicate && !dup_room)
		record(sim, from, to, &l->stats.queue_drops, GT_SIM_QUEUE_DROP, pkt, len);
	if (dup_room) {
		/* The copy is the packet as sent (never corrupted), one
		 * microsecond behind the original. */
		record(sim, from, to, &l->stats.duplicated, GT_SIM_DUPLICATED, pkt, len);
		sim_pktq_push(&sim->inflight, (struct sim_pkt){
			.at_us = add_sat_us(at_us, 1), .from = from, .to = to,
			.len = (uint32_t)len, .data = dup });
	}
	return 0;
}

/* Loss, the drop-tail queue, then the rest of the faults (schedule()). */
static int pass(gt_sim *sim, struct sim_link *l, const struct gt_link_config *cfg,
		int from, int to, const void *pkt, size_t len)
{
	if (sim_chance(sim, cfg->loss))
		return record(sim, from, to, &l->stats.lost, GT_SIM_LOST, pkt, len);
	/* The queue holds what the transmitter has not finished serialising,
	 * the packet on the wire included: a limit of N passes a burst of N. */
	backlog_expire(l, sim->now_us);
	if ((cfg->queue_limit_pkts && l->backlog_len >= cfg->queue_limit_pkts) ||
	    sim->inflight.len >= SIM_MAX_INFLIGHT_PKTS)
		return record(sim, from, to, &l->stats.queue_drops, GT_SIM_QUEUE_DROP, pkt, len);
	return schedule(sim, l, cfg, from, to, pkt, len);
}

/* Whether a router may fragment the packet for mtu (RFC 791 3.2): IPv4
 * with DF clear, a whole header without options, and room for 8 octets
 * of data in each fragment. Packets with options are dropped as before
 * (the options each fragment copies are not modelled). */
static bool fragmentable(const uint8_t *pkt, size_t len, uint32_t mtu)
{
	if (len < IPV4_MIN_HEADER_BYTES || (pkt[0] >> 4) != 4 || (pkt[0] & 15u) != 5)
		return false;
	size_t tot = (size_t)pkt[2] << 8 | pkt[3];
	return !(pkt[6] & 0x40) && tot == len && mtu >= IPV4_MIN_HEADER_BYTES + 8;
}

static void ipv4_sum(uint8_t *h)
{
	h[10] = h[11] = 0;
	uint32_t sum = 0;
	for (int i = 0; i < IPV4_MIN_HEADER_BYTES; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h[10] = (uint8_t)(~sum >> 8);
	h[11] = (uint8_t)~sum;
}

/* RFC 791 3.2's fragmentation procedure: data in multiples of 8 octets
 * (NFB = (MTU - IHL*4) / 8 blocks), MF on every fragment but the last
 * (which keeps the original's), offsets counted from the original's, the
 * identification kept; each fragment then goes its way alone (pass()). */
static int fragment(gt_sim *sim, struct sim_link *l, const struct gt_link_config *cfg,
		    int from, int to, const uint8_t *pkt, size_t len)
{
	uint8_t *f = malloc(cfg->mtu);
	if (!f)
		return record(sim, from, to, &l->stats.queue_drops, GT_SIM_QUEUE_DROP, pkt, len);
	record(sim, from, to, &l->stats.fragmented, GT_SIM_FRAGMENTED, pkt, len);
	size_t nfb = (cfg->mtu - IPV4_MIN_HEADER_BYTES) / 8;
	size_t data = len - IPV4_MIN_HEADER_BYTES;
	uint16_t word = (uint16_t)(pkt[6] << 8 | pkt[7]);
	size_t off0 = (size_t)(word & 0x1fff);
	bool mf0 = word & 0x2000;
	int rc = 0;
	for (size_t at = 0; at < data && !rc; at += nfb * 8) {
		size_t n = data - at > nfb * 8 ? nfb * 8 : data - at;
		bool last = at + n == data;
		memcpy(f, pkt, IPV4_MIN_HEADER_BYTES);
		memcpy(f + IPV4_MIN_HEADER_BYTES, pkt + IPV4_MIN_HEADER_BYTES + at, n);
		size_t tot = IPV4_MIN_HEADER_BYTES + n;
		uint16_t fw = (uint16_t)((off0 + at / 8) & 0x1fff);
		if (!last || mf0)
			fw |= 0x2000;
		f[2] = (uint8_t)(tot >> 8);
		f[3] = (uint8_t)tot;
		f[6] = (uint8_t)(fw >> 8);
		f[7] = (uint8_t)fw;
		ipv4_sum(f);
		l->stats.fragments++;
		rc = pass(sim, l, cfg, from, to, f, tot);
	}
	free(f);
	return rc;
}

int gt_sim_transmit(gt_sim *sim, int from, const void *pkt, size_t len)
{
	if (!valid_host(sim, from) || (!pkt && len))
		return -EINVAL;
	if (len > SIM_MAX_PKT_BYTES)
		return -EMSGSIZE;
	int to = route(sim, pkt, len);
	if (to < 0) {
		sim_tap(sim, from, -1, GT_SIM_SENT, pkt, len);
		sim_tap(sim, from, -1, GT_SIM_NO_ROUTE, pkt, len);
		return 0;
	}
	struct sim_link *l = link_get(sim, from, to);
	if (!l)
		return -ENOMEM;
	const struct gt_link_config *cfg = link_config(sim, l);
	record(sim, from, to, &l->stats.sent, GT_SIM_SENT, pkt, len);

	if (cfg->down)
		return record(sim, from, to, &l->stats.down_drops, GT_SIM_DOWN_DROP, pkt, len);
	if (cfg->mtu && len > cfg->mtu && fragmentable(pkt, len, cfg->mtu))
		return fragment(sim, l, cfg, from, to, pkt, len);
	if (cfg->mtu && len > cfg->mtu)
		return record(sim, from, to, &l->stats.mtu_drops, GT_SIM_MTU_DROP, pkt, len);
	return pass(sim, l, cfg, from, to, pkt, len);
}
