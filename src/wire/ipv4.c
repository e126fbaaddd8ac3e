/* IPv4 header parsing and emission: RFC 791 3.1 (header format), RFC 1122
 * 3.2.1.1-3.2.1.2 (version and checksum checks a host must make). Fragments
 * are only described here (mf, frag_off); the caller decides what to do. */
#include "wire/ipv4.h"

#include "util/be.h"
#include "util/checksum.h"

#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_FRAG_MASK 0x1fff

enum ipv4_parse_err ipv4_parse(const uint8_t *pkt, size_t len, struct ipv4_hdr *h)
{
	if (len < IPV4_HDR_MIN)
		return IPV4_ERR_TRUNCATED;
	/* RFC 1122 3.2.1.1: a datagram whose version is not 4 is discarded. */
	if (pkt[0] >> 4 != 4)
		return IPV4_ERR_VERSION;
	size_t ihl_bytes = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl_bytes < IPV4_HDR_MIN)
		return IPV4_ERR_IHL;
	if (ihl_bytes > len)
		return IPV4_ERR_TRUNCATED;
	uint16_t total_len = get_be16(pkt + 2);
	/* A total length that does not even cover the header is a lie about
	 * the header, not a short buffer. */
	if (total_len < ihl_bytes)
		return IPV4_ERR_IHL;
	if (total_len > len)
		return IPV4_ERR_TRUNCATED;
	/* RFC 1122 3.2.1.2: verify the header checksum, silently discard on
	 * failure. Summing a correct header including its checksum gives 0xffff. */
	if ((ihl_bytes == IPV4_HDR_MIN ? csum_ipv4_hdr20(pkt)
				       : csum_fold(csum_partial(pkt, ihl_bytes, 0))) != 0)
		return IPV4_ERR_CHECKSUM;

	uint16_t frag = get_be16(pkt + 6);
	h->ihl_bytes = (uint8_t)ihl_bytes;
	h->tos = pkt[1];
	h->total_len = total_len;
	h->id = get_be16(pkt + 4);
	h->df = (frag & IP_FLAG_DF) != 0;
	h->mf = (frag & IP_FLAG_MF) != 0;
	/* RFC 791 3.1: the fragment offset counts 8-octet units. */
	h->frag_off = (uint16_t)((frag & IP_FRAG_MASK) * 8);
	h->ttl = pkt[8];
	h->proto = pkt[9];
	h->src = get_be32(pkt + 12);
	h->dst = get_be32(pkt + 16);
	return IPV4_OK;
}

size_t ipv4_emit(uint8_t *out, const struct ipv4_hdr *h)
{
	uint16_t frag = (uint16_t)((h->frag_off / 8) & IP_FRAG_MASK);
	if (h->df)
		frag |= IP_FLAG_DF;
	if (h->mf)
		frag |= IP_FLAG_MF;

	/* The checksum is summed from the field values (RFC 1071: the 16-bit
	 * words of the header, checksum field zero), not read back from out:
	 * loading words just stored as bytes stalls on store forwarding, and
	 * this runs for every packet. */
	uint32_t sum = (0x45u << 8 | h->tos) + h->total_len + h->id + frag +
		       ((uint32_t)h->ttl << 8 | h->proto) + (h->src >> 16) + (h->src & 0xffff) +
		       (h->dst >> 16) + (h->dst & 0xffff);
	out[0] = 0x45; /* version 4, no options */
	out[1] = h->tos;
	put_be16(out + 2, h->total_len);
	put_be16(out + 4, h->id);
	put_be16(out + 6, frag);
	out[8] = h->ttl;
	out[9] = h->proto;
	put_be16(out + 10, csum_fold(sum));
	put_be32(out + 12, h->src);
	put_be32(out + 16, h->dst);
	return IPV4_HDR_MIN;
}
