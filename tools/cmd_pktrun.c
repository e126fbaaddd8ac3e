/* `glasstcp pktrun`: runs packetdrill-language scripts against glasstcp, or
 * with --kernel against the Linux kernel, one line per script, then
 * "N passed, N failed, N unsupported" (", N skipped" when some were). */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pktrun/pktrun.h"
#include "tools/commands.h"

struct tally {
	unsigned pass, fail, unsup, error, skip;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: glasstcp pktrun [--profile linux|freebsd] [--kernel] [--strict] [--verbose]\n"
		   "                      [--quiet] [--per-dir] [--wscale N] [--kernel-tolerance US]\n"
		   "                      [--ts-tick-us US] [--stall LINE:US] [--jitter US[:SEED]]\n"
		   "                      [--gso-as-one] [--tso] [--tolerance_usecs US]\n"
		   "                      [--ip-version ipv4|ipv6|ipv4-mapped-ipv6] [--mtu N]\n"
		   "                      FILE.pkt|DIR...\n"
		   "  Runs each script against a fresh stack on virtual time. Without --profile\n"
		   "  a script runs FreeBSD if a backtick command in it (not a comment) names a\n"
		   "  FreeBSD sysctl (`sysctl -w net.inet.tcp.X=V`, kern.ipc.*), else Linux;\n"
		   "  never by its path. Directories are searched for *.pkt. Exit status 1 if\n"
		   "  any script fails or does not parse, 77 if none passed and none failed\n"
		   "  (all unsupported or skipped).\n"
		   "  Outbound packets are read as packetdrill reads them: only for '>'\n"
		   "  lines, another socket's packets skipped, each passive connection on a\n"
		   "  remote port of its own, relative times from when a packet came, an\n"
		   "  outbound TS ecr not judged.\n"
		   "  --strict: the project's own rule (its ctest runs): any outbound packet\n"
		   "  no '>' line reads fails the script, segments are never joined,\n"
		   "  relative times move only after ~ and * lines, and an outbound TS ecr\n"
		   "  is judged (docs/conformance.md).\n"
		   "  --kernel: runs them against this machine's Linux TCP instead, on real time,\n"
		   "  each in a network namespace of its own with a TUN device (needs root;\n"
		   "  without it every script is skipped, and the exit status is 77).\n"
		   "  --tso: the device has TSO, as packetdrill's Linux TUN: on --kernel a\n"
		   "  virtio-net header and TSO/checksum offload (TUNSETOFFLOAD), on glasstcp\n"
		   "  a device advertising TSO (gt_device tso_max_bytes, transmit_gso); a\n"
		   "  burst the TCP hands the device as one packet of several segments is\n"
		   "  judged as one segment of its whole length. A script's `ethtool -K tun0\n"
		   "  tso off` (in its setup, on glasstcp) turns TSO off again. Without it\n"
		   "  every segment leaves on its own (docs/conformance.md, \"--tso\").\n"
		   "  --kernel-tolerance US: with --kernel, let a packet come up to US\n"
		   "  microseconds late (default 20000: a VM's scheduling delayed an\n"
		   "  immediate answer by 15.3 ms; a script's larger one stands); early,\n"
		   "  only by the script's own tolerance, as on glasstcp.\n"
		   "  --tolerance_usecs US: packetdrill's option: the timing tolerance of\n"
		   "  scripts that set none of their own (default 4000; gVisor runs its\n"
		   "  suite with 100000, and make conformance so runs the gvisor sample).\n"
		   "  --wscale N: glasstcp offers window scale N (0-14) whatever the profile\n"
		   "  or the script's tcp_rmem say: for suites written against kernels with\n"
		   "  other buffer limits (make conformance passes 6 to the nplab snapshot).\n"
		   "  --ts-tick-us US: judge outbound TS vals with a clock of this tick (the\n"
		   "  profiles' and Linux's: 1000) in scripts that set no --tcp_ts_tick_usecs\n"
		   "  of their own; without it, as in packetdrill, such scripts' TS vals are\n"
		   "  not checked.\n"
		   "  --stall LINE:US: with --kernel, the runner sleeps US microseconds before\n"
		   "  the script's LINE, as a loaded machine's scheduler may: to see what a\n"
		   "  late runner does to a script, and how the runner judges it\n"
		   "  (docs/conformance.md, \"When the runner itself is late\").\n"
		   "  --jitter US[:SEED]: on virtual time, each action (a packet injected, a\n"
		   "  call) goes 0 to US microseconds late, drawn per line from SEED (default\n"
		   "  1): the kernel runner's lateness on a loaded machine, judged as that\n"
		   "  runner judges (--kernel-tolerance, and its rules for intervals it\n"
		   "  changed). A script that fails so depends on its intervals to within\n"
		   "  US, and will fail on the kernel now and then. Not with --kernel.\n"
		   "  --gso-as-one: a segment longer than a script's --mss=N, which\n"
		   "  packetdrill injects as GSO of N-byte segments (so does --kernel;\n"
		   "  glasstcp cannot: UNSUPPORTED), goes in as one plain segment: to probe\n"
		   "  past it; such verdicts are not the script's.\n"
		   "  --ip-version V (or packetdrill's --ip_version=V): the IP version of\n"
		   "  scripts that set no --ip_version of their own (a script's own line\n"
		   "  wins; in packetdrill the command line does): ipv4 (the default),\n"
		   "  ipv6, or ipv4-mapped-ipv6 (an AF_INET6 socket, IPv4 on the wire), on\n"
		   "  both back-ends. In ipv6 a script that sets no --mtu runs on a\n"
		   "  1520-byte MTU, as google/packetdrill's run_all.py runs its suite in\n"
		   "  ipv6 (--mtu=1520): the MSS stays IPv4's 1460. A script with a line\n"
		   "  '// pktrun-ip-versions: V... -- WHY' that leaves V out is skipped,\n"
		   "  WHY said (docs/conformance.md, \"One script, three IP versions\").\n"
		   "  --mtu N: packetdrill's --mtu: the device MTU of scripts that set no\n"
		   "  --mtu of their own (default 1500; 1520 in ipv6 from --ip-version):\n"
		   "  --mtu 1500 runs a script written for IPv6 on packetdrill's own TUN.\n");
}

