/* TCP over UDP, as FreeBSD has it (tcp_subr.c tcp_recv_udp_tunneled_packet()
 * and tcp_respond(), tcp_output.c, tcp_input.c tcp_input_with_port(),
 * tcp_timewait.c tcp_twcheck(), tcp_syncache.c sc_port), the encapsulation
 * of draft-ietf-tsvwg-tcp-udp (RFC 6951's model for SCTP, RFC 8085 context):
 * a UDP datagram to cfg.udp_tun_port carries one TCP segment; the segment
 * is handled as TCP with the datagram's source port, which a connection
 * keeps (FreeBSD's t_port) and its segments go back to, from the tunneling
 * port. The UDP checksum covers the whole datagram; the TCP checksum of an
 * encapsulated segment is 0 and not checked (tcp_input_with_port() skips
 * it, tcp_respond() writes 0).
 *
 * The remote ports live in a side table (s->tun, at most
 * cfg.udp_tun_max_conns entries, by addresses and ports) so that neither
 * the TCB (unit.tcb_within_its_budget) nor the 32-byte TIME_WAIT entry
 * grows; it is searched only while it holds something. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"
#include "util/be.h"
#include "util/checksum.h"
#include "wire/ipv6.h"

struct tcp_tun_ent {
	ip_addr laddr, faddr;
	uint16_t lport, fport;
	uint16_t port; /* the peer's UDP port */
	/* A TIME_WAIT entry's TTL or hop limit as tx_ttl takes it (0: the
	 * default): FreeBSD's TIME_WAIT keeps the inpcb and answers with
	 * inp_ip_ttl (tcp_respond()); the 32-byte entry has no room for it. */
	uint16_t ttl;
};

static int find(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport)
{
	for (int i = 0; i < s->tun_n; i++) {
		const struct tcp_tun_ent *e = &s->tun[i];
		if (e->lport == lport && e->fport == fport && ip_addr_eq(e->laddr, laddr) &&
		    ip_addr_eq(e->faddr, faddr))
			return i;
	}
	return -1;
}

/* The side table's entry of a 4-tuple, NULL when it has none (at once
 * when the table is empty, as it is unless tunneling or a TIME_WAIT TTL
 * put something there). */
static const struct tcp_tun_ent *lookup(const gt_stack *s, ip_addr laddr, uint16_t lport,
					ip_addr faddr, uint16_t fport)
{
	if (!s->tun_n)
		return NULL;
	int i = find(s, laddr, lport, faddr, fport);
	return i < 0 ? NULL : &s->tun[i];
}

uint16_t tcp_tun_port_of(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			 uint16_t fport)
{
	const struct tcp_tun_ent *e = lookup(s, laddr, lport, faddr, fport);
	return e ? e->port : 0;
}

uint16_t tcp_tw_ttl_of(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		      uint16_t fport)
{
	const struct tcp_tun_ent *e = lookup(s, laddr, lport, faddr, fport);
	return e ? e->ttl : 0;
}

int tcp_tun_set(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
		uint16_t port)
{
	return tcp_tun_set2(s, laddr, lport, faddr, fport, port, 0);
}

int tcp_tun_set2(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport,
		 uint16_t port, uint16_t ttl)
{
	int i = find(s, laddr, lport, faddr, fport);
	if (!port && !ttl) {
		if (i >= 0)
			s->tun[i] = s->tun[--s->tun_n];
		return 0;
	}
	if (i >= 0) {
		s->tun[i].port = port;
		s->tun[i].ttl = ttl;
		return 0;
	}
	if (s->tun_n >= s->cfg.udp_tun_max_conns) {
		s->st.TcpUdpTunFull++;
		return -ENOBUFS;
	}
	if (s->tun_n >= s->tun_cap) {
		/* Grown in steps up to the limit, which gt_stack_set_config()
		 * may have raised since. */
		uint32_t cap = s->tun_cap ? 2u * s->tun_cap : 8u;
		if (cap > s->cfg.udp_tun_max_conns)
			cap = s->cfg.udp_tun_max_conns;
		struct tcp_tun_ent *n = realloc(s->tun, cap * sizeof(*n));
		if (!n) {
			s->st.TcpUdpTunFull++;
			return -ENOBUFS;
		}
		s->tun = n;
		s->tun_cap = (uint16_t)cap;
	}
	s->tun[s->tun_n++] = (struct tcp_tun_ent){laddr, faddr, lport, fport, port, ttl};
	return 0;
}

void tcp_tun_fini(gt_stack *s)
{
	free(s->tun);
	s->tun = NULL;
	s->tun_n = s->tun_cap = 0;
}

/* tcp_recv_udp_tunneled_packet(): the UDP checksum was the datagram's
 * (udp_input() checks it before the tunneling hook; 0 is "none" in IPv4
 * only, RFC 768, RFC 8200 8.1); the TCP segment goes on with its source
 * port. Returns false for a datagram not to the tunneling port. */
bool tcp_udptun_input(gt_stack *s, ip_addr src, ip_addr dst, const uint8_t *udp, size_t len)
{
	if (!s->cfg.udp_tun_port || len < 8 || get_be16(udp + 2) != s->cfg.udp_tun_port)
		return false;
	s->st.TcpUdpTunIn++;
	uint16_t ulen = get_be16(udp + 4), sum = get_be16(udp + 6);
	bool v4 = ip_addr_is_v4(src);
	if (ulen < 8 + 20 || ulen > len || (!sum && !v4)) {
		s->st.TcpUdpTunErrs++;
		return true;
	}
	if (sum && csum_fold(csum_partial(udp, ulen, ip_pseudo_sum(src, dst, IPPROTO_UDP_, ulen))) !=
			   0) {
		s->st.TcpUdpTunErrs++;
		return true;
	}
	uint16_t sport = get_be16(udp);
	if (!sport) {
		s->st.TcpUdpTunErrs++; /* a port 0 could not be answered */
		return true;
	}
	s->rx_tun_port = sport;
	tcp_input(s, src, dst, udp + 8, ulen - 8u);
	s->rx_tun_port = 0;
	return true;
}

/* tcp_respond() and tcp_output() with a port: the TCP segment of tcp_len
 * bytes at seg moves up behind a UDP header from the tunneling port to
 * port; TCP's checksum is 0, UDP's covers the datagram (CSUM_UDP).
 * Returns the datagram's length. The caller sends it as IPPROTO_UDP. */
size_t tcp_udptun_wrap(gt_stack *s, ip_addr src, ip_addr dst, uint8_t *seg, size_t tcp_len,
		       uint16_t port)
{
	memmove(seg + 8, seg, tcp_len);
	seg[8 + 16] = seg[8 + 17] = 0;
	size_t ulen = tcp_len + 8;
	put_be16(seg, s->cfg.udp_tun_port);
	put_be16(seg + 2, port);
	put_be16(seg + 4, (uint16_t)ulen);
	put_be16(seg + 6, 0);
	uint16_t sum = csum_fold(
		csum_partial(seg, ulen, ip_pseudo_sum(src, dst, IPPROTO_UDP_, (uint32_t)ulen)));
	put_be16(seg + 6, sum ? sum : 0xffff); /* RFC 768: a computed 0 is sent as all ones */
	return ulen;
}
