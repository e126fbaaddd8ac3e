/* The simulated network (sim/): delivery times, serialisation, every fault
 * and its fate, routing by IPv4 destination, deadlines and the event loop,
 * and reproducibility from the seed. The hosts are dummy nodes that record
 * what reaches them. */
#include "harness.h"

#include <errno.h>
#include <glasstcp/sim.h>
#include <string.h>

#include "sim/transfer.h"

#define REC_MAX 64
#define PKT_MAX 1600

struct dummy {
	gt_sim *sim;
	int id;
	uint32_t addr;
	uint32_t received;
	uint64_t hash;                 /* over (arrival time, seq) of every packet */
	uint64_t at_us[REC_MAX];       /* the first REC_MAX arrivals */
	uint32_t seq[REC_MAX];
	size_t len[REC_MAX];
	uint8_t data[REC_MAX][PKT_MAX];
	uint64_t deadline_us;          /* polled once there, then none */
	uint32_t polls;
	uint64_t poll_at_us[REC_MAX];
	uint32_t echo_dst;             /* nonzero: send every packet back there */
	uint32_t echo_left;
	int *log;                      /* shared: host ids, +1000 for a poll */
	uint32_t *log_len;
};

static void mkpkt(uint8_t *p, size_t len, uint32_t src, uint32_t dst, uint32_t seq)
{
	memset(p, 0, len);
	p[0] = 0x45;
	for (int i = 0; i < 4; i++) {
		if (len >= 20) {
			p[12 + i] = (uint8_t)(src >> (24 - 8 * i));
			p[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
		}
		if (len >= 24)
			p[20 + i] = (uint8_t)(seq >> (24 - 8 * i));
	}
	for (size_t i = 24; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seq);
}

static uint32_t pkt_seq(const uint8_t *p)
{
	return (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
}

static void logit(struct dummy *d, int v)
{
	if (d->log && *d->log_len < REC_MAX)
		d->log[(*d->log_len)++] = v;
}

static void d_input(void *node, uint64_t now_us, const void *pkt, size_t len)
{
	struct dummy *d = node;
	const uint8_t *p = pkt;
	uint32_t seq = len >= 24 ? pkt_seq(p) : 0;
	if (d->received < REC_MAX) {
		d->at_us[d->received] = now_us;
		d->seq[d->received] = seq;
		d->len[d->received] = len;
		memcpy(d->data[d->received], p, len < PKT_MAX ? len : PKT_MAX);
	}
	d->received++;
	d->hash = (d->hash ^ now_us ^ ((uint64_t)seq << 32)) * 0x100000001b3u;
	logit(d, d->id);
	if (d->echo_dst && d->echo_left) {
		uint8_t out[64];
		d->echo_left--;
		mkpkt(out, sizeof(out), d->addr, d->echo_dst, seq + 1);
		ASSERT_EQ(gt_sim_transmit(d->sim, d->id, out, sizeof(out)), 0);
	}
}

static void d_poll(void *node, uint64_t now_us)
{
	struct dummy *d = node;
	if (d->polls < REC_MAX)
		d->poll_at_us[d->polls] = now_us;
	d->polls++;
	d->deadline_us = UINT64_MAX;
	logit(d, 1000 + d->id);
}

static uint64_t d_deadline(void *node)
{
	return ((struct dummy *)node)->deadline_us;
}

static const struct gt_sim_node_ops dummy_ops = { d_input, d_poll, d_deadline };

#define ADDR(n) (0x0a000000u + (n)) /* 10.0.0.n */

static struct dummy *dummy_add(gt_sim *sim, uint32_t addr)
{
	struct dummy *d = calloc(1, sizeof(*d));
	ASSERT(d != NULL);
	d->sim = sim;
	d->addr = addr;
	d->deadline_us = UINT64_MAX;
	d->id = gt_sim_add_node(sim, &dummy_ops, d, addr);
	ASSERT_GE(d->id, 0);
	return d;
}

static void send_pkt(gt_sim *sim, struct dummy *from, uint32_t dst, size_t len, uint32_t seq)
{
	uint8_t p[PKT_MAX];
	mkpkt(p, len, from->addr, dst, seq);
	ASSERT_EQ(gt_sim_transmit(sim, from->id, p, len), 0);
}

static void run_all(gt_sim *sim)
{
	for (int i = 0; i < 10000000 && gt_sim_step(sim); i++)
		;
	ASSERT(!gt_sim_step(sim));
}

/* Counts every fate the tap sees, and remembers the last ones. */
struct tap_log {
	uint64_t count[GT_SIM_CE_MARKED + 1];
	uint32_t n;
	struct gt_sim_packet_info last[REC_MAX];
	uint32_t reordered_seq[REC_MAX];
	uint32_t nreordered;
};

static void tap_fn(void *ctx, const struct gt_sim_packet_info *p)
{
	struct tap_log *t = ctx;
	t->count[p->fate]++;
	if (t->n < REC_MAX)
		t->last[t->n++] = *p;
	if (p->fate == GT_SIM_REORDERED && t->nreordered < REC_MAX && p->len >= 24)
		t->reordered_seq[t->nreordered++] = pkt_seq(p->pkt);
}

static struct gt_link_config link_cfg(void)
{
	struct gt_link_config c;
	gt_link_config_default(&c);
	return c;
}

TEST(sim_fate_names)
{
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_SENT), "sent");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_DELIVERED), "delivered");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_LOST), "lost");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_QUEUE_DROP), "queue_drop");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_MTU_DROP), "mtu_drop");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_DOWN_DROP), "down_drop");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_NO_ROUTE), "no_route");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_DUPLICATED), "duplicated");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_CORRUPTED), "corrupted");
	ASSERT_STREQ(gt_sim_fate_name(GT_SIM_REORDERED), "reordered");
	ASSERT_STREQ(gt_sim_fate_name((enum gt_sim_fate)99), "unknown");
}

