/* TCP's user calls (RFC 9293 3.10: OPEN, SEND, RECEIVE, CLOSE, ABORT,
 * STATUS) and the option changes of a live connection: everything the socket
 * layer asks of a TCB goes through here (tcp_user.h). */
#include <string.h>

#include "tcp/tcp.h"

int tcp_user_connect(gt_stack *s, const struct tcp_user_opts *o, int owner, ip_addr laddr,
		     uint16_t lport, ip_addr faddr, uint16_t fport, struct tcp_conn **out,
		     uint16_t *lport_out)
{
	return tcp_user_connect_tfo(s, o, owner, laddr, lport, faddr, fport, out, lport_out, false);
}

int tcp_user_connect_tfo(gt_stack *s, const struct tcp_user_opts *o, int owner, ip_addr laddr,
			 uint16_t lport, ip_addr faddr, uint16_t fport, struct tcp_conn **out,
			 uint16_t *lport_out, bool defer)
{
	int port;
	struct tw_reuse tw = {0};
	bool tw_reused = false;
	if (lport) {
		port = lport;
		if (tcp_lookup(s, laddr, lport, faddr, fport))
			return -EADDRINUSE;
		if (tw_exists(s, laddr, lport, faddr, fport)) {
			tw_reused = tw_take_for_reuse(s, laddr, lport, faddr, fport, true, &tw);
			if (!tw_reused)
				return -EADDRNOTAVAIL;
		}
	} else {
		port = tcp_ephemeral_port(s, o, laddr, faddr, fport, &tw, &tw_reused);
		if (port < 0)
			return port;
	}
	/* TCP_REMOTE_UDP_ENCAPS_PORT: t_port, set in CLOSED, is the port
	 * the SYN goes to in UDP (tcp_output()); before tcp_conn_init(),
	 * whose MSS it shrinks. */
	if (o && o->udp_encaps_port) {
		int r = tcp_tun_set(s, laddr, (uint16_t)port, faddr, fport, o->udp_encaps_port);
		if (r < 0)
			return r;
	}
	struct tcp_conn *c = tcp_conn_alloc(s);
	if (!c) {
		tcp_tun_set(s, laddr, (uint16_t)port, faddr, fport, 0);
		return -ENOBUFS;
	}
	c->laddr = laddr;
	c->lport = (uint16_t)port;
	c->faddr = faddr;
	c->fport = fport;
	tcp_conn_init(s, c, o);
	c->syn_count = o ? o->syn_count : 0; /* SYN_SENT's only (tcp.h) */
	if (o && o->req_set && !c->noopt) {
		/* The socket's own requests, made with it (cfg.syn_opts_at_open);
		 * a TCP_NOOPT socket requests none (tcp_conn_init() cleared
		 * them: noopt-active-open-takes-no-options.pkt). */
		c->req_ws = o->req_ws;
		c->req_ts = o->req_ts;
		c->req_sack = o->req_sack;
	}
	c->iss = tcp_isn(s, c->laddr, c->lport, c->faddr, c->fport);
	/* RFC 6191: a reused TIME_WAIT pair starts beyond the old sequence
	 * space. Linux's tcp_twsk_unique() sets write_seq to exactly that
	 * (1 for 0), which tcp_v4_connect() keeps, and inherits TS.Recent,
	 * which its SYN echoes (tcp_syn_options(); tcp_output.c). */
	uint32_t tw_isn = tw.snd_nxt + 65535 + 2;
	if (tw_reused && s->cfg.tw_reuse_linux) {
		c->iss = tw_isn ? tw_isn : 1;
		c->ts_recent = tw.ts_recent;
		c->ts_recent_stamp = tw.ts_recent_stamp;
	} else if (tw_reused && seq_lt(c->iss, tw_isn)) {
		c->iss = tw_isn;
	}
	c->snd_una = c->snd_nxt = c->snd_max = c->snd_sml = c->iss;
	tcp_psh_init(c);
	c->ts_offset = tcp_ts_offset(s, c);
	c->owner = owner;
	/* Linux's tcp_connect_init(): the SYN is signed when the socket has
	 * a key for the peer (md5_lookup()), and the MSS makes room for it. */
	if (!s->cfg.md5sig_bsd && tcp_md5_lx_sock_key(s, owner, faddr))
		c->md5sig = true;
	tcp_conn_hash(s, c);
	s->st.TcpActiveOpens++;
	tcp_set_state(s, c, GT_TCP_SYN_SENT, "connect()");
	c->rtt_timing = true;
	c->rtt_start_us = s->now_us;
	/* Linux's tcp_v4_connect(): SYN_SENT, the port and ISN chosen, then
	 * tcp_fastopen_defer_connect() may hold the SYN (snd_max at ISS:
	 * tcp_tfo_deferred()). */
	if (!defer)
		tcp_send_syn(s, c);
	*out = c;
	*lport_out = (uint16_t)port;
	return 0;
}

bool tcp_user_tfo_deferred(const struct tcp_conn *c) { return tcp_tfo_deferred(c); }

bool tcp_user_fastopen_connect(gt_stack *s, struct tcp_conn *c, bool no_cookie)
{
	struct tcp_opts fo;
	uint32_t space;
	if (tcp_fastopen_client_plan(s, c, no_cookie, &fo, &space))
		return true;
	/* "Alloc fastopen_req in order for FO option to be included in
	 * SYN": tcp_connect() -> tcp_send_syn_data() with nothing to send,
	 * its fallback a SYN asking for a cookie. */
	tcp_send_syn_data(s, c, &fo, 0);
	return false;
}

static uint32_t snd_room(const struct tcp_conn *c);

ssize_t tcp_user_fastopen_send_bsd(gt_stack *s, struct tcp_conn *c, const void *buf, size_t len)
{
	struct tcp_opts fo;
	uint32_t space, n = 0;
	if (len && !buf)
		return -EFAULT;
	/* FreeBSD's sosend_generic() builds the write's mbufs before
	 * pr_send, and tcp_usr_send() appends them (sbappendstream()) before
	 * tcp_connect(): a write that cannot be held fails before any SYN
	 * exists. The host's buffer budget (max_buffer_bytes) refusing the
	 * send ring is that failure: ENOBUFS, and the connection this call
	 * opened goes unsent, as if never made. Keeping it with 0 bytes
	 * taken would be a return FreeBSD never gives to a write it queued
	 * whole, and a SYN whose data the caller thinks refused (swarm seed
	 * 97831965, plan 11; since the TSO deferral moved that seed's course,
	 * scenario.swarm_tfo_bsd_client_over_budget_sends_no_syn keeps the
	 * case on seed 97836966). A send buffer with no room at all is sosend_generic()'s
	 * EWOULDBLOCK, also before pr_send. */
	int e = len ? tcp_ring_reserve(s, &c->snd) : 0;
	if (!e && len && snd_room(c) == 0)
		e = -EAGAIN;
	if (e) {
		tcp_conn_free(s, c, 0);
		return e;
	}
	if (!tcp_fastopen_bsd_plan(s, c, &fo, &space)) {
		fo.has_fo = false; /* the path is disabled: a plain SYN */
		tcp_fastopen_bsd_disabled_maxseg(s, c); /* tcp_mss(tp, -1) */
	} else {
		tcp_fastopen_bsd_syn_copy(s, c, &fo, space); /* t_tfo_cookie.client */
	}
	if (len) {
		/* sbappendstream() before tcp_connect(): the data from ISS+1
		 * (tcp_tfo_syn_data()). */
		c->snd_una = c->snd_nxt = c->snd_max = c->iss + 1;
		uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		uint32_t room = snd_room(c);
		n = ring_write(&c->snd, buf, want < room ? want : room);
	}
	/* tcp_output(): min(sbavail, snd_wnd = t_maxseg), cut by the SYN's
	 * options to t_maxseg - optlen (tcp_syn_data_bsd_len()). */
	tcp_send_syn_data(s, c, &fo, space ? tcp_syn_data_bsd_len(s, c, &fo, n, space) : 0);
	return (ssize_t)n;
}

/* Linux's tcp_sendmsg_fastopen() on a connection whose SYN has not gone:
 * tcp_send_syn_data() copies what fits of the write into the SYN (none
 * without a cookie: the fallback SYN asks for one), and that is all the
 * call takes before the handshake (copied_syn; -EINPROGRESS where 0). */
