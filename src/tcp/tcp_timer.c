/* TCP timers: retransmission (RFC 6298), persist (RFC 9293 3.8.6.1, and
 * the sender-SWS override timeout of 3.8.6.2.1),
 * delayed ACK (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3), keepalive (RFC 1122
 * 4.2.3.6), TCP_CORK's ceiling, SO_LINGER's deadline and the orphaned
 * FIN_WAIT_2 timeout: seven deadlines per TCB (the ACK SACK compression
 * holds shares the delayed ACK's), one heap entry per TCB (its
 * earliest). fire() handles every one that is due, in a fixed order, and
 * stops at the first that ends the connection. */
#include "tcp/tcp.h"

void tcp_timers_update(gt_stack *s, struct tcp_conn *c)
{
	if (c->dead)
		return; /* a freed TCB never goes back in the heap */
	uint64_t t = tcp_timers_min(c);
	uint64_t cur = c->heap_idx == HEAP_NONE ? TCP_TIMER_NONE : s->timers.v[c->heap_idx].deadline_us;
	/* The entry moves only earlier: a timer stopped or pushed later
	 * leaves it where it is, and when it comes due with nothing to do
	 * (tcp_timers_run) it moves to the true earliest. Never late; at
	 * most one early wakeup, instead of a heap operation for every ACK
	 * that moves the retransmission timer. The heap has room for every
	 * TCB (tcp_conn_alloc reserves it), so this cannot fail. */
	if (t < cur && heap_set(&s->timers, c, &c->heap_idx, t) < 0)
		tcp_bug(s, c, "timer heap full");
}

uint32_t tcp_elapsed_us(const gt_stack *s, uint64_t us0)
{
	uint64_t d = s->now_us > us0 ? s->now_us - us0 : 0;
	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* FreeBSD's TP_MAXIDLE: TP_KEEPCNT x TP_KEEPINTVL. */
static uint64_t fin2_maxidle_us(const gt_stack *s, const struct tcp_conn *c)
{
	return (uint64_t)tcp_keep_cnt(s, c) * tcp_keep_intvl_s(s, c) * 1000000;
}

void tcp_arm_fin2(gt_stack *s, struct tcp_conn *c)
{
	/* Linux tcp_fin_timeout / TCP_LINGER2: an orphan does not wait for
	 * the peer's FIN forever; a negative TCP_LINGER2 means not at all. */
	uint64_t wait = c->fin2_timeout_ms < 0 ? 0 : (uint64_t)c->fin2_timeout_ms * 1000;
	if (s->cfg.fin2_idle_bsd && c->fin2_timeout_ms >= 0)
		wait = fin2_maxidle_us(s, c); /* TT_2MSL, TP_MAXIDLE */
	/* Linux's tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) arms the timewait
	 * sock's timer on the wheel (tcp_timer_at()); none for a negative
	 * TCP_LINGER2, which resets at once. */
	c->fin2_at = wait ? tcp_timer_at(s, wait) : s->now_us;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_FIN_WAIT_2, tcp_trace_delay(wait), 0, NULL);
}

void tcp_fin2_orphan_ttl(gt_stack *s, struct tcp_conn *c)
{
	/* Linux keeps such an orphan as a timewait sock (the cfg comment):
	 * its segments carry the default TTL / hop limit from now on. Longer
	 * waits (TCP_LINGER2 above 60 s) keep the full socket until the last
	 * 60 s in Linux (tcp_keepalive_timer()); here they keep the socket's
	 * TTL throughout. A negative TCP_LINGER2 resets from the full socket
	 * (tcp_close(): tcp_send_active_reset()), with its TTL. The traffic
	 * class is the timewait sock's too: an AF_INET6 socket's
	 * IPV6_TCLASS over an IPv4 flow's IP_TOS (tcp_tw_dscp()). */
	if (tcp_fin2_wait_as_tw(s, c)) {
		c->ip_ttl = 0;
		c->ip_ttl_zero = false;
		c->ip_dscp = (uint8_t)(tcp_tw_dscp(s, c) & 0x3f); /* tw_tos */
	}
}

/* A FreeBSD time above the TCB's 15 bits, or a count above its 8, is in
 * the side struct (tcp_keep_long_get(); the TCB then holds the maximum). */
uint32_t tcp_keep_idle_s(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->keep_idle_s == TCP_KEEP_TIME_MAX && tcp_keep_long_get(c, TCP_KEEP_LONG_IDLE))
		return tcp_keep_long_get(c, TCP_KEEP_LONG_IDLE);
	return c->keep_idle_s ? c->keep_idle_s : s->cfg.keepalive_idle_s;
}

uint32_t tcp_keep_intvl_s(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->keep_intvl_s == TCP_KEEP_TIME_MAX && tcp_keep_long_get(c, TCP_KEEP_LONG_INTVL))
		return tcp_keep_long_get(c, TCP_KEEP_LONG_INTVL);
	return c->keep_intvl_s ? c->keep_intvl_s : s->cfg.keepalive_intvl_s;
}

/* FreeBSD's TP_KEEPCNT: TCP_KEEPCNT any u_int (tcp_default_ctloutput()),
 * read only in TP_MAXIDLE; Linux's stops at 127 (MAX_TCP_KEEPCNT). */
uint32_t tcp_keep_cnt(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->keep_cnt == TCP_KEEP_CNT_MAX && tcp_keep_long_get(c, TCP_KEEP_LONG_CNT))
		return tcp_keep_long_get(c, TCP_KEEP_LONG_CNT);
	return c->keep_cnt ? c->keep_cnt : s->cfg.keepalive_probes;
}

bool tcp_keepalive_on(const gt_stack *s, const struct tcp_conn *c)
{
	return c->keepalive || s->cfg.keepalive_always;
}

bool tcp_keepalive_timer_on(const gt_stack *s, const struct tcp_conn *c)
{
	/* FreeBSD's TT_KEEP is armed at ESTABLISHED and re-armed at each
	 * expiry whatever SO_KEEPALIVE and always_keepalive say; sosetopt()'s
	 * SO_KEEPALIVE only sets so_options (tcp_ctloutput_set() hands a
	 * SOL_SOCKET option to ip_ctloutput()), which tcp_timer_keep() reads
	 * when it fires. Linux's sk_timer runs with SOCK_KEEPOPEN only
	 * (tcp_set_keepalive()). */
	return tcp_keepalive_on(s, c) || s->cfg.keepalive_model == GT_KEEPALIVE_FREEBSD;
}

bool tcp_keepalive_state(const gt_stack *s, uint8_t st)
{
	/* FreeBSD's tcp_timer_keep() probes from ESTABLISHED through CLOSING
	 * (TCPS_HAVEESTABLISHED, tp->t_state <= TCPS_CLOSING): FIN_WAIT_1 and
	 * CLOSING too (GT_KEEPALIVE_FREEBSD). */
	if (st == GT_TCP_ESTABLISHED || st == GT_TCP_CLOSE_WAIT)
		return true;
	/* Linux's tcp_keepalive_timer() runs in every state but CLOSE and
	 * SYN_SENT: FIN_WAIT_1, CLOSING and LAST_ACK send nothing while the
	 * FIN is out (GT_KEEPALIVE_LINUX, "It is alive without
	 * keepalive"), and a FIN_WAIT_2 whose socket is open (shutdown())
	 * probes (tests/pkt/linux/keepalive-fin-wait-2-half-closed-probes.pkt);
	 * an orphan's FIN_WAIT_2 runs the linger2 timeout instead
	 * (tcp_conn_orphan() disarms it, tcp_keepalive_arm() arms none). */
	if (s->cfg.keepalive_model == GT_KEEPALIVE_LINUX)
		return st == GT_TCP_FIN_WAIT_1 || st == GT_TCP_FIN_WAIT_2 || st == GT_TCP_CLOSING ||
		       st == GT_TCP_LAST_ACK;
	return st == GT_TCP_FIN_WAIT_1 || st == GT_TCP_CLOSING;
}

void tcp_keepalive_arm(gt_stack *s, struct tcp_conn *c)
{
	/* RFC 1122 4.2.3.6: probe an idle connection only when asked, after
	 * the idle time, then every interval; any segment from the peer
	 * restarts the count. An orphan's FIN_WAIT_2 is linger2's: the one
	 * place that keeps its timer off once tcp_conn_orphan() stopped it. */
	if (!tcp_keepalive_timer_on(s, c) || !tcp_keepalive_state(s, c->state) ||
	    (c->state == GT_TCP_FIN_WAIT_2 && tcp_is_orphan(c))) {
		c->keep_at = TCP_TIMER_NONE;
		return;
	}
	c->keep_probes_out = 0;
	/* inet_csk_reset_keepalive_timer(): sk_timer, on the wheel. */
	c->keep_at = tcp_timer_at(s, (uint64_t)tcp_keep_idle_s(s, c) * 1000000);
}

uint64_t tcp_jiffies_up_us(const gt_stack *s, uint64_t us)
{
	uint64_t j = s->cfg.rto_jiffy_us;
	return j ? (us + j - 1) / j * j : us;
}

/* Linux's timer wheel, kernel/time/timer.c (torvalds/linux, read at
 * 0010b838): LVL_CLK_SHIFT 3, LVL_BITS 6, LVL_DEPTH 9 above HZ=100 (8
 * otherwise). A timer armed with expires = jiffies + d goes to the first
 * level whose LVL_START() d is below (calc_wheel_index(): LVL_START(n) =
 * 63 << 3(n - 1), so d < 63 is level 0, d < 504 level 1, ...; at
 * WHEEL_TIMEOUT_CUTOFF and above, expires = clk + WHEEL_TIMEOUT_MAX), and
 * fires when jiffies reaches its bucket's expiry, calc_index()'s
 * ((expires >> 3L) + 1) << 3L: past expires by 1 to 8^L jiffies, so
 * never early even when armed at the end of a tick (a level-0 timer of d
 * jiffies fires d+1 ticks after the jiffy it was armed in). d is taken
 * against base->clk, which __mod_timer()'s forward_timer_base() brings to
 * jiffies before an idle CPU's base takes a timer; here always jiffies
 * (inside a timer handler the kernel's is one ahead, not modelled: it
 * moves only a delay of exactly 63, 504, ... jiffies down a level).
 * __mod_timer()'s shortcut for a pending timer whose new expiry lands in
 * the same bucket keeps the bucket and so the same firing time; a timer
 * re-armed often (the RTO on each ACK) fires by the bucket of its last
 * arming either way. TIMER_PINNED (TIME-WAIT, request socks) picks the
 * CPU's base, not the time. The jiffies clock is INITIAL_JIFFIES
 * ((unsigned int)(-300 * HZ)) plus (arm_us + cfg.timer_wheel_phase_us) /
 * cfg.rto_jiffy_us. */
uint64_t tcp_wheel_at(const gt_stack *s, uint64_t arm_us, uint64_t delay_us)
{
	uint64_t ju = s->cfg.rto_jiffy_us;
	if (!s->cfg.timer_wheel || !ju)
		return arm_us + delay_us;
	uint64_t hz = 1000000 / ju ? 1000000 / ju : 1;
	uint64_t initial = (uint64_t)(uint32_t)(UINT64_C(0x100000000) - 300 * hz);
	unsigned depth = hz > 100 ? 9 : 8;
	uint64_t t = arm_us + s->cfg.timer_wheel_phase_us;
	uint64_t clk = initial + t / ju;
	uint64_t d = (delay_us + ju - 1) / ju; /* usecs_to_jiffies() */
	uint64_t cutoff = UINT64_C(63) << (3 * (depth - 1));
	if (d >= cutoff)
		d = cutoff - (UINT64_C(1) << (3 * (depth - 1))); /* WHEEL_TIMEOUT_MAX */
	unsigned lvl = 0;
	while (lvl + 1 < depth && d >= (UINT64_C(63) << (3 * lvl)))
		lvl++;
	unsigned shift = 3 * lvl;
	uint64_t bucket = (((clk + d) >> shift) + 1) << shift;
	return (bucket - initial) * ju - s->cfg.timer_wheel_phase_us;
}

uint64_t tcp_wheel_jiffy(const gt_stack *s, uint64_t us)
{
	return (us + s->cfg.timer_wheel_phase_us) / s->cfg.rto_jiffy_us;
}

