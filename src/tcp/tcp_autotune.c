/* Buffer autotuning. The send buffer, as Linux's tcp_sndbuf_expand()
 * (net/ipv4/tcp_input.c): when the buffer, not cwnd, holds the sender
 * back, it grows to 2 x max(cwnd, 10) segments of a worst-case skb's
 * truesize each, up to sndbuf_max_bytes and while the stack's buffers stay
 * under half of max_buffer_bytes (Linux's memory pressure, tcp_mem[0]),
 * counted in TcpSndBufGrown, never for a socket that set SO_SNDBUF. The
 * Linux profile does it on skbs as Linux does (lx_sndbuf_expand(), with
 * its send buffer counted by skb, tcp_lx_sndbuf()); a configuration
 * without that accounting grows the buffer to twice cwnd in bytes
 * whenever an ACK finds cwnd not filled (tcp_autotune_snd()).
 *
 * Receive-buffer autotuning, as Linux 6.18's dynamic right-sizing
 * (tcp_rcv_space_adjust(), tcp_rcvbuf_grow(), tcp_rcv_rtt_update() and
 * tcp_rcv_rtt_measure_ts() in net/ipv4/tcp_input.c, after the 2025
 * "tcp: receive side improvements" series and "tcp: fix too slow
 * tcp_rcvbuf_grow() action"): once per receiver RTT, count what the
 * application read, less what still waits to be read; when that is more
 * than the last measurement, the window becomes twice it plus twice its
 * growth in proportion, and the buffer that window at the scaling ratio.
 * Data held out of order adds its extent, and is provided for as it
 * arrives (tcp_data_queue_ofo()), not only when the application reads.
 * The window then grows from one ACK to the next, as a Linux receiver's
 * does. Bounded by rcvbuf_max_bytes and max_buffer_bytes (TcpBufLimit),
 * counted in TcpRcvBufGrown; off for a socket that set SO_RCVBUF, as
 * Linux locks it. Checked against Linux 6.18 with glasstcp pktrun
 * --kernel: tests/pkt/linux/rcvbuf-grow-*.pkt.
 *
 * The FreeBSD profile sizes by FreeBSD's rule instead (buf_autosize_bsd;
 * tcp_autorcvbuf() in sys/netinet/tcp_input.c, FreeBSD 12): a measurement
 * starts when a segment goes out (tcp_output() sets rfbuf_ts); in-order
 * data arriving with nothing out of order adds up, and once more than half
 * an SRTT has passed, if it came to more than 3/8 of the buffer (FreeBSD:
 * rfbuf_cnt > sb_hiwat / 2 / 4 * 3), the buffer grows by half, up to
 * rcvbuf_max_bytes (net.inet.tcp.recvbuf_max, 2 MiB); either way the next
 * measurement starts with the next segment sent. FreeBSD measures in its
 * header-prediction path only (in order, reassembly queue empty); a loss
 * or reordering pauses the growth, as there. What the application reads
 * plays no part. */
#include "tcp/tcp.h"

static uint32_t now_ms(const gt_stack *s) { return (uint32_t)(s->now_us / 1000); }

#define RCV_RTT_MAX_US ((1u << 24) - 1) /* rcv_rtt_us's width: 16.7 s */

/* Bytes the application has read so far, modulo 2^32. */
static uint32_t bytes_read(const struct tcp_conn *c)
{
	return (uint32_t)(c->cnt.bytes_received - c->rcv.len);
}

