/* `glasstcp relay`: runs a command in a new network namespace (or serves an
 * existing one) whose traffic goes through glasstcp to host sockets, like
 * slirp4netns and pasta. The options; the relay is runtime/relay/. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/relay/relay.h"
#include "tools/commands.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: glasstcp relay [options] -- COMMAND [ARG...]\n"
		"       glasstcp relay [options] --netns PATH [-- COMMAND [ARG...]]\n"
		"Runs COMMAND in a new network namespace whose only link is a TUN device served\n"
		"by glasstcp; TCP and UDP leave through this process's own sockets. Exits with\n"
		"COMMAND's status. --netns attaches to an existing namespace instead (runs until\n"
		"SIGINT/SIGTERM when no COMMAND is given).\n"
		"namespace:\n"
		"  --netns PATH           an existing namespace (/run/netns/NAME, /proc/PID/ns/net)\n"
		"  --tun NAME             the device inside (default gt0)\n"
		"  --addr A/LEN           the namespace's address (default 10.0.2.100/24)\n"
		"  --gateway A            its default route (default 10.0.2.2)\n"
		"  --dns-addr A           the resolver address inside (default 10.0.2.3)\n"
		"  --dns ADDR[:PORT]|none where DNS to the resolver address goes, IPv4 or IPv6\n"
		"                         (ADDR6 or [ADDR6]:PORT; default: the first\n"
		"                         nameserver of /etc/resolv.conf)\n"
		"  --addr6 A/LEN, --gateway6 A  the namespace's IPv6 address and gateway\n"
		"                         (default fd00::100/64, fd00::2: the host's ::1);\n"
		"                         TCP, UDP and ping\n"
		"  --dns-addr6 A          the resolver address over IPv6 (default fd00::3),\n"
		"                         relayed where --dns says\n"
		"  --no-ipv6              no IPv6 in the namespace\n"
		"  --no-map-gw            connections to the gateway are refused instead of\n"
		"                         reaching the host's 127.0.0.1\n"
		"  --mtu N                the device's MTU (default 65520)\n"
		"limits (each counted when hit):\n"
		"  --max-flows N          TCP flows at once (default 65536)\n"
		"  --max-udp-flows N      UDP flows at once (default 1024)\n"
		"  --chunk BYTES          one move of a flow's bytes at most (default 65536)\n"
		"  --sndbuf/--rcvbuf BYTES the stack's buffers per connection (namespace side)\n"
		"  --flow-buf-max BYTES   the most either of a flow's stack buffers may grow to\n"
		"                         by autotuning (default: the profile's)\n"
		"  --stack-mem BYTES      all the stack's send and receive buffers together\n"
		"                         (default 4 GiB); past it, a flow's data waits\n"
		"  --host-buf BYTES       SO_SNDBUF and SO_RCVBUF of host sockets (default: the\n"
		"                         kernel's autotuning)\n"
		"  --loopback-cc ALG|kernel  congestion control of host sockets to the host's\n"
		"                         loopback (default cubic: unpaced; kernel: the default)\n"
		"  --connect-timeout-ms N host connect; then ICMP host unreachable (default: the\n"
		"                         kernel's SYN retries; with --socks5, 130 s for the\n"
		"                         proxy's whole CONNECT)\n"
		"  --handshake-timeout-ms N  the namespace completing its handshake (75000)\n"
		"  --udp-timeout-ms N     idle UDP flows are closed (default 60000)\n"
		"  --busy-poll-us N       after an event, ask for the next one without sleeping\n"
		"                         for up to N us before sleeping: a window of 50 us that\n"
		"                         grows to N while events come that far apart (default\n"
		"                         200; 0: off)\n"
		"  --tx-batch N           the device writes of a loop pass go in one\n"
		"                         io_uring_enter(), up to N (default 32; 0 or 1: each\n"
		"                         its own writev())\n"
		"  --late-us N            a new flow waits N us at most for its first byte (its\n"
		"                         host handshake's last ACK held), a namespace FIN N us\n"
		"                         at most for a moment with nothing else to do\n"
		"                         (default 1000)\n"
		"  --idle-timeout-ms N    an open TCP flow with no bytes either way for N ms is\n"
		"                         reset on both sides (default 0: never)\n"
		"  --keepalive IDLE[,INTVL[,CNT]]  TCP keepalive on both halves of every flow:\n"
		"                         probes after IDLE s, every INTVL s (default 75), CNT\n"
		"                         unanswered end the flow (default 9), as Linux's\n"
		"port forwarding in:\n"
		"  -t, --forward [ADDR/]PORT[:NSPORT]  listen on the host's PORT (on ADDR only,\n"
		"                         IPv4 or IPv6, if given; default every address of\n"
		"                         both) and connect each client into the namespace's\n"
		"                         NSPORT (default PORT), over IPv6 for an IPv6 client,\n"
		"                         through glasstcp; repeatable; LO-HI[:NSLO[-NSHI]]\n"
		"                         forwards a range (to the same ports by default)\n"
		"upstream:\n"
		"  --socks5 HOST:PORT     every TCP flow goes through this SOCKS5 proxy (RFC 1928\n"
		"                         CONNECT); its reply answers the held SYN: refused ->\n"
		"                         RST, unreachable -> ICMP, other failures -> RST\n"
		"  --socks5-user USER:PASS  username/password authentication (RFC 1929)\n"
		"  --socks5-user-file FILE  the same, from the file's first line\n"
		"  --listing MS           the SIGUSR1 listing every MS milliseconds (at least 100)\n"
		"signals:\n"
		"  SIGUSR1                print every flow (both halves, bytes, who closed first)\n"
		"                         and the counters to stderr\n"
		"  SIGINT, SIGTERM        passed to COMMAND; without one, every flow is reset\n"
		"                         and the relay exits\n");
	fprintf(f, "runtime options taken: --pcap FILE (the namespace side), --profile, --msl-ms,\n"
		"  --syn-retries, --sysctl, --grace-ms, --time-limit, --txqueuelen, --counters,\n"
		"  --quiet\n");
}

static int num_opt(const char *opt, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end = NULL;
	errno = 0;
	bool digits = v && *v >= '0' && *v <= '9';
	unsigned long long n = digits ? strtoull(v, &end, 10) : 0;
	if (!digits || *end || errno || n < lo || n > hi) {
		fprintf(stderr, "glasstcp relay: %s wants a whole number from %llu to %llu, got '%s'\n",
			opt, (unsigned long long)lo, (unsigned long long)hi, v ? v : "");
		return -1;
	}
	*out = n;
	return 0;
}

static int addr_opt(const char *opt, const char *v, uint32_t *addr, uint8_t *prefix)
{
	if (!v || tun_parse_ipv4(v, addr, prefix) < 0 || *addr == 0 || (!prefix && strchr(v, '/'))) {
		fprintf(stderr, "glasstcp relay: %s wants A.B.C.D%s, got '%s'\n", opt,
			prefix ? "/LEN" : "", v ? v : "");
		return -1;
	}
	return 0;
}

/* An IPv6 address, with /LEN when prefix is given (1..126). */
static int addr6_opt(const char *opt, const char *v, uint8_t addr[16], uint8_t *prefix)
{
	char host[INET6_ADDRSTRLEN + 8];
	const char *slash = v ? strchr(v, '/') : NULL;
	size_t hl = slash ? (size_t)(slash - v) : (v ? strlen(v) : 0);
	char *end = NULL;
	long len = slash ? strtol(slash + 1, &end, 10) : 0;
	if (!v || hl == 0 || hl >= sizeof(host) || (!prefix && slash) || (prefix && !slash) ||
	    (slash && (*end || len < 1 || len > 126)))
		goto bad;
	memcpy(host, v, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET6, host, addr) != 1)
		goto bad;
	if (prefix)
		*prefix = (uint8_t)len;
	return 0;
