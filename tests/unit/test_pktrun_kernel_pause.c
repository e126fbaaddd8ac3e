/* The kernel runner's watchdog (pktrun/kernel.c): a pause of the whole
 * machine, while the runner waits and a kernel timer is due, makes the
 * kernel's packet late with the runner on time on both sides of it (run 13
 * of docs/conformance.md's kernel half: a 600 ms zero-window probe 134 ms
 * late). A late packet inside a pause the watchdog saw is not judged; a
 * late one no pause explains, and an early one, are still failures.
 *
 * The pause is made by opt.pause_at_us/pause_us: a helper process stops
 * the whole runner (SIGSTOP) and lets it go on (SIGCONT), so that its
 * watchdog sees the pause the way it sees the machine's, and what the
 * kernel sends meanwhile is read late. The kernel tests run as root only
 * (PK_SKIP otherwise) and end skipped (exit 77) where the machine delayed
 * the runner on its own. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* A listener's handshake over a 100 ms round trip (lines 1-8, fd 4 at
 * 0.1), 100 bytes written at 0.1 (lines 9 and 10): Linux's first RTO is
 * 100 + max(2 x 100, tcp_rto_min) = 300 ms, the retransmission at 0.4,
 * which its timer wheel may fire up to 32 ms late at HZ 250 (the judge's
 * window allows for it: 0.4 + 20 ms + 32 ms). */
#define PAUSE_HEAD \
	PK_ACCEPTED_HEAD_RTT(".1") \
	"+0 write(4, ..., 100) = 100\n" \
	"+0 > P. 1:101(100) ack 1\n"

/* A kernel run whose verdict is not the one expected, where the runner
 * says it stalled or the machine paused of its own (a reason naming "the
 * runner" or a runner_note; the tests here ask for no stall of a line):
 * what the run was for cannot be told. */
static bool stalled_itself(const struct pk_result *res, const char *asked, char *stalled, size_t n)
{
	const char *r = res->verdict == PK_UNSUPPORTED ? strstr(res->why, "the runner") : NULL;
	if (!r && res->runner_note[0])
		r = res->runner_note;
	if (!r || (asked && strstr(res->why, asked)))
		return false;
	snprintf(stalled, n, "%s", r);
	return true;
}

/* Does an UNSUPPORTED's reason name the pause the test asked for (one
 * that began within 5 ms of at_us), not one of the machine's own? */
static bool names_our_pause(const char *why, int64_t at_us)
{
	const char *p = strstr(why, "the machine paused ");
	double ms, at_s;
	if (!p || sscanf(p, "the machine paused %lf ms at %lf", &ms, &at_s) != 2)
		return false;
	return at_s * 1e6 > (double)(at_us - 5000) && at_s * 1e6 < (double)(at_us + 5000);
}

/* Runs text on glasstcp's Linux profile (when glasstcp_too) and on the
 * kernel (as root) with the runner stopped from pause_at_us for pause_us
 * (0: not), each expected to give want at line; an UNSUPPORTED must say
 * why_has. Returns false where the kernel run could not be judged (the
 * machine's own stall: stalled says it) or was skipped. */
static bool run_one(const char *text, bool kernel, int64_t pause_at_us, int64_t pause_us, enum pk_verdict want,
		    int line, const char *why_has, char *stalled, size_t n)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel,
				 .pause_at_us = pause_at_us, .pause_us = kernel ? pause_us : 0};
	struct pk_result res;
	pk_run_text(text, strlen(text), "pause.pkt", NULL, &opt, &res);
	if (kernel && (res.verdict == PK_SKIP ||
		       (res.verdict != want && !(pause_us && names_our_pause(res.why, pause_at_us)) &&
			stalled_itself(&res, why_has, stalled, n))))
		return false;
	if (res.verdict != want || (why_has && !strstr(res.why, why_has)))
		fprintf(stderr, "%s, pause %lld us at %lld us: %d: %s\n", kernel ? "kernel" : "glasstcp",
			(long long)pause_us, (long long)pause_at_us, res.line, res.why);
	ASSERT_EQ(res.verdict, want);
	if (want != PK_PASS)
		ASSERT_EQ(res.line, line);
	if (why_has)
		ASSERT(strstr(res.why, why_has) != NULL);
	return true;
}

/* The RTO's retransmission, due at 0.4-0.432, comes while the runner is
 * stopped from 0.39 to 0.49 and is read at 0.49, some 38 ms past its
 * window's late edge (0.452): the watchdog saw the pause, so the packet is not judged
 * (UNSUPPORTED, naming the pause). Without the watchdog it failed. Without
 * the pause, and on glasstcp, the script passes. */
TEST(pktrun_kernel_pause_late_packet_not_judged)
{
	static const char text[] = PAUSE_HEAD "+.3 > P. 1:101(100) ack 1\n";
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	ASSERT(run_one(text, false, 0, 0, PK_PASS, 0, NULL, stalled, sizeof(stalled)));
	run_one(text, true, 0, 0, PK_PASS, 0, NULL, stalled, sizeof(stalled));
	run_one(text, true, 390000, 100000, PK_UNSUPPORTED, 11, "the machine paused", stalled, sizeof(stalled));
	SKIP_IF_STALLED(stalled);
}

