/* Which segments may set SND.WND, per profile (cfg.wnd_update), on the
 * case that tells them apart: a reordered duplicate ACK, with the same SEQ
 * and ACK as a window update that arrived before it, and a smaller window.
 * RFC 9293 3.10.7.4 (SND.WL1 = SEQ and SND.WL2 =< ACK) takes any window
 * from it; Linux's tcp_may_update_window() a larger one or zero; FreeBSD's
 * tcp_do_segment() ("Update window information") only a larger one. The
 * stack sends 1000 octets, the peer's ACK of them closes the window, a
 * window update opens it to 891 octets, and the duplicate of the closing
 * ACK (or one with 300 octets) arrives after the update; then the
 * application writes 500 octets. */
#include "dlg.h"
#include "util/seq.h"

static struct gt_config wnd_cfg(enum gt_profile p)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	if (p == GT_PROFILE_FREEBSD)
		dlg_config_plain(&cfg, GT_PROFILE_FREEBSD);
	return cfg;
}

/* Up to the application's 500 octets after the duplicate with stale_win. */
static struct dlg *stale_dup(const struct gt_config *cfg, uint16_t stale_win)
{
	struct dlg *d = dlg_new(cfg);
	dlg_established_passive(d);
	dlg_app_send(d, 1000);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->len, 1000);
	dlg_expect_none(d);
	uint32_t seq = DLG_PEER_ISS + 1, ack = d->iss + 1001;
	dlg_send(d, TH_ACK, seq, ack, 0, NULL, 0, NULL);     /* closes */
	dlg_send(d, TH_ACK, seq, ack, 891, NULL, 0, NULL);   /* opens */
	dlg_send(d, TH_ACK, seq, ack, stale_win, NULL, 0, NULL); /* stale */
	dlg_expect_none(d);
	dlg_app_send(d, 500);
	return d;
}

/* The 500 octets written go at once (the window is 891). */
static void expect_sent_at_once(struct dlg *d)
{
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.seq, d->iss + 1001);
	ASSERT_EQ(g->len, 500);
	dlg_expect_none(d);
}

/* The window is closed: nothing goes until the peer opens it again. */
static void expect_closed(struct dlg *d)
{
	dlg_expect_none(d);
	dlg_advance(d, 100000);
	dlg_expect_none(d);
	dlg_send(d, TH_ACK, DLG_PEER_ISS + 1, d->iss + 1001, 891, NULL, 0, NULL);
	expect_sent_at_once(d);
}

TEST(wnd_update_bsd_ignores_stale_zero_window)
{
	struct gt_config cfg = wnd_cfg(GT_PROFILE_FREEBSD);
	ASSERT_EQ(cfg.wnd_update, GT_WND_UPDATE_BSD);
	struct dlg *d = stale_dup(&cfg, 0);
	expect_sent_at_once(d);
	dlg_free(d);
}

TEST(wnd_update_bsd_ignores_stale_smaller_window)
{
	struct gt_config cfg = wnd_cfg(GT_PROFILE_FREEBSD);
	struct dlg *d = stale_dup(&cfg, 300);
	expect_sent_at_once(d);
	dlg_free(d);
}

TEST(wnd_update_linux_takes_stale_zero_window)
{
	struct gt_config cfg = wnd_cfg(GT_PROFILE_LINUX);
	ASSERT_EQ(cfg.wnd_update, GT_WND_UPDATE_LINUX);
	struct dlg *d = stale_dup(&cfg, 0);
	expect_closed(d);
	dlg_free(d);
}

TEST(wnd_update_linux_ignores_stale_smaller_window)
{
	struct gt_config cfg = wnd_cfg(GT_PROFILE_LINUX);
	struct dlg *d = stale_dup(&cfg, 300);
	expect_sent_at_once(d);
	dlg_free(d);
}

