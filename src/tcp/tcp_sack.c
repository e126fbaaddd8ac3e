/* The sender's SACK scoreboard and loss recovery with it (RFC 2018, RFC
 * 6675): a bounded, sorted list of the ranges above SND.UNA that the peer
 * reports holding; IsLost(), SetPipe() and NextSeg() of RFC 6675 4 computed
 * from it; and the recovery loop of RFC 6675 5 (C), paced with cfg.prr_bsd
 * by proportional rate reduction (RFC 6937) as FreeBSD's tcp_do_prr_ack(),
 * or, in the FreeBSD profile without it, FreeBSD's own recovery without
 * PRR (tcp_sack_bsd_*(): tcp_do_segment(), tcp_output(),
 * tcp_sack_partialack()).
 * D-SACK blocks (RFC 2883) and blocks outside what was sent are ignored; a
 * full scoreboard only costs needless retransmissions.
 *
 * HighACK is snd_una, HighData snd_max, RecoveryPoint recover, and HighRxt
 * is rexmit_nxt: during recovery every unSACKed octet below it has been
 * retransmitted once. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"
#include "tcp/tcp_cc_bsd.h"

#define DUPTHRESH 3u /* RFC 6675 2: DupThresh */

uint32_t tcp_sack_bytes(const struct tcp_conn *c)
{
	uint32_t n = 0;
	for (uint16_t i = 0; i < c->nsacked; i++)
		n += c->sacked[i].right - c->sacked[i].left;
	return n;
}

/* The allocation around c->sacked. */
static struct tcp_sackboard *board_of(const struct tcp_conn *c)
{
	return (struct tcp_sackboard *)(void *)((uint8_t *)c->sacked -
						  offsetof(struct tcp_sackboard, r));
}

/* Grows the scoreboard (the PRR state beside it comes along) to cap
 * ranges, or allocates it; false when out of memory. */
static bool board_grow(struct tcp_conn *c, uint32_t cap)
{
	struct tcp_sackboard *b = c->sacked ? board_of(c) : NULL;
	struct tcp_sackboard *nb = realloc(b, sizeof(*b) + (size_t)cap * sizeof(b->r[0]));
	if (!nb)
		return false;
	if (!b)
		memset(nb, 0, sizeof(*nb));
	nb->cap = cap;
	c->sacked = nb->r;
	return true;
}

/* The scoreboard and the PRR state beside it, one allocation per
 * connection, freed with its buffers. False when out of memory. */
static bool board_alloc(struct tcp_conn *c)
{
	return board_grow(c, TCP_RANGES_MIN);
}

/* The scoreboard's bytes, kept with it (struct tcp_sackboard's bytes) so
 * that an ACK in recovery does not walk every range for them:
 * tcp_sack_bytes_above(), hole_rexmit_bytes() and lost_bytes() answer
 * from it and the few ranges at one end. tcp_check.c asserts it equals
 * tcp_sack_bytes()'s walk after every step. */
uint32_t tcp_sack_bytes_kept(const struct tcp_conn *c)
{
	return c->nsacked ? board_of(c)->bytes : 0;
}

uint32_t tcp_sack_room(const struct tcp_conn *c)
{
	return c->sacked ? board_of(c)->cap : 0;
}

void tcp_sack_free(struct tcp_conn *c)
{
	if (c->sacked)
		free(board_of(c));
	c->sacked = NULL;
	c->nsacked = 0;
}

uint32_t tcp_sack_limit(const struct tcp_conn *c)
{
	/* A receiver holds at most one range per two segments of what was
	 * sent (a segment SACKed, one missing, ...): the send ring. */
	uint32_t seg = c->mss ? c->mss : 536u;
	uint32_t n = c->snd.cap / (2 * seg) + 2;
	n = n > TCP_RANGES_MIN ? n : TCP_RANGES_MIN;
	return n < TCP_MAX_SACKED ? n : TCP_MAX_SACKED;
}

void tcp_sack_prune(struct tcp_conn *c)
{
	uint16_t k = 0;
	while (k < c->nsacked && seq_le(c->sacked[k].right, c->snd_una))
		k++;
	if (!k && !(c->nsacked && seq_lt(c->sacked[0].left, c->snd_una)))
		return;
	struct tcp_sackboard *b = board_of(c);
	for (uint16_t i = 0; i < k; i++)
		b->bytes -= c->sacked[i].right - c->sacked[i].left;
	if (k)
		tcp_range_remove(c->sacked, &c->nsacked, 0, k);
	if (c->nsacked && seq_lt(c->sacked[0].left, c->snd_una)) {
		b->bytes -= c->snd_una - c->sacked[0].left;
		c->sacked[0].left = c->snd_una;
	}
}

bool tcp_sack_update(struct tcp_conn *c, const struct tcp_opts *o)
{
	tcp_sack_prune(c);
	if (!c->sacked && o->nsack && !board_alloc(c))
		return false; /* only costs needless retransmissions */
	if (c->sacked && !c->nsacked)
		board_of(c)->bytes = 0; /* emptied by nsacked = 0 elsewhere */
	uint32_t added = 0, max = tcp_sack_limit(c);
	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = o->sack[i].left, r = o->sack[i].right, a = 0;
		/* Ignore D-SACKs and blocks outside what we sent (RFC 2883). */
		if (!seq_lt(l, r) || seq_le(r, c->snd_una) || seq_gt(r, c->snd_max))
			continue;
		l = seq_max(l, c->snd_una);
		uint32_t cap = board_of(c)->cap;
		if (tcp_range_merge(c->sacked, &c->nsacked, cap < max ? cap : max, l, r, &a) < 0 &&
		    cap < max && board_grow(c, cap * 2 < max ? cap * 2 : max))
			(void)tcp_range_merge(c->sacked, &c->nsacked, board_of(c)->cap, l, r, &a);
		/* Still full: only costs a needless retransmission. */
		added += a;
		board_of(c)->bytes += a;
	}
	return added > 0;
}

void tcp_sack_bsd_filter(gt_stack *s, const struct tcp_conn *c, struct tcp_opts *o, uint32_t ack)
{
	/* tcp_sack_doack() (freebsd main, fel1x-developer/freebsd-src
	 * 2d614aa; rscheff/freebsd-src 0ae9dc87 the same): "SEQ_GT(sack.end,
	 * sack.start) && SEQ_GT(sack.start, tp->snd_una) && SEQ_GT(sack.start,
	 * th_ack) && SEQ_LT(sack.start, tp->snd_max) && SEQ_GT(sack.end,
	 * tp->snd_una) && SEQ_LEQ(sack.end, tp->snd_max)" takes a block;
	 * "else if (SEQ_LEQ(sack.start, th_ack) && SEQ_LEQ(sack.end, th_ack))"
	 * it is a D-SACK, tcp_record_dsack(); anything else is dropped,
	 * whole: a block from at or below SEG.ACK to past it SACKs nothing.
	 * The ACK keeps TOF_SACK, so without a scoreboard change it is no
	 * DupAck (tcp_do_segment()); the caller keeps g->h.opts for that
	 * (tests/pkt/freebsd/sack-block-at-or-below-ack-ignored.pkt). */
	uint8_t n = 0;
	bool dsack = false;
	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = o->sack[i].left, r = o->sack[i].right;
		if (seq_gt(r, l) && seq_gt(l, c->snd_una) && seq_gt(l, ack) &&
		    seq_lt(l, c->snd_max) && seq_gt(r, c->snd_una) && seq_le(r, c->snd_max))
			o->sack[n++] = o->sack[i];
		else if (seq_le(l, ack) && seq_le(r, ack))
			dsack = true;
		else
			s->st.TcpSACKBlockDropped++;
	}
	o->nsack = n;
	if (dsack)
		s->st.TcpDSACKRecv++;
}

/* Hole h (0-based, lowest first) of FreeBSD's scoreboard as glasstcp's
 * ranges imply it: from SND.UNA or a range's end to the next range's
 * start; with no range, the rescue hole. */
static void bsd_hole_at(const struct tcp_conn *c, uint32_t h, uint32_t *hs, uint32_t *he)
{
	if (!c->nsacked) {
		const struct tcp_prr *p = &board_of(c)->prr;
		*hs = seq_max(p->rescue_lo, c->snd_una);
		*he = p->rescue_hi;
		return;
	}
	*hs = h ? c->sacked[h - 1].right : c->snd_una;
	*he = c->sacked[h].left;
}

bool tcp_sack_bsd_newloss(const struct tcp_conn *c, const struct tcp_opts *o, uint32_t ack)
{
	/* tcp_sack_doack()'s sackstatus_t (freebsd main,
	 * fel1x-developer/freebsd-src 2d614aa), which tcp_do_prr_ack() reads
	 * ("sack_changed == SACK_NEWLOSS"): SACK_NEWLOSS where a block
	 * splits a hole ("ACKs some data in middle of a hole"), or moves the
	 * rescue hole left; SACK_CHANGE where a block appends a hole at the
	 * tail, advances snd_fack or touches a hole otherwise. Each hole a
	 * block touches sets SACK_CHANGE first, and blocks and holes are
	 * walked from the highest down, so the lowest touch decides. Run on
	 * the blocks tcp_sack_bsd_filter() kept, before they are merged; o
	 * from an ACK with the SACK option (without it, SACK_NOCHANGE). */
	struct tcp_prr *p = c->sacked ? &board_of(c)->prr : NULL;
	bool rescue = p && p->rescue_on && !c->nsacked;
	bool holes = c->nsacked || rescue;
	uint32_t nh = c->nsacked ? c->nsacked : (rescue ? 1u : 0u);
	struct tcp_range b[TCP_MAX_SACK + 1];
	uint32_t n = 0;
	if (seq_lt(c->snd_una, ack) && holes)
		b[n++] = (struct tcp_range){ .left = c->snd_una, .right = ack };
	for (uint8_t i = 0; i < o->nsack && n < TCP_MAX_SACK + 1; i++)
		b[n++] = (struct tcp_range){ .left = o->sack[i].left, .right = o->sack[i].right };
	if (!n)
		return false;
	for (uint32_t i = 0; i < n; i++) /* by end, as tcp_sack_doack() sorts */
		for (uint32_t j = i + 1; j < n; j++)
			if (seq_gt(b[i].right, b[j].right)) {
				struct tcp_range t = b[i];
				b[i] = b[j];
				b[j] = t;
			}
	uint32_t fack = rescue ? c->snd_una : tcp_sack_fack(c);
	if (!holes)
		fack = seq_max(c->snd_una, ack);
	else if (seq_lt(fack, ack))
		fack = ack;
	int k = (int)n - 1;
	bool newloss = false;
	/* The highest block past snd_fack: the rescue hole moved left
	 * (SACK_NEWLOSS) or a hole appended (SACK_CHANGE); the block is done
	 * with. That hole is the highest the walk below meets. */
	bool tail = seq_lt(fack, b[k].left);
	uint32_t tail_s = 0, tail_e = 0;
	if (tail) {
		newloss = rescue;
		tail_s = rescue ? seq_max(fack, seq_max(c->snd_una, ack)) : fack;
		tail_e = b[k].left;
		if (rescue)
			nh = 0; /* the moved hole replaces it */
		k--;
	}
	int h = (int)nh - 1 + (tail ? 1 : 0);
	uint32_t hs = 0, he = 0;
	if (h >= 0) {
		if (tail)
			hs = tail_s, he = tail_e;
		else
			bsd_hole_at(c, (uint32_t)h, &hs, &he);
	}
	for (int guard = 0; k >= 0 && h >= 0 && guard < 4096; guard++) {
		if (seq_ge(b[k].left, he)) {
			k--;
			continue;
		}
		bool next_hole = false;
		if (seq_le(b[k].right, hs)) {
			next_hole = true;
		} else {
			newloss = false; /* SACK_CHANGE */
			if (seq_le(b[k].left, hs)) {
				if (seq_ge(b[k].right, he))
					next_hole = true; /* the hole deleted */
				else
					hs = b[k].right;
			} else {
				if (!seq_ge(b[k].right, he))
					newloss = true; /* split */
				he = b[k].left;
			}
			if (!next_hole && !seq_le(b[k].left, hs)) {
				k--;
				continue;
			}
			next_hole = true;
		}
		if (next_hole && --h >= 0)
			bsd_hole_at(c, (uint32_t)h, &hs, &he);
	}
	return newloss;
}

