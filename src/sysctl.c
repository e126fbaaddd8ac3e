/* Kernel tunables by their sysctl names: the profile's kernel's settings,
 * given as `sysctl -w NAME=VALUE` gives them, turned into gt_config fields.
 * Shared by pktrun (a script's backtick sysctl commands) and the runtimes'
 * --sysctl option, so a name means the same thing everywhere. Names of
 * either kernel are taken whatever the profile; only tcp_rmem's effect on
 * the window arithmetic depends on it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/stack.h>

#include "util/hash.h"

static bool parse_u(const char *v, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(v, &end, 0);
	return end != v && errno == 0;
}

/* "lo def hi", each bounded (tcp_rmem, tcp_wmem). */
static bool parse_three(const char *v, long long out[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;
		errno = 0;
		out[i] = strtoll(v, &end, 0);
		if (end == v || errno || out[i] < 0 || out[i] > INT32_MAX)
			return false;
		v = end;
	}
	return true;
}

/* proc_tcp_fastopen_key(): "%x-%x-%x-%x", and a backup key after a comma
 * (glasstcp keeps only the primary), each word stored little-endian
 * (cpu_to_le32()) as the cipher's key bytes. */
static bool fastopen_key(const char *v, uint8_t key[16])
{
	unsigned w[4];
	int n = 0;
	if (sscanf(v, "%x-%x-%x-%x%n", &w[0], &w[1], &w[2], &w[3], &n) != 4 ||
	    (v[n] && v[n] != ',' && v[n] != '\n'))
		return false;
	for (int i = 0; i < 4; i++)
		for (int b = 0; b < 4; b++)
			key[4 * i + b] = (uint8_t)(w[i] >> (8 * b));
	return true;
}

/* FreeBSD's TFO server sysctls (sys/netinet/tcp_fastopen.c), below
 * net.inet.tcp.fastopen. */
static bool bsd_tfo_server_name(const char *n)
{
	static const char *const names[] = {"server_enable", "psk_enable", "autokey",
					    "acceptany",     "setkey",     "keylen",
					    "maxkeys",       "numkeys"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], n))
			return true;
	return false;
}

/* tcp_fastopen_addkey_locked(): the ring of TCP_FASTOPEN_MAX_KEYS (2), the
 * new key at newest + 1. */
static void bsd_tfo_addkey(struct gt_config *c, const uint8_t key[16])
{
	c->fastopen_bsd_newest = (uint8_t)((c->fastopen_bsd_newest + 1) % 2);
	memcpy(c->fastopen_bsd_keys[c->fastopen_bsd_newest], key, 16);
	if (c->fastopen_bsd_numkeys < 2)
		c->fastopen_bsd_numkeys++;
}

/* An opaque sysctl value as pktrun hands it ("opaque:" and the bytes in
 * hex, from a helper's sysctlbyname(): judge.c run_cc_helper()). */
static bool hex_bytes(const char *v, uint8_t *out, size_t n)
{
	if (strlen(v) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned b;
		if (!isxdigit((unsigned char)v[2 * i]) || !isxdigit((unsigned char)v[2 * i + 1]) ||
		    sscanf(v + 2 * i, "%2x", &b) != 1)
			return false;
		out[i] = (uint8_t)b;
	}
	return true;
}

/* sysctl_net_inet_tcp_fastopen_server_enable(), _psk_enable(), _autokey(),
 * _setkey() and the plain rows beside them (tcp_fastopen.c). */
