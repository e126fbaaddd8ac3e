/* pktrun's insides: the parsed script (parse.c), the judge both back-ends
 * share (judge.c: packets built and compared, backtick commands, assertions),
 * and the two back-ends: glasstcp on virtual time (run.c) and the Linux
 * kernel on real time (kernel.c). */
#ifndef GT_PK_INTERNAL_H
#define GT_PK_INTERNAL_H

#include <stdint.h>

#include "pktrun/pktrun.h"

/* Every time in a script, option or shift is bounded by this (about 3.2
 * years), so that sums of two or three of them never overflow. */
#define PK_TIME_MAX_US 100000000000000LL

#define PK_MAX_OPTS 24
#define PK_MAX_ARGS 8
#define PK_MAX_SACK 4

/* PO_MD5: RFC 2385's signature option, a = 1 for "md5 valid" (made, or
 * checked, with --tcp_md5_secret), 0 for "md5 invalid". PO_RAW: "raw B
 * B ...", bytes written as they stand (kind and length included, neither
 * checked), for malformed options on an inbound packet; glasstcp's own
 * syntax, which --kernel runs as well (both build inbound packets in
 * judge.c). */
/* PO_FO, PO_FOEXP: RFC 7413's Fast Open option, kind 34, and its
 * experimental form (kind 254, magic 0xF989): "FO" asks for a cookie,
 * "FO HEX" carries one (raw[], nraw bytes); TFO_COOKIE and TFO_COOKIE_ZERO
 * stand for the cookies the Linux selftests' ksft_runner.sh defines. */
enum pk_optkind { PO_NOP, PO_EOL, PO_MSS, PO_WSCALE, PO_SACKOK, PO_SACK, PO_TS, PO_MD5, PO_RAW,
		  PO_FO, PO_FOEXP };
/* PO_MD5's a for packetdrill's "md5 HEX": the 16 bytes in raw, sent as
 * they stand (no secret needed; inbound only). */
#define PK_MD5_LITERAL 2
#define PK_MAX_RAW 40

/* SO_DEBUG (1 in Linux's and FreeBSD's socket.h): the kernel's debug
 * trace of the connection (FreeBSD's TCPDEBUG tcp_trace()); it changes no
 * segment, so setting it is taken and does nothing (pktrun/run.c). */
#define PK_SO_DEBUG 1

/* Linux's TCP_INQ and TCP_CM_INQ (include/uapi/linux/tcp.h). */
#define PK_TCP_INQ 36
/* MSG_NOSIGNAL (Linux 0x4000): glasstcp raises no signal, so the in-process
 * runner drops it; the kernel back-end passes it on. */
#define PK_MSG_NOSIGNAL 0x4000

/* epoll(7)'s flags past the readiness bits (Linux's eventpoll.h):
 * EP_PRIVATE_BITS, which a disarmed EPOLLONESHOT watch keeps. */
#define PK_EPOLLEXCLUSIVE (1LL << 28)
#define PK_EPOLLWAKEUP (1LL << 29)
#define PK_EPOLLONESHOT (1LL << 30)
#define PK_EPOLLET (1LL << 31)
#define PK_EPOLL_SETS 4   /* epoll instances a script may hold (run.c) */
#define PK_EPOLL_ITEMS 16 /* watches per instance (run.c) */
#define PK_EP_PRIVATE_BITS (PK_EPOLLWAKEUP | PK_EPOLLONESHOT | PK_EPOLLET | PK_EPOLLEXCLUSIVE)

/* SOCK_NONBLOCK in socket()'s type: Linux's (O_NONBLOCK, 0x800). */
#define PK_SOCK_NONBLOCK 0x800

struct pk_opt {
	enum pk_optkind kind;
	uint32_t a, b;          /* mss / wscale / TS val, ecr */
	bool a_any, b_any;      /* TS val ... / ecr ...: any value */
	uint8_t nsack;
	uint32_t sack[PK_MAX_SACK][2];
	uint8_t nraw;
	uint8_t raw[PK_MAX_RAW];
};

enum pk_optmode { PK_OPTS_NONE, PK_OPTS_ANY, PK_OPTS_LIST };

/* The IP ECN field a packet has (RFC 3168 5), or any (not written). */
enum pk_ecn {
	PK_ECN_NOT_ECT = 0, PK_ECN_ECT1 = 1, PK_ECN_ECT0 = 2, PK_ECN_CE = 3,
	PK_ECN_ECT01 = 4,   /* either ECT codepoint */
	PK_ECN_ANY = 5,
};

struct pk_pkt {
	bool out;               /* '>': the stack must send it */
	bool icmp;
	uint8_t flags;          /* TH_* */
	bool ae;                /* 'A': AE, the TCP header's bit 8 (RFC 9768) */
	bool seq_any;           /* '...' in place of start:end */
	bool seq_abs;           /* '!' after the range: the sequence number as sent, not from the ISN (packetdrill's FLAG_ABSOLUTE_SEQ) */
	uint32_t seq, len;
	bool has_ack, has_win;
	uint32_t ack, win;
	enum pk_optmode optmode;
	struct pk_opt opt[PK_MAX_OPTS];
	int nopt;
	int ttl;                /* IPv6: the hop limit; -1 when not written */
	int tos;                /* the whole TOS byte (IPv6: traffic class), -1 when not written */
	int32_t flowlabel;      /* IPv6's 20-bit flow label, -1 when not written */
	int df;                 /* IPv4's Don't Fragment bit, 0 or 1; -1 when not written */
	enum pk_ecn ecn;
	uint8_t icmp_type, icmp_code;   /* ICMP (IPv4) */
	uint8_t icmp6_type, icmp6_code; /* the same message in ICMPv6 (RFC 4443) */
	bool icmp_v4_ok, icmp_v6_ok;    /* the name exists in that family */
	uint32_t icmp_mtu;
	/* "/udp(SPORT > DPORT)" after a TCP segment, with
	 * --udp_encapsulation=tcp: the segment travels in a UDP datagram
	 * between these ports (packetdrill's FLAGS_UDP_ENCAPSULATED); without
	 * it, as plain TCP. */
	bool udp;
	uint16_t udp_sport, udp_dport;
	/* glasstcp's "tuple N" after a segment (N < PK_TUPLES): the script's
	 * N-th remote port (PK_REMOTE_PORT_IN + N), a connection with its own
	 * local ISN, so one listener meets SYNs from several ports. */
	uint8_t tuple;
	/* An inbound SYN that names the peer's ISN (sc->remote_rel): its
	 * tuple's first since the script's last socket(), listen() or
	 * connect(); a SYN into a connection that has one does not. */
	bool risn;
};
#define PK_TUPLES 8

