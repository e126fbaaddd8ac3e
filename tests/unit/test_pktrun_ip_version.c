/* pktrun's --ip-version (packetdrill's command-line --ip_version): the IP
 * version of a script that sets none of its own, the script's own line
 * winning; in ipv6 a script without --mtu runs on a 1520-byte MTU, as
 * google/packetdrill's run_all.py runs its suite (--mtu=1520), so that an
 * IPv4 script's <mss 1460> holds; a "// pktrun-ip-versions:" line skips a
 * script in a version it leaves out, its reason said; the script's IPv4
 * ends in an `ip route` name its IPv6 ends there. */
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "test_pktrun.h"

/* A listener's SYN-ACK, its MSS that of a 1500-byte IPv4 MTU. */
#define MSS_BODY \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" \
	"+0 bind(3, ..., ...) = 0\n" \
	"+0 listen(3, 1) = 0\n" \
	"+0 < S 0:0(0) win 32792 <mss 1460,nop,wscale 7>\n" \
	"+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>\n"

/* An ICMP message IPv4 alone has (RFC 792 source route failed): UNSUPPORTED in an IPv6 script (line 2). */
#define V4_ICMP_BODY \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"+0 < icmp unreachable source_route_failed\n"

static struct pk_result run(const char *text, bool set, enum pk_ipver v)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .strict = true,
				 .ipver_set = set, .ipver = v};
	return pk_test_run(text, "ipver.pkt", opt, "");
}

TEST(pktrun_ip_version_option_is_the_default_a_script_line_wins)
{
	/* Without the option: IPv4, the ICMP message runs (nothing answers
	 * it: the socket is not connected). */
	ASSERT_EQ(run(V4_ICMP_BODY, false, PK_IPV4).verdict, PK_PASS);
	ASSERT_EQ(run(V4_ICMP_BODY, true, PK_IPV4).verdict, PK_PASS);
	ASSERT_EQ(run(V4_ICMP_BODY, true, PK_IPV4_MAPPED).verdict, PK_PASS);
	/* ipv6: the script is IPv6, an IPv4 ICMP message has no meaning. */
	struct pk_result r = run(V4_ICMP_BODY, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 2);
	/* The script's own --ip_version stands over the option's. */
	ASSERT_EQ(run("--ip_version=ipv4\n" V4_ICMP_BODY, true, PK_IPV6).verdict, PK_PASS);
	r = run("--ip_version=ipv6\n" V4_ICMP_BODY, true, PK_IPV4);
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(r.line, 3);
}

TEST(pktrun_ip_version_ipv6_mode_keeps_ipv4_mss)
{
	/* IPv4, and ipv6 from the option (a 1520-byte MTU): MSS 1460. */
	ASSERT_EQ(run(MSS_BODY, false, PK_IPV4).verdict, PK_PASS);
	ASSERT_EQ(run(MSS_BODY, true, PK_IPV6).verdict, PK_PASS);
	ASSERT_EQ(run(MSS_BODY, true, PK_IPV4_MAPPED).verdict, PK_PASS);
	/* A script that is IPv6 by its own line runs on 1500: MSS 1440. */
	struct pk_result r = run("--ip_version=ipv6\n" MSS_BODY, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 7);
	ASSERT(strstr(r.why, "1440") != NULL);
	/* A script's own --mtu stands: 1500 in ipv6 is MSS 1440. */
	r = run("--mtu=1500\n" MSS_BODY, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT(strstr(r.why, "1440") != NULL);
}

TEST(pktrun_ip_versions_mark_skips_other_versions)
{
	const char *mark = "// pktrun-ip-versions: ipv4 ipv4-mapped-ipv6 -- its IP_TTL\n" MSS_BODY;
	ASSERT_EQ(run(mark, false, PK_IPV4).verdict, PK_PASS);
	ASSERT_EQ(run(mark, true, PK_IPV4_MAPPED).verdict, PK_PASS);
	struct pk_result r = run(mark, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_SKIP);
	ASSERT(strstr(r.why, "not in ipv6") != NULL);
	ASSERT(strstr(r.why, "its IP_TTL") != NULL);
	/* A script that names its version itself is run in it. */
	ASSERT_EQ(run("--ip_version=ipv4\n// pktrun-ip-versions: ipv4 -- its IP_TTL\n" MSS_BODY, true,
		      PK_IPV6)
			  .verdict,
		  PK_PASS);
	/* A mark without a reason, or with a name that is no version: a
	 * parse error naming its line. */
	r = run("\n// pktrun-ip-versions: ipv4\n" MSS_BODY, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_ERROR);
	ASSERT_EQ(r.line, 2);
	r = run("// pktrun-ip-versions: ipv5 -- no such\n" MSS_BODY, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_ERROR);
	ASSERT(strstr(r.why, "ipv5") != NULL);
	r = run("// pktrun-ip-versions:  -- none named\n" MSS_BODY, true, PK_IPV6);
	ASSERT_EQ(r.verdict, PK_ERROR);
	ASSERT(strstr(r.why, "names no IP version") != NULL);
}

TEST(pktrun_ip_version_ipv6_mode_maps_script_ipv4_route)
{
	/* `ip route add 192.0.2.1 ... advmss 1000`: in ipv6 mode the route
	 * to the script's end, its IPv6 address; the SYN-ACK's MSS is 1000. */
	const char *text =
		"`ip route add 192.0.2.1 via 192.168.0.2 dev tun0 advmss 1000`\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
		"+0 bind(3, ..., ...) = 0\n"
		"+0 listen(3, 1) = 0\n"
		"+0 < S 0:0(0) win 32792 <mss 1460,nop,wscale 7>\n"
		"+0 > S. 0:0(0) ack 1 <mss 1000,nop,wscale 10>\n";
	ASSERT_EQ(run(text, false, PK_IPV4).verdict, PK_PASS);
	ASSERT_EQ(run(text, true, PK_IPV6).verdict, PK_PASS);
}

TEST(pktrun_ip_version_names)
{
	enum pk_ipver v;
	ASSERT(pk_ipver_from_name("ipv4", &v) && v == PK_IPV4);
	ASSERT(pk_ipver_from_name("ipv6", &v) && v == PK_IPV6);
	ASSERT(pk_ipver_from_name("ipv4-mapped-ipv6", &v) && v == PK_IPV4_MAPPED);
	ASSERT(pk_ipver_from_name("ipv4_mapped_ipv6", &v) && v == PK_IPV4_MAPPED);
	ASSERT(!pk_ipver_from_name("ipv6-mapped", &v));
	ASSERT(!strcmp(pk_ipver_name(PK_IPV4_MAPPED), "ipv4-mapped-ipv6"));
}
