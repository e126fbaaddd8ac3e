/* Sending and receiving scenarios: the write-write-read pattern against
 * Nagle (RFC 896, RFC 9293 3.7.4) and delayed ACK (RFC 1122 4.2.3.2), and
 * throughput against the receive window (RFC 9293 3.8.6, RFC 7323). */
#include <errno.h>
#include <string.h>

#include "sim/scenario_internal.h"
#include "sim/transfer.h"

/* ---- nagle-delayed-ack ---- */

#define NG_REQUESTS 10
#define NG_PART 100
#define NG_REPLY 100

enum ng_mode {
	NG_NAGLE_NOQUICK,  /* two writes, Nagle on, server TCP_QUICKACK 0 */
	NG_NAGLE_LINUX,    /* two writes, Nagle on, Linux default quick-ACK */
	NG_NODELAY,        /* two writes, TCP_NODELAY */
	NG_ONE_WRITE,      /* one 200-byte write */
	NG_CORK,           /* TCP_CORK on, two writes, TCP_CORK off */
	NG_MSG_MORE,       /* first write with MSG_MORE */
	NG_NMODES
};

static const char *ng_names[NG_NMODES] = {
	"two writes, Nagle, server TCP_QUICKACK 0",
	"two writes, Nagle, Linux defaults",
	"two writes, TCP_NODELAY",
	"one 200-byte write, Nagle",
	"TCP_CORK on, two writes, off",
	"two writes, the first MSG_MORE",
};

struct ng {
	struct scen_world *w;
	enum ng_mode mode;
	int listen_sd, csd, ssd;
	bool established, in_request, closed;
	uint32_t done, got_reply, srv_got;
	uint64_t t_start_us;
	double lat_ms[NG_REQUESTS];
	uint64_t client_data_segs;
	uint8_t buf[4096];
};

static void ng_trace(void *ctx, bool client, const struct gt_trace_event *ev)
{
	struct ng *x = ctx;
	if (client && ev->type == GT_TRACE_SEG_OUT && ev->len > 0)
		x->client_data_segs++;
}

static void ng_send_request(struct ng *x)
{
	gt_stack *c = x->w->client;
	int one = 1, zero = 0;
	memset(x->buf, 'h', 2 * NG_PART);
	x->t_start_us = gt_sim_now(x->w->sim);
	x->in_request = true;
	x->got_reply = 0;
	switch (x->mode) {
	case NG_ONE_WRITE:
		gt_send(c, x->csd, x->buf, 2 * NG_PART, 0);
		break;
	case NG_CORK:
		gt_setsockopt(c, x->csd, GT_IPPROTO_TCP, GT_TCP_CORK, &one, sizeof(one));
		gt_send(c, x->csd, x->buf, NG_PART, 0);
		gt_send(c, x->csd, x->buf + NG_PART, NG_PART, 0);
		gt_setsockopt(c, x->csd, GT_IPPROTO_TCP, GT_TCP_CORK, &zero, sizeof(zero));
		break;
	case NG_MSG_MORE:
		gt_send(c, x->csd, x->buf, NG_PART, GT_MSG_MORE);
		gt_send(c, x->csd, x->buf + NG_PART, NG_PART, 0);
		break;
	default:
		gt_send(c, x->csd, x->buf, NG_PART, 0);          /* the header */
		gt_send(c, x->csd, x->buf + NG_PART, NG_PART, 0); /* the body */
		break;
	}
}

