/* glasstcp: the socket API on a stack.
 *
 * POSIX-shaped and non-blocking: every call returns at once, with a byte
 * count or 0 on success and a negative errno value (-EAGAIN, -ECONNRESET...)
 * on failure. Readiness comes from gt_poll() or from the event queue, which is
 * filled while the stack updates its state and read afterwards.
 */
#ifndef GLASSTCP_SOCKET_H
#define GLASSTCP_SOCKET_H

#include <glasstcp/stack.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* connect() with this family: a disconnect (cfg.connect_unspec_linux). */
#define GT_AF_UNSPEC 0
#define GT_AF_INET 2
#define GT_AF_INET6 10
#define GT_SOCK_STREAM 1

/* An endpoint of either family, read by its family (as sockaddr_storage);
 * port in host byte order. GT_AF_INET: addr, host byte order. GT_AF_INET6:
 * addr6, network order; an IPv4 peer of a dual-stack socket appears as
 * ::ffff:a.b.c.d. {GT_AF_INET, port, addr} still initialises an IPv4 one. */
struct gt_sockaddr {
	uint16_t family;
	uint16_t port;
	union {
		uint32_t addr;
		struct gt_in6_addr addr6;
	};
};

/* Levels and options (values are glasstcp's own, not the host's). */
#define GT_SOL_SOCKET 1
#define GT_IPPROTO_IP 0
#define GT_IPPROTO_TCP 6
/* IPPROTO_UDP, as a script names it in socket(): glasstcp's sockets are
 * TCP's alone, so a stream socket of it is EPROTONOSUPPORT, as socket(2)
 * answers on Linux (inet_create()) and FreeBSD (socreate(), pffindproto()). */
#define GT_IPPROTO_UDP 17
#define GT_IPPROTO_IPV6 41
/* GT_IPPROTO_IPV6: an AF_INET6 socket takes IPv4 peers (as IPv4-mapped
 * addresses) unless IPV6_V6ONLY is set; its default is the profile's
 * (cfg.v6only: Linux 0, FreeBSD 1). Set before bind() or connect(). */
#define GT_IPV6_V6ONLY 26
/* RFC 3542 6.3 and 6.5, with Linux's numbers (do_ipv6_setsockopt()), on an
 * AF_INET6 socket; they govern its IPv6 connections (an IPv4 peer of a
 * dual-stack socket gets IP_TOS and IP_TTL instead, as on Linux).
 * IPV6_UNICAST_HOPS: 0..255, -1 for the stack's default (cfg.hop_limit);
 * getsockopt() then reads the default. IPV6_TCLASS: 0..255, -1 for 0; as
 * IP_TOS, only the DSCP bits are kept: the ECN field is TCP's (RFC 3168 5). */
#define GT_IPV6_UNICAST_HOPS 16
#define GT_IPV6_TCLASS 67
/* RFC 3542 6.5: ask for the traffic class of received packets. Accepted and
 * read back (0 or 1, inherited by accept()) as on Linux, where a TCP socket
 * gets the value only through getsockopt(IPV6_2292PKTOPTIONS /
 * IPV6_PKTOPTIONS), never from recvmsg(); glasstcp has neither, so the
 * flag changes nothing it sends or delivers (docs/ipv6.md). */
