/* The HTTP helpers of the glasstcp command (tools/http_util.c): the chunked
 * decoder fed whole and split at every byte gives the same body, malformed
 * and oversized codings are refused with a reason; percent-decoding and
 * the ".." check of request paths; Content-Length and Transfer-Encoding
 * values. The tools are not in glasstcp_static, so the file is built in. */
#include <errno.h>

#include "harness.h"

#include "tools/http_util.c"

/* Decodes msg (len bytes) fed in pieces of at most step bytes; returns the
 * decoder's last result, the body in body (NUL terminated) and in *used the
 * bytes of msg that belonged to the chunked body. */
static int feed(const char *msg, size_t len, size_t step, char *body, size_t cap, size_t *used,
		struct http_chunked *d)
{
	uint8_t piece[256];
	size_t off = 0, blen = 0;
	int r = 0;
	http_chunked_init(d);
	*used = 0;
	while (off < len && r == 0) {
		size_t n = len - off < step ? len - off : step;
		if (n > sizeof(piece))
			n = sizeof(piece);
		memcpy(piece, msg + off, n);
		size_t dlen, u;
		r = http_chunked_decode(d, piece, n, &dlen, &u);
		ASSERT(blen + dlen < cap);
		memcpy(body + blen, piece, dlen);
		blen += dlen;
		off += u;
		*used = off;
	}
	body[blen] = 0;
	return r;
}

TEST(http_chunked_decodes_split_anywhere)
{
	/* Extensions, upper and lower case hex, leading zeros, a trailer field,
	 * bare-LF line ends; bytes after the body are not consumed. */
	static const char msg[] = "4;name=val\r\nWiki\r\n5 ; x\r\npedia\r\n00E\r\n in\r\n\r\nchunks.\r\n"
				  "a\nabcdefghij\n0;last\r\nX-Trailer: 1\r\nY: 2\n\r\nEXTRA";
	static const char want[] = "Wikipedia in\r\n\r\nchunks.abcdefghij";
	size_t body_len = sizeof(msg) - 1 - strlen("EXTRA");
	for (size_t step = 1; step <= sizeof(msg); step++) {
		char body[256];
		size_t used;
		struct http_chunked d;
		int r = feed(msg, sizeof(msg) - 1, step, body, sizeof(body), &used, &d);
		ASSERT_EQ(r, 1);
		ASSERT_STREQ(body, want);
		ASSERT_EQ(used, body_len);
		ASSERT_EQ(d.body_bytes, strlen(want));
	}
}

TEST(http_chunked_waits_for_more)
{
	char body[64];
	size_t used;
	struct http_chunked d;
	ASSERT_EQ(feed("4\r\nWi", 6, 64, body, sizeof(body), &used, &d), 0);
	ASSERT_STREQ(body, "Wi");
	ASSERT_EQ(feed("4\r\nWiki\r\n0\r\n", 12, 64, body, sizeof(body), &used, &d), 0);
	ASSERT_EQ(feed("0\r\n\r\n", 5, 64, body, sizeof(body), &used, &d), 1);
	ASSERT_STREQ(body, "");
}

