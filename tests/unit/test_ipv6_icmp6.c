/* Unit tests for ICMPv6 (src/wire/icmp6.c): messages Linux 6.18 sent (echo
 * request and reply on lo, a port unreachable, neighbour solicitation and
 * advertisement over veth, checksums all computed by the kernel) parsed and
 * rebuilt byte for byte; the TCP 4-tuple read out of errors quoting a SYN
 * Linux sent, through extension headers and cut short; the soft/hard/PMTU
 * table; Packet Too Big's floor; the RFC 4443 2.4(e) rules; the rate limit. */
#include <errno.h>

#include "harness.h"

#include "wire/icmp6.h"
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

/* ::1 -> ::1 on lo: echo request id 0x1234 seq 1 "glasstcp-v6!" (checksum
 * 0x6a1e) and the kernel's reply (0x691e). */
static const char *const kernel_echo_req =
	"600bfb8700143a40000000000000000000000000000000010000000000000000000000000000000180006a1e12340001676c6173737463702d763621";
static const char *const kernel_echo_rep =
	"60053ddf00143a4000000000000000000000000000000001000000000000000000000000000000018100691e12340001676c6173737463702d763621";
/* 2001:db8::1 -> ::2 UDP to a closed port, and ::2's port unreachable
 * quoting it whole (0x17e3). */
static const char *const kernel_udp =
	"600619f00014114020010db800000000000000000000000120010db8000000000000000000000002"
	"a7891e6100149f5868656c6c6f20763620756470";
static const char *const kernel_unreach =
	"6001741000443a4020010db800000000000000000000000220010db8000000000000000000000001"
	"010417e300000000600619f00014114020010db800000000000000000000000120010db8000000000000000000000002"
	"a7891e6100149f5868656c6c6f20763620756470";
/* Neighbour solicitation for 2001:db8::2 to its solicited-node group, and
 * the advertisement (0x45da, 0x9ac3): parsed and left alone (no ND). */
static const char *const kernel_ns =
	"6000000000203aff20010db8000000000000000000000001ff0200000000000000000001ff000002"
	"870045da0000000020010db800000000000000000000000201016acf2720465e";
static const char *const kernel_na =
	"6000000000203aff20010db800000000000000000000000220010db8000000000000000000000001"
	"88009ac36000000020010db800000000000000000000000202013295eff5cf24";
/* The SYN 2001:db8::1:54844 -> ::2:5599, seq 0x528aa8f8. */
static const char *const kernel_syn =
	"600bec8e0028064020010db800000000000000000000000120010db8000000000000000000000002"
	"d63c15df528aa8f800000000a002fd206ba60000020405a00402080aae4cede9000000000103030a";

static const struct gt_in6_addr A1 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr A2 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
static const struct gt_in6_addr ROUTER = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 9, [15] = 1}};

/* Parses a whole packet down to its ICMPv6 message. */
static void parse_icmp(const uint8_t *p, size_t n, struct ipv6_hdr *h, struct icmp6_hdr *m)
{
	struct ipv6_chain c;
	ASSERT_EQ(ipv6_parse_packet(p, n, h, &c), IPV6_OK);
	ASSERT_EQ(c.proto, IPPROTO_ICMPV6_);
	ASSERT_EQ(icmp6_parse(p + c.l4_off, c.l4_len, &h->src, &h->dst, m), ICMP6_OK);
}

TEST(icmp6_parse_kernel_echo_and_nd)
{
	uint8_t p[256];
	size_t n = unhex(kernel_echo_req, p);
	struct ipv6_hdr h;
	struct icmp6_hdr m;
	/* ::1 is no source on a wire (ipv6_parse drops it): the message alone. */
	ASSERT_EQ(ipv6_parse(p, n, &h), IPV6_ERR_SRC_LOOPBACK);
	ASSERT_EQ(icmp6_parse(p + 40, n - 40, &h.src, &h.dst, &m), ICMP6_OK);
	ASSERT_EQ(m.type, ICMP6_ECHO_REQUEST);
	ASSERT_EQ(m.code, 0);
	ASSERT_EQ(m.id, 0x1234);
	ASSERT_EQ(m.seq, 1);
	ASSERT_EQ(m.body_len, 12);
	ASSERT_MEMEQ(m.body, "glasstcp-v6!", 12);
	ASSERT(m.body == p + 48);
	n = unhex(kernel_echo_rep, p);
	ASSERT_EQ(icmp6_parse(p + 40, n - 40, &h.src, &h.dst, &m), ICMP6_OK);
	ASSERT_EQ(m.type, ICMP6_ECHO_REPLY);
	ASSERT_EQ(m.id, 0x1234);

	/* ND parses (checksum and all) and is nothing to us: informational
	 * types we do not know are for the caller to drop (RFC 4443 2.4(b)). */
	n = unhex(kernel_ns, p);
	parse_icmp(p, n, &h, &m);
	ASSERT_EQ(m.type, 135);
	ASSERT(!icmp6_is_error(m.type));
	n = unhex(kernel_na, p);
	parse_icmp(p, n, &h, &m);
	ASSERT_EQ(m.type, 136);
	ASSERT_EQ(m.mtu, 0);
	ASSERT_EQ(m.pointer, 0);
}

