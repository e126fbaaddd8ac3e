/* TCP header and options on the wire: RFC 9293 3.1 (header, checksum,
 * option syntax), RFC 9293 3.2 (MSS), RFC 7323 2-3 (window scale,
 * timestamps), RFC 2018 2-3 (SACK-permitted, SACK). Option bytes are laid
 * out as Linux or FreeBSD lay them, so traces compare byte for byte. */
#include "wire/tcp_wire.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "util/be.h"
#include "util/checksum.h"
#include "wire/ipv4.h"

#define OPT_EOL 0
#define OPT_NOP 1
#define OPT_MSS 2
#define OPT_WSCALE 3
#define OPT_SACK_PERM 4
#define OPT_SACK 5
#define OPT_TS 8

#define OLEN_MSS 4
#define OLEN_WSCALE 3
#define OLEN_SACK_PERM 2
#define OLEN_SACK_BLOCK 8
#define OLEN_TS 10

/* RFC 7323 2.3: a shift above 14 is used as 14. */
#define WSCALE_MAX 14

/* RFC 7413 4.1.1's cookie, as Linux's tcp_parse_fastopen_option() takes
 * it: 4 to 16 bytes and even, or none (a request); any other length is a
 * bad one (foc->len -1), never a request. The last option counts. */
static void fo_take(struct tcp_opts *o, const uint8_t *cookie, unsigned len, bool exp)
{
	o->has_fo = true;
	o->fo_exp = exp;
	o->fo_bad = len != 0 && (len < TCP_FO_COOKIE_MIN || len > TCP_FO_COOKIE_MAX || (len & 1));
	o->fo_len = o->fo_bad ? 0 : (uint8_t)len;
	memcpy(o->fo, cookie, o->fo_len);
}

/* Records one option whose kind and length bytes are known to be in bounds
 * and whose length covers exactly its bytes; false for a known option of
 * the wrong size, which is ignored: Linux's tcp_parse_options() takes each
 * only when `opsize == TCPOLEN_...` (SACK: opsize >= 10 and (opsize - 2) %
 * 8 == 0), FreeBSD's tcp_dooptions() `continue`s past one whose optlen is
 * not its TCPOLEN_... (SACK: optlen > 2 and (optlen - 2) % 8 == 0). */
static bool parse_one(const uint8_t *p, uint8_t olen, struct tcp_opts *o)
{
	switch (p[0]) {
	case OPT_MSS:
		if (olen != OLEN_MSS)
			return false;
		o->has_mss = true;
		o->mss = get_be16(p + 2);
		return true;
	case OPT_WSCALE:
		if (olen != OLEN_WSCALE)
			return false;
		o->has_wscale = true;
		/* RFC 7323 2.3: "MUST use 14 instead of the specified value";
		 * clamped here so no caller can shift by more. */
		o->wscale = p[2] > WSCALE_MAX ? WSCALE_MAX : p[2];
		return true;
	case OPT_SACK_PERM:
		if (olen != OLEN_SACK_PERM)
			return false;
		o->sack_ok = true;
		return true;
	case OPT_SACK: {
		/* RFC 2018 3: length 2 + 8n; 40 bytes of options hold at most 4
		 * (a longer one cannot be in bounds: the last test is for
		 * safety, not a case either kernel has). */
		uint8_t body = olen - 2;
		if (olen < 2 + OLEN_SACK_BLOCK || body % OLEN_SACK_BLOCK != 0 ||
		    body / OLEN_SACK_BLOCK > TCP_MAX_SACK)
			return false;
		/* A second SACK option replaces the first, as Linux's
		 * tcp_parse_options() (TCP_SKB_CB(skb)->sacked: the last
		 * one's offset) and FreeBSD's tcp_dooptions() (to_sacks,
		 * to_nsacks) keep only the last (Linux 6.18 under pktrun
		 * --kernel: tests/pkt/linux/sack-two-options-last-counts.pkt). */
		o->nsack = body / OLEN_SACK_BLOCK;
		for (uint8_t i = 0; i < o->nsack; i++) {
			o->sack[i].left = get_be32(p + 2 + 8 * i);
			o->sack[i].right = get_be32(p + 6 + 8 * i);
		}
		return true;
	}
	case OPT_TS:
		if (olen != OLEN_TS)
			return false;
		o->has_ts = true;
		o->ts_val = get_be32(p + 2);
		o->ts_ecr = get_be32(p + 6);
		return true;
	case TCP_OPT_FASTOPEN:
		fo_take(o, p + 2, olen - 2, false);
		return true;
	case TCP_OPT_EXP:
		/* RFC 6994 3: an experiment is told by its magic number. */
		if (olen >= 4 && get_be16(p + 2) == TCP_FO_EXP_MAGIC)
			fo_take(o, p + 4, olen - 4, true);
		return true;
	default:
		/* RFC 9293 3.1: unknown options are skipped by their length. */
		return true;
	}
}

