/* TCP Fast Open's server side (src/tcp/tcp_fastopen.c, RFC 7413 4.1.2):
 * the cookie bytes equal to what Linux 6.18 gives (__tcp_fastopen_cookie_gen_cipher(),
 * SipHash-2-4 of the SYN's addresses; the hash's own paper vectors are in
 * test_hash.c), the sysctl key's byte order (proc_tcp_fastopen_key()),
 * and the option as tcp_wire.c parses and writes it. The expected cookies
 * are the Linux selftests' (ksft_runner.sh's TFO_COOKIE, TFO_COOKIE_ZERO,
 * and IPv6's TFO_COOKIE) and one the kernel gave under pktrun --kernel
 * (tests/pkt/linux/fastopen-cookie-request-synack-gives-cookie.pkt). */
#include <string.h>

#include "harness.h"

#include "tcp/tcp.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[b[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
	}
	out[2 * n] = 0;
}

static void cookie_of(const struct gt_config *cfg, ip_addr src, ip_addr dst, char out[17])
{
	uint8_t c[TCP_FO_COOKIE_LEN];
	tcp_fastopen_cookie(cfg->fastopen_key, src, dst, c);
	hex(c, sizeof c, out);
}

static ip_addr v6(const uint8_t b[16])
{
	ip_addr a;
	memcpy(a.b, b, 16);
	return a;
}

/* ksft_runner.sh: --local_ip=192.168.0.1 --remote_ip=192.0.2.1; the SYN
 * comes from the remote address. */
TEST(fastopen_cookie_ipv4_is_the_selftests)
{
	struct gt_config cfg;
	char h[17];
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_fastopen_key",
				   "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"), 0);
	cookie_of(&cfg, ip_addr_v4(0xc0000201u), ip_addr_v4(0xc0a80001u), h);
	ASSERT(!strcmp(h, "3021b9d889017eeb"));
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_fastopen_key",
				   "00000000-00000000-00000000-00000000"), 0);
	cookie_of(&cfg, ip_addr_v4(0xc0000201u), ip_addr_v4(0xc0a80001u), h);
	ASSERT(!strcmp(h, "b7c12350a90dc8f5"));
}

/* --local_ip=fd3d:0a0b:17d6::1 --remote_ip=fd3d:fa7b:d17d::1. */
TEST(fastopen_cookie_ipv6_is_the_selftests)
{
	static const uint8_t local[16] = {0xfd, 0x3d, 0x0a, 0x0b, 0x17, 0xd6, [15] = 1};
	static const uint8_t remote[16] = {0xfd, 0x3d, 0xfa, 0x7b, 0xd1, 0x7d, [15] = 1};
	struct gt_config cfg;
	char h[17];
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_fastopen_key",
				   "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"), 0);
	cookie_of(&cfg, v6(remote), v6(local), h);
	ASSERT(!strcmp(h, "c1d1e9742a47a9bc"));
}

/* Each word of the sysctl is stored little-endian: a key whose words are
 * not palindromes tells the order (the kernel's SYN-ACK carried
 * cca957b9a63da3de). */
TEST(fastopen_sysctl_key_words_little_endian)
{
	struct gt_config cfg;
	char h[33];
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_fastopen_key",
				   "01234567-89abcdef-fedcba98-76543210"), 0);
	hex(cfg.fastopen_key, 16, h);
	ASSERT(!strcmp(h, "67452301efcdab8998badcfe10325476"));
	cookie_of(&cfg, ip_addr_v4(0xc0000201u), ip_addr_v4(0xc0a80001u), h);
	ASSERT(!strcmp(h, "cca957b9a63da3de"));
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_fastopen_key", "1-2-3"),
		  -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_fastopen", "0x602"), 0);
	ASSERT_EQ(cfg.fastopen, 0x602u);
}

/* tcp_parse_fastopen_option(): 4 to 16 bytes and even, or a request; the
 * experimental form by its magic; and the SYN-ACK's option written after
 * the others with a nop,nop (tcp_options_write()). */
TEST(fastopen_option_parse_and_emit)
{
	static const uint8_t syn[] = {
		0x9c, 0x40, 0x1f, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0xa0, TH_SYN, 0xff, 0xff, 0, 0, 0, 0,
		2, 4, 5, 0xb4, 1, 1, 4, 2, 34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1};
	struct tcp_hdr h;
	ASSERT_EQ(tcp_parse_ex(syn, sizeof syn, 0, 0, &h, false), TCP_OK);
	ASSERT(h.opts.has_fo && !h.opts.fo_exp && !h.opts.fo_bad);
	ASSERT_EQ(h.opts.fo_len, 8);
	ASSERT_EQ(h.opts.fo[7], 8);
	uint8_t odd[sizeof syn];
	memcpy(odd, syn, sizeof syn);
	odd[29] = 5; /* a 3-byte cookie: foc->len -1 */
	memset(odd + 33, 1, 5);
	ASSERT_EQ(tcp_parse_ex(odd, sizeof odd, 0, 0, &h, false), TCP_OK);
	ASSERT(h.opts.has_fo && h.opts.fo_bad);
	uint8_t exp[sizeof syn];
	memcpy(exp, syn, sizeof syn);
	memcpy(exp + 28, (const uint8_t[]){254, 4, 0xf9, 0x89}, 4); /* a request */
	memset(exp + 32, 1, 6);
	ASSERT_EQ(tcp_parse_ex(exp, sizeof exp, 0, 0, &h, false), TCP_OK);
	ASSERT(h.opts.has_fo && h.opts.fo_exp && !h.opts.fo_bad);
	ASSERT_EQ(h.opts.fo_len, 0);

	struct tcp_opts o;
	memset(&o, 0, sizeof o);
	o.has_mss = true;
	o.mss = 1460;
	o.sack_ok = true;
	o.has_fo = true;
	o.fo_len = 8;
	memcpy(o.fo, "\x30\x21\xb9\xd8\x89\x01\x7e\xeb", 8);
	uint8_t out[TCP_OPT_MAX];
	size_t n = tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX);
	static const uint8_t want[] = {2, 4, 5, 0xb4, 1, 1, 4, 2, 34, 10, 0x30, 0x21,
				       0xb9, 0xd8, 0x89, 0x01, 0x7e, 0xeb, 1, 1};
	ASSERT_EQ(n, sizeof want);
	ASSERT(!memcmp(out, want, sizeof want));
	o.fo_exp = true;
	n = tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX);
	ASSERT_EQ(n, 20u);
	ASSERT(!memcmp(out + 8, "\xfe\x0c\xf9\x89\x30\x21", 6));
}
