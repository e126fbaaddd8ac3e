/* Sequence arithmetic across the 2^32 wrap (RFC 9293 3.4) and out-of-order
 * reassembly with its SACK blocks (RFC 2018). */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "tcp/tcp.h"
#include "util/seq.h"

TEST(seq_compare_across_wrap)
{
	ASSERT(seq_lt(0xfffffff0u, 0x10u));
	ASSERT(seq_gt(0x10u, 0xfffffff0u));
	ASSERT(seq_le(5, 5) && seq_ge(5, 5) && !seq_lt(5, 5));
	ASSERT(seq_in(0, 0xffffff00u, 0x100u));
	ASSERT(!seq_in(0x100u, 0xffffff00u, 0x100u));
	ASSERT_EQ(seq_max(0xfffffff0u, 0x10u), 0x10u);
	ASSERT_EQ(seq_min(0xfffffff0u, 0x10u), 0xfffffff0u);
	/* Beyond half the space apart, order flips (RFC 1982 3.2). */
	ASSERT(seq_lt(0, 0x7fffffffu));
	ASSERT(!seq_lt(0, 0x80000001u));
	ASSERT(seq_gt(0, 0x80000001u));
}

static void reass_conn(struct tcp_conn *c, uint32_t rcv_nxt, uint32_t cap)
{
	memset(c, 0, sizeof(*c));
	c->rcv_nxt = rcv_nxt;
	ASSERT_EQ(ring_alloc(&c->rcv, cap), 0);
}

TEST(reass_fills_holes_in_any_order_across_wrap)
{
	uint32_t pruned = 0;
	struct tcp_conn c;
	uint32_t base = 0xfffffff8u; /* the stream wraps inside the test */
	reass_conn(&c, base, 64);
	uint8_t data[32];
	for (int i = 0; i < 32; i++)
		data[i] = (uint8_t)i;
	ASSERT_EQ(tcp_reass_insert(&c, base + 20, data + 20, 4, 8, true, &pruned), 4);
	ASSERT_EQ(tcp_reass_insert(&c, base + 8, data + 8, 4, 8, true, &pruned), 4);
	ASSERT_EQ(c.nooo, 2);
	struct tcp_sack_block b[4];
	/* RFC 2018 4: the most recent block first. */
	ASSERT_EQ(tcp_reass_sack_blocks(&c, b, 4), 2);
	ASSERT_EQ(b[0].left, base + 8);
	ASSERT_EQ(b[1].left, base + 20);
	/* Adjacent ranges merge. */
	ASSERT_EQ(tcp_reass_insert(&c, base + 12, data + 12, 8, 8, true, &pruned), 8);
	ASSERT_EQ(c.nooo, 1);
	ASSERT_EQ(c.ooo[0].left, base + 8);
	ASSERT_EQ(c.ooo[0].right, base + 24);
	/* The in-order head arrives: everything up to 24 becomes readable. */
	ring_write_at(&c.rcv, 0, data, 8);
	ring_commit(&c.rcv, 8);
	c.rcv_nxt += 8;
	ASSERT_EQ(tcp_reass_advance(&c), 16);
	ASSERT_EQ(c.rcv_nxt, base + 24);
	ASSERT_EQ(c.nooo, 0);
	uint8_t out[32];
	ASSERT_EQ(ring_read(&c.rcv, out, sizeof(out)), 24);
	ASSERT_MEMEQ(out, data, 24);
	ring_free(&c.rcv);
	tcp_reass_free(&c);
}

/* Linux's list of SACK blocks (cfg.sack_list_linux): four at most, the
 * oldest forgotten, a bare FIN's block kept while no range is held and
 * carried into the range list's allocation and out of it. */
static void lx_hold(struct tcp_conn *c, uint32_t seq, uint32_t len, const uint8_t *d)
{
	uint32_t pruned = 0;
	ASSERT_EQ(tcp_reass_insert(c, seq, d, len, 16, true, &pruned), (int)len);
	tcp_reass_lx_sack_add(c, seq, seq + len);
}

