/* MSG_EOR at the API (issue 14): Linux's record ends on its skbs
 * (tcp_sendmsg_locked(): TCP_SKB_CB(skb)->eor), bounded and counted in the
 * Linux profile; taken and without effect in the FreeBSD profile
 * (tcp_usr_send(): sbappendstream() keeps no record boundary). What they
 * do on the wire against the kernel: tests/pkt/linux/eor-*.pkt. */
#include <string.h>
#include "dlg.h"

static const char big1000[1000] = { 0 };

/* At most 16 unacknowledged record ends are kept; the 17th is counted in
 * TcpEorEndsDropped, and the write still goes. */
TEST(eor_linux_ends_bounded_and_counted)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	for (int i = 0; i < 17; i++)
		ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, GT_MSG_EOR), 10);
	ASSERT_EQ(dlg_stats(d)->TcpEorEndsDropped, 1);
	dlg_drain(d);
	dlg_free(d);
}

/* Other flags are still refused. */
TEST(eor_linux_other_flags_refused)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "x", 1, GT_MSG_EOR | 0x1), -EOPNOTSUPP);
	dlg_free(d);
}

TEST(eor_freebsd_taken_no_effect)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	for (int i = 0; i < 17; i++)
		ASSERT_EQ(gt_send(d->s, d->sd, "0123456789", 10, GT_MSG_EOR), 10);
	/* And through the spans. */
	struct gt_span sp[2];
	ASSERT(gt_send_spans(d->s, d->sd, sp) >= 10);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 10, GT_MSG_EOR), 10);
	ASSERT_EQ(dlg_stats(d)->TcpEorEndsDropped, 0);
	dlg_drain(d);
	dlg_free(d);
}

/* The relay's zero-copy path: 400 bytes committed into the unsent tail
 * skb, behind a full initial window, then a gt_send() of 1,000. The
 * segments that follow the window's ACK, as (length, PSH) pairs. */
static size_t commit_then_send(int commit_flags, uint32_t len[8], bool psh[8])
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	/* Ten segments fill the initial window; 400 bytes wait. */
	dlg_app_send(d, 10 * DLG_MSS + 400);
	size_t n = 0;
	uint32_t sent = 0;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		sent += g->len;
	}
	ASSERT_EQ(sent, 10 * DLG_MSS);
	struct gt_span sp[2];
	ASSERT(gt_send_spans(d->s, d->sd, sp) >= 400);
	ASSERT(sp[0].len >= 400);
	memset(sp[0].base, 'r', 400);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 400, commit_flags), 400);
	ASSERT_EQ(gt_send(d->s, d->sd, big1000, 1000, 0), 1000);
	dlg_expect_none(d); /* the window is full */
	d->snd_nxt += sent;
	dlg_peer_ack(d);
	while (dlg_pending(d) && n < 8) {
		const struct dlg_seg *g = dlg_next(d);
		len[n] = g->len;
		psh[n++] = g->h.flags & TH_PSH;
	}
	dlg_free(d);
	return n;
}

/* gt_send_commit() with MSG_EOR ends a record as gt_send() with it does
 * (tcp_sendmsg_locked(): TCP_SKB_CB(skb)->eor on the write's last skb):
 * the 400 bytes close the tail skb (800 bytes with the 400 the window
 * held) and the next write starts a new one, as
 * tests/pkt/linux/eor-no-coalesce.pkt shows for send(MSG_EOR) on Linux
 * 6.18. Without the flag the write joins the tail skb. */
TEST(eor_linux_send_commit_keeps_the_record_end)
{
	uint32_t len[8];
	bool psh[8];
	size_t n = commit_then_send(GT_MSG_EOR, len, psh);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(len[0], 800);
	ASSERT(psh[0]);
	ASSERT_EQ(len[1], 1000);
	ASSERT(psh[1]);
	/* Without it: one stream, cut at the MSS. */
	n = commit_then_send(0, len, psh);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(len[0], DLG_MSS);
	ASSERT(!psh[0]);
	ASSERT_EQ(len[1], 1800 - DLG_MSS);
	ASSERT(psh[1]);
}

/* A commit cut short by the space ends no record (tcp_sendmsg_locked()
 * sets eor only once the whole message is copied); other flags are
 * refused. */
TEST(eor_linux_send_commit_flags)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	struct gt_span sp[2];
	ASSERT(gt_send_spans(d->s, d->sd, sp) > 0);
	ASSERT_EQ(gt_send_commit(d->s, d->sd, 1, GT_MSG_EOR | 0x1), -EOPNOTSUPP);
	/* Room for more skbs than the 16 record ends kept: each commit below
	 * fills one, and were they ends, TcpEorEndsDropped would count. */
	int sndbuf = 1 << 20;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	ssize_t room;
	int calls = 0;
	while ((room = gt_send_spans(d->s, d->sd, sp)) > 0) {
		ASSERT_EQ(gt_send_commit(d->s, d->sd, (size_t)room + 1, GT_MSG_EOR), room);
		ASSERT_LT(++calls, 100);
	}
	ASSERT(calls > 16);
	ASSERT_EQ(dlg_stats(d)->TcpEorEndsDropped, 0);
	dlg_drain(d);
	dlg_free(d);
}
