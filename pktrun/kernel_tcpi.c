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
