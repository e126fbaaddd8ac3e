/* Dialogues in TIME-WAIT (RFC 9293 3.10.7.4, 3.6.1): 2*MSL exactly, the
 * retransmitted FIN re-ACKed with the timer restarted, RST ignored
 * (RFC 1337) or accepted, old segments ACKed, a new SYN reusing the pair
 * (RFC 6191, RFC 9293 3.10.7.4 "TIME-WAIT"), and the compact entry holding no
 * connection or buffers. */
#include "dlg.h"

TEST(time_wait_lasts_exactly_two_msl)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	uint64_t two_msl = 2ull * d->cfg.msl_ms * 1000;
	ASSERT_EQ(two_msl, 60000000);
	dlg_advance(d, two_msl - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWExpired, 1);
	dlg_expect_none(d);
	ASSERT_EQ(gt_stack_next_deadline(d->s), GT_NO_DEADLINE);
	/* The pair is closed: a segment now meets the listener's answer. */
	dlg_peer_fin(d);
	dlg_expect(d, TH_RST, d->snd_nxt, 0);
	dlg_free(d);
}

TEST(time_wait_retransmitted_fin_reacked_and_timer_restarted)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	uint64_t two_msl = 2ull * d->cfg.msl_ms * 1000;
	dlg_advance(d, 10000000);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TWFinReacked, 1);
	dlg_advance(d, two_msl - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

TEST(time_wait_rst_ignored_rfc1337)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rfc1337 = true; /* net.ipv4.tcp_rfc1337=1; the FreeBSD profile's */
	struct dlg *d = dlg_new(&cfg);
	dlg_time_wait(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_stats(d)->TWRstIgnored, 1);
	dlg_free(d);
}

/* Linux's default (tcp_rfc1337=0, tcp_timewait_state_process()): an RST at
 * exactly RCV.NXT ends the entry; one anywhere else is dropped. Swarm seed
 * 15008565: the entry ignored the RST a client sent to clear it, and the
 * client's connect() timed out. */
TEST(time_wait_rst_at_rcv_nxt_ends_it_by_linux_default)
{
	struct dlg *d = dlg_new(NULL);
	ASSERT(!d->cfg.rfc1337);
	dlg_time_wait(d);
	dlg_send(d, TH_RST, d->peer_nxt + 1, 0, 0, NULL, 0, NULL);
	dlg_send(d, TH_RST | TH_ACK, d->peer_nxt - 1, d->snd_nxt, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_stats(d)->TWRstIgnored, 2);
	dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWKilledRst, 1);
	ASSERT_EQ(gt_stack_next_deadline(d->s), GT_NO_DEADLINE);
	/* The pair is free: the old connection's FIN meets the listener. */
	dlg_peer_fin(d);
	dlg_expect(d, TH_RST, d->snd_nxt, 0);
	dlg_free(d);
}

TEST(time_wait_old_duplicate_data_acked)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt - 5, d->snd_nxt, DLG_WIN, "old!!", 5, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_free(d);
}

TEST(time_wait_pure_ack_gets_nothing)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_free(d);
}

TEST(time_wait_new_syn_with_higher_seq_reopens)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	uint32_t old_snd_nxt = d->snd_nxt;
	uint32_t syn_seq = d->peer_nxt + 100000;
	dlg_send(d, TH_SYN, syn_seq, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, syn_seq + 1);
	/* RFC 9293 3.10.7.4 / RFC 6191: the new ISS lies beyond the old
	 * connection's sequence space. */
	ASSERT((int32_t)(g->h.seq - old_snd_nxt) > 0);
	uint32_t iss = g->h.seq;
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_send(d, TH_ACK, syn_seq + 1, iss + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	DLG_ASSERT_STATE(d, sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

TEST(time_wait_syn_with_lower_seq_not_reused)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 0);
	dlg_free(d);
}

static struct dlg *ts_time_wait(void)
{
	struct dlg *d = dlg_new_ts(NULL);
	d->peer_tsval = 5000;
	dlg_time_wait(d);
	return d;
}

TEST(time_wait_syn_with_old_timestamp_not_reused)
{
	struct dlg *d = ts_time_wait();
	/* Higher sequence number, but a TSval older than TS.Recent: RFC 6191 2
	 * says the timestamp decides. */
	struct tcp_opts o = d->peer_syn_opts;
	o.ts_val = 4000;
	o.ts_ecr = 0;
	dlg_send(d, TH_SYN, d->peer_nxt + 100000, 0, DLG_WIN, NULL, 0, &o);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT(g->h.opts.has_ts);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 0);
	dlg_free(d);
}

TEST(time_wait_syn_with_newer_timestamp_reused)
{
	struct dlg *d = ts_time_wait();
	/* RFC 6191 2: a newer TSval allows reuse even with a lower sequence. */
	struct tcp_opts o = d->peer_syn_opts;
	o.ts_val = 9000;
	o.ts_ecr = 0;
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &o);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.ack, d->peer_nxt - 999);
	ASSERT_EQ(g->h.opts.ts_ecr, 9000);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 1);
	dlg_free(d);
}

