/* The segment-dialogue library (see dlg.h): capture device, packet builder,
 * virtual clock, segment expectations and the helpers that walk a connection
 * into each RFC 9293 state. */
#include "dlg.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tcp/tcp_check.h"
#include "util/checksum.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

static struct dlg the_dlg;

const struct gt_in6_addr dlg_laddr6 = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
const struct gt_in6_addr dlg_raddr6 = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};

void dlg_config(struct gt_config *cfg)
{
	/* The dialogues test the RFC's delayed ACK and FIN handling; Linux's
	 * quick-ACK mode and delayed FIN ACK have tests of their own. */
	gt_config_default(cfg, GT_PROFILE_LINUX);
	cfg->opt_timestamps = false;
	cfg->opt_sack = false;
	cfg->opt_wscale = false;
	cfg->quickack_max_segs = 0;
	cfg->fin_delack = false;
	cfg->ack_unsent_challenge = false;
	cfg->cc = GT_CC_NEWRENO; /* RFC 5681 / RFC 6582 arithmetic in the tests */
	cfg->rcvbuf_autotune = false; /* windows the tests can predict; tested apart */
	cfg->rto_min_adds_srtt = false; /* RFC 6298's RTO bound; Linux's is tested apart */
	cfg->oow_ack_window_ms = 0; /* every answer the RFC asks for; the limit is tested apart */
	/* Timers at their deadlines, as the RFCs time them; Linux's timer
	 * wheel is tested apart (unit.timer_wheel_*, tests/pkt/linux). */
	cfg->timer_wheel = false;
	dlg_fixed_isn(cfg);
}

void dlg_fixed_isn(struct gt_config *cfg)
{
	for (int i = 0; i < 16; i++)
		cfg->isn_secret[i] = (uint8_t)(0x5a + 7 * i);
}

void dlg_config_plain(struct gt_config *cfg, enum gt_profile p)
{
	gt_config_default(cfg, p);
	cfg->opt_timestamps = false;
	cfg->opt_wscale = false;
	cfg->rcvbuf_autotune = cfg->sndbuf_autotune = false;
	cfg->oow_ack_window_ms = 0;
	dlg_fixed_isn(cfg);
}

static int capture(void *ctx, const void *pkt, size_t len)
{
	struct dlg *d = ctx;
	if (d->n == DLG_MAX_PKTS || len > DLG_PKT_MAX) {
		d->overflow = true;
		return 0;
	}
	size_t i = (d->head + d->n) % DLG_MAX_PKTS;
	memcpy(d->pkts[i], pkt, len);
	d->lens[i] = len;
	d->n++;
	return 0;
}

/* GT_DLG_GATHER=1: the stack's device is a gather device (transmitv), whose
 * pieces are joined here, so every dialogue also checks that path. */
static int capture_v(void *ctx, const struct gt_iovec *iov, int iovcnt)
{
	static uint8_t join[DLG_PKT_MAX];
	int len = gt_iovec_join(join, sizeof(join), iov, iovcnt);
	if (len < 0) {
		((struct dlg *)ctx)->overflow = true;
		return 0;
	}
	return capture(ctx, join, (size_t)len);
}

void dlg_free(struct dlg *d)
{
	if (d->s)
		gt_stack_free(d->s);
	d->s = NULL;
}

struct dlg *dlg_new(const struct gt_config *cfg)
{
	struct dlg *d = &the_dlg;
	dlg_free(d);
	memset(d, 0, sizeof(*d));
	if (cfg)
		d->cfg = *cfg;
	else
		dlg_config(&d->cfg);
	struct gt_device dev = {.transmit = capture, .ctx = d, .mtu = 1500};
	const char *g = getenv("GT_DLG_GATHER");
	if (g && strcmp(g, "1") == 0)
		dev.transmitv = capture_v;
	d->s = gt_stack_new(&d->cfg, &dev);
	if (!d->s)
		gt_test_fail(__FILE__, __LINE__, "gt_stack_new refused the configuration");
	if (gt_stack_add_ipv4(d->s, DLG_LADDR, 24) != 0)
		gt_test_fail(__FILE__, __LINE__, "gt_stack_add_ipv4 failed");
	d->now_us = DLG_T0_US;
	gt_stack_poll(d->s, d->now_us);
	d->lport = DLG_LPORT;
	d->rport = DLG_RPORT;
	d->lsd = d->sd = -1;
	d->peer_nxt = DLG_PEER_ISS;
	d->peer_syn_opts.has_mss = true;
	d->peer_syn_opts.mss = DLG_MSS;
	d->peer_tsval = 100;
	return d;
}

