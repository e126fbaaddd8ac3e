/* The swarm's goodput model (sim/swarm_model.c): which bound rules, the
 * Mathis rate where timeouts are rare, Padhye's timeout term where they are
 * not, slow start, the one-way trip and the tail timer of a finite
 * transfer, and the timer wait of a window under two segments. */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "sim/swarm.h"
#include "sim/swarm_audit.h"
#include "sim/swarm_inject.h"

static struct swarm_path path(void)
{
	return (struct swarm_path){
		.rtt_s = 0.1, .one_way_s = 0.05, .wnd_bytes = 1e6, .mss_bytes = 1000,
		.rto_s = 0.2, .iw_bytes = 10000,
	};
}

static bool near(double a, double b, double rel)
{
	return fabs(a - b) <= rel * fabs(b);
}

TEST(swarm_model_window_rules_without_loss)
{
	struct swarm_path p = path();
	struct swarm_model m;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "window");
	ASSERT(near(m.rate_Bps, 1e6 / 0.1, 1e-9));
	/* A long transfer runs at about the rate: slow start is 7 RTTs of 100 s. */
	ASSERT(near(m.goodput_Bps, m.rate_Bps, 0.01));
}

TEST(swarm_model_bandwidth_and_ack_path_are_ceilings)
{
	struct swarm_path p = path();
	struct swarm_model m;
	p.bw_Bps = 1e6;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "bandwidth");
	ASSERT(near(m.rate_Bps, 1e6, 1e-9));
	p.ack_bw_Bps = 5e5;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "ack-path");
	ASSERT(near(m.rate_Bps, 5e5, 1e-9));
}

TEST(swarm_model_is_mathis_when_timeouts_are_rare)
{
	/* p = 1%, T0 = RTT: the timeout term is about 2% of the RTT term. */
	struct swarm_path p = path();
	struct swarm_model m;
	p.loss = 0.01;
	p.rto_s = p.rtt_s;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "loss");
	double mathis = 1000 / 0.1 * sqrt(1.5) / sqrt(0.01);
	ASSERT(m.rate_Bps < mathis);
	ASSERT(near(m.rate_Bps, mathis, 0.03));
}

TEST(swarm_model_counts_timeouts_at_high_loss_or_tiny_rtt)
{
	struct swarm_path p = path();
	struct swarm_model m;
	p.loss = 0.2;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "loss+timeouts");
	ASSERT(m.rate_Bps < 1000 / 0.1 * sqrt(1.5) / sqrt(0.2) / 2);
	/* 1% loss, but an RTT of 1 ms under a 200 ms RTO floor. */
	p = path();
	p.loss = 0.01;
	p.rtt_s = 0.001;
	p.one_way_s = 0.0005;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "loss+timeouts");
	ASSERT(m.rate_Bps < 1000 / 0.001 * sqrt(1.5) / sqrt(0.01) / 3);
}

TEST(swarm_model_short_transfer_pays_slow_start_and_one_way)
{
	struct swarm_path p = path();
	struct swarm_model m;
	/* The initial window carries it all: one way. */
	swarm_goodput_model(&p, 10000, &m);
	ASSERT(near(m.time_s, 0.05, 1e-9));
	/* 10 kB, then 20 kB: one round trip, then one way. */
	swarm_goodput_model(&p, 30000, &m);
	ASSERT(near(m.time_s, 0.15, 1e-9));
	ASSERT(near(m.goodput_Bps, 30000 / 0.15, 1e-9));
	/* A corked sender's last partial segment may wait the cork limit. */
	p.tail_s = 0.2;
	swarm_goodput_model(&p, 30000, &m);
	ASSERT(near(m.time_s, 0.35, 1e-9));
}

TEST(swarm_model_small_window_waits_for_a_timer)
{
	struct swarm_path p = path();
	struct swarm_model m;
	p.wnd_bytes = 1500;
	p.wait_s = 0.04;
	swarm_goodput_model(&p, 1e9, &m);
	ASSERT_STREQ(m.limit, "window");
	ASSERT(near(m.rate_Bps, 1500 / 0.14, 1e-9));
}

/* The tap's checksum check (au_csum_ok()): a segment as sent passes; one
 * bit flipped in its destination port (which then names another
 * connection) fails, as it fails at the receiving stack. */
TEST(swarm_tap_corrupted_port_fails_the_checksum)
{
	uint8_t pkt[INJ_MAX];
	size_t n = inj_tcp(pkt, 0x0a000001, 5000, 0x0a000002, 52666, 1000, 2000, 0x18, 1024, NULL,
			   0, 7);
	ASSERT(au_csum_ok(pkt, n));
	pkt[20 + 3] ^= 0x80; /* 52666 -> 52538 */
	ASSERT(!au_csum_ok(pkt, n));
	pkt[20 + 3] ^= 0x80;
	pkt[n - 1] ^= 0x01; /* the payload's last (odd) byte */
	ASSERT(!au_csum_ok(pkt, n));
}

/* Karn's rule holding the backoff (karn_rtos): the i-th timeout of a run
 * with no RTT sample between them waits T0 2^i, T0 2^i - T0 beyond
 * Padhye's, up to the ceiling. */
TEST(swarm_model_karn_timeouts_wait_doubling_to_the_ceiling)
{
	struct swarm_path p = path();
	struct swarm_model m0, m;
	swarm_goodput_model(&p, 1e5, &m0);
	ASSERT(m0.karn_s == 0);
	ASSERT_EQ(m0.karn_n, 0);
	p.rto_max_s = 120;
	/* One run of three: 0 + 0.2 + 0.6. */
	p.karn_rtos[0] = p.karn_rtos[1] = p.karn_rtos[2] = 1;
	swarm_goodput_model(&p, 1e5, &m);
	ASSERT_EQ(m.karn_n, 3);
	ASSERT(near(m.karn_s, 0.8, 1e-9));
	ASSERT(near(m.time_s, m0.time_s + 0.8, 1e-9));
	/* Two runs of three wait twice that, not a run of six. */
	p.karn_rtos[0] = p.karn_rtos[1] = p.karn_rtos[2] = 2;
	swarm_goodput_model(&p, 1e5, &m);
	ASSERT(near(m.karn_s, 1.6, 1e-9));
	/* A run of twelve: 0.2 (2^10 - 1) - 10 x 0.2 for the first ten;
	 * 204.8 is past 120. The last place counts all beyond it. */
	memset(p.karn_rtos, 0, sizeof(p.karn_rtos));
	for (int i = 0; i < 12; i++)
		p.karn_rtos[i] = 1;
	swarm_goodput_model(&p, 1e5, &m);
	ASSERT(near(m.karn_s, 202.6 + 2 * 119.8, 1e-9));
	p.karn_rtos[SWARM_KARN_PLACES - 1] = 3;
	swarm_goodput_model(&p, 1e5, &m);
	ASSERT(near(m.karn_s, 202.6 + 5 * 119.8, 1e-9));
	/* No ceiling above T0: nothing to add. */
	p.rto_max_s = 0.2;
	swarm_goodput_model(&p, 1e5, &m);
	ASSERT(m.karn_s == 0);
}
