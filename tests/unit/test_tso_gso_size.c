/* Transmit segmentation offload at any MSS (struct gt_device transmit_gso):
 * a sender on a 1500-byte MTU device with TSO, whose peer advertises MSS
 * 536 (its own MTU 576), hands the device segments of many MSS with
 * gso_size the MSS less the options, 524 with timestamps (Linux's
 * tcp_current_mss(), FreeBSD's tso_segsz), never a piece over the peer's
 * MSS; a device without transmit_gso keeps the old rule (TSO only at the
 * MSS the MTU allows) and gets MSS-sized segments. Two stacks, packets
 * ferried between them; the receiver takes each large segment whole with
 * its gso_size (gt_stack_input_gso()), as the TUN runtime's kernel does.
 * And one piece of a GSO packet lost on the way: resent alone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "two_stack.h"

#include "util/checksum.h"

#include <glasstcp/glasstcp.h>

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u
#define TOTAL (200u * 1000u)

/* What the sender's device saw. */
struct seen {
	uint32_t gso_pkts, plain_pkts;
	uint32_t gso_min, gso_max; /* gso_size given */
	uint32_t pay_max;          /* largest payload of a plain packet */
	uint32_t piece_max;        /* largest payload of a piece (gso_size or the rest) */
	bool bad;                  /* a gso packet with a payload of one piece or less */
};

struct end {
	struct ts_q q; /* what this end sent, for the other */
	struct seen seen;
	bool sender;
};

/* A loss in recovery: the second piece of the sender's first GSO packet of
 * 3 pieces or more, from the drop_nth-th on, is lost on the way, as a path
 * after the device's segmentation loses one segment; the first piece
 * arrives alone and the rest as one GSO packet (the receiver's GRO), whose
 * one ACK SACKs them all; the largest payload the sender resends. */
static struct loss {
	uint32_t drop_nth, gso_n;
	bool dropped, rtx, healed; /* healed: an ACK past the hole */
	uint32_t hole_end, max_end;
	uint32_t rtx_pay_max; /* the largest retransmitted payload */
} loss;

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static uint32_t tcp_payload(const uint8_t *p, size_t len)
{
	size_t ihl = (size_t)(p[0] & 15) * 4;
	size_t thl = (size_t)(p[ihl + 12] >> 4) * 4;
	return (uint32_t)(len - ihl - thl);
}

static void enqueue(struct end *e, const uint8_t *p, size_t len, uint16_t gso)
{
	ts_q_push(&e->q, p, len, gso);
}

/* Queues a piece of packet p: its headers (hdr bytes; the IPv4 length and
 * checksum redone, seq moved by off) and pay payload bytes from off. The
 * receiver's device takes TCP checksums as verified. */
static void enqueue_piece(struct end *e, const uint8_t *p, size_t hdr, uint32_t off, uint32_t pay,
			  uint16_t gso)
{
	static uint8_t piece[TS_PKT_MAX];
	size_t ihl = (size_t)(p[0] & 15) * 4;
	memcpy(piece, p, hdr);
	memcpy(piece + hdr, p + hdr + off, pay);
	size_t len = hdr + pay;
	piece[2] = (uint8_t)(len >> 8);
	piece[3] = (uint8_t)len;
	piece[10] = piece[11] = 0;
	uint16_t ipsum = csum_fold(csum_partial(piece, ihl, 0));
	piece[10] = (uint8_t)(ipsum >> 8);
	piece[11] = (uint8_t)ipsum;
	uint32_t seq = be32(p + ihl + 4) + off;
	for (int i = 0; i < 4; i++)
		piece[ihl + 4 + i] = (uint8_t)(seq >> (24 - 8 * i));
	enqueue(e, piece, len, gso);
}

