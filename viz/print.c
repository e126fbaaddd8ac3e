/* Text writers: trace events as JSON lines, and the `ss -tanoi`-like
 * listing of gt_stack_list() entries. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include <glasstcp/viz.h>

#include "wire/tcp_wire.h"

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

const char *gt_sockaddr_str(char *buf, size_t n, const struct gt_sockaddr *a)
{
	if (a->family != GT_AF_INET6) {
		uint32_t v = a->addr;
		snprintf(buf, n, "%u.%u.%u.%u:%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255,
			 a->port);
		return buf;
	}
	char t[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, a->addr6.b, t, sizeof(t)))
		snprintf(t, sizeof(t), "?");
	snprintf(buf, n, "[%s]:%u", t, a->port);
	return buf;
}

/* A trace event's endpoint: IPv4 connections as IPv4. */
static void ev_addr(char *b, size_t n, const struct gt_in6_addr *a6, uint32_t a4, uint16_t port)
{
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
	struct gt_sockaddr sa = {.family = GT_AF_INET, .port = port, .addr = a4};
	if (memcmp(a6->b, mapped, 12) != 0) {
		sa.family = GT_AF_INET6;
		sa.addr6 = *a6;
	}
	gt_sockaddr_str(b, n, &sa);
}

void gt_trace_json(FILE *f, const char *host, const struct gt_trace_event *ev)
{
	char l[56], r[56], fl[12];
	ev_addr(l, sizeof(l), &ev->laddr6, ev->laddr, ev->lport);
	ev_addr(r, sizeof(r), &ev->faddr6, ev->faddr, ev->fport);
	fprintf(f, "{\"t_us\":%" PRIu64 ",\"host\":", ev->now_us);
	json_str(f, host ? host : "");
	fprintf(f, ",\"type\":\"%s\",\"local\":\"%s\",\"remote\":\"%s\"",
		gt_trace_type_name(ev->type), l, r);
	switch (ev->type) {
	case GT_TRACE_STATE:
		fprintf(f, ",\"from\":\"%s\",\"to\":\"%s\"", gt_tcp_state_name(ev->a),
			gt_tcp_state_name(ev->b));
		break;
	case GT_TRACE_SEG_IN:
	case GT_TRACE_SEG_OUT:
		fprintf(f, ",\"flags\":\"%s\",\"seq\":%u,\"ack\":%u,\"len\":%u,\"win\":%u",
			tcp_flags_str(ev->flags, fl), ev->seq, ev->ack, ev->len, ev->wnd);
		if (ev->type == GT_TRACE_SEG_OUT)
			fprintf(f, ",\"retrans\":%s", ev->b ? "true" : "false");
		break;
	case GT_TRACE_RTO:
		fprintf(f, ",\"backoff\":%u,\"rto_us\":%u", ev->a, ev->b);
		break;
	case GT_TRACE_FAST_RETRANS:
		fprintf(f, ",\"seq\":%u", ev->seq);
		break;
	case GT_TRACE_TIMER_ARM:
		fprintf(f, ",\"timer\":\"%s\",\"delay_us\":%u", gt_trace_timer_name(ev->a), ev->b);
		break;
	case GT_TRACE_TIMER_FIRE:
		fprintf(f, ",\"timer\":\"%s\"", gt_trace_timer_name(ev->a));
		break;
	case GT_TRACE_WINDOW:
		fprintf(f, ",\"old\":%u,\"new\":%u", ev->a, ev->b);
		break;
	case GT_TRACE_CWND:
		fprintf(f, ",\"cwnd\":%u,\"ssthresh\":%u,\"flight\":%u", ev->a, ev->b, ev->c);
		break;
	case GT_TRACE_RTT:
		fprintf(f, ",\"sample_us\":%u,\"srtt_us\":%u,\"rto_us\":%u", ev->a, ev->b, ev->c);
		break;
	}
	if (ev->reason) {
		fprintf(f, ",\"reason\":");
		json_str(f, ev->reason);
	}
	fprintf(f, "}\n");
}

