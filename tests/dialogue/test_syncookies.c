/* SYN cookies at the segment level (RFC 4987 3.6): a full SYN queue is
 * answered with a stateless SYN-ACK; a forged ACK gets the LISTEN-state
 * RST; the genuine ACK builds the connection. */
#include "dlg.h"

TEST(listen_full_queue_answers_with_syn_cookie)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	/* Linux: listen(fd, 0) keeps one half-open connection
	 * (inet_csk_reqsk_queue_is_full(): qlen > sk_max_ack_backlog); a SYN
	 * from another port takes it. */
	ASSERT_EQ(gt_listen(d->s, d->lsd, 0), 0);
	uint16_t port = d->rport;
	d->rport = (uint16_t)(port + 1);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	ASSERT_EQ(dlg_next(d)->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(dlg_conns(d), 1);
	d->rport = port;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, d->peer_nxt + 1);
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	ASSERT_EQ(dlg_conns(d), 1); /* no state kept */
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesSent, 1);
	/* A forged ACK (wrong cookie): the LISTEN answer, RST seq = SEG.ACK. */
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 1);
	ASSERT_EQ(dlg_conns(d), 1);
	/* The genuine ACK, with data: the connection exists, the data is in. */
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, cookie + 1, DLG_WIN, "hi", 2, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	char buf[4];
	ASSERT_EQ(gt_recv(d->s, sd, buf, sizeof(buf), 0), 2);
	ASSERT_MEMEQ(buf, "hi", 2);
	dlg_free(d);
}

/* The cookie's TSval carries the peer's window scale and SACK-permitted in
 * its low 5 bits; it must never be ahead of the clock the connection's
 * later segments use, or a Linux client drops them by PAWS (RFC 7323 5.3)
 * and then times its RTT from a TSecr in the future. Every millisecond of a
 * 32 ms period is tried, so every value of the low bits meets every clock. */
TEST(syncookie_tsval_never_ahead_of_later_segments)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_timestamps = true;
	cfg.opt_sack = true;
	cfg.opt_wscale = true;
	cfg.syncookies = 2; /* always */
	struct dlg *d = NULL;
	for (uint32_t k = 0; k < 32; k++) {
		d = dlg_new(&cfg);
		d->now_us += k * 1000;
		d->lsd = dlg_listen(d, DLG_LPORT);
		struct tcp_opts o = d->peer_syn_opts;
		o.has_ts = true;
		o.ts_val = d->peer_tsval;
		o.sack_ok = true;
		o.has_wscale = true;
		o.wscale = (uint8_t)(k % 15);
		dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &o);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
		ASSERT(g->h.opts.has_ts);
		uint32_t cookie = g->h.seq, tsval = g->h.opts.ts_val;
		d->peer_nxt++;
		d->peer_ts = true;
		d->stack_tsval = tsval;
		d->peer_tsval++;
		dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
		int sd = gt_accept(d->s, d->lsd, NULL);
		ASSERT_GE(sd, 0);
		ASSERT_EQ(gt_send(d->s, sd, "x", 1, 0), 1);
		g = dlg_next(d);
		ASSERT(g->h.opts.has_ts);
		if ((int32_t)(g->h.opts.ts_val - tsval) < 0)
			gt_test_fail(__FILE__, __LINE__, "k=%u: cookie TSval %u ahead of the data's %u", k,
				     tsval, g->h.opts.ts_val);
		struct gt_tcp_info ti;
		dlg_info(d, sd, &ti);
		ASSERT_LT(ti.srtt_us, 1000000);
	}
	dlg_free(d);
}

/* A listener answering every SYN with a cookie (syncookies = 2), and the
 * peer's SYN answered: its cookie (our ISS) in *cookie, peer_nxt past the
 * SYN. end_on_rst: glasstcp's own memory of a cookie's end
 * (cfg.syncookie_end_on_rst, off in both profiles). */
static struct dlg *cookie_syn_ack_with(uint32_t *cookie, bool end_on_rst)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 2;
	cfg.syncookie_end_on_rst = end_on_rst;
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	if (!g || g->h.flags != (TH_SYN | TH_ACK))
		gt_test_fail(__FILE__, __LINE__, "the SYN got no SYN-ACK");
	*cookie = g->h.seq;
	d->peer_nxt++;
	return d;
}

static struct dlg *cookie_syn_ack(uint32_t *cookie)
{
	return cookie_syn_ack_with(cookie, true);
}

