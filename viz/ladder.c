/* Ladder diagrams (see ladder.h). A plan is built first: the rows (a segment
 * leaving, arriving or lost half-way, a state change, an elided run) in time
 * order, each given a y so that labels on one column never overlap and idle
 * gaps can be shortened; the SVG and text writers only draw the plan. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/viz.h>

#include "viz/ladder.h"
#include "viz/svg.h"
#include "wire/tcp_wire.h"

enum row_kind { ROW_ARRIVE, ROW_DROP, ROW_STATE, ROW_SEND, ROW_ELIDE };

struct row {
	uint64_t t;
	uint64_t span_us;   /* ELIDE: time covered by the elided run */
	uint64_t gap_us;    /* brk: the real length of the gap above */
	uint32_t idx;       /* packet (SEND, ARRIVE, DROP, ELIDE) or event (STATE) */
	uint32_t n;         /* ELIDE: segments elided */
	uint32_t order;     /* ties */
	uint8_t kind;
	bool brk;           /* a shortened gap ends at this row */
	double y;
};

struct plan {
	struct cap_conn k;
	struct row *rows;
	uint32_t n;
	bool *retrans;      /* per capture packet */
	double *send_y, *done_y;
	uint32_t selected, drawn, elided;
	bool truncated;
	double top, bottom;
	double px_per_us;
};

/* Layout of the SVG, in px. */
#define L_X 300.0
#define R_X 940.0
#define WIDTH 1180.0
#define TOP_Y 112.0
#define ROW_GAP 13.0
#define LBL_CHAR_PX 6.33    /* advance of DejaVu Sans Mono at 10.5px */
#define OWD_PX 70.0         /* the shortest one-way delay spans this much */
#define IDLE_CAP_PX 150.0   /* gaps drawn longer than this are shortened... */
#define BREAK_PX 36.0       /* ...to this */
#define MAX_LINEAR_PX 40000.0
#define KEEP_EDGE 16u       /* segments kept at each end of an elided view */
#define KEEP_AROUND 3u      /* and around each interesting one */

static int row_prio(uint8_t kind)
{
	return kind == ROW_ARRIVE || kind == ROW_DROP ? 0 : kind == ROW_STATE ? 1 : 2;
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (row_prio(x->kind) != row_prio(y->kind))
		return row_prio(x->kind) - row_prio(y->kind);
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool interesting(const struct capture *c, const bool *rtx, uint32_t i)
{
	const struct cap_pkt *p = &c->pkt[i];
	return rtx[i] || p->fate != CAP_DELIVERED || p->corrupted || p->dup ||
	       (p->flags & (TH_SYN | TH_FIN | TH_RST));
}

static uint32_t mark_keep(const struct capture *c, const bool *rtx, const uint32_t *sel,
			  uint32_t n, uint32_t around, bool *keep)
{
	uint32_t kept = 0;
	memset(keep, 0, n * sizeof(*keep));
	for (uint32_t i = 0; i < n; i++) {
		bool edge = i < KEEP_EDGE || i + KEEP_EDGE >= n;
		if (!edge && !interesting(c, rtx, sel[i]))
			continue;
		uint32_t lo = i > around ? i - around : 0;
		for (uint32_t j = lo; j < n && j <= i + around; j++) {
			kept += !keep[j];
			keep[j] = true;
		}
	}
	return kept;
}

/* Which selected segments to draw: all of them, or when there are too many,
 * the first and last few and those around anything but steady transfer,
 * with less context around each until they fit; past max, the rest is cut
 * (and said so). */
static void choose(const struct capture *c, const bool *rtx, const uint32_t *sel, uint32_t n,
		   uint32_t max, bool *keep, bool *truncated)
{
	*truncated = false;
	if (n <= max) {
		for (uint32_t i = 0; i < n; i++)
			keep[i] = true;
		return;
	}
	uint32_t around = KEEP_AROUND + 1, kept;
	do {
		around--;
		kept = mark_keep(c, rtx, sel, n, around, keep);
	} while (kept > max && around > 0);
	if (kept <= max)
		return;
	kept = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (keep[i] && ++kept > max) {
			keep[i] = false;
			*truncated = true;
		}
	}
}

