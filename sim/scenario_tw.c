/* TIME_WAIT scenarios: who holds it when many short connections close
 * (RFC 9293 3.6: the side that closes first), what the table costs, running
 * out of ephemeral ports (RFC 6056) with and without timestamp-based reuse
 * (RFC 6191), and a lost final ACK answered from TIME_WAIT (RFC 9293
 * 3.10.7.4). Driven by a request/response workload on the socket API. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario_internal.h"

#define RR_MAX_SD 65536
#define RR_REQ_BYTES 100
#define RR_RESP_BYTES 1000

enum { RR_IDLE = 0, RR_CONNECTING, RR_WAITING, RR_DONE };

struct rr_sock {
	uint8_t phase;
	uint32_t bytes;              /* request (server) or response (client) bytes read */
};

struct rr {
	struct scen_world *w;
	uint32_t total, concurrency;
	uint64_t pace_us, next_start_us;
	bool server_closes_first, stop_on_error;
	int listen_sd;
	uint32_t started, active, done, failed;
	uint32_t srv_open;           /* accepted server sockets not yet closed */
	int first_error;
	uint64_t first_error_us;
	uint32_t ok_before_error;
	uint64_t last_done_us;
	struct rr_sock *cs, *ss;     /* indexed by descriptor */
	uint8_t buf[4096];
};

static void rr_client_finish(struct rr *x, int sd, bool ok)
{
	gt_close(x->w->client, sd);
	x->cs[sd].phase = RR_IDLE;
	x->active--;
	if (ok) {
		x->done++;
		if (!x->first_error)
			x->ok_before_error = x->done;
	} else {
		x->failed++;
	}
	x->last_done_us = gt_sim_now(x->w->sim);
}

static void rr_start(struct rr *x)
{
	gt_stack *c = x->w->client;
	int sd = scen_socket(x->w, c);
	x->started++;
	struct gt_sockaddr sa = scen_server(x->w);
	int r = sd < 0 ? sd : gt_connect(c, sd, &sa);
	if (r != -EINPROGRESS) {
		if (sd >= 0)
			gt_close(c, sd);
		x->failed++;
		if (!x->first_error) {
			x->first_error = r;
			x->first_error_us = gt_sim_now(x->w->sim);
		}
		return;
	}
	if (sd >= RR_MAX_SD) {
		gt_close(c, sd);
		x->failed++;
		return;
	}
	x->cs[sd] = (struct rr_sock){.phase = RR_CONNECTING};
	x->active++;
}

static void rr_client_event(struct rr *x, int sd, uint32_t revents)
{
	gt_stack *c = x->w->client;
	struct rr_sock *k = &x->cs[sd];
	if (k->phase == RR_IDLE || k->phase == RR_DONE)
		return;
	if (k->phase == RR_CONNECTING && (revents & GT_POLLOUT)) {
		memset(x->buf, 'q', RR_REQ_BYTES);
		if (gt_send(c, sd, x->buf, RR_REQ_BYTES, 0) != RR_REQ_BYTES) {
			rr_client_finish(x, sd, false);
			return;
		}
		k->phase = RR_WAITING;
	} else if (k->phase == RR_CONNECTING && (revents & (GT_POLLERR | GT_POLLHUP))) {
		rr_client_finish(x, sd, false);
		return;
	}
	if (k->phase != RR_WAITING)
		return;
	for (;;) {
		ssize_t n = gt_recv(c, sd, x->buf, sizeof(x->buf), 0);
		if (n == -EAGAIN)
			return;
		if (n < 0) {
			rr_client_finish(x, sd, false);
			return;
		}
		if (n == 0) {
			/* The server closed first: its FIN follows the answer. */
			rr_client_finish(x, sd, k->bytes == RR_RESP_BYTES);
			return;
		}
		k->bytes += (uint32_t)n;
		if (k->bytes == RR_RESP_BYTES && !x->server_closes_first) {
			rr_client_finish(x, sd, true); /* the client closes first */
			return;
		}
	}
}

