/* The stack object: configuration and profiles, creation, the three sans-I/O
 * entry points (input, poll, next deadline), counters and traces. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stack_internal.h"
#include "tcp/tcp.h"
#include "util/be.h"

static void config_common(struct gt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_sockets = 1u << 20;
	c->max_conns = 1u << 20;
	c->max_timewait = 1u << 18;
	c->max_syn_backlog = 4096;
	c->zerocopy_pending_max = 128; /* MSG_ZEROCOPY sends awaiting notice, per socket */
	c->somaxconn = 4096; /* Linux 5.4+: net.core.somaxconn */
	/* Holes at once in the receive window: reordering at full speed
	 * makes tens (5% of packets a round trip late at 1 Gbit/s made 32
	 * drop 167 segments in tests/scenario/test_reorder.c's setup), and
	 * the end of slow start on a long fat path thousands. 0: the
	 * profile's rule alone (tcp_reass_limit()): Linux bounds its
	 * out-of-order queue by receive memory only, so one range per two
	 * segments of the ring; FreeBSD by 100 segments
	 * (net.inet.tcp.reass.maxqueuelen, set below). */
	c->max_reass_ranges = 0;
	c->max_buffer_bytes = 1ull << 32;
	c->buffer_cache_bytes = 2u << 20;
	/* One ring of buf_max_bytes; never less when buf_max_bytes grows
	 * (tcp_buf_cache_bound()). */
	c->buffer_cache_hold_bytes = 16u << 20;
	c->buffer_cache_hold_us = 1000000;
	c->buf_max_bytes = 16u << 20;
	c->opt_wscale = true;
	c->opt_timestamps = true;
	c->opt_sack = true;
	c->opt_dsack = true;
	c->mss_default = 536; /* RFC 9293 3.7.1 */
	/* tcp_timer.c's VNET defaults: detection off, 1200 and 1220. */
	c->pmtud_blackhole_mss = 1200;
	c->v6pmtud_blackhole_mss = 1220;
	c->pmtu_cache = true;
	c->pmtu_expire_s = c->pmtu6_expire_s = 600; /* ip_rt_mtu_expires, ip6_rt_mtu_expires */
	/* Linux's ip_rt_min_pmtu, 552 (net.ipv4.route.min_pmtu): an ICMP
	 * MTU under it is taken as 552 and the route locked there
	 * (__ip_rt_update_pmtu()), and the connection sends without DF
	 * (ip_dont_fragment(), tcp_ip_df()) for the router before a smaller
	 * link to fragment: the simulator's links fragment such packets
	 * (sim/link.c), which swarm seeds 96220906 and 50012122's 296-byte
	 * links needed. */
	c->pmtu_min = 552;
	c->msl_ms = 30000;
	c->tw_reuse_delay_ms = 1000; /* Linux's tcp_sk_init() */
	c->fin_wait2_timeout_ms = 60000;
	c->rto_initial_us = 1000000; /* RFC 6298 2.1 */
	c->rto_max_us = 120000000;
	c->delack_us = 40000;
	c->cork_max_us = 200000; /* Linux's limit */
	c->data_retries = 15;
	c->max_orphans = UINT32_MAX;
	c->keepalive_idle_s = 7200;
	c->keepalive_intvl_s = 75;
	c->keepalive_probes = 9;
	c->persist_min_us = 200000;
	c->persist_max_us = 120000000;
	c->initial_cwnd_segs = 10; /* RFC 6928 */
	c->syn_rtx_cwnd_one = 1;   /* the Linux profile's is 2, below */
	c->reordering_segs = 3; /* RFC 5681 DupThresh; Linux tcp_reordering */
	c->max_reordering_segs = 300; /* Linux tcp_max_reordering */
	c->limited_transmit = true;
	c->rfc5961 = true;
	c->challenge_ack_per_s = 1000;
	c->rfc1337 = false; /* Linux: net.ipv4.tcp_rfc1337=0; freebsd below */
	/* Both kernels keep what was received after a reset or a timeout:
	 * Linux's tcp_done_with_error() purges the write queue only, and
	 * FreeBSD's tcp_close() -> soisdisconnected() drops so_snd, not
	 * so_rcv, which soreceive_generic() delivers before so_error. */
	c->reset_keeps_unread = true;
	c->syncookies = 1;
	/* Off in both profiles: neither kernel remembers a cookie's end
	 * (stack.h); glasstcp's own rule is there to be switched on. */
	c->syncookie_end_on_rst = false;
	/* Linux: tcp_synq_no_recent_overflow(); FreeBSD: syncache_expand()'s
	 * sch_last_overflow. Each with its own clock: stack.h. */
	c->syncookie_after_overflow = true;
	c->ecn = 2; /* Linux tcp_ecn, FreeBSD ecn.enable: accept, never ask */
	c->icmp_may_rst = true;
	c->hop_limit = 64;
	c->udp_tun_overhead = 8; /* TCP_TUNNELING_OVERHEAD_DEFAULT: the UDP header */
	c->udp_tun_max_conns = 64;
	c->reasm_max_datagrams = 8;
	c->reasm_max_bytes = 256 * 1024;
	c->reasm_timeout4_ms = 30000;
	c->reasm_timeout6_ms = 60000;
}

