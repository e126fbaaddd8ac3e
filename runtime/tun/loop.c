/* The TUN event loop: epoll over the TUN fd, a timerfd armed at the stack's
 * next deadline (absolute CLOCK_MONOTONIC, the clock the stack is fed), and
 * a signalfd for SIGINT/SIGTERM. Each wakeup reads the device until it is
 * empty (EAGAIN) or RX_BATCH_PKTS packets were read, and hands them to
 * gt_stack_input_batch_gso() RX_GROUP_PKTS at a time (or in parts of
 * --rx-ack-pkts, each part's writes sent before the next); then
 * gt_stack_poll(), then the application's socket calls. The kernel queues
 * what it sends us in a ring of txqueuelen packets and drops (tx_dropped)
 * when the ring is full: the runtime sets the length (--txqueuelen) and
 * reports those drops. With
 * --offload every packet carries a virtio-net header and the device does
 * checksum offload both ways, as a veth does: a partial TCP checksum from the
 * kernel is taken as valid and the rest checked here (the stack checks none),
 * the stack's TCP segments leave with partial checksums for the kernel to
 * finish if anyone needs them, TSO super-segments go to the stack whole
 * with their gso_size (TCP measures the peer's segment size by it), and
 * the stack's own large TCP segments (gt_device.tso_max_bytes) go to the
 * kernel whole, to be cut there. */
#define _GNU_SOURCE
#include "runtime/tun/tun.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>

#include "util/checksum.h"

#include <glasstcp/inspect.h>
#include <glasstcp/viz.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define VNET_HDR_BYTES sizeof(struct virtio_net_hdr)
/* Packets read in one wakeup at most, so that timers and the application
 * run between bursts; the rest wait for the next turn (epoll is level-
 * triggered). A group is read whole before the stack sees its first packet,
 * so its bound is also the most reads an answer waits behind. */
#define RX_BATCH_PKTS 256u
/* 64, not 32 (the bound until 2026-12-03): the stack ACKs once per group
 * (ack_defer_batch, as Linux ACKs a socket's backlog), and with 32 glasstcp
 * sent twice the ACKs the kernel receiver sent on the bench's veth path
 * (6,545-6,638 against 3,312-3,522 for 300 MB at 0% loss; 3,378-3,612 with
 * 64), each one a device write that runs the kernel sender's ACK processing
 * on our thread; half as many enters too (docs/receiving.md). */
#define RX_GROUP_PKTS 64u
_Static_assert(TUN_RX_ACK_PKTS_MAX == RX_GROUP_PKTS, "--rx-ack-pkts goes up to a group");
/* Reads whose packets wait for a write (read_to_write): one entry per read
 * time; more fold into the last, their wait counted from its read. */
#define R2W_PENDING 8u
/* Room for one read: the largest packet the device may hand us. Packets are
 * packed into the group's buffer, 8-byte aligned. */
#define RX_SLOT_BYTES (VNET_HDR_BYTES + TUN_MAX_PKT_BYTES)
#define RX_ALIGN(n) (((n) + 7u) & ~(size_t)7u)

/* Writes that wait for one io_uring_enter() at most: the stack's segments
 * are copied into a slot each (the stack's gather pieces live only during
 * its transmit call) and go together before the loop next waits, before a
 * read group (in the same enter), or when the slots are full. Reads and
 * writes of one enter together fit the ring. */
#define TX_BATCH_PKTS 32u
#define TX_SLOT_BYTES RX_ALIGN(VNET_HDR_BYTES + TUN_MAX_PKT_BYTES)
#define TAG_TX (1ull << 32)
_Static_assert(TX_BATCH_PKTS + RX_GROUP_PKTS <= TUN_URING_ENTRIES, "one enter's reads and writes");

enum { EV_TUN = 1, EV_TIMER, EV_SIGNAL, EV_WATCH };

struct tun_rt {
	struct tun_options o;
	char ifname[16];
	int tun_fd, ep_fd, timer_fd, sig_fd;
	struct tun_dev_saved dev_saved; /* the device's state before us */
	unsigned offload_set;           /* TUN_OFFLOAD_* we set */
	bool offload_done;              /* TUNSETOFFLOAD succeeded: restore at close */
	int watch_fd;
	bool watch_always;     /* a regular file: epoll cannot watch it */
	uint64_t timer_at_us;  /* armed deadline; UINT64_MAX when disarmed */
	uint64_t now_us;
	gt_stack *stack;
	bool faults;
	struct tun_fault f_in, f_out;
	bool pcap_on;
	struct tun_pcap pcap;
	struct tun_rt_stats st;
	int drops_err;                   /* 0: drops0 holds the device's drops at start */
	struct tun_dev_drops drops0;
	sigset_t old_mask;
	struct tun_uring ur;             /* batched reads and writes; fd -1: off */
	unsigned rx_want;                /* reads the next group submits (uring) */
	unsigned tx_n;                   /* writes waiting in tx_slots (uring) */
	size_t tx_len[TX_BATCH_PKTS];    /* each one's length, virtio-net header included */
	uint32_t tx_hdr[TX_BATCH_PKTS];  /* of it, the virtio-net header */
	uint32_t tx_segs[TX_BATCH_PKTS]; /* segments of a GSO write, else 0 */
	uint8_t *tx_slots;               /* TX_BATCH_PKTS of TX_SLOT_BYTES (uring) */
	struct tun_txw txw;              /* --tx-thread: the writes' own thread; on false: off */
	struct { uint64_t at_us; uint32_t n; } r2w[R2W_PENDING]; /* packets not yet followed by a write */
	unsigned r2w_n;
	uint8_t rx[RX_GROUP_PKTS * RX_ALIGN(RX_SLOT_BYTES)];
	uint8_t tx_join[TUN_MAX_PKT_BYTES]; /* a gather packet put together for pcap or faults */
};

uint64_t tun_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

gt_stack *tun_rt_stack(tun_rt *rt) { return rt->stack; }

/* A checksum field at off that holds the pseudo-header sum (a partial
 * checksum, Linux's CHECKSUM_PARTIAL) completed over the bytes from start. */
static int fill_csum(uint8_t *pkt, size_t len, size_t start, size_t off)
{
	if (start >= len || off + 2 > len || off < start)
		return -EINVAL;
	uint16_t c = csum_fold(csum_partial(pkt + start, len - start, 0));
	pkt[off] = (uint8_t)(c >> 8);
	pkt[off + 1] = (uint8_t)c;
	return 0;
}

/* Where a TCP segment starts in an IPv4 or IPv6 packet (no IPv6 extension
 * headers), or 0 when the packet is not TCP. */
static size_t tcp_start(const uint8_t *pkt, size_t len)
{
	if (len >= 20 && pkt[0] >> 4 == 4 && pkt[9] == 6 && (size_t)(pkt[0] & 15) * 4 + 20 <= len)
		return (size_t)(pkt[0] & 15) * 4;
	if (len >= 60 && pkt[0] >> 4 == 6 && pkt[6] == 6)
		return 40;
	return 0;
}

/* ---- transmit: stack -> (faults) -> pcap -> TUN ---- */

