/* RACK-TLP (RFC 8985), the Linux profile's loss detection: losses found by
 * time rather than by counting duplicate ACKs, lost retransmissions found
 * without an RTO, reordering telling itself apart from loss, and tail loss
 * probes. The peer has a 100 ms round trip (the handshake's sample), so
 * the reordering window is min_rtt / 4 = 25 ms until RFC 8985 6.2 step 4
 * sets it to zero; ten full segments go out at once (RFC 6928). */
#include "dlg.h"

#define SEG DLG_MSS
#define RTT_US 100000u

static uint8_t data[40 * SEG];

static uint32_t at(const struct dlg *d, uint32_t segs) { return d->iss + 1 + segs * SEG; }

/* Established passively with SACK, the handshake's ACK coming RTT_US after
 * the SYN-ACK, data[] filled; synack_again: the SYN-ACK was resent first
 * (Karn, RFC 6298 3: the handshake gives no RTT sample). */
static struct dlg *sack_established(const struct gt_config *cfg, bool synack_again)
{
	struct dlg *d = dlg_new(cfg);
	d->peer_syn_opts.sack_ok = true;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 11 + 3);
	dlg_syn_received(d);
	if (synack_again) {
		dlg_advance(d, d->cfg.rto_initial_us);
		ASSERT_EQ(dlg_next(d)->h.flags, TH_SYN | TH_ACK);
		dlg_expect_none(d);
	}
	dlg_advance(d, RTT_US);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
	return d;
}


/* Segment seg (1-based) of size bytes each, resent with its data. */
static void expect_sized(struct dlg *d, uint32_t seg, uint32_t size)
{
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1 + (seg - 1) * size);
	ASSERT_EQ(g->len, size);
	ASSERT_MEMEQ(g->data, data + (seg - 1) * size, size);
}

/* Established with a 100 ms handshake; nseg + queued segments written,
 * nseg of them sent. */
static struct dlg *flight_recovery(uint32_t nseg, uint32_t queued, const char *tcp_recovery)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true; /* Linux's, as the profile has it */
	ASSERT(cfg.rack && cfg.tlp); /* Linux's defaults */
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_recovery", tcp_recovery), 0);
	struct dlg *d = sack_established(&cfg, false);
	ASSERT_EQ(gt_send(d->s, d->sd, data, (nseg + queued) * SEG, 0), (nseg + queued) * SEG);
	for (uint32_t i = 0; i < nseg; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, at(d, i));
		ASSERT_EQ(g->len, SEG);
	}
	dlg_expect_none(d);
	return d;
}

static struct dlg *flight(uint32_t nseg, uint32_t queued) { return flight_recovery(nseg, queued, "1"); }

/* The peer's ACK of ack_segs segments, SACKing segments from..to (1-based,
 * inclusive; none when from is 0). */
static void sack(struct dlg *d, uint32_t ack_segs, uint32_t from, uint32_t to)
{
	const uint32_t blk[1][2] = {{(from - 1) * SEG, to * SEG}};
	dlg_peer_sack_bytes(d, ack_segs * SEG, blk, from ? 1 : 0);
}

static void expect_seg(struct dlg *d, uint32_t seg) { expect_sized(d, seg, SEG); }

/* A timeout as the profile arms it: in whole jiffies, rounded up, where it
 * keeps Linux's (cfg.rto_jiffy_us; usecs_to_jiffies() in
 * tcp_rack_mark_lost(), tcp_schedule_loss_probe(),
 * tcp_check_sack_reneging()). */
static uint32_t jiffies_up(const struct dlg *d, uint32_t us)
{
	uint32_t j = d->cfg.rto_jiffy_us;
	return j ? (us + j - 1) / j * j : us;
}

/* RFC 8985 6.2 step 5: one SACKed segment makes the one sent before it
 * lost only once RACK.rtt + the reordering window (25 ms) has passed
 * since it went out: the reordering timer retransmits it then, 2 ms
 * later as Linux arms it (tcp_rack_mark_lost(): timeout +
 * TCP_TIMEOUT_MIN_US), in whole jiffies (28 ms at HZ 250). */
TEST(rack_one_sack_waits_the_reordering_window)
{
	struct dlg *d = flight(10, 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 2);
	dlg_expect_none(d);
	dlg_advance(d, jiffies_up(d, 27000) - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	expect_seg(d, 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* RFC 8985 6.2 step 4: with DupThresh (3) segments SACKed and no
 * reordering seen, the window is zero: the first segment goes again at
 * once, as RFC 6675 would also say. */
TEST(rack_three_sacked_segments_mean_loss_at_once)
{
	struct dlg *d = flight(10, 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_free(d);
}

/* RFC 8985 3.4: a lost retransmission is found like any loss. The
 * retransmission of segment 1 and new segments 11..14 leave together; when
 * those are SACKed a round trip later and segment 1 is not, it went
 * missing again: it is sent a third time, no RTO. */
TEST(rack_finds_a_lost_retransmission)
{
	struct dlg *d = flight(10, 10);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1);
	expect_seg(d, 11); /* PRR: 3 delivered of 10, ssthresh 5: two go */
	dlg_expect_none(d);
	sack(d, 0, 2, 10); /* pipe: the retransmission and 11; refilled to 5 */
	for (uint32_t seg = 12; seg <= 14; seg++)
		expect_seg(d, seg);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 14);
	expect_seg(d, 1);
	ASSERT_EQ(dlg_stats(d)->TcpLostRetransmit, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_free(d);
}

/* A runtime hands the stack a batch of packets at one now_us, so what is
 * sent while handling it shares a time. New segments 11 and 12 go out
 * first, then, at the same instant, the retransmission of segment 2: when
 * 11 and 12 are SACKed a round trip later and 2 not yet, that says nothing
 * of 2's retransmission, which left after them (RFC 8985 6.2's "sent
 * after", decided by the order of transmission, not the higher sequence
 * number: by sequence, 2 was sent a third time). */
/* Pops what is pending: new data perhaps, never segment seg again. */
static void drain_without(struct dlg *d, uint32_t seg)
{
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT(g->h.seq != at(d, seg - 1));
	}
}

TEST(rack_same_instant_retransmission_is_not_overtaken_by_earlier_sends)
{
	struct dlg *d = flight(10, 10);
	dlg_advance(d, RTT_US);
	sack(d, 1, 0, 0); /* segment 1 acked: slow start sends 11 and 12 */
	expect_seg(d, 11);
	expect_seg(d, 12);
	dlg_expect_none(d);
	sack(d, 1, 3, 5); /* same instant: 2 is lost (three SACKed) */
	expect_seg(d, 2);
	drain_without(d, 2); /* PRR may send new data, not 2 */
	dlg_advance(d, RTT_US);
	sack(d, 1, 3, 12);
	drain_without(d, 2);
	dlg_advance(d, RTT_US / 8); /* past RACK.rtt + the window for 11, 12 */
	drain_without(d, 2);
	ASSERT_EQ(dlg_stats(d)->TcpLostRetransmit, 0);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 1);
	dlg_free(d);
}

/* RFC 8985 6.2 step 3: a segment never retransmitted that arrives below
 * one already SACKed was reordered; from then on the window stays at
 * min_rtt / 4 even with three segments SACKed. */
TEST(rack_reordering_seen_keeps_the_window)
{
	struct dlg *d = flight(10, 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 3, 3);
	sack(d, 0, 2, 3); /* segment 2 came late */
	ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 1);
	sack(d, 0, 2, 4);
	dlg_expect_none(d); /* without the reordering seen: at once */
	dlg_advance(d, jiffies_up(d, 27000));
	expect_seg(d, 1);
	dlg_free(d);
}

