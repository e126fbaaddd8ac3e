/* Unit tests for the byte ring (src/util/ring.c): wrap-around, out-of-order
 * writes past the tail, peeks by offset, resize with wrapped contents, and a
 * random walk against a flat-array model. */
#include "harness.h"

#include <errno.h>

#include "util/ring.h"

#include <glasstcp/stack.h>

static void fill_seq(uint8_t *p, uint32_t n, uint8_t first)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(first + i);
}

/* An empty ring of cap bytes whose head is at head (bytes written and
 * discarded), so that what is written next wraps where the test wants. */
static void ring_at(struct ring *r, uint32_t cap, uint32_t head)
{
	static const uint8_t junk[64];
	ASSERT(head <= cap && head <= sizeof(junk));
	ASSERT_EQ(ring_alloc(r, cap), 0);
	ASSERT_EQ(ring_write(r, junk, head), head);
	ASSERT_EQ(ring_discard(r, head), head);
	ASSERT_EQ(r->head, cap ? head % cap : 0);
}

/* Reads up to max bytes: exactly the n bytes of want come out. */
static void read_exactly(struct ring *r, uint32_t max, const void *want, uint32_t n)
{
	uint8_t dst[64];
	ASSERT(max <= sizeof(dst));
	ASSERT_EQ(ring_read(r, dst, max), n);
	ASSERT_MEMEQ(dst, want, n);
}

TEST(ring_alloc_starts_empty)
{
	struct ring r = {0};
	uint8_t b[4];
	ASSERT_EQ(ring_alloc(&r, 16), 0);
	ASSERT(r.buf != NULL);
	ASSERT_EQ(r.cap, 16);
	ASSERT_EQ(r.len, 0);
	ASSERT_EQ(ring_free_space(&r), 16);
	ASSERT_EQ(ring_peek(&r, 0, b, sizeof b), 0);
	ASSERT_EQ(ring_read(&r, b, sizeof b), 0);
	ASSERT_EQ(ring_discard(&r, 4), 0);
	ring_free(&r);
	ASSERT(r.buf == NULL);
	ASSERT_EQ(r.cap, 0);
}

TEST(ring_write_stops_when_full)
{
	struct ring r = {0};
	uint8_t src[12];
	fill_seq(src, sizeof src, 1);
	ASSERT_EQ(ring_alloc(&r, 8), 0);
	ASSERT_EQ(ring_write(&r, src, 5), 5);
	ASSERT_EQ(ring_write(&r, src + 5, 7), 3);
	ASSERT_EQ(ring_free_space(&r), 0);
	ASSERT_EQ(ring_write(&r, src, 1), 0);
	read_exactly(&r, sizeof src, src, 8);
	ring_free(&r);
}

TEST(ring_wraps_around)
{
	struct ring r = {0};
	uint8_t src[8], dst[8];
	ASSERT_EQ(ring_alloc(&r, 8), 0);
	fill_seq(src, 6, 0x10);
	ASSERT_EQ(ring_write(&r, src, 6), 6);
	ASSERT_EQ(ring_read(&r, dst, 4), 4);
	ASSERT_MEMEQ(dst, src, 4);
	ASSERT_EQ(r.head, 4);
	/* 2 held at [4,6); 5 more go to [6,8) and [0,3). */
	fill_seq(src, 5, 0x20);
	ASSERT_EQ(ring_write(&r, src, 5), 5);
	ASSERT_EQ(r.len, 7);
	ASSERT_EQ(r.buf[0], 0x22);
	ASSERT_EQ(r.buf[2], 0x24);
	ASSERT_EQ(ring_read(&r, dst, 8), 7);
	const uint8_t want[] = {0x14, 0x15, 0x20, 0x21, 0x22, 0x23, 0x24};
	ASSERT_MEMEQ(dst, want, sizeof want);
	ASSERT_EQ(r.head, 3);
	ASSERT_EQ(r.len, 0);
	ring_free(&r);
}

TEST(ring_peek_at_offsets_across_the_wrap)
{
	struct ring r = {0};
	uint8_t src[10], dst[10];
	ring_at(&r, 10, 7);
	/* Head at 7: bytes 0..9 of the stream live at 7,8,9,0,1,...,6. */
	fill_seq(src, 10, 100);
	ASSERT_EQ(ring_write(&r, src, 10), 10);
	for (uint32_t off = 0; off < 10; off++) {
		for (uint32_t n = 0; n <= 10; n++) {
			memset(dst, 0xee, sizeof dst);
			uint32_t want = n < 10 - off ? n : 10 - off;
			ASSERT_EQ(ring_peek(&r, off, dst, n), want);
			ASSERT_MEMEQ(dst, src + off, want);
		}
	}
	ASSERT_EQ(ring_peek(&r, 10, dst, 1), 0);
	ASSERT_EQ(ring_peek(&r, 1000, dst, 1), 0);
	/* Peeking leaves the contents in place. */
	ASSERT_EQ(r.len, 10);
	ring_free(&r);
}

