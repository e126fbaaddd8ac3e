/* The packets the relay reads and writes on the namespace's TUN device
 * itself, around the stack: IPv4 (RFC 791) headers parsed with every length
 * checked, TCP and UDP ports and addresses rewritten in place with
 * incremental checksum updates (RFC 1624), and the few packets the relay
 * makes on its own: an RST for a refused SYN (RFC 9293 3.10.7.1), ICMP
 * errors (RFC 792, RFC 1812 4.3.2.3) and UDP datagrams (RFC 768) with
 * their checksums; IPv6 (pkt6.c) the same, and TCP translated between
 * IPv6 and IPv4 (RFC 7915). Pure: no I/O, unit-tested and fuzzed
 * (fuzz/fuzz_relay_pkt.c). */
#ifndef GT_RUNTIME_RELAY_PKT_H
#define GT_RUNTIME_RELAY_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RELAY_PROTO_ICMP 1
#define RELAY_PROTO_TCP 6
#define RELAY_PROTO_UDP 17
#define RELAY_PROTO_ICMP6 58
#define RELAY_ICMP6_UNREACH 1
#define RELAY_ICMP6_TOO_BIG 2
#define RELAY_ICMP6_TIME_EXCEEDED 3
#define RELAY_ICMP6_PARAM_PROBLEM 4
#define RELAY_ICMP6_ECHO 128
#define RELAY_ICMP6_ECHO_REPLY 129
#define RELAY_UNREACH6_NOROUTE 0
#define RELAY_UNREACH6_ADMIN 1
#define RELAY_UNREACH6_ADDR 3
#define RELAY_UNREACH6_PORT 4

#define RELAY_TCP_FIN 0x01
#define RELAY_TCP_SYN 0x02
#define RELAY_TCP_RST 0x04
#define RELAY_TCP_ACK 0x10

#define RELAY_ICMP_ECHO_REPLY 0
#define RELAY_ICMP_UNREACH 3
#define RELAY_ICMP_ECHO 8
#define RELAY_ICMP_TIME_EXCEEDED 11
#define RELAY_ICMP_PARAM_PROBLEM 12
#define RELAY_UNREACH_NET 0
#define RELAY_UNREACH_HOST 1
#define RELAY_UNREACH_PORT 3
#define RELAY_UNREACH_ADMIN 13

/* What relay_pkt_parse() says of a packet. */
enum relay_pkt_verdict {
	RELAY_PKT_OK = 0,
	RELAY_PKT_NOT_IPV4,  /* neither IPv4 nor IPv6 */
	RELAY_PKT_BAD_IP,    /* short, bad header length or checksum, total length past the read */
	RELAY_PKT_FRAGMENT,  /* not reassembled: dropped and counted */
	RELAY_PKT_BAD_L4,    /* TCP/UDP header cut short or with a bad length */
	RELAY_PKT_V6_EXT,    /* IPv6 with an extension header (not followed) */
};

/* A parsed packet: pointers into the caller's buffer, numbers in host order. */
struct relay_pkt {
	uint8_t *ip;          /* the IPv4 or IPv6 header */
	size_t len;           /* total length (bytes after it in the read are ignored) */
	size_t ihl;           /* IPv4 header bytes (IPv6: 40) */
	uint8_t proto;        /* IPv6: the next header */
	bool v6;
	uint32_t src, dst;    /* IPv6: relay_fold6() of the addresses, for hashing */
	const uint8_t *src6, *dst6; /* IPv6: the addresses in the packet */
	uint8_t *l4;          /* the transport header */
	size_t l4_len;        /* transport header + payload */
	uint16_t sport, dport; /* TCP and UDP */
	/* TCP only */
	uint32_t seq, ack;
	uint8_t flags;
	size_t thl;           /* TCP header bytes */
	size_t payload_len;   /* TCP or UDP payload bytes */
	/* The namespace's kernel left the transport checksum partial
	 * (VIRTIO_NET_HDR_F_NEEDS_CSUM): its own packet, straight from its
	 * memory, which nothing on the way could corrupt (a veth does not
	 * check these either). Set by the caller after parsing. */
	bool csum_partial;
};

