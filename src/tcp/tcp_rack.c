/* RACK-TLP loss detection (RFC 8985), as Linux ships it (net.ipv4.
 * tcp_recovery bit 1, tcp_early_retrans 3): the profile's rack and tlp.
 *
 * RACK needs each segment's transmit time. The send buffer is a byte ring,
 * so the times live beside it in a transmit log: sorted, contiguous
 * records [start, end) that cover exactly SND.UNA..SND.MAX, each with the
 * time its bytes last went out and three flags. Bytes sent together share
 * a record, up to the first segment shorter than the MSS; a
 * retransmission, a SACK edge or a cumulative ACK inside a record splits
 * it. The log doubles with the flight up to TCP_MAX_XMIT
 * records (4096 x 24 B: a 6 MiB window sent one or two segments per ACK)
 * and halves when a quarter full. When it is full, the two neighbours
 * sent closest in time merge (the later time kept, so a merged record is
 * never declared lost early), at a price: a merged record is lost or
 * not as a whole, so a loss in it resends its neighbours too, and pipe
 * misses them (a 256-record log made three recoveries of one overflow
 * of a 530-segment path).
 * Allocated at the start of a flight with data; an allocation failure
 * leaves the connection on RFC 6675 (TcpRackNoMem). Without SACK the
 * log is kept under cfg.rtt_exact_first for the RTT samples alone
 * (log_kept(), time_ack()) and Reno's reord_seen; RACK, the marks and
 * every other reader see none there (sb()).
 *
 * The flags are Linux's scoreboard bits: LOST (RACK or an RTO said so),
 * RETRANS (sent again since), SACKED. A record is in flight unless SACKED
 * or LOST and not yet RETRANS; it is due for retransmission when LOST and
 * neither RETRANS nor SACKED. A retransmission found lost again loses its
 * RETRANS bit (TcpLostRetransmit) and goes again.
 *
 * What decides: RACK.xmit_ts, the most recently sent segment delivered
 * (RFC 8985 6.2 step 2; a tie of times broken by the order of transmission
 * before RACK.end_seq: see sent_after()); a segment sent before it is lost
 * once RACK.rtt + RACK.reo_wnd has passed since it went out (step 5), else
 * the reordering timer is armed for the remaining time. The window is zero
 * in recovery and once DupThresh segments are SACKed, until reordering is
 * seen (step 4), then min_rtt / 4 times a multiplier that each round with a
 * D-SACK raises and 16 recoveries without one reset.
 *
 * The tail loss probe (RFC 8985 7): with data in flight and no recovery,
 * the retransmission timer first runs as the probe timeout, 2 SRTT (plus
 * 200 ms with one segment out, the worst-case delayed ACK), never past the
 * RTO. When it fires, one new segment goes if the peer's window takes the
 * send head's first segment whole (tcp_tlp_new_ok()), else the last one
 * again; the ACK that answers it tells whether that repaired a
 * loss (a cwnd reduction, TcpLossProbeRecovery) or was a copy (a D-SACK). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp.h"

#define X_LOST 1u
#define X_RETRANS 2u
#define X_SACKED 4u
#define X_EVER 8u      /* sent more than once, ever (Linux's TCPCB_EVER_RETRANS) */
/* Last sent as a tail loss probe's copy: RETRANS here, but never in
 * Linux's retrans_out (tcp_send_loss_probe() calls __tcp_retransmit_skb(),
 * which sets TCPCB_EVER_RETRANS only); cfg.rto_mark_keeps_retrans reads it. */
#define X_PROBE 16u
#define XLOG_MIN 8u
#define TLP_WCDELACK_US 200000u /* RFC 8985 7.2: WCDelAckT, Linux's TCP_RTO_MIN */
#define TLP_MIN_US 2000u        /* Linux's TCP_TIMEOUT_MIN_US */

struct tcp_xmit {
	uint64_t at_us;             /* when its bytes last went out */
	uint32_t start, end;        /* [start, end) */
	uint32_t order;             /* the transmission that sent them last */
	uint8_t flags;
};

struct tcp_rack {
	uint64_t xmit_us;           /* RACK.xmit_ts, once have */
	uint32_t end_seq;           /* RACK.end_seq */
	uint32_t xmit_order;        /* its order of transmission */
	uint32_t order;             /* transmissions so far, wrapping */
	uint32_t rtt_us;            /* RACK.rtt */
	uint32_t fack;              /* RACK.fack: highest end delivered */
	uint32_t dsack_round;       /* RACK.dsack_round, when dsack_on */
	/* cfg.rack_dsack_step_delivered: the newest transmission (order)
	 * this ACK delivered, while deliv_seen (Linux's rs->prior_delivered). */
	uint32_t deliv_order;
	uint32_t tlp_end;           /* TLP.end_seq, when tlp_on */
	/* Every record with flags ends at or below it, so a record that
	 * starts at or above it has none: sent once, in order, its time
	 * later than any record's below it (detect_loss() stops there). */
	uint32_t dirty_end;
	/* Undo (RFC 2883 5, RFC 3708; Linux's undo_marker): what the last
	 * recovery reduced, and its retransmissions not yet reported as
	 * duplicates. When every one was, the recovery was reordering's. */
	uint32_t undo_cwnd, undo_ssthresh, undo_marker, undo_retrans;
	/* cfg.ts_undo: the TSval of the recovery's first retransmission
	 * (Linux's retrans_stamp), once undo_ts_on. */
	uint32_t undo_ts;
	/* Proportional rate reduction (RFC 6937 3), as Linux's
	 * tcp_cwnd_reduction(): bytes delivered and sent since the
	 * reduction began, cwnd then (Linux's prior_cwnd, PRR's divisor
	 * where RFC 6937 has RecoverFS, the flight), and what this ACK
	 * delivered. */
	uint32_t prr_delivered, prr_out, prior_cwnd, delivered_now;
	/* cfg.flight_short_pkt: the same in Linux's packets, each record
	 * ceil(len / mss) (tcp_skb_pcount()): three 100-byte segments
	 * delivered are three, not one. */
	uint32_t prr_delivered_pkts, prr_out_pkts, prior_cwnd_pkts, delivered_pkts_now;
	/* cfg.cwnd_delivered_sack: of this ACK's, the packets it newly
	 * SACKed (D-SACKed duplicates too) and those it cumulatively
	 * acknowledged that were SACKed before (tcp_rack_delivered_pkts()). */
	uint32_t sacked_new_segs, sacked_gone_segs;
	/* ... and what its growth added to cwnd (tcp_rack_grew()). */
	uint32_t grown_now;
	/* Segments reported as duplicates so far (Linux's dsack_dups). */
	uint32_t dsack_dups;
	/* Linux's tp->delivered past the handshake: each ACK's
	 * delivered_pkts_now, summed (tcp_lx_delivered()). */
	uint32_t delivered_pkts;
	/* Linux's tp->delivered_ce: of those, the ones ACKs with ECE
	 * delivered (tcp_count_delivered(), RFC 3168 mode). */
	uint32_t delivered_ce_pkts;
	/* cfg.loss_dsack_undo: Linux's undo_marker and undo_retrans for the
	 * loss state, while loss_undo_on: SND.UNA at the timeout,
	 * and the segments retransmitted since, less those D-SACKed. */
	uint32_t loss_undo_marker, loss_undo_retrans;
	/* cfg.rto_mark_keeps_retrans: segments Linux's retrans_out holds
	 * that no segment stands for. A timeout that finds the head
	 * retransmitted and not lost leaves its RETRANS bit, and
	 * tcp_retransmit_timer()'s tcp_retransmit_skb() adds the head's copy
	 * to retrans_out again ("retrans_out leaked"); its ACK takes off one
	 * (tcp_clean_rtx_queue()). In flight until nothing is
	 * (tcp_clean_rtx_queue(): retrans_out = 0 once packets_out is 0,
	 * with SACK). */
	uint32_t leak_segs;
	/* cfg.loss_gbn_marks at the last entry to the loss state: while
	 * loss_pipe, the marks say what is in flight and what is resent. */
	bool gbn_marks : 1;
	/* ... and the timeout left a record in flight (kept or unmarked),
	 * which the go-back-N passes over. */
	bool gbn_kept : 1;
	/* cfg.flight_sacked_linux, as the log was made. */
	bool flight_sacked : 1;
	/* cfg.flight_short_pkt, as the log was made. */
	bool short_pkt : 1;
	/* A loss state undone with its marks (tcp_rack_unmark_lost()):
	 * Linux's tcp_try_undo_loss() opens, and tcp_try_to_open() makes it
	 * Disorder while a retransmission is out (tcp_try_keep_open()),
	 * until an ACK finds none. */
	bool loss_undone : 1;
	bool undone_open : 1;       /* ... and that Disorder is over */
	bool loss_undo_on : 1;      /* a timeout's D-SACK undo may come */
	bool loss_dsack_all : 1;    /* ... every retransmission since D-SACKed */
	/* The records are x[0..n), x = xa + off: a cumulative ACK moves x
	 * up, and room() moves them back down only when the end of xa is
	 * reached, so an ACK does not shift the log (docs/sending.md). */
	uint16_t n, cap, off;
	uint32_t reord_seen;        /* Linux's tp->reord_seen: reordering events, tcpi_reord_seen */
	uint8_t reo_mult;           /* RACK.reo_wnd_mult */
	uint8_t reo_persist;        /* RACK.reo_wnd_persist */
	bool have : 1;              /* something was delivered: xmit_us is set */
	bool reord : 1;             /* RACK.reordering_seen, Linux's reord_seen != 0 */
	bool dsack_on : 1;
	/* cfg.rack_dsack_step_delivered: a D-SACK waits for an ACK that
	 * delivers (Linux's rack.dsack_seen); this ACK delivered. */
	bool dsack_pend : 1, deliv_seen : 1;
	bool tlp_on : 1, tlp_retrans : 1;
	bool acked_now : 1;         /* the ACK being processed moved SND.UNA */
	bool hold : 1;              /* this ACK marks and resends nothing (tcp_rack_hold()) */
	bool undo_on : 1;
	bool undo_ts_on : 1;
	bool prr_on : 1;
	bool reneg : 1;             /* this ACK left a SACKed record at SND.UNA */
	bool reneg_wait : 1;        /* in the loss state: the RTO armed for it resends */
	bool cwr_on : 1;            /* Linux's TCP_CA_CWR: an ECE's reduction runs */
	bool sacked_any : 1;        /* a record may be SACKed: false only when none is */
	bool rtt_cum : 1;           /* this ACK's RACK.rtt is a cumulatively acknowledged record's */
	bool dsack_dubious : 1;     /* this ACK's D-SACK is dubious (tcp_dsack_seen() 0) */
	bool undo_due : 1;          /* undo_retrans reached 0 on an ACK that ends the recovery */
	/* cfg.dsack_undo_sacktag: the segments this ACK's D-SACK takes off
	 * an undo count, as Linux takes them (dsack_lx_take()). */
	uint32_t dsack_take;
	/* cwr_on: Linux's high_seq, SND.MAX when the ECE came; the reduction
	 * ends once SND.UNA passes it. */
	uint32_t cwr_high;
	/* Linux's RTT sample from the ACK being processed (tcp_ack()'s
	 * seq_rtt_us, else sack_rtt_us), UINT32_MAX: none; and its ca_rtt_us,
	 * the time since the most recently sent of the segments it timed
	 * went (last_ackt, else last_sackt), for min_rtt and the congestion
	 * control. */
	uint32_t ack_rtt_us, ack_ca_rtt_us;
	/* This ACK delivered, cumulatively or by SACK, a record never sent
	 * twice and below recover (Linux's FLAG_ORIG_SACK_ACKED, with
	 * high_seq). */
	bool orig_now;
	/* detect_loss()'s last walk, which holds while lr_ok: nothing it
	 * reads has changed since (changed()). The earliest and the latest
	 * deadline of the records that wait for RACK.rtt + reo_wnd to pass
	 * (lr_first_us UINT64_MAX: none waits), the window they were
	 * computed with, whether a record was lost and not yet sent again,
	 * the first such record (n: none), and the bytes in flight as
	 * rack_pipe() counts them. */
	uint64_t lr_first_us, lr_last_us;
	uint32_t lr_reo_us, lr_pipe;
	uint16_t lr_lost;
	bool lr_ok, lr_pending;
	/* walk_loss()'s settled prefix: the first pf_n records, each SACKed,
	 * lost and not yet sent again, or sent after RACK.xmit_ts (in
	 * flight), none waiting on a deadline. Their answer reads only their
	 * own fields and RACK.xmit_ts, so it holds until one of them changes
	 * (touched(): pf_n 0) or RACK.xmit_ts passes the earliest sent of
	 * the in-flight ones (pf_c_*); the walk starts after them with
	 * their sum: the bytes in flight, whether one is SACKed, the first
	 * lost one. A duplicate ACK in recovery SACKs one more segment
	 * above them, and the walk from SND.UNA each time was most of
	 * detect_loss()'s cost (bench/PROFILE.md, bench_ackpath). */
	uint64_t pf_c_us;
	uint32_t pf_c_order, pf_c_end, pf_pipe;
	uint16_t pf_n, pf_lost;
	bool pf_c, pf_sacked, pf_pending;
	struct tcp_xmit *x;
	struct tcp_xmit xa[];
};

static void enter_recovery(gt_stack *s, struct tcp_conn *c);
static void cwr_step(struct tcp_conn *c, bool marked);
static void dsack_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a);

/* The library is built -fPIC, where gcc does not inline an exported
 * function into its own file's callers (another definition may be
 * interposed): this file's callers, tcp_rack_arm_tlp() at each segment
 * sent among them, ask this copy. */
static inline bool rack_on(const gt_stack *s, const struct tcp_conn *c)
{
	return c->rack && s->cfg.rack && c->sack_ok;
}

bool tcp_rack_active(const gt_stack *s, const struct tcp_conn *c)
{
	return rack_on(s, c);
}

/* The log as RACK's scoreboard, for everything but the RTT samples: none
 * without SACK, where it only times (timing_log()). */
static inline struct tcp_rack *sb(const struct tcp_conn *c)
{
	return c->sack_ok ? c->rack : NULL;
}

/* Is a transmit log kept for this connection? With SACK, RACK's
 * (cfg.rack). Without, one that only times what goes out, under
 * cfg.rtt_exact_first: Linux stamps every skb, SACK or not, and
 * tcp_clean_rtx_queue() takes seq_rtt_us from the oldest newly
 * acknowledged one sent once (first_ackt), ca_rtt_us from the newest
 * (last_ackt), both before the TS echo (tcp_ack_update_rtt()). With the
 * echo instead, a sub-millisecond path's samples were a whole TS tick:
 * SRTT 957 us where Linux 6.18.44 stays under 900 us
 * (tests/pkt/linux/rtt-no-sack-exact-not-one-tick.pkt). Nothing else
 * reads that log: sb() is NULL, rack_on() false. */
static bool log_kept(const gt_stack *s, const struct tcp_conn *c)
{
	return c->sack_ok ? s->cfg.rack : s->cfg.rtt_exact_first;
}

/* The segments a D-SACK block [left, right) reports, as Linux's
 * tcp_dsack_seen() counts dup_segs: at least one, but none for a block
 * that is empty or wider than the largest window the peer offered, which
 * tcp_check_dsack() then skips as dubious (TCPDSACKIgnoredDubious). */
static uint32_t dsack_segs(const struct tcp_conn *c, uint32_t left, uint32_t right)
{
	uint32_t len = right - left, mss = c->mss ? c->mss : 1u;
	if (!seq_lt(left, right) || len > c->max_snd_wnd)
		return 0;
	return len > mss ? (len + mss - 1) / mss : 1u;
}

/* Is the D-SACK of this ACK, which starts at or below SND.UNA (una) with
 * an undo_marker set, one Linux's tcp_is_sackblock_valid() refuses? It
 * must lie wholly below SND.UNA and end above the marker (a block that
 * starts below the marker is taken where it starts within max_window of
 * its end); tcp_sacktag_write_queue() counts the refused ones
 * TCPDSACKIgnoredOld. tcp_check_dsack() has already taken its segments
 * off undo_retrans where it ends above the marker (dsack_off()). */
static bool dsack_old(const struct tcp_conn *c, const struct tcp_rack_ack *a, uint32_t una)
{
	const struct tcp_rack *k = c->rack;
	uint32_t marker = k->undo_on ? k->undo_marker : k->loss_undo_marker;
	uint32_t l = a->dsack_left, r = a->dsack_right;
	if (seq_gt(r, una))
		return true;
	if (!seq_lt(l, marker))
		return false;
	if (!seq_gt(r, marker))
		return true;
	return seq_lt(l, r - c->max_snd_wnd);
}

/* Takes the D-SACK [left, right)'s segments off *count, an undo's count of
 * retransmissions since marker, where the block ends above marker
 * (tcp_check_dsack(): undo_retrans -= dup_segs). False where it takes
 * nothing: no count left, or the block is older than the marker. The
 * segments are tcp_rack_ack()'s dsack_take: the block's, or with
 * cfg.dsack_undo_sacktag what dsack_lx_take() found before the ACK's
 * records left the log. */
static bool dsack_off(const struct tcp_conn *c, uint32_t *count, uint32_t marker, uint32_t right)
{
	if (!*count || !seq_gt(right, marker))
		return false;
	uint32_t segs = c->rack->dsack_take;
	if (!segs)
		return false;
	*count = segs >= *count ? 0 : *count - segs;
	return true;
}

/* Packets of the data acknowledged before the log began
 * (tcp_lx_delivered()): a Fast Open SYN's, resent after a SYN-ACK that
 * acknowledged the SYN alone, as full segments and one short one (one
 * skb: exact). None where the SYN-ACK acknowledged the SYN's data: Linux
 * 6.18 counts that skb no packet
 * (tests/pkt/linux/tcpi-delivered-fastopen-syn-data.pkt). */
static uint32_t pre_log_pkts(const struct tcp_conn *c)
{
	uint64_t mss = c->mss ? c->mss : 1;
	if (!c->passive && tcp_syn_data_acked(c))
		return 0;
	return (uint32_t)((c->cnt.bytes_acked + mss - 1) / mss);
}

static struct tcp_rack *rack_new(gt_stack *s, uint32_t at)
{
	struct tcp_rack *k = calloc(1, sizeof(*k) + XLOG_MIN * sizeof(k->xa[0]));
	if (!k) {
		s->st.TcpRackNoMem++;
		return NULL;
	}
	k->x = k->xa;
	k->cap = XLOG_MIN;
	k->fack = at;
	k->dirty_end = at;
	k->reo_mult = 1;
	k->ack_rtt_us = k->ack_ca_rtt_us = UINT32_MAX;
	k->flight_sacked = s->cfg.flight_sacked_linux;
	k->short_pkt = s->cfg.flight_short_pkt;
	return k;
}

void tcp_rack_free(struct tcp_conn *c)
{
	free(c->rack);
	c->rack = NULL;
}

/* x has flags now, or grew with some: dirty_end covers it. */
static void dirty(struct tcp_rack *k, const struct tcp_xmit *x)
{
	if (x->flags && seq_gt(x->end, k->dirty_end))
		k->dirty_end = x->end;
}

/* Something detect_loss() reads changed: a record came, went, was cut,
 * merged or marked, or RACK.xmit_ts, RACK.end_seq, RACK.rtt or
 * RACK.reordering_seen moved. Its next call walks the log again. */
static void changed(struct tcp_rack *k)
{
	k->lr_ok = false;
}

