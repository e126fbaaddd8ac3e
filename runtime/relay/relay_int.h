/* The relay's insides, shared by its files: relay.c (the event loop, the
 * device, counters and listing), tcp_flow.c (TCP flows), udp_flow.c (UDP
 * flows) and ns.c (the namespace and its TUN device).
 *
 * How a TCP connection from the namespace crosses (docs/relay.md):
 *
 *   namespace kernel --SYN--> TUN --> relay: held; host connect() starts
 *       connect fails  --> relay answers itself: RST (refused) or ICMP
 *       connect done   --> SYN rewritten (NAT, below) into the stack, which
 *                          answers SYN-ACK; the stack's listener accepts;
 *                          bytes are relayed between the stack socket and
 *                          the host socket, FIN <-> shutdown(SHUT_WR),
 *                          RST <-> SO_LINGER {1,0} close.
 *
 * An IPv6 flow crosses the same way: its segments are translated to IPv4
 * for the stack and back (pkt6.c, RFC 7915), so the stack sees the same
 * synthetic IPv4 peer; the flow keeps the IPv6 addresses (ns6, dst6).
 *
 * The stack takes segments only for its own addresses and listens on
 * ports, not on "any port of any address", and has no hook that holds a SYN
 * until the relay decides. So the relay puts a NAT in front of it: every
 * namespace flow (ns_addr:ns_port -> dst_addr:dst_port) is shown to the
 * stack as a connection from a synthetic peer, one per flow slot
 * (RELAY_SYN_NET + slot / 64000 : 1024 + slot % 64000), to the stack's one
 * listener (gw_addr:RELAY_LISTEN_PORT); its answers are rewritten back.
 * A slot is reused only after the stack has forgotten the connection
 * (TIME_WAIT included), so a synthetic 4-tuple never meets an old one.
 *
 * Flow phases:
 *
 *   CONNECTING --host connected--> HANDSHAKE --accepted--> OPEN
 *       |  (--socks5: connected to the proxy and its CONNECT reply was 0)
 *       |  refused/unreachable/timeout: RST or ICMP, freed  |
 *                       both FINs crossed, host fd closed  v
 *                                                  CLOSING (stack TCB still there)
 *                                stack TCB gone  |
 *                     the stack holds TIME_WAIT  v    else freed at once
 *                                                  LINGER (slot held 2 MSL)
 * A reset on either side ends the flow at once (RST to the other side).
 *
 * Forwarded in (-t, fwd.c): a client accepted on the host makes an inbound
 * flow, DIALING while the stack's own connect goes to ns_addr:ns_port (no
 * NAT: the stack's gateway address and an ephemeral port, dst_addr and
 * dst_port here, which is how the namespace's segments name it), then OPEN
 * and the same phases as above; a refused or timed-out connect resets the
 * client (SO_LINGER {1,0}) and frees the flow.
 */
#ifndef GT_RUNTIME_RELAY_INT_H
#define GT_RUNTIME_RELAY_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <glasstcp/glasstcp.h>

#include "runtime/relay/pkt.h"
#include "runtime/relay/relay.h"
#include "runtime/tun/tun.h"

#define RELAY_SYN_NET 0x64400000u /* 100.64.0.0: synthetic peers, never on a wire */
#define RELAY_SYN_PORTS 64000u
#define RELAY_LISTEN_PORT 1u
#define RELAY_NONE UINT32_MAX
#define RELAY_SWEEP_US 250000u    /* timeouts are checked this often */
#define RELAY_RX_BATCH 256u       /* packets read from the TUN device per wakeup */
#define RELAY_RX_GROUP 32u        /* handed to gt_stack_input_batch() at once */
/* While the device holds one packet per wakeup (request and response
 * traffic), a wakeup reads one and leaves the queue's state to the
 * level-triggered epoll_wait(), which says at once when more are waiting
 * (the next round drains); every RELAY_RX_PROBE-th wakeup drains it to
 * EAGAIN all the same, a check that costs an echo 1/64 of a read
 * (relay.c: rx_batch()). */