uint64_t tcp_timer_at(const gt_stack *s, uint64_t delay_us)
{
	return tcp_wheel_at(s, s->now_us, delay_us);
}

/* Linux's tcp_rto_max(): icsk_rto_max, msecs_to_jiffies() of
 * net.ipv4.tcp_rto_max_ms, rounded up. */
static uint64_t rto_max_us(const gt_stack *s)
{
	return tcp_jiffies_up_us(s, s->cfg.rto_max_us);
}

/* FreeBSD's RTT state (cfg.rtt_bsd; tcp_var.h): t_srtt in ticks x 32
 * (TCP_RTT_SHIFT 5), t_rttvar x 16 (TCP_RTTVAR_SHIFT 4), updated with
 * TCP_DELTA_SHIFT 2 bits more. The TCB holds them as tcp_fill_info() and
 * tcp_get_srtt() show them, "(t_srtt * tick) >> TCP_RTT_SHIFT" us and
 * "(t_rttvar * tick) >> TCP_RTTVAR_SHIFT" us; with a tick of at least 32
 * us, rounding that up gives the scaled value back exactly. */
#define BSD_RTT_SHIFT 5
#define BSD_RTTVAR_SHIFT 4
#define BSD_DELTA_SHIFT 2
#define BSD_RTT_INVALIDATE 3 /* TCP_MAXRXTSHIFT / 4 */

/* FreeBSD's hz (cfg.cubic_bsd_hz, 1000 unset) and its tick in us. */
static uint32_t bsd_hz(const gt_stack *s)
{
	return s->cfg.cubic_bsd_hz ? s->cfg.cubic_bsd_hz : 1000u;
}

static uint32_t bsd_tick_us(const gt_stack *s)
{
	return 1000000u / bsd_hz(s);
}

static uint32_t bsd_unscale(const gt_stack *s, uint32_t us, unsigned shift)
{
	uint64_t tick = bsd_tick_us(s);
	return (uint32_t)((((uint64_t)us << shift) + tick - 1) / tick);
}

/* Before its first sample a connection's t_rxtcur is tcp_rexmit_initial
 * as it is (tcp_newtcpcb()); every sample sets it with the slop, so it is
 * that value again only where no sample came: t_srtt and t_rttvar are 0
 * after a sample only where it was of 0 ticks, t_rxtcur then the floor. */
static bool bsd_unsampled(const gt_stack *s, const struct tcp_conn *c)
{
	return !c->srtt_us && !c->rttvar_us && c->rto_us == s->cfg.rto_initial_us;
}

uint32_t tcp_bsd_srtt(const gt_stack *s, const struct tcp_conn *c)
{
	return bsd_unscale(s, c->srtt_us, BSD_RTT_SHIFT);
}

/* t_rttvar; before a sample tcp_newtcpcb()'s "((tcp_rexmit_initial -
 * TCPTV_SRTTBASE) << TCP_RTTVAR_SHIFT) / 4", TCPTV_SRTTBASE 0. */
uint32_t tcp_bsd_rttvar(const gt_stack *s, const struct tcp_conn *c)
{
	if (bsd_unsampled(s, c))
		return (s->cfg.rto_initial_us / bsd_tick_us(s) << BSD_RTTVAR_SHIFT) / 4;
	return bsd_unscale(s, c->rttvar_us, BSD_RTTVAR_SHIFT);
}

/* TCP_REXMTVAL(tp), in us: max(t_rttmin, ((t_srtt >> (TCP_RTT_SHIFT -
 * TCP_DELTA_SHIFT)) + t_rttvar) >> TCP_DELTA_SHIFT) ticks, SRTT + 4
 * RTTVAR. */
static uint64_t rexmtval_us(const gt_stack *s, uint32_t srtt, uint32_t rttvar)
{
	uint32_t tick = bsd_tick_us(s);
	uint32_t v = ((srtt >> (BSD_RTT_SHIFT - BSD_DELTA_SHIFT)) + rttvar) >> BSD_DELTA_SHIFT;
	uint32_t min = s->cfg.rto_min_us / tick; /* t_rttmin, tcp_rexmit_min */
	return (uint64_t)(v > min ? v : min) * tick;
}

static uint64_t bsd_rexmtval_us(const gt_stack *s, const struct tcp_conn *c)
{
	return rexmtval_us(s, tcp_bsd_srtt(s, c), tcp_bsd_rttvar(s, c));
}

/* cfg.rtt_bsd: the timeout as FreeBSD arms TT_REXMT. Unbacked off, t_rxtcur
 * as tcp_xmit_timer() left it (rto_us; tcp_do_segment() restarts the timer
 * with it). tcp_timer_rexmt() at each expiry: TCPT_RANGESET(t_rxtcur,
 * rexmt * tcp_backoff[t_rxtshift], t_rttmin, TCPTV_REXMTMAX), rexmt being
 * tcp_rexmit_initial in SYN_SENT and SYN_RECEIVED, else TCP_REXMTVAL(),
 * the range adding tcp_rexmit_slop; tcp_backoff[] stops at 512. */
static uint64_t rto_shifted_bsd(const gt_stack *s, const struct tcp_conn *c, unsigned shift)
{
	uint64_t t = c->rto_us;
	if (shift) {
		unsigned cap = s->cfg.rto_backoff_max_shift ? s->cfg.rto_backoff_max_shift : 20;
		bool syn = c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED;
		uint64_t base = syn ? s->cfg.rto_initial_us : bsd_rexmtval_us(s, c);
		t = (base << (shift < cap ? shift : cap)) + s->cfg.rto_slop_us;
		if (t < s->cfg.rto_min_us)
			t = s->cfg.rto_min_us;
	}
	return t > s->cfg.rto_max_us ? s->cfg.rto_max_us : t;
}

uint64_t tcp_backoff_us(const gt_stack *s, const struct tcp_conn *c)
{
	return tcp_rto_shifted_us(s, c, c->backoff);
}

/* The RTO backed off by shift, as the timer would be armed with it. */
uint64_t tcp_rto_shifted_us(const gt_stack *s, const struct tcp_conn *c, unsigned shift)
{
	if (s->cfg.rtt_bsd)
		return rto_shifted_bsd(s, c, shift);
	unsigned cap = s->cfg.rto_backoff_max_shift ? s->cfg.rto_backoff_max_shift : 20;
	uint64_t t = (uint64_t)c->rto_us << (shift < cap ? shift : cap);
	/* BSD adds a slop to every computed timeout (TCPT_RANGESET), but not
	 * to the very first SYN's, which is rexmit_initial as it is. */
	if (shift || c->srtt_us)
		t += s->cfg.rto_slop_us;
	if (s->cfg.rto_min_after_slop && t < s->cfg.rto_min_us)
		t = s->cfg.rto_min_us; /* TCPT_RANGESET's tvmin, t_rttmin */
	/* tcp_retransmit_timer(): icsk_rto = min(icsk_rto << 1,
	 * tcp_rto_max()), whole jiffies doubled (rto_us is whole jiffies
	 * already with cfg.rto_jiffy_us). */
	uint64_t max = rto_max_us(s);
	/* A listener's SYN-ACK (not a Fast Open child's, a full socket's):
	 * Linux 6.18's reqsk_timer_handler() doubles the request's timeout
	 * up to TCP_RTO_MAX whatever net.ipv4.tcp_rto_max_ms says
	 * (cfg.synack_rto_max_us; tests/pkt/linux/
	 * synack-rtx-backoff-ignores-rto-max-ms.pkt). */
	if (s->cfg.synack_rto_max_us && c->state == GT_TCP_SYN_RECEIVED && c->passive &&
	    !tcp_tfo_child(c))
		max = tcp_jiffies_up_us(s, s->cfg.synack_rto_max_us);
	return t > max ? max : t;
}

uint64_t tcp_persist_us(const gt_stack *s, const struct tcp_conn *c)
{
	uint64_t t;
	if (s->cfg.persist_bsd) {
		/* FreeBSD's tcp_setpersist(): ((t_srtt >> 2) + t_rttvar) >> 1
		 * with t_srtt scaled by 32 and t_rttvar by 16 (tcp_var.h) is
		 * 4 * SRTT + 8 * RTTVAR; before a sample t_srtt is 0 and
		 * t_rttvar a quarter of rexmit_initial (tcp_newtcpcb()). Then
		 * TCPT_RANGESET(t * tcp_backoff[t_rxtshift] + rexmit_slop,
		 * tcp_persmin, tcp_persmax); tcp_backoff[] stops at 512
		 * (rto_backoff_max_shift). */
		uint64_t base = c->srtt_us ? 4ull * c->srtt_us + 8ull * c->rttvar_us
					   : 2ull * s->cfg.rto_initial_us;
		/* With FreeBSD's estimator, its own arithmetic in ticks. */
		if (s->cfg.rtt_bsd)
			base = (uint64_t)(((tcp_bsd_srtt(s, c) >> 2) + tcp_bsd_rttvar(s, c)) >> 1) *
			       bsd_tick_us(s);
		unsigned cap = s->cfg.rto_backoff_max_shift ? s->cfg.rto_backoff_max_shift : 20;
		unsigned shift = c->backoff < cap ? c->backoff : cap;
		t = (base << shift) + s->cfg.rto_slop_us;
	} else {
		/* The same backed-off RTO the retransmission timer uses (RFC
		 * 9293 3.8.6.1 leaves the interval to the implementation):
		 * Linux's tcp_probe0_when(), max(icsk_rto, TCP_RTO_MIN) <<
		 * icsk_backoff in jiffies, at most tcp_rto_max(). */
		t = tcp_backoff_us(s, c);
	}
	if (t < s->cfg.persist_min_us)
		t = s->cfg.persist_min_us;
	uint64_t max = tcp_jiffies_up_us(s, s->cfg.persist_max_us);
	return t > max ? max : t;
}

/* BSD's keepinit (TCPTV_KEEP_INIT, 75 s): connect() arms a timer whose
 * expiry before ESTABLISHED drops the connection (tcp_timer_keep(): a
 * state below ESTABLISHED goes to "dropit"), whatever the SYN's
 * retransmission schedule. Here it is a deadline on an active open,
 * SYN_SENT or a simultaneous open's SYN_RECEIVED: open_us + TCP_KEEPINIT,
 * or where an option re-armed that timer, keep_dl_us; TCP_TIMER_NONE
 * when there is none. */
/* A FreeBSD TFO child (cfg.fastopen_bsd): syncache_tfo_expand() makes a
 * tcpcb in SYN_RECEIVED at the SYN, and syncache_socket() copies the
 * listener's t_keepinit and arms TT_KEEP with TP_KEEPINIT
 * (tcp_syncache.c); its SYN|ACK is tcp_output()'s, resent by
 * tcp_timer_rexmt() up to V_tcp_retries, and tcp_drop() ends it with an
 * RST (TCPS_HAVERCVDSYN). Any other passive open's SYN_RECEIVED is the
 * syncache's (syncache_timer(): SYNCACHE_MAXREXMTS, nothing sent). */
static bool tfo_tcpcb_bsd(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.fastopen_bsd && tcp_tfo_child(c);
}

/* Whether the connection has a connect deadline at all: an active open (or
 * a FreeBSD TFO child's tcpcb) still in SYN_SENT or SYN_RECEIVED. */
static bool connect_deadline_applies(const gt_stack *s, const struct tcp_conn *c)
{
	return (!c->passive || tfo_tcpcb_bsd(s, c)) &&
	       (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED);
}

static uint64_t connect_deadline_us(const gt_stack *s, const struct tcp_conn *c)
{
	if (!connect_deadline_applies(s, c))
		return TCP_TIMER_NONE;
	if (c->keep_dl_us)
		return c->keep_dl_us;
	uint64_t ms = c->keep_init_s ? c->keep_init_s * 1000ull : s->cfg.connect_timeout_ms;
	if (!ms)
		return TCP_TIMER_NONE;
	return c->open_us + ms * 1000ull;
}

/* The time the SYN's (or the simultaneous open's SYN|ACK's) retransmission
 * timer would fire at, uncut by the connect deadline: each timeout armed as
 * the previous fired (rto_fire(), tcp_arm_rtx()), tcp_rto_shifted_us() of
 * the backoff then, from the first SYN (open_us). The retransmission timer
 * is not moved otherwise before ESTABLISHED (an ICMP's resent SYN leaves it
 * as armed). */