struct dlg *dlg_new_ts(const struct gt_config *cfg)
{
	struct gt_config c;
	if (cfg)
		c = *cfg;
	else
		dlg_config(&c);
	c.opt_timestamps = true;
	struct dlg *d = dlg_new(&c);
	d->peer_syn_opts.has_ts = true;
	return d;
}

struct dlg *dlg_new6(const struct gt_config *cfg)
{
	struct dlg *d = dlg_new(cfg);
	if (gt_stack_add_ipv6(d->s, &dlg_laddr6, 64) != 0)
		gt_test_fail(__FILE__, __LINE__, "gt_stack_add_ipv6 failed");
	d->v6 = true;
	d->v6_hops = 64;
	d->peer_syn_opts.mss = DLG_MSS6;
	return d;
}

/* The peer's segment after an IP header of ip_len bytes: options and payload
 * in place, sizes checked, and the TCP header the caller emits. */
static struct tcp_hdr peer_segment(const struct dlg *d, uint8_t *seg, size_t ip_len, uint8_t flags,
				   uint32_t seq, uint32_t ack, uint16_t win,
				   const uint8_t *opt_bytes, size_t olen, const void *payload,
				   size_t len)
{
	if (olen % 4 || olen > TCP_OPT_MAX || ip_len + TCP_HDR_MIN + olen + len > DLG_PKT_MAX)
		gt_test_fail(__FILE__, __LINE__, "dlg_build_raw: bad sizes olen=%zu len=%zu", olen, len);
	if (olen)
		memcpy(seg + TCP_HDR_MIN, opt_bytes, olen);
	if (len)
		memcpy(seg + TCP_HDR_MIN + olen, payload, len);
	return (struct tcp_hdr){
		.sport = d->rport, .dport = d->lport, .seq = seq, .ack = ack,
		.doff_bytes = (uint8_t)(TCP_HDR_MIN + olen), .flags = flags, .win = win,
	};
}

static size_t build_raw6(struct dlg *d, uint8_t *out, uint8_t flags, uint32_t seq, uint32_t ack,
			 uint16_t win, const uint8_t *opt_bytes, size_t olen, const void *payload,
			 size_t len)
{
	uint8_t *seg = out + IPV6_HDR_LEN;
	struct tcp_hdr h = peer_segment(d, seg, IPV6_HDR_LEN, flags, seq, ack, win, opt_bytes, olen,
					payload, len);
	ipv6_tcp_emit(seg, &h, seg + TCP_HDR_MIN, olen, len, &dlg_raddr6, &dlg_laddr6);
	struct ipv6_hdr ih = {
		.tclass = d->peer_tos, /* RFC 8200 7: the traffic class carries ECN */
		.flow = 0x12345, .payload_len = (uint16_t)(TCP_HDR_MIN + olen + len),
		.next = IPPROTO_TCP_, .hop_limit = 64, .src = dlg_raddr6, .dst = dlg_laddr6,
	};
	ipv6_emit(out, &ih);
	return IPV6_HDR_LEN + TCP_HDR_MIN + olen + len;
}

size_t dlg_build_raw(struct dlg *d, uint8_t *out, uint8_t flags, uint32_t seq, uint32_t ack,
		     uint16_t win, const uint8_t *opt_bytes, size_t olen, const void *payload,
		     size_t len)
{
	if (d->v6)
		return build_raw6(d, out, flags, seq, ack, win, opt_bytes, olen, payload, len);
	uint8_t *seg = out + IPV4_HDR_MIN;
	struct tcp_hdr h = peer_segment(d, seg, IPV4_HDR_MIN, flags, seq, ack, win, opt_bytes, olen,
					payload, len);
	tcp_emit(seg, &h, seg + TCP_HDR_MIN, olen, len, DLG_RADDR, DLG_LADDR);
	size_t total = IPV4_HDR_MIN + TCP_HDR_MIN + olen + len;
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)total, .id = d->ip_id++,
		.df = true, .ttl = 64, .proto = IPPROTO_TCP_, .src = DLG_RADDR, .dst = DLG_LADDR,
		.tos = d->peer_tos,
	};
	ipv4_emit(out, &ih);
	return total;
}

