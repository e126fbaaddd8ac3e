/* pktrun's kernel back-end: the same scripts against the Linux kernel's TCP,
 * on real time, judged by the same comparator (judge.c) as glasstcp.
 *
 * Each script runs in a child process that makes a network namespace of its
 * own (the host's is never touched: the child checks that it left it before
 * it configures anything), brings up lo and a TUN device tun0 (IFF_TUN |
 * IFF_NO_PI) holding the script's local address 192.168.0.1/24 with a route
 * to its remote address 192.0.2.1, applies the script's sysctls inside the
 * namespace, and then plays the script on CLOCK_MONOTONIC:
 *   - '<' packets are written into tun0 at their script times;
 *   - what the kernel sends to 192.0.2.1 is read from tun0 and stamped with
 *     the time it was read, for the judge;
 *   - system calls run on real sockets in one worker thread, so a call that
 *     blocks blocks only it; a call counts as blocked when the thread sleeps
 *     in the kernel (state S in /proc), and as in the glasstcp back-end it
 *     must finish by its '...' time, or before the next call plus the
 *     tolerance.
 * A watchdog thread sees the machine's pauses through the run (a VM
 * descheduled: the kernel's timers wait as the runner does), and a packet
 * or a call's return late inside one is not judged (pk_pause_explains()).
 * This is packetdrill's local mode, written afresh for pktrun. Without root
 * or /dev/net/tun the script is skipped, never passed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/errqueue.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>

#include <glasstcp/glasstcp.h>

#include "pktrun/pk_internal.h"
#include "util/checksum.h"

/* The scripts' symbols carry glasstcp's numbers (parse.c); those the kernel
 * back-end passes on must be Linux's too. */
_Static_assert(GT_SOL_SOCKET == SOL_SOCKET && GT_IPPROTO_TCP == IPPROTO_TCP &&
	       GT_IPPROTO_UDP == IPPROTO_UDP &&
	       GT_IPPROTO_IP == IPPROTO_IP, "levels");
_Static_assert(GT_IP_TOS == IP_TOS && GT_IP_TTL == IP_TTL, "IP_ options");
_Static_assert(GT_IPPROTO_IPV6 == IPPROTO_IPV6 && GT_IPV6_V6ONLY == IPV6_V6ONLY &&
	       GT_IPV6_TCLASS == IPV6_TCLASS && GT_IPV6_UNICAST_HOPS == IPV6_UNICAST_HOPS &&
	       GT_IPV6_RECVTCLASS == IPV6_RECVTCLASS,
	       "IPV6_ options");
_Static_assert(GT_SO_REUSEADDR == SO_REUSEADDR && GT_SO_ERROR == SO_ERROR &&
	       GT_SO_SNDBUF == SO_SNDBUF && GT_SO_RCVBUF == SO_RCVBUF &&
	       GT_SO_KEEPALIVE == SO_KEEPALIVE && GT_SO_LINGER == SO_LINGER &&
	       GT_SO_SNDLOWAT == SO_SNDLOWAT && GT_SO_RCVLOWAT == SO_RCVLOWAT, "SO_ options");
_Static_assert(GT_TCP_NODELAY == TCP_NODELAY && GT_TCP_MAXSEG == TCP_MAXSEG &&
	       GT_TCP_CORK == TCP_CORK && GT_TCP_INFO == TCP_INFO &&
	       GT_TCP_QUICKACK == TCP_QUICKACK && GT_TCP_KEEPIDLE == TCP_KEEPIDLE &&
	       GT_TCP_KEEPINTVL == TCP_KEEPINTVL && GT_TCP_KEEPCNT == TCP_KEEPCNT &&
	       GT_TCP_LINGER2 == TCP_LINGER2 && GT_TCP_CONGESTION == TCP_CONGESTION, "TCP_ options");
_Static_assert(GT_MSG_PEEK == MSG_PEEK && GT_MSG_MORE == MSG_MORE && MSG_DONTWAIT == 0x40 &&
	       GT_MSG_EOR == MSG_EOR, "MSG_");
_Static_assert(PK_SOCK_NONBLOCK == SOCK_NONBLOCK && GT_TCP_DEFER_ACCEPT == TCP_DEFER_ACCEPT &&
		       GT_TCP_SYNCNT == TCP_SYNCNT,
	       "SOCK_NONBLOCK, TCP_DEFER_ACCEPT, TCP_SYNCNT");
_Static_assert(GT_SHUT_RD == SHUT_RD && GT_SHUT_WR == SHUT_WR && GT_SHUT_RDWR == SHUT_RDWR, "SHUT_");
_Static_assert(GT_POLLIN == POLLIN && GT_POLLOUT == POLLOUT && GT_POLLERR == POLLERR &&
	       GT_POLLHUP == POLLHUP && GT_POLLRDHUP == POLLRDHUP && POLLNVAL == 0x20, "POLL");
_Static_assert(O_NONBLOCK == 0x800 && O_RDWR == 2 && F_GETFL == 3 && F_SETFL == 4, "fcntl");
_Static_assert(SIOCINQ == 0x541b, "SIOCINQ");
_Static_assert(PK_TCP_INQ == TCP_INQ && PK_TCP_INQ == TCP_CM_INQ, "TCP_INQ");
_Static_assert(GT_TCP_NOTSENT_LOWAT == TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT");

#define MAX_FDS 64
#define MAX_POLL 8
#define TUN_NAME "tun0"
/* A call that neither returns nor sleeps for this long counts as blocked. */
#define BLOCK_GUESS_US 200000
/* The child gets the script's length plus this before it is killed. */
#define CHILD_SLACK_US 30000000LL
/* The watchdog: wakes every WATCH_PERIOD_NS on absolute deadlines, and a
 * wake-up later than WATCH_PAUSE_NS is a pause of the machine; the latest
 * WATCH_MAX are kept (the judge asks about the last seconds only). */
#define WATCH_PERIOD_NS 1000000ull
#define WATCH_PAUSE_NS 2000000ull
#define WATCH_MAX 256
/* How long a judge's question waits for the watchdog to have run past
 * the packet it asks about (it is SCHED_OTHER, the runner SCHED_FIFO: it
 * runs after the runner when the machine resumes). */
#define WATCH_SYNC_NS 1000000000ull

enum kcall {
	K_NONE, K_SOCKET, K_BIND, K_LISTEN, K_ACCEPT, K_CONNECT, K_CLOSE, K_SHUTDOWN, K_READ,
	K_WRITE, K_SETSOCKOPT, K_GETSOCKOPT, K_FCNTL, K_POLL, K_IOCTL, K_SENDMSG, K_RECVMSG,
	K_EPOLL_CREATE, K_EPOLL_CREATE1, K_EPOLL_CTL, K_EPOLL_WAIT,
};
/* The events one epoll_wait() may return here. */
#define MAX_EPOLL_EVENTS 8
_Static_assert(EPOLLET == PK_EPOLLET && EPOLLONESHOT == PK_EPOLLONESHOT && EPOLLIN == 1 &&
		       EPOLLOUT == 4 && EPOLLRDHUP == 0x2000 && EPOLL_CTL_ADD == 1 && EPOLL_CTL_DEL == 2 &&
		       EPOLL_CTL_MOD == 3,
	       "EPOLL");

/* One call for the worker: everything it needs, so that it reads nothing
 * the main thread writes; and what it found. */
struct job {
	enum kcall kind;
	int kfd;                /* the kernel's descriptor, or -1 */
	int a, b;               /* type, backlog, how, cmd and arg, level and name, request */
	int flags;              /* send/recv flags */
	long long len;          /* bytes to read or write */
	bool null_buf;          /* the script's buffer is NULL: passed as NULL */
	bool unspec;            /* connect(): AF_UNSPEC, a disconnect; sendto(): AF_UNSPEC */
	bool errq;              /* recvmsg() with MSG_ERRQUEUE: errq_want, errq_got */
	struct pk_errq_msg errq_want;
	struct pk_errq_got errq_got;
	int vkind;              /* setsockopt value: 0 int, 1 linger, 2 string, 3 tcp_md5sig */
	struct tcp_md5sig md5;
	socklen_t md5len;
	int ival;
	socklen_t ilen;         /* setsockopt(): the script's optlen of ival, 1..4 */
	struct linger lg;
	char str[84];         /* a string value, as pk_val.str holds it */
	char cc[16];            /* socket(): congestion control to set on it, or "" */
	struct pollfd pfd[MAX_POLL];
	int npfd, timeout_ms;
	struct epoll_event ev[MAX_EPOLL_EVENTS]; /* epoll_ctl()'s event; epoll_wait()'s results */
	struct pk_msghdr mh;    /* sendmsg()/recvmsg(): the script's msghdr */
	/* Results. */
	long long rv;           /* >= 0, or -errno */
	int out_msg_flags;      /* recvmsg(): the msg_flags the kernel returned */
	int out_ncmsg;          /* recvmsg(): control messages returned (PK_MAX_CMSG + 1: more) */
	struct pk_cmsg out_cmsg[PK_MAX_CMSG];
	int out_int;            /* getsockopt's or ioctl's value */
	uint8_t out_opt[PK_SOCKOPT_MAX]; /* getsockopt's value, the script's optlen of it */
	socklen_t out_optlen;   /* in: the buffer's size; out: the length returned */
	uint16_t lport;         /* after connect(): the port the kernel chose */
	bool opened;            /* connect(): it set the judge's new_active_open */
	uint64_t t_done_us;
};

struct kr {
	struct pk_judge j;
	int tun;
	int done_fd;            /* eventfd: the worker finished a call */
	uint64_t t0_ns;         /* CLOCK_MONOTONIC at script time 0; 0 = not started */
	int fd[MAX_FDS];        /* script fd -> kernel fd, -1 */
	int last_fd;
	int sut_fd;             /* packetdrill's socket under test (run_code()) */
	char sock_cc[16];       /* tcp_congestion_control the namespace refused */

	pthread_t th;
	bool th_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool have_job, quit;
	struct job job;
	atomic_int in_call;     /* the worker is inside the system call */
	atomic_int tid;

	/* The watchdog thread: the machine's pauses through the whole run
	 * (pk_pause_explains()). It writes ring, n and longest under wmu;
	 * wseen_ns, its latest wake-up, says every pause before it is in. */
	pthread_t wth;
	bool wth_started;
	atomic_bool wquit;
	_Atomic uint64_t wseen_ns;
	pthread_mutex_t wmu;
	struct {
		uint64_t at_ns, len_ns; /* CLOCK_MONOTONIC */
	} wring[WATCH_MAX];
	uint32_t wn;            /* pauses seen; those past WATCH_MAX overwrote the oldest */
	uint64_t wlongest_ns, wlongest_at_ns;
	pid_t stopper;          /* opt->pause_us's helper process, or 0 */
	int stop_fd;            /* the pipe that tells it t0, or -1 */

	const struct pk_event *running; /* handed to the worker, not yet collected */
	bool pended;            /* ...and found blocked */
	uint8_t *buf;           /* packets in and out */
	/* The script has --mss: the TUN carries a virtio-net header
	 * (IFF_VNET_HDR), so a longer inbound segment goes in as GSO. */
	bool vnet;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_us(const struct kr *k)
{
	return k->t0_ns ? (mono_ns() - k->t0_ns) / 1000 : 0;
}

/* ---- the namespace and the device ---- */

static int write_file(const char *path, const char *val)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	size_t n = strlen(val);
	ssize_t w = write(f, val, n);
	int err = w < 0 ? -errno : (size_t)w == n ? 0 : -EIO;
	close(f);
	return err;
}

static int if_up(int sk, const char *name)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(sk, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(sk, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(addr)};
	memcpy(sa, &sin, sizeof(sin));
}

/* The kernel's struct in6_ifreq (linux/ipv6.h clashes with libc's headers). */
struct k_in6_ifreq {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

/* --ip_version=ipv6: tun0 gets 2001:db8::1/32, which puts the script's
 * 2001:db8:1::1 on the link (a TUN device is NOARP: no DAD runs). */
static int config_tun6(char *why, size_t n)
{
	int sk = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct k_in6_ifreq r6;
	memset(&r6, 0, sizeof(r6));
	memcpy(&r6.addr, pk_local_ip6.b, 16);
	r6.prefixlen = 32;
	r6.ifindex = (int)if_nametoindex(TUN_NAME);
	if (sk < 0 || !r6.ifindex || ioctl(sk, SIOCSIFADDR, &r6) < 0) {
		snprintf(why, n, "configuring %s (IPv6 address): %s", TUN_NAME, strerror(errno));
		if (sk >= 0)
			close(sk);
		return -1;
	}
	close(sk);
	/* The address is usable only once the kernel's DAD work has run:
	 * addrconf_dad_start() queues it (on a NOARP device such as a TUN it
	 * completes at once, when the worker runs) and only
	 * addrconf_dad_completed() inserts the address's local route. On a
	 * busy machine the worker came after the script's first SYN, which
	 * found no local route and was dropped without a word (one run in
	 * four at load 9). So wait for that route: /proc/net/ipv6_route lists
	 * it as the address with prefix length 0x80. */
	char want[40];
	for (int i = 0; i < 16; i++)
		snprintf(want + 2 * i, 3, "%02x", pk_local_ip6.b[i]);
	memcpy(want + 32, " 80 ", 5);
	for (int ms = 0; ms < 3000; ms++) {
		FILE *f = fopen("/proc/net/ipv6_route", "r");
		char line[256];
		bool found = false;
		while (f && !found && fgets(line, sizeof(line), f))
			found = strncmp(line, want, strlen(want)) == 0;
		if (f)
			fclose(f);
		if (found)
			return 0;
		struct timespec ts = {.tv_nsec = 1000000};
		nanosleep(&ts, NULL);
	}
	snprintf(why, n, "configuring %s: the IPv6 address's local route did not appear in 3 s (DAD)",
		 TUN_NAME);
	return -1;
}

/* tun0 with the local address, up, and a host route to the remote one. */
static int config_tun(int mtu, char *why, size_t n)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0) {
		snprintf(why, n, "socket: %s", strerror(errno));
		return -1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, TUN_NAME);
	ifr.ifr_mtu = mtu;
	const char *step = "MTU";
	int ok = ioctl(sk, SIOCSIFMTU, &ifr) == 0;
	if (ok) {
		step = "address";
		set_sin(&ifr.ifr_addr, PK_LOCAL_IP);
		ok = ioctl(sk, SIOCSIFADDR, &ifr) == 0;
	}
	if (ok) {
		set_sin(&ifr.ifr_netmask, 0xffffff00u);
		ok = ioctl(sk, SIOCSIFNETMASK, &ifr) == 0;
	}
	if (ok) {
		step = "up";
		ok = if_up(sk, TUN_NAME) == 0 && if_up(sk, "lo") == 0;
	}
	if (ok) {
		step = "route";
		struct rtentry rt;
		memset(&rt, 0, sizeof(rt));
		set_sin(&rt.rt_dst, PK_REMOTE_IP);
		set_sin(&rt.rt_genmask, 0xffffffffu);
		rt.rt_flags = RTF_UP | RTF_HOST;
		char dev[] = TUN_NAME;
		rt.rt_dev = dev;
		ok = ioctl(sk, SIOCADDRT, &rt) == 0;
	}
	if (!ok)
		snprintf(why, n, "configuring %s (%s): %s", TUN_NAME, step, strerror(errno));
	close(sk);
	return ok ? 0 : -1;
}

