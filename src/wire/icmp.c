/* ICMPv4 messages: RFC 792 (header, echo, destination unreachable, checksum
 * over the whole message), RFC 1191 4 (next-hop MTU in "fragmentation
 * needed"), RFC 1122 3.2.2 (discard on a bad checksum). */
#include "wire/icmp.h"

#include <string.h>

#include "util/be.h"
#include "util/checksum.h"

#define ICMP_HDR_LEN 8


int icmp_parse(const uint8_t *msg, size_t len, struct icmp_hdr *h)
{
	if (len < ICMP_HDR_LEN)
		return -1;
	/* RFC 792: the checksum covers the ICMP message from its type field;
	 * a correct message sums to 0xffff. */
	if (csum_fold(csum_partial(msg, len, 0)) != 0)
		return -1;

	memset(h, 0, sizeof *h);
	h->type = msg[0];
	h->code = msg[1];
	/* The second word means something different per type; fill only the
	 * fields this type defines. */
	if (h->type == ICMP_ECHO_REQUEST || h->type == ICMP_ECHO_REPLY) {
		h->id = get_be16(msg + 4);
		h->seq = get_be16(msg + 6);
	} else if (h->type == ICMP_DEST_UNREACH && h->code == ICMP_UNREACH_FRAG_NEEDED) {
		/* RFC 1191 4: low-order 16 bits are the next-hop MTU; 0 from
		 * routers that predate RFC 1191. */
		h->next_mtu = get_be16(msg + 6);
	}
	h->body = msg + ICMP_HDR_LEN;
	h->body_len = len - ICMP_HDR_LEN;
	return 0;
}

size_t icmp_emit(uint8_t *out, uint8_t type, uint8_t code, uint32_t rest,
		 const uint8_t *body, size_t body_len)
{
	out[0] = type;
	out[1] = code;
	put_be16(out + 2, 0);
	put_be16(out + 4, (uint16_t)(rest >> 16));
	put_be16(out + 6, (uint16_t)rest);
	/* An echo reply may hand back the request's body from the same buffer. */
	if (body_len && body != out + ICMP_HDR_LEN)
		memmove(out + ICMP_HDR_LEN, body, body_len);
	size_t len = ICMP_HDR_LEN + body_len;
	put_be16(out + 2, csum_fold(csum_partial(out, len, 0)));
	return len;
}