TEST(reass_linux_sack_list_forgets_the_oldest_and_keeps_a_bare_fin)
{
	struct tcp_conn c;
	uint32_t base = 0xfffffff8u;
	reass_conn(&c, base, 64);
	uint8_t d[8] = {0};
	struct tcp_sack_block b[4];
	/* A bare FIN at base + 40, nothing else held. */
	c.fin_ooo = true;
	c.ooo_fin_seq = base + 40;
	tcp_reass_lx_sack_add(&c, base + 40, base + 41);
	ASSERT(c.ooo == NULL);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 1);
	ASSERT_EQ(b[0].left, base + 40);
	ASSERT_EQ(b[0].right, base + 41);
	/* Data comes: the FIN's block is still in the list, second. */
	lx_hold(&c, base + 8, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 2);
	ASSERT_EQ(b[0].left, base + 8);
	ASSERT_EQ(b[1].left, base + 40);
	lx_hold(&c, base + 16, 4, d);
	lx_hold(&c, base + 24, 4, d);
	/* A fifth block: the FIN's, the oldest, is forgotten. */
	lx_hold(&c, base + 32, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 4);
	ASSERT_EQ(b[0].left, base + 32);
	ASSERT_EQ(b[3].left, base + 8);
	/* Next to 8:12, which is listed: it grows and comes first, and
	 * swallows 16:20 (tcp_sack_maybe_coalesce()). */
	lx_hold(&c, base + 12, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 3);
	ASSERT_EQ(b[0].left, base + 8);
	ASSERT_EQ(b[0].right, base + 20);
	ASSERT_EQ(b[1].left, base + 32);
	ASSERT_EQ(b[2].left, base + 24);
	/* The head fills up to 36: every block is passed, the FIN's
	 * forgotten one is not reported again. */
	lx_hold(&c, base + 20, 4, d);
	lx_hold(&c, base + 28, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 1);
	ASSERT_EQ(b[0].right, base + 36);
	c.rcv_nxt += 8;
	ring_commit(&c.rcv, 8);
	ASSERT_EQ(tcp_reass_advance(&c), 28);
	ASSERT_EQ(c.rcv_nxt, base + 36);
	ASSERT(c.ooo == NULL);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 0);
	/* Had it stayed listed, it would be reported with no range held. */
	tcp_reass_lx_sack_add(&c, base + 40, base + 41);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 1);
	tcp_reass_lx_sack_reset(&c);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, 4), 0);
	ring_free(&c.rcv);
	tcp_reass_free(&c);
}

/* FreeBSD's list (cfg.sack_list_bsd), tcp_update_dsack_list() for each
 * held segment: a D-SACK block, then the segment widened by the listed
 * blocks it touches, four others after it, the oldest forgotten; a block
 * RCV.NXT reached is gone. */
static void bsd_hold(struct tcp_conn *c, uint32_t seq, uint32_t len, const uint8_t *d)
{
	uint32_t pruned = 0;
	ASSERT_EQ(tcp_reass_insert(c, seq, d, len, 16, true, &pruned), (int)len);
	tcp_reass_bsd_sack_add(c, seq, seq + len);
}

