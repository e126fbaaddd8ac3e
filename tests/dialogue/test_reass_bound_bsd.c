/* The invariant checker's bound on a FreeBSD receiver's reassembly queue.
 * FreeBSD 14's tcp_reass() admits a new entry only while t_segqlen <
 * min(sb_hiwat / t_maxseg + 1, net.inet.tcp.reass.maxqueuelen), reading
 * t_maxseg as it is at that segment; entries already queued stay when
 * t_maxseg grows (the black-hole detection in tcp_timer_rexmt() gives the
 * MSS back after lowering it). What holds throughout is maxqueuelen
 * (max_reass_ranges), which tcp_check_all() checks for this profile; the
 * limit of the moment (tcp_reass_limit()) tripped it (swarm seed 456 with
 * the low-water marks, last session: a black-hole restore). */
#include "dlg.h"

#include "stack_internal.h"
#include "tcp/tcp.h"

TEST(reass_bsd_queue_kept_when_maxseg_grows_back)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rcv_wnd_linux = false;
	cfg.reass_full_drops_new = true; /* FreeBSD's tcp_reass() */
	cfg.max_reass_ranges = 100;      /* reass.maxqueuelen */
	cfg.quickack_max_segs = 0;
	cfg.sockopt_buf_double = false;  /* SO_RCVBUF as asked */
	cfg.buf_round_to_mss = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	int v = 4380;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_RCVBUF, &v, sizeof(v)), 0);
	struct tcp_conn *c = sock_get(d->s, d->sd)->conn;
	/* The path's MSS lowered (as the detection's first step): 4,380 / 536
	 * + 1 = 9 entries admitted. */
	tcp_mss_set_path(d->s, c, 536);
	uint32_t lim = tcp_reass_limit(d->s, c);
	ASSERT_EQ(lim, 9);
	for (uint32_t i = 0; i < lim - 1; i++)
		dlg_send(d, TH_ACK, d->peer_nxt + 2 * i + 1, d->snd_nxt, DLG_WIN, "x", 1, NULL);
	ASSERT_EQ(c->nooo, lim - 1);
	/* The MSS given back: the limit of now is 4, the queue keeps its 8. */
	tcp_mss_set_path(d->s, c, 1460);
	ASSERT_LT(tcp_reass_limit(d->s, c), c->nooo);
	dlg_check(d);
	/* A new entry is not admitted at the new limit (tcp_reass(): "t_segqlen
	 * >= ... goto drop"); one that fills a hole still is. */
	dlg_send(d, TH_ACK, d->peer_nxt + 2 * (lim - 1) + 1, d->snd_nxt, DLG_WIN, "x", 1, NULL);
	ASSERT_EQ(c->nooo, lim - 1);
	dlg_peer_data(d, "y", 1);
	dlg_check(d);
}
