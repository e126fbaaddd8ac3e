/* The script parser meets garbage: seeded mutations of a valid script must
 * give a verdict (PASS/FAIL/UNSUPPORTED/ERROR with a line number), never a
 * crash or a hang. Under the ASan+UBSan build this also checks memory. */
#include "harness.h"

#include "pktrun/pktrun.h"
#include "test_pktrun.h"

static const char script[] =
	"--tolerance_usecs=10000\n"
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"+0 bind(3, ..., ...) = 0\n"
	"+0 listen(3, 1) = 0\n"
	"+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
	"+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 10>\n"
	"+.1 < . 1:1(0) ack 1 win 257\n"
	"+0 accept(3, ..., ...) = 4\n"
	"+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
	"+0 < P. 1:1001(1000) ack 1 win 257\n"
	"+0 > . 1:1(0) ack 1001\n"
	"+0 %{ assert tcpi_state == 1 }%\n"
	"+0 `sysctl -q net.ipv4.tcp_sack=1`\n"
	"+0 read(4, ..., 1000) = 1000\n"
	"+0 close(4) = 0\n"
	"+0 > R. 1:1(0) ack 1001\n";

static const char *const tokens[] = {
	"(", ")", "[", "]", "{", "}", "<", ">", ",", ":", "...", "`", "%{", "}%", "#ifdef X\n",
	"#endif\n", "\n", "+", "~", "*", "-1", "4294967295", "99999999999999", "S.", "sack 1:2",
	"TS val 1 ecr 2", "/*", "*/", "//", "\"", "=", "|", "0x", "icmp unreachable", "\0",
	"[ect0] ", "[ce]", "[ect01]", "(tos 0x2) ", "(ttl 4, tos 255)", "IP_TOS", "IPPROTO_IP",
};

static uint64_t rng(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

TEST(pktrun_parse_survives_mutations)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	pk_run_text(script, sizeof(script) - 1, "mut.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS); /* the seed itself is a valid script */
	uint64_t seed = 12345;
	char buf[4096];
	unsigned verdicts[4] = {0};
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = sizeof(script) - 1;
		memcpy(buf, script, len);
		int edits = 1 + (int)(rng(&seed) % 4);
		for (int e = 0; e < edits; e++) {
			size_t at = len ? rng(&seed) % len : 0;
			switch (rng(&seed) % 3) {
			case 0: /* flip a byte */
				buf[at] = (char)rng(&seed);
				break;
			case 1: /* delete a run */ {
				size_t n = 1 + rng(&seed) % 8;
				if (at + n > len)
					n = len - at;
				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
				break;
			}
			default: { /* insert a token */
				const char *t = tokens[rng(&seed) % (sizeof(tokens) / sizeof(tokens[0]))];
				size_t n = strlen(t) ? strlen(t) : 1;
				if (len + n >= sizeof(buf))
					break;
				memmove(buf + at + n, buf + at, len - at);
				memcpy(buf + at, t, n);
				len += n;
			}
			}
		}
		pk_run_text(buf, len, "mut.pkt", NULL, &opt, &res);
		ASSERT(res.verdict <= PK_ERROR);
		if (res.verdict != PK_PASS)
			ASSERT(res.why[0] != 0);
		verdicts[res.verdict]++;
	}
	/* The mutations reach every verdict: the test exercises the parser's
	 * error paths, not only the happy one. */
	ASSERT_GT(verdicts[PK_ERROR], 100);
	ASSERT_GT(verdicts[PK_FAIL], 10);
	ASSERT_GT(verdicts[PK_PASS] + verdicts[PK_UNSUPPORTED], 10);
}

