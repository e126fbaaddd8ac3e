/* Sender silly-window avoidance in a recovery (Linux profile): a sender on
 * a 1500-byte device with TSO (pieces of gso_size) downloads to a receiver
 * on an MTU-576 device (MSS 536, 524 with timestamps) with its default
 * receive buffer, and one whole GSO packet is lost. While the resent
 * segments fill the receiver's hole, each ACK moves its window's right
 * edge 12 bytes (its window, not growing, is never shrunk and is rounded
 * up to the scale unit, Linux's tcp_select_window(): 524 bytes taken in
 * order leave it 512 smaller at scale 7). Linux's tcp_write_xmit() sends no new data until the window
 * takes the send head's first segment whole (tcp_snd_wnd_test()); the
 * profile's recovery sent each 12 bytes as a segment of its own
 * (tcp_lx_send_new(), before branch h-sws: 23 of them).
 * tests/pkt/linux/recovery-new-data-window-edge-creeps.pkt pins the rule
 * against the kernel. Two stacks, packets ferried between them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "two_stack.h"

#include <glasstcp/glasstcp.h>

#define A_ADDR 0x0a000001u
#define B_ADDR 0x0a000002u
#define TOTAL (200u * 1000u)

struct end {
	struct ts_q q;
	bool sender;
	uint32_t max_end;  /* the highest data sequence sent (0: none yet) */
	uint32_t fresh_n;  /* packets of new data sent */
	uint32_t drop_nth; /* the new-data packet lost on the way */
	bool dropped;
	uint32_t tiny;     /* new-data segments of under 64 bytes */
};

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static int push(struct end *e, const uint8_t *p, size_t len, uint16_t gso)
{
	size_t ihl = (size_t)(p[0] & 15) * 4;
	size_t thl = (size_t)(p[ihl + 12] >> 4) * 4;
	uint32_t pay = (uint32_t)(len - ihl - thl);
	if (e->sender && pay) {
		uint32_t seq = be32(p + ihl + 4), end = seq + pay;
		if (!e->max_end || (int32_t)(end - e->max_end) > 0) {
			if (e->max_end && pay < 64)
				e->tiny++;
			e->max_end = end;
			if (++e->fresh_n == e->drop_nth) {
				e->dropped = true;
				return 0; /* lost on the way */
			}
		}
	}
	ts_q_push(&e->q, p, len, gso);
	return 0;
}

static int tx(void *ctx, const void *pkt, size_t len) { return push(ctx, pkt, len, 0); }

static int txv(void *ctx, const struct gt_iovec *iov, int n)
{
	size_t len;
	const uint8_t *p = ts_join(iov, n, &len);
	return push(ctx, p, len, 0);
}

static int tx_gso(void *ctx, const struct gt_iovec *iov, int n, uint16_t gso)
{
	size_t len;
	const uint8_t *p = ts_join(iov, n, &len);
	return push(ctx, p, len, gso);
}

static gt_stack *stack(struct end *e, uint32_t addr, uint16_t mtu, bool tso)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	cfg.opt_timestamps = true;
	struct gt_device dev = {.transmit = tx, .transmitv = txv, .ctx = e, .mtu = mtu};
	if (tso) {
		dev.tso_max_bytes = 64000;
		dev.transmit_gso = tx_gso;
	}
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, addr, 24), 0);
	return s;
}

TEST(recovery_new_data_waits_for_a_segment_at_a_creeping_edge)
{
	static struct end a = {.sender = true, .drop_nth = 5}, b;
	ts_q_reset(&a.q);
	ts_q_reset(&b.q);
	gt_stack *sa = stack(&a, A_ADDR, 1500, true);
	gt_stack *sb = stack(&b, B_ADDR, 576, false);
	uint64_t now = 1000000;
	int lsd = gt_socket(sb, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr at = {.family = GT_AF_INET, .addr = B_ADDR, .port = 80};
	ASSERT_EQ(gt_bind(sb, lsd, &at), 0);
	ASSERT_EQ(gt_listen(sb, lsd, 4), 0);
	int sd = gt_socket(sa, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(gt_connect(sa, sd, &at), -EINPROGRESS);
	ts_transfer(sa, sd, &a.q, sb, lsd, &b.q, &now, TOTAL);
	ASSERT(a.dropped);
	ASSERT_EQ(a.tiny, 0u);
	gt_stack_free(sa);
	gt_stack_free(sb);
}
