/* ECN end to end over the simulator (RFC 3168): a bottleneck link that marks
 * ECN-capable packets CE once its queue holds ce_queue_pkts, a bulk transfer
 * between two stacks that agreed on ECN, in each profile. The marks reach the
 * receiver, come back as ECE, and the sender reduces its window and answers
 * with CWR, with no packet lost; without ECN nothing is marked. */
#include "harness.h"

#include "sim/transfer.h"

#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

struct ecn_run {
	struct gt_stats client, server;
	struct gt_link_stats up;
	bool ok;
};

static const struct gt_in6_addr client6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct gt_in6_addr server6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};

/* The server's ecn as the client's, unless server_ecn is given (>= 0). */
static void run_ecns(enum gt_profile p, uint8_t ecn, int server_ecn, uint8_t family,
		     struct ecn_run *r)
{
	struct gt_config cfg, scfg;
	gt_config_default(&cfg, p);
	cfg.ecn = ecn;
	scfg = cfg;
	if (server_ecn >= 0)
		scfg.ecn = (uint8_t)server_ecn;
	gt_sim *sim = gt_sim_new(7);
	ASSERT(sim != NULL);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 10000;
	lc.bandwidth_bps = 5000000; /* BDP 8.5 segments: FreeBSD's 32 KiB buffer queues too */
	lc.queue_limit_pkts = 5000; /* no drops: marks are the only signal */
	lc.ce_queue_pkts = 8;
	gt_sim_set_default_link(sim, &lc);
	gt_stack *c, *s;
	int ch = gt_sim_add_stack(sim, &cfg, CLIENT, 24, 1500, &c);
	int sh = gt_sim_add_stack(sim, &scfg, SERVER, 24, 1500, &s);
	ASSERT_GE(ch, 0);
	ASSERT_GE(sh, 0);
	if (family == XFER_IPV6) {
		ASSERT_EQ(gt_sim_add_ipv6(sim, ch, &client6, 64), 0);
		ASSERT_EQ(gt_sim_add_ipv6(sim, sh, &server6, 64), 0);
	}
	struct xfer x;
	struct xfer_config xc = {
		.bytes = 1000000, .conns = 1, .port = 5001, .chunk_bytes = 8192,
		.limit_us = 600ull * 1000000, .family = family, .server_addr6 = server6,
	};
	ASSERT_EQ(xfer_init(&x, &xc, sim, c, ch, CLIENT, s, sh, SERVER), 0);
	r->ok = xfer_run(&x);
	r->client = *gt_stack_stats(c);
	r->server = *gt_stack_stats(s);
	ASSERT_EQ(gt_sim_link_stats(sim, ch, sh, &r->up), 0);
	xfer_free(&x);
	gt_sim_free(sim);
}

static void run_family(enum gt_profile p, uint8_t ecn, uint8_t family, struct ecn_run *r)
{
	run_ecns(p, ecn, -1, family, r);
}

static void run(enum gt_profile p, uint8_t ecn, struct ecn_run *r)
{
	run_family(p, ecn, XFER_IPV4, r);
}

/* Both ends agreed on ECN; every mark reached the receiver and came back
 * as ECE; the sender reduced, at most once per window (far fewer
 * reductions than marks), and answered with CWR; nothing was lost. */
static void check_marks_reduce(const struct ecn_run *r)
{
	ASSERT(r->ok);
	ASSERT_EQ(r->client.TcpECNNegotiated, 1);
	ASSERT_EQ(r->server.TcpECNNegotiated, 1);
	ASSERT_GT(r->up.ce_marked, 0);
	ASSERT_EQ(r->up.queue_drops, 0);
	ASSERT_EQ(r->server.TcpECNCeRecv, r->up.ce_marked);
	ASSERT_GT(r->client.TcpECNEceRecv, 0);
	ASSERT_GT(r->client.TcpECNReduce, 0);
	ASSERT_GT(r->client.TcpECNCwrSent, 0);
	ASSERT_LT(r->client.TcpECNReduce, r->up.ce_marked);
	ASSERT_EQ(r->client.TcpRetransSegs, 0);
}