TEST(icmp6_echo_reply_matches_kernel)
{
	/* The reply to the kernel's request, as the kernel built it: the
	 * same 60 bytes but the flow label (ours is 0). */
	uint8_t req[256], want[256], out[256];
	size_t n = unhex(kernel_echo_req, req);
	ASSERT_EQ(unhex(kernel_echo_rep, want), n);
	struct ipv6_hdr h;
	ASSERT_EQ(ipv6_parse(req, n, &h), IPV6_ERR_SRC_LOOPBACK); /* fields filled */
	struct icmp6_hdr m;
	ASSERT_EQ(icmp6_parse(req + 40, n - 40, &h.src, &h.dst, &m), ICMP6_OK);
	ASSERT_EQ(icmp6_echo_reply(out, sizeof out, &h, &m, &h.dst, 64), n);
	ASSERT_EQ(out[1], 0);
	want[1] &= 0xf0, want[2] = want[3] = 0; /* the kernel's flow label */
	ASSERT_MEMEQ(out, want, n);
	/* Exactly the room it needs, and one byte less. */
	ASSERT_EQ(icmp6_echo_reply(out, n, &h, &m, &h.dst, 64), n);
	ASSERT_EQ(icmp6_echo_reply(out, n - 1, &h, &m, &h.dst, 64), 0);
	ASSERT_EQ(icmp6_echo_reply(out, 10, &h, &m, &h.dst, 64), 0);
}

TEST(icmp6_echo_reply_in_place_behind_extension_headers)
{
	/* A request behind a Destination Options header, answered in its own
	 * buffer: the data moves up 8 bytes and comes back whole. */
	uint8_t p[2048];
	size_t blen = 1000;
	uint8_t body[1000];
	for (size_t i = 0; i < blen; i++)
		body[i] = (uint8_t)(i * 31 + 7);
	const uint8_t dst_opts[8] = {IPPROTO_ICMPV6_, 0, 1, 4, 0, 0, 0, 0};
	memcpy(p + 40, dst_opts, 8);
	size_t mlen = icmp6_emit(p + 48, ICMP6_ECHO_REQUEST, 0, 0xbeef0042, body, blen, &A2, &A1);
	struct ipv6_hdr ip = {.payload_len = (uint16_t)(8 + mlen), .next = IPPROTO_DSTOPTS_,
			      .hop_limit = 64, .src = A2, .dst = A1};
	ipv6_emit(p, &ip);
	struct ipv6_hdr h;
	struct icmp6_hdr m;
	parse_icmp(p, 48 + mlen, &h, &m);
	ASSERT_EQ(m.id, 0xbeef);
	ASSERT_EQ(m.seq, 0x42);
	size_t n = icmp6_echo_reply(p, sizeof p, &h, &m, &h.dst, 255);
	ASSERT_EQ(n, 40 + 8 + blen);
	struct ipv6_hdr rh;
	struct icmp6_hdr rm;
	parse_icmp(p, n, &rh, &rm);
	ASSERT(ipv6_addr_eq(&rh.src, &A1));
	ASSERT(ipv6_addr_eq(&rh.dst, &A2));
	ASSERT_EQ(rh.hop_limit, 255);
	ASSERT_EQ(rm.type, ICMP6_ECHO_REPLY);
	ASSERT_EQ(rm.id, 0xbeef);
	ASSERT_EQ(rm.seq, 0x42);
	ASSERT_EQ(rm.body_len, blen);
	ASSERT_MEMEQ(rm.body, body, blen);
}

