/* TCP flows of the relay: a SYN from the namespace is held while the relay's
 * own host socket connects (non-blocking connect()); only a connected
 * socket lets the SYN through to the stack, which answers SYN-ACK. A
 * refused connect is answered with an RST to the held SYN (RFC 9293
 * 3.10.7.1), an unreachable one with ICMP destination unreachable (RFC 792),
 * as a router in the path would: never SYN-ACK, then RST. Then bytes are
 * relayed both ways, read from one side only when the other took the last
 * read, FIN <-> shutdown(SHUT_WR), RST <-> SO_LINGER {1,0} close. The
 * phases and the NAT that shows flows to the stack: relay_int.h. */
#define _GNU_SOURCE
#include "runtime/relay/relay_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "util/be.h"

/* Chunks one flow moves in a row before the others get their turn. */
#define PUMP_ROUNDS 16

/* ---- synthetic peers (the NAT in front of the stack) ---- */

static uint32_t syn_addr(uint32_t slot) { return RELAY_SYN_NET + slot / RELAY_SYN_PORTS; }
static uint16_t syn_port(uint32_t slot) { return (uint16_t)(1024 + slot % RELAY_SYN_PORTS); }

static uint32_t slot_of(const struct relay *r, uint32_t addr, uint16_t port)
{
	if (addr < RELAY_SYN_NET || port < 1024 || port >= 1024 + RELAY_SYN_PORTS)
		return RELAY_NONE;
	uint64_t slot = (uint64_t)(addr - RELAY_SYN_NET) * RELAY_SYN_PORTS + (port - 1024u);
	return slot < r->tf_hi ? (uint32_t)slot : RELAY_NONE;
}

/* ---- the flow table ---- */

static uint32_t slot_no(const struct relay *r, const struct tflow *f) { return (uint32_t)(f - r->tf); }

static uint32_t *bucket(struct relay *r, uint32_t a, uint16_t ap, uint32_t b, uint16_t bp)
{
	return &r->tf_hash[relay_hash4(a, ap, b, bp) & r->tf_hash_mask];
}

static uint32_t lookup(struct relay *r, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	for (uint32_t i = *bucket(r, src, sport, dst, dport); i != RELAY_NONE; i = r->tf[i].hnext) {
		const struct tflow *f = &r->tf[i];
		if (f->ns_addr == src && f->ns_port == sport && f->dst_addr == dst && f->dst_port == dport &&
		    !f->v6)
			return i;
	}
	return RELAY_NONE;
}

/* An IPv6 flow: hashed by the addresses' folds, matched on the addresses. */
static uint32_t lookup6(struct relay *r, const struct relay_pkt *p)
{
	for (uint32_t i = *bucket(r, p->src, p->sport, p->dst, p->dport); i != RELAY_NONE;
	     i = r->tf[i].hnext) {
		const struct tflow *f = &r->tf[i];
		if (f->v6 && f->ns_port == p->sport && f->dst_port == p->dport &&
		    !memcmp(f->ns6, p->src6, 16) && !memcmp(f->dst6, p->dst6, 16))
			return i;
	}
	return RELAY_NONE;
}

static void unhash(struct relay *r, struct tflow *f)
{
	if (!f->hashed)
		return;
	uint32_t slot = slot_no(r, f);
	for (uint32_t *p = bucket(r, f->ns_addr, f->ns_port, f->dst_addr, f->dst_port); *p != RELAY_NONE;
	     p = &r->tf[*p].hnext) {
		if (*p == slot) {
			*p = f->hnext;
			break;
		}
	}
	f->hashed = false;
}

static struct tflow *flow_alloc(struct relay *r)
{
	uint32_t slot;
	if (r->tf_free != RELAY_NONE) {
		slot = r->tf_free;
		r->tf_free = r->tf[slot].hnext;
	} else if (r->tf_hi < r->tf_cap) {
		slot = r->tf_hi++;
	} else {
		return NULL;
	}
	struct tflow *f = &r->tf[slot];
	uint32_t gen = f->gen;
	memset(f, 0, sizeof(*f));
	f->gen = gen;
	f->fd = f->sd = -1;
	f->hnext = f->lnext = RELAY_NONE;
	f->start_us = r->now_us;
	r->tf_used++;
	r->st.FlowsNow = r->tf_used;
	if (r->tf_used > r->st.FlowsPeak)
		r->st.FlowsPeak = r->tf_used;
	return f;
}


/* A flow opened by the namespace that has moved no byte yet: the late
 * FINs wait for its first (defer_fin()). Ends at the first byte either
 * way, at either side's EOF, when the flow ends, and --late-us after
 * it opened (relay_tcp_fresh_expire()). */
static void fresh_end(struct relay *r, struct tflow *f)
{
	if (f->fresh) {
		f->fresh = false;
		r->fresh_n--;
	}
}

/* The flow opened: fresh until its first byte (fresh_end()),
 * --late-us at most (relay_tcp_fresh_expire()). A flow is pushed
 * once, when it opens, so the list is bounded by the flows. */
static void fresh_begin(struct relay *r, struct tflow *f)
{
	if (r->fresh_len == r->fresh_cap) {
		uint32_t cap = r->fresh_cap ? r->fresh_cap * 2 : 64;
		struct relay_fresh *v = realloc(r->fresh, cap * sizeof(*v));
		if (!v)
			return; /* not fresh: the late FINs and the ACK do not wait for it */
		r->fresh = v;
		r->fresh_cap = cap;
	}
	r->fresh[r->fresh_len++] = (struct relay_fresh){ (uint64_t)f->gen << 32 | slot_no(r, f), r->now_us };
	f->fresh = true;
	r->fresh_n++;
}

/* The held handshake ACK (host_socket()) goes now: TCP_QUICKACK sends an
 * ACK that is pending (Linux's __tcp_sock_set_quickack(), tcp_cleanup_rbuf()). */
static void ack_now(struct relay *r, struct tflow *f)
{
	if (!f->ack_held)
		return;
	f->ack_held = false;
	int one = 1;
	if (f->fd >= 0 && setsockopt(f->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one)) == 0)
		r->st.HostAcksForced++;
}

/* Gives the slot back; the stack must hold nothing for its synthetic
 * 4-tuple any more (or never have). */
static void flow_free(struct relay *r, struct tflow *f)
{
	fresh_end(r, f);
	unhash(r, f);
	if (f->fd >= 0)
		close(f->fd);
	if (f->sd >= 0) {
		gt_close(r->stack, f->sd);
		r->by_sd[f->sd] = RELAY_NONE;
	}
	free(f->syn);
	if (f->socks)
		r->st.SocksPending--;
	free(f->socks);
	f->socks = NULL;
	uint32_t slot = slot_no(r, f);
	f->phase = TF_FREE;
	f->gen++;
	f->dirty = f->mem_wait = false;
	f->syn = NULL;
	f->fd = f->sd = -1;
	f->hnext = r->tf_free;
	r->tf_free = slot;
	r->tf_used--;
	r->st.FlowsNow = r->tf_used;
}

/* The slot stays taken for two MSL: the stack holds TIME_WAIT (or may
 * still hear of a handshake it began) for the synthetic 4-tuple. */
static void flow_linger(struct relay *r, struct tflow *f)
{
	fresh_end(r, f);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->sd >= 0) {
		gt_close(r->stack, f->sd);
		r->by_sd[f->sd] = RELAY_NONE;
		f->sd = -1;
	}
	f->phase = TF_LINGER;
	f->deadline_us = r->now_us + 2ull * r->cfg.tun.cfg.msl_ms * 1000u + RELAY_SWEEP_US;
	f->lnext = RELAY_NONE;
	uint32_t slot = slot_no(r, f);
	if (r->linger_tail != RELAY_NONE)
		r->tf[r->linger_tail].lnext = slot;
	else
		r->linger_head = slot;
	r->linger_tail = slot;
	r->st.FlowsLinger++;
}

static int push(uint64_t **v, uint32_t *len, uint32_t *cap, uint64_t x)
{
	if (*len == *cap) {
		uint32_t c = *cap ? *cap * 2 : 64;
		uint64_t *n = realloc(*v, c * sizeof(*n));
		if (!n)
			return -ENOMEM;
		*v = n;
		*cap = c;
	}
	(*v)[(*len)++] = x;
	return 0;
}

static void mark_dirty(struct relay *r, struct tflow *f)
{
	if (f->dirty)
		return;
	uint64_t e = (uint64_t)f->gen << 32 | slot_no(r, f);
	if (push(&r->dirty, &r->dirty_len, &r->dirty_cap, e) == 0)
		f->dirty = true;
}

/* ---- setup ---- */

int relay_tcp_init(struct relay *r)
{
	r->tf_cap = r->cfg.max_flows;
	r->tf = calloc(r->tf_cap, sizeof(*r->tf));
	uint32_t hsize = 64;
	while (hsize < r->tf_cap)
		hsize *= 2;
	r->tf_hash = malloc(hsize * sizeof(*r->tf_hash));
	if (!r->tf || !r->tf_hash)
		return -ENOMEM;
	memset(r->tf_hash, 0xff, hsize * sizeof(*r->tf_hash));
	r->tf_hash_mask = hsize - 1;
	r->tf_free = r->linger_head = r->linger_tail = RELAY_NONE;
	/* One listener for every flow: the NAT shows each as a connection to
	 * gw_addr:RELAY_LISTEN_PORT from its synthetic peer. */
	r->lsd = gt_socket(r->stack, GT_AF_INET, GT_SOCK_STREAM);
	if (r->lsd < 0)
		return r->lsd;
	struct gt_sockaddr a = { .family = GT_AF_INET, .port = RELAY_LISTEN_PORT, .addr = r->cfg.gw_addr };
	int e = gt_bind(r->stack, r->lsd, &a);
	if (e == 0)
		e = gt_listen(r->stack, r->lsd, 4096);
	return e;
}