static void print_dir(const char *d, const struct tally *t)
{
	printf("  %s: pass %u, fail %u, unsupported %u", d, t->pass, t->fail + t->error, t->unsup);
	if (t->skip)
		printf(", skipped %u", t->skip);
	printf("\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects *.pkt under path, sorted, into a growing list. */
static void collect(const char *path, char ***list, size_t *n, size_t *cap)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*list = realloc(*list, *cap * sizeof(**list));
		}
		(*list)[(*n)++] = strdup(path);
		return;
	}
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		size_t l = strlen(de->d_name);
		struct stat s2;
		if (stat(sub, &s2) < 0)
			continue;
		if (S_ISDIR(s2.st_mode) || (l > 4 && !strcmp(de->d_name + l - 4, ".pkt")))
			collect(sub, list, n, cap);
	}
	closedir(d);
}

/* A numeric option's value, "--name=V" or "--name V" (a, k = strlen of
 * the name), a whole number from lo to hi; false, with the error said,
 * where it is not one. unit follows the range in the message. */
static bool num_opt(const char *a, size_t k, int argc, char **argv, int *i, long long lo, long long hi,
		    const char *unit, long long *out)
{
	const char *v = a[k] == '=' ? a + k + 1 : (*i + 1 < argc ? argv[++*i] : "");
	char *end;
	long long x = strtoll(v, &end, 10);
	if (end == v || *end || x < lo || x > hi) {
		fprintf(stderr, "glasstcp pktrun: %.*s wants %lld to %lld%s, not '%s'\n", (int)k, a, lo, hi, unit,
			v);
		return false;
	}
	*out = x;
	return true;
}

