/* Explicit Congestion Notification in TCP (RFC 3168 6.1): the handshake
 * that agrees on it (ECE|CWR on the SYN, ECE on the SYN-ACK), ECT(0) on new
 * data, the receiver's ECE from a CE mark until the sender's CWR, and the
 * sender's response, once per window of data, with CWR on the next new
 * data. What differs between the profiles is in struct gt_config: FreeBSD's
 * tcp_ecn.c and Linux's tcp_ecn_* functions were read for each rule.
 *
 * AccECN (RFC 9768) as FreeBSD's tcp_ecn.c has it, ecn 3 (ask and accept)
 * and 4 (accept): AE|CWR|ECE on the SYN; the SYN-ACK's ACE field tells the
 * IP-ECN field the SYN arrived with, the handshake's last ACK that of the
 * SYN-ACK (3.1.5 table 3); from then on every segment carries in ACE the
 * low 3 bits of the CE marks received (r.cep, from 5), and the sender
 * takes a growth of the peer's count as a congestion signal (CC_ECN, once
 * per window as an ECE). FreeBSD sends no AccECN option and reads none, and
 * nothing in tcp_ecn.c sets TF2_ECN_USE_ECT1: ECT(0) as with RFC 3168.
 * Linux has no AccECN here: 6.18 refuses tcp_ecn 3 (`unshare -n sysctl -w
 * net.ipv4.tcp_ecn=3`: Invalid argument), so the Linux profile never asks.
 */
#include "tcp/tcp.h"

#define ECN_MASK 3u
#define ECN_ECT1 1u
#define ECN_ECT0 2u
#define ECN_CE 3u

static bool accecn(const gt_stack *s)
{
	return s->cfg.ecn == 3 || s->cfg.ecn == 4;
}

/* The ACE field: ECE the low bit, CWR the middle, AE the high (RFC 9768
 * 3.2.2; FreeBSD's tcp_ecn_get_ace()). */
static unsigned ace_of(const struct tcp_hdr *h)
{
	return (h->flags & TH_ECE ? 1u : 0u) | (h->flags & TH_CWR ? 2u : 0u) | (h->ae ? 4u : 0u);
}

/* The ACE value that reports an IP-ECN field during the handshake (RFC
 * 9768 3.1.5 table 3): Not-ECT 0b010, ECT(1) 0b011, ECT(0) 0b100, CE
 * 0b110. The SYN-ACK (tcp_ecn_syncache_respond()) and the last ACK
 * (t_rcep in tcp_ecn_input_syn_sent()) use the same values. */
static unsigned ace_handshake(unsigned ipecn)
{
	static const uint8_t code[4] = {2, 3, 4, 6};
	return code[ipecn & ECN_MASK];
}

uint8_t tcp_ecn_syn_flags(const gt_stack *s, struct tcp_conn *c, bool *ae)
{
	/* RFC 3168 6.1.1: an ECN-setup SYN has ECE and CWR; AccECN's has AE
	 * too (RFC 9768 3.1.1). A retransmitted SYN asks again only up to
	 * ecn_syn_retries (FreeBSD's tcp_ecn_output_syn_sent(): t_rxtshift
	 * <= ecn.maxretries, either form; Linux's tcp_ecn_clear_syn():
	 * never), in case the first was dropped for asking (RFC 3168
	 * 6.1.1.1). */
	*ae = false;
	if (s->cfg.ecn != 1 && s->cfg.ecn != 3)
		return 0;
	if (c->syn_retries == 0)
		c->ecn_asked = true;
	if (!c->ecn_asked || c->syn_retries > s->cfg.ecn_syn_retries)
		return 0;
	*ae = s->cfg.ecn == 3;
	return TH_ECE | TH_CWR;
}

static void negotiated(gt_stack *s, struct tcp_conn *c)
{
	c->ecn_ok = true;
	c->ecn_recover = c->snd_una;
	s->st.TcpECNNegotiated++;
}

/* AccECN agreed, the peer's SYN having arrived with IP-ECN field ipecn
 * (FreeBSD counts tcps_ace_* on each SYN-ACK it sends or takes; here
 * once per connection, as TcpECNNegotiated). */
static void ace_negotiated(gt_stack *s, struct tcp_conn *c, unsigned ipecn)
{
	negotiated(s, c);
	c->ace_ok = true;
	c->ace_est = false;
	c->ace_news = false;
	switch (ipecn & ECN_MASK) {
	case ECN_ECT0: s->st.TcpAccECNSynECT0++; break;
	case ECN_ECT1: s->st.TcpAccECNSynECT1++; break;
	case ECN_CE: s->st.TcpAccECNSynCE++; break;
	default: s->st.TcpAccECNSynNotECT++; break;
	}
}