#define GT_IPV6_RECVTCLASS 66
enum {
	GT_IP_TOS = 1,  /* DSCP bits of the IP header; the ECN bits stay TCP's */
	GT_IP_TTL = 2,  /* 1..255, -1 for the default */
	/* Linux's (uapi linux/in.h), the Linux profile's: bind() with port 0
	 * leaves the port to connect(); and a per-socket port range for the
	 * ports bind() and connect() pick, hi << 16 | lo, each taken only
	 * inside the stack's range (inet_sk_get_local_port_range()). */
	GT_IP_BIND_ADDRESS_NO_PORT = 24,
	GT_IP_LOCAL_PORT_RANGE = 51,
	/* Linux's IP_MTU_DISCOVER (cfg.ip_mtu_discover_linux; IPV6_MTU_DISCOVER
	 * on an AF_INET6 socket): one of GT_IP_PMTUDISC_*, the default WANT.
	 * The IP header's DF is set for DO, and for WANT unless the route's MTU
	 * is locked (ip_dont_fragment()); an ICMP "fragmentation needed" under
	 * DONT, INTERFACE or OMIT resends nothing at once, the next send takes
	 * the smaller MSS (tcp_v4_mtu_reduced(): pmtudisc != DONT &&
	 * ip_sk_accept_pmtu()). An IPv6 Packet Too Big is taken as before
	 * whatever the mode. */
	GT_IP_MTU_DISCOVER = 10,
};
enum {
	GT_IP_PMTUDISC_DONT = 0,
	GT_IP_PMTUDISC_WANT = 1,
	GT_IP_PMTUDISC_DO = 2,
	GT_IP_PMTUDISC_PROBE = 3,
	GT_IP_PMTUDISC_INTERFACE = 4,
	GT_IP_PMTUDISC_OMIT = 5,
};
#define GT_IPV6_MTU_DISCOVER 23
#define GT_IP_DEFAULT_TTL 64
enum {
	GT_SO_REUSEADDR = 2,
	GT_SO_ERROR = 4,
	GT_SO_SNDBUF = 7,
	GT_SO_RCVBUF = 8,
	GT_SO_KEEPALIVE = 9,
	GT_SO_LINGER = 13,
	/* Low-water marks (Linux's numbers). The FreeBSD profile
	 * (cfg.sb_lowat): both, 1 or more, cut to the buffer. The Linux
	 * profile: SO_RCVLOWAT only (SO_SNDLOWAT -ENOPROTOOPT, read as 1);
	 * a negative value is INT_MAX, 0 is 1, at most half of SO_RCVBUF (set
	 * by the application) or of tcp_rmem[2] (tcp_set_rcvlowat()). */
	GT_SO_RCVLOWAT = 18,
	GT_SO_SNDLOWAT = 19,
	/* Linux's SO_ZEROCOPY (an int, 0 or 1, else -EINVAL; cfg.zerocopy_linux):
	 * sends with GT_MSG_ZEROCOPY are notified on the error queue
	 * (gt_recv_errqueue()). An accepted socket has its listener's
	 * (sk_clone_lock() copies sk_flags). FreeBSD has no such option:
	 * -ENOPROTOOPT (sosetopt()). Linux's value. */
	GT_SO_ZEROCOPY = 60,
	/* Linux's SO_TIMESTAMPING (an int of GT_SOF_TIMESTAMPING_* flags;
	 * cfg.tx_timestamping_linux, else -ENOPROTOOPT), for what the socket
	 * sends: a write that takes bytes marks its last byte, and the error
	 * queue gets an entry (ee_errno ENOMSG, ee_origin
	 * GT_SO_EE_ORIGIN_TIMESTAMPING, ee_info the GT_SCM_TSTAMP_* kind,
	 * ee_data the byte's offset from the OPT_ID base, else from the
	 * connection's start; ts_us the stack's time) when it is first sent
	 * (TX_SCHED, then TX_SOFTWARE) and when acknowledged (TX_ACK), as
	 * tcp_tx_timestamp(), __skb_tstamp_tx() and tcp_ack_tstamp() give
	 * them. sock_set_timestamping()'s rules: unknown flags, or OPT_ID_TCP
	 * without OPT_ID, -EINVAL; OPT_ID first set needs a connection
	 * (-EINVAL before or listening) and counts from SND.UNA (OPT_ID_TCP:
	 * from what is written). Taken and read back, not acted on: the
	 * receive side's flags (no timestamp comes with gt_recv()) and
	 * OPT_STATS, OPT_PKTINFO, hardware stamps. Linux's value. */
	GT_SO_TIMESTAMPING = 37,
};
#define GT_SOF_TIMESTAMPING_TX_SOFTWARE (1 << 1)
#define GT_SOF_TIMESTAMPING_SOFTWARE (1 << 4)
#define GT_SOF_TIMESTAMPING_OPT_ID (1 << 7)
#define GT_SOF_TIMESTAMPING_TX_SCHED (1 << 8)
#define GT_SOF_TIMESTAMPING_TX_ACK (1 << 9)
#define GT_SOF_TIMESTAMPING_OPT_TSONLY (1 << 11)
#define GT_SOF_TIMESTAMPING_OPT_ID_TCP (1 << 16)
enum { GT_SCM_TSTAMP_SND = 0, GT_SCM_TSTAMP_SCHED = 1, GT_SCM_TSTAMP_ACK = 2 };
enum {
	GT_TCP_NODELAY = 1,
	GT_TCP_MAXSEG = 2,
	GT_TCP_CORK = 3,
	GT_TCP_INFO = 11,
	GT_TCP_QUICKACK = 12,
	GT_TCP_KEEPIDLE = 4,   /* seconds idle before the first keepalive probe */
	GT_TCP_KEEPINTVL = 5,  /* seconds between probes */
	GT_TCP_KEEPCNT = 6,    /* unanswered probes before the connection is dropped */
	GT_TCP_LINGER2 = 8,    /* seconds an orphaned FIN_WAIT_2 waits; <0: none */
	GT_TCP_NOOPT = 20,     /* BSD: send no TCP options at all */
	GT_TCP_CONGESTION = 13, /* "cubic", "reno"/"newreno": the algorithm, by name */
	GT_TCP_KEEPINIT = 128, /* BSD: seconds a connection attempt may take (FreeBSD's value) */
	/* Linux's (an int, milliseconds, 0 off): how long transmitted data may
	 * stay unacknowledged, or zero-window probes go on, before the
	 * connection ends with ETIMEDOUT (do_tcp_setsockopt(): a negative
	 * value is -EINVAL). The FreeBSD profile has no such option:
	 * -ENOPROTOOPT (tcp_default_ctloutput()). Linux's value. */
	GT_TCP_USER_TIMEOUT = 18,
	/* Linux's (an int, seconds; cfg.defer_accept): a listener's
	 * connection is not accepted on the handshake's bare ACK, only on
	 * data or once the SYN-ACK has been retransmitted for about that
	 * long. Kept as Linux keeps it, a count of SYN-ACK timeouts
	 * (do_tcp_setsockopt(): secs_to_retrans() with the 1 s initial and
	 * 120 s largest RTO; getsockopt() reads retrans_to_secs() of it:
	 * 3 reads back 3, 5 reads 7; 0 or less is off). FreeBSD has no
	 * such option (its accept filters are another API):
	 * -ENOPROTOOPT, tcp_default_ctloutput(). Linux's value. */
	GT_TCP_DEFER_ACCEPT = 9,
	/* Linux's (an int, 1 to 127; cfg.syncnt_linux): this socket's
	 * tcp_syn_retries (icsk_syn_retries, tcp_sock_set_syncnt(); other
	 * values -EINVAL). A connect() resends its SYN by it
	 * (tcp_write_timeout(): retry_until, to which SYN_SENT adds
	 * tcp_syn_linear_timeouts); a listener's replaces
	 * tcp_synack_retries for its half-open connections
	 * (reqsk_timer_handler(): max_syn_ack_retries). getsockopt() reads
	 * it, or the stack's syn_retries while unset. FreeBSD has no such
	 * option: -ENOPROTOOPT (tcp_default_ctloutput()). Linux's value. */
	GT_TCP_SYNCNT = 7,
	/* TCP Fast Open (RFC 7413), server side, Linux's numbers
	 * (include/uapi/linux/tcp.h); cfg.fastopen_linux, else -ENOPROTOOPT.
	 * TCP_FASTOPEN: an int, the most TFO children not yet handshaken
	 * (fastopen_queue_tune()); TCP_FASTOPEN_KEY: 16 bytes, this
	 * listener's cookie key; TCP_FASTOPEN_NO_COOKIE: an int, SYN data
	 * taken without a cookie. */
	GT_TCP_FASTOPEN = 23,
	GT_TCP_FASTOPEN_KEY = 33,
	GT_TCP_FASTOPEN_NO_COOKIE = 34,
	/* The client's side (cfg.fastopen_linux): an int; connect() returns
	 * 0 at once where a cookie is cached for the peer and the SYN waits
	 * for the first write, which it carries (Linux's
	 * tcp_fastopen_defer_connect()). */
	GT_TCP_FASTOPEN_CONNECT = 30,
	/* FreeBSD's form (an int: sign this socket's segments with RFC 2385
	 * MD5 signatures, keys from gt_tcp_md5_key_add()); -EOPNOTSUPP where
	 * cfg.md5sig_bsd is off (the Linux profile, which takes Linux's form,
	 * GT_TCP_MD5SIG_LINUX). FreeBSD's value. */
	GT_TCP_MD5SIG = 16,
	/* FreeBSD's TCP over UDP (an int, 0..65535): the peer's UDP port this
	 * connection's segments go to in UDP from cfg.udp_tun_port; only
	 * before connect() or listen() (-EINVAL after), and -EINVAL for a
	 * port while cfg.udp_tun_port is 0 (tcp_default_ctloutput()). Read:
	 * the connection's port, the one its SYN came from for an accepted
	 * one. FreeBSD's value. */
	GT_TCP_REMOTE_UDP_ENCAPS_PORT = 71,
	/* Linux's form (the Linux profile; -EOPNOTSUPP where cfg.md5sig_bsd
	 * is on): a struct gt_tcp_md5sig adds, replaces or (tcpm_keylen 0)
	 * deletes the socket's key for a peer (tcp_v4_parse_md5_keys()); _EXT
	 * reads tcpm_flags (GT_TCP_MD5SIG_FLAG_PREFIX: tcpm_prefixlen).
	 * Linux's values. */
	GT_TCP_MD5SIG_LINUX = 14,
	GT_TCP_MD5SIG_EXT = 32,
	/* Linux's TCP_INQ (an int, 0 or 1, else -EINVAL; cfg.inq_linux):
	 * gt_recvmsg() then reports the bytes left to read after each call,
	 * as tcp_recvmsg() puts its TCP_CM_INQ control message
	 * (tcp_inq_hint()). FreeBSD has no such option (netinet/tcp.h: its
	 * 36 is TCP_LOGID): -ENOPROTOOPT. Linux's value. */
	GT_TCP_INQ = 36,
	/* Linux's TCP_NOTSENT_LOWAT (an int read as u32; cfg.notsent_lowat_linux):
	 * a write stops starting skbs once the bytes written and not yet sent
	 * reach it, POLLOUT waits until they are under half of it
	 * (tcp_stream_memory_free()); 0 is the stack's (net.ipv4.
	 * tcp_notsent_lowat, cfg.notsent_lowat). FreeBSD has no such option
	 * (netinet/tcp.h): -ENOPROTOOPT. Linux's value. */
	GT_TCP_NOTSENT_LOWAT = 25,
};