static void rr_server_event(struct rr *x, int sd)
{
	gt_stack *s = x->w->server;
	struct rr_sock *k = &x->ss[sd];
	if (k->phase != RR_WAITING)
		return;
	for (;;) {
		ssize_t n = gt_recv(s, sd, x->buf, sizeof(x->buf), 0);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			gt_close(s, sd); /* EOF after the answer (or an error) */
			k->phase = RR_IDLE;
			x->srv_open--;
			return;
		}
		bool had = k->bytes >= RR_REQ_BYTES;
		k->bytes += (uint32_t)n;
		if (!had && k->bytes >= RR_REQ_BYTES) {
			memset(x->buf, 'a', RR_RESP_BYTES);
			gt_send(s, sd, x->buf, RR_RESP_BYTES, 0);
			if (x->server_closes_first) {
				gt_close(s, sd);
				k->phase = RR_IDLE;
				x->srv_open--;
				return;
			}
		}
	}
}

static void rr_accept(struct rr *x)
{
	for (;;) {
		int sd = gt_accept(x->w->server, x->listen_sd, NULL);
		if (sd < 0)
			return;
		if (sd >= RR_MAX_SD) {
			gt_close(x->w->server, sd);
			continue;
		}
		x->ss[sd] = (struct rr_sock){.phase = RR_WAITING};
		x->srv_open++;
		rr_server_event(x, sd);
	}
}

static bool rr_step(void *ctx)
{
	struct rr *x = ctx;
	scen_world_sync(x->w);
	struct gt_event ev[128];
	size_t n;
	while ((n = gt_events(x->w->server, ev, 128)) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (ev[i].sd == x->listen_sd)
				rr_accept(x);
			else if (ev[i].sd < RR_MAX_SD)
				rr_server_event(x, ev[i].sd);
		}
	}
	while ((n = gt_events(x->w->client, ev, 128)) > 0) {
		for (size_t i = 0; i < n; i++)
			if (ev[i].sd < RR_MAX_SD)
				rr_client_event(x, ev[i].sd, ev[i].revents);
	}
	uint64_t now = gt_sim_now(x->w->sim);
	while (x->started < x->total && x->active < x->concurrency &&
	       !(x->stop_on_error && x->first_error) && (!x->pace_us || now >= x->next_start_us)) {
		rr_start(x);
		x->next_start_us = now + x->pace_us;
	}
	bool stopped = x->started == x->total || (x->stop_on_error && x->first_error);
	return stopped && x->active == 0 && x->srv_open == 0;
}

static uint64_t rr_wake(void *ctx)
{
	struct rr *x = ctx;
	if (x->started == x->total || !x->pace_us)
		return UINT64_MAX;
	return x->next_start_us;
}

static void rr_free(struct rr *x)
{
	free(x->cs);
	free(x->ss);
}

/* The world (client and server stacks on one link) and the driver over it,
 * the server listening; on failure both are freed and the error returned. */
static int rr_world_init(struct rr *x, struct scen_world *w, struct scen_result *res,
			 uint64_t seed, const struct gt_config *ccfg,
			 const struct gt_config *scfg, const struct gt_link_config *lc)
{
	memset(x, 0, sizeof(*x));
	int err = scen_world_init(w, res, seed, ccfg, scfg, lc, false);
	if (!err) {
		x->w = w;
		x->cs = calloc(RR_MAX_SD, sizeof(*x->cs));
		x->ss = calloc(RR_MAX_SD, sizeof(*x->ss));
		if (!x->cs || !x->ss)
			err = -ENOMEM;
		else if ((x->listen_sd = scen_listen(w, 0)) < 0)
			err = x->listen_sd;
	}
	if (err) {
		rr_free(x);
		scen_world_free(w);
	}
	return err;
}

static void lan_link(struct gt_link_config *lc)
{
	gt_link_config_default(lc);
	lc->delay_us = 1000;
	lc->bandwidth_bps = 1000000000ull;
	lc->queue_limit_pkts = 10000;
}

/* ---- time-wait-server-close / time-wait-client-close ---- */

static void print_tw_explain(FILE *out, bool server_first)
{
	scen_printf(out,
		"glasstcp sim --scenario time-wait-%s-close\n\n"
		"RFC 9293 3.6: the side that sends the first FIN (the active closer) ends in\n"
		"TIME_WAIT for 2*MSL; the passive closer goes LAST_ACK -> CLOSED and keeps\n"
		"nothing. A client sends a 100-byte request, the server answers 1,000 bytes, then\n"
		"%s closes first. 10,000 such exchanges, 500 at a time.\n\n",
		server_first ? "server" : "client",
		server_first ? "the SERVER (HTTP/1.0 style, or a server timing out idle keep-alives)"
			     : "the CLIENT (it got its answer and hangs up)");
}