ssize_t tcp_user_fastopen_send(gt_stack *s, struct tcp_conn *c, const void *buf, size_t len,
			       bool no_cookie)
{
	struct tcp_opts fo;
	uint32_t space, n = 0;
	if (len && !buf)
		return -EFAULT;
	if (tcp_fastopen_client_plan(s, c, no_cookie, &fo, &space))
		n = len < space ? (uint32_t)len : space;
	if (n && tcp_ring_reserve(s, &c->snd) < 0) {
		/* tcp_send_syn_data(): no skb for the data ("goto fallback"),
		 * so a regular SYN with the cookie request option (cookie.len
		 * = 0); the call takes nothing (-EINPROGRESS) and the write
		 * waits for the handshake. */
		n = 0;
		if (fo.has_fo)
			fo.fo_len = 0;
	}
	if (n) {
		/* The data from ISS+1 (tcp_tfo_syn_data()), the SYN's octet
		 * taken as sent while the write's marks are made. */
		c->snd_una = c->snd_nxt = c->snd_max = c->iss + 1;
		n = ring_write(&c->snd, buf, n);
		if (s->cfg.psh_linux)
			tcp_psh_write(s, c, n, true, true, false);
	}
	tcp_send_syn_data(s, c, &fo, n);
	return n ? (ssize_t)n : -EINPROGRESS;
}

/* What follows new bytes in the send buffer: the PSH boundary, a cork held
 * while more is coming (GT_MSG_MORE), and an output attempt. first: the n
 * bytes are the write's first copy (tcp_psh_write()). */
static void sent_more(gt_stack *s, struct tcp_conn *c, uint32_t n, bool first, bool more, bool cut,
		      bool eor)
{
	if (s->cfg.idle_restart == 1)
		tcp_idle_restart(s, c); /* Linux checks as each write queues data */
	bool cork = c->cork;
	c->psh_end = !more;
	if (s->cfg.psh_linux)
		tcp_psh_write(s, c, n, first, !more || cut, eor && !cut);
	if (more)
		c->cork = true; /* hold a partial segment: more is coming */
	/* FreeBSD's tcp_usr_send(): TF_MORETOCOME is set around this one
	 * tcp_output() call (PRUS_MORETOCOME), which also asks for it in
	 * its TF_LASTIDLE rule (tcp_output()). */
	s->tx_moretocome = more && s->cfg.nagle_bsd;
	tcp_output(s, c);
	s->tx_moretocome = false;
	c->cork = cork;
}

/* The room a send buffer sized in bytes (not Linux's skbs) has: the
 * ring's free space, none while the buffer was lowered under what it
 * holds (snd.over). */
static uint32_t snd_room(const struct tcp_conn *c)
{
	uint32_t b = tcp_sndbuf(c);
	uint32_t room = b > c->snd.len ? b - c->snd.len : 0;
	return room < ring_free_space(&c->snd) ? room : ring_free_space(&c->snd);
}

/* Whether a write's next byte goes into the unsent tail skb (its room,
 * tcp_lx_skb_left(), is under the size goal) rather than a new skb. The
 * goal as tcp_lx_skb_left() takes it: tcp_xmit_size_goal()'s, half the
 * peer's largest window, at most TCP_LX_GOAL_MAX, in whole segments; one
 * segment for a signing socket (no GSO). */
static bool lx_tail_has_room(const struct tcp_conn *c)
{
	uint32_t end = c->snd_una + c->snd.len;
	if (!seq_gt(end, c->snd_max) || !c->mss)
		return false; /* all sent: a new skb */
	uint32_t goal = TCP_LX_GOAL_MAX;
	uint32_t half = c->max_snd_wnd > 536 ? c->max_snd_wnd / 2 : c->max_snd_wnd;
	if (half && goal > half)
		goal = half;
	goal = tcp_signs(c) ? c->mss : (goal / c->mss ? goal / c->mss : 1) * c->mss;
	return tcp_lx_skb_left(c) < goal;
}

/* want: the bytes Linux's send buffer admits (tcp_lx_send_room()), which
 * the ring grows to hold; 0 where the ring's free space decides. */
/* A TFO child's first write in SYN_RECEIVED: Linux's
 * tcp_fastopen_create_child() ran tcp_init_transfer() (the initial
 * window) with the SYN's window, unscaled, as snd_wnd ("RFC1323: The
 * window in SYN & SYN/ACK segments is never scaled"); the data goes from
 * ISS+1 (tcp_tfo_wrote()). */
static void tfo_child_send(gt_stack *s, struct tcp_conn *c)
{
	if (!tcp_tfo_child(c) || tcp_tfo_wrote(c))
		return;
	tcp_start_cc(s, c);
	c->snd_una = c->iss + 1;
}

/* Whether the state lets a write queue data: not before the handshake
 * (a TFO child excepted), not after the FIN. 0 or the errno. */
static int send_state(const struct tcp_conn *c)
{
	if (c->state == GT_TCP_SYN_SENT || (c->state == GT_TCP_SYN_RECEIVED && !tcp_tfo_child(c)))
		return -EAGAIN;
	if (c->fin_queued)
		return -EPIPE;
	return 0;
}

static int send_ready(gt_stack *s, struct tcp_conn *c, uint32_t want)
{
	int e = send_state(c);
	if (e < 0)
		return e;
	tfo_child_send(s, c);
	if (!want && snd_room(c) == 0)
		return -EAGAIN;
	if (tcp_ring_reserve(s, &c->snd) < 0)
		return -ENOBUFS;
	if (want)
		tcp_lx_ring_fit(s, c, want);
	return (want ? ring_free_space(&c->snd) : snd_room(c)) ? 0 : -EAGAIN;
}

/* A write under Linux's send buffer (tcp_lx_sndbuf()). Its skbs may hold
 * more than SO_SNDBUF: the ring grows to what they admit
 * (tcp_lx_ring_fit()). tcp_sendmsg_locked() fills one skb at a time and
 * sends it when full, before it starts the next (tcp_push_one(), or
 * __tcp_push_pending_frames() at a forced push); what it sends of the
 * write queue's tail skb leaves the rest there (tso_fragment()), which
 * the same write fills to the size goal again without asking for room.
 * So each skb the write fills goes out (no PSH mark: not the write's end)
 * before the room is asked again, until it is 0 (sndbuf-skb-goal-grows;
 * sndbuf-auto-slow-start, where what went out of the first skbs, one skb
 * per transmit unit in flight, decides how many more the write starts). */
static ssize_t lx_send(gt_stack *s, struct tcp_conn *c, const uint8_t *buf, uint32_t len, bool more,
		       bool eor, uint32_t notsent_lowat)
{
	uint32_t done = 0, n = 0;
	bool pushed = false;
	for (;;) {
		/* TCP_NOTSENT_LOWAT: tcp_sendmsg_locked() starts an skb only
		 * while sk_stream_memory_free() -> tcp_stream_memory_free(sk,
		 * 0), the bytes not yet sent under the mark; else
		 * wait_for_space (a short write, or EAGAIN). An unsent tail
		 * skb with room is filled without asking (copy = size_goal -
		 * skb->len; Linux 6.18: notsent-lowat-tail-skb-fills.pkt). */
		if (!lx_tail_has_room(c) && !tcp_user_notsent_free(c, notsent_lowat, 0)) {
			c->lx_nospace = true;
			break;
		}
		uint32_t ask = len - done, left = tcp_lx_skb_left(c);
		ask = ask < left ? ask : left;
		uint32_t want = tcp_lx_send_room(c, s->cfg.sndbuf_skb_overhead, ask);
		/* Cut short by the buffer: tcp_sendmsg_locked()'s
		 * wait_for_space sets SOCK_NOSPACE, which lets an ACK grow
		 * an autotuned buffer (tcp_autotune_lx_space()) and the
		 * SNDBUF_LIMITED chrono start (cwnd_validate()); the write
		 * starts no chrono itself, EAGAIN or not
		 * (tests/pkt/linux/tcp-info-chrono-sndbuf-limited-eagain.pkt). */
		if (want < ask)
			c->lx_nospace = true;
		if (!want)
			break;
		int e = send_ready(s, c, want);
		if (e < 0) {
			if (!done)
				return e;
			break;
		}
		n = ring_write(&c->snd, buf + done, want);
		done += n;
		pushed = false;
		if (done == len || n < want)
			break;
		if (s->cfg.idle_restart == 1)
			tcp_idle_restart(s, c);
		uint32_t pushed_seq = c->lx_pushed_seq;
		tcp_psh_write(s, c, n, done == n, false, false);
		tcp_lx_hold_grow(c, c->lx_pushed_seq == pushed_seq);
		tcp_output(s, c);
		tcp_lx_hold_grow(c, false);
		pushed = true;
	}
	if (!done)
		return -EAGAIN;
	sent_more(s, c, pushed ? 0 : n, done == n, more, done < len, eor);
	return done;
}

