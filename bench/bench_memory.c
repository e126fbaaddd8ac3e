/* Benchmark 4 (issue 8): memory per connection and per TIME_WAIT entry.
 *
 * glasstcp: the structures' sizes, the stack's gauges (buffer_bytes,
 * timewait_bytes) and the process's RSS around idle established
 * connections and TIME_WAIT entries, each phase in a child process of its
 * own so that its peak RSS (VmHWM) is its own. Both ends of every
 * connection live in the process, so per-end figures divide by two.
 * Anchor: Linux's own figures on this machine, the slab object sizes in
 * /proc/slabinfo (TCP, tw_sock_TCP...) and the Slab growth measured around
 * loopback connections and TIME_WAIT sockets made here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "kern.h"
#include "tcp/tcp.h"
#include "tw_entry_copy.h" /* struct tw_entry, cut from tcp_timewait.c */

#define PORT_BASE 10000

/* ---- glasstcp phases, each run in a child ---- */

/* Minimal lifecycles in batches, ending with the client in TIME_WAIT:
 * connect, accept, client close, server close. */
static int tw_fill(struct memlink *l, uint64_t n, uint32_t nports, char *why, size_t wl)
{
	enum { BATCH = 512 };
	static int cs[BATCH], as[BATCH];
	static int ls[1024];
	char buf[16];
	for (uint32_t p = 0; p < nports; p++) {
		struct gt_sockaddr sa = {.family = GT_AF_INET,
					 .port = (uint16_t)(PORT_BASE + p),
					 .addr = MEMLINK_ADDR_B};
		ls[p] = gt_socket(l->b, GT_AF_INET, GT_SOCK_STREAM);
		if (gt_bind(l->b, ls[p], &sa) < 0 || gt_listen(l->b, ls[p], BATCH) < 0) {
			snprintf(why, wl, "listen failed");
			return -1;
		}
	}
	for (uint64_t done = 0; done < n;) {
		uint32_t batch = n - done < BATCH ? (uint32_t)(n - done) : BATCH;
		for (uint32_t i = 0; i < batch; i++) {
			struct gt_sockaddr sa = {.family = GT_AF_INET,
						 .port = (uint16_t)(PORT_BASE + (done + i) % nports),
						 .addr = MEMLINK_ADDR_B};
			cs[i] = gt_socket(l->a, GT_AF_INET, GT_SOCK_STREAM);
			int e = gt_connect(l->a, cs[i], &sa);
			if (e != -EINPROGRESS) {
				snprintf(why, wl, "connect #%llu: %d", (unsigned long long)(done + i), e);
				return -1;
			}
		}
		memlink_pump(l);
		for (uint32_t i = 0; i < batch; i++) {
			as[i] = gt_accept(l->b, ls[(done + i) % nports], NULL);
			if (as[i] < 0) {
				snprintf(why, wl, "accept #%llu: %d", (unsigned long long)(done + i), as[i]);
				return -1;
			}
			gt_close(l->a, cs[i]);
		}
		memlink_pump(l);
		for (uint32_t i = 0; i < batch; i++) {
			if (gt_recv(l->b, as[i], buf, sizeof(buf), 0) != 0) {
				snprintf(why, wl, "server expected EOF");
				return -1;
			}
			gt_close(l->b, as[i]);
		}
		memlink_pump(l);
		done += batch;
	}
	return 0;
}

static uint32_t ports_for(uint64_t n)
{
	/* Half of each port's ephemeral range (28,232 ports) at most. */
	uint64_t p = n / 14000 + 1;
	return p > 1024 ? 1024 : (uint32_t)p;
}

/* Results a child sends back, one line of numbers. */
struct phase {
	bool ok;
	char why[200];
	uint64_t n;
	uint64_t rss_before, rss_after, peak_rss;
	uint64_t buffer_bytes_a, buffer_bytes_b;
	uint64_t buffer_bytes_used;   /* after one request/response, drained */
	uint64_t timewait, timewait_bytes;
	uint64_t tw_entry_size;       /* sizeof(struct tw_entry); 0 if unknown */
	double secs;
};