/* A malformed option does not cost the segment: neither kernel drops one
 * for it. Both stop parsing, keeping what came before, when fewer than 2
 * bytes remain or the length is below 2 or runs past the header (Linux's
 * tcp_parse_options(): `length < 2`, "silly options", "don't parse partial
 * options"; FreeBSD's tcp_dooptions(): `break` on cnt < 2, optlen < 2 or
 * optlen > cnt), and skip a known option of the wrong size (parse_one()).
 * Each such option is counted in o->bad_opts (TcpInBadOpts). */
static void parse_opts(const uint8_t *p, const uint8_t *end, struct tcp_opts *o)
{
	const uint8_t *start = p;
	while (p < end) {
		if (p[0] == OPT_EOL)
			break;
		if (p[0] == OPT_NOP) {
			p++;
			continue;
		}
		/* RFC 9293 3.1 MUST-7: an illegal length leaves the rest
		 * unparseable. */
		if (end - p < 2 || p[1] < 2 || p[1] > end - p) {
			o->bad_opts++;
			break;
		}
		uint8_t olen = p[1];
		if (p[0] == TCP_OPT_SIG && olen == TCP_OLEN_SIG) {
			/* FreeBSD's tcp_dooptions(): TOF_SIGNATURE only with
			 * the right length, another length is passed over. */
			o->has_sig = true;
			o->sig_off = (uint8_t)(TCP_HDR_MIN + (p - start) + 2);
		}
		if (!parse_one(p, olen, o))
			o->bad_opts++;
		p += olen;
	}
}

enum tcp_parse_err tcp_parse(const uint8_t *seg, size_t len, uint32_t src, uint32_t dst,
			     struct tcp_hdr *h)
{
	return tcp_parse_ex(seg, len, src, dst, h, true);
}

enum tcp_parse_err tcp_parse_ex(const uint8_t *seg, size_t len, uint32_t src, uint32_t dst,
				struct tcp_hdr *h, bool verify_csum)
{
	if (len < TCP_HDR_MIN)
		return TCP_ERR_TRUNCATED;
	size_t doff = (size_t)(seg[12] >> 4) * 4;
	if (doff < TCP_HDR_MIN || doff > len)
		return TCP_ERR_DOFF;
	/* The pseudo-header length field is 16 bits; no IPv4 datagram can carry
	 * a longer segment, so one cannot be verified. */
	if (len > UINT16_MAX)
		return TCP_ERR_CHECKSUM;
	/* RFC 9293 3.1: the checksum covers pseudo-header, header and data;
	 * a correct segment sums to 0xffff. One the device vouched for
	 * (--offload) is not summed, nor its pseudo-header. */
	if (verify_csum) {
		uint32_t sum = csum_pseudo_ipv4(src, dst, IPPROTO_TCP_, (uint16_t)len);
		if (csum_fold(csum_partial(seg, len, sum)) != 0)
			return TCP_ERR_CHECKSUM;
	}

