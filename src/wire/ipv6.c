/* IPv6 header parsing and emission (RFC 8200 3), the extension-header walk
 * (RFC 8200 4.1-4.7, RFC 5095, RFC 6946, RFC 8504 5.3), address checks on
 * input (RFC 4291 2.5.2, 2.5.3, 2.5.5.2, 2.7) and the upper-layer checksum
 * (RFC 8200 8.1). The walk never reads past the payload and stops after
 * IPV6_EXT_MAX headers: every header is at least 8 bytes and the offset
 * only grows, so a chain cannot point back at itself; a chain that repeats
 * headers ends at the count. */
#include "wire/ipv6.h"

#include <string.h>

#include "util/be.h"
#include "util/checksum.h"

/* ---- addresses ----------------------------------------------------------- */

static bool is_zero(const uint8_t *p, size_t n)
{
	uint8_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= p[i];
	return d == 0;
}

bool ipv6_addr_is_unspecified(const struct gt_in6_addr *a) { return is_zero(a->b, 16); }

bool ipv6_addr_is_loopback(const struct gt_in6_addr *a)
{
	return is_zero(a->b, 15) && a->b[15] == 1;
}

bool ipv6_addr_is_v4mapped(const struct gt_in6_addr *a)
{
	return is_zero(a->b, 10) && a->b[10] == 0xff && a->b[11] == 0xff;
}

/* ---- fixed header ---------------------------------------------------------- */

static enum ipv6_drop check_addrs(const struct ipv6_hdr *h)
{
	/* Every address refused below starts with 0x00 (::, ::1, v4-mapped)
	 * or 0xff (multicast): the usual packet is done in two byte tests. */
	if (h->src.b[0] != 0 && h->src.b[0] != 0xff && h->dst.b[0] != 0 && h->dst.b[0] != 0xff)
		return IPV6_OK;
	/* RFC 4291 2.7: a multicast address is never a source. */
	if (ipv6_addr_is_multicast(&h->src))
		return IPV6_ERR_SRC_MULTICAST;
	/* RFC 4291 2.5.2 allows :: as a source only while a node has no
	 * address (DAD, RFC 4862): nothing TCP or an echo can answer, and we
	 * do no neighbour discovery. */
	if (ipv6_addr_is_unspecified(&h->src))
		return IPV6_ERR_SRC_UNSPECIFIED;
	/* RFC 4291 2.5.5.2: v4-mapped addresses name IPv4 nodes inside a host's
	 * API; on the wire they are spoofing (RFC 6890 lists ::ffff:0:0/96 as
	 * never forwardable). */
	if (ipv6_addr_is_v4mapped(&h->src))
		return IPV6_ERR_SRC_V4MAPPED;
	/* RFC 4291 2.5.3: the loopback address never leaves a node. */
	if (ipv6_addr_is_loopback(&h->src))
		return IPV6_ERR_SRC_LOOPBACK;
	/* RFC 4291 2.5.2, 2.5.3: neither :: nor ::1 is a destination on a link;
	 * 2.7: a multicast scope of 0 is reserved and silently dropped. */
	if (ipv6_addr_is_unspecified(&h->dst) || ipv6_addr_is_loopback(&h->dst) ||
	    ipv6_addr_is_v4mapped(&h->dst) ||
	    (ipv6_addr_is_multicast(&h->dst) && (h->dst.b[1] & 0x0f) == 0))
		return IPV6_ERR_DST_INVALID;
	return IPV6_OK;
}

