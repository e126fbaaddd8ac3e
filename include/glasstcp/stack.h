/* glasstcp: the stack object, its configuration, its device and its clock.
 *
 * The core is sans-I/O: time comes in as now_us, packets come in through
 * gt_stack_input() and leave through the device's transmit callback, and the
 * stack tells when it next wants to run (gt_stack_next_deadline()).
 */
#ifndef GLASSTCP_STACK_H
#define GLASSTCP_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gt_stack gt_stack;

/* An IPv6 address, 16 bytes in network order. The core holds every address
 * in this form: an IPv4 address as IPv4-mapped, ::ffff:a.b.c.d (RFC 4291
 * 2.5.5.2), which also is how a dual-stack socket shows an IPv4 peer. The
 * field is not called s6_addr, which <netinet/in.h> defines as a macro. */
#ifndef GT_IN6_ADDR_DEFINED
#define GT_IN6_ADDR_DEFINED
struct gt_in6_addr {
	uint8_t b[16];
};
#endif

#define GT_NO_DEADLINE UINT64_MAX

/* Named behaviour profiles. Each sets every field of struct gt_config. */
enum gt_profile {
	GT_PROFILE_LINUX = 0,
	GT_PROFILE_FREEBSD = 1,
};

/* gt_config.keepalive_model: whose keepalive timer rules. */
enum gt_keepalive_model {
	GT_KEEPALIVE_LINUX = 0,   /* tcp_keepalive_timer() */
	GT_KEEPALIVE_FREEBSD = 1, /* tcp_timer_keep(), TT_KEEP */
};

/* Congestion control algorithms. */
enum gt_cc {
	GT_CC_NEWRENO = 0, /* RFC 5681, RFC 6582 */
	GT_CC_CUBIC = 1,   /* RFC 9438 */
};

/* gt_config.wnd_update. */
enum gt_wnd_update {
	GT_WND_UPDATE_RFC = 0,   /* RFC 9293 3.10.7.4 */
	GT_WND_UPDATE_LINUX = 1, /* tcp_may_update_window() */
	GT_WND_UPDATE_BSD = 2,   /* tcp_do_segment(), "Update window information" */
};

/* Order of options in SYN and SYN-ACK segments. */
enum gt_synopt_order {
	GT_SYNOPT_LINUX = 0,   /* mss, sackOK, TS, nop, wscale */
	GT_SYNOPT_FREEBSD = 1, /* mss, nop, wscale, sackOK, TS */
};

/* Every limit and behaviour of a stack. Fill with gt_config_default(), then
 * change what you need. Units are in the names. */
/* cfg.fastopen's bits, net.ipv4.tcp_fastopen's (include/net/tcp.h's
 * TFO_*): the client side on, the server side on, a client's SYN data
 * without a cookie, a server's without one, and every listener with a TFO
 * queue of its backlog. */
#define GT_TFO_CLIENT_ENABLE 0x1
#define GT_TFO_SERVER_ENABLE 0x2
#define GT_TFO_CLIENT_NO_COOKIE 0x4
#define GT_TFO_SERVER_COOKIE_NOT_REQD 0x200
#define GT_TFO_SERVER_WO_SOCKOPT1 0x400

struct gt_config {
	/* Limits: each one is enforced and counted when hit. */
	uint32_t max_sockets;       /* socket descriptors */
	uint32_t max_conns;         /* full connections (TCBs) */
	uint32_t max_timewait;      /* compact TIME_WAIT entries (at most 2,097,152) */
	/* Half-open connections per listener cap; with synq_backlog_linux
	 * the listen backlog bounds them, and this is tcp_max_syn_backlog,
	 * read only without syncookies. */
	uint32_t max_syn_backlog;
	/* Out-of-order ranges held per connection, at most 65535; 0: only
	 * the profile's rule on the receive buffer (Linux: one per two
	 * segments of it; FreeBSD tcp_reass(): one per segment, plus one). */
	uint32_t max_reass_ranges;
	/* Nothing held out of order: every segment above RCV.NXT is dropped
	 * (FreeBSD's net.inet.tcp.reass.maxqueuelen=0: tcp_reass() refuses
	 * each new entry, t_segqlen >= min(..., 0), so none is ever made).
	 * Off in both profiles. */
	bool reass_none;
	/* When a new out-of-order range finds max_reass_ranges full: false
	 * (Linux) the highest range gives way to one below it, as Linux's
	 * tcp_prune_ofo_queue() drops from the highest sequence, so the data
	 * nearest RCV.NXT is kept; true (FreeBSD tcp_reass(): a full queue
	 * takes only the segment at RCV.NXT) the new range is dropped. */
	bool reass_full_drops_new;
	/* A segment with FIN whose data ends before the end of the highest
	 * range held out of order (the held FIN's place when that is
	 * higher) is dropped whole, its data and FIN, with an ACK at once:
	 * FreeBSD 14's tcp_reass() ("Someone is trying to game us": FIN and
	 * SEQ_LT(th_seq + tlen, last->tqe_start + last->tqe_len), counting
	 * nothing; tcp_do_segment() sends the segment there whenever the
	 * queue holds anything, and sets TF_ACKNOW). false (Linux) the FIN
	 * is taken, or held, by sequence alone. Counted in
	 * TcpReassFinBeforeEnd. Also tcp_reass()'s next two checks against
	 * that entry: data after the FIN it holds is dropped whole with an
	 * ACK at once (TcpReassLastDrop), and a FIN on a repeat of it is
	 * not held ("Complete overlap"). */
	bool reass_fin_before_end_drops;
	/* PAWS as FreeBSD 14's tcp_do_segment() (RFC 7323 5.3): a segment
	 * with TSval older than TS.Recent is dropped, with no exception for
	 * a reordered duplicate ACK (Linux's tcp_disordered_ack()), none
	 * while TS.Recent is 0 ("tp->ts_recent &&"), and answered with an
	 * ACK only when it carries data ("if (tlen) goto dropafterack"): a
	 * bare FIN or ACK is dropped silently. A TS.Recent idle more than
	 * TCP_PAWS_IDLE (24 days in 32-bit ms) is zeroed rather than
	 * dropping; TS.Recent is replaced by sequence space alone; a SYN
	 * outside SYN_RECEIVED is challenge-ACKed before PAWS. false
	 * (Linux): the disordered ACK is taken (tcp_paws_discard()). */
	bool paws_bsd;
	uint64_t max_buffer_bytes;  /* all send+receive buffers of the stack (an empty receive
	                             * queue's next in-order segment may exceed it: TcpBufForced) */
	/* Emptied send/receive buffers kept for the next connection that needs
	 * one of the same size, instead of a free() and a malloc() each time a
	 * ring empties and fills again (request/response traffic). Not held by
	 * any connection, so not in max_buffer_bytes; at most this many bytes
	 * and 16 buffers. 0: every emptied buffer is freed. */
	uint32_t buffer_cache_bytes;
	/* Above that bound the cache may hold up to buffer_cache_hold_bytes,
	 * each buffer for buffer_cache_hold_us after it was emptied, then
	 * frees it (oldest first; the stack's deadline includes the next
	 * expiry). A bulk connection empties its multi-MB ring whenever the
	 * application catches up and needs it again one segment later: the
	 * hold spares it a free() and a malloc() of megabytes each time,
	 * and gives the memory back once the traffic stops. Not above
	 * buffer_cache_bytes: no hold. Above it, never less than one ring of
	 * buf_max_bytes (the largest a ring grows to), so that a ring
	 * autotuned past this bound (tcp_rmem[2] 32 MiB) is held too. */
	uint32_t buffer_cache_hold_bytes;
	uint32_t buffer_cache_hold_us;

