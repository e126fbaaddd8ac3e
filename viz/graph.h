/* Graphs of one connection's client-to-server transfer from a capture: the
 * time-sequence graph (tcptrace / Wireshark "Stevens" style: segments as
 * sequence over time, the ACK line, the receive-window line, retransmissions,
 * losses and SACK blocks) and the congestion plot (cwnd, ssthresh and bytes
 * in flight above; RTT samples, SRTT and RTO below). SVG. */
#ifndef GT_VIZ_GRAPH_H
#define GT_VIZ_GRAPH_H

#include <stdio.h>

#include "viz/capture.h"

struct graph_opts {
	uint16_t cport;            /* the connection (client port) */
	uint64_t from_us, to_us;   /* the time window */
	const char *title;         /* may be NULL */
	const char *subtitle;      /* may be NULL */
};

/* Each returns the number of segments (tsg) or samples (cwnd) plotted, or a
 * negative errno. */
int tsg_svg(FILE *f, const struct capture *c, const struct graph_opts *o);
int cwnd_svg(FILE *f, const struct capture *c, const struct graph_opts *o);

#endif
