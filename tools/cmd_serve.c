/* `glasstcp serve`: servers on a glasstcp stack behind a TUN device, for
 * real programs to talk to: echo (RFC 862), discard (RFC 863, counting
 * bytes), a small HTTP/1.1 static-file server (RFC 9112: keep-alive,
 * Content-Length, files streamed from disk as the send buffer drains), and
 * two servers that end connections with an RST (SO_LINGER {1,0}; close with
 * unread data). Runs until SIGINT/SIGTERM, then closes and prints counters. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/tun/tun.h"
#include "tools/commands.h"

#define MAX_LISTENERS 8
#define IO_BUF_BYTES 65536u
#define HTTP_REQ_MAX_BYTES 8192u /* request line and headers */
#define EVENT_BATCH 256

enum kind { K_ECHO, K_DISCARD, K_HTTP, K_LINGER0, K_UNREAD };
static const char *const kind_name[] = { "echo", "discard", "http", "linger0", "unread" };

struct listener {
	int sd;
	uint16_t port;
	enum kind kind;
};

struct conn {
	enum kind kind;
	struct gt_sockaddr peer;
	uint64_t bytes_in, bytes_out;
	uint8_t *buf;             /* echo: bytes to send back; http: the request */
	uint32_t off, len;        /* buf[off, len) is pending */
	bool eof;                 /* the peer sent FIN */
	/* HTTP response in progress. */
	bool responding, keep_alive;
	char hdr[256];
	uint32_t hdr_len, hdr_off;
	int file_fd;
	uint64_t file_left;
	uint8_t *chunk;
	uint32_t chunk_off, chunk_len;
	uint32_t requests;
};

