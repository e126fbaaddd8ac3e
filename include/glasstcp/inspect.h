/* glasstcp: a listing of every socket and connection of a stack at one
 * moment, like `ss -tanoi`: state, addresses, queues, the next timer, and the
 * TCP_INFO statistics of each connection. Read-only; costs nothing when not
 * called. */
#ifndef GLASSTCP_INSPECT_H
#define GLASSTCP_INSPECT_H

#include <glasstcp/socket.h>
#include <glasstcp/stats.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gt_sock_entry {
	uint8_t state;             /* enum gt_tcp_state */
	int sd;                    /* descriptor, -1 when orphaned or TIME_WAIT */
	struct gt_sockaddr local, peer;
	/* As ss prints them: a connection's bytes not yet read / not yet
	 * acknowledged; a listener's accept queue length / its backlog. */
	uint32_t recv_q, send_q;
	bool timer_on;
	uint8_t timer;             /* enum gt_trace_timer: the earliest armed */
	uint64_t timer_at_us;      /* its deadline, in stack time */
	uint32_t backoff;          /* RTO doublings in a row (ss's third timer field) */
	struct gt_tcp_info info;   /* zero for listeners and TIME_WAIT entries */
};

/* Writes up to max entries (listeners, then connections, then TIME_WAIT
 * entries in deadline order) and returns how many exist, which may be more
 * than max. Never fails. */
size_t gt_stack_list(gt_stack *stack, struct gt_sock_entry *out, size_t max);

#ifdef __cplusplus
}
#endif
#endif
