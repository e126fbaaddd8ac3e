/* ICMP "fragmentation needed" (RFC 1191) during a fast recovery, on each
 * profile, with and without SACK. Linux (tcp_v4_mtu_reduced() ->
 * tcp_simple_retransmit() -> tcp_non_congestion_loss_retransmit()): the
 * recovery becomes the loss state, cwnd and ssthresh as they were (in
 * packets), no undo, and what is in flight goes again in segments of the
 * new MSS, as many as cwnd lets out. FreeBSD (tcp_mtudisc()): SND.NXT back
 * to SND.UNA, snd_recover = SND.MAX, the SACK recovery left, cwnd
 * untouched. Ten segments of 1,460 out, the first lost; the path's MTU
 * falls to 770 (MSS 730) after the fast retransmission. */
#include "dlg.h"

#include <string.h>

#include "wire/icmp.h"
#include "wire/icmp6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

#define SEG DLG_MSS
#define MTU 770
#define SEG2 (MTU - 40)

static uint8_t data[16 * SEG];

static uint32_t at(const struct dlg *d, uint32_t bytes) { return d->iss + 1 + bytes; }

/* ICMP type 3 code 4 from a router, quoting our segment at seq: its IP
 * header and first 8 bytes (RFC 792). */
static void frag_needed(struct dlg *d, uint32_t seq, uint16_t mtu)
{
	uint8_t quote[28];
	struct ipv4_hdr q = {
		.ihl_bytes = 20, .total_len = 20 + 20 + SEG, .ttl = 64, .proto = IPPROTO_TCP_,
		.df = true, .src = DLG_LADDR, .dst = DLG_RADDR,
	};
	ipv4_emit(quote, &q);
	quote[20] = DLG_LPORT >> 8;
	quote[21] = DLG_LPORT & 0xff;
	quote[22] = (uint8_t)(d->rport >> 8);
	quote[23] = (uint8_t)(d->rport & 0xff);
	quote[24] = (uint8_t)(seq >> 24);
	quote[25] = (uint8_t)(seq >> 16);
	quote[26] = (uint8_t)(seq >> 8);
	quote[27] = (uint8_t)seq;
	uint8_t pkt[128];
	size_t n = icmp_emit(pkt + 20, ICMP_DEST_UNREACH, ICMP_UNREACH_FRAG_NEEDED, mtu, quote,
			     sizeof quote);
	struct ipv4_hdr h = {
		.ihl_bytes = 20, .total_len = (uint16_t)(20 + n), .ttl = 64, .proto = IPPROTO_ICMP_,
		.src = 0x0a000003u, .dst = DLG_LADDR,
	};
	ipv4_emit(pkt, &h);
	dlg_inject(d, pkt, 20 + n);
}

static struct gt_config profile_cfg(enum gt_profile p, bool sack)
{
	struct gt_config cfg;
	if (p == GT_PROFILE_LINUX) {
		dlg_config(&cfg);
	} else {
		gt_config_default(&cfg, p);
		cfg.opt_timestamps = false;
		cfg.opt_wscale = false;
		cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
		cfg.oow_ack_window_ms = 0;
		for (int i = 0; i < 16; i++)
			cfg.isn_secret[i] = (uint8_t)(0x5a + 7 * i);
	}
	cfg.opt_sack = sack;
	cfg.sndbuf_bytes = sizeof(data);
	return cfg;
}

/* Ten segments out, the first lost; three duplicates (SACKing the next
 * three with SACK) bring its fast retransmission. */
static struct dlg *in_recovery(enum gt_profile p, bool sack)
{
	struct gt_config cfg = profile_cfg(p, sack);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = sack;
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 16 * SEG, 0), 16 * SEG);
	for (uint32_t i = 0; i < 10; i++) {
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, at(d, i * SEG));
		ASSERT_EQ(g->len, SEG);
	}
	dlg_expect_none(d);
	dlg_advance(d, 100000);
	/* The duplicates 2 ms apart: one that comes within 1 ms of the
	 * last segment sent, the ACK then due, finds the Linux profile's
	 * TSO deferral holding the skb of the unsent segments
	 * (tcp_tso_should_defer(), cfg.tso_defer; the limited transmit
	 * less one), which is not what these tests are about. */
	for (uint32_t i = 1; i <= 3; i++) {
		uint32_t blk[1][2] = {{SEG, (i + 1) * SEG}};
		dlg_peer_sack_bytes(d, 0, blk, sack ? 1 : 0);
		dlg_advance(d, 2000);
	}
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.fast_retrans, 1);
	return d;
}

