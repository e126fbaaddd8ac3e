/* Dialogues with a listener: RFC 9293 3.10.7.2 (LISTEN): an RST is
 * ignored, an ACK draws <SEQ=SEG.ACK><CTL=RST>, a SYN opens SYN-RECEIVED with
 * a SYN-ACK <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> carrying our MSS (RFC 9293
 * 3.7.1); RFC 7323 2.2 and RFC 2018 2: options offered only when the SYN had
 * them. */
#include "dlg.h"

TEST(listen_rst_ignored)
{
	struct dlg *d = dlg_new(NULL);
	int l = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_RST, 5000, 0, 0, NULL, 0, NULL);
	dlg_send(d, TH_RST | TH_ACK, 5000, 1, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, l, GT_TCP_LISTEN);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(listen_ack_gets_rst)
{
	struct dlg *d = dlg_new(NULL);
	int l = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_ACK, 5000, 31337, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, 31337, 0);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, l, GT_TCP_LISTEN);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(listen_syn_ack_segment_gets_rst)
{
	/* A SYN-ACK to a listener carries an ACK: the ACK check comes first. */
	struct dlg *d = dlg_new(NULL);
	dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN | TH_ACK, 5000, 8888, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, 8888, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(listen_data_without_syn_or_ack_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_PSH, 5000, 0, DLG_WIN, "xy", 2, NULL);
	dlg_send(d, TH_FIN, 5000, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(listen_syn_gets_syn_ack_with_mss)
{
	struct dlg *d = dlg_new(NULL);
	dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	d->iss = g->h.seq;
	dlg_expect_none(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, DLG_PEER_ISS + 1);
	ASSERT(g->h.opts.has_mss);
	ASSERT_EQ(g->h.opts.mss, DLG_MSS);
	/* The options the stack does not use stay out. */
	ASSERT(!g->h.opts.has_wscale);
	ASSERT(!g->h.opts.sack_ok);
	ASSERT(!g->h.opts.has_ts);
	/* RFC 7323 2.2: never scaled in a SYN. Linux's
	 * tcp_openreq_init_rwin() -> tcp_select_initial_window(): half the
	 * 128 KiB buffer (tcp_rmem[1]) is window, rounded down to whole MSS:
	 * 44 x 1460 = 64,240, as Linux 6.18 sends it (pktrun --kernel). */
	ASSERT_EQ(g->h.win, 64240);
	ASSERT_EQ(g->len, 0);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_SYN_RECEIVED), 1);
	ASSERT_EQ(dlg_stats(d)->TcpPassiveOpens, 1);
	/* Not accepted until the handshake completes. */
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_free(d);
}

TEST(listen_syn_with_options_gets_them_back)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_timestamps = cfg.opt_sack = cfg.opt_wscale = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	struct tcp_opts o = d->peer_syn_opts;
	o.has_wscale = true;
	o.wscale = 2;
	o.sack_ok = true;
	o.has_ts = true;
	o.ts_val = 4711;
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &o);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, DLG_PEER_ISS + 1);
	ASSERT(g->h.opts.has_mss && g->h.opts.has_wscale && g->h.opts.sack_ok && g->h.opts.has_ts);
	/* tcp_select_initial_window(): ilog2 of the largest buffer
	 * autotuning may reach (tcp_rmem[2], 32 MiB by default since Linux
	 * 6.17) less 15: 10, what Linux 6.18 offers in a new namespace
	 * (tests/pkt/linux/handshake-default-rmem-wscale-10.pkt). */
	ASSERT_EQ(cfg.rcv_wscale, 0xff);
	ASSERT_EQ(g->h.opts.wscale, 10);
	ASSERT_EQ(g->h.opts.ts_ecr, 4711); /* RFC 7323 3.2: echo TSval */
	ASSERT_NE(g->h.opts.ts_val, 0);
	dlg_free(d);
}

