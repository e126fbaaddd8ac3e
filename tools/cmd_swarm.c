/* `glasstcp swarm`: runs a range of seeds of the swarm simulation
 * (sim/swarm.h) and prints each failure with the command that reproduces
 * it. With --jobs, worker processes share the range; a worker that crashes
 * (an assertion in the core) is reported with its seed and replaced. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/swarm.h"
#include "tools/commands.h"

#define MAX_JOBS 64
#define MAX_LISTED 32

struct swarm_cli {
	uint64_t seeds, first;
	bool verbose;
	unsigned jobs;
	const char *goodput_log;
	double goodput_floor;  /* 0: the swarm's default; < 0: never fail */
	uint32_t plan;         /* 0: SWARM_PLAN */
	enum swarm_workload workload; /* --workload: a shape asked for */
	enum swarm_profile profile;   /* --profile: every host's, or mixed */
	bool digest;           /* a line per seed: its digest (swarm_opts.digest) */
	bool list_verdicts;    /* a line per side not clean (swarm_result.listed) */
	bool exact_timers;     /* swarm_opts.exact_timers */
};

static FILE *goodput_log;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: glasstcp swarm [options]\n"
		"  --seeds N        how many seeds to run (default 100)\n"
		"  --first-seed S   the first seed (default 1)\n"
		"  --verbose        print the plan, every app action, state change and segment\n"
		"  --jobs J         run in J worker processes (default 1)\n"
		"  --goodput-log F  a line per measured transfer (conditions, model, ratio) to F\n"
		"  --goodput-floor X  fail a transfer below X times its model (default %g;\n"
		"                   0: measure and report, never fail)\n"
		"  --plan V         draw what plan version V drew (1..%u, default %u): a kept\n"
		"                   seed's network, workload and injections of its time\n"
		"  --workload NAME  ask each seed's plan for a workload shape that makes a\n"
		"                   rare event happen (sim/swarm.h): blind-reset,\n"
		"                   lowat-trickle, old-tcb-reset, kept-sliver,\n"
		"                   late-cookie, persist-floor, held-past-fin,\n"
		"                   held-past-fin-linux, old-tcb-lost, reuse-half-open,\n"
		"                   own-refused;\n"
		"                   default random, none\n"
		"  --profile NAME   every host linux or freebsd, or mixed (the default: each\n"
		"                   host's profile drawn by the seed, as in every run before)\n"
		"  --digest         a line per seed with a hash of every packet's fate and the\n"
		"                   end-of-seed counters: the same before and after a change\n"
		"                   that should change nothing (with --jobs, sort the lines)\n"
		"  --exact-timers   Linux hosts' timers off Linux's timer wheel, as before\n"
		"                   session 34: to replay a seed found then\n"
		"  --list-verdicts  a line per side judged other than clean, and per transfer\n"
		"                   a kept sliver excused: 'verdict: seed S plan P conn C\n"
		"                   client|server NAME' (grep a range run with --jobs for NAME),\n"
		"                   'resumed: seed S plan P conn C, N times' where a\n"
		"                   connection came back during the heal and the work resumed,\n"
		"                   and 'half-open: seed S plan P conn C client|server RULE'\n"
		"                   for the rule that explained a side closed half-open\n"
		"Each seed picks a random network and workload; a failure prints its seed and\n"
		"the command that reproduces it. Exit status 0 only when every seed is clean.\n",
		SWARM_GOODPUT_FLOOR, SWARM_PLAN, SWARM_PLAN);
}

static int parse_u64(const char *opt, const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long x = v ? strtoull(v, &end, 10) : 0;
	if (!v || errno || end == v || *end || v[0] == '-') {
		fprintf(stderr, "glasstcp swarm: %s wants a number, got '%s'\n", opt, v ? v : "");
		return -1;
	}
	*out = x;
	return 0;
}

