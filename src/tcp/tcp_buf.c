/* Buffer memory: the rings of a TCB get memory when data comes and give it
 * back when they empty (an idle connection holds none), within
 * cfg.max_buffer_bytes, through a small cache of emptied buffers. */
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"

/* The buffer cache: a free() and a malloc() of a 256 KiB ring each time a
 * request/response connection empties and refills a buffer cost more than
 * the segment itself (bench_latency), so emptied buffers wait here, bounded
 * by cfg.buffer_cache_bytes, for the next ring of the same capacity.
 *
 * A bulk receiver's autotuned ring (up to tcp_rmem[2], 6 MiB) is larger
 * than that bound, and the application that keeps up empties it after
 * nearly every segment batch: freed and allocated again one segment
 * later, megabytes each time (under ASan, mapped, poisoned and faulted in
 * afresh: a simulated 1 Gbit/s transfer spent three quarters of its time
 * there). Above the bound the cache holds buffers for
 * cfg.buffer_cache_hold_us, within cfg.buffer_cache_hold_bytes, then
 * frees them (tcp_buf_cache_expire()).
 *
 * That hold is never less than one ring of buf_max_bytes, the largest a
 * ring grows to (autotuning's and SO_RCVBUF's ceiling): tcp_rmem[2] raises
 * buf_max_bytes past the 16 MiB default hold, and a ring bigger than the
 * hold went back to free() every time it emptied. With tcp_rmem[2] 32 MiB
 * (scenario.reass_big_bdp_overshoot_keeps_every_hole) that was 37,000
 * mmap()s of 32 MiB in one simulated second (strace -e trace=mmap
 * ./build/tests/gt_test_scenario reass_big_bdp_overshoot_keeps_every_hole):
 * 14 to 18 s in the plain build, 1 s with the hold; under ASan, which maps,
 * poisons and faults in each afresh, 1,263 s, 12 s with the hold (ctest
 * --test-dir build-asan -R reass_big_bdp; 3 Dec 2026, load 20). */
uint64_t tcp_buf_cache_bound(const gt_stack *s)
{
	uint64_t bound = s->cfg.buffer_cache_bytes;
	if (s->cfg.buffer_cache_hold_bytes <= bound)
		return bound; /* no hold */
	bound = s->cfg.buffer_cache_hold_bytes;
	return s->cfg.buf_max_bytes > bound ? s->cfg.buf_max_bytes : bound;
}

static uint8_t *buf_cache_get(gt_stack *s, uint32_t cap)
{
	for (uint32_t i = s->buf_cache_n; i-- > 0;) {
		if (s->buf_cache[i].cap != cap)
			continue;
		uint8_t *b = s->buf_cache[i].buf;
		s->buf_cache_n--;
		memmove(&s->buf_cache[i], &s->buf_cache[i + 1],
			(s->buf_cache_n - i) * sizeof(s->buf_cache[0]));
		s->buf_cache_bytes -= cap;
		return b;
	}
	return NULL;
}

static void buf_cache_put(gt_stack *s, uint8_t *b, uint32_t cap)
{
	if (s->buf_cache_n == GT_BUF_CACHE_SLOTS ||
	    s->buf_cache_bytes + cap > tcp_buf_cache_bound(s)) {
		free(b);
		return;
	}
	s->buf_cache[s->buf_cache_n].buf = b;
	s->buf_cache[s->buf_cache_n].cap = cap;
	s->buf_cache[s->buf_cache_n].put_us = s->now_us;
	s->buf_cache_n++;
	s->buf_cache_bytes += cap;
}

void tcp_buf_cache_trim(gt_stack *s, uint64_t max_bytes)
{
	while (s->buf_cache_n && s->buf_cache_bytes > max_bytes) {
		s->buf_cache_n--;
		free(s->buf_cache[s->buf_cache_n].buf);
		s->buf_cache_bytes -= s->buf_cache[s->buf_cache_n].cap;
	}
}

/* The stack of buffers is in emptying order (buf_cache_get() keeps the
 * order when it takes one out), so the oldest is at the bottom. */
void tcp_buf_cache_expire(gt_stack *s, uint64_t now_us)
{
	uint32_t n = 0;
	uint64_t bytes = s->buf_cache_bytes;
	while (n < s->buf_cache_n && bytes > s->cfg.buffer_cache_bytes &&
	       s->buf_cache[n].put_us + s->cfg.buffer_cache_hold_us <= now_us) {
		free(s->buf_cache[n].buf);
		bytes -= s->buf_cache[n].cap;
		s->st.TcpBufCacheExpired++;
		n++;
	}
	if (!n)
		return;
	s->buf_cache_n -= n;
	memmove(&s->buf_cache[0], &s->buf_cache[n], s->buf_cache_n * sizeof(s->buf_cache[0]));
	s->buf_cache_bytes = bytes;
}

