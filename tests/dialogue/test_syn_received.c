/* Dialogues of a passive open in SYN-RECEIVED: RFC 9293 3.10.7.4 (the ACK
 * that completes the handshake, the bad ACK that draws a reset, RST and SYN
 * returning a passive connection to LISTEN), a retransmitted SYN and SYN-ACK
 * retransmission. */
#include "dlg.h"

TEST(syn_received_ack_establishes_and_accept_returns_it)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	struct gt_pollfd p = {.sd = d->lsd, .events = GT_POLLIN};
	ASSERT_EQ(gt_poll(d->s, &p, 1), 1);
	struct gt_sockaddr peer;
	int sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT_GE(sd, 0);
	ASSERT_EQ(peer.addr, DLG_RADDR);
	ASSERT_EQ(peer.port, DLG_RPORT);
	DLG_ASSERT_STATE(d, sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	ASSERT_EQ(dlg_stats(d)->TcpCurrEstab, 1);
	/* No SYN-ACK retransmission afterwards. */
	dlg_advance(d, 5000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(syn_received_ack_with_data_delivers_it)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_peer_data(d, "hello", 5);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, sd, b, sizeof(b), 0), 5);
	ASSERT_MEMEQ(b, "hello", 5);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 6);
	dlg_free(d);
}

TEST(syn_received_rst_returns_to_listen)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	DLG_ASSERT_STATE(d, d->lsd, GT_TCP_LISTEN);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	/* No SYN-ACK retransmission for the dead connection. */
	dlg_advance(d, 3000000);
	dlg_expect_none(d);
	/* The listener still answers a new SYN. */
	dlg_send(d, TH_SYN, DLG_PEER_ISS + 5000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, DLG_PEER_ISS + 5001);
	dlg_free(d);
}

TEST(syn_received_retransmitted_syn_gets_syn_ack_again)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	ASSERT(g->h.opts.has_mss);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_free(d);
}

/* Linux's tcp_check_req(): a duplicate SYN draws a SYN-ACK only when
 * tcp_oow_rate_limited() allows, one per tcp_invalid_ratelimit (500 ms);
 * the others are counted in TcpAckSkippedSynRecv (cfg.dupsyn_ratelimit).
 * Swarm seed 13100638: seven SYNs queued at a paused listener drew seven
 * SYN-ACKs at one instant. On the kernel:
 * tests/pkt/linux/handshake-dup-syn-ratelimit.pkt. */
TEST(syn_received_linux_duplicate_syns_answered_once_per_500ms)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config prof;
	gt_config_default(&prof, GT_PROFILE_LINUX);
	cfg.dupsyn_ratelimit = prof.dupsyn_ratelimit;
	cfg.oow_ack_window_ms = prof.oow_ack_window_ms;
	cfg.oow_ack_burst = prof.oow_ack_burst;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_received(d);
	for (int i = 0; i < 7; i++)
		dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkippedSynRecv, 6);
	dlg_advance(d, 499000);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkippedSynRecv, 7);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_free(d);
}

TEST(syn_received_bad_ack_gets_rst)
{
	/* RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: an unacceptable ACK draws
	 * <SEQ=SEG.ACK><CTL=RST>. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 5, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, d->iss + 5, 0);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, d->iss, 0);
	dlg_expect_none(d);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	/* The half-open connection survives and completes with a good ACK. */
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_GE(gt_accept(d->s, d->lsd, NULL), 0);
	dlg_free(d);
}

