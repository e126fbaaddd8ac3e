/* The command-line options of the TUN runtime, shared by `glasstcp serve`,
 * `get` and `send`: the device, the addresses, pcap, offloads, the fault
 * injector and the stack settings a test needs to shorten (SYN retries). */
#include "runtime/tun/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void tun_options_default(struct tun_options *o)
{
	memset(o, 0, sizeof(*o));
	o->ifname = "gt0";
	o->mtu = 1500;
	o->seed = 1;
	o->grace_us = 2000000;
	o->fault.queue_pkts = 10000;
	o->txqueuelen = TUN_TXQUEUELEN_DEFAULT;
	o->rx_each_pkts = TUN_RX_EACH_PKTS_DEFAULT;
	o->profile = GT_PROFILE_LINUX;
	gt_config_default(&o->cfg, GT_PROFILE_LINUX);
}

void tun_options_usage(FILE *f)
{
	fprintf(f,
		"runtime options:\n"
		"  --tun NAME          TUN device, created if missing (default gt0)\n"
		"  --addr A/LEN        glasstcp's address (required; IPv4 or IPv6, once each)\n"
		"  --kernel-addr B/LEN give the kernel's side of the device this address\n"
		"                      (IPv4 or IPv6, once each)\n"
		"  --mtu N             device MTU (default 1500)\n"
		"  --offload           IFF_VNET_HDR: TSO and checksum offload both ways\n"
		"  --no-tso            with --offload, receive offload only: the stack\n"
		"                      sends MSS-sized segments (no GSO writes)\n"
		"  --no-uring          one read() or write() system call per packet, not\n"
		"                      batches of them through io_uring\n"
		"  --tx-thread         the device's writes on a thread of their own, so\n"
		"                      that the kernel's work in each write (forwarding,\n"
		"                      a local peer's receive) runs off the stack's thread\n"
		"  --txqueuelen N      the device's queue of packets from the kernel not yet\n"
		"                      read, in packets (default 10000; Linux gives a TUN\n"
		"                      device 500; 0 leaves the device's as it is)\n"
		"  --rx-ack-pkts N     give the stack each group of up to 64 packets read in\n"
		"                      parts of N, and write what it sent (its ACKs) after\n"
		"                      each part, not after the group (default 0: whole)\n"
		"  --rx-each-pkts N    give the stack a group of at most N packets one packet\n"
		"                      at a time, each one's ACK written before the next is\n"
		"                      taken, as Linux takes segments that reach a socket\n"
		"                      nobody holds (default 16; 0: off)\n"
		"  --pcap FILE         capture the link (LINKTYPE_RAW, real timestamps)\n"
		"  --loss PCT --delay MS --jitter MS --dup PCT --reorder PCT\n"
		"                      faults injected on both directions of the link\n"
		"  --seed N            seed of the fault injector (default 1)\n"
		"  --profile NAME      linux or freebsd (default linux)\n"
		"  --syn-retries N     SYN retransmissions before ETIMEDOUT\n"
		"  --msl-ms N          TIME_WAIT lasts 2 x this\n"
		"  --sysctl NAME=VALUE set a tunable of the profile's kernel by its sysctl\n"
		"                      name, e.g. net.ipv4.tcp_rmem='4096 131072 33554432'\n"
		"                      (repeatable; the names are those pktrun scripts set)\n"
		"  --grace-ms N        closing time after SIGINT/SIGTERM (default 2000)\n"
		"  --time-limit S      stop after S seconds of wall time, as on SIGTERM\n"
		"  --counters          print every non-zero counter at exit\n"
		"  --quiet             print nothing but errors (no report, no counters)\n");
}

int tun_parse_ipv4(const char *s, uint32_t *addr, uint8_t *prefix)
{
	unsigned a, b, c, d, len = 32;
	char tail;
	int n = sscanf(s, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &len, &tail);
	if (n != 4 && n != 5)
		return -EINVAL;
	if (n == 4 && strchr(s, '/'))
		return -EINVAL;
	if (a > 255 || b > 255 || c > 255 || d > 255 || len > 32)
		return -EINVAL;
	*addr = a << 24 | b << 16 | c << 8 | d;
	if (prefix)
		*prefix = (uint8_t)len;
	return 0;
}

int tun_parse_ipv6(const char *s, struct gt_in6_addr *addr, uint8_t *prefix)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (inet_pton(AF_INET6, buf, addr->b) != 1)
		return -EINVAL;
	unsigned len = 128;
	if (slash) {
		char *end;
		errno = 0;
		unsigned long l = strtoul(slash + 1, &end, 10);
		if (end == slash + 1 || *end || errno || l > 128)
			return -EINVAL;
		len = (unsigned)l;
	}
	if (prefix)
		*prefix = (uint8_t)len;
	return 0;
}

