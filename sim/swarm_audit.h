/* The swarm's per-connection record (sim/swarm_audit.c): what happened to
 * each side of each connection, taken from the simulator's packet tap and
 * the stacks' trace, so that every outcome is explained by that connection's
 * own history (its packets' fates, its timers, its application's actions),
 * never by a counter somewhere in the seed. Also the two safety properties
 * read from the same stream: no storm of segments that carry nothing new,
 * and TIME_WAIT entered by the right side and held 2MSL. */
#ifndef GT_SIM_SWARM_AUDIT_H
#define GT_SIM_SWARM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glasstcp/stats.h>

/* Where the peer's RST just delivered found its receiver (au_side.rst_pend). */
enum { AU_RST_NONE, AU_RST_BEFORE, AU_RST_ALIVE, AU_RST_AFTER_GONE };

/* A segment as the tap and the audit see it (parsed from the IPv4 packet). */
struct au_seg {
	uint32_t src, dst;      /* host order; IPv4 only */
	/* Either family: IPv4 as ::ffff:a.b.c.d (issue 16). */
	struct gt_in6_addr src6, dst6;
	uint16_t sport, dport;
	uint32_t seq, ack, len;
	uint16_t wnd;
	uint8_t flags;
	uint32_t sack_hash;     /* the SACK blocks, hashed; 0 without */
};
/* Parses an IPv4 or IPv6 TCP packet (the swarm's stacks send no IPv6
 * extension headers); false for anything else or a short one. */
bool au_parse(const uint8_t *pkt, size_t len, struct au_seg *g);
/* Whether a packet au_parse() read passes its IP and TCP checksums: one
 * that fails them (corrupted on the way) tells its receiver nothing. */
bool au_csum_ok(const uint8_t *pkt, size_t len);

/* Why a side's TCB ended, from the counters its stack moved as it did
 * (AU_END_*), and what its stack did with the peer's packets (AU_RX_*). */
enum {
	AU_END_TIMEOUT = 1u << 0,    /* TcpAbortOnTimeout */
	AU_END_KEEPALIVE = 1u << 1,  /* TcpKeepAliveAborts */
	AU_END_FIN2 = 1u << 2,       /* TcpFinWait2Timeouts */
	AU_END_LINGER = 1u << 3,     /* TcpAbortOnLinger */
	AU_END_CLOSE = 1u << 4,      /* TcpAbortOnClose: closed with data unread */
	AU_END_DATA = 1u << 5,       /* TcpAbortOnData: data after close */
	AU_END_RST = 1u << 6,        /* TcpEstabResets: an RST (or the app's abort) */
	AU_END_ATTEMPT = 1u << 7,    /* TcpAttemptFails: a handshake given up */
	AU_END_ICMP = 1u << 8,       /* TcpIcmpAborts */
	AU_END_TW = 1u << 9,         /* into TIME_WAIT */
	AU_END_TWOVERFLOW = 1u << 10, /* TIME_WAIT refused: table full */
	AU_END_PROGRESS = 1u << 11,  /* TcpProgDrops: FreeBSD's maxunacktime */
	AU_END_ORPHANS = 1u << 12,   /* TcpAbortOnMemory: an orphan past tcp_max_orphans */
};
enum {
	AU_RX_SYNDROP = 1u << 0,     /* TcpSynDrops, TcpListenOverflows, TWSynDropped */
	AU_RX_LIMIT = 1u << 1,       /* TcpConnLimit, TcpBufLimit */
	AU_RX_NOPORT = 1u << 2,      /* TcpNoPort: no connection, no listener */
	AU_RX_COOKIE = 1u << 3,      /* TcpSyncookiesFailed */
	AU_RX_BAD = 1u << 4,         /* TcpInErrs, IpInHdrErrors: corrupted on the way */
	AU_RX_PAWS = 1u << 5,        /* TcpPAWSDrop */
	/* An RST of the peer's, in the window but not at RCV.NXT, whose
	 * challenge ACK (RFC 5961 3.2) a rate limit held back: the
	 * connection's own (Linux's tcp_send_challenge_ack() checks
	 * last_oow_ack_time first: TcpAckSkipped) or the stack's
	 * (RFC 5961 7: TcpChallengeAckLimited). Nothing tells the peer's
	 * side it is gone: a real half-open connection. */
	AU_RX_RST_HELD = 1u << 6,
	/* An RST of the peer's outside the window (TcpOutOfWindow), dropped
	 * silently as RFC 5961 3.2 and Linux's tcp_validate_incoming() do:
	 * an abort's RST carries the sender's SND.NXT, past a small window
	 * when data before it was lost (seeds 14007078, 14011584: 2,620
	 * bytes past RCV.NXT). Nothing tells this side the peer is gone. */
	AU_RX_RST_OOW = 1u << 7,
	/* TcpListenOverflows: the listener's accept queue over its limit.
	 * Linux drops the SYN (also AU_RX_SYNDROP); FreeBSD answers it and
	 * refuses the handshake's ACK (syncache_socket(): sonewconn() gives
	 * no socket), the pending TCB ended from SYN-RECEIVED. */
	AU_RX_QFULL = 1u << 8,
	/* An RST of the peer's in the window but not at RCV.NXT, answered
	 * with a challenge ACK (RFC 5961 3.2: TcpChallengeAcks), as an
	 * abort's RST that overtook the data before it is (seed 97808341).
	 * The peer's host, its TCB gone, answers the challenge with an RST
	 * at SEG.ACK, which this side takes; if that RST never leaves (its
	 * host's device refusing), nothing tells this side. */
	AU_RX_RST_CHAL = 1u << 9,
};