static void phase_idle(uint64_t n, struct phase *ph)
{
	struct gt_config cfg;
	bench_config(&cfg, (uint32_t)(n + 1024), 0);
	struct memlink l;
	ph->rss_before = bench_rss();
	if (memlink_init(&l, &cfg, &cfg, 1500) < 0) {
		snprintf(ph->why, sizeof(ph->why), "stack creation failed");
		return;
	}
	int *cli = malloc(n * sizeof(int)), *srv = malloc(n * sizeof(int));
	static int ls[1024];
	if (!cli || !srv ||
	    memlink_listen(&l, ports_for(n), PORT_BASE, ls, ph->why, sizeof(ph->why)) < 0)
		return;
	uint64_t t0 = bench_mono_ns();
	if (memlink_open_idle(&l, (uint32_t)n, ports_for(n), PORT_BASE, ls, cli, srv, ph->why,
			      sizeof(ph->why)) < 0)
		return;
	ph->secs = (double)(bench_mono_ns() - t0) / 1e9;
	ph->rss_after = bench_rss();
	ph->peak_rss = bench_peak_rss();
	struct gt_gauges ga, gb;
	gt_stack_gauges(l.a, &ga);
	gt_stack_gauges(l.b, &gb);
	ph->buffer_bytes_a = ga.buffer_bytes;
	ph->buffer_bytes_b = gb.buffer_bytes;
	if (ga.conns != n || gb.conns < n) {
		snprintf(ph->why, sizeof(ph->why), "only %u/%u connections", ga.conns, gb.conns);
		return;
	}
	/* One 100-byte request and 1 KB response on the first 1,000, read to
	 * the end: what do they hold once idle again? */
	static uint8_t buf[2048];
	uint32_t m = n < 1000 ? (uint32_t)n : 1000;
	for (uint32_t i = 0; i < m; i++)
		gt_send(l.a, cli[i], buf, 100, 0);
	memlink_pump(&l);
	for (uint32_t i = 0; i < m; i++) {
		gt_recv(l.b, srv[i], buf, sizeof(buf), 0);
		gt_send(l.b, srv[i], buf, 1024, 0);
	}
	memlink_pump(&l);
	for (uint32_t i = 0; i < m; i++)
		gt_recv(l.a, cli[i], buf, sizeof(buf), 0);
	memlink_pump(&l);
	/* Let delayed ACKs go out so send buffers empty. */
	l.real_clock = false;
	l.now_us += 1000000;
	memlink_pump(&l);
	gt_stack_gauges(l.a, &ga);
	gt_stack_gauges(l.b, &gb);
	ph->buffer_bytes_used = ga.buffer_bytes + gb.buffer_bytes;
	ph->n = n;
	ph->ok = true;
}

static void phase_tw(uint64_t n, struct phase *ph)
{
	struct gt_config cfg;
	bench_config(&cfg, 0, (uint32_t)(n + 1024));
	/* Every lifecycle must leave a new entry: no reuse of old pairs. */
	cfg.tw_reuse = false;
	struct memlink l;
#ifdef BENCH_HAVE_TW_ENTRY
	ph->tw_entry_size = sizeof(struct tw_entry);
#endif
	ph->rss_before = bench_rss();
	if (memlink_init(&l, &cfg, &cfg, 1500) < 0) {
		snprintf(ph->why, sizeof(ph->why), "stack creation failed");
		return;
	}
	uint64_t t0 = bench_mono_ns();
	if (tw_fill(&l, n, ports_for(n), ph->why, sizeof(ph->why)) < 0)
		return;
	ph->secs = (double)(bench_mono_ns() - t0) / 1e9;
	ph->rss_after = bench_rss();
	ph->peak_rss = bench_peak_rss();
	struct gt_gauges g;
	gt_stack_gauges(l.a, &g);
	ph->timewait = g.timewait;
	ph->timewait_bytes = g.timewait_bytes;
	if (g.timewait != n) {
		snprintf(ph->why, sizeof(ph->why), "%u TIME_WAIT entries, expected %llu", g.timewait,
			 (unsigned long long)n);
		return;
	}
	ph->n = n;
	ph->ok = true;
}

