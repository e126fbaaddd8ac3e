/* The kernel back-end's TCP_INFO fields past glibc's struct tcp_info
 * (netinet/tcp.h stops at tcpi_total_retrans): read with the kernel's
 * own struct (linux/tcp.h), which the two headers cannot share a file
 * with; and SO_MEMINFO's buffers. Linux only, as kernel.c. */
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/tcp.h>

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif
/* SK_MEMINFO_RMEM_ALLOC, _RCVBUF and _SNDBUF's places (linux/sock_diag.h). */
enum { PK_MEMINFO_RMEM_ALLOC = 0, PK_MEMINFO_RCVBUF = 1, PK_MEMINFO_SNDBUF = 3, PK_MEMINFO_VARS = 9 };

/* Whether the kernel's answer of len bytes holds the field. */
#define HAS(f) (len >= offsetof(struct tcp_info, f) + sizeof(((struct tcp_info *)0)->f))

/* The fields of enum pk_tcpi_more (tcpi_more.c) that the kernel's answer
 * holds: an older kernel's is shorter (tcpi_delivered came with 4.18). */
static void more(const struct tcp_info *ti, socklen_t len, struct pk_tcpi *t)
{
	pk_tcpi_more_set(t, PK_TCPI_RETRANSMITS, ti->tcpi_retransmits);
	pk_tcpi_more_set(t, PK_TCPI_ATO, ti->tcpi_ato);
	pk_tcpi_more_set(t, PK_TCPI_FACKETS, ti->tcpi_fackets);
	pk_tcpi_more_set(t, PK_TCPI_LAST_ACK_SENT, ti->tcpi_last_ack_sent);
	pk_tcpi_more_set(t, PK_TCPI_PMTU, ti->tcpi_pmtu);
	pk_tcpi_more_set(t, PK_TCPI_DELIVERY_RATE_APP_LIMITED, ti->tcpi_delivery_rate_app_limited);
	pk_tcpi_more_set(t, PK_TCPI_FASTOPEN_CLIENT_FAIL, ti->tcpi_fastopen_client_fail);
	/* __u64 rates and byte counts: a script's numbers are long long. */
	if (HAS(tcpi_max_pacing_rate)) {
		pk_tcpi_more_set(t, PK_TCPI_PACING_RATE, (long long)ti->tcpi_pacing_rate);
		pk_tcpi_more_set(t, PK_TCPI_MAX_PACING_RATE, (long long)ti->tcpi_max_pacing_rate);
	}
	if (HAS(tcpi_bytes_acked))
		pk_tcpi_more_set(t, PK_TCPI_BYTES_ACKED, (long long)ti->tcpi_bytes_acked);
	if (HAS(tcpi_segs_out))
		pk_tcpi_more_set(t, PK_TCPI_SEGS_OUT, ti->tcpi_segs_out);
	if (HAS(tcpi_notsent_bytes))
		pk_tcpi_more_set(t, PK_TCPI_NOTSENT_BYTES, ti->tcpi_notsent_bytes);
	if (HAS(tcpi_min_rtt))
		pk_tcpi_more_set(t, PK_TCPI_MIN_RTT, ti->tcpi_min_rtt);
	if (HAS(tcpi_data_segs_out)) {
		pk_tcpi_more_set(t, PK_TCPI_DATA_SEGS_IN, ti->tcpi_data_segs_in);
		pk_tcpi_more_set(t, PK_TCPI_DATA_SEGS_OUT, ti->tcpi_data_segs_out);
	}
	if (HAS(tcpi_delivery_rate))
		pk_tcpi_more_set(t, PK_TCPI_DELIVERY_RATE, (long long)ti->tcpi_delivery_rate);
	if (HAS(tcpi_delivered_ce)) {
		pk_tcpi_more_set(t, PK_TCPI_DELIVERED, ti->tcpi_delivered);
		pk_tcpi_more_set(t, PK_TCPI_DELIVERED_CE, ti->tcpi_delivered_ce);
	}
	if (HAS(tcpi_dsack_dups)) {
		pk_tcpi_more_set(t, PK_TCPI_BYTES_SENT, (long long)ti->tcpi_bytes_sent);
		pk_tcpi_more_set(t, PK_TCPI_BYTES_RETRANS, (long long)ti->tcpi_bytes_retrans);
		pk_tcpi_more_set(t, PK_TCPI_DSACK_DUPS, ti->tcpi_dsack_dups);
	}
	if (HAS(tcpi_rcv_ooopack))
		pk_tcpi_more_set(t, PK_TCPI_RCV_OOOPACK, ti->tcpi_rcv_ooopack);
	if (HAS(tcpi_snd_wnd))
		pk_tcpi_more_set(t, PK_TCPI_SND_WND, ti->tcpi_snd_wnd);
}
#undef HAS

void pk_kernel_tcpi_more(int fd, struct pk_tcpi *t)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0) {
		t->probes = ti.tcpi_probes;
		t->last_data_recv = ti.tcpi_last_data_recv;
		t->has_more = t->has_last_data_recv = true;
		t->last_data_sent = ti.tcpi_last_data_sent;
		t->last_ack_recv = ti.tcpi_last_ack_recv;
		t->has_last_data_sent = t->has_last_ack_recv = true;
		/* A kernel older than a field returns less: unknown there. */
		if (len >= offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
			t->bytes_received = (long long)ti.tcpi_bytes_received;
		else
			t->has_more = false;
		if (len >= offsetof(struct tcp_info, tcpi_sndbuf_limited) + sizeof(ti.tcpi_sndbuf_limited)) {
			t->busy_time = (long long)ti.tcpi_busy_time;
			t->rwnd_limited = (long long)ti.tcpi_rwnd_limited;
			t->sndbuf_limited = (long long)ti.tcpi_sndbuf_limited;
			t->has_chrono = t->has_sndbuf_limited = true;
		}
		if (len >= offsetof(struct tcp_info, tcpi_rcv_ssthresh) + sizeof(ti.tcpi_rcv_ssthresh)) {
			t->rcv_ssthresh = ti.tcpi_rcv_ssthresh;
			t->has_rcv_ssthresh = true;
		}
		/* tcp_get_info(): rcv_rtt_est.rtt_us >> 3 and rcvq_space.space. */
		if (len >= offsetof(struct tcp_info, tcpi_rcv_space) + sizeof(ti.tcpi_rcv_space)) {
			t->rcv_rtt = ti.tcpi_rcv_rtt;
			t->rcv_space = ti.tcpi_rcv_space;
			t->has_rcv_rtt = true;
		}
		if (len >= offsetof(struct tcp_info, tcpi_segs_in) + sizeof(ti.tcpi_segs_in)) {
			t->segs_in = ti.tcpi_segs_in;
			t->has_segs_in = true;
		}
		if (len >= offsetof(struct tcp_info, tcpi_reord_seen) + sizeof(ti.tcpi_reord_seen)) {
			t->reord_seen = ti.tcpi_reord_seen;
			t->has_reord_seen = true;
		}
		more(&ti, len, t);
	}
	unsigned int mem[PK_MEMINFO_VARS];
	len = sizeof(mem);
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0 && len >= sizeof(mem)) {
		t->rcvbuf = mem[PK_MEMINFO_RCVBUF];
		t->sndbuf = mem[PK_MEMINFO_SNDBUF];
		t->has_meminfo = true;
		t->rmem_alloc = mem[PK_MEMINFO_RMEM_ALLOC];
		t->has_rmem_alloc = true;
	}
}