/* One packet from either end: noted, and queued for the other (or cut). */
static void track(struct end *e, const uint8_t *p, size_t len, uint16_t gso)
{
	size_t ihl = (size_t)(p[0] & 15) * 4;
	uint32_t seq = be32(p + ihl + 4), ack = be32(p + ihl + 8);
	uint32_t pay = tcp_payload(p, len);
	if (!e->sender || !pay) {
		if (!e->sender && loss.dropped && (int32_t)(ack - loss.hole_end) >= 0)
			loss.healed = true;
		enqueue(e, p, len, gso);
		return;
	}
	uint32_t end = seq + pay;
	bool fresh = !loss.max_end || (int32_t)(end - loss.max_end) > 0;
	if (gso && loss.drop_nth && !loss.dropped && ++loss.gso_n >= loss.drop_nth && pay >= 3u * gso) {
		size_t hdr = len - pay;
		loss.dropped = true;
		loss.hole_end = seq + 2u * gso;
		loss.max_end = end;
		enqueue_piece(e, p, hdr, 0, gso, 0);
		enqueue_piece(e, p, hdr, 2u * gso, pay - 2u * gso, gso);
		return;
	}
	if (loss.dropped && !fresh) {
		loss.rtx = true;
		loss.rtx_pay_max = pay > loss.rtx_pay_max ? pay : loss.rtx_pay_max;
	}
	if (fresh)
		loss.max_end = end;
	enqueue(e, p, len, gso);
}

static int push(struct end *e, const uint8_t *p, size_t len, uint16_t gso)
{
	track(e, p, len, gso);
	return 0;
}

static int tx(void *ctx, const void *pkt, size_t len)
{
	struct end *e = ctx;
	uint32_t pay = tcp_payload(pkt, len);
	e->seen.plain_pkts++;
	if (pay > e->seen.pay_max)
		e->seen.pay_max = pay;
	if (pay > e->seen.piece_max)
		e->seen.piece_max = pay;
	return push(e, pkt, len, 0);
}

static int txv(void *ctx, const struct gt_iovec *iov, int n)
{
	size_t len;
	const uint8_t *p = ts_join(iov, n, &len);
	return tx(ctx, p, len);
}

static int tx_gso(void *ctx, const struct gt_iovec *iov, int n, uint16_t gso)
{
	struct end *e = ctx;
	size_t len;
	const uint8_t *join = ts_join(iov, n, &len);
	uint32_t pay = tcp_payload(join, len);
	struct seen *s = &e->seen;
	s->gso_pkts++;
	s->gso_min = s->gso_min && s->gso_min < gso ? s->gso_min : gso;
	s->gso_max = s->gso_max > gso ? s->gso_max : gso;
	if (pay <= gso)
		s->bad = true;
	if (gso > s->piece_max)
		s->piece_max = gso;
	return push(e, join, len, gso);
}

/* Both ends sign every segment (TCP-MD5, FreeBSD's key table), in the
 * FreeBSD profile (the Linux one's skbs of a signing socket are one
 * segment each already: lx_size_goal_mss()). */
static bool md5;
static const char md5_key[] = "gso";

static gt_stack *stack(struct end *e, uint32_t addr, uint16_t mtu, bool tso, bool with_gso)
{
	struct gt_config cfg;
	gt_config_default(&cfg, md5 ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
	cfg.opt_timestamps = true;
	cfg.md5sig_bsd = md5;
	struct gt_device dev = {.transmit = tx, .transmitv = txv, .ctx = e, .mtu = mtu,
				 /* pieces cut here (loss) keep the whole segment's sum */
				 .rx_csum_verified = loss.drop_nth != 0};
	if (tso)
		dev.tso_max_bytes = 64000;
	if (with_gso)
		dev.transmit_gso = tx_gso;
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, addr, 24), 0);
	if (md5) {
		struct gt_sockaddr a = {.family = GT_AF_INET, .addr = A_ADDR};
		struct gt_sockaddr b = {.family = GT_AF_INET, .addr = B_ADDR};
		ASSERT_EQ(gt_tcp_md5_key_add(s, &a, &b, md5_key, strlen(md5_key)), 0);
		ASSERT_EQ(gt_tcp_md5_key_add(s, &b, &a, md5_key, strlen(md5_key)), 0);
	}
	return s;
}