static bool ng_step(void *ctx)
{
	struct ng *x = ctx;
	scen_world_sync_quiet(x->w);
	gt_stack *c = x->w->client, *s = x->w->server;
	if (x->ssd < 0) {
		int sd = gt_accept(s, x->listen_sd, NULL);
		if (sd >= 0) {
			x->ssd = sd;
			if (x->mode != NG_NAGLE_LINUX) {
				/* Delayed ACKs from the first segment: no quick-ACK mode. */
				int zero = 0;
				gt_setsockopt(s, sd, GT_IPPROTO_TCP, GT_TCP_QUICKACK, &zero, sizeof(zero));
			}
		}
	}
	if (x->ssd >= 0) {
		ssize_t n;
		while ((n = gt_recv(s, x->ssd, x->buf, sizeof(x->buf), 0)) > 0) {
			x->srv_got += (uint32_t)n;
			while (x->srv_got >= 2 * NG_PART) {
				x->srv_got -= 2 * NG_PART;
				memset(x->buf, 'R', NG_REPLY);
				gt_send(s, x->ssd, x->buf, NG_REPLY, 0);
			}
		}
		if (n == 0) {
			gt_close(s, x->ssd);
			x->ssd = -2;
		}
	}
	if (!x->established) {
		struct gt_tcp_info ti;
		size_t len = sizeof(ti);
		gt_getsockopt(c, x->csd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len);
		if (ti.state == GT_TCP_ESTABLISHED)
			x->established = true;
		else
			return false;
	}
	if (x->in_request) {
		ssize_t n;
		while ((n = gt_recv(c, x->csd, x->buf, sizeof(x->buf), 0)) > 0)
			x->got_reply += (uint32_t)n;
		if (x->got_reply >= NG_REPLY) {
			x->lat_ms[x->done++] = scen_ms(gt_sim_now(x->w->sim) - x->t_start_us);
			x->in_request = false;
		}
	}
	if (!x->in_request && x->done < NG_REQUESTS)
		ng_send_request(x);
	if (x->done == NG_REQUESTS && !x->closed) {
		gt_close(c, x->csd);
		x->closed = true;
	}
	return x->closed && x->ssd == -2;
}

static int ng_run(uint64_t seed, enum ng_mode mode, struct scen_result *res,
		  struct scen_nagle_row *row)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 250;
	lc.bandwidth_bps = 1000000000ull;
	struct scen_world w;
	int err = scen_world_init(&w, res, seed, &cfg, &cfg, &lc, false);
	if (err) {
		scen_world_free(&w);
		return err;
	}
	struct ng x;
	memset(&x, 0, sizeof(x));
	x.w = &w;
	x.mode = mode;
	x.ssd = -1;
	w.on_trace = ng_trace;
	w.ctx = &x;
	x.listen_sd = scen_listen(&w, 0);
	x.csd = scen_socket(&w, w.client);
	if (mode == NG_NODELAY) {
		int one = 1;
		gt_setsockopt(w.client, x.csd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one));
	}
	struct gt_sockaddr sa = scen_server(&w);
	if (x.listen_sd < 0 || x.csd < 0 || gt_connect(w.client, x.csd, &sa) != -EINPROGRESS) {
		scen_world_free(&w);
		return -EIO;
	}
	scen_run_loop(&w, ng_step, NULL, &x, 30000000ull);
	row->name = ng_names[mode];
	row->requests = x.done;
	double sum = 0;
	for (uint32_t i = 0; i < x.done; i++) {
		sum += x.lat_ms[i];
		if (x.lat_ms[i] > row->max_ms)
			row->max_ms = x.lat_ms[i];
	}
	row->first_ms = x.done ? x.lat_ms[0] : 0;
	row->mean_ms = x.done ? sum / x.done : 0;
	row->client_segs = x.client_data_segs;
	row->delayed_acks = gt_stack_stats(w.server)->TcpDelayedAcks;
	scen_world_free(&w);
	return 0;
}

