/* The TUN runtime: drives one glasstcp stack over a Linux TUN device with
 * the monotonic clock. Not sans-I/O (it owns fds, clocks and signals); the
 * core below it stays so. Pieces: the device (tun_dev.c), a fault-injecting
 * wrapper with bounded queues (fault.c), a pcap writer (pcap.c), the event
 * loop (loop.c) and the command-line options the tools share (opts.c).
 */
#ifndef GT_RUNTIME_TUN_H
#define GT_RUNTIME_TUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/virtio_net.h>
#include <pthread.h>

#include <glasstcp/glasstcp.h>

#include "util/rng.h"

/* ---- the device ---- */

#define TUN_MAX_PKT_BYTES 65535u
/* Offload features set with TUNSETOFFLOAD. The runtime asks for CSUM, TSO4
 * and TSO6 with --offload and for none without; the others are read back
 * only, to restore a device's state at exit. */
#define TUN_OFFLOAD_CSUM 0x1u    /* partial checksums cross the device */
#define TUN_OFFLOAD_TSO4 0x2u    /* TCP segments up to 64 KiB cross it whole */
#define TUN_OFFLOAD_TSO6 0x4u
#define TUN_OFFLOAD_TSO_ECN 0x8u
#define TUN_OFFLOAD_USO 0x10u    /* UDP segmentation (TUN_F_USO4 | TUN_F_USO6) */

/* What the device had before this run changed it, for tun_dev_restore():
 * a persistent device (`ip tuntap add`) outlives the run, and a next run
 * without --offload must not find TSO and partial checksums on. */
struct tun_dev_saved {
	bool offload_known; /* offload was read back (SIOCETHTOOL) */
	unsigned offload;   /* TUN_OFFLOAD_* the device had */
	int vnet_hdr_bytes; /* header size to put back; 0 = not changed */
	bool persistent;    /* IFF_PERSIST: the device outlives this run */
	uint32_t txqueuelen; /* a persistent device's, to put back; 0 = not changed */
};

/* Opens (creating if needed) the TUN device name, IFF_TUN | IFF_NO_PI, plus
 * IFF_VNET_HDR when vnet_hdr. Non-blocking. Returns the fd or -errno
 * (-EBUSY when another process holds the device, -EPROTO when another
 * queue holds it with other flags); the
 * kernel's name for it is written to name_out (IFNAMSIZ bytes), and its
 * state before this run to *saved. */
int tun_dev_open(const char *name, bool vnet_hdr, char *name_out, struct tun_dev_saved *saved);
/* The TUN_OFFLOAD_* bits active on the device now. 0 or -errno. */
int tun_dev_get_offload(const char *name, unsigned *offload);
/* TUNSETOFFLOAD with exactly the TUN_OFFLOAD_* bits given (0: all off). 0 or -errno. */
int tun_dev_set_offload(int fd, unsigned offload);
/* Puts back what tun_dev_open() saved, where this run changed it (offload_now:
 * what it set; the txqueuelen of a persistent device). Before the last close
 * of fd. 0 or -errno. */
int tun_dev_restore(int fd, const char *name, const struct tun_dev_saved *saved,
		    unsigned offload_now);
/* Sets the MTU, gives the kernel's side addr/prefix (host order; 0 = none)
 * and brings the interface up, with ioctls. 0 or -errno. */
int tun_dev_configure(const char *name, uint16_t mtu, uint32_t kernel_addr,
		      uint8_t kernel_prefix);
/* Gives the kernel's side an IPv6 address (SIOCSIFADDR on an AF_INET6
 * socket; a TUN device is IFF_NOARP, so the kernel runs no duplicate
 * address detection on it). 0, -EEXIST, or -errno. */
int tun_dev_add_addr6(const char *name, const struct gt_in6_addr *addr, uint8_t prefix);

