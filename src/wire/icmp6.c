/* ICMPv6 messages: RFC 4443 2.1 (format), 2.3 (checksum over the IPv6
 * pseudo-header), 2.4 (processing rules: (c) how much to quote, (e) when
 * never to send an error, (f) the rate limit), 3 (errors), 4.2 (echo
 * reply); RFC 8201 4 (Packet Too Big and the path MTU); RFC 1122 4.2.3.9
 * and RFC 5461 (soft and hard errors to TCP). */
#include "wire/icmp6.h"

#include <errno.h>
#include <string.h>

#include "util/be.h"
#include "util/checksum.h"

enum icmp6_parse_err icmp6_parse(const uint8_t *msg, size_t len, const struct gt_in6_addr *src,
				 const struct gt_in6_addr *dst, struct icmp6_hdr *h)
{
	/* Every message we act on (echo, the errors) has the 32-bit word
	 * after the checksum, so shorter is malformed. */
	if (len < ICMP6_HDR_LEN)
		return ICMP6_ERR_TRUNCATED;
	/* RFC 4443 2.3: the checksum covers the pseudo-header (next header
	 * 58) and the whole message; a correct one sums to 0xffff. */
	if (ipv6_csum(src, dst, IPPROTO_ICMPV6_, msg, len) != 0)
		return ICMP6_ERR_CHECKSUM;
	memset(h, 0, sizeof *h);
	h->type = msg[0];
	h->code = msg[1];
	switch (h->type) {
	case ICMP6_ECHO_REQUEST:
	case ICMP6_ECHO_REPLY: /* RFC 4443 4.1, 4.2 */
		h->id = get_be16(msg + 4);
		h->seq = get_be16(msg + 6);
		break;
	case ICMP6_PACKET_TOO_BIG: /* RFC 4443 3.2 */
		h->mtu = get_be32(msg + 4);
		break;
	case ICMP6_PARAM_PROB: /* RFC 4443 3.4 */
		h->pointer = get_be32(msg + 4);
		break;
	default:
		break;
	}
	h->body = msg + ICMP6_HDR_LEN;
	h->body_len = len - ICMP6_HDR_LEN;
	return ICMP6_OK;
}

size_t icmp6_emit(uint8_t *out, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *body,
		  size_t body_len, const struct gt_in6_addr *src, const struct gt_in6_addr *dst)
{
	/* The body first: it may lie in the same buffer as the header. */
	if (body_len && body != out + ICMP6_HDR_LEN)
		memmove(out + ICMP6_HDR_LEN, body, body_len);
	out[0] = type;
	out[1] = code;
	put_be16(out + 2, 0);
	put_be32(out + 4, rest);
	size_t len = ICMP6_HDR_LEN + body_len;
	put_be16(out + 2, ipv6_csum(src, dst, IPPROTO_ICMPV6_, out, len));
	return len;
}

size_t icmp6_echo_reply(uint8_t *out, size_t cap, const struct ipv6_hdr *req_ip,
			const struct icmp6_hdr *req, const struct gt_in6_addr *reply_src,
			uint8_t hop_limit)
{
	/* RFC 4443 4.2: the data "MUST be returned entirely and unmodified";
	 * what does not fit is not answered. */
	size_t msg_len = ICMP6_HDR_LEN + req->body_len;
	if (msg_len > UINT16_MAX || cap < IPV6_HDR_LEN || cap - IPV6_HDR_LEN < msg_len)
		return 0;
	/* Copies first: either may point into out. */
	struct gt_in6_addr src = *reply_src, dst = req_ip->src;
	uint32_t rest = (uint32_t)req->id << 16 | req->seq;
	/* The body moves before any header byte is written: the request's
	 * body lies at or after out + 48 when out is its buffer. */
	if (req->body_len && req->body != out + IPV6_HDR_LEN + ICMP6_HDR_LEN)
		memmove(out + IPV6_HDR_LEN + ICMP6_HDR_LEN, req->body, req->body_len);
	struct ipv6_hdr ip = {
		.payload_len = (uint16_t)msg_len,
		.next = IPPROTO_ICMPV6_,
		.hop_limit = hop_limit,
		.src = src,
		.dst = dst,
	};
	ipv6_emit(out, &ip);
	icmp6_emit(out + IPV6_HDR_LEN, ICMP6_ECHO_REPLY, 0, rest,
		   out + IPV6_HDR_LEN + ICMP6_HDR_LEN, req->body_len, &src, &dst);
	return IPV6_HDR_LEN + msg_len;
}