void relay_tcp_fini(struct relay *r)
{
	for (uint32_t i = 0; i < r->tf_hi; i++) {
		struct tflow *f = &r->tf[i];
		if (f->fd >= 0)
			close(f->fd);
		free(f->syn);
		free(f->socks);
	}
	for (unsigned k = 0; k < RELAY_POOL_KINDS; k++)
		for (unsigned i = 0; i < r->pool_len[k]; i++)
			close(r->pool[k][(r->pool_head[k] + i) % RELAY_POOL_PER]);
	free(r->tf);
	free(r->tf_hash);
	free(r->dirty);
	free(r->late);
	free(r->fresh);
	free(r->mem_wait);
	free(r->by_sd);
}

static int by_sd_set(struct relay *r, int sd, uint32_t slot)
{
	if ((uint32_t)sd >= r->by_sd_cap) {
		uint32_t c = r->by_sd_cap ? r->by_sd_cap : 256;
		while (c <= (uint32_t)sd)
			c *= 2;
		uint32_t *n = realloc(r->by_sd, c * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + r->by_sd_cap, 0xff, (c - r->by_sd_cap) * sizeof(*n));
		r->by_sd = n;
		r->by_sd_cap = c;
	}
	r->by_sd[sd] = slot;
	return 0;
}

/* ---- ends of a flow ---- */

static void set_closer(struct tflow *f, enum relay_closer c)
{
	if (f->first_close == CL_NONE)
		f->first_close = (uint8_t)c;
}

/* SO_LINGER {1,0}: a close() of the socket is an RST (Linux's
 * tcp_close(): "if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)",
 * tcp_disconnect()), {0,0}: the normal FIN. */