void tcp_ecn_passive(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *syn)
{
	/* RFC 3168 6.1.1: a SYN with ECE and CWR asks; any ecn setting but 0
	 * accepts (FreeBSD's tcp_ecn_syncache_add(), Linux's
	 * tcp_ecn_create_request()). */
	if (s->cfg.ecn_ect_syn_refused && (s->rx_tos & ECN_MASK))
		return;
	if (!s->cfg.ecn)
		return;
	unsigned ace = ace_of(syn), ipecn = s->rx_tos & ECN_MASK;
	/* FreeBSD's tcp_ecn_syncache_add(): AE|CWR|ECE asks for AccECN, which
	 * ecn 3 and 4 grant, 1 and 2 answer as RFC 3168; CWR|ECE is RFC 3168
	 * whatever ecn is; any other combination but none is AccECN's
	 * (RFC 9768 3.1.2: a later variant's SYN) for ecn 3 and 4, nothing
	 * otherwise. */
	if (ace == 3 || (ace == 7 && !accecn(s))) {
		negotiated(s, c);
		return;
	}
	if (ace == 0 || !accecn(s))
		return;
	ace_negotiated(s, c, ipecn);
	c->ace_syn_ecn = (uint8_t)ipecn;
	/* tcp_ecn_syncache_socket(): both counts from 5, from 6 after a CE
	 * SYN (RFC 9768 3.2.2.2: r.cep counts the SYN's mark). */
	c->ace_rcep = c->ace_scep = ipecn == ECN_CE ? 6 : 5;
}

void tcp_ecn_dupsyn(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *syn)
{
	/* FreeBSD's syncache_add(), an entry found (sobomax/freebsd14_vendor
	 * 0f7ff34): "Disable ECN if needed": SCF_ECN is cleared when the
	 * duplicate SYN's flags lack ECE or CWR; one that asks again does not
	 * set it. The SYN-ACK it resends has no ECE (syncache_respond()), and
	 * syncache_socket() gives the connection no TF2_ECN_PERMIT. That
	 * tree has no AccECN (SCF_ACE_* are in rscheff/freebsd-src 1343572,
	 * whose duplicate-SYN path clears no ECN flag at all): an AccECN
	 * entry keeps its agreement here. */
	if (!c->ecn_ok || c->ace_ok || (syn->flags & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR))
		return;
	c->ecn_ok = false;
	c->ecn_ece = false;
	c->ecn_cwr = false;
	s->st.TcpECNDupSynOff++;
}

static void syn_sent_agree(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *h)
{
	uint8_t flags = h->flags;
	if (!s->cfg.ecn)
		return;
	bool may = c->ecn_asked || s->cfg.ecn_synack_unasked;
	if ((flags & TH_ACK) && may && accecn(s)) {
		/* FreeBSD's tcp_ecn_input_syn_sent() with ecn 3 or 4: the
		 * SYN-ACK's ACE field says how our SYN arrived (RFC 9768 3.1.1
		 * table 2); ECE alone falls back to RFC 3168, anything else to
		 * no ECN. A CE-marked SYN brings the initial window to 2
		 * segments there (which tcp_start_cc() sets again at ESTABLISHED
		 * here); FreeBSD counts that case as tcps_ace_nect. */
		unsigned ace = ace_of(h);
		switch (ace) {
		case 1:
			negotiated(s, c);
			break;
		case 2: case 3: case 4: case 6:
			ace_negotiated(s, c, ace == 3 ? ECN_ECT1 : ace == 4 ? ECN_ECT0 : 0);
			c->ace_scep = ace == 6 ? 6 : 5;
			if (ace == 6)
				c->cwnd = 2u * c->mss;
			/* What the handshake's last ACK tells (table 3). */
			c->ace_rcep = (uint8_t)ace_handshake(s->rx_tos);
			break;
		default:
			break;
		}
		return;
	}
	if (flags & TH_ACK) {
		/* A SYN-ACK agrees with ECE alone (RFC 3168 6.1.1; ECE|CWR is
		 * a SYN reflected by a broken middlebox). */
		if (may && (flags & (TH_ECE | TH_CWR)) == TH_ECE)
			negotiated(s, c);
		return;
	}
	/* Simultaneous open: the peer's SYN asks as ours did; FreeBSD's
	 * tcp_ecn_input_parallel_syn() accepts whatever we sent, Linux's
	 * tcp_ecn_rcv_syn() only if we asked. Our SYN-ACK then carries ECE.
	 * With ecn 3 or 4 FreeBSD takes AE|CWR|ECE as AccECN; our SYN-ACK
	 * reports the SYN's field as a listener's would, and the peer's
	 * SYN-ACK is taken as a listener takes the handshake's last ACK
	 * (FreeBSD leaves t_scep at 0 here, and would read the SYN-ACK's
	 * code as new CE marks). */
	if (may && accecn(s) && ace_of(h) == 7) {
		ace_negotiated(s, c, s->rx_tos);
		c->ace_syn_ecn = s->rx_tos & ECN_MASK;
		c->ace_rcep = c->ace_scep = (s->rx_tos & ECN_MASK) == ECN_CE ? 6 : 5;
		return;
	}
	if (may && (flags & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR))
		negotiated(s, c);
}

