/* The namespace side of the relay: a child process enters the network
 * namespace (unshare(CLONE_NEWNET), or setns() into --netns PATH), brings
 * lo up, creates the TUN device there with tun_dev_open(), gives the
 * kernel's side its address, the MTU and the device's queue length
 * (runtime/tun), adds the default route through the gateway (SIOCADDRT),
 * and hands the device's fd to the relay over a socketpair (SCM_RIGHTS):
 * the relay itself stays in the outer namespace, where its host sockets
 * must be. With a command the child then waits for the relay's word and
 * execs it; without one it exits.
 *
 * Not root: the child makes a user namespace first (CLONE_NEWUSER, itself
 * mapped to uid 0 in it), which gives it CAP_NET_ADMIN over the new network
 * namespace, as slirp4netns's and pasta's callers do. */
#define _GNU_SOURCE
#include "runtime/relay/relay_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the child reports: 0, or the errno of the step named in what. */
struct ns_report {
	int err;
	char what[120];
	char no_ipv6[160];        /* why the namespace has no IPv6 (cfg->ipv6 asked for it); "" when it has */
};

static int report(struct ns_report *rep, int err, const char *what)
{
	rep->err = err;
	snprintf(rep->what, sizeof(rep->what), "%s", what);
	return -err;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int e = n == (ssize_t)strlen(s) ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	return e;
}

/* Not root: a user namespace in which we are root, then the network one. */
static int unshare_userns(struct ns_report *rep)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return report(rep, errno, "unshare(CLONE_NEWUSER | CLONE_NEWNET)");
	char map[64];
	int e = write_file("/proc/self/setgroups", "deny");
	if (e == 0) {
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
		e = write_file("/proc/self/uid_map", map);
	}
	if (e == 0) {
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
		e = write_file("/proc/self/gid_map", map);
	}
	return e < 0 ? report(rep, -e, "writing the user namespace's uid/gid maps") : 0;
}

static int enter_ns(const struct relay_config *cfg, struct ns_report *rep)
{
	if (cfg->netns_path) {
		int fd = open(cfg->netns_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return report(rep, errno, "opening the --netns path");
		int r = setns(fd, CLONE_NEWNET);
		int e = errno;
		close(fd);
		return r < 0 ? report(rep, e, "setns(CLONE_NEWNET) into the --netns path") : 0;
	}
	if (unshare(CLONE_NEWNET) == 0)
		return 0;
	if (errno == EPERM && geteuid() != 0)
		return unshare_userns(rep);
	return report(rep, errno, "unshare(CLONE_NEWNET)");
}

static int link_up(const char *name)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	int r = ioctl(sk, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(sk, SIOCSIFFLAGS, &ifr);
	}
	r = r < 0 ? -errno : 0;
	close(sk);
	return r;
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	memcpy(sa, &sin, sizeof(sin));
}

/* The default route through gw on dev (SIOCADDRT: no netlink needed). */
static int add_default_route(const char *dev, uint32_t gw)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	struct rtentry rt;
	char name[IFNAMSIZ];
	memset(&rt, 0, sizeof(rt));
	snprintf(name, sizeof(name), "%s", dev);
	set_sin(&rt.rt_dst, 0);
	set_sin(&rt.rt_genmask, 0);
	set_sin(&rt.rt_gateway, gw);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	rt.rt_dev = name;
	int r = ioctl(sk, SIOCADDRT, &rt) < 0 ? -errno : 0;
	close(sk);
	return r;
}

/* struct in6_ifreq of <linux/ipv6.h>, whose header clashes with glibc's. */
struct ifreq6 {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

/* IPv6 on the device: the address (no duplicate address detection: the
 * link is the relay's alone, and DAD would hold the address back for a
 * second) and the default route through gw6 (SIOCSIFADDR and SIOCADDRT on
 * an AF_INET6 socket, struct in6_rtmsg). */
static int setup_ipv6(const char *dev, const struct relay_config *cfg, struct ns_report *rep)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_dad", dev);
	int e = write_file(path, "0");
	if (e < 0)
		return report(rep, -e, "turning off IPv6 duplicate address detection on the device");
	int sk = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return report(rep, errno, "an IPv6 socket");
	struct ifreq6 ifr6;
	memset(&ifr6, 0, sizeof(ifr6));
	memcpy(&ifr6.addr, cfg->ns_addr6, 16);
	ifr6.prefixlen = cfg->ns_prefix6;
	ifr6.ifindex = (int)if_nametoindex(dev);
	int r = ioctl(sk, SIOCSIFADDR, &ifr6) < 0 ? -errno : 0;
	if (r < 0 && !(r == -EEXIST && cfg->netns_path)) {
		close(sk);
		return report(rep, -r, "giving the device its IPv6 address");
	}
	struct in6_rtmsg rt;
	memset(&rt, 0, sizeof(rt));
	memcpy(&rt.rtmsg_gateway, cfg->gw_addr6, 16);
	rt.rtmsg_flags = RTF_UP | RTF_GATEWAY;
	rt.rtmsg_metric = 1;
	rt.rtmsg_ifindex = ifr6.ifindex;
	r = ioctl(sk, SIOCADDRT, &rt) < 0 ? -errno : 0;
	close(sk);
	if (r < 0 && !(r == -EEXIST && cfg->netns_path))
		return report(rep, -r, "adding the IPv6 default route through the gateway");
	return 0;
}

/* In the child: the namespace and its device. Returns the TUN fd or -errno
 * (rep says which step failed). */
