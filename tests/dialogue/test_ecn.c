/* Dialogues of ECN (RFC 3168 6.1) in both profiles: the handshake that
 * agrees on it, ECT(0) on new data only, ECE from a CE mark until CWR, the
 * sender's reduction once per window and its CWR; and the IP-level and
 * handshake options that came with it (IP_TOS, IP_TTL, TCP_KEEPINIT,
 * rexmit_drop_options, tolerate_missing_ts, restart after idle). */
#include "dlg.h"

#define ECT0 2
#define CE 3

/* The dialogue configuration with a profile's ECN, restart-after-idle
 * and handshake choices, and ecn as given. */
static void ecn_config(struct gt_config *cfg, enum gt_profile p, uint8_t ecn)
{
	struct gt_config prof;
	dlg_config(cfg);
	gt_config_default(&prof, p);
	cfg->ecn_syn_retries = prof.ecn_syn_retries;
	cfg->ecn_synack_unasked = prof.ecn_synack_unasked;
	cfg->ecn_cwr_ack_now = prof.ecn_cwr_ack_now;
	cfg->ecn_ce_quickack = prof.ecn_ce_quickack;
	cfg->ecn_syn_rto_cwr = prof.ecn_syn_rto_cwr;
	cfg->ecn_ect_syn_refused = prof.ecn_ect_syn_refused;
	cfg->ecn_halves_cwnd = prof.ecn_halves_cwnd;
	cfg->idle_restart = prof.idle_restart;
	cfg->ecn = ecn;
}

static struct dlg *ecn_dlg(enum gt_profile p, uint8_t ecn)
{
	struct gt_config cfg;
	ecn_config(&cfg, p, ecn);
	return dlg_new(&cfg);
}

/* The peer's SYN-ACK, with flags (ECE, CWR) added, to our SYN: returns
 * our ACK of it. */
static const struct dlg_seg *ecn_synack(struct dlg *d, uint8_t flags)
{
	dlg_send(d, TH_SYN | TH_ACK | flags, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0,
		 &d->peer_syn_opts);
	d->peer_nxt++;
	return dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
}

/* An active open answered by a SYN-ACK with synack_flags added. */
static void ecn_established(struct dlg *d, uint8_t synack_flags)
{
	dlg_connect(d);
	ecn_synack(d, synack_flags);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
}

/* The peer's SYN, with flags (ECE, CWR) added, to the listener: returns
 * the answer. */
static const struct dlg_seg *peer_syn(struct dlg *d, uint8_t flags)
{
	dlg_send(d, TH_SYN | flags, DLG_PEER_ISS, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	return dlg_next(d);
}

/* 100 bytes from the peer marked CE: counted, and echoed by a pure ACK
 * with ECE that is not ECT (RFC 3168 6.1.3, 6.1.5), at once in Linux
 * (quick-ACK), after the delayed-ACK time in FreeBSD. */
static void ce_data_echoed(struct dlg *d, enum gt_profile p)
{
	uint8_t x[100] = {0};
	d->peer_tos = CE;
	dlg_peer_data(d, x, 100);
	d->peer_tos = ECT0;
	ASSERT_EQ(dlg_stats(d)->TcpECNCeRecv, 1);
	if (p == GT_PROFILE_FREEBSD)
		dlg_advance(d, 100000);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK | TH_ECE, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos & 3, 0);
}

TEST(ecn_active_open_asks_and_data_is_ect0)
{
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 1);
		ASSERT_EQ(dlg_connect(d), TH_SYN | TH_ECE | TH_CWR); /* RFC 3168 6.1.1 */
		ASSERT_EQ(d->last.tos & 3, 0); /* the SYN itself is not ECT */
		const struct dlg_seg *g = ecn_synack(d, TH_ECE);
		ASSERT_EQ(g->tos & 3, 0); /* pure ACKs are not ECT (6.1.5) */
		ASSERT_EQ(dlg_stats(d)->TcpECNNegotiated, 1);
		dlg_app_send(d, 100);
		g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(g->tos & 3, ECT0);
		ASSERT_EQ(g->h.flags & (TH_ECE | TH_CWR), 0);
		/* The retransmission of that data is not ECT (6.1.5). */
		dlg_advance(d, 1500000);
		g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(g->tos & 3, 0);
		dlg_free(d);
	}
}