	/* Buffers. */
	uint32_t sndbuf_bytes;      /* default SO_SNDBUF */
	uint32_t rcvbuf_bytes;      /* default SO_RCVBUF = advertised window */
	uint32_t buf_max_bytes;     /* largest SO_SNDBUF / SO_RCVBUF accepted */
	/* Receive-buffer autotuning (Linux's dynamic right-sizing,
	 * tcp_moderate_rcvbuf): once per receiver RTT, a buffer the
	 * application emptied faster than it was sized grows, up to
	 * rcvbuf_max_bytes (Linux's tcp_rmem[2]); never for a socket that set
	 * SO_RCVBUF. Counted in TcpRcvBufGrown. */
	bool rcvbuf_autotune;
	uint32_t rcvbuf_max_bytes;
	/* Both buffers by FreeBSD's rules instead (the FreeBSD profile):
	 * receive (tcp_autorcvbuf(), net.inet.tcp.recvbuf_auto): when in-order
	 * data arriving in half an SRTT came to more than 3/8 of the buffer,
	 * it grows by half, up to rcvbuf_max_bytes (recvbuf_max); send
	 * (tcp_sndbuf_autoscale(), sendbuf_auto): when the buffer is 7/8 full,
	 * the peer's window is at least 4/5 of it and the windows could send
	 * all that is unsent, it grows by 8 KiB (sendbuf_inc), up to
	 * sndbuf_max_bytes (sendbuf_max). */
	bool buf_autosize_bsd;
	/* Send-buffer autotuning (Linux's tcp_sndbuf_expand()): when an ACK
	 * finds cwnd not filled, the send buffer grows to twice cwnd, up to
	 * sndbuf_max_bytes (Linux's tcp_wmem[2]) and while the stack's
	 * buffers stay under half of max_buffer_bytes; never for a socket
	 * that set SO_SNDBUF. Counted in TcpSndBufGrown. */
	bool sndbuf_autotune;
	uint32_t sndbuf_max_bytes;
	bool sockopt_buf_double;    /* Linux doubles SO_*BUF values on set */
	/* FreeBSD's socket buffers: SO_*BUF taken as asked, no floor, under 1
	 * EINVAL, past sb_max_adj (buf_max_bytes * 2048 / 2304) ENOBUFS
	 * (sbsetopt()); at the handshake tcp_mss() cuts the MSS to a send
	 * buffer smaller than it and rounds a larger one, and a receive
	 * buffer larger than the MSS, up to a multiple of it. */
	bool buf_round_to_mss;
	/* Low-water marks by FreeBSD's socket buffers (the FreeBSD profile:
	 * MCLBYTES, 2,048, soreserve()'s so_snd.sb_lowat), or 0 for Linux's
	 * rules. Nonzero: a socket's send mark starts at this, at most its
	 * send buffer; it is writable only with at least that much free
	 * (sowriteable()), and a write that does not fit whole gets -EAGAIN
	 * while less than the mark is free, else as much as fits
	 * (sosend_generic()); readable with at least the receive mark (1)
	 * unread (soreadable()); SO_SNDLOWAT and SO_RCVLOWAT set the marks,
	 * under 1 -EINVAL, past the buffer cut to it (sosetopt(),
	 * sbsetopt(); a buffer lowered under a mark cuts it too,
	 * sbreserve_locked()). 0: SO_SNDLOWAT -ENOPROTOOPT and read as 1
	 * (sk_setsockopt(), sk_getsockopt()), SO_RCVLOWAT as
	 * tcp_set_rcvlowat() and tcp_poll() (docs/receiving.md). */
	uint32_t sb_lowat;
	/* Receiver silly-window avoidance: false moves the right edge only in
	 * steps of min(buffer/2, MSS) (RFC 9293 3.8.6.2.2); true is BSD's: the
	 * whole free space is offered unless it is under both buffer/4 and MSS. */
	bool rcv_sws_bsd;
	/* FreeBSD 14's tcp_output(): the scaled window field is rounded up
	 * to the scale's unit ("Avoid shrinking window with window scaling",
	 * recwin = roundup2(recwin, 1 << rcv_scale)), and rcv_adv follows the
	 * rounded value, so the right edge offered may pass the free buffer
	 * by up to 2^scale - 1 bytes, more after each ACK while nothing is
	 * read, and tcp_input takes what comes there (sbappendstream()
	 * checks no space). A connection that negotiated a scale gets a
	 * receive ring 64 units (at most 64 KiB) less one byte larger than
	 * its buffer (TcpRcvWndSlack); the offered edge is never put past
	 * that ring (TcpRcvWndRoundCut: rounded down instead).
	 * Off: the field truncates (FreeBSD before the rounding, and the
	 * RFC 7323 2.3 minimum). Not read with rcv_wnd_linux. */
	bool rcv_wnd_roundup;
	/* Linux's receive-window arithmetic (tcp_select_initial_window(),
	 * __tcp_select_window(), tcp_grow_window()): the receive buffer is
	 * memory (sk_rcvbuf, tcp_rmem[1] by default), and half of it is
	 * window, tcp_win_from_space() at the default scaling ratio; a SYN
	 * offers that half rounded down to whole MSS, later windows grow
	 * under rcv_ssthresh by two MSS per segment received, and the window
	 * scale comes from the largest buffer autotuning may reach (or, with
	 * SO_RCVBUF set, from the buffer). Takes precedence over rcv_sws_bsd.
	 * Off: the buffer is the window, offered whole in steps of
	 * min(buffer/2, MSS). */
	bool rcv_wnd_linux;
	/* BSD judges segments against the free buffer space when it exceeds
	 * the window advertised (tcp_input's rcv_wnd); Linux and RFC 9293 use
	 * the advertised window. */
	bool rcv_wnd_from_space;
	/* BSD: while our FIN is unacknowledged, every ACK we send carries it
	 * again (tcp_output resends the FIN at its sequence number). */
	bool ack_resends_fin;
	/* A SYN-ACK that reaches a listener is dropped unanswered, as the
	 * FreeBSD suite's current rcv-syn-ack-listen recordings show. Off, it
	 * draws <SEQ=SEG.ACK><CTL=RST> like any ACK there: RFC 9293 3.10.7.2,
	 * Linux, and the FreeBSD 14 tcp_input() stored ("SYN|ACK invalid,
	 * segment rejected", BANDLIM_RST_OPENPORT, tcp_dropwithreset());
	 * docs/conformance.md, "Four more cells". On in the FreeBSD profile. */
	bool listen_synack_drop;
	/* BSD ACKs every second data segment whatever its size; RFC 9293 and
	 * Linux count full-sized segments. */
	bool ack_every_second_seg;
	/* FreeBSD's drop_synfin: segments with both SYN and FIN are dropped. */
	bool drop_synfin;
	/* TCP over UDP (FreeBSD's net.inet.tcp.udp_tunneling_port and
	 * udp_tunneling_overhead, tcp_subr.c; RFC 8085 context): with a port
	 * (1..65535) UDP datagrams to it are decapsulated and handed to TCP
	 * with their source port, which the connection or its reply keeps
	 * (docs/freebsd.md, TCP over UDP). 0, both profiles' default: off.
	 * The overhead (8..1024, default 8, the UDP header) comes off the MSS
	 * of a tunneled connection. At most udp_tun_max_conns (64, at most
	 * 4096) connections and TIME_WAIT entries hold a remote port at once
	 * (and, in the FreeBSD profile, TIME_WAIT entries of sockets with
	 * IP_TTL set their TTL); a connection beyond is refused, counted
	 * (TcpUdpTunFull). The table is searched on each segment while it
	 * holds anything. */
	uint16_t udp_tun_port;
	uint16_t udp_tun_overhead;
	uint16_t udp_tun_max_conns;
	/* FreeBSD's net.inet.tcp.blackhole (blackhole(4)): which segments to
	 * a port with no connection or listener go unanswered instead of
	 * drawing an RST. 0 every one answered (the default in both kernels);
	 * 1 a segment with SYN dropped; 2 every segment dropped; 3 as 2, and
	 * also the RST a listener sends for an ACK it has no SYN for.
	 * Counted in TcpBlackholed. */
	uint8_t blackhole;
	/* net.inet.tcp.blackhole_local: blackhole applies also to segments
	 * whose source is one of the stack's own addresses (ip_is_local(),
	 * FreeBSD's in_localip()/in6_localip()); off: those are answered. */
	bool blackhole_local;
	/* TIME_WAIT as FreeBSD's tcp_twcheck(): a SYN starts a new connection
	 * only when SEG.SEQ > RCV.NXT (timestamps play no part), any other
	 * SYN is dropped unanswered (it has no ACK), and every segment but an
	 * exact duplicate of the last ACK (flags, SEQ, ACK, no data) is
	 * answered. Off: RFC 6191 with timestamps, RFC 5961 4 challenge ACKs. */
	bool tw_bsd_check;
	/* With tw_bsd_check, the window of TIME_WAIT's ACKs as FreeBSD main
	 * (fel1x-developer/freebsd-src 2d614aa), which keeps the tcpcb and
	 * has no struct tcptw: tcp_twstart() sends the ACK owed through
	 * tcp_output() (the SWS rule, never below rcv_adv - rcv_nxt, then
	 * roundup2() to the scale's unit), and tcp_twcheck()'s later answers
	 * go through tcp_respond(): sbspace() at most TCP_MAXWIN << rcv_scale,
	 * shifted, truncated, with no rcv_adv floor. Off: the compressed
	 * tcptw's last_win (0f7ff34's tcp_twstart(): tcp_output()'s recwin
	 * truncated) for both. */
	bool tw_win_tcpcb_bsd;
	/* FreeBSD's tcp_do_segment() leaves ECONNRESET on the socket for an
	 * RST in CLOSING and LAST_ACK too; RFC 9293 3.10.7.4 reports nothing. */
	bool rst_closing_err;
	/* Linux's tcp_validate_incoming() resets on an RST at RCV.NXT, and
	 * also at RCV.NXT - 1 once the peer's FIN is in (tcp_reset_check():
	 * CLOSE_WAIT, LAST_ACK, CLOSING) and at the right edge of the highest
	 * SACK block it holds (a peer that aborts after data queued out of
	 * order); any other RST in the window draws a challenge ACK. Off:
	 * RCV.NXT alone (RFC 5961 3.2, FreeBSD's tcp_do_segment()). */
	bool rst_linux_edges;
	/* Linux's tcp_reset() leaves EPIPE, not ECONNRESET, on a socket
	 * reset in CLOSE_WAIT; and tcp_recvmsg() reports end of stream
	 * before a pending error once the peer's FIN was in (SOCK_DONE): a
	 * read returns 0, the next write the error. Off: ECONNRESET, the
	 * error before the end of stream (FreeBSD's soreceive_generic()
	 * tests so_error before SBS_CANTRCVMORE). */
	bool reset_err_linux;
	/* Data received and not yet read stays readable after a reset or a
	 * timeout, the error coming after it (both profiles: Linux purges
	 * only the write queue, FreeBSD's soisdisconnected() only so_snd and
	 * soreceive_generic() delivers queued data before so_error). Off:
	 * dropped, as RFC 9293 3.10.7.4 allows ("all segment queues should
	 * be flushed"). */
	bool reset_keeps_unread;
	/* A send on a socket whose connection ended with an error (reset,
	 * refused, timed out) returns EPIPE and leaves the error pending for
	 * recv()/SO_ERROR: FreeBSD's soisdisconnected() marks the send side
	 * SBS_CANTSENDMORE and sosend_generic() tests that before so_error.
	 * Off (Linux, tcp_sendmsg_locked(): sk_err first): the error is
	 * returned and cleared, EPIPE after. On in the FreeBSD profile. */
	bool send_epipe_keeps_error;
	/* A send on a socket that never connected, or on a listening one,
	 * fails with EPIPE: Linux's tcp_sendmsg_locked() waits for the
	 * connection (sk_stream_wait_connect()), which answers -EPIPE for any
	 * state but SYN_SENT and SYN_RECV, and sk_stream_error() returns it
	 * (the selftests' tcp_zerocopy_closed.pkt). Off (FreeBSD,
	 * sosend_generic(): PR_CONNREQUIRED without SS_ISCONNECTED):
	 * ENOTCONN. On in the Linux profile. */
	bool send_unconnected_epipe;
	/* A hard ICMP error (RFC 1122 4.2.3.9: protocol or port unreachable,
	 * administratively prohibited; time exceeded) ends a connection in
	 * SYN_SENT (FreeBSD's icmp_may_rst, on by default; Linux always).
	 * Off: a soft error, kept for a later timeout. */
	bool icmp_may_rst;
	/* ICMP and ICMPv6 errors read as Linux 6.18 reads them
	 * (tcp_v4_err(), tcp_v6_err()): the errno from icmp_err_convert[] and
	 * icmpv6_err_convert() (Parameter Problem EPROTO, ICMPv6
	 * administratively prohibited EACCES, ...), every one of them fatal
	 * in SYN_SENT and a simultaneous open's SYN_RECEIVED, soft
	 * afterwards; ignored: source quench, redirect, IPv4 time exceeded
	 * in reassembly (icmp_unreach()), unreachable codes past 15. Off:
	 * FreeBSD's icmp_errmap() / tcp6_ctlinput_with_port(): only protocol
	 * and port unreachable, administratively prohibited and time
	 * exceeded in transit (for IPv6 also unknown next header) end a
	 * SYN_SENT, and only with icmp_may_rst; the rest are soft, and an
	 * established connection ignores the unreachable ones (tcp_notify()). */
	bool icmp_err_linux;
	/* Give up a connection attempt after this long (BSD keepinit;
	 * TCP_KEEPINIT per socket); 0 = after syn_retries retransmissions
	 * only. */
	uint32_t connect_timeout_ms;
	/* FreeBSD's rexmit_drop_options: from this SYN retransmission on
	 * (tcp_timer_rexmt() clears the options at t_rxtshift 3), our SYNs
	 * carry the MSS only, in case a middlebox drops SYNs with options.
	 * 0: never (FreeBSD's default since 13, and Linux). */
	uint8_t syn_rexmit_drop_opts;
	/* RFC 7323 3.2: once timestamps are in use, a segment without one
	 * (RST excepted) is dropped; FreeBSD's tolerate_missing_ts = 0.
	 * false: processed normally (FreeBSD's default, and Linux). */
	bool ts_required;
	/* Restart after idle (RFC 5681 4.1, RFC 7661 without its validated
	 * window): a sender that sent nothing for an RTO and has nothing in
	 * flight starts again from the initial window. 0 off; 1 Linux
	 * (tcp_slow_start_after_idle, tcp_cwnd_restart(): idle counted from
	 * the last data sent, cwnd halved per RTO idle down to the initial
	 * window, checked when data is queued or the window opens); 2 BSD
	 * (tcp_output's cc_after_idle(): idle since the last segment
	 * received or sent, cwnd back to the initial window at once). */
	uint8_t idle_restart;
	/* FreeBSD's net.inet.tcp.maxunacktime (tcp_timer.c,
	 * tcp_maxunacktime_check()): a connection whose outstanding data saw
	 * no ACK move SND.UNA for this long is dropped at the next
	 * retransmission or persist timeout, with ETIMEDOUT and an RST
	 * (tcp_drop()); counted in TcpProgDrops. 0 off (the default). The
	 * TCB keeps the time in the field idle_restart 1 (Linux) uses, so
	 * the two do not go together (gt_stack_new() refuses the pair); with
	 * idle_restart 2 the field's other use, FreeBSD's t_sndtime, is
	 * dropped and the restart asks only the last segment received. */
	uint32_t maxunack_ms;
	/* FreeBSD's PMTU black-hole detection (tcp_timer_rexmt(),
	 * net.inet.tcp.pmtud_blackhole_detection): 0 off (the default in
	 * both kernels), 1 both families, 2 IPv4 only, 3 IPv6 only. After
	 * timeouts in ESTABLISHED or FIN_WAIT_1 whose last segment was full,
	 * t_maxseg falls to pmtud_blackhole_mss (IPv4, 1200) or
	 * v6pmtud_blackhole_mss (IPv6, 1220) when that is above the
	 * family's default MSS (mss_default, 536; IPv6 1220), else to that
	 * default, and comes back if the timeouts go on; counted in
	 * TcpPmtudBlackholeActivated, ...ActivatedMinMss and ...Failed. */
	uint8_t pmtud_blackhole;
	uint32_t pmtud_blackhole_mss, v6pmtud_blackhole_mss;
	/* Path MTUs learnt per destination from ICMP "fragmentation needed"
	 * and ICMPv6 Packet Too Big (gt_pmtu_get(), ip/ip.c), which a later
	 * connection to the destination starts from: its MSS option and its
	 * segments. Linux keeps them in a route exception
	 * (__ip_rt_update_pmtu() -> update_or_create_fnhe();
	 * rt6_do_update_pmtu()), lowered only, for pmtu_expire_s
	 * (net.ipv4.route.mtu_expires, 600) or pmtu6_expire_s
	 * (net.ipv6.route.mtu_expires, 600) from when it was learnt; an IPv4
	 * MTU under pmtu_min (net.ipv4.route.min_pmtu: Linux's 552, 0 here
	 * unless set: stack.c says why) is taken as pmtu_min. FreeBSD (pmtu_cache_bsd) in the TCP host cache
	 * (tcp_hc_updatemtu(), read by tcp_hc_getmtu()): overwritten, each
	 * use renews the lifetime (net.inet.tcp.hostcache.expire, 3600 s,
	 * both fields), and an entry goes at the purge run (every
	 * pmtu_prune_s, net.inet.tcp.hostcache.prune, 300) that finds it
	 * spent; pmtu_cache false (net.inet.tcp.hostcache.enable 0) learns
	 * and reads nothing. pmtu_flush_gen and pmtu_purge_gen count writes
	 * of net.ipv4.route.flush (Linux's rt_cache_flush(): IPv4 entries
	 * go) and net.inet.tcp.hostcache.purgenow (all go):
	 * gt_stack_set_config() empties the cache when one changed. */
	bool pmtu_cache, pmtu_cache_bsd;
	uint32_t pmtu_expire_s, pmtu6_expire_s, pmtu_prune_s, pmtu_min;
	uint32_t pmtu_flush_gen, pmtu_purge_gen;
	/* Linux's packetization-layer path MTU discovery (RFC 4821,
	 * net.ipv4.tcp_mtu_probing; tcp_output.c's tcp_mtu_probe(),
	 * tcp_timer.c's tcp_mtu_probing()): 0 off (the default), 1 on after
	 * retransmission timeouts (black-hole detection), 2 always. Only
	 * where mtu_probing_linux is set (the Linux profile). The search
	 * runs from mtu_base_mss (tcp_base_mss, 1024) to the peer's MSS;
	 * a probe needs cwnd of 11 packets; a range narrower than
	 * mtu_probe_threshold (tcp_probe_threshold, 8 bytes) waits
	 * mtu_probe_interval_s (tcp_probe_interval, 600 s) to search again;
	 * a black hole never takes the MSS below mtu_probe_floor
	 * (tcp_mtu_probe_floor, 48) nor lx_min_snd_mss (tcp_min_snd_mss).
	 * Counted in TcpMtupSuccess and TcpMtupFail (TcpExtTCPMTUPSuccess,
	 * TcpExtTCPMTUPFail). */
	bool mtu_probing_linux;
	/* A route's advmss and initcwnd (gt_route_set()) are Linux's metrics
	 * (RTAX_ADVMSS, RTAX_INITCWND), read only with this (the Linux
	 * profile); a route's MTU bounds the MSS in either profile (FreeBSD's
	 * tcp_maxmtu() takes the route's rmx_mtu). */
	bool route_metrics_linux;
	uint8_t mtu_probing;
	uint32_t mtu_base_mss, mtu_probe_threshold, mtu_probe_interval_s, mtu_probe_floor;
	/* net.ipv4.tcp_retries1 (3): the retransmissions' time
	 * (tcp_model_timeout()) after which tcp_write_timeout() runs the
	 * black-hole detection (mtu_probing 1 or 2). */
	uint8_t retries1;
	/* FreeBSD's net.inet.tcp.minmss (V_tcp_minmss, 216; 0 in the Linux
	 * profile: off). tcp_mss_update() raises a peer's nonzero MSS offer
	 * to at least this ("Prevent DoS attack with too small MSS"), before
	 * the link's MSS bounds it; TCP_MAXSEG refuses a value whose sum
	 * with 40 is below it (tcp_default_ctloutput(), EINVAL). */
	uint16_t bsd_minmss;
	/* FreeBSD's t_maxseg rules (true in the FreeBSD profile): TCP_MAXSEG
	 * takes 1..t_maxseg (tcp_mssdflt before the handshake) with
	 * optval + 40 >= bsd_minmss, else EINVAL (tcp_default_ctloutput());
	 * an ICMP "fragmentation needed" MTU is raised to bsd_minmss + 40
	 * (tcp_next_pmtu()) and t_maxseg becomes max(mtu - 40, 64)
	 * (tcp_mtudisc() -> tcp_mss_update()), as is the t_maxseg of a
	 * handshake (take_syn_options()) and of a syncache child, which
	 * reads the host cache at the ACK (syncache_socket() -> tcp_mss()).
	 * A listener's TCP_MAXSEG is its own: neither the SYN-ACK's MSS
	 * (syncache_respond(): tcp_mssopt()) nor the child's reads it.
	 * false: Linux's 88..65,535
	 * and an MTU under 108 ignored. docs/freebsd.md, the MSS floor. */
	bool maxseg_bsd;
	/* TCP_CONGESTION read back as FreeBSD's tcp_default_ctloutput() gives
	 * it (true in the FreeBSD profile): "newreno" (cc_newreno's name), the
	 * name and its NUL (sooptcopyout(len + 1)). false: Linux's
	 * do_tcp_getsockopt(): "reno", the 16-byte TCP_CA_NAME_MAX field
	 * zero-padded, min(optlen, 16) bytes. Either spelling is taken by
	 * setsockopt() in both profiles. */
	bool cc_names_bsd;
	/* Linux's net.ipv4.tcp_min_snd_mss (TCP_MIN_SND_MSS, 48; 0 in the
	 * FreeBSD profile: off): __tcp_mtu_to_mss() raises the MSS, after
	 * the peer's offer (mss_clamp) bounds it and before the timestamp
	 * option is taken off, to at least this. */
	uint16_t lx_min_snd_mss;
	/* Which segments may set SND.WND (GT_WND_UPDATE_*): RFC 9293
	 * 3.10.7.4's SND.WL1/SND.WL2 test, Linux's tcp_may_update_window()
	 * or FreeBSD's tcp_do_segment(), which differ for a segment with
	 * the same SEQ and ACK as the last update (a reordered duplicate
	 * ACK): RFC takes its window whatever it is, Linux a larger one or
	 * zero, FreeBSD only a larger one. FreeBSD also takes none from a
	 * duplicate ACK it counted (tcp_do_segment()'s "goto drop" before
	 * step6), which with SACK may carry a new window. */
	uint8_t wnd_update;

	/* ECN (RFC 3168). ecn: 0 off; 1 asked for in our SYNs and accepted;
	 * 2 accepted when the peer asks (Linux tcp_ecn and FreeBSD
	 * ecn.enable share these values; both default to 2); FreeBSD's
	 * AccECN (RFC 9768, tcp_ecn.c): 3 asked for and accepted, 4
	 * accepted (ecn.enable 3 and 4). Linux 6.18 refuses tcp_ecn 3. */
	uint8_t ecn;
	/* SYN retransmissions that still ask for ECN: FreeBSD's
	 * ecn.maxretries (1); Linux clears ECE and CWR from every
	 * retransmitted SYN (tcp_ecn_clear_syn() with tcp_ecn_fallback): 0. */
	uint8_t ecn_syn_retries;
	/* FreeBSD's tcp_ecn_input_syn_sent() takes ECE on a SYN-ACK whether
	 * or not our SYN asked; Linux and RFC 3168 6.1.1 only if it did. */
	bool ecn_synack_unasked;
	/* FreeBSD ACKs a CWR at once (TF_ACKNOW in tcp_ecn_input_segment());
	 * Linux only a CWR that carries data (tcp_ecn_accept_cwr()). */
	bool ecn_cwr_ack_now;
	/* Linux: a SYN retransmission timeout is a loss like any other
	 * (tcp_retransmit_timer() -> tcp_enter_loss() -> tcp_ecn_queue_cwr()),
	 * so the first data of a connection whose SYN was resent carries CWR;
	 * FreeBSD has no ECN state before the SYN-ACK. */
	bool ecn_syn_rto_cwr;
	/* Linux grants ECN only to a SYN that is itself Not-ECT
	 * (tcp_ecn_create_request(); RFC 3168 6.1.1: a SYN MUST NOT be ECT);
	 * FreeBSD's tcp_ecn_syncache_add() does not look. */
	bool ecn_ect_syn_refused;
	/* FreeBSD's newreno_cong_signal(CC_ECN): ssthresh and cwnd to half of
	 * cwnd in whole segments (at least 2); otherwise the congestion
	 * control's loss response (half the flight, RFC 5681 eq. 4). */
	bool ecn_halves_cwnd;
	/* Linux ACKs at once after the first CE mark (tcp_ecn_check_ce()
	 * enters quick-ACK mode): the sender may have a small cwnd. */
	bool ecn_ce_quickack;

