/* Pieces of HTTP/1.1 that `glasstcp get` and `glasstcp serve` need and that
 * are worth testing alone (tests/unit/test_http_util.c): the chunked
 * transfer coding's decoder (RFC 9112 7.1), the framing header values
 * (RFC 9112 6.1, 6.3) and the request path's percent-decoding (RFC 3986
 * 2.1, 3.3). Pure functions: no I/O, no allocation. */
#ifndef GT_TOOLS_HTTP_UTIL_H
#define GT_TOOLS_HTTP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits: a chunk-size line (size and extensions), and the whole trailer
 * section. Past them the body is refused rather than buffered. */
#define HTTP_CHUNK_LINE_MAX_BYTES 4096u
#define HTTP_TRAILER_MAX_BYTES 16384u
/* The largest chunk-size accepted: 2^48 - 1 bytes (256 TiB), 12 hex digits
 * once leading zeros are dropped; anything larger is an attack or a bug. */
#define HTTP_CHUNK_MAX_BYTES ((UINT64_C(1) << 48) - 1)

struct http_chunked {
	int state;
	uint64_t left;          /* chunk-size being read, then chunk-data still to come */
	uint32_t ndigits;       /* hex digits of the chunk-size seen */
	uint32_t line_bytes;    /* of the chunk-size line, or the trailer section */
	uint64_t body_bytes;    /* chunk-data decoded so far */
	int err;                /* the -errno decode returned, once it failed */
	const char *error;      /* what was wrong, once decode returned < 0 */
};

void http_chunked_init(struct http_chunked *d);
/* Decodes buf[0, n) in place: the chunk-data found there is moved to the
 * front of buf and its length stored in *data_len. Extensions and trailer
 * fields are read and dropped. Returns 0 when more input is wanted
 * (*used = n); 1 when the last chunk and the trailer section have ended
 * (*used: the bytes of buf that belonged to the body); -EPROTO when the
 * coding is malformed, -EFBIG when a limit above is passed (d->error
 * names the fault). Once it has returned non-zero it returns the same. */
int http_chunked_decode(struct http_chunked *d, uint8_t *buf, size_t n, size_t *data_len,
			size_t *used);

/* A Content-Length field value (RFC 9110 8.6: 1*DIGIT, optional whitespace
 * around it). 0, or -EINVAL for anything else, -ERANGE past UINT64_MAX. */
int http_parse_length(const char *v, size_t n, uint64_t *out);
/* A Transfer-Encoding field value: 1 when its final coding is "chunked"
 * (RFC 9112 6.3 item 4: only then is the length known from the coding),
 * 0 otherwise. */
int http_te_chunked(const char *v, size_t n);

/* Percent-decodes the path of a request-target, in[0, n), into out (NUL
 * terminated). Returns the length, -EINVAL for a '%' not followed by two
 * hex digits or for "%00" (a NUL would cut the path short at open()), or
 * -ENAMETOOLONG when it does not fit cap bytes. */
int http_path_decode(const char *in, size_t n, char *out, size_t cap);
/* True when a segment of the decoded path is "..": resolving it could leave
 * the served directory, so the caller refuses it. */
bool http_path_climbs(const char *path);

#endif
