/* A code block after close() of the last socket a call used reads the
 * socket under test, as packetdrill's: run_code_event() asks TCP_INFO of
 * state->socket_under_test, which socket() and an accepted connection set
 * and close() leaves alone. google/packetdrill's
 * fastopen/server/sockopt-fastopen-key.pkt accepts fd 4, closes the
 * listener (fd 3), then asserts tcpi_options: of fd 4. Both back-ends
 * answered "no socket for tcpi_ assertions" (the last call's fd 3 was
 * gone). A block after close() of the socket under test itself still has
 * no socket (packetdrill's getsockopt() on the closed fd fails too), even
 * with the listener open. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define CAC_HEAD "`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n" PK_ACCEPTED_HEAD

/* Lines 10-11: the listener closed, then fd 4's TCP_INFO. */
static const char listener_closed[] = CAC_HEAD
	"+0 close(3) = 0\n"
	"+0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n";

/* Lines 10-11: the accepted socket closed, the listener still open. */
static const char child_closed[] = CAC_HEAD
	"+0 close(4) = 0\n"
	"+0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n";

static struct pk_result run(const char *text, bool kernel)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	return pk_test_run(text, "code_after_close.pkt", opt, "");
}

TEST(pktrun_code_after_close_reads_socket_under_test)
{
	struct pk_result r = run(listener_closed, false);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(child_closed, false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
	ASSERT(strstr(r.why, "no socket") != NULL);
}

TEST(pktrun_kernel_code_after_close_reads_socket_under_test)
{
	struct pk_result r = run(listener_closed, true);
	ASSERT_KERNEL_PASS(r);
	r = run(child_closed, true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 11);
}
