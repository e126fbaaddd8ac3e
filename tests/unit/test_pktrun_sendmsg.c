/* pktrun's sendmsg()/recvmsg() with packetdrill's struct msghdr form (the
 * Linux selftests' and Google's packetdrill scripts): parsed across lines,
 * msg_iov(N) checked against its list, run on glasstcp as one send or
 * read of the iov sum, TCP_INQ's cmsg compared; what the runner does not
 * run (a field it does not know, more than its 64 KB buffer) is
 * UNSUPPORTED, never a parse error, never passed. */
#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

#define HEAD                                                            \
	PK_ACCEPTED_HEAD                                                \
	"+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"

static struct pk_result run(const char *text)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	pk_run_text(text, strlen(text), "sendmsg.pkt", NULL, &opt, &res);
	if (res.verdict != PK_PASS)
		fprintf(stderr, "  line %d: %s: %s\n", res.line, pk_verdict_name(res.verdict), res.why);
	return res;
}

TEST(pktrun_sendmsg_iov_sum_with_flags)
{
	/* Four pieces, two empty, over several lines: one 60-byte segment. */
	struct pk_result r = run(HEAD "+0 sendmsg(4, {msg_name(...)=...,\n"
				      "                msg_iov(4)=[{..., 0}, {..., 40}, {..., 0}, {..., 20}],\n"
				      "                msg_flags=0}, 0) = 60\n"
				      "+0 > P. 1:61(60) ack 1\n"
				      "+.01 < . 1:1(0) ack 61 win 257\n");
	ASSERT_EQ(r.verdict, PK_PASS);
	/* MSG_MORE holds a small piece (Nagle on, as tcp_push() with
	 * MSG_MORE corks); a send without it releases both. */
	r = run(HEAD "+0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 30}, {..., 10}],\n"
		     "               msg_flags=0}, MSG_MORE) = 40\n"
		     "+.005 sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 20}], msg_flags=0}, 0) = 20\n"
		     "+0 > P. 1:61(60) ack 1\n");
	ASSERT_EQ(r.verdict, PK_PASS);
	/* recvmsg() without a control message reads the sum. */
	r = run(HEAD "+0 < P. 1:1001(1000) ack 1 win 257\n"
		     "+0 > . 1:1(0) ack 1001\n"
		     "+0 recvmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 600}, {..., 600}],\n"
		     "               msg_flags=0}, 0) = 1000\n");
	ASSERT_EQ(r.verdict, PK_PASS);
}

TEST(pktrun_sendmsg_iov_count_must_match)
{
	struct pk_result r = run(HEAD "+0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 40}],\n"
				      "               msg_flags=0}, 0) = 40\n");
	ASSERT_EQ(r.verdict, PK_ERROR);
	ASSERT(strstr(r.why, "msg_iov(2) has 1 entries") != NULL);
}

TEST(pktrun_sendmsg_unrun_forms_are_unsupported)
{
	/* TCP_CM_INQ is judged now (GT_TCP_INQ): without TCP_INQ on there
	 * is no control message, as tcp_recvmsg() puts none; with it, the
	 * bytes left. */
	const char *inq = "+0 < P. 1:1001(1000) ack 1 win 257\n"
			  "+0 recvmsg(4, {msg_name(...)=...,\n"
			  "               msg_iov(1)=[{..., 1000}],\n"
			  "               msg_flags=0,\n"
			  "               msg_control=[{cmsg_level=SOL_TCP,\n"
			  "                             cmsg_type=TCP_CM_INQ,\n"
			  "                             cmsg_data=0}]}, 0) = 1000\n";
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s%s", HEAD, inq);
	struct pk_result r = run(buf);
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT(strstr(r.why, "control messages") != NULL);
	snprintf(buf, sizeof(buf), "%s+0 setsockopt(4, SOL_TCP, TCP_INQ, [1], 4) = 0\n%s", HEAD, inq);
	r = run(buf);
	ASSERT_EQ(r.verdict, PK_PASS);
	/* More than the runner's buffer, as write() beyond it. */
	r = run(HEAD "+0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 600000}, {..., 600000}],\n"
		     "               msg_flags=0}, 0) = 1200000\n");
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* A field the runner does not know; a msghdr with no iov. */
	r = run(HEAD "+0 sendmsg(4, {msg_iov(1)=[{..., 4}], msg_foo=1}, 0) = 4\n");
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	r = run(HEAD "+0 sendmsg(4, {msg_flags=0}, 0) = 4\n");
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
	/* A cmsg the runner does not know (SO_TIMESTAMPING's) is not run. */
	r = run(HEAD "+0 recvmsg(4, {msg_iov(1)=[{..., 0}], msg_flags=0,\n"
		     "               msg_control=[{cmsg_level=SOL_SOCKET, cmsg_type=1, cmsg_data=2}]}, 0) = 0\n");
	ASSERT_EQ(r.verdict, PK_UNSUPPORTED);
}

