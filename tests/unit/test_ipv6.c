/* Unit tests for the IPv6 fixed header (src/wire/ipv6.c): parse and emit of
 * packets Linux 6.18 sent over a veth pair with checksum offload off (so
 * every checksum is the kernel's own), the TCP and UDP checksums over the
 * IPv6 pseudo-header (RFC 8200 8.1) against them and by hand, every drop
 * reason of the fixed header with the counter it lands in, MSS from the MTU
 * and the counter list. */
#include "harness.h"

#include "util/checksum.h"
#include "wire/ipv6.h"

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

/* 2001:db8::1 -> 2001:db8::2: the SYN of connect() to a closed port
 * (flow label 0xbec8e; MSS 1440, SACK-permitted, timestamps, wscale 10;
 * TCP checksum 0x6ba6), and the kernel's RST+ACK back (0x6cbc). */
static const char *const kernel_syn =
	"600bec8e0028064020010db800000000000000000000000120010db8000000000000000000000002"
	"d63c15df528aa8f800000000a002fd206ba60000020405a00402080aae4cede9000000000103030a";
static const char *const kernel_rst =
	"6004c5670014064020010db800000000000000000000000220010db8000000000000000000000001"
	"15dfd63c00000000528aa8f9501400006cbc0000";
/* A UDP datagram "hello v6 udp", 2001:db8::1:43913 -> ::2:7777 (0x9f58). */
static const char *const kernel_udp =
	"600619f00014114020010db800000000000000000000000120010db8000000000000000000000002"
	"a7891e6100149f5868656c6c6f20763620756470";

static const struct gt_in6_addr A1 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr A2 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

/* A packet from 2001:db8::2 to 2001:db8::1 carrying plen bytes of pay. */
static size_t pkt6(uint8_t *out, uint8_t next, const uint8_t *pay, size_t plen)
{
	struct ipv6_hdr h = {.payload_len = (uint16_t)plen, .next = next, .hop_limit = 64,
			     .src = A2, .dst = A1};
	ipv6_emit(out, &h);
	if (plen)
		memcpy(out + IPV6_HDR_LEN, pay, plen);
	return IPV6_HDR_LEN + plen;
}

TEST(ipv6_parse_kernel_syn)
{
	uint8_t p[128];
	size_t n = unhex(kernel_syn, p);
	ASSERT_EQ(n, 80);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	ASSERT_EQ(ipv6_parse_packet(p, n, &h, &c), IPV6_OK);
	ASSERT_EQ(h.tclass, 0);
	ASSERT_EQ(h.flow, 0xbec8e);
	ASSERT_EQ(h.payload_len, 40);
	ASSERT_EQ(h.next, IPPROTO_TCP_);
	ASSERT_EQ(h.hop_limit, 64);
	ASSERT(ipv6_addr_eq(&h.src, &A1));
	ASSERT(ipv6_addr_eq(&h.dst, &A2));
	ASSERT_EQ(c.proto, IPPROTO_TCP_);
	ASSERT_EQ(c.l4_off, 40);
	ASSERT_EQ(c.l4_len, 40);
	ASSERT_EQ(c.nh_off, 6);
	ASSERT_EQ(c.n_ext, 0);
	ASSERT(!c.frag);

	struct tcp_hdr t;
	ASSERT_EQ(ipv6_tcp_parse(p + 40, 40, &h.src, &h.dst, &t, true), TCP_OK);
	ASSERT_EQ(t.sport, 0xd63c);
	ASSERT_EQ(t.dport, 5599);
	ASSERT_EQ(t.seq, 0x528aa8f8);
	ASSERT_EQ(t.flags, TH_SYN);
	ASSERT_EQ(t.win, 64800);
	/* The kernel's MSS on a 1500-byte link is ours: 1500 - 60. */
	ASSERT(t.opts.has_mss);
	ASSERT_EQ(t.opts.mss, 1440);
	ASSERT_EQ(t.opts.mss, ipv6_mss_for_mtu(1500));
	ASSERT(t.opts.sack_ok && t.opts.has_ts && t.opts.has_wscale);
	ASSERT_EQ(t.opts.ts_val, 0xae4cede9);
	ASSERT_EQ(t.opts.wscale, 10);
	/* Over the wrong pseudo-header (addresses swapped are the same sum;
	 * another address is not), or with a bit flipped, it fails. */
	struct gt_in6_addr other = A2;
	other.b[15] = 3;
	ASSERT_EQ(ipv6_tcp_parse(p + 40, 40, &h.src, &other, &t, true), TCP_ERR_CHECKSUM);
	ASSERT_EQ(ipv6_tcp_parse(p + 40, 40, &h.src, &other, &t, false), TCP_OK);
	for (size_t i = 40; i < n; i++) {
		p[i] ^= 0x10;
		ASSERT_EQ(ipv6_tcp_parse(p + 40, 40, &h.src, &h.dst, &t, true), TCP_ERR_CHECKSUM);
		p[i] ^= 0x10;
	}
	ASSERT_EQ(ipv6_tcp_parse(p + 40, 12, &h.src, &h.dst, &t, true), TCP_ERR_TRUNCATED);
}