void tcp_ecn_syn_sent(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *h)
{
	syn_sent_agree(s, c, h);
	if (!c->ecn_ok)
		c->ecn_cwr = false; /* queued by a SYN timeout, for nothing */
	if (c->ace_ok)
		c->ecn_cwr = false; /* AccECN has no CWR to send */
}

uint8_t tcp_ecn_output(gt_stack *s, struct tcp_conn *c, uint32_t seq, uint32_t len,
		       uint8_t *flags, bool *ae)
{
	*ae = false;
	if (!c->ecn_ok || (*flags & TH_RST))
		return 0;
	if (*flags & TH_SYN) {
		if (!(*flags & TH_ACK))
			return 0;
		if (c->ace_ok) {
			/* tcp_ecn_syncache_respond(): the SYN's IP-ECN field
			 * in ACE (RFC 9768 3.1.1 table 2). */
			unsigned ace = ace_handshake(c->ace_syn_ecn);
			*flags = (uint8_t)((*flags & ~(TH_ECE | TH_CWR)) | (ace & 1u ? TH_ECE : 0) |
					   (ace & 2u ? TH_CWR : 0));
			*ae = ace & 4u;
			return 0;
		}
		/* The SYN-ACK of an ECN connection (RFC 3168 6.1.1). */
		*flags |= TH_ECE;
		return 0;
	}
	/* RFC 3168 6.1.5: ECT only on new data, never on retransmissions,
	 * pure ACKs or window probes (FreeBSD's tcp_ecn_output_established(),
	 * Linux's tcp_ecn_send()). */
	bool new_data = len && !seq_lt(seq, c->snd_max) && !(c->persist && len == 1);
	uint8_t ect = new_data ? ECN_ECT0 : 0;
	if (c->ace_ok) {
		/* RFC 9768 3.2.2: every segment carries r.cep mod 8 in ACE;
		 * the handshake's last ACK the SYN-ACK's field, after which
		 * r.cep starts at 5, or 6 for a CE SYN-ACK (FreeBSD's
		 * tcp_ecn_output_established()). */
		unsigned r = c->ace_rcep;
		*flags = (uint8_t)((*flags & ~(TH_ECE | TH_CWR)) | (r & 1u ? TH_ECE : 0) |
				   (r & 2u ? TH_CWR : 0));
		*ae = r & 4u;
		if (!c->ace_est) {
			c->ace_rcep = r == 6 ? 6 : 5;
			c->ace_est = true;
		}
		return ect;
	}
	if (new_data && c->ecn_cwr) {
		/* RFC 3168 6.1.2: CWR on the first new data after the
		 * reduction. */
		*flags |= TH_CWR;
		c->ecn_cwr = false;
		s->st.TcpECNCwrSent++;
	}
	/* RFC 3168 6.1.3: ECE on every segment until the peer's CWR. */
	if (c->ecn_ece)
		*flags |= TH_ECE;
	return ect;
}

