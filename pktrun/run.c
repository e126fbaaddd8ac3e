/* pktrun's runner: one fresh stack per script, on virtual time. The script
 * plays the remote host: its '<' packets are built and fed to the stack, its
 * '>' packets must match what the stack sends, in time; system calls go to
 * the socket API (blocking calls pend until they complete).
 *
 * Sequence numbers are mapped as packetdrill does: the script's own ISN is 0
 * (live = script), the stack's is learned from its first SYN; outbound TS
 * val is rebased to the first one seen, inbound TS ecr mapped back. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "util/checksum.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/tcp_wire.h"

#define LOCAL_IP 0xc0a80001u  /* 192.168.0.1, the stack under test */
#define REMOTE_IP 0xc0000201u /* 192.0.2.1, the script */
#define BIND_PORT 8080
#define REMOTE_PORT_IN 40000  /* the script's port when it connects to us */
#define MAX_FDS 64
#define MAX_OUT 4096
#define O_NONBLOCK_ 0x800
#define O_RDWR_ 2
/* EAGAIN from a non-blocking call: returned, where a blocking one waits. */
#define NONBLOCK_EAGAIN (-EAGAIN - 100000)

struct out_pkt {
	uint64_t t_us;
	uint32_t len;
	uint8_t *data;
};

struct runner {
	struct pk_script *sc;
	const struct pk_options *opt;
	struct pk_result *res;
	const char *dir;
	struct gt_config cfg;
	gt_stack *st;
	uint64_t now;
	bool failed;

	struct out_pkt q[MAX_OUT];
	uint32_t qhead, qlen;

	bool local_isn_known;
	uint32_t local_isn;
	uint16_t lport, rport;
	bool ts_base_known;
	uint32_t live_ts_base, script_ts_base;

	int fd[MAX_FDS];          /* script fd -> stack descriptor, -1 */
	bool nonblock[MAX_FDS];
	int last_fd;

	/* A blocking call in progress. */
	const struct pk_event *pend;
	uint64_t pend_written;    /* bytes a blocking write has moved so far */
};

/* Ends the run with a verdict; the first one stands. */
static void verdict(struct runner *r, enum pk_verdict v, int line, const char *fmt, va_list ap)
{
	if (r->failed)
		return;
	vsnprintf(r->res->why, sizeof(r->res->why), fmt, ap);
	r->res->line = line;
	r->res->verdict = v;
	r->failed = true;
}

static void fail(struct runner *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct runner *r, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verdict(r, PK_FAIL, line, fmt, ap);
	va_end(ap);
}