/* Linux's tcp_recovery bit 4 (TCP_RACK_NO_DUPTHRESH): three SACKed
 * segments no longer zero the window before reordering is seen
 * (tcp_rack_reo_wnd()); the hole waits the 25 ms (+ 2) as one SACK would.
 * tests/pkt/linux/rack-no-dupthresh-waits-reo-wnd.pkt is the kernel's. */
TEST(rack_no_dupthresh_bit_makes_three_sacked_wait_the_window)
{
	struct dlg *d = flight_recovery(10, 0, "5");
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	dlg_expect_none(d);
	dlg_advance(d, jiffies_up(d, 27000) - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	expect_seg(d, 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_free(d);
}

/* A D-SACK widens the reordering window a step (RFC 8985 6.2 step 4,
 * Linux's reo_wnd_steps) when reordering was seen before it (Linux's
 * tcp_dsack_seen(): reord_seen): the next hole waits 2 x 25 ms. With
 * Linux's tcp_recovery bit 2 (TCP_RACK_STATIC_REO_WND,
 * tcp_rack_update_reo_wnd() returns first) it stays 25 ms, as it does
 * for a D-SACK before any reordering. Segment 1 is lost (after segment 3,
 * then 2, were SACKed: reordering) or not (2 and 3 together), resent,
 * reported twice; then 4 is missing below a SACKed 5. The kernel's
 * tests/pkt/linux/rack-reo-wnd-*.pkt and rack-static-reo-wnd-*.pkt. */
static uint64_t hole_wait_after_a_dsack(const char *tcp_recovery, bool reordered)
{
	struct dlg *d = flight_recovery(10, 10, tcp_recovery);
	dlg_advance(d, RTT_US);
	if (reordered) {
		sack(d, 0, 3, 3);
		sack(d, 0, 2, 3);
		ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 1);
	} else {
		sack(d, 0, 2, 3);
	}
	drain_without(d, 1);
	dlg_advance(d, jiffies_up(d, 27000) - 1);
	dlg_expect_none(d);
	dlg_advance(d, 1);
	expect_seg(d, 1);
	dlg_drain(d);
	sack(d, 3, 0, 0);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = at(d, 0);
	o.sack[0].right = at(d, 1);
	dlg_send(d, TH_ACK, d->peer_nxt, at(d, 3), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	dlg_drain(d);
	sack(d, 3, 5, 5);
	uint64_t waited = 0;
	bool resent = false;
	while (!resent && waited < 200000) {
		while (dlg_pending(d))
			if (dlg_next(d)->h.seq == at(d, 3))
				resent = true;
		if (!resent) {
			dlg_advance(d, 1000);
			waited += 1000;
		}
	}
	dlg_free(d);
	return waited;
}

TEST(rack_dsack_widens_the_window_only_after_reordering_and_not_when_static)
{
	/* 2 x 25 + 2 ms, 13 jiffies; 25 + 2 ms rounded up to 7: 28 ms. */
	ASSERT_EQ(hole_wait_after_a_dsack("1", true), 52000);
	ASSERT_EQ(hole_wait_after_a_dsack("1", false), 28000);
	ASSERT_EQ(hole_wait_after_a_dsack("3", true), 28000);
}

/* RFC 8985 7.2, 7.3: with two segments unacknowledged and no ACK coming,
 * the probe timeout (2 SRTT + 2 ms, before the 300 ms RTO) resends the
 * last one; the ACK it earns SACKs it, and RACK then finds the one before
 * lost: recovery without any RTO. */
TEST(tlp_probes_the_tail_and_rack_repairs_the_rest)
{
	struct dlg *d = flight(10, 0);
	dlg_advance(d, RTT_US);
	sack(d, 8, 0, 0);
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t pto = jiffies_up(d, 2 * ti.srtt_us + 2000);
	ASSERT_LT(pto, ti.rto_us);
	dlg_advance(d, pto - 1000);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	expect_seg(d, 10);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbes, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.backoff, 0);
	dlg_advance(d, RTT_US);
	sack(d, 8, 10, 10);
	expect_seg(d, 9);
	dlg_expect_none(d);
	sack(d, 10, 0, 0);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_free(d);
}

/* Linux's tcp_ack() re-arms the retransmission timer only for an ACK of
 * new data (FLAG_SET_XMIT_TIMER): duplicate ACKs leave the probe timeout
 * where the last ACK of new data put it. Each pushing it back, a peer's
 * steady ACKs kept it (and the RTO after it) from ever firing (swarm seed
 * 18002920, where keepalive answers came every 2 s). */
TEST(tlp_not_put_off_by_duplicate_acks)
{
	/* An RTO floor of 1 s, so that only the probe timeout is in play. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.rto_min_us = 1000000;
	struct dlg *d = sack_established(&cfg, false);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	for (uint32_t i = 0; i < 10; i++)
		expect_seg(d, i + 1);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	sack(d, 8, 0, 0);
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t pto = jiffies_up(d, 2 * ti.srtt_us + 2000);
	ASSERT_LT(pto + 400000, ti.rto_us);
	/* A duplicate ACK every 40 ms, past the probe's time. */
	uint32_t t = 0;
	while (t + 40000 < pto) {
		dlg_advance(d, 40000);
		t += 40000;
		sack(d, 8, 0, 0);
		dlg_expect_none(d);
	}
	dlg_advance(d, pto - t - 1000);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	expect_seg(d, 10);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbes, 1);
	dlg_free(d);
}