/* A valid cookie's ACK, with data, when the host is at its connection
 * limit: no connection can be made (TcpConnLimit, TcpSynDrops). FreeBSD's
 * syncache_expand() counts tcps_sc_aborted and tcp_input() answers with
 * <SEQ=SEG.ACK><CTL=RST> (net.inet.tcp.syncache.rst_on_sock_fail, 1 by
 * default); Linux's cookie_v4_check() drops it when tcp_get_cookie_sock()
 * gets no child, counting ListenDrops (tcp_listendrop()). */
static void cookie_ack_at_limit(bool fail_rst)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 2;
	cfg.max_conns = 1;
	cfg.syncookie_fail_rst = fail_rst;
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	uint32_t cookie = 0;
	/* The first handshake takes the one connection there may be; the
	 * second, from another port, finds the table full at its ACK. */
	for (int k = 0; k < 2; k++) {
		d->rport = (uint16_t)(d->rport + k);
		dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT(g && g->h.flags == (TH_SYN | TH_ACK));
		cookie = g->h.seq;
		d->peer_nxt++;
		if (k == 0)
			dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	}
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesSent, 2);
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, cookie + 1, DLG_WIN, "hi", 2, NULL);
	if (fail_rst)
		dlg_expect(d, TH_RST, cookie + 1, 0);
	else
		dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpConnLimit, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, 1);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_free(d);
}

TEST(listen_syncookie_ack_at_the_conn_limit_draws_rst_as_freebsd)
{
	cookie_ack_at_limit(true);
	/* FreeBSD's default: tcp_sc_rst_sock_fail = 1 (tcp_syncache.c). */
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT(bsd.syncookie_fail_rst);
}

TEST(listen_syncookie_ack_at_the_conn_limit_dropped_as_linux)
{
	cookie_ack_at_limit(false);
	struct gt_config lx;
	gt_config_default(&lx, GT_PROFILE_LINUX);
	ASSERT(!lx.syncookie_fail_rst);
}

/* A client aborts right after the cookie handshake (SO_LINGER {1,0}): its
 * RST overtakes its handshake ACK. The RST finds no TCB and is dropped; the
 * ACK that follows carries a valid cookie, and without a memory of the RST
 * it rebuilds a connection whose client is gone: a server half-open until
 * its application gives up (swarm seeds 2007111 and 2008392). Both kernels
 * do so (tests/pkt/linux/syncookie-ack-behind-client-rst-accepted.pkt,
 * tests/pkt/freebsd/syncookie-valid-after-client-rst.pkt), and so do both
 * profiles. */
TEST(listen_syncookie_ack_behind_its_rst_builds_the_connection_as_both_kernels)
{
	for (int p = 0; p < 2; p++) {
		struct gt_config cfg;
		gt_config_default(&cfg, p ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
		ASSERT(!cfg.syncookie_end_on_rst);
	}
	uint32_t cookie;
	struct dlg *d = cookie_syn_ack_with(&cookie, false);
	dlg_send(d, TH_RST | TH_ACK, d->peer_nxt, cookie + 1, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesAfterRst, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	ASSERT_GE(gt_accept(d->s, d->lsd, NULL), 0);
	dlg_free(d);
}

/* The same with glasstcp's own rule switched on (cfg.syncookie_end_on_rst):
 * the listener refuses the ACK with its LISTEN-state RST, and still
 * accepts a genuine ACK of another handshake. */
TEST(listen_syncookie_ack_behind_its_rst_builds_nothing_with_end_on_rst)
{
	uint32_t cookie;
	struct dlg *d = cookie_syn_ack(&cookie);
	dlg_send(d, TH_RST | TH_ACK, d->peer_nxt, cookie + 1, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 1, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesAfterRst, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 0);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	/* A new handshake on the same tuple (a new ISN, so a new cookie). */
	d->peer_nxt += 100000;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	cookie = g->h.seq;
	d->peer_nxt++;
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	ASSERT_GE(gt_accept(d->s, d->lsd, NULL), 0);
	dlg_free(d);
}

/* FreeBSD's cookie (syncookie_generate()) rounds the peer's MSS down by
 * tcp_sc_msstab, {216, 536, 1200, 1360, 1400, 1440, 1452, 1460}: 1300
 * comes back as 1200, 100 as the floor 216, 9000 as 1460. */
TEST(listen_freebsd_syncookie_rounds_mss_by_tcp_sc_msstab)
{
	static const uint16_t asked[] = {1300, 100, 9000, 536, 1459};
	static const uint16_t got[] = {1200, 216, 1460, 536, 1452};
	for (int k = 0; k < 5; k++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.syncookies = 2;
		cfg.syncookie_bsd = true;
		struct dlg *d = dlg_new(&cfg);
		d->lsd = dlg_listen(d, DLG_LPORT);
		struct tcp_opts o = d->peer_syn_opts;
		o.has_mss = true;
		o.mss = asked[k];
		dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &o);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
		uint32_t cookie = g->h.seq;
		d->peer_nxt++;
		dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
		ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
		int sd = gt_accept(d->s, d->lsd, NULL);
		ASSERT_GE(sd, 0);
		struct gt_tcp_info ti;
		dlg_info(d, sd, &ti);
		if (ti.snd_mss != got[k])
			gt_test_fail(__FILE__, __LINE__, "peer MSS %u: cookie gave %u, FreeBSD %u",
				     asked[k], ti.snd_mss, got[k]);
		dlg_free(d);
	}
}

/* A FreeBSD cookie's SYN, answered at `at_us` of the stack's clock, and its
 * ACK `after_us` later: whether the ACK made the connection. */
static bool bsd_cookie_ack_after(uint64_t at_us, uint64_t after_us)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 2;
	cfg.syncookie_bsd = true;
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_advance(d, at_us - d->now_us);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g && g->h.flags == (TH_SYN | TH_ACK));
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	dlg_advance(d, after_us);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	bool made = dlg_conns(d) == 1;
	if (!made)
		dlg_expect(d, TH_RST, cookie + 1, 0);
	dlg_free(d);
	return made;
}

