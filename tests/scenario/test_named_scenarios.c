/* The named scenarios of `glasstcp sim --scenario` (sim/scenario.h), each
 * run with the default seed over IPv4 and over IPv6 (issue 16; `--ipv6`:
 * AF_INET6 sockets between 2001:db8::1 and [2001:db8::2]:80), and the same
 * key figures checked for both families: who holds TIME_WAIT, ports
 * running out without reuse and not with it, the RST a SO_LINGER {1,0}
 * close sends, the Nagle/delayed-ACK stall, throughput against the receive
 * window, and a lost final ACK answered from TIME_WAIT. An IPv6 run sends
 * only IPv6 (the stacks' IPv4 output counters stay 0), and an IPv4 run
 * only IPv4. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include "sim/scenario.h"
#include "tcp/tcp.h"
#include "unit/null_device.h"

/* Runs name over the family and checks that every packet was of it. */
static void run(const char *name, bool ipv6, struct scen_result *r)
{
	ASSERT_EQ(scen_run_family(name, 1, ipv6, NULL, r), 0);
	ASSERT_EQ(r->ipv6, ipv6);
	ASSERT_GT(r->ip_pkts[ipv6], 0);
	ASSERT_EQ(r->ip_pkts[!ipv6], 0);
	ASSERT(r->ok);
}

