/* libFuzzer target: the IPv6 wire layer on arbitrary bytes -- ipv6_parse and
 * the extension-header walk (RFC 8200 3-4), icmp6_parse, the echo reply,
 * errors read for TCP and built about bad packets (RFC 4443), the rate
 * limit (2.4(f)), and TCP over the IPv6 pseudo-header. What a parse accepts
 * must describe the bytes it was given and survive emit + parse; a drop has
 * one reason and one counter; an error we would build about a packet must
 * parse, fit in 1280 bytes, and never be about an ICMPv6 error.
 *
 * Input: byte 0 picks the mode (bits 1-0: a whole packet; an ICMPv6
 * message alone; an ICMPv6 error's body, i.e. a quoted packet, with the
 * rate limiter fed from the same bytes; a whole packet and the ICMPv6
 * errors and replies it calls for) and whether lengths and checksums are
 * made right first (bit 2; else most inputs stop at them); the rest is the
 * packet.
 */
#include "fuzz_peer.h"
#include "wire/icmp6.h"
#include "wire/ipv6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct gt_in6_addr LOCAL = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr PEER = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

static void store_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Lengths and checksums made right: version 6, the payload length of the
 * buffer, and the upper layer's checksum where the walk finds TCP, UDP or
 * ICMPv6. */
static void fix_packet(uint8_t *p, size_t len)
{
	if (len < IPV6_HDR_LEN)
		return;
	p[0] = (uint8_t)(0x60 | (p[0] & 0x0f));
	size_t plen = len - IPV6_HDR_LEN > 65535 ? 65535 : len - IPV6_HDR_LEN;
	store_be16(p + 4, (uint16_t)plen);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	if (ipv6_parse_packet(p, len, &h, &c) != IPV6_OK)
		return;
	uint8_t *l4 = p + c.l4_off;
	size_t at = c.proto == IPPROTO_TCP_ ? 16 : c.proto == IPPROTO_UDP_ ? 6 : 2;
	if ((c.proto != IPPROTO_TCP_ && c.proto != IPPROTO_UDP_ && c.proto != IPPROTO_ICMPV6_) ||
	    c.l4_len < at + 2)
		return;
	store_be16(l4 + at, 0);
	store_be16(l4 + at, ipv6_csum(&h.src, &h.dst, c.proto, l4, c.l4_len));
}

static void check_icmp6(const uint8_t *msg, size_t len, const struct ipv6_hdr *ip, bool build);

static void check_tcp6(const uint8_t *seg, size_t len, const struct ipv6_hdr *ip)
{
	struct tcp_hdr t;
	if (ipv6_tcp_parse(seg, len, &ip->src, &ip->dst, &t, true) != TCP_OK)
		return;
	if (t.doff_bytes < TCP_HDR_MIN || t.doff_bytes > len)
		fz_fail("tcp6: data offset %u in %zu bytes", t.doff_bytes, len);
	/* Emitted again with its options and payload: the checksum is right
	 * over the IPv6 pseudo-header, and the fields come back. */
	static uint8_t out[TCP_HDR_MIN + TCP_OPT_MAX + 65536];
	uint8_t ob[TCP_OPT_MAX];
	size_t olen = tcp_opts_emit(ob, &t.opts, t.flags & TH_SYN, TCP_SYNOPT_LINUX);
	size_t plen = len - t.doff_bytes;
	struct tcp_hdr e = t;
	e.doff_bytes = (uint8_t)(TCP_HDR_MIN + olen);
	if (e.doff_bytes + plen > UINT16_MAX)
		return;
	memcpy(out + e.doff_bytes, seg + t.doff_bytes, plen);
	ipv6_tcp_emit(out, &e, ob, olen, plen, &ip->src, &ip->dst);
	if (ipv6_csum(&ip->src, &ip->dst, IPPROTO_TCP_, out, e.doff_bytes + plen) != 0)
		fz_fail("tcp6: an emitted segment's checksum is wrong");
	struct tcp_hdr back;
	if (ipv6_tcp_parse(out, e.doff_bytes + plen, &ip->src, &ip->dst, &back, true) != TCP_OK ||
	    back.sport != t.sport || back.dport != t.dport || back.seq != t.seq ||
	    back.ack != t.ack || back.flags != t.flags || back.win != t.win)
		fz_fail("tcp6: emit and parse changed the segment");
}

