/* The receiver's out-of-order data and the SACK blocks that report it
 * (RFC 2018). Out-of-order data is written straight into the receive ring
 * ahead of its tail; a sorted list of ranges says what is there, grown on
 * demand within the profile's bound on the ring (tcp_reass_limit()) and
 * searched by bisection, so thousands of holes cost no scan per segment.
 * The range list helpers serve the sender's scoreboard too (tcp_sack.c). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"

/* The list's allocation around c->ooo. */
static struct tcp_ooo *ooo_of(const struct tcp_conn *c)
{
	return (struct tcp_ooo *)(void *)((uint8_t *)c->ooo - offsetof(struct tcp_ooo, r));
}

void tcp_range_remove(struct tcp_range *v, uint16_t *n, uint16_t i, uint16_t count)
{
	memmove(&v[i], &v[i + count], (size_t)(*n - i - count) * sizeof(*v));
	*n = (uint16_t)(*n - count);
}

uint16_t tcp_range_search(const struct tcp_range *v, uint16_t n, uint32_t seq)
{
	/* The ranges are disjoint and sorted, so their right edges are too. */
	uint16_t lo = 0, hi = n;
	while (lo < hi) {
		uint16_t mid = (uint16_t)(lo + (hi - lo) / 2);
		if (seq_lt(v[mid].right, seq))
			lo = (uint16_t)(mid + 1);
		else
			hi = mid;
	}
	return lo;
}

int tcp_range_merge(struct tcp_range *v, uint16_t *n, uint32_t max, uint32_t l, uint32_t r,
		    uint32_t *added)
{
	uint16_t i = tcp_range_search(v, *n, l);
	if (i == *n || seq_lt(r, v[i].left)) {
		/* Disjoint from all: insert at i. */
		if (*n >= max)
			return -1;
		memmove(&v[i + 1], &v[i], (size_t)(*n - i) * sizeof(*v));
		v[i].left = l;
		v[i].right = r;
		v[i].stamp = 0;
		(*n)++;
		if (added)
			*added = r - l;
		return i;
	}
	/* Overlaps or touches v[i]; absorb every following range it reaches. */
	uint32_t before = v[i].right - v[i].left;
	v[i].left = seq_min(v[i].left, l);
	v[i].right = seq_max(v[i].right, r);
	uint16_t j = (uint16_t)(i + 1);
	while (j < *n && seq_le(v[j].left, v[i].right)) {
		before += v[j].right - v[j].left;
		v[i].right = seq_max(v[i].right, v[j].right);
		v[i].stamp = seq_max(v[i].stamp, v[j].stamp);
		j++;
	}
	if (j > i + 1)
		tcp_range_remove(v, n, (uint16_t)(i + 1), (uint16_t)(j - i - 1));
	if (added)
		*added = v[i].right - v[i].left - before;
	return i;
}

void tcp_reass_free(struct tcp_conn *c)
{
	if (c->ooo)
		free(ooo_of(c));
	c->ooo = NULL;
	c->nooo = 0;
	c->fin_sacked = false;
}

uint32_t tcp_reass_limit(const gt_stack *s, const struct tcp_conn *c)
{
	uint32_t seg = c->rcv_mss ? c->rcv_mss : 536u, n;
	if (s->cfg.reass_none)
		return 0; /* tcp_reass() with reass.maxqueuelen 0 */
	if (s->cfg.rcv_wnd_linux && !s->cfg.reass_full_drops_new)
		/* Linux's receive memory bounds what it holds
		 * (tcp_rcv_ofo_admit(): sk_rmem_alloc + skb->len <=
		 * sk_rcvbuf), and the smallest skb a TUN device makes costs
		 * 832 (lx_truesize()): no more skbs, so no more ranges, than
		 * that allows. */
		n = c->rcv.cap / 832u + 1;
	else if (s->cfg.reass_full_drops_new) {
		/* FreeBSD's tcp_reass(): a new queue entry (a range: entries
		 * that touch are merged) only while t_segqlen <
		 * min(so_rcv.sb_hiwat / t_maxseg + 1, reass.maxqueuelen, 100
		 * by default, which the profile puts in max_reass_ranges).
		 * t_maxseg as it is at this segment: tcp_mss()'s at first (the
		 * smaller of the peer's offer and ours, cut to a smaller send
		 * buffer, at least 64: bsd_tcp_mss() in tcp_input.c), then
		 * whatever lowered it since (an ICMP "fragmentation needed",
		 * the PMTU black-hole detection of tcp_timer_rexmt()). The
		 * profile's send MSS is t_maxseg less the options every
		 * segment carries (tcp_maxseg()), which go back on. */
		uint32_t maxseg = (uint32_t)tcp_mss_path(c) + tcp_seg_opt_bytes(c);
		n = c->rcv.cap / (maxseg ? maxseg : seg) + 1;
	} else
		/* Linux bounds its out-of-order rbtree by receive memory only
		 * (tcp_try_rmem_schedule(), tcp_prune_ofo_queue()): each range
		 * is at least a segment with a hole of one below it, so a ring
		 * holds at most one per two segments. */
		n = c->rcv.cap / (2 * seg) + 1;
	if (s->cfg.max_reass_ranges && s->cfg.max_reass_ranges < n)
		n = s->cfg.max_reass_ranges;
	return n < TCP_MAX_OOO ? n : TCP_MAX_OOO;
}

