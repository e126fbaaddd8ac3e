/* A TCB's lifetime and the stack's clock: regression tests for bugs that a
 * shared ownership of TCBs and 32-bit times hid. Each failed before its fix
 * (the commit that added it says how), and each runs through the public API
 * with the whole-stack invariant checker after every step (dlg.c). */
#include "dlg.h"

#include "tcp/tcp.h"
#include "tcp/tcp_check.h"

#define SEC 1000000ull

static uint32_t count_flags(struct dlg *d, uint8_t flags)
{
	uint32_t n = 0;
	while (dlg_pending(d))
		if (dlg_next(d)->h.flags & flags)
			n++;
	return n;
}

/* An established connection with 10 bytes held back by the peer's zero
 * window: the persist timer owns it. */
static struct dlg *zero_window_with_data(void)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 0, NULL, 0, NULL);
	ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, 0), 10);
	return d;
}

/* A zero window, then close() with SO_LINGER {1, 3600} and a silent peer:
 * the persist timer gives up (RFC 9293 3.8.6.1, R2) and aborts. The abort
 * frees the TCB inside the timer run; the linger deadline must die with it
 * (it used to put the freed TCB back in the timer heap: a second RST at the
 * linger deadline, a double free, and a connection count of 2^32 - 1 that
 * refused every later connect() with ENOBUFS). */
TEST(lifetime_persist_abort_under_linger_frees_once)
{
	struct dlg *d = zero_window_with_data();
	struct gt_linger l = {1, 3600};
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof(l)), 0);
	ASSERT_EQ(gt_close(d->s, d->sd), -EWOULDBLOCK);
	dlg_check(d);
	/* The peer never answers a probe: past the persist limit, then past
	 * the linger deadline. */
	dlg_advance(d, 4000 * SEC);
	/* Linux's tcp_write_err() sends nothing (before 4 Dec 2026 the
	 * profile sent an RST: window-zero-probes-unanswered-abort-silently.pkt). */
	ASSERT_EQ(count_flags(d, TH_RST), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnTimeout, 1);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnLinger, 0);
	ASSERT_EQ(dlg_conns(d), 0);
	/* The lingering close() learns the end and frees the descriptor. */
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_check(d);
	/* The stack still opens connections. */
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = 5001, .addr = DLG_RADDR};
	ASSERT_EQ(gt_connect(d->s, sd, &a), -EINPROGRESS);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_check(d);
	dlg_free(d);
}

/* The same abort with the descriptor already gone (an orphan gives up after
 * 8 probes, as Linux's tcp_orphan_retries 0 while "alive"): no segment,
 * one free. */
TEST(lifetime_orphan_persist_abort_frees_once)
{
	struct dlg *d = zero_window_with_data();
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	dlg_advance(d, 4000 * SEC);
	ASSERT_EQ(count_flags(d, TH_RST), 0);
	ASSERT_EQ(dlg_stats(d)->TcpAbortOnTimeout, 1);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_stats(d)->TcpWinProbes, 8);
	dlg_free(d);
}

/* The active closer in TIME_WAIT, reached by a real dialogue. */
static struct dlg *in_time_wait(void)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_active(d);
	dlg_time_wait(d);
	return d;
}

/* TIME_WAIT deadlines must hold across a poll gap of any length: a process
 * stopped for 40 minutes (more than 2^31 us) used to find its entries
 * unexpired for another half hour, and answered the peer's segments as
 * TIME_WAIT. */
TEST(lifetime_time_wait_ends_after_long_poll_gap)
{
	struct dlg *d = in_time_wait();
	ASSERT_EQ(dlg_timewait(d), 1);
	d->now_us += 2400 * SEC; /* no poll in between */
	gt_stack_poll(d->s, d->now_us);
	dlg_check(d);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWExpired, 1);
	dlg_free(d);
}

/* The same gap ended by a segment rather than a poll: the entry has expired,
 * so the peer's late FIN meets a closed port (RST), not a TIME_WAIT re-ACK. */
TEST(lifetime_time_wait_expired_before_input_after_long_gap)
{
	struct dlg *d = in_time_wait();
	d->now_us += 2400 * SEC;
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, d->snd_nxt, 0);
	ASSERT_EQ(dlg_stats(d)->TWFinReacked, 0);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

/* Gaps just under and at 2^32 us: every entry that is due goes, none early. */
TEST(lifetime_time_wait_gap_sweep)
{
	static const uint64_t gaps_s[] = {59, 61, 2147, 2148, 2208, 4294, 4295, 4356, 90000};
	for (size_t i = 0; i < sizeof(gaps_s) / sizeof(gaps_s[0]); i++) {
		struct dlg *d = in_time_wait();
		d->now_us += gaps_s[i] * SEC;
		gt_stack_poll(d->s, d->now_us);
		dlg_check(d);
		/* 2MSL is 60 s in the Linux profile. */
		ASSERT_EQ(dlg_timewait(d), gaps_s[i] < 60 ? 1u : 0u);
		dlg_free(d);
	}
}

