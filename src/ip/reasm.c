/* Fragment reassembly for both families: RFC 791 3.2 (IPv4), RFC 8200 4.5
 * (IPv6), RFC 815's idea of holes kept as the list of pieces held. Bounded
 * as ip/reasm.h and cfg.reasm_* say. Overlapping fragments end their
 * datagram (RFC 5722 for IPv6; Linux's inet_frag_queue_insert() treats
 * IPv4 alike), an exact duplicate is dropped alone (Linux's IPFRAG_DUP);
 * atomic IPv6 fragments never come here (RFC 6946 4: the wire layer passes
 * them). Counters as Linux's: ReasmReqds every fragment, ReasmOKs every
 * datagram rebuilt, ReasmFails every fragment or datagram given up,
 * ReasmTimeout (also a failure), ReasmOverlaps. */
#include <stdlib.h>
#include <string.h>

#include "stack_internal.h"
#include "util/be.h"
#include "util/checksum.h"
#include "wire/icmp.h"
#include "wire/icmp6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

#define COUNT(s, v6, name) ((v6) ? (s)->st.Ip6##name++ : (s)->st.Ip##name++)

/* The kept header, just before the data: together the datagram. */
static uint8_t *ctx_hdr(const struct reasm_ctx *r) { return r->buf + REASM_HDR_MAX - r->hdr_len; }

static void ctx_free(gt_stack *s, struct reasm_ctx *r)
{
	s->reasm_bytes -= r->held;
	free(r->buf);
	memset(r, 0, sizeof *r);
}

static void ctx_fail(gt_stack *s, struct reasm_ctx *r)
{
	COUNT(s, r->v6, ReasmFails);
	ctx_free(s, r);
}

/* RFC 792 / RFC 4443 3.3 Time Exceeded, code 1 (fragment reassembly time
 * exceeded), quoting the first fragment: only when it came (RFC 8200 4.5;
 * RFC 1122 3.3.2 asks the same of IPv4). */
static void time_exceeded(gt_stack *s, struct reasm_ctx *r)
{
	uint8_t *h = ctx_hdr(r);
	size_t data = r->frag[0].hi; /* the first piece: it starts at 0 */
	if (!r->v6) {
		ip4_icmp_error(s, h, r->hdr_len + (data < 8 ? data : 8), ICMP_TIME_EXCEEDED, 1);
		return;
	}
	/* The first fragment as a packet of its own (the Fragment header left
	 * out): its unfragmentable part and the data it began with. */
	h[r->nh_off] = r->next;
	put_be16(h + 4, (uint16_t)(r->hdr_len - IPV6_HDR_LEN + data));
	ip6_send_error(s, h, r->hdr_len + data, r->dst, ICMP6_TIME_EXCEEDED, 1, 0);
}

static void expire(gt_stack *s, struct reasm_ctx *r)
{
	COUNT(s, r->v6, ReasmTimeout);
	if (r->have_first)
		time_exceeded(s, r);
	ctx_fail(s, r);
}

/* The context of (v6, src, dst, id, proto), a new one if none and a
 * context and memory are free; NULL (counted) otherwise. Contexts past
 * their deadline are ended on the way. */
