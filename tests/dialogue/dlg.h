/* Segment-dialogue test library (smoltcp's test_<state>_<event> style): one
 * stack at 10.0.0.1/24 whose device captures every packet it sends, a remote
 * peer 10.0.0.2 played by the test with crafted IPv4+TCP packets, virtual
 * time, and exact expectations on each segment the stack answers with. The
 * helpers reach every RFC 9293 state through a real dialogue. dlg_new6()
 * makes the same dialogue over IPv6: the stack at 2001:db8::1/64 (and
 * 10.0.0.1), the peer 2001:db8::2, AF_INET6 sockets. */
#ifndef GT_TEST_DLG_H
#define GT_TEST_DLG_H

#include <errno.h>
#include <glasstcp/glasstcp.h>
#include <stdbool.h>
#include <stdint.h>

#include "harness.h"
#include "wire/tcp_wire.h"

#define DLG_LADDR 0x0a000001u  /* the stack */
#define DLG_RADDR 0x0a000002u  /* the peer, played by the test */
#define DLG_LPORT 80
#define DLG_RPORT 40000
#define DLG_PEER_ISS 1000000u
#define DLG_MSS 1460           /* MTU 1500 - 40 */
#define DLG_WIN 65535          /* the peer's window field */
#define DLG_T0_US 1000000ull   /* virtual time at the start */
#define DLG_MAX_PKTS 512
#define DLG_PKT_MAX 1600
#define DLG_MSS6 1440          /* MTU 1500 - 60 */

extern const struct gt_in6_addr dlg_laddr6, dlg_raddr6;

/* A segment the stack sent, as parsed. */
struct dlg_seg {
	struct tcp_hdr h;
	uint32_t len;               /* payload bytes */
	uint8_t tos, ttl;           /* its IP header's TOS byte or IPv6 traffic class (ECN
	                             * field), and TTL or hop limit */
	uint8_t data[DLG_PKT_MAX];
};

struct dlg {
	gt_stack *s;
	struct gt_config cfg;
	uint64_t now_us;
	uint16_t lport, rport;      /* the stack's port, the peer's port */
	int lsd;                    /* listener, -1 if none */
	int sd;                     /* the connection's descriptor, -1 if none */

	/* The dialogue's sequence numbers. */
	uint32_t iss;               /* the stack's ISS */
	uint32_t snd_nxt;           /* what the stack sends next (the peer acks it) */
	uint32_t peer_nxt;          /* what the peer sends next */

	/* The peer's options: sent in its SYN; with peer_ts every segment the
	 * helpers send carries TSval = peer_tsval, TSecr = the last TSval seen. */
	struct tcp_opts peer_syn_opts;
	bool peer_ts;
	uint32_t peer_tsval, stack_tsval;

	/* Captured packets, oldest first. */
	uint8_t pkts[DLG_MAX_PKTS][DLG_PKT_MAX];
	size_t lens[DLG_MAX_PKTS];
	size_t head, n;
	bool overflow;
	uint16_t ip_id;
	uint8_t peer_tos;           /* the TOS byte (IPv6: traffic class) of the peer's packets
	                             * (ECN: 1, 2, 3 = CE) */
	bool v6;                    /* the dialogue runs over IPv6 */
	int v6_hops;                /* the hop limit every IPv6 packet must carry (64
	                             * unless a test sets IPV6_UNICAST_HOPS) */

	struct dlg_seg last;        /* the segment popped last */
};

/* The dialogue configuration: the Linux profile with timestamps, SACK and
 * window scaling off (segments stay simple) and a fixed isn_secret. */
void dlg_config(struct gt_config *cfg);
/* A profile's own defaults with what a dialogue cannot predict turned
 * off: no timestamps, no window scaling, no autotuning either way, no
 * out-of-window ACK limit, and dlg_fixed_isn()'s ISN secret. */
