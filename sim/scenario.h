/* Named scenarios of `glasstcp sim --scenario NAME`: small, deterministic
 * experiments that show one design implication of TCP (TIME_WAIT, ports,
 * closing, Nagle and delayed ACK, buffers). Each prints an explanation and
 * its measured figures to a FILE (or nothing, when out is NULL) and fills a
 * result struct that the tests check. Everything runs in virtual time. */
#ifndef GT_SIM_SCENARIO_H
#define GT_SIM_SCENARIO_H

#include <stdio.h>

#include <glasstcp/glasstcp.h>

#define SCEN_MAX_ROWS 8

/* time-wait-server-close, time-wait-client-close */
struct scen_tw_result {
	uint32_t conns, conns_ok, failed;
	bool server_closes_first;
	uint32_t tw_peak[2];         /* [0] client, [1] server */
	uint64_t tw_bytes[2];        /* table memory at the peak */
	uint64_t tw_bytes_empty[2];  /* the same before the first entry (hash buckets) */
	uint32_t conns_peak[2];      /* full connections at once */
	uint64_t tw_entered[2];      /* counter TW */
	uint64_t tw_expired[2];      /* counter TWExpired, after 2MSL */
	uint64_t work_done_us;       /* when the last exchange ended */
	uint64_t end_us;
};

/* port-exhaustion: run[0] with tw_reuse off, run[1] with it on */
struct scen_ports_result {
	uint32_t range;              /* ephemeral ports */
	uint32_t attempts;           /* connections the client tries */
	struct {
		bool tw_reuse;
		uint32_t ok;             /* completed before the first failure */
		uint32_t tried;
		bool eaddrnotavail;      /* gt_connect returned -EADDRNOTAVAIL */
		uint64_t fail_at_us;
		uint64_t exhausted;      /* client TcpEphemeralExhausted */
		uint64_t recycled[2];    /* TWRecycled, client and server */
		uint32_t tw_peak;        /* client */
	} run[2];
};

/* linger-abort: run[0] graceful close, run[1] SO_LINGER {1, 0} */
struct scen_linger_result {
	struct {
		uint64_t written, delivered, lost;
		int peer_read;           /* the peer's last read: 0 (EOF) or -errno */
		int tw_holder;           /* 0 client, 1 server, -1 nobody */
		uint64_t client_rsts;    /* client TcpOutRsts */
		uint64_t abort_on_linger;
		uint32_t segments;       /* segments on the wire, both ways */
	} run[2];
};

/* nagle-delayed-ack: one row per way of writing a request */
struct scen_nagle_row {
	const char *name;
	uint32_t requests;
	double first_ms, mean_ms, max_ms; /* request latency */
	uint64_t client_segs;        /* data segments the client sent */
	uint64_t delayed_acks;       /* server TcpDelayedAcks */
};
struct scen_nagle_result {
	double rtt_ms;
	uint32_t nrows;
	struct scen_nagle_row row[SCEN_MAX_ROWS];
};

/* small-buffers: one row per SO_RCVBUF */
struct scen_bufs_row {
	uint32_t asked_bytes, rcvbuf_bytes; /* what was set, what the stack took */
	uint32_t window_bytes;              /* the window that buffer offers */
	double predicted_mbit, measured_mbit;
	uint64_t retrans;
};
struct scen_bufs_result {
	double rtt_ms, link_mbit;
	uint32_t nrows;
	struct scen_bufs_row row[SCEN_MAX_ROWS];
};

/* lost-final-ack */
struct scen_lostack_result {
	uint64_t acks_dropped;
	uint64_t server_fin_sent;    /* FIN segments the server sent (1 + retransmissions) */
	uint64_t fin_reacked;        /* client TWFinReacked */
	uint64_t tw_enter_us, tw_reack_us, tw_exit_us;
	uint64_t server_closed_us;
	bool server_closed;          /* the server's connection reached CLOSED */
	uint32_t server_tw_peak;
};

struct scen_result {
	const char *name;
	bool ok;                     /* the run completed as designed */
	bool ipv6;                   /* run over IPv6 (2001:db8::1 -> [2001:db8::2]:80) */
	uint64_t ip_pkts[2];         /* packets both stacks sent: [0] IPv4, [1] IPv6 */
	struct scen_tw_result tw;
	struct scen_ports_result ports;
	struct scen_linger_result linger;
	struct scen_nagle_result nagle;
	struct scen_bufs_result bufs;
	struct scen_lostack_result lostack;
};

/* Runs scenario name with seed; prints to out unless NULL. Returns 0, or
 * -ENOENT for an unknown name, or another negative errno on a setup
 * failure. r is filled either way. */
int scen_run(const char *name, uint64_t seed, FILE *out, struct scen_result *r);
/* scen_run over IPv6 when ipv6 (issue 16): the same workload and checks,
 * the hosts' IPv6 addresses and AF_INET6 sockets instead. */
int scen_run_family(const char *name, uint64_t seed, bool ipv6, FILE *out, struct scen_result *r);
/* Prints the names with one line each. */
void scen_list(FILE *f);
/* The number of scenarios and the name of the i-th. */
size_t scen_count(void);
const char *scen_name(size_t i);

#endif
