/* Dialogues over IPv6 (issue 16): the key IPv4 dialogues again with an IPv6
 * peer (handshake both ways, data, close, TIME_WAIT, RST), and what only
 * IPv6 has: the MSS from the IPv6 MTU (RFC 8200 5), ICMPv6 echo (RFC 4443
 * 4), Packet Too Big lowering the path MTU and the MSS (RFC 8201), errors
 * to TCP, dual-stack sockets (IPV6_V6ONLY, IPv4-mapped peers, RFC 3493
 * 3.7), SYN cookies, keys over the whole 128-bit tuple (RFC 6528), and bad
 * packets dropped with their counter. Every IPv6 segment the stack sends
 * is parsed with its checksum, and must carry a flow label and hop limit
 * 64 (dlg.c). */
#include <errno.h>
#include <string.h>

#include <glasstcp/inspect.h>

#include "dlg.h"
#include "util/be.h"
#include "util/seq.h"
#include "wire/icmp6.h"
#include "wire/ipv6.h"

static struct gt_sockaddr sa6(const struct gt_in6_addr *a, uint16_t port)
{
	struct gt_sockaddr s = {.family = GT_AF_INET6, .port = port};
	s.addr6 = *a;
	return s;
}

static struct gt_in6_addr mapped(uint32_t v4)
{
	struct gt_in6_addr a = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, (uint8_t)(v4 >> 24),
				 (uint8_t)(v4 >> 16), (uint8_t)(v4 >> 8), (uint8_t)v4}};
	return a;
}

TEST(ipv6_passive_handshake_mss_1440_and_names)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_syn_received(d);
	ASSERT(d->last.h.opts.has_mss);
	ASSERT_EQ(d->last.h.opts.mss, DLG_MSS6); /* 1500 - 40 - 20 */
	d->peer_tsval++;
	dlg_peer_ack(d);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT_GE(d->sd, 0);
	ASSERT_EQ(peer.family, GT_AF_INET6);
	ASSERT_MEMEQ(peer.addr6.b, dlg_raddr6.b, 16);
	ASSERT_EQ(peer.port, DLG_RPORT);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(d->s, d->sd, &me), 0);
	ASSERT_EQ(me.family, GT_AF_INET6);
	ASSERT_MEMEQ(me.addr6.b, dlg_laddr6.b, 16);
	ASSERT_EQ(me.port, DLG_LPORT);
	ASSERT_EQ(gt_getpeername(d->s, d->sd, &peer), 0);
	ASSERT_MEMEQ(peer.addr6.b, dlg_raddr6.b, 16);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpPassiveOpens, 1);
	ASSERT_GE(dlg_stats(d)->Ip6InDelivers, 2);
	ASSERT_GE(dlg_stats(d)->Ip6OutRequests, 1);
	ASSERT_EQ(dlg_stats(d)->IpInReceives, 0);
	dlg_free(d);
}

TEST(ipv6_active_handshake_data_both_ways)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_established_active(d);
	struct gt_sockaddr me;
	ASSERT_EQ(gt_getsockname(d->s, d->sd, &me), 0);
	ASSERT_EQ(me.family, GT_AF_INET6);
	ASSERT_MEMEQ(me.addr6.b, dlg_laddr6.b, 16); /* source selection: the one address */
	ASSERT_EQ(gt_send(d->s, d->sd, "hello", 5, 0), 5);
	const struct dlg_seg *g = dlg_expect(d, TH_PSH | TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, 5);
	ASSERT_MEMEQ(g->data, "hello", 5);
	d->snd_nxt += 5;
	dlg_peer_ack(d);
	dlg_peer_data(d, "world", 5);
	char buf[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), 5);
	ASSERT_MEMEQ(buf, "world", 5);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, DLG_MSS6);
	dlg_free(d);
}

TEST(ipv6_close_time_wait_two_msl_then_rst)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.rfc1337 = true;
	struct dlg *d = dlg_new6(&cfg);
	dlg_time_wait(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	/* The IPv6 table: 256 slots of 44 bytes and a 4-byte bucket each, and
	 * the per-port counts; the IPv4 table holds nothing. */
	ASSERT_EQ(g.timewait_bytes, 256u * (44 + 4) + 65536u * 4);
	/* The retransmitted FIN is re-ACKed from the compact entry. */
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TWFinReacked, 1);
	/* RFC 1337: an RST does not end it. */
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	struct gt_sock_entry e[4];
	ASSERT_EQ(gt_stack_list(d->s, e, 4), 2); /* the listener and the entry */
	ASSERT_EQ(e[1].state, GT_TCP_TIME_WAIT);
	ASSERT_EQ(e[1].local.family, GT_AF_INET6);
	ASSERT_MEMEQ(e[1].peer.addr6.b, dlg_raddr6.b, 16);
	dlg_advance(d, 2ull * d->cfg.msl_ms * 1000);
	ASSERT_EQ(dlg_timewait(d), 0);
	ASSERT_EQ(dlg_stats(d)->TWExpired, 1);
	/* The pair is free again: a FIN now meets the listener, RST. */
	dlg_peer_fin(d);
	dlg_expect(d, TH_RST, d->snd_nxt, 0);
	dlg_free(d);
}