enum pk_vkind { PV_ELLIPSIS, PV_INT, PV_STR, PV_LIST, PV_STRUCT };

struct pk_val {
	enum pk_vkind kind;
	long long i;
	char name[32];          /* field name inside a struct, or the symbol */
	char str[84];           /* PV_STR: the string (name holds its first 31 bytes
				   where no field name replaces them) */
	int slen;               /* PV_STR: its length, NULs written \0 counted */
	struct pk_val *items;   /* list or struct members */
	int n;
	/* A struct field written "name(COUNT)=value" (packetdrill's
	 * msg_iov(N)=[...]): COUNT, when a number. */
	bool has_count;
	long long count;
};

struct pk_call {
	char name[24];
	struct pk_val args[PK_MAX_ARGS];
	int nargs;
	long long ret;
	int err;                /* expected errno (positive) when ret == -1, else 0 */
	char err_name[24];
};

enum pk_evkind { PE_PACKET, PE_CALL, PE_SHELL, PE_CODE };

struct pk_event {
	int line;
	enum pk_evkind kind;
	bool any_time;          /* '*' */
	bool rel_time;          /* written relative ('+') to the event before */
	int64_t t_us;           /* absolute script time of the event (its start) */
	int64_t t_end_us;       /* range end ('~') or blocking return time ('...') */
	bool has_range, blocking;
	int64_t shift_us;       /* how far a late '~' or '*' packet before moved it */
	struct pk_pkt pkt;
	struct pk_call call;
	char *text;             /* shell line or code block */
};

struct pk_script {
	const char *name;
	struct pk_event *ev;
	int nev, cap;
	/* How late a packet (or a blocking call's return) may come: the
	 * script's own tolerance, widened on the kernel back-end and under
	 * --jitter to PK_KERNEL_TOLERANCE_US (--kernel-tolerance) for real
	 * time's lateness. */
	int64_t tolerance_us;
	/* The script's own tolerance (--tolerance_usecs, else 4 ms): how early
	 * a packet or a blocking call's return may come, and what an
	 * unscripted packet must precede an event by to be judged
	 * (pk_check_unexpected()), in every back-end alike: real time makes
	 * nothing early (pk_expect_out()). */
	int64_t tolerance_script_us;
	/* --tolerance_percent=N (packetdrill's verify_time()): both edges
	 * widen to N% of the script's interval from the event before, where
	 * that is more (pk_tolerance_for()); 0: none. */
	int tolerance_pct;
	uint16_t bind_port; /* --bind_port: bind()'s port (PK_BIND_PORT) */
	/* The HZ of the timer wheel the TCP under test fires its timers on,
	 * for the wheel's slack (pk_wheel_slack_us(), wheel_slack()): on the
	 * kernel back-end the kernel's CONFIG_HZ (CLOCK_MONOTONIC_COARSE's
	 * resolution is one jiffy); on glasstcp's virtual time the profile's,
	 * 1,000,000 / cfg.rto_jiffy_us (250 in the Linux profile), where
	 * cfg.timer_wheel is on (run_glasstcp()); 0: none, every timer fires
	 * at its deadline and is judged so. */
	int64_t wheel_hz;
	int64_t ts_tick_us;     /* --tcp_ts_tick_usecs: 0 = TS val not checked */
	bool ts_tick_script;    /* the script set --tcp_ts_tick_usecs itself */
	bool tolerance_script;  /* the script set --tolerance_usecs itself */
	int mtu;
	/* --mss=N: the GSO size packetdrill injects longer segments with
	 * (pk_run_events(): UNSUPPORTED where one is longer); 0 = none. */
	int gso_mss;
	enum pk_ipver ipver;    /* --ip_version (the script's, else pktrun's --ip-version) */
	bool ipver_script;      /* the script set --ip_version itself */
	/* "// pktrun-ip-versions: V... -- WHY": the IP versions the script
	 * has a meaning in (PK_IPVER_BIT() of each), 0 = all; why, the
	 * reason it gives (pk_ip_versions_of()). */
	unsigned ipver_only;
	char ipver_only_why[120];
	/* --non_fatal=syscall: a system call's unexpected result is a
	 * warning and the script goes on, as in packetdrill. */
	bool non_fatal_syscall;
	bool udp_encaps_tcp;    /* --udp_encapsulation=tcp: "/udp(A > B)" packets are TCP in UDP */
	char md5_secret[81];    /* --tcp_md5_secret (RFC 2385 keys are 1 to 80 bytes) */
	bool tcp_md5sig_ok;     /* TCP_MD5SIG has a meaning: the FreeBSD profile */
	/* The peer's numbers after its SYN count from that SYN's, as in
	 * packetdrill (remote_seq_script_to_live_offset()); else, as
	 * glasstcp's own scripts are written, they stand as sent. Set where
	 * a segment after a SYN numbered above 0 is numbered below it
	 * ("S 999000:999040(40)" then ". 1:1(0)"): an absolute number there
	 * would lie far outside the window. */
	bool remote_rel;
	/* First construct the runner cannot run, found while parsing. */
	int unsup_line;
	char unsup[160];
	/* Parse error. */
	int err_line;
	char err[200];
};

/* Linux's struct tcp_md5sig as a script writes it (setsockopt with
 * TCP_MD5SIG or TCP_MD5SIG_EXT): {tcpm_addr="ADDR", tcpm_flags=N,
 * tcpm_prefixlen=N, tcpm_keylen=N, tcpm_ifindex=N, tcpm_key="KEY"}, each
 * field optional: the address is the script's end unless written, the
 * family the script's, keylen the key's length (pk_maps_v4_addrs() and
 * ipv4-mapped-ipv6 from --ip-version change the family of an IPv4 one).
 * False (why says) for a field or address it does not know. */