/* Parses buf (len bytes as read) in place, IPv4 or IPv6 by the version.
 * Transport headers are checked for TCP and UDP; other protocols get
 * l4/l4_len only. */
enum relay_pkt_verdict relay_pkt_parse(uint8_t *buf, size_t len, struct relay_pkt *p);
/* The transport headers of p (l4, l4_len set): ports, TCP's fields. */
enum relay_pkt_verdict relay_pkt_parse_tcp(struct relay_pkt *p);
enum relay_pkt_verdict relay_pkt_parse_udp(struct relay_pkt *p);

/* ---- IPv6 (pkt6.c) ---- */
enum relay_pkt_verdict relay_pkt_parse6(uint8_t *buf, size_t len, struct relay_pkt *p);
bool relay_pkt6_l4_csum_ok(const struct relay_pkt *p);
/* 32 bits of an IPv6 address for hash tables. */
uint32_t relay_fold6(const uint8_t a[16]);
/* An IPv6 TCP segment (len bytes at ip6, no extension headers) made the
 * IPv4 segment src:sport -> dst:dport in place (RFC 7915 5.1): the IPv4
 * header goes in the last 20 bytes of the IPv6 one, so the result starts
 * at ip6 + 20; returns its length (0: too short). The checksum follows
 * (partial: it is the pseudo-header's sum), a SYN's MSS drops by 20. */
size_t relay_tcp6_to4(uint8_t *ip6, size_t len, uint32_t src, uint16_t sport, uint32_t dst,
		      uint16_t dport, bool partial, uint16_t ip_id);
/* The other way (RFC 7915 4.1): the IPv4 segment at ip4 (no options; 20
 * writable bytes before it) made the IPv6 segment src6:sport ->
 * dst6:dport starting at ip4 - 20; returns its length, 0 if it cannot.
 * partial: the checksum field holds a partial sum and stays one. */
size_t relay_tcp4_to6(uint8_t *ip4, size_t len, const uint8_t src6[16], uint16_t sport,
		      const uint8_t dst6[16], uint16_t dport, bool partial);
/* The RST a closed port sends (as relay_emit_rst_for()) over IPv6. */
size_t relay_emit_rst6_for(uint8_t *out, size_t cap, const struct relay_pkt *from);
/* ICMPv6 error (RFC 4443) from src to the sender of orig, quoting as much
 * of it as the minimum MTU allows; rest is the second word. */
size_t relay_emit_icmp6_error(uint8_t *out, size_t cap, const uint8_t src[16], uint8_t type,
			      uint8_t code, uint32_t rest, const uint8_t *orig, size_t orig_len);
/* An echo reply (RFC 4443 4.2) from src to dst for the echo request's
 * ICMPv6 message (echo_len bytes; may lie at out + 40 already). */
size_t relay_emit_echo6_reply(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16],
			      const uint8_t *echo, size_t echo_len);
const char *relay_pkt_verdict_name(enum relay_pkt_verdict v);

/* True when the TCP, UDP or ICMP checksum of a parsed packet is right (a UDP
 * checksum of 0 means none was sent, RFC 768). */
bool relay_pkt_l4_csum_ok(const struct relay_pkt *p);

/* Rewrites the addresses and ports of an IPv4 TCP or UDP packet whose
 * headers start at ip (ihl bytes of IPv4, then at least the first 8 bytes
 * of the transport header, so the payload may live elsewhere) and fixes
 * the IPv4 and transport checksums incrementally. A UDP checksum of 0
 * stays 0. l4_partial: the transport checksum field holds a partial sum
 * (the pseudo-header's, VIRTIO_NET_HDR_F_NEEDS_CSUM) and stays one. */
void relay_pkt_rewrite(uint8_t *ip, size_t ihl, uint8_t proto, uint32_t src, uint16_t sport,
		       uint32_t dst, uint16_t dport, bool l4_partial);

