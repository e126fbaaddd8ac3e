/* Ephemeral ports (RFC 6056 3.3.3, algorithm 3) and the RSS hash that
 * steers a 4-tuple to one of several stacks (a NIC's receive-side scaling):
 * an ephemeral port is chosen so that the reply traffic lands on this
 * stack's shard. One port space for both families, as Linux and FreeBSD
 * keep one per protocol: a port is free for a tuple of either. */
#include <string.h>

#include "tcp/tcp.h"

uint32_t gt_rss_hash(uint32_t addr_a, uint16_t port_a, uint32_t addr_b, uint16_t port_b)
{
	/* XOR makes it symmetric; a multiply-xorshift mixes the bits. */
	uint64_t h = (uint64_t)(addr_a ^ addr_b) << 16 ^ (uint64_t)(port_a ^ port_b);
	h ^= (uint64_t)(addr_a + addr_b) << 32;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

uint32_t gt_rss_hash6(const struct gt_in6_addr *addr_a, uint16_t port_a,
		      const struct gt_in6_addr *addr_b, uint16_t port_b)
{
	if (ip_addr_is_v4(*addr_a) && ip_addr_is_v4(*addr_b))
		return gt_rss_hash(ip_addr_v4_of(*addr_a), port_a, ip_addr_v4_of(*addr_b), port_b);
	/* Symmetric as above: XOR and sum of the two addresses' halves. */
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, addr_a->b, 8);
	memcpy(&a1, addr_a->b + 8, 8);
	memcpy(&b0, addr_b->b, 8);
	memcpy(&b1, addr_b->b + 8, 8);
	uint64_t x = (a0 ^ b0) * 0x9e3779b97f4a7c15ull ^ (a1 ^ b1);
	uint64_t y = (a0 + b0) * 0xbf58476d1ce4e5b9ull ^ (a1 + b1);
	uint32_t fx = (uint32_t)(x ^ x >> 32), fy = (uint32_t)(y ^ y >> 32);
	uint64_t h = (uint64_t)fx << 16 ^ (uint64_t)(port_a ^ port_b);
	h ^= (uint64_t)fy << 32;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static bool other_shard(const gt_stack *s, ip_addr laddr, uint16_t port, ip_addr faddr,
			uint16_t fport)
{
	return s->cfg.rss_shards > 1 &&
	       gt_rss_hash6(&laddr, port, &faddr, fport) % s->cfg.rss_shards != s->cfg.rss_shard;
}

void tcp_port_range(const gt_stack *s, const struct tcp_user_opts *o, uint16_t *lo,
		    uint16_t *hi)
{
	*lo = s->cfg.ephemeral_lo;
	*hi = s->cfg.ephemeral_hi;
	uint32_t r = o ? o->port_range : 0;
	uint16_t sk_lo = (uint16_t)r, sk_hi = (uint16_t)(r >> 16);
	/* Each end on its own, tested against the stack's range as it was:
	 * 0, or a port outside it, leaves that end as it is. */
	uint16_t nlo = *lo, nhi = *hi;
	if (*lo <= sk_lo && sk_lo <= *hi)
		nlo = sk_lo;
	if (*lo <= sk_hi && sk_hi <= *hi)
		nhi = sk_hi;
	*lo = nlo;
	*hi = nhi;
}

static bool port_in_use(gt_stack *s, ip_addr laddr, uint16_t port, ip_addr faddr,
			uint16_t fport, struct tw_reuse *tw, bool *tw_reused)
{
	/* A port bind() gave to a socket (listening or not) is not handed out. */
	if (s->port_binds && s->port_binds[port])
		return true;
	if (tcp_lookup(s, laddr, port, faddr, fport))
		return true;
	if (tw_exists(s, laddr, port, faddr, fport)) {
		*tw_reused = tw_take_for_reuse(s, laddr, port, faddr, fport, false, tw);
		return !*tw_reused;
	}
	return false;
}

int tcp_ephemeral_port(gt_stack *s, const struct tcp_user_opts *o, ip_addr laddr,
		       ip_addr faddr, uint16_t fport, struct tw_reuse *tw, bool *tw_reused)
{
	/* RFC 6056 3.3.3 (algorithm 3): a keyed offset per destination plus a
	 * counter, so ports are hard to guess and reuse of one tuple is slow;
	 * within the socket's IP_LOCAL_PORT_RANGE (tcp_port_range()). */
	uint16_t plo, phi;
	tcp_port_range(s, o, &plo, &phi);
	uint32_t lo = plo, n = phi - lo + 1u;
	uint32_t offset = (uint32_t)tcp_keyed(s, laddr, 0, faddr, fport, 0x9057);
	for (uint32_t i = 0; i < n; i++) {
		uint16_t port = (uint16_t)(lo + (offset + s->ephemeral_next + i) % n);
		*tw_reused = false;
		if (other_shard(s, laddr, port, faddr, fport))
			continue;
		if (!port_in_use(s, laddr, port, faddr, fport, tw, tw_reused)) {
			s->ephemeral_next += i + 1;
			return port;
		}
	}
	s->st.TcpEphemeralExhausted++;
	return -EADDRNOTAVAIL;
}
