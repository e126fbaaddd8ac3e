/* connect() over the active closer's own TIME_WAIT pair, the Linux profile
 * (cfg.tw_reuse_linux, Linux 6.18's tcp_twsk_unique()): a socket that bound
 * the port itself takes the pair at once when the old connection had
 * timestamps, whatever tcp_tw_reuse says; the new SYN starts at exactly the
 * old SND.NXT + 65535 + 2 and echoes the old TS.Recent
 * (tests/pkt/linux/tw-reuse-*.pkt show the same on the wire, where the
 * runner rebases each connection's sequence numbers). */
#include "dlg.h"

/* The active closer's TIME_WAIT, timestamps agreed; returns the new socket,
 * bound to the old port, the old socket closed. */
static int reuse_socket(struct dlg *d, uint32_t *old_snd_nxt, uint32_t *peer_last_tsval)
{
	dlg_established_active(d);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	d->snd_nxt++;
	*peer_last_tsval = d->peer_tsval;
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_timewait(d), 1);
	*old_snd_nxt = d->snd_nxt;
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	int one = 1;
	gt_setsockopt(d->s, sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one));
	gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one));
	gt_close(d->s, d->sd);
	struct gt_sockaddr me = {.family = GT_AF_INET, .port = d->lport, .addr = DLG_LADDR};
	ASSERT_EQ(gt_bind(d->s, sd, &me), 0);
	return sd;
}

TEST(tw_reuse_connect_bound_port_isn_and_ts_ecr_as_linux)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.tw_reuse = false; /* tcp_tw_reuse = 0: a bound port takes it anyway */
	struct dlg *d = dlg_new_ts(&cfg);
	uint32_t old_snd_nxt, tsval;
	int sd = reuse_socket(d, &old_snd_nxt, &tsval);
	struct gt_sockaddr peer = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	ASSERT_EQ(gt_connect(d->s, sd, &peer), -EINPROGRESS);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN);
	ASSERT_EQ(g->h.seq, old_snd_nxt + 65535 + 2);
	ASSERT(g->h.opts.has_ts);
	ASSERT_EQ(g->h.opts.ts_ecr, tsval);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 1);
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

TEST(tw_reuse_connect_unbound_waits_for_the_delay_in_ms)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.tw_reuse_loopback = false; /* tcp_tw_reuse = 1: the dialogue's pair is not loopback */
	cfg.tw_reuse_delay_ms = 20;
	struct dlg *d = dlg_new_ts(&cfg);
	uint32_t old_snd_nxt, tsval;
	int sd = reuse_socket(d, &old_snd_nxt, &tsval);
	gt_close(d->s, sd);
	/* Unbound sockets limited to the old port by IP_LOCAL_PORT_RANGE. */
	uint32_t range = (uint32_t)d->lport << 16 | d->lport;
	struct gt_sockaddr peer = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	/* 20 ms after the entry's stamp is not past it (time_after32). */
	dlg_advance(d, 20000);
	sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	gt_setsockopt(d->s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &range, sizeof(range));
	ASSERT_EQ(gt_connect(d->s, sd, &peer), -EADDRNOTAVAIL);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_advance(d, 1000);
	ASSERT_EQ(gt_connect(d->s, sd, &peer), -EINPROGRESS);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN);
	ASSERT_EQ(g->h.seq, old_snd_nxt + 65535 + 2);
	ASSERT_EQ(g->h.opts.ts_ecr, tsval);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 1);
	dlg_free(d);
}

TEST(tw_reuse_connect_loopback_only_refuses_other_pairs)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_tw_reuse", "2"), 0);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_tw_reuse_delay", "1"), 0);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_tw_reuse", "3"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&cfg, GT_PROFILE_LINUX, "net.ipv4.tcp_tw_reuse_delay", "0"),
		  -EINVAL);
	struct dlg *d = dlg_new_ts(&cfg);
	uint32_t old_snd_nxt, tsval;
	int sd = reuse_socket(d, &old_snd_nxt, &tsval);
	gt_close(d->s, sd);
	uint32_t range = (uint32_t)d->lport << 16 | d->lport;
	struct gt_sockaddr peer = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	dlg_advance(d, 5000000);
	sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	gt_setsockopt(d->s, sd, GT_IPPROTO_IP, GT_IP_LOCAL_PORT_RANGE, &range, sizeof(range));
	ASSERT_EQ(gt_connect(d->s, sd, &peer), -EADDRNOTAVAIL); /* 10.0.0.x is no loopback */
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 0);
	dlg_free(d);
}
