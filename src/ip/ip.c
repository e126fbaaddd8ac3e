/* IPv4 input and output (RFC 791, RFC 1122 3.2) and ICMP (RFC 792): echo
 * replies, destination-unreachable handed to TCP, Time Exceeded for a
 * datagram whose reassembly timed out. Fragments go to ip/reasm.c and come
 * back whole. The calls that take an address of either family (ip/addr.h)
 * send IPv6 ones to ip6.c. */
#include <errno.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"
#include "util/be.h"
#include "util/checksum.h"
#include "util/hash.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

static bool ip4_is_local(const gt_stack *s, uint32_t addr)
{
	for (uint32_t i = 0; i < s->naddr; i++)
		if (s->addr[i] == addr)
			return true;
	return false;
}

bool ip_is_local(const gt_stack *s, ip_addr addr)
{
	if (ip_addr_is_v4(addr))
		return ip4_is_local(s, ip_addr_v4_of(addr));
	for (uint32_t i = 0; i < s->naddr6; i++)
		if (ip_addr_eq(s->addr6[i], addr))
			return true;
	return false;
}

/* Leading bits a and b share. */
static unsigned common_prefix(ip_addr a, ip_addr b)
{
	unsigned n = 0;
	for (int i = 0; i < 16; i++) {
		uint8_t d = a.b[i] ^ b.b[i];
		if (d) {
			while (!(d & 0x80)) {
				n++;
				d = (uint8_t)(d << 1);
			}
			return n;
		}
		n += 8;
	}
	return n;
}

ip_addr ip_source_for(const gt_stack *s, ip_addr dst)
{
	if (ip_addr_is_v4(dst)) {
		uint32_t d = ip_addr_v4_of(dst);
		for (uint32_t i = 0; i < s->naddr; i++) {
			uint32_t mask = s->prefix[i] ? ~0u << (32 - s->prefix[i]) : 0;
			if ((s->addr[i] & mask) == (d & mask))
				return ip_addr_v4(s->addr[i]);
		}
		return ip_addr_v4(s->naddr ? s->addr[0] : 0);
	}
	/* RFC 6724 5, simply: we hold only global-or-narrower unicast
	 * addresses of one interface, so rule 1 (the destination itself),
	 * then rule 8 (longest matching prefix; the first address on a tie). */
	if (!s->naddr6)
		return IP_ADDR_ANY6;
	uint32_t best = 0;
	unsigned best_len = 0;
	for (uint32_t i = 0; i < s->naddr6; i++) {
		unsigned n = common_prefix(s->addr6[i], dst);
		if (n == 128)
			return dst;
		if (n > best_len) {
			best_len = n;
			best = i;
		}
	}
	return s->addr6[best];
}

static ip_addr route_dst(const struct gt_route *r)
{
	return r->dst.family == GT_AF_INET ? ip_addr_v4(r->dst.addr) : r->dst.addr6;
}

const struct gt_route *ip_route_for(const gt_stack *s, ip_addr dst)
{
	for (uint32_t i = 0; i < s->nroute; i++)
		if (ip_addr_eq(route_dst(&s->route[i]), dst))
			return &s->route[i];
	return NULL;
}

int gt_route_set(gt_stack *s, const struct gt_route *r)
{
	if (r->flush_cache) {
		if (r->dst.family != GT_AF_INET && r->dst.family != GT_AF_INET6)
			return -EINVAL;
		(void)ip_pmtu_flush(s, r->dst.family);
		return 0;
	}
	if ((r->dst.family != GT_AF_INET && r->dst.family != GT_AF_INET6) ||
	    (r->mtu && (r->mtu < 68 || r->mtu > 65535)))
		return -EINVAL;
	struct gt_route *slot = (struct gt_route *)ip_route_for(s, route_dst(r));
	if (!slot) {
		if (s->nroute >= GT_ROUTES)
			return -ENOSPC;
		slot = &s->route[s->nroute++];
	}
	/* Connections hold the route they found until a segment of theirs
	 * goes out (tcp_mtup_route_changed()). */
	tcp_mtup_route_changing(s, route_dst(r));
	*slot = *r;
	slot->dst.port = 0;
	s->route_gen++;
	return 0;
}

