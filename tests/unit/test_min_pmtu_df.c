/* Linux's min_pmtu floor and what it brings: an ICMP MTU under
 * net.ipv4.route.min_pmtu locks the route exception at the floor
 * (__ip_rt_update_pmtu()), and a locked route sends without DF
 * (ip_dont_fragment(): ip_pmtu_locked(), tcp_ip_df()); the simulator's
 * links fragment an IPv4 packet without DF that is longer than their MTU
 * (RFC 791 3.2) and drop one with DF; the receiver reassembles, so a
 * transfer over a 296-byte link goes through at the 552 floor. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#include "sim/transfer.h"
#include "stack_internal.h"

static gt_stack *stack_of(enum gt_profile p, struct gt_config *cfg)
{
	static struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_config_default(cfg, p);
	return gt_stack_new(cfg, &dev);
}

/* The floor is on in the Linux profile, off in FreeBSD's; under it the
 * entry is locked (DF off), at it or above not; IPv6 has no DF. */
TEST(min_pmtu_locks_the_route_linux_only)
{
	struct gt_config cfg;
	gt_stack *s = stack_of(GT_PROFILE_LINUX, &cfg);
	ASSERT(s != NULL);
	ASSERT_EQ(cfg.pmtu_min, 552u);
	ip_addr d = ip_addr_v4(0xc0000201u), e = ip_addr_v4(0xc0000202u);
	ASSERT(!ip_pmtu_locked(s, d));
	ASSERT_EQ(ip_pmtu_update(s, d, 552), 552u); /* "mtu < min_pmtu": not under */
	ASSERT(!ip_pmtu_locked(s, d));
	ASSERT_EQ(ip_pmtu_update(s, e, 296), 552u);
	ASSERT(ip_pmtu_locked(s, e));
	ASSERT_EQ(ip_mss_for(s, e), 512);
	/* A locked route learns nothing more (ip_mtu_locked()). */
	ASSERT_EQ(ip_pmtu_update(s, e, 500), 552u);
	ASSERT(ip_pmtu_locked(s, e));
	/* Gone with the entry, mtu_expires after the learning. */
	s->now_us = 600ull * 1000000;
	ASSERT(!ip_pmtu_locked(s, e));
	ASSERT_EQ(ip_mss_for(s, e), 1460);
	ip_addr d6;
	memset(&d6, 0, sizeof(d6));
	d6.b[0] = 0x20;
	d6.b[1] = 0x01;
	d6.b[15] = 1;
	(void)ip_pmtu_update(s, d6, 1280);
	ASSERT(!ip_pmtu_locked(s, d6));
	gt_stack_free(s);

	s = stack_of(GT_PROFILE_FREEBSD, &cfg);
	ASSERT(s != NULL);
	ASSERT_EQ(cfg.pmtu_min, 0u);
	(void)ip_pmtu_update(s, e, 296);
	ASSERT(!ip_pmtu_locked(s, e));
	gt_stack_free(s);
}

/* ---- the IP ID ---- */

struct cap {
	uint32_t n;
	uint16_t id[8];
	bool df[8];
};

static int cap_tx(void *ctx, const void *pkt, size_t len)
{
	struct cap *c = ctx;
	const uint8_t *p = pkt;
	if (len >= 20 && c->n < 8) {
		c->id[c->n] = (uint16_t)(p[4] << 8 | p[5]);
		c->df[c->n++] = p[6] & 0x40;
	}
	return 0;
}

/* Without DF (what a route locked at the floor sends), the ID comes from
 * the destination's bucket (__ip_select_ident()), one up a packet; a DF
 * packet's from the stack's own counter, which the others leave alone. */
TEST(min_pmtu_ip_id_per_destination_without_df)
{
	struct cap c = {0};
	struct gt_device dev = {.transmit = cap_tx, .ctx = &c, .mtu = 1500};
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ip_addr src = ip_addr_v4(0x0a000001u), d = ip_addr_v4(0xc0000201u);
	memset(s->out, 0, 40);
	ASSERT_EQ(ip_output(s, src, d, 6, 20), 0);   /* DF */
	s->tx_nodf = true;
	ASSERT_EQ(ip_output(s, src, d, 6, 20), 0);
	s->tx_nodf = true;
	ASSERT_EQ(ip_output(s, src, d, 6, 20), 0);
	ASSERT_EQ(ip_output(s, src, d, 6, 20), 0);   /* DF again */
	ASSERT_EQ(c.n, 4u);
	ASSERT(c.df[0] && !c.df[1] && !c.df[2] && c.df[3]);
	ASSERT_EQ((uint16_t)(c.id[2] - c.id[1]), 1);
	ASSERT_EQ((uint16_t)(c.id[3] - c.id[0]), 1);
	gt_stack_free(s);
}

/* ---- the link ---- */

#define NREC 16

struct rec {
	uint32_t n;
	size_t len[NREC];
	uint8_t data[NREC][1600];
};

static void r_input(void *node, uint64_t now_us, const void *pkt, size_t len)
{
	struct rec *r = node;
	(void)now_us;
	if (r->n < NREC && len <= sizeof(r->data[0])) {
		r->len[r->n] = len;
		memcpy(r->data[r->n], pkt, len);
	}
	r->n++;
}

static void r_poll(void *node, uint64_t now_us)
{
	(void)node;
	(void)now_us;
}

static uint64_t r_deadline(void *node)
{
	(void)node;
	return UINT64_MAX;
}

static const struct gt_sim_node_ops rec_ops = {r_input, r_poll, r_deadline};

#define A 0x0a000001u
#define B 0x0a000002u