static int setup_inside(const struct relay_config *cfg, struct ns_report *rep)
{
	int r = enter_ns(cfg, rep);
	if (r < 0)
		return r;
	if (!cfg->netns_path && (r = link_up("lo")) < 0)
		return report(rep, -r, "bringing lo up");
	char name[IFNAMSIZ];
	struct tun_dev_saved saved;
	/* A virtio-net header on every packet and checksum offload (no TSO:
	 * the MTU is 64 KiB already): the namespace's TCP leaves its
	 * checksums partial, as over a veth (relay.c). */
	int fd = tun_dev_open(cfg->tun.ifname, true, name, &saved);
	if (fd < 0)
		return report(rep, -fd, "creating the TUN device in the namespace");
	if ((r = tun_dev_set_offload(fd, TUN_OFFLOAD_CSUM)) < 0)
		return report(rep, -r, "TUNSETOFFLOAD");
	if (cfg->tun.txqueuelen && (r = tun_dev_set_txqueuelen(name, cfg->tun.txqueuelen)) < 0) {
		/* SIOCSIFTXQLEN asks for CAP_NET_ADMIN over the host itself
		 * (dev_ioctl(): capable(), not ns_capable()): in a user namespace
		 * (ours, or the caller's: unshare -r) the device keeps the
		 * kernel's 500 packets. */
		if (r != -EPERM)
			return report(rep, -r, "setting the device's txqueuelen");
		if (!cfg->tun.quiet)
			fprintf(stderr, "relay: the device's txqueuelen stays the kernel's: setting it needs "
				"CAP_NET_ADMIN on the host\n");
	}
	if ((r = tun_dev_configure(name, cfg->tun.mtu, cfg->ns_addr, cfg->ns_prefix)) < 0)
		return report(rep, -r, "giving the device its address, MTU and up flag");
	r = add_default_route(name, cfg->gw_addr);
	if (r < 0 && !(r == -EEXIST && cfg->netns_path))
		return report(rep, -r, "adding the default route through the gateway");
	if (cfg->ipv6) {
		/* Without IPv6 in the kernel, or with it off in the namespace
		 * (--netns into one whose disable_ipv6 is set: the address is
		 * refused with EACCES), the relay goes on with IPv4 and says why. */
		struct ns_report r6;
		memset(&r6, 0, sizeof(r6));
		if (setup_ipv6(name, cfg, &r6) < 0)
			snprintf(rep->no_ipv6, sizeof(rep->no_ipv6), "%s: %s", r6.what, strerror(r6.err));
	}
	return fd;
}

static int send_fd(int sp, int fd, const struct ns_report *rep)
{
	struct iovec iov = { (void *)rep, sizeof(*rep) };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sp, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(*rep) ? 0 : -errno;
}

static int recv_fd(int sp, struct ns_report *rep, int *fd)
{
	struct iovec iov = { rep, sizeof(*rep) };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
			    .msg_controllen = sizeof(u.b) };
	*fd = -1;
	ssize_t n;
	do
		n = recvmsg(sp, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*rep))
		return n < 0 ? -errno : -EPIPE;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

static void run_child(const struct relay_config *cfg, const sigset_t *mask, int sp)
{
	/* The command goes when the relay does: without it, no network. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	struct ns_report rep;
	memset(&rep, 0, sizeof(rep));
	int fd = setup_inside(cfg, &rep);
	if (send_fd(sp, fd, &rep) < 0 || fd < 0)
		_exit(126);
	close(fd);
	if (!cfg->cmd)
		_exit(0);
	char go;
	if (read(sp, &go, 1) != 1)
		_exit(126); /* the relay failed after all */
	close(sp);
	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(cfg->cmd[0], cfg->cmd);
	fprintf(stderr, "glasstcp relay: %s: %s\n", cfg->cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

int relay_ns_open(const struct relay_config *cfg, const char *prog, const sigset_t *child_mask,
		  int *tun_fd, pid_t *child, int *go_fd, bool *ipv6)
{
	int sp[2];
	*tun_fd = -1;
	*child = 0;
	*go_fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		fprintf(stderr, "%s: socketpair: %s\n", prog, strerror(errno));
		return -errno;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(e));
		close(sp[0]);
		close(sp[1]);
		return -e;
	}
	if (pid == 0) {
		close(sp[0]);
		run_child(cfg, child_mask, sp[1]);
	}
	close(sp[1]);
	struct ns_report rep;
	int fd;
	int r = recv_fd(sp[0], &rep, &fd);
	if (r == 0 && rep.err)
		r = -rep.err;
	if (r < 0 || fd < 0) {
		if (rep.err || r != -EPIPE)
			fprintf(stderr, "%s: %s: %s%s\n", prog, rep.err ? rep.what : "namespace setup",
				strerror(r < 0 ? -r : EIO),
				-r == EPERM || -r == EACCES ? " (root or CAP_SYS_ADMIN + CAP_NET_ADMIN needed)" : "");
		else
			fprintf(stderr, "%s: the namespace setup process died\n", prog);
		close(sp[0]);
		if (fd >= 0)
			close(fd);
		waitpid(pid, NULL, 0);
		return r < 0 ? r : -EIO;
	}
	*tun_fd = fd;
	*child = pid;
	*ipv6 = cfg->ipv6 && !rep.no_ipv6[0];
	if (cfg->ipv6 && !*ipv6 && !cfg->tun.quiet)
		fprintf(stderr, "%s: no IPv6 inside: %s\n", prog, rep.no_ipv6);
	if (cfg->cmd)
		*go_fd = sp[0];
	else
		close(sp[0]);
	return 0;
}

void relay_ns_go(int go_fd)
{
	if (go_fd < 0)
		return;
	char go = 1;
	if (write(go_fd, &go, 1) != 1)
		perror("glasstcp relay: starting the command");
	close(go_fd);
}
