/* TCP's user interface (RFC 9293 3.10: OPEN, SEND, RECEIVE, CLOSE, ABORT,
 * STATUS, and the option changes a socket makes): the one door through which
 * the socket layer reaches a connection. The socket layer holds TCBs and
 * listeners only as opaque handles; it never reads or writes their fields.
 * TCP tells a socket that something changed through the two upcalls in
 * stack_internal.h (sock_mark, sock_conn_gone), keyed by the descriptor the
 * socket gave as the owner.
 *
 * Errors are negative errno values with their POSIX meaning. */
#ifndef GT_TCP_USER_H
#define GT_TCP_USER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <glasstcp/socket.h>

#include "ip/addr.h"
#include <glasstcp/stack.h>

struct tcp_conn;

/* The socket options TCP needs to open a connection: a listener keeps a
 * copy for the connections it accepts (as Linux's accept() inherits them). */
struct tcp_user_opts {
	uint32_t sndbuf_bytes, rcvbuf_bytes;
	/* SO_SNDLOWAT (cfg.sb_lowat only) and SO_RCVLOWAT: FreeBSD's
	 * so_snd.sb_lowat, so_rcv.sb_lowat; Linux's sk_rcvlowat. */
	uint32_t snd_lowat, rcv_lowat;
	/* TCP_NOTSENT_LOWAT (cfg.notsent_lowat_linux), 0: the stack's. An
	 * accepted socket has its listener's (sk_clone_lock() copies the
	 * tcp_sock). */
	uint32_t notsent_lowat;
	int16_t linger2_s;           /* TCP_LINGER2 (s): 0 = the stack's, -1 = none */
	/* TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPINIT (s) and TCP_KEEPCNT as
	 * set, 0 = the stack's (keep_init_s: its connect_timeout_ms). Linux
	 * takes 1..32767 and 1..127; FreeBSD's tcp_default_ctloutput() u_int
	 * seconds up to UINT_MAX / hz and any u_int count, which are kept
	 * here whole for getsockopt(); the TCB holds them bounded
	 * (tcp_user_set()). */
	uint32_t keep_idle_s, keep_intvl_s, keep_init_s, keep_cnt;
	uint32_t user_timeout_ms;    /* TCP_USER_TIMEOUT (Linux), 0 = off */
	uint8_t ip_tos, ip_ttl;      /* IP_TOS, IP_TTL (0 = 64) */
	uint8_t pmtudisc;            /* IP_MTU_DISCOVER / IPV6_MTU_DISCOVER + 1, 0 = WANT */
	uint8_t ip6_tclass, ip6_hops; /* IPV6_TCLASS, IPV6_UNICAST_HOPS (if ip6_hops_set) */
	uint16_t maxseg;             /* TCP_MAXSEG, 0 = from the route */
	uint16_t udp_encaps_port;    /* TCP_REMOTE_UDP_ENCAPS_PORT (FreeBSD): an active open's UDP port, 0 plain TCP */
	uint8_t syn_count;           /* TCP_SYNCNT (Linux), 0 = the stack's */
	/* TCP_DEFER_ACCEPT (cfg.defer_accept): SYN-ACK timeouts a listener's
	 * bare handshake ACK is dropped for (Linux's rskq_defer_accept). */
	uint8_t defer_accept;
	uint8_t cc;                  /* enum gt_cc, if cc_set */
	bool cc_set : 1, nodelay : 1, cork : 1, keepalive : 1, noopt : 1;
	bool md5sig : 1;             /* TCP_MD5SIG, FreeBSD's form (TF_SIGNATURE) */
	bool rcvbuf_set : 1;         /* SO_RCVBUF given: no autotuning (Linux's SOCK_RCVBUF_LOCK) */
	bool sndbuf_set : 1;         /* SO_SNDBUF given: no autotuning (SOCK_SNDBUF_LOCK) */
	bool ip6_hops_set : 1;       /* IPV6_UNICAST_HOPS given (0 is a hop limit too) */
	/* cfg.syn_opts_at_open: the SYN options the socket asked for when it
	 * was made (FreeBSD's tcp_newtcpcb(): TF_REQ_SCALE, TF_REQ_TSTMP from
	 * net.inet.tcp.rfc1323, TF_SACK_PERMIT from net.inet.tcp.sack.enable),
	 * which an active open keeps whatever the configuration says by its
	 * connect(). */
	bool req_set : 1, req_ws : 1, req_ts : 1, req_sack : 1;
	/* Linux's IP_BIND_ADDRESS_NO_PORT: bind() with port 0 keeps the
	 * address only (addr_bound where it is not the wildcard), connect()
	 * picks the port. */
	bool bind_no_port : 1, addr_bound : 1;
	/* Linux's IP_LOCAL_PORT_RANGE as set, hi << 16 | lo (0: none). */
	uint32_t port_range;
	/* TCP Fast Open (cfg.fastopen_linux): TCP_FASTOPEN's queue length
	 * (Linux's fastopenq.max_qlen, 0 off), TCP_FASTOPEN_NO_COOKIE, and
	 * TCP_FASTOPEN_KEY's key (tfo_key_set; else the stack's). */
	bool tfo_no_cookie : 1, tfo_key_set : 1;
	bool tfo_connect : 1;        /* TCP_FASTOPEN_CONNECT (Linux's fastopen_connect) */
	/* TCP_INQ (cfg.inq_linux): Linux's tp->recvmsg_inq, which an accepted
	 * socket has from its listener (sk_clone_lock() copies the sock). */
	bool recv_inq : 1;
	bool tfo_bsd : 1;            /* FreeBSD's TCP_FASTOPEN: TF_FASTOPEN (cfg.fastopen_bsd) */
	uint32_t tfo_qlen;
	uint8_t tfo_key[16];
	/* What TCP_INFO still reads once the connection is gone (a reset, a
	 * timeout, an ICMP error, the end of TIME_WAIT's TCB): Linux's socket
	 * keeps its tcp_sock, so tcp_get_info() says TCP_CLOSE with the
	 * options it agreed (tcpi_options, TCPI_OPT_SYN_DATA included, the
	 * scales), its segment sizes and tcpi_bytes_received. Kept at the
	 * TCB's end (tcp_info_keep(), tcp_conn_free()); the other counters
	 * are not. */
	struct tcp_info_kept {
		bool valid : 1, ts_ok : 1, sack_ok : 1, ws_ok : 1, ecn_ok : 1, syn_data : 1;
		/* The connection went to TIME_WAIT (not reset, timed out or
		 * closed): under cfg.tcpi_tcpcb_bsd TCP_INFO says TIME_WAIT
		 * while the 4-tuple's entry lives (tcp_user_info_gone()). */
		bool time_wait : 1;
		uint8_t snd_wscale, rcv_wscale;
		/* Linux keeps icsk_probes_out and icsk_backoff in the closed
		 * socket (tcp_write_err() leaves them; tcp_get_info()). */
		uint8_t probes, backoff;
		uint16_t snd_mss, advmss;
		uint64_t bytes_received;
		/* Under cfg.tcpi_tcpcb_bsd only: FreeBSD's tcpcb in TIME_WAIT holds what
		 * tcp_fill_info() reads: t_rxtcur, t_srtt, t_rttvar,
		 * snd_cwnd, snd_ssthresh, t_maxseg as tcpi_rcv_mss, and
		 * t_rcvtime (kept here as the last segment's ms, of any kind, 0 none). The
		 * 4-tuple finds the TIME_WAIT entry. */
		uint32_t rto_us, srtt_us, rttvar_us, cwnd, ssthresh, last_data_rcv_ms;
		uint16_t rcv_mss, lport, fport;
		ip_addr laddr, faddr;
	} kept;
};