/* The device's transmit queue (txqueuelen): on a TUN device, the ring of
 * packets the kernel has sent and the reader has not read yet (500 by
 * default); a packet that finds it full is dropped and counted in the
 * device's tx_dropped. SIOCGIFTXQLEN / SIOCSIFTXQLEN. 0 or -errno. */
#define TUN_TXQUEUELEN_DEFAULT 10000u
/* --sysctl options one command takes. */
#define TUN_SYSCTL_MAX 32u
#define TUN_TXQUEUELEN_MAX 1000000u
int tun_dev_get_txqueuelen(const char *name, uint32_t *qlen);
int tun_dev_set_txqueuelen(const char *name, uint32_t qlen);

/* What the kernel dropped on this device, from its 64-bit link statistics
 * (netlink RTM_GETLINK, IFLA_STATS64: the network namespace's own view,
 * where /sys/class/net shows the one sysfs was mounted in). tx_dropped: on
 * the way to the TUN reader (the queue above was full); rx_dropped: packets
 * written to the device that the kernel could not take. */
struct tun_dev_drops {
	uint64_t tx_dropped, rx_dropped;
};
int tun_dev_get_drops(const char *name, struct tun_dev_drops *d);

/* ---- transmit segmentation offload (gso.c) ---- */

/* Payload bytes the stack may put in one TCP segment for the device to cut
 * (gt_device.tso_max_bytes) with --offload: the kernel takes packets of up to
 * 64 KiB, headers included. */
#define TUN_TSO_MAX_BYTES 64000u

/* One large segment as the kernel is to receive it: the virtio-net header,
 * then a copy of the IPv4 and TCP headers with the checksum field holding
 * the pseudo-header sum, then the payload, unchanged, from the stack. */
struct tun_gso {
	struct virtio_net_hdr vh;
	uint8_t hdr[60 + 60];
	size_t hdr_len;
	uint32_t segs;        /* pieces the kernel will cut it into */
};

/* 1 and g filled when pkt is an IPv4/TCP segment, or an IPv6/TCP one
 * without extension headers, whose payload is longer than one piece:
 * gso_size payload bytes (the stack's, gt_device.transmit_gso) where it is
 * not 0 and fits mtu, else what fits mtu with pkt's headers. 0 when it
 * should go out as it is. */
int tun_gso_prepare(struct tun_gso *g, const uint8_t *pkt, size_t len, uint16_t mtu, uint16_t gso_size);

/* Receive: the gso_size the stack gets (gt_stack_input_batch_gso()) for a
 * packet of len bytes (IP header on) that came behind virtio-net header h:
 * h's gso_size for a TCPv4 or TCPv6 GSO packet (the ECN bit or not) of
 * that IP version; 0 for a plain packet, or a GSO type that is not TCP's
 * (the stack measures nothing by it). -EINVAL for a header that says TCP
 * GSO but cannot be one (gso_size 0, larger than the packet, or the other
 * IP version): the caller counts it and hands the packet as a plain one. */
int tun_rx_gso_size(const struct virtio_net_hdr *h, const uint8_t *pkt, size_t len);

/* ---- batched device I/O through io_uring (uring.c) ---- */

/* Reads or writes one io_uring_enter() carries at most. */
#define TUN_URING_ENTRIES 128u

struct tun_uring {
	int fd;                 /* -1: not set up */
	void *sq_map, *cq_map, *sqes;
	size_t sq_bytes, cq_bytes, sqes_bytes;
	unsigned *sq_head, *sq_tail, *sq_array, *cq_head, *cq_tail;
	unsigned sq_mask, cq_mask;
	struct io_uring_cqe *cqes;
	unsigned queued;        /* in the ring, not yet submitted */
	unsigned inflight;      /* submitted, completion not yet taken */
	uint64_t enters;        /* io_uring_enter() calls */
	int fixed_fd;           /* the fd registered as fixed file 0; -1: none */
};