TEST(sim_random_same_seed_same_stream)
{
	gt_sim *a = gt_sim_new(42), *b = gt_sim_new(42), *c = gt_sim_new(43);
	int differ = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = gt_sim_random(a), y = gt_sim_random(b), z = gt_sim_random(c);
		ASSERT_EQ(x, y);
		differ += x != z;
	}
	ASSERT_GT(differ, 990);
	gt_sim_free(a);
	gt_sim_free(b);
	gt_sim_free(c);
}

TEST(sim_default_link_delivers_after_delay)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	ASSERT_EQ(gt_sim_now(sim), 0);
	send_pkt(sim, a, b->addr, 100, 7);
	ASSERT_EQ(b->received, 0); /* transmit only queues */
	ASSERT(gt_sim_step(sim));
	ASSERT_EQ(gt_sim_now(sim), 1000);
	ASSERT_EQ(b->received, 1);
	ASSERT_EQ(b->at_us[0], 1000);
	ASSERT_EQ(b->seq[0], 7);
	ASSERT_EQ(b->len[0], 100);
	ASSERT(!gt_sim_step(sim));

	ASSERT_EQ(t.n, 2);
	ASSERT_EQ(t.last[0].fate, GT_SIM_SENT);
	ASSERT_EQ(t.last[0].now_us, 0);
	ASSERT_EQ(t.last[0].from, a->id);
	ASSERT_EQ(t.last[0].to, b->id);
	ASSERT_EQ(t.last[1].fate, GT_SIM_DELIVERED);
	ASSERT_EQ(t.last[1].now_us, 1000);
	ASSERT_EQ(t.last[1].len, 100);

	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.sent, 1);
	ASSERT_EQ(s.delivered, 1);
	ASSERT_EQ(s.bytes_delivered, 100);
	ASSERT_EQ(gt_sim_link_stats(sim, b->id, a->id, &s), 0);
	ASSERT_EQ(s.sent, 0);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_default_link_applies_to_unset_links_only)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct gt_link_config c = link_cfg();
	c.delay_us = 300;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	c.delay_us = 5000;
	gt_sim_set_default_link(sim, &c);
	send_pkt(sim, a, b->addr, 40, 1);
	send_pkt(sim, b, a->addr, 40, 2);
	run_all(sim);
	ASSERT_EQ(b->at_us[0], 300);
	ASSERT_EQ(a->at_us[0], 5000);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_serialisation_spaces_back_to_back_packets)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct gt_link_config c = link_cfg();
	c.delay_us = 5000;
	c.bandwidth_bps = 12000000; /* 1500 bytes = 12000 bits = 1000 us */
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < 3; i++)
		send_pkt(sim, a, b->addr, 1500, i);
	send_pkt(sim, a, b->addr, 150, 3); /* 100 us behind the third */
	run_all(sim);
	ASSERT_EQ(b->received, 4);
	ASSERT_EQ(b->at_us[0], 6000);
	ASSERT_EQ(b->at_us[1], 7000);
	ASSERT_EQ(b->at_us[2], 8000);
	ASSERT_EQ(b->at_us[3], 8100);
	for (uint32_t i = 0; i < 4; i++)
		ASSERT_EQ(b->seq[i], i);

	/* An idle transmitter starts at once: no credit, no leftover busy time. */
	gt_sim_run_until(sim, 20000);
	send_pkt(sim, a, b->addr, 1500, 4);
	run_all(sim);
	ASSERT_EQ(b->at_us[4], 20000 + 1000 + 5000);
	gt_sim_free(sim);
	free(a);
	free(b);
}

