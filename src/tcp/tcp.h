/* TCP's transmission control block and the functions the TCP layer's files
 * share: connection table and lifetime (tcp_conn.c), states (tcp_state.c),
 * listeners (tcp_listen.c), the user calls (tcp_user.c, tcp_user.h), input
 * (RFC 9293 3.10.7), output, timers (RFC 6298), reassembly (tcp_reass.c),
 * the sender's SACK scoreboard (tcp_sack.c), congestion control (RFC 5681,
 * RFC 6582, RFC 9438) and TIME_WAIT.
 *
 * Who owns a TCB: TCP. The socket layer holds it as an opaque handle and
 * reaches it only through tcp_user.h; TCP tells the socket (its owner, a
 * descriptor) through sock_mark() and sock_conn_gone().
 *
 * Lifetime: tcp_conn_alloc() -> ... -> tcp_conn_free(). A free marks the
 * TCB dead (unhashed, timers stopped, buffers returned, owner told) at
 * once, but its memory is recycled only by tcp_reap(), which the stack's
 * entry points call on their way out: code that freed a TCB in the middle
 * of an input or a timer run reads a dead TCB, never reused memory, and
 * every function that may free returns whether the TCB lives.
 *
 * States change only through tcp_set_state() (tcp_state.c), which checks
 * each transition against RFC 9293's diagram; an illegal one is recorded
 * and fails tcp_check_all() in every build.
 *
 * Invariants of a TCB (tcp_conn_assert() in debug builds, tcp_check_all()
 * in every build for the whole stack):
 *   snd_una <= snd_nxt <= snd_max
 *   snd.len == bytes from snd_una up to the end of queued data (FIN excluded)
 *   rcv.len == in-order bytes not yet read by the application
 *   every out-of-order range lies in (rcv_nxt, rcv_nxt + free space]
 *   the heap entry's deadline <= the earliest armed timer (it moves only
 *   earlier; a due entry with nothing to fire moves to the true earliest)
 *   a dead TCB has no timer, no heap entry, no hash entry, no owner
 */
#ifndef GT_TCP_H
#define GT_TCP_H

#include "stack_internal.h"
#include "tcp/tcp_user.h"
#include "util/hash.h"
#include "util/ring.h"
#include "util/seq.h"
#include "wire/icmp6.h"
#include "wire/tcp_wire.h"

#define TCP_TIMER_NONE UINT64_MAX
/* Hard caps on the range lists (the counts are 16-bit). Each list grows
 * on demand from TCP_RANGES_MIN and is bounded by its ring first: the
 * receiver's by tcp_reass_limit(), the scoreboard by tcp_sack_limit(). */
#define TCP_MAX_OOO 65535 /* out-of-order ranges; hard cap on cfg.max_reass_ranges */
#define TCP_MAX_SACKED 65535 /* the scoreboard's ranges, allocated on the first SACK */
#define TCP_RANGES_MIN 8 /* a list's first allocation, in ranges */
#define TCP_OOO_RECENT 8 /* ranges remembered in touch order, for SACK blocks */
#define TCP_BSD_SACK_BLKS 6 /* FreeBSD's MAX_SACK_BLKS: tp->sackblks[] */
#define TCP_MAX_XMIT 4096 /* RACK's transmit log, records (tcp_rack.c) */
#define TCP_PSH_MARKS 16 /* Linux PSH marks a TCB keeps (cfg.psh_linux) */
#define TCP_LX_SKBS 32  /* Linux skb ends in flight a TCB keeps (cfg.psh_linux) */
#define TCP_LX_OFO 4096 /* Linux skbs held out of order a TCB keeps apart (rcv_wnd_linux) */
/* Linux's largest size goal: a GSO packet's 64 KiB less MAX_TCP_HEADER + 1
 * (tcp_xmit_size_goal()); also how far the Linux profile's send ring may
 * grow past SO_SNDBUF (tcp_lx_ring_fit()). */
#define TCP_LX_GOAL_MAX (65536u - 321u)

/* What the retransmission timer (rtx_at) runs as: the RTO (RFC 6298), or
 * with RACK-TLP the reordering timer or the probe timeout (RFC 8985). */
enum { TCP_RTX_RTO = 0, TCP_RTX_REO = 1, TCP_RTX_TLP = 2 };

struct tcp_range {
	uint32_t left, right; /* [left, right) */
	uint32_t stamp;       /* out-of-order ranges: when last touched */
};

/* Proportional rate reduction in RFC 6675 recovery, FreeBSD's sackhint
 * prr_* fields (tcp_sack.c). It lives in the scoreboard's allocation, not
 * in the TCB: only a connection whose peer SACKs needs it. */
struct tcp_prr {
	uint32_t delivered;         /* prr_delivered: bytes delivered since recovery began */
	uint32_t out;               /* prr_out: bytes sent since */
	uint32_t recover_fs;        /* the flight when it began */
	uint32_t delivered_now;     /* what the ACK being processed delivered */
	uint32_t acked_now;         /* how far it moved SND.UNA */
	uint32_t cong_recover;      /* ECN's snd_recover: SND.MAX + 1 at the ECE */
	uint32_t sacked_extra;      /* what FreeBSD's sacked_bytes holds past the bytes
				     * SACKed above SND.UNA (tcp_sack_doack(), past
				     * snd_fack); 0 once an ACK finds no holes */
	/* FreeBSD's rescue hole (rscheff/freebsd-src tcp_sack_partialack(),
	 * net.inet.tcp.sack.revised): [rescue_lo, rescue_hi) on FreeBSD's
	 * scoreboard, resent up to rescue_rx, so rescue_rx - rescue_lo of
	 * sack_bytes_rexmit; rescue_kept what sack_bytes_rexmit still holds
	 * of it after tcp_sack_doack() moved the hole below a SACK block. */
	uint32_t rescue_lo, rescue_rx, rescue_hi;
	uint32_t rescue_kept;
	uint32_t bsd_left;          /* PRR's cwnd less sack_bytes_rexmit that the peer's
				     * window left unsent: a later tcp_output()'s */
	uint32_t bsd_cw;            /* cwnd as tcp_do_prr_ack() last set it (0: none):
				     * a later tcp_output()'s room for holes */
	uint32_t nxt_before;        /* SND.NXT as the ACK being processed found it
				     * (FreeBSD's tcp_do_prr_ack() and
				     * tcp_sack_partialack() read it before
				     * process_ACK pulls it up to SND.UNA) */
	bool rescue_on : 1;         /* the rescue hole is on the scoreboard */
	bool bsd_cwnd : 1;          /* cwnd as tcp_sack_partialack() set it, until PRR
				     * sets it again: tcp_output()'s SACK-recovery room */
	bool newloss : 1;           /* a new loss for PRR's bound (SACK_NEWLOSS) */
	bool holes_before : 1;      /* the scoreboard had holes when it came */
	bool on : 1;                /* this recovery runs by PRR */
	bool cong : 1;              /* an ECN reduction runs (IN_CONGRECOVERY) */
	bool cong_prr : 1;          /* and by PRR (net.inet.tcp.do_prr) */
	bool lost_bsd : 1;          /* pipe less lost_bytes (cfg.pipe_lost_bsd) */
};

/* c->sacked points at r; the scoreboard and its PRR state are one block,
 * reallocated as the scoreboard grows (cap ranges). */
struct tcp_sackboard {
	struct tcp_prr prr;
	uint32_t cap;
	uint32_t bytes; /* the ranges' bytes, kept as they change (tcp_sack_update(),
			 * tcp_sack_prune()); meaningful while nsacked > 0, since
			 * an RTO or a reset empties the scoreboard by nsacked = 0 */
	struct tcp_range r[];
};

/* c->ooo points at r: the out-of-order ranges, their capacity, and a
 * sequence number inside each of the ranges touched most recently, most
 * recent first (RFC 2018 4's order of SACK blocks without a scan of the
 * ranges; tcp_reass_sack_blocks()). */
struct tcp_ooo {
	uint32_t cap;
	uint32_t nrecent;
	uint32_t recent[TCP_OOO_RECENT];
	/* cfg.sack_list_linux: Linux's own list of SACK blocks
	 * (tp->selective_acks[TCP_NUM_SACKS]), most recent first, which
	 * need not match the ranges held (tcp_reass_lx_sack_add()); or,
	 * with cfg.sack_list_bsd, FreeBSD's tp->sackblks[MAX_SACK_BLKS]
	 * (tcp_reass_bsd_sack_add()). */
	struct tcp_sack_block lx[TCP_BSD_SACK_BLKS];
	uint32_t nlx;
	/* While tcp_fin() sends its ACK in FIN_WAIT_1/2 (fin_input()):
	 * tcp_sack_remove() has not run, so a block that starts at the
	 * new RCV.NXT, one past the FIN, is still listed. */
	bool lx_at_nxt;
	struct tcp_range r[];
};

struct tcp_seg; /* a parsed inbound segment, see tcp_input.c */

struct tcp_cc_ops;
struct tcp_hystart; /* tcp_cc_cubic.c */
struct tcp_cubic_lx; /* tcp_cc_cubic.c */
struct tcp_cubic_bsd; /* tcp_cc_cubic_bsd.c */
struct tcp_lxtx;    /* tcp_output.c */

/* A listening endpoint (RFC 9293's LISTEN), owned by TCP: connections not
 * yet accepted, in a FIFO, and the options they start with. */
struct tcp_listener {
	struct tcp_conn *accept_head, *accept_tail;
	struct tcp_user_opts opts;
	ip_addr laddr;              /* ::ffff:0.0.0.0 any IPv4, :: any IPv6 (and IPv4
				     * unless v6only) */
	uint16_t lport;
	bool in_use;
	bool v6only;                /* IPV6_V6ONLY of an IPv6 wildcard */
	int owner;                  /* the listening socket's descriptor */
	int backlog;
	uint32_t accept_len, syn_len; /* completed, and half-open, children */
	/* When the SYN queue last overflowed (a cookie sent), on the stack's
	 * clock; overflowed false: never (cfg.syncookie_after_overflow). */
	uint64_t overflow_us;
	bool overflowed;
	/* TCP Fast Open children still in SYN_RECEIVED (Linux's
	 * fastopenq.qlen), bounded by opts.tfo_qlen (tcp_fastopen.c). */
	uint32_t tfo_len;
	int next;                   /* next in the port bucket, or the free list; -1 none */
};

struct tcp_conn {
	/* Laid out widest first, so the compiler pads nothing between fields
	 * (bench_memory reports the size; issue 8 asks for little). */
	struct tcp_conn *hnext;     /* hash chain, or free list */
	struct tcp_conn *qnext;     /* accept queue link */
	const struct tcp_cc_ops *cc;
	/* Out-of-order ranges above rcv_nxt, sorted (struct tcp_ooo). */
	struct tcp_range *ooo;      /* NULL until data arrives out of order */
	/* SACK scoreboard of the sender: ranges the peer holds above snd_una. */
	struct tcp_range *sacked;   /* NULL until the peer SACKs something */
	struct tcp_rack *rack;      /* RACK-TLP's transmit log; NULL until a flight with it */
	/* Linux's PSH marks and the skb boundaries of what is in flight
	 * (cfg.psh_linux); NULL until the first write. */
	struct tcp_lxtx *lx;

	/* Timers: absolute deadlines, TCP_TIMER_NONE when off. */
	uint64_t rtx_at, delack_at, persist_at, fin2_at, cork_at, linger_at, keep_at;

	/* Buffers: SO_SNDBUF and SO_RCVBUF are the rings' capacities (less
	 * snd.over, the receive slack, and while rcv_low a receive buffer
	 * lowered under what the ring holds: tcp_sndbuf(), tcp_rcvbuf()); the
	 * memory behind them comes and goes with data (tcp_ring_reserve). */
	struct ring snd, rcv;
	/* rcv.mem: Linux's sk_rmem_alloc (rcv_wnd_linux), the skb memory
	 * (truesize, lx_truesize()) the data held in order is charged, 0
	 * when empty. */

	struct {                    /* counters kept live for TCP_INFO */
		uint64_t bytes_sent, bytes_acked, bytes_received;
		uint32_t segs_out, segs_in, retrans_segs, fast_retrans, rto_expiries;
		uint32_t dupacks_in, sacks_in, ooo_segs_in, ooo_dropped, rcv_nomem;
	} cnt;

	/* Stack times in full 64 bits: a 32-bit one wraps after 71 minutes
	 * without a poll (a stopped process, a paused VM) and would make an
	 * old time look recent. */
	uint64_t rtt_start_us;      /* Karn's timed segment went out */
	union {
		/* Read only before ESTABLISHED (an active open's connect
		 * timeout), before congestion control starts. */
		struct {
			uint64_t open_us; /* when connect() or the SYN started it */
			/* Beside the cubic pointers (lx, bsd), which stay NULL
			 * until congestion control starts. */
			uint64_t open_pad_;
			/* FreeBSD's TT_KEEP in the handshake, re-armed by
			 * TCP_KEEPINIT or TCP_KEEPIDLE (tcp_default_ctloutput()):
			 * the connect deadline it moved to, 0 none (open_us +
			 * TCP_KEEPINIT). tcp_start_cc() clears it; within the
			 * union's size, the TCB does not grow. */
			uint64_t keep_dl_us;
		};
		struct {            /* CUBIC's state (RFC 9438 4), in segments */
			union {
				uint64_t epoch_us; /* start of the epoch, if cubic_epoch */
				/* HyStart's, while hystart_on (slow start only,
				 * never with cubic_epoch): tcp_cc_cubic.c. */
				struct tcp_hystart *hy;
			};
			union {
				struct {
					/* A double: at thousands of segments a float
					 * drops the per-ACK increment alpha / cwnd
					 * (RFC 9438 4.3). */
					double w_est;
					float w_max, k;
				};
				/* tcp_cc_cubic_lx: Linux's struct bictcp
				 * (struct tcp_cubic_lx) once allocated, kept
				 * out of the TCB (tests/unit/test_tcb_size.c). */
				struct tcp_cubic_lx *lx;
				/* tcp_cc_cubic_bsd: FreeBSD's struct cubic, the
				 * same way out of the TCB. */
				struct tcp_cubic_bsd *bsd;
			};
		} cubic;
	};
	ip_addr laddr, faddr;
	/* Owner: the socket descriptor to tell of changes, or -1 when orphaned
	 * (closed by the application, or not yet accepted). */
	int owner;
	int lh;                     /* SYN_RECEIVED or accept queue: the listener's handle */
	int32_t fin2_timeout_ms;    /* orphaned FIN_WAIT_2 wait; <0: close at once */
	uint32_t snd_sml;           /* end of the last short segment sent (Minshall) */

	/* Send sequence space (RFC 9293 3.3.1). snd_max: highest ever sent. */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
	/* Receive sequence space. rcv_adv: right edge of the window advertised. */
	uint32_t irs, rcv_nxt, rcv_adv;
	/* Linux's receive window (rcv_wnd_linux): the window last offered
	 * (tp->rcv_wnd) and the bound it grows under (tp->rcv_ssthresh). */
	uint32_t rcv_wnd, rcv_ssthresh;
	uint32_t ooo_fin_seq;
	/* Linux's PSH (cfg.psh_linux; the marks are in lx): tp->pushed_seq;
	 * the start of the unsent skb write() appends to. */
	uint32_t lx_pushed_seq, lx_skb_start;
	uint32_t ato_us;            /* Linux's icsk_ack.ato (cfg.delack_linux); 0 before data */

	/* RFC 7323 timestamps: our clock is ms + ts_offset. */
	uint32_t ts_offset, ts_recent;
	uint32_t rexmit_tsval;      /* TSval of our latest retransmission */
	/* When TS.Recent was taken (PAWS's 24 days, RFC 7323 5.5): in seconds
	 * (Linux's ts_recent_stamp), or with cfg.paws_bsd the 32-bit ms count
	 * FreeBSD's ts_recent_age keeps (tcp_ts_getticks()). One field, its
	 * unit the profile's: the TCB has no room for both (unit.tcb_within_its_budget). */
	uint32_t ts_recent_stamp;

	/* RFC 6298 RTT estimation. */
	uint32_t srtt_us, rttvar_us, rto_us, min_rtt_us;
	uint32_t rtt_seq;
	/* cfg.rto_min_adds_srtt: rttvar_us is Linux's mdev_us (4 x the mean
	 * deviation); its rttvar_us and the round's state are in the side
	 * struct (tcp_lx_rtt_round()). */

	/* Congestion control. */
	uint32_t cwnd, ssthresh, recover, bytes_acked;
	uint32_t prior_cwnd, prior_ssthresh; /* to undo a spurious timeout */
	/* cfg.ts_undo: the TSval of the timeout's retransmission (Linux's
	 * retrans_stamp), while loss_undo_on. cfg.rto_undo_bsd, without
	 * Linux's loss state: FreeBSD's t_badrxtwin (that TSval, or in ticks
	 * without timestamps), loss_undo_on its TF_PREVVALID, prior_cwnd and
	 * prior_ssthresh its snd_cwnd_prev and snd_ssthresh_prev
	 * (tcp_timer.c: bsd_badrxt_save()). */
	uint32_t loss_undo_ts;
	/* cfg.reno_undo: the recovery's first retransmission's TSval (Linux's
	 * retrans_stamp) and what it reduced. */
	uint32_t reno_undo_ts, reno_undo_cwnd, reno_undo_ssthresh;