/* Linux's tcp_sndbuf_expand() (net/ipv4/tcp_input.c) for the send buffer
 * on skbs (tcp_lx_sndbuf()), a socket that never set SO_SNDBUF: sk_sndbuf
 * rises to 2 x max(10, cwnd, reordering + 1) segments (tp->reordering,
 * tcp_reordering() here; sndbuf-auto-reordering) (the factor cubic's and reno's,
 * no ca_ops->sndbuf_expand) of a worst-case skb each, roundup_pow_of_two(
 * max(mss_clamp, mss_cache) + 512) + 256, never falls, and stops at
 * tcp_wmem[2] (sndbuf_max_bytes). The 512 (MAX_TCP_HEADER and
 * SKB_DATA_ALIGN(sizeof(struct skb_shared_info))) and 256
 * (SKB_DATA_ALIGN(sizeof(struct sk_buff))) are Linux 6.18's on x86-64,
 * read back with getsockopt(SO_SNDBUF) under pktrun --kernel: a peer MSS
 * of 1536 gives 46080 (2 x 10 x 2304), 1537 gives 87040 (2 x 10 x 4352;
 * sndbuf-auto-*.pkt). The send ring follows: a larger sk_sndbuf is a
 * larger ring capacity, memory only while data is queued (a held ring
 * grows with room for one size goal more, TCP_LX_GOAL_MAX, so that the
 * per-ACK steps do not each move its bytes). Not under memory pressure
 * (Linux: tcp_under_memory_pressure()): growth that would take the
 * stack's buffers past half of max_buffer_bytes is withheld and counted
 * (TcpSndBufHeld); a size past that half is cut (TcpBufClamped). */
static void lx_sndbuf_expand(gt_stack *s, struct tcp_conn *c)
{
	uint32_t mss = c->peer_mss > c->mss ? c->peer_mss : c->mss;
	uint32_t per_mss = 1;
	while (per_mss < mss + 512u)
		per_mss <<= 1;
	per_mss += 256;
	/* nr_segs: max(TCP_INIT_CWND, cwnd, tp->reordering + 1). */
	uint32_t segs = c->mss ? c->cwnd / c->mss : 0, reo = tcp_reordering(s, c) + 1u;
	segs = segs > 10 ? segs : 10;
	segs = segs > reo ? segs : reo;
	uint64_t want = 2ull * segs * per_mss;
	uint32_t sndbuf = tcp_sndbuf(c);
	if (want <= sndbuf)
		return;
	if (want > s->cfg.sndbuf_max_bytes)
		want = s->cfg.sndbuf_max_bytes;
	want = tcp_buf_clamp(s, (uint32_t)want);
	if (want <= sndbuf)
		return;
	struct ring *r = &c->snd;
	/* An allocated ring keeps a size goal of room past the buffer
	 * (tcp_lx_ring_fit()), grown here with it rather than by the writes. */
	if (r->cap >= want + (r->buf ? TCP_LX_GOAL_MAX : 0)) {
		r->over = r->cap - (uint32_t)want; /* room the ring already has */
	} else {
		uint64_t need = want + (r->buf ? TCP_LX_GOAL_MAX : r->over), cap = need;
		/* The ring grows by half at least: a buffer that follows
		 * cwnd through slow start grows on nearly every ACK, and each
		 * resize copies the ring (ring_resize_keep() and its page
		 * faults were a third of `glasstcp serve`'s CPU, sending at
		 * half the speed). The accounting stays `want` (over). */
		uint64_t geo = (uint64_t)r->cap + r->cap / 2,
			 top = (uint64_t)s->cfg.sndbuf_max_bytes + TCP_LX_GOAL_MAX;
		if (r->buf && geo > cap)
			cap = geo < top ? geo : (need > top ? need : top);
		uint64_t budget = s->cfg.max_buffer_bytes / 2;
		if (r->buf && s->buffer_bytes + (cap - r->cap) > budget)
			cap = need;
		if (r->buf && s->buffer_bytes + (cap - r->cap) > budget)
			cap = want + r->over;
		if (r->buf && s->buffer_bytes + (cap - r->cap) > budget) {
			s->st.TcpSndBufHeld++;
			return;
		}
		if (tcp_ring_resize(s, r, (uint32_t)cap) < 0)
			return;
		r->over = (uint32_t)(cap - want);
	}
	s->st.TcpSndBufGrown++;
}

