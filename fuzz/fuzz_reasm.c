/* libFuzzer target: fragment reassembly (src/ip/reasm.c), both families.
 * The input describes fragments, which the target builds well formed
 * (right IPv4 header checksum, a Fragment header for IPv6, sometimes behind
 * a Destination Options header) so that the fuzzer spends its time on
 * offsets, lengths, identifications, overlaps and time, not on checksums.
 * A listener on port 80 answers a reassembled SYN.
 *
 * Input: byte 0: bits 0-3 cfg.reasm_max_datagrams (0..8, larger: 8), bit 4
 * a small byte budget (4 KiB) instead of 256 KiB; then records of
 *   byte 0  bit 0 IPv6, bit 1 M/MF (more fragments), bit 2 a Destination
 *           Options header before the Fragment header (IPv6), bits 3-7
 *           time step: 0, else 2^(n-1) us before the fragment
 *   byte 1  identification (low 8 bits; the rest 0)
 *   2, 3    fragment offset in 8-byte units (13 bits), big-endian
 *   4, 5    data length (bits 0-10, at most 1400), big-endian
 *   data    that many bytes (fewer if the input ends: zeroes)
 *
 * After every fragment: the contexts and the bytes they hold stay within
 * cfg; ReasmOKs never passes ReasmReqds; every packet the stack sends
 * parses (IPv4 header checksum right, IPv6 version 6). At the end, 61 s
 * later every context is gone and no byte is held; ASan checks that the
 * buffers were given back. */
#include <stdlib.h>
#include <string.h>

#include <glasstcp/glasstcp.h>

#include "util/be.h"
#include "util/checksum.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u
static const struct gt_in6_addr laddr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr raddr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int transmit(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	const uint8_t *p = pkt;
	if (len < 1)
		abort();
	if (p[0] >> 4 == 4) {
		struct ipv4_hdr h;
		if (ipv4_parse(p, len, &h) != IPV4_OK)
			abort(); /* the stack sent a bad IPv4 packet */
	} else if (p[0] >> 4 != 6 || len < IPV6_HDR_LEN) {
		abort();
	}
	return 0;
}

static size_t build(uint8_t *out, bool v6, bool more, bool dstopt, uint32_t id, uint32_t off8,
		    const uint8_t *d, size_t n)
{
	if (!v6) {
		struct ipv4_hdr h = {
			.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + n),
			.id = (uint16_t)id, .mf = more, .frag_off = (uint16_t)(off8 * 8), .ttl = 64,
			.proto = IPPROTO_TCP_, .src = RADDR, .dst = LADDR,
		};
		ipv4_emit(out, &h);
		memcpy(out + IPV4_HDR_MIN, d, n);
		return IPV4_HDR_MIN + n;
	}
	size_t ext = dstopt ? 8 : 0;
	struct ipv6_hdr h = {
		.payload_len = (uint16_t)(ext + 8 + n), .hop_limit = 64,
		.next = dstopt ? IPPROTO_DSTOPTS_ : IPPROTO_FRAGMENT_, .src = raddr6, .dst = laddr6,
	};
	ipv6_emit(out, &h);
	uint8_t *q = out + IPV6_HDR_LEN;
	if (dstopt) {
		/* Next Header Fragment, length 0, a PadN of 4 bytes. */
		uint8_t o[8] = {IPPROTO_FRAGMENT_, 0, 1, 4, 0, 0, 0, 0};
		memcpy(q, o, 8);
		q += 8;
	}
	q[0] = IPPROTO_TCP_;
	q[1] = 0;
	put_be16(q + 2, (uint16_t)(off8 << 3 | (more ? 1 : 0)));
	put_be32(q + 4, id);
	memcpy(q + 8, d, n);
	return IPV6_HDR_LEN + ext + 8 + n;
}

static void check(gt_stack *s)
{
	const struct gt_config *c = gt_stack_config(s);
	struct gt_gauges g;
	gt_stack_gauges(s, &g);
	const struct gt_stats *st = gt_stack_stats(s);
	if (g.reasm_datagrams > c->reasm_max_datagrams || g.reasm_bytes > c->reasm_max_bytes ||
	    st->IpReasmOKs > st->IpReasmReqds || st->Ip6ReasmOKs > st->Ip6ReasmReqds)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 17)
		return 0;
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.reasm_max_datagrams = (uint8_t)((data[0] & 15) > 8 ? 8 : data[0] & 15);
	if (data[0] & 16)
		cfg.reasm_max_bytes = 4096;
	struct gt_device dev = {.transmit = transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	if (!s)
		abort();
	gt_stack_add_ipv4(s, LADDR, 24);
	gt_stack_add_ipv6(s, &laddr6, 64);
	int sd = gt_socket(s, GT_AF_INET6, GT_SOCK_STREAM);
	struct gt_sockaddr a = {.family = GT_AF_INET6, .port = 80};
	gt_bind(s, sd, &a);
	gt_listen(s, sd, 8);
	uint64_t now = 1000000;
	const uint8_t *p = data + 1, *end = data + size;
	static uint8_t pkt[IPV6_HDR_LEN + 16 + 1400], zero[1400];
	while (end - p >= 6) {
		uint8_t f = p[0];
		uint32_t id = p[1];
		uint32_t off8 = (uint32_t)(p[2] << 8 | p[3]) & 0x1fff;
		size_t n = (size_t)(p[4] << 8 | p[5]) & 0x7ff;
		p += 6;
		if (n > 1400)
			n = 1400;
		const uint8_t *d = p;
		if ((size_t)(end - p) < n) {
			memset(zero, 0, sizeof(zero));
			memcpy(zero, p, (size_t)(end - p));
			d = zero;
			p = end;
		} else {
			p += n;
		}
		unsigned t = f >> 3;
		if (t)
			now += 1ull << (t - 1);
		size_t len = build(pkt, f & 1, f & 2, f & 4, id, off8, d, n);
		gt_stack_input(s, now, pkt, len);
		gt_stack_poll(s, now);
		check(s);
	}
	/* 61 s on: every datagram finished or given up. */
	gt_stack_poll(s, now + 61000000);
	struct gt_gauges g;
	gt_stack_gauges(s, &g);
	if (g.reasm_datagrams || g.reasm_bytes)
		abort();
	gt_close(s, sd);
	gt_stack_free(s);
	return 0;
}
