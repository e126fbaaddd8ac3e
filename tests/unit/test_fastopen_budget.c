/* A Fast Open client's first write under the host's buffer budget
 * (max_buffer_bytes, TcpBufLimit): the call must say what happened to
 * its SYN. FreeBSD's tcp_usr_send() queues the write before tcp_connect(),
 * so a write that cannot be held fails with no SYN sent (swarm seed
 * 97836966 at plan 11, 97831965 before the Linux profile's TSO deferral
 * moved that seed); Linux's tcp_send_syn_data() falls back to a SYN asking for a
 * cookie, the call taking nothing (EINPROGRESS) and the connection going
 * on (tcp_user_fastopen_send_bsd(), tcp_user_fastopen_send()). */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#include "tcp/tcp.h"

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u

static int syns;
static uint8_t last[1600];
static size_t last_len;

static int capture(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	const uint8_t *p = pkt;
	if (len >= 40 && (p[20 + 13] & 0x02))
		syns++;
	last_len = len < sizeof last ? len : sizeof last;
	memcpy(last, pkt, last_len);
	return 0;
}

static gt_stack *stack(enum gt_profile p, uint64_t budget)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	cfg.max_buffer_bytes = budget;
	struct gt_device dev = {.transmit = capture, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, LADDR, 24), 0);
	return s;
}

static const struct gt_sockaddr peer = {.family = GT_AF_INET, .port = 80, .addr = RADDR};

/* Fast Open sockets opened until the budget refuses one's send ring
 * (each SO_SNDBUF 8 KiB, the budget three of them): the sockets made, the
 * last the refused one. */
static int fill(gt_stack *s, int flags, int *sds, int n, ssize_t *last_rv)
{
	int one = 1, bytes = 8192;
	for (int i = 0; i < n; i++) {
		sds[i] = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT(sds[i] >= 0);
		ASSERT_EQ(gt_setsockopt(s, sds[i], GT_SOL_SOCKET, GT_SO_SNDBUF, &bytes, sizeof bytes), 0);
		if (!flags)
			ASSERT_EQ(gt_setsockopt(s, sds[i], GT_IPPROTO_TCP, GT_TCP_FASTOPEN, &one,
						sizeof one),
				  0);
		uint64_t refused = gt_stack_stats(s)->TcpBufLimit;
		*last_rv = gt_sendto(s, sds[i], "hello", 5, flags, &peer);
		if (gt_stack_stats(s)->TcpBufLimit != refused)
			return i + 1;
		ASSERT(*last_rv == 5);
	}
	ASSERT(0); /* the budget never refused */
	return n;
}

/* FreeBSD: TCP_FASTOPEN and sendto() with the address, the budget
 * refusing the send ring: ENOBUFS, no SYN, the socket unconnected (no
 * port, no peer, no error), counted in TcpBufLimit. */
TEST(fastopen_bsd_sendto_over_budget_enobufs_no_syn)
{
	gt_stack *s = stack(GT_PROFILE_FREEBSD, 3 * 8192 + 100);
	int sds[8];
	ssize_t rv;
	syns = 0;
	int n = fill(s, 0, sds, 8, &rv);
	int sd = sds[n - 1];
	ASSERT_EQ(rv, -ENOBUFS);
	ASSERT_EQ(syns, n - 1);
	struct gt_sockaddr a;
	ASSERT_EQ(gt_getsockname(s, sd, &a), 0);
	ASSERT_EQ(a.port, 0);
	ASSERT_EQ(gt_getpeername(s, sd, &a), -ENOTCONN);
	int err = -1;
	size_t len = sizeof err;
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len), 0);
	ASSERT_EQ(err, 0);
	/* Still a fresh socket: once another's buffer is given back the same
	 * call opens the connection and takes the write. */
	ASSERT_EQ(gt_sendto(s, sd, "hello", 5, 0, &peer), -ENOBUFS);
	ASSERT_EQ(syns, n - 1);
	ASSERT_EQ(gt_close(s, sds[0]), 0);
	ASSERT_EQ(gt_sendto(s, sd, "hello", 5, 0, &peer), 5);
	ASSERT_EQ(syns, n);
	ASSERT_EQ(gt_getsockname(s, sd, &a), 0);
	ASSERT(a.port != 0);
	ASSERT_EQ(gt_connect(s, sd, &peer), -EALREADY); /* SYN_SENT */
	gt_stack_free(s);
}

/* The TCP option of kind 34 in the captured SYN: its length, or -1. */
static int fo_option_len(void)
{
	const uint8_t *t = last + 20;
	size_t hl = (size_t)(t[12] >> 4) * 4;
	for (size_t i = 20; i < hl;) {
		if (t[i] == 0)
			break;
		if (t[i] == 1) {
			i++;
			continue;
		}
		if (t[i] == 34)
			return t[i + 1];
		i += t[i + 1] ? t[i + 1] : 1;
	}
	return -1;
}

/* Linux: MSG_FASTOPEN with a cookie cached, the budget refusing the send
 * ring: tcp_send_syn_data()'s fallback, a SYN with an empty Fast Open
 * option and no data; the call took nothing (EINPROGRESS) and the
 * connection is under way. */
TEST(fastopen_linux_sendto_over_budget_falls_back_to_cookie_request)
{
	gt_stack *s = stack(GT_PROFILE_LINUX, 3 * 8192 + 100);
	struct tcp_conn c;
	memset(&c, 0, sizeof c);
	c.laddr = ip_addr_v4(LADDR);
	c.faddr = ip_addr_v4(RADDR);
	c.rcv_mss = 1460;
	c.state = GT_TCP_SYN_SENT;
	c.defer_acked = true;
	struct tcp_opts o;
	memset(&o, 0, sizeof o);
	o.has_mss = true;
	o.mss = 1460;
	o.has_fo = true;
	o.fo_len = 8;
	memset(o.fo, 0xab, 8);
	ASSERT(!tcp_fastopen_synack(s, &c, &o, false, false));
	int sds[8];
	ssize_t rv;
	syns = 0;
	int n = fill(s, GT_MSG_FASTOPEN, sds, 8, &rv);
	int sd = sds[n - 1];
	ASSERT_EQ(rv, -EINPROGRESS);
	ASSERT_EQ(syns, n);
	ASSERT_EQ(fo_option_len(), 2); /* a cookie request */
	size_t tcp_hl = (size_t)(last[20 + 12] >> 4) * 4;
	ASSERT_EQ(last_len, 20 + tcp_hl); /* no data */
	ASSERT_EQ(gt_connect(s, sd, &peer), -EALREADY); /* under way */
	gt_stack_free(s);
}
