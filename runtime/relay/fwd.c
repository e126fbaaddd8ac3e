/* Port forwarding into the namespace (-t): the relay listens on the host
 * side (its own, outer namespace) and hands each accepted client to
 * tcp_flow.c, whose stack socket connects into the namespace. Here: the
 * -t syntax, the listening sockets, and accepting within limits. */
#define _GNU_SOURCE
#include "runtime/relay/relay_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Accepted per listener per wakeup: the others get their turn. */
#define ACCEPT_BURST 64

/* ---- the -t syntax ---- */

/* A port 1-65535 from s[0..len). */
static int port_of(const char *s, size_t len, uint16_t *out)
{
	if (len == 0 || len > 5)
		return -1;
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* LO or LO-HI from s[0..len). */
static int range_of(const char *s, size_t len, uint16_t *lo, uint16_t *hi)
{
	const char *dash = memchr(s, '-', len);
	if (!dash)
		return port_of(s, len, lo) < 0 ? -1 : (*hi = *lo, 0);
	if (port_of(s, (size_t)(dash - s), lo) < 0 ||
	    port_of(dash + 1, len - (size_t)(dash - s) - 1, hi) < 0 || *hi < *lo)
		return -1;
	return 0;
}

/* Two forwards that would bind the same port on the same address. */
static bool overlap(const struct relay_fwd *a, uint8_t fam, uint32_t addr, const uint8_t *addr6)
{
	static const uint8_t any6[16];
	if (a->family == RELAY_FWD_ANY || fam == RELAY_FWD_ANY)
		return true;
	if (a->family != fam)
		return false;
	if (fam == RELAY_FWD_V4)
		return a->host_addr == addr || !a->host_addr || !addr;
	return !memcmp(a->host_addr6, addr6, 16) || !memcmp(a->host_addr6, any6, 16) ||
	       !memcmp(addr6, any6, 16);
}

int relay_fwd_parse(const char *arg, struct relay_fwd *out, uint32_t cap, uint32_t *n, char *err,
		    size_t errlen)
{
	uint32_t addr = 0;
	uint8_t fam = RELAY_FWD_ANY, addr6[16];
	memset(addr6, 0, sizeof(addr6));
	const char *p = arg;
	const char *slash = strchr(p, '/');
	if (slash) {
		char a[INET6_ADDRSTRLEN + 2];
		size_t al = (size_t)(slash - p);
		struct in_addr in;
		if (al == 0 || al >= sizeof(a))
			goto bad;
		memcpy(a, p, al);
		a[al] = 0;
		char *a6 = a;
		if (a[0] == '[' && a[al - 1] == ']') {
			a[al - 1] = 0;
			a6 = a + 1;
		}
		if (a6 == a && inet_pton(AF_INET, a, &in) == 1) {
			addr = ntohl(in.s_addr);
			fam = RELAY_FWD_V4;
		} else if (inet_pton(AF_INET6, a6, addr6) == 1) {
			fam = RELAY_FWD_V6;
		} else {
			goto bad;
		}
		p = slash + 1;
	}
	const char *colon = strchr(p, ':');
	size_t hl = colon ? (size_t)(colon - p) : strlen(p);
	uint16_t hlo, hhi, nlo, nhi;
	if (range_of(p, hl, &hlo, &hhi) < 0)
		goto bad;
	if (colon) {
		if (range_of(colon + 1, strlen(colon + 1), &nlo, &nhi) < 0)
			goto bad;
		/* NSPORT alone with a range: the range starts there. */
		if (nlo == nhi && hlo != hhi) {
			if ((uint32_t)nlo + (hhi - hlo) > 65535) {
				snprintf(err, errlen, "-t %s: the namespace's range runs past 65535", arg);
				return -1;
			}
			nhi = (uint16_t)(nlo + (hhi - hlo));
		}
		if (nhi - nlo != hhi - hlo) {
			snprintf(err, errlen, "-t %s: the namespace's ports must be as many as the host's", arg);
			return -1;
		}
	} else {
		nlo = hlo;
		nhi = hhi;
	}
	if (*n + (uint32_t)(hhi - hlo) + 1 > cap) {
		snprintf(err, errlen, "-t %s: more than %u forwarded ports", arg, cap);
		return -1;
	}
	/* Two listeners on one port bind only on different addresses. */
	for (uint32_t k = 0; k < *n; k++) {
		if (out[k].host_port >= hlo && out[k].host_port <= hhi && overlap(&out[k], fam, addr, addr6)) {
			snprintf(err, errlen, "-t %s: host port %u is forwarded twice", arg,
				 out[k].host_port);
			return -1;
		}
	}
	for (uint32_t i = 0; i <= (uint32_t)(hhi - hlo); i++) {
		struct relay_fwd *f = &out[(*n)++];
		*f = (struct relay_fwd){ addr, (uint16_t)(hlo + i), (uint16_t)(nlo + i), fam, { 0 } };
		memcpy(f->host_addr6, addr6, 16);
	}
	return 0;
bad:
	snprintf(err, errlen, "-t wants [ADDR/]PORT[:NSPORT] or [ADDR/]LO-HI[:NSLO[-NSHI]], got '%s'",
		 arg);
	return -1;
}

/* ---- the listeners ---- */

/* Two listeners per forward: fwd_fd[2 i] its IPv4 one, fwd_fd[2 i + 1] its
 * IPv6 one (IPV6_V6ONLY: each family its own socket), -1 where none. */
static int listener(struct relay *r, uint32_t i, bool v6)
{
	const struct relay_fwd *f = &r->cfg.fwd[i];
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r->fwd_fd[2 * i + v6] = fd;
	int one = 1;
	/* A relay started again while its last clients' connections are in
	 * TIME_WAIT on this port binds all the same. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(f->host_port),
				   .sin_addr.s_addr = htonl(f->host_addr) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(f->host_port) };
	memcpy(&sin6.sin6_addr, f->host_addr6, 16);
	if (v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if ((v6 ? bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) : bind(fd, (struct sockaddr *)&sin, sizeof(sin))) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		int e = errno;
		close(fd);
		r->fwd_fd[2 * i + v6] = -1;
		return -e;
	}
	return relay_ep_add(r, fd, EPOLLIN, relay_tag(EVK_FWD, 2 * i + v6, 0));
}

static void say_failed(struct relay *r, uint32_t i, bool v6, int e, const char *then)
{
	const struct relay_fwd *f = &r->cfg.fwd[i];
	char a[INET6_ADDRSTRLEN];
	if (v6)
		inet_ntop(AF_INET6, f->host_addr6, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "%u.%u.%u.%u", f->host_addr >> 24, (f->host_addr >> 16) & 255,
			 (f->host_addr >> 8) & 255, f->host_addr & 255);
	fprintf(stderr, "%s: -t: %s%s%s:%u: %s%s\n", r->prog, v6 ? "[" : "", a, v6 ? "]" : "", f->host_port,
		strerror(-e), then);
}

int relay_fwd_open(struct relay *r)
{
	if (!r->cfg.nfwd)
		return 0;
	r->fwd_fd = malloc(2 * r->cfg.nfwd * sizeof(*r->fwd_fd));
	if (!r->fwd_fd)
		return -ENOMEM;
	for (uint32_t i = 0; i < 2 * r->cfg.nfwd; i++)
		r->fwd_fd[i] = -1;
	bool warned = false;
	for (uint32_t i = 0; i < r->cfg.nfwd; i++) {
		uint8_t fam = r->cfg.fwd[i].family;
		if (fam == RELAY_FWD_V6 && !r->cfg.ipv6) {
			fprintf(stderr, "%s: -t: an IPv6 address needs IPv6 inside (--no-ipv6, or the namespace has none)\n",
				r->prog);
			return -EAFNOSUPPORT;
		}
		int e;
		if (fam != RELAY_FWD_V6 && (e = listener(r, i, false)) < 0) {
			say_failed(r, i, false, e, "");
			return e;
		}
		if (fam == RELAY_FWD_V6 && (e = listener(r, i, true)) < 0) {
			say_failed(r, i, true, e, "");
			return e;
		}
		/* Every address: IPv6 clients too when the namespace has IPv6;
		 * a host whose [::] cannot be bound keeps the IPv4 listener. */
		if (fam == RELAY_FWD_ANY && r->cfg.ipv6 && (e = listener(r, i, true)) < 0 && !warned) {
			say_failed(r, i, true, e, " (IPv4 only; said once)");
			warned = true;
		}
	}
	return 0;
}

