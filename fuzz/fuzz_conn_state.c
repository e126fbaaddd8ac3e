/* libFuzzer target: a sequence of segments (and a few socket calls) fed to
 * one connection first brought to a state of RFC 9293 3.3.2 through a real
 * dialogue. Segments carry correct checksums, so they reach RFC 9293
 * 3.10.7's processing; their fields come from the input, relative to what
 * the peer has seen of the connection or raw. After every step the stack's
 * invariants are checked (fuzz_peer.h); at the end, every descriptor is
 * closed and every connection must end.
 *
 * Input: byte 0 picks the state (modulo 10; bit 7: the profile's path-MTU
 * cache off), byte 1 the configuration, then records:
 *   op: bits 7-6 = 3: a socket call (bits 5-0 pick it: 0-47 the first
 *       twelve, modulo 12; 48-63 the device, session 29's calls and ICMP),
 *       else a segment:
 *       bits 1-0 seq mode, 3-2 ack mode, 5-4 time step class
 *   segment: flags, seq (1, 2 or 4 bytes), ack (1, 2 or 4 bytes), window,
 *            options selector, payload length, payload
 */
#include "fuzz_peer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t states[10] = {
	GT_TCP_LISTEN,     GT_TCP_SYN_SENT,   GT_TCP_SYN_RECEIVED, GT_TCP_ESTABLISHED,
	GT_TCP_FIN_WAIT_1, GT_TCP_FIN_WAIT_2, GT_TCP_CLOSE_WAIT,   GT_TCP_CLOSING,
	GT_TCP_LAST_ACK,   GT_TCP_TIME_WAIT,
};

struct in {
	const uint8_t *p, *end;
};

static uint8_t u8(struct in *in) { return in->p < in->end ? *in->p++ : 0; }
static uint16_t u16(struct in *in) { return (uint16_t)(u8(in) << 8 | u8(in)); }
static uint32_t u32(struct in *in) { return (uint32_t)u16(in) << 16 | u16(in); }

static void configure(struct gt_config *cfg, uint8_t b)
{
	fz_config(cfg, b & 1);
	cfg->opt_timestamps = b & 2;
	cfg->opt_sack = b & 4;
	cfg->opt_wscale = b & 8;
	cfg->rfc5961 = !(b & 16);
	cfg->ack_unsent_challenge = b & 32;
	if (b & 64) {
		cfg->sndbuf_bytes = 2048;
		cfg->rcvbuf_bytes = 2048;
	}
	cfg->fin_delack = !(b & 128);
	cfg->challenge_ack_per_s = (b & 128) ? 2 : 1000;
}

/* Options: bit 0 TS, 1 SACK block, 2 MSS, 3 wscale, 4 sackOK, 5 raw bytes. */
static size_t options(struct fz *f, struct in *in, uint8_t sel, uint8_t flags, uint8_t *ob)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	if (sel & 1) {
		o.has_ts = true;
		uint8_t m = u8(in);
		o.ts_val = (m & 1) ? u32(in) : f->peer_tsval + (m >> 1);
		o.ts_ecr = (m & 0x80) ? f->stack_tsval : u32(in);
		if (!(m & 1))
			f->peer_tsval = o.ts_val;
	}
	if (sel & 2) {
		uint8_t n = (u8(in) & 3) + 1;
		for (uint8_t i = 0; i < n; i++) {
			o.sack[i].left = f->iss + u16(in);
			o.sack[i].right = o.sack[i].left + u16(in);
		}
		o.nsack = n;
	}
	o.has_mss = sel & 4;
	o.mss = sel & 4 ? u16(in) : 0;
	o.has_wscale = sel & 8;
	o.wscale = sel & 8 ? u8(in) : 0;
	o.sack_ok = sel & 16;
	size_t n = tcp_opts_emit(ob, &o, flags & TH_SYN, TCP_SYNOPT_LINUX);
	if (!(flags & TH_SYN) && (sel & 0x1c)) {
		/* Non-SYN layout ignores MSS/wscale/sackOK: append them raw. */
		uint8_t extra[8], k = 0;
		if (sel & 4) {
			extra[k++] = 2, extra[k++] = 4, extra[k++] = (uint8_t)(o.mss >> 8);
			extra[k++] = (uint8_t)o.mss;
		}
		if (sel & 16)
			extra[k++] = 4, extra[k++] = 2;
		if (n + k <= TCP_OPT_MAX) {
			memcpy(ob + n, extra, k);
			n += k;
		}
	}
	if (sel & 32) {
		/* Raw option bytes straight from the input. */
		uint8_t k = u8(in) % 12;
		while (k-- && n < TCP_OPT_MAX)
			ob[n++] = u8(in);
	}
	return n;
}

