/* The Linux TUN device: open or create it (IFF_TUN | IFF_NO_PI, optionally
 * IFF_VNET_HDR for offloads), set its offloads, and configure the kernel's
 * side of the link (MTU, address, up, txqueuelen) with the classic SIOCSIF*
 * ioctls, so no `ip` binary is needed; read its drop counts over rtnetlink.
 * See the kernel's Documentation/networking/tuntap.rst.
 *
 * A persistent device (`ip tuntap add`) keeps what TUNSETOFFLOAD and
 * TUNSETVNETHDRSZ set after its file is closed; only the IFF_* flags are
 * given anew by each TUNSETIFF. So every run sets the offloads it works
 * with, on or off, and puts back at exit what it found (tun_dev_restore()). */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* The kernel's names (ETH_SS_FEATURES) of the features TUNSETOFFLOAD turns
 * on and off (drivers/net/tun.c, set_offload()), to read back the state a
 * device is in: there is no TUNGETOFFLOAD. */
static const struct {
	const char *name;
	unsigned bit;
} offload_features[] = {
	{ "tx-checksum-ip-generic", TUN_OFFLOAD_CSUM },  /* NETIF_F_HW_CSUM */
	{ "tx-tcp-segmentation", TUN_OFFLOAD_TSO4 },     /* NETIF_F_TSO */
	{ "tx-tcp6-segmentation", TUN_OFFLOAD_TSO6 },    /* NETIF_F_TSO6 */
	{ "tx-tcp-ecn-segmentation", TUN_OFFLOAD_TSO_ECN },
#if defined(TUN_F_USO4) && defined(TUN_F_USO6)
	{ "tx-udp-segmentation", TUN_OFFLOAD_USO },      /* NETIF_F_GSO_UDP_L4 */
#endif
};

/* Feature names a device has: a few dozen in Linux 6; the bound keeps a
 * strange answer from sizing our buffers. */
#define FEATURES_MAX 1024u

static int ethtool_cmd(int sk, const char *name, void *cmd)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_data = cmd;
	return ioctl(sk, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

static int feature_count(int sk, const char *name, uint32_t *n)
{
	union {
		struct ethtool_sset_info info;
		uint8_t bytes[sizeof(struct ethtool_sset_info) + sizeof(uint32_t)];
	} q;
	memset(&q, 0, sizeof(q));
	q.info.cmd = ETHTOOL_GSSET_INFO;
	q.info.sset_mask = 1ull << ETH_SS_FEATURES;
	int r = ethtool_cmd(sk, name, &q);
	if (r < 0)
		return r;
	if (!(q.info.sset_mask & (1ull << ETH_SS_FEATURES)))
		return -EOPNOTSUPP;
	memcpy(n, q.bytes + sizeof(struct ethtool_sset_info), sizeof(*n));
	return *n == 0 || *n > FEATURES_MAX ? -EOPNOTSUPP : 0;
}

/* Maps the active features named in offload_features[] to TUN_OFFLOAD_*. */
static unsigned match_features(const char *names, uint32_t n, const struct ethtool_gfeatures *gf)
{
	unsigned offload = 0;
	for (uint32_t i = 0; i < n && i / 32 < gf->size; i++) {
		if (!(gf->features[i / 32].active >> (i % 32) & 1))
			continue;
		const char *fname = names + (size_t)i * ETH_GSTRING_LEN;
		for (size_t k = 0; k < sizeof(offload_features) / sizeof(offload_features[0]); k++)
			if (strncmp(fname, offload_features[k].name, ETH_GSTRING_LEN) == 0)
				offload |= offload_features[k].bit;
	}
	return offload;
}

int tun_dev_get_offload(const char *name, unsigned *offload)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	uint32_t n = 0;
	int r = feature_count(sk, name, &n);
	uint32_t blocks = (n + 31) / 32;
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_gfeatures *gf = NULL;
	if (r == 0) {
		gs = calloc(1, sizeof(*gs) + (size_t)n * ETH_GSTRING_LEN);
		gf = calloc(1, sizeof(*gf) + blocks * sizeof(gf->features[0]));
		r = gs && gf ? 0 : -ENOMEM;
	}
	if (r == 0) {
		gs->cmd = ETHTOOL_GSTRINGS;
		gs->string_set = ETH_SS_FEATURES;
		gs->len = n;
		r = ethtool_cmd(sk, name, gs);
	}
	if (r == 0) {
		gf->cmd = ETHTOOL_GFEATURES;
		gf->size = blocks;
		r = ethtool_cmd(sk, name, gf);
	}
	if (r == 0)
		*offload = match_features((const char *)gs->data, gs->len < n ? gs->len : n, gf);
	free(gs);
	free(gf);
	close(sk);
	return r;
}