static struct reasm_ctx *ctx_get(gt_stack *s, bool v6, ip_addr src, ip_addr dst, uint32_t id,
				 uint8_t proto)
{
	struct reasm_ctx *spare = NULL;
	uint32_t used = 0;
	for (uint32_t i = 0; i < GT_REASM_MAX; i++) {
		struct reasm_ctx *r = &s->reasm[i];
		if (r->buf && r->deadline_us <= s->now_us)
			expire(s, r);
		if (!r->buf) {
			spare = spare ? spare : r;
			continue;
		}
		used++;
		if (r->v6 == v6 && r->id == id && r->proto == proto && ip_addr_eq(r->src, src) &&
		    ip_addr_eq(r->dst, dst))
			return r;
	}
	if (!s->cfg.reasm_max_datagrams) {
		s->st.ReasmOverLimit++;
		return NULL;
	}
	if (!spare || used >= s->cfg.reasm_max_datagrams) {
		/* Full: the datagram that began first gives way, FreeBSD's
		 * ip_reass() -> ipq_reuse() (the oldest queue, its fragments
		 * counted as timed out). Linux drops the new fragment instead,
		 * but only past net.ipv4.ipfrag_high_thresh, 4 MB, room for
		 * thousands of datagrams where the stack has 8 contexts:
		 * refusing new ones, 8 lost fragments stalled every
		 * fragmented datagram to the host for 30 s, a TCP sender's
		 * retransmissions included (swarm seed 97610686: 8 contexts of
		 * one fragment each after a queue overflow, then 8 RTOs in a
		 * row). Both profiles evict. */
		struct reasm_ctx *old = NULL;
		uint64_t old_start = UINT64_MAX;
		for (uint32_t i = 0; i < GT_REASM_MAX; i++) {
			struct reasm_ctx *r = &s->reasm[i];
			if (!r->buf)
				continue;
			uint32_t ms = r->v6 ? s->cfg.reasm_timeout6_ms : s->cfg.reasm_timeout4_ms;
			uint64_t start = r->deadline_us - (uint64_t)ms * 1000u;
			if (start < old_start) {
				old_start = start;
				old = r;
			}
		}
		if (!old) {
			s->st.ReasmOverLimit++;
			return NULL;
		}
		s->st.ReasmEvicted++;
		ctx_fail(s, old);
		spare = old;
	}
	spare->buf = malloc(REASM_HDR_MAX + REASM_DATA_MAX);
	if (!spare->buf) {
		s->st.ReasmOverLimit++;
		return NULL;
	}
	spare->v6 = v6;
	spare->src = src;
	spare->dst = dst;
	spare->id = id;
	spare->proto = proto;
	uint32_t ms = v6 ? s->cfg.reasm_timeout6_ms : s->cfg.reasm_timeout4_ms;
	spare->deadline_us = s->now_us + (uint64_t)ms * 1000;
	return spare;
}

enum insert { INS_OK, INS_DUP, INS_OVERLAP, INS_FULL };

/* Adds [lo, hi) to the sorted, disjoint pieces. */
static enum insert insert(struct reasm_ctx *r, uint32_t lo, uint32_t hi)
{
	uint32_t i = 0;
	while (i < r->nfrag && r->frag[i].hi <= lo)
		i++;
	if (i < r->nfrag && r->frag[i].lo < hi)
		return r->frag[i].lo == lo && r->frag[i].hi == hi ? INS_DUP : INS_OVERLAP;
	if (r->nfrag == REASM_FRAGS)
		return INS_FULL;
	memmove(&r->frag[i + 1], &r->frag[i], (r->nfrag - i) * sizeof r->frag[0]);
	r->frag[i].lo = (uint16_t)lo;
	r->frag[i].hi = (uint16_t)hi;
	r->nfrag++;
	return INS_OK;
}

/* The datagram, whole: its header rewritten, processed as received. */
static void deliver(gt_stack *s, struct reasm_ctx *r)
{
	uint8_t *h = ctx_hdr(r);
	size_t len = r->hdr_len + r->total;
	if (r->v6 && len - IPV6_HDR_LEN > 65535) {
		/* The unfragmentable part and the data together past the
		 * Payload Length's 16 bits: Linux's ip6_frag_reasm() drops it
		 * (out_oversize), a reassembly failure. */
		ctx_fail(s, r);
		return;
	}
	COUNT(s, r->v6, ReasmOKs);
	if (r->v6) {
		h[r->nh_off] = r->next;
		put_be16(h + 4, (uint16_t)(len - IPV6_HDR_LEN));
		ip6_input_whole(s, h, len);
	} else {
		put_be16(h + 2, (uint16_t)len);
		put_be16(h + 6, get_be16(h + 6) & 0x4000); /* DF kept; MF and offset 0 */
		h[10] = h[11] = 0;
		put_be16(h + 10, csum_fold(csum_partial(h, r->hdr_len, 0)));
		ip4_input_whole(s, h, len);
	}
	ctx_free(s, r);
}