/* The route's metric, else the device's MTU (ip_mss_for()'s IPv4 path). */
static uint32_t route_mtu(const gt_stack *s, ip_addr dst)
{
	const struct gt_route *r = ip_route_for(s, dst);
	return r && r->mtu ? r->mtu : s->dev.mtu;
}

/* ---- Path MTUs learnt per destination (s->pmtu) ----
 * Linux: a route exception (fib_nh_exception, rt6 exception) made by
 * __ip_rt_update_pmtu() / rt6_do_update_pmtu(), dying mtu_expires after
 * it was learnt (find_exception(), rt6_check_expired()), read by every
 * route looked up to the destination (dst_mtu()). FreeBSD: the host
 * cache's rmx_mtu (tcp_hc_updatemtu(), tcp_hc_getmtu()), whose rmx_expire
 * every use sets back to hostcache.expire and each purge run
 * (tcp_hc_purge_internal(), every hostcache.prune) first tests (<= 0:
 * freed), then lowers by prune. */

static uint64_t pmtu_life_us(const gt_stack *s, ip_addr dst)
{
	uint32_t e = ip_addr_is_v4(dst) ? s->cfg.pmtu_expire_s : s->cfg.pmtu6_expire_s;
	return (uint64_t)e * 1000000u;
}

/* When an entry touched now ends. FreeBSD: the purge run that finds
 * rmx_expire spent, the ceil(expire / prune)-th after the next one. */
static uint64_t pmtu_end_us(const gt_stack *s, ip_addr dst)
{
	uint64_t life = pmtu_life_us(s, dst);
	if (!s->cfg.pmtu_cache_bsd || !s->cfg.pmtu_prune_s)
		return s->now_us + life;
	uint64_t p = (uint64_t)s->cfg.pmtu_prune_s * 1000000u;
	uint64_t since = s->now_us >= s->pmtu_prune_base_us ? s->now_us - s->pmtu_prune_base_us : 0;
	uint64_t next = s->pmtu_prune_base_us + (since / p + 1) * p;
	return next + (life + p - 1) / p * p;
}

/* Forward: the cache entry made or renewed (below ip_pmtu_update()). */
static struct pmtu_entry *ip_pmtu_learn(gt_stack *s, ip_addr dst, uint32_t mtu);

/* The index of dst's entry, spent or not; -1 without one. */
static int pmtu_index(const gt_stack *s, ip_addr dst)
{
	for (uint32_t i = 0; i < GT_PMTU_CACHE; i++)
		if (s->pmtu[i].mtu && ip_addr_eq(s->pmtu[i].dst, dst))
			return (int)i;
	return -1;
}

/* dst's live entry, NULL without one; a spent one is freed. */
static struct pmtu_entry *pmtu_find(gt_stack *s, ip_addr dst)
{
	int i = pmtu_index(s, dst);
	if (i < 0)
		return NULL;
	struct pmtu_entry *p = &s->pmtu[i];
	if (p->expire_us <= s->now_us) {
		p->mtu = 0; /* RFC 8201 5.3: try the link's MTU again */
		return NULL;
	}
	return p;
}

uint32_t ip_pmtu_get(gt_stack *s, ip_addr dst)
{
	if (!s->cfg.pmtu_cache)
		return 0; /* tcp_hc_getmtu(): "if (!V_tcp_use_hostcache) return (0)" */
	struct pmtu_entry *p = pmtu_find(s, dst);
	if (!p)
		return 0;
	if (s->cfg.pmtu_cache_bsd)
		p->expire_us = pmtu_end_us(s, dst); /* tcp_hc_lookup() */
	return p->mtu;
}