void gt_config_default(struct gt_config *c, enum gt_profile profile)
{
	config_common(c);
	switch (profile) {
	case GT_PROFILE_FREEBSD:
		c->fastopen_bsd = true;        /* sys/netinet/tcp_fastopen.c, client side */
		c->fastopen_bsd_client = true; /* net.inet.tcp.fastopen.client_enable */
		c->fastopen_bsd_autokey_s = 120; /* net.inet.tcp.fastopen.autokey */
		c->fastopen_bsd_newest = 1;      /* tcp_fastopen_init(): MAX_KEYS - 1 */
		c->send_epipe_keeps_error = true; /* sosend_generic() */
		c->somaxconn = 128;        /* SOMAXCONN: kern.ipc.somaxconn */
		c->acceptq_bsd = true;     /* solisten_clone(): 3 * sol_qlimit / 2 */
		c->acceptq_full_at_ack = true; /* syncache_socket(): sonewconn() at the ACK */
		c->accept_keeps_reset = true; /* tcp_close(): stays on sol_comp */
		c->accept_aborts_dropped = true; /* tcp_usr_accept(): ECONNABORTED */
		c->accept_inherits_nonblock = true; /* accept(): ACCEPT4_INHERIT */
		c->sndbuf_bytes = 32768;
		c->rcvbuf_bytes = 65536;
		c->rcvbuf_autotune = true;     /* net.inet.tcp.recvbuf_auto = 1 */
		c->buf_autosize_bsd = true;    /* tcp_autorcvbuf(), tcp_sndbuf_autoscale() */
		c->rcvbuf_max_bytes = 2u << 20; /* net.inet.tcp.recvbuf_max */
		c->sndbuf_autotune = true;      /* net.inet.tcp.sendbuf_auto = 1 */
		c->sndbuf_max_bytes = 2u << 20; /* net.inet.tcp.sendbuf_max */
		c->sockopt_buf_double = false;
		c->buf_round_to_mss = true;
		c->bsd_minmss = 216; /* net.inet.tcp.minmss, TCP_MINMSS (tcp_var.h) */
		c->pmtu_cache_bsd = true; /* tcp_hostcache.c */
		c->pmtu_expire_s = c->pmtu6_expire_s = 3600; /* TCP_HOSTCACHE_EXPIRE */
		c->pmtu_prune_s = 300;  /* TCP_HOSTCACHE_PRUNE */
		c->pmtu_min = 0;        /* tcp_next_pmtu()'s floor is bsd_minmss + 40 */
		c->maxseg_bsd = true;
		c->cc_names_bsd = true;
		c->sb_lowat = 2048; /* MCLBYTES: soreserve() */
		c->sockopt_bits_bsd = true; /* sogetopt(): so_options & sopt_name */
		/* sb_max, kern.ipc.maxsockbuf: SB_MAX, 2 MiB (sys/sockbuf.h);
		 * SO_*BUF above sb_max_adj fails (sbreserve_locked()). */
		c->buf_max_bytes = 2u << 20;
		c->rcv_sws_bsd = true;
		c->rcv_wnd_roundup = true; /* FreeBSD 14's tcp_output() */
		c->rcv_wnd_from_space = true;
		c->ack_resends_fin = true;
		c->listen_synack_drop = true; /* the suite's recording, not 14's tcp_input(): stack.h */
		c->ack_every_second_seg = true;
		c->tw_bsd_check = true;
		c->tw_win_tcpcb_bsd = true; /* tcp_twstart(), tcp_respond(): 2d614aa */
		c->tcpi_tcpcb_bsd = true;   /* tcp_ctloutput(), tcp_fill_info(): 2d614aa */
		c->shut_wr_synsent_needfin = true; /* tcp_usrclosed(): TF_NEEDFIN */
		/* tcp_twcheck() drops every RST: TIME_WAIT is never cut
		 * short, which is RFC 1337's rule. */
		c->rfc1337 = true;
		c->dsack_ack_now = true;
		c->trim_by_data = true;
		c->zero_wnd_drops_ack = true; /* tcp_do_segment(): dropafterack */
		/* tcp_do_segment()'s ts_recent test against last_ack_sent,
		 * on the trimmed segment. */
		c->ts_recent_last_ack = true;
		c->ts_recent_bsd_trim = true;
		c->syncache_expand_bsd = true;
		c->synrcvd_syn_bsd = true;        /* tcp_do_segment(): no SYN block in SYN_RECEIVED */
		c->synrcvd_simopen_bsd = true;    /* the same: TF_NEEDSYN, tcp_reass(), dropwithreset */
		c->dupsyn_drops_ts = true;     /* syncache_add(), a duplicate SYN */
		c->dupsyn_bsd = true;          /* the same: sc_tsreflect, sc_rxmits */
		c->syncookie_bsd = true;
		/* net.inet.tcp.syncache.rst_on_sock_fail: 1 by default
		 * (tcp_sc_rst_sock_fail in tcp_syncache.c). */
		c->syncookie_fail_rst = true;
		c->rto_zero_wnd_persist = true; /* tcp_output(), sendwin 0 */
		c->nagle_bsd = true;            /* tcp_output(): the idle rule */
		c->keepinit_bsd = true;         /* tcp_default_ctloutput(): TCP_KEEPINIT */
		/* TCP_NOPUSH has no timer (tcp_output(), tcp_default_ctloutput()):
		 * what it holds with nothing unacknowledged waits for the
		 * persist timer, at least tcp_persmin (docs/freebsd.md). */
		c->cork_max_us = 0;
		/* tcp_setpersist(): TCPTV_PERSMIN 5 s and TCPTV_PERSMAX 60 s
		 * (tcp_timer.h; the net.inet.tcp.persmin and persmax
		 * defaults), the interval from SRTT and RTTVAR. */
		c->persist_bsd = true;
		c->ack_seq_bsd = true;  /* tcp_output(): a bare ACK at snd_max */
		c->persist_min_us = 5000000;
		c->persist_max_us = 60000000;
		c->reass_full_drops_new = true;
		c->reass_fin_before_end_drops = true; /* tcp_reass(): "trying to game us" */
		c->paws_bsd = true;            /* tcp_do_segment(): RFC 1323 PAWS */
		c->sack_list_bsd = true; /* tp->sackblks[] */
		c->max_reass_ranges = 100; /* net.inet.tcp.reass.maxqueuelen */
		c->ecn_halves_cwnd = true;     /* newreno_cong_signal(CC_ECN) */
		/* newreno_cong_signal(): CC_NDUPACK and CC_ECN take
		 * max(cwnd * beta / 100 / maxseg, 2) * maxseg, beta 50 (the
		 * Linux formula), CC_RTO max(min(snd_wnd, cwnd) / 2 / maxseg,
		 * 2) * maxseg (sys/netinet/cc/cc.c, FreeBSD 14). */
		c->reno_ssthresh_cwnd = true;
		c->reno_rto_ssthresh_wnd = true;
		c->slow_start_bsd = true;      /* newreno_cc_cwnd_in_slow_start() */
		c->cubic_bsd_hz = 1000;        /* cc_cubic.c with kern.hz 1000 */
		c->rto_undo_bsd = true;        /* CC_RTO_ERR: t_badrxtwin */
		c->rto_keeps_sack_recovery = true; /* cc_cong_signal(CC_RTO), t_rxtshift 1 */
		c->prr_bsd = true;             /* net.inet.tcp.do_prr = 1 */
		c->recovery_bsd = true;        /* tcp_do_segment()'s enter_recovery */
		c->sack_rescue_bsd = true;     /* tcp_sack_output(): no NextSeg() rule 4 */
		/* net.inet.tcp.sack.revised = 1 (VNET_DEFINE(int,
		 * tcp_do_newsack) = 1, tcp_sack.c): tcp_sack_partialack()'s
		 * rescue hole. */
		c->sack_partialack_rescue = true;
		c->sack_doack_bsd = true;      /* tcp_sack_doack()'s block filter */
		c->rcvdupack_bsd = true;       /* tcp_do_segment(): tcps_rcvdupack */
		c->pipe_lost_bsd = true;       /* tcp_compute_pipe() less lost_bytes */
		c->sack_output_bsd = true;     /* tcp_output(): any hole before new data */
		c->rst_closing_err = true;
		c->connect_timeout_ms = 75000; /* TCPTV_KEEP_INIT */
		c->fin2_idle_bsd = true;       /* tcp_timer_2msl(), TP_MAXIDLE */
		c->close_flush_bsd = true;     /* tcp_disconnect(), tcp_do_segment() */
		c->shut_rd_release_bsd = true; /* soshutdown(): sorflush() */
		c->ecn_syn_retries = 1;       /* net.inet.tcp.ecn.maxretries */
		c->ecn_synack_unasked = true; /* tcp_ecn_input_syn_sent() */
		c->ecn_cwr_ack_now = true;    /* tcp_ecn_input_segment() */
		c->idle_restart = 2;          /* tcp_output(): cc_after_idle() */
		c->wnd_update = GT_WND_UPDATE_BSD;
		c->oow_ack_window_ms = 1000; /* net.inet.tcp.ack_war_timewindow */
		c->oow_ack_burst = 5;        /* net.inet.tcp.ack_war_cnt */
		c->oow_ack_limit_data = true;
		c->chack_own_limit = true;   /* tcp_send_challenge_ack() */
		c->syn_opts_at_open = true;  /* tcp_newtcpcb(): TF_REQ_TSTMP */
		c->md5sig_bsd = true;        /* tcp_ipsec_pcbctl(): TF_SIGNATURE */
		c->quickack_max_segs = 0;
		/* 0xff: from sb_max as tcp_connect() computes it, 6 for the
		 * default kern.ipc.maxsockbuf (tcp_rcv_wscale()). */
		c->rcv_wscale = 0xff;
		c->synopt_order = GT_SYNOPT_FREEBSD;
		c->rto_min_us = 30000;   /* TCPTV_MIN, tcp_rexmit_min */
		c->rto_slop_us = 200000; /* TCPTV_CPU_VAR, tcp_rexmit_slop */
		c->rto_min_after_slop = true;
		c->rtt_bsd = true;       /* tcp_xmit_timer() */
		/* tcp_timer_rexmt(): TCPT_RANGESET(t_rxtcur, rexmt, t_rttmin,
		 * TCPTV_REXMTMAX), 64 s, with rexmt from tcp_backoff[], which
		 * stops doubling at 512. */
		c->rto_max_us = 64000000;
		c->rto_backoff_max_shift = 9;
		/* t_rxtshift, the backoff and the retry count in one, goes
		 * back to 0 only in tcp_xmit_timer(), an RTT sample; an ACK of
		 * new data restarts TT_REXMT with t_rxtcur as it stands
		 * (tcp_do_segment()). */
		c->backoff_needs_rtt = true;
		c->retries_need_rtt = true;
		/* tcp_timer_rexmt(): ++t_rxtshift > V_tcp_retries
		 * (TCP_MAXRXTSHIFT, 12) drops the connection in SYN_SENT as
		 * in any state; keepinit (connect_timeout_ms, 75 s) comes
		 * first unless TCP_KEEPINIT raises it. */
		c->syn_retries = 12;
		c->synack_retries = 3; /* syncache: SYNCACHE_MAXREXMTS */
		c->keepalive_probes = 8;       /* TCPTV_KEEPCNT */
		c->keepalive_always = true;    /* net.inet.tcp.always_keepalive */
		c->keepalive_model = GT_KEEPALIVE_FREEBSD; /* tcp_timer_keep(), TT_KEEP */
		c->persist_max_idle_s = 7200;  /* tcp_maxpersistidle = TCPTV_KEEP_IDLE */
		c->data_retries = 12; /* V_tcp_retries, TCP_MAXRXTSHIFT */
		c->rto_drop_rst = true; /* tcp_timer_rexmt() -> tcp_drop() */
		c->ephemeral_lo = 49152;
		c->ephemeral_hi = 65535;
		c->v6only = true; /* net.inet6.ip6.v6only */
		break;
	case GT_PROFILE_LINUX:
	default:
		c->lx_min_snd_mss = 48; /* net.ipv4.tcp_min_snd_mss */
		c->tx_busy_linux = true; /* tcp_write_xmit(), tcp_send_probe0() */
		/* tcp_sk_init(): tcp_mtu_probing 0 (TCP_MTU_PROBING_DEFAULT),
		 * tcp_base_mss 1024 (TCP_BASE_MSS), tcp_probe_threshold 8
		 * (TCP_PROBE_THRESHOLD), tcp_probe_interval 600 s
		 * (TCP_PROBE_INTERVAL), tcp_mtu_probe_floor 48 (TCP_MIN_SND_MSS). */
		c->mtu_probing_linux = true;
		c->route_metrics_linux = true; /* dst_metric_advmss(), tcp_init_cwnd() */
		c->syn_rtx_cwnd_one = 2;        /* tcp_init_transfer(): total_retrans > 1 */
		c->mtu_base_mss = 1024;
		c->mtu_probe_threshold = 8;
		c->mtu_probe_interval_s = 600;
		c->mtu_probe_floor = 48;
		c->retries1 = 3; /* TCP_RETR1 */
		c->send_unconnected_epipe = true; /* sk_stream_wait_connect() */
		/* Linux's receive buffer: tcp_rmem[1] = 128 KiB to start,
		 * autotuned up to tcp_rmem[2] = 32 MiB, with Linux's window
		 * arithmetic (rcv_wnd_linux): the buffer is memory, half of it
		 * window (a SYN offers 64,240 or 65,160 with timestamps), the
		 * window growing under rcv_ssthresh, the scale from the
		 * largest buffer (10; with SO_RCVBUF from the buffer's window,
		 * rcv_wscale 0xff below), checked against Linux 6.18 with
		 * glasstcp pktrun --kernel (docs/receiving.md). */
		c->sndbuf_bytes = 16384; /* tcp_wmem[1] */
		c->rcvbuf_bytes = 131072; /* tcp_rmem[1] */
		c->rcv_wnd_linux = true;
		c->keepalive_model = GT_KEEPALIVE_LINUX; /* tcp_keepalive_timer() */
		c->orphan_retries_linux = true; /* tcp_write_timeout() */
		c->retries2_time_linux = true; /* tcp_write_timeout() */
		c->user_timeout_linux = true;  /* do_tcp_setsockopt(): TCP_USER_TIMEOUT */
		c->inq_linux = true;           /* do_tcp_setsockopt(): TCP_INQ */
		c->connect_unspec_linux = true; /* __inet_stream_connect(): tcp_disconnect() */
		c->connect_again_linux = true; /* __inet_stream_connect(): SS_CONNECTING */
		c->zerocopy_linux = true;      /* sock_setsockopt(): SO_ZEROCOPY */
		c->linger_linux = true; /* sk_setsockopt(): SO_LINGER */
		c->tx_timestamping_linux = true; /* sock_set_timestamping() */
		c->notsent_lowat_linux = true; /* do_tcp_setsockopt(): TCP_NOTSENT_LOWAT */
		c->syncnt_linux = true;        /* do_tcp_setsockopt(): TCP_SYNCNT */
		c->defer_accept = true;        /* do_tcp_setsockopt(): TCP_DEFER_ACCEPT */
		c->fastopen_linux = true;      /* net/ipv4/tcp_fastopen.c, server side */
		c->fastopen = GT_TFO_CLIENT_ENABLE; /* net.ipv4.tcp_fastopen */
		c->synsent_save_ack = true;    /* tcp_rcv_synsent_state_process() */
		c->syncookie_overflow_drop = true; /* tcp_v4_syn_recv_sock(): exit_overflow */
		c->accept_keeps_reset = true;  /* tcp_done(): the child stays queued */
		c->acceptq_linux = true;       /* sk_acceptq_is_full() */
		c->synq_backlog_linux = true;  /* tcp_conn_request() */
		c->tcpi_rcv_mss_seen = true;   /* tcp_get_info(): icsk_ack.rcv_mss */
		c->tcpi_chrono = true;         /* tcp_get_info_chrono_stats(), lsndtime, rcv_tstamp */
		c->soft_err_ack_clears = true;  /* tcp_ack(): sk_err_soft = 0 */
		c->max_orphans = 131072;        /* tcp_init(), this size of machine */
		c->sockopt_buf_double = true;
		c->cc = GT_CC_CUBIC; /* Linux's default since 2.6.19 */
		c->rcvbuf_autotune = true; /* tcp_moderate_rcvbuf = 1 */
		/* tcp_rmem[2]: 32 MiB on Linux 6.17 and later ("tcp: increase
		 * tcp_rmem[2] to 32 MB"; tcp_init() takes the smaller of that
		 * and a share of memory), what this machine's 6.18 shows in a
		 * new namespace (`sysctl net.ipv4.tcp_rmem`: 4096 131072
		 * 33554432): a SYN's window scale is 10. SO_RCVBUF's
		 * ceiling (buf_max_bytes) goes with it, as a tcp_rmem
		 * written by sysctl raises it. */
		c->rcvbuf_max_bytes = 32u << 20;
		c->buf_max_bytes = 32u << 20;
		c->sndbuf_autotune = true; /* tcp_sndbuf_expand() */
		c->sndbuf_max_bytes = 4u << 20; /* tcp_wmem[2] */
		c->fin_clears_dsack = true;
		c->sack_fin_linux = true; /* tcp_data_queue_ofo(): end_seq */
		c->sack_list_linux = true; /* tp->selective_acks[] */
		c->psh_linux = true;
		c->mss_half_wnd = true; /* tcp_sync_mss() */
		c->cwnd_packets = true; /* tp->snd_cwnd */
		c->sndbuf_skb_overhead = 832; /* SKB_TRUESIZE() of a TCP skb's head */
		c->rst_linux_edges = true; /* tcp_reset_check(), SACK edge */
		c->reset_err_linux = true; /* tcp_reset(), tcp_recvmsg() */
		/* Linux's slow start: every segment an ACK delivers counts
		 * (tcp_slow_start()), and HyStart ends it (tcp_cubic.c,
		 * hystart = 1, hystart_detect = 3). Without HyStart it doubles
		 * cwnd each round into a 1000-packet queue
		 * (scenario.transfer_clean_link_*: 220 queue drops); with it, 0
		 * drops, slow start ending at 243 segments on a 172-segment
		 * BDP. On a 2 ms path with 5% of packets held back 1 ms
		 * (scenario.reorder_half_an_rtt_*) HyStart's ACK train ends
		 * slow start early, as Linux's code does: RACK's recovery at
		 * the first held packet is undone by D-SACK, and the round
		 * HyStart restarts at the next ACK, mid-flight, spans a whole
		 * RTT with no 2 ms gap (hystart_ack_delta_us), longer than
		 * half the least RTT: at 90 segments for seed 31, and the
		 * goodput of that 1 s transfer is 0.34-0.83 of the clean
		 * link's over seeds 31-40 (RFC 5681's slow start: 0.49-1.01).
		 * test_reorder.c and docs/conformance.md say more. */
		c->slow_start_every_seg = true;
		c->cwnd_validate_linux = true;
		c->hystart = true;
		c->cubic_linux_hz = 250; /* bictcp_update(), CONFIG_HZ=250 */
		c->reno_ssthresh_cwnd = true;
		c->persist_probe_old_seq = true;
		c->probe_ack_rearm = true; /* tcp_ack_probe() */
		c->fin_needs_window = true; /* tcp_snd_wnd_test() */
		c->icmp_err_linux = true;   /* tcp_v4_err(), tcp_v6_err() */
		c->loss_pipe_linux = true; /* tcp_packets_in_flight() */
		c->flight_sacked_linux = true;
		c->flight_short_pkt = true; /* tcp_skb_pcount() of a short skb */
		c->recovery_end_ssthresh = true; /* tcp_end_cwnd_reduction() */
		c->prior_ssthresh_current = true; /* tcp_current_ssthresh() */
		/* Linux's delayed-ACK timing, checked against the kernel with
		 * pktrun --kernel. */
		c->delack_linux = true;
		c->ack_defer_batch = true; /* tcp_backlog_ack_defer = 1 */
		c->comp_sack_nr = 44;          /* tcp_comp_sack_nr */
		c->comp_sack_delay_us = 1000;  /* tcp_comp_sack_delay_ns, 1 ms */
		/* The RTO's backoff ends with an RTT sample only, as Linux's
		 * tcp_ack_update_rtt(). It needs Linux's samples: without
		 * timestamps, with every ACK covering retransmitted data, one
		 * timed segment (Karn) gave none and the RTO stayed backed
		 * off at 120 s (swarm seed 5002096: a transfer stuck 600 s);
		 * RACK's log now times newly SACKed segments sent once and the
		 * first cumulatively ACKed one (tcp_rack_rtt()). */
		c->backoff_needs_rtt = true;
		c->cork_ceiling_rto = true;
		c->linger_expiry_orphans = true;
		c->min_tso_segs = 2; /* tcp_min_tso_segs */
		c->tso_defer = true; /* tcp_tso_should_defer() */
		c->tso_win_divisor = 3; /* tcp_tso_win_divisor */
		c->quickack_max_segs = 16;
		c->rcv_grow_quickack = true; /* tcp_grow_window() */
		c->dup_quickack = true; /* tcp_send_dupack() */
		c->rcv_edge_linux = true; /* tcp_sequence(), tcp_data_queue() */
		c->squeeze_ends_quickack = true; /* __tcp_select_window() */
		c->ack_pushed_full_psh = true; /* tcp_measure_rcv_mss() */
		c->rcv_empty_takes_whole = true; /* tcp_data_queue(): queue_and_out */
		c->rcv_zero_wnd_fin = true; /* tcp_sequence(), tcp_data_queue() */
		c->ts_recent_last_ack = true; /* tcp_replace_ts_recent() */
		c->fin_delack = true;
		c->ack_unsent_challenge = true;
		c->abort_rst_from_segment = true;
		c->shut_rd_data_resets = true; /* tcp_rcv_state_process(): RCV_SHUTDOWN */
		c->fin_data_resets = true; /* as above, set by tcp_fin() */
		c->shut_wr_synrcvd_defer = true; /* tcp_shutdown(), tcp_rcv_state_process() */
		c->rst_carries_window = true;
		c->simopen_synack_syn_rwnd = true; /* tcp_send_synack() */
		c->simopen_syn_text_discard = true; /* tcp_rcv_synsent_state_process() */
		c->simopen_close_syn_rtx = true; /* tcp_clean_rtx_queue(), tcp_ack() */
		c->simopen_synack_accept = true; /* tcp_validate_incoming() */
		c->rst_reflects_tos = true; /* tcp_v4_send_reset() */
		c->fin2_orphan_default_ttl = true; /* tcp_time_wait(sk, TCP_FIN_WAIT2) */
		c->syn_sent_bad_ack_resend_us = 8000; /* TCP_TIMEOUT_MIN, 2 jiffies at HZ=250 */
		c->syn_sent_ts_echo_check = true; /* PAWSActiveRejected */
		c->frto = true; /* Linux tcp_frto */
		c->rack = true; /* tcp_recovery = 1 */
		c->tlp = true;  /* tcp_early_retrans = 3 */
		c->prr = true;  /* since Linux 3.2 */
		c->reno_undo = true; /* tcp_fastretrans_alert() for Reno */
		c->sack_reordering = true; /* tcp_check_sack_reordering() */
		c->cwnd_delivered_sack = true; /* tcp_cong_control(sk, ack, delivered) */
		c->reno_reordering = true; /* tcp_check_reno_reordering() */
		c->ts_undo = true;   /* tcp_packet_delayed() with SACK too */
		c->loss_dsack_undo = true; /* tcp_may_undo(): undo_retrans 0 */
		c->loss_undo_init_linux = true; /* tcp_enter_loss() -> tcp_init_undo() */
		c->frto_sack_undo_dupack = true; /* tcp_process_loss(): FLAG_ORIG_SACK_ACKED */
		c->rto_mark_keeps_retrans = true; /* tcp_timeout_mark_lost() */
		c->loss_gbn_marks = true; /* tcp_enter_loss(), tcp_xmit_retransmit_queue() */
		c->pmtu_mark_longer = true; /* tcp_simple_retransmit() */
		c->rack_reo_reset_on_ack = true; /* tcp_rack_update_reo_wnd() */
		c->rack_dsack_step_delivered = true; /* tcp_rack_update_reo_wnd() */
		c->dsack_undo_sacktag = true; /* tcp_check_dsack(), tcp_sacktag_one() */
		c->dsack_undo_opens = true; /* tcp_try_undo_dsack(), tcp_try_to_open() */
		c->dsack_left_edge = true; /* tcp_check_dsack(), tcp_is_sackblock_valid() */
		c->ecn_ce_quickack = true; /* tcp_ecn_check_ce() */
		c->ecn_syn_rto_cwr = true; /* tcp_enter_loss() in SYN_SENT */
		c->ecn_ect_syn_refused = true; /* tcp_ecn_create_request() */
		c->idle_restart = 1;       /* tcp_slow_start_after_idle = 1 */
		c->wnd_update = GT_WND_UPDATE_LINUX;
		c->rcv_wscale = 0xff; /* tcp_select_initial_window() */
		c->synopt_order = GT_SYNOPT_LINUX;
		c->rto_min_us = 200000;
		c->rto_min_adds_srtt = true; /* tcp_rtt_estimator(), tcp_set_rto() */
		c->ts_rtt_zero_tick = true; /* tcp_rtt_tsopt_us(): a 0-tick echo is 1 ms */
		c->rtt_exact_first = true;  /* tcp_ack_update_rtt(): the echo last */
		c->min_rtt_win = true;      /* tcp_update_rtt_min() */
		c->min_rtt_wlen_s = 300;    /* net.ipv4.tcp_min_rtt_wlen */
		c->rto_jiffy_us = 4000; /* icsk_rto in jiffies, HZ=250 */
		c->synack_rto_max_us = 120000000; /* reqsk_timer_handler(): TCP_RTO_MAX */
		/* Linux's timers fire on its timer wheel (kernel/time/timer.c,
		 * tcp_wheel_at(); docs/recovery.md, "Timer wheel"): up to a
		 * level's granularity past their deadline, 2.048 s for the
		 * 60 s TIME-WAIT. pktrun judges the profile with the wheel's
		 * slack, as it judges the kernel (pk_wheel_slack_us()). */
		c->timer_wheel = true;
		c->timer_wheel_phase_us = 3000;
		c->tcpi_rto_backed_off = true; /* tcp_get_info(): icsk_rto */
		c->syn_retries = 6;
		c->syn_linear_timeouts = 4; /* tcp_sk_init(), Linux 6.5+ */
		c->synack_retries = 5;
		c->tw_reuse = true;
		c->tw_reuse_loopback = true; /* net.ipv4.tcp_tw_reuse = 2 */
		c->tw_reuse_linux = true; /* tcp_twsk_unique() */
		c->ip_local_port_range = true;
		c->ip_mtu_discover_linux = true;
		c->oow_ack_window_ms = 500; /* net.ipv4.tcp_invalid_ratelimit */
		c->oow_ack_burst = 1;
		c->tw_ack_ratelimit = true; /* tcp_timewait_check_oow_rate_limit() */
		c->dupsyn_ratelimit = true; /* tcp_check_req() */
		c->ephemeral_lo = 32768;
		c->ephemeral_hi = 60999;
		break;
	}
}

