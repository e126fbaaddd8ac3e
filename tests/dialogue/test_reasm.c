/* Fragment reassembly (src/ip/reasm.c) at packet level, both families: a
 * data segment cut into fragments reaches TCP whole, in order or not;
 * overlaps (RFC 5722) end the datagram, an exact duplicate is dropped
 * alone; a datagram missing a piece dies at its deadline (30 s IPv4, 60 s
 * IPv6) with Time Exceeded when its first fragment came; more datagrams
 * than contexts, more bytes than the budget, or a datagram past 65535 bytes
 * are dropped and counted, never evicting one in progress. Counters: Linux's
 * ReasmReqds, ReasmOKs, ReasmFails, ReasmTimeout (and ReasmOverlaps,
 * ReasmOverLimit). */
#include <string.h>

#include "dlg.h"
#include "util/be.h"
#include "util/checksum.h"
#include "wire/icmp.h"
#include "wire/icmp6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

/* The datagram every test cuts into fragments: the peer's 200-byte data
 * segment, as dlg_build made it, and its IP payload's length (20 bytes of
 * TCP header, then the data). */
#define PAY 220u
static uint8_t dgram[DLG_PKT_MAX];

/* Fragment of dgram: bytes [lo, hi) of its payload, M/MF set if more,
 * identification id. */
static size_t frag_of(const struct dlg *d, uint8_t *out, uint32_t lo, uint32_t hi, bool more,
		      uint32_t id)
{
	const uint8_t *pkt = dgram;
	if (!d->v6) {
		memcpy(out, pkt, IPV4_HDR_MIN);
		put_be16(out + 2, (uint16_t)(IPV4_HDR_MIN + hi - lo));
		put_be16(out + 4, (uint16_t)id);
		put_be16(out + 6, (uint16_t)((more ? 0x2000 : 0) | lo / 8));
		out[10] = out[11] = 0;
		put_be16(out + 10, csum_fold(csum_partial(out, IPV4_HDR_MIN, 0)));
		memcpy(out + IPV4_HDR_MIN, pkt + IPV4_HDR_MIN + lo, hi - lo);
		return IPV4_HDR_MIN + hi - lo;
	}
	memcpy(out, pkt, IPV6_HDR_LEN);
	out[6] = IPPROTO_FRAGMENT_;
	put_be16(out + 4, (uint16_t)(8 + hi - lo));
	uint8_t *fh = out + IPV6_HDR_LEN;
	fh[0] = pkt[6];
	fh[1] = 0;
	put_be16(fh + 2, (uint16_t)(lo | (more ? 1 : 0)));
	put_be32(fh + 4, id);
	memcpy(fh + 8, pkt + IPV6_HDR_LEN + lo, hi - lo);
	return IPV6_HDR_LEN + 8 + hi - lo;
}

/* An established dialogue of the family (cfg NULL: dlg_config()), and
 * dgram built. */
static struct dlg *setup(bool v6, const struct gt_config *cfg)
{
	struct dlg *d = v6 ? dlg_new6(cfg) : dlg_new(cfg);
	dlg_established_passive(d);
	uint8_t data[200];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	size_t n = dlg_build(d, dgram, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, data,
			     sizeof(data), NULL);
	ASSERT_EQ(n, (v6 ? IPV6_HDR_LEN : IPV4_HDR_MIN) + PAY);
	return d;
}

static void send_frag(struct dlg *d, uint32_t lo, uint32_t hi, bool more, uint32_t id)
{
	uint8_t f[DLG_PKT_MAX];
	dlg_inject(d, f, frag_of(d, f, lo, hi, more, id));
}

/* What the stack holds for reassembly now. */
static struct gt_gauges gauges(struct dlg *d)
{
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	return g;
}

static const uint64_t *ctr(struct dlg *d, const char *which)
{
	const struct gt_stats *st = dlg_stats(d);
	bool v6 = d->v6;
	if (!strcmp(which, "Reqds"))
		return v6 ? &st->Ip6ReasmReqds : &st->IpReasmReqds;
	if (!strcmp(which, "OKs"))
		return v6 ? &st->Ip6ReasmOKs : &st->IpReasmOKs;
	if (!strcmp(which, "Fails"))
		return v6 ? &st->Ip6ReasmFails : &st->IpReasmFails;
	if (!strcmp(which, "Timeout"))
		return v6 ? &st->Ip6ReasmTimeout : &st->IpReasmTimeout;
	return v6 ? &st->Ip6ReasmOverlaps : &st->IpReasmOverlaps;
}
#define CTR(d, w) (*ctr(d, w))