static bool push_row(struct plan *p, uint32_t cap, struct row r)
{
	if (p->n >= cap)
		return false;
	r.order = p->n;
	p->rows[p->n++] = r;
	return true;
}

static void plan_free(struct plan *p)
{
	free(p->rows);
	free(p->retrans);
	free(p->send_y);
	free(p->done_y);
}

/* Column of a labelled row: 0/1 client/server segments, 2/3 their states. */
static int row_col(const struct capture *c, const struct row *r)
{
	if (r->kind == ROW_SEND)
		return c->pkt[r->idx].from_client ? 0 : 1;
	if (r->kind == ROW_STATE)
		return c->ev[r->idx].client ? 2 : 3;
	return 4;
}

/* Gives each row its y: time scaled so the shortest one-way delay spans
 * OWD_PX, idle gaps optionally shortened to a marked break, and each label
 * column (a side's segments, a side's states, the middle) at least ROW_GAP
 * below its previous label. y only grows, so order in time is kept. */
static void layout(struct plan *p, const struct capture *c, bool compress)
{
	double last_col[5] = {-1e9, -1e9, -1e9, -1e9, -1e9};
	uint64_t span = p->n ? p->rows[p->n - 1].t - p->rows[0].t : 0;
	uint64_t owd = p->k.owd_us[0] < p->k.owd_us[1] ? p->k.owd_us[0] : p->k.owd_us[1];
	p->px_per_us = OWD_PX / (double)(owd > 1000 ? owd : 1000);
	if (!compress && (double)span * p->px_per_us > MAX_LINEAR_PX)
		p->px_per_us = MAX_LINEAR_PX / (double)span;
	double y = p->top;
	for (uint32_t i = 0; i < p->n; i++) {
		struct row *r = &p->rows[i];
		uint64_t dt = i ? r->t - p->rows[i - 1].t : 0;
		double dy = (double)dt * p->px_per_us;
		if (i && p->rows[i - 1].kind == ROW_ELIDE && dy > BREAK_PX) {
			dy = BREAK_PX; /* the elided run's own time is not drawn */
		} else if (compress && dy > IDLE_CAP_PX) {
			dy = BREAK_PX;
			r->brk = true;
			r->gap_us = dt;
		}
		y += dy;
		int col = row_col(c, r);
		if (r->kind == ROW_ELIDE) {
			for (int k = 0; k < 5; k++)
				if (y < last_col[k] + ROW_GAP + 6)
					y = last_col[k] + ROW_GAP + 6;
			for (int k = 0; k < 5; k++)
				last_col[k] = y + 6;
		} else if (r->kind == ROW_SEND || r->kind == ROW_STATE) {
			if (y < last_col[col] + ROW_GAP)
				y = last_col[col] + ROW_GAP;
			if (y < last_col[4] + ROW_GAP)
				y = last_col[4] + ROW_GAP;
			last_col[col] = y;
		}
		r->y = y;
	}
	p->bottom = y;
}

