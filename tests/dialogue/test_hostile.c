/* Hostile peers against one stack, segment by segment: blind RST, SYN and
 * data injection (RFC 5961 3-5, with the rate limit of RFC 5961 7), ACK
 * floods (duplicates, above SND.NXT, below SND.UNA - MAX.SND.WND), optimistic
 * ACKs, a zero-window attack against the persist timer (RFC 9293 3.8.6.1),
 * a SYN flood from spoofed sources against a small SYN backlog, and every
 * combination of the eight flag bits to a connection and to a listener.
 * Each test asserts what the stack does and that it keeps serving. */
#include "dlg.h"

#include "util/seq.h"
#include "wire/ipv4.h"

/* A small deterministic generator (xorshift64*), so a failure reproduces. */
static uint64_t rng_state;
static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

/* Pops every pending segment; d->snd_nxt follows the highest sequence the
 * stack sent, d->peer_nxt the highest it acknowledged. Returns how many
 * there were. */
static size_t drain_track(struct dlg *d)
{
	size_t n = 0;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		uint32_t end = g->h.seq + g->len + !!(g->h.flags & TH_FIN);
		if (!(g->h.flags & TH_RST) && seq_gt(end, d->snd_nxt))
			d->snd_nxt = end;
		if ((g->h.flags & TH_ACK) && seq_gt(g->h.ack, d->peer_nxt))
			d->peer_nxt = g->h.ack;
		n++;
	}
	return n;
}

/* The connection still carries data both ways after the attack. */
static void still_serving(struct dlg *d)
{
	drain_track(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_peer_data(d, "ping", 4);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 4);
	ASSERT_MEMEQ(b, "ping", 4);
	ASSERT_EQ(gt_send(d->s, d->sd, "pong", 4, 0), 4);
	dlg_advance(d, 300000);
	bool sent = false;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		if (g->len == 4 && memcmp(g->data, "pong", 4) == 0)
			sent = true;
		if (g->len)
			d->snd_nxt = g->h.seq + g->len;
	}
	ASSERT(sent);
	dlg_peer_ack(d);
}

/* ---- RFC 5961: blind RST, SYN and data ------------------------------------ */

TEST(hostile_blind_rst_outside_window_ignored)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	rng_state = 0x5961;
	uint64_t oow = dlg_stats(d)->TcpOutOfWindow;
	int outside = 0;
	for (int i = 0; i < 1000; i++) {
		uint32_t seq = rnd();
		if (seq - d->peer_nxt <= DLG_WIN + 1u)
			continue; /* the odd one in the window is the next test's */
		dlg_send(d, TH_RST, seq, 0, 0, NULL, 0, NULL);
		outside++;
	}
	/* RFC 5961 3.2: an RST outside the window is dropped, unanswered. */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpOutOfWindow, oow + (uint64_t)outside);
	ASSERT_EQ(dlg_stats(d)->TcpEstabResets, 0);
	still_serving(d);
	dlg_free(d);
}

TEST(hostile_blind_rst_in_window_gets_challenge_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	/* RFC 5961 3.2: in the window but not RCV.NXT: a challenge ACK. */
	dlg_send(d, TH_RST, d->peer_nxt + 1000, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	/* RST|ACK in the window, too. */
	dlg_send(d, TH_RST | TH_ACK, d->peer_nxt + 1, d->snd_nxt, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 2);
	still_serving(d);
	/* Only the exact RCV.NXT resets. */
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_so_error(d, d->sd), ECONNRESET);
	ASSERT_EQ(dlg_stats(d)->TcpEstabResets, 1);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

TEST(hostile_challenge_acks_rate_limited)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.challenge_ack_per_s = 10;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	/* RFC 5961 7: a flood of in-window RSTs and SYNs within one second
	 * gets at most challenge_ack_per_s answers, stack-wide. */
	for (int i = 0; i < 50; i++) {
		dlg_send(d, TH_RST, d->peer_nxt + 1 + (uint32_t)i, 0, 0, NULL, 0, NULL);
		dlg_send(d, TH_SYN, d->peer_nxt + 1 + (uint32_t)i, 0, DLG_WIN, NULL, 0, NULL);
	}
	ASSERT_EQ(drain_track(d), 10);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 10);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAckLimited, 90);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	/* A second later the budget is back. */
	dlg_advance(d, 1000000);
	dlg_send(d, TH_RST, d->peer_nxt + 7, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 11);
	still_serving(d);
	dlg_free(d);
}