TEST(listen_syn_without_options_gets_none_offered_back)
{
	/* RFC 7323 2.2 and 1.3, RFC 2018 2: a SYN-ACK carries wscale, TS and
	 * sackOK only if the SYN did. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_timestamps = cfg.opt_sack = cfg.opt_wscale = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT(g->h.opts.has_mss);
	ASSERT(!g->h.opts.has_wscale);
	ASSERT(!g->h.opts.sack_ok);
	ASSERT(!g->h.opts.has_ts);
	dlg_free(d);
}

TEST(listen_syn_without_mss_uses_536)
{
	/* RFC 9293 3.7.1: no MSS option means 536; the first segment shows it. */
	struct dlg *d = dlg_new(NULL);
	memset(&d->peer_syn_opts, 0, sizeof(d->peer_syn_opts));
	dlg_established_passive(d);
	static uint8_t buf[2000];
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 1000, 0), 1000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	ASSERT_EQ(g->len, 536);
	/* Nagle in Minshall's form: no short segment is outstanding, so the
	 * short tail of the write goes at once. */
	g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1 + 536, d->peer_nxt);
	ASSERT_EQ(g->len, 464);
	/* A second short write now waits for the first short segment's ACK. */
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 10, 0), 10);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + 1000, DLG_WIN, NULL, 0, NULL);
	g = dlg_expect(d, TH_PSH | TH_ACK, d->iss + 1 + 1000, d->peer_nxt);
	ASSERT_EQ(g->len, 10);
	dlg_free(d);
}

TEST(listen_backlog_full_drops_syn)
{
	struct dlg *d = dlg_new(NULL);
	int l = dlg_listen(d, DLG_LPORT);
	/* A queue of one: Linux's sk_acceptq_is_full() is full past the
	 * backlog (cfg.acceptq_linux), so backlog 1 would queue two
	 * (tests/pkt/linux/listen-backlog-queues-one-more.pkt). */
	ASSERT_EQ(gt_listen(d->s, l, 0), 0);
	dlg_syn_received(d);
	dlg_peer_ack(d); /* completes; sits in the accept queue */
	dlg_expect_none(d);
	uint64_t drops = dlg_stats(d)->TcpSynDrops;
	d->rport = DLG_RPORT + 1;
	dlg_send(d, TH_SYN, 77777, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, drops + 1);
	ASSERT_EQ(dlg_conns(d), 1);
	/* Once accepted, there is room again. */
	ASSERT_GE(gt_accept(d->s, l, NULL), 0);
	dlg_send(d, TH_SYN, 77777, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, 77778);
	dlg_free(d);
}

/* FreeBSD (cfg.acceptq_bsd): solisten_proto() cuts a backlog above
 * somaxconn (128) to it, and solisten_clone() refuses a child only when
 * sol_qlen > 3 * sol_qlimit / 2: 193 children fit. The 194th SYN is
 * answered all the same (syncache_add() does not look at the queue,
 * cfg.acceptq_full_at_ack); its ACK, refused a socket, draws the RST
 * (rst_on_sock_fail) and is counted as tcps_listendrop is. */
TEST(listen_bsd_backlog_cut_to_somaxconn_holds_three_halves_plus_one)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.acceptq_linux = false;
	cfg.acceptq_bsd = true;
	cfg.acceptq_full_at_ack = true;
	cfg.syncookie_fail_rst = true;
	cfg.somaxconn = 128;
	struct dlg *d = dlg_new(&cfg);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_listen(d->s, l, 1000), 0);
	for (int i = 0; i < 193; i++) {
		d->rport = (uint16_t)(DLG_RPORT + i);
		dlg_syn_received(d);
		dlg_peer_ack(d);
		dlg_expect_none(d);
	}
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_ESTABLISHED), 193);
	d->rport = DLG_RPORT + 193;
	dlg_syn_received(d);
	ASSERT_EQ(dlg_conns(d), 194);
	ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, 0);
	dlg_peer_ack(d);
	dlg_expect(d, TH_RST, d->snd_nxt, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 193);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_ESTABLISHED), 193);
	ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, 1);
	dlg_free(d);
}

/* The queue full at the SYN, per profile: Linux's tcp_conn_request() drops
 * the SYN (sk_acceptq_is_full(), LISTENOVERFLOWS); FreeBSD's
 * syncache_add() answers it and the queue is judged at the ACK
 * (syncache_socket() -> sonewconn()). With rst_on_sock_fail the refused
 * ACK draws <SEQ=SEG.ACK><CTL=RST>; without, it is dropped. Either way the
 * pending connection is gone (syncache_expand() freed the entry): the ACK
 * again meets the listener, which resets it. */