	/* Everything but the SACK blocks, which nsack bounds. */
	memset(h, 0, offsetof(struct tcp_hdr, opts.sack));
	h->sport = get_be16(seg);
	h->dport = get_be16(seg + 2);
	h->seq = get_be32(seg + 4);
	h->ack = get_be32(seg + 8);
	h->doff_bytes = (uint8_t)doff;
	h->flags = seg[13];
	h->ae = seg[12] & 1u;
	h->win = get_be16(seg + 14);
	h->urg = get_be16(seg + 18);
	/* The layout nearly every segment of a connection with timestamps
	 * has, RFC 7323 appendix A's nop,nop,TS: read it in one step. */
	if (doff == TCP_HDR_MIN + 12 && get_be32(seg + TCP_HDR_MIN) == 0x0101080au) {
		h->opts.has_ts = true;
		h->opts.ts_val = get_be32(seg + TCP_HDR_MIN + 4);
		h->opts.ts_ecr = get_be32(seg + TCP_HDR_MIN + 8);
		return TCP_OK;
	}
	parse_opts(seg + TCP_HDR_MIN, seg + doff, &h->opts);
	return TCP_OK;
}

static uint8_t *put_mss(uint8_t *p, uint16_t mss)
{
	*p++ = OPT_MSS;
	*p++ = OLEN_MSS;
	return put_be16(p, mss);
}

static uint8_t *put_wscale(uint8_t *p, uint8_t shift)
{
	*p++ = OPT_WSCALE;
	*p++ = OLEN_WSCALE;
	*p++ = shift;
	return p;
}

static uint8_t *put_sack_perm(uint8_t *p)
{
	*p++ = OPT_SACK_PERM;
	*p++ = OLEN_SACK_PERM;
	return p;
}

static uint8_t *put_ts(uint8_t *p, uint32_t val, uint32_t ecr)
{
	*p++ = OPT_TS;
	*p++ = OLEN_TS;
	p = put_be32(p, val);
	return put_be32(p, ecr);
}

/* The Fast Open option as Linux's tcp_options_write() writes it: kind 34
 * (or 254 with the magic), the cookie, and a nop,nop where the length
 * leaves the option 2 bytes short of a word. */
static uint8_t *put_fo(uint8_t *p, const struct tcp_opts *o)
{
	unsigned len = o->fo_len + (o->fo_exp ? 4u : 2u);
	if (o->fo_exp) {
		*p++ = TCP_OPT_EXP;
		*p++ = (uint8_t)len;
		*p++ = TCP_FO_EXP_MAGIC >> 8;
		*p++ = TCP_FO_EXP_MAGIC & 0xff;
	} else {
		*p++ = TCP_OPT_FASTOPEN;
		*p++ = (uint8_t)len;
	}
	memcpy(p, o->fo, o->fo_len);
	p += o->fo_len;
	if ((len & 3) == 2) {
		*p++ = OPT_NOP;
		*p++ = OPT_NOP;
	}
	return p;
}

/* Linux's SYN layout keeps every multi-byte field 4-aligned by pairing
 * sackOK with TS (or a nop,nop in its place) and nop with wscale. */
static uint8_t *syn_linux(uint8_t *p, const struct tcp_opts *o)
{
	if (o->has_mss)
		p = put_mss(p, o->mss);
	if (o->has_ts) {
		if (o->sack_ok) {
			p = put_sack_perm(p);
		} else {
			*p++ = OPT_NOP;
			*p++ = OPT_NOP;
		}
		p = put_ts(p, o->ts_val, o->ts_ecr);
	} else if (o->sack_ok) {
		*p++ = OPT_NOP;
		*p++ = OPT_NOP;
		p = put_sack_perm(p);
	}
	if (o->has_wscale) {
		*p++ = OPT_NOP;
		p = put_wscale(p, o->wscale);
	}
	if (o->has_fo)
		p = put_fo(p, o);
	return p;
}