/* The SACKed bytes at or above seq: the kept total, less what lies below
 * seq when fewer ranges lie there than above (SND.UNA, HighRxt: the
 * scoreboard's low end), else the ranges above, walked. */
uint32_t tcp_sack_bytes_above(const struct tcp_conn *c, uint32_t seq)
{
	if (!c->nsacked)
		return 0;
	if (!seq_gt(seq, c->sacked[0].left))
		return board_of(c)->bytes; /* every range at or above seq */
	/* The first range that ends at or past seq; those before end below. */
	uint16_t first = tcp_range_search(c->sacked, c->nsacked, seq), i;
	uint32_t n = 0;
	if (first <= c->nsacked - first) {
		for (i = 0; i < first; i++)
			n += c->sacked[i].right - c->sacked[i].left;
		if (first < c->nsacked && seq_gt(seq, c->sacked[first].left))
			n += seq_min(seq, c->sacked[first].right) - c->sacked[first].left;
		return board_of(c)->bytes - n;
	}
	for (i = first; i < c->nsacked; i++)
		if (seq_gt(c->sacked[i].right, seq))
			n += c->sacked[i].right - seq_max(c->sacked[i].left, seq);
	return n;
}

uint32_t tcp_sack_fack(const struct tcp_conn *c)
{
	if (c->nsacked && seq_gt(c->sacked[c->nsacked - 1].right, c->snd_una))
		return c->sacked[c->nsacked - 1].right;
	return c->snd_una;
}

/* The PRR state beside the scoreboard (struct tcp_sackboard: r is its
 * first member, so the scoreboard's address is the block's). */
static struct tcp_prr *prr_of(struct tcp_conn *c)
{
	return c->sacked ? &board_of(c)->prr : NULL;
}

/* The rescue hole in rscheff/freebsd-src 0ae9dc87's tcp_sack_doack() as
 * an ACK to top finds it: the scoreboard's only hole (made on an empty
 * one; the first SACK block moves it), with snd_fack at SND.UNA (pulled
 * along by each cumulative ACK). A block above snd_fack ("check if there
 * was a successful Rescue Retransmission, and move this hole left") makes
 * it [SEG.ACK, the block's start) with rxmit at its start, and
 * sack_bytes_rexmit keeps what was resent of it (no "-= (rxmit -
 * start)" there): rescue_kept, which counts until an RTO, past the
 * recovery's end (rescue_bytes()).
 * The moved hole is glasstcp's hole below the SACKed range, resent from
 * HighRxt. Without a block, the cumulative ACK [SND.UNA, SEG.ACK) trims
 * it as any hole: its start moves to SEG.ACK and rxmit with it, and it
 * goes at its end, with its bytes. Returns the bytes the ACK covered of
 * it, which count in delivered_data and sacked_bytes as a deleted hole's
 * do. */
static uint32_t rescue_ack(struct tcp_conn *c, struct tcp_prr *p, uint32_t top)
{
	if (!p->rescue_on)
		return 0;
	if (tcp_sack_bytes_above(c, top)) {
		p->rescue_kept += p->rescue_rx - p->rescue_lo;
		p->rescue_on = false;
		return 0;
	}
	if (!seq_gt(top, p->rescue_lo))
		return 0;
	uint32_t covered = seq_min(top, p->rescue_hi) - p->rescue_lo;
	p->rescue_on = seq_lt(top, p->rescue_hi);
	p->rescue_lo = top;
	p->rescue_rx = seq_max(p->rescue_rx, top);
	return covered;
}

/* RFC 6937's DeliveredData for this ACK, as FreeBSD's tcp_sack_doack()
 * leaves it in sackhint.delivered_data: bytes newly acknowledged
 * cumulatively that were not SACKed before, plus bytes newly SACKed; and
 * whether it is a new loss for PRR's bound (newloss: FreeBSD's
 * SACK_NEWLOSS, tcp_sack_bsd_newloss(), or < 0 for RFC 6937bis's reading,
 * a block above a new hole past the highest SACKed byte). Called with
 * SND.UNA not yet moved. */
void tcp_sack_prr_ack(struct tcp_conn *c, uint32_t ack, uint32_t sacked_before, uint32_t fack_before,
		      int newloss)
{
	struct tcp_prr *p = prr_of(c);
	if (!p)
		return;
	uint32_t top = seq_max(ack, c->snd_una), left = top - c->snd_una;
	/* FreeBSD's tcp_sack_doack() (rscheff/freebsd-src tcp_sack.c
	 * 0ae9dc87) takes [SND.UNA, SEG.ACK) as a SACK block only while the
	 * scoreboard has holes: on an empty one, the bytes SEG.ACK
	 * acknowledges are not delivered_data. With holes, a SEG.ACK past
	 * snd_fack adds those bytes ("delivered_data += th_ack -
	 * tp->snd_una", snd_fack pulled to th_ack) and then every hole below
	 * it again as the block deletes it, while sacked_bytes loses
	 * left_edge_delta once: delivered_data and sacked_bytes both come
	 * out snd_fack - SND.UNA high (the rescue hole: what the ACK covered
	 * of it, rescue_ack()). sacked_bytes is only ever added to
	 * while holes remain, so the excess (sacked_extra) stays until an
	 * ACK finds the scoreboard empty (reset to 0 there, or by
	 * tcp_do_segment() when tcp_is_sack_recovery() is false);
	 * tcp_compute_pipe() is that much lower meanwhile. */
	bool holes = sacked_before || p->rescue_on; /* [SND.UNA, the first block) at least */
	uint32_t extra = sacked_before && left && seq_lt(fack_before, top)
				 ? fack_before - c->snd_una : 0;
	extra += rescue_ack(c, p, top);
	uint64_t now = (uint64_t)(holes ? left : 0) + tcp_sack_bytes_above(c, top) + extra;
	p->delivered_now = now > sacked_before ? (uint32_t)(now - sacked_before) : 0;
	p->sacked_extra = (holes ? p->sacked_extra : 0) + extra;
	p->acked_now = left;
	p->holes_before = holes;
	p->nxt_before = c->snd_nxt;
	/* newloss < 0: a block landed above a new hole past the highest
	 * SACKed byte (RFC 6937bis's new loss); else tcp_sack_doack()'s
	 * SACK_NEWLOSS as tcp_sack_bsd_newloss() found it. */
	if (newloss >= 0)
		p->newloss = newloss > 0;
	else
		p->newloss = c->nsacked && seq_gt(c->sacked[c->nsacked - 1].left, fack_before);
}

/* What FreeBSD's sack_bytes_rexmit holds of the rescue hole: the bytes
 * resent from it that are neither SACKed nor acknowledged, plus what a
 * SACK that moved it left there (rescue_kept). The kept bytes outlive
 * the recovery: no ACK takes them off, only tcp_free_sackholes() (an
 * RTO: tcp_sack_rescue_clear()), so tcp_compute_pipe() and
 * tcp_output()'s SACK room count them in every later recovery and ECN
 * reduction (freebsd/freebsd-src main, fel1x-developer/freebsd-src
 * 2d614aa tcp_sack.c; tests/pkt/freebsd/
 * sack-partialack-rescue-kept-next-recovery.pkt). */
static uint32_t rescue_bytes(const struct tcp_conn *c)
{
	const struct tcp_prr *p = c->sacked ? &board_of(c)->prr : NULL;
	if (!p)
		return 0;
	return (c->in_recovery && p->rescue_on ? p->rescue_rx - p->rescue_lo : 0) + p->rescue_kept;
}

void tcp_sack_rescue_clear(struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	if (!p)
		return;
	p->rescue_on = p->bsd_cwnd = false;
	p->rescue_kept = 0;
}

void tcp_sack_rescue_done(struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	if (!p)
		return;
	/* The hole itself lies below SND.MAX: the full ACK deleted it (or
	 * the recovery never made one); rescue_kept stays. */
	p->rescue_on = p->bsd_cwnd = false;
}

uint32_t tcp_sack_bsd_entry_len(const struct tcp_conn *c)
{
	/* enter_recovery: "tp->snd_cwnd = maxseg; (void)tcp_output(tp)";
	 * tcp_output()'s SACK branch resends within "imax(min(snd_wnd,
	 * snd_cwnd) - sack_bytes_rxmt, 0)", and new data gets "snd_cwnd -
	 * (snd_nxt - snd_recover) - sack_bytes_rxmt" (tcp_sack_output()
	 * reports sack_bytes_rexmit even with no hole to offer). Only the
	 * rescue's kept bytes can be in it at entry. */
	uint32_t kept = c->sacked ? board_of(c)->prr.rescue_kept : 0;
	return kept < c->mss ? c->mss - kept : 0;
}

bool tcp_sack_bsd_partialack_cwnd(const struct tcp_conn *c)
{
	return c->in_recovery && c->sacked && board_of(c)->prr.bsd_cwnd;
}

/* FreeBSD's "!TAILQ_EMPTY(&tp->snd_holes)", the half of
 * tcp_is_sack_recovery() (tcp_input.c: "(tp->t_flags & TF_SACK_PERMIT) &&
 * ((to->to_flags & TOF_SACK) || (!TAILQ_EMPTY(&tp->snd_holes)))"; freebsd
 * main as stored in fel1x-developer/freebsd-src 2d614aa) that does not
 * read the segment: a SACKed range has a hole below it (a block starts
 * above SEG.ACK), and tcp_sack_partialack()'s rescue hole sits on an
 * empty scoreboard (rescue_on, cleared at the recovery's end and by an
 * RTO as tcp_free_sackholes() drops it). */
bool tcp_sack_bsd_holes(const struct tcp_conn *c)
{
	return c->nsacked || (c->sacked && board_of(c)->prr.rescue_on);
}

/* Fast recovery begins with PRR (FreeBSD's tcp_do_segment(), enter_recovery
 * with tcp_do_prr): prr_delivered starts at one segment, the one that
 * triggered it (limited transmit's segments left out), prr_out at what the
 * fast retransmit sent, recover_fs at the flight before the ACK (snd_nxt -
 * snd_una, SND.UNA not yet moved by the acked bytes of an ACK that
 * advances). A duplicate ACK is done with then (goto drop); an ACK that
 * advanced goes on as a partial ACK (resume_partialack) and keeps its
 * DeliveredData for tcp_do_prr_ack(). False when PRR is off or has no
 * state (no scoreboard). */