/* A reordering event: RACK.reordering_seen, Linux's reord_seen++ (tcpi_reord_seen)
 * and TCPSACKReorder, or TCPTSReorder where timestamps showed it
 * (tcp_check_sack_reordering()'s ts). */
static void reordered_by(gt_stack *s, struct tcp_rack *k, bool ts)
{
	k->reord = true;
	k->reord_seen++;
	if (ts)
		s->st.TcpTSReorder++;
	else
		s->st.TcpSACKReorder++;
}

static void reordered(gt_stack *s, struct tcp_rack *k)
{
	reordered_by(s, k, false);
}

/* Record i, or the records from it on, change (flags, times, edges) or
 * move: the settled prefix no longer holds if i is in it. Records above
 * it may change freely: the prefix's indices stay. */
static void touched(struct tcp_rack *k, uint16_t i)
{
	if (i < k->pf_n)
		k->pf_n = 0;
}

/* The records to the start of xa again (before a realloc(), or for room
 * at the end). */
static void compact(struct tcp_rack *k)
{
	if (k->off)
		memmove(k->xa, k->x, (size_t)k->n * sizeof(k->x[0]));
	k->off = 0;
	k->x = k->xa;
}

/* Room for one more record: grow, else merge the closest neighbours that
 * share their flags. False when neither is possible. */
static bool room(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_rack *k = c->rack;
	if (k->n < k->cap) {
		if (k->off + k->n == k->cap)
			compact(k);
		return true;
	}
	/* Full: off + n <= cap (tcp_rack_check()) leaves off at 0, the log
	 * already at the allocation's start. */
	if (k->cap < TCP_MAX_XMIT) {
		uint16_t cap = k->cap * 2 > TCP_MAX_XMIT ? TCP_MAX_XMIT : (uint16_t)(k->cap * 2);
		struct tcp_rack *g = realloc(k, sizeof(*k) + cap * sizeof(k->xa[0]));
		if (g) {
			g->cap = cap;
			g->x = g->xa;
			c->rack = g;
			return true;
		}
		s->st.TcpRackNoMem++;
	}
	int best = -1;
	uint64_t gap = UINT64_MAX;
	for (uint16_t i = 0; i + 1 < k->n; i++) {
		const struct tcp_xmit *a = &k->x[i], *b = &k->x[i + 1];
		if ((a->flags | X_EVER) != (b->flags | X_EVER))
			continue;
		uint64_t d = a->at_us > b->at_us ? a->at_us - b->at_us : b->at_us - a->at_us;
		if (d < gap) {
			gap = d;
			best = i;
		}
	}
	if (best < 0)
		return false;
	struct tcp_xmit *a = &k->x[best], *b = &k->x[best + 1];
	changed(k);
	touched(k, (uint16_t)best);
	a->end = b->end;
	a->flags |= b->flags; /* ever sent twice if either was: no RTT sample */
	if (b->at_us > a->at_us)
		a->at_us = b->at_us;
	if ((int32_t)(b->order - a->order) > 0)
		a->order = b->order;
	dirty(k, a);
	/* One memmove, not a copy per record: this runs on every record
	 * added to a full log (4096 of them), and under ASan a loop of
	 * struct copies was most of a long swarm seed's time (40004403). */
	memmove(&k->x[best + 1], &k->x[best + 2], (size_t)(k->n - best - 2) * sizeof(k->x[0]));
	k->n--;
	return true;
}

/* The index of the record holding seq, or n, searched from lo on: every
 * record below lo ends at or below seq. */