/* What the first fragment (lo 0) leaves for the datagram: its header
 * (IPv4) or unfragmentable part (IPv6), and for IPv6 the Fragment header's
 * Next Header and the field that named the Fragment header. Taken only
 * when that piece is: a duplicate first fragment changes nothing. */
struct first {
	const uint8_t *hdr;
	size_t hdr_len;
	uint8_t next;
	uint16_t nh_off;
};

/* One fragment's data [lo, lo + n) into r; more: M / MF was set. */
static void add(gt_stack *s, struct reasm_ctx *r, uint32_t lo, const uint8_t *data, uint32_t n,
		bool more, const struct first *f)
{
	uint32_t hi = lo + n;
	uint32_t top = r->nfrag ? r->frag[r->nfrag - 1].hi : 0;
	/* A last fragment must end the datagram where any other last one did
	 * and past every piece held; nothing may lie beyond it (Linux's
	 * ip_frag_queue() / ip6_frag_queue() checks). */
	if ((!more && (hi < top || (r->have_last && hi != r->total))) ||
	    (more && r->have_last && hi > r->total)) {
		ctx_fail(s, r);
		return;
	}
	if (n == 0 || s->reasm_bytes + n > s->cfg.reasm_max_bytes) {
		if (n)
			s->st.ReasmOverLimit++;
		COUNT(s, r->v6, ReasmFails);
		if (!r->nfrag)
			ctx_free(s, r);
		return;
	}
	switch (insert(r, lo, hi)) {
	case INS_OK:
		break;
	case INS_DUP:
		COUNT(s, r->v6, ReasmFails);
		return;
	case INS_OVERLAP:
		COUNT(s, r->v6, ReasmOverlaps);
		ctx_fail(s, r);
		return;
	case INS_FULL:
		s->st.ReasmOverLimit++;
		ctx_fail(s, r);
		return;
	}
	memcpy(r->buf + REASM_HDR_MAX + lo, data, n);
	r->held += n;
	s->reasm_bytes += n;
	if (!more) {
		r->have_last = true;
		r->total = hi;
	}
	if (lo == 0) {
		r->have_first = true;
		r->hdr_len = (uint16_t)f->hdr_len;
		r->next = f->next;
		r->nh_off = f->nh_off;
		memcpy(ctx_hdr(r), f->hdr, f->hdr_len);
	}
	if (r->have_last && r->held == r->total)
		deliver(s, r);
}

void ip4_reasm(gt_stack *s, const uint8_t *pkt, size_t ihl, size_t total_len)
{
	s->st.IpReasmReqds++;
	if (!s->cfg.reasm_max_datagrams) {
		s->st.IpReasmFails++;
		return;
	}
	uint16_t frag = get_be16(pkt + 6);
	bool more = frag & 0x2000;
	uint32_t lo = (uint32_t)(frag & 0x1fff) * 8, n = (uint32_t)(total_len - ihl);
	/* RFC 791: every fragment but the last carries a multiple of 8
	 * bytes; Linux's ip_frag_queue() trims the rest. */
	if (more)
		n &= ~7u;
	struct reasm_ctx *r = ctx_get(s, false, ip_addr_v4(get_be32(pkt + 12)),
				      ip_addr_v4(get_be32(pkt + 16)), get_be16(pkt + 4), pkt[9]);
	if (!r) {
		s->st.IpReasmFails++;
		return;
	}
	/* The whole datagram within 65535 bytes (RFC 791 3.1). */
	if (ihl + lo + n > 65535) {
		ctx_fail(s, r);
		return;
	}
	struct first f = {.hdr = pkt, .hdr_len = ihl};
	add(s, r, lo, pkt + ihl, n, more, &f);
}

/* RFC 8200 4.5 (and RFC 7112): the first fragment must hold every header
 * through the upper-layer one, as Linux's ipv6frag_thdr_truncated() reads
 * it: the chain by its lengths, then TCP's 20 bytes, ICMPv6's 8, one byte
 * of anything else. */
