/* Two stacks in one process, packets ferried between them by the test:
 * each end's device queues what its stack sends (after the test's own
 * look at it), and ts_ferry() hands the queue to the other stack with each
 * packet's gso_size. Shared by the unit tests that need a real peer stack
 * rather than scripted segments (test_tso_gso_size.c,
 * test_recovery_edge_creep.c). */
#ifndef GT_TESTS_UNIT_TWO_STACK_H
#define GT_TESTS_UNIT_TWO_STACK_H

#include <stdint.h>
#include <stddef.h>

#include <glasstcp/glasstcp.h>

#define TS_QMAX 512
#define TS_PKT_MAX 65600

struct ts_q {
	uint8_t (*pkt)[TS_PKT_MAX]; /* TS_QMAX packets, allocated by ts_q_reset() */
	size_t len[TS_QMAX];
	uint16_t gso[TS_QMAX];
	size_t n;
};

/* Empties q, allocating its packets the first time. */
void ts_q_reset(struct ts_q *q);
/* Queues a copy of one packet (gso 0: a plain one). */
void ts_q_push(struct ts_q *q, const uint8_t *p, size_t len, uint16_t gso);
/* Joins a gather transmit's pieces into one packet, *len bytes, valid
 * until the next call. */
const uint8_t *ts_join(const struct gt_iovec *iov, int n, size_t *len);
/* Hands everything q holds to stack `to` at now_us, q emptied first (the
 * stack's answers queue behind). */
void ts_ferry(gt_stack *to, struct ts_q *q, uint64_t now_us);
/* Stack a's socket sd, connecting to b's listener lsd, sends total bytes of
 * a pattern; b accepts and reads them. Runs ferrying qa to b and qb to a
 * every 200 us of *now_us until all arrived (at most 20,000 rounds), and
 * asserts they arrived intact. */
void ts_transfer(gt_stack *a, int sd, struct ts_q *qa, gt_stack *b, int lsd, struct ts_q *qb,
		 uint64_t *now_us, uint32_t total);

#endif