static int plan_build(struct plan *p, const struct capture *c, const struct ladder_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->top = TOP_Y;
	cap_conn_scan(c, o->cport, &p->k);
	uint32_t npkt = c->npkt;
	uint32_t *sel = malloc(((size_t)npkt + 1) * sizeof(*sel));
	bool *keep = malloc(((size_t)npkt + 1) * sizeof(*keep));
	p->retrans = malloc(((size_t)npkt + 1) * sizeof(*p->retrans));
	p->send_y = calloc((size_t)npkt + 1, sizeof(*p->send_y));
	p->done_y = calloc((size_t)npkt + 1, sizeof(*p->done_y));
	uint32_t cap = 2 * npkt + c->nev + 8;
	p->rows = malloc((size_t)cap * sizeof(*p->rows));
	if (!sel || !keep || !p->retrans || !p->send_y || !p->done_y || !p->rows) {
		free(sel);
		free(keep);
		plan_free(p);
		return -ENOMEM;
	}
	cap_mark_retrans(c, o->cport, p->retrans);
	uint32_t n = 0;
	for (uint32_t i = 0; i < npkt; i++) {
		const struct cap_pkt *q = &c->pkt[i];
		if (q->cport == o->cport && q->sent_us >= o->from_us && q->sent_us <= o->to_us)
			sel[n++] = i;
	}
	p->selected = n;
	choose(c, p->retrans, sel, n, o->max_pkts ? o->max_pkts : LADDER_MAX_PKTS_DEFAULT, keep,
	       &p->truncated);
	for (uint32_t i = 0; i < n; i++) {
		const struct cap_pkt *q = &c->pkt[sel[i]];
		if (!keep[i]) {
			uint32_t j = i;
			while (j < n && !keep[j])
				j++;
			push_row(p, cap, (struct row){.t = q->sent_us, .idx = sel[i], .n = j - i,
				 .span_us = c->pkt[sel[j - 1]].sent_us - q->sent_us, .kind = ROW_ELIDE});
			p->elided += j - i;
			i = j - 1;
			continue;
		}
		p->drawn++;
		push_row(p, cap, (struct row){.t = q->sent_us, .idx = sel[i], .kind = ROW_SEND});
		if (q->fate == CAP_DELIVERED)
			push_row(p, cap, (struct row){.t = q->done_us, .idx = sel[i], .kind = ROW_ARRIVE});
		else
			push_row(p, cap, (struct row){.t = q->sent_us + p->k.owd_us[q->from_client ? 0 : 1] / 2,
				 .idx = sel[i], .kind = ROW_DROP});
	}
	for (uint32_t i = 0; i < c->nev; i++) {
		const struct cap_event *e = &c->ev[i];
		if (e->kind == CAP_EV_STATE && e->cport == o->cport && e->at_us >= o->from_us &&
		    e->at_us <= o->to_us)
			push_row(p, cap, (struct row){.t = e->at_us, .idx = i, .kind = ROW_STATE});
	}
	free(sel);
	free(keep);
	qsort(p->rows, p->n, sizeof(*p->rows), row_cmp);
	layout(p, c, o->compress);
	for (uint32_t i = 0; i < p->n; i++) {
		const struct row *r = &p->rows[i];
		if (r->kind == ROW_SEND)
			p->send_y[r->idx] = r->y;
		else if (r->kind == ROW_ARRIVE || r->kind == ROW_DROP)
			p->done_y[r->idx] = r->y;
	}
	return 0;
}

/* ---- labels shared by both writers ---- */

static const char *pkt_class(const struct plan *p, const struct cap_pkt *q, uint32_t i)
{
	if (q->flags & TH_RST)
		return "rst";
	if (p->retrans[i])
		return "rtx";
	if (q->flags & (TH_SYN | TH_FIN))
		return "ctl";
	return q->len ? "data" : "ack";
}

static void pkt_label(char *b, size_t n, const struct plan *p, const struct cap_pkt *q, uint32_t i)
{
	const struct cap_conn *k = &p->k;
	int d = q->from_client ? 0 : 1;
	char fl[12];
	uint32_t seq = k->have_isn[d] ? q->seq - k->isn[d] : q->seq;
	int o = snprintf(b, n, "%s seq %u", tcp_flags_str(q->flags, fl), seq);
	if ((q->flags & TH_ACK) && o < (int)n)
		o += snprintf(b + o, n - (size_t)o, " ack %u", k->have_isn[!d] ? q->ack - k->isn[!d] : q->ack);
	if (q->len && o < (int)n)
		o += snprintf(b + o, n - (size_t)o, " len %u", q->len);
	if (o < (int)n)
		o += snprintf(b + o, n - (size_t)o, " win %u", cap_pkt_window(k, q));
	if ((q->flags & TH_SYN) && o < (int)n) {
		o += snprintf(b + o, n - (size_t)o, " <mss %u", q->mss);
		if (q->wscale != CAP_NO_WSCALE && o < (int)n)
			o += snprintf(b + o, n - (size_t)o, ",ws %u", q->wscale);
		if (o < (int)n)
			o += snprintf(b + o, n - (size_t)o, ">");
	}
	if (q->nsack && o < (int)n) {
		uint32_t base = k->have_isn[!d] ? k->isn[!d] : 0;
		o += snprintf(b + o, n - (size_t)o, " sack %u-%u%s", q->sack[0][0] - base,
			      q->sack[0][1] - base, q->nsack > 1 ? "+" : "");
	}
	if (p->retrans[i] && o < (int)n)
		o += snprintf(b + o, n - (size_t)o, " (rtx)");
	if (q->dup && o < (int)n)
		snprintf(b + o, n - (size_t)o, " (dup)");
}

