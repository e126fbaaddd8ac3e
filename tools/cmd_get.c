/* `glasstcp get URL` and `glasstcp send HOST PORT`: clients on a glasstcp
 * stack behind a TUN device, so that glasstcp is tested as the active opener
 * against the kernel's TCP. get: one HTTP/1.1 GET (RFC 9112), the body to
 * stdout or a file, unframed from Content-Length, chunked or the close
 * (RFC 9112 6.3, 7.1); a body that is not whole is an error with its cause
 * named, never exit 0. send: stdin to the connection, the connection to stdout,
 * with a half-close (RFC 9293 3.6) when stdin ends. Reports go to stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <glasstcp/viz.h>

#include "runtime/tun/tun.h"
#include "tools/commands.h"
#include "tools/http_util.h"

#define IO_BUF_BYTES 65536u
#define RESP_HEAD_MAX_BYTES 16384u

/* How the response's body ends (RFC 9112 6.3). */
enum framing { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_CLOSE };

struct client {
	const char *prog;
	int sd;
	struct gt_sockaddr dst;
	bool connected, finished;
	int error;                /* negative errno that ended it */
	char why[200];            /* the cause in words, when errno alone is not enough */
	uint64_t t_start_us, t_connected_us, t_done_us;
	uint64_t bytes_in, bytes_out;
	int out_fd;
	/* get */
	char req[1024];
	uint32_t req_len, req_off;
	char head[RESP_HEAD_MAX_BYTES + 1];
	uint32_t head_len;
	bool in_body;
	int status;
	char reason[64];
	enum framing framing;
	uint64_t content_len;     /* BODY_LENGTH */
	struct http_chunked chunked;
	/* send */
	tun_rt *rt;
	int in_fd;
	bool in_eof, shut_sent, peer_eof;
	uint8_t pend[IO_BUF_BYTES];
	uint32_t pend_off, pend_len;
	uint8_t buf[IO_BUF_BYTES];
};

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -errno;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static void finish(struct client *c, int err)
{
	if (c->finished)
		return;
	c->finished = true;
	c->error = err;
	c->t_done_us = tun_now_us();
}

/* The handshake: POLLOUT (established) or an error (RFC 9293 3.10.7.3). */
static bool check_connected(struct client *c, gt_stack *s)
{
	if (c->connected)
		return true;
	struct gt_pollfd p = { .sd = c->sd, .events = GT_POLLOUT };
	gt_poll(s, &p, 1);
	if (p.revents & (GT_POLLERR | GT_POLLHUP)) {
		int e = 0;
		size_t len = sizeof(e);
		gt_getsockopt(s, c->sd, GT_SOL_SOCKET, GT_SO_ERROR, &e, &len);
		finish(c, e ? (e < 0 ? e : -e) : -ECONNABORTED);
		return false;
	}
	if (!(p.revents & GT_POLLOUT))
		return false;
	c->connected = true;
	c->t_connected_us = tun_now_us();
	return true;
}

static void drain_events(gt_stack *s)
{
	struct gt_event ev[16];
	while (gt_events(s, ev, 16) > 0)
		;
}

/* ---- get ---- */

/* Why the transfer failed, in words, when an errno alone would not say
 * (a short body, a reset in the middle of one, a malformed chunk). */
__attribute__((format(printf, 3, 4)))
static void finish_why(struct client *c, int err, const char *fmt, ...)
{
	if (c->finished)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	finish(c, err);
}

/* The value of the header line at l (after "Name:"), trimmed; its length. */
static const char *field_value(const char *l, const char *eol, size_t *n)
{
	while (l < eol && (*l == ' ' || *l == '\t'))
		l++;
	while (eol > l && (eol[-1] == ' ' || eol[-1] == '\t'))
		eol--;
	*n = (size_t)(eol - l);
	return l;
}

/* The status line and the fields that frame the body (RFC 9112 4, 6.3).
 * head holds hl bytes ending in the empty line. */
