/* SYN cookies (RFC 4987 3.6): with cookies on every SYN, or when the SYN
 * queue is full, connections still complete and carry data intact; the
 * options a cookie can encode survive (MSS always; window scale and SACK
 * with timestamps). */
#include <errno.h>

#include "harness.h"

#include "sim/transfer.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

static void run_cookie_transfer(bool timestamps, uint32_t conns, uint64_t bytes)
{
	struct gt_config ccfg, scfg;
	gt_config_default(&ccfg, GT_PROFILE_LINUX);
	gt_config_default(&scfg, GT_PROFILE_LINUX);
	scfg.syncookies = 2;
	ccfg.opt_timestamps = scfg.opt_timestamps = timestamps;
	gt_sim *sim = gt_sim_new(77);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.loss = 0.01;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	int ch = gt_sim_add_stack(sim, &ccfg, CLIENT, 24, 1500, &c);
	int sh = gt_sim_add_stack(sim, &scfg, SERVER, 24, 1500, &s);
	struct xfer x;
	struct xfer_config xc = {.bytes = bytes, .conns = conns, .port = 80, .chunk_bytes = 8192,
				 .limit_us = 600000000ull};
	ASSERT_EQ(xfer_init(&x, &xc, sim, c, ch, CLIENT, s, sh, SERVER), 0);
	ASSERT(xfer_run(&x));
	const struct gt_stats *st = gt_stack_stats(s);
	ASSERT_GE(st->TcpSyncookiesSent, conns);
	ASSERT_EQ(st->TcpSyncookiesRecv, conns);
	ASSERT_EQ(st->TcpSyncookiesFailed, 0);
	struct gt_tcp_info *ti = &x.conns[0].client_info;
	ASSERT_EQ(ti->snd_mss + (timestamps ? 12 : 0), 1460);
	ASSERT_EQ(ti->ts_ok, timestamps);
	ASSERT_EQ(ti->sack_ok, timestamps);           /* SACK only rides on TS */
	ASSERT_EQ(ti->snd_wscale, timestamps ? 10 : 0); /* so does window scale */
	xfer_free(&x);
	gt_sim_free(sim);
}

TEST(syncookies_with_timestamps_keep_wscale_and_sack)
{
	run_cookie_transfer(true, 5, 300000);
}

TEST(syncookies_without_timestamps_keep_only_mss)
{
	run_cookie_transfer(false, 3, 100000);
}