/* --offload: the stack leaves the pseudo-header sum in a TCP segment's
 * checksum field (gt_device.tx_csum_offload) and the segment goes marked
 * NEEDS_CSUM at l4, for whoever needs the checksum to finish it: a veth
 * passes that on as CHECKSUM_PARTIAL and the kernel's TCP behind it takes
 * it as valid, as it takes its own peer's over a veth. */
static void vnet_partial(struct virtio_net_hdr *vh, size_t l4)
{
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = (uint16_t)l4;
	vh->csum_offset = 16;
}

/* A packet the kernel took: counted, with the segments it will cut a GSO
 * write into. */
static void tx_done(tun_rt *rt, size_t len, uint32_t segs)
{
	rt->st.tx_pkts++;
	rt->st.tx_bytes += len;
	if (segs) {
		rt->st.tx_gso_pkts++;
		rt->st.tx_gso_segs += segs;
	}
}

/* n packets read at at_us, given to the stack: they wait for a write. */
static void r2w_read(tun_rt *rt, uint64_t at_us, uint32_t n)
{
	if (rt->r2w_n && (rt->r2w[rt->r2w_n - 1].at_us == at_us || rt->r2w_n == R2W_PENDING)) {
		rt->r2w[rt->r2w_n - 1].n += n;
		return;
	}
	rt->r2w[rt->r2w_n].at_us = at_us;
	rt->r2w[rt->r2w_n++].n = n;
}

/* A write goes to the device now: every packet waiting is counted in the
 * bucket of its wait (read_to_write). */
static void r2w_write(tun_rt *rt)
{
	if (!rt->r2w_n)
		return;
	uint64_t now = tun_now_us();
	for (unsigned i = 0; i < rt->r2w_n; i++) {
		uint64_t d = now > rt->r2w[i].at_us ? now - rt->r2w[i].at_us : 0;
		unsigned b = 0;
		while (b + 1 < TUN_R2W_BUCKETS && d >= (16u << b))
			b++;
		rt->st.read_to_write[b] += rt->r2w[i].n;
	}
	rt->r2w_n = 0;
}

/* The ring given up (an enter failed, or an operation did not complete
 * inline): counted; closing it cancels whatever the kernel still holds, and
 * the runtime goes on with read() and write(). Writes it did not confirm
 * are counted as errors. */
static void uring_give_up(tun_rt *rt)
{
	rt->st.uring_failed = 1;
	rt->st.tx_errors += rt->tx_n;
	rt->tx_n = 0;
	tun_uring_fini(&rt->ur);
}

/* Takes every completion: a write's is counted, a read's result goes to
 * rx_res[slot]. Every operation of the enter completed in it (RWF_NOWAIT):
 * one left over gives the ring up. */
static void uring_reap(tun_rt *rt, int32_t *rx_res, unsigned rx_n)
{
	uint64_t tag;
	int32_t res;
	unsigned writes = 0;
	bool refused = false;
	while (tun_uring_next(&rt->ur, &tag, &res)) {
		uint32_t i = (uint32_t)tag;
		/* A kernel whose device cannot do RWF_NOWAIT (-EOPNOTSUPP), or
		 * whose ring does not know the read (-EINVAL), refuses every
		 * one alike. A write's -EINVAL is the device's about a packet. */
		refused |= res == -EOPNOTSUPP || (res == -EINVAL && !(tag & TAG_TX));
		if (tag & TAG_TX) {
			writes++;
			if (i < rt->tx_n && res >= 0 && (size_t)res == rt->tx_len[i])
				tx_done(rt, rt->tx_len[i] - rt->tx_hdr[i], rt->tx_segs[i]);
			else
				rt->st.tx_errors++;
		} else if (i < rx_n) {
			rx_res[i] = res;
		}
	}
	if (writes > rt->st.tx_batch_max)
		rt->st.tx_batch_max = writes;
	rt->st.tx_batched += writes;
	rt->tx_n = 0;
	if (rt->ur.inflight || rt->ur.queued || refused)
		uring_give_up(rt);
}

/* --tx-thread: a write the writer has done, counted as uring_reap()
 * counts one. */
static void txw_done(void *ctx, int32_t res, size_t len, uint32_t hdr, uint32_t segs)
{
	tun_rt *rt = ctx;
	if (res >= 0 && (size_t)res == len)
		tx_done(rt, len - hdr, segs);
	else
		rt->st.tx_errors++;
}

/* --tx-thread: what waits in the bank goes to the writer now. */
static void txw_hand(tun_rt *rt)
{
	if (!rt->txw.n[rt->txw.cur])
		return;
	r2w_write(rt);
	tun_txw_hand(&rt->txw, txw_done, rt);
}

/* Sends the writes that wait in the slots, in one enter (--tx-thread:
 * hands them to the writer). */
static void uring_flush(tun_rt *rt)
{
	if (rt->txw.on) {
		txw_hand(rt);
		return;
	}
	if (!rt->tx_n || !tun_uring_on(&rt->ur))
		return;
	rt->st.uring_enters++;
	r2w_write(rt);
	if (tun_uring_submit(&rt->ur) < 0) {
		uring_give_up(rt);
		return;
	}
	uring_reap(rt, NULL, 0);
}

/* One packet to the device, given as pieces (iov, k: bytes in all, hdr of
 * them the virtio-net header): written at once, or copied into a slot to go
 * with the next enter. -1 on a write that failed now (counted), -ENOBUFS on
 * one the device refused with its queue full (tx_busy). */
static int dev_out(tun_rt *rt, const struct iovec *iov, int k, size_t bytes, size_t hdr,
		   uint32_t segs)
{
	if (rt->txw.on && bytes <= TX_SLOT_BYTES) {
		uint8_t *slot = tun_txw_slot(&rt->txw), *p;
		if (!slot) {
			txw_hand(rt);
			slot = tun_txw_slot(&rt->txw);
		}
		p = slot;
		for (int i = 0; i < k; i++) {
			memcpy(p, iov[i].iov_base, iov[i].iov_len);
			p += iov[i].iov_len;
		}
		tun_txw_queued(&rt->txw, bytes, (uint32_t)hdr, segs);
		return 0;
	}
	if (tun_uring_on(&rt->ur) && bytes <= TX_SLOT_BYTES) {
		if (rt->tx_n == TX_BATCH_PKTS)
			uring_flush(rt);
	}
	if (tun_uring_on(&rt->ur) && bytes <= TX_SLOT_BYTES) {
		uint8_t *slot = rt->tx_slots + (size_t)rt->tx_n * TX_SLOT_BYTES, *p = slot;
		for (int i = 0; i < k; i++) {
			memcpy(p, iov[i].iov_base, iov[i].iov_len);
			p += iov[i].iov_len;
		}
		if (tun_uring_write(&rt->ur, rt->tun_fd, slot, bytes, TAG_TX | rt->tx_n) == 0) {
			rt->tx_len[rt->tx_n] = bytes;
			rt->tx_hdr[rt->tx_n] = (uint32_t)hdr;
			rt->tx_segs[rt->tx_n] = segs;
			rt->tx_n++;
			return 0;
		}
	}
	r2w_write(rt);
	ssize_t w = writev(rt->tun_fd, iov, k);
	if (w < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
		/* The device's queue is full: the stack takes the packet
		 * as never sent (struct gt_device), and TCP's timers try
		 * again (the Linux profile's probe timer every 500 ms);
		 * the loop does not wait for the device to be writable. */
		rt->st.tx_busy++;
		return -ENOBUFS;
	}
	if (w != (ssize_t)bytes) {
		rt->st.tx_errors++;
		return -1;
	}
	tx_done(rt, bytes - hdr, segs);
	return 0;
}