/* connect() with a connect timeout, then a poll gap of 2^32 us and 10 s:
 * the handshake has run far past its limit and must fail, not send a SYN
 * because a 32-bit start time wrapped to look 10 s old. */
TEST(lifetime_connect_timeout_after_long_poll_gap)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.connect_timeout_ms = 75000;
	struct dlg *d = dlg_new(&cfg);
	dlg_syn_sent(d);
	d->now_us += (1ull << 32) + 10 * SEC;
	gt_stack_poll(d->s, d->now_us);
	dlg_check(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_conns(d), 0);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
	dlg_free(d);
}

/* A SYN-ACK that comes after a pause of 2^32 us + 5 ms times the handshake
 * at what really passed, not at 5 ms (Karn's timer, RFC 6298 2.1 and 3). */
TEST(lifetime_handshake_rtt_after_long_gap)
{
	struct dlg *d = dlg_new(NULL);
	dlg_syn_sent(d);
	d->now_us += (1ull << 32) + 5000;
	dlg_send(d, TH_SYN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0,
		 &d->peer_syn_opts);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.state, GT_TCP_ESTABLISHED);
	ASSERT_GT(ti.srtt_us, 1000000000u);
	ASSERT_EQ(ti.rto_us, d->cfg.rto_max_us);
	dlg_free(d);
}

/* The timestamp RTT (RFC 7323 4.1): an echo from the future or one too old
 * to be timed in microseconds gives no sample. With the echo as the only
 * source: Linux's order (cfg.rtt_exact_first) times data sent once itself
 * first, SACK or not (lifetime_ts_future_echo_linux_times_the_data). */
TEST(lifetime_ts_rtt_sample_rejects_future_and_ancient_echoes)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rtt_exact_first = false;
	struct dlg *d = dlg_new_ts(&cfg);
	dlg_established_passive(d);
	struct gt_tcp_info t0, t1;
	dlg_info(d, d->sd, &t0);
	ASSERT(t0.ts_ok);
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), 1);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT(g->h.opts.has_ts);
	uint32_t tsval = g->h.opts.ts_val;
	d->snd_nxt += 1;
	/* An echo 1 s ahead of anything sent. */
	d->now_us += 20000;
	struct tcp_opts o = dlg_opts_ts(++d->peer_tsval, tsval + 1000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	dlg_info(d, d->sd, &t1);
	ASSERT_EQ(t1.srtt_us, t0.srtt_us);
	ASSERT_EQ(t1.rto_us, t0.rto_us);
	/* An echo 72 minutes old: (now - TSecr) * 1000 would not fit in 32 bits. */
	ASSERT_EQ(gt_send(d->s, d->sd, "y", 1, 0), 1);
	dlg_drain(d);
	d->snd_nxt += 1;
	d->now_us += 72ull * 60 * SEC;
	o = dlg_opts_ts(++d->peer_tsval, tsval);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	dlg_info(d, d->sd, &t1);
	ASSERT_EQ(t1.unacked_bytes, 0);
	ASSERT_EQ(t1.srtt_us, t0.srtt_us);
	dlg_free(d);
}

/* The future echo under Linux's order (cfg.rtt_exact_first): data sent
 * once is timed itself (tcp_clean_rtx_queue()'s first_ackt, before the
 * echo in tcp_ack_update_rtt()), 20 ms, whatever the echo says; data
 * retransmitted has no timing of its own (FLAG_RETRANS_DATA_ACKED), and
 * the future echo then gives no sample: SRTT and the backoff stay (Linux
 * 6.18.44: tests/pkt/linux/rtt-no-sack-future-echo-exact-time.pkt). */
TEST(lifetime_ts_future_echo_linux_times_the_data)
{
	struct dlg *d = dlg_new_ts(NULL);
	ASSERT(d->cfg.rtt_exact_first);
	dlg_established_passive(d);
	struct gt_tcp_info t0, t1, t2;
	dlg_info(d, d->sd, &t0);
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, 0), 1);
	uint32_t tsval = dlg_next(d)->h.opts.ts_val;
	d->snd_nxt += 1;
	d->now_us += 20000;
	struct tcp_opts o = dlg_opts_ts(++d->peer_tsval, tsval + 1000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	dlg_info(d, d->sd, &t1);
	ASSERT_EQ(t1.unacked_bytes, 0);
	/* SRTT + (20 ms - SRTT) / 8 (RFC 6298 2.3). */
	ASSERT_GT(t1.srtt_us, t0.srtt_us + 2000);
	ASSERT_LT(t1.srtt_us, t0.srtt_us + 2600);
	/* Retransmitted, then acknowledged with a future echo. */
	ASSERT_EQ(gt_send(d->s, d->sd, "y", 1, 0), 1);
	tsval = dlg_next(d)->h.opts.ts_val;
	dlg_advance(d, t1.rto_us);
	dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt += 1;
	dlg_info(d, d->sd, &t2);
	ASSERT_EQ(t2.backoff, 1);
	d->now_us += 20000;
	o = dlg_opts_ts(++d->peer_tsval, tsval + 10000);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	dlg_info(d, d->sd, &t2);
	ASSERT_EQ(t2.unacked_bytes, 0);
	ASSERT_EQ(t2.srtt_us, t1.srtt_us);
	ASSERT_EQ(t2.backoff, 1);
	dlg_free(d);
}

