/* The cost of an ACK that acknowledges nothing new (issues 13 and 17).
 *
 * One stack, its peer played here with crafted IPv4+TCP segments (SACK,
 * timestamps, window scaling agreed; virtual time), in three cases:
 *   recv:  the peer sends data; the stack has nothing in flight, so every
 *          segment's ACK field equals SND.UNA (a bulk receiver);
 *   bidir: the peer sends data while the stack keeps its own data in flight;
 *          15 of each 16 peer segments carry the same ACK (stale), the 16th
 *          acknowledges up to 16 segments more (bidirectional traffic);
 *   sack:  the stack's flight grown to about 160 segments in slow start,
 *          every 8th segment of it lost: the peer answers each other one
 *          with a duplicate ACK carrying up to three SACK blocks (RFC 2018 4:
 *          the newest first), the stack in recovery; the peer then resets.
 * Each segment is handed to gt_stack_input() by one of the feed_*()
 * functions below, which do nothing else: the instructions a segment costs
 * (input, ACK processing, the stack's answers) are theirs, counted with
 *   valgrind --tool=callgrind --toggle-collect=feed_sack_dup build-bench/bench/bench_ackpath
 *   callgrind_annotate --inclusive=yes callgrind.out.PID | grep -E "feed_|ack_input"
 * and divided by the segment counts this program prints. Natively it
 * prints ns per segment (wall clock, steal included: a guide only). Never a
 * test: it gates on nothing. GT_BENCH_PROFILE=linux|freebsd runs one
 * profile (default both); GT_BENCH_SCALE scales the segment counts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "wire/ipv4.h"
#include "wire/tcp_wire.h"

#define LADDR 0x0a000001u
#define RADDR 0x0a000002u
#define LPORT 80
#define PEER_ISS 1000000u
#define SEG 1448u /* MSS 1460 less the timestamp option */
#define PKT_MAX 1600

/* What the stack sent, as the peer needs it: the highest sequence number,
 * the last TSval (to echo), and the segment count. Kept cheap: it runs
 * inside the measured calls. */
struct peer {
	gt_stack *s;
	uint64_t now_us;
	uint16_t rport;
	uint32_t iss;            /* the stack's ISS (from its SYN-ACK) */
	uint32_t snd_max;        /* the highest SEQ + LEN the stack sent */
	uint32_t stack_tsval;
	uint32_t peer_nxt;       /* what the peer sends next */
	uint64_t segs_out;
	uint64_t ns[4];          /* wall time in each feed_*(), by case */
	uint8_t pkt[PKT_MAX];
};

static void seen(struct peer *p, const uint8_t *tcp, size_t len)
{
	p->segs_out++;
	/* Earlier connections' FINs and RSTs are not this one's. */
	if (((uint16_t)tcp[2] << 8 | tcp[3]) != p->rport)
		return;
	uint32_t seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7];
	size_t doff = (size_t)(tcp[12] >> 4) * 4;
	uint32_t end = seq + (uint32_t)(len - doff) + ((tcp[13] & (TH_SYN | TH_FIN)) ? 1 : 0);
	if ((tcp[13] & TH_SYN))
		p->iss = seq;
	if ((int32_t)(end - p->snd_max) > 0 || (tcp[13] & TH_SYN))
		p->snd_max = end;
	/* nop, nop, TS: the layout both profiles use on established segments */
	if (doff >= 32 && tcp[20] == 1 && tcp[21] == 1 && tcp[22] == 8)
		p->stack_tsval = (uint32_t)tcp[24] << 24 | (uint32_t)tcp[25] << 16 |
				 (uint32_t)tcp[26] << 8 | tcp[27];
}

static int dev_tx(void *ctx, const void *pkt, size_t len)
{
	const uint8_t *b = pkt;
	size_t ihl = (size_t)(b[0] & 15) * 4;
	if (len >= ihl + TCP_HDR_MIN && b[9] == IPPROTO_TCP_)
		seen(ctx, b + ihl, len - ihl);
	return 0;
}

