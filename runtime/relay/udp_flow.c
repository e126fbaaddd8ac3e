/* UDP flows of the relay (RFC 768): glasstcp has no UDP, so the relay
 * parses the namespace's datagrams and makes the answers itself. Each flow
 * (ns_addr:ns_port -> dst_addr:dst_port) gets a host UDP socket connected to
 * its destination (DNS to the resolver address goes to --dns), so only that
 * destination's answers come back; they are written to the namespace as
 * from dst_addr:dst_port, checksummed. A flow idle for udp_timeout_ms is
 * closed. The relay is the namespace's first router (RFC 1812): a datagram
 * with TTL 1 is answered with time exceeded from the gateway, the others
 * leave with their TTL less one; the ICMP errors the host socket hears
 * (IP_RECVERR: a router's unreachable or time exceeded, the destination's
 * port unreachable) go back to the namespace from whoever sent them,
 * quoting its datagram (RFC 1122 4.1.3.3, RFC 1812 4.3.2.3).
 *
 * ICMP echo (RFC 792) to an address that is not the stack's uses the same
 * table: a flow per (namespace address, identifier, destination) with an
 * unprivileged ping socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
 * net.ipv4.ping_group_range must hold the relay's group), whose kernel
 * gives the echo an identifier of its own and returns only the replies to
 * it; they go back to the namespace with the namespace's identifier. The
 * relay is the namespace's first router: an echo that comes with TTL 1 is
 * answered with ICMP time exceeded from the gateway (RFC 1812 5.3.1), the
 * others leave with their TTL less one (IP_TTL on the ping socket). ICMP
 * errors for a relayed echo (a router's time exceeded or unreachable, read
 * from the ping socket's error queue, IP_RECVERR) go back to the namespace
 * as that router sent them, quoting the namespace's own echo. */
#define _GNU_SOURCE
#include "runtime/relay/relay_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "util/be.h"

/* Datagrams read from one host socket per wakeup, so one busy flow does not
 * hold the loop. */
#define UDP_READS_MAX 64

static uint32_t *bucket(struct relay *r, uint32_t a, uint16_t ap, uint32_t b, uint16_t bp)
{
	return &r->uf_hash[relay_hash4(a, ap, b, bp) & r->uf_hash_mask];
}

int relay_udp_init(struct relay *r)
{
	r->uf_cap = r->cfg.max_udp_flows;
	r->uf = calloc(r->uf_cap, sizeof(*r->uf));
	uint32_t hsize = 64;
	while (hsize < r->uf_cap)
		hsize *= 2;
	r->uf_hash = malloc(hsize * sizeof(*r->uf_hash));
	if (!r->uf || !r->uf_hash)
		return -ENOMEM;
	memset(r->uf_hash, 0xff, hsize * sizeof(*r->uf_hash));
	r->uf_hash_mask = hsize - 1;
	for (uint32_t i = 0; i < r->uf_cap; i++)
		r->uf[i].fd = -1;
	return 0;
}

void relay_udp_fini(struct relay *r)
{
	for (uint32_t i = 0; i < r->uf_cap && r->uf; i++)
		if (r->uf[i].fd >= 0)
			close(r->uf[i].fd);
	free(r->uf);
	free(r->uf_hash);
}

static void flow_close(struct relay *r, struct uflow *u)
{
	uint32_t slot = (uint32_t)(u - r->uf);
	for (uint32_t *p = bucket(r, u->ns_addr, u->ns_port, u->dst_addr, u->dst_port);
	     *p != RELAY_NONE; p = &r->uf[*p].hnext) {
		if (*p == slot) {
			*p = u->hnext;
			break;
		}
	}
	close(u->fd);
	u->fd = -1;
	u->in_use = false;
	u->gen++;
	r->uf_used--;
}

/* The namespace's packet p cannot go on: ICMP unreachable with code from
 * src (from_dst: from its destination, else the gateway), quoting it; over
 * IPv6 the ICMPv6 code that says the same (RFC 4443 3.1). */