static void host_set_abort(int fd, bool abort_on_close)
{
	struct linger l = { .l_onoff = abort_on_close, .l_linger = 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

static void reset_close(int fd)
{
	host_set_abort(fd, true);
	close(fd);
}

static void host_linger0_close(struct tflow *f)
{
	if (f->fd < 0)
		return;
	reset_close(f->fd);
	f->fd = -1;
}

/* The stack side ends with an RST (SO_LINGER {1,0}); its TCB is gone
 * after the close, so the slot may be reused at once. */
static void stack_linger0_close(struct relay *r, struct tflow *f)
{
	if (f->sd < 0)
		return;
	struct gt_linger l = { .l_onoff = 1, .l_linger = 0 };
	gt_setsockopt(r->stack, f->sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof(l));
	gt_close(r->stack, f->sd);
	r->by_sd[f->sd] = RELAY_NONE;
	f->sd = -1;
}

/* The host side failed (reset by the far end, or timed out): an RST to the
 * namespace, as the far end's kernel would have sent one. */
static void host_abort(struct relay *r, struct tflow *f, int err)
{
	set_closer(f, CL_HOST_RST);
	r->st.ResetsFromHost++;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->phase == TF_OPEN || f->phase == TF_CLOSING) {
		stack_linger0_close(r, f);
		flow_free(r, f);
	} else {
		flow_linger(r, f); /* the stack may still finish a handshake for it */
	}
	(void)err;
}

/* The namespace side failed (its RST, or the stack gave up): an RST to the
 * host peer. */
static void ns_abort(struct relay *r, struct tflow *f, int err)
{
	set_closer(f, CL_NS_RST);
	r->st.ResetsFromNs++;
	host_linger0_close(f);
	stack_linger0_close(r, f);
	flow_free(r, f);
	(void)err;
}

/* ---- from the namespace: SYNs held, segments through the NAT ---- */

static void emit_rst_for(struct relay *r, struct relay_pkt *p)
{
	uint8_t out[64];
	size_t n = p->v6 ? relay_emit_rst6_for(out, sizeof(out), p)
			 : relay_emit_rst_for(out, sizeof(out), p, r->ip_id++);
	if (n)
		relay_tun_write(r, out, n);
}

/* ICMP destination unreachable from the gateway; for an IPv6 packet the
 * ICMPv6 code that says the same (RFC 4443 3.1). */
static void emit_unreach(struct relay *r, const uint8_t *pkt, size_t len, uint8_t code)
{
	uint8_t out[1280];
	size_t n;
	if (len && pkt[0] >> 4 == 6) {
		uint8_t c6 = code == RELAY_UNREACH_NET ? RELAY_UNREACH6_NOROUTE
			     : code == RELAY_UNREACH_ADMIN ? RELAY_UNREACH6_ADMIN : RELAY_UNREACH6_ADDR;
		n = relay_emit_icmp6_error(out, sizeof(out), r->cfg.gw_addr6, RELAY_ICMP6_UNREACH, c6, 0,
					   pkt, len);
	} else {
		n = relay_emit_unreach(out, sizeof(out), r->cfg.gw_addr, code, pkt, len, r->ip_id++);
	}
	if (n)
		relay_tun_write(r, out, n);
}

/* The host connect failed: the held SYN is answered as a router or the far
 * host would answer it, and the flow ends (the stack never saw it). */
static void connect_failed(struct relay *r, struct tflow *f, int err)
{
	struct relay_pkt p;
	if (relay_pkt_parse(f->syn, f->syn_len, &p) == RELAY_PKT_OK) {
		switch (err) {
		case ECONNREFUSED:
			emit_rst_for(r, &p);
			r->st.FlowsRefused++;
			break;
		case ENETUNREACH:
			emit_unreach(r, f->syn, f->syn_len, RELAY_UNREACH_NET);
			r->st.FlowsUnreachable++;
			break;
		case EACCES:
		case EPERM:
			emit_unreach(r, f->syn, f->syn_len, RELAY_UNREACH_ADMIN);
			r->st.FlowsUnreachable++;
			break;
		case ETIMEDOUT:
			emit_unreach(r, f->syn, f->syn_len, RELAY_UNREACH_HOST);
			r->st.FlowsTimedOut++;
			break;
		default:
			emit_unreach(r, f->syn, f->syn_len, RELAY_UNREACH_HOST);
			r->st.FlowsUnreachable++;
			break;
		}
	}
	set_closer(f, err == ECONNREFUSED ? CL_HOST_RST : CL_RELAY);
	flow_free(r, f);
}

/* partial: the segment's checksum field is partial (csum_partial). The
 * stack does not read it (rx_csum_verified: the relay checked the segment
 * already), but it is kept consistent for whoever looks. */
static void to_stack(struct relay *r, struct tflow *f, uint8_t **ip, size_t *len, bool partial)
{
	if (f->inbound)
		return; /* addressed to the stack's own tuple already */
	uint32_t slot = slot_no(r, f);
	if (f->v6) {
		/* The stack speaks IPv4 to the synthetic peer: the segment is
		 * translated (RFC 7915), and starts 20 bytes further on. */
		*len = relay_tcp6_to4(*ip, *len, syn_addr(slot), syn_port(slot), r->cfg.gw_addr,
				      RELAY_LISTEN_PORT, partial, r->ip_id++);
		*ip += 20;
		return;
	}
	relay_pkt_rewrite(*ip, (size_t)(**ip & 0xf) * 4, RELAY_PROTO_TCP, syn_addr(slot), syn_port(slot),
			  r->cfg.gw_addr, RELAY_LISTEN_PORT, partial);
}

/* The host socket connected: the held SYN goes to the stack now, which
 * answers it with its SYN-ACK. */
static void connected(struct relay *r, struct tflow *f)
{
	f->phase = TF_HANDSHAKE;
	f->deadline_us = r->now_us + (uint64_t)r->cfg.handshake_timeout_ms * 1000u;
	f->host_wr = true;
	f->ack_held = true; /* host_socket(): TCP_DEFER_ACCEPT */
	r->st.HostAcksHeld++;
	uint8_t *ip = f->syn;
	size_t len = f->syn_len;
	to_stack(r, f, &ip, &len, f->syn_partial);
	if (len)
		gt_stack_input(r->stack, r->now_us, ip, len);
	free(f->syn);
	f->syn = NULL;
}

/* ---- through a SOCKS5 proxy (--socks5) ---- */

static void say_once(struct relay *r, bool *said, const char *what, const char *why)
{
	if (*said || r->cfg.tun.quiet)
		return;
	*said = true;
	uint32_t a = r->cfg.socks5_addr;
	fprintf(stderr, "%s: the SOCKS5 proxy %u.%u.%u.%u:%u: %s: %s (said once; counted in the "
		"Socks counters)\n", r->prog, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255,
		r->cfg.socks5_port, what, why);
}

/* The proxy did not connect the flow. Its reply decides the answer to the
 * held SYN, as the far host or a router would have answered a direct
 * connect (RFC 1928 6): refused (0x05) -> RST, network or host unreachable
 * (0x03, 0x04) -> ICMP unreachable; any other failure, the proxy's own
 * (it refused us, closed, broke the protocol, denied the credentials) ->
 * RST, so that the namespace's connect() fails at once. */
static void socks_failed(struct relay *r, struct tflow *f, enum socks5_result res, int err)
{
	int as = ECONNREFUSED;
	if (res == SOCKS5_REPLY_FAILED) {
		uint8_t rep = f->socks->rep;
		if (rep == SOCKS5_REP_REFUSED) {
			r->st.SocksRefused++;
		} else if (rep == SOCKS5_REP_NET_UNREACH || rep == SOCKS5_REP_HOST_UNREACH) {
			r->st.SocksUnreachable++;
			as = rep == SOCKS5_REP_NET_UNREACH ? ENETUNREACH : EHOSTUNREACH;
		} else {
			r->st.SocksFailed++;
		}
	} else if (res == SOCKS5_NO_METHOD || res == SOCKS5_AUTH_FAILED) {
		r->st.SocksAuthFailed++;
		say_once(r, &r->socks_warned_auth, "authentication",
			 res == SOCKS5_NO_METHOD ? "no acceptable method (credentials needed?)"
						 : "username/password refused");
	} else if (res == SOCKS5_BAD_REPLY) {
		r->st.SocksBadReplies++;
		say_once(r, &r->socks_warned_proxy, "reply", "not a SOCKS5 reply");
	} else {
		r->st.SocksProxyErrors++;
		say_once(r, &r->socks_warned_proxy, "connection", err ? strerror(err) : "closed early");
	}
	connect_failed(r, f, as);
}

/* Moves the negotiation on as far as the socket allows (edge-triggered:
 * until EAGAIN). Returns true when the proxy has connected the flow (now
 * HANDSHAKE); false while it waits, or when it failed (the flow is freed). */
static bool socks_drive(struct relay *r, struct tflow *f)
{
	struct socks5 *s = f->socks;
	for (;;) {
		while (s->out_off < s->out_len) {
			ssize_t m = send(f->fd, s->out + s->out_off, s->out_len - s->out_off,
					 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (m < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return false;
			if (m < 0) {
				socks_failed(r, f, SOCKS5_AGAIN, errno);
				return false;
			}
			s->out_off = (uint16_t)(s->out_off + m);
		}
		/* Exactly the reply: what the server sends after it is the flow's. */
		ssize_t n = recv(f->fd, s->in + s->in_len, socks5_want(s), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		if (n <= 0) {
			socks_failed(r, f, SOCKS5_AGAIN, n < 0 ? errno : 0);
			return false;
		}
		enum socks5_result res = socks5_input(s, &r->cfg.socks5_creds, (size_t)n);
		if (res == SOCKS5_AGAIN)
			continue;
		if (res != SOCKS5_SUCCEEDED) {
			socks_failed(r, f, res, 0);
			return false;
		}
		r->st.SocksOk++;
		r->st.SocksPending--;
		free(f->socks);
		f->socks = NULL;
		connected(r, f);
		f->host_rd = true; /* bytes may have come with the reply */
		return true;
	}
}

/* Connected to the proxy: the greeting goes out. */
static bool socks_begin(struct relay *r, struct tflow *f)
{
	f->socks = malloc(sizeof(*f->socks));
	if (!f->socks) {
		socks_failed(r, f, SOCKS5_AGAIN, ENOMEM);
		return false;
	}
	r->st.SocksConnects++;
	r->st.SocksPending++;
	uint8_t to6[16];
	uint16_t port;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	if (f->host6) {
		/* An IPv4 lookup to an IPv6 resolver: ATYP 4. */
		socks5_start6(f->socks, &r->cfg.socks5_creds, r->cfg.dns_fwd_addr6, f->host_port);
	} else if (!f->v6) {
		socks5_start(f->socks, &r->cfg.socks5_creds, f->host_addr, f->host_port);
	} else if (relay_host_target6(r, f->dst6, f->dst_port, to6, &port) != 0) {
		socks_failed(r, f, SOCKS5_AGAIN, EHOSTUNREACH); /* not while the configuration stands */
		return false;
	} else if (memcmp(to6, mapped, 12)) {
		socks5_start6(f->socks, &r->cfg.socks5_creds, to6, port);
	} else {
		/* The resolver address: the IPv4 resolver, IPv4-mapped. */
		socks5_start(f->socks, &r->cfg.socks5_creds, get_be32(to6 + 12), port);
	}
	return socks_drive(r, f);
}

static const uint8_t lo6_addr[16] = { [15] = 1 };

/* ::1, or an IPv4-mapped loopback address (the resolver's on 127.0.0.53). */
static bool loopback6(const uint8_t a[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	return !memcmp(a, lo6_addr, 16) || (!memcmp(a, mapped, 12) && a[12] == 127);
}

/* The options of every host socket, far_addr its far end's address. */
static void host_tune(struct relay *r, int fd, bool loopback)
{
	/* TCP_NODELAY comes with the flow's second send (move_up()). */
	if (r->cfg.host_buf_bytes) {
		int b = (int)r->cfg.host_buf_bytes;
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &b, sizeof(b));
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &b, sizeof(b));
	}
	/* --loopback-cc: a pacing congestion control (BBR) on a loopback hop
	 * arms an hrtimer per burst in tcp_write_xmit() and nothing can be
	 * congested there (an upload through the relay: 8.6 -> 11.7 Gbit/s
	 * with cubic; docs/relay.md). */
	const char *cc = r->cfg.loopback_cc;
	if (cc && loopback && !r->loopback_cc_default &&
	    setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, (socklen_t)strlen(cc)) < 0)
		r->st.HostCcErrors++;
}

/* IP_RECVERR (IPV6_RECVERR) while a host socket connects somewhere
 * beyond the host: a router's ICMP error for the SYN is queued with the
 * router's address, type and code, and said with EPOLLERR, also when it
 * came while connect() still held the socket, which Linux otherwise keeps
 * as a soft error until the SYN is sent again a second later
 * (tcp_v4_err(), tcp_v6_err(): sk_err_soft when sock_owned_by_user()).
 * Turned off once connected: an open connection keeps Linux's soft
 * errors (with it on, tcp_v4_err() reports each one as sk_err). Not for
 * the loopback, where no router answers: no system call there. */
static bool recverr_set(int fd, bool v6, bool on)
{
	int v = on;
	return setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, &v,
			  sizeof(v)) == 0 && on;
}

/* One queued ICMP error of the socket: its report and the router that
 * sent it (SO_EE_OFFENDER). false when the queue is empty. */
static bool queued_error(int fd, struct sock_extended_err *ee, struct sockaddr_in6 *off)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))];
		struct cmsghdr align;
	} c;
	uint8_t data[64];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			     .msg_controllen = sizeof(c.buf) };
	if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return false;
	memset(ee, 0, sizeof(*ee));
	memset(off, 0, sizeof(*off));
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_len < CMSG_LEN(sizeof(*ee)) ||
		    !((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
		      (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(ee, CMSG_DATA(cm), sizeof(*ee));
		size_t ol = cm->cmsg_len - CMSG_LEN(sizeof(*ee));
		memcpy(off, CMSG_DATA(cm) + sizeof(*ee), ol < sizeof(*off) ? ol : sizeof(*off));
	}
	return true;
}

/* The router's ICMP error for the held SYN, from the error queue: passed
 * on to the namespace from that router, with its type and code, quoting
 * the SYN (RFC 1812 4.3.2.3: a router forwards an error back to the
 * original sender; the relay translated the SYN, so it translates the
 * error back). Returns the error's errno, or 0 when none is queued. */
static int connect_icmp_error(struct relay *r, struct tflow *f)
{
	struct sock_extended_err ee;
	struct sockaddr_in6 off;
	for (int k = 0; k < 8 && queued_error(f->fd, &ee, &off); k++) {
		/* What Linux fails a SYN_SENT socket on: unreachable (not a
		 * next-hop MTU), time exceeded, parameter problem. */
		bool fatal = f->v6 ? ee.ee_origin == SO_EE_ORIGIN_ICMP6 &&
					     (ee.ee_type == RELAY_ICMP6_UNREACH ||
					      ee.ee_type == RELAY_ICMP6_TIME_EXCEEDED ||
					      ee.ee_type == RELAY_ICMP6_PARAM_PROBLEM)
				   : ee.ee_origin == SO_EE_ORIGIN_ICMP &&
					     ((ee.ee_type == RELAY_ICMP_UNREACH && ee.ee_code != 4) ||
					      ee.ee_type == RELAY_ICMP_TIME_EXCEEDED ||
					      ee.ee_type == RELAY_ICMP_PARAM_PROBLEM);
		if (!fatal || !ee.ee_errno)
			continue;
		uint8_t out[1280];
		size_t n = 0;
		if (f->v6 && off.sin6_family == AF_INET6) {
			n = relay_emit_icmp6_error(out, sizeof(out), off.sin6_addr.s6_addr, ee.ee_type, ee.ee_code,
						   0, f->syn, f->syn_len);
		} else if (!f->v6 && off.sin6_family == AF_INET) {
			struct sockaddr_in o4;
			memcpy(&o4, &off, sizeof(o4));
			n = relay_emit_icmp_error(out, sizeof(out), ntohl(o4.sin_addr.s_addr), ee.ee_type,
						  ee.ee_code, 0, f->syn, f->syn_len, r->ip_id++);
		}
		if (!n)
			return 0; /* no router named: the errno's answer, from the gateway */
		relay_tun_write(r, out, n);
		r->st.FlowsUnreachable++;
		r->st.IcmpErrorsRelayed++;
		return (int)ee.ee_errno;
	}
	return 0;
}

/* A host socket with every option it connects with. recverr: with
 * IP_RECVERR (recverr_set()); *recverr_on says whether it took. */
static int host_socket(struct relay *r, int family, bool loopback, bool recverr, bool *recverr_on)
{
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	host_tune(r, fd, loopback);
	/* Until the namespace's FIN is passed on, any close of this socket is
	 * an abort, and says so with an RST: also the kernel's close when the
	 * relay is killed, where a FIN would tell the server that a cut-off
	 * upload ended cleanly (interop.relay_kill). sink_shutdown() clears it. */
	host_set_abort(fd, true);
	/* The handshake's last ACK waits for the first byte or the FIN, which
	 * carry it: Linux's tcp_rcv_synsent_state_process() saves that ACK
	 * when the connecting socket has TCP_DEFER_ACCEPT ("Save one ACK"),
	 * the established socket arms its delayed-ACK timer (TCP_DELACK_MAX)
	 * instead, and connect() still completes (RFC 1122 4.2.3.2 allows the
	 * delay). The server's accept() then comes with the request, one
	 * wakeup of the server where there were two, and the loopback
	 * connect() no longer wakes the server and loses the CPU to it before
	 * the namespace's SYN-ACK is written (docs/relay.md, Numbers). A flow
	 * with nothing to send sends the ACK --late-us after it opened
	 * (TCP_QUICKACK: relay_tcp_fresh_expire()). */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &one, sizeof(one));
	*recverr_on = recverr && recverr_set(fd, family == AF_INET6, true);
	return fd;
}