/* Sets up a ring of TUN_URING_ENTRIES. 0, or -errno (-ENOSYS, -EPERM where
 * io_uring is off: the caller goes on with read() and write()). */
int tun_uring_init(struct tun_uring *u);
void tun_uring_fini(struct tun_uring *u);
bool tun_uring_on(const struct tun_uring *u);
/* Registers fd as the ring's fixed file (IORING_REGISTER_FILES): its reads
 * and writes then skip the per-operation file lookup and reference count.
 * 0, or -errno (the ring works on without it). */
int tun_uring_register_fd(struct tun_uring *u, int fd);
/* Queue one read (into buf) or write (of buf) of fd, RWF_NOWAIT, tagged;
 * buf must stay until its completion is taken. 0, or -ENOSPC when
 * TUN_URING_ENTRIES are queued. */
int tun_uring_read(struct tun_uring *u, int fd, void *buf, size_t len, uint64_t tag);
int tun_uring_write(struct tun_uring *u, int fd, const void *buf, size_t len, uint64_t tag);
/* One io_uring_enter() for everything queued: the count taken, or -errno. */
int tun_uring_submit(struct tun_uring *u);
/* The next completion (tag, result: bytes or -errno); false when none. */
bool tun_uring_next(struct tun_uring *u, uint64_t *tag, int32_t *res);

/* ---- the device's writes on a thread of their own (txthread.c) ---- */

/* Packets in one bank: what one of the writer's enters carries. */
#define TUN_TXW_BANK_PKTS 32u

struct tun_txw {
	bool on;
	int fd;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;            /* a bank handed over or written; stop */
	bool stop;
	struct tun_uring ur;          /* the writer's own; fd -1: write() per packet */
	bool fixed_file;              /* the device is its ring's fixed file */
	uint8_t *slots;               /* 2 banks of TUN_TXW_BANK_PKTS slots */
	size_t slot_bytes;
	unsigned cur;                 /* the bank the main thread fills */
	uint8_t state[2];             /* free, handed over, written (txthread.c) */
	unsigned n[2];
	size_t len[2][TUN_TXW_BANK_PKTS];   /* each write's bytes */
	uint32_t hdr[2][TUN_TXW_BANK_PKTS]; /* of them, the virtio-net header */
	uint32_t segs[2][TUN_TXW_BANK_PKTS];/* segments of a GSO write, else 0 */
	int32_t res[2][TUN_TXW_BANK_PKTS];  /* what each write returned */
	/* Counted by the main thread (handed, waits, batch_max) or the
	 * writer (enters), read when it is stopped or synced. */
	uint64_t handed;              /* banks handed over (TunTxThreadBanks) */
	uint64_t waits;               /* hand-overs that waited for the writer (TunTxThreadWaits) */
	uint64_t batch_max;           /* most packets in one bank */
	uint64_t enters;              /* the writer's io_uring_enter() calls (TunTxThreadEnters) */
};

/* A written packet's result, given to the main thread: bytes or -errno. */
typedef void tun_txw_done_fn(void *ctx, int32_t res, size_t len, uint32_t hdr, uint32_t segs);
/* Starts the writer for fd, slots of slot_bytes, with a ring of its own
 * when ring and the kernel allow it. 0 or -errno. */
int tun_txw_start(struct tun_txw *w, int fd, size_t slot_bytes, bool ring);
/* The next free slot of the bank being filled; NULL when it is full. */
uint8_t *tun_txw_slot(struct tun_txw *w);
/* The slot tun_txw_slot() gave now holds a packet of len bytes. */
void tun_txw_queued(struct tun_txw *w, size_t len, uint32_t hdr, uint32_t segs);
/* Hands the bank being filled (if not empty) to the writer and goes on
 * with the other, waiting while the writer still has it; the results of
 * the other bank's writes go to done. */