/* RFC 8985 7.3: a probe carries new data when there is some and the
 * peer's window takes it, cwnd or not. */
TEST(tlp_probe_sends_new_data_first)
{
	struct dlg *d = flight(10, 5);
	dlg_advance(d, RTT_US); /* nothing comes back */
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	dlg_advance(d, 2 * ti.srtt_us + 2000);
	expect_seg(d, 11);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbes, 1);
	ASSERT_EQ(dlg_stats(d)->TcpRetransSegs, 0);
	dlg_free(d);
}

/* The last segment lost, the probe repairs it: its ACK, once past the
 * probe's end (new data acknowledged), tells the probe was not a copy,
 * and cwnd comes down as for any loss (Linux's tcp_process_tlp_ack()). */
static struct dlg *probe_tail(void)
{
	struct dlg *d = flight(10, 0);
	dlg_advance(d, RTT_US);
	sack(d, 9, 0, 0);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	dlg_advance(d, ti.rto_us); /* one segment out: the probe waits out the RTO's time */
	expect_seg(d, 10);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbes, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	return d;
}

TEST(tlp_repairing_a_loss_reduces_cwnd)
{
	struct dlg *d = probe_tail();
	dlg_advance(d, RTT_US);
	sack(d, 10, 0, 0);
	struct gt_tcp_info before;
	dlg_info(d, d->sd, &before);
	ASSERT_EQ(gt_send(d->s, d->sd, data, SEG, 0), SEG);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	sack(d, 11, 0, 0);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbeRecovery, 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_LT(ti.snd_ssthresh_bytes, before.snd_cwnd_bytes);
	ASSERT_LE(ti.snd_cwnd_bytes, ti.snd_ssthresh_bytes + SEG);
	dlg_free(d);
}

/* The original arrived too: the peer reports the probe as a duplicate
 * (RFC 2883), and nothing is reduced. */
TEST(tlp_answered_by_a_dsack_is_no_loss)
{
	struct dlg *d = probe_tail();
	dlg_advance(d, RTT_US);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = at(d, 9);
	o.sack[0].right = at(d, 10);
	dlg_send(d, TH_ACK, d->peer_nxt, at(d, 10), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	ASSERT_EQ(gt_send(d->s, d->sd, data, SEG, 0), SEG);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	sack(d, 11, 0, 0);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbeRecovery, 0);
	dlg_free(d);
}

/* FreeBSD's default stack has neither: RFC 6675 with its rescue
 * retransmission (test_sack_recovery.c). */
TEST(rack_and_tlp_are_linux_profile_only)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(!cfg.rack && !cfg.tlp);
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(cfg.rack && cfg.tlp);
}

/* Linux's dubious D-SACK (tcp_check_dsack(), tcp_dsack_seen()): more
 * duplicates reported, all told, than segments ever retransmitted. The
 * network duplicated the first segment: its D-SACK is skipped
 * (TcpDSACKIgnoredDubious, TcpDSACKRecv still), no reordering, so three
 * SACKed segments resend the hole at once. The D-SACK of that one
 * retransmission is dubious too (2 > 1): nothing undone
 * (tests/pkt/linux/sack-recovery-dsack-dubious-no-undo.pkt, nstat on
 * Linux 6.18: TCPDSACKRecv 2, TCPDSACKIgnoredDubious 2, no TCPDSACKUndo). */
