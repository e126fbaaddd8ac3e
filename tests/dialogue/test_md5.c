/* TCP MD5 signatures (RFC 2385) in FreeBSD's form (cfg.md5sig_bsd,
 * TCP_MD5SIG an int, keys by address pair): a signed handshake and data,
 * unsigned and badly signed segments dropped, RSTs signed, nothing sent
 * without a key; and in Linux's form (keys per socket and peer, the Linux
 * profile): the drops counted, the key table's bound. The digest here is
 * computed independently of the stack's (util/md5 over RFC 2385 2.0's
 * fields). */
#include <string.h>

#include "dlg.h"
#include "util/checksum.h"
#include "util/md5.h"
#include "wire/ipv4.h"

static const char key[] = "secret";

enum sig { SIG_GOOD, SIG_BAD, SIG_NONE };

static void digest(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len, uint8_t out[16])
{
	uint8_t ph[12] = {(uint8_t)(src >> 24), (uint8_t)(src >> 16), (uint8_t)(src >> 8), (uint8_t)src,
			  (uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8), (uint8_t)dst,
			  0, 6, (uint8_t)(len >> 8), (uint8_t)len};
	uint8_t th[20];
	memcpy(th, seg, 20);
	th[16] = th[17] = 0;
	size_t doff = (size_t)(seg[12] >> 4) * 4;
	struct md5_ctx m;
	md5_init(&m);
	md5_update(&m, ph, sizeof ph);
	md5_update(&m, th, sizeof th);
	md5_update(&m, seg + doff, len - doff);
	md5_update(&m, key, strlen(key));
	md5_final(&m, out);
}

static struct dlg *md5_dlg(void)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.md5sig_bsd = true;
	struct dlg *d = dlg_new(&cfg);
	struct gt_sockaddr l = {.family = GT_AF_INET, .addr = DLG_LADDR};
	struct gt_sockaddr r = {.family = GT_AF_INET, .addr = DLG_RADDR};
	ASSERT_EQ(gt_tcp_md5_key_add(d->s, &l, &r, key, strlen(key)), 0);
	ASSERT_EQ(gt_tcp_md5_key_add(d->s, &r, &l, key, strlen(key)), 0);
	return d;
}

static void set_md5sig(struct dlg *d, int sd)
{
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_MD5SIG, &one, sizeof one), 0);
}

/* The peer's segment with nop,nop,signature (and an MSS in a SYN). */
static void peer_send(struct dlg *d, uint8_t flags, uint32_t seq, uint32_t ack, const void *data,
		      size_t len, enum sig sig)
{
	uint8_t ob[24] = {1, 1, 19, 18};
	size_t olen = 20;
	if (flags & TH_SYN) {
		uint8_t syn[24] = {2, 4, 0x05, 0xb4, 1, 1, 19, 18};
		memcpy(ob, syn, sizeof syn);
		olen = 24;
	}
	if (sig == SIG_NONE)
		olen = 0;
	static uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build_raw(d, pkt, flags, seq, ack, DLG_WIN, ob, olen, data, len);
	if (sig != SIG_NONE) {
		uint8_t *seg = pkt + IPV4_HDR_MIN;
		size_t tl = n - IPV4_HDR_MIN;
		uint8_t *dg = seg + 20 + olen - 16;
		digest(DLG_RADDR, DLG_LADDR, seg, tl, dg);
		if (sig == SIG_BAD)
			dg[5] ^= 0x40;
		seg[16] = seg[17] = 0;
		uint16_t c = csum_fold(csum_partial(seg, tl, csum_pseudo_ipv4(DLG_RADDR, DLG_LADDR, 6, (uint16_t)tl)));
		seg[16] = (uint8_t)(c >> 8);
		seg[17] = (uint8_t)c;
	}
	dlg_inject(d, pkt, n);
}

/* Pops the stack's next packet: its flags, seq, ack, payload length, and
 * whether it carries a signature option laid out as FreeBSD's
 * tcp_addoptions() (after NOPs to 2 mod 4) whose digest is right. */
struct out {
	uint8_t flags;
	uint32_t seq, ack, len;
	bool has_sig, sig_ok;
};