void tcp_autotune_lx_space(gt_stack *s, struct tcp_conn *c)
{
	if (!c->lx_nospace || !tcp_lx_sndbuf(s, c))
		return;
	/* tcp_should_expand_sndbuf(): not while what is in flight fills
	 * cwnd. Linux asks after the output an ACK allowed
	 * (tcp_data_snd_check(): tcp_push_pending_frames(), then
	 * tcp_check_space()) and as each skb of new data goes out
	 * (tcp_event_new_data_sent(), since 5.19), so a buffer grows after
	 * an ACK that grew cwnd unless the first unit sent fills it
	 * (sndbuf-auto-slow-start). */
	if (s->cfg.sndbuf_autotune && !c->sndbuf_locked && tcp_flight(c) < c->cwnd)
		lx_sndbuf_expand(s, c);
	/* sk_stream_write_space(): writable again, the flag goes. */
	if (tcp_lx_writable(c, s->cfg.sndbuf_skb_overhead))
		c->lx_nospace = false;
}

void tcp_autotune_init(gt_stack *s, struct tcp_conn *c)
{
	/* Linux's tcp_init_buffer_space(): an unlocked send buffer is
	 * expanded as the handshake ends. */
	if (s->cfg.sndbuf_autotune && !c->sndbuf_locked && tcp_lx_sndbuf(s, c))
		lx_sndbuf_expand(s, c);
	/* Linux's tcp_init_buffer_space(): the first measure is what ten
	 * segments (the initial window) bring, of advmss: the MSS announced
	 * less the timestamp option when it is on (6.18 takes it off before,
	 * not after, for a passive open too: 14,480). */
	if (s->cfg.buf_autosize_bsd) {
		/* FreeBSD's: no measurement until a segment goes out. */
		c->rcv_space = c->rcv_space_read = c->rcv_space_ms = 0;
		return;
	}
	uint32_t ten = 10u * (c->rcv_mss - (c->ts_ok ? 12u : 0u));
	uint32_t wnd = s->cfg.rcv_wnd_linux ? c->rcv.cap / 2 : tcp_rcvbuf(c);
	if (s->cfg.rcv_wnd_linux) {
		/* min3(tp->rcv_ssthresh, tp->rcv_wnd, TCP_INIT_CWND *
		 * tp->advmss), rcv_ssthresh lowered to the window clamp that
		 * reserves one segment ("force reservation of one segment"). */
		uint32_t adv = c->rcv_mss - (c->ts_ok ? 12u : 0u);
		uint32_t r = c->rcv_ratio ? c->rcv_ratio : 128u;
		uint32_t full = (uint32_t)((uint64_t)tcp_rcvbuf(c) * r >> 8);
		uint32_t most = 65535u << (c->ws_ok ? c->rcv_wscale : 0);
		uint32_t clamp = full < most ? full : most;
		if (clamp > 2 * adv && clamp + adv > full)
			clamp = full - adv > 2 * adv ? full - adv : 2 * adv;
		wnd = c->rcv_ssthresh < c->rcv_wnd ? c->rcv_ssthresh : c->rcv_wnd;
		wnd = wnd < clamp ? wnd : clamp;
	}
	c->rcv_space = wnd < ten ? wnd : ten;
	c->rcv_space_read = bytes_read(c);
	c->rcv_space_ms = now_ms(s);
}