static void unreach(struct relay *r, const struct relay_pkt *p, bool from_dst, uint8_t code)
{
	uint8_t out[1280];
	size_t n;
	if (p->v6) {
		uint8_t c6 = code == RELAY_UNREACH_PORT ? RELAY_UNREACH6_PORT
			     : code == RELAY_UNREACH_NET ? RELAY_UNREACH6_NOROUTE : RELAY_UNREACH6_ADDR;
		uint8_t src[16];
		memcpy(src, from_dst ? p->dst6 : r->cfg.gw_addr6, 16);
		n = relay_emit_icmp6_error(out, sizeof(out), src, RELAY_ICMP6_UNREACH, c6, 0, p->ip, p->len);
	} else {
		n = relay_emit_unreach(out, sizeof(out), from_dst ? p->dst : r->cfg.gw_addr, code, p->ip,
				       p->len, r->ip_id++);
	}
	if (n)
		relay_tun_write(r, out, n);
}

static void drop(struct relay *r, uint8_t proto)
{
	if (proto == RELAY_PROTO_ICMP)
		r->st.IcmpDropped++;
	else
		r->st.UdpDropped++;
}

/* The flow's host socket: UDP, or a ping socket; connected to its
 * destination. -errno when it cannot be made or connected. */
static int host_socket(uint8_t proto, uint32_t to_addr, const uint8_t *to6, uint16_t to_port)
{
	bool v6 = to6 != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			proto == RELAY_PROTO_ICMP ? (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP) : 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	/* ICMP errors for the flow's datagrams and echoes come with who sent
	 * them, type and code (the error queue), not as a bare errno; and a
	 * connected UDP socket without it hears only of the "hard" ones (port
	 * unreachable: Linux's __udp4_lib_err() drops a router's net
	 * unreachable or time exceeded unless inet->recverr). */
	setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, &one, sizeof(one));
	/* An IPv6 flow to the IPv4 resolver (IPv4-mapped) hears ICMPv4. */
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	if (v6 && proto == RELAY_PROTO_UDP && !memcmp(to6, mapped, 12))
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(to_port),
				   .sin_addr.s_addr = htonl(to_addr) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(to_port) };
	if (v6)
		memcpy(&sin6.sin6_addr, to6, 16);
	if ((v6 ? connect(fd, (struct sockaddr *)&sin6, sizeof(sin6))
		: connect(fd, (struct sockaddr *)&sin, sizeof(sin))) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static struct uflow *flow_open(struct relay *r, const struct relay_pkt *p, uint8_t proto,
			       uint16_t ns_port, uint16_t dst_port)
{
	uint32_t to_addr = 0;
	uint16_t to_port = dst_port;
	uint8_t to6[16];
	int t = p->v6 ? relay_host_target6(r, p->dst6, dst_port, to6, &to_port)
		      : relay_host_target(r, p->dst, dst_port, proto, &to_addr, to6, &to_port);
	if (t < 0) {
		bool port = t == -1 && proto == RELAY_PROTO_UDP;
		unreach(r, p, port, port ? RELAY_UNREACH_PORT : RELAY_UNREACH_HOST);
		r->st.UdpPortUnreach += port;
		drop(r, proto);
		return NULL;
	}
	uint32_t slot = RELAY_NONE;
	for (uint32_t i = 0; i < r->uf_cap; i++) {
		if (!r->uf[i].in_use) {
			slot = i;
			break;
		}
	}
	if (slot == RELAY_NONE) {
		r->st.UdpFlowLimitHit++;
		drop(r, proto);
		return NULL;
	}
	bool host6 = p->v6 || t == 1; /* t 1: an IPv4 lookup to an IPv6 resolver */
	int fd = host_socket(proto, to_addr, host6 ? to6 : NULL, to_port);
	if (fd < 0) {
		/* No route: as a router would say (the TCP flows' answer too). A
		 * ping socket the group may not have (EACCES): counted. */
		if (fd == -ENETUNREACH || fd == -EHOSTUNREACH)
			unreach(r, p, false, fd == -ENETUNREACH ? RELAY_UNREACH_NET : RELAY_UNREACH_HOST);
		if (proto == RELAY_PROTO_ICMP)
			r->st.IcmpSocketErrors++;
		drop(r, proto);
		return NULL;
	}
	struct uflow *u = &r->uf[slot];
	uint32_t gen = u->gen;
	memset(u, 0, sizeof(*u));
	u->gen = gen;
	u->in_use = true;
	u->proto = proto;
	u->fd = fd;
	u->ns_addr = p->src;
	u->ns_port = ns_port;
	u->dst_addr = p->dst;
	u->dst_port = dst_port;
	u->start_us = r->now_us;
	u->host6 = host6;
	if (p->v6) {
		u->v6 = true;
		memcpy(u->ns6, p->src6, 16);
		memcpy(u->dst6, p->dst6, 16);
	}
	if (relay_ep_add(r, fd, EPOLLIN | EPOLLET, relay_tag(EVK_UDP, slot, u->gen)) < 0) {
		close(fd);
		u->in_use = false;
		u->fd = -1;
		drop(r, proto);
		return NULL;
	}
	uint32_t *b = bucket(r, p->src, ns_port, p->dst, dst_port);
	u->hnext = *b;
	*b = slot;
	r->uf_used++;
	r->st.UdpFlowsOpened++;
	return u;
}

/* The flow of p's addresses (IPv6: matched whole), ns_port, dst_port. */
static struct uflow *lookup(struct relay *r, uint8_t proto, const struct relay_pkt *p, uint16_t ns_port,
			    uint16_t dst_port)
{
	for (uint32_t i = *bucket(r, p->src, ns_port, p->dst, dst_port); i != RELAY_NONE;
	     i = r->uf[i].hnext) {
		struct uflow *c = &r->uf[i];
		if (c->proto == proto && c->ns_addr == p->src && c->ns_port == ns_port &&
		    c->dst_addr == p->dst && c->dst_port == dst_port && c->v6 == p->v6 &&
		    (!p->v6 || (!memcmp(c->ns6, p->src6, 16) && !memcmp(c->dst6, p->dst6, 16))))
			return c;
	}
	return NULL;
}

static bool multicast(const struct relay_pkt *p)
{
	return p->v6 ? p->dst6[0] == 0xff : (p->dst >> 28) == 0xe || p->dst == 0xffffffffu;
}

/* A datagram or echo that came with TTL (hop limit) 1: a router does not
 * forward it (RFC 1812 5.3.1, RFC 4443 3.3) but answers time exceeded in
 * transit, from the gateway, as traceroute expects. */
static void time_exceeded(struct relay *r, const struct relay_pkt *p)
{
	uint8_t out[1280];
	size_t n = p->v6 ? relay_emit_icmp6_error(out, sizeof(out), r->cfg.gw_addr6, RELAY_ICMP6_TIME_EXCEEDED,
						  0, 0, p->ip, p->len)
			 : relay_emit_icmp_error(out, sizeof(out), r->cfg.gw_addr, RELAY_ICMP_TIME_EXCEEDED, 0, 0,
						 p->ip, p->len, r->ip_id++);
	if (n)
		relay_tun_write(r, out, n);
	r->st.IcmpTtlExceeded++;
}

/* The others leave with their TTL less one, as from a router (IP_TTL,
 * IPV6_UNICAST_HOPS on the flow's socket, set when it changes). */
static void set_ttl(struct uflow *u, uint8_t ttl)
{
	if (u->ttl == ttl - 1)
		return;
	int t = ttl - 1;
	if (setsockopt(u->fd, u->host6 ? IPPROTO_IPV6 : IPPROTO_IP, u->host6 ? IPV6_UNICAST_HOPS : IP_TTL,
		       &t, sizeof(t)) == 0)
		u->ttl = (uint8_t)t;
}

void relay_udp_from_ns(struct relay *r, struct relay_pkt *p)
{
	if (multicast(p)) {
		r->st.UdpDropped++; /* multicast and broadcast stay inside */
		return;
	}
	if (!p->csum_partial && !relay_pkt_l4_csum_ok(p)) {
		r->st.RxBadCsum++;
		return;
	}
	uint8_t ttl = p->v6 ? p->ip[7] : p->ip[8];
	if (ttl <= 1) {
		time_exceeded(r, p); /* as for an echo: a UDP traceroute's first hop */
		return;
	}
	struct uflow *u = lookup(r, RELAY_PROTO_UDP, p, p->sport, p->dport);
	if (!u && !(u = flow_open(r, p, RELAY_PROTO_UDP, p->sport, p->dport)))
		return;
	u->last_us = r->now_us;
	size_t h = p->ihl + 8;
	memcpy(u->last_hdr, p->ip, h <= p->len && h <= sizeof(u->last_hdr) ? h : 0);
	set_ttl(u, ttl);
	if (p->dport == 53 && (p->v6 ? !memcmp(p->dst6, r->cfg.dns_addr6, 16) : p->dst == r->cfg.dns_addr))
		r->st.DnsQueries++;
	ssize_t n = send(u->fd, p->l4 + 8, p->payload_len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		r->st.UdpDropped++; /* a full socket buffer drops, as a router's queue would */
		return;
	}
	u->dgrams_up++;
	u->bytes_up += (uint64_t)n;
	r->st.UdpDgramsUp++;
	r->st.UdpBytesUp += (uint64_t)n;
}

void relay_icmp_echo_from_ns(struct relay *r, struct relay_pkt *p)
{
	if (multicast(p)) {
		r->st.IcmpDropped++; /* multicast and broadcast stay inside */
		return;
	}
	if (!p->csum_partial && !relay_pkt_l4_csum_ok(p)) {
		r->st.RxBadCsum++;
		return;
	}
	uint8_t ttl = p->v6 ? p->ip[7] : p->ip[8];
	if (ttl <= 1) {
		time_exceeded(r, p);
		return;
	}
	uint16_t id = (uint16_t)(p->l4[4] << 8 | p->l4[5]);
	struct uflow *u = lookup(r, RELAY_PROTO_ICMP, p, id, 0);
	if (!u && !(u = flow_open(r, p, RELAY_PROTO_ICMP, id, 0)))
		return;
	u->last_us = r->now_us;
	memcpy(u->last_hdr, p->ip, p->ihl <= sizeof(u->last_hdr) ? p->ihl : 20);
	set_ttl(u, ttl);
	/* The whole message; the kernel puts in the socket's identifier and
	 * the checksum. */
	ssize_t n = send(u->fd, p->l4, p->l4_len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		r->st.IcmpDropped++;
		return;
	}
	u->dgrams_up++;
	u->bytes_up += (uint64_t)n;
	r->st.IcmpEchoRelayed++;
}

/* One ICMP error from the flow's error queue (IP_RECVERR): its report in
 * *ee, the router that sent it in *from / from6 (SO_EE_OFFENDER), the first
 * bytes of what it quoted (our datagram's payload, or our echo) in data.
 * Returns the bytes in data, or -1 when the queue is empty. */
static ssize_t next_error(struct uflow *u, struct sock_extended_err *ee, bool *have, uint32_t *from,
			  uint8_t from6[16], uint8_t *data, size_t cap)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))];
		struct cmsghdr align;
	} c;
	struct iovec iov = { data, cap };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			     .msg_controllen = sizeof(c.buf) };
	ssize_t n = recvmsg(u->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return -1;
	*have = false;
	*from = u->dst_addr;
	memcpy(from6, u->dst6, 16);
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (!(cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) &&
		    !(cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR))
			continue;
		if (cm->cmsg_len < CMSG_LEN(sizeof(*ee)))
			continue;
		memcpy(ee, CMSG_DATA(cm), sizeof(*ee));
		*have = true;
		struct sockaddr_in6 off; /* SO_EE_OFFENDER: either family */
		size_t ol = cm->cmsg_len - CMSG_LEN(sizeof(*ee));
		memset(&off, 0, sizeof(off));
		memcpy(&off, CMSG_DATA(cm) + sizeof(*ee), ol < sizeof(off) ? ol : sizeof(off));
		if (off.sin6_family == AF_INET && ol >= sizeof(struct sockaddr_in)) {
			struct sockaddr_in o4;
			memcpy(&o4, &off, sizeof(o4));
			*from = ntohl(o4.sin_addr.s_addr);
		} else if (off.sin6_family == AF_INET6 && ol >= sizeof(off)) {
			memcpy(from6, &off.sin6_addr, 16);
		}
	}
	return n;
}

