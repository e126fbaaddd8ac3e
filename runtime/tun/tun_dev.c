/* The Linux TUN device: open or create it (IFF_TUN | IFF_NO_PI, optionally
 * IFF_VNET_HDR for offloads), ask for offloads, and configure the kernel's
 * side of the link (MTU, address, up) with the classic SIOCSIF* ioctls, so
 * no `ip` binary is needed. See the kernel's Documentation/networking/tuntap.rst. */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int tun_dev_open(const char *name, bool vnet_hdr, char *name_out)
{
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
	if (name)
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (name_out)
		snprintf(name_out, IFNAMSIZ, "%s", ifr.ifr_name);
	if (vnet_hdr) {
		/* The plain header (struct virtio_net_hdr, 10 bytes): no
		 * mergeable buffers on a TUN device. */
		int sz = (int)sizeof(struct virtio_net_hdr);
		if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
	}
	return fd;
}

int tun_dev_set_offload(int fd, unsigned offload)
{
	unsigned long f = 0;
	if (offload & TUN_OFFLOAD_CSUM)
		f |= TUN_F_CSUM;
	if (offload & TUN_OFFLOAD_TSO4)
		f |= TUN_F_TSO4; /* the kernel requires TUN_F_CSUM with it */
	return ioctl(fd, TUNSETOFFLOAD, f) < 0 ? -errno : 0;
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