static int parse_head(struct client *c, const char *head, size_t hl)
{
	unsigned maj, min;
	int st, used = 0;
	if (sscanf(head, "HTTP/%1u.%1u %3d%n", &maj, &min, &st, &used) != 3 || maj != 1 ||
	    st < 100 || st > 999 || (head[used] != ' ' && head[used] != '\r')) {
		finish_why(c, -EPROTO, "not an HTTP/1.x status line: '%.40s'", head);
		return -EPROTO;
	}
	c->status = st;
	const char *reason = head + used + (head[used] == ' ');
	snprintf(c->reason, sizeof(c->reason), "%.*s", (int)strcspn(reason, "\r\n"), reason);
	bool have_len = false, te = false, te_chunked = false;
	uint64_t len = 0;
	char te_val[64] = "";
	const char *end = head + hl;
	for (const char *l = strstr(head, "\r\n") + 2; l < end; ) {
		const char *eol = strstr(l, "\r\n");
		if (!eol || eol == l)
			break;
		const char *colon = memchr(l, ':', (size_t)(eol - l));
		size_t vn;
		const char *v = colon ? field_value(colon + 1, eol, &vn) : NULL;
		if (v && colon - l == 14 && !strncasecmp(l, "Content-Length", 14)) {
			uint64_t x;
			if (http_parse_length(v, vn, &x) < 0 || (have_len && x != len)) {
				finish_why(c, -EPROTO, "bad Content-Length '%.*s'", (int)(vn < 40 ? vn : 40), v);
				return -EPROTO;
			}
			have_len = true;
			len = x;
		} else if (v && colon - l == 17 && !strncasecmp(l, "Transfer-Encoding", 17)) {
			/* Several lines make one list: the last line holds the final coding. */
			te = true;
			te_chunked = http_te_chunked(v, vn) == 1;
			snprintf(te_val, sizeof(te_val), "%.*s", (int)vn, v);
		}
		l = eol + 2;
	}
	/* RFC 9112 6.3: no body after 1xx, 204, 304 (we never send HEAD); a
	 * transfer coding overrides Content-Length; else read until close. */
	if (st < 200 || st == 204 || st == 304) {
		c->framing = BODY_NONE;
	} else if (te) {
		if (!te_chunked) {
			/* We asked for no coding and can decode none but chunked:
			 * what we would write would not be the body. */
			finish_why(c, -EPROTO, "unsupported Transfer-Encoding '%s'", te_val);
			return -EPROTO;
		}
		c->framing = BODY_CHUNKED;
		http_chunked_init(&c->chunked);
	} else if (have_len) {
		c->framing = len ? BODY_LENGTH : BODY_NONE;
		c->content_len = len;
	} else {
		c->framing = BODY_CLOSE;
	}
	return 0;
}

/* Body bytes (p is ours to decode in place): to the output, framed as the
 * head said. */
static int body_bytes(struct client *c, uint8_t *p, size_t n)
{
	size_t out = n;
	int done = 0;
	switch (c->framing) {
	case BODY_NONE:
		return 0; /* bytes after a complete response: not ours to write */
	case BODY_LENGTH:
		if (c->bytes_in + n >= c->content_len) {
			out = (size_t)(c->content_len - c->bytes_in);
			done = 1;
		}
		break;
	case BODY_CHUNKED: {
		size_t used;
		done = http_chunked_decode(&c->chunked, p, n, &out, &used);
		break;
	}
	case BODY_CLOSE:
		break;
	}
	int r = out ? write_all(c->out_fd, p, out) : 0;
	if (r < 0) {
		finish_why(c, r, "writing the body: %s", strerror(-r));
		return r;
	}
	c->bytes_in += out;
	if (done < 0)
		finish_why(c, done, "malformed chunked body: %s (after %" PRIu64 " body bytes)",
			   c->chunked.error, c->bytes_in);
	else if (done)
		finish(c, 0);
	return done < 0 ? done : 0;
}

/* Finds the end of the head in c->head; passes over 1xx interim responses
 * (RFC 9110 15.2). Returns the head's length once a final one is parsed,
 * 0 while it is incomplete, -errno when it is bad. */
static int head_scan(struct client *c)
{
	for (;;) {
		c->head[c->head_len] = 0;
		char *e = strstr(c->head, "\r\n\r\n");
		if (!e)
			return 0;
		size_t hl = (size_t)(e + 4 - c->head);
		int r = parse_head(c, c->head, hl);
		if (r < 0)
			return r;
		if (c->status >= 200)
			return (int)hl;
		memmove(c->head, c->head + hl, c->head_len - hl);
		c->head_len -= (uint32_t)hl;
	}
}

