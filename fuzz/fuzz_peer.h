/* The fuzz targets' peer: one stack at 10.0.0.1 whose device checks every
 * packet it sends (it must parse, fit the MTU and carry good checksums), a
 * remote peer 10.0.0.2 that builds segments with correct checksums, a
 * virtual clock, the walks into each RFC 9293 state, and the invariants a
 * fuzz target asserts after every step (gauges within the configured
 * limits, every TCB consistent, tcp_conn_assert()).
 *
 * A header of static functions, because CMake's GT_FUZZ block builds each
 * fuzz/fuzz_*.c on its own (tests/dialogue/dlg.c needs the test harness).
 * A failed check calls fz_fail(), which aborts: libFuzzer reports a crash. */
#ifndef GT_FUZZ_PEER_H
#define GT_FUZZ_PEER_H

#include <glasstcp/glasstcp.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"
#include "tcp/tcp_check.h"
#include "util/checksum.h"
#include "wire/icmp.h"
#include "wire/icmp6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp_wire.h"

#define FZ_FN static __attribute__((unused))

#define FZ_LADDR 0x0a000001u /* the stack */
#define FZ_RADDR 0x0a000002u /* the peer */
/* The stack's IPv6 address, 2001:db8::1; fuzz_stack_input's IPv6 listener
 * is on it (port 80, IPV6_V6ONLY). */
static const struct gt_in6_addr fz_laddr6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
#define FZ_LPORT 80
#define FZ_RPORT 40000
#define FZ_PEER_ISS 1000000u
#define FZ_MTU 1500
#define FZ_PKT_MAX 1600
#define FZ_T0_US 1000000ull
/* Known issues in src/, reported (docs/robustness.md, fuzz/crashers/):
 * tolerated so that fuzzing can look past them, each reported once on
 * stderr. Set a macro to 0 once its fix lands; GT_FUZZ_STRICT=1 in the
 * environment makes all of them fatal now. */
#define FZ_TOLERATE_SACK_OVER_MTU 0 /* data segments not shortened for SACK blocks */
#define FZ_TOLERATE_SWS_STALL 0     /* unsent data, nothing in flight, no timer */

static bool fz_tolerate(int enabled, const char *what)
{
	static const char *told[8];
	if (!enabled || getenv("GT_FUZZ_STRICT"))
		return false;
	for (int i = 0; i < 8; i++) {
		if (told[i] == what)
			return true;
		if (!told[i]) {
			told[i] = what;
			fprintf(stderr, "fuzz: known issue tolerated: %s\n", what);
			return true;
		}
	}
	return true;
}

struct fz {
	gt_stack *s;
	struct gt_config cfg;
	uint64_t now_us;
	uint16_t lport, rport;
	int lsd, sd;

	/* What the peer knows from the stack's segments to it. */
	bool seen;            /* a segment from the stack to the peer's port */
	uint32_t iss;         /* the stack's ISS (its last SYN's seq) */
	uint32_t snd_nxt;     /* highest seq + seglen the stack sent */
	uint32_t rcv_ack;     /* the last ACK number the stack sent (its RCV.NXT) */
	uint8_t last_flags;
	uint32_t last_seq, last_ack;
	uint16_t last_win;
	uint32_t stack_tsval;

	/* The peer's side. */
	uint32_t peer_nxt;
	bool peer_ts;         /* the peer sends timestamps */
	uint32_t peer_tsval;
	uint16_t ip_id;

	uint64_t out_pkts, out_tcp_to_peer;
	/* The device refuses transmits (-ENOBUFS, a full queue: struct
	 * gt_device, cfg.tx_busy_linux): the k-th packet offered is refused
	 * where bit k % 8 of refuse_mask is set. A refused packet must still
	 * parse; the peer never sees it. fz_finish() clears the mask. */
	uint8_t refuse_mask;
	uint64_t offered, refused;
	bool trace; /* GT_FUZZ_TRACE set: each segment either way on stderr */
};

/* Aborts with a message: the fuzzer keeps the input as a crash. */
__attribute__((noreturn, format(printf, 1, 2), unused)) static void fz_fail(const char *fmt,
									      ...);
#include <stdarg.h>
static void fz_fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "fuzz invariant failed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static uint32_t fz_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An IPv6 packet the stack sent: from its address, a whole chain-free
 * packet, TCP with a right checksum or an ICMPv6 message that parses. */
/* One line per segment for GT_FUZZ_TRACE=1 (replaying a crash by hand). */
static void fz_trace_seg(const struct fz *f, const char *dir, uint8_t flags, uint32_t seq,
			 uint32_t ack, uint32_t len, uint16_t win)
{
	fprintf(stderr, "%12.6f %s %c%c%c%c%c seq %u ack %u len %u win %u\n",
		(double)f->now_us / 1e6, dir, flags & TH_SYN ? 'S' : '.', flags & TH_FIN ? 'F' : '.',
		flags & TH_RST ? 'R' : '.', flags & TH_PSH ? 'P' : '.', flags & TH_ACK ? 'A' : '.',
		seq, ack, len, win);
}


