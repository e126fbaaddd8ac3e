/* `glasstcp sim`: two simulated hosts transfer data over an impaired link
 * and close; the report says what TCP did. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#include "sim/scenario.h"
#include "sim/transfer.h"
#include "tools/commands.h"
#include "tools/sim_viz.h"

#define CLIENT_ADDR 0x0a000001u /* 10.0.0.1 */
#define SERVER_ADDR 0x0a000002u /* 10.0.0.2 */
/* With --ipv6 or --mixed the hosts also have 2001:db8::1 and ::2 (RFC 3849). */
static const struct gt_in6_addr client_addr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr server_addr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

struct sim_opts {
	uint64_t bytes;
	uint32_t conns;
	double loss_pct, dup_pct, reorder_pct, corrupt_pct, ce_pct;
	uint32_t ce_queue_pkts;
	int ecn;                 /* -1: the profile's */
	double delay_ms, jitter_ms, bandwidth_mbit;
	uint32_t queue_pkts;
	uint32_t mtu;
	uint64_t seed;
	uint64_t limit_s;
	enum gt_profile profile;
	bool no_time_wait;
	bool counters;
	bool trace;
	uint8_t family;          /* XFER_IPV4, XFER_IPV6, XFER_MIXED */
	bool vs_ipv4;            /* --vs-ipv4: an IPv4 twin first, then the ratio */
	const char *scenario;
	struct sim_viz_opts viz;
	/* --sysctl NAME=VALUE for both stacks, applied in order after the
	 * profile (so either may come first), checked once all are read. */
	const char *sysctl[32];
	uint32_t n_sysctl;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: glasstcp sim [options]\n"
		"  --bytes N        bytes each connection sends (default 1000000)\n"
		"  --conns N        connections (default 1)\n"
		"  --loss PCT       random loss on each direction (default 0)\n"
		"  --delay MS       one-way delay (default 10)\n"
		"  --jitter MS      extra random delay, may reorder (default 0)\n"
		"  --bandwidth MBIT link rate, 0 = unlimited (default 100)\n"
		"  --queue PKTS     link queue limit (default 1000)\n"
		"  --dup PCT        duplication (default 0)\n"
		"  --reorder PCT    packets held back 2 ms (default 0)\n"
		"  --corrupt PCT    one bit flipped (default 0)\n"
		"  --ce PCT         ECN-capable packets marked CE at random (default 0)\n"
		"  --ce-queue PKTS  ECN-capable packets marked CE when the queue holds this many (0: off)\n"
		"  --ecn N          both stacks' ECN (0 off, 1 ask, 2 accept; default the profile's 2)\n"
		"  --mtu N          link and interface MTU (default 1500)\n"
		"  --seed N         the run's one seed (default 1)\n"
		"  --profile NAME   linux or freebsd (default linux)\n"
		"  --sysctl N=V     a tunable of the profile's kernel for both stacks, by its\n"
		"                   sysctl name (repeatable; as glasstcp serve --sysctl)\n"
		"  --time-limit S   give up after S virtual seconds (default 600)\n"
		"  --no-time-wait   stop when the transfer is done, not when TIME_WAIT ends\n"
		"  --ipv6           every connection over IPv6 (2001:db8::1 -> [2001:db8::2]:5001)\n"
		"  --mixed          odd connections over IPv6, even ones over IPv4, and the\n"
		"                   IPv6/IPv4 goodput ratio of the run\n"
		"  --vs-ipv4        with --ipv6: the same run over IPv4 first (same seed, link,\n"
		"                   loss), then the IPv6 one, and their goodput and time ratios\n"
		"  --counters       print every counter of both stacks\n"
		"  --trace          print every trace event (segments, states, timers) to stderr\n"
		"  --scenario NAME  run a named scenario instead (--scenario list names them);\n"
		"                   only --seed and --ipv6 apply to it\n");
	sim_viz_usage(f);
}