TEST(ring_write_at_fills_a_gap_then_commit)
{
	struct ring r = {0};
	uint8_t dst[16];
	ring_at(&r, 12, 8); /* the gap will wrap */
	ASSERT_EQ(ring_write(&r, "abc", 3), 3);
	/* Out of order: "ghi" arrives before "def". */
	ASSERT_EQ(ring_write_at(&r, 3, "ghi", 3), 3);
	ASSERT_EQ(r.len, 3);
	ASSERT_EQ(ring_peek(&r, 0, dst, sizeof dst), 3);
	ASSERT_EQ(ring_write_at(&r, 0, "def", 3), 3);
	ASSERT_EQ(r.len, 3);
	ring_commit(&r, 6);
	ASSERT_EQ(r.len, 9);
	read_exactly(&r, 16, "abcdefghi", 9);
	ring_free(&r);
}

TEST(ring_write_at_clips_to_free_space)
{
	struct ring r = {0};
	ASSERT_EQ(ring_alloc(&r, 8), 0);
	ASSERT_EQ(ring_write(&r, "ab", 2), 2);
	/* 6 free: offsets 0..5 are writable. */
	ASSERT_EQ(ring_write_at(&r, 4, "wxyz", 4), 2);
	ASSERT_EQ(ring_write_at(&r, 6, "z", 1), 0);
	ASSERT_EQ(ring_write_at(&r, 100, "z", 1), 0);
	ASSERT_EQ(ring_write_at(&r, 0, "", 0), 0);
	ASSERT_EQ(r.len, 2);
	/* Committing more than fits is clamped. */
	ring_commit(&r, 100);
	ASSERT_EQ(r.len, 8);
	uint8_t dst[8];
	ASSERT_EQ(ring_peek(&r, 6, dst, 2), 2);
	ASSERT_MEMEQ(dst, "wx", 2);
	ring_free(&r);
}

TEST(ring_write_at_survives_draining_the_ring)
{
	/* The reader empties the ring while out-of-order data sits past the
	 * tail; that data must still be there when the gap is committed. */
	struct ring r = {0};
	ASSERT_EQ(ring_alloc(&r, 8), 0);
	ASSERT_EQ(ring_write(&r, "abcde", 5), 5);
	ASSERT_EQ(ring_write_at(&r, 1, "gh", 2), 2);
	read_exactly(&r, 5, "abcde", 5);
	ASSERT_EQ(r.len, 0);
	ASSERT_EQ(ring_write_at(&r, 0, "f", 1), 1);
	ring_commit(&r, 3);
	read_exactly(&r, 8, "fgh", 3);
	ring_free(&r);
}

TEST(ring_discard_advances_the_head)
{
	struct ring r = {0};
	ASSERT_EQ(ring_alloc(&r, 4), 0);
	ASSERT_EQ(ring_write(&r, "abcd", 4), 4);
	ASSERT_EQ(ring_discard(&r, 3), 3);
	ASSERT_EQ(ring_write(&r, "ef", 2), 2);
	ASSERT_EQ(ring_discard(&r, 10), 3);
	ASSERT_EQ(r.len, 0);
	ASSERT_EQ(ring_write(&r, "gh", 2), 2);
	read_exactly(&r, 4, "gh", 2);
	ring_free(&r);
}

TEST(ring_resize_keeps_wrapped_contents)
{
	struct ring r = {0};
	uint8_t dst[32];
	ring_at(&r, 8, 5);
	ASSERT_EQ(ring_write(&r, "56789ab", 7), 7); /* wraps */
	ASSERT_EQ(ring_resize(&r, 20), 0);
	ASSERT_EQ(r.cap, 20);
	ASSERT_EQ(r.len, 7);
	ASSERT_EQ(ring_write(&r, "cdefghijklmnop", 14), 13);
	ASSERT_EQ(ring_peek(&r, 0, dst, sizeof dst), 20);
	ASSERT_MEMEQ(dst, "56789abcdefghijklmno", 20);
	/* Shrink to exactly the held length, wrapped again first. */
	ASSERT_EQ(ring_discard(&r, 15), 15);
	ASSERT_EQ(ring_write(&r, "pqrst", 5), 5);
	ASSERT_EQ(ring_resize(&r, 10), 0);
	ASSERT_EQ(r.cap, 10);
	read_exactly(&r, 32, "klmnopqrst", 10);
	ring_free(&r);
}