TEST(ipv6_time_wait_syn_with_newer_seq_reopens_pair)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_time_wait(d);
	uint32_t old_snd = d->snd_nxt;
	dlg_send(d, TH_SYN, d->peer_nxt + 100000, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(dlg_stats(d)->TWRecycled, 1);
	ASSERT(seq_gt(g->h.seq, old_snd)); /* RFC 6191: beyond the old sequence space */
	ASSERT_EQ(dlg_timewait(d), 0);
	dlg_free(d);
}

TEST(ipv6_rst_answers_closed_port_and_aborts_connection)
{
	struct dlg *d = dlg_new6(NULL);
	/* No listener: the CLOSED answer (RFC 9293 3.10.7.1). */
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST | TH_ACK, 0, d->peer_nxt + 1);
	ASSERT_EQ(dlg_stats(d)->TcpNoPort, 1);
	dlg_established_passive(d);
	dlg_peer_rst(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_so_error(d, d->sd), ECONNRESET);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

/* An ICMPv6 message from the peer (or a router on its path) to the stack. */
static void inject_icmp6(struct dlg *d, uint8_t type, uint8_t code, uint32_t rest,
			 const uint8_t *body, size_t body_len)
{
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = icmp6_emit(pkt + IPV6_HDR_LEN, type, code, rest, body, body_len, &dlg_raddr6,
			      &dlg_laddr6);
	struct ipv6_hdr h = {
		.payload_len = (uint16_t)n, .next = IPPROTO_ICMPV6_, .hop_limit = 64,
		.src = dlg_raddr6, .dst = dlg_laddr6,
	};
	ipv6_emit(pkt, &h);
	dlg_inject(d, pkt, IPV6_HDR_LEN + n);
}

TEST(ipv6_echo_request_answered)
{
	struct dlg *d = dlg_new6(NULL);
	inject_icmp6(d, ICMP6_ECHO_REQUEST, 0, 0x1234u << 16 | 7, (const uint8_t *)"ping!", 5);
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	ASSERT(p != NULL);
	struct ipv6_hdr h;
	struct ipv6_chain c;
	ASSERT_EQ(ipv6_parse_packet(p, len, &h, &c), IPV6_OK);
	ASSERT_EQ(c.proto, IPPROTO_ICMPV6_);
	ASSERT_MEMEQ(h.dst.b, dlg_raddr6.b, 16);
	ASSERT_MEMEQ(h.src.b, dlg_laddr6.b, 16);
	struct icmp6_hdr ih;
	ASSERT_EQ(icmp6_parse(p + c.l4_off, c.l4_len, &h.src, &h.dst, &ih), ICMP6_OK);
	ASSERT_EQ(ih.type, ICMP6_ECHO_REPLY);
	ASSERT_EQ(ih.id, 0x1234);
	ASSERT_EQ(ih.seq, 7);
	ASSERT_EQ(ih.body_len, 5);
	ASSERT_MEMEQ(ih.body, "ping!", 5);
	ASSERT_EQ(dlg_stats(d)->Icmp6InEchos, 1);
	ASSERT_EQ(dlg_stats(d)->Icmp6OutEchoReplies, 1);
	dlg_free(d);
}

/* The last segment the stack sent, whole (IPv6 header and all), for an
 * ICMPv6 error to quote. */
static size_t sent_packet(struct dlg *d, uint8_t *out)
{
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	if (!p)
		gt_test_fail(__FILE__, __LINE__, "nothing sent to quote");
	memcpy(out, p, len);
	return len;
}

TEST(ipv6_packet_too_big_lowers_mss_and_resends)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_established_passive(d);
	uint8_t data[2 * DLG_MSS6];
	memset(data, 'x', sizeof(data));
	ASSERT_EQ(gt_send(d->s, d->sd, data, sizeof(data), 0), (ssize_t)sizeof(data));
	uint8_t quote[DLG_PKT_MAX];
	size_t qlen = sent_packet(d, quote); /* the first full segment */
	dlg_drain(d);
	/* Linux's tcp_v6_err() ignores an MTU below 1280 ("if (mtu <
	 * IPV6_MIN_MTU) goto out": tests/pkt/linux/
	 * icmp-frag-needed-established-idle-ipv6.pkt), where RFC 8201 4
	 * would count it as 1280. */
	inject_icmp6(d, ICMP6_PACKET_TOO_BIG, 0, 1000, quote, qlen);
	ASSERT_EQ(dlg_stats(d)->Icmp6InPktTooBigs, 1);
	dlg_expect_none(d);
	/* 1280, the floor itself: the MSS is 1220, the segment goes again. */
	inject_icmp6(d, ICMP6_PACKET_TOO_BIG, 0, 1280, quote, qlen);
	ASSERT_EQ(dlg_stats(d)->Icmp6InPktTooBigs, 2);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->len, 1220);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, 1220);
	/* A Packet Too Big never raises the estimate (RFC 8201 4). */
	inject_icmp6(d, ICMP6_PACKET_TOO_BIG, 0, 1400, quote, qlen);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, 1220);
	dlg_drain(d);
	/* Per destination: a new connection to the peer announces 1220. */
	d->rport++;
	d->peer_nxt = DLG_PEER_ISS;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.opts.mss, 1220);
	dlg_free(d);
}

/* Linux's send MSS (cfg.mss_half_wnd): mss_cache is the path's MSS cut to
 * half the peer's largest window (tcp_sync_mss() -> tcp_bound_to_half_wnd()).
 * A Packet Too Big lowers the path's MSS even while the cut hides it, and
 * a window that grows later lifts the MSS only up to the lowered path's. */