int scen_time_wait(uint64_t seed, FILE *out, bool server_first, struct scen_result *res)
{
	struct scen_tw_result *r = &res->tw;
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_link_config lc;
	lan_link(&lc);
	struct scen_world w;
	struct rr x;
	int err = rr_world_init(&x, &w, res, seed, &cfg, &cfg, &lc);
	if (err)
		return err;
	x.total = 10000;
	x.concurrency = 500;
	struct gt_gauges g0[2];
	gt_stack_gauges(w.client, &g0[0]);
	gt_stack_gauges(w.server, &g0[1]);
	x.server_closes_first = server_first;
	print_tw_explain(out, server_first);
	scen_printf(out, "setup: Linux profile both sides, MSL %u s (TIME_WAIT %u s), link 1 ms each way, 1 Gbit/s, seed %llu\n",
		    cfg.msl_ms / 1000, 2 * cfg.msl_ms / 1000, (unsigned long long)seed);
	scen_run_loop(&w, rr_step, rr_wake, &x, 600000000ull);
	r->conns = x.total;
	r->conns_ok = x.done;
	r->failed = x.failed;
	r->server_closes_first = server_first;
	r->work_done_us = x.last_done_us;
	/* Let the last FINs and ACKs land, then read the table at its peak. */
	gt_sim_run_until(w.sim, gt_sim_now(w.sim) + 100000);
	gt_stack *st[2] = {w.client, w.server};
	struct gt_gauges g[2];
	for (int i = 0; i < 2; i++) {
		gt_stack_gauges(st[i], &g[i]);
		r->tw_peak[i] = g[i].timewait_peak;
		r->tw_bytes[i] = g[i].timewait_bytes;
		r->tw_bytes_empty[i] = g0[i].timewait_bytes;
		r->conns_peak[i] = g[i].conns_peak;
		r->tw_entered[i] = gt_stack_stats(st[i])->TW;
	}
	/* Then let 2MSL pass: every entry expires by itself. */
	gt_sim_run_until(w.sim, gt_sim_now(w.sim) + 2ull * cfg.msl_ms * 1000 + 1000000);
	for (int i = 0; i < 2; i++)
		r->tw_expired[i] = gt_stack_stats(st[i])->TWExpired;
	r->end_us = gt_sim_now(w.sim);
	scen_printf(out, "exchanges: %u of %u completed (%u failed); the last ended at %.3f s of virtual time\n\n",
		    r->conns_ok, r->conns, r->failed, (double)r->work_done_us / 1e6);
	scen_printf(out, "          TIME_WAIT   peak      table bytes   empty      bytes per entry   expired      full connections\n"
			 "            entered   entries   at peak       table      (empty apart)     after 2MSL   at the peak\n");
	const char *who[2] = {"client", "server"};
	for (int i = 0; i < 2; i++)
		scen_printf(out, "  %-6s %11llu %9u %13llu %10llu %17.1f %12llu %13u\n", who[i],
			    (unsigned long long)r->tw_entered[i], r->tw_peak[i],
			    (unsigned long long)r->tw_bytes[i],
			    (unsigned long long)r->tw_bytes_empty[i],
			    r->tw_peak[i] ? (double)(r->tw_bytes[i] - r->tw_bytes_empty[i]) / r->tw_peak[i] : 0.0,
			    (unsigned long long)r->tw_expired[i], r->conns_peak[i]);
	int holder = r->tw_peak[1] > r->tw_peak[0];
	scen_printf(out,
		"\nTIME_WAIT accumulates on the %s, the side that closed first: %u entries at the peak,\n"
		"%llu bytes of table. An entry keeps only the 4-tuple, SND.NXT, RCV.NXT, the\n"
		"timestamp state, the window and a deadline; the ring and its hash buckets grow\n"
		"together by doubling, and a 256 KiB per-port count comes with the first entry. The entries\n"
		"cost memory and, on a client, ports: each pins one 4-tuple for %u s. The table is bounded by\n"
		"gt_config.max_timewait (%u); past it a closing connection is counted in TWOverflow.\n"
		"Check: `glasstcp sim --scenario time-wait-%s-close`.\n",
		who[holder], r->tw_peak[holder], (unsigned long long)r->tw_bytes[holder],
		2 * cfg.msl_ms / 1000, cfg.max_timewait, server_first ? "client" : "server");
	res->ok = r->conns_ok == r->conns && r->tw_peak[holder] == r->conns &&
		  r->tw_peak[!holder] == 0 && holder == (server_first ? 1 : 0);
	rr_free(&x);
	scen_world_free(&w);
	return 0;
}