static void unsupported(struct runner *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void unsupported(struct runner *r, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verdict(r, PK_UNSUPPORTED, line, fmt, ap);
	va_end(ap);
}

static void logf_(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct runner *r, const char *fmt, ...)
{
	if (!r->opt->log)
		return;
	va_list ap;
	fprintf(r->opt->log, "%9.6f ", (double)r->now / 1e6);
	va_start(ap, fmt);
	vfprintf(r->opt->log, fmt, ap);
	va_end(ap);
	fputc('\n', r->opt->log);
}

/* ---- the stack and its device ---- */

static int capture(void *ctx, const void *pkt, size_t len)
{
	struct runner *r = ctx;
	if (r->qlen == MAX_OUT)
		return -ENOBUFS;
	struct out_pkt *o = &r->q[(r->qhead + r->qlen) % MAX_OUT];
	o->data = malloc(len);
	if (!o->data)
		return -ENOMEM;
	memcpy(o->data, pkt, len);
	o->len = (uint32_t)len;
	o->t_us = r->now;
	r->qlen++;
	return 0;
}

static void drop_head(struct runner *r)
{
	free(r->q[r->qhead].data);
	r->qhead = (r->qhead + 1) % MAX_OUT;
	r->qlen--;
}

static bool ensure_stack(struct runner *r)
{
	if (r->st)
		return true;
	memset(r->cfg.isn_secret, 0x5a, sizeof(r->cfg.isn_secret));
	struct gt_device dev = {.transmit = capture, .ctx = r,
				.mtu = (uint16_t)(r->sc->mtu ? r->sc->mtu : 1500)};
	r->st = gt_stack_new(&r->cfg, &dev);
	if (!r->st || gt_stack_add_ipv4(r->st, LOCAL_IP, 24) < 0) {
		fail(r, 0, "cannot create a stack with this configuration");
		return false;
	}
	return true;
}

/* ---- sysctl and other backtick commands ---- */

static bool parse_u(const char *v, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(v, &end, 0);
	return end != v && errno == 0;
}

/* "lo def hi", each bounded (tcp_rmem, tcp_wmem). */
static bool parse_three(const char *v, long long out[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;
		errno = 0;
		out[i] = strtoll(v, &end, 0);
		if (end == v || errno || out[i] < 0 || out[i] > INT32_MAX)
			return false;
		v = end;
	}
	return true;
}

static bool linux_tuning_without_effect(const char *name)
{
	static const char *const names[] = {
		"net.ipv4.tcp_fack", "net.ipv4.tcp_reordering", "net.ipv4.tcp_tso_win_divisor", "net.ipv4.tcp_pacing_ss_ratio",
		"net.ipv4.tcp_pacing_ca_ratio", "net.ipv4.tcp_notsent_lowat", "net.ipv4.tcp_fastopen_key",
		"net.ipv4.tcp_min_tso_segs", "net.ipv4.tcp_autocorking", "net.ipv4.tcp_no_metrics_save",
		"net.ipv4.tcp_mtu_probing",
		"net.ipv4.tcp_ecn_option", /* AccECN option: no ECN without tcp_ecn */
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* Applies one name=value; returns false when the setting has a meaning
 * glasstcp does not implement. */
static bool apply_sysctl(struct runner *r, const char *name, const char *val)
{
	struct gt_config *c = &r->cfg;
	long long v = 0;
	bool num = parse_u(val, &v);
	/* Every number a script gives is bounded: no product below overflows. */
	if (num && (v < 0 || v > UINT32_MAX))
		return false;
	/* FreeBSD. */
	if (!strcmp(name, "net.inet.tcp.rfc1323")) {
		c->opt_timestamps = c->opt_wscale = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.sack.enable")) {
		c->opt_sack = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.recvspace")) {
		c->rcvbuf_bytes = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.sendspace")) {
		c->sndbuf_bytes = (uint32_t)v;
	} else if (!strcmp(name, "kern.ipc.maxsockbuf")) {
		c->buf_max_bytes = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.insecure_rst") ||
		   !strcmp(name, "net.inet.tcp.insecure_syn")) {
		c->rfc5961 = v == 0;
	} else if (!strcmp(name, "net.inet.tcp.rexmit_initial")) {
		c->rto_initial_us = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.inet.tcp.keepidle")) {
		c->keepalive_idle_s = (uint32_t)(v / 1000);
	} else if (!strcmp(name, "net.inet.tcp.keepintvl")) {
		c->keepalive_intvl_s = (uint32_t)(v / 1000);
	} else if (!strcmp(name, "net.inet.tcp.keepcnt")) {
		c->keepalive_probes = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.keepinit")) {
		c->connect_timeout_ms = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.delacktime")) {
		c->delack_us = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.inet.tcp.hostcache.purgenow") ||
		   !strcmp(name, "net.inet.tcp.udp_tunneling_overhead")) {
		/* nothing cached, nothing to purge */
	} else if (!strcmp(name, "net.inet.tcp.drop_synfin")) {
		c->drop_synfin = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.blackhole") ||
		   !strcmp(name, "net.inet.tcp.rexmit_drop_options") ||
		   !strcmp(name, "net.inet.tcp.udp_tunneling_port")) {
		return num && v == 0; /* only the behaviour glasstcp has */
	} else if (!strcmp(name, "net.inet.tcp.ecn.enable")) {
		return num && (v == 0 || v == 2); /* never initiates ECN */
	} else if (!strcmp(name, "net.inet.tcp.icmp_may_rst")) {
		return num && v == 1;
	} else if (!strcmp(name, "net.inet.tcp.rexmit_slop")) {
		c->rto_slop_us = (uint32_t)(v * 1000);
	/* Linux. */
	} else if (!strcmp(name, "net.ipv4.tcp_rmem") || !strcmp(name, "net.ipv4.tcp_wmem")) {
		long long three[3];
		if (!parse_three(val, three))
			return false;
		long long def = three[1], hi = three[2];
		if (name[13] == 'r') {
			c->rcvbuf_bytes = (uint32_t)def;
			uint8_t ws = 0;
			while (ws < 14 && (hi >> ws) > 65535)
				ws++;
			c->rcv_wscale = ws;
		} else {
			c->sndbuf_bytes = (uint32_t)def;
		}
		if ((uint64_t)hi > c->buf_max_bytes)
			c->buf_max_bytes = (uint32_t)hi;
	} else if (!strcmp(name, "net.ipv4.tcp_timestamps")) {
		c->opt_timestamps = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_sack")) {
		c->opt_sack = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_window_scaling")) {
		c->opt_wscale = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_syn_retries")) {
		c->syn_retries = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_synack_retries")) {
		c->synack_retries = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_retries2")) {
		c->data_retries = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_keepalive_time")) {
		c->keepalive_idle_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_keepalive_intvl")) {
		c->keepalive_intvl_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_keepalive_probes")) {
		c->keepalive_probes = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_fin_timeout")) {
		c->fin_wait2_timeout_ms = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.ipv4.tcp_rfc1337")) {
		c->rfc1337 = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_ecn")) {
		return num && v == 0;
	} else if (!strcmp(name, "net.ipv4.tcp_congestion_control")) {
		if (!strcmp(val, "cubic"))
			c->cc = GT_CC_CUBIC;
		else if (!strcmp(val, "reno"))
			c->cc = GT_CC_NEWRENO;
		else
			return false;
	} else if (!strcmp(name, "net.ipv4.tcp_fastopen")) {
		/* Client and server TFO are off unless a socket asks; scripts
		 * that ask use TCP_FASTOPEN or MSG_FASTOPEN, both unsupported. */
	} else if (!strcmp(name, "net.ipv4.tcp_frto")) {
		c->frto = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_recovery")) {
		/* Bit 1: RACK loss detection; bits 2 and 4 (static and no-
		 * DupThresh reordering windows) are not implemented. */
		if (!num || (v & ~1LL))
			return false;
		c->rack = v & 1;
	} else if (!strcmp(name, "net.ipv4.tcp_early_retrans")) {
		/* 3 and 4: tail loss probes; 0 to 2 (the old early
		 * retransmit) none of them. */
		if (!num || v < 0 || v > 4)
			return false;
		c->tlp = v >= 3;
	} else if (!strcmp(name, "net.ipv4.tcp_dsack")) {
		c->opt_dsack = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_syncookies")) {
		c->syncookies = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_max_syn_backlog")) {
		c->max_syn_backlog = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_tw_reuse")) {
		c->tw_reuse = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_moderate_rcvbuf")) {
		c->rcvbuf_autotune = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_slow_start_after_idle")) {
		return num && v == 0; /* glasstcp does not restart from idle */
	} else if (linux_tuning_without_effect(name)) {
		/* Linux tuning with no counterpart here (FACK, TSO and
		 * pacing knobs): logged, not applied. A script whose outcome
		 * depends on one fails visibly. */
		logf_(r, "sysctl %s=%s has no effect on glasstcp", name, val);
	} else {
		return false;
	}
	if (r->st && gt_stack_set_config(r->st, c) < 0)
		return false;
	return true;
}

/* $((15*1024*1024)) style arithmetic, as defaults.sh writes it. Products
 * are bounded, so a script cannot overflow them. */
static bool expand_arith(const char *val, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = val; *p;) {
		if (o + 24 >= n)
			return false;
		if (!strncmp(p, "$((", 3)) {
			long long prod = 1, t;
			const char *q = p + 3;
			char *end;
			for (;;) {
				errno = 0;
				t = strtoll(q, &end, 10);
				if (end == q || errno || t < 0 || t > (1LL << 32) ||
				    (t && prod > (1LL << 32) / t))
					return false;
				prod *= t;
				q = end;
				if (*q != '*')
					break;
				q++;
			}
			if (strncmp(q, "))", 2) != 0)
				return false;
			o += (size_t)snprintf(out + o, n - o, "%lld", prod);
			p = q + 2;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = 0;
	return true;
}

/* sysctl [-w|-q] name=value [name=value...] */
static bool run_sysctl(struct runner *r, int line, char *args)
{
	char *save = NULL;
	for (char *tok = strtok_r(args, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (tok[0] == '-' || !strcmp(tok, ">") || !strncmp(tok, "/dev/", 5) || !strcmp(tok, "2>&1"))
			continue;
		char *eq = strchr(tok, '=');
		if (!eq) {
			unsupported(r, line, "sysctl without a value: %s", tok);
			return false;
		}
		*eq = 0;
		char *val = eq + 1;
		/* A quoted value may hold spaces: rejoin up to the closing quote. */
		char full[128];
		if (*val == '"') {
			snprintf(full, sizeof(full), "%s", val + 1);
			char *q = strchr(full, '"');
			while (!q) {
				char *more = strtok_r(NULL, " \t", &save);
				if (!more)
					break;
				size_t n = strlen(full);
				snprintf(full + n, sizeof(full) - n, " %s", more);
				q = strchr(full, '"');
			}
			if (q)
				*q = 0;
			val = full;
		}
		char expanded[128];
		if (!expand_arith(val, expanded, sizeof(expanded))) {
			unsupported(r, line, "sysctl %s: value form '%.40s'", tok, val);
			return false;
		}
		logf_(r, "sysctl %s=%s", tok, expanded);
		if (!apply_sysctl(r, tok, expanded)) {
			unsupported(r, line, "sysctl %s=%s", tok, expanded);
			return false;
		}
	}
	return true;
}

static bool run_shell(struct runner *r, int line, const char *text, int depth);

static bool run_shell_file(struct runner *r, int line, const char *path, int depth)
{
	char full[1024];
	if (path[0] == '/' || !r->dir)
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", r->dir, path);
	FILE *f = fopen(full, "r");
	if (!f) {
		unsupported(r, line, "cannot read %s", full);
		return false;
	}
	char buf[512];
	bool ok = true;
	while (ok && fgets(buf, sizeof(buf), f)) {
		char *s = buf;
		while (isspace((unsigned char)*s))
			s++;
		s[strcspn(s, "\n")] = 0;
		if (!*s || *s == '#')
			continue;
		ok = run_shell(r, line, s, depth + 1);
	}
	fclose(f);
	return ok;
}

static int state_from_name(const char *n)
{
	static const struct {
		const char *name;
		int st;
	} names[] = {
		{"CLOSED", GT_TCP_CLOSED}, {"LISTEN", GT_TCP_LISTEN}, {"SYN_SENT", GT_TCP_SYN_SENT},
		{"SYN_RCVD", GT_TCP_SYN_RECEIVED}, {"SYN_RECV", GT_TCP_SYN_RECEIVED},
		{"ESTABLISHED", GT_TCP_ESTABLISHED}, {"ESTAB", GT_TCP_ESTABLISHED},
		{"FIN_WAIT_1", GT_TCP_FIN_WAIT_1}, {"FIN_WAIT_2", GT_TCP_FIN_WAIT_2},
		{"CLOSE_WAIT", GT_TCP_CLOSE_WAIT}, {"CLOSING", GT_TCP_CLOSING},
		{"LAST_ACK", GT_TCP_LAST_ACK}, {"TIME_WAIT", GT_TCP_TIME_WAIT},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].name, n))
			return names[i].st;
	return -1;
}

/* "sockstat ... | grep -c STATE | grep N": how many connections are in a
 * state, answered from the stack's gauges. */
static bool run_sockstat(struct runner *r, int line, const char *text)
{
	const char *c = strstr(text, "grep -c ");
	if (!c) {
		unsupported(r, line, "sockstat form: %s", text);
		return false;
	}
	char state[24];
	long long n;
	const char *gp = strstr(c + 8, "| grep ");
	if (sscanf(c + 8, "%23s", state) != 1 || !gp || !parse_u(gp + 7, &n) || n < 0 || n > 1000000) {
		unsupported(r, line, "sockstat form: %s", text);
		return false;
	}
	int st = state_from_name(state);
	if (st < 0) {
		unsupported(r, line, "sockstat state %s", state);
		return false;
	}
	struct gt_gauges g;
	gt_stack_gauges(r->st, &g);
	uint32_t have = g.conns_by_state[st];
	if (st == GT_TCP_CLOSED) {
		/* sockstat lists sockets still open whose connection is gone. */
		have = 0;
		for (int i = 0; i < MAX_FDS; i++) {
			struct gt_tcp_info ti;
			size_t len = sizeof(ti);
			if (r->fd[i] >= 0 &&
			    gt_getsockopt(r->st, r->fd[i], GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) == 0 &&
			    ti.state == GT_TCP_CLOSED)
				have++;
		}
	}
	if (st == GT_TCP_LISTEN) {
		unsupported(r, line, "sockstat LISTEN count");
		return false;
	}
	/* grep -c prints the count and "grep N" succeeds when it matches. */
	if ((long long)have != n) {
		fail(r, line, "%u connections in %s, the script expects %lld", have, state, n);
		return false;
	}
	return true;
}

static bool run_shell_line(struct runner *r, int line, const char *text, int depth);

/* A backtick command may hold several lines: each is one command. */
static bool run_shell(struct runner *r, int line, const char *text, int depth)
{
	char *copy = strdup(text);
	bool ok = copy != NULL;
	char *save = NULL;
	for (char *ln = copy ? strtok_r(copy, "\n", &save) : NULL; ln && ok; ln = strtok_r(NULL, "\n", &save)) {
		while (isspace((unsigned char)*ln))
			ln++;
		if (*ln)
			ok = run_shell_line(r, line, ln, depth);
	}
	free(copy);
	return ok;
}

static bool run_shell_line(struct runner *r, int line, const char *text, int depth)
{
	if (depth > 3) {
		unsupported(r, line, "nested shell scripts");
		return false;
	}
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", text);
	char *s = buf;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	if (!strncmp(s, "sysctl ", 7))
		return run_sysctl(r, line, s + 7);
	if (n > 3 && !strcmp(s + n - 3, ".sh"))
		return run_shell_file(r, line, s, depth);
	if (!strncmp(s, "sockstat ", 9))
		return ensure_stack(r) && run_sockstat(r, line, s);
	if (!strcmp(s, "tcpdrop -s TIME_WAIT")) {
		if (ensure_stack(r))
			gt_stack_timewait_drop_all(r->st);
		return true;
	}
	/* Commands with no meaning in-process: flushing kernel caches and
	 * queueing disciplines of a real device, IPsec keys. */
	if (!strncmp(s, "ip tcp_metrics flush", 20) || !strncmp(s, "tc qdisc", 8) ||
	    !strcmp(s, "setkey -F"))
		return true;
	unsupported(r, line, "shell command `%s`", s);
	return false;
}

/* ---- time ---- */

static void retry_pending(struct runner *r);

static void set_now(struct runner *r, uint64_t t)
{
	if (t > r->now)
		r->now = t;
	gt_stack_poll(r->st, r->now);
	retry_pending(r);
}

/* Runs the stack's timers up to t. */
static void advance_to(struct runner *r, uint64_t t)
{
	for (;;) {
		uint64_t d = gt_stack_next_deadline(r->st);
		if (d > t || r->failed)
			break;
		set_now(r, d > r->now ? d : r->now);
		if (d <= r->now && gt_stack_next_deadline(r->st) == d)
			break; /* a deadline that does not move: avoid spinning */
	}
	if (!r->failed)
		set_now(r, t);
}

/* ---- packets ---- */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The options of a live segment, in order. */
static int live_options(const uint8_t *o, size_t n, struct pk_opt *out, int max)
{
	int k = 0;
	size_t i = 0;
	while (i < n && k < max) {
		struct pk_opt *p = &out[k];
		memset(p, 0, sizeof(*p));
		uint8_t kind = o[i];
		if (kind == 0 || kind == 1) {
			p->kind = kind == 0 ? PO_EOL : PO_NOP;
			k++;
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			return -1;
		uint8_t len = o[i + 1];
		const uint8_t *d = o + i + 2;
		switch (kind) {
		case 2:
			p->kind = PO_MSS;
			p->a = rd16(d);
			break;
		case 3:
			p->kind = PO_WSCALE;
			p->a = d[0];
			break;
		case 4:
			p->kind = PO_SACKOK;
			break;
		case 5:
			p->kind = PO_SACK;
			for (int b = 0; b < (len - 2) / 8 && b < PK_MAX_SACK; b++) {
				p->sack[b][0] = rd32(d + b * 8);
				p->sack[b][1] = rd32(d + b * 8 + 4);
				p->nsack++;
			}
			break;
		case 8:
			p->kind = PO_TS;
			p->a = rd32(d);
			p->b = rd32(d + 4);
			break;
		default:
			return -1;
		}
		k++;
		i += len;
	}
	return k;
}

static const char *opt_name(enum pk_optkind k)
{
	static const char *const n[] = {"nop", "eol", "mss", "wscale", "sackOK", "sack", "TS"};
	return n[k];
}

static void fmt_opts(char *buf, size_t n, const struct pk_opt *o, int cnt, enum pk_optmode mode)
{
	size_t w = 0;
	buf[0] = 0;
	if (mode == PK_OPTS_ANY) {
		snprintf(buf, n, " <...>");
		return;
	}
	if (!cnt)
		return;
	w += (size_t)snprintf(buf + w, n - w, " <");
	for (int i = 0; i < cnt && w < n; i++) {
		w += (size_t)snprintf(buf + w, n - w, "%s%s", i ? "," : "", opt_name(o[i].kind));
		if (w >= n)
			break;
		if (o[i].kind == PO_MSS || o[i].kind == PO_WSCALE)
			w += (size_t)snprintf(buf + w, n - w, " %u", o[i].a);
		else if (o[i].kind == PO_TS)
			w += (size_t)snprintf(buf + w, n - w, " val %u ecr %u", o[i].a, o[i].b);
		else if (o[i].kind == PO_SACK)
			for (int b = 0; b < o[i].nsack && w < n; b++)
				w += (size_t)snprintf(buf + w, n - w, " %u:%u", o[i].sack[b][0], o[i].sack[b][1]);
	}
	if (w < n)
		snprintf(buf + w, n - w, ">");
}

/* A live segment mapped to script space, for matching and messages. */
struct seen {
	uint8_t flags, ttl;
	uint32_t seq, ack, len, win;
	struct pk_opt opt[PK_MAX_OPTS];
	int nopt;
	bool bad_opts;
	uint64_t t_us;
};

static void fmt_seen(char *buf, size_t n, const struct seen *s)
{
	char fl[12], opts[200];
	fmt_opts(opts, sizeof(opts), s->opt, s->nopt, PK_OPTS_LIST);
	snprintf(buf, n, "%s %u:%u(%u) ack %u win %u%s at %.6f", tcp_flags_str(s->flags, fl), s->seq,
		 s->seq + s->len, s->len, s->ack, s->win, opts, (double)s->t_us / 1e6);
}

static void fmt_script(char *buf, size_t n, const struct pk_event *e)
{
	const struct pk_pkt *p = &e->pkt;
	char fl[12], opts[200], ack[24] = "", win[24] = "", seq[32];
	fmt_opts(opts, sizeof(opts), p->opt, p->nopt, p->optmode);
	if (p->has_ack)
		snprintf(ack, sizeof(ack), " ack %u", p->ack);
	if (p->has_win)
		snprintf(win, sizeof(win), " win %u", p->win);
	if (p->seq_any)
		snprintf(seq, sizeof(seq), "...(%u)", p->len);
	else
		snprintf(seq, sizeof(seq), "%u:%u(%u)", p->seq, p->seq + p->len, p->len);
	snprintf(buf, n, "%s %s%s%s%s at %.6f", tcp_flags_str(p->flags, fl), seq, ack, win, opts,
		 (double)e->t_us / 1e6);
}

/* Maps a live TCP segment to script space. Returns false if it is no TCP
 * segment of ours. */
static bool map_live(struct runner *r, const struct out_pkt *o, struct seen *s)
{
	struct ipv4_hdr ih;
	if (ipv4_parse(o->data, o->len, &ih) != IPV4_OK || ih.proto != IPPROTO_TCP_)
		return false;
	const uint8_t *t = o->data + ih.ihl_bytes;
	size_t tl = (size_t)ih.total_len - ih.ihl_bytes;
	if (tl < TCP_HDR_MIN)
		return false;
	size_t doff = (size_t)(t[12] >> 4) * 4;
	if (doff < TCP_HDR_MIN || doff > tl)
		return false;
	memset(s, 0, sizeof(*s));
	s->flags = t[13];
	s->ttl = ih.ttl;
	s->t_us = o->t_us;
	uint32_t seq = rd32(t + 4), ack = rd32(t + 8);
	if ((s->flags & TH_SYN) && !r->local_isn_known) {
		r->local_isn = seq;
		r->local_isn_known = true;
	}
	if (!r->lport)
		r->lport = rd16(t);
	s->seq = seq - r->local_isn;
	s->ack = ack; /* the script's ISN is 0 */
	s->win = rd16(t + 14);
	s->len = (uint32_t)(tl - doff);
	s->nopt = live_options(t + TCP_HDR_MIN, doff - TCP_HDR_MIN, s->opt, PK_MAX_OPTS);
	if (s->nopt < 0) {
		s->nopt = 0;
		s->bad_opts = true;
	}
	return true;
}

static bool opts_match(struct runner *r, const struct pk_event *e, const struct seen *s,
		       char *why, size_t n)
{
	const struct pk_pkt *p = &e->pkt;
	if (p->optmode == PK_OPTS_ANY)
		return true;
	int want = p->optmode == PK_OPTS_LIST ? p->nopt : 0;
	if (want != s->nopt) {
		snprintf(why, n, "options differ");
		return false;
	}
	for (int i = 0; i < want; i++) {
		const struct pk_opt *a = &p->opt[i], *b = &s->opt[i];
		if (a->kind != b->kind) {
			snprintf(why, n, "option %d: expected %s, got %s", i + 1, opt_name(a->kind),
				 opt_name(b->kind));
			return false;
		}
		switch (a->kind) {
		case PO_MSS:
		case PO_WSCALE:
			if (a->a != b->a) {
				snprintf(why, n, "%s: expected %u, got %u", opt_name(a->kind), a->a, b->a);
				return false;
			}
			break;
		case PO_SACK:
			if (a->nsack != b->nsack) {
				snprintf(why, n, "SACK: expected %u blocks, got %u", a->nsack, b->nsack);
				return false;
			}
			for (int k = 0; k < a->nsack; k++)
				if (a->sack[k][0] != b->sack[k][0] || a->sack[k][1] != b->sack[k][1]) {
					snprintf(why, n, "SACK block %d: expected %u:%u, got %u:%u", k + 1,
						 a->sack[k][0], a->sack[k][1], b->sack[k][0], b->sack[k][1]);
					return false;
				}
			break;
		case PO_TS: {
			if (!r->ts_base_known) {
				r->ts_base_known = true;
				r->script_ts_base = a->a;
				r->live_ts_base = b->a;
			}
			if (a->b != b->b) {
				snprintf(why, n, "TS ecr: expected %u, got %u", a->b, b->b);
				return false;
			}
			if (r->sc->ts_tick_us) {
				int32_t want_rel = (int32_t)(a->a - r->script_ts_base);
				int32_t got_rel = (int32_t)(b->a - r->live_ts_base);
				int64_t diff = (int64_t)got_rel - want_rel;
				if (diff < 0)
					diff = -diff;
				if (diff * r->sc->ts_tick_us > r->sc->tolerance_us) {
					snprintf(why, n, "TS val: expected %u, got %u (rebased)", a->a,
						 (uint32_t)(got_rel + (int32_t)r->script_ts_base));
					return false;
				}
			}
			break;
		}
		default:
			break;
		}
	}
	return true;
}

/* An outbound packet expected in a time range ('~') or at any time ('*')
 * that came at t: as packetdrill does, the events written relative to it
 * ('+') count from when it really came, not from the start of its range. */
static void rebase_after(struct runner *r, int i, uint64_t t)
{
	struct pk_event *e = &r->sc->ev[i];
	int64_t shift = (int64_t)t - e->t_us;
	if (shift <= 0)
		return;
	for (int j = i + 1; j < r->sc->nev && r->sc->ev[j].rel_time; j++) {
		struct pk_event *n = &r->sc->ev[j];
		n->t_us = n->t_us + shift > PK_TIME_MAX_US ? PK_TIME_MAX_US : n->t_us + shift;
		if (n->has_range || n->blocking)
			n->t_end_us = n->t_end_us + shift > PK_TIME_MAX_US ? PK_TIME_MAX_US
									     : n->t_end_us + shift;
	}
}

static void expect_out(struct runner *r, const struct pk_event *e)
{
	const struct pk_pkt *p = &e->pkt;
	int64_t tol = r->sc->tolerance_us;
	uint64_t lo = e->any_time ? 0 : (e->t_us > tol ? (uint64_t)(e->t_us - tol) : 0);
	uint64_t hi = e->any_time ? UINT64_MAX / 2
				  : (uint64_t)((e->has_range ? e->t_end_us : e->t_us) + tol);
	if (e->any_time && !r->qlen)
		hi = r->now + 600000000ull; /* '*': whenever, within ten minutes */
	char want[320], got[320], why[160] = "";
	fmt_script(want, sizeof(want), e);
	if (p->icmp) {
		unsupported(r, e->line, "outbound ICMP expectations");
		return;
	}
	struct seen s, part;
	uint32_t got_len = 0;
	bool first = true;
	do {
		while (!r->qlen && r->now < hi && !r->failed) {
			uint64_t d = gt_stack_next_deadline(r->st);
			advance_to(r, d > r->now && d < hi ? d : hi);
		}
		if (r->failed)
			return;
		if (!r->qlen) {
			if (first)
				fail(r, e->line, "expected %s, but nothing was sent by %.6f", want,
				     (double)hi / 1e6);
			else
				fail(r, e->line, "expected %s, but only %u bytes were sent by %.6f",
				     want, got_len, (double)hi / 1e6);
			return;
		}
		if (!map_live(r, &r->q[r->qhead], &part)) {
			drop_head(r);
			fail(r, e->line, "expected %s, the stack sent a non-TCP packet", want);
			return;
		}
		drop_head(r);
		if (first) {
			s = part;
			first = false;
		} else {
			/* Joining (not strict): contiguous pieces, flags united. */
			if (part.seq != s.seq + s.len) {
				fmt_seen(got, sizeof(got), &part);
				fail(r, e->line, "expected %s, got a non-contiguous piece %s", want, got);
				return;
			}
			s.len += part.len;
			s.flags |= part.flags;
		}
		got_len = s.len;
		logf_(r, "> %s", (fmt_seen(got, sizeof(got), &part), got));
	} while (!r->opt->strict && !p->seq_any && s.len < p->len && !(s.flags & (TH_SYN | TH_FIN | TH_RST)));
	fmt_seen(got, sizeof(got), &s);
	if (s.t_us < lo || s.t_us > hi) {
		fail(r, e->line, "expected %s, got it at %.6f, outside the tolerance of %lld us", want,
		     (double)s.t_us / 1e6, (long long)tol);
		return;
	}
	if (p->flags & TH_SYN && p->seq_any && (s.flags & TH_SYN))
		r->local_isn = s.seq + r->local_isn; /* a new incarnation's ISN */
	bool ok = s.flags == p->flags && (p->seq_any || s.seq == p->seq) && s.len == p->len &&
		  (!p->has_ack || s.ack == p->ack) && (!p->has_win || s.win == p->win) &&
		  (p->ttl < 0 || s.ttl == p->ttl);
	if (ok && s.bad_opts) {
		ok = false;
		snprintf(why, sizeof(why), "malformed options");
	}
	if (ok && !opts_match(r, e, &s, why, sizeof(why)))
		ok = false;
	if (!ok) {
		fail(r, e->line, "expected %s, got %s%s%s", want, got, why[0] ? ": " : "", why);
		return;
	}
	if (e->has_range || e->any_time)
		rebase_after(r, (int)(e - r->sc->ev), s.t_us);
}

static void build_in(struct runner *r, const struct pk_event *e)
{
	const struct pk_pkt *p = &e->pkt;
	uint8_t pkt[IPV4_HDR_MIN + TCP_HDR_MIN + TCP_OPT_MAX + 65536];
	uint8_t opts[TCP_OPT_MAX + 4];
	size_t olen = 0;
	if (p->len > 65000) {
		fail(r, e->line, "payload too large");
		return;
	}
	if (p->optmode == PK_OPTS_ANY) {
		unsupported(r, e->line, "<...> on an inbound packet");
		return;
	}
	for (int i = 0; i < p->nopt; i++) {
		const struct pk_opt *o = &p->opt[i];
		uint8_t *d = opts + olen;
		size_t need = o->kind == PO_NOP || o->kind == PO_EOL ? 1 : o->kind == PO_MSS ? 4
			    : o->kind == PO_WSCALE ? 3 : o->kind == PO_SACKOK ? 2
			    : o->kind == PO_TS ? 10 : 2 + 8u * o->nsack;
		if (olen + need > TCP_OPT_MAX) {
			fail(r, e->line, "options longer than 40 bytes");
			return;
		}
		switch (o->kind) {
		case PO_NOP: d[0] = 1; break;
		case PO_EOL: d[0] = 0; break;
		case PO_MSS: d[0] = 2; d[1] = 4; d[2] = (uint8_t)(o->a >> 8); d[3] = (uint8_t)o->a; break;
		case PO_WSCALE: d[0] = 3; d[1] = 3; d[2] = (uint8_t)o->a; break;
		case PO_SACKOK: d[0] = 4; d[1] = 2; break;
		case PO_TS: {
			uint32_t ecr = o->b;
			if (ecr && r->ts_base_known)
				ecr = ecr - r->script_ts_base + r->live_ts_base;
			d[0] = 8;
			d[1] = 10;
			for (int k = 0; k < 4; k++) {
				d[2 + k] = (uint8_t)(o->a >> (24 - 8 * k));
				d[6 + k] = (uint8_t)(ecr >> (24 - 8 * k));
			}
			break;
		}
		case PO_SACK:
			d[0] = 5;
			d[1] = (uint8_t)(2 + 8 * o->nsack);
			for (int b = 0; b < o->nsack; b++)
				for (int k = 0; k < 4; k++) {
					d[2 + 8 * b + k] = (uint8_t)((o->sack[b][0] + r->local_isn) >> (24 - 8 * k));
					d[6 + 8 * b + k] = (uint8_t)((o->sack[b][1] + r->local_isn) >> (24 - 8 * k));
				}
			break;
		}
		olen += need;
	}
	while (olen % 4)
		opts[olen++] = 0;
	uint8_t *seg = pkt + IPV4_HDR_MIN;
	memcpy(seg + TCP_HDR_MIN, opts, olen);
	memset(seg + TCP_HDR_MIN + olen, 0, p->len);
	struct tcp_hdr h = {
		.sport = r->rport, .dport = r->lport, .seq = p->seq,
		.ack = p->has_ack ? p->ack + r->local_isn : 0,
		.doff_bytes = (uint8_t)(TCP_HDR_MIN + olen), .flags = p->flags,
		.win = (uint16_t)(p->has_win ? p->win : 32792),
	};
	tcp_emit(seg, &h, seg + TCP_HDR_MIN, olen, p->len, REMOTE_IP, LOCAL_IP);
	size_t tcp_len = TCP_HDR_MIN + olen + p->len;
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + tcp_len),
		.ttl = (uint8_t)(p->ttl >= 0 ? p->ttl : 64), .proto = IPPROTO_TCP_,
		.src = REMOTE_IP, .dst = LOCAL_IP,
	};
	ipv4_emit(pkt, &ih);
	gt_stack_input(r->st, r->now, pkt, IPV4_HDR_MIN + tcp_len);
}

static void build_icmp_in(struct runner *r, const struct pk_event *e)
{
	const struct pk_pkt *p = &e->pkt;
	/* The quoted datagram: our IP header and the first 8 bytes of a
	 * segment we sent, with the script's sequence number mapped. */
	uint8_t quote[IPV4_HDR_MIN + 8];
	struct ipv4_hdr qh = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = IPV4_HDR_MIN + TCP_HDR_MIN, .ttl = 64,
		.proto = IPPROTO_TCP_, .src = LOCAL_IP, .dst = REMOTE_IP,
	};
	ipv4_emit(quote, &qh);
	uint8_t *t = quote + IPV4_HDR_MIN;
	uint32_t seq = p->seq + r->local_isn;
	t[0] = (uint8_t)(r->lport >> 8);
	t[1] = (uint8_t)r->lport;
	t[2] = (uint8_t)(r->rport >> 8);
	t[3] = (uint8_t)r->rport;
	for (int k = 0; k < 4; k++)
		t[4 + k] = (uint8_t)(seq >> (24 - 8 * k));
	uint8_t pkt[IPV4_HDR_MIN + 8 + sizeof(quote)];
	uint32_t rest = p->icmp_code == 4 ? p->icmp_mtu & 0xffff : 0;
	size_t n = icmp_emit(pkt + IPV4_HDR_MIN, p->icmp_type, p->icmp_code, rest, quote, sizeof(quote));
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + n), .ttl = 64,
		.proto = IPPROTO_ICMP_, .src = REMOTE_IP, .dst = LOCAL_IP,
	};
	ipv4_emit(pkt, &ih);
	gt_stack_input(r->st, r->now, pkt, IPV4_HDR_MIN + n);
}

