/* Plan 7 (sim/swarm.c plan_tfo(), tfo_open(), probe_tfo_cache();
 * docs/swarm.md): workload connections that open with TCP Fast Open
 * (RFC 7413) against Linux listeners with a TFO queue, under the swarm's
 * loss, reordering, partitions and pauses, every byte checked; and the
 * probe's cookie requests to more addresses than a client's cache holds.
 * Seeds from 96320000 (the plan's first run). */
#include "harness.h"

#include "sim/swarm.h"

static void run(uint64_t seed, enum swarm_profile p, uint32_t plan, struct swarm_result *r)
{
	struct swarm_opts o = {.profile = p, .plan = plan};
	if (!swarm_run(seed, &o, r))
		gt_test_fail(__FILE__, __LINE__, "seed %llu: %s", (unsigned long long)seed, r->why);
}

/* All hosts Linux: cookie requests, then SYN data acknowledged
 * (TcpFastOpenActive) and some not (TcpFastOpenActiveFail, the rest
 * resent at once), the probe's 34 requests past the 32-peer cache
 * (TcpFastOpenCacheEvicted). At plan 6 the seed draws none of it. */
TEST(swarm_tfo_linux_clients_cookies_then_syn_data)
{
	struct swarm_result r;
	run(96320072, SWARM_P_LINUX, 7, &r);
	ASSERT_GT(r.dims[SWARM_D_TfoClient], 0);
	ASSERT_EQ(r.dims[SWARM_D_TfoCache], 1);
	ASSERT_GT(r.stats.TcpFastOpenActive, 0);
	ASSERT_GT(r.stats.TcpFastOpenActiveFail, 0);
	ASSERT_GT(r.stats.TcpFastOpenCacheEvicted, 0);
	run(96320072, SWARM_P_LINUX, 6, &r);
	ASSERT_EQ(r.dims[SWARM_D_TfoClient], 0);
	ASSERT_EQ(r.dims[SWARM_D_TfoCache], 0);
	ASSERT_EQ(r.stats.TcpFastOpenActive, 0);
	ASSERT_EQ(r.stats.TcpFastOpenCacheEvicted, 0);
}

/* Mixed hosts: FreeBSD clients (TCP_FASTOPEN, sendto() with the address)
 * against Linux listeners, the SYN carrying a cached cookie and data. */
TEST(swarm_tfo_freebsd_clients_to_linux_listeners)
{
	struct swarm_result r;
	run(96321003, SWARM_P_MIXED, 7, &r);
	ASSERT_GT(r.dims[SWARM_D_TfoClient], 0);
	ASSERT_GT(r.stats.TcpFastOpenPassive, 0);
}

/* Seed 96320524: conn 200's SYN data made a TFO child, accepted before
 * the handshake's end, whose application aborted it; the RST reached the
 * client in SYN-SENT: ECONNREFUSED, judged peer-app-abort (judge()). */
TEST(swarm_tfo_seed_96320524_child_aborted_before_the_handshake)
{
	struct swarm_result r;
	run(96320524, SWARM_P_LINUX, 7, &r);
	ASSERT_GT(r.dims[SWARM_D_TfoClient], 0);
}

/* Seed 96320556: conn 101's TCP_FASTOPEN_CONNECT deferred its SYN (a
 * cookie cached); its host, at its buffer limit, put none of the first
 * write in the SYN, and the write said EINPROGRESS, as Linux's
 * tcp_sendmsg_locked() does where copied_syn is 0: the application waits
 * for POLLOUT (write_burst()). */
TEST(swarm_tfo_seed_96320556_deferred_syn_took_no_data)
{
	struct swarm_result r;
	run(96320556, SWARM_P_LINUX, 7, &r);
	ASSERT_GT(r.dims[SWARM_D_TfoClient], 0);
}

/* Seed 96326343 (96326400 until the Linux profile's tcp_rmem[2] became
 * 32 MiB, which moved that seed's world): a blind attacker's bare SYN
 * (inject_hostile()) to conn 13's TFO client in SYN-SENT, its SYN's data in flight. Since session 32
 * that is the simultaneous open Linux makes of it (docs/fastopen.md):
 * SYN_RECEIVED, a SYN-ACK to the attacker's ISN without data, counted
 * (TcpFastOpenSimOpen). The real server's SYN-ACK, at another ISN, draws a
 * challenge ACK, which the server (its own SYN_RECEIVED) answers with an
 * RST at the attacker's sequence, in the window: the client's connect()
 * fails, ECONNRESET as Linux's tcp_reset() gives in SYN_RECV. The seed
 * stays clean, the client judged hostile-simopen. From session 27 to 31 the crossing SYN was dropped
 * (TcpFastOpenSimOpenDropped, now the FreeBSD profile's alone) and the
 * open completed; before, its SYN_RECEIVED broke the invariant (SND.UNA
 * past ISS, data queued), here and in 96323937, 96325507 and 96326400. */
TEST(swarm_tfo_seed_96326343_hostile_syn_to_a_syn_data_client_simultaneous_open)
{
	struct swarm_result r;
	run(96326343, SWARM_P_LINUX, 7, &r);
	ASSERT_GT(r.dims[SWARM_D_TfoClient], 0);
	ASSERT_GT(r.stats.TcpFastOpenSimOpen, 0);
	ASSERT_EQ(r.stats.TcpFastOpenSimOpenDropped, 0);
	ASSERT_GT(r.stats.TcpAttemptFails, 0);
	/* The client's end, judged by the attack (hostile_simopen_ended();
	 * peer-gave-up before). */
	ASSERT_EQ(r.verdicts[SWARM_V_HOSTILE_SIMOPEN], 1);
}

/* Seed 97836966 (plan 11, mixed hosts): conn 7's FreeBSD client opens
 * with TCP_FASTOPEN and sendto() of 11,435 B while its host's buffer
 * budget refuses the send ring (TcpBufLimit): the call fails with ENOBUFS
 * before any SYN (tcp_user_fastopen_send_bsd(): FreeBSD's tcp_usr_send()
 * queues the write before tcp_connect()), judged own-limit. Until then
 * (session 33) the SYN left and the call said EAGAIN, so the application
 * closed a connection its peer later accepted (an "unknown peer"). The
 * seed was 97831965 (conn 14) until the Linux profile's TSO deferral
 * (lx_tso_defer(), branch h-tso) moved that seed's shared course: its
 * TFO sendto() is no longer refused there (TcpBufLimit 0); 97836966 has
 * the event with and without the deferral. */
TEST(swarm_tfo_bsd_client_over_budget_sends_no_syn)
{
	struct swarm_opts o = {.plan = 11};
	struct swarm_result r;
	if (!swarm_run(97836966, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "seed 97836966: %s", r.why);
	ASSERT_GT(r.dims[SWARM_D_TfoClient], 0);
	ASSERT_GT(r.stats.TcpBufLimit, 0);
}
