/* Socket buffer low-water marks at the API (issue 14): FreeBSD's send and
 * receive marks (cfg.sb_lowat; sowriteable(), sosend_generic(),
 * soreadable(), sbsetopt()) and Linux's SO_RCVLOWAT (tcp_set_rcvlowat(),
 * tcp_poll()) through gt_poll(), gt_send() and gt_recv(); the invariant
 * checker runs after each step. */
#include "dlg.h"

static short revents(struct dlg *d, short events)
{
	struct gt_pollfd pf = {d->sd, events, 0};
	gt_poll(d->s, &pf, 1);
	return pf.revents & events;
}

static int getopt_int(struct dlg *d, int name)
{
	int v = -1;
	size_t len = sizeof(v);
	ASSERT_EQ(gt_getsockopt(d->s, d->sd, GT_SOL_SOCKET, name, &v, &len), 0);
	return v;
}

static int setopt_int(struct dlg *d, int name, int v)
{
	return gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, name, &v, sizeof(v));
}

/* The dialogue's configuration with FreeBSD's socket buffers: sized in
 * bytes, SO_SNDBUF as asked, the marks at 2,048. */
static struct dlg *established_bsd(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.sb_lowat = 2048;
	cfg.sndbuf_skb_overhead = 0;
	cfg.sockopt_buf_double = false;
	cfg.buf_round_to_mss = true;
	cfg.sndbuf_autotune = false;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	return d;
}

static char buf[16384];

/* sowriteable(): sbspace() >= sb_lowat; sosend_generic(): a write that
 * does not fit whole waits (EAGAIN here) while less than the mark is free,
 * else takes what fits. */
TEST(lowat_bsd_send_poll_eagain_partial)
{
	struct dlg *d = established_bsd();
	ASSERT_EQ(getopt_int(d, GT_SO_SNDLOWAT), 2048);
	ASSERT_EQ(getopt_int(d, GT_SO_RCVLOWAT), 1);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDBUF, 8192), 0);
	ASSERT_EQ(revents(d, GT_POLLOUT), GT_POLLOUT);
	/* Sent at once (the initial window holds it) and held unACKed. */
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 7000, 0), 7000);
	dlg_check(d);
	ASSERT_EQ(revents(d, GT_POLLOUT), 0); /* 1,192 free < 2,048 */
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 1000, 0), 1000); /* fits whole */
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 500, 0), -EAGAIN); /* 192 free */
	/* A mark of 100: 192 free is writable, a write takes it. */
	ASSERT_EQ(setopt_int(d, GT_SO_SNDLOWAT, 100), 0);
	ASSERT_EQ(revents(d, GT_POLLOUT), GT_POLLOUT);
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 500, 0), 192);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDLOWAT, 2048), 0);
	dlg_drain(d);
	/* 2,920 ACKed: 2,920 free, at least the mark. */
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + 2920, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(revents(d, GT_POLLOUT), GT_POLLOUT);
	ASSERT_EQ(gt_send(d->s, d->sd, buf, 5000, 0), 2920);
	ASSERT_EQ(revents(d, GT_POLLOUT), 0);
	dlg_check(d);
}

/* sbsetopt(): under 1 refused, above the buffer cut to it;
 * sbreserve_locked(): a buffer lowered under a mark cuts it. */
TEST(lowat_bsd_marks_cut_to_the_buffer)
{
	struct dlg *d = established_bsd();
	ASSERT_EQ(setopt_int(d, GT_SO_SNDLOWAT, 0), -EINVAL);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, -3), -EINVAL);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDBUF, 4000), 0);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDLOWAT, 100000), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_SNDLOWAT), 4000);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDBUF, 1000), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_SNDLOWAT), 1000);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDBUF, 9000), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_SNDLOWAT), 1000);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, 500), 0);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVBUF, 300), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_RCVLOWAT), 300);
}

/* soreadable(): sbavail() >= so_rcv.sb_lowat, or SBS_CANTRCVMORE; a
 * non-blocking read takes what there is (soreceive_stream()). */
TEST(lowat_bsd_recv_poll_until_mark_or_fin)
{
	struct dlg *d = established_bsd();
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, 100), 0);
	dlg_peer_data(d, buf, 60);
	ASSERT_EQ(revents(d, GT_POLLIN), 0);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), 60);
	dlg_peer_data(d, buf, 99);
	ASSERT_EQ(revents(d, GT_POLLIN), 0);
	dlg_peer_data(d, buf, 1);
	ASSERT_EQ(revents(d, GT_POLLIN), GT_POLLIN);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, 70, 0), 70);
	ASSERT_EQ(revents(d, GT_POLLIN), 0); /* 30 left */
	dlg_peer_fin(d);
	ASSERT_EQ(revents(d, GT_POLLIN), GT_POLLIN);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), 30);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), 0);
	dlg_check(d);
}

/* Linux: SO_SNDLOWAT cannot be set (sk_setsockopt(): ENOPROTOOPT) and reads
 * 1; SO_RCVLOWAT 0 is 1, a negative one INT_MAX, cut to half of
 * tcp_rmem[2] (SO_RCVBUF not set), which grows the buffer to the mark's
 * window at the default ratio, twice it (tcp_set_rcvlowat()). */
TEST(lowat_linux_options)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(setopt_int(d, GT_SO_SNDLOWAT, 4096), -ENOPROTOOPT);
	ASSERT_EQ(getopt_int(d, GT_SO_SNDLOWAT), 1);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, 0), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_RCVLOWAT), 1);
	int rcvbuf = getopt_int(d, GT_SO_RCVBUF);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, rcvbuf), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_RCVLOWAT), rcvbuf);
	ASSERT_EQ(getopt_int(d, GT_SO_RCVBUF), 2 * rcvbuf);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, -1), 0);
	ASSERT_EQ(getopt_int(d, GT_SO_RCVLOWAT), (int)(d->cfg.rcvbuf_max_bytes / 2));
	dlg_check(d);
}

/* Linux's tcp_poll(): readable with the mark unread, not before (the
 * window left is more than a segment, the memory far from 7/8 of the
 * buffer); a non-blocking read takes what there is. */
TEST(lowat_linux_poll_waits_for_mark)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(setopt_int(d, GT_SO_RCVLOWAT, 3000), 0);
	dlg_peer_data(d, buf, 1000);
	ASSERT_EQ(revents(d, GT_POLLIN), 0);
	dlg_peer_data(d, buf, 1000);
	ASSERT_EQ(revents(d, GT_POLLIN), 0);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, 500, 0), 500);
	dlg_peer_data(d, buf, 1499);
	ASSERT_EQ(revents(d, GT_POLLIN), 0); /* 2,999 unread */
	dlg_peer_data(d, buf, 1);
	ASSERT_EQ(revents(d, GT_POLLIN), GT_POLLIN);
	dlg_check(d);
}
