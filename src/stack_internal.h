/* The stack object's insides, shared by the core's layers. Nothing here is
 * public: users see struct gt_stack as opaque. */
#ifndef GT_STACK_INTERNAL_H
#define GT_STACK_INTERNAL_H

#include <errno.h>
#include <glasstcp/socket.h>
#include <glasstcp/stack.h>
#include <glasstcp/stats.h>

#include "ip/addr.h"
#include "ip/reasm.h"
#include "util/heap.h"
#include "util/ring.h"
#include "wire/icmp6.h"

struct tcp_conn;

#define GT_MAX_ADDRS 4
#define GT_MAX_ADDRS6 8   /* TIME_WAIT keeps the index in 6 bits: <= 64 */
/* The most TIME_WAIT entries (gt_config.max_timewait): the ring that holds
 * them (at most four times as many slots) is indexed in 24 bits. */
#define GT_MAX_TIMEWAIT (1u << 21)
#define GT_PMTU_CACHE 16  /* destinations whose path MTU is below the link's */
#define GT_TFO_CACHE 32  /* TCP Fast Open client cookies (peers) */
#define GT_TFO_SYN_COPIES 16 /* FreeBSD: cookies active opens in SYN_SENT copied */
#define GT_COOKIE_RST_SLOTS 16 /* RSTs remembered against late cookie ACKs */
#define STACK_OUT_BUF 65600 /* one IP packet: 64 KiB + headers */

/* A socket descriptor. A connected socket holds its connection as an opaque
 * handle (TCP owns it: src/tcp/tcp_user.h); when the connection ends (RST,
 * TIME_WAIT, timeout) TCP tells the socket (sock_conn_gone), which remains
 * until close() with what the application still needs to learn (error,
 * EOF, data received before the end). */
#include "tcp/tcp_user.h"

struct gt_sock {
	struct tcp_conn *conn;
	union {
		/* Connected: data received and acknowledged before the
		 * connection ended (peer FIN, then TIME_WAIT or CLOSED), still
		 * the application's to read. */
		struct ring rcv_left;
		/* Listening (never any data): TCP's listener handle and the
		 * backlog asked for. gt_close() leaves them reading as an
		 * empty ring. */
		struct {
			int lh;
			int backlog;
		};
	};
	struct tcp_user_opts o;      /* options for the connections it opens */
	struct gt_sockaddr local, peer;
	union {
		int so_error;  /* in use: pending error, negative errno (SO_ERROR) */
		int free_next; /* free: the free list's next descriptor */
	};
	int linger_s;
	bool in_use : 1;
	bool listening : 1;
	bool bound : 1;
	bool ev_queued : 1;  /* on the stack's event queue */
	bool reuseaddr : 1, linger_on : 1, quickack : 1;
	bool shut_rd : 1, shut_wr : 1;
	bool explicit_bind : 1; /* bind() chose the port (counted in port_binds) */
	bool closing : 1;    /* close() with SO_LINGER > 0 is waiting for the ACK */
	bool ever_connected : 1;
	/* connect() opened the connection and has not yet said how it
	 * ended (Linux's SS_CONNECTING: cfg.connect_again_linux). */
	bool connecting : 1;
	/* accept() made it: its port is the listener's and stays at a
	 * disconnect (Linux's sk_userlocks SOCK_BINDPORT_LOCK, which
	 * sk_clone_lock() copies from a listener bound by bind()). */
	bool accepted : 1;
	bool zerocopy : 1;   /* SO_ZEROCOPY (cfg.zerocopy_linux) */
	/* The error queue, MSG_ZEROCOPY's ids and SO_TIMESTAMPING's marks,
	 * made at the first need (socket.c); NULL before. */
	struct sock_eq *eq;
	bool write_pending : 1; /* a blocking write waits for the handshake (GT_MSG_WAITCONN) */
	bool eof_first : 1;  /* a read ends the stream before it reports so_error (cfg.reset_err_linux) */
	bool v6only : 1;     /* IPV6_V6ONLY: an AF_INET6 socket refuses IPv4 */
	bool recv_tclass : 1; /* IPV6_RECVTCLASS, read back only (GT_IPV6_RECVTCLASS) */
	/* Linux's SOCK_NOSPACE: a write found no room, or poll() found the
	 * socket not writable; the next write space wakes it (wk.out). */
	bool nospace : 1;
	bool wk_fin : 1;     /* the peer's FIN, as sock_mark() last saw it */
	uint8_t wk_state;    /* the connection's state, as sock_mark() last saw it */
	uint64_t wk_rcvd;    /* bytes received in order, as sock_mark() last saw them */
	struct gt_wakeups wk; /* gt_wakeups() */
};

