/* Time-sequence graph and congestion plot (see graph.h). Each draws in a
 * plot box with "nice" ticks; long series are single <path>s so a
 * 10,000-segment transfer stays a small file. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "viz/graph.h"
#include "viz/svg.h"
#include "wire/tcp_wire.h"

#define G_W 1100.0
#define G_LEFT 90.0
#define G_RIGHT 1070.0

struct axis {
	double lo, hi;   /* data range */
	double p0, p1;   /* pixel range (p0 maps lo) */
};

static double ax(const struct axis *a, double v)
{
	double span = a->hi > a->lo ? a->hi - a->lo : 1;
	return a->p0 + (v - a->lo) / span * (a->p1 - a->p0);
}

static bool in_window(const struct graph_opts *o, uint64_t t)
{
	return t >= o->from_us && t <= o->to_us;
}

/* Ticks, grid and labels; y axis labels through fmt ("bytes" or "ms"). */
static void draw_axes(FILE *f, const struct axis *x, const struct axis *y, bool bytes,
		      const char *xlabel, const char *ylabel)
{
	double sx = svg_nice_step(x->hi - x->lo, 10), sy = svg_nice_step(y->hi - y->lo, 8);
	for (double v = ceil(x->lo / sx) * sx; v <= x->hi + sx * 1e-9; v += sx) {
		double px = ax(x, v);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", px,
			y->p0, px, y->p1);
		svg_text(f, px, y->p0 + 15, "middle", "small", "%g", round(v * 1e6) / 1e6);
	}
	for (double v = ceil(y->lo / sy) * sy; v <= y->hi + sy * 1e-9; v += sy) {
		double py = ax(y, v);
		char b[32];
		if (bytes)
			svg_fmt_bytes(b, sizeof(b), v);
		else
			snprintf(b, sizeof(b), "%g", round(v * 1000) / 1000);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x->p0,
			py, x->p1, py);
		svg_text(f, x->p0 - 6, py + 3.5, "end", "small", "%s", b);
	}
	fprintf(f, "<rect class=\"axis\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", x->p0,
		y->p1, x->p1 - x->p0, y->p0 - y->p1);
	svg_text(f, (x->p0 + x->p1) / 2, y->p0 + 32, "middle", "", "%s", xlabel);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">",
		x->p0 - 62, (y->p0 + y->p1) / 2, x->p0 - 62, (y->p0 + y->p1) / 2);
	svg_escape(f, ylabel);
	fprintf(f, "</text>\n");
}

static void clip(FILE *f, const char *id, const struct axis *x, const struct axis *y)
{
	fprintf(f, "<clipPath id=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>\n",
		id, x->p0, y->p1, x->p1 - x->p0, y->p0 - y->p1);
}

struct legend_item {
	const char *css;   /* style of the sample: a line or a path */
	const char *text;
	bool dot, cross;
};

static void draw_legend(FILE *f, double x, double y, const struct legend_item *it, size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n; i++)
		w += 42 + 6.4 * (double)strlen(it[i].text);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"20\" fill=\"#fff\" "
		"fill-opacity=\"0.9\" stroke=\"#ccc\" rx=\"3\"/>\n", x, y - 14, w + 8);
	x += 8;
	for (size_t i = 0; i < n; i++) {
		if (it[i].dot)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" style=\"%s\"/>\n", x + 12, y - 4,
				it[i].css);
		else if (it[i].cross)
			fprintf(f, "<path d=\"M%.1f,%.1f l7,7 m0,-7 l-7,7\" style=\"%s\"/>\n", x + 8, y - 8,
				it[i].css);
		else
			fprintf(f, "<path d=\"M%.1f,%.1f h24\" style=\"%s\"/>\n", x, y - 4, it[i].css);
		svg_text(f, x + 30, y, "start", "", "%s", it[i].text);
		x += 42 + 6.4 * (double)strlen(it[i].text);
	}
}

/* ---- time-sequence graph ---- */

#define T_H 660.0
#define T_TOP 100.0
#define T_BOTTOM 600.0

static const char SEG_CSS[] = "stroke:#1f3f99;stroke-width:1.2;fill:none";
static const char RTX_CSS[] = "stroke:#e01b1b;stroke-width:1.6;fill:none";
static const char ACK_CSS[] = "stroke:#2a9a2a;stroke-width:1.3;fill:none";
static const char WIN_CSS[] = "stroke:#c9a200;stroke-width:1.3;fill:none";
static const char SACK_CSS[] = "stroke:#9b30c8;stroke-width:2.2;fill:none";
static const char LOST_CSS[] = "stroke:#e01b1b;stroke-width:1.6;fill:none";

