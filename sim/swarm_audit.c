/* The swarm's per-connection record (see swarm_audit.h): packet fates from
 * the simulator's tap, TCB events from the stacks' trace, and the storm
 * property (RFC 5961 10 and Linux's tcp_invalid_ratelimit exist because
 * two ends answering each other's ACKs never stop; here any such exchange
 * fails the seed, naming the connection). */
#include "sim/swarm_audit.h"

#include "sim/swarm.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glasstcp/sim.h>
#include <glasstcp/socket.h>

#include "wire/tcp_wire.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The SACK option's blocks (kind 5), hashed: a duplicate ACK that reports
 * a new block carries news (RFC 6675). */
static uint32_t sack_hash(const uint8_t *o, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t kind = o[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			break;
		if (kind == 5) {
			uint32_t h = 2166136261u;
			for (size_t k = 2; k < o[i + 1]; k++)
				h = (h ^ o[i + k]) * 16777619u;
			return h | 1;
		}
		i += o[i + 1];
	}
	return 0;
}

/* ::ffff:a.b.c.d for a (host order). */
static struct gt_in6_addr mapped(uint32_t a)
{
	struct gt_in6_addr r = {{[10] = 0xff, [11] = 0xff, (uint8_t)(a >> 24), (uint8_t)(a >> 16),
				 (uint8_t)(a >> 8), (uint8_t)a}};
	return r;
}