static uint16_t find_from(const struct tcp_rack *k, uint32_t seq, uint16_t lo)
{
	uint16_t hi = k->n;
	while (lo < hi) {
		uint16_t mid = (uint16_t)((lo + hi) / 2);
		if (seq_le(k->x[mid].end, seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index of the record holding seq, or n. */
static uint16_t find(const struct tcp_rack *k, uint32_t seq)
{
	return find_from(k, seq, 0);
}

/* Makes seq, which record i holds (find(seq)), a record boundary; false
 * when it cannot (the log is full). *moved: a merge moved records, so
 * indices the caller holds may be stale; without one, the records below
 * i keep theirs, and those above move up by one where i was cut. */
static bool split_in(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint16_t i, bool *moved)
{
	uint16_t n = c->rack->n;
	*moved = false;
	if (i >= n || !seq_lt(c->rack->x[i].start, seq))
		return true; /* a boundary already, or outside the log */
	if (!room(s, c))
		return false;
	struct tcp_rack *k = c->rack;
	if (k->n != n) {
		/* A merge (room() takes one record off) may have moved it;
		 * growing or compacting keeps the indices. */
		*moved = true;
		i = find(k, seq);
		if (i >= k->n || !seq_lt(k->x[i].start, seq))
			return true;
	}
	changed(k); /* sent_after()'s tie-break reads the end */
	touched(k, i);
	memmove(&k->x[i + 1], &k->x[i], (size_t)(k->n - i) * sizeof(k->x[0])); /* x[i] twice */
	k->x[i].end = seq;
	k->x[i + 1].start = seq;
	k->n++;
	return true;
}

/* Makes seq a record boundary; false when it cannot (the log is full). */
static bool split_at(gt_stack *s, struct tcp_conn *c, uint32_t seq)
{
	bool moved;
	return split_in(s, c, seq, find(c->rack, seq), &moved);
}

static void append(gt_stack *s, struct tcp_conn *c, uint32_t a, uint32_t b)
{
	struct tcp_rack *k = c->rack;
	struct tcp_xmit *last = k->n ? &k->x[k->n - 1] : NULL;
	changed(k);
	/* Sent in the same burst, nothing between, and the record so far
	 * whole segments: a short segment ends its record, so the log can
	 * count segments (segs_sacked()). */
	if (last && last->at_us == s->now_us && last->flags == 0 && last->order == k->order &&
	    (last->end - last->start) % (c->mss ? c->mss : 1u) == 0) {
		touched(k, (uint16_t)(k->n - 1));
		last->end = b;
		return;
	}
	k->order++;
	if (!room(s, c)) {
		/* Every neighbour differs in its flags: the last record takes
		 * the new bytes, and their time (later: never lost early). */
		touched(c->rack, (uint16_t)(c->rack->n - 1));
		last = &c->rack->x[c->rack->n - 1];
		last->end = b;
		last->at_us = s->now_us;
		last->order = c->rack->order;
		dirty(c->rack, last);
		return;
	}
	k = c->rack;
	k->x[k->n++] = (struct tcp_xmit){.at_us = s->now_us, .start = a, .end = b, .order = k->order};
}

static uint32_t rec_segs(const struct tcp_conn *c, uint32_t len);

/* The log at a flight's start, before anything is sent, as
 * tcp_rack_sent() makes it: a refused send's CWR state lives in it
 * (tcp_output.c tx_refused_cwr()). */
void tcp_rack_start(gt_stack *s, struct tcp_conn *c)
{
	if (!c->rack && s->cfg.rack && c->sack_ok && c->snd_una == c->snd_max) {
		c->rack = rack_new(s, c->snd_una);
		if (c->rack)
			c->rack->delivered_pkts = pre_log_pkts(c);
	}
}

void tcp_rack_sent(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	if (!len)
		return;
	uint32_t end = seq + len;
	if (!c->rack) {
		/* Only at the start of a flight, so the log covers all of it;
		 * or at a retransmission from SND.UNA, the log then taking
		 * all in flight as sent now (no earlier than it went) and the
		 * retransmitted part as sent again: a Fast Open SYN's data
		 * that the SYN-ACK did not take, resent at once
		 * (tcp_rcv_fastopen_synack() marks it lost and
		 * tcp_non_congestion_loss_retransmit() sends it: retrans_out,
		 * tcpi_retrans, counts it). */
		if (!log_kept(s, c) || seq != c->snd_una)
			return;
		c->rack = rack_new(s, seq);
		if (!c->rack)
			return;
		c->rack->delivered_pkts = pre_log_pkts(c);
		if (seq_lt(seq, c->snd_max)) {
			append(s, c, seq, c->snd_max);
			/* A log that only times: when that went is unknown,
			 * so it gives no sample (as if sent twice). */
			if (!c->sack_ok) {
				c->rack->x[0].flags = X_EVER;
				dirty(c->rack, &c->rack->x[0]);
			}
		}
	}
	/* Linux's tcp_event_new_data_sent() and tcp_xmit_retransmit_queue()
	 * count what goes during a reduction (prr_out); a recovery counts its
	 * own in recovery_send(). */
	if (c->rack->cwr_on && !c->in_recovery) {
		c->rack->prr_out += len;
		c->rack->prr_out_pkts += rec_segs(c, len);
	}
	/* The part at or past SND.MAX is new. */
	if (seq_gt(end, c->snd_max)) {
		append(s, c, seq_max(seq, c->snd_max), end);
		end = c->snd_max;
	}
	if (!seq_lt(seq, end))
		return;
	/* The part below is a retransmission: its records, cut to it, go
	 * out again now. */
	bool exact = split_at(s, c, seq) && split_at(s, c, end);
	struct tcp_rack *k = c->rack;
	k->order++;
	changed(k);
	for (uint16_t i = find(k, seq); i < k->n && seq_lt(k->x[i].start, end); i++) {
		if (!exact && (k->x[i].flags & X_SACKED))
			continue;
		touched(k, i);
		k->x[i].at_us = s->now_us;
		k->x[i].order = k->order;
		k->x[i].flags = (uint8_t)((k->x[i].flags & ~X_PROBE) | X_RETRANS | X_EVER);
		dirty(k, &k->x[i]);
	}
}

/* RFC 8985 6.2's RACK_sent_after(), with the order of transmission where
 * the RFC (and Linux's tcp_rack_sent_after()) break a tie of times by
 * sequence number. A stack on a runtime's clock sends a whole batch at one
 * now_us: a retransmission of a hole and new data above it in the same
 * batch have equal times, and by sequence the new data would count as sent
 * after the retransmission, so a SACK for it declared the retransmission
 * lost and sent it a third time (36 spurious copies, all D-SACKed, in a
 * 47 MB transfer over TUN at 1% loss: bench/loss_floor.sh with
 * GT_LOSS_PCAP). The order is exact; within one transmission (one burst,
 * one order) the higher sequence number went later, as in the RFC. */
static bool sent_after(uint64_t t1, uint32_t o1, uint32_t s1, uint64_t t2, uint32_t o2, uint32_t s2)
{
	if (t1 != t2)
		return t1 > t2;
	if (o1 != o2)
		return (int32_t)(o1 - o2) > 0;
	return seq_gt(s1, s2);
}

/* RFC 8985 6.2 steps 2 and 3 for a record newly delivered (cumulatively,
 * cum, or selectively). RACK.rtt is Linux's: tcp_rack_advance() sets
 * rack.rtt_us for every segment it is called for, sent after the newest
 * or not, and calls come for the newly SACKed ones first
 * (tcp_sacktag_write_queue()), then for the cumulatively acknowledged
 * ones not SACKed before (tcp_clean_rtx_queue()), each in sequence
 * order: the ACK's RACK.rtt is its highest such cumulatively acknowledged
 * record's, else its highest newly SACKed one's. RFC 8985's, the most
 * recently sent one's, made a segment sent shortly before newly SACKed
 * ones lost on an ACK that also acknowledged older data, where Linux
 * waits for the reordering timer
 * (tests/pkt/linux/rack-rtt-of-the-last-acked-not-the-newest.pkt). The
 * profile walks the cumulative part first, hence rtt_cum. */
static void delivered(gt_stack *s, struct tcp_conn *c, const struct tcp_xmit *x,
		      const struct tcp_rack_ack *a, bool cum)
{
	struct tcp_rack *k = c->rack;
	changed(k);
	if (!k->deliv_seen || (int32_t)(x->order - k->deliv_order) > 0)
		k->deliv_order = x->order; /* tcp_rate_skb_delivered()'s newest */
	k->deliv_seen = true;
	if (seq_gt(x->end, k->fack)) {
		k->fack = x->end;
	} else if (seq_lt(x->end, k->fack) && !(x->flags & X_RETRANS) && !k->reord &&
		   !s->cfg.sack_reordering) {
		reordered(s, k); /* delivered below the highest */
	}
	uint32_t rtt = tcp_elapsed_us(s, x->at_us);
	if (x->flags & X_RETRANS) {
		/* Which copy arrived is ambiguous: not if the echo predates
		 * the retransmission, nor if it came back faster than any
		 * round trip. Before the first RTT sample no round trip is
		 * known, and none is short enough: Linux's tcp_min_rtt() is
		 * then ~0U (tcp_init_sock() resets rtt_min so), and
		 * tcp_rack_advance() ignores every retransmission delivered.
		 * Taken as 0, a SACK for a late original 3 us after its
		 * retransmission made RACK.rtt 3 us, and every copy sent
		 * before it lost at once, again and again: 7,269 lost
		 * retransmissions in 0.33 s of 1-byte segments with
		 * timestamps off and every ACK covering retransmitted data
		 * (swarm seed 4007979). */
		if (a->has_ts && c->ts_ok &&
		    (int32_t)(a->ts_ecr - ((uint32_t)(x->at_us / 1000) + c->ts_offset)) < 0)
			return;
		if (!c->min_rtt_us || rtt < c->min_rtt_us)
			return;
	}
	if (!k->have || sent_after(x->at_us, x->order, x->end, k->xmit_us, k->xmit_order, k->end_seq)) {
		k->have = true;
		k->xmit_us = x->at_us;
		k->end_seq = x->end;
		k->xmit_order = x->order;
	}
	if (cum || !k->rtt_cum)
		k->rtt_us = rtt;
	if (cum)
		k->rtt_cum = true;
}

/* Is the TCB in fast recovery or in the recovery an RTO began? */
static bool recovering(const struct tcp_conn *c)
{
	return c->in_recovery || seq_lt(c->snd_una, c->recover);
}

/* RFC 8985's RACK.segs_sacked, Linux's tp->sacked_out: SACKed segments,
 * a record counting as many as it holds (tcp_skb_pcount(), rounded up:
 * a 100-byte segment is one), counted up to limit. */
static uint32_t segs_sacked(const struct tcp_conn *c, uint32_t limit)
{
	const struct tcp_rack *k = c->rack;
	uint32_t n = 0, mss = c->mss ? c->mss : 1u;
	/* Called for each ACK (reo_wnd()), this walk of the whole log found
	 * nothing SACKed in a flight without loss: 2.2% of `glasstcp sim
	 * --bytes 200000000 --delay 1`'s instructions (docs/sending.md). */
	if (!k->sacked_any) {
#ifdef GT_SLACK_CHECK
		for (uint16_t i = 0; i < k->n; i++)
			assert(!(k->x[i].flags & X_SACKED));
#endif
		return 0;
	}
	for (uint16_t i = 0; i < k->n && n < limit; i++)
		if (k->x[i].flags & X_SACKED)
			n += (k->x[i].end - k->x[i].start + mss - 1) / mss;
	return n;
}

/* RFC 8985 6.2 step 4. */
static uint32_t reo_wnd(const gt_stack *s, const struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	if (!k->reord) {
		if (recovering(c))
			return 0;
		/* DupThresh segments SACKed, in segments, not bytes: three
		 * small ones count as three full ones would (Linux's
		 * tcp_rack_reo_wnd(): sacked_out >= tp->reordering). */
		uint32_t dupthresh = tcp_reordering(s, c);
		if (!s->cfg.rack_no_dupthresh && segs_sacked(c, dupthresh) >= dupthresh)
			return 0;
	}
	uint64_t w = (uint64_t)k->reo_mult * c->min_rtt_us / 4;
	return w > c->srtt_us ? c->srtt_us : (uint32_t)w;
}

/* RFC 8985 6.2 step 5: marks what is lost; returns the time until the last
 * record that waits would be (0: none waits). On the way it finds, for
 * rack_run() and recovery_send(), what rack_pipe() and next_lost() would
 * walk the log again for: the bytes in flight by the new marks (lr_pipe)
 * and the first record lost and not yet sent again (lr_lost). */
static uint32_t walk_loss(gt_stack *s, struct tcp_conn *c, bool *pending, bool *marked)
{
	struct tcp_rack *k = c->rack;
	*pending = false;
	*marked = false;
	uint64_t reo = k->have ? reo_wnd(s, c) : 0;
	uint64_t timeout = 0, first_us = UINT64_MAX;
	uint32_t pipe = 0;
	bool sacked = false;
	uint16_t i = 0, lost = k->n;
	/* The settled prefix (pf_n) and the earliest sent of its records in
	 * flight (c_*), as far as this walk extends it; settled false from
	 * the first record that waits. */
	bool settled = true, cf = false;
	uint64_t c_us = 0;
	uint32_t c_order = 0, c_end = 0;
	if (k->pf_n && (!k->pf_c || !k->have ||
			!sent_after(k->xmit_us, k->xmit_order, k->end_seq, k->pf_c_us, k->pf_c_order, k->pf_c_end))) {
#ifdef GT_SLACK_CHECK
		{
			/* The full walk would find each of them settled, with
			 * the same sum, and would not stop among them. */
			uint32_t p2 = 0;
			bool sk2 = false;
			uint16_t l2 = UINT16_MAX;
			for (uint16_t j = 0; j < k->pf_n; j++) {
				const struct tcp_xmit *y = &k->x[j];
				bool after = k->have && sent_after(k->xmit_us, k->xmit_order, k->end_seq, y->at_us,
								   y->order, y->end);
				assert(seq_lt(y->start, k->dirty_end));
				if (y->flags & X_SACKED)
					sk2 = true;
				else if ((y->flags & (X_LOST | X_RETRANS)) == X_LOST)
					l2 = l2 == UINT16_MAX ? j : l2;
				else if (!after)
					p2 += y->end - y->start;
				else
					assert(!"a settled record waits or is lost");
			}
			assert(p2 == k->pf_pipe && sk2 == k->pf_sacked && (l2 != UINT16_MAX) == k->pf_pending &&
			       (!k->pf_pending || l2 == k->pf_lost));
		}
#endif
		i = k->pf_n;
		pipe = k->pf_pipe;
		sacked = k->pf_sacked;
		if (k->pf_pending) {
			*pending = true;
			lost = k->pf_lost;
		}
		cf = k->pf_c;
		c_us = k->pf_c_us;
		c_order = k->pf_c_order;
		c_end = k->pf_c_end;
	}
	for (; i < k->n; i++) {
		struct tcp_xmit *x = &k->x[i];
		/* From dirty_end on, the records were sent once, in order of
		 * sequence and so of time (s->now_us never goes back,
		 * stack.c; each burst a higher order): past the first one
		 * not sent before RACK.xmit_ts none is, and none is SACKed
		 * or lost. Linux's tcp_rack_detect_loss() stops so on its
		 * time-sorted list; walking them all was most of
		 * rack_run()'s 5.9% of `glasstcp sim --bytes 200000000
		 * --delay 1` (docs/sending.md). */
		if (!seq_lt(x->start, k->dirty_end) &&
		    (!k->have || !sent_after(k->xmit_us, k->xmit_order, k->end_seq, x->at_us, x->order, x->end))) {
#ifdef GT_SLACK_CHECK
			for (uint16_t j = i; j < k->n; j++)
				assert(!k->x[j].flags && (!k->have || !sent_after(k->xmit_us, k->xmit_order, k->end_seq,
										  k->x[j].at_us, k->x[j].order, k->x[j].end)));
#endif
			break;
		}
		if (x->flags & X_SACKED) {
			sacked = true;
		} else if ((x->flags & (X_LOST | X_RETRANS)) == X_LOST) {
			*pending = true; /* lost, not yet sent again */
			if (lost == k->n)
				lost = i;
		} else if (!k->have || !sent_after(k->xmit_us, k->xmit_order, k->end_seq, x->at_us, x->order, x->end)) {
			pipe += x->end - x->start;
			if (settled && (!cf || sent_after(c_us, c_order, c_end, x->at_us, x->order, x->end))) {
				cf = true;
				c_us = x->at_us;
				c_order = x->order;
				c_end = x->end;
			}
		} else {
			uint64_t due = x->at_us + k->rtt_us + reo;
			if (due <= s->now_us) {
				*pending = true;
				*marked = true;
				if (lost == k->n)
					lost = i;
				if (x->flags & X_RETRANS)
					s->st.TcpLostRetransmit++;
				x->flags = (uint8_t)((x->flags | X_LOST) & ~X_RETRANS);
				dirty(k, x);
			} else {
				if (settled) {
					settled = false;
					k->pf_n = i;
					k->pf_pipe = pipe;
					k->pf_sacked = sacked;
					k->pf_pending = lost < i;
					k->pf_lost = lost;
				}
				pipe += x->end - x->start;
				if (due - s->now_us > timeout)
					timeout = due - s->now_us;
				if (due < first_us)
					first_us = due;
			}
		}
	}
	if (settled) {
		k->pf_n = i;
		k->pf_pipe = pipe;
		k->pf_sacked = sacked;
		k->pf_pending = lost < i;
		k->pf_lost = lost;
	}
	k->pf_c = cf;
	k->pf_c_us = c_us;
	k->pf_c_order = c_order;
	k->pf_c_end = c_end;
	if (i < k->n)
		pipe += k->x[k->n - 1].end - k->x[i].start; /* past the break: no flags, all in flight */
	/* Every record seen, or none after the break is SACKed: X_SACKED is
	 * set only in tcp_rack_ack(). */
	k->sacked_any = sacked;
	/* What the next walk would find while nothing changes: the records
	 * marked now stay lost and unsent (pending), the others wait as
	 * they do, and the break comes where it came (dirty() moved
	 * dirty_end at most to the end of a record walked past). */
	k->lr_ok = true;
	k->lr_pending = *pending;
	k->lr_first_us = first_us;
	k->lr_last_us = s->now_us + timeout; /* each due is later than now */
	k->lr_reo_us = (uint32_t)reo;
	k->lr_pipe = pipe;
	k->lr_lost = lost;
	return timeout > UINT32_MAX ? UINT32_MAX : (uint32_t)timeout;
}

/* Would walk_loss() find what it found last time? Its answer depends on
 * the records, RACK.xmit_ts/end_seq/rtt and dirty_end (each change
 * clears lr_ok: changed()), and on the time and the reordering window
 * only through the records that wait: none of them is due yet, and each
 * waits as long as before, when now is short of the first deadline and
 * the window is the same (it follows SRTT, min_rtt and the recovery,
 * which change outside this file). Linux's tcp_rack_mark_lost() likewise
 * returns unless rack.advanced (set by tcp_rack_advance() for each
 * segment newly delivered); the time that passes is the reordering
 * timer's, armed for the last deadline (RFC 8985 6.3). */
static bool loss_unchanged(const gt_stack *s, const struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	if (!k->lr_ok)
		return false;
	if (k->lr_first_us == UINT64_MAX)
		return true; /* none waits: no deadline, no window read */
	return s->now_us < k->lr_first_us && reo_wnd(s, c) == k->lr_reo_us;
}

/* walk_loss(), unless it would find what it found last time: an ACK that
 * delivers nothing (a stale ACK of the peer's data, a duplicate that
 * SACKs nothing new) need not walk the log. */
static uint32_t detect_loss(gt_stack *s, struct tcp_conn *c, bool *pending, bool *marked)
{
	const struct tcp_rack *k = c->rack;
	if (!loss_unchanged(s, c))
		return walk_loss(s, c, pending, marked);
	*pending = k->lr_pending;
	*marked = false;
	uint64_t timeout = k->lr_first_us == UINT64_MAX ? 0 : k->lr_last_us - s->now_us;
#ifdef GT_SLACK_CHECK
	{
		/* The walk must agree, and mark nothing. */
		bool p2, m2;
		uint64_t lost = s->st.TcpLostRetransmit;
		uint32_t pipe = k->lr_pipe;
		uint16_t first_lost = k->lr_lost;
		uint32_t t2 = walk_loss(s, c, &p2, &m2);
		assert(!m2 && p2 == *pending && lost == s->st.TcpLostRetransmit &&
		       t2 == (timeout > UINT32_MAX ? UINT32_MAX : (uint32_t)timeout) &&
		       pipe == k->lr_pipe && first_lost == k->lr_lost);
	}
#endif
	return timeout > UINT32_MAX ? UINT32_MAX : (uint32_t)timeout;
}

/* cfg.rack_dsack_step_delivered: Linux's tcp_dsack_seen() only marks a
 * D-SACK (rack.dsack_seen); tcp_rack_update_reo_wnd(), from tcp_ack(),
 * takes the step at the next ACK that delivers (rs->prior_delivered
 * set), this one or a later one, and drops it where the newest segment
 * that ACK delivers went out before the last step was taken
 * (rs->prior_delivered before rack.last_delivered, tp->delivered at that
 * step: a transmission order below dsack_round here). RFC 8985's round
 * ends when SND.UNA passes SND.NXT at the D-SACK, which dropped a
 * D-SACK that came on an ACK delivering nothing while SND.UNA was below
 * it, where Linux 6.18 takes it at the next ACK that delivers a
 * retransmission sent after the first step: the next hole waits three
 * steps, 75 ms, where the profile waited 50 ms
 * (tests/pkt/linux/rack-reo-wnd-dsack-step-at-next-delivering-ack.pkt;
 * rack-reo-wnd-dsack-step-needs-newer-delivery.pkt: dropped, 50 ms). */
static void dsack_step_lx(const gt_stack *s, struct tcp_rack *k, bool dsack, bool deliv)
{
	if (dsack)
		k->dsack_pend = true;
	if (!deliv)
		return; /* !rs->prior_delivered: nothing moves */
	if (k->dsack_pend && k->dsack_on && (int32_t)(k->deliv_order - k->dsack_round) <= 0)
		k->dsack_pend = false; /* "a rtt has not passed since we adjusted" */
	if (k->dsack_pend) {
		k->dsack_pend = false;
		k->dsack_on = true;
		k->dsack_round = k->order;
		if (k->reo_mult < UINT8_MAX)
			k->reo_mult++;
		k->reo_persist = 16;
	} else if (s->cfg.rack_reo_reset_on_ack && !k->reo_persist) {
		k->reo_mult = 1; /* as dsack_round() below */
	}
}

/* RFC 8985 6.2 step 4's D-SACK rounds; deliv: this ACK delivered data
 * (Linux's rs->prior_delivered, set for a segment newly SACKed or
 * cumulatively acknowledged and not SACKed before). */
static void dsack_round(const gt_stack *s, struct tcp_conn *c, uint32_t una, bool dsack, bool deliv)
{
	struct tcp_rack *k = c->rack;
	if (s->cfg.rack_static_reo_wnd)
		return; /* tcp_rack_update_reo_wnd(): the window never moves */
	if (s->cfg.rack_dsack_step_delivered) {
		dsack_step_lx(s, k, dsack, deliv);
		return;
	}
	if (k->dsack_on && seq_ge(una, k->dsack_round))
		k->dsack_on = false;
	if (!k->dsack_on && dsack) {
		k->dsack_on = true;
		k->dsack_round = c->snd_max;
		if (k->reo_mult < UINT8_MAX)
			k->reo_mult++;
		k->reo_persist = 16;
	} else if (s->cfg.rack_reo_reset_on_ack && deliv && !k->reo_persist) {
		/* cfg.rack_reo_reset_on_ack: tcp_rack_update_reo_wnd(), from
		 * tcp_ack() before tcp_fastretrans_alert(), sets
		 * reo_wnd_steps back to 1 once reo_wnd_persist is 0, at an
		 * ACK that delivers: the ACK that ends the sixteenth recovery
		 * still finds persist 1, and its own loss detection, and the
		 * reordering timer it arms, wait two steps. */
		k->reo_mult = 1;
	}
}

/* A recovery or the loss state ends (RFC 8985 6.2 step 4: the window
 * goes back to one step after 16 recoveries without a D-SACK). Linux
 * counts them in tcp_try_undo_recovery(), reached as either ends
 * (tcp_fastretrans_alert(), tcp_process_loss()'s "recovered"), and only
 * where it does not undo: a recovery found needless does not count. */
void tcp_rack_recovery_done(const gt_stack *s, struct tcp_conn *c, bool undone)
{
	struct tcp_rack *k = sb(c);
	/* cfg.rack_reo_reset_on_ack: the window falls at the next ACK that
	 * delivers (dsack_round()), not here. Linux 6.18: the ACK that
	 * ends the sixteenth recovery and SACKs above a new hole leaves
	 * that hole 50 ms, two steps, where the profile waited 27 ms before
	 * (tests/pkt/linux/rack-reo-wnd-reset-at-next-delivering-ack.pkt). */
	if (k && !undone && k->reo_persist && --k->reo_persist == 0 && !s->cfg.rack_reo_reset_on_ack)
		k->reo_mult = 1;
}

/* Linux's tcp_try_undo_dsack(): a reduction the D-SACKs undid raises
 * reo_wnd_persist by one (at most TCP_RACK_RECOVERY_THRESH, 16), where
 * a D-SACK round sets it to 16 (dsack_round()). */
static void dsack_undo_persist(struct tcp_rack *k)
{
	if (k->reo_persist < 16)
		k->reo_persist++;
}

/* RFC 8985 7.4.2, as Linux's tcp_process_tlp_ack(). */
static void tlp_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a)
{
	struct tcp_rack *k = c->rack;
	if (!k->tlp_on || seq_lt(a->ack, k->tlp_end))
		return;
	if (!k->tlp_retrans) {
		k->tlp_on = false; /* a probe of new data, acknowledged */
	} else if (a->dsack && !k->dsack_dubious) {
		/* The original and the probe both arrived (FLAG_DSACKING_ACK,
		 * which tcp_dsack_seen() sets only where not dubious). */
		k->tlp_on = false;
	} else if (seq_gt(a->ack, k->tlp_end)) {
		/* Only one copy arrived: the probe repaired a loss. */
		k->tlp_on = false;
		s->st.TcpLossProbeRecovery++;
		if (!c->in_recovery) {
			c->cc->on_loss(c, s->now_us);
			if (c->cwnd > c->ssthresh)
				c->cwnd = c->ssthresh;
		}
	} else if (!a->advances && !a->sack_new) {
		k->tlp_on = false; /* a pure duplicate: both arrived */
	}
}

/* A record newly delivered, for the ACK's RTT sample: the earliest and the
 * latest time of those sent once (Linux's first_ackt and last_ackt, or
 * first_sackt and last_sackt), and whether one was sent twice (Karn: which
 * copy arrived is unknown). */
static void timed(const struct tcp_xmit *x, uint64_t *first_us, uint64_t *last_us, bool *again)
{
	if (x->flags & X_EVER) {
		*again = true;
		return;
	}
	if (x->at_us < *first_us)
		*first_us = x->at_us;
	if (*last_us == UINT64_MAX || x->at_us > *last_us)
		*last_us = x->at_us;
}

/* Linux's FLAG_ORIG_SACK_ACKED (tcp_clean_rtx_queue(), tcp_sacktag_one()):
 * a record never retransmitted delivered, its end not above high_seq
 * (recover). */
static void orig(struct tcp_conn *c, const struct tcp_xmit *x)
{
	if (!(x->flags & X_EVER) && seq_le(x->end, c->recover))
		c->rack->orig_now = true;
}

bool tcp_rack_orig_acked(const struct tcp_conn *c)
{
	return sb(c) && sb(c)->orig_now;
}

bool tcp_rack_rtt(const struct tcp_conn *c, uint32_t *rtt_us)
{
	if (!c->rack || c->rack->ack_rtt_us == UINT32_MAX)
		return false;
	*rtt_us = c->rack->ack_rtt_us;
	return true;
}

uint32_t tcp_rack_ca_rtt(const struct tcp_conn *c)
{
	return c->rack ? c->rack->ack_ca_rtt_us : UINT32_MAX;
}

/* Is [l, r), which starts in record i, SACKed already, record by record,
 * its edges record boundaries? Then splitting at them and marking would
 * change nothing: a duplicate ACK repeats its older blocks (RFC 2018 4),
 * and their three binary searches (find(), twice in split_at()) were a
 * fifth of tcp_rack_ack()'s cost in bench_ackpath's SACK case. */
static bool sacked_whole(const struct tcp_rack *k, uint16_t i, uint32_t l, uint32_t r)
{
	if (k->x[i].start != l)
		return false;
	for (; i < k->n && (k->x[i].flags & X_SACKED); i++)
		if (!seq_lt(k->x[i].end, r))
			return k->x[i].end == r;
	return false;
}

/* cfg.dsack_undo_sacktag: the segments Linux takes off undo_retrans for
 * this ACK's D-SACK [l, r) (not dubious; una the SND.UNA it leaves, the
 * log not yet moved up to it). tcp_check_dsack() counts the block's
 * segments ("dumb counting") only where it ends at or below the SND.UNA
 * before the ACK (prior_snd_una) and above undo_marker. Any other block
 * reaches tcp_sacktag_write_queue(): tcp_is_sackblock_valid() refuses one
 * that starts at or below the new SND.UNA and runs past it, or lies below
 * the marker (dsack_old(): TCPDSACKIgnoredOld), and tcp_sacktag_one()
 * takes off, segment by segment, only those ever retransmitted
 * (TCPCB_RETRANS) that end above the marker: a D-SACK of data sent once
 * takes nothing. Linux 6.18: the ACK of 2001:6001 that D-SACKs 3001:4001,
 * sent once, leaves the recovery's fast retransmit uncovered, ssthresh 6
 * (tests/pkt/linux/sack-recovery-dsack-of-data-sent-once-no-undo.pkt);
 * the profile took it off and undid before. */
static uint32_t dsack_lx_take(const struct tcp_conn *c, const struct tcp_rack_ack *a, uint32_t una)
{
	const struct tcp_rack *k = c->rack;
	uint32_t marker = k->undo_on ? k->undo_marker : k->loss_undo_marker;
	uint32_t l = a->dsack_left, r = a->dsack_right, mss = c->mss ? c->mss : 1u;
	if (!seq_gt(r, c->snd_una))
		return seq_gt(r, marker) ? dsack_segs(c, l, r) : 0;
	if (!seq_gt(l, una) && dsack_old(c, a, una))
		return 0;
	uint32_t segs = 0;
	for (uint16_t i = k->n ? find(k, seq_max(l, k->x[0].start)) : 0; i < k->n; i++) {
		const struct tcp_xmit *x = &k->x[i];
		if (!seq_lt(x->start, r))
			break;
		if (!(x->flags & (X_RETRANS | X_EVER)) || !seq_gt(x->end, marker))
			continue;
		uint32_t lo = seq_max(x->start, l), hi = seq_lt(x->end, r) ? x->end : r;
		if (!seq_lt(lo, hi))
			continue;
		/* Whole segments only (tcp_match_skb_to_sack()): a record
		 * the block covers whole counts its segments. */
		if (lo == x->start && hi == x->end)
			segs += (hi - lo + mss - 1) / mss;
		else
			segs += (hi - lo) / mss;
	}
	return segs;
}

/* Linux's tcp_highest_sack_seq(): the end of the highest SACKed record
 * (highest_sack is the segment after it: tcp_advance_highest_sack()),
 * una when none is SACKed (sacked_out 0). */
static uint32_t highest_sack(const struct tcp_conn *c, uint32_t una)
{
	const struct tcp_rack *k = c->rack;
	if (k->sacked_any)
		for (uint16_t i = k->n; i-- > 0;)
			if (k->x[i].flags & X_SACKED)
				return k->x[i].end;
	return una;
}

/* A record of len bytes in packets, as Linux's tcp_skb_pcount(): a short
 * one is a packet too. */
static uint32_t rec_segs(const struct tcp_conn *c, uint32_t len)
{
	uint32_t mss = c->mss ? c->mss : 1;
	return (len + mss - 1) / mss;
}

/* cfg.sack_reordering, Linux's tcp_check_sack_reordering(): low, the
 * lowest segment never sent twice that this ACK delivered, lies below
 * fack, so a later one overtook it. The threshold rises to the distance
 * in segments, rounded up, where it is more than the threshold now; the
 * event counts either way ("This exciting event is worth to be
 * remembered": reord_seen++, TCPSACKReorder) and opens RACK's window
 * (tcp_rack_reo_wnd() asks only whether reord_seen is 0: reord here). */
static void check_reordering_by(gt_stack *s, struct tcp_conn *c, uint32_t low, uint32_t fack, bool ts)
{
	struct tcp_rack *k = c->rack;
	uint32_t mss = c->mss;
	if (!seq_lt(low, fack))
		return;
	if (mss && fack - low > tcp_reordering(s, c) * mss) {
		uint32_t segs = (fack - low + mss - 1) / mss, max = s->cfg.max_reordering_segs;
		if (max && segs > max)
			segs = max;
		c->dupthresh = (uint8_t)(segs < UINT8_MAX ? segs : UINT8_MAX);
	}
	reordered_by(s, k, ts);
	changed(k);
}

static void check_reordering(gt_stack *s, struct tcp_conn *c, uint32_t low, uint32_t fack)
{
	check_reordering_by(s, c, low, fack, false);
}

/* cfg.sack_reordering: Linux's tcp_try_undo_partial(), once
 * tcp_packet_delayed() shows the late original filled the hole, calls
 * tcp_check_sack_reordering(sk, prior_snd_una, 1) before it asks whether
 * a retransmission is still out: the threshold rises to the distance
 * from the old SND.UNA (una0) to the highest SACKed sequence left, the
 * event counted as TCPTSReorder. Linux 6.18: SACK 1001:4001, the head
 * resent, then the ACK of 4001 echoing the original: reordering 4
 * (tests/pkt/linux/sack-undo-partial-ts-raises-reordering.pkt). */
void tcp_rack_ts_reordering(gt_stack *s, struct tcp_conn *c, uint32_t una0)
{
	if (s->cfg.sack_reordering && sb(c))
		check_reordering_by(s, c, una0, highest_sack(c, c->snd_una), true);
}

/* The first gone records, which the ACK of ack covers, leave the log;
 * returns the log, which may have moved. */
static struct tcp_rack *leave(struct tcp_conn *c, uint16_t gone, uint32_t ack)
{
	struct tcp_rack *k = c->rack;
	/* The log starts further on (x, off): shifting the rest down
	 * at each ACK was 1.9% of `glasstcp sim --bytes 200000000
	 * --delay 1`'s instructions (docs/sending.md). */
	k->x += gone;
	k->off = (uint16_t)(k->off + gone);
	k->n -= gone;
	if (seq_lt(k->dirty_end, ack))
		k->dirty_end = ack; /* stays within the window: no wrap */
	if (k->cap > XLOG_MIN && k->n < k->cap / 4) {
		/* The flight shrank: so does the log (hysteresis: it
		 * grew at full, it halves at a quarter). */
		compact(k);
		struct tcp_rack *g = realloc(k, sizeof(*k) + (k->cap / 2) * sizeof(k->xa[0]));
		if (g) {
			g->cap /= 2;
			g->x = g->xa;
			c->rack = k = g;
		}
	}
	return k;
}

/* cfg.rtt_exact_first: up to where an ACK of ack times what it covers.
 * Linux's tcp_clean_rtx_queue() stops at an skb the ACK ends inside
 * before it reads the skb's send time (first_ackt, last_ackt) or its
 * TCPCB_RETRANS (FLAG_RETRANS_DATA_ACKED) where the skb's pcount is 1,
 * or where tcp_tso_acked() finds no packet gone: tcp_trim_head() sets
 * the pcount again, ceil(rest / mss), and a part short of that is no
 * packet (a 2,000-byte skb at MSS 1,000 acknowledged to 500: 1,500
 * left, two packets, none gone; a 1,500-byte one: 1,000 left, one
 * gone, timed). Linux 6.18.44: a one-segment skb acknowledged in half
 * after 20 ms leaves min_rtt at the handshake's 100 ms
 * (tests/pkt/linux/rtt-partial-ack-inside-skb-no-sample.pkt, and with
 * SACK -sack-no-sample.pkt); the profile timed the part, 20 ms. The
 * skb holding ack starts at the last kept skb end below it that ends a
 * record, or at SND.UNA (the log not yet moved); its packets gone are
 * tcp_lx_acked_pkts() to ack less those to its start. Returns where the
 * untimed part starts: ack where all is timed, or where the skb ends
 * are not kept (tcp_lx_acked_pkts() UINT32_MAX).
 *
 * A FIN that rode on data is in that data's skb (tcp_send_fin() sets it
 * on the unsent tail: end_seq one past the data), so an ACK of the data
 * but not the FIN ends inside it even where the data's end is kept:
 * tcp_trim_head() leaves the FIN an skb of no bytes, one packet
 * (tcp_set_skb_tso_segs()), so of the skb's ceil(data / mss) packets one
 * fewer are gone, none for one segment and its FIN. Linux 6.18.44: 500
 * bytes and their FIN ACKed to the FIN after 20 ms leave min_rtt at
 * 100 ms (tests/pkt/linux/rtt-fin-on-data-ack-of-data-no-sample.pkt);
 * 1,500 bytes and their FIN ACKed to 1,001, then to the FIN, are timed
 * once (rtt-fin-on-data-two-packets-ack-of-data-no-sample.pkt). The
 * profile timed the data (tcp_lx_skb_ends_at()). */
static uint32_t timed_upto(const gt_stack *s, const struct tcp_conn *c, uint32_t ack)
{
	const struct tcp_rack *k = c->rack;
	bool fin_cut = tcp_fin_skb_cut(c, ack);
	if (!s->cfg.rtt_exact_first || !seq_gt(ack, c->snd_una) || ack == c->snd_max ||
	    (!fin_cut && tcp_lx_skb_ends_at(c, ack)))
		return ack;
	uint32_t all = tcp_lx_acked_pkts(s, c, ack);
	if (all == UINT32_MAX)
		return ack;
	if (fin_cut && all && tcp_lx_skb_ends_at(c, ack))
		all--; /* the FIN's skb keeps a packet */
	uint32_t from = c->snd_una;
	for (uint16_t i = 0; i < k->n && seq_lt(k->x[i].end, ack); i++)
		if (seq_gt(k->x[i].end, c->snd_una) && tcp_lx_skb_ends_at(c, k->x[i].end))
			from = k->x[i].end;
	uint32_t below = from == c->snd_una ? 0 : tcp_lx_acked_pkts(s, c, from);
	return below != UINT32_MAX && all == below ? from : ack;
}

/* tcp_rack_ack() where the log only times (no SACK, log_kept()): the
 * records the ACK covers leave it, timed as tcp_clean_rtx_queue() times
 * the skbs it frees (first_ackt, last_ackt; none if one of them was ever
 * retransmitted, FLAG_RETRANS_DATA_ACKED). Nothing is marked or counted. */
static void time_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a)
{
	struct tcp_rack *k = c->rack;
	k->ack_rtt_us = k->ack_ca_rtt_us = UINT32_MAX;
	if (!a->advances)
		return;
	uint64_t first = UINT64_MAX, last = UINT64_MAX;
	bool again = false;
	uint32_t upto = timed_upto(s, c, a->ack);
	(void)split_at(s, c, a->ack);
	k = c->rack;
	changed(k);
	k->pf_n = 0;
	uint16_t gone = 0;
	for (; gone < k->n && seq_le(k->x[gone].end, a->ack); gone++)
		if (seq_le(k->x[gone].end, upto))
			timed(&k->x[gone], &first, &last, &again);
	k = leave(c, gone, a->ack);
	if (k->n && seq_lt(k->x[0].start, a->ack)) {
		/* The log was full: a cut record acknowledged in part. */
		if (upto == a->ack)
			timed(&k->x[0], &first, &last, &again);
		k->x[0].start = a->ack;
	}
	if (first != UINT64_MAX && !again) {
		k->ack_rtt_us = tcp_elapsed_us(s, first);
		k->ack_ca_rtt_us = tcp_elapsed_us(s, last);
	}
}

void tcp_rack_ack(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a)
{
	struct tcp_rack *k = c->rack;
	if (!k)
		return;
	if (!c->sack_ok) {
		time_ack(s, c, a);
		return;
	}
	bool reord_before = k->reord;
	/* cfg.sack_reordering: Linux's prior_fack (tcp_ack(), before the
	 * ACK's SACK blocks are tagged); the lowest record never sent twice
	 * that the ACK covers cumulatively, not SACKed before
	 * (tcp_clean_rtx_queue()'s reord), and that it newly SACKs below the
	 * highest SACKed sequence (tcp_sacktag_one()'s state->reord), as far
	 * as the blocks, in order, have reached (sack_hi). */
	bool reo = s->cfg.sack_reordering;
	uint32_t prior_fack = reo ? highest_sack(c, c->snd_una) : 0, sack_hi = prior_fack;
	uint32_t cum_low = 0, sack_low = 0;
	bool cum_set = false, sack_set = false;
	k->delivered_now = k->delivered_pkts_now = 0;
	k->sacked_new_segs = k->sacked_gone_segs = k->grown_now = 0;
	k->deliv_seen = false;
	k->rtt_cum = false;
	k->ack_rtt_us = k->ack_ca_rtt_us = UINT32_MAX;
	k->orig_now = false;
	/* Linux's RTT samples (tcp_clean_rtx_queue(), tcp_sacktag_one()):
	 * the first segment this ACK covers that was never sent twice, unless
	 * it covers one that was; else the earliest newly SACKed one never
	 * sent twice. */
	uint64_t acked_first = UINT64_MAX, sacked_first = UINT64_MAX;
	uint64_t acked_last = UINT64_MAX, sacked_last = UINT64_MAX;
	bool acked_again = false;
	if (a->dsack) {
		s->st.TcpDSACKRecv++;
		k->dsack_take = s->cfg.dsack_undo_sacktag
					? dsack_lx_take(c, a, a->advances ? a->ack : c->snd_una)
					: dsack_segs(c, a->dsack_left, a->dsack_right);
	}
	if (a->advances) {
		/* Cumulatively acknowledged records leave the log, timed up
		 * to upto (timed_upto()). */
		uint32_t upto = timed_upto(s, c, a->ack);
		(void)split_at(s, c, a->ack);
		k = c->rack;
		changed(k);
		k->pf_n = 0; /* records leave: the indices move */
		uint16_t gone = 0;
		while (gone < k->n && seq_le(k->x[gone].end, a->ack)) {
			if (!(k->x[gone].flags & X_SACKED)) {
				if (reo && !cum_set && !(k->x[gone].flags & (X_RETRANS | X_EVER))) {
					cum_low = k->x[gone].start;
					cum_set = true;
				}
				delivered(s, c, &k->x[gone], a, true);
				k->delivered_now += k->x[gone].end - k->x[gone].start;
				k->delivered_pkts_now += rec_segs(c, k->x[gone].end - k->x[gone].start);
				if (seq_le(k->x[gone].end, upto))
					timed(&k->x[gone], &acked_first, &acked_last, &acked_again);
				orig(c, &k->x[gone]);
			} else {
				k->sacked_gone_segs += rec_segs(c, k->x[gone].end - k->x[gone].start);
			}
			gone++;
		}
		k = leave(c, gone, a->ack);
		if (k->n && seq_lt(k->x[0].start, a->ack)) {
			/* The log was full: a cut record delivered in part. */
			if (!(k->x[0].flags & X_SACKED)) {
				if (reo && !cum_set && !(k->x[0].flags & (X_RETRANS | X_EVER))) {
					cum_low = k->x[0].start;
					cum_set = true;
				}
				delivered(s, c, &k->x[0], a, true);
				k->delivered_now += a->ack - k->x[0].start;
				k->delivered_pkts_now += rec_segs(c, a->ack - k->x[0].start);
				if (upto == a->ack)
					timed(&k->x[0], &acked_first, &acked_last, &acked_again);
			}
			k->x[0].start = a->ack;
		}
	}
	/* The ACK's own SACK blocks mark the records, cut at their edges:
	 * the log is the scoreboard RACK reads. RFC 6675's list of 32 ranges
	 * (tcp_sack.c) forgets ranges when a burst of losses leaves more
	 * holes than that, and data SACKed but forgotten would be marked
	 * lost and sent again; the log has room for a record per hole. */
	/* In the order of their left edges, as Linux's
	 * tcp_sacktag_write_queue() sorts them before it tags: a receiver
	 * sends the most recent block first, and two blocks new in one ACK,
	 * the higher first, are no reordering (delivered()'s fack). */
	uint8_t ord[TCP_MAX_SACK], nord = 0;
	for (uint8_t b = a->dsack ? 1 : 0; b < a->nsack && nord < TCP_MAX_SACK; b++) {
		uint8_t j = nord++;
		for (; j > 0 && seq_lt(a->sack[b].left, a->sack[ord[j - 1]].left); j--)
			ord[j] = ord[j - 1];
		ord[j] = b;
	}
	for (uint8_t o = 0; o < nord && c->rack->n; o++) {
		uint8_t b = ord[o];
		uint32_t l = a->sack[b].left, r = a->sack[b].right;
		if (!seq_lt(l, r) || seq_gt(r, c->rack->x[c->rack->n - 1].end))
			continue; /* nonsense, or beyond what was sent */
		l = seq_max(l, c->rack->x[0].start);
		if (!seq_lt(l, r))
			continue;
		uint16_t i = find(c->rack, l);
		if (i >= c->rack->n || ((c->rack->x[i].flags & X_SACKED) && seq_ge(c->rack->x[i].end, r)))
			continue;
		if (sacked_whole(c->rack, i, l, r))
			continue;
		/* Cut at both edges, the records' indices carried from the
		 * search above where no merge moved them: three binary
		 * searches of the log an ACK fewer (bench/PROFILE.md). The
		 * record holding l is i, or the one after if l cut it. */
		bool moved;
		(void)split_in(s, c, l, i, &moved);
		k = c->rack;
		if (moved)
			i = find(k, l);
		else if (seq_le(k->x[i].end, l))
			i++;
		(void)split_in(s, c, r, find_from(k, r, i), &moved);
		k = c->rack;
		if (moved)
			i = find(k, l);
#ifdef GT_SLACK_CHECK
		assert(i == find(k, l));
#endif
		for (; i < k->n && seq_le(k->x[i].end, r); i++) {
			if ((k->x[i].flags & X_SACKED) || seq_lt(k->x[i].start, l))
				continue;
			touched(k, i);
			if (reo && !(k->x[i].flags & (X_RETRANS | X_EVER)) && seq_lt(k->x[i].start, sack_hi) &&
			    (!sack_set || seq_lt(k->x[i].start, sack_low))) {
				sack_low = k->x[i].start;
				sack_set = true;
			}
			if (reo && seq_gt(k->x[i].end, sack_hi))
				sack_hi = k->x[i].end;
			k->x[i].flags |= X_SACKED;
			changed(k);
			dirty(k, &k->x[i]);
			k->sacked_any = true;
			delivered(s, c, &k->x[i], a, false);
			k->delivered_now += k->x[i].end - k->x[i].start;
			k->sacked_new_segs += rec_segs(c, k->x[i].end - k->x[i].start);
			k->delivered_pkts_now += rec_segs(c, k->x[i].end - k->x[i].start);
			bool again = false;
			timed(&k->x[i], &sacked_first, &sacked_last, &again);
			orig(c, &k->x[i]);
		}
	}
	/* tcp_sacktag_write_queue() checks first (not in the loss state
	 * without an undo_marker), then tcp_clean_rtx_queue() (a hole filled
	 * below prior_fack), against the highest SACKed sequence left after
	 * the ACK, or the new SND.UNA: 10 segments, not 3, once the hole
	 * below a SACK at 10001 is filled from 1 (google/packetdrill
	 * cubic-rack-reo-timeout-retrans-failed-incoming-data.pkt,
	 * tests/pkt/linux/sack-reorder-*.pkt). */
	if (sack_set && (!c->loss_pipe || k->loss_undo_on))
		check_reordering(s, c, sack_low, sack_hi);
	if (cum_set && seq_lt(cum_low, prior_fack))
		check_reordering(s, c, cum_low, highest_sack(c, a->advances ? a->ack : c->snd_una));
	k = c->rack;
	/* tcp_clean_rtx_queue(): ca_rtt_us from last_ackt, then from
	 * last_sackt where the ACK SACKed anything sent once, even beside
	 * a seq_rtt_us of its own. */
	if (acked_first != UINT64_MAX && !acked_again) {
		k->ack_rtt_us = tcp_elapsed_us(s, acked_first);
		k->ack_ca_rtt_us = tcp_elapsed_us(s, acked_last);
	} else if (sacked_first != UINT64_MAX) {
		k->ack_rtt_us = tcp_elapsed_us(s, sacked_first);
	}
	if (sacked_first != UINT64_MAX)
		k->ack_ca_rtt_us = tcp_elapsed_us(s, sacked_last);
	k->acked_now = a->advances;
	/* Linux's tcp_clean_rtx_queue(): SND.UNA moved onto a segment the
	 * peer SACKed (FLAG_SACK_RENEGING), so the receiver no longer holds
	 * what it reported (RFC 2018 8). */
	k->reneg = a->advances && k->n && (k->x[0].flags & X_SACKED);
	/* Does this D-SACK widen the reordering window (RFC 8985 6.2 step
	 * 4)? As Linux's tcp_dsack_seen() decides: not one for more copies
	 * than were ever retransmitted (the network duplicated them), nor
	 * the answer to a tail loss probe (timer-driven, not RACK's doing),
	 * nor one before any reordering was seen: the D-SACK of a recovery's
	 * needless retransmission then raises no step
	 * (tests/pkt/linux/rack-reo-wnd-grows-after-dsack.pkt and
	 * rack-reo-wnd-dsack-before-reordering.pkt). */
	bool widen = false;
	bool deliv = k->delivered_now != 0; /* before a D-SACK adds to it */
	k->dsack_dubious = false;
	if (a->dsack) {
		changed(k);
		uint32_t len = a->dsack_right - a->dsack_left, mss = c->mss ? c->mss : 1u;
		uint32_t dups = dsack_segs(c, a->dsack_left, a->dsack_right);
		k->dsack_dups += dups;
		/* Linux's tcp_check_dsack(): a D-SACK for which tcp_dsack_seen()
		 * counts more duplicates, all told, than segments ever
		 * retransmitted (dsack_dups > total_retrans) is "dubious": the
		 * network duplicated the data. It is skipped
		 * (TCPDSACKIgnoredDubious; TCPDSACKRecv still counts it): it
		 * delivers nothing, takes nothing off undo_retrans, raises no
		 * reordering step and, as its first block is then no D-SACK
		 * for tcp_sacktag_one(), is no reordering either. Linux 6.18:
		 * a network duplicate D-SACKed before a fast recovery leaves
		 * the recovery's fast retransmit immediate, and the D-SACK of
		 * that retransmission undoes nothing (cwnd 6, TCPDSACKUndo 0,
		 * TCPDSACKIgnoredDubious 2:
		 * tests/pkt/linux/sack-recovery-dsack-dubious-no-undo.pkt).
		 * Before, the profile took the duplicate as reordering (the
		 * fast retransmit 27 ms late) and undid the recovery (cwnd 11). */
		if (!dups || k->dsack_dups > c->cnt.retrans_segs) {
			k->dsack_dubious = true;
			s->st.TcpDSACKIgnoredDubious++;
		}
		/* Linux's tcp_dsack_seen(): "A spurious retransmission is
		 * delivered" (state->sack_delivered += dup_segs), for PRR's
		 * newly_acked_sacked and cwnd growth alike, unless dubious
		 * (more copies than ever retransmitted). Linux 6.18: the ACK
		 * of the head that D-SACKs its retransmission after a timeout
		 * delivers 2, PRR's cwnd 2
		 * (tests/pkt/linux/rto-dsack-of-head-undoes-loss.pkt). */
		if (!k->dsack_dubious) {
			k->delivered_now += dups * mss;
			k->sacked_new_segs += dups;
			k->delivered_pkts_now += dups;
		}
		bool tlp = k->tlp_on && k->tlp_retrans && a->dsack_right == k->tlp_end && len <= mss;
		widen = !k->dsack_dubious && reord_before && !tlp;
		/* A copy arrived twice: the original was only late, so a
		 * segment sent after it had overtaken it (Linux's
		 * tcp_sacktag_one() records this as reordering too), or the
		 * network duplicated it; either way, not loss. */
		if (!k->reord && !k->dsack_dubious)
			reordered(s, k);
		/* Linux's tcp_is_sackblock_valid(): a D-SACK that starts at or
		 * below SND.UNA with no undo_marker (no recovery or timeout
		 * since the last undo or tcp_enter_cwr()) is dropped as
		 * TCPDSACKIgnoredNoUndo (Linux 6.18, nstat:
		 * tests/pkt/linux/ecn-cwr-after-recovery-dsack-no-undo.pkt). */
		uint32_t una = a->advances ? a->ack : c->snd_una;
		if (!k->dsack_dubious && !seq_gt(a->dsack_left, una) && !k->undo_on && !k->loss_undo_on)
			s->st.TcpDSACKIgnoredNoUndo++;
		else if (!k->dsack_dubious && !seq_gt(a->dsack_left, una) && dsack_old(c, a, una))
			s->st.TcpDSACKIgnoredOld++;
		/* A dubious D-SACK is no D-SACK for tcp_sacktag_write_queue():
		 * its block, at or below SND.UNA, fails
		 * tcp_is_sackblock_valid() as a SACK block and is counted
		 * TCPSACKDiscard, unless the ACK is older than SND.UNA ("Don't
		 * count olds caused by ACK reordering"). */
		if (k->dsack_dubious && !seq_gt(a->dsack_left, una) &&
		    (a->ack == una || seq_gt(a->dsack_right, una)))
			s->st.TcpSACKDiscard++;
		if (!k->dsack_dubious)
			dsack_undo(s, c, a);
	}
	/* Linux's tcp_count_delivered(): tcp_clean_rtx_queue()'s packets
	 * acknowledged and not SACKed before, and tcp_ack()'s
	 * sack_state.sack_delivered (newly SACKed, D-SACKed duplicates). */
	k->delivered_pkts += k->delivered_pkts_now;
	if (a->ece)
		k->delivered_ce_pkts += k->delivered_pkts_now;
	tlp_ack(s, c, a);
	dsack_round(s, c, a->advances ? a->ack : c->snd_una, widen, deliv);
}

/* Linux's retrans_out that no record stands for (leak_segs), in bytes. */
static uint32_t leak_bytes(const struct tcp_conn *c)
{
	return c->rack->leak_segs * c->mss;
}

/* Bytes in flight by the marks (Linux's tcp_packets_in_flight()), but
 * leak_bytes(). */
static uint32_t rack_pipe(const struct tcp_conn *c)
{
	/* Linux's packets_out - (sacked_out + lost_out) + retrans_out. */
	const struct tcp_rack *k = c->rack;
	uint32_t pipe = 0;
	for (uint16_t i = 0; i < k->n; i++) {
		uint8_t f = k->x[i].flags;
		if (!(f & X_SACKED) && (!(f & X_LOST) || (f & X_RETRANS)))
			pipe += k->x[i].end - k->x[i].start;
	}
	return pipe;
}

/* cfg.loss_gbn_marks: is the loss state's go-back-N run by the marks? */
bool tcp_rack_flight_sacked(const struct tcp_conn *c)
{
	return sb(c) && sb(c)->flight_sacked;
}

bool tcp_rack_loss_marks(const struct tcp_conn *c)
{
	return c->loss_pipe && c->sack_ok && c->rack && c->rack->gbn_marks;
}

/* Linux's tcp_packets_in_flight() by the marks, in segments: each record
 * in flight as whole segments (a short one is a packet too), and the
 * retrans_out no record stands for (leak_segs). */
static uint32_t pipe_segs(const struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	uint32_t mss = c->mss ? c->mss : 1, n = k->leak_segs;
	for (uint16_t i = 0; i < k->n; i++) {
		uint8_t f = k->x[i].flags;
		if (!(f & X_SACKED) && (!(f & X_LOST) || (f & X_RETRANS)))
			n += (k->x[i].end - k->x[i].start + mss - 1) / mss;
	}
	return n;
}

/* tcp_flight() in the loss state under tcp_rack_loss_marks(), in bytes. */
uint32_t tcp_rack_loss_flight(const struct tcp_conn *c)
{
	return pipe_segs(c) * (c->mss ? c->mss : 1);
}

/* cfg.loss_gbn_marks: Linux's tcp_xmit_retransmit_queue() resends a
 * segment only when it is LOST and neither SACKED_ACKED nor
 * SACKED_RETRANS: one the timeout left unmarked (recent, not the head)
 * and one that kept its retransmitted mark are still in flight and are
 * passed over. True, with *end the record's end, where seq's record is
 * such a one. */
bool tcp_rack_gbn_skip(const struct tcp_conn *c, uint32_t seq, uint32_t *end)
{
	const struct tcp_rack *k = c->rack;
	if (!tcp_rack_loss_marks(c))
		return false;
	uint16_t i = find(k, seq);
	if (i >= k->n || (k->x[i].flags & (X_LOST | X_RETRANS | X_SACKED)) == X_LOST ||
	    (k->x[i].flags & X_SACKED))
		return false;
	*end = k->x[i].end;
	return true;
}

/* The first lost byte not yet sent again: [*seq, *seq + *len), within one
 * MSS and one record, SACKed bytes skipped. */
static bool next_lost(const struct tcp_conn *c, uint16_t *from, uint32_t *seq, uint32_t *len)
{
	const struct tcp_rack *k = c->rack;
	for (uint16_t i = *from; i < k->n; i++) {
		*from = i;
		const struct tcp_xmit *x = &k->x[i];
		if ((x->flags & (X_LOST | X_RETRANS | X_SACKED)) != X_LOST)
			continue;
		uint32_t a = x->start, e;
		while (seq_lt(a, x->end) && tcp_sacked(c, a, &e))
			a = e;
		if (!seq_lt(a, x->end))
			continue;
		*seq = a;
		*len = x->end - a; /* the lost run; tcp_retransmit_lost() cuts it */
		return true;
	}
	return false;
}

static void recovery_send(gt_stack *s, struct tcp_conn *c, bool entering, uint32_t pipe,
			  bool rexmit, uint16_t from)
{
	/* RFC 6675 5 (C) with RACK's marks as IsLost(): lost segments
	 * first, then new data, while cwnd - pipe >= 1 SMSS; on entering
	 * recovery the first lost segment goes whatever pipe says (RFC 6675
	 * 5 step 4.3; Linux's PRR sends at least the fast retransmit).
	 * pipe comes from the caller's one scan and is kept up to date by
	 * what goes out, and the search for lost records is one pass (a
	 * retransmission only splits the record it takes from, where the
	 * next search starts): O(records) per ACK, not per segment sent. */
	bool lost_left = rexmit;
	for (int guard = 0; guard < 1024 && !c->dead; guard++) {
		if (pipe + c->mss > c->cwnd && !(entering && guard == 0))
			return;
		uint32_t seq, len;
		if (lost_left && next_lost(c, &from, &seq, &len)) {
			uint32_t hi = c->rexmit_nxt;
			len = tcp_retransmit_lost(s, c, seq, len, c->cwnd > pipe ? c->cwnd - pipe : 0);
			c->rexmit_nxt = hi;
			/* Refused by the device (the Linux profile): Linux's
			 * tcp_xmit_retransmit_queue() "if (tcp_retransmit_skb(sk,
			 * skb, segs)) break;", nothing counted in prr_out or
			 * retrans_out; the next ACK tries again
			 * (tests/pkt/linux/qdisc-full-fast-retransmit-refused-sack.pkt). */
			if (stack_tx_blocked(s))
				return;
			pipe += c->rack && c->rack->short_pkt ? rec_segs(c, len) * c->mss : len;
			if (c->rack && c->rack->undo_on)
				c->rack->undo_retrans += c->mss ? (len + c->mss - 1) / c->mss : 1;
			if (c->rack && c->rack->undo_on && !c->rack->undo_ts_on && c->ts_ok) {
				/* Linux's retrans_stamp: the first one's TSval. */
				c->rack->undo_ts = c->rexmit_tsval;
				c->rack->undo_ts_on = true;
			}
			if (c->rack) {
				c->rack->prr_out += len;
				c->rack->prr_out_pkts += rec_segs(c, len);
			}
			continue;
		}
		lost_left = false;
		uint32_t before = c->snd_max;
		if (s->cfg.psh_linux && c->mss) {
			/* All the new data cwnd lets out now, in transmit
			 * units as tcp_write_xmit() sends them. */
			uint32_t room = c->cwnd > pipe ? c->cwnd - pipe : 0;
			(void)tcp_lx_send_new(s, c, room / c->mss ? room / c->mss : 1);
		} else {
			tcp_output_one(s, c);
		}
		if (c->snd_max == before)
			return;
		uint32_t sent = c->snd_max - before;
		pipe += c->rack && c->rack->short_pkt ? rec_segs(c, sent) * c->mss : sent;
		if (c->rack) {
			c->rack->prr_out += sent;
			c->rack->prr_out_pkts += rec_segs(c, sent);
		}
	}
}

/* The start of a reduction, a recovery's or CWR's, as Linux's
 * tcp_init_cwnd_reduction(): prr_delivered and prr_out from 0, and
 * "tp->prior_cwnd = tcp_snd_cwnd(tp)", which tcp_cwnd_reduction() divides
 * by. RFC 6937 3 divides by RecoverFS, the flight at the start (snd_max -
 * snd_una); Linux 6.18 takes cwnd, before this ACK grows it (rack_run()
 * takes that growth back). They differ when more or less than cwnd is
 * out: twelve packets of cwnd 10 after Disorder's SACKs let two more go
 * (tests/pkt/linux/sack-recovery-prr-prior-cwnd-not-flight.pkt: the
 * third SACK's cwnd 9, where twelve gave 8), sixteen of cwnd 20 from an
 * application that wrote no more
 * (tests/pkt/linux/sack-recovery-prr-prior-cwnd-app-limited.pkt: cwnd
 * 13, where sixteen gave 14). */
static void prr_init(struct tcp_conn *c)
{
	struct tcp_rack *k = c->rack;
	k->prr_delivered = k->prr_out = 0;
	k->prr_delivered_pkts = k->prr_out_pkts = 0;
	k->prior_cwnd = c->cwnd;
	k->prior_cwnd_pkts = c->mss ? c->cwnd / c->mss : 0;
}

/* RFC 6937 3 with the slow-start reduction bound (PRR-SSRB, Linux's
 * choice): cwnd for this ACK, so that the reduction to ssthresh spreads
 * over the round trip, sending in proportion to what is delivered, rather
 * than stopping until pipe falls below ssthresh. */
static void prr_cwnd(struct tcp_conn *c, bool entering, bool marked, uint32_t pipe, bool timer)
{
	struct tcp_rack *k = c->rack;
	if (!k->prr_on || !c->in_recovery)
		return;
	/* What this ACK delivered counts once: a reordering timer that runs
	 * this again later delivered nothing. */
	uint32_t delivered = k->delivered_now, delivered_pkts = k->delivered_pkts_now;
	k->delivered_now = k->delivered_pkts_now = 0;
	/* A recovery the reordering timer starts: tcp_rack_reo_timeout()
	 * calls tcp_cwnd_reduction(sk, 1, newly_lost, 0), one packet
	 * delivered and no flag (SND.UNA did not move now), whatever the last
	 * ACK delivered. With that ACK's six taken again, ssthresh 8 and
	 * nothing in flight, the profile resent four lost segments at once
	 * where Linux 6.18 resends one, cwnd 1
	 * (tests/pkt/linux/rack-reo-timer-recovery-prr-one-delivered.pkt). */
	if (timer) {
		delivered = c->mss ? c->mss : 1;
		delivered_pkts = 1;
	}
	/* Linux's tcp_cwnd_reduction() returns at once for an ACK that
	 * delivered nothing (newly_acked_sacked <= 0: a window update, a
	 * duplicate with no new SACK), cwnd as it was. Before, sndcnt came
	 * out 0 there once something had gone out in the recovery, cwnd
	 * the bytes in flight, 0 with everything in flight marked lost
	 * (swarm seed 89506083, the invariant checker's cwnd > 0). */
	if (!delivered && !entering)
		return;
	k->prr_delivered += delivered;
	k->prr_delivered_pkts += delivered_pkts;
	/* In segments, as Linux counts (packets delivered and sent): in
	 * bytes, 3 of 10 segments delivered at ssthresh 5 would allow 1.5
	 * segments, which sends one, where Linux sends ceil(1.5) = 2. */
	uint64_t mss = c->mss ? c->mss : 1;
	int64_t del = (int64_t)((k->prr_delivered + mss - 1) / mss);
	int64_t out = (int64_t)((k->prr_out + mss - 1) / mss);
	int64_t now = (int64_t)((delivered + mss - 1) / mss);
	int64_t ss = (int64_t)(c->ssthresh / mss), pipe_segs = (int64_t)((pipe + mss - 1) / mss);
	int64_t prior = (int64_t)(k->prior_cwnd / mss);
	if (k->short_pkt) {
		/* Linux's packets: pipe is the caller's, in packets already
		 * (pipe_segs()). */
		del = (int64_t)k->prr_delivered_pkts;
		out = (int64_t)k->prr_out_pkts;
		now = (int64_t)delivered_pkts;
		prior = (int64_t)k->prior_cwnd_pkts;
	}
	int64_t sndcnt;
	if (pipe_segs > ss) {
		/* prior_cwnd the divisor, not RFC 6937's RecoverFS (the
		 * flight at entry): see prr_init(). */
		sndcnt = (del * ss + (prior ? prior : 1) - 1) / (prior ? prior : 1) - out;
	} else {
		/* Linux's tcp_cwnd_reduction() adds the slow-start bound's
		 * extra segment only for an ACK that moved SND.UNA and marked
		 * nothing lost (FLAG_SND_UNA_ADVANCED && !newly_lost): the
		 * SACK that starts a recovery lets out the fast retransmit
		 * alone (tests/pkt/linux/sack-recovery-entry-sends-one.pkt). */
		int64_t limit = del - out > now ? del - out : now;
		if (k->acked_now && !marked && !timer)
			limit++;
		sndcnt = ss - pipe_segs < limit ? ss - pipe_segs : limit;
	}
	if (sndcnt < 0)
		sndcnt = 0;
	/* The fast retransmit goes whatever the arithmetic says. */
	if (entering && sndcnt < 1)
		sndcnt = 1;
	c->cwnd = pipe + (uint32_t)sndcnt * c->mss;
}


/* Linux's CWR state (cfg.rack with cfg.prr, the Linux profile): an ECE
 * outside a recovery enters it (tcp_enter_cwr(): tcp_init_cwnd_reduction()
 * takes ssthresh from the algorithm, keeps cwnd as prior_cwnd, and zeroes
 * prr_delivered and prr_out; high_seq is SND.NXT). False where this
 * connection has no RACK state or runs a recovery: the caller reduces as
 * before. */
bool tcp_rack_cwr_enter(const gt_stack *s, struct tcp_conn *c)
{
	struct tcp_rack *k = c->rack;
	if (!k || !rack_on(s, c) || !s->cfg.prr || c->in_recovery)
		return false;
	if (!k->cwr_on) {
		k->cwr_on = true;
		/* tcp_enter_cwr(): undo_marker = 0, a timeout's and an
		 * ended recovery's alike: a later D-SACK undoes nothing
		 * (TCPDSACKIgnoredNoUndo on Linux 6.18, cwnd and ssthresh
		 * stay 3: tests/pkt/linux/ecn-cwr-after-recovery-dsack-no-undo.pkt;
		 * before, the profile restored ssthresh 2147483647). */
		k->loss_undo_on = false;
		k->undo_on = false;
		prr_init(c);
	}
	k->cwr_high = c->snd_max;
	return true;
}

/* Without SACK the state is the connection's own (ecn_reno_cwr). */
bool tcp_rack_in_cwr(const struct tcp_conn *c)
{
	return ((c->rack && c->rack->cwr_on) || c->ecn_reno_cwr) && !c->in_recovery;
}

/* CWR as a recovery begins on this ACK: Linux's tcp_fastretrans_alert()
 * first ends CWR once SND.UNA is past high_seq, and the recovery then
 * begins from the open state; cwr_step() ends it only after the ACK. */
bool tcp_rack_cwr_holds(const struct tcp_conn *c)
{
	return tcp_rack_in_cwr(c) && seq_le(c->snd_una, tcp_rack_cwr_high(c));
}

/* tcp_end_cwnd_reduction() for an ECE above high_seq, before the ACK is
 * taken (tcp_ecn_echo()): the state ends, cwnd ssthresh. */
void tcp_rack_cwr_end(struct tcp_conn *c)
{
	if (c->rack)
		c->rack->cwr_on = false;
	c->ecn_reno_cwr = false;
	c->cwnd = c->ssthresh;
}

uint32_t tcp_rack_cwr_high(const struct tcp_conn *c)
{
	return c->rack && c->rack->cwr_on ? c->rack->cwr_high : c->ecn_recover;
}

/* Linux's tcp_any_retrans_done(): a retransmission in flight
 * (retrans_out), or the head ever retransmitted (TCPCB_EVER_RETRANS). */
static bool any_retrans_done(const struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	return tcp_rack_retrans_out(c) || (k->n && (k->x[0].flags & X_EVER));
}

/* Linux's icsk_ca_state as tcp_get_info() reports it: Recovery from the
 * fast retransmit until SND.UNA reaches high_seq (tcp_enter_recovery(),
 * tcp_try_undo_recovery()); Loss from an RTO until SND.UNA reaches the
 * SND.MAX it saw (tcp_enter_loss(), tcp_process_loss()), without SACK
 * until it passes it; CWR while an
 * ECE's reduction runs (tcp_enter_cwr()); Disorder while something is
 * SACKed or marked lost (tcp_try_to_open(): tcp_left_out()); else Open.
 * Linux also stays in Disorder while a retransmission is out
 * (tcp_any_retrans_done()), but sets the state only on an ACK
 * (tcp_fastretrans_alert()): a tail loss probe leaves it Open. That
 * half is modelled only after an undo of the loss state (loss_undone:
 * tcp_try_undo_loss(), then tcp_try_to_open() on the same ACK;
 * tests/pkt/linux/rto-ts-undo-disorder-while-retransmissions-out.pkt);
 * elsewhere a retransmission alone reads Open here. */
uint8_t tcp_rack_ca_state(const struct tcp_conn *c)
{
	if (c->in_recovery)
		return GT_TCP_CA_RECOVERY;
	/* Without SACK Linux keeps Loss while SND.UNA sits at high_seq
	 * (tcp_try_undo_recovery(): tcp_is_non_sack_preventing_reopen()):
	 * reno_hold. */
	const struct tcp_rack *k = sb(c);
	/* An undone loss state is over (Linux's tcp_try_undo_loss()), though
	 * recover stays where the timeout put it. */
	bool undone = k && k->loss_undone;
	if ((seq_lt(c->snd_una, c->recover) && !undone) || (c->reno_hold && c->snd_una == c->recover))
		return GT_TCP_CA_LOSS;
	if (tcp_rack_in_cwr(c))
		return GT_TCP_CA_CWR;
	/* Without SACK each duplicate ACK counts as a SACKed segment
	 * (tcp_add_reno_sack()). */
	if (tcp_sack_bytes(c) || (!c->sack_ok && c->dupacks))
		return GT_TCP_CA_DISORDER;
	for (uint16_t i = 0; k && i < k->n; i++)
		if ((k->x[i].flags & (X_LOST | X_SACKED)) == X_LOST) /* lost_out */
			return GT_TCP_CA_DISORDER;
	if (undone && !k->undone_open && any_retrans_done(c))
		return GT_TCP_CA_DISORDER;
	return GT_TCP_CA_OPEN;
}

/* Each ACK in CWR (tcp_fastretrans_alert(), then tcp_cong_control()):
 * the state ends once SND.UNA is past high_seq ("something *above*
 * high_seq is ACKed"), cwnd then ssthresh (tcp_end_cwnd_reduction());
 * until then cwnd is what is in flight plus PRR's sndcnt
 * (tcp_cwnd_reduction(), in packets, prior_cwnd the divisor), and an ACK
 * that delivered nothing leaves it. */
static void cwr_step(struct tcp_conn *c, bool marked)
{
	struct tcp_rack *k = c->rack;
	if (seq_gt(c->snd_una, k->cwr_high)) {
		k->cwr_on = false;
		c->cwnd = c->ssthresh;
		return;
	}
	uint64_t mss = c->mss ? c->mss : 1;
	uint32_t delivered = k->delivered_now, delivered_pkts = k->delivered_pkts_now;
	k->delivered_now = k->delivered_pkts_now = 0;
	if (!delivered)
		return;
	k->prr_delivered += delivered;
	k->prr_delivered_pkts += delivered_pkts;
	int64_t now = (int64_t)((delivered + mss - 1) / mss);
	int64_t del = (int64_t)((k->prr_delivered + mss - 1) / mss);
	int64_t out = (int64_t)((k->prr_out + mss - 1) / mss);
	int64_t pipe = (int64_t)((rack_pipe(c) + mss - 1) / mss) + c->rack->leak_segs;
	int64_t ss = (int64_t)(c->ssthresh / mss), prior = (int64_t)(k->prior_cwnd / mss);
	if (k->short_pkt) {
		/* cfg.flight_short_pkt: Linux's packets, a short record one
		 * (tests/pkt/linux/ecn-cwr-prr-short-segments-packets.pkt). */
		now = (int64_t)delivered_pkts;
		del = (int64_t)k->prr_delivered_pkts;
		out = (int64_t)k->prr_out_pkts;
		pipe = (int64_t)pipe_segs(c);
		prior = (int64_t)k->prior_cwnd_pkts;
	}
	int64_t delta = ss - pipe, sndcnt;
	if (delta < 0) {
		sndcnt = (ss * del + (prior ? prior : 1) - 1) / (prior ? prior : 1) - out;
	} else {
		sndcnt = del - out > now ? del - out : now;
		if (k->acked_now && !marked)
			sndcnt++;
		sndcnt = sndcnt < delta ? sndcnt : delta;
	}
	if (sndcnt < (out ? 0 : 1))
		sndcnt = out ? 0 : 1;
	c->cwnd = (uint32_t)((pipe + sndcnt) * (int64_t)mss);
}

static void enter_recovery(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_rack *k = c->rack;
	bool after_rto = seq_lt(c->snd_una, c->recover);
	k->undo_on = !after_rto; /* an RTO's reduction has F-RTO for undo */
	/* tcp_enter_recovery(): prior_ssthresh is tcp_current_ssthresh(),
	 * or 0 where a CWR reduction runs (tcp_enter_cwr() zeroed it, for an
	 * ECE on this very ACK too: the profile enters CWR first), and
	 * tcp_undo_cwnd_reduction() then restores neither cwnd nor ssthresh
	 * (tests/pkt/linux/ecn-ece-recovery-undo-restores-nothing.pkt). */
	bool none = s->cfg.prior_ssthresh_current && tcp_rack_cwr_holds(c);
	k->undo_cwnd = none ? 0 : c->cwnd;
	k->undo_ssthresh = none ? 0 : tcp_current_ssthresh(s, c);
	k->undo_marker = c->snd_una;
	/* Linux's tcp_init_undo(): undo_retrans starts from the
	 * retransmissions still in flight, retrans_out, plus one for a tail
	 * loss probe that resent data and is not yet answered (tlp_high_seq
	 * and tlp_retrans; the probe itself goes by __tcp_retransmit_skb(),
	 * outside retrans_out), else -1, which counts as none: the D-SACK of
	 * the probe's copy is then needed for an undo too. retrans_out is
	 * otherwise 0 here: a recovery ends only once SND.UNA passes every
	 * retransmission below recover, and one after a timeout has no undo
	 * of its own (undo_on). Linux 6.18: a recovery begun while a probe
	 * is out, the D-SACK of the fast retransmit undoes nothing (cwnd 5),
	 * that of the probe then does (cwnd 10, TCPDSACKUndo 1:
	 * tests/pkt/linux/tlp-then-recovery-dsack-undo-needs-both.pkt).
	 * Before, the profile started at 0 and undid on the first. */
	k->undo_retrans = k->tlp_on && k->tlp_retrans ? 1u : 0u;
	k->undo_ts_on = false;
	k->undo_due = false;
	k->loss_undo_on = false; /* one undo_marker: tcp_init_undo() */
	k->prr_on = !after_rto && s->cfg.prr;
	/* From CWR, tcp_enter_recovery() does not call
	 * tcp_init_cwnd_reduction(): PRR goes on with the CWR's
	 * prr_delivered, prr_out and prior_cwnd (and its high_seq and
	 * ssthresh: recovery_start()). */
	if (!(s->cfg.loss_pipe_linux && tcp_rack_cwr_holds(c)))
		prr_init(c);
	/* The recovery's reduction takes over from a CWR one, cleared after
	 * the entry, which reads it (tcp_enter_recovery(): prior_ssthresh). */
	tcp_rack_enter_recovery(s, c);
	/* It may send (an MTU probe's loss is resent at once: pmtu_resend()),
	 * and what it sends may grow the log: c->rack, not k, from here. */
	k = c->rack;
	if (!k)
		return;
	k->cwr_on = false;
	k->tlp_on = false; /* the recovery's reduction covers it */
}

/* cfg.loss_dsack_undo once a timeout's loss state has ended without undo
 * (open, or Linux's Disorder: no recovery, no CWR, not in the loss state,
 * whose ACKs tcp_input.c's loss_dsack_undo() takes): undo_marker is still
 * set, as only an undo, tcp_enter_cwr() or the next tcp_init_undo() clears
 * it, and each D-SACK above it still takes its segments off undo_retrans
 * (tcp_check_dsack(), tcp_sacktag_one()). When none is left,
 * tcp_fastretrans_alert()'s open/disorder branch calls
 * tcp_try_undo_dsack(): tcp_undo_cwnd_reduction(sk, false), cwnd to at
 * least prior_cwnd and ssthresh to at least prior_ssthresh (where one was
 * saved), the state unchanged, TcpDSACKUndo. Linux 6.18: the late ACK of
 * all four segments ends the loss state at cwnd 5, ssthresh 5; the
 * D-SACK of the head's copy then gives cwnd 10, ssthresh 2147483647
 * (tests/pkt/linux/rto-dsack-after-loss-ends-undoes.pkt). Before, the
 * profile kept cwnd 5. Returns true where the D-SACK was the loss
 * state's. */
static bool loss_dsack_undo_open(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a)
{
	struct tcp_rack *k = c->rack;
	if (!k->loss_undo_on || c->loss_pipe || c->in_recovery || k->cwr_on)
		return false;
	if (!dsack_off(c, &k->loss_undo_retrans, k->loss_undo_marker, a->dsack_right) ||
	    k->loss_undo_retrans)
		return true;
	k->loss_undo_on = false;
	dsack_undo_persist(k);
	if (c->prior_ssthresh)
		tcp_undo_raise(c, c->prior_cwnd, c->prior_ssthresh);
	s->st.TcpDSACKUndo++;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "D-SACK undo after loss");
	return true;
}

/* cfg.dsack_undo_opens: a D-SACK undo ends the fast recovery it undid.
 * Linux's tcp_fastretrans_alert(), TCP_CA_Recovery: "if
 * (tcp_try_undo_dsack(sk)) tcp_try_to_open(sk, flag);", whose
 * tcp_try_keep_open() sets Open or Disorder and high_seq = SND.NXT; then
 * tcp_identify_packet_loss(), and a loss it finds starts a new recovery
 * (tcp_time_to_recover(), tcp_enter_recovery()): a reduction of its own,
 * from the restored cwnd. So PRR no longer sets cwnd (tcp_cong_control():
 * tcp_in_cwnd_reduction() is false), and the recovery's end, which never
 * comes, neither sets cwnd to ssthresh nor counts for reo_wnd_persist
 * (tcp_try_undo_recovery()). Linux 6.18.44 under CUBIC: the D-SACK of the
 * fast retransmit gives cwnd 10, ssthresh 2147483647, Open; the next SACK
 * above a hole a new recovery, ssthresh 7
 * (tests/pkt/linux/sack-recovery-dsack-undo-opens.pkt). The profile
 * went on in the recovery, PRR's cwnd 7 and the restored infinite
 * ssthresh, and resent the next hole in it unreduced. recover comes down
 * below SND.UNA as at a partial undo (tcp_input.c): the next recovery is
 * no timeout's, and RFC 6582's bar does not hold it. */
static void dsack_undo_open(struct tcp_conn *c, const struct tcp_rack_ack *a)
{
	struct tcp_rack *k = c->rack;
	uint32_t una = a->advances ? a->ack : c->snd_una;
	k->undo_due = false;
	k->undo_ts_on = false;
	k->prr_on = false;
	c->in_recovery = false;
	c->dupacks = 0;
	c->recover = una - 1;
}

/* A D-SACK for data retransmitted since undo_marker: one copy fewer that
 * may have been needed; none left means no loss at all, and the reduction
 * goes back (Linux's tcp_try_undo_dsack(), counted as TcpDSACKUndo). */
static void dsack_undo(gt_stack *s, struct tcp_conn *c, const struct tcp_rack_ack *a)
{
	struct tcp_rack *k = c->rack;
	if (loss_dsack_undo_open(s, c, a))
		return;
	if (!k->undo_on || !dsack_off(c, &k->undo_retrans, k->undo_marker, a->dsack_right) ||
	    k->undo_retrans)
		return;
	if (c->in_recovery && seq_ge(a->ack, c->recover)) {
		/* The ACK that ends the recovery: Linux's
		 * tcp_fastretrans_alert() reaches tcp_try_undo_recovery()
		 * first, tcp_may_undo() finds undo_retrans 0, and the undo is
		 * TcpFullUndo, taken at the recovery's end (tcp_input.c:
		 * tcp_rack_dsack_undo_due()), where the open state's growth
		 * follows and tcp_end_cwnd_reduction(), undo_marker 0, leaves
		 * cwnd. Linux 6.18: cwnd 10 + 8 delivered = 18, ssthresh
		 * 2147483647, TCPFullUndo 1
		 * (tests/pkt/linux/sack-recovery-end-ack-dsack-full-undo.pkt).
		 * Before, the profile undid here (TcpDSACKUndo) and the end
		 * then set cwnd to the restored, infinite ssthresh. */
		k->undo_due = true;
		return;
	}
	k->undo_on = false;
	dsack_undo_persist(k);
	tcp_undo_raise(c, k->undo_cwnd, k->undo_ssthresh);
	s->st.TcpDSACKUndo++;
	if (c->in_recovery && s->cfg.dsack_undo_opens)
		dsack_undo_open(c, a);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "D-SACK undo");
}