TEST(ipv6_packet_too_big_under_half_window_mss_lowers_the_path)
{
	struct dlg *d = dlg_new6(NULL);
	ASSERT(d->cfg.mss_half_wnd);
	dlg_syn_received(d);
	d->peer_tsval++;
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 1000, NULL, 0, NULL);
	struct gt_sockaddr peer;
	d->sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT_GE(d->sd, 0);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, 500); /* half of 1000 */
	uint8_t data[500];
	memset(data, 'x', sizeof(data));
	ASSERT_EQ(gt_send(d->s, d->sd, data, sizeof(data), 0), (ssize_t)sizeof(data));
	uint8_t quote[DLG_PKT_MAX];
	size_t qlen = sent_packet(d, quote);
	dlg_drain(d);
	/* RFC 8201 4: 1280, an MSS of 1220 on the path; the cut still rules. */
	inject_icmp6(d, ICMP6_PACKET_TOO_BIG, 0, 1280, quote, qlen);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, 500);
	/* The peer offers 8000: half is 4000, the path's 1220 rules. */
	d->snd_nxt += sizeof(data);
	dlg_send(d, TH_ACK, d->peer_nxt, d->snd_nxt, 8000, NULL, 0, NULL);
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, 1220);
	dlg_drain(d);
	dlg_free(d);
}

TEST(ipv6_port_unreachable_aborts_syn_sent_and_soft_error_is_kept)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_syn_sent(d);
	/* dlg_syn_sent popped the SYN: send it again to quote it. */
	d->rport++;
	int sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	struct gt_sockaddr to = sa6(&dlg_raddr6, d->rport);
	ASSERT_EQ(gt_connect(d->s, sd, &to), -EINPROGRESS);
	uint8_t quote[DLG_PKT_MAX];
	size_t qlen = sent_packet(d, quote);
	inject_icmp6(d, ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT, 0, quote, qlen);
	ASSERT_EQ(dlg_stats(d)->Icmp6InDestUnreachs, 1);
	ASSERT_EQ(dlg_stats(d)->TcpIcmpAborts, 1);
	ASSERT_EQ(dlg_so_error(d, sd), ECONNREFUSED);
	/* The error quoted the second attempt: the first goes on. */
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_SYN_SENT);
	dlg_free(d);
}

TEST(ipv6_error_about_unsent_sequence_is_ignored)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "abc", 3, 0), 3);
	uint8_t quote[DLG_PKT_MAX];
	size_t qlen = sent_packet(d, quote);
	/* RFC 5927 4.1: a quoted sequence number outside SND.UNA..SND.MAX
	 * (a forgery) changes nothing. */
	quote[IPV6_HDR_LEN + 4] ^= 0x80;
	inject_icmp6(d, ICMP6_PACKET_TOO_BIG, 0, 1280, quote, qlen);
	struct gt_tcp_info ti;
	dlg_info(d, d->sd, &ti);
	ASSERT_EQ(ti.snd_mss, DLG_MSS6);
	dlg_expect_none(d);
	dlg_free(d);
}

TEST(ipv6_dual_stack_listener_takes_ipv4_as_mapped)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	ASSERT(!cfg.v6only); /* Linux: net.ipv6.bindv6only = 0 */
	struct dlg *d = dlg_new6(&cfg);
	dlg_listen(d, DLG_LPORT);
	d->v6 = false; /* the peer speaks IPv4 to the AF_INET6 listener */
	d->peer_syn_opts.mss = DLG_MSS;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d); /* parsed as IPv4: pop checks it */
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.opts.mss, DLG_MSS);
	d->snd_nxt = g->h.seq + 1;
	d->peer_nxt++;
	dlg_peer_ack(d);
	struct gt_sockaddr peer;
	int sd = gt_accept(d->s, d->lsd, &peer);
	ASSERT_GE(sd, 0);
	struct gt_in6_addr want = mapped(DLG_RADDR);
	ASSERT_EQ(peer.family, GT_AF_INET6);
	ASSERT_MEMEQ(peer.addr6.b, want.b, 16);
	struct gt_sockaddr me;
	gt_getsockname(d->s, sd, &me);
	want = mapped(DLG_LADDR);
	ASSERT_EQ(me.family, GT_AF_INET6);
	ASSERT_MEMEQ(me.addr6.b, want.b, 16);
	dlg_free(d);
}

TEST(ipv6_v6only_listener_refuses_ipv4)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct dlg *d = dlg_new6(&cfg);
	int sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	int one = 1, v = 0;
	size_t vlen = sizeof(v);
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &one, sizeof(one)), 0);
	ASSERT_EQ(gt_getsockopt(d->s, sd, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &v, &vlen), 0);
	ASSERT_EQ(v, 1);
	struct gt_sockaddr any = {.family = GT_AF_INET6, .port = DLG_LPORT};
	ASSERT_EQ(gt_bind(d->s, sd, &any), 0);
	ASSERT_EQ(gt_listen(d->s, sd, 4), 0);
	/* Once bound, IPV6_V6ONLY no longer changes. */
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &one, sizeof(one)),
		  -EINVAL);
	d->v6 = false;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST | TH_ACK, 0, d->peer_nxt + 1);
	/* An IPv4 socket may now take the same port (no shared address). */
	int s4 = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any4 = {.family = GT_AF_INET, .port = DLG_LPORT, .addr = 0};
	ASSERT_EQ(gt_bind(d->s, s4, &any4), 0);
	/* A v6only socket cannot reach an IPv4 peer. */
	int c = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	ASSERT_EQ(gt_setsockopt(d->s, c, GT_IPPROTO_IPV6, GT_IPV6_V6ONLY, &one, sizeof(one)), 0);
	struct gt_in6_addr m = mapped(DLG_RADDR);
	struct gt_sockaddr to = sa6(&m, 80);
	ASSERT_EQ(gt_connect(d->s, c, &to), -ENETUNREACH);
	dlg_free(d);
}

