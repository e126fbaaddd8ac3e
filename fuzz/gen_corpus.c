/* Writes the seed corpora of the fuzz targets into <dir>/<target>/: small
 * inputs that reach each target's interesting paths at once (handshakes,
 * data, loss, SACK, RST, SYN floods, ICMP, zero windows, every state).
 * fuzz_stack_input's seeds are built by driving the same stack the target
 * builds (fz_si_step), so their sequence numbers are the stack's own.
 *
 *   sh fuzz/gen_corpus.sh      (builds this with cc and runs it)
 */
#include <sys/stat.h>

#include "fuzz_peer.h"

static const char *root;

static void put(const char *target, const char *name, const uint8_t *b, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(b, 1, n, fp) != n) {
		perror(path);
		exit(1);
	}
	fclose(fp);
}

/* ---- fuzz_wire ------------------------------------------------------------ */

static void wire_seed(const char *name, uint8_t mode, const uint8_t *p, size_t n)
{
	uint8_t b[FZ_PKT_MAX + 1];
	b[0] = mode;
	memcpy(b + 1, p, n);
	put("wire", name, b, n + 1);
}

static void gen_wire(void)
{
	struct gt_config cfg;
	fz_config(&cfg, false);
	struct fz f;
	fz_init(&f, &cfg);
	uint8_t pkt[FZ_PKT_MAX];
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.has_mss = o.has_wscale = o.sack_ok = o.has_ts = true;
	o.mss = 1460;
	o.wscale = 7;
	o.ts_val = 12345;
	uint8_t ob[TCP_OPT_MAX];
	size_t ol = tcp_opts_emit(ob, &o, true, TCP_SYNOPT_LINUX);
	size_t n = fz_build(&f, pkt, TH_SYN, 1000, 0, 65535, ob, ol, NULL, 0);
	wire_seed("ipv4_syn_linux_opts", 3, pkt, n);
	wire_seed("tcp_syn_linux_opts", 1, pkt + IPV4_HDR_MIN, n - IPV4_HDR_MIN);
	ol = tcp_opts_emit(ob, &o, true, TCP_SYNOPT_FREEBSD);
	n = fz_build(&f, pkt, TH_SYN | TH_ACK, 1000, 77, 65535, ob, ol, NULL, 0);
	wire_seed("tcp_synack_freebsd_opts", 1 | 4, pkt + IPV4_HDR_MIN, n - IPV4_HDR_MIN);
	memset(&o, 0, sizeof(o));
	o.has_ts = true;
	o.ts_val = 5;
	o.ts_ecr = 6;
	o.nsack = 3;
	for (int i = 0; i < 3; i++) {
		o.sack[i].left = 2000u + 3000u * (uint32_t)i;
		o.sack[i].right = o.sack[i].left + 1000;
	}
	ol = tcp_opts_emit(ob, &o, false, TCP_SYNOPT_LINUX);
	n = fz_build(&f, pkt, TH_ACK, 1001, 2000, 512, ob, ol, "data", 4);
	wire_seed("tcp_ack_ts_sack3", 1 | 4, pkt + IPV4_HDR_MIN, n - IPV4_HDR_MIN);
	wire_seed("ipv4_ack_ts_sack3", 0 | 4, pkt, n);
	const uint8_t odd[] = {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0x1e, 3, 1, 1, 0xfe, 4, 0xab, 0xcd};
	n = fz_build(&f, pkt, TH_ACK | TH_PSH | TH_URG, 1, 2, 3, odd, sizeof(odd), "x", 1);
	wire_seed("tcp_odd_options", 1 | 4, pkt + IPV4_HDR_MIN, n - IPV4_HDR_MIN);
	/* An IPv4 header with options (IHL 6) and a fragment. */
	uint8_t ipo[48];
	memset(ipo, 0, sizeof(ipo));
	ipo[0] = 0x46, ipo[8] = 64, ipo[9] = IPPROTO_TCP_;
	ipo[12] = 10, ipo[15] = 2, ipo[16] = 10, ipo[19] = 1;
	ipo[20] = 1, ipo[21] = 1, ipo[22] = 1, ipo[23] = 0;
	ipo[6] = 0x20, ipo[7] = 0x03;
	wire_seed("ipv4_options_fragment", 0 | 4, ipo, sizeof(ipo));
	/* ICMP: echo request, fragmentation needed quoting a segment. */
	uint8_t icmp[64];
	size_t in = icmp_emit(icmp, ICMP_ECHO_REQUEST, 0, 0x12340001, (const uint8_t *)"ping", 4);
	wire_seed("icmp_echo", 2, icmp, in);
	in = icmp_emit(icmp, ICMP_DEST_UNREACH, ICMP_UNREACH_FRAG_NEEDED, 576, pkt, 28);
	wire_seed("icmp_frag_needed", 2, icmp, in);
	fz_fini(&f);
}

