/* gt_stack_list(): a read-only snapshot of the listeners, connections and
 * TIME_WAIT entries of a stack, for `ss`-like listings (see inspect.h):
 * TCP's own view of what it holds. */
#include <glasstcp/inspect.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"

struct lister {
	struct gt_sock_entry *out;
	size_t max, n;
};

static struct gt_sock_entry *next_slot(struct lister *l)
{
	struct gt_sock_entry *e = l->n < l->max ? &l->out[l->n] : NULL;
	l->n++;
	if (e)
		memset(e, 0, sizeof(*e));
	return e;
}

static void earliest_timer(struct gt_sock_entry *e, const struct tcp_conn *c)
{
	const struct { uint64_t at; uint8_t kind; } t[] = {
		{c->rtx_at, tcp_rtx_timer(c)}, {c->persist_at, GT_TIMER_PERSIST},
		{c->delack_at, GT_TIMER_DELACK}, {c->fin2_at, GT_TIMER_FIN_WAIT_2},
		{c->cork_at, GT_TIMER_CORK}, {c->linger_at, GT_TIMER_LINGER},
		{c->keep_at, GT_TIMER_KEEPALIVE},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].at == TCP_TIMER_NONE || (e->timer_on && t[i].at >= e->timer_at_us))
			continue;
		e->timer_on = true;
		e->timer = t[i].kind;
		e->timer_at_us = t[i].at;
	}
}

static void list_conn(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	(void)s;
	struct gt_sock_entry *e = next_slot(ctx);
	if (!e)
		return;
	e->state = c->state;
	e->sd = c->owner;
	e->local = tcp_sockaddr(c->laddr, c->lport, false);
	e->peer = tcp_sockaddr(c->faddr, c->fport, false);
	e->recv_q = c->rcv.len;
	e->send_q = c->snd.len;
	e->backoff = c->backoff;
	earliest_timer(e, c);
	tcp_fill_info(s, c, &e->info); /* the fields TCP_INFO gives */
}

static void list_tw(void *ctx, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
		    uint64_t expire_us)
{
	struct gt_sock_entry *e = next_slot(ctx);
	if (!e)
		return;
	e->state = GT_TCP_TIME_WAIT;
	e->sd = -1;
	e->local = tcp_sockaddr(laddr, lport, false);
	e->peer = tcp_sockaddr(faddr, fport, false);
	e->timer_on = true;
	e->timer = GT_TIMER_TIME_WAIT;
	e->timer_at_us = expire_us;
	e->info.state = GT_TCP_TIME_WAIT;
}

static void list_listener(void *ctx, const struct tcp_listener *tl)
{
	struct gt_sock_entry *e = next_slot(ctx);
	if (!e)
		return;
	e->state = GT_TCP_LISTEN;
	e->sd = tl->owner;
	e->local = tcp_sockaddr(tl->laddr, tl->lport, false);
	e->recv_q = tl->accept_len;
	e->send_q = tl->backlog > 0 ? (uint32_t)tl->backlog : 0;
	e->info.state = GT_TCP_LISTEN;
}

size_t gt_stack_list(gt_stack *s, struct gt_sock_entry *out, size_t max)
{
	struct lister l = {out, out ? max : 0, 0};
	tcp_listen_foreach(s, list_listener, &l);
	tcp_foreach(s, list_conn, &l);
	tw_foreach(s, list_tw, &l);
	return l.n;
}
