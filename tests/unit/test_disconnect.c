/* connect() with an AF_UNSPEC address: Linux's tcp_disconnect() in the
 * Linux profile (cfg.connect_unspec_linux), FreeBSD's refusal in the
 * FreeBSD profile (kern_connectat(), soconnectat(), tcp_usr_connect()).
 * The segments a disconnect sends are checked against Linux 6.18 by
 * tests/pkt/linux/disconnect-*.pkt; here the API: return values, errnos,
 * the port given back, the counter. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u

static int sent;

static int capture(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	(void)pkt;
	(void)len;
	sent++;
	return 0;
}

static gt_stack *stack(enum gt_profile p)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	struct gt_device dev = {.transmit = capture, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, LADDR, 24), 0);
	return s;
}

static const struct gt_sockaddr unspec = {.family = GT_AF_UNSPEC};
static const struct gt_sockaddr peer = {.family = GT_AF_INET, .port = 80, .addr = RADDR};

static int so_error(gt_stack *s, int sd)
{
	int err = -1;
	size_t len = sizeof(err);
	ASSERT_EQ(gt_getsockopt(s, sd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len), 0);
	return err;
}

TEST(disconnect_syn_sent_linux)
{
	gt_stack *s = stack(GT_PROFILE_LINUX);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_connect(s, sd, &peer), -EINPROGRESS);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT(me.port != 0);
	int before = sent;
	ASSERT_EQ(gt_connect(s, sd, &unspec), 0);
	ASSERT_EQ(sent, before); /* SYN_SENT: no RST */
	ASSERT_EQ(so_error(s, sd), ECONNRESET);
	ASSERT_EQ(so_error(s, sd), 0);
	/* The ephemeral port went back (inet_put_port()). */
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT_EQ(me.port, 0);
	ASSERT_EQ(gt_getpeername(s, sd, &me), -ENOTCONN);
	ASSERT_EQ(gt_send(s, sd, "x", 1, 0), -EPIPE);
	ASSERT_EQ(gt_recv(s, sd, &me, 1, 0), -ENOTCONN);
	ASSERT_EQ(gt_stack_stats(s)->TcpDisconnects, 1u);
	/* Usable again. */
	ASSERT_EQ(gt_connect(s, sd, &peer), -EINPROGRESS);
	ASSERT_EQ(gt_connect(s, sd, &unspec), 0);
	ASSERT_EQ(gt_connect(s, sd, &unspec), 0); /* CLOSED: nothing to do */
	ASSERT_EQ(gt_stack_stats(s)->TcpDisconnects, 2u);
	ASSERT_EQ(gt_listen(s, sd, 1), 0);
	gt_stack_free(s);
}

TEST(disconnect_listener_linux)
{
	gt_stack *s = stack(GT_PROFILE_LINUX);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = 8080};
	ASSERT_EQ(gt_bind(s, sd, &a), 0);
	ASSERT_EQ(gt_listen(s, sd, 4), 0);
	ASSERT_EQ(gt_connect(s, sd, &unspec), 0);
	ASSERT_EQ(gt_accept(s, sd, NULL), -EINVAL);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT_EQ(me.port, 8080); /* bind() chose it: SOCK_BINDPORT_LOCK */
	ASSERT_EQ(gt_listen(s, sd, 4), 0);
	ASSERT_EQ(gt_accept(s, sd, NULL), -EAGAIN);
	ASSERT_EQ(gt_close(s, sd), 0);
	gt_stack_free(s);
}

TEST(disconnect_refused_freebsd)
{
	gt_stack *s = stack(GT_PROFILE_FREEBSD);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_connect(s, sd, &unspec), -EAFNOSUPPORT);
	ASSERT_EQ(gt_connect(s, sd, &peer), -EINPROGRESS);
	ASSERT_EQ(gt_connect(s, sd, &unspec), -EALREADY);
	int l = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_listen(s, l, 1), 0);
	ASSERT_EQ(gt_connect(s, l, &unspec), -EAFNOSUPPORT);
	ASSERT_EQ(gt_accept(s, l, NULL), -EAGAIN); /* still listening */
	ASSERT_EQ(gt_stack_stats(s)->TcpDisconnects, 0u);
	gt_stack_free(s);
}

/* A listen() refused with EADDRINUSE leaves the socket as it was: its
 * listener handle and backlog share their memory with the data a
 * connection left (rcv_left), and were written before the port check,
 * so close() freed the pointer they spelled (swarm plan 8, seeds
 * 97300005 and 97300014: free(0x100000000)). Fresh, and after a
 * disconnect that left data unread. */
TEST(listen_refused_then_close_frees_nothing_it_does_not_own)
{
	for (int after_disconnect = 0; after_disconnect < 2; after_disconnect++) {
		gt_stack *s = stack(GT_PROFILE_LINUX);
		int one = 1;
		int l = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT_EQ(gt_setsockopt(s, l, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one)), 0);
		struct gt_sockaddr a = {.family = GT_AF_INET, .port = 8080, .addr = LADDR};
		ASSERT_EQ(gt_bind(s, l, &a), 0);
		int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT_EQ(gt_setsockopt(s, sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &one, sizeof(one)),
			  0);
		ASSERT_EQ(gt_bind(s, sd, &a), 0);
		ASSERT_EQ(gt_listen(s, l, 4), 0);
		if (after_disconnect) {
			ASSERT_EQ(gt_connect(s, sd, &peer), -EINPROGRESS);
			ASSERT_EQ(gt_connect(s, sd, &unspec), 0);
		}
		ASSERT_EQ(gt_listen(s, sd, 1), -EADDRINUSE);
		ASSERT_EQ(gt_close(s, sd), 0);
		ASSERT_EQ(gt_close(s, l), 0);
		gt_stack_free(s);
	}
}

/* A socket the disconnect left without a port must bind one at listen(),
 * as Linux's inet_csk_get_port(sk, 0) does: with every ephemeral port
 * held, -EADDRINUSE, counted TcpEphemeralExhausted, and the socket usable
 * once a port is free (what the swarm met in seeds 97701340 and
 * 97614951, side_disconnect()'s excuse). */
TEST(listen_after_disconnect_with_no_ephemeral_port_is_eaddrinuse)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.ephemeral_lo = 40000;
	cfg.ephemeral_hi = 40001;
	struct gt_device dev = {.transmit = capture, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, LADDR, 24), 0);
	int sd = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_connect(s, sd, &peer), -EINPROGRESS);
	ASSERT_EQ(gt_connect(s, sd, &unspec), 0);
	/* Both ephemeral ports held by listeners of their own. */
	int hold[2];
	for (int i = 0; i < 2; i++) {
		hold[i] = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
		ASSERT_EQ(gt_listen(s, hold[i], 1), 0);
	}
	uint64_t ex = gt_stack_stats(s)->TcpEphemeralExhausted;
	ASSERT_EQ(gt_listen(s, sd, 1), -EADDRINUSE);
	ASSERT_EQ(gt_stack_stats(s)->TcpEphemeralExhausted, ex + 1);
	ASSERT_EQ(gt_close(s, hold[0]), 0);
	ASSERT_EQ(gt_listen(s, sd, 1), 0);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(s, sd, &me), 0);
	ASSERT(me.port == 40000 || me.port == 40001);
	gt_stack_free(s);
}