TEST(reass_freebsd_sack_list_keeps_five_and_a_listed_dsack_block)
{
	struct tcp_conn c;
	uint32_t base = 0xfffffff0u;
	reass_conn(&c, base, 128);
	uint8_t d[8] = {0};
	struct tcp_sack_block b[TCP_BSD_SACK_BLKS];
	/* Six islands of 4 at base + 8, 16, ..., 48 (across the wrap). */
	for (uint32_t k = 1; k <= 6; k++)
		bsd_hold(&c, base + 8 * k, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, TCP_BSD_SACK_BLKS), 5);
	ASSERT_EQ(b[0].left, base + 48);
	ASSERT_EQ(b[4].left, base + 16); /* 8:12 forgotten */
	/* Extending the forgotten 8:12 and touching the listed 16:20:
	 * 12:20, not 8:20; 24:28 is now the oldest kept. */
	bsd_hold(&c, base + 12, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, TCP_BSD_SACK_BLKS), 5);
	ASSERT_EQ(b[0].left, base + 12);
	ASSERT_EQ(b[0].right, base + 20);
	ASSERT_EQ(b[1].left, base + 48);
	ASSERT_EQ(b[4].left, base + 24);
	/* A duplicate inside a listed block: its D-SACK block first, kept
	 * listed (tcp_update_dsack_list()'s saved_blks[0]), then the block
	 * whole, then four others: six. */
	bsd_hold(&c, base + 33, 2, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, TCP_BSD_SACK_BLKS), 6);
	ASSERT_EQ(b[0].left, base + 33);
	ASSERT_EQ(b[0].right, base + 35);
	ASSERT_EQ(b[1].left, base + 32);
	ASSERT_EQ(b[1].right, base + 36);
	ASSERT_EQ(b[2].left, base + 12);
	ASSERT_EQ(b[5].left, base + 24);
	/* 4:8 below them: no D-SACK, four others after it, the listed
	 * D-SACK block among them (40:44 and 24:28 forgotten). */
	bsd_hold(&c, base + 4, 4, d);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, TCP_BSD_SACK_BLKS), 5);
	ASSERT_EQ(b[0].left, base + 4);
	ASSERT_EQ(b[1].left, base + 33);
	ASSERT_EQ(b[4].left, base + 48);
	/* RCV.NXT to base + 20: 4:8 and 12:20 are gone, the rest keep
	 * their order. */
	c.rcv_nxt += 4;
	ring_commit(&c.rcv, 4);
	ASSERT_EQ(tcp_reass_advance(&c), 16);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, TCP_BSD_SACK_BLKS), 3);
	ASSERT_EQ(b[0].left, base + 33);
	ASSERT_EQ(b[1].left, base + 32);
	ASSERT_EQ(b[2].left, base + 48);
	/* A duplicate below RCV.NXT (tcp_update_sack_list()): a block the
	 * next one covers is dropped. */
	tcp_reass_bsd_sack_dup_below(&c);
	ASSERT_EQ(tcp_reass_lx_sack_get(&c, b, TCP_BSD_SACK_BLKS), 2);
	ASSERT_EQ(b[0].left, base + 32);
	ASSERT_EQ(b[1].left, base + 48);
	ring_free(&c.rcv);
	tcp_reass_free(&c);
}

TEST(reass_range_limit_refuses_without_storing)
{
	uint32_t pruned = 0;
	struct tcp_conn c;
	reass_conn(&c, 1000, 256);
	uint8_t d[4] = {1, 2, 3, 4};
	ASSERT_EQ(tcp_reass_insert(&c, 1010, d, 2, 2, true, &pruned), 2);
	ASSERT_EQ(tcp_reass_insert(&c, 1020, d, 2, 2, true, &pruned), 2);
	ASSERT_EQ(tcp_reass_insert(&c, 1030, d, 2, 2, true, &pruned), -ENOBUFS);
	ASSERT_EQ(c.nooo, 2);
	/* Touching an existing range still fits. */
	ASSERT_EQ(tcp_reass_insert(&c, 1012, d, 2, 2, true, &pruned), 2);
	ASSERT_EQ(c.ooo[0].right, 1014);
	ring_free(&c.rcv);
	tcp_reass_free(&c);
}

/* Linux profile: a full table gives its highest range up for a new one
 * below it (tcp_prune_ofo_queue() drops from the highest sequence); a new
 * range above every held one is still refused. */
TEST(reass_range_limit_gives_up_the_highest_range_for_a_lower_one)
{
	uint32_t pruned = 0;
	struct tcp_conn c;
	reass_conn(&c, 1000, 256);
	uint8_t d[4] = {1, 2, 3, 4};
	ASSERT_EQ(tcp_reass_insert(&c, 1020, d, 2, 2, false, &pruned), 2);
	ASSERT_EQ(tcp_reass_insert(&c, 1030, d, 2, 2, false, &pruned), 2);
	ASSERT_EQ(tcp_reass_insert(&c, 1040, d, 2, 2, false, &pruned), -ENOBUFS);
	ASSERT_EQ(pruned, 0);
	ASSERT_EQ(tcp_reass_insert(&c, 1010, d, 2, 2, false, &pruned), 2);
	ASSERT_EQ(pruned, 1);
	ASSERT_EQ(c.nooo, 2);
	ASSERT_EQ(c.ooo[0].left, 1010);
	ASSERT_EQ(c.ooo[1].left, 1020);
	ASSERT_EQ(c.ooo[1].right, 1022);
	ring_free(&c.rcv);
	tcp_reass_free(&c);
}

