/* The socket API: descriptors, bind/listen/accept/connect, send/recv,
 * shutdown/close (RFC 9293 3.10.4 CLOSE, RFC 1122 4.2.2.13), options,
 * readiness and the event queue. Errors are negative errno values with their
 * POSIX meaning. */
#include <stdlib.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"

#define SOMAXCONN_ 4096
#define SOCKBUF_MIN 2048

struct gt_sock *sock_get(gt_stack *s, int sd)
{
	if (sd < 0 || (uint32_t)sd >= s->socks_cap || !s->socks[sd].in_use)
		return NULL;
	return &s->socks[sd];
}

void sock_mark(gt_stack *s, int sd)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so || so->ev_queued)
		return;
	so->ev_queued = true;
	s->evq[(s->evq_head + s->evq_len) % s->socks_cap] = sd;
	s->evq_len++;
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
	so->lnext = -1;
	so->sndbuf_bytes = s->cfg.sndbuf_bytes;
	so->rcvbuf_bytes = s->cfg.rcvbuf_bytes;
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
	if (family != GT_AF_INET)
		return -EAFNOSUPPORT;
	if (type != GT_SOCK_STREAM)
		return -EPROTONOSUPPORT;
	return sock_alloc(s);
}

struct tw_port_probe {
	uint32_t addr;
	uint16_t port;
	bool found;
};

static void tw_on_port(void *ctx, uint32_t laddr, uint16_t lport, uint32_t faddr,
		       uint16_t fport, uint64_t expire_us)
{
	struct tw_port_probe *p = ctx;
	(void)faddr;
	(void)fport;
	(void)expire_us;
	if (lport == p->port && (!p->addr || laddr == p->addr))
		p->found = true;
}

static bool port_conflict(gt_stack *s, int sd, uint32_t addr, uint16_t port)
{
	/* As Linux: a port with connections in TIME_WAIT can be bound only
	 * with SO_REUSEADDR (their pairs are still protected by TIME_WAIT).
	 * The per-port counts keep a free port O(1) whatever the number of
	 * sockets and TIME_WAIT entries; only a port in use is looked at. */
	if (!s->socks[sd].reuseaddr && tw_on_local_port(s, port)) {
		struct tw_port_probe p = {addr, port, false};
		tw_foreach(s, tw_on_port, &p);
		if (p.found)
			return true;
	}
	const struct gt_sock *me = &s->socks[sd];
	uint32_t others = s->port_socks[port] - (me->bound && me->local.port == port);
	if (!others)
		return false;
	for (uint32_t i = 0; i < s->socks_cap; i++) {
		const struct gt_sock *o = &s->socks[i];
		if (!o->in_use || (int)i == sd || !o->bound || o->local.port != port)
			continue;
		if (o->local.addr && addr && o->local.addr != addr)
			continue;
		/* SO_REUSEADDR as on Linux: both set and neither listening. */
		if (me->reuseaddr && o->reuseaddr && !o->listening)
			continue;
		return true;
	}
	return false;
}

/* The checks bind() and connect() share: a live descriptor and an IPv4
 * address. Returns 0 or the errno to report. */
