/* pktrun's ICMP messages by name: every type and code packetdrill's
 * icmp_packet.c knows (Google's tables and nplab's), "code_N"/"type_N",
 * a message with no code word (code 0), and "packet_too_big mtu N". The
 * packet both back-ends get is the one judge.c builds (pk_build_in()):
 * glasstcp's input and the kernel's TUN see the same bytes, type and code
 * as the script names them. The FreeBSD tcp-testsuite's rcv-icmp-* and
 * snd-syn-icmp-* scripts use these (issue 14). */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

struct icmp_case {
	const char *line; /* after "+0 < " */
	int type, code;   /* -1: UNSUPPORTED in this family */
	uint32_t rest;    /* the word after the checksum */
};

/* Parses "+0 < LINE" in an IPv4 or IPv6 script, builds the packet and
 * checks its ICMP type, code and 32-bit word. */
static void check_case(bool v6, const struct icmp_case *k)
{
	char text[256];
	snprintf(text, sizeof(text), "--ip_version=%s\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < %s\n",
		 v6 ? "ipv6" : "ipv4", k->line);
	struct pk_script sc;
	memset(&sc, 0, sizeof(sc));
	pk_parse(&sc, text, strlen(text), GT_PROFILE_LINUX);
	if (sc.err_line)
		fprintf(stderr, "  %s: parse error: %s\n", k->line, sc.err);
	ASSERT_EQ(sc.err_line, 0);
	if (k->type < 0) {
		ASSERT_EQ(sc.unsup_line, 3);
		pk_script_free(&sc);
		return;
	}
	if (sc.unsup_line)
		fprintf(stderr, "  %s (%s): unsupported: %s\n", k->line, v6 ? "v6" : "v4", sc.unsup);
	ASSERT_EQ(sc.unsup_line, 0);
	ASSERT_EQ(sc.nev, 2);
	const struct pk_event *e = &sc.ev[1];
	ASSERT(e->pkt.icmp);
	struct pk_judge j;
	memset(&j, 0, sizeof(j));
	j.sc = &sc;
	uint8_t buf[256];
	size_t n = pk_build_in(&j, e, buf);
	size_t ip = v6 ? 40 : 20;
	ASSERT_GT(n, ip + 8);
	ASSERT_EQ(buf[v6 ? 6 : 9], v6 ? 58 : 1); /* ICMPv6 / ICMP */
	if (buf[ip] != k->type || buf[ip + 1] != k->code)
		fprintf(stderr, "  %s (%s): type %u code %u, expected %d %d\n", k->line, v6 ? "v6" : "v4",
			buf[ip], buf[ip + 1], k->type, k->code);
	ASSERT_EQ(buf[ip], k->type);
	ASSERT_EQ(buf[ip + 1], k->code);
	uint32_t rest = (uint32_t)buf[ip + 4] << 24 | (uint32_t)buf[ip + 5] << 16 |
			(uint32_t)buf[ip + 6] << 8 | buf[ip + 7];
	ASSERT_EQ(rest, k->rest);
	pk_script_free(&sc);
}