struct serve {
	struct listener ls[MAX_LISTENERS];
	int nls;
	const char *http_dir;
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
		"  --http PORT DIR    HTTP/1.1 static files from DIR (GET, HEAD, keep-alive)\n"
		"  --linger0 PORT     read a request, then close with SO_LINGER {1,0}: an RST\n"
		"  --unread PORT      close as soon as data arrives, unread: an RST\n",
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
	if (c->kind == K_DISCARD || c->kind == K_ECHO)
		printf("%s %s closed (%s): %" PRIu64 " bytes in, %" PRIu64 " out\n", kind_name[c->kind],
		       peer_str(&c->peer, p, sizeof(p)), why, c->bytes_in, c->bytes_out);
	if (c->file_fd >= 0)
		close(c->file_fd);
	free(c->buf);
	free(c->chunk);
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
	 * (RFC 1122 4.2.2.13). */
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

static void http_start(struct conn *c, int status, const char *reason, uint64_t len, bool close_after)
{
	c->keep_alive = c->keep_alive && !close_after;
	int n = snprintf(c->hdr, sizeof(c->hdr),
			 "HTTP/1.1 %d %s\r\nServer: glasstcp\r\nContent-Length: %" PRIu64
			 "\r\nContent-Type: %s\r\nConnection: %s\r\n\r\n",
			 status, reason, len, status == 200 ? "application/octet-stream" : "text/plain",
			 c->keep_alive ? "keep-alive" : "close");
	c->hdr_len = (uint32_t)n;
	c->hdr_off = 0;
	c->responding = true;
}

static void http_error(struct conn *c, int status, const char *reason, bool close_after)
{
	http_start(c, status, reason, strlen(reason) + 1, close_after);
	/* The body is the reason and a newline: it fits in the header buffer. */
	int n = snprintf(c->hdr + c->hdr_len, sizeof(c->hdr) - c->hdr_len, "%s\n", reason);
	c->hdr_len += (uint32_t)n;
}

static void http_open_file(struct serve *sv, struct conn *c, const char *target, size_t tlen, bool head)
{
	char path[4096];
	size_t plen = strcspn(target, "?#");
	if (plen > tlen)
		plen = tlen;
	/* No escapes from DIR: a ".." segment or a NUL is refused. */
	bool bad = target[0] != '/' || memchr(target, 0, plen) != NULL;
	for (size_t i = 0; i + 1 < plen && !bad; i++)
		if (target[i] == '.' && target[i + 1] == '.')
			bad = true;
	if (bad || (size_t)snprintf(path, sizeof(path), "%s%.*s", sv->http_dir, (int)plen, target) >= sizeof(path)) {
		http_error(c, 400, "Bad Request", true);
		return;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		http_error(c, 404, "Not Found", false);
		return;
	}
	http_start(c, 200, "OK", (uint64_t)sb.st_size, false);
	if (head || sb.st_size == 0) {
		close(fd);
		return;
	}
	c->file_fd = fd;
	c->file_left = (uint64_t)sb.st_size;
	if (!c->chunk && !(c->chunk = malloc(IO_BUF_BYTES))) {
		close(fd);
		c->file_fd = -1;
		c->file_left = 0;
		http_error(c, 500, "Internal Server Error", true);
	}
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
	char *sp1 = strchr(head, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	char *eol = strstr(head, "\r\n");
	if (!sp1 || !sp2 || sp2 > eol || strncmp(sp2 + 1, "HTTP/1.", 7) != 0) {
		c->keep_alive = false;
		http_error(c, 400, "Bad Request", true);
		return;
	}
	/* RFC 9112 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive". */
	bool v11 = sp2[8] == '1';
	size_t vl;
	const char *conn = header_value(head, "Connection", &vl);
	c->keep_alive = v11;
	if (conn && vl >= 5 && strncasecmp(conn, "close", 5) == 0)
		c->keep_alive = false;
	else if (conn && vl >= 10 && strncasecmp(conn, "keep-alive", 10) == 0)
		c->keep_alive = true;
	const char *cl = header_value(head, "Content-Length", &vl);
	if ((cl && strtoull(cl, NULL, 10) > 0) || header_value(head, "Transfer-Encoding", &vl)) {
		http_error(c, 413, "Content Too Large", true); /* no request bodies here */
		return;
	}
	size_t mlen = (size_t)(sp1 - head);
	bool get = mlen == 3 && !memcmp(head, "GET", 3), headm = mlen == 4 && !memcmp(head, "HEAD", 4);
	if (!get && !headm) {
		http_error(c, 501, "Not Implemented", false);
		return;
	}
	http_open_file(sv, c, sp1 + 1, (size_t)(sp2 - sp1 - 1), headm);
}

/* Sends what the send buffer takes. Returns 1 when the response is done, 0
 * when it waits for room, negative errno on a dead connection. */
static int http_send(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	while (c->hdr_off < c->hdr_len) {
		ssize_t n = gt_send(s, sd, c->hdr + c->hdr_off, c->hdr_len - c->hdr_off,
				    c->file_left ? GT_MSG_MORE : 0);
		if (n < 0)
			return n == -EAGAIN ? 0 : (int)n;
		c->hdr_off += (uint32_t)n;
	}
	while (c->chunk_off < c->chunk_len || c->file_left) {
		if (c->chunk_off == c->chunk_len) {
			size_t want = c->file_left < IO_BUF_BYTES ? (size_t)c->file_left : IO_BUF_BYTES;
			ssize_t r = read(c->file_fd, c->chunk, want);
			if (r <= 0)
				return -EIO; /* the file shrank: the length we promised is a lie */
			c->chunk_off = 0;
			c->chunk_len = (uint32_t)r;
			c->file_left -= (uint64_t)r;
		}
		ssize_t n = gt_send(s, sd, c->chunk + c->chunk_off, c->chunk_len - c->chunk_off, 0);
		if (n < 0)
			return n == -EAGAIN ? 0 : (int)n;
		c->chunk_off += (uint32_t)n;
		c->bytes_out += (uint64_t)n;
		sv->http_bytes += (uint64_t)n;
	}
	if (c->file_fd >= 0) {
		close(c->file_fd);
		c->file_fd = -1;
	}
	c->responding = false;
	return 1;
}

static void http_service(struct serve *sv, gt_stack *s, int sd, struct conn *c)
{
	for (;;) {
		if (c->responding) {
			int r = http_send(sv, s, sd, c);
			if (r < 0) {
				conn_end(sv, s, sd, strerror(-r));
				return;
			}
			if (r == 0)
				return;
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
			c->len = 0;
			http_error(c, 431, "Request Header Fields Too Large", true);
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
	printf("serve: signal: closing %d listeners and every connection\n", sv->nls);
	for (int i = 0; i < sv->nls; i++)
		gt_close(s, sv->ls[i].sd);
	sv->nls = 0;
	for (uint32_t sd = 0; sd < sv->conns_cap; sd++)
		if (sv->conns[sd])
			conn_end(sv, s, (int)sd, "shutdown");
}

static int add_listener(struct serve *sv, gt_stack *s, uint32_t addr, const struct listener *l)
{
	struct gt_sockaddr a = { .family = GT_AF_INET, .port = l->port, .addr = addr };
	int one = 1;
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	int r = sd < 0 ? sd : gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one));
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

static int parse_port(const char *v, uint16_t *out)
{
	char *end;
	unsigned long p = v ? strtoul(v, &end, 10) : 0;
	if (!v || *end || p == 0 || p > 65535)
		return -1;
	*out = (uint16_t)p;
	return 0;
}

static int parse_args(int argc, char **argv, struct tun_options *o, struct listener *ls, int *nls,
		      const char **dir)
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
		if (k < 0 || *nls == MAX_LISTENERS || parse_port(i + 1 < argc ? argv[i + 1] : NULL, &ls[*nls].port) < 0) {
			fprintf(stderr, "glasstcp serve: bad or unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return -1;
		}
		ls[*nls].kind = (enum kind)k;
		(*nls)++;
		i += 2;
		if (k == K_HTTP) {
			if (i >= argc)
				return fprintf(stderr, "glasstcp serve: --http wants PORT DIR\n"), -1;
			*dir = argv[i++];
		}
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
	const char *dir = ".";
	tun_options_default(&o);
	if (parse_args(argc, argv, &o, want, &nwant, &dir) < 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	tun_rt *rt;
	if (tun_rt_open(&rt, &o, "glasstcp serve") < 0)
		return 1;
	struct serve *sv = calloc(1, sizeof(*sv));
	gt_stack *s = tun_rt_stack(rt);
	int r = sv ? 0 : -ENOMEM;
	if (sv)
		sv->http_dir = dir;
	for (int i = 0; i < nwant && r == 0; i++)
		r = add_listener(sv, s, o.addr, &want[i]);
	if (r < 0) {
		free(sv);
		tun_rt_close(rt);
		return 1;
	}
	printf("serve: stack %u.%u.%u.%u/%u on %s, MTU %u%s%s;", o.addr >> 24, (o.addr >> 16) & 255,
	       (o.addr >> 8) & 255, o.addr & 255, o.prefix, o.ifname, o.mtu,
	       !o.offload ? "" : o.no_tso || tun_fault_active(&o.fault) ? ", offload (receive only)" : ", offload",
	       tun_fault_active(&o.fault) ? ", faults on" : "");
	for (int i = 0; i < sv->nls; i++)
		printf(" %s :%u", kind_name[sv->ls[i].kind], sv->ls[i].port);
	printf("\nserve: ready\n");
	struct tun_app app = { .step = serve_step, .shutdown = serve_shutdown, .ctx = sv };
	if (tun_rt_run(rt, &app, o.limit_us) == -ETIMEDOUT) {
		printf("serve: --time-limit reached\n");
		serve_shutdown(sv, s);
		tun_rt_drain(rt, o.grace_us);
	}
	printf("serve: %" PRIu64 " connections accepted, %" PRIu64 " closed, %" PRIu64 " aborted with RST; "
	       "discard %" PRIu64 " bytes, echo %" PRIu64 " bytes, http %" PRIu64 " requests %" PRIu64 " bytes\n",
	       sv->accepted, sv->closed, sv->aborted, sv->discard_bytes, sv->echo_bytes, sv->http_requests,
	       sv->http_bytes);
	if (!o.quiet)
		tun_rt_print_counters(rt, stdout);
	for (uint32_t sd = 0; sd < sv->conns_cap; sd++)
		if (sv->conns[sd])
			conn_end(sv, s, (int)sd, "exit");
	free(sv->conns);
	free(sv);
	tun_rt_close(rt);
	return 0;
}
