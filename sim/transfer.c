/* The bulk-transfer workload (see transfer.h). It is an application on the
 * socket API: it reacts to the stacks' event queues after every simulator
 * event, and learns states from trace events. */
#include "sim/transfer.h"
#include "wire/tcp_wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The eight bytes of connection c's stream from offset 8 * word on. */
static uint64_t pattern_word(uint32_t c, uint64_t word)
{
	/* A keyed mix of connection and offset: a byte in the wrong place or
	 * from the wrong connection is caught. */
	uint64_t z = word * 0x9e3779b97f4a7c15ull ^ ((uint64_t)c << 48);
	z ^= z >> 31;
	z *= 0xbf58476d1ce4e5b9ull;
	z ^= z >> 29;
	return z;
}

uint8_t xfer_pattern(uint32_t c, uint64_t i)
{
	return (uint8_t)(pattern_word(c, i >> 3) >> ((i & 7) * 8));
}

void xfer_pattern_fill(uint32_t c, uint64_t off, uint8_t *out, size_t n)
{
	size_t k = 0;
	if (n && (off & 7)) { /* the head, up to a word boundary of the stream */
		uint64_t z = pattern_word(c, off >> 3);
		for (unsigned b = (unsigned)(off & 7); b < 8 && k < n; b++, k++)
			out[k] = (uint8_t)(z >> (b * 8));
	}
	/* Whole words: one hash per eight bytes, stored least significant
	 * byte first (one store where the compiler sees a little-endian host). */
	for (; n - k >= 8; k += 8) {
		uint64_t z = pattern_word(c, (off + k) >> 3);
		for (unsigned b = 0; b < 8; b++)
			out[k + b] = (uint8_t)(z >> (b * 8));
	}
	if (k < n) { /* the tail */
		uint64_t z = pattern_word(c, (off + k) >> 3);
		for (unsigned b = 0; k < n; b++, k++)
			out[k] = (uint8_t)(z >> (b * 8));
	}
}

static struct xfer_conn *by_client_port(struct xfer *x, uint16_t port)
{
	for (uint32_t i = 0; i < x->cfg.conns; i++)
		if (x->conns[i].cport == port)
			return &x->conns[i];
	return NULL;
}

static void log_state(struct xfer_state_log *l, uint8_t st, uint64_t at)
{
	if (l->n < XFER_MAX_STATES) {
		l->state[l->n] = st;
		l->at_us[l->n] = at;
		l->n++;
	}
}

static void print_trace(FILE *f, bool client, const struct gt_trace_event *ev)
{
	const char *who = client ? "client" : "server";
	double t = (double)ev->now_us / 1e6;
	char fl[12];
	switch (ev->type) {
	case GT_TRACE_STATE:
		fprintf(f, "%10.6f %s :%u state %s -> %s (%s)\n", t, who, ev->lport,
			gt_tcp_state_name(ev->a), gt_tcp_state_name(ev->b), ev->reason ? ev->reason : "");
		break;
	case GT_TRACE_SEG_IN:
	case GT_TRACE_SEG_OUT:
		fprintf(f, "%10.6f %s :%u %s %-3s seq %u ack %u len %u win %u%s\n", t, who, ev->lport,
			ev->type == GT_TRACE_SEG_IN ? "in " : "out", tcp_flags_str(ev->flags, fl),
			ev->seq, ev->ack, ev->len, ev->wnd,
			ev->type == GT_TRACE_SEG_OUT && ev->b ? " (retransmission)" : "");
		break;
	case GT_TRACE_RTO:
		fprintf(f, "%10.6f %s :%u RTO fired, backoff %u, rto %u us\n", t, who, ev->lport,
			ev->a, ev->b);
		break;
	case GT_TRACE_FAST_RETRANS:
		fprintf(f, "%10.6f %s :%u fast retransmit of seq %u\n", t, who, ev->lport, ev->seq);
		break;
	case GT_TRACE_TIMER_ARM:
		fprintf(f, "%10.6f %s :%u timer %s armed, %u us\n", t, who, ev->lport,
			gt_trace_timer_name(ev->a), ev->b);
		break;
	case GT_TRACE_TIMER_FIRE:
		fprintf(f, "%10.6f %s :%u timer %s fired\n", t, who, ev->lport,
			gt_trace_timer_name(ev->a));
		break;
	case GT_TRACE_WINDOW:
		fprintf(f, "%10.6f %s :%u peer window %u -> %u\n", t, who, ev->lport, ev->a, ev->b);
		break;
	case GT_TRACE_CWND:
		fprintf(f, "%10.6f %s :%u cwnd %u ssthresh %u flight %u (%s)\n", t, who, ev->lport,
			ev->a, ev->b, ev->c, ev->reason ? ev->reason : "");
		break;
	case GT_TRACE_RTT:
		fprintf(f, "%10.6f %s :%u rtt sample %u us, srtt %u us, rto %u us\n", t, who,
			ev->lport, ev->a, ev->b, ev->c);
		break;
	}
}

