/* SYN cookies (RFC 4987 3.6): when the SYN queue is full, the SYN-ACK's
 * sequence number carries what the connection needs, and no state is kept
 * until the ACK returns it.
 *
 *   ISS = t (5 bits: the minute) | MSS index (2 bits) | MAC (25 bits)
 *
 * The MAC is keyed by the stack's secret over the 4-tuple, the peer's ISN,
 * t and the MSS index. With timestamps, the low 5 bits of our TSval carry
 * the peer's window scale (4 bits, 15 = none) and SACK-permitted (1 bit),
 * and come back in the ACK's TSecr; without timestamps only the MSS
 * survives, as on Linux.
 *
 * FreeBSD's layout (cfg.syncookie_bsd, syncookie_generate() and union
 * syncookie in tcp_syncache.h): the ISS itself carries the peer's MSS
 * (3 bits), its window scale (3 bits) and SACK-permitted (1 bit), whatever
 * timestamps do, beside the secret's parity (1 bit) and a 24-bit MAC over
 * that byte; the byte goes out XORed with the MAC's top byte:
 *
 *   ISS = MAC (24 bits) | (MSS index (3) | wscale index (3) | SACK | parity) ^ MAC >> 16
 *
 * The tables round down, as FreeBSD's tcp_sc_msstab and tcp_sc_wstab. Two
 * secrets, the older one reseeded every SYNCOOKIE_LIFETIME (15 s,
 * syncookie_reseed()): a cookie is good until the secret of its parity is
 * reseeded, 15 to 30 s (BSD_PERIOD_US, two periods). */
#include <string.h>

#include "tcp/tcp.h"

/* Linux's tcp_cookie_time(): the clock in minutes (TCP_SYNCOOKIE_PERIOD,
 * 60 * HZ). check_tcp_syn_cookie() takes a cookie whose minute is this one
 * or the last (diff < MAX_SYNCOOKIE_AGE, 2), so a cookie lives 60 to 120 s
 * by when in its minute it was made. */
#define COOKIE_PERIOD_US 60000000ull
#define COOKIE_AGE_MAX 2 /* MAX_SYNCOOKIE_AGE */
#define BSD_PERIOD_US 15000000ull /* SYNCOOKIE_LIFETIME (tcp_syncache.h) */
#define MAC_MASK 0x1ffffffu

/* syncache_respond(): a SYN that came in UDP (sc_port) gets an MSS option
 * less udp_tunneling_overhead, cookie or not. */
static uint16_t tun_mss(const gt_stack *s, uint16_t mss)
{
	return s->rx_tun_port && mss > s->cfg.udp_tun_overhead + 64u
		       ? (uint16_t)(mss - s->cfg.udp_tun_overhead)
		       : mss;
}

static const uint16_t mss_table[4] = {536, 1300, 1440, 1460};
/* IPv6 paths are at least 1280 bytes (RFC 8200 5): the MSS of a 1280-,
 * 1480-, 1500- and 9000-byte path, as Linux's msstab for IPv6. */
static const uint16_t mss_table6[4] = {1220, 1420, 1440, 8940};

/* FreeBSD's tcp_sc_msstab of its SipHash cookies (tcp_syncache.c, FreeBSD
 * 10 on): 216 is the floor, and a jumbo MSS rounds down to 1460. (The older MD5 cookies'
 * table, 0, 256, 468, 536, 996, 1452, 1460, 8960, gave a peer of 1300
 * only 996.) */
static const uint16_t bsd_mss[8] = {216, 536, 1200, 1360, 1400, 1440, 1452, 1460};
static const uint8_t bsd_ws[8] = {0, 0, 1, 2, 4, 6, 7, 8}; /* index 0: no wscale */

static const uint16_t *table_for(ip_addr faddr)
{
	return ip_addr_is_v4(faddr) ? mss_table : mss_table6;
}

static uint32_t cookie_mac(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			   uint16_t fport, uint32_t irs, uint32_t t, uint32_t idx)
{
	uint64_t a = tcp_keyed(s, laddr, lport, faddr, fport, irs);
	uint64_t b = tcp_keyed(s, laddr, lport, faddr, fport, 0xc0000000u | (t & 31) << 2 | idx);
	return (uint32_t)(a ^ (b >> 17)) & MAC_MASK;
}