/* What the list may hold at any time, for the invariant checker. FreeBSD's
 * tcp_reass() checks its limit only when it admits a new entry, with
 * t_maxseg as it is then; the entries queued stay when t_maxseg grows (the
 * black-hole detection gives the MSS back, tcp_timer_rexmt()), so only
 * reass.maxqueuelen (max_reass_ranges) bounds the queue throughout (a check
 * against the limit of now tripped on such a restore). */
uint32_t tcp_reass_bound(const gt_stack *s, const struct tcp_conn *c)
{
	if (!s->cfg.reass_full_drops_new)
		return tcp_reass_limit(s, c);
	if (s->cfg.reass_none)
		return 0;
	uint32_t n = s->cfg.max_reass_ranges ? s->cfg.max_reass_ranges : TCP_MAX_OOO;
	return n < TCP_MAX_OOO ? n : TCP_MAX_OOO;
}

/* Room for one more range in c's list, within max; false when the list is
 * at max or memory is short. The list starts small and doubles: memory
 * follows the holes there are, not the limit. */
static bool ooo_room(struct tcp_conn *c, uint32_t max)
{
	struct tcp_ooo *o = c->ooo ? ooo_of(c) : NULL;
	if (o && c->nooo < o->cap)
		return true;
	if (c->nooo >= max)
		return false;
	uint32_t cap = o ? o->cap * 2 : TCP_RANGES_MIN;
	if (cap > max)
		cap = max < TCP_RANGES_MIN ? TCP_RANGES_MIN : max;
	o = realloc(o, sizeof(*o) + (size_t)cap * sizeof(o->r[0]));
	if (!o)
		return false;
	if (!c->ooo) {
		o->nrecent = 0;
		o->lx_at_nxt = false;
		/* Linux's list may already hold a bare FIN's block. */
		o->nlx = 0;
		if (c->fin_ooo && c->fin_sacked)
			o->lx[o->nlx++] = (struct tcp_sack_block){c->ooo_fin_seq, c->ooo_fin_seq + 1};
	}
	o->cap = cap;
	c->ooo = o->r;
	return true;
}

/* The range at index i was just touched: it comes first in SACK order. */
static void ooo_touch(struct tcp_conn *c, uint16_t i)
{
	struct tcp_ooo *o = ooo_of(c);
	if (!++c->ooo_clock)
		c->ooo_clock = 1; /* 0 is "not since a prune" */
	c->ooo[i].stamp = c->ooo_clock;
	uint32_t n = o->nrecent < TCP_OOO_RECENT ? o->nrecent + 1 : TCP_OOO_RECENT;
	memmove(&o->recent[1], &o->recent[0], (n - 1) * sizeof(o->recent[0]));
	o->recent[0] = c->ooo[i].left;
	o->nrecent = n;
}