/* The bytes written and not yet sent: Linux's write_seq - snd_nxt (its
 * snd_nxt is glasstcp's snd_max: a retransmission does not move it). */
static uint32_t notsent(const struct tcp_conn *c)
{
	uint32_t end = c->snd_una + c->snd.len;
	return seq_gt(end, c->snd_max) ? end - c->snd_max : 0;
}

uint64_t tcp_user_bytes_written(const struct tcp_conn *c) { return c->cnt.bytes_acked + c->snd.len; }
uint64_t tcp_user_bytes_acked(const struct tcp_conn *c) { return c->cnt.bytes_acked; }
uint32_t tcp_user_bytes_unsent(const struct tcp_conn *c) { return notsent(c); }

bool tcp_user_notsent_free(const struct tcp_conn *c, uint32_t lowat, unsigned wake)
{
	return ((uint64_t)notsent(c) << wake) < lowat;
}

void tcp_user_check_space(gt_stack *s, struct tcp_conn *c)
{
	if (c->owner >= 0)
		sock_write_space(s, c->owner);
}

uint64_t tcp_user_bytes_rcvd(const struct tcp_conn *c) { return c->cnt.bytes_received; }

bool tcp_user_fin_rcvd(const struct tcp_conn *c) { return c->fin_rcvd; }

ssize_t tcp_user_send(gt_stack *s, struct tcp_conn *c, const void *buf, size_t len, bool more,
		      bool eor, uint32_t snd_lowat, uint32_t notsent_lowat)
{
	int e = send_state(c);
	if (e < 0)
		return e;
	if (len == 0)
		return 0;
	if (!buf)
		return -EFAULT;
	uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	if (tcp_lx_sndbuf(s, c))
		return lx_send(s, c, buf, want, more, eor, notsent_lowat);
	/* FreeBSD's sosend_generic(): a write that does not fit whole waits
	 * (non-blocking: EWOULDBLOCK) while sbspace() is under sb_lowat;
	 * with at least that free it takes what fits, and its next pass
	 * finds less than the mark free and ends the write short. */
	if (s->cfg.sb_lowat && snd_room(c) < want && snd_room(c) < snd_lowat)
		return -EAGAIN;
	e = send_ready(s, c, 0);
	if (e < 0)
		return e;
	uint32_t n = ring_write(&c->snd, buf, want);
	sent_more(s, c, n, true, more, n < want, eor);
	return n;
}

/* Under Linux's send buffer the spans are one skb's room at a time, as
 * lx_send() asks for it: the rest of the tail skb, or a new skb of the
 * size goal while the queue is under SO_SNDBUF. The commit sends the skb
 * it filled (sent_more()), and the next call asks again with what went out
 * counted, so a caller that loops takes what one gt_send() of the same
 * bytes takes (the refill of a tail skb partly sent included). Offering
 * the room of every skb at once counted neither the transmit units sent
 * in between nor the refills (dialogue.spans_take_what_send_takes). */
ssize_t tcp_user_send_spans(gt_stack *s, struct tcp_conn *c, struct gt_span sp[2])
{
	bool lx = tcp_lx_sndbuf(s, c);
	uint32_t room = lx ? tcp_lx_send_room(c, s->cfg.sndbuf_skb_overhead, tcp_lx_skb_left(c)) : 0;
	int e = send_ready(s, c, room);
	if (e < 0)
		return e;
	if (lx && !room) {
		c->lx_nospace = true; /* as lx_send() */
		return -EAGAIN;
	}
	uint8_t *p[2] = { NULL, NULL };
	uint32_t len[2] = { 0, 0 };
	ring_free_spans(&c->snd, p, len);
	if (lx) {
		if (len[0] > room)
			len[0] = room;
		len[1] = room - len[0] < len[1] ? room - len[0] : len[1];
	}
	sp[0] = (struct gt_span){ p[0], len[0] };
	sp[1] = (struct gt_span){ p[1], len[1] };
	return (ssize_t)len[0] + len[1];
}

ssize_t tcp_user_send_commit(gt_stack *s, struct tcp_conn *c, uint32_t n, bool more, bool eor)
{
	if (n == 0) {
		/* Nothing written: a buffer send_spans() took for an empty
		 * send ring goes back (a caller that reads a source into the
		 * spans and finds it empty holds no memory for it). */
		tcp_snd_ring_release(s, c);
		return 0;
	}
	/* Only after send_spans(): the ring has its memory, SEND is allowed. */
	if (!c->snd.buf || c->fin_queued || c->state == GT_TCP_SYN_SENT ||
	    c->state == GT_TCP_SYN_RECEIVED)
		return -EINVAL;
	uint32_t asked = n;
	uint32_t room = tcp_lx_sndbuf(s, c) ? ring_free_space(&c->snd) : snd_room(c);
	if (n > room)
		n = room;
	if (tcp_lx_sndbuf(s, c)) {
		uint32_t left = tcp_lx_skb_left(c); /* one skb, as offered */
		n = tcp_lx_send_room(c, s->cfg.sndbuf_skb_overhead, n < left ? n : left);
	}
	ring_commit(&c->snd, n);
	/* MSG_EOR: tcp_sendmsg_locked() marks the skb a write ended in
	 * (TCP_SKB_CB(skb)->eor) only once all of it is copied; a commit
	 * cut short by the space is a short write and ends no record. */
	sent_more(s, c, n, true, more, false, eor && n == asked);
	return n;
}

ssize_t tcp_user_recv_spans(struct tcp_conn *c, struct gt_span sp[2])
{
	if (c->rcv.len == 0)
		return c->fin_rcvd ? 0 : -EAGAIN;
	const uint8_t *p[2] = { NULL, NULL };
	uint32_t len[2] = { 0, 0 };
	ring_spans(&c->rcv, 0, c->rcv.len, p, len);
	sp[0] = (struct gt_span){ (void *)p[0], len[0] };
	sp[1] = (struct gt_span){ (void *)p[1], len[1] };
	return c->rcv.len;
}

/* What follows bytes leaving the receive buffer: autotuning's count, the
 * buffer's memory back when it is empty, and the window. */
static void rcv_taken(gt_stack *s, struct tcp_conn *c, uint32_t n)
{
	tcp_rcv_rmem_taken(c, n);
	tcp_autotune_read(s, c, n);
	if (!c->nooo && !c->syn_data_len)
		tcp_rcv_ring_release(s, c);
	if (s->cfg.delack_linux)
		tcp_read_ack_check(s, c);
	/* FreeBSD's soreceive() ends with pr_rcvd, tcp_usr_rcvd(): "outrv =
	 * tcp_output_nodrop(tp)" at every read that took data, which asks
	 * cc_after_idle() and spends TF_LASTIDLE as any call does (freebsd
	 * main as stored in fel1x-developer/freebsd-src 2d614aa; branch
	 * h-bsd6, tests/pkt/freebsd/idle-restart-read-lastidle.pkt). Its
	 * window update is tcp_rcv_window_maybe_update()'s below. Not in
	 * SYN_RECEIVED (a fast open's read): "don't attempt a window update
	 * while still in SYN_RECEIVED as this may trigger an early SYN|ACK". */
	if (s->cfg.idle_restart == 2 && s->cfg.nagle_bsd && c->state != GT_TCP_SYN_RECEIVED)
		tcp_output(s, c);
	tcp_rcv_window_maybe_update(s, c);
}

uint32_t tcp_user_recv_consume(gt_stack *s, struct tcp_conn *c, uint32_t n)
{
	n = ring_discard(&c->rcv, n);
	if (n)
		rcv_taken(s, c, n);
	return n;
}

ssize_t tcp_user_recv(gt_stack *s, struct tcp_conn *c, void *buf, size_t len, bool peek)
{
	if (c->rcv.len == 0)
		return c->fin_rcvd ? 0 : -EAGAIN;
	if (len == 0)
		return 0;
	if (!buf)
		return -EFAULT;
	uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	if (peek)
		return ring_peek(&c->rcv, 0, buf, want);
	uint32_t n = ring_read(&c->rcv, buf, want);
	rcv_taken(s, c, n);
	return n;
}

/* Linux's tcp_inq_hint(): rcv_nxt - copied_seq, where rcv_nxt counts a
 * FIN received and copied_seq a FIN read; the FIN is read with the last
 * of the data before it (tcp_recvmsg_locked()'s found_fin_ok), so it
 * counts here while data is left. "After receiving a FIN, tell the
 * user-space to continue reading by returning a non-zero inq": 1 once
 * nothing is left but the end of the stream. */
