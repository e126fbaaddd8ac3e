/* Ladder (sequence) diagrams of one connection from a capture: two
 * timelines, client left and server right, one slanted arrow per segment,
 * lost segments stopping half-way, state changes on each timeline and
 * TIME_WAIT as a bar. As SVG, or as text for a terminal. */
#ifndef GT_VIZ_LADDER_H
#define GT_VIZ_LADDER_H

#include <stdio.h>

#include "viz/capture.h"

#define LADDER_MAX_PKTS_DEFAULT 300u

struct ladder_opts {
	uint16_t cport;            /* the connection (client port) */
	uint64_t from_us, to_us;   /* segments sent in [from_us, to_us] */
	bool compress;             /* shorten idle gaps to a marked break */
	uint32_t max_pkts;         /* past this, quiet runs are elided */
	const char *title;         /* may be NULL */
	const char *subtitle;      /* may be NULL */
};

/* Returns the number of segments drawn, or a negative errno. */
int ladder_svg(FILE *f, const struct capture *c, const struct ladder_opts *o);
int ladder_text(FILE *f, const struct capture *c, const struct ladder_opts *o);

#endif
