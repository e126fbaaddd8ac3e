/* pktrun's glasstcp back-end: one fresh stack per script, on virtual time.
 * The script plays the remote host: its '<' packets are built and fed to the
 * stack, its '>' packets must match what the stack sends, in time (judge.c
 * compares, as for the kernel back-end); system calls go to the socket API
 * (blocking calls pend until they complete). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/glasstcp.h>
#include <glasstcp/inspect.h>

#include "pktrun/pk_internal.h"
#include "tcp/tcp_check.h"

#define MAX_FDS 64
#define O_NONBLOCK_ 0x800
#define O_RDWR_ 2
/* EAGAIN from a non-blocking call: returned, where a blocking one waits. */
#define NONBLOCK_EAGAIN (-EAGAIN - 100000)

struct runner {
	struct pk_judge j;
	struct gt_config cfg;
	gt_stack *st;
	bool qdisc_full;          /* `tc qdisc ... pfifo limit 0` (sh_qdisc()) */
	bool tso_off;             /* --tso taken away by `ethtool -K tun0 tso off` */
	uint8_t gso_pkt[PK_PKT_MAX]; /* a TSO segment put together (capture_gso()) */

	int fd[MAX_FDS];          /* script fd -> stack descriptor, -1 */
	bool nonblock[MAX_FDS];
	int last_fd;
	int sut_fd;               /* packetdrill's socket under test (run_code()) */

	/* TCP-MD5 keys from setkey before the stack exists, installed when
	 * it is made. */
	struct {
		struct gt_sockaddr src, dst;
		char key[96];
	} md5[8];
	int nmd5;
	/* `ip route` metrics from before the stack exists, set when it is
	 * made (sh_route()). */
	struct gt_route route[GT_ROUTES];
	int nroute;

	/* tcp_cubic's module parameters hystart and hystart_detect as the
	 * script set them (sh_module_param()); Linux's 1 and 3 until then. */
	bool cubic_params_set;
	int cubic_hystart, cubic_detect;

	/* epoll instances (epoll_create()): an emulation of eventpoll.c over
	 * the stack's wake-ups (gt_wakeups()), ep[i] open on script fd
	 * ep[i].fd. */
	struct ep_set {
		int fd;                 /* the script's descriptor, -1: free */
		uint32_t seq;           /* the ready list's order */
		int n;
		struct ep_item {
			int fd;                 /* the script's descriptor watched */
			long long events;       /* EPOLL* bits, EPOLLERR | EPOLLHUP added */
			long long data;         /* fd= or ptr= as the script wrote it */
			struct gt_wakeups seen; /* the socket's wake-ups already taken */
			bool ready;             /* on the ready list (rdllist) */
			uint32_t at;            /* its place there */
		} it[PK_EPOLL_ITEMS];
	} ep[PK_EPOLL_SETS];
	uint64_t wait_until_us;   /* when a blocking epoll_wait()'s timeout ends, 0: none */

	/* A blocking call in progress. */
	const struct pk_event *pend;
	uint64_t pend_written;    /* bytes a blocking write has moved so far */
};

/* ---- the stack and its device ---- */

static int capture(void *ctx, const void *pkt, size_t len)
{
	struct runner *r = ctx;
	if (r->qdisc_full)
		return -ENOBUFS; /* `tc qdisc ... pfifo limit 0`: the queue full */
	if (r->j.out.len == PK_MAX_OUT)
		return -ENOBUFS;
	return pk_outq_push(&r->j.out, r->j.now_us, pkt, len) ? 0 : -ENOMEM;
}

/* --tso: a segment of several MSS, which the device would cut into
 * gso_size pieces, taken whole, as the kernel runner reads a GSO skb from
 * packetdrill's TUN: one packet, judged as one segment of its length. */
static int capture_gso(void *ctx, const struct gt_iovec *iov, int iovcnt, uint16_t gso_size)
{
	struct runner *r = ctx;
	int n = gt_iovec_join(r->gso_pkt, sizeof(r->gso_pkt), iov, iovcnt);
	if (n < 0)
		return n;
	if (gso_size)
		pk_log(&r->j, "sent a TSO segment of %d bytes (gso_size %u), judged as one", n, gso_size);
	return capture(ctx, r->gso_pkt, (size_t)n);
}

/* TSO on the device as on packetdrill's Linux TUN (--tso): Linux's TUN has
 * the legacy GSO limit of 64 KiB (GSO_LEGACY_MAX_SIZE, its gso_max_size);
 * the stack cuts its own units below that (src/tcp/tcp_output.c). */
#define PK_TSO_MAX_BYTES 65536u

static bool ensure_stack(struct runner *r)
{
	if (r->st)
		return true;
	memset(r->cfg.isn_secret, 0x5a, sizeof(r->cfg.isn_secret));
	struct gt_device dev = {.transmit = capture, .ctx = r,
				.mtu = (uint16_t)(r->j.sc->mtu ? r->j.sc->mtu : 1500)};
	if (r->j.opt->tso && !r->tso_off) {
		dev.tso_max_bytes = PK_TSO_MAX_BYTES;
		dev.transmit_gso = capture_gso;
	}
	r->st = gt_stack_new(&r->cfg, &dev);
	if (!r->st || gt_stack_add_ipv4(r->st, PK_LOCAL_IP, 24) < 0 ||
	    gt_stack_add_ipv6(r->st, &pk_local_ip6, 64) < 0) {
		pk_fail(&r->j, 0, "cannot create a stack with this configuration");
		return false;
	}
	for (int i = 0; i < r->nroute; i++)
		if (gt_route_set(r->st, &r->route[i]) < 0) {
			pk_fail(&r->j, 0, "the stack refused a route");
			return false;
		}
	for (int i = 0; i < r->nmd5; i++)
		if (gt_tcp_md5_key_add(r->st, &r->md5[i].src, &r->md5[i].dst, r->md5[i].key,
				       strlen(r->md5[i].key)) < 0) {
			pk_fail(&r->j, 0, "the stack refused a TCP-MD5 key");
			return false;
		}
	return true;
}

/* ---- sysctl and other backtick commands ---- */

/* Applies one name=value (gt_config_sysctl(), shared with the runtimes'
 * --sysctl); returns false when the setting has a meaning glasstcp does not
 * implement, so the script is reported unsupported. */
static bool apply_sysctl(struct runner *r, const char *name, const char *val)
{
	struct gt_config *c = &r->cfg;
	uint8_t wscale = c->rcv_wscale;
	int rc = gt_config_sysctl(c, r->j.res->profile, name, val);
	if (rc < 0)
		return false;
	if (rc == GT_SYSCTL_NO_EFFECT)
		pk_log(&r->j, "sysctl %s=%s has no effect on glasstcp", name, val);
	if (r->j.opt->wscale_set)
		c->rcv_wscale = wscale; /* --wscale: chosen by the run */
	if (r->st && gt_stack_set_config(r->st, c) < 0)
		return false;
	return true;
}

static bool sh_sysctl(void *ctx, int line, const char *name, const char *val)
{
	return apply_sysctl(ctx, name, val);
}

/* sockstat's count, from the stack's gauges. */
static bool sh_count_state(void *ctx, int line, int st, uint32_t *have)
{
	struct runner *r = ctx;
	if (!ensure_stack(r))
		return false;
	struct gt_gauges g;
	gt_stack_gauges(r->st, &g);
	*have = g.conns_by_state[st];
	if (st == GT_TCP_CLOSED) {
		/* sockstat lists sockets still open whose connection is gone. */
		*have = 0;
		for (int i = 0; i < MAX_FDS; i++) {
			struct gt_tcp_info ti;
			size_t len = sizeof(ti);
			long long rv = r->fd[i] >= 0 ? gt_getsockopt(r->st, r->fd[i], GT_IPPROTO_TCP,
								      GT_TCP_INFO, &ti, &len)
						    : -EBADF;
			/* FreeBSD's dropped inpcb (ECONNRESET: cfg.tcpi_tcpcb_bsd)
			 * is listed CLOSED too, its tcpcb's t_state. */
			if ((rv == 0 && ti.state == GT_TCP_CLOSED) || rv == -ECONNRESET)
				(*have)++;
		}
	}
	return true;
}

static bool sh_drop_timewait(void *ctx, int line)
{
	struct runner *r = ctx;
	if (!ensure_stack(r))
		return false;
	gt_stack_timewait_drop_all(r->st);
	return true;
}

/* setkey: the keys wait for the stack, so that the sysctls that follow
 * still shape it as it is made. */
static bool sh_md5_key(void *ctx, int line, const struct gt_sockaddr *src,
		       const struct gt_sockaddr *dst, const char *key)
{
	struct runner *r = ctx;
	if (r->st) {
		if (gt_tcp_md5_key_add(r->st, src, dst, key, strlen(key)) < 0) {
			pk_fail(&r->j, line, "the stack refused a TCP-MD5 key");
			return false;
		}
		return true;
	}
	if (r->nmd5 == (int)(sizeof(r->md5) / sizeof(r->md5[0])) || strlen(key) >= sizeof(r->md5[0].key)) {
		pk_unsupported(&r->j, line, "more than 8 TCP-MD5 keys, or one longer than 95 bytes");
		return false;
	}
	r->md5[r->nmd5].src = *src;
	r->md5[r->nmd5].dst = *dst;
	snprintf(r->md5[r->nmd5].key, sizeof(r->md5[0].key), "%s", key);
	r->nmd5++;
	return true;
}