static bool seq_odd(void *ctx, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	return len >= 24 && (pkt_seq(pkt) & 1);
}

/* What is queued behind a slow transmitter or still propagating counts as
 * in flight, per direction and by the caller's match; a packet delivered
 * or dropped on the way in does not. */
TEST(sim_count_in_flight_queued_and_propagating)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct gt_link_config c = link_cfg();
	c.delay_us = 5000;
	c.bandwidth_bps = 12000000; /* 1500 bytes: 1000 us */
	c.queue_limit_pkts = 3;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	ASSERT_EQ(gt_sim_count_in_flight(sim, -1, -1, NULL, NULL), 0);
	for (uint32_t i = 0; i < 4; i++)
		send_pkt(sim, a, b->addr, 1500, i); /* the fourth: queue full, dropped */
	send_pkt(sim, b, a->addr, 100, 9);
	ASSERT_EQ(gt_sim_count_in_flight(sim, -1, -1, NULL, NULL), 4);
	ASSERT_EQ(gt_sim_count_in_flight(sim, a->id, b->id, NULL, NULL), 3);
	ASSERT_EQ(gt_sim_count_in_flight(sim, b->id, -1, NULL, NULL), 1);
	ASSERT_EQ(gt_sim_count_in_flight(sim, a->id, -1, seq_odd, NULL), 1);
	gt_sim_run_until(sim, 6000); /* the first and b's are delivered */
	ASSERT_EQ(b->received, 1);
	ASSERT_EQ(gt_sim_count_in_flight(sim, a->id, b->id, NULL, NULL), 2);
	ASSERT_EQ(gt_sim_count_in_flight(sim, b->id, a->id, NULL, NULL), 0);
	run_all(sim);
	ASSERT_EQ(gt_sim_count_in_flight(sim, -1, -1, NULL, NULL), 0);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_jitter_stays_in_bounds)
{
	gt_sim *sim = gt_sim_new(5);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct gt_link_config c = link_cfg();
	c.jitter_us = 500;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < REC_MAX; i++)
		send_pkt(sim, a, b->addr, 40, i);
	run_all(sim);
	ASSERT_EQ(b->received, REC_MAX);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (uint32_t i = 0; i < REC_MAX; i++) {
		ASSERT_GE(b->at_us[i], 1000);
		ASSERT_LE(b->at_us[i], 1500);
		if (i)
			ASSERT_GE(b->at_us[i], b->at_us[i - 1]);
		lo = b->at_us[i] < lo ? b->at_us[i] : lo;
		hi = b->at_us[i] > hi ? b->at_us[i] : hi;
	}
	ASSERT_GT(hi - lo, 250); /* 64 draws in [0,500] spread out */
	gt_sim_free(sim);
	free(a);
	free(b);
}

/* Sends n packets of 64 bytes over a lossy link; returns the receiver's
 * count and the hash of what arrived when. */
static uint32_t lossy_run(uint64_t seed, uint32_t n, uint64_t *hash, struct gt_link_stats *s)
{
	gt_sim *sim = gt_sim_new(seed);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct gt_link_config c = link_cfg();
	c.loss = 0.1;
	c.jitter_us = 100;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < n; i++) {
		send_pkt(sim, a, b->addr, 64, i);
		gt_sim_run_until(sim, gt_sim_now(sim) + 10);
	}
	run_all(sim);
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, s), 0);
	uint32_t got = b->received;
	*hash = b->hash;
	gt_sim_free(sim);
	free(a);
	free(b);
	return got;
}

