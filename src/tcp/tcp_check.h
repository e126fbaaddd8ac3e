/* Internal: the whole-stack invariant checker, for the dialogue tests (after
 * every input and poll), the swarm (after every simulator event) and the
 * fuzzers. Not part of the public API. It walks every TCB, socket, listener
 * and the timer heap and checks the invariants written at the head of tcp.h
 * and tcp_check.c, and fails when the stack recorded an internal error
 * (tcp_bug: a double free, an illegal state transition). It runs in every
 * build, Release included; it is not on any hot path. (tcp_conn_assert() is
 * the other checker: the per-TCB asserts on the input path, debug builds
 * only.) */
#ifndef GT_TCP_CHECK_H
#define GT_TCP_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <glasstcp/stack.h>

/* True when every invariant holds; otherwise false, with the first broken
 * one described in why (why_len bytes, NUL-terminated). */
bool tcp_check_all(gt_stack *s, char *why, size_t why_len);

/* True when the stack holds a TCB or a TIME_WAIT entry for the 4-tuple
 * (host byte order). */
bool tcp_check_has_tuple(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			 uint16_t fport);
/* The same for a tuple of either family (IPv4 as ::ffff:a.b.c.d). */
bool tcp_check_has_tuple6(gt_stack *s, const struct gt_in6_addr *laddr, uint16_t lport,
			  const struct gt_in6_addr *faddr, uint16_t fport);
/* The state of the stack's TCB for the 4-tuple (GT_TCP_TIME_WAIT for a
 * TIME_WAIT entry), or -1 when it holds none. */
int tcp_check_tuple_state6(gt_stack *s, const struct gt_in6_addr *laddr, uint16_t lport,
			   const struct gt_in6_addr *faddr, uint16_t fport);

#endif