size_t dlg_build(struct dlg *d, uint8_t *out, uint8_t flags, uint32_t seq, uint32_t ack,
		 uint16_t win, const void *payload, size_t len, const struct tcp_opts *opts)
{
	uint8_t ob[TCP_OPT_MAX];
	size_t olen = 0;
	struct tcp_opts ts;
	if (!opts && d->peer_ts) {
		ts = dlg_opts_ts(d->peer_tsval, (flags & TH_ACK) ? d->stack_tsval : 0);
		opts = &ts;
	}
	if (opts)
		olen = tcp_opts_emit(ob, opts, flags & TH_SYN, TCP_SYNOPT_LINUX);
	return dlg_build_raw(d, out, flags, seq, ack, win, ob, olen, payload, len);
}

/* The whole-stack invariant checker after every step of a dialogue (every
 * build, not only debug ones): a broken invariant fails the test where it
 * broke, not where its effects show. */
static void check_stack(struct dlg *d, const char *what)
{
	char why[256];
	if (!tcp_check_all(d->s, why, sizeof(why)))
		gt_test_fail(__FILE__, __LINE__, "invariant broken after %s at t=%" PRIu64 " us: %s",
			     what, d->now_us, why);
}

void dlg_inject(struct dlg *d, const uint8_t *pkt, size_t len)
{
	gt_stack_input(d->s, d->now_us, pkt, len);
	check_stack(d, "input");
}

void dlg_check(struct dlg *d) { check_stack(d, "a call"); }

void dlg_send_big(struct dlg *d, const void *payload, uint32_t len)
{
	size_t total = IPV4_HDR_MIN + TCP_HDR_MIN + (size_t)len;
	uint8_t *pkt = total <= 65535 ? malloc(total) : NULL;
	if (!pkt)
		gt_test_fail(__FILE__, __LINE__, "dlg_send_big: %u bytes do not fit one packet", len);
	uint8_t *seg = pkt + IPV4_HDR_MIN;
	memcpy(seg + TCP_HDR_MIN, payload, len);
	struct tcp_hdr h = {
		.sport = d->rport, .dport = d->lport, .seq = d->peer_nxt, .ack = d->snd_nxt,
		.doff_bytes = TCP_HDR_MIN, .flags = TH_ACK | TH_PSH, .win = DLG_WIN,
	};
	tcp_emit(seg, &h, seg + TCP_HDR_MIN, 0, len, DLG_RADDR, DLG_LADDR);
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)total, .id = d->ip_id++,
		.df = true, .ttl = 64, .proto = IPPROTO_TCP_, .src = DLG_RADDR, .dst = DLG_LADDR,
	};
	ipv4_emit(pkt, &ih);
	dlg_inject(d, pkt, total);
	free(pkt);
}

void dlg_app_send_at(struct dlg *d, const char *file, int line, uint32_t len)
{
	static const uint8_t zeros[DLG_APP_MAX];
	if (len > sizeof(zeros))
		gt_test_fail(file, line, "dlg_app_send: %u bytes, more than DLG_APP_MAX", len);
	ssize_t n = gt_send(d->s, d->sd, zeros, len, 0);
	if (n != (ssize_t)len)
		gt_test_fail(file, line, "gt_send took %zd of %u bytes", n, len);
	check_stack(d, "a send");
}

void dlg_send(struct dlg *d, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
	      const void *payload, size_t len, const struct tcp_opts *opts)
{
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build(d, pkt, flags, seq, ack, win, payload, len, opts);
	dlg_inject(d, pkt, n);
}

void dlg_advance(struct dlg *d, uint64_t us)
{
	uint64_t end = d->now_us + us;
	for (int guard = 0; guard < 100000; guard++) {
		uint64_t t = gt_stack_next_deadline(d->s);
		if (t == GT_NO_DEADLINE || t > end)
			break;
		if (t > d->now_us)
			d->now_us = t;
		gt_stack_poll(d->s, d->now_us);
		check_stack(d, "poll");
	}
	d->now_us = end;
	gt_stack_poll(d->s, d->now_us);
	check_stack(d, "poll");
}

size_t dlg_pending(const struct dlg *d) { return d->n; }

