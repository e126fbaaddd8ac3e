/* Listeners (RFC 9293's LISTEN state), owned by TCP: a table with a free
 * list, hashed by local port; each keeps its half-open children counted
 * (syn_len, bounded by max_syn_backlog) and its completed ones in a FIFO
 * accept queue (accept_len, bounded by the backlog). A child knows its
 * listener by handle (c->lh) until accept() hands it to a socket. */
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"

int tcp_listen_init(gt_stack *s)
{
	s->listeners = NULL;
	s->listeners_cap = 0;
	s->listener_free = -1;
	for (int i = 0; i < LISTEN_BUCKETS; i++)
		s->listen_bucket[i] = -1;
	return 0;
}

void tcp_listen_fini(gt_stack *s)
{
	free(s->listeners);
	s->listeners = NULL;
	s->listeners_cap = 0;
}

struct tcp_listener *tcp_listener_get(gt_stack *s, int lh)
{
	if (lh < 0 || (uint32_t)lh >= s->listeners_cap || !s->listeners[lh].in_use)
		return NULL;
	return &s->listeners[lh];
}

static int grow(gt_stack *s)
{
	uint32_t ncap = s->listeners_cap ? s->listeners_cap * 2 : 16;
	if (ncap > s->cfg.max_sockets)
		ncap = s->cfg.max_sockets;
	if (ncap <= s->listeners_cap)
		return -ENOBUFS;
	struct tcp_listener *nl = realloc(s->listeners, ncap * sizeof(*nl));
	if (!nl)
		return -ENOBUFS;
	s->listeners = nl;
	for (uint32_t i = ncap; i-- > s->listeners_cap;) {
		memset(&nl[i], 0, sizeof(nl[i]));
		nl[i].next = s->listener_free;
		s->listener_free = (int)i;
	}
	s->listeners_cap = ncap;
	return 0;
}

int tcp_user_listen(gt_stack *s, const struct tcp_user_opts *o, int owner, ip_addr laddr,
		    uint16_t lport, int backlog, bool v6only)
{
	if (s->listener_free < 0) {
		int r = grow(s);
		if (r < 0)
			return r;
	}
	int lh = s->listener_free;
	struct tcp_listener *l = &s->listeners[lh];
	s->listener_free = l->next;
	memset(l, 0, sizeof(*l));
	l->in_use = true;
	l->opts = *o;
	l->laddr = laddr;
	l->lport = lport;
	l->v6only = v6only;
	l->owner = owner;
	l->backlog = backlog;
	int b = lport % LISTEN_BUCKETS;
	l->next = s->listen_bucket[b];
	s->listen_bucket[b] = lh;
	return lh;
}

void tcp_user_listen_update(gt_stack *s, int lh, const struct tcp_user_opts *o, int backlog)
{
	struct tcp_listener *l = tcp_listener_get(s, lh);
	if (!l)
		return;
	l->opts = *o;
	l->backlog = backlog;
}

struct tcp_listener *tcp_listener_find(gt_stack *s, ip_addr addr, uint16_t port)
{
	/* An exact address first; then a wildcard of the packet's own family
	 * (0.0.0.0 for IPv4, as Linux's compute_score() prefers an AF_INET
	 * socket); then an IPv6 wildcard that takes IPv4 too (not v6only). */
	struct tcp_listener *wild = NULL, *wild6 = NULL;
	bool v4 = ip_addr_is_v4(addr);
	for (int lh = s->listen_bucket[port % LISTEN_BUCKETS]; lh >= 0; lh = s->listeners[lh].next) {
		struct tcp_listener *l = &s->listeners[lh];
		if (l->lport != port)
			continue;
		if (ip_addr_eq(l->laddr, addr))
			return l;
		if (ip_addr_is_v4(l->laddr)) {
			if (v4 && ip_addr_v4_of(l->laddr) == 0)
				wild = l;
		} else if (ip_addr_eq(l->laddr, IP_ADDR_ANY6) && (!v4 || !l->v6only)) {
			wild6 = l;
		}
	}
	return wild ? wild : wild6;
}

void tcp_listen_child_add(gt_stack *s, struct tcp_listener *l, struct tcp_conn *c)
{
	c->lh = tcp_listener_handle(s, l);
	c->in_accept_q = false;
	l->syn_len++;
}

void tcp_listen_child_ready(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_listener *l = tcp_listener_get(s, c->lh);
	if (!l || c->in_accept_q)
		return;
	l->syn_len--;
	c->in_accept_q = true;
	c->qnext = NULL;
	if (l->accept_tail)
		l->accept_tail->qnext = c;
	else
		l->accept_head = c;
	l->accept_tail = c;
	l->accept_len++;
	sock_mark(s, l->owner);
}