static bool sh_md5_flush(void *ctx, int line)
{
	struct runner *r = ctx;
	r->nmd5 = 0;
	if (r->st)
		gt_tcp_md5_key_flush(r->st);
	return true;
}

/* `ip route add|change|replace`: the route's metrics (gt_route_set()),
 * held until the stack exists. */
static bool sh_route(void *ctx, int line, const struct gt_route *rt)
{
	struct runner *r = ctx;
	if (r->st) {
		if (gt_route_set(r->st, rt) < 0) {
			pk_unsupported(&r->j, line, "the stack refused the route");
			return false;
		}
		return true;
	}
	int i = 0;
	while (i < r->nroute && memcmp(&r->route[i].dst, &rt->dst, sizeof(rt->dst)) != 0)
		i++;
	if (i == GT_ROUTES) {
		pk_unsupported(&r->j, line, "more than %d routes", GT_ROUTES);
		return false;
	}
	r->route[i] = *rt;
	if (i == r->nroute)
		r->nroute++;
	return true;
}

/* `ethtool -K tun0 gso off tso off`: without --tso glasstcp hands the
 * device each segment as it is cut; nothing is merged to turn off. With
 * it, `tso off` takes TSO off the device the stack is made with (gso and
 * gro name nothing this device does). The device cannot change under a
 * stack already made: `tso off` after the setup's commands is
 * unsupported there. */
static bool sh_offload_off(void *ctx, int line, const char *args, bool tso)
{
	struct runner *r = ctx;
	(void)args;
	if (!tso || !r->j.opt->tso || r->tso_off)
		return true;
	if (r->st) {
		pk_unsupported(&r->j, line, "ethtool -K tun0 tso off once the stack is made (--tso)");
		return false;
	}
	r->tso_off = true;
	return true;
}

static bool sh_metrics_flush(void *ctx, int line)
{
	struct runner *r = ctx;
	(void)line;
	if (r->st)
		gt_tcp_metrics_flush(r->st);
	return true;
}

/* nstat: the stack's counters that Linux's of the same name count alike
 * (pk_gt_nstat_names); all 0 before the stack exists. */
static bool sh_counters(void *ctx, int line, struct pk_counter *out, int max, int *n)
{
	struct runner *r = ctx;
	const struct gt_stats *st = r->st ? gt_stack_stats(r->st) : NULL;
	*n = 0;
	for (int i = 0; i < pk_gt_nstat_n && *n < max; i++) {
		snprintf(out[*n].name, sizeof(out[*n].name), "%s", pk_gt_nstat_names[i].nstat);
		uint64_t v = 0;
		if (st)
			memcpy(&v, (const char *)st + pk_gt_nstat_names[i].off, sizeof(v));
		out[(*n)++].v = v;
	}
	return true;
}

/* An address as Linux's /proc/net/tcp prints it: each 32-bit word as the
 * host (little-endian x86) reads the network-order bytes, %08X. */
static int proc_addr(char *out, size_t n, const struct gt_sockaddr *a)
{
	uint8_t b[16];
	int words = a->family == GT_AF_INET6 ? 4 : 1;
	if (words == 1)
		for (int k = 0; k < 4; k++)
			b[k] = (uint8_t)(a->addr >> (24 - 8 * k));
	else
		memcpy(b, a->addr6.b, 16);
	int o = 0;
	for (int w = 0; w < words; w++)
		o += snprintf(out + o, n - (size_t)o, "%02X%02X%02X%02X", b[4 * w + 3], b[4 * w + 2],
			      b[4 * w + 1], b[4 * w]);
	return o + snprintf(out + o, n - (size_t)o, ":%04X", a->port);
}

/* /proc/net/tcp(6) of glasstcp's sockets, as tcp4_seq_show() and
 * tcp6_seq_show() write them: slot, addresses, state in Linux's numbers,
 * queues; the timer, uid, inode and the rest as 0. */
static bool sh_proc_net_tcp(void *ctx, int line, bool v6, char *out, size_t n)
{
	struct runner *r = ctx;
	size_t o = (size_t)snprintf(out, n, "  sl  local_address rem_address   st tx_queue rx_queue tr "
					    "tm->when retrnsmt   uid  timeout inode\n");
	if (!r->st)
		return true;
	struct gt_sock_entry *ent = calloc(256, sizeof(*ent));
	if (!ent) {
		pk_fail(&r->j, line, "out of memory");
		return false;
	}
	size_t cnt = gt_stack_list(r->st, ent, 256);
	int sl = 0;
	for (size_t i = 0; i < cnt && i < 256 && o + 200 < n; i++) {
		if ((ent[i].local.family == GT_AF_INET6) != v6)
			continue;
		char la[48], ra[48];
		proc_addr(la, sizeof(la), &ent[i].local);
		proc_addr(ra, sizeof(ra), &ent[i].peer);
		o += (size_t)snprintf(out + o, n - o,
				      "%4d: %s %s %02X %08X:%08X 00:00000000 00000000     0        0 0\n", sl++,
				      la, ra, pk_linux_state_number(ent[i].state), ent[i].send_q, ent[i].recv_q);
	}
	free(ent);
	return true;
}

/* Whether a descriptor the script holds open is a socket with neither a
 * connection nor a listen queue (none of the n entries is its) bound to
 * the TIME_WAIT entry's local address and port: the socket the entry came
 * from, left open after shutdown(). */
static bool tw_held(struct runner *r, const struct gt_sock_entry *ent, int n, const struct gt_sockaddr *local)
{
	for (int f = 0; f < MAX_FDS; f++) {
		int sd = r->fd[f];
		struct gt_sockaddr me;
		bool listed = false;
		for (int k = 0; k < n && !listed; k++)
			listed = ent[k].sd == sd;
		if (sd < 0 || listed || gt_getsockname(r->st, sd, &me) != 0 || me.port != local->port)
			continue;
		if (me.family != local->family ||
		    (me.family == GT_AF_INET ? me.addr == local->addr : !memcmp(me.addr6.b, local->addr6.b, 16)))
			return true;
	}
	return false;
}

/* sockstat's and ss's rows: gt_stack_list()'s listeners, connections and
 * TIME_WAIT entries; an AF_INET6 socket takes IPv4 too unless
 * IPV6_V6ONLY (the profile's default, or the script's setsockopt). */
static bool sh_sock_rows(void *ctx, int line, struct pk_sock_row *out, int max, int *n)
{
	struct runner *r = ctx;
	*n = 0;
	if (!r->st)
		return true;
	struct gt_sock_entry *ent = calloc((size_t)max, sizeof(*ent));
	if (!ent) {
		pk_fail(&r->j, line, "out of memory");
		return false;
	}
	size_t cnt = gt_stack_list(r->st, ent, (size_t)max);
	for (size_t i = 0; i < cnt && i < (size_t)max; i++) {
		struct pk_sock_row *o = &out[(*n)++];
		*o = (struct pk_sock_row){.state = ent[i].state, .local = ent[i].local, .peer = ent[i].peer,
					  .recv_q = ent[i].recv_q, .send_q = ent[i].send_q,
					  .has_fd = ent[i].sd >= 0};
		int v6only = 1;
		size_t len = sizeof(v6only);
		if (ent[i].sd >= 0 && ent[i].local.family == GT_AF_INET6 &&
		    gt_getsockopt(r->st, ent[i].sd, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &v6only, &len) == 0)
			o->dual = !v6only;
	}
	/* A TIME_WAIT entry whose socket the script still holds (shutdown(),
	 * no close()): FreeBSD keeps the socket with its tcpcb (tcp_twstart()
	 * only soisdisconnected()s it), so sockstat names its process; the
	 * entry here has none of its own (sd -1). tw_held() finds it. */
	for (int i = 0; i < *n; i++)
		if (out[i].state == GT_TCP_TIME_WAIT && !out[i].has_fd)
			out[i].has_fd = tw_held(r, ent, *n, &ent[i].local);
	/* An IPv4 connection of an AF_INET6 socket is listed by its socket's
	 * family, its addresses IPv4-mapped (RFC 4291 2.5.5.2), as Linux's
	 * inet_diag lists it: the socket's own family where a descriptor
	 * holds it, else (a request, a TIME_WAIT) its listener's. */
	for (int i = 0; i < *n; i++) {
		struct pk_sock_row *o = &out[i];
		if (o->local.family != GT_AF_INET)
			continue;
		struct gt_sockaddr me;
		bool v6 = false;
		if (ent[i].sd >= 0)
			v6 = gt_getsockname(r->st, ent[i].sd, &me) == 0 && me.family == GT_AF_INET6;
		else
			for (int k = 0; k < *n && !v6; k++)
				v6 = out[k].state == GT_TCP_LISTEN && out[k].local.family == GT_AF_INET6 &&
				     out[k].dual && out[k].local.port == o->local.port;
		if (!v6)
			continue;
		struct gt_sockaddr *a[2] = {&o->local, &o->peer};
		for (int k = 0; k < 2; k++) {
			uint32_t v4 = a[k]->addr;
			a[k]->family = GT_AF_INET6;
			memset(a[k]->addr6.b, 0, 16);
			a[k]->addr6.b[10] = a[k]->addr6.b[11] = 0xff;
			for (int b = 0; b < 4; b++)
				a[k]->addr6.b[12 + b] = (uint8_t)(v4 >> (24 - 8 * b));
		}
	}
	free(ent);
	return true;
}

