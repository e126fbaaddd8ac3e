/* The socket API: descriptors, bind/listen/accept/connect, send/recv,
 * shutdown/close (RFC 9293 3.10.4 CLOSE, RFC 1122 4.2.2.13), options,
 * readiness and the event queue. Errors are negative errno values with their
 * POSIX meaning. A socket holds its connection or listener only as a handle
 * and asks TCP through tcp_user.h; TCP answers through sock_mark() and
 * sock_conn_gone().
 *
 * Families: an AF_INET socket has IPv4 addresses; an AF_INET6 socket IPv6
 * ones and, unless IPV6_V6ONLY, IPv4 ones in the IPv4-mapped form
 * ::ffff:a.b.c.d (RFC 4291 2.5.5.2, RFC 3493 3.7), which is also how the
 * core holds every IPv4 address (ip/addr.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp_user.h"

/* A configuration with neither profile's rule (sockopt_buf_double,
 * buf_round_to_mss) raises SO_*BUF to this. */
#define SOCKBUF_MIN 2048
/* Linux's SOCK_MIN_RCVBUF: TCP_SKB_MIN_TRUESIZE, 2048 +
 * SKB_DATA_ALIGN(sizeof(struct sk_buff)) (include/net/sock.h); with its
 * doubling (sockopt_buf_double) SO_RCVBUF 1,024 reads back 2,304
 * (__sock_set_rcvbuf(); tests/pkt/linux/rcvbuf-smallest-buffer.pkt). */
#define SOCKBUF_MIN_RCV_LINUX 2304
/* Linux's SOCK_MIN_SNDBUF: twice TCP_SKB_MIN_TRUESIZE, room for two skbs;
 * SO_SNDBUF 1,024 reads back 4,608 (__sock_set_sndbuf();
 * tests/pkt/linux/sndbuf-smallest-buffer.pkt). */
#define SOCKBUF_MIN_SND_LINUX 4608

struct gt_sock *sock_get(gt_stack *s, int sd)
{
	if (sd < 0 || (uint32_t)sd >= s->socks_cap || !s->socks[sd].in_use)
		return NULL;
	return &s->socks[sd];
}

bool sock_bound_md5sig(gt_stack *s, ip_addr laddr, uint16_t lport)
{
	if (!s->port_socks || !s->port_socks[lport])
		return false;
	for (uint32_t i = 0; i < s->socks_cap; i++) {
		const struct gt_sock *so = &s->socks[i];
		/* One whose connection has ended is FreeBSD's dropped inpcb,
		 * out of the lookup hash (in_pcbdrop()): the RST for its port
		 * has no tp, unsigned. */
		if (!so->in_use || !so->bound || so->listening || so->conn || so->ever_connected ||
		    !so->o.md5sig || so->local.port != lport)
			continue;
		ip_addr a = so->local.family == GT_AF_INET ? ip_addr_v4(so->local.addr)
							   : so->local.addr6;
		bool any = so->local.family == GT_AF_INET ? so->local.addr == 0
							  : ip_addr_eq(a, IP_ADDR_ANY6);
		if (any || ip_addr_eq(a, laddr))
			return true;
	}
	return false;
}

uint32_t sock_rcv_lowat(gt_stack *s, int sd)
{
	const struct gt_sock *so = sd >= 0 ? sock_get(s, sd) : NULL;
	return so && so->o.rcv_lowat ? so->o.rcv_lowat : 1;
}

bool sock_write_pending(gt_stack *s, int sd)
{
	const struct gt_sock *so = sd >= 0 ? sock_get(s, sd) : NULL;
	return so && so->write_pending;
}

/* The flags a write takes (gt_send(), gt_sendto()); any other is
 * EOPNOTSUPP. */
#define SEND_FLAGS (GT_MSG_MORE | GT_MSG_EOR | GT_MSG_WAITCONN)

/* A blocking writer (GT_MSG_WAITCONN) that leaves data unwritten while the
 * connection is in SYN_SENT waits for it (sk_write_pending). */
static ssize_t note_pending(struct gt_sock *so, int flags, size_t len, ssize_t rv)
{
	bool short_ = len && (rv < 0 ? rv == -EAGAIN || rv == -EINPROGRESS : (size_t)rv < len);
	so->write_pending = (flags & GT_MSG_WAITCONN) && so->conn && short_ &&
			    tcp_user_state(so->conn) == GT_TCP_SYN_SENT;
	return rv;
}

/* gt_sock.linger_s for Linux's sk_lingertime of MAX_SCHEDULE_TIMEOUT (a
 * negative l_linger, cfg.linger_linux). */
#define LINGER_FOREVER (-1)
/* FreeBSD's kern.hz as the profile's times take it (its sysctls in ms
 * are ticks at hz 1000): the bound on TCP_KEEPIDLE, TCP_KEEPINTVL and
 * TCP_KEEPINIT is UINT_MAX / hz seconds. */
#define BSD_HZ 1000u

/* sk_getsockopt()'s "sk_lingertime / HZ" for MAX_SCHEDULE_TIMEOUT
 * (LONG_MAX), as the int l_linger takes it: -1752346657 at HZ 250. */
static int linger_forever_read(const gt_stack *s)
{
	uint64_t hz = 1000000u / (s->cfg.rto_jiffy_us ? s->cfg.rto_jiffy_us : 1000u);
	int64_t low = (int64_t)(((uint64_t)INT64_MAX / hz) & 0xffffffffu);
	return (int)(low > INT_MAX ? low - 0x100000000 : low);
}

/* TCP_NOTSENT_LOWAT's mark: the socket's, else net.ipv4.tcp_notsent_lowat
 * (tcp_notsent_lowat()); none where the option does not exist. */
static uint32_t notsent_mark(const gt_stack *s, const struct gt_sock *so)
{
	if (!s->cfg.notsent_lowat_linux)
		return UINT32_MAX;
	if (so->o.notsent_lowat)
		return so->o.notsent_lowat;
	return s->cfg.notsent_lowat ? s->cfg.notsent_lowat : UINT32_MAX;
}

/* What the socket last saw of its connection, so that the next sock_mark()
 * counts only what changed since. */
static void wake_seen(struct gt_sock *so)
{
	so->wk_state = (uint8_t)tcp_user_state(so->conn);
	so->wk_rcvd = tcp_user_bytes_rcvd(so->conn);
	so->wk_fin = tcp_user_fin_rcvd(so->conn);
}

/* The wake-ups Linux gives where TCP tells the socket something changed:
 * a listener's ready connection (sk_data_ready() on the listener,
 * inet_csk_reqsk_queue_add()); data in order or the FIN (tcp_data_ready(),
 * tcp_fin()'s sk_state_change()); a change of state (the callers of
 * tcp_set_state(): tcp_finish_connect(), tcp_rcv_state_process(),
 * tcp_done(), each with sk_state_change()). An ACK alone wakes nobody
 * here: its write space is sock_write_space()'s. */
static void wake_classify(struct gt_sock *so)
{
	if (so->listening) {
		so->wk.in++;
		return;
	}
	if (!so->conn)
		return;
	uint8_t st = (uint8_t)tcp_user_state(so->conn);
	uint64_t rcvd = tcp_user_bytes_rcvd(so->conn);
	bool fin = tcp_user_fin_rcvd(so->conn);
	if (rcvd != so->wk_rcvd || fin != so->wk_fin)
		so->wk.in++;
	if (st != so->wk_state || fin != so->wk_fin)
		so->wk.all++;
	wake_seen(so);
}

static void eq_collect(gt_stack *s, struct gt_sock *so);
static void eq_inherit(gt_stack *s, struct gt_sock *so, const struct gt_sock *l);

void sock_write_space(gt_stack *s, int sd)
{
	struct gt_sock *so = sock_get(s, sd);
	if (so)
		eq_collect(s, so); /* after an ACK's output: its timestamps, notifications */
	if (!so || !so->nospace || !so->conn)
		return;
	/* sk_stream_write_space(): __sk_stream_is_writeable(sk, 1) clears
	 * SOCK_NOSPACE and wakes EPOLLOUT's watchers. */
	if (tcp_user_writable(s, so->conn, so->o.snd_lowat, notsent_mark(s, so))) {
		so->nospace = false;
		so->wk.out++;
	}
}

int gt_wakeups(gt_stack *s, int sd, struct gt_wakeups *out)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	*out = so->wk;
	return 0;
}

void sock_mark(gt_stack *s, int sd)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return;
	wake_classify(so);
	if (so->ev_queued)
		return;
	so->ev_queued = true;
	s->evq[(s->evq_head + s->evq_len) % s->socks_cap] = sd;
	s->evq_len++;
}

void sock_conn_gone(gt_stack *s, int sd, int err, struct ring *left, bool eof_first)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return;
	so->conn = NULL;
	eq_collect(s, so); /* tcp_write_queue_purge(): every MSG_ZEROCOPY send done */
	so->wk.all++; /* tcp_done(): sk_state_change() */
	so->eof_first = eof_first;
	if (err)
		so->so_error = err;
	if (left) {
		so->rcv_left = *left; /* its memory is the socket's now */
	}
	sock_mark(s, sd);
}