bool pk_md5sig_of(const struct pk_val *val, const struct pk_script *sc, struct gt_tcp_md5sig *out,
		  char *why, size_t n);
/* Whether the script's IPv4 addresses (packetdrill's 192.0.2.1 and
 * 192.168.0.1 in a tcpm_addr, an `ip route`, a setkey line) stand for its
 * IPv6 ends: a script that pktrun's --ip-version made IPv6 was written
 * address-free for IPv4 and means its ends there (pk_md5sig_of(),
 * setkey_addr()); one that set ipv6 itself means what it wrote. */
bool pk_maps_v4_addrs(const struct pk_script *sc);

/* The largest script time of any event (its end included). */
int64_t pk_script_end_us(const struct pk_script *sc);
/* Parses text; the script owns what it allocates (pk_script_free). */
void pk_parse(struct pk_script *sc, const char *text, size_t len, enum gt_profile profile);
void pk_script_free(struct pk_script *sc);
/* Symbols of the packetdrill language: constants, errno names. */
bool pk_symbol(const char *name, long long *out);
const char *pk_errno_name(int err);
/* The profile a script declares: FreeBSD where a backtick command names a
 * FreeBSD sysctl (net.inet.*, kern.ipc.*) outside comments; never the path. */
enum gt_profile pk_guess_profile(const char *text);

/* ---- the judge (judge.c) ---- */

/* The addresses the scripts assume, packetdrill's defaults: the TCP under
 * test is 192.168.0.1, the script plays 192.0.2.1. */
#define PK_LOCAL_IP 0xc0a80001u
#define PK_REMOTE_IP 0xc0000201u
/* --ip_version=ipv6: the TCP under test is 2001:db8::1, the script plays
 * 2001:db8:1::1 (documentation prefixes, RFC 3849). */
extern const struct gt_in6_addr pk_local_ip6, pk_remote_ip6;
/* The TCP Fast Open cookie Linux gives a SYN from the script's address to
 * the tested TCP's under key (__tcp_fastopen_cookie_gen_cipher():
 * SipHash-2-4 of the SYN's source and destination addresses, little-endian):
 * what TFO_COOKIE and TFO_COOKIE_ZERO stand for. */
struct pk_script;
void pk_tfo_cookie(const struct pk_script *sc, const uint8_t key[16], uint8_t out[8]);
#define PK_BIND_PORT 8080
#define PK_REMOTE_PORT_IN 40000 /* the script's port when it connects to us */

/* One nstat counter: its name as nstat prints it and its value. */
#define PK_NSTAT_NAME 48
#define PK_NSTAT_MAX 512
struct pk_counter {
	char name[PK_NSTAT_NAME];
	uint64_t v;
};

/* Outbound packets as the TCP under test sent them, oldest first. */
#define PK_MAX_OUT 4096
struct pk_raw {
	uint64_t t_us;          /* script time it was sent (or read from the device) */
	uint32_t len;
	uint8_t *data;
};
struct pk_outq {
	struct pk_raw q[PK_MAX_OUT];
	uint32_t head, len;
};
/* Copies pkt; false when full or out of memory (the packet is lost). */
bool pk_outq_push(struct pk_outq *q, uint64_t t_us, const void *pkt, size_t len);
void pk_outq_drop(struct pk_outq *q);
void pk_outq_clear(struct pk_outq *q);

/* What both back-ends share while a script runs: the verdict, script time,
 * the outbound queue, and the mapping between script and live numbers
 * (the script's ISN is 0; the live TCP's is learned from its first SYN;
 * outbound TS val is rebased to the first one seen). */
#define PK_TS_ECHOES 64

/* Code blocks' own names (pk_judge.code_var): how many, and how long. */
#define PK_CODE_VARS 32
#define PK_CODE_VAR_NAME 48

struct pk_judge {
	struct pk_script *sc;
	const struct pk_options *opt;
	struct pk_result *res;
	const char *dir;        /* where backtick commands find relative files */
	bool failed;            /* a verdict is given; the run stops */
	uint64_t now_us;        /* script time now: virtual, or real since the start */
	struct pk_outq out;