TEST(ipv6_emit_gives_back_the_kernel_header)
{
	uint8_t p[128], out[40];
	size_t n = unhex(kernel_syn, p);
	struct ipv6_hdr h;
	ASSERT_EQ(ipv6_parse(p, n, &h), IPV6_OK);
	ASSERT_EQ(ipv6_emit(out, &h), 40);
	ASSERT_MEMEQ(out, p, 40);
	/* Traffic class straddles the first two bytes: DSCP 46 (EF), ECT(0). */
	h.tclass = 46 << 2 | 2;
	h.flow = 0xfffff;
	ipv6_emit(out, &h);
	ASSERT_EQ(out[0], 0x6b);
	ASSERT_EQ(out[1], 0xaf);
	ASSERT_EQ(out[2], 0xff);
	ASSERT_EQ(out[3], 0xff);
	struct ipv6_hdr back;
	ASSERT_EQ(ipv6_parse(out, 40 + 0, &back), IPV6_ERR_PAYLOAD_LEN);
	h.payload_len = 0;
	ipv6_emit(out, &h);
	ASSERT_EQ(ipv6_parse(out, 40, &back), IPV6_OK);
	ASSERT_EQ(back.tclass, 46 << 2 | 2);
	ASSERT_EQ(back.flow, 0xfffff);
	/* A flow label wider than 20 bits does not leak into the class. */
	h.flow = 0xabcdef12;
	ipv6_emit(out, &h);
	ASSERT_EQ(ipv6_parse(out, 40, &back), IPV6_OK);
	ASSERT_EQ(back.tclass, 46 << 2 | 2);
	ASSERT_EQ(back.flow, 0xdef12);
}

TEST(ipv6_tcp_emit_matches_kernel_segments)
{
	/* The RST+ACK, rebuilt from its fields: the same 20 bytes, the
	 * kernel's checksum 0x6cbc included. */
	uint8_t p[128], seg[64];
	size_t n = unhex(kernel_rst, p);
	ASSERT_EQ(n, 60);
	struct tcp_hdr t = {.sport = 5599, .dport = 0xd63c, .seq = 0, .ack = 0x528aa8f9,
			    .doff_bytes = 20, .flags = TH_RST | TH_ACK};
	ipv6_tcp_emit(seg, &t, NULL, 0, 0, &A2, &A1);
	ASSERT_EQ(seg[16], 0x6c);
	ASSERT_EQ(seg[17], 0xbc);
	ASSERT_MEMEQ(seg, p + 40, 20);

	/* The SYN with its options, laid out as Linux lays them. */
	n = unhex(kernel_syn, p);
	struct ipv6_hdr h;
	ASSERT_EQ(ipv6_parse(p, n, &h), IPV6_OK);
	struct tcp_hdr syn;
	ASSERT_EQ(ipv6_tcp_parse(p + 40, 40, &h.src, &h.dst, &syn, true), TCP_OK);
	uint8_t ob[TCP_OPT_MAX];
	size_t ol = tcp_opts_emit(ob, &syn.opts, true, TCP_SYNOPT_LINUX);
	ASSERT_EQ(ol, 20);
	ipv6_tcp_emit(seg, &syn, ob, ol, 0, &h.src, &h.dst);
	ASSERT_EQ(seg[16], 0x6b);
	ASSERT_EQ(seg[17], 0xa6);
	ASSERT_MEMEQ(seg, p + 40, 40);
}