static int check_addr_call(gt_stack *s, int sd, const struct gt_sockaddr *a,
			   struct gt_sock **out)
{
	*out = sock_get(s, sd);
	if (!*out)
		return -EBADF;
	if (!a)
		return -EFAULT;
	if (a->family != GT_AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

int gt_bind(gt_stack *s, int sd, const struct gt_sockaddr *a)
{
	struct gt_sock *so;
	int err = check_addr_call(s, sd, a, &so);
	if (err)
		return err;
	if (so->bound || so->conn || so->ever_connected)
		return -EINVAL;
	if (a->addr && !ip_is_local(s, a->addr))
		return -EADDRNOTAVAIL;
	uint16_t port = a->port;
	if (port == 0) {
		uint32_t lo = s->cfg.ephemeral_lo, n = s->cfg.ephemeral_hi - lo + 1u;
		uint32_t i;
		for (i = 0; i < n; i++) {
			port = (uint16_t)(lo + (s->ephemeral_next + i) % n);
			if (!port_conflict(s, sd, a->addr, port))
				break;
		}
		if (i == n) {
			s->st.TcpEphemeralExhausted++;
			return -EADDRINUSE;
		}
		s->ephemeral_next += i + 1;
	} else if (port_conflict(s, sd, a->addr, port)) {
		return -EADDRINUSE;
	}
	if (!s->port_binds) {
		s->port_binds = calloc(65536, sizeof(*s->port_binds));
		if (!s->port_binds)
			return -ENOBUFS;
	}
	s->port_binds[port]++;
	so->explicit_bind = true;
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
		struct gt_sockaddr any = {.family = GT_AF_INET};
		int r = gt_bind(s, sd, &any);
		if (r < 0)
			return r;
		so = &s->socks[sd];
	}
	if (backlog < 1)
		backlog = 1;
	if (backlog > SOMAXCONN_)
		backlog = SOMAXCONN_;
	so->backlog = backlog;
	if (!so->listening) {
		/* A listener's port may not be shared with a bound socket unless
		 * both asked for SO_REUSEADDR and neither listens. */
		so->listening = true;
		if (port_conflict(s, sd, so->local.addr, so->local.port)) {
			so->listening = false;
			return -EADDRINUSE;
		}
		int b = so->local.port % LISTEN_BUCKETS;
		so->lnext = s->listen_bucket[b];
		s->listen_bucket[b] = sd;
	}
	return 0;
}

int gt_accept(gt_stack *s, int sd, struct gt_sockaddr *peer)
{
	struct gt_sock *l = sock_get(s, sd);
	if (!l)
		return -EBADF;
	if (!l->listening)
		return -EINVAL;
	if (!l->accept_head)
		return -EAGAIN;
	int nsd = sock_alloc(s);
	if (nsd < 0)
		return nsd == -ENOMEM ? -ENOBUFS : nsd;
	l = &s->socks[sd]; /* the table may have moved */
	struct tcp_conn *c = l->accept_head;
	l->accept_head = c->qnext;
	if (!l->accept_head)
		l->accept_tail = NULL;
	l->accept_len--;
	c->qnext = NULL;
	c->in_accept_q = false;
	c->listen_sd = -1;
	c->sd = nsd;
	struct gt_sock *so = &s->socks[nsd];
	so->conn = c;
	so->ever_connected = true;
	so->final_state = c->state;
	so->local = (struct gt_sockaddr){GT_AF_INET, c->lport, c->laddr};
	sock_mark_bound(s, so);
	so->peer = (struct gt_sockaddr){GT_AF_INET, c->fport, c->faddr};
	so->nodelay = l->nodelay;
	so->cork = l->cork;
	so->linger_on = l->linger_on;
	so->linger_s = l->linger_s;
	/* As Linux's accept(): the socket options the listener had. */
	so->keepalive = l->keepalive;
	so->keep_idle_s = l->keep_idle_s;
	so->keep_intvl_s = l->keep_intvl_s;
	so->keep_cnt = l->keep_cnt;
	so->linger2_s = l->linger2_s;
	so->noopt = l->noopt;
	so->maxseg = l->maxseg;
	so->cc = l->cc;
	so->cc_set = l->cc_set;
	so->sndbuf_bytes = c->snd.cap;
	so->rcvbuf_bytes = c->rcv.cap;
	if (peer)
		*peer = so->peer;
	sock_mark(s, nsd);
	return nsd;
}

int gt_connect(gt_stack *s, int sd, const struct gt_sockaddr *a)
{
	struct gt_sock *so;
	int err = check_addr_call(s, sd, a, &so);
	if (err)
		return err;
	if (so->listening)
		return -EISCONN;
	if (so->conn)
		return so->conn->state == GT_TCP_SYN_SENT ? -EALREADY : -EISCONN;
	if (a->port == 0 || a->addr == 0)
		return -EINVAL;
	if (!s->naddr)
		return -ENETUNREACH;
	uint32_t laddr = so->bound && so->local.addr ? so->local.addr : ip_source_for(s, a->addr);
	int port;
	uint32_t tw_snd_nxt = 0;
	bool tw_reused = false;
	if (so->bound && so->local.port) {
		port = so->local.port;
		if (tcp_lookup(s, laddr, (uint16_t)port, a->addr, a->port))
			return -EADDRINUSE;
		if (tw_exists(s, laddr, (uint16_t)port, a->addr, a->port)) {
			tw_reused = tw_take_for_reuse(s, laddr, (uint16_t)port, a->addr, a->port,
						      &tw_snd_nxt);
			if (!tw_reused)
				return -EADDRNOTAVAIL;
		}
	} else {
		port = tcp_ephemeral_port(s, laddr, a->addr, a->port, &tw_snd_nxt, &tw_reused);
		if (port < 0)
			return port;
	}
	struct tcp_conn *c = tcp_conn_alloc(s);
	if (!c)
		return -ENOBUFS;
	tcp_conn_init(s, c, so);
	c->laddr = laddr;
	c->lport = (uint16_t)port;
	c->faddr = a->addr;
	c->fport = a->port;
	c->iss = tcp_isn(s, c->laddr, c->lport, c->faddr, c->fport);
	/* A reused TIME_WAIT pair starts beyond the old sequence space. */
	if (tw_reused && seq_lt(c->iss, tw_snd_nxt + 65535 + 2))
		c->iss = tw_snd_nxt + 65535 + 2;
	c->snd_una = c->snd_nxt = c->snd_max = c->snd_sml = c->iss;
	c->ts_offset = tcp_ts_offset(s, c);
	c->sd = sd;
	so->conn = c;
	so->ever_connected = true;
	so->conn_gone = false;
	so->so_error = 0;
	so->local = (struct gt_sockaddr){GT_AF_INET, c->lport, c->laddr};
	sock_mark_bound(s, so);
	so->peer = *a;
	tcp_conn_hash(s, c);
	s->st.TcpActiveOpens++;
	tcp_set_state(s, c, GT_TCP_SYN_SENT, "connect()");
	c->rtt_timing = true;
	c->rtt_start_us = (uint32_t)s->now_us;
	tcp_send_syn(s, c);
	return -EINPROGRESS;
}

/* An error the connection left behind, reported once (like SO_ERROR). */
static int take_error(struct gt_sock *so)
{
	int e = so->so_error;
	so->so_error = 0;
	return e;
}

ssize_t gt_send(gt_stack *s, int sd, const void *buf, size_t len, int flags)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so || so->closing)
		return -EBADF;
	if (flags & ~GT_MSG_MORE)
		return -EOPNOTSUPP;
	struct tcp_conn *c = so->conn;
	if (!c) {
		if (so->so_error)
			return take_error(so);
		return so->ever_connected ? -EPIPE : -ENOTCONN;
	}
	if (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED)
		return -EAGAIN;
	if (so->shut_wr || c->fin_queued)
		return -EPIPE;
	if (len == 0)
		return 0;
	if (!buf)
		return -EFAULT;
	uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	if (ring_free_space(&c->snd) == 0)
		return -EAGAIN;
	if (tcp_ring_reserve(s, &c->snd) < 0)
		return -ENOBUFS;
	uint32_t n = ring_write(&c->snd, buf, want);
	bool cork = c->cork;
	c->psh_end = !(flags & GT_MSG_MORE);
	if (flags & GT_MSG_MORE)
		c->cork = true; /* hold a partial segment: more is coming */
	tcp_output(s, c);
	c->cork = cork;
	return n;
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
		if (so->so_error)
			return take_error(so);
		return so->ever_connected ? 0 : -ENOTCONN;
	}
	if (so->shut_rd && c->rcv.len == 0)
		return 0; /* what was queued before SHUT_RD is still read, as Linux */
	if (c->rcv.len == 0) {
		if (c->fin_rcvd)
			return 0;
		return -EAGAIN;
	}
	if (len == 0)
		return 0;
	if (!buf)
		return -EFAULT;
	uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	uint32_t n;
	if (flags & GT_MSG_PEEK)
		return ring_peek(&c->rcv, 0, buf, want);
	n = ring_read(&c->rcv, buf, want);
	if (!c->nooo && !c->syn_data_len)
		tcp_ring_release(s, &c->rcv);
	tcp_rcv_window_maybe_update(s, c);
	return n;
}

