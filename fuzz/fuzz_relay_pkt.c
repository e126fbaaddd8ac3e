/* libFuzzer target: the relay's packet code on arbitrary bytes, as the
 * namespace may write them onto its TUN device (runtime/relay/pkt.c,
 * pkt6.c): relay_pkt_parse() for IPv4 and IPv6 must describe only bytes it
 * was given; the checksum check must stay within them; an IPv6 TCP segment
 * translated to IPv4 and back (RFC 7915) keeps a right checksum right and
 * comes back with its addresses and ports; the RST and ICMP errors the
 * relay would answer with parse and carry right checksums.
 *
 * Input: byte 0 bit 0 makes the transport checksum right first (else most
 * inputs stop at it); the rest is the packet.
 */
#include "fuzz_peer.h"

#include "runtime/relay/pkt.h"
#include "util/checksum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOM 32u

static void check_parsed(const struct relay_pkt *p, const uint8_t *buf, size_t len)
{
	if (p->len > len || p->ip != buf || p->l4 < buf || p->l4 + p->l4_len > buf + p->len ||
	    p->ihl > p->len)
		fz_fail("parse: len %zu ihl %zu l4_len %zu of %zu bytes", p->len, p->ihl, p->l4_len, len);
	if (p->proto == RELAY_PROTO_TCP && (p->thl < 20 || p->thl > p->l4_len))
		fz_fail("parse: TCP header %zu of %zu", p->thl, p->l4_len);
	if (p->v6 && (p->src6 != buf + 8 || p->dst6 != buf + 24))
		fz_fail("parse: IPv6 addresses not in the header");
	(void)relay_pkt_l4_csum_ok(p);
}

/* Makes the TCP/UDP/ICMP checksum of a parsed packet right. */
static void fix_csum(struct relay_pkt *p)
{
	size_t off = p->proto == RELAY_PROTO_TCP ? 16 : p->proto == RELAY_PROTO_UDP ? 6 : 2;
	if (p->l4_len < off + 2)
		return;
	p->l4[off] = p->l4[off + 1] = 0;
	uint32_t sum = p->v6 ? csum_pseudo_ipv6(p->src6, p->dst6, p->proto, (uint32_t)p->l4_len)
		       : p->proto == RELAY_PROTO_ICMP ? 0
		       : csum_pseudo_ipv4(p->src, p->dst, p->proto, (uint16_t)p->l4_len);
	uint16_t c = csum_fold(csum_partial(p->l4, p->l4_len, sum));
	if (p->proto == RELAY_PROTO_UDP && c == 0)
		c = 0xffff;
	p->l4[off] = (uint8_t)(c >> 8);
	p->l4[off + 1] = (uint8_t)c;
}

static void check_answers(const struct relay_pkt *p)
{
	uint8_t out[1400];
	struct relay_pkt q;
	static const uint8_t gw6[16] = { 0xfd, [15] = 2 };
	if (p->proto == RELAY_PROTO_TCP) {
		size_t n = p->v6 ? relay_emit_rst6_for(out, sizeof(out), p)
				 : relay_emit_rst_for(out, sizeof(out), p, 1);
		if (!n || relay_pkt_parse(out, n, &q) != RELAY_PKT_OK || !relay_pkt_l4_csum_ok(&q))
			fz_fail("rst: %zu bytes that do not parse or sum", n);
		if (q.sport != p->dport || q.dport != p->sport || !(q.flags & RELAY_TCP_RST))
			fz_fail("rst: ports or flags");
	}
	size_t n = p->v6 ? relay_emit_icmp6_error(out, sizeof(out), gw6, RELAY_ICMP6_UNREACH, 0, 0, p->ip, p->len)
			 : relay_emit_unreach(out, sizeof(out), 0x0a000202, 1, p->ip, p->len, 1);
	if (n && (relay_pkt_parse(out, n, &q) != RELAY_PKT_OK || !relay_pkt_l4_csum_ok(&q)))
		fz_fail("icmp error: %zu bytes that do not parse or sum", n);
}

/* IPv6 TCP -> IPv4 -> IPv6: a right checksum stays right each way. */
static void check_translation(uint8_t *buf, const struct relay_pkt *p)
{
	if (!p->v6 || p->proto != RELAY_PROTO_TCP)
		return;
	bool ok = relay_pkt_l4_csum_ok(p);
	uint8_t src6[16], dst6[16];
	memcpy(src6, p->src6, 16);
	memcpy(dst6, p->dst6, 16);
	uint16_t sport = p->sport, dport = p->dport;
	size_t m = relay_tcp6_to4(buf, p->len, 0x64400001, 1024, 0x0a000202, 1, false, 7);
	if (!m)
		return;
	struct relay_pkt q;
	if (relay_pkt_parse(buf + 20, m, &q) != RELAY_PKT_OK || q.v6)
		fz_fail("6to4: %zu bytes that do not parse as IPv4", m);
	if (ok && !relay_pkt_l4_csum_ok(&q))
		fz_fail("6to4: a right checksum went wrong");
	size_t b = relay_tcp4_to6(buf + 20, m, src6, sport, dst6, dport, false);
	if (b != p->len)
		fz_fail("4to6: %zu bytes back of %zu", b, p->len);
	if (relay_pkt_parse(buf, b, &q) != RELAY_PKT_OK || !q.v6 || memcmp(q.src6, src6, 16) ||
	    memcmp(q.dst6, dst6, 16) || q.sport != sport || q.dport != dport)
		fz_fail("4to6: not the segment it was");
	if (ok && !relay_pkt_l4_csum_ok(&q))
		fz_fail("4to6: a right checksum went wrong");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t room[ROOM + 70000];
	if (size < 1 || size - 1 > sizeof(room) - ROOM)
		return 0;
	uint8_t *buf = room + ROOM;
	size_t len = size - 1;
	memcpy(buf, data + 1, len);
	struct relay_pkt p;
	if (relay_pkt_parse(buf, len, &p) != RELAY_PKT_OK)
		return 0;
	check_parsed(&p, buf, len);
	if (data[0] & 1)
		fix_csum(&p);
	check_answers(&p);
	check_translation(buf, &p);
	return 0;
}