/* ---- fuzz_stack_input ----------------------------------------------------- */

static struct fz_si si;
static uint8_t rec[1 << 16];
static size_t rec_len;
static bool rec_refuse; /* the records written now have bit 14: the device refuses */

static void si_begin(void)
{
	fz_si_setup(&si);
	rec_len = 0;
}

static void si_rec(uint8_t t, bool fix, const uint8_t *p, size_t n)
{
	rec[rec_len++] = (uint8_t)((fix ? 0x80 : 0) | (rec_refuse ? 0x40 : 0) | n >> 8);
	rec[rec_len++] = (uint8_t)n;
	rec[rec_len++] = t;
	memcpy(rec + rec_len, p, n);
	rec_len += n;
	si.f.refuse_mask = rec_refuse ? 0xff : 0;
	fz_si_step(&si, t, fix, p, n);
	si.f.refuse_mask = 0;
}

/* A segment of the established connection, as the peer sends it now. */
static void si_seg(uint8_t t, uint8_t flags, int32_t dseq, int32_t dack, uint16_t win,
		   const void *data, size_t len)
{
	uint8_t pkt[FZ_PKT_MAX];
	struct fz *f = &si.f;
	size_t n = fz_build(f, pkt, flags, f->rcv_ack + (uint32_t)dseq, f->snd_nxt + (uint32_t)dack,
			    win, NULL, 0, data, len);
	si_rec(t, false, pkt, n);
}

/* A segment from another address and port; the target fixes its sums. */
static void si_spoof(uint8_t t, uint32_t src, uint16_t sport, uint8_t flags, uint32_t seq,
		     uint32_t ack)
{
	uint8_t pkt[FZ_PKT_MAX];
	size_t n = fz_build(&si.f, pkt, flags, seq, ack, 65535, NULL, 0, NULL, 0);
	pkt[12] = (uint8_t)(src >> 24), pkt[13] = (uint8_t)(src >> 16);
	pkt[14] = (uint8_t)(src >> 8), pkt[15] = (uint8_t)src;
	pkt[20] = (uint8_t)(sport >> 8), pkt[21] = (uint8_t)sport;
	si_rec(t, true, pkt, n);
}

static void si_end(const char *name)
{
	put("stack_input", name, rec, rec_len);
	fz_fini(&si.f);
}

/* An IPv6 packet from 2001:db8::<host> to the stack: next header nh, then
 * body (the target makes the payload length and the checksum right). */
static size_t v6_pkt_from(uint8_t *pkt, uint8_t host, uint8_t nh, const uint8_t *body, size_t n)
{
	struct gt_in6_addr peer = {{0x20, 0x01, 0x0d, 0xb8, [15] = host}};
	struct ipv6_hdr h = {.payload_len = (uint16_t)n, .next = nh, .hop_limit = 64, .src = peer,
			     .dst = fz_laddr6};
	ipv6_emit(pkt, &h);
	memcpy(pkt + IPV6_HDR_LEN, body, n);
	return IPV6_HDR_LEN + n;
}

/* From 2001:db8::2, the IPv6 peer of the seeds. */
static size_t v6_pkt(uint8_t *pkt, uint8_t nh, const uint8_t *body, size_t n)
{
	return v6_pkt_from(pkt, 2, nh, body, n);
}