TEST(ipv6_v6only_defaults_per_profile_and_bind_conflicts)
{
	struct gt_config cfg;
	gt_config_default(&cfg, GT_PROFILE_FREEBSD);
	ASSERT(cfg.v6only); /* net.inet6.ip6.v6only = 1 */
	gt_config_default(&cfg, GT_PROFILE_LINUX);
	ASSERT(!cfg.v6only);
	struct dlg *d = dlg_new6(NULL);
	int s6 = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	struct gt_sockaddr any6 = {.family = GT_AF_INET6, .port = 7000};
	ASSERT_EQ(gt_bind(d->s, s6, &any6), 0);
	/* [::]:7000 without v6only holds 0.0.0.0:7000 too (Linux's rule). */
	int s4 = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr any4 = {.family = GT_AF_INET, .port = 7000, .addr = 0};
	ASSERT_EQ(gt_bind(d->s, s4, &any4), -EADDRINUSE);
	/* Families must match the socket's. */
	ASSERT_EQ(gt_bind(d->s, s4, &any6), -EAFNOSUPPORT);
	/* An address not ours. */
	struct gt_sockaddr other = sa6(&dlg_raddr6, 7001);
	int s6b = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	ASSERT_EQ(gt_bind(d->s, s6b, &other), -EADDRNOTAVAIL);
	dlg_free(d);
}

TEST(ipv6_connect_to_mapped_address_speaks_ipv4)
{
	struct dlg *d = dlg_new6(NULL);
	d->v6 = false; /* expect IPv4 on the wire */
	int sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
	struct gt_in6_addr m = mapped(DLG_RADDR);
	struct gt_sockaddr to = sa6(&m, d->rport);
	ASSERT_EQ(gt_connect(d->s, sd, &to), -EINPROGRESS);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN);
	ASSERT_EQ(g->h.opts.mss, DLG_MSS);
	struct gt_sockaddr me;
	gt_getsockname(d->s, sd, &me);
	struct gt_in6_addr want = mapped(DLG_LADDR);
	ASSERT_EQ(me.family, GT_AF_INET6);
	ASSERT_MEMEQ(me.addr6.b, want.b, 16);
	dlg_free(d);
}

TEST(ipv6_syn_cookie_round_trip)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.syncookies = 2; /* every SYN */
	struct dlg *d = dlg_new6(&cfg);
	d->lsd = dlg_listen(d, DLG_LPORT);
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	const struct dlg_seg *g = dlg_next(d);
	ASSERT_EQ(g->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(g->h.opts.mss, DLG_MSS6);
	uint32_t cookie = g->h.seq;
	d->peer_nxt++;
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_send(d, TH_ACK, d->peer_nxt, cookie + 2, DLG_WIN, NULL, 0, NULL);
	dlg_expect(d, TH_RST, cookie + 2, 0);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesFailed, 1);
	dlg_send(d, TH_ACK | TH_PSH, d->peer_nxt, cookie + 1, DLG_WIN, "v6", 2, NULL);
	ASSERT_EQ(dlg_stats(d)->TcpSyncookiesRecv, 1);
	int sd = gt_accept(d->s, d->lsd, NULL);
	ASSERT_GE(sd, 0);
	struct gt_tcp_info ti;
	dlg_info(d, sd, &ti);
	ASSERT_EQ(ti.snd_mss, 1440); /* the IPv6 cookie table's entry for 1440 */
	char buf[4];
	ASSERT_EQ(gt_recv(d->s, sd, buf, sizeof(buf), 0), 2);
	dlg_free(d);
}

/* Two peers whose addresses differ only in their first bytes, from one
 * local port: the connection hash and the ISN key (RFC 6528) must take
 * the whole address, or the second connect() finds the first's tuple
 * (EADDRINUSE) and both get the same ISN. */