TEST(ipv6_tcp_emit_equals_a_fresh_sum)
{
	/* The incremental swap of pseudo-headers (RFC 1624) gives exactly the
	 * bits a fresh RFC 8200 8.1 sum gives, for any addresses, lengths and
	 * payload, 0xffff sums included. */
	static uint8_t seg[TCP_HDR_MIN + 2000];
	uint32_t x = 12345;
	for (int round = 0; round < 3000; round++) {
		struct gt_in6_addr s, d;
		for (int i = 0; i < 16; i++) {
			x = x * 1103515245u + 12345u;
			s.b[i] = (uint8_t)(x >> 16);
			d.b[i] = (uint8_t)(x >> 8);
		}
		size_t plen = (x >> 4) % 1500;
		for (size_t i = 0; i < plen; i++) {
			x = x * 1103515245u + 12345u;
			/* Mostly 0xff in some rounds, to reach the sum edges. */
			seg[TCP_HDR_MIN + i] = (round % 3 == 0) ? 0xff : (uint8_t)(x >> 16);
		}
		struct tcp_hdr t = {.sport = (uint16_t)x, .dport = (uint16_t)(x >> 16),
				    .seq = x * 7, .ack = x * 13, .doff_bytes = TCP_HDR_MIN,
				    .flags = TH_ACK | TH_PSH, .win = (uint16_t)(x >> 3)};
		ipv6_tcp_emit(seg, &t, NULL, 0, plen, &s, &d);
		uint16_t got = (uint16_t)(seg[16] << 8 | seg[17]);
		seg[16] = seg[17] = 0;
		uint16_t fresh = ipv6_csum(&s, &d, IPPROTO_TCP_, seg, TCP_HDR_MIN + plen);
		ASSERT_EQ(got, fresh);
		seg[16] = (uint8_t)(got >> 8);
		seg[17] = (uint8_t)got;
		ASSERT_EQ(ipv6_csum(&s, &d, IPPROTO_TCP_, seg, TCP_HDR_MIN + plen), 0);
	}
}

TEST(ipv6_pseudo_header_sum_by_hand)
{
	/* RFC 8200 8.1 for 2001:db8::1 -> 2001:db8::2, TCP, 40 bytes:
	 * 2001 + 0db8 + 0001 + 2001 + 0db8 + 0002 + 0000 + 0028 + 0006 = 5ba3. */
	ASSERT_EQ(csum_pseudo_ipv6(A1.b, A2.b, IPPROTO_TCP_, 40), 0x5ba3);
	/* The length is 32 bits (a jumbogram's may pass 65535): both halves. */
	/* 5b75 (addresses) + 0001 + 2345 + 0006 = 7ec1. */
	ASSERT_EQ(csum_pseudo_ipv6(A1.b, A2.b, IPPROTO_TCP_, 0x12345), 0x7ec1);
	/* Carries wrap: all-ones addresses and length. */
	uint8_t ff[16];
	memset(ff, 0xff, 16);
	ASSERT_EQ(csum_fold(csum_pseudo_ipv6(ff, ff, 0xff, 0xffffffffu)), 0xff00);
	/* The same as summing the 40-byte pseudo-header laid out in memory. */
	uint8_t ph[40] = {0};
	memcpy(ph, A1.b, 16);
	memcpy(ph + 16, A2.b, 16);
	ph[34] = 0x01, ph[35] = 0x23, ph[39] = IPPROTO_UDP_;
	ASSERT_EQ(csum_fold(csum_pseudo_ipv6(A1.b, A2.b, IPPROTO_UDP_, 0x123)),
		  csum_fold(csum_partial(ph, sizeof ph, 0)));
}