static int parse_num(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = v ? strtod(v, &end) : 0;
	if (!v || errno || end == v || *end || d < lo || d > hi) {
		fprintf(stderr, "glasstcp sim: %s wants a number in [%g, %g], got '%s'\n", opt, lo, hi,
			v ? v : "");
		return -1;
	}
	*out = d;
	return 0;
}

/* The --sysctl settings onto cfg, in order; -1 with the cause on stderr. */
static int apply_sysctls(const struct sim_opts *o, struct gt_config *cfg)
{
	for (uint32_t k = 0; k < o->n_sysctl; k++) {
		char err[256];
		if (gt_config_sysctl_arg(cfg, o->profile, o->sysctl[k], err, sizeof(err)) < 0) {
			fprintf(stderr, "glasstcp sim: --sysctl: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static int parse_sim_opts(int argc, char **argv, struct sim_opts *o)
{
	*o = (struct sim_opts){
		.bytes = 1000000, .conns = 1, .delay_ms = 10, .bandwidth_mbit = 100,
		.queue_pkts = 1000, .mtu = 1500, .seed = 1, .limit_s = 600, .ecn = -1,
		.viz = {.to_s = -1},
	};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		double d;
		int r = sim_viz_parse(&o->viz, argc, argv, &i);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--no-time-wait")) {
			o->no_time_wait = true;
			continue;
		} else if (!strcmp(a, "--trace")) {
			o->trace = true;
			continue;
		} else if (!strcmp(a, "--ipv6")) {
			o->family = XFER_IPV6;
			continue;
		} else if (!strcmp(a, "--mixed")) {
			o->family = XFER_MIXED;
			continue;
		} else if (!strcmp(a, "--vs-ipv4")) {
			o->vs_ipv4 = true;
			continue;
		} else if (!strcmp(a, "--counters")) {
			o->counters = true;
			continue;
		} else if (!strcmp(a, "--scenario")) {
			if (!v) {
				fprintf(stderr, "glasstcp sim: --scenario wants a name (or list)\n");
				return -1;
			}
			o->scenario = v;
		} else if (!strcmp(a, "--profile")) {
			if (!v || gt_profile_from_name(v, &o->profile) < 0) {
				fprintf(stderr, "glasstcp sim: --profile wants linux or freebsd\n");
				return -1;
			}
		} else if (!strcmp(a, "--sysctl")) {
			if (!v || !strchr(v, '=') || o->n_sysctl == sizeof(o->sysctl) / sizeof(o->sysctl[0])) {
				fprintf(stderr, "glasstcp sim: --sysctl wants NAME=VALUE (at most %zu)\n",
					sizeof(o->sysctl) / sizeof(o->sysctl[0]));
				return -1;
			}
			o->sysctl[o->n_sysctl++] = v;
		} else if (!strcmp(a, "--bytes")) {
			r = parse_num(a, v, 0, 1e12, &d);
			o->bytes = (uint64_t)d;
		} else if (!strcmp(a, "--conns")) {
			r = parse_num(a, v, 1, 10000, &d);
			o->conns = (uint32_t)d;
		} else if (!strcmp(a, "--loss")) {
			r = parse_num(a, v, 0, 90, &o->loss_pct);
		} else if (!strcmp(a, "--dup")) {
			r = parse_num(a, v, 0, 100, &o->dup_pct);
		} else if (!strcmp(a, "--reorder")) {
			r = parse_num(a, v, 0, 100, &o->reorder_pct);
		} else if (!strcmp(a, "--corrupt")) {
			r = parse_num(a, v, 0, 100, &o->corrupt_pct);
		} else if (!strcmp(a, "--ce")) {
			r = parse_num(a, v, 0, 100, &o->ce_pct);
		} else if (!strcmp(a, "--ce-queue")) {
			r = parse_num(a, v, 0, 1e6, &d);
			o->ce_queue_pkts = (uint32_t)d;
		} else if (!strcmp(a, "--ecn")) {
			r = parse_num(a, v, 0, 2, &d);
			o->ecn = (int)d;
		} else if (!strcmp(a, "--delay")) {
			r = parse_num(a, v, 0, 10000, &o->delay_ms);
		} else if (!strcmp(a, "--jitter")) {
			r = parse_num(a, v, 0, 10000, &o->jitter_ms);
		} else if (!strcmp(a, "--bandwidth")) {
			r = parse_num(a, v, 0, 1e6, &o->bandwidth_mbit);
		} else if (!strcmp(a, "--queue")) {
			r = parse_num(a, v, 0, 1e6, &d);
			o->queue_pkts = (uint32_t)d;
		} else if (!strcmp(a, "--mtu")) {
			r = parse_num(a, v, 576, 65535, &d);
			o->mtu = (uint32_t)d;
		} else if (!strcmp(a, "--seed")) {
			r = parse_num(a, v, 0, 1.8e19, &d);
			o->seed = strtoull(v, NULL, 10);
		} else if (!strcmp(a, "--time-limit")) {
			r = parse_num(a, v, 1, 1e7, &d);
			o->limit_s = (uint64_t)d;
		} else {
			fprintf(stderr, "glasstcp sim: unknown option '%s'\n", a);
			usage(stderr);
			return -1;
		}
		if (r < 0)
			return -1;
		i++;
	}
	struct gt_config probe;
	gt_config_default(&probe, o->profile);
	if (apply_sysctls(o, &probe) < 0)
		return -1;
	if (o->vs_ipv4 && o->family != XFER_IPV6) {
		fprintf(stderr, "glasstcp sim: --vs-ipv4 compares an --ipv6 run with its IPv4 twin\n");
		return -1;
	}
	return 0;
}

static void fmt_thousands(char *buf, size_t n, uint64_t v)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
}

static double secs(uint64_t us) { return (double)us / 1e6; }

static void print_states(const char *who, const struct xfer_state_log *l)
{
	printf("  %-10s", who);
	for (uint8_t i = 0; i < l->n; i++) {
		if (i == 0)
			printf(" %s", gt_tcp_state_name(l->state[i]));
		else
			printf(" -> %s @%.3f", gt_tcp_state_name(l->state[i]), secs(l->at_us[i]));
	}
	printf("\n");
}

static void print_conn(const struct xfer *x, uint32_t i)
{
	const struct xfer_conn *c = &x->conns[i];
	char b1[32], b2[32];
	if (c->v6)
		printf("connection %u: [2001:db8::1]:%u -> [2001:db8::2]:%u\n", i + 1, c->cport,
		       x->cfg.port);
	else
		printf("connection %u: 10.0.0.1:%u -> 10.0.0.2:%u\n", i + 1, c->cport, x->cfg.port);
	if (c->t_established_us)
		printf("  handshake  SYN sent @%.3f s, established @%.3f s (%.1f ms)\n",
		       secs(c->t_connect_us), secs(c->t_established_us),
		       (double)(c->t_established_us - c->t_connect_us) / 1e3);
	else
		printf("  handshake  never completed\n");
	fmt_thousands(b1, sizeof(b1), c->sent);
	fmt_thousands(b2, sizeof(b2), c->received);
	const char *verdict = c->bad_offset != UINT64_MAX ? "CORRUPTED" : c->received == x->cfg.bytes ? "intact" : "INCOMPLETE";
	printf("  data       %s bytes sent, %s received, %s\n", b1, b2, verdict);
	if (c->bad_offset != UINT64_MAX)
		printf("  error      first wrong byte at offset %" PRIu64 "\n", c->bad_offset);
	if (c->t_received_us > c->t_established_us && c->t_established_us) {
		double t = secs(c->t_received_us - c->t_established_us);
		printf("  goodput    %.3f Mbit/s over %.3f s of virtual time\n",
		       (double)c->received * 8 / t / 1e6, t);
	}
	const struct gt_tcp_info *ti = &c->client_info;
	printf("  sender     %" PRIu64 " retransmitted segments (%" PRIu64 " fast retransmits, %" PRIu64
	       " timeouts); srtt %.1f ms, rto %.0f ms, mss %u, cwnd %u B at close\n",
	       c->client_retrans, c->client_fast_retrans, c->client_rtos, (double)ti->srtt_us / 1e3,
	       (double)ti->rto_us / 1e3, ti->snd_mss, ti->snd_cwnd_bytes);
	print_states("client", &c->client);
	print_states("server", &c->server);
	if (c->tw_holder < 0)
		printf("  TIME_WAIT  held by nobody\n");
	else if (c->t_tw_exit_us)
		printf("  TIME_WAIT  held by the %s (the active closer) from %.3f s to %.3f s: %.3f s\n",
		       c->tw_holder ? "server" : "client", secs(c->t_tw_enter_us), secs(c->t_tw_exit_us),
		       secs(c->t_tw_exit_us - c->t_tw_enter_us));
	else
		printf("  TIME_WAIT  held by the %s (the active closer) since %.3f s\n",
		       c->tw_holder ? "server" : "client", secs(c->t_tw_enter_us));
	if (c->error)
		printf("  error      %s\n", strerror(-c->error));
}

/* Goodput of a connection in bit/s, 0 if it delivered nothing. */
static double goodput_bps(const struct xfer_conn *c)
{
	if (!c->t_established_us || c->t_received_us <= c->t_established_us)
		return 0;
	return (double)c->received * 8 / secs(c->t_received_us - c->t_established_us);
}

/* --mixed: the mean goodput of each family and their ratio, one run. */
static void print_family_ratio(const struct xfer *x)
{
	double sum[2] = {0, 0};
	uint32_t n[2] = {0, 0};
	for (uint32_t i = 0; i < x->cfg.conns; i++) {
		int f = x->conns[i].v6;
		sum[f] += goodput_bps(&x->conns[i]);
		n[f]++;
	}
	if (!n[0] || !n[1] || !sum[0]) {
		printf("\nfamilies   the ratio needs connections of both (--conns 2 or more)\n");
		return;
	}
	double v4 = sum[0] / n[0], v6 = sum[1] / n[1];
	printf("\nfamilies   IPv4 %u connection%s, mean goodput %.3f Mbit/s; IPv6 %u, %.3f Mbit/s; "
	       "IPv6 / IPv4 = %.3f\n",
	       n[0], n[0] == 1 ? "" : "s", v4 / 1e6, n[1], v6 / 1e6, v6 / v4);
}

static void print_link(gt_sim *sim, int a, int b, const char *name)
{
	struct gt_link_stats ls;
	if (gt_sim_link_stats(sim, a, b, &ls) < 0)
		return;
	printf("  %-17s %8" PRIu64 " sent %8" PRIu64 " delivered %6" PRIu64 " lost %5" PRIu64
	       " queue-dropped %5" PRIu64 " duplicated %5" PRIu64 " reordered %5" PRIu64 " corrupted\n",
	       name, ls.sent, ls.delivered, ls.lost, ls.queue_drops, ls.duplicated, ls.reordered,
	       ls.corrupted);
}

static void print_counter(void *ctx, const char *name, uint64_t v, const char *desc)
{
	(void)ctx;
	(void)desc;
	if (v)
		printf("    %-24s %12" PRIu64 "\n", name, v);
}

static void print_key_counters(const char *who, gt_stack *s)
{
	const struct gt_stats *st = gt_stack_stats(s);
	struct gt_gauges g;
	gt_stack_gauges(s, &g);
	printf("  %-7s ActiveOpens %" PRIu64 ", PassiveOpens %" PRIu64 ", OutSegs %" PRIu64
	       ", RetransSegs %" PRIu64 ", InErrs %" PRIu64 ", OutRsts %" PRIu64 ", TW %" PRIu64
	       ", TWExpired %" PRIu64 "; TIME_WAIT now %u (peak %u)\n",
	       who, st->TcpActiveOpens, st->TcpPassiveOpens, st->TcpOutSegs, st->TcpRetransSegs,
	       st->TcpInErrs, st->TcpOutRsts, st->TW, st->TWExpired, g.timewait, g.timewait_peak);
}

static int run_scenario(const struct sim_opts *o)
{
	if (!strcmp(o->scenario, "list")) {
		scen_list(stdout);
		return 0;
	}
	struct scen_result r;
	int err = scen_run_family(o->scenario, o->seed, o->family == XFER_IPV6, stdout, &r);
	if (err == -ENOENT) {
		fprintf(stderr, "glasstcp sim: no scenario '%s'\n", o->scenario);
		scen_list(stderr);
		return 2;
	}
	if (err < 0) {
		fprintf(stderr, "glasstcp sim: scenario %s failed to run: %s\n", o->scenario,
			strerror(-err));
		return 1;
	}
	printf("\nresult: %s\n", r.ok ? "OK (the figures are as the explanation says)"
				     : "UNEXPECTED (the figures differ from the explanation)");
	return r.ok ? 0 : 1;
}

/* The two hosts on the link the options describe, with the IPv6
 * addresses too unless family is IPv4; NULL (said on stderr) on failure. */
static gt_sim *make_world(const struct sim_opts *o, uint8_t family, struct gt_config *cfg,
			  gt_stack **client, int *ch, gt_stack **server, int *sh)
{
	gt_sim *sim = gt_sim_new(o->seed);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = (uint64_t)(o->delay_ms * 1000);
	lc.jitter_us = (uint64_t)(o->jitter_ms * 1000);
	lc.bandwidth_bps = (uint64_t)(o->bandwidth_mbit * 1e6);
	lc.queue_limit_pkts = o->queue_pkts;
	lc.mtu = o->mtu;
	lc.loss = o->loss_pct / 100;
	lc.duplicate = o->dup_pct / 100;
	lc.reorder = o->reorder_pct / 100;
	lc.reorder_us = 2000;
	lc.corrupt = o->corrupt_pct / 100;
	lc.ce_mark = o->ce_pct / 100;
	lc.ce_queue_pkts = o->ce_queue_pkts;
	gt_sim_set_default_link(sim, &lc);
	gt_config_default(cfg, o->profile);
	if (apply_sysctls(o, cfg) < 0) /* checked when parsed: cannot fail here */
		abort();
	if (o->ecn >= 0)
		cfg->ecn = (uint8_t)o->ecn;
	*ch = gt_sim_add_stack(sim, cfg, CLIENT_ADDR, 24, (uint16_t)o->mtu, client);
	*sh = gt_sim_add_stack(sim, cfg, SERVER_ADDR, 24, (uint16_t)o->mtu, server);
	if (*ch >= 0 && *sh >= 0 && family != XFER_IPV4) {
		int e = gt_sim_add_ipv6(sim, *ch, &client_addr6, 64);
		if (e == 0)
			e = gt_sim_add_ipv6(sim, *sh, &server_addr6, 64);
		if (e < 0)
			*ch = e;
	}
	if (*ch < 0 || *sh < 0) {
		fprintf(stderr, "glasstcp sim: cannot create the hosts: %s\n",
			strerror(-(*ch < 0 ? *ch : *sh)));
		gt_sim_free(sim);
		return NULL;
	}
	return sim;
}

/* One family's figures for --vs-ipv4: mean goodput over the connections
 * and the virtual time at which the last byte arrived. */
struct family_run {
	double goodput_bps;
	uint64_t done_us, retrans;
	uint32_t ok;
};

static void family_figures(const struct xfer *x, struct family_run *f)
{
	double sum = 0;
	for (uint32_t i = 0; i < x->cfg.conns; i++) {
		sum += goodput_bps(&x->conns[i]);
		if (x->conns[i].t_received_us > f->done_us)
			f->done_us = x->conns[i].t_received_us;
		f->ok += xfer_conn_ok(x, i);
	}
	f->goodput_bps = sum / x->cfg.conns;
}

/* --vs-ipv4: the IPv4 twin of the run, on a world of its own built from the
 * same options and seed (the loss draws then differ where the packets do:
 * IPv6 segments are 20 bytes longer and carry 20 bytes less). */
static int run_ipv4_twin(const struct sim_opts *o, struct family_run *f)
{
	struct gt_config cfg;
	gt_stack *client, *server;
	int ch, sh;
	gt_sim *sim = make_world(o, XFER_IPV4, &cfg, &client, &ch, &server, &sh);
	if (!sim)
		return -1;
	struct xfer_config xc = {
		.bytes = o->bytes, .conns = o->conns, .port = 5001, .chunk_bytes = 16384,
		.limit_us = o->limit_s * 1000000ull, .wait_time_wait = !o->no_time_wait,
		.family = XFER_IPV4,
	};
	struct xfer x;
	int r = xfer_init(&x, &xc, sim, client, ch, CLIENT_ADDR, server, sh, SERVER_ADDR);
	if (r < 0) {
		fprintf(stderr, "glasstcp sim: IPv4 twin setup failed: %s\n", strerror(-r));
		gt_sim_free(sim);
		return -1;
	}
	xfer_run(&x);
	family_figures(&x, f);
	f->retrans = gt_stack_stats(client)->TcpRetransSegs;
	xfer_free(&x);
	gt_sim_free(sim);
	return 0;
}

int cmd_sim(int argc, char **argv)
{
	struct sim_opts o;
	if (parse_sim_opts(argc, argv, &o) < 0)
		return 2;
	if (o.scenario)
		return run_scenario(&o);
	struct gt_config cfg;
	gt_stack *client, *server;
	int ch, sh;
	struct family_run v4 = {0};
	if (o.vs_ipv4 && run_ipv4_twin(&o, &v4) < 0)
		return 1;
	gt_sim *sim = make_world(&o, o.family, &cfg, &client, &ch, &server, &sh);
	if (!sim)
		return 1;
	struct xfer_config xc = {
		.bytes = o.bytes, .conns = o.conns, .port = 5001, .chunk_bytes = 16384,
		.limit_us = o.limit_s * 1000000ull, .wait_time_wait = !o.no_time_wait,
		.trace_file = o.trace ? stderr : NULL, .family = o.family,
		.server_addr6 = server_addr6,
	};
	struct xfer x;
	struct sim_viz viz;
	int r = sim_viz_start(&viz, &o.viz, sim, client, ch, CLIENT_ADDR, server, sh, SERVER_ADDR, &xc);
	if (r == 0)
		r = xfer_init(&x, &xc, sim, client, ch, CLIENT_ADDR, server, sh, SERVER_ADDR);
	else
		memset(&x, 0, sizeof(x));
	if (r < 0) {
		fprintf(stderr, "glasstcp sim: setup failed: %s\n", strerror(-r));
		xfer_free(&x);
		sim_viz_free(&viz);
		gt_sim_free(sim);
		return 1;
	}
	char bytes[32];
	fmt_thousands(bytes, sizeof(bytes), o.bytes);
	static const char *const fam[] = {
		"client 10.0.0.1 -> server 10.0.0.2:5001",
		"client 2001:db8::1 -> server [2001:db8::2]:5001",
		"IPv4 and IPv6 in turn, client 10.0.0.1 / 2001:db8::1 -> server 10.0.0.2 / [2001:db8::2]:5001",
	};
	printf("glasstcp sim: %u connection%s x %s bytes, %s, seed %" PRIu64 ", profile %s\n",
	       o.conns, o.conns == 1 ? "" : "s", bytes, fam[o.family], o.seed,
	       gt_profile_name(o.profile));
	printf("link (each way): delay %.1f ms, jitter %.1f ms, %s%.1f Mbit/s, queue %u pkts, MTU %u, "
	       "loss %.2f%%, dup %.2f%%, reorder %.2f%%, corrupt %.2f%%\n\n",
	       o.delay_ms, o.jitter_ms, o.bandwidth_mbit ? "" : "unlimited ", o.bandwidth_mbit,
	       o.queue_pkts, o.mtu, o.loss_pct, o.dup_pct, o.reorder_pct, o.corrupt_pct);
	if (o.ce_pct > 0 || o.ce_queue_pkts)
		printf("ECN marks (each way): CE on %.2f%% of ECN-capable packets, and on each once %u are "
		       "queued; stacks' ecn %u\n\n", o.ce_pct, o.ce_queue_pkts, cfg.ecn);
	bool ok = xfer_run(&x);
	for (uint32_t i = 0; i < o.conns; i++) {
		if (o.conns <= 8 || !xfer_conn_ok(&x, i))
			print_conn(&x, i);
	}
	uint32_t good = 0;
	for (uint32_t i = 0; i < o.conns; i++)
		good += xfer_conn_ok(&x, i);
	if (o.family == XFER_MIXED)
		print_family_ratio(&x);
	if (o.vs_ipv4) {
		struct family_run v6 = {0};
		family_figures(&x, &v6);
		v6.retrans = gt_stack_stats(client)->TcpRetransSegs;
		printf("\nfamilies   IPv4 twin (same seed, link and loss, a run of its own): %u of %u "
		       "intact, mean goodput %.3f Mbit/s, last byte at %.3f s, %" PRIu64
		       " retransmitted segments\n",
		       v4.ok, o.conns, v4.goodput_bps / 1e6, secs(v4.done_us), v4.retrans);
		printf("           IPv6 (this run): %u of %u intact, mean goodput %.3f Mbit/s, last "
		       "byte at %.3f s, %" PRIu64 " retransmitted segments\n",
		       v6.ok, o.conns, v6.goodput_bps / 1e6, secs(v6.done_us), v6.retrans);
		printf("           IPv6 / IPv4: goodput %.3f, time to the last byte %.3f\n",
		       v4.goodput_bps > 0 ? v6.goodput_bps / v4.goodput_bps : 0,
		       v4.done_us ? (double)v6.done_us / (double)v4.done_us : 0);
		if (v4.ok != o.conns)
			ok = false;
	}
	printf("\nlinks\n");
	print_link(sim, ch, sh, "client -> server");
	print_link(sim, sh, ch, "server -> client");
	printf("counters\n");
	print_key_counters("client", client);
	print_key_counters("server", server);
	if (o.counters) {
		printf("  all counters, client:\n");
		gt_stats_foreach(gt_stack_stats(client), print_counter, NULL);
		printf("  all counters, server:\n");
		gt_stats_foreach(gt_stack_stats(server), print_counter, NULL);
	}
	printf("\nvirtual time at end: %.3f s\n", secs(gt_sim_now(sim)));
	char sub[200];
	snprintf(sub, sizeof(sub), "glasstcp sim, seed %" PRIu64 ", %s profile: delay %.1f ms, loss %.2f%%, %.1f Mbit/s, %s bytes",
		 o.seed, gt_profile_name(o.profile), o.delay_ms, o.loss_pct, o.bandwidth_mbit, bytes);
	if (sim_viz_finish(&viz, &x, sim, sub) < 0)
		ok = false;
	sim_viz_free(&viz);
	printf("result: %s (%u of %u connections delivered every byte intact and closed)\n",
	       ok ? "OK" : "FAILED", good, o.conns);
	xfer_free(&x);
	gt_sim_free(sim);
	return ok ? 0 : 1;
}

