/* A send where no connection was ever made, by profile
 * (cfg.send_unconnected_epipe): Linux's tcp_sendmsg_locked() ->
 * sk_stream_wait_connect() answers EPIPE in CLOSE and LISTEN, FreeBSD's
 * sosend_generic() ENOTCONN; a read says ENOTCONN in both. Through
 * gt_send() and gt_send_spans() alike
 * (tests/pkt/linux/send-unconnected-socket-epipe.pkt is the script). */
#include "dlg.h"

static void send_errors(struct dlg *d, int sd, int want)
{
	struct gt_span sp[2];
	char b[8];
	ASSERT_EQ(gt_send(d->s, sd, "x", 1, 0), want);
	ASSERT_EQ(gt_send(d->s, sd, "x", 0, 0), want);
	ASSERT_EQ(gt_send_spans(d->s, sd, sp), want);
	ASSERT_EQ(gt_recv(d->s, sd, b, sizeof(b), 0), -ENOTCONN);
	ASSERT_EQ(gt_recv_spans(d->s, sd, sp), -ENOTCONN);
}

TEST(upself_send_unconnected_epipe_or_enotconn_by_profile)
{
	for (int bsd = 0; bsd < 2; bsd++) {
		struct gt_config cfg;
		dlg_config_plain(&cfg, bsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
		ASSERT_EQ(cfg.send_unconnected_epipe, !bsd);
		struct dlg *d = dlg_new(&cfg);
		int want = bsd ? -ENOTCONN : -EPIPE;
		int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT(sd >= 0);
		send_errors(d, sd, want); /* CLOSE, never bound */
		struct gt_sockaddr any = {.family = GT_AF_INET, .port = DLG_LPORT + 1};
		ASSERT_EQ(gt_bind(d->s, sd, &any), 0);
		send_errors(d, sd, want); /* bound */
		ASSERT_EQ(gt_listen(d->s, sd, 4), 0);
		send_errors(d, sd, want); /* LISTEN */
		dlg_expect_none(d);
		dlg_free(d);
	}
}