static bool first_truncated(const uint8_t *p, size_t len, uint8_t nh)
{
	size_t off = 0;
	for (int i = 0; i <= IPV6_EXT_MAX; i++) {
		if (nh == IPPROTO_HOPOPTS_ || nh == IPPROTO_ROUTING_ || nh == IPPROTO_DSTOPTS_ ||
		    nh == IPPROTO_FRAGMENT_) {
			if (len - off < 8)
				return true;
			size_t hl = nh == IPPROTO_FRAGMENT_ ? 8 : ((size_t)p[off + 1] + 1) * 8;
			nh = p[off];
			off += hl;
			if (off > len)
				return true;
			continue;
		}
		size_t need = nh == IPPROTO_TCP_ ? 20 : nh == IPPROTO_ICMPV6_ ? 8 : 1;
		return len - off < need;
	}
	return false; /* too long a chain: the walk after reassembly drops it */
}

void ip6_reasm(gt_stack *s, const uint8_t *pkt, size_t len, size_t frag_off, size_t nh_off)
{
	s->st.Ip6ReasmReqds++;
	if (!s->cfg.reasm_max_datagrams) {
		s->st.Ip6ReasmFails++;
		return;
	}
	ip_addr src, dst;
	memcpy(src.b, pkt + 8, 16);
	memcpy(dst.b, pkt + 24, 16);
	const uint8_t *fh = pkt + frag_off;
	uint16_t off_m = get_be16(fh + 2);
	bool more = off_m & 1;
	uint32_t lo = off_m & 0xfff8u;
	const uint8_t *data = fh + 8;
	uint32_t n = (uint32_t)(len - frag_off - 8);
	/* RFC 8200 4.5: each of these fragments is discarded with a Parameter
	 * Problem, whichever fragment of its datagram it is (the first or a
	 * later one), checked in the order of Linux's ipv6_frag_rcv() and
	 * ip6_frag_queue(): a first fragment without every header through the
	 * upper-layer one (code 3, pointer 0); one whose data would end past
	 * 65535 bytes (code 0 at its Fragment Offset field; Linux counts the
	 * fragmentable part alone here, and a datagram whose unfragmentable
	 * part then takes it past 65535 fails in deliver()); one not the last
	 * whose length is no multiple of 8 (code 0 at Payload Length). */
	uint32_t ptr = UINT32_MAX;
	uint8_t code = ICMP6_PARAM_HEADER;
	if (lo == 0 && first_truncated(data, n, fh[0])) {
		code = ICMP6_PARAM_FIRSTFRAG;
		ptr = 0;
	} else if (lo + n > 65535) {
		ptr = (uint32_t)frag_off + 2;
	} else if (more && (n & 7)) {
		ptr = 4;
	}
	if (ptr != UINT32_MAX) {
		s->st.Ip6InHdrErrors++;
		ip6_send_error(s, pkt, len, dst, ICMP6_PARAM_PROB, code, ptr);
		return;
	}
	struct reasm_ctx *r = ctx_get(s, true, src, dst, get_be32(fh + 4), 0);
	if (!r) {
		s->st.Ip6ReasmFails++;
		return;
	}
	if (lo == 0 && frag_off > REASM_HDR_MAX) {
		s->st.ReasmOverLimit++;
		ctx_fail(s, r);
		return;
	}
	struct first f = {.hdr = pkt, .hdr_len = frag_off, .next = fh[0],
			  .nh_off = (uint16_t)nh_off};
	add(s, r, lo, data, n, more, &f);
}

void ip_reasm_expire(gt_stack *s)
{
	for (uint32_t i = 0; i < GT_REASM_MAX; i++)
		if (s->reasm[i].buf && s->reasm[i].deadline_us <= s->now_us)
			expire(s, &s->reasm[i]);
}

uint64_t ip_reasm_deadline(const gt_stack *s)
{
	uint64_t t = UINT64_MAX;
	for (uint32_t i = 0; i < GT_REASM_MAX; i++)
		if (s->reasm[i].buf && s->reasm[i].deadline_us < t)
			t = s->reasm[i].deadline_us;
	return t;
}

void ip_reasm_fini(gt_stack *s)
{
	for (uint32_t i = 0; i < GT_REASM_MAX; i++)
		if (s->reasm[i].buf)
			ctx_free(s, &s->reasm[i]);
}
