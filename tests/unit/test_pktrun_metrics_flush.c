/* pktrun's `ip tcp_metrics flush all` (gt_tcp_metrics_flush() on glasstcp,
 * ip(8) in the namespace on the kernel) and the one `A || B` form the
 * google/packetdrill fastopen client scripts write: a sysctl that Google's
 * kernels have and upstream's and glasstcp lack, falling to the flush.
 * Another `||`, or a flush of some addresses only, is not judged. */
#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "test_pktrun.h"

static struct pk_result run(const char *shell)
{
	char text[512];
	snprintf(text, sizeof(text), "%s+0 `%s`\n", PK_ACCEPTED_HEAD, shell);
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	return pk_test_run(text, "metrics.pkt", opt, "");
}

TEST(pktrun_metrics_flush_forms)
{
	ASSERT_EQ(run("ip tcp_metrics flush all").verdict, PK_PASS);
	ASSERT_EQ(run("ip tcp_metrics flush all > /dev/null 2>&1").verdict, PK_PASS);
	ASSERT_EQ(run("sysctl -q net.ipv4.tcp_fastopen_cookies=0 net.ipv4.tcp_fastopen_cookies=10 "
		      "&> /dev/null || ip tcp_metrics flush all &> /dev/null")
			  .verdict,
		  PK_PASS);
	struct pk_result r = run("ip tcp_metrics flush 192.0.2.1");
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT(strstr(r.why, "flush all") != NULL);
	/* A sysctl glasstcp has: its failure is not what `||` would need. */
	r = run("sysctl -q net.ipv4.tcp_sack=1 || ip tcp_metrics flush all");
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT(strstr(r.why, "||") != NULL);
}