static int sock_grow(gt_stack *s)
{
	uint32_t ncap = s->socks_cap ? s->socks_cap * 2 : 64;
	if (ncap > s->cfg.max_sockets)
		ncap = s->cfg.max_sockets;
	if (ncap <= s->socks_cap)
		return -EMFILE;
	struct gt_sock *ns = realloc(s->socks, ncap * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	s->socks = ns;
	int *nq = malloc(ncap * sizeof(*nq));
	if (!nq)
		return -ENOMEM;
	/* Re-lay the event ring from its head: its modulus changes. */
	for (uint32_t i = 0; i < s->evq_len; i++)
		nq[i] = s->evq[(s->evq_head + i) % s->socks_cap];
	free(s->evq);
	s->evq = nq;
	s->evq_head = 0;
	for (uint32_t i = ncap; i-- > s->socks_cap;) {
		memset(&s->socks[i], 0, sizeof(s->socks[i]));
		s->socks[i].free_next = s->sock_free;
		s->sock_free = (int)i;
	}
	s->socks_cap = ncap;
	return 0;
}

static int sock_alloc(gt_stack *s)
{
	if (s->nsocks >= s->cfg.max_sockets)
		return -EMFILE;
	if (s->sock_free < 0) {
		int r = sock_grow(s);
		if (r < 0)
			return r;
	}
	int sd = s->sock_free;
	struct gt_sock *so = &s->socks[sd];
	s->sock_free = so->free_next;
	/* A stale entry of an earlier socket on this descriptor may still sit
	 * in the event queue: keep its flag so the queue never holds it twice. */
	bool queued = so->ev_queued;
	memset(so, 0, sizeof(*so));
	so->ev_queued = queued;
	so->in_use = true;
	so->o.sndbuf_bytes = s->cfg.sndbuf_bytes;
	so->o.rcvbuf_bytes = s->cfg.rcvbuf_bytes;
	/* soreserve(): so_snd.sb_lowat MCLBYTES, at most sb_hiwat;
	 * so_rcv.sb_lowat (Linux's sk_rcvlowat) 1. */
	so->o.snd_lowat = s->cfg.sb_lowat < so->o.sndbuf_bytes ? s->cfg.sb_lowat : so->o.sndbuf_bytes;
	so->o.rcv_lowat = 1;
	if (s->cfg.syn_opts_at_open) {
		/* FreeBSD makes the TCB with the socket (tcp_usr_attach(),
		 * tcp_newtcpcb()): its requests are the sysctls of now. */
		so->o.req_set = true;
		so->o.req_ws = s->cfg.opt_wscale;
		so->o.req_ts = s->cfg.opt_timestamps;
		so->o.req_sack = s->cfg.opt_sack;
	}
	so->local.family = so->peer.family = GT_AF_INET;
	s->nsocks++;
	return sd;
}

/* The socket now holds so->local.port (counted per port for bind()). */
static void sock_mark_bound(gt_stack *s, struct gt_sock *so)
{
	if (so->bound)
		return;
	so->bound = true;
	s->port_socks[so->local.port]++;
}

static void sock_release(gt_stack *s, int sd)
{
	struct gt_sock *so = &s->socks[sd];
	tcp_user_md5_lx_sock_gone(s, sd);
	free(so->eq);
	so->eq = NULL;
	if (so->explicit_bind)
		s->port_binds[so->local.port]--;
	if (so->bound)
		s->port_socks[so->local.port]--;
	so->in_use = false;
	so->free_next = s->sock_free;
	s->sock_free = sd;
	s->nsocks--;
}

int gt_socket(gt_stack *s, int family, int type)
{
	if (family != GT_AF_INET && family != GT_AF_INET6)
		return -EAFNOSUPPORT;
	if (type != GT_SOCK_STREAM)
		return -EPROTONOSUPPORT;
	int sd = sock_alloc(s);
	if (sd >= 0 && family == GT_AF_INET6) {
		struct gt_sock *so = &s->socks[sd];
		so->local.family = so->peer.family = GT_AF_INET6;
		so->v6only = s->cfg.v6only;
	}
	return sd;
}

static bool is_v6(const struct gt_sock *so) { return so->local.family == GT_AF_INET6; }

/* The socket's local address in the core's form (a wildcard: 0.0.0.0 as
 * ::ffff:0.0.0.0, or ::). */
static ip_addr local_ip(const struct gt_sock *so)
{
	return is_v6(so) ? so->local.addr6 : ip_addr_v4(so->local.addr);
}

/* A socket address as the socket's family shows it: IPv4 on an AF_INET6
 * socket is IPv4-mapped. */
static struct gt_sockaddr sockaddr_for(const struct gt_sock *so, struct gt_sockaddr a)
{
	if (!is_v6(so) || a.family == GT_AF_INET6)
		return a;
	return tcp_sockaddr(ip_addr_v4(a.addr), a.port, true);
}

/* Do the addresses a bound as so and b bound as o share one? A wildcard
 * covers its family, and an AF_INET6 one IPv4 too unless IPV6_V6ONLY (as
 * Linux's inet_bind_conflict() with ipv6_only_sock()). */
static bool addrs_overlap(const struct gt_sock *so, ip_addr a, const struct gt_sock *o, ip_addr b)
{
	bool wa = ip_addr_is_any(a), wb = ip_addr_is_any(b);
	if (!wa && !wb)
		return ip_addr_eq(a, b);
	/* Which families each covers: bit 0 IPv4, bit 1 IPv6. */
	unsigned ca = wa ? (is_v6(so) ? 2u | (so->v6only ? 0u : 1u) : 1u)
			 : (ip_addr_is_v4(a) ? 1u : 2u);
	unsigned cb = wb ? (is_v6(o) ? 2u | (o->v6only ? 0u : 1u) : 1u)
			 : (ip_addr_is_v4(b) ? 1u : 2u);
	return (ca & cb) != 0;
}

static bool port_conflict(gt_stack *s, int sd, ip_addr addr, uint16_t port)
{
	/* As Linux: a port with connections in TIME_WAIT can be bound only
	 * with SO_REUSEADDR (their pairs are still protected by TIME_WAIT).
	 * The per-port counts keep a free port O(1) whatever the number of
	 * sockets and TIME_WAIT entries; only a port in use is looked at. */
	if (!s->socks[sd].reuseaddr && tcp_user_tw_on_port(s, addr, port))
		return true;
	const struct gt_sock *me = &s->socks[sd];
	uint32_t others = s->port_socks[port] - (me->bound && me->local.port == port);
	if (!others)
		return false;
	for (uint32_t i = 0; i < s->socks_cap; i++) {
		const struct gt_sock *o = &s->socks[i];
		if (!o->in_use || (int)i == sd || !o->bound || o->local.port != port)
			continue;
		if (!addrs_overlap(me, addr, o, local_ip(o)))
			continue;
		/* SO_REUSEADDR as on Linux: both set and neither listening. */
		if (me->reuseaddr && o->reuseaddr && !o->listening)
			continue;
		return true;
	}
	return false;
}

/* The checks bind() and connect() share: a live descriptor and an address
 * of its family, in the core's form in *ip. Returns 0 or the errno to
 * report: an IPv4-mapped address on an IPV6_V6ONLY socket is -EINVAL, as
 * Linux's inet6_bind() says for bind(). */
static int check_addr_call(gt_stack *s, int sd, const struct gt_sockaddr *a,
			   struct gt_sock **out, ip_addr *ip)
{
	*out = sock_get(s, sd);
	if (!*out)
		return -EBADF;
	if (!a)
		return -EFAULT;
	if (a->family != (*out)->local.family)
		return -EAFNOSUPPORT;
	if (a->family == GT_AF_INET) {
		*ip = ip_addr_v4(a->addr);
		return 0;
	}
	*ip = a->addr6;
	if (ip_addr_is_v4(*ip) && (*out)->v6only)
		return -EINVAL;
	return 0;
}

int gt_bind(gt_stack *s, int sd, const struct gt_sockaddr *a)
{
	struct gt_sock *so;
	ip_addr ip;
	int err = check_addr_call(s, sd, a, &so, &ip);
	if (err)
		return err;
	if (so->bound || so->conn || so->ever_connected)
		return -EINVAL;
	if (!ip_addr_is_any(ip) && !ip_is_local(s, ip))
		return -EADDRNOTAVAIL;
	uint16_t port = a->port;
	if (port == 0 && so->o.bind_no_port) {
		/* Linux's __inet_bind() under IP_BIND_ADDRESS_NO_PORT: the
		 * address now, the port at connect(). */
		if (a->family == GT_AF_INET6)
			so->local.addr6 = a->addr6;
		else
			so->local.addr = a->addr;
		so->o.addr_bound = !ip_addr_is_any(ip);
		return 0;
	}
	if (port == 0) {
		uint16_t plo, phi;
		tcp_port_range(s, &so->o, &plo, &phi);
		uint32_t lo = plo, n = phi - lo + 1u;
		uint32_t i;
		for (i = 0; i < n; i++) {
			port = (uint16_t)(lo + (s->ephemeral_next + i) % n);
			if (!port_conflict(s, sd, ip, port))
				break;
		}
		if (i == n) {
			s->st.TcpEphemeralExhausted++;
			return -EADDRINUSE;
		}
		s->ephemeral_next += i + 1;
	} else if (port_conflict(s, sd, ip, port)) {
		return -EADDRINUSE;
	}
	if (!s->port_binds) {
		s->port_binds = calloc(65536, sizeof(*s->port_binds));
		if (!s->port_binds)
			return -ENOBUFS;
	}
	s->port_binds[port]++;
	so->explicit_bind = true;
	if (a->family == GT_AF_INET6)
		so->local.addr6 = a->addr6;
	else
		so->local.addr = a->addr;
	so->local.port = port;
	sock_mark_bound(s, so);
	return 0;
}

int gt_listen(gt_stack *s, int sd, int backlog)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (so->conn || so->ever_connected)
		return -EINVAL;
	if (!so->bound) {
		struct gt_sockaddr any = {.family = so->local.family};
		int r = gt_bind(s, sd, &any);
		if (r < 0)
			return r;
		so = &s->socks[sd];
	}
	int somax = INT_MAX; /* cfg.somaxconn 0: no ceiling */
	if (s->cfg.somaxconn && s->cfg.somaxconn < INT_MAX)
		somax = (int)s->cfg.somaxconn;
	/* Linux's __sys_listen(): (unsigned)backlog > somaxconn; FreeBSD's
	 * solisten_proto(): backlog < 0 || backlog > somaxconn. */
	if ((s->cfg.acceptq_linux || s->cfg.acceptq_bsd) && backlog < 0)
		backlog = somax;
	if (backlog < 1 && !s->cfg.acceptq_linux && !s->cfg.acceptq_bsd)
		backlog = 1;
	if (backlog > somax)
		backlog = somax;
	if (so->listening) {
		so->backlog = backlog;
		tcp_user_listen_update(s, so->lh, &so->o, backlog);
		return 0;
	}
	/* A listener's port may not be shared with a bound socket unless
	 * both asked for SO_REUSEADDR and neither listens. */
	so->listening = true;
	if (port_conflict(s, sd, local_ip(so), so->local.port)) {
		so->listening = false;
		return -EADDRINUSE;
	}
	int lh = tcp_user_listen(s, &so->o, sd, local_ip(so), so->local.port, backlog,
				 is_v6(so) && so->v6only);
	if (lh < 0) {
		so->listening = false;
		return lh;
	}
	/* lh and backlog share their memory with rcv_left (never both: a
	 * listener has no data), so they are written only once it listens;
	 * a refused listen() left them over the ring, and close() freed
	 * what they spelled (swarm plan 8, seeds 97300005 and 97300014:
	 * free(0x100000000) after EADDRINUSE). */
	ring_free(&so->rcv_left);
	so->lh = lh;
	so->backlog = backlog;
	return 0;
}

int gt_accept(gt_stack *s, int sd, struct gt_sockaddr *peer)
{
	struct gt_sock *l = sock_get(s, sd);
	if (!l)
		return -EBADF;
	if (!l->listening)
		return -EINVAL;
	if (!tcp_user_listen_queued(s, l->lh))
		return -EAGAIN;
	int nsd = sock_alloc(s);
	if (nsd < 0)
		return nsd == -ENOMEM ? -ENOBUFS : nsd;
	l = &s->socks[sd]; /* the table may have moved */
	struct tcp_conn *c;
	int r = tcp_user_accept(s, l->lh, nsd, &c);
	if (r < 0) {
		sock_release(s, nsd);
		return r;
	}
	struct gt_sock *so = &s->socks[nsd];
	so->conn = c;
	so->ever_connected = true;
	so->accepted = true;
	so->zerocopy = l->zerocopy; /* sk_clone_lock(): sk_flags, SOCK_ZEROCOPY; sk_zckey 0 */
	eq_inherit(s, so, l); /* ... and sk_tsflags, sk_tskey */
	tcp_user_md5_lx_accepted(s, c, nsd); /* the child's copy of the listener's key */
	tcp_user_addrs(c, &so->local, &so->peer);
	so->v6only = l->v6only;
	so->recv_tclass = l->recv_tclass; /* tcp_v6_syn_recv_sock() copies rxopt */
	so->local = sockaddr_for(l, so->local);
	so->peer = sockaddr_for(l, so->peer);
	sock_mark_bound(s, so);
	/* As Linux's accept(): the socket options the listener had; the
	 * buffers as the connection has them (FreeBSD rounds them). */
	so->o = l->o;
	/* inet_csk_clone_lock() zeroes the child's icsk_accept_queue, and
	 * its TCP_DEFER_ACCEPT with it. */
	so->o.defer_accept = 0;
	so->o.kept = (struct tcp_info_kept){ 0 }; /* this connection's, at its end */
	so->linger_on = l->linger_on;
	so->linger_s = l->linger_s;
	/* sk_clone_lock() copies sk_reuse (FreeBSD's sonewconn() so_options):
	 * the port is shared with a later SO_REUSEADDR listener once the old
	 * one is closed (tests/pkt/linux/
	 * bind-reuseaddr-after-listener-close-child-open.pkt). */
	so->reuseaddr = l->reuseaddr;
	so->o.sndbuf_bytes = tcp_user_buffer(c, true);
	so->o.rcvbuf_bytes = tcp_user_buffer(c, false);
	if (peer)
		*peer = so->peer;
	wake_seen(so);
	sock_mark(s, nsd);
	tcp_user_accepted(s, c);
	return nsd;
}


static int take_error(struct gt_sock *so);

/* The connection connect() started is still opening: SYN_SENT, or a
 * simultaneous open's SYN_RECEIVED, which is still connect()'s: Linux's
 * __inet_stream_connect() in SS_CONNECTING ("err = -EALREADY" while
 * SYN_SENT or SYN_RECV holds; tests/pkt/linux/simultaneous-open-syn-recv-
 * connect-again-ealready.pkt), FreeBSD's kern_connectat() on
 * SS_ISCONNECTING, which only the handshake's end (soisconnected())
 * clears. A second connect() then says EALREADY. */
static bool connect_under_way(const struct gt_sock *so)
{
	int st = tcp_user_state(so->conn);
	return st == GT_TCP_SYN_SENT || (st == GT_TCP_SYN_RECEIVED && so->connecting);
}

/* tfo: 0 a plain connect(), 1 MSG_FASTOPEN's (the SYN waits for
 * tcp_user_fastopen_send()), 2 TCP_FASTOPEN_CONNECT's (it waits where
 * tcp_user_fastopen_connect() says; 0 is returned then). */
