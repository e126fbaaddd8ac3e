/* Unit tests for the IPv6 extension-header walk (ipv6_walk, src/wire/ipv6.c):
 * a Hop-by-Hop header Linux sent (MLDv2 with Router Alert), chains of every
 * kind, each drop reason with its counter and the Parameter Problem it asks
 * for (RFC 8200 4.1-4.5, RFC 5095, RFC 6946), the limits, and a walk over
 * every truncation of a long chain in buffers cut to the byte (ASan sees a
 * read past the end). */
#include "harness.h"

#include "wire/icmp6.h"
#include "wire/ipv6.h"

static const struct gt_in6_addr A1 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr A2 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
static const struct gt_in6_addr ALL_NODES = {{0xff, 0x02, [15] = 1}};

/* A Hop-by-Hop or Destination Options header holding opts, padded with
 * Pad1/PadN to a multiple of 8 bytes (RFC 8200 4.2). */
static size_t opts_hdr(uint8_t *out, uint8_t next, const uint8_t *opts, size_t n)
{
	size_t len = (2 + n + 7) / 8 * 8;
	out[0] = next;
	out[1] = (uint8_t)(len / 8 - 1);
	if (n)
		memcpy(out + 2, opts, n);
	size_t pad = len - 2 - n;
	if (pad == 1) {
		out[2 + n] = 0;
	} else if (pad > 1) {
		out[2 + n] = 1;
		out[3 + n] = (uint8_t)(pad - 2);
		memset(out + 4 + n, 0, pad - 2);
	}
	return len;
}

static size_t pad_only(uint8_t *out, uint8_t next) { return opts_hdr(out, next, NULL, 0); }

/* A Routing header (RFC 8200 4.4) of (units + 1) * 8 bytes. */
static size_t rt_hdr(uint8_t *out, uint8_t next, uint8_t type, uint8_t segleft, uint8_t units)
{
	size_t len = ((size_t)units + 1) * 8;
	memset(out, 0, len);
	out[0] = next;
	out[1] = units;
	out[2] = type;
	out[3] = segleft;
	return len;
}

/* A Fragment header (RFC 8200 4.5): offset in bytes (a multiple of 8). */
static size_t frag_hdr(uint8_t *out, uint8_t next, uint16_t off_bytes, int m, uint32_t id)
{
	out[0] = next;
	out[1] = 0;
	uint16_t w = (uint16_t)(off_bytes | (m ? 1 : 0));
	out[2] = (uint8_t)(w >> 8);
	out[3] = (uint8_t)w;
	out[4] = (uint8_t)(id >> 24);
	out[5] = (uint8_t)(id >> 16);
	out[6] = (uint8_t)(id >> 8);
	out[7] = (uint8_t)id;
	return 8;
}

/* The fixed header (from A2 to dst) in front of plen bytes at p + 40. */
static size_t finish(uint8_t *p, uint8_t next, size_t plen, const struct gt_in6_addr *dst)
{
	struct ipv6_hdr h = {.payload_len = (uint16_t)plen, .next = next, .hop_limit = 64,
			     .src = A2, .dst = *dst};
	ipv6_emit(p, &h);
	return IPV6_HDR_LEN + plen;
}

/* A 20-byte TCP header as the upper layer (the walk does not look in it). */
static size_t tcp20(uint8_t *out)
{
	memset(out, 0, 20);
	out[0] = 0x30, out[1] = 0x39, out[2] = 0x00, out[3] = 0x50, out[12] = 0x50;
	return 20;
}