	/* Options we offer. */
	bool opt_wscale;
	bool opt_timestamps;
	bool opt_sack;
	/* When an active open's choice of the three above is made. Off
	 * (Linux): at every SYN sent (tcp_syn_options()) and again at the
	 * SYN-ACK (tcp_parse_options() with estab false reads the sysctls),
	 * so a change between SYN and SYN-ACK takes effect. On (FreeBSD):
	 * once, when the TCB is made, which is with the socket
	 * (tcp_usr_attach() calls tcp_newtcpcb(): TF_REQ_TSTMP,
	 * TF_REQ_SCALE, TF_SACK_PERMIT), kept through connect(), the SYN's
	 * retransmissions and the SYN-ACK (tcp_output(), tcp_do_segment()'s
	 * SYN-SENT block). */
	bool syn_opts_at_open;
	/* TCP_MD5SIG in FreeBSD's form: an int that turns RFC 2385
	 * signatures on for the socket, keys from the stack's table
	 * (gt_tcp_md5_key_add(), FreeBSD's SADB). Off (Linux profile):
	 * GT_TCP_MD5SIG answers -EOPNOTSUPP, and Linux's form
	 * (GT_TCP_MD5SIG_LINUX, keys per socket and peer) is taken. */
	bool md5sig_bsd;
	bool opt_dsack;             /* report duplicates in SACK blocks (RFC 2883) */
	/* Linux's tcp_fin() resets the SACK state when the peer's FIN is
	 * taken, so a duplicate that came with the FIN is not reported (the
	 * Linux selftest tcp_close_no_rst expects this); BSD reports it. */
	bool fin_clears_dsack;
	/* Linux's out-of-order queue holds a FIN in its skb (end_seq counts
	 * it), so the SACK block of data that came with the FIN ends one past
	 * the data (tcp_sack_new_ofo_skb(seq, end_seq)); FreeBSD's
	 * tcp_update_sack_list() reports the data alone. So does a D-SACK
	 * block of a FIN again below RCV.NXT (tcp_data_queue():
	 * tcp_dsack_set(sk, seq, end_seq)). */
	bool sack_fin_linux;
	/* The SACK blocks Linux reports come from a list of its own, not from
	 * the data held: at most four (tp->selective_acks[TCP_NUM_SACKS]); a
	 * segment held out of order extends the first block it touches and
	 * moves it to the front, or puts its own [seq, end_seq) there,
	 * forgetting the fourth (tcp_sack_new_ofo_skb(), tcp_sack_extend(),
	 * tcp_sack_maybe_coalesce()); blocks RCV.NXT passed go
	 * (tcp_sack_remove()). A held range whose block was forgotten is not
	 * reported again, and a bare FIN held out of order has a block of its
	 * own. Off: the blocks are the ranges touched most recently (RFC 2018
	 * 4, tcp_reass_sack_blocks()). */
	bool sack_list_linux;
	/* The SACK blocks FreeBSD reports come from tp->sackblks[], which
	 * tcp_update_dsack_list() rebuilds for each data segment
	 * tcp_reass() takes (netinet/tcp_sack.c, called from
	 * tcp_do_segment()): the segment, widened by every listed block it
	 * touches or overlaps, goes first, then the other listed blocks in
	 * their order, while fewer than MAX_SACK_BLKS (6) are saved, the
	 * first slot kept for a D-SACK block: five in all, the oldest
	 * forgotten; blocks RCV.NXT reached go. A held range whose block
	 * was forgotten is reported again only as far as a new segment
	 * and the blocks it touches reach. The D-SACK block of data above
	 * RCV.NXT fills the first slot and stays listed after it is sent
	 * (tcp_clean_dsack_blocks() drops only blocks RCV.NXT reached).
	 * An in-order segment that reaches held data is D-SACKed as that
	 * update has it: itself when it reaches no listed block.
	 * Off: the ranges touched most recently (tcp_reass_sack_blocks()). */
	bool sack_list_bsd;
	/* PSH as Linux sets it (tcp_output.c: lx_psh_*): on the segment that
	 * ends a write() without MSG_MORE, a partial write, or a forced push
	 * (tcp_push(), forced_push(): more than half the peer's largest window
	 * written since the last push), and on the last segment of every
	 * transmit unit of two or more segments (a GSO packet; observed on
	 * 6.18). Off: PSH ends what a write asked to push (RFC 9293 3.9.1). */
	bool psh_linux;
	/* The short-segment rule of FreeBSD's tcp_output() (sender silly
	 * window avoidance and Nagle) instead of Minshall's (Linux's
	 * tcp_nagle_check(): no more than one short segment unacknowledged).
	 * A segment under the MSS goes when it ends the buffer and the
	 * connection was idle (SND.MAX == SND.UNA) when the output call began,
	 * or TCP_NODELAY is set, and no TCP_CORK (FreeBSD's TCP_NOPUSH) holds
	 * it; or when it is half the peer's largest window, a retransmission,
	 * or a timer forces it. Setting TCP_NODELAY pushes nothing by itself;
	 * clearing TCP_NOPUSH calls the output routine, setting it does not.
	 * A write with GT_MSG_MORE (FreeBSD's TF_MORETOCOME) that finds the
	 * connection idle makes the next output call idle (TF_LASTIDLE). PSH
	 * on every segment that empties the buffer. With cork_max_us 0 (the
	 * FreeBSD profile's) what the cork holds with nothing unacknowledged
	 * waits for the persist timer, as FreeBSD's TCP_NOPUSH does.
	 * docs/sending.md, docs/freebsd.md. */
	bool nagle_bsd;
	/* Linux's send MSS (tcp_sync_mss(), tcp_bound_to_half_wnd()): the
	 * MSS segments are cut at is at most half the largest window the
	 * peer offered (all of it up to 536 bytes), never below 68 bytes of
	 * headers; set when the handshake ends and again when that largest
	 * window grows. The path's MSS is kept apart (tcp_mss_path()). */
	bool mss_half_wnd;
	/* Linux counts cwnd and ssthresh in packets (tp->snd_cwnd,
	 * snd_ssthresh): when an established connection's MSS changes
	 * (tcp_sync_mss(): the half-window bound lifted, the path MTU
	 * fallen, tcp_v4_mtu_reduced()), the packets stay and the bytes
	 * scale with the MSS. Off: the bytes stay (FreeBSD's snd_cwnd).
	 * On, an ACK's growth is counted in Linux's packets too
	 * (tcp_lx_acked_pkts(): pkts_acked, a partial ACK of a one-segment
	 * skb none); off, in bytes (FreeBSD's common_cc_ack_received():
	 * ccv->bytes_this_ack). */
	bool cwnd_packets;
	/* Linux's send buffer, with psh_linux, for a socket whose SO_SNDBUF
	 * the application set: it counts each skb as its bytes plus this
	 * overhead (sk_wmem_queued; 832 on Linux 6.18, read with SO_MEMINFO),
	 * a write checks SO_SNDBUF only when it starts an skb and fills the
	 * skb it started to the size goal, and POLLOUT needs a third of the
	 * buffer free (tcp_output.c: tcp_lx_send_room()). 0: bytes only. */
	uint16_t sndbuf_skb_overhead;
	/* Delayed ACKs as Linux times them (tcp_input.c: delack_linux()):
	 * the timeout (icsk_ack.ato) adapts to the peer's inter-arrival time,
	 * a second segment does not push the timer back and sends the ACK at
	 * once when the timer is within a quarter of the timeout, quick-ACK
	 * mode comes back after an idle longer than the RTO, and a delayed
	 * ACK that fires ends interactive (pingpong) mode. Off: a fixed
	 * delack_us from the first unACKed segment. On in the Linux
	 * profile. */
	bool delack_linux;
	/* In a batch (gt_stack_input_batch()), a connection's regular ACK, the
	 * one its in-order data asks for now (more than one full segment
	 * unACKed, quick-ACK mode, a filled hole), waits for the end of the
	 * batch and goes once with the latest RCV.NXT, window and SACK, as
	 * Linux 6.7+ ACKs a socket's backlog (__tcp_ack_snd_check() sets
	 * TCP_ACK_DEFERRED, tcp_release_cb() sends one ACK; sysctl
	 * net.ipv4.tcp_backlog_ack_defer). ACKs sent directly stay immediate:
	 * for out-of-order data, out-of-window and old segments, challenge
	 * ACKs, a FIN in FIN-WAIT-2. Counters TcpAckDeferred,
	 * TcpAckDeferredSent. On in the Linux profile; FreeBSD decides per
	 * segment (tcp_do_segment(): DELAY_ACK or TF_ACKNOW; merging a batch
	 * is LRO's, in the driver). */
	bool ack_defer_batch;
	/* Linux's SACK compression (__tcp_ack_snd_check(), sysctls
	 * net.ipv4.tcp_comp_sack_nr, tcp_comp_sack_delay_ns): with data held
	 * out of order on a SACK connection, the first three duplicate ACKs
	 * per RCV.NXT go at once (TCP_FASTRETRANS_THRESH), the ACKs after them
	 * wait, min(comp_sack_delay_us, RTT / 20), and one ACK goes for all
	 * of them, unless comp_sack_nr of them are already held (then at
	 * once) or another ACK leaves first. Counter TcpAckCompressed.
	 * comp_sack_nr 0: every out-of-order segment is ACKed at once (RFC
	 * 5681 4.2). Linux profile 44 and 1,000 us; FreeBSD 0. */
	uint8_t comp_sack_nr;
	uint32_t comp_sack_delay_us;
	/* The RTO's backoff ends only with an RTT sample (Linux's
	 * tcp_ack_update_rtt()); the retries toward data_retries end with any
	 * new ACK. Off: both with any new ACK. On in the Linux profile, with
	 * the samples Linux takes from SACKed and first-ACKed segments sent
	 * once (RACK's log, tcp_rack_rtt()). On in the FreeBSD profile too:
	 * only tcp_xmit_timer() sets t_rxtshift back to 0; an ACK of new
	 * data restarts the timer with t_rxtcur as it stands
	 * (tcp_do_segment()). */
	bool backoff_needs_rtt;
	/* The retries toward data_retries also end only with an RTT sample:
	 * FreeBSD's t_rxtshift is the backoff and the count at once
	 * (tcp_timer_rexmt(): ++t_rxtshift > V_tcp_retries), so a partial ACK
	 * without a sample goes on counting. FreeBSD profile. */
	bool retries_need_rtt;
	/* TCP_CORK's ceiling is the RTO when longer than cork_max_us and
	 * nothing is in flight (Linux's probe timer, tcp_check_probe_timer()). */
	bool cork_ceiling_rto;
	/* When SO_LINGER's time passes with data or the FIN unacknowledged,
	 * close() returns 0 and the connection goes on as an orphan (Linux's
	 * tcp_close()); off: it is reset, close() learns ETIMEDOUT (BSD). */
	bool linger_expiry_orphans;
	/* A zero window is probed with an ACK below SND.UNA (Linux's
	 * tcp_xmit_probe_skb()); off: with one octet of new data (RFC 9293
	 * 3.8.6.1, BSD). */
	bool persist_probe_old_seq;
	/* An ACK that finds nothing in flight and the send head still shut
	 * out by the window restarts the probe timer from now, its backoff
	 * kept (Linux's tcp_ack() "no_queue" -> tcp_ack_probe()): a probe's
	 * late answer delays the next probe by as much. Off: the timer runs
	 * from the probe (BSD's tcp_output() arms TT_PERSIST only when it is
	 * not running). */
	bool probe_ack_rearm;
	/* Our FIN goes only where the peer's window has room for it, as any
	 * new sequence space (Linux's tcp_snd_wnd_test(): a FIN at the
	 * window's right edge, a zero window's included, waits; data before
	 * it goes as far as the window reaches and the FIN is held back from
	 * it; with nothing in flight the zero-window probe timer probes until
	 * the window opens: tcp_check_probe_timer()). Off: a FIN needs no
	 * window (FreeBSD's tcp_output(): "If our state indicates that FIN
	 * should be sent and we have not yet done so, then we need to
	 * send"). A resent FIN needs none in either (tcp_retransmit_skb()
	 * lets the head go whatever the window). */
	bool fin_needs_window;
	/* A retransmission timeout that finds the peer's window 0 with data
	 * unacknowledged sends nothing: SND.NXT goes back to SND.UNA, the
	 * backoff to 0, and the persist timer probes instead (FreeBSD's
	 * tcp_output() after tcp_timer_rexmt(), sendwin 0). Off: the head
	 * is resent (Linux's tcp_retransmit_timer(), its head skb). On in
	 * the FreeBSD profile. */
	bool rto_zero_wnd_persist;
	/* After a timeout, until SND.UNA passes the SND.MAX it found, what is
	 * in flight is counted as Linux's tcp_packets_in_flight() counts it in
	 * its loss state: new data F-RTO sent before it found the loss real
	 * stays in flight and is not sent again by go-back-N, and without
	 * SACK each duplicate ACK after new data went out takes one segment
	 * off (tcp_process_loss(), tcp_add_reno_sack()). Off: go-back-N from
	 * SND.UNA with nothing else in flight. On in the Linux profile. */
	bool loss_pipe_linux;
	/* Linux's tcp_packets_in_flight() outside the loss state too:
	 * packets_out - sacked_out (- lost_out + retrans_out), so what the peer
	 * SACKed is out of flight in every state, not only after a timeout
	 * (at reordering 10, 20 out and 3 SACKed, Linux 6.18 sends 4 new
	 * segments when a SACK-only ACK grows cwnd; counted, 3:
	 * tests/pkt/linux/flight-sacked-not-in-flight.pkt). On in the Linux
	 * profile. */
	bool flight_sacked_linux;
	/* Linux's tcp_packets_in_flight() counts an skb shorter than an MSS
	 * (Nagle off, small writes, a PSH-ended write) as one packet
	 * (tcp_skb_pcount(), tcp_set_skb_tso_segs()), not as its bytes, so
	 * cwnd 2 holds two 100-byte segments, not 29 of them: each unSACKed
	 * short skb between SND.UNA and SND.NXT adds what it lacks of an MSS
	 * to the flight the output compares with cwnd (tcp_cwnd_test()).
	 * Needs cfg.cwnd_packets and the skb ends (cfg.psh_linux). PRR counts
	 * in those packets too (tcp_cwnd_reduction(): delivered, sent, in
	 * flight, RecoverFS), in a SACK recovery, in CWR with SACK, and in a
	 * recovery without SACK (packets_out for the duplicates and the
	 * reordering check). On in the Linux profile. */
	bool flight_short_pkt;
	/* A fast recovery that is not undone ends with cwnd = ssthresh, as
	 * Linux's tcp_end_cwnd_reduction() sets it when SND.UNA passes
	 * high_seq. Off: RFC 6582 3.2 step 6's min(ssthresh, FlightSize +
	 * SMSS), which is one segment when the flight has drained (a send
	 * buffer full behind the holes), and a new slow start after every
	 * such recovery. On in the Linux profile. */
	bool recovery_end_ssthresh;
	/* The ssthresh a reduction saves for its undo (D-SACK, timestamps,
	 * F-RTO) is Linux's tcp_current_ssthresh(): outside a reduction
	 * (CWR, recovery) max(ssthresh, 3/4 cwnd), so that an undo restores
	 * ssthresh at least half-way from it to cwnd; a recovery that begins
	 * in a CWR reduction or on an ECE saves none (prior_ssthresh 0:
	 * tcp_enter_cwr(), tcp_enter_recovery()), and its undo restores
	 * neither cwnd nor ssthresh (tcp_undo_cwnd_reduction()). Off:
	 * ssthresh as it was. On in the Linux profile. */
	bool prior_ssthresh_current;
	/* NewReno's ssthresh after a loss is half of cwnd in whole segments,
	 * at least two (Linux's tcp_reno_ssthresh()); off: half the flight
	 * (RFC 5681 eq. (4)). */
	bool reno_ssthresh_cwnd;
	/* NewReno's ssthresh after an RTO is half of min(SND.WND, cwnd) in
	 * whole segments, at least two (FreeBSD's newreno_cong_signal(),
	 * CC_RTO); off: as after a loss (reno_ssthresh_cwnd). */
	bool reno_rto_ssthresh_wnd;
	/* Slow start counts every segment an ACK covers (Linux's
	 * tcp_slow_start()); off: at most one SMSS per ACK (RFC 3465 L = 1).
	 * On in the Linux profile, with hystart (src/stack.c says why). */
	bool slow_start_every_seg;
	/* Whether cwnd limits the sender, the test before an ACK may grow
	 * it, as Linux answers it (tcp_is_cwnd_limited(), fed by
	 * tcp_cwnd_validate() after each tcp_write_xmit()): limited if the
	 * sends of the window in flight ever filled cwnd, and in slow start
	 * also while cwnd is under twice the most segments that window had
	 * out. Off: judged from the flight at the ACK (RFC 7661's spirit). */
	bool cwnd_validate_linux;
	/* FreeBSD's slow start (newreno_cc_cwnd_in_slow_start(), shared by its
	 * NewReno and CUBIC): while cwnd <= ssthresh (not <), each ACK grows
	 * cwnd by what it acknowledged up to net.inet.tcp.abc_l_var = 2
	 * segments (RFC 3465 L = 2), one segment while a timeout's
	 * retransmission is under way. Off: RFC 5681's L = 1 below ssthresh.
	 * On in the FreeBSD profile. */
	bool slow_start_bsd;
	/* HyStart (Linux's tcp_cubic.c, hystart = 1, hystart_detect = 3):
	 * CUBIC's slow start ends when a round's ACK train lasts longer than
	 * half the least RTT, or its least RTT grows by an eighth of it (4 to
	 * 16 ms), so that it stops near the path's BDP instead of filling a
	 * deep queue; once per slow start, until a timeout (Linux's
	 * ca->found). Off: slow start ends only at a loss. On in the Linux
	 * profile (src/stack.c says what it costs under reordering). */
	bool hystart;
	/* CUBIC's congestion avoidance in Linux's integer arithmetic
	 * (tcp_cubic.c: bictcp_update(), cubic_root(), cubictcp_acked()'s
	 * delay_min, cubictcp_recalc_ssthresh(); tcp_cong_avoid_ai()), with
	 * jiffies of this HZ (the kernel's CONFIG_HZ; 250 on the Linux 6.18
	 * the scripts run on): the target W(t + delay_min) with t and
	 * delay_min whole jiffies, cwnd in whole packets, beta 717/1024.
	 * 0: RFC 9438 in floating point (W_cubic(t + SRTT), beta 0.7). 250
	 * in the Linux profile (docs/recovery.md, CUBIC). */
	uint16_t cubic_linux_hz;
	/* CUBIC as FreeBSD's cc_cubic.c runs it (src/tcp/tcp_cc_cubic_bsd.c:
	 * CUBIC_SHIFT fixed point, the epoch in ticks of this kern.hz,
	 * cwnd set to max(W_cubic(t + mean RTT), W_est(t)) at each ACK,
	 * ssthresh cwnd / 2 at the first loss and cwnd beta after,
	 * cubic_post_recovery()'s W_max beta). 0: not; it takes precedence
	 * over cubic_linux_hz. 1000 in the FreeBSD profile (HZ 1000, FreeBSD
	 * 14's default), 0 in the Linux profile (docs/freebsd.md). */
	uint16_t cubic_bsd_hz;
	/* FreeBSD's "bad retransmit" undo (tcp_timer_rexmt() at t_rxtshift
	 * 1, tcp_do_segment()'s t_badrxtwin tests, cc_cong_signal(CC_RTO_ERR)):
	 * an ACK that shows the first timeout's retransmission was not needed
	 * (an echo older than its TSval; without timestamps, a predicted ACK
	 * within SRTT/2) restores cwnd and ssthresh and sends on from SND.MAX.
	 * Counted TcpSndRexmitBad. On in the FreeBSD profile (docs/freebsd.md). */
	bool rto_undo_bsd;
	/* With recovery_bsd: FreeBSD's first timeout inside a SACK fast
	 * recovery with holes on the scoreboard keeps the recovery
	 * (cc_cong_signal(CC_RTO) exits it only "if ((tp->t_rxtshift > 1) ||
	 * !((tp->t_flags & TF_SACK_PERMIT) && (!TAILQ_EMPTY(&tp->snd_holes))))"):
	 * the holes resent from their start (tcp_resend_sackholes()), SND.NXT
	 * = SND.UNA, snd_recover = SND.MAX, cwnd one segment, ssthresh from
	 * the module, and the recovery runs on to the new snd_recover with
	 * tcp_do_prr_ack()'s or tcp_sack_partialack()'s cwnd, no slow start.
	 * A second timeout ends it. Off: every timeout ends the recovery and
	 * goes back N in slow start. On in the FreeBSD profile only
	 * (docs/freebsd.md). */
	bool rto_keeps_sack_recovery;
	/* net.ipv4.tcp_min_tso_segs: the fewest segments in a transmit unit. */
	uint8_t min_tso_segs;
	/* Linux's tcp_tso_should_defer() (the "TSO Nagle"): with the skb
	 * at the send head of two or more segments and only part of it
	 * sendable now, tcp_write_xmit() holds it for the ACK expected
	 * soon rather than send a short unit (src/tcp/tcp_output.c
	 * lx_tso_defer(), docs/sending.md). With psh_linux; on in the
	 * Linux profile, off in FreeBSD's (its tcp_output() has no such
	 * hold). tso_win_divisor is net.ipv4.tcp_tso_win_divisor (Linux's
	 * default 3): send at once what is at least that fraction of
	 * min(peer window, cwnd); 0 takes Linux's other rule, send at once
	 * more than 3 segments (tcp_max_tso_deferred_mss()). */
	bool tso_defer;
	uint8_t tso_win_divisor;
	/* FreeBSD ACKs a segment that repeats data below RCV.NXT at once, so
	 * that its D-SACK block is not lost to the next in-order segment
	 * (tcp_do_segment()); Linux delays it as any in-order data. */
	bool dsack_ack_now;
	/* BSD judges a segment's right edge by its data alone: a FIN with no
	 * data at RCV.NXT + RCV.WND is in the window (tcp_do_segment()'s
	 * trimming), and a SYN by its SEG.SEQ alone (the RFC 5961 block);
	 * RFC 9293 counts the FIN and SYN. */
	bool trim_by_data;
	/* With RCV.WND zero, BSD takes a segment at RCV.NXT only: one whose
	 * SEG.SEQ lies beyond is dropped with an ACK, its ACK field unread
	 * (tcp_do_segment(): todrop past the window, "goto dropafterack").
	 * Off: RFC 9293 3.10.7.4's "special allowance" to accept valid ACKs
	 * is made for SEG.SEQ up to a receive buffer past RCV.NXT. */
	bool zero_wnd_drops_ack;
	/* FreeBSD's syncache_expand() (sobomax/freebsd14_vendor 0f7ff34): in
	 * SYN_RECEIVED from a listener, an ACK (no SYN, no RST) whose TSval
	 * is older than the SYN's is dropped silently and the half-open
	 * connection kept (the PAWS check before TAILQ_REMOVE); one that does
	 * not acknowledge our SYN, or whose SEG.SEQ is outside (IRS, IRS +
	 * window], frees it (after TAILQ_REMOVE, "failed:" syncache_free())
	 * and tcp_input() answers <SEQ=SEG.ACK><CTL=RST> from the listener
	 * (BANDLIM_RST_OPENPORT: withheld with blackhole 3). Counted in
	 * TcpPAWSDrop and TcpAttemptFails. RFC 9293 would ACK an unacceptable
	 * sequence number, and take a bare ACK at the edge. A segment with
	 * none of SYN, RST and ACK is the listener's and dropped there ("SYN
	 * is missing, segment ignored"; TcpSyncacheNoSyn); a SYN|ACK frees
	 * the entry (syncache_badack()) and draws <SEQ=SEG.ACK><CTL=RST>
	 * (TcpAttemptFails). */
	bool syncache_expand_bsd;
	/* FreeBSD's tcp_do_segment(): its RFC 5961 4.2 SYN block skips
	 * SYN_RECEIVED ("tp->t_state != TCPS_SYN_SENT && tp->t_state !=
	 * TCPS_SYN_RECEIVED"), so in a simultaneous open's SYN_RECEIVED a
	 * bare SYN other than the peer's first one again (SEG.SEQ != IRS)
	 * is trimmed as any segment, finds no ACK bit and is dropped at
	 * step6 unanswered (sobomax/freebsd14_vendor 0f7ff34). Off: RFC 5961
	 * 4.2's challenge ACK, or RFC 793's reset. The drop is counted in
	 * TcpSimOpenSynIgnored (FreeBSD counts none); a SYN past the window's
	 * right edge is dropafterack's (synrcvd_simopen_bsd). */
	bool synrcvd_syn_bsd;
	/* The rest of FreeBSD's tcp_do_segment() in a simultaneous open's
	 * SYN_RECEIVED: a full tcpcb with TF_NEEDSYN, SND.UNA still the ISS
	 * (sobomax/freebsd14_vendor 0f7ff34). The state switch comes before
	 * the sequence checks: a segment other than an RST whose ACK is
	 * outside (SND.UNA, SND.MAX] draws <SEQ=SEG.ACK><CTL=RST>
	 * (dropwithreset) wherever it falls. A SYN|ACK with an acceptable ACK
	 * is an ACK (no RFC 5961 4.2 block there): the SYN is trimmed only
	 * below RCV.NXT. PAWS comes next (data that fails it is dropafterack's:
	 * the SYN|ACK again), then a segment below the IRS is the "LAND"
	 * check's (dropwithreset). Without an ACK a segment is not dropped but
	 * goes to step6, TS.Recent taken from it first (SEG.SEQ <=
	 * last_ack_sent <= its trimmed end): its data and FIN are held in the
	 * reassembly queue (tcp_reass() presents nothing before ESTABLISHED)
	 * and TF_ACKNOW sends the SYN|ACK again; one trimmed to nothing, or
	 * ending past the window (dropafterack, an acceptable ACK or none),
	 * draws the SYN|ACK too. The handshake ACK (no data, no FIN) presents
	 * what is held at RCV.NXT (tcp_reass(NULL)) without an ACK of its
	 * own, and a held FIN there is lost ("(void) tcp_reass(...)").
	 * Entering it (the SYN_SENT case, a SYN without ACK) stops TT_REXMT,
	 * and tcp_output() re-arms it for the SYN|ACK from then with
	 * t_rxtcur, t_rxtshift kept (the SYN's timer ran on before).
	 * Off: such segments are judged as in any synchronized state. */
	bool synrcvd_simopen_bsd;
	/* FreeBSD's syncache_add(): a duplicate SYN without a timestamp turns
	 * timestamps off for the pending connection (SCF_TIMESTAMP cleared),
	 * so the SYN-ACK resent for it carries none; Linux's request sock
	 * keeps what the first SYN agreed. */
	bool dupsyn_drops_ts;
	/* The rest of FreeBSD's syncache_add() for a SYN that finds the
	 * pending connection's entry (sobomax/freebsd14_vendor 0f7ff34): its
	 * sequence number is not checked (syncache_lookup() goes by the
	 * addresses and ports), the TSval to echo becomes the new SYN's
	 * ("sc->sc_tsreflect = to->to_tsval"), and the SYN-ACK goes again
	 * with the retransmission count and timer started afresh
	 * ("sc->sc_rxmits = 0; syncache_timeout()": the next one 1 s later,
	 * and three more before the entry is dropped). Off: only a SYN at
	 * the IRS is a retransmission, and the SYN-ACK's echo, count and
	 * timer stay. On in the FreeBSD profile. */
	bool dupsyn_bsd;
	/* A duplicate SYN in SYN-RECEIVED draws a SYN-ACK again only within
	 * the connection's out-of-window ACK limit (oow_ack_window_ms,
	 * oow_ack_burst), the rest counted in TcpAckSkippedSynRecv: Linux's
	 * tcp_check_req() asks tcp_oow_rate_limited() (last_oow_ack_time,
	 * tcp_invalid_ratelimit) first. Off: each is answered. */
	bool dupsyn_ratelimit;
	uint8_t rcv_wscale;         /* window scale we offer; 0xff = the profile's rule (Linux: the buffers, FreeBSD: kern.ipc.maxsockbuf) */
	enum gt_synopt_order synopt_order;
	uint16_t mss_default;       /* when the peer sends no MSS option (RFC 9293 3.7.1) */