bool tcp_sack_prr_start(gt_stack *s, struct tcp_conn *c, uint32_t sent, uint32_t acked)
{
	struct tcp_prr *p = prr_of(c);
	if (!p)
		return false;
	p->on = s->cfg.prr_bsd;
	p->lost_bsd = s->cfg.pipe_lost_bsd;
	p->bsd_left = 0; /* no leftover of an earlier recovery's cwnd */
	p->bsd_cw = 0;
	if (!p->on)
		return false;
	uint32_t fs = c->snd_max - c->snd_una + acked;
	p->delivered = c->mss;
	/* enter_recovery leaves prr_out as it is: only cc_post_recovery()
	 * zeroes it, at a recovery's end, and tcp_output() adds whatever it
	 * sends while IN_RECOVERY, an ECN reduction's segments too
	 * (tests/pkt/freebsd/prr-out-kept-from-ecn-reduction-into-recovery.pkt;
	 * the profile set it to the fast retransmit before branch h-bsd). */
	p->out += sent;
	p->recover_fs = fs ? fs : 1;
	if (!acked)
		p->delivered_now = 0;
	return true;
}

/* An ECE's reduction in the FreeBSD profile (newreno_cong_signal(CC_ECN):
 * cwnd and ssthresh halved at once, ENTER_CONGRECOVERY; cc_cong_signal()
 * sets snd_recover to SND.MAX + 1). Until an ACK reaches snd_recover the
 * connection is in congestion recovery: newreno_ack_received() grows
 * nothing (IN_RECOVERY), with PRR or without, and a fast recovery that
 * starts meanwhile keeps this ssthresh (newreno_cong_signal(CC_NDUPACK)
 * sets it only outside congestion recovery). With cfg.prr_bsd each ACK
 * that advances below snd_recover also goes through tcp_do_prr_ack()
 * (tcp_do_segment()'s IN_CONGRECOVERY branch), with or without SACK.
 * prr_delivered and prr_out are not reset here (only cc_post_recovery()
 * does, at the end of a recovery), nor is recover_fs: tcp_do_prr_ack()
 * sets it to the flight when it is still 0, so after an earlier fast
 * recovery it is that recovery's. The state comes with the scoreboard; a
 * connection without one gets it now, or (out of memory) keeps the halved
 * cwnd and grows it as outside a reduction. */
void tcp_sack_prr_ecn(gt_stack *s, struct tcp_conn *c)
{
	if (!c->sacked && !board_alloc(c))
		return;
	struct tcp_prr *p = prr_of(c);
	p->cong = true;
	p->cong_prr = s->cfg.prr_bsd;
	p->lost_bsd = s->cfg.pipe_lost_bsd;
	p->cong_recover = c->snd_max + 1;
}

/* Does an ECN reduction run (IN_CONGRECOVERY)? */
bool tcp_sack_in_cong(const struct tcp_conn *c)
{
	return c->sacked && board_of(c)->prr.cong;
}

/* Sent while an ECN reduction runs by PRR: prr_out (tcp_output() counts
 * every byte sent while IN_RECOVERY; fast recovery counts its own in
 * tcp_sack_recovery_send()). */
void tcp_sack_prr_sent(struct tcp_conn *c, uint32_t len)
{
	struct tcp_prr *p = prr_of(c);
	if (p && p->cong && p->cong_prr && !c->in_recovery)
		p->out += len;
}

/* An RTO ends an ECN reduction (cc_cong_signal(CC_RTO): EXIT_RECOVERY),
 * and a fast recovery takes it over (ENTER_RECOVERY sets both flags; its
 * end clears both). */
void tcp_sack_prr_cong_end(struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	if (p)
		p->cong = false;
}

/* PRR's counts at an RTO (tcp_timer_rexmt()). cc_cong_signal(CC_RTO)
 * keeps IN_RECOVERY at the first timeout while SACK holes remain
 * ("(tp->t_rxtshift > 1) || !((tp->t_flags & TF_SACK_PERMIT) &&
 * (!TAILQ_EMPTY(&tp->snd_holes)))", tcp_input.c 2d614aa): FreeBSD's
 * recovery goes on, and its end's cc_post_recovery() zeroes
 * prr_delivered and prr_out. The profile keeps it too where
 * tcp_sack_bsd_rto_keep() says so, and this is not called; where it ends
 * the recovery all the same (cfg.rto_keeps_sack_recovery off, a zero
 * window, reneging, an ECN reduction alone) it zeroes them here, where
 * the counts of that recovery stop. Any other timeout is EXIT_RECOVERY
 * without cc_post_recovery(): the counts stay for the next recovery, as
 * FreeBSD's, and recover_fs stays in every case (only enter_recovery
 * and tcp_do_prr_ack() from 0 set it). Called after the retransmission
 * count went up (t_rxtshift 1 at the first). */
void tcp_sack_prr_rto(const gt_stack *s, struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	if (!p || !s->cfg.recovery_bsd || !c->sack_ok || c->rtx_count != 1)
		return;
	if ((c->in_recovery || p->cong) && tcp_sack_bsd_holes(c))
		p->delivered = p->out = 0;
}

bool tcp_sacked(const struct tcp_conn *c, uint32_t seq, uint32_t *range_end)
{
	/* Binary search: a scoreboard can hold thousands of ranges. The
	 * first range whose right edge is above seq is the only candidate. */
	uint16_t i = c->nsacked ? tcp_range_search(c->sacked, c->nsacked, seq + 1) : 0;
	if (i < c->nsacked && seq_in(seq, c->sacked[i].left, c->sacked[i].right)) {
		*range_end = c->sacked[i].right;
		return true;
	}
	return false;
}

bool tcp_sack_is_lost(const struct tcp_conn *c, uint32_t seq)
{
	/* RFC 6675 4 IsLost(SeqNum): DupThresh discontiguous SACKed
	 * sequences above it, or more than (DupThresh - 1) * SMSS bytes.
	 * The ranges above seq are those from the first that ends above it
	 * (binary search); DupThresh of them decide without their bytes. */
	uint16_t first = c->nsacked ? tcp_range_search(c->sacked, c->nsacked, seq + 1) : 0;
	if ((uint32_t)(c->nsacked - first) >= DUPTHRESH)
		return true;
	uint32_t bytes = 0;
	for (uint16_t i = first; i < c->nsacked; i++)
		bytes += c->sacked[i].right - seq_max(c->sacked[i].left, seq);
	return bytes > (DUPTHRESH - 1) * (uint32_t)c->mss;
}

/* The holes of the scoreboard, in order: [*a, *b) is the i-th unSACKed run
 * between SND.UNA and SND.MAX; below is true when SACKed data lies above it
 * (the last run, above every SACK block, has none). */
static bool hole(const struct tcp_conn *c, uint16_t i, uint32_t *a, uint32_t *b, bool *below)
{
	if (i > c->nsacked)
		return false;
	uint32_t start = i == 0 ? c->snd_una : seq_max(c->snd_una, c->sacked[i - 1].right);
	uint32_t end = i < c->nsacked ? c->sacked[i].left : c->snd_max;
	*a = start;
	*b = seq_lt(end, start) ? start : end;
	*below = i < c->nsacked;
	return true;
}

uint32_t tcp_sack_pipe(const struct tcp_conn *c)
{
	/* RFC 6675 4 SetPipe(): for every unSACKed octet in flight, one if it
	 * is not lost, and one more if it was retransmitted. */
	uint32_t pipe = 0, a, b;
	bool below;
	for (uint16_t i = 0; hole(c, i, &a, &b, &below); i++) {
		if (a == b)
			continue;
		if (!below || !tcp_sack_is_lost(c, a))
			pipe += b - a;
		if (c->in_recovery && seq_gt(c->rexmit_nxt, a))
			pipe += seq_min(b, c->rexmit_nxt) - a;
	}
	return pipe;
}

/* RFC 6675 4 NextSeg() rules 1 and 3: the first unSACKed octet at or past
 * HighRxt that is lost (rule 1) or, when lost_only is false, any that lies
 * below SACKed data (rule 3). */
static bool next_hole(const struct tcp_conn *c, bool lost_only, uint32_t *seq, uint32_t *len)
{
	uint32_t from = seq_max(c->rexmit_nxt, c->snd_una), a, b;
	bool below;
	/* The holes below from are skipped by binary search: hole i lies
	 * below range i, so the first that can end above from is that of
	 * the first range ending at or above it. */
	uint16_t i0 = c->nsacked ? tcp_range_search(c->sacked, c->nsacked, from) : 0;
	for (uint16_t i = i0; hole(c, i, &a, &b, &below) && below; i++) {
		if (!seq_lt(from, b))
			continue;
		a = seq_max(a, from);
		if (lost_only && !tcp_sack_is_lost(c, a))
			continue;
		*seq = a;
		*len = b - a < c->mss ? b - a : c->mss;
		return true;
	}
	return false;
}

/* The hole FreeBSD's tcp_output() resends (cfg.sack_output_bsd): the first
 * one tcp_sack_output() returns, a scoreboard hole below SACKed data whose
 * rxmit is below its end (here: the first unSACKed octet at or past
 * HighRxt), whether IsLost() holds or not; cut at snd_recover, and none
 * when it starts there or past it ("Do not retransmit SACK segments beyond
 * snd_recover": such data waits for the next recovery). */
static bool bsd_hole(const struct tcp_conn *c, uint32_t *seq, uint32_t *len)
{
	if (!next_hole(c, false, seq, len) || !seq_lt(*seq, c->recover))
		return false;
	if (*len > c->recover - *seq)
		*len = c->recover - *seq;
	return true;
}

/* The rescue hole's part not yet resent (FreeBSD's tcp_sack_output()
 * returns a hole while "SEQ_LT(hole->rxmit, hole->end)", and
 * tcp_output() resends "min(cwin, end - rxmit)" of it from rxmit): what
 * the room left unsent when tcp_sack_partialack() made it, or a
 * cumulative ACK uncovered (rescue_ack() moves rxmit to SEG.ACK). Only
 * on an empty scoreboard: the first SACK block moves the hole onto it. */
static bool rescue_next(const struct tcp_conn *c, uint32_t *seq, uint32_t *len)
{
	const struct tcp_prr *p = c->sacked ? &board_of(c)->prr : NULL;
	if (!p || !p->rescue_on || !c->in_recovery || tcp_sack_bytes_above(c, c->snd_una))
		return false;
	uint32_t a = seq_max(p->rescue_rx, c->snd_una);
	if (!seq_lt(a, p->rescue_hi))
		return false;
	*seq = a;
	*len = p->rescue_hi - a < c->mss ? p->rescue_hi - a : c->mss;
	return true;
}

/* Resends [seq, seq + len) from the rescue hole: its rxmit moves,
 * HighRxt stays where it was (the hole lives beside the scoreboard). */
static void rescue_resend(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	struct tcp_prr *p = &board_of(c)->prr;
	uint32_t hi_rxt = c->rexmit_nxt;
	tcp_retransmit_range(s, c, seq, len);
	c->rexmit_nxt = hi_rxt;
	p->rescue_rx = seq + len;
}

/* RFC 6675 4 NextSeg() rule 4, the rescue retransmission: once per
 * recovery, with nothing else to send, the segment that ends at the highest
 * unSACKed octet below RecoveryPoint goes again, so a lost tail is found
 * without waiting for the RTO. HighRxt does not move. */