/* --offload: one write, a virtio-net header first. A TCP segment larger
 * than one piece goes whole, for the kernel to cut into pieces of the
 * gso_size the stack gave (0: what fits the MTU; tun_gso_prepare()); the
 * rest without GSO, a TCP segment whose checksum is partial (l4 > 0) marked
 * so, anything else complete. */
static int write_vnet(tun_rt *rt, const uint8_t *pkt, size_t len, size_t l4, uint16_t gso)
{
	struct tun_gso g;
	struct iovec iov[3];
	int n_iov;
	if (tun_gso_prepare(&g, pkt, len, rt->o.mtu, gso) > 0) {
		iov[0] = (struct iovec){ &g.vh, sizeof(g.vh) };
		iov[1] = (struct iovec){ g.hdr, g.hdr_len };
		iov[2] = (struct iovec){ (void *)(pkt + g.hdr_len), len - g.hdr_len };
		n_iov = 3;
	} else {
		memset(&g.vh, 0, sizeof(g.vh));
		if (l4)
			vnet_partial(&g.vh, l4);
		g.segs = 0;
		iov[0] = (struct iovec){ &g.vh, sizeof(g.vh) };
		iov[1] = (struct iovec){ (void *)pkt, len };
		n_iov = 2;
	}
	return dev_out(rt, iov, n_iov, sizeof(g.vh) + len, sizeof(g.vh), g.segs);
}

static int dev_send_gso(void *ctx, const uint8_t *pkt, size_t len, uint16_t gso)
{
	tun_rt *rt = ctx;
	size_t l4 = rt->o.offload ? tcp_start(pkt, len) : 0; /* partial checksum */
	if (l4 && rt->pcap_on) {
		/* A capture shows the checksum complete (pcap_check holds the
		 * stack's frames to it), and the kernel gets it so. */
		if (pkt != rt->tx_join) {
			memcpy(rt->tx_join, pkt, len);
			pkt = rt->tx_join;
		}
		fill_csum(rt->tx_join, len, l4, l4 + 16);
		rt->st.tx_csum_filled++;
		l4 = 0;
	}
	int rc;
	if (rt->o.offload) {
		rc = write_vnet(rt, pkt, len, l4, gso);
	} else {
		struct iovec iov = { (void *)pkt, len };
		rc = dev_out(rt, &iov, 1, len, 0, 0);
	}
	/* As the stack made it, like tcpdump on a TSO host; not a packet
	 * the device refused, which Linux's taps do not see either (they
	 * sit past the qdisc, dev_queue_xmit_nit()). */
	if (rt->pcap_on && rc != -ENOBUFS)
		tun_pcap_write(&rt->pcap, pkt, len);
	return rc;
}

static int dev_send(void *ctx, const uint8_t *pkt, size_t len)
{
	return dev_send_gso(ctx, pkt, len, 0);
}

/* A packet the fault injector releases late: the stack took it as sent
 * long ago, so a full queue now is a drop (counted in tx_busy). */
static void dev_write(void *ctx, const uint8_t *pkt, size_t len)
{
	(void)dev_send(ctx, pkt, len);
}

static int dev_transmit(void *ctx, const void *pkt, size_t len)
{
	tun_rt *rt = ctx;
	if (rt->faults) {
		tun_fault_submit(&rt->f_out, rt->now_us, pkt, len);
		return 0;
	}
	return dev_send(rt, pkt, len); /* -ENOBUFS: the queue full, not sent */
}

/* The stack's gather output (gt_device.transmitv, and transmit_gso with
 * the gso_size of a TSO segment, 0 for none): headers and payload
 * pieces go to the TUN device in one writev() (or one batched write), the
 * payload straight from the send buffer, with a virtio-net header first
 * under --offload. With a pcap or faults, which want the whole packet, it is
 * put together first. */
static int dev_transmit_gso(void *ctx, const struct gt_iovec *v, int n, uint16_t gso)
{
	tun_rt *rt = ctx;
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += v[i].len;
	if (n == 1 && !rt->faults)
		return dev_send_gso(rt, v[0].base, v[0].len, gso);
	if (rt->faults || rt->pcap_on || n > 3) {
		int joined = gt_iovec_join(rt->tx_join, sizeof(rt->tx_join), v, n);
		if (joined < 0) {
			rt->st.tx_errors++;
			return -1;
		}
		if (rt->faults)
			return dev_transmit(rt, rt->tx_join, (size_t)joined);
		return dev_send_gso(rt, rt->tx_join, (size_t)joined, gso);
	}
	struct iovec iov[5];
	int k = 0;
	struct tun_gso g;
	g.segs = 0;
	if (rt->o.offload) {
		/* tun_gso_prepare() reads only the headers, all in the first piece. */
		if (tun_gso_prepare(&g, v[0].base, len, rt->o.mtu, gso) > 0 && g.hdr_len == v[0].len) {
			iov[k++] = (struct iovec){ &g.vh, sizeof(g.vh) };
			iov[k++] = (struct iovec){ g.hdr, g.hdr_len };
		} else {
			memset(&g.vh, 0, sizeof(g.vh));
			size_t l4 = tcp_start(v[0].base, v[0].len);
			if (l4)
				vnet_partial(&g.vh, l4);
			g.segs = 0;
			iov[k++] = (struct iovec){ &g.vh, sizeof(g.vh) };
			iov[k++] = (struct iovec){ (void *)v[0].base, v[0].len };
		}
	} else {
		iov[k++] = (struct iovec){ (void *)v[0].base, v[0].len };
	}
	for (int i = 1; i < n; i++)
		iov[k++] = (struct iovec){ (void *)v[i].base, v[i].len };
	size_t extra = rt->o.offload ? sizeof(g.vh) : 0;
	return dev_out(rt, iov, k, len + extra, extra, g.segs);
}

static int dev_transmitv(void *ctx, const struct gt_iovec *v, int n)
{
	return dev_transmit_gso(ctx, v, n, 0);
}

/* ---- receive: TUN -> pcap -> (faults) -> stack ---- */

static void input_group(tun_rt *rt, const struct tun_app *app, struct gt_iovec *v,
			const uint16_t *gso, size_t n);

/* What the fault wrapper lets through reaches the stack in groups, as the
 * device's packets do without it (input_group(): one ACK per connection
 * and group, or per part with --rx-ack-pkts), each with the gso_size it
 * was read with. */
static void fault_input(tun_rt *rt, const struct tun_app *app)
{
	struct gt_iovec v[RX_GROUP_PKTS];
	uint16_t gso[RX_GROUP_PKTS];
	size_t n;
	while ((n = tun_fault_take(&rt->f_in, rt->now_us, v, gso, RX_GROUP_PKTS)) > 0) {
		input_group(rt, app, v, gso, n);
		for (size_t i = 0; i < n; i++)
			free((void *)v[i].base);
	}
}

