/* The swarm: a seeded simulation in the spirit of TigerBeetle's VOPR. One
 * seed picks a random network of 2-4 hosts (each with its profile and
 * receive-buffer autotuning on or off; delay, jitter, loss with reordering,
 * duplication, corruption, partitions that heal, bandwidth, queues, MTU)
 * and a random workload (connections with random sizes, write and read
 * patterns, socket options and close styles). Safety is checked all along
 * (every byte delivered is the sender's, in order; every stack's invariants
 * hold after every simulator event); once the network heals, liveness (every
 * connection finishes in bounded virtual time, then nothing is left in any
 * stack); and every transfer large enough to measure must reach a fraction
 * of the goodput its path allows (swarm_goodput_model()). Each connection's
 * outcome must be explained by its own history (its packets' fates, its
 * timers, its application's actions: sim/swarm_audit.h); no side may send a
 * storm of segments that carry nothing new; TIME_WAIT is entered by the side
 * that closed first and held 2MSL. Issue 15's dimensions (limits, floods,
 * cookies, ICMP, hostile segments, idle days, ...) come from a second random
 * stream. `glasstcp swarm` runs seeds; docs/swarm.md describes it. */
#ifndef GT_SIM_SWARM_H
#define GT_SIM_SWARM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glasstcp/stats.h>

/* A transfer is measured when it moves at least this many bytes one way,
 * every one of them read, with no application pause and no partition of
 * its links in between; it fails below SWARM_GOODPUT_FLOOR x the model.
 * The floor is loose on purpose: over 12,000 seeds (docs/swarm.md) the
 * stack's transfers fall off smoothly to 0.021 x the model (reordering
 * taken for loss by senders without RACK), and a stall sits among them. */
#define SWARM_GOODPUT_MIN_BYTES 65536u
#define SWARM_GOODPUT_FLOOR 0.015
#define SWARM_MAX_MEASURED 48  /* two directions of each connection */

/* How a side's outcome was judged (sim/swarm.c judge()): each by what
 * happened to its own connection. */
enum swarm_verdict {
	SWARM_V_CLEAN,             /* every byte and EOF, no error */
	SWARM_V_OWN_LINGER,        /* ETIMEDOUT: its SO_LINGER time ran out */
	SWARM_V_TIMEOUT_LOSS,      /* ETIMEDOUT: packets lost since it last heard the peer */
	SWARM_V_TIMEOUT_PEER_GONE, /* ETIMEDOUT: the peer's TCB gave up or was never made */
	SWARM_V_TIMEOUT_PEER_PAUSED, /* ETIMEDOUT: its peer's process (or its own) paused */
	SWARM_V_LISTENER_CLOSED,   /* refused or reset: its listener closed */
	SWARM_V_PEER_HOST_REFUSED, /* refused (or reset, its handshake's end dropped at a
	                            * limit): no port, a limit, a full queue at the peer */
	SWARM_V_PEER_APP_ABORT,    /* reset: the peer's application aborted */
	SWARM_V_PEER_GAVE_UP,      /* reset: the peer's TCB timed out, or its host had none */
	SWARM_V_ICMP,              /* an ICMP error ended it */
	SWARM_V_OWN_LIMIT,         /* its own call failed on its host's limit */
	SWARM_V_BY_PLAN,           /* short: a side stopped reading or aborted on purpose */
	SWARM_V_PEER_FAILED,       /* short: the peer's side failed (judged itself) */
	SWARM_V_NEVER_ACCEPTED,    /* the server never had it: listener closed, dropped, lost */
	SWARM_V_HALF_OPEN_CLOSED,  /* a half-open side closed by the application's timeout
	                            * (its outcome, whatever its peer's: judge()) */
	SWARM_V_SLIVER_WINDOW,     /* short: closed by the application's timeout behind a
	                            * Linux receiver's window under one segment */
	SWARM_V_REASS_FULL,        /* short: closed by the application's timeout, a FreeBSD
	                            * receiver's reassembly queue full before a sender
	                            * backed off without SACK or timestamps (reass_full()) */
	SWARM_V_TS_DISAGREE,       /* short: closed by the application's timeout, its peer's
	                            * TCB without the timestamps it holds to */
	SWARM_V_OLD_TCB_RESET,     /* ETIMEDOUT in SYN_SENT: its last SYN met an older
	                            * connection's TCB on the tuple, whose ACK it reset,
	                            * and its retries ran out before another SYN */
	SWARM_V_OLD_TCB_LOST,      /* ETIMEDOUT in SYN_SENT: the answer an older connection's
	                            * TCB on the tuple gave its last SYN was lost, so it
	                            * never reset that TCB */
	SWARM_V_TIMEOUT_IN_FLIGHT, /* ETIMEDOUT: nothing lost, its packets (or the peer's
	                            * answers) still on the links when its TCB ended */
	SWARM_V_WL1_BEYOND,        /* short: closed by the application's timeout, its Linux
	                            * peer's send window stale, SND.WL1 beyond every SEQ
	                            * it sends (wl1_beyond()) */
	SWARM_V_LOWAT_TRICKLE,     /* short: closed by the application's timeout, its FreeBSD
	                            * sender's buffer no larger than its send low-water
	                            * mark, one small write per round trip (lowat_trickle()) */
	SWARM_V_BLIND_RESET,       /* reset: RFC 5961 off, a hostile SYN or RST in its window
	                            * ended its TCB as RFC 793 has it */
	SWARM_V_COOKIE_AFTER_RST,  /* half-open, closed by the application's timeout: a SYN
	                            * cookie built its TCB after every RST of its peer's
	                            * had reached its host, as both kernels do
	                            * (cookie_after_rst()) */
	SWARM_V_COOKIE_AFTER_OWN_RST, /* reset: its host's listener had reset the peer
	                            * (segments ahead of the handshake's last ACK failed
	                            * the cookie), then the cookie built its TCB, which
	                            * the peer's host reset (cookie_after_own_rst()) */
	SWARM_V_REUSE_UNSTARTED,   /* short: never started, waiting for the earlier
	                            * connection on its tuple, a side of which the
	                            * application's timeout closed (half-open, or by a
	                            * rule above) at the run's end (rule_closed_earlier()) */
	SWARM_V_NO_PROGRESS,       /* ETIMEDOUT: its FreeBSD host's maxunacktime (plan 11)
	                            * dropped it, SND.UNA unmoved at least that long
	                            * (TcpProgDrops; no_progress_ok()) */
	SWARM_V_HOSTILE_SIMOPEN,   /* refused or reset in SYN_RECEIVED: a hostile bare SYN
	                            * reached it in SYN_SENT, a simultaneous open with the
	                            * attacker, whose SYN-ACK the peer's host reset */
	SWARM_V_TIMEOUT_REFUSED,   /* ETIMEDOUT: nothing lost on the links, but a packet of
	                            * its tuple (its own or the peer's host's, a request
	                            * socket's or SYN cookie's SYN-ACK too) refused by the
	                            * sending host's device since it last heard the peer
	                            * (au_side.refused: out_settle()) */
	SWARM_V_UNEXPLAINED,       /* fails the seed */
	SWARM_V_COUNT
};
const char *swarm_verdict_name(int v);