uint64_t tcp_buf_cache_deadline(const gt_stack *s)
{
	if (!s->buf_cache_n || s->buf_cache_bytes <= s->cfg.buffer_cache_bytes)
		return UINT64_MAX;
	return s->buf_cache[0].put_us + s->cfg.buffer_cache_hold_us;
}

/* Takes r's memory away (r reads as unallocated) into the cache. */
static void ring_to_cache(gt_stack *s, struct ring *r)
{
	if (!r->buf)
		return;
	buf_cache_put(s, r->buf, r->cap);
	r->buf = NULL;
	r->head = r->len = 0;
}

void tcp_buffers_release(gt_stack *s, struct tcp_conn *c)
{
	tcp_reass_free(c);
	tcp_sack_free(c);
	tcp_rack_free(c);
	tcp_psh_free(c);
	tcp_cc_cubic_release(c);
	c->nooo = c->nsacked = 0;
	s->buffer_bytes -= (c->snd.buf ? (uint64_t)c->snd.cap : 0) +
			   (c->rcv.buf ? (uint64_t)c->rcv.cap : 0);
	ring_to_cache(s, &c->snd);
	ring_to_cache(s, &c->rcv);
	c->snd.cap = c->rcv.cap = c->snd.over = 0;
}

/* r's memory, from the cache or allocated, charged to the budget. */
static int ring_take(gt_stack *s, struct ring *r)
{
	uint8_t *b = r->cap ? buf_cache_get(s, r->cap) : NULL;
	if (b) {
		r->buf = b;
		r->head = 0;
	} else if (ring_reserve(r) < 0) {
		s->st.TcpBufLimit++;
		return -ENOBUFS;
	}
	s->buffer_bytes += r->cap;
	return 0;
}

int tcp_ring_reserve(gt_stack *s, struct ring *r)
{
	if (r->buf)
		return 0;
	if (s->buffer_bytes + r->cap > s->cfg.max_buffer_bytes) {
		s->st.TcpBufLimit++;
		return -ENOBUFS;
	}
	return ring_take(s, r);
}

int tcp_ring_reserve_forced(gt_stack *s, struct ring *r)
{
	if (r->buf)
		return 0;
	if (s->buffer_bytes + r->cap <= s->cfg.max_buffer_bytes)
		return tcp_ring_reserve(s, r);
	int e = ring_take(s, r);
	if (!e)
		s->st.TcpBufForced++;
	return e;
}

int tcp_ring_resize(gt_stack *s, struct ring *r, uint32_t cap)
{
	return tcp_ring_resize_keep(s, r, cap, r->len);
}

int tcp_ring_resize_keep(gt_stack *s, struct ring *r, uint32_t cap, uint32_t keep)
{
	bool held = r->buf != NULL;
	uint32_t old = r->cap;
	if (held && cap > old && s->buffer_bytes + (cap - old) > s->cfg.max_buffer_bytes) {
		s->st.TcpBufLimit++;
		return -ENOBUFS;
	}
	if (ring_resize_keep(r, cap, keep) < 0)
		return -ENOBUFS;
	if (held) {
		s->buffer_bytes += cap;
		s->buffer_bytes -= old;
	}
	return 0;
}

/* A ring larger than the whole budget is never granted (tcp_ring_reserve):
 * its connection would drop every segment (TcpBufLimit) and never fail,
 * stuck for ever (swarm seed 916 before 1ba231d). Linux clamps SO_RCVBUF
 * and SO_SNDBUF to rmem_max and wmem_max (sock_setsockopt()); here the
 * ceiling is the budget's half, as autotuning's (tcp_autotune.c). */
uint32_t tcp_buf_clamp(gt_stack *s, uint32_t bytes)
{
	uint64_t max = s->cfg.max_buffer_bytes / 2;
	if (bytes <= max)
		return bytes;
	s->st.TcpBufClamped++;
	return (uint32_t)max;
}

void tcp_ring_release(gt_stack *s, struct ring *r)
{
	if (!r->buf || r->len)
		return;
	s->buffer_bytes -= r->cap;
	ring_to_cache(s, r);
}