void dlg_config_plain(struct gt_config *cfg, enum gt_profile p);
/* The fixed ISN secret every dialogue uses, so ISNs repeat run to run. */
void dlg_fixed_isn(struct gt_config *cfg);
/* Creates the dialogue (a single static instance, so a failed test's stack is
 * freed by the next test). cfg NULL: dlg_config(). */
struct dlg *dlg_new(const struct gt_config *cfg);
void dlg_free(struct dlg *d);
/* dlg_new() with timestamps (RFC 7323) agreed: cfg (NULL: dlg_config())
 * with opt_timestamps on, and the peer's SYN carrying the option. */
struct dlg *dlg_new_ts(const struct gt_config *cfg);
/* The same dialogue over IPv6 (see the head of this file). */
struct dlg *dlg_new6(const struct gt_config *cfg);
/* Pops the next packet the stack sent, whatever it is (ICMPv6...); NULL
 * when none. */
const uint8_t *dlg_pop_packet(struct dlg *d, size_t *len);

/* Builds an IPv4+TCP packet from the peer with correct checksums and raw
 * option bytes (olen a multiple of 4); returns its length. */
size_t dlg_build_raw(struct dlg *d, uint8_t *out, uint8_t flags, uint32_t seq, uint32_t ack,
		     uint16_t win, const uint8_t *opt_bytes, size_t olen, const void *payload,
		     size_t len);
size_t dlg_build(struct dlg *d, uint8_t *out, uint8_t flags, uint32_t seq, uint32_t ack,
		 uint16_t win, const void *payload, size_t len, const struct tcp_opts *opts);
/* Hands a packet to the stack at the current virtual time. */
void dlg_inject(struct dlg *d, const uint8_t *pkt, size_t len);
/* One IPv4 segment of len bytes at RCV.NXT from the peer (ACK|PSH, no
 * options), up to IP's 65,495 bytes: larger than dlg_build() makes. */
void dlg_send_big(struct dlg *d, const void *payload, uint32_t len);
/* Sends a segment from the peer. opts NULL: none, or the timestamp alone
 * when the peer uses timestamps. */
void dlg_send(struct dlg *d, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
	      const void *payload, size_t len, const struct tcp_opts *opts);
/* The application writes len bytes of zeros (DLG_APP_MAX at most) on d->sd;
 * the stack must take them all. */
#define DLG_APP_MAX 65536u
void dlg_app_send_at(struct dlg *d, const char *file, int line, uint32_t len);
#define dlg_app_send(d, len) dlg_app_send_at((d), __FILE__, __LINE__, (len))
/* Runs the whole-stack invariant checker (tcp_check_all); the helpers run
 * it after every input and poll, tests after API calls that change state. */
void dlg_check(struct dlg *d);
/* Runs the stack's timers, in order, up to now + us. */
void dlg_advance(struct dlg *d, uint64_t us);

/* Segments sent and not yet popped. */
size_t dlg_pending(const struct dlg *d);
void dlg_drain(struct dlg *d);
/* Pops the next segment and checks flags, seq and ack exactly. */
const struct dlg_seg *dlg_expect_at(struct dlg *d, const char *file, int line, uint8_t flags,
				    uint32_t seq, uint32_t ack);
void dlg_expect_none_at(struct dlg *d, const char *file, int line);
/* dlg_expect(), and nothing after it. */
const struct dlg_seg *dlg_expect_only_at(struct dlg *d, const char *file, int line, uint8_t flags,
					 uint32_t seq, uint32_t ack);
/* Pops the next segment whatever it is; fails when there is none. */
const struct dlg_seg *dlg_next_at(struct dlg *d, const char *file, int line);
#define dlg_next(d) dlg_next_at((d), __FILE__, __LINE__)
#define dlg_expect(d, flags, seq, ack) dlg_expect_at((d), __FILE__, __LINE__, (flags), (seq), (ack))
#define dlg_expect_none(d) dlg_expect_none_at((d), __FILE__, __LINE__)
#define dlg_expect_only(d, flags, seq, ack) \
	dlg_expect_only_at((d), __FILE__, __LINE__, (flags), (seq), (ack))