static enum ipv6_drop walk(const uint8_t *p, size_t n, struct ipv6_chain *c, struct ip6_stats *st)
{
	struct ipv6_hdr h;
	enum ipv6_drop r = ipv6_parse_packet(p, n, &h, c);
	if (st)
		IPV6_COUNT_INPUT(st, r, c);
	return r;
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

TEST(ipv6_ext_kernel_mld_report_with_router_alert)
{
	/* An MLDv2 report Linux sent when the veth came up: fe80::...:465e ->
	 * ff02::16, hop limit 1, a Hop-by-Hop header with Router Alert (type
	 * 5, MLD) and PadN, then ICMPv6 type 143 with the kernel's checksum
	 * 0x5322 over the pseudo-header with next header 58 (not 0). */
	uint8_t p[128];
	size_t n = unhex("6000000000380001fe8000000000000068cf27fffe20465eff020000000000000000000000000016"
			 "3a000502000001008f0053220000000204000000ff0200000000000000000001ff20465e"
			 "04000000ff0200000000000000000001ff000001",
			 p);
	ASSERT_EQ(n, 96);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	ASSERT_EQ(ipv6_parse_packet(p, n, &h, &c), IPV6_OK);
	ASSERT_EQ(h.next, IPPROTO_HOPOPTS_);
	ASSERT_EQ(h.hop_limit, 1);
	ASSERT_EQ(c.n_ext, 1);
	ASSERT_EQ(c.proto, IPPROTO_ICMPV6_);
	ASSERT_EQ(c.l4_off, 48);
	ASSERT_EQ(c.l4_len, 48);
	ASSERT_EQ(c.nh_off, 40);
	struct icmp6_hdr m;
	ASSERT_EQ(icmp6_parse(p + c.l4_off, c.l4_len, &h.src, &h.dst, &m), ICMP6_OK);
	ASSERT_EQ(m.type, 143);
}

TEST(ipv6_ext_chain_of_every_kind)
{
	/* HBH, Destination Options (before routing), Routing type 4 with no
	 * segments left, an atomic fragment, Destination Options, TCP. */
	uint8_t p[512];
	size_t o = 40;
	const uint8_t ra[] = {0x05, 0x02, 0x00, 0x00};                 /* Router Alert */
	const uint8_t tel[] = {0x04, 0x01, 0x04};                      /* Tunnel Encap Limit */
	o += opts_hdr(p + o, IPPROTO_DSTOPTS_, ra, sizeof ra);
	o += opts_hdr(p + o, IPPROTO_ROUTING_, tel, sizeof tel);
	o += rt_hdr(p + o, IPPROTO_FRAGMENT_, 4, 0, 2);
	size_t frag_at = o;
	o += frag_hdr(p + o, IPPROTO_DSTOPTS_, 0, 0, 0xdeadbeef);
	size_t last_at = o;
	o += pad_only(p + o, IPPROTO_TCP_);
	size_t l4 = o;
	o += tcp20(p + o);
	size_t n = finish(p, IPPROTO_HOPOPTS_, o - 40, &A1);
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_OK);
	ASSERT_EQ(c.n_ext, 5);
	ASSERT_EQ(c.proto, IPPROTO_TCP_);
	ASSERT_EQ(c.l4_off, l4);
	ASSERT_EQ(c.l4_len, 20);
	ASSERT_EQ(c.nh_off, last_at);
	ASSERT(c.frag);
	ASSERT_EQ(c.frag_id, 0xdeadbeef);
	ASSERT_EQ(c.icmp_type, 0);
	/* RFC 6946: an atomic fragment is counted as Linux counts it. */
	ASSERT_EQ(st.Ip6InReceives, 1);
	ASSERT_EQ(st.Ip6ReasmReqds, 1);
	ASSERT_EQ(st.Ip6ReasmOKs, 1);
	ASSERT_EQ(st.Ip6ReasmFails, 0);
	/* The reserved bits of the fragment header are ignored (4.5). */
	p[frag_at + 1] = 0xff;
	p[frag_at + 3] |= 0x06;
	ASSERT_EQ(walk(p, n, &c, NULL), IPV6_OK);
}