TEST(pktrun_parse_error_names_the_line)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char bad[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0 win 1\n";
	pk_run_text(bad, sizeof(bad) - 1, "bad.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_ERROR);
	ASSERT_EQ(res.line, 2);
	const char unsup[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 splice(3) = 0\n";
	pk_run_text(unsup, sizeof(unsup) - 1, "u.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(res.line, 2);
}

/* Issue 15: every number a script or option gives is bounded, so none can
 * overflow the sums the runner makes (UBSan found --tolerance_usecs near
 * 2^63 overflowing a signed addition). Out of range is a parse error on its
 * line, or an unsupported sysctl; never undefined behaviour. */
TEST(pktrun_bounds_every_number)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	static const char *const bad[] = {
		"--tolerance_usecs=9223372036854775807\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
		"--tolerance_usecs=-1\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
		"--tcp_ts_tick_usecs=9223372036854775807\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
		"--mtu=99999999999\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
		"99999999 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+99999999 close(3) = 0\n"
		"+99999999 close(3) = 0\n",
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+99999999...+99 close(3) = 0\n",
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n99999999~100000000.5 close(3) = 0\n",
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 99999999999999999999999\n",
		"0 < S 0:0(0) win 99999999999999999999 <mss 1000>\n",
		"0 < S 0:0(0) win 65536\n",
		"0 < S 4294967296:4294967296(0) win 1\n",
		"0 < S 0:0(0) win 1 <mss 65536>\n",
		"0 < S 0:0(0) win 1 <TS val 0x10000000000000000 ecr 0>\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pk_run_text(bad[i], strlen(bad[i]), "bound.pkt", NULL, &opt, &res);
		ASSERT_EQ(res.verdict, PK_ERROR);
		ASSERT_GT(res.line, 0);
	}
	/* The largest tolerance accepted still runs without overflow. */
	const char big[] = "--tolerance_usecs=100000000000000\n"
			   "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			   "+99999999 close(3) = 0\n";
	pk_run_text(big, sizeof(big) - 1, "big.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	/* Sysctl values: products of huge numbers are refused, not computed. */
	static const char *const huge[] = {
		"0 `sysctl -q net.ipv4.tcp_keepalive_time=9223372036854775807`\n",
		"0 `sysctl -q net.ipv4.tcp_rmem=\"4096 87380 9223372036854775807\"`\n",
		"0 `sysctl -q net.ipv4.tcp_wmem=\"4096 $((4294967295*4294967295)) 4194304\"`\n",
	};
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		pk_run_text(huge[i], strlen(huge[i]), "huge.pkt", NULL, &opt, &res);
		ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	}
	opt.profile = GT_PROFILE_FREEBSD;
	const char bsd[] = "0 `sysctl -q net.inet.tcp.rexmit_initial=9223372036854775807`\n";
	pk_run_text(bsd, sizeof(bsd) - 1, "bsd.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
}

/* A backtick command may hold several, split at ';' and "&&" outside
 * quotes, as the shell does for the kernel half: each sysctl here shows in
 * the SYN (only the MSS option left); an unknown one stops the rest. */
TEST(pktrun_shell_commands_split_at_semicolons)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char many[] =
		"0 `sysctl -q net.ipv4.tcp_sack=0; sysctl -q net.ipv4.tcp_rmem=\"4096 131072 "
		"6291456\" && sysctl -q net.ipv4.tcp_timestamps=0;sysctl -q "
		"net.ipv4.tcp_window_scaling=0`\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
		"+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
		"+0 > S 0:0(0) <mss 1460>\n";
	pk_run_text(many, sizeof(many) - 1, "many.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	const char unknown[] = "0 `sysctl -q net.ipv4.tcp_sack=0; frobnicate --all`\n"
			       "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	pk_run_text(unknown, sizeof(unknown) - 1, "unknown.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(res.line, 1);
}

/* ECN codepoints and the TOS byte on packets (packetdrill's [ect0], [ect1],
 * [ce], [noecn], [ect01] and (tos N)): an outbound packet's field is
 * compared, a wrong one fails, an unknown name is a parse error on its
 * line, and [ect01] is for outbound packets only. */
TEST(pktrun_ecn_codepoints)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char head[] = "0 `sysctl -q net.ipv4.tcp_ecn=2`\n"
			    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
			    "+0 bind(3, ..., ...) = 0\n"
			    "+0 listen(3, 1) = 0\n"
			    "+0 < SEW 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>\n"
			    "+0 > SE. 0:0(0) ack 1 <...>\n"
			    "+.1 < . 1:1(0) ack 1 win 514\n"
			    "+0 accept(3, ..., ...) = 4\n"
			    "+0 write(4, ..., 10) = 10\n";
	static const struct {
		const char *last;
		enum pk_verdict v;
	} cases[] = {
		{"+0 > [ect0] P. 1:11(10) ack 1\n", PK_PASS},
		{"+0 > [ect01] P. 1:11(10) ack 1\n", PK_PASS},
		{"+0 > (tos 0x2) P. 1:11(10) ack 1\n", PK_PASS},
		{"+0 > P. 1:11(10) ack 1\n", PK_PASS}, /* not written: not checked */
		{"+0 > [noecn] P. 1:11(10) ack 1\n", PK_FAIL},
		{"+0 > [ce] P. 1:11(10) ack 1\n", PK_FAIL},
		{"+0 > (tos 0x0) P. 1:11(10) ack 1\n", PK_FAIL},
		{"+0 > [ect2] P. 1:11(10) ack 1\n", PK_ERROR},
		{"+0 < [ect01] P. 1:11(10) ack 1 win 514\n", PK_ERROR},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048];
		int n = snprintf(text, sizeof(text), "%s%s", head, cases[i].last);
		pk_run_text(text, (size_t)n, "ecn.pkt", NULL, &opt, &res);
		ASSERT_EQ(res.verdict, cases[i].v);
		if (cases[i].v != PK_PASS)
			ASSERT_EQ(res.line, 11);
	}
}

/* packetdrill's --non_fatal=syscall: a call's unexpected result is a
 * warning and the script runs on (a later mismatch of another kind still
 * fails it); without the option the same script fails at the call. An
 * unknown TCP option (FreeBSD's RACK stack's TCP_RACK_PACE_MAX_SEG, which
 * its default stack refuses) gets ENOPROTOOPT. --non_fatal=packet and
 * --udp_encapsulation other than =tcp are not run; "/udp(...)" without
 * --udp_encapsulation=tcp is not either. */
TEST(pktrun_non_fatal_syscall_warns_and_goes_on)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_FREEBSD};
	struct pk_result res;
	static const char body[] =
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 setsockopt(3, IPPROTO_TCP, TCP_RACK_PACE_MAX_SEG, [2], 4) = 0\n"
		"+0 setsockopt(3, IPPROTO_TCP, TCP_RACK_PACE_ALWAYS, [1], 4) = -1 ENOPROTOOPT (x)\n"
		"+0 bind(3, ..., ...) = 0\n"
		"+0 listen(3, 1) = 0\n";
	char text[1024];
	snprintf(text, sizeof(text), "--non_fatal=syscall\n%s", body);
	pk_run_text(text, strlen(text), "nf.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	pk_run_text(body, sizeof(body) - 1, "f.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_FAIL);
	ASSERT_EQ(res.line, 2);
	snprintf(text, sizeof(text), "--non_fatal=syscall\n%s+0 < S 0:0(0) win 1000\n+0 > R 0:0(0)\n",
		 body);
	pk_run_text(text, strlen(text), "nf2.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_FAIL); /* a packet mismatch is not forgiven */
	snprintf(text, sizeof(text), "--non_fatal=packet\n%s", body);
	pk_run_text(text, strlen(text), "nfp.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	snprintf(text, sizeof(text), "--udp_encapsulation=sctp\n%s", body);
	pk_run_text(text, strlen(text), "udp.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	snprintf(text, sizeof(text), "%s+0 < S 0:0(0) win 1000/udp(1 > 9811)\n", body);
	pk_run_text(text, strlen(text), "udp2.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
}

/* TCP-MD5 in the dialect (RFC 2385, docs/conformance.md): setkey keys and
 * TCP_MD5SIG in the FreeBSD profile, "md5 valid" made and checked both
 * ways; a wrong key, an unsigned handshake ACK or "md5 invalid" expected
 * fail; the Linux profile takes TCP_MD5SIG in Linux's form, which refuses
 * the int (shorter than struct tcp_md5sig: EINVAL, as Linux); a setkey
 * statement other than "add ... tcp-md5" is unsupported. */
TEST(pktrun_md5_signatures)
{
	struct pk_options bsd = {.profile_set = true, .profile = GT_PROFILE_FREEBSD};
	struct pk_options lx = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char *fmt =
		"--tcp_md5_secret=secret\n"
		"`echo 'add 192.168.0.1 192.0.2.1 tcp 0x1000 -A tcp-md5 \"%s\" ;\n"
		"       add 192.0.2.1 192.168.0.1 tcp 0x1001 -A tcp-md5 \"%s\" ;' | setkey -c`\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 setsockopt(3, IPPROTO_TCP, TCP_MD5SIG, [1], 4) = 0\n"
		"+0 bind(3, ..., ...) = 0\n"
		"+0 listen(3, 1) = 0\n"
		"+0 < S 0:0(0) win 32767 <mss 1460,sackOK,md5 valid>\n"
		"+0 > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,md5 %s>\n"
		"+.1 < . 1:1(0) ack 1 win 32767 <nop,nop,md5 %s>\n"
		"+0 accept(3, ..., ...) = 4\n"
		"`setkey -F`\n";
	static const struct {
		const char *key, *out, *in;
		enum pk_verdict v;
		int line;
	} cases[] = {
		{"secret", "valid", "valid", PK_PASS, 0},
		{"other", "valid", "valid", PK_FAIL, 9},   /* the SYN is dropped: no SYN-ACK */
		{"secret", "invalid", "valid", PK_FAIL, 9},
		{"secret", "valid", "invalid", PK_FAIL, 11}, /* ACK dropped: accept() blocks */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048];
		int n = snprintf(text, sizeof(text), fmt, cases[i].key, cases[i].key, cases[i].out,
				 cases[i].in);
		pk_run_text(text, (size_t)n, "md5.pkt", NULL, &bsd, &res);
		ASSERT_EQ(res.verdict, cases[i].v);
		if (cases[i].v != PK_PASS)
			ASSERT_EQ(res.line, cases[i].line);
		if (i == 0) {
			pk_run_text(text, (size_t)n, "md5.pkt", NULL, &lx, &res);
			ASSERT_EQ(res.verdict, PK_FAIL);
			ASSERT_EQ(res.line, 5);
		}
	}
	const char other[] = "`echo 'add 192.168.0.1 192.0.2.1 esp 0x1000 -E des-cbc \"k\" ;' | setkey -c`\n"
			     "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	pk_run_text(other, sizeof(other) - 1, "esp.pkt", NULL, &bsd, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
}

/* A blocking call written relative to the event before ("+.08...0.180")
 * ends that long after the event before, as its start is counted, not at
 * 0.180 absolute (packetdrill's adjust_relative_event_times()): here the
 * event before is at 0.02 and connect() returns at 0.2, with the SYN-ACK. */
TEST(pktrun_blocking_end_relative_to_the_event_before)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char head[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			    "+.02 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n";
	const char tail[] = " connect(3, ..., ...) = 0\n"
			    "+0 > S 0:0(0) <...>\n"
			    "+.1 < S. 0:0(0) ack 1 win 32792 <mss 1460,nop,wscale 7>\n"
			    "+0 > . 1:1(0) ack 1\n";
	const char *ends[] = {"+.08...0.180", "+.08...0.150", "0.1...0.2", "+.08...+.1"};
	const enum pk_verdict want[] = {PK_PASS, PK_FAIL, PK_PASS, PK_PASS};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		char text[512];
		int n = snprintf(text, sizeof(text), "%s%s%s", head, ends[i], tail);
		pk_run_text(text, (size_t)n, "blocking.pkt", NULL, &opt, &res);
		ASSERT_EQ(res.verdict, want[i]);
	}
}

/* Comments as sh and Python read them: '#' starting a word in a backtick
 * command ends it there (the sysctl below still takes the SYN's SACK
 * option off), and '#' lines in a code block are skipped; the names of
 * Linux's congestion states parse, and tcpi_ca_state is the Linux
 * profile's (gt_tcp_info.ca_state); FreeBSD's tcp_info has no such field,
 * so there it is unsupported, not failed. */
TEST(pktrun_comments_in_commands_and_code_blocks)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char shell[] = "0 `sysctl -q net.ipv4.tcp_sack=0   # no SACK; \"quoted\" #too\n"
			     "sysctl -q net.ipv4.tcp_timestamps=0 # and no timestamps`\n"
			     "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			     "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			     "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			     "+0 > S 0:0(0) <mss 1460,nop,wscale 10>\n"
			     "+0 %{\n# a comment; with a semicolon\nassert tcpi_state == TCPI_SYN_SENT, tcpi_state\n}%\n";
	pk_run_text(shell, sizeof(shell) - 1, "comments.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	const char ca[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			  "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			  "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			  "+0 %{ assert tcpi_ca_state == TCP_CA_Open, tcpi_ca_state }%\n";
	pk_run_text(ca, sizeof(ca) - 1, "ca.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	const char loss[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			    "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			    "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			    "+0 %{ assert tcpi_ca_state == TCP_CA_Loss, tcpi_ca_state }%\n";
	pk_run_text(loss, sizeof(loss) - 1, "loss.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_FAIL);
	ASSERT_EQ(res.line, 4);
	struct pk_options bsd = {.profile_set = true, .profile = GT_PROFILE_FREEBSD};
	pk_run_text(ca, sizeof(ca) - 1, "ca.pkt", NULL, &bsd, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(res.line, 4);
}

/* sysctl(8)'s slash form of a name works as the dotted one (the SYN below
 * offers no SACK); a queueing discipline other than a FIFO, which the
 * device keeps, is unsupported (fq paces: the script would see other
 * times), never taken as done. */
TEST(pktrun_sysctl_slash_names_and_qdiscs)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char slash[] = "0 `sysctl -q net.ipv4.tcp_sack=1; sysctl -q net/ipv4/tcp_sack=0; tc qdisc add dev tun0 root pfifo`\n"
			     "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			     "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			     "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			     "+0 > S 0:0(0) <mss 1460,nop,nop,TS val 100 ecr 0,nop,wscale 10>\n";
	pk_run_text(slash, sizeof(slash) - 1, "slash.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	const char fq[] = "0 `tc qdisc replace dev tun0 root fq`\n"
			  "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	pk_run_text(fq, sizeof(fq) - 1, "fq.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(res.line, 1);
}

/* A passive open to ESTABLISHED in eight lines: socket 4 accepted at
 * 0.01 (the runner's tests below continue from line 9). */

/* A kernel run without a stall of the test's own can meet one of the
 * machine's: a runner 4-8 ms late at a script's start, 1 run in 30-40
 * here with nothing else running. The runner then says UNSUPPORTED and
 * names itself, and what that run was for cannot be told: the reason is
 * kept in stalled, the test's other runs are judged, and the test ends
 * skipped (exit 77, never passed). */
static bool names_line(const char *r, int line)
{
	static const char *const before[] = {"line ", "lines ", "and "};
	for (size_t k = 0; line && k < sizeof(before) / sizeof(before[0]); k++) {
		char at[32];
		int len = snprintf(at, sizeof(at), "%s%d", before[k], line);
		for (const char *p = strstr(r, at); p; p = strstr(p + 1, at))
			if (p[len] < '0' || p[len] > '9')
				return true;
	}
	return false;
}

/* Asked where a kernel run's verdict is not the one expected: did the
 * runner record a stall of the machine's own (one whose reason does not
 * name the test's stall_line, "with line N", "lines N and M")? */
static bool stalled_itself(const struct pk_result *res, int stall_line, char *stalled, size_t n)
{
	const char *r = res->verdict == PK_UNSUPPORTED ? strstr(res->why, "the runner") : NULL;
	if (!r && res->runner_note[0])
		r = res->runner_note;
	if (!r || names_line(r, stall_line))
		return false;
	snprintf(stalled, n, "%s", r);
	return true;
}

/* Under --strict an unscripted packet the stack sends before an event, by
 * more than the script's tolerance, fails the script in both back-ends:
 * here the ACK of the data, 10 ms before the script's last line. The kernel
 * back-end judged it with its own wider tolerance (20 ms) and let it pass;
 * the script's 4 ms is what judges it now. (Without --strict no '>' line
 * reads it and it is not judged, as in packetdrill:
 * test_pktrun_fidelity.c.) The kernel half runs as root only (PK_SKIP
 * otherwise). */
TEST(pktrun_kernel_flags_what_glasstcp_flags)
{
	static const char text[] =
		PK_ACCEPTED_HEAD
		"+.01 < P. 1:101(100) ack 1 win 257\n"
		"+.01 close(4) = 0\n";
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	for (int kernel = 0; kernel <= 1; kernel++) {
		struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .kernel = kernel,
					 .strict = true};
		struct pk_result res;
		pk_run_text(text, sizeof(text) - 1, "unexpected.pkt", NULL, &opt, &res);
		if (kernel && (res.verdict == PK_SKIP ||
			       (res.verdict != PK_FAIL && stalled_itself(&res, 0, stalled, sizeof(stalled)))))
			continue;
		ASSERT_EQ(res.verdict, PK_FAIL);
		ASSERT_EQ(res.line, 10);
	}
	SKIP_IF_STALLED(stalled);
}

/* The kernel runner's floor (PK_KERNEL_TOLERANCE_US, 20 ms) is for
 * lateness only: a packet 10 ms before its time, or a blocking call that
 * returns 10 ms before its end, is early past the script's 4 ms on every
 * back-end, glasstcp, --jitter (which judges as the kernel runner does)
 * and the kernel (as root; PK_SKIP otherwise). Each passed under --jitter
 * and on the kernel while the floor widened both edges; on time, each
 * passes everywhere. */
TEST(pktrun_kernel_floor_widens_the_late_edge_only)
{
	static const char *const tail[][2] = {
		{"+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
		 "+.05 write(4, ..., 100) = 100\n"
		 "+.01 > P. 1:101(100) ack 1\n",
		 "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
		 "+.05 write(4, ..., 100) = 100\n"
		 "+0 > P. 1:101(100) ack 1\n"},
		/* The end counts from the event before (0.01): 0.05, 0.04. */
		{"+0...0.04 read(4, ..., 100) = 100\n"
		 "0.04 < P. 1:101(100) ack 1 win 257\n",
		 "+0...0.03 read(4, ..., 100) = 100\n"
		 "0.04 < P. 1:101(100) ack 1 win 257\n"},
	};
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	for (size_t t = 0; t < sizeof(tail) / sizeof(tail[0]); t++) {
		for (int on_time = 0; on_time <= 1; on_time++) {
			char text[1024];
			int n = snprintf(text, sizeof(text), "%s%s", PK_ACCEPTED_HEAD, tail[t][on_time]);
			for (int mode = 0; mode <= 2; mode++) { /* glasstcp, --jitter, kernel */
				struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
							 .kernel = mode == 2, .jitter_us = mode == 1,
							 .jitter_seed = 1};
				struct pk_result res;
				pk_run_text(text, (size_t)n, "early.pkt", NULL, &opt, &res);
				enum pk_verdict want = on_time ? PK_PASS : PK_FAIL;
				if (mode == 2 && (res.verdict == PK_SKIP ||
						  (res.verdict != want &&
						   stalled_itself(&res, 0, stalled, sizeof(stalled)))))
					continue;
				if (res.verdict != want)
					fprintf(stderr, "tail %zu, mode %d, on time %d: %d: %s\n", t, mode,
						on_time, res.line, res.why);
				ASSERT_EQ(res.verdict, want);
				if (want == PK_FAIL)
					ASSERT_EQ(res.line, t ? 9 : 11);
			}
		}
	}
	SKIP_IF_STALLED(stalled);
}

/* The same for an outbound TS val: one 10 ticks past what the clock says
 * (the script's 1070 for a segment sent 60 ms after a SYN-ACK of 1000)
 * fails under --jitter as on glasstcp, where the symmetric floor passed
 * it; an early edge of the script's tolerance, plus how late the TS base's
 * packet came (here none) and a tick. The right value passes both. */
TEST(pktrun_ts_val_early_edge_is_the_scripts)
{
	static const char head[] =
		"--tcp_ts_tick_usecs=1000\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
		"+0 bind(3, ..., ...) = 0\n"
		"+0 listen(3, 1) = 0\n"
		"+0 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
		"+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 1000 ecr 100,nop,wscale 10>\n"
		"+.01 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 1000>\n"
		"+0 accept(3, ..., ...) = 4\n"
		"+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
		"+.05 write(4, ..., 100) = 100\n";
	static const char *const val[] = {"1070", "1060"};
	for (int on_time = 0; on_time <= 1; on_time++) {
		char text[1024];
		int n = snprintf(text, sizeof(text), "%s+0 > P. 1:101(100) ack 1 <nop,nop,TS val %s ecr 110>\n",
				 head, val[on_time]);
		for (int jitter = 0; jitter <= 1; jitter++) {
			struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
						 .jitter_us = jitter, .jitter_seed = 1};
			struct pk_result res;
			pk_run_text(text, (size_t)n, "ts-early.pkt", NULL, &opt, &res);
			if (res.verdict != (on_time ? PK_PASS : PK_FAIL))
				fprintf(stderr, "jitter %d, on time %d: %d: %s\n", jitter, on_time, res.line, res.why);
			ASSERT_EQ(res.verdict, on_time ? PK_PASS : PK_FAIL);
			if (!on_time)
				ASSERT_EQ(res.line, 12);
		}
	}
}

/* On real time the runner itself can be late: a machine that does not run
 * its real-time threads for 60 ms (opt.stall_line: here before the write
 * of line 10) makes the kernel's answer that late too. Such a packet,
 * late by no more than the runner was, is not judged: UNSUPPORTED, never
 * PASS. One that comes early stays a failure whatever the runner did, and
 * without the stall the script passes. glasstcp on virtual time is never
 * late. The kernel half runs as root only (PK_SKIP otherwise). */
TEST(pktrun_kernel_runner_late_is_not_judged)
{
	static const char head[] =
		PK_ACCEPTED_HEAD
		"+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
		"+.05 write(4, ..., 100) = 100\n";
	static const char *const tail[] = {"+0 > P. 1:101(100) ack 1\n", "+.3 > P. 1:101(100) ack 1\n"};
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	for (int early = 0; early <= 1; early++) {
		char text[1024];
		int n = snprintf(text, sizeof(text), "%s%s", head, tail[early]);
		for (int kernel = 0; kernel <= 1; kernel++) {
			for (int stall = 0; stall <= 1; stall++) {
				struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
							 .kernel = kernel, .stall_line = stall ? 10 : 0,
							 .stall_us = 60000};
				struct pk_result res;
				pk_run_text(text, (size_t)n, "late.pkt", NULL, &opt, &res);
				enum pk_verdict want = early ? PK_FAIL
							     : (kernel && stall ? PK_UNSUPPORTED : PK_PASS);
				if (kernel && (res.verdict == PK_SKIP ||
					       (res.verdict != want &&
						stalled_itself(&res, opt.stall_line, stalled, sizeof(stalled)))))
					continue;
				if (res.verdict != want)
					fprintf(stderr, "%s, stall %d, early %d: %d: %s\n",
						kernel ? "kernel" : "glasstcp", stall, early, res.line, res.why);
				ASSERT_EQ(res.verdict, want);
				if (want != PK_PASS)
					ASSERT_EQ(res.line, 11);
			}
		}
	}
	SKIP_IF_STALLED(stalled);
}

