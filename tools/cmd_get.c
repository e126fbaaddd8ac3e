/* `glasstcp get URL` and `glasstcp send HOST PORT`: clients on a glasstcp
 * stack behind a TUN device, so that glasstcp is tested as the active opener
 * against the kernel's TCP. get: one HTTP/1.1 GET (RFC 9112), the body to
 * stdout or a file. send: stdin to the connection, the connection to stdout,
 * with a half-close (RFC 9293 3.6) when stdin ends. Reports go to stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "runtime/tun/tun.h"
#include "tools/commands.h"

#define IO_BUF_BYTES 65536u
#define RESP_HEAD_MAX_BYTES 16384u

struct client {
	const char *prog;
	int sd;
	struct gt_sockaddr dst;
	bool connected, finished;
	int error;                /* negative errno that ended it */
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
	uint64_t content_len;     /* UINT64_MAX: until close */
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

static int parse_head(struct client *c)
{
	unsigned maj, min;
	int st;
	if (sscanf(c->head, "HTTP/%u.%u %d", &maj, &min, &st) != 3)
		return -EPROTO;
	c->status = st;
	c->content_len = UINT64_MAX;
	for (char *l = strstr(c->head, "\r\n"); l && l[2]; l = strstr(l + 2, "\r\n"))
		if (!strncasecmp(l + 2, "Content-Length:", 15))
			c->content_len = strtoull(l + 17, NULL, 10);
	return 0;
}

/* Body bytes: to the output until Content-Length is reached. */
static int body_bytes(struct client *c, const uint8_t *p, size_t n)
{
	if (c->content_len != UINT64_MAX && c->bytes_in + n > c->content_len)
		n = (size_t)(c->content_len - c->bytes_in);
	int r = write_all(c->out_fd, p, n);
	if (r < 0)
		return r;
	c->bytes_in += n;
	if (c->content_len != UINT64_MAX && c->bytes_in == c->content_len)
		finish(c, 0);
	return 0;
}

static int head_bytes(struct client *c, const uint8_t *p, size_t n)
{
	size_t take = n < RESP_HEAD_MAX_BYTES - c->head_len ? n : RESP_HEAD_MAX_BYTES - c->head_len;
	memcpy(c->head + c->head_len, p, take);
	c->head_len += (uint32_t)take;
	c->head[c->head_len] = 0;
	char *e = strstr(c->head, "\r\n\r\n");
	if (!e)
		return c->head_len == RESP_HEAD_MAX_BYTES ? -EMSGSIZE : 0;
	size_t hl = (size_t)(e + 4 - c->head);
	size_t rest = c->head_len - hl; /* the body's first bytes came with it */
	c->in_body = true;
	int r = parse_head(c);
	if (r < 0)
		return r;
	if (c->content_len == 0) {
		finish(c, 0);
		return 0;
	}
	uint8_t tmp[RESP_HEAD_MAX_BYTES];
	memcpy(tmp, c->head + hl, rest);
	r = rest ? body_bytes(c, tmp, rest) : 0;
	return r < 0 ? r : (take < n ? body_bytes(c, p + take, n - take) : 0);
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
				finish(c, (int)n);
			return;
		}
		c->req_off += (uint32_t)n;
	}
	while (!c->finished) {
		ssize_t n = gt_recv(s, c->sd, c->buf, sizeof(c->buf), 0);
		int r = 0;
		if (n == -EAGAIN)
			return;
		if (n < 0) {
			r = (int)n;
		} else if (n == 0) {
			/* EOF: complete only when no length was promised. */
			r = c->in_body && c->content_len == UINT64_MAX ? 0 : -EPIPE;
			finish(c, r);
			return;
		} else {
			r = c->in_body ? body_bytes(c, c->buf, (size_t)n) : head_bytes(c, c->buf, (size_t)n);
		}
		if (r < 0)
			finish(c, r);
	}
}

static bool client_done(void *ctx, gt_stack *s)
{
	return ((struct client *)ctx)->finished;
}

