/* `glasstcp serve`: servers on a glasstcp stack behind a TUN device, for
 * real programs to talk to: echo (RFC 862), discard (RFC 863, counting
 * bytes), a small HTTP/1.1 static-file server (RFC 9112: keep-alive,
 * Content-Length, files streamed from disk as the send buffer drains; RFC
 * 9110 status codes for what it refuses), and two servers that end
 * connections with an RST (SO_LINGER {1,0}; close with unread data). Runs
 * until SIGINT/SIGTERM, then closes and prints counters; SIGUSR1 prints the
 * socket listing and counters (runtime/tun/loop.c). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/tun/tun.h"
#include "tools/commands.h"
#include "tools/http_util.h"

#define MAX_LISTENERS 8
#define IO_BUF_BYTES 65536u
#define HTTP_REQ_MAX_BYTES 8192u /* request line and headers */
#define HTTP_DRAIN_MAX_BYTES (1u << 20) /* read and dropped after an error that closes */
#define EVENT_BATCH 256

enum kind { K_ECHO, K_DISCARD, K_HTTP, K_LINGER0, K_UNREAD };
static const char *const kind_name[] = { "echo", "discard", "http", "linger0", "unread" };

struct listener {
	int sd;
	uint16_t port;
	enum kind kind;
	int root_fd;              /* http: the directory served, opened at start */
};

struct conn {
	enum kind kind;
	struct gt_sockaddr peer;
	uint64_t bytes_in, bytes_out;
	uint8_t *buf;             /* echo: bytes to send back; http: the request */
	uint32_t off, len;        /* buf[off, len) is pending */
	bool eof;                 /* the peer sent FIN */
	/* HTTP response in progress. */
	int root_fd;              /* the listener's directory */
	bool responding, keep_alive;
	bool head_req;            /* the request being answered is HEAD */
	bool linger;              /* an error that closes: drain the input first */
	bool draining;            /* our FIN is out; dropping input until the peer's */
	uint64_t drained;
	char hdr[512];
	uint32_t hdr_len, hdr_off;
	int file_fd;
	uint64_t file_left;
	uint32_t requests;
};

struct serve {
	struct listener ls[MAX_LISTENERS];
	int nls;
	bool quiet;               /* --quiet: nothing on stdout, errors only */
	struct conn **conns;      /* by socket descriptor */
	uint32_t conns_cap;
	uint64_t accepted, closed, discard_bytes, echo_bytes, http_requests, http_bytes;
	uint64_t aborted;
	uint8_t scratch[IO_BUF_BYTES];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: glasstcp serve --tun NAME --addr A/LEN [--kernel-addr B/LEN] [servers] [options]\n"
		"servers (any number, at most %d):\n"
		"  --echo PORT        echo every byte back (RFC 862), half-close aware\n"
		"  --discard PORT     read and count every byte (RFC 863)\n"
		"  --http PORT DIR    HTTP/1.1 static files from DIR (GET, HEAD, keep-alive;\n"
		"                     a path ending in / serves its index.html)\n"
		"  --linger0 PORT     read a request, then close with SO_LINGER {1,0}: an RST\n"
		"  --unread PORT      close as soon as data arrives, unread: an RST\n"
		"                     (the FreeBSD profile: a FIN)\n"
		"signals:\n"
		"  SIGUSR1            print the socket listing (ss-style: state, queues, rtt,\n"
		"                     cwnd, timers) and the counters to stderr; keep serving\n"
		"  SIGINT, SIGTERM    close every connection, wait --grace-ms, print the\n"
		"                     counters and exit 0 (a second signal: exit at once)\n",
		MAX_LISTENERS);
	tun_options_usage(f);
}

static char *peer_str(const struct gt_sockaddr *a, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u.%u.%u:%u", a->addr >> 24, (a->addr >> 16) & 255,
		 (a->addr >> 8) & 255, a->addr & 255, a->port);
	return buf;
}

/* ---- connections ---- */

static void conn_end(struct serve *sv, gt_stack *s, int sd, const char *why)
{
	struct conn *c = sv->conns[sd];
	char p[32];
	if (!sv->quiet && (c->kind == K_DISCARD || c->kind == K_ECHO))
		printf("%s %s closed (%s): %" PRIu64 " bytes in, %" PRIu64 " out\n", kind_name[c->kind],
		       peer_str(&c->peer, p, sizeof(p)), why, c->bytes_in, c->bytes_out);
	if (c->file_fd >= 0)
		close(c->file_fd);
	free(c->buf);
	free(c);
	sv->conns[sd] = NULL;
	sv->closed++;
	gt_close(s, sd);
}