/* The path MTU the stack has learnt for dst and still holds (ip/ip.c's
 * cache, read directly: gt_pmtu_get() renews a FreeBSD entry), 0: none. */
static uint32_t fz_pmtu_of(const struct fz *f, ip_addr dst)
{
	const gt_stack *s = f->s;
	for (uint32_t i = 0; s && i < GT_PMTU_CACHE; i++) {
		const struct pmtu_entry *p = &s->pmtu[i];
		if (p->mtu && ip_addr_eq(p->dst, dst) && p->expire_us > s->now_us)
			return p->mtu;
	}
	return 0;
}

/* A packet that may not be fragmented fits the path MTU learnt for its
 * destination (RFC 1191 3, RFC 8201 4: once the MTU is learnt, nothing
 * larger is sent there). */
static void fz_check_pmtu(const struct fz *f, ip_addr dst, size_t len, const char *what)
{
	uint32_t mtu = fz_pmtu_of(f, dst);
	if (mtu && len > mtu)
		fz_fail("the stack sent a %zu-byte %s packet where it has learnt a path MTU of %u",
			len, what, mtu);
}

static void fz_capture6(const struct fz *f, const uint8_t *p, size_t len)
{
	struct ipv6_hdr h;
	struct ipv6_chain c;
	memset(&c, 0, sizeof(c));
	if (ipv6_parse_packet(p, len, &h, &c) != IPV6_OK || IPV6_HDR_LEN + h.payload_len != len)
		fz_fail("the stack sent a bad IPv6 packet (%zu bytes)", len);
	if (!ipv6_addr_eq(&h.src, &fz_laddr6))
		fz_fail("the stack sent IPv6 from another address");
	if (c.n_ext)
		fz_fail("the stack sent an extension header");
	if (c.proto == IPPROTO_ICMPV6_) {
		struct icmp6_hdr ih;
		if (icmp6_parse(p + c.l4_off, c.l4_len, &h.src, &h.dst, &ih) != ICMP6_OK)
			fz_fail("the stack sent a bad ICMPv6 message");
		if (icmp6_is_error(ih.type) && len > IPV6_MIN_MTU)
			fz_fail("an ICMPv6 error over 1280 bytes (RFC 4443 2.4(c))");
		return;
	}
	struct tcp_hdr th;
	if (c.proto != IPPROTO_TCP_ ||
	    ipv6_tcp_parse(p + c.l4_off, c.l4_len, &h.src, &h.dst, &th, true) != TCP_OK)
		fz_fail("the stack sent an IPv6 packet that is not good TCP (next header %u)", c.proto);
	size_t sack_bytes = th.opts.nsack ? 4u + 8u * th.opts.nsack : 0;
	if (len - sack_bytes > FZ_MTU)
		fz_fail("the stack sent a %zu-byte IPv6 packet on a %d-byte MTU", len, FZ_MTU);
	fz_check_pmtu(f, h.dst, len, "IPv6 TCP");
}