/* The ports bind() and connect() pick from: the stack's range, each end
 * narrowed by the socket's IP_LOCAL_PORT_RANGE (o may be NULL) where it
 * lies inside (Linux's inet_sk_get_local_port_range()). */
void tcp_port_range(const gt_stack *s, const struct tcp_user_opts *o, uint16_t *lo,
		    uint16_t *hi);

/* TCP_MD5SIG on a socket with a connection (FreeBSD's TF_SIGNATURE may
 * change at any time). */
void tcp_user_set_md5sig(struct tcp_conn *c, bool on);
/* Linux's TCP_MD5SIG / TCP_MD5SIG_EXT on socket sd (of family; its
 * connection c, or NULL): a key added, replaced or deleted, c signing
 * from then on or not. The keys' moves: to the accepted socket sd
 * (the listener's copy for the peer), to the connection itself when its
 * socket closes (detach), gone with the socket. */
int tcp_user_md5_lx_set(gt_stack *s, int sd, int family, bool ext, const void *val, size_t len,
			struct tcp_conn *c);
void tcp_user_md5_lx_accepted(gt_stack *s, struct tcp_conn *c, int sd);
void tcp_user_md5_lx_detach(gt_stack *s, struct tcp_conn *c);
void tcp_user_md5_lx_sock_gone(gt_stack *s, int sd);