TEST(icmp6_parse_rejects_short_and_corrupt_messages)
{
	uint8_t p[256];
	size_t n = unhex(kernel_echo_req, p);
	struct ipv6_hdr h;
	ipv6_parse(p, n, &h);
	struct icmp6_hdr m;
	for (size_t len = 0; len < 8; len++)
		ASSERT_EQ(icmp6_parse(p + 40, len, &h.src, &h.dst, &m), ICMP6_ERR_TRUNCATED);
	/* Every bit of the message, and the pseudo-header's addresses and
	 * length, are covered by the checksum. */
	for (size_t i = 40; i < n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			p[i] ^= (uint8_t)(1 << bit);
			ASSERT_EQ(icmp6_parse(p + 40, n - 40, &h.src, &h.dst, &m), ICMP6_ERR_CHECKSUM);
			p[i] ^= (uint8_t)(1 << bit);
		}
	}
	struct gt_in6_addr other = h.dst;
	other.b[0] ^= 0x80;
	ASSERT_EQ(icmp6_parse(p + 40, n - 40, &h.src, &other, &m), ICMP6_ERR_CHECKSUM);
	ASSERT_EQ(icmp6_parse(p + 40, n - 41, &h.src, &h.dst, &m), ICMP6_ERR_CHECKSUM);
	ASSERT_EQ(icmp6_parse(p + 40, n - 40, &h.src, &h.dst, &m), ICMP6_OK);
}

TEST(icmp6_error_build_matches_kernel_port_unreachable)
{
	/* ::2's port unreachable for the UDP datagram, rebuilt: the same 108
	 * bytes but the flow label. */
	uint8_t udp[128], want[256], out[256];
	size_t un = unhex(kernel_udp, udp);
	size_t n = unhex(kernel_unreach, want);
	ASSERT_EQ(n, 108);
	ASSERT_EQ(icmp6_error_allowed(udp, un, ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT), ICMP6_SEND);
	ASSERT_EQ(icmp6_error_build(out, sizeof out, ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT, 0, udp,
				    un, &A2, 64),
		  n);
	want[1] &= 0xf0, want[2] = want[3] = 0;
	ASSERT_MEMEQ(out, want, n);
	struct ipv6_hdr h;
	struct icmp6_hdr m;
	parse_icmp(out, n, &h, &m);
	ASSERT_EQ(m.type, ICMP6_DST_UNREACH);
	ASSERT_EQ(m.code, ICMP6_UNREACH_PORT);
	ASSERT_EQ(m.body_len, un);
	/* Too little room for even the headers. */
	ASSERT_EQ(icmp6_error_build(out, 47, ICMP6_DST_UNREACH, 4, 0, udp, un, &A2, 64), 0);
	/* Not an IPv6 packet. */
	udp[0] = 0x45;
	ASSERT_EQ(icmp6_error_build(out, sizeof out, ICMP6_DST_UNREACH, 4, 0, udp, un, &A2, 64), 0);
	ASSERT_EQ(icmp6_error_build(out, sizeof out, ICMP6_DST_UNREACH, 4, 0, udp, 39, &A2, 64), 0);
}

TEST(icmp6_error_quotes_at_most_the_minimum_mtu)
{
	/* RFC 4443 2.4(c): an error never exceeds 1280 bytes; a smaller
	 * buffer quotes less. */
	static uint8_t big[3000], out[3000];
	struct ipv6_hdr ip = {.payload_len = 2960, .next = IPPROTO_TCP_, .hop_limit = 64,
			      .src = A1, .dst = A2};
	ipv6_emit(big, &ip);
	for (size_t i = 40; i < sizeof big; i++)
		big[i] = (uint8_t)i;
	size_t n = icmp6_error_build(out, sizeof out, ICMP6_PACKET_TOO_BIG, 0, 1400, big,
				     sizeof big, &ROUTER, 64);
	ASSERT_EQ(n, 1280);
	struct ipv6_hdr h;
	struct icmp6_hdr m;
	parse_icmp(out, n, &h, &m);
	ASSERT_EQ(h.payload_len, 1240);
	ASSERT_EQ(m.mtu, 1400);
	ASSERT_EQ(m.body_len, 1232);
	ASSERT_MEMEQ(m.body, big, 1232);
	n = icmp6_error_build(out, 100, ICMP6_PARAM_PROB, ICMP6_PARAM_HEADER, 42, big, sizeof big,
			      &ROUTER, 64);
	ASSERT_EQ(n, 100);
	parse_icmp(out, n, &h, &m);
	ASSERT_EQ(m.pointer, 42);
	ASSERT_EQ(m.body_len, 52);
}

