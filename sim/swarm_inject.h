/* Packets the swarm puts on the wire itself (sim/swarm_inject.c): hostile
 * segments (RFC 5961's blind RST, SYN and data; malformed options), ICMP
 * errors quoting a real segment (RFC 792, RFC 1191, RFC 5927), their IPv6
 * forms (ICMPv6 errors and Packet Too Big: RFC 4443, RFC 8201), and copies of
 * a real packet with several bits flipped in one 16-bit word (which the
 * Internet checksum always catches: RFC 1071). */
#ifndef GT_SIM_SWARM_INJECT_H
#define GT_SIM_SWARM_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INJ_MAX 1600u

/* An IPv4 TCP segment from src:sport to dst:dport with valid checksums;
 * opts (olen bytes, any content: malformed on purpose where asked) go
 * after the header, then payload_len bytes of filler. Returns its length. */
size_t inj_tcp(uint8_t *out, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
	       uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, const uint8_t *opts,
	       size_t olen, size_t payload_len);

/* inj_tcp with the AE flag (RFC 9768 3.1, the former NS bit) set where
 * ae, and the IP header's ECN field ecn (0-3, RFC 3168 5). */
size_t inj_tcp_ecn(uint8_t *out, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		   uint32_t seq, uint8_t flags, bool ae, uint8_t ecn, const uint8_t *opts,
		   size_t olen);

/* An ICMP destination unreachable (code; next_mtu for FRAG_NEEDED) from
 * `from` to the sender of the quoted packet, quoting its IP header and the
 * first 8 bytes of its payload. Returns its length, or 0. */
size_t inj_icmp_unreach(uint8_t *out, uint32_t from, uint8_t code, uint16_t next_mtu,
			const uint8_t *quoted, size_t quoted_len);

/* An ICMP echo request from src to dst (RFC 792). Returns its length. */
size_t inj_icmp_echo(uint8_t *out, uint32_t src, uint32_t dst, uint16_t id);

/* Rewrites an IPv4 packet's protocol and sets its more-fragments bit,
 * keeping the header checksum right. */
void inj_set_ip(uint8_t *pkt, uint8_t proto, bool more_fragments);

/* The IPv4 TCP packet pkt (len bytes) put in UDP from sport to dport
 * (FreeBSD's TCP over UDP, RFC 6951's encapsulation) into out (which may
 * be pkt; INJ_MAX bytes), UDP checksum 0; with short_len the UDP length
 * says 18 (under a TCP header: dropped as an error). Returns its length,
 * or 0. */
size_t inj_udp_wrap(uint8_t *out, const uint8_t *pkt, size_t len, uint16_t sport, uint16_t dport,
		    bool short_len);

/* ---- IPv6 (RFC 8200, RFC 4443) ---- */

struct gt_in6_addr;

/* inj_tcp over IPv6: hop limit 64, flow label 0, checksum over the IPv6
 * pseudo-header. */
size_t inj_tcp6(uint8_t *out, const struct gt_in6_addr *src, uint16_t sport,
		const struct gt_in6_addr *dst, uint16_t dport, uint32_t seq, uint32_t ack,
		uint8_t flags, uint16_t win, const uint8_t *opts, size_t olen, size_t payload_len);

/* An ICMPv6 error (type Destination Unreachable with a code, or Packet Too
 * Big with param the MTU) from `from` to the sender of the quoted IPv6
 * packet, quoting all of it (RFC 4443 2.4(c)). Returns its length, or 0. */
size_t inj_icmp6_error(uint8_t *out, const struct gt_in6_addr *from, uint8_t type,
		       uint8_t code, uint32_t param, const uint8_t *quoted, size_t quoted_len);

/* An ICMPv6 echo request (or, reply, an unsolicited echo reply) from src
 * to dst (RFC 4443 4.1, 4.2). */
size_t inj_icmp6_echo(uint8_t *out, const struct gt_in6_addr *src,
		      const struct gt_in6_addr *dst, uint16_t id, bool reply);

/* Makes the IPv6 packet pkt (len bytes, no extension header) a first
 * fragment: a Fragment header (offset 0, M = 1, RFC 8200 4.5) goes in after
 * the fixed header. pkt must have room for 8 more bytes. Returns the new
 * length. */
size_t inj_fragment6(uint8_t *pkt, size_t len, uint32_t ident);
/* Bytes [lo, lo + n) of an unfragmented datagram's payload (after its
 * 20-byte IPv4 header, or the 40-byte IPv6 header) as one fragment of it
 * into out: offset lo (a multiple of 8), MF / M as more says; IPv6 gets a
 * Fragment header with ident. The fragment's length. */
size_t inj_frag4(uint8_t *out, const uint8_t *dgram, size_t lo, size_t n, bool more);
size_t inj_frag6(uint8_t *out, const uint8_t *dgram, size_t lo, size_t n, bool more,
		 uint32_t ident);
/* Puts n empty Destination Options headers (8 bytes of PadN each) in
 * front of what follows the fixed header of the IPv6 packet pkt[0..len);
 * returns the new length (len when it would not fit). */
size_t inj_ext6(uint8_t *pkt, size_t len, int n);

/* Flips `bits` (2..15) distinct bits of one 16-bit word at byte offset
 * word_off (even) of pkt: never all sixteen, so the one's complement sum
 * always changes. */
void inj_flip_bits(uint8_t *pkt, size_t len, size_t word_off, uint32_t bits, uint64_t pick);

#endif
