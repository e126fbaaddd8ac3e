/* The glasstcp command: dispatches to its subcommands (tools/cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include <glasstcp/glasstcp.h>

#include "tools/commands.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{"sim", cmd_sim, "two simulated hosts transfer data over an impaired link"},
	{"pktrun", cmd_pktrun, "run packetdrill-language scripts against glasstcp"},
	{"serve", cmd_serve, "echo, discard and HTTP servers on a TUN device"},
	{"get", cmd_get, "HTTP GET over a TUN device, body to stdout or a file"},
	{"send", cmd_send, "stdin to a TCP connection over a TUN device"},
	{"swarm", cmd_swarm, "seeded random networks and workloads; safety and liveness checked"},
	{"relay", cmd_relay, "run a command in a network namespace connected through glasstcp"},
	{"impair", cmd_impair, "the fault injector between two TUN devices, for the kernel's traffic"},
};

static void usage(FILE *f)
{
	fprintf(f, "glasstcp %s: a user-space TCP/IP stack\ncommands:\n", GLASSTCP_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s (glasstcp %s --help)\n", commands[i].name, commands[i].help,
			commands[i].name);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "glasstcp: unknown command '%s' (try glasstcp --help)\n", argv[1]);
	return 2;
}
