/* Hundreds of holes at once (issue 13): a receiver with a big buffer keeps
 * every out-of-order segment its buffer has room for, the range list
 * growing as they come (Linux's out-of-order queue is bounded by memory
 * only: tcp_data_queue_ofo(), tcp_prune_ofo_queue()), and its SACK blocks
 * stay as RFC 2018 4 orders them: the block of the segment that arrived
 * last first, then the others most recently reported first. */
#include "dlg.h"

#include <string.h>

#define PAYLOAD 1448u /* MSS 1460 less the timestamp option */
#define HOLES 300u

static struct dlg *big_window(bool linux_list)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.opt_wscale = true;
	cfg.rcvbuf_bytes = 4u << 20;
	cfg.rcv_wnd_linux = false; /* the window is the ring's room from the start */
	cfg.quickack_max_segs = 0;
	cfg.comp_sack_nr = 0;      /* every out-of-order segment answered at once */
	cfg.sack_list_linux = linux_list;
	struct dlg *d = dlg_new_ts(&cfg);
	d->peer_syn_opts.sack_ok = true;
	d->peer_syn_opts.has_wscale = true;
	d->peer_syn_opts.wscale = 7;
	dlg_established_passive(d);
	dlg_drain(d);
	return d;
}

/* Segment k of the peer's stream from base. */
static void seg(struct dlg *d, uint32_t base, uint32_t k)
{
	static uint8_t data[PAYLOAD];
	memset(data, (int)(k & 0xff), sizeof(data));
	d->peer_tsval++;
	dlg_send(d, TH_ACK, base + k * PAYLOAD, d->snd_nxt, DLG_WIN, data, PAYLOAD, NULL);
}

/* The i-th SACK block of g is segments [a, b) from base. */
static void block(const struct dlg_seg *g, uint8_t i, uint32_t base, uint32_t a, uint32_t b)
{
	ASSERT(g->h.opts.nsack > i);
	ASSERT_EQ(g->h.opts.sack[i].left, base + a * PAYLOAD);
	ASSERT_EQ(g->h.opts.sack[i].right, base + b * PAYLOAD);
}

/* The blocks from the ranges held (cfg.sack_list_linux off, as the
 * FreeBSD profile reports them). */
TEST(reass_hundreds_of_holes_kept_and_sacked_most_recent_first)
{
	struct dlg *d = big_window(false);
	uint32_t base = d->peer_nxt;
	/* Segments 1, 3, 5, ... 599: 300 ranges, a hole below each. */
	for (uint32_t h = 0; h < HOLES; h++) {
		uint32_t k = 2 * h + 1;
		seg(d, base, k);
		const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
		ASSERT_EQ(g->len, 0);
		/* RFC 2018 4: this segment's block first, then the
		 * previous ones, most recent first (3 with timestamps). */
		ASSERT_EQ(g->h.opts.nsack, h < 2 ? h + 1 : 3);
		block(g, 0, base, k, k + 1);
		if (h >= 1)
			block(g, 1, base, k - 2, k - 1);
		if (h >= 2)
			block(g, 2, base, k - 4, k - 3);
		dlg_expect_none(d);
	}
	const struct gt_stats *st = gt_stack_stats(d->s);
	ASSERT_EQ(st->TcpOfoDrop, 0);
	ASSERT_EQ(st->TcpOfoQueue, HOLES);
	/* A hole in the middle fills: its two neighbours merge into one
	 * range, reported first; the most recent others follow. */
	seg(d, base, 300);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	block(g, 0, base, 299, 302);
	block(g, 1, base, 599, 600);
	block(g, 2, base, 597, 598);
	/* A segment above them all, past another hole. */
	seg(d, base, 700);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	block(g, 0, base, 700, 701);
	block(g, 1, base, 299, 302);
	block(g, 2, base, 599, 600);
	/* An old hole fills (segment 2, between ranges 1 and 3). */
	seg(d, base, 2);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	block(g, 0, base, 1, 4);
	block(g, 1, base, 700, 701);
	block(g, 2, base, 299, 302);
	/* The first hole fills: RCV.NXT moves past 1-3 to the next hole at 4;
	 * the blocks left keep their order. */
	seg(d, base, 0);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * PAYLOAD);
	block(g, 0, base, 700, 701);
	block(g, 1, base, 299, 302);
	block(g, 2, base, 599, 600);
	/* Every hole below 599 fills: the data is all there, in order. */
	for (uint32_t k = 4; k < 600; k += 2)
		if (k != 300)
			seg(d, base, k);
	dlg_drain(d);
	seg(d, base, 600);
	dlg_drain(d);
	static uint8_t buf[65536];
	uint32_t got = 0;
	for (ssize_t n; (n = gt_recv(d->s, d->sd, buf, sizeof(buf), 0)) > 0;) {
		for (ssize_t i = 0; i < n; i += 509)
			ASSERT_EQ(buf[i], (uint8_t)(((got + (uint32_t)i) / PAYLOAD) & 0xff));
		got += (uint32_t)n;
	}
	ASSERT_EQ(got, 601 * PAYLOAD);
	ASSERT_EQ(gt_stack_stats(d->s)->TcpOfoDrop, 0);
	dlg_check(d);
	dlg_free(d);
}