static int fail_close(int fd, int e)
{
	close(fd);
	return -e;
}

int tun_dev_open(const char *name, bool vnet_hdr, char *name_out, struct tun_dev_saved *saved)
{
	memset(saved, 0, sizeof(*saved));
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
	if (name)
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return fail_close(fd, errno);
	if (name_out)
		snprintf(name_out, IFNAMSIZ, "%s", ifr.ifr_name);
	/* The IFF_* flags are ours now, except on a multiqueue device that
	 * another queue holds: then its flags stay, and a virtio-net header
	 * we did not expect (or miss) would shift every packet. */
	struct ifreq got;
	memset(&got, 0, sizeof(got));
	if (ioctl(fd, TUNGETIFF, &got) < 0)
		return fail_close(fd, errno);
	if (!(got.ifr_flags & IFF_VNET_HDR) != !vnet_hdr || !(got.ifr_flags & IFF_NO_PI))
		return fail_close(fd, EPROTO); /* told apart from TUNSETIFF's EBUSY */
	saved->persistent = got.ifr_flags & IFF_PERSIST;
	saved->offload_known = tun_dev_get_offload(ifr.ifr_name, &saved->offload) == 0;
	if (vnet_hdr) {
		/* The plain header (struct virtio_net_hdr, 10 bytes): no
		 * mergeable buffers on a TUN device. The size outlives us on a
		 * persistent device, so whatever was there is put back. */
		int sz = (int)sizeof(struct virtio_net_hdr), old = 0;
		if (ioctl(fd, TUNGETVNETHDRSZ, &old) == 0 && old != sz)
			saved->vnet_hdr_bytes = old;
		if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0)
			return fail_close(fd, errno);
	}
	return fd;
}

int tun_dev_set_offload(int fd, unsigned offload)
{
	/* The kernel takes TSO only with TUN_F_CSUM, as it needs the partial
	 * checksum to cut; 0 turns every offload off. */
	unsigned long f = 0;
	if (offload & TUN_OFFLOAD_CSUM)
		f |= TUN_F_CSUM;
	if (offload & TUN_OFFLOAD_TSO4)
		f |= TUN_F_TSO4;
	if (offload & TUN_OFFLOAD_TSO6)
		f |= TUN_F_TSO6;
	if (offload & TUN_OFFLOAD_TSO_ECN)
		f |= TUN_F_TSO_ECN;
#if defined(TUN_F_USO4) && defined(TUN_F_USO6)
	if (offload & TUN_OFFLOAD_USO)
		f |= TUN_F_USO4 | TUN_F_USO6; /* the kernel takes them together only */
#endif
	return ioctl(fd, TUNSETOFFLOAD, f) < 0 ? -errno : 0;
}

int tun_dev_restore(int fd, const char *name, const struct tun_dev_saved *saved,
		    unsigned offload_now)
{
	int r = 0;
	if (saved->offload_known && saved->offload != offload_now)
		r = tun_dev_set_offload(fd, saved->offload);
	int sz = saved->vnet_hdr_bytes;
	if (sz && ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0 && r == 0)
		r = -errno;
	int q = saved->txqueuelen ? tun_dev_set_txqueuelen(name, saved->txqueuelen) : 0;
	return r ? r : q;
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	memcpy(sa, &sin, sizeof(sin));
}

static int ifioctl(int sk, unsigned long req, struct ifreq *ifr)
{
	return ioctl(sk, req, ifr) < 0 ? -errno : 0;
}

int tun_dev_configure(const char *name, uint16_t mtu, uint32_t kernel_addr,
		      uint8_t kernel_prefix)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_mtu = mtu;
	int r = ifioctl(sk, SIOCSIFMTU, &ifr);
	if (r == 0 && kernel_addr) {
		set_sin(&ifr.ifr_addr, kernel_addr);
		r = ifioctl(sk, SIOCSIFADDR, &ifr);
		if (r == 0) {
			uint32_t mask = kernel_prefix ? ~0u << (32 - kernel_prefix) : 0;
			set_sin(&ifr.ifr_netmask, mask);
			r = ifioctl(sk, SIOCSIFNETMASK, &ifr);
		}
	}
	if (r == 0)
		r = ifioctl(sk, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		r = ifioctl(sk, SIOCSIFFLAGS, &ifr);
	}
	close(sk);
	return r;
}