/* A runner late with an earlier action by more than the script's own
 * tolerance (here the setsockopt() of line 9, stalled 40 ms; the write
 * of line 10 is on time again, and so is its packet) ran the kernel on
 * intervals the script did not set: a mismatch in what the packet holds
 * after it is UNSUPPORTED, not FAIL (CI: an 8.5 ms late SYN shortened the
 * handshake's RTT, and Linux's skb sizes and PSH marks followed). Without
 * the stall, or on glasstcp's virtual time, the same mismatch fails. */
TEST(pktrun_kernel_runner_late_earlier_is_not_judged)
{
	static const char text[] = PK_ACCEPTED_HEAD "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
						    "+.05 write(4, ..., 100) = 100\n"
						    "+0 > . 1:101(100) ack 1\n";
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	for (int kernel = 0; kernel <= 1; kernel++) {
		for (int stall = 0; stall <= 1; stall++) {
			struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
						 .kernel = kernel, .stall_line = stall ? 9 : 0,
						 .stall_us = 40000};
			struct pk_result res;
			pk_run_text(text, sizeof(text) - 1, "late-before.pkt", NULL, &opt, &res);
			if (kernel && (res.verdict == PK_SKIP ||
				       (res.verdict != (kernel && stall ? PK_UNSUPPORTED : PK_FAIL) &&
					stalled_itself(&res, opt.stall_line, stalled, sizeof(stalled)))))
				continue;
			if (res.verdict != (kernel && stall ? PK_UNSUPPORTED : PK_FAIL))
				fprintf(stderr, "%s, stall %d: %d: %s\n", kernel ? "kernel" : "glasstcp", stall,
					res.line, res.why);
			ASSERT_EQ(res.verdict, kernel && stall ? PK_UNSUPPORTED : PK_FAIL);
			ASSERT_EQ(res.line, 11);
		}
	}
	SKIP_IF_STALLED(stalled);
}