TEST(icmp6_walk_decision_becomes_a_parameter_problem)
{
	/* The walker's Parameter Problem for an unknown option (type 10xxxxxx)
	 * built and read back: code 2, the pointer at the option's type. */
	uint8_t p[256], out[512];
	const uint8_t dst_opts[8] = {IPPROTO_TCP_, 0, 1, 0, 0x9e, 2, 0, 0};
	memcpy(p + 40, dst_opts, 8);
	memset(p + 48, 0, 20);
	struct ipv6_hdr ip = {.payload_len = 28, .next = IPPROTO_DSTOPTS_, .hop_limit = 64,
			      .src = A2, .dst = A1};
	ipv6_emit(p, &ip);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	ASSERT_EQ(ipv6_parse_packet(p, 68, &h, &c), IPV6_ERR_OPT_UNKNOWN);
	ASSERT_EQ(c.icmp_type, ICMP6_PARAM_PROB);
	ASSERT_EQ(icmp6_error_allowed(p, 68, c.icmp_type, c.icmp_code), ICMP6_SEND);
	size_t n = icmp6_error_build(out, sizeof out, c.icmp_type, c.icmp_code, c.icmp_pointer, p,
				     68, &A1, 64);
	struct icmp6_hdr m;
	parse_icmp(out, n, &h, &m);
	ASSERT(ipv6_addr_eq(&h.dst, &A2));
	ASSERT_EQ(m.code, ICMP6_PARAM_OPTION);
	ASSERT_EQ(m.pointer, 44);
	ASSERT_EQ(m.body[m.pointer], 0x9e);
}

TEST(icmp6_error_allowed_rules)
{
	uint8_t p[256], err[512];
	size_t n = unhex(kernel_syn, p);
	/* About a TCP segment: yes. */
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_DST_UNREACH, 4), ICMP6_SEND);
	/* (e.1): about an ICMPv6 error: never; about an echo request: yes;
	 * (e.2): about a redirect: never. */
	size_t en = icmp6_error_build(err, sizeof err, ICMP6_DST_UNREACH, 4, 0, p, n, &A2, 64);
	ASSERT_EQ(icmp6_error_allowed(err, en, ICMP6_PARAM_PROB, 0), ICMP6_NO_ABOUT_ERROR);
	err[40] = ICMP6_ECHO_REQUEST;
	ASSERT_EQ(icmp6_error_allowed(err, en, ICMP6_PARAM_PROB, 0), ICMP6_SEND);
	err[40] = ICMP6_REDIRECT;
	ASSERT_EQ(icmp6_error_allowed(err, en, ICMP6_PARAM_PROB, 0), ICMP6_NO_ABOUT_ERROR);
	err[40] = 127; /* an error type we do not know is still an error */
	ASSERT_EQ(icmp6_error_allowed(err, en, ICMP6_PARAM_PROB, 0), ICMP6_NO_ABOUT_ERROR);
	/* An ICMPv6 header we cannot see: no error (Linux's is_ineligible():
	 * no type and no fragment offset). A chain cut short holds no ICMPv6
	 * header: the error goes (ipv6_skip_exthdr() < 0 is eligible). A
	 * chain longer than IPV6_EXT_MAX headers: no error. */
	ASSERT_EQ(icmp6_error_allowed(err, 40, ICMP6_PARAM_PROB, 0), ICMP6_NO_ABOUT_ERROR);
	err[6] = IPPROTO_DSTOPTS_;
	ASSERT_EQ(icmp6_error_allowed(err, 44, ICMP6_PARAM_PROB, 0), ICMP6_SEND);
	uint8_t lng[40 + 9 * 8 + 8] = {0};
	memcpy(lng, err, 40);
	for (int i = 0; i < 9; i++)
		lng[40 + 8 * i] = i < 8 ? IPPROTO_DSTOPTS_ : IPPROTO_ICMPV6_;
	lng[40 + 9 * 8] = ICMP6_DST_UNREACH;
	ASSERT_EQ(icmp6_error_allowed(lng, sizeof lng, ICMP6_PARAM_PROB, 0), ICMP6_NO_ABOUT_ERROR);
	/* (e.3): to multicast only Packet Too Big and Parameter Problem code 2. */
	p[24] = 0xff, p[25] = 0x02;
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_DST_UNREACH, 4), ICMP6_NO_MULTICAST_DST);
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_PARAM_PROB, 1), ICMP6_NO_MULTICAST_DST);
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_PARAM_PROB, 2), ICMP6_SEND);
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_PACKET_TOO_BIG, 0), ICMP6_SEND);
	/* (e.6): from :: or a multicast source, or too short to say. */
	n = unhex(kernel_syn, p);
	memset(p + 8, 0, 16);
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_DST_UNREACH, 4), ICMP6_NO_SRC);
	p[8] = 0xff;
	ASSERT_EQ(icmp6_error_allowed(p, n, ICMP6_DST_UNREACH, 4), ICMP6_NO_SRC);
	ASSERT_EQ(icmp6_error_allowed(p, 39, ICMP6_DST_UNREACH, 4), ICMP6_NO_SRC);
}