/* A whole packet: parse, walk, count; then what it carries. */
static void check_packet(const uint8_t *p, size_t len, bool build)
{
	struct ipv6_hdr h;
	struct ipv6_chain c;
	enum ipv6_drop r = ipv6_parse_packet(p, len, &h, &c);
	if ((unsigned)r >= IPV6_DROP_COUNT || strcmp(ipv6_drop_str(r), "?") == 0 ||
	    (unsigned)ipv6_drop_stat(r) >= IP6_STAT_COUNT)
		fz_fail("ipv6: reason %d", (int)r);
	/* One packet: one receive, one reason, the fragment counts. */
	struct ip6_stats st = {0};
	IPV6_COUNT_INPUT(&st, r, &c);
	const uint64_t *f = (const uint64_t *)&st;
	uint64_t total = 0;
	for (int i = 0; i < IP6_STAT_COUNT; i++)
		total += f[i];
	uint64_t want = 1 + (r != IPV6_OK) + c.frag + (c.frag && r == IPV6_OK);
	if (total != want || st.Ip6InReceives != 1)
		fz_fail("ipv6: %llu counts for reason %s", (unsigned long long)total,
			ipv6_drop_str(r));
	if (r == IPV6_ERR_TRUNCATED || r == IPV6_ERR_VERSION || r == IPV6_ERR_PAYLOAD_LEN)
		return;
	size_t end = IPV6_HDR_LEN + (size_t)h.payload_len;
	if (end > len)
		fz_fail("ipv6: payload %u past %zu bytes", h.payload_len, len);
	/* The fixed header survives emit and parse. */
	uint8_t hdr[IPV6_HDR_LEN];
	struct ipv6_hdr back;
	ipv6_emit(hdr, &h);
	if (memcmp(hdr, p, IPV6_HDR_LEN) != 0)
		fz_fail("ipv6: emit does not give back the header");
	struct ipv6_hdr e = h;
	e.payload_len = 0;
	ipv6_emit(hdr, &e);
	if (ipv6_parse(hdr, sizeof hdr, &back) != r && r <= IPV6_ERR_DST_INVALID)
		fz_fail("ipv6: the emitted header parses differently");

	if (r == IPV6_OK) {
		if (c.l4_off < IPV6_HDR_LEN || c.l4_off + c.l4_len != end || c.n_ext > IPV6_EXT_MAX ||
		    c.nh_off >= c.l4_off || p[c.nh_off] != c.proto || c.icmp_type)
			fz_fail("ipv6: walk ends at %u+%u (nh %u), payload ends at %zu", c.l4_off,
				c.l4_len, c.nh_off, end);
		/* The lenient follower agrees with the walk where the walk passed. */
		uint8_t proto;
		size_t off;
		if (ipv6_skip_chain(p, end, &proto, &off) != 0 || proto != c.proto ||
		    off != c.l4_off)
			fz_fail("ipv6: skip_chain and walk disagree");
		if (c.proto == IPPROTO_TCP_)
			check_tcp6(p + c.l4_off, c.l4_len, &h);
		else if (c.proto == IPPROTO_UDP_ &&
			 ipv6_udp_csum_ok(&h.src, &h.dst, p + c.l4_off, c.l4_len) &&
			 (ipv6_csum(&h.src, &h.dst, IPPROTO_UDP_, p + c.l4_off, c.l4_len) != 0 ||
			  (p[c.l4_off + 6] | p[c.l4_off + 7]) == 0))
			fz_fail("udp6: a checksum passed that is wrong or zero");
		else if (c.proto == IPPROTO_ICMPV6_)
			check_icmp6(p + c.l4_off, c.l4_len, &h, build);
		return;
	}
	if (c.icmp_type) {
		/* A Parameter Problem (RFC 8200 4) pointing inside the packet
		 * at what it names. */
		uint8_t at = c.icmp_pointer < end ? p[c.icmp_pointer] : 0;
		if (c.icmp_type != ICMP6_PARAM_PROB || c.icmp_pointer >= end ||
		    (c.icmp_code == ICMP6_PARAM_OPTION && at >> 6 < 2) ||
		    (c.icmp_code == ICMP6_PARAM_NEXTHDR && at != IPPROTO_HOPOPTS_) ||
		    c.icmp_code > ICMP6_PARAM_OPTION)
			fz_fail("ipv6: parameter problem %u/%u at %u", c.icmp_type, c.icmp_code,
				c.icmp_pointer);
		if (!build || icmp6_error_allowed(p, end, c.icmp_type, c.icmp_code) != ICMP6_SEND)
			return;
		static uint8_t out[2048];
		size_t n = icmp6_error_build(out, sizeof out, c.icmp_type, c.icmp_code,
					     c.icmp_pointer, p, end, &LOCAL, 64);
		struct ipv6_hdr eh;
		struct ipv6_chain ec;
		struct icmp6_hdr m;
		if (n == 0 || n > IPV6_MIN_MTU || ipv6_parse_packet(out, n, &eh, &ec) != IPV6_OK ||
		    ec.proto != IPPROTO_ICMPV6_ ||
		    icmp6_parse(out + ec.l4_off, ec.l4_len, &eh.src, &eh.dst, &m) != ICMP6_OK ||
		    m.type != c.icmp_type || m.code != c.icmp_code || m.pointer != c.icmp_pointer ||
		    !ipv6_addr_eq(&eh.dst, &h.src))
			fz_fail("icmp6: the parameter problem built (%zu bytes) is wrong", n);
		/* RFC 4443 2.4(e.1): never an error about that error. */
		if (icmp6_error_allowed(out, n, ICMP6_PARAM_PROB, 0) != ICMP6_NO_ABOUT_ERROR)
			fz_fail("icmp6: an error about an error would be allowed");
	}
}