/* Only a router's ICMP about a packet of ours is passed on (a local error,
 * EMSGSIZE say, is the relay's own): unreachable, time exceeded, parameter
 * problem (ICMPv6: packet too big too); not redirects, not source quench,
 * which are the host's business. */
static bool passed_on(const struct uflow *u, const struct sock_extended_err *ee)
{
	if (ee->ee_origin != (u->v6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP))
		return false;
	return u->v6 ? ee->ee_type >= RELAY_ICMP6_UNREACH && ee->ee_type <= RELAY_ICMP6_PARAM_PROBLEM
		     : ee->ee_type == RELAY_ICMP_UNREACH || ee->ee_type == RELAY_ICMP_TIME_EXCEEDED ||
			       ee->ee_type == RELAY_ICMP_PARAM_PROBLEM;
}

/* The error's second word: a next-hop MTU where RFC 1191 puts it, the MTU
 * of ICMPv6 packet too big (RFC 4443 3.2); else 0. */
static uint32_t error_rest(const struct uflow *u, const struct sock_extended_err *ee)
{
	if (u->v6)
		return ee->ee_type == RELAY_ICMP6_TOO_BIG ? ee->ee_info : 0;
	return ee->ee_type == RELAY_ICMP_UNREACH && ee->ee_code == 4 ? ee->ee_info & 0xffff : 0;
}