/* A listener's handshake over a 100 ms round trip, the connection at fd 4:
 * Linux's first RTO is then 100 + max(2 x 100, tcp_rto_min) = 300 ms. */
#define PK_ACCEPTED_HEAD_100MS PK_ACCEPTED_HEAD_RTT(".1")

/* Runs text on glasstcp's Linux profile and, as root, on the kernel, with
 * opt's stall: each must give want (an unexpected verdict's reason is
 * printed; PK_SKIP where the kernel cannot be had). */
static void expect_both(const char *text, const char *name, struct pk_options opt, enum pk_verdict want)
{
	opt.profile_set = true;
	opt.profile = GT_PROFILE_LINUX;
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	for (int kernel = 0; kernel <= 1; kernel++) {
		struct pk_result res;
		opt.kernel = kernel;
		pk_run_text(text, strlen(text), name, NULL, &opt, &res);
		if (kernel && (res.verdict == PK_SKIP ||
			       (res.verdict != want && stalled_itself(&res, opt.stall_line, stalled, sizeof(stalled)))))
			continue;
		if (res.verdict != want)
			fprintf(stderr, "%s:%d: %s\n", kernel ? "kernel" : "glasstcp", res.line, res.why);
		ASSERT_EQ(res.verdict, want);
	}
	SKIP_IF_STALLED(stalled);
}