/* AccECN's half of FreeBSD's tcp_ecn_input_segment(). */
static void ace_input(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *h)
{
	c->ace_news = false;
	if ((s->rx_tos & ECN_MASK) == ECN_CE)
		c->ace_rcep = (c->ace_rcep + 1u) & 7u;
	unsigned ace = ace_of(h);
	if (!c->ace_est) {
		/* The handshake's last ACK: how our SYN-ACK arrived (table
		 * 3); a CE mark brings cwnd to 2 segments, a mangled value
		 * counts as none. */
		c->ace_scep = ace == 6 ? 6 : 5;
		if (ace == 6)
			c->cwnd = 2u * c->mss;
		c->ace_est = true;
		return;
	}
	/* RFC 9768 3.2.2.5.1: the ACE field grew by d mod 8; when the ACK
	 * newly covers more segments than that (tcp_packets_this_ack()), the
	 * field may have wrapped, and the largest count below that number
	 * with the same remainder is taken. */
	uint32_t pkts = 0;
	if ((h->flags & TH_ACK) && seq_gt(h->ack, c->snd_una))
		pkts = (h->ack - c->snd_una + c->mss - 1) / c->mss;
	uint32_t d = (ace + 8u - c->ace_scep) & 7u;
	if (d < pkts)
		d = pkts - ((pkts - d) & 7u);
	c->ace_scep = (c->ace_scep + d) & 7u;
	c->ace_news = d != 0;
	s->st.TcpAccECNCeReported += d;
}

void tcp_ecn_input(gt_stack *s, struct tcp_conn *c, const struct tcp_hdr *h, uint32_t len)
{
	uint8_t flags = h->flags;
	if ((s->rx_tos & ECN_MASK) == ECN_CE)
		s->st.TcpECNCeRecv++;
	if (!c->ecn_ok)
		return;
	if (c->ace_ok) {
		ace_input(s, c, h);
		return;
	}
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
	c->ecn_cwr = !c->ace_ok; /* AccECN's ACE field carries no CWR */
	c->ecn_recover = c->snd_max;
}

/* The Linux profile's CWR without SACK (tcp_input.c: reno_cwr_step()):
 * where its recovery without SACK runs by PRR too (reno_prr_on()). */
bool tcp_ecn_reno_cwr_on(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.prr && s->cfg.loss_pipe_linux && !c->sack_ok && !s->cfg.recovery_bsd && c->mss &&
	       !s->cfg.ecn_halves_cwnd;
}