static void segment(struct fz *f, struct in *in, uint8_t op)
{
	uint8_t flags = u8(in);
	uint32_t seq, ack;
	uint32_t rcv = f->seen ? f->rcv_ack : f->peer_nxt;
	switch (op & 3) {
	case 0: seq = rcv + (uint32_t)(int8_t)u8(in); break;
	case 1: seq = rcv + (uint32_t)(int16_t)u16(in); break;
	case 2: seq = u32(in); break;
	default: seq = rcv; break;
	}
	switch (op >> 2 & 3) {
	case 0: ack = f->snd_nxt + (uint32_t)(int8_t)u8(in); break;
	case 1: ack = f->snd_nxt - u16(in); break;
	case 2: ack = u32(in); break;
	default: ack = f->snd_nxt; break;
	}
	uint8_t w = u8(in);
	uint16_t win = w == 0xff ? u16(in) : (uint16_t)(w * 257);
	uint8_t ob[TCP_OPT_MAX + 12];
	size_t olen = options(f, in, u8(in), flags, ob);
	size_t len = u8(in);
	if (len == 0xff)
		len = 1400;
	size_t avail = (size_t)(in->end - in->p);
	uint8_t payload[1400];
	memset(payload, 'x', len);
	memcpy(payload, in->p, len < avail ? len : avail);
	in->p += len < avail ? len : avail;
	uint8_t pkt[FZ_PKT_MAX];
	size_t n = fz_build(f, pkt, flags, seq, ack, win, ob, olen, payload, len);
	gt_stack_input(f->s, f->now_us, pkt, n);
}


/* An ICMP "fragmentation needed" from the peer (RFC 1191) quoting the
 * stack's last segment to it, next-hop MTU mtu. */
static void frag_needed(struct fz *f, uint16_t mtu)
{
	uint8_t quote[IPV4_HDR_MIN + 8] = {0}, ip[IPV4_HDR_MIN + 64];
	struct ipv4_hdr q = {.ihl_bytes = IPV4_HDR_MIN, .total_len = 1500, .df = true, .ttl = 64,
			     .proto = IPPROTO_TCP_, .src = FZ_LADDR, .dst = FZ_RADDR};
	ipv4_emit(quote, &q);
	uint8_t *t = quote + IPV4_HDR_MIN;
	fz_put16(t, f->lport);
	fz_put16(t + 2, f->rport);
	fz_put16(t + 4, (uint16_t)(f->last_seq >> 16));
	fz_put16(t + 6, (uint16_t)f->last_seq);
	size_t m = icmp_emit(ip + IPV4_HDR_MIN, ICMP_DEST_UNREACH, ICMP_UNREACH_FRAG_NEEDED, mtu,
			     quote, sizeof(quote));
	struct ipv4_hdr ih = {.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)(IPV4_HDR_MIN + m),
			      .ttl = 64, .proto = IPPROTO_ICMP_, .src = FZ_RADDR, .dst = FZ_LADDR};
	ipv4_emit(ip, &ih);
	if (f->trace)
		fprintf(stderr, "%12.6f in  ICMP frag needed mtu %u seq %u\n", (double)f->now_us / 1e6,
			mtu, f->last_seq);
	gt_stack_input(f->s, f->now_us, ip, IPV4_HDR_MIN + m);
}

/* SO_TIMESTAMPING's flags: bit 7 of sel takes 32 raw bits, else bits 0-6
 * pick the known ones. */
static int tstamp_flags(struct in *in)
{
	static const int known[7] = {
		GT_SOF_TIMESTAMPING_TX_SOFTWARE, GT_SOF_TIMESTAMPING_SOFTWARE,
		GT_SOF_TIMESTAMPING_OPT_ID,      GT_SOF_TIMESTAMPING_TX_SCHED,
		GT_SOF_TIMESTAMPING_TX_ACK,      GT_SOF_TIMESTAMPING_OPT_TSONLY,
		GT_SOF_TIMESTAMPING_OPT_ID_TCP,
	};
	uint8_t sel = u8(in);
	if (sel & 0x80)
		return (int)u32(in);
	int v = 0;
	for (int i = 0; i < 7; i++)
		if (sel >> i & 1)
			v |= known[i];
	return v;
}

