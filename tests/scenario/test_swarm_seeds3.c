/* Seeds the swarm's session-35, -36 and -37 runs kept (issue 15;
 * docs/swarm.md, "Session 35's new seeds" and "Session 36's"): each runs at the plan version it was found at
 * and must stay clean, and must still reach the rule it was kept for:
 * half_open_unexplained()'s rule (enum swarm_half_open_rule, listed with
 * the side), so that a seed whose course moved off its rule fails here
 * instead of passing unseen, as 97300635 and 97808341
 * (test_swarm_plan8.c) did. */
#include "harness.h"

#include "sim/swarm.h"
#include "swarm_check.h"

/* Runs seed at plan (profile p; the Linux profile's timers off its timer
 * wheel where exact, as before session 34), clean, where conn's client
 * (or server) was closed half-open and explained by rule. A failure names
 * file and line. */
static void check_half_open_rule(uint64_t seed, uint32_t plan, enum swarm_profile p, bool exact,
				 unsigned conn, bool client, int rule, const char *file, int line)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = plan, .profile = p, .exact_timers = exact};
	if (!swarm_run(seed, &o, &r)) {
		gt_test_fail(file, line, "seed %llu (plan %u): %s", (unsigned long long)seed, plan,
			     r.why);
		return;
	}
	for (uint32_t i = 0; i < r.nlisted; i++)
		if (r.listed[i].conn == conn && r.listed[i].client == client &&
		    r.listed[i].half_open == rule)
			return;
	gt_test_fail(file, line, "seed %llu (plan %u): conn %u %s not closed half-open by rule %s "
		     "(%u sides by it)", (unsigned long long)seed, plan, conn,
		     client ? "client" : "server", swarm_half_open_rule_name(rule),
		     r.half_open_by[rule]);
}

/* Runs seed at plan (profile p, exact timers where exact) and requires it
 * clean: a kept seed whose course left the rule it was found for. */
static void check_clean(uint64_t seed, uint32_t plan, enum swarm_profile p, bool exact,
			const char *file, int line)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = plan, .profile = p, .exact_timers = exact};
	if (!swarm_run(seed, &o, &r))
		gt_test_fail(file, line, "seed %llu (plan %u): %s", (unsigned long long)seed, plan,
			     r.why);
}

/* Seed 98650926 (plan 8, found in 98650000-98650999 with the rule taken
 * out): conn 0's Linux client (h1) aborts at 15.184 s (close() under
 * SO_LINGER {1, 0}, then connect(AF_UNSPEC)) while its host's device
 * refuses 59.5% of its packets (14.734-17.323 s); its RST is refused and
 * tcp_send_active_reset() does not try again, so the FreeBSD server (h0),
 * its 54,673 bytes all acknowledged and nothing to send, stays half-open
 * in ESTABLISHED until the application's timeout. Explained by the rule
 * seed 97300635 was kept for (the peer's host refused a packet of the
 * tuple as its TCB ended: rst-refused), which 97300635 no longer reaches
 * (session 34's timer wheel moved its course): this test takes over
 * test_swarm_plan8.c's swarm_seed_97300635_rst_refused_at_the_device_leaves_a_half_open. */
TEST(swarm_seed_98650926_abort_rst_refused_at_the_device_leaves_a_half_open)
{
	check_half_open_rule(98650926, 8, SWARM_P_MIXED, false, 0, false, SWARM_HO_RST_REFUSED, __FILE__,
			     __LINE__);
}

/* Seed 98650588 (plan 8, found in the same range the same way): conn 8's
 * Linux client (h3) closes with 43 bytes unread at 3.459 s, so
 * tcp_close() resets the connection (RFC 2525 2.17: TcpAbortOnClose), and
 * its host's device refuses every packet (2.592-3.772 s): the RST never
 * leaves, and the Linux server (h1), with nothing to send, stays
 * half-open in ESTABLISHED. The same rule by the other path that ends a
 * TCB with an RST. */
TEST(swarm_seed_98650588_unread_close_rst_refused_at_the_device_leaves_a_half_open)
{
	check_half_open_rule(98650588, 8, SWARM_P_MIXED, false, 8, false, SWARM_HO_RST_REFUSED, __FILE__,
			     __LINE__);
}