/* A number in lo..hi. */
static int parse_range(const char *opt, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (parse_u64(opt, v, out) < 0 || *out < lo || *out > hi) {
		fprintf(stderr, "glasstcp swarm: %s wants %" PRIu64 "..%" PRIu64 "\n", opt, lo, hi);
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, struct swarm_cli *o)
{
	*o = (struct swarm_cli){.seeds = 100, .first = 1, .jobs = 1};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t x;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(a, "--seeds")) {
			if (parse_u64(a, v, &o->seeds) < 0)
				return -1;
			i++;
		} else if (!strcmp(a, "--first-seed")) {
			if (parse_u64(a, v, &o->first) < 0)
				return -1;
			i++;
		} else if (!strcmp(a, "--jobs")) {
			if (parse_range(a, v, 1, MAX_JOBS, &x) < 0)
				return -1;
			o->jobs = (unsigned)x;
			i++;
		} else if (!strcmp(a, "--verbose")) {
			o->verbose = true;
		} else if (!strcmp(a, "--digest")) {
			o->digest = true;
		} else if (!strcmp(a, "--exact-timers")) {
			o->exact_timers = true;
		} else if (!strcmp(a, "--list-verdicts")) {
			o->list_verdicts = true;
		} else if (!strcmp(a, "--goodput-log") && v) {
			o->goodput_log = v;
			i++;
		} else if (!strcmp(a, "--goodput-floor")) {
			char *end;
			double f = v ? strtod(v, &end) : -1;
			if (!v || end == v || *end || !(f >= 0 && f <= 1)) {
				fprintf(stderr, "glasstcp swarm: --goodput-floor wants 0..1\n");
				return -1;
			}
			o->goodput_floor = f > 0 ? f : -1;
			i++;
		} else if (!strcmp(a, "--workload")) {
			int k = 0;
			while (v && swarm_workload_name(k) && strcmp(v, swarm_workload_name(k)))
				k++;
			if (!v || !swarm_workload_name(k)) {
				fprintf(stderr, "glasstcp swarm: --workload wants a shape (try --help), got "
						"'%s'\n", v ? v : "");
				return -1;
			}
			o->workload = (enum swarm_workload)k;
			i++;
		} else if (!strcmp(a, "--profile")) {
			int k = 0;
			while (v && swarm_profile_name(k) && strcmp(v, swarm_profile_name(k)))
				k++;
			if (!v || !swarm_profile_name(k)) {
				fprintf(stderr, "glasstcp swarm: --profile wants linux, freebsd or mixed, "
						"got '%s'\n", v ? v : "");
				return -1;
			}
			o->profile = (enum swarm_profile)k;
			i++;
		} else if (!strcmp(a, "--plan")) {
			if (parse_range(a, v, 1, SWARM_PLAN, &x) < 0)
				return -1;
			o->plan = (uint32_t)x;
			i++;
		} else {
			fprintf(stderr, "glasstcp swarm: unknown option '%s' (try --help)\n", a);
			return -1;
		}
	}
	enum swarm_profile shaped = swarm_workload_profile(o->workload);
	if (o->profile != SWARM_P_MIXED && shaped != SWARM_P_MIXED && shaped != o->profile) {
		fprintf(stderr, "glasstcp swarm: --profile %s: the workload %s makes every host %s\n",
			swarm_profile_name(o->profile), swarm_workload_name(o->workload),
			swarm_profile_name(shaped));
		return -1;
	}
	return 0;
}

/* ---- a crash inside a seed still names the seed ---- */

static volatile uint64_t current_seed;
static volatile uint32_t current_plan;
static const char *volatile current_workload = ""; /* " --workload NAME --profile P", or "" */
static volatile bool current_exact_timers;          /* --exact-timers */

static size_t u64_text(uint64_t v, char *out)
{
	char tmp[24];
	size_t n = 0, k = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[k++] = tmp[--n];
	return k;
}

static void on_crash(int sig)
{
	/* Async-signal-safe: write(2) of text built by hand. */
	char buf[256];
	size_t n = 0;
	const char *a = "swarm: seed ";
	const char *b = " FAILED: crashed (assertion or signal)\n  reproduce: glasstcp swarm --seeds 1 --first-seed ";
	const char *p = " --plan ";
	const char *c = current_exact_timers ? " --exact-timers --verbose\n" : " --verbose\n";
	const char *wl = current_workload;
	uint64_t seed = current_seed;
	memcpy(buf + n, a, strlen(a));
	n += strlen(a);
	n += u64_text(seed, buf + n);
	memcpy(buf + n, b, strlen(b));
	n += strlen(b);
	n += u64_text(seed, buf + n);
	memcpy(buf + n, p, strlen(p));
	n += strlen(p);
	n += u64_text(current_plan, buf + n);
	memcpy(buf + n, wl, strlen(wl));
	n += strlen(wl);
	memcpy(buf + n, c, strlen(c));
	n += strlen(c);
	ssize_t r = write(STDOUT_FILENO, buf, n);
	(void)r;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_crash_handler(void)
{
	signal(SIGABRT, on_crash);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);
}