TEST(ipv6_udp_checksum_kernel_and_zero_rules)
{
	uint8_t p[128];
	size_t n = unhex(kernel_udp, p);
	ASSERT_EQ(n, 60);
	struct ipv6_hdr h;
	ASSERT_EQ(ipv6_parse(p, n, &h), IPV6_OK);
	ASSERT(ipv6_udp_csum_ok(&h.src, &h.dst, p + 40, 20));
	p[46] = p[47] = 0;
	ASSERT_EQ(ipv6_udp_csum(&h.src, &h.dst, p + 40, 20), 0x9f58);
	/* RFC 8200 8.1: a zero checksum field is invalid in IPv6. */
	ASSERT(!ipv6_udp_csum_ok(&h.src, &h.dst, p + 40, 20));
	/* Make the data sum so the computed checksum is 0: two payload bytes
	 * hold the complement of the rest. It is sent as 0xffff, which
	 * verifies. */
	uint8_t d[16] = {0x12, 0x34, 0x1e, 0x61, 0x00, 16, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f'};
	uint16_t c = ipv6_csum(&A1, &A2, IPPROTO_UDP_, d, sizeof d);
	d[14] = (uint8_t)(c >> 8);
	d[15] = (uint8_t)c;
	ASSERT_EQ(ipv6_csum(&A1, &A2, IPPROTO_UDP_, d, sizeof d), 0);
	ASSERT_EQ(ipv6_udp_csum(&A1, &A2, d, sizeof d), 0xffff);
	d[6] = d[7] = 0xff;
	ASSERT(ipv6_udp_csum_ok(&A1, &A2, d, sizeof d));
	ASSERT(!ipv6_udp_csum_ok(&A1, &A2, d, 7));
}

TEST(ipv6_drop_truncated_header)
{
	uint8_t p[128];
	size_t n = unhex(kernel_syn, p);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	for (size_t len = 0; len < 40; len++) {
		enum ipv6_drop r = ipv6_parse_packet(p, len, &h, &c);
		ASSERT_EQ(r, IPV6_ERR_TRUNCATED);
		IPV6_COUNT_INPUT(&st, r, &c);
	}
	ASSERT_EQ(st.Ip6InReceives, 40);
	ASSERT_EQ(st.Ip6InHdrErrors, 40);
	ASSERT_EQ(st.Ip6InTruncatedPkts, 0);
	ASSERT_EQ(ipv6_parse_packet(p, n, &h, &c), IPV6_OK);
}

TEST(ipv6_drop_bad_version)
{
	uint8_t p[128];
	size_t n = unhex(kernel_syn, p);
	struct ipv6_hdr h;
	struct ip6_stats st = {0};
	const uint8_t versions[] = {0, 4, 5, 7, 15};
	for (size_t i = 0; i < sizeof versions; i++) {
		p[0] = (uint8_t)(versions[i] << 4 | (p[0] & 0x0f));
		struct ipv6_chain c;
		enum ipv6_drop r = ipv6_parse_packet(p, n, &h, &c);
		ASSERT_EQ(r, IPV6_ERR_VERSION);
		IPV6_COUNT_INPUT(&st, r, &c);
	}
	ASSERT_EQ(st.Ip6InHdrErrors, sizeof versions);
	/* An IPv4 header is refused as such. */
	const uint8_t v4[40] = {0x45, 0, 0, 40};
	ASSERT_EQ(ipv6_parse(v4, sizeof v4, &h), IPV6_ERR_VERSION);
}

TEST(ipv6_drop_payload_length_past_packet)
{
	uint8_t p[256];
	size_t n = unhex(kernel_syn, p);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	/* One byte short of what the payload length says. */
	enum ipv6_drop r = ipv6_parse_packet(p, n - 1, &h, &c);
	ASSERT_EQ(r, IPV6_ERR_PAYLOAD_LEN);
	IPV6_COUNT_INPUT(&st, r, &c);
	/* The largest payload length on a small packet. */
	p[4] = p[5] = 0xff;
	r = ipv6_parse_packet(p, n, &h, &c);
	ASSERT_EQ(r, IPV6_ERR_PAYLOAD_LEN);
	IPV6_COUNT_INPUT(&st, r, &c);
	ASSERT_EQ(st.Ip6InTruncatedPkts, 2);
	ASSERT_EQ(st.Ip6InHdrErrors, 0);
	/* Bytes after the payload (link padding) are not the packet's. */
	p[4] = 0, p[5] = 40;
	memset(p + n, 0xee, 30);
	ASSERT_EQ(ipv6_parse_packet(p, n + 30, &h, &c), IPV6_OK);
	ASSERT_EQ(c.l4_len, 40);
	/* A payload length of 0 is a packet with nothing after the header. */
	p[4] = p[5] = 0;
	ASSERT_EQ(ipv6_parse_packet(p, n, &h, &c), IPV6_OK);
	ASSERT_EQ(c.l4_len, 0);
}

/* Parses p with src or dst replaced. */
static enum ipv6_drop with_addr(uint8_t *p, size_t n, int dst, const char *hex16)
{
	uint8_t a[16];
	ASSERT_EQ(unhex(hex16, a), 16);
	memcpy(p + (dst ? 24 : 8), a, 16);
	struct ipv6_hdr h;
	return ipv6_parse(p, n, &h);
}

TEST(ipv6_drop_bad_source_addresses)
{
	uint8_t p[128];
	size_t n = unhex(kernel_syn, p);
	/* RFC 4291 2.7: ff02::1, ff05::2, ff0e::101 */
	ASSERT_EQ(with_addr(p, n, 0, "ff020000000000000000000000000001"), IPV6_ERR_SRC_MULTICAST);
	ASSERT_EQ(with_addr(p, n, 0, "ff050000000000000000000000000002"), IPV6_ERR_SRC_MULTICAST);
	ASSERT_EQ(with_addr(p, n, 0, "ff0e0000000000000000000000000101"), IPV6_ERR_SRC_MULTICAST);
	/* :: */
	ASSERT_EQ(with_addr(p, n, 0, "00000000000000000000000000000000"), IPV6_ERR_SRC_UNSPECIFIED);
	/* ::ffff:10.0.0.1, ::ffff:0.0.0.0 */
	ASSERT_EQ(with_addr(p, n, 0, "00000000000000000000ffff0a000001"), IPV6_ERR_SRC_V4MAPPED);
	ASSERT_EQ(with_addr(p, n, 0, "00000000000000000000ffff00000000"), IPV6_ERR_SRC_V4MAPPED);
	/* ::1 */
	ASSERT_EQ(with_addr(p, n, 0, "00000000000000000000000000000001"), IPV6_ERR_SRC_LOOPBACK);
	/* Near misses are fine: ::2, ::fffe:a00:1 (not mapped), the
	 * deprecated v4-compatible ::10.0.0.1, fe80::1, fec0::1. */
	ASSERT_EQ(with_addr(p, n, 0, "00000000000000000000000000000002"), IPV6_OK);
	ASSERT_EQ(with_addr(p, n, 0, "00000000000000000000fffe0a000001"), IPV6_OK);
	ASSERT_EQ(with_addr(p, n, 0, "000000000000000000000000a0000001"), IPV6_OK);
	ASSERT_EQ(with_addr(p, n, 0, "fe800000000000000000000000000001"), IPV6_OK);
	ASSERT_EQ(with_addr(p, n, 0, "fec00000000000000000000000000001"), IPV6_OK);
}

TEST(ipv6_drop_bad_destination_addresses)
{
	uint8_t p[128];
	size_t n = unhex(kernel_syn, p);
	struct ip6_stats st = {0};
	const char *const bad[] = {
		"00000000000000000000000000000000", /* :: */
		"00000000000000000000000000000001", /* ::1 */
		"00000000000000000000ffff0a000001", /* ::ffff:10.0.0.1 */
		"ff000000000000000000000000000001", /* ff00::1, scope 0 */
		"ff100000000000000000000000000001", /* ff10::1, transient, scope 0 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum ipv6_drop r = with_addr(p, n, 1, bad[i]);
		ASSERT_EQ(r, IPV6_ERR_DST_INVALID);
		IP6_STAT_INC(&st, ipv6_drop_stat(r));
	}
	ASSERT_EQ(st.Ip6InAddrErrors, 5);
	/* Multicast with a real scope is a destination (ff02::1, solicited
	 * node); whether we listen there is the caller's to decide. */
	ASSERT_EQ(with_addr(p, n, 1, "ff020000000000000000000000000001"), IPV6_OK);
	ASSERT_EQ(with_addr(p, n, 1, "ff0200000000000000000001ff000002"), IPV6_OK);
}

TEST(ipv6_drop_reasons_map_to_mib_counters)
{
	/* Every reason has a name and a counter, and the counters are the
	 * ones docs/ipv6.md lists. */
	const enum ip6_stat want[IPV6_DROP_COUNT] = {
		[IPV6_OK] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_TRUNCATED] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_VERSION] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_PAYLOAD_LEN] = IP6_STAT_Ip6InTruncatedPkts,
		[IPV6_ERR_SRC_MULTICAST] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_SRC_UNSPECIFIED] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_SRC_V4MAPPED] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_SRC_LOOPBACK] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_DST_INVALID] = IP6_STAT_Ip6InAddrErrors,
		[IPV6_ERR_EXT_TRUNCATED] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_EXT_TOO_MANY] = IP6_STAT_Ip6InDiscards,
		[IPV6_ERR_HBH_NOT_FIRST] = IP6_STAT_Ip6InUnknownProtos,
		[IPV6_ERR_OPT_MALFORMED] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_OPT_LIMIT] = IP6_STAT_Ip6InDiscards,
		[IPV6_ERR_OPT_UNKNOWN] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_RH0] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_ROUTING_SEGLEFT] = IP6_STAT_Ip6InHdrErrors,
		[IPV6_ERR_FRAGMENT] = IP6_STAT_Ip6ReasmFails,
	};
	for (int r = 0; r < IPV6_DROP_COUNT; r++) {
		ASSERT_EQ(ipv6_drop_stat((enum ipv6_drop)r), want[r]);
		const char *s = ipv6_drop_str((enum ipv6_drop)r);
		ASSERT(s && strcmp(s, "?") != 0);
		for (int q = 0; q < r; q++)
			ASSERT(strcmp(s, ipv6_drop_str((enum ipv6_drop)q)) != 0);
	}
	ASSERT_STREQ(ipv6_drop_str(IPV6_DROP_COUNT), "?");
	ASSERT_STREQ(ip6_stat_name(IP6_STAT_Ip6InReceives), "Ip6InReceives");
	ASSERT_STREQ(ip6_stat_name(IP6_STAT_Icmp6OutRateLimitGlobal), "Icmp6OutRateLimitGlobal");
	ASSERT_STREQ(ip6_stat_name(IP6_STAT_COUNT), "?");
	/* IP6_STAT_INC reaches each field by its name. */
	struct ip6_stats st;
	for (int id = 0; id < IP6_STAT_COUNT; id++) {
		memset(&st, 0, sizeof st);
		IP6_STAT_INC(&st, (enum ip6_stat)id);
		const uint64_t *f = (const uint64_t *)&st;
		for (int j = 0; j < IP6_STAT_COUNT; j++)
			ASSERT_EQ(f[j], j == id);
	}
	ASSERT_EQ(sizeof st, IP6_STAT_COUNT * sizeof(uint64_t));
}