static void client_shutdown(void *ctx, gt_stack *s)
{
	finish(ctx, -EINTR);
}

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
	snprintf(path, plen, "%s", slash ? slash : "/");
	char ip[256];
	snprintf(ip, sizeof(ip), "%s", host);
	char *colon = strchr(ip, ':');
	dst->port = 80;
	if (colon) {
		char *end;
		unsigned long p = strtoul(colon + 1, &end, 10);
		if (*end || p == 0 || p > 65535)
			return -EINVAL;
		dst->port = (uint16_t)p;
		*colon = 0;
	}
	dst->family = GT_AF_INET;
	return tun_parse_ipv4(ip, &dst->addr, NULL);
}

/* ---- shared: open the runtime, connect, run, report ---- */

static int client_run(struct client *c, tun_rt *rt, const struct tun_app *app, uint64_t limit_us)
{
	gt_stack *s = tun_rt_stack(rt);
	c->t_start_us = tun_now_us();
	c->sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	int r = c->sd < 0 ? c->sd : gt_connect(s, c->sd, &c->dst);
	if (r != -EINPROGRESS && r != 0) {
		fprintf(stderr, "%s: connect: %s\n", c->prog, strerror(-r));
		return -r;
	}
	r = tun_rt_run(rt, app, limit_us);
	if (r == -ETIMEDOUT)
		finish(c, -ETIMEDOUT);
	gt_close(tun_rt_stack(rt), c->sd);
	tun_rt_drain(rt, 2000000); /* let our FIN (or the peer's last ACK) cross */
	return 0;
}

static void report(const struct client *c, const struct tun_options *o, tun_rt *rt, const char *what)
{
	double t = (double)(c->t_done_us - (c->t_connected_us ? c->t_connected_us : c->t_start_us)) / 1e6;
	char a[24];
	snprintf(a, sizeof(a), "%u.%u.%u.%u:%u", c->dst.addr >> 24, (c->dst.addr >> 16) & 255,
		 (c->dst.addr >> 8) & 255, c->dst.addr & 255, c->dst.port);
	if (c->error)
		fprintf(stderr, "%s: %s: %s after %.3f s\n", c->prog, a, strerror(-c->error),
			(double)(c->t_done_us - c->t_start_us) / 1e6);
	else
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
		       "  URL is http://A.B.C.D[:PORT]/PATH (IPv4, no DNS)\n");
		tun_options_usage(stdout);
		return 0;
	}
	struct client *c = calloc(1, sizeof(*c));
	if (!c)
		return 1;
	c->prog = "glasstcp get";
	char path[2048], host[256];
	if (client_args(argc, argv, &o, &url, 1, &out_path, c->prog) < 0 ||
	    parse_url(url, &c->dst, path, sizeof(path), host, sizeof(host)) < 0) {
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
			char what[32];
			snprintf(what, sizeof(what), "HTTP %d", c->status);
			report(c, &o, rt, what);
			rc = c->error == 0 && c->status == 200 ? 0 : 1;
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
	char *end = NULL;
	unsigned long port = 0;
	if (client_args(argc, argv, &o, pos, 2, NULL, c->prog) == 0)
		port = strtoul(pos[1], &end, 10);
	if (!end || *end || port == 0 || port > 65535 || tun_parse_ipv4(pos[0], &c->dst.addr, NULL) < 0) {
		fprintf(stderr, "usage: glasstcp send A.B.C.D PORT --addr A/LEN [options] (--help)\n");
		free(c);
		return 2;
	}
	c->dst.family = GT_AF_INET;
	c->dst.port = (uint16_t)port;
	c->in_fd = 0;
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	tun_rt *rt;
	int rc = 1;
	if (tun_rt_open(&rt, &o, c->prog) == 0) {
		c->rt = rt;
		struct tun_app app = { .step = send_step, .done = client_done, .shutdown = client_shutdown, .ctx = c };
		if (client_run(c, rt, &app, o.limit_us ? o.limit_us : 120000000u) == 0) {
			report(c, &o, rt, "closed");
			rc = c->error == 0 ? 0 : 1;
		}
		tun_rt_watch(rt, 0, false);
		tun_rt_close(rt);
	}
	free(c);
	return rc;
}
