/* Dialogues of an active open: RFC 9293 3.10.7.3 (SYN-SENT), the
 * simultaneous open of RFC 9293 figure 8, and SYN retransmission with
 * exponential backoff (RFC 6298 5.5, RFC 1122 4.2.3.5). */
#include "dlg.h"

TEST(syn_sent_syn_ack_establishes_and_acks)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	ASSERT(d->last.h.opts.has_mss);
	ASSERT_EQ(d->last.h.opts.mss, DLG_MSS);
	/* tcp_connect_init() -> tcp_select_initial_window(): half the
	 * 128 KiB buffer, rounded down to whole MSS (44 x 1460), as Linux
	 * 6.18 sends it (tests/pkt/linux/handshake-active-open.pkt). */
	ASSERT_EQ(d->last.h.win, 64240);
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_so_error(d, d->sd), 0);
	struct gt_pollfd p = {.sd = d->sd, .events = GT_POLLOUT};
	ASSERT_EQ(gt_poll(d->s, &p, 1), 1);
	ASSERT(p.revents & GT_POLLOUT);
	ASSERT_EQ(dlg_stats(d)->TcpActiveOpens, 1);
	/* No more SYN retransmissions once established. */
	dlg_advance(d, 10000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(syn_sent_bad_ack_gets_rst)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	/* SEG.ACK =< ISS */
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, d->iss, 0);
	/* SEG.ACK > SND.NXT */
	dlg_send(d, TH_ACK, DLG_PEER_ISS, d->iss + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, d->iss + 2, 0);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	dlg_free(d);
}

TEST(syn_sent_rst_with_bad_ack_dropped)
{
	/* RFC 9293 3.10.7.3 first: a bad ACK with RST set: drop, no reset. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_RST | TH_ACK, 0, d->iss + 100, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	dlg_free(d);
}

TEST(syn_sent_rst_with_acceptable_ack_refuses)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_RST | TH_ACK, 0, d->iss + 1, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -ECONNREFUSED);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSED);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAttemptFails, 1);
	/* No SYN retransmission after the connection is gone. */
	dlg_advance(d, 5000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(syn_sent_rst_refusal_reported_by_so_error)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_RST | TH_ACK, 0, d->iss + 1, 0, NULL, 0, NULL);
	struct gt_pollfd p = {.sd = d->sd, .events = GT_POLLOUT};
	ASSERT_EQ(gt_poll(d->s, &p, 1), 1);
	ASSERT(p.revents & GT_POLLERR);
	ASSERT_EQ(dlg_so_error(d, d->sd), ECONNREFUSED);
	ASSERT_EQ(dlg_so_error(d, d->sd), 0); /* reported once */
	dlg_free(d);
}

TEST(syn_sent_rst_without_ack_ignored)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_RST, DLG_PEER_ISS, 0, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	/* The handshake still completes. */
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

TEST(syn_sent_plain_ack_or_data_without_syn_dropped)
{
	/* RFC 9293 3.10.7.3 fifth: neither SYN nor RST: drop. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_send(d, TH_PSH | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, "zz", 2, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	dlg_free(d);
}

TEST(syn_sent_simultaneous_open)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	/* Figure 8 line 5: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, the same ISS. */
	const struct dlg_seg *g = dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	ASSERT(g->h.opts.has_mss);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_RECEIVED);
	/* The peer's ACK of our SYN completes it. */
	dlg_send(d, TH_ACK, DLG_PEER_ISS + 1, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

/* shutdown(SHUT_WR) in SYN-RECEIVED with cfg.shut_wr_synrcvd_defer (the
 * Linux profile's tcp_shutdown()): it succeeds and sends nothing; the FIN
 * waits, queued, for the ACK of our SYN, which sends it (FIN-WAIT-1). The
 * invariant checker runs after every step, the deferred FIN included (the
 * fuzzer found it refusing a FIN queued in SYN-RECEIVED). */
TEST(syn_sent_simultaneous_open_shutdown_wr_defers_fin)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.shut_wr_synrcvd_defer = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_sent(d);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_RECEIVED);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_check(d);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_RECEIVED);
	dlg_send(d, TH_ACK, DLG_PEER_ISS + 1, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_FIN | TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_1);
	dlg_free(d);
}