void tun_txw_hand(struct tun_txw *w, tun_txw_done_fn *done, void *ctx);
/* Hands over what is queued and waits until every write is done. */
void tun_txw_sync(struct tun_txw *w, tun_txw_done_fn *done, void *ctx);
/* Syncs, then ends the writer and frees what it held. */
void tun_txw_stop(struct tun_txw *w, tun_txw_done_fn *done, void *ctx);

/* ---- the fault injector (one direction) ---- */

struct tun_fault_config {
	uint64_t delay_us;    /* added to every packet */
	uint64_t jitter_us;   /* extra delay, uniform in [0, jitter_us] */
	double loss;          /* probabilities in [0, 1] */
	double duplicate;
	double reorder;       /* held back reorder_us more than its neighbours */
	uint64_t reorder_us;
	uint32_t queue_pkts;  /* packets held at most; more are dropped, counted */
};

struct tun_fault_stats {
	uint64_t submitted, delivered, lost, duplicated, reordered, queue_drops;
};

struct tun_fault_pkt;
struct tun_fault {
	struct tun_fault_config cfg;
	struct tun_fault_stats st;
	struct rng rng;
	struct tun_fault_pkt *heap;   /* min-heap by (at_us, order) */
	uint32_t len, cap;
	uint64_t next_order;
};

bool tun_fault_active(const struct tun_fault_config *cfg);
int tun_fault_init(struct tun_fault *f, const struct tun_fault_config *cfg, uint64_t seed);
void tun_fault_fini(struct tun_fault *f);
/* Takes a copy of pkt, or drops it (counted). */
void tun_fault_submit(struct tun_fault *f, uint64_t now_us, const void *pkt, size_t len);
/* The same for a packet read with a gso_size (0: a plain one), which it
 * keeps for tun_fault_take(). */
void tun_fault_submit_gso(struct tun_fault *f, uint64_t now_us, const void *pkt, size_t len,
			  uint16_t gso_size);
uint64_t tun_fault_next_us(const struct tun_fault *f); /* UINT64_MAX: empty */
/* Hands every packet due at now_us to out(), in delivery order. */
void tun_fault_release(struct tun_fault *f, uint64_t now_us,
		       void (*out)(void *ctx, const uint8_t *pkt, size_t len), void *ctx);
/* Takes up to max packets due at now_us, in delivery order, into v, and
 * each one's gso_size into gso[] unless gso is NULL; the caller frees each
 * v[i].base. Returns how many. */
size_t tun_fault_take(struct tun_fault *f, uint64_t now_us, struct gt_iovec *v, uint16_t *gso,
		      size_t max);

/* ---- pcap (LINKTYPE_RAW, microsecond timestamps) ---- */

struct tun_pcap {
	FILE *f;
	uint64_t packets, write_errors;
};
int tun_pcap_open(struct tun_pcap *p, const char *path);
void tun_pcap_write(struct tun_pcap *p, const void *pkt, size_t len);
void tun_pcap_close(struct tun_pcap *p);

/* ---- options shared by `glasstcp serve`, `get` and `send` ---- */