/* `echo V > /sys/module/tcp_cubic/parameters/NAME`: the Linux profile's
 * CUBIC is tcp_cubic.c with its default parameters (src/tcp/tcp_cc_cubic.c
 * names them: HY_LOW_WINDOW, HY_ACK_DELTA_US, LX_BETA...). hystart and
 * hystart_detect map to cfg.hystart: HyStart on with both detectors (3),
 * or off (hystart 0, or hystart_detect 0: hystart_update() then finds
 * nothing). A parameter set to the value the stack runs with is kept; any
 * other value is one glasstcp does not model: UNSUPPORTED, not passed. */
static bool sh_module_param(void *ctx, int line, const char *mod, const char *name, const char *val)
{
	struct runner *r = ctx;
	static const struct {
		const char *name;
		long v;
		bool is_bool; /* tcp_cubic.c tests it for nonzero only */
	} fixed[] = {
		{"hystart_low_window", 16, false}, {"hystart_ack_delta_us", 2000, false},
		{"beta", 717, false},              {"initial_ssthresh", 0, false},
		{"fast_convergence", 1, true},     {"tcp_friendliness", 1, true},
	};
	if (r->j.res->profile != GT_PROFILE_LINUX || strcmp(mod, "tcp_cubic")) {
		pk_unsupported(&r->j, line, "module parameter %s.%s: not one of the Linux profile's tcp_cubic",
			       mod, name);
		return false;
	}
	char *end;
	errno = 0;
	long v = strtol(val, &end, 0);
	if (errno || end == val || *end || v < INT_MIN || v > INT_MAX) {
		pk_unsupported(&r->j, line, "module parameter %s.%s=%s: not an integer", mod, name, val);
		return false;
	}
	if (!r->cubic_params_set) {
		r->cubic_params_set = true;
		r->cubic_hystart = 1;
		r->cubic_detect = 3;
	}
	bool detect = !strcmp(name, "hystart_detect");
	if (detect || !strcmp(name, "hystart")) {
		int hy = detect ? r->cubic_hystart : v != 0;
		int det = detect ? (int)v : r->cubic_detect;
		if (hy && det != 0 && det != 3) {
			pk_unsupported(&r->j, line,
				       "tcp_cubic hystart_detect %d: glasstcp's HyStart runs both detectors (3) or none",
				       det);
			return false;
		}
		r->cubic_hystart = hy;
		r->cubic_detect = det;
		r->cfg.hystart = hy && det == 3;
		pk_log(&r->j, "tcp_cubic.%s=%s: cfg.hystart %s", name, val, r->cfg.hystart ? "on" : "off");
		return !r->st || gt_stack_set_config(r->st, &r->cfg) == 0;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (strcmp(fixed[i].name, name))
			continue;
		if ((fixed[i].is_bool ? v != 0 : v) == fixed[i].v)
			return true;
		pk_unsupported(&r->j, line, "tcp_cubic %s %s: glasstcp models only %ld", name, val, fixed[i].v);
		return false;
	}
	pk_unsupported(&r->j, line, "module parameter %s.%s: %s", mod, name,
		       !strcmp(name, "bic_scale") ? "read-only in Linux" : "not modelled");
	return false;
}

/* The device model has no queue of its own (a packet leaves at once):
 * pfifo limit 0 refuses every packet, any other limit is the FIFO it
 * was. */
static bool sh_qdisc(void *ctx, int line, long limit)
{
	(void)line;
	struct runner *r = ctx;
	r->qdisc_full = limit == 0;
	return true;
}

static const struct pk_shell_ops shell_ops = {
	.sysctl = sh_sysctl, .count_state = sh_count_state, .drop_timewait = sh_drop_timewait,
	.sock_rows = sh_sock_rows,
	.md5_key = sh_md5_key, .md5_flush = sh_md5_flush, .metrics_flush = sh_metrics_flush, .counters = sh_counters,
	.route = sh_route, .offload_off = sh_offload_off, .qdisc = sh_qdisc,
	.counters_lack = "glasstcp does not count that event under that name (UNSUPPORTED, not passed)",
	.proc_net_tcp = sh_proc_net_tcp, .module_param = sh_module_param,
};

/* ---- time ---- */

static void retry_pending(struct runner *r);

/* The stack's invariants (tcp_check_all(), as the dialogue tests and the
 * swarm run it) after every step of a script: an input, a call, a timer.
 * A script whose packets all match still fails when a TCB breaks a rule
 * on the way. */
static void check_stack(struct runner *r, int line, const char *after)
{
	char why[256];
	if (r->j.failed || !r->st || tcp_check_all(r->st, why, sizeof(why)))
		return;
	pk_fail(&r->j, line, "invariant broken after %s at %.6f: %s", after,
		(double)r->j.now_us / 1e6, why);
}

static void set_now(struct runner *r, uint64_t t)
{
	if (t > r->j.now_us)
		r->j.now_us = t;
	gt_stack_poll(r->st, r->j.now_us);
	check_stack(r, 0, "the stack's timers");
	retry_pending(r);
}

/* The stack's next deadline, or a blocking epoll_wait()'s timeout if
 * sooner (the call returns 0 then, not at the next packet or timer). */
static uint64_t next_deadline(struct runner *r)
{
	uint64_t d = gt_stack_next_deadline(r->st);
	if (r->pend && r->wait_until_us > r->j.now_us && r->wait_until_us < d &&
	    !strcmp(r->pend->call.name, "epoll_wait"))
		d = r->wait_until_us;
	return d;
}

/* Runs the stack's timers up to t. */
static void advance_to(struct runner *r, uint64_t t)
{
	for (;;) {
		uint64_t d = next_deadline(r);
		if (d > t || r->j.failed)
			break;
		set_now(r, d > r->j.now_us ? d : r->j.now_us);
		if (d <= r->j.now_us && next_deadline(r) == d)
			break; /* a deadline that does not move: avoid spinning */
	}
	if (!r->j.failed)
		set_now(r, t);
}

