/* Checks the swarm seed tests share (test_swarm_seeds.c,
 * test_swarm_seeds2.c). */
#ifndef GT_TEST_SWARM_CHECK_H
#define GT_TEST_SWARM_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/swarm.h"

/* A kept seed, run with o, clean, where conn's client (or server) is
 * judged v (swarm_result.listed, `glasstcp swarm --list-verdicts`); only:
 * the one side so judged. A failure names file and line. */
void swarm_check_side_verdict(uint64_t seed, const struct swarm_opts *o, unsigned conn, bool client,
			      int v, bool only, const char *file, int line);

#endif
