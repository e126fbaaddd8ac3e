/* Malformed packets on a live connection: a bad TCP checksum, a truncated
 * header, a bad IP header and an IP fragment. Each is dropped and counted,
 * nothing is sent, and the connection carries on. A bad option length
 * (RFC 9293 3.1 / 3.2) is not one of them: the option is ignored, counted,
 * and the segment processed. Also socket options out of their range
 * (EINVAL). */
#include "dlg.h"

#include "wire/ipv4.h"

/* The connection takes the next good segment normally. */
static void still_fine(struct dlg *d)
{
	dlg_expect_none(d);
	DLG_ASSERT_STATE(d, d->sd, GT_TCP_ESTABLISHED);
	dlg_peer_data(d, "ok", 2);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 2);
	ASSERT_MEMEQ(b, "ok", 2);
}

TEST(bad_tcp_checksum_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build(d, pkt, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "evil", 4,
			     NULL);
	pkt[n - 1] ^= 0x40;
	uint64_t errs = dlg_stats(d)->TcpInErrs;
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpInErrs, errs + 1);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	/* Also an RST with a bad checksum does not reset. */
	n = dlg_build(d, pkt, TH_RST, d->peer_nxt, 0, 0, NULL, 0, NULL);
	pkt[IPV4_HDR_MIN + 16] ^= 0xff; /* the checksum field */
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpInErrs, errs + 2);
	still_fine(d);
	dlg_free(d);
}

TEST(truncated_tcp_header_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	dlg_build(d, pkt, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	/* Cut the TCP header to 12 bytes, with a consistent IP header. */
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = IPV4_HDR_MIN + 12, .id = 9, .ttl = 64,
		.proto = IPPROTO_TCP_, .src = DLG_RADDR, .dst = DLG_LADDR,
	};
	ipv4_emit(pkt, &ih);
	uint64_t errs = dlg_stats(d)->TcpInErrs;
	dlg_inject(d, pkt, IPV4_HDR_MIN + 12);
	ASSERT_EQ(dlg_stats(d)->TcpInErrs, errs + 1);
	still_fine(d);
	dlg_free(d);
}

TEST(data_offset_past_segment_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build(d, pkt, TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	pkt[IPV4_HDR_MIN + 12] = 0xf0; /* 60-byte header in a 20-byte segment */
	uint64_t errs = dlg_stats(d)->TcpInErrs;
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpInErrs, errs + 1);
	still_fine(d);
	dlg_free(d);
}

/* A malformed option costs the segment nothing (Linux's
 * tcp_parse_options(), FreeBSD's tcp_dooptions()): the data is taken,
 * the option counted in TcpInBadOpts, not in TcpInErrs. */
static void bad_options_ignored(struct dlg *d)
{
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	uint64_t errs = dlg_stats(d)->TcpInErrs, bad = dlg_stats(d)->TcpInBadOpts;
	/* Length 0, length 1, a length past the header, and an MSS of 5
	 * followed by a timestamps option of 3. */
	static const uint8_t opts[4][8] = {
		{8, 0, 1, 1, 1, 1, 1, 1},
		{1, 1, 30, 1, 1, 1, 1, 1},
		{1, 1, 8, 12, 0, 0, 0, 0},
		{2, 5, 5, 180, 0, 8, 3, 1},
	};
	static const uint64_t counted[4] = {1, 2, 3, 5};
	for (int i = 0; i < 4; i++) {
		size_t n = dlg_build_raw(d, pkt, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN,
					 opts[i], 8, "bad", 3);
		dlg_inject(d, pkt, n);
		d->peer_nxt += 3;
		ASSERT_EQ(dlg_stats(d)->TcpInBadOpts, bad + counted[i]);
	}
	ASSERT_EQ(dlg_stats(d)->TcpInErrs, errs);
	char b[16];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), 12);
	ASSERT_MEMEQ(b, "badbadbadbad", 12);
	dlg_advance(d, 1000000);
	dlg_drain(d);
	still_fine(d);
	dlg_free(d);
}

TEST(bad_option_length_ignored_data_taken) { bad_options_ignored(dlg_new(NULL)); }

/* ipv6_tcp_parse() parses options as tcp_parse_ex() does. */
TEST(bad_option_length_ignored_data_taken_ipv6) { bad_options_ignored(dlg_new6(NULL)); }