TEST(sim_loss_rate_and_reproducibility)
{
	const uint32_t n = 100000;
	uint64_t h1, h2, h3;
	struct gt_link_stats s1, s2, s3;
	uint32_t got1 = lossy_run(7, n, &h1, &s1);
	/* 10% loss: mean 90000, sd ~95; allow 5 sd. */
	ASSERT_GE(got1, 90000 - 475);
	ASSERT_LE(got1, 90000 + 475);
	ASSERT_EQ(s1.sent, n);
	ASSERT_EQ(s1.lost + s1.delivered, n);
	ASSERT_EQ(s1.delivered, got1);

	uint32_t got2 = lossy_run(7, n, &h2, &s2);
	ASSERT_EQ(got2, got1);
	ASSERT_EQ(h2, h1);
	ASSERT_MEMEQ(&s2, &s1, sizeof(s1));

	lossy_run(8, n, &h3, &s3);
	ASSERT_NE(h3, h1);
}

TEST(sim_duplicate_delivers_twice)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	struct gt_link_config c = link_cfg();
	c.duplicate = 1.0;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < 10; i++)
		send_pkt(sim, a, b->addr, 80, i);
	run_all(sim);
	ASSERT_EQ(b->received, 20);
	ASSERT_EQ(t.count[GT_SIM_DUPLICATED], 10);
	ASSERT_EQ(t.count[GT_SIM_DELIVERED], 20);
	/* Originals at 1000 in send order, then each copy 1 us later. */
	for (uint32_t i = 0; i < 10; i++) {
		ASSERT_EQ(b->at_us[i], 1000);
		ASSERT_EQ(b->seq[i], i);
		ASSERT_EQ(b->at_us[10 + i], 1001);
		ASSERT_EQ(b->seq[10 + i], i);
		ASSERT_MEMEQ(b->data[i], b->data[10 + i], 80);
	}
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.sent, 10);
	ASSERT_EQ(s.duplicated, 10);
	ASSERT_EQ(s.delivered, 20);

	/* At probability 0.5 about half are duplicated. */
	c.duplicate = 0.5;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < 10000; i++)
		send_pkt(sim, a, b->addr, 40, i);
	run_all(sim);
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_GE(s.duplicated - 10, 5000 - 250); /* sd 50 */
	ASSERT_LE(s.duplicated - 10, 5000 + 250);
	ASSERT_EQ(s.delivered, 20 + 10000 + (s.duplicated - 10));
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_reorder_holds_packets_back)
{
	gt_sim *sim = gt_sim_new(3);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	struct gt_link_config c = link_cfg();
	c.reorder = 0.25;
	c.reorder_us = 350;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < REC_MAX; i++) {
		send_pkt(sim, a, b->addr, 40, i);
		gt_sim_run_until(sim, gt_sim_now(sim) + 100);
	}
	run_all(sim);
	ASSERT_EQ(b->received, REC_MAX);
	ASSERT_GT(t.nreordered, 4); /* expected 16 of 64 */
	ASSERT_LT(t.nreordered, 32);
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.reordered, t.nreordered);

	uint32_t inversions = 0;
	for (uint32_t i = 0; i < REC_MAX; i++) {
		uint32_t seq = b->seq[i];
		bool held = false;
		for (uint32_t k = 0; k < t.nreordered; k++)
			held |= t.reordered_seq[k] == seq;
		ASSERT_EQ(b->at_us[i], seq * 100 + 1000 + (held ? 350 : 0));
		inversions += i && b->seq[i] < b->seq[i - 1];
	}
	ASSERT_GT(inversions, 0);
	gt_sim_free(sim);
	free(a);
	free(b);
}

static int popcount8(uint8_t x)
{
	int n = 0;
	for (; x; x &= (uint8_t)(x - 1))
		n++;
	return n;
}