const char *gt_profile_name(enum gt_profile p)
{
	return p == GT_PROFILE_FREEBSD ? "freebsd" : "linux";
}

int gt_profile_from_name(const char *name, enum gt_profile *out)
{
	if (strcmp(name, "linux") == 0)
		*out = GT_PROFILE_LINUX;
	else if (strcmp(name, "freebsd") == 0)
		*out = GT_PROFILE_FREEBSD;
	else
		return -EINVAL;
	return 0;
}

static bool config_valid(const struct gt_config *c)
{
	return c->max_sockets > 0 && c->max_conns > 0 && c->sndbuf_bytes > 0 &&
	       c->rcvbuf_bytes > 0 && c->rto_min_us > 0 && c->rto_min_us <= c->rto_max_us &&
	       c->rto_initial_us >= c->rto_min_us && c->mss_default >= 64 &&
	       c->ephemeral_lo > 0 && c->ephemeral_lo <= c->ephemeral_hi &&
	       c->max_reass_ranges <= TCP_MAX_OOO && (c->rcv_wscale <= 14 || c->rcv_wscale == 0xff) &&
	       (!c->rcvbuf_autotune || c->rcvbuf_max_bytes <= c->buf_max_bytes) &&
	       (!c->sndbuf_autotune || c->sndbuf_max_bytes <= c->buf_max_bytes) &&
	       c->initial_cwnd_segs > 0 && c->rto_jiffy_us <= 100000 &&
	       c->delack_us <= 500000 && /* RFC 1122 4.2.3.2: "MUST be less than 0.5 seconds" */
	       (c->rss_shards <= 1 || c->rss_shard < c->rss_shards) &&
	       c->msl_ms <= 1000000 && /* 2MSL within 2^31 us: TIME_WAIT times in 32 bits */
	       c->max_timewait <= GT_MAX_TIMEWAIT &&
	       c->udp_tun_overhead >= 8 && c->udp_tun_overhead <= 1024 && /* FreeBSD's bounds */
	       c->udp_tun_max_conns <= 4096 &&
	       /* Linux's limits (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT);
	        * a TCB keeps them in 16 bits and counts probes in 8. */
	       c->keepalive_idle_s <= 32767 && c->keepalive_intvl_s <= 32767 &&
	       c->keepalive_probes <= 127 &&
	       /* A TCB times its handshake in 32-bit microseconds. */
	       c->connect_timeout_ms <= 3600000 && c->ecn <= 4 && c->idle_restart <= 2 &&
	       c->blackhole <= 3 && c->pmtud_blackhole <= 3 && (c->maxunack_ms == 0 || c->idle_restart != 1) &&
	       c->wnd_update <= GT_WND_UPDATE_BSD && c->keepalive_model <= GT_KEEPALIVE_FREEBSD &&
	       c->reasm_max_datagrams <= GT_REASM_MAX && c->reasm_timeout4_ms <= 3600000 &&
	       c->reasm_timeout6_ms <= 3600000;
}

