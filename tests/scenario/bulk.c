#include "bulk.h"

#include "harness.h"

#include "sim/transfer.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

void bulk_run(const struct gt_config *cfg, const struct gt_link_config *lc, uint64_t limit_us,
	      uint64_t seed, struct bulk_result *r)
{
	gt_sim *sim = gt_sim_new(seed);
	ASSERT(sim != NULL);
	gt_sim_set_default_link(sim, lc);
	gt_stack *c, *s;
	int ch = gt_sim_add_stack(sim, cfg, CLIENT, 24, 1500, &c);
	int sh = gt_sim_add_stack(sim, cfg, SERVER, 24, 1500, &s);
	struct xfer x;
	struct xfer_config xc = {.bytes = 1ull << 40, .conns = 1, .port = 80,
				 .chunk_bytes = 65536, .limit_us = limit_us};
	ASSERT_EQ(xfer_init(&x, &xc, sim, c, ch, CLIENT, s, sh, SERVER), 0);
	xfer_run(&x); /* stops at the time limit: the bytes are what counts */
	ASSERT_EQ(x.conns[0].bad_offset, UINT64_MAX);
	r->mbit = (double)x.conns[0].received * 8 / (double)limit_us;
	r->client = *gt_stack_stats(c);
	r->server = *gt_stack_stats(s);
	xfer_free(&x);
	gt_sim_free(sim);
}