TEST(ecn_synack_without_ece_or_with_cwr_is_no_agreement)
{
	uint8_t answers[2] = {0, TH_ECE | TH_CWR};
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 2; i++) {
			struct dlg *d = ecn_dlg((enum gt_profile)p, 1);
			ecn_established(d, answers[i]);
			ASSERT_EQ(dlg_stats(d)->TcpECNNegotiated, 0);
			dlg_app_send(d, 100);
			const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
			ASSERT_EQ(g->tos & 3, 0);
			dlg_free(d);
		}
}

TEST(ecn_default_never_asks_and_freebsd_takes_an_unasked_synack_ece)
{
	/* ecn 2 (both kernels' default): no ECN-setup SYN. FreeBSD's
	 * tcp_ecn_input_syn_sent() still takes ECE on the SYN-ACK; Linux's
	 * tcp_ecn_rcv_synack() only if the SYN asked. */
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 2);
		ASSERT_EQ(dlg_connect(d), TH_SYN);
		ecn_synack(d, TH_ECE);
		dlg_app_send(d, 10);
		const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(g->tos & 3, p == GT_PROFILE_FREEBSD ? ECT0 : 0);
		dlg_free(d);
	}
}

TEST(ecn_listener_grants_an_ecn_setup_syn_unless_off)
{
	for (int p = 0; p < 2; p++)
		for (uint8_t ecn = 0; ecn <= 2; ecn++) {
			struct dlg *d = ecn_dlg((enum gt_profile)p, ecn);
			dlg_listen(d, DLG_LPORT);
			const struct dlg_seg *g = peer_syn(d, TH_ECE | TH_CWR);
			ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | (ecn ? TH_ECE : 0));
			ASSERT_EQ(g->tos & 3, 0);
			/* A SYN with ECE alone does not ask. */
			d->rport++;
			g = peer_syn(d, TH_ECE);
			ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
			dlg_free(d);
		}
}

/* FreeBSD's syncache_add(), an entry found (cfg.dupsyn_bsd): every
 * duplicate SYN is counted (tcps_sc_dupsyn: TcpSyncacheDupSyn); one
 * without both ECE and CWR clears SCF_ECN (TcpECNDupSynOff), and later
 * ones that ask again do not bring it back. The Linux profile counts
 * neither and keeps the agreement. */
TEST(ecn_duplicate_syn_without_ece_cwr_ends_a_freebsd_entrys_agreement)
{
	for (int p = 0; p < 2; p++) {
		struct gt_config cfg, prof;
		ecn_config(&cfg, (enum gt_profile)p, 2);
		gt_config_default(&prof, (enum gt_profile)p);
		cfg.dupsyn_bsd = prof.dupsyn_bsd;
		struct dlg *d = dlg_new(&cfg);
		bool bsd = p == GT_PROFILE_FREEBSD;
		dlg_listen(d, DLG_LPORT);
		const struct dlg_seg *g = peer_syn(d, TH_ECE | TH_CWR);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | TH_ECE);
		g = peer_syn(d, TH_ECE | TH_CWR);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | TH_ECE);
		ASSERT_EQ(dlg_stats(d)->TcpECNDupSynOff, 0);
		g = peer_syn(d, TH_CWR);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | (bsd ? 0 : TH_ECE));
		g = peer_syn(d, TH_ECE | TH_CWR);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | (bsd ? 0 : TH_ECE));
		ASSERT_EQ(dlg_stats(d)->TcpSyncacheDupSyn, bsd ? 3 : 0);
		ASSERT_EQ(dlg_stats(d)->TcpECNDupSynOff, bsd ? 1 : 0);
		dlg_free(d);
	}
}

TEST(ecn_an_ect_syn_is_granted_by_freebsd_only)
{
	/* RFC 3168 6.1.1: a SYN is never ECT. Linux refuses ECN to one that
	 * is (tcp_ecn_create_request()); FreeBSD does not look. */
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 2);
		dlg_listen(d, DLG_LPORT);
		d->peer_tos = ECT0;
		const struct dlg_seg *g = peer_syn(d, TH_ECE | TH_CWR);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | (p == GT_PROFILE_FREEBSD ? TH_ECE : 0));
		dlg_free(d);
	}
}

