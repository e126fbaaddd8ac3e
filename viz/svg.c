/* SVG writing helpers (see svg.h). */
#include <math.h>
#include <stdarg.h>

#include "viz/svg.h"

void svg_begin(FILE *f, double w, double h, const char *extra_css)
{
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
		"<style>\n"
		"text { font-size: 11px; fill: #222; }\n"
		".title { font-size: 15px; font-weight: bold; }\n"
		".sub { font-size: 11px; fill: #555; }\n"
		".small { font-size: 9.5px; fill: #555; }\n"
		".halo { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }\n"
		".axis { stroke: #444; stroke-width: 1; fill: none; }\n"
		".grid { stroke: #e4e4e4; stroke-width: 1; }\n"
		"%s"
		"</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		w, h, w, h, extra_css ? extra_css : "");
}

void svg_end(FILE *f) { fprintf(f, "</svg>\n"); }

void svg_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

void svg_text(FILE *f, double x, double y, const char *anchor, const char *cls,
	      const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchor);
	if (cls && *cls)
		fprintf(f, " class=\"%s\"", cls);
	fputc('>', f);
	svg_escape(f, buf);
	fputs("</text>\n", f);
}

double svg_nice_step(double range, int target)
{
	if (!(range > 0))
		return 1;
	double raw = range / target;
	double p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

void svg_fmt_bytes(char *buf, size_t n, double v)
{
	double a = fabs(v);
	if (a >= 1e6)
		snprintf(buf, n, "%gM", round(v / 1e4) / 100);
	else if (a >= 1e3)
		snprintf(buf, n, "%gk", round(v / 10) / 100);
	else
		snprintf(buf, n, "%g", v);
}