TEST(reass_clips_to_receive_buffer)
{
	uint32_t pruned = 0;
	struct tcp_conn c;
	reass_conn(&c, 0, 16);
	uint8_t d[32] = {0};
	ASSERT_EQ(tcp_reass_insert(&c, 10, d, 20, 4, true, &pruned), 6); /* only 10..16 fits */
	ASSERT_EQ(tcp_reass_insert(&c, 16, d, 4, 4, true, &pruned), 0);  /* wholly beyond */
	ASSERT_EQ(c.ooo[0].right, 16);
	ring_free(&c.rcv);
	tcp_reass_free(&c);
}

TEST(sack_scoreboard_merges_and_forgets_acked)
{
	struct tcp_conn c;
	memset(&c, 0, sizeof(c));
	c.snd_una = 100;
	c.snd_max = 1000;
	struct tcp_opts o = {.nsack = 3};
	o.sack[0] = (struct tcp_sack_block){300, 400};
	o.sack[1] = (struct tcp_sack_block){400, 500};
	o.sack[2] = (struct tcp_sack_block){50, 90}; /* below SND.UNA: ignored */
	tcp_sack_update(&c, &o);
	ASSERT_EQ(c.nsacked, 1);
	uint32_t end;
	ASSERT(tcp_sacked(&c, 350, &end));
	ASSERT_EQ(end, 500);
	ASSERT(!tcp_sacked(&c, 200, &end));
	c.snd_una = 450;
	o.nsack = 0;
	tcp_sack_update(&c, &o);
	ASSERT_EQ(c.sacked[0].left, 450);
	c.snd_una = 600;
	tcp_sack_update(&c, &o);
	ASSERT_EQ(c.nsacked, 0);
	tcp_sack_free(&c);
}

/* The scoreboard holds as many holes as the peer reports over the send
 * ring (issue 13): 300 SACKed ranges, each with a hole below it, one block
 * per ACK. A table of 32 forgot the rest and resent what had arrived. */
TEST(sack_scoreboard_holds_hundreds_of_holes)
{
	struct tcp_conn c;
	memset(&c, 0, sizeof(c));
	c.mss = 1000;
	c.snd.cap = 1u << 20; /* room for 525 ranges */
	c.snd_una = 0xfffff000u; /* across the wrap */
	c.snd_max = c.snd_una + 700 * 1000;
	struct tcp_opts o = {.nsack = 1};
	for (uint32_t k = 0; k < 300; k++) {
		o.sack[0] = (struct tcp_sack_block){c.snd_una + (2 * k + 1) * 1000,
						    c.snd_una + (2 * k + 2) * 1000};
		ASSERT(tcp_sack_update(&c, &o)); /* new information each time */
	}
	ASSERT(!tcp_sack_update(&c, &o)); /* the same block again: nothing new */
	ASSERT_EQ(c.nsacked, 300);
	ASSERT_EQ(tcp_sack_bytes(&c), 300 * 1000);
	uint32_t end;
	ASSERT(tcp_sacked(&c, c.snd_una + 401 * 1000 + 5, &end));
	ASSERT_EQ(end, c.snd_una + 402 * 1000);
	ASSERT(!tcp_sacked(&c, c.snd_una + 400 * 1000, &end));
	/* RFC 6675 IsLost(): three ranges above the 298th hole, two above the 299th. */
	ASSERT(tcp_sack_is_lost(&c, c.snd_una + 594 * 1000));
	ASSERT(!tcp_sack_is_lost(&c, c.snd_una + 598 * 1000));
	ASSERT_EQ(tcp_sack_bytes_above(&c, c.snd_una + 590 * 1000), 5 * 1000);
	/* A block across 100 holes merges them. */
	o.sack[0] = (struct tcp_sack_block){c.snd_una + 1000, c.snd_una + 200 * 1000};
	ASSERT(tcp_sack_update(&c, &o));
	ASSERT_EQ(c.nsacked, 201);
	ASSERT_EQ(tcp_sack_bytes(&c), 199 * 1000 + 200 * 1000);
	/* The cumulative ACK takes the first 150 ranges' worth. */
	c.snd_una += 300 * 1000;
	o.nsack = 0;
	(void)tcp_sack_update(&c, &o);
	ASSERT_EQ(c.nsacked, 150);
	tcp_sack_free(&c);
}
