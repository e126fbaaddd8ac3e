/* Writes the seed corpus of fuzz_ipv6 into <dir>/ipv6/: packets Linux sent
 * (a SYN with options, a RST, UDP, MLDv2 behind a Hop-by-Hop header,
 * neighbour solicitation and advertisement, a port unreachable) and packets
 * built to reach each path of the walk and of ICMPv6 at once: every kind of
 * extension header, each drop reason, echo, errors quoting a SYN through
 * extension headers, a quoted packet alone.
 *
 *   sh fuzz/gen_corpus_ipv6.sh      (builds this with cc and runs it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wire/icmp6.h"
#include "wire/ipv6.h"

static const char *root;

static void put(const char *name, uint8_t mode, const uint8_t *b, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/ipv6", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/ipv6/%s", root, name);
	FILE *fp = fopen(path, "wb");
	if (!fp || fputc(mode, fp) == EOF || fwrite(b, 1, n, fp) != n) {
		perror(path);
		exit(1);
	}
	fclose(fp);
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;
		if (sscanf(s, "%2x", &v) != 1)
			exit(1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static const struct gt_in6_addr LOCAL = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr PEER = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

/* Captured from Linux 6.18 over veth with checksum offload off. */
static const struct {
	const char *name, *hex;
} kernel[] = {
	{"kernel_syn", "600bec8e0028064020010db800000000000000000000000120010db8000000000000000000000002"
		       "d63c15df528aa8f800000000a002fd206ba60000020405a00402080aae4cede9000000000103030a"},
	{"kernel_rst", "6004c5670014064020010db800000000000000000000000220010db8000000000000000000000001"
		       "15dfd63c00000000528aa8f9501400006cbc0000"},
	{"kernel_udp", "600619f00014114020010db800000000000000000000000120010db8000000000000000000000002"
		       "a7891e6100149f5868656c6c6f20763620756470"},
	{"kernel_mld_hbh", "6000000000380001fe8000000000000068cf27fffe20465eff020000000000000000000000000016"
			   "3a000502000001008f0053220000000204000000ff0200000000000000000001ff20465e"
			   "04000000ff0200000000000000000001ff000001"},
	{"kernel_ns", "6000000000203aff20010db8000000000000000000000001ff0200000000000000000001ff000002"
		      "870045da0000000020010db800000000000000000000000201016acf2720465e"},
	{"kernel_na", "6000000000203aff20010db800000000000000000000000220010db8000000000000000000000001"
		      "88009ac36000000020010db800000000000000000000000202013295eff5cf24"},
	{"kernel_port_unreach",
	 "6001741000443a4020010db800000000000000000000000220010db8000000000000000000000001"
	 "010417e300000000600619f00014114020010db800000000000000000000000120010db8000000000000000000000002"
	 "a7891e6100149f5868656c6c6f20763620756470"},
};

/* A Hop-by-Hop / Destination Options header of 8 bytes: one option of
 * type t with 4 data bytes. */
static size_t opt8(uint8_t *o, uint8_t next, uint8_t t)
{
	const uint8_t b[8] = {next, 0, t, 4, 0xa1, 0xa2, 0xa3, 0xa4};
	memcpy(o, b, 8);
	return 8;
}

static size_t rt(uint8_t *o, uint8_t next, uint8_t type, uint8_t segleft)
{
	memset(o, 0, 24);
	o[0] = next, o[1] = 2, o[2] = type, o[3] = segleft;
	return 24;
}

static size_t frag(uint8_t *o, uint8_t next, uint16_t off, int m)
{
	const uint8_t b[8] = {next, 0, (uint8_t)(off >> 8), (uint8_t)(off | (m ? 1 : 0)), 0, 0, 0, 42};
	memcpy(o, b, 8);
	return 8;
}

/* The fixed header in front of what was laid at p + 40, and the upper
 * layer's checksum; returns the length. */
static size_t finish(uint8_t *p, uint8_t next, size_t plen)
{
	struct ipv6_hdr h = {.payload_len = (uint16_t)plen, .next = next, .hop_limit = 64,
			     .src = PEER, .dst = LOCAL};
	ipv6_emit(p, &h);
	struct ipv6_chain c;
	if (ipv6_parse_packet(p, 40 + plen, &h, &c) == IPV6_OK &&
	    (c.proto == IPPROTO_TCP_ || c.proto == IPPROTO_ICMPV6_)) {
		size_t at = c.proto == IPPROTO_TCP_ ? 16 : 2;
		p[c.l4_off + at] = p[c.l4_off + at + 1] = 0;
		uint16_t s = ipv6_csum(&h.src, &h.dst, c.proto, p + c.l4_off, c.l4_len);
		p[c.l4_off + at] = (uint8_t)(s >> 8);
		p[c.l4_off + at + 1] = (uint8_t)s;
	}
	return 40 + plen;
}

static size_t syn(uint8_t *o)
{
	uint8_t k[128];
	unhex(kernel[0].hex, k);
	memcpy(o, k + 40, 40);
	return 40;
}

