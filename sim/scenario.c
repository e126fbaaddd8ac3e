/* The scenario registry and the two-host world the scenarios share (see
 * scenario.h and scenario_internal.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario_internal.h"
#include "viz/ladder.h"

void scen_printf(FILE *out, const char *fmt, ...)
{
	if (!out)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}

double scen_ms(uint64_t us) { return (double)us / 1e3; }

static void world_trace(struct scen_world *w, bool client, const struct gt_trace_event *ev)
{
	if (w->capturing)
		cap_trace(&w->cap, client, ev);
	if (w->on_trace)
		w->on_trace(w->ctx, client, ev);
}

static void client_trace(void *ctx, const struct gt_trace_event *ev) { world_trace(ctx, true, ev); }
static void server_trace(void *ctx, const struct gt_trace_event *ev) { world_trace(ctx, false, ev); }

/* RFC 3849's documentation prefix, as `glasstcp sim --ipv6` uses. */
const struct gt_in6_addr scen_client_addr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
const struct gt_in6_addr scen_server_addr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

int scen_add_ipv6(gt_sim *sim, int ch, int sh)
{
	int e = gt_sim_add_ipv6(sim, ch, &scen_client_addr6, 64);
	return e < 0 ? e : gt_sim_add_ipv6(sim, sh, &scen_server_addr6, 64);
}

void scen_count_pkts(struct scen_result *res, gt_stack *client, gt_stack *server)
{
	gt_stack *st[2] = {client, server};
	for (int i = 0; i < 2; i++) {
		const struct gt_stats *s = gt_stack_stats(st[i]);
		res->ip_pkts[0] += s->IpOutRequests;
		res->ip_pkts[1] += s->Ip6OutRequests;
	}
}

int scen_socket(const struct scen_world *w, gt_stack *s)
{
	return gt_socket(s, w->res->ipv6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM);
}

struct gt_sockaddr scen_server(const struct scen_world *w)
{
	if (!w->res->ipv6)
		return (struct gt_sockaddr){.family = GT_AF_INET, .port = SCEN_PORT,
					    .addr = SCEN_SERVER_ADDR};
	struct gt_sockaddr sa = {.family = GT_AF_INET6, .port = SCEN_PORT};
	sa.addr6 = scen_server_addr6;
	return sa;
}

int scen_world_init(struct scen_world *w, struct scen_result *res, uint64_t seed,
		    const struct gt_config *ccfg, const struct gt_config *scfg,
		    const struct gt_link_config *link, bool capture)
{
	memset(w, 0, sizeof(*w));
	w->res = res;
	w->sim = gt_sim_new(seed);
	if (!w->sim)
		return -ENOMEM;
	gt_sim_set_default_link(w->sim, link);
	uint16_t mtu = link->mtu ? (uint16_t)link->mtu : 1500;
	w->ch = gt_sim_add_stack(w->sim, ccfg, SCEN_CLIENT_ADDR, 24, mtu, &w->client);
	if (w->ch < 0)
		return w->ch;
	w->sh = gt_sim_add_stack(w->sim, scfg, SCEN_SERVER_ADDR, 24, mtu, &w->server);
	if (w->sh < 0)
		return w->sh;
	if (res->ipv6) {
		int e = scen_add_ipv6(w->sim, w->ch, w->sh);
		if (e < 0)
			return e;
	}
	w->capturing = capture;
	if (capture) {
		cap_init(&w->cap, w->ch, SCEN_CLIENT_ADDR, w->sh, SCEN_SERVER_ADDR);
		gt_sim_set_tap(w->sim, cap_tap, &w->cap);
	}
	gt_stack_set_trace(w->client, client_trace, w);
	gt_stack_set_trace(w->server, server_trace, w);
	return 0;
}

void scen_world_free(struct scen_world *w)
{
	if (w->res && w->client && w->server)
		scen_count_pkts(w->res, w->client, w->server);
	if (w->capturing)
		cap_free(&w->cap);
	if (w->sim)
		gt_sim_free(w->sim);
	memset(w, 0, sizeof(*w));
}

void scen_world_sync(struct scen_world *w)
{
	uint64_t now = gt_sim_now(w->sim);
	gt_stack_poll(w->client, now);
	gt_stack_poll(w->server, now);
}

void scen_world_sync_quiet(struct scen_world *w)
{
	scen_world_sync(w);
	struct gt_event ev[16];
	while (gt_events(w->server, ev, 16) > 0) {
	}
	while (gt_events(w->client, ev, 16) > 0) {
	}
}