/* What `glasstcp swarm --list-verdicts` prints (issue 15: every rule that
 * excuses a side, pinned by a kept seed): each side judged other than
 * clean, and each measured transfer whose model a Linux receiver's kept
 * sliver lowered (path_of(); not a verdict, but a rule that excuses a
 * slow transfer all the same). At most SWARM_MAX_LISTED a seed, the rest
 * counted in swarm_result.listed_over: room for both sides of the most
 * connections a seed makes and every measured transfer (sim/swarm.c
 * asserts it), so none is left out. */
#define SWARM_MAX_LISTED 560
#define SWARM_LISTED_KEPT_SLIVER SWARM_V_COUNT /* swarm_listed.what beyond the verdicts */
struct swarm_listed {
	uint16_t conn;         /* its index, as --verbose names it */
	uint8_t client;        /* 1: the client side; 0: the server (the receiver for a sliver) */
	uint8_t what;          /* enum swarm_verdict, or SWARM_LISTED_KEPT_SLIVER */
	uint8_t half_open;     /* enum swarm_half_open_rule: a side closed half-open, else 0 */
};
/* swarm_verdict_name(), and "kept-sliver" for SWARM_LISTED_KEPT_SLIVER. */
const char *swarm_listed_name(int what);

/* The rule of half_open_unexplained() (sim/swarm.c liveness()) that
 * explained a side closed half-open by the application's timeout: why
 * it never heard that its peer's TCB had ended, or never began. Counted
 * (swarm_result.half_open_by) and listed (`--list-verdicts`: "half-open:
 * seed S plan P conn C client|server RULE"), so a kept seed's test can
 * require the rule it was kept for and a range can be searched for one
 * (issue 15: seeds 97300635 and 97808341 had stopped reaching theirs
 * unseen). */
