/* The relay's event loop and device. One epoll set holds the namespace's
 * TUN device, a signalfd (SIGINT/SIGTERM, SIGUSR1 for the listing, SIGCHLD
 * for the command) and every host socket, edge-triggered; the loop sleeps
 * in it until the stack's next deadline (and the relay's own sweeps) at
 * the latest. Packets read from the
 * device are parsed here and dispatched: TCP to tcp_flow.c (then, rewritten,
 * to the stack in groups through gt_stack_input_batch()), UDP to
 * udp_flow.c, ICMP echo for the gateway to the stack as it is. The stack's
 * packets leave through the device callbacks below, rewritten back. */
#define _GNU_SOURCE
#include "runtime/relay/relay_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/virtio_net.h>
#include <unistd.h>

/* Every packet on the device has a virtio-net header first (ns.c opens it
 * with IFF_VNET_HDR and checksum offload). From the namespace it says
 * whether the transport checksum was left partial (the namespace's TCP
 * does so, as over a veth: the relay takes those as they are and checks
 * the rest, so the stack checks none). To the namespace, the stack's TCP
 * segments go the same way (tx_csum_offload, r->tx_partial): the checksum
 * field holds the pseudo-header's sum and the header says
 * VIRTIO_NET_HDR_F_NEEDS_CSUM from the transport header on, which the
 * namespace's kernel takes as checked for its own sockets (Linux's
 * CHECKSUM_PARTIAL, skb_csum_unnecessary()) and completes for a packet it
 * forwards. Complete, they cost twice: the relay's sum of every byte sent
 * was 11-14% of its samples in a download, and the namespace's kernel
 * summed them again (__skb_checksum_complete() under tcp_rcv_established(),
 * 3-4%): the TUN driver does not act on VIRTIO_NET_HDR_F_DATA_VALID in a
 * write (an AF_PACKET socket inside sees them without
 * TP_STATUS_CSUM_VALID; interop.relay_tx_csum, docs/relay.md). With
 * --pcap they are complete all the same (the capture shows what the
 * namespace gets). The relay's own packets (RSTs, ICMP, UDP) are complete
 * and the kernel checks them. */
#define VNET_BYTES sizeof(struct virtio_net_hdr)
/* A read lands so that the IPv4 header, after the virtio-net header,
 * starts RX_PKT_OFF bytes into its slot: aligned as the stack expects. */
#define RX_PKT_OFF 64u
#define RX_SLOT_BYTES (RX_PKT_OFF + 65536u)

void relay_config_default(struct relay_config *c)
{
	memset(c, 0, sizeof(*c));
	tun_options_default(&c->tun);
	c->tun.mtu = 65520;           /* as pasta: few, large packets on a link that cannot lose */
	c->tun.grace_us = 1000000;
	c->ns_addr = 0x0a000264;      /* 10.0.2.100, slirp's */
	c->ns_prefix = 24;
	c->gw_addr = 0x0a000202;      /* 10.0.2.2 */
	c->dns_addr = 0x0a000203;     /* 10.0.2.3 */
	c->dns_fwd_port = 53;
	c->map_gw = true;
	c->ipv6 = true;
	static const uint8_t ns6[16] = { 0xfd, [15] = 0x00, [14] = 0x01 }; /* fd00::100 */
	static const uint8_t gw6[16] = { 0xfd, [15] = 0x02 };               /* fd00::2 */
	static const uint8_t dns6[16] = { 0xfd, [15] = 0x03 };              /* fd00::3 */
	memcpy(c->ns_addr6, ns6, 16);
	memcpy(c->gw_addr6, gw6, 16);
	memcpy(c->dns_addr6, dns6, 16);
	c->ns_prefix6 = 64;
	c->max_flows = 65536;
	c->max_udp_flows = 1024;
	c->chunk_bytes = 65536;
	c->handshake_timeout_ms = 75000; /* a client's SYN retries, and the stack's SYN-ACK ones */
	c->udp_timeout_ms = 60000;
	c->loopback_cc = "cubic";
	c->busy_poll_us = 200;        /* the spin window's longest (spin_adapt()); docs/relay.md, Numbers: The round trip, 7 Dec 2026 */
	c->tx_batch = RELAY_TX_BATCH_MAX; /* docs/relay.md, Numbers: The connection rate, 5 Dec 2026 */
	c->late_us = RELAY_LATE_US;
}

uint32_t relay_hash4(uint32_t a, uint16_t ap, uint32_t b, uint16_t bp)
{
	uint64_t h = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)ap << 16 | bp) * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

uint64_t relay_tag(int kind, uint32_t slot, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint64_t)kind << 24 | (slot & 0xffffffu);
}