	/* Receive-buffer autotuning (tcp_autotune.c). By FreeBSD's rule the
	 * same three hold rfbuf_cnt, "rfbuf_ts is set" and rfbuf_ts. */
	/* Bytes read in the last measured receiver RTT. Once the application
	 * sized an established connection's buffer (rcvbuf_locked, no more
	 * autotuning) and rcv_clamp_held is set: the buffer Linux's window
	 * clamp was derived from (lx_window_clamp()). */
	uint32_t rcv_space;
	uint32_t rcv_space_read;    /* bytes read before the measurement (mod 2^32) */
	uint32_t rcv_space_ms;      /* measurement start, stack ms (mod 2^32: a wrap
				     * only shortens one measurement) */
	/* Receiver's RTT estimate from echoed TSvals (us, at most 2^24 - 1),
	 * and the low byte of the TSecr that gave the last sample: Linux takes
	 * one sample per TSecr (tcp_rcv_rtt_measure_ts(), rcv_rtt_last_tsecr;
	 * a byte here, within the TCB's budget). */
	uint32_t rcv_rtt_us : 24;
	uint32_t rcv_rtt_tsecr_lo : 8;
	uint32_t heap_idx;          /* the TCB's entry in the stack's timer heap */
	uint32_t rcv_unacked;       /* bytes received since our last ACK */
	uint32_t last_data_rcv_ms;  /* for the ping-pong test; 0 = none yet */
	uint32_t oow_ack_ms;        /* stack ms: start of the out-of-window ACK period */
	/* Restart after idle (cfg.idle_restart): stack ms (mod 2^32) of the
	 * last data sent and of the last segment received. */
	union {
		/* cfg.idle_restart 1 (Linux's lsndtime), or 2 with
		 * maxunack_ms 0 (FreeBSD's t_sndtime, 0: not set;
		 * bsd_sndtime()). */
		uint32_t last_snd_ms;
		/* cfg.maxunack_ms only (gt_config_valid() keeps the two
		 * apart), while acktime_on: FreeBSD's t_acktime, stack ms
		 * when data or a FIN went out with nothing outstanding, or
		 * when an ACK last moved SND.UNA (tcp_progress_*()). */
		uint32_t acktime_ms;
	};
	uint32_t last_rcv_ms;
	uint32_t ecn_recover;       /* RFC 3168 6.1.2: no second reduction before this is ACKed */
	uint32_t ooo_clock;         /* stamps ranges for SACK order */
	int16_t err;                /* pending error for the socket, -errno */
	uint16_t syn_data_len;      /* text of a SYN held until ESTABLISHED (<= MSS) */
	struct {
		uint32_t left, right;
	} dsack;                    /* RFC 2883: the duplicate to report */
	uint32_t rexmit_nxt;        /* recovery: next byte to retransmit */

	uint16_t lport, fport;
	/* TCP_KEEPIDLE, TCP_KEEPINTVL (and keep_cnt, TCP_KEEPCNT); 0: the stack's.
	 * Linux's setsockopt() takes at most 32,767 (MAX_TCP_KEEPIDLE,
	 * MAX_TCP_KEEPINTVL): 15 bits, the 16th a flag, as the TCB is at its
	 * size budget. FreeBSD's take up to UINT_MAX / hz: a value above
	 * 32,767 is held here as 32,767 and whole in the side struct's head
	 * (tcp_keep_long_set(); read through tcp_keep_idle_s() and
	 * tcp_keep_intvl_s(), these fields elsewhere only to write); so is a
	 * FreeBSD TCP_KEEPCNT above keep_cnt's 255 (tcp_keep_cnt()). */
	uint16_t keep_idle_s : 15;
	/* The Linux side struct's head was given back holding only what the
	 * TCB says again (tcp_lx_shed(): an idle connection after its
	 * handshake); the next use makes it anew from that. */
	bool lx_shed : 1;
	uint16_t keep_intvl_s : 15;
	bool ack_nxt_behind : 1;    /* this ACK found SND.NXT below SND.MAX (ss_bsd: tcp_cc_abc_full()) */
	/* keep_init_s: TCP_KEEPINIT (BSD), 0 the stack's connect_timeout_ms,
	 * read by an active open in SYN_SENT / SYN_RECEIVED alone. Once the
	 * application has closed the socket (tcp_conn_orphan()) past those,
	 * the bits say the traffic class of its timewait ACKs instead
	 * (tcp_tw_keep_tclass(), TCP_ORPHAN_TCLASS): the TCB is at its budget. */
	union {
		uint16_t keep_init_s;
		uint16_t orphan_tclass;
	};
	/* The IP header fields of the connection's family (tcp_conn_ip_opts):
	 * IP_TOS / IPV6_TCLASS, DSCP bits (TCP owns the ECN field); IP_TTL /
	 * IPV6_UNICAST_HOPS, 0: the stack's default (64, cfg.hop_limit), unless
	 * ip_ttl_zero (a hop limit of 0, which RFC 3542 6.3 allows). The DSCP
	 * is kept as such (TOS >> 2) beside what IP_MTU_DISCOVER makes of the
	 * connection's packets (TCP_PMTUD_*, tcp_ip_df()): the TCB is at its
	 * budget. */
	uint8_t ip_dscp : 6, pmtud : 2;
	uint8_t ip_ttl;
	uint16_t mss;               /* effective send MSS (payload bytes) */
	uint16_t rcv_mss;           /* MSS we announced */
	uint16_t peer_mss;
	uint16_t ack_rcv_mss;       /* the peer's segment size as seen (Linux icsk_ack.rcv_mss) */
	uint16_t ack_last_seg;      /* the last short segment's size, 0: none (Linux icsk_ack.last_seg_size) */
	uint16_t nooo;              /* out-of-order ranges (ooo) */
	uint16_t nsacked;           /* the scoreboard's ranges (sacked) */
	uint16_t rcv_tailroom;      /* room left in the last skb held (rcv_wnd_linux; skb_try_coalesce()) */

	uint8_t state;              /* enum gt_tcp_state */
	uint8_t keep_cnt;
	uint8_t keep_probes_out;
	uint8_t persist_probes;     /* zero-window probes since the last ACK */
	uint8_t snd_wscale : 4;      /* 0..14 (tcp_input.c clamps it) */
	/* FreeBSD's TF_LASTIDLE (cfg.nagle_bsd): the last tcp_output() call
	 * found the connection idle but a write with more to come
	 * (TF_MORETOCOME, GT_MSG_MORE) held its tail, so the next call counts
	 * as idle too. In snd_wscale's byte: the TCB is at its budget. */
	bool bsd_lastidle : 1;
	/* SYN_RECEIVED under TCP_DEFER_ACCEPT: a bare ACK came and was
	 * dropped (Linux's inet_rsk(req)->acked); in a bit-field hole. A TCP
	 * Fast Open child never meets TCP_DEFER_ACCEPT (it is queued from the
	 * SYN on): for it the bit says its SYN's data was taken (Linux's
	 * syn_data_acked), for life; another connection's is cleared at its
	 * handshake (tcp_syn_data_acked()). An active open never meets it
	 * either: in SYN_SENT it says its SYN was a Fast Open one (Linux's
	 * syn_fastopen or syn_data: tcp_tfo_syn()), from the SYN-ACK on its
	 * syn_data_acked. The TCB has no bit to spare. */
	bool defer_acked : 1;
	/* The peer's FIN is held out of order with no range (fin_ooo, nooo 0),
	 * and its block is in Linux's SACK list (cfg.sack_list_linux). */
	bool fin_sacked : 1;
	/* Linux's CWR without SACK (tcp_ecn_reno_cwr_on(); tcp_rack.c keeps
	 * it with SACK): an ECE's PRR reduction runs, high_seq ecn_recover,
	 * prior_cwnd prior_cwnd, prr_delivered reno_prr_delivered. In this
	 * byte's last spare bit: the TCB is at its budget. */
	bool ecn_reno_cwr : 1;
	/* Our scale (0..14), and the level of the slack rcv.cap holds past
	 * the buffer (cfg.rcv_wnd_roundup, tcp_rcv_slack(); 0: none),
	 * sharing a byte: the TCB is at its budget. */
	uint8_t rcv_wscale : 4, rcv_slack : 4;
	uint8_t backoff;            /* RTO doublings in a row */
	/* RTO retransmissions since data was last acknowledged (Linux's
	 * icsk_retransmits; with retries_need_rtt since the last RTT sample,
	 * FreeBSD's t_rxtshift): what data_retries counts. backoff goes back
	 * to 0 with it, or with backoff_needs_rtt only on an RTT sample. */
	uint8_t rtx_count;
	uint8_t syn_retries;
	uint8_t dupacks;
	uint8_t dupthresh;          /* cfg.reno_undo: duplicates that mean loss, 0: cfg.reordering_segs (Linux's tp->reordering) */
	uint8_t unacked_segs;       /* data segments received since our last ACK */
	uint8_t quickack;           /* segments still to ACK at once */
	/* Linux's tp->scaling_ratio (rcv_wnd_linux): payload / truesize of
	 * the segments received, in 256ths; 0 until a segment sets it (the
	 * default, TCP_DEFAULT_SCALING_RATIO, 128: half). */
	uint8_t rcv_ratio;
	uint8_t oow_acks;           /* out-of-window ACKs sent in that period */

	/* Flags, one bit each. */
	bool in_use : 1;
	bool dead : 1;              /* freed, memory not yet recycled (tcp_reap) */
	bool in_accept_q : 1;
	bool ts_ok : 1, sack_ok : 1, ws_ok : 1;
	bool fin_queued : 1;        /* application closed its sending side */
	bool fin_sent : 1;          /* our FIN went out (at fin_seq) */
	bool fin_alone : 1;         /* ... first in a segment without data */
	bool linger_expired : 1;    /* SO_LINGER's time passed (linger_expiry_orphans) */
	bool fin_rcvd : 1;          /* peer's FIN consumed (rcv_nxt past it) */
	bool rcv_shut : 1;          /* SHUT_RD: SBS_CANTRCVMORE, RCV_SHUTDOWN */
	bool fin_ooo : 1;           /* peer's FIN seen ahead of rcv_nxt */
	bool ack_now : 1;           /* send an ACK at the next output */
	bool ack_deferred : 1;      /* a regular ACK owed at the input batch's end */
	bool ack_defer_listed : 1;  /* in gt_stack.ack_defer[] */
	bool in_recovery : 1;
	bool reno_undo_on : 1;      /* the recovery may still be undone (cfg.reno_undo) */
	bool rescue_sent : 1;       /* RFC 6675 rule 4 used in this recovery */
	bool rcvbuf_locked : 1;     /* SO_RCVBUF set: no autotuning */
	bool sndbuf_locked : 1;     /* SO_SNDBUF set: no autotuning */
	bool lx_nospace : 1;        /* Linux's SOCK_NOSPACE: a write found no room */
	bool rtt_timing : 1;
	bool persist : 1;           /* in zero-window probing */
	bool passive : 1;           /* created by a listener */
	bool from_cookie : 1;       /* rebuilt from a SYN cookie (tcp_syncookie_end) */
	bool nodelay : 1, cork : 1;
	bool keepalive : 1, noopt : 1;
	bool md5sig : 1;            /* RFC 2385: sign every segment, drop unsigned ones */
	/* Linux: the SYN had timestamps, which the signed SYN-ACK left out
	 * (tcp_synack_options()); its window is still rounded as with them
	 * (tcp_openreq_init_rwin() ran first). */
	bool ts_given_up : 1;
	bool push_once : 1;         /* send a partial segment once, cork or not */
	bool psh_end : 1;           /* the last write asked for a push (no MSG_MORE) */
	bool quickack_init : 1;     /* the first data segment has been seen */
	bool pingpong : 1;          /* interactive: delayed ACKs ride on data */
	/* Linux's ICSK_ACK_PUSHED, ICSK_ACK_PUSHED2: one, two short segments
	 * unACKed (cfg.delack_linux). */
	bool ack_pushed : 1, ack_pushed2 : 1;
	bool dsack_pending : 1;     /* RFC 2883: report a duplicate in the next ACK */
	bool cubic_epoch : 1;       /* cubic.epoch_us is set */
	bool hystart_on : 1;        /* cubic.hy is allocated */
	bool hystart_found : 1;     /* HyStart ended slow start (Linux's ca->found) */
	bool reno_half_cwnd : 1;    /* NewReno's ssthresh from cwnd (cfg.reno_ssthresh_cwnd) */
	bool reno_rto_wnd : 1;      /* ... after an RTO from min(SND.WND, cwnd) (cfg.reno_rto_ssthresh_wnd) */
	bool ss_bsd : 1;            /* FreeBSD's slow start (cfg.slow_start_bsd, tcp_cc_ss_grow()) */
	/* ECN (RFC 3168): negotiated; our SYN asked for it; ECE on every
	 * segment until the peer's CWR (6.1.3); CWR on the next new data
	 * after a reduction (6.1.2); the SYN-ACK of a simultaneous open
	 * carries ECE (FreeBSD's TF2_ECN_SND_ECE in SYN_RECEIVED). */
	bool ecn_ok : 1, ecn_asked : 1, ecn_ece : 1, ecn_cwr : 1;
	/* AccECN agreed (FreeBSD's TF2_ACE_PERMIT; ecn_ok too); the handshake's
	 * last ACK sent or received (TF2_ECN_PERMIT within it); the segment
	 * being handled reported new CE marks (tcp_ecn_input_segment()'s
	 * delta, for the congestion response). */
	bool ace_ok : 1, ace_est : 1, ace_news : 1;
	/* RFC 9768 3.2: r.cep, the CE marks received (t_rcep), and s.cep, the
	 * peer's count as its ACE fields told it (t_scep), mod 8: only the
	 * ACE field's 3 bits are ever sent or compared; the IP-ECN field of
	 * the peer's SYN, which our SYN-ACK reports (3.1.1 table 2; FreeBSD's
	 * SCF_ACE_*). */
	bool acktime_on : 1;        /* acktime_ms holds a time: something is outstanding */
	uint8_t ace_rcep : 3, ace_scep : 3, ace_syn_ecn : 2;
	bool ip_ttl_zero : 1;
	/* In Linux's loss state (cfg.loss_pipe_linux): set by a timeout,
	 * cleared when SND.UNA reaches recover or F-RTO undoes it. */
	bool loss_pipe : 1;
	/* That loss state without SACK, held while SND.UNA sits at recover:
	 * set by the timeout, cleared once SND.UNA passes recover (Linux's
	 * tcp_is_non_sack_preventing_reopen()). */
	bool reno_hold : 1;
	bool reno_head_lost : 1;    /* reno_prr(): the head is marked lost, not yet resent */
	bool reno_undone : 1;       /* ... that recovery undone at high_seq and held (undo_marker 0) */
	bool loss_undo_on : 1;      /* the loss state may be undone by timestamps */
	/* What our SYN asks for, decided when the TCB was made (FreeBSD's
	 * tcp_newtcpcb(): TF_REQ_SCALE, TF_REQ_TSTMP, TF_SACK_PERMIT); read
	 * only with cfg.syn_opts_at_open (tcp_syn_offer()). */
	bool req_ws : 1, req_ts : 1, req_sack : 1;
	/* Linux's window_clamp has followed the buffer since autotuning grew
	 * it (tcp_rcv_space_adjust()); until then tcp_init_buffer_space()'s
	 * reservation of one segment holds (lx_window_clamp()). */
	bool rcv_clamp_grown : 1;
	/* Linux's window_clamp stays what it was when SO_RCVBUF changes an
	 * established connection's buffer (sk_setsockopt() sets sk_rcvbuf
	 * only): it is derived from rcv_space, not rcv.cap, until a new
	 * scaling ratio resets it (tcp_measure_rcv_mss()). */
	bool rcv_clamp_held : 1;
	/* The receive buffer given up (cfg.shut_rd_release_bsd: FreeBSD's
	 * sorflush() zeroes sb_hiwat, so tcp_rcvbuf() is 0 from then on).
	 * Here for a spare bit: the TCB is at its budget. */
	bool rcv_released : 1;
	unsigned dup_ack_counter : 2; /* duplicate ACKs sent at once since RCV.NXT moved, 0-3 */
	unsigned rtx_kind : 2;      /* TCP_RTX_*: what rtx_at is */
	unsigned frto : 2;          /* RFC 5682 stage: 0 off, 1 after the RTO, 2 after a new ACK */
	/* SO_RCVBUF lowered under what the ring holds (tcp_rcvbuf_lower()):
	 * the buffer is the side struct's rcvbuf_low, smaller than the ring,
	 * until the ring empties (tcp_rcv_ring_release()). The last spare
	 * bit: the TCB is at its budget. */
	unsigned rcv_low : 1;
	/* cfg.chack_own_limit: challenge ACKs sent in the period that
	 * began at chack_ms (FreeBSD's t_challenge_ack_cnt, _end). Kept in
	 * the tail padding: the TCB does not grow. */
	uint8_t chack_acks;
	/* ACKs held by SACK compression (Linux's compressed_ack); while there
	 * are some the compressed-ACK timer runs, on delack_at (any ACK sent
	 * ends both; the first to fire sends one ACK). */
	uint8_t compressed_ack;
	/* Linux's recovery without SACK by PRR (reno_prr_on()): the
	 * duplicates counted as SACKed (sacked_out), prr_delivered, the
	 * retransmissions sent in it (prr_out less the new segments, which
	 * SND.MAX past recover counts), in segments, saturating (the last at
	 * 255: a recovery without SACK that retransmits more takes that many
	 * round trips of partial ACKs). Placed in the holes around chack_ms
	 * (unit.tcb_within_its_budget). In SYN_SENT, where no recovery
	 * runs, the byte is TCP_SYNCNT instead (Linux's icsk_syn_retries,
	 * 1 to 127, 0: cfg.syn_retries; an active open's only, a listener's
	 * is read from its options): tcp_set_state() clears it on leaving
	 * SYN_SENT (a simultaneous open's SYN_RECEIVED, after it) and every recovery clears reno_rtx before counting, so
	 * the 8 bytes a field of its own would cost stay unspent. */
	union {
		uint8_t reno_rtx;
		uint8_t syn_count;
	};
	uint16_t reno_sacked, reno_prr_delivered;
	uint32_t chack_ms;
	/* TCP_USER_TIMEOUT (Linux's icsk_user_timeout, ms, 0 off; only the
	 * Linux profile takes it, cfg.user_timeout_linux), and when the
	 * stall the timeouts measure began, stack ms (mod 2^32), 0 not
	 * begun: Linux's retrans_stamp (the first RTO retransmission since
	 * SND.UNA last moved: tcp_retries2's time model and the user timeout
	 * count from it) while rtx_count is not 0, or Linux's
	 * icsk_probes_tstamp (the first zero-window probe) while persisting
	 * with nothing in flight; the two never run at once (an RTO finds
	 * something in flight, a probe nothing). In SYN_SENT the clock is
	 * open_us. The TCB's budget grew by these 8 bytes
	 * (unit.tcb_within_its_budget). */
	uint32_t user_timeout_ms;
	uint32_t stall_start_ms;
};