static struct out pop_out(struct dlg *d)
{
	struct out o = {0};
	size_t n;
	const uint8_t *p = dlg_pop_packet(d, &n);
	ASSERT(p != NULL);
	const uint8_t *seg = p + (p[0] & 15) * 4;
	size_t tl = (size_t)(p[2] << 8 | p[3]) - (size_t)(p[0] & 15) * 4;
	size_t doff = (size_t)(seg[12] >> 4) * 4;
	o.flags = seg[13];
	o.seq = (uint32_t)seg[4] << 24 | (uint32_t)seg[5] << 16 | (uint32_t)seg[6] << 8 | seg[7];
	o.ack = (uint32_t)seg[8] << 24 | (uint32_t)seg[9] << 16 | (uint32_t)seg[10] << 8 | seg[11];
	o.len = (uint32_t)(tl - doff);
	for (size_t i = 20; i < doff;) {
		if (seg[i] == 0)
			break;
		if (seg[i] == 1) {
			i++;
			continue;
		}
		if (seg[i] == 19 && seg[i + 1] == 18) {
			ASSERT_EQ((i - 20) % 4, 2u);
			uint8_t dg[16];
			digest(DLG_LADDR, DLG_RADDR, seg, tl, dg);
			o.has_sig = true;
			o.sig_ok = !memcmp(dg, seg + i + 2, 16);
		}
		i += seg[i + 1];
	}
	return o;
}

/* Listener with TCP_MD5SIG, signed SYN in, signed SYN-ACK out, signed ACK
 * in, accept(). */
static void md5_established(struct dlg *d)
{
	dlg_listen(d, DLG_LPORT);
	set_md5sig(d, d->lsd);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_GOOD);
	struct out o = pop_out(d);
	ASSERT_EQ(o.flags, TH_SYN | TH_ACK);
	ASSERT(o.has_sig && o.sig_ok);
	d->iss = o.seq;
	d->peer_nxt = DLG_PEER_ISS + 1;
	d->snd_nxt = d->iss + 1;
	peer_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, NULL, 0, SIG_GOOD);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT(d->sd >= 0);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
}

TEST(md5_signed_handshake_and_data)
{
	struct dlg *d = md5_dlg();
	md5_established(d);
	/* The peer's data, signed: taken and ACKed with a signature. */
	peer_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, "hello", 5, SIG_GOOD);
	d->peer_nxt += 5;
	dlg_advance(d, 300000);
	struct out o = pop_out(d);
	ASSERT_EQ(o.flags & TH_ACK, TH_ACK);
	ASSERT_EQ(o.ack, d->peer_nxt);
	ASSERT(o.has_sig && o.sig_ok);
	/* Data out: signed, and the option's 20 bytes come out of the MSS
	 * (FreeBSD's tcp_output() cuts len by optlen): 1460 - 20. */
	dlg_app_send(d, 3000);
	o = pop_out(d);
	ASSERT_EQ(o.len, 1440u);
	ASSERT(o.has_sig && o.sig_ok);
	ASSERT(dlg_stats(d)->TcpMd5Good >= 3);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Bad, 0u);
	dlg_free(d);
}

TEST(md5_unsigned_segment_dropped)
{
	struct dlg *d = md5_dlg();
	md5_established(d);
	uint64_t missing = dlg_stats(d)->TcpMd5Missing;
	peer_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, "hello", 5, SIG_NONE);
	dlg_advance(d, 300000);
	ASSERT_EQ(dlg_pending(d), 0u); /* no ACK: the data was never taken */
	ASSERT_EQ(dlg_stats(d)->TcpMd5Missing, missing + 1);
	char buf[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof buf, 0), -EAGAIN);
	/* The same data signed is taken. */
	peer_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, "hello", 5, SIG_GOOD);
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof buf, 0), 5);
	dlg_free(d);
}

TEST(md5_bad_digest_dropped)
{
	struct dlg *d = md5_dlg();
	md5_established(d);
	uint64_t bad = dlg_stats(d)->TcpMd5Bad;
	/* A forged RST with a wrong digest changes nothing. */
	peer_send(d, TH_RST, d->peer_nxt, 0, NULL, 0, SIG_BAD);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Bad, bad + 1);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	peer_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, "hello", 5, SIG_BAD);
	dlg_advance(d, 300000);
	ASSERT_EQ(dlg_pending(d), 0u);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Bad, bad + 2);
	dlg_free(d);
}