	/* Timing. */
	uint32_t msl_ms;            /* TIME_WAIT lasts 2 * msl_ms */
	uint32_t fin_wait2_timeout_ms; /* orphaned FIN_WAIT_2 (Linux tcp_fin_timeout) */
	/* An orphan in FIN_WAIT_2 ends once nothing was received for
	 * keepalive_probes x keepalive_intvl_s (TCP_KEEPCNT, TCP_KEEPINTVL
	 * per socket), looked at first that long after FIN_WAIT_2 began and
	 * then every keepalive_intvl_s: FreeBSD's TT_2MSL armed with
	 * TP_MAXIDLE (tcp_usrclosed(), tcp_do_segment()) and
	 * tcp_timer_2msl() (tcp_fast_finwait2_recycle 0, its default;
	 * fin_wait2_timeout_ms, its tcp_finwait2_timeout, goes unused). Off:
	 * fin_wait2_timeout_ms after FIN_WAIT_2 began, whatever arrives
	 * (Linux). A negative TCP_LINGER2 still ends it at once. On in the
	 * FreeBSD profile. */
	bool fin2_idle_bsd;
	uint32_t rto_initial_us;    /* RFC 6298 2.1: 1 s */
	uint32_t rto_min_us;
	/* Linux's RTT estimator (tcp_rtt_estimator(), __tcp_set_rto()): the
	 * RTO is SRTT plus the round's largest mean deviation x 4, that term
	 * at least rto_min_us (so the RTO is at least SRTT + rto_min_us), a
	 * falling sample moving the deviation by 1/32, not 1/4. Off: RFC 6298
	 * 2.2-2.4 (RTTVAR with beta 1/4 both ways, rto_min_us bounding the
	 * whole RTO), as BSD does. */
	bool rto_min_adds_srtt;
	/* An RTT sample from a TS echo of the current tick counts as one
	 * tick (1 ms): Linux's tcp_rtt_tsopt_us(), "if (!delta) delta =
	 * min_delta", 1 from tcp_ack_update_rtt(). Off: 0 ticks is a sample
	 * of 1 us (tcp_rtt_sample()'s floor). On in the Linux profile. */
	bool ts_rtt_zero_tick;
	/* An ACK's RTT sample in Linux's order (tcp_ack_update_rtt()): the
	 * time since the oldest newly acknowledged segment sent once went,
	 * else the oldest newly SACKed one's (also on a duplicate ACK), and
	 * the TS echo only without either; min_rtt from the latest of them
	 * (ca_rtt_us). The times come from RACK's send log (cfg.rack) with
	 * SACK, and without SACK from the same log kept for them alone
	 * (SACK or not, Linux's tcp_clean_rtx_queue() times every skb). Off:
	 * the echo first, and without SACK no log. On in the Linux profile. */
	bool rtt_exact_first;
	/* min_rtt as Linux's windowed minimum (min_rtt_wlen_s below, 0 a
	 * window of no time); off: the smallest sample ever (the FreeBSD
	 * profile, which has no min_rtt of its own). On in the Linux
	 * profile. */
	bool min_rtt_win;
	/* min_rtt as Linux's tcp_update_rtt_min() keeps it: a windowed
	 * minimum (lib/win_minmax.c's running minimum, three choices) over
	 * net.ipv4.tcp_min_rtt_wlen seconds (300), and a sample above it on
	 * an ACK that may have been delayed (FLAG_ACK_MAYBE_DELAYED: one
	 * packet of less than an MSS acknowledged whole, nothing SACKed
	 * before, no SACK or ECE on it, SACK on) not taken; under
	 * min_rtt_win. 0: a window of no time (each sample a jiffy after
	 * the last starts the three choices again), as Linux's 0. */
	uint32_t min_rtt_wlen_s;
	/* FreeBSD's estimator (tcp_xmit_timer()): samples in ticks of
	 * cubic_bsd_hz, SRTT and RTTVAR in fixed point (srtt_us and
	 * rttvar_us hold tcp_fill_info()'s microsecond views, from which the
	 * scaled values are exact again), the RTO TCP_REXMTVAL() plus the
	 * slop, at least max(rto_min_us, RTT + 2 ticks). Off: RFC 6298 in
	 * microseconds. On in the FreeBSD profile. */
	bool rtt_bsd;
	/* rto_min_us bounds each timeout after the backoff and rto_slop_us,
	 * not SRTT + 4 RTTVAR: FreeBSD's TCPT_RANGESET(t_rxtcur, TCP_REXMTVAL
	 * * tcp_backoff[t_rxtshift] + tcp_rexmit_slop, t_rttmin, ...), so a
	 * path whose SRTT + 4 RTTVAR is under the floor backs off from that
	 * smaller value. Off: RFC 6298 2.4's floor on the RTO itself. On in
	 * the FreeBSD profile. */
	bool rto_min_after_slop;
	uint32_t rto_max_us;
	/* A listener's SYN-ACK retransmissions back off up to this instead
	 * of rto_max_us: Linux 6.18's reqsk_timer_handler() bounds a request
	 * socket's timer by TCP_RTO_MAX (120 s) whatever
	 * net.ipv4.tcp_rto_max_ms sets (a Fast Open child, a full socket,
	 * takes the sysctl's tcp_rto_max()). 0: rto_max_us (FreeBSD). */
	uint32_t synack_rto_max_us;
	uint32_t rto_slop_us;       /* BSD's rexmit_slop, added to computed RTOs */
	/* The RTO's backoff doubles this many times at most: FreeBSD's
	 * tcp_backoff[] (tcp_timer.c) stops at 512, 2^9, whatever
	 * t_rxtshift. 0: no cap below rto_max_us (Linux). */
	uint8_t rto_backoff_max_shift;
	/* Linux keeps icsk_rto and the timers derived from it in jiffies:
	 * __tcp_set_rto() is usecs_to_jiffies(SRTT + rttvar), rounded up,
	 * tcp_rto_min_us() and tcp_rto_max() are whole jiffies, the backoff
	 * doubles jiffies, tcp_probe0_when() shifts them, and the probe
	 * timeout (tcp_schedule_loss_probe()), RACK's reordering timer
	 * (tcp_rack_mark_lost()) and the reneging wait
	 * (tcp_check_sack_reneging()) round their microseconds up to a jiffy
	 * (docs/recovery.md). A jiffy in us: 4000 in the Linux profile
	 * (CONFIG_HZ=250, as on the kernel the scripts run on); 0: the RTO
	 * and those timers in microseconds (FreeBSD keeps its own ticks,
	 * modelled by rto_slop_us and the persist bounds). */
	uint32_t rto_jiffy_us;
	/* Linux's TCP timers are timer_lists on the non-cascading timer
	 * wheel (kernel/time/timer.c): a timer armed at jiffy J with a
	 * delay of d jiffies (rounded up) sits in the bucket of level L,
	 * the first whose range holds d (level 0 below 63 jiffies, then
	 * 504, 4032, ...: LVL_START()), and fires at the tick
	 * (((J + d) >> 3L) + 1) << 3L (calc_index()): a level-0 timer at
	 * the tick after J + d, so a 10-jiffy delayed ACK 10 to 11 jiffies
	 * after it was armed; a level-1 one (a 1 s RTO, 250 jiffies) up to
	 * 8 jiffies (32 ms at HZ=250) late, level 2 (2.0-16 s) 64 jiffies
	 * (256 ms), level 3 (a 60 s TIME-WAIT) 512 (2.048 s). On: the
	 * retransmission (RTO, SYN, SYN-ACK, loss probe, RACK), zero-window
	 * probe, TCP_CORK ceiling, keepalive, FIN_WAIT_2, SO_LINGER and
	 * TIME-WAIT timers fire so (tcp_wheel_at(), with rto_jiffy_us as
	 * the jiffy; docs/recovery.md, "Timer wheel"); the pacing and SACK
	 * compression timers are hrtimers and do not. Off: each fires at
	 * its deadline. On in the Linux profile, off in FreeBSD's. */
	bool timer_wheel;
	/* The jiffies clock of timer_wheel and of tcp_info's chrono times:
	 * INITIAL_JIFFIES (-300 s at the profile's HZ) plus (now_us +
	 * timer_wheel_phase_us) / rto_jiffy_us. The live kernel's phase is
	 * its boot's; the Linux profile's is 3000, a tick 1 ms after each
	 * whole 4 ms of stack time: on whole milliseconds, as the
	 * millisecond stamps the TCB keeps need (tcp_lx_shed() rebuilds a
	 * chrono jiffy from one), and so a timer armed on a whole 4 ms fires
	 * 1 ms past its whole jiffies. Tests set others to find checks that
	 * pass by the phase's chance. */
	uint32_t timer_wheel_phase_us;
	/* TCP_INFO's rto is the backed-off timeout: Linux's tcpi_rto is
	 * jiffies_to_usecs(icsk_rto), which tcp_retransmit_timer() doubles
	 * with each expiry (min(icsk_rto << 1, tcp_rto_max())) until an RTT
	 * sample sets it again; the persist timer's probes raise only
	 * icsk_backoff (tcp_send_probe0()). Off: the RTO before backoff. On
	 * in the Linux profile. */
	bool tcpi_rto_backed_off;
	uint32_t delack_us;         /* delayed-ACK timer */
	/* TCP_CORK holds a partial segment at most this long (Linux, 200 ms);
	 * 0: no ceiling (FreeBSD's TCP_NOPUSH: with nagle_bsd the persist
	 * timer sends what it holds with nothing unacknowledged). */
	uint32_t cork_max_us;
	/* Quick-ACK mode (Linux): the first data segments of a connection, up
	 * to this many, are ACKed at once; 0 turns it off (BSD). Sending data
	 * soon after receiving (interactive, "pingpong") ends it. */
	uint32_t quickack_max_segs;
	/* Linux's tcp_grow_window(): a segment that lets rcv_ssthresh grow
	 * asks for a quick ACK (icsk_ack.quick |= 1), so while the receive
	 * window grows every such segment is ACKed at once (with delack_linux,
	 * rcv_wnd_linux and quickack_max_segs). */
	bool rcv_grow_quickack;
	/* Linux's tcp_send_dupack() and tcp_data_queue()'s "A retransmit"
	 * branch: a data segment that starts below RCV.NXT and is answered as
	 * a duplicate puts the receiver back in quick-ACK mode
	 * (tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS): window / (2 x the
	 * peer's segment size) quick ACKs, at most quickack_max_segs, pingpong
	 * mode ended, the delayed-ACK timeout at its least). With
	 * delack_linux and quickack_max_segs; on in the Linux profile. */
	bool dup_quickack;
	/* Linux 6.18's tcp_sequence() at the window's right edge, for data in
	 * ESTABLISHED, FIN_WAIT_1 and FIN_WAIT_2: a segment whose data ends
	 * past the edge is dropped (answered by tcp_send_dupack(), no quick-ACK
	 * mode unless it starts below RCV.NXT) while the receive queue holds
	 * unread data; with the queue empty it is taken, and one that starts
	 * at the edge (a zero-window probe's byte) reaches tcp_data_queue()'s
	 * out_of_window: its data is dropped (TcpOverWindowDrop) and it is
	 * ACKed at once in quick-ACK mode again (tcp_enter_quickack_mode(sk,
	 * TCP_MAX_QUICKACKS)). Off: RFC 9293's table (start or end in the
	 * window). With delack_linux and quickack_max_segs; on in the Linux
	 * profile. */
	bool rcv_edge_linux;
	/* Linux 6.18's __tcp_select_window() ends quick-ACK mode
	 * (icsk_ack.quick = 0) when the receive buffer's free space is under
	 * half its full space; __tcp_ack_snd_check() asks it, with more than
	 * one segment unACKed, before it asks whether quick ACKs remain, so a
	 * segment that fills half the buffer is ACKed by the delayed-ACK
	 * timer. With delack_linux and rcv_wnd_linux; on in the Linux
	 * profile. */
	bool squeeze_ends_quickack;
	/* Linux 6.5+'s net.ipv4.tcp_shrink_window (default 0): with a
	 * window scale in use, tcp_select_window() lets the advertised
	 * window's right edge move left as the free space shrinks (the new
	 * window not raised to the old edge, rcv_wnd and rcv_wup taken
	 * anew), and __tcp_select_window() rounds the free space down to the
	 * scale; the segments judged against the window then meet the edge
	 * now offered (tcp_sequence(), TcpExtBeyondWindow). Off: the edge
	 * never moves left (RFC 9293 3.8.6.2.2, RFC 7323 2.4). With
	 * rcv_wnd_linux; off in both profiles, set by the sysctl. */
	bool rcv_wnd_shrink;
	/* Linux 6.6+'s tcp_measure_rcv_mss() (commit 4720852ed9af, "tcp: fix
	 * delayed ACKs for MSS boundary condition"): an in-order segment at
	 * least the peer's segment size as measured (icsk_ack.rcv_mss), with
	 * PSH, is pushed (ICSK_ACK_PUSHED), so a read that empties the
	 * receive queue sends the delayed ACK at once (tcp_cleanup_rbuf()),
	 * unless the connection is interactive: an application that reads
	 * each segment as it comes gets every one ACKed. Off: only a segment
	 * short of that size is pushed. With delack_linux; on in the Linux
	 * profile. */
	bool ack_pushed_full_psh;
	/* Linux 6.18's tcp_data_queue(): the in-order segment that finds the
	 * receive queue empty is queued whole, however far it passes the
	 * window and the buffer (sk_forced_mem_schedule() when the memory
	 * is refused); the receive ring grows for it (TcpRcvRingWhole), at
	 * most 64 KiB and within max_buffer_bytes' rules, and the window
	 * stays 0 until the reader frees the memory. Off: the segment is cut
	 * to the ring's free space. On in the Linux profile. */
	bool rcv_empty_takes_whole;
	/* A FIN without data at RCV.NXT in a zero window is taken, in
	 * ESTABLISHED, FIN_WAIT_1 and FIN_WAIT_2: Linux 6.18's tcp_sequence()
	 * judges the segment's end without the FIN and tcp_data_queue()'s
	 * zero-window branch sends a bare FIN on to tcp_fin(). Off: RFC 9293's
	 * table (a segment of length 1 is not acceptable in a zero window).
	 * On in the Linux profile; the FreeBSD profile takes it by
	 * trim_by_data. */
	bool rcv_zero_wnd_fin;
	/* RFC 7323 4.3: TS.Recent takes the TSval of a segment at or below
	 * Last.ACK.sent, the RCV.NXT our last ACK carried, so that a delayed
	 * ACK echoes the earliest segment it acknowledges, as Linux's
	 * tcp_replace_ts_recent() (!after(seq, tp->rcv_wup)); off: at or
	 * below RCV.NXT, so that it echoes the latest. On in both
	 * profiles. */
	bool ts_recent_last_ack;
	/* With ts_recent_last_ack: the test is FreeBSD's, RFC 7323 4.3's
	 * SEG.SEQ <= Last.ACK.sent <= SEG.SEQ + SEG.LEN run on the segment
	 * as tcp_do_segment()'s trims leave it: data below RCV.NXT cut off
	 * first, so that a segment reaching below Last.ACK.sent with new
	 * data counts from RCV.NXT, and a duplicate is an empty segment at
	 * its end, taken when that end is Last.ACK.sent (not RCV.NXT). Off:
	 * Linux's test on SEG.SEQ alone (tcp_replace_ts_recent()). On in
	 * the FreeBSD profile. */
	bool ts_recent_bsd_trim;
	/* Linux delays the ACK of a FIN received in ESTABLISHED, hoping to send
	 * it with the application's own FIN; BSD ACKs it at once. */
	bool fin_delack;
	/* Data for a connection the application closed: Linux resets it and
	 * answers the segment as it answers one without a connection, RST at
	 * SEG.ACK with no ACK bit (tcp_rcv_state_process() returns 1 and
	 * tcp_v4_send_reset() replies); off: an RST with ACK from the
	 * connection's own numbers. */
	bool abort_rst_from_segment;
	/* Data past RCV.NXT in FIN_WAIT_1 or FIN_WAIT_2 after shutdown(SHUT_RD)
	 * resets the connection as after close(): Linux tests RCV_SHUTDOWN,
	 * which both set (tcp_rcv_state_process() step 7, TCPAbortOnData).
	 * Off: only after close() (FreeBSD's TF_CLOSED in tcp_do_segment()). */
	bool shut_rd_data_resets;
	/* In CLOSE_WAIT, CLOSING and LAST_ACK, a segment that starts below
	 * RCV.NXT and brings data past it (past the peer's FIN) resets the
	 * connection: Linux's
	 * tcp_rcv_state_process() sends such a segment on to the FIN_WAIT
	 * arms, where RCV_SHUTDOWN, set by tcp_fin(), makes it
	 * TCPAbortOnData (tests/pkt/linux/fin-held-past-close-wait*.pkt).
	 * One at or past RCV.NXT is dropped there unanswered either way. */
	bool fin_data_resets;
	/* FreeBSD's close(): tcp_disconnect() (unless SO_LINGER {1, 0}) calls
	 * soisdisconnecting(), which sets SBS_CANTRCVMORE, and
	 * sbflush(&so->so_rcv): data not yet read is freed and a FIN, not an
	 * RST, is sent; while the descriptor is held (a linger wait) data
	 * arriving is ACKed and freed with the window open (tcp_do_segment():
	 * SBS_CANTRCVMORE -> m_freem()); once it is gone (SS_NOFDREF), a
	 * segment with new data in FIN_WAIT_1, FIN_WAIT_2, CLOSING or LAST_ACK
	 * is answered with an RST and ends the connection before the
	 * window's right edge is applied (tcps_rcvafterclose), a zero-window
	 * probe's byte included. Off: close() with unread data resets
	 * (Linux's TCPAbortOnClose) and data after close is judged in
	 * RFC 9293's seventh step, after the window. */
	bool close_flush_bsd;
	/* FreeBSD's shutdown(SHUT_RD) or SHUT_RDWR: soshutdown() calls
	 * sorflush(), which sets SBS_CANTRCVMORE, frees what is queued
	 * unread and zeroes the buffer's size (sb_hiwat, sb_mbmax, the
	 * SB_AUTOSIZE flag: sb_startzero onward), so a read returns 0 at
	 * once; the window offered is what sbspace() gives, 0, but never
	 * shrunk (tcp_output(): rcv_adv - rcv_nxt), so it closes as the peer
	 * fills what was offered and never opens again (unless SO_RCVBUF
	 * sizes the buffer anew); data arriving in it is ACKed and freed
	 * (tcp_do_segment(): SBS_CANTRCVMORE -> m_freem()), the window's
	 * right edge trims it, and a FIN is taken as usual. Off: as Linux,
	 * what was queued is still read, and later data queued too. */
	bool shut_rd_release_bsd;
	/* shutdown(SHUT_WR) in a simultaneous open's SYN_RECEIVED: 0, and
	 * the FIN waits for the handshake. Linux's tcp_shutdown() acts only
	 * in ESTABLISHED, SYN_SENT and CLOSE_WAIT, so SEND_SHUTDOWN is only
	 * recorded; tcp_rcv_state_process() calls tcp_shutdown() again on the
	 * ACK that ends SYN_RECV, before the segment's data is queued (a FIN
	 * acking none of it). Off: -ENOTCONN, unless shut_wr_synsent_needfin
	 * (the FreeBSD profile, whose tcp_usrclosed() sets TF_NEEDFIN in
	 * SYN_SENT and SYN_RECEIVED alike). */
	bool shut_wr_synrcvd_defer;
	/* shutdown(SHUT_WR) in SYN_SENT: FreeBSD's tcp_usr_shutdown() ->
	 * tcp_usrclosed() sets TF_NEEDFIN and the connection stays; the
	 * SYN-ACK takes it to FIN_WAIT_1 instead of ESTABLISHED
	 * (tcp_do_segment(): "SYN_SENT* --> FIN_WAIT_1"), and the ACK of it
	 * carries the FIN (tcp_outflags[TCPS_FIN_WAIT_1]). A crossing SYN
	 * takes it to SYN_RECEIVED, whose handshake ACK sends the FIN; a
	 * shutdown() in SYN_RECEIVED does the same (a TFO child's held
	 * SYN-ACK sent at once), and a write after either says EPIPE
	 * (sosend_generic(): SBS_CANTSENDMORE first). Off:
	 * Linux's inet_shutdown(), "case TCP_SYN_SENT: err =
	 * sk->sk_prot->disconnect()" for any how, SHUT_RD too:
	 * tcp_disconnect() ends it at once, no segment, SO_ERROR
	 * ECONNRESET, as connect(AF_UNSPEC) does. */
	bool shut_wr_synsent_needfin;
	/* An RST a connection sends of its own (abort, linger 0, keepalive
	 * or retransmission timeout) carries the window as any segment does
	 * (Linux's tcp_send_active_reset() goes through tcp_transmit_skb());
	 * off: window 0. */
	bool rst_carries_window;
	/* The SYN-ACK of a simultaneous open (an active open's, after the
	 * peer's SYN) offers the window the SYN offered, quantized to the
	 * whole MSS: Linux's tcp_rcv_synsent_state_process() ->
	 * tcp_send_synack() leaves tp->rcv_wnd as tcp_connect_init() set it
	 * (tcp_select_initial_window() with no timestamp known), and
	 * tcp_transmit_skb() writes min(rcv_wnd, 65535) on a SYN: 64240,
	 * where a passive SYN-ACK offers 65160 (MSS less the timestamp
	 * option). Off: the MSS less the option, as a passive open's. */
	bool simopen_synack_syn_rwnd;
	/* Text on a simultaneous open's crossing SYN (SYN_SENT, a SYN
	 * without ACK) is discarded, never acknowledged: the peer sends it
	 * again after the handshake. Linux's tcp_rcv_synsent_state_process()
	 * ("discard packet for sanity": accepting it is compiled out), Linux
	 * 6.18 under `glasstcp pktrun --kernel`
	 * (tests/pkt/linux/simultaneous-open-syn-data-discarded.pkt). Off:
	 * held until ESTABLISHED, RFC 9293 3.10.7.3 (and FreeBSD's
	 * tcp_reass() in SYN_RECEIVED). */
	bool simopen_syn_text_discard;
	/* close() in a simultaneous open's SYN_RECEIVED leaves our SYN
	 * unacknowledged, as Linux's retransmission queue holds it until an
	 * ACK covers it (tcp_clean_rtx_queue()): the peer's ACK of the SYN
	 * alone is an ACK of new data, not a duplicate, with an RTT sample
	 * (the echo, else the SYN-ACK's send time unless the SYN went twice:
	 * tcp_send_synack() restamps the SYN's skb) that restarts the
	 * retransmission timer or the probe timeout (tcp_ack() ->
	 * tcp_set_xmit_timer()). Linux 6.18 under `glasstcp pktrun --kernel`
	 * (tests/pkt/linux/simultaneous-open-syn-recv-close-syn-acked-*.pkt).
	 * Off: the SYN's octet is taken as acknowledged at the close and that
	 * ACK is a duplicate; the timer armed for the SYN-ACK runs on. The
	 * restamp holds for the handshake's ACK as well: without an echo a
	 * simultaneous open's RTT runs from the SYN-ACK, off from the SYN
	 * (tests/pkt/linux/simultaneous-open-no-ts-rtt-from-synack.pkt). */
	bool simopen_close_syn_rtx;
	/* In a simultaneous open's SYN_RECEIVED, a bare SYN-ACK at the IRS
	 * acknowledging SND.NXT completes the handshake, its SYN's octet
	 * D-SACKed in an ACK sent at once: Linux's tcp_validate_incoming()
	 * ("goto pass" before the RFC 5961 4.2 challenge) and
	 * tcp_data_queue(), Linux 6.18 under `glasstcp pktrun --kernel`
	 * (tests/pkt/linux/fastopen-client-simultaneous-open-peer-synack.pkt).
	 * Off: the SYN draws a challenge ACK (RFC 5961 4.2) and the state
	 * stays. */
	bool simopen_synack_accept;
	/* An RST sent in answer to a segment carries that segment's DSCP
	 * (its TOS or traffic class with the ECN field cleared), as Linux's
	 * tcp_v4_send_reset() and tcp_v6_send_reset(); off: 0. (An earlier
	 * kernel run that saw IPv6 class 0 injected class 0: the runner set
	 * no inbound traffic class before 6 Dec 2026.) On in the Linux
	 * profile. */
	bool rst_reflects_tos;
	/* An orphan (closed by the application) whose FIN is ACKed sends from
	 * then on with the default TTL / hop limit, its IP_TOS/IPV6_TCLASS
	 * kept: Linux turns it into a timewait sock in substate FIN_WAIT2
	 * (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) from tcp_close() and
	 * tcp_rcv_state_process()) when tcp_fin_time() is at most
	 * TCP_TIMEWAIT_LEN (60 s), whose ACKs go out from the control socket;
	 * not when the peer's FIN comes with that ACK (the full socket ACKs
	 * it). FreeBSD keeps the tcpcb and its TTL. On in the Linux profile. */
	bool fin2_orphan_default_ttl;
	/* SYN-SENT, a segment whose ACK is not for our SYN (an old RST or
	 * FIN, say): Linux sends the SYN again after TCP_TIMEOUT_MIN (2
	 * jiffies: 8 ms at HZ=250, the Linux profile's, as rto_jiffy_us)
	 * when it has not been retransmitted yet, as the
	 * segment may be the answer to an older incarnation
	 * (tcp_rcv_synsent_state_process()). 0: the RTO runs on. */
	uint32_t syn_sent_bad_ack_resend_us;
	/* SYN-SENT, an acceptable ACK whose timestamp echo (non-zero, with
	 * timestamps on now) lies outside [TSval of the first SYN, now]: Linux
	 * counts PAWSActiveRejected and answers <SEQ=SEG.ACK><CTL=RST>,
	 * staying in SYN-SENT with its SYN timer as it was
	 * (tcp_rcv_synsent_state_process()). Off: the echo is not judged
	 * (FreeBSD's tcp_input() zeroes an echo ahead of its clock and takes
	 * the SYN-ACK). On in the Linux profile. */
	bool syn_sent_ts_echo_check;
	/* An ACK for data never sent: RFC 9293 and FreeBSD (dropafterack)
	 * answer with an ACK, within the out-of-window limit; Linux with a
	 * challenge ACK (tcp_ack()'s tcp_send_challenge_ack(), since 7.1 and
	 * 6.18.38; older kernels dropped it silently). */
	bool ack_unsent_challenge;
	uint32_t syn_retries;       /* SYN retransmissions before ETIMEDOUT */
	/* Linux 6.5+'s net.ipv4.tcp_syn_linear_timeouts (4 in the Linux
	 * profile, 0 in FreeBSD's): a SYN is resent without backoff while
	 * it has timed out no more than this many times
	 * (tcp_retransmit_timer(): total_rto), and syn_retries + this many
	 * retransmissions, or tcp_model_timeout(syn_retries) since the first
	 * SYN, end the attempt (tcp_write_timeout()). */
	uint8_t syn_linear_timeouts;
	uint32_t synack_retries;
	uint32_t data_retries;      /* RTO expiries before ETIMEDOUT (R2) */
	/* Linux's net.ipv4.tcp_orphan_retries (tcp_orphan_retries()): an
	 * orphan's zero-window probes end it once this many went unanswered,
	 * or, once the backed-off RTO reaches rto_max_us ("not alive"), once
	 * the backoff reaches it, answered or not (tcp_probe_timer()). 0, the
	 * default: 8 while alive, at once when not; a soft ICMP error held
	 * makes it 0 when not alive. Where persist_max_idle_s is 0. */
	uint8_t orphan_retries;
	/* The same limit for an orphan's retransmissions, as Linux's
	 * tcp_write_timeout() for a SOCK_DEAD socket: the orphan ends (nothing
	 * sent) once the time the RTO timer has waited reaches
	 * tcp_model_timeout(limit) (TCP_RTO_MIN doubling up to rto_max_us),
	 * with limit orphan_retries, 0 meaning 8 while the backed-off RTO is
	 * below rto_max_us, and 0 once it is not if a soft ICMP error is held
	 * (tcp_orphan_retries()). On in the Linux profile; off: data_retries
	 * for orphans too. */
	bool orphan_retries_linux;
	/* Linux's tcp_write_timeout() for a connection with a descriptor:
	 * data_retries (net.ipv4.tcp_retries2) is the boundary of a time, not
	 * a count: the connection ends (ETIMEDOUT, nothing sent) at the first
	 * RTO expiry once the time since the first retransmission
	 * (retrans_stamp) reaches tcp_model_timeout(data_retries)
	 * (200 ms doubling up to rto_max_us, then rto_max_us each: 15 is
	 * 924.6 s at 120 s). On in the Linux profile; off: data_retries
	 * retransmissions. */
	bool retries2_time_linux;
	/* Linux's TCP_USER_TIMEOUT (GT_TCP_USER_TIMEOUT): offered, and its
	 * value ends a connection instead of data_retries: an RTO expiry
	 * once the time since the first retransmission reaches it
	 * (tcp_write_timeout(): retransmits_timed_out(..., icsk_user_timeout)),
	 * the RTO timer clamped to end it on time
	 * (tcp_clamp_rto_to_user_timeout()); in SYN_SENT the time since the
	 * first SYN; zero-window probes once the time since the first probe
	 * reaches it (tcp_probe_timer(), tcp_clamp_probe0_to_user_timeout());
	 * keep-alive probes instead of their count (tcp_keepalive_timer()).
	 * On in the Linux profile; off: the option is -ENOPROTOOPT, as
	 * FreeBSD's tcp_default_ctloutput() answers an option it lacks. */
	bool user_timeout_linux;
	/* Linux's TCP_INQ (GT_TCP_INQ, gt_recvmsg()'s inq) exists. On in the
	 * Linux profile; off: -ENOPROTOOPT (FreeBSD has no TCP_INQ). */
	bool inq_linux;
	/* connect() with an address of family GT_AF_UNSPEC disconnects, as
	 * Linux's __inet_stream_connect() calls tcp_disconnect(): an RST
	 * where the state needs one, the socket CLOSED and usable again
	 * (connect(), listen()), a listener's queue reset. On in the Linux
	 * profile; off: FreeBSD's answer, EALREADY while connecting
	 * (kern_connectat()), EISCONN once connected (soconnectat(),
	 * PR_CONNREQUIRED), else EAFNOSUPPORT (tcp_usr_connect()). */
	bool connect_unspec_linux;
	/* A connect() on a socket whose non-blocking connect() has completed
	 * since returns 0 once, then EISCONN: Linux's __inet_stream_connect()
	 * keeps the socket's state (SS_CONNECTING until that call makes it
	 * SS_CONNECTED) apart from TCP's. On in the Linux profile; off:
	 * FreeBSD's EISCONN at once (soconnectat(): SS_ISCONNECTED). */
	bool connect_again_linux;
	/* getsockopt() of a boolean SOL_SOCKET option returns the option's
	 * bit in so_options (SO_REUSEADDR 0x4, SO_KEEPALIVE 0x8), as
	 * FreeBSD's sogetopt() ("optval = so->so_options & sopt->sopt_name"),
	 * and SO_LINGER's l_onoff the same way (0x80). On in the FreeBSD
	 * profile; off: 0 or 1, as Linux's sk_getsockopt(). */
	bool sockopt_bits_bsd;
	/* setsockopt(SO_LINGER) as Linux's sk_setsockopt(): l_onoff 0 turns
	 * lingering off and keeps the time set before ("if (!ling.l_onoff)
	 * sock_reset_flag(sk, SOCK_LINGER); else { sk_lingertime = ...; }"),
	 * so {1, 7} then {0, 3} reads back {0, 7}; a negative l_linger,
	 * taken as an unsigned long, is MAX_SCHEDULE_TIMEOUT, a linger
	 * without end (close() waits for the FIN's ACK however long), read
	 * back as (int)(LONG_MAX / HZ) (-1752346657 at HZ 250, HZ from
	 * rto_jiffy_us). On in the Linux profile; off: FreeBSD's
	 * sosetopt(): an l_linger below 0 or above USHRT_MAX (or INT_MAX /
	 * hz) is EDOM, the socket unchanged; else l_linger stored either
	 * way ("so->so_linger = l.l_linger" before the l_onoff test). */
	bool linger_linux;
	/* Linux's SO_ZEROCOPY and MSG_ZEROCOPY (socket.h) exist. On in the
	 * Linux profile; off: SO_ZEROCOPY -ENOPROTOOPT (FreeBSD's sosetopt()
	 * has none) and the flag -EOPNOTSUPP. */
	bool zerocopy_linux;
	/* Sends per socket awaiting their MSG_ZEROCOPY notification (ids
	 * joined into one range count once); one more is refused -ENOBUFS
	 * (TcpZerocopyNoBufs). 128 in every profile. */
	uint32_t zerocopy_pending_max;
	/* Linux's SO_TIMESTAMPING for what a socket sends (socket.h): the
	 * error queue's SCM_TSTAMP_SCHED, _SND and _ACK. On in the Linux
	 * profile; off: -ENOPROTOOPT (FreeBSD has SO_TIMESTAMP, not this). */
	bool tx_timestamping_linux;
	/* Linux's TCP_NOTSENT_LOWAT (GT_TCP_NOTSENT_LOWAT) exists, and the
	 * write path, poll() and the write-space wake-up (gt_wakeups()) keep
	 * tcp_stream_memory_free()'s rule. On in the Linux profile; off:
	 * -ENOPROTOOPT (FreeBSD has no such option). */
	bool notsent_lowat_linux;
	/* net.ipv4.tcp_notsent_lowat: the mark of a socket without its own
	 * (tcp_notsent_lowat()); 0 stands for Linux's default, UINT_MAX (no
	 * mark). Linux reads a 0 set by sysctl as a mark of 0 (every write
	 * after the first skb stalls); here it is the default. */
	uint32_t notsent_lowat;
	/* Linux's TCP_SYNCNT (GT_TCP_SYNCNT) exists: a socket's own
	 * syn_retries, and a listener's own synack_retries. On in the Linux
	 * profile; off: -ENOPROTOOPT. */
	bool syncnt_linux;
	/* TCP_DEFER_ACCEPT (GT_TCP_DEFER_ACCEPT) exists, as Linux's: while
	 * fewer SYN-ACK timeouts than the listener's count have passed, a
	 * bare ACK completing a passive open is dropped and remembered
	 * (tcp_check_req(): inet_rsk(req)->acked, TcpDeferAcceptDrop); the
	 * SYN-ACK is then resent only from the last timeout of the count on,
	 * and the half-open connection expires after synack_retries
	 * timeouts and the count (reqsk_timer_handler(), syn_ack_recalc()).
	 * Data, or an ACK once the count has passed, completes it. On in
	 * the Linux profile; off: -ENOPROTOOPT, as FreeBSD's
	 * tcp_default_ctloutput() answers an option it lacks. */
	bool defer_accept;
	/* TCP Fast Open, server side (RFC 7413), as Linux 6.18 does it
	 * (net/ipv4/tcp_fastopen.c, src/tcp/tcp_fastopen.c): TCP_FASTOPEN,
	 * TCP_FASTOPEN_KEY and TCP_FASTOPEN_NO_COOKIE exist, and a listener
	 * with a TFO queue takes data in a SYN with a valid cookie. On in the
	 * Linux profile; off: the options answer -ENOPROTOOPT and SYN data is
	 * never taken. */
	bool fastopen_linux;
	/* Linux's tcp_rcv_synsent_state_process(): while a writer waits for
	 * the connection (sk_write_pending: a blocking write with data left,
	 * GT_MSG_WAITCONN), the SYN-ACK's ACK is not sent at once but
	 * scheduled ("Save one ACK. Data will be ready after several ticks"):
	 * quick-ACK mode, the delayed-ACK timer at TCP_DELACK_MAX, and the
	 * writer's data carries it. Linux profile. */
	bool synsent_save_ack;
	/* TCP Fast Open's client side as FreeBSD does it
	 * (sys/netinet/tcp_fastopen.c tcp_fastopen_connect(),
	 * tcp_fastopen_update_cache(), tcp_fastopen_disable_path(); the
	 * implied connect of tcp_usr_send()): TCP_FASTOPEN (TF_FASTOPEN) on a
	 * closed socket, sendto() connects, the client cookie cache. On in the
	 * FreeBSD profile; net.inet.tcp.fastopen.client_enable is
	 * fastopen_bsd_client (1, its VNET default). */
	bool fastopen_bsd;
	bool fastopen_bsd_client;
	/* FreeBSD's TFO server (tcp_fastopen.c tcp_fastopen_check_cookie(),
	 * tcp_syncache.c syncache_add() and syncache_tfo_expand()):
	 * net.inet.tcp.fastopen.server_enable (0), .acceptany (0) and
	 * .autokey (120 s). The key ring is the kernel's V_tcp_fastopen_keys
	 * (TCP_FASTOPEN_MAX_KEYS 2): .setkey adds one at newest + 1 mod 2
	 * (tcp_fastopen_addkey_locked()), server_enable 1 -> 0 empties it,
	 * 0 -> 1 with autokey and no key adds one drawn from the stack's
	 * secret (tcp_fastopen_autokey_locked(); autokey_n counts them so
	 * each is new). The autokey callout's later keys are not modelled.
	 * PSK mode (psk_enable) is not modelled: 0 only. */
	bool fastopen_bsd_server;
	bool fastopen_bsd_acceptany;
	uint8_t fastopen_bsd_numkeys;
	uint8_t fastopen_bsd_newest;
	uint32_t fastopen_bsd_autokey_s;
	uint32_t fastopen_bsd_autokey_n;
	uint8_t fastopen_bsd_keys[2][16];
	/* net.ipv4.tcp_fastopen: the GT_TFO_* bits below (Linux's TFO_* in
	 * include/net/tcp.h); Linux's default GT_TFO_CLIENT_ENABLE alone. */
	uint32_t fastopen;
	/* net.ipv4.tcp_fastopen_key: the cipher key as the kernel's
	 * tcp_fastopen_context holds it (each 32-bit word of the sysctl
	 * little-endian, proc_tcp_fastopen_key()). The kernel draws a random
	 * one at first use when none was set; glasstcp starts with zeros. */
	uint8_t fastopen_key[16];
	/* TCP_KEEPINIT (GT_TCP_KEEPINIT, 128) exists: FreeBSD's
	 * tcp_default_ctloutput() sets and reads it. Off: Linux has no option
	 * 128, and do_tcp_setsockopt() and do_tcp_getsockopt() answer
	 * ENOPROTOOPT from their default cases. On in the FreeBSD profile. */
	bool keepinit_bsd;
	/* TCP_INFO's rcv_mss is the peer's segment size as seen: Linux's
	 * tcp_get_info() reports icsk_ack.rcv_mss (tcp_measure_rcv_mss(),
	 * first guessed by tcp_initialize_rcv_mss(), 0 before the handshake
	 * ends). Off: t_maxseg, the send MSS (FreeBSD's tcp_fill_info()). On
	 * in the Linux profile. */
	bool tcpi_rcv_mss_seen;
	/* TCP_INFO's time counters as Linux keeps them: the chrono
	 * (tcp_chrono_start()/tcp_chrono_stop(), tcpi_busy_time,
	 * tcpi_rwnd_limited, tcpi_sndbuf_limited), tcpi_last_data_sent
	 * (lsndtime) and tcpi_last_ack_recv (rcv_tstamp), in jiffies of
	 * cfg.rto_jiffy_us, kept in the Linux side struct. On in the Linux
	 * profile; off, the fields are unknown (chrono_ok false). */
	bool tcpi_chrono;
	/* TCP_INFO of a socket whose connection is gone, as FreeBSD's
	 * tcp_ctloutput() and tcp_fill_info() (fel1x-developer/freebsd-src
	 * 2d614aa), whose socket keeps its tcpcb: TIME_WAIT (and what the
	 * connection agreed and measured) while the connection's TIME_WAIT
	 * entry lives, ECONNRESET once it ended (tcp_close()'s INP_DROPPED:
	 * an RST, a timeout, LAST_ACK's end, 2MSL's end), and so do every
	 * other getsockopt() and setsockopt() below SOL_SOCKET then
	 * (tcp_ctloutput() tests INP_DROPPED first: tcp_user_opt_gone()).
	 * Off: Linux's tcp_get_info() on the closed socket, TCP_CLOSE with
	 * the kept options (tcp_user_info_kept()), the other options from
	 * the socket. On: tcpi_rto is also t_rxtcur, tcp_rexmit_slop and the
	 * backoff included, and tcpi_rttvar before a sample a quarter of the
	 * initial RTO (tcp_newtcpcb()). On in the FreeBSD profile. */
	bool tcpi_tcpcb_bsd;
	/* A soft ICMP error (the error a timeout reports) is forgotten when an
	 * acceptable ACK arrives: Linux's tcp_ack() clears sk_err_soft
	 * ("Something worked..."). On in the Linux profile. */
	bool soft_err_ack_clears;
	/* Linux's net.ipv4.tcp_max_orphans (tcp_too_many_orphans()): with
	 * more orphans than this, close() resets past FIN_WAIT_2 and an
	 * orphan's retransmission or probe timer ends it
	 * (tcp_out_of_resources(): the count doubled for a soft ICMP error
	 * and for an orphan not worth a reset), counted in TcpAbortOnMemory.
	 * Linux sizes it from memory (131072 on the machine checked);
	 * UINT32_MAX (the FreeBSD profile's): no limit. */
	uint32_t max_orphans;
	/* The timeout after the last of data_retries retransmissions resets
	 * the peer: FreeBSD's tcp_timer_rexmt() ends with tcp_drop(), whose
	 * tcp_output() in CLOSED sends RST|ACK once a SYN was received
	 * (TCPS_HAVERCVDSYN). Off: the connection ends silently (Linux's
	 * tcp_write_err()). On in the FreeBSD profile. */
	bool rto_drop_rst;
	/* Keepalive probes on every connection, SO_KEEPALIVE or not:
	 * FreeBSD's net.inet.tcp.always_keepalive (1 by default;
	 * tcp_timer_keep()). Off: only where SO_KEEPALIVE asks (RFC 1122
	 * 4.2.3.6, Linux). On in the FreeBSD profile. */
	bool keepalive_always;
	/* The keepalive timer's rules (docs/closing.md, "Keepalive").
	 * GT_KEEPALIVE_LINUX, Linux's tcp_keepalive_timer() (the Linux
	 * profile): the timer runs with SO_KEEPALIVE only, in every state
	 * but CLOSE and SYN_SENT, and sends nothing while data is in flight
	 * or queued ("It is alive without keepalive": it looks again one
	 * idle time later); an orphan's FIN_WAIT_2 is linger2's; a bare ACK
	 * below SND.UNA is no answer; TCP_KEEPIDLE re-arms for what is left
	 * of it counted from the last segment received; the peer is gone
	 * after TCP_KEEPCNT unanswered probes (or TCP_USER_TIMEOUT).
	 * GT_KEEPALIVE_FREEBSD, FreeBSD's TT_KEEP and tcp_timer_keep() (the
	 * FreeBSD profile): the timer runs whatever SO_KEEPALIVE says, which
	 * it reads at expiry; probes from ESTABLISHED through CLOSING
	 * (FIN_WAIT_1 and CLOSING included, the timer running on across
	 * them), data in flight or not; TCP_KEEPIDLE re-arms the whole idle
	 * time from now; the peer is dropped once idle TP_KEEPIDLE +
	 * TP_KEEPCNT x TP_KEEPINTVL since the last segment received. */
	enum gt_keepalive_model keepalive_model;
	uint32_t keepalive_idle_s;  /* RFC 1122 4.2.3.6: at least two hours; <= 32767 */
	uint32_t keepalive_intvl_s; /* <= 32767 */
	uint32_t keepalive_probes;  /* <= 127 (Linux MAX_TCP_KEEPCNT) */
	uint32_t persist_min_us;
	uint32_t persist_max_us;
	/* The persist interval as FreeBSD's tcp_setpersist() computes it:
	 * ((t_srtt >> 2) + t_rttvar) >> 1 in its fixed point (TCP_RTT_SHIFT
	 * 5, TCP_RTTVAR_SHIFT 4), that is 4 * SRTT + 8 * RTTVAR (2 *
	 * rexmit_initial before a sample: tcp_newtcpcb() sets t_rttvar to a
	 * quarter of it), times tcp_backoff[t_rxtshift] (2^n, at most 512),
	 * plus rexmit_slop (TCPT_RANGESET), within persist_min_us and
	 * persist_max_us. Off: the backed-off RTO within those bounds. On in
	 * the FreeBSD profile. */
	bool persist_bsd;
	/* A data or FIN segment the device refused (transmit() returned
	 * -ENOBUFS or -EAGAIN, struct gt_device) as Linux takes it: not sent,
	 * SND.NXT and SND.MAX stay (tcp_write_xmit() stops at the failed
	 * tcp_transmit_skb()); with nothing in flight the zero-window probe
	 * timer retries, every TCP_RESOURCE_PROBE_INTERVAL (500 ms) without
	 * backoff, counting probes (tcp_send_probe0(): err > 0), and a
	 * refused RTO retransmission is retried 500 ms later without backoff
	 * (tcp_retransmit_timer()). Off (FreeBSD's tcp_output() on ENOBUFS):
	 * SND.NXT backs out over the segment, SND.MAX keeps it, cwnd becomes
	 * one segment and the retransmission timer, armed as for a segment
	 * sent, covers it. On in the Linux profile. */
	bool tx_busy_linux;
	/* The sequence number of a segment without data, SYN or FIN (a bare
	 * ACK, an RST from tcp_output()): FreeBSD's tcp_output() puts SND.MAX
	 * there ("if (len || (flags & (TH_SYN|TH_FIN)) ||
	 * tcp_timer_active(tp, TT_PERSIST)) th_seq = snd_nxt; else th_seq =
	 * snd_max"), past the window's right edge when the peer shrank it. Off:
	 * Linux's tcp_acceptable_seq(), SND.MAX no further than that edge. The
	 * persist case keeps the clamp. On in the FreeBSD profile. */
	bool ack_seq_bsd;
	/* Giving up on a zero window by idle time, not by unanswered probes:
	 * FreeBSD's tcp_timer_persist() drops the connection (RST, tcp_drop())
	 * once t_rxtshift has reached V_tcp_retries (data_retries; the timer's
	 * backoff, raised by each probe and not lowered by the peer's answers)
	 * and nothing was received for min(tcp_maxpersistidle, TCP_REXMTVAL x
	 * tcp_totbackoff 2559), TCP_REXMTVAL being SRTT + 4 RTTVAR and at least
	 * rto_min_us (t_rttmin); and, past CLOSE_WAIT (close() or SHUT_WR
	 * called), once nothing was received for TCPTV_PERSMAX, 60 s. This is
	 * tcp_maxpersistidle in seconds (TCPTV_KEEP_IDLE, 7200, set once by
	 * tcp_init(), no sysctl); 0: the count of unanswered probes ends it
	 * (data_retries, an orphan's 8: Linux's tcp_probe_timer()). 7200 in the
	 * FreeBSD profile. */
	uint32_t persist_max_idle_s;

