/* Initial sequence numbers (RFC 6528) and ephemeral ports (RFC 6056). */
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

struct tuple_key {
	uint32_t laddr, faddr;
	uint16_t lport, fport;
	uint32_t salt;
};

static uint64_t keyed(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		      uint16_t fport, uint32_t salt)
{
	struct tuple_key k;
	memset(&k, 0, sizeof(k));
	k.laddr = laddr;
	k.faddr = faddr;
	k.lport = lport;
	k.fport = fport;
	k.salt = salt;
	return siphash24(s->cfg.isn_secret, &k, sizeof(k));
}

uint64_t tcp_keyed(const gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
		   uint16_t fport, uint32_t salt)
{
	return keyed(s, laddr, lport, faddr, fport, salt);
}

/* One keyed hash of the 4-tuple gives both per-connection secrets: its low
 * half is the ISN's F, its high half the timestamp offset. A connection
 * asks for both in a row, so the last result is kept (one SipHash, not two,
 * per connection). */
static uint64_t tuple_secret(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			     uint16_t fport)
{
	struct tuple_cache *t = &s->tuple_cache;
	if (t->valid && t->laddr == laddr && t->faddr == faddr && t->lport == lport &&
	    t->fport == fport)
		return t->v;
	t->v = keyed(s, laddr, lport, faddr, fport, TCP_TUPLE_SALT);
	t->laddr = laddr;
	t->faddr = faddr;
	t->lport = lport;
	t->fport = fport;
	t->valid = true;
	return t->v;
}

uint32_t tcp_isn(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport)
{
	/* RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport,
	 * secretkey), M a 4-microsecond timer. */
	uint32_t m = (uint32_t)(s->now_us / 4);
	return m + (uint32_t)tuple_secret(s, laddr, lport, faddr, fport);
}

uint32_t tcp_ts_offset_tuple(gt_stack *s, uint32_t laddr, uint16_t lport, uint32_t faddr,
			     uint16_t fport)
{
	/* RFC 7323 7.1: a per-connection offset for the timestamp clock,
	 * keyed by the 4-tuple only, so that a later incarnation of the same
	 * pair continues the clock and never goes backwards (RFC 6191). */
	return (uint32_t)(tuple_secret(s, laddr, lport, faddr, fport) >> 32);
}

uint32_t tcp_ts_offset(gt_stack *s, const struct tcp_conn *c)
{
	return tcp_ts_offset_tuple(s, c->laddr, c->lport, c->faddr, c->fport);
}

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
	uint32_t offset = (uint32_t)keyed(s, laddr, 0, faddr, fport, 0x9057);
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