struct tun_options {
	const char *ifname;           /* --tun (default gt0) */
	uint32_t addr;                /* --addr, the stack's; host order; 0 = none */
	uint8_t prefix;
	uint32_t kernel_addr;         /* --kernel-addr, 0 = leave the kernel side alone */
	uint8_t kernel_prefix;
	/* An IPv6 --addr / --kernel-addr (each may be given once per family). */
	struct gt_in6_addr addr6, kernel_addr6;
	uint8_t prefix6, kernel_prefix6;
	bool has_addr6, has_kernel_addr6;
	uint16_t mtu;                 /* --mtu */
	const char *pcap_path;        /* --pcap */
	bool offload;                 /* --offload: IFF_VNET_HDR + TSO/checksum */
	bool no_tso;                  /* --no-tso: with --offload, receive side only */
	bool no_uring;                /* --no-uring: one read()/write() per packet */
	bool tx_thread;               /* --tx-thread: the device's writes on a thread of their own */
	bool all_counters;            /* --counters */
	bool quiet;                   /* --quiet: nothing printed but errors */
	struct tun_fault_config fault; /* --loss --delay --jitter --dup --reorder, each way */
	uint64_t seed;                /* --seed, of the fault injector */
	uint64_t grace_us;            /* --grace-ms: closing time after a signal */
	uint64_t limit_us;            /* --time-limit: wall time at most; 0 = none */
	uint32_t txqueuelen;          /* --txqueuelen: the device's queue to us; 0 = leave it */
	uint32_t rx_ack_pkts;         /* --rx-ack-pkts: the stack takes a read group in parts of
				       * this many packets, each part's writes sent before the
				       * next part; 0 = the group whole */
	uint32_t rx_each_pkts;        /* --rx-each-pkts: a group of at most this many
				       * packets goes to the stack one packet at a time (as
				       * softirq takes what reaches an idle Linux socket), a
				       * larger one as rx_ack_pkts says; 0 = off */
	struct gt_config cfg;         /* --profile --syn-retries --msl-ms --sysctl */
	enum gt_profile profile;      /* --profile */
	bool msl_set;                 /* --msl-ms given: kept across --profile */
	/* --sysctl NAME=VALUE, in order: applied to cfg as they come and
	 * again after a later --profile, so the order of options is free. */
	const char *sysctl[TUN_SYSCTL_MAX];
	uint8_t n_sysctl;
};

void tun_options_default(struct tun_options *o);
/* Parses argv[*i] (and its value) if it is a runtime option: returns 1 and
 * advances *i past it, 0 when it is not one, -1 on a bad value (printed). */
int tun_options_parse(struct tun_options *o, int argc, char **argv, int *i);
void tun_options_usage(FILE *f);
/* Parses "a.b.c.d" or "a.b.c.d/len" (host order). 0 or -EINVAL. */
int tun_parse_ipv4(const char *s, uint32_t *addr, uint8_t *prefix);
/* Parses an IPv6 address, "2001:db8::1" or "2001:db8::1/64" (no brackets).
 * 0 or -EINVAL. */
int tun_parse_ipv6(const char *s, struct gt_in6_addr *addr, uint8_t *prefix);
/* Parses "a.b.c.d:port" or "[v6]:port" into a socket address. 0, or
 * -EINVAL (the form) or -ERANGE (the port). */
int tun_parse_endpoint(const char *s, struct gt_sockaddr *out);
/* Parses a decimal port: 0, -ERANGE outside 1-65535 (the caller says "port
 * out of range"), -EINVAL for anything not a plain number. */
int tun_parse_port(const char *s, uint16_t *port);

/* ---- the runtime and its event loop ---- */

struct tun_app {
	/* Called after every batch of input and timers: read gt_events(), do
	 * socket calls. */
	void (*step)(void *ctx, gt_stack *s);
	/* SIGINT or SIGTERM: close what should be closed. */
	void (*shutdown)(void *ctx, gt_stack *s);
	/* True when the loop may end (checked after step). */
	bool (*done)(void *ctx, gt_stack *s);
	void *ctx;
};

