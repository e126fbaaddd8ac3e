/* A device whose queue is full (struct gt_device: transmit() returns
 * -ENOBUFS or -EAGAIN): IP counts it in IpOutQueueFull, apart from the
 * drops IpOutDiscards counts; a SYN so refused is lost, as Linux's
 * tcp_connect() ignores tcp_transmit_skb()'s error, and the RTO sends it
 * again. The data path (not sent, probed) is checked against Linux 6.18 by
 * tests/pkt/linux/qdisc-full-*.pkt, FreeBSD's by
 * tests/pkt/freebsd/qdisc-full-snd-nxt-backed-out.pkt; pktrun's `tc qdisc`
 * forms here. */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "test_pktrun.h"

#include <glasstcp/glasstcp.h>

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u

static const struct gt_in6_addr L6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr R6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

struct dev {
	int rc;    /* what transmit() answers */
	int tries; /* packets handed to it */
};

static int transmit(void *ctx, const void *pkt, size_t len)
{
	(void)pkt;
	(void)len;
	struct dev *d = ctx;
	d->tries++;
	return d->rc;
}

static gt_stack *stack(struct dev *d)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	struct gt_device dev = {.transmit = transmit, .ctx = d, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, LADDR, 24), 0);
	ASSERT_EQ(gt_stack_add_ipv6(s, &L6, 64), 0);
	return s;
}

static void connect_one(gt_stack *s, bool v6)
{
	int sd = gt_socket(s, v6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM);
	ASSERT(sd >= 0);
	struct gt_sockaddr to = {.family = v6 ? GT_AF_INET6 : GT_AF_INET, .port = 80};
	if (v6)
		to.addr6 = R6;
	else
		to.addr = RADDR;
	ASSERT_EQ(gt_connect(s, sd, &to), -EINPROGRESS);
}

TEST(device_queue_full_counted_apart_from_drops)
{
	static const int full[] = {-ENOBUFS, -EAGAIN};
	for (int v6 = 0; v6 < 2; v6++) {
		for (size_t i = 0; i < 2; i++) {
			struct dev d = {.rc = full[i]};
			gt_stack *s = stack(&d);
			connect_one(s, v6);
			const struct gt_stats *st = gt_stack_stats(s);
			ASSERT_EQ(d.tries, 1);
			ASSERT_EQ(st->IpOutQueueFull, 1u);
			ASSERT_EQ(st->IpOutDiscards + st->Ip6OutDiscards, 0u);
			ASSERT_EQ(st->TcpTxRefused, 0u); /* a SYN: lost, not held */
			gt_stack_free(s);
		}
		struct dev d = {.rc = -EIO};
		gt_stack *s = stack(&d);
		connect_one(s, v6);
		const struct gt_stats *st = gt_stack_stats(s);
		ASSERT_EQ(st->IpOutQueueFull, 0u);
		ASSERT_EQ(v6 ? st->Ip6OutDiscards : st->IpOutDiscards, 1u);
		gt_stack_free(s);
	}
}

TEST(device_queue_full_syn_lost_and_resent_on_the_rto)
{
	struct dev d = {.rc = -ENOBUFS};
	gt_stack *s = stack(&d);
	connect_one(s, false);
	ASSERT_EQ(d.tries, 1);
	d.rc = 0;
	/* TCP_TIMEOUT_INIT, 250 jiffies, on Linux's timer wheel
	 * (cfg.timer_wheel, tcp_wheel_at()): level 1, so the bucket of jiffy
	 * 256, and jiffies tick 1 ms past each whole 4 ms at the profile's
	 * phase: 1.024 s - 3 ms. */
	gt_stack_poll(s, 1020999);
	ASSERT_EQ(d.tries, 1);
	gt_stack_poll(s, 1021000);
	ASSERT_EQ(d.tries, 2);
	ASSERT_EQ(gt_stack_stats(s)->IpOutQueueFull, 1u);
	gt_stack_free(s);
}

/* pktrun's `tc qdisc`: the forms it runs, on the glasstcp back-end a device
 * that refuses every packet under limit 0 (here a SYN, lost and resent
 * after the qdisc went), the FIFO otherwise; others unsupported. */
TEST(pktrun_tc_qdisc_limit_zero_refuses_and_forms)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	const char syn[] = "0 `tc qdisc del dev tun0 root 2>/dev/null; tc qdisc add dev tun0 root pfifo limit 0`\n"
			   "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			   "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			   "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			   "+.5 `tc qdisc replace dev tun0 root pfifo limit 5`\n"
			   "1.021 > S 0:0(0) <...>\n"; /* the RTO on the wheel */
	struct pk_result res = pk_test_run(syn, "syn.pkt", opt, "");
	ASSERT_EQ(res.verdict, PK_PASS);
	static const char *const bad[] = {
		"0 `tc qdisc add dev tun0 root pfifo limit x`\n",
		"0 `tc qdisc add dev eth0 root pfifo limit 0`\n",
		"0 `tc qdisc add dev tun0 root bfifo limit 0`\n",
		"0 `tc qdisc del dev tun0 root handle 1:`\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "%s0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", bad[i]);
		pk_run_text(text, strlen(text), "bad.pkt", NULL, &opt, &res);
		ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
		ASSERT_EQ(res.line, 1);
	}
}