static void full_queue_syn(enum gt_profile p, bool rst_on_sock_fail)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	cfg.syncookie_fail_rst = rst_on_sock_fail;
	struct dlg *d = dlg_new(&cfg);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_listen(d->s, l, 0), 0); /* one child fills it, either profile */
	dlg_syn_received(d);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_ESTABLISHED), 1);
	const struct gt_stats st0 = *dlg_stats(d);
	d->rport = DLG_RPORT + 1;
	struct tcp_opts o = d->peer_syn_opts;
	dlg_send(d, TH_SYN, 77777, 0, DLG_WIN, NULL, 0, &o);
	if (p == GT_PROFILE_LINUX) {
		dlg_expect_none(d);
		ASSERT_EQ(dlg_conns(d), 1);
		ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, st0.TcpListenOverflows + 1);
		ASSERT_EQ(dlg_stats(d)->TcpSynDrops, st0.TcpSynDrops + 1);
		dlg_free(d);
		return;
	}
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g && g->h.flags == (TH_SYN | TH_ACK) && g->h.ack == 77778);
	uint32_t iss = g->h.seq;
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_SYN_RECEIVED), 1);
	ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, st0.TcpListenOverflows);
	dlg_send(d, TH_ACK, 77778, iss + 1, DLG_WIN, NULL, 0, NULL);
	if (rst_on_sock_fail)
		dlg_expect(d, TH_RST, iss + 1, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_SYN_RECEIVED), 0);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_ESTABLISHED), 1);
	ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, st0.TcpListenOverflows + 1);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, st0.TcpSynDrops + 1);
	ASSERT_EQ(dlg_stats(d)->TcpAttemptFails, st0.TcpAttemptFails + 1);
	/* Nothing pending: accept() makes room, and the ACK again is the
	 * listener's stray ACK, not a connection. */
	ASSERT_GE(gt_accept(d->s, l, NULL), 0);
	dlg_send(d, TH_ACK, 77778, iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, iss + 1, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(gt_accept(d->s, l, NULL), -EAGAIN);
	dlg_free(d);
}

TEST(listen_full_queue_syn_dropped_as_linux)
{
	full_queue_syn(GT_PROFILE_LINUX, false);
}

TEST(listen_full_queue_syn_answered_ack_reset_as_freebsd)
{
	full_queue_syn(GT_PROFILE_FREEBSD, true);
}

TEST(listen_full_queue_syn_answered_ack_dropped_as_freebsd_rst_on_sock_fail_0)
{
	full_queue_syn(GT_PROFILE_FREEBSD, false);
}

/* FreeBSD judges the queue at the ACK: a SYN answered while the queue was
 * full completes once accept() has made room before its ACK. */
TEST(listen_full_queue_room_before_ack_completes_as_freebsd)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_listen(d->s, l, 0), 0);
	dlg_syn_received(d);
	dlg_peer_ack(d);
	d->rport = DLG_RPORT + 1;
	dlg_syn_received(d);
	ASSERT_EQ(dlg_conns(d), 2);
	ASSERT_GE(gt_accept(d->s, l, NULL), 0);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns_in(d, GT_TCP_ESTABLISHED), 2);
	ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, 0);
	ASSERT_GE(gt_accept(d->s, l, NULL), 0);
	ASSERT_EQ(gt_accept(d->s, l, NULL), -EAGAIN);
	dlg_free(d);
}

/* SYNs from `n` ports to a Linux listener with `backlog`, none completed:
 * how many got a SYN-ACK that kept a half-open connection, and how many
 * got one that kept none (a cookie). */
static void synq_fill(struct dlg *d, int n, uint32_t *half_open, uint32_t *cookies)
{
	*half_open = *cookies = 0;
	for (int i = 0; i < n; i++) {
		d->rport = (uint16_t)(DLG_RPORT + i);
		uint32_t before = dlg_conns(d);
		dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
		if (!dlg_pending(d))
			continue;
		ASSERT_EQ(dlg_next(d)->h.flags, TH_SYN | TH_ACK);
		if (dlg_conns(d) > before)
			(*half_open)++;
		else
			(*cookies)++;
	}
}