/* OPEN, active (RFC 9293 3.10.1): a SYN to faddr:fport from laddr:lport
 * (lport 0: an ephemeral port, RFC 6056). *out is the TCB, *lport_out the
 * port used. -EADDRINUSE (the 4-tuple is taken), -EADDRNOTAVAIL (no free
 * port, or a TIME_WAIT pair not safe to reuse), -ENOBUFS. */
int tcp_user_connect(gt_stack *s, const struct tcp_user_opts *o, int owner, ip_addr laddr,
		     uint16_t lport, ip_addr faddr, uint16_t fport, struct tcp_conn **out,
		     uint16_t *lport_out);
/* TCP Fast Open's active open (cfg.fastopen_linux; Linux's
 * tcp_sendmsg_fastopen() and tcp_fastopen_defer_connect()). With defer
 * the connection is made in SYN_SENT but its SYN waits
 * (tcp_user_fastopen_send()); 0 or -errno as tcp_user_connect(). */
int tcp_user_connect_tfo(gt_stack *s, const struct tcp_user_opts *o, int owner, ip_addr laddr,
			 uint16_t lport, ip_addr faddr, uint16_t fport, struct tcp_conn **out,
			 uint16_t *lport_out, bool defer);
/* TCP_FASTOPEN_CONNECT's connect(): true where the SYN may wait for the
 * first write (a cookie is cached, or none is needed:
 * tcp_fastopen_cookie_check()); else the SYN goes now, asking for a
 * cookie. */
bool tcp_user_fastopen_connect(gt_stack *s, struct tcp_conn *c, bool no_cookie);
/* The SYN that waited goes with what of buf fits (tcp_send_syn_data()):
 * the bytes it carries, or -EINPROGRESS where none (a buffer budget
 * that refuses the send ring: a SYN asking for a cookie, Linux's
 * tcp_send_syn_data() fallback). */
ssize_t tcp_user_fastopen_send(gt_stack *s, struct tcp_conn *c, const void *buf, size_t len,
			       bool no_cookie);
bool tcp_user_tfo_deferred(const struct tcp_conn *c);
/* FreeBSD's implied connect of a TF_FASTOPEN socket (tcp_usr_send()):
 * the write is queued whole as far as the send buffer takes it, then the
 * SYN goes (tcp_fastopen_connect(), tcp_output()). The bytes queued;
 * -ENOBUFS where the host's buffer budget refuses the send ring, -EAGAIN
 * where the send buffer has no room: then no SYN left and c is freed
 * (sock_conn_gone(); the caller's socket is as before the call). */
ssize_t tcp_user_fastopen_send_bsd(gt_stack *s, struct tcp_conn *c, const void *buf, size_t len);

/* OPEN, passive: a listener on laddr:lport (::ffff:0.0.0.0: any IPv4
 * address; ::, any IPv6 address, and any IPv4 one unless v6only). Returns
 * its handle (>= 0) or -ENOBUFS. */
int tcp_user_listen(gt_stack *s, const struct tcp_user_opts *o, int owner, ip_addr laddr,
		    uint16_t lport, int backlog, bool v6only);
void tcp_user_listen_update(gt_stack *s, int lh, const struct tcp_user_opts *o, int backlog);
/* Closes a listener: connections not yet accepted are reset (established
 * ones) or forgotten (half-open ones), as Linux and BSD do. */
void tcp_user_unlisten(gt_stack *s, int lh);
/* The oldest connection that completed its handshake, now owned by owner;
 * -EAGAIN when there is none; -ECONNABORTED, the child freed and out of
 * the queue, when it ended there and cfg.accept_aborts_dropped is on
 * (FreeBSD's tcp_usr_accept() on a dropped inpcb). */
int tcp_user_accept(gt_stack *s, int lh, int owner, struct tcp_conn **out);
uint32_t tcp_user_listen_queued(gt_stack *s, int lh);
/* After accept() made its socket: a child that ended in the queue
 * (cfg.accept_keeps_reset) is freed now, its socket told the error and
 * given the unread data (Linux's inet_csk_accept() of a reset child). */
void tcp_user_accepted(gt_stack *s, struct tcp_conn *c);

/* SEND: bytes queued (>= 0), or -EAGAIN (no room, handshake not done),
 * -EPIPE (our side is closed), -ENOBUFS. more: MSG_MORE; eor: MSG_EOR
 * (Linux's skbs, cfg.psh_linux: the write's last skb takes no later data). */