TEST(sim_corrupt_flips_exactly_one_bit)
{
	gt_sim *sim = gt_sim_new(9);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	struct gt_link_config c = link_cfg();
	c.corrupt = 1.0;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	uint8_t sent[REC_MAX][200];
	for (uint32_t i = 0; i < REC_MAX; i++) {
		mkpkt(sent[i], sizeof(sent[i]), a->addr, b->addr, i);
		ASSERT_EQ(gt_sim_transmit(sim, a->id, sent[i], sizeof(sent[i])), 0);
	}
	run_all(sim);
	ASSERT_EQ(b->received, REC_MAX);
	ASSERT_EQ(t.count[GT_SIM_CORRUPTED], REC_MAX);
	for (uint32_t i = 0; i < REC_MAX; i++) {
		int bits = 0;
		ASSERT_EQ(b->len[i], 200);
		/* Arrival order is send order, whatever bit of the seq flipped. */
		for (size_t k = 0; k < 200; k++)
			bits += popcount8(sent[i][k] ^ b->data[i][k]);
		ASSERT_EQ(bits, 1);
	}
	/* The sender's buffer is never touched. */
	uint8_t again[200];
	mkpkt(again, sizeof(again), a->addr, b->addr, 0);
	ASSERT_MEMEQ(again, sent[0], sizeof(again));
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.corrupted, REC_MAX);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_queue_limit_drops_tail)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	struct gt_link_config c = link_cfg();
	c.bandwidth_bps = 12000000;
	c.queue_limit_pkts = 10;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	for (uint32_t i = 0; i < 20; i++)
		send_pkt(sim, a, b->addr, 1500, i);
	ASSERT_EQ(t.count[GT_SIM_QUEUE_DROP], 10);
	/* Ten SENT taps, then the 11th packet's SENT and its drop. */
	ASSERT_EQ(t.last[10].fate, GT_SIM_SENT);
	ASSERT_EQ(t.last[11].fate, GT_SIM_QUEUE_DROP);
	ASSERT_EQ(t.last[11].to, b->id);

	/* After 2.5 packet times two have left the transmitter: room for two. */
	gt_sim_run_until(sim, 2500);
	for (uint32_t i = 20; i < 23; i++)
		send_pkt(sim, a, b->addr, 1500, i);
	run_all(sim);
	ASSERT_EQ(b->received, 12);
	for (uint32_t i = 0; i < 10; i++) {
		ASSERT_EQ(b->seq[i], i);
		ASSERT_EQ(b->at_us[i], (i + 1) * 1000 + 1000);
	}
	ASSERT_EQ(b->seq[10], 20);
	ASSERT_EQ(b->seq[11], 21);
	ASSERT_EQ(b->at_us[11], 12000 + 1000);
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.sent, 23);
	ASSERT_EQ(s.queue_drops, 11);
	ASSERT_EQ(s.delivered, 12);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_mtu_drops_larger_packets)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	struct gt_link_config c = link_cfg();
	c.mtu = 1000;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	send_pkt(sim, a, b->addr, 1001, 1);
	send_pkt(sim, a, b->addr, 1000, 2);
	run_all(sim);
	ASSERT_EQ(b->received, 1);
	ASSERT_EQ(b->seq[0], 2);
	ASSERT_EQ(t.count[GT_SIM_MTU_DROP], 1);
	ASSERT_EQ(t.last[1].fate, GT_SIM_MTU_DROP);
	ASSERT_EQ(t.last[1].len, 1001);
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.mtu_drops, 1);
	ASSERT_EQ(s.delivered, 1);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_link_down_drops_then_heals)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	struct gt_link_config c = link_cfg();
	c.down = true;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	send_pkt(sim, a, b->addr, 60, 1);
	send_pkt(sim, b, a->addr, 60, 2); /* the other direction still works */
	run_all(sim);
	ASSERT_EQ(b->received, 0);
	ASSERT_EQ(a->received, 1);
	ASSERT_EQ(t.count[GT_SIM_DOWN_DROP], 1);

	c.down = false;
	ASSERT_EQ(gt_sim_set_link(sim, a->id, b->id, &c), 0);
	send_pkt(sim, a, b->addr, 60, 3);
	run_all(sim);
	ASSERT_EQ(b->received, 1);
	ASSERT_EQ(b->seq[0], 3);
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.sent, 2);
	ASSERT_EQ(s.down_drops, 1);
	ASSERT_EQ(s.delivered, 1);
	gt_sim_free(sim);
	free(a);
	free(b);
}