/* ---- system calls ---- */

static int sd_of(struct runner *r, const struct pk_event *e, const struct pk_val *v)
{
	if (v->kind != PV_INT || v->i < 0 || v->i >= MAX_FDS || r->fd[v->i] < 0) {
		/* A descriptor the script never opened: as the kernel, EBADF. */
		return -1;
	}
	r->last_fd = (int)v->i;
	(void)e;
	return r->fd[v->i];
}

static long long int_arg(const struct pk_call *c, int i)
{
	if (i >= c->nargs)
		return 0;
	const struct pk_val *v = &c->args[i];
	if (v->kind == PV_LIST && v->n == 1 && v->items[0].kind == PV_INT)
		return v->items[0].i;
	return v->kind == PV_INT ? v->i : 0;
}

static bool would_block(long long rv) { return rv == -EAGAIN; }

/* Does the result match? Sets why. */
static bool check_ret(const struct pk_call *c, long long rv, char *why, size_t n)
{
	if (c->ret == -1) {
		if (rv == -c->err)
			return true;
		if (rv >= 0)
			snprintf(why, n, "expected -1 %s, got %lld", c->err_name, rv);
		else
			snprintf(why, n, "expected -1 %s, got -1 %s", c->err_name, pk_errno_name((int)-rv));
		return false;
	}
	if (rv == c->ret)
		return true;
	if (rv < 0)
		snprintf(why, n, "expected %lld, got -1 %s", c->ret, pk_errno_name((int)-rv));
	else
		snprintf(why, n, "expected %lld, got %lld", c->ret, rv);
	return false;
}