/* The 200 bytes arrived whole, and are acknowledged (at once or by the
 * delayed ACK). */
static void delivered(struct dlg *d)
{
	uint8_t b[256];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 200);
	for (int i = 0; i < 200; i++)
		ASSERT_EQ(b[i], (uint8_t)i);
	if (!dlg_pending(d))
		dlg_advance(d, 200000);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt + 200);
	d->peer_nxt += 200;
}

static void nothing_delivered(struct dlg *d)
{
	dlg_expect_none(d);
	uint8_t b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
}

TEST(reasm_in_order_and_out_of_order_both_families)
{
	for (int v6 = 0; v6 < 2; v6++)
		for (int order = 0; order < 2; order++) {
			struct dlg *d = setup(v6, NULL);
			uint32_t in0 = (uint32_t)dlg_stats(d)->TcpInSegs;
			if (order == 0) {
				send_frag(d, 0, 96, true, 9);
				send_frag(d, 96, 160, true, 9);
				send_frag(d, 160, PAY, false, 9);
			} else {
				send_frag(d, 160, PAY, false, 9);
				send_frag(d, 0, 96, true, 9);
				dlg_expect_none(d);
				send_frag(d, 96, 160, true, 9);
			}
			delivered(d);
			ASSERT_EQ(CTR(d, "Reqds"), 3);
			ASSERT_EQ(CTR(d, "OKs"), 1);
			ASSERT_EQ(CTR(d, "Fails"), 0);
			ASSERT_EQ(dlg_stats(d)->TcpInSegs, in0 + 1);
			ASSERT_EQ(gauges(d).reasm_datagrams, 0);
			ASSERT_EQ(gauges(d).reasm_bytes, 0);
			dlg_free(d);
		}
}

TEST(reasm_overlap_drops_the_datagram_duplicate_dropped_alone)
{
	for (int v6 = 0; v6 < 2; v6++) {
		struct dlg *d = setup(v6, NULL);
		/* RFC 5722: [0, 96) then [88, PAY): the whole datagram goes. */
		send_frag(d, 0, 96, true, 1);
		send_frag(d, 88, PAY, false, 1);
		nothing_delivered(d);
		ASSERT_EQ(CTR(d, "Overlaps"), 1);
		ASSERT_EQ(CTR(d, "Fails"), 1);
		/* ... and the fragment that would have completed it starts a
		 * datagram of its own, which never completes. */
		send_frag(d, 96, PAY, false, 1);
		nothing_delivered(d);
		/* An exact duplicate is dropped alone (Linux's IPFRAG_DUP). */
		send_frag(d, 0, 96, true, 2);
		send_frag(d, 0, 96, true, 2);
		ASSERT_EQ(CTR(d, "Fails"), 2);
		send_frag(d, 96, PAY, false, 2);
		delivered(d);
		ASSERT_EQ(CTR(d, "OKs"), 1);
		ASSERT_EQ(CTR(d, "Overlaps"), 1);
		dlg_free(d);
	}
}

TEST(reasm_missing_piece_times_out_with_time_exceeded)
{
	for (int v6 = 0; v6 < 2; v6++) {
		struct dlg *d = setup(v6, NULL);
		uint64_t life_us = v6 ? 60000000 : 30000000; /* RFC 8200 4.5; Linux ipfrag_time */
		send_frag(d, 0, 96, true, 5);   /* the first: Time Exceeded later */
		send_frag(d, 96, 160, true, 6); /* another datagram, no first */
		send_frag(d, 160, PAY, false, 5);
		ASSERT_LE(gt_stack_next_deadline(d->s), d->now_us + life_us);
		dlg_advance(d, life_us - 1000);
		ASSERT_EQ(CTR(d, "Timeout"), 0);
		dlg_advance(d, 2000);
		ASSERT_EQ(CTR(d, "Timeout"), 2);
		ASSERT_EQ(CTR(d, "Fails"), 2);
		ASSERT_EQ(CTR(d, "OKs"), 0);
		/* One Time Exceeded, code 1, about datagram 5 only. */
		size_t len;
		const uint8_t *p = dlg_pop_packet(d, &len);
		ASSERT(p != NULL);
		if (v6) {
			ASSERT_EQ(p[6], IPPROTO_ICMPV6_);
			ASSERT_EQ(p[IPV6_HDR_LEN], ICMP6_TIME_EXCEEDED);
			ASSERT_EQ(p[IPV6_HDR_LEN + 1], 1);
			ASSERT_EQ(dlg_stats(d)->Icmp6OutTimeExcds, 1);
		} else {
			ASSERT_EQ(p[9], IPPROTO_ICMP_);
			ASSERT_EQ(p[IPV4_HDR_MIN], ICMP_TIME_EXCEEDED);
			ASSERT_EQ(p[IPV4_HDR_MIN + 1], 1);
			/* It quotes the first fragment's header (id 5) and 8 bytes. */
			ASSERT_EQ(len, IPV4_HDR_MIN + 8 + IPV4_HDR_MIN + 8);
			ASSERT_EQ(get_be16(p + IPV4_HDR_MIN + 8 + 4), 5);
			ASSERT_EQ(dlg_stats(d)->IcmpOutTimeExcds, 1);
		}
		ASSERT(dlg_pop_packet(d, &len) == NULL);
		ASSERT_EQ(gauges(d).reasm_datagrams, 0);
		dlg_free(d);
	}
}