	bool local_isn_known;
	uint32_t local_isn;
	/* A connect() was made: its first SYN gives the ISN and the TS val
	 * base anew, as packetdrill learns both per socket
	 * (find_connect_for_live_packet(), map_outbound_live_packet()): a
	 * TIME_WAIT pair's new incarnation is a new "0:0". */
	bool new_active_open;
	uint16_t lport, rport;  /* the live TCP's port and the script's */
	/* Each passive connection's port: a listen() that returned 0 makes
	 * the next inbound SYN (no ACK) a new connection from a port of its
	 * own, as packetdrill's handle_listen_for_script_packet() gives the
	 * child of a listening socket under test next_ephemeral_port(): the
	 * first one PK_REMOTE_PORT_IN, the n-th PK_REMOTE_PORT_IN +
	 * n * PK_TUPLES (its "tuple N" ports after it). A second listener's
	 * SYN is then not taken by the first one's child or its TIME_WAIT. */
	bool listen_new;
	uint16_t passive_opens;
	uint16_t rport_base;    /* PK_REMOTE_PORT_IN + passive_opens' offset */
	/* "tuple N": the one whose numbers are in local_isn and rport, and
	 * the others' ISNs, kept while another is in use. */
	uint8_t tuple;
	bool tuple_isn_known[PK_TUPLES];
	uint32_t tuple_isn[PK_TUPLES];
	/* sc->remote_rel: the script's latest inbound SYN's number, per tuple. */
	uint32_t remote_isn, tuple_remote_isn[PK_TUPLES];
	bool ts_base_known;
	uint32_t live_ts_base, script_ts_base;
	/* How late the packet that set the bases came against its time: every
	 * later TS val counts from it, so may look early by as much. */
	int64_t ts_base_late_us;
	/* The TS vals the live TCP sent against the script's for them, the
	 * latest PK_TS_ECHOES: an inbound ecr the script gives as one of its
	 * own outbound TS vals echoes what was sent with it, as a real peer
	 * echoes what it received. Rebased linearly instead, the echo of a
	 * retransmission stamped 316 on the kernel's millisecond clock where
	 * the script says 315 (where that clock's edge fell against the
	 * SYN's) read as older than it, and Linux undid the recovery
	 * (ecn-cwr-then-recovery-keeps-the-reduction.pkt under --jitter). */
	struct pk_ts_echo {
		uint32_t script, live;
	} ts_echo[PK_TS_ECHOES];
	unsigned ts_echo_n; /* entries written, the latest at (n - 1) % size */
	/* The kernel back-end on real time: how late the runner itself was
	 * with its last action (a packet written, a call begun) against the
	 * script's time for it, and that action's line. A packet that comes
	 * late by no more than that is not judged: the runner, not the
	 * kernel, was late (pk_runner_late()). Always 0 on virtual time. */
	/* nstat's history (what `nstat -n` or a plain `nstat` last saw):
	 * deltas are counted from it; empty (all 0) at the start, as a fresh
	 * namespace or stack. */
	struct pk_counter nstat_hist[PK_NSTAT_MAX];
	int nstat_hist_n;
	/* The names a script's code blocks assigned (X = expr, X += expr):
	 * packetdrill runs all of a script's %{ }% blocks in one Python
	 * namespace (code.c writes them into one file), so a later block's
	 * assert reads them. At most PK_CODE_VARS, in assignment order. */
	struct pk_code_var {
		char name[PK_CODE_VAR_NAME];
		long long v;
	} code_var[PK_CODE_VARS];
	int code_var_n;
	int64_t last_action_late_us;
	int last_action_line;
	/* The latest the runner has been with any action so far, of its own
	 * doing, and that action's line. Past the script's own tolerance the
	 * script's intervals were not kept (a packet injected 8.5 ms late
	 * came 1.3 ms after the SYN-ACK it answers, not 10 ms: the kernel's
	 * RTT sample, and with it its skb sizes and PSH marks, followed the
	 * runner): a failure after it is not judged (pk_fail()), except a
	 * packet that came early or late against its time (pk_fail_time()).
	 * Of its own doing: counted from the action's time or from
	 * kernel_ready_us, whichever is later, so an action that waited for
	 * the kernel is not the runner's lateness. */
	int64_t worst_action_late_us;
	int worst_action_line;
	/* When the runner last stopped waiting on the kernel within the
	 * script's rules: the arrival of a packet a '>' line took (late
	 * within the tolerance, a delayed ACK on a 4 ms jiffy), or the
	 * return of a call the script lets block. Not a call the script
	 * expects to return at once: one that takes 7.6 ms is the stall. */
	uint64_t kernel_ready_us;
	/* The script's intervals as the kernel saw them: each action's
	 * lateness against the action before it (pk_note_action() says which
	 * lateness each way), a change of more than pk_interval_slack_us()
	 * of the script's gap between them, once a packet has crossed (before
	 * that the kernel times nothing). CI: line
	 * 70 of cubic-fast-convergence-second-loss.pkt went 1.8 ms late and
	 * line 72 on time, 0.26 ms apart for the script's 2 ms; Linux's
	 * tcp_tso_should_defer() defers when its last send was under 1 ms
	 * ago, and the segment the script expects waited for an ACK that
	 * never came. A shrunk interval (window-zero-persist-probes.pkt: a
	 * SYN 19.6 ms late and the handshake's ACK on time, an RTT sample of
	 * 80 ms for 100) can bring the kernel's timers early; a stretched one
	 * late. */
	bool traffic;           /* a packet has been injected or seen */
	bool have_prev_action;
	int64_t prev_own_us, prev_late_us, prev_action_t_us;
	int prev_action_line;
	struct pk_interval {
		int64_t by_us;  /* the change, 0 while none past the slack */
		int64_t gap_us; /* the script's interval */
		int from_line, to_line;
	} shrunk, stretched;
	/* The kernel back-end: did the machine pause through [hi_us, arr_us]
	 * enough to make a packet (or a call's return) due by hi_us come at
	 * arr_us (pk_pause_explains())? Then true, and why says which pause
	 * and what the run saw. NULL on virtual time, where nothing pauses. */
	bool (*paused)(void *ctx, int64_t hi_us, int64_t arr_us, char *why, size_t n);
	void *paused_ctx;
};

/* ---- the machine's pauses ---- */

/* A pause of the whole machine (a VM's vCPUs descheduled, its CPUs taken)
 * as the kernel back-end's watchdog saw it: a thread that sleeps on a
 * short period was due at start_us and ran len_us later (script time). A
 * runner's thread waiting for the kernel, and the kernel's timer, wait as
 * long: run 13 of docs/conformance.md's kernel half, a 600 ms zero-window
 * probe 134 ms late with the runner on time on both sides of it. */
struct pk_pause {
	int64_t start_us, len_us;
};
/* What of a late packet's lateness no pause needs to cover: a pause's
 * start is known to within the watchdog's period (1 ms), and after the
 * machine resumes the kernel's packet and the runner's read of it take
 * well under 1 ms more. */
#define PK_PAUSE_SLACK_US 2000
/* The overlap rule, pure: a packet (or a blocking call's return) due by
 * hi_us, its window's late edge, came at arr_us. Pauses explain its
 * lateness when the machine ran for no more than slack_us of [hi_us,
 * arr_us] (the paused time inside it, each pause clipped to it, is all
 * the lateness but slack_us, and is not 0): without them it would have
 * come on time. A pause before hi_us delayed nothing due by hi_us that the
 * machine then had time to send; a packet on time or early (arr_us <=
 * hi_us) has nothing to explain, and an early one is never excused.
 * *worst gets the pause that covers the most of it. */
bool pk_pause_explains(const struct pk_pause *p, int n, int64_t hi_us, int64_t arr_us, int64_t slack_us,
		       struct pk_pause *worst);
/* A packet or a call's return (what, as the verdict says it; kind:
 * "packet", "return") due by hi_us came at arr_us: where the back-end's
 * pauses explain it, the verdict is UNSUPPORTED, naming the pause (never
 * PASS, never FAIL), and true. */
bool pk_machine_paused(struct pk_judge *j, int line, const char *what, const char *kind, int64_t hi_us,
		       int64_t arr_us);