static uint16_t be16_at(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint16_t hdr_sum(const uint8_t *h)
{
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += be16_at(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void mk(uint8_t *p, size_t len, bool df)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = 0x12;
	p[5] = 0x34;
	p[6] = df ? 0x40 : 0;
	p[8] = 64;
	p[9] = 6;
	for (int i = 0; i < 4; i++) {
		p[12 + i] = (uint8_t)(A >> (24 - 8 * i));
		p[16 + i] = (uint8_t)(B >> (24 - 8 * i));
	}
	for (size_t i = 20; i < len; i++)
		p[i] = (uint8_t)(i * 13 + 5);
	uint16_t s = hdr_sum(p);
	p[10] = (uint8_t)(s >> 8);
	p[11] = (uint8_t)s;
}

static void link_run(bool df, struct rec *r, struct gt_link_stats *st)
{
	gt_sim *sim = gt_sim_new(3);
	ASSERT(sim != NULL);
	struct rec *a = calloc(1, sizeof(*a));
	ASSERT(a != NULL);
	int ha = gt_sim_add_node(sim, &rec_ops, a, A);
	int hb = gt_sim_add_node(sim, &rec_ops, r, B);
	ASSERT_GE(ha, 0);
	ASSERT_GE(hb, 0);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 1000;
	lc.mtu = 296;
	ASSERT_EQ(gt_sim_set_link(sim, ha, hb, &lc), 0);
	uint8_t p[1000];
	mk(p, sizeof(p), df);
	ASSERT_EQ(gt_sim_transmit(sim, ha, p, sizeof(p)), 0);
	gt_sim_run_until(sim, 100000);
	ASSERT_EQ(gt_sim_link_stats(sim, ha, hb, st), 0);
	gt_sim_free(sim);
	free(a);
}

/* 980 bytes of data over MTU 296: NFB = 34 blocks (272 bytes) a fragment,
 * so 272, 272, 272 and 164, offsets 0, 34, 68, 102, MF on all but the
 * last, the identification kept, each header summed anew; together the
 * original's data. */
TEST(sim_link_fragments_ipv4_without_df)
{
	struct rec *r = calloc(1, sizeof(*r));
	ASSERT(r != NULL);
	struct gt_link_stats st;
	link_run(false, r, &st);
	ASSERT_EQ(st.sent, 1u);
	ASSERT_EQ(st.fragmented, 1u);
	ASSERT_EQ(st.fragments, 4u);
	ASSERT_EQ(st.mtu_drops, 0u);
	ASSERT_EQ(r->n, 4u);
	uint8_t orig[1000];
	mk(orig, sizeof(orig), false);
	static const size_t lens[] = {292, 292, 292, 184};
	size_t at = 0;
	for (uint32_t i = 0; i < 4; i++) {
		const uint8_t *f = r->data[i];
		ASSERT_EQ(r->len[i], lens[i]);
		ASSERT_EQ(be16_at(f + 2), lens[i]);
		ASSERT_EQ(be16_at(f + 4), 0x1234);
		uint16_t w = be16_at(f + 6);
		ASSERT_EQ(w & 0x1fff, (uint16_t)(i * 34));
		ASSERT_EQ(!!(w & 0x2000), i < 3);
		ASSERT_EQ(w & 0x4000, 0);
		ASSERT_EQ(hdr_sum(f), 0);
		ASSERT_EQ(memcmp(f + 20, orig + 20 + at, lens[i] - 20), 0);
		at += lens[i] - 20;
	}
	ASSERT_EQ(at, 980u);
	free(r);
}

TEST(sim_link_drops_df_over_mtu)
{
	struct rec *r = calloc(1, sizeof(*r));
	ASSERT(r != NULL);
	struct gt_link_stats st;
	link_run(true, r, &st);
	ASSERT_EQ(st.mtu_drops, 1u);
	ASSERT_EQ(st.fragmented, 0u);
	ASSERT_EQ(r->n, 0u);
	free(r);
}

/* End to end: a Linux client whose route to the server is locked at 552
 * (an ICMP said 296) sends 552-byte packets without DF over a 296-byte
 * link; the link fragments them, the server reassembles, and every byte
 * arrives. With DF they would all be dropped. */
TEST(min_pmtu_transfer_through_a_296_byte_link)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	gt_sim *sim = gt_sim_new(11);
	ASSERT(sim != NULL);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 5000;
	lc.bandwidth_bps = 10000000;
	lc.queue_limit_pkts = 1000;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	int ch = gt_sim_add_stack(sim, &cfg, A, 24, 1500, &c);
	int sh = gt_sim_add_stack(sim, &cfg, B, 24, 1500, &s);
	ASSERT_GE(ch, 0);
	ASSERT_GE(sh, 0);
	lc.mtu = 296;
	ASSERT_EQ(gt_sim_set_link(sim, ch, sh, &lc), 0);
	ASSERT_EQ(ip_pmtu_update(c, ip_addr_v4(B), 296), 552u);
	struct xfer x;
	struct xfer_config xc = {
		.bytes = 200000, .conns = 1, .port = 5001, .chunk_bytes = 8192,
		.limit_us = 120ull * 1000000,
	};
	ASSERT_EQ(xfer_init(&x, &xc, sim, c, ch, A, s, sh, B), 0);
	ASSERT(xfer_run(&x));
	struct gt_link_stats up;
	ASSERT_EQ(gt_sim_link_stats(sim, ch, sh, &up), 0);
	ASSERT_EQ(up.mtu_drops, 0u);
	ASSERT_GE(up.fragmented, 200000u / 512);
	ASSERT_GE(gt_stack_stats(s)->IpReasmOKs, 200000u / 512);
	ASSERT_EQ(gt_stack_stats(s)->IpReasmFails, 0u);
	xfer_free(&x);
	gt_sim_free(sim);
}