int gt_iovec_join(void *dst, size_t cap, const struct gt_iovec *iov, int iovcnt)
{
	size_t len = 0;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].len > cap - len || iov[i].len > (size_t)INT_MAX - len)
			return -EMSGSIZE;
		memcpy((uint8_t *)dst + len, iov[i].base, iov[i].len);
		len += iov[i].len;
	}
	return (int)len;
}

gt_stack *gt_stack_new(const struct gt_config *cfg, const struct gt_device *dev)
{
	if (!cfg || !dev || !dev->transmit || dev->mtu < 68 || !config_valid(cfg))
		return NULL;
	gt_stack *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->dev = *dev;
	s->sock_free = -1;
	/* The hash key and the ephemeral counter come from the secret so that
	 * two stacks differ and a run is reproducible. */
	memcpy(&s->hash_key, cfg->isn_secret, sizeof(s->hash_key));
	memcpy(&s->ephemeral_next, cfg->isn_secret + 8, sizeof(s->ephemeral_next));
	memcpy(&s->flow_salt, cfg->isn_secret + 12, sizeof(s->flow_salt));
	icmp6_ratelimit_init(&s->icmp6_rl, ICMP6_RATE_PER_S_DEFAULT, ICMP6_BURST_DEFAULT, 0);
	/* 256 KiB of zeroes, pages touched only for the ports in use. */
	s->port_socks = calloc(65536, sizeof(*s->port_socks));
	if (!s->port_socks || tcp_table_init(s) < 0 || tcp_listen_init(s) < 0 || tw_init(s) < 0 ||
	    heap_init(&s->timers, 64) < 0) {
		gt_stack_free(s);
		return NULL;
	}
	return s;
}