void tcp_autotune_rtt(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o, uint32_t len)
{
	/* The TSecr of a data segment echoes the TSval of an ACK of ours: the
	 * time since is one round trip as the receiver sees it. Linux 6.18's
	 * tcp_rcv_rtt_measure_ts(): one sample per TSecr, from a segment of
	 * at least the peer's segment size (icsk_ack.rcv_mss), none from a
	 * 0 ms difference (millisecond TSvals cannot time a sub-ms path). Its
	 * tcp_rcv_rtt_update(): a smaller sample is taken at once, a larger
	 * one smoothed with gain 1/8, and only while nothing in order waits
	 * to be read (a full queue measures the application, not the path). */
	if (!c->ts_ok || !o->has_ts || !o->ts_ecr)
		return;
	if ((uint8_t)o->ts_ecr == c->rcv_rtt_tsecr_lo)
		return;
	c->rcv_rtt_tsecr_lo = (uint8_t)o->ts_ecr;
	uint32_t seg = c->ack_rcv_mss ? c->ack_rcv_mss : (c->rcv_mss < 536 ? c->rcv_mss : 536);
	if (len < seg)
		return;
	int32_t ms = (int32_t)(tcp_now_ts(s, c) - o->ts_ecr);
	if (ms <= 0 || ms > 600000)
		return;
	uint32_t us = (uint32_t)ms * 1000u;
	if (us > RCV_RTT_MAX_US)
		us = RCV_RTT_MAX_US;
	if (!c->rcv_rtt_us || us < c->rcv_rtt_us)
		c->rcv_rtt_us = us;
	else if (!c->rcv.len)
		c->rcv_rtt_us += (us - c->rcv_rtt_us) / 8;
}

static bool lx_rcvbuf_tuned(const gt_stack *s, const struct tcp_conn *c);

void tcp_autotune_rtt_window(gt_stack *s, struct tcp_conn *c, uint32_t us)
{
	/* tcp_rcv_rtt_update(..., win_dep 1): "since we are only going for
	 * a minimum in the non-timestamp case, we do not smooth". */
	if (!lx_rcvbuf_tuned(s, c))
		return;
	if (!us)
		us = 1;
	if (us > RCV_RTT_MAX_US)
		us = RCV_RTT_MAX_US;
	if (!c->rcv_rtt_us || us < c->rcv_rtt_us)
		c->rcv_rtt_us = us;
}

/* The receive buffer becomes want bytes, keep of them held. While the
 * ring is larger than the buffer (rcv_low: an in-order segment taken
 * whole, tcp_rcv_ring_take_whole()), the buffer grows within the ring,
 * and the ring only past it. */
static bool rcvbuf_set(gt_stack *s, struct tcp_conn *c, uint32_t want, uint32_t keep)
{
	uint32_t cap = want + tcp_rcv_slack(c);
	if (c->rcv_low && cap <= c->rcv.cap)
		return tcp_rcvbuf_lower(s, c, want) == 0;
	if (tcp_ring_resize_keep(s, &c->rcv, cap, keep) < 0)
		return false;
	c->rcv_low = 0;
	return true;
}

/* Linux 6.18's tcp_rcvbuf_grow(): the last measure becomes newval; the
 * window is twice it ("DRS is always one RTT late"), plus twice its growth
 * over the measure before, in proportion ("slow start: allow the sender to
 * double its rate"; restored by "tcp: fix too slow tcp_rcvbuf_grow()
 * action", 6.18-rc, without the 16 x advmss cushion of the older
 * tcp_rcv_space_adjust()), plus what is held out of order
 * (ooo_last_skb's end - rcv_nxt). The buffer is that window at the scaling
 * ratio (tcp_space_from_win()), at most tcp_rmem[2] (rcvbuf_max_bytes),
 * and only grows; the window clamp follows. */
static void rcvbuf_grow(gt_stack *s, struct tcp_conn *c, uint32_t newval)
{
	uint32_t oldval = c->rcv_space;
	c->rcv_space = newval;
	uint64_t win = 2ull * newval;
	if (oldval && newval > oldval) {
		uint64_t grow = win * (newval - oldval) / oldval;
		win += 2 * grow;
	}
	uint32_t ooo = c->nooo ? c->ooo[c->nooo - 1].right - c->rcv_nxt : 0;
	win += ooo;
	/* With Linux's arithmetic the buffer is memory, the window at the
	 * scaling ratio (tcp_space_from_win(): twice it at the default
	 * ratio). */
	if (s->cfg.rcv_wnd_linux)
		win = (win << 8) / (c->rcv_ratio ? c->rcv_ratio : 128u);
	uint32_t max = s->cfg.rcvbuf_max_bytes;
	uint32_t want = win > max ? max : (uint32_t)win;
	/* Data parked out of order moves with the rest (ranges are clipped
	 * to the free space, so it fits). */
	uint32_t keep = c->rcv.len + ooo;
	if (want > tcp_rcvbuf(c) && !c->syn_data_len && rcvbuf_set(s, c, want, keep)) {
		s->st.TcpRcvBufGrown++;
		c->rcv_clamp_grown = true; /* "make the window clamp follow along" */
	}
}

