/* ICMPv6 (RFC 4443): parse and emit, the echo reply, errors about a TCP
 * segment we sent read for the TCP layer (as tcp_icmp_error() reads
 * ICMPv4's), Packet Too Big's MTU (RFC 8201), the rules for sending an
 * error (RFC 4443 2.4(c), (e)) and its rate limit (2.4(f)). No neighbour
 * discovery (RFC 4861): a TUN device is layer 3 (docs/ipv6.md). */
#ifndef GT_WIRE_ICMP6_H
#define GT_WIRE_ICMP6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/ipv6.h"

#define ICMP6_HDR_LEN 8 /* type, code, checksum, and the 32-bit word after */

/* RFC 4443 2.1: types below 128 are errors, 128 and above informational. */
#define ICMP6_DST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROB 4
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ICMP6_REDIRECT 137 /* RFC 4861 4.5: never answered with an error */

/* Destination Unreachable codes (RFC 4443 3.1). */
#define ICMP6_UNREACH_NOROUTE 0
#define ICMP6_UNREACH_ADMIN 1
#define ICMP6_UNREACH_BEYOND_SCOPE 2
#define ICMP6_UNREACH_ADDR 3
#define ICMP6_UNREACH_PORT 4
#define ICMP6_UNREACH_POLICY 5
#define ICMP6_UNREACH_REJECT_ROUTE 6
#define ICMP6_UNREACH_SRCRT 7 /* RFC 6550 20.17 */
/* Time Exceeded (3.3) and Parameter Problem (3.4, RFC 7112) codes. */
#define ICMP6_TIME_HOPLIMIT 0
#define ICMP6_TIME_REASM 1
#define ICMP6_PARAM_HEADER 0
#define ICMP6_PARAM_NEXTHDR 1
#define ICMP6_PARAM_OPTION 2
#define ICMP6_PARAM_FIRSTFRAG 3

struct icmp6_hdr {
	uint8_t type, code;
	uint16_t id, seq;      /* echo request and reply */
	uint32_t mtu;          /* Packet Too Big, as sent (see icmp6_ptb_mtu()) */
	uint32_t pointer;      /* Parameter Problem */
	const uint8_t *body;   /* after the 8-byte header */
	size_t body_len;
};

enum icmp6_parse_err {
	ICMP6_OK = 0,
	ICMP6_ERR_TRUNCATED,   /* shorter than 8 bytes: Icmp6InErrors */
	ICMP6_ERR_CHECKSUM,    /* Icmp6InCsumErrors and Icmp6InErrors */
};

/* Parses msg, the ICMPv6 message carried from src to dst, and verifies its
 * checksum over the IPv6 pseudo-header (RFC 4443 2.3). A type we do not
 * know parses too: RFC 4443 2.4(a)/(b) say what to do with it. */
enum icmp6_parse_err icmp6_parse(const uint8_t *msg, size_t len, const struct gt_in6_addr *src,
				 const struct gt_in6_addr *dst, struct icmp6_hdr *h);
/* Writes the 8-byte header (rest is its second word) and the body, with
 * the checksum for src -> dst; returns the length. body may already lie at
 * out + 8. */
size_t icmp6_emit(uint8_t *out, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *body,
		  size_t body_len, const struct gt_in6_addr *src, const struct gt_in6_addr *dst);

static inline bool icmp6_is_error(uint8_t type) { return type < 128; }

/* The whole IPv6 packet answering the echo request req, which came in
 * req_ip (RFC 4443 4.2): to its source, from reply_src (the address it was
 * sent to; for a multicast request one of ours), with its identifier,
 * sequence number and data unchanged. out may be the request's own buffer.
 * Returns the length, 0 when it would not fit in cap (the data is returned
 * whole or not at all). */
size_t icmp6_echo_reply(uint8_t *out, size_t cap, const struct ipv6_hdr *req_ip,
			const struct icmp6_hdr *req, const struct gt_in6_addr *reply_src,
			uint8_t hop_limit);

/* Why an error must not be sent about a packet (RFC 4443 2.4(e)). */
enum icmp6_suppress {
	ICMP6_SEND = 0,
	ICMP6_NO_ABOUT_ERROR,     /* (e.1, e.2): about an ICMPv6 error or a redirect,
				     or a chain longer than we follow */
	ICMP6_NO_MULTICAST_DST,   /* (e.3): sent to multicast, except PTB and code 2 */
	ICMP6_NO_SRC,             /* (e.6): from ::, multicast, or too short to tell */
};
enum icmp6_suppress icmp6_error_allowed(const uint8_t *inv, size_t inv_len, uint8_t type,
					uint8_t code);