#define RELAY_RX_PROBE 64u
/* A packet from the device this big is taken for a bulk sender's: the
 * device is drained again at once. */
#define RELAY_RX_SMALL 1024u
#define RELAY_TXQ RELAY_TX_BATCH_MAX             /* device writes queued for one io_uring_enter() at most (txq.c, --tx-batch) */
#define RELAY_TXQ_SLOT 2048u      /* a queued packet's bytes at most, virtio-net header included; longer ones go at once */
#define RELAY_ACK_HOLD 64u        /* the stack's pure ACKs held back while a group is handled */
#define RELAY_ACK_BYTES 112u      /* the largest held: an IPv6 header and a TCP header with options */
/* A send() or shutdown() to a host socket that took this long lost the
 * CPU on its way out (tcp_flow.c: lost_cpu()) */
#define RELAY_LOST_CPU_US 20u
/* A busy poll that lost the CPU (as above) stops the spinning for this
 * long (relay.c, wait_events()). */
#define RELAY_SPIN_BACKOFF_US 50000u
/* ... unless the spin found this many events since it last lost the
 * CPU: it pays, and the lost poll is taken for a passing interruption. */
#define RELAY_SPIN_PAYS_HITS 32u
/* The spin's shortest window, and its first (relay.c, spin_adapt()):
 * --busy-poll-us when that is shorter. */
#define RELAY_SPIN_MIN_US 50u
/* A flow's first send to its host socket of at most this many bytes goes
 * without TCP_NODELAY: one segment at any MSS (536, RFC 879's default for
 * IPv4; IPv6's is 1220). */
#define RELAY_NAGLE_FREE_BYTES 536u
/* --late-us by default. The namespace's FIN is passed on (shutdown())
 * when the loop has nothing else to do, after this long at the latest
 * (tcp_flow.c, defer_fin()); a flow the namespace opened waits this long
 * for its first byte or EOF: the late FINs wait for it, and its host
 * socket holds its handshake's last ACK for it (tcp_flow.c,
 * host_socket(), relay_tcp_fresh_expire()). */
#define RELAY_LATE_US 1000u
/* and while the loop spins (--busy-poll-us, not backed off), not before
 * this long: the namespace's next SYN comes a few microseconds after its
 * FIN (relay.c, wait_events()) */
#define RELAY_LATE_MIN_US 30u
/* Host sockets made ahead, per kind (IPv4 or IPv6, to the loopback or
 * beyond it, with IP_RECVERR or not: their options differ), refilled at
 * the loop's idle moment (tcp_flow.c, pool_take()). */
#define RELAY_POOL_PER 2u
#define RELAY_POOL_KINDS 8u
#define RELAY_ACK_HOLD_GROUP 4u   /* ACKs are held only for groups with at most this many TCP segments with data */
/* A flow's CONNECT through --socks5 without --connect-timeout-ms: the
 * proxy's own connect gives up after the kernel's SYN retries (127 s at
 * Linux's defaults) and says so; this bounds a proxy that never answers. */
#define RELAY_SOCKS_TIMEOUT_MS 130000u

/* epoll tags: kind in the top byte, slot below, generation in the high word. */
enum { EVK_TUN = 1, EVK_SIGNAL, EVK_TCP, EVK_UDP, EVK_FWD };

enum tflow_phase {
	TF_FREE = 0,
	TF_CONNECTING, /* the namespace's SYN held, host connect() in progress */
	TF_HANDSHAKE,  /* SYN given to the stack, not yet accepted */
	TF_OPEN,
	TF_CLOSING,    /* host side done; the stack's TCB still closing */
	TF_LINGER,     /* the stack holds TIME_WAIT for the synthetic 4-tuple */
	TF_DIALING,    /* forwarded in (-t): host client accepted, the stack's SYN sent into the namespace */
};

