/* libFuzzer target: the packet-script parser and runner on arbitrary text.
 * Build with -DGT_FUZZ=ON and clang; see fuzz/README.md. */
#include <stddef.h>
#include <stdint.h>

#include "pktrun/pktrun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	if (size > 1 << 16)
		return 0;
	pk_run_text((const char *)data, size, "fuzz.pkt", NULL, &opt, &res);
	return 0;
}
