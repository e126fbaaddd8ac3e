/* IPv6 on the wire (RFC 8200): the fixed header, a bounded walk of the
 * extension-header chain, the address checks a host makes on input
 * (RFC 4291 2.5.2, 2.5.3, 2.5.5.2, 2.7), the upper-layer checksum over the
 * pseudo-header (RFC 8200 8.1), MSS from the MTU, and the Ip6* / Icmp6*
 * counter names (IPv6-MIB, RFC 4293; Linux /proc/net/snmp6) for the core
 * to count with. docs/ipv6.md has the policies and what integration remains. */
#ifndef GT_WIRE_IPV6_H
#define GT_WIRE_IPV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glasstcp/stats.h>

#include "wire/tcp_wire.h"

#define IPV6_HDR_LEN 40
#define IPV6_MIN_MTU 1280       /* RFC 8200 5: every link carries 1280 */
/* Limits of the walk (docs/ipv6.md): extension headers per packet,
 * non-padding options per Hop-by-Hop or Destination Options header and
 * consecutive padding bytes (RFC 8504 5.3 asks hosts to bound both; 8 and
 * 7 are Linux's max_{hbh,dst}_opts_number and its padding bound). */
#define IPV6_EXT_MAX 8
#define IPV6_OPTS_MAX 8
#define IPV6_PAD_MAX 7

#ifndef IPPROTO_TCP_
#define IPPROTO_TCP_ 6
#endif
#define IPPROTO_UDP_ 17
#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_NONE_ 59        /* RFC 8200 4.7: nothing follows */
#define IPPROTO_DSTOPTS_ 60

/* A 128-bit address in network byte order. It moves to
 * include/glasstcp/socket.h when sockets learn GT_AF_INET6; the guard lets
 * that header define it first. */
#ifndef GT_IN6_ADDR_DEFINED
#define GT_IN6_ADDR_DEFINED
struct gt_in6_addr {
	uint8_t b[16];
};
#endif

static inline bool ipv6_addr_eq(const struct gt_in6_addr *a, const struct gt_in6_addr *b)
{
	uint8_t d = 0;
	for (int i = 0; i < 16; i++)
		d |= a->b[i] ^ b->b[i];
	return d == 0;
}
bool ipv6_addr_is_unspecified(const struct gt_in6_addr *a);   /* ::      (RFC 4291 2.5.2) */
bool ipv6_addr_is_loopback(const struct gt_in6_addr *a);      /* ::1     (RFC 4291 2.5.3) */
bool ipv6_addr_is_v4mapped(const struct gt_in6_addr *a);      /* ::ffff:0:0/96 (2.5.5.2) */
static inline bool ipv6_addr_is_multicast(const struct gt_in6_addr *a)
{
	return a->b[0] == 0xff;                                 /* ff00::/8 (RFC 4291 2.7) */
}

struct ipv6_hdr {
	uint8_t tclass;         /* traffic class: DSCP << 2 | ECN */
	uint32_t flow;          /* flow label, 20 bits (RFC 6437) */
	uint16_t payload_len;   /* bytes after the fixed header, extensions included */
	uint8_t next;           /* Next Header of the fixed header */
	uint8_t hop_limit;
	struct gt_in6_addr src, dst;
};

/* Why a packet is dropped: one reason per check, each mapped to the
 * counter it is counted in by ipv6_drop_stat(). */
enum ipv6_drop {
	IPV6_OK = 0,
	IPV6_ERR_TRUNCATED,       /* shorter than the 40-byte header */
	IPV6_ERR_VERSION,         /* version field not 6 */
	IPV6_ERR_PAYLOAD_LEN,     /* payload length runs past the packet */
	IPV6_ERR_SRC_MULTICAST,   /* RFC 4291 2.7 */
	IPV6_ERR_SRC_UNSPECIFIED, /* :: cannot be answered (we do no DAD) */
	IPV6_ERR_SRC_V4MAPPED,    /* RFC 4291 2.5.5.2: never on the wire */
	IPV6_ERR_SRC_LOOPBACK,    /* RFC 4291 2.5.3 */
	IPV6_ERR_DST_INVALID,     /* ::, ::1, ::ffff:0:0/96, multicast scope 0 */
	IPV6_ERR_EXT_TRUNCATED,   /* an extension header runs past the payload */
	IPV6_ERR_EXT_TOO_MANY,    /* more than IPV6_EXT_MAX extension headers */
	IPV6_ERR_HBH_NOT_FIRST,   /* Hop-by-Hop anywhere but first (RFC 8200 4.1) */
	IPV6_ERR_OPT_MALFORMED,   /* an option runs past its header */
	IPV6_ERR_OPT_LIMIT,       /* too many options or too much padding */
	IPV6_ERR_OPT_UNKNOWN,     /* unrecognised option whose type says discard (4.2) */
	IPV6_ERR_RH0,             /* Routing type 0 (RFC 5095) */
	IPV6_ERR_ROUTING_SEGLEFT, /* other Routing type, Segments Left != 0 (4.4) */
	IPV6_ERR_FRAGMENT,        /* a fragment that is not atomic: no reassembly */
	IPV6_DROP_COUNT
};