/* Linux's struct tcp_md5sig, its fields in Linux's order, the address a
 * struct gt_sockaddr (its family: the socket's; port ignored). */
#define GT_TCP_MD5SIG_FLAG_PREFIX 0x1
#define GT_TCP_MD5SIG_FLAG_IFINDEX 0x2
struct gt_tcp_md5sig {
	struct gt_sockaddr tcpm_addr;
	uint8_t tcpm_flags;
	uint8_t tcpm_prefixlen;
	uint16_t tcpm_keylen;
	int tcpm_ifindex;
	uint8_t tcpm_key[80];
};

struct gt_linger {
	int l_onoff;
	int l_linger; /* seconds */
};

/* Flags for gt_send / gt_recv. */
#define GT_MSG_PEEK 0x2
#define GT_MSG_MORE 0x8000
/* The end of a record (Linux's tcp_sendmsg_locked()): a write taken whole
 * closes its last skb (TCP_SKB_CB(skb)->eor), so no later write's bytes,
 * no tcp_grow_skb() and no retransmission's collapse join it
 * (tcp_skb_can_collapse_to()). It has this effect where glasstcp models
 * Linux's skbs (cfg.psh_linux, the Linux profile); elsewhere it is taken
 * and changes nothing, as FreeBSD's TCP keeps no record boundary in its
 * send buffer (tcp_usr_send(): sbappendstream()). Linux's value. */