/* Pads with NOPs until the offset from the start of the options, taken mod
 * modulus, equals rem; the option that follows then lands where FreeBSD
 * puts it (wscale's shift byte and TS's values 4-aligned). */
static uint8_t *nop_until(uint8_t *start, uint8_t *p, unsigned modulus, unsigned rem)
{
	while ((unsigned)(p - start) % modulus != rem)
		*p++ = OPT_NOP;
	return p;
}

/* FreeBSD's SYN layout: mss, wscale, sackOK, TS in that order, each preceded
 * by the NOPs its alignment needs, then EOL and zero padding (RFC 9293 3.1:
 * "the padding is composed of zeros") to a 4-byte boundary. */
static uint8_t *syn_freebsd(uint8_t *start, const struct tcp_opts *o)
{
	uint8_t *p = start;
	if (o->has_mss)
		p = put_mss(p, o->mss);
	if (o->has_wscale) {
		p = nop_until(start, p, 2, 1);
		p = put_wscale(p, o->wscale);
	}
	if (o->sack_ok) {
		p = nop_until(start, p, 2, 0);
		p = put_sack_perm(p);
	}
	if (o->has_ts) {
		p = nop_until(start, p, 4, 2);
		p = put_ts(p, o->ts_val, o->ts_ecr);
	}
	/* tcp_addoptions(): TOF_FASTOPEN last and unaligned (FreeBSD's own
	 * comment there doubts any point in aligning it). */
	if (o->has_fo) {
		*p++ = TCP_OPT_FASTOPEN;
		*p++ = (uint8_t)(2 + o->fo_len);
		memcpy(p, o->fo, o->fo_len);
		p += o->fo_len;
	}
	if ((p - start) % 4)
		*p++ = OPT_EOL;
	while ((p - start) % 4)
		*p++ = 0;
	return p;
}

/* Established segments: nop,nop,TS (RFC 7323 appendix A layout) then
 * nop,nop,SACK with as many blocks as the 40 option bytes still hold
 * (RFC 2018 3: three blocks next to timestamps, four without). */
static uint8_t *established_in(uint8_t *start, const struct tcp_opts *o, size_t max)
{
	uint8_t *p = start;
	if (o->has_ts) {
		*p++ = OPT_NOP;
		*p++ = OPT_NOP;
		p = put_ts(p, o->ts_val, o->ts_ecr);
	}
	size_t room = max - (size_t)(p - start);
	size_t n = o->nsack < TCP_MAX_SACK ? o->nsack : TCP_MAX_SACK;
	if (room < 4 + OLEN_SACK_BLOCK)
		n = 0;
	else if (n > (room - 4) / OLEN_SACK_BLOCK)
		n = (room - 4) / OLEN_SACK_BLOCK;
	if (n == 0)
		return p;
	*p++ = OPT_NOP;
	*p++ = OPT_NOP;
	*p++ = OPT_SACK;
	*p++ = (uint8_t)(2 + n * OLEN_SACK_BLOCK);
	for (size_t i = 0; i < n; i++) {
		p = put_be32(p, o->sack[i].left);
		p = put_be32(p, o->sack[i].right);
	}
	return p;
}

static uint8_t *established(uint8_t *start, const struct tcp_opts *o)
{
	return established_in(start, o, TCP_OPT_MAX);
}

static uint8_t *put_sig(uint8_t *p)
{
	*p++ = OPT_NOP;
	*p++ = OPT_NOP;
	*p++ = TCP_OPT_SIG;
	*p++ = TCP_OLEN_SIG;
	memset(p, 0, TCP_OLEN_SIG - 2);
	return p + TCP_OLEN_SIG - 2;
}

/* Linux's layouts with a signature: tcp_options_write() puts nop,nop,md5
 * first, then the options as without it (SACK blocks as many as the 20
 * bytes left hold); tcp_v4_send_ack() (a TIME_WAIT or request sock's ACK)
 * nop,nop,TS, then nop,nop,md5. */
