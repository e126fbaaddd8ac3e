/* The subcommands of the glasstcp command: each takes the arguments after
 * its name and returns the process exit status. */
#ifndef GT_TOOLS_COMMANDS_H
#define GT_TOOLS_COMMANDS_H

int cmd_sim(int argc, char **argv);
int cmd_pktrun(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_swarm(int argc, char **argv);
int cmd_relay(int argc, char **argv);
int cmd_impair(int argc, char **argv);

#endif