bad:
	fprintf(stderr, "glasstcp relay: %s wants an IPv6 address%s, got '%s'\n", opt, prefix ? "/LEN" : "",
		v ? v : "");
	return -1;
}

/* The resolver: an IPv4 ADDR or ADDR:PORT, an IPv6 ADDR6 or [ADDR6]:PORT.
 * Unspecified, multicast and zoned (link-local with %IF) addresses are
 * refused: a host socket could not reach them as a resolver. 0, or -1. */
static int dns_parse(const char *v, struct relay_config *c)
{
	char host[INET6_ADDRSTRLEN + 2];
	uint16_t port = 53;
	const char *colon = strchr(v, ':');
	if (v[0] == '[' || (colon && strchr(colon + 1, ':'))) {
		/* IPv6: bare, or in brackets with an optional port. */
		const char *end = v[0] == '[' ? strchr(v, ']') : v + strlen(v);
		const char *start = v[0] == '[' ? v + 1 : v;
		if (!end || end == start || (size_t)(end - start) >= sizeof(host))
			return -1;
		if (v[0] == '[' && end[1] && (end[1] != ':' || tun_parse_port(end + 2, &port) < 0))
			return -1;
		memcpy(host, start, (size_t)(end - start));
		host[end - start] = 0;
		uint8_t a[16];
		static const uint8_t zero[16];
		if (inet_pton(AF_INET6, host, a) != 1 || !memcmp(a, zero, 16) || a[0] == 0xff)
			return -1;
		c->dns_fwd_addr = 0;
		c->dns_fwd_v6 = true;
		memcpy(c->dns_fwd_addr6, a, 16);
		c->dns_fwd_port = port;
		return 0;
	}
	size_t hl = colon ? (size_t)(colon - v) : strlen(v);
	uint32_t a = 0;
	if (hl == 0 || hl >= sizeof(host) || (colon && tun_parse_port(colon + 1, &port) < 0))
		return -1;
	memcpy(host, v, hl);
	host[hl] = 0;
	if (tun_parse_ipv4(host, &a, NULL) < 0 || strchr(host, '/') || !a)
		return -1;
	c->dns_fwd_addr = a;
	c->dns_fwd_v6 = false;
	c->dns_fwd_port = port;
	return 0;
}