void dlg_drain(struct dlg *d)
{
	d->head = (d->head + d->n) % DLG_MAX_PKTS;
	d->n = 0;
}

static const char *rel(char *buf, size_t n, uint32_t v, const struct dlg *d)
{
	/* Sequence numbers relative to both ISSs read better than raw ones. */
	uint32_t a = v - d->iss, b = v - DLG_PEER_ISS;
	if (d->iss && a < 0x100000)
		snprintf(buf, n, "iss+%" PRIu32, a);
	else if (b < 0x100000)
		snprintf(buf, n, "peer+%" PRIu32, b);
	else
		snprintf(buf, n, "%" PRIu32, v);
	return buf;
}

const char *dlg_seg_str(const struct dlg *d, const struct dlg_seg *g, char *buf, size_t n)
{
	char fl[16], sq[32], ak[32], opt[128] = "";
	const struct tcp_opts *o = &g->h.opts;
	size_t k = 0;
	if (o->has_mss)
		k += (size_t)snprintf(opt + k, sizeof(opt) - k, " mss %u", o->mss);
	if (o->has_wscale && k < sizeof(opt))
		k += (size_t)snprintf(opt + k, sizeof(opt) - k, " ws %u", o->wscale);
	if (o->sack_ok && k < sizeof(opt))
		k += (size_t)snprintf(opt + k, sizeof(opt) - k, " sackOK");
	if (o->has_ts && k < sizeof(opt))
		k += (size_t)snprintf(opt + k, sizeof(opt) - k, " ts %" PRIu32 "/%" PRIu32,
				      o->ts_val, o->ts_ecr);
	for (uint8_t i = 0; i < o->nsack && k < sizeof(opt); i++) {
		char l[32], r[32];
		k += (size_t)snprintf(opt + k, sizeof(opt) - k, " sack %s-%s",
				      rel(l, sizeof(l), o->sack[i].left, d),
				      rel(r, sizeof(r), o->sack[i].right, d));
	}
	snprintf(buf, n, "%s seq=%s ack=%s win=%u len=%" PRIu32 "%s%s%s", tcp_flags_str(g->h.flags, fl),
		 rel(sq, sizeof(sq), g->h.seq, d), rel(ak, sizeof(ak), g->h.ack, d), g->h.win,
		 g->len, k ? " <" : "", k ? opt + 1 : "", k ? ">" : "");
	return buf;
}

/* Pops the next captured packet into d->last; false when there is none. */
static bool pop(struct dlg *d, const char *file, int line)
{
	if (d->overflow)
		gt_test_fail(file, line, "capture overflow: more than %d packets pending",
			     DLG_MAX_PKTS);
	if (d->n == 0)
		return false;
	const uint8_t *p = d->pkts[d->head];
	size_t len = d->lens[d->head];
	d->head = (d->head + 1) % DLG_MAX_PKTS;
	d->n--;
	if (d->v6) {
		struct ipv6_hdr h6;
		struct ipv6_chain c6;
		memset(&c6, 0, sizeof(c6));
		if (ipv6_parse_packet(p, len, &h6, &c6) != IPV6_OK)
			gt_test_fail(file, line, "the stack sent a bad IPv6 packet (%zu bytes)", len);
		if (c6.proto != IPPROTO_TCP_ || !ipv6_addr_eq(&h6.src, &dlg_laddr6) ||
		    !ipv6_addr_eq(&h6.dst, &dlg_raddr6))
			gt_test_fail(file, line, "unexpected IPv6 packet, next header %u", c6.proto);
		if (h6.flow == 0 || h6.hop_limit != d->v6_hops)
			gt_test_fail(file, line, "flow label %u, hop limit %u", h6.flow, h6.hop_limit);
		const uint8_t *seg6 = p + c6.l4_off;
		enum tcp_parse_err e6 = ipv6_tcp_parse(seg6, c6.l4_len, &h6.src, &h6.dst, &d->last.h, true);
		if (e6 != TCP_OK)
			gt_test_fail(file, line, "the stack sent a TCP segment that does not parse (%d)", e6);
		d->last.len = (uint32_t)(c6.l4_len - d->last.h.doff_bytes);
		d->last.tos = h6.tclass;
		d->last.ttl = h6.hop_limit;
		memcpy(d->last.data, seg6 + d->last.h.doff_bytes, d->last.len);
		if (d->last.h.opts.has_ts)
			d->stack_tsval = d->last.h.opts.ts_val;
		return true;
	}
	struct ipv4_hdr ih;
	if (ipv4_parse(p, len, &ih) != IPV4_OK)
		gt_test_fail(file, line, "the stack sent a bad IPv4 packet (%zu bytes)", len);
	if (ih.proto != IPPROTO_TCP_ || ih.src != DLG_LADDR || ih.dst != DLG_RADDR)
		gt_test_fail(file, line, "unexpected packet proto %u %08" PRIx32 " -> %08" PRIx32,
			     ih.proto, ih.src, ih.dst);
	const uint8_t *seg = p + ih.ihl_bytes;
	size_t slen = (size_t)ih.total_len - ih.ihl_bytes;
	enum tcp_parse_err e = tcp_parse(seg, slen, ih.src, ih.dst, &d->last.h);
	if (e != TCP_OK)
		gt_test_fail(file, line, "the stack sent a TCP segment that does not parse (%d)", e);
	d->last.len = (uint32_t)(slen - d->last.h.doff_bytes);
	d->last.tos = ih.tos;
	d->last.ttl = ih.ttl;
	memcpy(d->last.data, seg + d->last.h.doff_bytes, d->last.len);
	if (d->last.h.opts.has_ts)
		d->stack_tsval = d->last.h.opts.ts_val;
	return true;
}

