/* pktrun: runs scripts in the packetdrill language against a glasstcp stack,
 * in this process, on virtual time (one script, one fresh stack), or with
 * .kernel against the Linux kernel's TCP on real time (one script, one
 * fresh network namespace and TUN device), judged by the same comparator. */
#ifndef GT_PKTRUN_H
#define GT_PKTRUN_H

#include <stdbool.h>
#include <stdio.h>

#include <glasstcp/stack.h>

enum pk_verdict {
	PK_PASS = 0,
	PK_FAIL = 1,
	PK_UNSUPPORTED = 2,
	PK_ERROR = 3, /* the script could not be read or parsed */
	PK_SKIP = 4,  /* not run: the kernel back-end lacks root or a TUN device */
};

/* --ip_version: what the script's packets and socket are (google/
 * packetdrill's three, config.c's table: socket domain, the addresses
 * bind/connect/accept see, the packets on the wire). */
enum pk_ipver {
	PK_IPV4 = 0,    /* ipv4 (the default): AF_INET, IPv4 packets */
	PK_IPV6,        /* ipv6: AF_INET6, IPv6 packets */
	PK_IPV4_MAPPED, /* ipv4-mapped-ipv6: AF_INET6 socket, IPv4 packets */
};
#define PK_IPVER_BIT(v) (1u << (v))
/* packetdrill's names for v (ipv4, ipv6, ipv4-mapped-ipv6); false for
 * another. pk_ipver_name() is the first of them. */
bool pk_ipver_from_name(const char *name, enum pk_ipver *out);
const char *pk_ipver_name(enum pk_ipver v);

/* The device MTU a script that sets no --mtu runs with when pktrun's
 * --ip-version made it IPv6: google/packetdrill's run_all.py runs every
 * script in ipv6 with --mtu=1520, 20 bytes over the tun device's 1500
 * (TUN_DRIVER_DEFAULT_MTU), so that the IPv6 header's extra 20 leave the
 * MSS IPv4's 1460 and a script written address-free sees the same sizes. */
#define PK_IPV6_MODE_MTU 1520

struct pk_options {
	/* The project's rules (its own scripts): outbound segments are never
	 * joined, every packet must be read by a '>' line, one of another
	 * 4-tuple fails, and relative times move only after '~' and '*'
	 * packets, only later. Without it, packetdrill's: a packet is read
	 * only for a '>' line, another socket's passed over, relative times
	 * count from when the packet before came (docs/conformance.md, "How
	 * pktrun reads outbound packets"). */
	bool strict;
	bool profile_set;       /* else chosen from the script */
	enum gt_profile profile;
	FILE *log;              /* verbose trace of the run, or NULL */
	bool kernel;            /* run against the Linux kernel, not glasstcp */
	/* The window scale glasstcp offers, in place of the profile's or the
	 * one a script's tcp_rmem derives (--wscale): for suites written
	 * against kernels whose buffer limits gave another (the nplab
	 * snapshot of Google's 2013 tests: 6). Never for --kernel. */
	bool wscale_set;
	uint8_t wscale;
	/* --kernel (and --jitter): the least tolerance a script's packets are
	 * judged with on their late side, in us (--kernel-tolerance; 0 =
	 * PK_KERNEL_TOLERANCE_US); the early side keeps the script's own. */
	int64_t kernel_tolerance_us;
	/* --ts-tick-us: the TS clock's tick a script that sets no
	 * --tcp_ts_tick_usecs of its own is judged with (packetdrill's
	 * default, 0, leaves outbound TS vals unchecked); a script's own,
	 * 0 included, stands. */
	bool ts_tick_set;
	int64_t ts_tick_us;
	/* --tolerance_usecs=N: packetdrill's command-line tolerance, the one a
	 * script that sets no --tolerance_usecs of its own is judged with
	 * (gVisor's packetdrill_test.sh runs its suite so, 100000); a
	 * script's own line stands, as in packetdrill. */
	bool tolerance_set;
	int64_t tolerance_us;
	/* --kernel, for tests of the runner itself: before the event of
	 * script line stall_line the runner sleeps stall_us more, as a
	 * machine that does not schedule it would make it late. */
	int stall_line;
	int64_t stall_us;
	/* --kernel, for tests of the runner itself: from script time
	 * pause_at_us the whole runner process is stopped (SIGSTOP, from a
	 * helper process) for pause_us, as a pause of the machine stops it:
	 * the kernel goes on, what it sends meanwhile is read when the runner
	 * resumes, late, and the runner's watchdog sees the pause as it sees
	 * the machine's (a stalled thread, stall_us, it does not). 0: none. */
	int64_t pause_at_us;
	int64_t pause_us;
	/* --jitter US[:SEED], virtual time only: each action (a packet
	 * injected, a call, a shell command, a code block) happens up to
	 * jitter_us after its time, a pseudo-random draw per line from
	 * jitter_seed; the kernel runner's actions are late by as much on a
	 * loaded machine. A script that fails under it depends on intervals
	 * to within that, and will fail on the kernel now and then. */
	int64_t jitter_us;
	uint32_t jitter_seed;
	/* --gso-as-one: a segment longer than a script's --mss=N goes in as
	 * one plain segment (what the runner did before it knew --mss), for
	 * probing past it; without, the kernel back-end injects it as GSO
	 * and glasstcp's is UNSUPPORTED. A verdict under it is not the
	 * script's. */
	bool gso_as_one;
	/* --tso: the device under the TCP has TSO, as packetdrill's Linux
	 * TUN has (its netdev.c), on both back-ends. The kernel's: a
	 * virtio-net header on every packet (IFF_VNET_HDR) and TUNSETOFFLOAD
	 * with TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN, so the
	 * kernel hands the device a multi-segment skb whole, its partial
	 * checksum completed as a device would. glasstcp's: the device
	 * advertises TSO (gt_device tso_max_bytes, transmit_gso), so the
	 * profile hands it each transmit unit as one segment. Either way a
	 * multi-segment packet is read, and judged, as one segment of its
	 * total length (its gso_size is not judged). A script's `ethtool -K
	 * tun0 tso off` turns it off again. Without it neither device has
	 * offloads and every segment goes on its own. */
	bool tso;
	/* For tests of the judge: glasstcp's cfg.timer_wheel set to
	 * timer_wheel in place of the profile's default (a profile on the
	 * wheel is judged with its slack, pk_wheel_slack_us()). Never for
	 * --kernel. */
	bool timer_wheel_set;
	bool timer_wheel;
	/* --ip-version (packetdrill's command-line --ip_version): the IP
	 * version of a script that sets none of its own (a script's own
	 * --ip_version line wins); in ipv6, a script without --mtu runs on
	 * PK_IPV6_MODE_MTU. A script whose "// pktrun-ip-versions:" line
	 * leaves ipver out is skipped, its reason said. Unset: IPv4, each
	 * script as written. */
	bool ipver_set;
	enum pk_ipver ipver;
	/* --mtu N (packetdrill's command-line --mtu): the device MTU of a
	 * script that sets no --mtu of its own, in place of 1500 (and of
	 * PK_IPV6_MODE_MTU in ipv6): for a script written for IPv6 on
	 * packetdrill's 1500-byte TUN (an upstream *-ipv6.pkt expecting
	 * <mss 1440>). 0: unset. */
	int mtu;
};