TEST(ipv6_ext_header_past_the_payload)
{
	uint8_t p[256];
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* Fewer than 8 bytes where a header must begin. */
	memset(p + 40, 0, 8);
	p[40] = IPPROTO_TCP_;
	for (size_t plen = 0; plen < 8; plen++) {
		size_t n = finish(p, IPPROTO_DSTOPTS_, plen, &A1);
		ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_EXT_TRUNCATED);
		n = finish(p, IPPROTO_FRAGMENT_, plen, &A1);
		ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_EXT_TRUNCATED);
	}
	/* A Hdr Ext Len that runs past the payload, though the buffer is
	 * longer: the payload length bounds the walk, not the buffer. */
	size_t o = 40 + pad_only(p + 40, IPPROTO_TCP_);
	p[41] = 1; /* 16 bytes claimed, 8 in the payload */
	memset(p + o, 0, 40);
	size_t n = finish(p, IPPROTO_DSTOPTS_, 8, &A1);
	ASSERT_EQ(walk(p, n + 40, &c, &st), IPV6_ERR_EXT_TRUNCATED);
	/* The largest Hdr Ext Len (2048 bytes). */
	p[41] = 255;
	n = finish(p, IPPROTO_HOPOPTS_, 48, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_EXT_TRUNCATED);
	/* A routing header cut short. */
	rt_hdr(p + 40, IPPROTO_TCP_, 2, 0, 2);
	n = finish(p, IPPROTO_ROUTING_, 16, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_EXT_TRUNCATED);
	ASSERT_EQ(st.Ip6InHdrErrors, 16 + 3);
	ASSERT_EQ(st.Ip6InReceives, 16 + 3);
}

TEST(ipv6_ext_too_many_headers)
{
	/* A chain that repeats one header (the nearest a chain of forward
	 * offsets comes to a loop) is cut at IPV6_EXT_MAX. */
	uint8_t p[512];
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	for (int k = 1; k <= IPV6_EXT_MAX + 2; k++) {
		size_t o = 40;
		for (int i = 0; i < k; i++)
			o += pad_only(p + o, i == k - 1 ? IPPROTO_TCP_ : IPPROTO_DSTOPTS_);
		o += tcp20(p + o);
		size_t n = finish(p, IPPROTO_DSTOPTS_, o - 40, &A1);
		enum ipv6_drop r = walk(p, n, &c, &st);
		if (k <= IPV6_EXT_MAX) {
			ASSERT_EQ(r, IPV6_OK);
			ASSERT_EQ(c.n_ext, k);
			ASSERT_EQ(c.proto, IPPROTO_TCP_);
		} else {
			ASSERT_EQ(r, IPV6_ERR_EXT_TOO_MANY);
			ASSERT_EQ(c.n_ext, IPV6_EXT_MAX);
			ASSERT_EQ(c.icmp_type, 0);
		}
	}
	ASSERT_EQ(st.Ip6InDiscards, 2);
	/* Eight atomic fragments in a row are eight headers too. */
	size_t o = 40;
	for (int i = 0; i < IPV6_EXT_MAX + 1; i++)
		o += frag_hdr(p + o, IPPROTO_FRAGMENT_, 0, 0, (uint32_t)i);
	size_t n = finish(p, IPPROTO_FRAGMENT_, o - 40, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_EXT_TOO_MANY);
}

TEST(ipv6_ext_hop_by_hop_not_first)
{
	/* RFC 8200 4.1: Hop-by-Hop after a Destination Options header is an
	 * unrecognised Next Header: Parameter Problem code 1 at the field
	 * that names it. */
	uint8_t p[256];
	size_t o = 40;
	o += pad_only(p + o, IPPROTO_HOPOPTS_);
	o += pad_only(p + o, IPPROTO_TCP_);
	o += tcp20(p + o);
	size_t n = finish(p, IPPROTO_DSTOPTS_, o - 40, &A1);
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_HBH_NOT_FIRST);
	ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);
	ASSERT_EQ(c.icmp_code, ICMP6_PARAM_NEXTHDR);
	ASSERT_EQ(c.icmp_pointer, 40);
	ASSERT_EQ(st.Ip6InUnknownProtos, 1);
	/* Two Hop-by-Hop headers: the second is the one out of place. */
	o = 40;
	o += pad_only(p + o, IPPROTO_HOPOPTS_);
	o += pad_only(p + o, IPPROTO_TCP_);
	n = finish(p, IPPROTO_HOPOPTS_, o - 40, &A1);
	ASSERT_EQ(walk(p, n, &c, NULL), IPV6_ERR_HBH_NOT_FIRST);
	ASSERT_EQ(c.icmp_pointer, 40);
	ASSERT_EQ(c.n_ext, 1);
}