TEST(http_chunked_refuses_malformed)
{
	static const struct {
		const char *msg;
		int err;
		const char *why;
	} bad[] = {
		{ "\r\n", -EPROTO, "not a hex number" },
		{ "x\r\n", -EPROTO, "not a hex number" },
		{ "-1\r\n", -EPROTO, "not a hex number" },
		{ "4 4\r\n", -EPROTO, "junk after" },
		{ "4\rX", -EPROTO, "CR without LF" },
		{ "4\r\nWikiX\r\n", -EPROTO, "longer than its chunk size" },
		{ "4\r\nWiki\rX", -EPROTO, "longer than its chunk size" },
		{ "0\r\nX: 1\rY", -EPROTO, "CR without LF" },
		{ "0\r\n\rX", -EPROTO, "CR without LF" },
		{ "1000000000000\r\n", -EFBIG, "larger than 2^48" },
		{ "ffffffffffffffffffff\r\n", -EFBIG, "larger than 2^48" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (size_t step = 1; step <= 64; step += 63) {
			char body[64];
			size_t used;
			struct http_chunked d;
			int r = feed(bad[i].msg, strlen(bad[i].msg), step, body, sizeof(body), &used, &d);
			if (r != bad[i].err || !d.error || !strstr(d.error, bad[i].why))
				gt_test_fail(__FILE__, __LINE__, "'%s' step %zu: %d (%s), want %d (%s)",
					     bad[i].msg, step, r, d.error ? d.error : "-", bad[i].err,
					     bad[i].why);
			/* A failed decoder stays failed. */
			uint8_t more[] = "0\r\n\r\n";
			size_t dl, u;
			ASSERT_EQ(http_chunked_decode(&d, more, 5, &dl, &u), bad[i].err);
		}
	}
	/* Leading zeros are not digits that count toward the limit. */
	char body[64];
	size_t used;
	struct http_chunked d;
	ASSERT_EQ(feed("000000000000000000000001\r\nA\r\n0\r\n\r\n", 35, 7, body, sizeof(body), &used,
		       &d), 1);
	ASSERT_STREQ(body, "A");
}

TEST(http_chunked_bounds_lines_and_trailers)
{
	static char msg[40000];
	char body[64];
	size_t used;
	struct http_chunked d;
	/* A chunk extension that never ends. */
	memcpy(msg, "1;", 2);
	memset(msg + 2, 'e', 5000);
	ASSERT_EQ(feed(msg, 5002, 256, body, sizeof(body), &used, &d), -EFBIG);
	ASSERT(strstr(d.error, "chunk-size line"));
	ASSERT_LE(used, HTTP_CHUNK_LINE_MAX_BYTES + 1);
	/* Trailer fields past 16 KiB. */
	size_t n = 0;
	memcpy(msg, "0\r\n", 3);
	n = 3;
	while (n < 20000) {
		memcpy(msg + n, "X-Pad: aaaaaaaaaaaaaaaaaaaaaaa\r\n", 32);
		n += 32;
	}
	ASSERT_EQ(feed(msg, n, 256, body, sizeof(body), &used, &d), -EFBIG);
	ASSERT(strstr(d.error, "trailer section"));
}

TEST(http_path_decode_and_climbs)
{
	char out[32];
	ASSERT_EQ(http_path_decode("/a%20b/%7Ex%2fy", 15, out, sizeof(out)), 9);
	ASSERT_STREQ(out, "/a b/~x/y");
	ASSERT_EQ(http_path_decode("/plain", 6, out, sizeof(out)), 6);
	ASSERT_STREQ(out, "/plain");
	ASSERT_EQ(http_path_decode("/%00", 4, out, sizeof(out)), -EINVAL);
	ASSERT_EQ(http_path_decode("/%zz", 4, out, sizeof(out)), -EINVAL);
	ASSERT_EQ(http_path_decode("/%4", 3, out, sizeof(out)), -EINVAL);
	ASSERT_EQ(http_path_decode("/%", 2, out, sizeof(out)), -EINVAL);
	/* Only n bytes are read: a valid escape cut by n is a bad one. */
	ASSERT_EQ(http_path_decode("/%41", 3, out, sizeof(out)), -EINVAL);
	ASSERT_EQ(http_path_decode("/0123456789", 11, out, 11), -ENAMETOOLONG);
	ASSERT_EQ(http_path_decode("/0123456789", 11, out, 12), 11);

	ASSERT(http_path_climbs("/.."));
	ASSERT(http_path_climbs("/../etc/passwd"));
	ASSERT(http_path_climbs("/a/../../b"));
	ASSERT(http_path_climbs("/a/.."));
	ASSERT(http_path_climbs(".."));
	ASSERT(!http_path_climbs("/"));
	ASSERT(!http_path_climbs("/a..b/c.."));
	ASSERT(!http_path_climbs("/.../x"));
	ASSERT(!http_path_climbs("/./x/."));
	/* What "%2e%2e" becomes is checked after decoding. */
	ASSERT_EQ(http_path_decode("/%2e%2E/x", 9, out, sizeof(out)), 5);
	ASSERT(http_path_climbs(out));
}

TEST(http_length_and_transfer_coding)
{
	uint64_t v = 7;
	ASSERT_EQ(http_parse_length("1234", 4, &v), 0);
	ASSERT_EQ(v, 1234);
	ASSERT_EQ(http_parse_length(" \t0 ", 4, &v), 0);
	ASSERT_EQ(v, 0);
	ASSERT_EQ(http_parse_length("18446744073709551615", 20, &v), 0);
	ASSERT(v == UINT64_MAX);
	ASSERT_EQ(http_parse_length("18446744073709551616", 20, &v), -ERANGE);
	ASSERT_EQ(http_parse_length("", 0, &v), -EINVAL);
	ASSERT_EQ(http_parse_length("12, 12", 6, &v), -EINVAL);
	ASSERT_EQ(http_parse_length("-1", 2, &v), -EINVAL);
	ASSERT_EQ(http_parse_length("0x10", 4, &v), -EINVAL);

	ASSERT_EQ(http_te_chunked("chunked", 7), 1);
	ASSERT_EQ(http_te_chunked(" Chunked ", 9), 1);
	ASSERT_EQ(http_te_chunked("gzip, chunked", 13), 1);
	ASSERT_EQ(http_te_chunked("chunked, gzip", 13), 0);
	ASSERT_EQ(http_te_chunked("gzip", 4), 0);
	ASSERT_EQ(http_te_chunked("chunked;q=1", 11), 0);
	ASSERT_EQ(http_te_chunked("", 0), 0);
}
