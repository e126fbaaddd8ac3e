/* The tcpi_ fields of Linux's struct tcp_info (include/uapi/linux/tcp.h),
 * and FreeBSD's extensions (sys/netinet/tcp.h), past those struct pk_tcpi
 * names one by one: each back-end sets the ones
 * it knows (kernel_tcpi.c from the kernel's TCP_INFO, pk_tcpi_more_from_gt()
 * from glasstcp's gt_tcp_info), and a script that asserts another is
 * unsupported there. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"

/* packetdrill's names less "tcpi_", in enum pk_tcpi_more's order. */
static const char *const more_names[PK_TCPI_MORE_N] = {
	[PK_TCPI_RETRANSMITS] = "retransmits",
	[PK_TCPI_ATO] = "ato",
	[PK_TCPI_FACKETS] = "fackets",
	[PK_TCPI_LAST_ACK_SENT] = "last_ack_sent",
	[PK_TCPI_PMTU] = "pmtu",
	[PK_TCPI_PACING_RATE] = "pacing_rate",
	[PK_TCPI_MAX_PACING_RATE] = "max_pacing_rate",
	[PK_TCPI_BYTES_ACKED] = "bytes_acked",
	[PK_TCPI_SEGS_OUT] = "segs_out",
	[PK_TCPI_NOTSENT_BYTES] = "notsent_bytes",
	[PK_TCPI_MIN_RTT] = "min_rtt",
	[PK_TCPI_DATA_SEGS_IN] = "data_segs_in",
	[PK_TCPI_DATA_SEGS_OUT] = "data_segs_out",
	[PK_TCPI_DELIVERY_RATE] = "delivery_rate",
	[PK_TCPI_DELIVERY_RATE_APP_LIMITED] = "delivery_rate_app_limited",
	[PK_TCPI_FASTOPEN_CLIENT_FAIL] = "fastopen_client_fail",
	[PK_TCPI_DELIVERED] = "delivered",
	[PK_TCPI_DELIVERED_CE] = "delivered_ce",
	[PK_TCPI_BYTES_SENT] = "bytes_sent",
	[PK_TCPI_BYTES_RETRANS] = "bytes_retrans",
	[PK_TCPI_DSACK_DUPS] = "dsack_dups",
	[PK_TCPI_RCV_OOOPACK] = "rcv_ooopack",
	[PK_TCPI_SND_WND] = "snd_wnd",
	[PK_TCPI_SND_NXT] = "snd_nxt",
	[PK_TCPI_RCV_NXT] = "rcv_nxt",
	[PK_TCPI_SND_BWND] = "snd_bwnd",
	[PK_TCPI_TOE_TID] = "toe_tid",
};
_Static_assert(PK_TCPI_MORE_N <= 32, "more_has is a 32-bit mask");

bool pk_tcpi_more_field(const struct pk_tcpi *t, const char *f, long long *v)
{
	for (int i = 0; i < PK_TCPI_MORE_N; i++)
		if (!strcmp(more_names[i], f)) {
			*v = t->more[i];
			return t->more_has & (1u << i);
		}
	return false;
}

void pk_tcpi_more_set(struct pk_tcpi *t, enum pk_tcpi_more i, long long v)
{
	t->more[i] = v;
	t->more_has |= 1u << i;
}

/* The names FreeBSD's packetdrill gives a script (google/packetdrill
 * gtests/net/packetdrill/code.c, write_tcp_info() under __FreeBSD__):
 * FreeBSD's struct tcp_info (sys/netinet/tcp.h) has no tcpi_unacked,
 * tcpi_probes, tcpi_backoff, tcpi_advmss, tcpi_ca_state or
 * tcpi_reordering (__tcpi_ placeholders, zeroed by tcp_fill_info()'s
 * bzero()) and no tcpi_total_retrans, tcpi_bytes_received or
 * tcpi_segs_in at all, and a script that names one stops there with a
 * NameError: unsupported under the FreeBSD profile. */
bool pk_tcpi_bsd_named(const char *f)
{
	static const char *const bsd[] = {
		"state", "options", "snd_wscale", "rcv_wscale", "rto", "snd_mss", "rcv_mss",
		"last_data_recv", "rtt", "rttvar", "snd_ssthresh", "snd_cwnd", "rcv_space",
		"snd_wnd", "snd_bwnd", "snd_nxt", "rcv_nxt", "toe_tid", "snd_rexmitpack",
		"rcv_ooopack", "snd_zerowin",
	};
	for (size_t i = 0; i < sizeof(bsd) / sizeof(bsd[0]); i++)
		if (!strcmp(bsd[i], f))
			return true;
	return false;
}