TEST(ipv6_ext_routing_type_0_dropped)
{
	uint8_t p[256];
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* RFC 5095: RH0 with segments left is a Parameter Problem code 0 at
	 * the Routing Type; with none left it is still dropped (policy,
	 * docs/ipv6.md), silently. */
	size_t o = 40 + rt_hdr(p + 40, IPPROTO_TCP_, 0, 2, 4);
	o += tcp20(p + o);
	size_t n = finish(p, IPPROTO_ROUTING_, o - 40, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_RH0);
	ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);
	ASSERT_EQ(c.icmp_code, ICMP6_PARAM_HEADER);
	ASSERT_EQ(c.icmp_pointer, 42);
	p[43] = 0;
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_RH0);
	ASSERT_EQ(c.icmp_type, 0);
	/* Behind a Destination Options header the pointer follows it. */
	o = 40 + pad_only(p + 40, IPPROTO_ROUTING_);
	o += rt_hdr(p + o, IPPROTO_TCP_, 0, 1, 2);
	n = finish(p, IPPROTO_DSTOPTS_, o - 40, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_RH0);
	ASSERT_EQ(c.icmp_pointer, 50);
	ASSERT_EQ(st.Ip6InHdrErrors, 3);
}

TEST(ipv6_ext_routing_with_segments_left)
{
	uint8_t p[256];
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* RFC 8200 4.4: we are the endpoint of no segment list. Type 4 (SRH),
	 * type 2 (Mobile IPv6), 3 (RPL), 253 (experimental): segments left
	 * means Parameter Problem code 0 at the Routing Type ... */
	const uint8_t types[] = {2, 3, 4, 253};
	for (size_t i = 0; i < sizeof types; i++) {
		size_t o = 40 + rt_hdr(p + 40, IPPROTO_TCP_, types[i], 1, 2);
		o += tcp20(p + o);
		size_t n = finish(p, IPPROTO_ROUTING_, o - 40, &A1);
		ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_ROUTING_SEGLEFT);
		ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);
		ASSERT_EQ(c.icmp_code, ICMP6_PARAM_HEADER);
		ASSERT_EQ(c.icmp_pointer, 42);
		/* ... and none left means: ignore it, go on. */
		p[43] = 0;
		ASSERT_EQ(walk(p, n, &c, &st), IPV6_OK);
		ASSERT_EQ(c.proto, IPPROTO_TCP_);
		ASSERT_EQ(c.l4_off, 64);
	}
	ASSERT_EQ(st.Ip6InHdrErrors, 4);
}

TEST(ipv6_ext_fragments_dropped_atomic_pass)
{
	uint8_t p[256];
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* First fragment (offset 0, M 1), middle, last (M 0): all dropped,
	 * no ICMPv6 (there is no reassembly to time out). */
	const struct {
		uint16_t off;
		int m;
	} cases[] = {{0, 1}, {1448, 1}, {2896, 0}, {8, 0}, {0xfff8, 0}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t o = 40 + frag_hdr(p + 40, IPPROTO_TCP_, cases[i].off, cases[i].m, 77);
		o += tcp20(p + o);
		size_t n = finish(p, IPPROTO_FRAGMENT_, o - 40, &A1);
		ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_FRAGMENT);
		ASSERT(c.frag);
		ASSERT_EQ(c.frag_id, 77);
		ASSERT_EQ(c.icmp_type, 0);
	}
	ASSERT_EQ(st.Ip6ReasmReqds, 5);
	ASSERT_EQ(st.Ip6ReasmFails, 5);
	ASSERT_EQ(st.Ip6ReasmOKs, 0);
	/* Atomic (RFC 6946): processed on its own. */
	size_t o = 40 + frag_hdr(p + 40, IPPROTO_TCP_, 0, 0, 78);
	o += tcp20(p + o);
	size_t n = finish(p, IPPROTO_FRAGMENT_, o - 40, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_OK);
	ASSERT_EQ(c.l4_off, 48);
	ASSERT_EQ(st.Ip6ReasmReqds, 6);
	ASSERT_EQ(st.Ip6ReasmOKs, 1);
	ASSERT_EQ(st.Ip6InReceives, 6);
}