/* The extension-header chain as walked, and on a drop the ICMPv6 error
 * RFC 8200 asks for (icmp_type 0: none, drop silently). */
struct ipv6_chain {
	uint8_t proto;          /* upper-layer protocol: the last Next Header */
	uint8_t n_ext;          /* extension headers walked */
	bool frag;              /* a Fragment header was seen */
	uint32_t frag_id;       /* its Identification */
	uint32_t l4_off;        /* where the upper-layer header starts */
	uint32_t l4_len;        /* from there to the end of the payload */
	uint32_t nh_off;        /* offset of the Next Header field that named proto */
	uint8_t icmp_type, icmp_code;
	uint32_t icmp_pointer;  /* Parameter Problem pointer: an offset in the packet */
};

/* Parses the fixed header and checks version, lengths and addresses. On
 * success the payload is pkt[40 .. 40 + h->payload_len); bytes after it
 * (link padding) are not part of the packet. */
enum ipv6_drop ipv6_parse(const uint8_t *pkt, size_t len, struct ipv6_hdr *h);
/* Walks the extension headers of a packet ipv6_parse() accepted, never
 * past its payload and never more than IPV6_EXT_MAX of them. Hop-by-Hop
 * and Destination Options are processed option by option (RFC 8200 4.2),
 * Routing headers as a host that is no segment's endpoint (4.4, RFC 5095),
 * atomic fragments (RFC 6946) pass and every other fragment is dropped
 * (no reassembly). On IPV6_OK the upper layer is
 * pkt[c->l4_off .. c->l4_off + c->l4_len). */
enum ipv6_drop ipv6_walk(const uint8_t *pkt, const struct ipv6_hdr *h, struct ipv6_chain *c);
/* Both: what an input path calls on every packet. c is filled as far as
 * the walk went (zeroed when the fixed header failed). */
enum ipv6_drop ipv6_parse_packet(const uint8_t *pkt, size_t len, struct ipv6_hdr *h,
				 struct ipv6_chain *c);
/* Follows the chain by its lengths alone, without judging options or
 * routing types (for a packet quoted in an ICMPv6 error, cut short and
 * maybe malformed): 0 and the upper-layer protocol and its offset in pkt;
 * -1 when the chain is cut (or pkt is no IPv6 packet);
 * IPV6_SKIP_TOO_LONG after IPV6_EXT_MAX extension headers;
 * IPV6_SKIP_LATER_FRAGMENT with the offset of the Fragment header (proto
 * IPPROTO_FRAGMENT_) when it is a fragment after the first, which holds no
 * upper-layer header. All three are negative. */
#define IPV6_SKIP_LATER_FRAGMENT (-2)
#define IPV6_SKIP_TOO_LONG (-3)
int ipv6_skip_chain(const uint8_t *pkt, size_t len, uint8_t *proto, size_t *l4_off);
/* Writes the 40-byte fixed header; returns 40. */
size_t ipv6_emit(uint8_t *out, const struct ipv6_hdr *h);

/* The upper-layer checksum of RFC 8200 8.1: pseudo-header (addresses, the
 * 32-bit upper-layer length, next header) and len bytes of data, folded and
 * complemented. Over data whose checksum field is zero it is the value to
 * store; over data that carries one, 0 means correct. */
uint16_t ipv6_csum(const struct gt_in6_addr *src, const struct gt_in6_addr *dst, uint8_t nh,
		   const void *data, size_t len);
/* UDP's (RFC 8200 8.1, RFC 768): a computed 0 is sent as 0xffff, and a
 * received 0 is invalid. */
uint16_t ipv6_udp_csum(const struct gt_in6_addr *src, const struct gt_in6_addr *dst,
		       const void *dgram, size_t len);