ssize_t tcp_user_send(gt_stack *s, struct tcp_conn *c, const void *buf, size_t len, bool more,
		      bool eor, uint32_t snd_lowat, uint32_t notsent_lowat);
/* Linux's tcp_stream_memory_free(sk, wake): (notsent << wake) < lowat,
 * notsent the bytes written and not yet sent (write_seq - snd_nxt). */
bool tcp_user_notsent_free(const struct tcp_conn *c, uint32_t lowat, unsigned wake);
/* Linux's tcp_check_space() (the one call tcp_input.c makes after an
 * ACK's output, beside tcp_data_snd_check()'s): the owner's write-space
 * wake-up, sock_write_space(). */
void tcp_user_check_space(gt_stack *s, struct tcp_conn *c);
/* What sock_mark() compares to tell a wake-up's kind (gt_wakeups()):
 * bytes received in order so far, and whether the peer's FIN came. */
uint64_t tcp_user_bytes_rcvd(const struct tcp_conn *c);
bool tcp_user_fin_rcvd(const struct tcp_conn *c);
/* RECEIVE: bytes read (> 0), 0 at the end of the stream, -EAGAIN. */
ssize_t tcp_user_recv(gt_stack *s, struct tcp_conn *c, void *buf, size_t len, bool peek);
/* Linux's tcp_inq_hint(): bytes to read plus a FIN not yet read, 1 where
 * that is 0 and the FIN came (SOCK_DONE). */
int tcp_user_inq_hint(const struct tcp_conn *c);
/* gt_recv_spans() / gt_recv_consume() / gt_send_spans() / gt_send_commit()
 * on a connection: the buffers in place (socket.h). */
ssize_t tcp_user_recv_spans(struct tcp_conn *c, struct gt_span sp[2]);
uint32_t tcp_user_recv_consume(gt_stack *s, struct tcp_conn *c, uint32_t n);
ssize_t tcp_user_send_spans(gt_stack *s, struct tcp_conn *c, struct gt_span sp[2]);
/* more, eor: as tcp_user_send(); eor only when all n bytes are taken. */
ssize_t tcp_user_send_commit(gt_stack *s, struct tcp_conn *c, uint32_t n, bool more, bool eor);
/* SHUTDOWN (RFC 9293 3.10.4 for the sending side, wr; the reading side is
 * the socket's own). Returns 0 or -ENOTCONN. A connection still in
 * SYN-SENT is deleted: *gone is then true and the handle is no longer
 * valid. */
int tcp_user_shutdown(gt_stack *s, struct tcp_conn *c, bool rd, bool wr, bool *gone);

/* CLOSE (RFC 9293 3.10.4, RFC 1122 4.2.2.13). linger_s < 0: no SO_LINGER;
 * 0: abort (RST, no TIME_WAIT); > 0: wait that long for our FIN to be
 * acknowledged. Returns 0 when the application is done with the handle
 * (the connection goes on alone, or is gone), or -EWOULDBLOCK while a
 * lingering close waits: call tcp_user_close_done() until it returns 0. */
int tcp_user_close(gt_stack *s, struct tcp_conn *c, int linger_s);
int tcp_user_close_done(gt_stack *s, struct tcp_conn *c);
/* ABORT (RFC 9293 3.10.5). The handle is no longer valid. */
void tcp_user_abort(gt_stack *s, struct tcp_conn *c);

/* DISCONNECT, Linux's tcp_disconnect() (connect() with AF_UNSPEC): an
 * RST where Linux sends one, the TCB gone (the handle no longer valid).
 * Returns the error the socket keeps (-ECONNRESET) or 0. */
int tcp_user_disconnect(gt_stack *s, struct tcp_conn *c);
/* MSG_ZEROCOPY's measures: data bytes written to the connection so far
 * (acknowledged, then in the send buffer), those acknowledged, and those
 * written and not yet sent. */
uint64_t tcp_user_bytes_written(const struct tcp_conn *c);
uint64_t tcp_user_bytes_acked(const struct tcp_conn *c);
uint32_t tcp_user_bytes_unsent(const struct tcp_conn *c);