static int connect_tfo(gt_stack *s, int sd, const struct gt_sockaddr *a, int tfo)
{
	struct gt_sock *so;
	ip_addr dst;
	int err = check_addr_call(s, sd, a, &so, &dst);
	if (err == -EINVAL && so->v6only)
		return -ENETUNREACH; /* Linux: a v6only socket cannot reach IPv4 */
	if (err)
		return err;
	if (so->listening)
		return -EISCONN;
	/* Linux's __inet_stream_connect() in SS_CONNECTING: EISCONN while
	 * DEFER_CONNECT holds the SYN back (TCP_FASTOPEN_CONNECT's connect()
	 * returned 0 and no write sent it yet), else EALREADY
	 * (tests/pkt/linux/fastopen-client-connect-deferred-connect-again.pkt). */
	if (so->conn && tcp_user_tfo_deferred(so->conn))
		return -EISCONN;
	/* __inet_stream_connect() in SS_CONNECTING once the connection is
	 * gone (TCP_CLOSE: an RST, a timeout, an ICMP error): "err =
	 * sock_error(sk) ? : -ECONNABORTED", SO_ERROR read and cleared, and
	 * SS_UNCONNECTED, so the next connect() opens a new connection. */
	if (!so->conn && so->connecting && s->cfg.connect_again_linux) {
		so->connecting = false;
		int e = take_error(so);
		return e ? e : -ECONNABORTED;
	}
	if (so->conn) {
		if (connect_under_way(so))
			return -EALREADY;
		/* __inet_stream_connect() in SS_CONNECTING once TCP is past
		 * SYN_SENT and SYN_RECV, not CLOSE: "sock->state =
		 * SS_CONNECTED; err = 0", the pending connect's result; EISCONN
		 * from then on (tests/pkt/linux/
		 * connect-again-after-nonblocking-connect-completes.pkt). */
		if (so->connecting && s->cfg.connect_again_linux) {
			so->connecting = false;
			return 0;
		}
		return -EISCONN;
	}
	if (a->port == 0 || ip_addr_is_any(dst))
		return -EINVAL;
	bool v4 = ip_addr_is_v4(dst);
	if (v4 ? !s->naddr : !s->naddr6)
		return -ENETUNREACH;
	ip_addr laddr = local_ip(so);
	if ((!so->bound && !so->o.addr_bound) || ip_addr_is_any(laddr))
		laddr = ip_source_for(s, dst);
	else if (ip_addr_is_v4(laddr) != v4)
		return -ENETUNREACH; /* bound to an address of the other family */
	uint16_t lport = so->bound ? so->local.port : 0;
	struct tcp_conn *c;
	int r = tcp_user_connect_tfo(s, &so->o, sd, laddr, lport, dst, a->port, &c, &lport, tfo != 0);
	if (r < 0)
		return r;
	so->conn = c;
	so->ever_connected = true;
	so->connecting = true;
	so->so_error = 0;
	so->local = tcp_sockaddr(laddr, lport, is_v6(so));
	sock_mark_bound(s, so);
	so->peer = *a;
	if (tfo == 2 && tcp_user_fastopen_connect(s, c, so->o.tfo_no_cookie))
		return 0; /* __inet_stream_connect(): "if (!err && DEFER_CONNECT) goto out" */
	return -EINPROGRESS;
}

/* connect(AF_UNSPEC), Linux's __inet_stream_connect() -> tcp_disconnect():
 * whatever the state, the socket is CLOSED again. A listener stops
 * (inet_csk_listen_stop(): its queue reset, tcp_user_unlisten()); a
 * connection ends (tcp_user_disconnect()) and its unread data goes
 * (__skb_queue_purge()); the shutdown bits clear (sk_shutdown = 0). The
 * port stays where bind() or the listener chose it (SOCK_BINDPORT_LOCK),
 * else tcp_set_state(TCP_CLOSE) gives it back (inet_put_port()); the
 * address stays only where bind() named one (inet_reset_saddr()). */
static void unconnected_lx(gt_stack *s, int sd, struct gt_sock *so);

static int disconnect(gt_stack *s, int sd, struct gt_sock *so)
{
	if (so->closing)
		return -EBADF;
	if (so->listening) {
		tcp_user_unlisten(s, so->lh);
		memset(&so->rcv_left, 0, sizeof(so->rcv_left)); /* the handle's memory */
		so->listening = false;
	} else if (so->conn) {
		struct tcp_conn *c = so->conn;
		tcp_user_md5_lx_detach(s, c);
		tcp_user_disconnect(s, c); /* sock_conn_gone(): conn, so_error */
		so = &s->socks[sd];
		so->conn = NULL;
		eq_collect(s, so); /* a TIME_WAIT one told nobody */
	}
	unconnected_lx(s, sd, so);
	return 0;
}

/* What tcp_disconnect() leaves of a Linux socket, after connect(AF_UNSPEC)
 * or shutdown() in SYN_SENT: SS_UNCONNECTED, the shutdown bits clear
 * (sk_shutdown = 0), the port given back unless locked, no peer. */
static void unconnected_lx(gt_stack *s, int sd, struct gt_sock *so)
{
	if (!so->listening)
		ring_free(&so->rcv_left);
	so->shut_rd = so->shut_wr = false;
	so->ever_connected = so->eof_first = so->write_pending = so->connecting = false;
	if (so->bound && !so->explicit_bind && !so->accepted) {
		s->port_socks[so->local.port]--;
		so->bound = false;
		so->local.port = 0;
	}
	if (!so->explicit_bind && !so->o.addr_bound) {
		so->local.addr = 0;
		so->local.addr6 = (struct gt_in6_addr){{0}};
	}
	so->peer = (struct gt_sockaddr){.family = so->local.family};
	so->wk.all++; /* sk_error_report() */
	sock_mark(s, sd);
	tcp_reap(s);
}

/* FreeBSD's connect() with AF_UNSPEC: EALREADY while connecting
 * (kern_connectat(): SS_ISCONNECTING), EISCONN once connected
 * (soconnectat(): PR_CONNREQUIRED), else tcp_usr_connect()'s
 * EAFNOSUPPORT (its family test comes before SOLISTENING). */
static int connect_unspec_bsd(const struct gt_sock *so)
{
	if (so->conn)
		return connect_under_way(so) ? -EALREADY : -EISCONN;
	return -EAFNOSUPPORT;
}

int gt_connect(gt_stack *s, int sd, const struct gt_sockaddr *a)
{
	struct gt_sock *so = sock_get(s, sd);
	if (so && a && a->family == GT_AF_UNSPEC)
		return s->cfg.connect_unspec_linux ? disconnect(s, sd, so) : connect_unspec_bsd(so);
	bool tfo = so && so->o.tfo_connect && s->cfg.fastopen_linux && !so->conn && !so->listening;
	return connect_tfo(s, sd, a, tfo ? 2 : 0);
}

/* FreeBSD's sosend_generic() that failed before pr_send (the write's
 * mbufs not made): the implied connect never happened. TCP freed the
 * unsent connection (tcp_user_fastopen_send_bsd(), sock_conn_gone());
 * the socket is as it was before the call, the port connect_tfo() chose
 * given back unless bind() had named it. */
static void unconnect_bsd(gt_stack *s, int sd, const struct gt_sock *was)
{
	struct gt_sock *so = &s->socks[sd];
	if (so->bound && !was->bound)
		s->port_socks[so->local.port]--;
	so->bound = was->bound;
	so->local = was->local;
	so->peer = was->peer;
	so->ever_connected = was->ever_connected;
	so->connecting = was->connecting;
	so->so_error = was->so_error;
	sock_mark(s, sd);
	tcp_reap(s);
}

/* Linux's tcp_sendmsg_fastopen() (cfg.fastopen_linux): MSG_FASTOPEN on a
 * socket not connected connects it, and the SYN carries what of the
 * write fits (tcp_send_syn_data()): the bytes it took, or EINPROGRESS
 * where none; after connect() under TCP_FASTOPEN_CONNECT (DEFER_CONNECT)
 * any write does the same. On a connection under way, EALREADY
 * (__inet_stream_connect(): SS_CONNECTING); once established the flag
 * changes nothing (Linux 6.18: tests/pkt/linux/fastopen-client-*.pkt). */
ssize_t gt_sendto(gt_stack *s, int sd, const void *buf, size_t len, int flags,
		  const struct gt_sockaddr *to)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so || so->closing)
		return -EBADF;
	/* FreeBSD's tcp_usr_send() with an address on a closed TF_FASTOPEN
	 * socket: the data queued, then tcp_connect() and
	 * tcp_fastopen_connect() (cfg.fastopen_bsd); the call takes it all. */
	if (!(flags & GT_MSG_FASTOPEN) && s->cfg.fastopen_bsd && so->o.tfo_bsd && to && !so->conn &&
	    !so->listening) {
		if (flags & ~SEND_FLAGS)
			return -EOPNOTSUPP;
		struct gt_sock was = *so;
		int r = connect_tfo(s, sd, to, 1);
		if (r != -EINPROGRESS)
			return r;
		ssize_t n = tcp_user_fastopen_send_bsd(s, so->conn, buf, len);
		if (n < 0 && !so->conn)
			unconnect_bsd(s, sd, &was);
		return n;
	}
	if (!(flags & GT_MSG_FASTOPEN))
		return gt_send(s, sd, buf, len, flags);
	if (!s->cfg.fastopen_linux)
		return -EOPNOTSUPP;
	if (!(s->cfg.fastopen & GT_TFO_CLIENT_ENABLE) || (to && to->family == 0 /* AF_UNSPEC */))
		return -EOPNOTSUPP;
	flags &= ~GT_MSG_FASTOPEN;
	if (flags & ~SEND_FLAGS)
		return -EOPNOTSUPP;
	struct tcp_conn *c = so->conn;
	if (c && tcp_user_tfo_deferred(c))
		return note_pending(so, flags, len,
				    tcp_user_fastopen_send(s, c, buf, len, so->o.tfo_no_cookie));
	if (c && tcp_user_state(c) == GT_TCP_SYN_SENT)
		return -EALREADY;
	if (c || so->listening || !to)
		return gt_send(s, sd, buf, len, flags);
	int r = connect_tfo(s, sd, to, 1);
	if (r != -EINPROGRESS)
		return r;
	return note_pending(so, flags, len,
			    tcp_user_fastopen_send(s, so->conn, buf, len, so->o.tfo_no_cookie));
}

/* An error the connection left behind, reported once (like SO_ERROR). */
static int take_error(struct gt_sock *so)
{
	int e = so->so_error;
	so->so_error = 0;
	return e;
}

/* A send after shutdown(SHUT_WR): Linux's tcp_sendmsg_locked() waits for
 * the connection first (sk_stream_wait_connect(): -EAGAIN, non-blocking,
 * in SYN_SENT and SYN_RECV) and tests SEND_SHUTDOWN (-EPIPE) only after.
 * A SYN_RECEIVED socket shut for writing exists only where shutdown()
 * succeeds there (cfg.shut_wr_synrcvd_defer, the Linux profile;
 * tests/pkt/linux/simultaneous-open-syn-recv-shutdown-wr-then-close-fin.pkt). */
static ssize_t shut_wr_send_err(const gt_stack *s, const struct tcp_conn *c)
{
	/* FreeBSD's sosend_generic() tests SBS_CANTSENDMORE before
	 * anything of the connection's (EPIPE), and its shutdown() leaves a
	 * connection in SYN_SENT or SYN_RECEIVED with TF_NEEDFIN
	 * (cfg.shut_wr_synsent_needfin: tests/pkt/freebsd/
	 * fastopen-server-shutdown-wr-syn-rcvd-fin-after-handshake.pkt). */
	if (s->cfg.shut_wr_synsent_needfin)
		return -EPIPE;
	enum gt_tcp_state st = tcp_user_state(c);
	return st == GT_TCP_SYN_SENT || st == GT_TCP_SYN_RECEIVED ? -EAGAIN : -EPIPE;
}

/* A send where no connection was ever made: a fresh or bound socket,
 * or a listening one (cfg.send_unconnected_epipe). */
static ssize_t unconnected_send_err(const gt_stack *s)
{
	return s->cfg.send_unconnected_epipe ? -EPIPE : -ENOTCONN;
}

static ssize_t send_flags(gt_stack *s, struct gt_sock *so, const void *buf, size_t len, int flags);

static ssize_t send_zerocopy(gt_stack *s, struct gt_sock *so, const void *buf, size_t len,
			     int flags);
static ssize_t send_marked(gt_stack *s, struct gt_sock *so, const void *buf, size_t len, int flags);

ssize_t gt_send(gt_stack *s, int sd, const void *buf, size_t len, int flags)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so || so->closing)
		return -EBADF;
	if ((flags & GT_MSG_ZEROCOPY) && s->cfg.zerocopy_linux)
		return send_zerocopy(s, so, buf, len, flags & ~GT_MSG_ZEROCOPY);
	if (flags & ~SEND_FLAGS)
		return -EOPNOTSUPP;
	return send_marked(s, so, buf, len, flags);
}

static ssize_t send_flags(gt_stack *s, struct gt_sock *so, const void *buf, size_t len, int flags)
{
	struct tcp_conn *c = so->conn;
	if (!c) {
		if (so->so_error && !s->cfg.send_epipe_keeps_error)
			return take_error(so);
		return so->ever_connected || so->so_error ? -EPIPE : unconnected_send_err(s);
	}
	if (so->shut_wr)
		return shut_wr_send_err(s, c);
	/* tcp_sendmsg_locked(): a write after a deferred connect
	 * (DEFER_CONNECT) is tcp_sendmsg_fastopen()'s. */
	if (tcp_user_tfo_deferred(c))
		return tcp_user_fastopen_send(s, c, buf, len, so->o.tfo_no_cookie);
	ssize_t rv = tcp_user_send(s, c, buf, len, flags & GT_MSG_MORE, flags & GT_MSG_EOR,
				   so->o.snd_lowat, notsent_mark(s, so));
	/* tcp_sendmsg_locked()'s wait_for_space: SOCK_NOSPACE, then
	 * tcp_push(), whose new data may already be write space
	 * (tcp_event_new_data_sent() -> tcp_check_space()). */
	if (len && (rv == -EAGAIN || (rv >= 0 && (size_t)rv < len))) {
		so->nospace = true;
		sock_write_space(s, so->conn ? (int)(so - s->socks) : -1);
	}
	return rv;
}

