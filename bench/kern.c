/* Kernel loopback helpers for the anchors (see kern.h). */
#include "kern.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in loop_addr(uint8_t host, uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(0x7f000000u | host);
	return a;
}

int kern_listener(uint16_t port, int backlog)
{
	int one = 1;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		return -1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = loop_addr(1, port);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, backlog) < 0) {
		perror("kernel listener");
		close(l);
		return -1;
	}
	return l;
}

int kern_pair(int *cli, int *srv, uint16_t port, int mss, bool nonblock, bool nodelay)
{
	int one = 1;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		return -1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (mss > 0)
		setsockopt(l, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof(mss));
	struct sockaddr_in a = loop_addr(1, port);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4) < 0) {
		perror("kernel pair: listen");
		close(l);
		return -1;
	}
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (mss > 0)
		setsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof(mss));
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("kernel pair: connect");
		close(l);
		return -1;
	}
	int s = accept(l, NULL, NULL);
	close(l);
	if (s < 0) {
		perror("kernel pair: accept");
		close(c);
		return -1;
	}
	if (nodelay) {
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (nonblock) {
		fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
		fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	}
	*cli = c;
	*srv = s;
	return 0;
}

int kern_mss(int fd)
{
	int mss = 0;
	socklen_t len = sizeof(mss);
	if (getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, &len) < 0)
		return -1;
	return mss;
}

int kern_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int kern_write_full(int fd, const void *buf, size_t n)
{
	size_t put = 0;
	while (put < n) {
		ssize_t r = write(fd, (const char *)buf + put, n - put);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		put += (size_t)r;
	}
	return 0;
}