const struct dlg_seg *dlg_expect_at(struct dlg *d, const char *file, int line, uint8_t flags,
				    uint32_t seq, uint32_t ack)
{
	char fl[16], sq[32], ak[32], got[256];
	if (!pop(d, file, line))
		gt_test_fail(file, line, "expected %s seq=%s ack=%s, the stack sent nothing",
			     tcp_flags_str(flags, fl), rel(sq, sizeof(sq), seq, d),
			     rel(ak, sizeof(ak), ack, d));
	const struct tcp_hdr *h = &d->last.h;
	if (h->flags != flags || h->seq != seq || h->ack != ack || h->sport != d->lport ||
	    h->dport != d->rport) {
		gt_test_fail(file, line, "expected %s seq=%s ack=%s (%u -> %u), got %s (%u -> %u)",
			     tcp_flags_str(flags, fl), rel(sq, sizeof(sq), seq, d),
			     rel(ak, sizeof(ak), ack, d), d->lport, d->rport,
			     dlg_seg_str(d, &d->last, got, sizeof(got)), h->sport, h->dport);
	}
	return &d->last;
}

const struct dlg_seg *dlg_next_at(struct dlg *d, const char *file, int line)
{
	if (!pop(d, file, line))
		gt_test_fail(file, line, "expected a segment, the stack sent nothing");
	return &d->last;
}

void dlg_expect_none_at(struct dlg *d, const char *file, int line)
{
	char got[256];
	if (pop(d, file, line))
		gt_test_fail(file, line, "expected nothing, the stack sent %s (+%zu more)",
			     dlg_seg_str(d, &d->last, got, sizeof(got)), d->n);
}

const struct dlg_seg *dlg_expect_only_at(struct dlg *d, const char *file, int line, uint8_t flags,
					 uint32_t seq, uint32_t ack)
{
	const struct dlg_seg *g = dlg_expect_at(d, file, line, flags, seq, ack);
	dlg_expect_none_at(d, file, line);
	return g;
}

void dlg_info(struct dlg *d, int sd, struct gt_tcp_info *ti)
{
	size_t len = sizeof(*ti);
	memset(ti, 0, sizeof(*ti));
	int r = gt_getsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_INFO, ti, &len);
	if (r != 0)
		gt_test_fail(__FILE__, __LINE__, "TCP_INFO on %d: %d", sd, r);
}

uint8_t dlg_state(struct dlg *d, int sd)
{
	struct gt_tcp_info ti;
	dlg_info(d, sd, &ti);
	return ti.state;
}

void dlg_assert_state_at(struct dlg *d, const char *file, int line, int sd, uint8_t want)
{
	uint8_t st = dlg_state(d, sd);
	if (st != want)
		gt_test_fail(file, line, "state of sd %d: expected %s, is %s", sd,
			     gt_tcp_state_name(want), gt_tcp_state_name(st));
}

const struct gt_stats *dlg_stats(const struct dlg *d) { return gt_stack_stats(d->s); }