/* A TCP segment with a complete checksum: true when it is right. */
static bool tcp_csum_ok(const uint8_t *pkt, size_t len, size_t l4)
{
	uint32_t n = (uint32_t)(len - l4);
	uint32_t sum = pkt[0] >> 4 == 4
			       ? csum_pseudo_ipv4((uint32_t)pkt[12] << 24 | (uint32_t)pkt[13] << 16 |
							  (uint32_t)pkt[14] << 8 | pkt[15],
						  (uint32_t)pkt[16] << 24 | (uint32_t)pkt[17] << 16 |
							  (uint32_t)pkt[18] << 8 | pkt[19],
						  6, (uint16_t)n)
			       : csum_pseudo_ipv6(pkt + 8, pkt + 24, 6, n);
	return csum_fold(csum_partial(pkt + l4, n, sum)) == 0;
}

/* --offload: the stack checks no TCP checksum (rx_csum_verified), so the
 * runtime decides per packet, as a kernel does behind a device with receive
 * checksum offload. A partial TCP checksum (NEEDS_CSUM) is the kernel's own
 * segment, straight from its memory: taken as valid, as a veth's peer takes
 * CHECKSUM_PARTIAL (completed only for a capture, which should read right).
 * DATA_VALID: the kernel checked it. Otherwise a TCP segment is checked
 * here. Other protocols' partial checksums are completed for the stack,
 * which checks those itself. Returns false for a packet to drop. */
static bool rx_csum(tun_rt *rt, uint8_t *pkt, size_t n, const struct virtio_net_hdr *h)
{
	size_t l4 = tcp_start(pkt, n);
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (l4 && h->csum_start == l4 && h->csum_offset == 16 && !rt->pcap_on) {
			rt->st.rx_csum_trusted++;
			return true;
		}
		if (fill_csum(pkt, n, h->csum_start, (size_t)h->csum_start + h->csum_offset) < 0)
			return false;
		rt->st.rx_csum_fixed++;
		return true;
	}
	if ((h->flags & VIRTIO_NET_HDR_F_DATA_VALID) || !l4)
		return true;
	rt->st.rx_csum_checked++;
	if (tcp_csum_ok(pkt, n, l4))
		return true;
	rt->st.rx_csum_bad++;
	return false;
}

/* The gso_size a packet read behind header h goes to the stack with
 * (tun_rx_gso_size()), counted; a bad header's packet goes as a plain one,
 * as it did before the stack took gso sizes. */
static uint16_t rx_gso(tun_rt *rt, const struct virtio_net_hdr *h, const uint8_t *pkt, size_t n)
{
	int g = tun_rx_gso_size(h, pkt, n);
	if (g < 0) {
		rt->st.rx_gso_bad++;
		return 0;
	}
	if (g == 0)
		return 0;
	if (rt->st.rx_gso_tcp++ == 0 || (uint64_t)g < rt->st.rx_gso_size_min)
		rt->st.rx_gso_size_min = (uint64_t)g;
	if ((uint64_t)g > rt->st.rx_gso_size_max)
		rt->st.rx_gso_size_max = (uint64_t)g;
	return (uint16_t)g;
}

/* One packet as read (buf, n): strips and applies the virtio-net header
 * under --offload and counts it. Returns the IP packet's length, its start
 * in *pkt and its gso_size in *gso (0 but for a TCP GSO packet), or 0 for
 * a packet the stack does not get (counted). */
static size_t rx_one(tun_rt *rt, uint8_t *buf, size_t n, uint8_t **pkt, uint16_t *gso)
{
	struct virtio_net_hdr h = { 0 };
	*pkt = buf;
	*gso = 0;
	if (rt->o.offload) {
		if (n < sizeof(h)) {
			rt->st.rx_errors++;
			return 0;
		}
		memcpy(&h, buf, sizeof(h));
		*pkt += sizeof(h);
		n -= sizeof(h);
		if (h.gso_type != VIRTIO_NET_HDR_GSO_NONE)
			rt->st.rx_gso_pkts++;
		if (!rx_csum(rt, *pkt, n, &h)) {
			rt->st.rx_errors++;
			return 0;
		}
	}
	/* IPv6 only when the stack has an IPv6 address: otherwise the
	 * kernel's router solicitations and MLD reports, counted here. */
	unsigned ver = n ? (*pkt)[0] >> 4 : 0;
	if (ver != 4 && !(ver == 6 && rt->o.has_addr6)) {
		rt->st.rx_not_ip++;
		return 0;
	}
	if (rt->o.offload)
		*gso = rx_gso(rt, &h, *pkt, n); /* counted for packets the stack gets */
	rt->st.rx_pkts++;
	rt->st.rx_bytes += n;
	return n;
}

/* Reads up to max packets into rt->rx; the IP ones are described in v[],
 * their gso sizes in gso[], *got tells how many. Returns the reads done;
 * *empty is set when the device had no more (or failed). */
static unsigned rx_read_group_uring(tun_rt *rt, unsigned max, struct gt_iovec *v, uint16_t *gso,
				    size_t *got, bool *empty);

static unsigned rx_read_group(tun_rt *rt, unsigned max, struct gt_iovec *v, uint16_t *gso,
			      size_t *got, bool *empty)
{
	if (rt->txw.on)
		txw_hand(rt); /* written before these reads, as in one enter */
	if (tun_uring_on(&rt->ur))
		return rx_read_group_uring(rt, max, v, gso, got, empty);
	size_t off = 0;
	unsigned reads = 0;
	*got = 0;
	while (reads < max) {
		assert(off + RX_SLOT_BYTES <= sizeof(rt->rx));
		ssize_t n = read(rt->tun_fd, rt->rx + off, RX_SLOT_BYTES);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				rt->st.rx_errors++;
			*empty = true;
			break;
		}
		reads++;
		uint8_t *pkt;
		size_t len = rx_one(rt, rt->rx + off, (size_t)n, &pkt, &gso[*got]);
		if (len == 0)
			continue;
		v[(*got)++] = (struct gt_iovec){ .base = pkt, .len = len };
		off += RX_ALIGN((size_t)n);
	}
	return reads;
}

/* The same through io_uring: the writes waiting in the slots and up to max
 * reads, one per slot of rt->rx, in one io_uring_enter(); the kernel runs
 * them in order, so the packets come in the order the device held them.
 * How many reads: one more than the last group got when it found the
 * device empty (every read past the packets waiting costs an -EAGAIN), twice
 * as many when it did not. */
static unsigned rx_read_group_uring(tun_rt *rt, unsigned max, struct gt_iovec *v, uint16_t *gso,
				    size_t *got, bool *empty)
{
	const size_t slot = RX_ALIGN(RX_SLOT_BYTES);
	unsigned want = rt->rx_want < max ? rt->rx_want : max;
	int32_t res[RX_GROUP_PKTS];
	*got = 0;
	for (unsigned i = 0; i < want; i++) {
		res[i] = -EAGAIN;
		if (tun_uring_read(&rt->ur, rt->tun_fd, rt->rx + i * slot, RX_SLOT_BYTES, i) < 0) {
			want = i; /* cannot happen: TX_BATCH_PKTS + RX_GROUP_PKTS fit */
			break;
		}
	}
	rt->st.uring_enters++;
	if (rt->tx_n)
		r2w_write(rt);
	if (tun_uring_submit(&rt->ur) < 0) {
		uring_give_up(rt);
		*empty = true;
		return 0;
	}
	uring_reap(rt, res, want);
	unsigned reads = 0;
	for (unsigned i = 0; i < want; i++) {
		if (res[i] < 0) {
			if (res[i] == -EAGAIN)
				rt->st.rx_uring_empty++;
			else if (res[i] != -EINTR)
				rt->st.rx_errors++;
			*empty = true;
			continue;
		}
		reads++;
		uint8_t *pkt;
		size_t len = rx_one(rt, rt->rx + i * slot, (size_t)res[i], &pkt, &gso[*got]);
		if (len)
			v[(*got)++] = (struct gt_iovec){ .base = pkt, .len = len };
	}
	if (*empty)
		rt->rx_want = reads + 1 < 2 ? 2 : reads + 1;
	else
		rt->rx_want = want * 2 < RX_GROUP_PKTS ? want * 2 : RX_GROUP_PKTS;
	return reads;
}