int tcp_user_inq_hint(const struct tcp_conn *c)
{
	uint32_t n = c->rcv.len;
	if (c->fin_rcvd)
		n += 1;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* CLOSE or SHUTDOWN(WR) on a connection: queue our FIN (RFC 9293 3.10.4). */
static void start_fin(gt_stack *s, struct tcp_conn *c)
{
	/* A FIN deferred by shutdown(SHUT_WR) in SYN_RECEIVED is still to
	 * send when close() comes first: tcp_close_state() takes it. */
	if (c->fin_queued && c->state != GT_TCP_SYN_RECEIVED)
		return;
	c->fin_queued = true;
	/* RFC 9293 3.10.4, CLOSE in SYN-RECEIVED: "form a FIN segment and
	 * send it, and enter FIN-WAIT-1 state"; Linux's tcp_close_state()
	 * new_state[TCP_SYN_RECV] = TCP_FIN_WAIT1 | TCP_ACTION_FIN. */
	if (c->state == GT_TCP_SYN_RECEIVED) {
		/* The FIN follows our SYN (SEQ=ISS+1). Linux's retransmission
		 * in FIN_WAIT1 resends the FIN alone, F. ISS+1 (kernel run,
		 * simultaneous-open-syn-recv-close-fin.pkt): the SYN is not
		 * sent again, so its octet leaves the send sequence here and
		 * the FIN is the only thing the retransmission timer
		 * resends. Linux still holds the SYN until an ACK covers it
		 * (tcp_clean_rtx_queue()): that ACK samples the RTT and
		 * restarts the timer (tcp_ack() -> tcp_set_xmit_timer()),
		 * the FIN going again 300 ms after an ACK 100 ms after the
		 * SYN-ACK (simultaneous-open-syn-recv-close-syn-acked-*.pkt).
		 * SND.WL2 at ISS says that no ACK has covered the SYN yet
		 * (the crossing SYN had none; the TCB has no bit to spare):
		 * ack_input() takes the first that does as the SYN's. */
		/* A TFO child that wrote: its window started at the write.
		 * Asked of SND.UNA alone, as close() has detached the socket
		 * by now and tcp_tfo_child() no longer says: starting cwnd
		 * again leaked HyStart's send log and reset the window
		 * (fastopen-child-write-close-before-handshake.pkt under
		 * ASan). In SYN_RECEIVED only such a child has moved it. */
		bool wrote = c->passive && c->snd_una != c->iss;
		c->snd_una = c->iss + 1;
		if (s->cfg.simopen_close_syn_rtx)
			c->snd_wl2 = c->iss;
		/* The handshake's end, which starts cwnd, will not come in
		 * SYN_RECEIVED now: start it here, as Linux's socket has had
		 * its initial window since tcp_init_sock() (the fuzzer found
		 * FIN_WAIT_1 with cwnd 0). */
		if (!wrote)
			tcp_start_cc(s, c);
		/* A crossing SYN's text waits for ESTABLISHED (RFC 9293
		 * 3.10.7.3), which this connection no longer reaches by the
		 * handshake's ACK: it goes, never acknowledged (Linux keeps
		 * none of it: simultaneous-open-syn-recv-close-syn-data.pkt). */
		if (c->syn_data_len) {
			c->syn_data_len = 0;
			if (!c->nooo)
				tcp_rcv_ring_release(s, c);
		}
		tcp_set_state(s, c, GT_TCP_FIN_WAIT_1, "close()");
	} else if (c->state == GT_TCP_ESTABLISHED) {
		tcp_set_state(s, c, GT_TCP_FIN_WAIT_1, "close()");
	} else if (c->state == GT_TCP_CLOSE_WAIT) {
		tcp_set_state(s, c, GT_TCP_LAST_ACK, "close()");
	}
	tcp_output(s, c);
}

int tcp_user_shutdown(gt_stack *s, struct tcp_conn *c, bool rd, bool wr, bool *gone)
{
	*gone = false;
	/* FreeBSD's tcp_usr_shutdown() asks only that the socket be
	 * connected or connecting (a TFO child is: syncache_tfo_expand()'s
	 * soisconnected(); a simultaneous open's connect() made it
	 * SS_ISCONNECTING), so SYN_RECEIVED passes under
	 * cfg.shut_wr_synsent_needfin too (below). */
	if (c->state == GT_TCP_SYN_RECEIVED && !s->cfg.shut_wr_synrcvd_defer &&
	    !s->cfg.shut_wr_synsent_needfin)
		return -ENOTCONN;
	if (c->state == GT_TCP_SYN_SENT && !s->cfg.shut_wr_synsent_needfin) {
		/* Linux's inet_shutdown(): "case TCP_SYN_SENT: err =
		 * sk->sk_prot->disconnect()", whatever the how (SHUT_RD too),
		 * tcp_disconnect() as for connect(AF_UNSPEC): no segment,
		 * sk_err ECONNRESET, TcpDisconnects; inet_shutdown() itself
		 * returns 0 (shutdown-{wr,rd}-syn-sent-disconnects-
		 * econnreset.pkt). */
		(void)tcp_user_disconnect(s, c);
		*gone = true;
		return 0;
	}
	if (rd) {
		c->rcv_shut = true; /* sorflush() -> socantrcvmore() */
		if (s->cfg.shut_rd_release_bsd) {
			/* sorflush(): the data freed, the buffer's size
			 * zeroed (sbrelease_internal() on the bzero'ed
			 * sockbuf); no segment is sent for SHUT_RD alone. */
			tcp_rcv_drop_unread(s, c);
			c->rcv_released = true;
		}
	}
	if (!wr)
		return 0;
	if (c->state == GT_TCP_SYN_SENT) {
		/* cfg.shut_wr_synsent_needfin (the other case went above):
		 * FreeBSD's tcp_usrclosed(), "case TCPS_SYN_SENT: case
		 * TCPS_SYN_RECEIVED: tp->t_flags |= TF_NEEDFIN"; the
		 * tcp_output_nodrop() after it has nothing to send. The SYN-ACK
		 * takes the connection to FIN_WAIT_1 (tcp_input.c,
		 * syn_sent_input()). */
		c->fin_queued = true;
		return 0;
	}
	if (c->state == GT_TCP_SYN_RECEIVED) {
		/* cfg.shut_wr_synrcvd_defer: Linux's tcp_shutdown() sends
		 * nothing in SYN_RECV; the handshake's ACK sends the FIN
		 * (tcp_input.c, tcp_rcv_state_process()). FreeBSD's
		 * tcp_usrclosed(), "case TCPS_SYN_RECEIVED: tp->t_flags |=
		 * TF_NEEDFIN", the same at the ACK ("SYN-RECEIVED* ->
		 * FIN-WAIT-1", tcp_do_segment()); its tcp_output_nodrop()
		 * sends a TFO child's SYN-ACK that the delayed-ACK timer held
		 * (tests/pkt/freebsd/fastopen-server-shutdown-wr-syn-rcvd-
		 * fin-after-handshake.pkt). */
		c->fin_queued = true;
		(void)tcp_fastopen_bsd_synack_due(s, c);
		tcp_timers_update(s, c);
		return 0;
	}
	start_fin(s, c);
	return 0;
}

void tcp_user_abort(gt_stack *s, struct tcp_conn *c)
{
	/* RFC 9293 3.10.5: an RST unless nothing was synchronized. */
	if (c->state != GT_TCP_SYN_SENT && c->state != GT_TCP_CLOSED)
		tcp_send_rst_conn(s, c);
	if (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_CLOSE_WAIT)
		s->st.TcpEstabResets++;
	tcp_conn_free(s, c, 0);
}

/* Linux's tcp_disconnect() (connect() with AF_UNSPEC): the connection
 * ends now. An RST where tcp_need_reset() says (ESTABLISHED, CLOSE_WAIT,
 * FIN_WAIT1, FIN_WAIT2, SYN_RECV), and in CLOSING or LAST_ACK while
 * something written (our FIN included) is still unsent ("snd_nxt !=
 * write_seq"); those and SYN_SENT leave ECONNRESET in sk_err. The
 * TCB goes without TIME_WAIT (tcp_set_state(TCP_CLOSE)); a TIME_WAIT one
 * is Linux's timewait sock already, which goes on alone. Counted in
 * TcpDisconnects. */
int tcp_user_disconnect(gt_stack *s, struct tcp_conn *c)
{
	enum gt_tcp_state st = (enum gt_tcp_state)c->state;
	if (st == GT_TCP_TIME_WAIT) {
		tcp_conn_orphan(s, c);
		return 0;
	}
	bool unsent = notsent(c) > 0 || (c->fin_queued && !c->fin_sent);
	bool reset = st == GT_TCP_ESTABLISHED || st == GT_TCP_CLOSE_WAIT || st == GT_TCP_FIN_WAIT_1 ||
		     st == GT_TCP_FIN_WAIT_2 || st == GT_TCP_SYN_RECEIVED ||
		     ((st == GT_TCP_CLOSING || st == GT_TCP_LAST_ACK) && unsent);
	if (reset)
		tcp_send_rst_conn(s, c);
	/* tcp_set_state(): TCP_MIB_ESTABRESETS from ESTABLISHED or CLOSE_WAIT. */
	if (st == GT_TCP_ESTABLISHED || st == GT_TCP_CLOSE_WAIT)
		s->st.TcpEstabResets++;
	s->st.TcpDisconnects++;
	int err = reset || st == GT_TCP_SYN_SENT ? -ECONNRESET : 0;
	/* The owner hears of it as of any end (sock_conn_gone(): SO_ERROR,
	 * the TCP_INFO kept); it then drops what was left unread. */
	tcp_conn_free(s, c, err);
	return err;
}

/* Linux's tcp_close(), once the socket is an orphan: unless FIN_WAIT_2
 * went to a timewait sock (tcp_fin_time() at most TCP_TIMEWAIT_LEN),
 * tcp_check_oom(sk, 0) with this orphan counted; over tcp_max_orphans the
 * FIN already sent is followed by an RST (TCPAbortOnMemory). */
static void close_check_oom(gt_stack *s, struct tcp_conn *c)
{
	bool closing = c->state == GT_TCP_FIN_WAIT_1 || c->state == GT_TCP_FIN_WAIT_2 ||
		       c->state == GT_TCP_CLOSING || c->state == GT_TCP_LAST_ACK;
	if (closing && !tcp_fin2_tw(s, c) && (uint64_t)s->orphans > s->cfg.max_orphans) {
		s->st.TcpAbortOnMemory++;
		tcp_user_abort(s, c);
	}
}

/* The connection goes on alone: an orphan's FIN_WAIT_2 is bounded. */
static void orphan(gt_stack *s, struct tcp_conn *c)
{
	tcp_conn_orphan(s, c);
	c->linger_at = TCP_TIMER_NONE;
	if (c->state == GT_TCP_FIN_WAIT_2 && c->fin2_at == TCP_TIMER_NONE) {
		tcp_arm_fin2(s, c);
		tcp_fin2_orphan_ttl(s, c); /* tcp_close() */
	}
	tcp_timers_update(s, c);
	close_check_oom(s, c);
}

int tcp_user_close_done(gt_stack *s, struct tcp_conn *c)
{
	if (!tcp_fin_acked(c) && !c->linger_expired)
		return -EWOULDBLOCK;
	orphan(s, c);
	return 0;
}

/* FreeBSD's tcp_disconnect(): soisdisconnecting() (SBS_CANTRCVMORE) and
 * sbflush(&so->so_rcv) before the FIN; the buffer keeps its size, so the
 * window the FIN carries is the whole buffer. */
static void close_flush(gt_stack *s, struct tcp_conn *c)
{
	c->rcv_shut = true;
	tcp_rcv_drop_unread(s, c);
}

int tcp_user_close(gt_stack *s, struct tcp_conn *c, int linger_s)
{
	/* FreeBSD's tcp_disconnect(): "tp->t_state < TCPS_ESTABLISHED &&
	 * !(tp->t_state > TCPS_LISTEN && IS_FASTOPEN(tp->t_flags))" closes
	 * silently; a TFO child (syncache_tfo_expand() sets TF_FASTOPEN) in
	 * SYN_RECEIVED takes the other branches instead. */
	bool bsd_tfo = s->cfg.fastopen_bsd && tcp_tfo_child(c);
	if (s->cfg.close_flush_bsd && linger_s != 0 &&
	    ((c->state != GT_TCP_SYN_SENT && c->state != GT_TCP_SYN_RECEIVED) || bsd_tfo)) {
		close_flush(s, c);
		/* Our FIN already queued (SHUT_WR): tcp_disconnect()'s
		 * tcp_output() has no FIN to carry the freed space and sends
		 * the window update a read would. */
		if (c->fin_queued)
			tcp_rcv_window_maybe_update(s, c);
	}
	if (linger_s > 0 && c->state != GT_TCP_SYN_SENT && c->state != GT_TCP_SYN_RECEIVED &&
	    c->rcv.len == 0) {
		/* SO_LINGER with a time (BSD semantics, for a non-blocking
		 * API): -EWOULDBLOCK while data or our FIN is unacknowledged;
		 * if the time passes first, the linger timer resets the
		 * connection (tcp_timer.c). */
		start_fin(s, c);
		if (c->dead)
			return 0;
		if (!tcp_fin_acked(c)) {
			c->linger_at = tcp_timer_at(s, (uint64_t)linger_s * 1000000);
			if (stack_tracing(s))
				tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_LINGER,
					  tcp_trace_delay((uint64_t)linger_s * 1000000), 0, NULL);
			tcp_timers_update(s, c);
			return -EWOULDBLOCK;
		}
		orphan(s, c);
		return 0;
	}
	tcp_conn_orphan(s, c);
	if (c->state == GT_TCP_SYN_SENT ||
	    (s->cfg.close_flush_bsd && c->state == GT_TCP_SYN_RECEIVED && !bsd_tfo)) {
		/* FreeBSD's tcp_disconnect(): below ESTABLISHED (a TFO child
		 * aside) tcp_close(), whatever SO_LINGER says:
		 * a simultaneous open's SYN_RECEIVED goes without a segment,
		 * its peer's next one meets a closed port
		 * (simultaneous-open-syn-rcvd-close-silent.pkt). */
		tcp_conn_free(s, c, 0);
	} else if (bsd_tfo && linger_s != 0) {
		/* FreeBSD's TFO child: sbflush() (above), tcp_usrclosed() in
		 * SYN_RECEIVED sets TF_NEEDFIN (fin_queued: the handshake's
		 * ACK takes it to FIN_WAIT_1 and the FIN goes, tcp_do_segment()),
		 * and tcp_output_nodrop() sends the SYN-ACK the delayed-ACK
		 * timer held (SND.MAX at ISS: tcp_outflags[] SYN|ACK). The
		 * child keeps its place in t_tfo_pending until then
		 * (tcp_fastopen_decrement_counter()) or tcp_close() (tcp_subr.c). */
		c->fin_queued = true;
		if (!tcp_fastopen_bsd_synack_due(s, c))
			tcp_output(s, c);
		tcp_timers_update(s, c);
	} else if (linger_s == 0) {
		/* SO_LINGER {1, 0}: abort, discard, no TIME_WAIT. */
		s->st.TcpAbortOnLinger++;
		tcp_user_abort(s, c);
	} else if (c->rcv.len > 0) {
		/* RFC 1122 4.2.2.13: unread data is lost, so tell the peer
		 * with an RST rather than a FIN (not reached with
		 * close_flush_bsd: FreeBSD frees it and sends its FIN). A
		 * simultaneous open's SYN_RECEIVED holds none: Linux's
		 * tcp_rcv_synsent_state_process() discards the crossing SYN's
		 * data, so its close() takes the FIN below. */
		s->st.TcpAbortOnClose++;
		tcp_user_abort(s, c);
	} else {
		start_fin(s, c);
		if (!c->dead && c->state == GT_TCP_FIN_WAIT_2 && c->fin2_at == TCP_TIMER_NONE &&
		    c->fin2_timeout_ms < 0) {
			/* A negative TCP_LINGER2 keeps no orphan in FIN_WAIT_2:
			 * Linux's tcp_close() resets at once, from the full
			 * socket (TCPAbortOnLinger, tcp_send_active_reset()). */
			s->st.TcpAbortOnLinger++;
			tcp_user_abort(s, c);
		} else if (!c->dead && c->state == GT_TCP_FIN_WAIT_2 &&
			   c->fin2_at == TCP_TIMER_NONE) {
			tcp_arm_fin2(s, c);
			tcp_fin2_orphan_ttl(s, c); /* tcp_close() */
			tcp_timers_update(s, c);
		}
		if (!c->dead)
			close_check_oom(s, c);
	}
	return 0;
}

