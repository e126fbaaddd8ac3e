/* Shared by the scenario files: a two-host world (client 10.0.0.1, server
 * 10.0.0.2; with IPv6 also 2001:db8::1 and ::2, and the sockets AF_INET6)
 * with an optional capture for text ladders, and small helpers. */
#ifndef GT_SIM_SCENARIO_INTERNAL_H
#define GT_SIM_SCENARIO_INTERNAL_H

#include <glasstcp/sim.h>

#include "sim/scenario.h"
#include "viz/capture.h"

#define SCEN_CLIENT_ADDR 0x0a000001u
#define SCEN_SERVER_ADDR 0x0a000002u
#define SCEN_PORT 80

extern const struct gt_in6_addr scen_client_addr6, scen_server_addr6;

struct scen_world {
	gt_sim *sim;
	gt_stack *client, *server;
	int ch, sh;
	struct scen_result *res;     /* its family; its ip_pkts counted at free */
	bool capturing;
	struct capture cap;
	/* Called with every trace event of either stack; may be NULL. */
	void (*on_trace)(void *ctx, bool client, const struct gt_trace_event *ev);
	void *ctx;
};

/* Creates the simulator and both stacks; the same link both ways; with
 * res->ipv6 the IPv6 addresses too. */
int scen_world_init(struct scen_world *w, struct scen_result *res, uint64_t seed,
		    const struct gt_config *ccfg, const struct gt_config *scfg,
		    const struct gt_link_config *link, bool capture);
/* Adds the packets both stacks sent to res->ip_pkts, then frees. */
void scen_world_free(struct scen_world *w);
/* Adds the IPv6 addresses to both hosts of sim (for worlds built by hand). */
int scen_add_ipv6(gt_sim *sim, int ch, int sh);
/* Adds what the two stacks sent to res->ip_pkts. */
void scen_count_pkts(struct scen_result *res, gt_stack *client, gt_stack *server);
/* A stream socket of the world's family, and the server's address in it. */
int scen_socket(const struct scen_world *w, gt_stack *s);
struct gt_sockaddr scen_server(const struct scen_world *w);
/* Brings both stacks' clocks to the simulator's. */
void scen_world_sync(struct scen_world *w);
/* scen_world_sync, then discard both stacks' event queues (for steps that
 * look at socket state, not events). */
void scen_world_sync_quiet(struct scen_world *w);
/* Prints the text ladder of the connection from client port cport. */
void scen_ladder(FILE *out, struct scen_world *w, uint16_t cport, const char *title);

/* Runs the simulator, calling step(ctx) after every event, until step says
 * done or limit_us; wake_us(ctx) gives the next time step wants to run even
 * when no packet or timer is due (UINT64_MAX for none). */
bool scen_run_loop(struct scen_world *w, bool (*step)(void *ctx),
		   uint64_t (*wake_us)(void *ctx), void *ctx, uint64_t limit_us);

/* printf to out when it is not NULL. */
void scen_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double scen_ms(uint64_t us);
/* A listener on SCEN_PORT of the server, of the world's family, rcvbuf set
 * first when > 0. */
int scen_listen(const struct scen_world *w, int rcvbuf_bytes);

int scen_time_wait(uint64_t seed, FILE *out, bool server_closes_first, struct scen_result *r);
int scen_port_exhaustion(uint64_t seed, FILE *out, struct scen_result *r);
int scen_lost_final_ack(uint64_t seed, FILE *out, struct scen_result *r);
int scen_linger_abort(uint64_t seed, FILE *out, struct scen_result *r);
int scen_nagle(uint64_t seed, FILE *out, struct scen_result *r);
int scen_small_buffers(uint64_t seed, FILE *out, struct scen_result *r);

#endif