/* FreeBSD's cookie for the flags byte (union syncookie: parity in bit 0,
 * SACK 1, wscale index 2-4, MSS index 5-7) in period t: the MAC's top 24
 * bits, the byte XORed with its top byte (syncookie_generate()). The
 * secret is the period's: t's parity picks one of the two, and a new one
 * each time it is reseeded. */
static uint32_t bsd_cookie(const gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			   uint16_t fport, uint32_t irs, uint32_t t, uint32_t flags)
{
	flags = (flags & 0xfe) | (t & 1);
	uint64_t a = tcp_keyed(s, laddr, lport, faddr, fport, irs);
	uint64_t b = tcp_keyed(s, laddr, lport, faddr, fport, 0xd0000000u | (t & 0xfffff) << 8 | flags);
	uint32_t hash = (uint32_t)(a ^ (b >> 13));
	return (hash & ~0xffu) | ((flags ^ (hash >> 24)) & 0xff);
}

/* FreeBSD's syncache_add() with net.inet.tcp.syncookies on (its default)
 * gives an entry the cookie as its ISS (sc->sc_iss =
 * syncookie_generate()), so the ACK of a cookie SYN-ACK and of the
 * entry's SYN-ACK for the same SYN are one ACK; they differ only when the
 * SYN-ACKs were made in different periods (the secret's rotation,
 * BSD_PERIOD_US) or for SYNs whose MSS, window scale or SACK index
 * differs. syncookie_generate(): the cookie for a SYN, in this period.
 * The MSS index is the SYN's offer alone (sc_peer_mss; 0 without the
 * option, so the table's floor, 216); tcp_mss() bounds it by the route
 * when the ACK rebuilds the connection. */
uint32_t tcp_syncookie_iss(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			   uint16_t fport, uint32_t irs, const struct tcp_opts *syn)
{
	uint16_t peer = syn->has_mss ? syn->mss : 0;
	uint32_t mi = 0, wi = 0;
	for (uint32_t i = 0; i < 8; i++)
		if (bsd_mss[i] <= peer)
			mi = i;
	if (syn->has_wscale && s->cfg.opt_wscale) {
		wi = 1;
		for (uint32_t i = 1; i < 8; i++)
			if (bsd_ws[i] <= syn->wscale)
				wi = i;
	}
	bool sack = syn->sack_ok && s->cfg.opt_sack;
	uint32_t t = (uint32_t)(s->now_us / BSD_PERIOD_US);
	return bsd_cookie(s, laddr, lport, faddr, fport, irs, t, mi << 5 | wi << 2 | (uint32_t)sack << 1);
}

static void send_bsd_cookie(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			    uint16_t fport, uint32_t irs, const struct tcp_opts *syn,
			    uint32_t rcvbuf, bool locked)
{
	uint16_t our_mss = tun_mss(s, ip_mss_for(s, faddr));
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.has_mss = true;
	o.mss = our_mss;
	if (syn->has_wscale && s->cfg.opt_wscale) {
		o.has_wscale = true;
		o.wscale = tcp_rcv_wscale(s, rcvbuf, locked);
	}
	o.sack_ok = syn->sack_ok && s->cfg.opt_sack;
	if (syn->has_ts && s->cfg.opt_timestamps) {
		o.has_ts = true;
		o.ts_val = (uint32_t)(s->now_us / 1000) +
			   tcp_ts_offset_tuple(s, laddr, lport, faddr, fport);
		o.ts_ecr = syn->ts_val;
	}
	uint32_t iss = tcp_syncookie_iss(s, laddr, lport, faddr, fport, irs, syn);
	uint16_t win = rcvbuf > 65535 ? 65535 : (uint16_t)rcvbuf;
	tcp_send_raw(s, laddr, lport, faddr, fport, iss, irs + 1, TH_SYN | TH_ACK, win, &o);
}