/* cfg.ts_undo: does an ACK that echoes ecr show that an original, not the
 * recovery's retransmission, filled the hole? Linux's tcp_may_undo() with
 * tcp_packet_delayed(): the echo predates retrans_stamp (RFC 3522's Eifel
 * detection). Linux 6.18 answers true as well where nothing was
 * retransmitted yet (retrans_stamp 0: TSQ held the fast retransmit back);
 * here the first retransmission goes out as the recovery begins, so that
 * case never reaches an ACK (docs/recovery.md). */
bool tcp_rack_ts_delayed(const gt_stack *s, const struct tcp_conn *c, bool has_ts, uint32_t ecr)
{
	const struct tcp_rack *k = sb(c);
	return s->cfg.ts_undo && k && c->ts_ok && k->undo_on && k->undo_ts_on && has_ts && ecr &&
	       (int32_t)(ecr - k->undo_ts) < 0;
}

/* Did D-SACKs cover every retransmission of the recovery this ACK ends
 * (dsack_undo())? Then its end undoes, as Linux's tcp_try_undo_recovery(). */
bool tcp_rack_dsack_undo_due(const struct tcp_conn *c)
{
	return sb(c) && sb(c)->undo_on && sb(c)->undo_due;
}

/* Linux's tcp_init_undo() at a timeout that reduces: undo_marker is
 * SND.UNA, no retransmission yet; on: cfg.loss_dsack_undo applies. */