/* Every segment sent now, from *seq on, each at most len long and
 * starting where the last ended, or past a SACKed range (skip_from up to
 * skip_to); *seq left at the end. Returns how many. */
static uint32_t resent(struct dlg *d, uint32_t *seq, uint32_t len, uint32_t skip_from,
		       uint32_t skip_to)
{
	uint32_t n = 0;
	while (dlg_pending(d)) {
		const struct dlg_seg *g = dlg_next(d);
		if (*seq == skip_from)
			*seq = skip_to;
		ASSERT_EQ(g->h.seq, *seq);
		ASSERT(g->len <= len && g->len > 0);
		*seq += g->len;
		n++;
	}
	return n;
}

static void info(struct dlg *d, struct gt_tcp_info *ti) { dlg_info(d, d->sd, ti); }

/* The peer acknowledges all the stack sent (up to hi so far), round
 * after round, until the 16 segments are through; cwnd never falls below
 * a segment. */
static void ack_all(struct dlg *d, uint32_t hi)
{
	struct gt_tcp_info ti;
	for (int round = 0; round < 40 && hi != at(d, 16 * SEG); round++) {
		dlg_advance(d, 10000);
		dlg_send(d, TH_ACK, d->peer_nxt, hi, DLG_WIN, NULL, 0, NULL);
		while (dlg_pending(d)) {
			const struct dlg_seg *g = dlg_next(d);
			if ((int32_t)(g->h.seq + g->len - hi) > 0)
				hi = g->h.seq + g->len;
		}
		info(d, &ti);
		ASSERT(ti.snd_cwnd_bytes >= SEG2);
	}
	ASSERT_EQ(hi, at(d, 16 * SEG));
	dlg_send(d, TH_ACK, d->peer_nxt, hi, DLG_WIN, NULL, 0, NULL);
	info(d, &ti);
	ASSERT_EQ(ti.unacked_bytes, 0);
}

/* Linux without SACK: the Reno recovery by PRR has cwnd 9 (8 in flight
 * + 1) and ssthresh 5. The frag-needed enters the loss state with both
 * (in packets: 9 and 5 of 730) and resends nine segments of 730 from
 * SND.UNA. Before, SND.NXT went back to SND.UNA inside the recovery and
 * its next cwnd, (SND.NXT - SND.UNA) + sndcnt, could be 0 (swarm seed
 * 96220906); the state stayed Recovery. */
TEST(pmtu_linux_frag_needed_in_reno_recovery_enters_loss_keeps_cwnd)
{
	struct dlg *d = in_recovery(GT_PROFILE_LINUX, false);
	struct gt_tcp_info ti;
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * SEG);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	dlg_drain(d); /* PRR's new segments and the fast retransmission */
	frag_needed(d, at(d, 0), MTU);
	info(d, &ti);
	ASSERT_EQ(ti.snd_mss, SEG2);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_LOSS);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * SEG2);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG2);
	uint32_t seq = at(d, 0);
	ASSERT_EQ(resent(d, &seq, SEG2, 0, 0), 9);
	ASSERT_EQ(seq, at(d, 9 * SEG2));
	/* A partial ACK of one segment lets one more out (congestion
	 * avoidance: cwnd 9 above ssthresh 5); the state stays Loss. */
	dlg_peer_sack_bytes(d, SEG2, NULL, 0);
	ASSERT_EQ(resent(d, &seq, SEG2, 0, 0), 1);
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_LOSS);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * SEG2);
	/* Everything acknowledged: open, cwnd never below a segment. */
	ack_all(d, at(d, 12 * SEG));
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_OPEN);
	dlg_free(d);
}