void gt_stack_free(gt_stack *s)
{
	if (!s)
		return;
	tcp_reap(s);
	tcp_table_fini(s);
	tcp_listen_fini(s);
	tcp_buf_cache_trim(s, 0);
	tw_fini(s);
	tcp_tun_fini(s);
	ip_reasm_fini(s);
	heap_fini(&s->timers);
	if (s->socks)
		sock_fini(s);
	free(s->socks);
	free(s->evq);
	free(s->port_binds);
	free(s->port_socks);
	free(s);
}

const struct gt_config *gt_stack_config(const gt_stack *s) { return &s->cfg; }

int gt_stack_set_config(gt_stack *s, const struct gt_config *cfg)
{
	if (!config_valid(cfg) || cfg->max_sockets != s->cfg.max_sockets ||
	    cfg->max_conns != s->cfg.max_conns || cfg->max_timewait != s->cfg.max_timewait)
		return -EINVAL;
	/* net.inet.tcp.fastopen.client_enable 1 -> 0 empties FreeBSD's
	 * client cookie cache (sysctl_net_inet_tcp_fastopen_client_enable()). */
	if (s->cfg.fastopen_bsd_client && !cfg->fastopen_bsd_client)
		tcp_fastopen_cache_flush(s);
	/* net.inet.tcp.hostcache.purgenow: sysctl_tcp_hc_purgenow() empties
	 * the host cache and starts the purge callout anew; net.ipv4.route.flush:
	 * rt_cache_flush(), after which no IPv4 exception is found. */
	if (cfg->pmtu_purge_gen != s->cfg.pmtu_purge_gen) {
		(void)ip_pmtu_flush(s, 0);
		s->pmtu_prune_base_us = s->now_us;
	}
	if (cfg->pmtu_flush_gen != s->cfg.pmtu_flush_gen)
		(void)ip_pmtu_flush(s, GT_AF_INET);
	s->cfg = *cfg;
	s->tuple_cache.valid = false; /* the secret may have changed */
	tcp_buf_cache_trim(s, cfg->buffer_cache_bytes);
	return 0;
}