int tsg_svg(FILE *f, const struct capture *c, const struct graph_opts *o)
{
	struct cap_conn k;
	cap_conn_scan(c, o->cport, &k);
	bool *rtx = malloc(((size_t)c->npkt + 1) * sizeof(*rtx));
	if (!rtx)
		return -ENOMEM;
	cap_mark_retrans(c, o->cport, rtx);
	uint32_t isn = k.isn[0];
	double tmin = INFINITY, tmax = -INFINITY, data_top = 0, win_top = 0;
	int nseg = 0;
	for (uint32_t i = 0; i < c->npkt; i++) {
		const struct cap_pkt *p = &c->pkt[i];
		if (p->cport != o->cport)
			continue;
		uint64_t t = p->from_client ? p->sent_us : p->done_us;
		if (!p->from_client && p->fate != CAP_DELIVERED)
			continue;
		if (!in_window(o, t))
			continue;
		tmin = fmin(tmin, (double)t / 1e6);
		tmax = fmax(tmax, (double)t / 1e6);
		if (p->from_client) {
			double top = (double)(uint32_t)(p->seq - isn + p->len);
			data_top = fmax(data_top, top);
			nseg += p->len > 0;
		} else if (p->flags & TH_ACK) {
			win_top = fmax(win_top, (double)(uint32_t)(p->ack - isn) + cap_pkt_window(&k, p));
		}
	}
	if (!(tmax >= tmin)) {
		tmin = 0;
		tmax = 1;
	}
	if (tmax - tmin < 1e-3)
		tmax = tmin + 1e-3;
	double ytop = fmax(data_top, fmin(win_top, data_top * 1.3));
	if (ytop <= 0)
		ytop = 1;
	struct axis x = {tmin, tmax, G_LEFT, G_RIGHT};
	struct axis y = {0, ytop * 1.04, T_BOTTOM, T_TOP};

	svg_begin(f, G_W, T_H, NULL);
	svg_text(f, 20, 26, "start", "title", "%s", o->title ? o->title : "time-sequence graph");
	svg_text(f, 20, 44, "start", "sub", "%s%sclient → server data, sequence numbers relative to the ISN",
		 o->subtitle ? o->subtitle : "", o->subtitle ? " · " : "");
	static const struct legend_item items[] = {
		{SEG_CSS, "segment sent", false, false}, {RTX_CSS, "retransmission", false, false},
		{LOST_CSS, "lost on the link", false, true}, {ACK_CSS, "ACK (at the sender)", false, false},
		{WIN_CSS, "ACK + receive window", false, false}, {SACK_CSS, "SACK block", false, false},
	};
	draw_legend(f, G_LEFT, 74, items, sizeof(items) / sizeof(items[0]));
	fprintf(f, "<defs>");
	clip(f, "plot", &x, &y);
	fprintf(f, "</defs>\n");
	draw_axes(f, &x, &y, true, "time (s)", "sequence number (bytes)");
	fprintf(f, "<g clip-path=\"url(#plot)\">\n");

	/* ACK and window lines: steps at each ACK's arrival at the sender. */
	for (int pass = 0; pass < 2; pass++) {
		bool started = false;
		fprintf(f, "<path style=\"%s\" d=\"", pass ? WIN_CSS : ACK_CSS);
		for (uint32_t i = 0; i < c->npkt; i++) {
			const struct cap_pkt *p = &c->pkt[i];
			if (p->cport != o->cport || p->from_client || p->fate != CAP_DELIVERED ||
			    !(p->flags & TH_ACK) || !in_window(o, p->done_us))
				continue;
			double v = (double)(uint32_t)(p->ack - isn) + (pass ? cap_pkt_window(&k, p) : 0);
			double px = ax(&x, (double)p->done_us / 1e6), py = ax(&y, v);
			if (!started)
				fprintf(f, "M%.1f,%.1f", px, py);
			else
				fprintf(f, "H%.1fV%.1f", px, py);
			started = true;
		}
		fprintf(f, "%s\"/>\n", started ? "" : "M0,0");
	}
	/* SACK blocks, at the arrival of the ACK that carried them. */
	fprintf(f, "<path style=\"%s\" d=\"", SACK_CSS);
	for (uint32_t i = 0; i < c->npkt; i++) {
		const struct cap_pkt *p = &c->pkt[i];
		if (p->cport != o->cport || p->from_client || p->fate != CAP_DELIVERED ||
		    !in_window(o, p->done_us))
			continue;
		double px = ax(&x, (double)p->done_us / 1e6);
		for (uint8_t b = 0; b < p->nsack; b++)
			fprintf(f, "M%.1f,%.1fV%.1f", px, ax(&y, (double)(uint32_t)(p->sack[b][0] - isn)),
				ax(&y, (double)(uint32_t)(p->sack[b][1] - isn)));
	}
	fprintf(f, "M0,0\"/>\n");
	/* Segments as I-beams: first and retransmitted ones, then the lost. */
	for (int pass = 0; pass < 3; pass++) {
		fprintf(f, "<path style=\"%s\" d=\"", pass == 0 ? SEG_CSS : pass == 1 ? RTX_CSS : LOST_CSS);
		for (uint32_t i = 0; i < c->npkt; i++) {
			const struct cap_pkt *p = &c->pkt[i];
			if (p->cport != o->cport || !p->from_client || !in_window(o, p->sent_us))
				continue;
			uint32_t span = p->len + !!(p->flags & (TH_SYN | TH_FIN));
			if (!span)
				continue;
			double px = ax(&x, (double)p->sent_us / 1e6);
			double y0 = ax(&y, (double)(uint32_t)(p->seq - isn));
			double y1 = ax(&y, (double)(uint32_t)(p->seq - isn + span));
			if (pass == 2) {
				if (p->fate != CAP_DELIVERED || p->corrupted)
					fprintf(f, "M%.1f,%.1fl6,6m0,-6l-6,6", px + 2, y1 - 9);
				continue;
			}
			if (rtx[i] != (pass == 1))
				continue;
			fprintf(f, "M%.1f,%.1fV%.1fM%.1f,%.1fh4M%.1f,%.1fh4", px, y0, y1, px - 2, y0,
				px - 2, y1);
		}
		fprintf(f, "M0,0\"/>\n");
	}
	fprintf(f, "</g>\n");
	svg_end(f);
	free(rtx);
	return nseg;
}