struct au_side {
	/* Its packets on the links (sent by this side's host for its tuple). */
	uint32_t pkts, lost;         /* lost: random loss, queue, MTU or partition */
	uint32_t corrupted, partitioned;
	uint32_t rsts, rsts_lost;
	uint32_t rsts_dup;           /* its RSTs the link duplicated: one more copy each */
	uint32_t rsts_no_tcb;        /* RSTs its host sent while it had no TCB (a listener's) */
	uint32_t rsts_synrcvd;       /* RSTs its TCB sent from SYN-RECEIVED: an ACK refused */
	uint32_t rsts_in;            /* RSTs delivered to its host for its tuple */
	uint32_t rsts_in_no_tcb;     /* the same, while it had no TCB yet (a listener's), or
	                              * before its second life (below) */
	bool cookie_built;           /* its TCB was first traced as a SYN cookie's, or its
	                              * second life was (below) */
	uint32_t rsts_after_gone;    /* RSTs its host sent after its TCB ended */
	/* What became of each of the peer's RSTs that reached its host
	 * (au_delivered(), then au_rst_settled() once the host handled it):
	 * before its TCB was made (a listener's, RFC 9293 3.10.7.2), after
	 * its TCB ended, taken (the TCB ended by it), dropped outside the
	 * window (TcpOutOfWindow), in the window with its challenge ACK held
	 * by a rate limit (TcpAckSkipped, TcpChallengeAckLimited), answered
	 * by a challenge ACK (TcpChallengeAcks), or queued at its paused host
	 * (handled in the batch at the resume, au_rst_resumed()). rst_unread:
	 * reached the live TCB and none of those: nothing says why it stayed. */
	uint32_t rst_in_before, rst_in_after_gone, rst_in_taken, rst_in_oow, rst_in_held,
		rst_in_chal, rst_in_paused, rst_unread;
	uint8_t rst_pend;            /* AU_RST_*: the RST just delivered, until settled */
	/* Its last challenge ACK (RFC 5961 3.2): the next segment it sends
	 * after a challenged RST is that ACK (chal_next until it leaves,
	 * chal_in_flight while its fate is drawn), chal_ack_lost where the
	 * link lost it; chal_peer_rsts: the peer's RSTs sent by then, so
	 * that a later one is the answer of its host (at SEG.ACK). */
	bool chal_next, chal_in_flight, chal_ack_lost;
	uint32_t chal_peer_rsts;
	bool synsent_reset;          /* its last packet in SYN_SENT: an RST to an ACK not for
	                              * its SYN (an older TCB on the tuple), no SYN since */
	bool synsent_answer_lost;    /* in SYN_SENT: an older TCB's answer to its last SYN (an
	                              * ACK it would have reset) lost on the way, no SYN since */
	bool blind_reset;            /* its TCB ended while its host, RFC 5961 off, handled a
	                              * hostile SYN or RST: RFC 793's blind reset */
	bool hostile_simopen;        /* SYN_SENT -> SYN_RECEIVED while its host handled a
	                              * hostile bare SYN: a simultaneous open with the
	                              * attacker (RFC 9293 3.10.7.3), any RFC 5961 */
	uint32_t rx;                 /* AU_RX_* its host counted for the peer's packets */
	uint32_t rx_no_tcb;          /* the same, while it had no TCB yet (a listener's) */
	uint32_t held;               /* packets for it queued while its process was paused */
	uint32_t icmp_in;            /* ICMP errors about its segments that reached its host */
	bool tcb_seen;               /* a state of its TCB was traced */
	bool has_iss;                /* a client's SYN went out: its ISN */
	uint32_t iss;
	uint64_t lost_last_us;       /* when one of its packets was last lost or corrupted */
	/* Its segments its host's device refused (queue full: -ENOBUFS), which
	 * the tap never sees: traced out, never sent, the host's
	 * IpOutQueueFull moved (sim/swarm.c out_settle()). A request
	 * socket's or SYN cookie's SYN-ACK counts for the server side of its
	 * tuple, TCB or not. last_out_refused: the last segment it traced
	 * out was refused (a later one that left clears it). */
	uint32_t refused;
	uint64_t refused_last_us;
	bool last_out_refused;
	uint64_t rx_last_us;         /* when a packet of the peer's last reached it, its TCB alive */
	/* Its TCB, from the trace. */
	uint32_t rto_fires, timer_fires;
	uint8_t state;               /* the last state traced */
	bool fin_wait;               /* went FIN_WAIT_1: closed first (or both did) */
	bool close_wait;             /* went CLOSE_WAIT: the peer closed first */
	bool gone;                   /* the TCB ended (CLOSED, or into TIME_WAIT) */
	uint8_t gone_from;           /* the state it ended in */
	uint32_t gone_why;           /* AU_END_* */
	uint64_t gone_us;
	/* Its tuple's packets still on the links (queued, serialised or
	 * propagating: gt_sim_count_in_flight()) the instant its TCB ended:
	 * its own, and the peer's to it. A timer that gave up while they
	 * were on the way gave up on a slow path, not a lost packet. */
	uint32_t in_flight_own, in_flight_peer;
	/* TIME_WAIT: entered, the peer's last FIN in it (the timer restarts), left. */
	uint64_t tw_in_us, tw_out_us;
	uint64_t tw_fin_us;          /* its 2MSL timer last started (entry, FIN, Linux's restarts) */
	bool tw, tw_expired;
	bool tw_killed;              /* an RST ended it (rfc1337 off), as Linux's default */
	bool tw_left;                /* its entry left the table: the trace's TIME_WAIT ->
	                              * CLOSED (expiry or RST; a reuse leaves none) */
	bool tw_reused;              /* a later connection took its tuple meanwhile (RFC 6191) */
	/* Storms: the last segment out, whether this event may send an
	 * answer, the segments that carried nothing new in the current
	 * round trip, and how long a ping-pong of them has gone on. */
	bool out_seen, prompted;
	bool in_read;                /* inside its application's recv() */
	bool end_seen;
	uint32_t max_end;            /* highest SEQ + LEN (+ SYN, FIN) it sent */
	uint32_t first_seq;          /* SEQ of its SYN (before one: of its first
	                              * segment): with max_end, the sequence space
	                              * its segments lie in */
	bool syn_out;                /* it sent a SYN */
	uint32_t last_ack, last_sack;
	uint32_t last_seq;           /* SEQ of the last segment it sent */
	uint8_t last_flags;          /* and its flags */
	uint16_t last_wnd;
	uint64_t win_start_us;
	uint32_t win_empty, empties, max_win_empty;
	uint32_t chain, peer_chain;  /* ping-pong rounds of unprompted empty segments */
	uint32_t storm_per_rtt;      /* 0: AU_STORM_PER_RTT */
	/* Its stack answers an ACK of new data with a bare ACK when it has
	 * nothing to send, in a SACK recovery (cfg.recovery_bsd: FreeBSD's
	 * tcp_do_segment() and tcp_sack_partialack() set TF_ACKNOW at a
	 * partial ACK): such an ACK prompts an answer. ack_in_max is the
	 * highest SEG.ACK it heard. */
	bool acknow_answers, ack_in_seen;
	uint32_t ack_in_max;
	uint64_t ack_adv_us;         /* when ack_in_max last rose: the peer's ACK moved
	                              * SND.UNA (the no-progress rule's start) */
};