static bool check_bsd_cookie(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			     uint16_t fport, uint32_t irs, uint32_t iss, const struct tcp_opts *ack,
			     struct tcp_opts *o)
{
	/* syncookie_lookup(): the flags byte back from the ISS, its parity
	 * naming the secret: this period's, or the last one's until the
	 * reseed at the next period's start replaces it. */
	uint32_t flags = ((iss & 0xff) ^ (iss >> 24)) & 0xff;
	uint32_t now_t = (uint32_t)(s->now_us / BSD_PERIOD_US);
	for (uint32_t age = 0; age < 2 && age <= now_t; age++) {
		uint32_t t = now_t - age;
		if ((flags & 1) != (t & 1) ||
		    (bsd_cookie(s, laddr, lport, faddr, fport, irs, t, flags) & ~0xffu) !=
			    (iss & ~0xffu))
			continue;
		memset(o, 0, sizeof(*o));
		o->has_mss = true;
		o->mss = bsd_mss[flags >> 5 & 7];
		uint32_t wi = flags >> 2 & 7;
		o->has_wscale = wi != 0;
		o->wscale = bsd_ws[wi];
		o->sack_ok = flags >> 1 & 1;
		/* syncookie_expand(): the ACK's timestamp, whatever
		 * net.inet.tcp.rfc1323 says now. */
		if (ack && ack->has_ts) {
			o->has_ts = true;
			o->ts_val = ack->ts_val;
		}
		return true;
	}
	return false;
}

void tcp_send_syncookie(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			uint16_t fport, uint32_t irs, const struct tcp_opts *syn, uint32_t rcvbuf,
			bool locked, uint16_t maxseg)
{
	if (s->cfg.syncookie_bsd) {
		send_bsd_cookie(s, laddr, lport, faddr, fport, irs, syn, rcvbuf, locked);
		return;
	}
	/* The listener's TCP_MAXSEG bounds the MSS announced, as in the
	 * SYN-ACK of a connection that keeps state: Linux's tcp_make_synack()
	 * announces tcp_mss_clamp(listener, advmss), and tcp_parse_options()
	 * clamps the peer's MSS by it (user_mss) before cookie_init_sequence()
	 * picks the table entry. Announcing the route's 1440 under a
	 * TCP_MAXSEG of 1400 let the peer send 1428-byte segments to a
	 * window that rounds to whole 1400-byte ones: zero for ever (swarm
	 * seed 13300936). */
	uint16_t our_mss = tun_mss(s, ip_mss_for(s, faddr));
	if (maxseg && maxseg < our_mss)
		our_mss = maxseg;
	/* No MSS option: the family's default (RFC 9293 3.7.1), the
	 * mss_clamp tcp_conn_request() starts from (IPv6: IPV6_MIN_MTU - 60). */
	uint16_t peer = syn->has_mss && syn->mss ? syn->mss : (uint16_t)tcp_mss_default_for(s, faddr);
	const uint16_t *tab = table_for(faddr);
	uint32_t idx = 0;
	for (uint32_t i = 0; i < 4; i++)
		if (tab[i] <= peer && tab[i] <= our_mss)
			idx = i;
	uint32_t t = (uint32_t)(s->now_us / COOKIE_PERIOD_US);
	uint32_t iss = (t & 31) << 27 | idx << 25 |
		       cookie_mac(s, laddr, lport, faddr, fport, irs, t, idx);
	struct tcp_opts o;
	memset(&o, 0, sizeof(o));
	o.has_mss = true;
	o.mss = our_mss;
	if (syn->has_ts && s->cfg.opt_timestamps) {
		/* Only with timestamps can the other options be remembered. */
		uint8_t ws = 0xf;
		if (syn->has_wscale && s->cfg.opt_wscale) {
			ws = syn->wscale > 14 ? 14 : syn->wscale;
			o.has_wscale = true;
			o.wscale = tcp_rcv_wscale(s, rcvbuf, locked);
		}
		bool sack = syn->sack_ok && s->cfg.opt_sack;
		o.sack_ok = sack;
		uint32_t off = tcp_ts_offset_tuple(s, laddr, lport, faddr, fport);
		uint32_t now = (uint32_t)(s->now_us / 1000) + off;
		o.has_ts = true;
		o.ts_val = (now & ~0x1fu) | (uint32_t)sack << 4 | ws;
		/* Never ahead of the clock the connection's later segments use:
		 * a TSval up to 31 ms in the future makes the peer drop them by
		 * PAWS (RFC 7323 5.3). As Linux's cookie_init_timestamp(). */
		if ((int32_t)(o.ts_val - now) > 0)
			o.ts_val -= 0x20u;
		o.ts_ecr = syn->ts_val;
	}
	uint32_t wnd = tcp_initial_rwnd(s, rcvbuf, o.has_ts ? our_mss - 12u : our_mss);
	uint16_t win = wnd > 65535 ? 65535 : (uint16_t)wnd;
	tcp_send_raw(s, laddr, lport, faddr, fport, iss, irs + 1, TH_SYN | TH_ACK, win, &o);
}