int relay_ep_add(struct relay *r, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };
	return epoll_ctl(r->ep_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

bool relay_dns_on(const struct relay_config *c)
{
	return c->dns_fwd_addr || c->dns_fwd_v6;
}

int relay_host_target(const struct relay *r, uint32_t dst, uint16_t dport, uint8_t proto,
		      uint32_t *to_addr, uint8_t to6[16], uint16_t *to_port)
{
	const struct relay_config *c = &r->cfg;
	(void)proto;
	*to_port = dport;
	if (dst == c->gw_addr) {
		*to_addr = 0x7f000001; /* the host's loopback */
		return c->map_gw ? 0 : -1;
	}
	if (dst == c->dns_addr) {
		if (dport != 53 || !relay_dns_on(c))
			return -1;
		*to_port = c->dns_fwd_port;
		if (c->dns_fwd_v6) {
			/* An IPv4 lookup to an IPv6 resolver: the host socket
			 * is IPv6, the namespace's flow stays IPv4. */
			*to_addr = 0;
			memcpy(to6, c->dns_fwd_addr6, 16);
			return 1;
		}
		*to_addr = c->dns_fwd_addr;
		return 0;
	}
	uint32_t mask = c->ns_prefix ? ~0u << (32 - c->ns_prefix) : 0;
	if (dst == 0 || (dst >> 24) == 127 || (dst >> 28) >= 0xe || (dst & mask) == (c->ns_addr & mask))
		return -2; /* nobody else on the namespace's link; no loopback, multicast */
	*to_addr = dst;
	return 0;
}

int relay_host_target6(const struct relay *r, const uint8_t dst[16], uint16_t dport, uint8_t to[16],
		       uint16_t *to_port)
{
	const struct relay_config *c = &r->cfg;
	static const uint8_t zero[16], mapped[12] = { [10] = 0xff, [11] = 0xff };
	*to_port = dport;
	if (!memcmp(dst, c->gw_addr6, 16)) {
		memset(to, 0, 16);
		to[15] = 1; /* the host's ::1 */
		return c->map_gw ? 0 : -1;
	}
	if (!memcmp(dst, c->dns_addr6, 16)) {
		if (dport != 53 || !relay_dns_on(c))
			return -1;
		*to_port = c->dns_fwd_port;
		if (c->dns_fwd_v6) {
			memcpy(to, c->dns_fwd_addr6, 16);
			return 0;
		}
		/* The IPv4 resolver, IPv4-mapped: an IPv6 host socket reaches
		 * it (net.ipv6.bindv6only is 0 for sockets that do not ask). */
		memcpy(to, mapped, 12);
		to[12] = (uint8_t)(c->dns_fwd_addr >> 24);
		to[13] = (uint8_t)(c->dns_fwd_addr >> 16);
		to[14] = (uint8_t)(c->dns_fwd_addr >> 8);
		to[15] = (uint8_t)c->dns_fwd_addr;
		return 0;
	}
	uint8_t pl = c->ns_prefix6;
	bool same = !memcmp(dst, c->ns_addr6, pl / 8) &&
		    (pl % 8 == 0 || ((dst[pl / 8] ^ c->ns_addr6[pl / 8]) >> (8 - pl % 8)) == 0);
	if (same || !memcmp(dst, zero, 15) || dst[0] == 0xff || (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) ||
	    !memcmp(dst, mapped, 12))
		return -2; /* nobody else on the link; no loopback, link-local, multicast, IPv4 */
	memcpy(to, dst, 16);
	return 0;
}

/* ---- the device ---- */

/* A packet to the namespace, iov[1..n-1] (iov[0] is for the virtio-net
 * header; iov[1] starts with the IP header): the stack's TCP segments
 * have partial checksums (NEEDS_CSUM at the TCP header), or with --pcap
 * complete ones (DATA_VALID, which the TUN driver ignores: above); the
 * rest (ICMP, the relay's own RSTs and datagrams) are complete too. */
static size_t l4_off(const uint8_t *p, size_t len, uint8_t *proto)
{
	if (p[0] >> 4 == 6) {
		*proto = len >= 40 ? p[6] : 0;
		return 40;
	}
	*proto = p[9];
	return (size_t)(p[0] & 0xf) * 4;
}

/* The queued device writes, now: before the loop waits (wait_events()),
 * before the device is read again (rx_batch()), at the end. A packet that
 * failed is taken off TxPkts/TxBytes and counted in TxErrors, as a
 * writev() that failed is. */
static void tx_flush(struct relay *r)
{
	if (!r->txq)
		return;
	uint64_t bad_bytes;
	uint32_t bad = relay_txq_flush(r->txq, &r->st, &bad_bytes);
	r->st.TxErrors += bad;
	r->st.TxPkts -= bad;
	r->st.TxBytes -= bad_bytes - (uint64_t)bad * VNET_BYTES;
}

static void tun_write_v(struct relay *r, bool stack_tcp, struct iovec *iov, int n, size_t len)
{
	struct virtio_net_hdr vh;
	memset(&vh, 0, sizeof(vh));
	if (stack_tcp && r->tx_partial) {
		const uint8_t *ip = iov[1].iov_base;
		vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh.csum_start = (uint16_t)(ip[0] >> 4 == 6 ? 40 : (ip[0] & 0xf) * 4u);
		vh.csum_offset = 16; /* the TCP checksum */
	} else if (stack_tcp) {
		vh.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	}
	iov[0] = (struct iovec){ &vh, VNET_BYTES };
	/* Small packets wait in the queue for the pass's one
	 * io_uring_enter() (txq.c, tx_flush()); a longer one goes at once,
	 * after those queued before it. */
	if (r->txq && relay_txq_full(r->txq))
		tx_flush(r);
	if (!r->txq || !relay_txq_put(r->txq, iov, n, VNET_BYTES + len)) {
		tx_flush(r);
		if (writev(r->tun_fd, iov, n) != (ssize_t)(VNET_BYTES + len)) {
			r->st.TxErrors++;
			return;
		}
	}
	r->st.TxPkts++;
	r->st.TxBytes += len;
	if (stack_tcp) {
		const uint8_t *ip = iov[1].iov_base;
		uint8_t proto;
		size_t h = l4_off(ip, iov[1].iov_len, &proto);
		if (iov[1].iov_len >= h + 14 && (ip[h + 13] & 0x03))
			r->tx_synfin++;
	}
}

static void tun_write_pkt(struct relay *r, const uint8_t *pkt, size_t len, bool stack_tcp)
{
	if (r->pcap_on)
		tun_pcap_write(&r->pcap, pkt, len);
	struct iovec iov[2];
	iov[1] = (struct iovec){ (void *)pkt, len };
	tun_write_v(r, stack_tcp, iov, 2, len);
}

/* ---- the stack's pure ACKs, held back while a group is handled ----
 *
 * The stack answers a segment from the namespace at once, inside
 * gt_stack_input_batch(): for the first byte of a request, a pure ACK
 * (quick-ACK mode) whose write to the device runs the namespace's TCP
 * input for it in this process before the byte has gone on to the host
 * socket. Held back until the group's flows have been pumped, the byte
 * reaches the far server first; and a held ACK is dropped when the stack
 * sends the same connection a segment with data, FIN or RST after it,
 * which carries the same acknowledgment or a later one (never for a later
 * pure ACK: two pure ACKs may be duplicate ACKs, RFC 5681 2, and both go). */

/* The same connection: the addresses and ports of the stack's packets. */
static bool same_conn(const uint8_t *a, const uint8_t *b)
{
	if (a[0] >> 4 != b[0] >> 4)
		return false;
	uint8_t pa, pb;
	size_t ha = l4_off(a, 60, &pa), hb = l4_off(b, 60, &pb);
	return a[0] >> 4 == 6 ? !memcmp(a + 8, b + 8, 32) && !memcmp(a + ha, b + hb, 4)
			      : !memcmp(a + 12, b + 12, 8) && !memcmp(a + ha, b + hb, 4);
}

/* Writes the held ACKs of hdr's connection: a pure ACK that is not held
 * goes after them, never before (two pure ACKs may be duplicate ACKs). */
static void flush_conn(struct relay *r, const uint8_t *hdr)
{
	for (uint32_t i = 0; i < r->held_n; i++) {
		if (r->held_len[i] && same_conn(r->held[i], hdr)) {
			tun_write_pkt(r, r->held[i], r->held_len[i], true);
			r->held_len[i] = 0;
		}
	}
}

/* Takes the stack's TCP packet (hdr: its headers, len: the whole packet)
 * when it is a pure ACK to hold (while a group is handled: hold_acks);
 * else drops the held ACKs it supersedes, or writes those it must follow.
 * true: held (not to be written now). */
static bool hold_ack(struct relay *r, const uint8_t *hdr, size_t hdr_len, size_t len)
{
	uint8_t proto;
	size_t h = l4_off(hdr, hdr_len, &proto);
	if (proto != RELAY_PROTO_TCP || hdr_len < h + 20)
		return false;
	uint8_t flags = hdr[h + 13];
	bool pure = flags == 0x10 && len == h + (size_t)(hdr[h + 12] >> 4) * 4;
	if (pure && r->hold_acks && len <= RELAY_ACK_BYTES && r->held_n < RELAY_ACK_HOLD) {
		memcpy(r->held[r->held_n], hdr, len);
		r->held_len[r->held_n++] = (uint16_t)len;
		r->st.AcksHeld++;
		return true;
	}
	if (!pure && (len > h + (size_t)(hdr[h + 12] >> 4) * 4 || (flags & 0x05))) {
		for (uint32_t i = 0; i < r->held_n; i++) {
			if (r->held_len[i] && same_conn(r->held[i], hdr)) {
				r->held_len[i] = 0;
				r->st.AcksSuperseded++;
			}
		}
	} else {
		flush_conn(r, hdr);
	}
	return false;
}

static void flush_acks(struct relay *r)
{
	r->hold_acks = false;
	for (uint32_t i = 0; i < r->held_n; i++)
		if (r->held_len[i])
			tun_write_pkt(r, r->held[i], r->held_len[i], true);
	r->held_n = r->held_over_n = 0;
	r->held_at_us = 0;
	tx_flush(r);
}

/* The end of a group from the device. With --busy-poll-us the held ACKs
 * outlive it: the loop spins for the reply to the request they
 * acknowledge, and the reply carries them (AcksSuperseded), one device
 * write and one TCP input of the namespace's fewer per exchange; those
 * left are written before the loop sleeps, and the spin's window after
 * they were kept at the latest (run_loop()): a delayed ACK of tens of
 * microseconds, where RFC 1122 4.2.3.2 allows 500 ms. */
static void end_group(struct relay *r)
{
	r->hold_acks = false;
	if (!r->cfg.busy_poll_us || !r->held_n) {
		flush_acks(r);
		return;
	}
	if (!r->held_at_us)
		r->held_at_us = r->now_us;
	for (uint32_t i = r->held_over_n; i < r->held_n; i++)
		r->st.AcksHeldOver += r->held_len[i] != 0;
	r->held_over_n = r->held_n;
}

/* The relay's own packets (RST, ICMP, UDP): complete checksums. */
void relay_tun_write(struct relay *r, const void *pkt, size_t len)
{
	tun_write_pkt(r, pkt, len, false);
}

/* A packet of the stack (*ip, *len: 20 writable bytes before it): TCP to
 * a synthetic peer is rewritten to the flow's real addresses (an IPv6
 * flow's made IPv6 again, starting 20 bytes before); ICMP (echo replies
 * for the gateway) goes as it is. *tcp: it is the stack's TCP. */
static bool from_stack(struct relay *r, uint8_t **ip, size_t *len, bool *tcp)
{
	if (*len < 20)
		return false;
	if ((*ip)[0] >> 4 == 6) {
		/* IPv6 only for a forwarded IPv6 client's connection (-t),
		 * addressed to the namespace already. */
		*tcp = *len >= 60 && (*ip)[6] == RELAY_PROTO_TCP;
		return *tcp;
	}
	size_t ihl = (size_t)((*ip)[0] & 0xf) * 4;
	*tcp = (*ip)[9] == RELAY_PROTO_TCP;
	if (*tcp)
		return ihl + 20 <= *len && relay_tcp_to_ns(r, ip, len);
	return (*ip)[9] == RELAY_PROTO_ICMP;
}

/* Room before a packet of the stack's for its IPv6 form (relay_tcp4_to6()). */
#define TX_HEADROOM 32u

static int dev_transmit(void *ctx, const void *pkt, size_t len)
{
	struct relay *r = ctx;
	if (len > TUN_MAX_PKT_BYTES)
		return -1;
	uint8_t *buf = r->txbuf + 65536 + TX_HEADROOM; /* the stack's own half of txbuf */
	memmove(buf, pkt, len); /* dev_transmitv() may have joined the pieces just before it */
	bool tcp;
	if (!from_stack(r, &buf, &len, &tcp))
		return 0;
	if (tcp && (r->hold_acks || r->held_n) && hold_ack(r, buf, len, len))
		return 0;
	tun_write_pkt(r, buf, len, tcp);
	return 0;
}

/* The first piece of the stack's output holds the IPv4 and TCP headers
 * whole: the rewrite and the IPv6 form touch nothing past them. */
static bool headers_whole(const uint8_t *p, size_t len)
{
	if (len < 20)
		return false;
	if (p[0] >> 4 == 6) /* no extension headers from the stack */
		return len >= 60 && (p[6] != RELAY_PROTO_TCP || len >= 40 + (size_t)(p[52] >> 4) * 4);
	size_t ihl = (size_t)(p[0] & 0xf) * 4;
	if (p[9] != RELAY_PROTO_TCP)
		return true;
	return len >= ihl + 20 && len >= ihl + (size_t)(p[ihl + 12] >> 4) * 4;
}

/* Gather output: the headers (first piece) are copied and rewritten, the
 * payload goes from the stack's send buffer straight into writev(). */
static int dev_transmitv(void *ctx, const struct gt_iovec *v, int n)
{
	struct relay *r = ctx;
	uint8_t room[TX_HEADROOM + 128];
	uint8_t *hdr = room + TX_HEADROOM;
	if (n < 1 || n > 4 || v[0].len > sizeof(room) - TX_HEADROOM || r->pcap_on ||
	    !headers_whole(v[0].base, v[0].len)) {
		int len = gt_iovec_join(r->txbuf + 65536, 65536, v, n);
		return len < 0 ? -1 : dev_transmit(r, r->txbuf + 65536, (size_t)len);
	}
	memcpy(hdr, v[0].base, v[0].len);
	size_t len = v[0].len;
	struct iovec iov[5]; /* the virtio-net header, then the pieces */
	for (int i = 1; i < n; i++) {
		iov[i + 1] = (struct iovec){ (void *)v[i].base, v[i].len };
		len += v[i].len;
	}
	size_t rest = len - v[0].len;
	bool tcp;
	if (!from_stack(r, &hdr, &len, &tcp))
		return 0;
	if (tcp && (r->hold_acks || r->held_n) && hold_ack(r, hdr, len - rest, len))
		return 0;
	iov[1] = (struct iovec){ hdr, len - rest };
	tun_write_v(r, tcp, iov, n + 1, len);
	return 0;
}

/* An IPv6 packet from the namespace (relay.ipv6): TCP as IPv4's, through
 * the stack after translation (tcp_flow.c; a forwarded IPv6 client's
 * segments, -t, go to the stack as they are); an echo to the gateway or
 * the resolver address answered here (the stack sees IPv4 but for -t); UDP
 * and echo to other addresses through IPv6 host sockets (udp_flow.c).
 * Other ICMPv6 (router solicitations, MLD reports) stays inside: dropped
 * and counted (Rx6Dropped). */
static bool from_ns6(struct relay *r, struct relay_pkt *p, struct gt_iovec *out)
{
	if (!r->cfg.ipv6) {
		r->st.Rx6Dropped++;
		return false;
	}
	if (p->proto == RELAY_PROTO_TCP) {
		if (!relay_tcp_from_ns(r, p))
			return false;
		*out = (struct gt_iovec){ p->ip, p->len };
		return true;
	}
	if (p->proto == RELAY_PROTO_ICMP6 && p->l4[0] == RELAY_ICMP6_ECHO && p->l4[1] == 0 &&
	    (!memcmp(p->dst6, r->cfg.gw_addr6, 16) || !memcmp(p->dst6, r->cfg.dns_addr6, 16))) {
		if (!p->csum_partial && !relay_pkt_l4_csum_ok(p)) {
			r->st.RxBadCsum++;
			return false;
		}
		uint8_t src[16];
		memcpy(src, p->src6, 16);
		/* The reply is made over the request, in the read buffer. */
		uint8_t me[16];
		memcpy(me, p->dst6, 16); /* the gateway's or the resolver's */
		size_t n = relay_emit_echo6_reply(p->ip, p->len, me, src, p->l4, p->l4_len);
		if (n) {
			relay_tun_write(r, p->ip, n);
			r->st.Icmp6EchoToGw++;
		}
		return false;
	}
	if (p->proto == RELAY_PROTO_UDP) {
		relay_udp_from_ns(r, p);
		return false;
	}
	if (p->proto == RELAY_PROTO_ICMP6 && p->l4[0] == RELAY_ICMP6_ECHO && p->l4[1] == 0) {
		relay_icmp_echo_from_ns(r, p); /* through an IPv6 ping socket */
		return false;
	}
	r->st.Rx6Dropped++;
	return false;
}

/* One packet from the namespace. Returns true when it is for the stack
 * (rewritten where needed), to be handed over with the group. */
static bool from_ns(struct relay *r, uint8_t *buf, size_t n, bool partial, struct gt_iovec *out)
{
	struct relay_pkt p;
	enum relay_pkt_verdict v = relay_pkt_parse(buf, n, &p);
	p.csum_partial = partial;
	switch (v) {
	case RELAY_PKT_OK: break;
	case RELAY_PKT_NOT_IPV4: r->st.RxNotIpv4++; return false;
	case RELAY_PKT_FRAGMENT: r->st.RxFragments++; return false;
	case RELAY_PKT_BAD_L4: r->st.RxBadL4++; return false;
	case RELAY_PKT_V6_EXT: r->st.Rx6Dropped++; return false;
	default: r->st.RxBadIp++; return false;
	}
	r->st.RxPkts++;
	r->st.RxBytes += p.len;
	if (p.v6)
		return from_ns6(r, &p, out);
	switch (p.proto) {
	case RELAY_PROTO_TCP:
		if (!relay_tcp_from_ns(r, &p))
			return false;
		*out = (struct gt_iovec){ p.ip, p.len };
		return true;
	case RELAY_PROTO_UDP:
		relay_udp_from_ns(r, &p);
		return false;
	case RELAY_PROTO_ICMP:
		if (p.l4_len >= 8 && p.l4[0] == RELAY_ICMP_ECHO &&
		    (p.dst == r->cfg.gw_addr || p.dst == r->cfg.dns_addr)) {
			r->st.IcmpEchoToStack++; /* the stack answers for its own addresses */
			*out = (struct gt_iovec){ p.ip, p.len };
			return true;
		}
		if (p.l4_len >= 8 && p.l4[0] == RELAY_ICMP_ECHO && p.l4[1] == 0) {
			relay_icmp_echo_from_ns(r, &p);
			return false;
		}
		r->st.IcmpDropped++;
		return false;
	default:
		r->st.RxOtherProto++;
		return false;
	}
}

/* A TCP segment with payload (ip: a packet for the stack, as rewritten). */
static bool tcp_data(const uint8_t *ip, size_t len)
{
	uint8_t proto;
	size_t h = l4_off(ip, len, &proto);
	return proto == RELAY_PROTO_TCP && len >= h + 20 && len > h + (size_t)(ip[h + 12] >> 4) * 4;
}

static void after_input(struct relay *r)
{
	relay_tcp_stack_events(r);
	relay_tcp_pump_dirty(r);
	relay_tcp_stack_events(r);
}

/* Reads until the device is empty or RELAY_RX_BATCH packets; the stack gets
 * them RELAY_RX_GROUP at a time, the flows are pumped between groups.
 *
 * The device is in the epoll set level-triggered, and a TUN device says
 * nothing of its queue but by a read that fails: draining it costs a
 * read() that returns EAGAIN at every wakeup, one system call in seven of
 * a 1-byte echo's (docs/relay.md). So while the last drain found a lone
 * packet (rx_single), a wakeup reads one packet and stops
 * (RxSingleReads): a second one waiting makes the next epoll_wait()
 * return at once. The device is drained again (RxDrains) when that
 * happens (a single read in the loop's round before: packets come
 * faster than one a wakeup, as a connection's handshake and request
 * do), at every RELAY_RX_PROBE-th wakeup, and a big packet (a bulk
 * sender's) ends the single reads.
 * Returns false when the device is gone (its namespace ended). */
static bool rx_batch(struct relay *r)
{
	unsigned reads = 0, limit = RELAY_RX_BATCH;
	bool empty = false, gone = false, big = false, drain = true;
	bool again = r->rx_single_round + 1 == r->loop_rounds;
	if (r->rx_single && !again && ++r->rx_wakeups % RELAY_RX_PROBE != 0) {
		limit = 1;
		drain = false;
		r->rx_single_round = r->loop_rounds;
		r->st.RxSingleReads++;
	} else {
		r->st.RxDrains++;
	}
	while (!empty && reads < limit) {
		struct gt_iovec v[RELAY_RX_GROUP];
		size_t nv = 0, nd = 0;
		r->now_us = tun_now_us();
		for (unsigned k = 0; k < RELAY_RX_GROUP && reads < limit; k++) {
			uint8_t *slot = r->rx + (size_t)nv * RX_SLOT_BYTES + RX_PKT_OFF - VNET_BYTES;
			ssize_t n = read(r->tun_fd, slot, VNET_BYTES + 65536u);
			if (n < 0) {
				gone = errno != EAGAIN && errno != EINTR;
				r->st.RxEmptyReads += !gone;
				empty = true;
				break;
			}
			reads++;
			big |= (size_t)n > VNET_BYTES + RELAY_RX_SMALL;
			struct virtio_net_hdr vh;
			if ((size_t)n < VNET_BYTES) {
				r->st.RxBadVnet++;
				continue;
			}
			memcpy(&vh, slot, VNET_BYTES);
			if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
				r->st.RxBadVnet++; /* no TSO was offered (ns.c) */
				continue;
			}
			uint8_t *pkt = slot + VNET_BYTES;
			size_t len = (size_t)n - VNET_BYTES;
			if (r->pcap_on)
				tun_pcap_write(&r->pcap, pkt, len);
			if (from_ns(r, pkt, len, vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM, &v[nv])) {
				nd += tcp_data(v[nv].base, v[nv].len);
				nv++;
			}
		}
		/* A few segments with data: request/response traffic, whose
		 * byte should reach the server before the stack's ACK reaches
		 * the namespace. A bulk sender's group is long, and its ACKs go
		 * at once: held behind the pump's sendmsg() of the whole group
		 * they slowed an upload (iperf3, bench/relay_vs.sh). Pure ACKs,
		 * SYNs and FINs are not counted: a SYN answered at once
		 * (tcp_flow.c, a loopback connect) brings the namespace's ACK
		 * and first request into the group that holds the last
		 * connection's FIN and ACKs. */
		r->hold_acks = nd <= RELAY_ACK_HOLD_GROUP;
		uint64_t synfin = r->tx_synfin;
		if (nv)
			gt_stack_input_batch(r->stack, r->now_us, v, nv);
		after_input(r);
		end_group(r);
		tx_flush(r); /* before the device is read again */
		/* A SYN-ACK or FIN written to the device ran the namespace's
		 * TCP input in this process, which answers it at once (the
		 * handshake's last ACK, the ACK of the FIN): that answer is
		 * queued already, and is read now rather than after an
		 * epoll_wait(). Data it ACKs later, or not alone. */
		if (!drain && r->tx_synfin != synfin && limit < RELAY_RX_BATCH)
			limit = reads + 1;
	}
	if (drain)
		r->rx_single = empty && reads <= 1;
	/* What the single reads follow: interop.relay_rx_single compares
	 * them with these, which a loaded machine's late relay (packets
	 * waiting two at a time) makes fewer. */
	r->st.RxLoneDrains += drain && r->rx_single && !big;
	if (big)
		r->rx_single = false;
	return !gone;
}