/* Runs fn in a child and reads its struct back through a pipe. */
static void in_child(void (*fn)(uint64_t, struct phase *), uint64_t n, struct phase *ph)
{
	memset(ph, 0, sizeof(*ph));
	int fd[2];
	if (pipe(fd) < 0) {
		snprintf(ph->why, sizeof(ph->why), "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		struct phase r;
		memset(&r, 0, sizeof(r));
		fn(n, &r);
		ssize_t w = write(fd[1], &r, sizeof(r));
		_exit(w == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fd[1]);
	ssize_t got = pid > 0 ? read(fd[0], ph, sizeof(*ph)) : -1;
	close(fd[0]);
	int st = 0;
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (got != (ssize_t)sizeof(*ph)) {
		memset(ph, 0, sizeof(*ph));
		snprintf(ph->why, sizeof(ph->why), "child died (status %d; out of memory?)", st);
	}
}

/* ---- the kernel ---- */

struct kslab {
	bool have_slabinfo;
	uint64_t tcp, tw, req, inode, filp, dentry;
	bool measured;
	char why[200];
	uint32_t n;
	double per_socket, per_tw;  /* Slab growth per socket / per TIME_WAIT socket */
};

static void slabinfo(struct kslab *k)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	if (!f)
		return;
	char line[512], name[64];
	unsigned long long active, num, objsize;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu %llu %llu", name, &active, &num, &objsize) != 4)
			continue;
		if (!strcmp(name, "TCP"))
			k->tcp = objsize;
		else if (!strcmp(name, "tw_sock_TCP"))
			k->tw = objsize;
		else if (!strcmp(name, "request_sock_TCP"))
			k->req = objsize;
		else if (!strcmp(name, "sock_inode_cache"))
			k->inode = objsize;
		else if (!strcmp(name, "filp"))
			k->filp = objsize;
		else if (!strcmp(name, "dentry"))
			k->dentry = objsize;
	}
	fclose(f);
	k->have_slabinfo = k->tcp > 0;
}

static uint64_t slab_bytes(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	char line[256];
	uint64_t kb = 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Slab:", 5) == 0)
			kb = strtoull(line + 5, NULL, 10);
	fclose(f);
	return kb * 1024;
}

/* n loopback connections (2n sockets) held open, then the clients close
 * first: n TIME_WAIT sockets. Slab growth per socket and per entry. */
static void kern_measure(uint32_t n, struct kslab *k)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rlim_t need = 2 * (rlim_t)n + 64;
	if (rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max = need > rl.rlim_max ? need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			getrlimit(RLIMIT_NOFILE, &rl);
			n = (uint32_t)((rl.rlim_cur - 64) / 2);
		}
	}
	int *c = malloc(n * sizeof(int)), *s = malloc(n * sizeof(int));
	int l = kern_listener(PORT_BASE, 4096);
	if (!c || !s || l < 0) {
		snprintf(k->why, sizeof(k->why), "setup failed");
		return;
	}
	uint64_t base = slab_bytes();
	for (uint32_t i = 0; i < n; i++) {
		struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(PORT_BASE),
					 .sin_addr.s_addr = htonl(0x7f000001)};
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (c[i] < 0 || connect(c[i], (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    (s[i] = accept(l, NULL, NULL)) < 0) {
			snprintf(k->why, sizeof(k->why), "connection %u: %s", i, strerror(errno));
			return;
		}
	}
	uint64_t open = slab_bytes();
	char b[8];
	for (uint32_t i = 0; i < n; i++)
		close(c[i]);
	for (uint32_t i = 0; i < n; i++) {
		if (read(s[i], b, sizeof(b)) != 0) {
			snprintf(k->why, sizeof(k->why), "expected EOF");
			return;
		}
		close(s[i]);
	}
	usleep(200000); /* let RCU free the closed sockets */
	uint64_t tw = slab_bytes();
	close(l);
	free(c);
	free(s);
	k->n = n;
	k->per_socket = ((double)open - (double)base) / (2.0 * n);
	k->per_tw = ((double)tw - (double)base) / n;
	k->measured = true;
}

/* ---- the table ---- */

static void row3(const char *what, const char *ours, const char *theirs, const char *ratio)
{
	const char *cells[4] = {what, ours, theirs, ratio};
	bench_table_row(cells);
}