/* A packet to dst with one Destination Options header holding opts. */
static enum ipv6_drop one_opt(const uint8_t *opts, size_t n, const struct gt_in6_addr *dst,
			      struct ipv6_chain *c, struct ip6_stats *st)
{
	uint8_t p[512];
	size_t o = 40 + opts_hdr(p + 40, IPPROTO_TCP_, opts, n);
	o += tcp20(p + o);
	return walk(p, finish(p, IPPROTO_DSTOPTS_, o - 40, dst), c, st);
}

TEST(ipv6_ext_unrecognised_option_action_bits)
{
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* RFC 8200 4.2, by the two high-order bits of the type. The option
	 * sits after a PadN of 2 (bytes 42-43), at offset 44. */
	const uint8_t skip[] = {1, 0, 0x1e, 2, 0xaa, 0xbb};     /* 00: skip */
	const uint8_t discard[] = {1, 0, 0x5e, 2, 0xaa, 0xbb};  /* 01: discard */
	const uint8_t icmp_any[] = {1, 0, 0x9e, 2, 0xaa, 0xbb}; /* 10: discard + ICMP */
	const uint8_t icmp_uni[] = {1, 0, 0xde, 2, 0xaa, 0xbb}; /* 11: + ICMP unless multicast */
	ASSERT_EQ(one_opt(skip, sizeof skip, &A1, &c, &st), IPV6_OK);
	ASSERT_EQ(one_opt(skip, sizeof skip, &ALL_NODES, &c, &st), IPV6_OK);

	ASSERT_EQ(one_opt(discard, sizeof discard, &A1, &c, &st), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_type, 0);

	ASSERT_EQ(one_opt(icmp_any, sizeof icmp_any, &A1, &c, &st), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);
	ASSERT_EQ(c.icmp_code, ICMP6_PARAM_OPTION);
	ASSERT_EQ(c.icmp_pointer, 44);
	ASSERT_EQ(one_opt(icmp_any, sizeof icmp_any, &ALL_NODES, &c, &st), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);

	ASSERT_EQ(one_opt(icmp_uni, sizeof icmp_uni, &A1, &c, &st), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);
	ASSERT_EQ(c.icmp_pointer, 44);
	ASSERT_EQ(one_opt(icmp_uni, sizeof icmp_uni, &ALL_NODES, &c, &st), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_type, 0);
	ASSERT_EQ(st.Ip6InHdrErrors, 5);
	/* The Jumbo Payload option (0xc2, RFC 2675) is one we do not know. */
	const uint8_t jumbo[] = {0xc2, 4, 0, 1, 0, 0};
	ASSERT_EQ(one_opt(jumbo, sizeof jumbo, &A1, &c, &st), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_pointer, 42);
}

TEST(ipv6_ext_option_runs_past_its_header)
{
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	uint8_t p[128];
	/* An option length that runs 1 byte past the header's 8 bytes. */
	size_t o = 40;
	p[o] = IPPROTO_TCP_, p[o + 1] = 0, p[o + 2] = 0x1e, p[o + 3] = 5;
	memset(p + o + 4, 0, 4);
	o += 8;
	o += tcp20(p + o);
	size_t n = finish(p, IPPROTO_DSTOPTS_, o - 40, &A1);
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_OPT_MALFORMED);
	p[43] = 4; /* exactly fits */
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_OK);
	/* A type byte in the header's last byte, with no room for its length. */
	memset(p + 42, 0, 6);
	p[42] = 1, p[43] = 2, p[47] = 0x1e; /* PadN(4), then a lone type byte */
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_OPT_MALFORMED);
	/* A PadN that runs past. */
	p[42] = 1, p[43] = 9;
	ASSERT_EQ(walk(p, n, &c, &st), IPV6_ERR_OPT_MALFORMED);
	ASSERT_EQ(st.Ip6InHdrErrors, 3);
}