enum swarm_half_open_rule {
	SWARM_HO_NONE,              /* not closed half-open */
	SWARM_HO_NO_PEER_TCB,       /* the peer never had a TCB: its listener closed, or its
	                             * packets lost, or it heard this side's and dropped them */
	SWARM_HO_OWN_REFUSED,       /* the peer never had a TCB, and only this side's host's
	                             * device refusing its packets says why (seed 97600276) */
	SWARM_HO_COOKIE_AFTER_RST,  /* a SYN cookie rebuilt it after the peer's RST (cookie_after_rst()) */
	SWARM_HO_BLIND_RESET,       /* a blind attacker's RST or SYN ended the peer */
	SWARM_HO_CHALLENGE_REFUSED, /* the peer's answers to this side's challenge ACK refused at its
	                             * host's device (seed 97808341's rule) */
	/* The peer's RSTs, each by its fate (rst_fates(); until session 37 one
	 * rule, rst-not-taken, that any loss on the connection excused): */
	SWARM_HO_RST_LOST,          /* every one lost on the way */
	SWARM_HO_RST_OUT_OF_WINDOW, /* those that arrived outside the window, the rest lost */
	SWARM_HO_RST_CHALLENGE_LOST, /* one in the window drew a challenge ACK the link lost */
	SWARM_HO_RST_CHALLENGE_HELD, /* one in the window, its challenge ACK rate-limited */
	SWARM_HO_RESET_FIRST,       /* the peer reset by this side's host before this side's TCB */
	SWARM_HO_RST_REFUSED,       /* the peer's RST refused at its host's device (seed 97300635's) */
	SWARM_HO_SILENT,            /* the peer ended where TCP is silent, or on a lossy path */
	SWARM_HO_COUNT
};
const char *swarm_half_open_rule_name(int rule);

/* What a seed's workload did beyond the stacks' own counters: the input
 * space issue 15 lists, counted per seed for the coverage table. */
#define SWARM_DIMS(X)                                                               \
	X(ShutRd, "shutdown(SHUT_RD) on a live connection")                         \
	X(MaxSeg, "TCP_MAXSEG set before connect() or listen()")                    \
	X(QuickAck, "TCP_QUICKACK set")                                             \
	X(Linger2, "TCP_LINGER2 set")                                               \
	X(Congestion, "TCP_CONGESTION changed")                                     \
	X(ConfigChange, "a stack's configuration changed at run time")              \
	X(InputBatch, "packets delivered through gt_stack_input_batch()")           \
	X(MultiBitCorrupt, "packets with several bits flipped")                     \
	X(HostileSeg, "hostile segments injected (blind RST/SYN/data, bad options)") \
	X(IcmpSent, "ICMP errors injected (unreachable, frag needed)")              \
	X(Icmp6Sent, "ICMPv6 errors injected (unreachable, Packet Too Big)")       \
	X(Inject6, "hostile segments, SYN floods, odd packets injected over IPv6")  \
	X(PmtuChange, "a link MTU lowered while connections ran")                   \
	X(ProcessPause, "a host not polled for minutes")                            \
	X(LongIdle, "an idle period of hours or days")                              \
	X(LongPartition, "a partition long enough to abort on timeout")             \
	X(WrapIsn, "ISNs and timestamp offsets near 2^32")                          \
	X(SynFlood, "a SYN flood at a listener")                                    \
	X(TwReuse, "a connect() reusing a tuple in TIME_WAIT")                      \
	X(LowLimits, "stack limits set low enough to hit")                          \
	X(ManyConns, "a hundred connections or more on a host")                    \
	X(Ecn, "hosts that ask for ECN, paths that mark CE")                       \
	X(Frag, "fragmented datagrams: whole, overlapping, past the limit, expiring") \
	X(AccEcn, "FreeBSD hosts that offer or accept AccECN (ecn 3 or 4)")         \
	X(PmtudBlackhole, "FreeBSD hosts with PMTU black-hole detection, paths that black-hole") \
	X(ReassNone, "FreeBSD hosts with reass.maxqueuelen 0: nothing out of order queued") \
	X(SynCookies, "hosts that answer every SYN with a SYN cookie (syncookies 2)") \
	X(DelaySpike, "a link's delay raised by seconds for a moment, nothing lost")   \
	X(EstabPartition, "a pair partitioned past every retry during a transfer")   \
	X(TfoServer, "plan 6's probe: a TFO listener, crafted cookie SYNs (Linux)")  \
	X(DeferAccept, "plan 6's probe: TCP_DEFER_ACCEPT and a bare handshake ACK")  \
	X(Md5, "plan 6's probe: TCP-MD5 keys and SYNs unsigned, wrong, right")      \
	X(PortRange, "plan 6's probe: connect() past a one-port IP_LOCAL_PORT_RANGE") \
	X(MsgEor, "plan 6: sides whose writes end records (MSG_EOR)")                \
	X(SimOpen, "plan 6's probe: a simultaneous open, a second SYN (FreeBSD)")      \
	X(Misaddressed, "plan 6's probe: an IPv4 datagram for an address not the host's") \
	X(UdpTun, "plan 6's probe: TCP over UDP to a FreeBSD host's tunneling port") \
	X(SynQueueFull, "plan 6's probe: a SYN past a backlog of 1, syncookies 0 (Linux)") \
	X(TfoClient, "plan 7: connections opened with TFO (sendto, TCP_FASTOPEN_CONNECT)") \
	X(TfoCache, "plan 7's probe: TFO cookie requests to 34 addresses, past the cache (Linux)") \
	X(DevRefuse, "plan 8: a host's device refusing packets (queue full) for a while") \
	X(DevRefuseAll, "plan 8: such a window that refuses every packet")           \
	X(Disconnect, "plan 8: connect(AF_UNSPEC): Linux's disconnect, FreeBSD's refusal") \
	X(Zerocopy, "plan 8: MSG_ZEROCOPY senders, completions read (Linux); FreeBSD's refusal") \
	X(PmtuReuse, "plan 8: a connect() to a destination with a path MTU learnt") \
	X(TxStamps, "plan 9: SO_TIMESTAMPING senders, stamps read and checked (Linux)") \
	X(TxStampsLazy, "plan 9: ...whose error queue is read only at the close")     \
	X(PmtuEvict, "plan 9's probe: fragmentation needed for each TFO cookie SYN") \
	X(MtuProbing, "plan 10: Linux hosts with tcp_mtu_probing 1 or 2, some behind black holes") \
	X(TfoServerBsd, "plan 10: FreeBSD TFO listeners (fastopen.server_enable), some with no key") \
	X(TfoBsdProbe, "plan 10's probe: a FreeBSD TFO listener, crafted cookie SYNs") \
	X(AccEcnSynMarked, "plan 10's probe: AccECN SYNs marked ECT(0), ECT(1), CE (FreeBSD)") \
	X(PmtuDont, "plan 10: Linux IPv4 clients with IP_MTU_DISCOVER DONT")        \
	X(MaxUnack, "plan 11: FreeBSD hosts with net.inet.tcp.maxunacktime set")    \
	X(RcvBufCut, "plan 11: Linux servers that lower SO_RCVBUF once accepted")  \
	X(HeldPastFin, "plan 11: data one past a client's last byte, held before its FIN") \
	X(MemPressure, "plan 13: a cut Linux server's host, its buffer budget lowered a while") \
	X(MaxOrphans, "plan 13: Linux low-limit hosts with net.ipv4.tcp_max_orphans 0-3") \
	X(DevDown, "plan 14: a host's device down a while, its writes failing EIO")

