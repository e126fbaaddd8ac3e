/* pktrun's IPv6 header fields (RFC 8200 3) as packetdrill scripts write
 * them: "(hlim N)" the hop limit, "(class 0xNN)" the traffic class,
 * "(flowlabel N)" the flow label; ttl and tos mean the same there. An
 * inbound packet carries them (and its [ecn] codepoint in the traffic
 * class); an outbound one is judged against them. The FreeBSD
 * tcp-testsuite's socket-api-setsockopt-hoplimit-* and traffic-class-*
 * scripts use hlim and class (issue 14). */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* Builds "+0 < LINE" of an IPv6 script as both back-ends get it. */
static size_t build_v6(const char *line, uint8_t *buf, struct pk_script *sc)
{
	char text[256];
	snprintf(text, sizeof(text), "--ip_version=ipv6\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < %s\n",
		 line);
	memset(sc, 0, sizeof(*sc));
	pk_parse(sc, text, strlen(text), GT_PROFILE_LINUX);
	if (sc->err_line || sc->unsup_line || sc->nev != 2)
		return 0;
	struct pk_judge j;
	memset(&j, 0, sizeof(j));
	j.sc = sc;
	return pk_build_in(&j, &sc->ev[1], buf);
}

static uint32_t word0(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

TEST(pktrun_ip6_fields_inbound_header)
{
	struct pk_script sc;
	uint8_t b[256];
	size_t n = build_v6("(hlim 3, class 0x28, flowlabel 0x12345) S 0:0(0) win 32792 <mss 1000>", b, &sc);
	ASSERT_GT(n, 40);
	ASSERT_EQ(b[7], 3);                            /* hop limit */
	ASSERT_EQ(word0(b), 6u << 28 | 0x28u << 20 | 0x12345u); /* version, class, label */
	pk_script_free(&sc);
	/* ttl and tos are the same fields; [ect0] goes in the class's low bits. */
	n = build_v6("[ect0] (ttl 9, tos 0xe0) . 1:1(0) ack 1 win 257", b, &sc);
	ASSERT_GT(n, 40);
	ASSERT_EQ(b[7], 9);
	ASSERT_EQ(word0(b), 6u << 28 | 0xe2u << 20);
	pk_script_free(&sc);
	/* Not written: hop limit 64, class 0, label 0, as before. */
	n = build_v6(". 1:1(0) ack 1 win 257", b, &sc);
	ASSERT_EQ(b[7], 64);
	ASSERT_EQ(word0(b), 6u << 28);
	pk_script_free(&sc);
	/* An ICMPv6 error's own header too. */
	n = build_v6("(hlim 7, class 0x20) icmp unreachable no_route [0:0(0)]", b, &sc);
	ASSERT_GT(n, 40);
	ASSERT_EQ(b[6], 58);
	ASSERT_EQ(b[7], 7);
	ASSERT_EQ(word0(b), 6u << 28 | 0x20u << 20);
	pk_script_free(&sc);
	/* A label has 20 bits. */
	ASSERT_EQ(build_v6("(flowlabel 0x100000) . 1:1(0) ack 1", b, &sc), 0);
	ASSERT_NE(sc.err_line, 0);
	pk_script_free(&sc);
}

/* The IPv6 names in an IPv4 script are no IPv4 header's fields. */
TEST(pktrun_ip6_fields_not_in_ipv4)
{
	const char *text = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < (hlim 3) S 0:0(0) win 1000\n";
	struct pk_script sc;
	memset(&sc, 0, sizeof(sc));
	pk_parse(&sc, text, strlen(text), GT_PROFILE_LINUX);
	ASSERT_EQ(sc.err_line, 0);
	ASSERT_EQ(sc.unsup_line, 2);
	pk_script_free(&sc);
}

/* A listener with IPV6_UNICAST_HOPS 4 and IPV6_TCLASS 0x20 answers with
 * them; the accepted socket set to 6 and 0xe0 sends its data so (Linux:
 * np->hop_limit and np->tclass, inherited by the child, tcp_v6_send_synack()
 * with tcp_reflect_tos 0; ip6_xmit()). Line 16 is the data segment. */
#define IP6_FIELDS_HEAD                                                                           \
	"--ip_version=ipv6\n"                                                                     \
	"`sysctl -q net.ipv4.tcp_congestion_control=cubic`\n"                                     \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                           \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"                                \
	"+0 setsockopt(3, IPPROTO_IPV6, IPV6_UNICAST_HOPS, [4], 4) = 0\n"                         \
	"+0 setsockopt(3, IPPROTO_IPV6, IPV6_TCLASS, [32], 4) = 0\n"                              \
	"+0 bind(3, ..., ...) = 0\n"                                                              \
	"+0 listen(3, 1) = 0\n"                                                                   \
	"+0 < (hlim 3, class 0x28, flowlabel 0x12345) S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n" \
	"+0 > (hlim 4, class 0x20) S. 0:0(0) ack 1 <...>\n"                                       \
	"+.01 < (hlim 3, class 0x28) . 1:1(0) ack 1 win 257\n"                                    \
	"+0 accept(3, ..., ...) = 4\n"                                                            \
	"+0 setsockopt(4, IPPROTO_IPV6, IPV6_UNICAST_HOPS, [6], 4) = 0\n"                         \
	"+0 setsockopt(4, IPPROTO_IPV6, IPV6_TCLASS, [224], 4) = 0\n"                             \
	"+0 write(4, ..., 1000) = 1000\n"

static struct pk_result run(const char *data_line, bool kernel)
{
	char text[2048];
	snprintf(text, sizeof(text), IP6_FIELDS_HEAD "+0 > %s P. 1:1001(1000) ack 1\n", data_line);
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel};
	char label[160];
	snprintf(label, sizeof(label), " %s:", data_line);
	return pk_test_run(text, "ip6.pkt", opt, label);
}

TEST(pktrun_ip6_fields_judged_on_glasstcp)
{
	ASSERT_EQ(run("(hlim 6, class 0xe0)", false).verdict, PK_PASS);
	struct pk_result r = run("(hlim 5)", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 16);
	ASSERT(strstr(r.why, "IPv6 hop limit 6, expected 5") != NULL);
	r = run("(class 0xe4)", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 16);
	ASSERT(strstr(r.why, "IPv6 traffic class 0xe0, expected 0xe4") != NULL);
	r = run("(flowlabel 0xfffff)", false);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 16);
	ASSERT(strstr(r.why, "IPv6 flow label") != NULL);
}

TEST(pktrun_kernel_ip6_fields_judged_on_linux)
{
	struct pk_result r = run("(hlim 6, class 0xe0)", true);
	if (r.verdict == PK_SKIP)
		SKIP("%s", r.why);
	if (r.verdict != PK_PASS)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_PASS);
	r = run("(hlim 5, class 0xe0)", true);
	if (r.verdict != PK_FAIL)
		SKIP_IF_STALLED(r.runner_note);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 16);
	ASSERT(strstr(r.why, "IPv6 hop limit 6, expected 5") != NULL);
}
