/* pktrun's print in code blocks, as the FreeBSD suite's ecn scripts write
 * it (Python 2's statement, print "{}\t{}".format(tcpi_snd_cwnd, ...)),
 * and the escapes of the runner's string literals: output only, to the
 * log (--verbose), never a verdict; \t \n \\ \" \0 in a call's string as
 * in C ("cubic\0..." with [16] is what getsockopt(TCP_CONGESTION) returns
 * on Linux: the name, NUL-padded to TCP_CA_NAME_MAX). The kernel prints
 * and reads the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define PR_HEAD "`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n" PK_ACCEPTED_HEAD

/* Lines 10 on. */
static const char print_script[] = PR_HEAD
	"+0 %{ print \"cwnd\\twnd \\tNXT\" }%\n"
	"+0 %{ print \"{}\\t{}|{1}{{}}\".format(tcpi_snd_cwnd, 2 * 3) }%\n"
	"+0 %{ print 'a\\'b', \"c\\\\d\\\"e\", tcpi_no_such_name }%\n"
	"+0 %{ print(\"x{}\".format(tcpi_snd_cwnd + 1)) }%\n"
	"+0 getsockopt(4, IPPROTO_TCP, TCP_CONGESTION, \"cubic\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\", [16]) = 0\n";

/* The log in a file, not memory: the kernel back-end's child writes it. */
static struct pk_result run_logged(const char *text, bool kernel, char **log, size_t *loglen)
{
	FILE *f = tmpfile();
	ASSERT(f != NULL);
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel, .log = f};
	struct pk_result r = pk_test_run(text, "print.pkt", opt, "");
	fflush(f);
	long end = ftell(f);
	*loglen = end > 0 ? (size_t)end : 0;
	*log = calloc(1, *loglen + 1);
	ASSERT(*log != NULL);
	rewind(f);
	*loglen = fread(*log, 1, *loglen, f);
	fclose(f);
	return r;
}

static void check_printed(const char *log)
{
	ASSERT(strstr(log, "code block: print: cwnd\twnd \tNXT\n") != NULL);
	ASSERT(strstr(log, "code block: print: 10\t6|6{}\n") != NULL);
	ASSERT(strstr(log, "code block: print: a'b c\\d\"e tcpi_no_such_name\n") != NULL);
	ASSERT(strstr(log, "code block: print: x11\n") != NULL);
}

TEST(pktrun_print_statement_and_escapes)
{
	char *log = NULL;
	size_t n = 0;
	struct pk_result r = run_logged(print_script, false, &log, &n);
	ASSERT_EQ(r.verdict, PK_PASS);
	check_printed(log);
	free(log);
	/* Five NULs short of [16]: the script's own error, as packetdrill's. */
	r = run_logged(PR_HEAD "+0 getsockopt(4, IPPROTO_TCP, TCP_CONGESTION, \"cubic\\0\\0\\0\\0\\0\\0\", [16]) = 0\n",
		       false, &log, &n);
	free(log);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 10);
}

TEST(pktrun_kernel_print_statement_and_escapes)
{
	char *log = NULL;
	size_t n = 0;
	struct pk_result r = run_logged(print_script, true, &log, &n);
	if (r.verdict == PK_SKIP) {
		free(log);
		SKIP("%s", r.why);
	}
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	check_printed(log);
	free(log);
}