TEST(ecn_ce_mark_is_echoed_until_cwr)
{
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 1);
		ecn_established(d, TH_ECE);
		/* RFC 3168 6.1.3: a CE mark sets ECE on every ACK... */
		ce_data_echoed(d, (enum gt_profile)p);
		uint8_t x[100] = {0};
		dlg_peer_data(d, x, 100);
		dlg_advance(d, 100000);
		dlg_expect(d, TH_ACK | TH_ECE, d->snd_nxt, d->peer_nxt);
		/* ...and on data (not ECT-less: new data is ECT(0)). */
		dlg_app_send(d, 10);
		const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK | TH_ECE, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(g->tos & 3, ECT0);
		d->snd_nxt += 10;
		/* ...until a segment with CWR: FreeBSD ACKs it at once
		 * (TF_ACKNOW), Linux only when it carries data. */
		dlg_send(d, TH_ACK | TH_CWR, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
		if (p == GT_PROFILE_FREEBSD)
			dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		dlg_expect_none(d);
		dlg_peer_data(d, x, 100);
		dlg_advance(d, 100000);
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		/* A CE on the segment that carries CWR asks again. */
		d->peer_tos = CE;
		dlg_send(d, TH_PSH | TH_ACK | TH_CWR, d->peer_nxt, d->snd_nxt, DLG_WIN, x, 100, NULL);
		d->peer_nxt += 100;
		d->peer_tos = 0;
		dlg_advance(d, 100000);
		dlg_expect(d, TH_ACK | TH_ECE, d->snd_nxt, d->peer_nxt);
		dlg_free(d);
	}
}

TEST(ecn_ce_on_a_connection_without_ecn_is_only_counted)
{
	struct dlg *d = ecn_dlg(GT_PROFILE_LINUX, 2);
	dlg_established_passive(d);
	uint8_t x[10] = {0};
	d->peer_tos = CE;
	dlg_peer_data(d, x, 10);
	dlg_advance(d, 100000);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpECNCeRecv, 1);
	dlg_free(d);
}

TEST(ecn_echo_reduces_once_per_window_then_cwr_on_new_data)
{
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 1);
		ecn_established(d, TH_ECE);
		dlg_app_send(d, 10 * DLG_MSS); /* the initial window */
		for (int i = 0; i < 10; i++)
			dlg_next(d);
		struct gt_tcp_info ti;
		dlg_info(d, d->sd, &ti);
		ASSERT_EQ(ti.snd_cwnd_bytes, 10u * DLG_MSS);
		/* The first ECE: ssthresh to half of cwnd (11 segments after
		 * this ACK) in whole segments, in both: Linux's
		 * tcp_reno_ssthresh() (cfg.reno_ssthresh_cwnd), FreeBSD's
		 * newreno; RFC 3168 6.1.2 with RFC 5681's FlightSize would
		 * take half the flight left, 4.5 segments. FreeBSD sets cwnd
		 * to it at once; Linux enters CWR, without SACK too, and PRR
		 * sets cwnd to the 9 in flight plus ceil(5 x 1 / 10)
		 * (tests/pkt/linux/ecn-ece-no-sack-cwr-prr.pkt). */
		dlg_send(d, TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt + DLG_MSS, DLG_WIN, NULL, 0, NULL);
		dlg_info(d, d->sd, &ti);
		uint32_t want = 5u * DLG_MSS;
		ASSERT_EQ(ti.snd_ssthresh_bytes, want);
		ASSERT_EQ(ti.snd_cwnd_bytes, p == GT_PROFILE_FREEBSD ? want : 10u * DLG_MSS);
		ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
		/* More ECEs in the same window: no second reduction (6.1.2). */
		dlg_send(d, TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt + 2 * DLG_MSS, DLG_WIN, NULL, 0,
			 NULL);
		ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
		ASSERT_EQ(dlg_stats(d)->TcpECNEceRecv, 2);
		/* The next new data carries CWR, once (room for it first:
		 * cwnd is 4.5 or 5 segments, 8 are in flight). */
		dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 8 * DLG_MSS, DLG_WIN, NULL, 0, NULL);
		dlg_expect_none(d);
		dlg_app_send(d, 2 * DLG_MSS);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.seq, d->snd_nxt + 10 * DLG_MSS);
		ASSERT(g->h.flags & TH_CWR);
		ASSERT_EQ(g->tos & 3, ECT0);
		while (dlg_pending(d)) {
			g = dlg_next(d);
			ASSERT_EQ(g->h.flags & TH_CWR, 0);
		}
		ASSERT_EQ(dlg_stats(d)->TcpECNCwrSent, 1);
		/* Once everything sent at the reduction is acknowledged, an ECE
		 * reduces again. In Linux only above it: at high_seq the CWR
		 * state holds ("CWR is to be held something *above* high_seq
		 * is ACKed", tcp_fastretrans_alert()) and tcp_enter_cwr() does
		 * nothing in it; in FreeBSD the reduction's snd_recover is
		 * SND.MAX + 1 (cc_cong_signal(CC_ECN)). */
		dlg_send(d, TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt + 10 * DLG_MSS, DLG_WIN, NULL, 0,
			 NULL);
		ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 1);
		/* FreeBSD likewise: cc_cong_signal(CC_ECN) set snd_recover to
		 * SND.MAX + 1, so the ACK of SND.MAX is still IN_CONGRECOVERY. */
		uint32_t past = 11;
		dlg_send(d, TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt + past * DLG_MSS, DLG_WIN, NULL, 0,
			 NULL);
		ASSERT_EQ(dlg_stats(d)->TcpECNReduce, 2);
		dlg_free(d);
	}
}

