/* pcap capture files (the classic libpcap format: a 24-byte file header,
 * then a 16-byte record header per packet), the wrapper device that writes
 * every packet of a stack, and the simulator tap. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/viz.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_SNAPLEN 65535u

struct gt_pcap {
	FILE *f;
	uint64_t frames;
	bool failed;
};

/* pcap is written in the writer's byte order (the magic tells readers);
 * fix little-endian so files are identical across machines. */
static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

gt_pcap *gt_pcap_open(const char *path, int *err)
{
	gt_pcap *p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->f = fopen(path, "wb");
	if (!p->f) {
		*err = -errno;
		free(p);
		return NULL;
	}
	uint8_t h[24];
	put32(h, PCAP_MAGIC_US);
	put16(h + 4, 2); /* version 2.4 */
	put16(h + 6, 4);
	put32(h + 8, 0); /* thiszone */
	put32(h + 12, 0); /* sigfigs */
	put32(h + 16, PCAP_SNAPLEN);
	put32(h + 20, GT_PCAP_LINKTYPE_RAW);
	if (fwrite(h, sizeof(h), 1, p->f) != 1)
		p->failed = true;
	*err = 0;
	return p;
}

int gt_pcap_write(gt_pcap *p, uint64_t ts_us, const void *pkt, size_t len)
{
	uint8_t h[16];
	uint32_t caplen = len > PCAP_SNAPLEN ? PCAP_SNAPLEN : (uint32_t)len;
	put32(h, (uint32_t)(ts_us / 1000000));
	put32(h + 4, (uint32_t)(ts_us % 1000000));
	put32(h + 8, caplen);
	put32(h + 12, (uint32_t)len);
	if (fwrite(h, sizeof(h), 1, p->f) != 1 || fwrite(pkt, 1, caplen, p->f) != caplen) {
		p->failed = true;
		return -EIO;
	}
	p->frames++;
	return 0;
}

uint64_t gt_pcap_frames(const gt_pcap *p) { return p->frames; }

int gt_pcap_close(gt_pcap *p)
{
	if (!p)
		return 0;
	bool bad = p->failed;
	if (fclose(p->f) != 0)
		bad = true;
	free(p);
	return bad ? -EIO : 0;
}

static int wrap_transmit(void *ctx, const void *pkt, size_t len)
{
	struct gt_pcap_device *w = ctx;
	gt_pcap_write(w->pcap, w->stack ? gt_stack_now(w->stack) : 0, pkt, len);
	return w->inner.transmit(w->inner.ctx, pkt, len);
}

void gt_pcap_device_wrap(struct gt_pcap_device *w, struct gt_device *dev)
{
	*dev = (struct gt_device){.transmit = wrap_transmit, .ctx = w, .mtu = w->inner.mtu};
}

void gt_pcap_device_input(struct gt_pcap_device *w, gt_stack *stack, uint64_t now_us,
			  const void *pkt, size_t len)
{
	gt_pcap_write(w->pcap, now_us, pkt, len);
	gt_stack_input(stack, now_us, pkt, len);
}

void gt_pcap_sim_tap(void *tap, const struct gt_sim_packet_info *p)
{
	const struct gt_pcap_tap *t = tap;
	if (p->fate != t->fate)
		return;
	if (t->host >= 0 && p->from != t->host && p->to != t->host)
		return;
	gt_pcap_write(t->pcap, p->now_us, p->pkt, p->len);
}