/* An RST at RCV.NXT that PAWS rejects leaves the entry (Linux's
 * tcp_timewait_state_process(): "!paws_reject && seq == rcv_nxt"); one
 * without a timestamp is not judged by PAWS and ends it. */
TEST(time_wait_rst_with_old_timestamp_kept)
{
	struct dlg *d = ts_time_wait();
	struct tcp_opts o = dlg_opts_ts(4000, 0);
	dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, &o);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_stats(d)->TWRstIgnored, 1);
	dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWKilledRst, 1);
	dlg_free(d);
}

/* Linux restarts the 60 s for what TIME_WAIT accepts or answers: a pure
 * ACK at RCV.NXT (answered with nothing, its timestamp taken) and an old
 * segment (answered); an old SYN without an ACK is answered and does not
 * restart it (inet_twsk_reschedule() in tcp_timewait_state_process()). */
TEST(time_wait_linux_restarts_on_an_ack_not_on_a_syn)
{
	struct dlg *d = ts_time_wait();
	uint64_t two_msl = 2ull * d->cfg.msl_ms * 1000;
	dlg_advance(d, 10000000);
	struct tcp_opts o = dlg_opts_ts(6000, 0);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	dlg_expect_none(d);
	/* 40 s later an old SYN (a TSval no newer, a lower sequence):
	 * answered, timer kept. */
	dlg_advance(d, 40000000);
	o = dlg_opts_ts(6000, 0);
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &o);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->h.opts.ts_ecr, 6000); /* the ACK's TSval was taken */
	dlg_advance(d, two_msl - 40000000 - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWExpired, 1);
	dlg_free(d);
}

TEST(time_wait_linux_restarts_on_an_old_segment)
{
	struct dlg *d = dlg_new(NULL);
	uint64_t two_msl = 2ull * d->cfg.msl_ms * 1000;
	dlg_time_wait(d);
	dlg_advance(d, 30000000);
	dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_advance(d, two_msl - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

/* A segment without the ACK bit: Linux answers it and keeps the deadline
 * (tcp_timewait_state_process() does not look for the bit); FreeBSD's
 * tcp_twcheck() drops it, as RFC 9293 3.10.7.4 says. */
TEST(time_wait_segment_without_ack_linux_answers_freebsd_drops)
{
	struct dlg *d = dlg_new(NULL);
	uint64_t two_msl = 2ull * d->cfg.msl_ms * 1000;
	dlg_time_wait(d);
	dlg_advance(d, 10000000);
	dlg_send(d, TH_FIN, d->peer_nxt - 1, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_send(d, TH_PSH, d->peer_nxt, 0, DLG_WIN, "late!", 5, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_advance(d, two_msl - 10000000);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);

	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.tw_bsd_check = true; /* the FreeBSD profile's */
	d = dlg_new(&cfg);
	dlg_time_wait(d);
	dlg_send(d, TH_FIN, d->peer_nxt - 1, 0, DLG_WIN, NULL, 0, NULL);
	dlg_send(d, TH_PSH, d->peer_nxt, 0, DLG_WIN, "late!", 5, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_free(d);
}

/* FreeBSD's tcp_twcheck() restarts the timer on a duplicate FIN only
 * (tcp_tw_2msl_reset()). */
TEST(time_wait_freebsd_keeps_its_deadline_on_an_ack)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	cfg.opt_timestamps = false;
	struct dlg *d = dlg_new(&cfg);
	uint64_t two_msl = 2ull * d->cfg.msl_ms * 1000;
	dlg_time_wait(d);
	dlg_advance(d, 10000000);
	dlg_peer_ack(d);
	dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL);
	ASSERT_EQ(dlg_stats(d)->TWRstIgnored, 1);
	dlg_advance(d, two_msl - 10000000 - 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

/* Linux answers an old SYN at most once per tcp_invalid_ratelimit (500 ms)
 * per entry (tcp_timewait_check_oow_rate_limit(); tcp_oow_rate_limited()
 * limits a SYN), counted TcpAckSkipped. */
TEST(time_wait_old_syn_answered_once_per_window)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.oow_ack_window_ms = 500; /* the Linux profile's */
	struct dlg *d = dlg_new(&cfg);
	dlg_time_wait(d);
	/* The entry keeps the 500 ms period of its last answer, so the
	 * first SYN comes at a period's start (tw_answer_allowed()). */
	dlg_advance(d, 1000000 - d->now_us % 500000);
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_advance(d, 100000);
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 1);
	dlg_advance(d, 500000);
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_free(d);
}

TEST(time_wait_holds_no_connection_or_buffers)
{
	struct dlg *d = dlg_new(NULL);
	dlg_time_wait(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	ASSERT_EQ(gt_close(d->s, d->lsd), 0);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.timewait, 1);
	ASSERT_EQ(g.conns, 0);
	ASSERT_EQ(g.buffer_bytes, 0);
	ASSERT_EQ(g.sockets, 0);
	ASSERT_GT(g.timewait_bytes, 0);
	ASSERT_EQ(g.conns_by_state[GT_TCP_TIME_WAIT], 1);
	/* Without the listener the entry still answers for the pair. */
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_free(d);
}

TEST(time_wait_active_connect_to_same_pair_refused)
{
	/* The active closer's TIME_WAIT blocks a connect() from the same
	 * local port to the same peer. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_active(d);
	uint16_t lport = d->lport;
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt++;
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_timewait(d), 1);
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr me = {.family = GT_AF_INET, .port = lport, .addr = DLG_LADDR};
	struct gt_sockaddr peer = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	int one = 1;
	gt_setsockopt(d->s, sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one));
	gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one));
	gt_close(d->s, d->sd);
	ASSERT_EQ(gt_bind(d->s, sd, &me), 0);
	ASSERT_EQ(gt_connect(d->s, sd, &peer), -EADDRNOTAVAIL);
	dlg_expect_none(d);
	dlg_free(d);
}

/* Linux profile (tcp_timewait_check_oow_rate_limit()): old pure ACKs (a
 * reordered burst, or a peer that answers our answers) draw one ACK per
 * tcp_invalid_ratelimit (500 ms), the rest counted in TcpAckSkipped; a
 * segment with data or a FIN is answered every time. FreeBSD's
 * tcp_twcheck() answers each. */
TEST(time_wait_old_pure_acks_answered_once_per_500_ms)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.oow_ack_window_ms = 500; /* the Linux profile's */
	ASSERT(cfg.tw_ack_ratelimit);
	struct dlg *d = dlg_new(&cfg);
	dlg_time_wait(d);
	for (int i = 0; i < 5; i++)
		dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 4);
	/* Data and a FIN: answered, whatever the limit. */
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt - 5, d->snd_nxt, DLG_WIN, "old!!", 5, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	/* The next period: one more. */
	dlg_advance(d, 500000);
	dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 5);
	dlg_free(d);
}

