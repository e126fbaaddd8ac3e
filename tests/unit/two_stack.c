/* Two stacks ferried by the test: two_stack.h. */
#include "two_stack.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

void ts_q_reset(struct ts_q *q)
{
	if (!q->pkt)
		q->pkt = malloc(sizeof(*q->pkt) * TS_QMAX);
	ASSERT(q->pkt != NULL);
	q->n = 0;
}

void ts_q_push(struct ts_q *q, const uint8_t *p, size_t len, uint16_t gso)
{
	ASSERT(q->n < TS_QMAX && len <= TS_PKT_MAX);
	memcpy(q->pkt[q->n], p, len);
	q->len[q->n] = len;
	q->gso[q->n++] = gso;
}

const uint8_t *ts_join(const struct gt_iovec *iov, int n, size_t *len)
{
	static uint8_t join[TS_PKT_MAX];
	int l = gt_iovec_join(join, sizeof(join), iov, n);
	ASSERT(l > 0);
	*len = (size_t)l;
	return join;
}

void ts_ferry(gt_stack *to, struct ts_q *q, uint64_t now_us)
{
	static uint8_t (*copy)[TS_PKT_MAX];
	static size_t len[TS_QMAX];
	static uint16_t gso[TS_QMAX];
	if (!copy)
		copy = malloc(sizeof(*copy) * TS_QMAX);
	ASSERT(copy != NULL);
	size_t n = q->n;
	q->n = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(copy[i], q->pkt[i], q->len[i]);
		len[i] = q->len[i];
		gso[i] = q->gso[i];
	}
	for (size_t i = 0; i < n; i++)
		gt_stack_input_gso(to, now_us, copy[i], len[i], gso[i]);
}

void ts_transfer(gt_stack *a, int sd, struct ts_q *qa, gt_stack *b, int lsd, struct ts_q *qb,
		 uint64_t *now_us, uint32_t total)
{
	uint8_t *data = malloc(total), *got = malloc(total);
	ASSERT(data && got);
	for (uint32_t i = 0; i < total; i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	uint32_t sent = 0, rcvd = 0;
	int csd = -1;
	for (int round = 0; round < 20000 && rcvd < total; round++) {
		*now_us += 200;
		ts_ferry(b, qa, *now_us);
		ts_ferry(a, qb, *now_us);
		if (csd < 0)
			csd = gt_accept(b, lsd, NULL);
		if (sent < total) {
			ssize_t w = gt_send(a, sd, data + sent, total - sent, 0);
			if (w > 0)
				sent += (uint32_t)w;
		}
		if (csd >= 0) {
			ssize_t r;
			while ((r = gt_recv(b, csd, got + rcvd, total - rcvd, 0)) > 0)
				rcvd += (uint32_t)r;
		}
		gt_stack_poll(a, *now_us);
		gt_stack_poll(b, *now_us);
	}
	ASSERT_EQ(rcvd, total);
	ASSERT_EQ(memcmp(got, data, total), 0);
	free(data);
	free(got);
}