#define LISTEN_BUCKETS 256
#define GT_BUF_CACHE_SLOTS 16
#define GT_ACK_DEFER_SLOTS 64 /* connections with an ACK held for a batch's end */

struct tw_table;
struct sock_eq;
struct tcp_listener;

/* In gt_stack.tx_ttl: a TTL or hop limit set explicitly (so 0 is one). */
#define STACK_TTL_SET 0x100u

#define GT_IP_IDENTS 64

struct gt_stack {
	struct gt_config cfg;
	struct gt_device dev;
	uint64_t now_us;
	uint32_t addr[GT_MAX_ADDRS];
	uint8_t prefix[GT_MAX_ADDRS];
	uint32_t naddr;
	struct gt_in6_addr addr6[GT_MAX_ADDRS6];
	uint8_t prefix6[GT_MAX_ADDRS6];
	uint32_t naddr6;
	/* Path MTUs learnt per destination, either family (RFC 1191 6.3,
	 * RFC 8201 5.2; gt_config.pmtu_cache, ip/ip.c): Linux's route
	 * exceptions, FreeBSD's host cache. Bounded: with GT_PMTU_CACHE
	 * held, the entry nearest its end gives way (IpPmtuCacheEvicted).
	 * mtu 0: a free entry. pmtu_prune_base_us: FreeBSD's purge runs
	 * come every pmtu_prune_s from here (the stack's start, or the last
	 * purgenow, which resets the callout). */
	struct pmtu_entry {
		ip_addr dst;
		uint32_t mtu;
		uint64_t expire_us;
		bool locked; /* Linux: set at pmtu_min (RTAX_MTU locked) */
	} pmtu[GT_PMTU_CACHE];
	uint64_t pmtu_prune_base_us;
	/* Host routes' metrics (gt_route_set(), ip.c): bounded, GT_ROUTES;
	 * route_gen counts the changes, which a connection's cached route
	 * (tcp_output.c's struct tcp_mtup) compares to find it stale. */
	struct gt_route route[GT_ROUTES];
	uint32_t nroute, route_gen;
	/* TCP Fast Open's client cookie cache (RFC 7413 4.1.3), per source and
	 * destination address as Linux's tcp_metrics holds it
	 * (struct tcp_fastopen_metrics: the peer's MSS, its cookie, the
	 * experimental option to try, SYN losses). Bounded: the least
	 * recently used entry gives way (TcpFastOpenCacheEvicted). */
	struct tfo_cache_ent {
		ip_addr src, dst;
		uint32_t used;        /* tfo_clock at the last use; 0: a free entry */
		uint16_t mss;         /* 0: none learnt */
		uint16_t syn_loss;
		uint64_t disabled_us; /* FreeBSD's ccache disable_time (0: not disabled) */
		uint8_t len;          /* the cookie's bytes, 0: none */
		bool exp : 1;         /* the cookie came in the experimental option */
		uint8_t try_exp : 2;  /* tfom->try_exp: 1 ask in the experimental form */
		uint8_t cookie[16];
	} tfo_cache[GT_TFO_CACHE];
	uint32_t tfo_clock;
	/* FreeBSD's tp->t_tfo_cookie.client and t_tfo_client_cookie_len
	 * (cfg.fastopen_bsd), kept out of the TCB's budget: the cookie and
	 * server MSS tcp_fastopen_connect() copied for an active Fast Open,
	 * which the SYN tcp_mtudisc() sends again carries whatever the cache
	 * holds since (tcp_fastopen_bsd_syn_maxseg()). An entry is the
	 * connection's while it is in SYN_SENT with that ISS (the pointer is
	 * compared, never followed). Bounded: the oldest gives way
	 * (TcpFastOpenSynCopyEvicted), its connection reading the cache. */
	struct tfo_syn_copy {
		const struct tcp_conn *c; /* NULL: free */
		uint64_t at_us;           /* when it was copied */
		uint32_t iss;
		uint16_t mss;             /* the SYN's data bound (cached server MSS), 0 none */
		uint8_t len;              /* 0: a cookie request */
		uint8_t cookie[16];
	} tfo_syn_copy[GT_TFO_SYN_COPIES];
	struct icmp6_ratelimit icmp6_rl; /* RFC 4443 2.4(f) */
	uint32_t flow_salt;              /* varies the flow labels per stack */