/* A segment of a's left its host (flags: its TCP flags): counted, and
 * an RST by when it went (no TCB yet, after the TCB ended). au_sent()
 * does it for every packet the tap sees; a segment the device discarded
 * (plan 14: out_settle()) counts so too, as TCP took it as sent. */
void au_left(struct au_side *a, uint8_t flags);
/* A segment of this side's tuple entered the link (fate SENT) or met a
 * fate after that; `round_us` is the path's round trip. Returns a
 * description of a storm into why (and true) when the side just broke
 * the storm property. */
bool au_sent(struct au_side *a, struct au_side *peer, const struct au_seg *g, uint64_t now_us,
	     uint64_t round_us, char *why, size_t whylen);
void au_fate(struct au_side *a, const struct au_seg *g, int fate, uint64_t now_us);
/* A segment for this side reached its host (fate DELIVERED); from: the
 * side that sent it, or NULL (another node: the swarm's own injections). */
void au_delivered(struct au_side *a, const struct au_side *from, const struct au_seg *g,
		  uint64_t now_us);
/* The host handled the peer's RST au_delivered() last saw reach it; rx:
 * au_rx_counters() of that handling. */
void au_rst_settled(struct au_side *a, uint32_t rx);
/* The RST au_delivered() last saw reach it is queued at its paused host
 * (GT_SIM_HOLD_MAX held), handed over in the batch at the resume. */