/* Seed 97808341 (plan 9; test_swarm_plan8.c's
 * swarm_seed_97808341_challenged_rst_answer_refused_leaves_a_half_open,
 * which only requires it clean): with the Linux profile's timers on
 * Linux's timer wheel (session 34) its course moved and no side is closed
 * half-open, so the rule it was kept for (challenge-refused: conn 41's
 * FreeBSD client's abort RST overtook its data and drew the Linux
 * server's challenge ACK, and its host's device refused the RSTs that
 * answered the challenge and the data's ACK) went unguarded. It replayed
 * with exact timers, as found, until branch h-rtt: the Linux profile's
 * RTT samples in Linux's order (cfg.rtt_exact_first) moved its course
 * with exact timers too, and no side is closed half-open. It stays as a
 * clean seed. On today's timers 98695029 (below) reaches the rule's first
 * half (the peer's host refusing the answers), 98900729 and 98676325
 * (below) its second half (this side's host refusing its challenge ACK). */
TEST(swarm_seed_97808341_exact_timers_challenge_answer_refused_stays_clean)
{
	check_clean(97808341, 9, SWARM_P_MIXED, true, __FILE__, __LINE__);
}

/* Seed 97600276 (plan 8; test_swarm_plan8.c's
 * swarm_seed_97600276_handshake_ack_refused_at_the_device_leaves_a_half_open,
 * which requires it clean with refusals and cookies): likewise, on
 * today's timers no side is closed half-open. With exact timers conn 12's
 * FreeBSD client's handshake ACK to a SYN cookie is refused at its
 * host's device, the listener never makes a TCB, and the client waits in
 * ESTABLISHED: own-refused, the rule it was kept for. */
TEST(swarm_seed_97600276_exact_timers_handshake_ack_refused_leaves_a_half_open)
{
	check_half_open_rule(97600276, 8, SWARM_P_MIXED, true, 12, true, SWARM_HO_OWN_REFUSED,
			     __FILE__, __LINE__);
}

/* Seed 98661820 of the lowat-trickle workload (plan 14; found in
 * 98661000-98661999 --workload lowat-trickle): conn 0's FreeBSD client
 * trickles a byte every 70 ms, nothing lost; its byte at 4,829.150 s is
 * held on h1 -> h0 by a delay spike (3.0% of packets held 0.3-2 s), the
 * RTO fires at 4,829.423 s, and the liveness check 5.8 ms later found the
 * timer backed off once and the trickle not excused ("not finished 4800 s
 * after the heal"). lowat_trickle() now lets a backoff pass where every
 * copy of the segment is still on the links (trickle_copies_held(): the
 * original and the retransmission, 2 > backoff 1): the server's
 * application closes by its timeout, lowat-trickle. */
TEST(swarm_seed_98661820_trickle_byte_held_by_a_delay_spike_past_the_rto)
{
	struct swarm_opts o = {.plan = 14, .workload = SWARM_W_LOWAT_TRICKLE};
	swarm_check_side_verdict(98661820, &o, 0, false, SWARM_V_LOWAT_TRICKLE, true, __FILE__,
				 __LINE__);
}

/* Seed 98046347 (plan 14; found in 98046000-98046999): conn 154's
 * FreeBSD client (h1) aborts at 20.144 s with 7-byte segments in flight,
 * and its RST (seq 1024420101) overtakes one of them (5.6% reordering
 * h1 -> h0). The FreeBSD server (h0) finds it in the window but not at
 * the ACK it last sent (tcp_do_segment(): RFC 5961 3.2, a challenge ACK,
 * tcp_send_challenge_ack()), and its own device refuses every packet
 * (19.521-21.413 s): the challenge ACK and the ACKs after it never leave,
 * so the client's host, its TCB gone, never answers with an RST, and the
 * server, with nothing to send, stays half-open in ESTABLISHED. The
 * challenge-refused rule took only the peer's host refusing the answers
 * (seed 97808341); it takes this side's host refusing its own packets
 * after the peer ended too ("its peer's RST arrived and was not taken"
 * before). Branch h-rtt's FreeBSD estimator (tcp_xmit_timer() in ticks,
 * cfg.rtt_bsd) moved its course: no side is closed half-open. It stays as
 * a clean seed; 98900729 below takes the rule over. */
