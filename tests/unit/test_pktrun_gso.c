/* pktrun's --mss=N (packetdrill's GSO size for inbound segments): a
 * segment longer than N, which packetdrill injects as one GSO packet of
 * N-byte segments (Linux measures rcv_mss by its gso_size,
 * tcp_measure_rcv_mss()), goes so into the kernel (its TUN with a
 * virtio-net header) and into glasstcp (gt_stack_input_gso(): the Linux
 * profile's rcv_mss is the gso_size too); segments of N or less run as
 * they are; --gso-as-one runs the longer one as one plain segment, for
 * probing. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

static struct pk_result run(const char *text, bool as_one)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .gso_as_one = as_one};
	struct pk_result res;
	pk_run_text(text, strlen(text), "gso.pkt", NULL, &opt, &res);
	return res;
}

/* On glasstcp as on the kernel (below): rcv_mss 1000 from the gso_size;
 * as one plain segment, 1460. Before gt_stack_input_gso() the longer
 * segment was UNSUPPORTED here. */
TEST(pktrun_gso_mss_sets_rcv_mss)
{
	const char *text = "--mss=1000\n" PK_ACCEPTED_HEAD
			   "+0 < P. 1:2001(2000) ack 1 win 257\n"
			   "+0 > . 1:1(0) ack 2001\n"
			   "+0 %{ assert tcpi_rcv_mss == 1000, tcpi_rcv_mss }%\n";
	struct pk_result r = run(text, false);
	if (r.verdict != PK_PASS)
		fprintf(stderr, "  glasstcp line %d: %s\n", r.line, r.why);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run(text, true);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
	ASSERT(strstr(r.why, "1460") != NULL);
}

/* On the kernel, a 2,000-byte segment under --mss=1000 sets rcv_mss
 * 1000 (gso_size); as one plain segment (--gso-as-one), the segment's
 * length clamped to the MSS we offered, 1460. */
TEST(pktrun_kernel_gso_mss_sets_rcv_mss)
{
	const char *text = "--mss=1000\n" PK_ACCEPTED_HEAD
			   "+0 < P. 1:2001(2000) ack 1 win 257\n"
			   "+0 > . 1:1(0) ack 2001\n"
			   "+0 %{ assert tcpi_rcv_mss == 1000, tcpi_rcv_mss }%\n";
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = true};
	struct pk_result r;
	pk_run_text(text, strlen(text), "gso.pkt", NULL, &opt, &r);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		fprintf(stderr, "  kernel line %d: %s\n", r.line, r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	opt.gso_as_one = true;
	pk_run_text(text, strlen(text), "gso.pkt", NULL, &opt, &r);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 12);
	ASSERT(strstr(r.why, "1460") != NULL);
}
