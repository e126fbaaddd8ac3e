/* hello_sim: two glasstcp stacks on the simulated network say "hello" and
 * close; the client, the active closer, holds TIME_WAIT until 2MSL expires.
 * Public API only. Build: cc hello_sim.c $(pkg-config --cflags --libs --static glasstcp) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "hello_sim: %s failed\n", #c); return 1; } } while (0)

static gt_stack *cli, *srv;

/* Runs the network to t_us, then brings both stacks' clocks to the simulator's:
 * the core is sans-I/O, and socket calls use the stack's last-known time. */
static void run_until(gt_sim *sim, uint64_t t_us)
{
	gt_sim_run_until(sim, t_us);
	gt_stack_poll(cli, gt_sim_now(sim));
	gt_stack_poll(srv, gt_sim_now(sim));
}

int main(void)
{
	struct gt_config cfg;
	struct gt_gauges g;
	char buf[16] = {0};
	gt_sim *sim = gt_sim_new(42);
	CHECK(sim);
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	CHECK(gt_sim_add_stack(sim, &cfg, 0x0a000001, 24, 1500, &cli) >= 0); /* 10.0.0.1/24 */
	CHECK(gt_sim_add_stack(sim, &cfg, 0x0a000002, 24, 1500, &srv) >= 0); /* 10.0.0.2/24 */
	struct gt_sockaddr addr = { .family = GT_AF_INET, .port = 7000, .addr = 0x0a000002 };
	int ls = gt_socket(srv, GT_AF_INET, GT_SOCK_STREAM), cs = gt_socket(cli, GT_AF_INET, GT_SOCK_STREAM);
	CHECK(ls >= 0 && cs >= 0 && gt_bind(srv, ls, &addr) == 0 && gt_listen(srv, ls, 16) == 0);
	CHECK(gt_connect(cli, cs, &addr) == -EINPROGRESS);
	run_until(sim, 1000000);                                   /* the handshake */
	int as = gt_accept(srv, ls, NULL);
	CHECK(as >= 0 && gt_send(cli, cs, "hello", 5, 0) == 5);
	run_until(sim, 2000000);
	CHECK(gt_recv(srv, as, buf, sizeof(buf) - 1, 0) == 5 && strcmp(buf, "hello") == 0);
	printf("server received \"%s\"\n", buf);
	CHECK(gt_close(cli, cs) == 0);                             /* the client closes first */
	run_until(sim, 3000000);
	CHECK(gt_close(srv, as) == 0 && gt_close(srv, ls) == 0);
	run_until(sim, 4000000);
	gt_stack_gauges(cli, &g);
	CHECK(g.timewait == 1);
	printf("client holds TIME_WAIT (%u entry)\n", g.timewait);
	run_until(sim, 65000000);                                  /* 61 s more: past 2MSL = 60 s */
	gt_stack_gauges(cli, &g);
	CHECK(g.timewait == 0 && gt_stack_stats(cli)->TWExpired == 1);
	printf("TIME_WAIT expired; virtual time %.1f s\n", (double)gt_sim_now(sim) / 1e6);
	gt_sim_free(sim);
	return 0;
}