int scen_nagle(uint64_t seed, FILE *out, struct scen_result *res)
{
	struct scen_nagle_result *r = &res->nagle;
	r->rtt_ms = 0.5;
	scen_printf(out,
		"glasstcp sim --scenario nagle-delayed-ack\n\n"
		"The write-write-read pattern: a client writes a 100-byte header, then a 100-byte\n"
		"body, then waits for a 100-byte reply. Nagle (RFC 896, RFC 9293 3.7.4) holds the\n"
		"body, a segment smaller than the MSS, while the header is unacknowledged. The\n"
		"server delays its ACK of the header (RFC 1122 4.2.3.2; 40 ms here, as Linux)\n"
		"because it has nothing to send until the body arrives. Each side waits for the\n"
		"other until the delayed-ACK timer fires: about 40 ms per request on a 0.5 ms RTT.\n\n"
		"Quick-ACK: the Linux profile (gt_config.quickack_max_segs = 16) ACKs the first\n"
		"segments of a connection at once and leaves that mode once the server answers\n"
		"within the delayed-ACK time (interactive, 'pingpong'). The first row sets\n"
		"TCP_QUICKACK 0 on the accepted server socket so every request shows the stall; the\n"
		"second leaves the Linux defaults: the first answer already ends quick-ACK mode, so\n"
		"it stalls the same. The FreeBSD profile has quickack_max_segs = 0. In both rows\n"
		"the FIRST request is quick: the server's first read opens its window beyond the\n"
		"64 KiB of the SYN-ACK, and that window update (RFC 1122 4.2.3.3) ACKs the header.\n\n"
		"setup: Linux profile, link 0.25 ms each way (RTT 0.5 ms), 1 Gbit/s, %u requests per\n"
		"row on one connection, latency from the first write to the whole reply, seed %llu\n\n",
		NG_REQUESTS, (unsigned long long)seed);
	scen_printf(out, "  %-42s %10s %10s %10s %14s %13s\n", "how the request is written",
		    "first ms", "mean ms", "max ms", "client data", "server");
	scen_printf(out, "  %-42s %10s %10s %10s %14s %13s\n", "", "", "", "", "segments", "delayed ACKs");
	r->nrows = NG_NMODES;
	for (int m = 0; m < NG_NMODES; m++) {
		struct scen_nagle_row *row = &r->row[m];
		int err = ng_run(seed, (enum ng_mode)m, res, row);
		if (err)
			return err;
		scen_printf(out, "  %-42s %10.3f %10.3f %10.3f %14llu %13llu\n", row->name,
			    row->first_ms, row->mean_ms, row->max_ms,
			    (unsigned long long)row->client_segs, (unsigned long long)row->delayed_acks);
	}
	scen_printf(out,
		"\nFixes, best first: write the request in one call (or writev); or TCP_CORK /\n"
		"MSG_MORE to say more is coming, then let it go; or TCP_NODELAY, which sends every\n"
		"write at once (two segments per request here). TCP_QUICKACK on the server helps\n"
		"only until the connection looks interactive again.\n");
	res->ok = r->row[NG_NAGLE_NOQUICK].mean_ms >= 35 && r->row[NG_NODELAY].max_ms < 5 &&
		  r->row[NG_ONE_WRITE].max_ms < 5 && r->row[NG_CORK].max_ms < 5 &&
		  r->row[NG_MSG_MORE].max_ms < 5;
	return 0;
}

/* ---- small-buffers ---- */

#define SB_BYTES (16ull << 20)

struct sb_meter {
	bool have_isn;
	uint32_t isn;
	uint64_t hi;
	uint64_t t_quarter_us, t_end_us;
};

static void sb_trace(void *ctx, bool client, const struct gt_trace_event *ev)
{
	struct sb_meter *m = ctx;
	if (client || ev->type != GT_TRACE_SEG_IN)
		return;
	if (ev->flags & 0x02) {
		m->isn = ev->seq;
		m->have_isn = true;
		return;
	}
	if (!m->have_isn || !ev->len)
		return;
	uint64_t end = (uint64_t)(uint32_t)(ev->seq + ev->len - m->isn - 1);
	if (end <= m->hi)
		return;
	m->hi = end;
	if (!m->t_quarter_us && end >= SB_BYTES / 4)
		m->t_quarter_us = ev->now_us;
	if (!m->t_end_us && end >= SB_BYTES)
		m->t_end_us = ev->now_us;
}

