/* Small helpers for writing SVG by hand: escaped text, number formats and
 * "nice" axis ticks. Shared by the ladder diagram and the graphs. */
#ifndef GT_VIZ_SVG_H
#define GT_VIZ_SVG_H

#include <stdint.h>
#include <stdio.h>

/* Opens the document with a white background and the shared style sheet
 * (classes used by every drawing: .t text, .small, .title, .axis...). */
void svg_begin(FILE *f, double w, double h, const char *extra_css);
void svg_end(FILE *f);
/* <text> at x,y with anchor ("start", "middle", "end") and class; the text
 * is printf-formatted, then XML-escaped. */
void svg_text(FILE *f, double x, double y, const char *anchor, const char *cls,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Writes s XML-escaped. */
void svg_escape(FILE *f, const char *s);
/* A tick step near range/target of the form 1, 2 or 5 x 10^k. */
double svg_nice_step(double range, int target);
/* "1.5M", "300k", "120": bytes for axis labels. */
void svg_fmt_bytes(char *buf, size_t n, double v);

#endif