static int dev_txv(void *ctx, const struct gt_iovec *iov, int n)
{
	/* The headers are the first piece: the payload's length is the rest. */
	const uint8_t *b = iov[0].base;
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += iov[i].len;
	size_t ihl = (size_t)(b[0] & 15) * 4;
	if (iov[0].len >= ihl + TCP_HDR_MIN && b[9] == IPPROTO_TCP_)
		seen(ctx, b + ihl, len - ihl);
	return 0;
}

/* A segment from the peer into p->pkt; returns its length. */
static size_t build(struct peer *p, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
		    const struct tcp_sack_block *sack, uint8_t nsack, bool syn_opts)
{
	struct tcp_opts o = {.has_ts = true, .ts_val = (uint32_t)(p->now_us / 1000),
			     .ts_ecr = (flags & TH_ACK) ? p->stack_tsval : 0};
	if (syn_opts) {
		o.has_mss = o.has_wscale = o.sack_ok = true;
		o.mss = 1460;
		o.wscale = 7;
	}
	for (uint8_t i = 0; i < nsack; i++)
		o.sack[i] = sack[i];
	o.nsack = nsack;
	uint8_t *seg = p->pkt + IPV4_HDR_MIN;
	size_t olen = tcp_opts_emit(seg + TCP_HDR_MIN, &o, syn_opts, TCP_SYNOPT_LINUX);
	memset(seg + TCP_HDR_MIN + olen, 'x', len);
	struct tcp_hdr h = {.sport = p->rport, .dport = LPORT, .seq = seq, .ack = ack,
			    .doff_bytes = (uint8_t)(TCP_HDR_MIN + olen), .flags = flags,
			    .win = 65535 /* scaled by 7 after the SYN: 8 MB */};
	tcp_emit(seg, &h, seg + TCP_HDR_MIN, olen, len, RADDR, LADDR);
	size_t total = IPV4_HDR_MIN + TCP_HDR_MIN + olen + len;
	struct ipv4_hdr ih = {.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)total, .df = true,
			      .ttl = 64, .proto = IPPROTO_TCP_, .src = RADDR, .dst = LADDR};
	ipv4_emit(p->pkt, &ih);
	return total;
}

/* The measured calls: one segment in, nothing else (noipa: gcc would fold
 * the four into one otherwise). */
__attribute__((noipa)) static void feed_recv(struct peer *p, size_t len)
{
	uint64_t t = bench_mono_ns();
	gt_stack_input(p->s, p->now_us, p->pkt, len);
	p->ns[0] += bench_mono_ns() - t;
}
__attribute__((noipa)) static void feed_bidir_stale(struct peer *p, size_t len)
{
	uint64_t t = bench_mono_ns();
	gt_stack_input(p->s, p->now_us, p->pkt, len);
	p->ns[1] += bench_mono_ns() - t;
}
__attribute__((noipa)) static void feed_bidir_new(struct peer *p, size_t len)
{
	uint64_t t = bench_mono_ns();
	gt_stack_input(p->s, p->now_us, p->pkt, len);
	p->ns[2] += bench_mono_ns() - t;
}
__attribute__((noipa)) static void feed_sack_dup(struct peer *p, size_t len)
{
	uint64_t t = bench_mono_ns();
	gt_stack_input(p->s, p->now_us, p->pkt, len);
	p->ns[3] += bench_mono_ns() - t;
}

static void inject(struct peer *p, size_t len) { gt_stack_input(p->s, p->now_us, p->pkt, len); }

/* Runs the timers due up to now. */
static void timers(struct peer *p)
{
	for (int guard = 0; guard < 1000; guard++) {
		uint64_t t = gt_stack_next_deadline(p->s);
		if (t == GT_NO_DEADLINE || t > p->now_us)
			break;
		gt_stack_poll(p->s, p->now_us);
	}
}

/* Handshake from the peer's port rport to the listener; returns the
 * accepted descriptor or -1. */
static int open_conn(struct peer *p, int ls, uint16_t rport)
{
	p->rport = rport;
	p->peer_nxt = PEER_ISS;
	inject(p, build(p, TH_SYN, p->peer_nxt, 0, 0, NULL, 0, true));
	p->peer_nxt++;
	p->now_us += 100;
	inject(p, build(p, TH_ACK, p->peer_nxt, p->iss + 1, 0, NULL, 0, false));
	return gt_accept(p->s, ls, NULL);
}

