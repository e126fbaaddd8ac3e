/* Initial sequence numbers (RFC 6528) and timestamp offsets (RFC 7323 7.1),
 * both from one keyed hash of the 4-tuple. An IPv4 tuple is hashed over its
 * 32-bit addresses (12 bytes and the salt, as always); an IPv6 one over the
 * whole addresses (RFC 6528 3: "the connection-id", localip and remoteip of
 * 128 bits each). */
#include <string.h>

#include "tcp/tcp.h"
#include "util/hash.h"

struct tuple_key {
	uint32_t laddr, faddr;
	uint16_t lport, fport;
	uint32_t salt;
};

struct tuple_key6 {
	uint8_t laddr[16], faddr[16];
	uint16_t lport, fport;
	uint32_t salt;
};

static uint64_t keyed(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		      uint16_t fport, uint32_t salt)
{
	if (!ip_addr_is_v4(faddr)) {
		struct tuple_key6 k6;
		memset(&k6, 0, sizeof(k6));
		memcpy(k6.laddr, laddr.b, 16);
		memcpy(k6.faddr, faddr.b, 16);
		k6.lport = lport;
		k6.fport = fport;
		k6.salt = salt;
		return siphash24(s->cfg.isn_secret, &k6, sizeof(k6));
	}
	struct tuple_key k;
	memset(&k, 0, sizeof(k));
	k.laddr = ip_addr_v4_of(laddr);
	k.faddr = ip_addr_v4_of(faddr);
	k.lport = lport;
	k.fport = fport;
	k.salt = salt;
	return siphash24(s->cfg.isn_secret, &k, sizeof(k));
}

uint64_t tcp_keyed(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		   uint16_t fport, uint32_t salt)
{
	return keyed(s, laddr, lport, faddr, fport, salt);
}

/* One keyed hash of the 4-tuple gives both per-connection secrets: its low
 * half is the ISN's F, its high half the timestamp offset. A connection
 * asks for both in a row, so the last result is kept (one SipHash, not two,
 * per connection). */
static uint64_t tuple_secret(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			     uint16_t fport)
{
	struct tuple_cache *t = &s->tuple_cache;
	if (t->valid && ip_addr_eq(t->laddr, laddr) && ip_addr_eq(t->faddr, faddr) &&
	    t->lport == lport && t->fport == fport)
		return t->v;
	t->v = keyed(s, laddr, lport, faddr, fport, TCP_TUPLE_SALT);
	t->laddr = laddr;
	t->faddr = faddr;
	t->lport = lport;
	t->fport = fport;
	t->valid = true;
	return t->v;
}

uint32_t tcp_isn(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr, uint16_t fport)
{
	/* RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport,
	 * secretkey), M a 4-microsecond timer. */
	uint32_t m = (uint32_t)(s->now_us / 4);
	uint32_t isn = m + (uint32_t)tuple_secret(s, laddr, lport, faddr, fport);
	uint32_t w = s->cfg.isn_wrap_bytes;
	return w ? 0u - w + isn % w : isn;
}

uint32_t tcp_ts_offset_tuple(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			     uint16_t fport)
{
	/* RFC 7323 7.1: a per-connection offset for the timestamp clock,
	 * keyed by the 4-tuple only, so that a later incarnation of the same
	 * pair continues the clock and never goes backwards (RFC 6191). */
	uint32_t off = (uint32_t)(tuple_secret(s, laddr, lport, faddr, fport) >> 32);
	uint32_t w = s->cfg.ts_wrap_ms;
	/* TSval = now_ms + off passes 2^32 at now_ms = w - off % w. */
	return w ? 0u - w + off % w : off;
}

uint32_t tcp_ts_offset(gt_stack *s, const struct tcp_conn *c)
{
	return tcp_ts_offset_tuple(s, c->laddr, c->lport, c->faddr, c->fport);
}