static void on_trace(struct xfer *x, bool client, const struct gt_trace_event *ev)
{
	if (x->cfg.trace_file)
		print_trace(x->cfg.trace_file, client, ev);
	if (x->cfg.on_trace)
		x->cfg.on_trace(x->cfg.on_trace_ctx, client, ev);
	struct xfer_conn *c = by_client_port(x, client ? ev->lport : ev->fport);
	if (!c)
		return;
	switch (ev->type) {
	case GT_TRACE_STATE:
		if (client && c->client.n == 0)
			log_state(&c->client, (uint8_t)ev->a, ev->now_us);
		if (!client && c->server.n == 0)
			log_state(&c->server, (uint8_t)ev->a, ev->now_us);
		log_state(client ? &c->client : &c->server, (uint8_t)ev->b, ev->now_us);
		if (ev->b == GT_TCP_ESTABLISHED && client)
			c->t_established_us = ev->now_us;
		if (ev->b == GT_TCP_TIME_WAIT) {
			c->tw_holder = client ? 0 : 1;
			c->t_tw_enter_us = ev->now_us;
		}
		if (ev->a == GT_TCP_TIME_WAIT)
			c->t_tw_exit_us = ev->now_us;
		/* A connection in TIME_WAIT has finished its work. */
		if (ev->b == GT_TCP_CLOSED || ev->b == GT_TCP_TIME_WAIT) {
			if (client)
				c->client_gone = true;
			else
				c->server_gone = true;
		}
		break;
	case GT_TRACE_SEG_OUT:
		if (ev->b) {
			if (client)
				c->client_retrans++;
			else
				c->server_retrans++;
		}
		break;
	case GT_TRACE_RTO:
		if (client)
			c->client_rtos++;
		break;
	case GT_TRACE_FAST_RETRANS:
		/* Counted to the end like the two above: the TCP_INFO snapshot
		 * taken at close() misses recoveries while the tail drains. */
		if (client)
			c->client_fast_retrans++;
		break;
	default:
		break;
	}
}


static void client_trace(void *ctx, const struct gt_trace_event *ev) { on_trace(ctx, true, ev); }
static void server_trace(void *ctx, const struct gt_trace_event *ev) { on_trace(ctx, false, ev); }