TEST(ecn_link_marks_reduce_the_sender_without_loss)
{
	for (int p = 0; p < 2; p++) {
		struct ecn_run r;
		run((enum gt_profile)p, 1, &r);
		check_marks_reduce(&r);
		printf("%s: %llu CE marks, %llu ECE ACKs, %llu reductions, %llu CWR\n",
		       gt_profile_name((enum gt_profile)p), (unsigned long long)r.up.ce_marked,
		       (unsigned long long)r.client.TcpECNEceRecv,
		       (unsigned long long)r.client.TcpECNReduce,
		       (unsigned long long)r.client.TcpECNCwrSent);
	}
}

TEST(ecn_link_leaves_not_ect_packets_alone)
{
	for (int p = 0; p < 2; p++) {
		struct ecn_run r;
		run((enum gt_profile)p, 0, &r);
		ASSERT(r.ok);
		ASSERT_EQ(r.client.TcpECNNegotiated, 0);
		ASSERT_EQ(r.up.ce_marked, 0);
		ASSERT_EQ(r.server.TcpECNCeRecv, 0);
		ASSERT_EQ(r.client.TcpECNReduce, 0);
	}
}

/* The same over IPv6: the link marks the traffic class's ECN field (RFC
 * 8200 7), the receiver reads it, the sender reduces, nothing is lost. */
TEST(ecn_link_marks_over_ipv6_reduce_the_sender_without_loss)
{
	for (int p = 0; p < 2; p++) {
		struct ecn_run r;
		run_family((enum gt_profile)p, 1, XFER_IPV6, &r);
		ASSERT_GT(r.client.Ip6OutRequests, 690);
		ASSERT_EQ(r.client.IpOutRequests, 0);
		check_marks_reduce(&r);
	}
}

/* FreeBSD's AccECN (ecn.enable 3 at the client, 4 at the server): both
 * count a Not-ECT SYN (tcps_ace_nect); every CE mark the link made reaches
 * the receiver and comes back in the ACE field, not as ECE; the sender
 * takes its growth as CC_ECN, at most once per window, sends no CWR, and
 * loses nothing. */
TEST(ecn_link_accecn_counts_marks_and_reduces_the_sender)
{
	struct ecn_run r;
	run_ecns(GT_PROFILE_FREEBSD, 3, 4, XFER_IPV4, &r);
	ASSERT(r.ok);
	ASSERT_EQ(r.client.TcpAccECNSynNotECT, 1);
	ASSERT_EQ(r.server.TcpAccECNSynNotECT, 1);
	ASSERT_GT(r.up.ce_marked, 0);
	ASSERT_EQ(r.up.queue_drops, 0);
	ASSERT_EQ(r.server.TcpECNCeRecv, r.up.ce_marked);
	ASSERT_EQ(r.client.TcpAccECNCeReported, r.up.ce_marked);
	ASSERT_EQ(r.client.TcpECNEceRecv, 0);
	ASSERT_EQ(r.client.TcpECNCwrSent, 0);
	ASSERT_GT(r.client.TcpECNReduce, 0);
	ASSERT_LT(r.client.TcpECNReduce, r.up.ce_marked);
	ASSERT_EQ(r.client.TcpRetransSegs, 0);
	printf("accecn: %llu CE marks, %llu reported, %llu reductions\n",
	       (unsigned long long)r.up.ce_marked, (unsigned long long)r.client.TcpAccECNCeReported,
	       (unsigned long long)r.client.TcpECNReduce);
}

/* AccECN asked of a server with ecn.enable 2: RFC 3168 end to end
 * (tcp_ecn_syncache_add()'s SCF_ECN), ECE and CWR as before. */
TEST(ecn_link_accecn_falls_back_to_rfc3168)
{
	struct ecn_run r;
	run_ecns(GT_PROFILE_FREEBSD, 3, 2, XFER_IPV4, &r);
	check_marks_reduce(&r);
	ASSERT_EQ(r.client.TcpAccECNSynNotECT + r.server.TcpAccECNSynNotECT, 0);
	ASSERT_EQ(r.client.TcpAccECNCeReported, 0);
}
