/* Dialogues for the ACKs of an input batch (cfg.ack_defer_batch): the
 * regular ACK a connection's in-order data asks for waits for the end of
 * gt_stack_input_batch() and goes once, as Linux 6.7+ ACKs a socket's
 * backlog (__tcp_ack_snd_check() sets TCP_ACK_DEFERRED, tcp_release_cb()
 * sends one ACK); gt_stack_input() is a batch of one. */
#include "dlg.h"

#define NSEG 10

static uint8_t data[NSEG * DLG_MSS];
static uint8_t pkts[NSEG][DLG_PKT_MAX];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
}

/* Segments k of the peer's stream (full-sized, from base), in the order
 * given, handed to the stack in one batch. */
static void batch(struct dlg *d, uint32_t base, const int *k, size_t n)
{
	struct gt_iovec v[NSEG];
	for (size_t i = 0; i < n; i++) {
		size_t len = dlg_build(d, pkts[i], TH_ACK, base + (uint32_t)k[i] * DLG_MSS, d->snd_nxt,
				       DLG_WIN, data + (size_t)k[i] * DLG_MSS, DLG_MSS, NULL);
		v[i] = (struct gt_iovec){pkts[i], len};
	}
	gt_stack_input_batch(d->s, d->now_us, v, n);
	dlg_check(d);
}

static void read_all(struct dlg *d, size_t n)
{
	static uint8_t got[NSEG * DLG_MSS + 1];
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), (ssize_t)n);
	ASSERT_MEMEQ(got, data, n);
}

TEST(ack_batch_in_order_segments_acked_once)
{
	/* Ten full segments in one batch: the second asks for an ACK
	 * (RFC 1122 4.2.3.2, Linux: more than one rcv_mss unACKed), and so
	 * does each one after it, but one ACK goes, at the batch's end, for
	 * all ten. Before, one every second segment: five. */
	fill();
	struct dlg *d = dlg_new(NULL);
	ASSERT(d->cfg.ack_defer_batch);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	const int k[NSEG] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	batch(d, base, k, NSEG);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base + NSEG * DLG_MSS);
	ASSERT_EQ(g->len, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckDeferred, NSEG - 1);
	ASSERT_EQ(dlg_stats(d)->TcpAckDeferredSent, 1);
	/* That ACK stopped the delayed-ACK timer the first segment armed. */
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpDelayedAcks, 0);
	read_all(d, NSEG * DLG_MSS);
	dlg_free(d);
}

TEST(ack_batch_odd_count_acks_the_last_segment_at_once)
{
	/* Three: Linux holds the second's ACK and the third's to the end,
	 * one ACK for all three; before, the second was ACKed at once and
	 * the third waited for the delayed-ACK timer. */
	fill();
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	const int k[3] = {0, 1, 2};
	batch(d, base, k, 3);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 3 * DLG_MSS);
	dlg_expect_none(d);
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	read_all(d, 3 * DLG_MSS);
	dlg_free(d);
}

TEST(ack_batch_lone_packets_unchanged)
{
	/* gt_stack_input() and a batch of one: the first full segment waits
	 * for the delayed-ACK timer, the second is ACKed at once. */
	fill();
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	const int k0[1] = {0};
	batch(d, base, k0, 1);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, base + DLG_MSS, d->snd_nxt, DLG_WIN, data + DLG_MSS, DLG_MSS, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 2 * DLG_MSS);
	dlg_expect_none(d);
	const int k2[1] = {2};
	batch(d, base, k2, 1);
	dlg_expect_none(d);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 3 * DLG_MSS);
	ASSERT_EQ(dlg_stats(d)->TcpAckDeferred, 0);
	read_all(d, 3 * DLG_MSS);
	dlg_free(d);
}

TEST(ack_batch_quickack_mode_acks_once)
{
	/* Quick-ACK mode at the connection's start ACKs each segment, and
	 * Linux holds those too (tcp_in_quickack_mode() is in the same first
	 * branch): one ACK for a batch of four, one quick-ACK used; the next
	 * lone segment is still quick-ACKed. */
	fill();
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.quickack_max_segs = 16;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	const int k[4] = {0, 1, 2, 3};
	batch(d, base, k, 4);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * DLG_MSS);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckDeferred, 4);
	dlg_send(d, TH_ACK, base + 4 * DLG_MSS, d->snd_nxt, DLG_WIN, data + 4 * DLG_MSS, DLG_MSS,
		 NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 5 * DLG_MSS);
	dlg_expect_none(d);
	read_all(d, 5 * DLG_MSS);
	dlg_free(d);
}