/* A router's error of type/code about the kernel's SYN, quoting quote_len
 * bytes of it (after ext, an extension chain put in front of TCP). */
static size_t error_about_syn(uint8_t *out, uint8_t type, uint8_t code, uint32_t param,
			      const uint8_t *ext, size_t ext_len, size_t quote_len)
{
	uint8_t syn[256], q[256];
	size_t n = unhex(kernel_syn, syn);
	memcpy(q, syn, 40);
	if (ext_len) {
		q[6] = ext[0] == 0xff ? IPPROTO_HOPOPTS_ : IPPROTO_DSTOPTS_;
		memcpy(q + 40, ext + 1, ext_len - 1);
		ext_len--;
	}
	memcpy(q + 40 + ext_len, syn + 40, n - 40);
	n += ext_len;
	q[5] = (uint8_t)(n - 40);
	return icmp6_error_build(out, 512, type, code, param, q, quote_len < n ? quote_len : n,
				 &ROUTER, 64);
}

static int read_error(const uint8_t *out, size_t n, struct icmp6_tcp_error *e)
{
	struct ipv6_hdr h;
	struct icmp6_hdr m;
	parse_icmp(out, n, &h, &m);
	return icmp6_tcp_error(&m, e);
}

TEST(icmp6_tcp_error_extracts_the_quoted_segment)
{
	uint8_t out[512];
	struct icmp6_tcp_error e;
	size_t n = error_about_syn(out, ICMP6_PACKET_TOO_BIG, 0, 1400, NULL, 0, 1280);
	ASSERT_EQ(read_error(out, n, &e), 0);
	ASSERT_EQ(e.kind, ICMP6_KIND_PMTU);
	ASSERT_EQ(e.err, -EMSGSIZE);
	ASSERT_EQ(e.mtu, 1400);
	ASSERT(ipv6_addr_eq(&e.laddr, &A1));
	ASSERT(ipv6_addr_eq(&e.faddr, &A2));
	ASSERT_EQ(e.lport, 54844);
	ASSERT_EQ(e.fport, 5599);
	ASSERT_EQ(e.seq, 0x528aa8f8);
	/* Through a Hop-by-Hop and a Destination Options header (0xff
	 * marks the first byte as "HBH follows"). */
	const uint8_t ext[] = {0xff, IPPROTO_DSTOPTS_, 0, 1, 4, 0, 0, 0, 0,
			       IPPROTO_TCP_, 0, 1, 4, 0, 0, 0, 0};
	n = error_about_syn(out, ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT, 0, ext, sizeof ext, 1280);
	ASSERT_EQ(read_error(out, n, &e), 0);
	ASSERT_EQ(e.kind, ICMP6_KIND_HARD);
	ASSERT_EQ(e.err, -ECONNREFUSED);
	ASSERT_EQ(e.mtu, 0);
	ASSERT_EQ(e.lport, 54844);
	ASSERT_EQ(e.seq, 0x528aa8f8);
	/* Cut to exactly 8 bytes of TCP: enough. 7: not. */
	n = error_about_syn(out, ICMP6_TIME_EXCEEDED, 0, 0, ext, sizeof ext, 40 + 16 + 8);
	ASSERT_EQ(read_error(out, n, &e), 0);
	ASSERT_EQ(e.kind, ICMP6_KIND_HARD);
	ASSERT_EQ(e.err, -EHOSTUNREACH);
	ASSERT_EQ(e.fport, 5599);
	n = error_about_syn(out, ICMP6_TIME_EXCEEDED, 0, 0, ext, sizeof ext, 40 + 16 + 7);
	ASSERT_EQ(read_error(out, n, &e), -1);
	n = error_about_syn(out, ICMP6_TIME_EXCEEDED, 0, 0, ext, sizeof ext, 40 + 12);
	ASSERT_EQ(read_error(out, n, &e), -1);
	n = error_about_syn(out, ICMP6_TIME_EXCEEDED, 0, 0, NULL, 0, 39 + 8);
	ASSERT_EQ(read_error(out, n, &e), -1);
}