/* Who ended the flow first. */
enum relay_closer {
	CL_NONE = 0,
	CL_NS_FIN,
	CL_HOST_FIN,
	CL_NS_RST,
	CL_HOST_RST,
	CL_RELAY,      /* a timeout or a limit of the relay */
};

/* One direction of a flow: its end. Its bytes are never held by the relay
 * (tcp_flow.c, pump_dir()). */
struct rdir {
	bool eof;       /* the source ended (FIN) */
	bool shut;      /* and the end was passed on (shutdown SHUT_WR) */
};

struct tflow {
	uint8_t phase;            /* enum tflow_phase */
	uint8_t first_close;      /* enum relay_closer */
	bool dirty;               /* on the dirty list: pump it */
	bool mem_wait;            /* waits for stack buffer memory (--stack-mem) */
	bool host_rd, host_wr, host_err;
	bool host_rdhup;          /* the far end's FIN (or a hangup) is in: read to the EOF */
	bool host_rd_guess;       /* host_rd set because a send lost the CPU (ReadsAfterSend) */
	bool ns_rd, ns_wr, ns_err;
	bool stack_fin_first;     /* the stack sent its FIN before the namespace's: it holds TIME_WAIT */
	bool hashed;              /* in the namespace-tuple table */
	bool inbound;             /* forwarded in (-t): no NAT, the stack's own tuple */
	bool v6;                  /* the namespace's connection is IPv6: ns6, dst6 (ns_addr, dst_addr their folds) */
	/* Bit-fields: one byte for the seven keeps the slot at 152 bytes. */
	bool syn_partial : 1;     /* the held SYN's checksum is partial (relay_pkt.csum_partial) */
	bool recverr : 1;         /* the host socket has IP_RECVERR while it connects (not to the loopback) */
	bool host6 : 1;           /* an IPv4 flow whose host socket is IPv6: DNS to an IPv6 --dns */
	bool host_nodelay : 1;    /* TCP_NODELAY is set on the host socket (tcp_flow.c, move_up()) */
	bool late : 1;            /* on the late list: the namespace's FIN waits for the loop's idle moment */
	bool fresh : 1;           /* opened, and nothing moved yet: the late FINs wait for it (relay.fresh_n) */
	bool ack_held : 1;        /* the host socket holds its handshake's last ACK (tcp_flow.c, host_socket()) */
	uint32_t ns_addr, dst_addr;
	uint16_t ns_port, dst_port;
	uint32_t host_addr;       /* where the host socket connects (inbound: the client) */
	uint16_t host_port;
	uint16_t fwd_port;        /* inbound: the host port the client came to */
	int fd;                   /* host socket, -1 when closed */
	int sd;                   /* stack socket, -1 when none */
	uint32_t gen;             /* bumped at every reuse: stale epoll events */
	uint32_t hnext;           /* hash chain */
	uint32_t lnext;           /* linger list */
	uint64_t start_us, deadline_us;
	uint64_t active_us;       /* bytes last moved (or opened) */
	uint64_t bytes_up, bytes_down; /* namespace -> host, host -> namespace */
	uint8_t *syn;             /* the held SYN (CONNECTING) */
	struct socks5 *socks;     /* the proxy's CONNECT while it lasts (CONNECTING) */
	uint16_t syn_len;
	struct rdir up, down;
	uint8_t ns6[16], dst6[16];
};

/* A UDP flow, or an ICMP echo flow (proto ICMP: ns_port is the echo's
 * identifier, dst_port 0), each with a host socket of its own. */