	/* Congestion control. */
	uint32_t initial_cwnd_segs; /* RFC 6928 IW10 */
	/* SYN or SYN-ACK retransmissions from which the first window is one
	 * segment (RFC 5681 3.1): 1 in the FreeBSD profile (the timer's
	 * snd_cwnd = 1 in SYN_SENT, syncache_socket()'s "sc_rxmits > 1",
	 * which counts the first transmission too), 2 in the Linux one
	 * (tcp_init_transfer(): "tp->total_retrans > 1", since RFC 6298's
	 * 1 s initial RTO makes one retransmission likely; Linux 6.18 under
	 * `glasstcp pktrun --kernel`: cwnd 10 after one, 1 after two, as
	 * client and as server). 0: never. */
	uint8_t syn_rtx_cwnd_one;
	enum gt_cc cc;              /* for new connections; TCP_CONGESTION per socket */
	bool limited_transmit;      /* RFC 3042 */
	bool frto;                  /* RFC 5682 F-RTO: detect spurious timeouts, undo them */
	/* RACK (RFC 8985 6): with SACK, losses are found by time, not by
	 * counting duplicates; lost retransmissions are found too (Linux
	 * net.ipv4.tcp_recovery bit 1, its default). Off: RFC 6675. */
	bool rack;
	/* Linux tcp_recovery bit 2 (TCP_RACK_STATIC_REO_WND): the reordering
	 * window stays min_RTT / 4, D-SACKs never widen it
	 * (tcp_rack_update_reo_wnd() returns first). Off in both profiles. */
	bool rack_static_reo_wnd;
	/* Linux tcp_recovery bit 4 (TCP_RACK_NO_DUPTHRESH): DupThresh SACKed
	 * segments no longer zero the reordering window before reordering is
	 * seen (tcp_rack_reo_wnd()), so even then a hole waits min_RTT / 4.
	 * Off in both profiles. */
	bool rack_no_dupthresh;
	/* Tail loss probes (RFC 8985 7; Linux tcp_early_retrans 3, its
	 * default); needs rack. */
	bool tlp;
	/* Proportional rate reduction in recovery (RFC 6937 with the slow-
	 * start bound, Linux's tcp_cwnd_reduction()); with rack, and without
	 * SACK (the duplicates as SACKed segments, as Linux's Reno). Off:
	 * cwnd drops to ssthresh at once (RFC 6675), and without SACK RFC
	 * 6582's inflation. */
	bool prr;
	/* Proportional rate reduction in RFC 6675 recovery (no RACK), as
	 * FreeBSD's tcp_do_prr_ack() computes it (net.inet.tcp.do_prr, on
	 * since FreeBSD 14): each ACK lets out as many segments as PRR says,
	 * in proportion to what it delivered. Off: with recovery_bsd,
	 * FreeBSD's recovery without PRR (tcp_do_segment(): cwnd one segment
	 * at entry, one more per duplicate ACK while awnd < ssthresh, cwnd
	 * counting only what the recovery resent and sent past snd_recover;
	 * tcp_sack_partialack() at every partial ACK); without it, cwnd is
	 * ssthresh and pipe decides (RFC 6675 5). */
	bool prr_bsd;
	/* FreeBSD's rules for entering fast recovery (tcp_do_segment()): an
	 * ACK that moves SND.UNA and brings new SACK information, with more
	 * than 2 SMSS SACKed above it, enters at once (goto enter_recovery);
	 * and with SACK or prr_bsd, RFC 6582's bar on a recovery below the
	 * last RecoveryPoint does not apply (only IN_FASTRECOVERY is checked);
	 * without SACK cwnd is inflated at entry by DupAcks less the segments
	 * limited transmit let out (snd_limited), not by 3. Off: only the
	 * DupThresh-th duplicate ACK enters, never below it, inflating by 3. */
	bool recovery_bsd;
	/* No RFC 6675 NextSeg() rule 4 (the rescue retransmission) in SACK
	 * recovery, as FreeBSD: tcp_sack_output() offers tcp_output() only a
	 * scoreboard hole with rxmit below its end, so a duplicate ACK after
	 * every hole was resent sends nothing or new data. FreeBSD makes its
	 * rescue hole only in tcp_sack_partialack() (a partial ACK that
	 * empties the scoreboard: sack_partialack_rescue). Off: rule 4, once
	 * per recovery (src/tcp/tcp_sack.c, rescue()). */
	bool sack_rescue_bsd;
	/* With recovery_bsd and PRR: a partial ACK without SACK blocks below
	 * snd_recover that empties the scoreboard resends [max(SEG.ACK, high
	 * - SMSS), high) at once, high SND.MAX (the FIN's octet left out) at
	 * most snd_recover: the rescue hole of tcp_sack_partialack() with
	 * net.inet.tcp.sack.revised (V_tcp_do_newsack) 1, FreeBSD's default
	 * (tcp_sack.c, freebsd main). Off: the tail waits for the RTO. On in the
	 * freebsd profile; the sysctl sets it (docs/freebsd.md). */
	bool sack_partialack_rescue;
	/* With recovery_bsd, FreeBSD's net.inet.tcp.sack.revised
	 * (V_tcp_do_newsack) 0 where the profile models it (docs/freebsd.md):
	 * a SACK recovery starts only at the DupThresh-th duplicate ACK, not
	 * at an earlier one that leaves more than (DupThresh - 1) * SMSS
	 * SACKed (tcp_do_segment(): "tp->t_dupacks == tcprexmtthresh ||
	 * (TF_SACK_PERMIT && V_tcp_do_newsack && sacked_bytes > ...)"); PRR's
	 * pipe is SND.NXT - snd_fack + sack_bytes_rexmit (tcp_do_prr_ack();
	 * an ECN reduction's snd_fack being SEG.ACK), and the full ACK's
	 * cwnd comes from SND.MAX - SEG.ACK (newreno_cc_post_recovery()),
	 * not from tcp_compute_pipe(); without PRR, awnd is SND.NXT - snd_fack
	 * + sack_bytes_rexmit too (net.inet.tcp.rfc6675_pipe=0 in older
	 * trees sets this alone). An ACK that advances SND.UNA with new
	 * SACK blocks enters on the bytes either way (not under the knob
	 * there). Off in both profiles (FreeBSD's default, 1); the sysctl
	 * sets it. */
	bool sack_unrevised_bsd;
	/* SACK blocks as FreeBSD's tcp_sack_doack() takes them: only a block
	 * that starts above SND.UNA and above SEG.ACK, below SND.MAX, and
	 * ends above SND.UNA, at most SND.MAX; one that also ends at or
	 * below SEG.ACK is a D-SACK (tcp_record_dsack(): TcpDSACKRecv), any
	 * other is dropped whole (TcpSACKBlockDropped): a block from at or
	 * below SEG.ACK to past it adds nothing, and its ACK is no DupAck.
	 * And PRR's new-loss test (the conservative bound) is its
	 * SACK_NEWLOSS: a block that splits a hole or moves the rescue hole,
	 * not one that appends a hole at the tail. Off: a block is taken
	 * from SND.UNA up wherever it starts, and a block above a new hole
	 * past the highest SACKed byte is the new loss (RFC 6937bis). On in
	 * the freebsd profile (freebsd main's tcp_sack.c). */
	bool sack_doack_bsd;
	/* gt_tcp_info.dupacks_in as FreeBSD's tcps_rcvdupack counts it:
	 * every acceptable ACK at or below SND.UNA without text whose window
	 * is unchanged or whose connection does SACK, but a first FIN
	 * (tcp_do_segment(): "TCPSTAT_INC(tcps_rcvdupack)" before its old-ACK,
	 * no-new-SACK and idle tests), so old ACKs, ACKs with nothing
	 * outstanding and SACK ACKs without new blocks count too. Off: only
	 * the duplicates that dup_ack() takes as one (RFC 5681 2, RFC 6675
	 * 2). On in the freebsd profile (freebsd main, 2d614aa). */
	bool rcvdupack_bsd;
	/* FreeBSD's tcp_compute_pipe() as freebsd main has it: SND.MAX -
	 * SND.UNA + sack_bytes_rexmit - sacked_bytes - lost_bytes, lost_bytes
	 * the bytes of the scoreboard holes that tcp_sack_doack() finds lost
	 * (DupThresh SACKed runs, or more than (DupThresh - 1) * t_maxseg
	 * bytes, SACKed above them: RFC 6675's IsLost()), so pipe is RFC
	 * 6675's SetPipe() (fel1x-developer/freebsd-src 2d614aa). Off: a hole
	 * counts in flight until it is SACKed (freebsd/freebsd-src 2bae602e,
	 * without lost_bytes). On in the freebsd profile. */
	bool pipe_lost_bsd;
	/* NextSeg() as FreeBSD's tcp_output(): in SACK recovery it first asks
	 * tcp_sack_output() for a hole to resend, and tcp_sack_output() returns
	 * the first scoreboard hole (holes lie below the highest SACKed byte,
	 * tcp_sack_doack()) whose rxmit is below its end, lost by RFC 6675's
	 * IsLost() or not; only below snd_recover ("Do not retransmit SACK
	 * segments beyond snd_recover"). New data goes only when no such hole
	 * is left (FreeBSD 14, sobomax/freebsd14_vendor 0f7ff34 and
	 * rscheff/freebsd-src). Off: RFC 6675 4's order, a lost hole (rule 1),
	 * new data (rule 2), then any hole (rule 3). */
	bool sack_output_bsd;
	/* Without SACK, as Linux's Reno emulation (tcp_try_undo_partial(),
	 * tcp_try_undo_recovery(), tcp_check_sack_reordering()): an ACK whose
	 * timestamp echo predates the recovery's first retransmission shows
	 * the hole was filled by the late original: the reduction is undone
	 * and the duplicate-ACK threshold (tp->reordering) rises to the
	 * distance the original was overtaken by, up to 255 segments
	 * (Linux: 300, tcp_max_reordering). Off: RFC 6582, three duplicates
	 * always. */
	bool reno_undo;
	/* The duplicate threshold a connection starts with (Linux's
	 * net.ipv4.tcp_reordering, tp->reordering; 3 in both profiles,
	 * RFC 5681's DupThresh). It is also a floor of an autotuned send
	 * buffer: reordering + 1 segments (tcp_sndbuf_expand()). */
	uint8_t reordering_segs;
	/* With SACK and RACK, as Linux's tcp_check_sack_reordering(): a
	 * segment never sent twice that a SACK newly covers below the
	 * highest SACKed sequence (tcp_sacktag_write_queue()), or that a
	 * cumulative ACK covers unSACKed below it (tcp_clean_rtx_queue()), is
	 * reordering: each such ACK counts once (tp->reord_seen,
	 * TcpSACKReorder), and the duplicate threshold (tp->reordering) rises
	 * to the distance in segments, rounded up, up to max_reordering_segs.
	 * Once it is above reordering_segs an ACK that only SACKs grows cwnd
	 * by what it SACKed (tcp_may_raise_cwnd(): FLAG_FORWARD_PROGRESS).
	 * Off: reordering is seen once per connection (RACK's reordering_seen
	 * only), the threshold stays. FreeBSD has no such estimate. */
	bool sack_reordering;
	/* Linux's net.ipv4.tcp_max_reordering (300): the most tp->reordering
	 * rises to. A connection's threshold stops at 255 here. */
	uint16_t max_reordering_segs;
	/* With SACK and RACK, as Linux's tcp_ack() -> tcp_cong_control(sk,
	 * ack, delivered, ...): an ACK that moves SND.UNA outside recovery
	 * grows cwnd (tcp_slow_start(), tcp_cong_avoid_ai()) by the packets
	 * it newly delivered (tp->delivered - prior_delivered): those it
	 * acknowledges that were not SACKed before, and those it newly
	 * SACKs. Off: the segments acknowledged less one a duplicate ACK
	 * since SND.UNA last moved (the count without SACK). */
	bool cwnd_delivered_sack;
	/* Without SACK, as Linux's tcp_add_reno_sack() ->
	 * tcp_check_reno_reordering(): outside recovery, more duplicate ACKs
	 * than segments out but the one hole (tcp_limit_reno_sacked()) are
	 * reordering: the count is held at the segments out less one, and the
	 * duplicate threshold (tp->reordering) becomes the segments out, up
	 * to max_reordering_segs, lowered as well as raised
	 * (TcpRenoReorder). Off: every duplicate counts. */
	bool reno_reordering;
	/* With SACK and RACK, as Linux's tcp_try_undo_recovery() and
	 * tcp_try_undo_partial() with tcp_packet_delayed(): an ACK whose
	 * timestamp echo predates the recovery's first retransmission
	 * (retrans_stamp) undoes the recovery's reduction, at the full ACK,
	 * or at a partial one once no retransmission is in flight (then
	 * recovery ends). Off: only D-SACKs undo (TcpDSACKUndo). The same
	 * after a first timeout outside recovery, with SACK: an ACK of new
	 * data echoing a TSval older than the timeout's retransmission undoes
	 * it (tcp_try_undo_loss(), TcpLossUndo), before F-RTO decides. */
	bool ts_undo;
	/* With SACK, after a first timeout outside recovery: D-SACKs that
	 * cover every segment retransmitted since it (Linux's undo_retrans
	 * down to 0, tcp_check_dsack() / tcp_sacktag_one()) undo it on the
	 * next ACK of new data, timestamps or none (tcp_process_loss():
	 * tcp_try_undo_loss(sk, false) with tcp_may_undo(), before F-RTO's
	 * test), counted TcpLossUndo. Off: only timestamps (cfg.ts_undo)
	 * and F-RTO undo a timeout. */
	bool loss_dsack_undo;
	/* Where a timeout starts that undo count, as Linux's tcp_enter_loss()
	 * calls tcp_init_undo(): also at a timeout in the loss state after an
	 * ACK (icsk_retransmits 0), and none at a timeout during a fast
	 * recovery whose window is not yet acknowledged: the recovery's
	 * undo_marker and undo_retrans go on into the loss state, every
	 * retransmission from there adds to them, and an ACK of new data that
	 * finds them at 0 undoes the timeout and the recovery both. Off: no
	 * D-SACK undo after a timeout in the loss state, and the recovery's
	 * own D-SACK undo, counted apart, still runs after its timeout. */
	bool loss_undo_init_linux;
	/* F-RTO's step 3b (RFC 5682 3.1, the SACK version) on a duplicate ACK
	 * too: one that SACKs data never retransmitted undoes the timeout with
	 * SND.UNA where it was, as Linux's tcp_process_loss() tests
	 * FLAG_ORIG_SACK_ACKED whether SND.UNA moved or not. Off: only an ACK
	 * that moves SND.UNA undoes; the duplicate keeps the loss state. */
	bool frto_sack_undo_dupack;
	/* What a timeout marks, as Linux's tcp_timeout_mark_lost() and
	 * tcp_mark_skb_lost() do: a segment not yet marked lost becomes lost
	 * and keeps its retransmitted mark (retrans_out) if it had one (a
	 * retransmission an undo unmarked); one already lost and
	 * retransmitted loses that mark and is due again; a segment other
	 * than the first, sent within RACK.rtt + reo_wnd, is not marked at
	 * all. A kept mark is in flight, is not sent again by the loss
	 * state's retransmissions (tcp_xmit_retransmit_queue() skips
	 * TCPCB_SACKED_RETRANS) and is lost again once RACK says so. Off:
	 * everything not SACKed is lost and due for retransmission. */
	bool rto_mark_keeps_retrans;
	/* The loss state as Linux's marks run it (with the RACK log): what is
	 * in flight is tcp_packets_in_flight(), packets_out - (sacked_out +
	 * lost_out) + retrans_out, so a segment the timeout left unmarked or
	 * retransmitted counts, and so does the head counted twice
	 * (leak_segs); cwnd at the timeout is that + 1 (tcp_enter_loss());
	 * the go-back-N resends only what is lost and not retransmitted
	 * (tcp_xmit_retransmit_queue()), and goes back for a segment RACK
	 * marks lost behind it. Off: cwnd one segment, every segment from
	 * SND.UNA resent, and the flight SND.NXT - SND.UNA less what is
	 * SACKed. */
	bool loss_gbn_marks;
	/* A path-MTU fall marks lost only what was sent in segments longer
	 * than the new MSS, as Linux's tcp_simple_retransmit() marks an skb
	 * with tcp_skb_seglen() > mss (tcp_mark_skb_lost(): a retransmission
	 * not lost yet keeps its mark, one lost and retransmitted is due
	 * again); a short one stays in flight and is not resent. With the
	 * RACK log (SACK). Off: everything not SACKed is lost and resent. */
	bool pmtu_mark_longer;
	/* RACK's reordering window back to one step (RFC 8985 6.2 step 4)
	 * at the first ACK that delivers data once reo_wnd_persist is 0, as
	 * Linux's tcp_rack_update_reo_wnd() (called from tcp_ack() before
	 * tcp_fastretrans_alert()), not at the recovery's end that lowered
	 * it to 0. Off: at that end. */
	bool rack_reo_reset_on_ack;
	/* A D-SACK's step of the reordering window (RFC 8985 6.2 step 4)
	 * waits for an ACK that delivers data, and is dropped where the
	 * newest segment that ACK delivers was sent before the last step,
	 * as Linux's tcp_dsack_seen() and tcp_rack_update_reo_wnd()
	 * (rack.dsack_seen, rs->prior_delivered, rack.last_delivered). Off:
	 * RFC 8985's round, the step at the D-SACK unless SND.UNA is below
	 * SND.NXT at the last one. */
	bool rack_dsack_step_delivered;
	/* What a D-SACK takes off the undo count (undo_retrans), as Linux's
	 * tcp_check_dsack() and tcp_sacktag_one() take it: the block's
	 * segments where it ends at or below the old SND.UNA; where it ends
	 * above, only the retransmitted segments in it, and nothing for a
	 * block tcp_is_sackblock_valid() refuses (one that starts at or
	 * below SND.UNA and runs past it). Off: every segment of a block
	 * that ends above the marker. */
	bool dsack_undo_sacktag;
	/* A D-SACK undo in a fast recovery ends it, as Linux's
	 * tcp_fastretrans_alert() (TCP_CA_Recovery) follows
	 * tcp_try_undo_dsack() with tcp_try_to_open(): the connection is
	 * open (or in Disorder) again with the restored cwnd and ssthresh,
	 * and a loss found on the same ACK or later starts a new recovery
	 * with a reduction of its own. Off: the recovery goes on to its end,
	 * PRR still setting cwnd. */
	bool dsack_undo_opens;
	/* The first SACK block is a D-SACK when it starts below SEG.ACK (or
	 * lies inside the second), as Linux's tcp_check_dsack() tests it,
	 * and a block that starts at or below SND.UNA and ends above it is
	 * no SACK block (tcp_is_sackblock_valid()). Off: when it ends at or
	 * below SEG.ACK (RFC 2883 4), and such a block SACKs from SND.UNA. */
	bool dsack_left_edge;

