/* Unit tests for TCP header and option handling (src/wire/tcp_wire.c):
 * segments captured from Linux, exact option bytes for the Linux and FreeBSD
 * SYN layouts, emit -> parse round trips, every malformed option (ignored), truncated
 * headers, bad checksums and tcpdump-style flag strings. */
#include "harness.h"

#include "wire/tcp_wire.h"

#define LO 0x7f000001u

/* A SYN 127.0.0.1:56106 -> 127.0.0.1:5599 captured on a Linux loopback.
 * Loopback leaves the checksum to an offload that never runs, so its field
 * (0x82ff) was filled in by hand; everything else is as captured. */
static const uint8_t linux_syn[40] = {
	0xdb, 0x2a, 0x15, 0xdf, 0xbf, 0xf4, 0x2e, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xff, 0xd7, 0x82, 0xff, 0x00, 0x00,
	0x02, 0x04, 0xff, 0xd7, 0x04, 0x02, 0x08, 0x0a, 0x71, 0x82, 0x7c, 0x7d,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
};

/* The same connection's first data segment, PSH|ACK with "hello" (odd
 * length); checksum 0x5961 filled in the same way. */
static const uint8_t linux_data[37] = {
	0xdb, 0x2a, 0x15, 0xdf, 0xbf, 0xf4, 0x2e, 0x02, 0x17, 0x3f, 0xbd, 0x0c,
	0x80, 0x18, 0x00, 0x40, 0x59, 0x61, 0x00, 0x00,
	0x01, 0x01, 0x08, 0x0a, 0x71, 0x82, 0x7c, 0x7d, 0x84, 0x75, 0xb5, 0x78,
	'h', 'e', 'l', 'l', 'o',
};

/* The RST|ACK Linux sent for a SYN to a closed port; checksum as sent. */
static const uint8_t linux_rst[20] = {
	0x15, 0xde, 0x8f, 0x00, 0x00, 0x00, 0x00, 0x00, 0xad, 0x1b, 0xe8, 0x82,
	0x50, 0x14, 0x00, 0x00, 0x77, 0x51, 0x00, 0x00,
};

static struct tcp_opts all_syn_opts(void)
{
	struct tcp_opts o = {0};
	o.has_mss = o.has_wscale = o.sack_ok = o.has_ts = true;
	o.mss = 1460;
	o.wscale = 6;
	o.ts_val = 0x01020304;
	o.ts_ecr = 0;
	return o;
}

/* Builds a segment from raw option bytes (opts_len a multiple of 4) with a
 * correct checksum, and parses it. */
static enum tcp_parse_err parse_raw_opts(const uint8_t *opts, size_t opts_len,
					 struct tcp_hdr *out)
{
	uint8_t seg[60];
	struct tcp_hdr h = {.sport = 1, .dport = 2, .seq = 3, .ack = 4,
			    .doff_bytes = (uint8_t)(20 + opts_len), .flags = TH_SYN, .win = 5};
	ASSERT(opts_len % 4 == 0 && opts_len <= 40);
	tcp_emit(seg, &h, opts, opts_len, 0, LO, LO + 1);
	return tcp_parse(seg, 20 + opts_len, LO, LO + 1, out);
}

TEST(tcp_parse_captured_linux_syn)
{
	struct tcp_hdr h;
	ASSERT_EQ(tcp_parse(linux_syn, sizeof linux_syn, LO, LO, &h), TCP_OK);
	ASSERT_EQ(h.sport, 56106);
	ASSERT_EQ(h.dport, 5599);
	ASSERT_EQ(h.seq, 0xbff42e01u);
	ASSERT_EQ(h.ack, 0);
	ASSERT_EQ(h.doff_bytes, 40);
	ASSERT_EQ(h.flags, TH_SYN);
	ASSERT_EQ(h.win, 65495);
	ASSERT_EQ(h.urg, 0);
	ASSERT(h.opts.has_mss);
	ASSERT_EQ(h.opts.mss, 65495);
	ASSERT(h.opts.sack_ok);
	ASSERT(h.opts.has_ts);
	ASSERT_EQ(h.opts.ts_val, 0x71827c7du);
	ASSERT_EQ(h.opts.ts_ecr, 0);
	ASSERT(h.opts.has_wscale);
	ASSERT_EQ(h.opts.wscale, 10);
	ASSERT_EQ(h.opts.nsack, 0);
}