void tcp_rack_loss_undo_init(struct tcp_conn *c, bool on)
{
	struct tcp_rack *k = sb(c);
	if (!k)
		return;
	k->loss_undo_on = on;
	if (on)
		k->undo_on = false; /* one undo_marker: an earlier recovery's goes */
	k->loss_dsack_all = false;
	k->loss_undo_marker = c->snd_una;
	k->loss_undo_retrans = 0;
}

/* RACK's reordering window now, before a timeout's state changes: Linux's
 * tcp_timeout_mark_lost() runs before tcp_enter_loss() sets TCP_CA_Loss. */
uint32_t tcp_rack_rto_reo_us(const gt_stack *s, const struct tcp_conn *c)
{
	return sb(c) ? reo_wnd(s, c) : 0;
}

/* cfg.loss_undo_init_linux at a timeout that starts a count (called
 * before tcp_rack_on_rto() clears the marks): Linux's tcp_init_undo() runs
 * after tcp_timeout_mark_lost(), so undo_retrans starts from retrans_out
 * as that mark leaves it. tcp_mark_skb_lost() takes the RETRANS bit only
 * from a segment already LOST, so a retransmission not marked lost (one an
 * undo unmarked, tcp_undo_cwnd_reduction(sk, true)) stays in the count,
 * and the mark skips a lost retransmission that is not the head and went
 * within RACK.rtt + reo_wnd (tcp_rack_skb_timeout() > 0). Linux 6.18: after
 * F-RTO's undo on a SACK, the head's copy still out, the next timeout's
 * count is 1 + its own copy, and two D-SACKs of the head undo it
 * (tests/pkt/linux/frto-sack-undo-then-rto-counts-head-copy.pkt). In
 * segments; a tail loss probe's copy is not counted
 * (tests/pkt/linux/tlp-then-rto-probe-dsack-undoes-loss.pkt). Not
 * modelled: reneging marks all (no skip). The kept RETRANS bits themselves
 * stay in the log with cfg.rto_mark_keeps_retrans (tcp_rack_on_rto()),
 * but the loss state's go-back-N (tcp_output()) still resends them and
 * tcp_flight() does not count them. */