#define GT_MSG_EOR 0x80
/* gt_sendto() on an unconnected socket: connect and send the data in the
 * SYN (RFC 7413; Linux's tcp_sendmsg_fastopen(), cfg.fastopen_linux).
 * Linux's value. */
#define GT_MSG_FASTOPEN 0x20000000
/* Linux's MSG_ZEROCOPY (cfg.zerocopy_linux; elsewhere -EOPNOTSUPP, as
 * an unknown flag): on a socket with GT_SO_ZEROCOPY a send that takes
 * bytes gets the next notification id (Linux's sk_zckey, from 0), and
 * once all its bytes are acknowledged, or the connection ends, the error
 * queue holds a notification for it (__msg_zerocopy_callback()), always
 * GT_SO_EE_CODE_ZEROCOPY_COPIED: glasstcp copies what it is given, so
 * the buffer is free at once. A send joins the id range of the one
 * before while that one's bytes are still unsent and nothing was written
 * between (msg_zerocopy_realloc(), up to 512 KiB). Without the option,
 * or with nothing to send, the flag changes nothing. At most
 * cfg.zerocopy_pending_max sends await their notification: one more is
 * refused with -ENOBUFS (Linux's bound is net.core.optmem_max), counted
 * TcpZerocopyNoBufs. Linux's value. */
#define GT_MSG_ZEROCOPY 0x4000000
/* gt_send(), gt_sendto(): the caller blocks. Where the write is not
 * taken whole before the handshake ends, it waits for the connection and
 * writes the rest (a blocking write: Linux's sk_write_pending, taken by
 * cfg.synsent_save_ack). Not Linux's flag: glasstcp's calls never block. */
#define GT_MSG_WAITCONN 0x01000000

/* shutdown() */
#define GT_SHUT_RD 0
#define GT_SHUT_WR 1
#define GT_SHUT_RDWR 2

/* Readiness bits, as poll(2). */
#define GT_POLLIN 0x001
#define GT_POLLOUT 0x004
#define GT_POLLERR 0x008
#define GT_POLLHUP 0x010
#define GT_POLLRDHUP 0x2000

/* RFC 9293 states, in its numbering of the diagram. */
enum gt_tcp_state {
	GT_TCP_CLOSED = 0,
	GT_TCP_LISTEN,
	GT_TCP_SYN_SENT,
	GT_TCP_SYN_RECEIVED,
	GT_TCP_ESTABLISHED,
	GT_TCP_FIN_WAIT_1,
	GT_TCP_FIN_WAIT_2,
	GT_TCP_CLOSE_WAIT,
	GT_TCP_CLOSING,
	GT_TCP_LAST_ACK,
	GT_TCP_TIME_WAIT,
	GT_TCP_NSTATES
};
const char *gt_tcp_state_name(enum gt_tcp_state s);

/* Linux's congestion-control states, numbered as its enum tcp_ca_state
 * (include/net/tcp.h): tcpi_ca_state. */
enum gt_tcp_ca_state {
	GT_TCP_CA_OPEN,
	GT_TCP_CA_DISORDER,
	GT_TCP_CA_CWR,
	GT_TCP_CA_RECOVERY,
	GT_TCP_CA_LOSS
};

