/* The transport headers and ICMP messages of the relay's own packets,
 * whichever IP version carries them (pkt_common.h): pkt.c puts an IPv4
 * header before them, pkt6.c an IPv6 one. */
#include "runtime/relay/pkt_common.h"

#include <string.h>

#include "util/be.h"
#include "util/checksum.h"

void relay_rst_fill(uint8_t t[20], const struct relay_pkt *from, uint32_t pseudo)
{
	memset(t, 0, 20); /* window, checksum, urgent pointer 0 */
	put_be16(t, from->dport);
	put_be16(t + 2, from->sport);
	/* RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST> to a segment with ACK,
	 * else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	if (from->flags & RELAY_TCP_ACK) {
		put_be32(t + 4, from->ack);
		t[13] = RELAY_TCP_RST;
	} else {
		uint32_t seglen = (uint32_t)from->payload_len + !!(from->flags & RELAY_TCP_SYN) +
				  !!(from->flags & RELAY_TCP_FIN);
		put_be32(t + 8, from->seq + seglen);
		t[13] = RELAY_TCP_RST | RELAY_TCP_ACK;
	}
	t[12] = 5 << 4;
	put_be16(t + 16, csum_fold(csum_partial(t, 20, pseudo)));
}

void relay_icmp_error_fill(uint8_t *m, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *orig,
			   size_t quote, uint32_t pseudo)
{
	m[0] = type;
	m[1] = code;
	put_be16(m + 2, 0);
	put_be32(m + 4, rest); /* unused, but for a next-hop MTU (RFC 1191, 4443 3.2) or a pointer */
	memcpy(m + 8, orig, quote);
	put_be16(m + 2, csum_fold(csum_partial(m, 8 + quote, pseudo)));
}

void relay_udp_fill(uint8_t *u, uint16_t sport, uint16_t dport, size_t payload_len, uint32_t pseudo)
{
	put_be16(u, sport);
	put_be16(u + 2, dport);
	put_be16(u + 4, (uint16_t)(8 + payload_len));
	put_be16(u + 6, 0);
	uint16_t c = csum_fold(csum_partial(u, 8 + payload_len, pseudo));
	put_be16(u + 6, c ? c : 0xffff);
}

void relay_echo_reply_fill(uint8_t *m, size_t len, uint8_t type, uint32_t pseudo)
{
	m[0] = type;
	m[1] = 0;
	put_be16(m + 2, 0);
	put_be16(m + 2, csum_fold(csum_partial(m, len, pseudo)));
}

void relay_echo_hdr_back(uint8_t out[8], const uint8_t host_icmp[8], uint16_t ns_id)
{
	memcpy(out, host_icmp, 8);
	put_be16(out + 4, ns_id);
	put_be16(out + 2, relay_csum_update16(get_be16(host_icmp + 2), get_be16(host_icmp + 4), ns_id));
}