int xfer_init(struct xfer *x, const struct xfer_config *cfg, gt_sim *sim,
	      gt_stack *client, int client_host, uint32_t client_addr,
	      gt_stack *server, int server_host, uint32_t server_addr)
{
	memset(x, 0, sizeof(*x));
	x->cfg = *cfg;
	if (!x->cfg.chunk_bytes)
		x->cfg.chunk_bytes = 16384;
	if (!x->cfg.conns || !x->cfg.port)
		return -EINVAL;
	x->sim = sim;
	x->client = client;
	x->server = server;
	x->client_host = client_host;
	x->server_host = server_host;
	x->client_addr = client_addr;
	x->server_addr = server_addr;
	x->conns = calloc(x->cfg.conns, sizeof(*x->conns));
	x->scratch_len = x->cfg.chunk_bytes > 65536 ? x->cfg.chunk_bytes : 65536;
	x->scratch = malloc(x->scratch_len);
	x->expect = malloc(x->scratch_len);
	if (!x->conns || !x->scratch || !x->expect)
		return -ENOMEM;
	gt_stack_set_trace(client, client_trace, x);
	gt_stack_set_trace(server, server_trace, x);
	bool any6 = x->cfg.family != XFER_IPV4;
	x->listen_sd = gt_socket(server, any6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM);
	if (x->listen_sd < 0)
		return x->listen_sd;
	struct gt_sockaddr la = {.family = GT_AF_INET, .port = x->cfg.port, .addr = 0};
	int r = 0;
	if (any6) {
		la = (struct gt_sockaddr){.family = GT_AF_INET6, .port = x->cfg.port};
		int off = 0;
		r = gt_setsockopt(server, x->listen_sd, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &off,
				  sizeof(off));
	}
	if (r == 0)
		r = gt_bind(server, x->listen_sd, &la);
	if (r == 0)
		r = gt_listen(server, x->listen_sd, (int)(x->cfg.conns < 4096 ? x->cfg.conns : 4096));
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < x->cfg.conns; i++) {
		struct xfer_conn *c = &x->conns[i];
		c->csd = c->ssd = -1;
		c->tw_holder = -1;
		c->bad_offset = UINT64_MAX;
		c->v6 = x->cfg.family == XFER_IPV6 || (x->cfg.family == XFER_MIXED && i % 2 == 1);
	}
	return 0;
}

static void start_connections(struct xfer *x)
{
	uint64_t now = gt_sim_now(x->sim);
	for (uint32_t i = 0; i < x->cfg.conns; i++) {
		struct xfer_conn *c = &x->conns[i];
		c->csd = gt_socket(x->client, c->v6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM);
		struct gt_sockaddr sa = {.family = GT_AF_INET,
					 .port = x->cfg.port,
					 .addr = x->server_addr};
		if (c->v6) {
			sa = (struct gt_sockaddr){.family = GT_AF_INET6, .port = x->cfg.port};
			sa.addr6 = x->cfg.server_addr6;
		}
		int r = c->csd < 0 ? c->csd : gt_connect(x->client, c->csd, &sa);
		if (r != -EINPROGRESS) {
			c->error = r;
			continue;
		}
		struct gt_sockaddr me;
		gt_getsockname(x->client, c->csd, &me);
		c->cport = me.port;
		c->t_connect_us = now;
		/* connect() moved it to SYN_SENT before its port was known here. */
		log_state(&c->client, GT_TCP_CLOSED, now);
		log_state(&c->client, GT_TCP_SYN_SENT, now);
	}
}

static struct xfer_conn *by_sd(struct xfer *x, int sd, bool client)
{
	for (uint32_t i = 0; i < x->cfg.conns; i++) {
		struct xfer_conn *c = &x->conns[i];
		if ((client ? c->csd : c->ssd) == sd)
			return c;
	}
	return NULL;
}

static void client_write(struct xfer *x, struct xfer_conn *c)
{
	uint32_t idx = (uint32_t)(c - x->conns);
	while (c->sent < x->cfg.bytes) {
		uint64_t left = x->cfg.bytes - c->sent;
		uint32_t n = left < x->cfg.chunk_bytes ? (uint32_t)left : x->cfg.chunk_bytes;
		xfer_pattern_fill(idx, c->sent, x->scratch, n);
		ssize_t w = gt_send(x->client, c->csd, x->scratch, n, 0);
		if (w == -EAGAIN)
			return;
		if (w < 0) {
			if (!c->error)
				c->error = (int)w;
			return;
		}
		c->sent += (uint64_t)w;
	}
	if (!c->client_closed) {
		size_t len = sizeof(c->client_info);
		gt_getsockopt(x->client, c->csd, GT_IPPROTO_TCP, GT_TCP_INFO, &c->client_info, &len);
		gt_close(x->client, c->csd);
		c->client_closed = true;
		c->csd = -1;
	}
}