/* Per-connection statistics, like Linux's struct tcp_info. */
struct gt_tcp_info {
	uint8_t state;         /* enum gt_tcp_state */
	uint8_t ca_state;      /* enum gt_tcp_ca_state, as the Linux profile's sender sees itself */
	uint8_t snd_wscale, rcv_wscale;
	bool ts_ok, sack_ok;
	bool ws_ok, ecn_ok;    /* window scaling, ECN (RFC 3168 or AccECN) agreed */
	bool syn_data;         /* TCP Fast Open: the SYN's data was taken (Linux's TCPI_OPT_SYN_DATA) */
	/* rcv_mss: Linux's tcpi_rcv_mss, the peer's segment size as seen
	 * (icsk_ack.rcv_mss, tcp_measure_rcv_mss()), or FreeBSD's, t_maxseg
	 * (cfg.tcpi_rcv_mss_seen); advmss: the MSS our SYN offered. */
	uint32_t snd_mss, rcv_mss, advmss;
	uint32_t rto_us, srtt_us, rttvar_us, min_rtt_us;
	uint32_t snd_cwnd_bytes, snd_ssthresh_bytes;
	uint32_t snd_wnd_bytes, rcv_wnd_bytes;
	/* The largest window the peer offered (FreeBSD's max_sndwnd): a
	 * segment short of the MSS goes when it is half of this or more
	 * (RFC 9293 3.8.6.2.1, Fs = 1/2), else by the other rules or a
	 * timer (FreeBSD's tcp_output(): the persist timer). */
	uint32_t max_snd_wnd_bytes;
	uint32_t unacked_bytes, notsent_bytes, rcv_queued_bytes;
	/* Linux's tcpi_unacked (tp->packets_out): segments sent and not yet
	 * acknowledged, a short one counting as one, a FIN sent alone one
	 * (src/tcp/tcp_info.c says where the count is exact). */
	uint32_t unacked_segs;
	uint32_t backoff;
	/* bytes_sent: every data octet sent, retransmissions included
	 * (Linux's tcpi_bytes_sent, RFC 4898 tcpEStatsPerfHCDataOctetsOut,
	 * counted per segment as __tcp_transmit_skb() does; both profiles). */
	uint64_t bytes_sent, bytes_acked, bytes_received;
	uint64_t segs_out, segs_in, retrans_segs, fast_retrans, rto_expiries;
	uint64_t dupacks_in, sacks_in, ooo_segs_in;
	uint64_t ooo_dropped; /* out-of-order segments given up: max_reass_ranges */
	uint64_t rcv_nomem;   /* data segments dropped for want of buffer memory (max_buffer_bytes) */
	/* Linux's tcpi_reordering (tp->reordering: the duplicate threshold,
	 * raised by reordering seen), tcpi_probes (icsk_probes_out: zero-window
	 * and keepalive probes unanswered) and tcpi_last_data_recv (ms since
	 * data last arrived, icsk_ack.lrcvtime; before any has, since the
	 * handshake ended, as tcp_finish_connect() and
	 * tcp_create_openreq_child() set lrcvtime, where the profile keeps
	 * Linux's delayed ACKs and autotuning; else UINT32_MAX before data). */
	uint32_t reordering, probes, last_data_recv_ms;
	/* Linux's tcpi_reord_seen (tp->reord_seen): reordering events seen,
	 * each a TcpSACKReorder of this connection's (FreeBSD: 0). */
	uint32_t reord_seen;
	/* Linux's tcpi_sacked, tcpi_lost and tcpi_retrans (sacked_out,
	 * lost_out, retrans_out: segments SACKed, marked lost and not SACKed,
	 * retransmitted and still out), from the RACK scoreboard of a SACK
	 * connection; without SACK, in the Linux profile, the duplicate ACKs
	 * Linux counts as sacked_out (tcp_add_reno_sack()), the head marked
	 * lost in a recovery and what an RTO marked lost, and the copies still
	 * out (tcp_info.c reno_scoreboard()); all 0 with nothing in flight.
	 * scoreboard_ok is false where the stack keeps no such marks (a SACK
	 * connection without a RACK log, the FreeBSD profile), and the three
	 * are then 0 but unknown. */
	uint32_t sacked_segs, lost_segs, retrans_out_segs;
	bool scoreboard_ok;
	/* Linux's tcpi_rcv_ssthresh (tp->rcv_ssthresh: the bound the offered
	 * window grows under, tcp_grow_window()), where the stack keeps
	 * Linux's receive window (cfg.rcv_wnd_linux; rcv_ssthresh_ok), else
	 * 0 and rcv_ssthresh_ok false. */
	uint32_t rcv_ssthresh_bytes;
	bool rcv_ssthresh_ok;
	/* Linux's tcpi_busy_time, tcpi_rwnd_limited and tcpi_sndbuf_limited
	 * (tcp_get_info_chrono_stats()): us spent with data unsent or
	 * unacknowledged (the three together), held by the peer's window,
	 * held by the send buffer; counted in jiffies as Linux does. And
	 * tcpi_last_data_sent and tcpi_last_ack_recv: ms since data last went
	 * out (lsndtime, from the handshake's end before any) and since the
	 * last acceptable ACK (rcv_tstamp). Where the profile keeps them
	 * (cfg.tcpi_chrono; chrono_ok), else 0 and chrono_ok false. */
	uint64_t busy_time_us, rwnd_limited_us, sndbuf_limited_us;
	uint32_t last_data_sent_ms, last_ack_recv_ms;
	bool chrono_ok;
	/* Linux's tcpi_rcv_rtt (us: tp->rcv_rtt_est.rtt_us >> 3, the
	 * receiver's RTT estimate, tcp_rcv_rtt_measure() and
	 * tcp_rcv_rtt_measure_ts()) and tcpi_rcv_space (tp->rcvq_space.space,
	 * tcp_rcv_space_adjust()'s last measure), where the profile keeps them
	 * as Linux does: Linux's receive autotuning on a socket that did not
	 * set SO_RCVBUF (rcv_rtt_ok), else 0 and rcv_rtt_ok false. */
	uint32_t rcv_rtt_us, rcv_space_bytes;
	bool rcv_rtt_ok;
	/* Linux's tcpi_delivered (tp->delivered: packets delivered,
	 * cumulatively or by SACK, the handshake's SYN or SYN-ACK among
	 * them) and tcpi_dsack_dups (tp->dsack_dups: segments D-SACKs
	 * reported), where the profile keeps them as Linux does
	 * (delivered_ok: RACK's transmit log on a SACK connection;
	 * dsack_dups_ok: RACK's), else 0 and false. */
	uint32_t delivered, dsack_dups;
	bool delivered_ok, dsack_dups_ok;
	/* Linux's tcpi_delivered_ce (tp->delivered_ce): of delivered, the
	 * packets ACKs with ECE delivered (RFC 3168 ECN), known with it. */
	uint32_t delivered_ce;
	/* Linux's tcpi_data_segs_out (tp->data_segs_out: segments sent that
	 * carried data, retransmissions included), tcpi_bytes_retrans
	 * (tp->bytes_retrans: data octets sent again), tcpi_data_segs_in
	 * (segments received with a payload, in order or not, duplicates
	 * too) and tcpi_rcv_ooopack (segments queued out of order), where the
	 * profile keeps Linux's TCP_INFO extras (cfg.tcpi_chrono;
	 * seg_stats_ok), else 0 and false. min_rtt_us above is Linux's
	 * tcpi_min_rtt once a sample came; before one Linux says ~0U
	 * (tcp_init_sock()'s minmax_reset()). */
	uint32_t data_segs_out, data_segs_in, rcv_ooopack;
	uint64_t bytes_retrans;
	bool seg_stats_ok;
	/* AccECN agreed (RFC 9768; FreeBSD's TF2_ACE_PERMIT, ecn_ok set with
	 * it): FreeBSD's tcp_fill_info() says TCPI_OPT_ACE (0x40) for it,
	 * not TCPI_OPT_ECN. */
	bool ace_ok;
	/* SND.NXT and RCV.NXT, absolute (FreeBSD's tcpi_snd_nxt and
	 * tcpi_rcv_nxt: tp->snd_nxt, tp->rcv_nxt), where a TCB answers
	 * (seq_ok); a socket answered from what its TCB left (TIME_WAIT, a
	 * closed one) has none, and they are 0. */
	uint32_t snd_nxt, rcv_nxt;
	bool seq_ok;
};

