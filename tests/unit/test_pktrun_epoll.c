/* pktrun's epoll_create(), epoll_ctl() and epoll_wait() (google/packetdrill's
 * gtests/net/tcp/epoll form) and TCP_NOTSENT_LOWAT: the errors Linux's
 * fs/eventpoll.c gives, on glasstcp's emulation and on the kernel alike; a
 * wrong event fails naming epoll_wait; FreeBSD has no TCP_NOTSENT_LOWAT. */
#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "pktrun/pktrun.h"
#include "test_pktrun.h"

/* do_epoll_create(): size <= 0 and unknown flags EINVAL; do_epoll_ctl():
 * a target that is no epoll instance EINVAL, the instance itself EINVAL,
 * ADD twice EEXIST, MOD or DEL of a watch not there ENOENT, a descriptor
 * not open EBADF; do_epoll_wait(): maxevents <= 0 EINVAL. */
static const char errors_script[] =
	PK_ACCEPTED_HEAD
	"+0 epoll_create(0) = -1 EINVAL (Invalid argument)\n"
	"+0 epoll_create1(1) = -1 EINVAL (Invalid argument)\n"
	"+0 epoll_create1(0) = 5\n"
	"+0 epoll_ctl(4, EPOLL_CTL_ADD, 4, {events=EPOLLIN, fd=4}) = -1 EINVAL (Invalid argument)\n"
	"+0 epoll_ctl(5, EPOLL_CTL_ADD, 5, {events=EPOLLIN, fd=5}) = -1 EINVAL (Invalid argument)\n"
	"+0 epoll_ctl(5, EPOLL_CTL_ADD, 9, {events=EPOLLIN, fd=9}) = -1 EBADF (Bad file descriptor)\n"
	"+0 epoll_ctl(5, EPOLL_CTL_MOD, 4, {events=EPOLLIN, fd=4}) = -1 ENOENT (No such file or directory)\n"
	"+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLOUT, fd=4}) = 0\n"
	"+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN, fd=4}) = -1 EEXIST (File exists)\n"
	"+0 epoll_wait(5, {events=EPOLLOUT, fd=4}, 0, 0) = -1 EINVAL (Invalid argument)\n"
	"+0 epoll_wait(5, {events=EPOLLOUT, fd=4}, 1, 0) = 1\n"
	"+0 epoll_ctl(5, EPOLL_CTL_DEL, 4, NULL) = 0\n"
	"+0 epoll_ctl(5, EPOLL_CTL_DEL, 4, NULL) = -1 ENOENT (No such file or directory)\n"
	"+0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0\n"
	"+0 close(5) = 0\n"
	"+0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = -1 EBADF (Bad file descriptor)\n";

static const struct pk_options linux_opt = {.profile_set = true, .profile = GT_PROFILE_LINUX};

TEST(pktrun_epoll_errors_as_linux)
{
	struct pk_result r = pk_test_run(errors_script, "epoll.pkt", linux_opt, "");
	ASSERT_EQ(r.verdict, PK_PASS);
}

TEST(pktrun_kernel_epoll_errors_as_linux)
{
	struct pk_options opt = linux_opt;
	opt.kernel = true;
	struct pk_result r = pk_test_run(errors_script, "epoll.pkt", opt, "");
	if (r.verdict == PK_SKIP)
		SKIP("no kernel back-end here: %s", r.why);
	if (r.verdict == PK_UNSUPPORTED && strstr(r.why, "the runner"))
		SKIP("the machine delayed the runner: %s", r.why);
	ASSERT_EQ(r.verdict, PK_PASS);
}

/* A level-triggered watch reports a writable socket at every call; one
 * that expects EPOLLIN there fails, naming the call and both masks. */
TEST(pktrun_epoll_wrong_event_fails)
{
	struct pk_result r = pk_test_run(PK_ACCEPTED_HEAD
					 "+0 epoll_create(1) = 5\n"
					 "+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLOUT, ptr=7}) = 0\n"
					 "+0 epoll_wait(5, {events=EPOLLOUT, ptr=7}, 1, 0) = 1\n"
					 "+0 epoll_wait(5, [{events=EPOLLOUT, ptr=7}], 4, 0) = 1\n"
					 "+0 epoll_wait(5, {events=EPOLLIN, ptr=7}, 1, 0) = 1\n",
					 "epoll.pkt", linux_opt, " (expected to fail)");
	ASSERT_EQ(r.verdict, PK_FAIL);
	ASSERT_EQ(r.line, 13);
	ASSERT(strstr(r.why, "epoll_wait: event 0 events 0x4, the script expects 0x1") != NULL);
}

/* TCP_NOTSENT_LOWAT is Linux's: FreeBSD's tcp_default_ctloutput() answers
 * an option it lacks with ENOPROTOOPT, both ways. */
TEST(pktrun_notsent_lowat_freebsd_enoprotoopt)
{
	struct pk_options opt = {.profile_set = true, .profile = GT_PROFILE_FREEBSD};
	struct pk_result r =
		pk_test_run(PK_ACCEPTED_HEAD
			    "+0 setsockopt(4, SOL_TCP, TCP_NOTSENT_LOWAT, [1000], 4) = -1 ENOPROTOOPT (Protocol not available)\n"
			    "+0 getsockopt(4, SOL_TCP, TCP_NOTSENT_LOWAT, [0], [4]) = -1 ENOPROTOOPT (Protocol not available)\n",
			    "lowat.pkt", opt, "");
	ASSERT_EQ(r.verdict, PK_PASS);
}