static uint64_t syn_rtx_due_us(const gt_stack *s, const struct tcp_conn *c)
{
	uint64_t at = c->open_us;
	for (unsigned i = 0; i <= c->backoff && i < 64; i++)
		at += tcp_rto_shifted_us(s, c, i);
	return at;
}

void tcp_connect_deadline_restart(gt_stack *s, struct tcp_conn *c, uint64_t after_us)
{
	if (!connect_deadline_applies(s, c))
		return;
	/* FreeBSD's tcp_default_ctloutput(): TCP_KEEPINIT ("if (tp->t_state
	 * == TCPS_SYN_RECEIVED || tp->t_state == TCPS_SYN_SENT)") and
	 * TCP_KEEPIDLE ("(tp->t_state > TCPS_LISTEN) && (tp->t_state <=
	 * TCPS_CLOSING)") both re-arm TT_KEEP, in the handshake the
	 * connection-establishment timer, with their value from now; the
	 * last set wins. open_us keeps its meaning (the first SYN). */
	/* 0: no value, none (connect_timeout_ms 0). */
	uint64_t dl0 = connect_deadline_us(s, c);
	c->keep_dl_us = after_us ? s->now_us + after_us : 0;
	uint64_t dl = connect_deadline_us(s, c);
	if (c->rtx_at == TCP_TIMER_NONE || c->rtx_kind != TCP_RTX_RTO)
		return;
	/* FreeBSD's TT_REXMT and TT_KEEP are two timers: moving TT_KEEP
	 * later leaves the SYN's retransmission where tcp_timer_rexmt() or
	 * tcp_output() armed it. Here one timer serves both, cut to the
	 * deadline (tcp_arm_rtx()); a cut one goes back to the SYN's own
	 * time, or to the new deadline if that comes first
	 * (tests/pkt/freebsd/keepinit-later-restores-syn-retransmission.pkt;
	 * before, the SYN went at the old deadline). */
	uint64_t at = c->rtx_at;
	if (at == dl0 && dl > dl0)
		at = syn_rtx_due_us(s, c);
	if (at > dl)
		at = dl > s->now_us ? dl : s->now_us;
	if (at != c->rtx_at) {
		c->rtx_at = at;
		tcp_timers_update(s, c);
	}
}

/* The stall's clock (c->stall_start_ms, for tcp_retries2's time model
 * and TCP_USER_TIMEOUT): started now; 0 means not started, so a start
 * that falls on 0 is taken a millisecond later. */
static void stall_start(gt_stack *s, struct tcp_conn *c)
{
	uint32_t ms = (uint32_t)(s->now_us / 1000);
	c->stall_start_ms = ms ? ms : 1;
}

/* After the handshake, the time since Linux's retrans_stamp, us: false
 * until an RTO retransmission was made (retransmits_timed_out() asks
 * icsk_retransmits first). */
static bool rtx_elapsed_us(const gt_stack *s, const struct tcp_conn *c, uint64_t *us)
{
	if (!c->rtx_count || !c->stall_start_ms)
		return false;
	*us = (uint64_t)(uint32_t)((uint32_t)(s->now_us / 1000) - c->stall_start_ms) * 1000;
	return true;
}

/* The time since TCP_USER_TIMEOUT's clock started, us: in SYN_SENT (and
 * an active open's SYN_RECEIVED) since the first SYN (Linux's
 * tcp_connect() stamps retrans_stamp), after it rtx_elapsed_us(). False
 * when no user timeout is set or no clock runs. */
static bool uto_elapsed_us(const gt_stack *s, const struct tcp_conn *c, uint64_t *us)
{
	if (!c->user_timeout_ms)
		return false;
	if (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED) {
		if (c->passive || !c->syn_retries)
			return false; /* a request sock has no user timeout */
		*us = s->now_us - c->open_us;
		return true;
	}
	return rtx_elapsed_us(s, c, us);
}

/* retransmits_timed_out(sk, boundary, icsk_user_timeout) with a user
 * timeout: the time since the stamp reaches it. */
static bool uto_expired(const gt_stack *s, const struct tcp_conn *c)
{
	uint64_t us;
	return uto_elapsed_us(s, c, &us) && us >= (uint64_t)c->user_timeout_ms * 1000;
}

void tcp_arm_rtx(gt_stack *s, struct tcp_conn *c)
{
	if (c->persist)
		return;
	/* RFC 8985 7.2: a probe timeout, restarted by each new send, stands
	 * in for the RTO while it may. */
	if ((c->rtx_at == TCP_TIMER_NONE || c->rtx_kind == TCP_RTX_TLP) && tcp_rack_arm_tlp(s, c))
		return;
	if (c->rtx_at != TCP_TIMER_NONE)
		return;
	c->rtx_kind = TCP_RTX_RTO;
	uint64_t delay = tcp_backoff_us(s, c);
	/* Linux's tcp_clamp_rto_to_user_timeout(): once a retransmission
	 * started the user timeout's clock, the timer that follows fires no
	 * later than the timeout, "fire ASAP" once it has passed, so the
	 * connection ends on time, not an RTO later. */
	uint64_t uto_us;
	if (uto_elapsed_us(s, c, &uto_us)) {
		uint64_t limit = (uint64_t)c->user_timeout_ms * 1000;
		uint64_t left = limit > uto_us ? limit - uto_us : 0;
		/* In jiffies: msecs_to_jiffies(remaining), and "fire ASAP"
		 * is 1 jiffy. */
		if (s->cfg.rto_jiffy_us)
			left = left ? tcp_jiffies_up_us(s, left) : s->cfg.rto_jiffy_us;
		if (delay > left)
			delay = left;
	}
	/* inet_csk_reset_xmit_timer(): icsk_retransmit_timer, on the wheel
	 * (the SYN's, and a request's SYN-ACK's, reqsk_queue_hash_req()). */
	c->rtx_at = tcp_timer_at(s, delay);
	/* The connect deadline comes before the next SYN would: the timer
	 * fires then, and rto_fire() gives up (not a SYN later). */
	uint64_t dl = connect_deadline_us(s, c);
	if (c->rtx_at > dl)
		c->rtx_at = dl > s->now_us ? dl : s->now_us;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_RTX,
			  tcp_trace_delay(c->rtx_at - s->now_us), 0, NULL);
	tcp_timers_update(s, c);
}

/* Linux's tcp_rtt_estimator() (net/ipv4/tcp_input.c): SRTT and mdev as
 * RFC 6298 2.3 with alpha 1/8 and beta 1/4 (mdev kept x 4, in
 * c->rttvar_us), except that a sample below SRTT moves mdev by beta/8
 * only (its "Eifel" gain). The RTO's variance term, Linux's rttvar_us, is
 * not mdev but the largest mdev of the current round (SND.UNA passing the
 * SND.NXT of the round's start), at least rto_min (tcp_rto_min_us()), and
 * it decays to that maximum by a quarter of the gap per round.
 * __tcp_set_rto() adds it to SRTT, so it is rto_us - srtt_us here (less
 * only once tcp_bound_rto() capped the sum at rto_max). A path whose
 * samples fall after the handshake's keeps an RTO of about SRTT + 200 ms,
 * where RFC 6298's 4 x RTTVAR (beta 1/4 both ways) held it higher
 * (gVisor's linux/tcp_user_timeout.pkt: 294 ms, not 337 ms). Without the
 * side struct for the round (out of memory), RFC 6298's rule. */
static bool rtt_estimate_linux(gt_stack *s, struct tcp_conn *c, uint32_t r, uint64_t *rto)
{
	uint32_t *mdev_max, *seq, *var;
	if (!tcp_lx_rtt_round(s, c, &mdev_max, &seq, &var))
		return false;
	/* tcp_rto_min_us(): jiffies_to_usecs() of icsk_rto_min, itself
	 * whole jiffies (usecs_to_jiffies() of tcp_rto_min_us). */
	uint32_t rto_min = (uint32_t)tcp_jiffies_up_us(s, s->cfg.rto_min_us);
	uint32_t rttvar;
	if (c->srtt_us == 0) {
		c->srtt_us = r;
		c->rttvar_us = r * 2u; /* mdev: "make sure rto = 3*rtt" */
		rttvar = c->rttvar_us > rto_min ? c->rttvar_us : rto_min;
		*mdev_max = rttvar;
		*seq = c->snd_nxt;
	} else {
		/* Linux's tp->rttvar_us, kept beside the round: with the RTO
		 * in jiffies, rto_us - srtt_us is up to a jiffy more. A round
		 * begun without the side struct (out of memory) has none. */
		rttvar = *var ? *var : c->rto_us > c->srtt_us ? c->rto_us - c->srtt_us : rto_min;
		/* SRTT in microseconds, not Linux's eighths: the two differ
		 * by under a microsecond. */
		int64_t m = (int64_t)r - c->srtt_us;
		int64_t srtt = c->srtt_us + m / 8;
		c->srtt_us = srtt > 0 ? (uint32_t)srtt : 1;
		if (m < 0) {
			m = -m - (c->rttvar_us >> 2);
			if (m > 0)
				m >>= 3;
		} else {
			m -= c->rttvar_us >> 2;
		}
		c->rttvar_us = (uint32_t)((int64_t)c->rttvar_us + m);
		if (c->rttvar_us > *mdev_max) {
			*mdev_max = c->rttvar_us;
			if (*mdev_max > rttvar)
				rttvar = *mdev_max;
		}
		if (seq_gt(c->snd_una, *seq)) {
			if (*mdev_max < rttvar)
				rttvar -= (rttvar - *mdev_max) >> 2;
			*seq = c->snd_nxt;
			*mdev_max = rto_min;
		}
	}
	*var = rttvar;
	*rto = (uint64_t)c->srtt_us + rttvar;
	return true;
}

/* FreeBSD's tcp_xmit_timer() (sys/netinet/tcp_input.c) with a sample of
 * rtt ticks: the first (t_srtt 0, or t_rxtshift past TCP_RTT_INVALIDATE)
 * sets t_srtt to it and t_rttvar to half of it; later ones move t_srtt by
 * an eighth and t_rttvar by a quarter of the difference, both at least 1.
 * The RTT is taken "to origin 0" (rtt - 1) there, and t_rxtcur becomes
 * TCPT_RANGESET(TCP_REXMTVAL(), max(t_rttmin, rtt + 2), TCPTV_REXMTMAX),
 * tcp_rexmit_slop added. t_rxtshift goes to 0 in the caller (backoff and
 * retry count); t_rttupdated is the congestion control's (on_rtt). */
static void rtt_bsd(gt_stack *s, struct tcp_conn *c, uint32_t rtt_ticks)
{
	uint32_t tick = bsd_tick_us(s);
	/* An int there; bounded so that rtt << TCP_RTT_SHIFT fits. */
	const uint32_t rtt_max = (uint32_t)INT32_MAX >> BSD_RTT_SHIFT;
	int32_t rtt = (int32_t)(rtt_ticks < rtt_max ? rtt_ticks : rtt_max);
	int32_t srtt = (int32_t)tcp_bsd_srtt(s, c), var = (int32_t)tcp_bsd_rttvar(s, c);
	if (srtt != 0 && c->backoff <= BSD_RTT_INVALIDATE) {
		int32_t delta = (rtt - 1) * (1 << BSD_DELTA_SHIFT) -
				(srtt >> (BSD_RTT_SHIFT - BSD_DELTA_SHIFT));
		srtt += delta;
		if (srtt <= 0)
			srtt = 1;
		if (delta < 0)
			delta = -delta;
		delta -= var >> (BSD_RTTVAR_SHIFT - BSD_DELTA_SHIFT);
		var += delta;
		if (var <= 0)
			var = 1;
	} else {
		srtt = rtt * (1 << BSD_RTT_SHIFT);
		var = rtt * (1 << (BSD_RTTVAR_SHIFT - 1));
	}
	c->srtt_us = (uint32_t)(((uint64_t)srtt * tick) >> BSD_RTT_SHIFT);
	c->rttvar_us = (uint32_t)(((uint64_t)var * tick) >> BSD_RTTVAR_SHIFT);
	uint64_t floor = (uint64_t)(rtt + 2) * tick;
	if (floor < s->cfg.rto_min_us)
		floor = s->cfg.rto_min_us;
	uint64_t rto = rexmtval_us(s, (uint32_t)srtt, (uint32_t)var) + s->cfg.rto_slop_us;
	if (rto < floor)
		rto = floor;
	c->rto_us = (uint32_t)(rto > s->cfg.rto_max_us ? s->cfg.rto_max_us : rto);
	uint32_t r = (uint32_t)rtt * tick;
	if (r && (c->min_rtt_us == 0 || r < c->min_rtt_us))
		c->min_rtt_us = r;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_RTT, r, c->srtt_us, c->rto_us, NULL);
}