TEST(hostile_blind_syn_in_window_gets_challenge_ack)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	/* RFC 5961 4.2: a SYN in a synchronized state, wherever its sequence
	 * number, gets a challenge ACK and never resets. */
	rng_state = 42;
	for (int i = 0; i < 20; i++) {
		uint32_t seq = i < 10 ? d->peer_nxt + (rnd() % DLG_WIN) : rnd();
		dlg_send(d, TH_SYN, seq, 0, DLG_WIN, NULL, 0, NULL);
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	}
	ASSERT_EQ(dlg_stats(d)->TcpEstabResets, 0);
	ASSERT_EQ(dlg_stats(d)->TcpOutRsts, 0);
	still_serving(d);
	dlg_free(d);
}

TEST(hostile_blind_data_injection_not_delivered)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	/* Data at random sequence and acknowledgment numbers: outside the
	 * window it is refused with an ACK (RFC 9293 3.10.7.4 first); in the
	 * window with an ACK below SND.UNA - MAX.SND.WND it is refused with a
	 * challenge ACK (RFC 5961 5.2). None of it reaches the application. */
	rng_state = 0xda7a;
	for (int i = 0; i < 2000; i++) {
		uint32_t seq = i % 2 ? rnd() : d->peer_nxt + rnd() % DLG_WIN;
		uint32_t ack = rnd();
		if (seq == d->peer_nxt || ack - (d->snd_nxt - DLG_WIN) <= DLG_WIN)
			continue; /* a blind attacker's lucky guess: not this test */
		dlg_send(d, TH_ACK | TH_PSH, seq, ack, DLG_WIN, "EVIL", 4, NULL);
		drain_track(d);
	}
	drain_track(d);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.bytes_received, 0);
	ASSERT_EQ(ti.rcv_queued_bytes, 0);
	still_serving(d);
	dlg_free(d);
}

/* ---- ACK floods and optimistic ACKs ---------------------------------------- */

/* Established, with len bytes written by the application and sent. */
static void with_data_in_flight(struct dlg *d, uint32_t len)
{
	dlg_established_passive(d);
	dlg_app_send(d, len);
	drain_track(d);
}

TEST(hostile_duplicate_ack_flood)
{
	struct dlg *d = dlg_new(NULL);
	with_data_in_flight(d, 14600);
	uint32_t una = d->iss + 1;
	struct gt_gauges g0, g;
	gt_stack_gauges(d->s, &g0);
	ASSERT_LE(g0.buffer_bytes, (uint64_t)d->cfg.sndbuf_bytes + d->cfg.rcvbuf_bytes);
	/* 10,000 duplicate ACKs of the first byte. One fast retransmit
	 * (RFC 5681 3.2), then window inflation (RFC 6582 3.2 step 4) that
	 * new data is bounded by: the send buffer holds nothing more. */
	for (int i = 0; i < 10000; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt, una, DLG_WIN, NULL, 0, NULL);
		drain_track(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 14600);
	ASSERT_LE(ti.retrans_segs, 10);
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.buffer_bytes, g0.buffer_bytes);
	/* The real ACK ends recovery; the connection carries on. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
	still_serving(d);
	dlg_free(d);
}

TEST(hostile_ack_above_snd_nxt_ignored)
{
	/* An optimistic ACK (RFC 9293 3.10.7.4: "If the ACK acks something
	 * not yet sent ... send an ACK, drop the segment"; Linux sends a
	 * challenge ACK, ack_unsent_challenge). SND.UNA must not move. */
	for (int challenge = 0; challenge < 2; challenge++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.ack_unsent_challenge = challenge;
		struct dlg *d = dlg_new(&cfg);
		with_data_in_flight(d, 2920);
		for (int i = 1; i <= 100; i++) {
			dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + (uint32_t)i * 1000, DLG_WIN, NULL,
				 0, NULL);
			dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		}
		ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, challenge ? 100u : 0u);
		struct gt_tcp_info ti;
		dlg_info(d, d->sd, &ti);
		ASSERT_EQ(ti.unacked_bytes, 2920);
		ASSERT_EQ(ti.bytes_acked, 0);
		/* Data on an optimistic ACK is dropped with it. */
		dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt + 5000, DLG_WIN, "lie", 3, NULL);
		drain_track(d);
		char b[8];
		ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
		/* The true ACK still works. */
		dlg_peer_ack(d);
		dlg_info(d, d->sd, &ti);
		ASSERT_EQ(ti.unacked_bytes, 0);
		still_serving(d);
		dlg_free(d);
	}
}

