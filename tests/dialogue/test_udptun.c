/* TCP over UDP (FreeBSD's udp_tunneling_port; src/tcp/tcp_udptun.c): what
 * the packet scripts cannot show. The datagram and the answer on the wire
 * (UDP checksum over the datagram, TCP's 0: tcp_respond()), the counters
 * (tcps_tunneled_pkts, tcps_tunneled_errs), the bound on the connections
 * that hold a port (udp_tun_max_conns, TcpUdpTunFull), and nothing at all
 * while no tunneling port is set. */
#include <string.h>

#include "dlg.h"
#include "util/checksum.h"

#define TUN_PORT 9811

/* The peer's segment, built as dlg_build() builds it, moved into a UDP
 * datagram from sport to the tunneling port; bad_sum spoils its checksum. */
static size_t tunneled(struct dlg *d, uint8_t *pkt, uint16_t sport, uint8_t flags, uint32_t seq,
		       uint32_t ack, bool bad_sum)
{
	uint8_t tcp[DLG_PKT_MAX];
	size_t n = dlg_build(d, tcp, flags, seq, ack, DLG_WIN, NULL, 0, NULL);
	size_t ihl = 20, tl = n - ihl, ul = tl + 8;
	memcpy(pkt, tcp, ihl);
	memcpy(pkt + ihl + 8, tcp + ihl, tl);
	uint8_t *u = pkt + ihl;
	u[0] = (uint8_t)(sport >> 8), u[1] = (uint8_t)sport;
	u[2] = TUN_PORT >> 8, u[3] = TUN_PORT & 0xff;
	u[4] = (uint8_t)(ul >> 8), u[5] = (uint8_t)ul;
	u[6] = u[7] = 0;
	uint16_t sum = csum_fold(csum_partial(u, ul, csum_pseudo_ipv4(DLG_RADDR, DLG_LADDR, 17,
								       (uint16_t)ul)));
	sum = sum ? sum : 0xffff;
	if (bad_sum)
		sum ^= 0x0101;
	u[6] = (uint8_t)(sum >> 8), u[7] = (uint8_t)sum;
	size_t total = ihl + ul;
	pkt[2] = (uint8_t)(total >> 8), pkt[3] = (uint8_t)total;
	pkt[9] = 17;
	pkt[10] = pkt[11] = 0;
	uint16_t hs = csum_fold(csum_partial(pkt, ihl, 0));
	pkt[10] = (uint8_t)(hs >> 8), pkt[11] = (uint8_t)hs;
	return total;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

TEST(udptun_synack_in_udp_and_limits_counted)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	cfg.udp_tun_port = TUN_PORT;
	cfg.udp_tun_max_conns = 1;
	struct dlg *d = dlg_new(&cfg);
	dlg_listen(d, DLG_LPORT);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = tunneled(d, pkt, 2000, TH_SYN, DLG_PEER_ISS, 0, false);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpUdpTunIn, 1);
	size_t len;
	const uint8_t *p = dlg_pop_packet(d, &len);
	ASSERT_EQ(p != NULL, 1);
	ASSERT_EQ(p[9], 17); /* UDP */
	const uint8_t *u = p + 20;
	ASSERT_EQ(rd16(u), TUN_PORT);
	ASSERT_EQ(rd16(u + 2), 2000);
	ASSERT_EQ(rd16(u + 4), len - 20);
	ASSERT_EQ(csum_fold(csum_partial(u, len - 20, csum_pseudo_ipv4(DLG_LADDR, DLG_RADDR, 17,
								      (uint16_t)(len - 20)))),
		  0);
	const uint8_t *t = u + 8;
	ASSERT_EQ(t[13], TH_SYN | TH_ACK);
	ASSERT_EQ(rd16(t + 16), 0); /* tcp_respond(): th_sum = 0 */
	/* Its MSS option less the overhead (8): 1452. */
	ASSERT_EQ(t[20], 2);
	ASSERT_EQ(rd16(t + 22), DLG_MSS - 8);
	dlg_expect_none(d);

	/* A second tunneled connection finds the table full. */
	d->rport = 40001;
	n = tunneled(d, pkt, 2001, TH_SYN, DLG_PEER_ISS, 0, false);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpUdpTunFull, 1);
	dlg_expect_none(d);

	/* A bad checksum, then a datagram too short for a TCP header. */
	n = tunneled(d, pkt, 2002, TH_SYN, DLG_PEER_ISS, 0, true);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpUdpTunErrs, 1);
	n = tunneled(d, pkt, 2002, TH_SYN, DLG_PEER_ISS, 0, false);
	pkt[20 + 4] = 0, pkt[20 + 5] = 8 + 19; /* UDP length: 19 bytes of TCP */
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpUdpTunErrs, 2);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpUdpTunIn, 4);
	dlg_free(d);
}

TEST(udptun_off_takes_no_datagram)
{
	struct dlg *d = dlg_new(NULL); /* udp_tun_port 0, both profiles' default */
	dlg_listen(d, DLG_LPORT);
	uint8_t pkt[DLG_PKT_MAX];
	size_t n = tunneled(d, pkt, 2000, TH_SYN, DLG_PEER_ISS, 0, false);
	dlg_inject(d, pkt, n);
	ASSERT_EQ(dlg_stats(d)->TcpUdpTunIn, 0);
	ASSERT_EQ(dlg_stats(d)->TcpInSegs, 0);
	dlg_expect_none(d);
	dlg_free(d);
}