enum ipv6_drop ipv6_parse(const uint8_t *pkt, size_t len, struct ipv6_hdr *h)
{
	if (len < IPV6_HDR_LEN)
		return IPV6_ERR_TRUNCATED;
	if (pkt[0] >> 4 != 6)
		return IPV6_ERR_VERSION;
	uint32_t w0 = get_be32(pkt);
	h->tclass = (uint8_t)(w0 >> 20);
	h->flow = w0 & 0xfffff;
	h->payload_len = get_be16(pkt + 4);
	h->next = pkt[6];
	h->hop_limit = pkt[7];
	memcpy(h->src.b, pkt + 8, 16);
	memcpy(h->dst.b, pkt + 24, 16);
	/* RFC 8200 3: the payload length counts the extension headers too.
	 * A payload length of 0 with a Jumbo Payload option (RFC 2675) is not
	 * supported: its Hop-by-Hop header lies past a zero-length payload and
	 * the walk drops it as truncated. */
	if ((size_t)IPV6_HDR_LEN + h->payload_len > len)
		return IPV6_ERR_PAYLOAD_LEN;
	return check_addrs(h);
}

size_t ipv6_emit(uint8_t *out, const struct ipv6_hdr *h)
{
	put_be32(out, 6u << 28 | (uint32_t)h->tclass << 20 | (h->flow & 0xfffff));
	put_be16(out + 4, h->payload_len);
	out[6] = h->next;
	out[7] = h->hop_limit;
	memcpy(out + 8, h->src.b, 16);
	memcpy(out + 24, h->dst.b, 16);
	return IPV6_HDR_LEN;
}

/* ---- extension headers ----------------------------------------------------- */

static enum ipv6_drop param_problem(struct ipv6_chain *c, uint8_t code, size_t pointer,
				    enum ipv6_drop r)
{
	/* RFC 4443 3.4: the pointer is the offset of the offending octet
	 * within the invoking packet. */
	c->icmp_type = 4;
	c->icmp_code = code;
	c->icmp_pointer = (uint32_t)pointer;
	return r;
}

/* The options of a Hop-by-Hop or Destination Options header at
 * pkt[start .. end) (RFC 8200 4.2). Pad1 and PadN are skipped; every other
 * option is one we do not recognise (Router Alert, RFC 2711, has action
 * bits 00 and is skipped by them), handled by the two high-order bits of
 * its type. */
static enum ipv6_drop walk_options(const uint8_t *pkt, size_t start, size_t end,
				   const struct ipv6_hdr *h, struct ipv6_chain *c)
{
	unsigned nopts = 0, pad_run = 0;
	size_t i = start;
	while (i < end) {
		uint8_t type = pkt[i];
		if (type == 0) { /* Pad1: one byte, no length */
			if (++pad_run > IPV6_PAD_MAX)
				return IPV6_ERR_OPT_LIMIT;
			i++;
			continue;
		}
		if (end - i < 2 || end - i - 2 < pkt[i + 1])
			return IPV6_ERR_OPT_MALFORMED;
		size_t olen = 2 + (size_t)pkt[i + 1];
		if (type == 1) { /* PadN */
			pad_run += (unsigned)olen;
			if (pad_run > IPV6_PAD_MAX)
				return IPV6_ERR_OPT_LIMIT;
			i += olen;
			continue;
		}
		pad_run = 0;
		if (++nopts > IPV6_OPTS_MAX)
			return IPV6_ERR_OPT_LIMIT;
		switch (type >> 6) {
		case 0: /* skip over this option */
			break;
		case 1: /* discard the packet */
			return IPV6_ERR_OPT_UNKNOWN;
		case 2: /* discard, Parameter Problem code 2 even to multicast */
			return param_problem(c, 2, i, IPV6_ERR_OPT_UNKNOWN);
		default: /* discard, Parameter Problem code 2 unless multicast */
			if (ipv6_addr_is_multicast(&h->dst))
				return IPV6_ERR_OPT_UNKNOWN;
			return param_problem(c, 2, i, IPV6_ERR_OPT_UNKNOWN);
		}
		i += olen;
	}
	return IPV6_OK;
}

/* The Routing header at pkt[off .. off + hlen) (RFC 8200 4.4). A host is
 * the endpoint of no segment list: with Segments Left 0 the header is
 * ignored; otherwise the type is one we do not process. */