TEST(ipv6_ext_option_limits)
{
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* IPV6_OPTS_MAX options of type 0x1e (skip) pass; one more is past
	 * the limit, whatever its action bits. */
	uint8_t opts[64];
	size_t n = 0;
	for (int i = 0; i < IPV6_OPTS_MAX; i++) {
		opts[n++] = 0x1e;
		opts[n++] = 0;
	}
	ASSERT_EQ(one_opt(opts, n, &A1, &c, &st), IPV6_OK);
	opts[n++] = 0x1e;
	opts[n++] = 0;
	ASSERT_EQ(one_opt(opts, n, &A1, &c, &st), IPV6_ERR_OPT_LIMIT);
	/* IPV6_PAD_MAX bytes of padding in a row pass, one more does not:
	 * Pad1 runs, PadN, the two mixed, and runs split by an option. Each
	 * list fills its header to a multiple of 8, so no padding is added. */
	uint8_t pad[16] = {0};
	ASSERT_EQ(one_opt(pad, 6, &A1, &c, &st), IPV6_OK);      /* 6 Pad1 */
	ASSERT_EQ(one_opt(pad, 14, &A1, &c, &st), IPV6_ERR_OPT_LIMIT);
	const uint8_t pad1x7[] = {0, 0, 0, 0, 0, 0, 0, 0x1e, 5, 0, 0, 0, 0, 0};
	const uint8_t pad1x8[] = {0, 0, 0, 0, 0, 0, 0, 0, 0x1e, 4, 0, 0, 0, 0};
	ASSERT_EQ(one_opt(pad1x7, sizeof pad1x7, &A1, &c, &st), IPV6_OK);
	ASSERT_EQ(one_opt(pad1x8, sizeof pad1x8, &A1, &c, &st), IPV6_ERR_OPT_LIMIT);
	const uint8_t padn7[] = {1, 5, 0, 0, 0, 0, 0, 0x1e, 5, 0, 0, 0, 0, 0};
	const uint8_t padn8[] = {1, 6, 0, 0, 0, 0, 0, 0, 0x1e, 4, 0, 0, 0, 0};
	const uint8_t mixed[] = {0, 0, 0, 1, 3, 0, 0, 0, 0x1e, 4, 0, 0, 0, 0}; /* 3 + 5 */
	const uint8_t split[] = {0, 0, 0, 0x1e, 0, 1, 3, 0, 0, 0, 0x1e, 2, 0, 0}; /* 3, opt, 5 */
	ASSERT_EQ(one_opt(padn7, sizeof padn7, &A1, &c, &st), IPV6_OK);
	ASSERT_EQ(one_opt(padn8, sizeof padn8, &A1, &c, &st), IPV6_ERR_OPT_LIMIT);
	ASSERT_EQ(one_opt(mixed, sizeof mixed, &A1, &c, &st), IPV6_ERR_OPT_LIMIT);
	ASSERT_EQ(one_opt(split, sizeof split, &A1, &c, &st), IPV6_OK);
	ASSERT_EQ(st.Ip6InDiscards, 5);
}

TEST(ipv6_ext_next_headers_not_walked)
{
	/* AH, ESP, No Next Header and anything unknown end the walk: the
	 * caller sees the protocol and the offset of the field naming it
	 * (the pointer of a Parameter Problem code 1, RFC 8200 4). */
	uint8_t p[256];
	struct ipv6_chain c;
	const uint8_t protos[] = {51, 50, IPPROTO_NONE_, 135, 253, IPPROTO_UDP_, IPPROTO_ICMPV6_};
	for (size_t i = 0; i < sizeof protos; i++) {
		size_t o = 40 + pad_only(p + 40, protos[i]);
		o += tcp20(p + o);
		size_t n = finish(p, IPPROTO_DSTOPTS_, o - 40, &A1);
		ASSERT_EQ(walk(p, n, &c, NULL), IPV6_OK);
		ASSERT_EQ(c.proto, protos[i]);
		ASSERT_EQ(c.nh_off, 40);
		ASSERT_EQ(c.l4_off, 48);
		ASSERT_EQ(c.l4_len, 20);
		ASSERT_EQ(c.n_ext, 1);
	}
}

