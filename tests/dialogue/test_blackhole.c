/* blackhole(4) for segments from the stack's own addresses, which pktrun's
 * peer never has (blackhole_local; FreeBSD's in_localip(), in6_localip()),
 * and tcp_maxunacktime (tcp_timer.c, tcp_maxunacktime_check()): the drop of
 * a connection whose data sees no progress. tests/pkt/freebsd/blackhole and
 * tests/pkt/freebsd/maxunacktime-*.pkt have the rest. */
#include "dlg.h"

/* The peer's address made one of the stack's own: its SYN to a closed
 * port is "locally originated" and still answered, unless blackhole_local. */
static void local_syn(bool v6, bool blackhole_local, bool want_rst)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.blackhole = 2;
	cfg.blackhole_local = blackhole_local;
	struct dlg *d = v6 ? dlg_new6(&cfg) : dlg_new(&cfg);
	if (v6)
		ASSERT_EQ(gt_stack_add_ipv6(d->s, &dlg_raddr6, 64), 0);
	else
		ASSERT_EQ(gt_stack_add_ipv4(d->s, DLG_RADDR, 24), 0);
	dlg_send(d, TH_SYN, 5000, 0, DLG_WIN, NULL, 0, NULL);
	if (want_rst)
		dlg_expect_only(d, TH_RST | TH_ACK, 0, 5001);
	else
		dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpBlackholed, want_rst ? 0u : 1u);
	dlg_free(d);
}

TEST(blackhole_local_source_answered_ipv4) { local_syn(false, false, true); }
TEST(blackhole_local_source_answered_ipv6) { local_syn(true, false, true); }
TEST(blackhole_local_source_dropped_with_blackhole_local_ipv4) { local_syn(false, true, false); }
TEST(blackhole_local_source_dropped_with_blackhole_local_ipv6) { local_syn(true, true, false); }

TEST(blackhole_remote_source_dropped_and_counted)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.blackhole = 2;
	struct dlg *d = dlg_new(&cfg);
	dlg_send(d, TH_ACK, 5000, 777777, DLG_WIN, NULL, 0, NULL);
	dlg_send(d, TH_RST, 5000, 0, 0, NULL, 0, NULL); /* never answered: not counted */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpBlackholed, 1u);
	ASSERT_EQ(dlg_stats(d)->TcpNoPort, 2u);
	dlg_free(d);
}

#define MAXUNACK_MS 3000u

static struct dlg *maxunack_dlg(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.maxunack_ms = MAXUNACK_MS;
	cfg.idle_restart = 0; /* its TCB field holds t_acktime */
	struct dlg *d = dlg_new(&cfg);
	dlg_established_active(d);
	return d;
}

/* Runs the timers until the connection ends; returns when (stack us) and
 * the time of the last retransmission before it. */
static uint64_t run_to_drop(struct dlg *d, uint64_t *last_rtx_us)
{
	*last_rtx_us = 0;
	for (int i = 0; i < 100000 && dlg_conns(d); i++) {
		dlg_advance(d, 10000);
		while (dlg_pending(d)) {
			const struct dlg_seg *g = dlg_next(d);
			if (!(g->h.flags & TH_RST) && g->len)
				*last_rtx_us = d->now_us;
		}
	}
	return d->now_us;
}

TEST(maxunacktime_drops_at_the_first_timeout_past_it)
{
	struct dlg *d = maxunack_dlg();
	uint64_t t0 = d->now_us;
	dlg_app_send(d, 1000);
	uint64_t last;
	uint64_t end = run_to_drop(d, &last);
	/* tcp_timer_rexmt(): the timeout that finds MAXUNACK_MS passed since
	 * the data went out drops, the one before it retransmitted. */
	ASSERT_GE(end - t0, MAXUNACK_MS * 1000ull);
	ASSERT_LT(last - t0, MAXUNACK_MS * 1000ull);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
	ASSERT_EQ(dlg_stats(d)->TcpProgDrops, 1u);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnTimeout, 0u);
	ASSERT_EQ(dlg_stats(d)->TcpOutRsts, 1u); /* tcp_drop() */
	dlg_free(d);
}