int gt_stack_add_ipv4(gt_stack *s, uint32_t addr, uint8_t prefix_len)
{
	if (prefix_len > 32 || addr == 0)
		return -EINVAL;
	if (ip_is_local(s, ip_addr_v4(addr)))
		return -EEXIST;
	if (s->naddr == GT_MAX_ADDRS)
		return -ENOSPC;
	s->addr[s->naddr] = addr;
	s->prefix[s->naddr] = prefix_len;
	s->naddr++;
	return 0;
}

int gt_stack_add_ipv6(gt_stack *s, const struct gt_in6_addr *addr, uint8_t prefix_len)
{
	if (!addr || prefix_len > 128 || ipv6_addr_is_unspecified(addr) ||
	    ipv6_addr_is_loopback(addr) || ipv6_addr_is_multicast(addr) ||
	    ipv6_addr_is_v4mapped(addr))
		return -EINVAL;
	if (ip_is_local(s, *addr))
		return -EEXIST;
	if (s->naddr6 == GT_MAX_ADDRS6)
		return -ENOSPC;
	s->addr6[s->naddr6] = *addr;
	s->prefix6[s->naddr6] = prefix_len;
	s->naddr6++;
	return 0;
}

static void set_now(gt_stack *s, uint64_t now_us)
{
	/* The clock never goes backwards, whatever the caller passes. */
	if (now_us > s->now_us)
		s->now_us = now_us;
	tw_clock(s);
}