static uint8_t *linux_with_sig(uint8_t *start, const struct tcp_opts *o, bool syn)
{
	struct tcp_opts r = *o;
	r.has_sig = false;
	if (o->sig_after_ts && !syn) {
		r.nsack = 0;
		return put_sig(established(start, &r));
	}
	uint8_t *p = put_sig(start);
	return syn ? syn_linux(p, &r) : established_in(p, &r, TCP_OPT_MAX - TCP_MD5_OPT_LEN);
}

/* FreeBSD's tcp_addoptions() (tcp_output.c): in the order MSS, window
 * scale, SACK-permitted, timestamps, signature, SACK, each after NOPs that
 * align it (MSS at 0 mod 4, window scale at 1 mod 2, SACK-permitted at 0
 * mod 2, timestamps, signature and SACK at 2 mod 4, never at 0); a
 * signature that no longer fits is left out, SACK blocks as many as fit;
 * then EOL and zeros to 4 bytes. */
static size_t bsd_addoptions(uint8_t *out, const struct tcp_opts *o)
{
	size_t n = 0;
#define PAD_UNTIL(cond) while (!(cond)) out[n++] = OPT_NOP
	if (o->has_mss) {
		PAD_UNTIL(n % 4 == 0);
		out[n++] = OPT_MSS;
		out[n++] = OLEN_MSS;
		put_be16(out + n, o->mss);
		n += 2;
	}
	if (o->has_wscale) {
		PAD_UNTIL(n && n % 2 == 1);
		out[n++] = OPT_WSCALE;
		out[n++] = OLEN_WSCALE;
		out[n++] = o->wscale;
	}
	if (o->sack_ok) {
		PAD_UNTIL(n % 2 == 0);
		out[n++] = OPT_SACK_PERM;
		out[n++] = OLEN_SACK_PERM;
	}
	if (o->has_ts) {
		PAD_UNTIL(n && n % 4 == 2);
		out[n++] = OPT_TS;
		out[n++] = OLEN_TS;
		put_be32(out + n, o->ts_val);
		put_be32(out + n + 4, o->ts_ecr);
		n += 8;
	}
	if (o->has_sig) {
		PAD_UNTIL(n && n % 4 == 2);
		if (TCP_OPT_MAX - n >= TCP_OLEN_SIG) {
			out[n++] = TCP_OPT_SIG;
			out[n++] = TCP_OLEN_SIG;
			memset(out + n, 0, TCP_OLEN_SIG - 2);
			n += TCP_OLEN_SIG - 2;
		}
	}
	if (o->nsack) {
		PAD_UNTIL(n && n % 4 == 2);
		if (TCP_OPT_MAX - n >= 2 + OLEN_SACK_BLOCK) {
			size_t fit = (TCP_OPT_MAX - n - 2) / OLEN_SACK_BLOCK;
			size_t k = o->nsack < fit ? o->nsack : fit;
			out[n++] = OPT_SACK;
			out[n++] = (uint8_t)(2 + k * OLEN_SACK_BLOCK);
			for (size_t i = 0; i < k; i++) {
				put_be32(out + n, o->sack[i].left);
				put_be32(out + n + 4, o->sack[i].right);
				n += OLEN_SACK_BLOCK;
			}
		}
	}
#undef PAD_UNTIL
	if (n % 4)
		out[n++] = OPT_EOL;
	while (n % 4)
		out[n++] = 0;
	return n;
}

int tcp_opts_sig_off(const uint8_t *opts, size_t olen)
{
	for (size_t i = 0; i < olen;) {
		if (opts[i] == OPT_EOL)
			break;
		if (opts[i] == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= olen || opts[i + 1] < 2)
			break;
		if (opts[i] == TCP_OPT_SIG && opts[i + 1] == TCP_OLEN_SIG)
			return (int)(i + 2);
		i += opts[i + 1];
	}
	return -1;
}