static const char *drop_name(const struct cap_pkt *q)
{
	if (q->fate == CAP_INFLIGHT)
		return "in flight at end";
	switch (q->drop_fate) {
	case GT_SIM_QUEUE_DROP: return "queue drop";
	case GT_SIM_MTU_DROP: return "MTU drop";
	case GT_SIM_DOWN_DROP: return "link down";
	case GT_SIM_NO_ROUTE: return "no route";
	default: return "lost";
	}
}

static const char *state_name(uint32_t st)
{
	return gt_tcp_state_name((enum gt_tcp_state)st);
}

/* The TIME_WAIT interval of one side, in rows: -1 when none. */
static void tw_rows(const struct plan *p, const struct capture *c, bool client, int *enter, int *leave)
{
	*enter = *leave = -1;
	for (uint32_t i = 0; i < p->n; i++) {
		const struct row *r = &p->rows[i];
		if (r->kind != ROW_STATE || c->ev[r->idx].client != client)
			continue;
		if (c->ev[r->idx].b == GT_TCP_TIME_WAIT && *enter < 0)
			*enter = (int)i;
		if (c->ev[r->idx].a == GT_TCP_TIME_WAIT && *leave < 0)
			*leave = (int)i;
	}
}

/* ---- SVG ---- */

static const char LADDER_CSS[] =
	".tl { stroke: #333; stroke-width: 2; }\n"
	".a { stroke-width: 1.3; fill: none; }\n"
	".data { stroke: #1f5fbf; } .ack { stroke: #8a8a8a; } .ctl { stroke: #2a8a2a; }\n"
	".rst { stroke: #c62828; } .rtx { stroke: #e07000; stroke-width: 1.8; }\n"
	".ltdata { fill: #1a4f9f; } .ltack { fill: #666; } .ltctl { fill: #1f6f1f; }\n"
	".ltrst { fill: #c62828; } .ltrtx { fill: #b85c00; }\n"
	".lbl { font-size: 10.5px; font-family: DejaVu Sans Mono, monospace; }\n"
	".x { stroke: #d00; stroke-width: 2.2; }\n"
	".lost { fill: #d00; font-size: 10px; font-weight: bold; }\n"
	".st { fill: #5b2c8f; font-weight: bold; }\n"
	".why { fill: #777; font-size: 9.5px; }\n"
	".tw { fill: #f4a261; fill-opacity: 0.55; stroke: #d9822b; }\n"
	".twl { fill: #b35a00; font-size: 10.5px; font-weight: bold; }\n"
	".time { fill: #777; font-size: 9.5px; font-family: DejaVu Sans Mono, monospace; }\n"
	".host { font-size: 13px; font-weight: bold; }\n"
	".brk { fill: #fff; } .zz { stroke: #333; stroke-width: 1.5; fill: none; }\n"
	".eli { fill: #f0f0f0; stroke: #ccc; }\n"
	".card { fill: #fff; }\n";

static void markers(FILE *f)
{
	static const struct { const char *id, *color; } m[] = {
		{"data", "#1f5fbf"}, {"ack", "#8a8a8a"}, {"ctl", "#2a8a2a"},
		{"rst", "#c62828"}, {"rtx", "#e07000"},
	};
	fprintf(f, "<defs>\n");
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		fprintf(f, "<marker id=\"m%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
			"markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
			"<path d=\"M0,1 L10,5 L0,9 z\" fill=\"%s\"/></marker>\n", m[i].id, m[i].color);
	fprintf(f, "</defs>\n");
}