struct uflow {
	bool in_use;
	uint8_t proto;            /* RELAY_PROTO_UDP or RELAY_PROTO_ICMP */
	uint32_t ns_addr, dst_addr;
	uint16_t ns_port, dst_port;
	int fd;
	uint32_t gen, hnext;
	uint64_t start_us, last_us;
	uint64_t dgrams_up, dgrams_down, bytes_up, bytes_down;
	uint8_t last_hdr[48];     /* the last datagram's IP + UDP header (echo: IP header), for ICMP quotes */
	uint8_t ttl;              /* echo: the ping socket's IP_TTL (hop limit) now; 0: the kernel's default */
	bool v6;                  /* ns6, dst6 (ns_addr, dst_addr their folds) */
	bool host6;               /* the host socket is AF_INET6 (v6, or DNS to an IPv6 --dns) */
	uint8_t ns6[16], dst6[16];
};

/* Counters, named for scripts as the stack's are. */
struct relay_stats {
	uint64_t RxPkts, RxBytes, TxPkts, TxBytes, TxErrors;
	uint64_t TxBatches, TxBatchedPkts, TxFlushWrites, TxRingFailed;
	uint64_t RxNotIpv4, RxBadIp, RxFragments, RxBadL4, RxBadCsum, RxOtherProto, RxBadVnet;
	uint64_t RxEmptyReads, RxSingleReads, RxDrains;
	uint64_t RxLoneDrains; /* drains that found one packet or none: the wakeups after them read one (relay.c, rx_batch()) */
	uint64_t FlowsOpened, FlowsEstablished, FlowsRefused, FlowsUnreachable, FlowsTimedOut;
	uint64_t FlowLimitHit, FlowSocketErrors, SynRetransHeld, HandshakeTimeouts, IdleTimeouts;
	uint64_t FinsFromNs, FinsFromHost, NsClosedFirst, HostClosedFirst;
	uint64_t ResetsFromNs, ResetsFromHost, RstToStray, RstToBlocked;
	uint64_t BytesUp, BytesDown;
	uint64_t StackMemWaits;
	uint64_t FlowsNow, FlowsPeak, FlowsLinger, NatMisses;
	uint64_t UdpFlowsOpened, UdpFlowsExpired, UdpFlowLimitHit, UdpDgramsUp, UdpDgramsDown;
	uint64_t UdpBytesUp, UdpBytesDown, UdpDropped, UdpPortUnreach, DnsQueries;
	uint64_t IcmpEchoToStack, IcmpDropped, IcmpEchoRelayed, IcmpEchoReplies, IcmpSocketErrors;
	uint64_t IcmpErrorsRelayed, IcmpTtlExceeded;
	uint64_t SocksConnects, SocksOk, SocksRefused, SocksUnreachable, SocksFailed;
	uint64_t SocksAuthFailed, SocksBadReplies, SocksProxyErrors, SocksTimeouts, SocksPending;
	uint64_t FwdAccepted, FwdEstablished, FwdRefused, FwdUnreachable, FwdTimedOut, FwdErrors;
	uint64_t FwdAcceptPaused, HostCcErrors, HostNoDelaySet;
	uint64_t Flows6Opened, Icmp6EchoToGw, Rx6Dropped;
	uint64_t AcksHeld, AcksSuperseded;
	uint64_t ConnectsAtOnce;
	uint64_t ReadsAfterSend, RepliesAtOnce, GuessedEofs;
	/* --busy-poll-us: epoll_wait(0) calls made while spinning, those that
	 * found events (a sleep and its wakeup saved), spins that ran out
	 * and slept. */
	uint64_t BusyPolls, BusyPollHits, BusyPollSleeps, BusyPollBackoffs;
	uint64_t BusyPollLostHits; /* hits by the poll after one that lost the CPU (no backoff) */
	uint64_t BusyPollLostForgiven; /* lost polls after RELAY_SPIN_PAYS_HITS hits: a sleep, no backoff */
	/* The spin's window (relay.c, spin_adapt()): doubled after a sleep
	 * that an event ended within --busy-poll-us of the last one, halved
	 * after one that nothing ended that soon; its length at the end. */
	uint64_t BusyPollGrows, BusyPollShrinks, BusyPollWindowUs;
	uint64_t AcksHeldOver; /* held ACKs kept past their group for the spin (relay.c, end_group()) */
	uint64_t FinsDeferred, LateRuns; /* namespace FINs passed on at an idle moment (tcp_flow.c, defer_fin()) */
	uint64_t LateAtDeadline;  /* ... at RELAY_LATE_US: no idle moment without a new flow came */
	uint64_t HostAcksHeld, HostAcksForced; /* host connects whose last handshake ACK waited for the first byte, and those sent at RELAY_FRESH_US (tcp_flow.c) */
	uint64_t SocketsMadeAhead, SocketsTakenReady; /* host sockets made at an idle moment, and SYNs that got one (tcp_flow.c, pool_take()) */
	uint64_t DownReads, DownReadsShort; /* host socket reads that moved bytes to the stack, and those that got less than they asked (tcp_flow.c, move_down()) */
};