TEST(syn_received_in_window_new_syn_returns_to_listen)
{
	/* RFC 9293 3.10.7.4 fourth: a SYN in SYN-RECEIVED of a passive open
	 * returns the connection to LISTEN. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_send(d, TH_SYN, d->peer_nxt + 10, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	DLG_ASSERT_STATE(d, d->lsd, GT_TCP_LISTEN);
	dlg_free(d);
}

TEST(syn_received_syn_ack_retransmits_with_backoff)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	uint64_t gap_us = 1000000;
	for (uint32_t i = 0; i < d->cfg.synack_retries; i++) {
		dlg_advance(d, gap_us - 1);
		dlg_expect_none(d);
		dlg_advance(d, 1);
		dlg_expect(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
		dlg_expect_none(d);
		gap_us *= 2;
	}
	dlg_advance(d, gap_us);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	DLG_ASSERT_STATE(d, d->lsd, GT_TCP_LISTEN);
	dlg_free(d);
}

TEST(syn_received_out_of_window_segment_gets_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_send(d, TH_ACK, d->peer_nxt + 200000, d->iss + 1, DLG_WIN, "x", 1, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 1);
	dlg_expect_none(d);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_free(d);
}

TEST(syn_received_ack_with_fin_accepts_in_close_wait)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_expect_none(d);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	DLG_ASSERT_STATE(d, sd, GT_TCP_CLOSE_WAIT);
	char b[4];
	ASSERT_EQ(gt_recv(d->s, sd, b, sizeof(b), 0), 0);
	dlg_free(d);
}

TEST(syn_received_rst_in_window_not_exact_gets_challenge_ack)
{
	/* RFC 5961 3.2 applies to every synchronized state. */
	struct dlg *d = dlg_new(NULL);
	dlg_syn_received(d);
	dlg_send(d, TH_RST, d->peer_nxt + 3, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_free(d);
}

/* A SYN-ACK resent after a run-time change offers what the first one did:
 * the options were agreed when the SYN came (Linux's tcp_synack_options()
 * reads the request's sack_ok and wscale_ok, FreeBSD's syncache_respond()
 * sc_flags). Before, the resent SYN-ACK read the configuration again and
 * left SACK out while the connection kept using it. */
TEST(syn_received_syn_ack_resent_after_a_change_keeps_its_options)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.opt_wscale = true;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	d->peer_syn_opts.has_wscale = true;
	d->peer_syn_opts.wscale = 7;
	dlg_syn_received(d);
	ASSERT(d->last.h.opts.sack_ok);
	ASSERT(d->last.h.opts.has_wscale);
	uint8_t wscale = d->last.h.opts.wscale;
	struct gt_config now = d->cfg;
	now.opt_sack = false;
	now.opt_wscale = false;
	ASSERT_EQ(gt_stack_set_config(d->s, &now), 0);
	dlg_advance(d, 1000000);
	const struct dlg_seg *g = dlg_expect_only(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	ASSERT(g->h.opts.sack_ok);
	ASSERT(g->h.opts.has_wscale);
	ASSERT_EQ(g->h.opts.wscale, wscale);
	dlg_free(d);
}

/* FreeBSD's syncache_add(): a duplicate SYN without the timestamp the first
 * one had turns timestamps off for the pending connection, and the SYN-ACK
 * resent for it carries none (cfg.dupsyn_drops_ts). Swarm seed 13003977: a
 * Linux client's sysctl went off between its first SYN and the third; it
 * took the SYN-ACK's timestamp as absent (Linux reads the sysctl at the
 * SYN-ACK too), and the FreeBSD server, which had kept them and requires
 * them, dropped every segment it sent. */
TEST(syn_received_freebsd_duplicate_syn_without_timestamp_turns_them_off)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config prof;
	gt_config_default(&prof, GT_PROFILE_FREEBSD);
	cfg.dupsyn_drops_ts = prof.dupsyn_drops_ts;
	cfg.ts_required = true; /* tolerate_missing_ts = 0, as in the seed */
	struct dlg *d = dlg_new_ts(&cfg);
	dlg_syn_received(d);
	ASSERT(d->last.h.opts.has_ts);
	/* The same SYN again, without the option. */
	d->peer_syn_opts.has_ts = false;
	d->peer_ts = false;
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_expect_only(d, TH_SYN | TH_ACK, d->iss, DLG_PEER_ISS + 1);
	ASSERT(!g->h.opts.has_ts);
	/* The handshake ends and data flows without timestamps. */
	dlg_peer_data(d, "hello", 5);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, sd, b, sizeof(b), 0), 5);
	ASSERT_EQ(dlg_stats(d)->TcpTsMissingDrop, 0);
	dlg_advance(d, d->cfg.delack_us);
	g = dlg_expect_only(d, TH_ACK, d->iss + 1, DLG_PEER_ISS + 6);
	ASSERT(!g->h.opts.has_ts);
	dlg_free(d);
}