/* tcp_set_rcvlowat(): a receive buffer the application did not size
 * grows to hold the mark, its window at the scaling ratio
 * (tcp_space_from_win()), and the window clamp follows; never shrinks. */
void tcp_autotune_lx_lowat(gt_stack *s, struct tcp_conn *c, uint32_t lowat)
{
	if (!s->cfg.rcv_wnd_linux || c->rcvbuf_locked || c->rcv_released)
		return;
	uint64_t space = ((uint64_t)lowat << 8) / (c->rcv_ratio ? c->rcv_ratio : 128u);
	uint32_t want = tcp_buf_clamp(s, space > UINT32_MAX ? UINT32_MAX : (uint32_t)space);
	uint32_t ooo = c->nooo ? c->ooo[c->nooo - 1].right - c->rcv_nxt : 0;
	if (want > tcp_rcvbuf(c) && !c->syn_data_len && rcvbuf_set(s, c, want, c->rcv.len + ooo))
		c->rcv_clamp_grown = true;
}

/* Linux 6.18's __tcp_select_window() (net/ipv4/tcp_output.c): "if
 * (unlikely(free_space < (full_space >> 1))) { icsk->icsk_ack.quick = 0;"
 * -- free_space tcp_space() (the buffer less the skb memory held, at the
 * scaling ratio), full_space min(window_clamp, tcp_full_space()). Reckoned
 * as tcp_output.c's lx_select_window() reckons them, for what is known
 * here: the memory of the data held in order (rcv.mem) with nothing held
 * out of order (whose skbs' memory tcp_output.c keeps), and the window
 * clamp of a measured ratio (tcp_measure_rcv_mss() ->
 * tcp_set_window_clamp(): the buffer's window, or the one it was held at,
 * at most what the scale can say, at least SOCK_MIN_RCVBUF / 2). */
bool tcp_autotune_lx_squeezed(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->nooo || !c->rcv_ratio)
		return false;
	uint32_t buf = tcp_rcvbuf(c), mem = c->rcv.mem;
	uint64_t allowed = (uint64_t)buf * c->rcv_ratio >> 8;
	uint64_t clamp = (uint64_t)(c->rcv_clamp_held ? c->rcv_space : buf) * c->rcv_ratio >> 8;
	uint64_t most = 65535ull << (c->ws_ok ? c->rcv_wscale : 0);
	clamp = clamp < most ? clamp : most;
	clamp = clamp > 2304 ? clamp : 2304;
	uint64_t full = clamp < allowed ? clamp : allowed;
	uint64_t free_b = buf > mem ? (uint64_t)(buf - mem) * c->rcv_ratio >> 8 : 0;
	/* With net.ipv4.tcp_shrink_window and a scale, the
	 * shrink_window_allowed path rounds the free space down to the scale
	 * before it asks ("free_space = round_down(free_space, 1 <<
	 * tp->rx_opt.rcv_wscale); if (free_space < (full_space >> 1)) {
	 * icsk->icsk_ack.quick = 0;"), as tcp_output.c's lx_select_window()
	 * does; the never-shrink path asks first and rounds after. */
	if (s->cfg.rcv_wnd_shrink && c->ws_ok && c->rcv_wscale)
		free_b = free_b >> c->rcv_wscale << c->rcv_wscale;
	return free_b < full / 2;
}

static bool lx_rcvbuf_tuned(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.rcvbuf_autotune && !s->cfg.buf_autosize_bsd && !c->rcvbuf_locked;
}