struct relay {
	struct relay_config cfg;
	const char *prog;
	int tun_fd, ep_fd, sig_fd;
	bool no_pwait2;           /* epoll_pwait2() said ENOSYS or EPERM: millisecond waits (relay.c, sleep_until()) */
	pid_t child;              /* the command, or 0 */
	bool child_done;
	int child_status;         /* exit status for ours */
	bool stopping;            /* a signal came or the command ended: closing */
	uint64_t stop_at_us;
	uint64_t now_us, start_us, next_sweep_us;
	uint64_t next_listing_us;  /* --listing: when the next one is due; UINT64_MAX: off */
	gt_stack *stack;
	int lsd;                  /* the stack's listener */
	uint16_t ip_id;
	struct relay_stats st;
	bool pcap_on;
	/* The stack's TCP segments go to the namespace with their checksums
	 * partial (VIRTIO_NET_HDR_F_NEEDS_CSUM), but with --pcap. */
	bool tx_partial;
	struct tun_pcap pcap;
	/* TCP flows: slots, a hash of namespace tuples, lists. */
	struct tflow *tf;
	uint32_t tf_cap, tf_used, tf_hi, tf_free; /* slots; in use; ever used; free chain */
	uint32_t *tf_hash;
	uint32_t tf_hash_mask;
	/* Flows to pump and flows waiting for the stack's memory, as (gen <<
	 * 32 | slot): an entry whose flow was freed since is skipped. */
	uint64_t *dirty, *mem_wait;
	uint32_t dirty_len, dirty_cap, mem_wait_len, mem_wait_cap;
	uint64_t *late;           /* flows whose namespace FIN waits for an idle moment */
	uint32_t late_len, late_cap;
	uint64_t late_since_us;   /* when the first of them came */
	bool late_now;            /* the late list is being run: nothing waits */
	uint32_t fresh_n;         /* flows opened that have moved no byte yet (tcp_flow.c, defer_fin()) */
	struct relay_fresh { uint64_t e, at_us; } *fresh; /* those flows (gen << 32 | slot), in the order they opened */
	uint32_t fresh_head, fresh_len, fresh_cap;
	/* Host sockets made ahead at an idle moment (tcp_flow.c, pool_take()),
	 * a FIFO per kind (pool_kind(): family, loopback or not, IP_RECVERR),
 * each with its
	 * options already set; pool_want: the kinds to fill up. */
	int pool[RELAY_POOL_KINDS][RELAY_POOL_PER];
	uint8_t pool_head[RELAY_POOL_KINDS], pool_len[RELAY_POOL_KINDS];
	uint8_t pool_want;
	uint32_t linger_head, linger_tail;
	uint32_t *by_sd;          /* stack descriptor -> slot */
	uint32_t by_sd_cap;
	/* UDP flows. */
	struct uflow *uf;
	uint32_t uf_cap, uf_used;
	uint32_t *uf_hash;
	uint32_t uf_hash_mask;
	uint8_t *rx;              /* RELAY_RX_GROUP packets read from the device */
	uint8_t *txbuf;           /* one whole packet: pcap joins, UDP and ICMP out */
	struct relay_txq *txq;    /* device writes queued for one io_uring_enter(); NULL: each at once */
	bool socks_warned_proxy, socks_warned_auth; /* said once on stderr */
	/* The stack's pure ACKs made while a group from the device is handled
	 * wait until its flows have been pumped (relay.c, hold_ack()). */
	bool hold_acks;
	/* The last drain of the device found one packet (rx_batch()):
	 * wakeups read one without the read that says EAGAIN. */
	bool rx_single;
	uint32_t rx_wakeups;
	uint64_t loop_rounds;     /* epoll_wait() calls */
	uint64_t active_us;       /* the last event from the device or a host socket */
	uint64_t spin_off_until_us; /* a spin lost the CPU: none until then */
	uint32_t spin_hits;       /* the spin's hits since its last lost poll (wait_events()) */
	uint32_t spin_us;         /* the spin's window now, RELAY_SPIN_MIN_US to --busy-poll-us (spin_adapt()) */
	uint64_t rx_single_round; /* the round of the last single read */
	uint64_t tx_synfin;       /* the stack's SYNs and FINs written to the device */
	/* --loopback-cc names the host namespace's default congestion
	 * control (net.ipv4.tcp_congestion_control when the relay started):
	 * no setsockopt(TCP_CONGESTION) per host socket. */
	bool loopback_cc_default;
	uint32_t held_n;
	uint64_t held_at_us;      /* when held ACKs were kept past their group; 0: none were */
	uint32_t held_over_n;     /* of them, those counted in AcksHeldOver */
	uint16_t held_len[RELAY_ACK_HOLD];
	uint8_t held[RELAY_ACK_HOLD][RELAY_ACK_BYTES];
	int *fwd_fd;              /* -t: a listening socket per forwarded port, -1 when closed */
	bool fwd_paused;          /* accept() ran out of descriptors: listeners off until the sweep */
};