TEST(sim_routes_by_destination_address)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	struct dummy *c = dummy_add(sim, ADDR(3));
	struct tap_log t = { 0 };
	gt_sim_set_tap(sim, tap_fn, &t);
	send_pkt(sim, a, ADDR(3), 40, 1);
	send_pkt(sim, a, ADDR(2), 40, 2);
	send_pkt(sim, a, ADDR(3), 40, 3);
	run_all(sim);
	ASSERT_EQ(b->received, 1);
	ASSERT_EQ(b->seq[0], 2);
	ASSERT_EQ(c->received, 2);
	ASSERT_EQ(c->seq[0], 1);
	ASSERT_EQ(c->seq[1], 3);

	/* Nobody owns 10.0.0.9; a runt has no destination at all. */
	t = (struct tap_log){ 0 };
	send_pkt(sim, a, ADDR(9), 40, 4);
	uint8_t runt[19];
	mkpkt(runt, sizeof(runt), a->addr, b->addr, 0);
	ASSERT_EQ(gt_sim_transmit(sim, a->id, runt, sizeof(runt)), 0);
	ASSERT(!gt_sim_step(sim));
	ASSERT_EQ(t.n, 4);
	ASSERT_EQ(t.last[0].fate, GT_SIM_SENT);
	ASSERT_EQ(t.last[0].to, -1);
	ASSERT_EQ(t.last[1].fate, GT_SIM_NO_ROUTE);
	ASSERT_EQ(t.last[1].to, -1);
	ASSERT_EQ(t.last[3].fate, GT_SIM_NO_ROUTE);
	ASSERT_EQ(t.last[3].len, 19);
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, b->id, &s), 0);
	ASSERT_EQ(s.sent, 1);
	ASSERT_EQ(gt_sim_link_stats(sim, a->id, c->id, &s), 0);
	ASSERT_EQ(s.sent, 2);
	gt_sim_free(sim);
	free(a);
	free(b);
	free(c);
}

TEST(sim_polls_deadlines_in_time_then_host_order)
{
	gt_sim *sim = gt_sim_new(1);
	int log[REC_MAX];
	uint32_t log_len = 0;
	struct dummy *d[3];
	for (int i = 0; i < 3; i++) {
		d[i] = dummy_add(sim, ADDR(1 + i));
		d[i]->log = log;
		d[i]->log_len = &log_len;
	}
	d[0]->deadline_us = 500;
	d[1]->deadline_us = 500;
	d[2]->deadline_us = 300;
	ASSERT(gt_sim_step(sim));
	ASSERT_EQ(gt_sim_now(sim), 300);
	run_all(sim);
	ASSERT_EQ(gt_sim_now(sim), 500);
	ASSERT_EQ(log_len, 3);
	ASSERT_EQ(log[0], 1002);
	ASSERT_EQ(log[1], 1000);
	ASSERT_EQ(log[2], 1001);
	ASSERT_EQ(d[2]->poll_at_us[0], 300);
	ASSERT_EQ(d[0]->poll_at_us[0], 500);
	ASSERT_EQ(d[1]->poll_at_us[0], 500);

	/* Deadlines already past run now, in host order; the clock stays. */
	gt_sim_run_until(sim, 2000);
	d[1]->deadline_us = 100;
	d[0]->deadline_us = 1500;
	log_len = 0;
	run_all(sim);
	ASSERT_EQ(gt_sim_now(sim), 2000);
	ASSERT_EQ(log_len, 2);
	ASSERT_EQ(log[0], 1000);
	ASSERT_EQ(log[1], 1001);
	ASSERT_EQ(d[0]->poll_at_us[1], 2000);
	ASSERT_EQ(d[1]->poll_at_us[1], 2000);
	for (int i = 0; i < 3; i++)
		free(d[i]);
	gt_sim_free(sim);
}

TEST(sim_packet_before_poll_at_same_time)
{
	gt_sim *sim = gt_sim_new(1);
	int log[REC_MAX];
	uint32_t log_len = 0;
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	a->log = b->log = log;
	a->log_len = b->log_len = &log_len;
	a->deadline_us = 1000;
	b->deadline_us = 1000;
	send_pkt(sim, a, b->addr, 40, 1); /* arrives at 1000 */
	run_all(sim);
	ASSERT_EQ(log_len, 3);
	ASSERT_EQ(log[0], b->id);        /* the delivery */
	ASSERT_EQ(log[1], 1000 + a->id); /* then the polls in host order */
	ASSERT_EQ(log[2], 1000 + b->id);
	free(a);
	free(b);
	gt_sim_free(sim);
}