void au_rst_paused(struct au_side *a);
/* The stack traced an event of this side's TCB (or TIME_WAIT entry). */
void au_trace(struct au_side *a, const struct gt_trace_event *ev);
/* The counters its host moved as the TCB ended (the delta since the last
 * end on that host): sets gone_why. */
void au_end_counters(struct au_side *a, const struct gt_stats *before, const struct gt_stats *now);
/* What its host did with one packet of the peer's (AU_RX_*); rst: the
 * packet was an RST. */
uint32_t au_rx_counters(const struct gt_stats *before, const struct gt_stats *now, bool rst);
/* TIME_WAIT (RFC 9293 3.10.7.4, 3.6): entered only by a side that sent
 * its FIN first (or both, closing at once), and by every such side whose
 * close completed; held 2MSL after it entered (and no longer than 2MSL
 * plus late_us after the peer's last FIN, which restarts it), within
 * tol_us; then ended. late_us: how late the host's timer fires a 2MSL
 * armed when it last started (0 at the deadline; on Linux's timer wheel,
 * cfg.timer_wheel, up to the level's granule, 2.048 s for 60 s).
 * `other_exits`: its host ended TIME_WAIT entries early (RFC 6191 reuse,
 * an RST with RFC 1337 off, the operator), so one without an expiry may
 * be one of those. Returns NULL or what is wrong. */
const char *au_time_wait(const struct au_side *a, uint64_t two_msl_us, uint64_t late_us,
			 uint64_t tol_us, bool other_exits, char *buf, size_t len);

/* Since a last heard its peer b, b's host refused b's answer to the last
 * packet of a's that reached it (b heard nothing after the refusal), or
 * a's own last attempt was refused at its host: a retransmission
 * timeout's cause that never reached the links. */
bool au_refused_since_heard(const struct au_side *a, const struct au_side *b);
/* Any of the connection's packets (either side's) lost or corrupted. */
bool au_lossy(const struct au_side *a, const struct au_side *b);
/* Some packet between a and its peer b was lost after the last one that
 * reached a: what a retransmission timeout of a's needs. */
bool au_lost_since_heard(const struct au_side *a, const struct au_side *b);

/* A storm: more than this many segments in one round trip that carry no
 * new data, no new ACK, no window change and no new SACK block, sent by a
 * side that had nothing to answer (no data, SYN, FIN or RST arrived for it
 * in that event, no timer of its fired); or a ping-pong of such segments
 * between the two sides this many rounds long. */
/* Linux answers one unacceptable segment per 500 ms
 * (tcp_invalid_ratelimit), FreeBSD up to 5 a second (ack_war_cnt):
 * anything over 6 in a round trip is a storm. FreeBSD's window opens with
 * the first answer after the last window ended (ctf_ack_war_checks()), so
 * the five of a window's end and the five of the next one's start can come
 * milliseconds apart (seed 12008199: seven in 7.45 ms): a side's
 * storm_per_rtt, when set, is au_storm_limit() of its host's limit. */
/* The reason tw_input() traces when an RST ends a TIME_WAIT entry. */
#define AU_TW_RST "RST in TIME_WAIT (tcp_rfc1337 off)"
/* The reason tcp_input.c's cookie_ack() gives a TCB it rebuilt. */
#define AU_COOKIE_BUILT "SYN cookie ACK"

#define AU_STORM_PER_RTT 6u
/* Two bursts of `burst` answers, one either side of a window's end, and
 * one more; never under AU_STORM_PER_RTT. */
static inline uint32_t au_storm_limit(uint32_t burst)
{
	return 2 * burst + 1 > AU_STORM_PER_RTT ? 2 * burst + 1 : AU_STORM_PER_RTT;
}
#define AU_STORM_CHAIN 32u

#endif
