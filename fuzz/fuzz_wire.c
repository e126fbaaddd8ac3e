/* libFuzzer target: the wire parsers on arbitrary bytes -- ipv4_parse
 * (RFC 791), tcp_parse with its options (RFC 9293 3.1, RFC 7323, RFC 2018)
 * and icmp_parse (RFC 792). A parse that succeeds must describe the bytes it
 * was given: lengths within the buffer, option values in range; and what it
 * parsed must survive emission and a second parse unchanged.
 *
 * Input: byte 0 picks the parser (bits 1-0: IPv4, TCP, ICMP, all three) and
 * whether the checksums are made right first (bit 2; else most inputs stop
 * at the checksum); the rest is the packet.
 */
#include "fuzz_peer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SRC 0x0a000002u
#define DST 0x0a000001u

static void check_ipv4(const uint8_t *p, size_t len)
{
	struct ipv4_hdr h;
	if (ipv4_parse(p, len, &h) != IPV4_OK)
		return;
	if (h.ihl_bytes < IPV4_HDR_MIN || h.ihl_bytes % 4 || h.ihl_bytes > h.total_len ||
	    h.total_len > len)
		fz_fail("ipv4: ihl %u, total %u, buffer %zu", h.ihl_bytes, h.total_len, len);
	if (h.frag_off % 8 || (p[0] >> 4) != 4)
		fz_fail("ipv4: fragment offset %u", h.frag_off);
	/* Emit what was parsed; parsing it again gives the same header. */
	uint8_t out[IPV4_HDR_MIN];
	struct ipv4_hdr e = h, back;
	e.ihl_bytes = IPV4_HDR_MIN;
	e.total_len = IPV4_HDR_MIN;
	ipv4_emit(out, &e);
	if (ipv4_parse(out, sizeof(out), &back) != IPV4_OK)
		fz_fail("ipv4: an emitted header does not parse");
	if (back.tos != h.tos || back.id != h.id || back.df != h.df || back.mf != h.mf ||
	    back.frag_off != h.frag_off || back.ttl != h.ttl || back.proto != h.proto ||
	    back.src != h.src || back.dst != h.dst)
		fz_fail("ipv4: emit and parse changed the header");
}

static bool same_opts(const struct tcp_opts *a, const struct tcp_opts *b, bool syn, uint8_t nsack)
{
	if (a->has_ts != b->has_ts || (a->has_ts && (a->ts_val != b->ts_val || a->ts_ecr != b->ts_ecr)))
		return false;
	if (syn)
		return a->has_mss == b->has_mss && (!a->has_mss || a->mss == b->mss) &&
		       a->has_wscale == b->has_wscale && (!a->has_wscale || a->wscale == b->wscale) &&
		       a->sack_ok == b->sack_ok;
	if (b->nsack != nsack)
		return false;
	for (uint8_t i = 0; i < nsack; i++)
		if (a->sack[i].left != b->sack[i].left || a->sack[i].right != b->sack[i].right)
			return false;
	return true;
}

/* How many SACK blocks the emitter keeps: as many as fit after the other
 * options as tcp_opts_emit() lays them out. Without a signature that is
 * RFC 7323's established layout (3 beside timestamps, else 4); with one,
 * in Linux's layout the 20 bytes after the signature and timestamps, in
 * FreeBSD's, tcp_addoptions() order and alignment (MSS at 0 mod 4, window
 * scale at 1 mod 2, SACK-permitted at 0 mod 2, timestamps, signature and
 * SACK at 2 mod 4), the signature left out when it does not fit. */
static uint8_t sacks_that_fit(const struct tcp_opts *o, bool linux_layout)
{
	if (!o->has_sig) {
		uint8_t most = o->has_ts ? 3 : 4;
		return o->nsack > most ? most : o->nsack;
	}
	if (linux_layout) {
		/* Linux's tcp_options_write(): nop,nop,md5 first, then
		 * nop,nop,TS, then the blocks in what is left. */
		int room = TCP_OPT_MAX - 20 - (o->has_ts ? 12 : 0);
		int fit = room >= 12 ? (room - 4) / 8 : 0;
		return o->nsack < fit ? o->nsack : (uint8_t)fit;
	}
	int n = 0;
	if (o->has_mss)
		n = (n + 3) / 4 * 4 + 4;
	if (o->has_wscale) {
		while (!(n && n % 2 == 1))
			n++;
		n += 3;
	}
	if (o->sack_ok)
		n += n % 2 + 2;
	if (o->has_ts) {
		while (!(n && n % 4 == 2))
			n++;
		n += 10;
	}
	while (!(n && n % 4 == 2))
		n++;
	if (TCP_OPT_MAX - n >= 18)
		n += 18;
	if (!o->nsack)
		return 0;
	while (!(n && n % 4 == 2))
		n++;
	int fit = TCP_OPT_MAX - n >= 10 ? (TCP_OPT_MAX - n - 2) / 8 : 0;
	return o->nsack < fit ? o->nsack : (uint8_t)fit;
}