/* CLOSE or SHUTDOWN(WR) on a connection: queue our FIN (RFC 9293 3.10.4). */
static void start_fin(gt_stack *s, struct tcp_conn *c)
{
	if (c->fin_queued)
		return;
	c->fin_queued = true;
	if (c->state == GT_TCP_ESTABLISHED)
		tcp_set_state(s, c, GT_TCP_FIN_WAIT_1, "close()");
	else if (c->state == GT_TCP_CLOSE_WAIT)
		tcp_set_state(s, c, GT_TCP_LAST_ACK, "close()");
	tcp_output(s, c);
}

static void abort_conn(gt_stack *s, struct tcp_conn *c)
{
	if (c->state != GT_TCP_SYN_SENT && c->state != GT_TCP_CLOSED)
		tcp_send_rst_conn(s, c);
	if (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_CLOSE_WAIT)
		s->st.TcpEstabResets++;
	tcp_conn_free(s, c, 0);
}

int gt_shutdown(gt_stack *s, int sd, int how)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (how != GT_SHUT_RD && how != GT_SHUT_WR && how != GT_SHUT_RDWR)
		return -EINVAL;
	struct tcp_conn *c = so->conn;
	if (!c || c->state == GT_TCP_SYN_RECEIVED)
		return -ENOTCONN;
	if (how != GT_SHUT_WR) {
		so->shut_rd = true;
		c->shut_rd = true;
		sock_mark(s, sd);
	}
	if (how != GT_SHUT_RD) {
		so->shut_wr = true;
		if (c->state == GT_TCP_SYN_SENT) {
			tcp_conn_free(s, c, 0); /* RFC 9293 3.10.4: delete the TCB */
			return 0;
		}
		start_fin(s, c);
	}
	return 0;
}