enum icmp6_suppress icmp6_error_allowed(const uint8_t *inv, size_t inv_len, uint8_t type,
					uint8_t code)
{
	if (inv_len < IPV6_HDR_LEN)
		return ICMP6_NO_SRC;
	struct gt_in6_addr src, dst;
	memcpy(src.b, inv + 8, 16);
	memcpy(dst.b, inv + 24, 16);
	/* (e.6): a source that does not name one node. (Anycast cannot be
	 * told from the address; no one sends us anycast on a TUN.) */
	if (ipv6_addr_is_unspecified(&src) || ipv6_addr_is_multicast(&src))
		return ICMP6_NO_SRC;
	/* (e.3): to a multicast destination only Packet Too Big and a
	 * Parameter Problem code 2 for an option whose type asks for it. */
	if (ipv6_addr_is_multicast(&dst) && type != ICMP6_PACKET_TOO_BIG &&
	    !(type == ICMP6_PARAM_PROB && code == ICMP6_PARAM_OPTION))
		return ICMP6_NO_MULTICAST_DST;
	/* (e.1, e.2): never about an ICMPv6 error or a redirect. A fragment
	 * after the first shows no upper-layer header at all: RFC 8200 4.5
	 * asks for Parameter Problems about such fragments, and Linux's
	 * is_ineligible() answers them (ipv6_skip_exthdr() stops at the
	 * Fragment header, so no ICMPv6 type is seen), as here. A chain cut
	 * short holds no ICMPv6 header either: is_ineligible() answers it
	 * (ipv6_skip_exthdr() < 0), say a Parameter Problem about an option
	 * in a Hop-by-Hop header whose next header runs past the packet. A
	 * chain longer than IPV6_EXT_MAX headers might hide an ICMPv6 error
	 * past the ones followed: no error then (Linux follows any length). */
	uint8_t proto;
	size_t off;
	int walk = ipv6_skip_chain(inv, inv_len, &proto, &off);
	if (walk == IPV6_SKIP_LATER_FRAGMENT || walk == -1)
		return ICMP6_SEND;
	if (walk < 0)
		return ICMP6_NO_ABOUT_ERROR;
	if (proto == IPPROTO_ICMPV6_) {
		if (off >= inv_len)
			return ICMP6_NO_ABOUT_ERROR;
		if (icmp6_is_error(inv[off]) || inv[off] == ICMP6_REDIRECT)
			return ICMP6_NO_ABOUT_ERROR;
	}
	return ICMP6_SEND;
}

size_t icmp6_error_build(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint32_t param,
			 const uint8_t *inv, size_t inv_len, const struct gt_in6_addr *src,
			 uint8_t hop_limit)
{
	const size_t head = IPV6_HDR_LEN + ICMP6_HDR_LEN;
	if (inv_len < IPV6_HDR_LEN || inv[0] >> 4 != 6 || cap < head)
		return 0;
	/* RFC 4443 2.4(c): as much of the invoking packet as fits without the
	 * error exceeding the minimum IPv6 MTU. */
	size_t quote = inv_len;
	if (quote > IPV6_MIN_MTU - head)
		quote = IPV6_MIN_MTU - head;
	if (quote > cap - head)
		quote = cap - head;
	struct ipv6_hdr ip = {
		.payload_len = (uint16_t)(ICMP6_HDR_LEN + quote),
		.next = IPPROTO_ICMPV6_,
		.hop_limit = hop_limit,
		.src = *src,
	};
	memcpy(ip.dst.b, inv + 8, 16);
	ipv6_emit(out, &ip);
	icmp6_emit(out + IPV6_HDR_LEN, type, code, param, inv, quote, &ip.src, &ip.dst);
	return head + quote;
}