/* ---- port-exhaustion ---- */

#define PE_LO 40000
#define PE_HI 40999
#define PE_ATTEMPTS 3000
#define PE_PACE_US 2000

static int ports_run(uint64_t seed, bool reuse, struct scen_result *res, int k)
{
	struct scen_ports_result *pr = &res->ports;
	struct gt_config ccfg, scfg;
	gt_config_default(&ccfg, GT_PROFILE_LINUX);
	gt_config_default(&scfg, GT_PROFILE_LINUX);
	ccfg.ephemeral_lo = PE_LO;
	ccfg.ephemeral_hi = PE_HI;
	ccfg.tw_reuse = reuse;
	ccfg.tw_reuse_loopback = false; /* tcp_tw_reuse = 1: any pair, not loopback only */
	struct gt_link_config lc;
	lan_link(&lc);
	struct scen_world w;
	struct rr x;
	int err = rr_world_init(&x, &w, res, seed, &ccfg, &scfg, &lc);
	if (err)
		return err;
	x.total = PE_ATTEMPTS;
	x.concurrency = 64;
	x.pace_us = PE_PACE_US;
	x.stop_on_error = true;
	scen_run_loop(&w, rr_step, rr_wake, &x, 60000000ull);
	const struct gt_stats *cs = gt_stack_stats(w.client), *ss = gt_stack_stats(w.server);
	struct gt_gauges g;
	gt_stack_gauges(w.client, &g);
	pr->run[k].tw_reuse = reuse;
	pr->run[k].ok = x.first_error ? x.ok_before_error : x.done;
	pr->run[k].tried = x.started;
	pr->run[k].eaddrnotavail = x.first_error == -EADDRNOTAVAIL;
	pr->run[k].fail_at_us = x.first_error_us;
	pr->run[k].exhausted = cs->TcpEphemeralExhausted;
	pr->run[k].recycled[0] = cs->TWRecycled;
	pr->run[k].recycled[1] = ss->TWRecycled;
	pr->run[k].tw_peak = g.timewait_peak;
	rr_free(&x);
	scen_world_free(&w);
	return 0;
}

int scen_port_exhaustion(uint64_t seed, FILE *out, struct scen_result *res)
{
	struct scen_ports_result *r = &res->ports;
	r->range = PE_HI - PE_LO + 1;
	r->attempts = PE_ATTEMPTS;
	scen_printf(out,
		"glasstcp sim --scenario port-exhaustion\n\n"
		"A client opens short connections to ONE server address and port and closes\n"
		"first, so every connection leaves a TIME_WAIT entry on the client that pins its\n"
		"4-tuple for 2*MSL (60 s). The only part of the 4-tuple that varies is the\n"
		"client's ephemeral port (RFC 6056), so the range caps the connection rate at\n"
		"range / 60 s. When no port is free, connect() fails with EADDRNOTAVAIL and\n"
		"TcpEphemeralExhausted counts it. With timestamps on both sides, RFC 6191 makes\n"
		"it safe to take a pair still in TIME_WAIT (Linux net.ipv4.tcp_tw_reuse): the new\n"
		"SYN's timestamp is newer than anything the old connection sent.\n\n"
		"setup: Linux profile, timestamps on, client ephemeral range %u-%u (%u ports) in\n"
		"gt_config.ephemeral_lo/hi, one new connection every %u ms (100-byte request,\n"
		"1,000-byte answer, client closes), up to %u connections, seed %llu\n\n",
		PE_LO, PE_HI, r->range, PE_PACE_US / 1000, PE_ATTEMPTS, (unsigned long long)seed);
	for (int k = 0; k < 2; k++) {
		int err = ports_run(seed, k == 1, res, k);
		if (err)
			return err;
	}
	scen_printf(out, "  cfg.tw_reuse   connect() calls   completed   first failure              TcpEphemeralExhausted   TWRecycled (client/server)   client TIME_WAIT peak\n");
	for (int k = 0; k < 2; k++) {
		char fail[64];
		if (r->run[k].eaddrnotavail)
			snprintf(fail, sizeof(fail), "EADDRNOTAVAIL @%.3f s", (double)r->run[k].fail_at_us / 1e6);
		else
			snprintf(fail, sizeof(fail), "none");
		scen_printf(out, "  %-12s %17u %11u   %-26s %21llu   %12llu / %-12llu %21u\n",
			    r->run[k].tw_reuse ? "true" : "false", r->run[k].tried, r->run[k].ok, fail,
			    (unsigned long long)r->run[k].exhausted,
			    (unsigned long long)r->run[k].recycled[0],
			    (unsigned long long)r->run[k].recycled[1], r->run[k].tw_peak);
	}
	scen_printf(out,
		"\nWithout reuse the client runs dry after about one range of connections (%u ports)\n"
		"and stays dry until the oldest entries expire 60 s later. With tw_reuse a port\n"
		"whose TIME_WAIT entry used timestamps and is at least 1 s old is taken again, so\n"
		"the connections keep succeeding. Server-side remedies: let the server close first\n"
		"(TIME_WAIT moves to the server, which has one port but many peers), use more\n"
		"source addresses, or a wider range.\n",
		r->range);
	res->ok = r->run[0].eaddrnotavail && !r->run[1].eaddrnotavail &&
		  r->run[1].ok == PE_ATTEMPTS;
	return 0;
}