/* Linux keeps an orphan's FIN_WAIT_2 as a timewait sock in substate
 * FIN_WAIT2 when its wait (tcp_fin_timeout / TCP_LINGER2) is within 60 s
 * (tcp_time_wait(); tcp_fin2_orphan_ttl()). */
static inline bool tcp_fin2_wait_as_tw(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.fin2_orphan_default_ttl && c->fin2_timeout_ms >= 0 &&
	       c->fin2_timeout_ms <= 60000;
}

/* Such an orphan, now: it takes segments as tcp_timewait_state_process()
 * does. */
static inline bool tcp_fin2_tw(const gt_stack *s, const struct tcp_conn *c)
{
	return c->state == GT_TCP_FIN_WAIT_2 && c->owner < 0 && tcp_fin2_wait_as_tw(s, c);
}

/* s->tx_ttl for the connection's segments. */
/* Does the TCB sign its segments (RFC 2385)? TCP_MD5SIG asked, and
 * TCP_NOOPT, which sends no options at all, not set. */
static inline bool tcp_signs(const struct tcp_conn *c) { return c->md5sig && !c->noopt; }

static inline uint16_t tcp_tx_ttl(const struct tcp_conn *c)
{
	return c->ip_ttl_zero ? STACK_TTL_SET : c->ip_ttl;
}

/* cwnd as Linux holds it. A Linux-profile fast recovery without SACK
 * (reno_prr() in tcp_input.c) keeps cwnd over every byte out, the
 * duplicated and the lost-but-unsent head included, so that the output
 * sends what Linux sends; Linux's tcp_cwnd_reduction() sets it to
 * tcp_packets_in_flight() + sndcnt, which leaves both out (sacked_out,
 * lost_out less retrans_out). Only reno_prr() sets reno_sacked and
 * reno_head_lost, and each recovery starts them afresh. */
static inline uint32_t tcp_cwnd_linux(const struct tcp_conn *c)
{
	if (!c->in_recovery || c->sack_ok)
		return c->cwnd;
	uint32_t left = ((uint32_t)c->reno_sacked + (c->reno_head_lost ? 1u : 0u)) * c->mss;
	return c->cwnd > left ? c->cwnd - left : 0;
}

/* An undo puts back the window and threshold saved at the reduction, never
 * lowering either (Linux's tcp_undo_cwnd_reduction(): cwnd = max(cwnd,
 * prior_cwnd), ssthresh = max(ssthresh, prior_ssthresh)). */
static inline void tcp_undo_raise(struct tcp_conn *c, uint32_t cwnd, uint32_t ssthresh)
{
	if (c->cwnd < cwnd)
		c->cwnd = cwnd;
	if (c->ssthresh < ssthresh)
		c->ssthresh = ssthresh;
}

/* Congestion control behind a small interface (RFC 5681 names). */
struct tcp_cc_ops {
	const char *name;
	void (*init)(struct tcp_conn *c);
	/* acked bytes newly acknowledged, outside recovery */
	void (*on_ack)(struct tcp_conn *c, uint32_t acked, uint64_t now_us);
	/* entering fast recovery: set ssthresh */
	void (*on_loss)(struct tcp_conn *c, uint64_t now_us);
	void (*on_rto)(struct tcp_conn *c, uint64_t now_us);
	/* FreeBSD's cc_cong_signal(CC_RTO_ERR) after its own restore
	 * (cfg.rto_undo_bsd); NULL: nothing more (newreno_cong_signal()). */
	void (*on_rto_err)(struct tcp_conn *c);
	/* An RTT sample, taken before on_ack (Linux's pkts_acked); NULL:
	 * none wanted. */
	void (*on_rtt)(gt_stack *s, struct tcp_conn *c, uint32_t rtt_us);
	/* A segment with data went out, idle: nothing was in flight (Linux's
	 * tcp_event_data_sent(), CA_EVENT_TX_START); NULL: none wanted. */
	void (*on_sent)(struct tcp_conn *c, bool idle, uint64_t now_us);
	/* A fast recovery ends, pipe the flight FreeBSD's
	 * cc_post_recovery() measures (tcp_sack_prr_end()); NULL:
	 * newreno_cc_post_recovery()'s cwnd. */
	void (*post_recovery)(struct tcp_conn *c, uint32_t pipe);
	/* FreeBSD's cc_after_idle(), before the restart window cuts cwnd
	 * (tcp_idle_restart()); NULL: newreno_cc_after_idle()'s cut alone. */
	void (*after_idle)(struct tcp_conn *c, uint64_t now_us);
	/* FreeBSD's cc_cong_signal(CC_ECN) with cfg.ecn_halves_cwnd: set
	 * ssthresh (cwnd follows it down); false, or NULL: NewReno's half of
	 * cwnd is taken. */
	bool (*on_ecn)(struct tcp_conn *c, uint64_t now_us);
};
/* Linux's struct bictcp, in packets, jiffies (of hz) and 1/1024 s
 * (K), and the ACK being fed a packet at a time (tcp_input.c's loop): its
 * SND.UNA and jiffy, cwnd (bytes) and snd_cwnd_cnt before it, packets so
 * far, and whether bictcp_update() returned early for it. */
struct tcp_cubic_lx {
	uint32_t cnt, last_max_cwnd, last_cwnd, last_j, origin, k, delay_min_us;
	uint32_t epoch_j, ack_cnt, tcp_cwnd;
	uint32_t ack_una, ack_cwnd0, ack_acc0;
	uint16_t ack_k, ack_j16;
	uint16_t hz;             /* cfg.cubic_linux_hz when allocated */
	bool early;
	/* Linux's lsndtime in jiffies: the last data sent, once lsnd_on;
	 * not CUBIC's state, so bictcp_reset() keeps it. */
	bool lsnd_on;
	uint32_t lsnd_j;
};
/* Frees CUBIC's HyStart state and Linux's CUBIC state if any (a switch of
 * algorithm, the end). */
void tcp_cc_cubic_release(struct tcp_conn *c);
/* Linux's cubic_root() (tcp_cubic.c): table and one Newton step. */
uint32_t tcp_cubic_root_lx(uint64_t a);
/* Linux CUBIC's state where the connection has none yet (lx_alloc()). */
void tcp_cubic_lx_alloc(gt_stack *s, struct tcp_conn *c);
/* HyStart's send log (cfg.hystart, CUBIC, slow start): len bytes from seq
 * went out now. Also where Linux's and FreeBSD's CUBIC states are first
 * allocated. */
void tcp_hystart_sent(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len);
/* Linux's ca_rtt_us for the ACK that moved SND.UNA from una0, from the
 * send log: false when no log runs; *rtt_us UINT32_MAX when this ACK gives
 * none (nothing sent alone in it, or retransmitted data covered). */
bool tcp_hystart_rtt(gt_stack *s, struct tcp_conn *c, uint32_t una0, uint32_t *rtt_us);
bool tcp_hystart_sack_rtt(gt_stack *s, struct tcp_conn *c, uint32_t hi, uint32_t *rtt_us);
extern const struct tcp_cc_ops tcp_cc_newreno;
extern const struct tcp_cc_ops tcp_cc_cubic;
/* CUBIC in Linux's integer arithmetic (cfg.cubic_linux_hz), named "cubic". */
extern const struct tcp_cc_ops tcp_cc_cubic_lx;
/* FreeBSD's CUBIC (cfg.cubic_bsd_hz), named "cubic". */
extern const struct tcp_cc_ops tcp_cc_cubic_bsd;
/* Its state, at the first transmission or RTT sample (counted when
 * memory is short: NewReno's rules meanwhile), and cubic_conn_init()'s
 * W_max at the first transmission; freed by tcp_cc_cubic_release(). */
void tcp_cubic_bsd_alloc(gt_stack *s, struct tcp_conn *c);
void tcp_cubic_bsd_free(struct tcp_conn *c);
/* The stack's algorithm for id: cubic is tcp_cc_cubic_bsd with
 * cfg.cubic_bsd_hz, else tcp_cc_cubic_lx with cfg.cubic_linux_hz. */
const struct tcp_cc_ops *tcp_cc_for(const gt_stack *s, enum gt_cc id);
const struct tcp_cc_ops *tcp_cc_by_id(enum gt_cc id);
/* Slow start's share of an ACK of acked bytes: true and cwnd grown when the
 * connection is in slow start (cwnd < ssthresh; FreeBSD: <=), by at most
 * one segment (RFC 5681 3.1, RFC 3465 L = 1), or FreeBSD's abc_l_var = 2
 * segments unless a timeout's retransmission is under way. */
bool tcp_cc_ss_grow(struct tcp_conn *c, uint32_t acked);
/* FreeBSD's ABC test in newreno_cc_cwnd_in_slow_start() (cc.c), which its
 * NewReno and CUBIC share: abc_l_var segments an ACK only while SND.NXT =
 * SND.MAX, one after a timeout pulled SND.NXT back. tcp_do_segment() asks
 * cc_ack_received() before it pulls SND.NXT up to the new SND.UNA, so an
 * ACK that covers all of SND.MAX while the go-back-N resend is still below
 * it grows cwnd by one segment (ack_nxt_behind, set by ack_advance()). */
static inline bool tcp_cc_abc_full(const struct tcp_conn *c)
{
	return c->snd_nxt == c->snd_max && !c->ack_nxt_behind;
}
uint32_t tcp_flight(const struct tcp_conn *c);
uint32_t tcp_flight_cwnd(const gt_stack *s, struct tcp_conn *c);
/* Linux's PSH marking (cfg.psh_linux) for n bytes just queued by a write:
 * push is false for MSG_MORE (a write the buffer cut short pushes); eor:
 * the write, taken whole, had MSG_EOR: its last skb takes nothing more. */
void tcp_psh_write(gt_stack *s, struct tcp_conn *c, uint32_t n, bool first, bool push, bool eor);
/* A write's full skb left without a push (no forced_push(), not the send
 * head): Linux runs no tcp_write_xmit() then, so no tcp_grow_skb(). */
void tcp_lx_hold_grow(struct tcp_conn *c, bool hold);
void tcp_lx_wakeup_mark(gt_stack *s, struct tcp_conn *c);
/* The connection's first sequence number after the SYN: Linux's
 * write_seq, pushed_seq at establishment. */
void tcp_psh_init(struct tcp_conn *c);
/* Linux's send MSS (cfg.mss_half_wnd, tcp_sync_mss()): the path's MSS;
 * c->mss cut again to half the peer's largest window; a new path MSS
 * (cut once the connection is established); the MD5 option's room. */
uint16_t tcp_mss_path(const struct tcp_conn *c);
void tcp_mss_sync(gt_stack *s, struct tcp_conn *c);
void tcp_mss_set_path(gt_stack *s, struct tcp_conn *c, uint16_t path);
void tcp_mss_add(struct tcp_conn *c, int delta);
/* The data a segment sent now may carry: c->mss less the room of the SACK
 * blocks it carries (Linux's tcp_current_mss(), FreeBSD's tcp_output()
 * optlen trim). Every data segment and size goal is cut to it. */
uint32_t tcp_send_mss(const gt_stack *s, const struct tcp_conn *c);
/* Linux's MTU probing (cfg.mtu_probing, tcp_output.c) and the connection's
 * cached route (gt_route_set()). */
void tcp_mtup_route_changing(gt_stack *s, ip_addr dst);
void tcp_mtup_acked(gt_stack *s, struct tcp_conn *c);
bool tcp_mtup_probe_lost(gt_stack *s, struct tcp_conn *c);
void tcp_mtup_blackhole(gt_stack *s, struct tcp_conn *c);
/* What IP_MTU_DISCOVER does to a TCP connection's packets (Linux's
 * ip_dont_fragment() and tcp_v4_mtu_reduced()): WANT, the default, DF
 * unless the route's MTU is locked; DO, DF; PROBE, no DF; DONT, INTERFACE
 * and OMIT, no DF, and an ICMP "fragmentation needed" resends nothing at
 * once (the route learns the MTU; the next send takes it). */
enum { TCP_PMTUD_WANT = 0, TCP_PMTUD_DO, TCP_PMTUD_PROBE, TCP_PMTUD_NO_RESEND };
bool tcp_ip_df(const gt_stack *s, const struct tcp_conn *c);
int tcp_mtup_frag_needed(gt_stack *s, struct tcp_conn *c, uint32_t mtu);
/* Linux's tail loss probe of sent data ending at end (tcp_send_loss_probe():
 * the last skb re-fragmented to the current MSS): false without skb ends. */
bool tcp_lx_probe_seq(gt_stack *s, struct tcp_conn *c, uint32_t end, uint32_t *seq, uint32_t *len);
void tcp_lx_sack_align(const struct tcp_conn *c, struct tcp_opts *o, uint32_t ack);
/* FreeBSD's tcp_sack_doack() block filter (cfg.sack_doack_bsd): drops
 * from o the blocks it would not take, counting D-SACKs and drops. */
void tcp_sack_bsd_filter(gt_stack *s, const struct tcp_conn *c, struct tcp_opts *o, uint32_t ack);
bool tcp_lx_cwnd_limited(const struct tcp_conn *c, bool *limited);
/* FreeBSD's PMTU black-hole detection (cfg.pmtud_blackhole, tcp_output.c):
 * a data segment of len went out; a retransmission timeout, counted in
 * rtx_count, may lower or restore the MSS before the retransmission. */
void tcp_pmtud_sent(gt_stack *s, struct tcp_conn *c, uint32_t len);
void tcp_pmtud_blackhole_rto(gt_stack *s, struct tcp_conn *c);
/* Frees the PSH marks and skb boundaries (c->lx), if any. */
void tcp_psh_free(struct tcp_conn *c);
/* Everything sent acknowledged, nothing unsent: c->lx back to its head
 * (the marks and skb ends go until the next write). */
void tcp_lx_idle(gt_stack *s, struct tcp_conn *c);
/* Whether a kept skb end is at seq (tcp_lx_acked_pkts()'s ends). */
bool tcp_lx_skb_ends_at(const struct tcp_conn *c, uint32_t seq);
/* An idle connection's side struct given back where its head holds only
 * what the TCB derives again: Linux's RTT round after the handshake's one
 * sample and the chrono's rcv_tstamp at the handshake's end (lx_shed set);
 * else nothing. */
void tcp_lx_shed(gt_stack *s, struct tcp_conn *c);
void tcp_lx_una_moved(struct tcp_conn *c);
void tcp_lx_head_cut(struct tcp_conn *c);
uint32_t tcp_lx_cut_pad(const gt_stack *s, const struct tcp_conn *c, uint32_t ack);
uint32_t tcp_lx_acked_pkts(const gt_stack *s, const struct tcp_conn *c, uint32_t ack);
/* Linux's packets_out (tcp_input.c pkts_upto() to SND.MAX): under
 * cfg.flight_short_pkt a short skb one packet, a FIN sent alone one. */