/* The pool's kinds: a socket's options follow its family, whether its far
 * end is the loopback (host_tune(): --loopback-cc) and whether it has
 * IP_RECVERR (new_flow()), so a socket made ahead serves only a
 * destination of its own kind. */
static unsigned pool_kind(int family, bool loopback, bool recverr)
{
	return (family == AF_INET6) * 4u + loopback * 2u + recverr;
}

/* The host socket for a namespace SYN. socket() and its options
 * (host_socket(): SO_LINGER, IP_RECVERR, --loopback-cc, --host-buf) are
 * 3-6 system calls, about 10 us of the SYN's path (docs/relay.md,
 * Numbers): a socket of the SYN's kind made ahead at an idle moment
 * (relay_tcp_pool_fill()) is taken instead, the same socket with the same
 * options that host_socket() makes here otherwise. Nothing of a TCP
 * connection is chosen before connect(): the source address and port, the
 * route and the SYN's options all come with it (Linux's tcp_v4_connect(),
 * tcp_v6_connect()). The kind's FIFO is filled up to RELAY_POOL_PER at the
 * next idle moment, and only for kinds that a SYN asked for: an idle relay
 * that never saw a SYN holds none. */
static int pool_take(struct relay *r, int family, bool loopback, bool recverr, bool *recverr_on)
{
	unsigned k = pool_kind(family, loopback, recverr);
	r->pool_want |= (uint8_t)(1u << k);
	if (!r->pool_len[k])
		return host_socket(r, family, loopback, recverr, recverr_on);
	int fd = r->pool[k][r->pool_head[k]];
	r->pool_head[k] = (uint8_t)((r->pool_head[k] + 1u) % RELAY_POOL_PER);
	r->pool_len[k]--;
	r->st.SocketsTakenReady++;
	*recverr_on = recverr;
	return fd;
}

/* At the loop's idle moment (relay.c, run_loop()): the pool's kinds that
 * SYNs took from are filled up. A socket() that fails (the descriptor
 * limit), or an IP_RECVERR that does not take, leaves the kind short until
 * the next SYN of that kind asks again; that SYN makes its own, as
 * before. */
void relay_tcp_pool_fill(struct relay *r)
{
	for (unsigned k = 0; k < RELAY_POOL_KINDS; k++) {
		if (!(r->pool_want & (1u << k)))
			continue;
		while (r->pool_len[k] < RELAY_POOL_PER) {
			bool recverr = k & 1u, on = false;
			int fd = host_socket(r, k & 4u ? AF_INET6 : AF_INET, k & 2u, recverr, &on);
			if (fd >= 0 && on != recverr)
				close(fd);
			if (fd < 0 || on != recverr)
				break;
			r->pool[k][(r->pool_head[k] + r->pool_len[k]) % RELAY_POOL_PER] = fd;
			r->pool_len[k]++;
			r->st.SocketsMadeAhead++;
		}
	}
	r->pool_want = 0;
}

static void new_flow(struct relay *r, struct relay_pkt *p)
{
	uint32_t to_addr = 0;
	uint16_t to_port = p->dport;
	uint8_t to6[16];
	bool via = r->cfg.socks5_port != 0;
	/* With --socks5 an IPv6 destination is a CONNECT with ATYP 4 (the
	 * proxy's own address is IPv4): socks_begin(). */
	int t = !p->v6 ? relay_host_target(r, p->dst, p->dport, RELAY_PROTO_TCP, &to_addr, to6, &to_port)
		       : relay_host_target6(r, p->dst6, p->dport, to6, &to_port);
	if (t == -1) {
		emit_rst_for(r, p);
		r->st.RstToBlocked++;
		return;
	}
	if (t < 0) {
		emit_unreach(r, p->ip, p->len, RELAY_UNREACH_HOST);
		r->st.FlowsUnreachable++;
		return;
	}
	struct tflow *f = flow_alloc(r);
	if (!f) {
		r->st.FlowLimitHit++; /* the SYN is dropped; the namespace retries */
		return;
	}
	f->ns_addr = p->src;
	f->ns_port = p->sport;
	f->dst_addr = p->dst;
	f->dst_port = p->dport;
	f->host_addr = to_addr;
	f->host_port = to_port;
	f->host6 = t == 1;
	f->phase = TF_CONNECTING;
	if (p->v6) {
		f->v6 = true;
		memcpy(f->ns6, p->src6, 16);
		memcpy(f->dst6, p->dst6, 16);
		r->st.Flows6Opened++;
	}
	uint32_t timeout_ms = r->cfg.connect_timeout_ms;
	if (!timeout_ms && r->cfg.socks5_port)
		timeout_ms = RELAY_SOCKS_TIMEOUT_MS;
	f->deadline_us = timeout_ms ? r->now_us + (uint64_t)timeout_ms * 1000u : UINT64_MAX;
	f->syn = malloc(p->len);
	bool six = (p->v6 || f->host6) && !via; /* the proxy's address is IPv4 */
	bool lo = via ? r->cfg.socks5_addr >> 24 == 127 : six ? loopback6(to6) : to_addr >> 24 == 127;
	/* IP_RECVERR not for an IPv4 lookup to an IPv6 resolver (host6): an
	 * ICMPv6 error there is answered by its errno, from the gateway. */
	bool recverr = false;
	int fd = f->syn ? pool_take(r, six ? AF_INET6 : AF_INET, lo, !lo && !via && !f->host6, &recverr)
			: -ENOMEM;
	if (fd < 0) {
		r->st.FlowSocketErrors++; /* dropped: the namespace retries its SYN */
		flow_free(r, f);
		return;
	}
	f->recverr = recverr;
	memcpy(f->syn, p->ip, p->len);
	f->syn_len = (uint16_t)p->len;
	f->syn_partial = p->csum_partial;
	f->fd = fd;
	uint32_t slot = slot_no(r, f);
	uint32_t *b = bucket(r, f->ns_addr, f->ns_port, f->dst_addr, f->dst_port);
	f->hnext = *b;
	*b = slot;
	f->hashed = true;
	r->st.FlowsOpened++;
	if (relay_ep_add(r, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
			 relay_tag(EVK_TCP, slot, f->gen)) < 0) {
		r->st.FlowSocketErrors++;
		flow_free(r, f);
		return;
	}
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(via ? r->cfg.socks5_port : to_port),
				   .sin_addr.s_addr = htonl(via ? r->cfg.socks5_addr : to_addr) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(to_port) };
	memcpy(&sin6.sin6_addr, to6, 16);
	struct sockaddr *sa = six ? (struct sockaddr *)&sin6 : (struct sockaddr *)&sin;
	socklen_t salen = six ? sizeof(sin6) : sizeof(sin);
	int c = connect(fd, sa, salen);
	/* To the loopback the handshake has run by the time connect()
	 * returns (the SYN, the listener's SYN-ACK and the socket's ACK go
	 * through the loopback's softirq on the way out of the call, the
	 * SYN-ACK from the socket's backlog at release_sock()), yet it says
	 * EINPROGRESS. Asked again, a non-blocking connect() says 0 for an
	 * established socket, EALREADY while the SYN waits, the error for a
	 * refused one (Linux's __inet_stream_connect()): the held SYN is
	 * answered in this pass, not after another epoll_wait() (one
	 * connection in flight: the namespace's SYN-ACK or RST a loop pass
	 * sooner). Not beyond the host: nothing has come back yet. */
	if (c < 0 && errno == EINPROGRESS && lo) {
		c = connect(fd, sa, salen);
		if (c < 0 && errno == EALREADY)
			errno = EINPROGRESS;
		r->st.ConnectsAtOnce += c == 0;
	}
	if (c == 0)
		via ? (void)socks_begin(r, f) : connected(r, f);
	else if (errno != EINPROGRESS)
		via ? socks_failed(r, f, SOCKS5_AGAIN, errno) : connect_failed(r, f, errno);
}

/* ---- forwarded in (-t) ---- */

void relay_tcp_forward(struct relay *r, int fd, bool v6, uint32_t peer_addr, uint16_t peer_port,
		       uint16_t host_port, uint16_t ns_port)
{
	struct tflow *f = flow_alloc(r);
	int sd = f ? gt_socket(r->stack, v6 ? GT_AF_INET6 : GT_AF_INET, GT_SOCK_STREAM) : -ENOBUFS;
	if (!f)
		r->st.FlowLimitHit++;
	if (sd < 0 || by_sd_set(r, sd, slot_no(r, f)) < 0) {
		/* No room: the client is reset rather than left waiting. */
		r->st.FwdErrors++;
		if (sd >= 0)
			gt_close(r->stack, sd);
		if (f)
			flow_free(r, f);
		reset_close(fd);
		return;
	}
	f->inbound = true;
	f->phase = TF_DIALING;
	f->fd = fd;
	f->sd = sd;
	f->host_addr = peer_addr;
	f->host_port = peer_port;
	f->fwd_port = host_port;
	f->ns_addr = r->cfg.ns_addr;
	f->ns_port = ns_port;
	uint32_t ms = r->cfg.connect_timeout_ms ? r->cfg.connect_timeout_ms : r->cfg.handshake_timeout_ms;
	f->deadline_us = r->now_us + (uint64_t)ms * 1000u;
	int one = 1;
	/* An IPv6 client's address comes as its fold: ::1's fold names the
	 * loopback (another address folding to it would only get the
	 * loopback's congestion control). */
	host_tune(r, fd, v6 ? peer_addr == relay_fold6(lo6_addr) : peer_addr >> 24 == 127);
	host_set_abort(fd, true); /* as host_socket()'s */
	gt_setsockopt(r->stack, sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one));
	/* The stack's first address is the gateway's: the namespace sees the
	 * connection come from 10.0.2.2, as slirp4netns shows it; an IPv6
	 * client's from fd00::2, the stack's IPv6 address (relay.c gives it
	 * one when there is -t), natively: no NAT and no translation. */
	struct gt_sockaddr to = { .family = GT_AF_INET, .port = ns_port, .addr = r->cfg.ns_addr };
	if (v6) {
		to.family = GT_AF_INET6;
		memcpy(to.addr6.b, r->cfg.ns_addr6, 16);
		f->v6 = true;
		memcpy(f->ns6, r->cfg.ns_addr6, 16);
		f->ns_addr = relay_fold6(f->ns6);
	}
	struct gt_sockaddr me;
	int e = gt_connect(r->stack, sd, &to);
	if (e != -EINPROGRESS || gt_getsockname(r->stack, sd, &me) < 0) {
		r->st.FwdErrors++; /* no ephemeral port left, no memory */
		set_closer(f, CL_RELAY);
		host_linger0_close(f);
		stack_linger0_close(r, f);
		flow_free(r, f);
		return;
	}
	/* Keyed as the namespace's segments will name it: from ns_port to the
	 * stack's ephemeral port. */
	f->dst_addr = me.addr;
	f->dst_port = me.port;
	if (v6) {
		memcpy(f->dst6, me.addr6.b, 16);
		f->dst_addr = relay_fold6(f->dst6);
	}
	uint32_t slot = slot_no(r, f);
	uint32_t *b = bucket(r, f->ns_addr, f->ns_port, f->dst_addr, f->dst_port);
	f->hnext = *b;
	*b = slot;
	f->hashed = true;
	if (relay_ep_add(r, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
			 relay_tag(EVK_TCP, slot, f->gen)) < 0) {
		r->st.FwdErrors++;
		set_closer(f, CL_RELAY);
		host_linger0_close(f);
		stack_linger0_close(r, f);
		flow_free(r, f);
	}
}