static int grow_conns(struct serve *sv, int sd)
{
	if ((uint32_t)sd < sv->conns_cap)
		return 0;
	uint32_t cap = sv->conns_cap ? sv->conns_cap : 64;
	while (cap <= (uint32_t)sd)
		cap *= 2;
	struct conn **v = realloc(sv->conns, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v + sv->conns_cap, 0, (cap - sv->conns_cap) * sizeof(*v));
	sv->conns = v;
	sv->conns_cap = cap;
	return 0;
}

static void accept_all(struct serve *sv, gt_stack *s, const struct listener *l)
{
	for (;;) {
		struct gt_sockaddr peer;
		int sd = gt_accept(s, l->sd, &peer);
		if (sd == -ECONNABORTED)
			continue; /* FreeBSD profile: a child reset in the queue */
		if (sd < 0)
			return;
		struct conn *c = calloc(1, sizeof(*c));
		if (!c || grow_conns(sv, sd) < 0 ||
		    (l->kind != K_DISCARD && !(c->buf = malloc(IO_BUF_BYTES)))) {
			free(c);
			gt_close(s, sd);
			continue;
		}
		c->kind = l->kind;
		c->peer = peer;
		c->file_fd = -1;
		c->root_fd = l->root_fd;
		sv->conns[sd] = c;
		sv->accepted++;
	}
}

/* ---- echo, discard, RST servers ---- */

static void echo_service(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	for (;;) {
		bool progress = false;
		if (c->off < c->len) {
			ssize_t n = gt_send(s, sd, c->buf + c->off, c->len - c->off, 0);
			if (n > 0) {
				c->off += (uint32_t)n;
				c->bytes_out += (uint64_t)n;
				sv->echo_bytes += (uint64_t)n;
				progress = true;
			} else if (n != -EAGAIN) {
				conn_end(sv, s, sd, strerror((int)-n));
				return;
			}
			if (c->off == c->len)
				c->off = c->len = 0;
		}
		if (!c->eof && c->len < IO_BUF_BYTES) {
			ssize_t n = gt_recv(s, sd, c->buf + c->len, IO_BUF_BYTES - c->len, 0);
			if (n > 0) {
				c->len += (uint32_t)n;
				c->bytes_in += (uint64_t)n;
				progress = true;
			} else if (n == 0) {
				c->eof = true;
			} else if (n != -EAGAIN) {
				conn_end(sv, s, sd, strerror((int)-n));
				return;
			}
		}
		if (c->eof && c->off == c->len) {
			conn_end(sv, s, sd, "peer closed, all echoed");
			return;
		}
		if (!progress)
			return;
	}
}

static void discard_service(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	for (;;) {
		ssize_t n = gt_recv(s, sd, sv->scratch, sizeof(sv->scratch), 0);
		if (n > 0) {
			c->bytes_in += (uint64_t)n;
			sv->discard_bytes += (uint64_t)n;
		} else if (n == 0) {
			conn_end(sv, s, sd, "peer closed");
			return;
		} else {
			if (n != -EAGAIN)
				conn_end(sv, s, sd, strerror((int)-n));
			return;
		}
	}
}

static void rst_service(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	struct gt_pollfd p = { .sd = sd, .events = GT_POLLIN };
	if (gt_poll(s, &p, 1) <= 0 || !(p.revents & GT_POLLIN))
		return;
	if (c->kind == K_LINGER0) {
		struct gt_linger lg = { 1, 0 };
		while (gt_recv(s, sd, sv->scratch, sizeof(sv->scratch), 0) > 0)
			;
		gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_LINGER, &lg, sizeof(lg));
	}
	/* K_UNREAD: the request stays unread, so close sends an RST
	 * (RFC 1122 4.2.2.13); the FreeBSD profile frees it and sends a FIN,
	 * as FreeBSD's tcp_disconnect() (docs/closing.md). */
	sv->aborted++;
	conn_end(sv, s, sd, "aborted");
}

/* ---- HTTP/1.1 ---- */

