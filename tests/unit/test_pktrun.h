/* Script pieces and helpers the pktrun unit tests share. */
#ifndef GT_TEST_PKTRUN_H
#define GT_TEST_PKTRUN_H

#include <stdio.h>
#include <string.h>

#include "pktrun/pktrun.h"

/* A listener's SYN and its SYN-ACK at 0 s (lines 1-6). */
#define PK_SYNACK_HEAD \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" \
	"+0 bind(3, ..., ...) = 0\n" \
	"+0 listen(3, 1) = 0\n" \
	"+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n" \
	"+0 > S. 0:0(0) ack 1 <...>\n"

/* A listener's handshake whose ACK comes rtt (a script time such as ".01")
 * after the SYN-ACK, the connection at fd 4 (lines 1-8). */
#define PK_ACCEPTED_HEAD_RTT(rtt) \
	PK_SYNACK_HEAD \
	"+" rtt " < . 1:1(0) ack 1 win 257\n" \
	"+0 accept(3, ..., ...) = 4\n"
#define PK_ACCEPTED_HEAD PK_ACCEPTED_HEAD_RTT(".01")

/* A kernel test whose runner the machine delayed on its own (stalled, a
 * runner note, non-empty) is skipped, never passed. */
#define SKIP_IF_STALLED(stalled)                                                                   \
	do {                                                                                       \
		if ((stalled)[0])                                                                  \
			SKIP("the machine delayed the runner on its own, no stall asked: %s", (stalled)); \
	} while (0)

/* A listener's handshake with timestamps (TS val base 100 on the SYN-ACK),
 * the connection at fd 4, then a 10-byte write 200 ms after the SYN-ACK
 * (lines 1-9): for the tests of how TS vals and ecrs are judged. */
#define PK_TS_ACCEPTED_WRITE_HEAD                                                                        \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                                   \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"                                        \
	"+0 bind(3, ..., ...) = 0\n"                                                                      \
	"+0 listen(3, 1) = 0\n"                                                                           \
	"+0 < S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0>\n"                         \
	"+0 > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 1>\n"                \
	"+.1 < . 1:1(0) ack 1 win 1026 <nop,nop,TS val 2 ecr 100>\n"                                      \
	"+0 accept(3, ..., ...) = 4\n"                                                                    \
	"+.1 write(4, ..., 10) = 10\n"

/* A kernel test's verdict: skipped where the kernel half cannot run, or
 * where the machine delayed the runner on its own; else it must pass. */
#define ASSERT_KERNEL_PASS(r)                                                                      \
	do {                                                                                       \
		if ((r).verdict == PK_SKIP)                                                        \
			SKIP("%s", (r).why);                                                       \
		if ((r).verdict != PK_PASS)                                                        \
			SKIP_IF_STALLED((r).runner_note);                                          \
		ASSERT_EQ((r).verdict, PK_PASS);                                                   \
	} while (0)

/* Runs a script's text (file: its name in messages) as opt says, on the
 * kernel with opt.kernel; a verdict other than PASS goes to stderr with its
 * line and why, after the back-end's name and label (a case's own words,
 * or ""). */
static inline struct pk_result pk_test_run(const char *text, const char *file, struct pk_options opt,
					   const char *label)
{
	struct pk_result res;
	pk_run_text(text, strlen(text), file, NULL, &opt, &res);
	if (res.verdict != PK_PASS)
		fprintf(stderr, "  %s%s line %d: %s: %s\n", opt.kernel ? "kernel" : "glasstcp", label, res.line,
			pk_verdict_name(res.verdict), res.why);
	return res;
}

#endif