/* FreeBSD's two cookie secrets: syncookie_reseed() replaces the older one
 * every SYNCOOKIE_LIFETIME (15 s), and the cookie's parity bit names the
 * one it was made with, so a cookie is good to the end of the next
 * period: 15 to 30 s, by the phase of the reseed (here the stack's start). */
TEST(listen_freebsd_syncookie_lives_until_its_secret_is_reseeded)
{
	ASSERT(bsd_cookie_ack_after(1000, 29998000));    /* made at 0.001 s, used at 29.999 s */
	ASSERT(!bsd_cookie_ack_after(1000, 29999000));   /* at 30.000 s: reseeded */
	ASSERT(bsd_cookie_ack_after(14999000, 15000000)); /* made at 14.999 s, used at 29.999 s */
	ASSERT(!bsd_cookie_ack_after(14999000, 15001000)); /* 15.001 s later: gone */
}

/* A Linux cookie's SYN, answered at `at_us` of the stack's clock, and its
 * ACK `after_us` later: whether the ACK made the connection. */
static bool linux_cookie_ack_after(uint64_t at_us, uint64_t after_us)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 2;
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_advance(d, at_us - d->now_us);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g && g->h.flags == (TH_SYN | TH_ACK));
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	dlg_advance(d, after_us);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	bool made = dlg_conns(d) == 1;
	if (!made)
		dlg_expect(d, TH_RST, cookie + 1, 0);
	dlg_free(d);
	return made;
}

/* Linux's cookie carries tcp_cookie_time(), the clock in minutes, and
 * check_tcp_syn_cookie() takes it while the minute now is its own or the
 * next (diff < MAX_SYNCOOKIE_AGE, 2): a cookie lives 60 to 120 s, by when
 * in its minute it was made (here minutes of the stack's clock, as the
 * kernel's are of jiffies). Until this the profile's period was 64 s, so
 * a cookie lived 64 to 128 s. The kernel cannot be scripted to this edge:
 * its minutes run from jiffies' start, which a script cannot see. */
TEST(listen_syncookie_lives_to_the_end_of_the_next_minute_as_linux)
{
	ASSERT(linux_cookie_ack_after(60001000, 119998000));   /* made 60.001 s, used 179.999 s */
	ASSERT(!linux_cookie_ack_after(60001000, 119999000));  /* at 180.000 s: two minutes on */
	ASSERT(linux_cookie_ack_after(119999000, 60000000));   /* made 119.999 s, used 179.999 s */
	ASSERT(!linux_cookie_ack_after(119999000, 60001000));  /* 60.001 s later: gone */
}