enum swarm_dim {
#define SWARM_DIM_ENUM(name, desc) SWARM_D_##name,
	SWARM_DIMS(SWARM_DIM_ENUM)
#undef SWARM_DIM_ENUM
	SWARM_D_COUNT
};
const char *swarm_dim_name(int d);

/* A stack bug planted on purpose, so that tests see the checks fail. */
enum swarm_fault {
	SWARM_FAULT_NONE,
	/* One established TCB freed without an RST (ECONNRESET to its own
	 * application only), as a stack that forgets to reset would. */
	SWARM_FAULT_SILENT_FREE,
	/* Every server side answers each pure ACK it receives with one. */
	SWARM_FAULT_ACK_ANSWER,
	/* A trickle's client (lowat-trickle) never told its socket is
	 * writable again once 1,000 bytes have gone: the trickle stops, and
	 * lowat_trickle() must not excuse it. */
	SWARM_FAULT_TRICKLE_STALL,
	/* A stamping side's error queue (plan 9) gives the first stamp it
	 * reads twice, as a stack that stamped a mark's kind again would:
	 * ts_drain() must fail naming the side. */
	SWARM_FAULT_STAMP_REPEAT,
	/* A FreeBSD host with maxunacktime (plan 11) whose stack drops for
	 * no progress after a quarter of the time the swarm set: judge()'s
	 * no-progress rule must not excuse the drop (no_progress_ok()). */
	SWARM_FAULT_PROGDROP_EARLY,
};