static void reset_child(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	int lsd = *(int *)ctx;
	if (c->listen_sd != lsd)
		return;
	/* RFC 9293 3.10.4: closing a listener aborts what it has not handed
	 * to the application. Established ones get an RST; half-open ones
	 * are forgotten silently, as Linux and BSD do (their next segment
	 * meets a closed port and gets its RST then). */
	if (c->state == GT_TCP_SYN_RECEIVED) {
		s->st.TcpAttemptFails++;
		tcp_conn_free(s, c, 0);
		return;
	}
	abort_conn(s, c);
}

static void close_listener(gt_stack *s, int sd)
{
	struct gt_sock *so = &s->socks[sd];
	int *pp = &s->listen_bucket[so->local.port % LISTEN_BUCKETS];
	while (*pp != sd)
		pp = &s->socks[*pp].lnext;
	*pp = so->lnext;
	tcp_foreach(s, reset_child, &sd);
	/* The queue fields share their memory with rcv_left (struct gt_sock):
	 * leave them reading as an empty ring. */
	so->accept_head = so->accept_tail = NULL;
	so->backlog = 0;
	so->accept_len = so->syn_len = 0;
	so->listening = false;
}

/* The connection goes on alone: an orphan's FIN_WAIT_2 is bounded. */
static void orphan(gt_stack *s, struct gt_sock *so, struct tcp_conn *c)
{
	so->conn = NULL;
	c->sd = -1;
	c->linger_at = TCP_TIMER_NONE;
	if (c->state == GT_TCP_FIN_WAIT_2 && c->fin2_at == TCP_TIMER_NONE)
		tcp_arm_fin2(s, c);
	tcp_timers_update(s, c);
}

static int release(gt_stack *s, int sd)
{
	ring_free(&s->socks[sd].rcv_left);
	sock_release(s, sd);
	return 0;
}

/* SO_LINGER with a time (BSD semantics, chosen for the non-blocking API):
 * close() returns -EWOULDBLOCK while data or our FIN is unacknowledged and
 * keeps the descriptor; called again once done, it returns 0 and frees
 * it. If the linger time passes first, the connection is reset (the peer
 * sees ECONNRESET) and the next close() frees the descriptor. */
static int linger_close(gt_stack *s, int sd, struct gt_sock *so)
{
	struct tcp_conn *c = so->conn;
	if (c && !tcp_fin_acked(c))
		return -EWOULDBLOCK;
	if (c)
		orphan(s, so, c);
	return release(s, sd);
}