uint32_t tcp_rtt_sample_timed(gt_stack *s, struct tcp_conn *c)
{
	if (s->cfg.rtt_bsd) {
		/* "ticks - tp->t_rtttime", t_rtttime the ticks when tcp_output()
		 * sent the timed segment: no "+ 1" here, unlike an echo's. */
		uint32_t tick = bsd_tick_us(s);
		uint32_t t = (uint32_t)(s->now_us / tick - c->rtt_start_us / tick);
		rtt_bsd(s, c, t);
		return t * tick;
	}
	uint32_t r = tcp_elapsed_us(s, c->rtt_start_us);
	tcp_rtt_sample(s, c, r);
	return r;
}

void tcp_rtt_sample(gt_stack *s, struct tcp_conn *c, uint32_t r)
{
	tcp_rtt_sample_ca(s, c, r, r);
}

void tcp_rtt_sample_ca(gt_stack *s, struct tcp_conn *c, uint32_t r, uint32_t ca)
{
	if (s->cfg.rtt_bsd) {
		rtt_bsd(s, c, r / bsd_tick_us(s));
		return;
	}
	if (r == 0)
		r = 1;
	if (ca == 0 || ca == UINT32_MAX)
		ca = r;

	uint64_t rto;
	if (!s->cfg.rto_min_adds_srtt || !rtt_estimate_linux(s, c, r, &rto)) {
		/* RFC 6298 2.2 and 2.3, with alpha = 1/8 and beta = 1/4. */
		if (c->srtt_us == 0) {
			c->srtt_us = r;
			c->rttvar_us = r / 2;
		} else {
			uint32_t delta = c->srtt_us > r ? c->srtt_us - r : r - c->srtt_us;
			c->rttvar_us = c->rttvar_us - c->rttvar_us / 4 + delta / 4;
			c->srtt_us = c->srtt_us - c->srtt_us / 8 + r / 8;
		}
		/* RTO = SRTT + max(G, 4 * RTTVAR), G = 1 ms, bounded (RFC 6298
		 * 2.4, 2.5); Linux's floor on the variance term where its
		 * round could not be kept. */
		uint64_t var = 4ull * c->rttvar_us;
		uint64_t floor = s->cfg.rto_min_adds_srtt ? s->cfg.rto_min_us : 1000;
		rto = c->srtt_us + (var > floor ? var : floor);
		if (rto < s->cfg.rto_min_us && !s->cfg.rto_min_after_slop)
			rto = s->cfg.rto_min_us;
	}
	if (c->min_rtt_us == 0 || ca < c->min_rtt_us)
		c->min_rtt_us = ca;
	/* __tcp_set_rto(): icsk_rto is usecs_to_jiffies(srtt + rttvar),
	 * rounded up to a whole jiffy (cfg.rto_jiffy_us), then
	 * tcp_bound_rto() caps it at tcp_rto_max(). */
	rto = tcp_jiffies_up_us(s, rto);
	uint64_t max = rto_max_us(s);
	if (rto > max)
		rto = max;
	c->rto_us = (uint32_t)rto;
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_RTT, r, c->srtt_us, c->rto_us, NULL);
}

uint32_t tcp_rtt_sample_ts(gt_stack *s, struct tcp_conn *c, uint32_t ts_ecr)
{
	/* RFC 7323 4.1 and appendix G: a TSecr ahead of our clock was never
	 * sent by us (Linux's tcp_rtt_tsopt_us checks it too). Nor is one
	 * older than the retransmission timer ever waits a round trip: a
	 * segment unacknowledged that long was sent again, and the copy that
	 * arrived would carry a later TSval. Such an echo is a TS.Recent the peer failed to refresh (after weeks
	 * of idle, RFC 7323 5.5), and as a sample it pins the RTO at
	 * rto_max. */
	int32_t ms = (int32_t)(tcp_now_ts(s, c) - ts_ecr);
	if (ms < 0 || (uint64_t)ms * 1000 > s->cfg.rto_max_us)
		return UINT32_MAX;
	/* Linux's tcp_rtt_tsopt_us(): an echo of this very tick is one tick,
	 * 1 ms, not 0 (tcp_rtt_sample()'s floor of 1 us): on a path whose
	 * round trip is under a tick, most echoes say 0, and the profile's
	 * min_rtt was 1 us where Linux's echo samples say 1 ms
	 * (tests/pkt/linux/rtt-ts-echo-same-tick-counts-one-tick.pkt). */
	if (ms == 0 && s->cfg.ts_rtt_zero_tick)
		ms = 1;
	if (s->cfg.rtt_bsd) {
		/* tcp_do_segment(): "tcp_xmit_timer(tp, TCP_TS_TO_TICKS(t) +
		 * 1)", t the echo's age in tcp_ts_getticks() milliseconds. */
		uint32_t hz = bsd_hz(s);
		uint32_t t = (uint32_t)((uint64_t)ms * hz / 1000u) + 1;
		rtt_bsd(s, c, t);
		return t * bsd_tick_us(s);
	}
	tcp_rtt_sample(s, c, (uint32_t)ms * 1000u);
	return (uint32_t)ms * 1000u;
}

static void trace_rto(gt_stack *s, const struct tcp_conn *c)
{
	struct gt_trace_event ev = {
		.type = GT_TRACE_RTO, .now_us = s->now_us, .laddr6 = c->laddr, .faddr6 = c->faddr,
		.lport = c->lport, .fport = c->fport, .a = c->backoff, .b = c->rto_us,
	};
	stack_trace(s, &ev);
}

/* Linux's retry_until for a SYN (tcp_write_timeout(): icsk_syn_retries,
 * TCP_SYNCNT, else tcp_syn_retries) or a SYN-ACK (reqsk_timer_handler():
 * the listener's icsk_syn_retries, else tcp_synack_retries). A
 * simultaneous open's SYN_RECEIVED is a full socket's, not a request's:
 * tcp_write_timeout() takes the SYN's count for TCPF_SYN_SENT |
 * TCPF_SYN_RECV alike, without the linear timeouts SYN_SENT adds
 * (tests/pkt/linux/simultaneous-open-synack-retries-are-syn-retries.pkt:
 * Linux 6.18 gives up at 3 s with tcp_syn_retries 1 and
 * tcp_synack_retries 5). */
static uint32_t syn_retry_until(const gt_stack *s, const struct tcp_conn *c)
{
	if (c->state == GT_TCP_SYN_SENT || !c->passive || tfo_tcpcb_bsd(s, c))
		return c->syn_count ? c->syn_count : s->cfg.syn_retries;
	if (c->passive && c->lh >= 0 && (uint32_t)c->lh < s->listeners_cap &&
	    s->listeners[c->lh].in_use && s->listeners[c->lh].opts.syn_count)
		return s->listeners[c->lh].opts.syn_count;
	return s->cfg.synack_retries;
}

/* Linux's tcp_write_timeout() for a SYN with linear timeouts: past the
 * retransmission count, the attempt also ends once
 * tcp_model_timeout(syn_retries, the initial RTO) has passed since the
 * first SYN (retransmits_timed_out(), retrans_stamp): the time doubling
 * backoff would have taken from the start, (2^(n+1) - 1) initial RTOs,
 * each doubling capped at the largest RTO. Without linear timeouts the
 * count ends it at about that time anyway: not asked. */
static bool syn_timed_out(const gt_stack *s, const struct tcp_conn *c, uint32_t linear,
			  uint32_t retry_until)
{
	if (!linear || !c->syn_retries)
		return false;
	uint64_t base = s->cfg.rto_initial_us, max = s->cfg.rto_max_us, t = 0, step = base;
	for (uint32_t i = 0; i <= retry_until && i < 256; i++) {
		t += step;
		step = step * 2 > max ? max : step * 2;
	}
	return s->now_us - c->open_us >= t;
}

/* FreeBSD's t_acktime, kept as its RACK stack keeps it (rack.c's
 * PROGRESS_START, _UPDATE and _CLEAR; the default stack's updates are not
 * in the sources read): taken when data or a FIN leaves with nothing
 * outstanding, moved by every ACK that moves SND.UNA, cleared when
 * nothing is left outstanding. */
void tcp_progress_start(gt_stack *s, struct tcp_conn *c)
{
	c->acktime_ms = (uint32_t)(s->now_us / 1000);
	c->acktime_on = true;
}

void tcp_progress_acked(gt_stack *s, struct tcp_conn *c)
{
	if (c->snd_una == c->snd_max)
		c->acktime_on = false;
	else
		tcp_progress_start(s, c);
}

/* tcp_maxunacktime_check(): "Has this session exceeded the maximum time
 * without seeing a substantive acknowledgement?" Asked by the
 * retransmission and persist timers only (tcp_timer_rexmt(),
 * tcp_timer_persist()); a connection without either never drops. */
static bool no_progress(const gt_stack *s, const struct tcp_conn *c)
{
	if (!s->cfg.maxunack_ms || !c->acktime_on)
		return false;
	return (uint32_t)(s->now_us / 1000) - c->acktime_ms >= s->cfg.maxunack_ms;
}

/* Linux's tcp_model_timeout(boundary, TCP_RTO_MIN): the time boundary
 * retransmissions take from a 200 ms RTO doubling up to the largest RTO
 * (tcp_rto_max(), 6.15+), then that largest RTO each. */
static uint64_t model_timeout_us(const gt_stack *s, uint32_t boundary)
{
	const uint64_t base = 200000, max = s->cfg.rto_max_us;
	uint32_t thresh = 0;
	while (thresh < 40 && (base << (thresh + 1)) <= max)
		thresh++; /* ilog2(TCP_RTO_MAX / rto_base) */
	if (boundary <= thresh)
		return ((2ull << boundary) - 1) * base;
	return ((2ull << thresh) - 1) * base + (uint64_t)(boundary - thresh) * max;
}

/* Linux's retransmits_timed_out(sk, boundary, 0) after the handshake:
 * once a retransmission was made (icsk_retransmits), the time since
 * retrans_stamp, the first retransmission's own send time (stall_start_ms),
 * reaches tcp_model_timeout(boundary). Before 4 Dec 2026 the time was
 * counted as the RTO timer's waits from the head's send, one RTO more:
 * with tcp_retries2=2 and a 200 ms RTO that ended at 2.4 s what Linux
 * ends at 4.0 s (tests/pkt/linux/retries2-time-from-first-retransmission.pkt). */
static bool retrans_timed_out(const gt_stack *s, const struct tcp_conn *c, uint32_t boundary)
{
	uint64_t us;
	return rtx_elapsed_us(s, c, &us) && us >= model_timeout_us(s, boundary);
}

/* Linux's tcp_orphan_retries(sk, alive) for an orphan whose timer fired:
 * "alive" while the backed-off RTO (inet_csk_rto_backoff()) is below
 * tcp_rto_max; the limit net.ipv4.tcp_orphan_retries, 0 meaning 8 while
 * alive, and 0 once not alive with a soft ICMP error held ("We know from
 * an ICMP that something is wrong"). */
static uint32_t orphan_retries(const gt_stack *s, const struct tcp_conn *c, bool *alive)
{
	unsigned shift = c->backoff < 30 ? c->backoff : 30;
	*alive = ((uint64_t)c->rto_us << shift) < s->cfg.rto_max_us;
	uint32_t limit = s->cfg.orphan_retries;
	if (c->err && !*alive)
		limit = 0;
	if (!limit && *alive)
		limit = 8;
	return limit;
}