TEST(ipv6_tuples_keyed_over_all_128_bits)
{
	struct dlg *d = dlg_new6(NULL);
	struct gt_in6_addr other = dlg_raddr6;
	other.b[3] ^= 0x01; /* 2001:db9::2 */
	const struct gt_in6_addr *peers[2] = {&dlg_raddr6, &other};
	uint32_t isn[2];
	for (int i = 0; i < 2; i++) {
		int sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
		ASSERT_EQ(gt_setsockopt(d->s, sd, GT_SOL_SOCKET, GT_SO_REUSEADDR, &(int){1},
					sizeof(int)),
			  0);
		struct gt_sockaddr me = {.family = GT_AF_INET6, .port = 41000};
		ASSERT_EQ(gt_bind(d->s, sd, &me), 0);
		struct gt_sockaddr to = sa6(peers[i], DLG_RPORT);
		ASSERT_EQ(gt_connect(d->s, sd, &to), -EINPROGRESS);
		size_t len;
		const uint8_t *p = dlg_pop_packet(d, &len);
		ASSERT(p != NULL);
		struct ipv6_hdr h;
		struct ipv6_chain c;
		ASSERT_EQ(ipv6_parse_packet(p, len, &h, &c), IPV6_OK);
		ASSERT_MEMEQ(h.dst.b, peers[i]->b, 16);
		struct tcp_hdr th;
		ASSERT_EQ(ipv6_tcp_parse(p + c.l4_off, c.l4_len, &h.src, &h.dst, &th, true), TCP_OK);
		ASSERT_EQ(th.flags, TH_SYN);
		ASSERT_EQ(th.sport, 41000);
		isn[i] = th.seq;
	}
	ASSERT_NE(isn[0], isn[1]);
	ASSERT_EQ(dlg_conns(d), 2);
	dlg_free(d);
}

/* A packet from the peer with the given source and raw extension headers
 * between the fixed header and a TCP SYN to the listener. */
static void inject_with(struct dlg *d, const struct gt_in6_addr *src, uint8_t first_nh,
			const uint8_t *ext, size_t ext_len)
{
	uint8_t pkt[DLG_PKT_MAX];
	struct tcp_hdr th = {
		.sport = d->rport, .dport = d->lport, .seq = d->peer_nxt,
		.doff_bytes = TCP_HDR_MIN, .flags = TH_SYN, .win = DLG_WIN,
	};
	if (ext_len)
		memcpy(pkt + IPV6_HDR_LEN, ext, ext_len);
	ipv6_tcp_emit(pkt + IPV6_HDR_LEN + ext_len, &th, NULL, 0, 0, src, &dlg_laddr6);
	struct ipv6_hdr h = {
		.payload_len = (uint16_t)(ext_len + TCP_HDR_MIN), .next = first_nh,
		.hop_limit = 64, .src = *src, .dst = dlg_laddr6,
	};
	ipv6_emit(pkt, &h);
	dlg_inject(d, pkt, IPV6_HDR_LEN + ext_len + TCP_HDR_MIN);
}

TEST(ipv6_bad_sources_dropped_and_counted)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_listen(d, DLG_LPORT);
	struct gt_in6_addr m = mapped(DLG_RADDR), mc = {{0xff, 0x02, [15] = 1}}, any = {{0}};
	inject_with(d, &m, IPPROTO_TCP_, NULL, 0);
	inject_with(d, &mc, IPPROTO_TCP_, NULL, 0);
	inject_with(d, &any, IPPROTO_TCP_, NULL, 0);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->Ip6InReceives, 3);
	ASSERT_EQ(dlg_stats(d)->Ip6InHdrErrors, 3);
	ASSERT_EQ(dlg_stats(d)->TcpInSegs, 0);
	/* The same SYN from a good source is answered. */
	inject_with(d, &dlg_raddr6, IPPROTO_TCP_, NULL, 0);
	ASSERT_EQ(dlg_next(d)->h.flags, TH_SYN | TH_ACK);
	dlg_free(d);
}

TEST(ipv6_rh0_and_long_chains_dropped_and_counted)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_listen(d, DLG_LPORT);
	/* RH0 with Segments Left 0: dropped all the same (docs/ipv6.md). */
	uint8_t rh0[24] = {IPPROTO_TCP_, 2, 0, 0};
	inject_with(d, &dlg_raddr6, IPPROTO_ROUTING_, rh0, sizeof(rh0));
	ASSERT_EQ(dlg_stats(d)->Ip6InHdrErrors, 1);
	dlg_expect_none(d); /* Segments Left 0: no Parameter Problem */
	/* Nine Destination Options headers: past IPV6_EXT_MAX. */
	uint8_t chain[9 * 8];
	memset(chain, 0, sizeof(chain));
	for (int i = 0; i < 9; i++) {
		chain[i * 8] = i == 8 ? IPPROTO_TCP_ : IPPROTO_DSTOPTS_;
		chain[i * 8 + 2] = 1; /* PadN of 4 */
		chain[i * 8 + 3] = 4;
	}
	inject_with(d, &dlg_raddr6, IPPROTO_DSTOPTS_, chain, sizeof(chain));
	ASSERT_EQ(dlg_stats(d)->Ip6InDiscards, 1);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpInSegs, 0);
	/* Eight are walked, and the SYN behind them answered. */
	inject_with(d, &dlg_raddr6, IPPROTO_DSTOPTS_, chain + 8, sizeof(chain) - 8);
	ASSERT_EQ(dlg_next(d)->h.flags, TH_SYN | TH_ACK);
	dlg_free(d);
}

/* RFC 8200 4.5 fragments (reassembly: src/ip/reasm.c, tests/dialogue/
 * test_reasm.c). A later fragment of a SYN is held for the rest of its
 * datagram and not answered; its exact duplicate is dropped (Ip6ReasmFails);
 * a first fragment whose length is no multiple of 8 but says more follow is
 * answered by a Parameter Problem at the Payload Length; an atomic fragment
 * (offset 0, M 0) is processed on its own (RFC 6946 4) and counted as
 * reassembled. */