/* The stack's connect into the namespace failed: the host client gets
 * what a closed port would have given it had the relay not accepted
 * first, an RST (SO_LINGER {1,0}). */
static void dial_failed(struct relay *r, struct tflow *f, int err)
{
	if (err == ECONNREFUSED)
		r->st.FwdRefused++;
	else if (err == ETIMEDOUT)
		r->st.FwdTimedOut++;
	else
		r->st.FwdUnreachable++;
	set_closer(f, err == ETIMEDOUT ? CL_RELAY : CL_NS_RST);
	host_linger0_close(f);
	stack_linger0_close(r, f);
	flow_free(r, f);
}

/* TCP keepalive on both halves (--keepalive): a dead peer on either side
 * ends the flow as its reset would (ETIMEDOUT on that side). */
static void keepalive_on(struct relay *r, struct tflow *f)
{
	const struct relay_config *c = &r->cfg;
	if (!c->keepidle_s)
		return;
	int one = 1, idle = (int)c->keepidle_s, intvl = (int)c->keepintvl_s, cnt = (int)c->keepcnt;
	setsockopt(f->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(f->fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(f->fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(f->fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	gt_setsockopt(r->stack, f->sd, GT_SOL_SOCKET, GT_SO_KEEPALIVE, &one, sizeof(one));
	gt_setsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_KEEPIDLE, &idle, sizeof(idle));
	gt_setsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_KEEPINTVL, &intvl, sizeof(intvl));
	gt_setsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_KEEPCNT, &cnt, sizeof(cnt));
}

/* Both halves are up: the flow relays from now on. */
static void flow_opened(struct relay *r, struct tflow *f)
{
	f->active_us = r->now_us;
	keepalive_on(r, f);
}

/* DIALING: has the namespace answered the stack's SYN? true once
 * established (the flow is OPEN), false while it waits or when it failed. */
static bool dial_done(struct relay *r, struct tflow *f)
{
	int err = 0;
	size_t len = sizeof(err);
	if (gt_getsockopt(r->stack, f->sd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len) == 0 && err) {
		dial_failed(r, f, err);
		return false;
	}
	struct gt_tcp_info ti;
	len = sizeof(ti);
	if (gt_getsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) < 0 ||
	    ti.state == GT_TCP_CLOSED) {
		dial_failed(r, f, ECONNRESET);
		return false;
	}
	if (ti.state == GT_TCP_SYN_SENT)
		return false;
	f->phase = TF_OPEN;
	f->ns_rd = f->ns_wr = true;
	f->ns_err = false;
	flow_opened(r, f);
	r->st.FwdEstablished++;
	return true;
}

/* Every segment passes the checksum before anything looks at it, as before
 * a kernel's TCP (RFC 9293 3.1; Linux's tcp_v4_rcv() drops it,
 * TCP_MIB_CSUMERRORS): the relay checks it, the stack does not
 * (rx_csum_verified). A partial checksum is the namespace's kernel's own
 * segment, straight from its memory, and is taken as a veth would. */
static bool csum_ok(struct relay *r, const struct relay_pkt *p)
{
	if (p->csum_partial || relay_pkt_l4_csum_ok(p))
		return true;
	r->st.RxBadCsum++;
	return false;
}

bool relay_tcp_from_ns(struct relay *r, struct relay_pkt *p)
{
	if (!csum_ok(r, p))
		return false;
	uint32_t slot = p->v6 ? lookup6(r, p) : lookup(r, p->src, p->sport, p->dst, p->dport);
	bool syn = (p->flags & (RELAY_TCP_SYN | RELAY_TCP_ACK | RELAY_TCP_RST)) == RELAY_TCP_SYN;
	if (slot != RELAY_NONE) {
		struct tflow *f = &r->tf[slot];
		if (f->phase == TF_CONNECTING) {
			if (p->flags & RELAY_TCP_RST) {
				/* The namespace gave up its connect (RST to no SYN-ACK:
				 * rare, raw sockets): so does the relay. */
				set_closer(f, CL_NS_RST);
				host_linger0_close(f);
				flow_free(r, f);
			} else if (syn && p->len <= f->syn_len) {
				/* A retransmitted SYN while the host connects: the newest
				 * is kept (its timestamp), none goes to the stack yet. */
				memcpy(f->syn, p->ip, p->len);
				f->syn_len = (uint16_t)p->len;
				f->syn_partial = p->csum_partial;
				r->st.SynRetransHeld++;
			}
			return false;
		}
		if (!(syn && (f->phase == TF_CLOSING || f->phase == TF_LINGER))) {
			to_stack(r, f, &p->ip, &p->len, p->csum_partial);
			return p->len != 0;
		}
		/* A new connection on a 4-tuple whose last one the namespace
		 * has forgotten (it was the passive closer): a new flow with a
		 * new synthetic peer; the old slot keeps its stack state. */
		unhash(r, f);
	}
	if (syn) {
		new_flow(r, p);
	} else if (!(p->flags & RELAY_TCP_RST)) {
		emit_rst_for(r, p); /* no such connection (RFC 9293 3.10.7.1) */
		r->st.RstToStray++;
	}
	return false;
}

bool relay_tcp_to_ns(struct relay *r, uint8_t **ipp, size_t *len)
{
	uint8_t *ip = *ipp;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4;
	const uint8_t *t = ip + ihl;
	uint32_t dst = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 | (uint32_t)ip[18] << 8 | ip[19];
	uint16_t dport = (uint16_t)(t[2] << 8 | t[3]);
	if (dst == r->cfg.ns_addr)
		return true; /* a forwarded flow (-t): the stack's own connection, no NAT */
	uint32_t slot = slot_of(r, dst, dport);
	if (slot == RELAY_NONE || r->tf[slot].phase == TF_FREE || r->tf[slot].phase == TF_CONNECTING) {
		r->st.NatMisses++;
		return false;
	}
	const struct tflow *f = &r->tf[slot];
	if (f->v6) {
		/* Back to IPv6 (RFC 7915 4.1), 20 bytes before: the caller left room. */
		*len = relay_tcp4_to6(ip, *len, f->dst6, f->dst_port, f->ns6, f->ns_port, r->tx_partial);
		*ipp = ip - 20;
		return *len != 0;
	}
	relay_pkt_rewrite(ip, ihl, RELAY_PROTO_TCP, f->dst_addr, f->dst_port, f->ns_addr, f->ns_port, r->tx_partial);
	return true;
}

/* ---- events ---- */

static int sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

void relay_tcp_host_event(struct relay *r, uint32_t slot, uint32_t gen, uint32_t ev)
{
	if (slot >= r->tf_hi || r->tf[slot].gen != gen || r->tf[slot].phase == TF_FREE)
		return;
	struct tflow *f = &r->tf[slot];
	if (f->phase == TF_CONNECTING && f->socks) {
		if (!socks_drive(r, f))
			return;
	} else if (f->phase == TF_CONNECTING) {
		if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		/* A failed connect says EPOLLERR; a clean EPOLLOUT is a connected
		 * socket, and the getsockopt() is saved. */
		if ((ev & EPOLLERR) && f->recverr && connect_icmp_error(r, f)) {
			set_closer(f, CL_RELAY);
			flow_free(r, f); /* answered: the router's error went to the namespace */
			return;
		}
		int err = ev & (EPOLLERR | EPOLLHUP) ? sock_error(f->fd) : 0;
		if (ev & (EPOLLERR | EPOLLHUP) && !err) {
			/* With IP_RECVERR, EPOLLERR may say only that an ICMP that
			 * fails no connect (a next-hop MTU) is queued: wait on. */
			if (!f->recverr || (ev & EPOLLHUP))
				err = ECONNRESET;
			else if (!(ev & EPOLLOUT))
				return;
		}
		bool via = r->cfg.socks5_port != 0;
		if (err) {
			via ? socks_failed(r, f, SOCKS5_AGAIN, err) : connect_failed(r, f, err);
			return;
		}
		if (f->recverr)
			f->recverr = recverr_set(f->fd, f->v6, false);
		if (via && !socks_begin(r, f))
			return;
		if (!via)
			connected(r, f);
		/* The same edge may say the server spoke first (a banner):
		 * edge-triggered, it will not be said again. */
	}
	if (ev & EPOLLOUT)
		f->host_wr = true;
	if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
		f->host_rd = true;
		f->host_rd_guess = false; /* no peek: it is there */
	}
	if (ev & (EPOLLRDHUP | EPOLLHUP))
		f->host_rdhup = true;
	if (ev & EPOLLERR)
		f->host_err = true;
	mark_dirty(r, f);
}