TEST(sim_transmit_from_inside_input)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	a->echo_dst = b->addr;
	a->echo_left = 5;
	b->echo_dst = a->addr;
	b->echo_left = 5;
	send_pkt(sim, a, b->addr, 64, 0);
	run_all(sim);
	/* b gets seq 0, 2, 4, ... at 1000, 3000, ...; a gets 1, 3, ... */
	ASSERT_EQ(b->received, 6);
	ASSERT_EQ(a->received, 5);
	for (uint32_t i = 0; i < 6; i++) {
		ASSERT_EQ(b->seq[i], 2 * i);
		ASSERT_EQ(b->at_us[i], 1000 + 2000 * i);
	}
	for (uint32_t i = 0; i < 5; i++)
		ASSERT_EQ(a->at_us[i], 2000 + 2000 * i);
	ASSERT_EQ(gt_sim_now(sim), 11000);
	free(a);
	free(b);
	gt_sim_free(sim);
}

TEST(sim_run_until_sets_clock)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	gt_sim_run_until(sim, 700);
	ASSERT_EQ(gt_sim_now(sim), 700);

	b->deadline_us = 900;
	send_pkt(sim, a, b->addr, 40, 1); /* arrives at 1700 */
	gt_sim_run_until(sim, 1699);
	ASSERT_EQ(gt_sim_now(sim), 1699);
	ASSERT_EQ(b->polls, 1);
	ASSERT_EQ(b->poll_at_us[0], 900);
	ASSERT_EQ(b->received, 0);
	gt_sim_run_until(sim, 1700); /* events at exactly t run */
	ASSERT_EQ(b->received, 1);
	ASSERT_EQ(gt_sim_now(sim), 1700);
	gt_sim_run_until(sim, 100); /* never backwards */
	ASSERT_EQ(gt_sim_now(sim), 1700);
	free(a);
	free(b);
	gt_sim_free(sim);
}

static bool got_one(void *ctx)
{
	return ((struct dummy *)ctx)->received >= 1;
}

TEST(sim_run_while_not_stops_at_done_or_limit)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	b->deadline_us = 400;
	send_pkt(sim, a, b->addr, 40, 1); /* arrives at 1000 */

	ASSERT(!gt_sim_run_while_not(sim, got_one, b, 999));
	ASSERT_EQ(gt_sim_now(sim), 999);
	ASSERT_EQ(b->polls, 1);
	ASSERT_EQ(b->received, 0);

	ASSERT(gt_sim_run_while_not(sim, got_one, b, 5000));
	ASSERT_EQ(gt_sim_now(sim), 1000);
	ASSERT_EQ(b->received, 1);
	ASSERT(gt_sim_run_while_not(sim, got_one, b, 0)); /* done before any step */

	/* Nothing left to do: returns done() without moving the clock. */
	b->received = 0;
	ASSERT(!gt_sim_run_while_not(sim, got_one, b, 9000));
	ASSERT_EQ(gt_sim_now(sim), 1000);
	free(a);
	free(b);
	gt_sim_free(sim);
}

TEST(sim_rejects_bad_arguments)
{
	gt_sim *sim = gt_sim_new(1);
	struct dummy *a = dummy_add(sim, ADDR(1));
	int twin = 0; /* a node pointer that is never called */
	ASSERT_EQ(gt_sim_add_node(sim, &dummy_ops, &twin, ADDR(1)), -EADDRINUSE);
	struct gt_sim_node_ops no_input = { NULL, d_poll, d_deadline };
	ASSERT_EQ(gt_sim_add_node(sim, &no_input, &twin, ADDR(5)), -EINVAL);
	struct gt_sim_node_ops input_only = { d_input, NULL, NULL };
	ASSERT_EQ(gt_sim_add_node(sim, &input_only, &twin, ADDR(5)), 1);

	uint8_t p[40];
	mkpkt(p, sizeof(p), ADDR(1), ADDR(5), 0);
	ASSERT_EQ(gt_sim_transmit(sim, 2, p, sizeof(p)), -EINVAL);
	ASSERT_EQ(gt_sim_transmit(sim, -1, p, sizeof(p)), -EINVAL);
	ASSERT_EQ(gt_sim_transmit(sim, a->id, NULL, 40), -EINVAL);

	struct gt_link_config c = link_cfg();
	ASSERT_EQ(gt_sim_set_link(sim, 0, 7, &c), -EINVAL);
	c.loss = 1.5;
	ASSERT_EQ(gt_sim_set_link(sim, 0, 1, &c), -EINVAL);
	c.loss = 0;
	c.corrupt = -0.1;
	ASSERT_EQ(gt_sim_set_link(sim, 0, 1, &c), -EINVAL);
	struct gt_link_stats s;
	ASSERT_EQ(gt_sim_link_stats(sim, 0, 2, &s), -EINVAL);
	ASSERT_EQ(gt_sim_link_stats(sim, 0, 1, &s), 0);
	ASSERT_EQ(s.sent, 0);
	gt_sim_free(sim);
	free(a);
}