TEST(ipv6_accepted_packet_counts_receive_only)
{
	uint8_t p[128];
	size_t n = unhex(kernel_syn, p);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	struct ip6_stats st = {0};
	enum ipv6_drop r = ipv6_parse_packet(p, n, &h, &c);
	IPV6_COUNT_INPUT(&st, r, &c);
	ASSERT_EQ(st.Ip6InReceives, 1);
	const uint64_t *f = (const uint64_t *)&st;
	uint64_t total = 0;
	for (int j = 0; j < IP6_STAT_COUNT; j++)
		total += f[j];
	ASSERT_EQ(total, 1);
	/* A minimal packet with nothing after it (RFC 8200 4.7). */
	n = pkt6(p, IPPROTO_NONE_, NULL, 0);
	ASSERT_EQ(ipv6_parse_packet(p, n, &h, &c), IPV6_OK);
	ASSERT_EQ(c.proto, IPPROTO_NONE_);
	ASSERT_EQ(c.l4_len, 0);
}

TEST(ipv6_mss_for_mtu)
{
	ASSERT_EQ(ipv6_mss_for_mtu(1500), 1440);
	ASSERT_EQ(ipv6_mss_for_mtu(1280), 1220); /* RFC 8200 5's floor */
	ASSERT_EQ(ipv6_mss_for_mtu(1279), 1220);
	ASSERT_EQ(ipv6_mss_for_mtu(576), 1220);
	ASSERT_EQ(ipv6_mss_for_mtu(0), 1220);
	ASSERT_EQ(ipv6_mss_for_mtu(1281), 1221);
	ASSERT_EQ(ipv6_mss_for_mtu(9000), 8940);
	ASSERT_EQ(ipv6_mss_for_mtu(65535), 65475);
	ASSERT_EQ(ipv6_mss_for_mtu(65536), 65475);
	ASSERT_EQ(ipv6_mss_for_mtu(UINT32_MAX), 65475);
}

TEST(ipv6_flow_label_is_20_bits_and_never_zero)
{
	ASSERT_EQ(ipv6_flow_label(0), 1);
	/* The top 12 bits are folded in: 0x00100001 folds to 0, so 1. */
	ASSERT_EQ(ipv6_flow_label(0x00100001u), 1);
	ASSERT_EQ(ipv6_flow_label(0x12345678u), 0x4575b);
	uint32_t x = 7;
	for (int i = 0; i < 100000; i++) {
		x = x * 2654435761u + 1;
		uint32_t l = ipv6_flow_label(x);
		ASSERT(l > 0 && l <= 0xfffff);
	}
}