TEST(swarm_seed_98046347_challenge_ack_refused_at_its_own_device_stays_clean)
{
	check_clean(98046347, 14, SWARM_P_MIXED, false, __FILE__, __LINE__);
}

/* Seed 98900729 (plan 14; found in 98900000-98900999 with --list-verdicts,
 * branch h-rtt): conn 59's Linux client (h2) aborts at 2.689 s with 1,004
 * bytes unsent and segments in flight, and its RST (seq 3550641991)
 * overtakes them (7.5% reordering h2 -> h0). The FreeBSD server (h0)
 * answers it with a challenge ACK at the ACK it last sent (3550637079),
 * while its own device refuses 61.6% of its packets (1.126-3.130 s): the
 * ACK of the late data (3550641991) is refused, and the client's host,
 * its TCB gone, answers the challenge with RSTs at 3550637079, which
 * arrive below the RCV.NXT the late data moved and are not taken. The
 * server, with nothing to send, stays half-open in ESTABLISHED until the
 * application's timeout (610.8 s): challenge-refused, which 98046347 and
 * 97808341 (exact timers) reached until branch h-rtt. */
/* Session 37: FreeBSD's t_rxtcur kept backed off after a timeout (rto_fire(),
 * h-bsd's patch 02) moved its course: no side is closed half-open. It stays
 * as a clean seed; 98676325 (its own host refusing) and 98702979 (the
 * peer's host refusing) below keep the rule. */
TEST(swarm_seed_98900729_challenge_answer_refused_stays_clean)
{
	check_clean(98900729, 14, SWARM_P_MIXED, false, __FILE__, __LINE__);
}

/* Seed 98656245 (plan 8, found in 98656000-98656999 with --list-verdicts
 * on today's timers): conn 0's FreeBSD server (h3) aborts at 1.743 s; its
 * RST reaches the FreeBSD client (h1) at 1.764 s and draws a challenge
 * ACK, and h3's device (38.8%, 0.628-3.332 s) refuses the RSTs its host
 * answers with, its TCB gone: the client, with nothing to send, stays
 * half-open in ESTABLISHED. challenge-refused, the rule 97808341 was kept
 * for, on the timers of the tree it was found on (44e7b761). The Linux
 * profile's TSO deferral (merged after, a0505a5c) moved the seed's course:
 * conn 0 is accepted at 2.519 s, not 1.518 s, and the client learns of
 * the abort at 47.652 s (ECONNRESET), no side half-open. It stays as a
 * clean seed; the rule stays required by 98695029 (session 36, plan 14,
 * every host FreeBSD) and, its own host refusing, by 98900729 and
 * 98676325 (session 36; 97808341 and 98046347, above, lost it to branch
 * h-rtt's RTT sampling). */
TEST(swarm_seed_98656245_challenged_rst_answer_refused_stays_clean)
{
	check_clean(98656245, 8, SWARM_P_MIXED, false, __FILE__, __LINE__);
}

/* Seed 98676325 (plan 8, found in 98676000-98676999 with --list-verdicts
 * on session 36's tree, ec98cb57): conn 13's FreeBSD client (h3) sends
 * one byte with its handshake ACK and aborts at once (3.359 s, SO_LINGER
 * {1, 0} then connect(AF_UNSPEC)); its RST, one above the byte, overtakes
 * it on h3 -> h0 (16.1 ms jitter) and reaches the FreeBSD server (h0),
 * established 3.4 ms before, in the window but not at RCV.NXT: a
 * challenge ACK (tcp_do_segment(): RFC 5961 3.2), refused at h0's own
 * device (41.0%, 2.743-3.953 s), and so is the byte's delayed ACK at
 * 3.423 s. The client's host, its TCB gone, never hears a segment to
 * answer with an RST, and the server, with nothing to send, stays
 * half-open in ESTABLISHED until the application's timeout at 608.8 s.
 * challenge-refused on today's timers, its own host refusing as
 * 98046347's did (98656245, the peer's host refusing, lost it: above). */