static void accept_all(struct relay *r)
{
	for (;;) {
		struct gt_sockaddr peer;
		int sd = gt_accept(r->stack, r->lsd, &peer);
		if (sd == -ECONNABORTED)
			continue; /* FreeBSD profile: a child reset in the queue */
		if (sd < 0)
			return;
		uint32_t slot = slot_of(r, peer.addr, peer.port);
		struct tflow *f = slot != RELAY_NONE ? &r->tf[slot] : NULL;
		if (!f || f->phase != TF_HANDSHAKE || by_sd_set(r, sd, slot) < 0) {
			/* A handshake the relay gave up on: reset it. */
			struct gt_linger l = { .l_onoff = 1, .l_linger = 0 };
			gt_setsockopt(r->stack, sd, GT_SOL_SOCKET, GT_SO_LINGER, &l, sizeof(l));
			gt_close(r->stack, sd);
			r->st.NatMisses++;
			continue;
		}
		int one = 1;
		gt_setsockopt(r->stack, sd, GT_IPPROTO_TCP, GT_TCP_NODELAY, &one, sizeof(one));
		f->sd = sd;
		f->phase = TF_OPEN;
		f->ns_rd = f->ns_wr = true;
		fresh_begin(r, f);
		flow_opened(r, f);
		r->st.FlowsEstablished++;
		mark_dirty(r, f);
	}
}

void relay_tcp_stack_events(struct relay *r)
{
	struct gt_event ev[256];
	size_t n;
	while ((n = gt_events(r->stack, ev, 256)) > 0) {
		for (size_t i = 0; i < n; i++) {
			int sd = ev[i].sd;
			if (sd == r->lsd) {
				accept_all(r);
				continue;
			}
			if ((uint32_t)sd >= r->by_sd_cap || r->by_sd[sd] == RELAY_NONE)
				continue;
			struct tflow *f = &r->tf[r->by_sd[sd]];
			uint32_t re = ev[i].revents;
			if (re & (GT_POLLIN | GT_POLLHUP | GT_POLLRDHUP | GT_POLLERR))
				f->ns_rd = true;
			if (re & GT_POLLOUT)
				f->ns_wr = true;
			if (re & GT_POLLERR)
				f->ns_err = true;
			mark_dirty(r, f);
		}
	}
}

/* ---- relaying ---- */

/* The stack had no memory for the flow's send buffer (--stack-mem, its
 * max_buffer_bytes; the stack counts TcpBufLimit): not an error of the
 * flow. It is tried again at the start of the next pass: the stack frees
 * buffers only in its input and timers, which come before every pass. */
static bool stack_mem_wait(struct relay *r, struct tflow *f)
{
	r->st.StackMemWaits++;
	if (!f->mem_wait &&
	    push(&r->mem_wait, &r->mem_wait_len, &r->mem_wait_cap,
		 (uint64_t)f->gen << 32 | slot_no(r, f)) == 0)
		f->mem_wait = true;
	return true;
}

/* Is the stack's side of the flow past ESTABLISHED by the namespace's FIN? */
static bool ns_fin_received(struct relay *r, const struct tflow *f)
{
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	if (gt_getsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) < 0)
		return true;
	return ti.state != GT_TCP_ESTABLISHED;
}

/* The iovecs of spans, at most max bytes in all. */
static int span_iov(const struct gt_span sp[2], size_t max, struct iovec iov[2], size_t *total)
{
	int n = 0;
	*total = 0;
	for (int i = 0; i < 2 && max && sp[i].len; i++) {
		size_t l = sp[i].len < max ? sp[i].len : max;
		iov[n++] = (struct iovec){ sp[i].base, l };
		max -= l;
		*total += l;
	}
	return n;
}

/* What one move of a direction did. */
enum move {
	MV_MOVED,         /* *moved bytes (> 0) */
	MV_EOF,           /* the source ended */
	MV_SOURCE_EMPTY,
	MV_SINK_FULL,
	MV_STACK_NOMEM,   /* the stack has no memory for the send buffer */
	MV_NS_ERR,        /* *moved holds -errno of the namespace's side */
	MV_HOST_ERR,      /* ... of the host socket */
};

/* A send() or shutdown() on a host socket to the loopback runs the
 * server's TCP input and wakes it; on a busy machine the server often
 * takes the CPU then (wakeup preemption) and answers before the call
 * returns: its reply (or its FIN) is in the socket already. One that
 * took RELAY_LOST_CPU_US or more lost the CPU on its way out, and the
 * flow's host side is read in this pump instead of at the next
 * epoll_wait(): the reply goes to the namespace in the same pass, and
 * carries the ACK the relay holds for the request (relay.c: hold_ack()),
 * one device write fewer (ReadsAfterSend; RepliesAtOnce when it found
 * bytes or the EOF). Else the read (move_down()) is one
 * EAGAIN, and the edge-triggered EPOLLIN comes with the reply as before. Only while the
 * relay holds ACKs, i.e. for a short group from the device (request and
 * response traffic): a bulk upload's long sends want no reply read; and
 * for the shutdown() of a FIN passed on late (defer_fin()). */
static void lost_cpu(struct relay *r, struct tflow *f, uint64_t t0)
{
	if (!(r->hold_acks || r->late_now) || f->host_rd || tun_now_us() - t0 < RELAY_LOST_CPU_US)
		return;
	f->host_rd = f->host_rd_guess = true;
	r->st.ReadsAfterSend++;
}

/* Namespace -> host: the stack's received bytes go to the host socket
 * straight from its receive buffer (gt_recv_spans()), and only what the
 * host socket took is consumed; the rest stays there, and the window the
 * namespace sees stays closed by it. */
static enum move move_up(struct relay *r, struct tflow *f, ssize_t *moved)
{
	struct gt_span sp[2];
	ssize_t n = gt_recv_spans(r->stack, f->sd, sp);
	*moved = n;
	if (n == 0)
		return MV_EOF;
	if (n == -EAGAIN)
		return MV_SOURCE_EMPTY;
	if (n < 0)
		return MV_NS_ERR;
	struct iovec iov[2];
	size_t want;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)span_iov(sp, r->cfg.chunk_bytes, iov, &want) };
	/* The namespace's sender did its own coalescing: what reaches the
	 * relay goes on at once (TCP_NODELAY). Nagle's algorithm holds back
	 * only a segment smaller than the MSS while data is unacknowledged
	 * (RFC 1122 4.2.3.4; Linux's tcp_nagle_check()), and at a flow's
	 * first send none is, so a first send of at most
	 * RELAY_NAGLE_FREE_BYTES (one segment at any MSS) leaves at once
	 * without it: the option is set before the second send, or a
	 * bigger first one, and a connection that sends one request and
	 * closes makes one setsockopt() fewer (HostNoDelaySet counts the
	 * flows that set it). */
	if (!f->host_nodelay && (f->bytes_up || want > RELAY_NAGLE_FREE_BYTES)) {
		int one = 1;
		setsockopt(f->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		f->host_nodelay = true;
		r->st.HostNoDelaySet++;
	}
	uint64_t t0 = tun_now_us();
	ssize_t m = sendmsg(f->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (m < 0) {
		*moved = -errno;
		return errno == EAGAIN || errno == EWOULDBLOCK ? MV_SINK_FULL : MV_HOST_ERR;
	}
	lost_cpu(r, f, t0);
	f->ack_held = false; /* the bytes carried it */
	gt_recv_consume(r->stack, f->sd, (size_t)m);
	*moved = m;
	/* A short write filled the socket: the next would fail with EAGAIN.
	 * Linux's tcp_sendmsg_locked() set SOCK_NOSPACE on the way out, so
	 * the edge-triggered EPOLLOUT comes when there is room. */
	if ((size_t)m < want)
		f->host_wr = false;
	return MV_MOVED;
}

/* How much one read of the host socket asks for: a chunk, within the
 * stack's free send buffer (room), cut to whole segments of the stack's
 * connection when it holds one or more. A full read then leaves no short
 * tail that the stack (TCP_NODELAY) would send on its own: a 65,536-byte
 * read at the relay's MTU was a 65,468-byte segment and a 68-byte one, two
 * device writes and two segments for the namespace's TCP to take in where
 * one does. A short read (the socket emptied) still goes out whole. */
static size_t down_limit(struct relay *r, const struct tflow *f, size_t room)
{
	size_t lim = r->cfg.chunk_bytes < room ? r->cfg.chunk_bytes : room;
	int mss = 0;
	size_t len = sizeof(mss);
	if (gt_getsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_MAXSEG, &mss, &len) == 0 && mss > 0 &&
	    lim >= (size_t)mss)
		lim -= lim % (size_t)mss;
	return lim;
}

/* Host -> namespace: the host socket's bytes are read straight into the
 * stack's send buffer (gt_send_spans()) and sent from there. */