static int dns_opt(const char *v, struct relay_config *c)
{
	if (v && !strcmp(v, "none")) {
		c->dns_fwd_addr = 0;
		c->dns_fwd_v6 = false;
		return 0;
	}
	if (v && dns_parse(v, c) == 0)
		return 0;
	fprintf(stderr, "glasstcp relay: --dns wants ADDR[:PORT], ADDR6, [ADDR6]:PORT or none, got '%s'\n",
		v ? v : "");
	return -1;
}

/* --socks5 HOST:PORT: HOST an IPv4 address or a name (looked up once, now). */
static int socks5_opt(const char *v, struct relay_config *c)
{
	const char *colon = v ? strrchr(v, ':') : NULL;
	char host[256];
	size_t hl = colon ? (size_t)(colon - v) : 0;
	uint16_t port = 0;
	if (!colon || hl == 0 || hl >= sizeof(host) || tun_parse_port(colon + 1, &port) < 0 || !port) {
		fprintf(stderr, "glasstcp relay: --socks5 wants HOST:PORT, got '%s'\n", v ? v : "");
		return -1;
	}
	memcpy(host, v, hl);
	host[hl] = 0;
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int e = getaddrinfo(host, NULL, &hints, &res);
	if (e || !res) {
		fprintf(stderr, "glasstcp relay: --socks5: %s: %s\n", host, gai_strerror(e));
		return -1;
	}
	c->socks5_addr = ntohl(((const struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr);
	c->socks5_port = port;
	freeaddrinfo(res);
	return 0;
}

static int socks5_user_opt(const char *opt, const char *v, size_t len, struct relay_config *c)
{
	if (!v || socks5_creds_parse(&c->socks5_creds, v, len) < 0) {
		fprintf(stderr, "glasstcp relay: %s wants USER:PASS, each 1 to 255 bytes\n", opt);
		return -1;
	}
	return 0;
}

/* --socks5-user-file FILE: its first line is USER:PASS (kept off the
 * command line, where ps shows it). */
static int socks5_user_file_opt(const char *path, struct relay_config *c)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f) {
		fprintf(stderr, "glasstcp relay: --socks5-user-file %s: %s\n", path ? path : "",
			path ? strerror(errno) : "a file is needed");
		return -1;
	}
	char line[600];
	size_t n = fgets(line, sizeof(line), f) ? strlen(line) : 0;
	fclose(f);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	int e = socks5_user_opt("--socks5-user-file", line, n, c);
	memset(line, 0, sizeof(line));
	return e;
}