/* ---- congestion plot ---- */

#define C_H 760.0
#define C1_TOP 100.0
#define C1_BOTTOM 400.0
#define C2_TOP 460.0
#define C2_BOTTOM 700.0

static const char CWND_CSS[] = "stroke:#1f5fbf;stroke-width:1.6;fill:none";
static const char SSTH_CSS[] = "stroke:#e07000;stroke-width:1.4;stroke-dasharray:6,3;fill:none";
static const char FLIGHT_CSS[] = "stroke:#9a9a9a;stroke-width:1;fill:none";
static const char SAMPLE_CSS[] = "fill:#7fa7d9;stroke:none";
static const char SRTT_CSS[] = "stroke:#1f3f99;stroke-width:1.6;fill:none";
static const char RTO_CSS[] = "stroke:#c62828;stroke-width:1.3;stroke-dasharray:5,3;fill:none";
static const char RTOEV_CSS[] = "stroke:#c62828;stroke-width:1;stroke-dasharray:2,3;fill:none";
static const char FR_CSS[] = "fill:#e07000;stroke:none";

static bool cc_event(const struct capture *c, const struct graph_opts *o, uint32_t i, uint8_t kind)
{
	const struct cap_event *e = &c->ev[i];
	return e->kind == kind && e->client && e->cport == o->cport && in_window(o, e->at_us);
}

/* One step line over the events of a kind: value() picks the field; a
 * value of UINT32_MAX lifts the pen (ssthresh before the first loss). */
static void step_path(FILE *f, const struct capture *c, const struct graph_opts *o, uint8_t kind,
		      int field, const struct axis *x, const struct axis *y, double scale,
		      const char *css, double t_end)
{
	fprintf(f, "<path style=\"%s\" d=\"", css);
	bool pen = false;
	double last_y = 0;
	for (uint32_t i = 0; i < c->nev; i++) {
		if (!cc_event(c, o, i, kind))
			continue;
		const struct cap_event *e = &c->ev[i];
		uint32_t v = field == 0 ? e->a : field == 1 ? e->b : e->c;
		double px = ax(x, (double)e->at_us / 1e6);
		if (v == UINT32_MAX) {
			if (pen)
				fprintf(f, "H%.1f", px);
			pen = false;
			continue;
		}
		double py = ax(y, v * scale);
		if (!pen)
			fprintf(f, "M%.1f,%.1f", px, py);
		else
			fprintf(f, "H%.1fV%.1f", px, py);
		pen = true;
		last_y = py;
	}
	if (pen)
		fprintf(f, "H%.1f", ax(x, t_end));
	(void)last_y;
	fprintf(f, "%s\"/>\n", pen ? "" : "M0,0");
}