static enum move move_down(struct relay *r, struct tflow *f, ssize_t *moved)
{
	bool guess = f->host_rd_guess;
	f->host_rd_guess = false;
	struct gt_span sp[2];
	ssize_t n = gt_send_spans(r->stack, f->sd, sp);
	*moved = n;
	if (n == -ENOBUFS && guess) {
		/* A guess (lost_cpu()) when the stack's memory is spent: a
		 * peek first, so that an empty socket does not put the flow
		 * in the wait for memory (stack_mem_wait()). */
		char b;
		ssize_t k = recv(f->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
		if (k < 0) {
			*moved = -errno;
			return errno == EAGAIN || errno == EWOULDBLOCK ? MV_SOURCE_EMPTY : MV_HOST_ERR;
		}
		if (k == 0) {
			*moved = 0;
			return MV_EOF;
		}
	}
	if (n == -EAGAIN)
		return MV_SINK_FULL;
	if (n == -ENOBUFS)
		return MV_STACK_NOMEM;
	if (n < 0)
		return MV_NS_ERR;
	struct iovec iov[2];
	size_t want;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)span_iov(sp, down_limit(r, f, (size_t)n), iov, &want) };
	ssize_t m = recvmsg(f->fd, &mh, MSG_DONTWAIT);
	if (m <= 0) {
		/* Nothing written: the send buffer gt_send_spans() took for
		 * an empty socket goes back at once (the commit of nothing),
		 * so a guessed read costs --stack-mem nothing, and no peek
		 * before it is needed (interop.relay_limits: a buffer held
		 * per flow with nothing to send starved eight uploads under
		 * 256 KiB). */
		gt_send_commit(r->stack, f->sd, 0, 0);
	}
	if (m < 0) {
		*moved = -errno;
		return errno == EAGAIN || errno == EWOULDBLOCK ? MV_SOURCE_EMPTY : MV_HOST_ERR;
	}
	*moved = m;
	if (guess)
		r->st.RepliesAtOnce++;
	if (m == 0) {
		/* The server's FIN after the shutdown() of a flow the
		 * namespace closed first, found by the guessed read in one
		 * call (GuessedEofs; a peek and a recvmsg() before). */
		if (guess)
			r->st.GuessedEofs++;
		return MV_EOF;
	}
	gt_send_commit(r->stack, f->sd, (size_t)m, 0);
	/* DownReadsShort: the reads whose tail may be a short segment of its
	 * own (down_limit()); interop.relay_segments allows one per such
	 * read, as a loaded machine makes them. */
	r->st.DownReads++;
	if ((size_t)m < want)
		r->st.DownReadsShort++;
	/* A short read emptied the socket: the next would fail with EAGAIN
	 * (a recvmsg() per flow saved; the edge-triggered EPOLLIN comes with
	 * the next bytes). Not once the far end's FIN is in (EPOLLRDHUP): no
	 * edge would say so again, and the next read is the EOF. */
	if ((size_t)m < want && !f->host_rdhup)
		f->host_rd = false;
	return MV_MOVED;
}

/* Ends the flow for an error on the namespace's side or the host's. */
static void side_abort(struct relay *r, struct tflow *f, bool ns, int err)
{
	if (ns)
		ns_abort(r, f, err);
	else
		host_abort(r, f, err);
}

/* The source's EOF: counted, and remembered if this side closed first. */
static void source_eof(struct relay *r, struct tflow *f, bool up)
{
	uint64_t *fins = up ? &r->st.FinsFromNs : &r->st.FinsFromHost;
	(*fins)++;
	fresh_end(r, f);
	if (f->first_close == CL_NONE) {
		f->first_close = up ? CL_NS_FIN : CL_HOST_FIN;
		if (up)
			r->st.NsClosedFirst++;
		else
			r->st.HostClosedFirst++;
	}
}

/* The namespace's FIN, passed on to the host socket (shutdown()), waits
 * for a moment when the loop has nothing else to do (relay.c,
 * wait_events(): an epoll_wait() with timeout 0 that finds nothing; while
 * the loop spins, RELAY_LATE_MIN_US after the FIN at the earliest), or
 * --late-us at the latest.
 * With one connection in flight the namespace's client closes and connects
 * again at once: its FIN comes through the device just before its next
 * SYN, and the FIN's shutdown() ran the server's TCP input and woke it,
 * then the read of the server's EOF, the FIN to the namespace and the
 * close() followed, all before the next SYN was read or the next request
 * was sent (bench/relay_timeline.sh: the previous connection's shutdown()
 * came before the next request's sendmsg() in 1,505 of 1,526
 * connections). Nothing else changes: the FIN still follows every byte
 * before it (the up direction is at its EOF), and the host socket closes
 * after both FINs as before. FinsDeferred counts the FINs, LateRuns the
 * runs of the list.
 * Nor while a flow the namespace opened has moved no byte yet (fresh_n,
 * relay_tcp_late_ready()): run at the first idle moment after the next
 * SYN-ACK, the shutdown() woke the server, which took the relay's CPU for
 * its EOF and close() (10 us) just as the namespace's first request came,
 * and the old flow's EOF read, FIN and close() went before that request's
 * sendmsg() (1,279 of 1,658 connections, bench/relay_timeline.sh). A first
 * request is what a new connection waits for; the old one's close work
 * waits for it, --late-us at the latest (LateAtDeadline). */
static bool defer_fin(struct relay *r, struct tflow *f)
{
	if (r->late_now)
		return false;
	if (f->late)
		return true;
	uint64_t e = (uint64_t)f->gen << 32 | slot_no(r, f);
	if (push(&r->late, &r->late_len, &r->late_cap, e) < 0)
		return false; /* no memory for the list: at once, as before */
	if (r->late_len == 1)
		r->late_since_us = r->now_us;
	f->late = true;
	r->st.FinsDeferred++;
	return true;
}

/* The source ended and everything is passed on: the sink's side closes. */
static void sink_shutdown(struct relay *r, struct tflow *f, bool up)
{
	if (up) {
		/* The namespace ended its side: from here the socket's close is
		 * the ordinary one (after both FINs, in pump_flow()). */
		host_set_abort(f->fd, false);
		f->ack_held = false; /* the FIN carries it */
		uint64_t t0 = tun_now_us();
		shutdown(f->fd, SHUT_WR);
		lost_cpu(r, f, t0);
		return;
	}
	/* The stack closes first unless the namespace's FIN is in already:
	 * then the namespace holds TIME_WAIT. */
	f->stack_fin_first = !ns_fin_received(r, f);
	gt_shutdown(r->stack, f->sd, GT_SHUT_WR);
}

static void count_bytes(struct relay *r, struct tflow *f, bool up, uint64_t m)
{
	f->active_us = r->now_us;
	fresh_end(r, f);
	*(up ? &f->bytes_up : &f->bytes_down) += m;
	*(up ? &r->st.BytesUp : &r->st.BytesDown) += m;
}

/* Moves one direction's bytes while the sink takes them and the source has
 * some, at most *rounds moves. The relay holds no bytes of its own: what a
 * sink does not take stays in its source (the stack's receive buffer, the
 * host socket's receive queue) and the source is read again when the sink
 * says it has room. Returns false when the flow ended. */
static bool pump_dir(struct relay *r, struct tflow *f, bool up, int *rounds)
{
	struct rdir *d = up ? &f->up : &f->down;
	bool *sink_wr = up ? &f->host_wr : &f->ns_wr;
	bool *source_rd = up ? &f->ns_rd : &f->host_rd;
	for (;;) {
		if (d->eof) {
			if (!d->shut) {
				if (up && defer_fin(r, f))
					return true;
				sink_shutdown(r, f, up);
				d->shut = true;
			}
			return true;
		}
		if (!*source_rd || !*sink_wr || (*rounds)-- <= 0)
			return true;
		ssize_t m;
		switch (up ? move_up(r, f, &m) : move_down(r, f, &m)) {
		case MV_MOVED:
			break;
		case MV_EOF:
			d->eof = true;
			source_eof(r, f, up);
			continue;
		case MV_SOURCE_EMPTY:
			*source_rd = false;
			return true;
		case MV_SINK_FULL:
			*sink_wr = false;
			return true;
		case MV_STACK_NOMEM:
			return stack_mem_wait(r, f);
		case MV_NS_ERR:
			side_abort(r, f, true, (int)-m);
			return false;
		case MV_HOST_ERR:
			side_abort(r, f, false, (int)-m);
			return false;
		}
		count_bytes(r, f, up, (uint64_t)m);
	}
}

/* CLOSING: the host side is closed; the stack's TCB ends by itself
 * (LAST_ACK answered, or TIME_WAIT taken over by the compact table). */
static void check_closing(struct relay *r, struct tflow *f)
{
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	if (gt_getsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) == 0 &&
	    ti.state != GT_TCP_CLOSED)
		return;
	if (f->stack_fin_first)
		flow_linger(r, f);
	else
		flow_free(r, f);
}

static void pump(struct relay *r, struct tflow *f)
{
	if (f->phase == TF_CLOSING) {
		check_closing(r, f);
		return;
	}
	if (f->phase == TF_DIALING && !dial_done(r, f))
		return;
	if (f->phase != TF_OPEN)
		return;
	if (f->ns_err) {
		int err = 0;
		size_t len = sizeof(err);
		f->ns_err = false;
		if (gt_getsockopt(r->stack, f->sd, GT_SOL_SOCKET, GT_SO_ERROR, &err, &len) == 0 && err) {
			ns_abort(r, f, err);
			return;
		}
	}
	if (f->host_err) {
		f->host_err = false;
		int err = sock_error(f->fd);
		if (err) {
			host_abort(r, f, err);
			return;
		}
	}
	int rounds = PUMP_ROUNDS;
	if (!pump_dir(r, f, true, &rounds) || !pump_dir(r, f, false, &rounds))
		return;
	if (rounds < 0)
		mark_dirty(r, f); /* more to move: after the others */
	if (f->up.shut && f->down.shut) {
		/* Both FINs crossed: the host socket is done (its TIME_WAIT, if
		 * it closed first, is the kernel's), the stack's is closing. */
		close(f->fd);
		f->fd = -1;
		f->phase = TF_CLOSING;
		check_closing(r, f);
	}
}

/* Marks the flows waiting for the stack's memory dirty. */
static void wake_mem_wait(struct relay *r)
{
	for (uint32_t i = 0; i < r->mem_wait_len; i++) {
		struct tflow *f = &r->tf[(uint32_t)r->mem_wait[i]];
		if (f->gen == (uint32_t)(r->mem_wait[i] >> 32) && f->mem_wait) {
			f->mem_wait = false;
			mark_dirty(r, f);
		}
	}
	r->mem_wait_len = 0;
}