TEST(rack_dubious_dsack_neither_reorders_nor_undoes)
{
	struct dlg *d = flight(10, 0);
	struct gt_tcp_info before, ti;
	dlg_advance(d, RTT_US);
	sack(d, 1, 0, 0);
	dlg_info(d, d->sd, &before);
	dlg_advance(d, 1000);
	const uint32_t dup1[1][2] = {{0, SEG}};
	dlg_peer_sack_bytes(d, SEG, dup1, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 0);
	dlg_advance(d, 10000);
	sack(d, 1, 3, 5);
	expect_seg(d, 2); /* at once: no reordering window */
	dlg_advance(d, 10000);
	sack(d, 10, 0, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	ASSERT_LT(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	dlg_advance(d, 10000);
	const uint32_t dup2[1][2] = {{SEG, 2 * SEG}};
	dlg_peer_sack_bytes(d, 10 * SEG, dup2, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 2);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 0);
	struct gt_tcp_info after;
	dlg_info(d, d->sd, &after);
	ASSERT_EQ(after.snd_cwnd_bytes, ti.snd_cwnd_bytes);
	ASSERT_EQ(after.snd_ssthresh_bytes, ti.snd_ssthresh_bytes);
	dlg_free(d);
}

/* An empty D-SACK block below the cumulative ACK: Linux's tcp_dsack_seen()
 * counts no duplicate for it (!before(start_seq, end_seq)) and
 * tcp_check_dsack() skips it as dubious, so it takes nothing off the
 * recovery's undo count; the real D-SACK of the retransmission then
 * undoes. Before, the empty block counted as one segment and undid the
 * recovery by itself. */
TEST(rack_empty_dsack_block_is_dubious_and_undoes_nothing)
{
	struct dlg *d = flight(10, 10);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_LT(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = o.sack[0].right = at(d, 0);
	dlg_send(d, TH_ACK, d->peer_nxt, at(d, 1), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_LT(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	o.sack[0].right = at(d, 1);
	dlg_send(d, TH_ACK, d->peer_nxt, at(d, 1), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, before.snd_ssthresh_bytes);
	dlg_free(d);
}

/* Linux's tcp_init_undo() at a recovery begun while a tail loss probe's
 * copy is out: undo_retrans starts at 1 for it, so the D-SACK of the fast
 * retransmit alone undoes nothing; the probe's D-SACK then does
 * (tests/pkt/linux/tlp-then-recovery-dsack-undo-needs-both.pkt, nstat on
 * Linux 6.18: TCPLossProbes 1, TCPDSACKUndo 1). */
TEST(rack_recovery_after_a_probe_needs_its_dsack_too)
{
	struct dlg *d = flight(10, 0);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	uint32_t pto = jiffies_up(d, 2 * before.srtt_us + 2000);
	dlg_advance(d, pto);
	expect_seg(d, 10);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLossProbes, 1);
	dlg_advance(d, 10000);
	sack(d, 0, 2, 10);
	expect_seg(d, 1);
	dlg_advance(d, 10000);
	const uint32_t head[1][2] = {{0, SEG}};
	dlg_peer_sack_bytes(d, 10 * SEG, head, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	ASSERT_LT(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	dlg_advance(d, 10000);
	const uint32_t probe[1][2] = {{9 * SEG, 10 * SEG}};
	dlg_peer_sack_bytes(d, 10 * SEG, probe, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	ASSERT_EQ(ti.snd_ssthresh_bytes, before.snd_ssthresh_bytes);
	dlg_free(d);
}

/* The D-SACK of a recovery's only retransmission on the ACK that ends it:
 * Linux's tcp_try_undo_recovery() undoes (TCPFullUndo, not TCPDSACKUndo),
 * cwnd back and grown by the open state's slow start, ssthresh restored
 * (tests/pkt/linux/sack-recovery-end-ack-dsack-full-undo.pkt, Linux 6.18:
 * cwnd 18, TCPFullUndo 1). Before, cwnd became the infinite ssthresh. */
TEST(rack_dsack_on_the_ack_that_ends_recovery_is_a_full_undo)
{
	struct dlg *d = flight(10, 0);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1);
	dlg_advance(d, 10000);
	const uint32_t head[1][2] = {{0, SEG}};
	dlg_peer_sack_bytes(d, 10 * SEG, head, 1);
	ASSERT_EQ(dlg_stats(d)->TcpFullUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	ASSERT_EQ(ti.snd_ssthresh_bytes, before.snd_ssthresh_bytes);
	ASSERT_EQ(ti.snd_cwnd_bytes, before.snd_cwnd_bytes + 8 * SEG);
	dlg_free(d);
}

/* A tail loss probe's copy D-SACKed with no recovery begun: Linux has no
 * undo_marker, tcp_is_sackblock_valid() drops the block
 * (TCPDSACKIgnoredNoUndo) and nothing changes. */
TEST(rack_probe_dsack_without_recovery_is_ignored_no_undo)
{
	struct dlg *d = flight(10, 0);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	dlg_advance(d, jiffies_up(d, 2 * before.srtt_us + 2000));
	expect_seg(d, 10);
	dlg_expect_none(d);
	dlg_advance(d, 10000);
	const uint32_t probe[1][2] = {{9 * SEG, 10 * SEG}};
	dlg_peer_sack_bytes(d, 10 * SEG, probe, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKRecv, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredNoUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKIgnoredDubious, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	ASSERT_EQ(ti.snd_ssthresh_bytes, before.snd_ssthresh_bytes);
	dlg_free(d);
}

/* The first segment was only late: the peer reports the retransmission as
 * a duplicate (RFC 2883). Every retransmission of the recovery was
 * needless, so its reduction is undone (RFC 3708's idea, Linux's
 * tcp_try_undo_dsack()), and the late original counts as reordering: the
 * next three SACKed segments wait the reordering window. */
TEST(rack_dsack_undoes_a_needless_recovery)
{
	struct dlg *d = flight(10, 10);
	struct gt_tcp_info before, ti;
	dlg_info(d, d->sd, &before);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_LT(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = at(d, 0);
	o.sack[0].right = at(d, 1);
	dlg_send(d, TH_ACK, d->peer_nxt, at(d, 4), DLG_WIN, NULL, 0, &o);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReorder, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_GE(ti.snd_cwnd_bytes, before.snd_cwnd_bytes);
	ASSERT_EQ(ti.snd_ssthresh_bytes, before.snd_ssthresh_bytes);
	dlg_free(d);
}

/* RFC 6937 3 (Linux's tcp_cwnd_reduction()), counted in segments as
 * Linux counts. In recovery, while pipe is above ssthresh, data goes out in
 * proportion to what is delivered: ceil(delivered * ssthresh / RecoverFS)
 * with ssthresh 5 (NewReno halves 10) and RecoverFS 10. Once pipe is down
 * to ssthresh, the slow-start bound refills it to ssthresh. RFC 6675
 * instead sends nothing until pipe is below cwnd = ssthresh. */
TEST(prr_sends_in_proportion_to_delivery)
{
	struct dlg *d = flight(10, 20);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4); /* 3 delivered: 2 may go, the retransmission and one */
	expect_seg(d, 1);
	expect_seg(d, 11);
	dlg_expect_none(d);
	sack(d, 0, 2, 5); /* 4: ceil(20 / 10) = 2, both out */
	dlg_expect_none(d);
	sack(d, 0, 2, 6); /* 5: ceil(25 / 10) = 3 */
	expect_seg(d, 12);
	dlg_expect_none(d);
	sack(d, 0, 2, 7); /* 6: 3 */
	dlg_expect_none(d);
	sack(d, 0, 2, 8); /* pipe 5 = ssthresh: nothing to refill */
	dlg_expect_none(d);
	sack(d, 0, 2, 9); /* pipe 4: back to 5 */
	expect_seg(d, 13);
	dlg_expect_none(d);
	dlg_free(d);
}

/* The same with PRR off: nothing but the fast retransmit until pipe is
 * below cwnd = ssthresh. */
TEST(prr_off_waits_for_pipe_below_ssthresh)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	ASSERT(cfg.prr);
	struct dlg *d = flight(10, 20);
	cfg = d->cfg;
	cfg.prr = false;
	ASSERT_EQ(gt_stack_set_config(d->s, &cfg), 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1);
	dlg_expect_none(d);
	sack(d, 0, 2, 6); /* pipe 4 + 1 retransmitted = 5 = cwnd */
	dlg_expect_none(d);
	sack(d, 0, 2, 7); /* pipe 4: one new */
	expect_seg(d, 11);
	dlg_expect_none(d);
	dlg_free(d);
}

/* Linux's RTO (tcp_rtt_estimator(), tcp_set_rto()): the minimum bounds the
 * variance term, so the RTO is SRTT + 200 ms at least, where RFC 6298 2.4
 * bounds the sum: with the 100 ms handshake sample, 300 ms either way; after
 * a steady 100 ms round trip the variance has shrunk, and Linux's RTO stays
 * at 300 ms where the RFC's would fall to its 200 ms floor. */
TEST(rto_linux_keeps_srtt_plus_the_minimum)
{
	struct dlg *d = flight(1, 0);
	for (int i = 0; i < 20; i++) {
		dlg_advance(d, RTT_US);
		sack(d, (uint32_t)i + 1, 0, 0);
		ASSERT_EQ(gt_send(d->s, d->sd, data, SEG, 0), SEG);
		dlg_drain(d);
	}
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT(d->cfg.rto_min_adds_srtt);
	ASSERT_GE(ti.rto_us, ti.srtt_us + d->cfg.rto_min_us);
	ASSERT_LT(ti.rto_us, ti.srtt_us + d->cfg.rto_min_us + 20000);
	dlg_free(d);
}

/* Small segments (TCP_NODELAY, one 100-byte write each), as in the seed. */
#define SMALL 100u

static uint32_t at_small(const struct dlg *d, uint32_t segs) { return d->iss + 1 + segs * SMALL; }

/* Established after a retransmitted SYN-ACK (Karn: no RTT sample; cwnd one
 * MSS, RFC 6298 5.7) with no timestamps, nseg small segments sent: no
 * round trip is known yet. The small segments are counted by their bytes
 * (cfg.flight_short_pkt off): Linux 6.18 sends all ten, its cwnd 10 after
 * one SYN-ACK retransmission (tcp_init_transfer() cuts it to 1 only where
 * total_retrans > 1; `pktrun --kernel`, session 29), where the profile
 * starts at one MSS, which counted in packets lets one go. */
static struct dlg *flight_unsampled(uint32_t nseg)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.flight_short_pkt = false;
	struct dlg *d = sack_established(&cfg, true);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one)), 0);
	for (uint32_t i = 0; i < nseg; i++) {
		ASSERT_EQ(gt_send(d->s, d->sd, data + i * SMALL, SMALL, 0), SMALL);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, at_small(d, i));
		ASSERT_EQ(g->len, SMALL);
	}
	dlg_expect_none(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.min_rtt_us, 0);
	return d;
}

/* The peer's ACK of nothing new, SACKing small segments a..b and, when c,
 * c..e (1-based, inclusive), the second block first. */
static void sack_small(struct dlg *d, uint32_t a, uint32_t b, uint32_t c, uint32_t e)
{
	const uint32_t blk[2][2] = {{(c - 1) * SMALL, e * SMALL}, {(a - 1) * SMALL, b * SMALL}};
	if (c)
		dlg_peer_sack_bytes(d, 0, blk, 2);
	else
		dlg_peer_sack_bytes(d, 0, blk + 1, 1);
}

static void expect_small(struct dlg *d, uint32_t seg) { expect_sized(d, seg, SMALL); }

/* RFC 8985 6.2 step 2: a retransmission SACKed sooner than any round
 * trip was the late original's doing, and says nothing of what was sent
 * before it. (Before the first RTT sample no round trip is that short:
 * Linux's tcp_min_rtt() is ~0U, so tcp_rack_advance() ignores it; here
 * the first SACK is that sample.) Here
 * segment 1 is retransmitted, then segment 5 a millisecond later, and
 * 10 us after that segment 5 is SACKed: the retransmission of 1 is not
 * lost for that. It was (sent a third time, TcpLostRetransmit) when the
 * SACK made RACK.rtt 10 us: swarm seed 4007979's storm of 1-byte copies. */
TEST(rack_unsampled_retransmission_sacked_at_once_does_not_advance_rack)
{
	struct dlg *d = flight_unsampled(10);
	dlg_advance(d, RTT_US);
	/* Three SACKed. The SACK is the first RTT sample, as Linux takes
	 * one from SACKed segments sent once (tcp_sacktag_one()), and three
	 * small segments are DupThresh segments (RFC 8985 6.2 step 4 counts
	 * segments, Linux's tcp_rack_reo_wnd() packets): no reordering
	 * window, 1 is lost at once
	 * (tests/pkt/linux/rack-small-segments-dupthresh.pkt on the kernel). */
	sack_small(d, 2, 4, 0, 0);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.min_rtt_us, RTT_US);
	expect_small(d, 1);
	dlg_expect_none(d);
	dlg_advance(d, 1000);
	sack_small(d, 2, 4, 6, 6);
	expect_small(d, 5); /* sent before 6, as long ago as 6 took: lost */
	dlg_expect_none(d);
	dlg_advance(d, 10);
	sack_small(d, 2, 6, 0, 0); /* 5's late original arrived */
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpLostRetransmit, 0);
	dlg_free(d);
}