void tcp_rack_loss_undo_start(const gt_stack *s, struct tcp_conn *c)
{
	struct tcp_rack *k = sb(c);
	if (!k || !k->loss_undo_on)
		return;
	uint32_t mss = c->mss ? c->mss : 1, n = 0, reo = reo_wnd(s, c);
	for (uint16_t i = 0; i < k->n; i++) {
		const struct tcp_xmit *x = &k->x[i];
		if ((x->flags & (X_RETRANS | X_SACKED)) != X_RETRANS)
			continue;
		/* A tail loss probe's copy is no part of retrans_out
		 * (tcp_send_loss_probe(): __tcp_retransmit_skb()), every
		 * record it covered (X_PROBE), its episode over or not. */
		if ((x->flags & (X_PROBE | X_LOST)) == X_PROBE)
			continue;
		bool head = seq_le(x->start, c->snd_una);
		bool recent = x->at_us + k->rtt_us + reo > s->now_us;
		if (!(x->flags & X_LOST) || (!head && recent))
			n += (x->end - x->start + mss - 1) / mss;
	}
	k->loss_undo_retrans = n;
}

/* cfg.loss_undo_init_linux at a timeout during a fast recovery whose
 * window is not yet acknowledged: Linux's tcp_enter_loss() does not call
 * tcp_init_undo() there, so the recovery's undo_marker and undo_retrans
 * become the loss state's, and each retransmission from here adds to them
 * (tcp_retransmit_skb()). Linux 6.18: the fast retransmit and the RTO's
 * copy of the head, then the go-back-N resends: three D-SACKs of the head
 * undo nothing, the loss state ends at cwnd 6, ssthresh 5
 * (tests/pkt/linux/rto-during-recovery-dsack-count-goes-on.pkt). Before,
 * the recovery's count ran apart and its first D-SACK raised cwnd to 12 in
 * the loss state. True, with the recovery's saved cwnd and ssthresh
 * (Linux's prior_cwnd and prior_ssthresh), where it had an undo. */
bool tcp_rack_loss_undo_from_recovery(struct tcp_conn *c, uint32_t *cwnd, uint32_t *ssthresh)
{
	struct tcp_rack *k = sb(c);
	if (!k || !k->undo_on)
		return false;
	k->undo_on = false;
	k->loss_undo_on = true;
	k->loss_dsack_all = false;
	k->loss_undo_marker = k->undo_marker;
	k->loss_undo_retrans = k->undo_retrans;
	*cwnd = k->undo_cwnd;
	*ssthresh = k->undo_ssthresh;
	return true;
}

/* The loss state undone or over: no D-SACK undoes it again. */
void tcp_rack_loss_undo_off(struct tcp_conn *c)
{
	if (sb(c))
		sb(c)->loss_undo_on = false;
}

/* tcp_retransmit_skb(): undo_retrans += the segment, in the loss state. */
void tcp_rack_loss_retransmitted(struct tcp_conn *c)
{
	struct tcp_rack *k = sb(c);
	if (k && k->loss_undo_on && k->loss_undo_retrans < UINT32_MAX)
		k->loss_undo_retrans++;
}

/* An ACK in the loss state, with dsack its first block ending at right: the
 * D-SACK's segments off undo_retrans where it ends above undo_marker
 * (tcp_sacktag_one(), tcp_check_dsack()). True once none is left, every
 * retransmission since the timeout a needless copy (tcp_may_undo()). */
bool tcp_rack_loss_dsack(struct tcp_conn *c, bool dsack, uint32_t right)
{
	struct tcp_rack *k = sb(c);
	if (!k || !k->loss_undo_on)
		return false;
	/* A dubious D-SACK is none (tcp_check_dsack()). */
	if (dsack && !k->dsack_dubious && dsack_off(c, &k->loss_undo_retrans, k->loss_undo_marker, right))
		k->loss_dsack_all = !k->loss_undo_retrans;
	return k->loss_dsack_all;
}

/* Is a retransmission still in flight (Linux's retrans_out)? */
bool tcp_rack_retrans_out(const struct tcp_conn *c)
{
	const struct tcp_rack *k = sb(c);
	if (k && k->leak_segs)
		return true;
	for (uint16_t i = 0; k && i < k->n; i++)
		if ((k->x[i].flags & (X_RETRANS | X_SACKED)) == X_RETRANS)
			return true;
	return false;
}

/* Linux's sacked_out, lost_out and retrans_out as tcp_get_info() reports
 * them (tcpi_sacked, tcpi_lost, tcpi_retrans), by the marks, in segments:
 * each record as whole segments (tcp_skb_pcount(), rounded up, as
 * segs_sacked() counts). SACKED; LOST and not SACKED (tcp_sacktag_one()
 * takes a SACKed segment off lost_out); RETRANS and not SACKED, but a tail
 * loss probe's copy (X_PROBE: tcp_send_loss_probe() leaves retrans_out
 * alone), plus leak_segs. False where there is no log to read. */
bool tcp_rack_scoreboard(const struct tcp_conn *c, uint32_t *sacked, uint32_t *lost, uint32_t *retrans)
{
	const struct tcp_rack *k = sb(c);
	*sacked = *lost = *retrans = 0;
	if (!k)
		return false;
	uint32_t mss = c->mss ? c->mss : 1u;
	*retrans = k->leak_segs;
	for (uint16_t i = 0; i < k->n; i++) {
		uint8_t f = k->x[i].flags;
		uint32_t segs = (k->x[i].end - k->x[i].start + mss - 1) / mss;
		if (f & X_SACKED)
			*sacked += segs;
		else if (f & X_LOST)
			*lost += segs;
		if ((f & (X_RETRANS | X_SACKED | X_PROBE)) == X_RETRANS)
			*retrans += segs;
	}
	return true;
}

/* Linux's tcp_undo_cwnd_reduction(): cwnd and ssthresh as the recovery
 * saved them (Reno's and CUBIC's undo_cwnd: max(cwnd, prior_cwnd); ssthresh
 * at least prior_ssthresh, tcp_current_ssthresh() at the entry); at
 * a partial ACK the loss marks go too (unmark_loss), as nothing is lost.
 * Returns the bytes this ACK delivered, which grow cwnd as in the open
 * state (tcp_cong_control()'s acked_sacked). */
uint32_t tcp_rack_undo(gt_stack *s, struct tcp_conn *c, bool partial)
{
	struct tcp_rack *k = c->rack;
	k->undo_on = false;
	k->undo_due = false;
	k->undo_ts_on = false;
	k->prr_on = false;
	tcp_undo_raise(c, k->undo_cwnd, k->undo_ssthresh);
	if (partial) {
		changed(k);
		k->pf_n = 0;
		for (uint16_t i = 0; i < k->n; i++)
			k->x[i].flags &= (uint8_t)~X_LOST;
		s->st.TcpPartialUndo++;
	} else {
		s->st.TcpFullUndo++;
	}
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c),
			  partial ? "partial undo" : "full undo");
	return k->delivered_now;
}

uint32_t tcp_rack_delivered_now(const struct tcp_conn *c)
{
	return sb(c) ? sb(c)->delivered_now : 0;
}