	/* RFC 2385 keys by (source, destination) of the segment, as FreeBSD's
	 * SADB (src/tcp/tcp_md5.c). */
	struct tcp_md5_key {
		ip_addr src, dst;
		uint8_t len;               /* 0: free */
		uint8_t key[GT_TCP_MD5_KEY_MAX];
	} md5_keys[GT_TCP_MD5_KEYS];
	/* Linux's keys (TCP_MD5SIG_LINUX), per socket and peer: a socket's
	 * (sd >= 0: a listener's or a connection's, by peer address and
	 * prefix), or one connection's (sd < 0: by its ports and the peer's
	 * address), which a connection not (or no longer) owned by a socket,
	 * and its TIME_WAIT, sign with: Linux's child copies the listener's
	 * key (tcp_v4_syn_recv_sock()), and the timewait sock the
	 * connection's (tcp_time_wait(): tw_md5_key). */
	struct tcp_md5_lkey {
		ip_addr addr;
		ip_addr laddr;             /* sd < 0: the connection's local address */
		int32_t sd;
		uint16_t lport, fport;
		uint8_t prefixlen;         /* bits of addr that count (of 32 for IPv4) */
		uint8_t len;               /* 0: free */
		uint8_t key[GT_TCP_MD5_KEY_MAX];
	} md5_lx[GT_TCP_MD5_LX_KEYS];
	uint32_t md5_lx_n;                 /* keys held: none, no lookup */
	/* Linux: the key tcp_send_raw() signs its next segment with (NULL:
	 * unsigned, or the FreeBSD table's by tx_sign); cleared by it. */
	const struct tcp_md5_lkey *tx_lkey;
	/* The segment tcp_send_raw() sends next is signed (a reply for a
	 * socket or listener with TCP_MD5SIG); cleared by it. */
	bool tx_sign;

	struct gt_stats st;
	uint32_t conns, conns_peak;
	/* TCBs the application closed that go on alone (tcp_conn_orphan()),
	 * what Linux's tcp_max_orphans bounds (cfg.max_orphans). */
	uint32_t orphans;
	uint32_t conns_by_state[GT_TCP_NSTATES];
	uint64_t buffer_bytes;
	/* Emptied ring buffers kept for reuse (cfg.buffer_cache_bytes, and
	 * above it cfg.buffer_cache_hold_bytes until put_us + hold), a stack:
	 * the most recently emptied on top. */
	struct {
		uint8_t *buf;
		uint32_t cap;
		uint64_t put_us;
	} buf_cache[GT_BUF_CACHE_SLOTS];
	uint32_t buf_cache_n;
	uint64_t buf_cache_bytes;
	gt_trace_fn trace;
	void *trace_ctx;