/* The plan's version: what a seed draws and injects. A change that makes
 * a seed draw or inject anything it did not before (a new dimension, a
 * new injector, another chance or range) bumps it, draws from a stream or
 * hash of its own (seed_coin(), not rnd() or xrnd(), whose later draws it
 * would shift) and acts only where w->plan is at least the new version. A
 * seed kept as a test names the version it failed at (swarm_opts.plan),
 * so it draws the network, workload and injections of its failure bit for
 * bit whatever was added since; what the stacks do with them still
 * changes with the core (docs/swarm.md). Version 1: everything up to
 * issue 15's second stop. Version 2: fragments reassembled, overlapping,
 * past the limit and expiring (frag_how()); AccECN on FreeBSD hosts.
 * Version 3: PMTU black-hole detection on FreeBSD hosts, paths out of them
 * that black-hole packets over 1,280 bytes until the heal (black_holes());
 * reass.maxqueuelen 0 on a quarter of the low-limit FreeBSD hosts.
 * Version 4: a FreeBSD application that corks clears TCP_NOPUSH after each
 * burst it wrote (side_write()); nothing new is drawn, but the course of
 * every seed with such an application moves.
 * Version 5: a delay spike on a third of the random seeds (the ACK path
 * of the largest connection's sender, quiet of loss and reordering, held
 * 1-3 s for three round trips of its flight, half of them with the
 * sender's timestamps off: what Eifel and F-RTO find spurious,
 * delay_spike()) and, on a tenth, a partition of the largest
 * connection's pair just after its handshake for 1,000-1,200 s, past
 * every host's retransmissions (estab_partition()): TcpSpuriousRTOs and
 * TcpAbortOnTimeout each get a dimension that meets them (DelaySpike,
 * EstabPartition; docs/swarm.md). Shapes draw neither.
 * Version 6: in one random seed in three, a probe on one host with the
 * profile's limits: listeners of its own visited by SYNs the application
 * node crafts (TFO cookies, TCP_DEFER_ACCEPT, TCP-MD5 signatures) and a
 * connect() past a one-port range, a simultaneous open, TCP over UDP, a
 * full SYN queue without cookies (inject_probe()); MSG_EOR on one side
 * in ten (plan_probe()). Shapes draw neither.
 * Version 7: in one random seed in three, TCP Fast Open in the workload
 * (plan_tfo()): the Linux hosts' listeners get a TFO queue
 * (TCP_FASTOPEN, net.ipv4.tcp_fastopen's server bit), and most of the
 * connections to them open with TFO: a Linux client by sendto() with
 * MSG_FASTOPEN or TCP_FASTOPEN_CONNECT and a write, a FreeBSD client by
 * TCP_FASTOPEN and sendto(); the cookie cache of each client carries a
 * cookie from one connection to the next between the same addresses.
 * Shapes draw none.
 * Version 8: in random seeds, from a hash of its own (plan8_hash()):
 * device-refusal windows on hosts (gt_sim_refuse_host(), short and long,
 * some refusing all), aborts by connect(AF_UNSPEC) on a third of the
 * aborting sides (Linux's tcp_disconnect(); FreeBSD's refusal checked),
 * MSG_ZEROCOPY senders on Linux hosts whose completions the application
 * reads and checks (plan_dev_sock()). Shapes draw none.
 * Version 9 (issue 15's counters no plan reached), from a hash of its own
 * (plan9_hash()): one side in five that writes on a Linux host and sends
 * without MSG_ZEROCOPY stamps its writes (SO_TIMESTAMPING: TX_SCHED,
 * TX_SOFTWARE, TX_ACK under OPT_ID), half of them reading the error
 * queue only at the close, past its 32 entries (TcpErrqueueDrops;
 * ts_drain() checks every stamp read); and where plan 7's probe asks
 * SW_TFO_NODES addresses for TFO cookies, at one in two a router answers
 * each first SYN with fragmentation needed (the cache of GT_PMTU_CACHE
 * path MTUs overflows: IpPmtuCacheEvicted; probe_tfo_synack()). Shapes
 * draw none.
 * Version 10 (issue 15's counters plan 9 left at zero), from a hash of
 * its own (plan10_hash()): Linux MTU probing (tcp_mtu_probing 1 or 2) on
 * a third of the Linux hosts, whose paths out may black-hole as plan 3's
 * FreeBSD ones (black_holes()); FreeBSD TFO listeners where plan 7 gives
 * Linux ones a TFO queue (plan_tfo(), server_enable, a quarter of the
 * hosts with no key); one Linux IPv4 client in five with
 * IP_MTU_DISCOVER DONT; and where the probe opens on a FreeBSD host, a
 * TFO listener of its own with crafted cookie SYNs (probe_tfo_bsd()) and,
 * on an AccECN host, AccECN SYNs marked ECT(0), ECT(1) and CE. Shapes
 * draw none.
 * Version 11 (issue 15's counters plan 10 left at zero), from a hash of
 * its own (plan11_hash()): FreeBSD's net.inet.tcp.maxunacktime on a
 * third of the FreeBSD hosts (TcpProgDrops, judged by the no-progress
 * rule), and one Linux server in six that lowers SO_RCVBUF under the
 * window it offered once accepted (TcpRcvRingWhole), and in a seed in
 * four held-past-fin's attacker on one connection (inject_held():
 * TcpReassFinBeforeEnd, TcpOfoPurgedAtFin). Shapes draw none.
 * Version 12 (issue 15's counters plan 11 left at zero), from a hash of
 * its own (plan12_hash()): in one seed in two with a host whose device
 * refuses packets (plan 8), UDP over IPv6 to the first such host a
 * quarter into its window, each datagram answered by an ICMPv6 error the
 * device may refuse (plan_refused6(): Icmp6OutErrors). Shapes draw
 * none.
 * Version 13 (issue 15's TcpRcvRingWholeRefused), from a hash of its own
 * (plan13_hash()): at one in two of plan 11's SO_RCVBUF cuts, the
 * server's host under memory pressure for 0.5-4 s, its buffer budget
 * lowered to one to one and a half of the client's segments
 * (pressure_start()): a full segment taken whole into the cut ring is
 * refused past half the budget; and net.ipv4.tcp_max_orphans 0-3 on one
 * low-limit Linux host in two (TcpAbortOnMemory). Shapes draw none.
 * Version 14 (issue 15's IpOutDiscards), from a hash of its own
 * (plan14_hash()): in one seed in three, one host's device goes down for
 * 50-800 ms (an interface set down: gt_sim_down_host(), a TUN write
 * failing EIO), its packets out counted in IpOutDiscards and lost, and
 * nothing reaching it (plan_dev_down()). Shapes draw none. */