/* Response bytes as they come: the head (bounded), then the body. */
static int response_bytes(struct client *c, uint8_t *p, size_t n)
{
	while (!c->in_body && n > 0) {
		size_t room = RESP_HEAD_MAX_BYTES - c->head_len, take = n < room ? n : room;
		memcpy(c->head + c->head_len, p, take);
		c->head_len += (uint32_t)take;
		p += take;
		n -= take;
		int hl = head_scan(c);
		if (hl < 0)
			return hl;
		if (hl == 0) {
			if (c->head_len == RESP_HEAD_MAX_BYTES) {
				finish_why(c, -EMSGSIZE, "response head larger than %u bytes",
					   RESP_HEAD_MAX_BYTES);
				return -EMSGSIZE;
			}
			continue;
		}
		c->in_body = true;
		if (c->framing == BODY_NONE) {
			finish(c, 0);
			return 0;
		}
		/* The body's first bytes came with the head. */
		int r = body_bytes(c, (uint8_t *)c->head + hl, c->head_len - (uint32_t)hl);
		if (r < 0 || c->finished)
			return r;
	}
	return n ? body_bytes(c, p, n) : 0;
}

/* The connection ended (err 0: the peer's FIN) before the response did,
 * or, for a body delimited by the close, exactly when it did. */
static void get_ended(struct client *c, int err)
{
	const char *how = err ? strerror(-err) : "connection closed by the server";
	int code = err ? err : -EPIPE;
	if (!c->in_body) {
		finish_why(c, code, "%s %s", how,
			   c->head_len ? "in the middle of the response head" : "before any response");
	} else if (c->framing == BODY_LENGTH) {
		finish_why(c, code, "body cut short: %s after %" PRIu64 " of %" PRIu64 " bytes", how,
			   c->bytes_in, c->content_len);
	} else if (c->framing == BODY_CHUNKED) {
		finish_why(c, code, "chunked body cut short: %s after %" PRIu64
			   " bytes, before the last chunk", how, c->bytes_in);
	} else if (err) {
		/* Only a FIN ends a body delimited by the close (RFC 9112 6.3 item 8). */
		finish_why(c, code, "%s after %" PRIu64 " body bytes: the body's end is unknown", how,
			   c->bytes_in);
	} else {
		finish(c, 0);
	}
}

/* A body that needs no decoding (a length, or the close, delimits it) goes
 * to the output straight from the receive buffer (gt_recv_spans()), as
 * `serve` fills the send buffer in place: one copy per byte fewer than
 * gt_recv() into c->buf and a write() from there (docs/receiving.md). A
 * chunked body is decoded in place, so it still goes through c->buf. */
static bool body_in_place(const struct client *c)
{
	return c->in_body && (c->framing == BODY_LENGTH || c->framing == BODY_CLOSE);
}

/* One look at the receive buffer: its bytes to the output, then consumed,
 * as one gt_recv() of them would have taken them. Returns what gt_recv()
 * would have: the bytes taken, 0 at the end (the connection ended), or
 * -EAGAIN. */
static ssize_t body_from_ring(struct client *c, gt_stack *s)
{
	struct gt_span sp[2];
	ssize_t n = gt_recv_spans(s, c->sd, sp);
	if (n == -EAGAIN)
		return n;
	if (n <= 0) {
		get_ended(c, (int)n);
		return n < 0 ? n : 0;
	}
	for (int i = 0; i < 2 && sp[i].len > 0 && !c->finished; i++)
		if (body_bytes(c, sp[i].base, sp[i].len) < 0)
			break;
	gt_recv_consume(s, c->sd, (size_t)n);
	return n;
}

static void get_step(void *ctx, gt_stack *s)
{
	struct client *c = ctx;
	drain_events(s);
	if (c->finished || !check_connected(c, s))
		return;
	while (c->req_off < c->req_len) {
		ssize_t n = gt_send(s, c->sd, c->req + c->req_off, c->req_len - c->req_off, 0);
		if (n < 0) {
			if (n != -EAGAIN)
				get_ended(c, (int)n);
			return;
		}
		c->req_off += (uint32_t)n;
		c->bytes_out += (uint64_t)n;
	}
	while (!c->finished) {
		if (body_in_place(c)) {
			if (body_from_ring(c, s) <= 0)
				return;
			continue;
		}
		ssize_t n = gt_recv(s, c->sd, c->buf, sizeof(c->buf), 0);
		if (n == -EAGAIN)
			return;
		if (n <= 0)
			get_ended(c, (int)n);
		else
			response_bytes(c, c->buf, (size_t)n);
	}
}