/* ---- The error queue (Linux's sk_error_queue) and what feeds it:
 * MSG_ZEROCOPY's notifications (net/core/skbuff.c: msg_zerocopy_realloc(),
 * __msg_zerocopy_callback(), skb_zerocopy_notify_extend()) and
 * SO_TIMESTAMPING's transmit timestamps (tcp_tx_timestamp(),
 * __skb_tstamp_tx(), tcp_ack_tstamp()). TCP tells the socket nothing of
 * either: what happened is read from the connection's byte counts at
 * the socket's next look (eq_collect()): after each send, after each
 * ACK's output (sock_write_space()), at poll and at the read, and when
 * the connection ends. ---- */

/* A send awaiting its notification (a run of joined sends: ids lo..hi),
 * done once the connection's acknowledged bytes reach end. */
struct zc_send {
	uint32_t lo, hi, bytes;
	uint64_t end;
};
/* A write whose last byte (offset last of the connection's data; Linux's
 * skb tskey, its sequence number) is to be timestamped: want, the
 * SCM_TSTAMP_* still due (1 << x). */
struct ts_mark {
	uint64_t last;
	uint8_t want;
};
/* One entry: a notification (ZEROCOPY, ids lo..hi) or a timestamp
 * (TIMESTAMPING, info SCM_TSTAMP_*, the marked byte's offset in lo, at
 * t_us). */
struct eq_entry {
	uint8_t origin, info;
	uint32_t lo, hi;
	uint64_t t_us;
};
#define EQ_MAX 32    /* entries queued; a timestamp past them is dropped */
#define TS_MARKS 32  /* writes awaiting a timestamp; a later one is not marked */
struct sock_eq {
	uint32_t tsflags;   /* SO_TIMESTAMPING (sk_tsflags) */
	uint32_t tskey;     /* OPT_ID's base (sk_tskey), as a data offset */
	uint32_t qhead, qn;
	struct eq_entry q[EQ_MAX];
	uint32_t mhead, mn;
	struct ts_mark mark[TS_MARKS];
	uint32_t next_id;   /* sk_zckey */
	uint32_t head, n;   /* the sends awaiting: a ring of cfg.zerocopy_pending_max */
	struct zc_send pend[];
};
#define ZC_JOIN_BYTES (1u << 19) /* msg_zerocopy_realloc(): byte_limit */
#define ZC_JOIN_IDS 65534u       /* ... uarg_zc->len below USHRT_MAX - 1 */
/* Linux's SOF_TIMESTAMPING_* (include/uapi/linux/net_tstamp.h). */
#define SOF_TX_SOFTWARE (1u << 1)
#define SOF_SOFTWARE (1u << 4)
#define SOF_OPT_ID (1u << 7)
#define SOF_TX_SCHED (1u << 8)
#define SOF_TX_ACK (1u << 9)
#define SOF_OPT_TSONLY (1u << 11)
#define SOF_OPT_ID_TCP (1u << 16)
#define SOF_MASK ((1u << 18) - 1) /* SOF_TIMESTAMPING_LAST: OPT_RX_FILTER */

static struct sock_eq *eq_get(gt_stack *s, struct gt_sock *so)
{
	if (!so->eq)
		so->eq = calloc(1, sizeof(*so->eq) + s->cfg.zerocopy_pending_max * sizeof(so->eq->pend[0]));
	return so->eq;
}

static void eq_inherit(gt_stack *s, struct gt_sock *so, const struct gt_sock *l)
{
	if (l->eq && l->eq->tsflags && eq_get(s, so)) {
		so->eq->tsflags = l->eq->tsflags;
		so->eq->tskey = l->eq->tskey;
	}
}

static struct eq_entry *eq_tail(struct sock_eq *q)
{
	return q->qn ? &q->q[(q->qhead + q->qn - 1) % EQ_MAX] : NULL;
}

static bool eq_push(gt_stack *s, struct sock_eq *q, struct eq_entry e)
{
	if (q->qn == EQ_MAX) {
		s->st.TcpErrqueueDrops++;
		return false;
	}
	q->q[(q->qhead + q->qn) % EQ_MAX] = e;
	q->qn++;
	return true;
}

/* Sends done, oldest first: all their bytes acknowledged, or the
 * connection gone (tcp_write_queue_purge() frees the skbs). Each extends
 * the tail entry where that is a notification whose ids it follows
 * (skb_zerocopy_notify_extend()); else it is queued, or waits while the
 * queue is full. */
static void zc_collect(gt_stack *s, struct gt_sock *so, struct sock_eq *q, uint64_t acked)
{
	uint32_t cap = s->cfg.zerocopy_pending_max;
	while (q->n && q->pend[q->head].end <= acked) {
		const struct zc_send *p = &q->pend[q->head];
		struct eq_entry *t = eq_tail(q);
		if (t && t->origin == GT_SO_EE_ORIGIN_ZEROCOPY && t->hi + 1 == p->lo &&
		    t->hi - t->lo < UINT32_MAX - (p->hi - p->lo + 1))
			t->hi = p->hi;
		else if (q->qn == EQ_MAX)
			break;
		else
			eq_push(s, q, (struct eq_entry){.origin = GT_SO_EE_ORIGIN_ZEROCOPY, .lo = p->lo, .hi = p->hi});
		q->head = (q->head + 1) % cap;
		q->n--;
	}
	(void)so;
}

/* Timestamps due, oldest mark first: SCM_TSTAMP_ACK once the marked byte
 * is acknowledged (tcp_ack_tstamp() from tcp_clean_rtx_queue()), then
 * SCM_TSTAMP_SCHED and SCM_TSTAMP_SND once it was first sent (the
 * qdisc's and the driver's, the same instant here), each stamped now. A
 * connection gone frees its marks unstamped. */
static void ts_collect(gt_stack *s, struct sock_eq *q, struct tcp_conn *c)
{
	uint64_t acked = c ? tcp_user_bytes_acked(c) : 0;
	uint64_t sent = c ? tcp_user_bytes_written(c) - tcp_user_bytes_unsent(c) : 0;
	for (uint32_t i = 0; c && i < q->mn; i++) {
		struct ts_mark *m = &q->mark[(q->mhead + i) % TS_MARKS];
		if ((m->want & (1u << 2)) && acked > m->last) {
			eq_push(s, q, (struct eq_entry){.origin = 4, .info = 2, .lo = (uint32_t)m->last,
							.t_us = s->now_us});
			m->want &= (uint8_t)~(1u << 2);
		}
	}
	for (uint32_t i = 0; c && i < q->mn; i++) {
		struct ts_mark *m = &q->mark[(q->mhead + i) % TS_MARKS];
		if (!(m->want & 3u) || sent <= m->last)
			continue;
		for (uint8_t info = 1;; info = 0) { /* SCHED before SND */
			if (m->want & (1u << info))
				eq_push(s, q, (struct eq_entry){.origin = 4, .info = info,
								.lo = (uint32_t)m->last, .t_us = s->now_us});
			if (!info)
				break;
		}
		m->want &= (uint8_t)~3u;
	}
	while (q->mn && (!c || !q->mark[q->mhead].want)) {
		q->mhead = (q->mhead + 1) % TS_MARKS;
		q->mn--;
	}
}

static void eq_collect(gt_stack *s, struct gt_sock *so)
{
	struct sock_eq *q = so->eq;
	if (!q)
		return;
	ts_collect(s, q, so->conn);
	zc_collect(s, so, q, so->conn ? tcp_user_bytes_acked(so->conn) : UINT64_MAX);
}

/* tcp_tx_timestamp() at the end of a write that took n > 0 bytes: its
 * last byte is marked with the socket's TX flags, ee_data the byte's
 * offset from sk_tskey. */
static void ts_mark_write(gt_stack *s, struct gt_sock *so)
{
	struct sock_eq *q = so->eq;
	uint8_t want = (uint8_t)((q && (q->tsflags & SOF_TX_SOFTWARE) ? 1u : 0) |
				 (q && (q->tsflags & SOF_TX_SCHED) ? 2u : 0) |
				 (q && (q->tsflags & SOF_TX_ACK) ? 4u : 0));
	if (!want || !so->conn)
		return;
	if (q->mn == TS_MARKS) {
		s->st.TcpErrqueueDrops++;
		return;
	}
	uint64_t last = tcp_user_bytes_written(so->conn) - 1;
	q->mark[(q->mhead + q->mn) % TS_MARKS] = (struct ts_mark){last, want};
	q->mn++;
}

/* SO_TIMESTAMPING, as sock_set_timestamping(): flags past
 * SOF_TIMESTAMPING_LAST, or OPT_ID_TCP without OPT_ID, -EINVAL; OPT_ID
 * newly set on a TCP socket needs a connection (-EINVAL in CLOSE or
 * LISTEN) and counts from SND.UNA (OPT_ID_TCP: from what is written). */
static int set_timestamping(gt_stack *s, struct gt_sock *so, int v)
{
	uint32_t val = (uint32_t)v;
	if (v < 0 || (val & ~SOF_MASK) || ((val & SOF_OPT_ID_TCP) && !(val & SOF_OPT_ID)))
		return -EINVAL;
	struct sock_eq *q = eq_get(s, so);
	if (!q)
		return -ENOBUFS;
	if ((val & SOF_OPT_ID) && !(q->tsflags & SOF_OPT_ID)) {
		if (!so->conn || so->listening)
			return -EINVAL;
		uint64_t base = (val & SOF_OPT_ID_TCP) ? tcp_user_bytes_written(so->conn)
						       : tcp_user_bytes_acked(so->conn);
		q->tskey = (uint32_t)base;
	}
	q->tsflags = val;
	return 0;
}

/* A write, then its timestamp mark and what its output made due. */
static ssize_t send_marked(gt_stack *s, struct gt_sock *so, const void *buf, size_t len, int flags)
{
	ssize_t rv = note_pending(so, flags, len, send_flags(s, so, buf, len, flags));
	if (rv > 0 && so->eq) {
		ts_mark_write(s, so);
		eq_collect(s, so);
	}
	return rv;
}

/* tcp_sendmsg_locked(): "(flags & MSG_ZEROCOPY) && size" on a socket
 * with SOCK_ZEROCOPY takes a notification id before it waits for the
 * connection, -ENOBUFS where none can be had; a send that took no bytes
 * gives it back (net_zcopy_put_abort()). */
static ssize_t send_zerocopy(gt_stack *s, struct gt_sock *so, const void *buf, size_t len,
			     int flags)
{
	if (flags & ~SEND_FLAGS)
		return -EOPNOTSUPP;
	if (!so->zerocopy || !len)
		return send_marked(s, so, buf, len, flags);
	eq_collect(s, so);
	struct sock_eq *z = eq_get(s, so);
	if (!z)
		return -ENOBUFS;
	uint32_t cap = s->cfg.zerocopy_pending_max;
	struct tcp_conn *c = so->conn;
	uint64_t before = c ? tcp_user_bytes_written(c) : 0;
	/* msg_zerocopy_realloc(): the write queue's tail skb is the last
	 * send's, not yet sent, nothing written since: its uarg grows. */
	struct zc_send *last = z->n ? &z->pend[(z->head + z->n - 1) % cap] : NULL;
	bool join = last && c && last->end == before && tcp_user_bytes_unsent(c) > 0 &&
		    last->hi + 1 == z->next_id && last->hi - last->lo < ZC_JOIN_IDS &&
		    (uint64_t)last->bytes + len <= ZC_JOIN_BYTES;
	if (!join && z->n >= cap) {
		s->st.TcpZerocopyNoBufs++;
		return -ENOBUFS;
	}
	ssize_t rv = send_marked(s, so, buf, len, flags);
	if (rv <= 0 || !so->conn)
		return rv;
	uint64_t end = tcp_user_bytes_written(so->conn);
	if (join) {
		last->hi = z->next_id++;
		last->bytes += (uint32_t)rv;
		last->end = end;
	} else {
		z->pend[(z->head + z->n) % cap] = (struct zc_send){z->next_id, z->next_id, (uint32_t)rv, end};
		z->n++;
		z->next_id++;
	}
	return rv;
}

int gt_recv_errqueue(gt_stack *s, int sd, struct gt_errqueue_entry *out)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (!out)
		return -EFAULT;
	eq_collect(s, so);
	struct sock_eq *q = so->eq;
	/* sock_recv_errqueue(): -EAGAIN with nothing queued, never a wait. */
	if (!q || !q->qn)
		return -EAGAIN;
	struct eq_entry e = q->q[q->qhead];
	q->qhead = (q->qhead + 1) % EQ_MAX;
	q->qn--;
	*out = (struct gt_errqueue_entry){0};
	out->ee.ee_origin = e.origin;
	out->ee.ee_info = e.lo;
	out->ee.ee_data = e.hi;
	if (e.origin == GT_SO_EE_ORIGIN_ZEROCOPY) {
		out->ee.ee_code = GT_SO_EE_CODE_ZEROCOPY_COPIED;
	} else {
		/* __skb_complete_tx_timestamp(): ENOMSG, the kind in
		 * ee_info; ee_data the key less sk_tskey under OPT_ID, else
		 * 0 (both as the socket has them now); the packet comes with
		 * it unless OPT_TSONLY. __sock_recv_timestamp(): the software
		 * stamp only under SOF_TIMESTAMPING_SOFTWARE. */
		out->ee.ee_errno = ENOMSG;
		out->ee.ee_info = e.info;
		out->ee.ee_data = (q->tsflags & SOF_OPT_ID) ? e.lo - q->tskey : 0;
		out->ts_valid = (q->tsflags & SOF_SOFTWARE) != 0;
		out->ts_us = e.t_us;
		out->has_payload = !(q->tsflags & SOF_OPT_TSONLY);
	}
	eq_collect(s, so);
	return 0;
}