#define SWARM_PLAN 14

/* A workload shape asked for (`glasstcp swarm --workload NAME`, issue 15:
 * a kept seed for every verdict that excuses a side): the seed draws its
 * network, workload and injections as a random seed does, then the shape
 * adds what makes one rare event happen, from hashes of the seed of its
 * own (so the random draws stay as they were). A seed kept with a shape
 * names it as it names its plan version. SWARM_W_RANDOM adds nothing.
 *   blind-reset  RFC 5961 off on every host, and a blind attacker whose
 *                RST lands in a live TCB's receive window (RCV.NXT plus
 *                a random offset under RCV.WND: the guess that 1 in
 *                2^32 / RCV.WND random RSTs makes), on a host not
 *                paused, up to 6 tries until one finds a synchronized
 *                TCB (inject_blind()).
 *   lowat-trickle  every host FreeBSD, and the seed's first connection
 *                that neither takes another's tuple nor has its own
 *                taken, on whatever path, made a trickle: its client
 *                writes 200,000 bytes a byte at a time through an
 *                SO_SNDBUF of 1,024 (under the send low-water mark, so
 *                one write per round trip and delayed ACK), with no
 *                pause, think, idle or cork, and both sides close
 *                gracefully (shape_lowat_trickle()).
 *   old-tcb-reset  every host Linux with one SYN retry and one ephemeral
 *                port, two connections on one tuple and timed partitions:
 *                the second's last SYN meets the first's SYN-RECEIVED TCB,
 *                which it resets, and its connect times out
 *                (shape_old_tcb_reset()).
 *   kept-sliver  every host Linux, and one connection's server a listener
 *                with TCP_MAXSEG 88 and SO_RCVBUF 8,192 whose accept()
 *                waits while the client's 100,000 bytes fill its queue:
 *                the window is clamped to two 76-byte segments, which it
 *                keeps to the end, and the measured transfer's model is
 *                lowered to it (a `kept-sliver` line; shape_kept_sliver()).
 *   late-cookie  SYN cookies for every SYN, one connection whose client
 *                writes a byte and aborts at once: its handshake ACK
 *                rebuilds the server from the cookie after every
 *                connection finished, and the work resumes during the heal
 *                (swarm_result.work_resumed); where its RST arrived first
 *                on the jittered link, or between the ACK and the byte,
 *                the server is half-open until the resumed work's
 *                liveness closes it (shape_late_cookie()).
 *   persist-floor  every host FreeBSD, and one connection's server sets
 *                SO_RCVBUF to half a segment once accepted, after a
 *                SYN-ACK that offered the profile's buffer: the client
 *                holds each window under half the largest it was
 *                offered until its persist timer fires, 5 s a round,
 *                the wait path_of()'s persist floor models
 *                (shape_persist_floor()).
 *   held-past-fin  every host FreeBSD, one connection, and an attacker who
 *                knows its sequence space puts data in the server's
 *                window one byte past the client's last: FreeBSD's
 *                tcp_reass() drops each FIN that ends before it
 *                (TcpReassFinBeforeEnd) until the client gives up
 *                (shape_held_past_fin(), inject_held()).
 *   held-past-fin-linux  the same with every host Linux: the FIN is taken
 *                at RCV.NXT and the data held past it dropped, as
 *                Linux's tcp_fin() does (TcpOfoPurgedAtFin); before
 *                that was modelled RCV.NXT landed on a range still held
 *                and tcp_conn_assert() aborted every seed.
 *   old-tcb-lost  old-tcb-reset's hosts and connections, but every SYN of
 *                the second connection reaches the first's SYN-RECEIVED
 *                TCB and every ACK it answers with is lost on the way back
 *                (that direction down 0.49-6.9 s): the client never resets
 *                the old TCB and its connect times out
 *                (shape_old_tcb_lost()).
 *   reuse-half-open  every host FreeBSD with the profile's limits, three
 *                connections: lowat-trickle's trickle, which keeps the
 *                work loop's rounds moving to the last; one whose client
 *                writes a byte and aborts with its RST lost to a short
 *                partition, its server half-open until the last round's
 *                liveness closes it; and one on that one's tuple, which
 *                then never starts: reuse-unstarted
 *                (shape_reuse_half_open()).
 *   own-refused  SYN cookies for every SYN (late-cookie's hosts), one
 *                connection whose client has nothing to send, on a path
 *                that loses nothing, and its host's device refusing every
 *                packet around the SYN-ACK's arrival: its handshake ACK
 *                never leaves, the listener keeps no state, and the client
 *                waits in ESTABLISHED: half-open by own-refused
 *                (shape_own_refused()). */