static uint8_t zeros[65536];

static long long iov_total(const struct pk_val *v)
{
	long long total = 0;
	if (v->kind != PV_LIST)
		return -1;
	for (int i = 0; i < v->n; i++) {
		const struct pk_val *it = &v->items[i];
		if (it->kind != PV_STRUCT || it->n < 2 || it->items[1].kind != PV_INT ||
		    it->items[1].i < 0 || it->items[1].i > (long long)sizeof(zeros))
			return -1;
		total += it->items[1].i;
	}
	return total;
}

static long long do_sockopt(struct runner *r, const struct pk_event *e, bool set, int sd)
{
	const struct pk_call *c = &e->call;
	if (c->nargs < 5)
		return -EINVAL;
	int level = (int)int_arg(c, 1), name = (int)int_arg(c, 2);
	const struct pk_val *val = &c->args[3];
	if (c->args[2].name[0] && !strcmp(c->args[2].name, "TCP_INFO")) {
		unsupported(r, e->line, "getsockopt TCP_INFO with a struct in the script");
		return 0;
	}
	if (set) {
		if (val->kind == PV_STR)
			return gt_setsockopt(r->st, sd, level, name, val->name, strlen(val->name));
		if (val->kind == PV_STRUCT) {
			struct gt_linger l = {0, 0};
			for (int i = 0; i < val->n; i++) {
				if (!strcmp(val->items[i].name, "onoff") || !strcmp(val->items[i].name, "l_onoff"))
					l.l_onoff = (int)val->items[i].i;
				else if (!strcmp(val->items[i].name, "linger") || !strcmp(val->items[i].name, "l_linger"))
					l.l_linger = (int)val->items[i].i;
			}
			return gt_setsockopt(r->st, sd, level, name, &l, sizeof(l));
		}
		int v = (int)int_arg(c, 3);
		return gt_setsockopt(r->st, sd, level, name, &v, sizeof(v));
	}
	if (name == GT_SO_LINGER && level == GT_SOL_SOCKET) {
		unsupported(r, e->line, "getsockopt SO_LINGER");
		return 0;
	}
	int got = 0;
	size_t len = sizeof(got);
	long long rv = gt_getsockopt(r->st, sd, level, name, &got, &len);
	if (rv < 0)
		return rv;
	if (val->kind == PV_LIST && val->n == 1 && val->items[0].kind == PV_INT &&
	    got != (int)val->items[0].i) {
		char why[160];
		snprintf(why, sizeof(why), "getsockopt %s: expected %lld, got %d",
			 c->args[2].name[0] ? c->args[2].name : "?", val->items[0].i, got);
		fail(r, e->line, "%s", why);
	}
	return rv;
}