	/* Security and robustness. */
	bool rfc5961;               /* challenge ACKs for RST/SYN/ACK */
	uint32_t challenge_ack_per_s; /* RFC 5961 7: rate limit */
	bool rfc1337;               /* ignore RST in TIME_WAIT */
	/* SYN cookies (RFC 4987 3.6): 0 never, 1 when the SYN queue or the
	 * connection table is full (Linux's default), 2 for every SYN. */
	uint8_t syncookies;
	/* FreeBSD's cookie (syncookie_generate()): the ISS itself keeps the
	 * peer's MSS, window scale and SACK-permitted, so the SYN-ACK offers
	 * them with or without timestamps; Linux's keeps only the MSS
	 * without timestamps (tcp_syncookie.c). */
	bool syncookie_bsd;
	/* A valid cookie's ACK whose connection cannot be made (max_conns,
	 * memory): FreeBSD's syncache_expand() counts tcps_sc_aborted and
	 * tcp_input() answers <SEQ=SEG.ACK><CTL=RST> while
	 * net.inet.tcp.syncache.rst_on_sock_fail is 1, its default. Off, it
	 * is dropped unanswered, as Linux's cookie_v4_check() drops it when
	 * tcp_get_cookie_sock() gets no child (tcp_v4_syn_recv_sock():
	 * tcp_listendrop()). Either way TcpConnLimit and TcpSynDrops count it.
	 * On in the FreeBSD profile, off in the Linux one (docs/freebsd.md). */
	bool syncookie_fail_rst;
	/* A valid cookie's ACK that finds the listener's accept queue full:
	 * on, dropped unanswered, as Linux's tcp_v4_syn_recv_sock() refuses
	 * the child while sk_acceptq_is_full() (LISTENOVERFLOWS) and
	 * cookie_v4_check() returns no socket; off, answered with an RST,
	 * as FreeBSD's sonewconn() refusal in syncache_socket() is with
	 * net.inet.tcp.syncache.rst_on_sock_fail 1, its default. Counted in
	 * TcpListenOverflows and TcpSynDrops either way. On in the Linux
	 * profile. */
	bool syncookie_overflow_drop;
	/* An ACK to a listener is checked as a cookie only when the listener
	 * sent cookies lately; otherwise it gets the LISTEN-state RST and no
	 * cookie counter moves (TcpSyncookiesFailed counts only ACKs that
	 * were checked). What "lately" means follows the profile
	 * (syncookie_bsd):
	 *  - Linux, cookie_tcp_check() -> tcp_synq_no_recent_overflow():
	 *    within TCP_SYNCOOKIE_VALID (120 s) of the listener's overflow
	 *    stamp, which every cookie SYN-ACK sets (cookie_init_sequence()
	 *    -> tcp_synq_overflow(), at most once a second), with
	 *    tcp_syncookies 2 too: a listener that has sent no cookie
	 *    refuses even a valid one (tests/pkt/linux/syncookie-gate-*.pkt,
	 *    checked on Linux 6.18);
	 *  - FreeBSD, syncache_expand(): always with syncookies_only
	 *    (syncookies 2), else only when the bucket overflowed in the
	 *    last SYNCOOKIE_LIFETIME (15 s); else "Spurious ACK, segment
	 *    rejected (no syncache entry)", before syncookie_lookup() runs.
	 * The time is kept per listener here. Off: every ACK that finds no
	 * connection is checked (and may count TcpSyncookiesFailed). On in
	 * both profiles. */
	bool syncookie_after_overflow;
	/* glasstcp's own memory of a cookie's end (tcp_syncookie_end()),
	 * three rules: the RST a listener sends to an ACK that fits no
	 * connection and no cookie (swarm seed 4005811), a client's RST
	 * with ACK to a listener (seeds 2007111, 2008392: a linger abort
	 * that overtook its handshake ACK), and the end of a TCB a cookie
	 * built (seed 874: a late duplicate of its handshake ACK) each end
	 * the cookie for the tuple, so a handshake ACK sent before builds
	 * nothing after. Neither kernel remembers: Linux's
	 * cookie_v4_check() takes the ACK whatever came before
	 * (tests/pkt/linux/syncookie-ack-*-accepted.pkt, Linux 6.18), and
	 * FreeBSD's syncache_chkrst() ignores an RST with no entry,
	 * tcp_dropwithreset() and tcp_close() keep nothing, and
	 * syncookie_lookup() takes the cookie until the secret of its
	 * parity is reseeded (tests/pkt/freebsd/syncookie-valid-after-*.pkt).
	 * Off in both profiles (docs/freebsd.md, docs/swarm.md). */
	bool syncookie_end_on_rst;
	/* A child still in the accept queue that a reset or a timeout ends
	 * stays there, CLOSED and out of the lookup, until accept() returns
	 * it (its unread data, then the error) or the listener closes, and
	 * it counts toward the backlog meanwhile: Linux's tcp_done() leaves
	 * it to inet_csk_accept(). FreeBSD keeps it too: tcp_close() ->
	 * soisdisconnected() leaves it on sol_comp, whose reference holds the
	 * socket, and sol_qlen counts it (accept_aborts_dropped says what
	 * accept() does with it). Off: it leaves the queue at once. On in
	 * both profiles. */
	bool accept_keeps_reset;
	/* The accept queue as Linux's sk_acceptq_is_full(): full only past
	 * the backlog (sk_ack_backlog > sk_max_ack_backlog), so listen(fd, N)
	 * queues N + 1 and listen(fd, 0) one; a negative backlog is the
	 * largest (__sys_listen(): somaxconn). Off: full at the backlog, at
	 * least 1 (neither this nor acceptq_bsd). On in the Linux profile. */
	bool acceptq_linux;
	/* The SYN queue as Linux's tcp_conn_request() judges it: full when
	 * it holds more half-open connections than the listen backlog
	 * (inet_csk_reqsk_queue_is_full(), qlen > sk_max_ack_backlog in 6.18,
	 * so listen(fd, 0) keeps one and listen(fd, 1) two), which sends a
	 * cookie under syncookies (TcpReqQFullDoCookies) or drops the SYN
	 * (TcpReqQFullDrop); max_syn_backlog (tcp_max_syn_backlog) only drops
	 * a SYN with syncookies 0 once fewer than a quarter of it is left
	 * (every peer unproven: glasstcp keeps no tcp_metrics). A SYN that
	 * reopens a TIME_WAIT tuple skips both. Off: full at max_syn_backlog.
	 * On in the Linux profile. */
	bool synq_backlog_linux;
	/* The accept queue as FreeBSD's solisten_clone() (sonewconn()) judges
	 * it: over only when sol_qlen > 3 * sol_qlimit / 2 (integer division),
	 * so listen(fd, N) queues 3N/2 + 1 (0: one, 1: two, 2: four), and
	 * solisten_proto() makes a negative backlog somaxconn. On in the
	 * FreeBSD profile. */
	bool acceptq_bsd;
	/* Where a full accept queue refuses a passive open. On: at the
	 * handshake's ACK, as FreeBSD: syncache_add() answers every SYN with
	 * no look at the queue, and at the ACK syncache_expand() takes the
	 * entry out of the SYN cache before syncache_socket() asks
	 * sonewconn() for the socket; refused past the queue's limit, it
	 * counts tcps_listendrop (here TcpListenOverflows and TcpSynDrops,
	 * as the cookie path), the entry is freed, and tcp_input() answers
	 * <SEQ=SEG.ACK><CTL=RST> while rst_on_sock_fail
	 * (syncookie_fail_rst) is on, else drops the ACK; a later ACK finds
	 * no entry and gets the listener's RST. Off: the SYN is dropped
	 * unanswered while the queue is full, as Linux's tcp_conn_request()
	 * (sk_acceptq_is_full(): LISTENOVERFLOWS). On in the FreeBSD
	 * profile. */
	bool acceptq_full_at_ack;
	/* listen()'s ceiling, net.core.somaxconn / kern.ipc.somaxconn: a
	 * larger backlog is cut to it (0: no ceiling). 4096 (Linux 5.4+); 128
	 * in the FreeBSD profile (SOMAXCONN, sys/socket.h). */
	uint32_t somaxconn;
	/* With accept_keeps_reset: accept() of a child that ended in the queue
	 * fails with ECONNABORTED and takes it out of the queue, as FreeBSD's
	 * kern_accept4(): solisten_dequeue() removes it, soaccept() ->
	 * tcp_usr_accept() answers ECONNABORTED for an INP_DROPPED inpcb, and
	 * the new descriptor is closed (fdclose()); its unread data goes with
	 * it. Off: accept() returns it (Linux). On in the FreeBSD profile. */
	bool accept_aborts_dropped;
	/* For the POSIX layer above gt_accept() (pktrun's): the accepted
	 * descriptor takes the listener's O_NONBLOCK, as FreeBSD's accept()
	 * passes ACCEPT4_INHERIT to kern_accept4() (solisten_dequeue(): so_state
	 * |= head's SS_NBIO; the file's f_flag from the listener's). Off: it
	 * starts blocking, as Linux's accept() (no SOCK_NONBLOCK given). On
	 * in the FreeBSD profile. */
	bool accept_inherits_nonblock;
	/* connect() may take a 4-tuple still in TIME_WAIT when timestamps make
	 * it safe (RFC 6191; Linux tcp_tw_reuse): the entry used timestamps and
	 * its last one is at least 1 s old. Off: such pairs are skipped. */
	bool tw_reuse;
	/* net.ipv4.tcp_tw_reuse = 2: tw_reuse only for a pair with a loopback
	 * address at either end (Linux's tcp_twsk_unique(): ipv4_is_loopback(),
	 * ipv6_addr_loopback() and their v4-mapped form). The Linux profile's
	 * default, as the kernel's; tcp_tw_reuse = 1 clears it. */
	bool tw_reuse_loopback;
	/* Linux's tcp_twsk_unique() (with cfg.tw_reuse_linux): a pair is
	 * taken once the clock in milliseconds is past the entry's stamp plus
	 * this many (net.ipv4.tcp_tw_reuse_delay, Linux 6.14+; 1000). */
	uint32_t tw_reuse_delay_ms;
	/* Linux's tcp_twsk_unique() for connect() over a TIME_WAIT pair: the
	 * delay above at millisecond resolution; a port the socket bound
	 * itself takes the pair whatever tcp_tw_reuse says (twp == NULL),
	 * timestamps still required; write_seq = the old snd_nxt + 65535 + 2
	 * exactly; ts_recent inherited, which the SYN echoes (tcp_syn_options()).
	 * Off: the rule above (1 s since the entry's timer started; an ISN
	 * at least that far). On in the Linux profile. */
	bool tw_reuse_linux;
	/* Linux's IPPROTO_IP options IP_LOCAL_PORT_RANGE and
	 * IP_BIND_ADDRESS_NO_PORT (GT_IP_*; FreeBSD's numbers 51 and 24 mean
	 * other things, IP_BINDANY for 24). Off: -ENOPROTOOPT. On in the
	 * Linux profile. */
	bool ip_local_port_range;
	/* Linux's IP_MTU_DISCOVER and IPV6_MTU_DISCOVER (GT_IP_MTU_DISCOVER,
	 * include/glasstcp/socket.h), and the IPPROTO_IP options' short
	 * values (do_ip_setsockopt(): an int when optlen >= 4, else one byte
	 * when optlen >= 1); on in the Linux profile. Off: ENOPROTOOPT (FreeBSD
	 * has no such option; its ip_ctloutput() takes a whole int, EINVAL
	 * for less). */
	bool ip_mtu_discover_linux;
	uint8_t isn_secret[16];     /* RFC 6528 key; set it per stack */
	/* Test hooks for sequence and timestamp wrap (0: off, the default).
	 * isn_wrap_bytes: every ISN lies within this many bytes below 2^32
	 * (RFC 6528's M + F, taken modulo it), so a connection that sends
	 * more crosses the wrap; it narrows the ISN space, so only for tests.
	 * ts_wrap_ms: every connection's timestamp clock (RFC 7323 7.1's
	 * per-tuple offset) passes 2^32 within the first ts_wrap_ms of the
	 * stack's clock. */
	uint32_t isn_wrap_bytes;
	uint32_t ts_wrap_ms;
	/* ACKs that answer unacceptable segments (out of the window, PAWS,
	 * an ACK of unsent data, challenge ACKs), per connection: at most
	 * oow_ack_burst in oow_ack_window_ms, the rest counted in
	 * TcpAckSkipped, so that two stacks cannot trade the same ACK for
	 * ever. Linux (tcp_invalid_ratelimit): 1 per 500 ms, segments with
	 * data always answered; FreeBSD (ack_war_timewindow, ack_war_cnt):
	 * 5 per 1000 ms, data included (oow_ack_limit_data). 0: no limit. */
	uint32_t oow_ack_window_ms;
	uint8_t oow_ack_burst;
	bool oow_ack_limit_data;
	/* Challenge ACKs (RFC 5961 3.2, 4.2, 5.2) counted per connection on
	 * their own, oow_ack_burst per oow_ack_window_ms whatever the other
	 * out-of-window ACKs did (FreeBSD's tcp_send_challenge_ack():
	 * t_challenge_ack_cnt). Off (Linux): they share the connection's
	 * out-of-window limit (tcp_send_challenge_ack() checks
	 * last_oow_ack_time first, data or not), so an RST just after an
	 * out-of-window ACK draws no challenge ACK (TcpAckSkipped). */
	bool chack_own_limit;
	/* TIME_WAIT's answers to segments with nothing in them, at most one
	 * per oow_ack_window_ms per entry (Linux's
	 * tcp_timewait_check_oow_rate_limit(), TcpAckSkipped); FreeBSD's
	 * tcp_twcheck() answers each. */
	bool tw_ack_ratelimit;