/* A group to the stack, each packet with its gso_size (gso[]): whole (one
 * ACK for it, at its end: ack_defer_batch), or with --rx-ack-pkts in
 * parts. After each part but the last the
 * application runs (its reads let the window move, and a read sends an
 * ACK held for that, as tcp_cleanup_rbuf() does) and what the stack wrote
 * goes to the device before the next part is taken; the last part's
 * writes go with the next group's reads, in the same enter, or before the
 * loop waits, and the application runs after it as after any group. */
static void input_group(tun_rt *rt, const struct tun_app *app, struct gt_iovec *v,
			const uint16_t *gso, size_t n)
{
	size_t part = rt->o.rx_ack_pkts ? rt->o.rx_ack_pkts : n;
	/* A small group (--rx-each-pkts) is a loop that keeps up: Linux takes
	 * segments that reach a socket its reader does not hold one at a
	 * time, in softirq, and sends each ACK they ask for at once; only
	 * what waits in the backlog while the reader holds the socket is
	 * ACKed as one (ack_defer_batch). In quick-ACK mode that is an ACK
	 * per segment: under 5% reordering (held 5 ms) a Linux receiver
	 * is in it after every late original (dup_quickack), and one ACK
	 * per group left the kernel sender a flight of 2 segments where the
	 * kernel receiver's ACKs kept 5-6 (docs/recovery.md). */
	if (rt->o.rx_each_pkts && n <= rt->o.rx_each_pkts)
		part = 1;
	uint64_t read_us = rt->now_us;
	for (size_t off = 0; off < n; off += part) {
		size_t k = n - off < part ? n - off : part;
		r2w_read(rt, read_us, (uint32_t)k);
		gt_stack_input_batch_gso(rt->stack, rt->now_us, v + off, gso + off, k);
		if (off + k == n)
			break;
		if (app && app->step)
			app->step(app->ctx, rt->stack);
		if (rt->tx_n) {
			rt->st.rx_part_flushes++;
			uring_flush(rt);
			rt->now_us = tun_now_us();
		}
	}
}

/* TUN -> pcap -> (faults) -> stack, in groups of RX_GROUP_PKTS: the stack
 * takes a group with gt_stack_input_batch_gso(), which fetches the connections
 * of the packets ahead into the cache while it handles one. The application
 * runs between groups as after any input: a listener's accept queue (128 for
 * `serve`) must not fill with the handshakes of a whole batch before the
 * application accepts one (the SYNs after it would be dropped). */
static void rx_batch(tun_rt *rt, const struct tun_app *app)
{
	unsigned reads = 0;
	bool empty = false;
	while (!empty && reads < RX_BATCH_PKTS) {
		struct gt_iovec v[RX_GROUP_PKTS];
		uint16_t gso[RX_GROUP_PKTS];
		size_t n;
		unsigned want = RX_BATCH_PKTS - reads;
		reads += rx_read_group(rt, want < RX_GROUP_PKTS ? want : RX_GROUP_PKTS, v, gso, &n, &empty);
		rt->now_us = tun_now_us();
		for (size_t i = 0; i < n; i++) {
			if (rt->pcap_on)
				tun_pcap_write(&rt->pcap, v[i].base, v[i].len);
			if (rt->faults)
				tun_fault_submit_gso(&rt->f_in, rt->now_us, v[i].base, v[i].len, gso[i]);
		}
		if (!rt->faults && n > 0)
			input_group(rt, app, v, gso, n);
		if (!empty && app && app->step)
			app->step(app->ctx, rt->stack);
	}
	rt->st.rx_batches++;
	if (reads > rt->st.rx_batch_max)
		rt->st.rx_batch_max = reads;
	if (!empty)
		rt->st.rx_batch_full++;
}

/* ---- setup ---- */

static int ep_add(tun_rt *rt, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };
	return epoll_ctl(rt->ep_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int fail(const char *prog, const char *what, int e)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-e));
	return e;
}

/* --txqueuelen: a device this run created goes away with it; a persistent
 * one gets its length back at exit (tun_dev_restore()). */
static int set_txqueuelen(tun_rt *rt)
{
	uint32_t old = 0;
	if (rt->o.txqueuelen == 0)
		return 0;
	int r = tun_dev_get_txqueuelen(rt->ifname, &old);
	if (r == 0 && old != rt->o.txqueuelen)
		r = tun_dev_set_txqueuelen(rt->ifname, rt->o.txqueuelen);
	if (r == 0 && old != rt->o.txqueuelen && rt->dev_saved.persistent)
		rt->dev_saved.txqueuelen = old;
	return r;
}

static int open_fds(tun_rt *rt, const char *prog)
{
	const struct tun_options *o = &rt->o;
	int r = tun_dev_open(o->ifname, o->offload, rt->ifname, &rt->dev_saved);
	if (r < 0) {
		/* Name the real cause: TUNSETIFF says EBUSY when another process
		 * holds the device; only EPERM/EACCES are about privileges. */
		char what[160];
		const char *dev = o->ifname ? o->ifname : "a new device";
		if (r == -EBUSY)
			snprintf(what, sizeof(what), "TUN device %s is in use by another process "
				 "(stop it or choose another --tun)", dev);
		else if (r == -EPROTO)
			snprintf(what, sizeof(what), "TUN device %s: another queue holds it with other "
				 "flags (IFF_VNET_HDR, IFF_NO_PI)", dev);
		else if (r == -EPERM || r == -EACCES)
			snprintf(what, sizeof(what), "cannot open /dev/net/tun or attach %s "
				 "(root or CAP_NET_ADMIN needed)", dev);
		else
			snprintf(what, sizeof(what), "cannot open /dev/net/tun or attach %s", dev);
		return fail(prog, what, r);
	}
	rt->tun_fd = r;
	/* Off as explicitly as on: a persistent device keeps the offloads of
	 * its last user, and without a virtio-net header nothing would tell
	 * us that the kernel left a checksum partial (every segment would
	 * look corrupt). */
	rt->offload_set = o->offload ? TUN_OFFLOAD_CSUM | TUN_OFFLOAD_TSO4 | TUN_OFFLOAD_TSO6 : 0;
	if ((r = tun_dev_set_offload(rt->tun_fd, rt->offload_set)) < 0)
		return fail(prog, "TUNSETOFFLOAD", r);
	rt->offload_done = true;
	if ((r = tun_dev_configure(rt->ifname, o->mtu, o->kernel_addr, o->kernel_prefix)) < 0 &&
	    r != -EEXIST)
		return fail(prog, "configuring the device", r);
	if (o->has_kernel_addr6 &&
	    (r = tun_dev_add_addr6(rt->ifname, &o->kernel_addr6, o->kernel_prefix6)) < 0 &&
	    r != -EEXIST)
		return fail(prog, "giving the device its IPv6 address", r);
	if ((r = set_txqueuelen(rt)) < 0) {
		char what[160];
		snprintf(what, sizeof(what), "setting txqueuelen %u on %s (--txqueuelen 0 leaves it)",
			 o->txqueuelen, rt->ifname);
		return fail(prog, what, r);
	}
	rt->drops_err = tun_dev_get_drops(rt->ifname, &rt->drops0);
	rt->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	rt->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGINT);
	sigaddset(&m, SIGTERM);
	sigaddset(&m, SIGUSR1); /* prints the socket listing and counters */
	sigprocmask(SIG_BLOCK, &m, &rt->old_mask);
	rt->sig_fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	if (rt->ep_fd < 0 || rt->timer_fd < 0 || rt->sig_fd < 0)
		return fail(prog, "epoll/timerfd/signalfd", -errno);
	if ((r = ep_add(rt, rt->tun_fd, EV_TUN)) < 0 || (r = ep_add(rt, rt->timer_fd, EV_TIMER)) < 0 ||
	    (r = ep_add(rt, rt->sig_fd, EV_SIGNAL)) < 0)
		return fail(prog, "epoll_ctl", r);
	return 0;
}