/* pk_wait_fn: virtual time passes until the stack sends or the deadline. */
static void wait_out(void *ctx, uint64_t deadline_us)
{
	struct runner *r = ctx;
	while (!r->j.out.len && r->j.now_us < deadline_us && !r->j.failed) {
		uint64_t d = next_deadline(r);
		advance_to(r, d > r->j.now_us && d < deadline_us ? d : deadline_us);
	}
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

static bool would_block(long long rv) { return rv == -EAGAIN; }

static uint8_t zeros[PK_IO_MAX];

static long long do_sockopt(struct runner *r, const struct pk_event *e, bool set, int sd)
{
	const struct pk_call *c = &e->call;
	if (c->nargs < 5)
		return -EINVAL;
	int level = (int)pk_int_arg(c, 1), name = (int)pk_int_arg(c, 2);
	const struct pk_val *val = &c->args[3];
	if (c->args[2].name[0] && !strcmp(c->args[2].name, "TCP_INFO")) {
		/* getsockopt(fd, IPPROTO_TCP, TCP_INFO, ..., ...): only the
		 * return value is judged (FreeBSD's ECONNRESET once the
		 * connection is dropped); the fields are %{ }%'s. */
		if (!set && val->kind == PV_ELLIPSIS) {
			struct gt_tcp_info ti;
			size_t len = sizeof(ti);
			return gt_getsockopt(r->st, sd, level, name, &ti, &len);
		}
		pk_unsupported(&r->j, e->line, "getsockopt TCP_INFO with a struct in the script");
		return 0;
	}
	if (set && level == GT_SOL_SOCKET && name == PK_SO_DEBUG)
		return 0;
	/* IP_FREEBIND lets bind() take an address not the host's; the runner
	 * binds only the stack's own, where it changes nothing. */
	if (level == GT_IPPROTO_IP && name == PK_IP_FREEBIND) {
		if (set) {
			pk_log(&r->j, "IP_FREEBIND: the runner binds only the stack's own address");
			return 0;
		}
		pk_unsupported(&r->j, e->line, "getsockopt IP_FREEBIND");
		return 0;
	}
	if (set) {
		if (val->kind == PV_STRUCT && (name == GT_TCP_MD5SIG_LINUX || name == GT_TCP_MD5SIG_EXT) &&
		    level == GT_IPPROTO_TCP) {
			/* Linux's struct tcp_md5sig: the script's length is
			 * Linux's (216 bytes); one shorter stays shorter. */
			struct gt_tcp_md5sig m;
			char why[64];
			if (!pk_md5sig_of(val, r->j.sc, &m, why, sizeof(why))) {
				pk_unsupported(&r->j, e->line, "%s", why);
				return 0;
			}
			long long ol = c->args[4].kind == PV_INT ? c->args[4].i : 216;
			size_t gl = ol >= 216 ? sizeof(m)
				  : ol <= 0 ? 0
				  : (size_t)ol < sizeof(m) ? (size_t)ol : sizeof(m) - 1;
			return gt_setsockopt(r->st, sd, level, name, &m, gl);
		}
		if (val->kind == PV_STR)
			return gt_setsockopt(r->st, sd, level, name, val->str, strlen(val->str));
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
		int v = (int)pk_int_arg(c, 3);
		return gt_setsockopt(r->st, sd, level, name, &v, pk_setsockopt_int_len(c));
	}
	uint8_t got[PK_SOCKOPT_MAX] = {0};
	size_t len = pk_getsockopt_len(c);
	bool linger = name == GT_SO_LINGER && level == GT_SOL_SOCKET && pk_linger_wanted(c);
	if (linger && c->args[4].kind == PV_ELLIPSIS)
		len = sizeof(struct gt_linger);
	long long rv = gt_getsockopt(r->st, sd, level, name, got, &len);
	if (rv < 0)
		return rv;
	if (linger)
		pk_linger_judge(&r->j, e->line, c, got, len);
	else
		pk_getsockopt_judge(&r->j, e->line, c, got, len);
	return rv;
}

bool pk_linger_wanted(const struct pk_call *c)
{
	return c->nargs > 4 && c->args[3].kind == PV_STRUCT;
}

bool pk_linger_judge(struct pk_judge *j, int line, const struct pk_call *c, const void *buf,
		     size_t got_len)
{
	const struct pk_val *val = &c->args[3];
	const struct pk_val *l = &c->args[4];
	long long want_len = l->kind == PV_LIST && l->n == 1 && l->items[0].kind == PV_INT ? l->items[0].i
			     : l->kind == PV_INT					  ? l->i
											  : -1;
	if (want_len >= 0 && got_len != (size_t)want_len) {
		pk_fail(j, line, "getsockopt SO_LINGER: optlen %zu, the script expects %lld", got_len, want_len);
		return false;
	}
	struct gt_linger got = {0, 0};
	memcpy(&got, buf, got_len < sizeof(got) ? got_len : sizeof(got));
	for (int i = 0; i < val->n; i++) {
		const struct pk_val *f = &val->items[i];
		bool onoff = !strcmp(f->name, "onoff") || !strcmp(f->name, "l_onoff");
		if (!onoff && strcmp(f->name, "linger") != 0 && strcmp(f->name, "l_linger") != 0) {
			pk_unsupported(j, line, "getsockopt SO_LINGER: field %s (onoff and linger only)", f->name);
			return false;
		}
		if (f->kind == PV_ELLIPSIS)
			continue;
		int have = onoff ? got.l_onoff : got.l_linger;
		if (f->kind != PV_INT || have != (int)f->i) {
			pk_fail(j, line, "getsockopt SO_LINGER: %s %d, the script expects %lld", f->name, have, f->i);
			return false;
		}
	}
	return true;
}

static long long do_poll(struct runner *r, const struct pk_event *e)
{
	const struct pk_call *c = &e->call;
	const struct pk_val *l = &c->args[0];
	if (l->kind != PV_LIST || l->n > 8) {
		pk_unsupported(&r->j, e->line, "poll() argument form");
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
	if (n == 0 && pk_int_arg(c, 2) != 0)
		return -EAGAIN; /* waits like a blocking call */
	for (int i = 0; i < l->n; i++) {
		const struct pk_val *s = &l->items[i];
		for (int k = 0; k < s->n; k++)
			if (!strcmp(s->items[k].name, "revents") && pf[i].revents != (short)s->items[k].i)
				pk_fail(&r->j, e->line, "poll: fd %d revents 0x%x, the script expects 0x%llx",
				     fdv[i], (unsigned)pf[i].revents, s->items[k].i);
	}
	return n;
}

/* ---- epoll(7), emulated ----
 * As fs/eventpoll.c: a watch is queued on its instance's ready list by
 * ep_poll_callback() at each wake-up of the socket whose key it watches (a
 * keyless one, sk_state_change()'s, for every watch); epoll_wait() polls
 * each queued watch (ep_send_events(): tcp_poll() & its events), drops
 * one that has nothing, reports the rest, and queues a level-triggered
 * one again at the tail; EPOLLET reports it once per wake-up, EPOLLONESHOT
 * disarms it (events &= EP_PRIVATE_BITS). The wake-ups come from the
 * stack's counters (gt_wakeups()), taken before each epoll call: what the
 * stack counted since the last look would have queued the watch then. */
#define EP_IN_KEY (0x001 | 0x002 | 0x040 | 0x080) /* sk_data_ready(): EPOLLIN|PRI|RDNORM|RDBAND */
#define EP_OUT_KEY (0x004 | 0x100 | 0x200)        /* sk_stream_write_space(): EPOLLOUT|WRNORM|WRBAND */

/* The instance open on script fd (-1: a free one). */
static struct ep_set *ep_of(struct runner *r, long long fd)
{
	for (int i = 0; i < PK_EPOLL_SETS; i++)
		if (r->ep[i].fd == fd)
			return &r->ep[i];
	return NULL;
}

/* tcp_poll()'s mask as epoll sees it: EPOLLRDNORM with EPOLLIN,
 * EPOLLWRNORM with EPOLLOUT. */
static long long ep_poll_mask(struct runner *r, int fd)
{
	int sd = fd >= 0 && fd < MAX_FDS ? r->fd[fd] : -1;
	struct gt_pollfd pf = {.sd = sd, .events = (short)0x7fff};
	if (sd < 0 || gt_poll(r->st, &pf, 1) < 0)
		return 0;
	long long m = (unsigned short)pf.revents;
	if (m & GT_POLLIN)
		m |= 0x040;
	if (m & GT_POLLOUT)
		m |= 0x100;
	return m;
}

static void ep_queue(struct ep_set *ep, struct ep_item *it)
{
	if (!it->ready) {
		it->ready = true;
		it->at = ++ep->seq;
	}
}

/* ep_poll_callback() for the wake-ups counted since the last look; a
 * watch whose socket is closed goes (eventpoll_release()). */
static void ep_collect(struct runner *r, struct ep_set *ep)
{
	for (int i = 0; i < ep->n; i++) {
		struct ep_item *it = &ep->it[i];
		struct gt_wakeups w;
		int sd = r->fd[it->fd];
		if (sd < 0 || gt_wakeups(r->st, sd, &w) < 0) {
			ep->it[i--] = ep->it[--ep->n];
			continue;
		}
		bool armed = (it->events & ~PK_EP_PRIVATE_BITS) != 0;
		if (armed && (w.all != it->seen.all || (w.in != it->seen.in && (it->events & EP_IN_KEY)) ||
			      (w.out != it->seen.out && (it->events & EP_OUT_KEY))))
			ep_queue(ep, it);
		it->seen = w;
	}
}

static long long ep_field(const struct pk_val *v, const char *name, long long dflt, bool *had)
{
	for (int k = 0; v->kind == PV_STRUCT && k < v->n; k++)
		if (!strcmp(v->items[k].name, name)) {
			if (had)
				*had = true;
			return v->items[k].i;
		}
	return dflt;
}

static long long do_epoll_ctl(struct runner *r, const struct pk_event *e, struct ep_set *ep)
{
	const struct pk_call *c = &e->call;
	long long op = pk_int_arg(c, 1), fd = pk_int_arg(c, 2);
	if (fd < 0 || fd >= MAX_FDS || (r->fd[fd] < 0 && !ep_of(r, fd)))
		return -EBADF;
	if (r->fd[fd] < 0 && fd == ep->fd)
		return -EINVAL; /* do_epoll_ctl(): an instance never watches itself */
	if (r->fd[fd] < 0) {
		pk_unsupported(&r->j, e->line, "an epoll instance watching another");
		return 0;
	}
	ep_collect(r, ep);
	struct ep_item *it = NULL;
	for (int i = 0; i < ep->n; i++)
		if (ep->it[i].fd == fd)
			it = &ep->it[i];
	if (op == 2) { /* EPOLL_CTL_DEL */
		if (!it)
			return -ENOENT;
		*it = ep->it[--ep->n];
		return 0;
	}
	if (op != 1 && op != 3)
		return -EINVAL;
	if (c->nargs < 4 || c->args[3].kind != PV_STRUCT) {
		pk_unsupported(&r->j, e->line, "epoll_ctl() event form");
		return 0;
	}
	if (op == 1 && it)
		return -EEXIST;
	if (op == 3 && !it)
		return -ENOENT;
	if (op == 1) {
		if (ep->n == PK_EPOLL_ITEMS) {
			pk_unsupported(&r->j, e->line, "more than %d epoll watches", PK_EPOLL_ITEMS);
			return 0;
		}
		it = &ep->it[ep->n++];
		memset(it, 0, sizeof(*it));
		it->fd = (int)fd;
		gt_wakeups(r->st, r->fd[fd], &it->seen);
	}
	/* do_epoll_ctl(): "epds.events |= EPOLLERR | EPOLLHUP". */
	it->events = ep_field(&c->args[3], "events", 0, NULL) | GT_POLLERR | GT_POLLHUP;
	it->data = ep_field(&c->args[3], "fd", ep_field(&c->args[3], "ptr", 0, NULL), NULL);
	/* ep_insert(), ep_modify(): queued at once where it is ready. */
	if (ep_poll_mask(r, it->fd) & it->events)
		ep_queue(ep, it);
	return 0;
}

static long long do_epoll_wait(struct runner *r, const struct pk_event *e, struct ep_set *ep)
{
	const struct pk_call *c = &e->call;
	long long max = pk_int_arg(c, 2), timeout = pk_int_arg(c, 3);
	if (max <= 0)
		return -EINVAL;
	if (r->pend != e)
		r->wait_until_us = timeout > 0 ? r->j.now_us + (uint64_t)timeout * 1000 : 0;
	ep_collect(r, ep);
	long long got[8][2];
	struct ep_item *again[PK_EPOLL_ITEMS]; /* level-triggered, queued again at the tail */
	int n = 0, nagain = 0;
	while (n < max) {
		struct ep_item *first = NULL;
		for (int i = 0; i < ep->n; i++)
			if (ep->it[i].ready && (!first || ep->it[i].at < first->at))
				first = &ep->it[i];
		if (!first)
			break;
		first->ready = false;
		long long rev = ep_poll_mask(r, first->fd) & first->events;
		if (!rev)
			continue;
		if (n < 8) {
			got[n][0] = rev;
			got[n][1] = first->data;
		}
		n++;
		if (first->events & PK_EPOLLONESHOT)
			first->events &= PK_EP_PRIVATE_BITS;
		else if (!(first->events & PK_EPOLLET))
			again[nagain++] = first;
	}
	for (int i = 0; i < nagain; i++)
		ep_queue(ep, again[i]);
	if (n == 0 && timeout != 0 && (timeout < 0 || r->j.now_us < r->wait_until_us))
		return -EAGAIN; /* waits like a blocking call */
	/* The script's events: one struct, or a list of them. */
	const struct pk_val *want = &c->args[1];
	int nw = want->kind == PV_LIST ? want->n : want->kind == PV_STRUCT ? 1 : 0;
	for (int i = 0; i < nw && i < n && i < 8; i++) {
		const struct pk_val *w = want->kind == PV_LIST ? &want->items[i] : want;
		bool had_ev = false, had_fd = false, had_ptr = false;
		long long wev = ep_field(w, "events", 0, &had_ev);
		long long wfd = ep_field(w, "fd", 0, &had_fd), wptr = ep_field(w, "ptr", 0, &had_ptr);
		if (had_ev && wev != got[i][0])
			pk_fail(&r->j, e->line, "epoll_wait: event %d events 0x%llx, the script expects 0x%llx",
				i, got[i][0], wev);
		else if ((had_fd && (int)wfd != (int)got[i][1]) || (had_ptr && wptr != got[i][1]))
			pk_fail(&r->j, e->line, "epoll_wait: event %d data %lld, the script expects %lld", i,
				got[i][1], had_fd ? wfd : wptr);
	}
	return n;
}

/* epoll_create(), epoll_create1(), epoll_ctl(), epoll_wait(), and close()
 * of an instance; 1 with *rv set where the call was one of these. */
static bool do_epoll(struct runner *r, const struct pk_event *e, long long *rv)
{
	const struct pk_call *c = &e->call;
	const char *n = c->name;
	if (!strcmp(n, "epoll_create") || !strcmp(n, "epoll_create1")) {
		long long a = pk_int_arg(c, 0);
		/* epoll_create(): "if (size <= 0) return -EINVAL";
		 * epoll_create1(): flags other than EPOLL_CLOEXEC. */
		if (n[12] ? (a & ~02000000LL) != 0 : a <= 0) {
			*rv = -EINVAL;
			return true;
		}
		struct ep_set *ep = ep_of(r, -1);
		if (!ep || c->ret < 0 || c->ret >= MAX_FDS || r->fd[c->ret] >= 0 || ep_of(r, c->ret)) {
			pk_unsupported(&r->j, e->line, "%s() result %lld", n, c->ret);
			*rv = 0;
			return true;
		}
		memset(ep, 0, sizeof(*ep));
		ep->fd = (int)c->ret;
		*rv = c->ret;
		return true;
	}
	bool ctl = !strcmp(n, "epoll_ctl"), wait = !strcmp(n, "epoll_wait");
	struct ep_set *ep = c->nargs && pk_int_arg(c, 0) >= 0 ? ep_of(r, pk_int_arg(c, 0)) : NULL;
	if (!strcmp(n, "close") && ep) {
		ep->fd = -1;
		*rv = 0;
		return true;
	}
	if (!ctl && !wait)
		return false;
	if (!ep) {
		long long fd = pk_int_arg(c, 0);
		*rv = fd >= 0 && fd < MAX_FDS && r->fd[fd] >= 0 ? -EINVAL : -EBADF;
		return true;
	}
	*rv = ctl ? do_epoll_ctl(r, e, ep) : do_epoll_wait(r, e, ep);
	return true;
}

/* Runs the call once. -EAGAIN means it would block. */
/* The script's peer as connect() and a sendto() with MSG_FASTOPEN name it. */
static struct gt_sockaddr peer_addr(const struct runner *r)
{
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = PK_BIND_PORT, .addr = PK_REMOTE_IP};
	if (r->j.sc->ipver == PK_IPV6) {
		a = (struct gt_sockaddr){.family = GT_AF_INET6, .port = PK_BIND_PORT};
		a.addr6 = pk_remote_ip6;
	} else if (r->j.sc->ipver == PK_IPV4_MAPPED) {
		/* ::ffff:192.0.2.1: IPv4 on the wire (RFC 4291 2.5.5.2). */
		a = (struct gt_sockaddr){.family = GT_AF_INET6, .port = PK_BIND_PORT};
		uint8_t m[16] = {[10] = 0xff, [11] = 0xff, (uint8_t)(PK_REMOTE_IP >> 24),
				 (uint8_t)(PK_REMOTE_IP >> 16), (uint8_t)(PK_REMOTE_IP >> 8),
				 (uint8_t)PK_REMOTE_IP};
		memcpy(a.addr6.b, m, 16);
	}
	return a;
}

/* As packetdrill's syscall_recvmsg() (and kernel.c's K_RECVMSG): the
 * control messages of a recvmsg() that returned 0 or more against the
 * script's msg_control, where it wrote one. The stack's only one is
 * TCP_INQ's TCP_CM_INQ (gt_recvmsg()'s inq, -1: none). */
_Static_assert(PK_TCP_INQ == GT_TCP_INQ, "TCP_INQ");
static void check_cmsg(struct runner *r, const struct pk_event *e, const struct pk_val *arg, int inq)
{
	struct pk_msghdr mh;
	char why[112];
	if (!pk_msghdr_of(arg, &mh, why, sizeof(why)) || !mh.has_control)
		return;
	int got = inq >= 0 ? 1 : 0;
	if (got != mh.ncmsg) {
		pk_fail(&r->j, e->line, "recvmsg: %d control messages, the script expects %d", got,
			mh.ncmsg);
		return;
	}
	if (got && mh.cmsg[0].data != inq)
		pk_fail(&r->j, e->line,
			"recvmsg: cmsg 0 level %d type %d data %d, the script expects level %d type %d "
			"data %lld",
			GT_IPPROTO_TCP, PK_TCP_INQ, inq, mh.cmsg[0].level, mh.cmsg[0].type,
			mh.cmsg[0].data);
}

/* recvmsg(..., MSG_ERRQUEUE): one entry of gt_recv_errqueue() a call, as
 * Linux's sock_recv_errqueue() dequeues one skb: never a wait (EAGAIN
 * when empty), no bytes (a notification has no payload), msg_flags
 * MSG_ERRQUEUE, one IP_RECVERR message, or MSG_CTRUNC where the script
 * gave no control buffer (put_cmsg()). */
static long long do_recv_errqueue(struct runner *r, const struct pk_event *e, int sd)
{
	const struct pk_call *c = &e->call;
	struct pk_errq_msg want;
	char why[112];
	if (!pk_errq_msghdr_of(&c->args[1], &want, why, sizeof(why))) {
		pk_unsupported(&r->j, e->line, "recvmsg(): %s", why);
		return 0;
	}
	if (pk_int_arg(c, 2) & ~(long long)(PK_MSG_ERRQUEUE | 0x40 /* MSG_DONTWAIT */)) {
		pk_unsupported(&r->j, e->line, "recvmsg() MSG_ERRQUEUE with flags 0x%llx", pk_int_arg(c, 2));
		return 0;
	}
	struct gt_errqueue_entry en;
	int rv = gt_recv_errqueue(r->st, sd, &en);
	if (rv < 0)
		return rv == -EAGAIN ? NONBLOCK_EAGAIN : rv;
	/* A timestamp comes with the packet unless OPT_TSONLY: glasstcp has
	 * no copy, so only a read of none of it (MSG_TRUNC) is judged. */
	if (en.has_payload && want.mh.total) {
		pk_unsupported(&r->j, e->line, "recvmsg() MSG_ERRQUEUE reading a timestamp's packet");
		return 0;
	}
	struct pk_errq_got got = {.msg_flags = PK_MSG_ERRQUEUE | (want.mh.has_control ? 0 : 0x8) |
					       (en.has_payload ? PK_MSG_TRUNC : 0)};
	if (want.mh.has_control) {
		bool v6 = r->j.sc->ipver != PK_IPV4;
		if (en.ts_valid) {
			got.cm[got.n].level = GT_SOL_SOCKET;
			got.cm[got.n].type = PK_SCM_TIMESTAMPING;
			got.cm[got.n].is_ts = true;
			got.cm[got.n].ts_us = (int64_t)en.ts_us;
			got.n++;
		}
		got.cm[got.n].level = v6 ? 41 : 0;
		got.cm[got.n].type = v6 ? 25 : 11;
		got.cm[got.n].is_ee = true;
		const struct gt_sock_extended_err *ee = &en.ee;
		uint32_t f[PK_EE_N] = {ee->ee_errno, ee->ee_origin, ee->ee_type, ee->ee_code, ee->ee_info, ee->ee_data};
		memcpy(got.cm[got.n].ee, f, sizeof(f));
		got.n++;
	}
	pk_errq_judge(&r->j, e->line, &want, &got, r->j.sc->ipver != PK_IPV4);
	return 0;
}

static long long attempt(struct runner *r, const struct pk_event *e)
{
	const struct pk_call *c = &e->call;
	const char *n = c->name;
	if (!strcmp(n, "socket")) {
		/* ipv6 and ipv4-mapped-v6 scripts use an AF_INET6 socket
		 * whatever the script writes for the domain (packetdrill's
		 * socket() takes the script's family the same way). */
		int family = r->j.sc->ipver == PK_IPV4 ? GT_AF_INET : GT_AF_INET6;
		/* SOCK_NONBLOCK: the descriptor's O_NONBLOCK from the start
		 * (socket(2)); glasstcp's calls never block, the runner does. */
		long long type = pk_int_arg(c, 1);
		/* The protocol: TCP's (or 0, the type's own); another, such as
		 * IPPROTO_UDP with SOCK_STREAM, is none a stream socket has
		 * (GT_IPPROTO_UDP). */
		long long proto = pk_int_arg(c, 2);
		if (proto != 0 && proto != GT_IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		long long rv = gt_socket(r->st, family, (int)(type & ~PK_SOCK_NONBLOCK));
		if (rv >= 0) {
			if (c->ret < 0 || c->ret >= MAX_FDS) {
				pk_unsupported(&r->j, e->line, "socket() result %lld", c->ret);
				return rv;
			}
			r->fd[c->ret] = (int)rv;
			r->nonblock[c->ret] = (type & PK_SOCK_NONBLOCK) != 0;
			r->last_fd = (int)c->ret;
			r->sut_fd = (int)c->ret;
			return c->ret;
		}
		return rv;
	}
	if (!strcmp(n, "poll"))
		return do_poll(r, e);
	long long eprv;
	if (do_epoll(r, e, &eprv))
		return eprv;
	int sd = c->nargs ? sd_of(r, e, &c->args[0]) : -1;
	if (sd < 0)
		return -EBADF;
	bool block = !r->nonblock[r->last_fd];
	int fdn = r->last_fd;
	if (!strcmp(n, "fcntl")) {
		long long cmd = pk_int_arg(c, 1);
		if (cmd == 3)
			return O_RDWR_ | (r->nonblock[fdn] ? O_NONBLOCK_ : 0);
		if (cmd == 4) {
			r->nonblock[fdn] = (pk_int_arg(c, 2) & O_NONBLOCK_) != 0;
			return 0;
		}
		pk_unsupported(&r->j, e->line, "fcntl command %lld", cmd);
		return 0;
	}
	if (!strcmp(n, "bind")) {
		uint16_t bport = r->j.sc->bind_port;
		struct gt_sockaddr a = {.family = GT_AF_INET, .port = bport, .addr = 0};
		if (r->j.sc->ipver != PK_IPV4)
			a = (struct gt_sockaddr){.family = GT_AF_INET6, .port = bport};
		long long rv = gt_bind(r->st, sd, &a);
		if (rv == 0) {
			r->j.lport = bport;
			r->j.rport = PK_REMOTE_PORT_IN;
		}
		return rv;
	}
	if (!strcmp(n, "listen"))
		return gt_listen(r->st, sd, (int)pk_int_arg(c, 1));
	if (!strcmp(n, "accept")) {
		long long rv = gt_accept(r->st, sd, NULL);
		if (rv >= 0) {
			if (c->ret < 0 || c->ret >= MAX_FDS)
				return rv;
			r->fd[c->ret] = (int)rv;
			/* FreeBSD's accept(): ACCEPT4_INHERIT, the listener's
			 * O_NONBLOCK; Linux's: a blocking descriptor. */
			r->nonblock[c->ret] = r->cfg.accept_inherits_nonblock && r->nonblock[fdn];
			r->last_fd = (int)c->ret;
			r->sut_fd = (int)c->ret;
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
			/* Linux's __inet_stream_connect() after inet_wait_for_connect()
			 * is the non-blocking connect() again (cfg.connect_again_linux):
			 * 0 and SS_CONNECTED, or the pending error and SS_UNCONNECTED. */
			if (r->j.res->profile == GT_PROFILE_LINUX) {
				struct gt_sockaddr a = peer_addr(r);
				return gt_connect(r->st, sd, &a);
			}
			int err = 0;
			len = sizeof(err);
			gt_getsockopt(r->st, sd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len);
			return err ? -err : 0;
		}
		if (pk_af_unspec_arg(c, 1)) {
			/* A disconnect: no new connection to map. */
			struct gt_sockaddr un = {.family = GT_AF_UNSPEC};
			return gt_connect(r->st, sd, &un);
		}
		struct gt_sockaddr a = peer_addr(r);
		r->j.rport = PK_BIND_PORT;
		bool opening = r->j.new_active_open;
		r->j.new_active_open = true;
		long long rv = gt_connect(r->st, sd, &a);
		/* A connect() that opened nothing (EALREADY, EISCONN: the
		 * socket's connection goes on) sends no SYN to wait for. */
		if (rv == -EALREADY || rv == -EISCONN)
			r->j.new_active_open = opening;
		struct gt_sockaddr me;
		if (gt_getsockname(r->st, sd, &me) == 0 && me.port)
			r->j.lport = me.port;
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
		return gt_shutdown(r->st, sd, (int)pk_int_arg(c, 1));
	bool is_read = !strcmp(n, "read") || !strcmp(n, "recv") || !strcmp(n, "recvfrom") ||
		       !strcmp(n, "readv") || !strcmp(n, "recvmsg");
	bool is_write = !strcmp(n, "write") || !strcmp(n, "send") || !strcmp(n, "sendto") ||
			!strcmp(n, "writev") || !strcmp(n, "sendmsg");
	if (!strcmp(n, "recvmsg") && (pk_int_arg(c, 2) & PK_MSG_ERRQUEUE))
		return do_recv_errqueue(r, e, sd);
	if (is_read || is_write) {
		bool vec = !strcmp(n, "readv") || !strcmp(n, "writev");
		long long len = vec ? pk_iov_total(&c->args[1]) : pk_int_arg(c, 2);
		int flags = (!strcmp(n, "send") || !strcmp(n, "recv") || !strcmp(n, "sendto") ||
			     !strcmp(n, "recvfrom")) ? (int)pk_int_arg(c, 3) : 0;
		if (!strcmp(n, "sendmsg") || !strcmp(n, "recvmsg")) {
			/* The iov pieces as one gt_send()/gt_recv() of their sum
			 * with the call's flags: a byte stream has no record of
			 * where one piece ended (Linux's tcp_sendmsg_locked()
			 * copies the iter into the same skbs as send()). */
			struct pk_msghdr mh;
			char why[112];
			if (!pk_msghdr_of(&c->args[1], &mh, why, sizeof(why))) {
				pk_unsupported(&r->j, e->line, "%s(): %s", n, why);
				return 0;
			}
			if (!is_read && mh.ncmsg) {
				pk_unsupported(&r->j, e->line, "sendmsg() with control messages");
				return 0;
			}
			if (is_read && mh.flags) {
				pk_unsupported(&r->j, e->line, "recvmsg() returning msg_flags 0x%llx", mh.flags);
				return 0;
			}
			len = mh.total;
			flags = (int)pk_int_arg(c, 2);
		}
		if (len < 0 || len > (long long)sizeof(zeros)) {
			pk_unsupported(&r->j, e->line, "%s() length form", n);
			return 0;
		}
		flags &= ~PK_MSG_NOSIGNAL;
		if (flags & 0x40) { /* MSG_DONTWAIT */
			block = false;
			flags &= ~0x40;
		}
		/* NULL as the buffer: the stack's EFAULT (gt_send(),
		 * gt_recv()), as the kernel's. */
		bool null = !strcmp(n, "read") || !strcmp(n, "write") || !strcmp(n, "send") ||
			    !strcmp(n, "recv") || !strcmp(n, "sendto") || !strcmp(n, "recvfrom")
				    ? pk_null_arg(c, 1) : false;
		if (is_read) {
			static uint8_t sink[PK_IO_MAX];
			int inq = -1;
			long long rv = gt_recvmsg(r->st, sd, null ? NULL : sink, (size_t)len, flags, &inq);
			if (rv >= 0 && !strcmp(n, "recvmsg"))
				check_cmsg(r, e, &c->args[1], inq);
			return rv == -EAGAIN && !block ? NONBLOCK_EAGAIN : rv;
		}
		/* A blocking write moves everything, waiting for room. Once
		 * blocked it goes on only when the socket is writable, as a
		 * sleeping writer is woken only by the write-space callback
		 * (Linux's sk_stream_wait_memory(), woken by
		 * sk_stream_write_space(): a third of the buffer free, POLLOUT;
		 * FreeBSD's sbwait() in sosend_generic(), woken by sowwakeup()
		 * at the low-water mark), not as soon as one more skb fits. */
		if (r->pend == e && block) {
			struct gt_pollfd pf = {.sd = sd, .events = GT_POLLOUT};
			if (gt_poll(r->st, &pf, 1) == 0)
				return -EAGAIN;
		}
		/* MSG_FASTOPEN: the implied connect's address
		 * (tcp_sendmsg_fastopen()); a blocking call's retries wait
		 * for the handshake as inet_wait_for_connect() does, then
		 * write the rest as plain writes. */
		bool fastopen = (flags & GT_MSG_FASTOPEN) && r->pend != e;
		/* sendto() with an address on a socket never connected:
		 * FreeBSD's tcp_usr_send() connects a TF_FASTOPEN one
		 * (gt_sendto(); elsewhere it answers as gt_send()). */
		if (!fastopen && !strcmp(n, "sendto") && r->pend != e && !r->cfg.fastopen_linux) {
			struct gt_tcp_info ti;
			size_t tl = sizeof(ti);
			struct gt_sockaddr pa;
			fastopen = gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &tl) == 0 &&
				   ti.state == GT_TCP_CLOSED && gt_getpeername(r->st, sd, &pa) < 0;
		}
		long long rv;
		if (fastopen && !strcmp(n, "sendto") && pk_af_unspec_arg(c, 4)) {
			/* sendto(..., AF_UNSPEC, ...): an address of family
			 * AF_UNSPEC, no peer (Linux's tcp_sendmsg_fastopen():
			 * EOPNOTSUPP; fastopen/client/sendto-af-unspec.pkt). */
			struct gt_sockaddr un = {.family = GT_AF_UNSPEC};
			rv = gt_sendto(r->st, sd, null ? NULL : zeros, (size_t)len,
				       flags | (block ? GT_MSG_WAITCONN : 0), &un);
		} else if (fastopen) {
			struct gt_sockaddr a = peer_addr(r);
			r->j.rport = PK_BIND_PORT;
			/* Only on a closed socket does it open one; on one
			 * connecting or connected it sends no SYN to wait for
			 * (EALREADY, or plain data). */
			struct gt_tcp_info ti;
			size_t tl = sizeof(ti);
			if (gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &tl) != 0 ||
			    ti.state == GT_TCP_CLOSED)
				r->j.new_active_open = true;
			rv = gt_sendto(r->st, sd, null ? NULL : zeros, (size_t)len,
				       flags | (block ? GT_MSG_WAITCONN : 0), &a);
			struct gt_sockaddr me;
			if (gt_getsockname(r->st, sd, &me) == 0 && me.port)
				r->j.lport = me.port;
			if (rv == -EINPROGRESS && block)
				return -EAGAIN;
		} else {
			rv = gt_send(r->st, sd, null ? NULL : zeros, (size_t)(len - (long long)r->pend_written),
				     (flags & ~GT_MSG_FASTOPEN) | (block ? GT_MSG_WAITCONN : 0));
		}
		/* A blocking write that opened the connection (a Fast Open
		 * SYN, MSG_FASTOPEN's or after TCP_FASTOPEN_CONNECT's connect())
		 * waits for the handshake however much the SYN took
		 * (__inet_stream_connect(): inet_wait_for_connect()), then
		 * writes the rest. FreeBSD's tcp_usr_send() queues it and
		 * returns. */
		if (block && r->cfg.fastopen_linux && (rv >= 0 || rv == -EINPROGRESS) && r->pend != e) {
			struct gt_tcp_info ti;
			size_t tl = sizeof(ti);
			if (gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &tl) == 0 &&
			    ti.state == GT_TCP_SYN_SENT) {
				r->pend_written = rv > 0 ? (uint64_t)rv : 0;
				return -EAGAIN;
			}
		}
		if ((rv > 0 || (rv == 0 && r->pend == e)) && block) {
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
		long long req = pk_int_arg(c, 1);
		if (req != 0x541b) {
			pk_unsupported(&r->j, e->line, "ioctl request %lld", req);
			return 0;
		}
		struct gt_tcp_info ti;
		size_t len = sizeof(ti);
		long long rv = gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len);
		if (rv < 0)
			return rv;
		if (c->args[2].kind == PV_LIST && c->args[2].n == 1 &&
		    (long long)ti.rcv_queued_bytes != c->args[2].items[0].i)
			pk_fail(&r->j, e->line, "ioctl SIOCINQ: %u bytes readable, the script expects %lld",
			     ti.rcv_queued_bytes, c->args[2].items[0].i);
		return 0;
	}
	pk_unsupported(&r->j, e->line, "system call %s()", n);
	return 0;
}

