/* HTTP/1.1 helpers shared by `glasstcp get` and `serve` (tools/http_util.h):
 * the chunked transfer coding's decoder (RFC 9112 7.1), Content-Length and
 * Transfer-Encoding values (RFC 9112 6.1, 6.3), percent-decoding of the
 * request path (RFC 3986 2.1) and its ".." check. */
#include "tools/http_util.h"

#include <errno.h>
#include <string.h>

/* RFC 9112 7.1:
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 * A line may also end in a bare LF (RFC 9112 2.2 lets a recipient accept
 * it); a CR not followed by LF is an error. */
enum {
	CH_SIZE,          /* hex digits of chunk-size */
	CH_SIZE_WS,       /* BWS after the size: only ';' or the line end may follow */
	CH_EXT,           /* chunk-ext: read and ignored (RFC 9112 7.1.1) */
	CH_SIZE_CR,       /* CR seen at the end of the size line */
	CH_DATA,          /* chunk-data */
	CH_DATA_END,      /* the CRLF after chunk-data */
	CH_DATA_CR,
	CH_TRAILER,       /* at the start of a trailer line, or the final CRLF */
	CH_TRAILER_LINE,  /* inside a trailer field line: dropped */
	CH_TRAILER_CR,    /* CR inside or at the end of a trailer line */
	CH_FINAL_CR,      /* CR of the CRLF that ends the body */
	CH_DONE,
	CH_ERROR,
};

void http_chunked_init(struct http_chunked *d)
{
	memset(d, 0, sizeof(*d));
	d->state = CH_SIZE;
}

static int hexval(uint8_t b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	if (b >= 'a' && b <= 'f')
		return b - 'a' + 10;
	if (b >= 'A' && b <= 'F')
		return b - 'A' + 10;
	return -1;
}

static int chunk_fail(struct http_chunked *d, int err, const char *why)
{
	d->state = CH_ERROR;
	d->err = err;
	d->error = why;
	return err;
}

/* The size line has ended: chunk-data follows, or the trailer section. */
static void size_line_done(struct http_chunked *d)
{
	d->line_bytes = 0;
	d->ndigits = 0;
	d->state = d->left ? CH_DATA : CH_TRAILER;
}

/* One byte of everything but chunk-data. 0 to go on, or -errno. */
static int chunk_byte(struct http_chunked *d, uint8_t b)
{
	bool in_size_line = d->state <= CH_SIZE_CR;
	bool in_trailer = d->state >= CH_TRAILER && d->state <= CH_FINAL_CR;
	if (in_size_line && ++d->line_bytes > HTTP_CHUNK_LINE_MAX_BYTES)
		return chunk_fail(d, -EFBIG, "chunk-size line longer than 4096 bytes");
	if (in_trailer && ++d->line_bytes > HTTP_TRAILER_MAX_BYTES)
		return chunk_fail(d, -EFBIG, "trailer section longer than 16384 bytes");
	switch (d->state) {
	case CH_SIZE: {
		int h = hexval(b);
		if (h >= 0) {
			if (d->left > HTTP_CHUNK_MAX_BYTES >> 4)
				return chunk_fail(d, -EFBIG, "chunk size larger than 2^48 bytes");
			d->left = d->left << 4 | (uint64_t)h;
			d->ndigits++;
			return 0;
		}
		if (d->ndigits == 0)
			return chunk_fail(d, -EPROTO, "chunk size is not a hex number");
		if (b == ' ' || b == '\t')
			d->state = CH_SIZE_WS;
		else if (b == ';')
			d->state = CH_EXT;
		else if (b == '\r')
			d->state = CH_SIZE_CR;
		else if (b == '\n')
			size_line_done(d);
		else
			return chunk_fail(d, -EPROTO, "chunk size is not a hex number");
		return 0;
	}
	case CH_SIZE_WS:
		if (b == ';')
			d->state = CH_EXT;
		else if (b == '\r')
			d->state = CH_SIZE_CR;
		else if (b == '\n')
			size_line_done(d);
		else if (b != ' ' && b != '\t')
			return chunk_fail(d, -EPROTO, "junk after the chunk size");
		return 0;
	case CH_EXT:
		if (b == '\r')
			d->state = CH_SIZE_CR;
		else if (b == '\n')
			size_line_done(d);
		return 0;
	case CH_SIZE_CR:
		if (b != '\n')
			return chunk_fail(d, -EPROTO, "CR without LF in a chunk-size line");
		size_line_done(d);
		return 0;
	case CH_DATA_END:
		if (b == '\r')
			d->state = CH_DATA_CR;
		else if (b == '\n')
			d->state = CH_SIZE;
		else
			return chunk_fail(d, -EPROTO, "chunk data longer than its chunk size");
		return 0;
	case CH_DATA_CR:
		if (b != '\n')
			return chunk_fail(d, -EPROTO, "chunk data longer than its chunk size");
		d->state = CH_SIZE;
		return 0;
	case CH_TRAILER:
		d->state = b == '\r' ? CH_FINAL_CR : b == '\n' ? CH_DONE : CH_TRAILER_LINE;
		return 0;
	case CH_TRAILER_LINE:
		if (b == '\r')
			d->state = CH_TRAILER_CR;
		else if (b == '\n')
			d->state = CH_TRAILER;
		return 0;
	case CH_TRAILER_CR:
	case CH_FINAL_CR:
		if (b != '\n')
			return chunk_fail(d, -EPROTO, "CR without LF in the trailer section");
		d->state = d->state == CH_FINAL_CR ? CH_DONE : CH_TRAILER;
		return 0;
	default:
		return chunk_fail(d, -EPROTO, "internal: bad decoder state");
	}
}

