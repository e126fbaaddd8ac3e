/* IPv4 header parsing and emission (RFC 791); addresses in host order. */
#ifndef GT_WIRE_IPV4_H
#define GT_WIRE_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_MIN 20
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

struct ipv4_hdr {
	uint8_t ihl_bytes;     /* header length in bytes */
	uint8_t tos;
	uint16_t total_len;
	uint16_t id;
	bool df, mf;
	uint16_t frag_off;     /* in bytes */
	uint8_t ttl;
	uint8_t proto;
	uint32_t src, dst;
};

enum ipv4_parse_err {
	IPV4_OK = 0,
	IPV4_ERR_TRUNCATED,    /* shorter than the header or total length */
	IPV4_ERR_VERSION,
	IPV4_ERR_IHL,
	IPV4_ERR_CHECKSUM,
};

/* Parses and validates the header (version, IHL, lengths, checksum). On
 * success the payload is pkt[h->ihl_bytes .. h->total_len). */
enum ipv4_parse_err ipv4_parse(const uint8_t *pkt, size_t len, struct ipv4_hdr *h);
/* Writes a 20-byte header with checksum at out; returns 20. */
size_t ipv4_emit(uint8_t *out, const struct ipv4_hdr *h);

#endif