	/* Sockets: a table indexed by descriptor, with a free list. */
	struct gt_sock *socks;
	uint32_t nsocks, socks_cap;
	int sock_free;
	uint16_t *port_binds;        /* explicit bind()s per local port; NULL until one */
	uint32_t *port_socks;        /* bound sockets per local port (65536) */

	/* Event queue: descriptors whose readiness may have changed. */
	int *evq;
	uint32_t evq_head, evq_len;

	/* Connections: slabs of TCBs with a free list, and a 4-tuple hash. */
	struct tcp_conn **slabs;
	/* Per slab, one past the highest TCB it ever handed out: the walks
	 * over the slabs (tcp_foreach) stop there, not at SLAB_CONNS. */
	uint16_t *slab_hw;
	uint32_t nslabs;
	uint32_t slab_last;          /* the slab of the last TCB handed out */
	struct tcp_conn *conn_free;
	struct tcp_conn **hash;
	/* The TCB tcp_lookup() found last: a bulk transfer's segments come
	 * in runs of one connection. Cleared whenever the table changes
	 * (tcp_conn_hash(), unhash(), hash_resize()), so it is always what
	 * the table would answer for its tuple. */
	struct tcp_conn *hash_last;
	uint32_t hash_mask;
	uint64_t hash_key;
	/* Memory goes back when the load goes (tcp_conn.c's table_trim): the
	 * next slab trim waits until no more than this many connections are
	 * left. */
	uint32_t trim_conns;

	struct tcp_conn *dead;       /* freed TCBs whose memory tcp_reap() recycles */
	uint32_t bugs;               /* tcp_bug(): internal inconsistencies found */
	char bug_why[160];           /* the first one */

	/* Listeners (TCP's): a table with a free list, hashed by port. */
	struct tcp_listener *listeners;
	uint32_t listeners_cap;
	int listener_free;
	int listen_bucket[LISTEN_BUCKETS];

	struct heap timers;          /* one entry per TCB: its earliest deadline */
	struct tw_table *tw, *tw6;   /* compact TIME_WAIT entries: IPv4, IPv6 */

	/* RFC 5961 7: challenge ACK rate limit, per second of stack time. */
	uint64_t chack_window_start_us;
	uint32_t chack_count;

	/* RSTs that reached a listener, for no TCB, while SYN cookies were on
	 * (tcp_input.c, cookie_rst_note()): the client's cookie ACK sent
	 * before its RST but arriving after it must not rebuild the
	 * connection the RST ended. Bounded: the oldest entry gives way
	 * (TcpSyncookiesRstEvicted); an entry lasts as long as a cookie. */
	struct cookie_rst {
		ip_addr laddr, faddr;
		uint16_t lport, fport;
		uint32_t seq, ack;
		uint64_t expire_us;
	} cookie_rst[GT_COOKIE_RST_SLOTS];
	uint32_t cookie_rst_next;

	/* RFC 6191: a SYN that reopens a TIME_WAIT pair gets an ISN beyond
	 * the old connection's sequence space. */
	bool tw_reuse_pending;
	uint32_t tw_reuse_isn;

	/* In gt_stack_input_batch() (cfg.ack_defer_batch): the connections
	 * whose regular ACK waits for the end of the batch (tcp_ack_due()).
	 * Bounded: with every slot taken, the ACKs held so far go at once. */
	bool in_batch;
	uint32_t nack_defer;
	struct tcp_conn *ack_defer[GT_ACK_DEFER_SLOTS];