/* txq.c */
struct relay_txq *relay_txq_open(int tun_fd, uint32_t max);
void relay_txq_close(struct relay_txq *q);
bool relay_txq_full(const struct relay_txq *q);
bool relay_txq_put(struct relay_txq *q, const struct iovec *iov, int n, size_t bytes);
uint32_t relay_txq_flush(struct relay_txq *q, struct relay_stats *st, uint64_t *bad_bytes);

/* relay.c */
void relay_tun_write(struct relay *r, const void *pkt, size_t len);
int relay_ep_add(struct relay *r, int fd, uint32_t events, uint64_t tag);
uint64_t relay_tag(int kind, uint32_t slot, uint32_t gen);
uint32_t relay_hash4(uint32_t a, uint16_t ap, uint32_t b, uint16_t bp);
/* Where a flow to dst:dport goes on the host: 0 and *to_addr, 1 and to6
 * when the host end is IPv6 (the resolver address's port 53 with an IPv6
 * --dns: the flow needs an AF_INET6 host socket), or -1 when it is
 * refused (the gateway with --no-map-gw, DNS without a resolver), -2 when
 * it is unreachable (other addresses of the namespace's subnet, multicast). */
int relay_host_target(const struct relay *r, uint32_t dst, uint16_t dport, uint8_t proto,
		      uint32_t *to_addr, uint8_t to6[16], uint16_t *to_port);
/* --dns names a resolver (IPv4 or IPv6). */
bool relay_dns_on(const struct relay_config *c);

/* The host's address for an IPv6 destination of the namespace's: 0 and
 * *to, *to_port (the gateway: ::1; the resolver address's port 53: the
 * resolver of --dns, an IPv4 one IPv4-mapped), -1 refused (the gateway with
 * --no-map-gw, the resolver address on other ports or without --dns), -2
 * unreachable (the namespace's own prefix, loopback, link-local,
 * multicast, IPv4-mapped). */