uint32_t ip_pmtu_update(gt_stack *s, ip_addr dst, uint32_t mtu)
{
	if (!s->cfg.pmtu_cache)
		return mtu;
	const struct gt_route *r = ip_route_for(s, dst);
	if (!s->cfg.pmtu_cache_bsd) {
		/* __ip_rt_update_pmtu(): a locked route learns nothing; the
		 * MTU is at least min_pmtu ("if (mtu < net->ipv4.ip_rt_min_pmtu)
		 * { lock = true; mtu = min(old_mtu, ...min_pmtu) }"); never
		 * raised ("if (old_mtu < mtu) return"); the same MTU again
		 * renews the entry only past half its life, unless locked. An
		 * entry locked at the floor learns nothing more either
		 * (ip_mtu_locked(): rt_mtu_locked from fnhe_mtu_locked). */
		if (r && r->mtu && r->mtu_lock)
			return r->mtu;
		uint32_t old = route_mtu(s, dst);
		struct pmtu_entry *p = pmtu_find(s, dst);
		if (p && p->locked && p->mtu <= old)
			return p->mtu;
		if (p && p->mtu < old)
			old = p->mtu;
		bool lock = ip_addr_is_v4(dst) && mtu < s->cfg.pmtu_min;
		if (lock)
			mtu = s->cfg.pmtu_min < old ? s->cfg.pmtu_min : old;
		if (old < mtu)
			return old;
		if (p && p->mtu == mtu && !lock &&
		    p->expire_us - s->now_us > pmtu_life_us(s, dst) / 2)
			return mtu;
		struct pmtu_entry *e = ip_pmtu_learn(s, dst, mtu);
		e->locked = lock; /* __ip_rt_update_pmtu(): fnhe_mtu_locked */
		return mtu;
	}
	(void)ip_pmtu_learn(s, dst, mtu);
	return mtu;
}

/* Linux's ip_mtu_locked(): dst_metric_locked(dst, RTAX_MTU), which a
 * route exception at min_pmtu sets (update_or_create_fnhe()'s lock). */
bool ip_pmtu_locked(const gt_stack *s, ip_addr dst)
{
	const struct gt_route *r = s->nroute ? ip_route_for(s, dst) : NULL;
	if (r && r->mtu && r->mtu_lock)
		return true;
	if (!ip_addr_is_v4(dst) || !s->cfg.pmtu_cache || s->cfg.pmtu_cache_bsd)
		return false;
	int i = pmtu_index(s, dst);
	/* ipv4_mtu(): while unexpired (a const read: the spent entry is
	 * freed by the next pmtu_find()). */
	return i >= 0 && s->pmtu[i].locked && s->pmtu[i].expire_us > s->now_us;
}

/* The cache's entry for dst, made or renewed at mtu: bounded, the entry
 * nearest its end gives way. */
static struct pmtu_entry *ip_pmtu_learn(gt_stack *s, ip_addr dst, uint32_t mtu)
{
	struct pmtu_entry *slot = pmtu_find(s, dst), *soonest = NULL;
	for (uint32_t i = 0; !slot && i < GT_PMTU_CACHE; i++) {
		struct pmtu_entry *p = &s->pmtu[i];
		if (!p->mtu || p->expire_us <= s->now_us)
			slot = p;
		else if (!soonest || p->expire_us < soonest->expire_us)
			soonest = p;
	}
	if (!slot) {
		slot = soonest; /* bounded: the entry nearest its end gives way */
		s->st.IpPmtuCacheEvicted++;
	}
	/* FreeBSD's tcp_hc_update(): rmx_mtu overwritten, rmx_expire renewed. */
	slot->dst = dst;
	slot->mtu = mtu;
	slot->locked = false;
	slot->expire_us = pmtu_end_us(s, dst);
	return slot;
}

uint32_t ip_pmtu_flush(gt_stack *s, int family)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < GT_PMTU_CACHE; i++) {
		struct pmtu_entry *p = &s->pmtu[i];
		bool v4 = ip_addr_is_v4(p->dst);
		if (p->mtu && (!family || (family == GT_AF_INET) == v4)) {
			p->mtu = 0;
			n++;
		}
	}
	return n;
}

void ip6_pmtu_update(gt_stack *s, ip_addr dst, uint32_t mtu) { (void)ip_pmtu_update(s, dst, mtu); }