TEST(hostile_ack_below_window_challenged)
{
	struct dlg *d = dlg_new(NULL);
	with_data_in_flight(d, 2920);
	dlg_peer_ack(d);
	/* RFC 5961 5.2: an ACK below SND.UNA - MAX.SND.WND is answered with a
	 * (rate-limited) challenge ACK and dropped, its data too. */
	uint64_t ch = dlg_stats(d)->TcpChallengeAcks;
	for (int i = 0; i < 100; i++)
		dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt - 70000 - (uint32_t)i, DLG_WIN,
			 "old", 3, NULL);
	ASSERT_EQ(drain_track(d), 100);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, ch + 100);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	still_serving(d);
	dlg_free(d);
}

/* ---- Zero-window attack ---------------------------------------------------- */

/* The peer ACKs everything sent with window 0, then answers each probe
 * with window 0 too, for hours. Returns the number of probes seen. */
static uint32_t hold_window_shut(struct dlg *d, uint64_t for_us, bool answer,
				 uint64_t *max_gap_us)
{
	uint32_t probes = 0;
	uint64_t end = d->now_us + for_us, last = d->now_us;
	*max_gap_us = 0;
	while (d->now_us < end) {
		uint64_t t = gt_stack_next_deadline(d->s);
		if (t == GT_NO_DEADLINE || t > end)
			break;
		dlg_advance(d, t - d->now_us);
		while (dlg_pending(d)) {
			const struct dlg_seg *g = dlg_next(d);
			/* One octet (BSD), or an ACK below SND.UNA (Linux's
			 * tcp_xmit_probe_skb(), cfg.persist_probe_old_seq). */
			if (g->len == 1 || (g->len == 0 && g->h.seq == d->snd_nxt - 1)) {
				probes++;
				if (d->now_us - last > *max_gap_us)
					*max_gap_us = d->now_us - last;
				last = d->now_us;
			}
		}
		if (answer)
			dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
	}
	dlg_advance(d, end > d->now_us ? end - d->now_us : 0);
	return probes;
}

TEST(hostile_zero_window_keeps_probing_bounded)
{
	/* A send buffer that starts as large as autotuning would make it
	 * here: Linux grows an unlocked one once as the first probe is
	 * answered (tcp_check_space() with nothing in flight,
	 * sndbuf-poll-nospace.pkt); this test is about the probes, and the
	 * buffer's memory must not move while they go on. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.sndbuf_bytes = 262144;
	struct dlg *d = dlg_new(&cfg);
	with_data_in_flight(d, 40000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
	/* Fill the send buffer while the window stays shut. */
	static char blob[65536];
	while (gt_send(d->s, d->sd, blob, sizeof(blob), 0) > 0)
		;
	struct gt_gauges g0, g1;
	gt_stack_gauges(d->s, &g0);
	uint64_t gap;
	uint32_t probes = hold_window_shut(d, 3600ull * 1000000, true, &gap);
	/* RFC 9293 3.8.6.1: probing goes on while the peer answers; the
	 * interval backs off to persist_max_us and stays there. */
	ASSERT_GE(probes, 25);
	ASSERT_LE(probes, 60);
	ASSERT_LE(gap, (uint64_t)d->cfg.persist_max_us + 1);
	ASSERT_EQ(dlg_stats(d)->TcpWinProbes, probes);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	gt_stack_gauges(d->s, &g1);
	ASSERT_EQ(g1.buffer_bytes, g0.buffer_bytes);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_LE(ti.notsent_bytes + ti.unacked_bytes, d->cfg.sndbuf_bytes);
	/* The window opens: the data flows again. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	ASSERT_GT(drain_track(d), 0);
	dlg_free(d);
}

TEST(hostile_zero_window_unanswered_probes_give_up)
{
	/* A peer that shuts its window and then vanishes: its probes go
	 * unanswered, and after data_retries of them (Linux: tcp_retries2)
	 * the connection ends with ETIMEDOUT and an RST, like unanswered
	 * retransmissions. */
	struct dlg *d = dlg_new(NULL);
	with_data_in_flight(d, 40000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
	uint64_t gap;
	uint32_t probes = hold_window_shut(d, 10ull * 3600 * 1000000, false, &gap);
	ASSERT_GE(probes, d->cfg.data_retries);
	ASSERT_LE(probes, d->cfg.data_retries + 1);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnTimeout, 1);
	dlg_free(d);
}

