/* glasstcp: making runs visible from outside the core: pcap capture files
 * (a wrapper device for any runtime, a tap for the simulator), trace events
 * as JSON lines, and an `ss`-like printer for gt_stack_list(). These do file
 * I/O through stdio, so they live beside the simulator, never in the core. */
#ifndef GLASSTCP_VIZ_H
#define GLASSTCP_VIZ_H

#include <stdio.h>

#include <glasstcp/inspect.h>
#include <glasstcp/sim.h>
#include <glasstcp/stack.h>
#include <glasstcp/stats.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A pcap file (the classic format, microsecond timestamps) of raw IPv4
 * packets: link type LINKTYPE_RAW (101), readable by tcpdump and Wireshark. */
#define GT_PCAP_LINKTYPE_RAW 101
typedef struct gt_pcap gt_pcap;

/* Creates path and writes the file header; NULL with *err = -errno on failure. */
gt_pcap *gt_pcap_open(const char *path, int *err);
/* Appends one packet stamped ts_us; 0 or -EIO. */
int gt_pcap_write(gt_pcap *p, uint64_t ts_us, const void *pkt, size_t len);
uint64_t gt_pcap_frames(const gt_pcap *p);
/* Flushes and frees; 0 or -EIO if any write failed. */
int gt_pcap_close(gt_pcap *p);

/* A wrapper device: every packet the stack sends is written to pcap, then
 * handed to inner. Incoming packets go through gt_pcap_device_input(). Set
 * stack after gt_stack_new() so outgoing packets carry the stack's time. */
struct gt_pcap_device {
	struct gt_device inner;
	gt_pcap *pcap;
	const gt_stack *stack;
};
/* Fills *dev (to pass to gt_stack_new) with the wrapper around w->inner. */
void gt_pcap_device_wrap(struct gt_pcap_device *w, struct gt_device *dev);
/* Writes an arriving packet to the capture, then gives it to the stack. */
void gt_pcap_device_input(struct gt_pcap_device *w, gt_stack *stack, uint64_t now_us,
			  const void *pkt, size_t len);

/* A simulator tap (pass gt_pcap_sim_tap and a struct gt_pcap_tap to
 * gt_sim_set_tap) writing, in virtual time, each packet that meets fate:
 * GT_SIM_SENT captures at the senders (lost packets included),
 * GT_SIM_DELIVERED at the receivers. host >= 0 keeps packets from or to that
 * host only. */
struct gt_pcap_tap {
	gt_pcap *pcap;
	enum gt_sim_fate fate;
	int host;
};
void gt_pcap_sim_tap(void *tap, const struct gt_sim_packet_info *p);

/* Writes ev as one JSON object on one line; host names the stack ("client"). */
void gt_trace_json(FILE *f, const char *host, const struct gt_trace_event *ev);

/* "10.0.0.1:80" or "[2001:db8::1]:80" (RFC 5952 text, IPv4-mapped as
 * "[::ffff:10.0.0.1]:80"), into buf; returns buf. */
const char *gt_sockaddr_str(char *buf, size_t n, const struct gt_sockaddr *a);

/* Prints entries like `ss -tanoi`, timers relative to now_us. */
void gt_sock_list_print(FILE *f, const struct gt_sock_entry *e, size_t n, uint64_t now_us);

#ifdef __cplusplus
}
#endif
#endif