/* Linux ends the RTO's backoff only with an RTT sample (tcp_ack_update_rtt(),
 * backoff_needs_rtt), and without timestamps it takes one from a newly
 * SACKed segment sent once (tcp_sacktag_one()'s sack_rtt_us) even when the
 * ACK covers only retransmitted data. Here nothing is ACKed until two RTOs
 * have resent segment 1; then the peer SACKs segments 3..4, sent once. */
static struct dlg *backed_off_twice(void)
{
	struct dlg *d = flight(10, 10);
	ASSERT(d->cfg.backoff_needs_rtt); /* the Linux profile's */
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	for (int i = 0; i < 1000 && ti.backoff < 2; i++) {
		dlg_advance(d, 10000);
		dlg_drain(d);
		dlg_info(d, d->sd, &ti);
	}
	ASSERT_EQ(ti.backoff, 2);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 2);
	return d;
}

TEST(rack_sack_sample_ends_the_backoff_on_a_duplicate_ack)
{
	struct dlg *d = backed_off_twice();
	sack(d, 0, 3, 4); /* SND.UNA does not move */
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.backoff, 0);
	dlg_free(d);
}

TEST(rack_sack_sample_ends_the_backoff_when_the_ack_covers_a_retransmission)
{
	struct dlg *d = backed_off_twice();
	sack(d, 1, 3, 4); /* segment 1, sent three times, ACKed: no sample of it */
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.backoff, 0);
	dlg_free(d);
}

/* RFC 2018 8: a receiver may discard data it SACKed (reneging). An RTO
 * that finds SND.UNA inside a SACKed range knows it did (Linux's
 * tcp_timeout_mark_lost()) and forgets the scoreboard: go-back-N resends
 * what was SACKed too. Kept, it skipped that data after each ACK of the
 * one segment each RTO resent, and the transfer crawled at one segment
 * per backed-off RTO (swarm seed 5002096 with slow_start_every_seg). */