TEST(ecn_syn_retransmissions_ask_up_to_the_profile_limit)
{
	/* FreeBSD: ecn.maxretries 1 (the first retransmission still asks);
	 * Linux: tcp_ecn_clear_syn() (none does). */
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 1);
		ASSERT_EQ(dlg_connect(d), TH_SYN | TH_ECE | TH_CWR);
		dlg_advance(d, 1100000);
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.flags, TH_SYN | (p == GT_PROFILE_FREEBSD ? TH_ECE | TH_CWR : 0));
		dlg_advance(d, 2200000);
		g = dlg_next(d);
		ASSERT_EQ(g->h.flags, TH_SYN);
		dlg_free(d);
	}
}

TEST(ip_tos_and_ttl_reach_the_ip_header)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	int v = 0x28 | 3; /* AF11 and both ECN bits: TCP keeps the ECN field */
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TOS, &v, sizeof(v)), 0);
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TOS, &v, &len), 0);
	ASSERT_EQ(v, 0x28);
	v = 0;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TTL, &v, sizeof(v)), -EINVAL);
	v = 4;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TTL, &v, sizeof(v)), 0);
	dlg_app_send(d, 10);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0x28);
	ASSERT_EQ(g->ttl, 4);
	v = -1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TTL, &v, sizeof(v)), 0);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_IPPROTO_IP, GT_IP_TTL, &v, &len), 0);
	ASSERT_EQ(v, GT_IP_DEFAULT_TTL);
	d->snd_nxt += 10;
	dlg_peer_ack(d);
	dlg_app_send(d, 10);
	g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->ttl, GT_IP_DEFAULT_TTL);
	dlg_free(d);
}

static int set_int(struct dlg *d, int sd, int level, int name, int v)
{
	return gt_setsockopt(d->s, sd, level, name, &v, sizeof(v));
}

static int get_int(struct dlg *d, int sd, int level, int name)
{
	int v = -12345;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, sd, level, name, &v, &len), 0);
	return v;
}