	/* IPV6_V6ONLY's default for new AF_INET6 sockets: Linux 0
	 * (net.ipv6.bindv6only), FreeBSD 1 (net.inet6.ip6.v6only). */
	bool v6only;
	/* Hop limit of our IPv6 packets (net.ipv6.conf.*.hop_limit). */
	uint8_t hop_limit;

	/* Fragment reassembly (RFC 791 3.2, RFC 8200 4.5), both families: at
	 * most reasm_max_datagrams datagrams at once (GT_REASM_MAX, 8, at
	 * most; 0: every fragment is dropped), holding at most reasm_max_bytes
	 * of fragment data together; a datagram not complete
	 * reasm_timeout4_ms / reasm_timeout6_ms after its first fragment came
	 * is dropped (ReasmTimeout). Both profiles: 8, 256 KiB, 30 s (Linux
	 * ipfrag_time, FreeBSD IPFRAGTTL), 60 s (RFC 8200 4.5; Linux
	 * ip6frag_time, FreeBSD IPV6_FRAGTTL). A fragment that finds every
	 * context taken ends the datagram that began first (ReasmEvicted,
	 * FreeBSD's ipq_reuse(); Linux's 4 MB ipfrag_high_thresh would have
	 * had room: src/ip/reasm.c); one that finds no room in the byte
	 * budget is dropped and counted (ReasmOverLimit). */
	uint8_t reasm_max_datagrams;
	uint32_t reasm_max_bytes;
	uint32_t reasm_timeout4_ms, reasm_timeout6_ms;