/* A non-blocking EAGAIN is encoded apart from "would block": decode. */
static long long decode(long long rv) { return rv == NONBLOCK_EAGAIN ? -EAGAIN : rv; }

static void retry_pending(struct runner *r)
{
	if (!r->pend || r->j.failed)
		return;
	const struct pk_event *e = r->pend;
	long long rv = attempt(r, e);
	check_stack(r, e->line, "this call's retry");
	if (would_block(rv))
		return;
	r->pend = NULL;
	r->pend_written = 0;
	pk_finish_call(&r->j, e, decode(rv), r->j.now_us);
}

/* Waits for a pending call up to its deadline. */
static void settle_pending(struct runner *r)
{
	if (!r->pend)
		return;
	const struct pk_event *e = r->pend;
	uint64_t limit = (uint64_t)((e->blocking ? e->t_end_us : e->t_us) + r->j.sc->tolerance_us);
	while (r->pend && !r->j.failed && r->j.now_us < limit) {
		uint64_t d = next_deadline(r);
		advance_to(r, d > r->j.now_us && d < limit ? d : limit);
	}
	if (r->pend && !r->j.failed)
		pk_fail(&r->j, e->line, "%s() still blocked at %.6f", e->call.name,
			(double)r->j.now_us / 1e6);
}

