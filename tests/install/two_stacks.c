/* A program with glasstcp (the installed static library) and another stack
 * (other_stack.c) whose global names match glasstcp's internal ones. It
 * links only if the archive keeps those names local; it passes only if
 * each side calls its own: glasstcp's handshake on the simulated network
 * runs through its own ip_input/tcp_input, and ours return our values. */
#include <errno.h>
#include <stdio.h>
#include <glasstcp/glasstcp.h>
#include <glasstcp/sim.h>

int ip_input(const void *pkt, unsigned len);
int tcp_input(const void *seg, unsigned len);
int tcp_output(void *pcb);
extern int other_stack_calls;

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "two_stacks: %s failed\n", #c); return 1; } } while (0)

int main(void)
{
	struct gt_config cfg;
	gt_stack *cli, *srv;
	gt_sim *sim = gt_sim_new(7);
	CHECK(sim);
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	CHECK(gt_sim_add_stack(sim, &cfg, 0x0a000001, 24, 1500, &cli) >= 0);
	CHECK(gt_sim_add_stack(sim, &cfg, 0x0a000002, 24, 1500, &srv) >= 0);
	struct gt_sockaddr addr = { .family = GT_AF_INET, .port = 7000, .addr = 0x0a000002 };
	int ls = gt_socket(srv, GT_AF_INET, GT_SOCK_STREAM), cs = gt_socket(cli, GT_AF_INET, GT_SOCK_STREAM);
	CHECK(ls >= 0 && cs >= 0 && gt_bind(srv, ls, &addr) == 0 && gt_listen(srv, ls, 16) == 0);
	CHECK(gt_connect(cli, cs, &addr) == -EINPROGRESS);
	gt_sim_run_until(sim, 1000000);
	gt_stack_poll(srv, gt_sim_now(sim));
	CHECK(gt_accept(srv, ls, NULL) >= 0);
	CHECK(other_stack_calls == 0); /* glasstcp never called the other stack */
	CHECK(ip_input(NULL, 0) == 4 && tcp_input(NULL, 0) == 6 && tcp_output(NULL) == 7);
	CHECK(other_stack_calls == 3);
	gt_sim_free(sim);
	printf("glasstcp and another stack's ip_input/tcp_input/tcp_output in one program\n");
	return 0;
}