	uint32_t ephemeral_next;     /* RFC 6056 algorithm 3 counter */
	/* The last 4-tuple's keyed hash (ISN and timestamp offset, tcp_isn.c);
	 * cleared when isn_secret changes. */
	struct tuple_cache {
		ip_addr laddr, faddr;
		uint16_t lport, fport;
		bool valid;
		uint64_t v;
	} tuple_cache;
	uint16_t ip_id;
	/* The IP IDs of packets without DF, a counter per bucket of
	 * destinations (Linux's ip_idents, __ip_select_ident()): bounded. */
	uint16_t ip_idents[GT_IP_IDENTS];
	/* The IP header fields of the packet TCP is sending (its TOS byte or
	 * traffic class: IP_TOS / IPV6_TCLASS and the ECN codepoint; its TTL or
	 * hop limit, 0 for the default, STACK_TTL_SET for an explicit 0): set
	 * before ip_output(), which uses them once and clears them. And the
	 * TOS byte of the packet being delivered, for TCP's ECN (RFC 3168 5). */
	uint8_t tx_tos, rx_tos;
	bool tx_nodf; /* the next IPv4 header without DF (IP_MTU_DISCOVER), then cleared */
	/* The last TCP segment went to a device whose queue was full
	 * (-ENOBUFS from ip_output()): not sent. Set by each segment. */
	bool tx_refused;
	/* TCP is sending from Linux's tcp_write_wakeup() (the probe timer
	 * retrying a refused send): PSH on a lone FIN too. */
	bool tx_wakeup;
	/* The gso_size of the packet being delivered (gt_stack_input_gso()),
	 * 0 for a plain one: TCP's rcv_mss is measured by it. */
	uint16_t rx_gso;
	/* The gso_size of the TCP segment being sent, set before ip_output()
	 * for one longer than that (a TSO segment) to a device with
	 * transmit_gso, which gets it; used once and cleared. 0: none. */
	uint16_t tx_gso;
	/* The segment TCP sends now is one packet whatever its length (an
	 * MTU probe): no gso_size for it. */
	bool tx_whole;
	/* TCP over UDP (tcp/tcp_udptun.c): the UDP source port of the segment
	 * being delivered, 0 for one that came as plain TCP (FreeBSD's
	 * m_pkthdr.tcp_tun_port); replies to it go back in UDP to that port.
	 * And the connections and TIME_WAIT entries that hold a remote port
	 * (FreeBSD's t_port), by their addresses and ports: a side table, so
	 * that the TCB and the TIME_WAIT entry keep their sizes. */
	uint16_t rx_tun_port;
	uint16_t tun_n, tun_cap;
	struct tcp_tun_ent *tun;
	uint16_t tx_ttl;
	/* The segment TCP is sending is not the last of its GSO packet (the
	 * Linux profile's transmit unit): its D-SACK block stays pending for
	 * the next, as the packet's one header carries it to every segment. */
	bool tx_dsack_keep;
	/* The tcp_output() call under way is a write's with GT_MSG_MORE:
	 * FreeBSD's TF_MORETOCOME, set by tcp_usr_send() around its
	 * tcp_output() call only (cfg.nagle_bsd). */
	bool tx_moretocome;
	/* The window field one output call chose (tcp_window_field()): the
	 * segments one tcp_output() call sends offer the window its first
	 * segment chose, nothing received or read between them. wnd_memo_on
	 * while its send loop runs; wnd_memo the connection it holds a field
	 * for (NULL: none, always so while off), taken at its RCV.NXT and
	 * receive-buffer fill. */
	bool wnd_memo_on, wnd_memo_cut;
	uint16_t wnd_memo_field;
	uint32_t wnd_memo_nxt, wnd_memo_len;
	const struct tcp_conn *wnd_memo;
	uint64_t conn_ids;           /* for connection ids in traces */

	/* Datagrams in reassembly (ip/reasm.c), and the fragment data they
	 * hold together (cfg.reasm_max_bytes at most). */
	struct reasm_ctx reasm[GT_REASM_MAX];
	uint32_t reasm_bytes;

	uint8_t out[STACK_OUT_BUF];  /* the one packet being built */
};

/* ip/ip.c: both families; an IPv4 address is held IPv4-mapped (ip/addr.h). */
bool ip_is_local(const gt_stack *s, ip_addr addr);
/* The source address to reach dst, of dst's family (RFC 6724 simply: the
 * address on dst's subnet, the longest matching prefix for IPv6, else the
 * first); :: when the stack has none of that family. */