void scen_ladder(FILE *out, struct scen_world *w, uint16_t cport, const char *title)
{
	if (!out || !w->capturing)
		return;
	struct ladder_opts lo = {.cport = cport, .from_us = 0, .to_us = UINT64_MAX,
				 .compress = true, .max_pkts = LADDER_MAX_PKTS_DEFAULT,
				 .title = title};
	ladder_text(out, &w->cap, &lo);
}

int scen_listen(const struct scen_world *w, int rcvbuf_bytes)
{
	gt_stack *s = w->server;
	int sd = scen_socket(w, s);
	if (sd < 0)
		return sd;
	int r = 0;
	if (rcvbuf_bytes > 0)
		r = gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &rcvbuf_bytes,
				  sizeof(rcvbuf_bytes));
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = SCEN_PORT, .addr = 0};
	if (w->res->ipv6)
		a = (struct gt_sockaddr){.family = GT_AF_INET6, .port = SCEN_PORT}; /* [::]:80 */
	if (r == 0)
		r = gt_bind(s, sd, &a);
	if (r == 0)
		r = gt_listen(s, sd, 4096);
	return r < 0 ? r : sd;
}

bool scen_run_loop(struct scen_world *w, bool (*step)(void *ctx),
		   uint64_t (*wake_us)(void *ctx), void *ctx, uint64_t limit_us)
{
	for (;;) {
		if (step(ctx))
			return true;
		uint64_t now = gt_sim_now(w->sim);
		if (now >= limit_us)
			return false;
		uint64_t t = wake_us ? wake_us(ctx) : UINT64_MAX;
		if (t <= now)
			t = now + 1;
		if (t > limit_us)
			t = limit_us;
		if (gt_sim_run_while_not(w->sim, step, ctx, t))
			return true;
		if (gt_sim_now(w->sim) < t) {
			/* Nothing at all was due: the application's own timer is next. */
			if (t == limit_us && !wake_us)
				return false;
			gt_sim_run_until(w->sim, t);
		}
	}
}

static const struct {
	const char *name, *what;
} scenarios[] = {
	{"time-wait-server-close", "10,000 short exchanges, the server closes first: TIME_WAIT piles up on the server"},
	{"time-wait-client-close", "the same 10,000 exchanges, the client closes first: TIME_WAIT moves to the client"},
	{"port-exhaustion", "short connections to one server port until ephemeral ports run out; with and without tw_reuse"},
	{"linger-abort", "graceful close against SO_LINGER {1,0}: segments, TIME_WAIT, the peer's read, lost data"},
	{"nagle-delayed-ack", "write-write-read requests: the Nagle/delayed-ACK stall, TCP_NODELAY, one write, TCP_CORK, MSG_MORE"},
	{"small-buffers", "throughput over a 100 ms RTT link as SO_RCVBUF grows, against window/RTT"},
	{"lost-final-ack", "the last ACK is lost: the FIN is retransmitted and TIME_WAIT answers it"},
};

size_t scen_count(void) { return sizeof(scenarios) / sizeof(scenarios[0]); }

const char *scen_name(size_t i) { return i < scen_count() ? scenarios[i].name : NULL; }

void scen_list(FILE *f)
{
	fprintf(f, "scenarios (glasstcp sim --scenario NAME [--seed N]):\n");
	for (size_t i = 0; i < scen_count(); i++)
		fprintf(f, "  %-24s %s\n", scenarios[i].name, scenarios[i].what);
}

int scen_run(const char *name, uint64_t seed, FILE *out, struct scen_result *r)
{
	return scen_run_family(name, seed, false, out, r);
}

int scen_run_family(const char *name, uint64_t seed, bool ipv6, FILE *out, struct scen_result *r)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->ipv6 = ipv6;
	if (ipv6)
		scen_printf(out, "(over IPv6: client 2001:db8::1, server [2001:db8::2]:%u, AF_INET6 sockets)\n\n",
			    SCEN_PORT);
	if (!strcmp(name, "time-wait-server-close"))
		return scen_time_wait(seed, out, true, r);
	if (!strcmp(name, "time-wait-client-close"))
		return scen_time_wait(seed, out, false, r);
	if (!strcmp(name, "port-exhaustion"))
		return scen_port_exhaustion(seed, out, r);
	if (!strcmp(name, "linger-abort"))
		return scen_linger_abort(seed, out, r);
	if (!strcmp(name, "nagle-delayed-ack"))
		return scen_nagle(seed, out, r);
	if (!strcmp(name, "small-buffers"))
		return scen_small_buffers(seed, out, r);
	if (!strcmp(name, "lost-final-ack"))
		return scen_lost_final_ack(seed, out, r);
	return -ENOENT;
}
