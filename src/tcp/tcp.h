/* TCP's transmission control block and the functions the TCP layer's files
 * share: connection table, input (RFC 9293 3.10.7), output, timers (RFC 6298),
 * reassembly, congestion control (RFC 5681, RFC 6582) and TIME_WAIT.
 *
 * Invariants of a TCB (checked by tcp_check() in debug builds):
 *   snd_una <= snd_nxt <= snd_max
 *   snd.len == bytes from snd_una up to the end of queued data (FIN excluded)
 *   rcv.len == in-order bytes not yet read by the application
 *   every out-of-order range lies in (rcv_nxt, rcv_nxt + free space]
 *   the heap entry's deadline <= the earliest armed timer (it moves only
 *   earlier; a due entry with nothing to fire moves to the true earliest)
 */
#ifndef GT_TCP_H
#define GT_TCP_H

#include "stack_internal.h"
#include "util/ring.h"
#include "util/seq.h"
#include "wire/tcp_wire.h"

#define TCP_TIMER_NONE UINT64_MAX
#define TCP_MAX_OOO 32 /* hard cap on cfg.max_reass_ranges */
#define TCP_MAX_SACKED 8

struct tcp_range {
	uint32_t left, right; /* [left, right) */
	uint32_t stamp;       /* out-of-order ranges: when last touched */
};

struct tcp_seg; /* a parsed inbound segment, see tcp_input.c */

struct tcp_cc_ops;

struct tcp_conn {
	/* Laid out widest first, so the compiler pads nothing between fields
	 * (bench_memory reports the size; issue 8 asks for little). */
	struct tcp_conn *hnext;     /* hash chain, or free list */
	struct tcp_conn *qnext;     /* accept queue link */
	const struct tcp_cc_ops *cc;
	/* Out-of-order ranges above rcv_nxt, sorted; last_ooo is the range
	 * touched most recently (first SACK block, RFC 2018 4). */
	struct tcp_range *ooo;      /* NULL until data arrives out of order */
	/* SACK scoreboard of the sender: ranges the peer holds above snd_una. */
	struct tcp_range *sacked;   /* NULL until the peer SACKs something */

	/* Timers: absolute deadlines, TCP_TIMER_NONE when off. */
	uint64_t rtx_at, delack_at, persist_at, fin2_at, cork_at, linger_at, keep_at;

	/* Buffers: SO_SNDBUF and SO_RCVBUF are the rings' capacities; the
	 * memory behind them comes and goes with data (tcp_ring_reserve). */
	struct ring snd, rcv;

	struct {                    /* counters kept live for TCP_INFO */
		uint64_t bytes_sent, bytes_acked, bytes_received;
		uint32_t segs_out, segs_in, retrans_segs, fast_retrans, rto_expiries;
		uint32_t dupacks_in, sacks_in, ooo_segs_in;
	} cnt;

	struct {                    /* CUBIC's state (RFC 9438 4), in segments */
		uint32_t epoch_ms;  /* start of the epoch (stack ms, mod 2^32), if cubic_epoch */
		float w_max, k, w_est;
	} cubic;
	uint32_t open_us;           /* when connect() or the SYN started it (us mod 2^32) */
	uint32_t laddr, faddr;
	/* Owner: the socket descriptor, or -1 when orphaned (closed by the
	 * application, or not yet accepted). */
	int sd;
	int listen_sd;              /* SYN_RECEIVED or accept queue: the listener */
	int32_t fin2_timeout_ms;    /* orphaned FIN_WAIT_2 wait; <0: close at once */
	uint32_t snd_sml;           /* end of the last short segment sent (Minshall) */

	/* Send sequence space (RFC 9293 3.3.1). snd_max: highest ever sent. */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
	/* Receive sequence space. rcv_adv: right edge of the window advertised. */
	uint32_t irs, rcv_nxt, rcv_adv;
	uint32_t ooo_fin_seq;

	/* RFC 7323 timestamps: our clock is ms + ts_offset. */
	uint32_t ts_offset, ts_recent;
	uint32_t rexmit_tsval;      /* TSval of our latest retransmission */
	uint32_t ts_recent_s;       /* when TS.Recent was taken (PAWS's 24 days, RFC 7323 5.5) */

	/* RFC 6298 RTT estimation. */
	uint32_t srtt_us, rttvar_us, rto_us, min_rtt_us;
	uint32_t rtt_seq;
	uint32_t rtt_start_us;      /* stack time in us modulo 2^32 */

	/* Congestion control. */
	uint32_t cwnd, ssthresh, recover, bytes_acked;
	uint32_t frto_recover;      /* SND.MAX when the timeout fired */
	uint32_t prior_cwnd, prior_ssthresh; /* to undo a spurious timeout */

