/* Script pieces and helpers the pktrun unit tests share. */
#ifndef GT_TEST_PKTRUN_H
#define GT_TEST_PKTRUN_H

/* A listener's handshake whose ACK comes rtt (a script time such as ".01")
 * after the SYN-ACK, the connection at fd 4 (lines 1-8). */
#define PK_ACCEPTED_HEAD_RTT(rtt) \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" \
	"+0 bind(3, ..., ...) = 0\n" \
	"+0 listen(3, 1) = 0\n" \
	"+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n" \
	"+0 > S. 0:0(0) ack 1 <...>\n" \
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

#endif