/* A runner that waited for the kernel is not late of its own doing: Linux's
 * delayed ACK (40 ms, whole 4 ms jiffies) comes 6-10 ms after the script's
 * +.034, inside the kernel's tolerance, and the write after it goes that
 * much after its own time. A mismatch in the write's packet is then a
 * FAIL, never UNSUPPORTED (it was UNSUPPORTED while the write counted as
 * the runner's lateness). On a machine so slow that the ACK falls outside
 * the tolerance the script fails there instead: FAIL either way. */
TEST(pktrun_kernel_waiting_for_the_kernel_is_not_runner_late)
{
	expect_both(PK_ACCEPTED_HEAD "+0 setsockopt(4, SOL_TCP, TCP_QUICKACK, [0], 4) = 0\n"
				     "+.1 < P. 1:101(100) ack 1 win 257\n"
				     "+.034 > . 1:1(0) ack 101\n"
				     "+0 write(4, ..., 50) = 50\n"
				     "+0 > P. 1:51(50) ack 101 win 1\n",
		    "waited.pkt", (struct pk_options){0}, PK_FAIL);
}

/* Runs text on glasstcp and on the kernel (as root), each with and without
 * the runner stalled stall_us before stall_line: the kernel with the stall
 * must give UNSUPPORTED, naming the interval (why), the other three
 * otherwise (at line, where it is not 0). Under --strict, whose relative
 * times count from script times: without it they count from when the
 * packet before came (packetdrill's rule), and a stall before a '<' line
 * answered by a '+0 >' line moves everything after it, the interval kept
 * (pktrun_kernel_shortened_rtt_excuses_an_early_timer's stalled kernel run
 * then passes, as under packetdrill). */
static void stall_matrix(const char *text, const char *name, int stall_line, int64_t stall_us,
			 enum pk_verdict otherwise, int line, const char *why)
{
	char stalled[sizeof(((struct pk_result *)0)->why)] = "";
	for (int kernel = 0; kernel <= 1; kernel++) {
		for (int stall = 0; stall <= 1; stall++) {
			struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
						 .kernel = kernel, .stall_line = stall ? stall_line : 0,
						 .stall_us = stall_us, .strict = true};
			struct pk_result res;
			pk_run_text(text, strlen(text), name, NULL, &opt, &res);
			enum pk_verdict want = kernel && stall ? PK_UNSUPPORTED : otherwise;
			if (kernel && (res.verdict == PK_SKIP ||
				       (res.verdict != want &&
					stalled_itself(&res, opt.stall_line, stalled, sizeof(stalled)))))
				continue;
			if (res.verdict != want)
				fprintf(stderr, "%s, stall %d: %d: %s\n", kernel ? "kernel" : "glasstcp", stall,
					res.line, res.why);
			ASSERT_EQ(res.verdict, want);
			if (want != PK_PASS && line)
				ASSERT_EQ(res.line, line);
			/* The interval's reason (why), or, where the machine
			 * added to the stall, the single late action's: either
			 * names the stalled line. */
			if (want == PK_UNSUPPORTED)
				ASSERT(strstr(res.why, why) ||
				       (strstr(res.why, "the runner") &&
					names_line(strstr(res.why, "the runner"), stall_line)));
		}
	}
	SKIP_IF_STALLED(stalled);
}