static int open_stack(tun_rt *rt, const char *prog)
{
	struct gt_config cfg = rt->o.cfg;
	/* An application that reads what arrives empties the receive ring at
	 * every read, and an emptied ring goes back to the stack: kept in the
	 * stack's cache it is taken again by the next segment; freed (a
	 * multi-MiB autotuned ring does not fit the core's 2 MiB default) it
	 * is mapped anew and its pages fault in as data lands in them: 13.6%
	 * of `glasstcp get`'s time in a 100 MB download (perf, loss_vs_kernel's
	 * 0% row). The relay raises the cache the same way. */
	if (cfg.buffer_cache_bytes < 64u << 20)
		cfg.buffer_cache_bytes = 64u << 20;
	if (getrandom(cfg.isn_secret, sizeof(cfg.isn_secret), 0) != (ssize_t)sizeof(cfg.isn_secret))
		return fail(prog, "getrandom", -EIO);
	struct gt_device dev = { .transmit = dev_transmit, .transmitv = dev_transmitv, .ctx = rt,
				 .mtu = rt->o.mtu, .rx_csum_verified = rt->o.offload,
				 .tx_csum_offload = rt->o.offload };
	/* The fault wrapper works on whole writes: losing one would lose tens
	 * of segments at once, so with faults the stack cuts its own. */
	if (rt->o.offload && !rt->o.no_tso && !rt->faults) {
		dev.tso_max_bytes = TUN_TSO_MAX_BYTES;
		dev.transmit_gso = dev_transmit_gso; /* the connection's MSS as gso_size */
	}
	rt->stack = gt_stack_new(&cfg, &dev);
	if (!rt->stack)
		return fail(prog, "gt_stack_new (bad configuration?)", -EINVAL);
	int r = rt->o.addr ? gt_stack_add_ipv4(rt->stack, rt->o.addr, rt->o.prefix) : 0;
	if (r < 0)
		return fail(prog, "gt_stack_add_ipv4", r);
	r = rt->o.has_addr6 ? gt_stack_add_ipv6(rt->stack, &rt->o.addr6, rt->o.prefix6) : 0;
	if (r < 0)
		return fail(prog, "gt_stack_add_ipv6", r);
	rt->now_us = tun_now_us();
	gt_stack_poll(rt->stack, rt->now_us);
	return 0;
}

/* io_uring where the kernel allows it (io_uring_disabled, seccomp, an old
 * kernel: read() and write() then, silently; --no-uring asks for them). */
static void open_uring(tun_rt *rt)
{
	if (tun_uring_init(&rt->ur) < 0)
		return;
	rt->tx_slots = malloc((size_t)TX_BATCH_PKTS * TX_SLOT_BYTES);
	if (!rt->tx_slots) {
		tun_uring_fini(&rt->ur);
		return;
	}
	/* A kernel that cannot register files (before 5.1 there is no ring
	 * at all) leaves the plain fd: the same operations, each looking the
	 * file up. */
	rt->st.uring_fixed_file = tun_uring_register_fd(&rt->ur, rt->tun_fd) == 0;
	rt->rx_want = 4;
}

int tun_rt_open(tun_rt **out, const struct tun_options *o, const char *prog)
{
	*out = NULL;
	if (!o->addr && !o->has_addr6) {
		fprintf(stderr, "%s: --addr A/LEN is required\n", prog);
		return -EINVAL;
	}
	tun_rt *rt = calloc(1, sizeof(*rt));
	if (!rt)
		return fail(prog, "out of memory", -ENOMEM);
	rt->o = *o;
	rt->tun_fd = rt->ep_fd = rt->timer_fd = rt->sig_fd = rt->watch_fd = -1;
	rt->ur.fd = -1;
	rt->timer_at_us = UINT64_MAX;
	sigemptyset(&rt->old_mask);
	int r = open_fds(rt, prog);
	if (r == 0 && o->pcap_path) {
		if ((r = tun_pcap_open(&rt->pcap, o->pcap_path)) < 0)
			fail(prog, o->pcap_path, r);
		rt->pcap_on = r == 0;
	}
	if (r == 0 && tun_fault_active(&o->fault)) {
		rt->faults = true;
		if ((r = tun_fault_init(&rt->f_in, &o->fault, o->seed)) < 0 ||
		    (r = tun_fault_init(&rt->f_out, &o->fault, o->seed ^ 0x5bd1e995u)) < 0)
			fail(prog, "fault injector", r);
	}
	if (r == 0 && !o->no_uring)
		open_uring(rt);
	if (r == 0 && o->tx_thread && (r = tun_txw_start(&rt->txw, rt->tun_fd, TX_SLOT_BYTES, !o->no_uring)) < 0)
		fail(prog, "--tx-thread: starting the writer", r);
	if (r == 0)
		r = open_stack(rt, prog);
	if (r < 0) {
		tun_rt_close(rt);
		return r;
	}
	*out = rt;
	return 0;
}