TEST(ipv6_fragments_held_duplicate_dropped_atomic_fragment_passes)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_listen(d, DLG_LPORT);
	/* Next Header TCP, reserved, offset (13 bits) << 3 | M, identification. */
	uint8_t first[8] = {IPPROTO_TCP_, 0, 0x00, 0x01, 0, 0, 0, 7};
	uint8_t later[8] = {IPPROTO_TCP_, 0, 0x00, 0x18, 0, 0, 0, 7}; /* offset 3 (24 bytes), M 0 */
	inject_with(d, &dlg_raddr6, IPPROTO_FRAGMENT_, later, sizeof(later));
	dlg_expect_none(d);
	inject_with(d, &dlg_raddr6, IPPROTO_FRAGMENT_, later, sizeof(later));
	dlg_expect_none(d);
	const struct gt_stats *st = dlg_stats(d);
	ASSERT_EQ(st->Ip6ReasmFails, 1);
	struct gt_gauges g;
	gt_stack_gauges(d->s, &g);
	ASSERT_EQ(g.reasm_datagrams, 1);
	ASSERT_EQ(g.reasm_bytes, TCP_HDR_MIN);
	inject_with(d, &dlg_raddr6, IPPROTO_FRAGMENT_, first, sizeof(first)); /* 20 bytes, M 1 */
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	ASSERT(p != NULL);
	ASSERT_EQ(p[IPV6_HDR_LEN], ICMP6_PARAM_PROB);
	ASSERT_EQ(p[IPV6_HDR_LEN + 1], ICMP6_PARAM_HEADER);
	ASSERT_EQ(get_be32(p + IPV6_HDR_LEN + 4), 4);
	ASSERT_EQ(st->Ip6InReceives, 3);
	ASSERT_EQ(st->Ip6ReasmReqds, 3);
	ASSERT_EQ(st->Ip6InHdrErrors, 1);
	ASSERT_EQ(st->Ip6ReasmOKs, 0);
	ASSERT_EQ(st->Ip6InDelivers, 0);
	ASSERT_EQ(st->TcpInSegs, 0);
	/* The atomic fragment: the SYN behind it is answered. */
	uint8_t atomic[8] = {IPPROTO_TCP_, 0, 0, 0, 0, 0, 0, 8};
	inject_with(d, &dlg_raddr6, IPPROTO_FRAGMENT_, atomic, sizeof(atomic));
	ASSERT_EQ(dlg_next(d)->h.flags, TH_SYN | TH_ACK);
	ASSERT_EQ(st->Ip6ReasmReqds, 4);
	ASSERT_EQ(st->Ip6ReasmOKs, 1);
	ASSERT_EQ(st->Ip6ReasmFails, 1);
	ASSERT_EQ(st->TcpInSegs, 1);
	dlg_free(d);
}

/* The first fragment of a data segment on an established IPv6 connection,
 * alone: held, TCP never sees it, nothing is delivered or acknowledged; 60 s
 * later (RFC 8200 4.5) it is given up with a Time Exceeded (code 1). */
TEST(ipv6_first_fragment_alone_never_reaches_tcp_and_times_out)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_established_passive(d);
	uint64_t in0 = dlg_stats(d)->TcpInSegs;
	uint8_t pkt[DLG_PKT_MAX], data[60];
	memset(data, 'f', sizeof(data));
	struct tcp_hdr th = {.sport = d->rport, .dport = d->lport, .seq = d->peer_nxt,
			     .ack = d->snd_nxt, .doff_bytes = TCP_HDR_MIN,
			     .flags = TH_ACK | TH_PSH, .win = DLG_WIN};
	uint8_t frag[8] = {IPPROTO_TCP_, 0, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78};
	memcpy(pkt + IPV6_HDR_LEN, frag, 8);
	memcpy(pkt + IPV6_HDR_LEN + 8 + TCP_HDR_MIN, data, sizeof(data));
	ipv6_tcp_emit(pkt + IPV6_HDR_LEN + 8, &th, NULL, 0, sizeof(data), &dlg_raddr6, &dlg_laddr6);
	struct ipv6_hdr h = {.payload_len = (uint16_t)(8 + TCP_HDR_MIN + sizeof(data)),
			     .next = IPPROTO_FRAGMENT_, .hop_limit = 64, .src = dlg_raddr6,
			     .dst = dlg_laddr6};
	ipv6_emit(pkt, &h);
	dlg_inject(d, pkt, IPV6_HDR_LEN + 8 + TCP_HDR_MIN + sizeof(data));
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpInSegs, in0);
	ASSERT_EQ(dlg_stats(d)->Ip6ReasmReqds, 1);
	char buf[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, sizeof(buf), 0), -EAGAIN);
	dlg_advance(d, 60000000);
	ASSERT_EQ(dlg_stats(d)->Ip6ReasmTimeout, 1);
	ASSERT_EQ(dlg_stats(d)->Ip6ReasmFails, 1);
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	ASSERT(p != NULL);
	ASSERT_EQ(p[IPV6_HDR_LEN], ICMP6_TIME_EXCEEDED);
	ASSERT_EQ(p[IPV6_HDR_LEN + 1], 1);
	ASSERT_EQ(dlg_stats(d)->TcpInSegs, in0);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_free(d);
}

/* The next packet out is an ICMPv6 Parameter Problem of code, pointing
 * at pointer. */