/* An interval the runner shortened by more than a quarter of it (at most
 * the script's tolerance): here the handshake's ACK (line 7) stalled
 * 3.5 ms, under the 4 ms a single late action may be, and the write 10 ms
 * after it on time, 6.5 ms after it as the kernel saw them. A mismatch after it is
 * UNSUPPORTED, and says which interval; without the stall, or on virtual
 * time, it fails. CI on 37dac0b: cubic-fast-convergence-second-loss.pkt's
 * line 70 went 1.8 ms late and line 72 on time, 0.26 ms after it for the
 * script's 2 ms, and Linux's tcp_tso_should_defer() held back the segment
 * the script expects (it defers when its last send was under 1 ms ago). */
TEST(pktrun_kernel_shortened_interval_is_not_judged)
{
	static const char text[] = PK_ACCEPTED_HEAD "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
						    "+.01 write(4, ..., 100) = 100\n"
						    "+0 > . 1:101(100) ack 1\n";
	stall_matrix(text, "shortened.pkt", 7, 3500, PK_FAIL, 11,
		     "shortened the script's 10.000 ms between lines 7 and 10");
}

/* A shortened interval brings the kernel's timers early: a SYN 16 ms late
 * and the handshake's ACK on time give Linux an RTT sample of 184 ms for
 * the script's 200, an RTO of 552 ms for 600 (184 + 2 x 184), and the
 * backed-off retransmission 1.10-1.14 s after the first for 1.2 s, early
 * past the window. UNSUPPORTED then (CI on 37dac0b:
 * window-zero-persist-probes.pkt, its SYN 19.6 ms late, a persist probe
 * 24 ms early); without the stall, and on virtual time, the script
 * passes; a packet early with no interval shortened stays a failure
 * (pktrun_kernel_runner_late_is_not_judged). With a 100 ms handshake the
 * margin was a few ms and the stalled run passed 1 time in 25. */
TEST(pktrun_kernel_shortened_rtt_excuses_an_early_timer)
{
	static const char text[] = PK_ACCEPTED_HEAD_RTT(".2") "+0 write(4, ..., 100) = 100\n"
				   "+0 > P. 1:101(100) ack 1\n"
				   "+.6~+.64 > P. 1:101(100) ack 1\n"
				   "+1.2~+1.24 > P. 1:101(100) ack 1\n";
	stall_matrix(text, "early-rto.pkt", 5, 16000, PK_PASS, 0,
		     "shortened the script's 200.000 ms between lines 5 and 7");
}

/* --jitter on virtual time: each action goes up to jitter_us late, the
 * same for a seed and line, so a script whose outcome rests on an
 * interval (here tcpi_rtt, 10 ms from the handshake and the write's ACK)
 * no longer passes, and the same seed gives the same verdict again. */
TEST(pktrun_jitter_moves_actions_deterministically)
{
	static const char text[] = PK_ACCEPTED_HEAD "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
						    "+.05 write(4, ..., 100) = 100\n"
						    "+0 > P. 1:101(100) ack 1\n"
						    "+.01 < . 1:1(0) ack 101 win 257\n"
						    "+0 %{ assert tcpi_rtt == 10000 }%\n";
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	pk_run_text(text, sizeof(text) - 1, "jitter.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	opt.jitter_us = 3000;
	for (uint32_t seed = 1; seed <= 3; seed++) {
		opt.jitter_seed = seed;
		struct pk_result again;
		pk_run_text(text, sizeof(text) - 1, "jitter.pkt", NULL, &opt, &res);
		pk_run_text(text, sizeof(text) - 1, "jitter.pkt", NULL, &opt, &again);
		ASSERT_NE(res.verdict, PK_PASS);
		ASSERT_EQ(res.verdict, again.verdict);
		ASSERT_EQ(res.line, again.line);
		ASSERT_STREQ(res.why, again.why);
	}
}

/* An inbound ecr that is one of the script's own TS vals echoes what the
 * stack sent with it: here the RTO's retransmission, which --jitter moves
 * to another millisecond than the script's 500. Rebased linearly, the ACK
 * echoed an earlier TS than the retransmission carried, the sender took
 * the timeout as spurious and undid it (cwnd 10; seed 17 of 3000 us did
 * so); echoed, cwnd is 2 whatever the draw, as with no jitter and on
 * Linux 6.18 (the same script, glasstcp pktrun --kernel: 1 of 1). */
TEST(pktrun_ts_ecr_echoes_what_was_sent)
{
	static const char text[] = "--tcp_ts_tick_usecs=1000\n"
				   "0 `sysctl -q net.ipv4.tcp_congestion_control=reno`\n"
				   "0 `sysctl -q net.ipv4.tcp_early_retrans=0`\n"
				   "0 `sysctl -q net.ipv4.tcp_frto=0`\n"
				   "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
				   "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
				   "+0 bind(3, ..., ...) = 0\n"
				   "+0 listen(3, 1) = 0\n"
				   "+0 < S 0:0(0) win 65535 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
				   "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100,nop,wscale 10>\n"
				   "+.1 < . 1:1(0) ack 1 win 514 <nop,nop,TS val 200 ecr 100>\n"
				   "+0 accept(3, ..., ...) = 4\n"
				   "+0 write(4, ..., 988) = 988\n"
				   "+0 > P. 1:989(988) ack 1 <nop,nop,TS val 200 ecr 200>\n"
				   "+.3~+.34 > P. 1:989(988) ack 1 <nop,nop,TS val 500 ecr 200>\n"
				   "+.1 < . 1:1(0) ack 989 win 514 <nop,nop,TS val 300 ecr 500>\n"
				   "+0 %{ assert tcpi_snd_cwnd == 2 }%\n";
	static const uint32_t seeds[] = {0, 1, 2, 3, 4, 17};
	for (size_t k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++) {
		uint32_t seed = seeds[k];
		struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX,
					 .jitter_us = seed ? 3000 : 0, .jitter_seed = seed};
		struct pk_result res;
		pk_run_text(text, sizeof(text) - 1, "echo.pkt", NULL, &opt, &res);
		if (res.verdict != PK_PASS)
			fprintf(stderr, "seed %u: %d: %s\n", seed, res.line, res.why);
		ASSERT_EQ(res.verdict, PK_PASS);
	}
}

