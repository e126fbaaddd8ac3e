/* The receiver's out-of-order data and the SACK blocks that report it
 * (RFC 2018). Out-of-order data is written straight into the receive ring
 * ahead of its tail; a sorted, bounded list of ranges says what is there.
 * The range list helpers serve the sender's scoreboard too (tcp_sack.c). */
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"

void tcp_range_remove(struct tcp_range *v, uint8_t *n, uint8_t i)
{
	memmove(&v[i], &v[i + 1], (size_t)(*n - i - 1) * sizeof(*v));
	(*n)--;
}

/* Merges [l, r) into the sorted list v of *n ranges (capacity max). Returns
 * the index of the range holding it, or -1 when a new range would not fit. */
int tcp_range_merge(struct tcp_range *v, uint8_t *n, uint8_t max, uint32_t l, uint32_t r)
{
	uint8_t i = 0;
	while (i < *n && seq_lt(v[i].right, l))
		i++;
	if (i == *n || seq_lt(r, v[i].left)) {
		/* Disjoint from all: insert at i. */
		if (*n >= max)
			return -1;
		memmove(&v[i + 1], &v[i], (size_t)(*n - i) * sizeof(*v));
		v[i].left = l;
		v[i].right = r;
		(*n)++;
		return i;
	}
	/* Overlaps or touches v[i]; absorb every following range it reaches. */
	v[i].left = seq_min(v[i].left, l);
	v[i].right = seq_max(v[i].right, r);
	while (i + 1 < *n && seq_le(v[i + 1].left, v[i].right)) {
		v[i].right = seq_max(v[i].right, v[i + 1].right);
		tcp_range_remove(v, n, i + 1);
	}
	return i;
}

int tcp_reass_insert(struct tcp_conn *c, uint32_t seq, const uint8_t *data, uint32_t len,
		     uint32_t max_ranges, bool drops_new, uint32_t *pruned)
{
	uint32_t off = seq - c->rcv_nxt;
	uint32_t space = ring_free_space(&c->rcv);
	if (off >= space)
		return 0;
	if (len > space - off)
		len = space - off;
	if (len == 0)
		return 0;
	uint8_t max = (uint8_t)(max_ranges < TCP_MAX_OOO ? max_ranges : TCP_MAX_OOO);
	if (!c->ooo) {
		/* Out-of-order ranges cost memory only while there are some. */
		c->ooo = malloc(TCP_MAX_OOO * sizeof(*c->ooo));
		if (!c->ooo)
			return -ENOBUFS;
	}
	int i = tcp_range_merge(c->ooo, &c->nooo, max, seq, seq + len);
	if (i < 0 && !drops_new && c->nooo && seq_lt(seq, c->ooo[c->nooo - 1].left)) {
		/* Full: the highest range gives way (Linux's
		 * tcp_prune_ofo_queue() drops from the highest sequence). Data
		 * far above a hole is of no use until the hole fills, and with
		 * SACK off the sender never learns it is there; kept, it shuts
		 * out every segment nearer RCV.NXT, and each hole takes an RTO
		 * (swarm seeds 2003177, 3002317). RFC 2018 8 lets a receiver
		 * discard what it SACKed. */
		tcp_range_remove(c->ooo, &c->nooo, (uint8_t)(c->nooo - 1));
		if (c->last_ooo >= c->nooo)
			c->last_ooo = 0;
		(*pruned)++;
		i = tcp_range_merge(c->ooo, &c->nooo, max, seq, seq + len);
	}
	if (i < 0)
		return -ENOBUFS;
	ring_write_at(&c->rcv, off, data, len);
	c->last_ooo = (uint8_t)i;
	c->ooo[i].stamp = ++c->ooo_clock;
	return (int)len;
}

uint32_t tcp_reass_advance(struct tcp_conn *c)
{
	uint32_t total = 0;
	while (c->nooo && seq_le(c->ooo[0].left, c->rcv_nxt)) {
		if (seq_gt(c->ooo[0].right, c->rcv_nxt)) {
			uint32_t n = c->ooo[0].right - c->rcv_nxt;
			ring_commit(&c->rcv, n);
			c->rcv_nxt += n;
			total += n;
		}
		tcp_range_remove(c->ooo, &c->nooo, 0);
		c->last_ooo = c->last_ooo ? c->last_ooo - 1 : 0;
	}
	if (!c->nooo) {
		free(c->ooo);
		c->ooo = NULL;
	}
	return total;
}

uint8_t tcp_reass_sack_blocks(const struct tcp_conn *c, struct tcp_sack_block *out, uint8_t max)
{
	/* RFC 2018 4: the first block reports the most recent segment, the
	 * others follow, most recently reported first. */
	bool used[TCP_MAX_OOO] = {false};
	uint8_t n = 0;
	while (n < max && n < c->nooo) {
		int best = -1;
		for (uint8_t i = 0; i < c->nooo; i++)
			if (!used[i] && (best < 0 || (int32_t)(c->ooo[i].stamp - c->ooo[best].stamp) > 0))
				best = i;
		used[best] = true;
		out[n].left = c->ooo[best].left;
		out[n].right = c->ooo[best].right;
		n++;
	}
	return n;
}

uint8_t tcp_reass_sack_rank(const struct tcp_conn *c, uint32_t left, uint32_t right)
{
	/* Linux's tcp_sack_new_ofo_skb(): its list holds the TCP_NUM_SACKS
	 * (4) most recent blocks, and the segment extends the first one it
	 * touches or overlaps (tcp_sack_extend()); none: a new block after
	 * them all. */
	struct tcp_sack_block b[4];
	uint8_t n = tcp_reass_sack_blocks(c, b, 4);
	for (uint8_t i = 0; i < n; i++)
		if (seq_le(left, b[i].right) && seq_le(b[i].left, right))
			return i;
	return n;
}