/* ---- counters and the listing ---- */

#define STAT(name) { #name, offsetof(struct relay_stats, name) }
static const struct {
	const char *name;
	size_t off;
} stat_names[] = {
	STAT(FlowsOpened), STAT(FlowsEstablished), STAT(FlowsRefused), STAT(FlowsUnreachable),
	STAT(FlowsTimedOut), STAT(FlowLimitHit), STAT(FlowSocketErrors), STAT(SynRetransHeld),
	STAT(HandshakeTimeouts), STAT(IdleTimeouts), STAT(FinsFromNs), STAT(FinsFromHost), STAT(NsClosedFirst),
	STAT(HostClosedFirst), STAT(ResetsFromNs), STAT(ResetsFromHost), STAT(RstToStray),
	STAT(RstToBlocked), STAT(BytesUp), STAT(BytesDown), STAT(StackMemWaits), STAT(FlowsNow), STAT(FlowsPeak), STAT(FlowsLinger),
	STAT(NatMisses), STAT(UdpFlowsOpened), STAT(UdpFlowsExpired), STAT(UdpFlowLimitHit),
	STAT(UdpDgramsUp), STAT(UdpDgramsDown), STAT(UdpBytesUp), STAT(UdpBytesDown),
	STAT(UdpDropped), STAT(UdpPortUnreach), STAT(DnsQueries), STAT(IcmpEchoToStack),
	STAT(IcmpDropped), STAT(IcmpEchoRelayed), STAT(IcmpEchoReplies),
	STAT(IcmpSocketErrors), STAT(IcmpErrorsRelayed), STAT(IcmpTtlExceeded), STAT(RxPkts), STAT(RxBytes), STAT(TxPkts), STAT(TxBytes), STAT(TxErrors), STAT(TxBatches), STAT(TxBatchedPkts), STAT(TxFlushWrites), STAT(TxRingFailed),
	STAT(RxNotIpv4), STAT(RxBadIp), STAT(RxFragments), STAT(RxBadL4), STAT(RxBadCsum),
	STAT(RxOtherProto), STAT(RxBadVnet), STAT(RxEmptyReads), STAT(RxSingleReads), STAT(RxDrains), STAT(SocksConnects), STAT(SocksOk), STAT(SocksRefused),
	STAT(SocksUnreachable), STAT(SocksFailed), STAT(SocksAuthFailed), STAT(SocksBadReplies),
	STAT(SocksProxyErrors), STAT(SocksTimeouts), STAT(SocksPending), STAT(FwdAccepted),
	STAT(FwdEstablished), STAT(FwdRefused), STAT(FwdUnreachable), STAT(FwdTimedOut),
	STAT(FwdErrors), STAT(FwdAcceptPaused), STAT(HostCcErrors), STAT(HostNoDelaySet), STAT(Flows6Opened),
	STAT(Icmp6EchoToGw), STAT(Rx6Dropped), STAT(AcksHeld), STAT(AcksSuperseded),
	STAT(ConnectsAtOnce), STAT(ReadsAfterSend), STAT(RepliesAtOnce), STAT(GuessedEofs),
	STAT(BusyPolls), STAT(BusyPollHits), STAT(BusyPollSleeps), STAT(BusyPollBackoffs),
	STAT(BusyPollLostHits), STAT(BusyPollLostForgiven), STAT(BusyPollGrows), STAT(BusyPollShrinks), STAT(BusyPollWindowUs), STAT(AcksHeldOver),
	STAT(FinsDeferred), STAT(LateRuns), STAT(LateAtDeadline), STAT(HostAcksHeld), STAT(HostAcksForced), STAT(SocketsMadeAhead), STAT(SocketsTakenReady),
	STAT(DownReads), STAT(DownReadsShort),
	STAT(RxLoneDrains),
};