static void check_tcp(const uint8_t *p, size_t len)
{
	struct tcp_hdr h;
	if (tcp_parse(p, len, SRC, DST, &h) != TCP_OK)
		return;
	const struct tcp_opts *o = &h.opts;
	if (h.doff_bytes < TCP_HDR_MIN || h.doff_bytes % 4 || h.doff_bytes > len ||
	    h.doff_bytes > TCP_HDR_MIN + TCP_OPT_MAX)
		fz_fail("tcp: data offset %u in %zu bytes", h.doff_bytes, len);
	if (o->nsack > TCP_MAX_SACK || (o->has_wscale && o->wscale > 14))
		fz_fail("tcp: %u SACK blocks, wscale %u", o->nsack, o->wscale);
	if (h.flags != p[13] || h.seq != fz_be32(p + 4) || h.ack != fz_be32(p + 8))
		fz_fail("tcp: header fields differ from the bytes");
	/* Emit the parsed header and options with the same payload. */
	static uint8_t seg[TCP_HDR_MIN + TCP_OPT_MAX + 65536];
	uint8_t ob[TCP_OPT_MAX];
	bool syn = h.flags & TH_SYN;
	size_t olen = tcp_opts_emit(ob, o, syn, (p[0] & 1) ? TCP_SYNOPT_FREEBSD : TCP_SYNOPT_LINUX);
	size_t plen = len - h.doff_bytes;
	struct tcp_hdr e = h;
	e.doff_bytes = (uint8_t)(TCP_HDR_MIN + olen);
	if (e.doff_bytes + plen > UINT16_MAX)
		return;
	memcpy(seg + e.doff_bytes, p + h.doff_bytes, plen);
	tcp_emit(seg, &e, ob, olen, plen, SRC, DST);
	struct tcp_hdr back;
	if (tcp_parse(seg, e.doff_bytes + plen, SRC, DST, &back) != TCP_OK)
		fz_fail("tcp: an emitted segment does not parse");
	/* Malformed options are ignored on the way in, never written. */
	if (back.opts.bad_opts)
		fz_fail("tcp: an emitted segment has %u malformed options", back.opts.bad_opts);
	/* Without SYN, the emitter keeps as many SACK blocks as fit. */
	uint8_t nsack = sacks_that_fit(o, !(p[0] & 1));
	if (back.sport != h.sport || back.dport != h.dport || back.seq != h.seq ||
	    back.ack != h.ack || back.flags != h.flags || back.win != h.win || back.urg != h.urg ||
	    !same_opts(o, &back.opts, syn, nsack))
		fz_fail("tcp: emit and parse changed the segment");
}

static void check_icmp(const uint8_t *p, size_t len)
{
	struct icmp_hdr h;
	if (icmp_parse(p, len, &h) != 0)
		return;
	if (h.body != p + 8 || h.body_len != len - 8 || h.type != p[0] || h.code != p[1])
		fz_fail("icmp: body %p+%zu for %p+%zu", (const void *)h.body, h.body_len,
			(const void *)p, len);
	/* Emitting the same type, code, second word and body gives the bytes. */
	static uint8_t out[65536 + 8];
	if (len > sizeof(out))
		return;
	size_t n = icmp_emit(out, h.type, h.code, fz_be32(p + 4), h.body, h.body_len);
	/* RFC 1071: 0x0000 and 0xffff are the same sum; either may be sent. */
	bool sum_ok = (out[2] == p[2] && out[3] == p[3]) ||
		      ((out[2] & out[3]) == 0xff && (p[2] | p[3]) == 0) ||
		      ((p[2] & p[3]) == 0xff && (out[2] | out[3]) == 0);
	if (n != len || memcmp(out, p, 2) != 0 || memcmp(out + 4, p + 4, len - 4) != 0 || !sum_ok)
		fz_fail("icmp: emit does not give back the message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 17];
	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	uint8_t mode = data[0];
	size_t len = size - 1;
	memcpy(buf, data + 1, len);
	switch (mode & 3) {
	case 0:
		if (mode & 4)
			fz_fix_packet(buf, len);
		check_ipv4(buf, len);
		break;
	case 1:
		if (mode & 4)
			fz_fix_tcp(buf, len, SRC, DST);
		check_tcp(buf, len);
		break;
	case 2:
		if (mode & 4)
			fz_fix_icmp(buf, len);
		check_icmp(buf, len);
		break;
	default: {
		/* A whole IPv4 packet, then whatever it carries. */
		if (mode & 4)
			fz_fix_packet(buf, len);
		struct ipv4_hdr h;
		if (ipv4_parse(buf, len, &h) != IPV4_OK)
			break;
		check_ipv4(buf, len);
		const uint8_t *pl = buf + h.ihl_bytes;
		size_t pll = (size_t)h.total_len - h.ihl_bytes;
		if (h.proto == IPPROTO_TCP_) {
			struct tcp_hdr th;
			if (tcp_parse(pl, pll, h.src, h.dst, &th) == TCP_OK && th.doff_bytes > pll)
				fz_fail("tcp in ipv4: data offset past the payload");
		} else if (h.proto == IPPROTO_ICMP_) {
			check_icmp(pl, pll);
		}
		break;
	}
	}
	return 0;
}