/* Every context taken: the datagram that began first gives way to the new
 * one (FreeBSD's ipq_reuse()), counted; the others are intact. Refusing
 * the new one instead, 8 lost fragments stalled every fragmented datagram
 * to the host for 30 s (swarm seed 97610686). */
TEST(reasm_too_many_datagrams_evicts_the_oldest)
{
	for (int v6 = 0; v6 < 2; v6++) {
		struct dlg *d = setup(v6, NULL);
		for (uint32_t id = 100; id < 108; id++) { /* cfg.reasm_max_datagrams 8 */
			send_frag(d, 0, 96, true, id);
			dlg_advance(d, 1000);
		}
		ASSERT_EQ(gauges(d).reasm_datagrams, 8);
		ASSERT_EQ(gauges(d).reasm_bytes, 8 * 96);
		send_frag(d, 0, 96, true, 200); /* a ninth: 100 gives way */
		ASSERT_EQ(dlg_stats(d)->ReasmEvicted, 1);
		ASSERT_EQ(dlg_stats(d)->ReasmOverLimit, 0);
		ASSERT_EQ(CTR(d, "Fails"), 1);
		ASSERT_EQ(gauges(d).reasm_datagrams, 8);
		send_frag(d, 96, PAY, false, 200);
		delivered(d);
		/* 100's second fragment now finds no first: a context of its
		 * own, in the one 200 left free. */
		send_frag(d, 96, PAY, false, 100);
		nothing_delivered(d);
		ASSERT_EQ(dlg_stats(d)->ReasmEvicted, 1);
		ASSERT_EQ(gauges(d).reasm_datagrams, 8);
		/* The rest are intact: one completes (its TCP segment a copy
		 * of 200's, so nothing new for the application). */
		send_frag(d, 96, PAY, false, 103);
		ASSERT_EQ(CTR(d, "OKs"), 2);
		ASSERT_EQ(gauges(d).reasm_datagrams, 7);
		dlg_free(d);
	}
}

/* Pops the stack's next packet: an ICMPv6 Parameter Problem of code
 * pointing at ptr. */
static void param_problem_at(struct dlg *d, const char *file, int line, uint8_t code, uint32_t ptr)
{
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	if (!p || len < IPV6_HDR_LEN + 8 || p[6] != IPPROTO_ICMPV6_ ||
	    p[IPV6_HDR_LEN] != ICMP6_PARAM_PROB || p[IPV6_HDR_LEN + 1] != code ||
	    get_be32(p + IPV6_HDR_LEN + 4) != ptr)
		gt_test_fail(file, line, "no Parameter Problem code %u pointer %u", code, ptr);
}
#define param_problem(d, code, ptr) param_problem_at((d), __FILE__, __LINE__, (code), (ptr))