/* Linux's timer wheel (kernel/time/timer.c, LVL_START/LVL_GRAN): a timeout
 * under 63 jiffies keeps one-jiffy granularity, one of 63-503 jiffies is
 * rounded up to 8, 504-4031 to 64. At HZ 250: 300 ms may fire 32 ms late,
 * 3 s 256 ms late; at HZ 1000, 300 ms 8 ms. */
TEST(pktrun_wheel_slack_follows_linux_timer_levels)
{
	ASSERT_EQ(pk_wheel_slack_us(100000, 250), 0);
	ASSERT_EQ(pk_wheel_slack_us(248000, 250), 0);
	ASSERT_EQ(pk_wheel_slack_us(252000, 250), 32000);
	ASSERT_EQ(pk_wheel_slack_us(300000, 250), 32000);
	ASSERT_EQ(pk_wheel_slack_us(2012000, 250), 32000);
	ASSERT_EQ(pk_wheel_slack_us(2016000, 250), 256000);
	ASSERT_EQ(pk_wheel_slack_us(3000000, 250), 256000);
	ASSERT_EQ(pk_wheel_slack_us(300000, 1000), 8000);
	ASSERT_EQ(pk_wheel_slack_us(0, 250), 0);
	ASSERT_EQ(pk_wheel_slack_us(300000, 0), 0);
}

/* The same on the live kernel: an RTO of 300 ms (a 100 ms handshake: 100 +
 * max(2 x 100, tcp_rto_min)) written with no range at all passes, though
 * Linux fires it up to 32 ms late at HZ 250 (with the 20 ms tolerance alone
 * it failed 7 runs of 8 here: 0.422-0.436 for 0.400). */
TEST(pktrun_kernel_rto_gets_the_wheel_slack)
{
	expect_both(PK_ACCEPTED_HEAD_100MS "+0 write(4, ..., 100) = 100\n"
					   "+0 > P. 1:101(100) ack 1\n"
					   "+.3 > P. 1:101(100) ack 1\n",
		    "wheel.pkt", (struct pk_options){0}, PK_PASS);
}

/* "TS val ..." and "ecr ..." (packetdrill's grammar, tcp-testsuite's ecn/
 * scripts) stand for any value: the other half is still judged (the ecr
 * only under --strict: packetdrill judges no outbound ecr,
 * test_pktrun_ts_ecr.c), and a wildcard TS val neither sets the TS val
 * base nor is compared with it. */
TEST(pktrun_ts_wildcards_judge_the_other_half)
{
	static const char *const syn[] = {
		"+0 > S 0:0(0) <mss 1460,sackOK,TS val ... ecr 0,nop,wscale 10>\n",
		"+0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr ...,nop,wscale 10>\n",
		"+0 > S 0:0(0) <mss 1460,sackOK,TS val ... ecr ...,nop,wscale 10>\n",
		"+0 > S 0:0(0) <mss 1460,sackOK,TS val ... ecr 5,nop,wscale 10>\n",
		"+0 > S 0:0(0) <mss 1460,sackOK,TS val ... ecr 5,nop,wscale 10>\n",
	};
	static const enum pk_verdict want[] = {PK_PASS, PK_PASS, PK_PASS, PK_FAIL, PK_PASS};
	for (int k = 0; k < 5; k++) {
		struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX, .strict = k < 4};
		struct pk_result res;
		char text[512];
		int n = snprintf(text, sizeof(text),
				 "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
				 "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
				 "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
				 "%s",
				 syn[k]);
		pk_run_text(text, (size_t)n, "ts.pkt", NULL, &opt, &res);
		ASSERT_EQ(res.verdict, want[k]);
	}
}

/* "raw B B ...": option bytes as they stand on an inbound packet (here an
 * MSS option of length 3, which glasstcp ignores: the SYN-ACK comes and
 * the peer's MSS is the default 536), unsupported on an outbound one. */