uint32_t dlg_timewait(const struct dlg *d)
{
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	return g.timewait;
}

uint32_t dlg_conns(const struct dlg *d)
{
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	return g.conns;
}

uint32_t dlg_conns_in(const struct dlg *d, uint8_t state)
{
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	return state < GT_TCP_NSTATES ? g.conns_by_state[state] : 0;
}

int dlg_so_error(struct dlg *d, int sd)
{
	int v = -1;
	size_t len = sizeof(v);
	if (gt_getsockopt(d->s, sd, GT_SOL_SOCKET, GT_SO_ERROR, &v, &len) != 0)
		gt_test_fail(__FILE__, __LINE__, "SO_ERROR on %d failed", sd);
	return v;
}

struct tcp_opts dlg_opts_ts(uint32_t tsval, uint32_t tsecr)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.has_ts = true;
	o.ts_val = tsval;
	o.ts_ecr = tsecr;
	return o;
}

void dlg_peer_ack(struct dlg *d)
{
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
}

void dlg_peer_data(struct dlg *d, const void *data, size_t len)
{
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, data, len, NULL);
	d->peer_nxt += (uint32_t)len;
}

void dlg_peer_fin(struct dlg *d)
{
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	d->peer_nxt++;
}

void dlg_peer_rst(struct dlg *d) { dlg_send(d, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL); }

/* The peer's SYN options, with the timestamp filled in when it has one. */
static struct tcp_opts peer_syn(struct dlg *d, bool ack)
{
	struct tcp_opts o = d->peer_syn_opts;
	d->peer_ts = o.has_ts;
	if (o.has_ts) {
		o.ts_val = d->peer_tsval;
		o.ts_ecr = ack ? d->stack_tsval : 0;
	}
	return o;
}

const uint8_t *dlg_pop_packet(struct dlg *d, size_t *len)
{
	if (!d->n)
		return NULL;
	const uint8_t *p = d->pkts[d->head];
	*len = d->lens[d->head];
	d->head = (d->head + 1) % DLG_MAX_PKTS;
	d->n--;
	return p;
}

int dlg_listen(struct dlg *d, uint16_t port)
{
	int sd = gt_socket(d->s, d->v6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM);
	if (sd < 0)
		gt_test_fail(__FILE__, __LINE__, "gt_socket: %d", sd);
	struct gt_sockaddr a = {.family = d->v6 ? GT_AF_INET6 : GT_AF_INET, .port = port};
	int r = gt_bind(d->s, sd, &a);
	if (r == 0)
		r = gt_listen(d->s, sd, 16);
	if (r != 0)
		gt_test_fail(__FILE__, __LINE__, "bind/listen on %u: %d", port, r);
	d->lsd = sd;
	d->lport = port;
	return sd;
}

void dlg_syn_received(struct dlg *d)
{
	if (d->lsd < 0)
		dlg_listen(d, DLG_LPORT);
	struct tcp_opts o = peer_syn(d, false);
	d->peer_nxt = DLG_PEER_ISS;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &o);
	d->peer_nxt++;
	if (!pop(d, __FILE__, __LINE__))
		gt_test_fail(__FILE__, __LINE__, "no SYN-ACK for the SYN");
	d->iss = d->last.h.seq;
	d->snd_nxt = d->iss + 1;
	if (d->last.h.flags != (TH_SYN | TH_ACK) || d->last.h.ack != d->peer_nxt)
		gt_test_fail(__FILE__, __LINE__, "the answer to the SYN is not a SYN-ACK for it");
	dlg_expect_none(d);
}

void dlg_established_passive(struct dlg *d)
{
	dlg_syn_received(d);
	d->peer_tsval++;
	dlg_peer_ack(d);
	dlg_expect_none(d);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	if (d->sd < 0)
		gt_test_fail(__FILE__, __LINE__, "accept after the handshake: %d", d->sd);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
}