/* For users only (tests pass --dns): the first nameserver, IPv4 or IPv6
 * (one with a zone, fe80::1%eth0, is passed over). */
static void dns_from_resolv_conf(struct relay_config *c)
{
	FILE *f = fopen("/etc/resolv.conf", "r");
	if (!f)
		return;
	char line[256], addr[64];
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " nameserver %63s", addr) == 1 && !strchr(addr, '[') && dns_parse(addr, c) == 0)
			break;
	}
	fclose(f);
}

/* --keepalive IDLE[,INTVL[,CNT]] in seconds and probes (Linux's
 * tcp_keepalive_intvl 75 and tcp_keepalive_probes 9 when not given). */
static int keepalive_opt(const char *v, struct relay_config *c)
{
	unsigned idle = 0, intvl = 75, cnt = 9;
	char tail = 0;
	int k = v && v[strspn(v, "0123456789,")] == 0 ? sscanf(v, "%u,%u,%u%c", &idle, &intvl, &cnt, &tail)
						       : 0;
	if (k < 1 || k > 3 || idle < 1 || idle > 32767 || intvl < 1 || intvl > 32767 || cnt < 1 ||
	    cnt > 127) {
		fprintf(stderr, "glasstcp relay: --keepalive wants IDLE[,INTVL[,CNT]] (seconds 1-32767, "
				"probes 1-127), got '%s'\n", v ? v : "");
		return -1;
	}
	c->keepidle_s = idle;
	c->keepintvl_s = intvl;
	c->keepcnt = cnt;
	return 0;
}