/* A connection a cookie built, then reset by its client: a duplicate of
 * the handshake ACK, held up on the way, arrives after. It checks out as a
 * cookie still (two periods, 128 s) and rebuilds a second connection
 * behind the client's sequence space (swarm seed 874: 600 s of FIN/ACK
 * exchanges until the application reset it), as both kernels do
 * (tests/pkt/linux/syncookie-ack-after-connection-end-accepted.pkt). With
 * glasstcp's own rule on (cfg.syncookie_end_on_rst) the listener refuses
 * it. */
TEST(listen_syncookie_ack_duplicate_after_its_connection_ended_builds_nothing_with_end_on_rst)
{
	uint32_t cookie;
	struct dlg *d = cookie_syn_ack(&cookie);
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, cookie + 1, DLG_WIN, "hi", 2, NULL);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	dlg_drain(d);
	dlg_send(d, TH_RST | TH_ACK, d->peer_nxt + 2, cookie + 1, 0, NULL, 0, NULL);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_advance(d, 10000000);
	/* The handshake's ACK again, 10 s late. */
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 1, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesAfterRst, 1);
	dlg_free(d);
}

/* The client's data and FIN overtake its handshake ACK: no cookie checks
 * out for them (their SEQ is past the ISN + 1 the cookie's MAC covers), so
 * the listener answers with the RST of LISTEN, which the client takes (its
 * SEQ is the client's RCV.NXT). With glasstcp's own rule on
 * (cfg.syncookie_end_on_rst) the handshake ACK that follows does not
 * rebuild a connection the client was told is gone (swarm seed 4005811);
 * both kernels rebuild it
 * (tests/pkt/linux/syncookie-ack-behind-listener-rst-accepted.pkt,
 * tests/pkt/freebsd/syncookie-valid-after-listener-rst.pkt). */
TEST(listen_syncookie_ack_behind_data_the_listener_reset_builds_nothing_with_end_on_rst)
{
	uint32_t cookie;
	struct dlg *d = cookie_syn_ack(&cookie);
	dlg_send(d, TH_FIN | TH_PSH | TH_ACK, d->peer_nxt + 4, cookie + 1, DLG_WIN, "late", 4, NULL);
	dlg_expect(d, TH_RST, cookie + 1, 0);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 1, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesAfterRst, 1);
	dlg_free(d);
}

/* A listener with SO_RCVBUF set answers a SYN with a cookie: the SYN-ACK
 * must announce the window scale the connection the ACK rebuilds uses.
 * Linux's cookie_v4_check() redoes tcp_openreq_init_rwin()'s
 * tcp_select_initial_window() with the listener's clamp, so both are the
 * locked buffer's. The cookie SYN-ACK announced the unlocked one (7, for
 * the largest buffer autotuning may reach) while the TCB used 0: the peer
 * scaled every window field by 7 and overran the 8 kB buffer, and the
 * Linux window stayed 0 for ever (swarm seed 15011820). */
TEST(listen_syncookie_scale_is_the_rebuilt_connections)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_timestamps = true;
	cfg.opt_wscale = true;
	cfg.syncookies = 2;
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	int v = 8192;
	ASSERT_EQ(gt_setsockopt(d->s, d->lsd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, sizeof(v)), 0);
	struct tcp_opts o = d->peer_syn_opts;
	o.has_ts = true;
	o.ts_val = d->peer_tsval;
	o.has_wscale = true;
	o.wscale = 7;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &o);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT(g->h.opts.has_wscale);
	uint8_t announced = g->h.opts.wscale;
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	d->peer_ts = true;
	d->stack_tsval = g->h.opts.ts_val;
	d->peer_tsval++;
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	struct gt_tcp_info ti;
	dlg_info(d, sd, &ti);
	ASSERT_EQ(ti.rcv_wscale, announced);
	/* On the wire: 1,000 bytes in, and the window the ACK offers, read at
	 * the announced scale, fits the buffer (16,384 once Linux doubles it). */
	static const char blob[1000];
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, cookie + 1, DLG_WIN, blob, sizeof(blob), NULL);
	d->peer_nxt += sizeof(blob);
	dlg_advance(d, 500000);
	g = dlg_expect(d, TH_ACK, cookie + 1, d->peer_nxt);
	ASSERT_LE((uint32_t)g->h.win << announced, 16384u);
	dlg_free(d);
}

/* An option switched off between a cookie SYN-ACK and the ACK that echoes
 * it. Linux (cookie_tcp_check()): with timestamps off, tcp_parse_options()
 * does not see the ACK's, and cookie_timestamp_decode() builds the
 * connection with no options at all; with SACK or window scaling off, the
 * echo saying it was agreed, it refuses the cookie (counted received
 * first), and the ACK gets the LISTEN-state RST. FreeBSD's
 * syncookie_expand() takes the ACK's timestamp whatever rfc1323 says by
 * then. The kernel's: tests/pkt/linux/syncookie-ack-after-*-off*.pkt. */