int http_chunked_decode(struct http_chunked *d, uint8_t *buf, size_t n, size_t *data_len,
			size_t *used)
{
	size_t r = 0, w = 0;
	*data_len = 0;
	*used = 0;
	if (d->state == CH_ERROR)
		return d->err;
	while (r < n && d->state != CH_DONE) {
		if (d->state == CH_DATA) {
			size_t take = n - r < d->left ? n - r : (size_t)d->left;
			memmove(buf + w, buf + r, take); /* w <= r: in place is safe */
			w += take;
			r += take;
			d->left -= take;
			d->body_bytes += take;
			if (d->left == 0)
				d->state = CH_DATA_END;
			continue;
		}
		int e = chunk_byte(d, buf[r++]);
		if (e < 0) {
			*data_len = w;
			*used = r;
			return e;
		}
	}
	*data_len = w;
	*used = r;
	return d->state == CH_DONE ? 1 : 0;
}

static bool ows(char c)
{
	return c == ' ' || c == '\t';
}

int http_parse_length(const char *v, size_t n, uint64_t *out)
{
	size_t i = 0, e = n;
	while (i < e && ows(v[i]))
		i++;
	while (e > i && ows(v[e - 1]))
		e--;
	if (i == e)
		return -EINVAL;
	uint64_t x = 0;
	for (; i < e; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -EINVAL;
		unsigned dgt = (unsigned)(v[i] - '0');
		if (x > (UINT64_MAX - dgt) / 10)
			return -ERANGE;
		x = x * 10 + dgt;
	}
	*out = x;
	return 0;
}

int http_te_chunked(const char *v, size_t n)
{
	/* The final coding is what follows the last comma; parameters
	 * (";q=...") do not apply to chunked, so any makes it another coding. */
	size_t s = n;
	while (s > 0 && v[s - 1] != ',')
		s--;
	size_t e = n;
	while (s < e && ows(v[s]))
		s++;
	while (e > s && ows(v[e - 1]))
		e--;
	static const char ck[] = "chunked";
	if (e - s != sizeof(ck) - 1)
		return 0;
	for (size_t i = 0; i < e - s; i++)
		if ((v[s + i] | 0x20) != ck[i])
			return 0;
	return 1;
}

int http_path_decode(const char *in, size_t n, char *out, size_t cap)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '%') {
			int hi = i + 2 < n ? hexval((uint8_t)in[i + 1]) : -1;
			int lo = hi >= 0 ? hexval((uint8_t)in[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -EINVAL;
			c = (char)(hi << 4 | lo);
			if (c == 0)
				return -EINVAL;
			i += 2;
		} else if (c == 0) {
			return -EINVAL;
		}
		if (w + 1 >= cap)
			return -ENAMETOOLONG;
		out[w++] = c;
	}
	if (w >= cap)
		return -ENAMETOOLONG;
	out[w] = 0;
	return (int)w;
}

bool http_path_climbs(const char *path)
{
	for (const char *seg = path; *seg;) {
		size_t len = strcspn(seg, "/");
		if (len == 2 && seg[0] == '.' && seg[1] == '.')
			return true;
		seg += len;
		if (*seg == '/')
			seg++;
	}
	return false;
}