/* How much the runner may change a script interval of gap_us before the
 * kernel's answer after it is no longer judged: a quarter of it, at least
 * 1 ms (two calls at +0, each handed to the runner's call thread, came
 * 0.26 ms apart on a quiet machine), at most the script's tolerance (the
 * rule for a single late action). */
int64_t pk_interval_slack_us(int64_t gap_us, int64_t tol_us);

void pk_fail(struct pk_judge *j, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* getsockopt(): the buffer to pass (the script's optlen, at most
 * PK_SOCKOPT_MAX), and the verdict on what came back (judge.c). */
#define PK_SOCKOPT_MAX 84
size_t pk_getsockopt_len(const struct pk_call *c);
/* setsockopt() with an int value: the script's optlen when it is 1 to
 * sizeof(int) (packetdrill passes it as written; Linux's IP options take one
 * byte), else sizeof(int). */
size_t pk_setsockopt_int_len(const struct pk_call *c);
bool pk_getsockopt_judge(struct pk_judge *j, int line, const struct pk_call *c, const void *buf,
			 size_t got_len);
/* getsockopt(fd, SOL_SOCKET, SO_LINGER, {onoff=N, linger=N}, [8]): the
 * struct as packetdrill's grammar writes struct linger (its linger rule,
 * shared with setsockopt; its syscall_getsockopt() has no case for the
 * struct and rejects it). Whether the call's value is that struct
 * (pk_linger_wanted()), and the verdict on what came back (run.c, both
 * back-ends): the optlen returned must be the script's [N] and each
 * field written the one returned. buf holds a struct gt_linger, the
 * layout of Linux's and FreeBSD's struct linger (two ints). */
bool pk_linger_wanted(const struct pk_call *c);
bool pk_linger_judge(struct pk_judge *j, int line, const struct pk_call *c, const void *buf,
		     size_t got_len);
/* Writes into buf how the runner failed to keep the script's intervals
 * (as a mismatch's UNSUPPORTED would say it); false, and buf empty, where
 * it kept them. */
bool pk_distortion(const struct pk_judge *j, char *buf, size_t n);
/* A failure of a packet's (or a call's) time alone, early or late. The
 * runner's lateness with single actions does not excuse it (the packet's
 * window already allows for the last action's, pk_runner_late()); an
 * interval the runner changed does, in the direction it moves the
 * kernel's timers: an early one after a shrunk interval, a late one
 * after a stretched interval or past the single-action rule. */
void pk_fail_time(struct pk_judge *j, bool early, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void pk_unsupported(struct pk_judge *j, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pk_log(struct pk_judge *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The runner's own action for event e happened at now_us (real time):
 * records how late it was. */
void pk_note_action(struct pk_judge *j, const struct pk_event *e, uint64_t now_us);
/* --mss=N: the GSO size an inbound TCP segment of event e goes in with,
 * N where its payload is longer than N (packetdrill's TUN write, a GSO
 * packet of N-byte segments), else 0 (plain; also under --gso-as-one, and
 * for ICMP and a segment in UDP). */
uint16_t pk_gso_size(const struct pk_judge *j, const struct pk_event *e);

/* Makes time pass until an outbound packet is queued, deadline_us is
 * reached or the run failed. */
typedef void (*pk_wait_fn)(void *ctx, uint64_t deadline_us);
/* A '>' event: waits for the packet(s) and judges them. */
void pk_expect_out(struct pk_judge *j, const struct pk_event *e, pk_wait_fn wait, void *ctx);
/* Before any other event at its time: an outbound packet still queued
 * that came before the event's window is one the script did not expect. */
void pk_check_unexpected(struct pk_judge *j, const struct pk_event *e);

/* The IPv4 datagram of a '<' event, live numbers mapped in. Returns its
 * length, or 0 with the verdict given. buf holds PK_PKT_MAX bytes. */
#define PK_PKT_MAX (20 + 60 + 65536)
size_t pk_build_in(struct pk_judge *j, const struct pk_event *e, uint8_t *buf);

/* Does a call's result match? why gets the difference. rv < 0 is -errno. */
bool pk_check_ret(const struct pk_call *c, long long rv, char *why, size_t n);
/* A call's end: its result, and for a '...' call its return time. */
void pk_finish_call(struct pk_judge *j, const struct pk_event *e, long long rv, uint64_t t_us);
/* A '...' call that returned without blocking, earlier than its window. */
bool pk_returned_early(struct pk_judge *j, const struct pk_event *e, long long rv, uint64_t t_us);
/* The bytes a readv()/writev() list moves, or -1. */
long long pk_iov_total(const struct pk_val *v);
/* A sendmsg()/recvmsg() struct msghdr as packetdrill writes it:
 * {msg_name(...)=..., msg_iov(N)=[{..., LEN}, ...], msg_flags=F,
 * msg_control=[{cmsg_level=L, cmsg_type=T, cmsg_data=D}, ...]}. msg_name
 * is ignored, as packetdrill does (its msg_name is never an address). */
#define PK_MAX_IOV 64
#define PK_MAX_CMSG 4
struct pk_msghdr {
	int niov;
	long long iov[PK_MAX_IOV];
	long long total;        /* the iov lengths' sum, at most PK_IO_MAX */
	long long flags;        /* msg_flags (what recvmsg() must return in it) */
	bool has_control;       /* msg_control written, [] included */
	int ncmsg;
	struct pk_cmsg {
		int level, type;
		long long data; /* an int's value (TCP_CM_INQ's) */
	} cmsg[PK_MAX_CMSG];
};
/* Reads v; false, with why, for a form the runner does not run: a field it
 * does not know, an iov entry other than {..., LEN}, a control message
 * other than SOL_TCP TCP_CM_INQ with a number, beyond PK_IO_MAX bytes. */
bool pk_msghdr_of(const struct pk_val *v, struct pk_msghdr *out, char *why, size_t n);
/* ---- the error queue: recvmsg(..., MSG_ERRQUEUE) (errqueue.c) ---- */

/* Linux's numbers: MSG_ERRQUEUE, MSG_TRUNC, and packetdrill's
 * CMSG_LEVEL_IP / CMSG_TYPE_RECVERR, which stand for SOL_IP / IP_RECVERR
 * on an AF_INET socket and SOL_IPV6 / IPV6_RECVERR on an AF_INET6 one
 * (ip_recv_error(), ipv6_recv_error()): symbols resolved by the script's
 * family when judged. */
#define PK_MSG_ERRQUEUE 0x2000
#define PK_MSG_TRUNC 0x20
#define PK_CMSG_LEVEL_IP (-1000)
#define PK_CMSG_TYPE_RECVERR (-1001)
/* struct sock_extended_err's six fields, in this order. */
enum { PK_EE_ERRNO, PK_EE_ORIGIN, PK_EE_TYPE, PK_EE_CODE, PK_EE_INFO, PK_EE_DATA, PK_EE_N };
struct pk_errq_msg {
	struct pk_msghdr mh;    /* iov, msg_flags, has_control; mh.ncmsg messages */
	struct pk_errq_cmsg {
		int level, type;
		long long ee[PK_EE_N];
		unsigned have;  /* the ee fields the script wrote, 1 << PK_EE_x */
		/* SOL_SOCKET SCM_TIMESTAMPING: {scm_sec=S, scm_nsec=N}, the
		 * software stamp in script time. */
		bool is_ts;
		long long scm_sec, scm_nsec;
	} cm[PK_MAX_CMSG];
};
/* What a recvmsg(MSG_ERRQUEUE) returned: msg_flags and its control
 * messages, each an IP_RECVERR's struct sock_extended_err (is_ee) or
 * another (level and type only). */
struct pk_errq_got {
	int msg_flags;
	int n;
	struct {
		int level, type;
		bool is_ee;
		uint32_t ee[PK_EE_N];
		bool is_ts;     /* SCM_TIMESTAMPING: ts_us, script time */
		int64_t ts_us;
	} cm[PK_MAX_CMSG];
};
/* Linux's SO_TIMESTAMPING and its cmsg type, SOL_SOCKET's (asm-generic
 * socket.h, 64-bit: SO_TIMESTAMPING_OLD). */
#define PK_SCM_TIMESTAMPING 37
/* The call's msghdr, {msg_name(...)=..., msg_iov(N)=[{..., LEN}],
 * msg_flags=F, msg_control=[{cmsg_level=L, cmsg_type=T,
 * cmsg_data={ee_errno=E, ee_origin=O, ...}}]}; false, with why, for a
 * form the runner does not run. */
bool pk_errq_msghdr_of(const struct pk_val *v, struct pk_errq_msg *out, char *why, size_t n);
/* Judges got against want, as packetdrill's syscall_recvmsg() does (the
 * msg_flags, then each control message field by field); v6: the socket is
 * AF_INET6. */
void pk_errq_judge(struct pk_judge *j, int line, const struct pk_errq_msg *want,
		   const struct pk_errq_got *got, bool v6);

/* Argument i is AF_UNSPEC, as connect(fd, AF_UNSPEC, ...) writes the
 * address of a disconnect (parse.c): glasstcp's gt_connect() gets a
 * GT_AF_UNSPEC address, the kernel a struct sockaddr of family AF_UNSPEC. */
bool pk_af_unspec_arg(const struct pk_call *c, int i);
/* Argument i as an integer ([N] reads as N); 0 when absent. */
long long pk_int_arg(const struct pk_call *c, int i);
/* Largest buffer a read or write in a script may name (1 MiB: the
 * selftests write 150,000 bytes at once). */
#define PK_IO_MAX (1 << 20)
/* Argument i is NULL (the symbol, not 0 or ...): the call gets a null
 * buffer, for its EFAULT. */
bool pk_null_arg(const struct pk_call *c, int i);
/* Linux's IP_MTU_DISCOVER and IP_FREEBIND (linux/in.h), at SOL_IP: the
 * kernel back-end passes them on; glasstcp has neither (run.c). */
#define PK_IP_MTU_DISCOVER 10
#define PK_IP_PMTUDISC_WANT 1
#define PK_IP_FREEBIND 15

/* What a back-end does for the backtick commands the runner knows. Each
 * returns false when it gave a verdict (failed or unsupported). */
/* glasstcp's counters that count the event of the Linux one by that
 * name, and where each is in struct gt_stats. */
struct pk_nstat_name {
	const char *nstat;
	size_t off;
};
extern const struct pk_nstat_name pk_gt_nstat_names[];
extern const int pk_gt_nstat_n;

/* One TCP socket as sockstat(1) and ss(8) list it: state (enum
 * gt_tcp_state), addresses, queues (ss's Recv-Q and Send-Q), whether a
 * descriptor holds it (FreeBSD's sockstat names the process only then),
 * and for an AF_INET6 one whether it takes IPv4 too (not IPV6_V6ONLY). */
struct pk_sock_row {
	int state;
	struct gt_sockaddr local, peer;
	uint32_t recv_q, send_q;
	bool has_fd, dual;
};
#define PK_SOCK_ROWS 256

struct pk_shell_ops {
	bool (*sysctl)(void *ctx, int line, const char *name, const char *val);
	/* The back-end's TCP sockets, at most max (PK_SOCK_ROWS): glasstcp's
	 * gt_stack_list(), the namespace's /proc/net/tcp and tcp6. False with
	 * a verdict given. */
	bool (*sock_rows)(void *ctx, int line, struct pk_sock_row *out, int max, int *n);
	/* ss(8) run for real (argv[0] "ss"), its output into out (n bytes)
	 * and its exit status into *rc; NULL where the back-end answers from
	 * sock_rows. False with a verdict given. */
	bool (*run_ss)(void *ctx, int line, char *const argv[], char *out, size_t n, int *rc);
	/* How many connections are in st (enum gt_tcp_state). */
	bool (*count_state)(void *ctx, int line, int st, uint32_t *have);
	/* `tcpdrop -s TIME_WAIT` */
	bool (*drop_timewait)(void *ctx, int line);
	/* setkey's "add SRC DST tcp SPI -A tcp-md5 KEY" (addresses mapped to
	 * the run's own), and `setkey -F`; NULL where the back-end has no
	 * key table. */
	bool (*md5_key)(void *ctx, int line, const struct gt_sockaddr *src,
			const struct gt_sockaddr *dst, const char *key);
	bool (*md5_flush)(void *ctx, int line);
	/* `ip tcp_metrics flush all`: the per-destination cache (TFO cookies
	 * and MSSs) emptied, glasstcp's through gt_tcp_metrics_flush(), the
	 * kernel's by running ip(8) in the namespace. False with a verdict. */
	bool (*metrics_flush)(void *ctx, int line);
	/* nstat(8)'s counters, absolute, by nstat's names (TcpExtX, TcpX,
	 * IpX...): the kernel's from /proc/net/netstat and /proc/net/snmp of
	 * the namespace, glasstcp's where it counts the same event under
	 * that name (pk_gt_nstat_names). At most max; false with a verdict
	 * given. */
	bool (*counters)(void *ctx, int line, struct pk_counter *out, int max, int *n);
	/* Why a counter named is not among them, for the UNSUPPORTED line. */
	const char *counters_lack;
	/* /proc/net/tcp (v6: tcp6) as Linux writes it, heading and one line
	 * per socket, into out (n bytes); false with a verdict given. */
	bool (*proc_net_tcp)(void *ctx, int line, bool v6, char *out, size_t n);
	/* `echo VAL > /sys/module/MOD/parameters/NAME`: a module parameter
	 * (the tcp_cubic ones the scripts set); NULL where the back-end has
	 * none. False with a verdict given. */
	bool (*module_param)(void *ctx, int line, const char *mod, const char *name, const char *val);
	/* `ip [-6] route add|change|replace DST [via GW] [dev tun0] [advmss N]
	 * [mtu [lock] N] [initcwnd N] [initrwnd N]` (the destination mapped
	 * to the run's remote address): glasstcp's gt_route_set(), the
	 * kernel's ip(8) in the namespace. NULL: not run. False with a
	 * verdict. */
	bool (*route)(void *ctx, int line, const struct gt_route *r);
	/* `ethtool -K tun0 F off [F off...]` with F among gso, tso, gro
	 * (args: the words after tun0; tso: one F is tso). NULL: not run. */
	bool (*offload_off)(void *ctx, int line, const char *args, bool tso);
	/* `tc qdisc add|replace dev tun0 root pfifo limit N` (limit N) and
	 * `tc qdisc del[ete] dev tun0 root` (limit -1, the device's own
	 * queue again): with limit 0 the device refuses every packet, its
	 * queue full (glasstcp's transmit() returns -ENOBUFS; the kernel's
	 * qdisc drops, NET_XMIT_DROP). NULL: not run. False with a verdict. */
	bool (*qdisc)(void *ctx, int line, long limit);
};
bool pk_run_shell(struct pk_judge *j, int line, const char *text, const struct pk_shell_ops *ops,
		  void *ctx);

/* A back-end's part in running a script's events (pk_run_events): both run
 * the same loop, glasstcp on virtual time, the kernel on real time. */
struct pk_backend {
	const struct pk_shell_ops *shell;
	pk_wait_fn wait_out;
	/* Has the script's time begun? Backtick commands before the first
	 * other event run before it (setup). */
	bool (*started)(const void *ctx);
	/* Begins it, once; false when the run cannot go on (verdict given). */
	bool (*start)(void *ctx);
	/* Makes time pass to the event's time (now, for a '~' any time). */
	void (*advance)(void *ctx, const struct pk_event *e);
	/* Delivers a '<' packet of n bytes. */
	void (*inject)(void *ctx, const struct pk_event *e, const uint8_t *pkt, size_t n);
	void (*call)(void *ctx, const struct pk_event *e);
	void (*code)(void *ctx, const struct pk_event *e);
	/* After the last event, unless the run failed. */
	void (*settle)(void *ctx);
	/* inject takes a TCP segment longer than the script's --mss as GSO
	 * of that size (the kernel's TUN with a virtio-net header); else
	 * such a segment is UNSUPPORTED. */
	bool inject_gso;
};
void pk_run_events(struct pk_judge *j, const struct pk_backend *b, void *ctx);

/* struct tcp_info's fields (linux/tcp.h, Linux 4.18 to 6.6's layout)
 * past those struct pk_tcpi names, in tcpi_more.c's order. */
enum pk_tcpi_more {
	PK_TCPI_RETRANSMITS, PK_TCPI_ATO, PK_TCPI_FACKETS, PK_TCPI_LAST_ACK_SENT, PK_TCPI_PMTU,
	PK_TCPI_PACING_RATE, PK_TCPI_MAX_PACING_RATE, PK_TCPI_BYTES_ACKED, PK_TCPI_SEGS_OUT,
	PK_TCPI_NOTSENT_BYTES, PK_TCPI_MIN_RTT, PK_TCPI_DATA_SEGS_IN, PK_TCPI_DATA_SEGS_OUT,
	PK_TCPI_DELIVERY_RATE, PK_TCPI_DELIVERY_RATE_APP_LIMITED, PK_TCPI_FASTOPEN_CLIENT_FAIL,
	PK_TCPI_DELIVERED, PK_TCPI_DELIVERED_CE, PK_TCPI_BYTES_SENT, PK_TCPI_BYTES_RETRANS,
	PK_TCPI_DSACK_DUPS, PK_TCPI_RCV_OOOPACK, PK_TCPI_SND_WND,
	/* FreeBSD's extensions (sys/netinet/tcp.h), as its packetdrill
	 * names them. */
	PK_TCPI_SND_NXT, PK_TCPI_RCV_NXT, PK_TCPI_SND_BWND, PK_TCPI_TOE_TID,
	PK_TCPI_MORE_N
};

/* TCP_INFO as scripts assert it (packetdrill's tcpi_ names and units:
 * cwnd, ssthresh and unacked in segments, times in microseconds). */
struct pk_tcpi {
	long long snd_cwnd, snd_ssthresh, rto, rtt, rttvar, snd_mss, rcv_mss;
	long long advmss;       /* the MSS our SYN or SYN-ACK offered */
	long long total_retrans, unacked, backoff;
	/* tcpi_options: TCPI_OPT_TIMESTAMPS 1, _SACK 2, _WSCALE 4, _ECN 8, the
	 * same bits in Linux's and FreeBSD's netinet/tcp.h. */
	long long options;
	/* Linux's own counters, for probing the kernel: the profile does not
	 * keep them, so a script that asserts them is unsupported there. */
	long long ca_state, sacked, lost, retrans, reordering;
	bool has_linux;
	/* TCPI_OPT_SYN_DATA (32) in options is the back-end's own. */
	bool has_syn_data;
	/* Linux's tp->reordering, glasstcp's Linux profile (tcp_reordering()). */
	bool has_reordering;
	/* tcpi_probes (icsk_probes_out), tcpi_last_data_recv (ms),
	 * tcpi_bytes_received: the kernel's, and glasstcp's (gt_tcp_info). */
	long long probes, last_data_recv, bytes_received;
	bool has_more;
	bool has_last_data_recv;
	/* tcpi_rwnd_limited, tcpi_sndbuf_limited, tcpi_busy_time (us,
	 * Linux's chrono), tcpi_last_data_sent and tcpi_last_ack_recv (ms):
	 * the kernel's, and the Linux profile's (gt_tcp_info.chrono_ok;
	 * has_sndbuf_limited set with it by pk_tcpi_more_from_gt()). */
	long long rwnd_limited, sndbuf_limited, busy_time, last_data_sent, last_ack_recv;
	bool has_chrono, has_sndbuf_limited, has_last_data_sent, has_last_ack_recv;
	/* tcpi_reord_seen (tp->reord_seen, reordering events seen): the
	 * kernel's only; glasstcp counts none (tcp_check_sack_reordering()). */
	long long reord_seen;
	bool has_reord_seen;
	/* tcpi_segs_in (Linux's tcp_segs_in(): a GSO packet's segments). */
	long long segs_in;
	bool has_segs_in;
	/* SO_MEMINFO's SK_MEMINFO_RCVBUF and _SNDBUF: sk_rcvbuf, sk_sndbuf. */
	long long rcvbuf, sndbuf;
	bool has_meminfo;
	/* SK_MEMINFO_RMEM_ALLOC (sk_rmem_alloc): the kernel's only. */
	long long rmem_alloc;
	bool has_rmem_alloc;
	/* tcpi_rcv_ssthresh (tp->rcv_ssthresh): the kernel's, and the Linux
	 * profile's (gt_tcp_info.rcv_ssthresh_ok). */
	long long rcv_ssthresh;
	bool has_rcv_ssthresh;
	/* tcpi_rcv_rtt (us) and tcpi_rcv_space: the kernel's, and the Linux
	 * profile's (gt_tcp_info.rcv_rtt_ok). */
	long long rcv_rtt, rcv_space;
	bool has_rcv_rtt;
	/* tcpi_ca_state: the kernel's, or the Linux profile's (gt_tcp_info). */
	bool has_ca_state;
	/* tcpi_sacked, tcpi_lost, tcpi_retrans: the kernel's, or the Linux
	 * profile's where its RACK marks say them (gt_tcp_info.scoreboard_ok). */
	bool has_scoreboard;
	/* The FreeBSD profile: only the tcpi_ names FreeBSD's packetdrill
	 * gives a script are known (pk_tcpi_bsd_named()), and the
	 * TCPI_OPT_ names are FreeBSD's netinet/tcp.h's. */
	bool bsd_names;
	int state_gt;           /* enum gt_tcp_state */
	int state_os;           /* tcpi_state as the profile's kernel numbers it */
	/* The rest of Linux's struct tcp_info (tcpi_more.c names them): each
	 * known where its bit (1u << enum pk_tcpi_more) of more_has is set. */
	long long more[PK_TCPI_MORE_N];
	uint32_t more_has;
};
/* The kernel back-end: the fields of pk_tcpi past glibc's struct
 * tcp_info, and SO_MEMINFO's (kernel_tcpi.c). */
void pk_kernel_tcpi_more(int fd, struct pk_tcpi *t);
/* tcpi_more.c: the field f (a tcpi_ name less "tcpi_") of enum
 * pk_tcpi_more: false where it is none of them or is not known. */
bool pk_tcpi_more_field(const struct pk_tcpi *t, const char *f, long long *v);
void pk_tcpi_more_set(struct pk_tcpi *t, enum pk_tcpi_more i, long long v);
/* f (a tcpi_ name less "tcpi_") is one FreeBSD's packetdrill sets. */
bool pk_tcpi_bsd_named(const char *f);
/* The glasstcp back-end's values of them (gt_tcp_info's *_ok say which;
 * linux_profile: the Linux profile's own fields too). */
struct gt_tcp_info;
void pk_tcpi_more_from_gt(const struct gt_tcp_info *gi, bool linux_profile, struct pk_tcpi *t);
/* %{ assert tcpi_x OP N }%; ti NULL: no socket to ask. */
void pk_run_code(struct pk_judge *j, const struct pk_event *e, const struct pk_tcpi *ti);
/* The script fd a code block asks, in a back-end's table fd (script fd
 * -> its descriptor, -1 when closed): the last socket a call used while
 * it is open, else the socket under test, the last that socket() or
 * accept() gave (packetdrill's run_code_event() asks
 * state->socket_under_test, which close() leaves alone: a block after the
 * listener's close() reads the accepted socket); -1 if neither is open. */
static inline int pk_code_fd(const int *fd, int last_fd, int sut_fd)
{
	if (last_fd >= 0 && fd[last_fd] >= 0)
		return last_fd;
	return sut_fd >= 0 && fd[sut_fd] >= 0 ? sut_fd : -1;
}
/* The state named by a sockstat or TCPI_ name, as enum gt_tcp_state; -1. */
int pk_state_from_name(const char *n);
/* Linux's numbering of TCP states (tcp_states.h), and back. */
int pk_linux_state_number(int gt_state);
int pk_gt_state_from_linux(int linux_state);

/* ---- the back-ends ---- */

/* The Linux kernel: a private network namespace and a TUN device, in a
 * child process (kernel.c). sc is parsed and supported by the parser. */
void pk_kernel_run(struct pk_script *sc, const char *dir, const struct pk_options *opt,
		   struct pk_result *res);

#endif