/* An ICMPv6 error's body: what the TCP layer would read from it. */
static void check_quote(const struct icmp6_hdr *m)
{
	struct icmp6_tcp_error e;
	if (icmp6_tcp_error(m, &e) != 0)
		return;
	uint8_t proto;
	size_t off;
	if (!icmp6_is_error(m->type) || ipv6_skip_chain(m->body, m->body_len, &proto, &off) != 0 ||
	    proto != IPPROTO_TCP_ || off + 8 > m->body_len)
		fz_fail("icmp6: a TCP error read from a quote that is not TCP");
	const uint8_t *t = m->body + off;
	if (memcmp(e.laddr.b, m->body + 8, 16) || memcmp(e.faddr.b, m->body + 24, 16) ||
	    e.lport != (t[0] << 8 | t[1]) || e.fport != (t[2] << 8 | t[3]) ||
	    e.seq != fz_be32(t + 4))
		fz_fail("icmp6: the quoted tuple differs from the bytes");
	if ((e.kind == ICMP6_KIND_PMTU) != (m->type == ICMP6_PACKET_TOO_BIG) || e.err > 0 ||
	    (e.kind == ICMP6_KIND_PMTU && (e.mtu < IPV6_MIN_MTU || e.mtu < m->mtu)) ||
	    (e.kind != ICMP6_KIND_PMTU && e.mtu) || (e.kind != ICMP6_KIND_IGNORE && e.err == 0))
		fz_fail("icmp6: kind %d err %d mtu %u for %u/%u", (int)e.kind, e.err, e.mtu,
			m->type, m->code);
}