static void expect_param_problem(struct dlg *d, uint8_t code, uint32_t pointer)
{
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	ASSERT(p != NULL);
	struct ipv6_hdr rh;
	struct ipv6_chain c;
	ASSERT_EQ(ipv6_parse_packet(p, len, &rh, &c), IPV6_OK);
	struct icmp6_hdr ih;
	ASSERT_EQ(icmp6_parse(p + c.l4_off, c.l4_len, &rh.src, &rh.dst, &ih), ICMP6_OK);
	ASSERT_EQ(ih.type, ICMP6_PARAM_PROB);
	ASSERT_EQ(ih.code, code);
	ASSERT_EQ(ih.pointer, pointer);
}

TEST(ipv6_option_parameter_problem_about_a_cut_chain_is_sent)
{
	/* A Hop-by-Hop header with an unknown option of action 10 (discard,
	 * Parameter Problem code 2, RFC 8200 4.2) whose next header, a
	 * Destination Options header, runs past the packet. The walk stops at
	 * the option and asks for the error; the packet holds no ICMPv6
	 * header, so RFC 4443 2.4(e) does not forbid it, and Linux sends it
	 * (is_ineligible(): ipv6_skip_exthdr() < 0 is eligible). */
	struct dlg *d = dlg_new6(NULL);
	uint8_t pkt[IPV6_HDR_LEN + 8 + 4] = {0};
	struct ipv6_hdr h = {
		.payload_len = 12, .next = IPPROTO_HOPOPTS_, .hop_limit = 64,
		.src = dlg_raddr6, .dst = dlg_laddr6,
	};
	ipv6_emit(pkt, &h);
	uint8_t *hbh = pkt + IPV6_HDR_LEN;
	hbh[0] = IPPROTO_DSTOPTS_; /* next: cut after 4 of its 8 bytes */
	hbh[1] = 0;                /* 8 bytes */
	hbh[2] = 0x80;             /* unknown option, action 10 */
	hbh[3] = 4;
	dlg_inject(d, pkt, sizeof(pkt));
	expect_param_problem(d, ICMP6_PARAM_OPTION, IPV6_HDR_LEN + 2); /* the option's type */
	ASSERT_EQ(dlg_stats(d)->Icmp6OutParmProblems, 1);
	dlg_free(d);
}

TEST(ipv6_unknown_next_header_parameter_problem)
{
	struct dlg *d = dlg_new6(NULL);
	uint8_t pkt[IPV6_HDR_LEN + 8] = {0};
	struct ipv6_hdr h = {
		.payload_len = 8, .next = 17 /* UDP: no such protocol here */, .hop_limit = 64,
		.src = dlg_raddr6, .dst = dlg_laddr6,
	};
	ipv6_emit(pkt, &h);
	dlg_inject(d, pkt, sizeof(pkt));
	ASSERT_EQ(dlg_stats(d)->Ip6InUnknownProtos, 1);
	expect_param_problem(d, ICMP6_PARAM_NEXTHDR, 6); /* the fixed header's Next Header */
	ASSERT_EQ(dlg_stats(d)->Icmp6OutParmProblems, 1);
	/* Not one of our addresses: dropped, counted, no answer. */
	h.dst = dlg_raddr6;
	ipv6_emit(pkt, &h);
	dlg_inject(d, pkt, sizeof(pkt));
	ASSERT_EQ(dlg_stats(d)->Ip6InAddrErrors, 1);
	dlg_expect_none(d);
	dlg_free(d);
}

static uint8_t small_pkt[2048];
static size_t small_len;

static int small_capture(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	if (len <= sizeof(small_pkt)) {
		memcpy(small_pkt, pkt, len);
		small_len = len;
	}
	return 0;
}

TEST(ipv6_mss_at_least_1220_on_small_links)
{
	/* A 576-byte link: IPv4 announces 536; IPv6 1220, since every IPv6
	 * link carries 1280 (RFC 8200 5: a smaller one fragments below IP). */
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_device dev = {.transmit = small_capture, .mtu = 576};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	ASSERT_EQ(gt_stack_add_ipv4(s, DLG_LADDR, 24), 0);
	ASSERT_EQ(gt_stack_add_ipv6(s, &dlg_laddr6, 64), 0);
	int s4 = gt_socket(s, GT_AF_INET, GT_SOCK_STREAM);
	struct gt_sockaddr to4 = {.family = GT_AF_INET, .port = 80, .addr = DLG_RADDR};
	ASSERT_EQ(gt_connect(s, s4, &to4), -EINPROGRESS);
	struct tcp_hdr th;
	ASSERT_EQ(tcp_parse(small_pkt + 20, small_len - 20, DLG_LADDR, DLG_RADDR, &th), TCP_OK);
	ASSERT_EQ(th.opts.mss, 536);
	int s6 = gt_socket(s, GT_AF_INET6, GT_SOCK_STREAM);
	struct gt_sockaddr to6 = sa6(&dlg_raddr6, 80);
	ASSERT_EQ(gt_connect(s, s6, &to6), -EINPROGRESS);
	ASSERT_EQ(small_pkt[0] >> 4, 6);
	ASSERT_EQ(ipv6_tcp_parse(small_pkt + IPV6_HDR_LEN, small_len - IPV6_HDR_LEN, &dlg_laddr6,
				 &dlg_raddr6, &th, true),
		  TCP_OK);
	ASSERT_EQ(th.opts.mss, 1220);
	/* Address checks of gt_stack_add_ipv6(). */
	struct gt_in6_addr bad = mapped(DLG_LADDR);
	ASSERT_EQ(gt_stack_add_ipv6(s, &bad, 64), -EINVAL);
	ASSERT_EQ(gt_stack_add_ipv6(s, &dlg_laddr6, 64), -EEXIST);
	gt_stack_free(s);
}