static void cookie_ack_after_switch(const char *what, bool bsd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_timestamps = cfg.opt_sack = cfg.opt_wscale = true;
	cfg.syncookies = 2;
	cfg.syncookie_bsd = bsd;
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	struct tcp_opts o = d->peer_syn_opts;
	o.has_ts = true;
	o.ts_val = d->peer_tsval;
	o.sack_ok = true;
	o.has_wscale = true;
	o.wscale = 2;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &o);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	d->peer_ts = true;
	d->stack_tsval = g->h.opts.ts_val;
	d->peer_tsval++;
	if (what) {
		if (!strcmp(what, "ts"))
			cfg.opt_timestamps = false;
		else if (!strcmp(what, "sack"))
			cfg.opt_sack = false;
		else
			cfg.opt_wscale = false;
		ASSERT_EQ(gt_stack_set_config(d->s, &cfg), 0);
	}
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 1, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	bool refused = what && !bsd && strcmp(what, "ts");
	if (refused) {
		dlg_expect(d, TH_RST, cookie + 1, 0);
		ASSERT_EQ(dlg_stats(d)->TcpSyncookiesOptsOff, 1);
		ASSERT_EQ(dlg_conns(d), 0);
		ASSERT_LT(gt_accept(d->s, d->lsd, NULL), 0);
	} else {
		int sd = gt_accept(d->s, d->lsd, NULL);
		ASSERT_GE(sd, 0);
		struct gt_tcp_info ti;
		dlg_info(d, sd, &ti);
		if (what && !bsd) { /* timestamps off: no option at all */
			ASSERT(!ti.ts_ok && !ti.sack_ok);
			ASSERT_EQ(ti.snd_wscale, 0);
		} else {
			ASSERT(ti.ts_ok);
		}
		if (!what && !bsd) {
			ASSERT(ti.sack_ok);
			ASSERT_EQ(ti.snd_wscale, 2);
		}
		ASSERT_EQ(dlg_stats(d)->TcpSyncookiesOptsOff, 0);
	}
	dlg_free(d);
}

TEST(listen_syncookie_after_an_option_was_switched_off_as_linux)
{
	cookie_ack_after_switch(NULL, false);
	cookie_ack_after_switch("ts", false);
	cookie_ack_after_switch("sack", false);
	cookie_ack_after_switch("wscale", false);
}

/* FreeBSD's syncookie_expand() takes the ACK's timestamp whatever
 * net.inet.tcp.rfc1323 says by then (its SYN-ACK had one): the connection
 * is built, with timestamps. */
TEST(listen_freebsd_syncookie_keeps_the_acks_timestamp_after_rfc1323_off)
{
	cookie_ack_after_switch(NULL, true);
	cookie_ack_after_switch("ts", true);
}

/* A valid cookie's ACK that finds the accept queue full (backlog 0, one
 * connection waiting), from a second port: Linux's tcp_v4_syn_recv_sock()
 * refuses the child (sk_acceptq_is_full(), LISTENOVERFLOWS) and
 * cookie_v4_check() drops the segment; FreeBSD's sonewconn() refuses it
 * and tcp_input() answers with an RST (rst_on_sock_fail). Counted in
 * TcpListenOverflows and TcpSynDrops either way. The peer may retry:
 * once accept() has made room the same ACK makes the connection
 * (tests/pkt/linux/syncookie-ack-accept-queue-full-dropped.pkt); in the
 * FreeBSD profile too since h-bsdcookie (the RST ends no cookie,
 * cfg.syncookie_end_on_rst off), where it was reset again. */
