/* A bulk-transfer workload on the simulated network: clients connect to a
 * server, send a verifiable byte pattern, close first (so they hold
 * TIME_WAIT), and the server checks every byte and closes after EOF. Used by
 * `glasstcp sim` and by the scenario tests. */
#ifndef GT_SIM_TRANSFER_H
#define GT_SIM_TRANSFER_H

#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define XFER_MAX_STATES 16

struct xfer_config {
	uint64_t bytes;        /* per connection, client to server */
	uint32_t conns;
	uint16_t port;
	uint32_t chunk_bytes;  /* size of each write */
	uint64_t limit_us;     /* give up after this much virtual time */
	bool wait_time_wait;   /* keep running until TIME_WAIT has expired */
	/* Families: XFER_IPV4 (all), XFER_IPV6 (all, to server_addr6), or
	 * XFER_MIXED (connection i over IPv6 when i is odd). With IPv6 the
	 * listener is one dual-stack AF_INET6 socket (IPV6_V6ONLY off). */
	uint8_t family;
	struct gt_in6_addr server_addr6;
	void *trace_file;      /* FILE * to print every trace event to, or NULL */
	/* Also called with every trace event of either stack (pcap, ladder,
	 * JSON writers); may be NULL. */
	void (*on_trace)(void *ctx, bool client, const struct gt_trace_event *ev);
	void *on_trace_ctx;
};

struct xfer_state_log {
	uint8_t n;
	uint8_t state[XFER_MAX_STATES];
	uint64_t at_us[XFER_MAX_STATES];
};

enum { XFER_IPV4 = 0, XFER_IPV6 = 1, XFER_MIXED = 2 };

struct xfer_conn {
	int csd, ssd;          /* -1 once closed */
	bool v6;               /* over IPv6 */
	uint16_t cport;
	uint64_t sent, received;
	uint64_t bad_offset;   /* first byte that arrived wrong; UINT64_MAX if none */
	bool eof, client_closed, server_closed, client_gone, server_gone;
	int error;             /* first socket error seen, negative errno */
	uint64_t t_connect_us, t_established_us, t_received_us;
	uint64_t t_tw_enter_us, t_tw_exit_us;
	int tw_holder;         /* 0 client, 1 server, -1 none yet */
	struct xfer_state_log client, server;
	struct gt_tcp_info client_info; /* at close() */
	uint64_t client_retrans, server_retrans, client_rtos, client_fast_retrans;
};

struct xfer {
	struct xfer_config cfg;
	gt_sim *sim;
	gt_stack *client, *server;
	int client_host, server_host;
	uint32_t client_addr, server_addr;
	int listen_sd;
	struct xfer_conn *conns;
	uint8_t *scratch;
	uint8_t *expect;       /* scratch_len bytes: what a read should hold */
	uint32_t scratch_len;
};

/* Sets up the listener and the connections' state; the two stacks must be
 * hosts of sim. Returns 0 or a negative errno. */
int xfer_init(struct xfer *x, const struct xfer_config *cfg, gt_sim *sim,
	      gt_stack *client, int client_host, uint32_t client_addr,
	      gt_stack *server, int server_host, uint32_t server_addr);
/* Runs until every connection finished (and TIME_WAIT expired, if asked) or
 * the time limit. Returns true when every byte arrived intact and every
 * connection closed cleanly. */
bool xfer_run(struct xfer *x);
/* True when connection i delivered everything intact and both ends closed. */
bool xfer_conn_ok(const struct xfer *x, uint32_t i);
void xfer_free(struct xfer *x);
/* The byte at offset i of connection c's stream. */
uint8_t xfer_pattern(uint32_t c, uint64_t i);
/* out[0..n) = xfer_pattern(c, off + k) for each k: a hash per eight bytes. */
void xfer_pattern_fill(uint32_t c, uint64_t off, uint8_t *out, size_t n);

#endif