static void print_counters(struct relay *r, FILE *f)
{
	fprintf(f, "relay:");
	for (size_t i = 0; i < sizeof(stat_names) / sizeof(stat_names[0]); i++) {
		uint64_t v;
		memcpy(&v, (const char *)&r->st + stat_names[i].off, sizeof(v));
		fprintf(f, "%s %s %" PRIu64, i ? "," : "", stat_names[i].name, v);
	}
	/* The stack's side of the memory: its buffers now (--stack-mem bounds
	 * them) and the allocations that limit refused. */
	struct gt_gauges g;
	gt_stack_gauges(r->stack, &g);
	const struct gt_stats *st = gt_stack_stats(r->stack);
	fprintf(f, ", StackBufBytes %" PRIu64 ", StackBufLimitHit %" PRIu64 ", StackKeepAliveProbes %" PRIu64
		", StackKeepAliveAborts %" PRIu64, g.buffer_bytes, st->TcpBufLimit,
		st->TcpKeepAliveProbes, st->TcpKeepAliveAborts);
	/* What sent the stack's retransmissions into the namespace (the
	 * counters line's RetransSegs): a link that loses nothing should
	 * show none. */
	fprintf(f, ", StackLossProbes %" PRIu64 ", StackTimeouts %" PRIu64 ", StackFastRetrans %" PRIu64
		", StackLostRetransmit %" PRIu64 ", StackSACKReorder %" PRIu64 ", StackDSACKRecv %" PRIu64,
		st->TcpLossProbes, st->TcpTimeouts, st->TcpFastRetrans, st->TcpLostRetransmit,
		st->TcpSACKReorder, st->TcpDSACKRecv);
	/* The relay's own context switches (its one thread): slept in a
	 * system call (voluntary), and taken off the CPU, mostly by a process
	 * its system call woke (involuntary); --busy-poll-us trades the first
	 * for system calls. */
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(f, ", SwitchesVoluntary %ld, SwitchesInvoluntary %ld", ru.ru_nvcsw, ru.ru_nivcsw);
	fputc('\n', f);
	tun_print_counters_line(r->stack, f);
}