	uint32_t heap_idx;          /* the TCB's entry in the stack's timer heap */
	uint32_t rcv_unacked;       /* bytes received since our last ACK */
	uint32_t last_data_rcv_ms;  /* for the ping-pong test; 0 = none yet */
	uint32_t ooo_clock;         /* stamps ranges for SACK order */
	int16_t err;                /* pending error for the socket, -errno */
	uint16_t syn_data_len;      /* text of a SYN held until ESTABLISHED (<= MSS) */
	struct {
		uint32_t left, right;
	} dsack;                    /* RFC 2883: the duplicate to report */
	uint32_t rexmit_nxt;        /* recovery: next byte to retransmit */

	uint16_t lport, fport;
	uint16_t mss;               /* effective send MSS (payload bytes) */
	uint16_t rcv_mss;           /* MSS we announced */
	uint16_t peer_mss;

	uint8_t state;              /* enum gt_tcp_state */
	uint8_t keep_probes_out;
	uint8_t persist_probes;     /* zero-window probes since the last ACK */
	uint8_t snd_wscale, rcv_wscale;
	uint8_t backoff;            /* RTO doublings in a row */
	uint8_t syn_retries;
	uint8_t dupacks;
	uint8_t frto;               /* RFC 5682 stage: 0 off, 1 after the RTO, 2 after a new ACK */
	uint8_t unacked_segs;       /* data segments received since our last ACK */
	uint8_t quickack;           /* segments still to ACK at once */
	uint8_t nooo, last_ooo;
	uint8_t nsacked;

	/* Flags, one bit each. */
	bool in_use : 1;
	bool in_accept_q : 1;
	bool ts_ok : 1, sack_ok : 1, ws_ok : 1;
	bool fin_queued : 1;        /* application closed its sending side */
	bool fin_sent : 1;          /* our FIN went out (at fin_seq) */
	bool fin_rcvd : 1;          /* peer's FIN consumed (rcv_nxt past it) */
	bool fin_ooo : 1;           /* peer's FIN seen ahead of rcv_nxt */
	bool ack_now : 1;           /* send an ACK at the next output */
	bool in_recovery : 1;
	bool rtt_timing : 1;
	bool persist : 1;           /* in zero-window probing */
	bool passive : 1;           /* created by a listener */
	bool shut_rd : 1;           /* application will read no more */
	bool nodelay : 1, cork : 1;
	bool keepalive : 1, noopt : 1;
	bool push_once : 1;         /* send a partial segment once, cork or not */
	bool psh_end : 1;           /* the last write asked for a push (no MSG_MORE) */
	bool quickack_init : 1;     /* the first data segment has been seen */
	bool pingpong : 1;          /* interactive: delayed ACKs ride on data */
	bool dsack_pending : 1;     /* RFC 2883: report a duplicate in the next ACK */
	bool cubic_epoch : 1;       /* cubic.epoch_ms is set */
};

/* Congestion control behind a small interface (RFC 5681 names). */
struct tcp_cc_ops {
	const char *name;
	void (*init)(struct tcp_conn *c);
	/* acked bytes newly acknowledged, outside recovery */
	void (*on_ack)(struct tcp_conn *c, uint32_t acked, uint64_t now_us);
	/* entering fast recovery: set ssthresh */
	void (*on_loss)(struct tcp_conn *c, uint64_t now_us);
	void (*on_rto)(struct tcp_conn *c, uint64_t now_us);
};
extern const struct tcp_cc_ops tcp_cc_newreno;
extern const struct tcp_cc_ops tcp_cc_cubic;
const struct tcp_cc_ops *tcp_cc_by_id(enum gt_cc id);
uint32_t tcp_flight(const struct tcp_conn *c);

/* tcp_conn.c: table, lifecycle, state changes, timers. */
int tcp_table_init(gt_stack *s);
void tcp_table_fini(gt_stack *s);
struct tcp_conn *tcp_conn_alloc(gt_stack *s);
/* Unhashes, stops timers, frees buffers and the TCB; the owning socket
 * learns err (0 for a clean end). */
void tcp_conn_free(gt_stack *s, struct tcp_conn *c, int err);
void tcp_conn_hash(gt_stack *s, struct tcp_conn *c);
/* Cache warming for gt_stack_input_batch(): stage 0 fetches the hash bucket
 * of the 4-tuple, stage 1 (once the bucket is near) the first TCB of its
 * chain. Only hints: nothing is read that could fault or change. */
void tcp_prefetch(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		  uint16_t fport, int stage);
struct tcp_conn *tcp_lookup(gt_stack *s, uint32_t laddr, uint16_t lport,
			    uint32_t faddr, uint16_t fport);