static int bsd_tfo_server(struct gt_config *c, const char *n, const char *value, bool num,
			  long long v)
{
	if (!strcmp(n, "keylen") || !strcmp(n, "maxkeys") || !strcmp(n, "numkeys"))
		return -EPERM; /* CTLFLAG_RD: sysctl_root() refuses a new value */
	if (!strcmp(n, "setkey")) {
		/* sysctl_net_inet_tcp_fastopen_setkey(): exactly 16 bytes
		 * (else EINVAL); server_enable is not asked. */
		uint8_t key[16];
		if (strncmp(value, "opaque:", 7) || !hex_bytes(value + 7, key, 16))
			return -EINVAL;
		bsd_tfo_addkey(c, key);
		return 0;
	}
	if (!num)
		return -EINVAL;
	if (!strcmp(n, "psk_enable")) {
		if (v != 0)
			return -EOPNOTSUPP; /* PSK mode is not modelled */
	} else if (!strcmp(n, "acceptany")) {
		c->fastopen_bsd_acceptany = v != 0;
	} else if (!strcmp(n, "autokey")) {
		/* "if (new > (INT_MAX / hz)) return (EINVAL)", hz 1000. */
		if (v > INT32_MAX / 1000)
			return -EINVAL;
		c->fastopen_bsd_autokey_s = (uint32_t)v;
	} else if (c->fastopen_bsd_server && !v) {
		/* server_enable 1 -> 0: numkeys = 0, newest = MAX_KEYS - 1. */
		c->fastopen_bsd_server = false;
		c->fastopen_bsd_numkeys = 0;
		c->fastopen_bsd_newest = 1;
		memset(c->fastopen_bsd_keys, 0, sizeof(c->fastopen_bsd_keys));
	} else if (!c->fastopen_bsd_server && v) {
		/* 0 -> 1: tcp_fastopen_autokey_locked() when autokey is on and
		 * no key is installed. arc4rand()'s key is drawn here from the
		 * stack's secret and a count, so a run is reproducible. */
		c->fastopen_bsd_server = true;
		if (c->fastopen_bsd_autokey_s && !c->fastopen_bsd_numkeys) {
			uint8_t key[16], in[20];
			memcpy(in, "tfo-autokey\0", 12);
			for (int h = 0; h < 2; h++) {
				uint64_t ctr = (uint64_t)c->fastopen_bsd_autokey_n * 2 + (uint64_t)h;
				memcpy(in + 12, &ctr, 8);
				uint64_t x = siphash24(c->isn_secret, in, sizeof(in));
				memcpy(key + 8 * h, &x, 8);
			}
			c->fastopen_bsd_autokey_n++;
			bsd_tfo_addkey(c, key);
		}
	}
	return 0;
}