int tcp_reass_find(const struct tcp_conn *c, uint32_t seq)
{
	uint16_t i = tcp_range_search(c->ooo, c->nooo, seq);
	if (i < c->nooo && seq_ge(seq, c->ooo[i].left) && seq_lt(seq, c->ooo[i].right))
		return i;
	return -1;
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
	uint32_t max = max_ranges < TCP_MAX_OOO ? max_ranges : TCP_MAX_OOO;
	if (max == 0)
		return -ENOBUFS; /* nothing held out of order (cfg.reass_none) */
	/* Out-of-order ranges cost memory only while there are some. */
	if (!c->ooo && !ooo_room(c, max ? max : 1))
		return -ENOBUFS;
	int i = tcp_range_merge(c->ooo, &c->nooo, ooo_of(c)->cap < max ? ooo_of(c)->cap : max,
				seq, seq + len, NULL);
	if (i < 0 && ooo_room(c, max))
		i = tcp_range_merge(c->ooo, &c->nooo, ooo_of(c)->cap < max ? ooo_of(c)->cap : max,
				    seq, seq + len, NULL);
	if (i < 0 && !drops_new && c->nooo && seq_lt(seq, c->ooo[c->nooo - 1].left)) {
		/* Full: the highest range gives way (Linux's
		 * tcp_prune_ofo_queue() drops from the highest sequence). Data
		 * far above a hole is of no use until the hole fills, and with
		 * SACK off the sender never learns it is there; kept, it shuts
		 * out every segment nearer RCV.NXT, and each hole takes an RTO
		 * (swarm seeds 2003177, 3002317). RFC 2018 8 lets a receiver
		 * discard what it SACKed. */
		c->nooo--;
		(*pruned)++;
		ooo_of(c)->nlx = 0; /* tcp_prune_ofo_queue(): tcp_sack_reset() */
		i = tcp_range_merge(c->ooo, &c->nooo, ooo_of(c)->cap < max ? ooo_of(c)->cap : max,
				    seq, seq + len, NULL);
	}
	if (i < 0) {
		if (!c->nooo) {
			free(ooo_of(c));
			c->ooo = NULL;
		}
		return -ENOBUFS;
	}
	ring_write_at(&c->rcv, off, data, len);
	ooo_touch(c, (uint16_t)i);
	return (int)len;
}

uint32_t tcp_reass_prune(struct tcp_conn *c, uint32_t from)
{
	uint32_t gone = 0;
	while (c->nooo && seq_gt(c->ooo[c->nooo - 1].right, from)) {
		struct tcp_range *r = &c->ooo[c->nooo - 1];
		if (seq_lt(r->left, from)) {
			gone += r->right - from;
			r->right = from;
			break;
		}
		gone += r->right - r->left;
		c->nooo--;
	}
	if (c->fin_ooo && seq_ge(c->ooo_fin_seq, from))
		c->fin_ooo = false; /* the FIN came with data that is gone */
	c->fin_sacked = false; /* tcp_sack_reset() */
	if (!c->nooo) {
		if (c->ooo)
			free(ooo_of(c));
		c->ooo = NULL;
		return gone;
	}
	/* tcp_sack_reset(): the blocks start anew from the next segment
	 * queued; what is still held is reported again only once a segment
	 * touches it (stamp 0: not since the reset). */
	ooo_of(c)->nrecent = 0;
	ooo_of(c)->nlx = 0;
	for (uint16_t i = 0; i < c->nooo; i++)
		c->ooo[i].stamp = 0;
	return gone;
}

uint32_t tcp_reass_advance(struct tcp_conn *c)
{
	uint32_t total = 0;
	uint16_t k = 0;
	while (k < c->nooo && seq_le(c->ooo[k].left, c->rcv_nxt)) {
		if (seq_gt(c->ooo[k].right, c->rcv_nxt)) {
			uint32_t n = c->ooo[k].right - c->rcv_nxt;
			ring_commit(&c->rcv, n);
			c->rcv_nxt += n;
			total += n;
		}
		k++;
	}
	if (k)
		tcp_range_remove(c->ooo, &c->nooo, 0, k);
	if (!c->nooo && c->ooo) {
		/* With no data held above RCV.NXT, a block that is left
		 * (tcp_sack_remove()) can only be a held bare FIN's. */
		struct tcp_sack_block b[TCP_MAX_SACK];
		c->fin_sacked = c->fin_ooo && tcp_reass_lx_sack_get(c, b, TCP_MAX_SACK) > 0;
		free(ooo_of(c));
		c->ooo = NULL;
	}
	return total;
}

