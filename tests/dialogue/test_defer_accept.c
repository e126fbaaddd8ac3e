/* TCP_DEFER_ACCEPT at the API (issue 14): Linux's option kept as a count of
 * SYN-ACK timeouts (do_tcp_setsockopt(): secs_to_retrans(); getsockopt():
 * retrans_to_secs()), the bare handshake ACK it drops (tcp_check_req()),
 * and FreeBSD's answer to an option it lacks (tcp_default_ctloutput():
 * ENOPROTOOPT). The timing against the kernel is in
 * tests/pkt/linux/defer-accept-*.pkt. */
#include "dlg.h"

static int set_defer(struct dlg *d, int sd, int v)
{
	return gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_DEFER_ACCEPT, &v, sizeof(v));
}

static int get_defer(struct dlg *d, int sd)
{
	int v = -1;
	size_t len = sizeof(v);
	int rc = gt_getsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_DEFER_ACCEPT, &v, &len);
	return rc < 0 ? rc : v;
}

/* Seconds in, the seconds the timeouts cover out: 1 s, then periods of
 * 1 + 2 + 4 ... capped at 120 s each, at most 255 timeouts. */
TEST(defer_accept_linux_seconds_read_back_as_timeouts_cover)
{
	struct dlg *d = dlg_new(NULL);
	int sd = dlg_listen(d, DLG_LPORT);
	static const int in[][2] = {{0, 0}, {-5, 0}, {1, 1}, {2, 3}, {3, 3}, {4, 7}, {5, 7},
				    {8, 15}, {127, 127}, {128, 247}, {0x7fffffff, 29887}};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ASSERT_EQ(set_defer(d, sd, in[i][0]), 0);
		ASSERT_EQ(get_defer(d, sd), in[i][1]);
	}
	dlg_free(d);
}

/* The bare ACK is dropped and counted; data completes the handshake. */
TEST(defer_accept_linux_bare_ack_dropped_data_accepts)
{
	struct dlg *d = dlg_new(NULL);
	dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(set_defer(d, d->lsd, 5), 0);
	dlg_syn_received(d);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpDeferAcceptDrop, 1);
	ASSERT_EQ(gt_accept(d->s, d->lsd, NULL), -EAGAIN);
	dlg_peer_data(d, "hello", 5);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	DLG_ASSERT_STATE(d, sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(get_defer(d, sd), 0); /* inet_csk_clone_lock(): not inherited */
	char b[8];
	ASSERT_EQ(gt_recv(d->s, sd, b, sizeof(b), 0), 5);
	ASSERT_EQ(dlg_stats(d)->TcpDeferAcceptDrop, 1);
	dlg_free(d);
}

/* FreeBSD's netinet/tcp.h has no TCP_DEFER_ACCEPT (its accept filters are
 * SO_ACCEPTFILTER, another API): ENOPROTOOPT to set and get, and the bare
 * ACK completes the handshake. */
TEST(defer_accept_freebsd_enoprotoopt)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(set_defer(d, d->lsd, 5), -ENOPROTOOPT);
	ASSERT_EQ(get_defer(d, d->lsd), -ENOPROTOOPT);
	dlg_syn_received(d);
	dlg_peer_ack(d);
	ASSERT_GE(gt_accept(d->s, d->lsd, NULL), 0);
	ASSERT_EQ(dlg_stats(d)->TcpDeferAcceptDrop, 0);
	dlg_free(d);
}