/* Finds "\r\n\r\n" in buf[0, len); returns the header length or 0. */
static uint32_t header_end(const uint8_t *buf, uint32_t len)
{
	for (uint32_t i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* The value of header name in the request head, or NULL. */
static const char *header_value(char *head, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	for (char *line = strstr(head, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		char *h = line + 2;
		if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
			char *v = h + nl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			char *e = strstr(v, "\r\n");
			*vlen = e ? (size_t)(e - v) : strlen(v);
			return v;
		}
	}
	return NULL;
}

/* A few types by file name, so that a browser shows index.html rather than
 * saving it; anything else is bytes. */
static const char *content_type(const char *path)
{
	static const char *const map[][2] = {
		{ ".html", "text/html; charset=utf-8" }, { ".htm", "text/html; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" }, { ".css", "text/css" },
		{ ".js", "text/javascript" },            { ".json", "application/json" },
		{ ".svg", "image/svg+xml" },             { ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && !strchr(dot, '/') && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(dot, map[i][0]))
			return map[i][1];
	return "application/octet-stream";
}

/* extra: further header lines, each ending in CRLF, or "". */
static void http_start(struct conn *c, int status, const char *reason, uint64_t len, bool close_after,
		       const char *type, const char *extra)
{
	c->keep_alive = c->keep_alive && !close_after;
	int n = snprintf(c->hdr, sizeof(c->hdr),
			 "HTTP/1.1 %d %s\r\nServer: glasstcp\r\nContent-Length: %" PRIu64
			 "\r\nContent-Type: %s\r\n%sConnection: %s\r\n\r\n",
			 status, reason, len, type, extra, c->keep_alive ? "keep-alive" : "close");
	assert(n > 0 && (size_t)n < sizeof(c->hdr)); /* reasons and extras are ours, and short */
	c->hdr_len = (uint32_t)n;
	c->hdr_off = 0;
	c->responding = true;
}

/* An error response whose body is the reason (and why, if given). When the
 * connection is to close, its unread input is drained after the response
 * (RFC 9112 9.6): closing with data unread would send an RST that could
 * destroy the response before the client read it (RFC 1122 4.2.2.13). */
static void http_error_ex(struct conn *c, int status, const char *reason, const char *why,
			  bool close_after, const char *extra)
{
	char body[128];
	int blen = snprintf(body, sizeof(body), "%s%s%s\n", reason, why ? ": " : "", why ? why : "");
	http_start(c, status, reason, (uint64_t)blen, close_after, "text/plain; charset=utf-8", extra);
	c->linger = close_after;
	/* RFC 9110 9.3.2: HEAD gets the header fields GET would, no content. */
	if (!c->head_req && c->hdr_len + (uint32_t)blen < sizeof(c->hdr)) {
		memcpy(c->hdr + c->hdr_len, body, (size_t)blen);
		c->hdr_len += (uint32_t)blen;
	}
}

static void http_error(struct conn *c, int status, const char *reason, bool close_after)
{
	http_error_ex(c, status, reason, NULL, close_after, "");
}

/* The file a request-target names under the listener's directory: "/" and
 * any path ending in "/" mean its index.html; %XX decoded (RFC 3986 2.1);
 * no ".." segment after decoding, so nothing above the directory. */
static void http_open_file(struct conn *c, const char *target, size_t tlen)
{
	/* RFC 9112 3.2.2: a server must accept the absolute-form too. */
	if (tlen >= 7 && !strncasecmp(target, "http://", 7)) {
		const char *p = memchr(target + 7, '/', tlen - 7);
		tlen = p ? tlen - (size_t)(p - target) : 1;
		target = p ? p : "/";
	}
	size_t plen = 0;
	while (plen < tlen && target[plen] != '?' && target[plen] != '#')
		plen++;
	if (plen == 0 || target[0] != '/') {
		http_error_ex(c, 400, "Bad Request", "the target is not a path", true, "");
		return;
	}
	char path[4096];
	int n = http_path_decode(target, plen, path, sizeof(path) - sizeof("index.html"));
	if (n == -ENAMETOOLONG) {
		http_error(c, 414, "URI Too Long", false);
		return;
	}
	if (n < 0) {
		http_error_ex(c, 400, "Bad Request", "bad %-escape or %00 in the path", true, "");
		return;
	}
	if (http_path_climbs(path)) {
		http_error_ex(c, 403, "Forbidden", "'..' in the path", false, "");
		return;
	}
	if (path[n - 1] == '/')
		memcpy(path + n, "index.html", sizeof("index.html"));
	const char *rel = path;
	while (*rel == '/')
		rel++;
	/* O_NONBLOCK: opening a FIFO someone left in DIR must not hang the
	 * server; it is refused below as not a regular file. */
	int fd = openat(c->root_fd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int err = fd < 0 ? errno : 0;
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		if (err == EACCES || err == EPERM)
			http_error(c, 403, "Forbidden", false);
		else
			http_error(c, 404, "Not Found", false);
		return;
	}
	http_start(c, 200, "OK", (uint64_t)sb.st_size, false, content_type(rel), "");
	if (c->head_req || sb.st_size == 0) {
		close(fd);
		return;
	}
	c->file_fd = fd;
	c->file_left = (uint64_t)sb.st_size;
}

/* RFC 9110 5.6.2: a method is a token. */
static bool is_token(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", p[i]))
			return false;
	return n > 0;
}

/* Methods RFC 9110 9 (and RFC 5789, PATCH) define: known, so refused with
 * 405 and the methods that are allowed (RFC 9110 15.5.6); any other is
 * not recognised: 501 (RFC 9110 15.6.2). Methods are case-sensitive. */
static bool known_method(const char *m, size_t n)
{
	static const char *const known[] = { "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" };
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && !memcmp(m, known[i], n))
			return true;
	return false;
}

/* Parses one complete request head of hlen bytes at c->buf + c->off. */
static void http_request(struct serve *sv, struct conn *c, uint32_t hlen)
{
	char head[HTTP_REQ_MAX_BYTES + 1];
	memcpy(head, c->buf + c->off, hlen);
	head[hlen] = 0;
	c->off += hlen;
	c->requests++;
	sv->http_requests++;
	c->head_req = false;
	char *sp1 = strchr(head, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	char *eol = strstr(head, "\r\n");
	if (!sp1 || !sp2 || sp2 > eol || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    !is_token(head, (size_t)(sp1 - head))) {
		c->keep_alive = false;
		http_error_ex(c, 400, "Bad Request", "not an HTTP/1.x request line", true, "");
		return;
	}
	size_t mlen = (size_t)(sp1 - head);
	bool get = mlen == 3 && !memcmp(head, "GET", 3);
	c->head_req = mlen == 4 && !memcmp(head, "HEAD", 4);
	/* RFC 9112 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive". */
	bool v11 = sp2[8] == '1';
	size_t vl;
	const char *conn = header_value(head, "Connection", &vl);
	c->keep_alive = v11;
	if (conn && vl >= 5 && strncasecmp(conn, "close", 5) == 0)
		c->keep_alive = false;
	else if (conn && vl >= 10 && strncasecmp(conn, "keep-alive", 10) == 0)
		c->keep_alive = true;
	/* No request bodies are read here: after a request that has one, the
	 * connection closes rather than parse the body as the next request. */
	const char *cl = header_value(head, "Content-Length", &vl);
	bool body = (cl && strtoull(cl, NULL, 10) > 0) || header_value(head, "Transfer-Encoding", &vl);
	if (!get && !c->head_req) {
		if (known_method(head, mlen))
			http_error_ex(c, 405, "Method Not Allowed", NULL, body, "Allow: GET, HEAD\r\n");
		else
			http_error(c, 501, "Not Implemented", body);
		return;
	}
	if (body) {
		http_error(c, 413, "Content Too Large", true);
		return;
	}
	http_open_file(c, sp1 + 1, (size_t)(sp2 - sp1 - 1));
}

/* Sends what the send buffer takes. The file is read straight into the
 * send buffer's free space (gt_send_spans(), then gt_send_commit()), at
 * most IO_BUF_BYTES per write as before: one copy per byte fewer than
 * reading into a buffer of ours and copying that in with gt_send() (ring_write()
 * was 4-6% of serve's CPU time sending over TUN, perf record; docs/sending.md).
 * Returns 1 when the response is done, 0 when it waits for room, negative
 * errno on a dead connection. */
static int http_send(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	while (c->hdr_off < c->hdr_len) {
		ssize_t n = gt_send(s, sd, c->hdr + c->hdr_off, c->hdr_len - c->hdr_off,
				    c->file_left ? GT_MSG_MORE : 0);
		if (n < 0)
			return n == -EAGAIN ? 0 : (int)n;
		c->hdr_off += (uint32_t)n;
	}
	while (c->file_left) {
		struct gt_span sp[2];
		ssize_t room = gt_send_spans(s, sd, sp);
		if (room < 0)
			return room == -EAGAIN ? 0 : (int)room;
		uint64_t want = c->file_left < IO_BUF_BYTES ? c->file_left : IO_BUF_BYTES;
		struct iovec iov[2];
		int k = 0;
		for (int i = 0; i < 2 && want; i++) {
			size_t l = sp[i].len < want ? sp[i].len : (size_t)want;
			if (!l)
				continue;
			iov[k++] = (struct iovec){ sp[i].base, l };
			want -= l;
		}
		ssize_t r = k ? readv(c->file_fd, iov, k) : 0;
		if (r <= 0)
			return -EIO; /* the file shrank: the length we promised is a lie */
		ssize_t n = gt_send_commit(s, sd, (size_t)r, 0);
		if (n != r)
			return n < 0 ? (int)n : -EIO; /* cannot happen: the room was given */
		c->file_left -= (uint64_t)r;
		c->bytes_out += (uint64_t)r;
		sv->http_bytes += (uint64_t)r;
	}
	if (c->file_fd >= 0) {
		close(c->file_fd);
		c->file_fd = -1;
	}
	c->responding = false;
	return 1;
}

/* After an error response that closes: our FIN is out; read and drop what
 * the client still sends until its FIN, at most HTTP_DRAIN_MAX_BYTES. */
static void http_drain(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	for (;;) {
		ssize_t n = gt_recv(s, sd, sv->scratch, sizeof(sv->scratch), 0);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			conn_end(sv, s, sd, n == 0 ? "error response sent, peer closed" : strerror((int)-n));
			return;
		}
		c->bytes_in += (uint64_t)n;
		c->drained += (uint64_t)n;
		if (c->drained > HTTP_DRAIN_MAX_BYTES) {
			conn_end(sv, s, sd, "error response sent, peer kept sending");
			return;
		}
	}
}

static void http_service(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	if (c->draining) {
		http_drain(sv, s, sd, c);
		return;
	}
	for (;;) {
		if (c->responding) {
			int r = http_send(sv, s, sd, c);
			if (r < 0) {
				conn_end(sv, s, sd, strerror(-r));
				return;
			}
			if (r == 0)
				return;
			if (!c->keep_alive && c->linger) {
				gt_shutdown(s, sd, GT_SHUT_WR);
				c->draining = true;
				http_drain(sv, s, sd, c);
				return;
			}
			if (!c->keep_alive) {
				conn_end(sv, s, sd, "response done"); /* we close first */
				return;
			}
		}
		uint32_t hlen = header_end(c->buf + c->off, c->len - c->off);
		if (hlen) {
			http_request(sv, c, hlen);
			continue;
		}
		if (c->off) { /* keep the partial next request at the front */
			memmove(c->buf, c->buf + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
		}
		if (c->len >= HTTP_REQ_MAX_BYTES) {
			/* RFC 9112 3: a request-target too long to parse is 414;
			 * header fields past the limit, 431 (RFC 6585 5). */
			bool line_ended = memmem(c->buf, c->len, "\r\n", 2) != NULL;
			c->len = 0;
			c->head_req = false;
			c->keep_alive = false;
			if (line_ended)
				http_error_ex(c, 431, "Request Header Fields Too Large", "the request head is over 8 KiB",
					      true, "");
			else
				http_error_ex(c, 414, "URI Too Long", "the request line is over 8 KiB", true, "");
			continue;
		}
		if (c->eof) {
			conn_end(sv, s, sd, "peer closed");
			return;
		}
		ssize_t n = gt_recv(s, sd, c->buf + c->len, HTTP_REQ_MAX_BYTES - c->len, 0);
		if (n == 0) {
			c->eof = true;
		} else if (n > 0) {
			c->len += (uint32_t)n;
			c->bytes_in += (uint64_t)n;
		} else {
			if (n != -EAGAIN)
				conn_end(sv, s, sd, strerror((int)-n));
			return;
		}
	}
}

/* ---- the application ---- */

static void service(struct serve *sv, gt_stack *s, int sd)
{
	for (int i = 0; i < sv->nls; i++)
		if (sv->ls[i].sd == sd) {
			accept_all(sv, s, &sv->ls[i]);
			return;
		}
	struct conn *c = (uint32_t)sd < sv->conns_cap ? sv->conns[sd] : NULL;
	if (!c)
		return;
	switch (c->kind) {
	case K_ECHO: echo_service(sv, s, sd, c); break;
	case K_DISCARD: discard_service(sv, s, sd, c); break;
	case K_HTTP: http_service(sv, s, sd, c); break;
	default: rst_service(sv, s, sd, c); break;
	}
}

static void serve_step(void *ctx, gt_stack *s)
{
	struct serve *sv = ctx;
	struct gt_event ev[EVENT_BATCH];
	size_t n;
	while ((n = gt_events(s, ev, EVENT_BATCH)) > 0)
		for (size_t i = 0; i < n; i++)
			service(sv, s, ev[i].sd);
}

static void serve_shutdown(void *ctx, gt_stack *s)
{
	struct serve *sv = ctx;
	if (!sv->quiet)
		printf("serve: signal: closing %d listeners and every connection\n", sv->nls);
	for (int i = 0; i < sv->nls; i++)
		gt_close(s, sv->ls[i].sd);
	sv->nls = 0;
	for (uint32_t sd = 0; sd < sv->conns_cap; sd++)
		if (sv->conns[sd])
			conn_end(sv, s, (int)sd, "shutdown");
}

/* A listener on l->port of the address a (either family; an IPv6 one is
 * IPV6_V6ONLY, the IPv4 address having a listener of its own). */
static int add_listener(struct serve *sv, gt_stack *s, const struct gt_sockaddr *addr,
			const struct listener *l)
{
	if (sv->nls == MAX_LISTENERS) {
		fprintf(stderr, "glasstcp serve: at most %d listeners (both families count)\n",
			MAX_LISTENERS);
		return -ENOSPC;
	}
	struct gt_sockaddr a = *addr;
	a.port = l->port;
	int one = 1;
	int sd = gt_socket(s, a.family, GT_SOCK_STREAM);
	int r = sd < 0 ? sd : gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one));
	if (r == 0 && a.family == GT_AF_INET6)
		r = gt_setsockopt(s, sd, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &one, sizeof(one));
	if (r == 0)
		r = gt_bind(s, sd, &a);
	if (r == 0)
		r = gt_listen(s, sd, 128);
	if (r < 0) {
		fprintf(stderr, "glasstcp serve: %s on port %u: %s\n", kind_name[l->kind], l->port, strerror(-r));
		return r;
	}
	sv->ls[sv->nls] = *l;
	sv->ls[sv->nls++].sd = sd;
	return 0;
}

/* 0, or -1 with the reason printed: a missing or non-numeric value, or a
 * number outside 1-65535. */
static int parse_port(const char *opt, const char *v, uint16_t *out)
{
	int r = tun_parse_port(v, out);
	if (r == -EINVAL)
		fprintf(stderr, "glasstcp serve: %s wants a port number, got '%s'\n", opt, v ? v : "");
	else if (r < 0)
		fprintf(stderr, "glasstcp serve: %s: port out of range: '%s' (1-65535)\n", opt, v);
	return r < 0 ? -1 : 0;
}

/* The directory of --http, opened now so that a wrong one stops the start
 * with its name and the reason, not every later request with a 404. */
static int open_root(const char *opt, uint16_t port, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "glasstcp serve: %s %u %s: %s\n", opt, port, dir,
			errno == ENOTDIR ? "not a directory" : strerror(errno));
	return fd;
}