/* The FreeBSD profile's, as FreeBSD's tcp_fill_info() gives them
 * (fel1x-developer/freebsd-src b252a43 sys/netinet/tcp_usrreq.c): the
 * names (pk_tcpi_bsd_named()); tcpi_last_data_recv in us; tcpi_options says
 * TCPI_OPT_ECN (0x08) for RFC 3168 ECN and TCPI_OPT_ACE (0x40) for
 * AccECN ("case TF2_ACE_PERMIT: case TF2_ECN_PERMIT | TF2_ACE_PERMIT"),
 * never both; tcpi_snd_nxt and tcpi_rcv_nxt are tp->snd_nxt and
 * tp->rcv_nxt, absolute (packetdrill maps no sequence number in them:
 * the peer's are the script's, ours count from a random ISS, so scripts
 * compare ours with an earlier reading); tcpi_snd_bwnd is 0 ("Unused,
 * kept for compat.") and so is tcpi_toe_tid without TOE. Not given yet:
 * tcpi_snd_rexmitpack (t_sndrexmitpack, tcp_output(): data segments
 * sent again, a window probe not among them), tcpi_snd_zerowin
 * (t_sndzerowin, tcp_output(): segments sent with a zero window),
 * tcpi_rcv_ooopack (t_rcvoopack, tcp_reass(): segments queued out of
 * order, a whole duplicate not among them) and tcpi_rcv_space (rcv_wnd,
 * set at each segment's arrival in tcp_do_segment()): the profile does
 * not count them so (docs/freebsd.md). TCPI_OPT_TFO (TF_FASTOPEN) is
 * not set either: the TCB does not keep the flag.
 * tcpi_snd_cwnd and tcpi_snd_ssthresh are bytes: "ti->tcpi_snd_ssthresh =
 * tp->snd_ssthresh; ti->tcpi_snd_cwnd = tp->snd_cwnd;", no conversion
 * there nor in FreeBSD's packetdrill (Linux's are segments). The profile
 * keeps cwnd in bytes of tcp_maxseg() (t_maxseg less the options: 1448
 * with timestamps), as FreeBSD does (14,480 at IW10,
 * tcp_compute_initwnd(tcp_maxseg(tp))); its ssthresh without a
 * congestion event is UINT32_MAX (no limit), where tcp_newtcpcb() sets
 * "tp->snd_ssthresh = TCP_MAXWIN << TCP_MAX_WINSHIFT": 1,073,725,440. */
#define BSD_SSTHRESH_INIT (65535u << 14) /* TCP_MAXWIN << TCP_MAX_WINSHIFT */
static void bsd_from_gt(const struct gt_tcp_info *gi, struct pk_tcpi *t)
{
	t->bsd_names = true;
	t->snd_cwnd = gi->snd_cwnd_bytes;
	t->snd_ssthresh = gi->snd_ssthresh_bytes == UINT32_MAX ? BSD_SSTHRESH_INIT
							       : gi->snd_ssthresh_bytes;
	/* "tcpi_last_data_recv = ((uint32_t)ticks - tp->t_rcvtime) * tick":
	 * microseconds, in whole ticks (1 ms at hz 1000), where gt_tcp_info
	 * gives the ms. */
	if (t->has_last_data_recv)
		t->last_data_recv *= 1000;
	t->options = (gi->ts_ok ? 1 : 0) | (gi->sack_ok ? 2 : 0) | (gi->ws_ok ? 4 : 0) |
		     (gi->ace_ok ? 0x40 : gi->ecn_ok ? 8 : 0);
	if (gi->seq_ok) {
		pk_tcpi_more_set(t, PK_TCPI_SND_NXT, gi->snd_nxt);
		pk_tcpi_more_set(t, PK_TCPI_RCV_NXT, gi->rcv_nxt);
	}
	pk_tcpi_more_set(t, PK_TCPI_SND_BWND, 0);
	pk_tcpi_more_set(t, PK_TCPI_TOE_TID, 0);
}

/* glasstcp's: the FreeBSD profile's (bsd_from_gt()), tcpi_snd_wnd
 * (tp->snd_wnd, the peer's window scaled; both profiles keep it,
 * FreeBSD's tcp_fill_info() too), the Linux profile's
 * tcpi_notsent_bytes (write_seq - snd_nxt: written, not yet sent), and
 * tcpi_delivered and tcpi_dsack_dups where the profile keeps them as
 * Linux does (src/tcp/tcp_rack.c tcp_lx_delivered(), tcp_lx_dsack_dups()). */
void pk_tcpi_more_from_gt(const struct gt_tcp_info *gi, bool linux_profile, struct pk_tcpi *t)
{
	pk_tcpi_more_set(t, PK_TCPI_SND_WND, gi->snd_wnd_bytes);
	if (!linux_profile)
		bsd_from_gt(gi, t);
	if (linux_profile)
		pk_tcpi_more_set(t, PK_TCPI_NOTSENT_BYTES, gi->notsent_bytes);
	if (gi->delivered_ok) {
		pk_tcpi_more_set(t, PK_TCPI_DELIVERED, gi->delivered);
		pk_tcpi_more_set(t, PK_TCPI_DELIVERED_CE, gi->delivered_ce);
	}
	if (gi->dsack_dups_ok)
		pk_tcpi_more_set(t, PK_TCPI_DSACK_DUPS, gi->dsack_dups);
	/* tcp_get_info(): tp->bytes_sent (both profiles count it so),
	 * data_segs_out, bytes_retrans, data_segs_in and rcv_ooopack (the
	 * Linux profile's, seg_stats_ok). */
	if (linux_profile)
		pk_tcpi_more_set(t, PK_TCPI_BYTES_SENT, (long long)gi->bytes_sent);
	if (gi->seg_stats_ok) {
		pk_tcpi_more_set(t, PK_TCPI_DATA_SEGS_OUT, gi->data_segs_out);
		pk_tcpi_more_set(t, PK_TCPI_BYTES_RETRANS, (long long)gi->bytes_retrans);
		pk_tcpi_more_set(t, PK_TCPI_DATA_SEGS_IN, gi->data_segs_in);
		pk_tcpi_more_set(t, PK_TCPI_RCV_OOOPACK, gi->rcv_ooopack);
	}
	/* tcpi_sndbuf_limited: the SNDBUF_LIMITED chrono, with the others. */
	if (gi->chrono_ok) {
		t->sndbuf_limited = (long long)gi->sndbuf_limited_us;
		t->has_sndbuf_limited = true;
	}
	/* tcpi_min_rtt: tcp_min_rtt(), ~0U before a sample. */
	if (linux_profile)
		pk_tcpi_more_set(t, PK_TCPI_MIN_RTT, gi->min_rtt_us ? gi->min_rtt_us : UINT32_MAX);
}