/* The whole IPv6 packet of an ICMPv6 error about the packet inv (the
 * caller checked icmp6_error_allowed() and the rate limit): from src to
 * inv's source, quoting as much of inv as fits in 1280 bytes (RFC 4443
 * 2.4(c)); param is the second word (MTU, pointer, or 0). Returns the
 * length, 0 when inv is not IPv6 or cap is below 48 bytes. out and inv
 * must not overlap. */
size_t icmp6_error_build(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint32_t param,
			 const uint8_t *inv, size_t inv_len, const struct gt_in6_addr *src,
			 uint8_t hop_limit);

/* RFC 8201 4: a Packet Too Big below the minimum MTU lowers the path MTU
 * to 1280, never below. (Never raising it is the caller's: it knows the
 * current estimate.) */
static inline uint32_t icmp6_ptb_mtu(uint32_t mtu)
{
	return mtu < IPV6_MIN_MTU ? IPV6_MIN_MTU : mtu;
}

/* What an ICMPv6 error means to the TCP connection that sent the quoted
 * segment, as tcp_icmp_error() decides for ICMPv4:
 *   SOFT  record err, report it only if the connection later times out
 *         (RFC 1122 4.2.3.9, RFC 5461);
 *   HARD  abort in SYN-SENT, record err otherwise (as the IPv4 path does
 *         for port/protocol unreachable, administrative prohibition and
 *         time exceeded);
 *   PMTU  lower the path MTU to mtu and the MSS with it (RFC 8201 4);
 *   IGNORE nothing (an error type RFC 4443 does not define). */
enum icmp6_err_kind {
	ICMP6_KIND_IGNORE = 0,
	ICMP6_KIND_SOFT,
	ICMP6_KIND_HARD,
	ICMP6_KIND_PMTU,
};

struct icmp6_tcp_error {
	enum icmp6_err_kind kind;
	int err;                   /* negative errno for the socket */
	uint8_t type, code;        /* the message's, for a profile's own mapping */
	uint32_t mtu;              /* PMTU: the new path MTU, >= 1280 */
	uint32_t mtu_sent;         /* PMTU: the MTU as the message gave it */
	/* The quoted segment as we sent it: the local side is its source. */
	struct gt_in6_addr laddr, faddr;
	uint16_t lport, fport;
	uint32_t seq;              /* its sequence number (RFC 5927 4.1 check) */
};

/* The kind and errno of an error type and code, whatever it quotes. */
enum icmp6_err_kind icmp6_error_kind(uint8_t type, uint8_t code, int *err);
/* Reads the error h (from icmp6_parse()) about a TCP segment: the kind,
 * errno, MTU and the quoted segment's 4-tuple and sequence number. -1 when
 * h is not an error message, or the quote is not IPv6, not TCP, or cut
 * before the first 8 bytes of the TCP header (RFC 4443 2.4(c) promises
 * them whenever the packet was that long). */
int icmp6_tcp_error(const struct icmp6_hdr *h, struct icmp6_tcp_error *e);

/* The error rate limit of RFC 4443 2.4(f): a token bucket of burst
 * messages refilled at rate_per_s, in integer micro-tokens, fed the
 * caller's clock. rate_per_s 0 turns the limit off. */
#define ICMP6_RATE_PER_S_DEFAULT 1000 /* Linux's net.ipv4.icmp_msgs_per_sec */
#define ICMP6_BURST_DEFAULT 50        /* Linux's net.ipv4.icmp_msgs_burst */
struct icmp6_ratelimit {
	uint32_t rate_per_s, burst;
	uint64_t level;            /* micro-tokens, <= burst * 1e6 */
	uint64_t last_us;          /* when level was last refilled */
	uint64_t sent, limited;    /* errors let through and held back */
};
void icmp6_ratelimit_init(struct icmp6_ratelimit *rl, uint32_t rate_per_s, uint32_t burst,
			  uint64_t now_us);
/* True (and a token taken) if an error may go now; false counts limited.
 * The caller counts Icmp6OutRateLimitGlobal on false. */
bool icmp6_ratelimit_allow(struct icmp6_ratelimit *rl, uint64_t now_us);

#endif