TEST(rack_rto_forgets_a_reneged_sack)
{
	struct dlg *d = flight(10, 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 3, 4);
	dlg_advance(d, RTT_US / 2);
	dlg_drain(d); /* 1 and 2 again */
	sack(d, 2, 0, 0); /* 1 and 2 arrived; 3 and 4 are gone */
	for (int i = 0; i < 1000 && dlg_stats(d)->TcpTimeouts == 0; i++) {
		dlg_advance(d, 10000);
		if (dlg_stats(d)->TcpTimeouts == 0)
			dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReneging, 1);
	expect_seg(d, 3); /* the RTO's */
	dlg_expect_none(d);
	sack(d, 3, 0, 0);
	expect_seg(d, 4); /* SACKed once, not skipped */
	dlg_free(d);
}

/* Linux's tcp_check_sack_reneging(), first in tcp_fastretrans_alert(): an
 * ACK that moves SND.UNA onto a segment the peer SACKed says the receiver
 * dropped it (RFC 2018 8). The receiver gets max(RTT/2, 10 ms) (in whole
 * jiffies: 52 ms at HZ 250) to report
 * its SACKs again, duplicate ACKs do not put it off, then the RTO resends
 * with the scoreboard forgotten. Before, the timer was the RTO restarted
 * by the ACK, or a probe timeout that every later ACK armed again and
 * that found nothing to probe (all SACKed): a Linux sender whose peer had
 * pruned its highest out-of-order range sat on 7 bytes for 600 s (swarm
 * seed 18002920). */
TEST(rack_reneging_ack_arms_the_rto_at_half_an_rtt)
{
	struct dlg *d = flight(4, 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1); /* three SACKed: lost at once */
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	sack(d, 1, 0, 0); /* 1 arrived; 2 to 4, SACKed, are gone */
	dlg_expect_none(d);
	for (int i = 0; i < 4; i++) {
		dlg_advance(d, 10000);
		sack(d, 1, 0, 0);
		dlg_expect_none(d);
	}
	dlg_advance(d, jiffies_up(d, RTT_US / 2) - 40000 - 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 0);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReneging, 1);
	expect_seg(d, 2); /* SACKed once, resent */
	dlg_expect_none(d);
	dlg_free(d);
}

/* The same in Linux's loss state (tcp_fastretrans_alert() checks for
 * reneging "in all the states"): after an RTO the ACK of the resent head
 * lands on a SACKed segment; half an RTT later the RTO resends it with the
 * scoreboard forgotten. Before, the go-back-N skipped the SACKed segments
 * and nothing went until the RTO backed off (600 ms here; 120 s in swarm
 * seed 87003515, a few hundred bytes a round;
 * tests/pkt/linux/rto-loss-state-sack-reneging-half-rtt.pkt). */
TEST(rack_reneging_ack_in_loss_state_arms_the_rto_at_half_an_rtt)
{
	struct dlg *d = flight(4, 0);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4);
	expect_seg(d, 1); /* three SACKed: lost at once */
	dlg_expect_none(d);
	for (int i = 0; i < 1000 && dlg_stats(d)->TcpTimeouts == 0; i++) {
		dlg_advance(d, 10000);
		if (dlg_stats(d)->TcpTimeouts == 0)
			dlg_expect_none(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReneging, 0); /* SND.UNA was not SACKed */
	expect_seg(d, 1); /* the RTO's */
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	sack(d, 1, 0, 0); /* 1 arrived; 2 to 4, SACKed, are gone */
	dlg_expect_none(d);
	dlg_advance(d, 20000);
	sack(d, 1, 0, 0); /* a duplicate does not put it off */
	dlg_expect_none(d);
	dlg_advance(d, jiffies_up(d, RTT_US / 2) - 20000 - 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	dlg_advance(d, 1);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 2);
	ASSERT_EQ(dlg_stats(d)->TcpSACKReneging, 1);
	expect_seg(d, 2); /* SACKed once, resent */
	dlg_expect_none(d);
	sack(d, 2, 0, 0);
	expect_seg(d, 3); /* not skipped */
	expect_seg(d, 4);
	dlg_expect_none(d);
	dlg_free(d);
}

/* After an RTO, Linux's loss state: every segment outstanding at the
 * timeout is lost (tcp_timeout_mark_lost()) and goes again as cwnd
 * allows, and cwnd grows by slow start with each ACK, for the loss state
 * is no reduction (tcp_cong_control(): tcp_in_cwnd_reduction() is true
 * in CWR and Recovery only). The RACK recovery the first ACK after the
 * timeout enters (the marks are RACK's) must let it grow: held at one
 * segment, the repair went one segment per round trip, each ACK freeing
 * one segment's room (swarm seed 11012969: a Linux sender of thousands
 * of 1- to 4-byte segments, 6,680 bytes still unread 600 s later). */
TEST(rack_loss_state_after_rto_grows_cwnd_by_slow_start)
{
	/* Without the tail loss probe, which would go before the RTO. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.tlp = false;
	ASSERT(cfg.rack && cfg.loss_pipe_linux && cfg.frto); /* Linux's defaults */
	struct dlg *d = sack_established(&cfg, false);
	/* Ten segments sent, ten more queued: F-RTO has new data to send. */
	ASSERT_EQ(gt_send(d->s, d->sd, data, 20 * SEG, 0), 20 * SEG);
	dlg_drain(d);
	for (int i = 0; i < 1000 && dlg_stats(d)->TcpTimeouts == 0; i++)
		dlg_advance(d, 10000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	expect_seg(d, 1); /* the RTO's, cwnd one segment */
	dlg_expect_none(d);
	/* The peer's data, acknowledging nothing new and SACKing segment 10
	 * (as in the seed): not a duplicate ACK for F-RTO (it carries data),
	 * so no go-back-N; RACK's marks start a recovery, which sends
	 * segment 2 at once. Nothing acknowledged: no growth
	 * (tcp_may_raise_cwnd() wants FLAG_DATA_ACKED). */
	dlg_advance(d, RTT_US / 2);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = at(d, 9);
	o.sack[0].right = at(d, 10);
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1, DLG_WIN, "x", 1, &o);
	d->peer_nxt++;
	expect_seg(d, 2);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US / 2);
	sack(d, 1, 10, 10);
	/* Slow start: cwnd two segments, segment 2 in flight, 3 goes
	 * (after the ACK of the peer's byte). */
	dlg_expect(d, TH_ACK, at(d, 10), d->peer_nxt);
	expect_seg(d, 3);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US / 2);
	sack(d, 2, 10, 10);
	/* Three now, segment 3 in flight: 4 and 5 go. */
	expect_seg(d, 4);
	expect_seg(d, 5);
	dlg_expect_none(d);
	dlg_free(d);
}