bool ipv6_udp_csum_ok(const struct gt_in6_addr *src, const struct gt_in6_addr *dst,
		      const uint8_t *dgram, size_t len);

/* tcp_parse_ex()/tcp_emit() with the IPv6 pseudo-header: the checksum is
 * verified (or made) over it instead of IPv4's. */
enum tcp_parse_err ipv6_tcp_parse(const uint8_t *seg, size_t len, const struct gt_in6_addr *src,
				  const struct gt_in6_addr *dst, struct tcp_hdr *h, bool verify_csum);
void ipv6_tcp_emit(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts, size_t opts_len,
		   size_t payload_len, const struct gt_in6_addr *src, const struct gt_in6_addr *dst);

/* RFC 9293 3.7.1 with RFC 8200 5: MSS = MTU - 40 (IPv6) - 20 (TCP), the
 * MTU taken as at least 1280 (so at least 1220) and at most 65535. */
static inline uint16_t ipv6_mss_for_mtu(uint32_t mtu)
{
	if (mtu < IPV6_MIN_MTU)
		mtu = IPV6_MIN_MTU;
	if (mtu > 65535)
		mtu = 65535;
	return (uint16_t)(mtu - IPV6_HDR_LEN - TCP_HDR_MIN);
}

/* RFC 6437 3: a flow's label is a 20-bit value, uniformly distributed
 * (from a keyed hash of the flow's tuple, the caller's), and not 0 (0
 * means "no flow label"). */
static inline uint32_t ipv6_flow_label(uint32_t hash)
{
	uint32_t l = (hash ^ hash >> 20) & 0xfffff;
	return l ? l : 1;
}

/* The counters of IPv6 and ICMPv6, named as IPv6-MIB / RFC 4293 and Linux
 * name them: name, description. They join GT_STATS_FIELDS in
 * include/glasstcp/stats.h at integration (docs/ipv6.md); until then
 * struct ip6_stats holds them. */
/* GT_IP6_STATS_FIELDS is in <glasstcp/stats.h>, part of struct gt_stats. */

#define IP6_STAT_ID_(name, desc) IP6_STAT_##name,
enum ip6_stat { GT_IP6_STATS_FIELDS(IP6_STAT_ID_) IP6_STAT_COUNT };
#define IP6_STAT_FIELD_(name, desc) uint64_t name;
struct ip6_stats {
	GT_IP6_STATS_FIELDS(IP6_STAT_FIELD_)
};

/* The counter a drop is counted in (Ip6InHdrErrors for IPV6_OK: unused). */
enum ip6_stat ipv6_drop_stat(enum ipv6_drop r);
const char *ipv6_drop_str(enum ipv6_drop r);
const char *ip6_stat_name(enum ip6_stat id);

/* Adds one to counter id of st: any struct with the GT_IP6_STATS_FIELDS
 * fields (struct ip6_stats now, struct gt_stats after integration), found
 * by name (__typeof__, which GCC and Clang have in every -std mode). */
#define IP6_STAT_CASE_(name, desc)       \
	case IP6_STAT_##name:            \
		ip6_stat_target_->name++; \
		break;
#define IP6_STAT_INC(st, id)                                       \
	do {                                                       \
		__typeof__(st) ip6_stat_target_ = (st);            \
		switch (id) {                                      \
			GT_IP6_STATS_FIELDS(IP6_STAT_CASE_)        \
		case IP6_STAT_COUNT:                               \
			break;                                     \
		}                                                  \
	} while (0)
/* Counts one received packet's fate as RFC 4293 and Linux do: always
 * Ip6InReceives; a Fragment header Ip6ReasmReqds, and an atomic fragment
 * that passed Ip6ReasmOKs; a drop the counter of its reason. Delivery
 * (Ip6InDelivers) and unknown upper layers are the caller's to count. */
#define IPV6_COUNT_INPUT(st, r, c)                                         \
	do {                                                               \
		__typeof__(st) ip6_in_st_ = (st);                          \
		enum ipv6_drop ip6_in_r_ = (r);                            \
		ip6_in_st_->Ip6InReceives++;                               \
		if ((c)->frag) {                                           \
			ip6_in_st_->Ip6ReasmReqds++;                       \
			if (ip6_in_r_ == IPV6_OK)                          \
				ip6_in_st_->Ip6ReasmOKs++;                 \
		}                                                          \
		if (ip6_in_r_ != IPV6_OK)                                  \
			IP6_STAT_INC(ip6_in_st_, ipv6_drop_stat(ip6_in_r_)); \
	} while (0)

#endif