size_t tcp_opts_emit(uint8_t *out, const struct tcp_opts *o, bool syn,
		     enum tcp_synopt_layout layout)
{
	uint8_t *end;
	if (o->has_sig && layout == TCP_SYNOPT_FREEBSD)
		return bsd_addoptions(out, o);
	if (o->has_sig)
		end = linux_with_sig(out, o, syn);
	else if (!syn)
		end = established(out, o);
	else if (layout == TCP_SYNOPT_FREEBSD)
		end = syn_freebsd(out, o);
	else
		end = syn_linux(out, o);
	size_t len = (size_t)(end - out);
	assert(len <= TCP_OPT_MAX && len % 4 == 0);
	return len;
}

void tcp_emit(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts,
	      size_t opts_len, size_t payload_len, uint32_t src, uint32_t dst)
{
	tcp_emit_ex(seg, hdr, opts, opts_len, payload_len, src, dst, false);
}

void tcp_emit_ex(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts,
		 size_t opts_len, size_t payload_len, uint32_t src, uint32_t dst, bool partial_csum)
{
	tcp_emit_psum(seg, hdr, opts, opts_len, payload_len,
		      csum_pseudo_ipv4(src, dst, IPPROTO_TCP_, 0), partial_csum);
}

void tcp_emit_psum(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts,
		   size_t opts_len, size_t payload_len, uint32_t psum, bool partial_csum)
{
	size_t doff = hdr->doff_bytes;
	assert(doff % 4 == 0 && doff >= TCP_HDR_MIN + opts_len && doff <= TCP_HDR_MIN + TCP_OPT_MAX);
	assert(doff + payload_len <= UINT16_MAX);

	uint8_t *p = put_be16(seg, hdr->sport);
	p = put_be16(p, hdr->dport);
	p = put_be32(p, hdr->seq);
	p = put_be32(p, hdr->ack);
	*p++ = (uint8_t)((doff / 4) << 4 | (hdr->ae ? 1u : 0u));
	*p++ = hdr->flags;
	p = put_be16(p, hdr->win);
	p = put_be16(p, 0);
	put_be16(p, hdr->urg);
	/* The options may already sit in place; memmove covers both cases. */
	if (opts_len && opts != seg + TCP_HDR_MIN)
		memmove(seg + TCP_HDR_MIN, opts, opts_len);
	/* Anything between the options and the data offset is padding, which
	 * RFC 9293 3.1 requires to be zero (and zero reads as EOL). */
	if (doff > TCP_HDR_MIN + opts_len)
		memset(seg + TCP_HDR_MIN + opts_len, 0, doff - TCP_HDR_MIN - opts_len);

	tcp_csum_set(seg, doff + payload_len, psum, partial_csum);
}

void tcp_csum_set(uint8_t *seg, size_t len, uint32_t psum, bool partial_csum)
{
	uint32_t sum = psum + (uint32_t)len; /* the pseudo-header's length word */
	if (partial_csum) {
		sum = (sum & 0xffff) + (sum >> 16);
		put_be16(seg + 16, (uint16_t)((sum & 0xffff) + (sum >> 16)));
		return;
	}
	put_be16(seg + 16, 0);
	put_be16(seg + 16, csum_fold(csum_partial(seg, len, sum)));
}

const char *tcp_flags_str(uint8_t flags, char *buf)
{
	/* tcpdump's order: F S R P, then '.' for ACK, then U E W; no flag
	 * at all prints "none". */
	static const struct {
		uint8_t bit;
		char c;
	} names[] = {
		{TH_FIN, 'F'}, {TH_SYN, 'S'}, {TH_RST, 'R'}, {TH_PSH, 'P'},
		{TH_ACK, '.'}, {TH_URG, 'U'}, {TH_ECE, 'E'}, {TH_CWR, 'W'},
	};
	char *p = buf;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].bit)
			*p++ = names[i].c;
	if (p == buf)
		strcpy(buf, "none");
	else
		*p = '\0';
	return buf;
}