/* Linux's tcp_write_timeout() for a SOCK_DEAD socket (cfg.orphan_retries_linux):
 * "alive" while the RTO that fired is below tcp_rto_max;
 * tcp_orphan_retries() gives the limit (0: 8 while alive; a soft ICMP
 * error held makes it 0 once not alive); tcp_out_of_resources() may end
 * it first; then retransmits_timed_out(): the time since retrans_stamp
 * reaches tcp_model_timeout(limit) (retrans_timed_out()), or with
 * TCP_USER_TIMEOUT the user's value.
 * Returns 1 when it ends (freed), 0 when it goes on, -1 where the rule
 * does not apply. */
static int orphan_rto(gt_stack *s, struct tcp_conn *c)
{
	if (!s->cfg.orphan_retries_linux || !tcp_is_orphan(c))
		return -1;
	bool alive;
	uint32_t limit = orphan_retries(s, c, &alive);
	bool model = retrans_timed_out(s, c, limit);
	if (tcp_orphan_too_many(s, c, alive || !model))
		return 1;
	/* An orphan keeps its TCP_USER_TIMEOUT, which takes the place of
	 * the model (tcp_write_timeout()'s last retransmits_timed_out()). */
	bool expired = c->user_timeout_ms ? uto_expired(s, c) : model;
	if (!expired)
		return 0;
	/* tcp_write_err(): the write queue purged, nothing sent. */
	s->st.TcpAbortOnTimeout++;
	tcp_conn_free(s, c, c->err ? c->err : -ETIMEDOUT);
	return 1;
}

/* Returns false when the connection was freed. */
/* FreeBSD's ticks: kern.hz a second (cfg.cubic_bsd_hz, 1000 if 0). */
uint32_t tcp_bsd_ticks(const gt_stack *s)
{
	uint32_t hz = bsd_hz(s);
	return (uint32_t)(s->now_us / (1000000u / hz));
}

/* cfg.rto_undo_bsd: does FreeBSD's CC_RTO_ERR run here? Linux's loss
 * state (cfg.loss_pipe_linux) keeps loss_undo_* for its own undo. */
static bool badrxt_on(const gt_stack *s)
{
	return s->cfg.rto_undo_bsd && !s->cfg.loss_pipe_linux;
}

/* FreeBSD's tcp_timer_rexmt() at the first retransmission (t_rxtshift 1,
 * rtx_count here): snd_cwnd_prev and snd_ssthresh_prev for a "bad
 * retransmit" (cc_cong_signal(CC_RTO_ERR)), before the black-hole MSS and
 * CC_RTO. They live in prior_cwnd and prior_ssthresh, the undo copies of
 * a spurious timeout, which nothing else writes without Linux's loss
 * state: the TCB is at its budget (unit.tcb_within_its_budget).
 * snd_recover_prev and TF_WASFRECOVERY/TF_WASCRECOVERY are not kept (no
 * room; docs/freebsd.md). */
static void bsd_badrxt_save(gt_stack *s, struct tcp_conn *c)
{
	if (!badrxt_on(s) || c->rtx_count != 1)
		return;
	c->prior_cwnd = c->cwnd;
	c->prior_ssthresh = c->ssthresh;
}

/* The rest of tcp_timer_rexmt()'s first-retransmission state, after it
 * went: TF_PREVVALID (loss_undo_on; a later timeout clears it) and
 * t_badrxtwin (loss_undo_ts): without timestamps ticks + SRTT/2
 * ("t_srtt >> (TCP_RTT_SHIFT + 1)"), with them the TSval tcp_output()
 * gave the retransmission ("if (tp->t_rxtshift == 1) tp->t_badrxtwin =
 * to.to_tsval"; rexmit_tsval, which tcp_output.c keeps). */
static void bsd_badrxt_arm(gt_stack *s, struct tcp_conn *c)
{
	if (!badrxt_on(s))
		return;
	c->loss_undo_on = c->rtx_count == 1;
	if (!c->loss_undo_on)
		return;
	if (c->ts_ok) {
		c->loss_undo_ts = c->rexmit_tsval;
		return;
	}
	uint32_t hz = bsd_hz(s);
	uint64_t srtt_scaled = s->cfg.rtt_bsd ? tcp_bsd_srtt(s, c) /* t_srtt */
					      : (uint64_t)c->srtt_us * 32u / (1000000u / hz);
	c->loss_undo_ts = tcp_bsd_ticks(s) + (uint32_t)(srtt_scaled >> 6);
}

/* Linux's TCP_RESOURCE_PROBE_INTERVAL (HZ / 2): the retry of a send the
 * device refused (cfg.tx_busy_linux). */
#define TCP_RESOURCE_PROBE_US 500000u

/* Linux's tcp_retransmit_timer(): "if (tcp_retransmit_skb(sk, ..., 1) > 0)",
 * a retransmission the device refused, icsk_retransmits counted, the timer
 * again in TCP_RESOURCE_PROBE_INTERVAL, icsk_backoff (and so the RTO) not
 * raised. */
static void rto_refused(gt_stack *s, struct tcp_conn *c)
{
	if (!stack_tx_blocked(s))
		return;
	if (c->backoff)
		c->backoff--;
	c->rtx_kind = TCP_RTX_RTO;
	c->rtx_at = tcp_timer_at(s, TCP_RESOURCE_PROBE_US);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_RTX, tcp_trace_delay(TCP_RESOURCE_PROBE_US), 0, NULL);
	tcp_timers_update(s, c);
}

/* cfg.rto_keeps_sack_recovery: FreeBSD's first timeout inside a SACK
 * fast recovery with holes left (tcp_timer_rexmt(), tcp_timer.c
 * fel1x-developer/freebsd-src 2d614aa: t_rxtshift 1 calls
 * tcp_resend_sackholes(), then "tp->snd_nxt = tp->snd_una;
 * tp->snd_recover = tp->snd_max; tp->t_flags |= TF_ACKNOW; tp->t_rtttime
 * = 0; cc_cong_signal(tp, NULL, CC_RTO)", whose EXIT_RECOVERY does not
 * run; tcp_output()). TF_FASTRECOVERY and TF_CONGRECOVERY stay, with
 * prr_delivered, prr_out and recover_fs; the module's ssthresh and
 * one-segment cwnd came already (on_rto). The first hole goes again from
 * its start; the recovery runs on to the new snd_recover (tcp_sack.c:
 * kept_prr_send(), partialack_cwnd()) and ends there with
 * cc_post_recovery() (tcp_sack_prr_end()); an ECE below snd_recover is
 * not reacted to (tcp_ecn_echo()); a second timeout ends it
 * (tcp_free_sackholes(), EXIT_RECOVERY): the go-back-N below
 * (tests/pkt/freebsd/rto-sack-recovery-*.pkt). */
static void rto_keep_recovery(gt_stack *s, struct tcp_conn *c)
{
	c->dupacks = 0; /* CC_RTO: t_dupacks = 0 */
	c->recover = c->snd_max;
	c->snd_nxt = c->snd_una;
	c->rtt_timing = false;
	c->frto = 0;
	tcp_sack_bsd_rto_resend(s, c);
	if (c->dead)
		return;
	tcp_arm_rtx(s, c);
	bsd_badrxt_arm(s, c);
}

/* The error a timer's drop leaves the socket: FreeBSD's tcp_drop(tp,
 * ETIMEDOUT) (tcp_subr.c, cfg.rto_drop_rst): "if (errno == ETIMEDOUT &&
 * tp->t_softerror) errno = tp->t_softerror", the soft error tcp_notify()
 * kept (c->err); the Linux profile's keepalive and persist drops
 * ETIMEDOUT. */
static int drop_err(const gt_stack *s, const struct tcp_conn *c)
{
	return s->cfg.rto_drop_rst && c->err ? c->err : -ETIMEDOUT;
}

/* FreeBSD's tcp_drop(tp, ETIMEDOUT) (tcp_subr.c), cfg.rto_drop_rst, for
 * an attempt still opening: "if (TCPS_HAVERCVDSYN(tp->t_state)) {
 * tcp_state_change(tp, TCPS_CLOSED); (void)tcp_output_nodrop(tp); }",
 * and tcp_output() in CLOSED sends tcp_outflags[TCPS_CLOSED], RST|ACK, at
 * snd_max (no data, no timer active), window 0: a simultaneous open's
 * SYN_RECEIVED resets, SYN_SENT ends silently. Then "if (errno ==
 * ETIMEDOUT && tp->t_softerror) errno = tp->t_softerror": a soft error
 * tcp_notify() kept (c->err) is what the socket learns. A passive open's
 * SYN_RECEIVED is FreeBSD's syncache entry, which syncache_timer() frees
 * without a segment; a TFO child is a tcpcb and resets (tfo_tcpcb_bsd()).
 * Without the flag, Linux's tcp_write_err(): nothing sent, ETIMEDOUT. */
static void opening_drop(gt_stack *s, struct tcp_conn *c)
{
	s->st.TcpAttemptFails++;
	if (!s->cfg.rto_drop_rst) {
		tcp_conn_free(s, c, -ETIMEDOUT);
		return;
	}
	if (c->state == GT_TCP_SYN_RECEIVED && (!c->passive || tfo_tcpcb_bsd(s, c)))
		tcp_send_rst_snd_max(s, c);
	tcp_conn_free(s, c, drop_err(s, c));
}