static bool sockaddr_ip(const struct gt_sockaddr *a, ip_addr *out)
{
	if (!a || (a->family != GT_AF_INET && a->family != GT_AF_INET6))
		return false;
	*out = a->family == GT_AF_INET ? ip_addr_v4(a->addr) : a->addr6;
	return true;
}

uint32_t gt_pmtu_get(gt_stack *s, const struct gt_sockaddr *dst)
{
	ip_addr a;
	return sockaddr_ip(dst, &a) ? ip_pmtu_get(s, a) : 0;
}

int gt_pmtu_flush(gt_stack *s, int family)
{
	if (family && family != GT_AF_INET && family != GT_AF_INET6)
		return -EINVAL;
	return (int)ip_pmtu_flush(s, family);
}

/* The route's MTU, or the path MTU learnt for dst where it is smaller. */
static uint32_t route_or_learnt_mtu(gt_stack *s, ip_addr dst)
{
	uint32_t mtu = route_mtu(s, dst), p = ip_pmtu_get(s, dst);
	return p && p < mtu ? p : mtu;
}

uint32_t ip_path_mtu(gt_stack *s, ip_addr dst)
{
	if (ip_addr_is_v4(dst))
		return route_or_learnt_mtu(s, dst);
	/* A route's MTU below what ip_mss_for() gives stands as set, under
	 * IPv6's 1280 too (ip6_mtu() takes the metric, locked or not). */
	uint32_t pmtu = ip_mss_for(s, dst) + 60u;
	const struct gt_route *r = ip_route_for(s, dst);
	if (r && r->mtu && r->mtu < pmtu)
		return r->mtu;
	return pmtu;
}

uint16_t ip_mss_for(gt_stack *s, ip_addr dst)
{
	/* Linux's dst_mtu() (ipv4_mtu(): rt_pmtu while unexpired;
	 * ip6_mtu()); FreeBSD's tcp_mss_update() and tcp_mssopt():
	 * min(tcp_hc_getmtu(), tcp_maxmtu()). */
	if (!ip_addr_is_v4(dst) && s->cfg.pmtu_cache_bsd) {
		/* FreeBSD's tcp_mssopt() and tcp_mss_update() (sys/netinet/
		 * tcp_input.c): min(tcp_maxmtu6(), rmx_mtu) - 60 with no floor
		 * of 1280 (tcp_mss_update()'s only floor is 64, taken by its
		 * callers here). The host cache holds 1272 (IPV6_MMTU - 8,
		 * icmp6_mtudisc_update()) after a Packet Too Big under 1280:
		 * a later connection offers and sends 1212. */
		uint32_t link = ipv6_mss_for_mtu(route_mtu(s, dst)) + 60u;
		uint32_t hc = ip_pmtu_get(s, dst);
		if (hc && hc < link)
			return (uint16_t)((hc > IPV6_MIN_MTU - 8u ? hc : IPV6_MIN_MTU - 8u) - 60u);
		return (uint16_t)(link - 60u);
	}
	uint32_t mtu = route_or_learnt_mtu(s, dst);
	if (ip_addr_is_v4(dst))
		return (uint16_t)(mtu - 40);
	return ipv6_mss_for_mtu(mtu);
}

uint32_t ip_pseudo_sum(ip_addr src, ip_addr dst, uint8_t proto, uint32_t len)
{
	if (ip_addr_is_v4(dst))
		return csum_pseudo_ipv4(ip_addr_v4_of(src), ip_addr_v4_of(dst), proto,
					(uint16_t)len);
	return csum_pseudo_ipv6(src.b, dst.b, proto, len);
}

/* The IP ID (RFC 6864 4.1: unique per source, destination and protocol
 * within the datagram's life, for a datagram that may be fragmented).
 * Linux's ip_select_ident_segs(): a DF packet of a connected socket takes
 * the socket's inet_id (here the stack's one counter); one without DF
 * __ip_select_ident(): ip_idents_reserve() on a bucket that a keyed hash
 * of (daddr, saddr, protocol) picks. Here a bucket's counter plus the
 * hash's own offset, so destinations do not share a sequence's start. */