/* How recently range i was touched: 0 the latest. */
static uint32_t ooo_age(const struct tcp_conn *c, uint16_t i)
{
	return c->ooo_clock - c->ooo[i].stamp;
}

uint8_t tcp_reass_sack_blocks(const struct tcp_conn *c, struct tcp_sack_block *out, uint8_t max)
{
	/* RFC 2018 4: the first block reports the most recent segment, the
	 * others follow, most recently reported first. The list remembers
	 * the ranges touched last: a range it names that is gone (delivered,
	 * pruned) or already reported (merged into another) is skipped, and
	 * what it names are then the most recent ranges there are. Only when
	 * merges left it short does a scan by stamp find the rest. */
	if (!c->nooo)
		return 0;
	const struct tcp_ooo *o = ooo_of(c);
	uint16_t idx[TCP_OOO_RECENT];
	uint8_t n = 0;
	for (uint32_t k = 0; k < o->nrecent && n < max; k++) {
		int i = tcp_reass_find(c, o->recent[k]);
		bool dup = i < 0;
		for (uint8_t j = 0; j < n && !dup; j++)
			dup = idx[j] == i;
		if (dup)
			continue;
		idx[n] = (uint16_t)i;
		out[n].left = c->ooo[i].left;
		out[n].right = c->ooo[i].right;
		n++;
	}
	uint32_t last = n ? ooo_age(c, idx[n - 1]) : 0;
	bool any = n > 0;
	while (n < max && n < c->nooo) {
		int best = -1;
		for (uint16_t i = 0; i < c->nooo; i++) {
			uint32_t a = ooo_age(c, i);
			if (!c->ooo[i].stamp)
				continue; /* not reported since a prune (tcp_reass_prune()) */
			if ((!any || a > last) && (best < 0 || a < ooo_age(c, (uint16_t)best)))
				best = i;
		}
		if (best < 0)
			break;
		out[n].left = c->ooo[best].left;
		out[n].right = c->ooo[best].right;
		last = ooo_age(c, (uint16_t)best);
		any = true;
		n++;
	}
	return n;
}

/* The place of the first of n blocks that [left, right] touches or
 * overlaps (tcp_sack_extend()'s test); n for none. */
static uint8_t rank_in(const struct tcp_sack_block *b, uint8_t n, uint32_t left, uint32_t right)
{
	for (uint8_t i = 0; i < n; i++)
		if (seq_le(left, b[i].right) && seq_le(b[i].left, right))
			return i;
	return n;
}

uint8_t tcp_reass_sack_rank(const struct tcp_conn *c, uint32_t left, uint32_t right)
{
	/* Linux's tcp_sack_new_ofo_skb(): its list holds the TCP_NUM_SACKS
	 * (4) most recent blocks, and the segment extends the first one it
	 * touches or overlaps (tcp_sack_extend()); none: a new block after
	 * them all. */
	struct tcp_sack_block b[4];
	return rank_in(b, tcp_reass_sack_blocks(c, b, 4), left, right);
}

/* Linux's list of SACK blocks (cfg.sack_list_linux), kept apart from the
 * ranges held as Linux keeps tp->selective_acks[] apart from its
 * out-of-order queue: it lives in the list's allocation, or, while only a
 * bare FIN is held, in c->fin_sacked. */

/* tcp_sack_extend(): [seq, end_seq) touches or overlaps b: b covers both. */
static bool lx_extend(struct tcp_sack_block *b, uint32_t seq, uint32_t end_seq)
{
	if (seq_gt(seq, b->right) || seq_gt(b->left, end_seq))
		return false;
	b->left = seq_min(b->left, seq);
	b->right = seq_max(b->right, end_seq);
	return true;
}