TEST(ack_batch_out_of_order)
{
	/* Out-of-order data with nothing else owed: its duplicate ACK goes
	 * at once (__tcp_ack_snd_check()'s out-of-order branch, send_now),
	 * batch or not. With more than one segment of in-order data unACKed
	 * the first branch takes it and it waits for the batch's end with
	 * the rest: one ACK, the latest RCV.NXT and SACK blocks. A filled
	 * hole's ACK (ICSK_ACK_NOW) waits the same way. */
	fill();
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	const int k1[2] = {0, 2}; /* 1 missing */
	batch(d, base, k1, 2);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base + DLG_MSS);
	ASSERT_EQ(g->h.opts.nsack, 1);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 2 * DLG_MSS);
	dlg_expect_none(d);
	const int k2[2] = {1, 3}; /* fills the hole, then in order */
	batch(d, base, k2, 2);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * DLG_MSS);
	ASSERT_EQ(g->h.opts.nsack, 0);
	dlg_expect_none(d);
	/* 6 and 8 missing, two segments owed before 7 and 9: one ACK, where
	 * each out-of-order segment had one before. */
	const int k3[4] = {4, 5, 7, 9};
	batch(d, base, k3, 4);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 6 * DLG_MSS);
	ASSERT_EQ(g->h.opts.nsack, 2);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 9 * DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[1].left, base + 7 * DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[1].right, base + 8 * DLG_MSS);
	dlg_expect_none(d);
	read_all(d, 6 * DLG_MSS);
	dlg_free(d);
}

TEST(ack_batch_off_acks_every_second_segment)
{
	/* ack_defer_batch off (the FreeBSD profile: tcp_do_segment() decides
	 * per segment, DELAY_ACK or TF_ACKNOW; merging is LRO's): a batch is
	 * as many gt_stack_input() calls, an ACK every second segment. */
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT(!bsd.ack_defer_batch);
	fill();
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.ack_defer_batch = false;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	uint32_t base = d->peer_nxt;
	const int k[4] = {0, 1, 2, 3};
	batch(d, base, k, 4);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 2 * DLG_MSS);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * DLG_MSS);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckDeferred, 0);
	read_all(d, 4 * DLG_MSS);
	dlg_free(d);
}

TEST(ack_batch_echoes_the_first_segments_tsval)
{
	/* RFC 7323 4.3: the one ACK of a batch echoes the TSval of the
	 * earliest segment it acknowledges: TS.Recent moves only for a
	 * segment at or below Last.ACK.sent (Linux's tcp_replace_ts_recent(),
	 * rcv_wup; cfg.ts_recent_last_ack). Off, each segment at RCV.NXT
	 * moved it and the ACK echoed the last. */
	for (int on = 0; on < 2; on++) {
		fill();
		struct gt_config cfg;
		dlg_config(&cfg);
		ASSERT(cfg.ts_recent_last_ack);
		cfg.ts_recent_last_ack = on;
		struct dlg *d = dlg_new_ts(&cfg);
		dlg_established_passive(d);
		uint32_t base = d->peer_nxt;
		struct gt_iovec v[3];
		for (int i = 0; i < 3; i++) {
			struct tcp_opts o = dlg_opts_ts(1000 + 10 * (uint32_t)i, d->stack_tsval);
			size_t len = dlg_build(d, pkts[i], TH_ACK, base + (uint32_t)i * DLG_MSS, d->snd_nxt,
					       DLG_WIN, data + (size_t)i * DLG_MSS, DLG_MSS, &o);
			v[i] = (struct gt_iovec){pkts[i], len};
		}
		gt_stack_input_batch(d->s, d->now_us, v, 3);
		dlg_check(d);
		const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base + 3 * DLG_MSS);
		ASSERT(g->h.opts.has_ts);
		ASSERT_EQ(g->h.opts.ts_ecr, on ? 1000u : 1020u);
		dlg_expect_none(d);
		/* That ACK sent, the next segment is at Last.ACK.sent. */
		struct tcp_opts o = dlg_opts_ts(1030, d->stack_tsval);
		dlg_send(d, TH_ACK, base + 3 * DLG_MSS, d->snd_nxt, DLG_WIN, data + 3 * DLG_MSS, DLG_MSS, &o);
		dlg_advance(d, 1000000);
		g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * DLG_MSS);
		ASSERT_EQ(g->h.opts.ts_ecr, 1030u);
		read_all(d, 4 * DLG_MSS);
		dlg_free(d);
	}
}
