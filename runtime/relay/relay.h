/* `glasstcp relay`: user-mode networking for a network namespace. A TUN
 * device inside the namespace carries its packets to this process, which
 * stays in the outer namespace: TCP connections are terminated by a glasstcp
 * stack and relayed to host sockets, UDP datagrams go through host UDP
 * sockets. See docs/relay.md. */
#ifndef GT_RUNTIME_RELAY_H
#define GT_RUNTIME_RELAY_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/relay/socks5.h"
#include "runtime/tun/tun.h"

/* One forwarded port (-t): the relay listens on host_addr:host_port in the
 * outer namespace and connects each client into the namespace's
 * ns_addr:ns_port through the stack; an IPv6 client into its ns_addr6. */
struct relay_fwd {
	uint32_t host_addr;         /* 0: every address */
	uint16_t host_port, ns_port;
	/* RELAY_FWD_ANY: 0.0.0.0 and (with IPv6 inside) [::]; RELAY_FWD_V4:
	 * host_addr only; RELAY_FWD_V6: host_addr6 only. */
	uint8_t family;
	uint8_t host_addr6[16];
};
enum { RELAY_FWD_ANY = 0, RELAY_FWD_V4 = 4, RELAY_FWD_V6 = 6 };
#define RELAY_FWD_MAX 1024u     /* forwarded ports at most (a listening socket each) */

/* Parses one -t argument, [ADDR/]PORT[:NSPORT] or [ADDR/]LO-HI[:NSLO-NSHI]
 * (ADDR IPv4 or IPv6, the latter bare or in brackets)
 * (a range maps to the same ports unless a range of the same length is
 * given), appending to out (cap entries, *n used). 0, or -1 with a message
 * in err (errlen bytes). */
int relay_fwd_parse(const char *arg, struct relay_fwd *out, uint32_t cap, uint32_t *n, char *err,
		    size_t errlen);

#define RELAY_TX_BATCH_MAX 32u /* --tx-batch at most */

struct relay_config {
	/* The runtime options shared with serve: --tun (the device's name in
	 * the namespace), --mtu, --pcap (the namespace side), --profile,
	 * --msl-ms, --syn-retries, --grace-ms, --time-limit, --counters,
	 * --quiet, --txqueuelen. tun.cfg is the stack's configuration. */
	struct tun_options tun;
	uint32_t ns_addr;           /* the namespace's address (10.0.2.100) */
	uint8_t ns_prefix;          /* its prefix (24) */
	uint32_t gw_addr;           /* the default route's gateway (10.0.2.2) */
	uint32_t dns_addr;          /* the resolver address inside (10.0.2.3) */
	/* Where DNS to dns_addr:53 (and dns_addr6's) goes, --dns: an IPv4
	 * resolver (dns_fwd_addr) or, with dns_fwd_v6, an IPv6 one
	 * (dns_fwd_addr6, dns_fwd_addr 0); neither: nowhere. */
	uint32_t dns_fwd_addr;
	bool dns_fwd_v6;
	uint8_t dns_fwd_addr6[16];
	uint16_t dns_fwd_port;
	bool map_gw;                /* connections to gw_addr reach 127.0.0.1 (gw_addr6: ::1) */
	/* IPv6 (TCP, UDP, ping): the namespace's address and prefix
	 * (fd00::100/64) and its default route's gateway (fd00::2, mapped
	 * to the host's ::1 as gw_addr is to 127.0.0.1). */
	bool ipv6;
	uint8_t ns_addr6[16], gw_addr6[16];
	/* The resolver address over IPv6 (fd00::3): DNS to it goes where
	 * dns_addr's goes (an IPv4 resolver through the IPv6 host socket's
	 * IPv4-mapped address). */
	uint8_t dns_addr6[16];
	uint8_t ns_prefix6;
	const char *netns_path;     /* --netns: attach instead of creating */
	char **cmd;                 /* the command to run inside; NULL: none */
	uint32_t max_flows;         /* TCP flows at once, lingering ones included */
	uint32_t max_udp_flows;
	uint32_t chunk_bytes;       /* one move of a flow's bytes (a recvmsg() or sendmsg()), at most */
	uint32_t host_buf_bytes;    /* SO_SNDBUF/SO_RCVBUF of host sockets; 0: the kernel's autotuning */
	/* TCP_CONGESTION of host sockets whose far end is the host's loopback
	 * (127.0.0.0/8: the mapped gateway, a proxy or a forwarded client
	 * there); NULL: the kernel's default. Default "cubic": a loopback hop
	 * cannot be congested, and a pacing algorithm (BBR, the default of
	 * many hosts) costs an hrtimer per burst of the relay's sends. */
	const char *loopback_cc;
	uint32_t connect_timeout_ms; /* host connect; 0: the kernel's SYN retries */
	uint32_t handshake_timeout_ms; /* SYN given to the stack until accepted */
	uint32_t udp_timeout_ms;    /* an idle UDP flow is closed */
	uint32_t listing_ms;        /* --listing: the SIGUSR1 listing every N ms; 0: on the signal only */
	uint32_t tcp_idle_timeout_ms; /* an open TCP flow with no bytes either way is reset; 0: never */
	/* --busy-poll-us: for up to this long after the last event from the
	 * device or a host socket, the loop asks epoll_wait() without
	 * sleeping before it sleeps in it (relay.c, wait_events()); the
	 * window starts at RELAY_SPIN_MIN_US and grows to this while events
	 * come that far apart (spin_adapt()); 0: never spins. */
	uint32_t busy_poll_us;
	/* --tx-batch: the device writes of a loop pass wait for one
	 * io_uring_enter(), up to this many (relay.c, tx_flush(); txq.c);
	 * 0 or 1: each its own writev(), as without io_uring. */
	uint32_t tx_batch;
	/* --late-us: a flow the namespace opened waits this long at most for
	 * its first byte (its host socket holding its handshake's last ACK),
	 * and a namespace FIN passed on late this long at most for an idle
	 * moment (tcp_flow.c, defer_fin(), relay_tcp_fresh_expire()).
	 * RELAY_LATE_US by default. */
	uint32_t late_us;
	/* TCP keepalive on both halves of every flow (the stack's socket and
	 * the host socket): probes after keepidle_s idle, every keepintvl_s,
	 * keepcnt unanswered end the connection. keepidle_s 0: off. */
	uint32_t keepidle_s, keepintvl_s, keepcnt;
	/* --socks5: every TCP flow is a CONNECT through this proxy; port 0:
	 * direct host sockets. */
	uint32_t socks5_addr;
	uint16_t socks5_port;
	struct socks5_creds socks5_creds; /* ulen 0: no authentication */
	const struct relay_fwd *fwd; /* -t: ports forwarded into the namespace */
	uint32_t nfwd;
};

void relay_config_default(struct relay_config *c);
/* Sets up the namespace and runs until the command exits (its exit status
 * is returned: 128 + N for a signal) or, without a command, until SIGINT
 * or SIGTERM (0). Setup failures print a message and return 1. */
int relay_run(const struct relay_config *c, const char *prog);

#endif