static long long do_poll(struct runner *r, const struct pk_event *e)
{
	const struct pk_call *c = &e->call;
	const struct pk_val *l = &c->args[0];
	if (l->kind != PV_LIST || l->n > 8) {
		unsupported(r, e->line, "poll() argument form");
		return 0;
	}
	struct gt_pollfd pf[8];
	int fdv[8];
	for (int i = 0; i < l->n; i++) {
		const struct pk_val *s = &l->items[i];
		pf[i].sd = -1;
		pf[i].events = 0;
		fdv[i] = -1;
		for (int k = 0; k < s->n; k++) {
			if (!strcmp(s->items[k].name, "fd")) {
				fdv[i] = (int)s->items[k].i;
				pf[i].sd = fdv[i] >= 0 && fdv[i] < MAX_FDS ? r->fd[fdv[i]] : -1;
			} else if (!strcmp(s->items[k].name, "events")) {
				pf[i].events = (short)s->items[k].i;
			}
		}
	}
	int n = gt_poll(r->st, pf, (size_t)l->n);
	if (n == 0 && int_arg(c, 2) != 0)
		return -EAGAIN; /* waits like a blocking call */
	for (int i = 0; i < l->n; i++) {
		const struct pk_val *s = &l->items[i];
		for (int k = 0; k < s->n; k++)
			if (!strcmp(s->items[k].name, "revents") && pf[i].revents != (short)s->items[k].i)
				fail(r, e->line, "poll: fd %d revents 0x%x, the script expects 0x%llx",
				     fdv[i], (unsigned)pf[i].revents, s->items[k].i);
	}
	return n;
}