TEST(tcp_parse_captured_data_and_rst)
{
	struct tcp_hdr h;
	ASSERT_EQ(tcp_parse(linux_data, sizeof linux_data, LO, LO, &h), TCP_OK);
	ASSERT_EQ(h.flags, TH_PSH | TH_ACK);
	ASSERT_EQ(h.ack, 0x173fbd0cu);
	ASSERT_EQ(h.doff_bytes, 32);
	ASSERT(h.opts.has_ts && !h.opts.has_mss && !h.opts.sack_ok && !h.opts.has_wscale);
	ASSERT_EQ(h.opts.ts_val, 0x71827c7du);
	ASSERT_EQ(h.opts.ts_ecr, 0x8475b578u);
	ASSERT_EQ(h.win, 64);

	ASSERT_EQ(tcp_parse(linux_rst, sizeof linux_rst, LO, LO, &h), TCP_OK);
	ASSERT_EQ(h.flags, TH_RST | TH_ACK);
	ASSERT_EQ(h.sport, 5598);
	ASSERT_EQ(h.dport, 36608);
	ASSERT_EQ(h.seq, 0);
	ASSERT_EQ(h.ack, 0xad1be882u);
	ASSERT_EQ(h.win, 0);
}

TEST(tcp_emit_reproduces_captured_linux_syn)
{
	struct tcp_opts o = {0};
	o.has_mss = o.has_wscale = o.sack_ok = o.has_ts = true;
	o.mss = 65495;
	o.wscale = 10;
	o.ts_val = 0x71827c7d;
	uint8_t opts[40], seg[60];
	size_t n = tcp_opts_emit(opts, &o, true, TCP_SYNOPT_LINUX);
	ASSERT_EQ(n, 20);
	ASSERT_MEMEQ(opts, linux_syn + 20, 20);
	struct tcp_hdr h = {.sport = 56106, .dport = 5599, .seq = 0xbff42e01u,
			    .doff_bytes = 40, .flags = TH_SYN, .win = 65495};
	memset(seg, 0xaa, sizeof seg);
	tcp_emit(seg, &h, opts, n, 0, LO, LO);
	ASSERT_MEMEQ(seg, linux_syn, sizeof linux_syn);
}

TEST(tcp_emit_reproduces_captured_data_segment)
{
	struct tcp_opts o = {.has_ts = true, .ts_val = 0x71827c7d, .ts_ecr = 0x8475b578};
	uint8_t seg[64];
	/* Options written in place, payload already behind them. */
	size_t n = tcp_opts_emit(seg + 20, &o, false, TCP_SYNOPT_LINUX);
	ASSERT_EQ(n, 12);
	memcpy(seg + 32, "hello", 5);
	struct tcp_hdr h = {.sport = 56106, .dport = 5599, .seq = 0xbff42e02u,
			    .ack = 0x173fbd0cu, .doff_bytes = 32, .flags = TH_PSH | TH_ACK,
			    .win = 64};
	tcp_emit(seg, &h, seg + 20, n, 5, LO, LO);
	ASSERT_MEMEQ(seg, linux_data, sizeof linux_data);
}