TEST(hostile_zero_window_orphan_ends_though_answered)
{
	/* The application closes a socket whose data sits behind a shut
	 * window, and the peer answers every probe. Linux's
	 * tcp_probe_timer() ends such an orphan once the backed-off RTO
	 * reaches tcp_rto_max (not "alive") and the backoff reaches
	 * tcp_orphan_retries (0 by default), answers or not: ETIMEDOUT,
	 * TcpAbortOnTimeout, no segment, its buffers freed. Before 4 Dec 2026
	 * it lived on in FIN_WAIT_1 for ever
	 * (tests/pkt/linux/window-zero-orphan-probes-answered-end.pkt). */
	struct dlg *d = dlg_new(NULL);
	with_data_in_flight(d, 40000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
	ASSERT_EQ(gt_send(d->s, d->sd, "tail", 4, 0), 4);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	d->sd = -1;
	uint64_t gap;
	uint32_t probes = hold_window_shut(d, 10ull * 3600 * 1000000, true, &gap);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.conns, 0);
	ASSERT_EQ(g.buffer_bytes, 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnTimeout, 1);
	/* RTO << backoff reached 120 s within a dozen probes. */
	ASSERT_GE(probes, 3);
	ASSERT_LE(probes, 14);
	dlg_free(d);
}

TEST(hostile_small_window_sender_does_not_stall)
{
	/* The peer offers a window smaller than an MSS and under half the
	 * largest it offered, and says nothing more. RFC 9293 3.8.6.2.1 (and
	 * RFC 1122 4.2.3.4): sender SWS avoidance holds the data back, but an
	 * override timeout must send it in the end. Fails while nothing is in
	 * flight and no timer is armed: the data waits forever, an orphan
	 * never ends (fuzz/crashers/conn_state-sws-stall). The window
	 * shrinks by an update with the handshake's SEQ and ACK, which only
	 * RFC 9293's rule takes (test_wnd_update.c). */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.wnd_update = GT_WND_UPDATE_RFC;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 257, NULL, 0, NULL);
	static char blob[2000];
	ASSERT_EQ(gt_send(d->s, d->sd, blob, sizeof(blob), 0), 2000);
	dlg_advance(d, 5000000);
	/* Sent (and resent while unacknowledged), never beyond the window. */
	uint32_t highest = 0;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		uint32_t end = g->h.seq + g->len - (d->iss + 1);
		if (end > highest)
			highest = end;
	}
	ASSERT_GT(highest, 0);
	ASSERT_LE(highest, 257);
	dlg_free(d);
}

/* ---- SYN flood -------------------------------------------------------------- */

/* A SYN from src:sport, as a spoofer sends it. */
static void spoofed_syn(struct dlg *d, uint32_t src, uint16_t sport, uint32_t seq)
{
	uint8_t pkt[DLG_PKT_MAX];
	uint8_t *seg = pkt + IPV4_HDR_MIN;
	struct tcp_hdr h = {
		.sport = sport, .dport = d->lport, .seq = seq, .doff_bytes = TCP_HDR_MIN,
		.flags = TH_SYN, .win = 65535,
	};
	tcp_emit(seg, &h, NULL, 0, 0, src, DLG_LADDR);
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = IPV4_HDR_MIN + TCP_HDR_MIN, .ttl = 64,
		.proto = IPPROTO_TCP_, .src = src, .dst = DLG_LADDR,
	};
	ipv4_emit(pkt, &ih);
	dlg_inject(d, pkt, IPV4_HDR_MIN + TCP_HDR_MIN);
}