static void rescue(gt_stack *s, struct tcp_conn *c)
{
	if (c->rescue_sent || !seq_lt(c->snd_una, c->recover))
		return;
	uint32_t end = c->recover;
	/* The highest unSACKed octet below RecoveryPoint. */
	for (uint16_t i = c->nsacked; i-- > 0;) {
		const struct tcp_range *r = &c->sacked[i];
		if (seq_ge(r->left, end))
			continue;
		if (seq_ge(r->right, end))
			end = r->left;
		else
			break;
	}
	if (!seq_gt(end, c->snd_una))
		return;
	uint32_t len = end - c->snd_una < c->mss ? end - c->snd_una : c->mss;
	uint32_t hi_rxt = c->rexmit_nxt;
	tcp_retransmit_range(s, c, end - len, len);
	c->rexmit_nxt = hi_rxt;
	c->rescue_sent = true;
}

/* FreeBSD's tcp_compute_pipe(): SND.MAX - SND.UNA, less what is SACKed,
 * plus what was retransmitted in this recovery and is neither SACKed nor
 * acknowledged (sack_bytes_rexmit; none outside one). Unlike RFC 6675's
 * SetPipe() a hole counts in flight until it is SACKed, lost or not.
 * FreeBSD computes it before
 * SND.UNA moves but after tcp_sack_doack() has taken the ACK's SACK
 * blocks and dropped the holes below it: what the ACK acknowledged
 * cumulatively (acked, SND.UNA having moved here) still counts. */
static uint32_t rexmit_bytes(const struct tcp_conn *c);
static uint32_t hole_rexmit_bytes(const struct tcp_conn *c);

/* The pipe where net.inet.tcp.sack.revised is 0 (cfg.sack_unrevised_bsd)
 * puts tcp_compute_pipe() aside: SND.NXT less snd_fack, here the highest
 * byte SACKed or from, whichever is higher, plus sack_bytes_rexmit
 * (tcp_do_prr_ack(): "(tp->snd_nxt - tp->snd_fack) +
 * tp->sackhint.sack_bytes_rexmit"). No hole below snd_fack counts. */
static uint32_t pipe_unrevised(const struct tcp_conn *c, uint32_t from)
{
	uint32_t fack = seq_max(tcp_sack_fack(c), from);
	uint32_t nxt = seq_gt(c->snd_nxt, fack) ? c->snd_nxt - fack : 0;
	return nxt + rexmit_bytes(c);
}

/* freebsd main's sackhint.lost_bytes (tcp_sack_doack(),
 * fel1x-developer/freebsd-src 2d614aa): the bytes of the scoreboard's
 * holes (the unSACKed runs above SND.UNA below a SACKed one) that it
 * walks past as lost. The walk goes from the highest hole down, adding to
 * loss_thresh the SACKed bytes above each hole and to loss_sblks one run;
 * a hole is not lost ("notlost_bytes") while neither "loss_sblks >=
 * tcprexmtthresh" nor "loss_thresh > (tcprexmtthresh - 1) *
 * tp->t_maxseg" holds, and every hole from the first that is, down, is
 * lost: RFC 6675's IsLost() on the hole's first byte, with t_maxseg (the
 * options every segment carries included, not tcp_maxseg()'s size). The
 * rescue hole (rescue_on: nothing SACKed) is never below SACKed data, so
 * never lost, as FreeBSD's walk finds it with snd_fack below its end. */
static uint32_t lost_bytes(const struct tcp_conn *c)
{
	/* The walk finds the highest lost hole within DupThresh runs from the
	 * top; every hole below it is lost, so the lost bytes are the
	 * unSACKed ones between SND.UNA and that run's start: its distance
	 * less the SACKed bytes in between, the kept total less the runs
	 * walked (tcp_sack_bytes_kept()), not a walk of every hole. */
	uint32_t maxseg = (uint32_t)c->mss + tcp_seg_opt_bytes(c), above = 0;
	for (uint16_t i = c->nsacked; i-- > 0;) {
		if (!seq_gt(c->sacked[i].right, c->snd_una))
			return 0; /* the rest lies below SND.UNA: no hole */
		above += c->sacked[i].right - seq_max(c->sacked[i].left, c->snd_una);
		if ((uint32_t)(c->nsacked - i) < DUPTHRESH && above <= (DUPTHRESH - 1) * maxseg)
			continue;
		uint32_t to = seq_max(c->sacked[i].left, c->snd_una);
		return to - c->snd_una - (tcp_sack_bytes_above(c, c->snd_una) - above);
	}
	return 0;
}

static uint32_t pipe_bsd(const struct tcp_conn *c, uint32_t acked)
{
	uint32_t pipe = c->snd_max - c->snd_una - tcp_sack_bytes_above(c, c->snd_una);
	pipe += hole_rexmit_bytes(c) + acked + rescue_bytes(c);
	/* sacked_bytes as tcp_sack_doack() left it (tcp_sack_prr_ack()):
	 * after an ACK past snd_fack it also holds snd_fack - SND.UNA. And
	 * with cfg.pipe_lost_bsd, freebsd main's lost_bytes (lost_bytes()):
	 * tcp_compute_pipe() is then RFC 6675's SetPipe(), a lost hole
	 * counting only for what was resent of it. */
	const struct tcp_prr *p = c->sacked ? &board_of(c)->prr : NULL;
	uint32_t extra = p ? p->sacked_extra : 0;
	if (p && p->lost_bsd)
		extra += lost_bytes(c);
	return pipe > extra ? pipe - extra : 0;
}

/* RFC 6937 3 as FreeBSD's tcp_do_prr_ack(): how many segments this ACK
 * lets out. While pipe is at or above ssthresh, the proportional part:
 * ceil(prr_delivered * ssthresh / RecoverFS) - prr_out, rounded up to a
 * segment. Below it, the slow-start reduction bound (PRR-SSRB): up to
 * max(prr_delivered - prr_out, DeliveredData) + 1 SMSS, but only the
 * conservative bound (PRR-CRB) prr_delivered - prr_out when the ACK
 * shows a new loss or delivers nothing (RFC 6937bis's heuristic, as
 * FreeBSD applies it since it dropped tcp_do_prr_conservative); never
 * past ssthresh - pipe. */
static uint32_t prr_sndcnt(struct tcp_conn *c, struct tcp_prr *p, uint32_t pipe)
{
	int64_t mss = c->mss ? c->mss : 1;
	int64_t del = p->delivered_now;
	p->delivered_now = 0; /* counted once */
	p->delivered += (uint32_t)del;
	int64_t ss = c->ssthresh, snd;
	if ((int64_t)pipe >= ss) {
		int64_t fs = p->recover_fs ? p->recover_fs : 1;
		snd = ((int64_t)p->delivered * ss + fs - 1) / fs - (int64_t)p->out + mss - 1;
	} else {
		int64_t left = (int64_t)p->delivered - (int64_t)p->out;
		int64_t limit = p->newloss || del == 0 ? left : (left > del ? left : del) + mss;
		snd = ss - (int64_t)pipe < limit ? ss - (int64_t)pipe : limit;
	}
	p->newloss = false;
	return snd > 0 ? (uint32_t)(snd / mss) : 0;
}

/* The end of a fast recovery at the full ACK (SND.UNA moved by acked).
 * With bsd (cfg.recovery_bsd), any fast recovery, by PRR or not, with SACK
 * or not, ends as FreeBSD's: cc_post_recovery(), newreno_post_recovery()
 * (newreno_cc_post_recovery() in cc.c) sets cwnd from tcp_compute_pipe()
 * (net.inet.tcp.sack.revised, on by default), in which the bytes the full
 * ACK acknowledged still count: ssthresh if pipe reached it, else pipe
 * plus one t_maxseg (the options' bytes in it), never under two (RFC
 * 6582's "not collapse to 1 MSS").
 * Without SACK that pipe is SND.MAX - SND.UNA before the ACK. With
 * unrevised (net.inet.tcp.sack.revised 0, cfg.sack_unrevised_bsd) it is
 * SND.MAX - SEG.ACK instead, SACK or not. FreeBSD's CUBIC
 * (tcp_cc_cubic_bsd) sets cwnd from that pipe itself
 * (cubic_post_recovery(): W_max beta where NewReno takes ssthresh).
 * Without bsd, only a recovery
 * that ran by PRR does. Then prr_delivered and prr_out
 * start again. Returns false (cwnd left to the caller, RFC 6582's rule)
 * when neither applies. */
bool tcp_sack_prr_end(struct tcp_conn *c, uint32_t acked, bool bsd, bool unrevised)
{
	struct tcp_prr *p = prr_of(c);
	if (!bsd && (!p || !p->on))
		return false;
	/* sack.revised=0: SND.MAX - curack, curack being SEG.ACK, to which
	 * SND.UNA has moved. */
	uint32_t pipe = bsd && unrevised ? c->snd_max - c->snd_una : pipe_bsd(c, acked);
	/* newreno_cc_post_recovery() (cc.c, fel1x-developer/freebsd-src
	 * 2d614aa): "max(pipe, CCV(ccv, t_maxseg)) + CCV(ccv, t_maxseg)",
	 * t_maxseg with the options every segment carries (1,460 where a
	 * full segment with timestamps holds 1,448), as cubic_post_recovery()
	 * has it; PRR's own segment (tcp_do_prr_ack()) is tcp_maxseg(),
	 * c->mss (tests/pkt/freebsd/recovery-end-cwnd-t-maxseg.pkt). */
	uint32_t maxseg = tcp_bsd_maxseg(c);
	if (c->cc->post_recovery)
		c->cc->post_recovery(c, pipe); /* cubic_post_recovery() */
	else if (pipe >= c->ssthresh)
		c->cwnd = c->ssthresh;
	else
		c->cwnd = (pipe > maxseg ? pipe : maxseg) + maxseg;
	if (p) {
		p->on = false;
		p->delivered = p->out = 0;
	}
	/* The full ACK deleted the rescue hole (it lies below SND.MAX);
	 * what a SACK left of it in sack_bytes_rexmit counted in the pipe
	 * above and stays there until tcp_free_sackholes() (an RTO, the
	 * connection's end): the next recovery starts with it
	 * (rescue_bytes()). */
	tcp_sack_rescue_done(c);
	return true;
}

/* An ACK that moved SND.UNA by acked while an ECN reduction runs
 * (tcp_do_segment()'s IN_CONGRECOVERY branch). Below snd_recover, with
 * PRR, tcp_do_prr_ack() with DeliveredData the bytes it acknowledged
 * (BYTES_THIS_ACK) and always the slow-start bound (SACK_CHANGE); pipe as
 * tcp_compute_pipe(), SND.UNA not yet moved; then cwnd = pipe -
 * DeliveredData + the segments PRR lets out, at least one segment, and
 * tcp_output() sends under it. Without PRR cwnd stays as the ECE left it.
 * At or past snd_recover the reduction ends (cc_post_recovery():
 * prr_delivered, prr_out and t_bytes_acked back to 0; cwnd as it is,
 * newreno_post_recovery() sets it only after a fast recovery). Either way
 * the ACK does not grow cwnd (newreno_ack_received() skips IN_RECOVERY,
 * and runs before EXIT_RECOVERY). False when no ECN reduction runs. */
