/* The named scenarios over IPv6 (issue 16; `glasstcp sim --scenario NAME
 * --ipv6`): the same workloads on AF_INET6 sockets between 2001:db8::1 and
 * [2001:db8::2]:80. Every packet of the run is IPv6 (the stacks' IPv4
 * output counters stay 0), and the figure each scenario is about comes
 * out as over IPv4: who holds TIME_WAIT and what an entry costs, ports
 * running out without reuse, the RST of SO_LINGER {1,0}, the
 * Nagle/delayed-ACK stall, throughput against the window, a lost final
 * ACK answered from TIME_WAIT. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include "sim/scenario.h"

/* Runs name over IPv6 and checks that it was IPv6 through and through. */
static void run6(const char *name, struct scen_result *r)
{
	ASSERT_EQ(scen_run_family(name, 1, true, NULL, r), 0);
	ASSERT(r->ipv6);
	ASSERT_EQ(r->ip_pkts[0], 0);
	ASSERT_GT(r->ip_pkts[1], 0);
}

TEST(scenario_ipv4_run_sends_no_ipv6)
{
	struct scen_result r;
	ASSERT_EQ(scen_run("lost-final-ack", 1, NULL, &r), 0);
	ASSERT(r.ok);
	ASSERT(!r.ipv6);
	ASSERT_GT(r.ip_pkts[0], 0);
	ASSERT_EQ(r.ip_pkts[1], 0);
}

/* An IPv6 TIME_WAIT entry is 44 bytes against IPv4's 32 (docs/ipv6.md),
 * each with a 4-byte hash slot: the same 10,000 entries (rings of 16,384)
 * cost 16,384 x 12 bytes more, on top of the same per-port count. */
TEST(scenario_ipv6_time_wait_server_close_server_holds_44_byte_entries)
{
	struct scen_result r4, r6;
	ASSERT_EQ(scen_run("time-wait-server-close", 1, NULL, &r4), 0);
	run6("time-wait-server-close", &r6);
	ASSERT(r6.ok);
	ASSERT_EQ(r6.tw.conns_ok, 10000);
	ASSERT_EQ(r6.tw.tw_peak[1], 10000);
	ASSERT_EQ(r6.tw.tw_peak[0], 0);
	ASSERT_EQ(r6.tw.tw_expired[1], 10000);
	ASSERT_EQ(r4.tw.tw_peak[1], 10000);
	ASSERT_EQ(r6.tw.tw_bytes[1] - r4.tw.tw_bytes[1], 16384 * (44 - 32));
}

TEST(scenario_ipv6_time_wait_client_close_client_holds)
{
	struct scen_result r;
	run6("time-wait-client-close", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.tw.conns_ok, 10000);
	ASSERT_EQ(r.tw.tw_peak[0], 10000);
	ASSERT_EQ(r.tw.tw_peak[1], 0);
	ASSERT_EQ(r.tw.tw_expired[0], 10000);
}

/* One port space for both families: IPv6 connections run the same range
 * dry, and RFC 6191 reuse works from the IPv6 TIME_WAIT table. */
TEST(scenario_ipv6_port_exhaustion_eaddrnotavail_without_reuse_only)
{
	struct scen_result r;
	run6("port-exhaustion", &r);
	ASSERT(r.ok);
	ASSERT(r.ports.run[0].eaddrnotavail);
	ASSERT_GE(r.ports.run[0].exhausted, 1);
	ASSERT_GE(r.ports.run[0].tried, 990);
	ASSERT_LE(r.ports.run[0].tried, 1010);
	ASSERT(!r.ports.run[1].eaddrnotavail);
	ASSERT_EQ(r.ports.run[1].ok, r.ports.attempts);
	ASSERT_GT(r.ports.run[1].recycled[0] + r.ports.run[1].recycled[1], 0);
}

TEST(scenario_ipv6_linger_abort_peer_sees_reset_and_no_time_wait)
{
	struct scen_result r;
	run6("linger-abort", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.linger.run[0].delivered, r.linger.run[0].written);
	ASSERT_EQ(r.linger.run[0].peer_read, 0);
	ASSERT_EQ(r.linger.run[0].tw_holder, 0);
	ASSERT_EQ(r.linger.run[1].peer_read, -ECONNRESET);
	ASSERT_EQ(r.linger.run[1].tw_holder, -1);
	ASSERT_GE(r.linger.run[1].client_rsts, 1);
	ASSERT_GT(r.linger.run[1].lost, 0);
}

TEST(scenario_ipv6_nagle_delayed_ack_stall_and_fixes)
{
	struct scen_result r;
	run6("nagle-delayed-ack", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.nagle.nrows, 6);
	ASSERT(r.nagle.row[0].mean_ms >= 35.0);
	ASSERT_GT(r.nagle.row[0].delayed_acks, 0);
	ASSERT(r.nagle.row[2].max_ms < 5.0);
	ASSERT_EQ(r.nagle.row[2].client_segs, 20);
	ASSERT_EQ(r.nagle.row[4].client_segs, 10);
}

TEST(scenario_ipv6_small_buffers_throughput_follows_window)
{
	struct scen_result r;
	run6("small-buffers", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.bufs.nrows, 5);
	for (uint32_t i = 0; i + 2 < r.bufs.nrows; i++)
		ASSERT(r.bufs.row[i].measured_mbit > r.bufs.row[i].predicted_mbit * 0.9);
	ASSERT(r.bufs.row[3].measured_mbit > 80.0);
}

TEST(scenario_ipv6_lost_final_ack_time_wait_reacks_fin)
{
	struct scen_result r;
	run6("lost-final-ack", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.lostack.acks_dropped, 1);
	ASSERT_EQ(r.lostack.fin_reacked, 1);
	ASSERT_EQ(r.lostack.server_fin_sent, 2);
	ASSERT(r.lostack.server_closed);
	ASSERT_EQ(r.lostack.tw_exit_us - r.lostack.tw_reack_us, 60000000u);
}