static void server_read(struct xfer *x, struct xfer_conn *c)
{
	uint32_t idx = (uint32_t)(c - x->conns);
	for (;;) {
		ssize_t r = gt_recv(x->server, c->ssd, x->scratch, x->scratch_len, 0);
		if (r == -EAGAIN)
			return;
		if (r < 0) {
			if (!c->error)
				c->error = (int)r;
			gt_close(x->server, c->ssd);
			c->ssd = -1;
			c->server_closed = true;
			return;
		}
		if (r == 0) {
			c->eof = true;
			c->t_received_us = gt_sim_now(x->sim);
			gt_close(x->server, c->ssd);
			c->ssd = -1;
			c->server_closed = true;
			return;
		}
		if (c->bad_offset == UINT64_MAX) {
			/* Against the stream's own bytes, generated; byte by byte
			 * only to find the first that differs. */
			xfer_pattern_fill(idx, c->received, x->expect, (size_t)r);
			if (memcmp(x->scratch, x->expect, (size_t)r) != 0)
				for (ssize_t k = 0; k < r; k++)
					if (x->scratch[k] != x->expect[k]) {
						c->bad_offset = c->received + (uint64_t)k;
						break;
					}
		}
		c->received += (uint64_t)r;
	}
}

static void server_accept(struct xfer *x)
{
	for (;;) {
		struct gt_sockaddr peer;
		int sd = gt_accept(x->server, x->listen_sd, &peer);
		if (sd == -ECONNABORTED)
			continue; /* FreeBSD: a child reset in the queue */
		if (sd < 0)
			return;
		struct xfer_conn *c = by_client_port(x, peer.port);
		if (!c) {
			gt_close(x->server, sd);
			continue;
		}
		c->ssd = sd;
		server_read(x, c);
	}
}

/* After every simulator event: bring the stacks' clocks to now, then act on
 * their events, as an application on a real event loop would. */
static bool step_app(void *ctx)
{
	struct xfer *x = ctx;
	uint64_t now = gt_sim_now(x->sim);
	gt_stack_poll(x->client, now);
	gt_stack_poll(x->server, now);
	struct gt_event ev[64];
	size_t n;
	while ((n = gt_events(x->server, ev, 64)) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (ev[i].sd == x->listen_sd) {
				server_accept(x);
				continue;
			}
			struct xfer_conn *c = by_sd(x, ev[i].sd, false);
			if (c)
				server_read(x, c);
		}
	}
	while ((n = gt_events(x->client, ev, 64)) > 0) {
		for (size_t i = 0; i < n; i++) {
			struct xfer_conn *c = by_sd(x, ev[i].sd, true);
			if (c && (ev[i].revents & GT_POLLOUT))
				client_write(x, c);
			else if (c && (ev[i].revents & GT_POLLERR)) {
				int err = 0;
				size_t len = sizeof(err);
				gt_getsockopt(x->client, c->csd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len);
				if (!c->error && err)
					c->error = -err;
			}
		}
	}
	bool all = true;
	for (uint32_t i = 0; i < x->cfg.conns && all; i++) {
		const struct xfer_conn *c = &x->conns[i];
		bool finished = c->client_closed && c->server_closed && c->client_gone && c->server_gone;
		if (c->error && c->csd < 0 && c->ssd < 0)
			finished = true;
		if (x->cfg.wait_time_wait && c->tw_holder >= 0 && !c->t_tw_exit_us)
			finished = false;
		all = finished;
	}
	return all;
}

bool xfer_run(struct xfer *x)
{
	start_connections(x);
	step_app(x);
	gt_sim_run_while_not(x->sim, step_app, x, x->cfg.limit_us);
	bool ok = true;
	for (uint32_t i = 0; i < x->cfg.conns; i++)
		ok &= xfer_conn_ok(x, i);
	return ok;
}

bool xfer_conn_ok(const struct xfer *x, uint32_t i)
{
	const struct xfer_conn *c = &x->conns[i];
	return !c->error && c->bad_offset == UINT64_MAX && c->sent == x->cfg.bytes &&
	       c->received == x->cfg.bytes && c->eof && c->client_gone && c->server_gone;
}

void xfer_free(struct xfer *x)
{
	free(x->conns);
	free(x->scratch);
	free(x->expect);
	x->conns = NULL;
	x->scratch = NULL;
	x->expect = NULL;
}