/* CUBIC's epoch must not wrap: an ACK 2^32 ms after the epoch began is far
 * from the epoch's start, where W_cubic(t) (RFC 9438 4.2) is past W_max. */
TEST(lifetime_cubic_epoch_does_not_wrap)
{
	struct tcp_conn a, b;
	memset(&a, 0, sizeof(a));
	a.mss = 1000;
	a.srtt_us = 100000;
	tcp_cc_cubic.init(&a);
	a.cwnd = 100000;
	tcp_cc_cubic.on_loss(&a, 10 * SEC); /* W_max 100 segments, cwnd 70 */
	a.cwnd = a.ssthresh;
	b = a;
	tcp_cc_cubic.on_ack(&a, 1000, 11 * SEC); /* the epoch starts */
	b = a;
	uint32_t before = a.cwnd;
	/* One second later, K (about 4.2 s) not reached: concave growth. */
	tcp_cc_cubic.on_ack(&a, 1000, 12 * SEC);
	/* 2^32 ms later: far past K, the per-RTT growth cap. */
	tcp_cc_cubic.on_ack(&b, 1000, 11 * SEC + (1ull << 32) * 1000 + SEC);
	ASSERT_GT(a.cwnd, before);
	ASSERT_GT(b.cwnd, a.cwnd);
}

/* RFC 9293 3.3.2's diagram as the legality table: every edge of figure 5
 * is allowed, every state may be aborted to CLOSED, and nothing else but
 * SYN_SENT -> FIN_WAIT_1, FreeBSD's "SYN_SENT* --> FIN_WAIT_1" after
 * shutdown(SHUT_WR) before the SYN-ACK (cfg.shut_wr_synsent_needfin). */
TEST(lifetime_state_table_is_rfc9293_diagram)
{
	enum { C = GT_TCP_CLOSED, L = GT_TCP_LISTEN, SS = GT_TCP_SYN_SENT,
	       SR = GT_TCP_SYN_RECEIVED, E = GT_TCP_ESTABLISHED, F1 = GT_TCP_FIN_WAIT_1,
	       F2 = GT_TCP_FIN_WAIT_2, CW = GT_TCP_CLOSE_WAIT, CG = GT_TCP_CLOSING,
	       LA = GT_TCP_LAST_ACK, TW = GT_TCP_TIME_WAIT };
	static const uint8_t edges[][2] = {
		{C, SS}, {C, SR}, {SS, SR}, {SS, E}, {SR, E}, {SR, CW}, {SR, F1}, {E, F1},
		{E, CW}, {F1, F2}, {F1, CG}, {F1, TW}, {F2, TW}, {CW, LA}, {CG, TW}, {SS, F1},
	};
	for (int from = 0; from < GT_TCP_NSTATES; from++) {
		for (int to = 0; to < GT_TCP_NSTATES; to++) {
			bool want = to == C && from != C && from != L;
			for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
				if (edges[i][0] == from && edges[i][1] == to)
					want = true;
			if (tcp_state_legal((uint8_t)from, (uint8_t)to) != want)
				gt_test_fail(__FILE__, __LINE__, "%s -> %s: legal %d, want %d",
					     gt_tcp_state_name(from), gt_tcp_state_name(to), !want, want);
		}
	}
}

static struct tcp_conn *the_conn;

static void find_conn(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	(void)s;
	(void)ctx;
	the_conn = c;
}

/* The checker fails on an illegal move, in every build: here a TCB in
 * ESTABLISHED is sent straight to LAST_ACK, an edge no diagram has. */
TEST(lifetime_illegal_transition_fails_the_checker)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	the_conn = NULL;
	tcp_foreach(d->s, find_conn, NULL);
	ASSERT(the_conn != NULL);
	tcp_set_state(d->s, the_conn, GT_TCP_LAST_ACK, "test: not an edge");
	char why[256];
	ASSERT(!tcp_check_all(d->s, why, sizeof(why)));
	ASSERT_EQ(d->s->bugs, 1);
	ASSERT(strstr(d->s->bug_why, "illegal state transition") != NULL);
	dlg_free(d);
}

/* A second free of the same TCB is caught, not a loop in the free list. */
TEST(lifetime_double_free_fails_the_checker)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_close(d->s, d->sd), 0);
	the_conn = NULL;
	tcp_foreach(d->s, find_conn, NULL);
	ASSERT(the_conn != NULL);
	tcp_conn_free(d->s, the_conn, 0);
	tcp_conn_free(d->s, the_conn, 0);
	char why[256];
	ASSERT(!tcp_check_all(d->s, why, sizeof(why)));
	ASSERT(strstr(why, "TCB freed twice") != NULL);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}