/* ICMP errors for a flow's echoes (the ping socket's error queue): each
 * goes to the namespace from the router that sent it, with its type and
 * code, quoting the namespace's echo (relay_echo_quote()). */
static void echo_errors(struct relay *r, struct uflow *u)
{
	for (int k = 0; k < UDP_READS_MAX; k++) {
		uint8_t data[64], from6[16];
		struct sock_extended_err ee;
		bool have;
		uint32_t from;
		ssize_t n = next_error(u, &ee, &have, &from, from6, data, sizeof(data));
		if (n < 0)
			return;
		uint8_t echo = u->v6 ? RELAY_ICMP6_ECHO : RELAY_ICMP_ECHO;
		if (!have || !passed_on(u, &ee) || n < 8 || data[0] != echo) {
			r->st.IcmpDropped++;
			continue;
		}
		uint8_t quote[RELAY_ECHO6_QUOTE_BYTES], out[160];
		size_t m;
		if (u->v6) {
			m = relay_echo6_quote(quote, u->last_hdr, 40, data, u->ns_port);
			m = m ? relay_emit_icmp6_error(out, sizeof(out), from6, ee.ee_type, ee.ee_code,
						       error_rest(u, &ee), quote, m) : 0;
		} else {
			m = relay_echo_quote(quote, u->last_hdr, 20, data, u->ns_port);
			m = m ? relay_emit_icmp_error(out, sizeof(out), from, ee.ee_type, ee.ee_code,
						      error_rest(u, &ee), quote, m, r->ip_id++) : 0;
		}
		if (m)
			relay_tun_write(r, out, m);
		u->last_us = r->now_us;
		r->st.IcmpErrorsRelayed++;
	}
}