static void print_listing(struct relay *r)
{
	fprintf(stderr, "--- relay at %.3f s ---\n", (double)(r->now_us - r->start_us) / 1e6);
	relay_tcp_list(r, stderr);
	relay_udp_list(r, stderr);
	print_counters(r, stderr);
}

/* ---- signals and the command ---- */

static void begin_stop(struct relay *r)
{
	relay_fwd_close(r); /* no new clients while the flows finish */
	if (!r->stopping) {
		r->stopping = true;
		r->stop_at_us = r->now_us + r->cfg.tun.grace_us;
	}
}

static void reap_child(struct relay *r)
{
	int status;
	if (!r->child || r->child_done || waitpid(r->child, &status, WNOHANG) != r->child)
		return;
	r->child_done = true;
	if (!r->cfg.cmd)
		return; /* the setup helper of --netns without a command */
	r->child_status = WIFEXITED(status) ? WEXITSTATUS(status)
			  : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
	begin_stop(r);
}

/* Returns true when the relay must leave at once (a second stop signal). */
static bool on_signal(struct relay *r)
{
	struct signalfd_siginfo si;
	bool now = false;
	while (read(r->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGUSR1:
			print_listing(r);
			break;
		case SIGCHLD:
			reap_child(r);
			break;
		default:
			if (r->cfg.cmd && r->child && !r->child_done) {
				/* The command decides; a terminal's ^C reached it already. */
				if (si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE)
					kill(r->child, (int)si.ssi_signo);
				if (r->stopping)
					now = true;
				r->stopping = true;
				r->stop_at_us = UINT64_MAX; /* until the command exits */
			} else {
				now = r->stopping;
				begin_stop(r);
				relay_tcp_abort_all(r);
			}
			break;
		}
	}
	return now;
}

/* ---- setup and the loop ---- */

static int fail(struct relay *r, const char *what, int e)
{
	fprintf(stderr, "%s: %s: %s\n", r->prog, what, strerror(e < 0 ? -e : e));
	return e < 0 ? e : -e;
}