TEST(maxunacktime_counts_from_the_last_ack_that_moved_snd_una)
{
	struct dlg *d = maxunack_dlg();
	dlg_app_send(d, 2000); /* two segments of DLG_MSS or fewer */
	uint32_t una = d->snd_nxt; /* the first byte */
	dlg_drain(d);
	dlg_advance(d, 2500000);
	dlg_drain(d);
	/* 2.5 s on, 100 bytes acknowledged: the clock starts again. */
	dlg_send(d, TH_ACK, d->peer_nxt, una + 100, DLG_WIN, NULL, 0, NULL);
	uint64_t t_ack = d->now_us;
	uint64_t last;
	uint64_t end = run_to_drop(d, &last);
	ASSERT_GE(end - t_ack, MAXUNACK_MS * 1000ull);
	ASSERT_EQ(dlg_stats(d)->TcpProgDrops, 1u);
	dlg_free(d);
}

TEST(maxunacktime_idle_connection_is_not_dropped)
{
	/* Nothing outstanding: no measurement ("Do we have a current
	 * measurement"), whatever the time. */
	struct dlg *d = maxunack_dlg();
	dlg_app_send(d, 100);
	d->snd_nxt += dlg_next(d)->len;
	dlg_peer_ack(d);
	dlg_advance(d, 60000000);
	ASSERT_EQ(dlg_conns(d), 1u);
	ASSERT_EQ(dlg_stats(d)->TcpProgDrops, 0u);
	dlg_free(d);
}

/* FreeBSD's PMTU black-hole detection (tcp_timer_rexmt()): the sizes the
 * timeouts resend and the three counters, which tests/pkt/freebsd cannot
 * read. tests/pkt/freebsd/pmtud-blackhole-*.pkt have the rest. */
static void pmtud_rtx_sizes(bool v6, uint8_t mode, const uint32_t *want, int n,
			    uint64_t activated, uint64_t min_mss, uint64_t failed)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.pmtud_blackhole = mode;
	cfg.data_retries = 12;
	struct dlg *d = v6 ? dlg_new6(&cfg) : dlg_new(&cfg);
	dlg_established_active(d);
	uint32_t mss = v6 ? DLG_MSS6 : DLG_MSS;
	dlg_app_send(d, 3 * mss);
	dlg_drain(d);
	int got = 0;
	for (int i = 0; i < 200000 && got < n; i++) {
		dlg_advance(d, 1000);
		while (dlg_pending(d) && got < n) {
			const struct dlg_seg *g = dlg_next(d);
			if (g->len)
				ASSERT_EQ(g->len, want[got++]);
		}
	}
	ASSERT_EQ(got, n);
	ASSERT_EQ(dlg_stats(d)->TcpPmtudBlackholeActivated, activated);
	ASSERT_EQ(dlg_stats(d)->TcpPmtudBlackholeActivatedMinMss, min_mss);
	ASSERT_EQ(dlg_stats(d)->TcpPmtudBlackholeFailed, failed);
	dlg_free(d);
}

TEST(pmtud_blackhole_ipv4_lowers_twice_then_restores_counted)
{
	static const uint32_t want[] = {1460, 1200, 1200, 536, 536, 1460, 1460};
	pmtud_rtx_sizes(false, 1, want, 7, 1, 1, 1);
}

TEST(pmtud_blackhole_ipv6_takes_the_default_then_restores_counted)
{
	static const uint32_t want[] = {1440, 1220, 1220, 1440, 1440};
	pmtud_rtx_sizes(true, 3, want, 5, 0, 1, 1);
}

TEST(pmtud_blackhole_mode_of_the_other_family_changes_nothing)
{
	static const uint32_t want4[] = {1460, 1460, 1460, 1460, 1460};
	pmtud_rtx_sizes(false, 3, want4, 5, 0, 0, 0);
	static const uint32_t want6[] = {1440, 1440, 1440, 1440, 1440};
	pmtud_rtx_sizes(true, 2, want6, 5, 0, 0, 0);
}