/* RFC 5961 over IPv6, unchanged: a SYN and an RST in the window of an
 * established connection get challenge ACKs, and the connection lives. */
TEST(ipv6_established_syn_and_rst_in_window_get_challenge_acks)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_established_passive(d);
	dlg_send(d, TH_SYN, d->peer_nxt + 5, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_send(d, TH_RST, d->peer_nxt + 100, 0, 0, NULL, 0, NULL);
	dlg_expect(d, TH_ACK, d->iss + 1, d->peer_nxt);
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 2);
	dlg_free(d);
}

/* RFC 6724 5, rule 8 (longest matching prefix) with two IPv6 addresses,
 * rule 1 (the destination itself) for a connection to one of ours. */
TEST(ipv6_source_address_longest_matching_prefix)
{
	struct dlg *d = dlg_new6(NULL);
	struct gt_in6_addr second = {{0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 1}}; /* 2001:db8:2::1 */
	ASSERT_EQ(gt_stack_add_ipv6(d->s, &second, 64), 0);
	struct gt_in6_addr far = {{0x20, 0x01, 0x0d, 0xb8, 0, 2, [14] = 0x12, [15] = 0x34}};
	const struct gt_in6_addr *dst[3] = {&far, &dlg_raddr6, &second};
	const struct gt_in6_addr *want[3] = {&second, &dlg_laddr6, &second};
	for (int i = 0; i < 3; i++) {
		int sd = gt_socket(d->s, GT_AF_INET6, GT_SOCK_STREAM);
		struct gt_sockaddr to = sa6(dst[i], 9000);
		ASSERT_EQ(gt_connect(d->s, sd, &to), -EINPROGRESS);
		struct gt_sockaddr me;
		ASSERT_EQ(gt_getsockname(d->s, sd, &me), 0);
		ASSERT_MEMEQ(me.addr6.b, want[i]->b, 16);
	}
	dlg_free(d);
}

/* The flow label of the next packet the stack sent (popped). */
static uint32_t next_flow(struct dlg *d)
{
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	struct ipv6_hdr h;
	if (!p || ipv6_parse(p, len, &h) != IPV6_OK)
		gt_test_fail(__FILE__, __LINE__, "no IPv6 packet sent");
	return h.flow;
}

/* RFC 6437 3: one label for every packet of a connection, TIME_WAIT's ACKs
 * included (derived from the tuple, not stored), and another connection's
 * label differs. */
TEST(ipv6_flow_label_per_connection_kept_in_time_wait)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "abc", 3, 0), 3);
	uint32_t label = next_flow(d);
	ASSERT_NE(label, 0);
	d->snd_nxt += 3;
	dlg_peer_data(d, "xyz", 3);
	dlg_advance(d, 200000); /* the delayed ACK */
	ASSERT_EQ(next_flow(d), label);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	ASSERT_EQ(next_flow(d), label); /* our FIN */
	d->snd_nxt++;
	dlg_peer_ack(d);
	dlg_peer_fin(d);
	ASSERT_EQ(next_flow(d), label); /* the ACK that enters TIME_WAIT */
	ASSERT_EQ(dlg_timewait(d), 1);
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	ASSERT_EQ(next_flow(d), label); /* re-ACKed from the compact entry */
	/* Another connection from the next port. */
	d->rport++;
	d->peer_nxt = DLG_PEER_ISS;
	dlg_send(d, TH_SYN, d->peer_nxt, 0, DLG_WIN, NULL, 0, &d->peer_syn_opts);
	uint32_t other = next_flow(d);
	ASSERT_NE(other, 0);
	ASSERT_NE(other, label);
	dlg_free(d);
}

/* TIME_WAIT's ACKs keep the socket's IPV6_TCLASS (DSCP bits), as Linux's
 * tcp_v6_timewait_ack() sends tw_tclass & ~INET_ECN_MASK; the hop limit is
 * the stack's default, not IPV6_UNICAST_HOPS (Linux's answer leaves from its
 * control socket). The flow label stays the connection's. */
TEST(ipv6_time_wait_acks_keep_tclass_with_default_hop_limit)
{
	struct dlg *d = dlg_new6(NULL);
	dlg_fin_wait_2(d);
	int v = 0x28 | 1;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IPV6, GT_IPV6_TCLASS, &v, sizeof(v)), 0);
	v = 7;
	ASSERT_EQ(gt_setsockopt(d->s, d->sd, GT_IPPROTO_IPV6, GT_IPV6_UNICAST_HOPS, &v, sizeof(v)),
		  0);
	d->v6_hops = 7;
	dlg_peer_fin(d);
	const struct dlg_seg *g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0x28);
	ASSERT_EQ(dlg_timewait(d), 1);
	d->v6_hops = 64;
	dlg_send(d, TH_FIN | TH_ACK, d->peer_nxt - 1, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	g = dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(g->tos, 0x28);
	ASSERT_EQ(g->ttl, 64);
	dlg_free(d);
}