TEST(swarm_seed_98676325_challenge_ack_to_an_abort_refused_at_its_own_device)
{
	check_half_open_rule(98676325, 8, SWARM_P_MIXED, false, 13, false,
			     SWARM_HO_CHALLENGE_REFUSED, __FILE__, __LINE__);
}

/* Seed 98695029 (plan 14, --profile freebsd, found by h-swarm in
 * 98695000-98695999 with --list-verdicts on ec98cb57): conn 69's FreeBSD
 * server (h0) aborted at 9.380 s with 244 bytes just sent that never
 * arrived, so its RST reached the FreeBSD client (h2) 244 above RCV.NXT
 * and drew a challenge ACK; h0, its TCB gone, answered with an RST that
 * its device refused, and the client stayed half-open: challenge-refused
 * by its first half, the peer's host refusing the answer. Branch h-rtt's
 * RTT sampling (merged the same session) moved its course off the rule:
 * kept as a clean seed; 98702979 (below) takes the first half over. */
TEST(swarm_seed_98695029_challenged_abort_answer_refused_stays_clean)
{
	check_clean(98695029, 14, SWARM_P_FREEBSD, false, __FILE__, __LINE__);
}

/* Seed 98702979 (plan 14, --profile freebsd, found in 98701000-98703999
 * with --list-verdicts after h-rtt's merge): conn 16's FreeBSD server
 * (h0) aborts at 14.393 s (SO_LINGER {1, 0}, connect(AF_UNSPEC)); its RST
 * draws the FreeBSD client's (h1) challenge ACK, and h0's host, its TCB
 * gone, answers with RSTs its device refuses (every packet, 14.417-16.574
 * s): the client, with nothing to send, stays half-open until the
 * application's timeout. challenge-refused by its first half, the peer's
 * host refusing the answers, on today's timers. */
TEST(swarm_seed_98702979_challenged_abort_answer_refused_at_the_peers_device)
{
	check_half_open_rule(98702979, 14, SWARM_P_FREEBSD, false, 16, true,
			     SWARM_HO_CHALLENGE_REFUSED, __FILE__, __LINE__);
}

/* Seed 98654748 (plan 8, found in 98654000-98654999 the same way): conn
 * 9's FreeBSD client (h0) takes the FreeBSD listener's SYN-ACK at 2.583 s
 * and its ACK is refused at its own device (62.1%, 2.409-2.593 s); the
 * listener never makes a TCB, and the client, with nothing to send,
 * waits in ESTABLISHED. own-refused, the rule 97600276 was kept for, on
 * today's timers: took over test_swarm_plan8.c's
 * swarm_seed_97600276_handshake_ack_refused_at_the_device_leaves_a_half_open.
 * Branch h-rtt's FreeBSD estimator (tcp_xmit_timer() in ticks) moved its
 * course: no side is closed half-open. It stays as a clean seed; the rule
 * stays required by 97600276 with exact timers (above). No plan-8 seed of
 * 98902000-98904499 reached own-refused on today's timers (--list-verdicts). */
TEST(swarm_seed_98654748_handshake_ack_refused_at_the_device_stays_clean)
{
	check_clean(98654748, 8, SWARM_P_MIXED, false, __FILE__, __LINE__);
}

/* Seed 98684857 (plan 8, found in 98684000-98684999 on session 36's
 * tree): conn 1's FreeBSD TFO client (h1) writes its 133,538 bytes and
 * closes at 17.6 s; its TCB, an orphan, sends the rest to a Linux server
 * (h0) whose listener set TCP_MAXSEG 88. The server offers 88 bytes
 * (its rcv_ssthresh, never grown by segments under 128 bytes), the
 * client's t_maxseg is 216 (V_tcp_minmss), so it sends 88 bytes a
 * persist probe, every 5 s: 41,660 bytes still unread when liveness
 * failed it, 4,776 s after the heal ("not finished"). sliver_window()
 * asked only a sender with its socket open; it now asks the orphan's
 * TCB (orphan_info()), and the server is closed by the application's
 * timeout: sliver-window. */
TEST(swarm_seed_98684857_orphan_sender_behind_a_linux_sliver_window)
{
	struct swarm_opts o = {.plan = 8};
	swarm_check_side_verdict(98684857, &o, 1, false, SWARM_V_SLIVER_WINDOW, true, __FILE__,
				 __LINE__);
}