int gt_socket(gt_stack *stack, int family, int type);
int gt_bind(gt_stack *stack, int sd, const struct gt_sockaddr *addr);
int gt_listen(gt_stack *stack, int sd, int backlog);
/* Returns a new descriptor, or -EAGAIN when none is ready. */
int gt_accept(gt_stack *stack, int sd, struct gt_sockaddr *peer);
/* Starts the handshake: -EINPROGRESS, then POLLOUT (or SO_ERROR) tells.
 * An address of family GT_AF_UNSPEC disconnects where the profile does
 * (cfg.connect_unspec_linux, Linux's tcp_disconnect()): returns 0; a
 * connection ends at once (an RST from ESTABLISHED, CLOSE_WAIT,
 * FIN_WAIT_1/2, SYN_RECEIVED, and CLOSING/LAST_ACK with data unsent;
 * ECONNRESET then read once from SO_ERROR, recv() or send(), as from
 * SYN_SENT), unread data is dropped, a listener stops listening and its
 * queue is reset, and the socket may connect or listen again. Elsewhere
 * -EALREADY, -EISCONN or -EAFNOSUPPORT, as FreeBSD's connect().
 * Called again with an address: -EALREADY while in SYN_SENT; once the
 * handshake is done the Linux profile (cfg.connect_again_linux, Linux's
 * __inet_stream_connect(): SS_CONNECTING) returns 0 once, then -EISCONN,
 * and once the connection is gone its error once (-ECONNABORTED where
 * none is left), after which a connect() opens a new connection; the
 * FreeBSD profile -EISCONN at once. */
int gt_connect(gt_stack *stack, int sd, const struct gt_sockaddr *addr);
/* gt_send() with an address: with GT_MSG_FASTOPEN on a socket not yet
 * connected, a TCP Fast Open connect whose SYN carries what of buf fits;
 * returns the bytes it took, or -EINPROGRESS where it took none. Without
 * the flag, gt_send() (the address is not used). */
ssize_t gt_sendto(gt_stack *stack, int sd, const void *buf, size_t len, int flags,
		  const struct gt_sockaddr *to);