/* The device: every packet the stack sends must be one a peer can parse. */
static int fz_capture(void *ctx, const void *pkt, size_t len)
{
	struct fz *f = ctx;
	const uint8_t *p = pkt;
	struct ipv4_hdr ih;
	bool refuse = f->refuse_mask >> (f->offered++ % 8) & 1;
	if (len && p[0] >> 4 == 6) {
		fz_capture6(f, p, len);
		if (refuse) {
			f->refused++;
			return -ENOBUFS;
		}
		f->out_pkts++;
		return 0;
	}
	if (ipv4_parse(p, len, &ih) != IPV4_OK || ih.total_len != len)
		fz_fail("the stack sent a bad IPv4 packet (%zu bytes)", len);
	if (ih.src != FZ_LADDR)
		fz_fail("the stack sent from %08x", ih.src);
	const uint8_t *l4 = p + ih.ihl_bytes;
	size_t l4len = len - ih.ihl_bytes;
	if (ih.proto == IPPROTO_ICMP_) {
		struct icmp_hdr icmp;
		if (icmp_parse(l4, l4len, &icmp) != 0)
			fz_fail("the stack sent a bad ICMP message");
		if (refuse) {
			f->refused++;
			return -ENOBUFS;
		}
		f->out_pkts++;
		return 0;
	}
	if (ih.proto != IPPROTO_TCP_)
		fz_fail("the stack sent protocol %u", ih.proto);
	struct tcp_hdr h;
	if (tcp_parse(l4, l4len, ih.src, ih.dst, &h) != TCP_OK)
		fz_fail("the stack sent a TCP segment that does not parse");
	if (len > FZ_MTU) {
		/* fuzz/crashers/conn_state-sack-over-mtu */
		size_t sack_bytes = h.opts.nsack ? 4u + 8u * h.opts.nsack : 0;
		if (len - sack_bytes > FZ_MTU ||
		    !fz_tolerate(FZ_TOLERATE_SACK_OVER_MTU, "a data segment with SACK blocks over the MTU"))
			fz_fail("the stack sent a %zu-byte TCP packet on a %d-byte MTU", len, FZ_MTU);
	}
	if (ih.df)
		fz_check_pmtu(f, ip_addr_v4(ih.dst), len, "DF TCP");
	if (refuse) {
		if (f->trace)
			fz_trace_seg(f, "REF", h.flags, h.seq, h.ack, (uint32_t)(l4len - h.doff_bytes),
				     h.win);
		f->refused++;
		return -ENOBUFS;
	}
	f->out_pkts++;
	if (f->lport == 0 && ih.dst == FZ_RADDR && h.dport == f->rport && (h.flags & TH_SYN))
		f->lport = h.sport; /* connect()'s SYN names the ephemeral port */
	if (ih.dst != FZ_RADDR || h.dport != f->rport || h.sport != f->lport)
		return 0;
	uint32_t dlen = (uint32_t)(l4len - h.doff_bytes);
	uint32_t end = h.seq + dlen + !!(h.flags & TH_SYN) + !!(h.flags & TH_FIN);
	if (h.flags & TH_SYN) {
		f->iss = h.seq;
		if (!f->seen || seq_gt(end, f->snd_nxt))
			f->snd_nxt = end;
	} else if (!(h.flags & TH_RST) && seq_gt(end, f->snd_nxt)) {
		f->snd_nxt = end;
	}
	if (h.flags & TH_ACK)
		f->rcv_ack = h.ack;
	if (h.opts.has_ts)
		f->stack_tsval = h.opts.ts_val;
	if (f->trace)
		fz_trace_seg(f, "out", h.flags, h.seq, h.ack, dlen, h.win);
	f->seen = true;
	f->last_flags = h.flags;
	f->last_seq = h.seq;
	f->last_ack = h.ack;
	f->last_win = h.win;
	f->out_tcp_to_peer++;
	return 0;
}

/* A configuration with small limits, so that fuzzing reaches them. */
FZ_FN void fz_config(struct gt_config *cfg, bool freebsd)
{
	gt_config_default(cfg, freebsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
	cfg->max_sockets = 16;
	cfg->max_conns = 8;
	cfg->max_timewait = 4;
	cfg->max_syn_backlog = 4;
	cfg->max_reass_ranges = 4;
	cfg->sndbuf_bytes = 8192;
	cfg->rcvbuf_bytes = 8192;
	cfg->max_buffer_bytes = 6 * 16384;
	cfg->buf_round_to_mss = false; /* keeps buffer_bytes within the limit above */
	for (int i = 0; i < 16; i++)
		cfg->isn_secret[i] = (uint8_t)(0x5a + 7 * i);
}

FZ_FN void fz_init(struct fz *f, const struct gt_config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	struct gt_device dev = {.transmit = fz_capture, .ctx = f, .mtu = FZ_MTU};
	f->s = gt_stack_new(&f->cfg, &dev);
	if (!f->s)
		fz_fail("gt_stack_new refused the configuration");
	if (gt_stack_add_ipv4(f->s, FZ_LADDR, 24) != 0 || gt_stack_add_ipv6(f->s, &fz_laddr6, 64) != 0)
		fz_fail("gt_stack_add_ipv4/6");
	f->now_us = FZ_T0_US;
	gt_stack_poll(f->s, f->now_us);
	f->lport = FZ_LPORT;
	f->rport = FZ_RPORT;
	f->lsd = f->sd = -1;
	f->peer_nxt = FZ_PEER_ISS;
	f->peer_tsval = 100;
	f->trace = getenv("GT_FUZZ_TRACE") != NULL;
}

FZ_FN void fz_fini(struct fz *f)
{
	gt_stack_free(f->s);
	f->s = NULL;
}

/* Builds an IPv4+TCP packet from the peer with correct checksums; raw
 * option bytes are padded with zeros to a multiple of 4 (at most 40). */
FZ_FN size_t fz_build(struct fz *f, uint8_t *out, uint8_t flags, uint32_t seq, uint32_t ack,
		      uint16_t win, const uint8_t *opt, size_t olen, const void *payload,
		      size_t len)
{
	if (olen > TCP_OPT_MAX)
		olen = TCP_OPT_MAX;
	size_t ob = (olen + 3) & ~(size_t)3;
	if (IPV4_HDR_MIN + TCP_HDR_MIN + ob + len > FZ_PKT_MAX)
		len = FZ_PKT_MAX - IPV4_HDR_MIN - TCP_HDR_MIN - ob;
	uint8_t *seg = out + IPV4_HDR_MIN;
	memset(seg + TCP_HDR_MIN, 0, ob);
	if (olen)
		memcpy(seg + TCP_HDR_MIN, opt, olen);
	if (len)
		memcpy(seg + TCP_HDR_MIN + ob, payload, len);
	struct tcp_hdr h = {
		.sport = f->rport, .dport = f->lport, .seq = seq, .ack = ack,
		.doff_bytes = (uint8_t)(TCP_HDR_MIN + ob), .flags = flags, .win = win,
	};
	tcp_emit(seg, &h, seg + TCP_HDR_MIN, ob, len, FZ_RADDR, FZ_LADDR);
	size_t total = IPV4_HDR_MIN + TCP_HDR_MIN + ob + len;
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)total, .id = f->ip_id++,
		.df = true, .ttl = 64, .proto = IPPROTO_TCP_, .src = FZ_RADDR, .dst = FZ_LADDR,
	};
	ipv4_emit(out, &ih);
	if (f->trace)
		fz_trace_seg(f, "in ", flags, seq, ack, (uint32_t)len, win);
	return total;
}