bool tcp_listen_full(const gt_stack *s, const struct tcp_listener *l)
{
	if (s->cfg.acceptq_linux)
		return l->accept_len > (uint32_t)l->backlog; /* sk_acceptq_is_full() */
	if (s->cfg.acceptq_bsd) /* solisten_clone(): over = sol_qlen > 3 * sol_qlimit / 2 */
		return l->accept_len > 3 * (uint64_t)l->backlog / 2;
	return l->accept_len >= (uint32_t)l->backlog;
}

uint8_t tcp_listen_defer(const gt_stack *s, const struct tcp_conn *c)
{
	if (!s->cfg.defer_accept || !c->passive || c->from_cookie || c->in_accept_q ||
	    c->state != GT_TCP_SYN_RECEIVED || c->lh < 0 || (uint32_t)c->lh >= s->listeners_cap ||
	    !s->listeners[c->lh].in_use)
		return 0;
	return s->listeners[c->lh].opts.defer_accept;
}

void tcp_listen_child_gone(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_listener *l = tcp_listener_get(s, c->lh);
	if (l && c->in_accept_q) {
		struct tcp_conn **pp = &l->accept_head, *prev = NULL;
		for (; *pp && *pp != c; pp = &(*pp)->qnext)
			prev = *pp;
		if (*pp) {
			*pp = c->qnext;
			if (l->accept_tail == c)
				l->accept_tail = prev;
			l->accept_len--;
		}
	} else if (l) {
		l->syn_len--;
	}
	c->lh = -1;
	c->in_accept_q = false;
	c->qnext = NULL;
}

int tcp_user_accept(gt_stack *s, int lh, int owner, struct tcp_conn **out)
{
	struct tcp_listener *l = tcp_listener_get(s, lh);
	if (!l || !l->accept_head)
		return -EAGAIN;
	struct tcp_conn *c = l->accept_head;
	if (s->cfg.accept_aborts_dropped && tcp_accept_gone(c)) {
		/* FreeBSD's kern_accept4(): solisten_dequeue() takes it off
		 * sol_comp, soaccept() -> tcp_usr_accept() finds INP_DROPPED and
		 * answers ECONNABORTED, and fdclose() drops the new descriptor. */
		tcp_conn_free_ended(s, c, c->err ? c->err : -ECONNRESET);
		return -ECONNABORTED;
	}
	l->accept_head = c->qnext;
	if (!l->accept_head)
		l->accept_tail = NULL;
	l->accept_len--;
	/* A TFO child in SYN_RECEIVED stays in tfo_len after accept()
	 * (tcp_tfo_pending()), its owner's close() or not. */
	bool tfo = tcp_tfo_child(c);
	c->qnext = NULL;
	c->in_accept_q = false;
	c->lh = tfo ? TCP_LH_TFO_PENDING : -1;
	c->owner = owner;
	*out = c;
	return 0;
}

void tcp_user_accepted(gt_stack *s, struct tcp_conn *c)
{
	if (c->state == GT_TCP_CLOSED) /* it ended in the queue: tcp_accept_gone() */
		tcp_conn_free_ended(s, c, c->err ? c->err : -ECONNRESET);
}

uint32_t tcp_user_listen_queued(gt_stack *s, int lh)
{
	const struct tcp_listener *l = tcp_listener_get(s, lh);
	return l ? l->accept_len : 0;
}

static void reset_child(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	int lh = *(int *)ctx;
	if (c->lh != lh)
		return;
	/* RFC 9293 3.10.4: closing a listener aborts what it has not handed
	 * to the application. Established ones get an RST; half-open ones
	 * are forgotten silently, as Linux and BSD do (their next segment
	 * meets a closed port and gets its RST then). A TCP Fast Open child,
	 * queued in SYN_RECEIVED, is a full socket: inet_csk_listen_stop() ->
	 * inet_child_forget() -> tcp_disconnect() resets it (tcp_need_reset()
	 * holds for SYN_RECV). */
	if (c->state == GT_TCP_SYN_RECEIVED && !c->in_accept_q) {
		s->st.TcpAttemptFails++;
		tcp_conn_free(s, c, 0);
		return;
	}
	tcp_user_abort(s, c);
}

void tcp_user_unlisten(gt_stack *s, int lh)
{
	struct tcp_listener *l = tcp_listener_get(s, lh);
	if (!l)
		return;
	int *pp = &s->listen_bucket[l->lport % LISTEN_BUCKETS];
	while (*pp != lh)
		pp = &s->listeners[*pp].next;
	*pp = l->next;
	tcp_foreach(s, reset_child, &lh);
	l = &s->listeners[lh];
	l->in_use = false;
	l->next = s->listener_free;
	s->listener_free = lh;
}

void tcp_listen_foreach(const gt_stack *s, void (*fn)(void *ctx, const struct tcp_listener *l),
			void *ctx)
{
	for (uint32_t i = 0; i < s->listeners_cap; i++)
		if (s->listeners[i].in_use)
			fn(ctx, &s->listeners[i]);
}
