/* Internal: a whole-stack consistency check for tests and the swarm
 * (sim/swarm.c). Not part of the public API. It walks every TCB, socket and
 * the timer heap and checks the invariants written at the head of tcp.h and
 * tcp_check.c. Debug builds only: with NDEBUG it checks nothing. */
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

#endif