int relay_host_target6(const struct relay *r, const uint8_t dst[16], uint16_t dport, uint8_t to[16],
		       uint16_t *to_port);

/* tcp_flow.c */
int relay_tcp_init(struct relay *r);
void relay_tcp_fini(struct relay *r);
/* A TCP segment from the namespace. Returns true when it was rewritten for
 * the stack (the caller hands it over), false when the relay took it. */
bool relay_tcp_from_ns(struct relay *r, struct relay_pkt *p);
/* The stack's packet to a synthetic peer: rewritten to what the namespace
 * expects. false: no such flow (dropped, counted). */
bool relay_tcp_to_ns(struct relay *r, uint8_t **ip, size_t *len);
void relay_tcp_host_event(struct relay *r, uint32_t slot, uint32_t gen, uint32_t events);
void relay_tcp_stack_events(struct relay *r);
void relay_tcp_pump_dirty(struct relay *r);
void relay_tcp_run_late(struct relay *r);
bool relay_tcp_late_ready(const struct relay *r);
void relay_tcp_fresh_expire(struct relay *r);
uint64_t relay_tcp_fresh_deadline(const struct relay *r);
void relay_tcp_pool_fill(struct relay *r);
void relay_tcp_sweep(struct relay *r);
/* SIGTERM without a command: every flow reset on both sides. */
void relay_tcp_abort_all(struct relay *r);
uint32_t relay_tcp_active(const struct relay *r);
void relay_tcp_list(struct relay *r, FILE *f);

/* A client accepted on a forwarded port (-t): a flow whose stack socket
 * connects into the namespace's ns_port, of its IPv6 address for an IPv6
 * client (v6; peer_addr is then the client address's relay_fold6()); fd
 * is taken (closed on failure, with an RST). */
void relay_tcp_forward(struct relay *r, int fd, bool v6, uint32_t peer_addr, uint16_t peer_port,
		       uint16_t host_port, uint16_t ns_port);

/* fwd.c: the listening sockets of -t. */
int relay_fwd_open(struct relay *r);
void relay_fwd_event(struct relay *r, uint32_t idx);
void relay_fwd_sweep(struct relay *r);
void relay_fwd_close(struct relay *r);

/* udp_flow.c */
int relay_udp_init(struct relay *r);
void relay_udp_fini(struct relay *r);
void relay_udp_from_ns(struct relay *r, struct relay_pkt *p);
/* An ICMP echo request to an address that is not the stack's: sent on
 * through an unprivileged ping socket (IPPROTO_ICMP), its replies passed
 * back; a UDP-table flow with the same idle timeout. */
void relay_icmp_echo_from_ns(struct relay *r, struct relay_pkt *p);
void relay_udp_host_event(struct relay *r, uint32_t slot, uint32_t gen, uint32_t events);
void relay_udp_sweep(struct relay *r);
void relay_udp_list(struct relay *r, FILE *f);

/* ns.c: forks a child that enters the namespace (a new one, or
 * cfg->netns_path), creates and configures the TUN device there and passes
 * its fd back over a socketpair (SCM_RIGHTS). With a command, the child
 * then waits for relay_ns_go() and execs it with child_mask as its signal
 * mask; without, it exits. *ipv6: the namespace has its IPv6 address and
 * route (cfg->ipv6 asked and the kernel and namespace allowed; else the
 * reason is said once). Returns 0 with *tun_fd and *child, or -errno with a
 * message printed. */
int relay_ns_open(const struct relay_config *cfg, const char *prog, const sigset_t *child_mask,
		  int *tun_fd, pid_t *child, int *go_fd, bool *ipv6);
/* Lets the command run (closes go_fd after writing to it). */
void relay_ns_go(int go_fd);

#endif
