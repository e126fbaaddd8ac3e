/* Unit tests for -t's syntax (runtime/relay/fwd.c, relay_fwd_parse()):
 * PORT, PORT:NSPORT, ADDR/PORT, ranges to the same ports, to another
 * range and from a start port; what is refused, with a message; the limit
 * on forwarded ports; a port forwarded twice. */
#include "harness.h"

#include "runtime/relay/relay.h"

static int parse(const char *arg, struct relay_fwd *out, uint32_t cap, uint32_t *n)
{
	char err[160] = "";
	int r = relay_fwd_parse(arg, out, cap, n, err, sizeof(err));
	ASSERT(r == 0 ? err[0] == 0 : err[0] != 0); /* a refusal always says why */
	return r;
}

TEST(relay_fwd_parse_forms)
{
	struct relay_fwd f[64];
	uint32_t n = 0;
	ASSERT_EQ(parse("8080", f, 64, &n), 0);
	ASSERT_EQ(parse("18081:81", f, 64, &n), 0);
	ASSERT_EQ(parse("127.0.0.1/2222:22", f, 64, &n), 0);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(f[0].host_addr, 0);
	ASSERT_EQ(f[0].host_port, 8080);
	ASSERT_EQ(f[0].ns_port, 8080);
	ASSERT_EQ(f[1].host_port, 18081);
	ASSERT_EQ(f[1].ns_port, 81);
	ASSERT_EQ(f[2].host_addr, 0x7f000001);
	ASSERT_EQ(f[2].host_port, 2222);
	ASSERT_EQ(f[2].ns_port, 22);
	/* Ranges: to the same ports, to a range as long, from a start port. */
	n = 0;
	ASSERT_EQ(parse("8000-8010", f, 64, &n), 0);
	ASSERT_EQ(n, 11);
	for (uint32_t i = 0; i < 11; i++) {
		ASSERT_EQ(f[i].host_port, 8000 + i);
		ASSERT_EQ(f[i].ns_port, 8000 + i);
	}
	ASSERT_EQ(parse("9000-9002:100-102", f, 64, &n), 0);
	ASSERT_EQ(parse("9100-9102:200", f, 64, &n), 0);
	ASSERT_EQ(n, 17);
	ASSERT_EQ(f[11].ns_port, 100);
	ASSERT_EQ(f[13].ns_port, 102);
	ASSERT_EQ(f[14].host_port, 9100);
	ASSERT_EQ(f[16].ns_port, 202);
	ASSERT_EQ(parse("65535", f, 64, &n), 0);
}

TEST(relay_fwd_parse_refusals)
{
	static const char *const bad[] = { "", "0", "65536", "123456", "x", "80x", "-80", "80-",
		"8000-7999", "8000-8010:9000-9001", "80:", ":80", "80:81:82", "1.2.3/80", "/80",
		"1.2.3.4.5/80", "80:0", "65530-65535:65534", "1.2.3.4/", "300.0.0.1/80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct relay_fwd f[64];
		uint32_t n = 0;
		if (parse(bad[i], f, 64, &n) != -1)
			gt_test_fail(__FILE__, __LINE__, "-t '%s' was taken", bad[i]);
		ASSERT_EQ(n, 0);
	}
}

TEST(relay_fwd_parse_limit_and_duplicates)
{
	struct relay_fwd f[16];
	uint32_t n = 0;
	ASSERT_EQ(parse("1000-1015", f, 16, &n), 0);
	ASSERT_EQ(parse("2000", f, 16, &n), -1); /* the 17th */
	ASSERT_EQ(n, 16);
	n = 0;
	ASSERT_EQ(parse("8000", f, 16, &n), 0);
	ASSERT_EQ(parse("8000:9000", f, 16, &n), -1);
	ASSERT_EQ(parse("127.0.0.1/8000", f, 16, &n), -1); /* every address includes it */
	ASSERT_EQ(parse("127.0.0.1/8001", f, 16, &n), 0);
	ASSERT_EQ(parse("127.0.0.2/8001", f, 16, &n), 0); /* another address: both bind */
	ASSERT_EQ(n, 3);
}