static bool client_done(void *ctx, gt_stack *s)
{
	return ((struct client *)ctx)->finished;
}

static void client_shutdown(void *ctx, gt_stack *s)
{
	finish_why(ctx, -EINTR, "interrupted by a signal");
}

/* http://A.B.C.D[:PORT][/PATH] or http://[IPV6][:PORT][/PATH] (RFC 3986
 * 3.2.2). 0, or -ERANGE for a port outside 1-65535, -EINVAL for anything
 * else (the caller names which). */
static int parse_url(const char *url, struct gt_sockaddr *dst, char *path, size_t plen, char *host, size_t hlen)
{
	if (strncmp(url, "http://", 7) != 0)
		return -EINVAL;
	const char *h = url + 7, *slash = strchr(h, '/');
	size_t n = slash ? (size_t)(slash - h) : strlen(h);
	if (n == 0 || n >= hlen)
		return -EINVAL;
	memcpy(host, h, n);
	host[n] = 0;
	if (snprintf(path, plen, "%s", slash ? slash : "/") >= (int)plen)
		return -EINVAL;
	/* The request line is built from it: a space or a control character
	 * would make another request (RFC 9112 3.2: they must be encoded). */
	for (const char *q = path; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return -EINVAL;
	char ip[256];
	snprintf(ip, sizeof(ip), "%s", host);
	char *start = ip, *colon;
	if (ip[0] == '[') {
		char *close = strchr(ip, ']');
		if (!close || (close[1] && close[1] != ':'))
			return -EINVAL;
		*close = 0;
		start = ip + 1;
		colon = close[1] ? close + 1 : NULL;
	} else {
		colon = strchr(ip, ':');
	}
	dst->port = 80;
	if (colon) {
		int r = tun_parse_port(colon + 1, &dst->port);
		if (r < 0)
			return r;
		*colon = 0;
	}
	if (start != ip) {
		dst->family = GT_AF_INET6;
		return strchr(start, '/') ? -EINVAL : tun_parse_ipv6(start, &dst->addr6, NULL);
	}
	dst->family = GT_AF_INET;
	return tun_parse_ipv4(ip, &dst->addr, NULL);
}

/* ---- shared: open the runtime, connect, run, report ---- */

static int client_run(struct client *c, tun_rt *rt, const struct tun_app *app, uint64_t limit_us)
{
	gt_stack *s = tun_rt_stack(rt);
	c->t_start_us = tun_now_us();
	c->sd = gt_socket(s, c->dst.family, GT_SOCK_STREAM);
	int r = c->sd < 0 ? c->sd : gt_connect(s, c->sd, &c->dst);
	if (r != -EINPROGRESS && r != 0) {
		fprintf(stderr, "%s: connect: %s\n", c->prog, strerror(-r));
		return -r;
	}
	r = tun_rt_run(rt, app, limit_us);
	if (r == -ETIMEDOUT)
		finish_why(c, -ETIMEDOUT, "not done within the time limit of %.0f s (--time-limit); %" PRIu64
			   " bytes in, %" PRIu64 " out", (double)limit_us / 1e6, c->bytes_in, c->bytes_out);
	gt_close(tun_rt_stack(rt), c->sd);
	tun_rt_drain(rt, 2000000); /* let our FIN (or the peer's last ACK) cross */
	return 0;
}

/* Failures are always reported; a success only without --quiet. */
static void report(const struct client *c, const struct tun_options *o, tun_rt *rt, const char *what,
		   bool failed)
{
	double t = (double)(c->t_done_us - (c->t_connected_us ? c->t_connected_us : c->t_start_us)) / 1e6;
	double total = (double)(c->t_done_us - c->t_start_us) / 1e6;
	char a[64];
	gt_sockaddr_str(a, sizeof(a), &c->dst);
	if (c->error && c->why[0])
		fprintf(stderr, "%s: %s: %s (%.3f s)\n", c->prog, a, c->why, total);
	else if (c->error)
		fprintf(stderr, "%s: %s: %s after %.3f s\n", c->prog, a, strerror(-c->error), total);
	else if (failed || !o->quiet)
		fprintf(stderr, "%s: %s: %s; %" PRIu64 " bytes in, %" PRIu64 " out in %.3f s (%.1f Mbit/s)\n",
			c->prog, a, what, c->bytes_in, c->bytes_out, t,
			t > 0 ? (double)(c->bytes_in + c->bytes_out) * 8 / t / 1e6 : 0.0);
	if (!o->quiet)
		tun_rt_print_counters(rt, stderr);
}

static int client_args(int argc, char **argv, struct tun_options *o, const char **pos, int npos,
		       const char **out_path, const char *prog)
{
	int got = 0;
	for (int i = 0; i < argc;) {
		int r = tun_options_parse(o, argc, argv, &i);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-o") && out_path) {
			if (!v)
				return fprintf(stderr, "%s: -o wants a file\n", prog), -1;
			*out_path = v;
			i += 2;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
			return -1;
		} else if (got < npos) {
			pos[got++] = a;
			i++;
		} else {
			return fprintf(stderr, "%s: too many arguments\n", prog), -1;
		}
	}
	return got == npos ? 0 : -1;
}