/* Sends a segment from the peer with parsed options (NULL: none, or the
 * timestamp alone when the peer uses timestamps). */
FZ_FN void fz_send(struct fz *f, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
		   const void *payload, size_t len, const struct tcp_opts *opts)
{
	uint8_t pkt[FZ_PKT_MAX], ob[TCP_OPT_MAX];
	struct tcp_opts ts;
	size_t olen = 0;
	if (!opts && f->peer_ts) {
		memset(&ts, 0, sizeof(ts));
		ts.has_ts = true;
		ts.ts_val = f->peer_tsval;
		ts.ts_ecr = (flags & TH_ACK) ? f->stack_tsval : 0;
		opts = &ts;
	}
	if (opts)
		olen = tcp_opts_emit(ob, opts, flags & TH_SYN, TCP_SYNOPT_LINUX);
	size_t n = fz_build(f, pkt, flags, seq, ack, win, ob, olen, payload, len);
	gt_stack_input(f->s, f->now_us, pkt, n);
}

/* Runs the stack's timers in order up to now + us (bounded). */
FZ_FN void fz_advance(struct fz *f, uint64_t us)
{
	uint64_t end = f->now_us + us;
	for (int guard = 0; guard < 20000; guard++) {
		uint64_t t = gt_stack_next_deadline(f->s);
		if (t == GT_NO_DEADLINE || t > end)
			break;
		if (t > f->now_us)
			f->now_us = t;
		gt_stack_poll(f->s, f->now_us);
	}
	f->now_us = end;
	gt_stack_poll(f->s, f->now_us);
}

/* ---- Invariants ---------------------------------------------------------- */

struct fz_walk {
	const struct gt_config *cfg;
	uint32_t n, persist, stalled, by_state[GT_TCP_NSTATES];
	uint64_t rcv_held; /* bytes of the receive rings that hold memory */
};

static void fz_check_conn(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	struct fz_walk *w = ctx;
	(void)s;
	if (c->state >= GT_TCP_NSTATES || c->state == GT_TCP_LISTEN ||
	    c->state == GT_TCP_TIME_WAIT)
		fz_fail("a TCB in state %u", c->state);
	tcp_conn_assert(c);
	if (c->nooo > w->cfg->max_reass_ranges)
		fz_fail("%u out-of-order ranges, limit %u", c->nooo, w->cfg->max_reass_ranges);
	if (c->snd.len > c->snd.cap || c->rcv.len > c->rcv.cap)
		fz_fail("a ring holds more than its capacity");
	w->n++;
	w->by_state[c->state]++;
	if (c->rcv.buf)
		w->rcv_held += c->rcv.cap;
	if (c->persist)
		w->persist++;
	/* fuzz/crashers/conn_state-sws-stall: data waits, nothing is in
	 * flight, and no timer will ever send it. */
	if (!c->persist && c->snd.len && c->snd_una == c->snd_max && c->rtx_at == TCP_TIMER_NONE &&
	    c->persist_at == TCP_TIMER_NONE && c->linger_at == TCP_TIMER_NONE)
		w->stalled++;
}