static void legend(FILE *f, double y)
{
	static const struct { const char *cls, *text; } items[] = {
		{"data", "data"}, {"ack", "pure ACK"}, {"ctl", "SYN / FIN"},
		{"rtx", "retransmission"}, {"rst", "RST"},
	};
	double x = 20;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		fprintf(f, "<line class=\"a %s\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
			"marker-end=\"url(#m%s)\"/>\n", items[i].cls, x, y - 4, x + 34, y - 4, items[i].cls);
		svg_text(f, x + 40, y, "start", "", "%s", items[i].text);
		x += 48 + 7.0 * (double)strlen(items[i].text);
	}
	fprintf(f, "<line class=\"a data\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n", x, y - 4,
		x + 22, y - 4);
	fprintf(f, "<path class=\"x\" d=\"M%.0f,%.0f l8,8 m0,-8 l-8,8\"/>\n", x + 22, y - 8);
	svg_text(f, x + 36, y, "start", "", "lost on the link");
	x += 150;
	fprintf(f, "<rect class=\"tw\" x=\"%.0f\" y=\"%.0f\" width=\"8\" height=\"14\"/>\n", x, y - 11);
	svg_text(f, x + 14, y, "start", "", "TIME_WAIT (2×MSL)");
	x += 140;
	fprintf(f, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"3.5\" fill=\"#5b2c8f\"/>\n", x + 4, y - 4);
	svg_text(f, x + 14, y, "start", "st", "state change");
}

static void draw_break(FILE *f, double y0, double y1, uint64_t gap_us)
{
	double m = (y0 + y1) / 2;
	for (int s = 0; s < 2; s++) {
		double x = s ? R_X : L_X;
		fprintf(f, "<rect class=\"brk\" x=\"%.0f\" y=\"%.1f\" width=\"12\" height=\"%.1f\"/>\n",
			x - 6, m - 7, 14.0);
		fprintf(f, "<path class=\"zz\" d=\"M%.0f,%.1f l16,-6 M%.0f,%.1f l16,-6\"/>\n", x - 8,
			m - 1, x - 8, m + 6);
	}
	svg_text(f, (L_X + R_X) / 2, m + 4, "middle", "small halo", "≈ %.3f s later (gap not to scale)",
		 (double)gap_us / 1e6);
}

static void draw_pkt(FILE *f, const struct plan *p, const struct capture *c, uint32_t i)
{
	const struct cap_pkt *q = &c->pkt[i];
	const char *cls = pkt_class(p, q, i);
	double x1 = q->from_client ? L_X : R_X, x2 = q->from_client ? R_X : L_X;
	double y1 = p->send_y[i], y2 = p->done_y[i];
	bool lost = q->fate != CAP_DELIVERED;
	if (lost) {
		x2 = (x1 + x2) / 2;
		fprintf(f, "<line class=\"a %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", cls,
			x1, y1, x2, y2);
		fprintf(f, "<path class=\"x\" d=\"M%.1f,%.1f l10,10 m0,-10 l-10,10\"/>\n", x2 - 5, y2 - 5);
		svg_text(f, x2 + (q->from_client ? 10 : -10), y2 + 4, q->from_client ? "start" : "end",
			 "lost halo", "%s", drop_name(q));
		return;
	}
	fprintf(f, "<line class=\"a %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"marker-end=\"url(#m%s)\"/>\n", cls, x1, y1, x2, y2, cls);
	if (q->corrupted) {
		double xm = x2 + (q->from_client ? -14 : 14);
		fprintf(f, "<path class=\"x\" d=\"M%.1f,%.1f l8,8 m0,-8 l-8,8\"/>\n", xm - 4, y2 - 8);
		svg_text(f, xm + (q->from_client ? -8 : 8), y2 - 2, q->from_client ? "end" : "start",
			 "lost halo", "corrupted: bad checksum");
	}
}

