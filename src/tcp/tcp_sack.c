/* The sender's SACK scoreboard and loss recovery with it (RFC 2018, RFC
 * 6675): a bounded, sorted list of the ranges above SND.UNA that the peer
 * reports holding; IsLost(), SetPipe() and NextSeg() of RFC 6675 4 computed
 * from it; and the recovery loop of RFC 6675 5 (C). D-SACK blocks (RFC
 * 2883) and blocks outside what was sent are ignored; a full scoreboard only
 * costs needless retransmissions.
 *
 * HighACK is snd_una, HighData snd_max, RecoveryPoint recover, and HighRxt
 * is rexmit_nxt: during recovery every unSACKed octet below it has been
 * retransmitted once. */
#include <stdlib.h>

#include "tcp/tcp.h"

#define DUPTHRESH 3u /* RFC 6675 2: DupThresh */

uint32_t tcp_sack_bytes(const struct tcp_conn *c)
{
	uint32_t n = 0;
	for (uint8_t i = 0; i < c->nsacked; i++)
		n += c->sacked[i].right - c->sacked[i].left;
	return n;
}

bool tcp_sack_update(struct tcp_conn *c, const struct tcp_opts *o)
{
	/* Forget what the cumulative ACK now covers. */
	while (c->nsacked && seq_le(c->sacked[0].right, c->snd_una))
		tcp_range_remove(c->sacked, &c->nsacked, 0);
	if (c->nsacked && seq_lt(c->sacked[0].left, c->snd_una))
		c->sacked[0].left = c->snd_una;
	if (!c->sacked && o->nsack) {
		c->sacked = malloc(TCP_MAX_SACKED * sizeof(*c->sacked));
		if (!c->sacked)
			return false; /* only costs needless retransmissions */
	}
	uint32_t before = tcp_sack_bytes(c);
	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = o->sack[i].left, r = o->sack[i].right;
		/* Ignore D-SACKs and blocks outside what we sent (RFC 2883). */
		if (!seq_lt(l, r) || seq_le(r, c->snd_una) || seq_gt(r, c->snd_max))
			continue;
		l = seq_max(l, c->snd_una);
		/* A full scoreboard only costs a needless retransmission. */
		(void)tcp_range_merge(c->sacked, &c->nsacked, TCP_MAX_SACKED, l, r);
	}
	return tcp_sack_bytes(c) > before;
}

bool tcp_sacked(const struct tcp_conn *c, uint32_t seq, uint32_t *range_end)
{
	for (uint8_t i = 0; i < c->nsacked; i++) {
		if (seq_in(seq, c->sacked[i].left, c->sacked[i].right)) {
			*range_end = c->sacked[i].right;
			return true;
		}
	}
	return false;
}

bool tcp_sack_is_lost(const struct tcp_conn *c, uint32_t seq)
{
	/* RFC 6675 4 IsLost(SeqNum): DupThresh discontiguous SACKed
	 * sequences above it, or more than (DupThresh - 1) * SMSS bytes. */
	uint32_t bytes = 0, ranges = 0;
	for (uint8_t i = c->nsacked; i-- > 0;) {
		const struct tcp_range *r = &c->sacked[i];
		if (!seq_gt(r->right, seq))
			break;
		ranges++;
		bytes += r->right - seq_max(r->left, seq);
	}
	return ranges >= DUPTHRESH || bytes > (DUPTHRESH - 1) * (uint32_t)c->mss;
}

/* The holes of the scoreboard, in order: [*a, *b) is the i-th unSACKed run
 * between SND.UNA and SND.MAX; below is true when SACKed data lies above it
 * (the last run, above every SACK block, has none). */
static bool hole(const struct tcp_conn *c, uint8_t i, uint32_t *a, uint32_t *b, bool *below)
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
	for (uint8_t i = 0; hole(c, i, &a, &b, &below); i++) {
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
	for (uint8_t i = 0; hole(c, i, &a, &b, &below) && below; i++) {
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
	for (uint8_t i = c->nsacked; i-- > 0;) {
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

void tcp_sack_recovery_send(gt_stack *s, struct tcp_conn *c)
{
	/* RFC 6675 5 (C): while cwnd - pipe >= 1 SMSS, send NextSeg(). */
	for (int guard = 0; guard < 1024 && !c->dead; guard++) {
		if (tcp_sack_pipe(c) + c->mss > c->cwnd)
			return;
		uint32_t seq, len;
		if (next_hole(c, true, &seq, &len)) {
			tcp_retransmit_range(s, c, seq, len); /* rule 1 */
			continue;
		}
		uint32_t before = c->snd_max;
		tcp_output_one(s, c); /* rule 2: new data, within the peer's window */
		if (c->snd_max != before)
			continue;
		if (next_hole(c, false, &seq, &len)) {
			tcp_retransmit_range(s, c, seq, len); /* rule 3 */
			continue;
		}
		rescue(s, c);
		return;
	}
}