enum swarm_workload {
	SWARM_W_RANDOM,
	SWARM_W_BLIND_RESET,
	SWARM_W_LOWAT_TRICKLE,
	SWARM_W_OLD_TCB_RESET,
	SWARM_W_KEPT_SLIVER,
	SWARM_W_LATE_COOKIE,
	SWARM_W_PERSIST_FLOOR,
	SWARM_W_HELD_PAST_FIN,
	SWARM_W_HELD_PAST_FIN_LX,
	SWARM_W_OLD_TCB_LOST,
	SWARM_W_REUSE_HALF_OPEN,
	SWARM_W_OWN_REFUSED,
	SWARM_W_COUNT
};
/* "random", "blind-reset", "lowat-trickle", "old-tcb-reset",
 * "kept-sliver", "late-cookie", "persist-floor", "held-past-fin",
 * "held-past-fin-linux", "old-tcb-lost", "reuse-half-open", "own-refused"; NULL
 * past the end. */
const char *swarm_workload_name(int wl);

/* The hosts' profiles (`glasstcp swarm --profile NAME`): mixed, each host
 * drawing Linux or FreeBSD by an even coin (the default, whose draws and
 * digests are those of every run before the option); linux or freebsd,
 * every host that profile. The coin is drawn either way, so the seed's
 * other draws stay where they were and only the profile changes. A shape
 * that sets every host's profile itself (lowat-trickle: FreeBSD) runs
 * only with mixed or its own (swarm_workload_profile()). */
enum swarm_profile {
	SWARM_P_MIXED,
	SWARM_P_LINUX,
	SWARM_P_FREEBSD,
	SWARM_P_COUNT
};
/* "mixed", "linux", "freebsd"; NULL past the end. */
const char *swarm_profile_name(int p);
/* The profile a shape gives every host, or SWARM_P_MIXED where it leaves
 * the hosts to the seed. */
enum swarm_profile swarm_workload_profile(enum swarm_workload wl);

struct swarm_opts {
	FILE *trace;           /* every app action, state change and segment; or NULL */
	FILE *goodput_log;     /* a line per measured transfer; or NULL */
	/* Fail a transfer below floor x its model; 0: SWARM_GOODPUT_FLOOR;
	 * below 0: measure, never fail. */
	double goodput_floor;
	enum swarm_fault fault;
	uint32_t plan;         /* 1..SWARM_PLAN; 0: SWARM_PLAN */
	enum swarm_workload workload; /* a shape asked for; SWARM_W_RANDOM: none */
	enum swarm_profile profile;   /* every host's; SWARM_P_MIXED: drawn */
	/* Fill swarm_result.digest: a hash of every packet's fate (time,
	 * hosts, bytes) and the end-of-seed counters, so that a change meant
	 * to alter nothing (a speed-up) can be shown to (`swarm --digest`). */
	bool digest;
	/* Linux hosts with their timers off Linux's timer wheel
	 * (cfg.timer_wheel false), as the Linux profile ran them before
	 * session 34: to replay a seed found then whose course hangs on a
	 * timer's exact deadline (tests/scenario/test_swarm_seeds2.c). */
	bool exact_timers;
};