/* What a seed reports to the tally (through a worker's pipe: one write). */
struct record {
	uint64_t seed;
	uint32_t ok;
	uint32_t measured;
	float ratio[SWARM_MAX_MEASURED];
	struct gt_stats stats;  /* the seed's hosts' counters, summed */
	uint32_t verdicts[SWARM_V_COUNT];
	uint32_t half_open_by[SWARM_HO_COUNT]; /* sides closed half-open, by rule */
	uint32_t dims[SWARM_D_COUNT];
};

/* " workload NAME" for a shape asked for (or " --workload NAME"), then
 * " profile P" (" --profile P") for hosts not mixed; "" for neither, so a
 * default run's lines are as they were. */
static const char *workload_text(enum swarm_workload wl, enum swarm_profile pr, bool option)
{
	static char buf[2][96];
	const char *dash = option ? "--" : "";
	buf[option][0] = 0;
	if (wl != SWARM_W_RANDOM)
		snprintf(buf[option], sizeof(buf[option]), " %sworkload %s", dash,
			 swarm_workload_name(wl));
	if (pr != SWARM_P_MIXED) {
		size_t n = strlen(buf[option]);
		snprintf(buf[option] + n, sizeof(buf[option]) - n, " %sprofile %s", dash,
			 swarm_profile_name(pr));
	}
	return buf[option];
}

/* --list-verdicts: one seed's lines, in the order it judged them. */
static void print_listed(uint64_t seed, const struct swarm_result *r)
{
	const char *wl = workload_text(r->workload, r->profile, false);
	for (uint32_t i = 0; i < r->nlisted; i++)
		printf("verdict: seed %" PRIu64 " plan %u%s conn %u %s %s\n", seed, r->plan, wl,
		       r->listed[i].conn, r->listed[i].client ? "client" : "server",
		       swarm_listed_name(r->listed[i].what));
	/* Not a verdict either: the rule of half_open_unexplained() that
	 * explained each side closed half-open (enum swarm_half_open_rule),
	 * listed so a range can be searched for a kept seed's rule. */
	for (uint32_t i = 0; i < r->nlisted; i++)
		if (r->listed[i].half_open != SWARM_HO_NONE)
			printf("half-open: seed %" PRIu64 " plan %u%s conn %u %s %s\n", seed, r->plan,
			       wl, r->listed[i].conn, r->listed[i].client ? "client" : "server",
			       swarm_half_open_rule_name(r->listed[i].half_open));
	/* Not a side's verdict: the rule that resumed the work for a
	 * connection back during the heal (docs/swarm.md, "resumes the
	 * work"), listed so a range can be searched for it. */
	if (r->work_resumed)
		printf("resumed: seed %" PRIu64 " plan %u%s conn %u, %u times\n", seed, r->plan, wl,
		       r->resumed_conn, r->work_resumed);
	if (r->listed_over)
		printf("verdict: seed %" PRIu64 " plan %u%s: %u more not listed\n", seed, r->plan,
		       wl, r->listed_over);
}

