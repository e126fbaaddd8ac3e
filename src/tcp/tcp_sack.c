/* The sender's SACK scoreboard (RFC 2018, RFC 6675 3): a bounded, sorted
 * list of the ranges above SND.UNA that the peer reports holding, which
 * retransmission skips. D-SACK blocks (RFC 2883) and blocks outside what was
 * sent are ignored; a full scoreboard only costs needless retransmissions. */
#include <stdlib.h>

#include "tcp/tcp.h"

void tcp_sack_update(struct tcp_conn *c, const struct tcp_opts *o)
{
	/* Forget what the cumulative ACK now covers. */
	while (c->nsacked && seq_le(c->sacked[0].right, c->snd_una))
		tcp_range_remove(c->sacked, &c->nsacked, 0);
	if (c->nsacked && seq_lt(c->sacked[0].left, c->snd_una))
		c->sacked[0].left = c->snd_una;
	if (!c->sacked && o->nsack) {
		c->sacked = malloc(TCP_MAX_SACKED * sizeof(*c->sacked));
		if (!c->sacked)
			return; /* only costs needless retransmissions */
	}
	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = o->sack[i].left, r = o->sack[i].right;
		/* Ignore D-SACKs and blocks outside what we sent (RFC 2883). */
		if (!seq_lt(l, r) || seq_le(r, c->snd_una) || seq_gt(r, c->snd_max))
			continue;
		l = seq_max(l, c->snd_una);
		/* A full scoreboard only costs a needless retransmission. */
		(void)tcp_range_merge(c->sacked, &c->nsacked, TCP_MAX_SACKED, l, r);
	}
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