static bool cc_available(const char *name);

/* Returns 0, 1 when the script is to be skipped (why says so), -1 when it
 * fails. */
static int setup(struct kr *k, char *why, size_t n)
{
	struct stat before, after;
	if (stat("/proc/self/ns/net", &before) < 0) {
		snprintf(why, n, "no /proc/self/ns/net (%s): cannot prove a private namespace",
			 strerror(errno));
		return 1;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(why, n, "cannot create a network namespace (unshare: %s); --kernel needs root",
			 strerror(errno));
		return 1;
	}
	if (stat("/proc/self/ns/net", &after) < 0 || after.st_ino == before.st_ino) {
		snprintf(why, n, "still in the host's network namespace after unshare(); nothing done");
		return -1;
	}
	/* The namespace's congestion control starts as Linux's built-in
	 * default, CUBIC, not whatever the host runs (a new namespace copies
	 * the host's; this machine's is BBR): a script that sets none, as most
	 * community scripts do, was written against a stock kernel, and
	 * glasstcp's Linux profile runs CUBIC. A script's own sysctl still
	 * wins. Where the namespace refuses it (tcp_allowed_congestion_control
	 * without cubic), every socket the script makes gets it. */
	if (cc_available("cubic") &&
	    write_file("/proc/sys/net/ipv4/tcp_congestion_control", "cubic\n") < 0)
		snprintf(k->sock_cc, sizeof(k->sock_cc), "cubic");
	/* No IPv6 chatter (router solicitations, MLD) on the device, unless
	 * the script is IPv6 (read_tun() then leaves ND and MLD unjudged). */
	bool v6 = k->j.sc->ipver == PK_IPV6;
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", v6 ? "0" : "1");
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", v6 ? "0" : "1");
	if (v6)
		write_file("/proc/sys/net/ipv6/conf/default/router_solicitations", "0");
	k->tun = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (k->tun < 0) {
		snprintf(why, n, "cannot open /dev/net/tun: %s", strerror(errno));
		return 1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, TUN_NAME);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	/* --mss=N: packetdrill's GSO injection needs the virtio-net header
	 * on each packet (struct virtio_net_hdr, 10 bytes, TUN's default
	 * size); no offload is turned on (TUNSETOFFLOAD), so what the kernel
	 * sends comes whole and checksummed, the header all zero.
	 * --tso: the header always, as packetdrill's Linux TUN has it
	 * (netdev.c, create_device()). */
	if (k->j.sc->gso_mss || k->j.opt->tso) {
		ifr.ifr_flags |= IFF_VNET_HDR;
		k->vnet = true;
	}
	if (ioctl(k->tun, TUNSETIFF, &ifr) < 0) {
		snprintf(why, n, "cannot create a TUN device (TUNSETIFF: %s)", strerror(errno));
		return 1;
	}
	/* --tso: packetdrill's offloads ("like a typical ethernet
	 * device", netdev.c, set_device_offload_flags()), set before the
	 * device is up, as there. tun_set_offload() turns them into
	 * NETIF_F_HW_CSUM and NETIF_F_TSO/TSO6/TSO_ECN: TCP's skbs of several
	 * segments (tcp_tso_autosize()) reach the device whole, their
	 * checksum partial (VIRTIO_NET_HDR_F_NEEDS_CSUM); read_tun() takes
	 * each as one packet. */
	if (k->j.opt->tso &&
	    ioctl(k->tun, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)) < 0) {
		snprintf(why, n, "--tso: TUNSETOFFLOAD: %s", strerror(errno));
		return -1;
	}
	if (config_tun(k->j.sc->mtu ? k->j.sc->mtu : 1500, why, n) < 0)
		return -1;
	if (v6 && config_tun6(why, n) < 0)
		return -1;
	return 0;
}

/* ---- the worker ---- */

static uint8_t zeros[PK_IO_MAX];

/* A control message of a recvmsg(MSG_ERRQUEUE): an IP_RECVERR's or
 * IPV6_RECVERR's struct sock_extended_err, else its level and type. */
static void errq_note(const struct kr *k, struct job *jb, const struct cmsghdr *cm)
{
	struct pk_errq_got *g = &jb->errq_got;
	if (g->n == PK_MAX_CMSG)
		return;
	int i = g->n++;
	g->cm[i].level = cm->cmsg_level;
	g->cm[i].type = cm->cmsg_type;
	if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPING &&
	    cm->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
		/* struct scm_timestamping's ts[0], the software stamp
		 * (CLOCK_REALTIME), in script time: the clock's distance from
		 * CLOCK_MONOTONIC, read now, taken off with t0. */
		struct timespec ts, rt, mt;
		memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mt);
		int64_t off_ns = ((int64_t)rt.tv_sec - mt.tv_sec) * 1000000000 + (rt.tv_nsec - mt.tv_nsec);
		int64_t mono_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - off_ns;
		g->cm[i].is_ts = true;
		g->cm[i].ts_us = (mono_ns - (int64_t)k->t0_ns) / 1000;
	}
	g->cm[i].is_ee = ((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
			  (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR)) &&
			 cm->cmsg_len >= CMSG_LEN(sizeof(struct sock_extended_err));
	if (g->cm[i].is_ee) {
		struct sock_extended_err ee;
		memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
		uint32_t f[PK_EE_N] = {ee.ee_errno, ee.ee_origin, ee.ee_type, ee.ee_code, ee.ee_info, ee.ee_data};
		memcpy(g->cm[i].ee, f, sizeof(f));
	}
}