/* Parses one relay option at argv[*i]: 1 taken, 0 not ours, -1 bad. */
static int relay_opt(struct relay_config *c, int argc, char **argv, int *i, bool *dns_set)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	uint64_t n = 0;
	int r = 0;
	if (!strcmp(a, "--no-map-gw")) {
		c->map_gw = false;
		*i += 1;
		return 1;
	}
	if (!strcmp(a, "--no-ipv6")) {
		c->ipv6 = false;
		*i += 1;
		return 1;
	}
	if (!strcmp(a, "--netns")) {
		if (!v || !*v)
			return fprintf(stderr, "glasstcp relay: --netns wants a path\n"), -1;
		c->netns_path = v;
	} else if (!strcmp(a, "--addr")) {
		r = addr_opt(a, v, &c->ns_addr, &c->ns_prefix);
		if (r == 0 && (c->ns_prefix < 1 || c->ns_prefix > 30)) {
			fprintf(stderr, "glasstcp relay: --addr wants a prefix from 1 to 30\n");
			r = -1;
		}
	} else if (!strcmp(a, "--addr6")) {
		r = addr6_opt(a, v, c->ns_addr6, &c->ns_prefix6);
	} else if (!strcmp(a, "--gateway6")) {
		r = addr6_opt(a, v, c->gw_addr6, NULL);
	} else if (!strcmp(a, "--dns-addr6")) {
		r = addr6_opt(a, v, c->dns_addr6, NULL);
	} else if (!strcmp(a, "--gateway")) {
		r = addr_opt(a, v, &c->gw_addr, NULL);
	} else if (!strcmp(a, "--dns-addr")) {
		r = addr_opt(a, v, &c->dns_addr, NULL);
	} else if (!strcmp(a, "--dns")) {
		r = dns_opt(v, c);
		*dns_set = true;
	} else if (!strcmp(a, "--max-flows")) {
		r = num_opt(a, v, 1, 1u << 22, &n);
		c->max_flows = (uint32_t)n;
	} else if (!strcmp(a, "--max-udp-flows")) {
		r = num_opt(a, v, 1, 1u << 20, &n);
		c->max_udp_flows = (uint32_t)n;
	} else if (!strcmp(a, "--chunk")) {
		r = num_opt(a, v, 1024, 16u << 20, &n);
		c->chunk_bytes = (uint32_t)n;
	} else if (!strcmp(a, "--host-buf")) {
		r = num_opt(a, v, 0, 1u << 30, &n);
		c->host_buf_bytes = (uint32_t)n;
	} else if (!strcmp(a, "--listing")) {
		r = num_opt(a, v, 100, 86400000, &n);
		c->listing_ms = (uint32_t)n;
	} else if (!strcmp(a, "--loopback-cc")) {
		if (!v || !*v || strlen(v) >= 16)
			return fprintf(stderr, "glasstcp relay: --loopback-cc wants an algorithm or 'kernel'\n"), -1;
		c->loopback_cc = strcmp(v, "kernel") ? v : NULL;
	} else if (!strcmp(a, "--sndbuf")) {
		r = num_opt(a, v, 4096, c->tun.cfg.buf_max_bytes, &n);
		c->tun.cfg.sndbuf_bytes = (uint32_t)n;
	} else if (!strcmp(a, "--rcvbuf")) {
		r = num_opt(a, v, 4096, c->tun.cfg.buf_max_bytes, &n);
		c->tun.cfg.rcvbuf_bytes = (uint32_t)n;
	} else if (!strcmp(a, "--flow-buf-max")) {
		r = num_opt(a, v, 4096, c->tun.cfg.buf_max_bytes, &n);
		c->tun.cfg.rcvbuf_max_bytes = c->tun.cfg.sndbuf_max_bytes = (uint32_t)n;
	} else if (!strcmp(a, "--stack-mem")) {
		r = num_opt(a, v, 65536, 1ull << 40, &n);
		c->tun.cfg.max_buffer_bytes = n;
	} else if (!strcmp(a, "--connect-timeout-ms")) {
		r = num_opt(a, v, 0, 3600000, &n);
		c->connect_timeout_ms = (uint32_t)n;
	} else if (!strcmp(a, "--handshake-timeout-ms")) {
		r = num_opt(a, v, 100, 3600000, &n);
		c->handshake_timeout_ms = (uint32_t)n;
	} else if (!strcmp(a, "--socks5")) {
		r = socks5_opt(v, c);
	} else if (!strcmp(a, "--socks5-user")) {
		r = socks5_user_opt(a, v, v ? strlen(v) : 0, c);
	} else if (!strcmp(a, "--socks5-user-file")) {
		r = socks5_user_file_opt(v, c);
	} else if (!strcmp(a, "--busy-poll-us")) {
		r = num_opt(a, v, 0, 100000, &n);
		c->busy_poll_us = (uint32_t)n;
	} else if (!strcmp(a, "--late-us")) {
		r = num_opt(a, v, 0, 10000000, &n);
		c->late_us = (uint32_t)n;
	} else if (!strcmp(a, "--tx-batch")) {
		r = num_opt(a, v, 0, RELAY_TX_BATCH_MAX, &n);
		c->tx_batch = (uint32_t)n;
	} else if (!strcmp(a, "--idle-timeout-ms")) {
		r = num_opt(a, v, 0, 86400000, &n);
		c->tcp_idle_timeout_ms = (uint32_t)n;
	} else if (!strcmp(a, "--keepalive")) {
		r = keepalive_opt(v, c);
	} else if (!strcmp(a, "--udp-timeout-ms")) {
		r = num_opt(a, v, 100, 86400000, &n);
		c->udp_timeout_ms = (uint32_t)n;
	} else {
		return 0;
	}
	if (r < 0)
		return -1;
	*i += 2;
	return 1;
}