/* ---- lost-final-ack ---- */

struct lfa {
	struct scen_world *w;
	int listen_sd, csd, ssd;
	bool sent, client_closed, server_closed;
	bool peer_fin_seen, dropping;
	uint16_t cport;
	struct scen_lostack_result *r;
	uint32_t received;
	uint8_t buf[2048];
};

static void set_link_down(struct scen_world *w, bool down)
{
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.bandwidth_bps = 100000000ull;
	lc.down = down;
	gt_sim_set_link(w->sim, w->ch, w->sh, &lc);
}

static void lfa_trace(void *ctx, bool client, const struct gt_trace_event *ev)
{
	struct lfa *x = ctx;
	struct scen_lostack_result *r = x->r;
	if (client && x->dropping) {
		/* The ACK went out and was dropped: bring the link back. */
		set_link_down(x->w, false);
		x->dropping = false;
	}
	if (ev->type == GT_TRACE_SEG_IN && client && (ev->flags & 0x01))
		x->peer_fin_seen = true;
	if (ev->type == GT_TRACE_SEG_OUT && client && x->peer_fin_seen && !r->acks_dropped &&
	    ev->flags == 0x10 && ev->len == 0) {
		/* The client's ACK of the server's FIN is about to be sent:
		 * the link drops it (the trace comes just before the send). */
		set_link_down(x->w, true);
		x->dropping = true;
		r->acks_dropped++;
	}
	if (ev->type == GT_TRACE_SEG_OUT && !client && (ev->flags & 0x01))
		r->server_fin_sent++;
	if (ev->type == GT_TRACE_STATE && client && ev->b == GT_TCP_TIME_WAIT)
		r->tw_enter_us = ev->now_us;
	if (ev->type == GT_TRACE_STATE && client && ev->a == GT_TCP_TIME_WAIT)
		r->tw_exit_us = ev->now_us;
	if (ev->type == GT_TRACE_SEG_OUT && client && r->tw_enter_us && ev->now_us > r->tw_enter_us)
		r->tw_reack_us = ev->now_us;
	if (ev->type == GT_TRACE_STATE && !client && ev->b == GT_TCP_CLOSED && ev->a == GT_TCP_LAST_ACK) {
		r->server_closed = true;
		r->server_closed_us = ev->now_us;
	}
}

static bool lfa_step(void *ctx)
{
	struct lfa *x = ctx;
	scen_world_sync_quiet(x->w);
	gt_stack *c = x->w->client, *s = x->w->server;
	if (x->ssd < 0 && !x->server_closed) {
		int sd = gt_accept(s, x->listen_sd, NULL);
		if (sd >= 0)
			x->ssd = sd;
	}
	if (!x->sent) {
		memset(x->buf, 'r', 1000);
		if (gt_send(c, x->csd, x->buf, 1000, 0) == 1000) {
			x->sent = true;
			gt_close(c, x->csd); /* the client closes first */
			x->client_closed = true;
		}
	}
	if (x->ssd >= 0) {
		ssize_t n;
		while ((n = gt_recv(s, x->ssd, x->buf, sizeof(x->buf), 0)) > 0)
			x->received += (uint32_t)n;
		if (n == 0 || (n < 0 && n != -EAGAIN)) {
			gt_close(s, x->ssd);
			x->ssd = -1;
			x->server_closed = true;
		}
	}
	return x->r->tw_exit_us != 0;
}

