/* TCP's states (RFC 9293 3.3.2): the one function that changes a TCB's
 * state, and the table of the moves it allows.
 *
 *                      CLOSED
 *            connect() /    \ SYN (listener)
 *                     v      v
 *             SYN_SENT ----> SYN_RECEIVED       (simultaneous open)
 *          SYN-ACK |         | ACK      \ FIN
 *                  v         v           v
 *               ESTABLISHED -----FIN-----> CLOSE_WAIT
 *        close() |                         | close()
 *                v                         v
 *           FIN_WAIT_1 --FIN--> CLOSING    LAST_ACK --ACK--> CLOSED
 *      ACK of FIN |   \ FIN+ACK   | ACK of FIN
 *                 v    \          v
 *           FIN_WAIT_2  `----> TIME_WAIT --2MSL (table)--> CLOSED
 *                  \ FIN         ^
 *                   `------------'
 *
 * Every state may also go to CLOSED (RST, ABORT, timeouts); SYN_RECEIVED
 * goes to FIN_WAIT_1 on close() (RFC 9293 3.10.4). Any other move is a bug:
 * it is recorded (tcp_bug) and fails tcp_check_all() in every build, so the
 * swarm and the dialogue tests find it where it happens.
 *
 * transition                  made by
 * CLOSED -> SYN_SENT          tcp_user_connect()
 * CLOSED -> SYN_RECEIVED      listen_input(), cookie_ack() (tcp_input.c)
 * SYN_SENT -> SYN_RECEIVED    syn_sent_input()
 * SYN_SENT -> ESTABLISHED     syn_sent_input()
 * SYN_RECEIVED -> ESTABLISHED ack_input()
 * SYN_RECEIVED -> CLOSE_WAIT  fin_input() (a FIN with the handshake's ACK)
 * ESTABLISHED -> CLOSE_WAIT   fin_input()
 * ESTABLISHED -> FIN_WAIT_1   start_fin() (tcp_user.c)
 * CLOSE_WAIT -> LAST_ACK      start_fin()
 * FIN_WAIT_1 -> FIN_WAIT_2    ack_input()
 * FIN_WAIT_1 -> CLOSING       fin_input()
 * FIN_WAIT_1 -> TIME_WAIT     fin_input() (FIN and the ACK of ours)
 * FIN_WAIT_2 -> TIME_WAIT     fin_input()
 * CLOSING -> TIME_WAIT        ack_input()
 * TIME_WAIT -> CLOSED         tcp_state_handoff() (the entry goes on)
 * any -> CLOSED               tcp_conn_free()
 */
#include "tcp/tcp.h"

static const char *const state_names[GT_TCP_NSTATES] = {
	"CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
	"FIN_WAIT_2",  "CLOSE_WAIT", "CLOSING",    "LAST_ACK",     "TIME_WAIT",
};

const char *gt_tcp_state_name(enum gt_tcp_state st)
{
	return (unsigned)st < GT_TCP_NSTATES ? state_names[st] : "?";
}

#define B(st) (1u << (st))

/* legal[from]: the states from may move to. */
static const uint16_t legal[GT_TCP_NSTATES] = {
	[GT_TCP_CLOSED] = B(GT_TCP_SYN_SENT) | B(GT_TCP_SYN_RECEIVED),
	[GT_TCP_LISTEN] = 0, /* listeners are not TCBs (tcp_listen.c) */
	/* SYN_SENT -> FIN_WAIT_1: FreeBSD's TF_NEEDFIN, shutdown(SHUT_WR)
	 * before the SYN-ACK (cfg.shut_wr_synsent_needfin). */
	[GT_TCP_SYN_SENT] = B(GT_TCP_SYN_RECEIVED) | B(GT_TCP_ESTABLISHED) | B(GT_TCP_FIN_WAIT_1) |
			    B(GT_TCP_CLOSED),
	[GT_TCP_SYN_RECEIVED] = B(GT_TCP_ESTABLISHED) | B(GT_TCP_CLOSE_WAIT) |
				B(GT_TCP_FIN_WAIT_1) | B(GT_TCP_CLOSED),
	[GT_TCP_ESTABLISHED] = B(GT_TCP_FIN_WAIT_1) | B(GT_TCP_CLOSE_WAIT) | B(GT_TCP_CLOSED),
	[GT_TCP_FIN_WAIT_1] = B(GT_TCP_FIN_WAIT_2) | B(GT_TCP_CLOSING) | B(GT_TCP_TIME_WAIT) |
			      B(GT_TCP_CLOSED),
	[GT_TCP_FIN_WAIT_2] = B(GT_TCP_TIME_WAIT) | B(GT_TCP_CLOSED),
	[GT_TCP_CLOSE_WAIT] = B(GT_TCP_LAST_ACK) | B(GT_TCP_CLOSED),
	[GT_TCP_CLOSING] = B(GT_TCP_TIME_WAIT) | B(GT_TCP_CLOSED),
	[GT_TCP_LAST_ACK] = B(GT_TCP_CLOSED),
	[GT_TCP_TIME_WAIT] = B(GT_TCP_CLOSED),
};