/* cfg.cwnd_delivered_sack: the ACK being processed grew cwnd from before
 * (ack_advance_cc()); rack_run() takes it back should the ACK start a
 * recovery. */
void tcp_rack_grew(const gt_stack *s, struct tcp_conn *c, uint32_t before)
{
	if (s->cfg.cwnd_delivered_sack && c->rack && rack_on(s, c) && c->cwnd > before)
		c->rack->grown_now = c->cwnd - before;
}

/* cfg.cwnd_delivered_sack: Linux's tcp_newly_delivered() for an ACK that
 * cumulatively acknowledges acked_pkts packets (tcp_lx_acked_pkts()):
 * those less the ones SACKed before (tcp_clean_rtx_queue() counts only
 * what was not sacked_out), plus the ones it newly SACKs
 * (tcp_sacktag_one()'s sack_delivered, tcp_dsack_seen()'s duplicates). */
uint32_t tcp_rack_delivered_pkts(const struct tcp_conn *c, uint32_t acked_pkts)
{
	const struct tcp_rack *k = sb(c);
	if (!k)
		return acked_pkts;
	uint32_t n = acked_pkts > k->sacked_gone_segs ? acked_pkts - k->sacked_gone_segs : 0;
	return n + k->sacked_new_segs;
}

/* RFC 8985 7.2: may a probe timeout replace the RTO now? */
static bool tlp_ok(const gt_stack *s, const struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	return s->cfg.tlp && !k->tlp_on && !recovering(c) && !c->frto && c->snd_nxt == c->snd_max &&
	       c->snd_una != c->snd_max && (c->state == GT_TCP_ESTABLISHED || c->state == GT_TCP_CLOSE_WAIT ||
					    c->state == GT_TCP_FIN_WAIT_1 || c->state == GT_TCP_CLOSING ||
					    c->state == GT_TCP_LAST_ACK);
}

/* The probe timeout pto, never later than the RTO would fire: on an ACK
 * that moved SND.UNA the RTO restarts from now (RFC 6298 5.3); otherwise
 * it runs from the oldest segment in flight (Linux's
 * tcp_rto_delta_us()). */
static uint64_t pto_rto_cap_us(const gt_stack *s, const struct tcp_conn *c, uint64_t pto)
{
	uint64_t rto = tcp_backoff_us(s, c);
	if (!c->rack->acked_now && c->rack->n) {
		uint64_t at = c->rack->x[0].at_us + rto;
		rto = at > s->now_us ? at - s->now_us : 0;
	}
	return rto && rto < pto ? rto : pto;
}

static uint64_t pto_us(const gt_stack *s, const struct tcp_conn *c)
{
	uint64_t pto;
	if (c->srtt_us) {
		pto = 2ull * c->srtt_us;
		/* One packet out (tcp_schedule_loss_probe(): the delayed-ACK
		 * allowance only where "tp->packets_out == 1"; a FIN sent
		 * after the data is a packet of its own). Under
		 * cfg.flight_short_pkt in Linux's packets, a short skb one:
		 * four 100-byte TCP_NODELAY segments are four, probed at
		 * 2 SRTT + 2 jiffies, not at the one-packet allowance
		 * (tests/pkt/linux/tlp-pto-four-short-segments-no-delack-allowance.pkt). */
		uint32_t flight = c->snd_max - c->snd_una;
		bool one = s->cfg.flight_short_pkt
				   ? tcp_lx_packets_out(s, c) == 1
				   : flight <= c->mss && !(c->fin_alone && c->fin_sent && flight > 1);
		pto += one ? TLP_WCDELACK_US : TLP_MIN_US;
	} else {
		pto = s->cfg.rto_initial_us;
	}
	/* tcp_backoff_us() is never below min(rto_us, cfg.rto_max_us): the
	 * backoff's shift, the slop and the floor only raise it, and its
	 * ceiling is rto_max_us rounded up. When an RTO that short would
	 * fire no earlier than the probe, the probe stands without the
	 * backoff's computation, at each segment sent. */
	uint64_t low = c->rto_us < s->cfg.rto_max_us ? c->rto_us : s->cfg.rto_max_us;
	uint64_t from = c->rack->acked_now || !c->rack->n ? s->now_us : c->rack->x[0].at_us;
	if (from + low >= s->now_us + pto) {
#ifdef GT_SLACK_CHECK
		assert(pto_rto_cap_us(s, c, pto) == pto);
#endif
		return pto;
	}
	return pto_rto_cap_us(s, c, pto);
}


static void arm(gt_stack *s, struct tcp_conn *c, uint8_t kind, uint64_t delay)
{
	/* Linux arms these in whole jiffies, rounded up (cfg.rto_jiffy_us):
	 * tcp_schedule_loss_probe()'s usecs_to_jiffies() of the PTO and of
	 * tcp_rto_delta_us(), tcp_rack_mark_lost()'s of the reordering
	 * timeout, tcp_check_sack_reneging()'s, tcp_rearm_rto()'s. */
	delay = tcp_jiffies_up_us(s, delay);
	c->rtx_at = tcp_timer_at(s, delay); /* on the timer wheel */
	c->rtx_kind = kind;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, tcp_rtx_timer(c), tcp_trace_delay(delay), 0, NULL);
	/* The TCB's heap entry is never later than any of its deadlines
	 * (each setter calls tcp_timers_update(); tcp_check.c's
	 * check_timers()), so a timer set no earlier than the entry leaves
	 * it where it is: tcp_timers_update()'s minimum of seven deadlines
	 * would not move it. The probe timeout, pushed later by each segment
	 * sent, takes this path. */
	if (c->heap_idx != HEAP_NONE && c->rtx_at >= s->timers.v[c->heap_idx].deadline_us) {
#ifdef GT_SLACK_CHECK
		assert(tcp_timers_min(c) >= s->timers.v[c->heap_idx].deadline_us);
#endif
		return;
	}
	tcp_timers_update(s, c);
}

bool tcp_rack_arm_tlp(gt_stack *s, struct tcp_conn *c)
{
	if (!rack_on(s, c) || c->persist || c->rtx_kind == TCP_RTX_REO || !tlp_ok(s, c))
		return false;
	arm(s, c, TCP_RTX_TLP, pto_us(s, c));
	return true;
}

/* RACK's loss detection, recovery and timer, after an ACK or when the
 * reordering timer fires: marks what is lost, enters recovery or goes on
 * with it, and arms the reordering timer for what may still be lost, else
 * the probe timeout, else the RTO. */
/* Linux's tcp_check_sack_reneging(), first in tcp_fastretrans_alert():
 * the receiver has max(RTT/2, 10 ms) to report its SACKs again, then the
 * RTO resends with the scoreboard forgotten (tcp_timeout_mark_lost()).
 * Nothing is marked or sent now, and no probe timeout replaces it. As a
 * probe, it retransmitted nothing (all SACKed) and was armed again by
 * every ACK: a Linux sender whose peer pruned its highest range sat on 7
 * bytes for 600 s (swarm seed 18002920). */
static void reneg_arm(gt_stack *s, struct tcp_conn *c)
{
	uint64_t wait = c->srtt_us / 2;
	arm(s, c, TCP_RTX_RTO, wait > 10000 ? wait : 10000);
}

static void rack_run(gt_stack *s, struct tcp_conn *c, bool timer)
{
	if (c->rack->reneg) {
		reneg_arm(s, c);
		return;
	}
	bool pending = false;
	bool hold = c->rack->hold;
	bool marked = false;
	uint64_t lost_rexmits = s->st.TcpLostRetransmit;
	uint32_t wait = hold ? 0 : detect_loss(s, c, &pending, &marked);
	if (c->loss_pipe && s->st.TcpLostRetransmit != lost_rexmits) {
		/* A retransmission lost again in the loss state
		 * (FLAG_LOST_RETRANS): Linux's tcp_fastretrans_alert() falls
		 * through to tcp_enter_recovery(), whose reduction applies
		 * (tcp_in_cwnd_reduction() is false in TCP_CA_Loss), not the
		 * RTO's recovery going on unreduced.
		 * tests/pkt/linux/rto-loss-state-lost-retransmit-after-go-back-n.pkt. */
		c->loss_pipe = false;
		c->recover = c->snd_una;
		c->in_recovery = false;
	}
	bool entering = pending && !c->in_recovery;
	/* cfg.cwnd_delivered_sack: Linux's tcp_ack() grows cwnd
	 * (tcp_cong_control()) after tcp_fastretrans_alert(), and not in
	 * the recovery that alert starts (tcp_in_cwnd_reduction()): the
	 * reduction is taken from cwnd before this ACK. The profile grew it
	 * first (ack_advance_cc()); that growth goes. */
	if (entering && !timer && c->rack->grown_now && c->cwnd > c->rack->grown_now)
		c->cwnd -= c->rack->grown_now;
	c->rack->grown_now = 0;
	if (entering)
		enter_recovery(s, c);
	if (c->rack->cwr_on && !c->in_recovery && !timer)
		cwr_step(c, marked);
	if (c->in_recovery) {
		/* detect_loss() left the log's pipe and first lost record;
		 * nothing since has changed the log (enter_recovery() and
		 * cwr_step() do not send). */
		uint32_t pipe = hold ? rack_pipe(c) : c->rack->lr_pipe;
		uint16_t from = hold ? 0 : c->rack->lr_lost;
#ifdef GT_SLACK_CHECK
		assert(pipe == rack_pipe(c));
		for (uint16_t j = 0; !hold && j < from; j++)
			assert((c->rack->x[j].flags & (X_LOST | X_RETRANS | X_SACKED)) != X_LOST);
#endif
		pipe += leak_bytes(c);
		/* cfg.flight_short_pkt: Linux's tcp_packets_in_flight(), a
		 * short record one packet (PRR's pipe and recovery_send()'s). */
		if (c->rack->short_pkt)
			pipe = pipe_segs(c) * (c->mss ? c->mss : 1);
		/* Linux's tcp_rack_reo_timeout() reduces cwnd only when it
		 * starts the recovery; in one it retransmits under the cwnd
		 * the last ACK left (tcp_xmit_retransmit_queue()), the marks
		 * having taken the lost segments out of flight. */
		if (!timer || entering)
			prr_cwnd(c, entering, marked, pipe, timer);
		recovery_send(s, c, entering, pipe, !hold, from);
	}
	if (c->dead || c->snd_una == c->snd_max || c->persist)
		return;
	/* Linux's tcp_ack() re-arms the timer only for an ACK of new data
	 * (FLAG_SET_XMIT_TIMER from tcp_clean_rtx_queue()): a duplicate ACK
	 * neither restarts the RTO nor puts off a probe that may still go.
	 * Pushed back by each, a peer's steady ACKs (its data, answers to
	 * keepalives) kept the probe, and the RTO after it, from firing. */
	bool keep = !c->rack->acked_now && c->rtx_at != TCP_TIMER_NONE &&
		    (c->rtx_kind == TCP_RTX_RTO || (c->rtx_kind == TCP_RTX_TLP && tlp_ok(s, c)));
	if (wait) /* tcp_rack_mark_lost(): usecs_to_jiffies(timeout + TCP_TIMEOUT_MIN_US) */
		arm(s, c, TCP_RTX_REO, wait + TLP_MIN_US);
	else if (keep)
		return;
	else if (!tcp_rack_arm_tlp(s, c) && (c->rtx_at == TCP_TIMER_NONE || c->rtx_kind != TCP_RTX_RTO))
		arm(s, c, TCP_RTX_RTO, tcp_backoff_us(s, c));
}

/* cfg.loss_gbn_marks: tcp_xmit_retransmit_queue() walks the queue from
 * its head at each ACK, so a segment the go-back-N passed over (in flight
 * then) and RACK has marked lost since goes now: SND.NXT back to it. */
static void gbn_back(struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	for (uint16_t i = 0; i < k->n && seq_lt(k->x[i].start, c->snd_nxt); i++) {
		if ((k->x[i].flags & (X_LOST | X_RETRANS | X_SACKED)) == X_LOST) {
			c->snd_nxt = seq_max(k->x[i].start, c->snd_una);
			return;
		}
	}
}

void tcp_rack_after_ack(gt_stack *s, struct tcp_conn *c)
{
	if (!rack_on(s, c) || c->dead)
		return;
	if (c->snd_una == c->snd_max)
		c->rack->leak_segs = 0; /* packets_out 0 (tcp_clean_rtx_queue()) */
	/* During F-RTO and a go-back-N resend the RTO's own rules send;
	 * under cfg.loss_gbn_marks for as long as the loss state lasts, as
	 * Linux's tcp_fastretrans_alert() runs TCP_CA_Loss's branch until
	 * SND.UNA reaches high_seq: a segment RACK marks lost there is
	 * resent in the loss state, not made a recovery of its own. Only
	 * where the timeout left a segment in flight: otherwise, once the
	 * go-back-N has passed everything, RACK's marks start a recovery,
	 * as before (what Linux reaches there by other ways, an F-RTO undo
	 * then tcp_enter_recovery(), as in dialogue.rack_loss_state_after_
	 * rto_grows_cwnd_by_slow_start). */
	bool gbn = seq_lt(c->snd_nxt, c->snd_max) || (tcp_rack_loss_marks(c) && c->rack->gbn_kept);
	if (!c->frto && !gbn && !c->rack->n && c->snd_una == c->snd_max && !c->in_recovery &&
	    !c->rack->cwr_on && !c->rack->reneg) {
		/* Nothing sent is unacknowledged: rack_run()'s detect_loss()
		 * would walk no record, no recovery or CWR step would run, and
		 * no timer would be armed (SND.UNA == SND.MAX); what is left
		 * of it is this. A receiver's every data segment comes here,
		 * and the call was 5% of `glasstcp get`'s instructions
		 * (bench/PROFILE.md); Linux's fast path does not even call
		 * tcp_ack() for it (tcp_rcv_established(): ack_seq ==
		 * snd_una). */
		if (!c->rack->hold)
			c->rack->sacked_any = false;
	} else if (!c->frto && !gbn) {
		rack_run(s, c, false);
	} else if (!c->frto && c->rack->reneg) {
		/* Linux checks for reneging "in all the states"
		 * (tcp_fastretrans_alert()), TCP_CA_Loss too: after an RTO
		 * the ACK of the resent head that lands on a SACKed segment
		 * waits half an RTT for the timer, which forgets the
		 * scoreboard, and resends nothing meanwhile (rexmit stays
		 * REXMIT_NONE; tcp_output() holds the go-back-N:
		 * tcp_rack_reneg_wait()). Going on, the go-back-N skipped
		 * the SACKed data and waited for the backed-off RTO: a
		 * Linux sender without timestamps, its RTO at 120 s, moved a
		 * few hundred bytes a round (swarm seed 87003515;
		 * tests/pkt/linux/rto-loss-state-sack-reneging-half-rtt.pkt). */
		reneg_arm(s, c);
		c->rack->reneg_wait = true;
	} else if (!c->frto && !c->rack->reneg_wait) {
		/* Linux runs RACK in the loss state as well
		 * (tcp_fastretrans_alert(), TCP_CA_Loss:
		 * tcp_identify_packet_loss()): a go-back-N retransmission
		 * sent before one now SACKed or ACKed, and a round trip old,
		 * is lost again (FLAG_LOST_RETRANS); the state becomes
		 * recovery, and the lost segments go, that one first, then
		 * those the go-back-N had not reached
		 * (tcp_xmit_retransmit_queue()). Left to the go-back-N, it
		 * waited for the RTO: 120 s a round, backed off by Karn's
		 * rule, for a Linux sender without timestamps whose peer's
		 * one out-of-order range gave up what jitter reordered (swarm
		 * seed 87003515; tests/pkt/linux/rto-loss-state-lost-retransmit-rack.pkt). */
		bool pending, marked;
		uint64_t lost_rexmits = s->st.TcpLostRetransmit;
		(void)detect_loss(s, c, &pending, &marked);
		/* cfg.rto_mark_keeps_retrans: only a retransmission found
		 * lost again (FLAG_LOST_RETRANS: retrans_out fell) leaves the
		 * loss state; a segment the timeout left unmarked (sent
		 * within RACK.rtt + reo_wnd) and RACK now marks is resent in
		 * it, as the go-back-N's (tcp_xmit_retransmit_queue() under
		 * REXMIT_LOST). Else every record below SND.MAX was lost or
		 * sent again, so a mark was one of those. (An undo this ACK
		 * made ended the loss state: tcp_time_to_recover() there.) */
		if (s->cfg.rto_mark_keeps_retrans && c->loss_pipe && s->st.TcpLostRetransmit == lost_rexmits)
			marked = false;
		if (marked) {
			/* The loss state ends (the go-back-N with it): a
			 * recovery of its own, with its reduction
			 * (tcp_enter_recovery(): tcp_in_cwnd_reduction() is
			 * false in TCP_CA_Loss). */
			c->snd_nxt = c->snd_max;
			c->loss_pipe = false;
			c->recover = c->snd_una;
			rack_run(s, c, false);
		} else if (tcp_rack_loss_marks(c)) {
			gbn_back(c);
		}
	}
	if (c->dead)
		return;
	/* Out of Disorder: tcp_try_keep_open() finds nothing retransmitted,
	 * or another state (a recovery, CWR) took over. */
	if (c->rack->loss_undone && (c->in_recovery || c->rack->cwr_on || !any_retrans_done(c)))
		c->rack->undone_open = true;
	if (c->rack->acked_now && !c->rack->reneg)
		c->rack->reneg_wait = false; /* a new RTO is armed: going on */
	c->rack->acked_now = c->rack->hold = c->rack->reneg = false;
}

bool tcp_rack_reneg_wait(const struct tcp_conn *c)
{
	return sb(c) && sb(c)->reneg_wait;
}

/* Linux's tcp_try_undo_partial() when a partial ACK in recovery echoes a
 * TSval from before the first retransmission (the late original filled
 * the hole) while a retransmission is still in flight: the reordering is
 * noted (tcp_check_sack_reordering(): reord_seen, so RACK's window opens)
 * and tcp_fastretrans_alert() returns at once: this ACK marks no loss and
 * resends nothing (no tcp_identify_packet_loss(), rexmit stays
 * REXMIT_NONE), but PRR runs (tcp_cong_control()) and new data goes as
 * cwnd allows. */
uint32_t tcp_rack_reord_seen(const struct tcp_conn *c)
{
	return c->rack ? c->rack->reord_seen : 0;
}

/* Without SACK Linux counts reord_seen in tcp_check_reno_reordering() and,
 * at a partial undo, in tcp_check_sack_reordering(); the profile keeps
 * the count in the log that only times (log_kept(): none, and none
 * counted, without cfg.rtt_exact_first or memory). */
void tcp_rack_reno_reordered(struct tcp_conn *c)
{
	if (c->rack && !c->sack_ok)
		c->rack->reord_seen++;
}

/* Linux's tp->delivered (tcpi_delivered, 4.18+): packets delivered,
 * cumulatively or by SACK, each skb its tcp_skb_pcount() (a record's
 * ceil(len / mss), as the PRR counts take it). The handshake's count
 * first: an active open's SYN acknowledged by the SYN-ACK (tcp_ack()
 * from tcp_rcv_synsent_state_process() cleans the SYN's skb), a passive
 * open's SYN-ACK once the handshake's ACK comes (tcp_rcv_state_process(),
 * TCP_SYN_RECV: "SYN-ACK delivery isn't tracked in tcp_ack"). The rest
 * is the transmit log's (tcp_rack_ack()), so known only where the log is
 * kept: the RACK profile on a SACK connection, and pre_log_pkts() for
 * data acknowledged before it began (a Fast Open SYN's, which
 * tcp_send_syn_data() queues as an skb of its own).
 * Without SACK Linux counts a Reno connection's duplicate ACKs as
 * deliveries (tcp_add_reno_sack(), tcp_remove_reno_sacks()): the side
 * struct's reno_delivered under cfg.tcpi_chrono
 * (tcp_lx_reno_delivered()), else unknown. */