static void timer_str(char *b, size_t n, const struct gt_sock_entry *e, uint64_t now_us)
{
	if (!e->timer_on) {
		b[0] = 0;
		return;
	}
	/* ss names: on (retransmit, and the loss probe and RACK's
	 * reordering timer, which inet_diag reports as the retransmission
	 * timer, idiag_timer 1), persist, timewait, keepalive; and ours for
	 * the rest. Indexed by enum gt_trace_timer. */
	static const char *const names[] = {"on",        "delack", "persist",   "fin2", "timewait",
					    "cork",      "linger", "keepalive", "on",   "on"};
	_Static_assert(sizeof(names) / sizeof(names[0]) == GT_TIMER_REORDER + 1,
		       "a name for every timer");
	uint64_t left = e->timer_at_us > now_us ? e->timer_at_us - now_us : 0;
	const char *name = e->timer < sizeof(names) / sizeof(names[0]) ? names[e->timer] : "?";
	if (left >= 10000000)
		snprintf(b, n, "timer:(%s,%.0fsec,%u)", name, (double)left / 1e6, e->backoff);
	else
		snprintf(b, n, "timer:(%s,%.0fms,%u)", name, (double)left / 1e3, e->backoff);
}

void gt_sock_list_print(FILE *f, const struct gt_sock_entry *e, size_t n, uint64_t now_us)
{
	fprintf(f, "%-12s %7s %7s %-21s %-21s %s\n", "State", "Recv-Q", "Send-Q",
		"Local Address:Port", "Peer Address:Port", "Process");
	for (size_t i = 0; i < n; i++) {
		char l[56], r[56], t[48];
		gt_sockaddr_str(l, sizeof(l), &e[i].local);
		if (e[i].state == GT_TCP_LISTEN && e[i].local.family == GT_AF_INET6 &&
		    !memcmp(e[i].local.addr6.b, (const uint8_t[16]){0}, 16))
			snprintf(l, sizeof(l), "[::]:%u", e[i].local.port); /* as ss prints it */
		if (e[i].state == GT_TCP_LISTEN)
			snprintf(r, sizeof(r), "*:*");
		else
			gt_sockaddr_str(r, sizeof(r), &e[i].peer);
		timer_str(t, sizeof(t), &e[i], now_us);
		fprintf(f, "%-12s %7u %7u %-21s %-21s ", gt_tcp_state_name(e[i].state), e[i].recv_q,
			e[i].send_q, l, r);
		if (e[i].sd >= 0)
			fprintf(f, "sd=%d ", e[i].sd);
		else if (e[i].state != GT_TCP_TIME_WAIT)
			fprintf(f, "orphan ");
		fprintf(f, "%s\n", t);
		const struct gt_tcp_info *ti = &e[i].info;
		if (e[i].state == GT_TCP_LISTEN || e[i].state == GT_TCP_TIME_WAIT)
			continue;
		fprintf(f, "\t %s%s%swscale:%u,%u rto:%.0f rtt:%.3f/%.3f mss:%u cwnd:%u",
			ti->ts_ok ? "ts " : "", ti->sack_ok ? "sack " : "", "", ti->snd_wscale,
			ti->rcv_wscale, (double)ti->rto_us / 1e3, (double)ti->srtt_us / 1e3,
			(double)ti->rttvar_us / 1e3, ti->snd_mss,
			ti->snd_mss ? ti->snd_cwnd_bytes / ti->snd_mss : 0);
		if (ti->snd_ssthresh_bytes != UINT32_MAX && ti->snd_mss)
			fprintf(f, " ssthresh:%u", ti->snd_ssthresh_bytes / ti->snd_mss);
		fprintf(f, " bytes_sent:%" PRIu64 " bytes_acked:%" PRIu64 " bytes_received:%" PRIu64
			" segs_out:%" PRIu64 " segs_in:%" PRIu64, ti->bytes_sent, ti->bytes_acked,
			ti->bytes_received, ti->segs_out, ti->segs_in);
		if (ti->seg_stats_ok) /* ss's bytes_retrans, data_segs_out, data_segs_in */
			fprintf(f, " bytes_retrans:%" PRIu64 " data_segs_out:%u data_segs_in:%u",
				ti->bytes_retrans, ti->data_segs_out, ti->data_segs_in);
		if (ti->retrans_segs)
			fprintf(f, " retrans:%u/%" PRIu64, ti->backoff, ti->retrans_segs);
		fprintf(f, " snd_wnd:%u max_snd_wnd:%u rcv_wnd:%u unacked:%u notsent:%u",
			ti->snd_wnd_bytes, ti->max_snd_wnd_bytes, ti->rcv_wnd_bytes, ti->unacked_bytes,
			ti->notsent_bytes);
		if (ti->min_rtt_us)
			fprintf(f, " minrtt:%.3f", (double)ti->min_rtt_us / 1e3);
		fprintf(f, "\n");
	}
}