/* Linux with SACK (RACK): the same loss state from the recovery, cwnd 9
 * and ssthresh 5 kept in packets, and the resend skips what the peer
 * SACKed (1,460 to 5,840): 0, 730, then 5,840 on, nine segments. */
TEST(pmtu_linux_frag_needed_in_sack_recovery_enters_loss_skips_sacked)
{
	struct dlg *d = in_recovery(GT_PROFILE_LINUX, true);
	struct gt_tcp_info ti;
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * SEG);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	dlg_drain(d);
	frag_needed(d, at(d, 0), MTU);
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_LOSS);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * SEG2);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG2);
	uint32_t seq = at(d, 0);
	ASSERT_EQ(resent(d, &seq, SEG2, at(d, SEG), at(d, 4 * SEG)), 9);
	ASSERT_EQ(seq, at(d, 4 * SEG + 7 * SEG2));
	ack_all(d, at(d, 12 * SEG));
	dlg_free(d);
}

/* FreeBSD without SACK: tcp_mtudisc() leaves the NewReno recovery
 * running (EXIT_FASTRECOVERY() only with SACK) to the new snd_recover,
 * SND.MAX; cwnd as inflated and ssthresh as they were; tcp_output()
 * resends from SND.UNA in segments of 730 as far as that cwnd goes. */
TEST(pmtu_freebsd_frag_needed_in_newreno_recovery_resends_keeps_cwnd)
{
	struct dlg *d = in_recovery(GT_PROFILE_FREEBSD, false);
	struct gt_tcp_info ti;
	info(d, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, 6 * SEG);
	dlg_drain(d); /* limited transmit's two, the fast retransmission */
	/* Seven more duplicates inflate cwnd by a segment each (FreeBSD
	 * counted limited transmit's two off the first three): at 13 the
	 * last lets one new segment out past snd_recover (twelve segments,
	 * limited transmit's included). */
	for (int i = 0; i < 7; i++)
		dlg_peer_sack_bytes(d, 0, NULL, 0);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, at(d, 12 * SEG));
	dlg_expect_none(d);
	info(d, &ti);
	uint32_t cwnd0 = ti.snd_cwnd_bytes, ssthresh0 = ti.snd_ssthresh_bytes;
	ASSERT_EQ(cwnd0, 13 * SEG);
	ASSERT_EQ(ssthresh0, 5 * SEG);
	frag_needed(d, at(d, 0), MTU);
	info(d, &ti);
	ASSERT_EQ(ti.snd_mss, SEG2);
	ASSERT_EQ(ti.snd_cwnd_bytes, cwnd0);
	ASSERT_EQ(ti.snd_ssthresh_bytes, ssthresh0);
	uint32_t seq = at(d, 0);
	ASSERT_EQ(resent(d, &seq, SEG2, 0, 0), 26);
	ASSERT_EQ(seq, at(d, 13 * SEG));
	/* snd_recover is SND.MAX now (thirteen segments of 1,460): an ACK of
	 * the twelve sent before the recovery (its snd_recover until now) is
	 * partial, and the recovery goes on. Before, it ended there. */
	dlg_advance(d, 10000);
	dlg_peer_sack_bytes(d, 12 * SEG, NULL, 0);
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	ASSERT_EQ(ti.snd_ssthresh_bytes, ssthresh0);
	dlg_drain(d);
	ack_all(d, at(d, 12 * SEG));
	dlg_free(d);
}

/* FreeBSD with SACK: the recovery is left (EXIT_FASTRECOVERY()), cwnd as
 * PRR had it (one segment, 1,460) and ssthresh kept; tcp_output() resends
 * the first 1,460 bytes as two segments of 730. Before, the recovery went
 * on and PRR kept its count against the old SND.NXT. */
