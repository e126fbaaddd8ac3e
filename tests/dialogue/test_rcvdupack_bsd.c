/* gt_tcp_info.dupacks_in in the FreeBSD profile is FreeBSD's tcps_rcvdupack
 * (cfg.rcvdupack_bsd): tcp_do_segment() counts every acceptable ACK at or
 * below SND.UNA that carries no text (after the duplicate part is trimmed)
 * and has the same window or comes on a SACK connection, a first FIN
 * excepted, before it decides whether the ACK is a duplicate at all (freebsd
 * main as stored in fel1x-developer/freebsd-src 2d614aa). */
#include "dlg.h"

#define SEG DLG_MSS

static uint8_t text[SEG];

static struct dlg *bsd_dialogue(bool sack)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.rcvdupack_bsd); /* the profile's default */
	cfg.opt_timestamps = false;
	cfg.opt_wscale = false;
	cfg.rcvbuf_autotune = cfg.sndbuf_autotune = false;
	cfg.oow_ack_window_ms = 0;
	for (int i = 0; i < 16; i++)
		cfg.isn_secret[i] = (uint8_t)(0x3c + 5 * i);
	struct dlg *d = dlg_new(&cfg);
	d->peer_syn_opts.sack_ok = sack;
	dlg_established_passive(d);
	return d;
}

static uint64_t dupacks(struct dlg *d)
{
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	return ti.dupacks_in;
}

static void ack(struct dlg *d, uint32_t a, uint16_t win)
{
	dlg_send(d, TH_ACK, d->peer_nxt, a, win, NULL, 0, NULL);
	dlg_drain(d);
}

/* Without SACK: an old ACK (below SND.UNA), a duplicate, and an ACK with
 * nothing outstanding count; a window change, text and a first FIN do not;
 * a wholly duplicate data segment and a repeated FIN (no text once trimmed)
 * do. Only the duplicate counted before branch h-bsd5 (1, not 5). */
TEST(rcvdupack_bsd_counts_old_idle_and_trimmed_acks)
{
	struct dlg *d = bsd_dialogue(false);
	uint32_t una = d->iss + 1;
	dlg_app_send(d, 2 * SEG);
	dlg_drain(d);
	ack(d, una + SEG, DLG_WIN); /* new data acknowledged: no count */
	ASSERT_EQ(dupacks(d), 0);
	ack(d, una, DLG_WIN); /* old: "th->th_ack != tp->snd_una" after the count */
	ASSERT_EQ(dupacks(d), 1);
	ack(d, una + SEG, DLG_WIN); /* a duplicate */
	ASSERT_EQ(dupacks(d), 2);
	ack(d, una + SEG, DLG_WIN - 100); /* another window: "tiwin == tp->snd_wnd" fails */
	ASSERT_EQ(dupacks(d), 2);
	ack(d, una + 2 * SEG, DLG_WIN - 100);
	ASSERT_EQ(dupacks(d), 2);
	ack(d, una + 2 * SEG, DLG_WIN - 100); /* nothing outstanding: no TT_REXMT */
	ASSERT_EQ(dupacks(d), 3);
	uint32_t seq = d->peer_nxt;
	dlg_send(d, TH_ACK, seq, una + 2 * SEG, DLG_WIN - 100, text, 100, NULL);
	d->peer_nxt += 100;
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 3); /* text */
	dlg_send(d, TH_ACK, seq, una + 2 * SEG, DLG_WIN - 100, text, 100, NULL);
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 4); /* all of it below RCV.NXT: tlen 0 once trimmed */
	dlg_send(d, TH_ACK | TH_FIN, d->peer_nxt, una + 2 * SEG, DLG_WIN - 100, NULL, 0, NULL);
	d->peer_nxt++;
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 4); /* the first FIN: "not a duplicate" */
	dlg_send(d, TH_ACK | TH_FIN, d->peer_nxt - 1, una + 2 * SEG, DLG_WIN - 100, NULL, 0, NULL);
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 5); /* the FIN again: TCPS_HAVERCVDFIN */
	dlg_free(d);
}

/* With SACK: a window change does not stop the count (TF_SACK_PERMIT), and
 * an ACK whose block brings nothing new (SACK_NOCHANGE, no duplicate)
 * counts as one that does. Before branch h-bsd5 only the first counted. */
TEST(rcvdupack_bsd_counts_sack_acks_without_new_blocks)
{
	struct dlg *d = bsd_dialogue(true);
	uint32_t una = d->iss + 1;
	dlg_app_send(d, 3 * SEG);
	dlg_drain(d);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = 1;
	o.sack[0].left = una + 2 * SEG;
	o.sack[0].right = una + 3 * SEG;
	dlg_send(d, TH_ACK, d->peer_nxt, una, DLG_WIN, NULL, 0, &o);
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 1); /* new SACK information: a duplicate */
	dlg_send(d, TH_ACK, d->peer_nxt, una, DLG_WIN, NULL, 0, &o);
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 2); /* the same block: counted, no duplicate */
	dlg_send(d, TH_ACK, d->peer_nxt, una, DLG_WIN - 100, NULL, 0, &o);
	dlg_drain(d);
	ASSERT_EQ(dupacks(d), 3); /* and with another window */
	dlg_free(d);
}