static void fill_send(struct peer *p, int sd)
{
	static const uint8_t zeros[65536];
	while (gt_send(p->s, sd, zeros, sizeof(zeros), 0) > 0)
		;
}

static void drain_recv(struct peer *p, int sd)
{
	static uint8_t buf[65536];
	while (gt_recv(p->s, sd, buf, sizeof(buf), 0) > 0)
		;
}

/* Peer data, the stack with nothing in flight. */
static uint64_t run_recv(struct peer *p, int ls, uint32_t n)
{
	int sd = open_conn(p, ls, 40000);
	if (sd < 0)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		p->now_us += 10;
		size_t len = build(p, TH_ACK, p->peer_nxt, p->iss + 1, SEG, NULL, 0, false);
		p->peer_nxt += SEG;
		feed_recv(p, len);
		if (i % 32 == 31)
			drain_recv(p, sd);
		timers(p);
	}
	gt_close(p->s, sd);
	return n;
}

/* Peer data with a stale ACK, the stack's own data in flight; every 16th
 * segment acknowledges up to 16 segments' worth of it. */
static uint64_t run_bidir(struct peer *p, int ls, uint32_t n, uint64_t *stale)
{
	int sd = open_conn(p, ls, 40001);
	if (sd < 0)
		return 0;
	uint32_t ack = p->iss + 1;
	/* A small send buffer bounds the flight (each profile sizes
	 * SO_SNDBUF its own way: Linux doubles it and counts skb heads). */
	int sndbuf = 65536;
	gt_setsockopt(p->s, sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	fill_send(p, sd);
	for (uint32_t i = 0; i < n; i++) {
		p->now_us += 10;
		/* 16 segments' worth at most: as much as the peer sent. */
		bool adv = i % 16 == 15;
		if (adv)
			ack = p->snd_max - ack > 16 * SEG ? ack + 16 * SEG : p->snd_max;
		size_t len = build(p, TH_ACK, p->peer_nxt, ack, SEG, NULL, 0, false);
		p->peer_nxt += SEG;
		if (adv) {
			feed_bidir_new(p, len);
			fill_send(p, sd);
		} else {
			feed_bidir_stale(p, len);
			++*stale;
		}
		if (i % 32 == 31)
			drain_recv(p, sd);
		timers(p);
	}
	gt_close(p->s, sd);
	return n;
}

/* Grows the flight in slow start (an ACK every two segments), then loses
 * every 8th segment of it and sends the duplicate ACKs; returns how many. */
static uint64_t sack_cycle(struct peer *p, int ls, uint16_t rport, uint32_t flight_goal)
{
	int sd = open_conn(p, ls, rport);
	if (sd < 0)
		return 0;
	fill_send(p, sd);
	uint32_t una = p->iss + 1;
	for (int round = 0; round < 12 && p->snd_max - una < flight_goal * SEG; round++) {
		uint32_t end = p->snd_max;
		p->now_us += 1000;
		while (una != end) {
			una = end - una > 2 * SEG ? una + 2 * SEG : end;
			inject(p, build(p, TH_ACK, p->peer_nxt, una, 0, NULL, 0, false));
		}
		fill_send(p, sd);
		timers(p);
	}
	uint32_t end = p->snd_max, nseg = (end - una) / SEG;
	uint64_t dups = 0;
	struct tcp_sack_block runs[64];
	uint32_t nruns = 0;
	p->now_us += 1000;
	for (uint32_t k = 1; k < nseg; k++) {
		if (k % 8 == 0)
			continue; /* lost */
		uint32_t l = una + k * SEG, r = l + SEG;
		if (nruns && runs[nruns - 1].right == l)
			runs[nruns - 1].right = r;
		else if (nruns < 64)
			runs[nruns++] = (struct tcp_sack_block){l, r};
		/* The newest run first, then the ones before it (RFC 2018 4). */
		struct tcp_sack_block blk[3];
		uint8_t nb = 0;
		for (uint32_t j = nruns; j-- > 0 && nb < 3;)
			blk[nb++] = runs[j];
		p->now_us += 10;
		size_t len = build(p, TH_ACK, p->peer_nxt, una, 0, blk, nb, false);
		feed_sack_dup(p, len);
		dups++;
		timers(p);
	}
	inject(p, build(p, TH_RST, p->peer_nxt, 0, 0, NULL, 0, false));
	gt_close(p->s, sd);
	p->now_us += 1000;
	timers(p);
	return dups;
}

static void run_profile(enum gt_profile prof, double scale)
{
	struct gt_config cfg;
	gt_config_default(&cfg, prof);
	cfg.sndbuf_bytes = 1u << 20;
	cfg.sndbuf_autotune = false; /* the flights as set here */
	cfg.rcvbuf_bytes = 1u << 20;
	static struct peer p;
	memset(&p, 0, sizeof(p));
	p.now_us = 1000000;
	struct gt_device dev = {.transmit = dev_tx, .transmitv = dev_txv, .ctx = &p, .mtu = 1500,
				.rx_csum_verified = true};
	p.s = gt_stack_new(&cfg, &dev);
	if (!p.s || gt_stack_add_ipv4(p.s, LADDR, 24) < 0) {
		printf("%s: stack creation failed\n", gt_profile_name(prof));
		exit(1);
	}
	int ls = gt_socket(p.s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = LPORT, .addr = LADDR};
	if (ls < 0 || gt_bind(p.s, ls, &sa) < 0 || gt_listen(p.s, ls, 16) < 0) {
		printf("%s: listen failed\n", gt_profile_name(prof));
		exit(1);
	}
	uint32_t n = (uint32_t)(20000 * scale) + 16, cycles = (uint32_t)(100 * scale) + 1;
	uint64_t nr = run_recv(&p, ls, n);
	uint64_t stale = 0;
	uint64_t nb = run_bidir(&p, ls, n, &stale);
	uint64_t nd = 0;
	for (uint32_t c = 0; c < cycles; c++)
		nd += sack_cycle(&p, ls, (uint16_t)(41000 + c), 160);
	const char *name = gt_profile_name(prof);
	const char *cases[] = {"recv", "bidir, ACK stale", "bidir, ACK moves", "sack, duplicate ACK"};
	const char *fns[] = {"feed_recv", "feed_bidir_stale", "feed_bidir_new", "feed_sack_dup"};
	uint64_t segs[] = {nr, stale, nb - stale, nd};
	for (int k = 0; k < 4; k++) {
		char c1[32], c2[32];
		const char *const row[] = {name, cases[k], fns[k], bench_commas(c1, sizeof(c1), segs[k]),
					   bench_fmt(c2, sizeof(c2), "%.0f",
						     segs[k] ? (double)p.ns[k] / segs[k] : 0)};
		bench_table_row(row);
	}
	gt_stack_free(p.s);
}

int main(void)
{
	double scale = bench_scale();
	const char *only = getenv("GT_BENCH_PROFILE");
	bench_pin_one_cpu();
	bench_header("ackpath: ACKs that acknowledge nothing new",
		     "one stack, the peer crafted here, virtual time");
	bench_cond("segments     recv: 1448-byte data, nothing in flight; bidir: the same with the "
		   "stack's data in flight, ACK moving every 16th; sack: duplicate ACKs with SACK in "
		   "recovery (flight ~160 segments, every 8th lost), %u cycles",
		   (unsigned)(100 * scale) + 1);
	bench_cond("count        valgrind --tool=callgrind --toggle-collect=feed_X "
		   "build-bench/bench/bench_ackpath; Ir of feed_X (and ack_input) inclusive / segments");
	bench_cond("ns/seg       wall time of the feed_X calls alone (two clock reads each, steal "
		   "included): a guide; instructions are the measure");
	static const char *const heads[] = {"profile", "case", "measured in", "segments", "ns/seg"};
	static const int widths[] = {8, 20, 17, 10, 7};
	bench_table_begin(5, 3, heads, widths);
	if (!only || !strcmp(only, "linux"))
		run_profile(GT_PROFILE_LINUX, scale);
	if (!only || !strcmp(only, "freebsd"))
		run_profile(GT_PROFILE_FREEBSD, scale);
	bench_table_end();
	return 0;
}