static enum ipv6_drop walk_routing(const uint8_t *pkt, size_t off, struct ipv6_chain *c)
{
	uint8_t type = pkt[off + 2], segleft = pkt[off + 3];
	/* RFC 5095 3 deprecates RH0 and says to treat it as an unknown type;
	 * we drop it whatever Segments Left says, as OpenBSD does: it has no
	 * legitimate sender left, and one that still sends it is probing. With
	 * Segments Left != 0 RFC 5095 asks for the Parameter Problem too. */
	if (type == 0) {
		if (segleft == 0)
			return IPV6_ERR_RH0;
		return param_problem(c, 0, off + 2, IPV6_ERR_RH0);
	}
	if (segleft != 0)
		return param_problem(c, 0, off + 2, IPV6_ERR_ROUTING_SEGLEFT);
	return IPV6_OK;
}

/* The Fragment header at pkt[off .. off + 8) (RFC 8200 4.5). No fragment
 * is reassembled: an atomic one (offset 0, M 0) is processed on its own
 * (RFC 6946 4), every other is dropped. TCP never needs fragments: it
 * sizes segments to the path MTU (RFC 8201) and we send none. */
static enum ipv6_drop walk_fragment(const uint8_t *pkt, size_t off, struct ipv6_chain *c)
{
	uint16_t off_m = get_be16(pkt + off + 2);
	c->frag = true;
	c->frag_id = get_be32(pkt + off + 4);
	if ((off_m & 0xfff8) || (off_m & 1))
		return IPV6_ERR_FRAGMENT;
	return IPV6_OK;
}

enum ipv6_drop ipv6_walk(const uint8_t *pkt, const struct ipv6_hdr *h, struct ipv6_chain *c)
{
	memset(c, 0, sizeof *c);
	size_t off = IPV6_HDR_LEN, end = IPV6_HDR_LEN + (size_t)h->payload_len;
	size_t nh_off = 6; /* the fixed header's Next Header field */
	uint8_t nh = h->next;
	for (;;) {
		c->proto = nh;
		c->nh_off = (uint32_t)nh_off;
		c->l4_off = (uint32_t)off;
		c->l4_len = (uint32_t)(end - off);
		if (nh != IPPROTO_HOPOPTS_ && nh != IPPROTO_ROUTING_ && nh != IPPROTO_FRAGMENT_ &&
		    nh != IPPROTO_DSTOPTS_)
			return IPV6_OK; /* upper layer, or one we do not walk (AH, ESP, ...) */
		if (nh == IPPROTO_HOPOPTS_ && off != IPV6_HDR_LEN)
			/* RFC 8200 4.1: Hop-by-Hop only right after the fixed
			 * header; elsewhere its value is an unrecognised Next
			 * Header (Parameter Problem code 1 at that field). */
			return param_problem(c, 1, nh_off, IPV6_ERR_HBH_NOT_FIRST);
		if (c->n_ext == IPV6_EXT_MAX)
			return IPV6_ERR_EXT_TOO_MANY;
		/* Every extension header is 8 bytes or more: 8 for a fragment,
		 * (Hdr Ext Len + 1) * 8 for the others (RFC 8200 4.3-4.6). */
		if (end - off < 8)
			return IPV6_ERR_EXT_TRUNCATED;
		size_t hlen = nh == IPPROTO_FRAGMENT_ ? 8 : ((size_t)pkt[off + 1] + 1) * 8;
		if (end - off < hlen)
			return IPV6_ERR_EXT_TRUNCATED;
		enum ipv6_drop r;
		if (nh == IPPROTO_ROUTING_)
			r = walk_routing(pkt, off, c);
		else if (nh == IPPROTO_FRAGMENT_)
			r = walk_fragment(pkt, off, c);
		else
			r = walk_options(pkt, off + 2, off + hlen, h, c);
		if (r != IPV6_OK)
			return r;
		c->n_ext++;
		nh_off = off;
		nh = pkt[off];
		off += hlen;
	}
}

enum ipv6_drop ipv6_parse_packet(const uint8_t *pkt, size_t len, struct ipv6_hdr *h,
				 struct ipv6_chain *c)
{
	enum ipv6_drop r = ipv6_parse(pkt, len, h);
	if (r != IPV6_OK) {
		memset(c, 0, sizeof *c);
		return r;
	}
	return ipv6_walk(pkt, h, c);
}

