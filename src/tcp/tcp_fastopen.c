/* TCP Fast Open, the server's side (RFC 7413), as Linux 6.18 does it
 * (net/ipv4/tcp_fastopen.c): the cookie a listener gives and checks
 * (4.1.2), and whether a SYN's data makes a child at once (4.2.2). The
 * client's side (TCP_FASTOPEN_CONNECT, MSG_FASTOPEN, the cookie cache) is
 * not here. */
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

/* net.ipv4.tcp_fastopen's bits (include/net/tcp.h). */
#define TFO_SERVER_ENABLE 0x2
#define TFO_SERVER_COOKIE_NOT_REQD 0x200
#define TFO_SERVER_WO_SOCKOPT1 0x400

/* __tcp_fastopen_cookie_gen_cipher(): siphash() of the SYN's source and
 * destination addresses as they stand in its IP header (8 bytes for
 * IPv4, 32 for IPv6), the 64-bit tag written little-endian
 * (cpu_to_le64()). */
void tcp_fastopen_cookie(const uint8_t key[16], ip_addr src, ip_addr dst,
			 uint8_t out[TCP_FO_COOKIE_LEN])
{
	uint8_t in[32];
	size_t n;
	if (ip_addr_is_v4(src)) {
		memcpy(in, src.b + 12, 4);
		memcpy(in + 4, dst.b + 12, 4);
		n = 8;
	} else {
		memcpy(in, src.b, 16);
		memcpy(in + 16, dst.b, 16);
		n = 32;
	}
	uint64_t h = siphash24(key, in, n);
	for (int i = 0; i < TCP_FO_COOKIE_LEN; i++)
		out[i] = (uint8_t)(h >> (8 * i));
}

/* The queue of a listener: TCP_FASTOPEN's length, or with
 * TFO_SERVER_WO_SOCKOPT1 the backlog (inet_listen(): fastopen_queue_tune()
 * when the socket set none). */
static uint32_t tfo_qlen(const gt_stack *s, const struct tcp_listener *l)
{
	if (l->opts.tfo_qlen)
		return l->opts.tfo_qlen;
	if ((s->cfg.fastopen & TFO_SERVER_WO_SOCKOPT1) && (s->cfg.fastopen & TFO_SERVER_ENABLE))
		return l->backlog > 0 ? (uint32_t)l->backlog : 0;
	return 0;
}

/* tcp_fastopen_queue_check(): a listener with a queue, not full. Linux
 * may first let go of a reset child whose timer ran out
 * (rskq_rst_head); glasstcp counts a child out when it leaves
 * SYN_RECEIVED, reset or not. */
static bool queue_check(gt_stack *s, const struct tcp_listener *l)
{
	uint32_t max = tfo_qlen(s, l);
	if (!max)
		return false;
	if (l->tfo_len >= max) {
		s->st.TcpFastOpenListenOverflow++;
		return false;
	}
	return true;
}

/* tcp_try_fastopen(), for a SYN from src to dst on l whose options are in
 * (syn_data: it carries data): true when the child is made at once, its
 * data taken, and the SYN-ACK carries no cookie; false otherwise, with
 * reply's Fast Open option set where the SYN-ACK gives the client a cookie
 * (a request, or a bad cookie: tcp_fastopen_cookie_gen(),
 * tcp_fastopen_cookie_gen_check()). The caller counts
 * TcpFastOpenPassiveFail if it cannot make the child. */
bool tcp_fastopen_try(gt_stack *s, struct tcp_listener *l, ip_addr src, ip_addr dst,
		      bool syn_data, const struct tcp_opts *in, struct tcp_opts *reply)
{
	reply->has_fo = false;
	if (!s->cfg.fastopen_linux)
		return false;
	bool asks = in->has_fo && !in->fo_bad && in->fo_len == 0;
	if (asks)
		s->st.TcpFastOpenCookieReqd++;
	/* foc->len >= 0: an option that is no bad one. */
	bool has = in->has_fo && !in->fo_bad;
	if (!(s->cfg.fastopen & TFO_SERVER_ENABLE) || !(syn_data || has) || !queue_check(s, l))
		return false;
	/* tcp_fastopen_no_cookie(): the sysctl's bit, or the socket's
	 * TCP_FASTOPEN_NO_COOKIE. */
	if ((s->cfg.fastopen & TFO_SERVER_COOKIE_NOT_REQD) || l->opts.tfo_no_cookie)
		return true;
	if (!has)
		return false;
	const uint8_t *key = l->opts.tfo_key_set ? l->opts.tfo_key : s->cfg.fastopen_key;
	uint8_t valid[TCP_FO_COOKIE_LEN];
	tcp_fastopen_cookie(key, src, dst, valid);
	if (in->fo_len == TCP_FO_COOKIE_LEN && !memcmp(in->fo, valid, TCP_FO_COOKIE_LEN))
		return true;
	if (in->fo_len > 0)
		s->st.TcpFastOpenPassiveFail++;
	/* The SYN-ACK gives the valid cookie, in the option's form the SYN
	 * used (valid_foc.exp = foc->exp). */
	reply->has_fo = true;
	reply->fo_exp = in->fo_exp;
	reply->fo_bad = false;
	reply->fo_len = TCP_FO_COOKIE_LEN;
	memcpy(reply->fo, valid, TCP_FO_COOKIE_LEN);
	return false;
}

/* A TFO child leaves SYN_RECEIVED (handshake done, or gone; called before
 * the state changes): its listener's queue has room again
 * (reqsk_fastopen_remove()). Once
 * accepted the child no longer holds its listener's handle; the listener
 * on its address and port is the one (a listener closed and opened again
 * meanwhile counts it out of the new one, never below zero). */
void tcp_fastopen_child_done(gt_stack *s, struct tcp_conn *c)
{
	if (!tcp_tfo_child(c))
		return;
	struct tcp_listener *l = c->lh >= 0 ? tcp_listener_get(s, c->lh)
					    : tcp_listener_find(s, c->laddr, c->lport);
	if (l && l->tfo_len)
		l->tfo_len--;
}