/* Every entry point that may free a TCB ends here: the TCBs it freed are
 * recycled only now that no code of this call can still hold one. */
static void done(gt_stack *s)
{
	if (s->dead)
		tcp_reap(s);
}

void gt_stack_input(gt_stack *s, uint64_t now_us, const void *pkt, size_t len)
{
	set_now(s, now_us);
	ip_input(s, pkt, len);
	done(s);
}

void gt_stack_input_gso(gt_stack *s, uint64_t now_us, const void *pkt, size_t len, uint16_t gso_size)
{
	s->rx_gso = gso_size;
	gt_stack_input(s, now_us, pkt, len);
	s->rx_gso = 0;
}

/* The 4-tuple of an IPv4/TCP packet without options, or of an IPv6/TCP
 * packet without extension headers, as the stack will look it up; false for
 * anything else (it is then just not prefetched). */
static bool peek_tuple(const uint8_t *p, size_t len, ip_addr *la, ip_addr *fa, uint16_t *lp,
		       uint16_t *fp)
{
	if (len >= 40 && p[0] == 0x45 && p[9] == 6) {
		*la = ip_addr_v4(get_be32(p + 16));
		*fa = ip_addr_v4(get_be32(p + 12));
		*lp = get_be16(p + 22);
		*fp = get_be16(p + 20);
		return true;
	}
	if (len >= 60 && p[0] >> 4 == 6 && p[6] == 6) {
		memcpy(la->b, p + 24, 16);
		memcpy(fa->b, p + 8, 16);
		*lp = get_be16(p + 42);
		*fp = get_be16(p + 40);
		return true;
	}
	return false;
}

/* a carries the same 4-tuple as b, the packet before it: its bucket and
 * TCB are on their way already. A bulk transfer's segments come in runs of
 * one connection, and hashing each one's tuple twice more (both stages) was
 * 4% of `glasstcp get`'s instructions (bench/PROFILE.md). Sizes constant,
 * so that the compiler compares inline. */
static bool same_tuple(const struct gt_iovec *a, const struct gt_iovec *b)
{
	const uint8_t *p = a->base, *q = b->base;
	if (a->len >= 40 && b->len >= 40 && p[0] == 0x45 && q[0] == 0x45 && p[9] == 6 && q[9] == 6)
		return !memcmp(p + 12, q + 12, 12); /* source, destination, ports */
	if (a->len >= 60 && b->len >= 60 && p[0] >> 4 == 6 && q[0] >> 4 == 6 && p[6] == 6 && q[6] == 6)
		return !memcmp(p + 8, q + 8, 36);
	return false;
}

static void prefetch_pkt(const gt_stack *s, const struct gt_iovec *v, int stage)
{
	ip_addr la, fa;
	uint16_t lp, fp;
	if (peek_tuple(v->base, v->len, &la, &fa, &lp, &fp))
		tcp_prefetch(s, la, lp, fa, fp, stage);
}

/* The end of gt_stack_input_batch(): the ACKs held for it go, one per
 * connection (Linux's tcp_release_cb()), before any freed TCB is recycled. */
static void batch_end(gt_stack *s)
{
	if (s->in_batch)
		tcp_ack_defer_flush(s);
	s->in_batch = false;
	done(s);
}

/* One packet of a batch, with its gso_size (gt_stack_input_gso()). */
static void batch_one(gt_stack *s, const struct gt_iovec *v, const uint16_t *gso, size_t i)
{
	s->rx_gso = gso ? gso[i] : 0;
	ip_input(s, v->base, v->len);
	s->rx_gso = 0;
}

void gt_stack_input_batch(gt_stack *s, uint64_t now_us, const struct gt_iovec *pkts, size_t n)
{
	gt_stack_input_batch_gso(s, now_us, pkts, NULL, n);
}

