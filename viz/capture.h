/* What the ladder diagram and the graphs are drawn from: every TCP packet
 * between the simulated client and server with its fate on the link (from
 * the simulator's tap), and the state changes, cwnd and RTT samples of both
 * stacks (from their trace events). Bounded: past its limits a capture
 * counts what it could not keep. */
#ifndef GT_VIZ_CAPTURE_H
#define GT_VIZ_CAPTURE_H

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define CAP_MAX_PKTS_DEFAULT (1u << 21)
#define CAP_MAX_EVENTS_DEFAULT (1u << 21)
#define CAP_MAX_SACK 4
#define CAP_NO_WSCALE 0xff

enum cap_fate {
	CAP_INFLIGHT,
	CAP_DELIVERED,
	CAP_DROPPED,
};

struct cap_pkt {
	uint64_t sent_us, done_us;  /* done: delivered or dropped */
	uint64_t hash;              /* of the bytes expected at the receiver */
	uint32_t seq, ack, len;     /* absolute; len = payload bytes */
	uint32_t sack[CAP_MAX_SACK][2];
	uint16_t cport;             /* the client's port: names the connection */
	uint16_t win;               /* raw window field */
	uint16_t mss;               /* SYN option, 0 if none */
	uint8_t wscale;             /* SYN option, CAP_NO_WSCALE if none */
	uint8_t flags, nsack;
	uint8_t fate;               /* enum cap_fate */
	uint8_t drop_fate;          /* enum gt_sim_fate when dropped */
	bool from_client, dup, corrupted, reordered;
	bool v6;                    /* an IPv6 packet */
};

enum cap_event_kind {
	CAP_EV_STATE,               /* a = old state, b = new state */
	CAP_EV_CWND,                /* a = cwnd, b = ssthresh, c = flight */
	CAP_EV_RTT,                 /* a = sample, b = srtt, c = rto */
	CAP_EV_RTO,                 /* a = backoff */
	CAP_EV_FAST_RETRANS,
};

struct cap_event {
	uint64_t at_us;
	uint32_t a, b, c;
	uint16_t cport;
	uint8_t kind;               /* enum cap_event_kind */
	bool client;
	const char *reason;         /* static string from the core, may be NULL */
};

struct capture {
	int client_host, server_host;
	uint32_t client_addr, server_addr;
	/* The IPv6 addresses of the two hosts, from the first IPv6 packet
	 * (has6), for labels. */
	struct gt_in6_addr client_addr6, server_addr6;
	bool has6;
	struct cap_pkt *pkt;
	uint32_t npkt, pkt_cap, max_pkts;
	uint64_t pkts_over;         /* packets not kept: max_pkts reached */
	uint64_t unmatched;         /* deliveries matched to no packet (duplicates) */
	uint32_t pending[2];        /* per direction: oldest packet maybe in flight */
	uint32_t last;              /* the packet the next drop fate belongs to */
	struct cap_event *ev;
	uint32_t nev, ev_cap, max_events;
	uint64_t events_over;
};

void cap_init(struct capture *c, int client_host, uint32_t client_addr, int server_host,
	      uint32_t server_addr);
void cap_free(struct capture *c);
/* A gt_sim_tap_fn: ctx is the capture. */
void cap_tap(void *ctx, const struct gt_sim_packet_info *p);
/* Feed every trace event of either stack. */
void cap_trace(struct capture *c, bool client, const struct gt_trace_event *ev);

/* Per-connection facts the renderers share. */
struct cap_conn {
	uint16_t cport;
	bool have_isn[2];
	uint32_t isn[2];            /* [0] client's ISN, [1] server's */
	uint8_t wscale[2];          /* shift each side applies to its window field */
	uint64_t owd_us[2];         /* smallest one-way delay seen, per direction */
};
void cap_conn_scan(const struct capture *c, uint16_t cport, struct cap_conn *out);
/* A packet's window in bytes, scaled as the connection agreed. */
uint32_t cap_pkt_window(const struct cap_conn *k, const struct cap_pkt *p);
/* Marks retransmissions: data or FIN below the highest sequence already sent. */
void cap_mark_retrans(const struct capture *c, uint16_t cport, bool *retrans);

#endif