TEST(md5_rst_signed)
{
	struct dlg *d = md5_dlg();
	/* A socket bound, not listening, with TCP_MD5SIG: its RST for a SYN
	 * is signed (tcp_dropwithreset() -> tcp_respond() with its tp). */
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	set_md5sig(d, sd);
	struct gt_sockaddr a = {.family = GT_AF_INET, .port = DLG_LPORT};
	ASSERT_EQ(gt_bind(d->s, sd, &a), 0);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_GOOD);
	struct out o = pop_out(d);
	ASSERT_EQ(o.flags, TH_RST | TH_ACK);
	ASSERT(o.has_sig && o.sig_ok);
	gt_close(d->s, sd);
	/* An established connection aborted (SO_LINGER 0): its RST signed. */
	md5_established(d);
	struct gt_linger lg = {.l_onoff = 1, .l_linger = 0};
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_SOL_SOCKET, GT_SO_LINGER, &lg, sizeof lg), 0);
	gt_close(d->s, d->sd);
	o = pop_out(d);
	ASSERT_EQ(o.flags & TH_RST, TH_RST);
	ASSERT(o.has_sig && o.sig_ok);
	dlg_free(d);
}

TEST(md5_rst_for_an_ended_connection_unsigned)
{
	/* The accepted socket, its connection reset by a signed RST, still
	 * open: FreeBSD's inpcb is dropped (in_pcbdrop()), the next segment
	 * finds no tp, and tcp_dropwithreset() answers unsigned. */
	struct dlg *d = md5_dlg();
	md5_established(d);
	peer_send(d, TH_RST, d->peer_nxt, 0, NULL, 0, SIG_GOOD);
	ASSERT_EQ(dlg_so_error(d, d->sd), ECONNRESET);
	gt_close(d->s, d->lsd); /* a listener would answer with its tp */
	d->lsd = -1;
	peer_send(d, TH_ACK | TH_PSH, d->peer_nxt, d->snd_nxt, "hello", 5, SIG_GOOD);
	struct out o = pop_out(d);
	ASSERT_EQ(o.flags & TH_RST, TH_RST);
	ASSERT(!o.has_sig);
	dlg_free(d);
}

TEST(md5_without_key_nothing_sent)
{
	struct dlg *d = md5_dlg();
	gt_tcp_md5_key_flush(d->s);
	dlg_listen(d, DLG_LPORT);
	set_md5sig(d, d->lsd);
	/* The SYN cannot be checked: dropped (FreeBSD: no SA), no answer. */
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_GOOD);
	ASSERT_EQ(dlg_pending(d), 0u);
	ASSERT_EQ(dlg_stats(d)->TcpMd5NoKey, 1u);
	ASSERT_EQ(dlg_conns(d), 0u);
	dlg_free(d);
}

TEST(md5sig_refused_in_linux_form)
{
	struct dlg *d = dlg_new(NULL); /* the Linux profile's rules */
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	int one = 1;
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_MD5SIG, &one, sizeof one),
		  -EOPNOTSUPP);
	dlg_free(d);
}

TEST(md5_key_table_bounded)
{
	struct dlg *d = md5_dlg(); /* two keys */
	struct gt_sockaddr a = {.family = GT_AF_INET, .addr = DLG_LADDR};
	for (uint32_t i = 0; i < GT_TCP_MD5_KEYS - 2; i++) {
		struct gt_sockaddr b = {.family = GT_AF_INET, .addr = 0x0b000000u + i};
		ASSERT_EQ(gt_tcp_md5_key_add(d->s, &a, &b, "k", 1), 0);
	}
	struct gt_sockaddr b = {.family = GT_AF_INET, .addr = 0x0c000001u};
	ASSERT_EQ(gt_tcp_md5_key_add(d->s, &a, &b, "k", 1), -ENOSPC);
	ASSERT_EQ(dlg_stats(d)->TcpMd5KeysFull, 1u);
	/* A pair held gets its key replaced, without room. */
	struct gt_sockaddr r = {.family = GT_AF_INET, .addr = DLG_RADDR};
	ASSERT_EQ(gt_tcp_md5_key_add(d->s, &a, &r, "other", 5), 0);
	ASSERT_EQ(gt_tcp_md5_key_del(d->s, &a, &r), 0);
	ASSERT_EQ(gt_tcp_md5_key_del(d->s, &a, &r), -ENOENT);
	ASSERT_EQ(gt_tcp_md5_key_add(d->s, &a, &b, "k", 1), 0);
	ASSERT_EQ(gt_tcp_md5_key_add(d->s, &a, &b, "k", 0), -EINVAL);
	gt_tcp_md5_key_flush(d->s);
	ASSERT_EQ(gt_tcp_md5_key_del(d->s, &a, &b), -ENOENT);
	dlg_free(d);
}