/* Session 37: the peer's RSTs each by its fate (rst_fates(), which took
 * over rst-not-taken, a rule any loss on the connection satisfied). */

/* Seed 98704003 (plan 8, in 98704000-98704999 with --list-verdicts):
 * conn 4's Linux server (h0) aborts at 121.925 s with 1,086 of its bytes
 * sent; its RST overtakes the last 42 and draws the Linux client's (h3)
 * challenge ACK, and h0, its TCB gone, answers that and the client's
 * other ACKs with RSTs at their SEG.ACK (RFC 9293 3.10.7.1): three arrive
 * below the client's RCV.NXT, outside the window, and the fourth is
 * corrupted on the link; the ACK of the 42 bytes, whose answer would
 * have been at RCV.NXT, is lost. The client waits in ESTABLISHED:
 * rst-out-of-window. The corrupted RST counts as lost by the packet as
 * sent (on_tap(): a bit flipped in its flags or IP header hid it, and it
 * was neither lost nor delivered: "its peer's RSTs not all lost or
 * refused" without that). After the merges of session 37 (h-lxrtt's RTT
 * samples without SACK, h-bsd's backed-off t_rxtcur) conn 4 ends
 * otherwise; the seed stays as a clean one and 98706152 (below) keeps
 * rst-out-of-window. */
TEST(swarm_seed_98704003_answers_to_a_challenge_outside_the_window_stays_clean)
{
	check_clean(98704003, 8, SWARM_P_MIXED, false, __FILE__, __LINE__);
}

/* Seed 98706152 (plan 8, 98706000-98707999 with --list-verdicts on the
 * merged tree of session 37): conn 14's FreeBSD server (h2) closes with
 * a 10 s linger while the Linux client's (h1) window holds its data back;
 * the byte of its persist probe (1560763808) reaches h1, which takes it
 * (ACK 1560763809, not heard by h2), and when the linger ends at 19.854 s
 * h2 aborts with an RST at 1560763808, one below the client's RCV.NXT:
 * outside the window, not taken. The client waits in FIN_WAIT_2 until
 * 88.5 s: rst-out-of-window. */
TEST(swarm_seed_98706152_linger_abort_rst_below_rcv_nxt)
{
	check_half_open_rule(98706152, 8, SWARM_P_MIXED, false, 14, true,
			     SWARM_HO_RST_OUT_OF_WINDOW, __FILE__, __LINE__);
}

/* Seed 98704094 (plan 8, the same range): conn 7's FreeBSD TFO client
 * (h0) gives up on its retransmissions at 74.085 s and sends an RST one
 * above the Linux server's (h3) RCV.NXT (its one byte never arrived): in
 * the window, not at RCV.NXT, so the server answers with a challenge ACK
 * (RFC 5961 3.2), which the link loses; nothing else of the tuple
 * reaches h0, and the server, with nothing to send, waits:
 * rst-challenge-lost, the rule it was kept for. After the merges of
 * session 37 conn 7 ends otherwise; the seed stays as a clean one and 98706441 (below) keeps rst-challenge-lost. */
TEST(swarm_seed_98704094_challenge_ack_to_a_give_up_rst_stays_clean)
{
	check_clean(98704094, 8, SWARM_P_MIXED, false, __FILE__, __LINE__);
}

/* Seed 98706441 (plan 8, the same range): conn 8's FreeBSD server (h2)
 * drops the connection at its keepalive limit at 86.123 s and tcp_drop()
 * sends an RST at 3632456667, above the FreeBSD client's (h0) RCV.NXT
 * (3632438771) but in its window, so h0 answers with a challenge ACK (RFC
 * 5961 3.2), which the link loses; the client, with nothing to send,
 * waits in ESTABLISHED until its application's timeout (1642.9 s):
 * rst-challenge-lost. */
TEST(swarm_seed_98706441_keepalive_drop_rst_challenge_lost)
{
	check_half_open_rule(98706441, 8, SWARM_P_MIXED, false, 8, true,
			     SWARM_HO_RST_CHALLENGE_LOST, __FILE__, __LINE__);
}

