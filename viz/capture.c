/* The capture behind the ladder diagram and the graphs (see capture.h).
 * Packets are matched to their fate on the link: a drop is reported in the
 * same transmit call as the packet's SENT; a delivery comes later and is
 * matched by a hash of the bytes, oldest first, on its direction. */
#include <stdlib.h>
#include <string.h>

#include "viz/capture.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp_wire.h"

#define CAP_NONE UINT32_MAX
/* How far a delivery may lag behind older packets of its direction still in
 * flight (reordering, jitter) and still be matched. */
#define CAP_MATCH_WINDOW 65536u

void cap_init(struct capture *c, int client_host, uint32_t client_addr, int server_host,
	      uint32_t server_addr)
{
	memset(c, 0, sizeof(*c));
	c->client_host = client_host;
	c->server_host = server_host;
	c->client_addr = client_addr;
	c->server_addr = server_addr;
	c->max_pkts = CAP_MAX_PKTS_DEFAULT;
	c->max_events = CAP_MAX_EVENTS_DEFAULT;
	c->last = CAP_NONE;
}

void cap_free(struct capture *c)
{
	free(c->pkt);
	free(c->ev);
	c->pkt = NULL;
	c->ev = NULL;
}

static uint64_t fnv1a(const uint8_t *b, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static bool grow(void **v, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return true;
	uint32_t n = *cap ? *cap * 2 : 1024;
	void *p = realloc(*v, (size_t)n * size);
	if (!p)
		return false;
	*v = p;
	*cap = n;
	return true;
}

/* Parses an IPv4/TCP or IPv6/TCP packet into p; false for anything else. */
static bool parse(struct capture *c, const uint8_t *b, size_t len, struct cap_pkt *p)
{
	struct tcp_hdr th;
	size_t seg_len;
	if (len && b[0] >> 4 == 6) {
		struct ipv6_hdr h6;
		struct ipv6_chain c6;
		memset(&c6, 0, sizeof(c6));
		if (ipv6_parse_packet(b, len, &h6, &c6) != IPV6_OK || c6.proto != IPPROTO_TCP_ ||
		    ipv6_tcp_parse(b + c6.l4_off, c6.l4_len, &h6.src, &h6.dst, &th, true) != TCP_OK)
			return false;
		seg_len = c6.l4_len;
		p->v6 = true;
		if (!c->has6) {
			c->client_addr6 = p->from_client ? h6.src : h6.dst;
			c->server_addr6 = p->from_client ? h6.dst : h6.src;
			c->has6 = true;
		}
	} else {
		struct ipv4_hdr ih;
		if (ipv4_parse(b, len, &ih) != IPV4_OK || ih.proto != IPPROTO_TCP_)
			return false;
		if (tcp_parse(b + ih.ihl_bytes, ih.total_len - ih.ihl_bytes, ih.src, ih.dst, &th) !=
		    TCP_OK)
			return false;
		seg_len = (size_t)ih.total_len - ih.ihl_bytes;
	}
	p->seq = th.seq;
	p->ack = th.ack;
	p->len = (uint32_t)(seg_len - th.doff_bytes);
	p->flags = th.flags;
	p->win = th.win;
	p->mss = th.opts.has_mss ? th.opts.mss : 0;
	p->wscale = th.opts.has_wscale ? th.opts.wscale : CAP_NO_WSCALE;
	p->nsack = th.opts.nsack > CAP_MAX_SACK ? CAP_MAX_SACK : th.opts.nsack;
	for (uint8_t i = 0; i < p->nsack; i++) {
		p->sack[i][0] = th.opts.sack[i].left;
		p->sack[i][1] = th.opts.sack[i].right;
	}
	p->cport = p->from_client ? th.sport : th.dport;
	return true;
}

static void on_sent(struct capture *c, const struct gt_sim_packet_info *in)
{
	c->last = CAP_NONE;
	bool from_client = in->from == c->client_host && in->to == c->server_host;
	bool from_server = in->from == c->server_host && in->to == c->client_host;
	if (!from_client && !from_server)
		return;
	if (c->npkt >= c->max_pkts || !grow((void **)&c->pkt, &c->pkt_cap, c->npkt + 1, sizeof(*c->pkt))) {
		c->pkts_over++;
		return;
	}
	struct cap_pkt *p = &c->pkt[c->npkt];
	memset(p, 0, sizeof(*p));
	p->from_client = from_client;
	if (!parse(c, in->pkt, in->len, p))
		return;
	p->sent_us = in->now_us;
	p->hash = fnv1a(in->pkt, in->len);
	p->fate = CAP_INFLIGHT;
	c->last = c->npkt++;
}

static void on_delivered(struct capture *c, const struct gt_sim_packet_info *in)
{
	bool from_client = in->from == c->client_host;
	int dir = from_client ? 0 : 1;
	uint64_t h = fnv1a(in->pkt, in->len);
	uint32_t i = c->pending[dir], seen = 0;
	while (i < c->npkt && (c->pkt[i].fate != CAP_INFLIGHT || c->pkt[i].from_client != from_client))
		i++;
	c->pending[dir] = i;
	for (; i < c->npkt && seen < CAP_MATCH_WINDOW; i++) {
		struct cap_pkt *p = &c->pkt[i];
		if (p->from_client != from_client || p->fate != CAP_INFLIGHT)
			continue;
		seen++;
		if (p->hash == h) {
			p->fate = CAP_DELIVERED;
			p->done_us = in->now_us;
			return;
		}
	}
	c->unmatched++;
}

void cap_tap(void *ctx, const struct gt_sim_packet_info *in)
{
	struct capture *c = ctx;
	if (in->fate == GT_SIM_SENT) {
		on_sent(c, in);
		return;
	}
	if (in->fate == GT_SIM_DELIVERED) {
		if ((in->from == c->client_host && in->to == c->server_host) ||
		    (in->from == c->server_host && in->to == c->client_host))
			on_delivered(c, in);
		return;
	}
	if (c->last == CAP_NONE)
		return;
	struct cap_pkt *p = &c->pkt[c->last];
	switch (in->fate) {
	case GT_SIM_LOST:
	case GT_SIM_QUEUE_DROP:
	case GT_SIM_MTU_DROP:
	case GT_SIM_DOWN_DROP:
	case GT_SIM_NO_ROUTE:
		if (p->fate == CAP_INFLIGHT) {
			p->fate = CAP_DROPPED;
			p->drop_fate = (uint8_t)in->fate;
			p->done_us = in->now_us;
		}
		break;
	case GT_SIM_DUPLICATED:
		p->dup = true;
		break;
	case GT_SIM_CORRUPTED:
		/* The receiver gets (and drops, on its checksum) these bytes. */
		p->corrupted = true;
		p->hash = fnv1a(in->pkt, in->len);
		break;
	case GT_SIM_REORDERED:
		p->reordered = true;
		break;
	default:
		break;
	}
}

static void add_event(struct capture *c, const struct cap_event *e)
{
	if (c->nev >= c->max_events || !grow((void **)&c->ev, &c->ev_cap, c->nev + 1, sizeof(*c->ev))) {
		c->events_over++;
		return;
	}
	c->ev[c->nev++] = *e;
}

void cap_trace(struct capture *c, bool client, const struct gt_trace_event *ev)
{
	struct cap_event e = {
		.at_us = ev->now_us, .a = ev->a, .b = ev->b, .c = ev->c,
		.cport = client ? ev->lport : ev->fport, .client = client, .reason = ev->reason,
	};
	switch (ev->type) {
	case GT_TRACE_STATE: e.kind = CAP_EV_STATE; break;
	case GT_TRACE_CWND: e.kind = CAP_EV_CWND; break;
	case GT_TRACE_RTT: e.kind = CAP_EV_RTT; break;
	case GT_TRACE_RTO: e.kind = CAP_EV_RTO; break;
	case GT_TRACE_FAST_RETRANS: e.kind = CAP_EV_FAST_RETRANS; break;
	default: return;
	}
	/* A listener's own transitions (CLOSED -> LISTEN) name no connection. */
	if (e.kind == CAP_EV_STATE && ev->fport == 0)
		return;
	add_event(c, &e);
}

void cap_conn_scan(const struct capture *c, uint16_t cport, struct cap_conn *k)
{
	memset(k, 0, sizeof(*k));
	k->cport = cport;
	k->owd_us[0] = k->owd_us[1] = UINT64_MAX;
	uint8_t ws[2] = {CAP_NO_WSCALE, CAP_NO_WSCALE};
	for (uint32_t i = 0; i < c->npkt; i++) {
		const struct cap_pkt *p = &c->pkt[i];
		if (p->cport != cport)
			continue;
		int d = p->from_client ? 0 : 1;
		if ((p->flags & TH_SYN) && !k->have_isn[d]) {
			k->have_isn[d] = true;
			k->isn[d] = p->seq;
			ws[d] = p->wscale;
		}
		if (p->fate == CAP_DELIVERED && p->done_us - p->sent_us < k->owd_us[d])
			k->owd_us[d] = p->done_us - p->sent_us;
	}
	/* RFC 7323 2.2: scaling applies only when both SYNs carried the option. */
	bool on = ws[0] != CAP_NO_WSCALE && ws[1] != CAP_NO_WSCALE;
	k->wscale[0] = on ? ws[0] : 0;
	k->wscale[1] = on ? ws[1] : 0;
	for (int d = 0; d < 2; d++)
		if (k->owd_us[d] == UINT64_MAX)
			k->owd_us[d] = k->owd_us[!d] != UINT64_MAX ? k->owd_us[!d] : 10000;
}

uint32_t cap_pkt_window(const struct cap_conn *k, const struct cap_pkt *p)
{
	if (p->flags & TH_SYN)
		return p->win; /* RFC 7323 2.2: never scaled */
	return (uint32_t)p->win << k->wscale[p->from_client ? 0 : 1];
}

void cap_mark_retrans(const struct capture *c, uint16_t cport, bool *retrans)
{
	bool have[2] = {false, false};
	uint32_t top[2] = {0, 0};
	for (uint32_t i = 0; i < c->npkt; i++) {
		const struct cap_pkt *p = &c->pkt[i];
		retrans[i] = false;
		if (p->cport != cport)
			continue;
		int d = p->from_client ? 0 : 1;
		uint32_t span = p->len + !!(p->flags & TH_SYN) + !!(p->flags & TH_FIN);
		if (!span)
			continue;
		uint32_t end = p->seq + span;
		if (have[d] && (int32_t)(p->seq - top[d]) < 0)
			retrans[i] = true;
		if (!have[d] || (int32_t)(end - top[d]) > 0)
			top[d] = end;
		have[d] = true;
	}
}