static void raise_nofile(void)
{
	/* A host socket per flow: the soft limit (often 1024) would refuse
	 * flows long before max_flows. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Is --loopback-cc the host namespace's default already? Then a host
 * socket has it from socket() (tcp_init_sock() takes the namespace's
 * default), and setting it again is a system call per connection for
 * nothing. The default is read once: a later sysctl change reaches the
 * relay's loopback sockets too (the common defaults, cubic on most
 * distributions, bbr on this machine). */
static bool cc_is_default(const char *cc)
{
	if (!cc)
		return false;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_congestion_control", "re");
	char name[32] = "";
	if (!f)
		return false;
	bool same = fgets(name, sizeof(name), f) != NULL;
	fclose(f);
	name[strcspn(name, "\n")] = 0;
	return same && !strcmp(name, cc);
}

static int open_stack(struct relay *r)
{
	struct gt_config cfg = r->cfg.tun.cfg;
	if (getrandom(cfg.isn_secret, sizeof(cfg.isn_secret), 0) != (ssize_t)sizeof(cfg.isn_secret))
		return fail(r, "getrandom", EIO);
	cfg.max_sockets = r->cfg.max_flows + 16;
	cfg.max_conns = r->cfg.max_flows + 16;
	/* A relayed connection empties its receive ring at every read, and an
	 * emptied ring goes back to the stack: kept in the stack's cache it is
	 * reused, otherwise every refill of a multi-MiB autotuned ring faults
	 * its pages in anew (a third of the relay's time in a 2.3 Gbit/s
	 * upload). */
	if (cfg.buffer_cache_bytes < 64u << 20)
		cfg.buffer_cache_bytes = 64u << 20;
	if (cfg.max_timewait > r->cfg.max_flows)
		cfg.max_timewait = r->cfg.max_flows;
	/* The relay checks every segment the stack gets, or takes a partial
	 * one as the namespace's kernel's own (above): the stack checks none.
	 * Its segments leave with partial checksums but for a capture. */
	r->tx_partial = r->cfg.tun.pcap_path == NULL;
	struct gt_device dev = { .transmit = dev_transmit, .transmitv = dev_transmitv, .ctx = r,
				 .mtu = r->cfg.tun.mtu, .rx_csum_verified = true,
				 .tx_csum_offload = r->tx_partial };
	r->stack = gt_stack_new(&cfg, &dev);
	if (!r->stack)
		return fail(r, "gt_stack_new (bad configuration?)", EINVAL);
	int e = gt_stack_add_ipv4(r->stack, r->cfg.gw_addr, 32);
	if (e == 0)
		e = gt_stack_add_ipv4(r->stack, r->cfg.dns_addr, 32);
	if (e < 0)
		return fail(r, "gt_stack_add_ipv4", e);
	/* -t for IPv6 clients: the stack connects into the namespace's IPv6
	 * address natively, from the gateway's (only then has it one: the
	 * other IPv6 flows reach it translated to IPv4, tcp_flow.c). */
	if (r->cfg.ipv6 && r->cfg.nfwd) {
		struct gt_in6_addr gw6;
		memcpy(gw6.b, r->cfg.gw_addr6, 16);
		if ((e = gt_stack_add_ipv6(r->stack, &gw6, r->cfg.ns_prefix6)) < 0)
			return fail(r, "gt_stack_add_ipv6", e);
	}
	r->now_us = tun_now_us();
	gt_stack_poll(r->stack, r->now_us);
	return 0;
}

static int open_tables(struct relay *r)
{
	int e = relay_tcp_init(r);
	if (e < 0)
		return fail(r, "the TCP flow table and the stack's listener", e);
	if ((e = relay_udp_init(r)) < 0)
		return fail(r, "the UDP flow table", e);
	return 0;
}

static int open_forwards(struct relay *r)
{
	int e = relay_fwd_open(r);
	if (e == -ENOMEM)
		return fail(r, "-t", e);
	return e; /* the port that failed was named */
}

static int open_pcap(struct relay *r)
{
	int e = tun_pcap_open(&r->pcap, r->cfg.tun.pcap_path);
	return e < 0 ? fail(r, r->cfg.tun.pcap_path, e) : 0;
}

static int open_loop(struct relay *r)
{
	if (r->cfg.tx_batch > 1 && !(r->txq = relay_txq_open(r->tun_fd, r->cfg.tx_batch)))
		fprintf(stderr, "relay: device writes one at a time: io_uring: %s\n", strerror(errno));
	r->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->ep_fd < 0)
		return fail(r, "epoll", errno);
	int e;
	if ((e = relay_ep_add(r, r->tun_fd, EPOLLIN, relay_tag(EVK_TUN, 0, 0))) < 0 ||
	    (e = relay_ep_add(r, r->sig_fd, EPOLLIN, relay_tag(EVK_SIGNAL, 0, 0))) < 0)
		return fail(r, "epoll_ctl", e);
	return 0;
}

/* Sleeps in the epoll set until an event or wake_us (UINT64_MAX: no
 * deadline). The deadline is the sleep's own timeout (epoll_pwait2(),
 * Linux 5.11), computed anew at every sleep, not a timerfd: a timerfd is
 * a system call to move and, re-armed only for an earlier deadline, a
 * wakeup and a read for every deadline that went stale while it was
 * armed. Each connection a namespace opens sets one --late-us ahead
 * (relay_tcp_fresh_deadline(): its host socket's held handshake ACK),
 * and its request ends that wait long before: at one connection in
 * flight 0.4 timerfd_settime() and 0.4 timer reads a connection, and a
 * sleeping relay woken for nothing (docs/relay.md, Numbers: A deadline
 * per sleep). The hrtimer behind the timeout may fire up to the task's
 * timer slack late (50 us by default): the stack's timers are
 * milliseconds. Where epoll_pwait2() is missing (ENOSYS) or a seccomp
 * filter refuses it (EPERM: Docker's profiles before it knew the call)
 * the wait is in milliseconds, rounded up; a refusal taken as a return
 * would have the loop spin. */