/* An IPv6 flow to the IPv4 resolver (fd00::3, IPv4-mapped) heard ICMPv4:
 * told to the namespace as the ICMPv6 error that says the same (RFC 7915
 * 4.2: net, host unreachable -> no route; port -> port; prohibited ->
 * administratively prohibited; time exceeded -> time exceeded), from the
 * resolver address when the resolver sent it, else from the gateway.
 * false: nothing to say. */
static bool icmp4_to6(const struct relay *r, const struct uflow *u, struct sock_extended_err *ee,
		      uint32_t from, uint8_t from6[16])
{
	uint8_t type, code;
	if (ee->ee_type == RELAY_ICMP_UNREACH) {
		type = RELAY_ICMP6_UNREACH;
		code = ee->ee_code == RELAY_UNREACH_PORT ? RELAY_UNREACH6_PORT
		       : ee->ee_code == 9 || ee->ee_code == 10 || ee->ee_code == RELAY_UNREACH_ADMIN
			       ? RELAY_UNREACH6_ADMIN
			       : RELAY_UNREACH6_NOROUTE;
	} else if (ee->ee_type == RELAY_ICMP_TIME_EXCEEDED) {
		type = RELAY_ICMP6_TIME_EXCEEDED;
		code = ee->ee_code;
	} else {
		return false;
	}
	ee->ee_origin = SO_EE_ORIGIN_ICMP6;
	ee->ee_type = type;
	ee->ee_code = code;
	ee->ee_info = 0;
	memcpy(from6, from == r->cfg.dns_fwd_addr ? u->dst6 : r->cfg.gw_addr6, 16);
	return true;
}