/* On real time a VM's vCPU or the kernel's own work (a namespace torn down
 * by the test before) delays an immediate answer by several ms: the
 * kernel's packetdrill selftests judge with 14 ms on slow machines
 * (tools/testing/selftests/net/packetdrill/ksft_runner.sh,
 * KSFT_MACHINE_SLOW). This 2-vCPU VM, with nothing else running, once
 * delivered a SYN-ACK 15.3 ms after its SYN (typically 0.2-0.6 ms: 20 runs
 * of close-passive.pkt): 20 ms, for lateness only (nothing real time does
 * makes the kernel early: pk_expect_out()). glasstcp on virtual time keeps
 * the script's own. */
#define PK_KERNEL_TOLERANCE_US 20000

/* How much later than its time Linux's timer wheel may fire a timer armed
 * gap_us before, at CONFIG_HZ hz (kernel/time/timer.c: a timeout of 63
 * jiffies or more goes to an outer level, and calc_index() rounds its
 * expiry up to that level's granularity, 8^level jiffies, so that it
 * never fires early: at HZ 250 up to 32 ms for 252 ms to 2 s, 256 ms up to
 * 16 s). 0 below 63 jiffies (one jiffy, inside the tolerance). */
int64_t pk_wheel_slack_us(int64_t gap_us, int64_t hz);

struct pk_result {
	enum pk_verdict verdict;
	int line;               /* where it failed or what is unsupported */
	char why[512];
	enum gt_profile profile;
	/* The kernel runner only: where it kept the script's intervals no
	 * better than its rules allow (a single action past the tolerance,
	 * an interval changed past a quarter), whatever the verdict; empty
	 * where it kept them. A PASS with a note passed on the intervals it
	 * ran. */
	char runner_note[300];
};

/* Runs the script in file path. Never crashes on a malformed script: that
 * is PK_ERROR with file:line in why. */
void pk_run_file(const char *path, const struct pk_options *opt, struct pk_result *res);
/* The same for a script held in memory (for tests and fuzzing); dir is where
 * relative paths in backtick commands are looked up (may be NULL). */
void pk_run_text(const char *text, size_t len, const char *name, const char *dir,
		 const struct pk_options *opt, struct pk_result *res);
const char *pk_verdict_name(enum pk_verdict v);

#endif