#define TUN_R2W_BUCKETS 10u /* 16 us << 0..8, and the rest */
#define TUN_RX_ACK_PKTS_MAX 64u /* RX_GROUP_PKTS */
#define TUN_RX_EACH_PKTS_DEFAULT 16u
struct tun_rt_stats {
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes;
	uint64_t rx_not_ip, rx_errors, tx_errors, wakeups;
	/* Direct writes the device refused with EAGAIN or ENOBUFS (its queue
	 * full): handed back to the stack as -ENOBUFS, not sent, where TCP
	 * retries them (struct gt_device), not counted in tx_errors
	 * (TunTxBusy). Writes through io_uring or the writer thread complete
	 * later and stay tx_errors. */
	uint64_t tx_busy;
	uint64_t rx_batches;     /* wakeups that read the device (TunRxBatches) */
	uint64_t rx_batch_max;   /* most packets read in one of them (TunRxBatchMax) */
	uint64_t rx_batch_full;  /* batches that stopped at the bound, not at EAGAIN (TunRxBatchFull) */
	uint64_t rx_gso_pkts, rx_csum_fixed, tx_gso_pkts, tx_gso_segs;
	/* --offload: TCP GSO packets handed with their gso_size (TunRxGsoTcp),
	 * and headers that said TCP GSO but could not be (TunRxGsoBad: handed
	 * as plain packets, tun_rx_gso_size()). */
	uint64_t rx_gso_tcp, rx_gso_bad;
	/* The smallest and largest of those gso sizes (TunRxGsoSizeMin/Max:
	 * the peer's segment size as the kernel cut it; min 0: none seen). */
	uint64_t rx_gso_size_min, rx_gso_size_max;
	uint64_t rx_csum_trusted;            /* partial TCP checksums taken as valid (--offload) */
	uint64_t rx_csum_checked, rx_csum_bad; /* TCP checksums the runtime checked (--offload) */
	uint64_t tx_csum_filled;             /* partial ones completed for a capture (--offload) */
	/* io_uring (--no-uring turns it off; read()/write() when it cannot
	 * be set up): system calls that carried the device's reads and writes,
	 * reads that found the device empty, packets written in batches. */
	uint64_t uring_enters;   /* io_uring_enter() calls (TunUringEnters) */
	uint64_t rx_uring_empty; /* reads that got -EAGAIN (TunRxUringEmpty) */
	uint64_t tx_batched;     /* packets written through the ring (TunTxBatched) */
	uint64_t tx_batch_max;   /* most packets in one enter's writes (TunTxBatchMax) */
	uint64_t uring_failed;   /* 1 when the ring was given up mid-run (TunUringFailed) */
	uint64_t uring_fixed_file; /* 1: the device fd is the ring's fixed file (TunUringFixedFile) */
	/* Read to write: for each packet the stack took, the time from the
	 * read that brought it to the first write (an ACK, mostly) that left
	 * after the stack had it, in buckets under 16, 32, ..., 4096 us and
	 * the rest (TunReadToWrite). Packets after which nothing was written
	 * wait for the next write; with faults on, none are counted. */
	uint64_t read_to_write[TUN_R2W_BUCKETS];
	uint64_t rx_part_flushes; /* --rx-ack-pkts: writes sent in the middle of a group (TunRxPartFlushes) */
};

typedef struct tun_rt tun_rt;

/* Opens the device, configures it, creates the stack. 0 or -errno, with a
 * message printed to stderr. */
int tun_rt_open(tun_rt **out, const struct tun_options *o, const char *prog);
gt_stack *tun_rt_stack(tun_rt *rt);
/* Watches fd for input (wakes the loop); on = false stops. A regular file
 * cannot be watched and counts as always ready. 0 or -errno. */
int tun_rt_watch(tun_rt *rt, int fd, bool on);
/* Runs until app->done() is true, a signal's grace time ends, or limit_us
 * of wall time passes (0 = none). Returns 0, 1 after a signal, or
 * -ETIMEDOUT at the limit. */
int tun_rt_run(tun_rt *rt, const struct tun_app *app, uint64_t limit_us);
/* Runs without an application until no connection is left but TIME_WAIT
 * ones, or max_us passes: lets FINs and their ACKs cross. */
void tun_rt_drain(tun_rt *rt, uint64_t max_us);
void tun_rt_print_counters(tun_rt *rt, FILE *f);
/* The one-line summary of a stack's counters ("counters: ActiveOpens ...")
 * that the runtimes print and tests/interop/lib.sh's counter() reads. */
void tun_print_counters_line(gt_stack *stack, FILE *f);
void tun_rt_close(tun_rt *rt);
uint64_t tun_now_us(void);

#endif