TEST(pktrun_sendmsg_msghdr_decoded)
{
	/* The shared decoder both back-ends use, on a parsed msghdr. */
	struct pk_val iov[2], ent[2][2], f[4], cm[1], cmf[3];
	memset(iov, 0, sizeof(iov));
	memset(ent, 0, sizeof(ent));
	memset(f, 0, sizeof(f));
	memset(cm, 0, sizeof(cm));
	memset(cmf, 0, sizeof(cmf));
	for (int i = 0; i < 2; i++) {
		ent[i][0].kind = PV_ELLIPSIS;
		ent[i][1].kind = PV_INT;
		ent[i][1].i = 100 * (i + 1);
		iov[i].kind = PV_STRUCT;
		iov[i].items = ent[i];
		iov[i].n = 2;
	}
	snprintf(f[0].name, sizeof(f[0].name), "msg_name");
	f[0].kind = PV_ELLIPSIS;
	snprintf(f[1].name, sizeof(f[1].name), "msg_iov");
	f[1].kind = PV_LIST;
	f[1].items = iov;
	f[1].n = 2;
	snprintf(f[2].name, sizeof(f[2].name), "msg_flags");
	f[2].kind = PV_INT;
	snprintf(f[3].name, sizeof(f[3].name), "msg_control");
	f[3].kind = PV_LIST;
	f[3].items = cm;
	f[3].n = 1;
	cm[0].kind = PV_STRUCT;
	cm[0].items = cmf;
	cm[0].n = 3;
	const char *names[3] = {"cmsg_level", "cmsg_type", "cmsg_data"};
	long long vals[3] = {GT_IPPROTO_TCP, PK_TCP_INQ, 9000};
	for (int i = 0; i < 3; i++) {
		snprintf(cmf[i].name, sizeof(cmf[i].name), "%s", names[i]);
		cmf[i].kind = PV_INT;
		cmf[i].i = vals[i];
	}
	struct pk_val mh = {.kind = PV_STRUCT, .items = f, .n = 4};
	struct pk_msghdr out;
	char why[112];
	ASSERT(pk_msghdr_of(&mh, &out, why, sizeof(why)));
	ASSERT_EQ(out.niov, 2);
	ASSERT_EQ(out.iov[0], 100);
	ASSERT_EQ(out.iov[1], 200);
	ASSERT_EQ(out.total, 300);
	ASSERT(out.has_control);
	ASSERT_EQ(out.ncmsg, 1);
	ASSERT_EQ(out.cmsg[0].data, 9000);
	cmf[1].i = 1; /* another cmsg type */
	ASSERT(!pk_msghdr_of(&mh, &out, why, sizeof(why)));
}

/* The kernel back-end (as root; skipped otherwise): recvmsg() with
 * msg_control compares the TCP_CM_INQ cmsg the kernel returns (the bytes
 * left to read, tcp_recvmsg()'s tcp_inq_hint()) against the script's, as
 * packetdrill's syscall_recvmsg() does: the right count passes, a wrong
 * one fails naming the cmsg; glasstcp (GT_TCP_INQ) gives the same. A
 * stall of the machine's own (the runner says UNSUPPORTED, naming
 * itself) makes the test skipped, never passed. */
static void inq_run(long long left, enum pk_verdict want_kernel)
{
	char text[2048];
	snprintf(text, sizeof(text),
		 HEAD "+0 setsockopt(4, SOL_TCP, TCP_INQ, [1], 4) = 0\n"
		      "+0 < P. 1:3001(3000) ack 1 win 257\n"
		      "+0 > . 1:1(0) ack 3001\n"
		      "+.01 recvmsg(4, {msg_name(...)=...,\n"
		      "                 msg_iov(2)=[{..., 500}, {..., 500}],\n"
		      "                 msg_flags=0,\n"
		      "                 msg_control=[{cmsg_level=SOL_TCP,\n"
		      "                               cmsg_type=TCP_CM_INQ,\n"
		      "                               cmsg_data=%lld}]}, 0) = 1000\n",
		 left);
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	struct pk_result res;
	pk_run_text(text, strlen(text), "inq.pkt", NULL, &opt, &res);
	ASSERT_EQ(res.verdict, want_kernel);
	opt.kernel = true;
	pk_run_text(text, strlen(text), "inq.pkt", NULL, &opt, &res);
	if (res.verdict == PK_SKIP)
		SKIP("no kernel back-end here: %s", res.why);
	if (res.verdict == PK_UNSUPPORTED && strstr(res.why, "the runner"))
		SKIP("the machine delayed the runner: %s", res.why);
	if (res.verdict != want_kernel)
		fprintf(stderr, "  kernel line %d: %s: %s\n", res.line, pk_verdict_name(res.verdict), res.why);
	ASSERT_EQ(res.verdict, want_kernel);
	if (want_kernel == PK_FAIL)
		ASSERT(strstr(res.why, "cmsg") != NULL);
}

TEST(pktrun_kernel_recvmsg_compares_tcp_cm_inq)
{
	inq_run(2000, PK_PASS);
	inq_run(1999, PK_FAIL);
}

/* Cut short anywhere, a msghdr still gives a verdict with a line (a parse
 * error for the cut ones), never a crash: the "name(X)=value" field form
 * parses a nested value that may be cut inside its parentheses. */
TEST(pktrun_sendmsg_truncated_forms_give_a_verdict)
{
	static const char full[] =
		HEAD "+0 recvmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 1}, {..., 2}], msg_flags=0,\n"
		     "  msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=0}]}, 0) = 3\n";
	size_t head = strlen(HEAD);
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};
	for (size_t len = head + 1; len < sizeof(full) - 1; len++) {
		struct pk_result res;
		pk_run_text(full, len, "cut.pkt", NULL, &opt, &res);
		ASSERT(res.verdict <= PK_ERROR);
		ASSERT(res.verdict != PK_PASS);
	}
}