void relay_tcp_pump_dirty(struct relay *r)
{
	/* Flows that waited for the stack's memory go first. */
	wake_mem_wait(r);
	/* Pumping may mark flows again (a flow that used its rounds, or one
	 * another flow's pump made ready): those are appended and wait for the
	 * next pass, after the device and the sockets have been read again. */
	uint32_t n = r->dirty_len;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t slot = (uint32_t)r->dirty[i];
		struct tflow *f = &r->tf[slot];
		if (f->gen != (uint32_t)(r->dirty[i] >> 32) || !f->dirty)
			continue;
		f->dirty = false;
		pump(r, f);
	}
	if (r->dirty_len > n)
		memmove(r->dirty, r->dirty + n, (r->dirty_len - n) * sizeof(*r->dirty));
	r->dirty_len -= n;
}

/* May the late FINs go at an idle moment (defer_fin())? Not while a flow
 * that opened waits for its first byte. */
bool relay_tcp_late_ready(const struct relay *r)
{
	return r->late_len && !r->fresh_n;
}

/* Fresh flows that have waited --late-us for their first byte stop
 * being fresh: their held ACK goes (a server that speaks first, SMTP or
 * SSH, sees the connection then), and the late FINs no longer wait for
 * them. */
void relay_tcp_fresh_expire(struct relay *r)
{
	while (r->fresh_head < r->fresh_len) {
		const struct relay_fresh *x = &r->fresh[r->fresh_head];
		struct tflow *f = &r->tf[(uint32_t)x->e];
		if (f->gen == (uint32_t)(x->e >> 32) && f->fresh) {
			if (r->now_us - x->at_us < r->cfg.late_us)
				break;
			ack_now(r, f);
			fresh_end(r, f);
		}
		r->fresh_head++;
	}
	if (r->fresh_head == r->fresh_len) {
		r->fresh_head = r->fresh_len = 0;
	} else if (r->fresh_head >= r->fresh_cap / 2) {
		memmove(r->fresh, r->fresh + r->fresh_head, (r->fresh_len - r->fresh_head) * sizeof(*r->fresh));
		r->fresh_len -= r->fresh_head;
		r->fresh_head = 0;
	}
}

/* When relay_tcp_fresh_expire() has work next (the oldest entry may be
 * stale: then earlier than needed, once). */
uint64_t relay_tcp_fresh_deadline(const struct relay *r)
{
	return r->fresh_head < r->fresh_len ? r->fresh[r->fresh_head].at_us + r->cfg.late_us : UINT64_MAX;
}

/* Passes on the late FINs (defer_fin()); the caller handles what follows
 * (relay.c, after_input()). */
void relay_tcp_run_late(struct relay *r)
{
	if (!r->late_len)
		return;
	r->st.LateRuns++;
	r->late_now = true;
	for (uint32_t i = 0; i < r->late_len; i++) {
		struct tflow *f = &r->tf[(uint32_t)r->late[i]];
		if (f->gen != (uint32_t)(r->late[i] >> 32) || !f->late)
			continue;
		f->late = false;
		pump(r, f);
	}
	r->late_len = 0;
	r->late_now = false;
}

/* ---- timeouts ---- */

void relay_tcp_sweep(struct relay *r)
{
	while (r->linger_head != RELAY_NONE && r->tf[r->linger_head].deadline_us <= r->now_us) {
		struct tflow *f = &r->tf[r->linger_head];
		r->linger_head = f->lnext;
		if (r->linger_head == RELAY_NONE)
			r->linger_tail = RELAY_NONE;
		flow_free(r, f);
	}
	for (uint32_t i = 0; i < r->tf_hi; i++) {
		struct tflow *f = &r->tf[i];
		switch (f->phase) {
		case TF_CONNECTING:
			if (f->deadline_us <= r->now_us) {
				r->st.SocksTimeouts += r->cfg.socks5_port != 0;
				connect_failed(r, f, ETIMEDOUT);
			}
			break;
		case TF_HANDSHAKE:
			if (f->deadline_us <= r->now_us) {
				/* The namespace never completed the handshake. */
				r->st.HandshakeTimeouts++;
				set_closer(f, CL_RELAY);
				host_linger0_close(f);
				flow_linger(r, f);
			}
			break;
		case TF_OPEN:
			if (r->cfg.tcp_idle_timeout_ms &&
			    f->active_us + (uint64_t)r->cfg.tcp_idle_timeout_ms * 1000u <= r->now_us) {
				/* Idle past --idle-timeout-ms: reset on both sides, as
				 * a NAT that forgets a mapping would leave it, but said. */
				r->st.IdleTimeouts++;
				set_closer(f, CL_RELAY);
				host_linger0_close(f);
				stack_linger0_close(r, f);
				flow_free(r, f);
			}
			break;
		case TF_CLOSING:
			check_closing(r, f);
			break;
		case TF_DIALING:
			if (f->deadline_us <= r->now_us)
				dial_failed(r, f, ETIMEDOUT); /* the namespace never answered */
			break;
		default:
			break;
		}
	}
}

void relay_tcp_abort_all(struct relay *r)
{
	for (uint32_t i = 0; i < r->tf_hi; i++) {
		struct tflow *f = &r->tf[i];
		if (f->phase == TF_FREE || f->phase == TF_LINGER)
			continue;
		set_closer(f, CL_RELAY);
		host_linger0_close(f);
		stack_linger0_close(r, f);
		flow_free(r, f);
	}
}

uint32_t relay_tcp_active(const struct relay *r)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < r->tf_hi; i++)
		n += r->tf[i].phase != TF_FREE && r->tf[i].phase != TF_LINGER;
	return n;
}

/* ---- the listing ---- */

static const char *host_state_name(int fd)
{
	static const char *const names[] = { "?", "ESTABLISHED", "SYN_SENT", "SYN_RECV",
		"FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING" };
	if (fd < 0)
		return "closed";
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 || ti.tcpi_state >= 12)
		return "?";
	return names[ti.tcpi_state];
}

static const char *ns_state_name(struct relay *r, const struct tflow *f)
{
	switch (f->phase) {
	case TF_CONNECTING:
		if (!r->cfg.socks5_port)
			return "SYN held (host connecting)";
		if (!f->socks)
			return "SYN held (connecting to the proxy)";
		switch (f->socks->step) {
		case SOCKS5_METHOD: return "SYN held (proxy: greeting sent)";
		case SOCKS5_AUTH: return "SYN held (proxy: username/password sent)";
		default: return "SYN held (proxy: CONNECT sent)";
		}
	case TF_HANDSHAKE: return "SYN_RECEIVED (not accepted yet)";
	case TF_LINGER: return "TIME_WAIT (slot held)";
	default: break;
	}
	struct gt_tcp_info ti;
	size_t len = sizeof(ti);
	if (f->sd < 0 || gt_getsockopt(r->stack, f->sd, GT_IPPROTO_TCP, GT_TCP_INFO, &ti, &len) < 0)
		return "?";
	return gt_tcp_state_name((enum gt_tcp_state)ti.state);
}

static const char *closer_name(uint8_t c)
{
	static const char *const names[] = { "-", "namespace FIN", "host FIN", "namespace RST",
		"host RST", "relay" };
	return c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

static void ip4(char *b, size_t n, uint32_t a, uint16_t p)
{
	snprintf(b, n, "%u.%u.%u.%u:%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, p);
}

static void ip6(char *b, size_t n, const uint8_t a[16], uint16_t p)
{
	char s[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a, s, sizeof(s));
	snprintf(b, n, "[%s]:%u", s, p);
}

void relay_tcp_list(struct relay *r, FILE *out)
{
	uint32_t shown = 0;
	fprintf(out, "--- tcp flows (%u, %u active) ---\n", r->tf_used, relay_tcp_active(r));
	for (uint32_t i = 0; i < r->tf_hi; i++) {
		const struct tflow *f = &r->tf[i];
		if (f->phase == TF_FREE)
			continue;
		if (++shown > 1000) {
			fprintf(out, "(more not shown)\n");
			break;
		}
		char a[64], b[64], h[64];
		if (f->v6) {
			uint8_t to[16];
			ip6(a, sizeof(a), f->ns6, f->ns_port);
			ip6(b, sizeof(b), f->dst6, f->dst_port);
			uint16_t tp;
			struct sockaddr_in6 peer;
			socklen_t pl = sizeof(peer);
			if (f->inbound) /* the client, not kept in the flow: asked here */
				f->fd >= 0 && getpeername(f->fd, (struct sockaddr *)&peer, &pl) == 0
					? ip6(h, sizeof(h), peer.sin6_addr.s6_addr, ntohs(peer.sin6_port))
					: (void)snprintf(h, sizeof(h), "?");
			else if (relay_host_target6(r, f->dst6, f->dst_port, to, &tp) == 0)
				ip6(h, sizeof(h), to, f->host_port);
			else
				snprintf(h, sizeof(h), "?");
		} else {
			ip4(a, sizeof(a), f->ns_addr, f->ns_port);
			ip4(b, sizeof(b), f->dst_addr, f->dst_port);
			f->host6 ? ip6(h, sizeof(h), r->cfg.dns_fwd_addr6, f->host_port)
				 : ip4(h, sizeof(h), f->host_addr, f->host_port);
		}
		if (f->inbound) {
			fprintf(out, "tcp-in %s -> host port %u -> %s (from %s)  ns %s  host %s  in %" PRIu64
				" B  out %" PRIu64 " B  first close: %s  age %.3f s\n", h, f->fwd_port, a, b,
				ns_state_name(r, f), host_state_name(f->fd), f->bytes_down, f->bytes_up,
				closer_name(f->first_close), (double)(r->now_us - f->start_us) / 1e6);
			continue;
		}
		fprintf(out, "tcp %s -> %s (host %s%s)  ns %s  host %s  up %" PRIu64 " B  down %" PRIu64
			" B  first close: %s  age %.3f s\n", a, b, h,
			r->cfg.socks5_port ? " via socks5" : "", ns_state_name(r, f),
			host_state_name(f->fd), f->bytes_up, f->bytes_down, closer_name(f->first_close),
			(double)(r->now_us - f->start_us) / 1e6);
	}
}