enum icmp6_err_kind icmp6_error_kind(uint8_t type, uint8_t code, int *err)
{
	*err = 0;
	switch (type) {
	case ICMP6_DST_UNREACH:
		switch (code) {
		case ICMP6_UNREACH_ADMIN:
		case ICMP6_UNREACH_PORT:
		case ICMP6_UNREACH_POLICY:
		case ICMP6_UNREACH_REJECT_ROUTE:
			/* RFC 5461 4: administratively prohibited and port
			 * unreachable are ICMPv6's hard errors; policy failure
			 * and reject route (RFC 4443 3.1) refuse as firmly. The
			 * errno is the IPv4 path's for its hard codes. */
			*err = -ECONNREFUSED;
			return ICMP6_KIND_HARD;
		case ICMP6_UNREACH_NOROUTE:
			*err = -ENETUNREACH;
			return ICMP6_KIND_SOFT;
		default:
			/* Beyond scope, address unreachable (neighbour
			 * discovery failed: transient), source routing, and
			 * codes defined later: soft (RFC 1122 4.2.3.9). */
			*err = -EHOSTUNREACH;
			return ICMP6_KIND_SOFT;
		}
	case ICMP6_PACKET_TOO_BIG:
		*err = -EMSGSIZE;
		return ICMP6_KIND_PMTU;
	case ICMP6_TIME_EXCEEDED:
		/* A routing loop or too small a hop limit: fatal while
		 * connecting, soft afterwards, as the IPv4 path (BSD's
		 * icmp_may_rst) treats Time Exceeded. */
		*err = -EHOSTUNREACH;
		return ICMP6_KIND_HARD;
	case ICMP6_PARAM_PROB:
		if (code == ICMP6_PARAM_NEXTHDR) {
			/* The peer does not know TCP: IPv4's protocol
			 * unreachable, a hard error (RFC 1122 4.2.3.9). */
			*err = -ECONNREFUSED;
			return ICMP6_KIND_HARD;
		}
		/* RFC 1122 4.2.3.9: Parameter Problem tells the application
		 * but does not abort. */
		*err = -EPROTO;
		return ICMP6_KIND_SOFT;
	default:
		return ICMP6_KIND_IGNORE;
	}
}

int icmp6_tcp_error(const struct icmp6_hdr *h, struct icmp6_tcp_error *e)
{
	if (!icmp6_is_error(h->type))
		return -1;
	/* RFC 4443 2.4(c): the body quotes the invoking packet from its IPv6
	 * header on; its chain may be cut anywhere. */
	uint8_t proto;
	size_t off;
	if (ipv6_skip_chain(h->body, h->body_len, &proto, &off) < 0 || proto != IPPROTO_TCP_ ||
	    h->body_len - off < 8)
		return -1;
	memset(e, 0, sizeof *e);
	memcpy(e->laddr.b, h->body + 8, 16);
	memcpy(e->faddr.b, h->body + 24, 16);
	const uint8_t *t = h->body + off;
	e->lport = get_be16(t);
	e->fport = get_be16(t + 2);
	e->seq = get_be32(t + 4);
	e->type = h->type;
	e->code = h->code;
	e->kind = icmp6_error_kind(h->type, h->code, &e->err);
	if (e->kind == ICMP6_KIND_PMTU) {
		e->mtu = icmp6_ptb_mtu(h->mtu);
		e->mtu_sent = h->mtu;
	}
	return 0;
}

/* ---- rate limit (RFC 4443 2.4(f)) ------------------------------------------ */

#define MICRO 1000000ull

void icmp6_ratelimit_init(struct icmp6_ratelimit *rl, uint32_t rate_per_s, uint32_t burst,
			  uint64_t now_us)
{
	memset(rl, 0, sizeof *rl);
	rl->rate_per_s = rate_per_s;
	rl->burst = burst ? burst : 1;
	rl->level = (uint64_t)rl->burst * MICRO; /* start full */
	rl->last_us = now_us;
}

bool icmp6_ratelimit_allow(struct icmp6_ratelimit *rl, uint64_t now_us)
{
	if (rl->rate_per_s == 0) {
		rl->sent++;
		return true;
	}
	/* rate_per_s tokens a second is rate_per_s micro-tokens a
	 * microsecond. A clock that went back refills nothing. */
	uint64_t full = (uint64_t)rl->burst * MICRO;
	if (now_us > rl->last_us) {
		uint64_t dt_us = now_us - rl->last_us;
		if (dt_us >= full / rl->rate_per_s + 1)
			rl->level = full;
		else if ((rl->level += dt_us * rl->rate_per_s) > full)
			rl->level = full;
		rl->last_us = now_us;
	}
	if (rl->level >= MICRO) {
		rl->level -= MICRO;
		rl->sent++;
		return true;
	}
	rl->limited++;
	return false;
}