/* 10,000 SYNs a second for two seconds from spoofed sources (10.0.x.y), then
 * the legitimate client (10.0.0.2:40000) tries to connect mid-flood. The
 * listener's backlog bounds its SYN queue in the Linux profile
 * (cfg.synq_backlog_linux: backlog + 1 half-open connections). */
static void syn_flood(struct dlg *d, int backlog)
{
	dlg_listen(d, DLG_LPORT);
	if (gt_listen(d->s, d->lsd, backlog) != 0)
		gt_test_fail(__FILE__, __LINE__, "listen(%d)", backlog);
	rng_state = 0xf100d;
	for (int i = 0; i < 20000; i++) {
		spoofed_syn(d, 0x0a010000u | (rnd() & 0xffff), (uint16_t)(1024 + rnd() % 60000),
			    rnd());
		if (i % 100 == 99) {
			dlg_drain(d);
			dlg_advance(d, 10000);
		}
	}
	dlg_drain(d);
}

TEST(hostile_syn_flood_without_cookies_starves_listener)
{
	/* The stack without SYN cookies (syncookies 0): the flood fills the
	 * SYN queue with half-open connections that live for the SYN-ACK
	 * retries (1+2+4+8+16+32 s, Linux profile), and a legitimate SYN in
	 * that time is dropped and counted. Linux's tcp_conn_request()
	 * without syncookies keeps the last quarter of tcp_max_syn_backlog
	 * for proven peers: with 64 and a backlog of 100, 49 half-open
	 * (64 - 49 < 16 drops the next). */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.max_syn_backlog = 64;
	cfg.syncookies = 0;
	struct dlg *d = dlg_new(&cfg);
	syn_flood(d, 100);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.conns_by_state[GT_TCP_SYN_RECEIVED], 49);
	ASSERT_EQ(g.conns, 49);
	/* Half-open connections hold a TCB each but no buffer memory. */
	ASSERT_EQ(g.buffer_bytes, 0);
	uint64_t drops = dlg_stats(d)->TcpSynDrops;
	ASSERT_EQ(drops, 20000 - 49);
	ASSERT_EQ(dlg_stats(d)->TcpReqQFullDrop, 0); /* the queue never passed the backlog */
	/* The legitimate client's SYN, and its retransmissions, go unanswered. */
	for (int i = 0; i < 3; i++) {
		dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
		dlg_expect_none(d);
		dlg_advance(d, 1000000u << i);
		dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, drops + 3);
	dlg_free(d);
}

TEST(hostile_syn_backlog_freed_when_half_open_time_out)
{
	/* After the flood the half-open connections time out (SYN-ACK
	 * retries, about 63 s) and their backlog slots come back: the next
	 * SYN is answered. Fails while tcp_conn_free() moves the TCB to
	 * CLOSED before listener_unlink() looks for SYN_RECEIVED, which then
	 * never decrements the listener's syn_len (docs/robustness.md). */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.max_syn_backlog = 64;
	cfg.syncookies = 0;
	struct dlg *d = dlg_new(&cfg);
	syn_flood(d, 100);
	ASSERT_EQ(dlg_conns(d), 49);
	dlg_advance(d, 120000000);
	dlg_drain(d);
	ASSERT_EQ(dlg_conns(d), 0);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.buffer_bytes, 0);
	uint64_t drops = dlg_stats(d)->TcpSynDrops;
	dlg_established_passive(d);
	ASSERT_EQ(dlg_stats(d)->TcpSynDrops, drops);
	still_serving(d);
	dlg_free(d);
}