int tcp_syncookie_check(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			uint16_t fport, uint32_t irs, uint32_t iss, const struct tcp_opts *ack,
			struct tcp_opts *o)
{
	if (s->cfg.syncookie_bsd)
		return check_bsd_cookie(s, laddr, lport, faddr, fport, irs, iss, ack, o) ? 1 : 0;
	uint32_t now_t = (uint32_t)(s->now_us / COOKIE_PERIOD_US);
	for (uint32_t age = 0; age < COOKIE_AGE_MAX; age++) {
		uint32_t t = now_t - age;
		if (age > now_t || iss >> 27 != (t & 31))
			continue;
		uint32_t idx = iss >> 25 & 3;
		if ((iss & MAC_MASK) != cookie_mac(s, laddr, lport, faddr, fport, irs, t, idx))
			continue;
		memset(o, 0, sizeof(*o));
		o->has_mss = true;
		o->mss = table_for(faddr)[idx];
		/* With tcp_timestamps switched off since the SYN-ACK,
		 * tcp_parse_options() does not see the ACK's timestamp, and
		 * cookie_timestamp_decode() builds the connection with none
		 * of the options the echo encodes (timestamps, SACK, window
		 * scale). An option the echo says was agreed and that is now
		 * off (tcp_sack, tcp_window_scaling) refuses the cookie: the
		 * ACK is answered as one to a listener, with an RST.
		 * tests/pkt/linux/syncookie-ack-after-*-off.pkt, checked on
		 * Linux 6.18. */
		if (ack && ack->has_ts && s->cfg.opt_timestamps) {
			uint32_t ws = ack->ts_ecr & 0xf;
			bool sack = ack->ts_ecr >> 4 & 1;
			if ((sack && !s->cfg.opt_sack) || (ws != 0xf && !s->cfg.opt_wscale))
				return -1;
			o->has_ts = true;
			o->ts_val = ack->ts_val;
			o->sack_ok = sack;
			if (ws != 0xf) {
				o->has_wscale = true;
				o->wscale = (uint8_t)ws;
			}
		}
		return 1;
	}
	return 0;
}

/* An RST with ACK reached a listener for a tuple with no TCB while cookies
 * are on. It may be a client's abort of a connection the listener has not
 * rebuilt yet because the cookie ACK is still on its way (reordered behind
 * the RST): remember it, so that ACK does not rebuild a connection its
 * client has already reset (seeds 2007111 and 2008392 of the swarm: a
 * server left half-open for ever). Likewise the end of a TCB a cookie
 * built: a duplicate of its handshake ACK, late, would rebuild a second
 * connection behind the client's sequence space (seed 874: 600 s of
 * FIN/ACK exchanges). Neither Linux nor FreeBSD remembers, so this is
 * glasstcp's own rule, off in both profiles (cfg.syncookie_end_on_rst);
 * an entry can only refuse an ACK carrying the same cookie, which a blind
 * attacker must guess as it would a sequence number. */
void tcp_syncookie_end(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
		       uint16_t fport, uint32_t seq, uint32_t ack)
{
	struct cookie_rst *e = &s->cookie_rst[s->cookie_rst_next];
	if (e->expire_us > s->now_us)
		s->st.TcpSyncookiesRstEvicted++;
	e->laddr = laddr;
	e->faddr = faddr;
	e->lport = lport;
	e->fport = fport;
	e->seq = seq;
	e->ack = ack;
	e->expire_us = s->now_us + COOKIE_AGE_MAX * COOKIE_PERIOD_US; /* no cookie lives longer */
	s->cookie_rst_next = (s->cookie_rst_next + 1) % GT_COOKIE_RST_SLOTS;
}

bool tcp_syncookie_after_end(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
			     uint16_t fport, uint32_t seq, uint32_t ack)
{
	for (uint32_t i = 0; i < GT_COOKIE_RST_SLOTS; i++) {
		const struct cookie_rst *e = &s->cookie_rst[i];
		/* Sent before the RST: the RST's SEQ is the client's SND.NXT
		 * when it aborted, so no later segment is below it. */
		if (e->expire_us > s->now_us && e->ack == ack && seq_le(seq, e->seq) &&
		    e->lport == lport && e->fport == fport && ip_addr_eq(e->laddr, laddr) &&
		    ip_addr_eq(e->faddr, faddr))
			return true;
	}
	return false;
}