int cmd_pktrun(int argc, char **argv)
{
	struct pk_options opt = {0};
	bool quiet = false, per_dir = false;
	char **files = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--kernel")) {
			opt.kernel = true;
		} else if (!strcmp(a, "--strict")) {
			opt.strict = true;
		} else if (!strcmp(a, "--verbose")) {
			opt.log = stderr;
		} else if (!strcmp(a, "--quiet")) {
			quiet = true;
		} else if (!strcmp(a, "--tso")) {
			opt.tso = true;
		} else if (!strcmp(a, "--gso-as-one")) {
			opt.gso_as_one = true;
		} else if (!strcmp(a, "--per-dir")) {
			per_dir = true;
		} else if (!strncmp(a, "--tolerance_usecs", 17)) {
			long long t;
			if (!num_opt(a, 17, argc, argv, &i, 0, 10000000, " us", &t))
				return 2;
			opt.tolerance_set = true;
			opt.tolerance_us = t;
		} else if (!strncmp(a, "--kernel-tolerance", 18)) {
			long long t;
			if (!num_opt(a, 18, argc, argv, &i, 1, 10000000, " us", &t))
				return 2;
			opt.kernel_tolerance_us = t;
		} else if (!strncmp(a, "--stall", 7)) {
			const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : "");
			char *end;
			long line = strtol(v, &end, 10);
			long long us = *end == ':' ? strtoll(end + 1, &end, 10) : -1;
			if (line < 1 || line > INT_MAX || *end || us < 1 || us > 10000000) {
				fprintf(stderr, "glasstcp pktrun: --stall wants LINE:US (US 1 to 10000000), not '%s'\n",
					v);
				return 2;
			}
			opt.stall_line = (int)line;
			opt.stall_us = us;
		} else if (!strncmp(a, "--jitter", 8)) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
			char *end;
			long long us = strtoll(v, &end, 10);
			unsigned long long seed = 1;
			if (*end == ':' && end[1])
				seed = strtoull(end + 1, &end, 10);
			if (end == v || *end || us < 1 || us > 10000000 || seed > UINT32_MAX) {
				fprintf(stderr,
					"glasstcp pktrun: --jitter wants US[:SEED] (US 1 to 10000000, SEED "
					"0 to 4294967295), not '%s'\n",
					v);
				return 2;
			}
			opt.jitter_us = us;
			opt.jitter_seed = (uint32_t)seed;
		} else if (!strncmp(a, "--ts-tick-us", 12)) {
			long long t;
			if (!num_opt(a, 12, argc, argv, &i, 0, 1000000, " us", &t))
				return 2;
			opt.ts_tick_set = true;
			opt.ts_tick_us = t;
		} else if (!strncmp(a, "--wscale", 8)) {
			long long w;
			if (!num_opt(a, 8, argc, argv, &i, 0, 14, "", &w))
				return 2;
			opt.wscale_set = true;
			opt.wscale = (uint8_t)w;
		} else if (!strncmp(a, "--ip-version", 12) || !strncmp(a, "--ip_version", 12)) {
			const char *v = a[12] == '=' ? a + 13 : (i + 1 < argc && !a[12] ? argv[++i] : "");
			if (a[12] && a[12] != '=') {
				fprintf(stderr, "glasstcp pktrun: unknown option '%s'\n", a);
				return 2;
			}
			if (!pk_ipver_from_name(v, &opt.ipver)) {
				fprintf(stderr,
					"glasstcp pktrun: %.12s wants ipv4, ipv6 or ipv4-mapped-ipv6, not "
					"'%s'\n",
					a, v);
				return 2;
			}
			opt.ipver_set = true;
		} else if (!strncmp(a, "--mtu", 5) && (!a[5] || a[5] == '=')) {
			long long m;
			if (!num_opt(a, 5, argc, argv, &i, 68, 65535, " bytes", &m))
				return 2;
			opt.mtu = (int)m;
		} else if (!strncmp(a, "--profile", 9)) {
			const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : "");
			if (gt_profile_from_name(v, &opt.profile) < 0) {
				fprintf(stderr, "glasstcp pktrun: unknown profile '%s'\n", v);
				return 2;
			}
			opt.profile_set = true;
		} else if (a[0] == '-') {
			fprintf(stderr, "glasstcp pktrun: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else {
			size_t first = n;
			collect(a, &files, &n, &cap);
			qsort(files + first, n - first, sizeof(*files), cmp_str);
		}
	}
	if (!n) {
		usage(stderr);
		return 2;
	}
	if (opt.kernel && opt.wscale_set) {
		fprintf(stderr, "glasstcp pktrun: --wscale sets glasstcp's scale; the kernel's comes "
				"from its tcp_rmem (set it in the script)\n");
		return 2;
	}
	if (opt.kernel && opt.jitter_us) {
		fprintf(stderr, "glasstcp pktrun: --jitter makes glasstcp's runner late on virtual time; "
				"the kernel runner is late on its own (--stall makes it later)\n");
		return 2;
	}
	if (!opt.kernel && opt.stall_line) {
		fprintf(stderr, "glasstcp pktrun: --stall is for the kernel runner (--kernel); on "
				"virtual time use --jitter\n");
		return 2;
	}
	struct tally all = {0}, dir = {0};
	char cur_dir[4096] = "";
	for (size_t i = 0; i < n; i++) {
		struct pk_result res;
		pk_run_file(files[i], &opt, &res);
		if (per_dir) {
			char d[4096];
			snprintf(d, sizeof(d), "%s", files[i]);
			char *sl = strrchr(d, '/');
			if (sl)
				*sl = 0;
			if (strcmp(d, cur_dir)) {
				if (cur_dir[0])
					print_dir(cur_dir, &dir);
				snprintf(cur_dir, sizeof(cur_dir), "%s", d);
				memset(&dir, 0, sizeof(dir));
			}
		}
		struct tally *t[2] = {&all, &dir};
		for (int k = 0; k < 2; k++) {
			switch (res.verdict) {
			case PK_PASS: t[k]->pass++; break;
			case PK_FAIL: t[k]->fail++; break;
			case PK_UNSUPPORTED: t[k]->unsup++; break;
			case PK_ERROR: t[k]->error++; break;
			case PK_SKIP: t[k]->skip++; break;
			}
		}
		if (quiet && res.verdict == PK_PASS)
			continue;
		if (res.verdict == PK_PASS)
			printf("PASS %s\n", files[i]);
		else if (res.line > 0)
			printf("%s %s:%d: %s\n", pk_verdict_name(res.verdict), files[i], res.line, res.why);
		else
			printf("%s %s: %s\n", pk_verdict_name(res.verdict), files[i], res.why);
	}
	if (per_dir && cur_dir[0])
		print_dir(cur_dir, &dir);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	printf("%u passed, %u failed, %u unsupported", all.pass, all.fail + all.error, all.unsup);
	if (all.skip)
		printf(", %u skipped", all.skip);
	printf("\n");
	if (all.fail + all.error)
		return 1;
	/* Nothing could run, or nothing the run could judge (a kernel without
	 * the script's host-wide sysctl, net.ipv4.tcp_max_orphans): skipped,
	 * as CTest counts 77, never passed. */
	return all.pass == 0 ? 77 : 0;
}