ssize_t gt_send(gt_stack *stack, int sd, const void *buf, size_t len, int flags);
ssize_t gt_recv(gt_stack *stack, int sd, void *buf, size_t len, int flags);
/* gt_recv() that also reports, in *inq, what Linux's recvmsg() puts in
 * its TCP_CM_INQ control message when TCP_INQ is on (tcp_recvmsg():
 * only when the call returns 0 or more): the bytes still to read after
 * this call, plus 1 for a FIN not yet read (rcv_nxt - copied_seq); 1
 * where that is 0 and the stream has ended (tcp_inq_hint(): SOCK_DONE),
 * so a reader goes on to see the end. -1 where there is no such message
 * (GT_TCP_INQ off, or the call failed). */
ssize_t gt_recvmsg(gt_stack *stack, int sd, void *buf, size_t len, int flags, int *inq);
int gt_shutdown(gt_stack *stack, int sd, int how);

/* The socket's error queue (Linux's sk_error_queue, recvmsg() with
 * MSG_ERRQUEUE): the oldest entry, taken off the queue, as Linux's
 * struct sock_extended_err; 0, or -EAGAIN when the queue is empty (it
 * never waits), -EBADF. An entry makes gt_poll() report GT_POLLERR. At
 * most 32 are queued (a timestamp past them is dropped, counted
 * TcpErrqueueDrops, as sock_queue_err_skb() drops one past sk_rcvbuf).
 * MSG_ZEROCOPY's: ee_origin GT_SO_EE_ORIGIN_ZEROCOPY, ee_errno 0,
 * ee_info to ee_data the range of notification ids acknowledged,
 * ee_code GT_SO_EE_CODE_ZEROCOPY_COPIED; completions that follow such an
 * entry at the queue's tail extend its range
 * (skb_zerocopy_notify_extend()). SO_TIMESTAMPING's: ts_valid, ts_us
 * (SCM_TIMESTAMPING's software stamp) and has_payload (Linux returns
 * the packet with it unless OPT_TSONLY; glasstcp has no copy of it, so
 * a reader learns only that it was there). Linux's values. */
#define GT_SO_EE_ORIGIN_TIMESTAMPING 4
#define GT_SO_EE_ORIGIN_ZEROCOPY 5
#define GT_SO_EE_CODE_ZEROCOPY_COPIED 1
struct gt_sock_extended_err {
	uint32_t ee_errno;
	uint8_t ee_origin, ee_type, ee_code, ee_pad;
	uint32_t ee_info, ee_data;
};
struct gt_errqueue_entry {
	struct gt_sock_extended_err ee;
	bool ts_valid, has_payload;
	uint64_t ts_us;
};
int gt_recv_errqueue(gt_stack *stack, int sd, struct gt_errqueue_entry *out);

/* The socket's buffers in place, for a relay or a proxy that moves bytes
 * between the stack and another socket: it reads from, or writes into, the
 * spans (at most two: a buffer wraps) with its own recvmsg()/sendmsg(),
 * so the bytes are copied once instead of twice. The spans are valid until
 * the next call into the stack.
 *
 * gt_recv_spans(): the bytes ready to read; returns their count (in sp[0],
 * then sp[1]; sp[1].len is 0 when they do not wrap), 0 at the end of the
 * stream, or what gt_recv() would return instead (-EAGAIN, an error).
 * gt_recv_consume(): the first n of them are read, as by gt_recv() (the
 * window opens); returns how many (at most what is ready).
 * gt_send_spans(): the free space of the send buffer, to write into;
 * returns its size, or what gt_send() would return instead (-EAGAIN when
 * full, -ENOBUFS when the stack's memory is spent, -EPIPE ...). Where the
 * send buffer is counted as Linux's skbs (the Linux profile) it is one
 * skb's room at a time: call again after the commit for more, as a
 * gt_send() of the same bytes would take it.
 * gt_send_commit(): the first n bytes written there are sent, as by
 * gt_send() with the same flags (GT_MSG_MORE, GT_MSG_EOR: the bytes end a
 * record, as a send() with MSG_EOR ends one, unless the commit takes fewer
 * than n); returns how many (at most the space).
 * A commit of 0 bytes gives back the memory gt_send_spans() took for a
 * send buffer that holds nothing (it is taken again at the next call). */
struct gt_span {
	void *base;
	size_t len;
};
ssize_t gt_recv_spans(gt_stack *stack, int sd, struct gt_span sp[2]);
ssize_t gt_recv_consume(gt_stack *stack, int sd, size_t n);
ssize_t gt_send_spans(gt_stack *stack, int sd, struct gt_span sp[2]);
ssize_t gt_send_commit(gt_stack *stack, int sd, size_t n, int flags);
/* Frees the descriptor; the connection goes on closing by itself. */
int gt_close(gt_stack *stack, int sd);
int gt_setsockopt(gt_stack *stack, int sd, int level, int name,
		  const void *val, size_t len);
int gt_getsockopt(gt_stack *stack, int sd, int level, int name,
		  void *val, size_t *len);
int gt_getsockname(gt_stack *stack, int sd, struct gt_sockaddr *out);
int gt_getpeername(gt_stack *stack, int sd, struct gt_sockaddr *out);

struct gt_pollfd {
	int sd;
	short events;
	short revents;
};
/* Fills revents; returns how many entries have any. Never blocks. */
int gt_poll(gt_stack *stack, struct gt_pollfd *fds, size_t n);

