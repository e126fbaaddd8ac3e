/* Dialogues for gt_stack_input_batch_gso(): a batch whose packets the
 * device took as GSO/GRO packets (a TUN device's virtio-net header), each
 * with its gso_size. TCP measures the peer's segment size by it, as
 * Linux's tcp_measure_rcv_mss() reads skb_shinfo(skb)->gso_size. */
#include <string.h>

#include "dlg.h"
#include "wire/ipv4.h"

#define GSO_SEG 1000u   /* the peer's segment size, under our MSS (1460) */
#define GSO_PAY 4000u   /* payload of one GSO packet: four segments */
#define NPKT 6          /* past the batch's prefetching bound (4) */

static uint8_t data[NPKT * GSO_PAY];
static uint8_t pkts[NPKT][40 + GSO_PAY];

/* One IPv4 packet of GSO_PAY bytes from the peer at seq, without options
 * (larger than dlg_build() makes, as dlg_send_big()'s). */
static size_t build(const struct dlg *d, uint8_t *pkt, uint32_t seq, const uint8_t *pay)
{
	size_t total = IPV4_HDR_MIN + TCP_HDR_MIN + GSO_PAY;
	uint8_t *seg = pkt + IPV4_HDR_MIN;
	memcpy(seg + TCP_HDR_MIN, pay, GSO_PAY);
	struct tcp_hdr h = {
		.sport = d->rport, .dport = d->lport, .seq = seq, .ack = d->snd_nxt,
		.doff_bytes = TCP_HDR_MIN, .flags = TH_ACK, .win = DLG_WIN,
	};
	tcp_emit(seg, &h, seg + TCP_HDR_MIN, 0, GSO_PAY, DLG_RADDR, DLG_LADDR);
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)total, .df = true, .ttl = 64,
		.proto = IPPROTO_TCP_, .src = DLG_RADDR, .dst = DLG_LADDR,
	};
	ipv4_emit(pkt, &ih);
	return total;
}

/* n packets of GSO_PAY bytes from base (ACK only: no PSH, which would keep
 * Linux's second rule of tcp_measure_rcv_mss() from counting them), handed
 * in one batch with gso[i] beside packet i; gso NULL: the plain batch. */
static void batch(struct dlg *d, uint32_t base, const uint16_t *gso, size_t n)
{
	struct gt_iovec v[NPKT];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct gt_iovec){pkts[i], build(d, pkts[i], base + (uint32_t)(i * GSO_PAY),
							data + i * GSO_PAY)};
	}
	if (gso)
		gt_stack_input_batch_gso(d->s, d->now_us, v, gso, n);
	else
		gt_stack_input_batch(d->s, d->now_us, v, n);
	dlg_check(d);
}

static uint32_t rcv_mss(struct dlg *d)
{
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	return ti.rcv_mss;
}

/* One ACK for the whole batch, none before: here the delayed-ACK timer's
 * (the data sits unread; the same with gso_sizes NULL), for everything. */
static void one_ack(struct dlg *d, uint32_t ack)
{
	dlg_expect_none(d);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect(d, TH_ACK, d->iss + 1, ack);
	dlg_expect_none(d);
}

static struct dlg *established(void)
{
	struct dlg *d = dlg_new(NULL);
	ASSERT(d->cfg.ack_defer_batch);
	dlg_established_passive(d);
	return d;
}

TEST(batch_gso_rcv_mss_is_the_gso_size)
{
	/* Six GSO packets of four 1000-byte segments: the peer's segment
	 * size is 1000, not the packet's 4000 clamped to our MSS (1460, what
	 * the TUN runtime's gt_stack_input_batch() gave before). */
	struct dlg *d = established();
	uint32_t base = d->peer_nxt;
	const uint16_t gso[NPKT] = {GSO_SEG, GSO_SEG, GSO_SEG, GSO_SEG, GSO_SEG, GSO_SEG};
	batch(d, base, gso, NPKT);
	ASSERT_EQ(rcv_mss(d), GSO_SEG);
	one_ack(d, base + NPKT * GSO_PAY);
	dlg_free(d);
}

TEST(batch_gso_null_sizes_is_the_plain_batch)
{
	/* gso_sizes NULL (and gt_stack_input_batch()): every packet plain, so
	 * a 4000-byte one reads as a segment of our MSS. */
	struct dlg *d = established();
	uint32_t base = d->peer_nxt;
	batch(d, base, NULL, NPKT);
	ASSERT_EQ(rcv_mss(d), DLG_MSS);
	one_ack(d, base + NPKT * GSO_PAY);
	dlg_free(d);
}

TEST(batch_gso_size_belongs_to_its_own_packet)
{
	/* gso_sizes[i] is packet i's alone. A plain 4000-byte packet after
	 * five GSO ones: the largest segment seen, our MSS (tcp_measure_rcv_mss()'s
	 * first rule). Four plain ones first and two GSO ones after them: the
	 * smaller size counts once two segments in a row have it (the Linux
	 * profile's second rule), 1000 again. */
	struct dlg *d = established();
	uint32_t base = d->peer_nxt;
	const uint16_t last_plain[NPKT] = {GSO_SEG, GSO_SEG, GSO_SEG, GSO_SEG, GSO_SEG, 0};
	batch(d, base, last_plain, NPKT);
	ASSERT_EQ(rcv_mss(d), DLG_MSS);
	dlg_free(d);

	d = established();
	base = d->peer_nxt;
	const uint16_t first_plain[NPKT] = {0, 0, 0, 0, GSO_SEG, GSO_SEG};
	batch(d, base, first_plain, NPKT);
	ASSERT_EQ(rcv_mss(d), GSO_SEG);
	one_ack(d, base + NPKT * GSO_PAY);
	dlg_free(d);
}

TEST(batch_gso_short_batch_takes_sizes_too)
{
	/* Under the prefetching loop's bound (four packets or fewer, a loop
	 * of its own): each packet gets its size there too. */
	struct dlg *d = established();
	uint32_t base = d->peer_nxt;
	const uint16_t gso[3] = {GSO_SEG, GSO_SEG, GSO_SEG};
	batch(d, base, gso, 3);
	ASSERT_EQ(rcv_mss(d), GSO_SEG);
	one_ack(d, base + 3 * GSO_PAY);
	dlg_free(d);
}