/* The gauges within the configured limits and consistent with the TCBs. */
FZ_FN uint32_t fz_check(struct fz *f, uint32_t *stalled)
{
	struct gt_gauges g;
	gt_stack_gauges(f->s, &g);
	const struct gt_config *cfg = &f->cfg;
	if (g.sockets > cfg->max_sockets)
		fz_fail("sockets %u > max_sockets %u", g.sockets, cfg->max_sockets);
	if (g.conns > cfg->max_conns)
		fz_fail("conns %u > max_conns %u", g.conns, cfg->max_conns);
	if (g.timewait > cfg->max_timewait)
		fz_fail("timewait %u > max_timewait %u", g.timewait, cfg->max_timewait);
	char why[256];
	if (!tcp_check_all(f->s, why, sizeof(why)))
		fz_fail("tcp_check_all: %s", why);
	struct fz_walk w = {.cfg = cfg};
	tcp_foreach(f->s, fz_check_conn, &w);
	/* The budget holds, but for what an empty receive queue took past it
	 * for its next in-order segment (tcp_ring_reserve_forced(),
	 * TcpBufForced, Linux's sk_forced_mem_schedule()): at most the
	 * receive rings held, and only once a forced take was counted
	 * (fuzz/crashers/conn_state-forced-rcv-ring-over-budget). */
	uint64_t forced_room = gt_stack_stats(f->s)->TcpBufForced ? w.rcv_held : 0;
	if (g.buffer_bytes > cfg->max_buffer_bytes + forced_room)
		fz_fail("buffer_bytes %llu > max_buffer_bytes %llu + %llu taken by force",
			(unsigned long long)g.buffer_bytes, (unsigned long long)cfg->max_buffer_bytes,
			(unsigned long long)forced_room);
	if (w.n != g.conns)
		fz_fail("%u TCBs in use, gauge says %u", w.n, g.conns);
	for (int st = 0; st < GT_TCP_NSTATES; st++) {
		uint32_t want = w.by_state[st] + (st == GT_TCP_TIME_WAIT ? g.timewait : 0);
		if (g.conns_by_state[st] != want)
			fz_fail("conns_by_state[%s] = %u, counted %u", gt_tcp_state_name(st),
				g.conns_by_state[st], want);
	}
	const struct gt_stats *st = gt_stack_stats(f->s);
	if (st->TcpCurrEstab != w.by_state[GT_TCP_ESTABLISHED] + w.by_state[GT_TCP_CLOSE_WAIT])
		fz_fail("TcpCurrEstab %llu, counted %u", (unsigned long long)st->TcpCurrEstab,
			w.by_state[GT_TCP_ESTABLISHED] + w.by_state[GT_TCP_CLOSE_WAIT]);
	if (f->sd >= 0) {
		struct gt_tcp_info ti;
		size_t len = sizeof(ti);
		if (gt_getsockopt(f->s, f->sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) == 0 &&
		    ti.state >= GT_TCP_NSTATES)
			fz_fail("TCP_INFO state %u", ti.state);
	}
	if (stalled)
		*stalled = w.stalled;
	return w.persist;
}

static void fz_print_conn(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	(void)ctx;
	uint64_t now = gt_stack_now(s);
	fprintf(stderr, "  TCB :%u->:%u %s sd %d persist %d snd_una %u snd_nxt %u snd_max %u "
			"snd.len %u snd_wnd %u backoff %u fin_queued %d fin_sent %d timers(s from "
			"now): rtx %.1f persist %.1f fin2 %.1f keep %.1f linger %.1f\n",
		c->lport, c->fport, gt_tcp_state_name(c->state), c->owner, c->persist, c->snd_una,
		c->snd_nxt, c->snd_max, c->snd.len, c->snd_wnd, c->backoff, c->fin_queued,
		c->fin_sent,
		c->rtx_at == TCP_TIMER_NONE ? -1.0 : (double)(c->rtx_at - now) / 1e6,
		c->persist_at == TCP_TIMER_NONE ? -1.0 : (double)(c->persist_at - now) / 1e6,
		c->fin2_at == TCP_TIMER_NONE ? -1.0 : (double)(c->fin2_at - now) / 1e6,
		c->keep_at == TCP_TIMER_NONE ? -1.0 : (double)(c->keep_at - now) / 1e6,
		c->linger_at == TCP_TIMER_NONE ? -1.0 : (double)(c->linger_at - now) / 1e6);
}

/* Liveness once the application has let go: every descriptor closed and the
 * peer silent, every connection must end within a few hours of virtual time
 * (retransmission limits, FIN_WAIT_2 and TIME_WAIT timeouts). Connections
 * probing a zero window are counted apart: RFC 9293 3.8.6.1 lets them live
 * while the peer answers, and today the stack probes an unanswering peer
 * forever too (docs/robustness.md). */