void tcp_ecn_echo(gt_stack *s, struct tcp_conn *c, uint8_t flags, uint32_t ack, uint64_t now_us)
{
	if (!c->ecn_ok || (flags & TH_SYN))
		return;
	if (c->ace_ok) {
		/* FreeBSD's tcp_do_segment(): CC_ECN when
		 * tcp_ecn_input_segment() found new CE marks in ACE. */
		bool news = c->ace_news;
		c->ace_news = false;
		if (!news)
			return;
	} else if (!(flags & TH_ECE)) {
		return;
	} else {
		s->st.TcpECNEceRecv++;
	}
	/* RFC 3168 6.1.2: at most once per window of data, and not while a
	 * loss recovery has reduced the window already. Called before the ACK
	 * is processed (FreeBSD's order) or after: the ACK's own value. */
	uint32_t una = seq_gt(ack, c->snd_una) ? ack : c->snd_una;
	if (s->cfg.ecn_halves_cwnd) {
		/* FreeBSD's cc_cong_signal(CC_ECN) (tcp_input.c 2d614aa):
		 * "!IN_CONGRECOVERY(tp->t_flags) || SEQ_GEQ(th->th_ack,
		 * tp->snd_recover)". IN_CONGRECOVERY is a fast recovery
		 * (ENTER_RECOVERY sets both flags; snd_recover its recovery
		 * point) or an ECN reduction; a timeout's EXIT_RECOVERY
		 * clears it, so the first ECE after one reacts, however little
		 * of the flight it acknowledges
		 * (tests/pkt/freebsd/ecn-ece-after-rto-below-snd-max.pkt).
		 * An ECN reduction's snd_recover is SND.MAX + 1 at the ECE
		 * (ecn_recover keeps SND.MAX): an ECE on the ACK of exactly
		 * SND.MAX is still inside the reduction, ignored. */
		if (c->in_recovery ? seq_lt(una, c->recover)
				   : tcp_sack_in_cong(c) && !seq_gt(una, c->ecn_recover))
			return;
	} else if ((c->in_recovery && seq_lt(una, c->recover)) || seq_lt(una, c->ecn_recover)) {
		return;
	}
	if (tcp_rack_in_cwr(c)) {
		/* Linux's tcp_fastretrans_alert() ends CWR only for an ACK
		 * above high_seq (tcp_end_cwnd_reduction(): cwnd ssthresh),
		 * and tcp_enter_cwr() then starts a new one; at high_seq the
		 * CWR state holds and the ECE changes nothing, with SACK or
		 * without (tests/pkt/linux/ecn-ece-no-sack-cwr-prr.pkt,
		 * ecn-ece-at-cwr-high-seq-changes-nothing.pkt). */
		if (!seq_gt(una, tcp_rack_cwr_high(c)))
			return;
		tcp_rack_cwr_end(c);
	}
	if (s->cfg.ecn_halves_cwnd) {
		/* cc_cong_signal(CC_ECN): NewReno's newreno_cong_signal()
		 * halves cwnd (beta 50; beta_ecn only with cc_do_abe, off);
		 * FreeBSD's CUBIC has its own (cubic_cong_signal()). Both
		 * then set cwnd to the new ssthresh, up as well as down
		 * ("CCV(ccv, snd_cwnd) = cwin", at least two segments: a
		 * cwnd of one after an RTO becomes two;
		 * tests/pkt/freebsd/ecn-ece-after-rto-cwnd-two-segments.pkt).
		 * Neither cc_cong_signal() nor the modules touch
		 * t_bytes_acked or CCF_ABC_SENTAWND on CC_ECN (cc.c,
		 * cc_newreno.c, cc_cubic.c, tcp_input.c; fel1x-developer/
		 * freebsd-src 2d614aa): the count goes on, cc_ack_received()
		 * zeroing it once cwnd <= ssthresh, cc_post_recovery() at
		 * the reduction's end
		 * (tests/pkt/freebsd/ecn-ece-keeps-byte-count.pkt). */
		uint32_t half = c->cwnd / 2 / c->mss;
		if (!c->cc->on_ecn || !c->cc->on_ecn(c, now_us))
			c->ssthresh = (half > 2 ? half : 2) * (uint32_t)c->mss;
		if (c->ss_bsd)
			c->cwnd = c->ssthresh;
		else
			c->bytes_acked = 0;
		tcp_sack_prr_ecn(s, c); /* congestion recovery until SND.MAX, by PRR with prr_bsd */
		if (c->in_recovery && !c->sack_ok) {
			/* The gate let an ECE on a fast recovery's full ACK
			 * through: cc_cong_signal(CC_ECN) clears only
			 * TF_CONGRECOVERY and sets snd_recover = SND.MAX + 1,
			 * and runs first (tcp_do_segment() 2d614aa), so the
			 * ACK's resume_partialack finds TF_FASTRECOVERY and
			 * SEG.ACK below snd_recover: a partial ACK, the
			 * recovery going on to SND.MAX + 1 with both flags;
			 * its end clears both (EXIT_RECOVERY), so no separate
			 * ECN reduction is left (cong off)
			 * (tests/pkt/freebsd/ecn-ece-at-full-ack-partial-ack.pkt).
			 * Without SACK only: with it the recovery that goes on
			 * meets the rescue bytes the profile keeps in
			 * sack_bytes_rexmit past a recovery's end
			 * (rescue_kept), which then hold every new byte back
			 * with nothing in flight to end it (`glasstcp swarm
			 * --profile freebsd --first-seed 98300203` stalled
			 * so; three more of 300 from 98300000 stalled with
			 * SACK too); docs/freebsd.md. */
			c->recover = c->snd_max + 1;
			tcp_sack_prr_cong_end(c);
		}
	} else {
		uint32_t cwnd = c->cwnd;
		c->cc->on_loss(c, now_us);
		/* Linux's CWR: ssthresh now, cwnd brought down to it by PRR
		 * ACK by ACK (tcp_rack.c: cwr_step()), not at once. */
		if (tcp_rack_cwr_enter(s, c))
			c->cwnd = cwnd;
		else if (tcp_ecn_reno_cwr_on(s, c) && !c->in_recovery) {
			/* Without SACK as with it (tcp_try_to_open() ->
			 * tcp_enter_cwr() -> tcp_init_cwnd_reduction()):
			 * prior_cwnd the cwnd, prr_delivered 0, high_seq
			 * SND.MAX (ecn_recover, below); prr_out is what goes
			 * past it. */
			c->ecn_reno_cwr = true;
			c->reno_prr_delivered = 0;
			c->prior_cwnd = cwnd;
			c->cwnd = cwnd;
		}
	}
	if (c->cwnd > c->ssthresh && !tcp_rack_in_cwr(c))
		c->cwnd = c->ssthresh;
	s->st.TcpECNReduce++;
	tcp_ecn_reduced(c);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "ECN echo");
}