int ipv6_skip_chain(const uint8_t *pkt, size_t len, uint8_t *proto, size_t *l4_off)
{
	if (len < IPV6_HDR_LEN || pkt[0] >> 4 != 6)
		return -1;
	size_t off = IPV6_HDR_LEN;
	uint8_t nh = pkt[6];
	for (int n = 0;; n++) {
		if (nh != IPPROTO_HOPOPTS_ && nh != IPPROTO_ROUTING_ && nh != IPPROTO_FRAGMENT_ &&
		    nh != IPPROTO_DSTOPTS_) {
			*proto = nh;
			*l4_off = off;
			return 0;
		}
		if (n == IPV6_EXT_MAX)
			return IPV6_SKIP_TOO_LONG;
		if (len - off < 8)
			return -1;
		size_t hlen = 8;
		if (nh == IPPROTO_FRAGMENT_) {
			/* A later fragment holds no upper-layer header:
			 * the walk stops at its Fragment header. */
			if (get_be16(pkt + off + 2) & 0xfff8) {
				*proto = nh;
				*l4_off = off;
				return IPV6_SKIP_LATER_FRAGMENT;
			}
		} else {
			hlen = ((size_t)pkt[off + 1] + 1) * 8;
		}
		if (len - off < hlen)
			return -1;
		nh = pkt[off];
		off += hlen;
	}
}

/* ---- checksums ------------------------------------------------------------- */

uint16_t ipv6_csum(const struct gt_in6_addr *src, const struct gt_in6_addr *dst, uint8_t nh,
		   const void *data, size_t len)
{
	uint32_t sum = csum_pseudo_ipv6(src->b, dst->b, nh, (uint32_t)len);
	return csum_fold(csum_partial(data, len, sum));
}

uint16_t ipv6_udp_csum(const struct gt_in6_addr *src, const struct gt_in6_addr *dst,
		       const void *dgram, size_t len)
{
	/* RFC 8200 8.1: "if that computation yields a result of zero, it must
	 * be changed to hex FFFF for placement in the UDP header". */
	uint16_t c = ipv6_csum(src, dst, IPPROTO_UDP_, dgram, len);
	return c ? c : 0xffff;
}

bool ipv6_udp_csum_ok(const struct gt_in6_addr *src, const struct gt_in6_addr *dst,
		      const uint8_t *dgram, size_t len)
{
	/* RFC 8200 8.1: a zero UDP checksum is discarded (the exceptions of
	 * RFC 6935 are for tunnels, not for us). */
	if (len < 8 || (dgram[6] | dgram[7]) == 0)
		return false;
	return ipv6_csum(src, dst, IPPROTO_UDP_, dgram, len) == 0;
}

enum tcp_parse_err ipv6_tcp_parse(const uint8_t *seg, size_t len, const struct gt_in6_addr *src,
				  const struct gt_in6_addr *dst, struct tcp_hdr *h, bool verify_csum)
{
	/* A short segment is tcp_parse_ex()'s to name (truncated), not a
	 * checksum failure. */
	if (verify_csum && len >= TCP_HDR_MIN && ipv6_csum(src, dst, IPPROTO_TCP_, seg, len) != 0)
		return TCP_ERR_CHECKSUM;
	return tcp_parse_ex(seg, len, 0, 0, h, false);
}