FZ_FN void fz_finish(struct fz *f, bool check_liveness)
{
	f->refuse_mask = 0; /* the device takes everything from here */
	for (int sd = 0; sd < (int)f->cfg.max_sockets; sd++)
		gt_close(f->s, sd);
	f->lsd = f->sd = -1;
	fz_advance(f, 4ull * 3600 * 1000000);
	/* A close with SO_LINGER > 0 may have been refused (-EWOULDBLOCK)
	 * while it waited; by now it has its answer. */
	for (int sd = 0; sd < (int)f->cfg.max_sockets; sd++)
		gt_close(f->s, sd);
	uint32_t stalled;
	uint32_t persist = fz_check(f, &stalled);
	struct gt_gauges g;
	gt_stack_gauges(f->s, &g);
	if (stalled && fz_tolerate(FZ_TOLERATE_SWS_STALL, "a sender stalled behind a small window"))
		persist += stalled;
	if (check_liveness && g.conns > persist) {
		tcp_foreach(f->s, fz_print_conn, NULL);
		fz_fail("%u connections alive 4 h after every close (%u probing a zero window)",
			g.conns, persist);
	}
	if (g.timewait || g.sockets)
		fz_fail("%u TIME_WAIT entries and %u sockets left", g.timewait, g.sockets);
}

/* ---- Walks into the states (as tests/dialogue/dlg.c does) ---------------- */

/* The peer's SYN options: MSS, and the rest as the stack offers them. */
static struct tcp_opts fz_syn_opts(struct fz *f, bool ack)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.has_mss = true;
	o.mss = 1460;
	o.sack_ok = f->cfg.opt_sack;
	o.has_wscale = f->cfg.opt_wscale;
	o.wscale = 7;
	o.has_ts = f->cfg.opt_timestamps;
	o.ts_val = f->peer_tsval;
	o.ts_ecr = ack ? f->stack_tsval : 0;
	f->peer_ts = o.has_ts;
	return o;
}

FZ_FN void fz_listen(struct fz *f)
{
	f->lsd = gt_socket(f->s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = f->lport, .addr = 0};
	if (f->lsd < 0 || gt_bind(f->s, f->lsd, &a) != 0 || gt_listen(f->s, f->lsd, 4) != 0)
		fz_fail("listen on %u", f->lport);
}

static void fz_expect(struct fz *f, uint64_t before, uint8_t flags, const char *what)
{
	/* The flags asked for, maybe with more (a BSD ACK carries its FIN
	 * again), never an RST. */
	if (f->out_tcp_to_peer == before || (f->last_flags & flags) != flags ||
	    (f->last_flags & TH_RST))
		fz_fail("%s: the stack answered %#x (%llu segments)", what, f->last_flags,
			(unsigned long long)(f->out_tcp_to_peer - before));
}

FZ_FN void fz_syn_received(struct fz *f)
{
	if (f->lsd < 0)
		fz_listen(f);
	struct tcp_opts o = fz_syn_opts(f, false);
	uint64_t n = f->out_tcp_to_peer;
	f->peer_nxt = FZ_PEER_ISS;
	fz_send(f, TH_SYN, f->peer_nxt, 0, 65535, NULL, 0, &o);
	f->peer_nxt++;
	fz_expect(f, n, TH_SYN | TH_ACK, "SYN to the listener");
}

FZ_FN void fz_established_passive(struct fz *f)
{
	fz_syn_received(f);
	f->peer_tsval++;
	fz_send(f, TH_ACK, f->peer_nxt, f->snd_nxt, 65535, NULL, 0, NULL);
	f->sd = gt_accept(f->s, f->lsd, NULL);
	if (f->sd < 0)
		fz_fail("accept after the handshake: %d", f->sd);
}

FZ_FN void fz_syn_sent(struct fz *f)
{
	f->sd = gt_socket(f->s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = f->rport, .addr = FZ_RADDR};
	uint64_t n = f->out_tcp_to_peer;
	f->lport = 0; /* learnt from the SYN */
	int r = gt_connect(f->s, f->sd, &a);
	if (r != -EINPROGRESS)
		fz_fail("connect: %d", r);
	fz_expect(f, n, TH_SYN, "connect");
	f->peer_nxt = FZ_PEER_ISS;
}

FZ_FN void fz_established_active(struct fz *f)
{
	fz_syn_sent(f);
	struct tcp_opts o = fz_syn_opts(f, true);
	uint64_t n = f->out_tcp_to_peer;
	fz_send(f, TH_SYN | TH_ACK, f->peer_nxt, f->snd_nxt, 65535, NULL, 0, &o);
	f->peer_nxt++;
	f->peer_tsval++;
	fz_expect(f, n, TH_ACK, "SYN-ACK to SYN_SENT");
}

FZ_FN void fz_fin_wait_1(struct fz *f)
{
	fz_established_passive(f);
	uint64_t n = f->out_tcp_to_peer;
	if (gt_shutdown(f->s, f->sd, GT_SHUT_WR) != 0)
		fz_fail("shutdown(WR)");
	fz_expect(f, n, TH_FIN | TH_ACK, "shutdown in ESTABLISHED");
}

FZ_FN void fz_fin_wait_2(struct fz *f)
{
	fz_fin_wait_1(f);
	f->peer_tsval++;
	fz_send(f, TH_ACK, f->peer_nxt, f->snd_nxt, 65535, NULL, 0, NULL);
}

