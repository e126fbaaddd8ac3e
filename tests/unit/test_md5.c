/* Unit tests for MD5 (src/util/md5.c): the test suite of RFC 1321
 * appendix A.5, and the same digests fed in pieces across block edges. */
#include <string.h>

#include "harness.h"

#include "util/md5.h"

static const struct {
	const char *msg, *hex;
} rfc1321_a5[] = {
	{"", "d41d8cd98f00b204e9800998ecf8427e"},
	{"a", "0cc175b9c0f1b6a831c399e269772661"},
	{"abc", "900150983cd24fb0d6963f7d28e17f72"},
	{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
	{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
	{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	 "d174ab98d277d9f5a5611c2c9f419d9f"},
	{"1234567890123456789012345678901234567890123456789012345678901234567890123456"
	 "7890",
	 "57edf4a22be3c955ac49da2e2107b67a"},
};

static void hex(const uint8_t d[MD5_DIGEST_LEN], char out[33])
{
	for (int i = 0; i < MD5_DIGEST_LEN; i++) {
		out[2 * i] = "0123456789abcdef"[d[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	out[32] = 0;
}

TEST(md5_rfc1321_test_suite)
{
	for (size_t i = 0; i < sizeof rfc1321_a5 / sizeof rfc1321_a5[0]; i++) {
		uint8_t d[MD5_DIGEST_LEN];
		char h[33];
		md5(rfc1321_a5[i].msg, strlen(rfc1321_a5[i].msg), d);
		hex(d, h);
		ASSERT(!strcmp(h, rfc1321_a5[i].hex));
	}
}

TEST(md5_pieces_across_block_edges)
{
	/* Every split of each message into two or three updates gives the
	 * one-buffer digest. */
	for (size_t i = 0; i < sizeof rfc1321_a5 / sizeof rfc1321_a5[0]; i++) {
		const char *msg = rfc1321_a5[i].msg;
		size_t n = strlen(msg);
		for (size_t a = 0; a <= n; a += 3)
			for (size_t b = a; b <= n; b += 7) {
				struct md5_ctx m;
				uint8_t d[MD5_DIGEST_LEN];
				char h[33];
				md5_init(&m);
				md5_update(&m, msg, a);
				md5_update(&m, msg + a, b - a);
				md5_update(&m, msg + b, n - b);
				md5_final(&m, d);
				hex(d, h);
				ASSERT(!strcmp(h, rfc1321_a5[i].hex));
			}
	}
}
