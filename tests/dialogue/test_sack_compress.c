/* Dialogues for Linux's SACK compression (cfg.comp_sack_nr, the Linux
 * profile's 44; __tcp_ack_snd_check() in net/ipv4/tcp_input.c): with data
 * held out of order on a SACK connection, the first three duplicate ACKs
 * at one RCV.NXT go at once; the ones after them are held and the
 * compressed-ACK timer, min(comp_sack_delay_us, RTT / 20), sends one ACK
 * for all, counted in TcpAckCompressed (Linux's TCPAckCompressed: the ACKs
 * left out). tests/pkt/linux/sack-compress-*.pkt show the same against the
 * kernel. */
#include "dlg.h"

#define NSEG 64

static uint8_t data[NSEG * DLG_MSS];

/* A SACK connection with timestamps and quick-ACK mode off (every segment
 * would be ACKed at once in it), its handshake's ACK 100 ms after the
 * SYN-ACK: SRTT and the receiver's RTT estimate (from the TSecr of the
 * data, the SYN-ACK's TSval) are 100 ms, so the timer is
 * min(1 ms, 100 ms / 20) = 1 ms. */
static struct dlg *sack_conn(uint8_t comp_sack_nr)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.quickack_max_segs = 0;
	cfg.comp_sack_nr = comp_sack_nr;
	struct dlg *d = dlg_new_ts(&cfg);
	d->peer_syn_opts.sack_ok = true;
	dlg_syn_received(d);
	dlg_advance(d, 100000);
	d->peer_tsval++;
	dlg_peer_ack(d);
	dlg_expect_none(d);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT(d->sd >= 0);
	return d;
}

/* Segment k of the peer's stream (full-sized, from base). */
static void seg(struct dlg *d, uint32_t base, int k)
{
	dlg_send(d, TH_ACK, base + (uint32_t)k * DLG_MSS, d->snd_nxt, DLG_WIN,
		 data + (size_t)k * DLG_MSS, DLG_MSS, NULL);
}

/* A duplicate ACK with one SACK block [base + DLG_MSS, base + (k + 1) * DLG_MSS). */
static void expect_dup(struct dlg *d, uint32_t base, int k)
{
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->len, 0);
	ASSERT_EQ(g->h.opts.nsack, 1);
	ASSERT_EQ(g->h.opts.sack[0].left, base + DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[0].right, base + (uint32_t)(k + 1) * DLG_MSS);
}

TEST(sack_compress_holds_acks_after_three_dupacks)
{
	struct gt_config lx;
	gt_config_default(&lx, GT_PROFILE_LINUX);
	ASSERT_EQ(lx.comp_sack_nr, 44);
	ASSERT_EQ(lx.comp_sack_delay_us, 1000);
	struct dlg *d = sack_conn(44);
	uint32_t base = d->peer_nxt;
	/* Segment 0 is lost; 1, 2, 3 are each answered at once. */
	for (int k = 1; k <= 3; k++) {
		seg(d, base, k);
		expect_dup(d, base, k);
		dlg_expect_none(d);
	}
	/* 4, 5, 6: held. */
	for (int k = 4; k <= 6; k++) {
		seg(d, base, k);
		dlg_expect_none(d);
	}
	dlg_advance(d, 999);
	dlg_expect_none(d);
	/* 1 ms after the fourth: one ACK for the three, which counts the two
	 * it left out. */
	dlg_advance(d, 1);
	expect_dup(d, base, 6);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckCompressed, 2);
	/* The same RCV.NXT: the next is held again at once, and an ACK sent
	 * for another reason (the hole filled) stands for it, and stops the
	 * timer. */
	seg(d, base, 7);
	dlg_expect_none(d);
	seg(d, base, 0);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base + 8 * DLG_MSS);
	ASSERT_EQ(g->h.opts.nsack, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckCompressed, 3);
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	static uint8_t got[NSEG * DLG_MSS];
	ASSERT_EQ(gt_recv(d->s, d->sd, got, sizeof(got), 0), (ssize_t)(8 * DLG_MSS));
	ASSERT_MEMEQ(got, data, 8 * DLG_MSS);
	dlg_free(d);
}

