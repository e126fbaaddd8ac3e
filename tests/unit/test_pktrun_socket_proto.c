/* socket()'s protocol as the script writes it (google/packetdrill's
 * socket_err.pkt and socket_wrong_err.pkt): IPPROTO_UDP with SOCK_STREAM
 * is no protocol a stream socket has, EPROTONOSUPPORT on Linux
 * (inet_create()) and FreeBSD (socreate()); glasstcp's sockets are TCP's
 * alone and answer the same; the kernel is asked for real. A UDP socket
 * (SOCK_DGRAM) glasstcp does not have: UNSUPPORTED, never faked. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

static struct pk_result run(const char *text, bool kernel, enum gt_profile prof)
{
	struct pk_options opt = {.profile_set = true, .profile = prof, .kernel = kernel};
	return pk_test_run(text, "socket_proto.pkt", opt, "");
}

static const char pass_script[] =
	"0 socket(..., SOCK_STREAM, IPPROTO_UDP) = -1 EPROTONOSUPPORT (Protocol not supported)\n"
	"+0 socket(..., SOCK_STREAM, IPPROTO_UDP) = -1\n"
	"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 close(3) = 0\n";
/* packetdrill's socket_err.pkt: a descriptor where the protocol has none. */
static const char fail_script[] = "0 socket(..., SOCK_STREAM, IPPROTO_UDP) = 3\n";

TEST(pktrun_socket_protocol)
{
	for (int p = 0; p < 2; p++) {
		enum gt_profile prof = p ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX;
		struct pk_result r = run(pass_script, false, prof);
		ASSERT_EQ(r.verdict, PK_PASS);
		r = run(fail_script, false, prof);
		ASSERT_EQ(r.verdict, PK_FAIL);
		ASSERT_EQ(r.line, 1);
		ASSERT(strstr(r.why, "EPROTONOSUPPORT") != NULL);
		r = run("0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n", false, prof);
		ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	}
}

TEST(pktrun_kernel_socket_protocol)
{
	struct pk_result r = run(pass_script, true, GT_PROFILE_LINUX);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(fail_script, true, GT_PROFILE_LINUX);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 1);
	ASSERT(strstr(r.why, "EPROTONOSUPPORT") != NULL);
}