static bool rto_fire(gt_stack *s, struct tcp_conn *c)
{
	if (s->now_us >= connect_deadline_us(s, c)) {
		/* The connect timeout, not a retransmission timeout:
		 * FreeBSD's tcp_timer_keep() below ESTABLISHED, "goto
		 * dropit" (tcp_drop(tp, ETIMEDOUT)). */
		opening_drop(s, c);
		return false;
	}
	s->st.TcpTimeouts++;
	c->cnt.rto_expiries++;
	if (stack_tracing(s))
		trace_rto(s, c);
	if (c->state == GT_TCP_SYN_SENT || c->state == GT_TCP_SYN_RECEIVED) {
		bool sent = c->state == GT_TCP_SYN_SENT;
		uint32_t linear = sent ? s->cfg.syn_linear_timeouts : 0;
		uint32_t retry_until = syn_retry_until(s, c);
		uint32_t max = retry_until + linear;
		/* tcp_write_timeout(): the count first; then
		 * retransmits_timed_out() with the user timeout if one is set
		 * (the time since the first SYN), or the model of the count. */
		bool timed = c->user_timeout_ms && !c->passive ? uto_expired(s, c)
							       : syn_timed_out(s, c, linear, retry_until);
		/* Linux's syn_ack_recalc() under TCP_DEFER_ACCEPT: after a
		 * dropped bare ACK the request lives until the count has
		 * passed too, and the SYN-ACK goes again only from the
		 * count's last timeout on ("to give last chance for data or
		 * ACK to create established socket"); the timer backs off
		 * either way (reqsk_timer_handler()). */
		uint8_t defer = sent ? 0 : tcp_listen_defer(s, c);
		bool expire = c->syn_retries >= max || timed;
		bool resend = true;
		/* tcp_fastopen_active_detect_blackhole() from
		 * tcp_write_timeout(): a Fast Open SYN's third timeout
		 * (icsk_retransmits 2), or an earlier one that ends the
		 * attempt, counts TCPFastOpenActiveFail. It pauses Fast Open
		 * only under tcp_fastopen_blackhole_timeout_sec, 0 by
		 * default (not modelled). */
		if (sent && tcp_tfo_syn(c) && (c->syn_retries == 2 || (c->syn_retries < 2 && expire)))
			s->st.TcpFastOpenActiveFail++;
		if (defer && c->defer_acked) {
			expire = expire && c->syn_retries >= defer;
			resend = c->syn_retries + 1u >= defer;
		}
		if (expire) {
			/* FreeBSD's tcp_timer_rexmt(): "++tp->t_rxtshift >
			 * V_tcp_retries" -> tcp_drop(tp, ETIMEDOUT). */
			opening_drop(s, c);
			return false;
		}
		if (!resend) {
			c->syn_retries++;
			c->backoff++;
			tcp_arm_rtx(s, c);
			return true;
		}
		c->syn_retries++;
		/* Linux's tcp_retransmit_timer(): in SYN_SENT no backoff while
		 * total_rto (this expiry counted) is at most
		 * tcp_syn_linear_timeouts: with 4, five SYNs go 1 s apart
		 * (tests/pkt/linux/syn-linear-timeouts-default.pkt). */
		if (!sent || c->syn_retries > linear)
			c->backoff++;
		if (c->state == GT_TCP_SYN_SENT && c->ecn_asked && s->cfg.ecn_syn_rto_cwr)
			c->ecn_cwr = true; /* sent if ECN is agreed */
		tcp_send_syn(s, c);
		return true;
	}
	/* Linux's tcp_write_timeout() after the handshake: black-hole
	 * detection, "if (retransmits_timed_out(sk, tcp_retries1, 0))
	 * tcp_mtu_probing(icsk, sk)", before tcp_retries2's test. */
	if (s->cfg.mtu_probing_linux && s->cfg.mtu_probing && retrans_timed_out(s, c, s->cfg.retries1))
		tcp_mtup_blackhole(s, c);
	int orphan = orphan_rto(s, c);
	if (orphan > 0)
		return false;
	/* tcp_timer_rexmt(): "++tp->t_rxtshift > V_tcp_retries ||
	 * tcp_maxunacktime_check(tp)", each drop counted as its own. */
	bool retries = orphan < 0 && c->rtx_count >= s->cfg.data_retries;
	/* Linux's tcp_write_timeout() with a descriptor: not a count but
	 * retransmits_timed_out(sk, tcp_retries2, 0), the time since the
	 * first retransmission against tcp_model_timeout(tcp_retries2)
	 * (15: 924.6 s at the default tcp_rto_max_ms). An RTO above
	 * TCP_RTO_MIN ends it after fewer retransmissions
	 * (tests/pkt/linux/retries2-time-model-large-rto.pkt). */
	if (orphan < 0 && s->cfg.retries2_time_linux)
		retries = retrans_timed_out(s, c, s->cfg.data_retries);
	/* With TCP_USER_TIMEOUT it is the time since the first
	 * retransmission against the user's value instead, longer or shorter
	 * than tcp_retries2's (retransmits_timed_out(sk, retry_until,
	 * icsk_user_timeout)). */
	if (orphan < 0 && c->user_timeout_ms)
		retries = uto_expired(s, c);
	if (retries || no_progress(s, c)) {
		if (retries)
			s->st.TcpAbortOnTimeout++;
		else
			s->st.TcpProgDrops++;
		if (s->cfg.rto_drop_rst || !retries)
			tcp_send_rst_conn(s, c); /* FreeBSD's tcp_drop() */
		tcp_conn_free(s, c, c->err ? c->err : -ETIMEDOUT);
		return false;
	}
	/* RFC 5682 2.1: F-RTO keeps the unsent data in reserve to tell a
	 * spurious timeout from a loss. Linux's tcp_enter_loss() turns it on
	 * for a timeout from the open state (ca_state below Recovery) or one
	 * that recurs with nothing acknowledged since (icsk_retransmits
	 * non-zero; RFC 5682 3.2's repeated timeouts): not for one during a
	 * fast recovery or in the loss state after an ACK
	 * (tests/pkt/linux/frto-repeated-timeout.pkt), with data unsent or
	 * not: step 2b's test for it comes with the first new ACK
	 * (frto_ack()), and whether or not a go-back-N resend was under way
	 * (a repeated timeout after one that ran no F-RTO, as one during a
	 * fast recovery: tests/pkt/linux/frto-second-ack-of-resent-data-
	 * stays-loss.pkt; before, the profile asked SND.NXT to be SND.MAX
	 * and went back N there). */
	bool frto = s->cfg.frto && ((!c->in_recovery && !c->loss_pipe) || c->rtx_count);
	/* Linux's tcp_enter_loss(): a timeout while the loss state an earlier
	 * one began still runs, nothing ACKed since (SND.UNA below high_seq,
	 * icsk_retransmits non-zero), lowers ssthresh no further and starts
	 * no undo of its own: prior_cwnd, prior_ssthresh and retrans_stamp
	 * stay the first timeout's, and an echo older than the first
	 * retransmission undoes them all (tcp_try_undo_loss()). loss_pipe is
	 * the Linux profile's. */
	bool again = c->loss_pipe && seq_lt(c->snd_una, c->recover) && c->rtx_count;
	/* The same rule for a timeout during a fast recovery whose window
	 * has not been acknowledged (tcp_enter_loss() reduces only in Open
	 * or Disorder, at high_seq, or in Loss after an ACK): ssthresh stays
	 * the recovery's, prior_cwnd and prior_ssthresh the values before
	 * it (recovery_start() saved them, tcp_enter_recovery()'s); cwnd
	 * still falls to one segment
	 * (tests/pkt/linux/rto-during-recovery-keeps-ssthresh.pkt). */
	bool in_rec = s->cfg.loss_pipe_linux && c->in_recovery && !c->loss_pipe &&
		      seq_lt(c->snd_una, c->recover);
	/* And for a timeout in an ECE's CWR reduction before SND.UNA reaches
	 * its high_seq (tcp_enter_loss(): after(high_seq, snd_una)): ssthresh
	 * stays the CWR's, and tcp_init_undo() is not called, so undo_marker
	 * and prior_ssthresh stay as tcp_enter_cwr() left them, 0: no
	 * timestamp undo (tcp_try_undo_loss() without frto_undo asks
	 * tcp_may_undo()), and F-RTO's undo, which does not ask, opens the
	 * connection but restores neither cwnd nor ssthresh
	 * (tests/pkt/linux/ecn-cwr-then-rto-undo-restores-nothing.pkt). */
	bool cwr_keep = s->cfg.loss_pipe_linux && !again && tcp_rack_in_cwr(c) &&
			seq_lt(c->snd_una, tcp_rack_cwr_high(c));
	/* cfg.ts_undo: a first timeout outside recovery may be undone by
	 * an echo older than its retransmission (below); without SACK too
	 * where Linux's Reno emulation runs (cfg.reno_undo): its
	 * tcp_try_undo_loss() restores cwnd and ssthresh either way. */
	bool ts_undo = again ? c->loss_undo_on
			     : s->cfg.ts_undo && c->ts_ok && (c->sack_ok || s->cfg.reno_undo) &&
				       !c->loss_pipe && !c->in_recovery;
	if (cwr_keep)
		ts_undo = false;
	/* cfg.loss_dsack_undo: Linux's tcp_enter_loss() sets undo_marker
	 * (tcp_init_undo()) where it reduces, and each retransmission from
	 * here adds to undo_retrans (tcp_retransmit_skb(); tcp_output's
	 * send counts them, the head's below too); a repeated timeout keeps
	 * the first one's. Inside a recovery or a CWR reduction the profile
	 * starts none; cfg.loss_undo_init_linux hands the recovery's count on
	 * (below). In the loss state after an ACK (not again) tcp_enter_loss()
	 * reduces and starts a count: with cfg.loss_undo_init_linux so does
	 * the profile (Linux 6.18: the D-SACK of the second timeout's copy
	 * undoes it, tests/pkt/linux/rto-loss-after-ack-dsack-undoes.pkt;
	 * before, no D-SACK undo there). It starts from the retransmissions
	 * Linux's tcp_timeout_mark_lost() leaves in retrans_out
	 * (tcp_rack_loss_undo_start()); before, at 0. */
	if (!again)
		tcp_rack_loss_undo_init(c, s->cfg.loss_dsack_undo && c->sack_ok &&
						   (!c->loss_pipe || s->cfg.loss_undo_init_linux) &&
						   !c->in_recovery && !cwr_keep);
	if (!again && s->cfg.loss_undo_init_linux)
		tcp_rack_loss_undo_start(s, c);
	uint32_t reo_us = tcp_rack_rto_reo_us(s, c); /* before the state changes */
	c->loss_undo_on = false;
	if (!again && !in_rec) {
		/* tcp_enter_loss(): prior_ssthresh = tcp_current_ssthresh(). */
		c->prior_cwnd = c->cwnd;
		c->prior_ssthresh = cwr_keep ? 0 : tcp_current_ssthresh(s, c);
	}
	/* An RTO during a fast recovery keeps the recovery's undo: Linux's
	 * tcp_enter_loss() calls tcp_init_undo() only where it lowers
	 * ssthresh, so undo_marker, prior_cwnd, prior_ssthresh and
	 * retrans_stamp (the fast retransmit's) stay, and tcp_process_loss()'s
	 * tcp_try_undo_loss() undoes the timeout and the recovery both when
	 * an echo predates that retransmission
	 * (tests/pkt/linux/rto-during-recovery-undo-late-original-ts.pkt). */
	bool rec_undo = false;
	uint32_t rec_undo_ts = 0;
	if (in_rec && s->cfg.ts_undo && c->ts_ok && c->sack_ok) {
		uint32_t cw, ss;
		rec_undo = tcp_rack_undo_info(c, &cw, &ss, &rec_undo_ts);
		if (rec_undo) {
			c->prior_cwnd = cw;
			c->prior_ssthresh = ss;
		}
	} else if (in_rec && !c->sack_ok && c->reno_undo_on) {
		rec_undo = true;
		rec_undo_ts = c->reno_undo_ts;
		c->prior_cwnd = c->reno_undo_cwnd;
		c->prior_ssthresh = c->reno_undo_ssthresh;
	}
	if (rec_undo)
		ts_undo = true;
	if (in_rec && s->cfg.loss_undo_init_linux && s->cfg.loss_dsack_undo && c->sack_ok) {
		uint32_t cw, ss;
		if (tcp_rack_loss_undo_from_recovery(c, &cw, &ss) && !rec_undo) {
			c->prior_cwnd = cw;
			c->prior_ssthresh = ss;
		}
	}
	/* tcp_timer_rexmt(): ++t_rxtshift, then the black-hole detection's
	 * MSS, then cc_cong_signal(CC_RTO) with it. */
	if (c->rtx_count < UINT8_MAX)
		c->rtx_count++;
	/* Linux's retrans_stamp, as tcp_retransmit_skb() takes it: the
	 * first retransmission's own send time, now (Linux 6.18 under
	 * pktrun --kernel: tests/pkt/linux/user-timeout-rto-shorter.pkt). */
	if (c->rtx_count == 1)
		stall_start(s, c);
	bsd_badrxt_save(s, c);
	if (s->cfg.pmtud_blackhole)
		tcp_pmtud_blackhole_rto(s, c);
	uint32_t ssthresh0 = c->ssthresh;
	c->cc->on_rto(c, s->now_us);
	if (again || in_rec || cwr_keep)
		c->ssthresh = ssthresh0;
	tcp_ecn_reduced(c);
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_CWND, c->cwnd, c->ssthresh, tcp_flight(c), "RTO");
	c->backoff++;
	/* FreeBSD's tcp_timer_rexmt(): "TCPT_RANGESET(tp->t_rxtcur, rexmt,
	 * tp->t_rttmin, TCPTV_REXMTMAX)", rexmt TCP_REXMTVAL(tp) *
	 * tcp_backoff[t_rxtshift]: t_rxtcur holds the backed-off value until
	 * tcp_xmit_timer() takes a sample, whatever lowers t_rxtshift
	 * meanwhile (CC_RTO_ERR's "tp->t_rxtshift = 0" leaves it), and
	 * tcp_output()'s idle check compares with it. rto_us is t_rxtcur
	 * under cfg.rtt_bsd (rtt_bsd()); rto_shifted_bsd() takes it only
	 * unshifted. Before, it kept the value before the backoff
	 * (tests/pkt/freebsd/idle-restart-after-rto-backed-off-rxtcur.pkt).
	 * Not before a first sample: bsd_unsampled() knows that state by
	 * rto_us still being tcp_rexmit_initial (tcp_bsd_rttvar() then
	 * reads tcp_newtcpcb()'s t_rttvar), and the TCB has no bit left to
	 * say it otherwise; there rto_us stays and the timer is the backoff
	 * of TCP_REXMTVAL() as before (tests/pkt/freebsd/handshake-no-rtt-
	 * sample-keeps-syn-backoff.pkt: 2.2 s, then 4.2 s, where rewriting
	 * it gave 0.32 s), so an unsampled connection's idle check reads
	 * tcp_rexmit_initial, not the backed-off t_rxtcur (not modelled). */
	if (s->cfg.rtt_bsd && !bsd_unsampled(s, c))
		c->rto_us = (uint32_t)rto_shifted_bsd(s, c, c->backoff);
	/* Linux's tcp_enter_loss(): a timeout after net.ipv4.tcp_reordering
	 * duplicates or more (sacked_out) outside recovery means the
	 * reordering was overestimated: tp->reordering = min(it, the
	 * sysctl). Below the sysctl, or with fewer counted, it stays
	 * (tests/pkt/linux/rto-reno-reordering-kept-below-sysctl.pkt: 4 with
	 * the sysctl 5 and 3 counted; before, 3 duplicates took it to 5). */
	if (!c->in_recovery && c->dupacks >= tcp_reordering_base(s) && tcp_reordering(s, c) > tcp_reordering_base(s))
		c->dupthresh = 0;
	if (tcp_sack_bsd_rto_keep(s, c)) {
		rto_keep_recovery(s, c);
		return true;
	}
	tcp_sack_prr_rto(s, c); /* before the recovery ends here */
	c->in_recovery = false;
	tcp_sack_prr_cong_end(c);
	tcp_sack_rescue_clear(c); /* FreeBSD's tcp_free_sackholes() */
	c->reno_undo_on = false;
	c->reno_undone = false;
	c->dupacks = 0;
	c->recover = c->snd_max; /* RFC 6582 4: no fast retransmit below this */
	c->loss_pipe = s->cfg.loss_pipe_linux; /* Linux's tcp_enter_loss() */
	c->reno_hold = c->loss_pipe && !c->sack_ok;
	/* Linux's tcp_timeout_mark_lost(): SND.UNA inside a SACKed range
	 * means the receiver dropped data it had SACKed (reneging, RFC 2018
	 * 8; glasstcp's own receiver gives up its highest range when the
	 * table is full). The scoreboard is forgotten, or go-back-N would
	 * skip that data for ever: one segment per backed-off RTO, each ACK
	 * landing on the next SACKed byte (swarm seed 5002096 with
	 * slow_start_every_seg). */
	uint32_t sack_end;
	bool reneg = tcp_sacked(c, c->snd_una, &sack_end);
	if (reneg) {
		c->nsacked = 0;
		s->st.TcpSACKReneging++;
	}
	uint32_t in_flight = tcp_rack_on_rto(s, c, reneg, reo_us);
	/* cfg.loss_gbn_marks: Linux's tcp_enter_loss() sets cwnd to
	 * tcp_packets_in_flight() + 1 after tcp_timeout_mark_lost(), whatever
	 * the congestion control: one segment where everything was marked
	 * lost, more where a retransmission kept its mark or a recent segment
	 * was left unmarked (Linux 6.18: cwnd 3 with two kept,
	 * tests/pkt/linux/rto-kept-retransmissions-not-resent.pkt). */
	if (tcp_rack_loss_marks(c) && c->mss) /* gbn_marks: cfg.loss_gbn_marks, just taken */
		c->cwnd = (in_flight + 1) * c->mss;
	c->ecn_reno_cwr = false; /* tcp_enter_loss(): TCP_CA_Loss, without SACK too */
	c->frto = frto ? 1 : 0;
	if (!c->snd_wnd && c->snd.len && s->cfg.rto_zero_wnd_persist) {
		/* FreeBSD's tcp_output() as tcp_timer_rexmt() calls it: with
		 * sendwin 0 and data to send, len is 0; the retransmission
		 * timer stops, t_rxtshift goes back to 0, SND.NXT to SND.UNA,
		 * and tcp_setpersist() starts the persist timer. A full
		 * segment resent into the closed window, as before, went
		 * past the window the peer offered (swarm seed 13111842: a
		 * Linux receiver took its size as the peer's segment size
		 * and kept its window 0 for ever after its buffer grew). */
		c->snd_nxt = c->snd_una;
		c->backoff = 0;
		c->rtx_count = 0;
		c->rtt_timing = false;
		c->rtx_at = TCP_TIMER_NONE;
		tcp_output(s, c);
		if (!c->persist)
			tcp_arm_rtx(s, c); /* never left without a timer */
		tcp_timers_update(s, c);
		return true;
	}
	if (frto) {
		c->rtt_timing = false;
		c->snd_nxt = c->snd_una;
		tcp_retransmit_head(s, c); /* only the first segment again */
		/* Step 2b's new data comes from SND.MAX, also where the
		 * timeout came while a go-back-N resend ran (SND.NXT below
		 * SND.MAX): Linux's tcp_enter_loss() does not ask, and its
		 * REXMIT_NEW sends from the write queue. */
		c->snd_nxt = c->snd_max;
		tcp_arm_rtx(s, c);
		rto_refused(s, c);
		if (!again)
			c->loss_undo_ts = rec_undo ? rec_undo_ts : c->rexmit_tsval;
		c->loss_undo_on = ts_undo;
		bsd_badrxt_arm(s, c);
		return true;
	}
	c->snd_nxt = c->snd_una; /* go back N */
	/* The scoreboard is kept (RFC 6675 5.1 allows it): go-back-N then
	 * skips what the receiver reported holding. */
	c->rtt_timing = false;
	tcp_retransmit_head(s, c);
	tcp_arm_rtx(s, c);
	rto_refused(s, c);
	if (!again) /* Linux's retrans_stamp */
		c->loss_undo_ts = rec_undo ? rec_undo_ts : c->rexmit_tsval;
	c->loss_undo_on = ts_undo;
	bsd_badrxt_arm(s, c);
	return true;
}

