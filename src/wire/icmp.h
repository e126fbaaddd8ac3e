/* ICMPv4 (RFC 792): echo and destination unreachable. */
#ifndef GT_WIRE_ICMP_H
#define GT_WIRE_ICMP_H

#include <stddef.h>
#include <stdint.h>

#define ICMP_ECHO_REPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_ECHO_REQUEST 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12

#define ICMP_UNREACH_NET 0
#define ICMP_UNREACH_HOST 1
#define ICMP_UNREACH_PROTO 2
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_FRAG_NEEDED 4
#define ICMP_UNREACH_ADMIN 13

struct icmp_hdr {
	uint8_t type, code;
	uint16_t id, seq;      /* echo */
	uint16_t next_mtu;     /* frag needed (RFC 1191) */
	const uint8_t *body;   /* after the 8-byte header */
	size_t body_len;
};

/* Parses and verifies the checksum; 0 or -1 when malformed. */
int icmp_parse(const uint8_t *msg, size_t len, struct icmp_hdr *h);
/* Writes an 8-byte header plus body with checksum; returns the length. */
size_t icmp_emit(uint8_t *out, uint8_t type, uint8_t code, uint32_t rest,
		 const uint8_t *body, size_t body_len);

#endif