/* "S. seq=iss+0 ack=peer+1 win=65535 len=0 <mss 1460>" into buf (>= 160). */
const char *dlg_seg_str(const struct dlg *d, const struct dlg_seg *g, char *buf, size_t n);

/* State of a descriptor (struct gt_tcp_info.state), counters and gauges. */
uint8_t dlg_state(struct dlg *d, int sd);
void dlg_assert_state_at(struct dlg *d, const char *file, int line, int sd, uint8_t want);
#define DLG_ASSERT_STATE(d, sd, st) dlg_assert_state_at((d), __FILE__, __LINE__, (sd), (st))
void dlg_info(struct dlg *d, int sd, struct gt_tcp_info *ti);
const struct gt_stats *dlg_stats(const struct dlg *d);
uint32_t dlg_timewait(const struct dlg *d);
uint32_t dlg_conns(const struct dlg *d);
uint32_t dlg_conns_in(const struct dlg *d, uint8_t state);
int dlg_so_error(struct dlg *d, int sd);

/* The peer's everyday segments at (peer_nxt, snd_nxt), window DLG_WIN. */
void dlg_peer_ack(struct dlg *d);
/* The peer's ACK up to byte acked (relative to ISS + 1) with SACK blocks
 * blk[0..n) of byte offsets [left, right), in the order given. */
void dlg_peer_sack_bytes(struct dlg *d, uint32_t acked, const uint32_t (*blk)[2], int n);
/* The passive side of d with SACK agreed (the peer's SYN asks for it) and
 * a handshake of rtt_us, accepted into d->sd, nothing pending. */
void dlg_accept_sack(struct dlg *d, uint32_t rtt_us);
/* The Linux profile's passive side with SACK agreed and a handshake of
 * rtt_us, accepted, that has sent n (at most 16) full segments, each checked
 * on the wire, and nothing more. */
struct dlg *dlg_sack_segments_out(uint32_t rtt_us, uint32_t n);
void dlg_peer_data(struct dlg *d, const void *data, size_t len);
void dlg_peer_fin(struct dlg *d);
/* The peer's RST at RCV.NXT (SEQ = peer_nxt, no ACK): the one that resets. */
void dlg_peer_rst(struct dlg *d);
struct tcp_opts dlg_opts_ts(uint32_t tsval, uint32_t tsecr);

/* Reaching the states through real dialogues. Each leaves d->sd (or d->lsd),
 * d->iss, d->snd_nxt and d->peer_nxt set and nothing pending. */
int dlg_listen(struct dlg *d, uint16_t port);
void dlg_syn_received(struct dlg *d);       /* listen, SYN in, SYN-ACK out */
void dlg_established_passive(struct dlg *d); /* ... ACK in, accept() */
void dlg_syn_sent(struct dlg *d);            /* connect(), SYN out */
uint8_t dlg_connect(struct dlg *d);          /* the same, any SYN (ECE, CWR): its flags */
void dlg_established_active(struct dlg *d);  /* ... SYN-ACK in, ACK out */
void dlg_fin_wait_1(struct dlg *d);          /* established, shutdown(WR): FIN out */
void dlg_fin_wait_2(struct dlg *d);          /* ... ACK of FIN in */
void dlg_closing(struct dlg *d);             /* FIN_WAIT_1, FIN in (ours unacked), ACK out */
void dlg_time_wait(struct dlg *d);           /* FIN_WAIT_2, FIN in, ACK out */
void dlg_close_wait(struct dlg *d);          /* established, FIN in, ACK out */
void dlg_last_ack(struct dlg *d);            /* CLOSE_WAIT, close(): FIN out; sd = -1 */

#endif
