/* Plan 6's probe (sim/swarm.c inject_probe(), docs/swarm.md): listeners of
 * the swarm's own visited by SYNs the application node crafts, so that the
 * features no connection of the workload uses (TCP Fast Open's server,
 * TCP_DEFER_ACCEPT, TCP-MD5, IP_LOCAL_PORT_RANGE, a simultaneous open, TCP
 * over UDP) move
 * their counters, and the seed stays clean. Seeds from 96301000 (issue 15's
 * coverage run): 96301003 draws a probe on a host that, all hosts Linux,
 * runs each Linux part; 96301001, all hosts FreeBSD, the FreeBSD ones. At
 * plan 5 neither draws a probe, and every counter below is 0. */
#include "harness.h"

#include "sim/swarm.h"

TEST(swarm_probe_linux_tfo_defer_md5_ports)
{
	/* Plan 6's: plan 7 adds TFO clients, whose cookie requests and SYN
	 * data move the server's counters too. */
	struct swarm_opts o = {.profile = SWARM_P_LINUX, .plan = 6};
	struct swarm_result r;
	if (!swarm_run(96301003, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "%s", r.why);
	ASSERT_EQ(r.plan, 6);
	ASSERT_EQ(r.dims[SWARM_D_TfoServer], 1);
	ASSERT_EQ(r.dims[SWARM_D_DeferAccept], 1);
	ASSERT_EQ(r.dims[SWARM_D_Md5], 1);
	ASSERT_EQ(r.dims[SWARM_D_PortRange], 1);
	ASSERT_EQ(r.dims[SWARM_D_Misaddressed], 1);
	/* A request, a bad cookie, a good one per place in the queue of 2
	 * and one past it (tcp_fastopen_try()). */
	ASSERT_EQ(r.stats.TcpFastOpenCookieReqd, 1);
	ASSERT_EQ(r.stats.TcpFastOpenPassiveFail, 1);
	ASSERT_EQ(r.stats.TcpFastOpenPassive, 2);
	ASSERT_EQ(r.stats.TcpFastOpenListenOverflow, 1);
	ASSERT_EQ(r.stats.TcpDeferAcceptDrop, 1);
	ASSERT_EQ(r.stats.TcpMd5Missing, 1);
	ASSERT_EQ(r.stats.TcpMd5Bad, 1);
	ASSERT_EQ(r.stats.TcpMd5Good, 1);
	ASSERT_EQ(r.stats.TcpMd5Unexpected, 1);
	ASSERT_GT(r.stats.TcpMd5KeysFull, 0);
	ASSERT_GT(r.stats.TcpEphemeralExhausted, 0);
	ASSERT_EQ(r.stats.TcpPAWSActiveRejected, 1);
	ASSERT_EQ(r.stats.IpInAddrErrors, 1);
	ASSERT_GT(r.stats.TcpEorEndsDropped, 0);
}

TEST(swarm_probe_freebsd_md5_nokey_simopen)
{
	struct swarm_opts o = {.profile = SWARM_P_FREEBSD};
	struct swarm_result r;
	if (!swarm_run(96301001, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "%s", r.why);
	ASSERT_EQ(r.dims[SWARM_D_Md5], 1);
	ASSERT_EQ(r.dims[SWARM_D_SimOpen], 1);
	ASSERT_EQ(r.dims[SWARM_D_TfoServer], 0); /* the FreeBSD profile has none */
	ASSERT_EQ(r.stats.TcpMd5Missing, 1);
	ASSERT_EQ(r.stats.TcpMd5Bad, 1);
	ASSERT_EQ(r.stats.TcpMd5Good, 1);
	/* No key back to the application node: the SYN-ACK not sent, its
	 * retransmission neither (FreeBSD's tcp_ipsec_output()). */
	ASSERT_GT(r.stats.TcpMd5NoKey, 0);
	ASSERT_EQ(r.stats.TcpSimOpenSynIgnored, 1);
	ASSERT_EQ(r.stats.IpInAddrErrors, 1);
	/* TCP over UDP: a datagram too short for TCP, then an ACK in UDP to
	 * the simultaneous open, from a port not the connection's. */
	ASSERT_EQ(r.dims[SWARM_D_UdpTun], 1);
	/* ...and two SYNs in UDP at a listener, room for one tunneled
	 * connection (udp_tun_max_conns 1): the second refused. */
	ASSERT_EQ(r.stats.TcpUdpTunIn, 4);
	ASSERT_EQ(r.stats.TcpUdpTunErrs, 1);
	ASSERT_EQ(r.stats.TcpUdpTunPortRst, 1);
	ASSERT_EQ(r.stats.TcpUdpTunFull, 1);
}

/* Seed 96301001, every host Linux: the probe's backlog-1 listener with
 * syncookies 0 for the probe's time (probe_synq()) drops its third SYN. */
TEST(swarm_probe_linux_syn_queue_full_without_cookies)
{
	struct swarm_opts o = {.profile = SWARM_P_LINUX};
	struct swarm_result r;
	if (!swarm_run(96301001, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "%s", r.why);
	ASSERT_EQ(r.dims[SWARM_D_SynQueueFull], 1);
	ASSERT_EQ(r.stats.TcpReqQFullDrop, 1);
}

/* Seed 96301055, every host Linux: the probe's backlog-1 listener keeps
 * the host's cookies; the third SYN's cookie is acknowledged with an echo
 * that asks for an option the host has off, refused
 * (cookie_timestamp_decode(), TcpSyncookiesOptsOff). */
TEST(swarm_probe_linux_cookie_echo_asks_for_an_option_now_off)
{
	struct swarm_opts o = {.profile = SWARM_P_LINUX};
	struct swarm_result r;
	if (!swarm_run(96301055, &o, &r))
		gt_test_fail(__FILE__, __LINE__, "%s", r.why);
	ASSERT_EQ(r.dims[SWARM_D_SynQueueFull], 1);
	ASSERT_GT(r.stats.TcpReqQFullDoCookies, 0);
	ASSERT_EQ(r.stats.TcpSyncookiesOptsOff, 1);
}