/* FreeBSD's tcp_timer_persist() (FreeBSD 14): "After a full backoff,
 * drop the connection if the idle time (no responses to probes) reaches
 * the maximum backoff that we would use if retransmitting": t_rxtshift >=
 * V_tcp_retries and ticks - t_rcvtime >= min(tcp_maxpersistidle,
 * TCP_REXMTVAL(tp) * tcp_totbackoff); and "If the user has closed the
 * socket then drop a persisting connection after a much reduced
 * timeout": t_state > TCPS_CLOSE_WAIT and ticks - t_rcvtime >=
 * TCPTV_PERSMAX (the constant, 60 s, not tcp_persmax). t_rxtshift is
 * the backoff plus one here: tcp_setpersist() raises it as it arms the
 * timer, where persist_arm() does not. Answers refresh t_rcvtime
 * (last_rcv_ms), never the backoff. */
static bool persist_idle_drop(const gt_stack *s, const struct tcp_conn *c)
{
	uint64_t idle_us = (uint64_t)(uint32_t)((uint32_t)(s->now_us / 1000) - c->last_rcv_ms) * 1000;
	bool closed = c->state == GT_TCP_FIN_WAIT_1 || c->state == GT_TCP_CLOSING ||
		      c->state == GT_TCP_LAST_ACK;
	if (closed && idle_us >= 60000000ull)
		return true;
	if ((uint32_t)c->backoff + 1 < s->cfg.data_retries)
		return false;
	/* TCP_REXMTVAL(): SRTT + 4 RTTVAR (rexmit_initial before a sample),
	 * at least t_rttmin; tcp_totbackoff, the sum of tcp_backoff[]. */
	uint64_t rexmtval = c->rto_us > s->cfg.rto_min_us ? c->rto_us : s->cfg.rto_min_us;
	if (s->cfg.rtt_bsd)
		rexmtval = bsd_rexmtval_us(s, c); /* rto_us is t_rxtcur, the slop in it */
	uint64_t bound = rexmtval * 2559;
	uint64_t most = (uint64_t)s->cfg.persist_max_idle_s * 1000000;
	return idle_us >= (bound < most ? bound : most);
}

static void probe_rearm(gt_stack *s, struct tcp_conn *c, uint64_t t);

/* Returns false when the connection was freed. */
static bool persist_fire(gt_stack *s, struct tcp_conn *c)
{
	/* RFC 9293 3.8.6.1: probe a zero window with one octet, backing off.
	 * A FIN the window holds back (cfg.fin_needs_window) is probed for
	 * as data is. */
	if (c->snd.len == 0 && !(c->fin_queued && !c->fin_sent)) {
		c->persist = false;
		return true;
	}
	if (c->snd_wnd != 0 && s->cfg.tx_busy_linux && c->stall_start_ms &&
	    (c->persist_probes >= s->cfg.data_retries ||
	     (c->user_timeout_ms &&
	      (uint32_t)((uint32_t)(s->now_us / 1000) - c->stall_start_ms) >= c->user_timeout_ms))) {
		/* Linux's tcp_probe_timer(), probing a device that refused
		 * (below): TCP_USER_TIMEOUT since the first probe, or
		 * tcp_retries2 probes, end it (tcp_write_err(), no segment). */
		s->st.TcpAbortOnTimeout++;
		tcp_conn_free(s, c, -ETIMEDOUT);
		return false;
	}
	if (c->snd_wnd != 0) {
		/* The override timeout of sender SWS avoidance (RFC 9293
		 * 3.8.6.2.1): send what the small window takes. */
		c->persist = false;
		tcp_lx_wakeup_mark(s, c); /* the probe's PSH (tcp_write_wakeup()) */
		c->push_once = true;
		uint32_t stall_ms = c->stall_start_ms;
		s->tx_refused = false;
		s->tx_wakeup = true;
		tcp_output(s, c);
		s->tx_wakeup = false;
		c->push_once = false;
		if (c->dead)
			return false;
		if (stack_tx_blocked(s) && c->snd_una == c->snd_max) {
			/* Linux's tcp_send_probe0(): tcp_write_wakeup() found
			 * the device's queue full ("err > 0"): icsk_probes_out
			 * counted, the clock kept from the first probe
			 * (icsk_probes_tstamp), the next try in
			 * TCP_RESOURCE_PROBE_INTERVAL, no backoff. */
			c->stall_start_ms = stall_ms;
			if (!c->stall_start_ms)
				stall_start(s, c);
			if (c->persist_probes < UINT8_MAX)
				c->persist_probes++;
			probe_rearm(s, c, TCP_RESOURCE_PROBE_US);
			tcp_timers_update(s, c);
			return true;
		}
		if (stall_ms && s->cfg.tx_busy_linux && c->snd_una != c->snd_max) {
			/* tcp_send_probe0(): sent, "if (tp->packets_out ...)"
			 * icsk_probes_out, icsk_backoff and icsk_probes_tstamp
			 * back to 0. */
			c->persist_probes = 0;
			c->backoff = 0;
			c->stall_start_ms = 0;
		}
		/* What went out while this timer ran (a cork timer, a write)
		 * found tcp_arm_rtx() refusing: it is timed from now. */
		if (c->snd_una != c->snd_max)
			tcp_arm_rtx(s, c);
		return true;
	}
	/* Probes nobody answers end the connection like unanswered
	 * retransmissions (R2; an answer resets the count). FreeBSD counts
	 * idle time instead (persist_idle_drop()). */
	uint32_t limit = s->cfg.data_retries;
	bool dead = false;
	/* Linux's tcp_probe_timer(): the first probe starts
	 * icsk_probes_tstamp; with TCP_USER_TIMEOUT a later one finding that
	 * much time gone ends the connection, answered or not ("if the user
	 * specifies TCP_USER_TIMEOUT, we kill the socket"). Only the window
	 * opening stops the clock (tcp_ack_probe(); persist_arm()). */
	if (!c->stall_start_ms)
		stall_start(s, c);
	else if (c->user_timeout_ms &&
		 (uint32_t)((uint32_t)(s->now_us / 1000) - c->stall_start_ms) >= c->user_timeout_ms)
		dead = true;
	if (!dead && tcp_is_orphan(c) && !s->cfg.persist_max_idle_s) {
		/* Linux's tcp_probe_timer() for a SOCK_DEAD socket: "alive"
		 * while the backed-off RTO (inet_csk_rto_backoff()) is below
		 * tcp_rto_max; the limit is tcp_orphan_retries(), 0 meaning 8
		 * while alive and 0 when not; and not alive, the backoff
		 * reaching it ends the orphan however many probes were
		 * answered (tests/pkt/linux/window-zero-orphan-*.pkt). */
		bool alive;
		limit = orphan_retries(s, c, &alive);
		dead = !alive && c->backoff >= limit;
		if (!dead && tcp_orphan_too_many(s, c, true)) /* tcp_out_of_resources() */
			return false;
	}
	/* tcp_timer_persist(): "drop the connection if we haven't been
	 * making progress" first (tcps_progdrops, not tcps_persistdrop). */
	bool progdrop = no_progress(s, c);
	if (progdrop || dead ||
	    (s->cfg.persist_max_idle_s ? persist_idle_drop(s, c) : c->persist_probes >= limit)) {
		if (progdrop)
			s->st.TcpProgDrops++;
		else
			s->st.TcpAbortOnTimeout++;
		if (s->cfg.persist_max_idle_s || progdrop)
			tcp_send_rst_snd_max(s, c); /* tcp_drop() */
		else if (s->cfg.rto_drop_rst)
			tcp_send_rst_conn(s, c);
		/* Linux's tcp_write_err(): no segment, probes answered or
		 * not (window-zero-probes-unanswered-abort-silently.pkt). */
		tcp_conn_free(s, c, drop_err(s, c));
		return false;
	}
	c->persist_probes++;
	s->st.TcpWinProbes++;
	if (s->cfg.persist_probe_old_seq) {
		/* Linux's tcp_write_wakeup() -> tcp_xmit_probe_skb(): nothing
		 * fits a zero window, so an ACK one below SND.UNA, which the
		 * peer answers with its window (as a keepalive). */
		tcp_send_keepalive(s, c);
	} else {
		uint16_t mss = c->mss;
		c->mss = 1;
		tcp_retransmit_head(s, c);
		c->mss = mss;
	}
	/* Linux's tcp_send_probe0(): a probe the device refused ("err > 0")
	 * is tried again TCP_RESOURCE_PROBE_INTERVAL later, no backoff. */
	if (stack_tx_blocked(s)) {
		probe_rearm(s, c, TCP_RESOURCE_PROBE_US);
		return true;
	}
	/* Linux's tcp_send_probe0() raises icsk_backoff only below
	 * tcp_retries2. */
	if (c->backoff < 30 && (s->cfg.persist_bsd || c->backoff < s->cfg.data_retries))
		c->backoff++;
	c->persist = false;
	c->persist_at = TCP_TIMER_NONE;
	probe_rearm(s, c, tcp_persist_us(s, c));
	return true;
}

