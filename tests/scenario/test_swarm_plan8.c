/* Plan 8 (sim/swarm.c plan_dev_sock(), side_disconnect(), zc_drain();
 * docs/swarm.md): device-refusal windows on hosts (gt_sim_refuse_host()),
 * aborts by connect(AF_UNSPEC), MSG_ZEROCOPY senders whose completions
 * the application reads and checks, and connect()s to a destination with
 * a path MTU learnt. Seeds from 97300000 (the plan's first run). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "sim/swarm.h"

static void run(uint64_t seed, enum swarm_profile p, uint32_t plan, FILE *trace,
		struct swarm_result *r)
{
	struct swarm_opts o = {.profile = p, .plan = plan, .trace = trace};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* Every host Linux: a window refusing every packet (TcpTxRefused,
 * TcpRetransFail), a client's connect(AF_UNSPEC) (TcpDisconnects, then
 * listen() on the same socket), zerocopy senders with every completion
 * read in order; at plan 7 none of it. (Its first build crashed here: an
 * accepted side's listen() after the disconnect, -EADDRINUSE, left the
 * socket's ring overwritten, docs/swarm.md "Found by plan 8".) */
TEST(swarm_plan_8_adds_refusal_disconnect_zerocopy_linux)
{
	struct swarm_result r;
	run(97300014, SWARM_P_LINUX, 8, NULL, &r);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_GT(r.dims[SWARM_D_DevRefuseAll], 0);
	ASSERT_GT(r.dims[SWARM_D_Disconnect], 0);
	ASSERT_GT(r.dims[SWARM_D_Zerocopy], 0);
	ASSERT_GT(r.stats.TcpTxRefused, 0);
	ASSERT_GT(r.stats.TcpRetransFail, 0);
	ASSERT_GT(r.stats.TcpDisconnects, 0);
	run(97300014, SWARM_P_LINUX, 7, NULL, &r);
	ASSERT_EQ(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_EQ(r.dims[SWARM_D_Disconnect], 0);
	ASSERT_EQ(r.dims[SWARM_D_Zerocopy], 0);
	ASSERT_EQ(r.stats.TcpTxRefused, 0);
	ASSERT_EQ(r.stats.TcpDisconnects, 0);
}

/* Every host FreeBSD: the same seed's refusal (tcp_output() backs SND.NXT
 * out), and connect(AF_UNSPEC) refused with EISCONN on connected sockets
 * (side_disconnect(), counted Disconnect). */
TEST(swarm_plan_8_freebsd_refuses_af_unspec_and_backs_out)
{
	struct swarm_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ASSERT(f != NULL);
	run(97300014, SWARM_P_FREEBSD, 8, f, &r);
	fclose(f);
	ASSERT(strstr(buf, "connect(AF_UNSPEC) = -106") != NULL);
	free(buf);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_GT(r.stats.TcpTxRefused, 0);
	ASSERT_EQ(r.stats.TcpDisconnects, 0);
	ASSERT_GT(r.dims[SWARM_D_Disconnect], 0); /* the refusals */
}

/* Seed 97300635: conn 14's Linux client aborted at 14.386 s while its
 * host's device refused 79% of its packets (13.959-15.682 s); its RST
 * never left, and its server stayed half-open in ESTABLISHED with
 * nothing to send. Explained (half_open_unexplained(): refusing()), not
 * a TCB "freed without an RST". Since Linux's timer wheel (session 34)
 * the seed closes no side half-open, even with exact timers: this keeps
 * it clean only; seed 98650926 in test_swarm_seeds3.c requires the rule
 * (rst-refused). */
TEST(swarm_seed_97300635_rst_refused_at_the_device_leaves_a_half_open)
{
	struct swarm_result r;
	run(97300635, SWARM_P_LINUX, 8, NULL, &r);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
}

/* Seed 97600276: conn 12's FreeBSD client took a SYN cookie's SYN-ACK at
 * 7.220 s and ACKed it while its host's device refused 78% of its
 * packets (4.880-7.796 s); the ACK never left, the listener (cookies, no
 * SYN-ACK retransmitted) never made a TCB, and the client, with nothing
 * to send, stayed in ESTABLISHED. Explained (half_open_unexplained(): its
 * own host refusing between connect() and the last packet it heard),
 * not "nothing dropped or refused it". On the timer wheel (session 34)
 * no side ends half-open: this keeps the seed clean only; test_swarm_
 * seeds3.c requires the rule (own-refused) of it with exact timers and of
 * seed 98654748 as it runs now. */
TEST(swarm_seed_97600276_handshake_ack_refused_at_the_device_leaves_a_half_open)
{
	struct swarm_result r;
	run(97600276, SWARM_P_MIXED, 8, NULL, &r);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_GT(r.dims[SWARM_D_SynCookies], 0);
}

/* Seed 97601359: a Linux sender's segment was refused with nothing in
 * flight (the resource probe armed), the next went out in the same pass
 * with the probe timer still set and so no RTO; a window update ended the
 * probing and the retransmission it sent was refused: data in flight, no
 * timer (the invariant checker). Now new data in flight displaces the
 * probe timer, as Linux's shared timer slot does (tcp_output.c: the
 * transmit loop and tx_blocked_arm()). */
TEST(swarm_seed_97601359_data_sent_after_a_refusal_is_timed_by_the_rto)
{
	struct swarm_result r;
	run(97601359, SWARM_P_MIXED, 8, NULL, &r);
	ASSERT_GT(r.stats.TcpTxRefused, 0);
}

/* Seed 97610686 (found in 97600000-97619999 on 013d544c): a queue
 * overflow on a 296-byte link left eight of the Linux receiver's
 * reassembly contexts with one fragment each; refusing new datagrams
 * while they waited out their 30 s, it dropped every retransmission of a
 * 500-byte segment (sent in two fragments: the path MTU locked at 552)
 * and the sender backed off eight RTOs in a row, twice (goodput 0.009 of
 * the model). The oldest datagram now gives way (src/ip/reasm.c
 * ctx_get(), ReasmEvicted), pinned by tests/dialogue/test_reasm.c's
 * reasm_too_many_datagrams_evicts_the_oldest. Branch h-tso's TSO
 * deferral moved 97610686's course, and no seed of 97610600-97610659
 * evicts a Linux receiver's context (session 36). This runs 97610623,
 * the first of them with an eviction, which is not that case: two
 * FreeBSD hosts whose TCP segments are never fragmented (h1's
 * IpReasmReqds 9 are the swarm's), and the swarm's nine IPv4 first
 * fragments at once to h1 (frag_how() 3, at 6.646 s; plan 2) take its
 * eight contexts and the ninth evicts the first (ReasmEvicted 1 on h1,
 * 8 timed out). It keeps the swarm's fragments reaching an eviction, the
 * seed clean. */
TEST(swarm_seed_97610623_nine_first_fragments_evict_the_oldest)
{
	struct swarm_result r;
	run(97610623, SWARM_P_MIXED, 8, NULL, &r);
	ASSERT_GT(r.stats.ReasmEvicted, 0);
}

/* Seed 97808341 (plan 9, found in seeds 97800000-97809999 on 9107998e):
 * conn 41's FreeBSD client aborted 7 bytes into an IPv6 connection; its
 * RST overtook the data (4.6% reordering), reached the Linux server in
 * the window but not at RCV.NXT and drew a challenge ACK (RFC 5961 3.2).
 * The client's host, its TCB gone, answered the challenge and the data's
 * ACK with RSTs at SEG.ACK, and its device refused both (76% from 3.119 s
 * to 3.243 s): the server, with nothing to send, stayed half-open in
 * ESTABLISHED. Explained (half_open_unexplained(): AU_RX_RST_CHAL and the
 * peer's host refusing), not "its peer's RST arrived and was not taken".
 * On the timer wheel (session 34) no side ends half-open: this keeps the
 * seed clean only; test_swarm_seeds3.c requires the rule
 * (challenge-refused) of it with exact timers. */
TEST(swarm_seed_97808341_challenged_rst_answer_refused_leaves_a_half_open)
{
	struct swarm_result r;
	run(97808341, SWARM_P_MIXED, 9, NULL, &r);
	ASSERT_GT(r.dims[SWARM_D_DevRefuse], 0);
	ASSERT_GT(r.stats.TcpChallengeAcks, 0);
}