/* Runs the call once. -EAGAIN means it would block. */
static long long attempt(struct runner *r, const struct pk_event *e)
{
	const struct pk_call *c = &e->call;
	const char *n = c->name;
	if (!strcmp(n, "socket")) {
		long long rv = gt_socket(r->st, GT_AF_INET, (int)int_arg(c, 1));
		if (rv >= 0) {
			if (c->ret < 0 || c->ret >= MAX_FDS) {
				unsupported(r, e->line, "socket() result %lld", c->ret);
				return rv;
			}
			r->fd[c->ret] = (int)rv;
			r->nonblock[c->ret] = false;
			r->last_fd = (int)c->ret;
			return c->ret;
		}
		return rv;
	}
	if (!strcmp(n, "poll"))
		return do_poll(r, e);
	int sd = c->nargs ? sd_of(r, e, &c->args[0]) : -1;
	if (sd < 0)
		return -EBADF;
	bool block = !r->nonblock[r->last_fd];
	int fdn = r->last_fd;
	if (!strcmp(n, "fcntl")) {
		long long cmd = int_arg(c, 1);
		if (cmd == 3)
			return O_RDWR_ | (r->nonblock[fdn] ? O_NONBLOCK_ : 0);
		if (cmd == 4) {
			r->nonblock[fdn] = (int_arg(c, 2) & O_NONBLOCK_) != 0;
			return 0;
		}
		unsupported(r, e->line, "fcntl command %lld", cmd);
		return 0;
	}
	if (!strcmp(n, "bind")) {
		struct gt_sockaddr a = {GT_AF_INET, BIND_PORT, 0};
		long long rv = gt_bind(r->st, sd, &a);
		if (rv == 0) {
			r->lport = BIND_PORT;
			r->rport = REMOTE_PORT_IN;
		}
		return rv;
	}
	if (!strcmp(n, "listen"))
		return gt_listen(r->st, sd, (int)int_arg(c, 1));
	if (!strcmp(n, "accept")) {
		long long rv = gt_accept(r->st, sd, NULL);
		if (rv >= 0) {
			if (c->ret < 0 || c->ret >= MAX_FDS)
				return rv;
			r->fd[c->ret] = (int)rv;
			r->nonblock[c->ret] = false;
			r->last_fd = (int)c->ret;
			return c->ret;
		}
		return rv == -EAGAIN && !block ? NONBLOCK_EAGAIN : rv;
	}
	if (!strcmp(n, "connect")) {
		struct gt_tcp_info ti;
		size_t len = sizeof(ti);
		if (r->pend == e) {
			/* A blocking connect in progress: done when established or failed. */
			gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len);
			if (ti.state == GT_TCP_SYN_SENT || ti.state == GT_TCP_SYN_RECEIVED)
				return -EAGAIN;
			int err = 0;
			len = sizeof(err);
			gt_getsockopt(r->st, sd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len);
			return err ? -err : 0;
		}
		struct gt_sockaddr a = {GT_AF_INET, BIND_PORT, REMOTE_IP};
		r->rport = BIND_PORT;
		long long rv = gt_connect(r->st, sd, &a);
		struct gt_sockaddr me;
		if (gt_getsockname(r->st, sd, &me) == 0 && me.port)
			r->lport = me.port;
		if (rv == -EINPROGRESS && block)
			return -EAGAIN;
		return rv;
	}
	if (!strcmp(n, "close")) {
		/* With SO_LINGER > 0 a blocking close waits for the ACK. */
		long long rv = gt_close(r->st, sd);
		if (rv == 0)
			r->fd[fdn] = -1;
		return rv == -EAGAIN && !block ? NONBLOCK_EAGAIN : rv;
	}
	if (!strcmp(n, "shutdown"))
		return gt_shutdown(r->st, sd, (int)int_arg(c, 1));
	bool is_read = !strcmp(n, "read") || !strcmp(n, "recv") || !strcmp(n, "recvfrom") ||
		       !strcmp(n, "readv");
	bool is_write = !strcmp(n, "write") || !strcmp(n, "send") || !strcmp(n, "sendto") ||
			!strcmp(n, "writev");
	if (is_read || is_write) {
		bool vec = !strcmp(n, "readv") || !strcmp(n, "writev");
		long long len = vec ? iov_total(&c->args[1]) : int_arg(c, 2);
		int flags = (!strcmp(n, "send") || !strcmp(n, "recv") || !strcmp(n, "sendto") ||
			     !strcmp(n, "recvfrom")) ? (int)int_arg(c, 3) : 0;
		if (len < 0 || len > (long long)sizeof(zeros)) {
			unsupported(r, e->line, "%s() length form", n);
			return 0;
		}
		if (flags & 0x40) { /* MSG_DONTWAIT */
			block = false;
			flags &= ~0x40;
		}
		if (is_read) {
			static uint8_t sink[65536];
			long long rv = gt_recv(r->st, sd, sink, (size_t)len, flags);
			return rv == -EAGAIN && !block ? NONBLOCK_EAGAIN : rv;
		}
		/* A blocking write moves everything, waiting for room. */
		long long rv = gt_send(r->st, sd, zeros, (size_t)(len - (long long)r->pend_written), flags);
		if (rv > 0 && block) {
			r->pend_written += (uint64_t)rv;
			if ((long long)r->pend_written < len)
				return -EAGAIN;
			rv = (long long)r->pend_written;
		}
		if (rv == -EAGAIN && block)
			return -EAGAIN;
		return rv == -EAGAIN ? NONBLOCK_EAGAIN : rv;
	}
	if (!strcmp(n, "setsockopt") || !strcmp(n, "getsockopt"))
		return do_sockopt(r, e, n[0] == 's', sd);
	if (!strcmp(n, "ioctl")) {
		long long req = int_arg(c, 1);
		if (req != 0x541b) {
			unsupported(r, e->line, "ioctl request %lld", req);
			return 0;
		}
		struct gt_tcp_info ti;
		size_t len = sizeof(ti);
		long long rv = gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len);
		if (rv < 0)
			return rv;
		if (c->args[2].kind == PV_LIST && c->args[2].n == 1 &&
		    (long long)ti.rcv_queued_bytes != c->args[2].items[0].i)
			fail(r, e->line, "ioctl SIOCINQ: %u bytes readable, the script expects %lld",
			     ti.rcv_queued_bytes, c->args[2].items[0].i);
		return 0;
	}
	unsupported(r, e->line, "system call %s()", n);
	return 0;
}