void tun_rt_close(tun_rt *rt)
{
	if (!rt)
		return;
	uring_flush(rt);
	tun_txw_stop(&rt->txw, txw_done, rt);
	if (tun_uring_on(&rt->ur))
		tun_uring_fini(&rt->ur);
	free(rt->tx_slots);
	gt_stack_free(rt->stack);
	if (rt->faults) {
		tun_fault_fini(&rt->f_in);
		tun_fault_fini(&rt->f_out);
	}
	tun_pcap_close(&rt->pcap);
	/* Best effort; the header size too when TUNSETOFFLOAD failed after it. */
	if (rt->tun_fd >= 0)
		tun_dev_restore(rt->tun_fd, rt->ifname, &rt->dev_saved,
				rt->offload_done ? rt->offload_set : rt->dev_saved.offload);
	int fds[] = { rt->tun_fd, rt->ep_fd, rt->timer_fd, rt->sig_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	sigprocmask(SIG_SETMASK, &rt->old_mask, NULL);
	free(rt);
}

int tun_rt_watch(tun_rt *rt, int fd, bool on)
{
	if (!on) {
		if (rt->watch_fd >= 0 && !rt->watch_always)
			epoll_ctl(rt->ep_fd, EPOLL_CTL_DEL, rt->watch_fd, NULL);
		rt->watch_fd = -1;
		rt->watch_always = false;
		return 0;
	}
	if (rt->watch_fd == fd)
		return 0;
	if (rt->watch_fd >= 0)
		tun_rt_watch(rt, rt->watch_fd, false);
	rt->watch_fd = fd;
	struct stat sb;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		rt->watch_always = true;
		return 0;
	}
	return ep_add(rt, fd, EV_WATCH);
}

/* ---- the loop ---- */

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static void arm_timer(tun_rt *rt, uint64_t at_us)
{
	if (at_us == rt->timer_at_us)
		return;
	struct itimerspec its;
	memset(&its, 0, sizeof(its));
	if (at_us != UINT64_MAX) {
		its.it_value.tv_sec = (time_t)(at_us / 1000000u);
		its.it_value.tv_nsec = (long)(at_us % 1000000u) * 1000;
	}
	timerfd_settime(rt->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
	rt->timer_at_us = at_us;
}

/* SIGUSR1: what `ss -tanoi` and `nstat` would show, on standard error. */
static void print_listing(tun_rt *rt)
{
	struct gt_sock_entry e[256];
	size_t n = gt_stack_list(rt->stack, e, 256);
	fprintf(stderr, "--- sockets (%zu) at %.3f s ---\n", n, (double)rt->now_us / 1e6);
	gt_sock_list_print(stderr, e, n < 256 ? n : 256, rt->now_us);
	if (n > 256)
		fprintf(stderr, "(%zu more not shown)\n", n - 256);
	tun_rt_print_counters(rt, stderr);
}

/* Returns true for a signal that ends the loop (SIGINT, SIGTERM). */
static bool on_signal(tun_rt *rt)
{
	struct signalfd_siginfo si;
	bool got = false;
	while (read(rt->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1)
			print_listing(rt);
		else
			got = true;
	}
	return got;
}

/* Waits until an fd is ready or deadline_us; returns true on a signal. */
static bool wait_events(tun_rt *rt, const struct tun_app *app, uint64_t deadline_us)
{
	uring_flush(rt); /* nothing waits in the slots while we sleep */
	int timeout_ms = -1;
	if (deadline_us <= rt->now_us || rt->watch_always)
		timeout_ms = 0;
	else
		arm_timer(rt, deadline_us);
	struct epoll_event ev[8];
	int n = epoll_wait(rt->ep_fd, ev, 8, timeout_ms);
	rt->st.wakeups++;
	rt->now_us = tun_now_us();
	bool sig = false;
	for (int i = 0; i < n; i++) {
		switch (ev[i].data.u32) {
		case EV_TUN:
			rx_batch(rt, app);
			break;
		case EV_TIMER: {
			uint64_t ticks;
			if (read(rt->timer_fd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks))
				rt->timer_at_us = UINT64_MAX;
			break;
		}
		case EV_SIGNAL:
			sig |= on_signal(rt);
			break;
		default:
			break; /* EV_WATCH: the application reads it in step() */
		}
	}
	return sig;
}

static uint64_t conns_open(tun_rt *rt)
{
	struct gt_gauges g;
	gt_stack_gauges(rt->stack, &g);
	return g.conns;
}

int tun_rt_run(tun_rt *rt, const struct tun_app *app, uint64_t limit_us)
{
	uint64_t start = tun_now_us();
	uint64_t end = limit_us ? start + limit_us : UINT64_MAX;
	uint64_t stop_at = UINT64_MAX;
	for (;;) {
		rt->now_us = tun_now_us();
		if (rt->faults) {
			fault_input(rt, app);
			tun_fault_release(&rt->f_out, rt->now_us, dev_write, rt);
		}
		gt_stack_poll(rt->stack, rt->now_us);
		if (app && app->step)
			app->step(app->ctx, rt->stack);
		uring_flush(rt); /* the caller may close or print next */
		if (app && app->done && app->done(app->ctx, rt->stack))
			return stop_at != UINT64_MAX;
		if (stop_at != UINT64_MAX && (rt->now_us >= stop_at || conns_open(rt) == 0))
			return 1;
		if (rt->now_us >= end)
			return -ETIMEDOUT;
		uint64_t dl = min_u64(gt_stack_next_deadline(rt->stack), min_u64(stop_at, end));
		if (rt->faults)
			dl = min_u64(dl, min_u64(tun_fault_next_us(&rt->f_in), tun_fault_next_us(&rt->f_out)));
		if (wait_events(rt, app, dl)) {
			if (stop_at != UINT64_MAX)
				return 1; /* a second signal: leave at once */
			stop_at = rt->now_us + rt->o.grace_us;
			if (app && app->shutdown)
				app->shutdown(app->ctx, rt->stack);
		}
	}
}

static bool drained(void *ctx, gt_stack *s)
{
	return conns_open(ctx) == 0;
}

void tun_rt_drain(tun_rt *rt, uint64_t max_us)
{
	struct tun_app a = { .done = drained, .ctx = rt };
	tun_rt_run(rt, &a, max_us);
}

/* ---- the report at exit ---- */

static void print_counter(void *ctx, const char *name, uint64_t v, const char *desc)
{
	if (v)
		fprintf(ctx, "    %-24s %12" PRIu64 "  %s\n", name, v, desc);
}

static void print_fault(FILE *f, const char *dir, const struct tun_fault *q)
{
	const struct tun_fault_stats *s = &q->st;
	fprintf(f, "  faults %s: %" PRIu64 " in, %" PRIu64 " delivered, %" PRIu64 " lost, %" PRIu64
		" duplicated, %" PRIu64 " reordered, %" PRIu64 " queue-dropped, %u still held\n",
		dir, s->submitted, s->delivered, s->lost, s->duplicated, s->reordered, s->queue_drops,
		q->len);
}

/* The runtime's own counters, one line (named as the `counters:` line is,
 * for scripts): what the kernel dropped on this device since the start (from
 * its link statistics, which the core cannot read: it is sans-I/O), the
 * queue the kernel fills, and how full the read batches were. */
static void print_tun_line(tun_rt *rt, FILE *f)
{
	const struct tun_rt_stats *d = &rt->st;
	struct tun_dev_drops now = { 0, 0 };
	uint32_t qlen = 0;
	int r = rt->drops_err ? rt->drops_err : tun_dev_get_drops(rt->ifname, &now);
	int q = tun_dev_get_txqueuelen(rt->ifname, &qlen);
	fprintf(f, "tun: ");
	if (r == 0)
		fprintf(f, "TunKernelTxDropped %" PRIu64 ", TunKernelRxDropped %" PRIu64 ", ",
			now.tx_dropped - rt->drops0.tx_dropped, now.rx_dropped - rt->drops0.rx_dropped);
	else
		fprintf(f, "kernel drops unknown (%s), ", strerror(-r));
	if (q == 0)
		fprintf(f, "TunTxQueueLen %" PRIu32 ", ", qlen);
	fprintf(f, "TunRxBatches %" PRIu64 ", TunRxBatchMax %" PRIu64 ", TunRxBatchFull %" PRIu64
		", TunTxBusy %" PRIu64,
		d->rx_batches, d->rx_batch_max, d->rx_batch_full, d->tx_busy);
	fprintf(f, ", TunUring %d, TunUringEnters %" PRIu64 ", TunRxUringEmpty %" PRIu64
		", TunTxBatched %" PRIu64 ", TunTxBatchMax %" PRIu64 ", TunUringFailed %" PRIu64
		", TunUringFixedFile %" PRIu64,
		tun_uring_on(&rt->ur), d->uring_enters, d->rx_uring_empty, d->tx_batched,
		d->tx_batch_max, d->uring_failed, tun_uring_on(&rt->ur) ? d->uring_fixed_file : 0);
	fprintf(f, ", TunTxThread %d", rt->txw.on);
	if (rt->txw.on) {
		/* CPU time of each thread so far: where --tx-thread put the work. */
		struct timespec mt = { 0, 0 }, wt = { 0, 0 };
		clockid_t wc;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mt);
		if (pthread_getcpuclockid(rt->txw.th, &wc) == 0)
			clock_gettime(wc, &wt);
		fprintf(f, ", TunTxThreadBanks %" PRIu64 ", TunTxThreadWaits %" PRIu64
			", TunTxThreadEnters %" PRIu64 ", TunTxThreadBankMax %" PRIu64
			", TunMainThreadCpuUs %" PRIu64 ", TunTxThreadCpuUs %" PRIu64,
			rt->txw.handed, rt->txw.waits, rt->txw.enters, rt->txw.batch_max,
			(uint64_t)mt.tv_sec * 1000000u + (uint64_t)mt.tv_nsec / 1000u,
			(uint64_t)wt.tv_sec * 1000000u + (uint64_t)wt.tv_nsec / 1000u);
	}
	if (r == 0)
		fprintf(f, "; device totals tx_dropped %" PRIu64 " rx_dropped %" PRIu64, now.tx_dropped,
			now.rx_dropped);
	fprintf(f, "\n");
	uint64_t r2w = 0;
	for (unsigned b = 0; b < TUN_R2W_BUCKETS; b++)
		r2w += d->read_to_write[b];
	if (r2w) {
		fprintf(f, "  TunReadToWrite (packets read, by the wait until the next write, us):");
		for (unsigned b = 0; b < TUN_R2W_BUCKETS; b++)
			if (b + 1 < TUN_R2W_BUCKETS)
				fprintf(f, " <%u %" PRIu64 ",", 16u << b, d->read_to_write[b]);
			else
				fprintf(f, " more %" PRIu64, d->read_to_write[b]);
		fprintf(f, "; TunRxPartFlushes %" PRIu64 "\n", d->rx_part_flushes);
	}
	if (r == 0 && now.tx_dropped > rt->drops0.tx_dropped)
		fprintf(f, "  the kernel dropped %" PRIu64 " packets on their way to glasstcp: the device's "
			"queue (txqueuelen %" PRIu32 ") was full when they came; --txqueuelen makes it longer\n",
			now.tx_dropped - rt->drops0.tx_dropped, qlen);
}