int main(void)
{
	bench_pin_one_cpu();
	uint64_t n_idle_small = 10000;
	uint64_t n_conns = 1000000, n_tw = bench_full() ? 10000000 : 1000000;
	uint64_t avail = bench_mem_available();
	/* Both ends of each connection: two TCBs, two sockets (the table
	 * doubles), hash and heap slots; a 1.5x margin. */
	uint64_t per_conn = 2 * (sizeof(struct tcp_conn) + 2 * sizeof(struct gt_sock) + 64);
	uint64_t need_conns = n_conns * per_conn * 3 / 2;
	char scaled_conns[128] = "", scaled_tw[128] = "";
	while (need_conns > avail / 2 && n_conns > 1000) {
		n_conns /= 2;
		need_conns /= 2;
		snprintf(scaled_conns, sizeof(scaled_conns), " (scaled down: 1,000,000 would need "
			 "about %.1f GiB)", (double)need_conns * 1000000 / n_conns / 1073741824.0);
	}
	uint64_t need_tw = n_tw * 200; /* entry + realloc copy + hash, generous */
	while (need_tw > avail / 2 && n_tw > 1000) {
		n_tw /= 2;
		need_tw /= 2;
		snprintf(scaled_tw, sizeof(scaled_tw), " (scaled down for memory)");
	}
	bench_header("memory: per connection and per TIME_WAIT entry",
		     "glasstcp phases each run in a child process (own peak RSS); both ends of each "
		     "connection are in it.\nLinux: slab object sizes from /proc/slabinfo and the Slab "
		     "growth (/proc/meminfo) measured around loopback sockets made here.");
	bench_cond("memory       %.1f GiB available: 1M-connection phase needs about %.1f GiB (computed "
		   "first)", avail / 1073741824.0, need_conns / 1073741824.0);
	bench_cond("sizes        %s connections open at once%s; %s TIME_WAIT entries%s%s",
		   n_conns == 1000000 ? "1,000,000" : "fewer", scaled_conns,
		   n_tw == 10000000 ? "10,000,000" : "1,000,000", scaled_tw,
		   bench_full() ? "" : " (GT_BENCH_FULL=1 for 10,000,000; about a minute)");
	bench_cond("glasstcp     Linux profile; idle = handshake done, no data (buffers are allocated "
		   "when first used)");

	struct phase small, big, tw;
	in_child(phase_idle, n_idle_small, &small);
	in_child(phase_idle, n_conns, &big);
	in_child(phase_tw, n_tw, &tw);

	struct kslab k;
	memset(&k, 0, sizeof(k));
	slabinfo(&k);
	int ns = bench_private_loopback(0);
	kern_measure(10000, &k);
	bench_cond("kernel       %s; %s; measured with %u loopback connections",
		   k.have_slabinfo ? "/proc/slabinfo readable" : "/proc/slabinfo NOT readable (needs root)",
		   ns == 0 ? "private network namespace" : "host lo", k.n);

	char a[16][64];
	const int w[4] = {58, 16, 22, 8};
	const char *heads[4] = {"bytes", "glasstcp", "Linux kernel", "ratio"};
	bench_table_begin(4, 1, heads, w);
	row3("TCB: sizeof(struct tcp_conn) / slab object TCP",
	     bench_fmt(a[0], 64, "%zu", sizeof(struct tcp_conn)),
	     k.tcp ? bench_fmt(a[1], 64, "%llu", (unsigned long long)k.tcp) : "n/a",
	     bench_ratio(a[2], 64, (double)sizeof(struct tcp_conn), (double)k.tcp));
	uint64_t ksock = k.tcp + k.inode + k.filp + k.dentry;
	row3("socket: sizeof(struct gt_sock) / sock_inode+filp+dentry",
	     bench_fmt(a[3], 64, "%zu", sizeof(struct gt_sock)),
	     k.inode ? bench_fmt(a[4], 64, "%llu", (unsigned long long)(k.inode + k.filp + k.dentry))
		     : "n/a",
	     bench_ratio(a[5], 64, (double)sizeof(struct gt_sock),
			 (double)(k.inode + k.filp + k.dentry)));
	row3("TCB + socket (structures)", bench_fmt(a[6], 64, "%zu", sizeof(struct tcp_conn) +
							      sizeof(struct gt_sock)),
	     k.tcp ? bench_fmt(a[7], 64, "%llu", (unsigned long long)ksock) : "n/a",
	     bench_ratio(a[8], 64, (double)(sizeof(struct tcp_conn) + sizeof(struct gt_sock)),
			 (double)ksock));
	if (small.ok) {
		row3("idle established, buffer_bytes gauge per end (10k conns)",
		     bench_fmt(a[0], 64, "%.0f",
			       (double)(small.buffer_bytes_a + small.buffer_bytes_b) / (2.0 * small.n)),
		     "0 (skbs only when used)", "");
		row3("  ... after 100 B request + 1 KB response, read, idle (1k)",
		     bench_fmt(a[1], 64, "%.0f", (double)small.buffer_bytes_used / 2000.0), "", "");
		row3("idle established, measured per end (RSS / slab growth)",
		     bench_fmt(a[2], 64, "%.0f",
			       ((double)small.rss_after - (double)small.rss_before) / (2.0 * small.n)),
		     k.measured ? bench_fmt(a[3], 64, "%.0f", k.per_socket) : "n/a",
		     bench_ratio(a[4], 64,
				 ((double)small.rss_after - (double)small.rss_before) / (2.0 * small.n),
				 k.measured ? k.per_socket : 0));
	} else {
		printf("  (idle 10k phase failed: %s)\n", small.why);
	}
	if (big.ok) {
		char lab[96];
		snprintf(lab, sizeof(lab), "%s connections open: RSS growth per end",
			 bench_commas(a[15], 64, big.n));
		row3(lab,
		     bench_fmt(a[5], 64, "%.0f",
			       ((double)big.rss_after - (double)big.rss_before) / (2.0 * big.n)),
		     k.measured ? bench_fmt(a[6], 64, "%.0f", k.per_socket) : "n/a",
		     bench_ratio(a[7], 64, ((double)big.rss_after - (double)big.rss_before) / (2.0 * big.n),
				 k.measured ? k.per_socket : 0));
		snprintf(lab, sizeof(lab), "  peak RSS of the process (both ends), MiB");
		row3(lab, bench_fmt(a[8], 64, "%.0f", big.peak_rss / 1048576.0),
		     k.measured ? bench_fmt(a[9], 64, "~%.0f (slab est.)",
					    k.per_socket * 2.0 * big.n / 1048576.0)
				: "n/a",
		     "");
	} else {
		printf("  (1M-connection phase failed: %s)\n", big.why);
	}
	if (tw.ok) {
		row3("TIME_WAIT entry: sizeof(struct tw_entry) / tw_sock_TCP",
		     tw.tw_entry_size ? bench_fmt(a[10], 64, "%llu", (unsigned long long)tw.tw_entry_size)
				      : "n/a",
		     k.tw ? bench_fmt(a[11], 64, "%llu", (unsigned long long)k.tw) : "n/a",
		     bench_ratio(a[12], 64, (double)tw.tw_entry_size, (double)k.tw));
		char lab[96];
		snprintf(lab, sizeof(lab), "TIME_WAIT: timewait_bytes / entries at %s",
			 bench_commas(a[15], 64, tw.n));
		row3(lab, bench_fmt(a[13], 64, "%.1f", (double)tw.timewait_bytes / (double)tw.n), "", "");
		snprintf(lab, sizeof(lab), "TIME_WAIT: RSS growth / entries at %s (kernel: slab, 10k)",
			 bench_commas(a[15], 64, tw.n));
		row3(lab,
		     bench_fmt(a[14], 64, "%.1f", ((double)tw.rss_after - (double)tw.rss_before) / (double)tw.n),
		     k.measured ? bench_fmt(a[0], 64, "%.0f", k.per_tw) : "n/a",
		     bench_ratio(a[1], 64, ((double)tw.rss_after - (double)tw.rss_before) / (double)tw.n,
				 k.measured ? k.per_tw : 0));
		snprintf(lab, sizeof(lab), "  peak RSS of the process, %s TIME_WAIT, MiB",
			 bench_commas(a[15], 64, tw.n));
		row3(lab, bench_fmt(a[2], 64, "%.0f", tw.peak_rss / 1048576.0), "", "");
	} else {
		printf("  (TIME_WAIT phase failed: %s)\n", tw.why);
	}
	bench_table_end();
	if (big.ok)
		printf("opened %s idle connections in %.2f s; ", bench_commas(a[0], 64, big.n), big.secs);
	if (tw.ok)
		printf("made %s TIME_WAIT entries in %.2f s (%.0f lifecycles/s, wall)", bench_commas(a[1], 64, tw.n),
		       tw.secs, tw.n / tw.secs);
	printf("\nratio = glasstcp / kernel (lower is leaner). Goals (issue 8): <= 32 B per TIME_WAIT "
	       "entry; <= 512 B per idle established connection plus buffers in use\n");
	return 0;
}