/* An IPv4 lookup to an IPv6 resolver (host6) heard ICMPv6: told to the
 * namespace as the ICMPv4 error that says the same (RFC 7915 5.2: no
 * route, beyond scope, address unreachable -> host unreachable; port ->
 * port; administratively prohibited -> code 10; packet too big ->
 * fragmentation needed, the MTU 20 less; time exceeded -> time exceeded),
 * from the resolver address when the resolver sent it, else from the
 * gateway. false: nothing to say (parameter problem, whose pointer means
 * another header). */
static bool icmp6_to4(const struct relay *r, const struct uflow *u, struct sock_extended_err *ee,
		      const uint8_t from6[16], uint32_t *from)
{
	uint8_t type, code;
	uint32_t info = 0;
	if (ee->ee_type == RELAY_ICMP6_UNREACH) {
		type = RELAY_ICMP_UNREACH;
		code = ee->ee_code == RELAY_UNREACH6_PORT    ? RELAY_UNREACH_PORT
		       : ee->ee_code == RELAY_UNREACH6_ADMIN ? 10
							     : RELAY_UNREACH_HOST;
	} else if (ee->ee_type == RELAY_ICMP6_TOO_BIG) {
		type = RELAY_ICMP_UNREACH;
		code = 4;
		info = ee->ee_info > 20 ? ee->ee_info - 20 : 0;
	} else if (ee->ee_type == RELAY_ICMP6_TIME_EXCEEDED) {
		type = RELAY_ICMP_TIME_EXCEEDED;
		code = ee->ee_code;
	} else {
		return false;
	}
	ee->ee_origin = SO_EE_ORIGIN_ICMP;
	ee->ee_type = type;
	ee->ee_code = code;
	ee->ee_info = info;
	*from = !memcmp(from6, r->cfg.dns_fwd_addr6, 16) ? u->dst_addr : r->cfg.gw_addr;
	return true;
}

/* ICMP errors for a UDP flow's datagrams (the error queue): a router's
 * net or host unreachable or time exceeded, the destination's port
 * unreachable; each goes to the namespace as the relay's next router
 * would forward it (RFC 1812 4.3.2.3 for a translated flow: the error
 * back to the inner sender), from the router that sent it, with its type
 * and code, quoting the namespace's last datagram (its IP and UDP
 * headers, which name its socket). An error from the host end of the flow
 * itself (the mapped gateway's 127.0.0.1 or ::1, --dns) comes from the
 * address the namespace sent to. */