static void exec_call(struct kr *k, struct job *jb)
{
	static uint8_t sink[PK_IO_MAX];
	long long rv = 0;
	struct sockaddr_in sin = {.sin_family = AF_INET};
	/* ipv6 and ipv4-mapped-v6 scripts: an AF_INET6 socket, the peer as
	 * 2001:db8:1::1 or ::ffff:192.0.2.1. */
	enum pk_ipver ver = k->j.sc->ipver;
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
	struct sockaddr *sa = ver == PK_IPV4 ? (struct sockaddr *)&sin : (struct sockaddr *)&sin6;
	socklen_t salen = ver == PK_IPV4 ? sizeof(sin) : sizeof(sin6);
	socklen_t slen = salen;
	/* The peer: connect()'s address, and a sendto() or sendmsg() with
	 * MSG_FASTOPEN's (its implied connect, tcp_sendmsg_fastopen()). */
	bool fastopen = (jb->kind == K_WRITE || jb->kind == K_SENDMSG) && (jb->flags & MSG_FASTOPEN);
	if (jb->kind == K_CONNECT || fastopen) {
		sin.sin_port = sin6.sin6_port = htons(PK_BIND_PORT);
		sin.sin_addr.s_addr = htonl(PK_REMOTE_IP);
		if (ver == PK_IPV6) {
			memcpy(&sin6.sin6_addr, pk_remote_ip6.b, 16);
		} else {
			uint32_t r = htonl(PK_REMOTE_IP);
			sin6.sin6_addr.s6_addr[10] = sin6.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6.sin6_addr.s6_addr[12], &r, 4);
		}
	}
	atomic_store(&k->in_call, 1);
	switch (jb->kind) {
	case K_SOCKET:
		rv = socket(ver == PK_IPV4 ? AF_INET : AF_INET6, jb->a, jb->b);
		if (rv >= 0 && ver == PK_IPV4_MAPPED) {
			int off = 0; /* as the in-process runner's dual-stack socket */
			setsockopt((int)rv, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		}
		if (rv >= 0 && jb->cc[0] &&
		    setsockopt((int)rv, IPPROTO_TCP, TCP_CONGESTION, jb->cc, (socklen_t)strlen(jb->cc)) < 0) {
			int err = errno;
			close((int)rv);
			errno = err;
			rv = -1;
		}
		break;
	case K_BIND:
		sin.sin_port = sin6.sin6_port = htons(k->j.sc->bind_port);
		rv = bind(jb->kfd, sa, salen);
		break;
	case K_LISTEN:
		rv = listen(jb->kfd, jb->a);
		break;
	case K_ACCEPT:
		rv = accept(jb->kfd, NULL, NULL);
		break;
	case K_CONNECT:
		if (jb->unspec) {
			/* A disconnect (__inet_stream_connect(): AF_UNSPEC). */
			struct sockaddr un = {.sa_family = AF_UNSPEC};
			rv = connect(jb->kfd, &un, sizeof(un));
			break;
		}
		rv = connect(jb->kfd, sa, salen);
		break;
	case K_CLOSE:
		rv = close(jb->kfd);
		break;
	case K_SHUTDOWN:
		rv = shutdown(jb->kfd, jb->a);
		break;
	case K_READ:
		rv = recv(jb->kfd, jb->null_buf ? NULL : sink, (size_t)jb->len, jb->flags);
		break;
	case K_WRITE:
		if (fastopen && jb->unspec) {
			/* sendto(..., MSG_FASTOPEN, AF_UNSPEC, ...): the
			 * script's address, of family AF_UNSPEC
			 * (tcp_sendmsg_fastopen() refuses it, EOPNOTSUPP). */
			struct sockaddr un = {.sa_family = AF_UNSPEC};
			rv = sendto(jb->kfd, jb->null_buf ? NULL : zeros, (size_t)jb->len, jb->flags, &un,
				    sizeof(un));
			break;
		}
		rv = sendto(jb->kfd, jb->null_buf ? NULL : zeros, (size_t)jb->len, jb->flags,
			    fastopen ? sa : NULL, fastopen ? salen : 0);
		break;
	case K_SENDMSG:
	case K_RECVMSG: {
		/* The script's iov as consecutive pieces of the runner's
		 * buffer (their sum is at most PK_IO_MAX: pk_msghdr_of()). */
		struct iovec iov[PK_MAX_IOV];
		uint8_t *buf = jb->kind == K_SENDMSG ? zeros : sink;
		size_t off = 0;
		for (int i = 0; i < jb->mh.niov; i++) {
			iov[i].iov_base = buf + off;
			iov[i].iov_len = (size_t)jb->mh.iov[i];
			off += (size_t)jb->mh.iov[i];
		}
		union {
			struct cmsghdr align;
			uint8_t b[CMSG_SPACE(64) * (PK_MAX_CMSG + 1)];
		} ctl;
		memset(&ctl, 0, sizeof(ctl));
		struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)jb->mh.niov};
		if (fastopen) {
			m.msg_name = sa;
			m.msg_namelen = salen;
		}
		if (jb->kind == K_SENDMSG) {
			rv = sendmsg(jb->kfd, &m, jb->flags);
			break;
		}
		/* packetdrill passes a control buffer only where the script
		 * wrote msg_control. */
		if (jb->mh.has_control) {
			m.msg_control = ctl.b;
			m.msg_controllen = sizeof(ctl.b);
		}
		rv = recvmsg(jb->kfd, &m, jb->flags);
		jb->out_msg_flags = m.msg_flags;
		jb->out_ncmsg = 0;
		for (struct cmsghdr *cm = rv >= 0 && m.msg_control ? CMSG_FIRSTHDR(&m) : NULL; cm;
		     cm = CMSG_NXTHDR(&m, cm)) {
			if (jb->out_ncmsg == PK_MAX_CMSG) {
				jb->out_ncmsg++;
				break;
			}
			struct pk_cmsg *o = &jb->out_cmsg[jb->out_ncmsg++];
			int d = 0;
			if (cm->cmsg_len >= CMSG_LEN(sizeof(int)))
				memcpy(&d, CMSG_DATA(cm), sizeof(d));
			o->level = cm->cmsg_level;
			o->type = cm->cmsg_type;
			o->data = d;
			if (jb->errq)
				errq_note(k, jb, cm);
		}
		break;
	}
	case K_SETSOCKOPT:
		rv = jb->vkind == 3 ? setsockopt(jb->kfd, jb->a, jb->b, &jb->md5, jb->md5len)
		   : jb->vkind == 1 ? setsockopt(jb->kfd, jb->a, jb->b, &jb->lg, sizeof(jb->lg))
		   : jb->vkind == 2 ? setsockopt(jb->kfd, jb->a, jb->b, jb->str, (socklen_t)strlen(jb->str))
				    : setsockopt(jb->kfd, jb->a, jb->b, &jb->ival, jb->ilen);
		break;
	case K_GETSOCKOPT: {
		rv = getsockopt(jb->kfd, jb->a, jb->b, jb->out_opt, &jb->out_optlen);
		break;
	}
	case K_FCNTL:
		rv = jb->a == F_GETFL ? fcntl(jb->kfd, F_GETFL) : fcntl(jb->kfd, F_SETFL, jb->b);
		break;
	case K_POLL:
		rv = poll(jb->pfd, (nfds_t)jb->npfd, jb->timeout_ms);
		break;
	case K_EPOLL_CREATE:
		rv = epoll_create(jb->a);
		break;
	case K_EPOLL_CREATE1:
		rv = epoll_create1(jb->a);
		break;
	case K_EPOLL_CTL:
		rv = epoll_ctl(jb->kfd, jb->a, jb->b, &jb->ev[0]);
		break;
	case K_EPOLL_WAIT:
		rv = epoll_wait(jb->kfd, jb->ev, jb->a, jb->timeout_ms);
		break;
	case K_IOCTL:
		rv = ioctl(jb->kfd, (unsigned long)jb->a, &jb->out_int);
		break;
	case K_NONE:
		break;
	}
	if (rv < 0)
		rv = -errno;
	atomic_store(&k->in_call, 0);
	if (((jb->kind == K_CONNECT && !jb->unspec) || fastopen) && getsockname(jb->kfd, sa, &slen) == 0)
		jb->lport = ntohs(ver == PK_IPV4 ? sin.sin_port : sin6.sin6_port);
	jb->rv = rv;
	jb->t_done_us = now_us(k);
}

static void *worker(void *arg)
{
	struct kr *k = arg;
	atomic_store(&k->tid, (int)syscall(SYS_gettid));
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->have_job && !k->quit)
			pthread_cond_wait(&k->cv, &k->mu);
		if (k->quit)
			break;
		struct job jb = k->job;
		pthread_mutex_unlock(&k->mu);
		exec_call(k, &jb);
		pthread_mutex_lock(&k->mu);
		k->job = jb;
		k->have_job = false;
		uint64_t one = 1;
		if (write(k->done_fd, &one, sizeof(one)) < 0)
			abort(); /* an eventfd write cannot fail here */
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* ---- the watchdog: the machine's pauses ---- */

static struct timespec ts_of_ns(uint64_t ns)
{
	return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
}

/* A thread that sleeps to absolute deadlines on CLOCK_MONOTONIC and notes
 * each wake-up later than WATCH_PAUSE_NS: while it did not run, nothing of
 * the machine's ordinary work did (the kernel's timers, when softirqs
 * fall to ksoftirqd, are SCHED_OTHER work too; a VM descheduled stops
 * all). SCHED_OTHER, so that it never takes a CPU from the runner's
 * SCHED_FIFO threads or from the kernel; it sleeps between wake-ups and
 * never spins. After a pause its next deadline counts from the wake-up,
 * not a burst to catch up. */
static void *watchdog(void *arg)
{
	struct kr *k = arg;
	struct sched_param sp = {.sched_priority = 0};
	pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp); /* not the child's SCHED_FIFO */
	uint64_t due = mono_ns();
	atomic_store(&k->wseen_ns, due);
	while (!atomic_load(&k->wquit)) {
		due += WATCH_PERIOD_NS;
		struct timespec ts = ts_of_ns(due);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		uint64_t now = mono_ns();
		if (now > due + WATCH_PAUSE_NS) {
			pthread_mutex_lock(&k->wmu);
			k->wring[k->wn % WATCH_MAX].at_ns = due;
			k->wring[k->wn % WATCH_MAX].len_ns = now - due;
			k->wn++;
			if (now - due > k->wlongest_ns) {
				k->wlongest_ns = now - due;
				k->wlongest_at_ns = due;
			}
			pthread_mutex_unlock(&k->wmu);
			due = now;
		}
		atomic_store(&k->wseen_ns, now);
	}
	return NULL;
}

static int64_t script_us_of(const struct kr *k, uint64_t ns)
{
	return ns > k->t0_ns ? (int64_t)((ns - k->t0_ns) / 1000) : -(int64_t)((k->t0_ns - ns) / 1000);
}

/* The pauses of the run so far, in script time (the latest WATCH_MAX). */
static int watch_pauses(struct kr *k, struct pk_pause *p, uint32_t *seen, int64_t *longest_us,
			int64_t *longest_at_us)
{
	pthread_mutex_lock(&k->wmu);
	uint32_t n = k->wn < WATCH_MAX ? k->wn : WATCH_MAX;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t at = (k->wn - n + i) % WATCH_MAX;
		p[i].start_us = script_us_of(k, k->wring[at].at_ns);
		p[i].len_us = (int64_t)(k->wring[at].len_ns / 1000);
	}
	*seen = k->wn;
	*longest_us = (int64_t)(k->wlongest_ns / 1000);
	*longest_at_us = script_us_of(k, k->wlongest_at_ns);
	pthread_mutex_unlock(&k->wmu);
	return (int)n;
}

/* The judge's question (pk_judge.paused): first the watchdog must have
 * run past arr_us, so that a pause that ended there is recorded. */
static bool kr_paused(void *ctx, int64_t hi_us, int64_t arr_us, char *why, size_t n)
{
	struct kr *k = ctx;
	if (!k->wth_started || arr_us <= hi_us)
		return false;
	uint64_t want = k->t0_ns + (uint64_t)arr_us * 1000, start = mono_ns();
	while (atomic_load(&k->wseen_ns) < want && mono_ns() - start < WATCH_SYNC_NS) {
		struct timespec ts = {.tv_nsec = 200000};
		nanosleep(&ts, NULL);
	}
	struct pk_pause p[WATCH_MAX];
	uint32_t seen;
	int64_t longest_us, longest_at_us;
	int np = watch_pauses(k, p, &seen, &longest_us, &longest_at_us);
	struct pk_pause worst = {0};
	if (!pk_pause_explains(p, np, hi_us, arr_us, PK_PAUSE_SLACK_US, &worst)) {
		pk_log(&k->j, "late by %.1f ms past %.6f: no pause of the machine explains it (pauses in "
			      "the run: %u, the longest %.1f ms at %.6f)",
		       (double)(arr_us - hi_us) / 1e3, (double)hi_us / 1e6, seen, (double)longest_us / 1e3,
		       (double)longest_at_us / 1e6);
		return false;
	}
	snprintf(why, n,
		 "the machine paused %.1f ms at %.6f, seen by the runner's watchdog (pauses over %llu ms "
		 "in the run: %u, the longest %.1f ms)",
		 (double)worst.len_us / 1e3, (double)worst.start_us / 1e6,
		 (unsigned long long)(WATCH_PAUSE_NS / 1000000), seen, (double)longest_us / 1e3);
	return true;
}

/* --verbose: what the watchdog saw. */
static void watch_report(struct kr *k)
{
	if (!k->j.opt->log || !k->wth_started)
		return;
	struct pk_pause p[WATCH_MAX];
	uint32_t seen;
	int64_t longest_us, longest_at_us;
	int np = watch_pauses(k, p, &seen, &longest_us, &longest_at_us);
	if (!seen) {
		pk_log(&k->j, "watchdog: no pause of the machine over %llu ms",
		       (unsigned long long)(WATCH_PAUSE_NS / 1000000));
		return;
	}
	pk_log(&k->j, "watchdog: %u pauses of the machine over %llu ms, the longest %.1f ms at %.6f%s", seen,
	       (unsigned long long)(WATCH_PAUSE_NS / 1000000), (double)longest_us / 1e3,
	       (double)longest_at_us / 1e6, seen > WATCH_MAX ? " (the oldest not kept)" : "");
	for (int i = 0; i < np; i++)
		pk_log(&k->j, "watchdog: paused %.1f ms at %.6f", (double)p[i].len_us / 1e3,
		       (double)p[i].start_us / 1e6);
}

/* opt->pause_us: a helper process stops the whole runner (SIGSTOP) at
 * script time pause_at_us and lets it go on (SIGCONT) pause_us later,
 * from outside, as the machine's pause would. It is forked before the
 * script's time begins (a fork then would make the runner late) and
 * learns that time, t0, through a pipe (k->stop_fd, written by kr_start();
 * closed unwritten, it ends); it calls only async-signal-safe functions
 * (the runner has threads). */