static int sb_run(uint64_t seed, struct scen_result *res, uint32_t rcvbuf,
		  struct scen_bufs_row *row, double rtt_s, double link_bps)
{
	struct gt_config ccfg, scfg;
	gt_config_default(&ccfg, GT_PROFILE_LINUX);
	gt_config_default(&scfg, GT_PROFILE_LINUX);
	ccfg.sndbuf_bytes = 8u << 20; /* the sender is never the limit */
	gt_sim *sim = gt_sim_new(seed);
	if (!sim)
		return -ENOMEM;
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = (uint64_t)(rtt_s * 1e6 / 2);
	lc.bandwidth_bps = (uint64_t)link_bps;
	lc.queue_limit_pkts = 1000;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	int ch = gt_sim_add_stack(sim, &ccfg, SCEN_CLIENT_ADDR, 24, 1500, &c);
	int sh = gt_sim_add_stack(sim, &scfg, SCEN_SERVER_ADDR, 24, 1500, &s);
	if (ch < 0 || sh < 0 || (res->ipv6 && scen_add_ipv6(sim, ch, sh) < 0)) {
		gt_sim_free(sim);
		return -ENOMEM;
	}
	struct sb_meter m;
	memset(&m, 0, sizeof(m));
	struct xfer_config xc = {
		.bytes = SB_BYTES, .conns = 1, .port = SCEN_PORT, .chunk_bytes = 65536,
		.limit_us = 600000000ull, .on_trace = sb_trace, .on_trace_ctx = &m,
		.family = res->ipv6 ? XFER_IPV6 : XFER_IPV4, .server_addr6 = scen_server_addr6,
	};
	struct xfer x;
	int err = xfer_init(&x, &xc, sim, c, ch, SCEN_CLIENT_ADDR, s, sh, SCEN_SERVER_ADDR);
	int v = (int)rcvbuf;
	/* On the listener, before any connection: accepted ones inherit it,
	 * and the window scale in the SYN-ACK is chosen from it. */
	if (!err)
		err = gt_setsockopt(s, x.listen_sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, sizeof(v));
	if (err) {
		xfer_free(&x);
		gt_sim_free(sim);
		return err;
	}
	size_t len = sizeof(v);
	gt_getsockopt(s, x.listen_sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, &len);
	bool ok = xfer_run(&x);
	row->asked_bytes = rcvbuf;
	row->rcvbuf_bytes = (uint32_t)v;
	/* With Linux's arithmetic the buffer is memory and the window what
	 * tcp_win_from_space() makes of it at the scaling ratio the full
	 * segments set (payload / truesize: a packet of one is an skb of
	 * 2,304, lx_truesize()). The ACK that opens the window is sent as
	 * the segment it answers is queued, before the reader takes it
	 * (__tcp_ack_snd_check() from tcp_rcv_established(), in softirq):
	 * the window it carries is what the buffer less that skb leaves
	 * (tcp_space()), so the sender never sees the whole buffer's window
	 * (unscaled, 16,384 asked: 13 segments, not 14). Unscaled (a window
	 * under 64 KiB: scale 0 from a set SO_RCVBUF), Linux offers whole
	 * segments (tcp_select_initial_window(), __tcp_select_window()'s
	 * rounddown(free_space, mss)). */
	uint32_t seg = (res->ipv6 ? 1440u : 1460u) - (scfg.opt_timestamps ? 12u : 0u);
	uint32_t ratio = seg * 256u / 2304u;
	uint32_t held = (uint32_t)v > 2304u ? (uint32_t)v - 2304u : 0;
	row->window_bytes = scfg.rcv_wnd_linux ? (uint32_t)((uint64_t)held * ratio >> 8)
					       : (uint32_t)v;
	if (scfg.rcv_wnd_linux && row->window_bytes < 65536)
		row->window_bytes = row->window_bytes / seg * seg;
	double pred = (double)row->window_bytes * 8 / rtt_s;
	row->predicted_mbit = (pred < link_bps ? pred : link_bps) / 1e6;
	if (ok && m.t_end_us > m.t_quarter_us)
		row->measured_mbit = (double)(SB_BYTES - SB_BYTES / 4) * 8 /
				     ((double)(m.t_end_us - m.t_quarter_us) / 1e6) / 1e6;
	row->retrans = gt_stack_stats(c)->TcpRetransSegs;
	scen_count_pkts(res, c, s);
	xfer_free(&x);
	gt_sim_free(sim);
	return ok ? 0 : -EIO;
}

