/* Connection-rate probe for bench/relay_vs.sh (issue 17): a 1-byte echo
 * server and a client that keeps CONC connections in flight, each
 * connect, 1 byte each way, close (the client closes first), in one
 * thread on epoll, so that what is measured is the path between them and
 * not the probe (the python probe's thread per connection was: the
 * kernel's own veth reached only ~1,900 connections/s with it).
 *
 *   relay_rate server PORT                       echo on every address
 *   relay_rate client HOST PORT SECONDS CONC     prints "conn_per_s N errors E"
 *       then the slowest connect (connect() to EPOLLOUT) and echo (the
 *       byte sent to the echo read) in ms, and how many connections took
 *       over 20 ms from connect() to the echo and their time in all (s):
 *       "max_connect_ms C max_echo_ms M slow20 K slow_s S"; a run far
 *       below its neighbours is one that waited (a lost SYN costs the
 *       client's 1 s retransmission timer) or was starved of the CPU
 *
 * IPv4 or IPv6 (HOST as a literal address).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONC 256

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int server(int port)
{
	int ls = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1, zero = 0;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 4096) < 0) {
		perror("relay_rate server");
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls };
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	for (;;) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, -1);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == ls) {
				int c;
				while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
					struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
				}
				continue;
			}
			char buf[4096];
			ssize_t m = recv(fd, buf, sizeof(buf), 0);
			if (m > 0 && send(fd, buf, (size_t)m, MSG_NOSIGNAL) == m)
				continue;
			if (m < 0 && errno == EAGAIN)
				continue;
			close(fd); /* EOF or an error: the client closed first */
		}
	}
}

struct conn {
	int fd;
	int state; /* 0 connecting, 1 waiting for the echo */
	double t0, t1; /* connect() called; connected (the byte sent) */
};

static int client(const char *host, int port, double seconds, int conc)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	} else {
		fprintf(stderr, "relay_rate: %s is not an address\n", host);
		return 2;
	}
	if (conc < 1 || conc > MAX_CONC)
		conc = 1;
	int ep = epoll_create1(0);
	static struct conn c[MAX_CONC];
	unsigned long done = 0, errors = 0, slow = 0;
	double max_conn = 0, max_echo = 0, slow_s = 0;
	double t0 = now_s(), end = t0 + seconds;
	for (int i = 0; i < conc; i++)
		c[i].fd = -1;
	for (;;) {
		double t = now_s();
		int live = 0;
		for (int i = 0; i < conc; i++) {
			if (c[i].fd < 0 && t < end) {
				int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
				if (fd < 0) {
					errors++;
					continue;
				}
				if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
					errors++;
					close(fd);
					continue;
				}
				struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = (uint32_t)i };
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				c[i] = (struct conn){ fd, 0, t, 0 };
			}
			live += c[i].fd >= 0;
		}
		if (!live)
			break;
		struct epoll_event evs[MAX_CONC];
		int n = epoll_wait(ep, evs, MAX_CONC, 1000);
		for (int k = 0; k < n; k++) {
			struct conn *x = &c[evs[k].data.u32];
			bool fail = evs[k].events & (EPOLLERR | EPOLLHUP);
			if (!fail && x->state == 0) {
				x->t1 = now_s();
				if (x->t1 - x->t0 > max_conn)
					max_conn = x->t1 - x->t0;
				if (send(x->fd, "x", 1, MSG_NOSIGNAL) == 1) {
					struct epoll_event ev = { .events = EPOLLIN, .data.u32 = evs[k].data.u32 };
					epoll_ctl(ep, EPOLL_CTL_MOD, x->fd, &ev);
					x->state = 1;
					continue;
				}
				fail = true;
			} else if (!fail) {
				char b;
				fail = recv(x->fd, &b, 1, 0) != 1;
				done += !fail;
				double t2 = now_s();
				if (t2 - x->t1 > max_echo)
					max_echo = t2 - x->t1;
				if (t2 - x->t0 > 0.020) {
					slow++;
					slow_s += t2 - x->t0;
				}
			}
			errors += fail;
			close(x->fd);
			x->fd = -1;
		}
	}
	printf("conn_per_s %.0f errors %lu max_connect_ms %.1f max_echo_ms %.1f slow20 %lu slow_s %.3f\n",
	       (double)done / (now_s() - t0), errors, max_conn * 1e3, max_echo * 1e3, slow, slow_s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]));
	if (argc == 6 && !strcmp(argv[1], "client"))
		return client(argv[2], atoi(argv[3]), atof(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: relay_rate server PORT | client HOST PORT SECONDS CONC\n");
	return 2;
}