/* Calls 48-63: what session 29 added, and the device. */
static void socket_call_new(struct fz *f, struct in *in, uint8_t what)
{
	static const char text[2048] = "glasstcp";
	int v;
	switch (what) {
	case 48: f->refuse_mask = u8(in); break; /* the device refuses some transmits */
	case 49:
		v = u8(in) & 1;
		gt_setsockopt(f->s, f->sd, GT_SOL_SOCKET, GT_SO_ZEROCOPY, &v, sizeof(v));
		break;
	case 50: gt_send(f->s, f->sd, text, u8(in) * 8u, GT_MSG_ZEROCOPY); break;
	case 51: {
		struct gt_errqueue_entry e;
		for (int i = 0; i < 64 && gt_recv_errqueue(f->s, f->sd, &e) == 0; i++)
			;
		break;
	}
	case 52:
		v = tstamp_flags(in);
		gt_setsockopt(f->s, f->sd, GT_SOL_SOCKET, GT_SO_TIMESTAMPING, &v, sizeof(v));
		break;
	case 53: {
		struct gt_sockaddr a = {.family = GT_AF_UNSPEC};
		gt_connect(f->s, f->sd, &a); /* a disconnect */
		break;
	}
	case 54: frag_needed(f, u16(in)); break;
	case 55:
		v = u8(in) % 6;
		gt_setsockopt(f->s, f->sd, GT_IPPROTO_IP, GT_IP_MTU_DISCOVER, &v, sizeof(v));
		break;
	case 56: gt_pmtu_flush(f->s, 0); break;
	case 57: gt_send(f->s, f->sd, text, u8(in) * 8u, GT_MSG_ZEROCOPY | GT_MSG_MORE); break;
	case 58: {
		struct gt_sockaddr a = {.family = GT_AF_INET, .port = f->rport, .addr = FZ_RADDR};
		gt_connect(f->s, f->sd, &a); /* again, after a disconnect */
		break;
	}
	default:
		v = 1;
		gt_setsockopt(f->s, f->sd, GT_SOL_SOCKET, GT_SO_SNDBUF, &v, sizeof(v));
		break;
	}
}

static void socket_call(struct fz *f, struct in *in, uint8_t what)
{
	static const char text[2048] = "glasstcp";
	char buf[4096];
	int v;
	if (f->trace)
		fprintf(stderr, "%12.6f call %u (sd %d)\n", (double)f->now_us / 1e6,
			what >= 48 ? what : what % 12, f->sd);
	if (what >= 48) {
		socket_call_new(f, in, what);
		return;
	}
	switch (what % 12) {
	case 0: gt_send(f->s, f->sd, text, u8(in) * 8u, 0); break;
	case 1: gt_send(f->s, f->sd, text, sizeof(text), GT_MSG_MORE); break;
	case 2: gt_recv(f->s, f->sd, buf, sizeof(buf), 0); break;
	case 3: gt_shutdown(f->s, f->sd, GT_SHUT_WR); break;
	case 4: gt_shutdown(f->s, f->sd, GT_SHUT_RD); break;
	case 5:
		gt_close(f->s, f->sd);
		f->sd = -1;
		break;
	case 6: {
		int sd = gt_accept(f->s, f->lsd, NULL);
		if (sd >= 0 && f->sd < 0)
			f->sd = sd;
		else if (sd >= 0)
			gt_close(f->s, sd);
		break;
	}
	case 7:
		v = u8(in) * 64;
		gt_setsockopt(f->s, f->sd, GT_SOL_SOCKET, (what & 64) ? GT_SO_SNDBUF : GT_SO_RCVBUF,
			      &v, sizeof(v));
		break;
	case 8:
		v = u8(in) & 1;
		gt_setsockopt(f->s, f->sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &v, sizeof(v));
		break;
	case 9: {
		struct gt_linger l = {.l_onoff = 1, .l_linger = u8(in) & 3};
		gt_setsockopt(f->s, f->sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof(l));
		break;
	}
	case 10:
		v = 1;
		gt_setsockopt(f->s, f->sd, GT_SOL_SOCKET, GT_SO_KEEPALIVE, &v, sizeof(v));
		break;
	default:
		gt_close(f->s, f->lsd);
		f->lsd = -1;
		break;
	}
}

static void advance(struct fz *f, struct in *in, uint8_t cls)
{
	switch (cls) {
	case 0: break;
	case 1: fz_advance(f, u8(in) * 1000ull); break;          /* up to 255 ms */
	case 2: fz_advance(f, u8(in) * 100000ull); break;        /* up to 25.5 s */
	default: fz_advance(f, (uint64_t)u8(in) * 60000000ull); /* up to 4 h 15 min */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 1 << 14)
		return 0;
	struct in in = {data + 2, data + size};
	struct gt_config cfg;
	configure(&cfg, data[1]);
	if (data[0] & 0x80)
		cfg.pmtu_cache = false;
	struct fz f;
	fz_init(&f, &cfg);
	fz_walk_to(&f, states[(data[0] & 0x7f) % 10]);
	fz_check(&f, NULL);
	for (int steps = 0; in.p < in.end && steps < 256; steps++) {
		uint8_t op = u8(&in);
		if ((op & 0xc0) == 0xc0) {
			socket_call(&f, &in, op & 0x3f);
		} else {
			segment(&f, &in, op);
			advance(&f, &in, op >> 4 & 3);
		}
		fz_check(&f, NULL);
	}
	fz_finish(&f, true);
	fz_fini(&f);
	return 0;
}
