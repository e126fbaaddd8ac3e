/* lwIP (Debian's liblwip-dev, as shipped) as an anchor: both ends in one
 * lwIP instance, talking to the netif's own address over lwIP's loopback
 * path. No lwIP type leaks through this header.
 *
 * As shipped, Debian builds lwIP 2.1.3 with the GNU Hurd's lwipopts.h:
 * NO_SYS=0 (a tcpip thread and sys_arch on pthreads), LWIP_HAVE_LOOPIF=0
 * (no 127.0.0.1 netif), LWIP_NETIF_LOOPBACK=1 (packets to a netif's own
 * address loop through netif_poll, scheduled on the tcpip thread), TCP_MSS
 * 1460, TCP_WND = TCP_SND_BUF = 65535, checksums on. So it cannot be driven
 * NO_SYS style; the raw tcp API runs inside the tcpip thread instead,
 * callback-driven, with the main thread blocked until the run ends (one
 * core in use: the process is pinned).
 */
#ifndef GT_BENCH_LWIP_PEER_H
#define GT_BENCH_LWIP_PEER_H

#include <stdbool.h>
#include <stdint.h>

struct lwip_result {
	bool ok;
	char why[256];        /* when !ok: why there is no number */
	double wall_s, cpu_s;
	uint64_t bytes;       /* bulk: payload delivered */
	uint64_t conns;       /* connection rate: lifecycles completed */
	uint32_t mss;         /* the sender's MSS */
	uint32_t timewait;    /* pcbs in TIME_WAIT at the end */
	char version[32];
};

/* One connection, bytes from client to server, netif MTU mtu. */
void lwip_bench_bulk(uint64_t bytes, uint16_t mtu, struct lwip_result *r);
/* n lifecycles in a row: connect, 100-byte request, 1 KB response, client
 * closes first (TIME_WAIT on the client), server closes. */
void lwip_bench_connrate(uint32_t n, struct lwip_result *r);

#endif