static void draw_label(FILE *f, const struct plan *p, const struct capture *c, uint32_t i)
{
	const struct cap_pkt *q = &c->pkt[i];
	char b[160], cls[32];
	pkt_label(b, sizeof(b), p, q, i);
	snprintf(cls, sizeof(cls), "lbl lt%s", pkt_class(p, q, i));
	/* A white card under the label keeps it legible where arrows cross;
	 * the label font is monospaced, so its width is known. */
	double w = LBL_CHAR_PX * (double)strlen(b) + 4;
	double x = q->from_client ? L_X + 6 : R_X - 6 - w;
	fprintf(f, "<rect class=\"card\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"11\"/>\n", x,
		p->send_y[i] - 12, w);
	if (q->from_client)
		svg_text(f, L_X + 8, p->send_y[i] - 3, "start", cls, "%s", b);
	else
		svg_text(f, R_X - 8, p->send_y[i] - 3, "end", cls, "%s", b);
}

static void draw_state(FILE *f, const struct capture *c, const struct row *r)
{
	const struct cap_event *e = &c->ev[r->idx];
	double x = e->client ? L_X : R_X;
	fprintf(f, "<circle cx=\"%.0f\" cy=\"%.1f\" r=\"3.5\" fill=\"#5b2c8f\"/>\n", x, r->y);
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"%s\"><tspan class=\"st\">",
		e->client ? x - 10 : x + 10, r->y + 4, e->client ? "end" : "start");
	svg_escape(f, state_name(e->b));
	fprintf(f, "</tspan>");
	if (e->reason) {
		fprintf(f, "<tspan class=\"why\" dx=\"5\">(");
		svg_escape(f, e->reason);
		fprintf(f, ")</tspan>");
	}
	fprintf(f, "</text>\n");
}

static void draw_time_wait(FILE *f, const struct plan *p, const struct capture *c, bool client)
{
	int a, b;
	tw_rows(p, c, client, &a, &b);
	if (a < 0)
		return;
	double y0 = p->rows[a].y, y1 = b >= 0 ? p->rows[b].y : p->bottom + 20;
	double x = client ? L_X : R_X;
	fprintf(f, "<rect class=\"tw\" x=\"%.0f\" y=\"%.1f\" width=\"10\" height=\"%.1f\"/>\n", x - 5,
		y0, y1 - y0);
	double ym = y0 + 30 < y1 - 10 ? (y0 + y1) / 2 + 4 : y0 + 18;
	const char *anchor = client ? "end" : "start";
	double tx = client ? x - 12 : x + 12;
	if (b >= 0)
		svg_text(f, tx, ym, anchor, "twl halo", "TIME_WAIT %.3f s (2×MSL)",
			 (double)(p->rows[b].t - p->rows[a].t) / 1e6);
	else
		svg_text(f, tx, ym, anchor, "twl halo", "TIME_WAIT, still held at the end");
}

/* "10.0.0.1:48888" and "10.0.0.2", or "[2001:db8::1]:48888" and
 * "2001:db8::2" when the connection (client port cport) is IPv6. */
static void host_labels(const struct capture *c, uint16_t cport, char *ca, char *sa, size_t n)
{
	bool v6 = false;
	for (uint32_t i = 0; i < c->npkt; i++)
		if (c->pkt[i].cport == cport) {
			v6 = c->pkt[i].v6;
			break;
		}
	struct gt_sockaddr cl = {.family = GT_AF_INET, .port = cport, .addr = c->client_addr};
	struct gt_sockaddr sv = {.family = GT_AF_INET, .port = 0, .addr = c->server_addr};
	if (v6 && c->has6) {
		cl = (struct gt_sockaddr){.family = GT_AF_INET6, .port = cport};
		cl.addr6 = c->client_addr6;
		sv = (struct gt_sockaddr){.family = GT_AF_INET6};
		sv.addr6 = c->server_addr6;
	}
	gt_sockaddr_str(ca, n, &cl);
	gt_sockaddr_str(sa, n, &sv);
	/* The server's label has no port: cut ":0" (and the brackets). */
	char *colon = strrchr(sa, ':');
	if (colon)
		*colon = 0;
	if (sa[0] == '[') {
		memmove(sa, sa + 1, strlen(sa));
		sa[strlen(sa) - 1] = 0;
	}
}