/* Linux's tcp_conn_request(): the SYN queue is full when it holds more
 * half-open connections than the listen backlog
 * (inet_csk_reqsk_queue_is_full(), qlen > sk_max_ack_backlog in 6.18), not
 * at tcp_max_syn_backlog: listen(fd, 1) keeps two; the third SYN gets a
 * cookie under tcp_syncookies 1 (LINUX_MIB_TCPREQQFULLDOCOOKIES) and is
 * dropped under 0 (LINUX_MIB_TCPREQQFULLDROP, tcp_listendrop()). Before
 * branch h-lxsynq the profile kept max_syn_backlog half-open whatever the
 * backlog. */
TEST(listen_syn_queue_full_past_the_backlog_as_linux)
{
	for (uint32_t cookies_on = 0; cookies_on < 2; cookies_on++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.syncookies = cookies_on;
		cfg.max_syn_backlog = 4096;
		struct dlg *d = dlg_new(&cfg);
		int l = dlg_listen(d, DLG_LPORT);
		ASSERT_EQ(gt_listen(d->s, l, 1), 0);
		uint32_t half_open, cookies;
		synq_fill(d, 4, &half_open, &cookies);
		ASSERT_EQ(half_open, 2);
		ASSERT_EQ(cookies, cookies_on ? 2 : 0);
		ASSERT_EQ(dlg_stats(d)->TcpReqQFullDoCookies, cookies_on ? 2 : 0);
		ASSERT_EQ(dlg_stats(d)->TcpSyncookiesSent, cookies_on ? 2 : 0);
		ASSERT_EQ(dlg_stats(d)->TcpReqQFullDrop, cookies_on ? 0 : 2);
		ASSERT_EQ(dlg_stats(d)->TcpSynDrops, cookies_on ? 0 : 2);
		ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, 0);
		dlg_free(d);
	}
	/* tcp_max_syn_backlog far below the backlog: no limit with cookies on. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.max_syn_backlog = 1;
	struct dlg *d = dlg_new(&cfg);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_listen(d->s, l, 8), 0);
	uint32_t half_open, cookies;
	synq_fill(d, 10, &half_open, &cookies);
	ASSERT_EQ(half_open, 9);
	ASSERT_EQ(cookies, 1);
	dlg_free(d);
}

/* Without syncookies, tcp_conn_request() keeps the last quarter of
 * tcp_max_syn_backlog for proven peers ("max_syn_backlog - qlen <
 * max_syn_backlog >> 2"); glasstcp keeps no tcp_metrics, so no peer is
 * proven: with 8 and a backlog of 100, the SYN that finds 7 half-open is
 * dropped (8 - 7 < 2), counted as a listen drop, not a full queue. */
TEST(listen_syn_without_cookies_last_quarter_of_max_syn_backlog_as_linux)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 0;
	cfg.max_syn_backlog = 8;
	struct dlg *d = dlg_new(&cfg);
	int l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_listen(d->s, l, 100), 0);
	uint32_t half_open, cookies;
	synq_fill(d, 9, &half_open, &cookies);
	ASSERT_EQ(half_open, 7);
	ASSERT_EQ(cookies, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, 2);
	ASSERT_EQ(dlg_stats(d)->TcpReqQFullDrop, 0);
	dlg_free(d);
}

TEST(listen_two_peers_get_distinct_connections)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t iss1 = d->iss;
	d->rport = DLG_RPORT + 7;
	dlg_send(d, TH_SYN, 5, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, 6);
	ASSERT_NE(g->h.seq, iss1); /* RFC 6528: the ISN depends on the 4-tuple */
	ASSERT_EQ(dlg_conns(d), 2);
	dlg_free(d);
}