static void start_stopper(struct kr *k)
{
	const struct pk_options *o = k->j.opt;
	int p[2];
	k->stop_fd = -1;
	if (o->pause_us <= 0 || o->pause_at_us < 0)
		return;
	if (pipe2(p, O_CLOEXEC) < 0) {
		pk_fail(&k->j, 0, "pipe (the pause's helper): %s", strerror(errno));
		return;
	}
	pid_t runner = getpid();
	pid_t h = fork();
	if (h < 0) {
		pk_fail(&k->j, 0, "fork (the pause's helper): %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (h > 0) {
		close(p[0]);
		k->stopper = h;
		k->stop_fd = p[1];
		return;
	}
	close(p[1]);
	uint64_t t0_ns;
	if (read(p[0], &t0_ns, sizeof(t0_ns)) != (ssize_t)sizeof(t0_ns))
		_exit(0);
	struct timespec at = ts_of_ns(t0_ns + (uint64_t)o->pause_at_us * 1000);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
		;
	uint64_t go_ns = mono_ns() + (uint64_t)o->pause_us * 1000;
	kill(runner, SIGSTOP);
	struct timespec go = ts_of_ns(go_ns);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &go, NULL) == EINTR)
		;
	kill(runner, SIGCONT);
	_exit(0);
}

/* SIGCONT, with opt->pause_us: the main thread's ppoll() ends (EINTR) when
 * the runner goes on, as it ends on time after a pause of the machine;
 * restarted, it would sleep on for what was left of its timeout when the
 * stop came. SA_RESTART, and blocked in the other threads: their calls go
 * on as before. */
static void on_cont(int sig)
{
	(void)sig;
}

static void end_stopper(struct kr *k)
{
	if (k->stop_fd >= 0)
		close(k->stop_fd);
	k->stop_fd = -1;
	if (k->stopper > 0) /* it ends by itself, the runner let go on */
		while (waitpid(k->stopper, NULL, 0) < 0 && errno == EINTR)
			;
	k->stopper = 0;
}

/* Is the worker asleep inside its system call (blocked), by /proc? */
static bool worker_sleeps(struct kr *k)
{
	if (!atomic_load(&k->in_call))
		return false;
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", atomic_load(&k->tid));
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return false;
	ssize_t n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = 0;
	const char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S' && atomic_load(&k->in_call);
}

/* ---- time and the device ---- */

static void collect(struct kr *k);

/* A packet read with VIRTIO_NET_HDR_F_NEEDS_CSUM (--tso: the TUN
 * has TUN_F_CSUM): the kernel left its TCP (or UDP) checksum partial, the
 * pseudo-header's sum uncomplemented in the field (__tcp_v4_send_check(),
 * tcp_v6_send_check(), for the skb's whole length, a GSO one's too), for
 * the device to finish. The runner finishes it as a device does (the
 * Internet checksum from csum_start to the end, stored at csum_start +
 * csum_offset) and then checks it against the pseudo-header of the
 * packet's own addresses and length, so a wrong partial sum still fails;
 * packetdrill itself checks only the IPv4 header's checksum
 * (run_packet.c, verify_outbound_live_checksums(): "TODO ... TCP
 * checksum offloading"). False, with why, where it is not right. */
static bool finish_csum(const struct virtio_net_hdr *vh, uint8_t *p, size_t n, char *why, size_t wn)
{
	size_t start = vh->csum_start, at = start + vh->csum_offset;
	if (start >= n || at + 2 > n) {
		snprintf(why, wn, "csum_start %u + csum_offset %u past the packet's %zu bytes", vh->csum_start,
			 vh->csum_offset, n);
		return false;
	}
	uint16_t c = csum_fold(csum_partial(p + start, n - start, 0));
	p[at] = (uint8_t)(c >> 8);
	p[at + 1] = (uint8_t)c;
	uint8_t proto;
	uint32_t ps;
	size_t len = n - start;
	if ((p[0] >> 4) == 4 && n >= 20 && start == (size_t)(p[0] & 15) * 4) {
		proto = p[9];
		uint32_t src = (uint32_t)p[12] << 24 | (uint32_t)p[13] << 16 | (uint32_t)p[14] << 8 | p[15];
		uint32_t dst = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
		ps = csum_pseudo_ipv4(src, dst, proto, (uint16_t)len);
	} else if ((p[0] >> 4) == 6 && n >= 40 && start == 40) {
		proto = p[6];
		ps = csum_pseudo_ipv6(p + 8, p + 24, proto, (uint32_t)len);
	} else {
		return true; /* behind IPv6 extension headers: finished, not checked */
	}
	if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP) ||
	    vh->csum_offset != (proto == IPPROTO_TCP ? 16 : 6)) {
		snprintf(why, wn, "csum_offset %u for IP protocol %u", vh->csum_offset, proto);
		return false;
	}
	if (csum_fold(csum_partial(p + start, len, ps)) != 0) {
		snprintf(why, wn, "its partial checksum is not the pseudo-header's sum");
		return false;
	}
	return true;
}