ssize_t gt_recv(gt_stack *s, int sd, void *buf, size_t len, int flags)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (flags & ~GT_MSG_PEEK)
		return -EOPNOTSUPP;
	if (so->listening)
		return -ENOTCONN;
	struct tcp_conn *c = so->conn;
	if (!c && so->rcv_left.len && !so->shut_rd) {
		uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		if (!buf)
			return len ? -EFAULT : 0;
		if (flags & GT_MSG_PEEK)
			return ring_peek(&so->rcv_left, 0, buf, want);
		uint32_t n = ring_read(&so->rcv_left, buf, want);
		if (!so->rcv_left.len)
			ring_free(&so->rcv_left);
		return n;
	}
	if (!c) {
		if (so->so_error && !so->eof_first)
			return take_error(so);
		return so->ever_connected ? 0 : -ENOTCONN;
	}
	ssize_t n = tcp_user_recv(s, c, buf, len, flags & GT_MSG_PEEK);
	/* What was queued before SHUT_RD is still read, as Linux; after
	 * it, reads end. */
	if (so->shut_rd && n == -EAGAIN)
		return 0;
	return n;
}

ssize_t gt_recvmsg(gt_stack *s, int sd, void *buf, size_t len, int flags, int *inq)
{
	ssize_t n = gt_recv(s, sd, buf, len, flags);
	*inq = -1;
	struct gt_sock *so = sock_get(s, sd);
	if (n < 0 || !so || !so->o.recv_inq)
		return n;
	/* tcp_recvmsg(): "if (cmsg_flags & TCP_CMSG_INQ) { inq =
	 * tcp_inq_hint(sk); put_cmsg(...) }" once the read returned 0 or
	 * more. With the connection gone the stream has ended (SOCK_DONE):
	 * what is left to read, or 1. */
	if (so->conn)
		*inq = tcp_user_inq_hint(so->conn);
	else
		*inq = so->rcv_left.len ? (int)so->rcv_left.len : 1;
	return n;
}

/* The connection whose buffers gt_*_spans() and their commits reach, or
 * what gt_send() / gt_recv() would return instead (*err). */
static struct tcp_conn *span_conn(gt_stack *s, int sd, bool send, ssize_t *err)
{
	struct gt_sock *so = sock_get(s, sd);
	*err = -EBADF;
	if (!so || (send && so->closing))
		return NULL;
	*err = send ? unconnected_send_err(s) : -ENOTCONN;
	if (so->listening)
		return NULL;
	struct tcp_conn *c = so->conn;
	if (!c) {
		if (send && so->so_error && s->cfg.send_epipe_keeps_error)
			*err = -EPIPE; /* the error stays for recv() (sosend_generic()) */
		else if (so->so_error && (send || !so->eof_first))
			*err = take_error(so);
		else if (so->ever_connected)
			*err = send ? -EPIPE : 0;
		return NULL;
	}
	if (send && so->shut_wr) {
		*err = shut_wr_send_err(s, c);
		return NULL;
	}
	return c;
}

ssize_t gt_recv_spans(gt_stack *s, int sd, struct gt_span sp[2])
{
	sp[0] = sp[1] = (struct gt_span){ NULL, 0 };
	struct gt_sock *so = sock_get(s, sd);
	if (so && !so->conn && so->rcv_left.len && !so->shut_rd) {
		/* The connection is gone; what it left is still read. */
		const uint8_t *p[2] = { NULL, NULL };
		uint32_t len[2] = { 0, 0 };
		ring_spans(&so->rcv_left, 0, so->rcv_left.len, p, len);
		sp[0] = (struct gt_span){ (void *)p[0], len[0] };
		sp[1] = (struct gt_span){ (void *)p[1], len[1] };
		return so->rcv_left.len;
	}
	ssize_t err;
	struct tcp_conn *c = span_conn(s, sd, false, &err);
	if (!c)
		return err;
	ssize_t n = tcp_user_recv_spans(c, sp);
	if (so->shut_rd && n == -EAGAIN)
		return 0;
	return n;
}

ssize_t gt_recv_consume(gt_stack *s, int sd, size_t n)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	uint32_t want = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	if (!so->conn) {
		uint32_t m = ring_discard(&so->rcv_left, want);
		if (!so->rcv_left.len)
			ring_free(&so->rcv_left);
		return m;
	}
	return tcp_user_recv_consume(s, so->conn, want);
}

ssize_t gt_send_spans(gt_stack *s, int sd, struct gt_span sp[2])
{
	sp[0] = sp[1] = (struct gt_span){ NULL, 0 };
	ssize_t err;
	struct tcp_conn *c = span_conn(s, sd, true, &err);
	return c ? tcp_user_send_spans(s, c, sp) : err;
}

ssize_t gt_send_commit(gt_stack *s, int sd, size_t n, int flags)
{
	if (flags & ~(GT_MSG_MORE | GT_MSG_EOR))
		return -EOPNOTSUPP;
	ssize_t err;
	struct tcp_conn *c = span_conn(s, sd, true, &err);
	if (!c)
		return err;
	return tcp_user_send_commit(s, c, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n,
				    flags & GT_MSG_MORE, flags & GT_MSG_EOR);
}

int gt_shutdown(gt_stack *s, int sd, int how)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (how != GT_SHUT_RD && how != GT_SHUT_WR && how != GT_SHUT_RDWR)
		return -EINVAL;
	struct tcp_conn *c = so->conn;
	if (!c)
		return -ENOTCONN;
	bool rd = how != GT_SHUT_WR, wr = how != GT_SHUT_RD, gone;
	int r = tcp_user_shutdown(s, c, rd, wr, &gone);
	if (r < 0)
		return r;
	if (gone) {
		/* Linux's inet_shutdown() in SYN_SENT: tcp_disconnect(),
		 * the how never recorded ("sk->sk_shutdown = 0") and the
		 * socket SS_UNCONNECTED (tests/pkt/linux/
		 * shutdown-syn-sent-disconnect-clears-shutdown-then-reconnect.pkt). */
		so = &s->socks[sd];
		so->conn = NULL;
		eq_collect(s, so);
		unconnected_lx(s, sd, so);
		return 0;
	}
	so->shut_rd |= rd;
	so->shut_wr |= wr;
	so->wk.all++; /* inet_shutdown(): sk_state_change() */
	if (rd)
		sock_mark(s, sd);
	if (gone)
		so->conn = NULL;
	tcp_reap(s);
	return 0;
}

void sock_fini(gt_stack *s)
{
	/* A socket whose connection ended with data still unread owns that
	 * data's ring (sock_conn_gone()); a listener's union holds its
	 * handle instead. */
	for (uint32_t i = 0; i < s->socks_cap; i++) {
		if (s->socks[i].in_use && !s->socks[i].listening)
			ring_free(&s->socks[i].rcv_left);
		if (s->socks[i].in_use)
			free(s->socks[i].eq);
	}
}

static int release(gt_stack *s, int sd)
{
	ring_free(&s->socks[sd].rcv_left);
	sock_release(s, sd);
	tcp_reap(s);
	return 0;
}

int gt_close(gt_stack *s, int sd)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (so->closing) {
		/* A lingering close() again: done once our FIN is acknowledged,
		 * or once the linger timer has reset the connection. */
		if (so->conn && tcp_user_close_done(s, so->conn) < 0)
			return -EWOULDBLOCK;
		so->conn = NULL;
		return release(s, sd);
	}
	if (so->listening) {
		tcp_user_unlisten(s, so->lh);
		memset(&so->rcv_left, 0, sizeof(so->rcv_left)); /* the handle's memory */
		so->listening = false;
	}
	struct tcp_conn *c = so->conn;
	if (c) {
		/* Linux: the key goes on with the sock, which outlives the
		 * descriptor; here the connection keeps its own copy. */
		tcp_user_md5_lx_detach(s, c);
		/* LINGER_FOREVER: Linux's sk_stream_wait_close() with
		 * MAX_SCHEDULE_TIMEOUT waits for the FIN's ACK without end;
		 * here INT_MAX s (68 years). */
		int ls = so->linger_s >= 0 ? so->linger_s : INT_MAX;
		int r = tcp_user_close(s, c, so->linger_on ? ls : -1);
		if (r == -EWOULDBLOCK && so->conn) {
			so->closing = true;
			return r;
		}
		so->conn = NULL;
	}
	return release(s, sd);
}

/* TCP_MAXSEG before the handshake has set the MSS (a fresh socket, a
 * listener, SYN_SENT): the value set, else Linux's mss_cache
 * (TCP_MSS_DEFAULT, 536) or FreeBSD's t_maxseg from tcp_newtcpcb(),
 * V_tcp_mssdflt (IPv6: V_tcp_v6mssdflt, 1220), which tcp_connect()
 * leaves as it is. */
static uint32_t maxseg_unset(const gt_stack *s, const struct gt_sock *so)
{
	if (so->o.maxseg)
		return so->o.maxseg;
	return s->cfg.maxseg_bsd && is_v6(so) ? 1220u : s->cfg.mss_default;
}