int cmd_get(int argc, char **argv)
{
	struct tun_options o;
	tun_options_default(&o);
	const char *url = NULL, *out_path = NULL;
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		printf("usage: glasstcp get URL --tun NAME --addr A/LEN [-o FILE] [options]\n"
		       "  URL is http://A.B.C.D[:PORT]/PATH or http://[IPV6][:PORT]/PATH (no DNS).\n"
		       "  The body goes to stdout\n"
		       "  or FILE, Content-Length and chunked framing decoded; the exit status is 0\n"
		       "  only for a complete 200 response, else 1 with the cause on stderr\n"
		       "  (2 for a usage error).\n");
		tun_options_usage(stdout);
		return 0;
	}
	struct client *c = calloc(1, sizeof(*c));
	if (!c)
		return 1;
	c->prog = "glasstcp get";
	char path[2048], host[256];
	int ur = -EINVAL;
	if (client_args(argc, argv, &o, &url, 1, &out_path, c->prog) < 0 ||
	    (ur = parse_url(url, &c->dst, path, sizeof(path), host, sizeof(host))) < 0) {
		if (ur == -ERANGE)
			fprintf(stderr, "%s: port out of range in '%s' (1-65535)\n", c->prog, url);
		else if (url)
			fprintf(stderr, "%s: bad URL '%s': want http://A.B.C.D[:PORT]/PATH or "
				"http://[IPV6][:PORT]/PATH, the path "
				"percent-encoded\n", c->prog, url);
		fprintf(stderr, "usage: glasstcp get http://A.B.C.D[:PORT]/PATH --addr A/LEN [options] (--help)\n");
		free(c);
		return 2;
	}
	c->out_fd = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;
	if (c->out_fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", c->prog, out_path, strerror(errno));
		free(c);
		return 1;
	}
	c->req_len = (uint32_t)snprintf(c->req, sizeof(c->req),
					"GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: glasstcp/%s\r\n"
					"Connection: close\r\n\r\n", path, host, GLASSTCP_VERSION);
	tun_rt *rt;
	int rc = 1;
	if (tun_rt_open(&rt, &o, c->prog) == 0) {
		struct tun_app app = { .step = get_step, .done = client_done, .shutdown = client_shutdown, .ctx = c };
		if (client_run(c, rt, &app, o.limit_us ? o.limit_us : 120000000u) == 0) {
			char what[96];
			snprintf(what, sizeof(what), "HTTP %d%s%s%s", c->status, c->reason[0] ? " " : "", c->reason,
				 c->status == 200 ? "" : " (not 200: exit 1)");
			rc = c->error == 0 && c->status == 200 ? 0 : 1;
			report(c, &o, rt, what, rc != 0);
		}
		tun_rt_close(rt);
	}
	if (out_path)
		close(c->out_fd);
	free(c);
	return rc;
}

/* ---- send ---- */