/* A TCP segment of the IPv6 peer [2001:db8::2]:40001 -> :80. */
static void si_seg6(uint8_t t, uint8_t flags, uint32_t seq, uint32_t ack, const char *data,
		    size_t len)
{
	uint8_t seg[TCP_HDR_MIN + 64] = {0}, pkt[FZ_PKT_MAX];
	struct tcp_hdr h = {.sport = 40001, .dport = FZ_LPORT, .seq = seq, .ack = ack,
			    .doff_bytes = TCP_HDR_MIN, .flags = flags, .win = 65535};
	if (len > 64)
		len = 64;
	memcpy(seg + TCP_HDR_MIN, data, len);
	tcp_emit(seg, &h, NULL, 0, len, 0, 0); /* the target fixes the checksum */
	si_rec(t, true, pkt, v6_pkt(pkt, IPPROTO_TCP_, seg, TCP_HDR_MIN + len));
}

static void iss_of_v6(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	(void)s;
	if (!ip_addr_is_v4(c->faddr))
		*(uint32_t *)ctx = c->iss;
}

/* IPv6 into the stack: a handshake with the IPv6 listener, data, the
 * peer's FIN (and ours, TIME_WAIT in the IPv6 table); an echo request; RH0,
 * a fragment and a Hop-by-Hop option to be dropped. */
static void gen_stack_input6(void)
{
	si_begin();
	si_seg6(0, TH_SYN, 5000, 0, NULL, 0);
	uint32_t iss = 0;
	tcp_foreach(si.f.s, iss_of_v6, &iss);
	si_seg6(1, TH_ACK | TH_PSH, 5001, iss + 1, "GET / over IPv6", 15);
	si_seg6(0x80 | 1, TH_ACK | TH_FIN, 5016, iss + 1, NULL, 0);
	si_seg6(20, TH_ACK, 5017, iss + 2, NULL, 0);
	si_end("ipv6_handshake_data_fin");

	si_begin();
	{
		uint8_t pkt[FZ_PKT_MAX], msg[16] = {ICMP6_ECHO_REQUEST, 0, 0, 0, 0x12, 0x34, 0, 1,
						     'p', 'i', 'n', 'g'};
		si_rec(0, true, pkt, v6_pkt(pkt, IPPROTO_ICMPV6_, msg, 12));
		uint8_t rh0[8 + TCP_HDR_MIN] = {IPPROTO_TCP_, 0, 0, 1};
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_ROUTING_, rh0, sizeof(rh0)));
		uint8_t frag[8 + TCP_HDR_MIN] = {IPPROTO_TCP_, 0, 0, 9, 0, 0, 0, 7};
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_FRAGMENT_, frag, sizeof(frag)));
		uint8_t hbh[8 + 8] = {IPPROTO_ICMPV6_, 0, 0xc2, 4, 0, 1, 0, 0, ICMP6_ECHO_REQUEST};
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_HOPOPTS_, hbh, sizeof(hbh)));
	}
	si_end("ipv6_echo_rh0_fragment_hbh");

	/* Fragments of TCP (RFC 8200 4.5): a first fragment of a SYN, a later
	 * one, an overlapping pair (RFC 5722), all dropped and counted; then an
	 * atomic fragment carrying the SYN (RFC 6946: processed), and a
	 * fragmented data segment on the connection it opens. */
	si_begin();
	{
		uint8_t pkt[FZ_PKT_MAX], seg[8 + TCP_HDR_MIN + 16] = {IPPROTO_TCP_, 0, 0, 1, 0, 0, 0, 9};
		struct tcp_hdr h = {.sport = 40002, .dport = FZ_LPORT, .seq = 9000,
				    .doff_bytes = TCP_HDR_MIN, .flags = TH_SYN, .win = 65535};
		tcp_emit(seg + 8, &h, NULL, 0, 0, 0, 0);
		si_rec(0, true, pkt, v6_pkt(pkt, IPPROTO_FRAGMENT_, seg, 8 + TCP_HDR_MIN));
		seg[3] = 0x18; /* offset 3, M 0 */
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_FRAGMENT_, seg, 8 + TCP_HDR_MIN));
		seg[3] = 0x09; /* offset 1, M 1: overlaps the first */
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_FRAGMENT_, seg, 8 + TCP_HDR_MIN));
		seg[3] = 0; /* atomic */
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_FRAGMENT_, seg, 8 + TCP_HDR_MIN));
		h.flags = TH_ACK | TH_PSH;
		h.seq = 9001;
		memcpy(seg + 8 + TCP_HDR_MIN, "fragmented data!", 16);
		tcp_emit(seg + 8, &h, NULL, 0, 16, 0, 0);
		seg[3] = 1;
		si_rec(1, true, pkt, v6_pkt(pkt, IPPROTO_FRAGMENT_, seg, sizeof(seg)));
	}
	si_end("ipv6_fragments_tcp");
}