TEST(pktrun_icmp_names_v4_types_and_codes)
{
	static const struct icmp_case cases[] = {
		{"icmp unreachable precedence_violation [0:0(0)]", 3, 14, 0},
		{"icmp unreachable precedence_cutoff [0:0(0)]", 3, 15, 0},
		{"icmp unreachable packet_filtered", 3, 13, 0},
		{"icmp unreachable code_5 [0:0(0)]", 3, 5, 0},
		{"icmp unreachable [0:0(0)]", 3, 0, 0},
		{"icmp unreachable frag_needed mtu 1234 [0:0(0)]", 3, 4, 1234},
		{"icmp source_quench [0:0(0)]", 4, 0, 0},
		{"icmp source_quench", 4, 0, 0},
		{"icmp redirect [0:0(0)]", 5, 0, 0},
		{"icmp redirect code_1 [0:0(0)]", 5, 1, 0},
		{"[0:0(0)] icmp redirect", 5, 0, 0},
		{"icmp parameter_problem code_0 [0:0(0)]", 12, 0, 0},
		{"icmp parameter_problem code_1 [0:0(0)]", 12, 1, 0},
		{"icmp parameter_problem code_2", 12, 2, 0},
		{"icmp time_exceeded ttl_exceeded_in_transit [0:0(0)]", 11, 0, 0},
		{"icmp time_exceeded frag_reass_exceeded [0:0(0)]", 11, 1, 0},
		{"icmp time_exceeded frag_reass_exceeded", 11, 1, 0},
		{"icmp echo_request", 8, 0, 0},
		{"icmp type_42 code_7", 42, 7, 0},
		/* IPv6-only names: UNSUPPORTED in an IPv4 script. */
		{"icmp unreachable no_route [0:0(0)]", -1, -1, 0},
		{"icmp packet_too_big mtu 1300", -1, -1, 0},
		{"icmp parameter_problem header_field", -1, -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(false, &cases[i]);
}

TEST(pktrun_icmp_names_v6_types_and_codes)
{
	static const struct icmp_case cases[] = {
		{"[0:0(0)]icmp unreachable no_route", 1, 0, 0},
		{"[0:0(0)]icmp unreachable admin_prohibited", 1, 1, 0},
		{"[0:0(0)]icmp unreachable not_neighbour", 1, 2, 0},
		{"[0:0(0)]icmp unreachable address_unreachable", 1, 3, 0},
		{"[0:0(0)]icmp unreachable port_unreachable", 1, 4, 0},
		{"[0:0(0)]icmp unreachable code_6", 1, 6, 0},
		{"[0:0(0)]icmp time_exceeded exceeded_hop_limit", 3, 0, 0},
		{"[0:0(0)]icmp time_exceeded exceeded_frag_time", 3, 1, 0},
		{"[0:0(0)]icmp parameter_problem header_field", 4, 0, 0},
		{"[0:0(0)]icmp parameter_problem unknown_next_header", 4, 1, 6},
		{"[0:0(0)]icmp parameter_problem unknown_option", 4, 2, 0},
		{"[0:0(0)]icmp packet_too_big mtu 1300", 2, 0, 1300},
		{"icmp packet_too_big mtu 1280 [0:0(0)]", 2, 0, 1280},
		{"icmp packet_too_big packet_too_big mtu 1280", 2, 0, 1280},
		{"icmp echo_request", 128, 0, 0},
		/* IPv4-only names: UNSUPPORTED in an IPv6 script. */
		{"icmp redirect [0:0(0)]", -1, -1, 0},
		{"icmp source_quench [0:0(0)]", -1, -1, 0},
		{"icmp unreachable precedence_cutoff [0:0(0)]", -1, -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(true, &cases[i]);
}

/* An MTU is for a fragmentation-needed unreachable or a packet-too-big
 * only (packetdrill's set_icmpv4_header()/set_icmpv6_header()); an
 * unknown name is UNSUPPORTED, its quoted segment still parsed. */
TEST(pktrun_icmp_names_mtu_only_where_it_belongs)
{
	const char *bad = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < icmp redirect mtu 1300\n";
	struct pk_script sc;
	memset(&sc, 0, sizeof(sc));
	pk_parse(&sc, bad, strlen(bad), GT_PROFILE_LINUX);
	ASSERT_EQ(sc.err_line, 2);
	pk_script_free(&sc);
	const char *unknown = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			      "+0 < icmp unreachable no_such_code [0:0(0)]\n";
	memset(&sc, 0, sizeof(sc));
	pk_parse(&sc, unknown, strlen(unknown), GT_PROFILE_LINUX);
	ASSERT_EQ(sc.err_line, 0);
	ASSERT_EQ(sc.unsup_line, 2);
	pk_script_free(&sc);
}

/* A connect() in SYN_SENT meets one ICMP error; SO_ERROR says what the
 * stack made of it. Linux 6.x, from kernel runs (pktrun_kernel_* below):
 * tcp_v4_err()/tcp_v6_err() end a SYN_SENT connection with every error
 * they convert (icmp_err_convert[], icmpv6_err_convert()): precedence
 * cutoff EHOSTUNREACH, parameter problem EPROTO, unreachable code 5
 * (source route failed) EOPNOTSUPP, time exceeded in transit EHOSTUNREACH;
 * ICMPv6 no route ENETUNREACH, not a neighbour (beyond scope) EHOSTUNREACH,
 * admin prohibited EACCES, time exceeded EHOSTUNREACH (either code),
 * parameter problem EPROTO. A source quench, a redirect and an IPv4
 * reassembly time exceeded (code 1) leave it connecting. Messages that
 * differ only in their code get different answers, so the codes reach the
 * kernel as written. The Linux profile answers each as Linux does
 * (cfg.icmp_err_linux, tcp_input.c's icmp_errno_linux()); before it, nine
 * of the fourteen differed (treated as soft, time exceeded code 1 as hard,
 * admin prohibited as ECONNREFUSED, parameter problem ignored). */
#define SYN_SENT_HEAD                                                                             \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n"                                     \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                           \
	"+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"                                           \
	"+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"                  \
	"+0 > S 0:0(0) <...>\n"

static const struct syn_sent_case {
	bool v6;
	const char *msg;
	int err;
} syn_sent_cases[] = {
	{false, "icmp unreachable precedence_cutoff [0:0(0)]", 113},
	{false, "icmp parameter_problem code_1 [0:0(0)]", 71},
	{false, "icmp unreachable code_5 [0:0(0)]", 95},
	{false, "icmp time_exceeded ttl_exceeded_in_transit [0:0(0)]", 113},
	{false, "icmp time_exceeded frag_reass_exceeded [0:0(0)]", 0},
	{false, "icmp redirect [0:0(0)]", 0},
	{false, "icmp source_quench [0:0(0)]", 0},
	{true, "[0:0(0)]icmp unreachable no_route", 101},
	{true, "[0:0(0)]icmp unreachable not_neighbour", 113},
	{true, "[0:0(0)]icmp parameter_problem unknown_option", 71},
	{true, "[0:0(0)]icmp time_exceeded exceeded_hop_limit", 113},
	{true, "[0:0(0)]icmp time_exceeded exceeded_frag_time", 113},
	{true, "[0:0(0)]icmp unreachable admin_prohibited", 13},
	{true, "[0:0(0)]icmp parameter_problem header_field", 71},
};

static struct pk_result run_syn_sent(const struct syn_sent_case *k, bool kernel)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "--ip_version=%s\n" SYN_SENT_HEAD "+.01 < %s\n"
		 "+.01 getsockopt(3, SOL_SOCKET, SO_ERROR, [%d], [4]) = 0\n",
		 k->v6 ? "ipv6" : "ipv4", k->msg, k->err);
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	char label[160];
	snprintf(label, sizeof(label), " %s:", k->msg);
	return pk_test_run(text, "icmp.pkt", opt, label);
}

TEST(pktrun_icmp_names_reach_glasstcp_in_syn_sent)
{
	int failed = 0;
	for (size_t i = 0; i < sizeof(syn_sent_cases) / sizeof(syn_sent_cases[0]); i++) {
		struct pk_result r = run_syn_sent(&syn_sent_cases[i], false);
		failed += r.verdict != PK_PASS;
	}
	ASSERT_EQ(failed, 0);
}

TEST(pktrun_kernel_icmp_names_reach_linux_in_syn_sent)
{
	int failed = 0;
	for (size_t i = 0; i < sizeof(syn_sent_cases) / sizeof(syn_sent_cases[0]); i++) {
		struct pk_result r = run_syn_sent(&syn_sent_cases[i], true);
		if (r.verdict == PK_SKIP)
			SKIP("%s", r.why);
		if (r.verdict != PK_PASS)
			SKIP_IF_STALLED(r.runner_note);
		failed += r.verdict != PK_PASS;
	}
	ASSERT_EQ(failed, 0);
}