void tcp_set_state(gt_stack *s, struct tcp_conn *c, uint8_t state, const char *why);
void tcp_timers_update(gt_stack *s, struct tcp_conn *c);
/* Memory for a lazy ring, within max_buffer_bytes; 0 or -ENOBUFS. */
int tcp_ring_reserve(gt_stack *s, struct ring *r);
/* Gives an empty ring's memory back. */
void tcp_ring_release(gt_stack *s, struct ring *r);
/* Frees cached buffers until the cache holds at most max_bytes. */
void tcp_buf_cache_trim(gt_stack *s, uint64_t max_bytes);
void tcp_conn_mark(gt_stack *s, struct tcp_conn *c);
uint32_t tcp_now_ts(const gt_stack *s, const struct tcp_conn *c);
void tcp_check(const struct tcp_conn *c);
/* The connection's TCP_INFO. */
void tcp_fill_info(const struct tcp_conn *c, struct gt_tcp_info *ti);
/* Calls fn for every TCB in use; fn may free the one it is given. */
void tcp_foreach(gt_stack *s, void (*fn)(gt_stack *s, struct tcp_conn *c, void *ctx), void *ctx);
void tcp_arm_fin2(gt_stack *s, struct tcp_conn *c);
/* The window scale we offer for a receive buffer of this size. */
uint8_t tcp_rcv_wscale(const gt_stack *s, uint32_t rcvbuf_bytes);
/* (Re)starts the keepalive idle time; off unless SO_KEEPALIVE. */
void tcp_keepalive_arm(gt_stack *s, struct tcp_conn *c);
/* Enters TIME_WAIT: moves the connection to the compact table. */
void tcp_enter_time_wait(gt_stack *s, struct tcp_conn *c);
/* Sets up a fresh TCB for an active or passive open. */
void tcp_conn_init(gt_stack *s, struct tcp_conn *c, const struct gt_sock *so);
/* Keepalive times (RFC 1122 4.2.3.6): the socket's TCP_KEEPIDLE,
 * TCP_KEEPINTVL and TCP_KEEPCNT (the listener's before accept()), else the
 * stack's. Read when used, not kept in the TCB. */
