/* The tcpi_ fields of Linux's struct tcp_info (include/uapi/linux/tcp.h)
 * past those struct pk_tcpi names one by one: each back-end sets the ones
 * it knows (kernel_tcpi.c from the kernel's TCP_INFO, pk_tcpi_more_from_gt()
 * from glasstcp's gt_tcp_info), and a script that asserts another is
 * unsupported there. */
#include <stdbool.h>
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

/* glasstcp's: tcpi_snd_wnd (tp->snd_wnd, the peer's window scaled; both
 * profiles keep it, FreeBSD's tcp_fill_info() too), the Linux profile's
 * tcpi_notsent_bytes (write_seq - snd_nxt: written, not yet sent), and
 * tcpi_delivered and tcpi_dsack_dups where the profile keeps them as
 * Linux does (src/tcp/tcp_rack.c tcp_lx_delivered(), tcp_lx_dsack_dups()). */
void pk_tcpi_more_from_gt(const struct gt_tcp_info *gi, bool linux_profile, struct pk_tcpi *t)
{
	pk_tcpi_more_set(t, PK_TCPI_SND_WND, gi->snd_wnd_bytes);
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