void ipv6_tcp_emit(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts, size_t opts_len,
		   size_t payload_len, const struct gt_in6_addr *src, const struct gt_in6_addr *dst)
{
	/* tcp_emit() sums the segment once over IPv4's pseudo-header with both
	 * addresses 0, that is proto + length; swap that part of the sum for
	 * IPv6's (RFC 1624 3: HC' = ~(~HC + ~m + m')) instead of summing the
	 * payload again. The result is the same 16 bits as a fresh sum: both
	 * are folds of positive sums, so both lie in [1, 0xffff]. */
	tcp_emit(seg, hdr, opts, opts_len, payload_len, 0, 0);
	size_t len = hdr->doff_bytes + payload_len;
	uint16_t hc = get_be16(seg + 16);
	uint16_t m4 = (uint16_t)~csum_fold(csum_pseudo_ipv4(0, 0, IPPROTO_TCP_, (uint16_t)len));
	uint32_t m6 = csum_pseudo_ipv6(src->b, dst->b, IPPROTO_TCP_, (uint32_t)len);
	uint32_t sum = (uint32_t)(uint16_t)~hc + (uint16_t)~m4 + m6;
	put_be16(seg + 16, csum_fold(sum));
}

/* ---- counters -------------------------------------------------------------- */

enum ip6_stat ipv6_drop_stat(enum ipv6_drop r)
{
	/* RFC 4293: InHdrErrors for errors in the header (Linux counts
	 * source-address, option and routing-header errors there too);
	 * InAddrErrors for destinations no host may receive at;
	 * InTruncatedPkts for "not enough data for the length" (Linux's only
	 * use of it); InDiscards for packets fine in themselves that our
	 * limits refuse; InUnknownProtos for a Hop-by-Hop header out of place,
	 * an unrecognised Next Header as Linux counts it. */
	switch (r) {
	case IPV6_ERR_PAYLOAD_LEN:
		return IP6_STAT_Ip6InTruncatedPkts;
	case IPV6_ERR_DST_INVALID:
		return IP6_STAT_Ip6InAddrErrors;
	case IPV6_ERR_EXT_TOO_MANY:
	case IPV6_ERR_OPT_LIMIT:
		return IP6_STAT_Ip6InDiscards;
	case IPV6_ERR_HBH_NOT_FIRST:
		return IP6_STAT_Ip6InUnknownProtos;
	case IPV6_ERR_FRAGMENT:
		return IP6_STAT_Ip6ReasmFails;
	default:
		return IP6_STAT_Ip6InHdrErrors;
	}
}

const char *ipv6_drop_str(enum ipv6_drop r)
{
	static const char *const names[IPV6_DROP_COUNT] = {
		[IPV6_OK] = "ok",
		[IPV6_ERR_TRUNCATED] = "truncated header",
		[IPV6_ERR_VERSION] = "version not 6",
		[IPV6_ERR_PAYLOAD_LEN] = "payload length past the packet",
		[IPV6_ERR_SRC_MULTICAST] = "multicast source",
		[IPV6_ERR_SRC_UNSPECIFIED] = "unspecified source",
		[IPV6_ERR_SRC_V4MAPPED] = "v4-mapped source",
		[IPV6_ERR_SRC_LOOPBACK] = "loopback source",
		[IPV6_ERR_DST_INVALID] = "invalid destination",
		[IPV6_ERR_EXT_TRUNCATED] = "extension header past the payload",
		[IPV6_ERR_EXT_TOO_MANY] = "too many extension headers",
		[IPV6_ERR_HBH_NOT_FIRST] = "hop-by-hop header not first",
		[IPV6_ERR_OPT_MALFORMED] = "option past its header",
		[IPV6_ERR_OPT_LIMIT] = "too many options or too much padding",
		[IPV6_ERR_OPT_UNKNOWN] = "unrecognised option (discard)",
		[IPV6_ERR_RH0] = "routing header type 0",
		[IPV6_ERR_ROUTING_SEGLEFT] = "routing header with segments left",
		[IPV6_ERR_FRAGMENT] = "fragment (no reassembly)",
	};
	return (unsigned)r < IPV6_DROP_COUNT ? names[r] : "?";
}

const char *ip6_stat_name(enum ip6_stat id)
{
#define IP6_STAT_NAME_(name, desc) #name,
	static const char *const names[] = {GT_IP6_STATS_FIELDS(IP6_STAT_NAME_)};
#undef IP6_STAT_NAME_
	return (unsigned)id < IP6_STAT_COUNT ? names[id] : "?";
}