uint32_t tcp_keep_idle_s(gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_keep_intvl_s(gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_keep_cnt(gt_stack *s, const struct tcp_conn *c);

/* The sequence number of our FIN once fin_sent: nothing is ever sent after
 * it, so it is the last one sent (RFC 9293 3.10.4: the FIN follows all
 * queued data). tcp_check() holds it to snd_una + snd.len. */
static inline uint32_t tcp_fin_seq(const struct tcp_conn *c) { return c->snd_max - 1; }
/* Our FIN, and so everything we sent, is acknowledged. */
static inline bool tcp_fin_acked(const struct tcp_conn *c)
{
	return c->fin_sent && seq_gt(c->snd_una, tcp_fin_seq(c));
}

/* tcp_isn.c */
uint32_t tcp_isn(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport);
#define TCP_TUPLE_SALT 0x7507
uint32_t tcp_ts_offset(gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_ts_offset_tuple(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			     uint16_t fport);
/* RFC 6056 algorithm 3: a free ephemeral port for the tuple, or -EADDRNOTAVAIL. */
int tcp_ephemeral_port(gt_stack *s, uint32_t laddr, uint32_t faddr, uint16_t fport,
		       uint32_t *tw_snd_nxt, bool *tw_reused);

/* tcp_syncookie.c (RFC 4987 3.6) */
void tcp_send_syncookie(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			uint16_t fport, uint32_t irs, const struct tcp_opts *syn_opts,
			uint32_t rcvbuf_bytes);
/* True if iss is a cookie we issued for this SYN (irs) in the last two
 * periods; fills *o with the options it encodes (MSS, and with
 * timestamps wscale and SACK-permitted from the echoed TSval). */
bool tcp_syncookie_check(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			 uint16_t fport, uint32_t irs, uint32_t iss, const struct tcp_opts *ack_opts,
			 struct tcp_opts *o);
uint64_t tcp_keyed(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		   uint16_t fport, uint32_t salt);

/* tcp_input.c */
void tcp_input(gt_stack *s, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);
/* ICMP error about a segment we sent (RFC 1122 4.2.3.9, RFC 5927). */
void tcp_icmp_error(gt_stack *s, uint8_t type, uint8_t code, uint16_t mtu,
		    const uint8_t *inner, size_t inner_len);
bool tcp_challenge_ack_allowed(gt_stack *s);

/* tcp_output.c */
void tcp_output(gt_stack *s, struct tcp_conn *c);
/* One new segment at SND.NXT within the peer's window, whatever cwnd. */
void tcp_output_one(gt_stack *s, struct tcp_conn *c);
void tcp_send_ack(gt_stack *s, struct tcp_conn *c);
/* An ACK at SND.NXT whatever the profile (challenge ACKs, RFC 5961). */
void tcp_send_pure_ack(gt_stack *s, struct tcp_conn *c);
void tcp_send_keepalive(gt_stack *s, struct tcp_conn *c);
void tcp_send_syn(gt_stack *s, struct tcp_conn *c);
/* RST for a connection (seq = snd_nxt). */
void tcp_send_rst_conn(gt_stack *s, struct tcp_conn *c);
/* Sends a bare segment not tied to a TCB (RSTs to stray segments, TIME_WAIT
 * ACKs). opts may be NULL. */
void tcp_send_raw(gt_stack *s, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		  uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
		  const struct tcp_opts *opts);
/* Retransmits the segment at snd_una (fast retransmit, RTO). */
void tcp_retransmit_head(gt_stack *s, struct tcp_conn *c);
/* Fast recovery with SACK: resends the next hole the peer reported. */
void tcp_sack_retransmit(gt_stack *s, struct tcp_conn *c);
/* The window field to advertise now; updates rcv_adv. */
uint16_t tcp_window_field(gt_stack *s, struct tcp_conn *c);
/* The window the application's reads would open: send an update if it grew much. */
void tcp_rcv_window_maybe_update(gt_stack *s, struct tcp_conn *c);

/* tcp_timer.c */
void tcp_timers_run(gt_stack *s, uint64_t now_us);
void tcp_rtt_sample(gt_stack *s, struct tcp_conn *c, uint32_t rtt_us);
void tcp_arm_rtx(gt_stack *s, struct tcp_conn *c);

/* tcp_reass.c: out-of-order data. */
/* Stores data at seq (> rcv_nxt) ahead of the tail. Returns bytes stored or
 * -ENOBUFS when the range limit is hit. */
int tcp_reass_insert(struct tcp_conn *c, uint32_t seq, const uint8_t *data, uint32_t len,
		     uint32_t max_ranges);
/* After rcv_nxt moved: absorbs ranges that now touch it; returns bytes made
 * readable (already in the ring). */
uint32_t tcp_reass_advance(struct tcp_conn *c);
/* Fills up to max SACK blocks, most recent first (RFC 2018 4). */
uint8_t tcp_reass_sack_blocks(const struct tcp_conn *c, struct tcp_sack_block *out, uint8_t max);
/* Sender scoreboard. */
void tcp_sack_update(struct tcp_conn *c, const struct tcp_opts *o);
bool tcp_sacked(const struct tcp_conn *c, uint32_t seq, uint32_t *range_end);

/* tcp_timewait.c */
int tw_init(gt_stack *s);
void tw_fini(gt_stack *s);
/* True if the segment belonged to a TIME_WAIT entry (handled). *reuse is set
 * when a SYN may open a new connection over it (the entry is then gone). */
bool tw_input(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport,
	      const struct tcp_hdr *th, uint32_t seglen, bool *reuse);
bool tw_exists(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport);
/* connect() over a TIME_WAIT pair: removes the entry and returns true when
 * timestamps make the reuse safe (cfg.tw_reuse); *old_snd_nxt is the old
 * connection's, for an ISN beyond it. */
bool tw_take_for_reuse(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		       uint16_t fport, uint32_t *old_snd_nxt);
/* Adds an entry; -ENOBUFS when the table is full. */
int tw_add(gt_stack *s, const struct tcp_conn *c);
void tw_expire(gt_stack *s, uint64_t now_us);
uint64_t tw_next_deadline(const gt_stack *s);
uint32_t tw_count(const gt_stack *s);
/* Live entries whose local port is port (any local address). */
uint32_t tw_on_local_port(const gt_stack *s, uint16_t port);
uint32_t tw_peak(const gt_stack *s);
uint64_t tw_bytes(const gt_stack *s);
/* Read-only walk of the TIME_WAIT entries, in deadline order (for listings). */
void tw_foreach(const gt_stack *s,
		void (*fn)(void *ctx, uint32_t laddr, uint16_t lport, uint32_t faddr,
			   uint16_t fport, uint64_t expire_us),
		void *ctx);

/* A trace event about connection c; callers test stack_tracing() first so
 * that tracing costs one branch when off. */
static inline void tcp_trace(gt_stack *s, const struct tcp_conn *c, enum gt_trace_type type,
			     uint32_t a, uint32_t b, uint32_t x, const char *why)
{
	struct gt_trace_event ev = {
		.type = type, .now_us = s->now_us, .laddr = c->laddr, .faddr = c->faddr,
		.lport = c->lport, .fport = c->fport, .a = a, .b = b, .c = x, .reason = why,
	};
	stack_trace(s, &ev);
}
static inline uint32_t tcp_trace_delay(uint64_t delay_us)
{
	return delay_us > UINT32_MAX ? UINT32_MAX : (uint32_t)delay_us;
}

#endif