TEST(ipv6_ext_skip_chain_for_quotes)
{
	/* ipv6_skip_chain follows lengths only: an unknown option or RH0 does
	 * not stop it, a cut chain or a later fragment does. */
	uint8_t p[256];
	uint8_t proto;
	size_t off;
	const uint8_t bad_opt[] = {0x9e, 0};
	size_t o = 40 + opts_hdr(p + 40, IPPROTO_ROUTING_, bad_opt, sizeof bad_opt);
	o += rt_hdr(p + o, IPPROTO_FRAGMENT_, 0, 3, 2);
	o += frag_hdr(p + o, IPPROTO_TCP_, 0, 1, 5);
	o += tcp20(p + o);
	size_t n = finish(p, IPPROTO_HOPOPTS_, o - 40, &A1);
	ASSERT_EQ(ipv6_skip_chain(p, n, &proto, &off), 0);
	ASSERT_EQ(proto, IPPROTO_TCP_);
	ASSERT_EQ(off, 40 + 8 + 24 + 8);
	/* Cut anywhere inside the chain: -1; at or after its end: found. */
	for (size_t len = 0; len < n; len++) {
		uint8_t *q = malloc(len ? len : 1);
		memcpy(q, p, len);
		int r = ipv6_skip_chain(q, len, &proto, &off);
		ASSERT_EQ(r, len >= 80 ? 0 : -1);
		free(q);
	}
	/* A later fragment has no upper-layer header to find: the walk
	 * stops at its Fragment header. */
	p[40 + 8 + 24 + 2] = 0x05;
	ASSERT_EQ(ipv6_skip_chain(p, n, &proto, &off), IPV6_SKIP_LATER_FRAGMENT);
	ASSERT_EQ(proto, IPPROTO_FRAGMENT_);
	ASSERT_EQ(off, 40 + 8 + 24);
	/* Not IPv6. */
	p[0] = 0x45;
	ASSERT_EQ(ipv6_skip_chain(p, n, &proto, &off), -1);
	/* Longer than IPV6_EXT_MAX. */
	o = 40;
	for (int i = 0; i <= IPV6_EXT_MAX; i++)
		o += pad_only(p + o, IPPROTO_DSTOPTS_);
	n = finish(p, IPPROTO_DSTOPTS_, o - 40, &A1);
	ASSERT_EQ(ipv6_skip_chain(p, n, &proto, &off), IPV6_SKIP_TOO_LONG);
}

TEST(ipv6_ext_every_truncation_stays_in_bounds)
{
	/* A long valid chain, its payload length and its buffer cut at every
	 * byte, each copy in a heap block of exactly that size: the walk
	 * either accepts (and then the upper layer lies inside) or drops with
	 * a reason, and ASan would see any read past the end. */
	uint8_t p[512];
	const uint8_t ra[] = {0x05, 0x02, 0x00, 0x00};
	size_t o = 40;
	o += opts_hdr(p + o, IPPROTO_DSTOPTS_, ra, sizeof ra);
	o += opts_hdr(p + o, IPPROTO_ROUTING_, ra, sizeof ra);
	o += rt_hdr(p + o, IPPROTO_FRAGMENT_, 4, 0, 6);
	o += frag_hdr(p + o, IPPROTO_DSTOPTS_, 0, 0, 9);
	o += pad_only(p + o, IPPROTO_TCP_);
	size_t l4 = o;
	o += tcp20(p + o);
	size_t full = finish(p, IPPROTO_HOPOPTS_, o - 40, &A1);
	for (size_t plen = 0; plen <= full - 40; plen++) {
		uint8_t *q = malloc(40 + plen);
		memcpy(q, p, 40 + plen);
		q[4] = (uint8_t)(plen >> 8);
		q[5] = (uint8_t)plen;
		struct ipv6_chain c;
		enum ipv6_drop r = walk(q, 40 + plen, &c, NULL);
		if (40 + plen >= l4) {
			ASSERT_EQ(r, IPV6_OK);
			ASSERT_EQ(c.l4_off, l4);
			ASSERT_EQ(c.l4_off + c.l4_len, 40 + plen);
		} else {
			ASSERT_EQ(r, IPV6_ERR_EXT_TRUNCATED);
		}
		free(q);
	}
}