TEST(reasm_byte_budget_and_oversized_datagram_dropped)
{
	for (int v6 = 0; v6 < 2; v6++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.reasm_max_bytes = 150;
		struct dlg *d = setup(v6, &cfg);
		send_frag(d, 0, 96, true, 1);
		send_frag(d, 96, PAY, false, 1); /* 124 more: over 150 */
		nothing_delivered(d);
		ASSERT_EQ(dlg_stats(d)->ReasmOverLimit, 1);
		ASSERT_EQ(CTR(d, "Fails"), 1);
		ASSERT_EQ(gauges(d).reasm_bytes, 96);
		dlg_free(d);

		/* A fragment ending past 65535 bytes of datagram. */
		d = setup(v6, NULL);
		uint8_t f[DLG_PKT_MAX];
		size_t fl = frag_of(d, f, 0, 96, true, 3);
		/* offset 65528 (8191 units), M 0: 65528 + 96 + headers > 65535 */
		if (v6)
			put_be16(f + IPV6_HDR_LEN + 2, 0xfff8);
		else {
			put_be16(f + 6, 0x1fff);
			f[10] = f[11] = 0;
			put_be16(f + 10, csum_fold(csum_partial(f, IPV4_HDR_MIN, 0)));
		}
		dlg_inject(d, f, fl);
		if (v6) {
			/* RFC 8200 4.5: discarded, a header error, with a
			 * Parameter Problem at its Fragment Offset field
			 * (ip6_frag_queue()), though it is a later fragment. */
			ASSERT_EQ(dlg_stats(d)->Ip6InHdrErrors, 1);
			param_problem(d, ICMP6_PARAM_HEADER, IPV6_HDR_LEN + 2);
		} else {
			ASSERT_EQ(CTR(d, "Fails"), 1);
		}
		ASSERT_EQ(gauges(d).reasm_datagrams, 0);
		nothing_delivered(d);
		dlg_free(d);
	}
}

TEST(reasm_ipv6_fragment_length_not_multiple_of_8_parameter_problem)
{
	struct dlg *d = setup(true, NULL);
	send_frag(d, 0, 90, true, 4);
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	ASSERT(p != NULL);
	ASSERT_EQ(p[IPV6_HDR_LEN], ICMP6_PARAM_PROB);
	ASSERT_EQ(get_be32(p + IPV6_HDR_LEN + 4), 4); /* Payload Length */
	ASSERT_EQ(dlg_stats(d)->Ip6ReasmReqds, 1);
	ASSERT_EQ(gauges(d).reasm_datagrams, 0);
	/* RFC 7112: a first fragment that does not hold the TCP header. */
	send_frag(d, 0, 8, true, 4);
	p = dlg_pop_packet(d, &len);
	ASSERT(p != NULL);
	ASSERT_EQ(p[IPV6_HDR_LEN], ICMP6_PARAM_PROB);
	ASSERT_EQ(p[IPV6_HDR_LEN + 1], ICMP6_PARAM_FIRSTFRAG);
	dlg_free(d);
}

TEST(reasm_off_drops_every_fragment)
{
	for (int v6 = 0; v6 < 2; v6++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.reasm_max_datagrams = 0;
		struct dlg *d = setup(v6, &cfg);
		send_frag(d, 0, 96, true, 1);
		send_frag(d, 96, PAY, false, 1);
		nothing_delivered(d);
		ASSERT_EQ(CTR(d, "Reqds"), 2);
		ASSERT_EQ(CTR(d, "Fails"), 2);
		dlg_free(d);
	}
}

TEST(reasm_ipv6_duplicate_first_fragment_with_other_chain_changes_nothing)
{
	/* The first fragment's unfragmentable part is the datagram's (RFC
	 * 8200 4.5); a duplicate of it that came behind a Destination Options
	 * header is dropped whole, its chain included: the datagram arrives
	 * as the first one said. */
	struct dlg *d = setup(true, NULL);
	send_frag(d, 0, 96, true, 11);
	uint8_t f[DLG_PKT_MAX], g[DLG_PKT_MAX];
	size_t fl = frag_of(d, f, 0, 96, true, 11);
	/* The same fragment with 8 bytes of Destination Options (a PadN)
	 * between the fixed header and the Fragment header. */
	memcpy(g, f, IPV6_HDR_LEN);
	g[6] = IPPROTO_DSTOPTS_;
	put_be16(g + 4, (uint16_t)(get_be16(f + 4) + 8));
	const uint8_t opts[8] = {IPPROTO_FRAGMENT_, 0, 1, 4, 0, 0, 0, 0};
	memcpy(g + IPV6_HDR_LEN, opts, 8);
	memcpy(g + IPV6_HDR_LEN + 8, f + IPV6_HDR_LEN, fl - IPV6_HDR_LEN);
	dlg_inject(d, g, fl + 8);
	ASSERT_EQ(dlg_stats(d)->Ip6ReasmFails, 1);
	send_frag(d, 96, PAY, false, 11);
	delivered(d);
	ASSERT_EQ(dlg_stats(d)->Ip6ReasmOKs, 1);
	dlg_free(d);
}