FZ_FN void fz_closing(struct fz *f)
{
	fz_fin_wait_1(f);
	uint64_t n = f->out_tcp_to_peer;
	f->peer_tsval++;
	fz_send(f, TH_FIN | TH_ACK, f->peer_nxt, f->snd_nxt - 1, 65535, NULL, 0, NULL);
	f->peer_nxt++;
	fz_expect(f, n, TH_ACK, "FIN crossing ours");
}

FZ_FN void fz_time_wait(struct fz *f)
{
	fz_fin_wait_2(f);
	uint64_t n = f->out_tcp_to_peer;
	f->peer_tsval++;
	fz_send(f, TH_FIN | TH_ACK, f->peer_nxt, f->snd_nxt, 65535, NULL, 0, NULL);
	f->peer_nxt++;
	fz_expect(f, n, TH_ACK, "FIN in FIN_WAIT_2");
}

FZ_FN void fz_close_wait(struct fz *f)
{
	fz_established_passive(f);
	f->peer_tsval++;
	fz_send(f, TH_FIN | TH_ACK, f->peer_nxt, f->snd_nxt, 65535, NULL, 0, NULL);
	f->peer_nxt++;
}

FZ_FN void fz_last_ack(struct fz *f)
{
	fz_close_wait(f);
	fz_advance(f, 200000); /* the delayed ACK of the FIN, if the profile delays it */
	uint64_t n = f->out_tcp_to_peer;
	if (gt_shutdown(f->s, f->sd, GT_SHUT_WR) != 0)
		fz_fail("shutdown(WR) in CLOSE_WAIT");
	fz_expect(f, n, TH_FIN | TH_ACK, "shutdown in CLOSE_WAIT");
}

/* Brings the connection to state st (enum gt_tcp_state); LISTEN leaves only
 * the listener. Returns the state reached as TCP_INFO reports it, or
 * GT_TCP_TIME_WAIT / GT_TCP_LISTEN for those two. */
FZ_FN uint8_t fz_walk_to(struct fz *f, uint8_t st)
{
	switch (st) {
	case GT_TCP_LISTEN: fz_listen(f); return st;
	case GT_TCP_SYN_SENT: fz_syn_sent(f); break;
	case GT_TCP_SYN_RECEIVED: fz_syn_received(f); return st;
	case GT_TCP_FIN_WAIT_1: fz_fin_wait_1(f); break;
	case GT_TCP_FIN_WAIT_2: fz_fin_wait_2(f); break;
	case GT_TCP_CLOSE_WAIT: fz_close_wait(f); break;
	case GT_TCP_CLOSING: fz_closing(f); break;
	case GT_TCP_LAST_ACK: fz_last_ack(f); break;
	case GT_TCP_TIME_WAIT: fz_time_wait(f); return st;
	case GT_TCP_ESTABLISHED:
	default: fz_established_passive(f); st = GT_TCP_ESTABLISHED; break;
	}
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	if (gt_getsockopt(f->s, f->sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) != 0 ||
	    ti.state != st)
		fz_fail("walk to %s ended in %s", gt_tcp_state_name(st), gt_tcp_state_name(ti.state));
	return st;
}

/* ---- Checksums for arbitrary bytes --------------------------------------- */

FZ_FN void fz_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Writes a correct TCP checksum into seg (len >= 20) for src -> dst. */
FZ_FN void fz_fix_tcp(uint8_t *seg, size_t len, uint32_t src, uint32_t dst)
{
	if (len < TCP_HDR_MIN || len > UINT16_MAX)
		return;
	fz_put16(seg + 16, 0);
	uint32_t sum = csum_pseudo_ipv4(src, dst, IPPROTO_TCP_, (uint16_t)len);
	fz_put16(seg + 16, csum_fold(csum_partial(seg, len, sum)));
}

FZ_FN void fz_fix_icmp(uint8_t *msg, size_t len)
{
	if (len < 8)
		return;
	fz_put16(msg + 2, 0);
	fz_put16(msg + 2, csum_fold(csum_partial(msg, len, 0)));
}

/* IPv6: the payload length, and the TCP or ICMPv6 checksum of the upper
 * layer, found behind the extension headers as a quoted packet's is
 * (ipv6_skip_chain(): Hop-by-Hop, Routing, Fragment, Destination Options),
 * so that the fuzzer reaches TCP through chains and first fragments, not
 * only behind the fixed header (RFC 8200 8.1). */