	/* Ephemeral ports (RFC 6056). */
	uint16_t ephemeral_lo;
	uint16_t ephemeral_hi;

	/* Many cores: N stacks, one per thread, flows steered to a stack by
	 * gt_rss_hash() % rss_shards (as a NIC's RSS). A stack that is shard
	 * rss_shard of rss_shards picks only ephemeral ports whose 4-tuple
	 * hashes back to it, so replies reach the stack that owns the
	 * connection. rss_shards 0 or 1: no sharding. */
	uint16_t rss_shards;
	uint16_t rss_shard;
};

/* The flow hash of a 4-tuple (host order), symmetric: both directions of
 * a connection hash alike, so either side can steer with it. */
uint32_t gt_rss_hash(uint32_t addr_a, uint16_t port_a, uint32_t addr_b, uint16_t port_b);
/* The same over an IPv6 4-tuple (36 bytes of input); for IPv4-mapped
 * addresses it is gt_rss_hash() of the IPv4 ones, so a flow steers alike
 * whichever form a runtime sees it in. */
uint32_t gt_rss_hash6(const struct gt_in6_addr *addr_a, uint16_t port_a,
		      const struct gt_in6_addr *addr_b, uint16_t port_b);

void gt_config_default(struct gt_config *cfg, enum gt_profile profile);
const char *gt_profile_name(enum gt_profile profile);
/* Returns 0 and sets *out, or -EINVAL for an unknown name ("linux", "freebsd"). */
int gt_profile_from_name(const char *name, enum gt_profile *out);

/* Sets a field of cfg by a kernel tunable's sysctl name and value, as
 * `sysctl -w NAME=VALUE` sets it on the profile's kernel, e.g.
 * "net.ipv4.tcp_rmem" = "4096 131072 33554432" (Linux: buffer, autotuning
 * limit and window scale) or "net.inet.tcp.sendspace" = "65536" (FreeBSD).
 * The names either kernel knows are listed in src/sysctl.c. Returns 0 when
 * applied; GT_SYSCTL_NO_EFFECT for a Linux tuning knob glasstcp has no
 * counterpart for (accepted, nothing changes); -ENOENT for a name glasstcp
 * does not know; -EINVAL for a value the kernel would refuse or out of
 * range; -EOPNOTSUPP for a value the kernel takes but glasstcp does not
 * implement. */
#define GT_SYSCTL_NO_EFFECT 1
int gt_config_sysctl(struct gt_config *cfg, enum gt_profile profile, const char *name,
		     const char *value);
/* The same for "NAME=VALUE" as a command line gives it; on a refusal the
 * cause in words goes to err (errlen bytes): "glasstcp has no setting named
 * N", "'V' is not a value N takes", "N=V is a value glasstcp does not
 * implement", "wants NAME=VALUE". Returns what gt_config_sysctl() does, or
 * -EINVAL without an '='. */
int gt_config_sysctl_arg(struct gt_config *cfg, enum gt_profile profile, const char *arg,
			 char *err, size_t errlen);

/* One piece of a packet handed to gt_device.transmitv (as struct iovec). */
struct gt_iovec {
	const void *base;
	size_t len;
};

/* The device: the stack hands every outgoing IP packet to transmit(), which
 * must copy it before returning. A negative return counts as a drop
 * (IpOutDiscards), except -ENOBUFS and -EAGAIN: the device's queue is full
 * and the packet was not sent (local congestion: a qdisc over its limit,
 * a TUN write that would block). IP counts those in IpOutQueueFull, and TCP
 * takes the segment as never sent, as the profile's kernel does
 * (cfg.tx_busy_linux; docs/sending.md "A device that refuses packets"). */
struct gt_device {
	int (*transmit)(void *ctx, const void *pkt, size_t len);
	void *ctx;
	uint16_t mtu;
	/* Optional gather transmit (a writev()): when set, a TCP segment with
	 * data goes out as its headers and then the payload straight from the
	 * send buffer, 2 or 3 pieces whose concatenation is the packet, so the
	 * payload is copied once, by the device, instead of into a packet
	 * buffer first. The pieces are valid only during the call. Everything
	 * else still goes through transmit(). */
	int (*transmitv)(void *ctx, const struct gt_iovec *iov, int iovcnt);
	/* Transmit segmentation offload: when set, TCP may hand the device one
	 * segment of up to this many payload bytes, IPv4 or IPv6, which the
	 * device cuts into pieces. Without transmit_gso the pieces are of MTU
	 * - IP header (20, or IPv6's 40) - TCP header with its options (the
	 * last one may be shorter), and TCP does so only while its MSS is
	 * exactly that. 0: off. */
	uint32_t tso_max_bytes;
	/* Optional, with tso_max_bytes: the device is told each large
	 * segment's piece size. TCP hands every segment whose payload is
	 * longer than one piece here (never to transmit()/transmitv()), as
	 * its pieces like transmitv()'s, with gso_size: the payload bytes of
	 * each piece but the last, the connection's send MSS less this
	 * segment's options (Linux's tcp_current_mss() and skb gso_size,
	 * FreeBSD's tso_segsz), so TCP offloads at any MSS: a peer's smaller
	 * one, a path MTU learnt, TCP_MAXSEG. Returns as transmit(). */
	int (*transmit_gso)(void *ctx, const struct gt_iovec *iov, int iovcnt, uint16_t gso_size);
	/* Checksum offload. rx_csum_verified: the device checked TCP
	 * checksums already (or its link cannot corrupt), so TCP does not.
	 * tx_csum_offload: TCP leaves the pseudo-header sum in the checksum
	 * field and the device completes it (Linux's CHECKSUM_PARTIAL). */
	bool rx_csum_verified;
	bool tx_csum_offload;
};

/* For a gather device that needs the packet whole after all (a capture, a
 * queue): joins the iovcnt pieces into dst (cap bytes). Returns the packet's
 * length, or -EMSGSIZE when it does not fit. */
int gt_iovec_join(void *dst, size_t cap, const struct gt_iovec *iov, int iovcnt);

/* Creates a stack, or returns NULL when cfg is invalid or memory is short. */
gt_stack *gt_stack_new(const struct gt_config *cfg, const struct gt_device *dev);
void gt_stack_free(gt_stack *stack);
const struct gt_config *gt_stack_config(const gt_stack *stack);
/* Changes behaviour at run time (sysctl-like). The table sizes (max_sockets,
 * max_conns, max_timewait) cannot change: -EINVAL if they differ, as for an
 * invalid config. Connections keep what they negotiated. */
int gt_stack_set_config(gt_stack *stack, const struct gt_config *cfg);

/* Gives the interface an IPv4 address (host byte order). */
int gt_stack_add_ipv4(gt_stack *stack, uint32_t addr, uint8_t prefix_len);
/* Gives the interface an IPv6 address (at most 8). -EINVAL for ::, ::1,
 * multicast and IPv4-mapped addresses or a prefix over 128. */
int gt_stack_add_ipv6(gt_stack *stack, const struct gt_in6_addr *addr, uint8_t prefix_len);

/* One IP packet arrived at now_us. Never fails: bad packets are counted. */
void gt_stack_input(gt_stack *stack, uint64_t now_us, const void *pkt, size_t len);
/* As gt_stack_input(), for a packet the device took as one GSO/GRO packet
 * of gso_size-byte segments (a virtio-net header's gso_size): TCP measures
 * the peer's segment size from gso_size, not the packet's length, as
 * Linux's tcp_measure_rcv_mss() does ("skb_shinfo(skb)->gso_size ?:
 * skb->len"). gso_size 0 is gt_stack_input(). */
void gt_stack_input_gso(gt_stack *stack, uint64_t now_us, const void *pkt, size_t len, uint16_t gso_size);
/* n IP packets that arrived at now_us, handled in order as n calls of
 * gt_stack_input() would, but for ACKs: with cfg.ack_defer_batch (the Linux
 * profile), a connection's regular ACK (for in-order data) waits for the end
 * of the batch and goes once, as Linux ACKs a socket's backlog. While one
 * packet is handled, the connection-table entries of the next few are
 * fetched into the cache, so a runtime that reads packets in batches
 * (recvmmsg, a NIC ring) hides most lookup misses when many connections are
 * open. */
void gt_stack_input_batch(gt_stack *stack, uint64_t now_us, const struct gt_iovec *pkts,
			  size_t n);
/* As gt_stack_input_batch(), with each packet's gso_size beside it:
 * gso_sizes[i] is for pkts[i] what gt_stack_input_gso() takes (0 for a
 * plain packet), so a runtime whose device hands over GSO/GRO packets (a TUN
 * device's virtio-net header) keeps the batch's ACK deferral and prefetch
 * and still has TCP measure the peer's segment size from gso_size
 * (tcp_measure_rcv_mss()). gso_sizes NULL is gt_stack_input_batch(). */
void gt_stack_input_batch_gso(gt_stack *stack, uint64_t now_us, const struct gt_iovec *pkts,
			      const uint16_t *gso_sizes, size_t n);
/* Runs the timers that are due at now_us and flushes pending output. */
void gt_stack_poll(gt_stack *stack, uint64_t now_us);
/* When the stack next wants gt_stack_poll(); GT_NO_DEADLINE if never. */
uint64_t gt_stack_next_deadline(const gt_stack *stack);
/* The time of the last input or poll. */
uint64_t gt_stack_now(const gt_stack *stack);

#ifdef __cplusplus
}
#endif
#endif