static uint16_t ip_ident(gt_stack *s, uint32_t src, uint32_t dst, uint8_t proto)
{
	if (!s->tx_nodf)
		return s->ip_id++;
	uint32_t key[3] = {dst, src, proto};
	uint64_t h = siphash24(s->cfg.isn_secret, key, sizeof(key));
	return (uint16_t)((uint16_t)(h >> 32) + s->ip_idents[h % GT_IP_IDENTS]++);
}

static void ip_header(gt_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	struct ipv4_hdr h = {
		.ihl_bytes = IPV4_HDR_MIN,
		.total_len = (uint16_t)(IPV4_HDR_MIN + len),
		.id = ip_ident(s, src, dst, proto),
		.tos = s->tx_tos,
		.df = !s->tx_nodf,
		.ttl = s->tx_ttl ? (uint8_t)s->tx_ttl : GT_IP_DEFAULT_TTL,
		.proto = proto,
		.src = src,
		.dst = dst,
	};
	ipv4_emit(s->out, &h);
	s->tx_tos = s->tx_ttl = 0;
	s->tx_nodf = false;
	s->st.IpOutRequests++;
}

/* What the device said of a packet (struct gt_device): sent (0); its
 * queue full, not sent (-ENOBUFS: a qdisc over its limit, Linux's
 * NET_XMIT_DROP, or a write that would block), which TCP takes as never
 * sent; or dropped (-EIO), counted in discards as before. */
int ip_dev_verdict(gt_stack *s, int rc, uint64_t *discards)
{
	if (rc >= 0)
		return 0;
	if (rc == -ENOBUFS || rc == -EAGAIN) {
		s->st.IpOutQueueFull++;
		return -ENOBUFS;
	}
	(*discards)++;
	return -EIO;
}

int ip_dev_xmit(gt_stack *s, const struct gt_iovec *iov, int n)
{
	uint16_t gso = s->tx_gso;
	s->tx_gso = 0;
	if (gso && s->dev.transmit_gso)
		return s->dev.transmit_gso(s->dev.ctx, iov, n, gso);
	if (n == 1)
		return s->dev.transmit(s->dev.ctx, iov[0].base, iov[0].len);
	return s->dev.transmitv(s->dev.ctx, iov, n);
}

int ip_outputv(gt_stack *s, ip_addr src6, ip_addr dst6, uint8_t proto, size_t hdr_len,
	       const struct gt_iovec *pay, int npay, size_t pay_len)
{
	if (!ip_addr_is_v4(dst6))
		return ip6_outputv(s, src6, dst6, proto, hdr_len, pay, npay, pay_len);
	uint32_t src = ip_addr_v4_of(src6), dst = ip_addr_v4_of(dst6);
	struct gt_iovec iov[3] = {{s->out, IPV4_HDR_MIN + hdr_len}};
	for (int i = 0; i < npay && i < 2; i++)
		iov[1 + i] = pay[i];
	ip_header(s, src, dst, proto, hdr_len + pay_len);
	return ip_dev_verdict(s, ip_dev_xmit(s, iov, 1 + (npay < 2 ? npay : 2)), &s->st.IpOutDiscards);
}

static int ip4_output(gt_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	ip_header(s, src, dst, proto, len);
	struct gt_iovec one = {s->out, IPV4_HDR_MIN + len};
	return ip_dev_verdict(s, ip_dev_xmit(s, &one, 1), &s->st.IpOutDiscards);
}

int ip_output(gt_stack *s, ip_addr src, ip_addr dst, uint8_t proto, size_t len)
{
	if (!ip_addr_is_v4(dst))
		return ip6_output(s, src, dst, proto, len);
	return ip4_output(s, ip_addr_v4_of(src), ip_addr_v4_of(dst), proto, len);
}