/* The stack's ISS toward faddr:fport (tcp_foreach()). */
struct iss_find {
	ip_addr faddr;
	uint16_t fport;
	uint32_t iss;
};

static void iss_of(gt_stack *s, struct tcp_conn *c, void *ctx)
{
	struct iss_find *q = ctx;
	(void)s;
	if (ip_addr_eq(c->faddr, q->faddr) && c->fport == q->fport)
		q->iss = c->iss;
}

static uint32_t iss_toward(ip_addr faddr, uint16_t fport)
{
	struct iss_find q = {.faddr = faddr, .fport = fport};
	tcp_foreach(si.f.s, iss_of, &q);
	return q.iss;
}

/* An ICMP "fragmentation needed" (RFC 1191) from dst quoting the stack's
 * segment to dst:dport at seq, next-hop MTU mtu; the target fixes sums. */
static void si_frag_needed(uint8_t t, uint32_t dst, uint16_t dport, uint32_t seq, uint16_t mtu)
{
	uint8_t quote[IPV4_HDR_MIN + 8] = {0}, msg[64], ip[IPV4_HDR_MIN + 64];
	struct ipv4_hdr q = {.ihl_bytes = IPV4_HDR_MIN, .total_len = 1500, .df = true, .ttl = 64,
			     .proto = IPPROTO_TCP_, .src = FZ_LADDR, .dst = dst};
	ipv4_emit(quote, &q);
	uint8_t *t8 = quote + IPV4_HDR_MIN;
	fz_put16(t8, FZ_LPORT);
	fz_put16(t8 + 2, dport);
	fz_put16(t8 + 4, (uint16_t)(seq >> 16));
	fz_put16(t8 + 6, (uint16_t)seq);
	size_t m = icmp_emit(msg, ICMP_DEST_UNREACH, ICMP_UNREACH_FRAG_NEEDED, mtu, quote,
			     sizeof(quote));
	struct ipv4_hdr ih = {.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + m),
			      .ttl = 64, .proto = IPPROTO_ICMP_, .src = dst, .dst = FZ_LADDR};
	ipv4_emit(ip, &ih);
	memcpy(ip + IPV4_HDR_MIN, msg, m);
	si_rec(t, true, ip, IPV4_HDR_MIN + m);
}

/* A TCP segment from [2001:db8::<host>]:sport to the IPv6 listener. */
static void si_seg6_from(uint8_t t, uint8_t host, uint16_t sport, uint8_t flags, uint32_t seq,
			 uint32_t ack)
{
	uint8_t seg[TCP_HDR_MIN] = {0}, pkt[FZ_PKT_MAX];
	struct tcp_hdr h = {.sport = sport, .dport = FZ_LPORT, .seq = seq, .ack = ack,
			    .doff_bytes = TCP_HDR_MIN, .flags = flags, .win = 65535};
	tcp_emit(seg, &h, NULL, 0, 0, 0, 0);
	si_rec(t, true, pkt, v6_pkt_from(pkt, host, IPPROTO_TCP_, seg, TCP_HDR_MIN));
}

/* An ICMPv6 Packet Too Big (RFC 4443 3.2) from 2001:db8::<host> quoting the
 * stack's segment to it at seq. */
