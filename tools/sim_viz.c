/* The visual outputs of `glasstcp sim` (see sim_viz.h). Everything here
 * observes: the capture, the pcap tap and the listing host read the run and
 * never change it, so a seed gives the same run with or without them. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tools/sim_viz.h"
#include "viz/graph.h"
#include "viz/ladder.h"

/* The listing host's address: on the simulated subnet, owned by nobody else. */
#define SS_HOST_ADDR 0x0a0000feu

static int want_num(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	double d = v ? strtod(v, &end) : 0;
	if (!v || end == v || *end || !(d >= lo && d <= hi)) {
		fprintf(stderr, "glasstcp sim: %s wants a number in [%g, %g], got '%s'\n", opt, lo, hi,
			v ? v : "");
		return -1;
	}
	*out = d;
	return 0;
}

int sim_viz_parse(struct sim_viz_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	static const struct { const char *name; size_t off; } files[] = {
		{"--pcap", offsetof(struct sim_viz_opts, pcap)},
		{"--trace-json", offsetof(struct sim_viz_opts, trace_json)},
		{"--ladder", offsetof(struct sim_viz_opts, ladder)},
		{"--ladder-text", offsetof(struct sim_viz_opts, ladder_text)},
		{"--tsg", offsetof(struct sim_viz_opts, tsg)},
		{"--cwnd", offsetof(struct sim_viz_opts, cwnd)},
	};
	double d;
	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		if (strcmp(a, files[k].name))
			continue;
		if (!v || !*v) {
			fprintf(stderr, "glasstcp sim: %s wants a file name\n", a);
			return -1;
		}
		*(const char **)((char *)o + files[k].off) = v;
		(*i)++;
		return 1;
	}
	if (!strcmp(a, "--no-compress")) {
		o->no_compress = true;
		return 1;
	}
	if (!strcmp(a, "--conn")) {
		if (want_num(a, v, 1, 1e6, &d) < 0)
			return -1;
		o->conn = (uint32_t)d;
	} else if (!strcmp(a, "--from")) {
		if (want_num(a, v, 0, 1e7, &o->from_s) < 0)
			return -1;
	} else if (!strcmp(a, "--to")) {
		if (want_num(a, v, 0, 1e7, &o->to_s) < 0)
			return -1;
	} else if (!strcmp(a, "--ladder-max")) {
		if (want_num(a, v, 10, 1e6, &d) < 0)
			return -1;
		o->ladder_max = (uint32_t)d;
	} else if (!strcmp(a, "--ss-at")) {
		if (o->nss == SIM_VIZ_MAX_SS) {
			fprintf(stderr, "glasstcp sim: at most %d --ss-at\n", SIM_VIZ_MAX_SS);
			return -1;
		}
		if (want_num(a, v, 0, 1e7, &o->ss_at_s[o->nss]) < 0)
			return -1;
		o->nss++;
	} else {
		return 0;
	}
	(*i)++;
	return 1;
}

void sim_viz_usage(FILE *f)
{
	fprintf(f,
		"seeing what TCP did:\n"
		"  --pcap FILE      every packet as it enters the link (lost ones too), virtual time\n"
		"  --trace-json F   every trace event of both stacks as JSON lines\n"
		"  --ladder F.svg   ladder diagram of one connection\n"
		"  --ladder-text F  the same as text ('-' for standard output)\n"
		"  --tsg F.svg      time-sequence graph (tcptrace style) of the client's data\n"
		"  --cwnd F.svg     cwnd, ssthresh, flight, RTT samples, SRTT and RTO over time\n"
		"  --conn N         the connection to draw (default 1)\n"
		"  --from S --to S  only this window of virtual time\n"
		"  --no-compress    draw idle time to scale in the ladder (default: shortened)\n"
		"  --ladder-max N   segments drawn before quiet runs are elided (default %u)\n"
		"  --ss-at S        list both stacks' sockets (like ss -tanoi) at S seconds; repeatable\n",
		LADDER_MAX_PKTS_DEFAULT);
}