uint32_t tcp_lx_packets_out(const gt_stack *s, const struct tcp_conn *c);
/* ... and those in [SND.UNA, seq) (tcp_input.c, read-only, for tcp_info.c). */
uint32_t tcp_lx_pkts_upto(const gt_stack *s, const struct tcp_conn *c, uint32_t seq);
uint32_t tcp_lx_head_rtx_end(const gt_stack *s, const struct tcp_conn *c);
/* Linux's send buffer (cfg.sndbuf_skb_overhead): how many of want bytes a
 * write may queue now, and whether poll() reports POLLOUT. */
bool tcp_lx_sndbuf(const gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_lx_send_room(const struct tcp_conn *c, uint32_t overhead, uint32_t want);
/* Bytes until the skb a write would fill next is full: the rest of the
 * unsent tail skb, else a size goal. */
uint32_t tcp_lx_skb_left(const struct tcp_conn *c);
bool tcp_lx_writable(const struct tcp_conn *c, uint32_t overhead);
/* Grows the send ring (memory reserved) so that want more bytes fit, at
 * most TCP_LX_GOAL_MAX past SO_SNDBUF, within the stack's budget. */
void tcp_lx_ring_fit(gt_stack *s, struct tcp_conn *c, uint32_t want);
/* SO_SNDBUF: the send ring's capacity less what it grew past it. */
static inline uint32_t tcp_sndbuf(const struct tcp_conn *c) { return c->snd.cap - c->snd.over; }
/* The receive ring past the buffer (cfg.rcv_wnd_roundup): FreeBSD 14's
 * window field rounded up to the scale offers up to 2^scale - 1 bytes
 * beyond the free buffer, and takes what the peer sends there. The
 * never-shrink rule keeps that edge, and the next field rounds the rest
 * up again: while the application does not read, each ACK can carry the
 * edge up to one more unit past the buffer (tcp_output(): recwin =
 * rcv_adv - rcv_nxt, roundup2(), rcv_adv = rcv_nxt + recwin), bounded
 * only by the window's ceiling (recwin at most TCP_MAXWIN << rcv_scale).
 * The ring starts with TCP_RCV_SLACK_UNITS units (at most
 * TCP_RCV_SLACK_MAX bytes) less one byte past the buffer, rcv_slack 1;
 * each level above doubles it, taken when the rounded edge would pass the
 * ring (tcp_window_field(), TcpRcvWndSlackGrown) within the stack's
 * budget and that ceiling. */
#define TCP_RCV_SLACK_UNITS 64u
#define TCP_RCV_SLACK_MAX 65536u /* 4 units at scale 14 */
#define TCP_RCV_SLACK_LEVELS 15u /* rcv_slack : 4 */
static inline uint32_t tcp_rcv_slack_of(unsigned wscale, unsigned level)
{
	if (!level)
		return 0u; /* every profile but FreeBSD's round-up: no slack to size */
	uint32_t b = TCP_RCV_SLACK_UNITS << wscale;
	b = b < TCP_RCV_SLACK_MAX ? b : TCP_RCV_SLACK_MAX;
	return (b << (level - 1u)) - 1u;
}
static inline uint32_t tcp_rcv_slack(const struct tcp_conn *c)
{
	return tcp_rcv_slack_of(c->rcv_wscale, c->rcv_slack);
}
/* Counts the bytes committed since the ring held before that lie past
 * the buffer, in the slack (TcpRcvWndOver). */
static inline void tcp_rcv_count_over(gt_stack *s, const struct tcp_conn *c, uint32_t before)
{
	uint32_t b = c->rcv.cap - tcp_rcv_slack(c);
	if (c->rcv.len > b)
		s->st.TcpRcvWndOver += c->rcv.len - (before > b ? before : b);
}
/* The receive buffer (SO_RCVBUF, sb_hiwat): what every window rule reads;
 * 0 once given up (rcv_released): the ring keeps its size for the data
 * that still arrives, acknowledged and freed (tcp_rcv_drop_unread()). */
uint32_t tcp_rcvbuf_lowered(const struct tcp_conn *c);
static inline uint32_t tcp_rcvbuf(const struct tcp_conn *c)
{
	if (c->rcv_released)
		return 0u;
	return c->rcv_low ? tcp_rcvbuf_lowered(c) : c->rcv.cap - tcp_rcv_slack(c);
}
/* Its free space, FreeBSD's sbspace() at 0 or more: the data held may
 * pass the buffer by the slack. */
static inline uint32_t tcp_rcv_space(const struct tcp_conn *c)
{
	uint32_t b = tcp_rcvbuf(c);
	return b > c->rcv.len ? b - c->rcv.len : 0;
}
/* net.ipv4.tcp_reordering: the duplicate threshold a connection starts
 * with (cfg.reordering_segs, 3 when unset). */
static inline uint32_t tcp_reordering_base(const gt_stack *s)
{
	return s->cfg.reordering_segs ? s->cfg.reordering_segs : 3u;
}
/* Linux's tp->reordering: the connection's duplicate threshold, from
 * cfg.reordering_segs until reordering raised it. */
static inline uint32_t tcp_reordering(const gt_stack *s, const struct tcp_conn *c)
{
	return c->dupthresh ? c->dupthresh : tcp_reordering_base(s);
}

/* tcp_conn.c: the table of TCBs and their lifetime. */
int tcp_table_init(gt_stack *s);
void tcp_table_fini(gt_stack *s);
/* Memory the table holds now: TCB slabs, hash buckets, timer heap. */
uint64_t tcp_table_bytes(const gt_stack *s);
/* A zeroed TCB in CLOSED with every timer off, or NULL (counted). */
struct tcp_conn *tcp_conn_alloc(gt_stack *s);
/* Ends the connection: CLOSED, unhashed, timers stopped, buffers given
 * back, its listener and its owner told (err: 0 for a clean end, else the
 * -errno the socket learns). The TCB is dead from here on; tcp_reap()
 * recycles its memory when the stack's entry point returns. A second
 * free of a dead TCB is a bug, recorded for tcp_check_all(). */
void tcp_conn_free(gt_stack *s, struct tcp_conn *c, int err);
/* The application let go of the connection (close()): no owner from here
 * on, counted in s->orphans until the free (Linux's sock_orphan() and
 * tcp_orphan_count_inc() in __tcp_close()). */
void tcp_conn_orphan(gt_stack *s, struct tcp_conn *c);
/* Neither a descriptor's nor a listener's: closed by the application and
 * going on alone (Linux's SOCK_DEAD), one of s->orphans. */
/* Probing ends (the persist timer's state and its backoff): the window
 * opened, or new sequence space goes out, timed by the RTO instead
 * (FreeBSD's tcp_output(): "tcp_timer_activate(tp, TT_PERSIST, 0);
 * tp->t_rxtshift = 0"). */
static inline void tcp_persist_leave(struct tcp_conn *c)
{
	c->persist = false;
	c->persist_at = TCP_TIMER_NONE;
	c->backoff = 0;
}
static inline bool tcp_is_orphan(const struct tcp_conn *c)
{
	return c->owner < 0 && c->lh < 0;
}
/* Linux's tcp_out_of_resources() for an orphan whose retransmission or
 * probe timer fired: more orphans than cfg.max_orphans, the count doubled
 * for each of "nothing sent for 2 x TCP_RTO_MAX or no reset wanted" and
 * "a soft ICMP error", resets it (do_reset, or data sent in the last 60 s,
 * or a zero window with nothing in flight) and frees it, counted in
 * TcpAbortOnMemory. Returns true when it was freed. */
bool tcp_orphan_too_many(gt_stack *s, struct tcp_conn *c, bool do_reset);
/* An internal inconsistency found at run time (a double free, an illegal
 * transition): counted, the first described, and tcp_check_all() fails. */
void tcp_bug(gt_stack *s, const struct tcp_conn *c, const char *what);
void tcp_conn_hash(gt_stack *s, struct tcp_conn *c);
/* Cache warming for gt_stack_input_batch(): stage 0 fetches the hash bucket
 * of the 4-tuple, stage 1 (once the bucket is near) the first TCB of its
 * chain. Only hints: nothing is read that could fault or change. */
void tcp_prefetch(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		  uint16_t fport, int stage);
struct tcp_conn *tcp_lookup(gt_stack *s, ip_addr laddr, uint16_t lport,
			    ip_addr faddr, uint16_t fport);
/* Tells the owner (or, before accept(), the listener's owner) that the
 * connection's readiness may have changed. */
void tcp_conn_mark(gt_stack *s, struct tcp_conn *c);
/* A regular ACK is due (in-order data, Linux's __tcp_ack_snd_check() first
 * branch): sent at the next output, or in a batch with ack_defer_batch at
 * the batch's end, once, by tcp_ack_defer_flush(). */
void tcp_ack_due(gt_stack *s, struct tcp_conn *c);
/* The end of an input batch: each connection's held ACK goes, if no segment
 * sent since has carried it (Linux's tcp_release_cb()). */
void tcp_ack_defer_flush(gt_stack *s);
uint32_t tcp_now_ts(const gt_stack *s, const struct tcp_conn *c);
/* The per-TCB invariants of this header, asserted (debug builds). */
void tcp_conn_assert(const struct tcp_conn *c);
/* Calls fn for every live TCB; fn may free the one it is given. */
void tcp_foreach(gt_stack *s, void (*fn)(gt_stack *s, struct tcp_conn *c, void *ctx), void *ctx);
/* The window scale we offer for a receive buffer of this size. */
uint8_t tcp_rcv_wscale(const gt_stack *s, uint32_t rcvbuf_bytes, bool locked);
/* The window a SYN or SYN-ACK offers for a receive buffer of rcvbuf_bytes,
 * in bytes (the field holds at most 65535 of it); mss: our MSS less the
 * timestamp option when it rides in every segment. */
uint32_t tcp_initial_rwnd(const gt_stack *s, uint32_t rcvbuf_bytes, uint32_t mss);
/* Enters TIME_WAIT: the connection moves to the compact table and the TCB
 * is freed; ack: the segment that ends the wait for our FIN or the peer's
 * owes an ACK. */
void tcp_enter_time_wait(gt_stack *s, struct tcp_conn *c, bool ack);
/* TCP_LINGER2 as the FIN_WAIT_2 timeout: 0 the stack's, < 0 none. */
int32_t tcp_fin2_timeout_ms(const gt_stack *s, int16_t linger2_s);
/* Linux's tcp_init_cwnd(): the route's initcwnd, else cfg.initial_cwnd_segs. */
uint32_t tcp_init_cwnd_segs(const gt_stack *s, const struct tcp_conn *c);
/* Sets up a fresh TCB for an active or passive open with the owner's (or
 * the listener's) options. Its addresses must be set first: the MSS we announce is
 * the path's to faddr (ip_mss_for()). */
void tcp_conn_init(gt_stack *s, struct tcp_conn *c, const struct tcp_user_opts *o);
/* The socket's IP options that apply to c's family: IP_TOS and IP_TTL for an
 * IPv4 peer (of a dual-stack socket too), IPV6_TCLASS and IPV6_UNICAST_HOPS
 * for an IPv6 one, as Linux's ip_queue_xmit() and ip6_xmit() read them. */
void tcp_conn_ip_opts(struct tcp_conn *c, const struct tcp_user_opts *o);
/* The bucket hash of a 4-tuple of either family. An IPv4 tuple hashes
 * exactly as hash_tuple4() of its 32-bit addresses. */
static inline uint32_t tcp_hash_tuple(uint64_t key, ip_addr laddr, uint16_t lport, ip_addr faddr,
				      uint16_t fport)
{
	if (ip_addr_is_v4(faddr))
		return hash_tuple4(key, ip_addr_v4_of(laddr), ip_addr_v4_of(faddr), lport, fport);
	uint64_t x = ip_addr_fold(laddr) ^ (ip_addr_fold(faddr) * 0xbf58476d1ce4e5b9ull);
	return hash_tuple4(key, (uint32_t)(x >> 32), (uint32_t)x, lport, fport);
}

/* The MSS assumed of a peer that sends none (RFC 9293 3.7.1, MUST-15):
 * the stack's mss_default (536) for IPv4, 1220 for IPv6 (its minimum MTU,
 * 1280, less 60): Linux's tcp_request_sock_ipv6_ops.mss_clamp, FreeBSD's
 * V_tcp_v6mssdflt (TCP6_MSS). */
static inline uint32_t tcp_mss_default_for(const gt_stack *s, ip_addr faddr)
{
	return ip_addr_is_v4(faddr) ? s->cfg.mss_default : 1220u;
}

/* tcp_state.c: the one transition function. */
void tcp_set_state(gt_stack *s, struct tcp_conn *c, uint8_t state, const char *why);
/* TIME_WAIT -> CLOSED for a TCB whose connection moved to the TIME_WAIT
 * table: counted, no trace event (the entry traces its own end). */
void tcp_state_handoff(gt_stack *s, struct tcp_conn *c);
/* Is from -> to an edge of RFC 9293's state diagram (figure 5, with the
 * abort and TIME_WAIT hand-off edges to CLOSED)? */
bool tcp_state_legal(uint8_t from, uint8_t to);

/* tcp_buf.c: ring memory and the buffer cache. */
/* Memory for a lazy ring, within max_buffer_bytes; 0 or -ENOBUFS. */
int tcp_ring_reserve(gt_stack *s, struct ring *r);
/* The same past max_buffer_bytes (TcpBufForced when over it): for the
 * in-order segment that finds the receive queue empty, which Linux's
 * tcp_data_queue() takes under any memory pressure
 * (sk_forced_mem_schedule()). At most one ring per connection over the
 * budget, each at most half of it (tcp_buf_clamp()). 0 or -ENOBUFS. */
int tcp_ring_reserve_forced(gt_stack *s, struct ring *r);
/* The largest segment the receive ring grows for (tcp_rcv_ring_take_whole()):
 * one IPv4 packet's payload, 65,535 bytes less the smallest IP and TCP
 * headers. */
#define TCP_RCV_WHOLE_MAX (65535u - 40u)
/* The in-order segment of len bytes that finds the receive queue empty is
 * taken whole (cfg.rcv_empty_takes_whole, Linux's tcp_data_queue()): the
 * receive ring grows to hold it (TcpRcvRingWhole), the buffer every window
 * rule reads stays (rcv_low) until the ring empties. 0, or -ENOBUFS
 * (TcpRcvRingWholeRefused): the ring holds what it can, as before. */
int tcp_rcv_ring_take_whole(gt_stack *s, struct tcp_conn *c, uint32_t len);
/* A new capacity for a ring (SO_*BUF, autotuning): its memory, if it holds
 * any, is reallocated within max_buffer_bytes (TcpBufLimit) and counted.
 * Only committed bytes move (ring_resize). 0 or -ENOBUFS. */
int tcp_ring_resize(gt_stack *s, struct ring *r, uint32_t cap);
/* The same, keeping keep bytes from the head: the receive ring's committed
 * bytes and the out-of-order data parked past them (ring_resize_keep). */
int tcp_ring_resize_keep(gt_stack *s, struct ring *r, uint32_t cap, uint32_t keep);
/* Gives an empty ring's memory back. */
void tcp_ring_release(gt_stack *s, struct ring *r);
/* The same for the send ring, which goes back to SO_SNDBUF
 * (tcp_lx_ring_fit()). */
void tcp_snd_ring_release(gt_stack *s, struct tcp_conn *c);
/* A ring size within the buffer budget: at most half of max_buffer_bytes,
 * so one connection's two rings always fit (TcpBufClamped when cut). */
uint32_t tcp_buf_clamp(gt_stack *s, uint32_t bytes);
/* Gives both rings' memory back (to the cache) and the SACK state. */
void tcp_buffers_release(gt_stack *s, struct tcp_conn *c);
/* The most the cache of emptied buffers holds: buffer_cache_bytes, or with
 * a hold buffer_cache_hold_bytes but at least one ring of buf_max_bytes. */
uint64_t tcp_buf_cache_bound(const gt_stack *s);
/* Frees cached buffers until the cache holds at most max_bytes. */
void tcp_buf_cache_trim(gt_stack *s, uint64_t max_bytes);
/* The cache above cfg.buffer_cache_bytes: buffers held longer than
 * cfg.buffer_cache_hold_us freed, oldest first; the next such expiry. */
void tcp_buf_cache_expire(gt_stack *s, uint64_t now_us);
uint64_t tcp_buf_cache_deadline(const gt_stack *s);

/* tcp_fastopen.c: TCP Fast Open's server side (RFC 7413), Linux's. */
#define TCP_FO_COOKIE_LEN 8 /* Linux's TCP_FASTOPEN_COOKIE_SIZE */
#define TCP_TFO_RTO_FALLBACK_US 3000000u /* Linux's TCP_TIMEOUT_FALLBACK */
/* tcp_info.c: what the owner's TCP_INFO keeps of a TCB at its end. */
void tcp_info_keep(gt_stack *s, const struct tcp_conn *c, struct tcp_info_kept *k);
/* c->lh of a TFO child accepted before its handshake ended: no listener's
 * handle (lh < 0), but still counted in its listener's tfo_len. The TCB
 * has no bit to spare; lh is read only as >= 0, < 0 or a handle. */
#define TCP_LH_TFO_PENDING (-2)
/* A TFO child still in SYN_RECEIVED (Linux's tp->fastopen_rsk), counted in
 * its listener's tfo_len: the only passive connection queued or accepted
 * before its handshake ends (tcp_listen_child_ready() takes the others at
 * ESTABLISHED), so it needs no bit of its own; accepted, it keeps
 * TCP_LH_TFO_PENDING after its owner's close() (FreeBSD's child stays in
 * SYN_RECEIVED with TF_NEEDFIN). */
static inline bool tcp_tfo_child(const struct tcp_conn *c)
{
	return c->passive && c->state == GT_TCP_SYN_RECEIVED &&
	       (c->in_accept_q || c->owner >= 0 || c->lh == TCP_LH_TFO_PENDING);
}
/* A TFO child still counted in its listener's tfo_len (Linux: its
 * tp->fastopen_rsk is set; FreeBSD: t_tfo_pending not yet decremented):
 * queued or owned in SYN_RECEIVED, or accepted before its handshake and
 * closed since, in SYN_RECEIVED with no owner or in FIN_WAIT_1 and on
 * (tcp_close_state()), until tcp_fastopen_child_done(). */
static inline bool tcp_tfo_pending(const struct tcp_conn *c)
{
	return c->lh == TCP_LH_TFO_PENDING || tcp_tfo_child(c);
}
/* A TFO child that wrote before its handshake's ACK (Linux's
 * tcp_sendmsg_locked(): tcp_passive_fastopen()): its data starts at
 * ISS+1, so SND.UNA was moved past the SYN-ACK's octet at the first write
 * (tcp_tfo_child_send()), as Linux's child, whose write queue never held
 * the SYN-ACK (the request sock sends it). Also an active open whose Fast
 * Open SYN data was in flight when a crossing SYN took it to SYN_RECEIVED
 * (Linux: syn_sent_input()), its data likewise from ISS+1. */
static inline bool tcp_tfo_wrote(const struct tcp_conn *c)
{
	return (tcp_tfo_child(c) || (!c->passive && c->state == GT_TCP_SYN_RECEIVED)) &&
	       c->snd_una != c->iss;
}
/* An active open under TCP_FASTOPEN_CONNECT whose SYN waits for the first
 * write (Linux's DEFER_CONNECT): in SYN_SENT, nothing sent yet. */
static inline bool tcp_tfo_deferred(const struct tcp_conn *c)
{
	return c->state == GT_TCP_SYN_SENT && c->snd_max == c->iss;
}
/* An active open whose SYN carried data (Linux's syn_data): its data
 * starts at ISS+1, so SND.UNA was put there when it was queued, as a TFO
 * child's (tcp_tfo_wrote()). */
static inline bool tcp_tfo_syn_data(const struct tcp_conn *c)
{
	return c->state == GT_TCP_SYN_SENT && c->snd_una != c->iss;
}
/* TCPI_OPT_SYN_DATA: a TFO child's SYN data was taken, or an active open's
 * acknowledged by the SYN-ACK (defer_acked's bit, which an active open
 * never needs for TCP_DEFER_ACCEPT). */
static inline bool tcp_syn_data_acked(const struct tcp_conn *c)
{
	return c->defer_acked && c->state != GT_TCP_SYN_SENT &&
	       (c->state != GT_TCP_SYN_RECEIVED || tcp_tfo_child(c));
}
/* An active open's SYN was a Fast Open one (defer_acked's bit in SYN_SENT). */
static inline bool tcp_tfo_syn(const struct tcp_conn *c)
{
	return c->state == GT_TCP_SYN_SENT && c->defer_acked;
}
/* The client's side (tcp_fastopen.c). */
bool tcp_fastopen_client_plan(gt_stack *s, const struct tcp_conn *c, bool sock_no_cookie,
			      struct tcp_opts *fo, uint32_t *space);
bool tcp_fastopen_synack(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o, bool syn_data,
			 bool data_unacked);
void tcp_send_syn_data(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo, uint32_t len);
void tcp_fastopen_cache_flush(gt_stack *s);
bool tcp_fastopen_bsd_plan(gt_stack *s, const struct tcp_conn *c, struct tcp_opts *fo,
			   uint32_t *space);
bool tcp_fastopen_bsd_synack(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o,
			     bool data_unacked);
void tcp_fastopen_bsd_disabled_maxseg(gt_stack *s, struct tcp_conn *c);
void tcp_fastopen_bsd_syn_copy(gt_stack *s, const struct tcp_conn *c, const struct tcp_opts *fo,
			       uint32_t space);
uint32_t tcp_fastopen_bsd_syn_maxseg(const gt_stack *s, const struct tcp_conn *c,
				     struct tcp_opts *fo);
/* FreeBSD's tcp_output() after tcp_mtudisc() in a TF_FASTOPEN active
 * open's SYN_SENT: the SYN again with fo and its data cut to maxseg. */
void tcp_send_syn_data_bsd_again(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo,
				 uint32_t maxseg);
/* FreeBSD's tcp_output(): the data a TF_FASTOPEN SYN carries, of avail
 * queued: none without a cookie, else min(avail, sendwin) with sendwin
 * snd_wnd = t_maxseg (tcp_fastopen_connect()), cut by "len + optlen >
 * t_maxseg" to t_maxseg less the SYN's options. */
uint32_t tcp_syn_data_bsd_len(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo,
			      uint32_t avail, uint32_t maxseg);
void tcp_fastopen_cookie(const uint8_t key[16], ip_addr src, ip_addr dst,
			 uint8_t out[TCP_FO_COOKIE_LEN]);
bool tcp_fastopen_try(gt_stack *s, struct tcp_listener *l, ip_addr src, ip_addr dst,
		      bool syn_data, const struct tcp_opts *in, struct tcp_opts *reply);
void tcp_fastopen_child_done(gt_stack *s, struct tcp_conn *c);
/* FreeBSD's server (tcp_fastopen.c). The cookie a SYN-ACK would give
 * client now (the newest key's; false with none): the swarm's probe
 * crafts SYNs with it, as tcp_fastopen_cookie() for Linux's. */
bool tcp_fastopen_bsd_latest_cookie(const gt_stack *s, ip_addr client,
				    uint8_t out[TCP_FO_COOKIE_LEN]);
bool tcp_fastopen_bsd_try(gt_stack *s, struct tcp_listener *l, ip_addr client,
			  const struct tcp_opts *in, struct tcp_opts *reply);
void tcp_fastopen_bsd_defer(gt_stack *s, struct tcp_conn *c);
bool tcp_fastopen_bsd_synack_due(gt_stack *s, struct tcp_conn *c);

/* tcp_listen.c: listeners and their queues. */
int tcp_listen_init(gt_stack *s);
void tcp_listen_fini(gt_stack *s);
/* The listener for a segment to addr:port: an exact address first, else a
 * wildcard one; NULL if none. */
struct tcp_listener *tcp_listener_find(gt_stack *s, ip_addr addr, uint16_t port);
struct tcp_listener *tcp_listener_get(gt_stack *s, int lh);
static inline int tcp_listener_handle(const gt_stack *s, const struct tcp_listener *l)
{
	return (int)(l - s->listeners);
}
/* A half-open child of l (counted in syn_len until it is queued). */
void tcp_listen_child_add(gt_stack *s, struct tcp_listener *l, struct tcp_conn *c);
/* The child completed its handshake: to the accept queue. */
void tcp_listen_child_ready(gt_stack *s, struct tcp_conn *c);
/* TCP_DEFER_ACCEPT of a half-open child's listener (cfg.defer_accept):
 * the SYN-ACK timeouts its bare ACK is dropped for; 0 for any other. */
uint8_t tcp_listen_defer(const gt_stack *s, const struct tcp_conn *c);
/* cfg.accept_keeps_reset: a child that ended in the accept queue, CLOSED
 * and unhashed, its error in err, until accept() or the listener's close
 * (no live child in the queue is CLOSED). */
static inline bool tcp_accept_gone(const struct tcp_conn *c)
{
	return c->in_accept_q && c->state == GT_TCP_CLOSED;
}
/* tcp_conn_free() for such a child that accept() has just taken out of
 * the queue (tcp_user_accepted()): the end already happened. */
void tcp_conn_free_ended(gt_stack *s, struct tcp_conn *c, int err);
/* No room in the accept queue for another child (cfg.acceptq_linux:
 * Linux's sk_acceptq_is_full()). */
bool tcp_listen_full(const gt_stack *s, const struct tcp_listener *l);
/* The child is being freed: out of its listener's counts and queue. */
void tcp_listen_child_gone(gt_stack *s, struct tcp_conn *c);
/* Calls fn for every listener in use (read-only). */
void tcp_listen_foreach(const gt_stack *s, void (*fn)(void *ctx, const struct tcp_listener *l),
			void *ctx);

/* tcp_timer.c also holds keepalive (RFC 1122 4.2.3.6) and the orphaned
 * FIN_WAIT_2 timeout. */
void tcp_arm_fin2(gt_stack *s, struct tcp_conn *c);
/* An orphan's FIN is ACKed: from now on it sends as Linux's timewait
 * sock in substate FIN_WAIT2 does (cfg.fin2_orphan_default_ttl). */
void tcp_fin2_orphan_ttl(gt_stack *s, struct tcp_conn *c);
/* (Re)starts the keepalive idle time; off unless the timer runs
 * (tcp_keepalive_timer_on()). */
void tcp_keepalive_arm(gt_stack *s, struct tcp_conn *c);
/* Probes are sent: SO_KEEPALIVE or always_keepalive. */
bool tcp_keepalive_on(const gt_stack *s, const struct tcp_conn *c);
/* The keepalive timer runs: Linux's with SO_KEEPALIVE only, FreeBSD's
 * TT_KEEP whatever the flag (tcp_timer_keep() reads it at expiry). */
bool tcp_keepalive_timer_on(const gt_stack *s, const struct tcp_conn *c);
/* Keepalive times: the connection's TCP_KEEPIDLE, TCP_KEEPINTVL and
 * TCP_KEEPCNT, else the stack's. */
uint32_t tcp_keep_idle_s(const gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_keep_intvl_s(const gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_keep_cnt(const gt_stack *s, const struct tcp_conn *c);
/* Recomputes the TCB's heap entry from its timers (never later). */
/* The earliest of a TCB's seven deadlines (TCP_TIMER_NONE: none armed):
 * what its heap entry must never be later than. */
static inline uint64_t tcp_timers_min(const struct tcp_conn *c)
{
	uint64_t t = c->rtx_at;
	if (c->delack_at < t)
		t = c->delack_at;
	if (c->persist_at < t)
		t = c->persist_at;
	if (c->fin2_at < t)
		t = c->fin2_at;
	if (c->cork_at < t)
		t = c->cork_at;
	if (c->linger_at < t)
		t = c->linger_at;
	if (c->keep_at < t)
		t = c->keep_at;
	return t;
}
void tcp_timers_update(gt_stack *s, struct tcp_conn *c);
/* The RTO with its exponential backoff (RFC 6298 5.5), bounded: the
 * retransmission and persist timers both use it. */
uint64_t tcp_backoff_us(const gt_stack *s, const struct tcp_conn *c);
uint64_t tcp_rto_shifted_us(const gt_stack *s, const struct tcp_conn *c, unsigned shift);
uint64_t tcp_persist_us(const gt_stack *s, const struct tcp_conn *c);
void tcp_persist_ack_rearm(gt_stack *s, struct tcp_conn *c);

/* Microseconds since the last data segment arrived (last_data_rcv_ms),
 * for Linux's delayed-ACK and ping-pong tests. The stamp carries a set low
 * bit (0 means none), so a segment in the same even millisecond reads one
 * ms in the future: that, like any step back, is no time at all, never a
 * wrapped 71 minutes (which made every segment "after idle" and so
 * quick-ACKed: scenario.transfer_clean_link_no_retransmissions). Ages
 * past 4,000 s read as 4,000 s. */
static inline uint32_t tcp_data_rcv_age_us(const gt_stack *s, const struct tcp_conn *c)
{
	int32_t ms = (int32_t)((uint32_t)(s->now_us / 1000) - c->last_data_rcv_ms);
	if (ms <= 0)
		return 0;
	return ms < 4000000 ? (uint32_t)ms * 1000u : 4000000000u;
}

/* The sequence number of our FIN once fin_sent: nothing is ever sent after
 * it, so it is the last one sent (RFC 9293 3.10.4: the FIN follows all
 * queued data). tcp_check() holds it to snd_una + snd.len. */
static inline uint32_t tcp_fin_seq(const struct tcp_conn *c) { return c->snd_max - 1; }
/* Our FIN, and so everything we sent, is acknowledged. */
static inline bool tcp_fin_acked(const struct tcp_conn *c)
{
	return c->fin_sent && seq_gt(c->snd_una, tcp_fin_seq(c));
}
/* ack acknowledges the data our FIN rode on (its skb, Linux's
 * tcp_send_fin() on the unsent tail) but not the FIN: it ends inside that
 * skb, which keeps the FIN as a packet of its own (tcp_trim_head()). */
static inline bool tcp_fin_skb_cut(const struct tcp_conn *c, uint32_t ack)
{
	return c->fin_sent && !c->fin_alone && !tcp_fin_acked(c) && ack == tcp_fin_seq(c);
}

/* tcp_autotune.c: receive-buffer autotuning. */
/* A data segment of len bytes arrived: its TSecr times the receiver's RTT. */
void tcp_autotune_rtt(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *o, uint32_t len);
/* A receiver RTT sample timed over a whole window's arrival
 * (tcp_rcv_rtt_measure()): taken only when smaller. */
void tcp_autotune_rtt_window(gt_stack *s, struct tcp_conn *c, uint32_t us);
/* The application read n bytes: grow the buffer if it was emptied faster
 * than it is sized, once per receiver RTT. */
void tcp_autotune_read(gt_stack *s, struct tcp_conn *c, uint32_t n);
void tcp_autotune_lx_lowat(gt_stack *s, struct tcp_conn *c, uint32_t lowat);
/* Data was queued out of order: room for it on top of the last measure. */
void tcp_autotune_ofo(gt_stack *s, struct tcp_conn *c);
/* Linux's __tcp_select_window() would end quick-ACK mode now: the free
 * space under half the full space (rcv_wnd_linux; known with nothing held
 * out of order and the scaling ratio measured, else false); with
 * cfg.rcv_wnd_shrink and a scale, the free space rounded down to the
 * scale first. */
bool tcp_autotune_lx_squeezed(const gt_stack *s, const struct tcp_conn *c);
/* FreeBSD's rule: a segment went out (starts a measurement), in-order data
 * of len bytes arrived with nothing out of order (measures, may grow). */
void tcp_autotune_bsd_sent(gt_stack *s, struct tcp_conn *c);
void tcp_autotune_bsd_data(gt_stack *s, struct tcp_conn *c, uint32_t len);
/* FreeBSD's send-buffer rule, as output begins. */
void tcp_autotune_bsd_output(gt_stack *s, struct tcp_conn *c);
void tcp_autotune_init(gt_stack *s, struct tcp_conn *c);
/* The congestion state and receive-side estimates a connection starts its
 * transfer with (tcp_input.c), at the end of the handshake or when close()
 * in SYN_RECEIVED sends a FIN before it ends. */
void tcp_start_cc(gt_stack *s, struct tcp_conn *c);
/* New data acknowledged: grow the send buffer when it, not cwnd, limits. */
void tcp_autotune_snd(gt_stack *s, struct tcp_conn *c);
/* Linux's send buffer on skbs (tcp_lx_sndbuf()): after a segment's output,
 * tcp_check_space(): grow a buffer a write found full, tcp_new_space(). */
void tcp_autotune_lx_space(gt_stack *s, struct tcp_conn *c);

/* tcp_info.c */
/* The connection's TCP_INFO. */
void tcp_fill_info(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti);

/* tcp_isn.c */
uint32_t tcp_isn(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport);
#define TCP_TUPLE_SALT 0x7507
uint32_t tcp_ts_offset(gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_ts_offset_tuple(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			     uint16_t fport);
/* tcp_port.c: RFC 6056 algorithm 3: a free ephemeral port for the tuple, or -EADDRNOTAVAIL. */
struct tw_reuse;
int tcp_ephemeral_port(gt_stack *s, const struct tcp_user_opts *o, ip_addr laddr,
		       ip_addr faddr, uint16_t fport, struct tw_reuse *tw, bool *tw_reused);

/* tcp_syncookie.c (RFC 4987 3.6) */
/* maxseg: the listener's TCP_MAXSEG (0: none), which the Linux profile's
 * cookie SYN-ACK announces and encodes as tcp_mss_clamp() would.
 * rcvbuf_bytes and locked: the receive buffer the rebuilt TCB will have
 * (tcp_conn_init()), whose window scale the SYN-ACK announces. */
void tcp_send_syncookie(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			uint16_t fport, uint32_t irs, const struct tcp_opts *syn_opts,
			uint32_t rcvbuf_bytes, bool locked, uint16_t maxseg);
/* The FreeBSD cookie (cfg.syncookie_bsd) for this SYN now: the ISS of a
 * cookie SYN-ACK, and of a SYN cache entry while cookies are on
 * (syncache_add()). */
uint32_t tcp_syncookie_iss(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			   uint16_t fport, uint32_t irs, const struct tcp_opts *syn_opts);
/* 1 if iss is a cookie we issued for this SYN (irs) in the last two
 * periods; fills *o with the options it encodes (MSS, and with
 * timestamps wscale and SACK-permitted from the echoed TSval). 0 if it is
 * none; -1 (the Linux cookie) if it is one whose echoed options are now
 * switched off here (cookie_timestamp_decode()). */
int tcp_syncookie_check(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			uint16_t fport, uint32_t irs, uint32_t iss, const struct tcp_opts *ack_opts,
			struct tcp_opts *o);
/* The end of a connection a cookie could rebuild, remembered: a listener's
 * RST with ACK for a tuple with no TCB, or a TCB a cookie built (seq: the
 * client's sequence space used, ack: ISS + 1). And whether a cookie ACK
 * (seq, ack) was sent before such an end. */
void tcp_syncookie_end(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport, uint32_t seq, uint32_t ack);
bool tcp_syncookie_after_end(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			     uint16_t fport, uint32_t seq, uint32_t ack);
uint64_t tcp_keyed(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		   uint16_t fport, uint32_t salt);

/* tcp_input.c */
void tcp_input(gt_stack *s, ip_addr src, ip_addr dst, const uint8_t *seg, size_t len);
/* tcp_udptun.c: TCP over UDP (FreeBSD's t_port). The peer's UDP port of a
 * connection or TIME_WAIT entry, 0 for plain TCP; set (0 removes), -ENOBUFS
 * with cfg.udp_tun_max_conns taken (TcpUdpTunFull). */
uint16_t tcp_tun_port_of(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			 uint16_t fport);
int tcp_tun_set(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
		uint16_t port);
/* Both, for a TIME_WAIT entry: its port and its TTL (tx_ttl's form). */
int tcp_tun_set2(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
		 uint16_t port, uint16_t ttl);
uint16_t tcp_tw_ttl_of(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport);
void tcp_tun_fini(gt_stack *s);
/* Asked for every segment in and out: the empty table, tunneling off and
 * no FreeBSD TIME_WAIT TTL kept, answers here without a call. */
static inline uint16_t tcp_tun_port(const gt_stack *s, const struct tcp_conn *c)
{
	return s->tun_n ? tcp_tun_port_of(s, c->laddr, c->lport, c->faddr, c->fport) : 0;
}
/* TCP over UDP: a tunneled connection's MSS less udp_tunneling_overhead
 * (tcp_output()/syncache_respond() for the option, tcp_mss_update()'s
 * min_protoh for the segment size), where that leaves more than 64. */
static inline uint32_t tcp_tun_mss(const gt_stack *s, const struct tcp_conn *c, uint32_t mss)
{
	return tcp_tun_port(s, c) && mss > s->cfg.udp_tun_overhead + 64u ? mss - s->cfg.udp_tun_overhead
									  : mss;
}
bool tcp_udptun_input(gt_stack *s, ip_addr src, ip_addr dst, const uint8_t *udp, size_t len);
size_t tcp_udptun_wrap(gt_stack *s, ip_addr src, ip_addr dst, uint8_t *seg, size_t tcp_len,
		       uint16_t port);
/* ICMP error about a segment we sent (RFC 1122 4.2.3.9, RFC 5927). */
void tcp_icmp_error(gt_stack *s, uint8_t type, uint8_t code, uint16_t mtu,
		    const uint8_t *inner, size_t inner_len);
/* ICMPv6 error about a segment we sent (RFC 4443, RFC 8201, RFC 5927). */
void tcp_icmp6_error(gt_stack *s, const struct icmp6_tcp_error *e);
bool tcp_challenge_ack_allowed(gt_stack *s);

/* tcp_output.c */
void tcp_output(gt_stack *s, struct tcp_conn *c);
/* Our SYN no longer offers wscale, timestamps, SACK (rexmit_drop_options). */
bool tcp_syn_opts_dropped(const gt_stack *s, const struct tcp_conn *c);
/* What our SYN offers (TCP_OFFER_*), and so what the peer's SYN-ACK may give. */
#define TCP_OFFER_WS 1u
#define TCP_OFFER_TS 2u
#define TCP_OFFER_SACK 4u
unsigned tcp_syn_offer(const gt_stack *s, const struct tcp_conn *c);
/* Restart after idle (cfg.idle_restart): cwnd back towards the initial
 * window when nothing is in flight and the connection idled an RTO. */
void tcp_idle_restart(gt_stack *s, struct tcp_conn *c);

/* tcp_ecn.c: ECN (RFC 3168 6.1) and FreeBSD's AccECN (RFC 9768). */
/* ECE|CWR for our SYN (or its retransmission), or 0; *ae for AccECN's. */
uint8_t tcp_ecn_syn_flags(const gt_stack *s, struct tcp_conn *c, bool *ae);
/* A listener's child: did the SYN (its flags, s->rx_tos) ask for ECN? */
void tcp_ecn_passive(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *syn);
/* A duplicate SYN for a FreeBSD SYN cache entry (cfg.dupsyn_bsd): an
 * RFC 3168 agreement ends unless it asks again with ECE and CWR. */
void tcp_ecn_dupsyn(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *syn);
/* SYN-SENT got a SYN-ACK or a SYN (flags): did the peer agree or ask? */
void tcp_ecn_syn_sent(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *h);
/* A segment of the connection goes out: adds ECE, CWR or the SYN-ACK's
 * ECE to *flags (with AccECN the ACE field, in ECE, CWR and *ae) and
 * returns the IP ECN codepoint (ECT(0) or 0). */
uint8_t tcp_ecn_output(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len,
		       uint8_t *flags, bool *ae);
/* An acceptable segment arrived (s->rx_tos holds its codepoint): CE and
 * CWR, the receiver's side; with AccECN also the ACE field's news. */
void tcp_ecn_input(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *h, uint32_t len);
/* An acceptable ACK of ack: ECE, the sender's side (once per window). */
void tcp_ecn_echo(gt_stack *s, struct tcp_conn *c, uint8_t flags, uint32_t ack, uint64_t now_us);
/* cwnd was reduced (loss or ECE): CWR on the next new data. */
void tcp_ecn_reduced(struct tcp_conn *c);
/* Does this connection keep Linux's CWR state without SACK (the Linux
 * profile's cfg.prr, no SACK agreed, not FreeBSD's recovery)? */
bool tcp_ecn_reno_cwr_on(const gt_stack *s, const struct tcp_conn *c);
/* One new segment at SND.NXT within the peer's window, whatever cwnd. */
void tcp_output_one(gt_stack *s, struct tcp_conn *c);
uint32_t tcp_lx_send_new(gt_stack *s, struct tcp_conn *c, uint32_t segs);
/* May a tail loss probe send new data (tcp_send_loss_probe()'s
 * tcp_snd_wnd_test() on the send head)? */
bool tcp_tlp_new_ok(const gt_stack *s, const struct tcp_conn *c);
void tcp_send_ack(gt_stack *s, struct tcp_conn *c);
/* An ACK at SND.NXT whatever the profile (challenge ACKs, RFC 5961). */
void tcp_send_pure_ack(gt_stack *s, struct tcp_conn *c);
void tcp_send_keepalive(gt_stack *s, struct tcp_conn *c);
void tcp_send_synack_fo(gt_stack *s, struct tcp_conn *c, const struct tcp_opts *fo);
void tcp_send_syn(gt_stack *s, struct tcp_conn *c);
/* RST for a connection (seq = snd_nxt). */
void tcp_send_rst_conn(gt_stack *s, struct tcp_conn *c);
/* Sends a bare segment not tied to a TCB (RSTs to stray segments, TIME_WAIT
 * ACKs). opts may be NULL. */
/* RFC 2385 (src/tcp/tcp_md5.c). Signs the segment seg of len bytes
 * from src to dst whose signature option's digest is at sig_off (its
 * checksum is then recomputed by the caller); false when no key serves
 * the pair (counted TcpMd5NoKey: the segment must not go). */
#define TCP_MD5_OPT_BYTES 20u /* two NOPs and the 18-byte option, in every segment */
/* The options every segment of c carries (timestamps, the signature):
 * what FreeBSD's tcp_maxseg() takes off t_maxseg, and what separates the
 * MSS announced from a full segment's data. */
static inline uint32_t tcp_seg_opt_bytes(const struct tcp_conn *c)
{
	return (c->ts_ok ? 12u : 0u) + (tcp_signs(c) ? TCP_MD5_OPT_BYTES : 0u);
}
/* FreeBSD's t_maxseg: the MSS before those options (1,460 where a full
 * segment with timestamps carries 1,448), what its congestion control
 * counts in and getsockopt(TCP_MAXSEG) reads. */
static inline uint32_t tcp_bsd_maxseg(const struct tcp_conn *c)
{
	return (uint32_t)c->mss + tcp_seg_opt_bytes(c);
}
bool tcp_md5_sign(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
		  uint8_t *seg, size_t len, size_t sig_off);
/* Checks a received segment for a receiver that requires signatures:
 * false (counted) when it has none, no key serves the pair, or the digest
 * is wrong; the segment is then dropped without an answer. */
bool tcp_md5_check(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
		   const uint8_t *seg, size_t len, const struct tcp_hdr *h);
/* Signs a segment built at seg (header, options, payload: len bytes) if its
 * options hold a signature option; recomputes the checksum as psum and
 * partial ask (tcp_emit_psum). False: not to be sent. */
bool tcp_md5_sign_built(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
			uint8_t *seg, size_t len,
			uint32_t psum, bool partial);
void tcp_send_raw(gt_stack *s, ip_addr src, uint16_t sport, ip_addr dst, uint16_t dport,
		  uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
		  const struct tcp_opts *opts);
/* Linux's keys (TCP_MD5SIG_LINUX, src/tcp/tcp_md5.c). The socket sd's key
 * for peer (longest prefix), NULL if none; the key of a connection (its
 * socket's, or its own when no socket owns it), NULL if none or in the
 * FreeBSD profile; the connection key of a 4-tuple (TIME_WAIT). */
const struct tcp_md5_lkey *tcp_md5_lx_sock_key(gt_stack *s, int sd, ip_addr peer);
const struct tcp_md5_lkey *tcp_md5_lx_conn_key(gt_stack *s, const struct tcp_conn *c);
const struct tcp_md5_lkey *tcp_md5_lx_tuple_key(gt_stack *s, ip_addr laddr, uint16_t lport,
						ip_addr faddr, uint16_t fport);
/* The 4-tuple's own key becomes a copy of from (NULL: none). */
void tcp_md5_lx_set_tuple(gt_stack *s, const struct tcp_md5_lkey *from, ip_addr laddr,
			  uint16_t lport, ip_addr faddr, uint16_t fport);
/* accept(): the connection's own key becomes the socket sd's. */
void tcp_md5_lx_tuple_to_sock(gt_stack *s, const struct tcp_conn *c, int sd);
/* The socket sd is gone, and its keys with it. */
void tcp_md5_lx_sock_gone(gt_stack *s, int sd);
/* setsockopt(TCP_MD5SIG / TCP_MD5SIG_EXT) on socket sd of family. */
int tcp_md5_lx_setsockopt(gt_stack *s, int sd, int family, bool ext, const void *val, size_t len);
/* Linux's tcp_inbound_hash() with the key k (NULL: none): false, counted,
 * when the segment is to be dropped. */
bool tcp_md5_lx_inbound(gt_stack *s, const struct tcp_md5_lkey *k, ip_addr src, ip_addr dst,
			const uint8_t *seg, size_t len, const struct tcp_hdr *h);
/* A reply tcp_send_raw() makes for c is signed as c's segments are: sets
 * s->tx_sign (FreeBSD) or s->tx_lkey (Linux). */
static inline void tcp_sign_reply(gt_stack *s, const struct tcp_conn *c)
{
	if (s->cfg.md5sig_bsd)
		s->tx_sign = tcp_signs(c);
	else
		s->tx_lkey = tcp_md5_lx_conn_key(s, c);
}
/* Retransmits the segment at snd_una (fast retransmit, RTO). */
void tcp_retransmit_head(gt_stack *s, struct tcp_conn *c);
/* Retransmits [seq, seq + len) during SACK recovery; HighRxt moves past it. */
void tcp_retransmit_range(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len);
uint32_t tcp_retransmit_lost(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t lost, uint32_t room);
/* The window field to advertise now; updates rcv_adv. */
/* A data segment of len bytes (a TCP header of hlen bytes, flags TH_*),
 * an IP packet of ip_len, arrived in order and was queued: the peer's
 * segment size is learnt, and with Linux's receive window (rcv_wnd_linux)
 * its skb memory is charged, the scaling ratio measured and rcv_ssthresh
 * may grow. ip_len 0: a segment from no device (reassembled), charged at
 * the ratio. True when rcv_ssthresh grew (tcp_grow_window()'s
 * "icsk_ack.quick |= 1", which the caller repeats after the segment's
 * quick-ACK count is set: Linux ORs it in after tcp_incr_quickack()). */
bool tcp_rcv_grow_window(gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t hlen, uint8_t flags,
			 uint32_t ip_len);
/* A segment of len bytes at seq about to be queued out of order (Linux
 * profile): false when the receive memory, pruned from the highest
 * sequence down, has no room for it (drop it, no ACK); else its scaling
 * ratio and size are measured (tcp_data_queue_ofo()). */
bool tcp_rcv_ofo_admit(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint32_t hlen,
		       uint8_t flags, uint32_t ip_len);
/* After tcp_reass_insert(): the skb is charged (queued: it brought new
 * data) and rcv_ssthresh may grow (SACK). */
void tcp_rcv_ofo_queued(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len, uint32_t ip_len,
			bool queued);
/* The segment at RCV.NXT of len bytes (Linux profile): held out-of-order
 * skbs are pruned when the memory is spent; whether it is taken, and
 * dropped, it was answered at once (TCPRcvQDrop). */
bool tcp_rcv_bare_fin_nomem(gt_stack *s, struct tcp_conn *c);
bool tcp_rcv_inorder_admit(gt_stack *s, struct tcp_conn *c, uint32_t len, uint32_t ip_len);
/* SO_RCVBUF lowered to bytes under what the ring holds (or while data is
 * held out of order): the ring keeps its size, the buffer every window
 * rule reads is bytes; 0 or -ENOBUFS (no side struct). */
int tcp_rcvbuf_lower(gt_stack *s, struct tcp_conn *c, uint32_t bytes);
/* The receive ring emptied: back to the buffer's size once a lowered
 * buffer (rcv_low) holds the window still offered. */
void tcp_rcv_ring_release(gt_stack *s, struct tcp_conn *c);
/* Linux's __tcp_ack_snd_check(), its window condition (rcv_wnd_linux):
 * the window the buffer allows now is at least the one offered last
 * (__tcp_select_window(sk) >= tp->rcv_wnd), the shrinking computation's
 * with cfg.rcv_wnd_shrink and a scale. */
bool tcp_lx_window_moves(const gt_stack *s, const struct tcp_conn *c);
/* n bytes left the receive buffer: their skb memory is given back. */
void tcp_rcv_rmem_taken(struct tcp_conn *c, uint32_t n);
/* FreeBSD's receive side once SBS_CANTRCVMORE is set: what the ring
 * holds unread is freed, and its memory given back unless data past the
 * tail still lives in it. */
void tcp_rcv_drop_unread(gt_stack *s, struct tcp_conn *c);
uint16_t tcp_window_field(gt_stack *s, struct tcp_conn *c);
/* FreeBSD's TIME_WAIT window field (tcp_twstart()'s last_win): tcp_output()'s
 * recwin from the free space (the SWS rule, never below rcv_adv -
 * rcv_nxt) shifted by the scale and not rounded up. */
uint16_t tcp_tw_window_field(const gt_stack *s, const struct tcp_conn *c);
void tcp_send_rst_snd_max(gt_stack *s, struct tcp_conn *c);
bool tcp_keepalive_state(const gt_stack *s, uint8_t st);
/* The window the application's reads would open: send an update if it grew much. */
void tcp_rcv_window_maybe_update(gt_stack *s, struct tcp_conn *c);
/* Linux's tcp_cleanup_rbuf() after a read (cfg.delack_linux): an owed ACK
 * goes now if more than one full segment is unACKed, or if the read
 * emptied the buffer and a short segment was among those unACKed (two, or
 * one outside pingpong mode). */
void tcp_read_ack_check(gt_stack *s, struct tcp_conn *c);

/* tcp_timer.c */
void tcp_timers_run(gt_stack *s, uint64_t now_us);
void tcp_rtt_sample(gt_stack *s, struct tcp_conn *c, uint32_t rtt_us);
/* The same, min_rtt taking ca_us (Linux's tcp_update_rtt_min(ca_rtt_us)). */
void tcp_rtt_sample_ca(gt_stack *s, struct tcp_conn *c, uint32_t rtt_us, uint32_t ca_us);
/* A sample from Karn's timed segment, sent at c->rtt_start_us: its time
 * in microseconds, or FreeBSD's "ticks - t_rtttime" (cfg.rtt_bsd). */
uint32_t tcp_rtt_sample_timed(gt_stack *s, struct tcp_conn *c);
/* Linux's RTT round (tcp_rtt_estimator()'s mdev_max_us and rtt_seq) and its
 * rttvar_us in the side struct; false when it could not be had (TcpPshNoMem
 * counted). */
bool tcp_lx_rtt_round(gt_stack *s, struct tcp_conn *c, uint32_t **mdev_max_us, uint32_t **seq,
		      uint32_t **rttvar_us);
/* A timeout in whole jiffies, rounded up (Linux's usecs_to_jiffies(), in
 * us again), where cfg.rto_jiffy_us keeps Linux's jiffies; as it is
 * otherwise. */
uint64_t tcp_jiffies_up_us(const gt_stack *s, uint64_t us);
/* A jiffy in us: cfg.rto_jiffy_us where it keeps Linux's jiffies, else a
 * millisecond. */
static inline uint32_t tcp_jiffy_us(const gt_stack *s)
{
	return s->cfg.rto_jiffy_us ? s->cfg.rto_jiffy_us : 1000u;
}
/* How far the jiffies clock runs ahead of stack time: the timer wheel's
 * phase with cfg.timer_wheel (tcp_wheel_at()), else 0 (ticks on whole
 * jiffies). The chrono's and tcp_info's jiffies take it too. */
static inline uint32_t tcp_jiffy_phase_us(const gt_stack *s)
{
	return s->cfg.timer_wheel ? s->cfg.timer_wheel_phase_us : 0;
}
/* When a timer armed at arm_us with a delay of delay_us fires: with
 * cfg.timer_wheel, as Linux's timer wheel fires a timer_list armed then
 * with usecs_to_jiffies(delay_us) (kernel/time/timer.c; the include/
 * glasstcp/stack.h comment); arm_us + delay_us otherwise. Never before
 * arm_us + delay_us. */
uint64_t tcp_wheel_at(const gt_stack *s, uint64_t arm_us, uint64_t delay_us);
/* tcp_wheel_at() for a timer armed now. */
uint64_t tcp_timer_at(const gt_stack *s, uint64_t delay_us);
/* The jiffy of the wheel's clock (its phase, less INITIAL_JIFFIES) that
 * stack time us falls in; cfg.timer_wheel and rto_jiffy_us set. */
uint64_t tcp_wheel_jiffy(const gt_stack *s, uint64_t us);
/* rttvar_us holds Linux's mdev_us (tcp_lx_rtt_round() ran). */
bool tcp_lx_rtt_linux(const struct tcp_conn *c);
/* min_rtt as Linux's tcp_update_rtt_min() keeps it (cfg.min_rtt_win). */
void tcp_lx_rtt_min(gt_stack *s, struct tcp_conn *c, uint32_t min0, uint32_t v, bool delayed);
/* Linux's chrono (enum tcp_chrono, net/ipv4/tcp_output.c
 * tcp_chrono_set()): the type now timed (a higher one displaces a lower
 * one), when it began and the totals, in jiffies (cfg.rto_jiffy_us) mod
 * 2^32 as tp->chrono_start and tp->chrono_stat[]; and tp->rcv_tstamp, the
 * last acceptable ACK (tcp_ack()), rcv_on once set. cfg.tcpi_chrono; in
 * the Linux side struct's head, so the totals outlive idle periods. */
enum tcp_chrono_type {
	TCP_CHRONO_UNSPEC,
	TCP_CHRONO_BUSY,
	TCP_CHRONO_RWND_LIMITED,
	TCP_CHRONO_SNDBUF_LIMITED
};
struct tcp_chrono {
	uint32_t start_j;
	uint32_t stat_j[3];
	uint32_t rcv_tstamp_j;
	uint8_t type;
	bool rcv_on;
};
/* The connection's chrono; alloc: the side struct's head made if need be
 * (NULL where memory fails, TcpPshNoMem). */
struct tcp_chrono *tcp_lx_chrono(gt_stack *s, struct tcp_conn *c, bool alloc);
/* The chrono as TCP_INFO reads it: the head's, the one derived while the
 * head is given back, else none (false). */
bool tcp_lx_chrono_get(const gt_stack *s, const struct tcp_conn *c, struct tcp_chrono *out);
/* Linux's tcp_info counters that the TCB has no room for, kept in the
 * side struct's head where the profile keeps Linux's TCP_INFO extras
 * (cfg.tcpi_chrono): tp->bytes_retrans (__tcp_retransmit_skb()),
 * tp->data_segs_out (__tcp_transmit_skb(): segments carrying data,
 * retransmissions too), tp->data_segs_in (tcp_segs_in(): segments with
 * a payload that reached the connection, whatever became of them) and
 * tp->rcv_ooopack (tcp_data_queue_ofo(): segments queued out of order,
 * past its memory check). Zero while there is no head: a head is given
 * back (tcp_lx_shed()) only while it holds nothing the TCB does not say
 * again, these counters at 0 among it. */
struct tcp_lx_stats {
	uint64_t bytes_retrans;
	uint32_t data_segs_out, data_segs_in;
	uint32_t rcv_ooopack;
	/* Linux's tp->delivered on a connection without SACK, less the
	 * handshake's 1: tcp_add_reno_sack()'s and tcp_remove_reno_sacks()'s
	 * counts (tcp_lx_reno_delivered(), tcp_lx_delivered()). */
	uint32_t reno_delivered;
};
/* A segment with a payload reached the connection (tcp_segs_in()); one
 * was queued out of order (tcp_data_queue_ofo()). Under cfg.tcpi_chrono,
 * the head made if need be. */
void tcp_lx_stats_data_in(gt_stack *s, struct tcp_conn *c);
void tcp_lx_stats_ooo_queued(gt_stack *s, struct tcp_conn *c);
/* A data segment of len bytes went out (retrans: again): counted in the
 * head, made if need be (TcpPshNoMem where memory fails: not counted). */
void tcp_lx_stats_sent(gt_stack *s, struct tcp_conn *c, uint32_t len, bool retrans);
/* An ACK without SACK: acked, the packets it covers (0: none new), dup,
 * whether it was a duplicate (c->dupacks above dupacks0), out0, the
 * packets out before it; counted in reno_delivered under
 * cfg.tcpi_chrono, the head made if need be. */
void tcp_lx_reno_delivered(gt_stack *s, struct tcp_conn *c, uint32_t acked, bool dup, uint8_t dupacks0,
			   uint32_t out0);
/* The counters as TCP_INFO reads them (zero without a head). */
void tcp_lx_stats_get(const struct tcp_conn *c, struct tcp_lx_stats *out);
/* Linux's tcp_check_space() (tcp_output.c): tcp_autotune_lx_space(),
 * and the SNDBUF_LIMITED chrono stopped once SOCK_NOSPACE goes. */
void tcp_check_space(gt_stack *s, struct tcp_conn *c);
/* tcp_chrono_start() and tcp_chrono_stop() (tcp_info.c). */
void tcp_chrono_start(gt_stack *s, struct tcp_conn *c, enum tcp_chrono_type t);
void tcp_chrono_stop(gt_stack *s, struct tcp_conn *c, enum tcp_chrono_type t);
/* tcp_write_xmit()'s end: RWND_LIMITED started where the send head's
 * first MSS does not fit the peer's window while cwnd has room
 * (tcp_snd_wnd_test() failing), else stopped. */
void tcp_chrono_xmit(gt_stack *s, struct tcp_conn *c);
/* tcp_ack(): tp->rcv_tstamp, for an ACK at or above SND.UNA. */
void tcp_chrono_ack(gt_stack *s, struct tcp_conn *c);
/* RFC 7323 4.1: an RTT sample from an echoed timestamp, unless the echo is
 * from the future or too old to time in 32-bit microseconds. */
uint32_t tcp_rtt_sample_ts(gt_stack *s, struct tcp_conn *c, uint32_t ts_ecr);
/* The time since us0, bounded to what a 32-bit sample holds. */
uint32_t tcp_elapsed_us(const gt_stack *s, uint64_t us0);
/* Arms the RTO if no retransmission timer runs, or the probe timeout in
 * its place (RFC 8985 7.2). */
void tcp_arm_rtx(gt_stack *s, struct tcp_conn *c);
/* cfg.maxunack_ms, FreeBSD's t_acktime: data or a FIN went out with
 * nothing outstanding; an ACK moved SND.UNA. */
void tcp_progress_start(gt_stack *s, struct tcp_conn *c);
void tcp_progress_acked(gt_stack *s, struct tcp_conn *c);
/* TCP_KEEPINIT or (FreeBSD) TCP_KEEPIDLE set during the handshake: the
 * connect deadline is after_us from now. */
void tcp_connect_deadline_restart(gt_stack *s, struct tcp_conn *c, uint64_t after_us);
/* The trace's name for what rtx_at runs as. */
static inline uint8_t tcp_rtx_timer(const struct tcp_conn *c)
{
	return c->rtx_kind == TCP_RTX_TLP ? GT_TIMER_TLP
	       : c->rtx_kind == TCP_RTX_REO ? GT_TIMER_REORDER : GT_TIMER_RTX;
}

/* tcp_reass.c: the receiver's out-of-order data. */
/* The out-of-order ranges c may hold: the profile's rule on its receive
 * ring, within cfg.max_reass_ranges when set. */
uint32_t tcp_reass_limit(const gt_stack *s, const struct tcp_conn *c);
/* What the list may hold at any time (the invariant): FreeBSD's queue keeps
 * what it admitted when t_maxseg grows, so its bound is reass.maxqueuelen. */
uint32_t tcp_reass_bound(const gt_stack *s, const struct tcp_conn *c);
/* Stores data at seq (> rcv_nxt) ahead of the tail. Returns bytes stored or
 * -ENOBUFS when the range limit is hit. With the limit hit, unless
 * drops_new, the highest range gives way to a new one below it (counted in
 * *pruned). */
int tcp_reass_insert(struct tcp_conn *c, uint32_t seq, const uint8_t *data, uint32_t len,
		     uint32_t max_ranges, bool drops_new, uint32_t *pruned);
/* Gives the out-of-order ranges' memory back (the data goes with the ring). */
void tcp_reass_free(struct tcp_conn *c);
/* The index of the out-of-order range holding seq, or -1. */
int tcp_reass_find(const struct tcp_conn *c, uint32_t seq);
/* After rcv_nxt moved: absorbs ranges that now touch it; returns bytes made
 * readable (already in the ring). */
uint32_t tcp_reass_advance(struct tcp_conn *c);
/* Gives up the data held at from and above, and resets the SACK blocks
 * (Linux's tcp_prune_ofo_queue(), tcp_sack_reset()); returns the bytes. */
uint32_t tcp_reass_prune(struct tcp_conn *c, uint32_t from);
/* Fills up to max SACK blocks, most recent first (RFC 2018 4). */
uint8_t tcp_reass_sack_blocks(const struct tcp_conn *c, struct tcp_sack_block *out, uint8_t max);
/* The place, most recent first, of the SACK block [left, right) would
 * extend among the four most recent; their number if none. */
uint8_t tcp_reass_sack_rank(const struct tcp_conn *c, uint32_t left, uint32_t right);
/* cfg.sack_list_linux: Linux's list of SACK blocks. _add() is
 * tcp_sack_new_ofo_skb() for a segment held out of order, [seq, end_seq)
 * with its FIN; _get() the list as it stands, the blocks RCV.NXT passed
 * left out (tcp_sack_remove()); _rank() the place of the block [left,
 * right) would extend, their number if none; _reset() tcp_sack_reset(). */
void tcp_reass_lx_sack_add(struct tcp_conn *c, uint32_t seq, uint32_t end_seq);
uint8_t tcp_reass_lx_sack_get(const struct tcp_conn *c, struct tcp_sack_block *out, uint8_t max);
uint8_t tcp_reass_lx_sack_rank(const struct tcp_conn *c, uint32_t left, uint32_t right);
void tcp_reass_lx_sack_reset(struct tcp_conn *c);
/* tcp_fin()'s ACK in FIN_WAIT_1/2 with data held past the FIN (c->ooo
 * set): sent before the list is reset, a block at RCV.NXT included. */
void tcp_reass_lx_fin_ack(gt_stack *s, struct tcp_conn *c);
/* cfg.sack_list_bsd: FreeBSD's tp->sackblks[]. _add() is what
 * tcp_do_segment() does with a data segment tcp_reass() held, [seq,
 * end_seq) (tcp_update_dsack_list(), its D-SACK block of data above
 * RCV.NXT listed first); _dup_below() is tcp_update_sack_list() for a
 * duplicate below RCV.NXT. The list is read with tcp_reass_lx_sack_get(),
 * which leaves out blocks RCV.NXT reached. */
void tcp_reass_bsd_sack_add(struct tcp_conn *c, uint32_t seq, uint32_t end_seq);
void tcp_reass_bsd_sack_dup_below(struct tcp_conn *c);
/* The same for an in-order segment [seq, end_seq) that reaches held data:
 * RCV.NXT was nxt_before and is nxt once the held data joins (call it
 * before tcp_reass_advance()); returns the D-SACK block, empty if none. */
struct tcp_sack_block tcp_reass_bsd_sack_update(struct tcp_conn *c, uint32_t seq, uint32_t end_seq,
						uint32_t nxt_before, uint32_t nxt);
/* Sorted, disjoint range lists (out-of-order data, the scoreboard). Merge
 * returns the index of the range that holds [l, r), or -1 when a new range
 * would be needed and max are already held; *added (may be NULL) gets the
 * bytes it newly covers. Search: the first range whose right edge is at or
 * above seq (n when none), by binary search. Remove: n ranges from i. */
int tcp_range_merge(struct tcp_range *v, uint16_t *n, uint32_t max, uint32_t l, uint32_t r,
		    uint32_t *added);
uint16_t tcp_range_search(const struct tcp_range *v, uint16_t n, uint32_t seq);
void tcp_range_remove(struct tcp_range *v, uint16_t *n, uint16_t i, uint16_t count);
/* tcp_sack.c: the sender's scoreboard of what the peer SACKed. */
/* Takes the ACK's SACK blocks; true when they SACK data not SACKed before
 * (RFC 6675 2: what makes an ACK a DupAck with SACK). */
bool tcp_sack_update(struct tcp_conn *c, const struct tcp_opts *o);
/* The ranges the scoreboard may grow to: as many as the peer can report
 * over the send ring (one per two full segments), within TCP_MAX_SACKED.
 * It falls when the ring shrinks (SO_SNDBUF lowered, the Linux ring's
 * excess given back) or the MSS grows; what the board already holds is
 * kept, so its count can be above the current limit, never above its
 * allocation (tcp_sack_room()), which grew only while under it. */
uint32_t tcp_sack_limit(const struct tcp_conn *c);
/* Ranges the scoreboard's allocation holds; 0 before the first SACK. */
uint32_t tcp_sack_room(const struct tcp_conn *c);
/* Forget the scoreboard's ranges at or below SND.UNA: done as SND.UNA
 * moves, so the board never holds what the cumulative ACK covers. */
void tcp_sack_prune(struct tcp_conn *c);
/* Gives the scoreboard's memory back, with the PRR state beside it. */
void tcp_sack_free(struct tcp_conn *c);
bool tcp_sacked(const struct tcp_conn *c, uint32_t seq, uint32_t *range_end);
/* RFC 6675 4 IsLost(seq) and SetPipe(). */
bool tcp_sack_is_lost(const struct tcp_conn *c, uint32_t seq);
uint32_t tcp_sack_pipe(const struct tcp_conn *c);
/* Bytes the scoreboard holds. */
uint32_t tcp_sack_bytes(const struct tcp_conn *c);
uint32_t tcp_sack_bytes_kept(const struct tcp_conn *c);
/* RFC 6675 5 (C): sends NextSeg() while cwnd - pipe >= 1 SMSS. */
void tcp_sack_recovery_send(gt_stack *s, struct tcp_conn *c);
/* FreeBSD's tcp_output() in a SACK recovery run by PRR, called by no ACK
 * (a window update, a write): resends holes within what PRR's cwnd left. */
void tcp_sack_bsd_output(gt_stack *s, struct tcp_conn *c);
/* SACKed bytes at or above seq, and the highest SACKed edge (SND.UNA when
 * none): taken before an ACK's blocks are merged, for tcp_sack_prr_ack. */
uint32_t tcp_sack_bytes_above(const struct tcp_conn *c, uint32_t seq);
uint32_t tcp_sack_fack(const struct tcp_conn *c);
void tcp_sack_prr_ack(struct tcp_conn *c, uint32_t ack, uint32_t sacked_before, uint32_t fack_before,
		      int newloss);
/* FreeBSD's SACK_NEWLOSS for the ACK to ack with the blocks o (filtered,
 * not yet merged): tcp_sack_doack()'s sackstatus_t (cfg.sack_doack_bsd). */
bool tcp_sack_bsd_newloss(const struct tcp_conn *c, const struct tcp_opts *o, uint32_t ack);
bool tcp_sack_prr_start(gt_stack *s, struct tcp_conn *c, uint32_t sent, uint32_t acked);
void tcp_sack_prr_ecn(gt_stack *s, struct tcp_conn *c);
bool tcp_sack_prr_cong_ack(struct tcp_conn *c, uint32_t acked, bool unrevised);
void tcp_sack_prr_sent(struct tcp_conn *c, uint32_t len);
void tcp_sack_prr_cong_end(struct tcp_conn *c);
/* PRR's counts at an RTO in the FreeBSD profile that ends the recovery:
 * zeroed where FreeBSD's CC_RTO would have kept it (the first timeout,
 * SACK holes left), whose end would zero them; kept otherwise (tcp_sack.c). */
void tcp_sack_prr_rto(const gt_stack *s, struct tcp_conn *c);
/* cfg.rto_keeps_sack_recovery: does this timeout (the retransmission
 * count already up) keep the SACK fast recovery, as FreeBSD's first one
 * with holes on the scoreboard does? _resend() is what it then does to
 * the scoreboard and sends: tcp_resend_sackholes() and tcp_output()
 * under the one-segment cwnd. */
bool tcp_sack_bsd_rto_keep(const gt_stack *s, const struct tcp_conn *c);
void tcp_sack_bsd_rto_resend(gt_stack *s, struct tcp_conn *c);
bool tcp_sack_prr_end(struct tcp_conn *c, uint32_t acked, bool bsd, bool unrevised);
bool tcp_sack_in_cong(const struct tcp_conn *c);
uint32_t tcp_bsd_ticks(const gt_stack *s); /* tcp_timer.c: FreeBSD's ticks */
/* cfg.rtt_bsd: FreeBSD's t_srtt (ticks x 32) and t_rttvar (ticks x 16), as
 * tcp_xmit_timer() left them (tcp_timer.c). */
uint32_t tcp_bsd_srtt(const gt_stack *s, const struct tcp_conn *c);
uint32_t tcp_bsd_rttvar(const gt_stack *s, const struct tcp_conn *c);
bool tcp_sack_prr_start_blockless(gt_stack *s, struct tcp_conn *c, uint32_t sent);
/* FreeBSD's PRR state at a fast recovery without SACK (recover_fs for a
 * later ECN reduction; tcp_sack.c). */
void tcp_sack_prr_start_reno(gt_stack *s, struct tcp_conn *c, uint32_t sent);
bool tcp_sack_prr_dup_blockless(gt_stack *s, struct tcp_conn *c);
bool tcp_sack_partialack(gt_stack *s, struct tcp_conn *c, uint32_t acked, uint32_t wnd);
/* FreeBSD's TF_ACKNOW at a partial ACK of a SACK recovery: a pure ACK when
 * the ACK's output sent nothing since segs_out was segs0. */
void tcp_sack_bsd_acknow(gt_stack *s, struct tcp_conn *c, uint32_t segs0);
void tcp_sack_bsd_acknow_set(gt_stack *s, struct tcp_conn *c);
bool tcp_bsd_small_segment_ok(const struct tcp_conn *c, uint32_t len, uint32_t avail);
/* FreeBSD's SACK recovery without PRR (net.inet.tcp.do_prr=0 with
 * cfg.recovery_bsd; tcp_do_segment(), tcp_output(), tcp_sack_partialack()):
 * cwnd counts only what the recovery sends, the bytes retransmitted and
 * still out (sack_bytes_rexmit) plus new data past snd_recover. Does this
 * recovery run so? */
bool tcp_sack_bsd_noprr(const gt_stack *s, const struct tcp_conn *c);
/* Its entry: cwnd one segment ("tp->snd_cwnd = maxseg"), the fast
 * retransmit already sent; any room left goes to the next hole. */
void tcp_sack_bsd_entry(gt_stack *s, struct tcp_conn *c);
/* A duplicate ACK in it: cwnd one segment more, up to ssthresh, while
 * awnd is below ssthresh; then the holes cwnd lets out. */
void tcp_sack_bsd_dupack(gt_stack *s, struct tcp_conn *c);
/* The new data tcp_output() may send in it with cwnd cw and flight out. */
uint32_t tcp_sack_bsd_room(const struct tcp_conn *c, uint32_t cw, uint32_t flight);
/* Does cwnd stand as FreeBSD's tcp_sack_partialack() set it, with PRR, so
 * that tcp_output()'s new data takes tcp_sack_bsd_room() (until PRR sets
 * cwnd again)? */
bool tcp_sack_bsd_partialack_cwnd(const struct tcp_conn *c);
bool tcp_sack_bsd_holes(const struct tcp_conn *c);
/* FreeBSD's rescue hole and what sack_bytes_rexmit keeps of it go: an RTO
 * (tcp_timer_rexmt()'s tcp_free_sackholes()). */
void tcp_sack_rescue_clear(struct tcp_conn *c);
/* A recovery's start or end: the rescue hole goes, what FreeBSD's
 * sack_bytes_rexmit keeps of a SACKed rescue stays. */
void tcp_sack_rescue_done(struct tcp_conn *c);
/* How much of the fast retransmit FreeBSD's tcp_output() sends at a
 * recovery's entry (cwnd one segment) with a rescue's bytes still in
 * sack_bytes_rexmit: SMSS less those, 0 when they fill it. */
uint32_t tcp_sack_bsd_entry_len(const struct tcp_conn *c);

/* tcp_rack.c: RACK-TLP (RFC 8985). */
struct tcp_rack_ack {       /* what an ACK says, for RACK */
	uint32_t ack;
	uint32_t ts_ecr;
	bool advances;      /* SND.UNA moves */
	bool sack_new;      /* SACKs data not SACKed before */
	bool dsack;         /* its first block is a D-SACK (RFC 2883) */
	uint32_t dsack_left, dsack_right;
	const struct tcp_sack_block *sack; /* its SACK blocks */
	uint8_t nsack;
	bool has_ts;
	/* ECE in RFC 3168 mode (Linux's FLAG_ECE, tcp_ecn_rcv_ecn_echo():
	 * not on a SYN-ACK), for tcpi_delivered_ce. */
	bool ece;
};
/* RACK decides this connection's losses (cfg.rack, SACK, a log). */
bool tcp_rack_active(const gt_stack *s, const struct tcp_conn *c);
/* [seq, seq + len) (a FIN counted) went out now, new or again. */
void tcp_rack_sent(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len);
/* An acceptable ACK, after the scoreboard took its SACK blocks and before
 * SND.UNA moves: delivered records, RACK's state, the probe's episode. */
void tcp_rack_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a);
/* The RTT sample of the ACK tcp_rack_ack() took last, as Linux takes it
 * (tcp_ack_update_rtt()'s seq_rtt_us, else sack_rtt_us); false: none. */
bool tcp_rack_rtt(const struct tcp_conn *c, uint32_t *rtt_us);
/* Its ca_rtt_us (the latest sent of the segments it timed; UINT32_MAX:
 * none), which Linux gives min_rtt and the congestion control. */
uint32_t tcp_rack_ca_rtt(const struct tcp_conn *c);
/* That ACK delivered data never retransmitted, below recover
 * (FLAG_ORIG_SACK_ACKED). */
bool tcp_rack_orig_acked(const struct tcp_conn *c);
/* After the ACK: marks losses, enters recovery, sends, arms the timer. */
void tcp_rack_after_ack(gt_stack *s, struct tcp_conn *c);
/* After an RTO, an ACK found reneging: the go-back-N waits for the timer. */
bool tcp_rack_reneg_wait(const struct tcp_conn *c);
void tcp_rack_recovery_done(const gt_stack *s, struct tcp_conn *c, bool undone);
bool tcp_rack_ts_delayed(const gt_stack *s, const struct tcp_conn *c, bool has_ts, uint32_t ecr);
bool tcp_rack_dsack_undo_due(const struct tcp_conn *c);
bool tcp_rack_retrans_out(const struct tcp_conn *c);
bool tcp_rack_scoreboard(const struct tcp_conn *c, uint32_t *sacked, uint32_t *lost, uint32_t *retrans);
/* Reordering events seen (Linux's tp->reord_seen, tcpi_reord_seen): each
 * TcpSACKReorder of this connection's. */
uint32_t tcp_rack_reord_seen(const struct tcp_conn *c);
/* ... and without SACK each of Linux's tcp_check_reno_reordering() (or a
 * partial undo's tcp_check_sack_reordering()). */
void tcp_rack_reno_reordered(struct tcp_conn *c);
/* Linux's tp->delivered (tcpi_delivered) and tp->dsack_dups
 * (tcpi_dsack_dups); false where the profile does not keep them. */
bool tcp_lx_delivered(const gt_stack *s, const struct tcp_conn *c, uint32_t *delivered);
uint32_t tcp_lx_delivered_ce(const struct tcp_conn *c);
bool tcp_lx_dsack_dups(const gt_stack *s, const struct tcp_conn *c, uint32_t *dups);
/* cfg.loss_dsack_undo: Linux's undo_marker and undo_retrans for a
 * timeout (tcp_rack.c keeps them). */
void tcp_rack_loss_undo_init(struct tcp_conn *c, bool on);
bool tcp_rack_loss_undo_from_recovery(struct tcp_conn *c, uint32_t *cwnd, uint32_t *ssthresh);
void tcp_rack_loss_undo_start(const gt_stack *s, struct tcp_conn *c);
void tcp_rack_loss_undo_off(struct tcp_conn *c);
void tcp_rack_loss_retransmitted(struct tcp_conn *c);
bool tcp_rack_loss_dsack(struct tcp_conn *c, bool dsack, uint32_t right);
uint32_t tcp_rack_undo(gt_stack *s, struct tcp_conn *c, bool partial);
/* This ACK marks no loss and resends nothing (a partial ACK Linux holds). */
void tcp_rack_hold(struct tcp_conn *c);
/* The bytes the ACK being processed delivered (cumulatively or by SACK). */
uint32_t tcp_rack_delivered_now(const struct tcp_conn *c);
uint32_t tcp_rack_delivered_pkts(const struct tcp_conn *c, uint32_t acked_pkts);
void tcp_rack_grew(const gt_stack *s, struct tcp_conn *c, uint32_t before);
void tcp_rack_ts_reordering(gt_stack *s, struct tcp_conn *c, uint32_t una0);
/* Arms the probe timeout instead of the RTO when RFC 8985 7.2 allows. */
bool tcp_rack_arm_tlp(gt_stack *s, struct tcp_conn *c);
uint32_t tcp_rack_on_rto(gt_stack *s, struct tcp_conn *c, bool reneg, uint32_t reo_us);
/* cfg.flight_sacked_linux for this connection's log: SACKed data is out
 * of flight in every state (tcp_flight()). */
bool tcp_rack_flight_sacked(const struct tcp_conn *c);
bool tcp_rack_loss_marks(const struct tcp_conn *c);
uint32_t tcp_rack_loss_flight(const struct tcp_conn *c);
bool tcp_rack_gbn_skip(const struct tcp_conn *c, uint32_t seq, uint32_t *end);
bool tcp_rack_mtu_fall_loses(const gt_stack *s, const struct tcp_conn *c);
void tcp_rack_on_mtu_fall(gt_stack *s, struct tcp_conn *c);
uint32_t tcp_rack_rto_reo_us(const gt_stack *s, const struct tcp_conn *c);
/* The log at a flight's start, where none is yet (tcp_rack_sent()'s). */
void tcp_rack_start(gt_stack *s, struct tcp_conn *c);
bool tcp_rack_cwr_enter(const gt_stack *s, struct tcp_conn *c);
bool tcp_rack_in_cwr(const struct tcp_conn *c);
bool tcp_rack_cwr_holds(const struct tcp_conn *c);
void tcp_rack_cwr_end(struct tcp_conn *c);
/* Linux's high_seq while tcp_rack_in_cwr(). */
uint32_t tcp_rack_cwr_high(const struct tcp_conn *c);
/* The ssthresh a reduction saves for its undo (cfg.prior_ssthresh_current). */
uint32_t tcp_current_ssthresh(const gt_stack *s, const struct tcp_conn *c);
/* Linux's icsk_ca_state for this sender (enum gt_tcp_ca_state). */
uint8_t tcp_rack_ca_state(const struct tcp_conn *c);
bool tcp_rack_undo_info(const struct tcp_conn *c, uint32_t *cwnd, uint32_t *ssthresh, uint32_t *ts);
void tcp_rack_unmark_lost(struct tcp_conn *c);
/* The reordering timer or the probe timeout fired. False: TCB freed. */
bool tcp_rack_timer(gt_stack *s, struct tcp_conn *c);
/* The log covers SND.UNA..SND.MAX in order; NULL, or what is wrong. */
const char *tcp_rack_check(const struct tcp_conn *c);
void tcp_rack_free(struct tcp_conn *c);
/* tcp_input.c: fast recovery entered because RACK marked a loss. */
void tcp_rack_enter_recovery(gt_stack *s, struct tcp_conn *c);

/* tcp_timewait.c */
int tw_init(gt_stack *s);
void tw_fini(gt_stack *s);
/* True if the segment belonged to a TIME_WAIT entry (handled). *reuse is set
 * when a SYN may open a new connection over it (the entry is then gone). */
bool tw_input(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
	      const struct tcp_hdr *th, uint32_t seglen, bool *reuse);
bool tw_exists(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport);
struct tw_reuse {
	uint32_t snd_nxt;   /* the old connection's, for an ISN beyond it */
	uint32_t ts_recent; /* its TS.Recent (cfg.tw_reuse_linux inherits it) */
	uint32_t ts_recent_stamp; /* when the entry's timer last started, tcp_conn's unit */
};
/* connect() over a TIME_WAIT pair: removes the entry and returns true when
 * timestamps make the reuse safe (cfg.tw_reuse, cfg.tw_reuse_linux); bound:
 * the socket bound the port itself (Linux's twp == NULL). */
bool tw_take_for_reuse(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport, bool bound, struct tw_reuse *old);
/* Adds an entry; -ENOBUFS when the table is full. */
int tw_add(gt_stack *s, const struct tcp_conn *c);
/* The DSCP of c's segments once it is a timewait sock: an AF_INET6
 * socket's IPV6_TCLASS, over an IPv4 flow too, on the Linux profile
 * (tcp_time_wait()); else the connection's own (ip_dscp). */
uint8_t tcp_tw_dscp(gt_stack *s, const struct tcp_conn *c);
/* tcp_conn_orphan(): keeps that DSCP for when the socket is gone
 * (orphan_tclass: TCP_ORPHAN_TCLASS | DSCP, 0 none). */
#define TCP_ORPHAN_TCLASS 0x100u
void tcp_tw_keep_tclass(gt_stack *s, struct tcp_conn *c);
/* The entry's ACK (FreeBSD's tcp_twrespond(tw, TH_ACK)), if there is one;
 * signed as the connection was (tw_sign()). */
void tw_respond(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport);
void tw_expire(gt_stack *s, uint64_t now_us);
/* The clock moved: entries are timed from a 64-bit base, which must not
 * fall more than 2^30 us behind (see tcp_timewait.c). */
void tw_clock(gt_stack *s);
uint64_t tw_next_deadline(const gt_stack *s);
uint32_t tw_count(const gt_stack *s);
/* Live entries whose local port is port (any local address). */
uint32_t tw_on_local_port(const gt_stack *s, uint16_t port);
uint32_t tw_peak(const gt_stack *s);
uint64_t tw_bytes(const gt_stack *s);
/* Read-only walk of the TIME_WAIT entries, in deadline order (for listings). */
void tw_foreach(const gt_stack *s,
		void (*fn)(void *ctx, ip_addr laddr, uint16_t lport, ip_addr faddr,
			   uint16_t fport, uint64_t expire_us),
		void *ctx);

/* A trace event about connection c; callers test stack_tracing() first so
 * that tracing costs one branch when off. */
static inline void tcp_trace(gt_stack *s, const struct tcp_conn *c, enum gt_trace_type type,
			     uint32_t a, uint32_t b, uint32_t x, const char *why)
{
	struct gt_trace_event ev = {
		.type = type, .now_us = s->now_us, .laddr6 = c->laddr, .faddr6 = c->faddr,
		.lport = c->lport, .fport = c->fport, .a = a, .b = b, .c = x, .reason = why,
	};
	stack_trace(s, &ev);
}
static inline uint32_t tcp_trace_delay(uint64_t delay_us)
{
	return delay_us > UINT32_MAX ? UINT32_MAX : (uint32_t)delay_us;
}

#endif