/* The TCB's keepalive fields are narrower than FreeBSD's options (tcp.h:
 * 15 bits of seconds for TCP_KEEPIDLE and TCP_KEEPINTVL, 16 for
 * TCP_KEEPINIT, 8 for TCP_KEEPCNT; the TCB is at its size budget). A
 * TCP_KEEPIDLE or TCP_KEEPINTVL above 32,767 s, or a TCP_KEEPCNT above
 * 255, is kept whole in the side struct (keep_time_set(), keep_cnt_set(),
 * tcp_keep_long_set()); a larger TCP_KEEPINIT acts as 65,535 s, which no
 * attempt outlives: V_tcp_retries (12) SYN or SYN|ACK retransmissions end
 * it first, each timeout at most TCPTV_REXMTMAX (64 s) after the first,
 * whose tcp_rexmit_initial the profile holds in 32 bits of us (docs/
 * closing.md, "ranges"). getsockopt() reads the value as set (struct
 * tcp_user_opts). Linux's ranges (32,767 s, 127 probes) fit whole. */
#define KEEP_TIME_MAX TCP_KEEP_TIME_MAX
#define KEEP_INIT_MAX 65535u
#define KEEP_CNT_MAX TCP_KEEP_CNT_MAX

static uint16_t keep_time_s(uint32_t v)
{
	return (uint16_t)(v < KEEP_TIME_MAX ? v : KEEP_TIME_MAX);
}