uint8_t dlg_connect(struct dlg *d)
{
	d->sd = gt_socket(d->s, d->v6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = d->rport, .addr = DLG_RADDR};
	if (d->v6) {
		a.family = GT_AF_INET6;
		a.addr6 = dlg_raddr6;
	}
	int r = gt_connect(d->s, d->sd, &a);
	if (r != -EINPROGRESS)
		gt_test_fail(__FILE__, __LINE__, "connect: %d", r);
	struct gt_sockaddr me;
	gt_getsockname(d->s, d->sd, &me);
	d->lport = me.port;
	if (!pop(d, __FILE__, __LINE__))
		gt_test_fail(__FILE__, __LINE__, "connect sent no SYN");
	if (!(d->last.h.flags & TH_SYN) || (d->last.h.flags & (TH_ACK | TH_RST | TH_FIN)) ||
	    d->last.h.ack != 0)
		gt_test_fail(__FILE__, __LINE__, "connect sent flags %#x, not a SYN", d->last.h.flags);
	d->iss = d->last.h.seq;
	d->snd_nxt = d->iss + 1;
	d->peer_nxt = DLG_PEER_ISS;
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	return d->last.h.flags;
}

void dlg_syn_sent(struct dlg *d)
{
	uint8_t flags = dlg_connect(d);
	if (flags != TH_SYN)
		gt_test_fail(__FILE__, __LINE__, "connect sent flags %#x, not a plain SYN", flags);
}

void dlg_established_active(struct dlg *d)
{
	dlg_syn_sent(d);
	struct tcp_opts o = peer_syn(d, true);
	dlg_send(d, TH_SYN | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, &o);
	d->peer_nxt++;
	d->peer_tsval++;
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
}

void dlg_fin_wait_1(struct dlg *d)
{
	dlg_established_passive(d);
	int r = gt_shutdown(d->s, d->sd, GT_SHUT_WR);
	if (r != 0)
		gt_test_fail(__FILE__, __LINE__, "shutdown(WR): %d", r);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	d->snd_nxt++;
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_1);
}

void dlg_fin_wait_2(struct dlg *d)
{
	dlg_fin_wait_1(d);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_FIN_WAIT_2);
}

void dlg_closing(struct dlg *d)
{
	dlg_fin_wait_1(d);
	/* The peer's FIN crossed ours: it acknowledges only our SYN. */
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt, d->snd_nxt - 1, DLG_WIN, NULL, 0, NULL);
	d->peer_nxt++;
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSING);
}

void dlg_time_wait(struct dlg *d)
{
	dlg_fin_wait_2(d);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	if (dlg_timewait(d) != 1)
		gt_test_fail(__FILE__, __LINE__, "no TIME_WAIT entry after the FIN");
}

void dlg_close_wait(struct dlg *d)
{
	dlg_established_passive(d);
	dlg_peer_fin(d);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_CLOSE_WAIT);
}

void dlg_last_ack(struct dlg *d)
{
	dlg_close_wait(d);
	int r = gt_shutdown(d->s, d->sd, GT_SHUT_WR);
	if (r != 0)
		gt_test_fail(__FILE__, __LINE__, "shutdown(WR): %d", r);
	dlg_expect(d, TH_FIN | TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	d->snd_nxt++;
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_LAST_ACK);
}

void dlg_accept_sack(struct dlg *d, uint32_t rtt_us)
{
	d->peer_syn_opts.sack_ok = true;
	dlg_syn_received(d);
	dlg_advance(d, rtt_us);
	dlg_peer_ack(d);
	dlg_expect_none(d);
	d->sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(d->sd, 0);
}

struct dlg *dlg_sack_segments_out(uint32_t rtt_us, uint32_t n)
{
	static const uint8_t zeros[16 * DLG_MSS];
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.opt_sack = true;
	ASSERT(cfg.rack);
	ASSERT(n <= 16);
	struct dlg *d = dlg_new(&cfg);
	dlg_accept_sack(d, rtt_us);
	ASSERT_EQ(gt_send(d->s, d->sd, zeros, n * DLG_MSS, 0), (int)(n * DLG_MSS));
	for (uint32_t i = 0; i < n; i++)
		ASSERT_EQ(dlg_next(d)->h.seq, d->iss + 1 + i * DLG_MSS);
	dlg_expect_none(d);
	return d;
}

void dlg_peer_sack_bytes(struct dlg *d, uint32_t acked, const uint32_t (*blk)[2], int n)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.nsack = (uint8_t)n;
	for (int i = 0; i < n; i++) {
		o.sack[i].left = d->iss + 1 + blk[i][0];
		o.sack[i].right = d->iss + 1 + blk[i][1];
	}
	dlg_send(d, TH_ACK, d->peer_nxt, d->iss + 1 + acked, DLG_WIN, NULL, 0, &o);
}