static void check_icmp6(const uint8_t *msg, size_t len, const struct ipv6_hdr *ip, bool build)
{
	struct icmp6_hdr m;
	if (icmp6_parse(msg, len, &ip->src, &ip->dst, &m) != ICMP6_OK)
		return;
	if (m.body != msg + ICMP6_HDR_LEN || m.body_len != len - ICMP6_HDR_LEN ||
	    m.type != msg[0] || m.code != msg[1])
		fz_fail("icmp6: body %zu for %zu bytes", m.body_len, len);
	/* The same type, code, word and body give back the message. */
	static uint8_t out[65536 + 64];
	if (len > sizeof out - IPV6_HDR_LEN)
		return;
	size_t n = icmp6_emit(out, m.type, m.code, fz_be32(msg + 4), m.body, m.body_len, &ip->src,
			      &ip->dst);
	bool sum_ok = (out[2] == msg[2] && out[3] == msg[3]) ||
		      ((out[2] & out[3]) == 0xff && (msg[2] | msg[3]) == 0) ||
		      ((msg[2] & msg[3]) == 0xff && (out[2] | out[3]) == 0);
	if (n != len || memcmp(out, msg, 2) != 0 || memcmp(out + 4, msg + 4, len - 4) != 0 ||
	    !sum_ok)
		fz_fail("icmp6: emit does not give back the message");
	check_quote(&m);
	if (!build || m.type != ICMP6_ECHO_REQUEST || len > UINT16_MAX)
		return;
	/* RFC 4443 4.2: the reply carries the request's data back whole. */
	const struct gt_in6_addr *from = ipv6_addr_is_multicast(&ip->dst) ? &LOCAL : &ip->dst;
	n = icmp6_echo_reply(out, sizeof out, ip, &m, from, 64);
	struct ipv6_hdr rh;
	struct ipv6_chain rc;
	struct icmp6_hdr rm;
	if (n != IPV6_HDR_LEN + len || ipv6_parse_packet(out, n, &rh, &rc) != IPV6_OK ||
	    icmp6_parse(out + rc.l4_off, rc.l4_len, &rh.src, &rh.dst, &rm) != ICMP6_OK ||
	    rm.type != ICMP6_ECHO_REPLY || rm.id != m.id || rm.seq != m.seq ||
	    rm.body_len != m.body_len || memcmp(rm.body, m.body, m.body_len) != 0 ||
	    !ipv6_addr_eq(&rh.dst, &ip->src))
		fz_fail("icmp6: the echo reply (%zu bytes) is wrong", n);
}

/* The rate limit driven by the input: every 3 bytes a step of the clock
 * (up to 2^24 us) and a request. It never lets through more than the
 * burst plus what the elapsed time earned. */
static void check_ratelimit(const uint8_t *p, size_t len)
{
	if (len < 4)
		return;
	uint32_t rate = (uint32_t)p[0] * 40, burst = 1 + p[1] % 64; /* rate 0: no limit */
	struct icmp6_ratelimit rl;
	uint64_t t0 = (uint64_t)p[2] << 40, now = t0;
	icmp6_ratelimit_init(&rl, rate, burst, now);
	for (size_t i = 3; i + 3 <= len; i += 3) {
		now += (uint64_t)p[i] << 16 | (uint64_t)p[i + 1] << 8 | p[i + 2];
		icmp6_ratelimit_allow(&rl, now);
		uint64_t earned = burst + (now - t0) * rate / 1000000;
		if ((rate && rl.sent > earned) || rl.level > (uint64_t)burst * 1000000 ||
		    rl.sent + rl.limited != (i - 3) / 3 + 1)
			fz_fail("ratelimit: %llu sent, %llu earned", (unsigned long long)rl.sent,
				(unsigned long long)earned);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > (1 << 17))
		return 0;
	uint8_t mode = data[0];
	size_t len = size - 1;
	/* A heap block of exactly the packet's size: ASan sees any read past
	 * its end (a static buffer would hide it). */
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	bool fix = mode & 4;
	switch (mode & 3) {
	case 0:
	case 3:
		if (fix)
			fix_packet(buf, len);
		check_packet(buf, len, (mode & 3) == 3);
		break;
	case 1: {
		/* An ICMPv6 message alone, from PEER to LOCAL. */
		struct ipv6_hdr ip = {.src = PEER, .dst = LOCAL};
		if (fix && len >= 4 && len <= 65535) {
			store_be16(buf + 2, 0);
			store_be16(buf + 2, ipv6_csum(&PEER, &LOCAL, IPPROTO_ICMPV6_, buf, len));
		}
		check_icmp6(buf, len, &ip, true);
		break;
	}
	default: {
		/* A quoted packet under each error type. */
		const uint8_t types[] = {ICMP6_DST_UNREACH, ICMP6_PACKET_TOO_BIG,
					 ICMP6_TIME_EXCEEDED, ICMP6_PARAM_PROB};
		struct icmp6_hdr m = {.type = types[(mode >> 3) & 3], .code = mode >> 5,
				      .mtu = fix ? 0 : 1400, .body = buf, .body_len = len};
		check_quote(&m);
		for (uint8_t t = 0; t < 4; t++)
			(void)icmp6_error_allowed(buf, len, types[t], mode >> 5);
		check_ratelimit(buf, len);
		break;
	}
	}
	free(buf);
	return 0;
}