static uint16_t keep_init_s(uint32_t v)
{
	return (uint16_t)(v < KEEP_INIT_MAX ? v : KEEP_INIT_MAX);
}

/* TCP_KEEPIDLE (intvl false) or TCP_KEEPINTVL of v_s seconds: the TCB's
 * 15 bits, and the side struct for more. */
static void keep_time_set(gt_stack *s, struct tcp_conn *c, bool intvl, uint32_t v_s)
{
	if (intvl)
		c->keep_intvl_s = keep_time_s(v_s);
	else
		c->keep_idle_s = keep_time_s(v_s);
	(void)tcp_keep_long_set(s, c, intvl ? TCP_KEEP_LONG_INTVL : TCP_KEEP_LONG_IDLE, v_s);
}

/* TCP_KEEPCNT: the TCB's 8 bits, and the side struct for more. */
static void keep_cnt_set(gt_stack *s, struct tcp_conn *c, uint32_t v)
{
	c->keep_cnt = (uint8_t)(v < KEEP_CNT_MAX ? v : KEEP_CNT_MAX);
	(void)tcp_keep_long_set(s, c, TCP_KEEP_LONG_CNT, v);
}

void tcp_user_keep_times(gt_stack *s, struct tcp_conn *c, const struct tcp_user_opts *o)
{
	keep_time_set(s, c, false, o->keep_idle_s);
	keep_time_set(s, c, true, o->keep_intvl_s);
	keep_cnt_set(s, c, o->keep_cnt);
	c->keep_init_s = keep_init_s(o->keep_init_s);
}

/* tcp_keepalive_arm() with the count of unanswered probes kept: only an
 * answer clears it, never a socket option. */
static void keepalive_rearm_keep_count(gt_stack *s, struct tcp_conn *c)
{
	uint8_t probes = c->keep_probes_out;
	tcp_keepalive_arm(s, c);
	c->keep_probes_out = probes;
}

/* SO_KEEPALIVE, as Linux's tcp_set_keepalive(): switched on from off, the
 * timer is armed for TCP_KEEPIDLE from now ("if (val &&
 * !sock_flag(sk, SOCK_KEEPOPEN)) inet_csk_reset_keepalive_timer(sk,
 * keepalive_time_when(tp))"); set again while on, it is left alone; off,
 * it is deleted. Neither touches icsk_probes_out, which only an ACK
 * clears (tcp_ack()), so a probe left unanswered before a switch off
 * still counts after the switch back on
 * (tests/pkt/linux/keepalive-so-keepalive-set-again-not-restarted.pkt,
 * keepalive-off-then-on-keeps-probe-count.pkt). FreeBSD's TT_KEEP runs
 * whatever SO_KEEPALIVE says and tcp_timer_keep() reads the flag when it
 * fires (docs/closing.md, "Keepalive"): the switch leaves the timer alone
 * (tests/pkt/freebsd/keepalive-so-keepalive-on-while-idle.pkt). */
static void keepalive_switch(gt_stack *s, struct tcp_conn *c, bool on)
{
	bool was = c->keepalive;
	c->keepalive = on;
	if (s->cfg.keepalive_model == GT_KEEPALIVE_FREEBSD)
		return; /* FreeBSD: the flag only, TT_KEEP runs on (tcp_keepalive_timer_on()) */
	if (on && was && c->keep_at != TCP_TIMER_NONE)
		return;
	keepalive_rearm_keep_count(s, c);
	tcp_timers_update(s, c);
}

/* TCP_KEEPIDLE changed while the keepalive timer runs. Linux's
 * tcp_sock_set_keepidle_locked(): the timer is re-armed for what is left
 * of the new idle time counted from the last segment received
 * (keepalive_time_elapsed()), at once if that is past, icsk_probes_out
 * untouched; TCP_KEEPINTVL and TCP_KEEPCNT re-arm nothing, the next
 * timer reads them (tests/pkt/linux/keepalive-keepidle-*.pkt,
 * keepalive-keepintvl-keepcnt-changed-not-rearmed.pkt). FreeBSD's
 * tcp_default_ctloutput(), TCP_KEEPIDLE: "tcp_timer_activate(tp, TT_KEEP,
 * TP_KEEPIDLE(tp))", the whole idle time from now, in the states from
 * SYN_SENT to CLOSING (cfg.keepalive_model). */
static void keepidle_rearm(gt_stack *s, struct tcp_conn *c)
{
	if (s->cfg.keepalive_model == GT_KEEPALIVE_FREEBSD) {
		keepalive_rearm_keep_count(s, c);
	} else {
		uint64_t idle_us = (uint64_t)tcp_keep_idle_s(s, c) * 1000000;
		uint64_t elapsed_us = (uint64_t)(uint32_t)((uint32_t)(s->now_us / 1000) - c->last_rcv_ms) * 1000;
		c->keep_at = tcp_timer_at(s, idle_us > elapsed_us ? idle_us - elapsed_us : 0);
	}
	tcp_timers_update(s, c);
}

/* TCP_KEEPINTVL or TCP_KEEPCNT set in FIN_WAIT_2, FreeBSD's
 * tcp_default_ctloutput(): "if ((tp->t_state == TCPS_FIN_WAIT_2) &&
 * (TP_MAXIDLE(tp) > 0)) tcp_timer_activate(tp, TT_2MSL, TP_MAXIDLE(tp))",
 * the new keepcnt x keepintvl from now, whether or not the socket can
 * still receive: a half-closed FIN_WAIT_2 (shutdown(SHUT_WR)), which had
 * no TT_2MSL, gets one, and tcp_timer_2msl() then closes it once idle
 * past TP_MAXIDLE, looking again every TP_KEEPINTVL while the peer is
 * heard from (tests/pkt/freebsd/keepalive-fin-wait-2-*-arms-2msl.pkt).
 * Linux's TCP_KEEPINTVL and TCP_KEEPCNT re-arm nothing
 * (cfg.fin2_idle_bsd off). */
static void fin2_maxidle_rearm(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.fin2_idle_bsd || c->state != GT_TCP_FIN_WAIT_2 || c->fin2_timeout_ms < 0 ||
	    !tcp_keep_cnt(s, c) || !tcp_keep_intvl_s(s, c))
		return;
	tcp_arm_fin2(s, c);
	tcp_timers_update(s, c);
}