TEST(tcp_syn_options_linux_layouts)
{
	struct tcp_opts o = all_syn_opts();
	uint8_t out[40];
	const uint8_t all[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0,
			       1, 3, 3, 6};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX), sizeof all);
	ASSERT_MEMEQ(out, all, sizeof all);

	o.has_ts = false; /* sackOK without TS: nop,nop,sackOK */
	const uint8_t sack_only[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 6};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX), sizeof sack_only);
	ASSERT_MEMEQ(out, sack_only, sizeof sack_only);

	o.has_ts = true;
	o.sack_ok = false; /* TS without sackOK: nop,nop,TS */
	const uint8_t ts_only[] = {2, 4, 0x05, 0xb4, 1, 1, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0,
				   1, 3, 3, 6};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX), sizeof ts_only);
	ASSERT_MEMEQ(out, ts_only, sizeof ts_only);

	o = all_syn_opts();
	o.has_wscale = false; /* no wscale: no trailing nop,wscale */
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX), 16);
	ASSERT_MEMEQ(out, all, 16);

	o.sack_ok = o.has_ts = false;
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_LINUX), 4);
	ASSERT_MEMEQ(out, all, 4);

	struct tcp_opts none = {0};
	ASSERT_EQ(tcp_opts_emit(out, &none, true, TCP_SYNOPT_LINUX), 0);
}

TEST(tcp_syn_options_freebsd_layouts)
{
	struct tcp_opts o = all_syn_opts();
	uint8_t out[40];
	const uint8_t all[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 6, 4, 2, 8, 10, 1, 2, 3, 4,
			       0, 0, 0, 0};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof all);
	ASSERT_MEMEQ(out, all, sizeof all);

	o.has_ts = false; /* ends on sackOK: EOL and a zero pad the word */
	const uint8_t no_ts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 6, 4, 2, 0, 0};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof no_ts);
	ASSERT_MEMEQ(out, no_ts, sizeof no_ts);

	o.has_ts = true;
	o.sack_ok = false; /* TS wants offset 2 mod 4: nop,nop before it */
	const uint8_t no_sack[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 6, 1, 1, 8, 10, 1, 2, 3, 4,
				   0, 0, 0, 0};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof no_sack);
	ASSERT_MEMEQ(out, no_sack, sizeof no_sack);

	o = all_syn_opts();
	o.has_wscale = false; /* sackOK then TS fall into place with no nop */
	const uint8_t no_ws[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof no_ws);
	ASSERT_MEMEQ(out, no_ws, sizeof no_ws);

	o.sack_ok = false;
	const uint8_t mss_ts[] = {2, 4, 0x05, 0xb4, 1, 1, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof mss_ts);
	ASSERT_MEMEQ(out, mss_ts, sizeof mss_ts);

	o.has_ts = false;
	o.sack_ok = true;
	const uint8_t mss_sack[] = {2, 4, 0x05, 0xb4, 4, 2, 0, 0};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof mss_sack);
	ASSERT_MEMEQ(out, mss_sack, sizeof mss_sack);

	o = (struct tcp_opts){.has_wscale = true, .wscale = 14};
	const uint8_t ws_only[] = {1, 3, 3, 14};
	ASSERT_EQ(tcp_opts_emit(out, &o, true, TCP_SYNOPT_FREEBSD), sizeof ws_only);
	ASSERT_MEMEQ(out, ws_only, sizeof ws_only);
}

static void round_trip(const struct tcp_opts *o, bool syn, enum tcp_synopt_layout layout)
{
	uint8_t seg[80], opts[40];
	size_t n = tcp_opts_emit(opts, o, syn, layout);
	ASSERT_EQ(n % 4, 0);
	ASSERT_LE(n, 40);
	struct tcp_hdr h = {.sport = 443, .dport = 51000, .seq = 0xfffffff0u, .ack = 7,
			    .doff_bytes = (uint8_t)(20 + n),
			    .flags = (uint8_t)(syn ? TH_SYN | TH_ACK : TH_ACK), .win = 1234,
			    .urg = 0}, p;
	memcpy(seg + 20 + n, "abc", 3);
	tcp_emit(seg, &h, opts, n, 3, 0xc0a80001, 0xc0a80002);
	ASSERT_EQ(tcp_parse(seg, 20 + n + 3, 0xc0a80001, 0xc0a80002, &p), TCP_OK);
	ASSERT_EQ(p.sport, 443);
	ASSERT_EQ(p.dport, 51000);
	ASSERT_EQ(p.seq, 0xfffffff0u);
	ASSERT_EQ(p.ack, 7);
	ASSERT_EQ(p.flags, h.flags);
	ASSERT_EQ(p.win, 1234);
	ASSERT_EQ(p.doff_bytes, 20 + n);
	ASSERT_EQ(p.opts.has_ts, o->has_ts);
	if (o->has_ts) {
		ASSERT_EQ(p.opts.ts_val, o->ts_val);
		ASSERT_EQ(p.opts.ts_ecr, o->ts_ecr);
	}
	if (syn) {
		ASSERT_EQ(p.opts.has_mss, o->has_mss);
		ASSERT_EQ(p.opts.has_wscale, o->has_wscale);
		ASSERT_EQ(p.opts.sack_ok, o->sack_ok);
		if (o->has_mss)
			ASSERT_EQ(p.opts.mss, o->mss);
		if (o->has_wscale)
			ASSERT_EQ(p.opts.wscale, o->wscale);
		ASSERT_EQ(p.opts.nsack, 0);
	} else {
		ASSERT(!p.opts.has_mss && !p.opts.has_wscale && !p.opts.sack_ok);
	}
}