TEST(syn_sent_simultaneous_open_crossing_syn_acks)
{
	/* Figure 8 line 6: the peer's SYN-ACK (SEQ=its ISS) reaches us in
	 * SYN-RECEIVED. Its SEQ is below RCV.NXT: not acceptable, so an ACK
	 * answers it (RFC 9293 3.10.7.4 first), which completes the peer. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, DLG_PEER_ISS + 1, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

/* FreeBSD's simultaneous open (cfg.synrcvd_syn_bsd, synrcvd_simopen_bsd;
 * tcp_do_segment() with TF_NEEDSYN): a bare SYN above the IRS inside the
 * window is dropped at step6, counted in TcpSimOpenSynIgnored; one past
 * the window is dropafterack's, the SYN|ACK again. A FIN without ACK is
 * held (tcp_reass() before ESTABLISHED) and draws the SYN|ACK; the
 * handshake ACK's tcp_reass(NULL) throws it away, so the peer's FIN|ACK
 * after it is news (tests/pkt/freebsd/matrix/rcv-*-syn-rcvd-via-syn-sent-*). */
TEST(syn_sent_freebsd_simultaneous_open_synrcvd)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	cfg.opt_timestamps = false;
	cfg.opt_sack = false;
	cfg.opt_wscale = false;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_sent(d);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_only(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	dlg_send(d, TH_SYN, DLG_PEER_ISS + 1, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpSimOpenSynIgnored, 1);
	dlg_send(d, TH_SYN, DLG_PEER_ISS + 0x40000000u, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_only(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	ASSERT_EQ(dlg_stats(d)->TcpSimOpenSynIgnored, 1);
	dlg_send(d, TH_FIN, DLG_PEER_ISS + 1, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_RECEIVED);
	dlg_send(d, TH_ACK, DLG_PEER_ISS + 1, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_send(d, TH_FIN | TH_ACK, DLG_PEER_ISS + 1, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 2);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	dlg_free(d);
}

TEST(syn_sent_syn_retransmits_with_backoff_then_etimedout)
{
	/* Backoff from the first timeout: Linux's tcp_syn_linear_timeouts
	 * off (tests/pkt/linux/syn-linear-timeouts-*.pkt have it on). */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syn_linear_timeouts = 0;
	struct dlg *d = dlg_new(&cfg);
	ASSERT_EQ(d->cfg.syn_retries, 6);
	dlg_syn_sent(d);
	uint64_t gap_us = 1000000; /* RFC 6298 2.1: initial RTO 1 s */
	for (uint32_t i = 0; i < d->cfg.syn_retries; i++) {
		dlg_advance(d, gap_us - 1);
		dlg_expect_none(d);
		dlg_advance(d, 1);
		const struct dlg_seg *g = dlg_expect(d, TH_SYN, d->iss, 0);
		ASSERT(g->h.opts.has_mss);
		dlg_expect_none(d);
		DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
		gap_us *= 2;
	}
	/* Linux's total with 6 retries: 1+2+4+8+16+32+64 = 127 s. */
	dlg_advance(d, gap_us - 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	dlg_advance(d, 1);
	dlg_expect_none(d);
	ASSERT_EQ(d->now_us - DLG_T0_US, 127000000);
	char b[1];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, 1, 0), -ETIMEDOUT);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 6);
	dlg_free(d);
}

TEST(syn_sent_close_deletes_silently)
{
	/* RFC 9293 3.10.4 CLOSE in SYN-SENT: delete the TCB, send nothing. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_advance(d, 3000000);
	dlg_expect_none(d);
	/* A late SYN-ACK meets a closed port. */
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, d->iss + 1, 0);
	dlg_free(d);
}

/* The first window after n retransmitted SYNs, with syn_rtx_cwnd_one from
 * the profile named. */
static uint32_t cwnd_after_syn_rtx(bool freebsd, int n)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config prof;
	gt_config_default(&prof, freebsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
	cfg.syn_rtx_cwnd_one = prof.syn_rtx_cwnd_one;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_sent(d);
	for (int i = 0; i < n; i++) {
		dlg_advance(d, 1000000); /* linear SYN timeouts at first */
		dlg_expect(d, TH_SYN, d->iss, 0);
	}
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	dlg_free(d);
	return ti.snd_cwnd_bytes;
}

/* RFC 5681 3.1: after a retransmitted SYN the initial window is one
 * segment. FreeBSD after one (the timer's snd_cwnd = 1 in SYN_SENT, read
 * by cc_conn_init()); Linux only after two (tcp_init_transfer(): "we
 * only reset cwnd when more than 1 SYN/SYN-ACK retransmission has
 * occurred"; Linux 6.18 under pktrun --kernel: tests/pkt/linux/
 * syn-retransmitted-once-keeps-initial-window.pkt). */
TEST(syn_sent_syn_ack_after_retransmit_gets_one_segment_cwnd)
{
	ASSERT_EQ(cwnd_after_syn_rtx(true, 0), 10u * DLG_MSS);
	ASSERT_EQ(cwnd_after_syn_rtx(true, 1), DLG_MSS);
	ASSERT_EQ(cwnd_after_syn_rtx(false, 1), 10u * DLG_MSS);
	ASSERT_EQ(cwnd_after_syn_rtx(false, 2), DLG_MSS);
}

/* A run-time change turns timestamps off between our SYN, which offered
 * them, and the peer's SYN-ACK, which gives them (swarm seed 11011586:
 * two FreeBSD hosts that require timestamps, one left without them). */
static struct dlg *ts_turned_off_after_the_syn(bool freebsd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config prof;
	gt_config_default(&prof, freebsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
	cfg.syn_opts_at_open = prof.syn_opts_at_open;
	struct dlg *d = dlg_new_ts(&cfg);
	dlg_syn_sent(d);
	ASSERT(d->last.h.opts.has_ts);
	struct gt_config now = d->cfg;
	now.opt_timestamps = false;
	ASSERT_EQ(gt_stack_set_config(d->s, &now), 0);
	/* The SYN again at the RTO. */
	dlg_advance(d, d->cfg.rto_initial_us);
	dlg_expect_only(d, TH_SYN, d->iss, 0);
	return d;
}

/* The peer's SYN-ACK with timestamps; the ACK it draws. */
static const struct dlg_seg *synack_with_ts(struct dlg *d)
{
	struct tcp_opts o = d->peer_syn_opts;
	o.ts_val = d->peer_tsval;
	o.ts_ecr = d->stack_tsval;
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &o);
	d->peer_nxt = DLG_PEER_ISS + 1;
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	return dlg_expect_only(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
}

/* FreeBSD decides once, when the TCB is made (tcp_newtcpcb() sets
 * TF_REQ_TSTMP from net.inet.tcp.rfc1323): the SYN's retransmission asks
 * for timestamps still (tcp_output()), and the SYN-ACK's are taken
 * (tcp_do_segment()'s SYN-SENT block checks TF_REQ_TSTMP), whatever the
 * sysctl says by then. Before, the profile read the configuration of the
 * moment: no timestamps on its ACK, and a peer that requires them dropped
 * every segment after (TcpTsMissingDrop). */
TEST(syn_sent_freebsd_keeps_the_tcbs_own_timestamp_request)
{
	struct dlg *d = ts_turned_off_after_the_syn(true);
	ASSERT(d->last.h.opts.has_ts);
	const struct dlg_seg *g = synack_with_ts(d);
	ASSERT(g->h.opts.has_ts);
	ASSERT_EQ(g->h.opts.ts_ecr, d->peer_tsval);
	dlg_app_send(d, 100);
	g = dlg_next(d);
	ASSERT_EQ(g->len, 100);
	ASSERT(g->h.opts.has_ts);
	dlg_free(d);
}

/* Linux reads the sysctl at every SYN it sends (tcp_syn_options()) and
 * again at the SYN-ACK (tcp_parse_options() with estab false takes a
 * timestamp only while net.ipv4.tcp_timestamps is on): neither the SYN
 * again nor the connection has them. */
TEST(syn_sent_linux_reads_the_timestamp_sysctl_at_each_syn)
{
	struct dlg *d = ts_turned_off_after_the_syn(false);
	ASSERT(!d->last.h.opts.has_ts);
	const struct dlg_seg *g = synack_with_ts(d);
	ASSERT(!g->h.opts.has_ts);
	dlg_free(d);
}

/* FreeBSD makes the TCB with the socket (tcp_usr_attach() calls
 * tcp_newtcpcb(), which sets TF_REQ_TSTMP from net.inet.tcp.rfc1323 then):
 * timestamps turned off between socket() and connect() still go in the
 * SYN, and the SYN-ACK's are taken. Linux reads the sysctl when it builds
 * the SYN (tcp_syn_options()): none. Before, the FreeBSD profile took the
 * request at connect(). */
static struct dlg *ts_turned_off_before_connect(bool freebsd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config prof;
	gt_config_default(&prof, freebsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
	cfg.syn_opts_at_open = prof.syn_opts_at_open;
	struct dlg *d = dlg_new_ts(&cfg);
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT(sd >= 0);
	struct gt_config now = d->cfg;
	now.opt_timestamps = false;
	ASSERT_EQ(gt_stack_set_config(d->s, &now), 0);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	ASSERT_EQ(gt_connect(d->s, sd, &a), -EINPROGRESS);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN);
	struct gt_sockaddr me;
	gt_getsockname(d->s, sd, &me);
	d->sd = sd;
	d->lport = me.port;
	d->iss = g->h.seq;
	d->snd_nxt = d->iss + 1;
	d->peer_nxt = DLG_PEER_ISS;
	return d;
}

TEST(syn_sent_freebsd_timestamp_request_made_with_the_socket)
{
	struct dlg *d = ts_turned_off_before_connect(true);
	ASSERT(d->last.h.opts.has_ts);
	const struct dlg_seg *g = synack_with_ts(d);
	ASSERT(g->h.opts.has_ts);
	dlg_free(d);
}

TEST(syn_sent_linux_timestamp_request_read_at_the_syn)
{
	struct dlg *d = ts_turned_off_before_connect(false);
	ASSERT(!d->last.h.opts.has_ts);
	dlg_free(d);
}

/* A SYN-ACK whose echo is of a TSval never sent: from before our SYN, or
 * from the future. Linux's tcp_rcv_synsent_state_process() wants the echo
 * between the SYN's first send time (retrans_stamp) and now, else it counts
 * PAWSActiveRejected and answers <SEQ=SEG.ACK><CTL=RST>; connect() goes
 * on, the SYN again at its RTO, not sooner. An RST+ACK with such an echo
 * draws nothing and refuses nothing
 * (tests/pkt/linux/handshake-synack-ts-echo-never-sent-rst.pkt on the
 * kernel). */
TEST(syn_sent_linux_refuses_synack_echoing_a_tsval_never_sent)
{
	struct dlg *d = dlg_new_ts(NULL);
	dlg_syn_sent(d);
	uint32_t syn_ts = d->stack_tsval;
	dlg_advance(d, 50000);
	struct tcp_opts o = d->peer_syn_opts;
	o.ts_val = d->peer_tsval;
	o.ts_ecr = syn_ts - 10;
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &o);
	dlg_expect_only(d, TH_RST, d->iss + 1, 0);
	o.ts_ecr = syn_ts + 5000;
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &o);
	dlg_expect_only(d, TH_RST, d->iss + 1, 0);
	dlg_send(d, TH_RST | TH_ACK, 0, d->iss + 1, 0, NULL, 0, &o);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	ASSERT_EQ(dlg_so_error(d, d->sd), 0);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSActiveRejected, 3);
	/* The SYN timer as it was: nothing until the RTO. */
	dlg_advance(d, d->cfg.rto_initial_us - 50000 - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	dlg_expect_only(d, TH_SYN, d->iss, 0);
	/* The first SYN's own echo is good still. */
	o.ts_ecr = syn_ts;
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &o);
	dlg_expect_only(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSActiveRejected, 3);
	dlg_free(d);
}

/* FreeBSD judges no echo in SYN-SENT (cfg.syn_sent_ts_echo_check off):
 * the same SYN-ACK establishes the connection. */
TEST(syn_sent_freebsd_takes_synack_echoing_a_tsval_never_sent)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	cfg.syn_sent_ts_echo_check = bsd.syn_sent_ts_echo_check;
	ASSERT(!cfg.syn_sent_ts_echo_check);
	struct dlg *d = dlg_new_ts(&cfg);
	dlg_syn_sent(d);
	struct tcp_opts o = d->peer_syn_opts;
	o.ts_val = d->peer_tsval;
	o.ts_ecr = d->stack_tsval - 10;
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->iss + 1, DLG_WIN, NULL, 0, &o);
	dlg_expect_only(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpPAWSActiveRejected, 0);
	dlg_free(d);
}