static void set_listening(struct relay *r, bool on)
{
	for (uint32_t i = 0; i < 2 * r->cfg.nfwd; i++) {
		if (r->fwd_fd[i] < 0)
			continue;
		struct epoll_event ev = { .events = on ? EPOLLIN : 0,
					  .data.u64 = relay_tag(EVK_FWD, i, 0) };
		epoll_ctl(r->ep_fd, EPOLL_CTL_MOD, r->fwd_fd[i], &ev);
	}
	r->fwd_paused = !on;
}

void relay_fwd_event(struct relay *r, uint32_t idx)
{
	if (idx >= 2 * r->cfg.nfwd || r->fwd_fd[idx] < 0)
		return;
	const struct relay_fwd *f = &r->cfg.fwd[idx / 2];
	bool v6 = idx & 1;
	for (int k = 0; k < ACCEPT_BURST; k++) {
		struct sockaddr_in6 peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(r->fwd_fd[idx], (struct sockaddr *)&peer, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				/* Level-triggered listeners would wake the loop for
				 * ever: off until the next sweep. */
				r->st.FwdErrors++;
				r->st.FwdAcceptPaused++;
				set_listening(r, false);
			}
			return; /* EAGAIN, or a client gone before accept (ECONNABORTED) */
		}
		r->st.FwdAccepted++;
		struct sockaddr_in p4;
		memcpy(&p4, &peer, sizeof(p4));
		relay_tcp_forward(r, fd, v6, v6 ? relay_fold6(peer.sin6_addr.s6_addr) : ntohl(p4.sin_addr.s_addr),
				  ntohs(peer.sin6_port), f->host_port, f->ns_port);
	}
}

void relay_fwd_sweep(struct relay *r)
{
	if (r->fwd_paused && r->fwd_fd)
		set_listening(r, true);
}

void relay_fwd_close(struct relay *r)
{
	if (!r->fwd_fd)
		return;
	for (uint32_t i = 0; i < 2 * r->cfg.nfwd; i++) {
		if (r->fwd_fd[i] >= 0)
			close(r->fwd_fd[i]);
		r->fwd_fd[i] = -1;
	}
	r->fwd_paused = false;
}