/* The event queue: each socket whose readiness may have changed appears once
 * until read, with its current readiness. Returns how many were written. */
struct gt_event {
	int sd;
	uint32_t revents;
};
size_t gt_events(gt_stack *stack, struct gt_event *out, size_t max);

/* The wake-ups the stack gave a socket, counted from its creation, where
 * Linux wakes a socket's wait queue (what epoll's ep_poll_callback() sees;
 * an edge-triggered watcher reports once per wake-up that matches it):
 * in: data or a FIN arrived, or a listener's connection is ready
 * (sk_data_ready(), EPOLLIN's key); out: write space after a write found
 * none or poll() found the socket not writable (SOCK_NOSPACE; Linux's
 * tcp_check_space() -> sk_stream_write_space(), once
 * __sk_stream_is_writeable(sk, 1)), and TCP_NOTSENT_LOWAT set on a
 * writable socket (EPOLLOUT's key); all: a state change, the connection's
 * end or error included (sk_state_change(), no key: every watcher).
 * -EBADF for a descriptor not open. */
struct gt_wakeups {
	uint32_t in, out, all;
};
int gt_wakeups(gt_stack *stack, int sd, struct gt_wakeups *out);

/* TCP MD5 signature keys (RFC 2385), held as FreeBSD's IPsec SADB holds
 * them (setkey "add SRC DST tcp SPI -A tcp-md5 KEY"): one key per
 * direction, found by the source and destination address of the segment it
 * signs or checks (ports ignored). Up to GT_TCP_MD5_KEYS keys, each of 1 to
 * GT_TCP_MD5_KEY_MAX bytes (RFC 2385 4.5: 80). A pair already held has its
 * key replaced. -EINVAL (bad family or length), -ENOSPC (table full,
 * counted TcpMd5KeysFull), -ENOENT (del: no such pair). */
#define GT_TCP_MD5_KEYS 16
/* Linux's keys (GT_TCP_MD5SIG_LINUX), all sockets' and connections'
 * together; one more is refused with -ENOMEM (counted TcpMd5KeysFull). */
#define GT_TCP_MD5_LX_KEYS 64
#define GT_TCP_MD5_KEY_MAX 80
int gt_tcp_md5_key_add(gt_stack *stack, const struct gt_sockaddr *src,
		       const struct gt_sockaddr *dst, const void *key, size_t len);
int gt_tcp_md5_key_del(gt_stack *stack, const struct gt_sockaddr *src,
		       const struct gt_sockaddr *dst);
/* Removes every key (setkey -F). */
void gt_tcp_md5_key_flush(gt_stack *stack);
/* `ip tcp_metrics flush all`: forgets what the stack keeps per peer
 * address as Linux's tcp_metrics does (tcp_metrics_flush_all()): the TCP
 * Fast Open client's cookies and MSSs (tcp_fastopen_cache_set()), also
 * the FreeBSD profile's client cookie cache. */
void gt_tcp_metrics_flush(gt_stack *stack);

/* A host route's metrics, as `ip route add|change|replace DST ... advmss N
 * mtu [lock] N initcwnd N initrwnd N` sets them in Linux (RTAX_ADVMSS,
 * RTAX_MTU, RTAX_INITCWND, RTAX_INITRWND): each 0 is unset. The MTU bounds
 * what is sent to dst (dst_mtu()); advmss is the MSS announced to it
 * (dst_metric_advmss()); initcwnd the first window in segments
 * (tcp_init_cwnd()); initrwnd the first receive window in segments
 * (tcp_select_initial_window()'s init_rcv_wnd, not read yet); advmss
 * and initcwnd only in the Linux profile (cfg.route_metrics_linux); the
 * lock is kept, not read. A Linux connection takes a change as Linux's
 * does: after its next segment goes out (the cached route is found stale
 * in ip_queue_xmit()), its next send syncs the MSS (tcp_current_mss()). */
struct gt_route {
	struct gt_sockaddr dst; /* family and address; the port is not read */
	uint32_t mtu;
	bool mtu_lock;
	uint16_t advmss;
	uint32_t initcwnd, initrwnd;
	/* `ip [-6] route flush cache`: nothing is set; the path MTUs learnt
	 * for dst.family's destinations are forgotten (gt_pmtu_flush()). */
	bool flush_cache;
};
#define GT_ROUTES 8
/* Sets the host route to r->dst (replacing its metrics): 0, -EINVAL for a
 * bad family or an MTU under 68, -ENOSPC with GT_ROUTES routes held. */
int gt_route_set(gt_stack *stack, const struct gt_route *r);

/* The path MTU learnt for dst (its family and address; ICMP fragmentation
 * needed, ICMPv6 Packet Too Big: gt_config.pmtu_cache), 0 when none is
 * held or it expired. */
uint32_t gt_pmtu_get(gt_stack *stack, const struct gt_sockaddr *dst);
/* Forgets the path MTUs learnt for family's destinations (GT_AF_INET,
 * GT_AF_INET6, 0 both); returns how many went. */
int gt_pmtu_flush(gt_stack *stack, int family);

#ifdef __cplusplus
}
#endif
#endif