static void cookie_ack_queue_full(enum gt_profile p)
{
	struct gt_config cfg;
	if (p == GT_PROFILE_LINUX)
		dlg_config(&cfg);
	else
		gt_config_default(&cfg, p);
	cfg.syncookies = 2;
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_listen(d->s, d->lsd, 0), 0); /* one child fills it, either profile */
	uint32_t cookie[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		d->rport = (uint16_t)(d->rport + k);
		dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT(g && g->h.flags == (TH_SYN | TH_ACK));
		cookie[k] = g->h.seq;
	}
	d->peer_nxt++;
	d->rport = (uint16_t)(d->rport - 1);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie[0] + 1, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(dlg_conns(d), 1);
	d->rport = (uint16_t)(d->rport + 1);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie[1] + 1, DLG_WIN, NULL, 0, NULL);
	if (p == GT_PROFILE_FREEBSD)
		dlg_expect(d, TH_RST, cookie[1] + 1, 0);
	else
		dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	ASSERT_EQ(dlg_stats(d)->TcpListenOverflows, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, 1);
	ASSERT_GE(gt_accept(d->s, d->lsd, NULL), 0);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie[1] + 1, DLG_WIN, NULL, 0, NULL);
	/* With room again the same ACK builds the connection. FreeBSD too:
	 * the RST ended nothing (tcp_syncache.c remembers no refusal), and
	 * syncookie_lookup() takes the cookie while its secret lasts. */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 2);
	ASSERT_GE(gt_accept(d->s, d->lsd, NULL), 0);
	dlg_free(d);
}

TEST(listen_syncookie_ack_accept_queue_full_dropped_as_linux)
{
	cookie_ack_queue_full(GT_PROFILE_LINUX);
}

TEST(listen_syncookie_ack_accept_queue_full_draws_rst_as_freebsd)
{
	cookie_ack_queue_full(GT_PROFILE_FREEBSD);
}

/* FreeBSD's syncache_expand() (sobomax/freebsd14_vendor 0f7ff34) checks an
 * ACK that finds no entry as a cookie only when the bucket overflowed in
 * the last SYNCOOKIE_LIFETIME (16 s) or with syncookies_only; else it is a
 * "Spurious ACK" refused with the listener's RST and no cookie failure
 * (cfg.syncookie_after_overflow). */
TEST(listen_stray_ack_checked_as_cookie_only_after_overflow_as_freebsd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookie_bsd = true;
	cfg.synq_backlog_linux = false;
	cfg.max_syn_backlog = 0; /* every SYN overflows */
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_ACK, d->peer_nxt + 1, 12345, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, 12345, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 0);
	/* An overflow: the cookie SYN-ACK; a forged ACK now fails as a cookie. */
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 1);
	/* 17 s on, the overflow is past: refused unchecked. */
	dlg_advance(d, 17 * 1000000ull);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 1);
	ASSERT_EQ(dlg_conns(d), 0);
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT(bsd.syncookie_after_overflow);
	dlg_free(d);
}

/* Linux's cookie_tcp_check() checks an ACK as a cookie only while
 * !tcp_synq_no_recent_overflow(): within TCP_SYNCOOKIE_VALID (120 s) of
 * the listener's stamp, which each cookie SYN-ACK sets (tcp_synq_overflow(),
 * tcp_syncookies 2 too) but moves at most once a second. Outside it the
 * ACK gets the LISTEN RST and no LINUX_MIB_SYNCOOKIESFAILED; nstat of a
 * Linux 6.18 namespace showed SyncookiesFailed 0 for a forged ACK before
 * any cookie and 1 after one (tests/pkt/linux/syncookie-gate-*.pkt). */
TEST(listen_stray_ack_checked_as_cookie_only_after_a_cookie_as_linux)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 2; /* every SYN; still no check before the first */
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_ACK, d->peer_nxt + 1, 12345, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, 12345, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 0);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 1);
	/* A second cookie 0.5 s on leaves the stamp where it was. */
	dlg_advance(d, 500000);
	dlg_send(d, TH_SYN, d->peer_nxt - 1, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesSent, 2);
	/* 120 s after the first cookie: still checked. */
	dlg_advance(d, 119500000);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 2);
	/* 120.3 s after it, 119.8 s after the second: refused unchecked. */
	dlg_advance(d, 300000);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 2);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

/* FreeBSD's syncache_expand() frees the entry when the handshake's ACK
 * does not acknowledge the SYN-ACK (after TAILQ_REMOVE, "failed:"):
 * the RST at SEG.ACK, the half-open connection gone (TcpAttemptFails), and
 * the proper ACK after meets the listener's RST without a cookie check. */
TEST(syn_received_bad_ack_frees_the_half_open_as_freebsd)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	uint32_t iss = g->h.seq;
	d->peer_nxt++;
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_send(d, TH_ACK, d->peer_nxt, iss + 5, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, iss + 5, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAttemptFails, 1);
	dlg_send(d, TH_ACK, d->peer_nxt, iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, iss + 1, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 0);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_free(d);
}