TEST(hostile_syn_flood_with_cookies_serves_legit_client)
{
	/* The default (syncookies 1): once the SYN queue holds more than
	 * the listen backlog (63: 64 half-open), SYN-ACKs carry cookies
	 * (RFC 4987 3.6) and keep no state; the legitimate client's ACK
	 * rebuilds its connection. */
	struct gt_config cfg;
	dlg_config(&cfg);
	ASSERT_EQ(cfg.syncookies, 1);
	struct dlg *d = dlg_new(&cfg);
	syn_flood(d, 63);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.conns, 64);
	ASSERT_GE(dlg_stats(d)->TcpSyncookiesSent, 20000 - 64);
	ASSERT_EQ(dlg_stats(d)->TcpReqQFullDoCookies, dlg_stats(d)->TcpSyncookiesSent);
	dlg_send(d, TH_SYN, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *sa = dlg_next(d);
	ASSERT_EQ(sa->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(sa->h.ack, DLG_PEER_ISS + 1);
	d->iss = sa->h.seq;
	d->snd_nxt = d->iss + 1;
	d->peer_nxt = DLG_PEER_ISS + 1;
	dlg_peer_ack(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	still_serving(d);
	dlg_free(d);
}

/* ---- Every combination of flags -------------------------------------------- */

TEST(hostile_every_flag_combination_established)
{
	/* RFC 9293 3.10.7.4 with RFC 5961: an exact RST resets; a SYN gets a
	 * challenge ACK; without ACK the segment is dropped; a FIN with ACK
	 * moves to CLOSE_WAIT; URG, ECE, CWR and PSH change nothing. */
	for (int with_data = 0; with_data < 2; with_data++) {
		for (unsigned fl = 0; fl < 256; fl++) {
			struct dlg *d = dlg_new(NULL);
			dlg_established_passive(d);
			uint8_t f = (uint8_t)fl;
			dlg_send(d, f, d->peer_nxt, d->snd_nxt, DLG_WIN, "data", with_data ? 4 : 0,
				 NULL);
			dlg_advance(d, 100000);
			drain_track(d);
			ASSERT_EQ(dlg_stats(d)->TcpInErrs, 0);
			char b[8];
			ssize_t got = gt_recv(d->s, d->sd, b, sizeof(b), 0);
			if (f & TH_RST) {
				ASSERT_EQ(got, -ECONNRESET);
				ASSERT_EQ(dlg_conns(d), 0);
			} else if (f & TH_SYN) {
				ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
				DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
				ASSERT_EQ(got, -EAGAIN);
			} else if (!(f & TH_ACK)) {
				DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
				ASSERT_EQ(got, -EAGAIN);
			} else {
				DLG_ASSERT_STATE(d, d->sd, (f & TH_FIN) ? GT_TCP_CLOSE_WAIT
									: GT_TCP_ESTABLISHED);
				ASSERT_EQ(got, with_data ? 4 : ((f & TH_FIN) ? 0 : -EAGAIN));
			}
			if (dlg_conns(d) && !(f & TH_FIN))
				still_serving(d);
			dlg_free(d);
		}
	}
}

TEST(hostile_every_flag_combination_listener)
{
	/* RFC 9293 3.10.7.2: at a listener an RST is ignored, an ACK gets an
	 * RST at its acknowledgment number, a SYN opens a connection, and
	 * anything else is dropped. The listener keeps serving. */
	struct dlg *d = dlg_new(NULL);
	dlg_listen(d, DLG_LPORT);
	for (unsigned fl = 0; fl < 256; fl++) {
		uint8_t f = (uint8_t)fl;
		d->rport = (uint16_t)(20000 + fl);
		uint64_t syns = dlg_stats(d)->TcpPassiveOpens;
		dlg_send(d, f, 5000, 7000, DLG_WIN, NULL, 0, NULL);
		if (f & TH_RST) {
			dlg_expect_none(d);
		} else if (f & TH_ACK) {
			/* A SYN-ACK or any ACK: a cookie check fails, then RST. */
			dlg_expect(d, TH_RST, 7000, 0);
		} else if (f & TH_SYN) {
			const struct dlg_seg *g = dlg_next(d);
			/* RFC 3168 6.1.1: ECE and CWR together ask for ECN,
			 * which the default (ecn 2) grants with ECE. */
			bool ecn = (f & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR);
			ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | (ecn ? TH_ECE : 0));
			ASSERT_EQ(g->h.ack, 5001);
			ASSERT_EQ(dlg_stats(d)->TcpPassiveOpens, syns + 1);
			/* Finish it with an RST so the backlog does not fill. */
			dlg_send(d, TH_RST, 5001, 0, 0, NULL, 0, NULL);
		} else {
			dlg_expect_none(d);
		}
		dlg_expect_none(d);
		ASSERT_EQ(dlg_conns(d), 0);
	}
	ASSERT_EQ(dlg_stats(d)->TcpInErrs, 0);
	d->rport = DLG_RPORT;
	dlg_established_passive(d);
	still_serving(d);
	dlg_free(d);
}