/* One rule for FreeBSD's three ways of freeing received data: close()'s
 * tcp_disconnect() (sbflush()), shutdown(SHUT_RD)'s sorflush(), and the
 * data that arrives after either (tcp_do_segment() and tcp_reass(): with
 * SBS_CANTRCVMORE, m_freem() instead of sbappendstream()). What is held
 * out of order is not in so_rcv but in the TCB's reassembly queue, freed
 * only as it joins; a simultaneous open's SYN text waits there too until
 * ESTABLISHED (tcp_do_segment(): not TCPS_HAVEESTABLISHED, no tfo_syn,
 * so tcp_reass()). Here both lie in the ring past its tail, so its memory
 * stays while either is held. */
void tcp_rcv_drop_unread(gt_stack *s, struct tcp_conn *c)
{
	uint32_t n = ring_discard(&c->rcv, c->rcv.len);
	if (!n)
		return;
	tcp_rcv_rmem_taken(c, n);
	if (!c->nooo && !c->syn_data_len)
		tcp_rcv_ring_release(s, c);
}

/* Linux 6.18's tcp_data_queue() queues the segment at RCV.NXT that finds
 * sk_receive_queue empty whatever its length: tcp_sequence() let its end
 * pass the window ("Only accept this packet if receive queue is empty"),
 * and when tcp_try_rmem_schedule() refuses its memory
 * sk_forced_mem_schedule() grants it. Here the ring grows to hold it and
 * what is parked out of order past it, at most one IP packet's payload
 * (TCP_RCV_WHOLE_MAX) and half the budget (tcp_buf_clamp()'s ceiling);
 * while the ring holds memory the growth stays within the budget
 * (tcp_ring_resize_keep(), TcpBufLimit), an unheld ring is granted by
 * tcp_ring_reserve_forced() as before (TcpBufForced). The buffer the
 * window rules read stays what it was (rcv_low, rcvbuf_low), as Linux's
 * sk_rcvbuf does while sk_rmem_alloc passes it: the window offered is 0
 * until the reader frees the memory, and the ring goes back to the
 * buffer's size when it empties (tcp_rcv_ring_release()). */
int tcp_rcv_ring_take_whole(gt_stack *s, struct tcp_conn *c, uint32_t len)
{
	struct ring *r = &c->rcv;
	uint32_t ooo = c->nooo ? c->ooo[c->nooo - 1].right - c->rcv_nxt : 0;
	uint32_t need = (len > ooo ? len : ooo) + tcp_rcv_slack(c);
	if (r->len || need <= r->cap)
		return 0;
	if (len > TCP_RCV_WHOLE_MAX || need > s->cfg.max_buffer_bytes / 2) {
		s->st.TcpRcvRingWholeRefused++;
		return -ENOBUFS;
	}
	bool was_low = c->rcv_low;
	if (!was_low && tcp_rcvbuf_lower(s, c, tcp_rcvbuf(c)) < 0) {
		s->st.TcpRcvRingWholeRefused++;
		return -ENOBUFS;
	}
	if (tcp_ring_resize_keep(s, r, need, ooo) < 0) {
		c->rcv_low = was_low; /* the ring kept its size: the buffer is it */
		s->st.TcpRcvRingWholeRefused++;
		return -ENOBUFS;
	}
	s->st.TcpRcvRingWhole++;
	return 0;
}

void tcp_rcv_ring_release(gt_stack *s, struct tcp_conn *c)
{
	tcp_ring_release(s, &c->rcv);
	if (!c->rcv_low || c->rcv.len || c->nooo)
		return;
	/* Emptied, a lowered buffer's ring goes back to the buffer once the
	 * window offered fits it (neither kernel takes back an edge it
	 * offered, save Linux's ICSK_ACK_NOMEM); an edge RCV.NXT has passed
	 * (a segment taken whole past it) offers nothing. */
	uint32_t buf = tcp_rcvbuf(c), slack = tcp_rcv_slack(c);
	if (seq_gt(c->rcv_adv, c->rcv_nxt + buf) || tcp_ring_resize(s, &c->rcv, buf + slack) < 0)
		return;
	c->rcv_low = 0;
}

void tcp_snd_ring_release(gt_stack *s, struct tcp_conn *c)
{
	tcp_ring_release(s, &c->snd);
	if (c->snd.buf)
		return;
	/* Emptied, the Linux profile's send ring is SO_SNDBUF again
	 * (tcp_lx_ring_fit()). */
	c->snd.cap -= c->snd.over;
	c->snd.over = 0;
}
