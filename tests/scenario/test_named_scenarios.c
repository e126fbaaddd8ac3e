/* The named scenarios of `glasstcp sim --scenario`, run through the same
 * code (sim/scenario.h) with the default seed, and their key figures
 * checked: who holds TIME_WAIT, ports running out without reuse and not
 * with it, the RST a SO_LINGER {1,0} close sends, the Nagle/delayed-ACK
 * stall, throughput against the receive window, and a lost final ACK. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include "sim/scenario.h"

static void run(const char *name, struct scen_result *r)
{
	ASSERT_EQ(scen_run(name, 1, NULL, r), 0);
}

TEST(scenario_unknown_name_is_enoent)
{
	struct scen_result r;
	ASSERT_EQ(scen_run("no-such-scenario", 1, NULL, &r), -ENOENT);
	ASSERT_EQ(scen_count(), 7);
	for (size_t i = 0; i < scen_count(); i++)
		ASSERT(scen_name(i) != NULL);
}

TEST(scenario_time_wait_server_close_server_holds)
{
	struct scen_result r;
	run("time-wait-server-close", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.tw.conns_ok, 10000);
	ASSERT_EQ(r.tw.tw_peak[1], 10000);  /* the server closed first */
	ASSERT_EQ(r.tw.tw_peak[0], 0);
	ASSERT_EQ(r.tw.tw_entered[0], 0);
	ASSERT_GT(r.tw.tw_bytes[1], r.tw.tw_bytes_empty[1]);
	ASSERT_EQ(r.tw.tw_expired[1], 10000); /* all gone after 2MSL */
	ASSERT_LT(r.tw.work_done_us, 5000000); /* waves: seconds, not minutes */
}

TEST(scenario_time_wait_client_close_client_holds)
{
	struct scen_result r;
	run("time-wait-client-close", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.tw.conns_ok, 10000);
	ASSERT_EQ(r.tw.tw_peak[0], 10000);
	ASSERT_EQ(r.tw.tw_peak[1], 0);
	ASSERT_EQ(r.tw.tw_entered[1], 0);
	ASSERT_EQ(r.tw.tw_expired[0], 10000);
}

TEST(scenario_port_exhaustion_eaddrnotavail_without_reuse_only)
{
	struct scen_result r;
	run("port-exhaustion", &r);
	ASSERT_EQ(r.ports.range, 1000);
	/* tw_reuse off: connect() fails after about one range of connections. */
	ASSERT(!r.ports.run[0].tw_reuse);
	ASSERT(r.ports.run[0].eaddrnotavail);
	ASSERT_GE(r.ports.run[0].exhausted, 1);
	ASSERT_GE(r.ports.run[0].tried, 990);
	ASSERT_LE(r.ports.run[0].tried, 1010);
	ASSERT_EQ(r.ports.run[0].recycled[0], 0);
	/* tw_reuse on, timestamps on: every connection succeeds by reusing
	 * TIME_WAIT pairs. */
	ASSERT(r.ports.run[1].tw_reuse);
	ASSERT(!r.ports.run[1].eaddrnotavail);
	ASSERT_EQ(r.ports.run[1].exhausted, 0);
	ASSERT_EQ(r.ports.run[1].ok, r.ports.attempts);
	ASSERT_GT(r.ports.run[1].recycled[0] + r.ports.run[1].recycled[1], 0);
	ASSERT(r.ok);
}

TEST(scenario_linger_abort_peer_sees_reset_and_no_time_wait)
{
	struct scen_result r;
	run("linger-abort", &r);
	ASSERT(r.ok);
	/* Graceful: everything delivered, EOF, the client holds TIME_WAIT. */
	ASSERT_EQ(r.linger.run[0].delivered, r.linger.run[0].written);
	ASSERT_EQ(r.linger.run[0].peer_read, 0);
	ASSERT_EQ(r.linger.run[0].tw_holder, 0);
	ASSERT_EQ(r.linger.run[0].client_rsts, 0);
	/* SO_LINGER {1,0}: an RST, ECONNRESET at the peer, no TIME_WAIT, data lost. */
	ASSERT_EQ(r.linger.run[1].peer_read, -ECONNRESET);
	ASSERT_EQ(r.linger.run[1].tw_holder, -1);
	ASSERT_GE(r.linger.run[1].client_rsts, 1);
	ASSERT_EQ(r.linger.run[1].abort_on_linger, 1);
	ASSERT_GT(r.linger.run[1].lost, 0);
	ASSERT_EQ(r.linger.run[1].delivered + r.linger.run[1].lost, r.linger.run[1].written);
}

TEST(scenario_nagle_delayed_ack_stall_and_fixes)
{
	struct scen_result r;
	run("nagle-delayed-ack", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.nagle.nrows, 6);
	for (uint32_t i = 0; i < r.nagle.nrows; i++)
		ASSERT_EQ(r.nagle.row[i].requests, 10);
	/* Nagle + delayed ACK: the 40 ms stall on every request after the first. */
	ASSERT(r.nagle.row[0].max_ms >= 35.0);
	ASSERT(r.nagle.row[0].mean_ms >= 35.0);
	ASSERT_GT(r.nagle.row[0].delayed_acks, 0);
	/* TCP_NODELAY, one write, TCP_CORK, MSG_MORE: no stall. */
	for (uint32_t i = 2; i < r.nagle.nrows; i++)
		ASSERT(r.nagle.row[i].max_ms < 5.0);
	ASSERT_EQ(r.nagle.row[2].client_segs, 20); /* NODELAY: two segments a request */
	ASSERT_EQ(r.nagle.row[4].client_segs, 10); /* CORK: one */
}

TEST(scenario_small_buffers_throughput_follows_window)
{
	struct scen_result r;
	run("small-buffers", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.bufs.nrows, 5);
	for (uint32_t i = 0; i < 3; i++) {
		const struct scen_bufs_row *row = &r.bufs.row[i];
		/* Below the bandwidth-delay product: window / RTT, within 10%. */
		ASSERT(row->measured_mbit > row->predicted_mbit * 0.9);
		ASSERT(row->measured_mbit <= row->predicted_mbit * 1.05);
		ASSERT(r.bufs.row[i + 1].measured_mbit > row->measured_mbit);
	}
	ASSERT(r.bufs.row[3].measured_mbit > 80.0);
}

TEST(scenario_lost_final_ack_time_wait_reacks_fin)
{
	struct scen_result r;
	run("lost-final-ack", &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.lostack.acks_dropped, 1);
	ASSERT_EQ(r.lostack.fin_reacked, 1);
	ASSERT_EQ(r.lostack.server_fin_sent, 2);
	ASSERT(r.lostack.server_closed);
	ASSERT_EQ(r.lostack.server_tw_peak, 0);
	ASSERT_GT(r.lostack.tw_reack_us, r.lostack.tw_enter_us);
	/* The 2MSL timer restarted at the re-ACK. */
	ASSERT_EQ(r.lostack.tw_exit_us - r.lostack.tw_reack_us, 60000000u);
}
