/* A FIN without data at RCV.NXT in a zero window (cfg.rcv_zero_wnd_fin):
 * Linux 6.18 takes it in ESTABLISHED, FIN_WAIT_1 and FIN_WAIT_2
 * (tcp_sequence() judges the end without the FIN; tcp_data_queue()'s
 * zero-window branch sends a bare FIN on to tcp_fin()); RFC 9293's table,
 * the field off, drops it. The FreeBSD profile takes it as before
 * (tcp_do_segment() trims by the data alone). */
#include "dlg.h"

#include <string.h>

#include "wire/ipv4.h"

#define FILL 20000u

static uint8_t data[FILL];

/* One IPv4 segment of len bytes at RCV.NXT, larger than dlg_build()
 * makes (no options: the dialogue agreed none). */
static void segment_in(struct dlg *d, uint32_t len)
{
	memset(data, 'x', len);
	dlg_send_big(d, data, len);
}

/* A passive connection whose receive window a single segment closed;
 * d->peer_nxt is RCV.NXT after it. */
static struct dlg *zero_window(const struct gt_config *cfg)
{
	struct dlg *d = dlg_new(cfg);
	int b = 4096, l = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(gt_setsockopt(d->s, l, GT_SOL_SOCKET, GT_SO_RCVBUF, &b, sizeof(b)), 0);
	dlg_established_passive(d);
	segment_in(d, FILL);
	dlg_advance(d, 300000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.win, 0);
	d->peer_nxt = g->h.ack;
	dlg_drain(d);
	return d;
}

static void linux_cfg(struct gt_config *cfg, bool on)
{
	dlg_config(cfg);
	cfg->rcv_zero_wnd_fin = on;
}

TEST(lxrcv_zero_window_bare_fin_established)
{
	struct gt_config cfg;
	linux_cfg(&cfg, true);
	struct dlg *d = zero_window(&cfg);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	const struct dlg_seg *g = dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt + 1);
	ASSERT_EQ(g->h.win, 0);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	dlg_free(d);
}

TEST(lxrcv_zero_window_bare_fin_fin_wait_1)
{
	struct gt_config cfg;
	linux_cfg(&cfg, true);
	struct dlg *d = zero_window(&cfg);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect_only(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_1);
	/* The peer's FIN, ours not yet ACKed: CLOSING. */
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_ACK, d->snd_nxt + 1, d->peer_nxt + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSING);
	dlg_free(d);
}

TEST(lxrcv_zero_window_bare_fin_fin_wait_2)
{
	struct gt_config cfg;
	linux_cfg(&cfg, true);
	struct dlg *d = zero_window(&cfg);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_expect_only(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_2);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt + 1, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_ACK, d->snd_nxt + 1, d->peer_nxt + 1);
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_free(d);
}

/* The field off: RFC 9293's table drops it, and answers with an ACK. */
TEST(lxrcv_zero_window_bare_fin_dropped_by_rfc_table)
{
	struct gt_config cfg;
	linux_cfg(&cfg, false);
	struct dlg *d = zero_window(&cfg);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

/* FreeBSD takes it with the field off (its profile's default). */
TEST(lxrcv_zero_window_bare_fin_freebsd_takes_it)
{
	struct gt_config cfg;
	dlg_config_plain(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(!cfg.rcv_zero_wnd_fin);
	struct dlg *d = zero_window(&cfg);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_advance(d, 300000);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
	dlg_free(d);
}
