/* The linger-abort scenario: a graceful close (FIN, RFC 9293 3.10.4) against
 * close() with SO_LINGER {1, 0} (an abortive RST, RFC 9293 3.10.5): the
 * segments, who holds TIME_WAIT, what the peer reads, what is lost. */
#include <errno.h>
#include <string.h>

#include "sim/scenario_internal.h"

#define LA_BYTES 20000

struct la {
	struct scen_world *w;
	bool abort;
	int listen_sd, csd, ssd;
	bool written, server_done;
	uint64_t delivered;
	int peer_read;
	int tw_holder;
	uint8_t buf[LA_BYTES];
};

static void la_trace(void *ctx, bool client, const struct gt_trace_event *ev)
{
	struct la *x = ctx;
	if (ev->type == GT_TRACE_STATE && ev->b == GT_TCP_TIME_WAIT)
		x->tw_holder = client ? 0 : 1;
}

static bool la_step(void *ctx)
{
	struct la *x = ctx;
	scen_world_sync_quiet(x->w);
	gt_stack *c = x->w->client, *s = x->w->server;
	if (x->ssd < 0 && !x->server_done) {
		int sd = gt_accept(s, x->listen_sd, NULL);
		if (sd >= 0)
			x->ssd = sd;
	}
	if (!x->written) {
		memset(x->buf, 'd', sizeof(x->buf));
		if (gt_send(c, x->csd, x->buf, LA_BYTES, 0) == LA_BYTES) {
			x->written = true;
			if (x->abort) {
				struct gt_linger l = {1, 0};
				gt_setsockopt(c, x->csd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof(l));
			}
			gt_close(c, x->csd); /* right after the write, as a careless client would */
		}
	}
	if (x->ssd >= 0) {
		ssize_t n;
		while ((n = gt_recv(s, x->ssd, x->buf, sizeof(x->buf), 0)) > 0)
			x->delivered += (uint64_t)n;
		if (n != -EAGAIN) {
			x->peer_read = (int)n;
			gt_close(s, x->ssd);
			x->ssd = -1;
			x->server_done = true;
		}
	}
	return false; /* run the fixed time: the last segments must land */
}

static int la_run(uint64_t seed, FILE *out, bool abort, struct scen_result *res, int k)
{
	struct scen_linger_result *r = &res->linger;
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.bandwidth_bps = 100000000ull;
	struct scen_world w;
	int err = scen_world_init(&w, res, seed, &cfg, &cfg, &lc, true);
	if (err) {
		scen_world_free(&w);
		return err;
	}
	struct la x;
	memset(&x, 0, sizeof(x));
	x.w = &w;
	x.abort = abort;
	x.ssd = -1;
	x.tw_holder = -1;
	w.on_trace = la_trace;
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
	scen_run_loop(&w, la_step, NULL, &x, 2000000ull);
	r->run[k].written = LA_BYTES;
	r->run[k].delivered = x.delivered;
	r->run[k].lost = LA_BYTES - x.delivered;
	r->run[k].peer_read = x.server_done ? x.peer_read : -EAGAIN;
	r->run[k].tw_holder = x.tw_holder;
	r->run[k].client_rsts = gt_stack_stats(w.client)->TcpOutRsts;
	r->run[k].abort_on_linger = gt_stack_stats(w.client)->TcpAbortOnLinger;
	struct gt_link_stats a, b;
	gt_sim_link_stats(w.sim, w.ch, w.sh, &a);
	gt_sim_link_stats(w.sim, w.sh, w.ch, &b);
	r->run[k].segments = (uint32_t)(a.sent + b.sent);
	scen_printf(out, "\n%s\n", abort ? "2. close() with SO_LINGER {1, 0}: abortive close"
					  : "1. close(): graceful");
	scen_ladder(out, &w, me.port,
		    abort ? "SO_LINGER {1,0}: write 20,000 bytes, close()" : "write 20,000 bytes, close()");
	scen_world_free(&w);
	return 0;
}

static const char *read_result(int v)
{
	if (v == 0)
		return "0 (end of file)";
	if (v == -ECONNRESET)
		return "-ECONNRESET";
	if (v == -EAGAIN)
		return "nothing yet";
	return "another error";
}

int scen_linger_abort(uint64_t seed, FILE *out, struct scen_result *res)
{
	struct scen_linger_result *r = &res->linger;
	scen_printf(out,
		"glasstcp sim --scenario linger-abort\n\n"
		"A client connects, writes 20,000 bytes and calls close() at once. close() does not\n"
		"wait for the data: with a graceful close the stack keeps sending what is buffered,\n"
		"then its FIN (RFC 9293 3.10.4), and the client ends in TIME_WAIT. With SO_LINGER\n"
		"{l_onoff 1, l_linger 0} close() aborts (RFC 9293 3.10.5 ABORT): one RST with\n"
		"SEG.SEQ = SND.NXT, everything unsent or unacknowledged is discarded, the connection\n"
		"is freed at once and no TIME_WAIT is kept; the peer's next read fails with\n"
		"ECONNRESET. People use it to avoid TIME_WAIT; the price is the data.\n"
		"setup: Linux profile (initial window 10 segments), link 10 ms each way, 100 Mbit/s, seed %llu\n",
		(unsigned long long)seed);
	for (int k = 0; k < 2; k++) {
		int err = la_run(seed, out, k == 1, res, k);
		if (err)
			return err;
	}
	scen_printf(out, "\n                        written   delivered   lost     peer's last read   TIME_WAIT held by   client RSTs   segments\n");
	const char *name[2] = {"graceful close()", "SO_LINGER {1,0}"};
	const char *holder[3] = {"nobody", "client", "server"};
	for (int k = 0; k < 2; k++)
		scen_printf(out, "  %-18s %11llu %11llu %6llu     %-18s %-19s %11llu %10u\n", name[k],
			    (unsigned long long)r->run[k].written,
			    (unsigned long long)r->run[k].delivered,
			    (unsigned long long)r->run[k].lost, read_result(r->run[k].peer_read),
			    holder[r->run[k].tw_holder + 1], (unsigned long long)r->run[k].client_rsts,
			    r->run[k].segments);
	scen_printf(out,
		"\nThe abort sent only what the initial window allowed before close(); the other\n"
		"%llu bytes were written (the write returned success) but never delivered, and the\n"
		"server cannot tell how much it missed. The server's ACKs already in flight then meet\n"
		"a connection that no longer exists and are answered with RSTs (RFC 9293 3.10.7.1),\n"
		"hence more than one RST from the client. Counter: TcpAbortOnLinger = %llu.\n",
		(unsigned long long)r->run[1].lost, (unsigned long long)r->run[1].abort_on_linger);
	res->ok = r->run[0].delivered == LA_BYTES && r->run[0].peer_read == 0 &&
		  r->run[0].tw_holder == 0 && r->run[1].peer_read == -ECONNRESET &&
		  r->run[1].tw_holder == -1 && r->run[1].lost > 0;
	return 0;
}