TEST(time_wait_freebsd_answers_every_old_ack)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.oow_ack_window_ms = 500;
	cfg.tw_ack_ratelimit = false;
	struct dlg *d = dlg_new(&cfg);
	dlg_time_wait(d);
	for (int i = 0; i < 3; i++) {
		dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	}
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 0);
	dlg_free(d);
}

/* The entry keeps the socket's IP_TOS for its ACKs, as Linux's tcp_time_wait()
 * keeps tw_tos for tcp_v4_timewait_ack(), DSCP bits only; the TTL is the
 * stack's default, not the socket's IP_TTL (Linux answers from its control
 * socket). The ACK that enters TIME_WAIT comes from the connection: both. */
TEST(time_wait_acks_keep_ip_tos_with_default_ttl)
{
	struct dlg *d = dlg_new(NULL);
	dlg_fin_wait_2(d);
	int v = 0xb8 | 3;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TOS, &v, sizeof(v)), 0);
	v = 5;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TTL, &v, sizeof(v)), 0);
	dlg_peer_fin(d);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0xb8);
	ASSERT_EQ(g->ttl, 5);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	d->sd = -1;
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0xb8);
	ASSERT_EQ(g->ttl, GT_IP_DEFAULT_TTL);
	/* Moved to the ring's tail by the restarted timer, it keeps it. */
	dlg_send(d, TH_ACK, d->peer_nxt - 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0xb8);
	dlg_free(d);
}

static int drop_packet(void *ctx, const void *pkt, size_t len)
{
	(void)ctx, (void)pkt, (void)len;
	return 0;
}

/* The hash chain of an entry is 24 bits: max_timewait past 2^21 is refused. */
TEST(time_wait_max_entries_bounded_by_chain_width)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_device dev = {.transmit = drop_packet, .mtu = 1500};
	cfg.max_timewait = (1u << 21) + 1;
	ASSERT(gt_stack_new(&cfg, &dev) == NULL);
	cfg.max_timewait = 1u << 21;
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	gt_stack_free(s);
}

/* FreeBSD's tcp_twcheck() drops a SYN not above the old connection's
 * sequence, no answer, where the Linux profile sends a challenge ACK
 * (time_wait_syn_with_lower_seq_not_reused); the drop is counted, so a
 * connect() that times out against it has its reason (swarm seed
 * 12001223: ISNs near 2^32 put a new SYN below the old end). */
TEST(time_wait_freebsd_drops_a_syn_below_its_sequence_counted)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.tw_bsd_check = true; /* the FreeBSD profile's */
	struct dlg *d = dlg_new(&cfg);
	dlg_time_wait(d);
	dlg_send(d, TH_SYN, d->peer_nxt - 1000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 0);
	ASSERT_EQ(dlg_stats(d)->TWSynDropped, 1);
	dlg_free(d);
}