static void udp_errors(struct relay *r, struct uflow *u)
{
	struct sockaddr_in6 peer;
	bool peer_ok = false, peer_asked = false;
	for (int k = 0; k < UDP_READS_MAX; k++) {
		uint8_t data[8], from6[16];
		struct sock_extended_err ee;
		bool have;
		uint32_t from;
		if (next_error(u, &ee, &have, &from, from6, data, sizeof(data)) < 0)
			return;
		if (have && u->v6 && ee.ee_origin == SO_EE_ORIGIN_ICMP && !icmp4_to6(r, u, &ee, from, from6)) {
			r->st.UdpDropped++;
			continue;
		}
		if (have && !u->v6 && ee.ee_origin == SO_EE_ORIGIN_ICMP6 && !icmp6_to4(r, u, &ee, from6, &from)) {
			r->st.UdpDropped++;
			continue;
		}
		if (!have || !passed_on(u, &ee)) {
			r->st.UdpDropped++;
			continue;
		}
		if (!peer_asked) {
			socklen_t pl = sizeof(peer);
			memset(&peer, 0, sizeof(peer));
			peer_ok = getpeername(u->fd, (struct sockaddr *)&peer, &pl) == 0;
			peer_asked = true;
		}
		if (peer_ok && u->v6 && !memcmp(from6, &peer.sin6_addr, 16))
			memcpy(from6, u->dst6, 16);
		if (peer_ok && !u->v6 && peer.sin6_family == AF_INET) {
			struct sockaddr_in p4;
			memcpy(&p4, &peer, sizeof(p4));
			if (from == ntohl(p4.sin_addr.s_addr))
				from = u->dst_addr;
		}
		uint8_t out[160];
		size_t qlen = u->v6 ? 48 : (size_t)(u->last_hdr[0] & 0xf) * 4 + 8;
		if (qlen > sizeof(u->last_hdr))
			qlen = 28;
		size_t m = u->v6 ? relay_emit_icmp6_error(out, sizeof(out), from6, ee.ee_type, ee.ee_code,
							  error_rest(u, &ee), u->last_hdr, qlen)
				 : relay_emit_icmp_error(out, sizeof(out), from, ee.ee_type, ee.ee_code,
							 error_rest(u, &ee), u->last_hdr, qlen, r->ip_id++);
		if (m)
			relay_tun_write(r, out, m);
		bool port = u->v6 ? ee.ee_type == RELAY_ICMP6_UNREACH && ee.ee_code == RELAY_UNREACH6_PORT
				  : ee.ee_type == RELAY_ICMP_UNREACH && ee.ee_code == RELAY_UNREACH_PORT;
		if (port)
			r->st.UdpPortUnreach++;
		else
			r->st.IcmpErrorsRelayed++;
		u->last_us = r->now_us;
	}
}

/* Echo replies on a flow's ping socket, back to the namespace. */
static void echo_replies(struct relay *r, struct uflow *u)
{
	size_t cap = (size_t)r->cfg.tun.mtu;
	for (int k = 0; k < UDP_READS_MAX; k++) {
		size_t hl = u->v6 ? 40 : 20;
		ssize_t n = recv(u->fd, r->txbuf + hl, 65535 - hl, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			echo_errors(r, u); /* the error's report (sk_err): its details are queued */
			continue;
		}
		if (n < 0)
			return;
		u->last_us = r->now_us;
		uint8_t reply = u->v6 ? RELAY_ICMP6_ECHO_REPLY : RELAY_ICMP_ECHO_REPLY;
		if ((size_t)n + hl > cap || (size_t)n > 65535 - hl || n < 8 || r->txbuf[hl] != reply) {
			r->st.IcmpDropped++;
			continue;
		}
		size_t len;
		if (u->v6) {
			put_be16(r->txbuf + 44, u->ns_port); /* the namespace's identifier */
			len = relay_emit_echo6_reply(r->txbuf, 65535, u->dst6, u->ns6, r->txbuf + 40, (size_t)n);
		} else {
			len = relay_emit_echo_reply(r->txbuf, 65535, u->dst_addr, u->ns_addr, u->ns_port,
						    (size_t)n, r->ip_id++);
		}
		if (!len)
			continue;
		relay_tun_write(r, r->txbuf, len);
		u->dgrams_down++;
		u->bytes_down += (uint64_t)n;
		r->st.IcmpEchoReplies++;
	}
}