/* A non-blocking EAGAIN is encoded apart from "would block": decode. */
static long long decode(long long rv) { return rv == NONBLOCK_EAGAIN ? -EAGAIN : rv; }

static void finish_call(struct runner *r, const struct pk_event *e, long long rv)
{
	char why[200];
	rv = decode(rv);
	if (r->failed)
		return;
	if (!check_ret(&e->call, rv, why, sizeof(why))) {
		fail(r, e->line, "%s(): %s", e->call.name, why);
		return;
	}
	if (e->blocking) {
		int64_t tol = r->sc->tolerance_us;
		if ((int64_t)r->now < e->t_end_us - tol || (int64_t)r->now > e->t_end_us + tol)
			fail(r, e->line, "%s() returned at %.6f, the script expects %.6f", e->call.name,
			     (double)r->now / 1e6, (double)e->t_end_us / 1e6);
	}
	logf_(r, "%s() = %lld", e->call.name, rv);
}

static void retry_pending(struct runner *r)
{
	if (!r->pend || r->failed)
		return;
	const struct pk_event *e = r->pend;
	long long rv = attempt(r, e);
	if (would_block(rv))
		return;
	r->pend = NULL;
	r->pend_written = 0;
	finish_call(r, e, rv);
}

/* Waits for a pending call up to its deadline. */
static void settle_pending(struct runner *r)
{
	if (!r->pend)
		return;
	const struct pk_event *e = r->pend;
	uint64_t limit = (uint64_t)((e->blocking ? e->t_end_us : e->t_us) + r->sc->tolerance_us);
	while (r->pend && !r->failed && r->now < limit) {
		uint64_t d = gt_stack_next_deadline(r->st);
		advance_to(r, d > r->now && d < limit ? d : limit);
	}
	if (r->pend && !r->failed)
		fail(r, e->line, "%s() still blocked at %.6f", e->call.name, (double)r->now / 1e6);
}

static void run_call(struct runner *r, const struct pk_event *e)
{
	settle_pending(r);
	if (r->failed)
		return;
	r->pend_written = 0;
	long long rv = attempt(r, e);
	if (r->failed)
		return;
	if (would_block(rv)) {
		r->pend = e;
		return;
	}
	if (e->blocking && rv >= 0 && (int64_t)r->now < e->t_end_us - r->sc->tolerance_us) {
		fail(r, e->line, "%s() returned at once; the script expects it to block until %.6f",
		     e->call.name, (double)e->t_end_us / 1e6);
		return;
	}
	finish_call(r, e, rv);
}

/* tcpi_state as a number, in the numbering of the profile's kernel. */
static int os_state_number(enum gt_profile p, uint8_t st)
{
	static const int linux_no[GT_TCP_NSTATES] = {
		[GT_TCP_CLOSED] = 7, [GT_TCP_LISTEN] = 10, [GT_TCP_SYN_SENT] = 2,
		[GT_TCP_SYN_RECEIVED] = 3, [GT_TCP_ESTABLISHED] = 1, [GT_TCP_FIN_WAIT_1] = 4,
		[GT_TCP_FIN_WAIT_2] = 5, [GT_TCP_CLOSE_WAIT] = 8, [GT_TCP_CLOSING] = 11,
		[GT_TCP_LAST_ACK] = 9, [GT_TCP_TIME_WAIT] = 6,
	};
	static const int bsd_no[GT_TCP_NSTATES] = {
		[GT_TCP_CLOSED] = 0, [GT_TCP_LISTEN] = 1, [GT_TCP_SYN_SENT] = 2,
		[GT_TCP_SYN_RECEIVED] = 3, [GT_TCP_ESTABLISHED] = 4, [GT_TCP_CLOSE_WAIT] = 5,
		[GT_TCP_FIN_WAIT_1] = 6, [GT_TCP_CLOSING] = 7, [GT_TCP_LAST_ACK] = 8,
		[GT_TCP_FIN_WAIT_2] = 9, [GT_TCP_TIME_WAIT] = 10,
	};
	if (st >= GT_TCP_NSTATES)
		return -1;
	return p == GT_PROFILE_FREEBSD ? bsd_no[st] : linux_no[st];
}