TEST(wnd_update_overlapping_segment_below_wl1)
{
	/* The peer's data 1-101 and 101-201 (SND.WL1 = 101), then 51-251
	 * (overlapping RCV.NXT = 201) with the ACK of all 1000 octets sent
	 * and window 0. Linux's tcp_may_update_window() takes it (the ACK
	 * moves SND.UNA); FreeBSD's tcp_do_segment() trims the 150 old
	 * octets first (SEG.SEQ 201 > SND.WL1) and takes it; RFC 9293 sees
	 * SEG.SEQ 51 < SND.WL1 and keeps the window, so the next 500 octets
	 * go. */
	for (int p = 0; p < 3; p++) {
		struct gt_config cfg = wnd_cfg(p == 1 ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
		if (p == 2)
			cfg.wnd_update = GT_WND_UPDATE_RFC;
		struct dlg *d = dlg_new(&cfg);
		dlg_established_passive(d);
		static const char txt[200] = {0};
		uint32_t pseq = DLG_PEER_ISS + 1;
		dlg_send(d, TH_ACK, pseq, d->iss + 1, DLG_WIN, txt, 100, NULL);
		dlg_send(d, TH_ACK, pseq + 100, d->iss + 1, DLG_WIN, txt, 100, NULL);
		dlg_drain(d);
		dlg_app_send(d, 1000);
		ASSERT_EQ(dlg_next(d)->len, 1000);
		dlg_drain(d);
		dlg_send(d, TH_ACK, pseq + 50, d->iss + 1001, 0, txt, 200, NULL);
		dlg_drain(d);
		dlg_app_send(d, 500);
		if (p == 2) {
			const struct dlg_seg *g = dlg_next(d);
			ASSERT_EQ(g->h.seq, d->iss + 1001);
			ASSERT_EQ(g->len, 500);
		} else {
			dlg_expect_none(d);
		}
		dlg_free(d);
	}
}

TEST(wnd_update_rfc_takes_any_stale_window)
{
	struct gt_config cfg = wnd_cfg(GT_PROFILE_LINUX);
	cfg.wnd_update = GT_WND_UPDATE_RFC;
	struct dlg *d = stale_dup(&cfg, 0);
	expect_closed(d);
	dlg_free(d);
	d = stale_dup(&cfg, 300);
	/* The window is 300: sender SWS avoidance (RFC 9293 3.8.6.2.1)
	 * holds the 500 octets, 300 being under half the largest window
	 * seen; the other profiles send all 500 at once. */
	dlg_expect_none(d);
	dlg_free(d);
}

/* An ACK that moves SND.UNA but may not set the window (its SEQ below
 * SND.WL1: reordered behind the peer's later data) leaves the right edge
 * where the last update put it in the FreeBSD profile: tcp_do_segment()
 * takes the octets acknowledged off snd_wnd ("tp->snd_wnd -= acked")
 * before "Update window information". Here the peer's later segment
 * (SEQ 101, window 1500: right edge ISS+1501) arrives before its earlier
 * one (SEQ 1), which acknowledges the 1000 octets sent: 500 octets of
 * window are left, not 1500 from the new SND.UNA. Measured from SND.UNA,
 * a FreeBSD sender in swarm seed 80795011 sent 8,192 octets into a window
 * of 4,095, and the Linux receiver's window stayed 0 for ever. Linux's
 * tcp_may_update_window() takes the window from any ACK that moves
 * SND.UNA, so there the 1500 octets from ISS+1001 are right. */
TEST(wnd_update_bsd_ack_below_wl1_keeps_the_right_edge)
{
	for (int p = 0; p < 2; p++) {
		struct gt_config cfg = wnd_cfg(p ? GT_PROFILE_LINUX : GT_PROFILE_FREEBSD);
		struct dlg *d = dlg_new(&cfg);
		dlg_established_passive(d);
		static const char txt[100] = {0};
		uint32_t pseq = DLG_PEER_ISS + 1;
		dlg_app_send(d, 1000);
		ASSERT_EQ(dlg_next(d)->len, 1000);
		dlg_expect_none(d);
		/* The later segment first: SND.WL1 = SEQ 101, window 1500. */
		dlg_send(d, TH_ACK, pseq + 100, d->iss + 1, 1500, txt, 100, NULL);
		dlg_drain(d);
		/* The earlier one: its ACK takes all 1000 octets. */
		dlg_send(d, TH_ACK, pseq, d->iss + 1001, 1500, txt, 100, NULL);
		dlg_drain(d);
		dlg_app_send(d, 1400);
		uint32_t end = d->iss + 1001;
		/* 6 s: FreeBSD's persist timer (the override timeout) waits
		 * tcp_persmin, 5 s, at least. */
		for (int i = 0; i < 60; i++) {
			while (dlg_pending(d)) {
				const struct dlg_seg *g = dlg_next(d);
				if (g->len && seq_gt(g->h.seq + g->len, end))
					end = g->h.seq + g->len;
			}
			dlg_advance(d, 100000);
		}
		/* FreeBSD: the 500 octets the window holds (at once or as a
		 * persist probe), nothing past ISS+1501; Linux: all 1400. */
		ASSERT_EQ(end - d->iss, p ? 2401u : 1501u);
		dlg_free(d);
	}
}