static void run_call(struct runner *r, const struct pk_event *e)
{
	settle_pending(r);
	if (r->j.failed)
		return;
	r->pend_written = 0;
	long long rv = attempt(r, e);
	check_stack(r, e->line, "this call");
	if (r->j.failed)
		return;
	if (would_block(rv)) {
		r->pend = e;
		return;
	}
	rv = decode(rv);
	if (pk_returned_early(&r->j, e, rv, r->j.now_us))
		return;
	pk_finish_call(&r->j, e, rv, r->j.now_us);
}

/* tcpi_state as a number, in the numbering of the profile's kernel. */
static int os_state_number(enum gt_profile p, uint8_t st)
{
	static const int bsd_no[GT_TCP_NSTATES] = {
		[GT_TCP_CLOSED] = 0, [GT_TCP_LISTEN] = 1, [GT_TCP_SYN_SENT] = 2,
		[GT_TCP_SYN_RECEIVED] = 3, [GT_TCP_ESTABLISHED] = 4, [GT_TCP_CLOSE_WAIT] = 5,
		[GT_TCP_FIN_WAIT_1] = 6, [GT_TCP_CLOSING] = 7, [GT_TCP_LAST_ACK] = 8,
		[GT_TCP_FIN_WAIT_2] = 9, [GT_TCP_TIME_WAIT] = 10,
	};
	if (st >= GT_TCP_NSTATES)
		return -1;
	return p == GT_PROFILE_FREEBSD ? bsd_no[st] : pk_linux_state_number(st);
}