/* A sends TOTAL bytes to B (MTU 576: MSS 536); what A's device saw. */
static struct seen download(bool with_gso)
{
	static struct end a = {.sender = true}, b;
	memset(&a.seen, 0, sizeof(a.seen));
	memset(&b.seen, 0, sizeof(b.seen));
	ts_q_reset(&a.q);
	ts_q_reset(&b.q);
	gt_stack *sa = stack(&a, A_ADDR, 1500, true, with_gso);
	gt_stack *sb = stack(&b, B_ADDR, 576, false, false);
	uint64_t now = 1000000;
	int lsd = gt_socket(sb, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr at = {.family = GT_AF_INET, .addr = B_ADDR, .port = 80};
	/* A receive window that does not limit the burst after a loss. */
	int rcvbuf = 1 << 20;
	ASSERT_EQ(gt_setsockopt(sb, lsd, GT_SOL_SOCKET, GT_SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	ASSERT_EQ(gt_bind(sb, lsd, &at), 0);
	ASSERT_EQ(gt_listen(sb, lsd, 4), 0);
	int sd = gt_socket(sa, GT_AF_INET, GT_SOCK_STREAM);
	if (md5) {
		int one = 1;
		ASSERT_EQ(gt_setsockopt(sb, lsd, GT_IPPROTO_TCP, GT_TCP_MD5SIG, &one, sizeof one), 0);
		ASSERT_EQ(gt_setsockopt(sa, sd, GT_IPPROTO_TCP, GT_TCP_MD5SIG, &one, sizeof one), 0);
	}
	ASSERT_EQ(gt_connect(sa, sd, &at), -EINPROGRESS);
	ts_transfer(sa, sd, &a.q, sb, lsd, &b.q, &now, TOTAL);
	gt_stack_free(sa);
	gt_stack_free(sb);
	return a.seen;
}

TEST(tso_at_a_peers_smaller_mss_carries_gso_size)
{
	struct seen s = download(true);
	ASSERT(s.gso_pkts > 0);
	ASSERT(!s.bad);
	ASSERT_EQ(s.gso_max, 536u - 12u); /* the MSS less the timestamps */
	ASSERT(s.gso_min >= 536u - 12u - 40u); /* SACK blocks at most */
	ASSERT(s.piece_max <= 536u);
}

TEST(tso_without_transmit_gso_keeps_the_mtus_rule)
{
	struct seen s = download(false);
	ASSERT_EQ(s.gso_pkts, 0u);
	ASSERT(s.pay_max <= 536u - 12u);
	ASSERT(s.plain_pkts > TOTAL / 536u);
}

/* One piece of a GSO packet lost on the way (the rest SACKed): it is
 * resent alone, one MSS, and the download completes with every GSO packet
 * still cut at 524. New data in that recovery leaves one MSS at a time
 * too: seg_max_of() takes no TSO in recovery, and with TSO allowed there
 * (tried: Linux's tcp_write_xmit() sizes skbs by tcp_tso_segs() in any CA
 * state) the segments were the same, PRR releasing about one segment per
 * ACK. */
TEST(tso_lost_piece_resent_alone)
{
	memset(&loss, 0, sizeof(loss));
	loss.drop_nth = 3;
	struct seen s = download(true);
	ASSERT(loss.dropped && loss.rtx && loss.healed);
	ASSERT(!s.bad);
	ASSERT_EQ(s.gso_max, 536u - 12u);
	ASSERT(loss.rtx_pay_max <= 536u - 12u);
	memset(&loss, 0, sizeof(loss));
}

/* A signed connection takes no TSO, even from a device told the piece
 * size: one digest cannot cover the pieces (Linux's tcp_md5_do_add()
 * sk_gso_disable(), FreeBSD's tcp_output() "(tp->t_flags & TF_SIGNATURE)
 * == 0"). Every segment within the MSS, 536 less timestamps and the
 * signature option (20 bytes with its padding), all delivered. */
TEST(tso_not_for_a_signed_connection)
{
	md5 = true;
	struct seen s = download(true);
	md5 = false;
	ASSERT_EQ(s.gso_pkts, 0u);
	ASSERT(s.pay_max <= 536u - 12u - 20u);
	ASSERT(s.plain_pkts > TOTAL / 536u);
}