/* The same retransmission written 50 ms early (0.35, its window's late
 * edge 0.37; no wheel slack under 63 jiffies) comes 30-62 ms late, as
 * late as the paused one above: a failure, with no pause, and with a pause that ended before the
 * edge (0.28-0.36): the machine then ran past the edge and the kernel sent
 * nothing, so that pause explains nothing. A rule that took any pause
 * as long as the lateness and near the window excused it. */
TEST(pktrun_kernel_pause_before_the_window_explains_nothing)
{
	static const char text[] = PAUSE_HEAD "+.25 > P. 1:101(100) ack 1\n";
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	ASSERT(run_one(text, false, 0, 0, PK_FAIL, 11, NULL, stalled, sizeof(stalled)));
	run_one(text, true, 0, 0, PK_FAIL, 11, NULL, stalled, sizeof(stalled));
	run_one(text, true, 280000, 80000, PK_FAIL, 11, NULL, stalled, sizeof(stalled));
	SKIP_IF_STALLED(stalled);
}

/* Written 100 ms late (0.5; its early edge 0.496), the retransmission
 * read at the end of a pause from 0.39 to 0.47 is early: a pause only ever
 * makes a packet later, so an early one is judged, pause or not. */
TEST(pktrun_kernel_pause_early_packet_fails)
{
	static const char text[] = PAUSE_HEAD "+.4 > P. 1:101(100) ack 1\n";
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	ASSERT(run_one(text, false, 0, 0, PK_FAIL, 11, NULL, stalled, sizeof(stalled)));
	run_one(text, true, 0, 0, PK_FAIL, 11, NULL, stalled, sizeof(stalled));
	run_one(text, true, 390000, 80000, PK_FAIL, 11, NULL, stalled, sizeof(stalled));
	SKIP_IF_STALLED(stalled);
}

/* A blocking call's return: poll() with a 100 ms timeout, due to return
 * at 0.2, with the runner stopped from 0.15 to 0.3, returns late (or is
 * still blocked at its limit, 0.22): not judged, naming the pause. Without
 * the pause it returns on time. Kernel only: glasstcp's poll() does not
 * block. */
TEST(pktrun_kernel_pause_late_return_not_judged)
{
	static const char text[] = PAUSE_HEAD "+0...0.1 poll([{fd=4, events=POLLIN, revents=0}], 1, 100) = 0\n";
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	bool judged = run_one(text, true, 0, 0, PK_PASS, 0, NULL, stalled, sizeof(stalled));
	judged |= run_one(text, true, 150000, 150000, PK_UNSUPPORTED, 11, "a late return inside it is not judged",
			  stalled, sizeof(stalled));
	SKIP_IF_STALLED(stalled);
	if (!judged)
		SKIP("no kernel run here (root and /dev/net/tun needed)");
}

/* The overlap rule on its own (pk_pause_explains()), on numbers: a packet
 * due by hi came at arr; pauses explain it when the machine ran for no
 * more than the slack (2 ms) of [hi, arr]. */
TEST(pktrun_pause_overlap_rule)
{
	const int64_t hi = 452000, arr = 490000, slack = PK_PAUSE_SLACK_US;
	struct pk_pause w = {0};
	/* The pause covers the whole late part (it began before hi). */
	struct pk_pause cover[] = {{390000, 101000}};
	ASSERT(pk_pause_explains(cover, 1, hi, arr, slack, &w));
	ASSERT_EQ(w.start_us, 390000);
	ASSERT_EQ(w.len_us, 101000);
	/* It ended 1.5 ms before the packet came (the packet's delivery after
	 * the machine resumed, and the watchdog's period): explained; 2.5 ms
	 * before, the machine ran too long to blame the pause. */
	struct pk_pause short1[] = {{390000, 98500}}, short2[] = {{390000, 97500}};
	ASSERT(pk_pause_explains(short1, 1, hi, arr, slack, &w));
	ASSERT(!pk_pause_explains(short2, 1, hi, arr, slack, &w));
	/* It began after hi: the machine ran 1 ms past the edge, then paused. */
	struct pk_pause later[] = {{453000, 37000}};
	ASSERT(pk_pause_explains(later, 1, hi, arr, slack, &w));
	/* One that began 10 ms after the edge: the kernel had 10 ms to send. */
	struct pk_pause late10[] = {{462000, 28000}};
	ASSERT(!pk_pause_explains(late10, 1, hi, arr, slack, &w));
	/* Ended before the edge, however long: explains nothing (a rule that
	 * took any pause as long as the lateness near the window did). */
	struct pk_pause before[] = {{300000, 150000}};
	ASSERT(!pk_pause_explains(before, 1, hi, arr, slack, &w));
	/* After the packet came: nothing. */
	struct pk_pause after[] = {{491000, 100000}};
	ASSERT(!pk_pause_explains(after, 1, hi, arr, slack, &w));
	/* Two pauses with 1 ms of running between them add up; the one that
	 * covers the most is named. */
	struct pk_pause two[] = {{440000, 32000}, {473000, 17000}};
	ASSERT(pk_pause_explains(two, 2, hi, arr, slack, &w));
	ASSERT_EQ(w.start_us, 440000);
	/* No pause at all, however little the lateness: not explained. */
	ASSERT(!pk_pause_explains(NULL, 0, hi, hi + 1000, slack, &w));
	/* On time or early, with a pause around it: nothing to explain, an
	 * early packet is judged. */
	ASSERT(!pk_pause_explains(cover, 1, hi, hi, slack, &w));
	ASSERT(!pk_pause_explains(cover, 1, hi, hi - 30000, slack, &w));
}
