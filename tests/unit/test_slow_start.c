/* Slow start's growth per ACK in the two profiles, through both congestion
 * controls' ops (tcp_cc_ss_grow()):
 *   RFC 5681 3.1 / RFC 3465 with L = 1 (the Linux profile's NewReno and
 *   CUBIC fed one segment at a time): slow start while cwnd < ssthresh, at
 *   most one segment per ACK;
 *   FreeBSD's newreno_cc_cwnd_in_slow_start() (sys/netinet/cc/cc.c, used by
 *   its NewReno and CUBIC): slow start while cwnd <= ssthresh, at most
 *   abc_l_var = 2 segments per ACK, one while SND.NXT != SND.MAX (the
 *   retransmissions after a timeout). */
#include "harness.h"

#include <string.h>

#include "tcp/tcp.h"

#define MSS 1000u

static struct tcp_conn conn(const struct tcp_cc_ops *cc, bool bsd, uint32_t cwnd_segs,
			    uint32_t ssthresh_segs)
{
	struct tcp_conn c;
	memset(&c, 0, sizeof(c));
	c.mss = MSS;
	c.cc = cc;
	c.cc->init(&c);
	c.ss_bsd = bsd;
	c.cwnd = cwnd_segs * MSS;
	c.ssthresh = ssthresh_segs * MSS;
	c.snd_nxt = c.snd_max = 100000;
	c.srtt_us = 10000;
	return c;
}

static void each_cc(void (*check)(const struct tcp_cc_ops *cc))
{
	check(&tcp_cc_newreno);
	check(&tcp_cc_cubic);
}

static void rfc_one_segment_per_ack(const struct tcp_cc_ops *cc)
{
	struct tcp_conn c = conn(cc, false, 10, 100);
	c.cc->on_ack(&c, 2 * MSS, 1000000);
	ASSERT_EQ(c.cwnd, 11 * MSS);
	c.cc->on_ack(&c, 500, 1000000);
	ASSERT_EQ(c.cwnd, 11 * MSS + 500);
}

TEST(slow_start_rfc_grows_one_segment_per_ack)
{
	each_cc(rfc_one_segment_per_ack);
}

static void bsd_two_segments_per_ack(const struct tcp_cc_ops *cc)
{
	struct tcp_conn c = conn(cc, true, 10, 100);
	c.cc->on_ack(&c, 2 * MSS, 1000000); /* a delayed ACK of two */
	ASSERT_EQ(c.cwnd, 12 * MSS);
	c.cc->on_ack(&c, 4 * MSS, 1000000); /* a stretch ACK: still two */
	ASSERT_EQ(c.cwnd, 14 * MSS);
	c.cc->on_ack(&c, 700, 1000000);     /* no more than it acknowledged */
	ASSERT_EQ(c.cwnd, 14 * MSS + 700);
}

TEST(slow_start_bsd_grows_up_to_two_segments_per_ack)
{
	each_cc(bsd_two_segments_per_ack);
}

static void bsd_one_segment_after_timeout(const struct tcp_cc_ops *cc)
{
	struct tcp_conn c = conn(cc, true, 1, 4);
	c.snd_nxt = c.snd_max - 3 * MSS; /* a timeout pulled SND.NXT back */
	c.cc->on_ack(&c, 2 * MSS, 1000000);
	ASSERT_EQ(c.cwnd, 2 * MSS);
}

TEST(slow_start_bsd_one_segment_per_ack_while_resending_after_timeout)
{
	each_cc(bsd_one_segment_after_timeout);
}

static void at_ssthresh(const struct tcp_cc_ops *cc)
{
	/* cwnd = ssthresh: FreeBSD still slow-starts (cwnd <= ssthresh). */
	struct tcp_conn c = conn(cc, true, 8, 8);
	c.cc->on_ack(&c, 2 * MSS, 1000000);
	ASSERT_EQ(c.cwnd, 10 * MSS);
	/* RFC 5681 3.1 lets either be used at equality; Linux's
	 * tcp_in_slow_start() is cwnd < ssthresh: congestion avoidance,
	 * which does not add a segment for one ACK of two. */
	c = conn(cc, false, 8, 8);
	c.cc->on_ack(&c, 2 * MSS, 1000000);
	ASSERT_LT(c.cwnd, 9 * MSS);
	ASSERT_GE(c.cwnd, 8 * MSS);
}

TEST(slow_start_at_ssthresh_bsd_slow_starts_rfc_does_not)
{
	each_cc(at_ssthresh);
}

static void bsd_ss_zeroes_ca_count(const struct tcp_cc_ops *cc)
{
	/* cc_ack_received() zeroes t_bytes_acked in slow start: bytes
	 * counted in an earlier congestion avoidance do not carry over. */
	struct tcp_conn c = conn(cc, true, 10, 100);
	c.bytes_acked = 9 * MSS;
	c.cc->on_ack(&c, MSS, 1000000);
	ASSERT_EQ(c.bytes_acked, 0u);
}

TEST(slow_start_bsd_zeroes_the_avoidance_byte_count)
{
	each_cc(bsd_ss_zeroes_ca_count);
}