/* Out-of-order bytes parked past a wrapped tail keep their offset. */
TEST(ring_resize_keep_moves_parked_bytes)
{
	struct ring r = {0};
	ring_at(&r, 8, 5);
	ASSERT_EQ(ring_write(&r, "567", 3), 3);          /* tail at 0 */
	ASSERT_EQ(ring_write_at(&r, 1, "xy", 2), 2);     /* a hole of 1, then "xy" */
	ASSERT_EQ(ring_resize_keep(&r, 16, 2), -EINVAL); /* fewer than len */
	ASSERT_EQ(ring_resize_keep(&r, 16, 9), -EINVAL); /* more than the old cap */
	ASSERT_EQ(ring_resize_keep(&r, 16, 6), 0);
	ASSERT_EQ(r.cap, 16);
	ASSERT_EQ(r.len, 3);
	ASSERT_EQ(ring_write_at(&r, 0, "h", 1), 1);      /* the hole fills */
	ring_commit(&r, 3);
	read_exactly(&r, 16, "567hxy", 6);
	ring_free(&r);
}

/* Growing leaves the bytes before the wrap where they are (realloc(), no
 * copy into fresh memory): the head does not move, the wrapped part goes to
 * just past the old end. */
TEST(ring_grow_keeps_head_in_place)
{
	struct ring r = {0};
	uint8_t dst[32];
	ring_at(&r, 8, 5);
	ASSERT_EQ(ring_write(&r, "56789ab", 7), 7); /* wraps 4 bytes */
	ASSERT_EQ(ring_resize(&r, 20), 0);
	ASSERT_EQ(r.head, 5);
	ASSERT_EQ(ring_write(&r, "cdefghijklmnop", 14), 13);
	ASSERT_EQ(ring_peek(&r, 0, dst, sizeof dst), 20);
	ASSERT_MEMEQ(dst, "56789abcdefghijklmno", 20);
	ring_free(&r);
}

/* A wrapped part longer than the growth cannot follow the old end: copied
 * to the start of new memory, as before. */
TEST(ring_grow_less_than_wrapped_copies)
{
	struct ring r = {0};
	ring_at(&r, 8, 2);
	ASSERT_EQ(ring_write(&r, "abcdefgh", 8), 8); /* full, wraps 2 */
	ASSERT_EQ(ring_resize(&r, 9), 0);
	ASSERT_EQ(r.head, 0);
	ASSERT_EQ(ring_write(&r, "i", 1), 1);
	read_exactly(&r, 16, "abcdefghi", 9);
	ring_free(&r);
}

/* A large ring grown in place stays on a page (ring_mem()), with what it
 * held, wrapped and parked bytes alike. */
TEST(ring_grow_large_stays_page_aligned)
{
	static uint8_t src[20000], dst[20000];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	struct ring r = {0};
	ASSERT_EQ(ring_alloc(&r, 65536), 0);
	for (int i = 0; i < 3; i++) { /* head to 60000 */
		ASSERT_EQ(ring_write(&r, src, 20000), 20000);
		ASSERT_EQ(ring_discard(&r, 20000), 20000);
	}
	ASSERT_EQ(ring_write(&r, src, 10000), 10000);            /* wraps 4,464 */
	ASSERT_EQ(ring_write_at(&r, 100, src + 10100, 900), 900); /* parked past a hole */
	ASSERT_EQ(ring_resize_keep(&r, 200000, 11000), 0);
	ASSERT_EQ((uintptr_t)r.buf % 4096, 0);
	ASSERT_EQ(r.cap, 200000);
	ASSERT_EQ(ring_write_at(&r, 0, src + 10000, 100), 100); /* the hole */
	ring_commit(&r, 1000);
	ASSERT_EQ(ring_read(&r, dst, sizeof(dst)), 11000);
	ASSERT_MEMEQ(dst, src, 11000);
	ring_free(&r);
}

TEST(ring_resize_below_length_fails_unchanged)
{
	struct ring r = {0};
	ASSERT_EQ(ring_alloc(&r, 8), 0);
	ASSERT_EQ(ring_write(&r, "abcdef", 6), 6);
	ASSERT_EQ(ring_resize(&r, 5), -EINVAL);
	ASSERT_EQ(r.cap, 8);
	read_exactly(&r, 8, "abcdef", 6);
	ring_free(&r);
}

TEST(ring_zero_capacity_holds_nothing)
{
	struct ring r = {0};
	uint8_t b[1] = {0};
	ASSERT_EQ(ring_alloc(&r, 0), 0);
	ASSERT_EQ(ring_write(&r, b, 1), 0);
	ASSERT_EQ(ring_write_at(&r, 0, b, 1), 0);
	ASSERT_EQ(ring_peek(&r, 0, b, 1), 0);
	ASSERT_EQ(ring_resize(&r, 4), 0);
	ASSERT_EQ(ring_write(&r, "abcd", 4), 4);
	ring_free(&r);
}

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