static void tap(void *ctx, const struct gt_sim_packet_info *p)
{
	struct sim_viz *v = ctx;
	if (v->pcap)
		gt_pcap_sim_tap(&v->ptap, p);
	if (v->capturing)
		cap_tap(&v->cap, p);
}

static void on_trace(void *ctx, bool client, const struct gt_trace_event *ev)
{
	struct sim_viz *v = ctx;
	if (v->json)
		gt_trace_json(v->json, client ? "client" : "server", ev);
	if (v->capturing)
		cap_trace(&v->cap, client, ev);
}

static void print_listing(struct sim_viz *v, uint64_t now_us, const char *note)
{
	printf("sockets at %.3f s%s\n", (double)now_us / 1e6, note);
	for (int side = 0; side < 2; side++) {
		gt_stack *s = side ? v->server : v->client;
		struct gt_sock_entry e[64];
		size_t n = gt_stack_list(s, e, 64);
		printf("  %s\n", side ? "server 10.0.0.2" : "client 10.0.0.1");
		gt_sock_list_print(stdout, e, n < 64 ? n : 64, now_us);
		if (n > 64)
			printf("  ... %zu more\n", n - 64);
	}
	printf("\n");
}

/* The listing host: a node with no address traffic and a deadline at each
 * --ss-at time. */
static void ss_input(void *node, uint64_t now_us, const void *pkt, size_t len)
{
	(void)node;
	(void)now_us;
	(void)pkt;
	(void)len;
}

static void ss_poll(void *node, uint64_t now_us)
{
	struct sim_viz *v = node;
	while (v->ss_next < v->o.nss && (uint64_t)(v->o.ss_at_s[v->ss_next] * 1e6) <= now_us) {
		print_listing(v, now_us, "");
		v->ss_next++;
	}
}

static uint64_t ss_deadline(void *node)
{
	struct sim_viz *v = node;
	return v->ss_next < v->o.nss ? (uint64_t)(v->o.ss_at_s[v->ss_next] * 1e6) : GT_NO_DEADLINE;
}

static const struct gt_sim_node_ops ss_ops = {ss_input, ss_poll, ss_deadline};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int sim_viz_start(struct sim_viz *v, const struct sim_viz_opts *o, gt_sim *sim,
		  gt_stack *client, int client_host, uint32_t client_addr,
		  gt_stack *server, int server_host, uint32_t server_addr,
		  struct xfer_config *xc)
{
	memset(v, 0, sizeof(*v));
	v->o = *o;
	v->client = client;
	v->server = server;
	cap_init(&v->cap, client_host, client_addr, server_host, server_addr);
	v->capturing = o->ladder || o->ladder_text || o->tsg || o->cwnd;
	if (v->capturing && o->conn > xc->conns) {
		fprintf(stderr, "glasstcp sim: --conn %u: there are %u connections\n", o->conn, xc->conns);
		return -EINVAL;
	}
	if (o->pcap) {
		int err;
		v->pcap = gt_pcap_open(o->pcap, &err);
		if (!v->pcap) {
			fprintf(stderr, "glasstcp sim: %s: %s\n", o->pcap, strerror(-err));
			return err;
		}
		v->ptap = (struct gt_pcap_tap){.pcap = v->pcap, .fate = GT_SIM_SENT, .host = -1};
	}
	if (o->trace_json) {
		v->json = fopen(o->trace_json, "w");
		if (!v->json) {
			int err = -errno;
			fprintf(stderr, "glasstcp sim: %s: %s\n", o->trace_json, strerror(errno));
			return err;
		}
	}
	if (v->pcap || v->capturing)
		gt_sim_set_tap(sim, tap, v);
	if (v->json || v->capturing) {
		xc->on_trace = on_trace;
		xc->on_trace_ctx = v;
	}
	if (o->nss) {
		qsort(v->o.ss_at_s, v->o.nss, sizeof(double), cmp_double);
		int r = gt_sim_add_node(sim, &ss_ops, v, SS_HOST_ADDR);
		if (r < 0)
			return r;
	}
	return 0;
}