void tun_print_counters_line(gt_stack *stack, FILE *f)
{
	const struct gt_stats *st = gt_stack_stats(stack);
	struct gt_gauges g;
	gt_stack_gauges(stack, &g);
	fprintf(f, "counters: ActiveOpens %" PRIu64 ", PassiveOpens %" PRIu64 ", EstabResets %" PRIu64
		", InSegs %" PRIu64 ", OutSegs %" PRIu64 ", RetransSegs %" PRIu64 ", InErrs %" PRIu64
		", OutRsts %" PRIu64 ", InRsts %" PRIu64 ", AbortOnLinger %" PRIu64
		", AbortOnClose %" PRIu64 ", TW %" PRIu64 ", TWExpired %" PRIu64
		"; TIME_WAIT now %u (peak %u), connections now %u\n",
		st->TcpActiveOpens, st->TcpPassiveOpens, st->TcpEstabResets, st->TcpInSegs,
		st->TcpOutSegs, st->TcpRetransSegs, st->TcpInErrs, st->TcpOutRsts, st->TcpInRsts,
		st->TcpAbortOnLinger, st->TcpAbortOnClose, st->TW, st->TWExpired, g.timewait,
		g.timewait_peak, g.conns);
}

void tun_rt_print_counters(tun_rt *rt, FILE *f)
{
	tun_txw_sync(&rt->txw, txw_done, rt); /* every write counted */
	const struct tun_rt_stats *d = &rt->st;
	const struct gt_stats *st = gt_stack_stats(rt->stack);
	fprintf(f, "device %s%s: rx %" PRIu64 " pkts %" PRIu64 " bytes, tx %" PRIu64 " pkts %" PRIu64
		" bytes, %" PRIu64 " not for the stack, %" PRIu64 " rx errors, %" PRIu64 " tx errors, %" PRIu64
		" wakeups, %" PRIu64 " batches\n",
		rt->ifname, rt->o.offload ? " (offload)" : "", d->rx_pkts, d->rx_bytes, d->tx_pkts,
		d->tx_bytes, d->rx_not_ip, d->rx_errors, d->tx_errors, d->wakeups, d->rx_batches);
	print_tun_line(rt, f);
	if (rt->o.offload)
		fprintf(f, "  offload: %" PRIu64 " TSO super-segments in, %" PRIu64
			" checksums completed, %" PRIu64 " partial TCP checksums taken as the kernel's, %" PRIu64
			" TCP checksums checked (%" PRIu64 " bad); %" PRIu64 " GSO writes out, cut into %" PRIu64
			" segments, %" PRIu64 " partial checksums completed for the capture\n",
			d->rx_gso_pkts, d->rx_csum_fixed, d->rx_csum_trusted, d->rx_csum_checked,
			d->rx_csum_bad, d->tx_gso_pkts, d->tx_gso_segs, d->tx_csum_filled);
	if (rt->o.offload)
		fprintf(f, "  offload: TunRxGsoTcp %" PRIu64 " (TCP GSO packets handed with their "
			"gso_size, TunRxGsoSizeMin %" PRIu64 ", TunRxGsoSizeMax %" PRIu64 "), TunRxGsoBad %"
			PRIu64 " (bad GSO headers, handed as plain packets)\n",
			d->rx_gso_tcp, d->rx_gso_size_min, d->rx_gso_size_max, d->rx_gso_bad);
	if (rt->faults) {
		print_fault(f, "in ", &rt->f_in);
		print_fault(f, "out", &rt->f_out);
	}
	if (rt->pcap_on)
		fprintf(f, "  pcap: %" PRIu64 " packets written, %" PRIu64 " write errors\n",
			rt->pcap.packets, rt->pcap.write_errors);
	tun_print_counters_line(rt->stack, f);
	if (rt->o.all_counters) {
		fprintf(f, "  all non-zero counters:\n");
		gt_stats_foreach(st, print_counter, f);
	}
}