int ladder_svg(FILE *f, const struct capture *c, const struct ladder_opts *o)
{
	struct plan p;
	int r = plan_build(&p, c, o);
	if (r < 0)
		return r;
	double height = p.bottom + 60 + (p.truncated || p.elided ? 20 : 0);
	svg_begin(f, WIDTH, height, LADDER_CSS);
	markers(f);
	svg_text(f, 20, 24, "start", "title", "%s", o->title ? o->title : "glasstcp ladder diagram");
	if (o->subtitle)
		svg_text(f, 20, 42, "start", "sub", "%s", o->subtitle);
	legend(f, 66);
	svg_text(f, 70, TOP_Y - 18, "end", "small", "time (s)");
	char ca[64], sa[64];
	host_labels(c, o->cport, ca, sa, sizeof(ca));
	svg_text(f, L_X, TOP_Y - 18, "middle", "host", "client %s", ca);
	svg_text(f, R_X, TOP_Y - 18, "middle", "host", "server %s", sa);
	fprintf(f, "<line class=\"tl\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.1f\"/>\n", L_X,
		TOP_Y - 10, L_X, p.bottom + 24);
	fprintf(f, "<line class=\"tl\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.1f\"/>\n", R_X,
		TOP_Y - 10, R_X, p.bottom + 24);
	draw_time_wait(f, &p, c, true);
	draw_time_wait(f, &p, c, false);
	for (uint32_t i = 0; i < p.n; i++) {
		const struct row *rw = &p.rows[i];
		if (rw->brk)
			draw_break(f, i ? p.rows[i - 1].y : p.top, rw->y, rw->gap_us);
		if (rw->kind == ROW_ELIDE) {
			fprintf(f, "<rect class=\"eli\" x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"16\" rx=\"3\"/>\n",
				L_X + 20, rw->y - 12, R_X - L_X - 40);
			svg_text(f, (L_X + R_X) / 2, rw->y, "middle", "small",
				 "⋮ %u segment%s not drawn (%.3f s) ⋮", rw->n, rw->n == 1 ? "" : "s",
				 (double)rw->span_us / 1e6);
		}
	}
	for (uint32_t i = 0; i < p.n; i++)
		if (p.rows[i].kind == ROW_SEND)
			draw_pkt(f, &p, c, p.rows[i].idx);
	double last_time_y = -100;
	for (uint32_t i = 0; i < p.n; i++) {
		const struct row *rw = &p.rows[i];
		if (rw->kind == ROW_SEND)
			draw_label(f, &p, c, rw->idx);
		else if (rw->kind == ROW_STATE)
			draw_state(f, c, rw);
		if ((rw->kind == ROW_SEND || rw->kind == ROW_STATE) && rw->y - last_time_y >= 12) {
			svg_text(f, 70, rw->y + 3, "end", "time", "%.6f", (double)rw->t / 1e6);
			last_time_y = rw->y;
		}
	}
	if (p.truncated)
		svg_text(f, 20, height - 16, "start", "sub",
			 "Showing %u of %u segments: the rest did not fit --ladder-max; narrow the view with --from/--to.",
			 p.drawn, p.selected);
	else if (p.elided)
		svg_text(f, 20, height - 16, "start", "sub",
			 "%u of %u segments drawn: runs of steady transfer elided (raise --ladder-max to draw more).",
			 p.drawn, p.selected);
	svg_end(f);
	int drawn = (int)p.drawn;
	plan_free(&p);
	return drawn;
}

/* ---- text ---- */

#define TXT_MID 66
#define TXT_SIDE 34