/* Option changes on a live connection. */
enum tcp_user_opt {
	TCP_UOPT_NONE,      /* kept for later connections only (TCP_MAXSEG, TCP_NOOPT) */
	TCP_UOPT_NODELAY,
	TCP_UOPT_CORK,
	TCP_UOPT_KEEPALIVE,
	/* TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT set (to a new value or
	 * the one it had): each is its own call, as the timer rules differ. */
	TCP_UOPT_KEEPIDLE,
	TCP_UOPT_KEEPINTVL,
	TCP_UOPT_KEEPCNT,
	TCP_UOPT_LINGER2,
	TCP_UOPT_QUICKACK,
	TCP_UOPT_CONGESTION,
	TCP_UOPT_KEEPINIT,  /* TCP_KEEPINIT: the handshake's deadline moves (TCP_KEEPIDLE's too, FreeBSD) */
	TCP_UOPT_USER_TIMEOUT, /* TCP_USER_TIMEOUT: read at the next timer event */
	TCP_UOPT_SYNCNT,    /* TCP_SYNCNT: read at the next SYN timeout */
	TCP_UOPT_RCVLOWAT,  /* Linux SO_RCVLOWAT: a buffer not sized by the application grows to hold it */
	TCP_UOPT_IP,        /* IP_TOS, IP_TTL, IPV6_TCLASS, IPV6_UNICAST_HOPS: the next
			     * segments carry those of the connection's family */
};
/* A new connection's keepalive times from its socket's options (TCP's,
 * for tcp_conn_init()): TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT whole
 * (those above the TCB's 32,767 s or 255 in the side struct,
 * tcp_keep_long_set()), TCP_KEEPINIT to 65,535 s. */
void tcp_user_keep_times(gt_stack *s, struct tcp_conn *c, const struct tcp_user_opts *o);
/* Inside TCP, not for the socket layer. The TCB keeps TCP_KEEPIDLE and
 * TCP_KEEPINTVL in 15 bits of seconds and TCP_KEEPCNT in 8 (the TCB is at
 * its budget); a FreeBSD value above TCP_KEEP_TIME_MAX or TCP_KEEP_CNT_MAX
 * is kept whole in the connection's side struct (src/tcp/tcp_output.c),
 * the TCB holding the maximum. tcp_keep_long_set() stores v there, or
 * clears what was kept when v fits the TCB; false where the side struct
 * could not be had (TcpPshNoMem): the maximum then stands for it.
 * tcp_keep_long_get(): the value kept, 0 none. */
#define TCP_KEEP_TIME_MAX 32767u
#define TCP_KEEP_CNT_MAX 255u
enum tcp_keep_long {
	TCP_KEEP_LONG_IDLE,  /* TCP_KEEPIDLE, s */
	TCP_KEEP_LONG_INTVL, /* TCP_KEEPINTVL, s */
	TCP_KEEP_LONG_CNT,   /* TCP_KEEPCNT, probes */
	TCP_KEEP_LONGS
};
bool tcp_keep_long_set(gt_stack *s, struct tcp_conn *c, enum tcp_keep_long k, uint32_t v);
uint32_t tcp_keep_long_get(const struct tcp_conn *c, enum tcp_keep_long k);
/* Applies option opt from o (and v for QUICKACK). -EINVAL if refused. */
int tcp_user_set(gt_stack *s, struct tcp_conn *c, enum tcp_user_opt opt,
		 const struct tcp_user_opts *o, int v);
/* SO_SNDBUF / SO_RCVBUF on a live connection: 0, -EINVAL or -ENOBUFS. */
int tcp_user_set_buffer(gt_stack *s, struct tcp_conn *c, bool snd, uint32_t bytes);
/* SO_SNDBUF/SO_RCVBUF as TCP will take them: within the buffer budget. */
uint32_t tcp_user_buffer_clamp(gt_stack *s, uint32_t bytes);
/* FreeBSD's sb_max_adj: sb_max (kern.ipc.maxsockbuf, buf_max_bytes) less
 * the mbuf headers' share, sb_max * MCLBYTES / (MSIZE + MCLBYTES), 2,048
 * and 256 (uipc_sockbuf.c); 1,864,135 for the default 2 MiB. */
uint32_t tcp_user_sb_max_adj(const gt_stack *s);
/* TCP_NOOPT may change only before the SYN. */
bool tcp_user_options_fixed(const struct tcp_conn *c);

/* Recycles the memory of the TCBs freed since the last call: every entry
 * point of the stack that may free one calls it on its way out. */
void tcp_reap(gt_stack *s);

/* STATUS. */
enum gt_tcp_state tcp_user_state(const struct tcp_conn *c);
void tcp_user_info(const gt_stack *s, const struct tcp_conn *c, struct gt_tcp_info *ti);
/* TCP_INFO of a socket whose connection is gone: state CLOSED and what
 * tcp_info_kept holds. */