int tcp_user_set(gt_stack *s, struct tcp_conn *c, enum tcp_user_opt opt,
		 const struct tcp_user_opts *o, int v)
{
	switch (opt) {
	case TCP_UOPT_NONE:
		return 0;
	case TCP_UOPT_NODELAY:
		/* What Nagle (or a cork) held goes now, once, as on Linux.
		 * FreeBSD's tcp_default_ctloutput() only sets TF_NODELAY: the
		 * next output call (an ACK, a write) sends under it. */
		c->nodelay = o->nodelay;
		if (s->cfg.nagle_bsd)
			return 0;
		c->push_once = o->nodelay;
		tcp_output(s, c);
		c->push_once = false;
		return 0;
	case TCP_UOPT_CORK: {
		bool was = c->cork;
		c->cork = o->cork;
		/* FreeBSD's tcp_default_ctloutput() (tcp_usrreq.c), TCP_NOPUSH:
		 * "if (optval) tp->t_flags |= TF_NOPUSH; else if (tp->t_flags &
		 * TF_NOPUSH) { ... if (TCPS_HAVEESTABLISHED(tp->t_state)) error
		 * = tcp_output_nodrop(tp); }": only a clearing that ends a
		 * NOPUSH calls tcp_output(), which sends the tail by its usual
		 * rules (idle or TF_NODELAY). Linux's TCP_CORK pushes at both. */
		if (s->cfg.nagle_bsd && (o->cork || !was || c->state < GT_TCP_ESTABLISHED))
			return 0;
		tcp_output(s, c);
		return 0;
	}
	case TCP_UOPT_KEEPALIVE:
		keepalive_switch(s, c, o->keepalive);
		return 0;
	case TCP_UOPT_KEEPIDLE:
		/* Re-armed even when set to the value it had: both kernels
		 * re-arm without comparing
		 * (tests/pkt/linux/keepalive-keepidle-same-value-rearms.pkt,
		 * tests/pkt/freebsd/keepalive-keepidle-same-value-rearms.pkt). */
		keep_time_set(s, c, false, o->keep_idle_s);
		/* FreeBSD's TT_KEEP is the handshake's timer in SYN_SENT and
		 * SYN_RECEIVED: the connect deadline becomes TP_KEEPIDLE from
		 * now (tcp_connect_deadline_restart();
		 * tests/pkt/freebsd/keepalive-keepidle-syn-sent-*.pkt). */
		if (s->cfg.keepinit_bsd)
			tcp_connect_deadline_restart(s, c, (uint64_t)tcp_keep_idle_s(s, c) * 1000000);
		if (c->keep_at != TCP_TIMER_NONE)
			keepidle_rearm(s, c);
		return 0;
	case TCP_UOPT_KEEPINTVL:
		keep_time_set(s, c, true, o->keep_intvl_s);
		fin2_maxidle_rearm(s, c);
		return 0;
	case TCP_UOPT_KEEPCNT:
		keep_cnt_set(s, c, o->keep_cnt);
		fin2_maxidle_rearm(s, c);
		return 0;
	case TCP_UOPT_RCVLOWAT:
		if (!s->cfg.sb_lowat)
			tcp_autotune_lx_lowat(s, c, o->rcv_lowat);
		return 0;
	case TCP_UOPT_LINGER2:
		c->fin2_timeout_ms = tcp_fin2_timeout_ms(s, o->linger2_s);
		return 0;
	case TCP_UOPT_QUICKACK:
		/* Linux: 1 ACKs the next segments at once (and an ACK owed is
		 * sent now); 0 lets ACKs be delayed again. Not sticky. */
		c->pingpong = !v;
		if (v && s->cfg.delack_linux) {
			/* __tcp_sock_set_quickack(): an owed ACK counts as
			 * pushed, then tcp_cleanup_rbuf() decides (it goes only
			 * if nothing is left unread); no quick-ACKs are added. */
			if (c->delack_at != TCP_TIMER_NONE)
				c->ack_pushed = true;
			tcp_read_ack_check(s, c);
		} else if (v) {
			c->quickack = (uint8_t)s->cfg.quickack_max_segs;
			if (c->delack_at != TCP_TIMER_NONE)
				tcp_send_ack(s, c);
		}
		return 0;
	case TCP_UOPT_CONGESTION:
		/* Switching mid-connection keeps cwnd and ssthresh, as Linux. */
		tcp_cc_cubic_release(c);
		c->cc = tcp_cc_for(s, (enum gt_cc)o->cc);
		c->cubic_epoch = false;
		/* tcp_reinit_congestion_control() zeroes icsk_ca_priv. Before
		 * the handshake's end (an active open's SYN_SENT or
		 * SYN_RECEIVED) the union holds the connect's clock instead
		 * (open_us, keep_dl_us: tcp.h), which Linux keeps apart
		 * (retrans_stamp) and the switch leaves alone
		 * (tests/pkt/linux/user-timeout-syn-sent-congestion-set.pkt). */
		if (!c->passive && (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED))
			return 0;
		memset(&c->cubic, 0, sizeof(c->cubic));
		return 0;
	case TCP_UOPT_USER_TIMEOUT:
		/* tcp_sock_set_user_timeout(): the value only; the timers
		 * read it when they next fire or are armed. */
		c->user_timeout_ms = o->user_timeout_ms;
		return 0;
	case TCP_UOPT_SYNCNT:
		/* tcp_sock_set_syncnt(): the value only (icsk_syn_retries),
		 * read by tcp_write_timeout() at the next timeout in
		 * TCPF_SYN_SENT | TCPF_SYN_RECV alike: a simultaneous open's
		 * SYN_RECEIVED takes it too
		 * (tests/pkt/linux/simultaneous-open-syncnt-set-in-syn-recv.pkt).
		 * Elsewhere the byte is reno_rtx's (tcp.h), and the value
		 * would be read by no timer. */
		if (c->state == GT_TCP_SYN_SENT || (c->state == GT_TCP_SYN_RECEIVED && !c->passive))
			c->syn_count = o->syn_count;
		return 0;
	case TCP_UOPT_KEEPINIT:
		c->keep_init_s = keep_init_s(o->keep_init_s);
		tcp_connect_deadline_restart(s, c,
					     (c->keep_init_s ? c->keep_init_s * 1000ull : s->cfg.connect_timeout_ms) * 1000);
		return 0;
	case TCP_UOPT_IP:
		tcp_conn_ip_opts(c, o);
		return 0;
	}
	return -EINVAL;
}

int tcp_user_set_buffer(gt_stack *s, struct tcp_conn *c, bool snd, uint32_t bytes)
{
	if (c->state == GT_TCP_SYN_SENT)
		return 0; /* the SYN went out with the old size and its window scale */
	/* Changing a live buffer: grow or shrink down to what it holds. As
	 * Linux, a buffer the application sized is not autotuned. */
	if (snd) {
		c->sndbuf_locked = true;
	} else {
		c->rcvbuf_locked = true;
		c->rcv_released = false; /* sbreserve_locked() sets sb_hiwat again */
	}
	struct ring *r = snd ? &c->snd : &c->rcv;
	bytes = tcp_buf_clamp(s, bytes);
	/* The Linux profile's send ring may hold up to TCP_LX_GOAL_MAX
	 * past SO_SNDBUF (tcp_lx_ring_fit()): what it holds stays. */
	/* A send buffer lowered under what it holds keeps it all (Linux's
	 * __sock_set_sndbuf() sets sk_sndbuf whatever is queued; FreeBSD's
	 * sbreserve_locked() sets sb_hiwat whatever sb_ccc is): the ring
	 * keeps the bytes past the buffer in over, until it empties
	 * (tcp_snd_ring_release()); nothing more is written until the data
	 * held is under the buffer. */
	uint32_t over = snd && r->len > bytes ? r->len - bytes : 0;
	/* The receive ring keeps its slack past the new buffer (rcv_wnd_roundup). */
	uint32_t slack = snd ? 0 : tcp_rcv_slack(c);
	uint32_t old = !snd && c->rcv_low ? tcp_rcvbuf(c) : r->cap;
	/* A receive buffer lowered under what the ring holds, or while data
	 * is held out of order (whose place in the ring must stay): the
	 * ring keeps its size (tcp_rcvbuf_lower()), as both kernels keep
	 * every byte they hold. */
	if (!snd && (r->len > bytes || c->nooo) && bytes + slack < r->cap) {
		int err = tcp_rcvbuf_lower(s, c, bytes);
		if (err)
			return err;
		goto clamp;
	}
	/* Raised while data is held out of order: the held bytes keep their
	 * offset past the ring's tail (Linux's sk_setsockopt() and FreeBSD's
	 * sbreserve_locked() set the size only; the out-of-order queue and
	 * the reassembly queue are untouched). */
	uint32_t keep = r->len;
	if (!snd && c->nooo)
		keep += c->ooo[c->nooo - 1].right - c->rcv_nxt;
	if (!snd)
		c->rcv_low = 0;
	if (tcp_ring_resize_keep(s, r, bytes + over + slack, keep) < 0)
		return -ENOBUFS;
	if (snd)
		r->over = over;
clamp:
	/* Linux's window clamp, set when the handshake ended
	 * (tcp_init_buffer_space()), does not follow (lx_window_clamp()):
	 * it keeps the old buffer in rcv_space, which autotuning, off from
	 * here on, no longer needs. */
	if (!snd && s->cfg.rcv_wnd_linux && !c->rcv_clamp_held && c->state >= GT_TCP_ESTABLISHED) {
		c->rcv_space = old;
		c->rcv_clamp_held = true;
	}
	return 0;
}

uint32_t tcp_user_buffer_clamp(gt_stack *s, uint32_t bytes) { return tcp_buf_clamp(s, bytes); }

uint32_t tcp_user_sb_max_adj(const gt_stack *s)
{
	return (uint32_t)((uint64_t)s->cfg.buf_max_bytes * 2048 / (256 + 2048));
}

bool tcp_user_options_fixed(const struct tcp_conn *c) { return c->state != GT_TCP_CLOSED; }

enum gt_tcp_state tcp_user_state(const struct tcp_conn *c) { return (enum gt_tcp_state)c->state; }