static int sleep_until(struct relay *r, struct epoll_event *ev, int max, uint64_t wake_us)
{
	if (wake_us == UINT64_MAX)
		return epoll_wait(r->ep_fd, ev, max, -1);
	uint64_t now = tun_now_us();
	uint64_t us = wake_us > now ? wake_us - now : 0;
	if (!r->no_pwait2) {
		struct timespec ts = { .tv_sec = (time_t)(us / 1000000u), .tv_nsec = (long)(us % 1000000u) * 1000 };
		int n = epoll_pwait2(r->ep_fd, ev, max, &ts, NULL);
		if (n >= 0 || (errno != ENOSYS && errno != EPERM))
			return n;
		r->no_pwait2 = true;
	}
	uint64_t ms = (us + 999u) / 1000u;
	return epoll_wait(r->ep_fd, ev, max, ms > INT32_MAX ? INT32_MAX : (int)ms);
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static bool finished(struct relay *r)
{
	if (!r->stopping)
		return false;
	if (r->cfg.cmd && !r->child_done)
		return false;
	return r->now_us >= r->stop_at_us || relay_tcp_active(r) == 0;
}

/* The spin's window, after a spin that ran out and slept: the sleep an
 * event ended within --busy-poll-us of the last event (FROM_US) would
 * have been a hit with a window that long, and the window doubles; one
 * that nothing ended that soon (a timer, or an event after it) would
 * have been spun in vain, and it halves, to RELAY_SPIN_MIN_US at least.
 * The guest's haltpoll cpuidle governor sizes its poll before a halt so
 * (grow on a wakeup within guest_halt_poll_ns, shrink on one after it).
 * On this VM a wakeup of an idle CPU (no guest halt poll) took 32-34 us
 * (the median; 5-7 us on the waker's CPU), so on an idle machine the
 * client's or the server's next packet came past a fixed 50 us window:
 * docs/relay.md, Numbers: The round trip, 7 Dec 2026. */
static void spin_adapt(struct relay *r, uint64_t from_us, int n)
{
	uint64_t gap_us = tun_now_us() - from_us;
	uint32_t min_us = r->cfg.busy_poll_us < RELAY_SPIN_MIN_US ? r->cfg.busy_poll_us : RELAY_SPIN_MIN_US;
	if (n > 0 && gap_us <= r->cfg.busy_poll_us && r->spin_us < r->cfg.busy_poll_us) {
		r->spin_us = r->spin_us > r->cfg.busy_poll_us / 2 ? r->cfg.busy_poll_us : 2 * r->spin_us;
		r->st.BusyPollGrows++;
	} else if (gap_us > r->cfg.busy_poll_us && r->spin_us > min_us) {
		r->spin_us = r->spin_us / 2 < min_us ? min_us : r->spin_us / 2;
		r->st.BusyPollShrinks++;
	}
	r->st.BusyPollWindowUs = r->spin_us;
}

/* --busy-poll-us. A 1-byte echo or a connect, 1 byte each way and close
 * crosses the relay as a chain of wakeups: the namespace's packet wakes
 * it, its send wakes the server, the server's reply wakes it again, tens
 * of microseconds apart. Each sleep in epoll_wait() is a switch out and
 * a wakeup in, most of the relay's CPU on this VM (docs/relay.md,
 * Numbers). For the spin's window (spin_adapt(): 50 us, growing to
 * busy_poll_us) after the last event from the device or a
 * host socket, the loop asks epoll_wait() without a timeout first, and
 * sleeps only when that window has passed with nothing; an idle relay
 * never spins (the window starts at an event), and neither does one that
 * lost the CPU while spinning, for a while (BusyPollBackoffs). As the kernel's own
 * busy polling (net.core.busy_poll, sk_busy_loop()) bounds its spin by
 * time, not by tries. */
static int wait_events(struct relay *r, struct epoll_event *ev, int max, uint64_t wake_us)
{
	uint64_t until = r->active_us + r->spin_us;
	if (wake_us <= r->now_us)
		return epoll_wait(r->ep_fd, ev, max, 0);
	if (!r->cfg.busy_poll_us || r->now_us >= until || r->now_us < r->spin_off_until_us) {
		if (relay_tcp_late_ready(r) || r->pool_want)
			return epoll_wait(r->ep_fd, ev, max, 0); /* nothing: the late FINs, the pool (run_loop()) */
		flush_acks(r); /* end_group()'s: not while the loop sleeps */
		return sleep_until(r, ev, max, wake_us);
	}
	/* Not r->now_us: the loop's work since it was read (the stack's
	 * poll, the writes; under ASan tens of microseconds) is not a poll's. */
	uint64_t prev = tun_now_us();
	bool ran_out = false;
	for (;;) {
		int n = epoll_wait(r->ep_fd, ev, max, 0);
		r->st.BusyPolls++;
		if (n != 0) {
			r->st.BusyPollHits += n > 0;
			if (n > 0 && r->spin_hits < RELAY_SPIN_PAYS_HITS)
				r->spin_hits++; /* RELAY_SPIN_PAYS_HITS at most */
			return n;
		}
		uint64_t now = tun_now_us();
		/* An empty poll that took RELAY_LOST_CPU_US lost the CPU:
		 * what the spin waits for (the namespace's client, the
		 * server) needs the CPU it holds, or others' work does.
		 * Spinning there only delays them: no spin for
		 * RELAY_SPIN_BACKOFF_US. A poll that lost the CPU and came
		 * back to an event found what it waited for, and spins on
		 * (judging those too backed off at idle on 2 CPUs, where the
		 * relay, the namespace's client and the server are three). */
		if (now - prev >= RELAY_LOST_CPU_US) {
			/* The client or the server the relay's last write woke
			 * often runs on its CPU (a sync wakeup) and takes it
			 * inside a poll that has looked already: the packet it
			 * made is there at the next poll, and the spin found
			 * what it waited for (BusyPollLostHits). A lost poll
			 * came about once in 400 1-byte echoes on an idle
			 * machine, each backing the spin off for
			 * RELAY_SPIN_BACKOFF_US, about 400 echoes: it was off
			 * nearly all the time (docs/relay.md, Numbers: The
			 * round trip, 7 Dec 2026). */
			n = epoll_wait(r->ep_fd, ev, max, 0);
			r->st.BusyPolls++;
			if (n != 0) {
				r->st.BusyPollHits += n > 0;
				r->st.BusyPollLostHits += n > 0;
				return n;
			}
			/* A spin that found RELAY_SPIN_PAYS_HITS events since
			 * its last lost poll pays: this one sleeps, without
			 * the backoff (BusyPollLostForgiven). */
			if (r->spin_hits >= RELAY_SPIN_PAYS_HITS) {
				r->spin_hits = 0;
				r->st.BusyPollLostForgiven++;
				break;
			}
			r->spin_hits = 0;
			r->spin_off_until_us = now + RELAY_SPIN_BACKOFF_US;
			r->st.BusyPollBackoffs++;
			break;
		}
		/* The late FINs (tcp_flow.c, defer_fin()) wait in the spin
		 * for RELAY_LATE_MIN_US: the namespace's next SYN comes a few
		 * microseconds after its FIN, and goes first. */
		if (relay_tcp_late_ready(r) && now - r->late_since_us >= RELAY_LATE_MIN_US)
			return 0;
		/* The host sockets made ahead (tcp_flow.c, pool_take()) at
		 * the first poll that finds nothing. */
		if (r->pool_want)
			return 0;
		if (now >= until) {
			ran_out = true;
			break;
		}
		prev = now;
	}
	if (relay_tcp_late_ready(r) || r->pool_want)
		return 0; /* the last poll found nothing: the late FINs and the pool first */
	r->st.BusyPollSleeps++;
	flush_acks(r);
	uint64_t from = r->active_us;
	int n = sleep_until(r, ev, max, wake_us);
	if (ran_out) /* not after a lost poll: its window did not run out */
		spin_adapt(r, from, n);
	return n;
}

static void run_loop(struct relay *r)
{
	uint64_t limit_at = r->cfg.tun.limit_us ? r->start_us + r->cfg.tun.limit_us : UINT64_MAX;
	for (;;) {
		r->now_us = tun_now_us();
		if (r->held_at_us && r->now_us - r->held_at_us >= r->spin_us)
			flush_acks(r); /* kept past their group, and no reply came */
		gt_stack_poll(r->stack, r->now_us);
		relay_tcp_fresh_expire(r);
		if (r->late_len && r->now_us - r->late_since_us >= r->cfg.late_us) {
			r->st.LateAtDeadline++;
			relay_tcp_run_late(r); /* no idle moment came: at the latest now */
		}
		after_input(r);
		if (r->now_us >= r->next_sweep_us) {
			relay_tcp_sweep(r);
			relay_udp_sweep(r);
			relay_fwd_sweep(r);
			reap_child(r); /* a SIGCHLD before the mask was set, or merged */
			after_input(r);
			r->next_sweep_us = r->now_us + RELAY_SWEEP_US;
		}
		if (r->now_us >= r->next_listing_us) {
			print_listing(r);
			/* On the period's grid, one listing however late the loop got. */
			uint64_t p = (uint64_t)r->cfg.listing_ms * 1000u;
			r->next_listing_us += p * ((r->now_us - r->next_listing_us) / p + 1);
		}
		if (r->now_us >= limit_at) {
			limit_at = UINT64_MAX;
			if (r->child && !r->child_done && r->cfg.cmd)
				kill(r->child, SIGTERM);
			begin_stop(r);
		}
		if (finished(r))
			return;
		uint64_t dl = min_u64(gt_stack_next_deadline(r->stack), min_u64(r->next_sweep_us, r->next_listing_us));
		dl = min_u64(dl, min_u64(limit_at, r->stopping ? r->stop_at_us : UINT64_MAX));
		if (r->late_len) /* waiting for a new flow's first byte, --late-us at most */
			dl = min_u64(dl, r->late_since_us + r->cfg.late_us);
		dl = min_u64(dl, relay_tcp_fresh_deadline(r));
		if (r->dirty_len)
			dl = 0; /* flows to pump: a look at the set, no wait */
		struct epoll_event ev[64];
		tx_flush(r);
		int n = wait_events(r, ev, 64, dl);
		r->now_us = tun_now_us();
		r->loop_rounds++;
		/* Nothing waits in the device or the sockets: the host sockets
		 * made ahead (tcp_flow.c, pool_take()), then the late FINs
		 * (defer_fin(); wait_events()). The pool first: the late FINs'
		 * shutdown() wakes the server, which may take this CPU for a
		 * while, and the namespace's next SYN, coming meanwhile, wants
		 * its socket made (bench/relay_timeline.sh: made after the
		 * client's connect() in 640 of 3,650 connections the other
		 * way round). */
		if (n == 0 && r->pool_want)
			relay_tcp_pool_fill(r);
		if (n == 0 && relay_tcp_late_ready(r)) {
			relay_tcp_run_late(r);
			after_input(r);
		}
		bool active = false;
		for (int i = 0; i < n; i++) {
			uint64_t tag = ev[i].data.u64;
			uint32_t gen = (uint32_t)(tag >> 32), slot = (uint32_t)tag & 0xffffffu;
			unsigned kind = (tag >> 24) & 0xff;
			active |= kind != EVK_SIGNAL;
			switch (kind) {
			case EVK_TUN:
				if (!rx_batch(r)) {
					epoll_ctl(r->ep_fd, EPOLL_CTL_DEL, r->tun_fd, NULL);
					begin_stop(r); /* the namespace is gone */
				}
				break;
			case EVK_SIGNAL:
				if (on_signal(r))
					return;
				break;
			case EVK_TCP:
				relay_tcp_host_event(r, slot, gen, ev[i].events);
				break;
			case EVK_UDP:
				relay_udp_host_event(r, slot, gen, ev[i].events);
				break;
			case EVK_FWD:
				relay_fwd_event(r, slot);
				break;
			default:
				break;
			}
		}
		if (active && r->cfg.busy_poll_us)
			r->active_us = tun_now_us(); /* the spin window starts after the work */
	}
}

static void relay_free(struct relay *r)
{
	relay_fwd_close(r);
	free(r->fwd_fd);
	if (r->stack) {
		relay_tcp_fini(r);
		relay_udp_fini(r);
		gt_stack_free(r->stack);
	}
	tx_flush(r);
	relay_txq_close(r->txq);
	tun_pcap_close(&r->pcap);
	int fds[] = { r->tun_fd, r->ep_fd, r->sig_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(r->rx);
	free(r->txbuf);
	free(r);
}

static void say_ready(const struct relay *r)
{
	const struct relay_config *c = &r->cfg;
	char dns[72] = "none";
	if (c->dns_fwd_v6) {
		char a6[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, c->dns_fwd_addr6, a6, sizeof(a6));
		snprintf(dns, sizeof(dns), "[%s]:%u", a6, c->dns_fwd_port);
	} else if (c->dns_fwd_addr) {
		snprintf(dns, sizeof(dns), "%u.%u.%u.%u:%u", c->dns_fwd_addr >> 24,
			 (c->dns_fwd_addr >> 16) & 255, (c->dns_fwd_addr >> 8) & 255,
			 c->dns_fwd_addr & 255, c->dns_fwd_port);
	}
	fprintf(stderr, "relay: ready: %s %u.%u.%u.%u/%u, gateway %u.%u.%u.%u (%s), DNS %u.%u.%u.%u -> %s, "
		"MTU %u, pid %d\n", c->tun.ifname, c->ns_addr >> 24, (c->ns_addr >> 16) & 255,
		(c->ns_addr >> 8) & 255, c->ns_addr & 255, c->ns_prefix, c->gw_addr >> 24,
		(c->gw_addr >> 16) & 255, (c->gw_addr >> 8) & 255, c->gw_addr & 255,
		c->map_gw ? "the host's 127.0.0.1" : "not mapped", c->dns_addr >> 24,
		(c->dns_addr >> 16) & 255, (c->dns_addr >> 8) & 255, c->dns_addr & 255, dns,
		c->tun.mtu, (int)getpid());
	if (c->ipv6) {
		char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, c->ns_addr6, a, sizeof(a));
		inet_ntop(AF_INET6, c->gw_addr6, g, sizeof(g));
		inet_ntop(AF_INET6, c->dns_addr6, d, sizeof(d));
		fprintf(stderr, "relay: IPv6: %s/%u, gateway %s (%s), DNS %s -> %s; TCP, UDP, ping\n", a,
			c->ns_prefix6, g, c->map_gw ? "the host's ::1" : "not mapped", d, dns);
	}
	for (uint32_t i = 0; i < c->nfwd; i++) {
		/* Runs of consecutive ports in one line. */
		uint32_t k = i;
		const struct relay_fwd *f = &c->fwd[i];
		while (k + 1 < c->nfwd && c->fwd[k + 1].host_addr == f->host_addr &&
		       c->fwd[k + 1].family == f->family &&
		       !memcmp(c->fwd[k + 1].host_addr6, f->host_addr6, 16) &&
		       c->fwd[k + 1].host_port == c->fwd[k].host_port + 1 &&
		       c->fwd[k + 1].ns_port == c->fwd[k].ns_port + 1)
			k++;
		uint32_t a = f->host_addr;
		char hp[16] = "", np[16] = "";
		if (k > i) {
			snprintf(hp, sizeof(hp), "-%u", c->fwd[k].host_port);
			snprintf(np, sizeof(np), "-%u", c->fwd[k].ns_port);
		}
		if (f->family != RELAY_FWD_V6)
			fprintf(stderr, "relay: forwarding host %u.%u.%u.%u:%u%s -> %u.%u.%u.%u:%u%s\n", a >> 24,
				(a >> 16) & 255, (a >> 8) & 255, a & 255, f->host_port, hp, c->ns_addr >> 24,
				(c->ns_addr >> 16) & 255, (c->ns_addr >> 8) & 255, c->ns_addr & 255,
				f->ns_port, np);
		if (f->family == RELAY_FWD_V6 || (f->family == RELAY_FWD_ANY && c->ipv6)) {
			char h6[INET6_ADDRSTRLEN], n6[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, f->host_addr6, h6, sizeof(h6));
			inet_ntop(AF_INET6, c->ns_addr6, n6, sizeof(n6));
			fprintf(stderr, "relay: forwarding host [%s]:%u%s -> [%s]:%u%s\n", h6, f->host_port, hp,
				n6, f->ns_port, np);
		}
		i = k;
	}
	if (c->socks5_port)
		fprintf(stderr, "relay: TCP through the SOCKS5 proxy %u.%u.%u.%u:%u (%s)\n",
			c->socks5_addr >> 24, (c->socks5_addr >> 16) & 255, (c->socks5_addr >> 8) & 255,
			c->socks5_addr & 255, c->socks5_port,
			c->socks5_creds.ulen ? "username/password" : "no authentication");
}

int relay_run(const struct relay_config *cfg, const char *prog)
{
	struct relay *r = calloc(1, sizeof(*r));
	if (!r)
		return fprintf(stderr, "%s: out of memory\n", prog), 1;
	r->cfg = *cfg;
	r->spin_us = cfg->busy_poll_us < RELAY_SPIN_MIN_US ? cfg->busy_poll_us : RELAY_SPIN_MIN_US;
	r->st.BusyPollWindowUs = r->spin_us;
	r->prog = prog;
	r->tun_fd = r->ep_fd = r->sig_fd = -1;
	r->lsd = -1;
	r->rx = malloc((size_t)RELAY_RX_GROUP * RX_SLOT_BYTES);
	r->txbuf = malloc(2 * 65536 + TX_HEADROOM);
	if (!r->rx || !r->txbuf) {
		relay_free(r);
		return fprintf(stderr, "%s: out of memory\n", prog), 1;
	}
	raise_nofile();
	/* Signals are taken through the signalfd from before the fork, so
	 * none is lost; the command gets the mask we had. */
	sigset_t m, old;
	sigemptyset(&m);
	sigaddset(&m, SIGINT);
	sigaddset(&m, SIGTERM);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, &old);
	r->sig_fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	int go_fd = -1;
	int rc = 1;
	if (r->sig_fd >= 0 && relay_ns_open(cfg, prog, &old, &r->tun_fd, &r->child, &go_fd, &r->cfg.ipv6) == 0 &&
	    open_stack(r) == 0 && open_tables(r) == 0 && open_loop(r) == 0 &&
	    open_forwards(r) == 0 && (!cfg->tun.pcap_path || open_pcap(r) == 0)) {
		r->pcap_on = cfg->tun.pcap_path != NULL;
		r->loopback_cc_default = cc_is_default(cfg->loopback_cc);
		r->start_us = r->now_us = tun_now_us();
		r->next_listing_us = cfg->listing_ms ? r->start_us + (uint64_t)cfg->listing_ms * 1000u : UINT64_MAX;
		if (!cfg->tun.quiet)
			say_ready(r);
		relay_ns_go(go_fd);
		go_fd = -1;
		run_loop(r);
		relay_tcp_abort_all(r);
		if (!cfg->tun.quiet)
			print_counters(r, stderr);
		rc = cfg->cmd ? r->child_status : 0;
	} else if (r->sig_fd < 0) {
		fail(r, "signalfd", errno);
	}
	if (go_fd >= 0)
		close(go_fd); /* the command never runs */
	if (r->child && !r->child_done && cfg->cmd) {
		kill(r->child, SIGTERM);
		waitpid(r->child, NULL, 0);
	}
	relay_free(r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