static void read_tun(struct kr *k)
{
	for (;;) {
		struct virtio_net_hdr vh;
		struct iovec iov[2] = {{&vh, sizeof(vh)}, {k->buf, PK_PKT_MAX}};
		ssize_t n = k->vnet ? readv(k->tun, iov, 2) : read(k->tun, k->buf, PK_PKT_MAX);
		if (k->vnet)
			n = n < (ssize_t)sizeof(vh) ? -1 : n - (ssize_t)sizeof(vh);
		if (n <= 0)
			return;
		uint64_t t = now_us(k);
		char why[160];
		if (k->vnet && (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    !finish_csum(&vh, k->buf, (size_t)n, why, sizeof(why))) {
			pk_fail(&k->j, 0, "a packet of %zd bytes from the kernel: %s", n, why);
			return;
		}
		if (k->vnet && (vh.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) != VIRTIO_NET_HDR_GSO_NONE) {
			/* --tso: one skb of several segments, judged as
			 * one segment of its whole length, as packetdrill's
			 * packet socket on tun0 sees it; gso_size is only said. */
			pk_log(&k->j, "read a GSO packet of %zd bytes (gso_size %u), judged as one", n,
			       vh.gso_size);
		}
		if ((k->buf[0] >> 4) == 6 && n >= 41 && k->buf[6] != IPPROTO_TCP) {
			/* The kernel's own link chatter on an IPv6 device (MLD
			 * behind Hop-by-Hop, neighbour discovery): not judged. */
			pk_log(&k->j, "ignored an IPv6 packet (next header %u) from the kernel", k->buf[6]);
			continue;
		}
		if ((k->buf[0] >> 4) != 4 && (k->buf[0] >> 4) != 6) {
			pk_log(&k->j, "ignored a non-IP packet of %zd bytes from the kernel", n);
			continue;
		}
		if (!pk_outq_push(&k->j.out, t, k->buf, (size_t)n))
			pk_fail(&k->j, 0, "more than %d outbound packets queued", PK_MAX_OUT);
	}
}

/* Real time passes until deadline_us, a call finishes (it is collected), or
 * with until_out an outbound packet is queued; the device is read. */
static void kwait(struct kr *k, uint64_t deadline_us, bool until_out)
{
	for (;;) {
		struct pollfd pf[2] = {{.fd = k->tun, .events = POLLIN}, {.fd = k->done_fd, .events = POLLIN}};
		read_tun(k);
		k->j.now_us = now_us(k);
		if (k->j.failed || (until_out && k->j.out.len) || k->j.now_us >= deadline_us)
			return;
		uint64_t left = deadline_us - k->j.now_us;
		struct timespec ts = {.tv_sec = (time_t)(left / 1000000), .tv_nsec = (long)(left % 1000000) * 1000};
		int r = ppoll(pf, 2, &ts, NULL);
		if (r < 0 && errno != EINTR) {
			pk_fail(&k->j, 0, "ppoll: %s", strerror(errno));
			return;
		}
		if (r > 0 && (pf[1].revents & POLLIN)) {
			collect(k);
			read_tun(k);
			k->j.now_us = now_us(k);
			return;
		}
	}
}

static void sleep_until(struct kr *k, uint64_t t_us)
{
	while (!k->j.failed && k->j.now_us < t_us)
		kwait(k, t_us, false);
}

static void wait_out(void *ctx, uint64_t deadline_us)
{
	struct kr *k = ctx;
	while (!k->j.failed && !k->j.out.len && k->j.now_us < deadline_us)
		kwait(k, deadline_us, true);
}

/* ---- system calls ---- */

static int kfd_of(struct kr *k, const struct pk_val *v)
{
	if (v->kind != PV_INT || v->i < 0 || v->i >= MAX_FDS || k->fd[v->i] < 0)
		return -1;
	k->last_fd = (int)v->i;
	return k->fd[v->i];
}

/* Fills jb from the script's call; false when the verdict is given (an
 * argument form the runner does not take), or when the call ends at once
 * without the kernel (*rv set: a descriptor the script never opened). */
/* A write with MSG_FASTOPEN opens a connection (tcp_sendmsg_fastopen()):
 * its SYN is judged as connect()'s, on the script's peer port. */
static void fastopen_open(struct kr *k, const struct job *jb)
{
	if (jb->kind == K_RECVMSG || jb->kind == K_READ || !(jb->flags & MSG_FASTOPEN) || jb->unspec)
		return;
	/* Only on a closed socket does it open one; on one connecting or
	 * connected it sends no SYN to wait for (EALREADY, or plain data). */
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	if (jb->kfd >= 0 && getsockopt(jb->kfd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 && ti.tcpi_state != TCP_CLOSE)
		return;
	k->j.rport = PK_BIND_PORT;
	k->j.new_active_open = true;
}

/* recvmsg(..., MSG_ERRQUEUE): the script's msghdr with its IP_RECVERR
 * message (errqueue.c), passed to the kernel as any recvmsg(). */
_Static_assert(PK_MSG_ERRQUEUE == MSG_ERRQUEUE && PK_MSG_TRUNC == MSG_TRUNC && IP_RECVERR == 11 &&
		       IPV6_RECVERR == 25 && SO_EE_ORIGIN_ZEROCOPY == GT_SO_EE_ORIGIN_ZEROCOPY &&
		       SO_EE_CODE_ZEROCOPY_COPIED == GT_SO_EE_CODE_ZEROCOPY_COPIED &&
		       SO_ZEROCOPY == GT_SO_ZEROCOPY && MSG_ZEROCOPY == GT_MSG_ZEROCOPY &&
		       SO_TIMESTAMPING == GT_SO_TIMESTAMPING && SCM_TIMESTAMPING == PK_SCM_TIMESTAMPING &&
		       SO_EE_ORIGIN_TIMESTAMPING == GT_SO_EE_ORIGIN_TIMESTAMPING,
	       "MSG_ERRQUEUE");
static bool prepare_errqueue(struct kr *k, const struct pk_event *e, struct job *jb)
{
	char why[112];
	if (!pk_errq_msghdr_of(&e->call.args[1], &jb->errq_want, why, sizeof(why))) {
		pk_unsupported(&k->j, e->line, "recvmsg(): %s", why);
		return false;
	}
	jb->errq = true;
	jb->mh = jb->errq_want.mh;
	jb->mh.ncmsg = 0;
	jb->kind = K_RECVMSG;
	jb->len = jb->mh.total;
	jb->flags = (int)pk_int_arg(&e->call, 2);
	return true;
}

static bool prepare(struct kr *k, const struct pk_event *e, struct job *jb, long long *rv)
{
	const struct pk_call *c = &e->call;
	const char *n = c->name;
	memset(jb, 0, sizeof(*jb));
	jb->kfd = -1;
	*rv = 1;
	if (!strcmp(n, "socket")) {
		/* A negative result is an error the script expects. */
		if (c->ret >= MAX_FDS) {
			pk_unsupported(&k->j, e->line, "socket() result %lld", c->ret);
			return false;
		}
		jb->kind = K_SOCKET;
		jb->a = (int)pk_int_arg(c, 1);
		/* The script's protocol (GT_IPPROTO_TCP and _UDP are the
		 * kernel's numbers), TCP's where it writes none. */
		jb->b = c->nargs > 2 && c->args[2].kind == PV_INT ? (int)c->args[2].i : IPPROTO_TCP;
		memcpy(jb->cc, k->sock_cc, sizeof(jb->cc));
		return true;
	}
	if (!strcmp(n, "poll")) {
		const struct pk_val *l = &c->args[0];
		if (c->nargs < 1 || l->kind != PV_LIST || l->n > MAX_POLL) {
			pk_unsupported(&k->j, e->line, "poll() argument form");
			return false;
		}
		jb->kind = K_POLL;
		jb->npfd = l->n;
		jb->timeout_ms = (int)pk_int_arg(c, 2);
		for (int i = 0; i < l->n; i++) {
			const struct pk_val *s = &l->items[i];
			jb->pfd[i].fd = -1;
			for (int f = 0; f < s->n; f++) {
				long long v = s->items[f].i;
				if (!strcmp(s->items[f].name, "fd"))
					jb->pfd[i].fd = v >= 0 && v < MAX_FDS ? k->fd[v] : -1;
				else if (!strcmp(s->items[f].name, "events"))
					jb->pfd[i].events = (short)v;
			}
		}
		return true;
	}
	if (!strcmp(n, "epoll_create") || !strcmp(n, "epoll_create1")) {
		if (c->ret < -1 || c->ret >= MAX_FDS) { /* -1: an error expected */
			pk_unsupported(&k->j, e->line, "%s() result %lld", n, c->ret);
			return false;
		}
		jb->kind = n[12] ? K_EPOLL_CREATE1 : K_EPOLL_CREATE;
		jb->a = (int)pk_int_arg(c, 0);
		return true;
	}
	jb->kfd = c->nargs ? kfd_of(k, &c->args[0]) : -1;
	if (jb->kfd < 0) {
		*rv = -EBADF; /* as the glasstcp back-end: never a stray kernel fd */
		return false;
	}
	if (!strcmp(n, "epoll_ctl")) {
		/* The event's data as the script wrote it (fd=N: the script's
		 * number, which epoll_wait() gives back). */
		jb->kind = K_EPOLL_CTL;
		jb->a = (int)pk_int_arg(c, 1);
		long long fd = pk_int_arg(c, 2);
		jb->b = fd >= 0 && fd < MAX_FDS ? k->fd[fd] : -1;
		const struct pk_val *v = c->nargs > 3 ? &c->args[3] : NULL;
		if (jb->a != EPOLL_CTL_DEL && (!v || v->kind != PV_STRUCT)) {
			pk_unsupported(&k->j, e->line, "epoll_ctl() event form");
			return false;
		}
		for (int f = 0; v && v->kind == PV_STRUCT && f < v->n; f++) {
			if (!strcmp(v->items[f].name, "events"))
				jb->ev[0].events = (uint32_t)v->items[f].i;
			else if (!strcmp(v->items[f].name, "fd"))
				jb->ev[0].data.fd = (int)v->items[f].i;
			else if (!strcmp(v->items[f].name, "ptr") || !strcmp(v->items[f].name, "u64"))
				jb->ev[0].data.u64 = (uint64_t)v->items[f].i;
		}
		return true;
	}
	if (!strcmp(n, "epoll_wait")) {
		jb->kind = K_EPOLL_WAIT;
		jb->a = (int)pk_int_arg(c, 2);
		jb->timeout_ms = (int)pk_int_arg(c, 3);
		if (jb->a > MAX_EPOLL_EVENTS) {
			pk_unsupported(&k->j, e->line, "epoll_wait() of more than %d events", MAX_EPOLL_EVENTS);
			return false;
		}
		return true;
	}
	if (!strcmp(n, "fcntl")) {
		jb->kind = K_FCNTL;
		jb->a = (int)pk_int_arg(c, 1);
		jb->b = (int)pk_int_arg(c, 2);
		if (jb->a != F_GETFL && jb->a != F_SETFL) {
			pk_unsupported(&k->j, e->line, "fcntl command %d", jb->a);
			return false;
		}
		return true;
	}
	if (!strcmp(n, "bind") || !strcmp(n, "connect") || !strcmp(n, "accept") ||
	    !strcmp(n, "close")) {
		jb->kind = n[0] == 'b' ? K_BIND : n[0] == 'a' ? K_ACCEPT : n[2] == 'n' ? K_CONNECT : K_CLOSE;
		jb->unspec = jb->kind == K_CONNECT && pk_af_unspec_arg(c, 1);
		if (jb->kind == K_CONNECT && !jb->unspec) {
			k->j.rport = PK_BIND_PORT; /* before the SYN goes */
			jb->opened = !k->j.new_active_open;
			k->j.new_active_open = true;
		}
		return true;
	}
	if (!strcmp(n, "listen") || !strcmp(n, "shutdown")) {
		jb->kind = n[0] == 'l' ? K_LISTEN : K_SHUTDOWN;
		jb->a = (int)pk_int_arg(c, 1);
		return true;
	}
	if (!strcmp(n, "recvmsg") && (pk_int_arg(c, 2) & MSG_ERRQUEUE))
		return prepare_errqueue(k, e, jb);
	if (!strcmp(n, "sendmsg") || !strcmp(n, "recvmsg")) {
		char why[112];
		if (!pk_msghdr_of(&c->args[1], &jb->mh, why, sizeof(why))) {
			pk_unsupported(&k->j, e->line, "%s(): %s", n, why);
			return false;
		}
		if (n[0] == 's' && jb->mh.ncmsg) {
			pk_unsupported(&k->j, e->line, "sendmsg() with a control message");
			return false;
		}
		jb->kind = n[0] == 's' ? K_SENDMSG : K_RECVMSG;
		jb->len = jb->mh.total;
		jb->flags = (int)pk_int_arg(c, 2);
		fastopen_open(k, jb);
		return true;
	}
	bool is_read = !strcmp(n, "read") || !strcmp(n, "recv") || !strcmp(n, "recvfrom") ||
		       !strcmp(n, "readv");
	bool is_write = !strcmp(n, "write") || !strcmp(n, "send") || !strcmp(n, "sendto") ||
			!strcmp(n, "writev");
	if (is_read || is_write) {
		bool vec = !strcmp(n, "readv") || !strcmp(n, "writev");
		jb->len = vec ? pk_iov_total(&c->args[1]) : pk_int_arg(c, 2);
		jb->flags = (!strcmp(n, "send") || !strcmp(n, "recv") || !strcmp(n, "sendto") ||
			     !strcmp(n, "recvfrom")) ? (int)pk_int_arg(c, 3) : 0;
		if (jb->len < 0 || jb->len > PK_IO_MAX) {
			pk_unsupported(&k->j, e->line, "%s() length form", n);
			return false;
		}
		jb->kind = is_read ? K_READ : K_WRITE;
		jb->null_buf = !vec && pk_null_arg(c, 1);
		jb->unspec = !strcmp(n, "sendto") && pk_af_unspec_arg(c, 4);
		fastopen_open(k, jb);
		return true;
	}
	if (!strcmp(n, "setsockopt") || !strcmp(n, "getsockopt")) {
		bool set = n[0] == 's';
		if (c->nargs < 5) {
			*rv = -EINVAL;
			return false;
		}
		const char *oname = c->args[2].name;
		const struct pk_val *val = &c->args[3];
		if (!strcmp(oname, "TCP_INFO")) {
			pk_unsupported(&k->j, e->line, "getsockopt TCP_INFO with a struct in the script");
			return false;
		}
		/* TCP_KEEPINIT goes through as 128, which Linux has no option
		 * for: the kernel's ENOPROTOOPT is the answer to judge.
		 * TCP_NOOPT's FreeBSD number (8) is Linux's TCP_LINGER2. */
		if (!strcmp(oname, "TCP_NOOPT")) {
			pk_unsupported(&k->j, e->line, "%s (BSD) has no Linux counterpart", oname);
			return false;
		}
		jb->kind = set ? K_SETSOCKOPT : K_GETSOCKOPT;
		jb->out_optlen = (socklen_t)pk_getsockopt_len(c);
		jb->a = (int)pk_int_arg(c, 1);
		jb->b = (int)pk_int_arg(c, 2);
		/* SO_LINGER read back as the script's struct: the whole
		 * struct linger where it gives no optlen. */
		if (!set && jb->a == SOL_SOCKET && jb->b == SO_LINGER && pk_linger_wanted(c) &&
		    c->args[4].kind == PV_ELLIPSIS)
			jb->out_optlen = sizeof(struct linger);
		if (set && val->kind == PV_STRUCT && jb->a == IPPROTO_TCP &&
		    (jb->b == TCP_MD5SIG || jb->b == TCP_MD5SIG_EXT)) {
			struct gt_tcp_md5sig m;
			char why[64];
			if (!pk_md5sig_of(val, k->j.sc, &m, why, sizeof(why))) {
				pk_unsupported(&k->j, e->line, "%s", why);
				return false;
			}
			jb->vkind = 3;
			memset(&jb->md5, 0, sizeof(jb->md5));
			if (m.tcpm_addr.family == GT_AF_INET) {
				struct sockaddr_in *a = (struct sockaddr_in *)&jb->md5.tcpm_addr;
				a->sin_family = AF_INET;
				a->sin_addr.s_addr = htonl(m.tcpm_addr.addr);
			} else {
				struct sockaddr_in6 *a = (struct sockaddr_in6 *)&jb->md5.tcpm_addr;
				a->sin6_family = AF_INET6;
				memcpy(&a->sin6_addr, m.tcpm_addr.addr6.b, 16);
			}
			jb->md5.tcpm_flags = m.tcpm_flags;
			jb->md5.tcpm_prefixlen = m.tcpm_prefixlen;
			jb->md5.tcpm_keylen = m.tcpm_keylen;
			jb->md5.__tcpm_pad = (uint32_t)m.tcpm_ifindex; /* the kernel's tcpm_ifindex */
			memcpy(jb->md5.tcpm_key, m.tcpm_key, sizeof(jb->md5.tcpm_key));
			long long ol = c->args[4].kind == PV_INT ? c->args[4].i : (long long)sizeof(jb->md5);
			if (ol < 0)
				ol = 0;
			if (ol > (long long)sizeof(jb->md5))
				ol = (long long)sizeof(jb->md5);
			jb->md5len = (socklen_t)ol;
		} else if (set && val->kind == PV_STR) {
			jb->vkind = 2;
			snprintf(jb->str, sizeof(jb->str), "%s", val->str);
		} else if (set && val->kind == PV_STRUCT) {
			jb->vkind = 1;
			for (int i = 0; i < val->n; i++) {
				const char *f = val->items[i].name;
				if (!strcmp(f, "onoff") || !strcmp(f, "l_onoff"))
					jb->lg.l_onoff = (int)val->items[i].i;
				else if (!strcmp(f, "linger") || !strcmp(f, "l_linger"))
					jb->lg.l_linger = (int)val->items[i].i;
			}
		} else {
			jb->ival = (int)pk_int_arg(c, 3);
			jb->ilen = (socklen_t)pk_setsockopt_int_len(c);
		}
		return true;
	}
	if (!strcmp(n, "ioctl")) {
		jb->kind = K_IOCTL;
		jb->a = (int)pk_int_arg(c, 1);
		if (jb->a != SIOCINQ) {
			pk_unsupported(&k->j, e->line, "ioctl request %d", jb->a);
			return false;
		}
		return true;
	}
	pk_unsupported(&k->j, e->line, "system call %s()", n);
	return false;
}

/* The script's view of a finished call: descriptors mapped, ports learned,
 * values the script names compared. Returns the result to judge. */
static long long after_call(struct kr *k, const struct pk_event *e, const struct job *jb)
{
	const struct pk_call *c = &e->call;
	long long rv = jb->rv;
	switch (jb->kind) {
	case K_SOCKET:
	case K_ACCEPT:
	case K_EPOLL_CREATE:
	case K_EPOLL_CREATE1:
		if (rv >= 0 && c->ret >= 0 && c->ret < MAX_FDS) {
			k->fd[c->ret] = (int)rv;
			k->last_fd = (int)c->ret;
			if (jb->kind == K_SOCKET || jb->kind == K_ACCEPT)
				k->sut_fd = (int)c->ret;
			rv = c->ret;
		}
		break;
	case K_BIND:
		if (rv == 0) {
			k->j.lport = k->j.sc->bind_port;
			k->j.rport = PK_REMOTE_PORT_IN;
		}
		break;
	case K_CONNECT:
	case K_WRITE:
	case K_SENDMSG:
		if (jb->lport)
			k->j.lport = jb->lport;
		/* A connect() that opened nothing (EALREADY, EISCONN: the
		 * socket's connection goes on) sends no SYN to wait for. */
		if (jb->kind == K_CONNECT && jb->opened && (rv == -EALREADY || rv == -EISCONN))
			k->j.new_active_open = false;
		break;
	case K_CLOSE:
		/* The descriptor is gone whatever close() returned. */
		for (int i = 0; i < MAX_FDS; i++)
			if (k->fd[i] == jb->kfd)
				k->fd[i] = -1;
		break;
	case K_GETSOCKOPT: {
		if (rv == 0 && jb->a == SOL_SOCKET && jb->b == SO_LINGER && pk_linger_wanted(c))
			pk_linger_judge(&k->j, e->line, c, jb->out_opt, jb->out_optlen);
		else if (rv == 0)
			pk_getsockopt_judge(&k->j, e->line, c, jb->out_opt, jb->out_optlen);
		break;
	}
	case K_RECVMSG: {
		/* As packetdrill's syscall_recvmsg(): the msg_flags and the
		 * control messages the kernel returned against the script's. */
		if (rv < 0)
			break;
		if (jb->errq) {
			struct pk_errq_got g = jb->errq_got;
			g.msg_flags = jb->out_msg_flags;
			pk_errq_judge(&k->j, e->line, &jb->errq_want, &g, k->j.sc->ipver != PK_IPV4);
			break;
		}
		if (jb->out_msg_flags != (int)jb->mh.flags) {
			pk_fail(&k->j, e->line, "recvmsg: msg_flags 0x%x, the script expects 0x%llx",
				(unsigned)jb->out_msg_flags, jb->mh.flags);
			break;
		}
		if (jb->out_ncmsg != jb->mh.ncmsg) {
			pk_fail(&k->j, e->line, "recvmsg: %d control messages, the script expects %d",
				jb->out_ncmsg, jb->mh.ncmsg);
			break;
		}
		for (int i = 0; i < jb->mh.ncmsg; i++) {
			const struct pk_cmsg *w = &jb->mh.cmsg[i], *g = &jb->out_cmsg[i];
			if (w->level != g->level || w->type != g->type || w->data != g->data) {
				pk_fail(&k->j, e->line,
					"recvmsg: cmsg %d level %d type %d data %lld, the script expects "
					"level %d type %d data %lld",
					i, g->level, g->type, g->data, w->level, w->type, w->data);
				break;
			}
		}
		break;
	}
	case K_IOCTL: {
		const struct pk_val *v = &c->args[2];
		if (rv == 0 && c->nargs > 2 && v->kind == PV_LIST && v->n == 1 && jb->out_int != v->items[0].i)
			pk_fail(&k->j, e->line, "ioctl SIOCINQ: %d bytes readable, the script expects %lld",
				jb->out_int, v->items[0].i);
		break;
	}
	case K_EPOLL_WAIT: {
		/* The script's events: one struct, or a list of them. */
		const struct pk_val *want = &c->args[1];
		int nw = want->kind == PV_LIST ? want->n : want->kind == PV_STRUCT ? 1 : 0;
		for (int i = 0; i < nw && i < rv; i++) {
			const struct pk_val *w = want->kind == PV_LIST ? &want->items[i] : want;
			for (int f = 0; w->kind == PV_STRUCT && f < w->n; f++) {
				const char *fn = w->items[f].name;
				long long v = w->items[f].i;
				if (!strcmp(fn, "events") && (uint32_t)v != jb->ev[i].events) {
					pk_fail(&k->j, e->line,
						"epoll_wait: event %d events 0x%x, the script expects 0x%llx", i,
						jb->ev[i].events, v);
					return rv;
				}
				if ((!strcmp(fn, "fd") && (int)v != jb->ev[i].data.fd) ||
				    ((!strcmp(fn, "ptr") || !strcmp(fn, "u64")) && (uint64_t)v != jb->ev[i].data.u64)) {
					pk_fail(&k->j, e->line, "epoll_wait: event %d data %lld, the script expects %lld",
						i, (long long)jb->ev[i].data.u64, v);
					return rv;
				}
			}
		}
		break;
	}
	case K_POLL: {
		const struct pk_val *l = &c->args[0];
		for (int i = 0; i < jb->npfd && rv >= 0; i++) {
			const struct pk_val *s = &l->items[i];
			for (int f = 0; f < s->n; f++)
				if (!strcmp(s->items[f].name, "revents") && jb->pfd[i].revents != (short)s->items[f].i)
					pk_fail(&k->j, e->line, "poll: entry %d revents 0x%x, the script expects 0x%llx",
						i, (unsigned)(unsigned short)jb->pfd[i].revents, s->items[f].i);
		}
		break;
	}
	default:
		break;
	}
	return rv;
}

/* The worker finished: judge the call. */
static void collect(struct kr *k)
{
	uint64_t v;
	if (read(k->done_fd, &v, sizeof(v)) != (ssize_t)sizeof(v) || !k->running)
		return;
	pthread_mutex_lock(&k->mu);
	struct job jb = k->job;
	pthread_mutex_unlock(&k->mu);
	const struct pk_event *e = k->running;
	k->running = NULL;
	long long rv = after_call(k, e, &jb);
	if (k->j.failed)
		return;
	if (!k->pended && pk_returned_early(&k->j, e, rv, jb.t_done_us))
		return;
	pk_finish_call(&k->j, e, rv, jb.t_done_us);
}

/* A call in flight must end by its deadline: its '...' time, or its own
 * time, plus the tolerance (as in the glasstcp back-end). */
static void settle(struct kr *k)
{
	if (!k->running)
		return;
	const struct pk_event *e = k->running;
	uint64_t limit = (uint64_t)((e->blocking ? e->t_end_us : e->t_us) + k->j.sc->tolerance_us);
	while (k->running && !k->j.failed && k->j.now_us < limit)
		kwait(k, limit, false);
	if (k->running && !k->j.failed) {
		char what[120];
		snprintf(what, sizeof(what), "%s() still blocked at %.6f", e->call.name, (double)k->j.now_us / 1e6);
		if (!pk_machine_paused(&k->j, e->line, what, "return", (int64_t)limit, (int64_t)k->j.now_us))
			pk_fail(&k->j, e->line, "%s", what);
	}
}

static void run_call(struct kr *k, const struct pk_event *e)
{
	settle(k);
	if (k->j.failed)
		return;
	struct job jb;
	long long rv;
	if (!prepare(k, e, &jb, &rv)) {
		if (!k->j.failed && !pk_returned_early(&k->j, e, rv, k->j.now_us))
			pk_finish_call(&k->j, e, rv, k->j.now_us);
		return;
	}
	pk_note_action(&k->j, e, now_us(k));
	pthread_mutex_lock(&k->mu);
	k->job = jb;
	k->have_job = true;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	k->running = e;
	k->pended = false;
	/* Until it returns, or sleeps in the kernel: then it blocks, and the
	 * script goes on while it does. */
	uint64_t start = now_us(k);
	while (k->running && !k->j.failed) {
		kwait(k, now_us(k) + 50, false);
		if (!k->running)
			break;
		if (worker_sleeps(k) || now_us(k) - start > BLOCK_GUESS_US) {
			k->pended = true;
			pk_log(&k->j, "%s() blocks", e->call.name);
			break;
		}
	}
}

/* ---- backtick commands, TCP_INFO ---- */

static bool read_file(const char *path, char *buf, size_t n)
{
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return false;
	ssize_t r = read(f, buf, n - 1);
	close(f);
	if (r < 0)
		return false;
	buf[r] = 0;
	return true;
}

/* Equal but for runs of blanks ("4096 131072" and "4096\t131072\n"). */
static bool same_words(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		while (*a && !isspace((unsigned char)*a) && *a == *b) {
			a++;
			b++;
		}
		if ((*a && !isspace((unsigned char)*a)) || (*b && !isspace((unsigned char)*b)))
			return false;
	}
}

/* Is name among the algorithms this kernel has? */
static bool cc_available(const char *name)
{
	char list[256];
	if (!read_file("/proc/sys/net/ipv4/tcp_available_congestion_control", list, sizeof(list)))
		return false;
	char *save = NULL;
	for (char *w = strtok_r(list, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(w, name))
			return true;
	return false;
}

/* A sysctl, written under /proc/sys in the namespace: only net.*, and only
 * what the namespace has (host-wide settings are not visible in it). */
static bool sh_sysctl(void *ctx, int line, const char *name, const char *val)
{
	struct kr *k = ctx;
	char path[160];
	if (strncmp(name, "net.", 4) != 0 || strstr(name, "..") || strlen(name) > 100 ||
	    name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.")]) {
		pk_unsupported(&k->j, line, "sysctl %s: not a network sysctl of a namespace", name);
		return false;
	}
	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	for (char *p = path + 10; *p; p++)
		if (*p == '.')
			*p = '/';
	char v[160];
	snprintf(v, sizeof(v), "%s\n", val);
	int err = write_file(path, v);
	char cur[160];
	if (err < 0 && read_file(path, cur, sizeof(cur)) && same_words(cur, val))
		err = 0; /* refused, but already so */
	/* Only the host's namespace may default to an algorithm outside
	 * tcp_allowed_congestion_control (a host-wide list this runner leaves
	 * alone); root may still choose it per socket, so every socket the
	 * script makes gets it. */
	/* The namespace took the script's algorithm: no socket needs the
	 * runner's own default (setup()) set on it any more. */
	if (err == 0 && !strcmp(name, "net.ipv4.tcp_congestion_control"))
		k->sock_cc[0] = '\0';
	if (err == -EPERM && !strcmp(name, "net.ipv4.tcp_congestion_control") &&
	    strlen(val) < sizeof(k->sock_cc) && cc_available(val)) {
		snprintf(k->sock_cc, sizeof(k->sock_cc), "%s", val);
		pk_log(&k->j, "tcp_congestion_control %s: set on each socket (the namespace refuses it)", val);
		err = 0;
	}
	if (err == -ENOENT) {
		pk_unsupported(&k->j, line, "sysctl %s: this kernel has no such setting in a network namespace",
			       name);
		return false;
	}
	if (err < 0) {
		pk_unsupported(&k->j, line, "sysctl %s=%s: the kernel refused it (%s)", name, val,
			       strerror(-err));
		return false;
	}
	return true;
}

/* sockstat's count, from /proc/net/tcp and /proc/net/tcp6 of the
 * namespace (an AF_INET6 socket, dual-stack ones included, is listed only
 * in the second; the file is absent with IPv6 off). */
static bool sh_count_state(void *ctx, int line, int st, uint32_t *have)
{
	struct kr *k = ctx;
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	*have = 0;
	int want = pk_linux_state_number(st);
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		if (!f && i == 1 && errno == ENOENT)
			break;
		if (!f) {
			pk_fail(&k->j, line, "cannot read %s: %s", files[i], strerror(errno));
			return false;
		}
		char ln[512];
		while (fgets(ln, sizeof(ln), f)) {
			unsigned slot, s;
			char local[64], remote[64];
			if (sscanf(ln, " %u: %63s %63s %x", &slot, local, remote, &s) == 4 &&
			    (int)s == want)
				(*have)++;
		}
		fclose(f);
	}
	return true;
}

static bool sh_drop_timewait(void *ctx, int line)
{
	struct kr *k = ctx;
	pk_unsupported(&k->j, line, "tcpdrop (FreeBSD) on the Linux kernel");
	return false;
}

/* nstat: what nstat(8) reads, in the namespace: /proc/net/netstat
 * (TcpExt, IpExt, ...) and /proc/net/snmp (Ip, Tcp, Udp, ...), each a
 * line of names after "Prefix:" and a line of values; the name is the
 * prefix and the field (TcpExtBeyondWindow). */
static bool sh_counters(void *ctx, int line, struct pk_counter *out, int max, int *n)
{
	struct kr *k = ctx;
	static const char *const files[] = {"/proc/net/netstat", "/proc/net/snmp"};
	*n = 0;
	for (int f = 0; f < 2; f++) {
		FILE *fp = fopen(files[f], "r");
		if (!fp) {
			pk_fail(&k->j, line, "cannot read %s: %s", files[f], strerror(errno));
			return false;
		}
		char names[4096], vals[4096];
		while (fgets(names, sizeof(names), fp) && fgets(vals, sizeof(vals), fp)) {
			char *sn = NULL, *sv = NULL;
			char *pn = strtok_r(names, " \n", &sn), *pv = strtok_r(vals, " \n", &sv);
			if (!pn || !pv || strcmp(pn, pv) || pn[strlen(pn) - 1] != ':')
				continue; /* not a pair of lines of one prefix */
			pn[strlen(pn) - 1] = 0;
			for (char *a = strtok_r(NULL, " \n", &sn), *b = strtok_r(NULL, " \n", &sv); a && b;
			     a = strtok_r(NULL, " \n", &sn), b = strtok_r(NULL, " \n", &sv)) {
				if (*n == max) {
					fclose(fp);
					pk_unsupported(&k->j, line, "nstat: more than %d counters", max);
					return false;
				}
				snprintf(out[*n].name, sizeof(out[*n].name), "%s%s", pn, a);
				/* Tcp's MaxConn is -1: nstat reads it as unsigned too. */
				out[(*n)++].v = strtoull(b, NULL, 10);
			}
		}
		fclose(fp);
	}
	return true;
}

/* /proc/net/tcp(6) of the namespace, as it stands (empty where the file
 * is absent: IPv6 off). */
static bool sh_proc_net_tcp(void *ctx, int line, bool v6, char *out, size_t n)
{
	struct kr *k = ctx;
	FILE *f = fopen(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", "r");
	out[0] = 0;
	if (!f && errno == ENOENT)
		return true;
	if (!f) {
		pk_fail(&k->j, line, "cannot read /proc/net/tcp%s: %s", v6 ? "6" : "", strerror(errno));
		return false;
	}
	size_t got = fread(out, 1, n - 1, f);
	out[got] = 0;
	fclose(f);
	return true;
}

/* A /proc/net/tcp address, "%08X" words as the host reads network-order
 * bytes (tcp4_seq_show(), tcp6_seq_show()), and its port. */
static bool proc_sockaddr(const char *hex, unsigned port, bool v6, struct gt_sockaddr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = v6 ? GT_AF_INET6 : GT_AF_INET;
	a->port = (uint16_t)port;
	int words = v6 ? 4 : 1;
	if (strlen(hex) != (size_t)words * 8)
		return false;
	for (int w = 0; w < words; w++) {
		char part[9];
		memcpy(part, hex + 8 * w, 8);
		part[8] = 0;
		uint32_t v = (uint32_t)strtoul(part, NULL, 16);
		uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
		if (v6)
			memcpy(a->addr6.b + 4 * w, b, 4);
		else
			a->addr = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	}
	return true;
}

/* sockstat's rows (FreeBSD's tool, listing the namespace's Linux sockets):
 * /proc/net/tcp and tcp6; a socket with an inode is one a descriptor may
 * hold (a request, a TIME_WAIT or an orphan has none). Whether an AF_INET6
 * socket takes IPv4 is not in the file: taken as not. */
static bool sh_sock_rows(void *ctx, int line, struct pk_sock_row *out, int max, int *n)
{
	struct kr *k = ctx;
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	*n = 0;
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		if (!f && i == 1 && errno == ENOENT)
			break;
		if (!f) {
			pk_fail(&k->j, line, "cannot read %s: %s", files[i], strerror(errno));
			return false;
		}
		char ln[512];
		while (fgets(ln, sizeof(ln), f) && *n < max) {
			unsigned slot, lp, rp, st, tx, rx;
			unsigned long inode;
			char la[40], ra[40];
			if (sscanf(ln, " %u: %32[0-9A-Fa-f]:%x %32[0-9A-Fa-f]:%x %x %x:%x %*x:%*x %*x %*u %*d %lu", &slot,
				   la, &lp, ra, &rp, &st, &tx, &rx, &inode) != 9)
				continue;
			struct pk_sock_row *o = &out[*n];
			memset(o, 0, sizeof(*o));
			o->state = pk_gt_state_from_linux((int)st);
			if (o->state < 0 || !proc_sockaddr(la, lp, i == 1, &o->local) ||
			    !proc_sockaddr(ra, rp, i == 1, &o->peer))
				continue;
			o->recv_q = rx;
			o->send_q = tx;
			o->has_fd = inode != 0;
			(*n)++;
		}
		fclose(f);
	}
	return true;
}

/* ss(8) itself, forked from the runner and so in the script's namespace:
 * its output (bounded by n; stderr dropped) and exit status. */
static bool sh_run_ss(void *ctx, int line, char *const argv[], char *out, size_t n, int *rc)
{
	struct kr *k = ctx;
	int p[2];
	out[0] = 0;
	if (pipe(p) < 0) {
		pk_fail(&k->j, line, "pipe (ss): %s", strerror(errno));
		return false;
	}
	pid_t pid = fork();
	if (pid < 0) {
		pk_fail(&k->j, line, "fork (ss): %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		if (fd >= 0)
			dup2(fd, 2);
		close(p[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	size_t got = 0;
	for (;;) {
		char sink[512];
		bool room = got + 1 < n;
		ssize_t r = read(p[0], room ? out + got : sink, room ? n - 1 - got : sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (room)
			got += (size_t)r;
	}
	out[got] = 0;
	close(p[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	if (*rc == 127) {
		pk_unsupported(&k->j, line, "ss: not found on this machine");
		return false;
	}
	return true;
}

/* `echo V > /sys/module/MOD/parameters/NAME`. A module's parameters are
 * the host's, not the namespace's: /sys/module is the same file in every
 * network namespace, and tcp_cubic.c reads its globals for every socket of
 * every namespace. Writing a new value would change every other TCP on
 * this machine (and another runner's script under way), so the runner
 * never writes one: a parameter already at the script's value is kept,
 * and any other value is UNSUPPORTED, saying what the host has. A
 * parameter that is missing, or read-only (bic_scale, 0444), is
 * UNSUPPORTED as well, as echo would fail there. */
static bool sh_module_param(void *ctx, int line, const char *mod, const char *name, const char *val)
{
	struct kr *k = ctx;
	char path[192], cur[64];
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", mod, name);
	if (!read_file(path, cur, sizeof(cur))) {
		pk_unsupported(&k->j, line, "module parameter %s.%s: this kernel has none (%s)", mod, name,
			       strerror(errno));
		return false;
	}
	struct stat sb;
	/* By its mode: root's access(W_OK) passes a 0444 file. */
	if (stat(path, &sb) < 0 || !(sb.st_mode & 0222)) {
		pk_unsupported(&k->j, line, "module parameter %s.%s is read-only", mod, name);
		return false;
	}
	char *e1, *e2;
	errno = 0;
	long a = strtol(val, &e1, 0), b = strtol(cur, &e2, 0);
	bool same = same_words(cur, val) ||
		    (!errno && e1 != val && !*e1 && e2 != cur && !e2[strspn(e2, " \n")] && a == b);
	cur[strcspn(cur, "\n")] = 0;
	if (!same) {
		pk_unsupported(&k->j, line,
			       "module parameter %s.%s=%s: the host's, not the namespace's; it is %s, "
			       "and the runner does not change it",
			       mod, name, val, cur);
		return false;
	}
	pk_log(&k->j, "module parameter %s.%s is %s already (the host's; not written)", mod, name, cur);
	return true;
}


/* Runs argv (ip(8) or ethtool(8)) in the namespace, its output dropped;
 * its exit status, -1 when it did not exit. */
static int run_tool(struct kr *k, int line, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0) {
		pk_fail(&k->j, line, "fork (%s): %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* `ip tcp_metrics flush all`, run for real: the runner is in the
 * script's namespace (unshare() above), and so is ip(8) forked from it;
 * tcp_metrics (the TFO client's cookies among them) is per namespace. */
static bool sh_metrics_flush(void *ctx, int line)
{
	struct kr *k = ctx;
	char *const argv[] = {"ip", "tcp_metrics", "flush", "all", NULL};
	int rc = run_tool(k, line, argv);
	if (rc != 0 && !k->j.failed)
		pk_unsupported(&k->j, line, "ip tcp_metrics flush all: exit status %d", rc);
	return rc == 0;
}

/* `ip [-4|-6] route flush cache`, run for real in the namespace. `ip route
 * add|change|replace` as the judge parsed it, run for real as
 * `ip [-6] route replace DST dev tun0 METRICS`: the runner made the host
 * route to the script's end already (config_tun()), so an add would find
 * it, and the gateway is left out (a TUN has no neighbours; the IPv6
 * scripts name one off the runner's prefix). */
static bool sh_route(void *ctx, int line, const struct gt_route *r)
{
	struct kr *k = ctx;
	bool v6 = r->dst.family == GT_AF_INET6;
	if (r->flush_cache) {
		char *const fl[] = {"ip", v6 ? "-6" : "-4", "route", "flush", "cache", NULL};
		int rc = run_tool(k, line, fl);
		if (rc != 0 && !k->j.failed)
			pk_unsupported(&k->j, line, "ip route flush cache: exit status %d", rc);
		return rc == 0;
	}
	char dst[INET6_ADDRSTRLEN + 8], advmss[16], mtu[16], iw[16], irw[16];
	if (v6) {
		inet_ntop(AF_INET6, r->dst.addr6.b, dst, sizeof(dst));
	} else {
		struct in_addr a = {.s_addr = htonl(r->dst.addr)};
		inet_ntop(AF_INET, &a, dst, sizeof(dst));
	}
	char *argv[20];
	int n = 0;
	argv[n++] = "ip";
	if (v6)
		argv[n++] = "-6";
	argv[n++] = "route";
	argv[n++] = "replace";
	argv[n++] = dst;
	argv[n++] = "dev";
	argv[n++] = TUN_NAME;
	if (r->advmss) {
		snprintf(advmss, sizeof(advmss), "%u", (unsigned)r->advmss);
		argv[n++] = "advmss";
		argv[n++] = advmss;
	}
	if (r->mtu) {
		snprintf(mtu, sizeof(mtu), "%u", (unsigned)r->mtu);
		argv[n++] = "mtu";
		if (r->mtu_lock)
			argv[n++] = "lock";
		argv[n++] = mtu;
	}
	if (r->initcwnd) {
		snprintf(iw, sizeof(iw), "%u", (unsigned)r->initcwnd);
		argv[n++] = "initcwnd";
		argv[n++] = iw;
	}
	if (r->initrwnd) {
		snprintf(irw, sizeof(irw), "%u", (unsigned)r->initrwnd);
		argv[n++] = "initrwnd";
		argv[n++] = irw;
	}
	argv[n] = NULL;
	int rc = run_tool(k, line, argv);
	if (rc != 0) {
		if (rc > 0 || rc == -1)
			pk_unsupported(&k->j, line, "ip route replace %s: exit status %d", dst, rc);
		return false;
	}
	return true;
}

/* `ethtool -K tun0 gso off ...`, run for real in the namespace. Without
 * --tso it changes nothing the runner sees (the TUN has no
 * offloads: the kernel sends each segment on its own already); with it,
 * `tso off` clears NETIF_F_TSO* from the device's wanted features, so the
 * kernel segments its skbs in software (skb_gso_segment(), the checksum
 * left partial), as on packetdrill's TUN after the same command. */
static bool sh_offload_off(void *ctx, int line, const char *args, bool tso)
{
	(void)tso; /* ethtool(8) itself reads the words */
	struct kr *k = ctx;
	char buf[160];
	snprintf(buf, sizeof(buf), "%s", args);
	char *argv[16], *save = NULL;
	int n = 0;
	argv[n++] = "ethtool";
	argv[n++] = "-K";
	argv[n++] = TUN_NAME;
	for (char *t = strtok_r(buf, " \t", &save); t && n < 15; t = strtok_r(NULL, " \t", &save))
		argv[n++] = t;
	argv[n] = NULL;
	int rc = run_tool(k, line, argv);
	if (rc != 0) {
		pk_unsupported(&k->j, line, "ethtool -K %s %s: exit status %d", TUN_NAME, args, rc);
		return false;
	}
	return true;
}

/* `tc qdisc` as the judge parsed it, run for real on the namespace's
 * TUN: limit >= 0 `tc qdisc replace dev tun0 root pfifo limit N`, -1
 * `tc qdisc del dev tun0 root` (its failure, where the device has only
 * its default qdisc, is the scripts' `2>/dev/null`: ignored). */
static bool sh_qdisc(void *ctx, int line, long limit)
{
	struct kr *k = ctx;
	char n[24];
	snprintf(n, sizeof(n), "%ld", limit);
	char *const del[] = {"tc", "qdisc", "del", "dev", TUN_NAME, "root", NULL};
	char *const add[] = {"tc", "qdisc", "replace", "dev", TUN_NAME, "root", "pfifo", "limit", n, NULL};
	int rc = run_tool(k, line, limit < 0 ? del : add);
	if (limit < 0 || rc == 0)
		return !k->j.failed;
	if (!k->j.failed)
		pk_unsupported(&k->j, line, "tc qdisc replace dev %s root pfifo limit %ld: exit status %d",
			       TUN_NAME, limit, rc);
	return false;
}

static const struct pk_shell_ops shell_ops = {
	.sysctl = sh_sysctl, .count_state = sh_count_state, .drop_timewait = sh_drop_timewait,
	.sock_rows = sh_sock_rows, .run_ss = sh_run_ss,
	.counters = sh_counters, .module_param = sh_module_param,
	.counters_lack = "this kernel has no such counter",
	.proc_net_tcp = sh_proc_net_tcp, .metrics_flush = sh_metrics_flush,
	.route = sh_route, .offload_off = sh_offload_off, .qdisc = sh_qdisc,
};

static void run_code(struct kr *k, const struct pk_event *e)
{
	int fdn = pk_code_fd(k->fd, k->last_fd, k->sut_fd);
	int kfd = fdn >= 0 ? k->fd[fdn] : -1;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	memset(&ti, 0, sizeof(ti));
	if (kfd < 0 || getsockopt(kfd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
		pk_run_code(&k->j, e, NULL);
		return;
	}
	struct pk_tcpi t = {
		.snd_cwnd = ti.tcpi_snd_cwnd, .snd_ssthresh = ti.tcpi_snd_ssthresh,
		.rto = ti.tcpi_rto, .rtt = ti.tcpi_rtt, .rttvar = ti.tcpi_rttvar,
		.snd_mss = ti.tcpi_snd_mss, .rcv_mss = ti.tcpi_rcv_mss, .advmss = ti.tcpi_advmss,
		.total_retrans = ti.tcpi_total_retrans, .unacked = ti.tcpi_unacked,
		.backoff = ti.tcpi_backoff, .state_gt = pk_gt_state_from_linux(ti.tcpi_state),
		.options = ti.tcpi_options,
		.state_os = ti.tcpi_state,
		.ca_state = ti.tcpi_ca_state, .sacked = ti.tcpi_sacked, .lost = ti.tcpi_lost,
		.retrans = ti.tcpi_retrans, .reordering = ti.tcpi_reordering, .has_linux = true,
	};
	pk_kernel_tcpi_more(kfd, &t);
	pk_run_code(&k->j, e, &t);
}

/* ---- the script ---- */

/* The kernel back-end's part of pk_run_events(): real time. */
static bool kr_started(const void *ctx) { return ((const struct kr *)ctx)->t0_ns != 0; }
static bool kr_start(void *ctx)
{
	struct kr *k = ctx;
	if (!k->t0_ns) {
		k->t0_ns = mono_ns();
		if (k->stop_fd >= 0 && write(k->stop_fd, &k->t0_ns, sizeof(k->t0_ns)) != (ssize_t)sizeof(k->t0_ns))
			pk_fail(&k->j, 0, "telling the pause's helper the script's start: %s", strerror(errno));
	}
	return !k->j.failed;
}
static void kr_advance(void *ctx, const struct pk_event *e)
{
	struct kr *k = ctx;
	k->j.now_us = now_us(k);
	sleep_until(k, e->any_time ? k->j.now_us : (uint64_t)e->t_us);
	if (k->j.opt->stall_line && e->line == k->j.opt->stall_line && k->j.opt->stall_us > 0) {
		struct timespec ts = {.tv_sec = (time_t)(k->j.opt->stall_us / 1000000),
				      .tv_nsec = (long)(k->j.opt->stall_us % 1000000) * 1000};
		nanosleep(&ts, NULL); /* the runner's tests: a stalled machine */
		k->j.now_us = now_us(k);
	}
}
static void kr_inject(void *ctx, const struct pk_event *e, const uint8_t *pkt, size_t n)
{
	struct kr *k = ctx;
	pk_note_action(&k->j, e, now_us(k));
	ssize_t w;
	if (k->vnet) {
		/* A TCP segment longer than --mss goes as GSO of that size
		 * (gso_size: the receiver's tcp_measure_rcv_mss() reads it),
		 * as packetdrill's Linux TUN writes it: its checksum whole, so
		 * no NEEDS_CSUM (the kernel checks it: virtio_net_hdr_to_skb()
		 * takes a GSO packet without), and hdr_len 0, so tun_get_user()
		 * puts a packet of a page or more all in page fragments, the
		 * skb's truesize as packetdrill's is. */
		struct virtio_net_hdr vh;
		memset(&vh, 0, sizeof(vh));
		uint16_t gso = pk_gso_size(&k->j, e);
		if (gso) {
			vh.gso_type = n > 0 && (pkt[0] >> 4) == 6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
			vh.gso_size = gso;
		}
		struct iovec iov[2] = {{&vh, sizeof(vh)}, {(void *)pkt, n}};
		w = writev(k->tun, iov, 2);
		if (w >= (ssize_t)sizeof(vh))
			w -= (ssize_t)sizeof(vh);
	} else {
		w = write(k->tun, pkt, n);
	}
	if (w != (ssize_t)n)
		pk_fail(&k->j, e->line, "writing the packet into %s: %s", TUN_NAME,
			w < 0 ? strerror(errno) : "short write");
	pk_log(&k->j, "< line %d", e->line);
}
static void kr_call(void *ctx, const struct pk_event *e) { run_call(ctx, e); }
static void kr_code(void *ctx, const struct pk_event *e) { run_code(ctx, e); }
static void kr_settle(void *ctx) { settle(ctx); }

static void run_events(struct kr *k)
{
	static const struct pk_backend b = {
		.shell = &shell_ops, .wait_out = wait_out, .started = kr_started, .start = kr_start,
		.advance = kr_advance, .inject = kr_inject, .call = kr_call, .code = kr_code,
		.settle = kr_settle, .inject_gso = true,
	};
	pk_run_events(&k->j, &b, k);
}

/* The child: namespace, device, worker, script. Fills res. */
static void child_main(struct pk_script *sc, const char *dir, const struct pk_options *opt,
		       struct pk_result *res)
{
	static struct kr kr; /* one per child process */
	struct kr *k = &kr;
	k->j.sc = sc;
	k->j.opt = opt;
	k->j.res = res;
	k->j.dir = dir;
	k->tun = -1;
	k->last_fd = -1;
	k->sut_fd = -1;
	for (int i = 0; i < MAX_FDS; i++)
		k->fd[i] = -1;
	signal(SIGPIPE, SIG_IGN); /* a write after a reset is EPIPE, as scripts expect */
	/* Real time on a busy machine: a woken thread may wait a scheduler
	 * slice (milliseconds) for a CPU, more than the tolerance. The child's
	 * threads sleep nearly all the time, so a real-time priority costs the
	 * machine nothing and keeps them on time; where it is refused the run
	 * goes on, with that noted. */
	struct sched_param sp = {.sched_priority = 10};
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		pk_log(&k->j, "no real-time priority (%s): timings may suffer on a busy machine",
		       strerror(errno));
	char why[sizeof(res->why)];
	int s = setup(k, why, sizeof(why));
	if (s != 0) {
		res->verdict = s > 0 ? PK_SKIP : PK_FAIL;
		snprintf(res->why, sizeof(res->why), "%s", why);
		return;
	}
	sigset_t cont;
	sigemptyset(&cont);
	sigaddset(&cont, SIGCONT);
	if (opt->pause_us > 0) /* the worker and the watchdog never take it */
		pthread_sigmask(SIG_BLOCK, &cont, NULL);
	k->buf = malloc(PK_PKT_MAX);
	k->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (!k->buf || k->done_fd < 0 || pthread_create(&k->th, NULL, worker, k) != 0) {
		res->verdict = PK_FAIL;
		snprintf(res->why, sizeof(res->why), "cannot start the runner's worker thread");
		return;
	}
	while (!atomic_load(&k->tid))
		sched_yield();
	pthread_mutex_init(&k->wmu, NULL);
	k->wth_started = pthread_create(&k->wth, NULL, watchdog, k) == 0;
	if (!k->wth_started)
		pk_log(&k->j, "no watchdog thread: the machine's pauses are not seen");
	k->j.paused = kr_paused;
	k->j.paused_ctx = k;
	if (opt->pause_us > 0) {
		struct sigaction sa = {.sa_handler = on_cont, .sa_flags = SA_RESTART};
		sigemptyset(&sa.sa_mask);
		sigaction(SIGCONT, &sa, NULL);
		pthread_sigmask(SIG_UNBLOCK, &cont, NULL);
	}
	start_stopper(k);
	run_events(k);
	end_stopper(k);
	if (k->wth_started) {
		atomic_store(&k->wquit, true);
		pthread_join(k->wth, NULL);
	}
	watch_report(k);
	if (!k->j.failed)
		res->verdict = PK_PASS;
	pk_distortion(&k->j, res->runner_note, sizeof(res->runner_note));
	/* The worker may be blocked in a call for good: the process ends it. */
}

void pk_kernel_run(struct pk_script *sc, const char *dir, const struct pk_options *opt,
		   struct pk_result *res)
{
	int p[2];
	res->profile = GT_PROFILE_LINUX;
	/* The late edge only: tolerance_script_us stays the early one. */
	int64_t floor_us = opt->kernel_tolerance_us ? opt->kernel_tolerance_us : PK_KERNEL_TOLERANCE_US;
	if (sc->tolerance_us < floor_us)
		sc->tolerance_us = floor_us;
	/* A coarse clock ticks once a jiffy: its resolution gives CONFIG_HZ
	 * (4 ms here, HZ 250). */
	struct timespec res_ts;
	if (clock_getres(CLOCK_MONOTONIC_COARSE, &res_ts) == 0 && !res_ts.tv_sec && res_ts.tv_nsec > 0)
		sc->wheel_hz = 1000000000 / res_ts.tv_nsec;
	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC) < 0) {
		res->verdict = PK_FAIL;
		snprintf(res->why, sizeof(res->why), "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		res->verdict = PK_FAIL;
		snprintf(res->why, sizeof(res->why), "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		struct pk_result r = *res;
		child_main(sc, dir, opt, &r);
		if (opt->log)
			fflush(opt->log);
		ssize_t w = write(p[1], &r, sizeof(r));
		_exit(w == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	/* The child gets the script's length and some slack. */
	int64_t limit_us = pk_script_end_us(sc) + 2 * sc->tolerance_us + CHILD_SLACK_US;
	uint64_t deadline = mono_ns() / 1000 + (uint64_t)limit_us;
	struct pk_result r;
	size_t got = 0;
	bool timed_out = false;
	while (got < sizeof(r)) {
		uint64_t now = mono_ns() / 1000;
		if (now >= deadline) {
			timed_out = true;
			break;
		}
		uint64_t left_ms = (deadline - now) / 1000 + 1;
		struct pollfd pf = {.fd = p[0], .events = POLLIN};
		int n = poll(&pf, 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		ssize_t m = read(p[0], (char *)&r + got, sizeof(r) - got);
		if (m <= 0)
			break;
		got += (size_t)m;
	}
	close(p[0]);
	if (got < sizeof(r))
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got == sizeof(r)) {
		*res = r;
		return;
	}
	res->verdict = PK_FAIL;
	if (timed_out)
		snprintf(res->why, sizeof(res->why), "the kernel run did not end within %.1f s",
			 (double)limit_us / 1e6);
	else if (WIFSIGNALED(status))
		snprintf(res->why, sizeof(res->why), "the kernel runner died (signal %d)", WTERMSIG(status));
	else
		snprintf(res->why, sizeof(res->why), "the kernel runner exited without a verdict");
}