struct swarm_result {
	bool ok;
	uint32_t plan;         /* the plan version it ran */
	enum swarm_workload workload; /* the shape it was asked for */
	enum swarm_profile profile;   /* the hosts' profiles it was asked for */
	char why[512];         /* the first failure */
	uint64_t fail_at_us;   /* virtual time of the failure */
	uint32_t hosts, conns;
	uint32_t conns_clean;  /* every byte both ways, EOF both ways, no error */
	uint32_t conns_reset;  /* ended by an error on either side (RST, timeout) */
	uint32_t half_open;    /* peer gone, nothing to send: closed by the app's timeout */
	uint32_t half_open_by[SWARM_HO_COUNT]; /* those, by the rule that explained each */
	uint32_t work_resumed; /* a finished connection back during the heal: work again */
	uint16_t resumed_conn; /* the first one back (work_resumed > 0) */
	uint32_t verdicts[SWARM_V_COUNT]; /* sides judged, by verdict */
	uint32_t dims[SWARM_D_COUNT];     /* what the workload did, by dimension */
	/* Sides judged other than clean and transfers the kept sliver
	 * excused, in the order judged (--list-verdicts). */
	struct swarm_listed listed[SWARM_MAX_LISTED];
	uint32_t nlisted, listed_over;
	uint32_t kept_slivers;            /* measured transfers whose model a kept sliver lowered */
	bool fault_planted;               /* opts.fault found a place to act */
	uint64_t injected;                /* packets the swarm put on the wire itself */
	/* Segments the audit found its stacks' devices refused (-ENOBUFS:
	 * IpOutQueueFull) or discarded (plan 14's device down: IpOutDiscards,
	 * Ip6OutDiscards), and on its tuple's side where one is (out_settle()). */
	uint64_t out_refused, out_discarded;
	uint64_t events;       /* simulator events */
	uint64_t bytes;        /* bytes delivered, all connections */
	uint64_t heal_us;      /* when the network healed */
	uint64_t finish_us;    /* when every connection had finished */
	uint64_t end_us;       /* when every stack was empty */
	/* Every host's counters, summed: what the seed exercised. */
	struct gt_stats stats;
	/* Goodput: measured / model of each transfer measured, in order. */
	uint32_t measured;
	float ratio[SWARM_MAX_MEASURED];
	uint64_t digest;       /* swarm_opts.digest: see there; else 0 */
};

/* The simulator events a seed may take once its full TCBs have lived
 * tcb_us TCB-microseconds of simulated time in all (every host's, summed):
 * a base no workload needs, and a few a second for each TCB, which a
 * storm or a livelock outruns and timers alone never reach (sim/swarm.c,
 * SW_EVENTS_BASE; docs/swarm.md). */
uint64_t swarm_event_budget(uint64_t tcb_us);

/* Runs one seed; fills *r. Returns r->ok. */
bool swarm_run(uint64_t seed, const struct swarm_opts *o, struct swarm_result *r);

/* Places in a run of timeouts the goodput model tells apart: by the
 * 15th a 200 ms floor has long passed Linux's 120-s ceiling. */
#define SWARM_KARN_PLACES 16

/* One direction of a connection, as the goodput model sees it. */
struct swarm_path {
	double rtt_s;          /* both delays, mean jitter, one packet's serialisation */
	double one_way_s;      /* sender to receiver */
	/* Of data segments (loss, corruption), and of a window's every ACK;
	 * never reordering. */
	double loss;
	double bw_Bps;         /* payload bytes/s the link gives this transfer; 0: no limit */
	double ack_bw_Bps;     /* payload bytes/s the ACK path can clock; 0: no limit */
	double wnd_bytes;      /* least of the receiver's largest window, the sender's buffer */
	/* Timer wait per window when it holds under two segments: the
	 * receiver's delayed ACK, and the sender's cork limit if it corks. */
	double wait_s;
	/* Timer wait of the last partial segment: the cork limit if the
	 * sender corks, else the receiver's delayed ACK if Nagle holds it. */
	double tail_s;
	double mss_bytes;
	double rto_s;          /* the sender's RTO floor: Padhye's T0 */
	double iw_bytes;       /* initial congestion window */
	/* Timeouts whose backoff Karn's rule held (RFC 6298 3: no RTT
	 * sample from a retransmitted segment; 5.5: each timeout doubles
	 * the RTO, which only a sample brings down), by their place in a run
	 * of timeouts with no RTT sample between them: karn_rtos[i] waited
	 * T0 2^i (the last place counts i >= SWARM_KARN_PLACES - 1), up to
	 * rto_max_s. All 0: Padhye's, each run starting again at T0. */
	uint32_t karn_rtos[SWARM_KARN_PLACES];
	double rto_max_s;      /* the backed-off RTO's ceiling */
};

struct swarm_model {
	double rate_Bps;       /* the steady bound: least of bandwidth, ACK path, window, loss */
	/* Which: "bandwidth", "ack-path", "window", "loss" (the Mathis term
	 * rules) or "loss+timeouts" (Padhye's timeout term does). */
	const char *limit;
	double time_s;         /* slow start, then the steady rate, then one way */
	double karn_s;         /* of it, what karn_rtos waited beyond T0 each */
	uint32_t karn_n;       /* how many karn_rtos */
	double goodput_Bps;    /* bytes / time_s */
};

/* The goodput a transfer of `bytes` can expect on path p (sim/swarm_model.c). */
void swarm_goodput_model(const struct swarm_path *p, double bytes, struct swarm_model *m);

#endif