TEST(tcp_syn_options_round_trip_every_combination)
{
	for (unsigned mask = 0; mask < 16; mask++) {
		struct tcp_opts o = {
			.has_mss = mask & 1, .has_wscale = mask & 2, .sack_ok = mask & 4,
			.has_ts = mask & 8, .mss = 536, .wscale = 14,
			.ts_val = 0xdeadbeef, .ts_ecr = 0x12345678,
		};
		round_trip(&o, true, TCP_SYNOPT_LINUX);
		round_trip(&o, true, TCP_SYNOPT_FREEBSD);
		round_trip(&o, false, TCP_SYNOPT_LINUX);
	}
}

TEST(tcp_established_options_ts_and_sack)
{
	struct tcp_opts o = {.has_ts = true, .ts_val = 0x0a0b0c0d, .ts_ecr = 0x01020304,
			     .has_mss = true, .mss = 1460, .nsack = 4};
	for (int i = 0; i < 4; i++) {
		o.sack[i].left = 1000u * (uint32_t)(i + 1);
		o.sack[i].right = 1000u * (uint32_t)(i + 1) + 500;
	}
	uint8_t out[40];
	/* With TS only three blocks fit: 12 + 4 + 24 = 40. */
	ASSERT_EQ(tcp_opts_emit(out, &o, false, TCP_SYNOPT_LINUX), 40);
	const uint8_t head[] = {1, 1, 8, 10, 0x0a, 0x0b, 0x0c, 0x0d, 1, 2, 3, 4,
				1, 1, 5, 26, 0, 0, 0x03, 0xe8, 0, 0, 0x05, 0xdc};
	ASSERT_MEMEQ(out, head, sizeof head);
	struct tcp_hdr p;
	ASSERT_EQ(parse_raw_opts(out, 40, &p), TCP_OK);
	ASSERT_EQ(p.opts.nsack, 3);
	ASSERT_EQ(p.opts.sack[2].left, 3000);
	ASSERT_EQ(p.opts.sack[2].right, 3500);
	ASSERT(!p.opts.has_mss);

	/* Without TS all four fit: 4 + 32 = 36. */
	o.has_ts = false;
	ASSERT_EQ(tcp_opts_emit(out, &o, false, TCP_SYNOPT_LINUX), 36);
	ASSERT_EQ(out[3], 34);
	ASSERT_EQ(parse_raw_opts(out, 36, &p), TCP_OK);
	ASSERT_EQ(p.opts.nsack, 4);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(p.opts.sack[i].left, o.sack[i].left);
		ASSERT_EQ(p.opts.sack[i].right, o.sack[i].right);
	}

	o.nsack = 1;
	ASSERT_EQ(tcp_opts_emit(out, &o, false, TCP_SYNOPT_LINUX), 12);
	o.nsack = 0;
	ASSERT_EQ(tcp_opts_emit(out, &o, false, TCP_SYNOPT_LINUX), 0);
}