bool tcp_lx_delivered(const gt_stack *s, const struct tcp_conn *c, uint32_t *delivered)
{
	*delivered = 0;
	if (!s->cfg.rack)
		return false;
	bool syn_acked = c->state != GT_TCP_LISTEN && c->state != GT_TCP_SYN_SENT &&
			 c->state != GT_TCP_SYN_RECEIVED && !(c->state == GT_TCP_CLOSED && c->snd_una == c->iss);
	if (!syn_acked)
		return true; /* nothing delivered before the handshake's end */
	if (!c->sack_ok) {
		if (!s->cfg.tcpi_chrono)
			return false;
		struct tcp_lx_stats st;
		tcp_lx_stats_get(c, &st);
		*delivered = 1u + st.reno_delivered;
		return true;
	}
	*delivered = 1u + (c->rack ? c->rack->delivered_pkts : pre_log_pkts(c));
	return true;
}

/* Linux's tp->delivered_ce (tcpi_delivered_ce): known where
 * tcp_lx_delivered() is; none before the log (the handshake's). */
uint32_t tcp_lx_delivered_ce(const struct tcp_conn *c)
{
	return sb(c) ? sb(c)->delivered_ce_pkts : 0;
}

/* Linux's tp->dsack_dups (tcpi_dsack_dups): segments D-SACKs reported,
 * dubious ones too (tcp_dsack_seen() counts before it checks). Known
 * where the transmit log is (the RACK profile), 0 without SACK. */
bool tcp_lx_dsack_dups(const gt_stack *s, const struct tcp_conn *c, uint32_t *dups)
{
	*dups = sb(c) ? sb(c)->dsack_dups : 0;
	return s->cfg.rack;
}

void tcp_rack_hold(struct tcp_conn *c)
{
	if (!sb(c))
		return;
	sb(c)->hold = true;
	sb(c)->reord = true;
	changed(sb(c));
}

/* Linux's tcp_mark_skb_lost() on a record not SACKed: one lost and
 * retransmitted is lost again (its RETRANS bit goes, TcpLostRetransmit);
 * one not lost becomes lost, a retransmitted mark kept. */
static void mark_skb_lost(gt_stack *s, struct tcp_rack *k, struct tcp_xmit *x)
{
	if ((x->flags & (X_LOST | X_RETRANS)) == (X_LOST | X_RETRANS)) {
		x->flags &= (uint8_t)~X_RETRANS;
		s->st.TcpLostRetransmit++;
	}
	x->flags |= X_LOST;
	dirty(k, x);
}

/* cfg.rto_mark_keeps_retrans: Linux's tcp_timeout_mark_lost(), which
 * runs tcp_mark_skb_lost() on every segment not SACKed but those other
 * than the head sent within RACK.rtt + reo_wnd (tcp_rack_skb_timeout() >
 * 0: "Don't mark recently sent ones lost yet"; reneging marks all).
 * tcp_mark_skb_lost() takes the RETRANS bit (retrans_out) only from a
 * segment already LOST ("retransmits that are lost again",
 * TcpLostRetransmit); a retransmission not marked lost, as an undo leaves
 * it (tcp_undo_cwnd_reduction(sk, true)), becomes LOST and stays RETRANS:
 * still in flight, not resent by tcp_xmit_retransmit_queue(), which skips
 * TCPCB_SACKED_RETRANS, until RACK finds it lost again. reo is the window
 * as it was before the timeout (the mark runs before
 * tcp_set_ca_state(TCP_CA_Loss)). */
static void mark_rto_linux(gt_stack *s, struct tcp_conn *c, bool reneg, uint32_t reo)
{
	struct tcp_rack *k = c->rack;
	if (k->n && !reneg && c->sack_ok &&
	    (k->x[0].flags & (X_LOST | X_RETRANS | X_SACKED | X_PROBE)) == X_RETRANS && k->leak_segs < UINT32_MAX)
		k->leak_segs++; /* the head's copy goes below, one segment */
	for (uint16_t i = 0; i < k->n; i++) {
		struct tcp_xmit *x = &k->x[i];
		/* A tail loss probe's copy was never in retrans_out, marked
		 * or not (X_PROBE). */
		if ((x->flags & (X_PROBE | X_LOST)) == X_PROBE)
			x->flags &= (uint8_t)~(X_RETRANS | X_PROBE);
		if (reneg) {
			x->flags &= (uint8_t)~X_SACKED;
		} else if (x->flags & X_SACKED) {
			continue;
		} else if (i && x->at_us + k->rtt_us + reo > s->now_us) {
			continue; /* not the head (x[0] starts at SND.UNA), and recent */
		}
		mark_skb_lost(s, k, x);
	}
}

/* A record longer than mss, its data only (our FIN's octet not counted):
 * more than one segment, which tcp_simple_retransmit() marks lost at a
 * path-MTU fall ("tcp_skb_seglen(skb) > mss"). */
static bool longer_than(const struct tcp_conn *c, const struct tcp_xmit *x, uint32_t mss)
{
	return x->end - x->start - (c->fin_sent && x->end == c->snd_max ? 1u : 0u) > mss;
}

/* cfg.pmtu_mark_longer: Linux's tcp_simple_retransmit() runs
 * tcp_mark_skb_lost() on each skb with tcp_skb_seglen(skb) > mss (the new
 * one, tcp_current_mss()), SACKed or not (it returns at once for a SACKed
 * one), and spares no recent one. A record holds segments sent together,
 * full ones up to a last shorter one: one no longer than the new MSS is a
 * single short segment, spared; a longer one is marked whole (its short
 * last segment with it, where Linux spares that skb). */
static void mark_mtu_linux(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_rack *k = c->rack;
	uint32_t mss = c->mss ? c->mss : 1;
	for (uint16_t i = 0; i < k->n; i++) {
		struct tcp_xmit *x = &k->x[i];
		if (x->flags & X_SACKED)
			continue;
		/* A tail loss probe's copy was never in retrans_out, marked
		 * or not (X_PROBE). */
		if ((x->flags & (X_PROBE | X_LOST)) == X_PROBE)
			x->flags &= (uint8_t)~(X_RETRANS | X_PROBE);
		if (!longer_than(c, x, mss))
			continue; /* one short segment: spared */
		mark_skb_lost(s, k, x);
	}
}

/* Every record not SACKed (every one when the peer reneged) is lost,
 * its other marks but X_EVER forgotten. */
static void mark_all_lost(struct tcp_rack *k, bool reneg)
{
	for (uint16_t i = 0; i < k->n; i++) {
		if (reneg || !(k->x[i].flags & X_SACKED))
			k->x[i].flags = (uint8_t)(X_LOST | (k->x[i].flags & X_EVER));
		dirty(k, &k->x[i]);
	}
}

/* The loss state's marks and what a timeout and a path-MTU fall share:
 * marks is MARKS_RTO (cfg.rto_mark_keeps_retrans's rules for a timeout),
 * MARKS_MTU (cfg.pmtu_mark_longer's) or MARKS_ALL (every record not
 * SACKed lost); the probe's episode ends. */
enum loss_marks { MARKS_ALL, MARKS_RTO, MARKS_MTU };

static void enter_loss(gt_stack *s, struct tcp_conn *c, enum loss_marks marks, bool reneg, uint32_t reo)
{
	struct tcp_rack *k = sb(c);
	if (!k)
		return;
	changed(k);
	k->pf_n = 0;
	if (marks == MARKS_RTO)
		mark_rto_linux(s, c, reneg, reo);
	else if (marks == MARKS_MTU)
		mark_mtu_linux(s, c);
	else
		mark_all_lost(k, reneg);
	k->tlp_on = false;
	k->cwr_on = false; /* tcp_enter_loss(): TCP_CA_Loss */
	k->reneg_wait = false;
	k->gbn_marks = s->cfg.loss_gbn_marks;
	k->loss_undone = false;
	k->gbn_kept = pipe_segs(c) > k->leak_segs;
}

/* Everything not SACKed is lost (RFC 8985 6.3, Linux's
 * tcp_timeout_mark_lost), everything when the peer reneged. Returns
 * Linux's tcp_packets_in_flight() after the marks and before the head
 * goes again, in segments (tcp_enter_loss() sets cwnd to it + 1): the
 * retransmission queue's head counted in leak_segs is the copy about to
 * go, not yet. 0 without the log. */
uint32_t tcp_rack_on_rto(gt_stack *s, struct tcp_conn *c, bool reneg, uint32_t reo)
{
	uint32_t leak0 = sb(c) ? sb(c)->leak_segs : 0;
	enter_loss(s, c, s->cfg.rto_mark_keeps_retrans ? MARKS_RTO : MARKS_ALL, reneg, reo);
	if (!sb(c))
		return 0;
	return pipe_segs(c) - (sb(c)->leak_segs - leak0);
}

/* Would a path-MTU fall leave Linux's lost_out above 0: a record not
 * SACKed that is lost already or longer than the new MSS (what
 * mark_mtu_linux() marks)? True without the log or cfg.pmtu_mark_longer.
 * No side effect: pmtu_resend() asks before it enters the loss state. */
bool tcp_rack_mtu_fall_loses(const gt_stack *s, const struct tcp_conn *c)
{
	const struct tcp_rack *k = sb(c);
	if (!k || !s->cfg.pmtu_mark_longer)
		return true;
	uint32_t mss = c->mss ? c->mss : 1;
	for (uint16_t i = 0; i < k->n; i++) {
		const struct tcp_xmit *x = &k->x[i];
		if (!(x->flags & X_SACKED) && ((x->flags & X_LOST) || longer_than(c, x, mss)))
			return true;
	}
	return false;
}

/* A path-MTU fall (tcp_input.c's pmtu_resend()): Linux's
 * tcp_simple_retransmit() runs tcp_mark_skb_lost() on every segment longer
 * than the new MSS (cfg.pmtu_mark_longer: mark_mtu_linux(); under
 * cfg.loss_gbn_marks the go-back-N resends only those, the others staying
 * in flight), and no recent one is spared as at a timeout. Without the
 * field every record not SACKed is lost and nothing of its retransmission
 * is kept (the marks of the RTO path without cfg.rto_mark_keeps_retrans).
 * With nothing lost Linux returns before tcp_non_congestion_loss_retransmit()
 * ("if (!tp->lost_out) return"): pmtu_resend() asks
 * tcp_rack_mtu_fall_loses() first and then enters no loss state. */
void tcp_rack_on_mtu_fall(gt_stack *s, struct tcp_conn *c)
{
	enter_loss(s, c, s->cfg.pmtu_mark_longer ? MARKS_MTU : MARKS_ALL, false, 0);
}

/* An RTO during a recovery that may still be undone by timestamps:
 * the recovery's prior cwnd and ssthresh, and its first retransmission's
 * TSval (Linux's prior_cwnd, prior_ssthresh and retrans_stamp, which
 * tcp_enter_loss() leaves as they are in that case). */
bool tcp_rack_undo_info(const struct tcp_conn *c, uint32_t *cwnd, uint32_t *ssthresh, uint32_t *ts)
{
	const struct tcp_rack *k = sb(c);
	if (!k || !k->undo_on || !k->undo_ts_on)
		return false;
	*cwnd = k->undo_cwnd;
	*ssthresh = k->undo_ssthresh;
	*ts = k->undo_ts;
	return true;
}

/* Nothing is lost after all (Linux's tcp_undo_cwnd_reduction() with
 * unmark_loss). */
void tcp_rack_unmark_lost(struct tcp_conn *c)
{
	struct tcp_rack *k = sb(c);
	if (k) {
		changed(k);
		k->pf_n = 0;
		k->loss_undone = true;
		k->undone_open = false;
	}
	for (uint16_t i = 0; k && i < k->n; i++)
		k->x[i].flags &= (uint8_t)~X_LOST;
}

/* The reordering timer (RFC 8985 6.3): what its wait was for is lost now,
 * or it was not. */
static bool reo_fire(gt_stack *s, struct tcp_conn *c)
{
	c->rtx_kind = TCP_RTX_RTO;
	rack_run(s, c, true);
	return !c->dead;
}

/* A loss probe the device refused (the Linux profile, stack_tx_blocked()):
 * Linux's tcp_send_loss_probe() goes to rearm_timer, past probe_sent, so
 * no probe is outstanding (tlp_high_seq stays 0: a later ACK may schedule
 * another), tlp_retrans is not set and TCPLossProbes does not count.
 * tcp_rearm_rto() then arms the retransmission timer with icsk_pending
 * still ICSK_TIME_LOSS_PROBE, so offset by the time since the head of the
 * retransmission queue went (tcp_rto_delta_us(), at least a jiffy):
 * __tcp_transmit_skb() stamps an skb before the qdisc drops it, so a
 * refused copy of the head (head: the probe starts at SND.UNA, the head skb
 * after tcp_fragment() cut the probe off the last one) times it
 * from now; refused new data or a refused copy of a later segment leaves
 * the head's last transmission, and the RTO follows at once after a PTO
 * that the RTO had capped. Linux 6.18.44:
 * tests/pkt/linux/qdisc-full-tlp-refused-not-counted.pkt (the head),
 * qdisc-full-tlp-new-data-refused-rto-at-once.pkt. */
static bool tlp_refused(gt_stack *s, struct tcp_conn *c, bool head)
{
	struct tcp_rack *k = c->rack;
	k->tlp_on = false;
	uint64_t rto = tcp_backoff_us(s, c), delay = rto;
	if (!head && k->n) {
		uint64_t due = k->x[0].at_us + rto;
		delay = due > s->now_us ? due - s->now_us : 1;
	}
	arm(s, c, TCP_RTX_RTO, delay);
	return true;
}

/* The probe timeout (RFC 8985 7.3). */
static bool tlp_fire(gt_stack *s, struct tcp_conn *c)
{
	struct tcp_rack *k = c->rack;
	c->rtx_kind = TCP_RTX_RTO;
	if (c->snd_una == c->snd_max)
		return true;
	k->tlp_on = true; /* before sending: the RTO, not another probe, follows */
	uint32_t before = c->snd_max;
	if (tcp_tlp_new_ok(s, c))
		tcp_output_one(s, c); /* new data: its first segment fits the window */
	k = c->rack;
	if (c->dead)
		return false;
	if (c->snd_max == before && stack_tx_blocked(s))
		return tlp_refused(s, c, false); /* tcp_write_xmit() sent nothing: "goto rearm_timer" */
	if (c->snd_max != before) {
		k->tlp_retrans = false;
	} else {
		/* The last segment not SACKed, again. */
		uint16_t i = k->n;
		while (i > 0 && (k->x[i - 1].flags & X_SACKED))
			i--;
		if (i == 0) {
			k->tlp_on = false;
			arm(s, c, TCP_RTX_RTO, tcp_backoff_us(s, c));
			return true;
		}
		const struct tcp_xmit *x = &k->x[i - 1];
		uint32_t fin = c->fin_sent && x->end == c->snd_max ? 1u : 0u;
		uint32_t len = x->end - fin - x->start, seq = x->end - fin - len;
		uint32_t mss = tcp_send_mss(s, c); /* tcp_current_mss() */
		if (len > mss) {
			len = mss;
			seq = x->end - fin - len;
		}
		/* The Linux profile's skb ends give the skb the kernel probes
		 * with: tcp_lx_probe_seq(). */
		if (i == k->n && s->cfg.psh_linux && !(fin && c->fin_alone))
			(void)tcp_lx_probe_seq(s, c, x->end - fin, &seq, &len);
		if (fin && c->fin_alone) {
			len = 0; /* Linux probes with its last skb: the FIN's own */
			seq = x->end - fin;
		}
		uint32_t hi = c->rexmit_nxt;
		tcp_retransmit_range(s, c, seq, len);
		c->rexmit_nxt = hi;
		if (c->dead)
			return false;
		if (stack_tx_blocked(s)) /* "if (__tcp_retransmit_skb(sk, skb, 1)) goto rearm_timer" */
			return tlp_refused(s, c, seq == c->snd_una);
		k = c->rack;
		k->tlp_retrans = true;
		/* dirty(): a probe the device refused (h-localdrop) updates no
		 * record, so X_PROBE may be the first flag past dirty_end, which
		 * walk_loss()'s shortcut takes to hold none (test-slack's
		 * assert, swarm seed 71000185). */
		for (uint16_t j = find(k, seq); j < k->n && seq_lt(k->x[j].start, seq + len); j++) {
			k->x[j].flags |= X_PROBE;
			dirty(k, &k->x[j]);
		}
	}
	k->tlp_end = c->snd_max;
	s->st.TcpLossProbes++;
	arm(s, c, TCP_RTX_RTO, tcp_backoff_us(s, c));
	return true;
}

bool tcp_rack_timer(gt_stack *s, struct tcp_conn *c)
{
	if (!rack_on(s, c)) {
		c->rtx_kind = TCP_RTX_RTO;
		tcp_arm_rtx(s, c);
		return true;
	}
	return c->rtx_kind == TCP_RTX_TLP ? tlp_fire(s, c) : reo_fire(s, c);
}

/* detect_loss()'s premise: from dirty_end on, no record has flags and
 * each was sent after the one before it. */
static bool clean_tail_bad(const struct tcp_rack *k)
{
	const struct tcp_xmit *prev = NULL;
	for (uint16_t i = 0; i < k->n; i++) {
		const struct tcp_xmit *x = &k->x[i];
		if (seq_lt(x->start, k->dirty_end)) {
			if (x->flags && seq_gt(x->end, k->dirty_end))
				return true;
			continue;
		}
		if (x->flags || (prev && !sent_after(x->at_us, x->order, x->end, prev->at_us, prev->order, prev->end)))
			return true;
		prev = x;
	}
	return false;
}

const char *tcp_rack_check(const struct tcp_conn *c)
{
	const struct tcp_rack *k = c->rack;
	if (!k)
		return NULL;
	if (k->n > k->cap || k->cap > TCP_MAX_XMIT || k->off + k->n > k->cap || k->x != k->xa + k->off)
		return "RACK log over its capacity";
	if (!k->n)
		return c->snd_una == c->snd_max ? NULL : "RACK log empty with data in flight";
	if (k->x[0].start != c->snd_una || k->x[k->n - 1].end != c->snd_max)
		return "RACK log does not span SND.UNA..SND.MAX";
	/* Runs after every step of the tests and the swarm, over up to
	 * TCP_MAX_XMIT records: one pass without branches first, and the
	 * first bad record looked for only when there is one. */
	uint32_t bad = 0;
	for (uint16_t i = 0; i < k->n; i++)
		bad |= (uint32_t)!seq_lt(k->x[i].start, k->x[i].end) |
		       (k->x[i].start ^ (i ? k->x[i - 1].end : k->x[i].start));
	if (!bad)
		return NULL;
	for (uint16_t i = 0; i < k->n; i++) {
		if (!seq_lt(k->x[i].start, k->x[i].end))
			return "RACK record empty";
		if (i && k->x[i].start != k->x[i - 1].end)
			return "RACK records not contiguous";
	}
	return clean_tail_bad(k) ? "RACK record past dirty_end flagged or out of time order" : NULL;
}