ip_addr ip_source_for(const gt_stack *s, ip_addr dst);
/* The largest segment (payload) to announce or send towards dst: the
 * link's MTU (or a smaller path MTU learnt, ip_pmtu_get()) less 40 or
 * 60 bytes of headers; for IPv6 at least 1220 (RFC 8200 5). */
uint16_t ip_mss_for(gt_stack *s, ip_addr dst);
/* The host route to dst (gt_route_set()), NULL without one. */
const struct gt_route *ip_route_for(const gt_stack *s, ip_addr dst);
/* The route's MTU to dst (Linux's dst_mtu()): its mtu metric, else the
 * device's; IPv6 lowered by a Packet Too Big as ip_mss_for() takes it. */
uint32_t ip_path_mtu(gt_stack *s, ip_addr dst);
/* RFC 8201: a Packet Too Big said mtu for dst (ip_pmtu_update()). */
void ip6_pmtu_update(gt_stack *s, ip_addr dst, uint32_t mtu);
/* An ICMP error said the path to dst takes mtu: learnt as the profile
 * learns it (gt_config.pmtu_cache). Returns the route's MTU to dst now
 * (Linux's dst_mtu() after ip_rt_update_pmtu(): never raised, at least
 * pmtu_min), which is mtu where nothing is learnt. */
uint32_t ip_pmtu_update(gt_stack *s, ip_addr dst, uint32_t mtu);
/* TCP's side of it (tcp_conn.c), from tcp_icmp_error(): an ICMP
 * fragmentation needed about c's data said mtu; returns the MTU to act on. */
uint32_t tcp_pmtu_learn(gt_stack *s, struct tcp_conn *c, uint32_t mtu);
/* FreeBSD's t_maxseg as tcp_ctlinput_with_port() compares an MTU with it:
 * the path's MSS with its options, tcp_mssdflt in SYN_SENT. */
uint32_t tcp_bsd_icmp_maxseg(const gt_stack *s, const struct tcp_conn *c);
/* The path MTU learnt for dst, 0 none (expired, or the cache is off). */
uint32_t ip_pmtu_get(gt_stack *s, ip_addr dst);
/* Whether the path MTU to dst is locked: Linux's ip_mtu_locked(), a host
 * route's mtu lock, or a learnt MTU held at pmtu_min (IPv4 only). */
bool ip_pmtu_locked(const gt_stack *s, ip_addr dst);
/* Empties the cache of family's entries (GT_AF_INET, GT_AF_INET6; 0: all);
 * how many went. */
uint32_t ip_pmtu_flush(gt_stack *s, int family);
/* Sends the IP packet (of dst's family) whose payload (len bytes) is
 * already at s->out + ip_hdr_len(dst). Returns 0 or a negative errno. */
int ip_output(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t len);
/* The same through dev.transmitv: the transport header (hdr_len bytes) is at
 * s->out + ip_hdr_len(dst), its payload in npay pieces elsewhere (at most 2). */
/* A device's transmit() result as IP returns it: 0 sent, -ENOBUFS its
 * queue full (IpOutQueueFull), -EIO dropped (*discards counted). */
int ip_dev_verdict(gt_stack *s, int rc, uint64_t *discards);
/* The device call for a packet in n pieces (1 to 3): transmit_gso() with
 * s->tx_gso when TCP set it (then cleared), else transmit() for one piece
 * and transmitv() for more. Returns what the device did. */
int ip_dev_xmit(gt_stack *s, const struct gt_iovec *iov, int n);
int ip_outputv(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t hdr_len,
	       const struct gt_iovec *pay, int npay, size_t pay_len);
/* A packet of either version (the first nibble says which). */
void ip_input(gt_stack *s, const uint8_t *pkt, size_t len);
/* The TCP checksum's pseudo-header sum (unfolded) for a segment of len
 * bytes from src to dst, of their family (RFC 9293 3.1, RFC 8200 8.1). */