/* %{ assert tcpi_x == N }% */
static void run_code(struct runner *r, const struct pk_event *e)
{
	int sd = r->last_fd >= 0 ? r->fd[r->last_fd] : -1;
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	if (sd < 0 || gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) < 0) {
		fail(r, e->line, "no socket for tcpi_ assertions");
		return;
	}
	char *text = strdup(e->text);
	if (!text)
		return;
	char *save = NULL;
	for (char *ln = strtok_r(text, "\n;", &save); ln && !r->failed; ln = strtok_r(NULL, "\n;", &save)) {
		while (isspace((unsigned char)*ln))
			ln++;
		if (!*ln)
			continue;
		char field[48], op[4], val[40];
		long long want;
		if (sscanf(ln, "assert tcpi_%47[a-z_] %3[=!<>] %39[A-Za-z0-9_]", field, op, val) != 3) {
			unsupported(r, e->line, "code block statement: %.60s", ln);
			break;
		}
		bool named = !strncmp(val, "TCPI_", 5);
		if (named) {
			int st = state_from_name(!strcmp(val + 5, "SYN_RECEIVED") ? "SYN_RCVD" : val + 5);
			if (st < 0) {
				unsupported(r, e->line, "code block value %s", val);
				break;
			}
			want = st;
		} else {
			char *end;
			want = strtoll(val, &end, 0);
			if (*end) {
				unsupported(r, e->line, "code block value %s", val);
				break;
			}
		}
		long long have;
		uint32_t mss = ti.snd_mss ? ti.snd_mss : 1;
		if (!strcmp(field, "snd_cwnd"))
			have = ti.snd_cwnd_bytes / mss;
		else if (!strcmp(field, "snd_ssthresh"))
			have = ti.snd_ssthresh_bytes >= 0x7fffffff ? 0x7fffffff : ti.snd_ssthresh_bytes / mss;
		else if (!strcmp(field, "rto"))
			have = ti.rto_us;
		else if (!strcmp(field, "rtt"))
			have = ti.srtt_us;
		else if (!strcmp(field, "rttvar"))
			have = ti.rttvar_us;
		else if (!strcmp(field, "state"))
			have = named ? ti.state : os_state_number(r->res->profile, ti.state);
		else if (!strcmp(field, "snd_mss"))
			have = ti.snd_mss;
		else if (!strcmp(field, "rcv_mss"))
			have = ti.rcv_mss;
		else if (!strcmp(field, "total_retrans"))
			have = (long long)ti.retrans_segs;
		else if (!strcmp(field, "unacked"))
			have = ti.unacked_bytes / mss;
		else if (!strcmp(field, "backoff"))
			have = ti.backoff;
		else {
			unsupported(r, e->line, "tcpi_%s", field);
			break;
		}
		bool ok = !strcmp(op, "==") ? have == want : !strcmp(op, "!=") ? have != want
			: !strcmp(op, "<=") ? have <= want : !strcmp(op, ">=") ? have >= want
			: !strcmp(op, "<") ? have < want : !strcmp(op, ">") ? have > want : false;
		if (!ok)
			fail(r, e->line, "tcpi_%s is %lld; the script asserts %s %lld", field, have, op, want);
	}
	free(text);
}

static void check_unexpected(struct runner *r, const struct pk_event *e)
{
	if (!r->qlen)
		return;
	uint64_t lo = e->t_us > r->sc->tolerance_us ? (uint64_t)(e->t_us - r->sc->tolerance_us) : 0;
	const struct out_pkt *o = &r->q[r->qhead];
	if (e->any_time || o->t_us < lo) {
		struct seen s;
		char got[320];
		if (map_live(r, o, &s))
			fmt_seen(got, sizeof(got), &s);
		else
			snprintf(got, sizeof(got), "a non-TCP packet");
		fail(r, e->line, "unexpected outbound packet %s (before this line's event)", got);
	}
}

static void run_events(struct runner *r)
{
	for (int i = 0; i < r->sc->nev && !r->failed; i++) {
		const struct pk_event *e = &r->sc->ev[i];
		if (e->kind == PE_SHELL && r->st == NULL) {
			run_shell(r, e->line, e->text, 0);
			continue;
		}
		if (!ensure_stack(r))
			return;
		if (e->kind == PE_PACKET && e->pkt.out) {
			expect_out(r, e);
			continue;
		}
		uint64_t t = e->any_time ? r->now : (uint64_t)e->t_us;
		advance_to(r, t);
		check_unexpected(r, e);
		if (r->failed)
			return;
		switch (e->kind) {
		case PE_PACKET:
			if (e->pkt.icmp)
				build_icmp_in(r, e);
			else
				build_in(r, e);
			logf_(r, "< line %d", e->line);
			retry_pending(r);
			break;
		case PE_CALL:
			run_call(r, e);
			break;
		case PE_SHELL:
			run_shell(r, e->line, e->text, 0);
			break;
		case PE_CODE:
			run_code(r, e);
			break;
		}
	}
	if (!r->failed)
		settle_pending(r);
}

const char *pk_verdict_name(enum pk_verdict v)
{
	static const char *const n[] = {"PASS", "FAIL", "UNSUPPORTED", "ERROR"};
	return n[v];
}

void pk_run_text(const char *text, size_t len, const char *name, const char *dir,
		 const struct pk_options *opt, struct pk_result *res)
{
	memset(res, 0, sizeof(*res));
	/* A NUL-terminated copy: the guess searches the text as a string. */
	char *copy = malloc(len + 1);
	if (!copy) {
		res->verdict = PK_ERROR;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	enum gt_profile prof = opt->profile_set ? opt->profile : pk_guess_profile(name, copy);
	free(copy);
	res->profile = prof;
	struct pk_script sc;
	memset(&sc, 0, sizeof(sc));
	sc.name = name;
	pk_parse(&sc, text, len, prof);
	if (sc.err_line) {
		res->verdict = PK_ERROR;
		res->line = sc.err_line;
		snprintf(res->why, sizeof(res->why), "parse error: %s", sc.err);
		pk_script_free(&sc);
		return;
	}
	if (sc.unsup_line) {
		res->verdict = PK_UNSUPPORTED;
		res->line = sc.unsup_line;
		snprintf(res->why, sizeof(res->why), "%s", sc.unsup);
		pk_script_free(&sc);
		return;
	}
	struct runner *r = calloc(1, sizeof(*r));
	if (!r) {
		res->verdict = PK_ERROR;
		snprintf(res->why, sizeof(res->why), "out of memory");
		pk_script_free(&sc);
		return;
	}
	r->sc = &sc;
	r->opt = opt;
	r->res = res;
	r->dir = dir;
	r->last_fd = -1;
	for (int i = 0; i < MAX_FDS; i++)
		r->fd[i] = -1;
	gt_config_default(&r->cfg, prof);
	/* Google's 2013 Linux tests (the nplab snapshot) were written against
	 * a kernel whose buffer limits gave window scale 6. */
	if (prof == GT_PROFILE_LINUX && name && strstr(name, "nplab-packetdrill"))
		r->cfg.rcv_wscale = 6;
	run_events(r);
	if (!r->failed)
		res->verdict = PK_PASS;
	while (r->qlen)
		drop_head(r);
	gt_stack_free(r->st);
	free(r);
	pk_script_free(&sc);
}

void pk_run_file(const char *path, const struct pk_options *opt, struct pk_result *res)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		memset(res, 0, sizeof(*res));
		res->verdict = PK_ERROR;
		snprintf(res->why, sizeof(res->why), "cannot open: %s", strerror(errno));
		return;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			if (cap >= (8u << 20))
				break;
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf) {
		memset(res, 0, sizeof(*res));
		res->verdict = PK_ERROR;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	pk_run_text(buf, len, path, dir, opt, res);
	free(buf);
}