bool tcp_sack_prr_cong_ack(struct tcp_conn *c, uint32_t acked, bool unrevised)
{
	struct tcp_prr *p = prr_of(c);
	if (!p || !p->cong || c->in_recovery)
		return false;
	if (!seq_lt(c->snd_una, p->cong_recover)) {
		p->cong = false;
		p->delivered = p->out = 0;
		/* cc_post_recovery() runs at the end of an ECN reduction as
		 * at a fast recovery's ("IN_CONGRECOVERY ... else
		 * cc_post_recovery(tp, th)", tcp_do_segment() 2d614aa),
		 * before this ACK's cc_ack_received(): t_bytes_acked = 0
		 * (tests/pkt/freebsd/ecn-reduction-end-zeroes-byte-count.pkt). */
		if (c->ss_bsd)
			tcp_cc_bsd_post_recovery(c);
		/* ... and CUBIC's cubic_post_recovery() its RTT average,
		 * cwnd left alone (not IN_FASTRECOVERY). */
		tcp_cubic_bsd_epoch_rtt(c);
		return true;
	}
	if (!p->cong_prr)
		return true;
	/* sack.revised=0: snd_fack is SEG.ACK here (tcp_do_segment() sets
	 * it before tcp_do_prr_ack()). */
	uint32_t pipe = unrevised ? pipe_unrevised(c, c->snd_una) : pipe_bsd(c, acked);
	if (pipe >= c->ssthresh && !p->recover_fs) {
		uint32_t fs = c->snd_max - c->snd_una + acked;
		p->recover_fs = fs ? fs : 1;
	}
	p->delivered_now = acked;
	p->acked_now = 0;
	p->newloss = false;
	uint32_t cnt = prr_sndcnt(c, p, pipe);
	int64_t cw = (int64_t)pipe - (int64_t)acked + (int64_t)cnt * c->mss;
	c->cwnd = cw > (int64_t)c->mss ? (uint32_t)cw : c->mss;
	return true;
}

/* enter_recovery's PRR counts for a recovery entered on duplicates that
 * carried no SACK information: prr_delivered min(flight, DupAcks x SMSS),
 * recover_fs the flight, prr_out kept and what the fast retransmit sent
 * added (as in tcp_sack_prr_start()). */
static void prr_start_dupacks(struct tcp_conn *c, struct tcp_prr *p, uint32_t sent)
{
	uint32_t flight = c->snd_max - c->snd_una;
	uint32_t dup = (uint32_t)c->dupacks * c->mss;
	p->delivered = dup < flight ? dup : flight;
	p->out += sent;
	p->recover_fs = flight ? flight : 1;
}

/* A fast recovery without SACK in the FreeBSD profile: enter_recovery
 * with tcp_do_prr sets the PRR state too, though tcp_do_prr_ack() never
 * runs in it (the duplicates inflate cwnd, a partial ACK goes to
 * tcp_newreno_partial_ack()): prr_delivered = min(flight, DupAcks x
 * maxseg), recover_fs = the flight, prr_out what the fast retransmit
 * adds. Its end zeroes prr_delivered and prr_out (cc_post_recovery(),
 * tcp_sack_prr_end()); recover_fs stays, and an ECN reduction later runs
 * PRR's proportional part against it
 * (tests/pkt/freebsd/prr-ecn-reduction-keeps-recovery-fs.pkt; the
 * profile before branch h-bsd kept no state here and took the flight at
 * the ECE). Only an ECN reduction reads it, so only an ECN connection
 * gets the state (a scoreboard, as tcp_sack_prr_ecn() allocates for one
 * without SACK); p->on stays off: the recovery itself is NewReno's. Not
 * counted: what partial ACKs and the inflated cwnd send meanwhile (prr_out
 * in FreeBSD), which only a recovery a timeout ends leaves behind. */
void tcp_sack_prr_start_reno(gt_stack *s, struct tcp_conn *c, uint32_t sent)
{
	if (!s->cfg.recovery_bsd || !s->cfg.prr_bsd || c->sack_ok || !c->ecn_ok ||
	    (!c->sacked && !board_alloc(c)))
		return;
	prr_start_dupacks(c, prr_of(c), sent);
}

/* A fast recovery on a connection that agreed on SACK, entered on
 * duplicates that carried no SACK blocks with nothing SACKed
 * (tcp_do_segment()'s enter_recovery when tcp_is_sack_recovery() is
 * false): with PRR, prr_delivered starts at min(flight, DupAcks * SMSS),
 * not at one segment, RecoverFS at the flight, prr_out at what the fast
 * retransmit sent. False when PRR is off or has no state. */
bool tcp_sack_prr_start_blockless(gt_stack *s, struct tcp_conn *c, uint32_t sent)
{
	if (!s->cfg.prr_bsd || (!c->sacked && !board_alloc(c)))
		return false;
	struct tcp_prr *p = prr_of(c);
	p->on = true;
	p->lost_bsd = s->cfg.pipe_lost_bsd;
	p->bsd_left = p->bsd_cw = 0;
	prr_start_dupacks(c, p, sent);
	p->delivered_now = p->acked_now = 0;
	p->newloss = false;
	return true;
}

/* A duplicate without SACK blocks, nothing SACKed, in a fast recovery that
 * runs by PRR: tcp_do_prr_ack()'s branch for a recovery that is not SACK
 * recovery. Each duplicate delivers one segment while prr_delivered is
 * under DupThresh segments plus what lies between SND.UNA and the
 * recovery point; pipe is the flight less a segment per duplicate; the
 * segments PRR lets out go as new data (no hole to resend: tcp_output()
 * with an empty scoreboard), cwnd the flight plus those. False when the
 * recovery does not run by PRR (FreeBSD then inflates cwnd by a segment,
 * as without SACK). */
bool tcp_sack_prr_dup_blockless(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	if (!p || !p->on || !c->in_recovery)
		return false;
	uint64_t cap = 3ull * c->mss + (uint32_t)(c->recover - c->snd_una);
	uint32_t flight = c->snd_max - c->snd_una;
	uint32_t dup = (uint32_t)c->dupacks * c->mss;
	uint32_t pipe = flight > dup ? flight - dup : 0;
	p->delivered_now = p->delivered < cap ? c->mss : 0;
	p->acked_now = 0;
	p->newloss = false; /* no scoreboard change: never SACK_NEWLOSS */
	uint32_t cnt = prr_sndcnt(c, p, pipe);
	for (uint32_t i = 0; i < cnt && i < 1024 && !c->dead; i++) {
		uint32_t before = c->snd_max;
		tcp_output_one(s, c);
		if (c->snd_max == before)
			break;
		p->out += c->snd_max - before;
	}
	if (c->dead)
		return true;
	uint64_t cw = (uint64_t)flight + (uint64_t)cnt * c->mss;
	if (cw > tcp_flight(c))
		cw = tcp_flight(c);
	c->cwnd = cw > c->mss ? (uint32_t)cw : c->mss;
	p->bsd_cwnd = false; /* PRR's cwnd, held at the flight */
	return true;
}

/* Bytes retransmitted from the scoreboard's holes in this recovery that
 * are neither SACKed nor acknowledged. */
static uint32_t hole_rexmit_bytes(const struct tcp_conn *c)
{
	/* The unSACKed bytes between SND.UNA and HighRxt (at most SND.MAX):
	 * that distance less the SACKed bytes in it, two lookups of the
	 * kept total (tcp_sack_bytes_above()) rather than a walk of the
	 * holes below HighRxt. */
	uint32_t top = seq_min(c->rexmit_nxt, c->snd_max);
	if (!c->in_recovery || !seq_gt(top, c->snd_una))
		return 0;
	return top - c->snd_una - (tcp_sack_bytes_above(c, c->snd_una) - tcp_sack_bytes_above(c, top));
}

/* FreeBSD's sack_bytes_rexmit: those, and the rescue hole's. */
static uint32_t rexmit_bytes(const struct tcp_conn *c)
{
	return hole_rexmit_bytes(c) + rescue_bytes(c);
}

/* FreeBSD's tcp_sack_partialack() with V_tcp_do_newsack ("RFC6675
 * rescue retransmission"; freebsd main, fel1x-developer/freebsd-src
 * 2d614aa): an ACK below snd_recover that leaves the scoreboard empty and
 * has sackhint.delivered_data above 0 (tcp_sack_doack() takes the
 * cumulative ACK as a block [SND.UNA, SEG.ACK) over the holes there were,
 * so: there were holes, and it moved SND.UNA) inserts a hole
 * [max(SEG.ACK, highdata - maxseg), highdata), highdata SND.MAX less the
 * FIN's octet, at most snd_recover (none unless SEG.ACK is below it;
 * rscheff/freebsd-src 0ae9dc87 made none unless snd_recover was SND.MAX),
 * and snd_fack becomes
 * SEG.ACK; tcp_output() then offers it first (tcp_sack_output()) within
 * "min(snd_wnd, snd_cwnd) - sack_bytes_rxmt" (bsd_rexmit(),
 * rescue_next()), and at each later output what that left unsent.
 * glasstcp's scoreboard holds SACKed ranges, so the hole
 * lives beside it (rescue_on, tcp_sack_prr_ack()): its resent bytes count
 * in sack_bytes_rexmit (rexmit_bytes()) until acknowledged, or kept there
 * when a SACK moves it, to the recovery's end. HighRxt stays where it
 * was, so a hole that a SACK of the rescue opens below it is resent, as
 * FreeBSD's moved hole (rxmit = start) is. Before branch h-bsdrescue3 it
 * was sent here within cwnd less sack_bytes_rexmit and SND.NXT -
 * snd_recover (new data's room, not the hole's), the peer's window not
 * asked, and what that left unsent never went
 * (tests/pkt/freebsd/sack-partialack-rescue-window-split.pkt). */
static void rescue_hole(gt_stack *s, struct tcp_conn *c, struct tcp_prr *p)
{
	if (!s->cfg.sack_partialack_rescue || !p->holes_before || !p->acked_now || p->rescue_on ||
	    !seq_lt(c->snd_una, c->recover) || tcp_sack_bytes_above(c, c->snd_una))
		return;
	/* freebsd main: "highdata = SEQ_MIN(highdata, tp->snd_recover)",
	 * no snd_recover == SND.MAX test: with new data past the recovery
	 * point the hole is the last segment below it
	 * (tests/pkt/freebsd/sack-partialack-rescue-past-recovery-point.pkt). */
	uint32_t high = c->fin_sent ? c->snd_max - 1 : c->snd_max;
	high = seq_min(high, c->recover);
	if (!seq_lt(c->snd_una, high))
		return;
	/* Made whatever room tcp_output() then finds: with none, it waits
	 * at rxmit = start for the next output (rescue_next()). */
	p->rescue_on = true;
	p->rescue_lo = p->rescue_rx = seq_max(c->snd_una, high - c->mss);
	p->rescue_hi = high;
}

/* A recovery a timeout kept (cfg.rto_keeps_sack_recovery): SND.NXT, as
 * the ACK being processed found it, lies below snd_recover (tcp_timer_rexmt()
 * set it to SND.UNA and snd_recover to SND.MAX; a hole's resend does not
 * move it). Elsewhere in the profile's SACK recovery SND.NXT is SND.MAX,
 * at or past snd_recover. Returns SND.NXT - snd_recover then (< 0). */
static bool rto_kept(const gt_stack *s, const struct tcp_conn *c, int64_t *below)
{
	const struct tcp_prr *p = c->sacked ? &board_of(c)->prr : NULL;
	if (!p || !s->cfg.rto_keeps_sack_recovery || !c->in_recovery || !seq_lt(p->nxt_before, c->recover))
		return false;
	*below = (int32_t)(p->nxt_before - c->recover);
	return true;
}