/* RFC 8200 4.5 asks a Parameter Problem for any fragment, not only the
 * first: one with M set whose length is no multiple of 8 (code 0 at Payload
 * Length), one whose data would end past 65535 (code 0 at its Fragment
 * Offset field). Linux's ip6_frag_queue() checks the end first, so a
 * fragment that is both points at the Fragment Offset; a later fragment is
 * answered (icmpv6_param_prob(); is_ineligible() sees no ICMPv6 type behind
 * its Fragment header). The datagram in progress is not disturbed. */
TEST(reasm_ipv6_later_fragment_parameter_problems)
{
	struct dlg *d = setup(true, NULL);
	send_frag(d, 0, 96, true, 7);
	dlg_expect_none(d);
	/* A later fragment with M set, 90 bytes. */
	send_frag(d, 96, 186, true, 7);
	param_problem(d, ICMP6_PARAM_HEADER, 4);
	/* A later fragment ending past 65535: offset 65528, 16 bytes. */
	uint8_t f[DLG_PKT_MAX];
	size_t fl = frag_of(d, f, 96, 112, false, 7);
	put_be16(f + IPV6_HDR_LEN + 2, 0xfff8);
	dlg_inject(d, f, fl);
	param_problem(d, ICMP6_PARAM_HEADER, IPV6_HDR_LEN + 2);
	/* Both at once (M set, 20 bytes at 65528): the end comes first. */
	fl = frag_of(d, f, 96, 116, true, 7);
	put_be16(f + IPV6_HDR_LEN + 2, 0xfff8 | 1);
	dlg_inject(d, f, fl);
	param_problem(d, ICMP6_PARAM_HEADER, IPV6_HDR_LEN + 2);
	ASSERT_EQ(dlg_stats(d)->Ip6InHdrErrors, 3);
	ASSERT_EQ(dlg_stats(d)->Icmp6OutParmProblems, 3);
	/* The datagram is still whole when its last fragment comes. */
	send_frag(d, 96, PAY, false, 7);
	delivered(d);
	dlg_free(d);
}

/* Linux's ip6_frag_queue() bounds a fragment's end by the fragmentable
 * part alone; a datagram whose unfragmentable part (here an 8-byte
 * Hop-by-Hop header) then takes its Payload Length past 65535 is dropped
 * once whole, a reassembly failure without a Parameter Problem
 * (ip6_frag_reasm(), out_oversize). 65,528 bytes of data in 43 fragments. */
TEST(reasm_ipv6_oversized_with_unfragmentable_part_fails_when_whole)
{
	struct dlg *d = setup(true, NULL);
	const uint32_t total = 65528, chunk = 1536;
	for (uint32_t lo = 0; lo < total; lo += chunk) {
		uint32_t len = total - lo < chunk ? total - lo : chunk;
		bool more = lo + len < total;
		uint8_t f[DLG_PKT_MAX];
		memcpy(f, dgram, IPV6_HDR_LEN);
		f[6] = IPPROTO_HOPOPTS_;
		put_be16(f + 4, (uint16_t)(8 + 8 + len));
		uint8_t *hbh = f + IPV6_HDR_LEN;
		memset(hbh, 0, 8);
		hbh[0] = IPPROTO_FRAGMENT_;
		hbh[2] = 1; /* PadN, 4 bytes */
		hbh[3] = 4;
		uint8_t *fh = hbh + 8;
		fh[0] = IPPROTO_TCP_;
		fh[1] = 0;
		put_be16(fh + 2, (uint16_t)(lo | (more ? 1 : 0)));
		put_be32(fh + 4, 9);
		memset(fh + 8, 0x5a, len);
		if (lo == 0)
			memcpy(fh + 8, dgram + IPV6_HDR_LEN, 20); /* the TCP header (RFC 7112) */
		dlg_inject(d, f, IPV6_HDR_LEN + 16 + len);
		dlg_expect_none(d);
	}
	ASSERT_EQ(CTR(d, "Reqds"), 43);
	ASSERT_EQ(CTR(d, "OKs"), 0);
	ASSERT_EQ(CTR(d, "Fails"), 1);
	ASSERT_EQ(dlg_stats(d)->Icmp6OutParmProblems, 0);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.reasm_datagrams, 0);
	ASSERT_EQ(g.reasm_bytes, 0);
	nothing_delivered(d);
	dlg_free(d);
}