static void close_roots(struct listener *ls, int n)
{
	for (int i = 0; i < n; i++)
		if (ls[i].root_fd >= 0)
			close(ls[i].root_fd);
}

static int parse_args(int argc, char **argv, struct tun_options *o, struct listener *ls, int *nls)
{
	static const char *const opt[] = { "--echo", "--discard", "--http", "--linger0", "--unread" };
	for (int i = 0; i < argc;) {
		int r = tun_options_parse(o, argc, argv, &i);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			exit(0);
		}
		int k = -1;
		for (int j = 0; j < 5; j++)
			if (!strcmp(argv[i], opt[j]))
				k = j;
		if (k < 0) {
			fprintf(stderr, "glasstcp serve: unknown argument '%s' (glasstcp serve --help)\n", argv[i]);
			return -1;
		}
		if (*nls == MAX_LISTENERS) {
			fprintf(stderr, "glasstcp serve: %s: at most %d servers\n", argv[i], MAX_LISTENERS);
			return -1;
		}
		struct listener *l = &ls[*nls];
		if (parse_port(argv[i], i + 1 < argc ? argv[i + 1] : NULL, &l->port) < 0)
			return -1;
		l->kind = (enum kind)k;
		l->root_fd = -1;
		i += 2;
		if (k == K_HTTP) {
			if (i >= argc)
				return fprintf(stderr, "glasstcp serve: --http wants PORT DIR\n"), -1;
			if ((l->root_fd = open_root(opt[k], l->port, argv[i++])) < 0)
				return -1;
		}
		(*nls)++;
	}
	if (*nls == 0)
		return fprintf(stderr, "glasstcp serve: no server asked for (--echo, --discard, --http...)\n"), -1;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	struct tun_options o;
	struct listener want[MAX_LISTENERS];
	int nwant = 0;
	tun_options_default(&o);
	if (parse_args(argc, argv, &o, want, &nwant) < 0) {
		close_roots(want, nwant);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	tun_rt *rt;
	if (tun_rt_open(&rt, &o, "glasstcp serve") < 0) {
		close_roots(want, nwant);
		return 1;
	}
	struct serve *sv = calloc(1, sizeof(*sv));
	gt_stack *s = tun_rt_stack(rt);
	int r = sv ? 0 : -ENOMEM;
	if (sv)
		sv->quiet = o.quiet;
	struct gt_sockaddr a4 = {.family = GT_AF_INET, .addr = o.addr};
	struct gt_sockaddr a6 = {.family = GT_AF_INET6};
	a6.addr6 = o.addr6;
	for (int i = 0; i < nwant && r == 0; i++) {
		if (o.addr)
			r = add_listener(sv, s, &a4, &want[i]);
		if (r == 0 && o.has_addr6)
			r = add_listener(sv, s, &a6, &want[i]);
	}
	if (r < 0) {
		free(sv);
		close_roots(want, nwant);
		tun_rt_close(rt);
		return 1;
	}
	if (!o.quiet) {
		char addrs[128] = "", t[64];
		if (o.addr)
			snprintf(addrs, sizeof(addrs), "%u.%u.%u.%u/%u", o.addr >> 24,
				 (o.addr >> 16) & 255, (o.addr >> 8) & 255, o.addr & 255, o.prefix);
		if (o.has_addr6 && inet_ntop(AF_INET6, o.addr6.b, t, sizeof(t)))
			snprintf(addrs + strlen(addrs), sizeof(addrs) - strlen(addrs), "%s%s/%u",
				 o.addr ? " and " : "", t, o.prefix6);
		printf("serve: stack %s", addrs);
		printf(" on %s, MTU %u%s%s;", o.ifname, o.mtu,
		       !o.offload ? "" : o.no_tso || tun_fault_active(&o.fault) ? ", offload (receive only)" : ", offload",
		       tun_fault_active(&o.fault) ? ", faults on" : "");
		for (int i = 0; i < sv->nls; i++)
			printf(" %s :%u", kind_name[sv->ls[i].kind], sv->ls[i].port);
		printf("\nserve: ready (SIGUSR1: socket listing and counters; SIGINT/SIGTERM: stop)\n");
	}
	struct tun_app app = { .step = serve_step, .shutdown = serve_shutdown, .ctx = sv };
	if (tun_rt_run(rt, &app, o.limit_us) == -ETIMEDOUT) {
		if (!o.quiet)
			printf("serve: --time-limit reached\n");
		serve_shutdown(sv, s);
		tun_rt_drain(rt, o.grace_us);
	}
	if (!o.quiet) {
		printf("serve: %" PRIu64 " connections accepted, %" PRIu64 " closed, %" PRIu64 " aborted with RST; "
		       "discard %" PRIu64 " bytes, echo %" PRIu64 " bytes, http %" PRIu64 " requests %" PRIu64 " bytes\n",
		       sv->accepted, sv->closed, sv->aborted, sv->discard_bytes, sv->echo_bytes, sv->http_requests,
		       sv->http_bytes);
		tun_rt_print_counters(rt, stdout);
	}
	for (uint32_t sd = 0; sd < sv->conns_cap; sd++)
		if (sv->conns[sd])
			conn_end(sv, s, (int)sd, "exit");
	free(sv->conns);
	free(sv);
	close_roots(want, nwant);
	tun_rt_close(rt);
	return 0;
}