bool tcp_state_legal(uint8_t from, uint8_t to)
{
	return from < GT_TCP_NSTATES && to < GT_TCP_NSTATES && (legal[from] & B(to));
}

static bool is_estab(uint8_t st) { return st == GT_TCP_ESTABLISHED || st == GT_TCP_CLOSE_WAIT; }

/* The counts every transition keeps: TCBs per state, RFC 4022's
 * tcpCurrEstab. */
static void count_move(gt_stack *s, uint8_t from, uint8_t to)
{
	if (is_estab(from) && !is_estab(to))
		s->st.TcpCurrEstab--;
	else if (!is_estab(from) && is_estab(to))
		s->st.TcpCurrEstab++;
	s->conns_by_state[from]--;
	s->conns_by_state[to]++;
}

void tcp_set_state(gt_stack *s, struct tcp_conn *c, uint8_t st, const char *why)
{
	uint8_t old = c->state;
	if (old == st)
		return;
	if (c->dead) {
		tcp_bug(s, c, "state change of a freed TCB");
		return;
	}
	if (!tcp_state_legal(old, st))
		tcp_bug(s, c, "illegal state transition");
	/* The byte is reno_rtx from the handshake's end on (tcp.h); a
	 * simultaneous open's SYN_RECEIVED still counts its SYN-ACKs by it. */
	if ((old == GT_TCP_SYN_SENT && st != GT_TCP_SYN_RECEIVED) ||
	    (old == GT_TCP_SYN_RECEIVED && !c->passive))
		c->syn_count = 0;
	/* defer_acked is tcp_tfo_syn() in SYN_SENT; only the SYN-ACK that
	 * acknowledges the SYN's data makes it syn_data_acked
	 * (tcp_fastopen_synack(), before ESTABLISHED). */
	if (old == GT_TCP_SYN_SENT && st != GT_TCP_ESTABLISHED)
		c->defer_acked = false;
	count_move(s, old, st);
	c->state = st;
	if (tcp_keepalive_timer_on(s, c) && !(c->keep_at != TCP_TIMER_NONE && s->cfg.keepalive_model == GT_KEEPALIVE_FREEBSD &&
					 tcp_keepalive_state(s, old) && tcp_keepalive_state(s, st))) {
		/* RFC 1122 4.2.3.6: keepalive runs in the synchronized states
		 * where data may be idle; it starts and stops with them.
		 * FreeBSD's TT_KEEP runs on from ESTABLISHED into FIN_WAIT_1
		 * or CLOSING, its idle time from the last segment received
		 * (t_rcvtime), not from the state change. */
		tcp_keepalive_arm(s, c);
		tcp_timers_update(s, c);
	}
	if (stack_tracing(s)) {
		struct gt_trace_event ev = {
			.type = GT_TRACE_STATE, .now_us = s->now_us,
			.laddr6 = c->laddr, .faddr6 = c->faddr, .lport = c->lport, .fport = c->fport,
			.a = old, .b = st, .reason = why,
		};
		stack_trace(s, &ev);
	}
	tcp_conn_mark(s, c);
}

void tcp_state_handoff(gt_stack *s, struct tcp_conn *c)
{
	if (c->state != GT_TCP_TIME_WAIT) {
		tcp_bug(s, c, "TIME_WAIT hand-off from another state");
		return;
	}
	count_move(s, GT_TCP_TIME_WAIT, GT_TCP_CLOSED);
	c->state = GT_TCP_CLOSED;
}