int scen_small_buffers(uint64_t seed, FILE *out, struct scen_result *res)
{
	struct scen_bufs_result *r = &res->bufs;
	static const uint32_t sizes[] = {16384, 65536, 262144, 1048576, 4194304};
	r->rtt_ms = 100;
	r->link_mbit = 100;
	scen_printf(out,
		"glasstcp sim --scenario small-buffers\n\n"
		"A sender can have at most one receive window of data unacknowledged, so one\n"
		"connection moves at most window / RTT (RFC 9293 3.8.6; RFC 7323 1.1 on 'long fat\n"
		"pipes'). The receive window comes from the receiver's SO_RCVBUF; past 64 KiB it\n"
		"needs window scaling (RFC 7323 2), whose shift is fixed in the SYN-ACK. So SO_RCVBUF\n"
		"is set on the listening socket before connections arrive: accepted sockets inherit\n"
		"it. The Linux profile doubles the value set (gt_config.sockopt_buf_double) and, as\n"
		"Linux, offers half of that buffer as window (rcv_wnd_linux, tcp_win_from_space()):\n"
		"the value set, in whole segments while it is unscaled. An ACK sent before the\n"
		"application reads offers less, so a small window is not quite filled.\n"
		"Bandwidth-delay product here: 100 Mbit/s x 100 ms = 1.25 MB.\n\n"
		"setup: Linux profile, link 50 ms each way (RTT 100 ms), 100 Mbit/s, queue 1000\n"
		"packets, no loss; one connection sends 16 MiB; the sender's SO_SNDBUF is 8 MiB;\n"
		"throughput is measured from the first quarter of the data to the end, seed %llu\n\n",
		(unsigned long long)seed);
	scen_printf(out, "  %14s %14s %14s %22s %16s %12s\n", "SO_RCVBUF set", "buffer (bytes)",
		    "window (bytes)", "predicted min(w/RTT,", "measured Mbit/s", "retransmits");
	scen_printf(out, "  %14s %14s %14s %22s %16s %12s\n", "", "", "", "link) Mbit/s", "", "");
	r->nrows = sizeof(sizes) / sizeof(sizes[0]);
	for (uint32_t i = 0; i < r->nrows; i++) {
		int err = sb_run(seed, res, sizes[i], &r->row[i], r->rtt_ms / 1e3, r->link_mbit * 1e6);
		if (err)
			return err;
		const struct scen_bufs_row *row = &r->row[i];
		scen_printf(out, "  %14u %14u %14u %22.2f %16.2f %12llu\n", row->asked_bytes,
			    row->rcvbuf_bytes, row->window_bytes, row->predicted_mbit, row->measured_mbit, (unsigned long long)row->retrans);
	}
	scen_printf(out,
		"\nBelow the bandwidth-delay product throughput follows window / RTT; above it the\n"
		"link is the limit and a larger buffer only lets the sender fill the link queue.\n"
		"Tune the receiver: its buffer sets the window. gt_config.rcvbuf_bytes sets the\n"
		"default, buf_max_bytes the ceiling.\n");
	res->ok = true;
	for (uint32_t i = 1; i < r->nrows; i++)
		if (r->row[i].predicted_mbit > r->row[i - 1].predicted_mbit * 1.5 &&
		    !(r->row[i].measured_mbit > r->row[i - 1].measured_mbit))
			res->ok = false;
	return 0;
}