static void si_too_big6(uint8_t t, uint8_t host, uint16_t dport, uint32_t seq, uint32_t mtu)
{
	uint8_t body[ICMP6_HDR_LEN + IPV6_HDR_LEN + TCP_HDR_MIN] = {ICMP6_PACKET_TOO_BIG, 0};
	fz_put16(body + 4, (uint16_t)(mtu >> 16));
	fz_put16(body + 6, (uint16_t)mtu);
	struct gt_in6_addr peer = {{0x20, 0x01, 0x0d, 0xb8, [15] = host}};
	struct ipv6_hdr q = {.payload_len = 1440, .next = IPPROTO_TCP_, .hop_limit = 64,
			     .src = fz_laddr6, .dst = peer};
	ipv6_emit(body + ICMP6_HDR_LEN, &q);
	struct tcp_hdr h = {.sport = FZ_LPORT, .dport = dport, .seq = seq,
			    .doff_bytes = TCP_HDR_MIN, .flags = TH_ACK, .win = 65535};
	tcp_emit(body + ICMP6_HDR_LEN + IPV6_HDR_LEN, &h, NULL, 0, 0, 0, 0);
	uint8_t pkt[FZ_PKT_MAX];
	si_rec(t, true, pkt, v6_pkt_from(pkt, host, IPPROTO_ICMPV6_, body, sizeof(body)));
}

/* The path-MTU cache (GT_PMTU_CACHE entries, ip/ip.c): the established
 * connection learns an MTU under pmtu_min (552: locked, DF cleared) and
 * sends; then 12 IPv4 and 12 IPv6 peers each open a connection, report a
 * smaller MTU for it and reset it, more destinations than the cache holds
 * (IpPmtuCacheEvicted). */
static void gen_stack_input_pmtu(void)
{
	si_begin();
	si_frag_needed(0, FZ_RADDR, FZ_RPORT, si.f.snd_nxt, 300);
	si_seg(0x40 | 1, TH_ACK, 0, 0, 65535, NULL, 0);
	si_seg(0x40 | 10, TH_ACK, 0, 0, 65535, NULL, 0);
	for (uint32_t i = 0; i < 12; i++) {
		uint32_t a = 0x0a00000au + i;
		uint16_t port = (uint16_t)(3000 + i);
		si_spoof(1, a, port, TH_SYN, 100000u * i, 0);
		uint32_t iss = iss_toward(ip_addr_v4(a), port);
		si_spoof(1, a, port, TH_ACK, 100000u * i + 1, iss + 1);
		si_frag_needed(1, a, port, iss + 1, (uint16_t)(i % 3 ? 1400 - 64 * i : 500));
		si_spoof(1, a, port, TH_RST, 100000u * i + 1, 0);
	}
	for (uint8_t i = 0; i < 12; i++) {
		uint8_t host = (uint8_t)(10 + i);
		uint16_t port = (uint16_t)(4000 + i);
		struct gt_in6_addr peer = {{0x20, 0x01, 0x0d, 0xb8, [15] = host}};
		si_seg6_from(1, host, port, TH_SYN, 200000u * i, 0);
		uint32_t iss = iss_toward(peer, port);
		si_seg6_from(1, host, port, TH_ACK, 200000u * i + 1, iss + 1);
		si_too_big6(1, host, port, iss + 1, i % 4 ? 1480u - 16u * i : 1000u);
		si_seg6_from(1, host, port, TH_RST, 200000u * i + 1, 0);
	}
	si_seg(0x40 | 20, TH_ACK, 0, 0, 65535, NULL, 0);
	const struct gt_stats *st = gt_stack_stats(si.f.s);
	if (!st->IpPmtuCacheEvicted || st->TcpOutOfWindowIcmps)
		fz_fail("pmtu seed stale: %llu evicted, %llu ICMP out of window",
			(unsigned long long)st->IpPmtuCacheEvicted,
			(unsigned long long)st->TcpOutOfWindowIcmps);
	si_end("pmtu_cache_many_destinations");
}

/* A device that refuses packets (-ENOBUFS, cfg.tx_busy_linux): a write, a
 * new connection's SYN-ACK and an ACK refused, then the timers and the
 * peer's ACKs with the device taking packets again. */
static void gen_stack_input_refused(void)
{
	si_begin();
	rec_refuse = true;
	si_seg(0x40, TH_ACK, 0, 0, 65535, NULL, 0);
	si_spoof(1, 0x0a000020u, 5000, TH_SYN, 4242, 0);
	si_seg(0x40 | 8, TH_ACK, 0, 0, 65535, "x", 1);
	rec_refuse = false;
	si_seg(20, TH_ACK, 0, 0, 65535, NULL, 0);
	si_seg(0x40 | 10, TH_ACK, 0, 0, 65535, NULL, 0);
	rec_refuse = true;
	si_seg(22, TH_ACK, 0, 0, 65535, NULL, 0);
	rec_refuse = false;
	si_seg(24, TH_ACK, 0, 0, 65535, NULL, 0);
	if (si.f.refused < 3)
		fz_fail("refusal seed: %llu refused", (unsigned long long)si.f.refused);
	si_end("device_refuses");
}

