/* Two stacks that send to each other over lossy links, so that each
 * sends data while its ACKs carry SACK blocks for the other's: no data
 * segment passes the MSS with its options (RFC 6691 2), and full-sized
 * ones keep their blocks, shortened by them (tcp_send_mss(): Linux's
 * tcp_current_mss(), FreeBSD's tcp_output() optlen trim). */
#include <errno.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u
#define MSS_OPTS 1460u /* the MTU's 1,500 less the IPv4 and TCP headers */
#define EACH_WAY 400000u

struct seen {
	uint64_t data_segs, data_sack, full_sack, over;
};

/* The IPv4 packet's TCP payload and option lengths, and whether a SACK
 * option is among the options. */
static void tap(void *ctx, const struct gt_sim_packet_info *p)
{
	struct seen *w = ctx;
	if (p->len < 40 || (p->pkt[0] >> 4) != 4 || p->pkt[9] != 6)
		return;
	size_t ihl = (size_t)(p->pkt[0] & 15u) * 4u;
	size_t tot = (size_t)p->pkt[2] << 8 | p->pkt[3];
	if (tot > p->len || ihl + 20 > tot)
		return;
	const uint8_t *t = p->pkt + ihl;
	size_t doff = (size_t)(t[12] >> 4) * 4u;
	if (doff < 20 || ihl + doff > tot)
		return;
	size_t payload = tot - ihl - doff, optlen = doff - 20;
	bool sack = false;
	for (size_t i = 20; i < doff;) {
		if (t[i] == 0)
			break;
		if (t[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff || t[i + 1] < 2)
			break;
		sack |= t[i] == 5;
		i += t[i + 1];
	}
	if (!payload)
		return;
	w->data_segs++;
	if (payload + optlen > MSS_OPTS)
		w->over++;
	if (sack) {
		w->data_sack++;
		if (payload + optlen == MSS_OPTS)
			w->full_sack++;
	}
}

static void both_ways(enum gt_profile profile, uint64_t seed)
{
	struct gt_config cfg;
	gt_config_default(&cfg, profile);
	gt_sim *sim = gt_sim_new(seed);
	ASSERT(sim != NULL);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.bandwidth_bps = 20000000;
	lc.loss = 0.03;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *a, *b;
	ASSERT_GE(gt_sim_add_stack(sim, &cfg, A_ADDR, 24, 1500, &a), 0);
	ASSERT_GE(gt_sim_add_stack(sim, &cfg, B_ADDR, 24, 1500, &b), 0);
	struct seen w = {0};
	gt_sim_set_tap(sim, tap, &w);
	/* A simultaneous open: no listener needed. */
	int sa = gt_socket(a, GT_AF_INET, GT_SOCK_STREAM), sb = gt_socket(b, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(sa, 0);
	ASSERT_GE(sb, 0);
	struct gt_sockaddr la = {.family = GT_AF_INET, .port = 4000}, lb = {.family = GT_AF_INET, .port = 5000};
	struct gt_sockaddr to_b = {.family = GT_AF_INET, .port = 5000, .addr = B_ADDR};
	struct gt_sockaddr to_a = {.family = GT_AF_INET, .port = 4000, .addr = A_ADDR};
	ASSERT_EQ(gt_bind(a, sa, &la), 0);
	ASSERT_EQ(gt_bind(b, sb, &lb), 0);
	ASSERT_EQ(gt_connect(a, sa, &to_b), -EINPROGRESS);
	ASSERT_EQ(gt_connect(b, sb, &to_a), -EINPROGRESS);
	static uint8_t chunk[8192], buf[16384];
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (uint8_t)(i * 7u);
	uint64_t sent[2] = {0}, got[2] = {0}, t = 0;
	gt_stack *st[2] = {a, b};
	int sd[2] = {sa, sb};
	while ((got[0] < EACH_WAY || got[1] < EACH_WAY) && t < 600ull * 1000000) {
		t += 1000;
		gt_sim_run_until(sim, t);
		for (int k = 0; k < 2; k++) {
			gt_stack_poll(st[k], t);
			while (sent[k] < EACH_WAY) {
				size_t n = EACH_WAY - sent[k] < sizeof(chunk) ? EACH_WAY - sent[k] : sizeof(chunk);
				ssize_t r = gt_send(st[k], sd[k], chunk, n, 0);
				if (r == -EAGAIN || r == -ENOTCONN)
					break;
				ASSERT_GT(r, 0);
				sent[k] += (uint64_t)r;
			}
			ssize_t r;
			while ((r = gt_recv(st[k], sd[k], buf, sizeof(buf), 0)) > 0)
				got[k] += (uint64_t)r;
		}
	}
	ASSERT_EQ(got[0], EACH_WAY);
	ASSERT_EQ(got[1], EACH_WAY);
	ASSERT_EQ(w.over, 0);
	/* Both sides SACKed the other's losses while sending: full-sized
	 * segments carried blocks (before tcp_send_mss() they left them out). */
	ASSERT_GT(w.data_sack, 0);
	ASSERT_GT(w.full_sack, 0);
	gt_sim_free(sim);
}

TEST(sack_blocks_shorten_data_both_ways_linux)
{
	both_ways(GT_PROFILE_LINUX, 3);
}

TEST(sack_blocks_shorten_data_both_ways_freebsd)
{
	both_ways(GT_PROFILE_FREEBSD, 3);
}