static void run_one(uint64_t seed, const struct swarm_cli *cli, struct record *rec)
{
	struct swarm_result r;
	bool verbose = cli->verbose;
	struct swarm_opts o = {.trace = verbose ? stdout : NULL, .goodput_log = goodput_log,
			       .goodput_floor = cli->goodput_floor, .plan = cli->plan,
			       .workload = cli->workload, .profile = cli->profile,
			       .digest = cli->digest, .exact_timers = cli->exact_timers};
	current_seed = seed;
	current_plan = cli->plan ? cli->plan : SWARM_PLAN;
	current_workload = workload_text(cli->workload, cli->profile, true);
	current_exact_timers = cli->exact_timers;
	bool ok = swarm_run(seed, &o, &r);
	if (goodput_log)
		fflush(goodput_log);
	*rec = (struct record){.seed = seed, .ok = ok, .measured = r.measured, .stats = r.stats};
	memcpy(rec->ratio, r.ratio, sizeof(rec->ratio));
	memcpy(rec->verdicts, r.verdicts, sizeof(rec->verdicts));
	memcpy(rec->half_open_by, r.half_open_by, sizeof(rec->half_open_by));
	memcpy(rec->dims, r.dims, sizeof(rec->dims));
	if (!ok) {
		char floor[48] = "";
		if (cli->goodput_floor)
			snprintf(floor, sizeof(floor), " --goodput-floor %g",
				 cli->goodput_floor > 0 ? cli->goodput_floor : 0.0);
		printf("swarm: seed %" PRIu64 " FAILED at %.6f s: %s\n"
		       "  reproduce: glasstcp swarm --seeds 1 --first-seed %" PRIu64 " --plan %u%s%s%s "
		       "--verbose\n",
		       seed, (double)r.fail_at_us / 1e6, r.why, seed, r.plan,
		       workload_text(r.workload, r.profile, true), floor,
		       cli->exact_timers ? " --exact-timers" : "");
	} else if (verbose) {
		printf("swarm: seed %" PRIu64 " clean: %u hosts, %u connections (%u clean, %u reset, "
		       "%u half-open), %" PRIu64 " bytes delivered, %" PRIu64 " events; healed at "
		       "%.3f s, finished at %.3f s, empty at %.3f s\n", seed, r.hosts, r.conns,
		       r.conns_clean, r.conns_reset, r.half_open, r.bytes, r.events,
		       (double)r.heal_us / 1e6, (double)r.finish_us / 1e6, (double)r.end_us / 1e6);
	}
	if (cli->list_verdicts)
		print_listed(seed, &r);
	if (cli->digest)
		printf("swarm: seed %" PRIu64 " plan %u digest %016" PRIx64 " %s\n", seed, r.plan,
		       r.digest, ok ? "clean" : "failed");
	fflush(stdout);
}

/* ---- workers ---- */

struct worker {
	pid_t pid;
	int fd;
	uint64_t next;  /* the next seed it will run */
	bool live;
};

struct tally {
	uint64_t clean, failed;
	uint64_t listed[MAX_LISTED];
	unsigned nlisted;
	/* Goodput: every measured/model ratio, and the seed of the lowest. */
	float *ratio;
	size_t nratio, ratio_cap;
	uint64_t lowest_seed;
	/* Coverage (issue 15): for each counter, the seeds where some host
	 * counted it at least once. */
	uint64_t seen[sizeof(struct gt_stats) / sizeof(uint64_t)];
	uint64_t dims_seen[SWARM_D_COUNT];
	uint64_t verdicts[SWARM_V_COUNT]; /* sides, summed over seeds */
	uint64_t half_open_by[SWARM_HO_COUNT]; /* sides closed half-open, by rule */
};

static void tally_stats(struct tally *t, const struct record *rec)
{
	const uint64_t *v = (const uint64_t *)&rec->stats;
	for (size_t i = 0; i < sizeof(t->seen) / sizeof(t->seen[0]); i++)
		t->seen[i] += v[i] != 0;
	for (int d = 0; d < SWARM_D_COUNT; d++)
		t->dims_seen[d] += rec->dims[d] != 0;
	for (int v2 = 0; v2 < SWARM_V_COUNT; v2++)
		t->verdicts[v2] += rec->verdicts[v2];
	for (int h = 0; h < SWARM_HO_COUNT; h++)
		t->half_open_by[h] += rec->half_open_by[h];
}

struct coverage {
	const struct tally *t;
	size_t i, col;
};

/* TcpCurrEstab is a gauge (RFC 4022's tcpCurrEstab), read at the end of a
 * seed, when every connection is closed: 0 by design in a clean seed, so
 * its cell says '=' (seeds that ended with one established, which only a
 * failed seed does) and it is not among the counters a run should reach. */
static bool coverage_gauge(const char *name)
{
	return strcmp(name, "TcpCurrEstab") == 0;
}