TEST(pmtu_freebsd_frag_needed_in_sack_recovery_leaves_it_keeps_cwnd)
{
	struct dlg *d = in_recovery(GT_PROFILE_FREEBSD, true);
	struct gt_tcp_info ti;
	info(d, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, SEG);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	dlg_drain(d);
	frag_needed(d, at(d, 0), MTU);
	info(d, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, SEG);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * SEG);
	ASSERT(ti.ca_state != GT_TCP_CA_RECOVERY);
	uint32_t seq = at(d, 0);
	ASSERT_EQ(resent(d, &seq, SEG2, 0, 0), 2);
	/* Out of recovery an ACK grows cwnd by slow start (ssthresh 7,300). */
	dlg_peer_sack_bytes(d, SEG2, NULL, 0);
	info(d, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, SEG + SEG2);
	ack_all(d, at(d, 12 * SEG));
	dlg_free(d);
}

/* ICMPv6 Packet Too Big from a router (RFC 4443 3.2), quoting our segment
 * at seq: its IPv6 header and first 8 bytes. */
static void too_big6(struct dlg *d, uint32_t seq, uint32_t mtu)
{
	uint8_t quote[IPV6_HDR_LEN + 8];
	struct ipv6_hdr q = {
		.payload_len = 20 + DLG_MSS6, .next = IPPROTO_TCP_, .hop_limit = 64,
		.src = dlg_laddr6, .dst = dlg_raddr6,
	};
	ipv6_emit(quote, &q);
	uint8_t *t = quote + IPV6_HDR_LEN;
	t[0] = DLG_LPORT >> 8;
	t[1] = DLG_LPORT & 0xff;
	t[2] = (uint8_t)(d->rport >> 8);
	t[3] = (uint8_t)(d->rport & 0xff);
	t[4] = (uint8_t)(seq >> 24);
	t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = icmp6_emit(pkt + IPV6_HDR_LEN, ICMP6_PACKET_TOO_BIG, 0, mtu, quote, sizeof quote,
			      &dlg_raddr6, &dlg_laddr6);
	struct ipv6_hdr h = {
		.payload_len = (uint16_t)n, .next = IPPROTO_ICMPV6_, .hop_limit = 64,
		.src = dlg_raddr6, .dst = dlg_laddr6,
	};
	ipv6_emit(pkt, &h);
	dlg_inject(d, pkt, IPV6_HDR_LEN + n);
}

/* The same over IPv6 (tcp_v6_mtu_reduced() -> tcp_simple_retransmit()):
 * Linux without SACK, ten segments of 1,440 out, the first lost, the
 * Reno recovery at cwnd 9 and ssthresh 5; a Packet Too Big of 1,280 (MSS
 * 1,220) enters the loss state with both and resends nine segments of
 * 1,220 from SND.UNA. Before, tcp_icmp6_error() set SND.NXT to SND.UNA
 * inside the recovery, as tcp_icmp_error() did. */
TEST(pmtu_linux_packet_too_big_in_reno_recovery_enters_loss_keeps_cwnd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.sndbuf_bytes = sizeof(data);
	struct dlg *d = dlg_new6(&cfg);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, data, 16 * DLG_MSS6, 0), 16 * DLG_MSS6);
	for (uint32_t i = 0; i < 10; i++)
		ASSERT_EQ(dlg_next(d)->len, DLG_MSS6);
	dlg_expect_none(d);
	dlg_advance(d, 100000);
	for (int i = 0; i < 3; i++) {
		dlg_peer_sack_bytes(d, 0, NULL, 0);
		dlg_advance(d, 2000); /* past the TSO deferral, as in_recovery() */
	}
	struct gt_tcp_info ti;
	info(d, &ti);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_RECOVERY);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * DLG_MSS6);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * DLG_MSS6);
	dlg_drain(d);
	too_big6(d, at(d, 0), 1280);
	info(d, &ti);
	ASSERT_EQ(ti.snd_mss, 1220);
	ASSERT_EQ(ti.ca_state, GT_TCP_CA_LOSS);
	ASSERT_EQ(ti.snd_cwnd_bytes, 9 * 1220);
	ASSERT_EQ(ti.snd_ssthresh_bytes, 5 * 1220);
	uint32_t seq = at(d, 0);
	/* Nine packets, some short where a segment of 1,440 ends (Linux's
	 * skbs, each cut to the new MSS by __tcp_retransmit_skb()). */
	ASSERT_EQ(resent(d, &seq, 1220, 0, 0), 9);
	dlg_free(d);
}