int tun_parse_endpoint(const char *s, struct gt_sockaddr *out)
{
	char host[64];
	const char *colon;
	memset(out, 0, sizeof(*out));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = 0;
		colon = close + 1;
		out->family = GT_AF_INET6;
		if (strchr(host, '/') || tun_parse_ipv6(host, &out->addr6, NULL) < 0)
			return -EINVAL;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = 0;
		out->family = GT_AF_INET;
		if (strchr(host, '/') || tun_parse_ipv4(host, &out->addr, NULL) < 0)
			return -EINVAL;
	}
	return tun_parse_port(colon + 1, &out->port);
}

int tun_parse_port(const char *s, uint16_t *port)
{
	char *end;
	errno = 0;
	unsigned long p = s ? strtoul(s, &end, 10) : 0;
	if (!s || end == s || *end || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	if (errno || p == 0 || p > 65535)
		return -ERANGE;
	*port = (uint16_t)p;
	return 0;
}

static int num(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = v ? strtod(v, &end) : 0;
	if (!v || errno || end == v || *end || !(d >= lo && d <= hi)) {
		fprintf(stderr, "glasstcp: %s wants a number in [%g, %g], got '%s'\n", opt, lo, hi,
			v ? v : "");
		return -1;
	}
	*out = d;
	return 0;
}

/* A count of packets: digits only (no sign, no fraction, no exponent). */
static int count_opt(const char *opt, const char *v, uint32_t max, const char *zero, uint32_t *out)
{
	char *end = NULL;
	errno = 0;
	bool digits = v && *v >= '0' && *v <= '9';
	unsigned long long n = digits ? strtoull(v, &end, 10) : 0;
	if (!digits || *end || errno || n > max) {
		fprintf(stderr, "glasstcp: %s wants a whole number of packets from 0 to %u (0: %s), got '%s'\n",
			opt, max, zero, v ? v : "");
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

/* An IPv4 address, or an IPv6 one into addr6 (a v6 --addr must be one the
 * stack can hold: not ::, ::1, multicast or IPv4-mapped). */
static int addr_opt(const char *opt, const char *v, uint32_t *addr, uint8_t *prefix,
		    struct gt_in6_addr *addr6, uint8_t *prefix6, bool *has6)
{
	static const uint8_t zero[16], mapped[12] = {[10] = 0xff, [11] = 0xff};
	static const uint8_t loop[16] = {[15] = 1};
	if (v && strchr(v, ':')) {
		struct gt_in6_addr a;
		uint8_t p;
		if (tun_parse_ipv6(v, &a, &p) == 0 && memcmp(a.b, zero, 16) && memcmp(a.b, loop, 16) &&
		    a.b[0] != 0xff && memcmp(a.b, mapped, 12)) {
			*addr6 = a;
			*prefix6 = p;
			*has6 = true;
			return 0;
		}
	} else if (v && tun_parse_ipv4(v, addr, prefix) == 0 && *addr != 0) {
		return 0;
	}
	fprintf(stderr, "glasstcp: %s wants A.B.C.D/LEN or an IPv6 ADDR/LEN, got '%s'\n", opt,
		v ? v : "");
	return -1;
}

/* Applies one --sysctl NAME=VALUE to o->cfg; prints the cause and returns
 * -1 when the name or the value is not taken. */
static int sysctl_apply(struct tun_options *o, const char *v)
{
	char err[256];
	int rc = gt_config_sysctl_arg(&o->cfg, o->profile, v, err, sizeof(err));
	if (rc < 0 || (rc == GT_SYSCTL_NO_EFFECT && !o->quiet))
		fprintf(stderr, "glasstcp: --sysctl: %s\n", err);
	return rc < 0 ? -1 : 0;
}

int tun_options_parse(struct tun_options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	double d = 0;
	int r = 0;
	bool *flag = !strcmp(a, "--offload")  ? &o->offload
		   : !strcmp(a, "--no-tso")   ? &o->no_tso
		   : !strcmp(a, "--no-uring") ? &o->no_uring
		   : !strcmp(a, "--tx-thread") ? &o->tx_thread
		   : !strcmp(a, "--counters") ? &o->all_counters
		   : !strcmp(a, "--quiet")    ? &o->quiet
		   : NULL;
	if (flag) {
		*flag = true;
		*i += 1;
		return 1;
	}
	if (!strcmp(a, "--tun")) {
		if (!v || !*v || strlen(v) >= 16) {
			fprintf(stderr, "glasstcp: --tun wants a device name (at most 15 characters)\n");
			return -1;
		}
		o->ifname = v;
	} else if (!strcmp(a, "--addr")) {
		r = addr_opt(a, v, &o->addr, &o->prefix, &o->addr6, &o->prefix6, &o->has_addr6);
	} else if (!strcmp(a, "--kernel-addr")) {
		r = addr_opt(a, v, &o->kernel_addr, &o->kernel_prefix, &o->kernel_addr6,
			     &o->kernel_prefix6, &o->has_kernel_addr6);
	} else if (!strcmp(a, "--pcap")) {
		if (!v)
			return fprintf(stderr, "glasstcp: --pcap wants a file\n"), -1;
		o->pcap_path = v;
	} else if (!strcmp(a, "--txqueuelen")) {
		r = count_opt(a, v, TUN_TXQUEUELEN_MAX, "leave the device's", &o->txqueuelen);
	} else if (!strcmp(a, "--rx-ack-pkts")) {
		r = count_opt(a, v, TUN_RX_ACK_PKTS_MAX, "the whole group", &o->rx_ack_pkts);
	} else if (!strcmp(a, "--rx-each-pkts")) {
		r = count_opt(a, v, TUN_RX_ACK_PKTS_MAX, "off", &o->rx_each_pkts);
	} else if (!strcmp(a, "--mtu")) {
		r = num(a, v, 576, 65535, &d);
		o->mtu = (uint16_t)d;
	} else if (!strcmp(a, "--loss")) {
		r = num(a, v, 0, 90, &d);
		o->fault.loss = d / 100;
	} else if (!strcmp(a, "--dup")) {
		r = num(a, v, 0, 100, &d);
		o->fault.duplicate = d / 100;
	} else if (!strcmp(a, "--reorder")) {
		r = num(a, v, 0, 100, &d);
		o->fault.reorder = d / 100;
		o->fault.reorder_us = 5000;
	} else if (!strcmp(a, "--delay")) {
		r = num(a, v, 0, 10000, &d);
		o->fault.delay_us = (uint64_t)(d * 1000);
	} else if (!strcmp(a, "--jitter")) {
		r = num(a, v, 0, 10000, &d);
		o->fault.jitter_us = (uint64_t)(d * 1000);
	} else if (!strcmp(a, "--seed")) {
		r = num(a, v, 0, 1.8e19, &d);
		if (r == 0)
			o->seed = strtoull(v, NULL, 10);
	} else if (!strcmp(a, "--profile")) {
		enum gt_profile p;
		if (!v || gt_profile_from_name(v, &p) < 0)
			return fprintf(stderr, "glasstcp: --profile wants linux or freebsd\n"), -1;
		struct gt_config was = o->cfg;
		o->profile = p;
		gt_config_default(&o->cfg, p);
		o->cfg.syn_retries = was.syn_retries;
		if (o->msl_set)
			o->cfg.msl_ms = was.msl_ms;
		for (unsigned k = 0; k < o->n_sysctl; k++)
			if (sysctl_apply(o, o->sysctl[k]) < 0)
				return -1; /* a name the new profile's kernel refuses */
	} else if (!strcmp(a, "--syn-retries")) {
		r = num(a, v, 0, 20, &d);
		o->cfg.syn_retries = (uint32_t)d;
	} else if (!strcmp(a, "--msl-ms")) {
		r = num(a, v, 1, 600000, &d);
		o->cfg.msl_ms = (uint32_t)d;
		o->msl_set = true;
	} else if (!strcmp(a, "--sysctl")) {
		if (o->n_sysctl == TUN_SYSCTL_MAX) {
			fprintf(stderr, "glasstcp: at most %u --sysctl options\n", TUN_SYSCTL_MAX);
			return -1;
		}
		r = sysctl_apply(o, v);
		if (r == 0)
			o->sysctl[o->n_sysctl++] = v;
	} else if (!strcmp(a, "--time-limit")) {
		r = num(a, v, 0.001, 1e6, &d);
		o->limit_us = (uint64_t)(d * 1e6);
	} else if (!strcmp(a, "--grace-ms")) {
		r = num(a, v, 0, 600000, &d);
		o->grace_us = (uint64_t)d * 1000;
	} else {
		return 0;
	}
	if (r < 0)
		return -1;
	*i += 2;
	return 1;
}