TEST(ipv6_tclass_and_hops_reach_the_header_and_ect_stays_tcps)
{
	/* RFC 3542 6.3, 6.5 with Linux's checks; RFC 3168 5: the traffic
	 * class's ECN field is TCP's (ECT(0) on new data only), its DSCP the
	 * user's. IP_TOS and IP_TTL are an IPv4 peer's: not seen here. */
	struct gt_config cfg;
	ecn_config(&cfg, GT_PROFILE_LINUX, 1);
	struct dlg *d = dlg_new6(&cfg);
	int v4sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(set_int(d, v4sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, 0x20), -ENOPROTOOPT);
	d->sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS), 64);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS, 256), -EINVAL);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS, -2), -EINVAL);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, -2), -EINVAL);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, 0xb8 | 3), 0);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS), 0xb8);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS, 0), 0);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS), 0);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IP, GT_IP_TOS, 0x20), 0);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IP, GT_IP_TTL, 9), 0);
	struct gt_sockaddr a = {.family = GT_AF_INET6, .port = d->rport};
	a.addr6 = dlg_raddr6;
	d->v6_hops = 0; /* RFC 3542 6.3: 0 is a hop limit like any other */
	ASSERT_EQ(gt_connect(d->s, d->sd, &a), -EINPROGRESS);
	struct gt_sockaddr me;
	gt_getsockname(d->s, d->sd, &me);
	d->lport = me.port;
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ECE | TH_CWR);
	ASSERT_EQ(g->tos, 0xb8); /* the SYN is not ECT */
	ASSERT_EQ(g->ttl, 0);
	d->iss = g->h.seq;
	d->snd_nxt = d->iss + 1;
	d->peer_nxt = DLG_PEER_ISS;
	dlg_send(d, TH_SYN | TH_ACK | TH_ECE, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0,
		 &d->peer_syn_opts);
	d->peer_nxt++;
	g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0xb8); /* nor a pure ACK (6.1.5) */
	ASSERT_EQ(dlg_stats(d)->TcpECNNegotiated, 1);
	dlg_app_send(d, 100);
	g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0xb8 | ECT0);
	ASSERT_EQ(g->ttl, 0);
	d->snd_nxt += 100;
	dlg_peer_ack(d);
	/* -1: the defaults again, on the live connection. */
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS, -1), 0);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS), 64);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, -1), 0);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS), 0);
	d->v6_hops = 64;
	dlg_app_send(d, 10);
	g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, ECT0);
	ASSERT_EQ(g->ttl, 64);
	gt_close(d->s, v4sd);
	dlg_free(d);
}

TEST(ipv6_socket_to_ipv4_peer_carries_ip_tos_and_ttl_not_tclass)
{
	/* A dual-stack socket's IPv4 connection is sent by IPv4, with IP_TOS
	 * and IP_TTL (Linux: ipv6_mapped's ip_queue_xmit() reads inet->tos). */
	struct dlg *d = dlg_new6(NULL);
	d->v6 = false;
	d->sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, 0xb8), 0);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS, 3), 0);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IP, GT_IP_TOS, 0x20), 0);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IP, GT_IP_TTL, 9), 0);
	struct gt_sockaddr a = {.family = GT_AF_INET6, .port = d->rport};
	a.addr6 = (struct gt_in6_addr){{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
					(uint8_t)(DLG_RADDR >> 24), (uint8_t)(DLG_RADDR >> 16),
					(uint8_t)(DLG_RADDR >> 8), (uint8_t)DLG_RADDR}};
	ASSERT_EQ(gt_connect(d->s, d->sd, &a), -EINPROGRESS);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN);
	ASSERT_EQ(g->tos, 0x20);
	ASSERT_EQ(g->ttl, 9);
	dlg_free(d);
}

TEST(tcp_keepinit_linux_has_no_such_option)
{
	/* Linux has no option 128: do_tcp_setsockopt() and
	 * do_tcp_getsockopt() answer ENOPROTOOPT, and nothing is kept. */
	struct dlg *d = dlg_new(NULL);
	ASSERT(!d->cfg.keepinit_bsd);
	d->sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	int v = 2;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_KEEPINIT, &v, sizeof(v)), -ENOPROTOOPT);
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_KEEPINIT, &v, &len), -ENOPROTOOPT);
	struct gt_config bsd;
	gt_config_default(&bsd, GT_PROFILE_FREEBSD);
	ASSERT(bsd.keepinit_bsd);
}