TEST(pktrun_raw_option_bytes_inbound_only)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char in[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			  "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
			  "+0 bind(3, ..., ...) = 0\n"
			  "+0 listen(3, 1) = 0\n"
			  "+0 < S 0:0(0) win 65535 <raw 2 3 5,nop>\n"
			  "+0 > S. 0:0(0) ack 1 <mss 1460>\n"
			  "+.1 < . 1:1(0) ack 1 win 65535\n"
			  "+0 accept(3, ..., ...) = 4\n"
			  "+0 write(4, ..., 600) = 600\n"
			  "+0 > . 1:537(536) ack 1\n"
			  "+0 > P. 537:601(64) ack 1\n";
	opt.strict = true;
	pk_run_text(in, sizeof(in) - 1, "raw.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
	const char out[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			   "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			   "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			   "+0 > S 0:0(0) <raw 2 4 5 180>\n";
	pk_run_text(out, sizeof(out) - 1, "rawout.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(res.line, 4);
}

/* The profile pk_run_text() chose for a script given no --profile. */
static enum gt_profile profile_of(const char *text)
{
	struct pk_options opt = {0};
	struct pk_result res;
	pk_run_text(text, strlen(text), "freebsd/x.pkt", NULL, &opt, &res);
	return res.profile;
}

/* Issue 14: the profile is chosen by the command line or by the script's
 * text, never by its path. A FreeBSD sysctl in a backtick command marks a
 * FreeBSD script (the community suite's mark); one in a comment does not;
 * a script kept under a path that says "freebsd" with no mark runs Linux. */
TEST(pktrun_profile_from_text_never_path)
{
	ASSERT_EQ(profile_of("0 `sysctl -w net.inet.tcp.sack.enable=1`\n"), GT_PROFILE_FREEBSD);
	ASSERT_EQ(profile_of("+0 `sysctl -w kern.ipc.maxsockbuf=2097152`\n"), GT_PROFILE_FREEBSD);
	ASSERT_EQ(profile_of("0 `sysctl -q net.inet6.ip6.v6only=0`\n"), GT_PROFILE_FREEBSD);
	ASSERT_EQ(profile_of("0 `sysctl -q net.ipv4.tcp_sack=1`\n"), GT_PROFILE_LINUX);
	ASSERT_EQ(profile_of("// FreeBSD's `sysctl net.inet.tcp.delacktime` differs\n"
				   "/* and `kern.ipc.maxsockbuf` too */\n"
				   "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"),
		  GT_PROFILE_LINUX);
	ASSERT_EQ(profile_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 // net.inet.tcp.x\n"),
		  GT_PROFILE_LINUX);
	ASSERT_EQ(profile_of(""), GT_PROFILE_LINUX);

	static const char plain[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	static const char marked[] = "0 `sysctl -w net.inet.tcp.hostcache.purgenow=1`\n"
				     "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	struct pk_options opt = {0};
	struct pk_result res;
	pk_run_text(plain, sizeof(plain) - 1, "myscripts/freebsd-tests/x.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.profile, GT_PROFILE_LINUX);
	ASSERT_EQ(res.verdict, PK_PASS);
	pk_run_text(marked, sizeof(marked) - 1, "myscripts/linux/x.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.profile, GT_PROFILE_FREEBSD);
	ASSERT_EQ(res.verdict, PK_PASS);
	opt = (struct pk_options){.profile_set = true, .profile = GT_PROFILE_FREEBSD};
	pk_run_text(plain, sizeof(plain) - 1, "x.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.profile, GT_PROFILE_FREEBSD);
}

/* "tuple N": a listener meets SYNs from several remote ports, each with its
 * own ISN mapping; the SYN-ACK must go to the SYN's port (a packet of
 * another tuple fails), N is bounded, and a script that connects has one
 * remote port only (unsupported). */
TEST(pktrun_tuple_names_another_remote_port)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char head[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
			    "+0 bind(3, ..., ...) = 0\n"
			    "+0 listen(3, 1) = 0\n"
			    "+0 < S 0:0(0) win 65535 <mss 1460>\n"
			    "+0 > S. 0:0(0) ack 1 <...>\n"
			    "+0 < S 0:0(0) win 65535 <mss 1460> tuple 3\n";
	static const struct {
		const char *last;
		enum pk_verdict v;
	} cases[] = {
		{"+0 > S. 0:0(0) ack 1 <...> tuple 3\n+.1 < . 1:1(0) ack 1 win 514 tuple 3\n"
		 "+0 accept(3, ..., ...) = 4\n",
		 PK_PASS},
		{"+0 > S. 0:0(0) ack 1 <...>\n", PK_FAIL},
		{"+0 > S. 0:0(0) ack 1 <...> tuple 2\n", PK_FAIL},
		{"+0 > S. 0:0(0) ack 1 <...> tuple 8\n", PK_ERROR},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048];
		int n = snprintf(text, sizeof(text), "%s%s", head, cases[i].last);
		pk_run_text(text, (size_t)n, "tuple.pkt", NULL, &opt, &res);
		if (res.verdict != cases[i].v)
			gt_test_fail(__FILE__, __LINE__, "case %zu: verdict %d, want %d", i,
				     (int)res.verdict, (int)cases[i].v);
	}
	const char active[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
			      "+0 > S 0:0(0) <...>\n"
			      "+0 < S. 0:0(0) ack 1 win 65535 <mss 1460> tuple 1\n";
	pk_run_text(active, sizeof(active) - 1, "active.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_UNSUPPORTED);
	ASSERT_EQ(res.line, 5);
}

/* packetdrill syntax pktrun does not act on (parser.y, lexer.l) is
 * UNSUPPORTED at its line with the reason, never a parse error, never a
 * pass: the AccECN ACE counter after the ACK flag ("P.5"), fuzzing
 * annotations after the options, an outer header before the packet, the
 * ports written out, '[' ip_info ']' other than an ECN codepoint, an ICMP
 * message quoting UDP or raw data or with an echo id, an md5 digest not
 * of 16 bytes, and inet_addr(), inet6_addr(), htons() as values. */
TEST(pktrun_packetdrill_syntax_not_acted_on_is_unsupported)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	const char head[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
			    "+0 bind(3, ..., ...) = 0\n"
			    "+0 listen(3, 1) = 0\n";
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{"+0 < P.5 1:101(100) ack 1 win 257\n", "ACE"},
		{"+0 < .2 1:1(0) ack 1 win 257\n", "ACE"},
		{"+.1 < P. 1:21(20) ack 1 win 257 {rep ipv4 version_ihl 0x35}\n", "fuzzing"},
		{"+0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8> { mut ipv4 ihl; mut tcp mss; "
		 "trun tcp source_port; trun tcp 34-36; mut ipv4 12-15; ins ipv4 34 2 }\n",
		 "fuzzing"},
		{"+0 > S 0:0(0) <mss 1460> { mut tcp mss }\n", "fuzzing"},
		{"+0 < ipv4 192.168.0.1 > 192.0.2.1: S 0:0(0) win 65535\n", "encapsulation"},
		{"+0 < gre: S 0:0(0) win 65535\n", "encapsulation"},
		{"+0 < mpls (label 123, tc 1, [S], ttl 255): S 0:0(0) win 65535\n", "encapsulation"},
		{"+0 < 8080>9000 S 0:0(0) win 65535\n", "ports"},
		{"+0 < [tos 0x2] S 0:0(0) win 65535\n", "IP info"},
		{"+0 < [ect0, flowlabel 0x1] S 0:0(0) win 65535\n", "IP info"},
		{"+0 < icmp unreachable frag_needed mtu 1200 [udp (100)]\n", "ICMP quoting"},
		{"+0 < icmp unreachable frag_needed mtu 1200 [raw (100)]\n", "ICMP quoting"},
		{"+0 < icmp echo_request id 5\n", "ICMP"},
		{"+0 < S 0:0(0) win 65535 <md5 0011223344556677,nop,nop>\n", "md5 digest of 8"},
		{"+0 setsockopt(3, SOL_IP, IP_TOS, inet6_addr(\"ff02::1\"), 16) = 0\n", "inet6_addr(...)"},
		{"+0 setsockopt(3, SOL_IP, IP_TOS, inet_addr(\"192.0.2.1\"), 4) = 0\n", "inet_addr(...)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048];
		int n = snprintf(text, sizeof(text), "%s%s", head, cases[i].line);
		pk_run_text(text, (size_t)n, "syntax.pkt", NULL, &opt, &res);
		if (res.verdict != PK_UNSUPPORTED || res.line != 5 || !strstr(res.why, cases[i].why))
			gt_test_fail(__FILE__, __LINE__, "case %zu: verdict %d line %d (%s), want unsupported at 5 (%s)",
				     i, (int)res.verdict, res.line, res.why, cases[i].why);
	}
	/* The "5." form (tcp-testsuite's ACE digits before the ACK flag) and
	 * "." before a sequence number still parse. */
	const char five[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			    "+0 bind(3, ..., ...) = 0\n"
			    "+0 listen(3, 1) = 0\n"
			    "+0 < S 0:0(0) win 65535 <mss 1460>\n"
			    "+0 > S. 0:0(0) ack 1 <...>\n"
			    "+.1 < . 1:1(0) ack 1 win 514\n"
			    "+0 accept(3, ..., ...) = 4\n";
	pk_run_text(five, sizeof(five) - 1, "five.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, PK_PASS);
}