uint32_t ip_pseudo_sum(ip_addr src, ip_addr dst, uint8_t proto, uint32_t len);
/* ip/ip6.c */
void ip6_input(gt_stack *s, const uint8_t *pkt, size_t len);
/* A reassembled datagram (ip/reasm.c), its header rewritten as one packet:
 * processed as a received one, but not counted again in IpInReceives /
 * Ip6InReceives, and never reassembled again. */
void ip4_input_whole(gt_stack *s, const uint8_t *pkt, size_t len);
void ip6_input_whole(gt_stack *s, const uint8_t *pkt, size_t len);
/* ip/reasm.c. A fragment that was for one of our addresses: pkt is the
 * whole packet; for IPv6, the Fragment header is at frag_off and the Next
 * Header field naming it at nh_off. */
void ip4_reasm(gt_stack *s, const uint8_t *pkt, size_t ihl, size_t total_len);
void ip6_reasm(gt_stack *s, const uint8_t *pkt, size_t len, size_t frag_off, size_t nh_off);
/* Contexts whose deadline passed are dropped (ReasmTimeout, ReasmFails, and
 * an ICMP Time Exceeded when the first fragment had come). */
void ip_reasm_expire(gt_stack *s);
uint64_t ip_reasm_deadline(const gt_stack *s);
void ip_reasm_fini(gt_stack *s);
/* An ICMPv6 error about inv, from src, if RFC 4443 2.4(e) and the rate
 * limit (2.4(f)) allow it (ip/ip6.c); an ICMP one (no rate limit: only a
 * reassembly timeout sends one, at most GT_REASM_MAX a timeout) from the
 * address inv was sent to (ip/ip.c). */
void ip6_send_error(gt_stack *s, const uint8_t *inv, size_t inv_len, ip_addr src, uint8_t type,
		    uint8_t code, uint32_t param);
void ip4_icmp_error(gt_stack *s, const uint8_t *inv, size_t inv_len, uint8_t type, uint8_t code);
int ip6_output(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t len);
int ip6_outputv(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t hdr_len,
		const struct gt_iovec *pay, int npay, size_t pay_len);

/* socket/socket.c: the two upcalls TCP makes to a connection's owner. */
/* Readiness of sd may have changed: queue an event for it. */
void sock_mark(gt_stack *s, int sd);
/* sd's connection ended (err 0: cleanly, else -errno). left: data received
 * and acknowledged before the end, which the socket takes over (the ring's
 * memory becomes the socket's), or NULL. */
void sock_conn_gone(gt_stack *s, int sd, int err, struct ring *left, bool eof_first);
/* Linux's tcp_check_space() for sd: after an ACK's output, write space for
 * a writer that found none (sk_stream_write_space()). */
void sock_write_space(gt_stack *s, int sd);
struct gt_sock *sock_get(gt_stack *s, int sd);
/* A socket bound to laddr:lport (or the wildcard), neither listening nor
 * ever connected, has TCP_MD5SIG on. */
bool sock_bound_md5sig(gt_stack *s, ip_addr laddr, uint16_t lport);
/* SO_RCVLOWAT of socket sd (the socket keeps it, not the TCB), 1 for no
 * socket (orphaned, or not yet accepted). */
uint32_t sock_rcv_lowat(gt_stack *s, int sd);
bool sock_write_pending(gt_stack *s, int sd);
/* gt_stack_free(): the memory sockets still hold (data left unread). */
void sock_fini(gt_stack *s);

/* stack.c */
void stack_trace(gt_stack *s, const struct gt_trace_event *ev);
static inline bool stack_tracing(const gt_stack *s) { return s->trace != NULL; }
/* The last segment's device refused it, queue full, and the profile takes
 * that as not sent (cfg.tx_busy_linux: Linux's tcp_write_xmit(),
 * tcp_send_probe0(), tcp_retransmit_timer()). */
static inline bool stack_tx_blocked(const gt_stack *s) { return s->tx_refused && s->cfg.tx_busy_linux; }

#endif