static void gen_stack_input(void)
{
	static const char text[1200] = "hello, glasstcp";
	si_begin();
	si_seg(0x80, TH_ACK | TH_PSH, 0, 0, 65535, text, 100);
	si_seg(0x80 | 10, TH_ACK | TH_PSH, 0, 0, 65535, text, 1200);
	si_seg(0x80, TH_ACK | TH_FIN, 0, 0, 65535, NULL, 0);
	si_end("data_then_fin");

	si_begin();
	si_seg(0x40, TH_ACK, 0, 0, 65535, NULL, 0);
	si_seg(0x40 | 8, TH_ACK, 0, -1000, 65535, NULL, 0);
	for (int i = 0; i < 3; i++)
		si_seg(0, TH_ACK, 0, -1000, 65535, NULL, 0);
	si_seg(20, TH_ACK, 0, 0, 65535, NULL, 0);
	si_end("send_dupacks_rto");

	si_begin();
	si_seg(0, TH_ACK, 300, 0, 65535, text, 100);
	si_seg(0, TH_ACK, 100, 0, 65535, text, 100);
	si_seg(0x80, TH_ACK, 0, 0, 65535, text, 100);
	si_end("out_of_order");

	si_begin();
	si_seg(0, TH_RST, 1000, 0, 0, NULL, 0);
	si_seg(0, TH_RST, 0, 0, 0, NULL, 0);
	si_end("rst_in_window_then_exact");

	si_begin();
	si_seg(0, TH_SYN, 5, 0, 65535, NULL, 0);
	si_seg(0, TH_ACK, 0, 100000, 65535, NULL, 0);
	si_seg(0, TH_ACK, 0, -200000, 65535, NULL, 0);
	si_end("syn_and_bad_acks_in_window");

	si_begin();
	for (uint32_t i = 0; i < 12; i++)
		si_spoof(1, 0x0a000100u + i, (uint16_t)(1024 + i), TH_SYN, 7777u * i, 0);
	si_spoof(20, 0x0a000003u, 5555, TH_ACK, 1, 1);
	si_end("syn_flood");

	si_begin();
	si_seg(0x40, TH_ACK, 0, 0, 0, NULL, 0);
	si_seg(0x40 | 22, TH_ACK, 0, 0, 0, NULL, 0);
	si_seg(24, TH_ACK, 0, 0, 65535, NULL, 0);
	si_end("zero_window_persist");

	si_begin();
	{
		uint8_t pkt[FZ_PKT_MAX], msg[128];
		size_t n = fz_build(&si.f, pkt, TH_ACK, 1, 2, 0, NULL, 0, NULL, 0);
		/* ICMP quoting a segment the stack sent: swap it to look like ours. */
		uint8_t quote[28];
		memcpy(quote, pkt, 28);
		memcpy(quote + 12, pkt + 16, 4);
		memcpy(quote + 16, pkt + 12, 4);
		quote[20] = (uint8_t)(FZ_LPORT >> 8), quote[21] = (uint8_t)FZ_LPORT;
		quote[22] = (uint8_t)(FZ_RPORT >> 8), quote[23] = (uint8_t)FZ_RPORT;
		uint32_t seq = si.f.snd_nxt;
		quote[24] = (uint8_t)(seq >> 24), quote[25] = (uint8_t)(seq >> 16);
		quote[26] = (uint8_t)(seq >> 8), quote[27] = (uint8_t)seq;
		si_seg(0x40, TH_ACK, 0, 0, 65535, NULL, 0);
		uint8_t ip[IPV4_HDR_MIN + 128];
		size_t m = icmp_emit(msg, ICMP_DEST_UNREACH, ICMP_UNREACH_FRAG_NEEDED, 576, quote, 28);
		struct ipv4_hdr ih = {
			.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + m), .ttl = 64,
			.proto = IPPROTO_ICMP_, .src = FZ_RADDR, .dst = FZ_LADDR,
		};
		ipv4_emit(ip, &ih);
		memcpy(ip + IPV4_HDR_MIN, msg, m);
		si_rec(0, false, ip, IPV4_HDR_MIN + m);
		m = icmp_emit(msg, ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, 0, quote, 28);
		memcpy(ip + IPV4_HDR_MIN, msg, m);
		si_rec(0, true, ip, IPV4_HDR_MIN + m);
		m = icmp_emit(msg, ICMP_ECHO_REQUEST, 0, 0x00010001, (const uint8_t *)"ping", 4);
		memcpy(ip + IPV4_HDR_MIN, msg, m);
		si_rec(0, true, ip, IPV4_HDR_MIN + m);
		(void)n;
	}
	si_end("icmp");

	si_begin();
	{
		const uint8_t junk[] = {0x45, 0, 0, 20, 0, 0, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1};
		si_rec(0, true, junk, sizeof(junk));
		const uint8_t v6[] = {0x60, 0, 0, 0, 0, 0, 6, 64};
		si_rec(0, false, v6, sizeof(v6));
	}
	si_end("other_protocols");
	gen_stack_input6();
	gen_stack_input_pmtu();
	gen_stack_input_refused();
}

