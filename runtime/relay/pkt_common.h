/* The parts of the relay's own packets that do not depend on the IP
 * version, shared by pkt.c (IPv4) and pkt6.c (IPv6): each fills a
 * transport header or an ICMP message and sums it over the pseudo-header
 * sum its caller passes (the IPv4 or IPv6 one; 0 for ICMPv4, whose
 * checksum covers the message alone, RFC 792). The IP header is the
 * caller's. Private to those two files. */
#ifndef GT_RUNTIME_RELAY_PKT_COMMON_H
#define GT_RUNTIME_RELAY_PKT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/relay/pkt.h"

/* The TCP header (20 bytes, no options) of the RST a closed port sends in
 * answer to from (RFC 9293 3.10.7.1), checksum over it with pseudo. */
void relay_rst_fill(uint8_t t[20], const struct relay_pkt *from, uint32_t pseudo);
/* An ICMP or ICMPv6 error message at m: type, code, its second word rest,
 * then quote bytes of orig; checksum over the message with pseudo. */
void relay_icmp_error_fill(uint8_t *m, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *orig,
			   size_t quote, uint32_t pseudo);
/* The UDP header at u for payload_len bytes already at u + 8, checksum
 * with pseudo; a computed 0 is sent as all ones (RFC 768; RFC 8200 8.1). */
void relay_udp_fill(uint8_t *u, uint16_t sport, uint16_t dport, size_t payload_len, uint32_t pseudo);
/* An echo reply (RFC 792, RFC 4443 4.2) made of the echo message of len
 * bytes at m: the type (ICMP's or ICMPv6's), code 0, checksum with pseudo. */
void relay_echo_reply_fill(uint8_t *m, size_t len, uint8_t type, uint32_t pseudo);
/* The quoted echo's header for the namespace: the host's (host_icmp, as
 * the error quoted it) with the namespace's identifier ns_id back in and
 * its checksum following (RFC 1624). */
void relay_echo_hdr_back(uint8_t out[8], const uint8_t host_icmp[8], uint16_t ns_id);

#endif