/* ---- Linux's form (the Linux profile): struct gt_tcp_md5sig per peer ---- */

static int lx_key(struct dlg *d, int sd, int name, uint32_t addr, uint8_t flags, uint8_t plen,
		  const char *k)
{
	struct gt_tcp_md5sig m;
	memset(&m, 0, sizeof m);
	m.tcpm_addr.family = GT_AF_INET;
	m.tcpm_addr.addr = addr;
	m.tcpm_flags = flags;
	m.tcpm_prefixlen = plen;
	m.tcpm_keylen = (uint16_t)strlen(k);
	memcpy(m.tcpm_key, k, strlen(k));
	return gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, name, &m, sizeof m);
}

/* Linux's tcp_inbound_hash() on a listener with a key for the peer: an
 * unsigned SYN (TCPMD5NotFound, TcpMd5Missing here) and a badly signed one
 * (TCPMD5Failure, TcpMd5Bad) dropped unanswered; the signed one answered
 * with a signed SYN-ACK, the signature first (tcp_options_write()). */
TEST(md5_linux_listener_drops_counted)
{
	struct dlg *d = dlg_new(NULL);
	d->lsd = dlg_listen(d, DLG_LPORT);
	ASSERT_EQ(lx_key(d, d->lsd, GT_TCP_MD5SIG_LINUX, DLG_RADDR, 0, 0, key), 0);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_NONE);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_BAD);
	ASSERT_EQ(dlg_pending(d), 0u);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Missing, 1u);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Bad, 1u);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_GOOD);
	struct out o = pop_out(d);
	ASSERT_EQ(o.flags, TH_SYN | TH_ACK);
	ASSERT(o.has_sig && o.sig_ok);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Good, 1u);
	dlg_free(d);
}

/* A signed SYN to a listener with no key for the peer: dropped, counted
 * (TCPMD5Unexpected); a key for another prefix does not cover it. */
TEST(md5_linux_signed_without_key_dropped)
{
	struct dlg *d = dlg_new(NULL);
	d->lsd = dlg_listen(d, DLG_LPORT);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_GOOD);
	ASSERT_EQ(lx_key(d, d->lsd, GT_TCP_MD5SIG_EXT, DLG_RADDR ^ 0x100u, GT_TCP_MD5SIG_FLAG_PREFIX,
			 24, key), 0);
	peer_send(d, TH_SYN, DLG_PEER_ISS, 0, NULL, 0, SIG_GOOD);
	ASSERT_EQ(dlg_pending(d), 0u);
	ASSERT_EQ(dlg_stats(d)->TcpMd5Unexpected, 2u);
	dlg_free(d);
}

/* The keys are bounded (GT_TCP_MD5_LX_KEYS, -ENOMEM beyond, counted), go
 * with their socket, and Linux's form is refused in the FreeBSD profile. */
TEST(md5_linux_keys_bounded_and_freed)
{
	struct dlg *d = dlg_new(NULL);
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	for (uint32_t i = 0; i < GT_TCP_MD5_LX_KEYS; i++)
		ASSERT_EQ(lx_key(d, sd, GT_TCP_MD5SIG_LINUX, 0x0b000000u + i, 0, 0, "k"), 0);
	ASSERT_EQ(lx_key(d, sd, GT_TCP_MD5SIG_LINUX, 0x0c000000u, 0, 0, "k"), -ENOMEM);
	ASSERT_EQ(dlg_stats(d)->TcpMd5KeysFull, 1u);
	/* The same address again replaces its key: no slot needed. */
	ASSERT_EQ(lx_key(d, sd, GT_TCP_MD5SIG_LINUX, 0x0b000000u, 0, 0, "k2"), 0);
	ASSERT_EQ(gt_close(d->s, sd), 0);
	sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(lx_key(d, sd, GT_TCP_MD5SIG_LINUX, 0x0c000000u, 0, 0, "k"), 0);
	dlg_free(d);
	struct dlg *b = md5_dlg();
	int bsd = gt_socket(b->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_EQ(lx_key(b, bsd, GT_TCP_MD5SIG_LINUX, DLG_RADDR, 0, 0, key), -EOPNOTSUPP);
	dlg_free(b);
}