/* ---- fuzz_conn_state ------------------------------------------------------ */

/* A segment record at the exact sequence and acknowledgment numbers. */
static size_t cs_seg(uint8_t *b, uint8_t tcls, uint8_t flags, bool ts, uint8_t len)
{
	size_t k = 0;
	b[k++] = (uint8_t)(0x0f | tcls << 4);
	b[k++] = flags;
	b[k++] = 0xff; /* window: from the next two bytes */
	b[k++] = 0xff;
	b[k++] = 0xff;
	b[k++] = ts ? 1 : 0;
	if (ts)
		b[k++] = 0x82; /* TSval + 1, TSecr = the stack's */
	b[k++] = len;
	for (uint8_t i = 0; i < len; i++)
		b[k++] = (uint8_t)('a' + i % 26);
	static const uint8_t step[4] = {0, 40, 30, 2}; /* 40 ms, 3 s, 2 min */
	if (tcls)
		b[k++] = step[tcls & 3];
	return k;
}

static void gen_conn_state(void)
{
	static const uint8_t cfgs[] = {0x00, 0x0e, 0x0f, 0x5e};
	for (uint8_t st = 0; st < 10; st++) {
		for (size_t c = 0; c < sizeof(cfgs); c++) {
			bool ts = cfgs[c] & 2;
			uint8_t b[1024];
			size_t k;
			char name[64];

			/* Data, an ACK, the application sends and reads, FIN. */
			k = 0;
			b[k++] = st, b[k++] = cfgs[c];
			k += cs_seg(b + k, 0, TH_ACK | TH_PSH, ts, 20);
			b[k++] = 0xc0, b[k++] = 50;       /* send 400 bytes */
			b[k++] = 0xc2;                    /* recv */
			k += cs_seg(b + k, 1, TH_ACK, ts, 0);
			k += cs_seg(b + k, 2, TH_ACK | TH_FIN, ts, 0);
			b[k++] = 0xc5;                    /* close */
			snprintf(name, sizeof(name), "s%u_c%02x_data_fin", st, cfgs[c]);
			put("conn_state", name, b, k);

			/* RST at the exact and at an in-window sequence. */
			k = 0;
			b[k++] = st, b[k++] = cfgs[c];
			b[k++] = 0x0c, b[k++] = TH_RST, b[k++] = 100, b[k++] = 0, b[k++] = 0, b[k++] = 0;
			k += cs_seg(b + k, 0, TH_RST | TH_ACK, ts, 0);
			snprintf(name, sizeof(name), "s%u_c%02x_rst", st, cfgs[c]);
			put("conn_state", name, b, k);

			/* The application writes; the peer ACKs part, then
			 * duplicates, a zero window, and time passes. */
			k = 0;
			b[k++] = st, b[k++] = cfgs[c];
			b[k++] = 0xc1;                    /* send 2048, MSG_MORE */
			b[k++] = 0xc0, b[k++] = 255;
			b[k++] = 0x07, b[k++] = TH_ACK, b[k++] = 0x03, b[k++] = 0xe8, b[k++] = 0xe8;
			b[k++] = 0, b[k++] = 0;
			for (int i = 0; i < 3; i++)
				k += cs_seg(b + k, 0, TH_ACK, ts, 0);
			b[k++] = 0x2f, b[k++] = TH_ACK, b[k++] = 0, b[k++] = 0, b[k++] = 0, b[k++] = 50;
			k += cs_seg(b + k, 3, TH_ACK, ts, 0);
			snprintf(name, sizeof(name), "s%u_c%02x_loss_zero_window", st, cfgs[c]);
			put("conn_state", name, b, k);

			/* A SYN in the window, a SYN-ACK, and an ACK for unsent data. */
			k = 0;
			b[k++] = st, b[k++] = cfgs[c];
			k += cs_seg(b + k, 0, TH_SYN, ts, 0);
			k += cs_seg(b + k, 0, TH_SYN | TH_ACK, ts, 0);
			b[k++] = 0x03, b[k++] = TH_ACK, b[k++] = 100, b[k++] = 0xff, b[k++] = 0xff;
			b[k++] = 0xff, b[k++] = 0, b[k++] = 0;
			snprintf(name, sizeof(name), "s%u_c%02x_syn_bad_ack", st, cfgs[c]);
			put("conn_state", name, b, k);
		}
	}
}