TEST(icmp6_tcp_error_refuses_what_is_not_tcp)
{
	uint8_t p[256];
	struct icmp6_tcp_error e;
	/* The kernel's port unreachable quotes UDP. */
	size_t n = unhex(kernel_unreach, p);
	ASSERT_EQ(read_error(p, n, &e), -1);
	/* An echo (informational) is no error. */
	n = unhex(kernel_na, p);
	ASSERT_EQ(read_error(p, n, &e), -1);
	struct icmp6_hdr m = {.type = ICMP6_ECHO_REPLY};
	ASSERT_EQ(icmp6_tcp_error(&m, &e), -1);
	/* A quote that is not IPv6. */
	uint8_t v4[48] = {0x45};
	m = (struct icmp6_hdr){.type = ICMP6_DST_UNREACH, .body = v4, .body_len = sizeof v4};
	ASSERT_EQ(icmp6_tcp_error(&m, &e), -1);
}

TEST(icmp6_error_kinds_mirror_the_ipv4_path)
{
	const struct {
		uint8_t type, code;
		enum icmp6_err_kind kind;
		int err;
	} t[] = {
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_NOROUTE, ICMP6_KIND_SOFT, -ENETUNREACH},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_ADMIN, ICMP6_KIND_HARD, -ECONNREFUSED},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_BEYOND_SCOPE, ICMP6_KIND_SOFT, -EHOSTUNREACH},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_ADDR, ICMP6_KIND_SOFT, -EHOSTUNREACH},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT, ICMP6_KIND_HARD, -ECONNREFUSED},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_POLICY, ICMP6_KIND_HARD, -ECONNREFUSED},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_REJECT_ROUTE, ICMP6_KIND_HARD, -ECONNREFUSED},
		{ICMP6_DST_UNREACH, ICMP6_UNREACH_SRCRT, ICMP6_KIND_SOFT, -EHOSTUNREACH},
		{ICMP6_DST_UNREACH, 99, ICMP6_KIND_SOFT, -EHOSTUNREACH},
		{ICMP6_PACKET_TOO_BIG, 0, ICMP6_KIND_PMTU, -EMSGSIZE},
		{ICMP6_TIME_EXCEEDED, ICMP6_TIME_HOPLIMIT, ICMP6_KIND_HARD, -EHOSTUNREACH},
		{ICMP6_TIME_EXCEEDED, ICMP6_TIME_REASM, ICMP6_KIND_HARD, -EHOSTUNREACH},
		{ICMP6_PARAM_PROB, ICMP6_PARAM_HEADER, ICMP6_KIND_SOFT, -EPROTO},
		{ICMP6_PARAM_PROB, ICMP6_PARAM_NEXTHDR, ICMP6_KIND_HARD, -ECONNREFUSED},
		{ICMP6_PARAM_PROB, ICMP6_PARAM_OPTION, ICMP6_KIND_SOFT, -EPROTO},
		{ICMP6_PARAM_PROB, ICMP6_PARAM_FIRSTFRAG, ICMP6_KIND_SOFT, -EPROTO},
		{0, 0, ICMP6_KIND_IGNORE, 0},
		{100, 0, ICMP6_KIND_IGNORE, 0},
		{127, 0, ICMP6_KIND_IGNORE, 0},
		{ICMP6_ECHO_REQUEST, 0, ICMP6_KIND_IGNORE, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int err = 12345;
		ASSERT_EQ(icmp6_error_kind(t[i].type, t[i].code, &err), t[i].kind);
		ASSERT_EQ(err, t[i].err);
	}
}