/* %{ assert tcpi_x == N }%: the last socket a call used; if a close()
 * ended it, the socket under test (pk_code_fd()). */
static void run_code(struct runner *r, const struct pk_event *e)
{
	int fdn = pk_code_fd(r->fd, r->last_fd, r->sut_fd);
	int sd = fdn >= 0 ? r->fd[fdn] : -1;
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	if (sd < 0 || gt_getsockopt(r->st, sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) < 0) {
		pk_run_code(&r->j, e, NULL);
		return;
	}
	/* tcpi_snd_cwnd and tcpi_snd_ssthresh: Linux's in segments of the
	 * data a full one carries (tcpi_snd_mss, mss_cache; no limit is
	 * TCP_INFINITE_SSTHRESH). FreeBSD's in bytes: tcp_fill_info()
	 * (sys/netinet/tcp_usrreq.c, b252a43) copies tp->snd_cwnd and
	 * tp->snd_ssthresh, and its packetdrill (code.c, write_tcp_info()
	 * under __FreeBSD__) passes them on as they are: pk_tcpi_more_from_gt()
	 * sets those below (pktrun/tcpi_more.c, bsd_from_gt()). */
	uint32_t mss = ti.snd_mss ? ti.snd_mss : 1;
	struct pk_tcpi t = {
		.snd_cwnd = ti.snd_cwnd_bytes / mss,
		.snd_ssthresh = ti.snd_ssthresh_bytes >= 0x7fffffff ? 0x7fffffff
								     : ti.snd_ssthresh_bytes / mss,
		.rto = ti.rto_us, .rtt = ti.srtt_us, .rttvar = ti.rttvar_us,
		.snd_mss = ti.snd_mss, .rcv_mss = ti.rcv_mss,
		/* tcpi_advmss, Linux's tp->advmss: what the SYN offered
		 * (tcp_conn.c: the path's, or TCP_MAXSEG). */
		.advmss = ti.advmss,
		.total_retrans = (long long)ti.retrans_segs, .unacked = ti.unacked_segs,
		.backoff = ti.backoff, .state_gt = ti.state,
		/* FreeBSD's tcp_fill_info() and Linux's tcp_get_info() set
		 * the same four bits from what the handshake agreed. */
		.options = (ti.ts_ok ? 1 : 0) | (ti.sack_ok ? 2 : 0) | (ti.ws_ok ? 4 : 0) |
			   (ti.ecn_ok ? 8 : 0) | (ti.syn_data ? 32 : 0),
		/* TCPI_OPT_SYN_DATA: the Linux profile's, which has TFO. */
		.has_syn_data = r->j.res->profile == GT_PROFILE_LINUX,
		.state_os = os_state_number(r->j.res->profile, ti.state),
		/* Linux's states; FreeBSD's tcp_fill_info() has no such field. */
		.ca_state = ti.ca_state,
		.has_ca_state = r->j.res->profile == GT_PROFILE_LINUX,
		.reordering = ti.reordering,
		.has_reordering = r->j.res->profile == GT_PROFILE_LINUX,
		.reord_seen = ti.reord_seen,
		.has_reord_seen = r->j.res->profile == GT_PROFILE_LINUX,
		/* tcp_get_info()'s sacked_out, lost_out and retrans_out,
		 * where the Linux profile's RACK marks say them. */
		.sacked = ti.sacked_segs, .lost = ti.lost_segs, .retrans = ti.retrans_out_segs,
		.has_scoreboard = r->j.res->profile == GT_PROFILE_LINUX && ti.scoreboard_ok,
		.probes = ti.probes, .bytes_received = (long long)ti.bytes_received,
		.segs_in = (long long)ti.segs_in, .has_segs_in = true,
		.has_more = true,
		.last_data_recv = ti.last_data_recv_ms,
		.has_last_data_recv = ti.last_data_recv_ms != UINT32_MAX,
		.rcv_ssthresh = ti.rcv_ssthresh_bytes, .has_rcv_ssthresh = ti.rcv_ssthresh_ok,
		.rcv_rtt = ti.rcv_rtt_us, .rcv_space = ti.rcv_space_bytes, .has_rcv_rtt = ti.rcv_rtt_ok,
		.busy_time = (long long)ti.busy_time_us, .rwnd_limited = (long long)ti.rwnd_limited_us,
		.has_chrono = ti.chrono_ok,
		.last_data_sent = ti.last_data_sent_ms,
		.has_last_data_sent = ti.chrono_ok && ti.last_data_sent_ms != UINT32_MAX,
		.last_ack_recv = ti.last_ack_recv_ms,
		.has_last_ack_recv = ti.chrono_ok && ti.last_ack_recv_ms != UINT32_MAX,
	};
	pk_tcpi_more_from_gt(&ti, r->j.res->profile == GT_PROFILE_LINUX, &t);
	int rcvbuf = 0, sndbuf = 0;
	size_t bl = sizeof(rcvbuf);
	if (gt_getsockopt(r->st, sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &rcvbuf, &bl) == 0 &&
	    (bl = sizeof(sndbuf), gt_getsockopt(r->st, sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &sndbuf, &bl) == 0)) {
		t.rcvbuf = rcvbuf;
		t.sndbuf = sndbuf;
		t.has_meminfo = true;
	}
	pk_run_code(&r->j, e, &t);
}