/* Linux ends the RTO's backoff with the RTT sample of a segment sent once
 * (tcp_ack_update_rtt(), seq_rtt_us from tcp_clean_rtx_queue()), whatever
 * HyStart knows. Its send log (tcp_hystart_sent()) records only what goes
 * out in slow start outside recovery, yet its state lives until cubic's
 * first congestion avoidance ACK, which an application-limited flow does
 * not bring. After an RTO undone by a D-SACK back to a cwnd at ssthresh, a
 * segment sent once went out unlogged, and its ACK was taken as "no
 * sample": the backoff stayed, on every later ACK too (swarm seed 30008922
 * with a 2,048-byte send buffer: backoff 6 for 4,700 s, every short
 * segment corked for 64 RTOs). Since the backoff ends on the ACK's own
 * sample, not HyStart's answer (ack_advance_cc(), swarm seed 30040642),
 * this fails only with both gone: tcp_hystart_rtt()'s "no word" return
 * and the backoff's own sample. The undo comes from the second D-SACK,
 * after the loss state ended: the first ends it without undo, growing
 * cwnd by what it newly delivered, under ssthresh. */
TEST(rack_ack_of_a_segment_sent_once_ends_the_backoff_after_an_undo)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.cc = GT_CC_CUBIC; /* the Linux profile's, with HyStart */
	ASSERT(cfg.hystart && cfg.backoff_needs_rtt);
	struct dlg *d = sack_established(&cfg, false);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 10 * SEG, 0), 10 * SEG);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 4); /* DupThresh SACKed: 1 lost at once */
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	sack(d, 10, 0, 0); /* the first recovery ends: ssthresh is set */
	dlg_drain(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_GE(ti.snd_cwnd_bytes, ti.snd_ssthresh_bytes);
	/* A second recovery, entered with cwnd at ssthresh: its undo keeps
	 * those. Segments 11 to 15 go out, 11 is lost. */
	ASSERT_EQ(gt_send(d->s, d->sd, data + 10 * SEG, 5 * SEG, 0), 5 * SEG);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	sack(d, 10, 12, 14);
	expect_seg(d, 11);
	dlg_drain(d);
	/* Nothing more: the RTO resends 11. */
	for (int i = 0; i < 1000 && dlg_stats(d)->TcpTimeouts == 0; i++) {
		dlg_advance(d, 10000);
		if (dlg_stats(d)->TcpTimeouts == 0)
			dlg_drain(d);
	}
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	/* 11 was late, not lost: all three copies arrive. All of it, with a
	 * D-SACK of 11 (one copy of two): 11 was sent more than once, so no
	 * sample and the backoff stays. The loss state ends without undo
	 * (undo_retrans 1), cwnd growing by what the ACK newly delivered
	 * (Linux's tcp_cong_control() with tcp_newly_delivered()): under
	 * ssthresh. */
	const uint32_t dsack[1][2] = {{10 * SEG, 11 * SEG}};
	dlg_peer_sack_bytes(d, 15 * SEG, dsack, 1);
	dlg_drain(d);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	/* The D-SACK of the other copy: the retransmissions were all
	 * needless; the connection open, tcp_fastretrans_alert() undoes
	 * with tcp_try_undo_dsack(), cwnd and ssthresh back to what the
	 * second recovery found, cwnd above ssthresh
	 * (tests/pkt/linux/rto-dsack-after-loss-ends-undoes.pkt). A
	 * duplicate ACK: no sample, the backoff stays. */
	dlg_peer_sack_bytes(d, 15 * SEG, dsack, 1);
	dlg_drain(d);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.backoff, 1);
	ASSERT_GE(ti.snd_cwnd_bytes, ti.snd_ssthresh_bytes); /* HyStart logs nothing */
	ASSERT_EQ(gt_send(d->s, d->sd, data + 15 * SEG, SEG, 0), SEG);
	expect_seg(d, 16);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	sack(d, 16, 0, 0); /* 16, sent once: a sample */
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.backoff, 0);
	dlg_free(d);
}

/* An RTO during a RACK recovery, then a second with nothing acknowledged
 * between: Linux's tcp_enter_loss() lowers ssthresh at neither and leaves
 * prior_cwnd and prior_ssthresh as tcp_enter_recovery() saved them; the
 * second turns F-RTO on (icsk_retransmits non-zero). Its undo restores
 * those and never lowers ssthresh (tcp_undo_cwnd_reduction(): only with a
 * prior_ssthresh, and the larger of the two). The recovery saved nothing
 * before: the undo took a connection's first timeout's zeros, ssthresh 0,
 * and the RACK recovery that followed set cwnd 0 (swarm seed 89506266,
 * MTU 296, where a second recovery came between the timeouts). */
/* A spurious timeout that a D-SACK tells, without timestamps: the first
 * ACK after it covers segment 1 and D-SACKs its retransmission, the only
 * one. Linux's tcp_process_loss() undoes through tcp_try_undo_loss(sk,
 * false), tcp_may_undo() finding undo_retrans 0, before F-RTO looks at
 * the ACK: TcpLossUndo, not TcpSpuriousRTOs; no step-2b new data
 * (tests/pkt/linux/rto-dsack-of-head-undoes-loss.pkt on Linux 6.18). */