/* Seed 98705480 (plan 8, --profile linux, in 98705000-98705499): conn 1's
 * Linux client (h0) aborts at 2.235 s with data still in flight; its RST
 * reaches the Linux server (h1) in the window above RCV.NXT, and the
 * challenge ACK is held by Linux's rate limit (TcpAckSkipped or
 * TcpChallengeAckLimited); the RSTs h0 sends later from no TCB are lost
 * or fall outside the window: rst-challenge-held. */
TEST(swarm_seed_98705480_challenge_ack_to_an_abort_rate_limited)
{
	check_half_open_rule(98705480, 8, SWARM_P_LINUX, false, 1, false,
			     SWARM_HO_RST_CHALLENGE_HELD, __FILE__, __LINE__);
}

/* Seed 98704021 (plan 8, 98704000-98704999): conn 1's FreeBSD client (h2),
 * in CLOSE_WAIT, gives up on its retransmissions at 410.194 s (backoff
 * 12) and tcp_drop() sends one RST, which the link loses; the FreeBSD
 * server (h0) waits in FIN_WAIT_2 with nothing to send: rst-lost. */
TEST(swarm_seed_98704021_rst_lost_on_the_link)
{
	check_half_open_rule(98704021, 8, SWARM_P_MIXED, false, 1, false, SWARM_HO_RST_LOST,
			     __FILE__, __LINE__);
}

/* own-refused on today's timers: no plan-8 seed of session 36's or 37's
 * ranges reached it (97600276 only with exact timers, above), so the
 * workload shape own-refused makes it (shape_own_refused(): SYN cookies
 * for every SYN, a client with nothing to send on a path that loses
 * nothing, its host's device refusing every packet around the SYN-ACK's
 * arrival, so the handshake's ACK never leaves). 1,000 of 1,000 seeds
 * reach it under each profile (98730000-98730999); seed 98730000 keeps it
 * for each, the client half-open in ESTABLISHED. */
static void check_own_refused(uint64_t seed, enum swarm_profile p, const char *file, int line)
{
	struct swarm_result r;
	struct swarm_opts o = {.plan = SWARM_PLAN, .profile = p, .workload = SWARM_W_OWN_REFUSED};
	if (!swarm_run(seed, &o, &r)) {
		gt_test_fail(file, line, "seed %llu: %s", (unsigned long long)seed, r.why);
		return;
	}
	if (r.nlisted < 1 || r.listed[0].conn != 0 || !r.listed[0].client ||
	    r.listed[0].half_open != SWARM_HO_OWN_REFUSED || r.half_open_by[SWARM_HO_OWN_REFUSED] != 1)
		gt_test_fail(file, line, "seed %llu: conn 0's client not closed half-open by "
			     "own-refused (%u sides by it)", (unsigned long long)seed,
			     r.half_open_by[SWARM_HO_OWN_REFUSED]);
}

TEST(swarm_workload_own_refused_seed_98730000_linux_handshake_ack_refused)
{
	check_own_refused(98730000, SWARM_P_LINUX, __FILE__, __LINE__);
}

TEST(swarm_workload_own_refused_seed_98730000_freebsd_handshake_ack_refused)
{
	check_own_refused(98730000, SWARM_P_FREEBSD, __FILE__, __LINE__);
}

/* Seed 98705134 (plan 8, --profile linux, in 98705000-98705499; failing
 * on main's 8c166411 too): conn 16's Linux server (h2) sends a 500-byte
 * segment over h2 -> h0, MTU 296, as two IPv4 fragments, and the link
 * corrupts both (4.0%); the two flipped bits cancel in the TCP checksum
 * (RFC 1071's ones' complement sum), so h0 takes the segment and its
 * application reads byte 5175 one bit off (0x6b for 0x6a): "byte 5175 is
 * wrong". TCP cannot tell; the swarm now counts such a datagram for the
 * side it reached (csum_blind) and, after one, logs a wrong byte and no
 * longer checks that stream. */
TEST(swarm_seed_98705134_two_corrupted_fragments_pass_the_tcp_checksum)
{
	check_clean(98705134, 8, SWARM_P_LINUX, false, __FILE__, __LINE__);
}