void tcp_user_addrs(const struct tcp_conn *c, struct gt_sockaddr *local, struct gt_sockaddr *peer)
{
	if (local)
		*local = tcp_sockaddr(c->laddr, c->lport, false);
	if (peer)
		*peer = tcp_sockaddr(c->faddr, c->fport, false);
}

uint32_t tcp_user_buffer(const struct tcp_conn *c, bool snd) { return snd ? tcp_sndbuf(c) : tcp_rcvbuf(c); }

bool tcp_user_quickack(const gt_stack *s, const struct tcp_conn *c)
{
	/* Linux 6.x reports !inet_csk_in_pingpong_mode(). */
	return s->cfg.delack_linux ? !c->pingpong : c->quickack && !c->pingpong;
}

const char *tcp_user_cc_name(const struct tcp_conn *c) { return c->cc->name; }

uint16_t tcp_user_udp_encaps_port(const gt_stack *s, const struct tcp_conn *c)
{
	return tcp_tun_port(s, c);
}

uint16_t tcp_user_mss(const struct tcp_conn *c)
{
	return c->state == GT_TCP_SYN_SENT ? 0 : c->mss;
}

uint32_t tcp_user_maxseg(const struct tcp_conn *c)
{
	return tcp_bsd_maxseg(c); /* FreeBSD's t_maxseg */
}

static bool writable(const gt_stack *s, const struct tcp_conn *c, uint32_t snd_lowat,
		     uint32_t notsent_lowat)
{
	if (c->state != GT_TCP_ESTABLISHED && c->state != GT_TCP_CLOSE_WAIT)
		return false;
	/* tcp_poll() and sk_stream_write_space(): __sk_stream_is_writeable(sk,
	 * 1), the buffer's rule and tcp_stream_memory_free(sk, 1). */
	if (tcp_lx_sndbuf(s, c))
		return tcp_lx_writable(c, s->cfg.sndbuf_skb_overhead) &&
		       tcp_user_notsent_free(c, notsent_lowat, 1);
	if (s->cfg.sb_lowat) {
		/* FreeBSD's sowriteable(): sbspace(&so_snd) >= sb_lowat. */
		uint32_t room = snd_room(c);
		return room && room >= snd_lowat;
	}
	/* Only a useful amount: as Linux, free space of at least half of
	 * what is queued. */
	uint32_t free_bytes = snd_room(c);
	return free_bytes > 0 && free_bytes >= c->snd.len / 2;
}

bool tcp_user_writable(const gt_stack *s, const struct tcp_conn *c, uint32_t snd_lowat,
		       uint32_t notsent_lowat)
{
	return writable(s, c, snd_lowat, notsent_lowat);
}

/* Data enough to read: FreeBSD's soreadabledata(), sbavail(&so_rcv) >=
 * sb_lowat; Linux's tcp_stream_is_readable() -> tcp_epollin_ready(), some
 * unread and either SO_RCVLOWAT's worth, receive memory past 7/8 of
 * sk_rcvbuf (tcp_rmem_pressure()), or a window left of at most one
 * segment (tcp_receive_window() <= icsk_ack.rcv_mss), since the mark may
 * never be reached then. */
static bool readable(const gt_stack *s, const struct tcp_conn *c, uint32_t rcv_lowat)
{
	uint32_t avail = c->rcv.len;
	if (!avail)
		return false;
	if (avail >= rcv_lowat || s->cfg.sb_lowat)
		return avail >= rcv_lowat;
	uint32_t rcvbuf = tcp_rcvbuf(c);
	if (s->cfg.rcv_wnd_linux && c->rcv.mem > rcvbuf - (rcvbuf >> 3))
		return true;
	uint32_t wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	return wnd <= c->ack_rcv_mss;
}

uint32_t tcp_user_poll(const gt_stack *s, struct tcp_conn *c, bool shut_rd, bool shut_wr,
		       uint32_t snd_lowat, uint32_t rcv_lowat, uint32_t notsent_lowat)
{
	uint32_t m = 0;
	/* tcp_poll(): "Active TCP fastopen socket with defer_connect Return
	 * EPOLLOUT so application can call write()". */
	if (tcp_tfo_deferred(c))
		return GT_POLLOUT;
	if (readable(s, c, rcv_lowat) || c->fin_rcvd || shut_rd)
		m |= GT_POLLIN;
	if (c->fin_rcvd || shut_rd)
		m |= GT_POLLRDHUP;
	/* A socket shut for sending is writable, so that a writer learns
	 * EPIPE rather than waiting (Linux's tcp_poll(): SEND_SHUTDOWN gives
	 * EPOLLOUT; FreeBSD's sowriteable(): SBS_CANTSENDMORE;
	 * sndbuf-poll-shutdown-wr). */
	if (shut_wr || c->fin_queued)
		m |= GT_POLLOUT;
	else if (writable(s, c, snd_lowat, notsent_lowat))
		m |= GT_POLLOUT;
	else if (tcp_lx_sndbuf(s, c) && (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_CLOSE_WAIT))
		/* tcp_poll() sets SOCK_NOSPACE when the socket is not
		 * writable, as a write that found no room does: the next
		 * tcp_check_space() may grow the buffer and clears it once
		 * writable (sndbuf-poll-nospace). */
		c->lx_nospace = true;
	if (c->fin_rcvd && c->fin_queued)
		m |= GT_POLLHUP;
	return m;
}

int tcp_user_cc_by_name(const char *name)
{
	if (!strcmp(name, "cubic"))
		return GT_CC_CUBIC;
	if (!strcmp(name, "reno") || !strcmp(name, "newreno"))
		return GT_CC_NEWRENO;
	return -ENOENT; /* as Linux for an unknown algorithm */
}

const char *tcp_user_cc_default_name(const gt_stack *s, const struct tcp_user_opts *o)
{
	return tcp_cc_by_id(o->cc_set ? (enum gt_cc)o->cc : s->cfg.cc)->name;
}

struct tw_port_probe {
	ip_addr addr;
	uint16_t port;
	bool found;
};

static void tw_on_port(void *ctx, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport, uint64_t expire_us)
{
	struct tw_port_probe *p = ctx;
	(void)faddr;
	(void)fport;
	(void)expire_us;
	if (lport == p->port && (ip_addr_is_any(p->addr) || ip_addr_eq(laddr, p->addr)))
		p->found = true;
}

bool tcp_user_tw_on_port(gt_stack *s, ip_addr laddr, uint16_t lport)
{
	/* The per-port count keeps a port with no entry O(1); only a port
	 * in use is looked at entry by entry. */
	if (!tw_on_local_port(s, lport))
		return false;
	struct tw_port_probe p = {laddr, lport, false};
	tw_foreach(s, tw_on_port, &p);
	return p.found;
}

void tcp_user_set_md5sig(struct tcp_conn *c, bool on)
{
	if (c->md5sig == on)
		return;
	c->md5sig = on;
	/* The segments' room for data changes with the option's 20 bytes. */
	if (c->state != GT_TCP_SYN_SENT && c->state != GT_TCP_SYN_RECEIVED && c->mss > 2 * TCP_MD5_OPT_BYTES)
		tcp_mss_add(c, on ? -TCP_MD5_OPT_BYTES : TCP_MD5_OPT_BYTES);
}

int tcp_user_md5_lx_set(gt_stack *s, int sd, int family, bool ext, const void *val, size_t len,
			struct tcp_conn *c)
{
	int r = tcp_md5_lx_setsockopt(s, sd, family, ext, val, len);
	/* A connection signs from now on, or stops: Linux looks the key up
	 * for every segment (tcp_established_options()). */
	if (!r && c)
		tcp_user_set_md5sig(c, tcp_md5_lx_sock_key(s, sd, c->faddr) != NULL);
	return r;
}

void tcp_user_md5_lx_accepted(gt_stack *s, struct tcp_conn *c, int sd)
{
	if (!s->cfg.md5sig_bsd && s->md5_lx_n)
		tcp_md5_lx_tuple_to_sock(s, c, sd);
}

void tcp_user_md5_lx_detach(gt_stack *s, struct tcp_conn *c)
{
	/* Linux: the key goes on with the sock, which outlives the
	 * descriptor; here the connection keeps a copy of its own. */
	if (!s->cfg.md5sig_bsd && s->md5_lx_n && c->owner >= 0)
		tcp_md5_lx_set_tuple(s, tcp_md5_lx_conn_key(s, c), c->laddr, c->lport, c->faddr,
				     c->fport);
}

void tcp_user_md5_lx_sock_gone(gt_stack *s, int sd)
{
	if (s->md5_lx_n)
		tcp_md5_lx_sock_gone(s, sd);
}