/* tcp_sack_partialack()'s cwnd: "tp->sackhint.sack_bytes_rexmit +
 * (tp->snd_nxt - tp->snd_recover) + num_segs * maxseg", num_segs 2 when
 * the ACK covered two segments or more, else 1; at most ssthresh. In a
 * recovery a timeout kept, SND.NXT lies below snd_recover and the sum is
 * taken into the uint32_t snd_cwnd: below 0 it wraps past ssthresh, and
 * "if (tp->snd_cwnd > tp->snd_ssthresh) tp->snd_cwnd = tp->snd_ssthresh"
 * makes it ssthresh (tcp_sack.c 2d614aa). */
static uint64_t partialack_cwnd(const gt_stack *s, const struct tcp_conn *c, uint32_t acked)
{
	uint32_t segs = acked / c->mss >= 2 ? 2 : 1;
	int64_t below;
	if (rto_kept(s, c, &below)) {
		int64_t sum = (int64_t)rexmit_bytes(c) + below + (int64_t)segs * c->mss;
		return sum < 0 || sum > (int64_t)c->ssthresh ? c->ssthresh : (uint64_t)sum;
	}
	uint64_t base = (uint64_t)rexmit_bytes(c) + (uint32_t)(c->snd_max - c->recover);
	if (seq_lt(c->snd_max, c->recover))
		base = rexmit_bytes(c);
	uint64_t cw = base + (uint64_t)segs * c->mss;
	return cw > c->ssthresh ? c->ssthresh : cw;
}

bool tcp_sack_bsd_noprr(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.recovery_bsd && !s->cfg.prr_bsd && c->sack_ok && c->in_recovery &&
	       !tcp_rack_active(s, c);
}

/* tcp_output()'s retransmissions in FreeBSD's SACK recovery under cwnd
 * cw: the hole tcp_sack_output() offers (bsd_hole(), or NextSeg()'s
 * without cfg.sack_output_bsd), within min(SND.WND, cw) less the bytes
 * retransmitted and still out ("cwin = imax(min(tp->snd_wnd,
 * tp->snd_cwnd) - sack_bytes_rxmt, 0)"), the rescue hole's among them
 * (rexmit_bytes()), a segment at a time (sendalot).
 * Adds what it resent to *sent (if given). True when it stopped with a
 * hole still waiting (no room, or the hole's marker did not move): then
 * tcp_output() sends no new data either. New data is tcp_output()'s, by
 * tcp_sack_bsd_room() or, after a partial ACK with PRR,
 * tcp_sack_partialack()'s own loop. */
static bool bsd_rexmit(gt_stack *s, struct tcp_conn *c, uint64_t cw, uint64_t wnd, uint32_t *sent)
{
	for (int guard = 0; guard < 1024 && !c->dead; guard++) {
		uint64_t rx = rexmit_bytes(c);
		uint64_t win = wnd < cw ? wnd : cw;
		uint32_t seq, len;
		bool resc = rescue_next(c, &seq, &len);
		if (!resc && !(s->cfg.sack_output_bsd ? bsd_hole(c, &seq, &len)
						      : next_hole(c, false, &seq, &len)))
			return false;
		if (win <= rx)
			return true;
		if (len > win - rx)
			len = (uint32_t)(win - rx);
		if (resc)
			rescue_resend(s, c, seq, len);
		else
			tcp_retransmit_range(s, c, seq, len);
		if (sent)
			*sent += len;
		if (rexmit_bytes(c) == rx)
			return true; /* the hole's marker did not move */
	}
	return true;
}

/* New data sent past snd_recover, which FreeBSD's SACK recovery takes off
 * new data's room ("tp->snd_cwnd - (tp->snd_nxt - tp->snd_recover) -
 * sack_bytes_rxmt"). */
static uint32_t past_recover(const struct tcp_conn *c)
{
	return seq_gt(c->snd_nxt, c->recover) ? c->snd_nxt - c->recover : 0;
}

uint32_t tcp_sack_bsd_room(const struct tcp_conn *c, uint32_t cw, uint32_t flight)
{
	/* "if (sack_bytes_rxmt == 0) len = min(sbavail, sendwin) - off;
	 * else ... cwin = tp->snd_cwnd - (tp->snd_nxt - tp->snd_recover) -
	 * sack_bytes_rxmt". sack_bytes_rexmit lives on scoreboard holes:
	 * none while nothing is SACKed (a recovery entered without blocks)
	 * but the rescue hole, made on an empty scoreboard. */
	uint32_t rx = (c->nsacked ? hole_rexmit_bytes(c) : 0) + rescue_bytes(c);
	if (!rx)
		return cw > flight ? cw - flight : 0;
	uint64_t used = (uint64_t)rx + past_recover(c);
	return cw > used ? (uint32_t)(cw - used) : 0;
}

void tcp_sack_bsd_entry(gt_stack *s, struct tcp_conn *c)
{
	c->cwnd = c->mss;
	(void)bsd_rexmit(s, c, c->cwnd, c->snd_wnd, NULL);
}

void tcp_sack_bsd_dupack(gt_stack *s, struct tcp_conn *c)
{
	/* "if (V_tcp_do_newsack) awnd = tcp_compute_pipe(tp); else awnd =
	 * (tp->snd_nxt - tp->snd_fack) + tp->sackhint.sack_bytes_rexmit;
	 * if (awnd < tp->snd_ssthresh) { tp->snd_cwnd += maxseg; if
	 * (tp->snd_cwnd > tp->snd_ssthresh) tp->snd_cwnd = tp->snd_ssthresh; }"
	 * then tcp_output(). */
	uint32_t awnd = s->cfg.sack_unrevised_bsd ? pipe_unrevised(c, c->snd_una) : pipe_bsd(c, 0);
	if (awnd < c->ssthresh) {
		c->cwnd += c->mss;
		if (c->cwnd > c->ssthresh)
			c->cwnd = c->ssthresh;
	}
	(void)bsd_rexmit(s, c, c->cwnd, c->snd_wnd, NULL);
}

/* tcp_sack_partialack() where do_prr is 0: every partial ACK comes here,
 * with SACK blocks or without (tcp_do_segment()'s resume_partialack:
 * "if (V_tcp_do_prr && to.to_flags & TOF_SACK) ... else
 * tcp_sack_partialack(tp, th)"). cwnd as partialack_cwnd() says and kept
 * (the next duplicate adds to it), the rescue hole first (rscheff's
 * tree, with sack.revised), then tcp_output(): holes by bsd_rexmit(), new
 * data by tcp_sack_bsd_room(). */
static bool partialack_noprr(gt_stack *s, struct tcp_conn *c, struct tcp_prr *p, uint32_t acked,
			     uint32_t wnd)
{
	uint64_t cw = partialack_cwnd(s, c, acked);
	if (p) {
		rescue_hole(s, c, p);
		p->delivered_now = p->acked_now = 0;
		p->newloss = false;
	}
	if (c->dead)
		return true;
	c->cwnd = cw > c->mss ? (uint32_t)cw : c->mss;
	(void)bsd_rexmit(s, c, c->cwnd, wnd, NULL);
	return true;
}

static bool bsd_part_held(const gt_stack *s, const struct tcp_conn *c);

/* A partial ACK without SACK blocks in a fast recovery that runs by PRR
 * (SND.UNA moved by acked): FreeBSD calls tcp_sack_partialack(), not
 * tcp_do_prr_ack() (tcp_do_segment(): "V_tcp_do_prr && to.to_flags &
 * TOF_SACK"). cwnd becomes min(ssthresh, sack_bytes_rexmit + SND.NXT -
 * snd_recover + 1 or 2 segments, 2 when the ACK covered at least two),
 * and tcp_output() resends the next hole, or sends new data, in what that
 * leaves: one or two segments, none past ssthresh. With
 * cfg.sack_partialack_rescue, first the rescue hole of rscheff/freebsd-src
 * (V_tcp_do_newsack; 0f7ff34 has none): rescue_hole(). The rule-4 rescue
 * of RFC 6675 is off in the profile (cfg.sack_rescue_bsd).
 * Without PRR (do_prr=0) every partial ACK comes here, blocks or not:
 * partialack_noprr(). The ACK's DeliveredData does not
 * reach prr_delivered. wnd is snd_wnd as FreeBSD has it there: before
 * process_ACK's "tp->snd_wnd -= acked" and step 6's update, so the
 * window the last update gave, not yet shortened by this ACK
 * (tests/pkt/freebsd/sack-partialack-rescue-window-split.pkt). False
 * (cfg.recovery_bsd off, PRR off) when tcp_sack_recovery_send() decides
 * instead. */
bool tcp_sack_partialack(gt_stack *s, struct tcp_conn *c, uint32_t acked, uint32_t wnd)
{
	struct tcp_prr *p = prr_of(c);
	if (!c->in_recovery)
		return false;
	if (tcp_sack_bsd_noprr(s, c))
		return partialack_noprr(s, c, p, acked, wnd);
	if (!s->cfg.recovery_bsd || !p || !p->on)
		return false;
	uint64_t cw = partialack_cwnd(s, c, acked);
	p->bsd_left = p->bsd_cw = 0; /* this cwnd is tcp_output()'s room (bsd_cwnd) */
	rescue_hole(s, c, p);
	p->delivered_now = p->acked_now = 0;
	p->newloss = false;
	if (c->dead)
		return true;
	/* tcp_output() under that cwnd (sobomax/freebsd14_vendor 0f7ff34
	 * tcp_output.c, its SACK branch), a segment at a time (sendalot): the
	 * hole tcp_sack_output() offers within min(SND.WND, cwnd) less the
	 * bytes resent and still out ("cwin = imax(min(tp->snd_wnd,
	 * tp->snd_cwnd) - sack_bytes_rxmt, 0)"), new data past snd_recover not
	 * taken off (the profile took it off before branch h-bsdprr2 and
	 * resent fewer holes); then, while resent bytes are out (the rescue's
	 * among them), new data within "tp->snd_cwnd - (tp->snd_nxt -
	 * tp->snd_recover) - sack_bytes_rxmt"; with none out, within cwnd
	 * less the flight, which the output after this ACK decides. */
	uint32_t out = 0;
	bool waiting = bsd_rexmit(s, c, cw, wnd, &out);
	p->out += out;
	for (int guard = 0; guard < 1024 && !waiting && !c->dead; guard++) {
		uint64_t rx = rexmit_bytes(c);
		if (!rx || cw <= rx + past_recover(c))
			break;
		/* A part segment goes only with TF_ACKNOW still set: the
		 * first segment of this output clears it ("tp->t_flags &=
		 * ~(TF_ACKNOW | TF_DELACK)" at send), so after a hole's resend
		 * the sendalot pass holds it (bsd_part_held()) and step 6's
		 * output decides. Before branch h-bsd4 the profile sent it
		 * here (tests/pkt/freebsd/sack-partialack-part-segment-after-resend.pkt). */
		if (bsd_part_held(s, c))
			break;
		/* In a recovery a timeout kept SND.NXT lies below SND.MAX:
		 * tcp_output()'s tcp_sack_adjust() first moves it past what
		 * the scoreboard holds. */
		uint32_t sacked_end;
		if (seq_lt(c->snd_nxt, c->snd_max) && tcp_sacked(c, c->snd_nxt, &sacked_end)) {
			c->snd_nxt = seq_min(sacked_end, c->snd_max);
			continue;
		}
		uint32_t nxt = c->snd_nxt;
		tcp_output_one(s, c);
		if (c->snd_nxt == nxt)
			break;
		p->out += c->snd_nxt - nxt;
	}
	/* cwnd stays as set until an ACK sets it again (PRR's, or another
	 * partial ACK's), and tcp_output()'s rule for new data in a SACK
	 * recovery holds with it (tcp_sack_bsd_room(): the flight's room
	 * while nothing resent is out, else cwnd less sack_bytes_rexmit and
	 * what went past snd_recover), for a write or a window update
	 * meanwhile. PRR's cwnd is held at the flight instead (PRR sends what
	 * it lets out itself), and the flight's room follows it. A write of
	 * 3,000 bytes 10 ms after the rescue of 200 bytes under cwnd 2,400
	 * sends 1,200
	 * (tests/pkt/freebsd/sack-partialack-rescue-write-after.pkt). The
	 * profile held cwnd at the flight while resent bytes were out before
	 * branch h-bsdrescue, and sent nothing there. */
	c->cwnd = cw > c->mss ? (uint32_t)cw : c->mss;
	p->bsd_cwnd = true;
	return true;
}