void gt_stack_input_batch_gso(gt_stack *s, uint64_t now_us, const struct gt_iovec *pkts,
			      const uint16_t *gso, size_t n)
{
	/* Two stages, a few packets apart: the bucket is fetched 8 packets
	 * ahead, the TCB it points to 4 ahead, each in cache when needed. */
	enum { AHEAD_BUCKET = 8, AHEAD_TCB = 4 };
	set_now(s, now_us);
	/* Regular ACKs wait for the end of the batch (cfg.ack_defer_batch). */
	s->in_batch = s->cfg.ack_defer_batch && n > 1;
	if (n <= AHEAD_TCB) {
		/* Too few to look ahead of: as many gt_stack_input() calls. */
		for (size_t i = 0; i < n; i++)
			batch_one(s, &pkts[i], gso, i);
		batch_end(s);
		return;
	}
	/* Bit j of same: packet j had its predecessor's tuple (judged once,
	 * at the bucket stage, read again at the TCB stage). */
	uint32_t same = 0;
	for (size_t i = 0; i < n && i < AHEAD_BUCKET; i++) {
		if (i && same_tuple(&pkts[i], &pkts[i - 1]))
			same |= 1u << i;
		else
			prefetch_pkt(s, &pkts[i], 0);
	}
	for (size_t i = 0; i < n; i++) {
		size_t b = i + AHEAD_BUCKET, t = i + AHEAD_TCB;
		/* Bits for packets i .. i + AHEAD_BUCKET: same is shifted
		 * by one each turn, bit k standing for packet i + k. */
		if (b < n) {
			if (same_tuple(&pkts[b], &pkts[b - 1]))
				same |= 1u << AHEAD_BUCKET;
			else
				prefetch_pkt(s, &pkts[b], 0);
		}
		if (t < n && (t == AHEAD_TCB || !(same >> AHEAD_TCB & 1u)))
			prefetch_pkt(s, &pkts[t], 1);
		same >>= 1;
		batch_one(s, &pkts[i], gso, i);
	}
	batch_end(s);
}

void gt_stack_poll(gt_stack *s, uint64_t now_us)
{
	set_now(s, now_us);
	tcp_timers_run(s, s->now_us);
	tw_expire(s, s->now_us);
	ip_reasm_expire(s);
	tcp_buf_cache_expire(s, s->now_us);
	done(s);
}

uint64_t gt_stack_next_deadline(const gt_stack *s)
{
	uint64_t t = heap_min_deadline(&s->timers);
	uint64_t tw = tw_next_deadline(s);
	uint64_t ra = ip_reasm_deadline(s);
	uint64_t bc = tcp_buf_cache_deadline(s);
	if (tw < t)
		t = tw;
	if (bc < t)
		t = bc;
	return ra < t ? ra : t;
}

uint64_t gt_stack_now(const gt_stack *s) { return s->now_us; }

const struct gt_stats *gt_stack_stats(const gt_stack *s) { return &s->st; }

void gt_stack_gauges(const gt_stack *s, struct gt_gauges *g)
{
	memset(g, 0, sizeof(*g));
	g->sockets = s->nsocks;
	g->conns = s->conns;
	g->conns_peak = s->conns_peak;
	g->timewait = tw_count(s);
	g->timewait_peak = tw_peak(s);
	g->timewait_bytes = tw_bytes(s);
	g->buffer_bytes = s->buffer_bytes;
	g->buffer_cache_bytes = s->buf_cache_bytes;
	for (int i = 0; i < GT_TCP_NSTATES; i++)
		g->conns_by_state[i] = s->conns_by_state[i];
	g->conns_by_state[GT_TCP_TIME_WAIT] += g->timewait;
	for (int i = 0; i < GT_REASM_MAX; i++)
		g->reasm_datagrams += s->reasm[i].buf != NULL;
	g->reasm_bytes = s->reasm_bytes;
	g->orphans = s->orphans;
}

void gt_stats_foreach(const struct gt_stats *st,
		      void (*fn)(void *ctx, const char *name, uint64_t v, const char *desc),
		      void *ctx)
{
#define GT_STATS_CALL(name, desc) fn(ctx, #name, st->name, desc);
	GT_STATS_FIELDS(GT_STATS_CALL)
#undef GT_STATS_CALL
}

void gt_stack_set_trace(gt_stack *s, gt_trace_fn fn, void *ctx)
{
	s->trace = fn;
	s->trace_ctx = ctx;
}

void stack_trace(gt_stack *s, const struct gt_trace_event *ev)
{
	if (!s->trace)
		return;
	/* The core fills laddr6/faddr6; the IPv4 fields are for readers
	 * that know only IPv4 (0 for an IPv6 connection). */
	struct gt_trace_event e = *ev;
	e.laddr = ip_addr_is_v4(e.laddr6) ? ip_addr_v4_of(e.laddr6) : 0;
	e.faddr = ip_addr_is_v4(e.faddr6) ? ip_addr_v4_of(e.faddr6) : 0;
	s->trace(s->trace_ctx, &e);
}

const char *gt_trace_type_name(enum gt_trace_type t)
{
	switch (t) {
	case GT_TRACE_STATE: return "state";
	case GT_TRACE_SEG_IN: return "seg_in";
	case GT_TRACE_SEG_OUT: return "seg_out";
	case GT_TRACE_RTO: return "rto";
	case GT_TRACE_FAST_RETRANS: return "fast_retrans";
	case GT_TRACE_TIMER_ARM: return "timer_arm";
	case GT_TRACE_TIMER_FIRE: return "timer_fire";
	case GT_TRACE_WINDOW: return "window";
	case GT_TRACE_CWND: return "cwnd";
	case GT_TRACE_RTT: return "rtt";
	}
	return "unknown";
}

const char *gt_trace_timer_name(enum gt_trace_timer t)
{
	switch (t) {
	case GT_TIMER_RTX: return "rtx";
	case GT_TIMER_DELACK: return "delack";
	case GT_TIMER_PERSIST: return "persist";
	case GT_TIMER_FIN_WAIT_2: return "fin_wait_2";
	case GT_TIMER_TIME_WAIT: return "time_wait";
	case GT_TIMER_CORK: return "cork";
	case GT_TIMER_LINGER: return "linger";
	case GT_TIMER_KEEPALIVE: return "keepalive";
	case GT_TIMER_TLP: return "tlp";
	case GT_TIMER_REORDER: return "reorder";
	}
	return "unknown";
}