void tcp_autotune_read(gt_stack *s, struct tcp_conn *c, uint32_t n)
{
	if (!lx_rcvbuf_tuned(s, c))
		return;
	/* Linux's tcp_rcv_space_adjust(), once per receiver RTT, and never
	 * before a first sample (rcv_rtt_est.rtt_us 0): from a TSecr
	 * (tcp_autotune_rtt()) or, without timestamps, from the time a whole
	 * window took to come in (tcp_rcv_rtt_measure(),
	 * tcp_rcv_rtt_window() in tcp_output.c). No RTT of the sender's
	 * stands in: tests/pkt/linux/rcvbuf-grow-no-timestamps.pkt. */
	uint32_t rtt = c->rcv_rtt_us;
	if (!rtt || (uint64_t)(now_ms(s) - c->rcv_space_ms) * 1000 < rtt)
		return;
	/* tcp_recvmsg_locked() measures after each skb it copies: the first
	 * skb of a read ends the measurement, and the rest of the read counts
	 * toward the next. One segment of the peer's stands for the skb. */
	uint32_t seg = c->ack_rcv_mss ? c->ack_rcv_mss : c->rcv_mss;
	uint32_t rest = n > seg ? n - seg : 0;
	uint32_t upto = bytes_read(c) - rest;
	/* What was read in the last RTT, less what still waits to be read
	 * (6.18: "add receive queue awareness"). */
	int32_t copied = (int32_t)(upto - c->rcv_space_read - (c->rcv.len + rest));
	if (copied > 0 && (uint32_t)copied > c->rcv_space)
		rcvbuf_grow(s, c, (uint32_t)copied);
	c->rcv_space_read = upto;
	c->rcv_space_ms = now_ms(s);
}

void tcp_autotune_ofo(gt_stack *s, struct tcp_conn *c)
{
	/* Linux 6.18's tcp_data_queue_ofo() ends in tcp_rcvbuf_grow() with
	 * the last measure ("tcp: adjust rcvbuf in presence of reorders"):
	 * the buffer makes room for the out-of-order extent on top of twice
	 * what was read in the last measured RTT, at once, without waiting
	 * for the application. Only for a socket the application holds: "do
	 * not grow rcvbuf for not-yet-accepted or orphaned sockets" (if
	 * (sk->sk_socket), "tcp: refine sk_rcvbuf increase for ooo packets",
	 * 6.16), so that a listener's accept queue keeps tcp_rmem[1] a child
	 * (the selftests' tcp_ooo-before-and-after-accept.pkt;
	 * tests/pkt/linux/rcvbuf-ooo-not-grown-before-accept.pkt). A child
	 * not yet accepted, like an orphan, has no owner. */
	if (lx_rcvbuf_tuned(s, c) && c->rcv_space && c->state == GT_TCP_ESTABLISHED &&
	    c->owner >= 0)
		rcvbuf_grow(s, c, c->rcv_space);
}

/* FreeBSD's rule keeps rfbuf_cnt in rcv_space, "rfbuf_ts is set" in
 * rcv_space_read and rfbuf_ts in rcv_space_ms (the Linux rule's fields,
 * unused by this one). */
void tcp_autotune_bsd_sent(gt_stack *s, struct tcp_conn *c)
{
	if (s->cfg.buf_autosize_bsd && !c->rcv_space_read) {
		c->rcv_space_read = 1;
		c->rcv_space_ms = now_ms(s);
	}
}

/* FreeBSD's tcp_sndbuf_autoscale() (sys/netinet/tcp_output.c), run as
 * tcp_output() begins: the buffer, not the network, holds the sender back
 * when it is 7/8 full, the peer's window is at least 4/5 of it, and
 * min(cwnd, window) could send every byte still unsent; it then grows by
 * net.inet.tcp.sendbuf_inc (8 KiB) up to sndbuf_max_bytes. Each step
 * moves the ring's bytes (tcp_ring_resize()); it is taken only while the
 * application keeps the buffer full. */
