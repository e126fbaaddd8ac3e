/* The visual outputs of `glasstcp sim`: pcap, JSON-lines trace, ladder
 * diagrams (SVG and text), time-sequence graph, cwnd/RTT plot, and socket
 * listings at chosen virtual times. cmd_sim.c parses the options into
 * struct sim_viz_opts and calls these around the run. */
#ifndef GT_TOOLS_SIM_VIZ_H
#define GT_TOOLS_SIM_VIZ_H

#include <glasstcp/viz.h>

#include "sim/transfer.h"
#include "viz/capture.h"

#define SIM_VIZ_MAX_SS 32

struct sim_viz_opts {
	const char *pcap, *trace_json, *ladder, *ladder_text, *tsg, *cwnd;
	uint32_t conn;             /* 1-based */
	double from_s, to_s;       /* to_s < 0: the end */
	bool no_compress;
	uint32_t ladder_max;
	uint32_t nss;
	double ss_at_s[SIM_VIZ_MAX_SS];
};

struct sim_viz {
	struct sim_viz_opts o;
	struct capture cap;
	bool capturing;
	gt_pcap *pcap;
	struct gt_pcap_tap ptap;
	FILE *json;
	gt_stack *client, *server;
	uint32_t ss_next;
};

/* Parses one viz option at argv[*i] (advancing *i past a value). Returns 1
 * when it was one, 0 when not, -1 on a bad value. */
int sim_viz_parse(struct sim_viz_opts *o, int argc, char **argv, int *i);
void sim_viz_usage(FILE *f);
/* Before xfer_init: opens files, installs the simulator tap and the
 * listing host, and fills the trace hook of xc. 0 or -errno. */
int sim_viz_start(struct sim_viz *v, const struct sim_viz_opts *o, gt_sim *sim,
		  gt_stack *client, int client_host, uint32_t client_addr,
		  gt_stack *server, int server_host, uint32_t server_addr,
		  struct xfer_config *xc);
/* After the run: listings not reached, then the drawings. 0 or -errno. */
int sim_viz_finish(struct sim_viz *v, const struct xfer *x, gt_sim *sim, const char *subtitle);
void sim_viz_free(struct sim_viz *v);

#endif