TEST(accepted_socket_inherits_keepalive_options)
{
	/* As Linux's accept(): SO_KEEPALIVE and TCP_KEEPIDLE/KEEPINTVL/
	 * KEEPCNT set on the listener hold for the accepted socket (getsockopt
	 * reads them back) and for its connection: after 3 s idle a probe at
	 * SND.NXT - 1 (RFC 1122 4.2.3.6), then one a second, and after 2
	 * unanswered probes an RST. */
	struct dlg *d = dlg_new(NULL);
	int lsd = dlg_listen(d, DLG_LPORT);
	int one = 1, idle = 3, intvl = 1, cnt = 2;
	ASSERT_EQ(gt_setsockopt(d->s, lsd, GT_SOL_SOCKET, GT_SO_KEEPALIVE, &one, sizeof(one)), 0);
	ASSERT_EQ(gt_setsockopt(d->s, lsd, GT_IPPROTO_TCP, GT_TCP_KEEPIDLE, &idle, sizeof(idle)), 0);
	ASSERT_EQ(gt_setsockopt(d->s, lsd, GT_IPPROTO_TCP, GT_TCP_KEEPINTVL, &intvl, sizeof(intvl)), 0);
	ASSERT_EQ(gt_setsockopt(d->s, lsd, GT_IPPROTO_TCP, GT_TCP_KEEPCNT, &cnt, sizeof(cnt)), 0);
	dlg_established_passive(d);
	const int names[3] = {GT_TCP_KEEPIDLE, GT_TCP_KEEPINTVL, GT_TCP_KEEPCNT};
	const int want[3] = {3, 1, 2};
	for (int i = 0; i < 3; i++) {
		int v = 0;
		size_t len = sizeof(v);
		ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_IPPROTO_TCP, names[i], &v, &len), 0);
		ASSERT_EQ(v, want[i]);
	}
	int v = 0;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_KEEPALIVE, &v, &len), 0);
	ASSERT_EQ(v, 1);
	dlg_advance(d, 2999000);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	dlg_expect(d, TH_ACK, d->snd_nxt - 1, d->peer_nxt);
	dlg_advance(d, 1000000);
	dlg_expect(d, TH_ACK, d->snd_nxt - 1, d->peer_nxt);
	dlg_advance(d, 1000000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.flags & TH_RST);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
	dlg_free(d);
}

static int bind_to(struct dlg *d, int sd, uint16_t port)
{
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = port, .addr = 0};
	return gt_bind(d->s, sd, &a);
}

TEST(bind_conflicts_follow_sockets_and_time_wait)
{
	/* bind() finds what holds a port from per-port counts: a bound
	 * socket, a listener with accepted connections, a TIME_WAIT entry
	 * (refused without SO_REUSEADDR, as Linux), and it sees each one go. */
	struct dlg *d = dlg_new(NULL);
	int one = 1;
	/* A socket bound to 6000 holds it until closed. */
	int a = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	int b = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(bind_to(d, a, 6000), 0);
	ASSERT_EQ(bind_to(d, b, 6000), -EADDRINUSE);
	ASSERT_EQ(gt_close(d->s, a), 0);
	ASSERT_EQ(bind_to(d, b, 6000), 0);
	ASSERT_EQ(gt_close(d->s, b), 0);
	/* A listener and the connection it accepted share its port. */
	dlg_established_passive(d);
	int c = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(bind_to(d, c, DLG_LPORT), -EADDRINUSE);
	ASSERT_EQ(gt_close(d->s, d->lsd), 0);
	ASSERT_EQ(bind_to(d, c, DLG_LPORT), -EADDRINUSE); /* the accepted one */
	ASSERT_EQ(gt_close(d->s, c), 0);
	dlg_free(d);

	/* Our active close leaves TIME_WAIT on our port (the listener's: the
	 * dialogue's connection was accepted), held by nothing else once the
	 * listener and the socket are closed. */
	d = dlg_new(NULL);
	dlg_time_wait(d);
	uint16_t port = d->lport;
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	if (d->lsd >= 0)
		ASSERT_EQ(gt_close(d->s, d->lsd), 0);
	ASSERT_EQ(dlg_timewait(d), 1);
	int e = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(bind_to(d, e, port), -EADDRINUSE);
	int f = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_setsockopt(d->s, f, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one)), 0);
	ASSERT_EQ(bind_to(d, f, port), 0);
	ASSERT_EQ(gt_close(d->s, f), 0);
	/* 2 MSL later the entry is gone, and so is the conflict. */
	dlg_advance(d, 2ull * d->cfg.msl_ms * 1000 + 1000);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(bind_to(d, e, port), 0);
	/* bind() to port 0 hands out distinct ports, none of them taken. */
	uint16_t seen[64];
	for (int i = 0; i < 64; i++) {
		int g = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT_GE(g, 0);
		ASSERT_EQ(bind_to(d, g, 0), 0);
		struct gt_sockaddr me;
		ASSERT_EQ(gt_getsockname(d->s, g, &me), 0);
		seen[i] = me.port;
		ASSERT(me.port != port);
		for (int j = 0; j < i; j++)
			ASSERT(seen[j] != me.port);
	}
	dlg_free(d);
}