static FILE *open_out(const char *path)
{
	if (!strcmp(path, "-"))
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "glasstcp sim: %s: %s\n", path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) ? -EIO : 0;
	if (fclose(f) != 0) {
		fprintf(stderr, "glasstcp sim: %s: write failed\n", path);
		return -EIO;
	}
	return 0;
}

int sim_viz_finish(struct sim_viz *v, const struct xfer *x, gt_sim *sim, const char *subtitle)
{
	int rc = 0;
	for (; v->ss_next < v->o.nss; v->ss_next++)
		print_listing(v, gt_sim_now(sim), " (the run ended before the time asked)");
	if (v->pcap) {
		uint64_t frames = gt_pcap_frames(v->pcap);
		if (gt_pcap_close(v->pcap) < 0) {
			fprintf(stderr, "glasstcp sim: %s: write failed\n", v->o.pcap);
			rc = -EIO;
		} else {
			printf("pcap: %s, %" PRIu64 " packets (at the senders, lost ones included)\n",
			       v->o.pcap, frames);
		}
		v->pcap = NULL;
	}
	if (v->json) {
		if (fclose(v->json) != 0)
			rc = -EIO;
		v->json = NULL;
		printf("trace: %s (JSON lines)\n", v->o.trace_json);
	}
	if (!v->capturing)
		return rc;
	uint32_t conn = v->o.conn ? v->o.conn : 1;
	if (conn > x->cfg.conns || !x->conns[conn - 1].cport) {
		fprintf(stderr, "glasstcp sim: --conn %u: no such connection\n", conn);
		return -EINVAL;
	}
	uint16_t cport = x->conns[conn - 1].cport;
	char title[160];
	snprintf(title, sizeof(title), "connection %u: 10.0.0.1:%u → 10.0.0.2:%u", conn, cport,
		 x->cfg.port);
	uint64_t from = (uint64_t)(v->o.from_s * 1e6);
	uint64_t to = v->o.to_s > 0 ? (uint64_t)(v->o.to_s * 1e6) : UINT64_MAX;
	struct ladder_opts lo = {.cport = cport, .from_us = from, .to_us = to,
				 .compress = !v->o.no_compress, .max_pkts = v->o.ladder_max,
				 .title = title, .subtitle = subtitle};
	struct graph_opts go = {.cport = cport, .from_us = from, .to_us = to, .title = NULL,
				.subtitle = title};
	const struct {
		const char *path, *what;
		int kind;
	} outs[] = {
		{v->o.ladder, "ladder diagram", 0}, {v->o.ladder_text, "ladder (text)", 1},
		{v->o.tsg, "time-sequence graph", 2}, {v->o.cwnd, "cwnd/RTT plot", 3},
	};
	for (size_t k = 0; k < sizeof(outs) / sizeof(outs[0]); k++) {
		if (!outs[k].path)
			continue;
		FILE *f = open_out(outs[k].path);
		if (!f) {
			rc = -EIO;
			continue;
		}
		int n;
		switch (outs[k].kind) {
		case 0: n = ladder_svg(f, &v->cap, &lo); break;
		case 1: n = ladder_text(f, &v->cap, &lo); break;
		case 2:
			go.title = "time-sequence graph";
			n = tsg_svg(f, &v->cap, &go);
			break;
		default:
			go.title = "congestion window and RTT";
			n = cwnd_svg(f, &v->cap, &go);
			break;
		}
		if (close_out(f, outs[k].path) < 0 || n < 0)
			rc = n < 0 ? n : -EIO;
		else if (f != stdout)
			printf("%s: %s (connection %u, %d %s)\n", outs[k].what, outs[k].path, conn, n,
			       outs[k].kind == 3 ? "samples" : "segments");
	}
	if (v->cap.pkts_over || v->cap.events_over)
		printf("capture: %" PRIu64 " packets and %" PRIu64 " events beyond its limit not drawn\n",
		       v->cap.pkts_over, v->cap.events_over);
	return rc;
}

void sim_viz_free(struct sim_viz *v)
{
	if (v->pcap)
		gt_pcap_close(v->pcap);
	if (v->json)
		fclose(v->json);
	v->pcap = NULL;
	v->json = NULL;
	cap_free(&v->cap);
}