static void coverage_cell(struct coverage *c, const char *name, uint64_t n)
{
	printf("  %-24s %7" PRIu64 "%s", name, n, coverage_gauge(name) ? "=" : n ? " " : "!");
	if (++c->col % 3 == 0)
		printf("\n");
}

static void coverage_counter(void *ctx, const char *name, uint64_t v, const char *desc)
{
	(void)v;
	(void)desc;
	struct coverage *c = ctx;
	coverage_cell(c, name, c->t->seen[c->i++]);
}

/* The coverage table (issue 15): for every stack counter and every
 * dimension of the workload, how many seeds of the run counted it at
 * least once; '!' marks what no seed reached. Then how the sides were
 * judged, and the rule that explained each side closed half-open (the
 * "half-open:" lines of --list-verdicts, totalled: their sum is the
 * verdicts half-open-closed and cookie-after-rst). */
static void print_coverage(const struct tally *t, size_t seeds)
{
	struct gt_stats names;
	memset(&names, 0, sizeof(names));
	size_t total = sizeof(t->seen) / sizeof(t->seen[0]), hit = 0;
	for (size_t i = 0; i < total; i++)
		hit += t->seen[i] != 0;
	/* Less the gauge (coverage_gauge()), at its place in the table. */
	size_t gauge = offsetof(struct gt_stats, TcpCurrEstab) / sizeof(uint64_t);
	hit -= t->seen[gauge] != 0;
	total--;
	size_t dhit = 0;
	for (int d = 0; d < SWARM_D_COUNT; d++)
		dhit += t->dims_seen[d] != 0;
	printf("coverage: seeds (of %zu) that counted each; %zu of %zu counters (TcpCurrEstab, a "
	       "gauge read at the end, apart: '='), %zu of %d workload dimensions\n", seeds, hit,
	       total, dhit, SWARM_D_COUNT);
	struct coverage c = {.t = t};
	gt_stats_foreach(&names, coverage_counter, &c);
	for (int d = 0; d < SWARM_D_COUNT; d++)
		coverage_cell(&c, swarm_dim_name(d), t->dims_seen[d]);
	if (c.col % 3)
		printf("\n");
	printf("verdicts (sides):");
	for (int v = 0; v < SWARM_V_COUNT; v++)
		if (t->verdicts[v])
			printf(" %s %" PRIu64, swarm_verdict_name(v), t->verdicts[v]);
	printf("\n");
	printf("half-open (sides, by rule):");
	for (int h = 0; h < SWARM_HO_COUNT; h++)
		if (t->half_open_by[h])
			printf(" %s %" PRIu64, swarm_half_open_rule_name(h), t->half_open_by[h]);
	printf("\n");
}

static void tally_ratios(struct tally *t, const struct record *rec)
{
	uint32_t n = rec->measured < SWARM_MAX_MEASURED ? rec->measured : SWARM_MAX_MEASURED;
	if (t->nratio + n > t->ratio_cap) {
		size_t cap = (t->nratio + n) * 2 + 1024;
		float *v = realloc(t->ratio, cap * sizeof(*v));
		if (!v)
			return;
		t->ratio = v;
		t->ratio_cap = cap;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (!t->nratio || rec->ratio[i] < t->ratio[0]) {
			/* The lowest first, so its seed can be named. */
			t->ratio[t->nratio++] = t->ratio[0];
			t->ratio[0] = rec->ratio[i];
			t->lowest_seed = rec->seed;
		} else {
			t->ratio[t->nratio++] = rec->ratio[i];
		}
	}
}

static void tally_add(struct tally *t, uint64_t seed, bool ok)
{
	if (ok) {
		t->clean++;
		return;
	}
	t->failed++;
	if (t->nlisted < MAX_LISTED)
		t->listed[t->nlisted++] = seed;
}