TEST(bad_ip_checksum_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build(d, pkt, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "x", 1,
			     NULL);
	pkt[10] ^= 0x11;
	uint64_t errs = dlg_stats(d)->IpInHdrErrors;
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->IpInHdrErrors, errs + 1);
	/* A packet shorter than its IP total length is a header error too. */
	n = dlg_build(d, pkt, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "xyz", 3, NULL);
	dlg_inject(d, pkt, n - 2);
	ASSERT_EQ(dlg_stats(d)->IpInHdrErrors, errs + 2);
	still_fine(d);
	dlg_free(d);
}

TEST(ip_fragment_held_until_whole_overlap_drops_it)
{
	/* A fragment waits for the rest of its datagram (src/ip/reasm.c);
	 * a last one that overlaps it ends the datagram (RFC 5722's rule,
	 * Linux's for IPv4 too). TCP sees neither. */
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build(d, pkt, TH_PSH | TH_ACK, d->peer_nxt, d->snd_nxt, DLG_WIN, "frag", 4,
			     NULL);
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)n, .id = 77, .mf = true,
		.ttl = 64, .proto = IPPROTO_TCP_, .src = DLG_RADDR, .dst = DLG_LADDR,
	};
	ipv4_emit(pkt, &ih);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->IpReasmReqds, 1);
	ASSERT_EQ(dlg_stats(d)->IpReasmFails, 0);
	/* A last fragment (offset 8, MF clear) over the first's bytes. */
	ih.mf = false;
	ih.frag_off = 8;
	ipv4_emit(pkt, &ih);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->IpReasmOverlaps, 1);
	ASSERT_EQ(dlg_stats(d)->IpReasmFails, 1);
	ASSERT_EQ(dlg_stats(d)->IpReasmOKs, 0);
	char b[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, b, sizeof(b), 0), -EAGAIN);
	still_fine(d);
	dlg_free(d);
}

TEST(packet_for_other_address_dropped)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = dlg_build(d, pkt, TH_SYN, 1, 0, DLG_WIN, NULL, 0, NULL);
	struct ipv4_hdr ih = {
		.ihl_bytes = IPV4_HDR_MIN, .total_len = (uint16_t)n, .id = 1, .ttl = 64,
		.proto = IPPROTO_TCP_, .src = DLG_RADDR, .dst = DLG_LADDR + 5,
	};
	ipv4_emit(pkt, &ih);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->IpInAddrErrors, 1);
	still_fine(d);
	dlg_free(d);
}

TEST(keepalive_and_linger2_option_limits)
{
	/* Linux's limits: TCP_KEEPIDLE and TCP_KEEPINTVL 1..32767 s,
	 * TCP_KEEPCNT 1..127; EINVAL outside, and the value before stays.
	 * TCP_LINGER2 is kept in 16 bits: a larger time reads back as 32767. */
	struct gt_config cfg;
	dlg_config(&cfg);
	struct dlg *d = dlg_new(&cfg);
	int sd = gt_socket(d->s, GT_AF_INET, GT_SOCK_STREAM);
	ASSERT_GE(sd, 0);
	const int names[3] = {GT_TCP_KEEPIDLE, GT_TCP_KEEPINTVL, GT_TCP_KEEPCNT};
	const int maxes[3] = {32767, 32767, 127};
	for (int i = 0; i < 3; i++) {
		int v = maxes[i], got = 0;
		size_t len = sizeof(got);
		ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, names[i], &v, sizeof(v)), 0);
		v = maxes[i] + 1;
		ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, names[i], &v, sizeof(v)), -EINVAL);
		v = 0;
		ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, names[i], &v, sizeof(v)), -EINVAL);
		ASSERT_EQ(gt_getsockopt(d->s, sd, GT_IPPROTO_TCP, names[i], &got, &len), 0);
		ASSERT_EQ(got, maxes[i]);
	}
	int v = 100000, got = 0;
	size_t len = sizeof(got);
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_LINGER2, &v, sizeof(v)), 0);
	ASSERT_EQ(gt_getsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_LINGER2, &got, &len), 0);
	ASSERT_EQ(got, 32767);
	v = -5;
	ASSERT_EQ(gt_setsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_LINGER2, &v, sizeof(v)), 0);
	ASSERT_EQ(gt_getsockopt(d->s, sd, GT_IPPROTO_TCP, GT_TCP_LINGER2, &got, &len), 0);
	ASSERT_EQ(got, -1);
	/* A stack config past the limits is refused. */
	struct gt_config bad = cfg;
	bad.keepalive_probes = 128;
	ASSERT(gt_stack_new(&bad, &(struct gt_device){0}) == NULL);
	ASSERT_EQ(gt_stack_set_config(d->s, &bad), -EINVAL);
	dlg_free(d);
}