uint8_t tcp_reass_lx_sack_get(const struct tcp_conn *c, struct tcp_sack_block *out, uint8_t max)
{
	struct tcp_sack_block fin = {c->ooo_fin_seq, c->ooo_fin_seq + 1};
	const struct tcp_sack_block *src = &fin;
	uint32_t cnt = 0;
	if (c->ooo) {
		src = ooo_of(c)->lx;
		cnt = ooo_of(c)->nlx;
	} else if (c->fin_ooo && c->fin_sacked) {
		cnt = 1;
	}
	/* tcp_sack_remove(): a block whose start RCV.NXT has reached is
	 * gone. Left out here rather than removed when RCV.NXT moves: the
	 * order of the rest is the same. */
	bool at_nxt = c->ooo && ooo_of(c)->lx_at_nxt;
	uint8_t n = 0;
	for (uint32_t k = 0; k < cnt && n < max; k++)
		if (seq_gt(src[k].left, c->rcv_nxt) || (at_nxt && src[k].left == c->rcv_nxt))
			out[n++] = src[k];
	return n;
}

void tcp_reass_lx_sack_add(struct tcp_conn *c, uint32_t seq, uint32_t end_seq)
{
	struct tcp_sack_block b[TCP_MAX_SACK];
	uint8_t n = tcp_reass_lx_sack_get(c, b, TCP_MAX_SACK), i = 0;
	while (i < n && !lx_extend(&b[i], seq, end_seq))
		i++;
	if (i < n) {
		/* tcp_sack_new_ofo_skb(): the block extended goes first, then
		 * tcp_sack_maybe_coalesce() merges into it every later block
		 * it now reaches. */
		struct tcp_sack_block t = b[i];
		/* A loop, not memmove(): gcc 12 at -O3 cannot see that i < n
		 * <= TCP_MAX_SACK and warned of an offset past b[]. */
		for (uint8_t k = i; k > 0; k--)
			b[k] = b[k - 1];
		b[0] = t;
		for (uint8_t k = 1; k < n;) {
			if (lx_extend(&b[0], b[k].left, b[k].right)) {
				memmove(&b[k], &b[k + 1], (size_t)(n - k - 1) * sizeof(b[0]));
				n--;
			} else {
				k++;
			}
		}
	} else {
		/* A new block first; with TCP_NUM_SACKS (4) already, the last
		 * is forgotten. */
		if (n == TCP_MAX_SACK)
			n--;
		memmove(&b[1], &b[0], n * sizeof(b[0]));
		b[0] = (struct tcp_sack_block){seq, end_seq};
		n++;
	}
	if (c->ooo) {
		memcpy(ooo_of(c)->lx, b, n * sizeof(b[0]));
		ooo_of(c)->nlx = n;
	} else {
		/* No range held: the one block is a bare FIN's. */
		c->fin_sacked = n > 0;
	}
}

uint8_t tcp_reass_lx_sack_rank(const struct tcp_conn *c, uint32_t left, uint32_t right)
{
	struct tcp_sack_block b[TCP_MAX_SACK];
	return rank_in(b, tcp_reass_lx_sack_get(c, b, TCP_MAX_SACK), left, right);
}

void tcp_reass_lx_fin_ack(gt_stack *s, struct tcp_conn *c)
{
	ooo_of(c)->lx_at_nxt = true;
	tcp_send_ack(s, c);
	ooo_of(c)->lx_at_nxt = false;
}

void tcp_reass_lx_sack_reset(struct tcp_conn *c)
{
	if (c->ooo)
		ooo_of(c)->nlx = 0;
	c->fin_sacked = false;
}

/* FreeBSD's list of SACK blocks (cfg.sack_list_bsd), in the same place as
 * Linux's. tcp_do_segment() hands every data segment tcp_reass() kept to
 * tcp_update_dsack_list(tp, save_start, save_start + save_tlen): the
 * segment's range, not the queue entry tcp_reass() returns in *seq_start.
 * That function rebuilds tp->sackblks[] as saved_blks[0], the D-SACK
 * block, then mid_blk, the segment widened by each listed block it
 * touches or overlaps, then the listed blocks mid_blk does not reach
 * whose start is past RCV.NXT, in their order, while fewer than
 * MAX_SACK_BLKS are saved: with the first slot kept, four of them. The
 * D-SACK block of a segment above RCV.NXT stays listed after it is sent
 * (tcp_clean_dsack_blocks() drops only blocks RCV.NXT reached), so it is
 * reported again, first, until an update drops or merges it. */