FZ_FN void fz_fix_packet6(uint8_t *pkt, size_t len)
{
	if (len < IPV6_HDR_LEN || len - IPV6_HDR_LEN > UINT16_MAX)
		return;
	fz_put16(pkt + 4, (uint16_t)(len - IPV6_HDR_LEN));
	uint8_t proto;
	size_t l4_off;
	if (ipv6_skip_chain(pkt, len, &proto, &l4_off) < 0)
		return;
	uint8_t *l4 = pkt + l4_off;
	size_t pl = len - l4_off;
	size_t off = proto == IPPROTO_TCP_ ? 16 : proto == IPPROTO_ICMPV6_ ? 2 : 0;
	if (!off || pl < off + 2 || (off == 16 && pl < TCP_HDR_MIN))
		return;
	fz_put16(l4 + off, 0);
	uint32_t sum = csum_pseudo_ipv6(pkt + 8, pkt + 24, proto, (uint32_t)pl);
	fz_put16(l4 + off, csum_fold(csum_partial(l4, pl, sum)));
}

/* Makes an arbitrary packet's lengths and checksums right, keeping every
 * other byte: the IPv4 total length and header checksum, and the TCP or
 * ICMP checksum of the payload; for IPv6 fz_fix_packet6(). Leaves other
 * bytes alone. */
FZ_FN void fz_fix_packet(uint8_t *pkt, size_t len)
{
	if (len >= IPV6_HDR_LEN && pkt[0] >> 4 == 6) {
		fz_fix_packet6(pkt, len);
		return;
	}
	if (len < IPV4_HDR_MIN || len > UINT16_MAX || pkt[0] >> 4 != 4)
		return;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_MIN || ihl > len)
		return;
	fz_put16(pkt + 2, (uint16_t)len);
	fz_put16(pkt + 10, 0);
	fz_put16(pkt + 10, csum_fold(csum_partial(pkt, ihl, 0)));
	if (pkt[9] == IPPROTO_TCP_)
		fz_fix_tcp(pkt + ihl, len - ihl, fz_be32(pkt + 12), fz_be32(pkt + 16));
	else if (pkt[9] == IPPROTO_ICMP_)
		fz_fix_icmp(pkt + ihl, len - ihl);
}

/* fuzz_stack_input's world: the small-limit Linux configuration, a
 * listener on port 80 and one established connection to it from
 * 10.0.0.2:40000 (f.sd), accepted; the application keeps up to four more
 * accepted connections, closing the oldest. fuzz/gen_corpus.c drives the
 * same steps to write seeds that match the stack's sequence numbers. */
#define FZ_SI_KEEP 4
struct fz_si {
	struct fz f;
	int lsd6;                  /* the IPv6 listener, [2001:db8::1]:80 */
	int accepted[FZ_SI_KEEP];
	unsigned next;
	uint8_t pkt[1 << 15];
};

FZ_FN void fz_si_setup(struct fz_si *si)
{
	struct gt_config cfg;
	fz_config(&cfg, false);
	fz_init(&si->f, &cfg);
	fz_established_passive(&si->f);
	si->lsd6 = gt_socket(si->f.s, GT_AF_INET6, GT_SOCK_STREAM);
	struct gt_sockaddr a6 = {.family = GT_AF_INET6, .port = FZ_LPORT};
	a6.addr6 = fz_laddr6;
	int one = 1;
	if (si->lsd6 < 0 ||
	    gt_setsockopt(si->f.s, si->lsd6, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &one, sizeof(one)) ||
	    gt_bind(si->f.s, si->lsd6, &a6) || gt_listen(si->f.s, si->lsd6, 4))
		fz_fail("the IPv6 listener");
	for (int i = 0; i < FZ_SI_KEEP; i++)
		si->accepted[i] = -1;
	si->next = 0;
}

/* One record: t's bits 5-0 advance the clock by 0 or 2^(n-1) us, then the
 * packet (its lengths and checksums made right first if fix) goes in, then
 * the application sends 1000 bytes (t bit 6), reads everything (bit 7) and
 * accepts what is queued. */
FZ_FN void fz_si_step(struct fz_si *si, uint8_t t, bool fix, const uint8_t *p, size_t len)
{
	static const char text[1000] = "glasstcp";
	char buf[2048];
	struct fz *f = &si->f;
	uint8_t step = t & 0x3f;
	if (step)
		fz_advance(f, 1ull << (step - 1));
	if (len > sizeof(si->pkt))
		len = sizeof(si->pkt);
	memcpy(si->pkt, p, len);
	if (fix)
		fz_fix_packet(si->pkt, len);
	gt_stack_input(f->s, f->now_us, si->pkt, len);
	if (t & 0x40)
		gt_send(f->s, f->sd, text, sizeof(text), 0);
	if (t & 0x80)
		while (gt_recv(f->s, f->sd, buf, sizeof(buf), 0) > 0)
			;
	for (int k = 0; k < 2; k++)
		for (int sd; (sd = gt_accept(f->s, k ? si->lsd6 : f->lsd, NULL)) >= 0;) {
			unsigned i = si->next++ % FZ_SI_KEEP;
			if (si->accepted[i] >= 0)
				gt_close(f->s, si->accepted[i]);
			si->accepted[i] = sd;
		}
}

#endif