int gt_close(gt_stack *s, int sd)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	if (so->closing)
		return linger_close(s, sd, so);
	if (so->listening)
		close_listener(s, sd);
	struct tcp_conn *c = so->conn;
	if (c && so->linger_on && so->linger_s > 0 && c->state != GT_TCP_SYN_SENT &&
	    c->rcv.len == 0 && c->state != GT_TCP_SYN_RECEIVED) {
		start_fin(s, c);
		if (so->conn && !tcp_fin_acked(so->conn)) {
			so->closing = true;
			c->linger_at = s->now_us + (uint64_t)so->linger_s * 1000000;
			tcp_timers_update(s, c);
			return -EWOULDBLOCK;
		}
		return linger_close(s, sd, so);
	}
	if (c) {
		so->conn = NULL;
		c->sd = -1;
		if (c->state == GT_TCP_SYN_SENT) {
			tcp_conn_free(s, c, 0);
		} else if (so->linger_on && so->linger_s == 0) {
			/* SO_LINGER {1, 0}: abort, discard, no TIME_WAIT. */
			s->st.TcpAbortOnLinger++;
			abort_conn(s, c);
		} else if (c->rcv.len > 0 || c->state == GT_TCP_SYN_RECEIVED) {
			/* RFC 1122 4.2.2.13: unread data is lost, so tell the
			 * peer with an RST rather than a FIN. */
			s->st.TcpAbortOnClose++;
			abort_conn(s, c);
		} else {
			start_fin(s, c);
			if (c->in_use && c->state == GT_TCP_FIN_WAIT_2 && c->fin2_at == TCP_TIMER_NONE) {
				tcp_arm_fin2(s, c);
				tcp_timers_update(s, c);
			}
		}
	}
	return release(s, sd);
}