TEST(icmp6_packet_too_big_mtu_floor)
{
	/* RFC 8201 4: never below 1280, whatever the message says; the MSS
	 * follows at MTU - 60. */
	ASSERT_EQ(icmp6_ptb_mtu(0), 1280);
	ASSERT_EQ(icmp6_ptb_mtu(68), 1280);
	ASSERT_EQ(icmp6_ptb_mtu(1279), 1280);
	ASSERT_EQ(icmp6_ptb_mtu(1280), 1280);
	ASSERT_EQ(icmp6_ptb_mtu(1400), 1400);
	ASSERT_EQ(icmp6_ptb_mtu(0xffffffffu), 0xffffffffu);
	uint8_t out[512];
	struct icmp6_tcp_error e;
	size_t n = error_about_syn(out, ICMP6_PACKET_TOO_BIG, 0, 576, NULL, 0, 1280);
	ASSERT_EQ(read_error(out, n, &e), 0);
	ASSERT_EQ(e.mtu, 1280);
	ASSERT_EQ(ipv6_mss_for_mtu(e.mtu), 1220);
	n = error_about_syn(out, ICMP6_PACKET_TOO_BIG, 0, 1480, NULL, 0, 1280);
	ASSERT_EQ(read_error(out, n, &e), 0);
	ASSERT_EQ(ipv6_mss_for_mtu(e.mtu), 1420);
}

TEST(icmp6_ratelimit_token_bucket)
{
	struct icmp6_ratelimit rl;
	/* 10 a second, bursts of 3, from t = 5 s. */
	uint64_t t = 5000000;
	icmp6_ratelimit_init(&rl, 10, 3, t);
	ASSERT(icmp6_ratelimit_allow(&rl, t));
	ASSERT(icmp6_ratelimit_allow(&rl, t));
	ASSERT(icmp6_ratelimit_allow(&rl, t));
	ASSERT(!icmp6_ratelimit_allow(&rl, t));
	ASSERT_EQ(rl.sent, 3);
	ASSERT_EQ(rl.limited, 1);
	/* A token every 100 ms: 99,999 us is not enough, 100,000 is. */
	ASSERT(!icmp6_ratelimit_allow(&rl, t + 99999));
	ASSERT(icmp6_ratelimit_allow(&rl, t + 100000));
	ASSERT(!icmp6_ratelimit_allow(&rl, t + 150000));
	ASSERT(icmp6_ratelimit_allow(&rl, t + 200000));
	/* A long quiet fills the bucket, no more. */
	t += 3600ull * 1000000;
	for (int i = 0; i < 3; i++)
		ASSERT(icmp6_ratelimit_allow(&rl, t));
	ASSERT(!icmp6_ratelimit_allow(&rl, t));
	/* A clock that goes back refills nothing and is not believed. */
	ASSERT(!icmp6_ratelimit_allow(&rl, t - 1000000));
	ASSERT(!icmp6_ratelimit_allow(&rl, t + 50000));
	ASSERT(icmp6_ratelimit_allow(&rl, t + 100000));
	ASSERT_EQ(rl.sent, 3 + 2 + 3 + 1);
	ASSERT_EQ(rl.limited, 1 + 2 + 1 + 2);
	/* Over one second of steady overload, rate + burst get through. */
	icmp6_ratelimit_init(&rl, ICMP6_RATE_PER_S_DEFAULT, ICMP6_BURST_DEFAULT, 0);
	unsigned ok = 0;
	for (uint64_t us = 0; us < 1000000; us += 100)
		ok += icmp6_ratelimit_allow(&rl, us);
	ASSERT_GE(ok, 1000 + 50 - 1);
	ASSERT_LE(ok, 1000 + 50);
	/* Huge gaps at the end of the clock do not overflow. */
	icmp6_ratelimit_init(&rl, 4000000000u, 4000000000u, 0);
	ASSERT(icmp6_ratelimit_allow(&rl, UINT64_MAX));
	ASSERT_EQ(rl.level, 4000000000ull * 1000000 - 1000000);
	/* Rate 0 is no limit; burst 0 is taken as 1. */
	icmp6_ratelimit_init(&rl, 0, 0, 0);
	for (int i = 0; i < 1000; i++)
		ASSERT(icmp6_ratelimit_allow(&rl, 0));
	ASSERT_EQ(rl.limited, 0);
	icmp6_ratelimit_init(&rl, 1, 0, 0);
	ASSERT(icmp6_ratelimit_allow(&rl, 0));
	ASSERT(!icmp6_ratelimit_allow(&rl, 0));
	ASSERT(icmp6_ratelimit_allow(&rl, 1000000));
}