void tcp_user_info_kept(const struct tcp_info_kept *k, struct gt_tcp_info *ti);
/* TCP_INFO of a socket that has no connection (never had one, or its
 * connection is gone): tcp_user_info_kept(), or under
 * cfg.tcpi_tcpcb_bsd FreeBSD's answer: TIME_WAIT while the connection's
 * TIME_WAIT entry lives, -ECONNRESET once the connection ended (its inpcb
 * dropped), CLOSED before any connection. 0 or -ECONNRESET. */
int tcp_user_info_gone(gt_stack *s, const struct tcp_info_kept *k, struct gt_tcp_info *ti);
/* Any getsockopt() or setsockopt() below SOL_SOCKET (IPPROTO_TCP, IP, IPV6)
 * on a socket that has no connection: under cfg.tcpi_tcpcb_bsd
 * -ECONNRESET once the connection ended, as FreeBSD's tcp_ctloutput(),
 * which tests INP_DROPPED before it looks at the level or the option
 * (tcp_usrreq.c, fel1x-developer/freebsd-src 2d614aa); SOL_SOCKET's
 * never reach it (sosetopt(), sogetopt()). 0 otherwise: TIME_WAIT while
 * its entry lives, before any connection, the Linux profile. */
int tcp_user_opt_gone(gt_stack *s, const struct tcp_info_kept *k);
/* The connection's endpoints, IPv4 ones as GT_AF_INET (a dual-stack socket
 * shows them IPv4-mapped: tcp_sockaddr(..., true)). */
void tcp_user_addrs(const struct tcp_conn *c, struct gt_sockaddr *local, struct gt_sockaddr *peer);
/* a:port as a socket address: GT_AF_INET for an IPv4 address unless
 * as_v6, else GT_AF_INET6 (IPv4 then as ::ffff:a.b.c.d). */
static inline struct gt_sockaddr tcp_sockaddr(ip_addr a, uint16_t port, bool as_v6)
{
	struct gt_sockaddr sa = {.port = port};
	if (ip_addr_is_v4(a) && !as_v6) {
		sa.family = GT_AF_INET;
		sa.addr = ip_addr_v4_of(a);
	} else {
		sa.family = GT_AF_INET6;
		sa.addr6 = a;
	}
	return sa;
}
/* What the buffers are now (FreeBSD rounds them to the MSS). */
uint32_t tcp_user_buffer(const struct tcp_conn *c, bool snd);
bool tcp_user_quickack(const gt_stack *s, const struct tcp_conn *c);
const char *tcp_user_cc_name(const struct tcp_conn *c);
/* The connection's remote UDP encapsulation port (FreeBSD's t_port), 0 for plain TCP. */
uint16_t tcp_user_udp_encaps_port(const gt_stack *s, const struct tcp_conn *c);
/* TCP_MAXSEG: the MSS in use once the handshake has chosen one, else 0. */
uint16_t tcp_user_mss(const struct tcp_conn *c);
/* FreeBSD's t_maxseg: tcp_user_mss() plus the options every segment carries. */
uint32_t tcp_user_maxseg(const struct tcp_conn *c);
/* Readiness bits (GT_POLL*) of a connection; shut_rd, shut_wr: what the
 * application shut down; snd_lowat, rcv_lowat: the socket's marks. */
uint32_t tcp_user_poll(const gt_stack *s, struct tcp_conn *c, bool shut_rd, bool shut_wr,
		       uint32_t snd_lowat, uint32_t rcv_lowat, uint32_t notsent_lowat);
/* __sk_stream_is_writeable(sk, 1): what POLLOUT says, without poll()'s
 * SOCK_NOSPACE. */
bool tcp_user_writable(const gt_stack *s, const struct tcp_conn *c, uint32_t snd_lowat,
		       uint32_t notsent_lowat);
/* The name of a congestion control ("cubic", "reno"), or -ENOENT. */
int tcp_user_cc_by_name(const char *name);
const char *tcp_user_cc_default_name(const gt_stack *s, const struct tcp_user_opts *o);
/* Does the stack hold this 4-tuple (a TCB or TIME_WAIT), and may a port
 * with TIME_WAIT entries on it be bound (bind() without SO_REUSEADDR)? */
bool tcp_user_tw_on_port(gt_stack *s, ip_addr laddr, uint16_t lport);

#endif
