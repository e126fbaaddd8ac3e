/* Ephemeral ports (RFC 6056 3.3.3, algorithm 3) and the RSS hash that
 * steers a 4-tuple to one of several stacks (a NIC's receive-side scaling):
 * an ephemeral port is chosen so that the reply traffic lands on this
 * stack's shard. */
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

static bool other_shard(const gt_stack *s, uint32_t laddr, uint16_t port, uint32_t faddr,
			uint16_t fport)
{
	return s->cfg.rss_shards > 1 &&
	       gt_rss_hash(laddr, port, faddr, fport) % s->cfg.rss_shards != s->cfg.rss_shard;
}

static bool port_in_use(gt_stack *s, uint32_t laddr, uint16_t port, uint32_t faddr,
			uint16_t fport, uint32_t *tw_snd_nxt, bool *tw_reused)
{
	/* A port bind() gave to a socket (listening or not) is not handed out. */
	if (s->port_binds && s->port_binds[port])
		return true;
	if (tcp_lookup(s, laddr, port, faddr, fport))
		return true;
	if (tw_exists(s, laddr, port, faddr, fport)) {
		*tw_reused = tw_take_for_reuse(s, laddr, port, faddr, fport, tw_snd_nxt);
		return !*tw_reused;
	}
	return false;
}

int tcp_ephemeral_port(gt_stack *s, uint32_t laddr, uint32_t faddr, uint16_t fport,
		       uint32_t *tw_snd_nxt, bool *tw_reused)
{
	/* RFC 6056 3.3.3 (algorithm 3): a keyed offset per destination plus a
	 * counter, so ports are hard to guess and reuse of one tuple is slow. */
	uint32_t lo = s->cfg.ephemeral_lo, n = s->cfg.ephemeral_hi - lo + 1u;
	uint32_t offset = (uint32_t)tcp_keyed(s, laddr, 0, faddr, fport, 0x9057);
	for (uint32_t i = 0; i < n; i++) {
		uint16_t port = (uint16_t)(lo + (offset + s->ephemeral_next + i) % n);
		*tw_reused = false;
		if (other_shard(s, laddr, port, faddr, fport))
			continue;
		if (!port_in_use(s, laddr, port, faddr, fport, tw_snd_nxt, tw_reused)) {
			s->ephemeral_next += i + 1;
			return port;
		}
	}
	s->st.TcpEphemeralExhausted++;
	return -EADDRNOTAVAIL;
}