/* The kernel's struct in6_ifreq (linux/ipv6.h, which clashes with the
 * libc headers). */
struct tun_in6_ifreq {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

int tun_dev_add_addr6(const char *name, const struct gt_in6_addr *addr, uint8_t prefix)
{
	int ifindex = (int)if_nametoindex(name);
	if (!ifindex)
		return -errno;
	int sk = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	struct tun_in6_ifreq r6;
	memset(&r6, 0, sizeof(r6));
	memcpy(&r6.addr, addr->b, 16);
	r6.prefixlen = prefix;
	r6.ifindex = ifindex;
	int r = ioctl(sk, SIOCSIFADDR, &r6) < 0 ? -errno : 0;
	close(sk);
	return r;
}

static int qlen_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	int r = ifioctl(sk, req, ifr);
	close(sk);
	return r;
}

int tun_dev_get_txqueuelen(const char *name, uint32_t *qlen)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	int r = qlen_ioctl(name, SIOCGIFTXQLEN, &ifr);
	if (r == 0)
		*qlen = ifr.ifr_qlen < 0 ? 0 : (uint32_t)ifr.ifr_qlen;
	return r;
}

int tun_dev_set_txqueuelen(const char *name, uint32_t qlen)
{
	/* The tun driver resizes its ring (tun_queue_resize()) when the
	 * length changes, with packets in it kept. */
	if (qlen == 0 || qlen > TUN_TXQUEUELEN_MAX)
		return -EINVAL;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_qlen = (int)qlen;
	return qlen_ioctl(name, SIOCSIFTXQLEN, &ifr);
}

/* The reply to one RTM_GETLINK: a few KiB for a TUN device (its name,
 * stats, qdisc, a handful of attributes); more is cut and refused. */
#define NL_REPLY_BYTES 32768u

static int nl_ask_link(int sk, unsigned ifindex)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)ifindex;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n = sendto(sk, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel));
	return n == (ssize_t)sizeof(req) ? 0 : n < 0 ? -errno : -EIO;
}

/* Finds IFLA_STATS64 among the attributes of one RTM_NEWLINK message;
 * every length is checked against the message's end before it is used. */
static int nl_find_stats(const struct nlmsghdr *nh, struct rtnl_link_stats64 *st)
{
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EIO;
		return e->error < 0 ? e->error : -EIO;
	}
	if (nh->nlmsg_type != RTM_NEWLINK || nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EIO;
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(struct ifinfomsg));
	const uint8_t *end = (const uint8_t *)nh + nh->nlmsg_len;
	while (end - p >= (ptrdiff_t)sizeof(struct rtattr)) {
		struct rtattr a;
		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > end - p)
			return -EIO;
		if (a.rta_type == IFLA_STATS64 && a.rta_len >= RTA_LENGTH(sizeof(*st))) {
			memcpy(st, p + RTA_LENGTH(0), sizeof(*st));
			return 0;
		}
		p += RTA_ALIGN(a.rta_len) < (size_t)(end - p) ? RTA_ALIGN(a.rta_len) : (size_t)(end - p);
	}
	return -ENODATA;
}

int tun_dev_get_drops(const char *name, struct tun_dev_drops *d)
{
	unsigned ifindex = if_nametoindex(name);
	if (!ifindex)
		return -errno;
	int sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sk < 0)
		return -errno;
	uint8_t *buf = malloc(NL_REPLY_BYTES);
	int r = buf ? nl_ask_link(sk, ifindex) : -ENOMEM;
	ssize_t n = 0;
	if (r == 0) {
		struct iovec iov = { buf, NL_REPLY_BYTES };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		n = recvmsg(sk, &m, 0);
		r = n < 0 ? -errno : (m.msg_flags & MSG_TRUNC) ? -EMSGSIZE : 0;
	}
	struct rtnl_link_stats64 st;
	if (r == 0) {
		const struct nlmsghdr *nh = (const struct nlmsghdr *)buf;
		r = n >= (ssize_t)sizeof(*nh) && nh->nlmsg_len <= (size_t)n ? nl_find_stats(nh, &st) : -EIO;
	}
	if (r == 0) {
		d->tx_dropped = st.tx_dropped;
		d->rx_dropped = st.rx_dropped;
	}
	free(buf);
	close(sk);
	return r;
}
