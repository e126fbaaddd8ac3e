/* gt_config_sysctl(): kernel tunables by their sysctl names, the mapping
 * pktrun scripts and the runtimes' --sysctl share. Each name changes the
 * fields it stands for; a name glasstcp does not know, a value the kernel
 * would refuse and a value glasstcp does not implement are told apart. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

TEST(sysctl_tcp_rmem_sets_buffer_limit_and_linux_window)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_rmem", "4096 131072 33554432"), 0);
	ASSERT_EQ(c.rcvbuf_bytes, 131072u);
	ASSERT_EQ(c.rcvbuf_max_bytes, 33554432u);
	ASSERT_GE(c.buf_max_bytes, 33554432u); /* a ring may grow that far */
	ASSERT(c.rcv_wnd_linux);
	ASSERT_EQ(c.rcv_wscale, 0xff); /* derived from tcp_rmem[2], as Linux */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_wmem", "4096 32768 4194304"), 0);
	ASSERT_EQ(c.sndbuf_bytes, 32768u); /* not the default, 16384 */
	ASSERT_EQ(c.sndbuf_max_bytes, 4194304u);
}

TEST(sysctl_tcp_rmem_on_freebsd_profile_scales_for_the_buffer)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.ipv4.tcp_rmem", "4096 65536 1048576"), 0);
	ASSERT_EQ(c.rcv_wscale, 5); /* 1048576 >> 5 = 32768 <= 65535 */
	ASSERT_EQ(c.rcvbuf_max_bytes, 1048576u);
}

TEST(sysctl_freebsd_names_and_linux_knobs)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.sendspace", "65536"), 0);
	ASSERT_EQ(c.sndbuf_bytes, 65536u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.delacktime", "100"), 0);
	ASSERT_EQ(c.delack_us, 100000u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.ipv4.tcp_congestion_control", "reno"), 0);
	ASSERT_EQ(c.cc, GT_CC_NEWRENO);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.ipv4.tcp_congestion_control", "cubic"), 0);
	ASSERT_EQ(c.cc, GT_CC_CUBIC);
}

TEST(sysctl_refusals_name_their_cause)
{
	struct gt_config c, before;
	gt_config_default(&c, GT_PROFILE_LINUX);
	memcpy(&before, &c, sizeof(c));
	/* Not a setting glasstcp knows. */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_nonexistent", "1"), -ENOENT);
	/* Values the kernel would refuse. */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_rmem", "4096 131072"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_rmem", "a b c"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_syn_retries", "4294967296"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_ecn", "3"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_congestion_control", "bbr"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_syn_linear_timeouts", "128"),
		  -EINVAL); /* MAX_TCP_SYNCNT is 127 */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_recovery", "256"), -EINVAL);
	/* A value the kernel takes and glasstcp does not implement: the TCB
	 * keeps t_acktime where Linux's idle restart keeps its time. */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.maxunacktime", "5"), -EOPNOTSUPP);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.blackhole", "4"), -EINVAL);
	/* None of them changed anything. */
	ASSERT_EQ(memcmp(&c, &before, sizeof(c)), 0);
	/* The behaviour glasstcp has is taken. */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_syn_linear_timeouts", "4"), 0);
	/* A Linux tuning knob without a counterpart: accepted, no change. */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_autocorking", "0"),
		  GT_SYSCTL_NO_EFFECT);
	ASSERT_EQ(memcmp(&c, &before, sizeof(c)), 0);
}

/* FreeBSD's reassembly queue limit (tcp_reass()): 100 in the profile, the
 * sysctl sets it (a u_int); 0 queues nothing out of order; above 65,535
 * the stack's own cap (TCP_MAX_OOO). */
TEST(sysctl_reass_maxqueuelen)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(c.max_reass_ranges, 100u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.reass.maxqueuelen", "2000"), 0);
	ASSERT_EQ(c.max_reass_ranges, 2000u);
	ASSERT_EQ(c.reass_none, false);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.reass.maxqueuelen", "0"), 0);
	ASSERT_EQ(c.reass_none, true);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.reass.maxqueuelen",
				   "4294967295"), 0);
	ASSERT_EQ(c.reass_none, false);
	ASSERT_EQ(c.max_reass_ranges, 65535u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.reass.maxqueuelen", "x"),
		  -EINVAL);
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(c.max_reass_ranges, 0u); /* the buffer's rule alone */
}

/* net.ipv4.tcp_reordering: each connection's starting tp->reordering
 * (tcp_init_sock()), 1 to tcp_max_reordering (300); the connection's
 * threshold stops at 255. */