/* Linux's tcp_parse_options() and FreeBSD's tcp_dooptions(): a length
 * below 2 or past the header ends the parse (what came before is kept, a
 * good option after it is not read); a known option of the wrong size is
 * skipped by its length (a good one after it is read). The segment is
 * parsed either way, and each malformed option counted. */
TEST(tcp_parse_ignores_every_malformed_option)
{
	static const struct {
		uint8_t len;
		uint8_t b[40];
		uint8_t bad;
		uint16_t mss;      /* 0: none */
		int ws;            /* -1: none */
		bool sack_ok, ts;
	} c[] = {
		/* Ending the parse. */
		{8, {2, 0, 2, 4, 5, 180, 1, 1}, 1, 0, -1, false, false},  /* length 0 */
		{8, {2, 1, 2, 4, 5, 180, 1, 1}, 1, 0, -1, false, false},  /* length 1 */
		{8, {30, 0, 2, 4, 5, 180, 1, 1}, 1, 0, -1, false, false}, /* unknown, 0 */
		{4, {30, 1, 1, 1}, 1, 0, -1, false, false},               /* unknown, 1 */
		{4, {1, 1, 1, 2}, 1, 0, -1, false, false},    /* kind is the last byte */
		{4, {2, 8, 0, 0}, 1, 0, -1, false, false},    /* runs past the header */
		{8, {2, 4, 5, 180, 30, 5, 0, 0}, 1, 1460, -1, false, false}, /* MSS kept */
		{12, {1, 1, 1, 1, 8, 10, 0, 0, 0, 0, 0, 0}, 1, 0, -1, false, false},
		{16, {2, 4, 5, 180, 8, 0, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, 1, 1460, -1, false,
		 false},                                      /* length 0, then TS */
		{40, {5, 42}, 1, 0, -1, false, false},        /* five blocks cannot fit */
		/* Skipped by their length. */
		{8, {2, 3, 5, 2, 4, 5, 180, 1}, 1, 1460, -1, false, false}, /* MSS 3 */
		{8, {2, 5, 5, 180, 0, 1, 1, 1}, 1, 0, -1, false, false},    /* MSS 5 */
		{8, {3, 2, 3, 3, 7, 1, 1, 1}, 1, 0, 7, false, false},       /* wscale 2 */
		{4, {3, 4, 7, 0}, 1, 0, -1, false, false},                  /* wscale 4 */
		{8, {4, 3, 0, 4, 2, 1, 1, 1}, 1, 0, -1, true, false},       /* sackOK 3 */
		{4, {4, 4, 0, 0}, 1, 0, -1, false, false},                  /* sackOK 4 */
		{4, {5, 2, 1, 1}, 1, 0, -1, false, false},    /* SACK with no block */
		{12, {5, 9, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1}, 1, 0, -1, false, false}, /* 2 + 7 */
		{12, {5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1}, 1, 0, -1, false, false},
		{8, {8, 8, 0, 0, 0, 1, 0, 0}, 1, 0, -1, false, false},      /* TS 8 */
		{16, {8, 3, 1, 1, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, 1, 0, -1, false, true},
		{12, {8, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0}, 1, 0, -1, false, false}, /* TS 12 */
		{8, {2, 4, 5, 180, 3, 2, 0, 0}, 1, 1460, -1, false, false}, /* MSS, bad ws */
		{12, {2, 3, 5, 3, 2, 4, 3, 0, 1, 1, 1, 1}, 3, 0, -1, false, false}, /* three */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct tcp_hdr p;
		enum tcp_parse_err err = parse_raw_opts(c[i].b, c[i].len, &p);
		const struct tcp_opts *o = &p.opts;
		if (err != TCP_OK || o->bad_opts != c[i].bad || o->has_mss != (c[i].mss != 0) ||
		    (o->has_mss && o->mss != c[i].mss) || o->has_wscale != (c[i].ws >= 0) ||
		    (o->has_wscale && o->wscale != c[i].ws) || o->sack_ok != c[i].sack_ok ||
		    o->has_ts != c[i].ts || o->nsack != 0)
			gt_test_fail(__FILE__, __LINE__,
				     "case %zu: err %d bad %u mss %d/%u ws %d/%u sackOK %d ts %d nsack %u",
				     i, (int)err, o->bad_opts, o->has_mss, o->mss, o->has_wscale,
				     o->wscale, o->sack_ok, o->has_ts, o->nsack);
	}
	/* A good segment counts none. */
	struct tcp_hdr p;
	const uint8_t good[] = {2, 4, 5, 180, 1, 3, 3, 7, 4, 2, 1, 1};
	ASSERT_EQ(parse_raw_opts(good, sizeof good, &p), TCP_OK);
	ASSERT_EQ(p.opts.bad_opts, 0);
}

TEST(tcp_parse_accepts_unusual_but_valid_options)
{
	struct tcp_hdr p;
	/* Unknown kinds are skipped by their length. */
	const uint8_t unknown[] = {30, 6, 0xa, 0xb, 0xc, 0xd, 2, 4, 5, 180, 1, 1};
	ASSERT_EQ(parse_raw_opts(unknown, sizeof unknown, &p), TCP_OK);
	ASSERT(p.opts.has_mss);
	ASSERT_EQ(p.opts.mss, 1460);
	/* EOL ends the list; what follows is not looked at. */
	const uint8_t eol[] = {2, 4, 5, 180, 0, 2, 0, 0};
	ASSERT_EQ(parse_raw_opts(eol, sizeof eol, &p), TCP_OK);
	ASSERT_EQ(p.opts.mss, 1460);
	/* An all-NOP 40-byte option area. */
	uint8_t nops[40];
	memset(nops, 1, sizeof nops);
	ASSERT_EQ(parse_raw_opts(nops, sizeof nops, &p), TCP_OK);
	ASSERT(!p.opts.has_mss && !p.opts.has_ts && !p.opts.sack_ok && !p.opts.has_wscale);
	/* RFC 7323 2.3: a shift above 14 is taken as 14. */
	const uint8_t big_ws[] = {3, 3, 15, 1};
	ASSERT_EQ(parse_raw_opts(big_ws, sizeof big_ws, &p), TCP_OK);
	ASSERT(p.opts.has_wscale);
	ASSERT_EQ(p.opts.wscale, 14);
	/* An option ending exactly at the data offset. */
	const uint8_t exact[] = {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8};
	ASSERT_EQ(parse_raw_opts(exact, sizeof exact, &p), TCP_OK);
	ASSERT_EQ(p.opts.ts_val, 9);
	ASSERT_EQ(p.opts.ts_ecr, 8);
}

/* Two SACK options in one header: the second replaces the first, blocks
 * and count, as Linux's tcp_parse_options() keeps the last one's offset
 * (TCP_SKB_CB(skb)->sacked) and FreeBSD's tcp_dooptions() its to_sacks
 * and to_nsacks (tests/pkt/linux/sack-two-options-last-counts*.pkt on
 * Linux 6.18). */
TEST(tcp_parse_two_sack_options_keeps_the_last)
{
	struct tcp_hdr p;
	const uint8_t two[] = {
		1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40,
		1, 1, 5, 10, 0, 0, 0, 50, 0, 0, 0, 60,
	};
	ASSERT_EQ(parse_raw_opts(two, sizeof two, &p), TCP_OK);
	ASSERT_EQ(p.opts.nsack, 1);
	ASSERT_EQ(p.opts.sack[0].left, 50);
	ASSERT_EQ(p.opts.sack[0].right, 60);
}

TEST(tcp_parse_rejects_truncated_headers)
{
	struct tcp_hdr h;
	for (size_t len = 0; len < 20; len++)
		ASSERT_EQ(tcp_parse(linux_syn, len, LO, LO, &h), TCP_ERR_TRUNCATED);
	/* Data offset 40 but only 39 bytes. */
	ASSERT_EQ(tcp_parse(linux_syn, 39, LO, LO, &h), TCP_ERR_DOFF);
	ASSERT_EQ(tcp_parse(linux_syn, 20, LO, LO, &h), TCP_ERR_DOFF);
	uint8_t seg[40];
	memcpy(seg, linux_syn, sizeof seg);
	for (uint8_t doff = 0; doff < 5; doff++) {
		seg[12] = (uint8_t)(doff << 4);
		ASSERT_EQ(tcp_parse(seg, sizeof seg, LO, LO, &h), TCP_ERR_DOFF);
	}
	seg[12] = 0xf0; /* 60 bytes claimed, 40 held */
	ASSERT_EQ(tcp_parse(seg, sizeof seg, LO, LO, &h), TCP_ERR_DOFF);
}

TEST(tcp_parse_rejects_bad_checksums)
{
	struct tcp_hdr h;
	uint8_t seg[sizeof linux_data];
	memcpy(seg, linux_data, sizeof seg);
	/* Any single flipped bit, header or payload, including the odd byte. */
	for (size_t i = 0; i < sizeof seg; i++) {
		seg[i] ^= 0x10;
		ASSERT_EQ(tcp_parse(seg, sizeof seg, LO, LO, &h), TCP_ERR_CHECKSUM);
		seg[i] ^= 0x10;
	}
	/* The pseudo-header counts: other addresses or another length. */
	ASSERT_EQ(tcp_parse(seg, sizeof seg, LO + 1, LO, &h), TCP_ERR_CHECKSUM);
	ASSERT_EQ(tcp_parse(seg, sizeof seg, LO, 0x0a000001, &h), TCP_ERR_CHECKSUM);
	ASSERT_EQ(tcp_parse(seg, sizeof seg - 1, LO, LO, &h), TCP_ERR_CHECKSUM);
	ASSERT_EQ(tcp_parse(seg, sizeof seg, LO, LO, &h), TCP_OK);
}

TEST(tcp_emit_moves_options_and_zero_pads)
{
	uint8_t seg[64], opts[4] = {2, 4, 0x05, 0xb4};
	memset(seg, 0xee, sizeof seg);
	/* doff 28 with 4 option bytes: the 4 after them must be zero. */
	struct tcp_hdr h = {.sport = 1, .dport = 2, .doff_bytes = 28, .flags = TH_SYN,
			    .win = 100, .urg = 0x1234};
	memcpy(seg + 28, "xy", 2);
	tcp_emit(seg, &h, opts, sizeof opts, 2, 0x01020304, 0x05060708);
	ASSERT_EQ(seg[12], 0x70);
	ASSERT_EQ(seg[18], 0x12);
	ASSERT_EQ(seg[19], 0x34);
	ASSERT_MEMEQ(seg + 20, opts, 4);
	const uint8_t zeros[4] = {0};
	ASSERT_MEMEQ(seg + 24, zeros, 4);
	ASSERT_MEMEQ(seg + 28, "xy", 2);
	struct tcp_hdr p;
	ASSERT_EQ(tcp_parse(seg, 30, 0x01020304, 0x05060708, &p), TCP_OK);
	ASSERT_EQ(p.opts.mss, 1460);
	ASSERT_EQ(p.urg, 0x1234);
}

TEST(tcp_flags_str_matches_tcpdump)
{
	static const struct {
		uint8_t flags;
		const char *want;
	} cases[] = {
		{TH_SYN, "S"},
		{TH_SYN | TH_ACK, "S."},
		{TH_ACK, "."},
		{TH_PSH | TH_ACK, "P."},
		{TH_FIN | TH_ACK, "F."},
		{TH_RST, "R"},
		{TH_RST | TH_ACK, "R."},
		{TH_FIN | TH_PSH | TH_ACK, "FP."},
		{TH_SYN | TH_ECE | TH_CWR, "SEW"},
		{TH_SYN | TH_ACK | TH_ECE, "S.E"},
		{TH_URG | TH_ACK, ".U"},
		{0, "none"},
		{0xff, "FSRP.UEW"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[9];
		ASSERT_STREQ(tcp_flags_str(cases[i].flags, buf), cases[i].want);
	}
}