static void chains(void)
{
	uint8_t p[512];
	size_t o;
	/* Every kind, then TCP. */
	o = 40;
	o += opt8(p + o, IPPROTO_DSTOPTS_, 0x05);
	o += opt8(p + o, IPPROTO_ROUTING_, 0x04);
	o += rt(p + o, IPPROTO_FRAGMENT_, 4, 0);
	o += frag(p + o, IPPROTO_DSTOPTS_, 0, 0);
	o += opt8(p + o, IPPROTO_TCP_, 0x1e);
	o += syn(p + o);
	put("chain_every_kind", 0, p, finish(p, IPPROTO_HOPOPTS_, o - 40));
	/* Each drop of the walk. */
	o = 40 + rt(p + 40, IPPROTO_TCP_, 0, 1);
	o += syn(p + o);
	put("rh0_segleft", 3, p, finish(p, IPPROTO_ROUTING_, o - 40));
	o = 40 + rt(p + 40, IPPROTO_TCP_, 4, 2);
	o += syn(p + o);
	put("srh_segleft", 3, p, finish(p, IPPROTO_ROUTING_, o - 40));
	o = 40 + frag(p + 40, IPPROTO_TCP_, 1448, 1);
	o += syn(p + o);
	put("fragment_middle", 0, p, finish(p, IPPROTO_FRAGMENT_, o - 40));
	o = 40 + frag(p + 40, IPPROTO_TCP_, 0, 0);
	o += syn(p + o);
	put("fragment_atomic", 0, p, finish(p, IPPROTO_FRAGMENT_, o - 40));
	const uint8_t actions[] = {0x5e, 0x9e, 0xde};
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "option_action_%d", i + 1);
		o = 40 + opt8(p + 40, IPPROTO_TCP_, actions[i]);
		o += syn(p + o);
		put(name, 3, p, finish(p, IPPROTO_DSTOPTS_, o - 40));
	}
	o = 40 + opt8(p + 40, IPPROTO_HOPOPTS_, 0x1e);
	o += opt8(p + o, IPPROTO_TCP_, 0x1e);
	o += syn(p + o);
	put("hbh_not_first", 3, p, finish(p, IPPROTO_DSTOPTS_, o - 40));
	o = 40;
	for (int i = 0; i < IPV6_EXT_MAX + 1; i++)
		o += opt8(p + o, i == IPV6_EXT_MAX ? IPPROTO_TCP_ : IPPROTO_DSTOPTS_, 0x1e);
	put("too_many_headers", 0, p, finish(p, IPPROTO_DSTOPTS_, o - 40));
	/* An unknown upper layer behind a header (AH). */
	o = 40 + opt8(p + 40, 51, 0x1e);
	memset(p + o, 0, 16);
	put("ah_after_dstopts", 0, p, finish(p, IPPROTO_DSTOPTS_, o + 16 - 40));
}

static void icmp(void)
{
	uint8_t p[1600], body[64], q[256];
	for (size_t i = 0; i < sizeof body; i++)
		body[i] = (uint8_t)('a' + i % 26);
	/* Echo request, alone and in a packet behind a header. */
	size_t n = icmp6_emit(p, ICMP6_ECHO_REQUEST, 0, 0x12340001, body, 24, &PEER, &LOCAL);
	put("echo_alone", 1, p, n);
	size_t o = 40 + opt8(p + 40, IPPROTO_ICMPV6_, 0x1e);
	o += icmp6_emit(p + o, ICMP6_ECHO_REQUEST, 0, 0x12340002, body, 40, &PEER, &LOCAL);
	put("echo_behind_dstopts", 3, p, finish(p, IPPROTO_DSTOPTS_, o - 40));
	/* Errors quoting our SYN (LOCAL -> PEER) through HBH + DO, from PEER. */
	uint8_t k[128];
	size_t kn = unhex(kernel[0].hex, k);
	memcpy(q, k, 40);
	q[6] = IPPROTO_HOPOPTS_;
	size_t qo = 40 + opt8(q + 40, IPPROTO_DSTOPTS_, 0x05);
	qo += opt8(q + qo, IPPROTO_TCP_, 0x1e);
	memcpy(q + qo, k + 40, kn - 40);
	qo += kn - 40;
	q[4] = 0, q[5] = (uint8_t)(qo - 40);
	const struct {
		const char *name;
		uint8_t type, code;
		uint32_t param;
	} errs[] = {
		{"ptb_quoting_syn", ICMP6_PACKET_TOO_BIG, 0, 1400},
		{"ptb_below_1280", ICMP6_PACKET_TOO_BIG, 0, 576},
		{"unreach_port_quoting_syn", ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT, 0},
		{"time_exceeded_quoting_syn", ICMP6_TIME_EXCEEDED, 0, 0},
		{"param_prob_quoting_syn", ICMP6_PARAM_PROB, ICMP6_PARAM_NEXTHDR, 46},
	};
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		n = icmp6_error_build(p, sizeof p, errs[i].type, errs[i].code, errs[i].param, q, qo,
				      &PEER, 64);
		/* Our SYN went LOCAL -> PEER; the error comes back PEER -> LOCAL. */
		put(errs[i].name, 0, p, n);
		char name[64];
		snprintf(name, sizeof name, "%s_alone", errs[i].name);
		put(name, 1, p + 40, n - 40);
	}
	/* The quoted packet alone (mode 2: under PTB, from bits 4-3 = 1). */
	put("quote_alone", 2 | 1 << 3, q, qo);
	put("quote_alone_unreach_port", 2 | 0 << 3 | 4 << 5, q, qo);
}

int main(int argc, char **argv)
{
	root = argc > 1 ? argv[1] : "fuzz/corpus";
	mkdir(root, 0755);
	uint8_t p[256];
	for (size_t i = 0; i < sizeof kernel / sizeof kernel[0]; i++) {
		size_t n = unhex(kernel[i].hex, p);
		put(kernel[i].name, 0, p, n);
	}
	chains();
	icmp();
	return 0;
}