TEST(tcp_keepinit_bounds_the_connection_attempt)
{
	/* FreeBSD's TCP_KEEPINIT: the attempt ends after that many seconds,
	 * whatever SYN retransmissions are left. */
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.keepinit_bsd = true;
	struct dlg *d = dlg_new(&cfg);
	d->sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	int v = 2;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_KEEPINIT, &v, sizeof(v)), 0);
	size_t len = sizeof(v);
	v = 0;
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_IPPROTO_TCP, GT_TCP_KEEPINIT, &v, &len), 0);
	ASSERT_EQ(v, 2);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	ASSERT_EQ(gt_connect(d->s, d->sd, &a), -EINPROGRESS);
	dlg_next(d);
	dlg_advance(d, 1100000);
	dlg_next(d); /* the first retransmission, at 1 s */
	dlg_advance(d, 800000);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	dlg_advance(d, 200000);
	ASSERT_EQ(dlg_so_error(d, d->sd), ETIMEDOUT);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(rexmit_drop_options_from_the_third_syn_retransmission)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_wscale = cfg.opt_sack = cfg.opt_timestamps = true;
	cfg.syn_rexmit_drop_opts = 3;
	cfg.syn_linear_timeouts = 0; /* FreeBSD's backoff from the first */
	struct dlg *d = dlg_new(&cfg);
	dlg_connect(d);
	uint64_t wait = 1000000;
	for (int i = 1; i <= 4; i++) {
		dlg_advance(d, wait + 10000);
		wait *= 2;
		const struct dlg_seg *g = dlg_next(d);
		ASSERT_EQ(g->h.flags, TH_SYN);
		ASSERT(g->h.opts.has_mss);
		ASSERT_EQ(g->h.opts.has_wscale, i < 3);
		ASSERT_EQ(g->h.opts.sack_ok, i < 3);
		ASSERT_EQ(g->h.opts.has_ts, i < 3);
	}
	/* The SYN-ACK's options are not taken: the SYN did not offer them. */
	struct tcp_opts o = {.has_mss = true, .mss = DLG_MSS, .has_wscale = true, .wscale = 7};
	dlg_send(d, TH_SYN | TH_ACK, DLG_PEER_ISS, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	dlg_expect(d, TH_ACK, d->snd_nxt, DLG_PEER_ISS + 1);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_wscale, 0);
	dlg_free(d);
}

TEST(ts_required_drops_a_segment_without_timestamp)
{
	for (int req = 0; req < 2; req++) {
		struct gt_config cfg;
		dlg_config(&cfg);
		cfg.ts_required = req;
		struct dlg *d = dlg_new_ts(&cfg);
		dlg_established_passive(d);
		uint8_t x[10] = {0};
		struct tcp_opts none = {0};
		dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, x, 10, &none);
		dlg_advance(d, 100000);
		if (req) {
			dlg_expect_none(d);
			ASSERT_EQ(dlg_stats(d)->TcpTsMissingDrop, 1);
		} else {
			dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt + 10);
		}
		dlg_free(d);
	}
}

/* Grows cwnd past the initial window: 30 segments, each ACKed on its own
 * (slow start while the window limits the sender). */
static void grow_cwnd(struct dlg *d)
{
	dlg_app_send(d, 30 * DLG_MSS);
	for (int i = 0; i < 30; i++) {
		dlg_next(d);
		d->snd_nxt += DLG_MSS;
		dlg_peer_ack(d);
	}
	dlg_drain(d);
}

TEST(restart_after_idle_returns_to_the_initial_window)
{
	/* RFC 5681 4.1. Linux (tcp_cwnd_restart()): halved per RTO idle,
	 * not below the initial window; FreeBSD (cc_after_idle()): the
	 * initial window at once. Both keep 3/4 of cwnd in ssthresh. */
	for (int p = 0; p < 2; p++) {
		struct dlg *d = ecn_dlg((enum gt_profile)p, 0);
		dlg_established_passive(d);
		grow_cwnd(d);
		struct gt_tcp_info ti;
		dlg_info(d, d->sd, &ti);
		uint32_t cw0 = ti.snd_cwnd_bytes, rto = ti.rto_us;
		ASSERT_GE(cw0, 20u * DLG_MSS);
		ASSERT_LE(cw0, 40u * DLG_MSS);
		/* Idle for 2.5 RTO: Linux halves twice (delta - rto > 0 each
		 * time), never below 10 segments; FreeBSD goes to 10 at once. */
		dlg_advance(d, 2 * rto + rto / 2 + 1000);
		dlg_app_send(d, DLG_MSS);
		dlg_info(d, d->sd, &ti);
		ASSERT_EQ(ti.snd_cwnd_bytes, 10u * DLG_MSS);
		ASSERT_GE(ti.snd_ssthresh_bytes, cw0 / 2 + cw0 / 4);
		ASSERT_EQ(dlg_stats(d)->TcpCwndRestarts, 1);
		dlg_free(d);
	}
}