#define BSD_SENDBUF_INC 8192u
void tcp_autotune_bsd_output(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.sndbuf_autotune || !s->cfg.buf_autosize_bsd || c->sndbuf_locked)
		return;
	uint32_t hiwat = c->snd.cap, used = c->snd.len, max = s->cfg.sndbuf_max_bytes;
	uint32_t sendwin = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
	uint32_t unsent = used - (c->snd_nxt - c->snd_una < used ? c->snd_nxt - c->snd_una : used);
	if ((uint64_t)c->snd_wnd / 4 * 5 < hiwat || used < hiwat / 8 * 7 || used >= max ||
	    hiwat >= max || sendwin < unsent)
		return;
	uint32_t want = max - hiwat > BSD_SENDBUF_INC ? hiwat + BSD_SENDBUF_INC : max;
	if (s->buffer_bytes + (want - hiwat) > s->cfg.max_buffer_bytes / 2)
		return; /* as the Linux rule: never under memory pressure */
	if (tcp_ring_resize(s, &c->snd, want) == 0)
		s->st.TcpSndBufGrown++;
}

void tcp_autotune_bsd_data(gt_stack *s, struct tcp_conn *c, uint32_t len)
{
	/* sorflush() cleared SB_AUTOSIZE with the rest of the sockbuf. */
	if (!s->cfg.rcvbuf_autotune || !s->cfg.buf_autosize_bsd || c->rcvbuf_locked ||
	    c->rcv_released)
		return;
	if (!c->srtt_us || !c->rcv_space_read ||
	    (uint64_t)(now_ms(s) - c->rcv_space_ms) * 1000 <= c->srtt_us / 2) {
		c->rcv_space += len;
		return;
	}
	uint32_t cap = tcp_rcvbuf(c), max = s->cfg.rcvbuf_max_bytes;
	if (c->rcv_space > cap / 2 / 4 * 3 && cap < max) {
		uint32_t want = cap + cap / 2 < max ? cap + cap / 2 : max;
		/* FreeBSD gives up autosizing when sbreserve() fails; here a
		 * resize refused for memory is counted (TcpBufLimit) and
		 * tried again at the next measurement. */
		if (!c->nooo && !c->syn_data_len && tcp_ring_resize(s, &c->rcv, want + tcp_rcv_slack(c)) == 0)
			s->st.TcpRcvBufGrown++;
	}
	c->rcv_space = 0;
	c->rcv_space_read = 0;
}

void tcp_autotune_snd(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.sndbuf_autotune || s->cfg.buf_autosize_bsd || c->sndbuf_locked ||
	    tcp_lx_sndbuf(s, c))
		return; /* on skbs: tcp_autotune_lx_space() */
	/* Linux's tcp_should_expand_sndbuf(): not while cwnd is full. */
	if (tcp_flight(c) >= c->cwnd)
		return;
	uint64_t want = 2ull * (c->cwnd > 10u * c->mss ? c->cwnd : 10u * c->mss);
	if (want > s->cfg.sndbuf_max_bytes)
		want = s->cfg.sndbuf_max_bytes;
	/* Not under memory pressure (Linux: tcp_under_memory_pressure(),
	 * tcp_mem[0]): growth stops while the stack's buffers would hold
	 * more than half of max_buffer_bytes, so autotuning never takes the
	 * room a new connection's fixed-size buffers need. */
	if (want <= c->snd.cap)
		return;
	/* In steps of at least half again: the ring is one block, and each
	 * resize moves what it holds (Linux only raises a limit). */
	uint64_t step = (uint64_t)c->snd.cap * 3 / 2;
	if (want < step)
		want = step < s->cfg.sndbuf_max_bytes ? step : s->cfg.sndbuf_max_bytes;
	if (s->buffer_bytes + (want - c->snd.cap) > s->cfg.max_buffer_bytes / 2)
		return;
	if (tcp_ring_resize(s, &c->snd, (uint32_t)want) == 0)
		s->st.TcpSndBufGrown++;
}