TEST(scenario_unknown_name_is_enoent)
{
	struct scen_result r;
	ASSERT_EQ(scen_run("no-such-scenario", 1, NULL, &r), -ENOENT);
	ASSERT_EQ(scen_count(), 7);
	for (size_t i = 0; i < scen_count(); i++)
		ASSERT(scen_name(i) != NULL);
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

/* holder is the side that closed first: it alone enters TIME_WAIT, and
 * every entry is gone after 2MSL. */
static void check_time_wait(const struct scen_result *r, int holder)
{
	ASSERT_EQ(r->tw.conns_ok, 10000);
	ASSERT_EQ(r->tw.tw_peak[holder], 10000);
	ASSERT_EQ(r->tw.tw_peak[!holder], 0);
	ASSERT_EQ(r->tw.tw_entered[!holder], 0);
	ASSERT_GT(r->tw.tw_bytes[holder], r->tw.tw_bytes_empty[holder]);
	ASSERT_EQ(r->tw.tw_expired[holder], 10000);
	ASSERT_LT(r->tw.work_done_us, 5000000); /* waves: seconds, not minutes */
}

TEST(scenario_time_wait_server_close_server_holds)
{
	struct scen_result r;
	run("time-wait-server-close", false, &r);
	check_time_wait(&r, 1);
}

/* An IPv6 TIME_WAIT entry is 44 bytes against IPv4's 32 (docs/ipv6.md),
 * each with a 4-byte hash slot: the same 10,000 entries (rings of 16,384)
 * cost 16,384 x 12 bytes more, on top of the same per-port count. */
TEST(scenario_ipv6_time_wait_server_close_server_holds_44_byte_entries)
{
	struct scen_result r4, r6;
	run("time-wait-server-close", false, &r4);
	run("time-wait-server-close", true, &r6);
	check_time_wait(&r6, 1);
	ASSERT_EQ(r6.tw.tw_bytes[1] - r4.tw.tw_bytes[1], 16384 * (44 - 32));
}

TEST(scenario_time_wait_client_close_client_holds)
{
	struct scen_result r;
	run("time-wait-client-close", false, &r);
	check_time_wait(&r, 0);
}

TEST(scenario_ipv6_time_wait_client_close_client_holds)
{
	struct scen_result r;
	run("time-wait-client-close", true, &r);
	check_time_wait(&r, 0);
}

/* One port space for both families: connect() fails after about one range
 * of connections without tw_reuse; with it (and timestamps) every
 * connection succeeds by reusing TIME_WAIT pairs (RFC 6191), from the
 * IPv6 TIME_WAIT table too. */
static void check_port_exhaustion(const struct scen_result *r)
{
	ASSERT_EQ(r->ports.range, 1000);
	ASSERT(!r->ports.run[0].tw_reuse);
	ASSERT(r->ports.run[0].eaddrnotavail);
	ASSERT_GE(r->ports.run[0].exhausted, 1);
	ASSERT_GE(r->ports.run[0].tried, 990);
	ASSERT_LE(r->ports.run[0].tried, 1010);
	ASSERT_EQ(r->ports.run[0].recycled[0], 0);
	ASSERT(r->ports.run[1].tw_reuse);
	ASSERT(!r->ports.run[1].eaddrnotavail);
	ASSERT_EQ(r->ports.run[1].exhausted, 0);
	ASSERT_EQ(r->ports.run[1].ok, r->ports.attempts);
	ASSERT_GT(r->ports.run[1].recycled[0] + r->ports.run[1].recycled[1], 0);
}

TEST(scenario_port_exhaustion_eaddrnotavail_without_reuse_only)
{
	struct scen_result r;
	run("port-exhaustion", false, &r);
	check_port_exhaustion(&r);
}

TEST(scenario_ipv6_port_exhaustion_eaddrnotavail_without_reuse_only)
{
	struct scen_result r;
	run("port-exhaustion", true, &r);
	check_port_exhaustion(&r);
}

static void check_linger_abort(const struct scen_result *r)
{
	/* Graceful: everything delivered, EOF, the client holds TIME_WAIT. */
	ASSERT_EQ(r->linger.run[0].delivered, r->linger.run[0].written);
	ASSERT_EQ(r->linger.run[0].peer_read, 0);
	ASSERT_EQ(r->linger.run[0].tw_holder, 0);
	ASSERT_EQ(r->linger.run[0].client_rsts, 0);
	/* SO_LINGER {1,0}: an RST, ECONNRESET at the peer, no TIME_WAIT, data lost. */
	ASSERT_EQ(r->linger.run[1].peer_read, -ECONNRESET);
	ASSERT_EQ(r->linger.run[1].tw_holder, -1);
	ASSERT_GE(r->linger.run[1].client_rsts, 1);
	ASSERT_EQ(r->linger.run[1].abort_on_linger, 1);
	ASSERT_GT(r->linger.run[1].lost, 0);
	ASSERT_EQ(r->linger.run[1].delivered + r->linger.run[1].lost, r->linger.run[1].written);
}

TEST(scenario_linger_abort_peer_sees_reset_and_no_time_wait)
{
	struct scen_result r;
	run("linger-abort", false, &r);
	check_linger_abort(&r);
}

TEST(scenario_ipv6_linger_abort_peer_sees_reset_and_no_time_wait)
{
	struct scen_result r;
	run("linger-abort", true, &r);
	check_linger_abort(&r);
}

static void check_nagle_delayed_ack(const struct scen_result *r)
{
	ASSERT_EQ(r->nagle.nrows, 6);
	for (uint32_t i = 0; i < r->nagle.nrows; i++)
		ASSERT_EQ(r->nagle.row[i].requests, 10);
	/* Nagle + delayed ACK: the 40 ms stall on every request after the first. */
	ASSERT(r->nagle.row[0].max_ms >= 35.0);
	ASSERT(r->nagle.row[0].mean_ms >= 35.0);
	ASSERT_GT(r->nagle.row[0].delayed_acks, 0);
	/* TCP_NODELAY, one write, TCP_CORK, MSG_MORE: no stall. */
	for (uint32_t i = 2; i < r->nagle.nrows; i++)
		ASSERT(r->nagle.row[i].max_ms < 5.0);
	ASSERT_EQ(r->nagle.row[2].client_segs, 20); /* NODELAY: two segments a request */
	ASSERT_EQ(r->nagle.row[4].client_segs, 10); /* CORK: one */
}

TEST(scenario_nagle_delayed_ack_stall_and_fixes)
{
	struct scen_result r;
	run("nagle-delayed-ack", false, &r);
	check_nagle_delayed_ack(&r);
}

TEST(scenario_ipv6_nagle_delayed_ack_stall_and_fixes)
{
	struct scen_result r;
	run("nagle-delayed-ack", true, &r);
	check_nagle_delayed_ack(&r);
}

static void check_small_buffers(const struct scen_result *r)
{
	ASSERT_EQ(r->bufs.nrows, 5);
	for (uint32_t i = 0; i < 3; i++) {
		const struct scen_bufs_row *row = &r->bufs.row[i];
		/* Below the bandwidth-delay product: window / RTT, within 10%. */
		ASSERT(row->measured_mbit > row->predicted_mbit * 0.9);
		ASSERT(row->measured_mbit <= row->predicted_mbit * 1.05);
		ASSERT(r->bufs.row[i + 1].measured_mbit > row->measured_mbit);
	}
	ASSERT(r->bufs.row[3].measured_mbit > 80.0);
}

TEST(scenario_small_buffers_throughput_follows_window)
{
	struct scen_result r;
	run("small-buffers", false, &r);
	check_small_buffers(&r);
}

TEST(scenario_ipv6_small_buffers_throughput_follows_window)
{
	struct scen_result r;
	run("small-buffers", true, &r);
	check_small_buffers(&r);
}

static void check_lost_final_ack(const struct scen_result *r)
{
	ASSERT_EQ(r->lostack.acks_dropped, 1);
	ASSERT_EQ(r->lostack.fin_reacked, 1);
	ASSERT_EQ(r->lostack.server_fin_sent, 2);
	ASSERT(r->lostack.server_closed);
	ASSERT_EQ(r->lostack.server_tw_peak, 0);
	ASSERT_GT(r->lostack.tw_reack_us, r->lostack.tw_enter_us);
	/* The 2MSL timer restarted at the re-ACK, and ends as the Linux
	 * profile's timer wheel fires a 60 s timer armed then (level 3,
	 * 512-jiffy buckets: up to 2.048 s past 2MSL; cfg.timer_wheel,
	 * tcp_wheel_at()). */
	gt_stack *lx = null_device_stack(GT_PROFILE_LINUX);
	uint64_t end = tcp_wheel_at(lx, r->lostack.tw_reack_us, 60000000u);
	gt_stack_free(lx);
	ASSERT_EQ(r->lostack.tw_exit_us, end);
	ASSERT_GT(end, r->lostack.tw_reack_us + 60000000u);
	ASSERT_LE(end, r->lostack.tw_reack_us + 60000000u + 2048000u);
}

TEST(scenario_lost_final_ack_time_wait_reacks_fin)
{
	struct scen_result r;
	run("lost-final-ack", false, &r);
	check_lost_final_ack(&r);
}

TEST(scenario_ipv6_lost_final_ack_time_wait_reacks_fin)
{
	struct scen_result r;
	run("lost-final-ack", true, &r);
	check_lost_final_ack(&r);
}