static void worker_start(struct worker *wk, uint64_t from, uint64_t end, unsigned stride,
			 const struct swarm_cli *cli)
{
	int p[2];
	wk->live = false;
	wk->next = from;
	if (from >= end)
		return;
	if (pipe(p) < 0) {
		perror("pipe");
		exit(2);
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(p[0]);
		for (uint64_t s = from; s < end; s += stride) {
			struct record rec;
			run_one(s, cli, &rec);
			if (write(p[1], &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
				_exit(3);
		}
		_exit(0);
	}
	close(p[1]);
	wk->pid = pid;
	wk->fd = p[0];
	wk->live = true;
}

static void run_parallel(const struct swarm_cli *o, struct tally *t)
{
	struct worker wk[MAX_JOBS];
	uint64_t end = o->first + o->seeds;
	unsigned stride = o->jobs;
	for (unsigned j = 0; j < stride; j++)
		worker_start(&wk[j], o->first + j, end, stride, o);
	for (;;) {
		struct pollfd pf[MAX_JOBS];
		unsigned idx[MAX_JOBS], n = 0;
		for (unsigned j = 0; j < stride; j++)
			if (wk[j].live) {
				pf[n] = (struct pollfd){.fd = wk[j].fd, .events = POLLIN};
				idx[n++] = j;
			}
		if (!n)
			break;
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			exit(2);
		}
		for (unsigned k = 0; k < n; k++) {
			if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			struct worker *w = &wk[idx[k]];
			struct record rec;
			ssize_t r = read(w->fd, &rec, sizeof(rec));
			if (r == (ssize_t)sizeof(rec)) {
				tally_add(t, rec.seed, rec.ok != 0);
				tally_ratios(t, &rec);
				tally_stats(t, &rec);
				w->next = rec.seed + stride;
				continue;
			}
			/* End of the pipe: finished, or crashed on w->next. */
			close(w->fd);
			int status = 0;
			waitpid(w->pid, &status, 0);
			w->live = false;
			if (w->next < end && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
				tally_add(t, w->next, false);
				worker_start(w, w->next + stride, end, stride, o);
			}
		}
	}
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* The distribution of measured/model over every transfer measured. */
static void print_goodput(struct tally *t)
{
	if (!t->nratio)
		return;
	float lowest = t->ratio[0];
	qsort(t->ratio, t->nratio, sizeof(*t->ratio), cmp_float);
	size_t n = t->nratio;
	printf("goodput: %zu transfers measured; measured/model min %.3f (seed %" PRIu64
	       "), 1%% %.3f, 10%% %.3f, median %.3f, 90%% %.3f\n", n, (double)lowest,
	       t->lowest_seed, (double)t->ratio[n / 100], (double)t->ratio[n / 10],
	       (double)t->ratio[n / 2], (double)t->ratio[n * 9 / 10]);
}

int cmd_swarm(int argc, char **argv)
{
	struct swarm_cli o;
	int pr = parse(argc, argv, &o);
	if (pr)
		return pr > 0 ? 0 : 2;
	if (o.goodput_log) {
		goodput_log = fopen(o.goodput_log, "a");
		if (!goodput_log) {
			fprintf(stderr, "glasstcp swarm: %s: %s\n", o.goodput_log, strerror(errno));
			return 2;
		}
		/* Workers share the file: a seed's lines go in one write. */
		setvbuf(goodput_log, NULL, _IOFBF, 1 << 16);
	}
	install_crash_handler();
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct tally t = {0};
	if (o.jobs == 1) {
		for (uint64_t s = o.first; s < o.first + o.seeds; s++) {
			struct record rec;
			run_one(s, &o, &rec);
			tally_add(&t, s, rec.ok != 0);
			tally_ratios(&t, &rec);
			tally_stats(&t, &rec);
		}
	} else {
		run_parallel(&o, &t);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("swarm: %" PRIu64 " seeds, %" PRIu64 " clean, %" PRIu64 " failed (seeds %" PRIu64
	       "..%" PRIu64 ", %.1f s)\n", o.seeds, t.clean, t.failed, o.first,
	       o.first + o.seeds - (o.seeds ? 1 : 0), secs);
	if (t.failed) {
		printf("failing seeds:");
		for (unsigned i = 0; i < t.nlisted; i++)
			printf(" %" PRIu64, t.listed[i]);
		printf("%s\n", t.failed > t.nlisted ? " ..." : "");
	}
	print_goodput(&t);
	print_coverage(&t, (size_t)(t.clean + t.failed));
	if (goodput_log)
		fclose(goodput_log);
	free(t.ratio);
	return t.failed ? 1 : 0;
}