/* RFC 1624 eqn. 3: the checksum field csum (host order) after a 16-bit
 * word of the summed data changes from old to new. */
uint16_t relay_csum_update16(uint16_t csum, uint16_t old, uint16_t new);

/* The relay's own packets. Each writes a complete IPv4 packet into out
 * (cap bytes) and returns its length, or 0 when it does not fit. */
#define RELAY_RST_BYTES 40u
/* The RST a closed port sends in answer to a TCP segment (RFC 9293
 * 3.10.7.1): <SEQ=SEG.ACK><CTL=RST> to a segment with ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN and FIN count in SEG.LEN).
 * from: the segment it answers, as parsed. */
size_t relay_emit_rst_for(uint8_t *out, size_t cap, const struct relay_pkt *from, uint16_t ip_id);
/* ICMP destination unreachable with code from src (a router's address) to
 * the sender of the packet orig: its IPv4 header and the first 8 bytes
 * after it (RFC 792), which name the socket that sent it. */
size_t relay_emit_unreach(uint8_t *out, size_t cap, uint32_t src, uint8_t code,
			  const uint8_t *orig, size_t orig_len, uint16_t ip_id);
/* Any ICMP error (RFC 792: destination unreachable, time exceeded,
 * parameter problem) the same way, rest its second word (a next-hop MTU,
 * RFC 1191; a pointer; else 0). */
size_t relay_emit_icmp_error(uint8_t *out, size_t cap, uint32_t src, uint8_t type, uint8_t code,
			     uint32_t rest, const uint8_t *orig, size_t orig_len, uint16_t ip_id);
/* What an ICMP error for a relayed echo quotes to the namespace (RFC 792:
 * the IPv4 header and the first 8 bytes of the datagram): echo_ip is the
 * namespace's echo request as it came (its IPv4 header is used, options
 * dropped), host_icmp the first 8 bytes of the host's echo as the ICMP
 * error quoted it (the ping socket's identifier, the sequence number),
 * ns_id the namespace's identifier, put back with the checksum updated.
 * Returns RELAY_ECHO_QUOTE_BYTES, or 0 when echo_len is short. */
#define RELAY_ECHO_QUOTE_BYTES 28u
size_t relay_echo_quote(uint8_t out[RELAY_ECHO_QUOTE_BYTES], const uint8_t *echo_ip, size_t echo_len,
			const uint8_t host_icmp[8], uint16_t ns_id);
/* The IPv4 and UDP headers (28 bytes) for payload_len bytes of payload
 * already at out + 28, checksum over all of it. */
#define RELAY_UDP_HDR_BYTES 28u
size_t relay_emit_udp(uint8_t *out, size_t cap, uint32_t src, uint16_t sport, uint32_t dst,
		      uint16_t dport, size_t payload_len, uint16_t ip_id);
/* An echo reply from src to dst: the IPv4 header for the ICMP message of
 * icmp_len bytes already at out + 20 (as a ping socket returned it), whose
 * identifier becomes id (RFC 792) and whose checksum is made anew. */
size_t relay_emit_echo_reply(uint8_t *out, size_t cap, uint32_t src, uint32_t dst, uint16_t id,
			     size_t icmp_len, uint16_t ip_id);

/* A UDP datagram over IPv6: the headers (48 bytes) for payload_len bytes
 * already at out + 48, checksum over all of it. */
#define RELAY_UDP6_HDR_BYTES 48u
size_t relay_emit_udp6(uint8_t *out, size_t cap, const uint8_t src[16], uint16_t sport,
		       const uint8_t dst[16], uint16_t dport, size_t payload_len);
/* relay_echo_quote() for ICMPv6: the namespace's IPv6 header (40 bytes of
 * echo_ip) and the host's echo header with the namespace's identifier. */
#define RELAY_ECHO6_QUOTE_BYTES 48u
size_t relay_echo6_quote(uint8_t out[RELAY_ECHO6_QUOTE_BYTES], const uint8_t *echo_ip, size_t echo_len,
			 const uint8_t host_icmp[8], uint16_t ns_id);

#endif