/* A partial ACK of a SACK recovery: tcp_do_segment() sets TF_ACKNOW
 * before its tcp_output(), on both paths ("tcp_do_prr_ack(...); tp->t_flags
 * |= TF_ACKNOW; (void)tcp_output(tp);" for an ACK with TOF_SACK under
 * do_prr, and tcp_sack_partialack()'s own "tp->t_flags |= TF_ACKNOW"
 * before its tcp_output() for the rest; freebsd main, fel1x-developer/
 * freebsd-src 2d614aa). tcp_output() that finds no hole and no new data to
 * send reaches "if (tp->t_flags & TF_ACKNOW) goto send" and sends a bare
 * ACK at SND.MAX; one that sends a segment clears the flag. The profile
 * sends new data after a partial ACK without PRR's count from the output
 * at the end of the segment (tcp_sack_bsd_room()), so the flag is
 * ack_now: that output sends data or, with none, the bare ACK
 * (tests/pkt/freebsd/sack-prr-rexmit-bytes-after-partial-ack.pkt with
 * PRR's cwnd, sack-partialack-no-rescue-sack-revised-0.pkt and
 * sack-partialack-rescue-window-split.pkt with tcp_sack_partialack()'s).
 * The profile before branch h-bsdrec sent nothing there.
 * That output runs before SND.UNA moves ("tp->snd_una = th->th_ack" in
 * process_ACK) and before step 6 takes the window ("tp->snd_wnd = tiwin;
 * ... needoutput = 1"), so its new data is "min(sbavail, tp->snd_wnd) -
 * off" from the old SND.UNA: the right edge the last window update set.
 * The output at the end of tcp_do_segment() ("if (needoutput ||
 * (tp->t_flags & TF_ACKNOW)) tcp_output(tp)") sees the new edge. With no
 * new octet below the old edge the first output sends the bare ACK then
 * and there, acknowledging RCV.NXT before this segment's text is taken,
 * and the data the new edge lets out follows at the end; the profile sent
 * the data alone (ack_now taken by it) before branch h-bsd3
 * (tests/pkt/freebsd/sack-prr-partialack-ack-before-window-data.pkt).
 * Not modelled: new data shorter than a segment below the old edge, which
 * TF_ACKNOW's "goto send" lets out with the ACK (the profile keeps
 * ack_now and sends whole segments at the end). */
static bool bsd_acknow_on(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.recovery_bsd && c->sack_ok && c->in_recovery && !c->dead && !tcp_rack_active(s, c);
}

void tcp_sack_bsd_acknow_set(gt_stack *s, struct tcp_conn *c)
{
	if (bsd_acknow_on(s, c))
		c->ack_now = true; /* a segment sent clears it (xmit()), as TF_ACKNOW */
}

void tcp_sack_bsd_acknow(gt_stack *s, struct tcp_conn *c, uint32_t segs0)
{
	if (!bsd_acknow_on(s, c) || c->cnt.segs_out != segs0)
		return;
	uint32_t end = c->snd_una + c->snd.len, edge = c->snd_una + c->snd_wnd;
	if (s->cfg.wnd_update == GT_WND_UPDATE_BSD && !(c->fin_queued && !c->fin_sent) &&
	    seq_ge(c->snd_nxt, seq_lt(end, edge) ? end : edge)) {
		tcp_send_ack(s, c); /* the first tcp_output(), nothing below the old edge */
		return;
	}
	c->ack_now = true;
}

/* With cfg.recovery_bsd, the peer's window bounds what PRR's output
 * resends: tcp_do_prr_ack() only sets cwnd, and tcp_output()'s SACK
 * branch resends "ulmin(cwin, p->end - p->rxmit)", cwin = "imax(min(
 * tp->snd_wnd, tp->snd_cwnd) - sack_bytes_rxmt, 0)" (freebsd main,
 * fel1x-developer/freebsd-src 2d614aa). PRR's count of segments is the
 * cwnd part; this is the window part, SND.WND less the bytes resent and
 * still out (rexmit_bytes(), the rescue hole's among them). *len is cut
 * to it; false when nothing fits: the hole waits, and no new data goes
 * past it (bsd_rexmit()). Before branch h-bsdrescue4 a whole segment
 * went whatever the window
 * (tests/pkt/freebsd/sack-prr-rexmit-peer-window.pkt). */
static bool bsd_wnd_room(const gt_stack *s, const struct tcp_conn *c, uint32_t *len)
{
	if (!s->cfg.recovery_bsd)
		return true;
	uint32_t rx = rexmit_bytes(c);
	if (c->snd_wnd <= rx)
		return false;
	if (*len > c->snd_wnd - rx)
		*len = c->snd_wnd - rx;
	return true;
}

/* One NextSeg() (RFC 6675 4) sent; the bytes it sent, 0 when none. With
 * cfg.sack_output_bsd in FreeBSD's order instead: tcp_output() resends the
 * hole tcp_sack_output() offers, lost or not, and sends new data only when
 * there is none (bsd_hole()). Rule 3 is not asked: a hole bsd_hole()
 * passes over lies at or past snd_recover and waits for the next
 * recovery. */
/* FreeBSD's tcp_output() sends new data shorter than a segment only when
 * its sender silly window avoidance lets it ("if (len >= tp->t_maxseg)
 * goto send", Nagle's "(idle || TF_NODELAY) && len + off >= sbavail",
 * TF_FORCEDATA, "len >= tp->max_sndwnd / 2", "SEQ_LT(tp->snd_nxt,
 * tp->snd_max)": bsd_small_segment_ok()) or when an ACK is owed ("if
 * (tp->t_flags & TF_ACKNOW) goto send" reaches send: with len as cut, the
 * peer's window or cwin having made it short; freebsd main as stored in
 * fel1x-developer/freebsd-src 2d614aa). A SACK recovery's output is no
 * exception: a duplicate ACK's tcp_output() holds a window-cut part
 * segment, a partial ACK's (TF_ACKNOW, tcp_sack_bsd_acknow_set()) sends it
 * with the ACK. True when the new data tcp_output_one() would send now is
 * such a held part segment. The profile before branch h-bsd3 sent it at
 * any recovery output
 * (tests/pkt/freebsd/sack-prr-part-segment-under-acknow.pkt). */
static bool bsd_part_held(const gt_stack *s, const struct tcp_conn *c)
{
	if (!s->cfg.sack_output_bsd || !s->cfg.nagle_bsd || c->ack_now || seq_lt(c->snd_nxt, c->snd_max))
		return false;
	uint32_t end = c->snd_una + c->snd.len, right = c->snd_una + c->snd_wnd;
	if (!seq_lt(c->snd_nxt, end) || !seq_lt(c->snd_nxt, right))
		return false;
	uint32_t avail = end - c->snd_nxt, mss = tcp_send_mss(s, c);
	uint32_t len = avail < mss ? avail : mss;
	if (len > right - c->snd_nxt)
		len = right - c->snd_nxt;
	return len < mss && !tcp_bsd_small_segment_ok(c, len, avail);
}

static uint32_t send_next(gt_stack *s, struct tcp_conn *c)
{
	uint32_t seq, len;
	bool bsd = s->cfg.sack_output_bsd;
	if (rescue_next(c, &seq, &len)) {
		if (!bsd_wnd_room(s, c, &len))
			return 0;
		rescue_resend(s, c, seq, len); /* tcp_sack_output()'s rescue hole */
		return len;
	}
	if (bsd ? bsd_hole(c, &seq, &len) : next_hole(c, true, &seq, &len)) {
		if (!bsd_wnd_room(s, c, &len))
			return 0;
		tcp_retransmit_range(s, c, seq, len); /* rule 1 */
		return len;
	}
	uint32_t before = c->snd_max;
	if (bsd && bsd_part_held(s, c))
		return 0;
	tcp_output_one(s, c); /* rule 2: new data, within the peer's window */
	if (c->snd_max != before)
		return c->snd_max - before;
	if (!bsd && next_hole(c, false, &seq, &len)) {
		tcp_retransmit_range(s, c, seq, len); /* rule 3 */
		return len;
	}
	/* FreeBSD's tcp_sack_output() has no rule 4 (cfg.sack_rescue_bsd). */
	if (s->cfg.sack_rescue_bsd)
		return 0;
	bool had = c->rescue_sent;
	rescue(s, c);
	return !had && c->rescue_sent ? c->mss : 0;
}

/* An output no ACK calls (a window update, a write) in a SACK recovery
 * run by PRR: FreeBSD's every tcp_output() in fast recovery asks
 * tcp_sack_output() for a hole and resends within "imax(min(snd_wnd,
 * snd_cwnd) - sack_bytes_rxmt, 0)" (freebsd main, fel1x-developer/
 * freebsd-src 2d614aa), cwnd as tcp_do_prr_ack() left it until the next
 * ACK: SND.NXT - snd_recover + sack_bytes_rexmit + snd_cnt segments then,
 * at least one segment (p->bsd_cw; the profile holds c->cwnd at the
 * flight). Without an ACK only the peer's window changes that room: the
 * window update that reopens it resends the rest of the holes
 * (tests/pkt/freebsd/sack-prr-rexmit-window-update.pkt), the new data's
 * room past snd_recover among it
 * (tests/pkt/freebsd/sack-prr-window-update-hole-room.pkt). The profile
 * before branch h-bsdrescue4 resent nothing there and waited for the RTO;
 * before branch h-bsd2 it gave the holes only what PRR's segments had left
 * (bsd_left). What the holes take comes off new data's room too
 * ("tp->snd_cwnd - (snd_nxt - snd_recover) - sack_bytes_rxmt"). */