/* Session 29's calls (fuzz_conn_state's 48-63) in ESTABLISHED and
 * CLOSE_WAIT, Linux and FreeBSD: the device refusing every other packet,
 * SO_ZEROCOPY sends, SO_TIMESTAMPING, an ICMP frag needed under min_pmtu
 * (552: locked, DF cleared), the error queue read, a disconnect
 * (connect(AF_UNSPEC)) and a connect again. */
static void gen_conn_state_new(void)
{
	static const uint8_t states_used[2] = {3, 6}, cfgs[2] = {0x0e, 0x0f};
	for (int si_ = 0; si_ < 2; si_++) {
		for (int c = 0; c < 2; c++) {
			uint8_t b[512], st = states_used[si_];
			char name[64];
			size_t k = 0;
			bool ts = cfgs[c] & 2;
			b[k++] = st, b[k++] = cfgs[c];
			b[k++] = 0xc0 | 49, b[k++] = 1;    /* SO_ZEROCOPY 1 */
			b[k++] = 0xc0 | 52, b[k++] = 0x1d; /* SO_TIMESTAMPING: TX_SOFTWARE, OPT_ID, SCHED, ACK */
			b[k++] = 0xc0 | 48, b[k++] = 0x55; /* the device refuses every other packet */
			b[k++] = 0xc0 | 50, b[k++] = 200;  /* 1,600 bytes, MSG_ZEROCOPY */
			b[k++] = 0xc0 | 54, b[k++] = 1, b[k++] = 44; /* frag needed, MTU 300 */
			k += cs_seg(b + k, 1, TH_ACK, ts, 0);
			b[k++] = 0xc0 | 48, b[k++] = 0;    /* the device takes everything */
			b[k++] = 0xc0 | 57, b[k++] = 100;  /* 800 bytes, MSG_ZEROCOPY | MSG_MORE */
			k += cs_seg(b + k, 2, TH_ACK, ts, 0);
			b[k++] = 0xc0 | 51;                /* the error queue */
			b[k++] = 0xc0 | 53;                /* connect(AF_UNSPEC) */
			b[k++] = 0xc0 | 51;
			b[k++] = 0xc0 | 58;                /* connect again */
			k += cs_seg(b + k, 3, TH_ACK, ts, 0);
			snprintf(name, sizeof(name), "s%u_c%02x_s29_calls", st, cfgs[c]);
			put("conn_state", name, b, k);
		}
	}
}

int main(int argc, char **argv)
{
	root = argc > 1 ? argv[1] : "fuzz/corpus";
	mkdir(root, 0755);
	gen_wire();
	gen_stack_input();
	gen_conn_state();
	gen_conn_state_new();
	return 0;
}