/* The same holes with Linux's list of four SACK blocks
 * (cfg.sack_list_linux, tcp_sack_new_ofo_skb()): a filled hole whose
 * neighbours' blocks were forgotten long ago is reported as the segment
 * alone, and the ranges it joined are not reported again
 * (tests/pkt/linux/sack-list-four-blocks-oldest-forgotten.pkt). */
TEST(reass_hundreds_of_holes_sacked_from_linux_four_block_list)
{
	struct dlg *d = big_window(true);
	uint32_t base = d->peer_nxt;
	for (uint32_t h = 0; h < HOLES; h++) {
		uint32_t k = 2 * h + 1;
		seg(d, base, k);
		const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
		ASSERT_EQ(g->h.opts.nsack, h < 2 ? h + 1 : 3);
		block(g, 0, base, k, k + 1);
		if (h >= 2)
			block(g, 2, base, k - 4, k - 3);
		dlg_expect_none(d);
	}
	ASSERT_EQ(gt_stack_stats(d->s)->TcpOfoQueue, HOLES);
	/* 299 and 301 are held, their blocks forgotten: 300 alone. */
	seg(d, base, 300);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	block(g, 0, base, 300, 301);
	block(g, 1, base, 599, 600);
	block(g, 2, base, 597, 598);
	seg(d, base, 700);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	block(g, 0, base, 700, 701);
	block(g, 1, base, 300, 301);
	block(g, 2, base, 599, 600);
	/* 301 again, held already: the D-SACK block, then the listed
	 * 300:301 extended over it and moved first (tcp_data_queue_ofo()'s
	 * duplicate goes to add_sack too). */
	seg(d, base, 301);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	ASSERT_EQ(g->h.opts.nsack, 3);
	block(g, 0, base, 301, 302);
	block(g, 1, base, 300, 302);
	block(g, 2, base, 700, 701);
	/* Segment 2 between 1 and 3, forgotten: its own block. */
	seg(d, base, 2);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base);
	block(g, 0, base, 2, 3);
	block(g, 1, base, 300, 302);
	block(g, 2, base, 700, 701);
	/* RCV.NXT moves to 4: 2:3 goes (tcp_sack_remove()); 597:598, which
	 * the list forgot for it, does not come back. */
	seg(d, base, 0);
	g = dlg_expect(d, TH_ACK, d->iss + 1, base + 4 * PAYLOAD);
	ASSERT_EQ(g->h.opts.nsack, 3);
	block(g, 0, base, 300, 302);
	block(g, 1, base, 700, 701);
	block(g, 2, base, 599, 600);
	for (uint32_t k = 4; k < 600; k += 2)
		if (k != 300)
			seg(d, base, k);
	dlg_drain(d);
	seg(d, base, 600);
	dlg_drain(d);
	static uint8_t buf[65536];
	uint32_t got = 0;
	for (ssize_t n; (n = gt_recv(d->s, d->sd, buf, sizeof(buf), 0)) > 0;)
		got += (uint32_t)n;
	ASSERT_EQ(got, 601 * PAYLOAD);
	ASSERT_EQ(gt_stack_stats(d->s)->TcpOfoDrop, 0);
	dlg_check(d);
	dlg_free(d);
}
