/* The pcap writer, read back by a small reader here: file header, record
 * headers, timestamps and bytes; the wrapper device and the simulator tap. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

#include <glasstcp/viz.h>

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

struct pcap_read {
	uint8_t *buf;
	size_t len;
	uint32_t frames;
	uint64_t ts_us[16];
	uint32_t caplen[16];
	size_t off[16];
};

/* Reads the whole file; every record must fit exactly. */
static void read_pcap(const char *path, struct pcap_read *r)
{
	FILE *f = fopen(path, "rb");
	ASSERT(f != NULL);
	memset(r, 0, sizeof(*r));
	r->buf = malloc(1 << 20);
	r->len = fread(r->buf, 1, 1 << 20, f);
	fclose(f);
	ASSERT_GE(r->len, 24);
	ASSERT_EQ(get32(r->buf), 0xa1b2c3d4u);
	ASSERT_EQ(r->buf[4] | r->buf[5] << 8, 2);
	ASSERT_EQ(r->buf[6] | r->buf[7] << 8, 4);
	ASSERT_EQ(get32(r->buf + 16), 65535);
	ASSERT_EQ(get32(r->buf + 20), GT_PCAP_LINKTYPE_RAW);
	size_t p = 24;
	while (p < r->len) {
		ASSERT_LE(p + 16, r->len);
		uint32_t n = r->frames;
		ASSERT_LT(n, 16);
		r->ts_us[n] = (uint64_t)get32(r->buf + p) * 1000000 + get32(r->buf + p + 4);
		ASSERT_LT(get32(r->buf + p + 4), 1000000);
		r->caplen[n] = get32(r->buf + p + 8);
		ASSERT_EQ(r->caplen[n], get32(r->buf + p + 12));
		r->off[n] = p + 16;
		p += 16 + r->caplen[n];
		ASSERT_LE(p, r->len);
		r->frames++;
	}
}

static void tmp_path(char *buf, size_t n)
{
	snprintf(buf, n, "/tmp/gt_test_pcap_%ld.pcap", (long)getpid());
}

TEST(pcap_writes_records_read_back)
{
	char path[64];
	tmp_path(path, sizeof(path));
	int err = 1;
	gt_pcap *p = gt_pcap_open(path, &err);
	ASSERT(p != NULL);
	ASSERT_EQ(err, 0);
	uint8_t a[40] = {0x45}, b[60] = {0x45, 1, 2, 3};
	ASSERT_EQ(gt_pcap_write(p, 1500000, a, sizeof(a)), 0);
	ASSERT_EQ(gt_pcap_write(p, 61999999, b, sizeof(b)), 0);
	ASSERT_EQ(gt_pcap_frames(p), 2);
	ASSERT_EQ(gt_pcap_close(p), 0);
	struct pcap_read r;
	read_pcap(path, &r);
	ASSERT_EQ(r.frames, 2);
	ASSERT_EQ(r.ts_us[0], 1500000);
	ASSERT_EQ(r.ts_us[1], 61999999);
	ASSERT_EQ(r.caplen[0], 40);
	ASSERT_EQ(r.caplen[1], 60);
	ASSERT_MEMEQ(r.buf + r.off[1], b, sizeof(b));
	free(r.buf);
	unlink(path);
}

TEST(pcap_open_fails_with_errno)
{
	int err = 0;
	ASSERT(gt_pcap_open("/nonexistent-dir/x.pcap", &err) == NULL);
	ASSERT_EQ(err, -ENOENT);
}

struct sink {
	int calls;
	size_t len;
};

static int sink_transmit(void *ctx, const void *pkt, size_t len)
{
	struct sink *s = ctx;
	(void)pkt;
	s->calls++;
	s->len = len;
	return 0;
}

TEST(pcap_device_writes_then_forwards)
{
	char path[64];
	tmp_path(path, sizeof(path));
	int err;
	struct sink sink = {0};
	struct gt_pcap_device w = {
		.inner = {.transmit = sink_transmit, .ctx = &sink, .mtu = 1500},
		.pcap = gt_pcap_open(path, &err),
	};
	ASSERT(w.pcap != NULL);
	struct gt_device dev;
	gt_pcap_device_wrap(&w, &dev);
	ASSERT_EQ(dev.mtu, 1500);
	uint8_t pkt[28] = {0x45};
	ASSERT_EQ(dev.transmit(dev.ctx, pkt, sizeof(pkt)), 0);
	ASSERT_EQ(sink.calls, 1);
	ASSERT_EQ(sink.len, sizeof(pkt));

	/* With a stack: outgoing packets carry its clock, incoming ones the
	 * time they are given with. An echo request to the stack's address
	 * makes it answer through the wrapper. */
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	w.stack = s;
	ASSERT_EQ(gt_stack_add_ipv4(s, 0x0a000001, 24), 0);
	uint8_t echo[28] = {
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
		8, 0, 0xf7, 0xfe, 0, 1, 0, 0, /* type 8, checksum over the ICMP part */
	};
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(echo[i] << 8 | echo[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	echo[10] = (uint8_t)(~sum >> 8);
	echo[11] = (uint8_t)~sum;
	gt_pcap_device_input(&w, s, 2000000, echo, sizeof(echo));
	ASSERT_EQ(sink.calls, 2); /* the echo reply went out */
	gt_stack_free(s);
	ASSERT_EQ(gt_pcap_frames(w.pcap), 3);
	ASSERT_EQ(gt_pcap_close(w.pcap), 0);
	struct pcap_read r;
	read_pcap(path, &r);
	ASSERT_EQ(r.frames, 3);
	ASSERT_EQ(r.ts_us[0], 0);
	ASSERT_EQ(r.ts_us[1], 2000000);
	ASSERT_EQ(r.ts_us[2], 2000000);
	ASSERT_EQ(r.buf[r.off[2] + 20], 0); /* ICMP echo reply */
	free(r.buf);
	unlink(path);
}

static int fake_input_calls;
static void fake_input(void *node, uint64_t now_us, const void *pkt, size_t len)
{
	(void)node;
	(void)now_us;
	(void)pkt;
	(void)len;
	fake_input_calls++;
}

TEST(pcap_sim_tap_uses_virtual_time)
{
	char path[64];
	tmp_path(path, sizeof(path));
	int err;
	gt_sim *sim = gt_sim_new(1);
	static const struct gt_sim_node_ops ops = {.input = fake_input};
	int a = gt_sim_add_node(sim, &ops, NULL, 0x0a000001);
	int b = gt_sim_add_node(sim, &ops, NULL, 0x0a000002);
	struct gt_link_config lc;
	gt_link_config_default(&lc);
	lc.delay_us = 5000;
	gt_sim_set_default_link(sim, &lc);
	struct gt_pcap_tap sent = {.pcap = gt_pcap_open(path, &err), .fate = GT_SIM_DELIVERED, .host = b};
	ASSERT(sent.pcap != NULL);
	gt_sim_set_tap(sim, gt_pcap_sim_tap, &sent);
	uint8_t pkt[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
	gt_sim_run_until(sim, 1000000);
	ASSERT_EQ(gt_sim_transmit(sim, a, pkt, sizeof(pkt)), 0);
	gt_sim_run_until(sim, 2000000);
	ASSERT_EQ(fake_input_calls, 1);
	ASSERT_EQ(gt_pcap_close(sent.pcap), 0);
	gt_sim_free(sim);
	struct pcap_read r;
	read_pcap(path, &r);
	ASSERT_EQ(r.frames, 1);
	ASSERT_EQ(r.ts_us[0], 1005000); /* delivered after the link's delay */
	free(r.buf);
	unlink(path);
}