static bool linux_without_effect(const char *name)
{
	static const char *const names[] = {
		"net.ipv4.tcp_fack", "net.ipv4.tcp_pacing_ss_ratio", "net.ipv4.tcp_pacing_ca_ratio",
		"net.ipv4.tcp_autocorking", "net.ipv4.tcp_no_metrics_save",
		"net.mptcp.enabled", /* IPPROTO_MPTCP sockets only (Google's defaults.sh) */
		"net.ipv4.tcp_ecn_option", /* AccECN option: no ECN without tcp_ecn */
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

int gt_config_sysctl(struct gt_config *cfg, enum gt_profile profile, const char *name,
		      const char *value)
{
	struct gt_config *c = cfg;
	long long v = 0;
	bool num = parse_u(value, &v);
	/* ipv4_sysctl_rtcache_flush(): any write, ip(8)'s -1 too, is
	 * rt_cache_flush() (gt_stack_set_config() empties IPv4's PMTUs). */
	if (!strcmp(name, "net.ipv4.route.flush")) {
		if (!num)
			return -EINVAL;
		c->pmtu_flush_gen++;
		return 0;
	}
	/* Every number a script gives is bounded: no product below overflows. */
	if (num && (v < 0 || v > UINT32_MAX))
		return -EINVAL;
	/* FreeBSD. */
	if (!strcmp(name, "net.inet.tcp.rfc1323")) {
		c->opt_timestamps = c->opt_wscale = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.sack.enable")) {
		c->opt_sack = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.cc.algorithm")) {
		/* The module new connections take (cc_default_algo, cc.c):
		 * of FreeBSD's modules newreno and cubic are modelled, cubic
		 * as cc_cubic.c (cfg.cubic_bsd_hz, tcp_cc_cubic_bsd.c). */
		if (!strcmp(value, "newreno"))
			c->cc = GT_CC_NEWRENO;
		else if (!strcmp(value, "cubic"))
			c->cc = GT_CC_CUBIC;
		else
			return -EOPNOTSUPP;
	} else if (!strcmp(name, "net.inet.tcp.initcwnd_segments")) {
		/* tcp_compute_initwnd(): min(n * maxseg, max(2 * maxseg,
		 * n * 1460)), n * maxseg for any MSS up to 1460; 0 falls back
		 * to RFC 3390's rule, which is not modelled. */
		if (!num || v == 0 || v > 65535)
			return v == 0 && num ? -EOPNOTSUPP : -EINVAL;
		c->initial_cwnd_segs = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.do_prr")) {
		c->prr_bsd = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.sack.revised")) {
		/* V_tcp_do_newsack (tcp_sack.c, 1 by default): the rescue
		 * hole of tcp_sack_partialack(); at 0, the entry on the third
		 * duplicate alone and the pipes of tcp_do_prr_ack() and
		 * newreno_cc_post_recovery() without tcp_compute_pipe(), and
		 * awnd in a recovery without PRR (tcp_sack_bsd_dupack()). */
		c->sack_partialack_rescue = v != 0;
		c->sack_unrevised_bsd = v == 0;
	} else if (!strcmp(name, "net.inet.tcp.rfc6675_pipe")) {
		/* V_tcp_do_rfc6675_pipe, the name older trees give the same
		 * choice (sobomax/freebsd14_vendor 0f7ff34, rscheff/freebsd-src
		 * 0084f54): tcp_compute_pipe() or SND.NXT - snd_fack +
		 * sack_bytes_rexmit for PRR's pipe, for awnd without PRR, for
		 * newreno_cc_post_recovery() and (0084f54) for the entry on
		 * sacked_bytes. No rescue hole rides on it there. */
		c->sack_unrevised_bsd = v == 0;
	} else if (!strcmp(name, "net.inet.tcp.recvspace")) {
		c->rcvbuf_bytes = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.reass.maxqueuelen")) {
		/* tcp_reass(): new queue entries while t_segqlen is below
		 * min(sb_hiwat / t_maxseg + 1, this), a u_int (SYSCTL_UINT).
		 * 0: no entry is ever made, nothing is held out of order.
		 * Above 65,535 the buffer's rule decides, within the stack's
		 * own cap on ranges (TCP_MAX_OOO, 65,535), which only a
		 * buffer of more than 65,535 segments reaches. */
		if (!num)
			return -EINVAL;
		c->reass_none = v == 0;
		c->max_reass_ranges = (uint32_t)(v < 65535 ? v : 65535);
	} else if (!strcmp(name, "net.inet.tcp.sendspace")) {
		c->sndbuf_bytes = (uint32_t)v;
	} else if (!strcmp(name, "kern.ipc.maxsockbuf")) {
		c->buf_max_bytes = (uint32_t)v;
		if (c->rcvbuf_max_bytes > c->buf_max_bytes)
			c->rcvbuf_max_bytes = c->buf_max_bytes;
		if (c->sndbuf_max_bytes > c->buf_max_bytes)
			c->sndbuf_max_bytes = c->buf_max_bytes;
	} else if (!strcmp(name, "net.inet.tcp.recvbuf_auto")) {
		c->rcvbuf_autotune = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.sendbuf_auto")) {
		c->sndbuf_autotune = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.sendbuf_max")) {
		c->sndbuf_max_bytes = (uint32_t)v;
		if (c->buf_max_bytes < c->sndbuf_max_bytes)
			c->buf_max_bytes = c->sndbuf_max_bytes;
	} else if (!strcmp(name, "net.inet.tcp.recvbuf_max")) {
		c->rcvbuf_max_bytes = (uint32_t)v;
		if (c->buf_max_bytes < c->rcvbuf_max_bytes)
			c->buf_max_bytes = c->rcvbuf_max_bytes;
	} else if (!strcmp(name, "net.inet.tcp.insecure_rst") ||
		   !strcmp(name, "net.inet.tcp.insecure_syn")) {
		c->rfc5961 = v == 0;
	} else if (!strcmp(name, "net.inet.tcp.rexmit_initial")) {
		/* sysctl_msec_to_ticks(): an int of ms, EINVAL where it is
		 * under one tick. The profile holds the initial RTO in 32-bit
		 * us: above 4,294,967 ms it says EINVAL too, where
		 * (uint32_t)(v * 1000) wrapped silently before. */
		int64_t hz = c->cubic_bsd_hz ? c->cubic_bsd_hz : 1000;
		if (!num || v > 4294967 || v * hz / 1000 < 1)
			return -EINVAL;
		c->rto_initial_us = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.inet.tcp.keepidle")) {
		c->keepalive_idle_s = (uint32_t)(v / 1000);
	} else if (!strcmp(name, "net.inet.tcp.keepintvl")) {
		c->keepalive_intvl_s = (uint32_t)(v / 1000);
	} else if (!strcmp(name, "net.inet.tcp.always_keepalive")) {
		c->keepalive_always = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.keepcnt")) {
		c->keepalive_probes = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.keepinit")) {
		c->connect_timeout_ms = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.persmin")) {
		if (!num || v < 1 || v > 3600000)
			return -EINVAL;
		c->persist_min_us = (uint32_t)(v * 1000); /* tcp_persmin, ms */
	} else if (!strcmp(name, "net.inet.tcp.persmax")) {
		if (!num || v < 1 || v > 3600000)
			return -EINVAL;
		c->persist_max_us = (uint32_t)(v * 1000); /* tcp_persmax, ms */
	} else if (!strcmp(name, "net.inet.tcp.delacktime")) {
		c->delack_us = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.inet.tcp.udp_tunneling_overhead")) {
		/* sysctl_net_inet_tcp_udp_tunneling_overhead_check(): 8..1024. */
		if (!num || v < 8 || v > 1024)
			return -EINVAL;
		c->udp_tun_overhead = (uint16_t)v;
	} else if (!strcmp(name, "net.inet.tcp.udp_tunneling_port")) {
		/* sysctl_net_inet_tcp_udp_tunneling_port_check(): 0 stops it. */
		if (!num || v < 0 || v > 65535)
			return -EINVAL;
		c->udp_tun_port = (uint16_t)v;
	} else if (!strcmp(name, "net.inet.tcp.hostcache.purgenow")) {
		/* sysctl_tcp_hc_purgenow(): any value written purges
		 * (gt_stack_set_config()). */
		c->pmtu_purge_gen++;
	} else if (!strcmp(name, "net.inet.tcp.hostcache.enable")) {
		c->pmtu_cache = v != 0; /* V_tcp_use_hostcache */
	} else if (!strcmp(name, "net.inet.tcp.hostcache.expire")) {
		if (!num || v > INT32_MAX)
			return -EINVAL;
		c->pmtu_expire_s = c->pmtu6_expire_s = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.hostcache.prune")) {
		if (!num || v < 1 || v > INT32_MAX)
			return -EINVAL;
		c->pmtu_prune_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.route.mtu_expires") ||
		   !strcmp(name, "net.ipv6.route.mtu_expires")) {
		/* proc_dointvec_jiffies: seconds. */
		if (!num || v < 0 || v > INT32_MAX / 1000)
			return -EINVAL;
		if (name[7] == '6')
			c->pmtu6_expire_s = (uint32_t)v;
		else
			c->pmtu_expire_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.route.min_pmtu")) {
		/* proc_dointvec_minmax, extra1 ip_min_valid_pmtu (68). */
		if (!num || v < 68 || v > 65535)
			return -EINVAL;
		c->pmtu_min = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.drop_synfin")) {
		c->drop_synfin = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.maxunacktime")) {
		/* tcp_maxunacktime, ms (sysctl_msec_to_ticks); 0 its default
		 * (tcp(4): "zero, meaning no progress checks"). The TCB keeps
		 * t_acktime where idle_restart 1 (Linux's
		 * tcp_slow_start_after_idle, on in the Linux profile) keeps
		 * the time of the last data sent, and each is written as
		 * segments go: the two cannot share the field, and the TCB
		 * is at its budget. A FreeBSD setting on a Linux stack is
		 * refused, not half applied, with a message that names the
		 * way out (gt_config_sysctl_arg()). */
		if (!num || v < 0 || v > INT32_MAX)
			return -EINVAL;
		if (v && c->idle_restart == 1)
			return -EOPNOTSUPP;
		c->maxunack_ms = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.blackhole")) {
		/* blackhole(4): 0 to 3; the kernel's sysctl is a plain int. */
		if (!num || v < 0 || v > 3)
			return -EINVAL;
		c->blackhole = (uint8_t)v;
	} else if (!strcmp(name, "net.inet.tcp.blackhole_local")) {
		c->blackhole_local = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.pmtud_blackhole_detection")) {
		/* tcp_timer_rexmt()'s lowering of t_maxseg after timeouts in
		 * ESTABLISHED or FIN_WAIT_1: off by default (the VNET int is
		 * not initialised). A plain SYSCTL_INT: any value is taken,
		 * and only 1, 2 and 3 mean something. */
		if (!num || v > INT32_MAX)
			return -EINVAL;
		c->pmtud_blackhole = (uint8_t)(v <= 3 ? v : 0);
	} else if (!strcmp(name, "net.inet.tcp.pmtud_blackhole_mss") ||
		   !strcmp(name, "net.inet.tcp.v6pmtud_blackhole_mss")) {
		/* SYSCTL_INTs, 1200 and 1220; a value not above the default
		 * MSS makes tcp_timer_rexmt() fall to the default at once. */
		if (!num || v > INT32_MAX)
			return -EINVAL;
		if (name[13] == 'v')
			c->v6pmtud_blackhole_mss = (uint32_t)v;
		else
			c->pmtud_blackhole_mss = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_min_snd_mss")) {
		/* proc_dointvec_minmax, TCP_MIN_SND_MSS (48) to 65,535
		 * (net/ipv4/sysctl_net_ipv4.c). */
		if (!num || v < 48 || v > 65535)
			return -EINVAL;
		c->lx_min_snd_mss = (uint16_t)v;
	} else if (!strcmp(name, "net.inet.tcp.minmss")) {
		/* A plain SYSCTL_INT in FreeBSD 14's tcp_subr.c (no handler,
		 * unlike mssdflt's); bounded here to what an MSS can be. */
		if (!num || v > 65535)
			return -EINVAL;
		c->bsd_minmss = (uint16_t)v;
	} else if (!strcmp(name, "net.inet.tcp.rexmit_drop_options")) {
		/* tcp_timer_rexmt(): options off from the third SYN retransmission. */
		c->syn_rexmit_drop_opts = v ? 3 : 0;
	} else if (!strcmp(name, "net.inet.tcp.syncookies")) {
		c->syncookies = v ? (c->syncookies ? c->syncookies : 1) : 0;
	} else if (!strcmp(name, "net.inet.tcp.syncache.rst_on_sock_fail")) {
		c->syncookie_fail_rst = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.syncookies_only")) {
		/* Every SYN answered with a cookie, no SYN cache (tcp_syncache.c). */
		if (v)
			c->syncookies = 2;
		else if (c->syncookies == 2)
			c->syncookies = 1;
	} else if (!strcmp(name, "net.inet.tcp.tolerate_missing_ts")) {
		c->ts_required = v == 0;
	} else if (!strcmp(name, "net.inet.tcp.ecn.enable")) {
		if (!num || v > 4)
			return -EINVAL;
		c->ecn = (uint8_t)v; /* 3 and 4: AccECN (tcp_ecn.c) */
	} else if (!strcmp(name, "net.inet.tcp.ecn.maxretries")) {
		if (!num || v > 255)
			return -EINVAL;
		c->ecn_syn_retries = (uint8_t)v;
	} else if (!strcmp(name, "net.inet.tcp.icmp_may_rst")) {
		c->icmp_may_rst = v != 0;
	} else if (!strcmp(name, "net.inet.tcp.rexmit_slop")) {
		c->rto_slop_us = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.inet.tcp.ack_war_timewindow")) {
		if (!num || v < 0 || v > 3600000)
			return -EINVAL;
		c->oow_ack_window_ms = (uint32_t)v; /* 0: no limit */
		c->oow_ack_limit_data = true;
	} else if (!strcmp(name, "net.inet.tcp.ack_war_cnt")) {
		if (!num || v < 0 || v > 255)
			return -EINVAL;
		c->oow_ack_burst = (uint8_t)v; /* 0: no limit */
		c->oow_ack_limit_data = true;
	/* Linux. */
	} else if (!strcmp(name, "net.ipv4.tcp_rmem") || !strcmp(name, "net.ipv4.tcp_wmem")) {
		long long three[3];
		if (!parse_three(value, three))
			return -EINVAL;
		long long def = three[1], hi = three[2];
		if ((uint64_t)hi > c->buf_max_bytes)
			c->buf_max_bytes = (uint32_t)hi;
		/* The third value is also where autotuning stops. */
		if (name[13] == 'r') {
			c->rcvbuf_bytes = (uint32_t)def;
			c->rcvbuf_max_bytes = (uint32_t)hi;
			/* Linux's window arithmetic (tcp_select_initial_window(),
			 * __tcp_select_window()), the Linux profile's default:
			 * the buffer is memory, half of it window, the scale
			 * derived from tcp_rmem[2]; the other profile offers
			 * what a buffer this big needs. */
			if (profile == GT_PROFILE_LINUX) {
				c->rcv_wnd_linux = true;
				c->rcv_wscale = 0xff;
			} else {
				uint8_t ws = 0;
				while (ws < 14 && (hi >> ws) > 65535)
					ws++;
				c->rcv_wscale = ws;
			}
		} else {
			c->sndbuf_bytes = (uint32_t)def;
			c->sndbuf_max_bytes = (uint32_t)hi;
		}
	} else if (!strcmp(name, "net.ipv4.tcp_timestamps")) {
		c->opt_timestamps = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_sack")) {
		c->opt_sack = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_window_scaling")) {
		c->opt_wscale = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_notsent_lowat")) {
		/* proc_douintvec (sysctl_net_ipv4.c): 0 to UINT_MAX. */
		if (!num || v < 0 || v > UINT32_MAX)
			return -EINVAL;
		c->notsent_lowat = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_syn_retries")) {
		c->syn_retries = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_synack_retries")) {
		c->synack_retries = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_retries2")) {
		c->data_retries = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_orphan_retries")) {
		/* proc_dou8vec_minmax, no bounds (sysctl_net_ipv4.c). */
		if (!num || v < 0 || v > 255)
			return -EINVAL;
		c->orphan_retries = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_max_orphans")) {
		/* proc_dointvec, an int; a negative one (every orphan too
		 * many, as 0 is) is refused with every number below 0. */
		if (!num || v > INT32_MAX)
			return -EINVAL;
		c->max_orphans = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_min_rtt_wlen")) {
		/* proc_dointvec_minmax, 0 to one day (sysctl_net_ipv4.c); 0 a
		 * window of no time (minmax_running_min(): every sample a
		 * jiffy after the last starts the filter again). */
		if (!num || v < 0 || v > 86400)
			return -EINVAL;
		c->min_rtt_wlen_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_shrink_window")) {
		/* Linux 6.5+ (sysctl_net_ipv4.c): proc_dou8vec_minmax, 0 to 1
		 * (SYSCTL_ZERO, SYSCTL_ONE); 2 is refused, EINVAL. */
		if (!num || v < 0 || v > 1)
			return -EINVAL;
		c->rcv_wnd_shrink = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_rto_max_ms")) {
		/* Linux 6.15+: tcp_rto_max(), 1 s to TCP_RTO_MAX (120 s); it
		 * caps the backed-off RTO and the persist interval
		 * (tcp_probe0_when(sk, tcp_rto_max(sk))). */
		if (!num || v < 1000 || v > 120000)
			return -EINVAL;
		c->rto_max_us = (uint32_t)(v * 1000);
		c->persist_max_us = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.ipv4.tcp_keepalive_time")) {
		c->keepalive_idle_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_keepalive_intvl")) {
		c->keepalive_intvl_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_keepalive_probes")) {
		c->keepalive_probes = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_fin_timeout")) {
		c->fin_wait2_timeout_ms = (uint32_t)(v * 1000);
	} else if (!strcmp(name, "net.ipv4.tcp_invalid_ratelimit")) {
		/* Milliseconds between answers to unacceptable segments, one
		 * each (tcp_oow_rate_limited()); 0 turns the limit off. */
		if (!num || v < 0 || v > 3600000)
			return -EINVAL;
		c->oow_ack_window_ms = (uint32_t)v;
		c->oow_ack_burst = 1;
		c->oow_ack_limit_data = false;
	} else if (!strcmp(name, "net.ipv4.tcp_rfc1337")) {
		c->rfc1337 = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_ecn")) {
		if (!num || v > 2)
			return -EINVAL; /* 3: AccECN, which Linux 6.18 refuses (EINVAL) */
		c->ecn = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_ecn_fallback")) {
		/* tcp_ecn_clear_syn(): a retransmitted SYN stops asking. */
		c->ecn_syn_retries = v ? 0 : 255;
	} else if (!strcmp(name, "net.ipv4.tcp_congestion_control")) {
		if (!strcmp(value, "cubic"))
			c->cc = GT_CC_CUBIC;
		else if (!strcmp(value, "reno"))
			c->cc = GT_CC_NEWRENO;
		else
			return -EINVAL;
	} else if (!strcmp(name, "net.ipv4.tcp_fastopen")) {
		/* proc_dointvec(): any base ("0x202"). Read by
		 * tcp_fastopen.c (server bits) and the socket layer
		 * (TFO_CLIENT_ENABLE, TFO_CLIENT_NO_COOKIE). */
		if (!num)
			return -EINVAL;
		c->fastopen = (uint32_t)v;
	} else if (!strcmp(name, "net.inet.tcp.fastopen.client_enable")) {
		/* sysctl_net_inet_tcp_fastopen_client_enable(): 1 -> 0 trims
		 * every ccache bucket to nothing; 0 -> 1 starts it empty. */
		if (!num || !c->fastopen_bsd)
			return -EOPNOTSUPP;
		c->fastopen_bsd_client = v != 0; /* the stack flushes (gt_stack_set_config()) */
	} else if (!strncmp(name, "net.inet.tcp.fastopen.", 22) && bsd_tfo_server_name(name + 22)) {
		if (!c->fastopen_bsd)
			return -EOPNOTSUPP;
		return bsd_tfo_server(c, name + 22, value, num, v);
	} else if (!strcmp(name, "net.ipv4.tcp_fastopen_blackhole_timeout_sec")) {
		/* 0, Linux's default since 5.14: tcp_fastopen_active_disable()
		 * never pauses Fast Open, as glasstcp (which has no pause). */
		if (!num || v != 0)
			return -EOPNOTSUPP;
	} else if (!strcmp(name, "net.ipv4.tcp_fastopen_key")) {
		if (!fastopen_key(value, c->fastopen_key))
			return -EINVAL;
	} else if (!strcmp(name, "net.ipv4.tcp_frto")) {
		c->frto = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_recovery")) {
		/* Bit 1: RACK loss detection; 2: a static reordering window;
		 * 4: no DupThresh rule in it (TCP_RACK_* in include/net/tcp.h).
		 * The kernel's sysctl is proc_dou8vec_minmax without bounds
		 * (net/ipv4/sysctl_net_ipv4.c): 0 to 255 taken, the other bits
		 * read by nothing (rack-recovery-unknown-bits-*.pkt). */
		if (!num || v < 0 || v > 255)
			return -EINVAL;
		/* Bit 1 no longer turns RACK off on Linux: since the RFC
		 * 3517/6675 loss detection was removed (2025, Linux 6.17 by our
		 * reading), tcp_identify_packet_loss() runs tcp_rack_mark_lost()
		 * for every SACK connection and tcp_is_rack() is gone; Linux 6.18
		 * with tcp_recovery=0 does RACK (rack-recovery-zero-still-rack.pkt).
		 * gt_config.rack = false stays for the older kernels' behaviour;
		 * the FreeBSD profile takes bit 1 as it says. */
		c->rack = profile == GT_PROFILE_LINUX || (v & 1);
		c->rack_static_reo_wnd = (v & 2) != 0;
		c->rack_no_dupthresh = (v & 4) != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_early_retrans")) {
		/* 3 and 4: tail loss probes; 0 to 2 (the old early
		 * retransmit) none of them. */
		if (!num || v < 0 || v > 4)
			return -EINVAL;
		c->tlp = v >= 3;
	} else if (!strcmp(name, "net.ipv4.tcp_dsack")) {
		c->opt_dsack = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_syncookies")) {
		c->syncookies = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_max_syn_backlog")) {
		c->max_syn_backlog = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_tw_reuse")) {
		if (!num || v > 2)
			return -EINVAL; /* proc_dointvec_minmax, 0..2 */
		c->tw_reuse = v != 0;
		c->tw_reuse_loopback = v == 2;
	} else if (!strcmp(name, "net.ipv4.tcp_tw_reuse_delay")) {
		if (!num || v < 1 || v > 60000)
			return -EINVAL; /* 1 ms .. TCP_PAWS_MSL s */
		c->tw_reuse_delay_ms = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_backlog_ack_defer")) {
		c->ack_defer_batch = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_comp_sack_nr")) {
		if (!num || v < 0 || v > 255)
			return -EINVAL;
		c->comp_sack_nr = (uint8_t)v; /* 0: no SACK compression */
	} else if (!strcmp(name, "net.ipv4.tcp_comp_sack_delay_ns")) {
		if (!num || v < 0 || v > 4000000000LL)
			return -EINVAL;
		c->comp_sack_delay_us = (uint32_t)(v / 1000);
	} else if (!strcmp(name, "net.ipv4.tcp_comp_sack_slack_ns")) {
		/* The compressed-ACK timer's range: glasstcp fires at its
		 * start (sack_compress() in src/tcp/tcp_input.c). */
		return GT_SYSCTL_NO_EFFECT;
	} else if (!strcmp(name, "net.ipv4.tcp_moderate_rcvbuf")) {
		c->rcvbuf_autotune = v != 0;
	} else if (!strcmp(name, "net.ipv4.tcp_syn_linear_timeouts")) {
		/* Linux 6.5+: 0 to MAX_TCP_SYNCNT (127). */
		if (!num || v < 0 || v > 127)
			return -EINVAL;
		c->syn_linear_timeouts = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_slow_start_after_idle")) {
		c->idle_restart = v ? 1 : 0;
	} else if (!strcmp(name, "net.ipv4.tcp_min_tso_segs")) {
		/* Only PSH sees the transmit unit (cfg.psh_linux). */
		if (!num || v < 1 || v > 255)
			return -EINVAL;
		c->min_tso_segs = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_tso_win_divisor")) {
		/* proc_dou8vec_minmax with no bounds of its own
		 * (sysctl_net_ipv4.c): 0 to 255; 0 is tcp_tso_should_defer()'s
		 * 3-segment rule. Only the Linux profile's TSO deferral reads
		 * it (cfg.tso_defer). */
		if (!num || v < 0 || v > 255)
			return -EINVAL;
		c->tso_win_divisor = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_mtu_probing")) {
		/* proc_dou8vec_minmax, 0 to 2 (tcp_mtu_probing()). */
		if (!num || v > 2)
			return -EINVAL;
		c->mtu_probing = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_retries1")) {
		/* proc_dou8vec_minmax, at most 255. */
		if (!num || v > 255)
			return -EINVAL;
		c->retries1 = (uint8_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_base_mss")) {
		if (!num || v < 48 || v > 65535)
			return -EINVAL;
		c->mtu_base_mss = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_probe_threshold")) {
		if (!num || v > 65535)
			return -EINVAL;
		c->mtu_probe_threshold = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_probe_interval")) {
		if (!num)
			return -EINVAL;
		c->mtu_probe_interval_s = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_mtu_probe_floor")) {
		/* proc_dointvec_minmax: 48 (TCP_MIN_SND_MSS) to 65495. */
		if (!num || v < 48 || v > 65495)
			return -EINVAL;
		c->mtu_probe_floor = (uint32_t)v;
	} else if (!strcmp(name, "net.ipv4.tcp_reordering")) {
		/* tcp_init_sock(): each socket's tp->reordering starts here;
		 * it is the duplicate threshold and a floor of the send
		 * buffer (tcp_sndbuf_expand(): reordering + 1 segments). Linux
		 * takes 1 to tcp_max_reordering (300); a connection's
		 * threshold here stops at 255. */
		if (!num || v < 1 || v > 300)
			return -EINVAL;
		c->reordering_segs = (uint8_t)(v < 255 ? v : 255);
	} else if (!strcmp(name, "net.ipv4.tcp_max_reordering")) {
		/* tcp_check_sack_reordering() and tcp_check_reno_reordering():
		 * the most tp->reordering rises to (Linux: any int). */
		if (!num || v < 1 || v > 65535)
			return -EINVAL;
		c->max_reordering_segs = (uint16_t)v;
	} else if (linux_without_effect(name)) {
		/* Linux tuning with no counterpart here (FACK, TSO and
		 * pacing knobs): logged, not applied. A script whose outcome
		 * depends on one fails visibly. */
		return GT_SYSCTL_NO_EFFECT;
	} else {
		return -ENOENT;
	}
	return 0;
}


int gt_config_sysctl_arg(struct gt_config *cfg, enum gt_profile profile, const char *arg,
			 char *err, size_t errlen)
{
	char name[96];
	const char *eq = arg ? strchr(arg, '=') : NULL;
	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name)) {
		snprintf(err, errlen, "wants NAME=VALUE, got '%s'", arg ? arg : "");
		return -EINVAL;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = 0;
	int rc = gt_config_sysctl(cfg, profile, name, eq + 1);
	if (rc == -ENOENT)
		snprintf(err, errlen, "glasstcp has no setting named %s", name);
	else if (rc == -EOPNOTSUPP && !strcmp(name, "net.inet.tcp.maxunacktime"))
		snprintf(err, errlen,
			 "%s=%s needs net.ipv4.tcp_slow_start_after_idle=0 first (Linux's "
			 "restart after idle keeps its time where FreeBSD's keeps t_acktime)",
			 name, eq + 1);
	else if (rc == -EOPNOTSUPP)
		snprintf(err, errlen, "%s=%s is a value glasstcp does not implement", name, eq + 1);
	else if (rc < 0)
		snprintf(err, errlen, "'%s' is not a value %s takes", eq + 1, name);
	else if (rc == GT_SYSCTL_NO_EFFECT)
		snprintf(err, errlen, "%s has no effect on glasstcp", name);
	else if (errlen)
		err[0] = 0;
	return rc;
}
