/* glasstcp impair: the fault injector between two TUN devices, for the
 * kernel's own traffic. The kernel routes packets into one device; what
 * is read there goes through the fault injector (runtime/tun/fault.c, the
 * one `serve`, `get` and `send` wrap their device with) and out of the
 * other device, and the same the other way. Benchmarks use it to give a
 * kernel-to-kernel path the very faults glasstcp's path has (reordering
 * most of all: this kernel has no netem). The devices must be in a network
 * namespace the caller made; policy routing there decides what crosses. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/tun/tun.h"
#include "tools/commands.h"

#define IMPAIR_BATCH 256 /* packets read from one device per wakeup */

struct impair_side {
	const char *name;
	int fd;
	struct tun_dev_saved saved;
	struct tun_fault fault;   /* packets read here, on their way out of the other */
	uint64_t read_pkts, write_pkts, write_errors;
};

static volatile sig_atomic_t impair_stop;

static void on_signal(int sig)
{
	(void)sig;
	impair_stop = 1;
}

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void write_out(void *ctx, const uint8_t *pkt, size_t len)
{
	struct impair_side *to = ctx;
	if (write(to->fd, pkt, len) == (ssize_t)len)
		to->write_pkts++;
	else
		to->write_errors++; /* a full device queue: the packet is lost, counted */
}

static void usage(FILE *f)
{
	fprintf(f, "usage: glasstcp impair --tun A --tun B [faults] [--mtu N] [--time-limit S]\n"
		   "  forwards every packet read from TUN device A out of B and back, through\n"
		   "  glasstcp's fault injector each way (created if missing, brought up)\n"
		   "  --loss PCT --delay MS --jitter MS --dup PCT --reorder PCT (held 5 ms)\n"
		   "  --seed N          seed of the fault injector (default 1)\n"
		   "  SIGINT/SIGTERM stops it; it prints what each direction did\n");
}

static void print_side(const struct impair_side *from, const struct impair_side *to)
{
	const struct tun_fault_stats *st = &from->fault.st;
	fprintf(stderr,
		"impair: %s -> %s: read %llu, lost %llu, reordered %llu, duplicated %llu, queue drops "
		"%llu, written %llu, write errors %llu\n",
		from->name, to->name, (unsigned long long)from->read_pkts, (unsigned long long)st->lost,
		(unsigned long long)st->reordered, (unsigned long long)st->duplicated,
		(unsigned long long)st->queue_drops, (unsigned long long)to->write_pkts,
		(unsigned long long)to->write_errors);
}

int cmd_impair(int argc, char **argv)
{
	struct tun_options o;
	tun_options_default(&o);
	struct impair_side side[2];
	memset(side, 0, sizeof(side));
	int ntun = 0;
	for (int i = 0; i < argc;) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--tun")) {
			if (i + 1 >= argc || !*argv[i + 1] || strlen(argv[i + 1]) >= 16 || ntun == 2) {
				fprintf(stderr, "glasstcp impair: --tun wants a device name (at most 15 "
						"characters), twice\n");
				return 2;
			}
			side[ntun++].name = argv[i + 1];
			i += 2;
			continue;
		}
		int r = tun_options_parse(&o, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r == 0) {
			fprintf(stderr, "glasstcp impair: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (ntun != 2 || !strcmp(side[0].name, side[1].name)) {
		fprintf(stderr, "glasstcp impair: give two different devices, --tun A --tun B\n");
		return 2;
	}
	for (int k = 0; k < 2; k++) {
		side[k].fd = tun_dev_open(side[k].name, false, NULL, &side[k].saved);
		if (side[k].fd < 0) {
			fprintf(stderr, "glasstcp impair: cannot open TUN device %s: %s\n", side[k].name,
				strerror(-side[k].fd));
			return 1;
		}
		int r = tun_dev_configure(side[k].name, o.mtu, 0, 0);
		if (r < 0) {
			fprintf(stderr, "glasstcp impair: cannot bring %s up (MTU %u): %s\n", side[k].name,
				o.mtu, strerror(-r));
			return 1;
		}
		if (tun_fault_init(&side[k].fault, &o.fault, o.seed + (uint64_t)k) < 0) {
			fprintf(stderr, "glasstcp impair: out of memory\n");
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "impair: %s <-> %s, ready\n", side[0].name, side[1].name);
	uint64_t start = mono_us();
	static uint8_t pkt[65536];
	while (!impair_stop && (!o.limit_us || mono_us() - start < o.limit_us)) {
		uint64_t now = mono_us(), next = UINT64_MAX;
		for (int k = 0; k < 2; k++) {
			uint64_t t = tun_fault_next_us(&side[k].fault);
			next = t < next ? t : next;
		}
		int timeout_ms = 100;
		if (next != UINT64_MAX)
			timeout_ms = next <= now ? 0 : (int)((next - now + 999) / 1000);
		if (timeout_ms > 100)
			timeout_ms = 100;
		struct pollfd pf[2] = {{.fd = side[0].fd, .events = POLLIN},
				       {.fd = side[1].fd, .events = POLLIN}};
		if (poll(pf, 2, timeout_ms) < 0 && errno != EINTR) {
			fprintf(stderr, "glasstcp impair: poll: %s\n", strerror(errno));
			break;
		}
		now = mono_us();
		for (int k = 0; k < 2; k++) {
			if (!(pf[k].revents & POLLIN))
				continue;
			for (int n = 0; n < IMPAIR_BATCH; n++) {
				ssize_t len = read(side[k].fd, pkt, sizeof(pkt));
				if (len <= 0)
					break;
				side[k].read_pkts++;
				tun_fault_submit(&side[k].fault, now, pkt, (size_t)len);
			}
		}
		for (int k = 0; k < 2; k++)
			tun_fault_release(&side[k].fault, mono_us(), write_out, &side[1 - k]);
	}
	print_side(&side[0], &side[1]);
	print_side(&side[1], &side[0]);
	for (int k = 0; k < 2; k++) {
		tun_fault_fini(&side[k].fault);
		close(side[k].fd);
	}
	return 0;
}
