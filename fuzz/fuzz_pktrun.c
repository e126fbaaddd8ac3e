/* libFuzzer target: the packet-script parser and runner on arbitrary text.
 * A script may fail; the stack's invariants (tcp_check_all(), which the
 * runner checks after every step until the first failure: run.c's
 * check_stack()) may not: that verdict aborts, so the fuzzer keeps it.
 * Build with -DGT_FUZZ=ON and clang; see fuzz/README.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktrun/pktrun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	if (size > 1 << 16)
		return 0;
	memset(&res, 0, sizeof(res));
	pk_run_text((const char *)data, size, "fuzz.pkt", NULL, &opt, &res);
	/* check_stack()'s own words at the start: a script's text may carry
	 * them elsewhere (an unknown ICMP type is quoted back). */
	if (res.verdict != PK_PASS && !strncmp(res.why, "invariant broken after ", 23)) {
		fprintf(stderr, "fuzz invariant failed: line %d: %s\n", res.line, res.why);
		abort();
	}
	return 0;
}