TEST(restart_after_idle_off_keeps_cwnd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.idle_restart = 0;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	grow_cwnd(d);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	uint32_t cw0 = ti.snd_cwnd_bytes;
	ASSERT_GT(cw0, 10u * DLG_MSS);
	dlg_advance(d, 10000000);
	dlg_app_send(d, DLG_MSS);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_cwnd_bytes, cw0);
	ASSERT_EQ(dlg_stats(d)->TcpCwndRestarts, 0);
	dlg_free(d);
}

/* ECN over IPv6 (RFC 3168 5 with RFC 8200 7: the ECN field is the traffic
 * class's two low bits): a granted ECN-setup SYN, the peer's CE mark read
 * from the traffic class and echoed, new data sent ECT(0) in it, and no
 * ECT on the SYN-ACK or on pure ACKs. */
TEST(ecn_over_ipv6_ce_in_traffic_class_echoed_and_data_ect0)
{
	for (int p = 0; p < 2; p++) {
		struct gt_config cfg;
		ecn_config(&cfg, (enum gt_profile)p, 2);
		struct dlg *d = dlg_new6(&cfg);
		dlg_listen(d, DLG_LPORT);
		const struct dlg_seg *g = peer_syn(d, TH_ECE | TH_CWR);
		ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK | TH_ECE);
		ASSERT_EQ(g->tos & 3, 0);
		d->iss = g->h.seq;
		d->snd_nxt = d->iss + 1;
		d->peer_nxt = DLG_PEER_ISS + 1;
		d->peer_tos = ECT0;
		dlg_peer_ack(d);
		d->sd = gt_accept(d->s, d->lsd, NULL);
		ASSERT_GE(d->sd, 0);
		ce_data_echoed(d, (enum gt_profile)p);
		dlg_app_send(d, 10);
		g = dlg_expect(d, TH_PSH | TH_ACK | TH_ECE, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(g->tos & 3, ECT0);
		ASSERT_EQ(g->ttl, 64);
		dlg_free(d);
	}
}

/* IPV6_RECVTCLASS (RFC 3542 6.5) as Linux keeps it on a TCP socket: any int
 * is a flag, read back 0 or 1, inherited by accept(); it changes nothing
 * sent (Linux delivers the class to TCP only through IPV6_PKTOPTIONS). The
 * IPv6 level on an AF_INET socket: ENOPROTOOPT to set, EOPNOTSUPP to get
 * (ip_setsockopt(), ip_getsockopt()). */
TEST(ipv6_recvtclass_round_trip_inherited_and_ipv4_level_errors)
{
	struct dlg *d = dlg_new6(NULL);
	int v4sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(set_int(d, v4sd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS, 1), -ENOPROTOOPT);
	int v = 0;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, v4sd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS, &v, &len),
		  -EOPNOTSUPP);
	ASSERT_EQ(gt_getsockopt(d->s, v4sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, &v, &len), -EOPNOTSUPP);
	int lsd = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(get_int(d, lsd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS), 0);
	ASSERT_EQ(set_int(d, lsd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS, 7), 0);
	ASSERT_EQ(get_int(d, lsd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS), 1);
	dlg_established_passive(d);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS), 1);
	ASSERT_EQ(set_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS, 0), 0);
	ASSERT_EQ(get_int(d, d->sd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS), 0);
	ASSERT_EQ(get_int(d, lsd, GT_IPPROTO_IPV6, GT_IPV6_RECVTCLASS), 1);
	dlg_free(d);
}
