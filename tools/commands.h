/* The subcommands of the glasstcp command: each takes the arguments after
 * its name and returns the process exit status. */
#ifndef GT_TOOLS_COMMANDS_H
#define GT_TOOLS_COMMANDS_H

int cmd_sim(int argc, char **argv);

#endif