/* The runtime options that mean something here; the rest (--offload, the
 * fault injector, --kernel-addr) are refused rather than ignored. */
static bool runtime_opt_ok(const char *a)
{
	static const char *const ok[] = { "--tun", "--mtu", "--pcap", "--profile", "--msl-ms",
		"--syn-retries", "--sysctl", "--grace-ms", "--time-limit", "--txqueuelen", "--counters",
		"--quiet" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(a, ok[i]))
			return true;
	return false;
}

int cmd_relay(int argc, char **argv)
{
	struct relay_config c;
	relay_config_default(&c);
	static struct relay_fwd fwd[RELAY_FWD_MAX];
	c.fwd = fwd;
	bool dns_set = false;
	/* The profile first, wherever it is given: it resets the stack's
	 * settings, and --sndbuf, --rcvbuf, --flow-buf-max, --stack-mem and
	 * --sysctl given before it must hold. */
	for (int k = 0; k < argc && strcmp(argv[k], "--"); k++) {
		if (!strcmp(argv[k], "--profile")) {
			int at = k;
			if (tun_options_parse(&c.tun, argc, argv, &at) <= 0)
				return 2;
		}
	}
	int i = 0;
	while (i < argc) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--profile")) {
			i += 2; /* applied above */
			continue;
		}
		if (!strcmp(a, "-t") || !strcmp(a, "--forward")) {
			char err[160];
			if (i + 1 >= argc ||
			    relay_fwd_parse(argv[i + 1], fwd, RELAY_FWD_MAX, &c.nfwd, err, sizeof(err)) < 0) {
				fprintf(stderr, "glasstcp relay: %s\n",
					i + 1 >= argc ? "-t wants [ADDR/]PORT[:NSPORT]" : err);
				return 2;
			}
			i += 2;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		int r = relay_opt(&c, argc, argv, &i, &dns_set);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (!runtime_opt_ok(a)) {
			fprintf(stderr, "glasstcp relay: unknown or unsupported option '%s' (glasstcp relay --help)\n", a);
			return 2;
		}
		r = tun_options_parse(&c.tun, argc, argv, &i);
		if (r <= 0) {
			if (r == 0)
				fprintf(stderr, "glasstcp relay: unknown option '%s'\n", a);
			return 2;
		}
	}
	if (i < argc)
		c.cmd = argv + i;
	if (!c.cmd && !c.netns_path) {
		fprintf(stderr, "glasstcp relay: a COMMAND after -- (or --netns PATH) is needed\n");
		usage(stderr);
		return 2;
	}
	if (c.gw_addr == c.ns_addr || c.dns_addr == c.ns_addr) {
		fprintf(stderr, "glasstcp relay: the gateway and the DNS address must differ from --addr\n");
		return 2;
	}
	if (!memcmp(c.gw_addr6, c.ns_addr6, 16) || !memcmp(c.dns_addr6, c.ns_addr6, 16) ||
	    !memcmp(c.dns_addr6, c.gw_addr6, 16)) {
		fprintf(stderr, "glasstcp relay: --addr6, --gateway6 and --dns-addr6 must differ\n");
		return 2;
	}
	if (c.socks5_creds.ulen && !c.socks5_port) {
		fprintf(stderr, "glasstcp relay: --socks5-user without --socks5\n");
		return 2;
	}
	if (!dns_set)
		dns_from_resolv_conf(&c);
	return relay_run(&c, "glasstcp relay");
}