void relay_udp_host_event(struct relay *r, uint32_t slot, uint32_t gen, uint32_t events)
{
	if (slot >= r->uf_cap || !r->uf[slot].in_use || r->uf[slot].gen != gen)
		return;
	struct uflow *u = &r->uf[slot];
	if (u->proto == RELAY_PROTO_ICMP) {
		if (events & EPOLLERR)
			echo_errors(r, u);
		echo_replies(r, u);
		return;
	}
	if (events & EPOLLERR)
		udp_errors(r, u);
	size_t cap = (size_t)r->cfg.tun.mtu;
	for (int k = 0; k < UDP_READS_MAX; k++) {
		/* Read straight behind the headers' room: no copy to make the packet. */
		size_t hl = u->v6 ? RELAY_UDP6_HDR_BYTES : RELAY_UDP_HDR_BYTES;
		ssize_t n = recv(u->fd, r->txbuf + hl, 65535 - hl, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			/* An ICMP error's report (sk_err): its details are queued. */
			udp_errors(r, u);
			continue;
		}
		if (n < 0)
			return;
		u->last_us = r->now_us;
		if ((size_t)n + hl > cap || (size_t)n > 65535 - hl) {
			r->st.UdpDropped++; /* no IP fragmentation here: over the MTU is dropped */
			continue;
		}
		size_t len = u->v6 ? relay_emit_udp6(r->txbuf, 65535, u->dst6, u->dst_port, u->ns6, u->ns_port,
						     (size_t)n)
				   : relay_emit_udp(r->txbuf, 65535, u->dst_addr, u->dst_port, u->ns_addr,
						    u->ns_port, (size_t)n, r->ip_id++);
		if (!len)
			continue;
		relay_tun_write(r, r->txbuf, len);
		u->dgrams_down++;
		u->bytes_down += (uint64_t)n;
		r->st.UdpDgramsDown++;
		r->st.UdpBytesDown += (uint64_t)n;
	}
}

void relay_udp_sweep(struct relay *r)
{
	uint64_t idle = (uint64_t)r->cfg.udp_timeout_ms * 1000u;
	for (uint32_t i = 0; i < r->uf_cap; i++) {
		struct uflow *u = &r->uf[i];
		if (u->in_use && u->last_us + idle <= r->now_us) {
			flow_close(r, u);
			r->st.UdpFlowsExpired++;
		}
	}
}

void relay_udp_list(struct relay *r, FILE *f)
{
	fprintf(f, "--- udp flows (%u) ---\n", r->uf_used);
	for (uint32_t i = 0; i < r->uf_cap; i++) {
		const struct uflow *u = &r->uf[i];
		if (!u->in_use)
			continue;
		char a[64], b[64];
		if (u->v6) {
			char s[INET6_ADDRSTRLEN];
			snprintf(a, sizeof(a), "[%s]:%u", inet_ntop(AF_INET6, u->ns6, s, sizeof(s)), u->ns_port);
			snprintf(b, sizeof(b), "[%s]:%u", inet_ntop(AF_INET6, u->dst6, s, sizeof(s)), u->dst_port);
		} else {
			snprintf(a, sizeof(a), "%u.%u.%u.%u:%u", u->ns_addr >> 24, (u->ns_addr >> 16) & 255,
				 (u->ns_addr >> 8) & 255, u->ns_addr & 255, u->ns_port);
			snprintf(b, sizeof(b), "%u.%u.%u.%u:%u", u->dst_addr >> 24, (u->dst_addr >> 16) & 255,
				 (u->dst_addr >> 8) & 255, u->dst_addr & 255, u->dst_port);
		}
		fprintf(f, "%s %s -> %s  up %" PRIu64 " dgrams %" PRIu64 " B  down %" PRIu64 " dgrams %" PRIu64
			" B  idle %.3f s\n", u->proto == RELAY_PROTO_ICMP ? "icmp" : "udp", a, b, u->dgrams_up,
			u->bytes_up, u->dgrams_down, u->bytes_down, (double)(r->now_us - u->last_us) / 1e6);
	}
}