static void icmp_input(gt_stack *s, const struct ipv4_hdr *ih, const uint8_t *msg, size_t len)
{
	struct icmp_hdr h;
	s->st.IcmpInMsgs++;
	if (icmp_parse(msg, len, &h) < 0) {
		s->st.IcmpInErrors++;
		return;
	}
	switch (h.type) {
	case ICMP_ECHO_REQUEST: {
		s->st.IcmpInEchos++;
		if (len > STACK_OUT_BUF - IPV4_HDR_MIN)
			return;
		uint32_t rest = (uint32_t)h.id << 16 | h.seq;
		size_t n = icmp_emit(s->out + IPV4_HDR_MIN, ICMP_ECHO_REPLY, 0, rest, h.body,
				     h.body_len);
		if (ip4_output(s, ih->dst, ih->src, IPPROTO_ICMP_, n) == 0)
			s->st.IcmpOutEchoReps++;
		break;
	}
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAM_PROBLEM: /* the profile decides (tcp_icmp_error()) */
		tcp_icmp_error(s, h.type, h.code, 0, h.body, h.body_len);
		break;
	case ICMP_DEST_UNREACH:
		s->st.IcmpInDestUnreachs++;
		/* The body holds the IP header and at least 8 bytes of the
		 * segment we sent (RFC 792). */
		tcp_icmp_error(s, h.type, h.code, h.next_mtu, h.body, h.body_len);
		break;
	default:
		break;
	}
}

/* RFC 1122 3.2.2: no ICMP error about a datagram from a source that is
 * not one host (0, a broadcast or a multicast address). */
static bool unicast_source(uint32_t a)
{
	return a != 0 && a != 0xffffffffu && (a >> 28) != 0xe;
}

void ip4_icmp_error(gt_stack *s, const uint8_t *inv, size_t inv_len, uint8_t type, uint8_t code)
{
	uint32_t from = get_be32(inv + 12), to = get_be32(inv + 16);
	if (!unicast_source(from))
		return;
	size_t n = icmp_emit(s->out + IPV4_HDR_MIN, type, code, 0, inv, inv_len);
	if (type == ICMP_TIME_EXCEEDED)
		s->st.IcmpOutTimeExcds++;
	ip4_output(s, to, from, IPPROTO_ICMP_, n);
}

static void ip4_receive(gt_stack *s, const uint8_t *pkt, size_t len, bool whole)
{
	struct ipv4_hdr h;
	if (ipv4_parse(pkt, len, &h) != IPV4_OK) {
		s->st.IpInHdrErrors++;
		return;
	}
	if (!ip4_is_local(s, h.dst)) {
		s->st.IpInAddrErrors++;
		return;
	}
	if (h.mf || h.frag_off) {
		if (whole)
			s->st.IpReasmFails++; /* cannot be: ip/reasm.c cleared both */
		else
			ip4_reasm(s, pkt, h.ihl_bytes, h.total_len);
		return;
	}
	const uint8_t *payload = pkt + h.ihl_bytes;
	size_t plen = (size_t)h.total_len - h.ihl_bytes;
	switch (h.proto) {
	case IPPROTO_TCP_:
		s->st.IpInDelivers++;
		s->rx_tos = h.tos;
		tcp_input(s, ip_addr_v4(h.src), ip_addr_v4(h.dst), payload, plen);
		s->rx_tos = 0;
		break;
	case IPPROTO_ICMP_:
		s->st.IpInDelivers++;
		icmp_input(s, &h, payload, plen);
		break;
	case IPPROTO_UDP_: /* only the TCP tunneling port listens */
		s->rx_tos = h.tos;
		if (tcp_udptun_input(s, ip_addr_v4(h.src), ip_addr_v4(h.dst), payload, plen)) {
			s->rx_tos = 0;
			s->st.IpInDelivers++;
			break;
		}
		s->rx_tos = 0;
		s->st.IpInUnknownProtos++;
		break;
	default:
		s->st.IpInUnknownProtos++;
		break;
	}
}

void ip4_input_whole(gt_stack *s, const uint8_t *pkt, size_t len) { ip4_receive(s, pkt, len, true); }

void ip_input(gt_stack *s, const uint8_t *pkt, size_t len)
{
	if (len && pkt[0] >> 4 == 6) {
		ip6_input(s, pkt, len);
		return;
	}
	s->st.IpInReceives++;
	ip4_receive(s, pkt, len, false);
}