TEST(sack_compress_new_rcv_nxt_three_more_at_once)
{
	/* The count of duplicate ACKs sent at once starts again when RCV.NXT
	 * moves (compressed_ack_rcv_nxt): segments 0 and 2 lost, 1, 3, 4, 5
	 * arrive (the fourth held), then 0: RCV.NXT stops at the second hole,
	 * and 6, 7, 8 above it are answered at once again, 9 held. */
	struct dlg *d = sack_conn(44);
	uint32_t base = d->peer_nxt;
	const int k1[4] = {1, 3, 4, 5};
	for (int i = 0; i < 4; i++)
		seg(d, base, k1[i]);
	ASSERT_EQ(dlg_pending(d), 3);
	dlg_drain(d);
	dlg_advance(d, 1000);
	ASSERT_EQ(dlg_pending(d), 1); /* the fourth's, 1 ms later */
	dlg_drain(d);
	seg(d, base, 0);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 2 * DLG_MSS); /* a filled hole: at once */
	dlg_expect_none(d);
	for (int k = 6; k <= 8; k++) {
		seg(d, base, k);
		dlg_expect(d, TH_ACK, d->iss + 1, base + 2 * DLG_MSS);
		dlg_expect_none(d);
	}
	seg(d, base, 9);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	dlg_expect(d, TH_ACK, d->iss + 1, base + 2 * DLG_MSS);
	dlg_free(d);
}

TEST(sack_compress_at_most_comp_sack_nr_held)
{
	/* With comp_sack_nr held, the next ACK goes at once (and stands for
	 * them): comp_sack_nr 2 here. */
	struct dlg *d = sack_conn(2);
	uint32_t base = d->peer_nxt;
	for (int k = 1; k <= 3; k++)
		seg(d, base, k);
	ASSERT_EQ(dlg_pending(d), 3);
	dlg_drain(d);
	seg(d, base, 4);
	seg(d, base, 5);
	dlg_expect_none(d);
	seg(d, base, 6);
	expect_dup(d, base, 6);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckCompressed, 2);
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(sack_compress_off_every_dupack_at_once)
{
	/* comp_sack_nr 0 (the FreeBSD profile; Linux's tcp_comp_sack_nr 0):
	 * RFC 5681 4.2, a duplicate ACK for every out-of-order segment. */
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT_EQ(bsd.comp_sack_nr, 0);
	struct dlg *d = sack_conn(0);
	uint32_t base = d->peer_nxt;
	for (int k = 1; k <= 8; k++) {
		seg(d, base, k);
		expect_dup(d, base, k);
		dlg_expect_none(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpAckCompressed, 0);
	dlg_free(d);
}

TEST(sack_compress_third_block_sends_the_held_ack)
{
	/* A segment for a block past the two most recent sends the held ACK
	 * at once, with the blocks as they were (Linux's
	 * tcp_sack_new_ofo_skb(), TCP_SACK_BLOCKS_EXPECTED); that ACK also
	 * stands for the segment's own, which is not sent: Linux 6.18 the
	 * same (tests/pkt/linux/sack-compress-third-block-sends-held.pkt). */
	struct dlg *d = sack_conn(44);
	uint32_t base = d->peer_nxt;
	for (int k = 1; k <= 3; k++)
		seg(d, base, k);
	ASSERT_EQ(dlg_pending(d), 3);
	dlg_drain(d);
	seg(d, base, 4); /* held */
	seg(d, base, 6); /* a second block: held */
	dlg_expect_none(d);
	seg(d, base, 8); /* a third */
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 2);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 6 * DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[0].right, base + 7 * DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[1].left, base + DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[1].right, base + 5 * DLG_MSS);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpAckCompressed, 1);
	dlg_advance(d, 1000000);
	dlg_expect_none(d);
	/* The next out-of-order segment's ACK is held again, and brings the
	 * third block along. */
	seg(d, base, 9);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 3);
	ASSERT_EQ(g->h.opts.sack[0].left, base + 8 * DLG_MSS);
	ASSERT_EQ(g->h.opts.sack[0].right, base + 10 * DLG_MSS);
	dlg_free(d);
}