TEST(rack_rto_dsack_of_only_retransmission_undoes_as_loss_undo)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.tlp = false; /* the RTO, not a probe */
	ASSERT(cfg.rack && cfg.loss_pipe_linux && cfg.frto && cfg.loss_dsack_undo); /* Linux's */
	struct dlg *d = sack_established(&cfg, false);
	struct gt_tcp_info ti;
	/* Four segments sent, six more queued. */
	ASSERT_EQ(gt_send(d->s, d->sd, data, 4 * SEG, 0), 4 * SEG);
	dlg_drain(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data + 4 * SEG, 6 * SEG, 0), 6 * SEG);
	dlg_drain(d);
	for (int i = 0; i < 2000 && dlg_stats(d)->TcpTimeouts < 1; i++)
		dlg_advance(d, 10000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	expect_seg(d, 1);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	const uint32_t dsack[1][2] = {{0, SEG}};
	dlg_peer_sack_bytes(d, SEG, dsack, 1);
	ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpSpuriousRTOs, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT(ti.ca_state != GT_TCP_CA_LOSS);
	/* Then RACK: 2 to 4, sent before the retransmission, lost, resent. */
	expect_seg(d, 2);
	dlg_free(d);
}

/* The D-SACK of a timeout's only retransmission after the loss state
 * ended without undo (F-RTO off, no timestamps): Linux keeps undo_marker,
 * the D-SACK takes undo_retrans to 0, and tcp_fastretrans_alert()'s open
 * branch calls tcp_try_undo_dsack(): cwnd and ssthresh back, TcpDSACKUndo,
 * no TcpLossUndo (tests/pkt/linux/rto-dsack-after-loss-ends-undoes.pkt,
 * nstat on Linux 6.18: TCPDSACKUndo 1). A second D-SACK changes nothing. */
TEST(rack_rto_dsack_after_loss_state_ends_undoes)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.tlp = false; /* the RTO, not a probe */
	cfg.frto = false;
	ASSERT(cfg.rack && cfg.loss_pipe_linux && cfg.loss_dsack_undo); /* Linux's */
	struct dlg *d = sack_established(&cfg, false);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t cwnd0 = ti.snd_cwnd_bytes, ssthresh0 = ti.snd_ssthresh_bytes;
	ASSERT_EQ(gt_send(d->s, d->sd, data, 4 * SEG, 0), 4 * SEG);
	dlg_drain(d);
	for (int i = 0; i < 2000 && dlg_stats(d)->TcpTimeouts < 1; i++)
		dlg_advance(d, 10000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 1);
	expect_seg(d, 1);
	dlg_expect_none(d);
	/* The originals' late ACK ends the loss state: no undo. */
	dlg_advance(d, RTT_US);
	sack(d, 4, 0, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	ASSERT(ti.snd_cwnd_bytes < cwnd0);
	ASSERT(ti.snd_ssthresh_bytes < ssthresh0);
	ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 0);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 0);
	/* The D-SACK of the head's copy. */
	dlg_advance(d, RTT_US / 10);
	const uint32_t dsack[1][2] = {{0, SEG}};
	dlg_peer_sack_bytes(d, 4 * SEG, dsack, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 1);
	ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 0);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	ASSERT_EQ(ti.snd_cwnd_bytes, cwnd0);
	ASSERT_EQ(ti.snd_ssthresh_bytes, ssthresh0);
	dlg_advance(d, RTT_US / 10);
	dlg_peer_sack_bytes(d, 4 * SEG, dsack, 1);
	ASSERT_EQ(dlg_stats(d)->TcpDSACKUndo, 1);
	dlg_free(d);
}

TEST(rack_frto_undo_after_rto_in_recovery_keeps_cwnd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	cfg.rto_min_adds_srtt = true;
	cfg.tlp = false; /* the RTO, not a probe */
	ASSERT(cfg.rack && cfg.loss_pipe_linux && cfg.frto); /* Linux's defaults */
	struct dlg *d = sack_established(&cfg, false);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t cwnd0 = ti.snd_cwnd_bytes, ssthresh0 = ti.snd_ssthresh_bytes;
	ASSERT_EQ(cwnd0, 10 * SEG);
	/* Six segments, 2 to 5 SACKed: 1 is lost, a recovery (ssthresh 5);
	 * 6, sent after the last SACKed one, is not. */
	ASSERT_EQ(gt_send(d->s, d->sd, data, 6 * SEG, 0), 6 * SEG);
	dlg_drain(d);
	dlg_advance(d, RTT_US);
	sack(d, 0, 2, 5);
	expect_seg(d, 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpFastRetrans, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	/* The timeout during it, a duplicate ACK, the timeout again: segment
	 * 1 each time, F-RTO on for the second. */
	for (int i = 0; i < 2000 && dlg_stats(d)->TcpTimeouts < 1; i++)
		dlg_advance(d, 10000);
	expect_seg(d, 1);
	dlg_advance(d, RTT_US / 2);
	sack(d, 0, 2, 5);
	dlg_expect_none(d);
	for (int i = 0; i < 2000 && dlg_stats(d)->TcpTimeouts < 2; i++)
		dlg_advance(d, 10000);
	ASSERT_EQ(dlg_stats(d)->TcpTimeouts, 2);
	expect_seg(d, 1);
	dlg_expect_none(d);
	/* New data queued; the first new ACK covers only the retransmitted
	 * segment 1: step 2b, new data (7 and 8, slow start) instead of
	 * retransmissions. */
	ASSERT_EQ(gt_send(d->s, d->sd, data + 6 * SEG, 10 * SEG, 0), 10 * SEG);
	dlg_expect_none(d);
	dlg_advance(d, RTT_US);
	sack(d, 1, 2, 5);
	expect_seg(d, 7);
	expect_seg(d, 8);
	dlg_expect_none(d);
	/* The second new ACK, up to the timeout's SND.MAX, covers 6, sent
	 * once: spurious (Linux's FLAG_ORIG_SACK_ACKED; an ACK of 2 to 5
	 * alone, SACKed before, undoes nothing since branch h-lxfrto4, as on
	 * Linux: tests/pkt/linux/frto-second-ack-of-resent-data-stays-loss.pkt).
	 * cwnd and ssthresh go back to the recovery's prior values; the ACK
	 * then grows cwnd. */
	dlg_advance(d, RTT_US / 10);
	sack(d, 6, 0, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSpuriousRTOs, 1);
	/* Linux's tcp_try_undo_loss(sk, true) counts TCPLossUndo as well
	 * (tests/pkt/linux/frto-late-acks-then-dsack-undo-counts.pkt, nstat
	 * on Linux 6.18: 1 and 1). */
	ASSERT_EQ(dlg_stats(d)->TcpLossUndo, 1);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_ssthresh_bytes, ssthresh0);
	ASSERT_GE(ti.snd_cwnd_bytes, cwnd0);
	/* Out of the loss state, nothing SACKed or lost: open. */
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	dlg_free(d);
}
