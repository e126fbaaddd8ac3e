/* Internal: FreeBSD's wrapper around its congestion control modules,
 * cc_ack_received(CC_ACK) (sys/netinet/tcp_input.c, fel1x-developer/
 * freebsd-src 2d614aa), for the FreeBSD profile (tcp_conn.ss_bsd, set by
 * cfg.slow_start_bsd). It is called for every ACK that moves SND.UNA, in
 * recovery too; the modules grow cwnd only outside recovery while
 * CCF_CWND_LIMITED is set (newreno_ack_received(), cubic_ack_received()). */
#ifndef GT_TCP_CC_BSD_H
#define GT_TCP_CC_BSD_H

#include <stdbool.h>
#include <stdint.h>

struct tcp_conn;

/* CCF_ABC_SENTAWND, kept in the top bit of tcp_conn.bytes_acked, which
 * holds FreeBSD's t_bytes_acked (below cwnd, which TCP_MAXWIN << 14 keeps
 * under 2^30) in the FreeBSD profile. */
#define TCP_CC_BSD_SENTAWND 0x80000000u

/* cc_ack_received(CC_ACK) for an ACK of acked bytes (BYTES_THIS_ACK:
 * SEG.ACK - SND.UNA before it moves, a FIN counted). recovery:
 * IN_RECOVERY(), fast or congestion (ECN) recovery, still set on the ACK
 * that ends it (process_ACK's EXIT_RECOVERY comes after). wnd: SND.WND
 * as the ACK found it, before "tp->snd_wnd -= acked" and before the
 * window update of step6. */
void tcp_cc_bsd_ack_received(struct tcp_conn *c, uint32_t acked, bool recovery, uint32_t wnd,
			     uint64_t now_us);

/* cwnd += n, at most TCP_MAXWIN << snd_scale, as FreeBSD's modules cap
 * their growth. */
void tcp_cc_bsd_cwnd_add(struct tcp_conn *c, uint32_t n);

/* The ABC slow-start step of newreno_ack_received() and
 * cubic_does_slow_start(): what the ACK acknowledged, at most abc_l_var
 * (2) segments of maxseg, one after an RTO pulled SND.NXT back
 * (tcp_cc_abc_full()); through tcp_cc_bsd_cwnd_add(). */
void tcp_cc_bsd_ss_step(struct tcp_conn *c, uint32_t acked, uint32_t maxseg);

/* cc_post_recovery()'s "tp->t_bytes_acked = 0" (CCF_ABC_SENTAWND kept). */
void tcp_cc_bsd_post_recovery(struct tcp_conn *c);

/* cubic_ack_received() for one CC_ACK (tcp_cc_cubic_bsd only): limited is
 * CCF_CWND_LIMITED, acked the bytes for its slow start. False where the
 * connection has no CUBIC state (short of memory): NewReno's rule then. */
bool tcp_cubic_bsd_ack_received(struct tcp_conn *c, uint32_t acked, bool recovery, bool limited,
				uint64_t now_us);

/* cubic_post_recovery()'s average of the epoch's SRTTs into mean_rtt
 * (tcp_cc_cubic_bsd only; nothing for another module), for the end of
 * an ECN reduction, where cwnd is left as it is. */
void tcp_cubic_bsd_epoch_rtt(struct tcp_conn *c);

#endif