static int opt_int(const void *val, size_t len, int *out)
{
	if (!val || len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

static uint32_t buf_size(const gt_stack *s, int v)
{
	uint64_t b = v < 0 ? 0 : (uint64_t)v;
	if (s->cfg.sockopt_buf_double)
		b *= 2; /* Linux keeps room for its bookkeeping: it doubles */
	if (b < SOCKBUF_MIN)
		b = SOCKBUF_MIN;
	if (b > s->cfg.buf_max_bytes)
		b = s->cfg.buf_max_bytes;
	return (uint32_t)b;
}

static int set_buffer(gt_stack *s, struct gt_sock *so, bool snd, uint32_t bytes)
{
	struct tcp_conn *c = so->conn;
	if (c && c->state != GT_TCP_SYN_SENT) {
		/* Changing a live buffer: grow or shrink down to what it holds. */
		struct ring *r = snd ? &c->snd : &c->rcv;
		if (bytes < r->len || (!snd && c->nooo))
			return -EINVAL;
		bool held = r->buf != NULL;
		uint32_t old = r->cap;
		if (held && bytes > old && s->buffer_bytes + (bytes - old) > s->cfg.max_buffer_bytes) {
			s->st.TcpBufLimit++;
			return -ENOBUFS;
		}
		if (ring_resize(r, bytes) < 0)
			return -ENOBUFS;
		if (held) {
			s->buffer_bytes += bytes;
			s->buffer_bytes -= old;
		}
	}
	if (snd)
		so->sndbuf_bytes = bytes;
	else
		so->rcvbuf_bytes = bytes;
	return 0;
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
		so->linger_on = l.l_onoff != 0;
		so->linger_s = l.l_linger < 0 ? 0 : l.l_linger;
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
		so->keepalive = v != 0;
		if (so->conn) {
			so->conn->keepalive = so->keepalive;
			tcp_keepalive_arm(s, so->conn);
			tcp_timers_update(s, so->conn);
		}
		return 0;
	case GT_SO_SNDBUF:
	case GT_SO_RCVBUF:
		if (opt_int(val, len, &v) < 0)
			return -EINVAL;
		return set_buffer(s, so, name == GT_SO_SNDBUF, buf_size(s, v));
	default:
		return -ENOPROTOOPT;
	}
}

static int set_congestion(struct gt_sock *so, const void *val, size_t len)
{
	char name[16];
	if (!val || len == 0)
		return -EINVAL;
	size_t n = len < sizeof(name) - 1 ? len : sizeof(name) - 1;
	memcpy(name, val, n);
	name[n] = 0;
	name[strcspn(name, "\0")] = 0;
	enum gt_cc cc;
	if (!strcmp(name, "cubic"))
		cc = GT_CC_CUBIC;
	else if (!strcmp(name, "reno") || !strcmp(name, "newreno"))
		cc = GT_CC_NEWRENO;
	else
		return -ENOENT; /* as Linux for an unknown algorithm */
	so->cc = (uint8_t)cc;
	so->cc_set = true;
	struct tcp_conn *c = so->conn;
	if (c) {
		/* Switching mid-connection keeps cwnd and ssthresh, as Linux. */
		c->cc = tcp_cc_by_id(cc);
		c->cubic_epoch = false;
		c->cubic.w_max = 0;
	}
	return 0;
}

static int setsockopt_tcp(gt_stack *s, struct gt_sock *so, int name, const void *val, size_t len)
{
	int v;
	if (name == GT_TCP_CONGESTION)
		return set_congestion(so, val, len);
	if (opt_int(val, len, &v) < 0)
		return -EINVAL;
	struct tcp_conn *c = so->conn;
	switch (name) {
	case GT_TCP_NODELAY:
		so->nodelay = v != 0;
		if (c) {
			/* What Nagle (or a cork) held goes now, once, as on Linux. */
			c->nodelay = so->nodelay;
			c->push_once = so->nodelay;
			tcp_output(s, c);
			c->push_once = false;
		}
		return 0;
	case GT_TCP_CORK:
		so->cork = v != 0;
		if (c) {
			c->cork = so->cork;
			tcp_output(s, c);
		}
		return 0;
	case GT_TCP_MAXSEG:
		if (v < 88 || v > 65535)
			return -EINVAL;
		so->maxseg = (uint16_t)v;
		return 0;
	case GT_TCP_KEEPIDLE:
	case GT_TCP_KEEPINTVL:
	case GT_TCP_KEEPCNT:
		/* Linux's limits: MAX_TCP_KEEPIDLE and MAX_TCP_KEEPINTVL 32767 s,
		 * MAX_TCP_KEEPCNT 127 probes. */
		if (v < 1 || v > (name == GT_TCP_KEEPCNT ? 127 : 32767))
			return -EINVAL;
		if (name == GT_TCP_KEEPIDLE)
			so->keep_idle_s = (uint16_t)v;
		else if (name == GT_TCP_KEEPINTVL)
			so->keep_intvl_s = (uint16_t)v;
		else
			so->keep_cnt = (uint8_t)v;
		if (c && c->keep_at != TCP_TIMER_NONE) {
			tcp_keepalive_arm(s, c);
			tcp_timers_update(s, c);
		}
		return 0;
	case GT_TCP_LINGER2:
		/* Kept in 16 bits: larger values mean 32767 s (Linux caps at
		 * 120 s, TCP_FIN_TIMEOUT_MAX). */
		so->linger2_s = (int16_t)(v < 0 ? -1 : v > 32767 ? 32767 : v);
		if (c)
			c->fin2_timeout_ms = so->linger2_s < 0 ? -1
					     : so->linger2_s == 0 ? (int32_t)s->cfg.fin_wait2_timeout_ms
								  : so->linger2_s * 1000;
		return 0;
	case GT_TCP_NOOPT:
		if (c && c->state != GT_TCP_CLOSED)
			return -EINVAL; /* options are chosen at the SYN */
		so->noopt = v != 0;
		return 0;
	case GT_TCP_QUICKACK:
		/* Linux: 1 ACKs the next segments at once (and an ACK owed is
		 * sent now); 0 lets ACKs be delayed again. Not sticky. */
		so->quickack = v != 0;
		if (c) {
			c->pingpong = !v;
			if (v) {
				c->quickack = (uint8_t)s->cfg.quickack_max_segs;
				if (c->delack_at != TCP_TIMER_NONE)
					tcp_send_ack(s, c);
			}
		}
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
	if (level == GT_IPPROTO_TCP)
		return setsockopt_tcp(s, so, name, val, len);
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

int gt_getsockopt(gt_stack *s, int sd, int level, int name, void *val, size_t *len)
{
	struct gt_sock *so = sock_get(s, sd);
	if (!so)
		return -EBADF;
	struct tcp_conn *c = so->conn;
	int v;
	if (level == GT_SOL_SOCKET) {
		switch (name) {
		case GT_SO_ERROR:
			v = -take_error(so); /* positive, as POSIX getsockopt gives it */
			return put(val, len, &v, sizeof(v));
		case GT_SO_REUSEADDR:
			v = so->reuseaddr;
			return put(val, len, &v, sizeof(v));
		case GT_SO_KEEPALIVE:
			v = so->keepalive;
			return put(val, len, &v, sizeof(v));
		case GT_SO_SNDBUF:
			v = (int)so->sndbuf_bytes;
			return put(val, len, &v, sizeof(v));
		case GT_SO_RCVBUF:
			v = (int)so->rcvbuf_bytes;
			return put(val, len, &v, sizeof(v));
		case GT_SO_LINGER: {
			struct gt_linger l = {so->linger_on, so->linger_s};
			return put(val, len, &l, sizeof(l));
		}
		default:
			return -ENOPROTOOPT;
		}
	}
	if (level != GT_IPPROTO_TCP)
		return -ENOPROTOOPT;
	switch (name) {
	case GT_TCP_NODELAY:
		v = so->nodelay;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_CORK:
		v = so->cork;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_QUICKACK:
		v = c ? c->quickack && !c->pingpong : so->quickack;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_KEEPIDLE:
		v = (int)(so->keep_idle_s ? so->keep_idle_s : s->cfg.keepalive_idle_s);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_KEEPINTVL:
		v = (int)(so->keep_intvl_s ? so->keep_intvl_s : s->cfg.keepalive_intvl_s);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_KEEPCNT:
		v = (int)(so->keep_cnt ? so->keep_cnt : s->cfg.keepalive_probes);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_LINGER2:
		v = so->linger2_s ? so->linger2_s : (int)(s->cfg.fin_wait2_timeout_ms / 1000);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_NOOPT:
		v = so->noopt;
		return put(val, len, &v, sizeof(v));
	case GT_TCP_CONGESTION: {
		const char *n = c ? c->cc->name
				  : tcp_cc_by_id(so->cc_set ? (enum gt_cc)so->cc : s->cfg.cc)->name;
		return put(val, len, n, strlen(n) + 1);
	}
	case GT_TCP_MAXSEG:
		v = c && c->state != GT_TCP_SYN_SENT ? c->mss : (so->maxseg ? so->maxseg : s->cfg.mss_default);
		return put(val, len, &v, sizeof(v));
	case GT_TCP_INFO: {
		struct gt_tcp_info ti;
		memset(&ti, 0, sizeof(ti));
		if (c)
			tcp_fill_info(c, &ti);
		else
			ti.state = so->listening ? GT_TCP_LISTEN : GT_TCP_CLOSED;
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
	if (!so->conn || so->conn->state == GT_TCP_SYN_SENT)
		return -ENOTCONN;
	*out = so->peer;
	return 0;
}

static bool writable(const struct tcp_conn *c)
{
	if (c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_CLOSE_WAIT)
		return false;
	/* Only a useful amount: as Linux, free space of at least half of
	 * what is queued. */
	uint32_t free_bytes = ring_free_space(&c->snd);
	return free_bytes > 0 && free_bytes >= c->snd.len / 2;
}

static uint32_t readiness(const struct gt_sock *so)
{
	if (so->listening)
		return so->accept_head ? GT_POLLIN : 0;
	const struct tcp_conn *c = so->conn;
	if (!c) {
		uint32_t m = GT_POLLOUT | GT_POLLHUP;
		if (so->ever_connected)
			m |= GT_POLLIN;
		if (so->so_error)
			m |= GT_POLLERR;
		return m;
	}
	uint32_t m = 0;
	if (c->rcv.len || c->fin_rcvd || so->shut_rd)
		m |= GT_POLLIN;
	if (c->fin_rcvd || so->shut_rd)
		m |= GT_POLLRDHUP;
	if (!so->shut_wr && !c->fin_queued && writable(c))
		m |= GT_POLLOUT;
	if (c->fin_rcvd && c->fin_queued)
		m |= GT_POLLHUP;
	return m;
}

int gt_poll(gt_stack *s, struct gt_pollfd *fds, size_t n)
{
	int ready = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gt_sock *so = sock_get(s, fds[i].sd);
		uint32_t m = so ? readiness(so) : 0x020 /* POLLNVAL */;
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
		out[n].revents = readiness(so);
		n++;
	}
	return n;
}
