/* Explicit Congestion Notification in TCP (RFC 3168 6.1): the handshake
 * that agrees on it (ECE|CWR on the SYN, ECE on the SYN-ACK), ECT(0) on new
 * data, the receiver's ECE from a CE mark until the sender's CWR, and the
 * sender's response, once per window of data, with CWR on the next new
 * data. What differs between the profiles is in struct gt_config: FreeBSD's
 * tcp_ecn.c and Linux's tcp_ecn_* functions were read for each rule.
 *
 * AccECN (FreeBSD ecn.enable 3 and 4, Linux tcp_ecn 3) is not implemented.
 */
#include "tcp/tcp.h"

#define ECN_MASK 3u
#define ECN_ECT0 2u
#define ECN_CE 3u

uint8_t tcp_ecn_syn_flags(const gt_stack *s, struct tcp_conn *c)
{
	/* RFC 3168 6.1.1: an ECN-setup SYN has ECE and CWR. A retransmitted
	 * SYN asks again only up to ecn_syn_retries (FreeBSD's
	 * tcp_ecn_output_syn_sent(): t_rxtshift <= ecn.maxretries; Linux's
	 * tcp_ecn_clear_syn(): never), in case the first was dropped for
	 * asking (RFC 3168 6.1.1.1). */
	if (s->cfg.ecn != 1)
		return 0;
	if (c->syn_retries == 0)
		c->ecn_asked = true;
	if (!c->ecn_asked || c->syn_retries > s->cfg.ecn_syn_retries)
		return 0;
	return TH_ECE | TH_CWR;
}

static void negotiated(gt_stack *s, struct tcp_conn *c)
{
	c->ecn_ok = true;
	c->ecn_recover = c->snd_una;
	s->st.TcpECNNegotiated++;
}

void tcp_ecn_passive(gt_stack *s, struct tcp_conn *c, uint8_t syn_flags)
{
	/* RFC 3168 6.1.1: a SYN with ECE and CWR asks; any ecn setting but 0
	 * accepts (FreeBSD's tcp_ecn_syncache_add(), Linux's
	 * tcp_ecn_create_request()). */
	if (s->cfg.ecn_ect_syn_refused && (s->rx_tos & ECN_MASK))
		return;
	if (s->cfg.ecn && (syn_flags & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR))
		negotiated(s, c);
}

static void syn_sent_agree(gt_stack *s, struct tcp_conn *c, uint8_t flags)
{
	if (!s->cfg.ecn)
		return;
	bool may = c->ecn_asked || s->cfg.ecn_synack_unasked;
	if (flags & TH_ACK) {
		/* A SYN-ACK agrees with ECE alone (RFC 3168 6.1.1; ECE|CWR is
		 * a SYN reflected by a broken middlebox). */
		if (may && (flags & (TH_ECE | TH_CWR)) == TH_ECE)
			negotiated(s, c);
		return;
	}
	/* Simultaneous open: the peer's SYN asks as ours did; FreeBSD's
	 * tcp_ecn_input_parallel_syn() accepts whatever we sent, Linux's
	 * tcp_ecn_rcv_syn() only if we asked. Our SYN-ACK then carries ECE. */
	if (may && (flags & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR))
		negotiated(s, c);
}

void tcp_ecn_syn_sent(gt_stack *s, struct tcp_conn *c, uint8_t flags)
{
	syn_sent_agree(s, c, flags);
	if (!c->ecn_ok)
		c->ecn_cwr = false; /* queued by a SYN timeout, for nothing */
}

uint8_t tcp_ecn_output(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len,
		       uint8_t *flags)
{
	if (!c->ecn_ok || (*flags & TH_RST))
		return 0;
	if (*flags & TH_SYN) {
		/* The SYN-ACK of an ECN connection (RFC 3168 6.1.1). */
		if (*flags & TH_ACK)
			*flags |= TH_ECE;
		return 0;
	}
	/* RFC 3168 6.1.5: ECT only on new data, never on retransmissions,
	 * pure ACKs or window probes (FreeBSD's tcp_ecn_output_established(),
	 * Linux's tcp_ecn_send()). */
	bool new_data = len && !seq_lt(seq, c->snd_max) && !(c->persist && len == 1);
	uint8_t ect = 0;
	if (new_data) {
		ect = ECN_ECT0;
		if (c->ecn_cwr) {
			/* RFC 3168 6.1.2: CWR on the first new data after the
			 * reduction. */
			*flags |= TH_CWR;
			c->ecn_cwr = false;
			s->st.TcpECNCwrSent++;
		}
	}
	/* RFC 3168 6.1.3: ECE on every segment until the peer's CWR. */
	if (c->ecn_ece)
		*flags |= TH_ECE;
	return ect;
}

void tcp_ecn_input(gt_stack *s, struct tcp_conn *c, uint8_t flags, uint32_t len)
{
	if ((s->rx_tos & ECN_MASK) == ECN_CE)
		s->st.TcpECNCeRecv++;
	if (!c->ecn_ok)
		return;
	if (flags & TH_CWR) {
		c->ecn_ece = false;
		if (s->cfg.ecn_cwr_ack_now || len)
			c->ack_now = true;
	}
	/* The CE mark after the CWR: a segment with both asks again. */
	if ((s->rx_tos & ECN_MASK) == ECN_CE) {
		if (!c->ecn_ece && s->cfg.ecn_ce_quickack) {
			/* Linux's tcp_enter_quickack_mode(sk, 2): the sender's
			 * cwnd may be small, do not hold the ECE back. */
			if (c->quickack < 2)
				c->quickack = 2;
			c->pingpong = false;
			c->ack_now = true;
		}
		c->ecn_ece = true;
	}
}

void tcp_ecn_reduced(struct tcp_conn *c)
{
	/* Any reduction (fast recovery, RTO, ECE) is reported with CWR, and
	 * counts as this window's (FreeBSD's cc_cong_signal(), Linux's
	 * tcp_ecn_queue_cwr()). */
	if (!c->ecn_ok)
		return;
	c->ecn_cwr = true;
	c->ecn_recover = c->snd_max;
}

void tcp_ecn_echo(gt_stack *s, struct tcp_conn *c, uint8_t flags, uint32_t ack, uint64_t now_us)
{
	if (!c->ecn_ok || !(flags & TH_ECE) || (flags & TH_SYN))
		return;
	s->st.TcpECNEceRecv++;
	/* RFC 3168 6.1.2: at most once per window of data, and not while a
	 * loss recovery has reduced the window already. Called before the ACK
	 * is processed (FreeBSD's order) or after: the ACK's own value. */
	uint32_t una = seq_gt(ack, c->snd_una) ? ack : c->snd_una;
	if ((c->in_recovery && seq_lt(una, c->recover)) || seq_lt(una, c->ecn_recover))
		return;
	if (s->cfg.ecn_halves_cwnd) {
		uint32_t half = c->cwnd / 2 / c->mss;
		c->ssthresh = (half > 2 ? half : 2) * (uint32_t)c->mss;
		c->bytes_acked = 0;
		tcp_sack_prr_ecn(s, c); /* congestion recovery until SND.MAX, by PRR with prr_bsd */
	} else {
		c->cc->on_loss(c, now_us);
	}
	if (c->cwnd > c->ssthresh)
		c->cwnd = c->ssthresh;
	s->st.TcpECNReduce++;
	tcp_ecn_reduced(c);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "ECN echo");
}