int cwnd_svg(FILE *f, const struct capture *c, const struct graph_opts *o)
{
	double tmin = INFINITY, tmax = -INFINITY, cmax = 0, rmax = 0;
	int n = 0;
	for (uint32_t i = 0; i < c->nev; i++) {
		const struct cap_event *e = &c->ev[i];
		if (!e->client || e->cport != o->cport || !in_window(o, e->at_us))
			continue;
		if (e->kind != CAP_EV_CWND && e->kind != CAP_EV_RTT)
			continue;
		double t = (double)e->at_us / 1e6;
		tmin = fmin(tmin, t);
		tmax = fmax(tmax, t);
		n++;
		if (e->kind == CAP_EV_CWND) {
			cmax = fmax(cmax, e->a);
			cmax = fmax(cmax, e->c);
			if (e->b != UINT32_MAX)
				cmax = fmax(cmax, fmin(e->b, e->a * 2.0));
		} else {
			rmax = fmax(rmax, e->a / 1e3);
			rmax = fmax(rmax, e->c / 1e3);
		}
	}
	if (!(tmax >= tmin)) {
		tmin = 0;
		tmax = 1;
	}
	if (tmax - tmin < 1e-3)
		tmax = tmin + 1e-3;
	struct axis x1 = {tmin, tmax, G_LEFT, G_RIGHT}, x2 = x1;
	struct axis y1 = {0, (cmax > 0 ? cmax : 1) * 1.08, C1_BOTTOM, C1_TOP};
	struct axis y2 = {0, (rmax > 0 ? rmax : 1) * 1.08, C2_BOTTOM, C2_TOP};

	svg_begin(f, G_W, C_H, NULL);
	svg_text(f, 20, 26, "start", "title", "%s", o->title ? o->title : "congestion window and RTT");
	svg_text(f, 20, 44, "start", "sub", "%s%sthe client's (sender's) view, from its trace events",
		 o->subtitle ? o->subtitle : "", o->subtitle ? " · " : "");
	static const struct legend_item top[] = {
		{CWND_CSS, "cwnd", false, false}, {SSTH_CSS, "ssthresh", false, false},
		{FLIGHT_CSS, "bytes in flight", false, false}, {RTOEV_CSS, "RTO fired", false, false},
		{FR_CSS, "fast retransmit", true, false},
	};
	static const struct legend_item bottom[] = {
		{SAMPLE_CSS, "RTT sample", true, false}, {SRTT_CSS, "SRTT", false, false}, {RTO_CSS, "RTO", false, false},
	};
	draw_legend(f, G_LEFT, 74, top, sizeof(top) / sizeof(top[0]));
	draw_legend(f, G_LEFT, C2_TOP - 14, bottom, sizeof(bottom) / sizeof(bottom[0]));
	fprintf(f, "<defs>");
	clip(f, "p1", &x1, &y1);
	clip(f, "p2", &x2, &y2);
	fprintf(f, "</defs>\n");
	draw_axes(f, &x1, &y1, true, "", "window (bytes)");
	draw_axes(f, &x2, &y2, false, "time (s)", "RTT (ms)");

	fprintf(f, "<g clip-path=\"url(#p1)\">\n");
	fprintf(f, "<path style=\"%s\" d=\"", RTOEV_CSS);
	for (uint32_t i = 0; i < c->nev; i++)
		if (cc_event(c, o, i, CAP_EV_RTO))
			fprintf(f, "M%.1f,%.1fV%.1f", ax(&x1, (double)c->ev[i].at_us / 1e6), C1_TOP, C1_BOTTOM);
	fprintf(f, "M0,0\"/>\n");
	step_path(f, c, o, CAP_EV_CWND, 2, &x1, &y1, 1, FLIGHT_CSS, tmax);
	step_path(f, c, o, CAP_EV_CWND, 1, &x1, &y1, 1, SSTH_CSS, tmax);
	step_path(f, c, o, CAP_EV_CWND, 0, &x1, &y1, 1, CWND_CSS, tmax);
	fprintf(f, "<path style=\"%s\" d=\"", FR_CSS);
	for (uint32_t i = 0; i < c->nev; i++)
		if (cc_event(c, o, i, CAP_EV_FAST_RETRANS))
			fprintf(f, "M%.1f,%.1fl-4,-7h8z", ax(&x1, (double)c->ev[i].at_us / 1e6), C1_BOTTOM - 1);
	fprintf(f, "M0,0\"/>\n</g>\n");

	fprintf(f, "<g clip-path=\"url(#p2)\">\n<path style=\"%s\" d=\"", SAMPLE_CSS);
	for (uint32_t i = 0; i < c->nev; i++)
		if (cc_event(c, o, i, CAP_EV_RTT))
			fprintf(f, "M%.1f,%.1fa2,2 0 1,0 0.1,0z", ax(&x2, (double)c->ev[i].at_us / 1e6),
				ax(&y2, c->ev[i].a / 1e3));
	fprintf(f, "M0,0\"/>\n");
	step_path(f, c, o, CAP_EV_RTT, 2, &x2, &y2, 1e-3, RTO_CSS, tmax);
	step_path(f, c, o, CAP_EV_RTT, 1, &x2, &y2, 1e-3, SRTT_CSS, tmax);
	fprintf(f, "</g>\n");
	svg_end(f);
	return n;
}