int scen_lost_final_ack(uint64_t seed, FILE *out, struct scen_result *res)
{
	struct scen_lostack_result *r = &res->lostack;
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.bandwidth_bps = 100000000ull;
	struct scen_world w;
	int err = scen_world_init(&w, res, seed, &cfg, &cfg, &lc, out != NULL);
	if (err) {
		scen_world_free(&w);
		return err;
	}
	struct lfa x = {.w = &w, .csd = -1, .ssd = -1, .r = r};
	w.on_trace = lfa_trace;
	w.ctx = &x;
	x.listen_sd = scen_listen(&w, 0);
	x.csd = scen_socket(&w, w.client);
	struct gt_sockaddr sa = scen_server(&w);
	if (x.listen_sd < 0 || x.csd < 0 || gt_connect(w.client, x.csd, &sa) != -EINPROGRESS) {
		scen_world_free(&w);
		return -EIO;
	}
	struct gt_sockaddr me;
	gt_getsockname(w.client, x.csd, &me);
	x.cport = me.port;
	scen_printf(out,
		"glasstcp sim --scenario lost-final-ack\n\n"
		"Why TIME_WAIT exists, reason one (RFC 9293 3.6.1, 3.10.7.4): the active closer's\n"
		"last ACK may be lost. The passive closer, in LAST_ACK, then retransmits its FIN\n"
		"after an RTO. The active closer must still be there to ACK it again, or the FIN\n"
		"would meet a closed port and be answered with an RST (the server would report an\n"
		"error for a connection that ended well). glasstcp's compact TIME_WAIT entry\n"
		"re-ACKs the FIN, restarts its 2*MSL timer and counts TWFinReacked.\n\n"
		"setup: Linux profile, link 10 ms each way; the client sends 1,000 bytes and closes,\n"
		"the server reads to EOF and closes; the simulator drops exactly one packet: the\n"
		"client's ACK of the server's FIN. seed %llu\n\n",
		(unsigned long long)seed);
	scen_run_loop(&w, lfa_step, NULL, &x, 300000000ull);
	r->fin_reacked = gt_stack_stats(w.client)->TWFinReacked;
	struct gt_gauges g;
	gt_stack_gauges(w.server, &g);
	r->server_tw_peak = g.timewait_peak;
	scen_ladder(out, &w, x.cport, "lost-final-ack: the client's last ACK is dropped (x)");
	scen_printf(out,
		"\ntimeline\n"
		"  %8.3f s  client enters TIME_WAIT and sends its last ACK: dropped on the link (%llu dropped)\n"
		"  %8.3f s  client re-ACKs the retransmitted FIN from TIME_WAIT (server sent %llu FIN segments);\n"
		"              TWFinReacked = %llu, the 2MSL timer restarts\n"
		"  %8.3f s  server: LAST_ACK -> CLOSED %s\n"
		"  %8.3f s  client: TIME_WAIT -> CLOSED (2MSL after the re-ACK: %.3f s after it entered)\n"
		"server TIME_WAIT entries: %u (the passive closer never holds one)\n",
		(double)r->tw_enter_us / 1e6, (unsigned long long)r->acks_dropped,
		(double)r->tw_reack_us / 1e6, (unsigned long long)r->server_fin_sent,
		(unsigned long long)r->fin_reacked, (double)r->server_closed_us / 1e6,
		r->server_closed ? "(by the re-sent ACK, no RST)" : "(NOT reached)",
		(double)r->tw_exit_us / 1e6, (double)(r->tw_exit_us - r->tw_enter_us) / 1e6,
		r->server_tw_peak);
	res->ok = r->acks_dropped == 1 && r->fin_reacked == 1 && r->server_closed &&
		  r->server_fin_sent >= 2;
	scen_world_free(&w);
	return 0;
}