static int opt_int(const void *val, size_t len, int *out)
{
	if (!val || len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

/* The size SO_SNDBUF/SO_RCVBUF v sets, or a negative errno. FreeBSD
 * (buf_round_to_mss): sosetopt() refuses a value under 1 (EINVAL),
 * sbsetopt() -> sbreserve_locked() one above sb_max_adj (ENOBUFS, the
 * buffer unchanged) and takes any other as it is, no floor: sb_hiwat, what
 * getsockopt() reads back, is the value asked for (FreeBSD 14,
 * sobomax/freebsd14_vendor 0f7ff34; tests/pkt/freebsd/sockbuf-sizes.pkt).
 * tcp_mss() may still round it up to the MSS at the handshake. */
static int64_t buf_size(gt_stack *s, int v, bool snd)
{
	if (s->cfg.buf_round_to_mss && !s->cfg.sockopt_buf_double) {
		if (v < 1)
			return -EINVAL;
		if ((uint32_t)v > tcp_user_sb_max_adj(s))
			return -ENOBUFS;
		return tcp_user_buffer_clamp(s, (uint32_t)v);
	}
	uint64_t b = v < 0 ? 0 : (uint64_t)v;
	uint32_t min = SOCKBUF_MIN;
	if (s->cfg.sockopt_buf_double) {
		b *= 2; /* Linux keeps room for its bookkeeping: it doubles */
		min = snd ? SOCKBUF_MIN_SND_LINUX : SOCKBUF_MIN_RCV_LINUX;
	}
	if (b < min)
		b = min;
	if (b > s->cfg.buf_max_bytes)
		b = s->cfg.buf_max_bytes;
	return tcp_user_buffer_clamp(s, (uint32_t)b);
}

static int set_buffer(gt_stack *s, struct gt_sock *so, bool snd, uint32_t bytes)
{
	if (so->conn) {
		int r = tcp_user_set_buffer(s, so->conn, snd, bytes);
		if (r < 0)
			return r;
	}
	if (snd) {
		so->o.sndbuf_bytes = bytes;
		so->o.sndbuf_set = true;
	} else {
		so->o.rcvbuf_bytes = bytes;
		so->o.rcvbuf_set = true;
	}
	return 0;
}

/* The socket's options changed: its connection, or its listener (for the
 * connections it will accept), learns them. */
static int apply(gt_stack *s, struct gt_sock *so, enum tcp_user_opt opt, int v)
{
	if (so->listening)
		tcp_user_listen_update(s, so->lh, &so->o, so->backlog);
	return so->conn ? tcp_user_set(s, so->conn, opt, &so->o, v) : 0;
}

/* The buffer a mark is cut to, as getsockopt(SO_SNDBUF / SO_RCVBUF)
 * reads it: FreeBSD's sb_hiwat, Linux's sk_rcvbuf. */
static uint32_t buffer_now(const struct gt_sock *so, bool snd)
{
	return so->conn ? tcp_user_buffer(so->conn, snd) : snd ? so->o.sndbuf_bytes : so->o.rcvbuf_bytes;
}

/* FreeBSD's sbsetopt() and sbreserve_locked(): a mark never above the
 * buffer (the listener's copy too, apply()). */
static int lowat_fit(gt_stack *s, struct gt_sock *so, int v)
{
	uint32_t snd = buffer_now(so, true), rcv = buffer_now(so, false);
	if (so->o.snd_lowat > snd)
		so->o.snd_lowat = snd;
	if (so->o.rcv_lowat > rcv)
		so->o.rcv_lowat = rcv ? rcv : 1;
	return apply(s, so, TCP_UOPT_NONE, v);
}

/* SO_SNDLOWAT, SO_RCVLOWAT. FreeBSD (cfg.sb_lowat): sosetopt() refuses
 * a value under 1 (EINVAL), sbsetopt() cuts one above sb_hiwat to it.
 * Linux: sk_setsockopt() has no SO_SNDLOWAT (ENOPROTOOPT); SO_RCVLOWAT
 * takes a negative value as INT_MAX, and tcp_set_rcvlowat() cuts it to
 * half of sk_rcvbuf if the application set SO_RCVBUF (SOCK_RCVBUF_LOCK),
 * else to half of tcp_rmem[2], 0 being 1. */
static int set_lowat(gt_stack *s, struct gt_sock *so, bool snd, int v)
{
	if (s->cfg.sb_lowat) {
		if (v < 1)
			return -EINVAL;
		uint32_t hiwat = buffer_now(so, snd), lw = (uint32_t)v < hiwat ? (uint32_t)v : hiwat;
		if (snd)
			so->o.snd_lowat = lw;
		else
			so->o.rcv_lowat = lw ? lw : 1;
		return lowat_fit(s, so, v);
	}
	if (snd)
		return -ENOPROTOOPT;
	uint32_t val = v < 0 ? (uint32_t)INT32_MAX : (uint32_t)v;
	uint32_t cap = (so->o.rcvbuf_set ? buffer_now(so, false) : s->cfg.rcvbuf_max_bytes) >> 1;
	val = val < cap ? val : cap;
	so->o.rcv_lowat = val ? val : 1;
	if (so->conn) {
		tcp_user_set(s, so->conn, TCP_UOPT_RCVLOWAT, &so->o, 0);
		so->o.rcvbuf_bytes = tcp_user_buffer(so->conn, false);
	} else if (!so->o.rcvbuf_set) {
		/* tcp_set_rcvlowat(): sk_rcvbuf raised to the mark's window at
		 * the default scaling ratio (tcp_space_from_win(), twice it). */
		uint32_t want = tcp_user_buffer_clamp(s, (uint32_t)((uint64_t)so->o.rcv_lowat * 2 > UINT32_MAX
						? UINT32_MAX : (uint64_t)so->o.rcv_lowat * 2));
		if (want > so->o.rcvbuf_bytes)
			so->o.rcvbuf_bytes = want;
	}
	return apply(s, so, TCP_UOPT_NONE, v);
}

static int setsockopt_socket(gt_stack *s, struct gt_sock *so, int name, const void *val,
			     size_t len)
{
	int v;
	switch (name) {
	case GT_SO_LINGER: {
		struct gt_linger l;
		if (!val || len < sizeof(l))
			return -EINVAL;
		memcpy(&l, val, sizeof(l));
		/* FreeBSD's sosetopt(): "l.l_linger < 0 || l.l_linger >
		 * USHRT_MAX || l.l_linger > (INT_MAX / hz)": EDOM before
		 * anything is set (USHRT_MAX is the lower bound at hz 1000). */
		if (!s->cfg.linger_linux && (l.l_linger < 0 || l.l_linger > USHRT_MAX))
			return -EDOM;
		so->linger_on = l.l_onoff != 0;
		/* Linux's sk_setsockopt() sets sk_lingertime only with
		 * l_onoff set (cfg.linger_linux), a negative l_linger (an
		 * unsigned long past MAX_SCHEDULE_TIMEOUT / HZ) as
		 * MAX_SCHEDULE_TIMEOUT: LINGER_FOREVER. FreeBSD's sosetopt()
		 * stores l_linger either way. */
		if (so->linger_on || !s->cfg.linger_linux)
			so->linger_s = l.l_linger >= 0 ? l.l_linger : LINGER_FOREVER;
		return 0;
	}
	case GT_SO_REUSEADDR:
		if (opt_int(val, len, &v) < 0)
			return -EINVAL;
		so->reuseaddr = v != 0;
		return 0;
	case GT_SO_KEEPALIVE:
		if (opt_int(val, len, &v) < 0)
			return -EINVAL;
		so->o.keepalive = v != 0;
		return apply(s, so, TCP_UOPT_KEEPALIVE, v);
	case GT_SO_SNDBUF:
	case GT_SO_RCVBUF: {
		if (opt_int(val, len, &v) < 0)
			return -EINVAL;
		int64_t b = buf_size(s, v, name == GT_SO_SNDBUF);
		if (b < 0)
			return (int)b;
		int r = set_buffer(s, so, name == GT_SO_SNDBUF, (uint32_t)b);
		if (r < 0)
			return r;
		if (s->cfg.sb_lowat)
			return lowat_fit(s, so, v);
		return apply(s, so, TCP_UOPT_NONE, v); /* the listener's copy */
	}
	case GT_SO_SNDLOWAT:
	case GT_SO_RCVLOWAT:
		if (opt_int(val, len, &v) < 0)
			return -EINVAL;
		return set_lowat(s, so, name == GT_SO_SNDLOWAT, v);
	case GT_SO_TIMESTAMPING:
		if (!s->cfg.tx_timestamping_linux)
			return -ENOPROTOOPT;
		if (opt_int(val, len, &v) < 0)
			return -EINVAL;
		return set_timestamping(s, so, v);
	case GT_SO_ZEROCOPY:
		/* sk_setsockopt(): an int, 0 or 1. */
		if (!s->cfg.zerocopy_linux)
			return -ENOPROTOOPT;
		if (opt_int(val, len, &v) < 0 || v < 0 || v > 1)
			return -EINVAL;
		so->zerocopy = v != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int set_congestion(gt_stack *s, struct gt_sock *so, const void *val, size_t len)
{
	char name[16];
	if (!val || len == 0)
		return -EINVAL;
	size_t n = len < sizeof(name) - 1 ? len : sizeof(name) - 1;
	memcpy(name, val, n);
	name[n] = 0;
	name[strcspn(name, "\0")] = 0;
	int cc = tcp_user_cc_by_name(name);
	if (cc < 0)
		return cc;
	so->o.cc = (uint8_t)cc;
	so->o.cc_set = true;
	return apply(s, so, TCP_UOPT_CONGESTION, cc);
}

/* Linux's secs_to_retrans() and retrans_to_secs() (net/ipv4/tcp.c) for
 * TCP_DEFER_ACCEPT: seconds to the number of SYN-ACK timeouts whose
 * doubling periods, from 1 s and capped at 120 s (TCP_TIMEOUT_INIT,
 * TCP_RTO_MAX), first cover them, at most 255; and back. */
#define DEFER_RTO_INIT_S 1
#define DEFER_RTO_MAX_S 120
static uint8_t defer_secs_to_retrans(int secs)
{
	if (secs <= 0)
		return 0;
	int timeout = DEFER_RTO_INIT_S, period = timeout, n = 1;
	while (secs > period && n < 255) {
		n++;
		timeout = timeout * 2 > DEFER_RTO_MAX_S ? DEFER_RTO_MAX_S : timeout * 2;
		period += timeout;
	}
	return (uint8_t)n;
}

static int defer_retrans_to_secs(uint8_t n)
{
	if (!n)
		return 0;
	int timeout = DEFER_RTO_INIT_S, period = timeout;
	while (--n) {
		timeout = timeout * 2 > DEFER_RTO_MAX_S ? DEFER_RTO_MAX_S : timeout * 2;
		period += timeout;
	}
	return period;
}

/* Linux's do_tcp_setsockopt(), TCP Fast Open (cfg.fastopen_linux):
 * TCP_FASTOPEN on a socket not connected or listening, fastopen_queue_tune()
 * capping it at somaxconn (4096); TCP_FASTOPEN_NO_COOKIE 0 or 1, a
 * listener's taken too (Linux 6.18: tests/pkt/linux/fastopen-no-cookie-sockopt.pkt). */
static int set_fastopen(gt_stack *s, struct gt_sock *so, int name, int v)
{
	if (s->cfg.fastopen_bsd && name == GT_TCP_FASTOPEN) {
		/* FreeBSD's tcp_default_ctloutput(), TCP_FASTOPEN: EPERM
		 * unless the client's or server's side is enabled, EINVAL
		 * past CLOSED and LISTEN, EPERM to a listener without
		 * server_enable; else TF_FASTOPEN on or off. A listener's
		 * t_tfo_pending counter is its tfo_len (tcp_usr_listen()
		 * allocates one too where TF_FASTOPEN was set before). */
		if (!s->cfg.fastopen_bsd_client && !s->cfg.fastopen_bsd_server)
			return -EPERM;
		if (so->conn)
			return -EINVAL;
		if (v && so->listening && !s->cfg.fastopen_bsd_server)
			return -EPERM;
		so->o.tfo_bsd = v != 0;
		if (so->listening)
			tcp_user_listen_update(s, so->lh, &so->o, so->backlog);
		return 0;
	}
	if (!s->cfg.fastopen_linux)
		return -ENOPROTOOPT;
	bool closed = !so->conn && !so->listening;
	if (name == GT_TCP_FASTOPEN) {
		if (v < 0 || !(closed || so->listening))
			return -EINVAL;
		so->o.tfo_qlen = v > 4096 ? 4096 : (uint32_t)v;
	} else {
		if (v < 0 || v > 1 || !(closed || so->listening))
			return -EINVAL;
		so->o.tfo_no_cookie = v != 0;
	}
	if (so->listening)
		tcp_user_listen_update(s, so->lh, &so->o, so->backlog);
	return 0;
}

/* TCP_FASTOPEN_KEY: 16 bytes, or 32 with a backup key (kept only as the
 * length Linux takes), the cipher key as given (tcp_fastopen_reset_cipher()). */
static int set_fastopen_key(gt_stack *s, struct gt_sock *so, const void *val, size_t len)
{
	if (!s->cfg.fastopen_linux)
		return -ENOPROTOOPT;
	if (len != 16 && len != 32)
		return -EINVAL;
	memcpy(so->o.tfo_key, val, 16);
	so->o.tfo_key_set = true;
	if (so->listening)
		tcp_user_listen_update(s, so->lh, &so->o, so->backlog);
	return 0;
}

static int setsockopt_tcp(gt_stack *s, struct gt_sock *so, int name, const void *val, size_t len)
{
	int v;
	if (name == GT_TCP_CONGESTION)
		return set_congestion(s, so, val, len);
	if (name == GT_TCP_MD5SIG_LINUX || name == GT_TCP_MD5SIG_EXT) {
		/* Linux's do_tcp_setsockopt(): md5_parse(), keys per peer. */
		if (s->cfg.md5sig_bsd)
			return -EOPNOTSUPP;
		return tcp_user_md5_lx_set(s, (int)(so - s->socks), is_v6(so) ? GT_AF_INET6 : GT_AF_INET,
					   name == GT_TCP_MD5SIG_EXT, val, len, so->conn);
	}
	if (name == GT_TCP_FASTOPEN_KEY)
		return set_fastopen_key(s, so, val, len);
	if (opt_int(val, len, &v) < 0)
		return -EINVAL;
	switch (name) {
	case GT_TCP_FASTOPEN:
	case GT_TCP_FASTOPEN_NO_COOKIE:
		return set_fastopen(s, so, name, v);
	case GT_TCP_FASTOPEN_CONNECT:
		/* do_tcp_setsockopt(): 0 or 1, with TFO_CLIENT_ENABLE (GT_TFO_CLIENT_ENABLE)
		 * (else EOPNOTSUPP), on a closed socket. */
		if (!s->cfg.fastopen_linux)
			return -ENOPROTOOPT;
		if (v < 0 || v > 1)
			return -EINVAL;
		if (!(s->cfg.fastopen & GT_TFO_CLIENT_ENABLE))
			return -EOPNOTSUPP;
		if (so->conn || so->listening)
			return -EINVAL;
		so->o.tfo_connect = v != 0;
		return 0;
	case GT_TCP_NODELAY:
		so->o.nodelay = v != 0;
		return apply(s, so, TCP_UOPT_NODELAY, v);
	case GT_TCP_CORK:
		so->o.cork = v != 0;
		return apply(s, so, TCP_UOPT_CORK, v);
	case GT_TCP_MAXSEG:
		if (s->cfg.maxseg_bsd) {
			/* FreeBSD 14's tcp_default_ctloutput(): EINVAL unless
			 * "optval > 0 && optval <= tp->t_maxseg && optval + 40
			 * >= V_tcp_minmss" (176 at the default 216; with
			 * minmss 0, 1 and up). t_maxseg is tcp_mssdflt (536)
			 * from tcp_newtcpcb() until the handshake sets it, or
			 * the last TCP_MAXSEG taken, which it becomes. */
			const struct tcp_conn *c = so->conn;
			uint32_t tmax = c && tcp_user_mss(c) ? tcp_user_maxseg(c) : maxseg_unset(s, so);
			if (v <= 0 || (uint32_t)v > tmax || (uint32_t)v + 40 < s->cfg.bsd_minmss)
				return -EINVAL;
		} else if (v < 88 || v > 65535) {
			return -EINVAL;
		}
		so->o.maxseg = (uint16_t)v;
		return apply(s, so, TCP_UOPT_NONE, v);
	case GT_TCP_KEEPIDLE:
	case GT_TCP_KEEPINTVL:
	case GT_TCP_KEEPCNT: {
		uint32_t ui = (uint32_t)v;
		if (s->cfg.keepinit_bsd) {
			/* FreeBSD's tcp_default_ctloutput(): a u_int, seconds
			 * for TCP_KEEPIDLE and TCP_KEEPINTVL (and TCP_KEEPINIT,
			 * below), "if (ui > (UINT_MAX / hz)) error = EINVAL",
			 * a negative int being a large u_int; TCP_KEEPCNT
			 * takes any u_int. 0 is stored: TP_KEEPIDLE() and the
			 * others read the sysctl then. */
			if (name != GT_TCP_KEEPCNT && ui > UINT32_MAX / BSD_HZ)
				return -EINVAL;
		} else if (v < 1 || v > (name == GT_TCP_KEEPCNT ? 127 : 32767)) {
			/* Linux's tcp_sock_set_keep*(): MAX_TCP_KEEPIDLE and
			 * MAX_TCP_KEEPINTVL 32767 s, MAX_TCP_KEEPCNT 127. */
			return -EINVAL;
		}
		if (name == GT_TCP_KEEPIDLE)
			so->o.keep_idle_s = ui;
		else if (name == GT_TCP_KEEPINTVL)
			so->o.keep_intvl_s = ui;
		else
			so->o.keep_cnt = ui;
		/* TCP is told which option was set, even to the value it had:
		 * a TCP_KEEPIDLE set again re-arms the timer in both. */
		return apply(s, so,
			     name == GT_TCP_KEEPIDLE    ? TCP_UOPT_KEEPIDLE
			     : name == GT_TCP_KEEPINTVL ? TCP_UOPT_KEEPINTVL
							: TCP_UOPT_KEEPCNT,
			     v);
	}
	case GT_TCP_LINGER2:
		/* Kept in 16 bits: larger values mean 32767 s (Linux caps at
		 * 120 s, TCP_FIN_TIMEOUT_MAX). */
		so->o.linger2_s = (int16_t)(v < 0 ? -1 : v > 32767 ? 32767 : v);
		return apply(s, so, TCP_UOPT_LINGER2, v);
	case GT_TCP_NOOPT:
		if (so->conn && tcp_user_options_fixed(so->conn))
			return -EINVAL; /* options are chosen at the SYN */
		so->o.noopt = v != 0;
		return apply(s, so, TCP_UOPT_NONE, v);
	case GT_TCP_MD5SIG:
		/* FreeBSD's tcp_ipsec_pcbctl(): an int, TF_SIGNATURE on when
		 * it is above 0; the keys are the stack's (the SADB). */
		if (!s->cfg.md5sig_bsd)
			return -EOPNOTSUPP;
		so->o.md5sig = v > 0;
		if (so->listening)
			tcp_user_listen_update(s, so->lh, &so->o, so->backlog);
		if (so->conn)
			tcp_user_set_md5sig(so->conn, v > 0);
		return 0;
	case GT_TCP_REMOTE_UDP_ENCAPS_PORT:
		/* tcp_default_ctloutput(): in range, a tunneling port first,
		 * and "You can't change after you are connected" (t_state
		 * CLOSED only: a listener is in LISTEN). */
		if (v < 0 || v > 65535 || (v && !s->cfg.udp_tun_port) || so->conn || so->listening)
			return -EINVAL;
		so->o.udp_encaps_port = (uint16_t)v;
		return 0;
	case GT_TCP_KEEPINIT:
		/* FreeBSD: seconds, up to UINT_MAX / hz (EINVAL above, a
		 * negative int among them), 0 the sysctl's, as TCP_KEEPIDLE.
		 * Linux has no option 128: do_tcp_setsockopt()'s default
		 * case. */
		if (!s->cfg.keepinit_bsd)
			return -ENOPROTOOPT;
		if ((uint32_t)v > UINT32_MAX / BSD_HZ)
			return -EINVAL;
		so->o.keep_init_s = (uint32_t)v;
		return apply(s, so, TCP_UOPT_KEEPINIT, v);
	case GT_TCP_USER_TIMEOUT:
		/* Linux's do_tcp_setsockopt() -> tcp_sock_set_user_timeout():
		 * milliseconds, "if (val < 0) return -EINVAL", 0 turns it off.
		 * FreeBSD has no such option (netinet/tcp.h):
		 * tcp_default_ctloutput()'s ENOPROTOOPT. */
		if (!s->cfg.user_timeout_linux)
			return -ENOPROTOOPT;
		if (v < 0)
			return -EINVAL;
		so->o.user_timeout_ms = (uint32_t)v;
		return apply(s, so, TCP_UOPT_USER_TIMEOUT, v);
	case GT_TCP_SYNCNT:
		/* Linux's tcp_sock_set_syncnt(): "if (val < 1 || val >
		 * MAX_TCP_SYNCNT) return -EINVAL" (127). FreeBSD has no such
		 * option: tcp_default_ctloutput()'s ENOPROTOOPT. */
		if (!s->cfg.syncnt_linux)
			return -ENOPROTOOPT;
		if (v < 1 || v > 127)
			return -EINVAL;
		so->o.syn_count = (uint8_t)v;
		return apply(s, so, TCP_UOPT_SYNCNT, v);
	case GT_TCP_QUICKACK:
		so->quickack = v != 0;
		return so->conn ? tcp_user_set(s, so->conn, TCP_UOPT_QUICKACK, &so->o, v) : 0;
	case GT_TCP_INQ:
		/* do_tcp_setsockopt(): "if (val > 1 || val < 0) err = -EINVAL;
		 * else tp->recvmsg_inq = val". FreeBSD has no TCP_INQ:
		 * tcp_default_ctloutput()'s ENOPROTOOPT. */
		if (!s->cfg.inq_linux)
			return -ENOPROTOOPT;
		if (v < 0 || v > 1)
			return -EINVAL;
		so->o.recv_inq = v != 0;
		return 0;
	case GT_TCP_NOTSENT_LOWAT:
		/* do_tcp_setsockopt(): "WRITE_ONCE(tp->notsent_lowat, val);
		 * sk->sk_write_space(sk)", any int taken as a u32; the
		 * write-space callback wakes a writable socket's watchers
		 * whether or not a write found no room. FreeBSD has none:
		 * tcp_default_ctloutput()'s ENOPROTOOPT. */
		if (!s->cfg.notsent_lowat_linux)
			return -ENOPROTOOPT;
		so->o.notsent_lowat = (uint32_t)v;
		if (so->conn && tcp_user_writable(s, so->conn, so->o.snd_lowat, notsent_mark(s, so))) {
			so->nospace = false;
			so->wk.out++;
		}
		return 0;
	case GT_TCP_DEFER_ACCEPT:
		/* do_tcp_setsockopt(): any socket takes it; a listener reads
		 * it as each handshake ACK or SYN-ACK timeout comes. */
		if (!s->cfg.defer_accept)
			return -ENOPROTOOPT;
		so->o.defer_accept = defer_secs_to_retrans(v);
		if (so->listening)
			tcp_user_listen_update(s, so->lh, &so->o, so->backlog);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* IP_MTU_DISCOVER and IPV6_MTU_DISCOVER (cfg.ip_mtu_discover_linux):
 * do_ip_setsockopt()'s and do_ipv6_setsockopt()'s IP_PMTUDISC_DONT..OMIT,
 * the same numbers in both. One mode per socket here, where Linux keeps
 * IPv4's and IPv6's apart (a dual-stack socket that sets the IPv6 one and
 * connects to a v4-mapped peer uses it). */
static int set_pmtudisc(gt_stack *s, struct gt_sock *so, int v)
{
	if (!s->cfg.ip_mtu_discover_linux)
		return -ENOPROTOOPT;
	if (v < GT_IP_PMTUDISC_DONT || v > GT_IP_PMTUDISC_OMIT)
		return -EINVAL;
	so->o.pmtudisc = (uint8_t)(v + 1);
	return apply(s, so, TCP_UOPT_IP, v);
}

/* IP_TOS and IP_TTL (RFC 791 3.1; RFC 3168 5: the ECN field of a TCP
 * segment is TCP's, so IP_TOS keeps only the DSCP bits, as Linux's
 * do_ip_setsockopt() does for a stream socket). IP_TTL -1 is the default. */
static int setsockopt_ip(gt_stack *s, struct gt_sock *so, int name, const void *val, size_t len)
{
	int v;
	/* Linux's do_ip_setsockopt(): an int when optlen >= 4, else one
	 * unsigned byte when optlen >= 1 (cfg.ip_mtu_discover_linux). */
	if (s->cfg.ip_mtu_discover_linux && val && len >= 1 && len < sizeof(int))
		v = *(const uint8_t *)val;
	else if (opt_int(val, len, &v) < 0)
		return -EINVAL;
	switch (name) {
	case GT_IP_MTU_DISCOVER:
		return set_pmtudisc(s, so, v);
	case GT_IP_TOS:
		so->o.ip_tos = (uint8_t)(v & ~3);
		return apply(s, so, TCP_UOPT_IP, v);
	case GT_IP_TTL:
		if (v != -1 && (v < 1 || v > 255))
			return -EINVAL;
		so->o.ip_ttl = (uint8_t)(v == -1 ? 0 : v);
		return apply(s, so, TCP_UOPT_IP, v);
	case GT_IP_BIND_ADDRESS_NO_PORT:
		if (!s->cfg.ip_local_port_range)
			return -ENOPROTOOPT;
		so->o.bind_no_port = v != 0;
		return 0;
	case GT_IP_LOCAL_PORT_RANGE: {
		/* Linux's do_ip_setsockopt(): exactly 4 bytes; lo above hi
		 * (both set) is -EINVAL; 0 at either end keeps the stack's. */
		uint32_t r = (uint32_t)v, lo = r & 0xffff, hi = r >> 16;
		if (!s->cfg.ip_local_port_range)
			return -ENOPROTOOPT;
		if (len != sizeof(uint32_t) || (lo && hi && lo > hi))
			return -EINVAL;
		so->o.port_range = r;
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
}

/* IPPROTO_IPV6 on an AF_INET6 socket (an AF_INET one has none: Linux's
 * ip_setsockopt() answers ENOPROTOOPT). RFC 3542 6.3 and 6.5 with the
 * checks of Linux's do_ipv6_setsockopt(): IPV6_UNICAST_HOPS -1..255,
 * IPV6_TCLASS -1..255 (-1: 0), a stream socket's ECN bits left to TCP. */
static int setsockopt_ipv6(gt_stack *s, struct gt_sock *so, int name, const void *val,
			   size_t len)
{
	if (!is_v6(so))
		return -ENOPROTOOPT;
	int v;
	if (opt_int(val, len, &v) < 0)
		return -EINVAL;
	switch (name) {
	case GT_IPV6_MTU_DISCOVER:
		return set_pmtudisc(s, so, v);
	case GT_IPV6_V6ONLY:
		/* RFC 3493 5.3; Linux refuses the change once bound (EINVAL). */
		if (so->bound || so->conn || so->listening)
			return -EINVAL;
		so->v6only = v != 0;
		return 0;
	case GT_IPV6_UNICAST_HOPS:
		if (v < -1 || v > 255)
			return -EINVAL;
		so->o.ip6_hops_set = v != -1;
		so->o.ip6_hops = (uint8_t)(v == -1 ? 0 : v);
		return apply(s, so, TCP_UOPT_IP, v);
	case GT_IPV6_TCLASS:
		if (v < -1 || v > 255)
			return -EINVAL;
		so->o.ip6_tclass = (uint8_t)(v == -1 ? 0 : v & ~3);
		return apply(s, so, TCP_UOPT_IP, v);
	case GT_IPV6_RECVTCLASS:
		/* Linux's do_ipv6_setsockopt(): rxopt.bits.rxtclass = valbool.
		 * Kept for getsockopt() only: TCP hands a socket no ancillary
		 * data (Linux: only through IPV6_PKTOPTIONS). */
		so->recv_tclass = v != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int gt_setsockopt(gt_stack *s, int sd, int level, int name, const void *val, size_t len)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (level == GT_SOL_SOCKET)
		return setsockopt_socket(s, so, name, val, len);
	/* FreeBSD's tcp_ctloutput() on a dropped inpcb (tcp_user_opt_gone()). */
	int gone = so->conn || so->listening ? 0 : tcp_user_opt_gone(s, &so->o.kept);
	if (gone < 0)
		return gone;
	if (level == GT_IPPROTO_TCP)
		return setsockopt_tcp(s, so, name, val, len);
	if (level == GT_IPPROTO_IP)
		return setsockopt_ip(s, so, name, val, len);
	if (level == GT_IPPROTO_IPV6)
		return setsockopt_ipv6(s, so, name, val, len);
	return -ENOPROTOOPT;
}

static int put(void *val, size_t *len, const void *src, size_t n)
{
	if (!val || !len)
		return -EFAULT;
	if (*len < n)
		n = *len;
	memcpy(val, src, n);
	*len = n;
	return 0;
}

static int getsockopt_socket(const gt_stack *s, struct gt_sock *so, int name, void *val,
			     size_t *len)
{
	int v;
	switch (name) {
	case GT_SO_ERROR:
		v = -take_error(so); /* positive, as POSIX getsockopt gives it */
		return put(val, len, &v, sizeof(v));
	/* FreeBSD's sogetopt() (cfg.sockopt_bits_bsd): "optval =
	 * so->so_options & sopt->sopt_name", the bit in FreeBSD's numbering
	 * (sys/socket.h: SO_REUSEADDR 0x4, SO_KEEPALIVE 0x8); Linux 0 or 1. */
	case GT_SO_REUSEADDR:
		v = so->reuseaddr ? (s->cfg.sockopt_bits_bsd ? 0x4 : 1) : 0;
		return put(val, len, &v, sizeof(v));
	case GT_SO_TIMESTAMPING:
		if (!s->cfg.tx_timestamping_linux)
			return -ENOPROTOOPT;
		v = so->eq ? (int)so->eq->tsflags : 0;
		return put(val, len, &v, sizeof(v));
	case GT_SO_ZEROCOPY:
		if (!s->cfg.zerocopy_linux)
			return -ENOPROTOOPT;
		v = so->zerocopy;
		return put(val, len, &v, sizeof(v));
	case GT_SO_KEEPALIVE:
		v = so->o.keepalive ? (s->cfg.sockopt_bits_bsd ? 0x8 : 1) : 0;
		return put(val, len, &v, sizeof(v));
	case GT_SO_SNDBUF:
	case GT_SO_RCVBUF: {
		bool snd = name == GT_SO_SNDBUF;
		/* A connection's buffers as TCP has them (FreeBSD rounds them
		 * to the MSS once it is known). */
		v = (int)(so->conn ? tcp_user_buffer(so->conn, snd)
				   : snd ? so->o.sndbuf_bytes : so->o.rcvbuf_bytes);
		return put(val, len, &v, sizeof(v));
	}
	case GT_SO_SNDLOWAT:
		/* Linux's sk_getsockopt(): 1, whatever was asked. */
		v = s->cfg.sb_lowat ? (int)so->o.snd_lowat : 1;
		return put(val, len, &v, sizeof(v));
	case GT_SO_RCVLOWAT:
		v = (int)so->o.rcv_lowat;
		return put(val, len, &v, sizeof(v));
	case GT_SO_LINGER: {
		/* FreeBSD's sogetopt(): "l.l_onoff = so->so_options &
		 * SO_LINGER", 0x80 (sys/socket.h), as the booleans above. */
		int on = so->linger_on ? (s->cfg.sockopt_bits_bsd ? 0x80 : 1) : 0;
		struct gt_linger l = {on, so->linger_s >= 0 ? so->linger_s : linger_forever_read(s)};
		return put(val, len, &l, sizeof(l));
	}
	default:
		return -ENOPROTOOPT;
	}
}

int gt_getsockopt(gt_stack *s, int sd, int level, int name, void *val, size_t *len)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	struct tcp_conn *c = so->conn;
	int v;
	if (level == GT_SOL_SOCKET)
		return getsockopt_socket(s, so, name, val, len);
	/* FreeBSD's tcp_ctloutput() on a dropped inpcb (tcp_user_opt_gone()). */
	if (!c && !so->listening && (v = tcp_user_opt_gone(s, &so->o.kept)) < 0)
		return v;
	if (level == GT_IPPROTO_IP && (name == GT_IP_TOS || name == GT_IP_TTL)) {
		v = name == GT_IP_TOS ? so->o.ip_tos : so->o.ip_ttl ? so->o.ip_ttl : GT_IP_DEFAULT_TTL;
		return put(val, len, &v, sizeof(v));
	}
	if (((level == GT_IPPROTO_IP && name == GT_IP_MTU_DISCOVER) ||
	     (level == GT_IPPROTO_IPV6 && name == GT_IPV6_MTU_DISCOVER && is_v6(so))) &&
	    s->cfg.ip_mtu_discover_linux) {
		v = so->o.pmtudisc ? so->o.pmtudisc - 1 : GT_IP_PMTUDISC_WANT;
		return put(val, len, &v, sizeof(v));
	}
	bool lx_ip = level == GT_IPPROTO_IP && s->cfg.ip_local_port_range;
	if (lx_ip && name == GT_IP_BIND_ADDRESS_NO_PORT) {
		v = so->o.bind_no_port;
		return put(val, len, &v, sizeof(v));
	}
	if (lx_ip && name == GT_IP_LOCAL_PORT_RANGE) {
		v = (int)so->o.port_range;
		return put(val, len, &v, sizeof(v));
	}
	/* Linux's ip_getsockopt() on an AF_INET socket: -EOPNOTSUPP for
	 * another level (ip_setsockopt(): -ENOPROTOOPT). */
	if (level == GT_IPPROTO_IPV6 && !is_v6(so))
		return -EOPNOTSUPP;
	if (level == GT_IPPROTO_IPV6) {
		switch (name) {
		case GT_IPV6_V6ONLY:
			v = so->v6only;
			break;
		case GT_IPV6_UNICAST_HOPS: /* -1 reads as the default in use */
			v = so->o.ip6_hops_set ? so->o.ip6_hops
			    : s->cfg.hop_limit ? s->cfg.hop_limit : 64;
			break;
		case GT_IPV6_TCLASS:
			v = so->o.ip6_tclass;
			break;
		case GT_IPV6_RECVTCLASS:
			v = so->recv_tclass;
			break;
		default:
			return -ENOPROTOOPT;
		}
		return put(val, len, &v, sizeof(v));
	}
	if (level != GT_IPPROTO_TCP)
		return -ENOPROTOOPT;
	switch (name) {
	case GT_TCP_NODELAY:
		v = so->o.nodelay;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_CORK:
		v = so->o.cork;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_QUICKACK:
		v = c ? tcp_user_quickack(s, c) : so->quickack;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_KEEPIDLE:
	case GT_TCP_KEEPINTVL:
	case GT_TCP_KEEPCNT: {
		/* What is in force: the option as set, else the stack's
		 * (FreeBSD's "ui = TP_KEEPIDLE(tp) / hz", a u_int, the sysctl's
		 * when 0 was set; Linux's keepalive_time_when() and the
		 * others). */
		uint32_t ui = name == GT_TCP_KEEPIDLE ? (so->o.keep_idle_s ? so->o.keep_idle_s : s->cfg.keepalive_idle_s)
			      : name == GT_TCP_KEEPINTVL
				      ? (so->o.keep_intvl_s ? so->o.keep_intvl_s : s->cfg.keepalive_intvl_s)
				      : (so->o.keep_cnt ? so->o.keep_cnt : s->cfg.keepalive_probes);
		return put(val, len, &ui, sizeof(ui));
	}
	case GT_TCP_LINGER2:
		v = so->o.linger2_s ? so->o.linger2_s : (int)(s->cfg.fin_wait2_timeout_ms / 1000);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_NOOPT:
		v = so->o.noopt;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_MD5SIG:
		if (!s->cfg.md5sig_bsd)
			return -EOPNOTSUPP;
		v = so->o.md5sig;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_REMOTE_UDP_ENCAPS_PORT:
		v = c ? tcp_user_udp_encaps_port(s, c) : so->o.udp_encaps_port;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_FASTOPEN:
		/* FreeBSD's tcp_default_ctloutput(): "optval = tp->t_flags &
		 * TF_FASTOPEN", TF_FASTOPEN being 0x80000000 (tcp_var.h). */
		if (!s->cfg.fastopen_bsd)
			return -ENOPROTOOPT;
		v = so->o.tfo_bsd ? INT32_MIN : 0;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_KEEPINIT:
		if (!s->cfg.keepinit_bsd)
			return -ENOPROTOOPT; /* do_tcp_getsockopt()'s default case */
		{
			uint32_t ui = so->o.keep_init_s ? so->o.keep_init_s : s->cfg.connect_timeout_ms / 1000;
			return put(val, len, &ui, sizeof(ui));
		}
	case GT_TCP_USER_TIMEOUT:
		if (!s->cfg.user_timeout_linux)
			return -ENOPROTOOPT;
		v = (int)so->o.user_timeout_ms;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_SYNCNT:
		/* do_tcp_getsockopt(): "icsk_syn_retries ? :
		 * sysctl_tcp_syn_retries", a listener's too. */
		if (!s->cfg.syncnt_linux)
			return -ENOPROTOOPT;
		v = (int)(so->o.syn_count ? so->o.syn_count : s->cfg.syn_retries);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_INQ:
		if (!s->cfg.inq_linux)
			return -ENOPROTOOPT;
		v = so->o.recv_inq;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_NOTSENT_LOWAT:
		/* do_tcp_getsockopt(): tp->notsent_lowat as set (0: the
		 * sysctl's, not read through). */
		if (!s->cfg.notsent_lowat_linux)
			return -ENOPROTOOPT;
		v = (int)so->o.notsent_lowat;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_DEFER_ACCEPT:
		if (!s->cfg.defer_accept)
			return -ENOPROTOOPT;
		v = defer_retrans_to_secs(so->o.defer_accept);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_CONGESTION: {
		const char *n = c ? tcp_user_cc_name(c) : tcp_user_cc_default_name(s, &so->o);
		if (s->cfg.cc_names_bsd)
			return put(val, len, n, strlen(n) + 1);
		char ca[16] = {0}; /* TCP_CA_NAME_MAX, as icsk_ca_ops->name */
		const char *lx = strcmp(n, "newreno") ? n : "reno";
		size_t ln = strlen(lx);
		memcpy(ca, lx, ln < sizeof(ca) - 1 ? ln : sizeof(ca) - 1);
		return put(val, len, ca, sizeof(ca));
	}
	case GT_TCP_MAXSEG:
		/* FreeBSD's tcp_ctloutput_get(): "optval = tp->t_maxseg",
		 * which tcp_mss_update() keeps without the options
		 * (tcp_maxseg() takes them per segment): 1460, timestamps or
		 * not. Linux's do_tcp_getsockopt(): mss_cache, less them. */
		if (c && tcp_user_mss(c))
			v = (int)(s->cfg.maxseg_bsd ? tcp_user_maxseg(c) : tcp_user_mss(c));
		else
			v = (int)maxseg_unset(s, so);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_INFO: {
		struct gt_tcp_info ti;
		memset(&ti, 0, sizeof(ti));
		if (c)
			tcp_user_info(s, c, &ti);
		else if (so->listening)
			ti.state = GT_TCP_LISTEN;
		else if ((v = tcp_user_info_gone(s, &so->o.kept, &ti)) < 0)
			return v; /* FreeBSD's INP_DROPPED: ECONNRESET */
		return put(val, len, &ti, sizeof(ti));
	}
	default:
		return -ENOPROTOOPT;
	}
}

int gt_getsockname(gt_stack *s, int sd, struct gt_sockaddr *out)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (!out)
		return -EFAULT;
	*out = so->local;
	return 0;
}

int gt_getpeername(gt_stack *s, int sd, struct gt_sockaddr *out)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (!out)
		return -EFAULT;
	if (!so->conn || tcp_user_state(so->conn) == GT_TCP_SYN_SENT)
		return -ENOTCONN;
	*out = so->peer;
	return 0;
}

static uint32_t readiness_of(gt_stack *s, struct gt_sock *so);

/* tcp_poll(): POLLERR for an entry on the error queue too. */
static uint32_t readiness(gt_stack *s, struct gt_sock *so)
{
	uint32_t m = readiness_of(s, so);
	eq_collect(s, so);
	if (so->eq && so->eq->qn)
		m |= GT_POLLERR;
	return m;
}

static uint32_t readiness_of(gt_stack *s, struct gt_sock *so)
{
	if (so->listening)
		return tcp_user_listen_queued(s, so->lh) ? GT_POLLIN : 0;
	if (!so->conn) {
		uint32_t m = GT_POLLOUT | GT_POLLHUP;
		if (so->ever_connected)
			m |= GT_POLLIN;
		if (so->so_error)
			m |= GT_POLLERR;
		return m;
	}
	uint32_t m = tcp_user_poll(s, so->conn, so->shut_rd, so->shut_wr, so->o.snd_lowat,
				   so->o.rcv_lowat, notsent_mark(s, so));
	/* tcp_poll(): not writable, SOCK_NOSPACE (set_bit(), so that the
	 * next write space wakes the poller). */
	if (!(m & GT_POLLOUT))
		so->nospace = true;
	return m;
}

int gt_poll(gt_stack *s, struct gt_pollfd *fds, size_t n)
{
	int ready = 0;
	for (size_t i = 0; i < n; i++) {
		struct gt_sock *so = sock_get(s, fds[i].sd);
		uint32_t m = so ? readiness(s, so) : 0x020 /* POLLNVAL */;
		fds[i].revents = (short)(m & ((uint32_t)fds[i].events | GT_POLLERR | GT_POLLHUP | 0x020));
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

size_t gt_events(gt_stack *s, struct gt_event *out, size_t max)
{
	size_t n = 0;
	while (n < max && s->evq_len) {
		int sd = s->evq[s->evq_head];
		s->evq_head = (s->evq_head + 1) % s->socks_cap;
		s->evq_len--;
		struct gt_sock *so = &s->socks[sd];
		so->ev_queued = false;
		if (!so->in_use)
			continue;
		out[n].sd = sd;
		out[n].revents = readiness(s, so);
		n++;
	}
	return n;
}