TEST(ring_random_ops_match_a_flat_model)
{
	/* Model: committed stream bytes in model[0..len), bytes written past
	 * the tail in model[len..cap) with a known mask. */
	enum { CAP_MAX = 64 };
	uint8_t model[CAP_MAX], known[CAP_MAX], src[CAP_MAX + 2], dst[CAP_MAX + 2];
	uint32_t seed = 12345, len = 0, cap = 13;
	struct ring r = {0};
	memset(known, 0, sizeof known);
	ASSERT_EQ(ring_alloc(&r, cap), 0);
	for (int step = 0; step < 20000; step++) {
		uint32_t op = xorshift32(&seed) % 7;
		uint32_t n = xorshift32(&seed) % (cap + 2);
		uint32_t off = xorshift32(&seed) % (cap + 2);
		for (uint32_t i = 0; i < n; i++)
			src[i] = (uint8_t)xorshift32(&seed);
		switch (op) {
		case 0: { /* write */
			uint32_t want = n < cap - len ? n : cap - len;
			ASSERT_EQ(ring_write(&r, src, n), want);
			memcpy(model + len, src, want);
			memset(known + len, 1, want);
			len += want;
			break;
		}
		case 1: { /* write_at */
			uint32_t space = cap - len;
			uint32_t want = off >= space ? 0 : (n < space - off ? n : space - off);
			ASSERT_EQ(ring_write_at(&r, off, src, n), want);
			if (want) {
				memcpy(model + len + off, src, want);
				memset(known + len + off, 1, want);
			}
			break;
		}
		case 2: { /* commit only bytes the model knows */
			uint32_t k = 0;
			while (len + k < cap && known[len + k] && k < n)
				k++;
			ring_commit(&r, k);
			len += k;
			break;
		}
		case 3: { /* peek */
			uint32_t want = off >= len ? 0 : (n < len - off ? n : len - off);
			ASSERT_EQ(ring_peek(&r, off, dst, n), want);
			if (want)
				ASSERT_MEMEQ(dst, model + off, want);
			break;
		}
		case 4: /* read */
		case 5: { /* discard */
			uint32_t want = n < len ? n : len;
			if (op == 4) {
				ASSERT_EQ(ring_read(&r, dst, n), want);
				ASSERT_MEMEQ(dst, model, want);
			} else {
				ASSERT_EQ(ring_discard(&r, n), want);
			}
			memmove(model, model + want, cap - want);
			memmove(known, known + want, cap - want);
			memset(known + cap - want, 0, want);
			len -= want;
			break;
		}
		case 6: { /* resize; drops what was past the tail */
			uint32_t ncap = len + xorshift32(&seed) % (CAP_MAX - len + 1);
			ASSERT_EQ(ring_resize(&r, ncap), 0);
			cap = ncap;
			memset(known + len, 0, CAP_MAX - len);
			break;
		}
		}
		ASSERT_EQ(r.len, len);
		ASSERT_EQ(r.cap, cap);
		ASSERT(r.head < cap || cap == 0);
	}
	ring_free(&r);
}

TEST(ring_spans_point_into_the_ring)
{
	/* The bytes at an offset, as one span or two when they wrap: the
	 * spans hold exactly what ring_peek() copies. */
	struct ring r;
	uint8_t in[16], out[16];
	fill_seq(in, sizeof in, 0x40);
	ring_at(&r, 16, 10);
	ASSERT_EQ(ring_write(&r, in + 10, 6), 6); /* head at 10, 6 bytes held */
	ASSERT_EQ(ring_write(&r, in, 8), 8);      /* wraps */
	for (uint32_t off = 0; off < r.len; off++) {
		for (uint32_t n = 1; off + n <= r.len; n++) {
			const uint8_t *p[2];
			uint32_t len[2];
			int k = ring_spans(&r, off, n, p, len);
			ASSERT(k == 1 || k == 2);
			ASSERT_EQ(ring_peek(&r, off, out, n), n);
			ASSERT_EQ(len[0] + (k == 2 ? len[1] : 0), n);
			ASSERT_MEMEQ(p[0], out, len[0]);
			if (k == 2) {
				ASSERT(p[1] == r.buf);
				ASSERT_MEMEQ(p[1], out + len[0], len[1]);
			}
		}
	}
	ring_free(&r);
}

TEST(iovec_join_puts_pieces_together_or_refuses)
{
	/* gt_iovec_join(): the pieces in order, or -EMSGSIZE when they do not
	 * fit (a piece that would end exactly at the edge still fits). */
	const struct gt_iovec v[3] = {{"head", 4}, {"er", 2}, {"-body", 5}};
	char out[11];
	ASSERT_EQ(gt_iovec_join(out, sizeof(out), v, 3), 11);
	ASSERT_MEMEQ(out, "header-body", 11);
	ASSERT_EQ(gt_iovec_join(out, 10, v, 3), -EMSGSIZE);
	ASSERT_EQ(gt_iovec_join(out, 0, v, 0), 0);
}