static void send_step(void *ctx, gt_stack *s)
{
	struct client *c = ctx;
	drain_events(s);
	if (c->finished || !check_connected(c, s))
		return;
	for (bool progress = true; progress && !c->finished;) {
		progress = false;
		if (c->pend_off == c->pend_len && !c->in_eof) {
			ssize_t n = read(c->in_fd, c->pend, sizeof(c->pend));
			if (n > 0) {
				c->pend_off = 0;
				c->pend_len = (uint32_t)n;
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				c->in_eof = true;
			}
		}
		if (c->pend_off < c->pend_len) {
			ssize_t n = gt_send(s, c->sd, c->pend + c->pend_off, c->pend_len - c->pend_off, 0);
			if (n > 0) {
				c->pend_off += (uint32_t)n;
				c->bytes_out += (uint64_t)n;
				progress = true;
			} else if (n != -EAGAIN) {
				finish(c, (int)n);
				return;
			}
		}
		if (c->in_eof && c->pend_off == c->pend_len && !c->shut_sent) {
			gt_shutdown(s, c->sd, GT_SHUT_WR); /* our FIN; the peer may still talk */
			c->shut_sent = true;
		}
		ssize_t n = c->peer_eof ? 0 : gt_recv(s, c->sd, c->buf, sizeof(c->buf), 0);
		if (n > 0) {
			int r = write_all(1, c->buf, (size_t)n);
			c->bytes_in += (uint64_t)n;
			progress = true;
			if (r < 0)
				finish(c, r);
		} else if (n == 0) {
			c->peer_eof = true;
		} else if (n != -EAGAIN) {
			finish(c, (int)n);
		}
		if (c->peer_eof && c->shut_sent)
			finish(c, 0);
	}
	/* Wake for stdin only while there is room to take it. */
	tun_rt_watch(c->rt, c->in_fd, !c->in_eof && c->pend_off == c->pend_len);
}

/* send's HOST: A.B.C.D, or an IPv6 address with or without brackets. */
static int send_host(const char *h, struct gt_sockaddr *dst)
{
	char b[64];
	size_t n = strlen(h);
	if (h[0] == '[' && n >= 2 && h[n - 1] == ']' && n - 2 < sizeof(b)) {
		memcpy(b, h + 1, n - 2);
		b[n - 2] = 0;
		h = b;
	}
	if (strchr(h, ':')) {
		dst->family = GT_AF_INET6;
		return strchr(h, '/') ? -EINVAL : tun_parse_ipv6(h, &dst->addr6, NULL);
	}
	dst->family = GT_AF_INET;
	return tun_parse_ipv4(h, &dst->addr, NULL);
}

int cmd_send(int argc, char **argv)
{
	struct tun_options o;
	tun_options_default(&o);
	const char *pos[2] = { NULL, NULL };
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		printf("usage: glasstcp send HOST PORT --tun NAME --addr A/LEN [options]\n"
		       "  stdin goes to the connection (then a half-close), the peer's bytes to stdout\n");
		tun_options_usage(stdout);
		return 0;
	}
	struct client *c = calloc(1, sizeof(*c));
	if (!c)
		return 1;
	c->prog = "glasstcp send";
	bool ok = client_args(argc, argv, &o, pos, 2, NULL, c->prog) == 0;
	if (ok) {
		int pr = tun_parse_port(pos[1], &c->dst.port);
		ok = false;
		if (pr == -EINVAL)
			fprintf(stderr, "%s: PORT wants a number, got '%s'\n", c->prog, pos[1]);
		else if (pr < 0)
			fprintf(stderr, "%s: port out of range: '%s' (1-65535)\n", c->prog, pos[1]);
		else if (send_host(pos[0], &c->dst) < 0)
			fprintf(stderr, "%s: HOST wants an IPv4 address A.B.C.D or an IPv6 one, got '%s'\n",
				c->prog, pos[0]);
		else
			ok = true;
	}
	if (!ok) {
		fprintf(stderr, "usage: glasstcp send A.B.C.D PORT --addr A/LEN [options] (--help)\n");
		free(c);
		return 2;
	}
	c->in_fd = 0;
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	tun_rt *rt;
	int rc = 1;
	if (tun_rt_open(&rt, &o, c->prog) == 0) {
		c->rt = rt;
		struct tun_app app = { .step = send_step, .done = client_done, .shutdown = client_shutdown, .ctx = c };
		if (client_run(c, rt, &app, o.limit_us ? o.limit_us : 120000000u) == 0) {
			report(c, &o, rt, "closed", c->error != 0);
			rc = c->error == 0 ? 0 : 1;
		}
		tun_rt_watch(rt, 0, false);
		tun_rt_close(rt);
	}
	free(c);
	return rc;
}