TEST(sysctl_tcp_reordering_sets_the_starting_threshold)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(c.reordering_segs, 3);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_reordering", "20"), 0);
	ASSERT_EQ(c.reordering_segs, 20);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_reordering", "300"), 0);
	ASSERT_EQ(c.reordering_segs, 255);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_reordering", "0"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_reordering", "301"), -EINVAL);
	ASSERT_EQ(c.reordering_segs, 255);
}

/* blackhole(4) and tcp_maxunacktime (ms, sysctl_msec_to_ticks). */
TEST(sysctl_blackhole_and_maxunacktime)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(c.blackhole, 0);
	ASSERT(!c.blackhole_local);
	ASSERT_EQ(c.maxunack_ms, 0u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.blackhole", "3"), 0);
	ASSERT_EQ(c.blackhole, 3);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.blackhole_local", "1"), 0);
	ASSERT(c.blackhole_local);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.maxunacktime", "2500"), 0);
	ASSERT_EQ(c.maxunack_ms, 2500u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.maxunacktime", "-1"), -EINVAL);
}

/* Values the kernels take that glasstcp once refused (issue 14): Linux's
 * tcp_recovery bits above 4 read by nothing; FreeBSD's PMTU black-hole
 * detection and its two MSS values, plain ints. */
TEST(sysctl_values_the_kernels_take)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_recovery", "9"), 0);
	ASSERT(c.rack && !c.rack_static_reo_wnd && !c.rack_no_dupthresh);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_recovery", "255"), 0);
	ASSERT(c.rack && c.rack_static_reo_wnd && c.rack_no_dupthresh);
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(c.pmtud_blackhole, 0);
	ASSERT_EQ(c.pmtud_blackhole_mss, 1200u);
	ASSERT_EQ(c.v6pmtud_blackhole_mss, 1220u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.pmtud_blackhole_detection", "3"), 0);
	ASSERT_EQ(c.pmtud_blackhole, 3);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.pmtud_blackhole_detection", "7"), 0);
	ASSERT_EQ(c.pmtud_blackhole, 0); /* only 1, 2 and 3 mean something */
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.pmtud_blackhole_mss", "1000"), 0);
	ASSERT_EQ(c.pmtud_blackhole_mss, 1000u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.v6pmtud_blackhole_mss", "1300"), 0);
	ASSERT_EQ(c.v6pmtud_blackhole_mss, 1300u);
	ASSERT_EQ(c.pmtud_blackhole_mss, 1000u);
	/* maxunacktime on the Linux profile: refused while its restart after
	 * idle holds the TCB field, taken once that is off. */
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.inet.tcp.maxunacktime", "3000"), -EOPNOTSUPP);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_slow_start_after_idle", "0"), 0);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.inet.tcp.maxunacktime", "3000"), 0);
	ASSERT_EQ(c.maxunack_ms, 3000u);
	char err[160];
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(gt_config_sysctl_arg(&c, GT_PROFILE_LINUX, "net.inet.tcp.maxunacktime=3000", err,
				       sizeof(err)),
		  -EOPNOTSUPP);
	ASSERT(strstr(err, "net.ipv4.tcp_slow_start_after_idle=0") != NULL);
}

/* net.ipv4.tcp_max_orphans: 0 to INT_MAX (proc_dointvec's int; numbers
 * below 0 are refused, as every sysctl's); the Linux profile's default a
 * machine's, the FreeBSD profile without a limit. */
TEST(sysctl_tcp_max_orphans)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(c.max_orphans, UINT32_MAX);
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(c.max_orphans, 131072u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_orphans", "7"), 0);
	ASSERT_EQ(c.max_orphans, 7u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_orphans", "0"), 0);
	ASSERT_EQ(c.max_orphans, 0u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_orphans", "-1"), -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_orphans", "2147483648"),
		  -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_LINUX, "net.ipv4.tcp_max_orphans", "x"), -EINVAL);
}

/* net.inet.tcp.rexmit_initial: sysctl_msec_to_ticks()'s EINVAL under one
 * tick; above 4,294,967 ms, which 32-bit us cannot hold, EINVAL too (it
 * wrapped silently before). */
TEST(sysctl_bsd_rexmit_initial_bounds)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.rexmit_initial", "3000"), 0);
	ASSERT_EQ(c.rto_initial_us, 3000000u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.rexmit_initial", "4294967"),
		  0);
	ASSERT_EQ(c.rto_initial_us, 4294967000u);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.rexmit_initial", "4294968"),
		  -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.rexmit_initial", "0"),
		  -EINVAL);
	ASSERT_EQ(gt_config_sysctl(&c, GT_PROFILE_FREEBSD, "net.inet.tcp.rexmit_initial", "-5"),
		  -EINVAL);
	ASSERT_EQ(c.rto_initial_us, 4294967000u);
}
