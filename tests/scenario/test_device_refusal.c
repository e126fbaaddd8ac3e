/* Local congestion in the simulator (gt_sim_refuse_host()): devices that
 * refuse packets, their queue full (-ENOBUFS, struct gt_device), for a while
 * or at random, over a lossy link. Every transfer still arrives intact and
 * closes, in both profiles, over IPv4 and IPv6: the Linux profile probing
 * the refused sends (the probe timer every 500 ms), the FreeBSD one backing
 * SND.NXT out under its retransmission timer (docs/sending.md, "A device
 * that refuses packets"). Refusing everything for longer than about 7.5 s
 * ends a Linux connection that has nothing in flight, as it ends Linux's:
 * tcp_retries2 (15) refused probes 500 ms apart (tcp_probe_timer(); a
 * sweep of 320 runs found it at 95% for 7.4 s, and none below 3 s). */
#include <stdio.h>

#include "harness.h"

#include "sim/transfer.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

static const struct gt_in6_addr C6 = {{0xfd, 0x00, [15] = 1}};
static const struct gt_in6_addr S6 = {{0xfd, 0x00, [15] = 2}};

struct run {
	uint64_t refused_client, refused_server;
	uint64_t tx_refused, retrans_fail;
};

/* A transfer of bytes over family with the client's device (and with
 * both, the server's too) refusing permille of its packets from from_us
 * to until_us. */
static struct run refusing_transfer(enum gt_profile p, uint8_t family, uint64_t seed, uint32_t permille,
				    uint64_t from_us, uint64_t until_us, bool both)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	gt_sim *sim = gt_sim_new(seed);
	ASSERT(sim != NULL);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.bandwidth_bps = 100000000;
	lc.queue_limit_pkts = 1000;
	lc.loss = 0.01;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *client, *server;
	int ch = gt_sim_add_stack(sim, &cfg, CLIENT, 24, 1500, &client);
	int sh = gt_sim_add_stack(sim, &cfg, SERVER, 24, 1500, &server);
	ASSERT_GE(ch, 0);
	ASSERT_GE(sh, 0);
	ASSERT_EQ(gt_sim_add_ipv6(sim, ch, &C6, 64), 0);
	ASSERT_EQ(gt_sim_add_ipv6(sim, sh, &S6, 64), 0);
	ASSERT_EQ(gt_sim_refuse_host(sim, ch, from_us, until_us, permille, NULL), 0);
	if (both)
		ASSERT_EQ(gt_sim_refuse_host(sim, sh, from_us, until_us, permille, NULL), 0);
	struct xfer_config xc = {
		.bytes = 1000000, .conns = 4, .port = 5001, .chunk_bytes = 8192,
		.limit_us = 600ull * 1000000, .wait_time_wait = false, .family = family,
		.server_addr6 = S6,
	};
	struct xfer x;
	ASSERT_EQ(xfer_init(&x, &xc, sim, client, ch, CLIENT, server, sh, SERVER), 0);
	bool ok = xfer_run(&x);
	for (uint32_t i = 0; !ok && i < xc.conns; i++)
		printf("connection %u: error %d, %llu of %llu bytes received\n", i, x.conns[i].error,
		       (unsigned long long)x.conns[i].received, (unsigned long long)xc.bytes);
	ASSERT(ok);
	for (uint32_t i = 0; i < xc.conns; i++) {
		ASSERT_EQ(x.conns[i].error, 0);
		ASSERT_EQ(x.conns[i].bad_offset, UINT64_MAX);
		ASSERT_EQ(x.conns[i].received, xc.bytes);
		ASSERT(xfer_conn_ok(&x, i));
	}
	struct run r = {0};
	ASSERT_EQ(gt_sim_refuse_host(sim, ch, 0, 0, 0, &r.refused_client), 0);
	ASSERT_EQ(gt_sim_refuse_host(sim, sh, 0, 0, 0, &r.refused_server), 0);
	const struct gt_stats *st = gt_stack_stats(client);
	r.tx_refused = st->TcpTxRefused;
	r.retrans_fail = st->TcpRetransFail;
	ASSERT_EQ(st->IpOutQueueFull, r.refused_client);
	xfer_free(&x);
	gt_sim_free(sim);
	return r;
}

TEST(device_refusing_at_random_transfers_complete)
{
	static const enum gt_profile profiles[] = {GT_PROFILE_LINUX, GT_PROFILE_FREEBSD};
	for (size_t p = 0; p < 2; p++)
		for (uint8_t fam = XFER_IPV4; fam <= XFER_MIXED; fam++) {
			struct run r = refusing_transfer(profiles[p], fam, 7 + fam, 300, 0, 4000000, true);
			ASSERT(r.refused_client > 0);
			ASSERT(r.refused_server > 0);
			ASSERT(r.tx_refused > 0);
		}
}

TEST(device_refusing_everything_for_two_seconds_transfers_complete)
{
	static const enum gt_profile profiles[] = {GT_PROFILE_LINUX, GT_PROFILE_FREEBSD};
	for (size_t p = 0; p < 2; p++) {
		struct run r = refusing_transfer(profiles[p], XFER_IPV4, 3, 1000, 100000, 2100000, false);
		ASSERT(r.refused_client > 0);
		ASSERT(r.tx_refused > 0);
	}
}