bool au_parse(const uint8_t *pkt, size_t len, struct au_seg *g)
{
	if (len >= 60 && (pkt[0] >> 4) == 6 && pkt[6] == 6) {
		size_t tot = 40 + (size_t)be16(pkt + 4);
		const uint8_t *t = pkt + 40;
		if (tot > len || tot < 60)
			return false;
		size_t doff = (size_t)(t[12] >> 4) * 4;
		if (doff < 20 || 40 + doff > tot)
			return false;
		memset(g, 0, sizeof(*g));
		memcpy(g->src6.b, pkt + 8, 16);
		memcpy(g->dst6.b, pkt + 24, 16);
		g->sport = be16(t);
		g->dport = be16(t + 2);
		g->seq = be32(t + 4);
		g->ack = be32(t + 8);
		g->flags = t[13];
		g->wnd = be16(t + 14);
		g->len = (uint32_t)(tot - 40 - doff);
		g->sack_hash = sack_hash(t + 20, doff - 20);
		return true;
	}
	if (len < 40 || (pkt[0] >> 4) != 4 || pkt[9] != 6)
		return false;
	size_t ihl = (size_t)(pkt[0] & 15) * 4, tot = be16(pkt + 2);
	if (ihl < 20 || tot > len || tot < ihl + 20)
		return false;
	const uint8_t *t = pkt + ihl;
	size_t doff = (size_t)(t[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > tot)
		return false;
	g->src = be32(pkt + 12);
	g->dst = be32(pkt + 16);
	g->src6 = mapped(g->src);
	g->dst6 = mapped(g->dst);
	g->sport = be16(t);
	g->dport = be16(t + 2);
	g->seq = be32(t + 4);
	g->ack = be32(t + 8);
	g->flags = t[13];
	g->wnd = be16(t + 14);
	g->len = (uint32_t)(tot - ihl - doff);
	g->sack_hash = sack_hash(t + 20, doff - 20);
	return true;
}

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static bool folds_to_ones(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

bool au_csum_ok(const uint8_t *pkt, size_t len)
{
	uint8_t ph[4] = {0};
	if ((pkt[0] >> 4) == 6) {
		size_t tot = 40 + (size_t)be16(pkt + 4);
		if (tot > len)
			return false;
		uint32_t s = sum16(0, pkt + 8, 32); /* source and destination */
		ph[2] = (uint8_t)((tot - 40) >> 8);
		ph[3] = (uint8_t)(tot - 40);
		s = sum16(s, ph, 4) + 6;
		return folds_to_ones(sum16(s, pkt + 40, tot - 40));
	}
	size_t ihl = (size_t)(pkt[0] & 15) * 4, tot = be16(pkt + 2);
	if (tot > len || ihl < 20 || tot < ihl || !folds_to_ones(sum16(0, pkt, ihl)))
		return false;
	uint32_t s = sum16(0, pkt + 12, 8);
	ph[1] = 6;
	ph[2] = (uint8_t)((tot - ihl) >> 8);
	ph[3] = (uint8_t)(tot - ihl);
	s = sum16(s, ph, 4);
	return folds_to_ones(sum16(s, pkt + ihl, tot - ihl));
}

/* The end of a segment in sequence space; whether it reaches past end. */
static uint32_t seg_end(const struct au_seg *g)
{
	return g->seq + g->len + !!(g->flags & TH_FIN) + !!(g->flags & TH_SYN);
}

static bool beyond(bool seen, uint32_t end, const struct au_seg *g)
{
	return !seen || (int32_t)(seg_end(g) - end) > 0;
}

/* A FIN counts as news the first time only: a FIN sent again, with no
 * data, in answer to an ACK is half of a ping-pong. (Its receiver's
 * answer still counts as prompted: a FIN asks for an ACK, a duplicate
 * too, RFC 9293 3.10.7.4.) */
static bool carries_news(const struct au_side *a, const struct au_seg *g)
{
	return g->len || (g->flags & (TH_SYN | TH_RST)) || !a->out_seen ||
	       ((g->flags & TH_FIN) && beyond(a->end_seen, a->max_end, g)) ||
	       g->ack != a->last_ack || g->wnd != a->last_wnd || g->sack_hash != a->last_sack;
}

void au_left(struct au_side *a, uint8_t flags)
{
	a->pkts++;
	a->last_out_refused = false;
	if (!(flags & TH_RST))
		return;
	a->rsts++;
	if (!a->tcb_seen)
		a->rsts_no_tcb++;
	if (a->tcb_seen && a->gone)
		a->rsts_after_gone++;
}

bool au_sent(struct au_side *a, struct au_side *peer, const struct au_seg *g, uint64_t now_us,
	     uint64_t round_us, char *why, size_t whylen)
{
	(void)peer;
	au_left(a, g->flags);
	/* RFC 9293 3.10.7.4: SYN-RECEIVED answers an unacceptable ACK with an
	 * RST; FreeBSD's syncache_expand() also refuses a segment outside its
	 * window so (seed 4009197: the client's answer to a duplicated SYN-ACK,
	 * at the window's right edge, reset the client). */
	if ((g->flags & TH_RST) && a->tcb_seen && a->state == GT_TCP_SYN_RECEIVED)
		a->rsts_synrcvd++;
	if ((g->flags & (TH_SYN | TH_ACK)) == TH_SYN && !a->has_iss) {
		a->iss = g->seq;
		a->has_iss = true;
	}
	/* SYN-SENT answers an ACK that does not acknowledge its SYN (an
	 * older connection's TCB, half-open on the same tuple, RFC 9293
	 * 3.10.7.3) with an RST and waits for its retransmission timer
	 * (FreeBSD 14's tcp_do_segment(), "goto dropwithreset"; Linux's
	 * tcp_rcv_synsent_state_process(), "goto reset_and_undo"): that SYN
	 * did not open the connection. A SYN sent after it clears the mark.
	 * (connect() traces CLOSED -> SYN_SENT before the swarm knows the
	 * side: a side with a SYN out and no state traced is in SYN_SENT.) */
	if (a->tcb_seen ? a->state == GT_TCP_SYN_SENT : a->has_iss) {
		if (g->flags & TH_RST)
			a->synsent_reset = true;
		else if ((g->flags & (TH_SYN | TH_ACK)) == TH_SYN)
			a->synsent_reset = a->synsent_answer_lost = false;
	}
	a->chal_in_flight = a->chal_next;
	a->chal_next = false;
	bool news = carries_news(a, g);
	/* Its sequence space starts at its SYN; anything sent before one
	 * on the tuple was its host's answer from no TCB (seed 40021490 at
	 * plan 2: a client's first "segment" an RST its host sent to an
	 * aborted connection's data from the same port). */
	if (!a->out_seen || ((g->flags & TH_SYN) && !a->syn_out)) {
		a->first_seq = g->seq;
		if (g->flags & TH_SYN) {
			a->syn_out = true;
			a->end_seen = false;
		}
	}
	if (beyond(a->end_seen, a->max_end, g)) {
		a->max_end = seg_end(g);
		a->end_seen = true;
	}
	a->out_seen = true;
	a->last_ack = g->ack;
	a->last_seq = g->seq;
	a->last_flags = g->flags;
	a->last_wnd = g->wnd;
	a->last_sack = g->sack_hash;
	if (news || a->prompted) {
		a->chain = 0;
		return false;
	}
	a->empties++;
	a->chain = a->peer_chain + 1;
	if (now_us - a->win_start_us > round_us) {
		a->win_start_us = now_us;
		a->win_empty = 0;
	}
	/* TIME_WAIT answers every segment that is not its in-window pure
	 * ACK (FreeBSD's tcp_twcheck(); Linux rate-limits these, one per
	 * tcp_invalid_ratelimit, and glasstcp's compact entries do not):
	 * reordered old ACKs get a burst of answers that the closed peer
	 * never answers. Only a ping-pong fails there. */
	if (a->state == GT_TCP_TIME_WAIT)
		goto chain;
	a->win_empty++;
	if (a->win_empty > a->max_win_empty)
		a->max_win_empty = a->win_empty;
	if (a->win_empty > (a->storm_per_rtt ? a->storm_per_rtt : AU_STORM_PER_RTT)) {
		snprintf(why, whylen, "%u segments within %.3f ms (a round trip) that carry no new "
			 "data, ACK, window or SACK block and answer nothing (ack %u win %u)",
			 a->win_empty, (double)round_us / 1e3, g->ack, g->wnd);
		return true;
	}
chain:
	if (a->chain > AU_STORM_CHAIN) {
		snprintf(why, whylen, "an ACK ping-pong %u rounds long: each side answers the "
			 "other's segment that carried nothing new (ack %u win %u)", a->chain, g->ack,
			 g->wnd);
		return true;
	}
	return false;
}

void au_fate(struct au_side *a, const struct au_seg *g, int fate, uint64_t now_us)
{
	switch (fate) {
	case GT_SIM_LOST:
	case GT_SIM_QUEUE_DROP:
	case GT_SIM_MTU_DROP:
		a->lost++;
		break;
	case GT_SIM_DOWN_DROP:
		a->lost++;
		a->partitioned++;
		break;
	case GT_SIM_CORRUPTED:
		a->corrupted++;
		break;
	case GT_SIM_DUPLICATED:
		if (g->flags & TH_RST)
			a->rsts_dup++;
		return;
	default:
		return;
	}
	a->lost_last_us = now_us;
	if (a->chal_in_flight)
		a->chal_ack_lost = true;
	if (g->flags & TH_RST)
		a->rsts_lost++;
}

void au_delivered(struct au_side *a, const struct au_side *from, const struct au_seg *g,
		  uint64_t now_us)
{
	/* Heard by its TCB: what reaches its host after the TCB ended (an
	 * RST's answer from no TCB) is not news its timers could have had
	 * (seed 30084955: a Linux server's keepalive gave up through a
	 * partition; the client's retransmission reached the host 14 s
	 * later, just before the work ended, and "nothing lost since it
	 * last heard its peer" was read at that instant). */
	/* Nor an RST that SYN-SENT drops unread: one whose ACK does not
	 * acknowledge its SYN, or with no ACK (RFC 9293 3.10.7.3; seed
	 * 55012526: an older connection's server on the same tuple gave up
	 * by keepalive after a partition, and its RST reached the new
	 * client, whose SYNs had all been lost in the partition, as "heard"
	 * the instant before its connect timer ran out). */
	bool synsent = a->tcb_seen ? a->state == GT_TCP_SYN_SENT : a->has_iss;
	bool dropped_rst = synsent && (g->flags & TH_RST) &&
			   (!(g->flags & TH_ACK) || g->ack != a->iss + 1);
	if (!a->gone && !dropped_rst)
		a->rx_last_us = now_us;
	if (g->flags & TH_RST) {
		a->rsts_in++;
		if (!a->tcb_seen)
			a->rsts_in_no_tcb++;
		if (from)
			a->rst_pend = !a->tcb_seen ? AU_RST_BEFORE
				      : a->gone  ? AU_RST_AFTER_GONE
						 : AU_RST_ALIVE;
	}
	/* Data, SYN, FIN or RST each deserve an answer (RFC 9293 3.10.7.4,
	 * RFC 5681 4.2's duplicate ACKs, RFC 5961's challenge ACKs); a
	 * segment with nothing in it deserves none. */
	/* A zero-window probe or a keepalive (one below what it acknowledged,
	 * no data or one byte) asks for an ACK too (RFC 9293 3.8.6.1, RFC 1122
	 * 4.2.3.6), however many come at once. */
	bool probe = a->out_seen && g->len <= 1 && g->seq == a->last_ack - 1;
	/* FreeBSD's partial ACK in a SACK recovery asks for one (TF_ACKNOW;
	 * acknow_answers): an ACK of data the side had not heard acknowledged
	 * before, so each prompts once and a ping-pong still fails. */
	bool acks_new = from && (g->flags & TH_ACK) && !(g->flags & TH_RST) && a->end_seen &&
			(int32_t)(g->ack - a->max_end) <= 0 &&
			(!a->ack_in_seen || (int32_t)(g->ack - a->ack_in_max) > 0);
	if (acks_new) {
		a->ack_in_max = g->ack;
		a->ack_in_seen = true;
		a->ack_adv_us = now_us;
	}
	if (!from || g->len || probe || (g->flags & (TH_SYN | TH_FIN | TH_RST)) ||
	    (acks_new && a->acknow_answers)) {
		a->prompted = true;
		a->peer_chain = 0;
	} else {
		a->peer_chain = from->chain;
	}
}

void au_rst_settled(struct au_side *a, uint32_t rx)
{
	uint8_t pend = a->rst_pend;
	a->rst_pend = AU_RST_NONE;
	if (pend == AU_RST_BEFORE)
		a->rst_in_before++;
	else if (pend == AU_RST_AFTER_GONE)
		a->rst_in_after_gone++;
	else if (pend != AU_RST_ALIVE)
		return;
	else if (a->gone)
		a->rst_in_taken++;
	else if (rx & AU_RX_RST_OOW)
		a->rst_in_oow++;
	else if (rx & AU_RX_RST_HELD)
		a->rst_in_held++;
	else if (rx & AU_RX_RST_CHAL) {
		a->rst_in_chal++;
		a->chal_next = true;
		a->chal_ack_lost = false;
	}
	else
		a->rst_unread++;
}

void au_rst_paused(struct au_side *a)
{
	if (a->rst_pend == AU_RST_NONE)
		return;
	a->rst_pend = AU_RST_NONE;
	a->rst_in_paused++;
}

void au_trace(struct au_side *a, const struct gt_trace_event *ev)
{
	switch (ev->type) {
	case GT_TRACE_RTO:
		a->rto_fires++;
		a->prompted = true;
		break;
	case GT_TRACE_TIMER_ARM:
		/* The entry's 2MSL timer started again: a duplicate FIN in
		 * either profile, and in Linux's what it accepts or answers
		 * (tw_input()). */
		if (ev->a == GT_TIMER_TIME_WAIT && a->tw && !a->tw_expired && !a->tw_reused)
			a->tw_fin_us = ev->now_us;
		break;
	case GT_TRACE_TIMER_FIRE:
		a->timer_fires++;
		a->prompted = true;
		if (ev->a == GT_TIMER_TIME_WAIT && a->tw && !a->tw_reused) {
			a->tw_out_us = ev->now_us;
			a->tw_expired = true;
		}
		break;
	case GT_TRACE_STATE:
		if (!a->tcb_seen && ev->b == GT_TCP_SYN_RECEIVED && ev->reason &&
		    strcmp(ev->reason, AU_COOKIE_BUILT) == 0)
			a->cookie_built = true;
		/* A TCB built for the tuple after the record's handshake TCB
		 * had ended in SYN-RECEIVED: a SYN cookie's (seed 88901738 at
		 * plan 3: a FreeBSD server's syncache entry freed by
		 * syncache_expand() at a keepalive probe below its IRS, then the
		 * next segment's cookie; seed 87039394 at plan 4: conn 3, a
		 * FreeBSD server's entry expired after a partition, the client's
		 * last SYN retry answered by a cookie). The side is judged by the
		 * TCB it ended with, so the record's end starts again, and the
		 * RSTs its host sent in between count as sent without a TCB (a
		 * listener's), as before the first. Only after SYN-RECEIVED: a
		 * record that ended from a synchronized state belongs to an
		 * earlier connection on a reused tuple, and reopening it handed
		 * the new connection's TCB to it (seed 89500604: "accepted an
		 * unknown peer", tuple_owner(), conn_for_peer()). */
		bool cookie = ev->reason && strcmp(ev->reason, AU_COOKIE_BUILT) == 0;
		if (a->tcb_seen && a->gone && ev->a == GT_TCP_CLOSED && ev->b == GT_TCP_SYN_RECEIVED &&
		    a->gone_from == GT_TCP_SYN_RECEIVED) {
			a->gone = false;
			a->gone_from = 0;
			a->gone_us = 0;
			a->gone_why = 0;
			a->rsts_no_tcb += a->rsts_after_gone;
			a->rsts_after_gone = 0;
			a->cookie_built = cookie;
			/* And every RST that reached the host for the tuple
			 * came before this TCB, as one to a listener does: the
			 * peer's abort that overtook its handshake ACK and
			 * ended the SYN-RECEIVED TCB, whose ACK a cookie then
			 * rebuilt (seed 95501286 at plan 5: conn 15, a FreeBSD
			 * server whose listener overflowed within 15 s, so
			 * syncache_expand() tries the cookie once
			 * syncache_chkrst() has freed the entry; neither kernel
			 * remembers the RST, cookie_after_rst()). */
			a->rsts_in_no_tcb = a->rsts_in;
		}
		a->tcb_seen = true;
		a->state = (uint8_t)ev->b;
		if (ev->b == GT_TCP_FIN_WAIT_1)
			a->fin_wait = true;
		if (ev->b == GT_TCP_CLOSE_WAIT)
			a->close_wait = true;
		if (ev->a == GT_TCP_TIME_WAIT && ev->b == GT_TCP_CLOSED && a->tw &&
		    !a->tw_expired && ev->reason && strcmp(ev->reason, AU_TW_RST) == 0) {
			/* An RST at RCV.NXT ended it (tcp_rfc1337 off). */
			a->tw_killed = true;
			a->tw_out_us = ev->now_us;
		}
		if (ev->a == GT_TCP_TIME_WAIT && ev->b == GT_TCP_CLOSED && a->tw)
			a->tw_left = true;
		if (ev->b == GT_TCP_TIME_WAIT && !a->tw) {
			a->tw = true;
			a->tw_in_us = a->tw_fin_us = ev->now_us;
		}
		if ((ev->b == GT_TCP_CLOSED || ev->b == GT_TCP_TIME_WAIT) && !a->gone &&
		    ev->a != GT_TCP_TIME_WAIT) {
			a->gone = true;
			a->gone_from = (uint8_t)ev->a;
			a->gone_us = ev->now_us;
			if (ev->b == GT_TCP_TIME_WAIT)
				a->gone_why |= AU_END_TW;
		}
		break;
	default:
		break;
	}
}

void au_end_counters(struct au_side *a, const struct gt_stats *b, const struct gt_stats *n)
{
	a->gone_why |= (n->TcpAbortOnTimeout != b->TcpAbortOnTimeout ? AU_END_TIMEOUT : 0) |
		       (n->TcpKeepAliveAborts != b->TcpKeepAliveAborts ? AU_END_KEEPALIVE : 0) |
		       (n->TcpFinWait2Timeouts != b->TcpFinWait2Timeouts ? AU_END_FIN2 : 0) |
		       (n->TcpAbortOnLinger != b->TcpAbortOnLinger ? AU_END_LINGER : 0) |
		       (n->TcpAbortOnClose != b->TcpAbortOnClose ? AU_END_CLOSE : 0) |
		       (n->TcpAbortOnData != b->TcpAbortOnData ? AU_END_DATA : 0) |
		       (n->TcpEstabResets != b->TcpEstabResets ? AU_END_RST : 0) |
		       (n->TcpAttemptFails != b->TcpAttemptFails ? AU_END_ATTEMPT : 0) |
		       (n->TcpIcmpAborts != b->TcpIcmpAborts ? AU_END_ICMP : 0) |
		       (n->TWOverflow != b->TWOverflow ? AU_END_TWOVERFLOW : 0) |
		       (n->TcpProgDrops != b->TcpProgDrops ? AU_END_PROGRESS : 0) |
		       (n->TcpAbortOnMemory != b->TcpAbortOnMemory ? AU_END_ORPHANS : 0);
}

uint32_t au_rx_counters(const struct gt_stats *b, const struct gt_stats *n, bool rst)
{
	return (rst && (n->TcpAckSkipped != b->TcpAckSkipped ||
			n->TcpChallengeAckLimited != b->TcpChallengeAckLimited)
			? AU_RX_RST_HELD : 0) |
	       (rst && n->TcpOutOfWindow != b->TcpOutOfWindow ? AU_RX_RST_OOW : 0) |
	       (rst && n->TcpChallengeAcks != b->TcpChallengeAcks ? AU_RX_RST_CHAL : 0) |
	       (n->TcpSynDrops != b->TcpSynDrops || n->TcpListenOverflows != b->TcpListenOverflows ||
				n->TWSynDropped != b->TWSynDropped
			? AU_RX_SYNDROP : 0) |
	       (n->TcpConnLimit != b->TcpConnLimit || n->TcpBufLimit != b->TcpBufLimit ? AU_RX_LIMIT
										: 0) |
	       (n->TcpNoPort != b->TcpNoPort ? AU_RX_NOPORT : 0) |
	       (n->TcpSyncookiesFailed != b->TcpSyncookiesFailed ? AU_RX_COOKIE : 0) |
	       (n->TcpInErrs != b->TcpInErrs || n->IpInHdrErrors != b->IpInHdrErrors ? AU_RX_BAD
										      : 0) |
	       (n->TcpPAWSDrop != b->TcpPAWSDrop ? AU_RX_PAWS : 0) |
	       (n->TcpListenOverflows != b->TcpListenOverflows ? AU_RX_QFULL : 0);
}

bool au_lossy(const struct au_side *a, const struct au_side *b)
{
	return a->lost || a->corrupted || b->lost || b->corrupted;
}

bool au_lost_since_heard(const struct au_side *a, const struct au_side *b)
{
	return (a->lost || a->corrupted || b->lost || b->corrupted) &&
	       (a->lost_last_us >= a->rx_last_us || b->lost_last_us >= a->rx_last_us);
}

bool au_refused_since_heard(const struct au_side *a, const struct au_side *b)
{
	bool peer = b->refused && b->refused_last_us >= a->rx_last_us &&
		    b->refused_last_us >= b->rx_last_us;
	bool own = a->refused && a->last_out_refused && a->refused_last_us >= a->rx_last_us;
	return peer || own;
}

const char *swarm_verdict_name(int v)
{
	static const char *const names[SWARM_V_COUNT] = {
		"clean", "own-linger", "timeout-after-loss", "timeout-peer-gone", "timeout-peer-paused",
		"listener-closed",
		"peer-host-refused", "peer-app-abort", "peer-gave-up", "icmp", "own-limit", "short-by-plan",
		"peer-failed", "never-accepted", "half-open-closed", "sliver-window",
		"reass-full", "ts-disagree", "old-tcb-reset", "old-tcb-lost", "timeout-in-flight", "wl1-beyond", "lowat-trickle",
		"blind-reset", "cookie-after-rst", "cookie-after-own-rst", "reuse-unstarted",
		"no-progress", "hostile-simopen", "timeout-after-refusal", "UNEXPLAINED",
	};
	return v >= 0 && v < SWARM_V_COUNT ? names[v] : "?";
}

const char *swarm_listed_name(int what)
{
	return what == SWARM_LISTED_KEPT_SLIVER ? "kept-sliver" : swarm_verdict_name(what);
}

const char *swarm_half_open_rule_name(int rule)
{
	static const char *const names[SWARM_HO_COUNT] = {
		"none", "no-peer-tcb", "own-refused", "cookie-after-rst", "blind-reset",
		"challenge-refused", "rst-lost", "rst-out-of-window", "rst-challenge-lost",
		"rst-challenge-held", "reset-first", "rst-refused", "silent",
	};
	return rule >= 0 && rule < SWARM_HO_COUNT ? names[rule] : "?";
}

const char *swarm_dim_name(int d)
{
	static const char *const names[SWARM_D_COUNT] = {
#define SWARM_DIM_NAME(name, desc) #name,
		SWARM_DIMS(SWARM_DIM_NAME)
#undef SWARM_DIM_NAME
	};
	return d >= 0 && d < SWARM_D_COUNT ? names[d] : "?";
}

const char *au_time_wait(const struct au_side *a, uint64_t two_msl_us, uint64_t late_us,
			 uint64_t tol_us, bool other_exits, char *buf, size_t len)
{
	if (a->tw && !a->fin_wait)
		return "entered TIME_WAIT without having sent its FIN first";
	if (a->fin_wait && !a->close_wait && a->gone && !a->tw) {
		/* Closed first, and its TCB ended some other way: only a
		 * reset, a timeout, or the TIME_WAIT table's limit may. */
		const uint32_t excuse = AU_END_TIMEOUT | AU_END_KEEPALIVE | AU_END_FIN2 |
					AU_END_LINGER | AU_END_CLOSE | AU_END_DATA | AU_END_RST |
					AU_END_ICMP | AU_END_TWOVERFLOW | AU_END_PROGRESS | AU_END_ORPHANS;
		if (!(a->gone_why & excuse) && !a->rsts_in && !a->rsts &&
		    (a->gone_from == GT_TCP_FIN_WAIT_2 || a->gone_from == GT_TCP_CLOSING)) {
			snprintf(buf, len, "closed first, its close completed in %s, and it never "
				 "entered TIME_WAIT", gt_tcp_state_name(a->gone_from));
			return buf;
		}
	}
	if (!a->tw)
		return NULL;
	if (!a->tw_expired)
		return a->tw_reused || a->tw_killed || other_exits || (a->gone_why & AU_END_TWOVERFLOW)
			       ? NULL
			       : "left TIME_WAIT without its 2MSL timer expiring";
	uint64_t held = a->tw_out_us - a->tw_in_us, since_fin = a->tw_out_us - a->tw_fin_us;
	if (held + tol_us < two_msl_us || since_fin + tol_us < two_msl_us ||
	    since_fin > two_msl_us + late_us + tol_us) {
		snprintf(buf, len, "TIME_WAIT held %.6f s (%.6f s after its timer last started), "
			 "2MSL is %.6f s, its timer %.6f s late at most", (double)held / 1e6,
			 (double)since_fin / 1e6, (double)two_msl_us / 1e6, (double)late_us / 1e6);
		return buf;
	}
	return NULL;
}