/* The probe timer armed t from now (tcp_reset_xmit_timer(ICSK_TIME_PROBE0)),
 * no later than TCP_USER_TIMEOUT allows. */
static void probe_rearm(gt_stack *s, struct tcp_conn *c, uint64_t t)
{
	if (c->user_timeout_ms && c->stall_start_ms) {
		/* tcp_clamp_probe0_to_user_timeout(): the next probe no later
		 * than the timeout, at least TCP_TIMEOUT_MIN (2 jiffies; 2 ms
		 * where the timers are not in jiffies) away. */
		uint64_t gone = (uint64_t)(uint32_t)((uint32_t)(s->now_us / 1000) - c->stall_start_ms) * 1000;
		uint64_t uto_us = (uint64_t)c->user_timeout_ms * 1000;
		uint64_t left = tcp_jiffies_up_us(s, uto_us > gone ? uto_us - gone : 0);
		uint64_t least = s->cfg.rto_jiffy_us ? 2ull * s->cfg.rto_jiffy_us : 2000;
		if (left < least)
			left = least;
		if (t > left)
			t = left;
	}
	c->persist = true;
	c->persist_at = tcp_timer_at(s, t); /* ICSK_TIME_PROBE0, on the wheel */
	if (stack_tracing(s))
		tcp_trace(s, c, GT_TRACE_TIMER_ARM, GT_TIMER_PERSIST, tcp_trace_delay(t), 0, NULL);
}

/* Linux's tcp_ack_probe() for a window that stays shut: ICSK_TIME_PROBE0
 * again at tcp_probe0_when() from now, icsk_backoff kept, clamped to
 * TCP_USER_TIMEOUT once a probe went (tcp_clamp_probe0_to_user_timeout()
 * reads icsk_probes_tstamp, 0 before the first probe)
 * (tests/pkt/linux/window-zero-probe-answer-restarts-probe-timer.pkt). */
void tcp_persist_ack_rearm(gt_stack *s, struct tcp_conn *c)
{
	probe_rearm(s, c, tcp_persist_us(s, c));
	tcp_timers_update(s, c);
}

static void fire(gt_stack *s, struct tcp_conn *c, uint64_t now)
{
	if (stack_tracing(s)) {
		if (c->fin2_at <= now)
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_FIN_WAIT_2, 0, 0, NULL);
		if (c->fin2_at > now && c->delack_at <= now)
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_DELACK, 0, 0, NULL);
		if (c->fin2_at > now && c->persist_at <= now)
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_PERSIST, 0, 0, NULL);
		if (c->fin2_at > now && c->rtx_at <= now)
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, tcp_rtx_timer(c), 0, 0, NULL);
	}
	if (c->fin2_at <= now && s->cfg.fin2_idle_bsd && c->fin2_timeout_ms >= 0 &&
	    (uint64_t)(uint32_t)((uint32_t)(now / 1000) - c->last_rcv_ms) * 1000 <=
		    fin2_maxidle_us(s, c)) {
		/* FreeBSD's tcp_timer_2msl(): ticks - t_rcvtime <=
		 * TP_MAXIDLE, the peer was heard from: look again after
		 * TP_KEEPINTVL. */
		c->fin2_at = now + (uint64_t)tcp_keep_intvl_s(s, c) * 1000000;
	}
	if (c->fin2_at <= now) {
		/* Linux tcp_fin_timeout, FreeBSD's idle rule (above): an
		 * orphan does not wait forever for the peer's FIN. */
		s->st.TcpFinWait2Timeouts++;
		tcp_conn_free(s, c, 0);
		return;
	}
	if (c->linger_at <= now) {
		/* SO_LINGER's time is up with data or our FIN still
		 * unacknowledged: reset; the lingering close() learns
		 * ETIMEDOUT (SO_ERROR) and frees the descriptor. */
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_LINGER, 0, 0, NULL);
		if (s->cfg.linger_expiry_orphans) {
			/* Linux's tcp_close(): the wait ends, close() returns
			 * and the connection goes on as an orphan, no RST. */
			c->linger_at = TCP_TIMER_NONE;
			c->linger_expired = true;
			tcp_conn_mark(s, c);
		} else {
			s->st.TcpAbortOnLinger++;
			tcp_send_rst_conn(s, c);
			tcp_conn_free(s, c, -ETIMEDOUT);
			return;
		}
	}
	/* Two expiries that only look again one idle time later, nothing
	 * sent. Linux's tcp_keepalive_timer(): "It is alive without
	 * keepalive" with packets_out or a write queue not empty
	 * (tests/pkt/linux/keepalive-not-with-data-in-flight.pkt; a probe
	 * beside a stuck retransmission, answered each time, re-armed that
	 * timer for 600 s: swarm seed 18002920). FreeBSD's tcp_timer_keep()
	 * with neither always_keepalive nor SO_KEEPALIVE:
	 * "tcp_timer_activate(tp, TT_KEEP, TP_KEEPIDLE(tp))", no drop; a flag
	 * set later is found at the next expiry
	 * (tests/pkt/freebsd/keepalive-so-keepalive-on-while-idle.pkt). */
	bool busy = s->cfg.keepalive_model == GT_KEEPALIVE_LINUX && (c->snd_una != c->snd_max || c->snd.len);
	if (c->keep_at <= now && (busy || !tcp_keepalive_on(s, c))) {
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_KEEPALIVE, 0, 0, NULL);
		c->keep_at = tcp_wheel_at(s, now, (uint64_t)tcp_keep_idle_s(s, c) * 1000000);
	}
	if (c->keep_at <= now) {
		c->keep_at = TCP_TIMER_NONE;
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_KEEPALIVE, 0, 0, NULL);
		/* Linux's tcp_keepalive_timer(): with TCP_USER_TIMEOUT, not
		 * the count but the time since the peer was last heard from
		 * (keepalive_time_elapsed()) reaching it, a probe sent. */
		uint32_t idle_ms = (uint32_t)(now / 1000) - c->last_rcv_ms;
		bool gone;
		if (s->cfg.keepalive_model == GT_KEEPALIVE_FREEBSD)
			/* FreeBSD's tcp_timer_keep() counts no probes: "if
			 * (ticks - tp->t_rcvtime >= TP_KEEPIDLE(tp) +
			 * TP_MAXIDLE(tp)) goto dropit", the time since the last
			 * segment received, with the TCP_KEEPINTVL and
			 * TCP_KEEPCNT of the moment
			 * (tests/pkt/freebsd/keepalive-keepintvl-set-while-probing.pkt). */
			gone = (uint64_t)idle_ms * 1000 >=
			       (uint64_t)tcp_keep_idle_s(s, c) * 1000000 + fin2_maxidle_us(s, c);
		else
			gone = c->user_timeout_ms
				       ? c->keep_probes_out > 0 && idle_ms >= c->user_timeout_ms
				       : c->keep_probes_out >= tcp_keep_cnt(s, c);
		if (gone) {
			/* Nobody answers: the peer is gone (Linux resets too). */
			s->st.TcpKeepAliveAborts++;
			tcp_send_rst_conn(s, c);
			tcp_conn_free(s, c, drop_err(s, c));
			return;
		}
		/* A probe: an old sequence number (SND.UNA - 1) and no data, so
		 * the peer must answer with an ACK (RFC 1122 4.2.3.6). */
		s->st.TcpKeepAliveProbes++;
		c->keep_probes_out++;
		tcp_send_keepalive(s, c);
		c->keep_at = tcp_wheel_at(s, now, (uint64_t)tcp_keep_intvl_s(s, c) * 1000000);
		if (stack_tx_blocked(s)) {
			/* tcp_keepalive_timer(): "If keepalive was lost due to
			 * local congestion, try harder": icsk_probes_out not
			 * counted, the next in TCP_RESOURCE_PROBE_INTERVAL
			 * (LINUX_MIB_TCPKEEPALIVE counted all the same). */
			c->keep_probes_out--;
			c->keep_at = tcp_wheel_at(s, now, TCP_RESOURCE_PROBE_US);
		}
	}
	if (c->delack_at <= now && c->compressed_ack) {
		/* The compressed-ACK timer (tcp_compressed_ack_kick()), or the
		 * delayed-ACK timer with ACKs held by SACK compression
		 * (tcp_delack_timer_handler(): tcp_sack_compress_send_ack()):
		 * one ACK for those held, itself not counted as compressed,
		 * not a delayed ACK. It ends the other timer too
		 * (tcp_event_ack_sent()), which is why they share a deadline. */
		c->delack_at = TCP_TIMER_NONE;
		c->compressed_ack--;
		tcp_send_ack(s, c);
	}
	if (c->delack_at <= now) {
		c->delack_at = TCP_TIMER_NONE;
		s->st.TcpDelayedAcks++;
		if (s->cfg.delack_linux && c->pingpong) {
			/* tcp_delack_timer_handler(): the ACK did not ride on
			 * data after all: interactive no more. */
			c->pingpong = false;
			c->ato_us = 40000;
		} else if (s->cfg.delack_linux) {
			/* The peer is slower than the timeout: inflate it. */
			c->ato_us = 2 * c->ato_us < c->rto_us ? 2 * c->ato_us : c->rto_us;
		}
		tcp_send_ack(s, c);
	}
	if (c->cork_at <= now) {
		c->cork_at = TCP_TIMER_NONE;
		if (stack_tracing(s))
			tcp_trace(s, c, GT_TRACE_TIMER_FIRE, GT_TIMER_CORK, 0, 0, NULL);
		/* Linux's probe timer ends the cork by tcp_write_wakeup(),
		 * PSH on what it sends, MSG_MORE data too
		 * (msg-more-cork-ceiling-psh). */
		tcp_lx_wakeup_mark(s, c);
		c->push_once = true;
		tcp_output(s, c);
		c->push_once = false;
	}
	if (c->persist_at <= now) {
		c->persist_at = TCP_TIMER_NONE;
		if (!persist_fire(s, c))
			return;
	}
	if (c->rtx_at <= now) {
		c->rtx_at = TCP_TIMER_NONE;
		if (!(c->rtx_kind == TCP_RTX_RTO ? rto_fire(s, c) : tcp_rack_timer(s, c)))
			return;
	}
	tcp_timers_update(s, c);
}

void tcp_timers_run(gt_stack *s, uint64_t now)
{
	while (heap_min_deadline(&s->timers) <= now) {
		struct tcp_conn *c = heap_min_owner(&s->timers);
		heap_remove(&s->timers, &c->heap_idx);
		fire(s, c, now);
	}
}