/* The glasstcp back-end's part of pk_run_events(): virtual time. */
static bool rn_started(const void *ctx) { return ((const struct runner *)ctx)->st != NULL; }
static bool rn_start(void *ctx) { return ensure_stack(ctx); }
/* --jitter: how late line's action goes, 0 to jitter_us, the same for a
 * given seed and line (a 32-bit mix of the two: lowbias32's constants). */
static uint64_t jitter_of(const struct pk_options *o, int line)
{
	uint32_t x = o->jitter_seed * 0x9e3779b9u ^ (uint32_t)line;
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return o->jitter_us > 0 ? x % ((uint64_t)o->jitter_us + 1) : 0;
}

static void rn_advance(void *ctx, const struct pk_event *e)
{
	struct runner *r = ctx;
	uint64_t t = e->any_time ? r->j.now_us : (uint64_t)e->t_us + jitter_of(r->j.opt, e->line);
	advance_to(r, t > r->j.now_us ? t : r->j.now_us);
	if (r->j.opt->jitter_us > 0 && (e->kind == PE_PACKET || e->kind == PE_CALL))
		pk_note_action(&r->j, e, r->j.now_us);
}
static void rn_inject(void *ctx, const struct pk_event *e, const uint8_t *pkt, size_t n)
{
	struct runner *r = ctx;
	/* --mss=N: a longer TCP segment goes in as packetdrill's TUN write
	 * makes it, one GSO packet of N-byte segments (the kernel back-end's
	 * virtio-net header): gt_stack_input_gso(). */
	gt_stack_input_gso(r->st, r->j.now_us, pkt, n, pk_gso_size(&r->j, e));
	pk_log(&r->j, "< line %d", e->line);
	check_stack(r, e->line, "this packet");
	retry_pending(r);
}
static void rn_call(void *ctx, const struct pk_event *e) { run_call(ctx, e); }
static void rn_code(void *ctx, const struct pk_event *e) { run_code(ctx, e); }
static void rn_settle(void *ctx) { settle_pending(ctx); }

static void run_events(struct runner *r)
{
	static const struct pk_backend b = {
		.shell = &shell_ops, .wait_out = wait_out, .started = rn_started, .start = rn_start,
		.advance = rn_advance, .inject = rn_inject, .call = rn_call, .code = rn_code, .inject_gso = true,
		.settle = rn_settle,
	};
	pk_run_events(&r->j, &b, r);
}

const char *pk_verdict_name(enum pk_verdict v)
{
	static const char *const n[] = {"PASS", "FAIL", "UNSUPPORTED", "ERROR", "SKIP"};
	return (unsigned)v < sizeof(n) / sizeof(n[0]) ? n[v] : "?";
}

static void run_glasstcp(struct pk_script *sc, const char *dir, const struct pk_options *opt,
			 struct pk_result *res)
{
	struct runner *r = calloc(1, sizeof(*r));
	if (!r) {
		res->verdict = PK_ERROR;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	r->j.sc = sc;
	r->j.opt = opt;
	r->j.res = res;
	r->j.dir = dir;
	r->last_fd = -1;
	r->sut_fd = -1;
	for (int i = 0; i < MAX_FDS; i++)
		r->fd[i] = -1;
	for (int i = 0; i < PK_EPOLL_SETS; i++)
		r->ep[i].fd = -1;
	gt_config_default(&r->cfg, res->profile);
	if (opt->wscale_set)
		r->cfg.rcv_wscale = opt->wscale; /* --wscale: chosen by the run */
	if (opt->timer_wheel_set)
		r->cfg.timer_wheel = opt->timer_wheel;
	/* A profile on Linux's timer wheel is judged with the wheel's slack,
	 * as the kernel is (wheel_slack() in judge.c). */
	if (r->cfg.timer_wheel && r->cfg.rto_jiffy_us)
		sc->wheel_hz = 1000000 / r->cfg.rto_jiffy_us;
	run_events(r);
	if (!r->j.failed)
		res->verdict = PK_PASS;
	pk_outq_clear(&r->j.out);
	gt_stack_free(r->st);
	free(r);
}

void pk_run_text(const char *text, size_t len, const char *name, const char *dir,
		 const struct pk_options *opt, struct pk_result *res)
{
	memset(res, 0, sizeof(*res));
	/* A NUL-terminated copy: the profile mark is searched for as a string. */
	char *copy = malloc(len + 1);
	if (!copy) {
		res->verdict = PK_ERROR;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	/* The kernel is Linux whatever the script was written for. */
	enum gt_profile prof = opt->kernel ? GT_PROFILE_LINUX
			     : opt->profile_set ? opt->profile : pk_guess_profile(copy);
	free(copy);
	res->profile = prof;
	struct pk_script sc;
	memset(&sc, 0, sizeof(sc));
	sc.name = name;
	if (opt->ipver_set)
		sc.ipver = opt->ipver;
	pk_parse(&sc, text, len, prof);
	/* A script made IPv6 by --ip-version, not by its own line, runs as
	 * packetdrill's run_all.py runs it: on a 1520-byte MTU, the MSS
	 * IPv4's 1500 gives (PK_IPV6_MODE_MTU). Its own --mtu stands, and
	 * pktrun's --mtu before that. */
	if (opt->mtu && !sc.mtu)
		sc.mtu = opt->mtu;
	if (opt->ipver_set && !sc.ipver_script && sc.ipver == PK_IPV6 && !sc.mtu)
		sc.mtu = PK_IPV6_MODE_MTU;
	if (opt->ts_tick_set && !sc.ts_tick_script)
		sc.ts_tick_us = opt->ts_tick_us;
	if (opt->tolerance_set && !sc.tolerance_script)
		sc.tolerance_us = sc.tolerance_script_us = opt->tolerance_us;
	if (sc.err_line) {
		res->verdict = PK_ERROR;
		res->line = sc.err_line;
		snprintf(res->why, sizeof(res->why), "parse error: %s", sc.err);
	} else if (opt->ipver_set && !sc.ipver_script && sc.ipver_only &&
		   !(sc.ipver_only & PK_IPVER_BIT(sc.ipver))) {
		/* The script means one IP version and says so: a run of the
		 * suite in another skips it, never passes it. */
		res->verdict = PK_SKIP;
		snprintf(res->why, sizeof(res->why), "not in %s (pktrun-ip-versions: %s)",
			 pk_ipver_name(sc.ipver), sc.ipver_only_why);
	} else if (sc.unsup_line) {
		res->verdict = PK_UNSUPPORTED;
		res->line = sc.unsup_line;
		snprintf(res->why, sizeof(res->why), "%s", sc.unsup);
	} else if (opt->kernel && sc.udp_encaps_tcp) {
		/* FreeBSD's TCP over UDP: Linux has no such thing to run. */
		res->verdict = PK_UNSUPPORTED;
		res->line = 1;
		snprintf(res->why, sizeof(res->why),
			 "--udp_encapsulation=tcp: the Linux kernel has no TCP over UDP");
	} else if (opt->kernel) {
		pk_kernel_run(&sc, dir, opt, res);
	} else {
		if (opt->jitter_us > 0) {
			/* --jitter stands in for the kernel runner's lateness:
			 * judged as that runner judges (its tolerance, on the
			 * late edge only, and its rules for intervals it
			 * changed, pk_note_action()). */
			int64_t floor_us = opt->kernel_tolerance_us ? opt->kernel_tolerance_us
								    : PK_KERNEL_TOLERANCE_US;
			if (sc.tolerance_us < floor_us)
				sc.tolerance_us = floor_us;
		}
		run_glasstcp(&sc, dir, opt, res);
	}
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