/* The whole tap trace of a faulty run, hashed: equal seeds, equal traces. */
static void trace_tap(void *ctx, const struct gt_sim_packet_info *p)
{
	uint64_t *h = ctx;
	uint64_t v = p->now_us ^ (uint64_t)p->fate << 40 ^ (uint64_t)(p->to + 1) << 48 ^ p->len;
	for (size_t i = 0; i < p->len; i++)
		v = (v ^ p->pkt[i]) * 0x100000001b3u;
	*h = (*h ^ v) * 0x100000001b3u;
}

static uint64_t faulty_trace(uint64_t seed)
{
	gt_sim *sim = gt_sim_new(seed);
	struct dummy *a = dummy_add(sim, ADDR(1)), *b = dummy_add(sim, ADDR(2));
	uint64_t h = 0;
	gt_sim_set_tap(sim, trace_tap, &h);
	struct gt_link_config c = {
		.delay_us = 2000, .jitter_us = 300, .bandwidth_bps = 10000000,
		.queue_limit_pkts = 8, .loss = 0.05, .duplicate = 0.05,
		.reorder = 0.05, .reorder_us = 700, .corrupt = 0.05,
	};
	gt_sim_set_default_link(sim, &c);
	a->echo_dst = b->addr;
	a->echo_left = 1000;
	b->echo_dst = a->addr;
	b->echo_left = 1000;
	for (uint32_t i = 0; i < 200; i++) {
		send_pkt(sim, a, b->addr, 64 + i, i);
		gt_sim_run_until(sim, gt_sim_now(sim) + 50);
	}
	run_all(sim);
	free(a);
	free(b);
	gt_sim_free(sim);
	return h;
}

TEST(sim_faulty_run_reproducible_from_seed)
{
	uint64_t h1 = faulty_trace(11), h2 = faulty_trace(11), h3 = faulty_trace(12);
	ASSERT_EQ(h1, h2);
	ASSERT_NE(h1, h3);
}

/* The transfer pattern's definition, byte by byte, as sim/transfer.c had it
 * before xfer_pattern_fill() made it a hash per eight bytes. */
static uint8_t pattern_bytewise(uint32_t c, uint64_t i)
{
	uint64_t z = (i >> 3) * 0x9e3779b97f4a7c15ull ^ ((uint64_t)c << 48);
	z ^= z >> 31;
	z *= 0xbf58476d1ce4e5b9ull;
	z ^= z >> 29;
	return (uint8_t)(z >> ((i & 7) * 8));
}

/* Every odd offset and length the swarm and `glasstcp sim` hand it: a head
 * before a word boundary, whole words, a tail, and each alone; streams
 * whose key sits in the top bits; offsets past 2^32. The bytes on either
 * side of the range stay untouched. */
TEST(sim_pattern_fill_matches_the_bytewise_pattern_at_odd_offsets_and_lengths)
{
	static const uint64_t offs[] = {0, 1, 3, 7, 8, 9, 15, 4093, 65535, (1ull << 32) - 5,
					(1ull << 40) + 3};
	static const uint32_t streams[] = {0, 1, 2, 47, 0xffffu};
	uint8_t buf[80];
	for (size_t s = 0; s < sizeof(streams) / sizeof(streams[0]); s++)
		for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
			for (size_t n = 0; n <= 70; n++) {
				memset(buf, 0xa5, sizeof(buf));
				xfer_pattern_fill(streams[s], offs[o], buf + 1, n);
				ASSERT_EQ(buf[0], 0xa5);
				ASSERT_EQ(buf[n + 1], 0xa5);
				for (size_t k = 0; k < n; k++) {
					ASSERT_EQ(buf[1 + k], pattern_bytewise(streams[s], offs[o] + k));
					ASSERT_EQ(xfer_pattern(streams[s], offs[o] + k), buf[1 + k]);
				}
			}
}