struct tcp_sack_block tcp_reass_bsd_sack_update(struct tcp_conn *c, uint32_t seq, uint32_t end_seq,
						uint32_t nxt_before, uint32_t nxt)
{
	struct tcp_sack_block b[TCP_BSD_SACK_BLKS], mid = {seq, end_seq}, head = {0, 0};
	struct tcp_sack_block dup = {0, 0};
	if (!c->ooo)
		return dup;
	struct tcp_ooo *o = ooo_of(c);
	/* The list as FreeBSD has it now: the blocks the ACK before this
	 * segment left (tcp_clean_dsack_blocks()), some of which RCV.NXT may
	 * have passed since. */
	uint8_t n = 0;
	for (uint32_t k = 0; k < o->nlx; k++)
		if (seq_gt(o->lx[k].left, nxt_before))
			b[n++] = o->lx[k];
	bool identical = false, have_head = false;
	if (seq_lt(end_seq, nxt) || (end_seq == nxt && n && b[0].right == nxt))
		dup = mid;
	/* The touch test is against the segment, the union grows; head is
	 * the lowest listed block the segment overlaps (or touches from
	 * below), whose overlap with it is the D-SACK block; of a block
	 * RCV.NXT passed, only the overlap counts. */
	for (uint8_t i = 0; i < n; i++) {
		if (seq_lt(end_seq, b[i].left) || seq_gt(seq, b[i].right))
			continue;
		uint32_t l = seq_max(seq, b[i].left), r = seq_min(end_seq, b[i].right);
		if (seq_gt(nxt, b[i].right)) {
			if (l != r && (!have_head || seq_gt(head.left, l))) {
				head = (struct tcp_sack_block){l, r};
				have_head = true;
			}
			continue;
		}
		if ((!have_head || seq_lt(b[i].left, head.left)) && seq_gt(b[i].right, seq) &&
		    seq_le(b[i].left, end_seq)) {
			head = b[i];
			have_head = true;
		}
		mid.left = seq_min(mid.left, b[i].left);
		mid.right = seq_max(mid.right, b[i].right);
		if (mid.left == b[i].left && mid.right == b[i].right)
			identical = true;
	}
	if (have_head && seq_lt(head.left, head.right)) {
		dup.left = seq_max(seq, head.left);
		dup.right = seq_min(end_seq, head.right);
	}
	uint8_t k = 0, slots = 1;
	/* Below RCV.NXT the D-SACK block is sent once from c->dsack, as
	 * FreeBSD cleans it after one segment; above, it stays listed. */
	if (seq_lt(dup.left, dup.right) && seq_gt(dup.left, nxt))
		o->lx[k++] = dup;
	if ((seq_lt(nxt, mid.right) && !(mid.left == dup.left && mid.right == dup.right)) ||
	    identical) {
		o->lx[k++] = mid;
		slots++;
	}
	for (uint8_t i = 0; i < n && slots < TCP_BSD_SACK_BLKS; i++)
		if ((seq_lt(b[i].right, mid.left) || seq_gt(b[i].left, mid.right)) &&
		    seq_gt(b[i].left, nxt)) {
			o->lx[k++] = b[i];
			slots++;
		}
	o->nlx = k;
	return dup;
}

void tcp_reass_bsd_sack_add(struct tcp_conn *c, uint32_t seq, uint32_t end_seq)
{
	(void)tcp_reass_bsd_sack_update(c, seq, end_seq, c->rcv_nxt, c->rcv_nxt);
}

/* tcp_update_sack_list() for a duplicate below RCV.NXT (todrop): the
 * D-SACK block first (sent from c->dsack), then the listed blocks past
 * RCV.NXT in their order, each dropped when the one after it covers it
 * ("This block supercedes the prior block"), at most five. */
void tcp_reass_bsd_sack_dup_below(struct tcp_conn *c)
{
	if (!c->ooo)
		return;
	struct tcp_sack_block b[TCP_BSD_SACK_BLKS];
	uint8_t n = tcp_reass_lx_sack_get(c, b, TCP_BSD_SACK_BLKS), k = 0;
	struct tcp_ooo *o = ooo_of(c);
	for (uint8_t i = 0; i < n; i++) {
		if (k && seq_ge(o->lx[k - 1].left, b[i].left) && seq_le(o->lx[k - 1].right, b[i].right))
			k--;
		o->lx[k++] = b[i];
	}
	if (k >= TCP_BSD_SACK_BLKS)
		k--;
	o->nlx = k;
}