void tcp_sack_bsd_output(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	/* Without PRR (do_prr=0) cwnd is FreeBSD's own snd_cwnd, as the
	 * last ACK set it (tcp_sack_bsd_dupack()'s awnd rule, or
	 * tcp_sack_partialack()'s "sack_bytes_rexmit + (snd_nxt -
	 * snd_recover) + num_segs * maxseg"), so every output resends the
	 * holes within "imax(min(tp->snd_wnd, tp->snd_cwnd) -
	 * sack_bytes_rxmt, 0)" before tcp_sack_bsd_room() lets new data out
	 * of what they left ("tp->snd_cwnd - (snd_nxt - snd_recover) -
	 * sack_bytes_rxmt"). In particular the output at the end of
	 * tcp_do_segment(), after step 6 took the window of a partial ACK
	 * whose own tcp_sack_partialack() output the old window cut: the
	 * profile sent no hole there before branch h-bsd5 and left the rest
	 * to the RTO (tests/pkt/freebsd/sack-noprr-partialack-window-hole.pkt). */
	if (p && !p->on && tcp_sack_bsd_noprr(s, c)) {
		(void)bsd_rexmit(s, c, c->cwnd, c->snd_wnd, NULL);
		return;
	}
	if (!p || !p->on || !c->in_recovery || !s->cfg.recovery_bsd || !c->sack_ok)
		return;
	/* Holes within cwnd as the last ACK set it: tcp_do_prr_ack()'s
	 * (bsd_cw), or tcp_sack_partialack()'s (bsd_cwnd: c->cwnd, which the
	 * profile keeps there for new data too). A window update after a
	 * partial ACK without SACK blocks resends the rescue hole's rest that
	 * the old window cut (tcp_do_segment() takes it as no duplicate while
	 * the hole is on the scoreboard, dup_ack()); the profile waited for
	 * the RTO before branch h-bsd4
	 * (tests/pkt/freebsd/sack-partialack-rescue-window-update.pkt). */
	uint32_t cw = p->bsd_cw ? p->bsd_cw : p->bsd_cwnd ? c->cwnd : 0;
	if (cw) {
		uint32_t out = 0;
		(void)bsd_rexmit(s, c, cw, c->snd_wnd, &out);
		p->out += out;
		p->bsd_left = p->bsd_left > out ? p->bsd_left - out : 0;
		if (c->dead)
			return;
	}
	/* No hole left: new data within "cwin = tp->snd_cwnd - (snd_nxt -
	 * snd_recover) - sack_bytes_rxmt" while resent bytes are out, which
	 * is what PRR's segments left (bsd_left), within the peer's window.
	 * An application that wrote nothing when the ACK came (PRR's segments
	 * found no data) gets them at its write
	 * (tests/pkt/freebsd/sack-prr-write-after-app-limited-ack.pkt); the
	 * profile before branch h-bsdpipe waited for the next ACK. Whole
	 * segments only: FreeBSD holds a short one back in recovery (not
	 * idle) unless TF_NODELAY, which is not modelled here. */
	for (int guard = 0; guard < 1024 && p->bsd_left >= c->mss && rexmit_bytes(c) && !c->dead;
	     guard++) {
		uint32_t before = c->snd_max;
		uint32_t end = c->snd_una + c->snd.len; /* queued data's end */
		if (seq_lt(c->snd_nxt, c->snd_max) || !seq_ge(end, c->snd_nxt + c->mss) ||
		    bsd_part_held(s, c))
			return;
		tcp_output_one(s, c);
		if (c->snd_max == before)
			return;
		uint32_t n = c->snd_max - before;
		p->out += n;
		p->bsd_left = p->bsd_left > n ? p->bsd_left - n : 0;
	}
}

/* tcp_do_prr_ack() in a recovery a timeout kept: "tp->snd_cwnd =
 * tp->snd_nxt - tp->snd_recover + tp->sackhint.sack_bytes_rexmit +
 * (snd_cnt * maxseg)" with SND.NXT below snd_recover (below < 0), then
 * "tp->snd_cwnd = imax(maxseg, tp->snd_cwnd)": imax() takes the sum as an
 * int, so a negative one gives one segment (tcp_input.c 2d614aa). PRR's
 * segments are not sent as such: tcp_output() resends the holes
 * tcp_sack_output() offers within "min(snd_wnd, snd_cwnd) -
 * sack_bytes_rxmt" (bsd_rexmit()), and new data (from SND.NXT, past what
 * the scoreboard holds: tcp_sack_adjust()) goes within "snd_cwnd -
 * imax(0, snd_nxt - snd_recover) - sack_bytes_rxmt", or min(snd_wnd,
 * snd_cwnd) less SND.NXT - SND.UNA with nothing resent out: the profile's
 * tcp_output() under this cwnd (bsd_cwnd, tcp_sack_bsd_room()). */
static void kept_prr_send(gt_stack *s, struct tcp_conn *c, struct tcp_prr *p, int64_t below, uint32_t cnt)
{
	int64_t cw = below + (int64_t)rexmit_bytes(c) + (int64_t)cnt * c->mss;
	if (cw < c->mss)
		cw = c->mss;
	c->cwnd = cw < UINT32_MAX ? (uint32_t)cw : UINT32_MAX;
	p->bsd_cw = c->cwnd;
	p->bsd_cwnd = true;
	p->bsd_left = 0;
	uint32_t out = 0;
	(void)bsd_rexmit(s, c, c->cwnd, c->snd_wnd, &out);
	p->out += out;
}

bool tcp_sack_bsd_rto_keep(const gt_stack *s, const struct tcp_conn *c)
{
	/* cc_cong_signal(CC_RTO) (tcp_input.c 2d614aa): EXIT_RECOVERY "if
	 * ((tp->t_rxtshift > 1) || !((tp->t_flags & TF_SACK_PERMIT) &&
	 * (!TAILQ_EMPTY(&tp->snd_holes))))". Not modelled, so ended as
	 * before: a closed window (tcp_output() then goes to the persist
	 * timer), SND.UNA inside a SACKed range (reneging), an ECN reduction
	 * with no fast recovery (IN_CONGRECOVERY alone). */
	uint32_t end;
	return s->cfg.rto_keeps_sack_recovery && s->cfg.recovery_bsd && c->sack_ok && c->in_recovery &&
	       c->rtx_count == 1 && c->sacked && tcp_sack_bsd_holes(c) && c->snd_wnd &&
	       !tcp_sacked(c, c->snd_una, &end) && !tcp_rack_active(s, c);
}

void tcp_sack_bsd_rto_resend(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	/* tcp_resend_sackholes() (tcp_sack.c 2d614aa): "p->rxmit =
	 * p->start" for every hole, nexthole the first, sack_bytes_rexmit
	 * 0: HighRxt back to SND.UNA, the rescue hole's rxmit to its start,
	 * nothing of it kept. The holes stay. */
	c->rexmit_nxt = c->snd_una;
	p->rescue_rx = p->rescue_lo;
	p->rescue_kept = 0;
	p->bsd_left = p->bsd_cw = 0;
	/* cwnd is the module's one segment until an ACK sets it
	 * (tcp_sack_bsd_room() for new data). tcp_output(): the first hole
	 * from its start within "imax(min(tp->snd_wnd, tp->snd_cwnd) -
	 * sack_bytes_rxmt, 0)", counted in prr_out (IN_RECOVERY). */
	p->bsd_cwnd = true;
	uint32_t out = 0;
	(void)bsd_rexmit(s, c, c->cwnd, c->snd_wnd, &out);
	p->out += out;
}

void tcp_sack_recovery_send(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_prr *p = prr_of(c);
	if (p && p->on && c->in_recovery) {
		/* PRR: this ACK's count of segments, NextSeg() for each (in
		 * FreeBSD, tcp_output() under the cwnd tcp_do_prr_ack() set).
		 * cwnd then shows pipe plus that count, never more than is in
		 * flight after it, so tcp_output() adds nothing. */
		uint32_t pipe = s->cfg.recovery_bsd && s->cfg.sack_unrevised_bsd
					? pipe_unrevised(c, c->snd_una)
					: pipe_bsd(c, p->acked_now);
		p->acked_now = 0;
		uint32_t cnt = prr_sndcnt(c, p, pipe), all = 0;
		int64_t below;
		if (s->cfg.recovery_bsd && rto_kept(s, c, &below)) {
			kept_prr_send(s, c, p, below, cnt);
			return;
		}
		/* tcp_do_prr_ack()'s cwnd, before the output it calls. */
		uint64_t bsd_cw = (uint64_t)past_recover(c) + rexmit_bytes(c) + (uint64_t)cnt * c->mss;
		for (uint32_t i = 0; i < cnt && i < 1024 && !c->dead; i++) {
			uint32_t sent = send_next(s, c);
			if (!sent)
				break;
			p->out += sent;
			all += sent;
		}
		if (c->dead)
			return;
		/* tcp_do_prr_ack() sets "tp->snd_cwnd = tp->snd_nxt -
		 * tp->snd_recover + tp->sackhint.sack_bytes_rexmit + (snd_cnt *
		 * maxseg)" and ends with "tp->snd_cwnd = imax(maxseg,
		 * tp->snd_cwnd)" (freebsd main, fel1x-developer/freebsd-src
		 * 2d614aa; no tcp_do_prr_conservative there). tcp_output()
		 * then resends the holes tcp_sack_output() offers within
		 * "min(snd_wnd, snd_cwnd) - sack_bytes_rxmt": PRR's segments
		 * plus SND.NXT - snd_recover, the new data's room past the
		 * recovery point, which holes take too
		 * (tests/pkt/freebsd/sack-prr-partialack-sack-hole-room.pkt,
		 * sack-prr-partialack-hole-room.pkt;
		 * the profile sent PRR's segments alone before branch
		 * h-bsdrec). With snd_cnt 0 and SND.NXT - snd_recover +
		 * sack_bytes_rexmit under a segment, the floor: what resent
		 * bytes still out leave of a segment
		 * (tests/pkt/freebsd/sack-prr-cwnd-floor-resends.pkt). New
		 * data is PRR's segments' (send_next() above): FreeBSD's
		 * "cwin = tp->snd_cwnd - (snd_nxt - snd_recover) -
		 * sack_bytes_rxmt" leaves it no more. New data under the floor
		 * (every hole resent, less than a segment of them out) is not
		 * modelled. */
		if (s->cfg.recovery_bsd) {
			uint32_t out = 0;
			if (bsd_cw < c->mss)
				bsd_cw = c->mss;
			p->bsd_cw = bsd_cw < UINT32_MAX ? (uint32_t)bsd_cw : UINT32_MAX;
			(void)bsd_rexmit(s, c, bsd_cw, c->snd_wnd, &out);
			p->out += out;
			all += out;
			if (c->dead)
				return;
		}
		/* FreeBSD's cwnd stays bsd_cw until the next ACK: what the
		 * window cut off goes at a later output (tcp_sack_bsd_output()),
		 * holes within bsd_cw, new data within what PRR's segments
		 * left (bsd_left). */
		uint64_t budget = (uint64_t)cnt * c->mss;
		p->bsd_left = s->cfg.recovery_bsd && budget > all ? (uint32_t)(budget - all) : 0;
		uint64_t cw = (uint64_t)pipe + (uint64_t)cnt * c->mss;
		if (cw > tcp_flight(c))
			cw = tcp_flight(c);
		c->cwnd = cw > c->mss ? (uint32_t)cw : c->mss;
		p->bsd_cwnd = false; /* PRR's cwnd, held at the flight */
		return;
	}
	/* RFC 6675 5 (C): while cwnd - pipe >= 1 SMSS, send NextSeg(). */
	for (int guard = 0; guard < 1024 && !c->dead; guard++) {
		if (tcp_sack_pipe(c) + c->mss > c->cwnd)
			return;
		if (!send_next(s, c))
			return;
	}
}