static void text_arrow(FILE *f, const struct plan *p, const struct capture *c, const struct row *r)
{
	const struct cap_pkt *q = &c->pkt[r->idx];
	char lbl[160], mid[TXT_MID + 1];
	pkt_label(lbl, sizeof(lbl), p, q, r->idx);
	size_t ll = strlen(lbl);
	if (ll > TXT_MID - 8)
		ll = TXT_MID - 8;
	memset(mid, '-', TXT_MID);
	mid[TXT_MID] = 0;
	bool lost = q->fate != CAP_DELIVERED;
	if (q->from_client) {
		mid[0] = '-';
		mid[1] = ' ';
		memcpy(mid + 2, lbl, ll);
		mid[2 + ll] = ' ';
		mid[TXT_MID - 1] = '>';
		if (lost) {
			size_t half = TXT_MID / 2 > ll + 4 ? TXT_MID / 2 : ll + 4;
			mid[half] = 'X';
			memset(mid + half + 1, ' ', TXT_MID - half - 1);
		}
	} else {
		mid[0] = '<';
		size_t start = TXT_MID - 2 - ll;
		mid[start - 1] = ' ';
		memcpy(mid + start, lbl, ll);
		mid[TXT_MID - 2] = ' ';
		if (lost) {
			size_t half = TXT_MID / 2 < start - 2 ? TXT_MID / 2 : start - 2;
			memset(mid, ' ', half);
			mid[half] = 'X';
		}
	}
	fprintf(f, "%11.6f  %-*s |%s| ", (double)r->t / 1e6, TXT_SIDE, "", mid);
	if (lost)
		fprintf(f, "%s\n", drop_name(q));
	else if (q->corrupted)
		fprintf(f, "corrupted, arrives %.6f\n", (double)q->done_us / 1e6);
	else
		fprintf(f, "arrives %.6f\n", (double)q->done_us / 1e6);
}

int ladder_text(FILE *f, const struct capture *c, const struct ladder_opts *o)
{
	struct plan p;
	int r = plan_build(&p, c, o);
	if (r < 0)
		return r;
	if (o->title)
		fprintf(f, "%s\n", o->title);
	fprintf(f, "%11s  %*s  %-*s  %s\n", "time (s)", TXT_SIDE, "client", TXT_MID, "", "server");
	for (uint32_t i = 0; i < p.n; i++) {
		const struct row *rw = &p.rows[i];
		if (rw->brk)
			fprintf(f, "%11s  %-*s  %*s~ %.3f s later ~\n", "", TXT_SIDE, "", TXT_MID / 2 - 8, "",
				(double)rw->gap_us / 1e6);
		switch (rw->kind) {
		case ROW_SEND:
			text_arrow(f, &p, c, rw);
			break;
		case ROW_STATE: {
			const struct cap_event *e = &c->ev[rw->idx];
			char st[96];
			if (e->reason)
				snprintf(st, sizeof(st), "%s (%s)", state_name(e->b), e->reason);
			else
				snprintf(st, sizeof(st), "%s", state_name(e->b));
			if (e->client)
				fprintf(f, "%11.6f  %*s |%*s|\n", (double)rw->t / 1e6, TXT_SIDE, st, TXT_MID, "");
			else
				fprintf(f, "%11.6f  %-*s |%*s| %s\n", (double)rw->t / 1e6, TXT_SIDE, "",
					TXT_MID, "", st);
			break;
		}
		case ROW_ELIDE:
			fprintf(f, "%11s  %-*s  %*s: %u segment%s not shown (%.3f s)\n", "", TXT_SIDE, "",
				TXT_MID / 2 - 12, "", rw->n, rw->n == 1 ? "" : "s",
				(double)rw->span_us / 1e6);
			break;
		default:
			break;
		}
	}
	int a, b;
	for (int side = 0; side < 2; side++) {
		tw_rows(&p, c, side == 0, &a, &b);
		if (a >= 0 && b >= 0)
			fprintf(f, "TIME_WAIT held by the %s from %.6f to %.6f s: %.3f s (2*MSL)\n",
				side ? "server" : "client", (double)p.rows[a].t / 1e6,
				(double)p.rows[b].t / 1e6, (double)(p.rows[b].t - p.rows[a].t) / 1e6);
		else if (a >= 0)
			fprintf(f, "TIME_WAIT held by the %s from %.6f s to the end\n",
				side ? "server" : "client", (double)p.rows[a].t / 1e6);
	}
	if (p.elided)
		fprintf(f, "%u of %u segments shown\n", p.drawn, p.selected);
	int drawn = (int)p.drawn;
	plan_free(&p);
	return drawn;
}
