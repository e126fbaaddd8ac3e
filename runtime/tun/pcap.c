/* A pcap writer for the TUN link: classic libpcap format, LINKTYPE_RAW
 * (101: each record is a bare IPv4 packet), wall-clock microsecond
 * timestamps. Write errors are counted, never fatal to the link. */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define LINKTYPE_RAW 101u

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec, ts_usec, incl_len, orig_len;
};

int tun_pcap_open(struct tun_pcap *p, const char *path)
{
	memset(p, 0, sizeof(*p));
	p->f = fopen(path, "wbe");
	if (!p->f)
		return -errno;
	/* Written in host order: readers detect the order from the magic. */
	struct pcap_file_hdr h = { PCAP_MAGIC_US, 2, 4, 0, 0, TUN_MAX_PKT_BYTES, LINKTYPE_RAW };
	if (fwrite(&h, sizeof(h), 1, p->f) != 1) {
		int e = errno ? errno : EIO;
		fclose(p->f);
		p->f = NULL;
		return -e;
	}
	return 0;
}

void tun_pcap_write(struct tun_pcap *p, const void *pkt, size_t len)
{
	if (!p->f)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint32_t n = len > TUN_MAX_PKT_BYTES ? TUN_MAX_PKT_BYTES : (uint32_t)len;
	struct pcap_rec_hdr r = { (uint32_t)ts.tv_sec, (uint32_t)(ts.tv_nsec / 1000), n, (uint32_t)len };
	if (fwrite(&r, sizeof(r), 1, p->f) != 1 || fwrite(pkt, 1, n, p->f) != n)
		p->write_errors++;
	else
		p->packets++;
}

void tun_pcap_close(struct tun_pcap *p)
{
	if (p->f && fclose(p->f) != 0)
		p->write_errors++;
	p->f = NULL;
}
